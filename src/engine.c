/* engine.c - runs the enabled rules over each line and invoice, keeps the
 * findings and sums what is at risk per invoice and firm. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "check.h"
#include "date.h"
#include "decimal.h"
#include "engine.h"
#include "findings.h"
#include "history.h"
#include "keymap.h"
#include "xalloc.h"

/* A rule whose on_line hook runs on an invoice's lines. */
struct line_rule {
	unsigned index;   /* into the invoice's rules */
	bool     scoped;  /* it has a scope to test on each line */
	bool     skipped; /* it said it cannot apply to this invoice */
	bool     ready;   /* the input has the columns it needs */
};

/* What the engine knows of one invoice while its file is being read. */
struct inv_state {
	struct invoice     inv;
	const struct firm *firm;
	const struct rule *rules;
	const char        *firm_name;
	int64_t            line_risk;   /* per-line capped at-risk, summed */
	int64_t            inv_risk;    /* invoice-level findings */
	unsigned long      lines_with_findings;
	size_t             nfindings;
	int                worst;       /* -1 none, else enum severity */
	/* Worked out once per invoice rather than per line and rule. */
	struct line_rule  *run;
	size_t             nrun;
	size_t             firm_len, number_len; /* of inv.firm, inv.number */
};

struct check_ctx {
	struct engine *e;
	size_t         rule;   /* index of the rule whose hook runs */
};

struct engine {
	const rule_set          *rs;
	const struct engine_opts *opts;
	struct input_sink        sink;
	struct check_ctx         cx;
	size_t                   nrules;
	void                   **states;   /* per rule index */
	struct shared {
		const void *key;
		void       *obj;
		void      (*drop)(void *);
	}                       *shared;   /* check_shared's objects */
	size_t                   nshared, shared_cap;
	struct ahead_job {
		const struct check_ahead *job;
		void                     *arg;
		size_t                    at; /* its result, in a block */
	}                       *jobs;     /* check_ahead_add's */
	size_t                   njobs, jobs_cap;
	struct line_ahead        ahead;    /* the jobs, as the sink's */
	void                    *no_ahead; /* zeroed: for lines not done
	                                      ahead (hooks do the work) */
	arena                   *strings;  /* finding and invoice text */

	finding_store           *findings; /* made on the first finding */
	bool                     findings_failed;
	struct invoice_summary  *invoices;
	size_t                   ninvoices, invoices_cap;
	struct input_summary    *inputs;
	size_t                   ninputs, inputs_cap;
	struct run_error        *errors, *notes;
	size_t                   nerrors, errors_cap, nnotes, notes_cap;
	keymap                  *notes_seen;
	/* The last note per rule: a check that cannot apply says so on
	 * every line, so the usual case is the same text again. */
	struct note_memo {
		unsigned file;
		char     msg[160];
	}                       *note_memo;
	bool                     stream_failed;

	/* the file being read */
	const char              *file;
	unsigned                 file_index;
	keymap                  *file_invoices; /* key -> struct inv_state * */
	unsigned long            checked, skipped;
	bool                     file_failed;   /* an invoice overflowed */
	char                    *keybuf;        /* invoice key being built */
	size_t                   keybuf_cap;
	struct inv_state        *last_inv;      /* lines come by invoice */

	/* the line or invoice being checked */
	const struct invoice_line *line;
	struct inv_state        *cur;
	struct line_rule        *cur_rule; /* whose on_line runs, or NULL */
	int64_t                  line_risk;
	bool                     line_flagged;
};

static const char *
keep(engine *e, const char *s, size_t n)
{
	return arena_strndup(e->strings, s, n);
}

static const char *
keep_text(engine *e, struct text t)
{
	return t.n ? keep(e, t.p, t.n) : "";
}

/* ---- the hooks' view ---------------------------------------------- */

const rule_set *
check_rules(const struct check_ctx *cx)
{
	return cx->e->rs;
}

const struct firm *
check_firm(const struct check_ctx *cx)
{
	return cx->e->cur != NULL ? cx->e->cur->firm : NULL;
}

void *
check_state(struct check_ctx *cx)
{
	return cx->e->states[cx->rule];
}

void *
check_shared(struct check_ctx *cx, const void *key, void *(*make)(void),
    void (*drop)(void *))
{
	engine *e = cx->e;
	size_t i;

	for (i = 0; i < e->nshared; i++)
		if (e->shared[i].key == key)
			return e->shared[i].obj;
	xgrow(&e->shared, &e->shared_cap, e->nshared + 1, sizeof(*e->shared));
	e->shared[e->nshared].key = key;
	e->shared[e->nshared].obj = make();
	e->shared[e->nshared].drop = drop;
	return e->shared[e->nshared++].obj;
}

size_t
check_ahead_add(struct check_ctx *cx, const struct check_ahead *job,
    void *arg)
{
	engine *e = cx->e;
	struct ahead_job *j;

	xgrow(&e->jobs, &e->jobs_cap, e->njobs + 1, sizeof(*e->jobs));
	j = &e->jobs[e->njobs++];
	j->job = job;
	j->arg = arg;
	j->at = e->ahead.size;
	/* Results on their own 16-byte boundaries, for any type. */
	e->ahead.size += (job->size + 15) & ~(size_t)15;
	return j->at;
}

