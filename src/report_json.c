/* report_json.c - the JSON document and the JSON Lines finding stream. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "decimal.h"
#include "findings.h"
#include "report.h"
#include "xalloc.h"

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

static char *put_ulong(char *o, unsigned long v);
static char *put_amount(char *o, int64_t v);

static void
jw_write(struct jw *w, const char *p, size_t n)
{
	if (!w->err && fwrite(p, 1, n, w->fp) != n)
		w->err = true;
}

static void
jw_puts(struct jw *w, const char *s)
{
	jw_write(w, s, strlen(s));
}

/* The separator before a member or element, into o: at most
 * 2 + 2 * JW_MAXDEPTH bytes. */
static char *
sep(struct jw *w, char *o)
{
	if (w->depth == 0)
		return o;
	if (!w->first[w->depth])
		*o++ = ',';
	w->first[w->depth] = false;
	if (w->pretty) {
		*o++ = '\n';
		memset(o, ' ', 2 * (size_t)w->depth);
		o += 2 * (size_t)w->depth;
	}
	return o;
}

/* Separates a member or element from the previous one. */
static void
jw_sep(struct jw *w)
{
	char buf[2 + 2 * JW_MAXDEPTH];

	jw_write(w, buf, (size_t)(sep(w, buf) - buf));
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
	char buf[2 + 2 * JW_MAXDEPTH], *o = buf;
	bool empty = w->first[w->depth];

	w->depth--;
	if (w->pretty && !empty) {
		*o++ = '\n';
		memset(o, ' ', 2 * (size_t)w->depth);
		o += 2 * (size_t)w->depth;
	}
	*o++ = close[0];
	jw_write(w, buf, (size_t)(o - buf));
}

/* A member's separator and key, then v[0..n) as it is, in one write.
 * Keys are ours, short and plain ([a-z_]): they need no escaping. */
static void
jw_member(struct jw *w, const char *k, const char *v, size_t n)
{
	char buf[2 + 2 * JW_MAXDEPTH + 48 + 32], *o;
	size_t kn = strlen(k);

	if (kn > 40 || n > 32) {
		jw_write(w, buf, (size_t)(sep(w, buf) - buf));
		if (!w->err && report_json_string(w->fp, k) == -1)
			w->err = true;
		jw_puts(w, w->pretty ? ": " : ":");
		jw_write(w, v, n);
		return;
	}
	o = sep(w, buf);
	*o++ = '"';
	memcpy(o, k, kn);
	o += kn;
	*o++ = '"';
	*o++ = ':';
	if (w->pretty)
		*o++ = ' ';
	memcpy(o, v, n);
	o += n;
	jw_write(w, buf, (size_t)(o - buf));
}

static void
jw_key(struct jw *w, const char *k)
{
	jw_member(w, k, "", 0);
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
	char buf[24];

	jw_member(w, k, buf, (size_t)(put_ulong(buf, v) - buf));
}

static void
jw_bool(struct jw *w, const char *k, bool v)
{
	jw_member(w, k, v ? "true" : "false", v ? 4 : 5);
}

