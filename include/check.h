/* check.h - the check catalog: one table entry and one file per check. */
#ifndef BILLCHECK_CHECK_H
#define BILLCHECK_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "record.h"
#include "rules.h"

/* An invoice as the engine has gathered it by the end of its file.  The
 * "first" fields describe the invoice's first line, where invoice-level
 * findings sit. */
struct invoice {
	const char       *file;
	unsigned          file_index;
	enum input_format format;
	const char       *firm;      /* LAW_FIRM_ID ("" when unknown) */
	const char       *number;    /* INVOICE_NUMBER */
	const char       *matter;    /* LAW_FIRM_MATTER_ID or CLIENT_MATTER_ID */
	const char       *currency;  /* INVOICE_CURRENCY, or "" */
	const char       *po;        /* PO_NUMBER, or "" */
	int32_t           date, billing_start, billing_end;

	unsigned long     first_row;
	const char       *first_line; /* LINE_ITEM_NUMBER */
	int32_t           first_date;
	const char       *first_timekeeper;
	const char       *first_tk_name;
	int64_t           first_units;
	const char       *first_description;
	int64_t           first_billed;

	unsigned long     nlines;        /* checked lines */
	int64_t           stated_total;  /* INVOICE_TOTAL of the first line */
	bool              has_stated_total;
	int64_t           line_sum;      /* sum of LINE_ITEM_TOTAL */
	int64_t           tax_sum;       /* sum of LINE_ITEM_TAX_TOTAL */
	int64_t           stated_tax_total, stated_net_total;
	bool              has_stated_tax_total, has_stated_net_total;
	bool              has_tax_column;
	/* The input has this field at all (a column, or a --set default). */
	bool              has_column[F__COUNT];
	bool              overflow;      /* a sum overflowed: totals unusable */
};

struct check_ctx; /* engine-owned; passed to every hook */
struct history;   /* history.h */

struct check {
	const char              *name;
	const char              *summary;  /* one line for --list-checks */
	const struct param_spec *params;
	size_t                   nparams;
	/* Fields a check needs; when an input lacks one, the check is
	 * skipped for that input and the report says so once. */
	const enum field_id     *needs;
	size_t                   nneeds;
	/* Per-rule state for group checks (NULL when stateless). */
	void *(*state_new)(const struct rule *r);
	void  (*state_free)(void *state);
	/* Used instead of state_new when set: for a check that shares
	 * per-run work with other checks through check_shared. */
	void *(*state_new_cx)(struct check_ctx *cx, const struct rule *r);
	/* Hooks; any may be NULL. */
	void (*on_line)(struct check_ctx *cx, const struct rule *r,
	    const struct invoice_line *l);
	void (*on_invoice)(struct check_ctx *cx, const struct rule *r,
	    const struct invoice *inv);
	void (*on_end)(struct check_ctx *cx, const struct rule *r);
};

/* The catalog, in --list-checks order. */
const struct check *const *check_catalog(size_t *n);
const struct check *check_find(const char *name);

/* Index of a parameter by name within c->params, or -1. */
int check_param_index(const struct check *c, const char *name);

/* What a hook may ask the engine. */
const rule_set    *check_rules(const struct check_ctx *cx);
/* The listed firm the current line or invoice belongs to, or NULL. */
const struct firm *check_firm(const struct check_ctx *cx);
void              *check_state(struct check_ctx *cx);
/* The history of earlier runs (--history, include "history.h"), or NULL:
 * a check that reads it behaves exactly as without it when NULL. */
const struct history *check_history(const struct check_ctx *cx);
/* The run's one object of a kind (key: the address of something the
 * caller owns, so kinds never clash), shared by the checks that ask: made
 * by make() on the first call, freed by drop() when the engine is freed,
 * after every state_free. */
void *check_shared(struct check_ctx *cx, const void *key, void *(*make)(void),
    void (*drop)(void *));
/* Records the duplicate check's fingerprint of line l with the run
 * (a no-op without --history). */
void check_history_fingerprint(struct check_ctx *cx,
    const struct invoice_line *l, const unsigned char fp[16]);

/* Records a finding on line l (or on inv's first line) with the given
 * amount at risk (DEC_SCALE, >= 0).  The text is the rule's message when
 * it has one ("{detail}" in it is replaced by this text). */
void check_emit_line(struct check_ctx *cx, const struct rule *r,
    const struct invoice_line *l, int64_t at_risk, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
void check_emit_invoice(struct check_ctx *cx, const struct rule *r,
    const struct invoice *inv, int64_t at_risk, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* Like check_emit_line with an explicit severity (budget's warn_at). */
void check_emit_line_sev(struct check_ctx *cx, const struct rule *r,
    enum severity sev, const struct invoice_line *l, int64_t at_risk,
    const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/*
 * Work on each line that needs nothing but the line and what the states
 * were made with, which the reader's thread may do ahead of the line's
 * hooks when the run has two (so that both cores share the checks); a
 * hook reads the result with check_ahead_of.  run is only ever called
 * there, so it must read nothing that a hook changes, and write nothing
 * a hook reads but its result (a scratch buffer of arg's own may serve
 * every line).  Its result is `size` bytes, zeroed once and reused from
 * line to line; fini (may be NULL) frees what run kept in them.
 *
 * A line may come with every result zeroed: the job was not run (no
 * second thread, or the reader was the slower one), and the hooks do
 * the work themselves.  So a result must say whether it is one.
 */
struct check_ahead {
	size_t size;
	/* Once, after every rule's state is made, before the first line
	 * (may be NULL): what run reads is final from then on. */
	void (*start)(void *arg);
	void (*run)(void *arg, const struct invoice_line *l, void *out);
	void (*fini)(void *out);
	/* May be NULL: on the hooks' thread, a few lines before l's hooks,
	 * with run's result: may prefetch what they will look up, and
	 * must change nothing. */
	void (*soon)(const void *arg, const struct invoice_line *l,
	    const void *out);
};

/* Adds job (static; with arg, which the caller owns) to the run, from a
 * state_new_cx hook, and returns the handle of its result.  Jobs run in
 * the order they were added, so one may read the result of an earlier
 * one. */
size_t check_ahead_add(struct check_ctx *cx, const struct check_ahead *job,
    void *arg);

/* The result of a job for line l (in a hook, or in a later job). */
static inline void *
check_ahead_of(const struct invoice_line *l, size_t handle)
{
	return (unsigned char *)l->ahead + handle;
}

/* Tells the user, once per rule and input, why the check could not run
 * on some lines ("firm 24-6437381 has no roster").  Never a finding. */
void check_note(struct check_ctx *cx, const struct rule *r, const char *fmt,
    ...) __attribute__((format(printf, 3, 4)));

/* Tells the engine that the rule whose on_line hook runs cannot apply to
 * any further line of the current invoice (its firm is not listed, say),
 * so the hook is not called for them.  Only for reasons that hold for
 * the whole invoice; after check_note, which says why. */
void check_skip_invoice(struct check_ctx *cx);

/* The shorthands a check uses for its parameters. */
static inline const struct param_value *
rule_param(const struct rule *r, int i)
{
	return &r->params[i];
}

#endif