static void
run_ahead(const void *ctx, const struct invoice_line *l, void *block)
{
	const engine *e = ctx;
	size_t i;

	for (i = 0; i < e->njobs; i++)
		e->jobs[i].job->run(e->jobs[i].arg, l,
		    (unsigned char *)block + e->jobs[i].at);
}

static void
fini_ahead(const void *ctx, void *block)
{
	const engine *e = ctx;
	size_t i;

	for (i = 0; i < e->njobs; i++)
		if (e->jobs[i].job->fini != NULL)
			e->jobs[i].job->fini((unsigned char *)block +
			    e->jobs[i].at);
}

static void
soon_ahead(const void *ctx, const struct invoice_line *l)
{
	const engine *e = ctx;
	size_t i;

	for (i = 0; i < e->njobs; i++)
		if (e->jobs[i].job->soon != NULL)
			e->jobs[i].job->soon(e->jobs[i].arg, l,
			    (const unsigned char *)l->ahead + e->jobs[i].at);
}

const struct history *
check_history(const struct check_ctx *cx)
{
	return cx->e->opts->history;
}

void
check_history_fingerprint(struct check_ctx *cx, const struct invoice_line *l,
    const unsigned char fp[16])
{
	history_add_fingerprint(cx->e->opts->history, l, fp);
}

static void
add_error(struct run_error **v, size_t *n, size_t *cap, const char *file,
    unsigned long row, const char *msg, engine *e)
{
	xgrow(v, cap, *n + 1, sizeof(**v));
	(*v)[*n].file = file ? keep(e, file, strlen(file)) : "";
	(*v)[*n].row = row;
	(*v)[*n].message = keep(e, msg, strlen(msg));
	(*n)++;
}

void
check_note(struct check_ctx *cx, const struct rule *r, const char *fmt, ...)
{
	engine *e = cx->e;
	struct note_memo *memo = &e->note_memo[r->index];
	char msg[400], key[600];
	struct diag d;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (n >= 0 && (size_t)n < sizeof(memo->msg) &&
	    memo->file == e->file_index && strcmp(memo->msg, msg) == 0)
		return;
	if (n >= 0 && (size_t)n < sizeof(memo->msg)) {
		memo->file = e->file_index;
		memcpy(memo->msg, msg, (size_t)n + 1);
	}
	n = snprintf(key, sizeof(key), "%u\n%s\n%s", e->file_index, r->id, msg);
	if (n < 0 || (size_t)n >= sizeof(key))
		n = (int)sizeof(key) - 1;
	if (keymap_get(e->notes_seen, key, (size_t)n) != NULL)
		return;
	keymap_put(e->notes_seen, key, (size_t)n, NULL);
	snprintf(key, sizeof(key), "rule '%s' (%s) skipped where it cannot "
	    "apply: %s", r->id, r->check->name, msg);
	add_error(&e->notes, &e->nnotes, &e->notes_cap, e->file, 0, key, e);
	if (e->opts->errfp != NULL && !e->opts->quiet) {
		diag_set(&d, DIAG_OK, (struct diag_pos){e->file, 0, 0}, "%s",
		    key);
		diag_print(e->opts->errfp, &d, "note");
	}
}

void
check_skip_invoice(struct check_ctx *cx)
{
	if (cx->e->cur_rule != NULL)
		cx->e->cur_rule->skipped = true;
}

/*
 * The message in up to three parts, nothing copied: the check's detail,
 * or the rule's own text with "{detail}" replaced by it.  detail[600]
 * gets the formatted detail only when the message shows it.
 */
static void message_parts(const struct rule *r, struct text part[3],
    char *detail, const char *fmt, va_list ap)
    __attribute__((format(printf, 4, 0)));

static void
message_parts(const struct rule *r, struct text part[3], char *detail,
    const char *fmt, va_list ap)
{
	const char *at = NULL;

	memset(part, 0, 3 * sizeof(*part));
	if (r->message != NULL) {
		at = strstr(r->message, "{detail}");
		if (at == NULL) {
			part[0] = (struct text){r->message, strlen(r->message)};
			return;
		}
	}
	vsnprintf(detail, 600, fmt, ap);
	part[1] = (struct text){detail, strlen(detail)};
	if (at != NULL) {
		part[0] = (struct text){r->message, (size_t)(at - r->message)};
		part[2] = (struct text){at + 8, strlen(at + 8)};
	}
}

static void
publish(engine *e, const struct finding *f)
{
	if (e->opts->on_finding != NULL &&
	    e->opts->on_finding(e->opts->on_finding_ctx, f) != 0)
		e->stream_failed = true;
}

/*
 * Keeps finding f of rule r on the current invoice; the caller filled in
 * where it sits (line fields and t's texts), this adds the rest.  Returns
 * f->at_risk as kept.
 */
static int64_t add_finding(engine *e, const struct rule *r,
    enum severity sev, int64_t at_risk, struct finding *f,
    struct finding_texts *t, const char *fmt, va_list ap)
    __attribute__((format(printf, 7, 0)));