/* An amount as a number with exactly two decimals: 1684.45, -70.00. */
static void
jw_amount(struct jw *w, const char *k, int64_t v)
{
	char buf[32];

	jw_member(w, k, buf, (size_t)(put_amount(buf, v) - buf));
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

/* ---- one finding, built in memory ------------------------------------ */

/*
 * A finding is the bulk of the output (and in JSON Lines, one write each),
 * so it is built by hand into a buffer and written with one fwrite: the
 * stack's for a usual finding, the heap's for a long description.  The
 * buffer is reserved once for the worst case, so the put_ functions
 * write without checking.
 */
struct jb {
	char  *p;
	size_t cap;
	char   local[4096];
};

static char *
jb_reserve(struct jb *b, size_t need)
{
	b->p = b->local;
	b->cap = sizeof(b->local);
	if (need > b->cap) {
		b->p = xmalloc(need);
		b->cap = need;
	}
	return b->p;
}

static void
jb_free(struct jb *b)
{
	if (b->p != b->local)
		free(b->p);
}

/* A JSON string: at most 6 * n + 2 bytes. */
static char *
put_str(char *o, const char *s, size_t n)
{
	size_t used;

	*o++ = '"';
	/* Each byte takes at most 6, so this does the whole string. */
	o += report_json_escape(o, 6 * n + 6, s, n, &used);
	*o++ = '"';
	return o;
}

/* Decimal digits of v, right-aligned ending at end; returns the start. */
static char *
digits(char *end, uint64_t v)
{
	do {
		*--end = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	return end;
}

static char *
put_digits(char *o, const char *p, const char *end)
{
	memcpy(o, p, (size_t)(end - p));
	return o + (end - p);
}

/* At most 20 bytes. */
static char *
put_ulong(char *o, unsigned long v)
{
	char buf[24];

	return put_digits(o, digits(buf + sizeof(buf), v), buf + sizeof(buf));
}

/* v (DEC_SCALE) with `places` decimals, as dec_format without grouping
 * (at most 26 bytes); v must already be rounded to them. */
static char *
put_decimal(char *o, int64_t v, unsigned places)
{
	static const uint64_t pow10[] = {1, 10, 100, 1000, 10000};
	char buf[40], *end = buf + sizeof(buf), *p = end;
	uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	uint64_t ip = mag / 10000, fp = (mag % 10000) / pow10[4 - places];
	unsigned i;

	for (i = 0; i < places; i++) {
		*--p = (char)('0' + fp % 10);
		fp /= 10;
	}
	if (places > 0)
		*--p = '.';
	p = digits(p, ip);
	if (v < 0 && mag != 0)
		*--p = '-';
	return put_digits(o, p, end);
}

/* As dec_format(v, 2, false). */
static char *
put_amount(char *o, int64_t v)
{
	return put_decimal(o, dec_round(v, 2), 2);
}

/* As dec_format_trim(v, 1): as many decimals as v has, at least one. */
static char *
put_units(char *o, int64_t v)
{
	static const int64_t pow10[] = {1, 10, 100, 1000, 10000};
	unsigned places = 4;

	while (places > 1 && v % pow10[4 - places + 1] == 0)
		places--;
	return put_decimal(o, v, places);
}

/* "YYYY-MM-DD" or null: at most 12 bytes. */
static char *
put_date(char *o, int32_t d)
{
	char buf[16];
	int y, m, dd;

	if (d == DATE_NONE) {
		memcpy(o, "null", 4);
		return o + 4;
	}
	date_to_ymd(d, &y, &m, &dd);
	if (y < 0 || y > 9999) {
		date_format(buf, d);
		return put_str(o, buf, strlen(buf));
	}
	o[0] = '"';
	o[1] = (char)('0' + y / 1000);
	o[2] = (char)('0' + y / 100 % 10);
	o[3] = (char)('0' + y / 10 % 10);
	o[4] = (char)('0' + y % 10);
	o[5] = '-';
	o[6] = (char)('0' + m / 10);
	o[7] = (char)('0' + m % 10);
	o[8] = '-';
	o[9] = (char)('0' + dd / 10);
	o[10] = (char)('0' + dd % 10);
	o[11] = '"';
	return o + 12;
}

/* The separator and key of a member, compact `,"key":` or pretty on a
 * line of its own, indented `in` bytes: at most in + 6 + strlen(key). */
static char *
put_key(char *o, const char *key, size_t klen, size_t in, bool first)
{
	if (!first)
		*o++ = ',';
	if (in > 0) {
		*o++ = '\n';
		memset(o, ' ', in);
		o += in;
	}
	*o++ = '"';
	memcpy(o, key, klen);
	o += klen;
	*o++ = '"';
	*o++ = ':';
	if (in > 0)
		*o++ = ' ';
	return o;
}

#define KEY(o, k, first) put_key(o, k, sizeof(k) - 1, in, first)

/* The members of a finding in order: strings, then the rest. */
enum { JF_RULE, JF_CHECK, JF_SEVERITY, JF_CLAUSE, JF_FIRM, JF_FIRM_NAME,
	JF_INVOICE, JF_MATTER, JF_LINE, JF_FILE, JF_TIMEKEEPER,
	JF_DESCRIPTION, JF_MESSAGE, JF__COUNT };

/*
 * f as one object, members indented for depth `depth` when pretty (for
 * the document) or compact (JSON Lines), then `tail`, into b.  Returns
 * the length.
 */
static size_t
jb_finding(struct jb *b, const struct finding *f, bool pretty,
    unsigned depth, const char *tail)
{
	static const char *const keys[] = {"rule", "check", "severity",
		"clause", "firm", "firm_name", "invoice", "matter", "line",
		"file"};
	const char *s[JF__COUNT] = {f->rule, f->check,
		severity_name(f->severity), f->clause, f->firm, f->firm_name,
		f->invoice, f->matter, f->line, f->file, f->timekeeper,
		f->description, f->message};
	size_t len[JF__COUNT], in = pretty ? 2 * (size_t)(depth + 1) : 0;
	size_t need, tlen = strlen(tail), i;
	char *o;

	/* The braces, 18 keys of at most 11 bytes, 4 numbers of at most 26
	 * bytes and the date. */
	need = 1 + 18 * (in + 17) + 4 * 26 + 12 + in + tlen;
	for (i = 0; i < JF__COUNT; i++) {
		len[i] = strlen(s[i]);
		need += 6 * len[i] + 2;
	}
	o = jb_reserve(b, need);
	*o++ = '{';
	for (i = 0; i <= JF_FILE; i++) {
		o = put_key(o, keys[i], strlen(keys[i]), in, i == 0);
		o = put_str(o, s[i], len[i]);
	}
	o = KEY(o, "row", false);
	o = put_ulong(o, f->row);
	o = KEY(o, "timekeeper", false);
	o = put_str(o, s[JF_TIMEKEEPER], len[JF_TIMEKEEPER]);
	o = KEY(o, "date", false);
	o = put_date(o, f->date);
	o = KEY(o, "description", false);
	o = put_str(o, s[JF_DESCRIPTION], len[JF_DESCRIPTION]);
	o = KEY(o, "units", false);
	o = put_units(o, f->units);
	o = KEY(o, "billed", false);
	o = put_amount(o, f->billed);
	o = KEY(o, "at_risk", false);
	o = put_amount(o, f->at_risk);
	o = KEY(o, "message", false);
	o = put_str(o, s[JF_MESSAGE], len[JF_MESSAGE]);
	if (pretty) {
		/* The closing brace at the depth of the object itself. */
		*o++ = '\n';
		memset(o, ' ', in - 2);
		o += in - 2;
	}
	*o++ = '}';
	memcpy(o, tail, tlen);
	o += tlen;
	return (size_t)(o - b->p);
}

#undef KEY

/* Writes f as a member of w's current array (after jw_sep). */
static void
jw_finding(struct jw *w, const struct finding *f)
{
	struct jb b;
	size_t n = jb_finding(&b, f, w->pretty, w->depth, "");

	if (!w->err && fwrite(b.p, 1, n, w->fp) != n)
		w->err = true;
	jb_free(&b);
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
	struct finding_reader rd;
	const struct finding *f;
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
	findings_reader_init(&rd, res);
	for (i = 0; i < res->nfindings && !w.err; i++) {
		f = findings_reader_get(&rd, i);
		if (f == NULL) {
			w.err = true;
			break;
		}
		jw_sep(&w);
		jw_finding(&w, f);
	}
	findings_reader_fini(&rd);
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

/* One compact object and a newline; the caller decides when to flush. */
int
report_jsonl_finding(FILE *fp, const struct finding *f)
{
	struct jb b;
	size_t n = jb_finding(&b, f, false, 0, "\n");
	int rc = 0;

	if (fwrite(b.p, 1, n, fp) != n)
		rc = -1;
	jb_free(&b);
	return rc;
}
