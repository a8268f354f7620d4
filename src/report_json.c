/* report_json.c - the JSON document and the JSON Lines finding stream. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "date.h"
#include "decimal.h"
#include "report.h"

/* Deeper than the document ever nests (firms[].by_rule[] is depth 5). */
#define JW_MAXDEPTH 8

/*
 * A small JSON emitter: pretty (2-space indent, one member per line) or
 * compact (no whitespace at all).  The first failed write sets err and
 * makes every later call a no-op, so callers test err once per item.
 */
struct jw {
	FILE    *fp;
	bool     pretty;
	unsigned depth;
	bool     first[JW_MAXDEPTH]; /* nothing written yet at that depth */
	bool     err;                /* a write failed */
};

static void
jw_puts(struct jw *w, const char *s)
{
	if (!w->err && fputs(s, w->fp) == EOF)
		w->err = true;
}

/* Separates a member or element from the previous one. */
static void
jw_sep(struct jw *w)
{
	unsigned i;

	if (w->depth == 0)
		return;
	if (!w->first[w->depth])
		jw_puts(w, ",");
	w->first[w->depth] = false;
	if (w->pretty) {
		jw_puts(w, "\n");
		for (i = 0; i < w->depth; i++)
			jw_puts(w, "  ");
	}
}

static void
jw_begin(struct jw *w, const char *open)
{
	jw_puts(w, open);
	w->first[++w->depth] = true;
}

static void
jw_end(struct jw *w, const char *close)
{
	unsigned i;
	bool empty = w->first[w->depth];

	w->depth--;
	if (w->pretty && !empty) {
		jw_puts(w, "\n");
		for (i = 0; i < w->depth; i++)
			jw_puts(w, "  ");
	}
	jw_puts(w, close);
}

static void
jw_key(struct jw *w, const char *k)
{
	jw_sep(w);
	if (!w->err && report_json_string(w->fp, k) == -1)
		w->err = true;
	jw_puts(w, w->pretty ? ": " : ":");
}

static void
jw_str(struct jw *w, const char *k, const char *s)
{
	jw_key(w, k);
	if (!w->err && report_json_string(w->fp, s) == -1)
		w->err = true;
}

static void
jw_ulong(struct jw *w, const char *k, unsigned long v)
{
	jw_key(w, k);
	if (!w->err && fprintf(w->fp, "%lu", v) < 0)
		w->err = true;
}

static void
jw_bool(struct jw *w, const char *k, bool v)
{
	jw_key(w, k);
	jw_puts(w, v ? "true" : "false");
}

/* An amount as a number with exactly two decimals: 1684.45, -70.00. */
static void
jw_amount(struct jw *w, const char *k, int64_t v)
{
	char buf[32];

	jw_key(w, k);
	jw_puts(w, dec_format(buf, v, 2, false));
}

/* Hours or other units: as many decimals as the value has, at least one. */
static void
jw_units(struct jw *w, const char *k, int64_t v)
{
	char buf[32];

	jw_key(w, k);
	jw_puts(w, dec_format_trim(buf, v, 1));
}

/* A basis-point rate as a fraction with four decimals: 7500 -> 0.7500. */
static void
jw_rate(struct jw *w, const char *k, unsigned bp)
{
	jw_key(w, k);
	if (!w->err && fprintf(w->fp, "%u.%04u", bp / 10000, bp % 10000) < 0)
		w->err = true;
}

/* YYYY-MM-DD, or null when there is no date. */
static void
jw_date(struct jw *w, const char *k, int32_t d)
{
	char buf[11];

	if (d == DATE_NONE) {
		jw_key(w, k);
		jw_puts(w, "null");
	} else {
		jw_str(w, k, date_format(buf, d));
	}
}

static void
jw_finding(struct jw *w, const struct finding *f)
{
	jw_begin(w, "{");
	jw_str(w, "rule", f->rule);
	jw_str(w, "check", f->check);
	jw_str(w, "severity", severity_name(f->severity));
	jw_str(w, "clause", f->clause);
	jw_str(w, "firm", f->firm);
	jw_str(w, "firm_name", f->firm_name);
	jw_str(w, "invoice", f->invoice);
	jw_str(w, "matter", f->matter);
	jw_str(w, "line", f->line);
	jw_str(w, "file", f->file);
	jw_ulong(w, "row", f->row);
	jw_str(w, "timekeeper", f->timekeeper);
	jw_date(w, "date", f->date);
	jw_str(w, "description", f->description);
	jw_units(w, "units", f->units);
	jw_amount(w, "billed", f->billed);
	jw_amount(w, "at_risk", f->at_risk);
	jw_str(w, "message", f->message);
	jw_end(w, "}");
}

static void
jw_input(struct jw *w, const struct input_summary *in)
{
	jw_begin(w, "{");
	jw_str(w, "file", in->file);
	jw_str(w, "format", in->format);
	jw_ulong(w, "records", in->records);
	jw_ulong(w, "checked", in->checked);
	jw_ulong(w, "rejected", in->rejected);
	jw_ulong(w, "skipped", in->skipped);
	jw_bool(w, "complete", !in->failed);
	jw_end(w, "}");
}