static int64_t
add_finding(engine *e, const struct rule *r, enum severity sev,
    int64_t at_risk, struct finding *f, struct finding_texts *t,
    const char *fmt, va_list ap)
{
	struct inv_state *is = e->cur;
	const struct finding *kept;
	char detail[600];
	struct diag d;

	f->rule = r->id;
	f->check = r->check->name;
	f->severity = sev;
	f->clause = r->clause ? r->clause : "";
	f->rule_index = r->index;
	f->at_risk = at_risk < 0 ? 0 : at_risk;
	f->firm = is->inv.firm;
	f->firm_name = is->firm_name;
	f->invoice = is->inv.number;
	f->matter = is->inv.matter;
	f->file = is->inv.file;
	f->file_index = is->inv.file_index;
	is->nfindings++;
	if ((int)sev > is->worst)
		is->worst = (int)sev;
	message_parts(r, t->message, detail, fmt, ap);
	if (e->findings == NULL)
		e->findings = findings_new(e->opts->findings_spill_at);
	kept = findings_add(e->findings, f, t);
	if (kept != NULL) {
		publish(e, kept);
	} else if (!e->findings_failed) {
		/* Said once; the totals still count every finding. */
		e->findings_failed = true;
		diag_set(&d, DIAG_IO, (struct diag_pos){NULL, 0, 0},
		    "cannot keep the findings: %s; findings after the "
		    "first %zu are missing from the report",
		    findings_error(e->findings), findings_count(e->findings));
		add_error(&e->errors, &e->nerrors, &e->errors_cap, "", 0,
		    d.msg, e);
		if (e->opts->errfp != NULL)
			diag_print(e->opts->errfp, &d, "error");
	}
	return f->at_risk;
}

static void emit_line(struct check_ctx *cx, const struct rule *r,
    enum severity sev, const struct invoice_line *l, int64_t at_risk,
    const char *fmt, va_list ap) __attribute__((format(printf, 6, 0)));

static void
emit_line(struct check_ctx *cx, const struct rule *r, enum severity sev,
    const struct invoice_line *l, int64_t at_risk, const char *fmt,
    va_list ap)
{
	engine *e = cx->e;
	struct finding f;
	struct finding_texts t;

	memset(&f, 0, sizeof(f));
	f.row = l->row;
	f.date = l->date;
	f.units = l->num[N_UNITS];
	f.billed = l->num[N_TOTAL];
	t.line = l->field[F_LINE_ITEM_NUMBER];
	t.timekeeper = l->field[F_TIMEKEEPER_ID];
	t.tk_name = l->field[F_TIMEKEEPER_NAME];
	t.description = l->field[F_LINE_ITEM_DESCRIPTION];
	at_risk = add_finding(e, r, sev, at_risk, &f, &t, fmt, ap);
	if (l == e->line) {
		if (dec_add(&e->line_risk, at_risk) < 0)
			e->line_risk = INT64_MAX; /* capped at the line below */
		e->line_flagged = true;
	}
}

void
check_emit_line(struct check_ctx *cx, const struct rule *r,
    const struct invoice_line *l, int64_t at_risk, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	emit_line(cx, r, r->severity, l, at_risk, fmt, ap);
	va_end(ap);
}

void
check_emit_line_sev(struct check_ctx *cx, const struct rule *r,
    enum severity sev, const struct invoice_line *l, int64_t at_risk,
    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	emit_line(cx, r, sev, l, at_risk, fmt, ap);
	va_end(ap);
}

static struct text
ctext(const char *s)
{
	return (struct text){s, strlen(s)};
}

void
check_emit_invoice(struct check_ctx *cx, const struct rule *r,
    const struct invoice *inv, int64_t at_risk, const char *fmt, ...)
{
	engine *e = cx->e;
	struct finding f;
	struct finding_texts t;
	va_list ap;

	memset(&f, 0, sizeof(f));
	f.row = inv->first_row;
	f.units = inv->first_units;
	f.date = inv->first_date;
	f.billed = inv->first_billed;
	t.line = ctext(inv->first_line);
	t.timekeeper = ctext(inv->first_timekeeper);
	t.tk_name = ctext(inv->first_tk_name);
	t.description = ctext(inv->first_description);
	va_start(ap, fmt);
	at_risk = add_finding(e, r, r->severity, at_risk, &f, &t, fmt, ap);
	va_end(ap);
	e->cur->inv_risk += at_risk;
}

/* ---- scope -------------------------------------------------------- */

static bool
list_has(const struct strlist *l, struct text t)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (text_eq(t, l->v[i]))
			return true;
	return false;
}

static bool
line_in_scope(const struct rule *r, const struct invoice_line *l)
{
	unsigned type;

	if (r->firms.n > 0 && !list_has(&r->firms, l->field[F_LAW_FIRM_ID]))
		return false;
	if (r->matters.n > 0 &&
	    !list_has(&r->matters, l->field[F_LAW_FIRM_MATTER_ID]) &&
	    !list_has(&r->matters, l->field[F_CLIENT_MATTER_ID]))
		return false;
	if (r->classes.n > 0) {
		struct text c = {l->tk_class, l->tk_class ?
			strlen(l->tk_class) : 0};

		if (!list_has(&r->classes, c))
			return false;
	}
	if (r->types != 0) {
		type = l->type == LINE_FEE ? SCOPE_FEE :
		    l->type == LINE_EXPENSE ? SCOPE_EXPENSE :
		    l->type == LINE_UNKNOWN ? 0 : SCOPE_ADJUSTMENT;
		if ((r->types & type) == 0)
			return false;
	}
	if (r->from != DATE_NONE && l->date < r->from)
		return false;
	if (r->to != DATE_NONE && l->date > r->to)
		return false;
	return true;
}

static bool
invoice_in_scope(const struct rule *r, const struct invoice *inv)
{
	struct text firm = {inv->firm, strlen(inv->firm)};
	struct text matter = {inv->matter, strlen(inv->matter)};

	if (r->firms.n > 0 && !list_has(&r->firms, firm))
		return false;
	if (r->matters.n > 0 && !list_has(&r->matters, matter))
		return false;
	return true;
}

/* The field r's check needs that the input lacks, or F__COUNT. */
static enum field_id
missing_need(const struct rule *r, const bool *has_column)
{
	size_t i;

	for (i = 0; i < r->check->nneeds; i++)
		if (!has_column[r->check->needs[i]])
			return r->check->needs[i];
	return F__COUNT;
}

static bool
has_scope(const struct rule *r)
{
	return r->firms.n > 0 || r->matters.n > 0 || r->classes.n > 0 ||
	    r->types != 0 || r->from != DATE_NONE || r->to != DATE_NONE;
}

/* ---- lines and invoices ------------------------------------------- */

static bool
firm_selected(const engine *e, struct text firm)
{
	size_t i;

	if (e->opts->nfirms == 0)
		return true;
	for (i = 0; i < e->opts->nfirms; i++)
		if (text_eq(firm, e->opts->firms[i]))
			return true;
	return false;
}

static struct text
matter_of(const struct invoice_line *l)
{
	return l->field[F_LAW_FIRM_MATTER_ID].n ?
	    l->field[F_LAW_FIRM_MATTER_ID] : l->field[F_CLIENT_MATTER_ID];
}

static struct inv_state *
open_invoice(engine *e, const struct invoice_line *l, const char *key,
    size_t klen)
{
	struct inv_state **slot, *is;
	struct text firm = l->field[F_LAW_FIRM_ID];
	bool created;
	size_t i;

	slot = keymap_put(e->file_invoices, key, klen, &created);
	if (!created)
		return *slot;
	is = xcalloc(1, sizeof(*is));
	*slot = is;
	is->worst = -1;
	is->firm = rules_firm(e->rs, firm.p, firm.n);
	is->rules = rules_for_firm(e->rs, firm.p, firm.n);
	is->inv.file = e->file;
	is->inv.file_index = e->file_index;
	is->inv.format = l->format;
	is->inv.firm = keep_text(e, firm);
	if (is->firm != NULL && is->firm->name != NULL)
		is->firm_name = is->firm->name;
	else
		is->firm_name = keep_text(e, l->field[F_LAW_FIRM_NAME]);
	is->inv.number = keep_text(e, l->field[F_INVOICE_NUMBER]);
	is->inv.matter = keep_text(e, matter_of(l));
	is->inv.currency = keep_text(e, l->field[F_INVOICE_CURRENCY]);
	is->inv.po = keep_text(e, l->field[F_PO_NUMBER]);
	is->inv.date = l->invoice_date;
	is->inv.billing_start = l->billing_start;
	is->inv.billing_end = l->billing_end;
	is->inv.first_row = l->row;
	is->inv.first_line = keep_text(e, l->field[F_LINE_ITEM_NUMBER]);
	is->inv.first_date = l->date;
	is->inv.first_timekeeper = keep_text(e, l->field[F_TIMEKEEPER_ID]);
	is->inv.first_tk_name = keep_text(e, l->field[F_TIMEKEEPER_NAME]);
	is->inv.first_units = l->num[N_UNITS];
	is->inv.first_description =
	    keep_text(e, l->field[F_LINE_ITEM_DESCRIPTION]);
	is->inv.first_billed = l->num[N_TOTAL];
	is->inv.has_stated_total = line_has_num(l, N_INVOICE_TOTAL);
	is->inv.stated_total = l->num[N_INVOICE_TOTAL];
	is->inv.has_stated_tax_total = line_has_num(l, N_INVOICE_TAX_TOTAL);
	is->inv.stated_tax_total = l->num[N_INVOICE_TAX_TOTAL];
	is->inv.has_stated_net_total = line_has_num(l, N_INVOICE_NET_TOTAL);
	is->inv.stated_net_total = l->num[N_INVOICE_NET_TOTAL];
	is->inv.has_tax_column = l->has_column[F_LINE_ITEM_TAX_TOTAL];
	memcpy(is->inv.has_column, l->has_column, sizeof(is->inv.has_column));
	is->firm_len = firm.n;
	is->number_len = l->field[F_INVOICE_NUMBER].n;
	is->run = xcalloc(e->nrules ? e->nrules : 1, sizeof(*is->run));
	for (i = 0; i < e->nrules; i++) {
		const struct rule *r = &is->rules[i];

		if (!r->enabled || r->check->on_line == NULL)
			continue;
		is->run[is->nrun].index = (unsigned)i;
		is->run[is->nrun].scoped = has_scope(r);
		is->nrun++;
	}
	return is;
}