static void
jw_invoice(struct jw *w, const struct invoice_summary *inv)
{
	jw_begin(w, "{");
	jw_str(w, "firm", inv->firm);
	jw_str(w, "firm_name", inv->firm_name);
	jw_str(w, "invoice", inv->invoice);
	jw_str(w, "matter", inv->matter);
	jw_str(w, "cost_center", inv->cost_center);
	jw_str(w, "po", inv->po);
	jw_str(w, "file", inv->file);
	jw_ulong(w, "row", inv->row);
	jw_date(w, "date", inv->date);
	jw_ulong(w, "lines", inv->lines);
	jw_ulong(w, "lines_with_findings", inv->lines_with_findings);
	jw_ulong(w, "findings", (unsigned long)inv->nfindings);
	jw_amount(w, "billed", inv->billed);
	jw_amount(w, "at_risk", inv->at_risk);
	jw_amount(w, "approved", inv->approved);
	jw_str(w, "verdict", verdict_name(inv->verdict));
	jw_end(w, "}");
}

static void
jw_firm(struct jw *w, const struct firm_summary *fs)
{
	const struct rule_tally *t;
	const struct month_summary *m;
	size_t i;

	jw_begin(w, "{");
	jw_str(w, "firm", fs->firm);
	jw_str(w, "firm_name", fs->firm_name);
	jw_ulong(w, "invoices", fs->invoices);
	jw_ulong(w, "invoices_with_findings", fs->invoices_with_findings);
	jw_rate(w, "exception_rate", fs->exception_rate_bp);
	jw_ulong(w, "lines", fs->lines);
	jw_ulong(w, "lines_with_findings", fs->lines_with_findings);
	jw_amount(w, "billed", fs->billed);
	jw_amount(w, "at_risk", fs->at_risk);
	jw_key(w, "by_rule");
	jw_begin(w, "[");
	for (i = 0; i < fs->nby_rule; i++) {
		t = &fs->by_rule[i];
		jw_sep(w);
		jw_begin(w, "{");
		jw_str(w, "rule", t->rule);
		jw_str(w, "check", t->check);
		jw_ulong(w, "count", t->count);
		jw_amount(w, "at_risk", t->at_risk);
		jw_end(w, "}");
	}
	jw_end(w, "]");
	jw_key(w, "months");
	jw_begin(w, "[");
	for (i = 0; i < fs->nmonths; i++) {
		m = &fs->months[i];
		jw_sep(w);
		jw_begin(w, "{");
		jw_str(w, "month", m->month);
		jw_ulong(w, "invoices", m->invoices);
		jw_ulong(w, "invoices_with_findings",
		    m->invoices_with_findings);
		jw_rate(w, "exception_rate", m->exception_rate_bp);
		jw_ulong(w, "lines", m->lines);
		jw_ulong(w, "lines_with_findings", m->lines_with_findings);
		jw_amount(w, "billed", m->billed);
		jw_amount(w, "at_risk", m->at_risk);
		jw_amount(w, "approved",
		    report_approved(m->billed, m->at_risk));
		jw_end(w, "}");
	}
	jw_end(w, "]");
	jw_end(w, "}");
}

/* An error or a note; row is null when the message is not about a line. */
static void
jw_error(struct jw *w, const struct run_error *e)
{
	jw_begin(w, "{");
	jw_str(w, "file", e->file);
	if (e->row == 0) {
		jw_key(w, "row");
		jw_puts(w, "null");
	} else {
		jw_ulong(w, "row", e->row);
	}
	jw_str(w, "message", e->message);
	jw_end(w, "}");
}

/* --history: per firm, the months recorded before this run plus this
 * run's new invoices (the trend drawn from history). */
static void
jw_history(struct jw *w, const struct run_result *res)
{
	const struct month_summary *m;
	size_t i, j;

	jw_begin(w, "{");
	jw_str(w, "file", res->history_file);
	jw_ulong(w, "runs", res->history_runs);
	jw_key(w, "trend");
	jw_begin(w, "[");
	for (i = 0; i < res->nfirms && !w->err; i++) {
		jw_sep(w);
		jw_begin(w, "{");
		jw_str(w, "firm", res->firms[i].firm);
		jw_str(w, "firm_name", res->firms[i].firm_name);
		jw_key(w, "months");
		jw_begin(w, "[");
		for (j = 0; j < res->firms[i].nhistory_months; j++) {
			m = &res->firms[i].history_months[j];
			jw_sep(w);
			jw_begin(w, "{");
			jw_str(w, "month", m->month);
			jw_ulong(w, "invoices", m->invoices);
			jw_ulong(w, "invoices_with_findings",
			    m->invoices_with_findings);
			jw_rate(w, "exception_rate", m->exception_rate_bp);
			jw_ulong(w, "lines", m->lines);
			jw_ulong(w, "lines_with_findings",
			    m->lines_with_findings);
			jw_amount(w, "billed", m->billed);
			jw_amount(w, "at_risk", m->at_risk);
			jw_end(w, "}");
		}
		jw_end(w, "]");
		jw_end(w, "}");
	}
	jw_end(w, "]");
	jw_end(w, "}");
}