static struct inv_state *
invoice_for(engine *e, const struct invoice_line *l)
{
	struct text firm = l->field[F_LAW_FIRM_ID];
	struct text num = l->field[F_INVOICE_NUMBER];
	const void *parts[2] = {firm.p, num.p};
	size_t lens[2] = {firm.n, num.n}, klen;
	struct inv_state *last = e->last_inv;

	/* An invoice's lines come together: compare before keying. */
	if (last != NULL && text_eq_text(num, (struct text){last->inv.number,
	    last->number_len}) && text_eq_text(firm, (struct text){
	    last->inv.firm, last->firm_len}))
		return last;
	/* Ids are as long as the record allows, so the key buffer grows. */
	xgrow(&e->keybuf, &e->keybuf_cap, firm.n + num.n + 16, 1);
	klen = keymap_key(e->keybuf, e->keybuf_cap, parts, lens, 2);
	e->last_inv = open_invoice(e, l, e->keybuf, klen);
	return e->last_inv;
}

static void
on_line(void *ctx, struct invoice_line *l)
{
	engine *e = ctx;
	struct inv_state *is;
	const struct rule *rules;
	int64_t capped;
	size_t i;
	bool not_ahead;

	if (!firm_selected(e, l->field[F_LAW_FIRM_ID])) {
		e->skipped++;
		return;
	}
	e->checked++;
	/* Not done ahead (no pipeline, or its reader was the slower): the
	 * hooks see zeroed results, and do the work themselves. */
	not_ahead = l->ahead == NULL && e->no_ahead != NULL;
	if (not_ahead)
		l->ahead = e->no_ahead;
	is = invoice_for(e, l);
	is->inv.nlines++;
	if (dec_add(&is->inv.line_sum, l->num[N_TOTAL]) < 0 ||
	    dec_add(&is->inv.tax_sum, l->num[N_TAX_TOTAL]) < 0)
		is->inv.overflow = true;
	e->cur = is;
	e->line = l;
	e->line_risk = 0;
	e->line_flagged = false;
	rules = is->rules;
	for (i = 0; i < is->nrun; i++) {
		struct line_rule *lr = &is->run[i];
		const struct rule *r = &rules[lr->index];
		enum field_id lacks;

		if (lr->skipped || (lr->scoped && !line_in_scope(r, l)))
			continue;
		e->cx.rule = lr->index;
		/* The columns are the input's: once per invoice is enough. */
		if (!lr->ready) {
			lacks = missing_need(r, l->has_column);
			if (lacks != F__COUNT) {
				check_note(&e->cx, r, "input has no %s column",
				    field_name(lacks));
				lr->skipped = true;
				continue;
			}
			lr->ready = true;
		}
		e->cur_rule = lr;
		r->check->on_line(&e->cx, r, l);
		e->cur_rule = NULL;
	}
	/* A line cannot lose more than it bills, however many rules fire. */
	capped = e->line_risk;
	if (capped > l->num[N_TOTAL])
		capped = l->num[N_TOTAL] > 0 ? l->num[N_TOTAL] : 0;
	if (dec_add(&is->line_risk, capped) < 0)
		is->inv.overflow = true;
	if (e->line_flagged)
		is->lines_with_findings++;
	e->line = NULL;
	if (not_ahead)
		l->ahead = NULL; /* the reader's line, as it was */
}

static void
record_problem(engine *e, const struct diag *d, const char *severity,
    bool note)
{
	if (note)
		add_error(&e->notes, &e->nnotes, &e->notes_cap,
		    d->pos.file ? d->pos.file : e->file, d->pos.line, d->msg,
		    e);
	else
		add_error(&e->errors, &e->nerrors, &e->errors_cap,
		    d->pos.file ? d->pos.file : e->file, d->pos.line, d->msg,
		    e);
	if (e->opts->errfp != NULL && (!note || !e->opts->quiet))
		diag_print(e->opts->errfp, d, severity);
}

static void
on_reject(void *ctx, const struct diag *d)
{
	record_problem(ctx, d, "error", false);
}

static void
on_note(void *ctx, const struct diag *d)
{
	record_problem(ctx, d, "note", true);
}

engine *
engine_new(const rule_set *rs, const struct engine_opts *opts)
{
	engine *e = xcalloc(1, sizeof(*e));
	const struct rule *rules = rules_list(rs, &e->nrules);
	size_t i;

	e->rs = rs;
	e->opts = opts;
	e->cx.e = e;
	e->strings = arena_new();
	e->notes_seen = keymap_new(1);
	e->note_memo = xcalloc(e->nrules ? e->nrules : 1,
	    sizeof(*e->note_memo));
	e->states = xcalloc(e->nrules, sizeof(*e->states));
	for (i = 0; i < e->nrules; i++) {
		e->cx.rule = i;
		if (rules[i].check->state_new_cx != NULL)
			e->states[i] = rules[i].check->state_new_cx(&e->cx,
			    &rules[i]);
		else if (rules[i].check->state_new != NULL)
			e->states[i] = rules[i].check->state_new(&rules[i]);
	}
	for (i = 0; i < e->njobs; i++)
		if (e->jobs[i].job->start != NULL)
			e->jobs[i].job->start(e->jobs[i].arg);
	if (e->njobs > 0) {
		e->ahead.ctx = e;
		e->ahead.run = run_ahead;
		e->ahead.fini = fini_ahead;
		e->ahead.soon = soon_ahead;
		e->no_ahead = xcalloc(1, e->ahead.size ? e->ahead.size : 1);
		e->sink.ahead = &e->ahead;
	}
	e->sink.ctx = e;
	e->sink.on_line = on_line;
	e->sink.on_reject = on_reject;
	e->sink.on_error = on_reject;
	e->sink.on_note = on_note;
	return e;
}

const struct input_sink *
engine_sink(engine *e)
{
	return &e->sink;
}

void
engine_begin_file(engine *e, const char *name, unsigned file_index)
{
	e->file = name;
	e->file_index = file_index;
	e->file_invoices = keymap_new(sizeof(struct inv_state *));
	e->checked = e->skipped = 0;
	e->file_failed = false;
	e->last_inv = NULL;
}

static const char *
input_format_label(const struct input_counts *c)
{
	return c->format_known ? input_format_name(c->format) : "";
}

static void
finish_invoice(void *ctx, const void *key, size_t len, void *value)
{
	engine *e = ctx;
	struct inv_state *is = *(struct inv_state **)value;
	struct invoice_summary *s;
	const struct matter *m = NULL;
	int64_t billed, risk;
	size_t i;

	(void)key;
	(void)len;
	e->cur = is;
	if (is->inv.overflow) {
		struct diag d;

		/* Totals that do not fit cannot be paid or checked: the
		 * input was not read in full. */
		diag_set(&d, DIAG_LIMIT, (struct diag_pos){is->inv.file,
		    is->inv.first_row, 0}, "invoice %.40s: its amounts add up "
		    "past what billcheck can total (10^14); its totals are "
		    "not reported", is->inv.number);
		record_problem(e, &d, "error", false);
		e->file_failed = true;
	}
	for (i = 0; i < e->nrules; i++) {
		const struct rule *r = &is->rules[i];

		if (!r->enabled || r->check->on_invoice == NULL ||
		    !invoice_in_scope(r, &is->inv))
			continue;
		e->cx.rule = i;
		r->check->on_invoice(&e->cx, r, &is->inv);
	}
	xgrow(&e->invoices, &e->invoices_cap, e->ninvoices + 1,
	    sizeof(*e->invoices));
	s = &e->invoices[e->ninvoices++];
	memset(s, 0, sizeof(*s));
	s->firm = is->inv.firm;
	s->firm_name = is->firm_name;
	s->invoice = is->inv.number;
	s->matter = is->inv.matter;
	if (is->firm != NULL)
		m = firm_matter(is->firm, is->inv.matter,
		    strlen(is->inv.matter));
	s->cost_center = m && m->cost_center ? m->cost_center : "";
	s->po = m && m->po ? m->po : "";
	s->file = is->inv.file;
	s->file_index = is->inv.file_index;
	s->row = is->inv.first_row;
	s->date = is->inv.date;
	s->lines = is->inv.nlines;
	s->lines_with_findings = is->lines_with_findings;
	s->nfindings = is->nfindings;
	/* What the firm asks to be paid is the stated invoice total; an
	 * export without one asks for the sum of its lines. */
	billed = is->inv.has_stated_total ? is->inv.stated_total :
	    is->inv.line_sum;
	risk = is->line_risk;
	if (dec_add(&risk, is->inv_risk) < 0 || risk > billed)
		risk = billed > 0 ? billed : 0;
	if (is->inv.overflow)
		billed = risk = 0; /* reported as an error above */
	s->billed = billed;
	s->at_risk = risk;
	s->approved = billed - risk;
	s->verdict = is->worst == SEV_ERROR ? VERDICT_REJECT :
	    is->worst == SEV_WARNING ? VERDICT_REVIEW : VERDICT_APPROVE;
	free(is->run);
	free(is);
	e->cur = NULL;
}

void
engine_end_file(engine *e, const struct input_counts *c)
{
	struct input_summary *in;

	keymap_each(e->file_invoices, finish_invoice, e);
	keymap_free(e->file_invoices);
	e->file_invoices = NULL;
	e->last_inv = NULL;
	xgrow(&e->inputs, &e->inputs_cap, e->ninputs + 1, sizeof(*e->inputs));
	in = &e->inputs[e->ninputs++];
	in->file = keep(e, e->file, strlen(e->file));
	in->format = input_format_label(c);
	in->records = c->records;
	in->checked = e->checked;
	in->skipped = e->skipped;
	in->rejected = c->rejected;
	in->failed = c->failed || c->rejected > 0 || e->file_failed;
}