static void
jw_totals(struct jw *w, const struct run_result *res)
{
	unsigned long with = 0, lwith = 0;
	unsigned bp = 0;
	size_t i;

	for (i = 0; i < res->nfirms; i++) {
		with += res->firms[i].invoices_with_findings;
		lwith += res->firms[i].lines_with_findings;
	}
	if (res->ninvoices > 0)
		bp = (unsigned)((with * 10000 + res->ninvoices / 2) /
		    res->ninvoices);
	jw_begin(w, "{");
	jw_ulong(w, "firms", (unsigned long)res->nfirms);
	jw_ulong(w, "invoices", (unsigned long)res->ninvoices);
	jw_ulong(w, "invoices_with_findings", with);
	jw_rate(w, "exception_rate", bp);
	jw_ulong(w, "lines", res->lines);
	jw_ulong(w, "lines_with_findings", lwith);
	jw_ulong(w, "records", res->records);
	jw_ulong(w, "checked", res->checked);
	jw_ulong(w, "rejected", res->rejected);
	jw_ulong(w, "findings", (unsigned long)res->nfindings);
	jw_key(w, "by_severity");
	jw_begin(w, "{");
	jw_ulong(w, "error", (unsigned long)res->count_by_severity[SEV_ERROR]);
	jw_ulong(w, "warning",
	    (unsigned long)res->count_by_severity[SEV_WARNING]);
	jw_ulong(w, "info", (unsigned long)res->count_by_severity[SEV_INFO]);
	jw_end(w, "}");
	jw_amount(w, "billed", res->billed);
	jw_amount(w, "at_risk", res->at_risk);
	jw_amount(w, "approved", report_approved(res->billed, res->at_risk));
	jw_end(w, "}");
}

int
report_json_write(FILE *fp, const struct run_result *res,
    const struct report_opts *o)
{
	struct jw w = { .fp = fp, .pretty = true };
	size_t i;

	(void)o;
	jw_begin(&w, "{");
	jw_str(&w, "billcheck", res->version);
	jw_key(&w, "rules");
	jw_begin(&w, "{");
	jw_str(&w, "name", res->rules_name);
	jw_str(&w, "file", res->rules_file);
	jw_str(&w, "sha256", res->rules_sha256);
	jw_end(&w, "}");
	jw_str(&w, "currency", res->currency);

	jw_key(&w, "inputs");
	jw_begin(&w, "[");
	for (i = 0; i < res->ninputs && !w.err; i++) {
		jw_sep(&w);
		jw_input(&w, &res->inputs[i]);
	}
	jw_end(&w, "]");

	jw_key(&w, "findings");
	jw_begin(&w, "[");
	for (i = 0; i < res->nfindings && !w.err; i++) {
		jw_sep(&w);
		jw_finding(&w, &res->findings[i]);
	}
	jw_end(&w, "]");

	jw_key(&w, "invoices");
	jw_begin(&w, "[");
	for (i = 0; i < res->ninvoices && !w.err; i++) {
		jw_sep(&w);
		jw_invoice(&w, &res->invoices[i]);
	}
	jw_end(&w, "]");

	jw_key(&w, "firms");
	jw_begin(&w, "[");
	for (i = 0; i < res->nfirms && !w.err; i++) {
		jw_sep(&w);
		jw_firm(&w, &res->firms[i]);
	}
	jw_end(&w, "]");

	jw_key(&w, "totals");
	jw_totals(&w, res);

	jw_key(&w, "errors");
	jw_begin(&w, "[");
	for (i = 0; i < res->nerrors && !w.err; i++) {
		jw_sep(&w);
		jw_error(&w, &res->errors[i]);
	}
	jw_end(&w, "]");

	jw_key(&w, "notes");
	jw_begin(&w, "[");
	for (i = 0; i < res->nnotes && !w.err; i++) {
		jw_sep(&w);
		jw_error(&w, &res->notes[i]);
	}
	jw_end(&w, "]");

	/* Only with --history, so that documents without it do not change. */
	if (res->history_file != NULL) {
		jw_key(&w, "history");
		jw_history(&w, res);
	}
	jw_end(&w, "}");
	jw_puts(&w, "\n");
	if (w.err || fflush(fp) == EOF || ferror(fp))
		return -1;
	return 0;
}

/*
 * One compact object and a newline, flushed at once: a pipeline reading
 * the stream sees each finding as soon as the engine finds it.
 */
int
report_jsonl_finding(FILE *fp, const struct finding *f)
{
	struct jw w = { .fp = fp, .pretty = false };

	jw_finding(&w, f);
	jw_puts(&w, "\n");
	if (w.err || fflush(fp) == EOF || ferror(fp))
		return -1;
	return 0;
}