void
engine_input_error(engine *e, const char *name, const struct diag *d)
{
	struct input_summary *in;

	add_error(&e->errors, &e->nerrors, &e->errors_cap, name, 0, d->msg, e);
	if (e->opts->errfp != NULL)
		diag_print(e->opts->errfp, d, "error");
	xgrow(&e->inputs, &e->inputs_cap, e->ninputs + 1, sizeof(*e->inputs));
	in = &e->inputs[e->ninputs++];
	memset(in, 0, sizeof(*in));
	in->file = keep(e, name, strlen(name));
	in->format = "";
	in->failed = true;
}

bool
engine_stream_failed(const engine *e)
{
	return e->stream_failed;
}

/* ---- the result --------------------------------------------------- */

/* Totals of totals: past INT64_MAX ten-thousandths (9e14 in money) they
 * stick at the limit rather than wrap. */
static void
saturating_add(int64_t *acc, int64_t v)
{
	if (dec_add(acc, v) < 0)
		*acc = v > 0 ? INT64_MAX : INT64_MIN;
}

static int
cmp_invoice(const void *a, const void *b)
{
	const struct invoice_summary *x = a, *y = b;
	int c = strcmp(x->firm, y->firm);

	if (c != 0)
		return c;
	if (x->file_index != y->file_index)
		return x->file_index < y->file_index ? -1 : 1;
	return x->row < y->row ? -1 : x->row > y->row;
}

/* An invoice of a firm with its month: year * 12 + month - 1, or
 * INT32_MAX for an invoice without a date (sorted last). */
struct month_key {
	int32_t key;
	size_t  inv;
};

static int
cmp_month_key(const void *a, const void *b)
{
	const struct month_key *x = a, *y = b;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return x->inv < y->inv ? -1 : x->inv > y->inv;
}

/* The trend: f's invoices inv[0..n) summed per invoice month. */
static void
build_months(struct firm_summary *f, const struct invoice_summary *inv,
    size_t n)
{
	struct month_key *mk = xmalloc((n ? n : 1) * sizeof(*mk));
	struct month_summary *m = NULL;
	size_t i;
	int y, mo, d;

	f->months = xcalloc(n ? n : 1, sizeof(*f->months));
	for (i = 0; i < n; i++) {
		mk[i].inv = i;
		mk[i].key = INT32_MAX;
		if (inv[i].date != DATE_NONE) {
			date_to_ymd(inv[i].date, &y, &mo, &d);
			mk[i].key = (int32_t)(y * 12 + mo - 1);
		}
	}
	qsort(mk, n, sizeof(*mk), cmp_month_key);
	for (i = 0; i < n; i++) {
		const struct invoice_summary *s = &inv[mk[i].inv];

		if (i == 0 || mk[i].key != mk[i - 1].key) {
			m = &f->months[f->nmonths++];
			if (mk[i].key == INT32_MAX)
				memcpy(m->month, "undated", 8);
			else
				(void)snprintf(m->month, sizeof(m->month),
				    "%04u-%02u",
				    (unsigned)(mk[i].key / 12) % 10000u,
				    (unsigned)(mk[i].key % 12) % 12u + 1u);
		}
		m->invoices++;
		if (s->verdict != VERDICT_APPROVE)
			m->invoices_with_findings++;
		m->lines += s->lines;
		m->lines_with_findings += s->lines_with_findings;
		saturating_add(&m->billed, s->billed);
		saturating_add(&m->at_risk, s->at_risk);
		m->exception_rate_bp = (unsigned)(m->invoices_with_findings *
		    10000 / m->invoices);
	}
	free(mk);
}

static void
build_firms(engine *e, struct run_result *res)
{
	const struct rule_tally *tally;
	size_t i, j, first = 0, ntally;

	res->firms = xcalloc(e->ninvoices ? e->ninvoices : 1,
	    sizeof(*res->firms));
	for (i = 0; i < e->ninvoices; i++) {
		const struct invoice_summary *s = &e->invoices[i];
		struct firm_summary *f;

		if (res->nfirms == 0 ||
		    strcmp(res->firms[res->nfirms - 1].firm, s->firm) != 0) {
			f = &res->firms[res->nfirms++];
			f->firm = s->firm;
			f->firm_name = s->firm_name;
			f->by_rule = xcalloc(e->nrules ? e->nrules : 1,
			    sizeof(*f->by_rule));
		}
		f = &res->firms[res->nfirms - 1];
		f->invoices++;
		if (s->verdict != VERDICT_APPROVE)
			f->invoices_with_findings++;
		f->lines += s->lines;
		f->lines_with_findings += s->lines_with_findings;
		saturating_add(&f->billed, s->billed);
		saturating_add(&f->at_risk, s->at_risk);
	}
	for (i = 0; i < res->nfirms; i++) {
		struct firm_summary *f = &res->firms[i];
		const struct rule *rules = rules_list(e->rs, &j);

		f->exception_rate_bp = f->invoices ? (unsigned)(
		    f->invoices_with_findings * 10000 / f->invoices) : 0;
		for (j = 0; j < e->nrules; j++) {
			f->by_rule[j].rule = rules[j].id;
			f->by_rule[j].check = rules[j].check->name;
		}
		/* The store summed each firm's findings as they came. */
		tally = findings_firm_tally(res->findings, f->firm, &ntally);
		for (j = 0; j < e->nrules && j < ntally; j++) {
			f->by_rule[j].count = tally[j].count;
			f->by_rule[j].at_risk = tally[j].at_risk;
		}
		for (j = 0; j < e->nrules; j++)
			if (f->by_rule[j].count > 0)
				f->by_rule[f->nby_rule++] = f->by_rule[j];
		/* A firm's invoices are the next f->invoices, sorted by firm. */
		build_months(f, &e->invoices[first], f->invoices);
		first += f->invoices;
	}
}

struct result_owner {
	struct run_result res;
	arena            *strings;
};

struct run_result *
engine_finish(engine *e)
{
	struct result_owner *o = xcalloc(1, sizeof(*o));
	struct run_result *res = &o->res;
	const struct rule *rules = rules_list(e->rs, &(size_t){0});
	size_t i;

	for (i = 0; i < e->nrules; i++) {
		if (!rules[i].enabled || rules[i].check->on_end == NULL)
			continue;
		e->cx.rule = i;
		rules[i].check->on_end(&e->cx, &rules[i]);
	}
	if (e->findings == NULL)
		e->findings = findings_new(e->opts->findings_spill_at);
	findings_sort(e->findings);
	if (e->ninvoices > 0)
		qsort(e->invoices, e->ninvoices, sizeof(*e->invoices),
		    cmp_invoice);
	res->findings = e->findings;
	res->nfindings = findings_count(e->findings);
	res->invoices = e->invoices;
	res->ninvoices = e->ninvoices;
	res->inputs = e->inputs;
	res->ninputs = e->ninputs;
	res->errors = e->errors;
	res->nerrors = e->nerrors;
	res->notes = e->notes;
	res->nnotes = e->nnotes;
	build_firms(e, res);
	for (i = 0; i < res->ninputs; i++) {
		res->records += res->inputs[i].records;
		res->checked += res->inputs[i].checked;
		res->rejected += res->inputs[i].rejected;
	}
	for (i = 0; i < res->nfirms; i++) {
		res->lines += res->firms[i].lines;
		saturating_add(&res->billed, res->firms[i].billed);
		saturating_add(&res->at_risk, res->firms[i].at_risk);
	}
	/* A total stuck at the int64 limit is wrong: say so. */
	if (res->billed == INT64_MAX || res->billed == INT64_MIN ||
	    res->at_risk == INT64_MAX) {
		add_error(&e->errors, &e->nerrors, &e->errors_cap, "", 0,
		    "the run's totals exceed what billcheck can add up (about "
		    "922 trillion); the totals shown are capped", e);
		res->errors = e->errors;
		res->nerrors = e->nerrors;
		if (e->opts->errfp != NULL)
			fprintf(e->opts->errfp, "billcheck: error: %s\n",
			    e->errors[e->nerrors - 1].message);
	}
	for (i = 0; i < 3; i++)
		res->count_by_severity[i] =
		    findings_count_severity(e->findings, (enum severity)i);
	res->rules_name = rules_name(e->rs);
	res->rules_file = rules_file(e->rs);
	res->rules_sha256 = rules_sha256(e->rs);
	res->currency = rules_currency(e->rs) ? rules_currency(e->rs) : "";
	o->strings = e->strings;
	e->strings = NULL;
	e->findings = NULL;
	e->invoices = NULL;
	e->inputs = NULL;
	e->errors = e->notes = NULL;
	return res;
}

void
engine_free(engine *e)
{
	const struct rule *rules;
	size_t i, n;

	if (e == NULL)
		return;
	rules = rules_list(e->rs, &n);
	for (i = 0; i < e->nrules; i++)
		if (e->states[i] != NULL)
			rules[i].check->state_free(e->states[i]);
	free(e->states);
	free(e->no_ahead);
	free(e->jobs);
	for (i = 0; i < e->nshared; i++)
		e->shared[i].drop(e->shared[i].obj);
	free(e->shared);
	keymap_free(e->notes_seen);
	free(e->note_memo);
	keymap_free(e->file_invoices);
	free(e->keybuf);
	findings_free(e->findings);
	free(e->invoices);
	free(e->inputs);
	free(e->errors);
	free(e->notes);
	arena_free(e->strings);
	free(e);
}

void
run_result_free(struct run_result *res)
{
	struct result_owner *o = (struct result_owner *)res;
	size_t i;

	if (res == NULL)
		return;
	for (i = 0; i < res->nfirms; i++) {
		free(res->firms[i].by_rule);
		free(res->firms[i].months);
		free(res->firms[i].history_months);
	}
	free(res->firms);
	findings_free(res->findings);
	free(res->invoices);
	free(res->inputs);
	free(res->errors);
	free(res->notes);
	arena_free(o->strings);
	free(o);
}
