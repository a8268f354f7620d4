/* rules.h - the guideline rules file: loaded, validated, then immutable. */
#ifndef BILLCHECK_RULES_H
#define BILLCHECK_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "input.h"

struct check;

enum severity {
	SEV_INFO,
	SEV_WARNING,
	SEV_ERROR
};

const char *severity_name(enum severity s); /* "info", "warning", "error" */

/* Parameter kinds a check can declare.  Amounts are DEC_SCALE integers. */
enum param_type {
	PARAM_AMOUNT,    /* non-negative decimal: money, hours, increments */
	PARAM_FRACTION,  /* decimal in [0, 1], DEC_SCALE (warn_at, reduction) */
	PARAM_PERCENT,   /* decimal in [0, 100], DEC_SCALE */
	PARAM_COUNT,     /* non-negative integer */
	PARAM_BOOL,
	PARAM_STRING,
	PARAM_LIST,      /* list of strings (phrases, codes, field names) */
	PARAM_CAPS,      /* map CODE -> {unit: AMOUNT, total: AMOUNT} */
	PARAM_DATES      /* list of dates (YYYY-MM-DD) */
};

struct param_spec {
	const char     *name;
	enum param_type type;
	const char     *dflt;  /* default, as YAML scalar text; NULL = unset */
	const char     *help;  /* one line for --list-checks */
	const char *const *choices; /* PARAM_STRING/PARAM_LIST: allowed
	                               values (NULL-terminated), or NULL */
};

struct expense_cap {
	const char *code;
	int64_t     unit, total;         /* DEC_SCALE */
	bool        has_unit, has_total;
};

struct param_value {
	bool set; /* given in the file, or by the spec's default */
	union {
		int64_t amount;   /* AMOUNT, FRACTION, PERCENT */
		long    count;
		bool    flag;
		const char *str;
		struct {
			const char *const *v;
			size_t n;
		} list;
		struct {
			const struct expense_cap *v;
			size_t n;
		} caps;
		struct {
			const int32_t *v;
			size_t n;
		} dates;
	} u;
};

/* Line types a rule may be scoped to (bits). */
enum {
	SCOPE_FEE = 1,
	SCOPE_EXPENSE = 2,
	SCOPE_ADJUSTMENT = 4
};

struct strlist {
	const char *const *v;
	size_t n;
};

struct rule {
	const char         *id;
	const struct check *check;
	unsigned            index;     /* position in the rules list */
	enum severity       severity;
	const char         *clause;    /* "" when none */
	const char         *message;   /* NULL: the check's own text */
	bool                enabled;
	int64_t             reduction; /* DEC_SCALE fraction, default 1 */
	/* scope: an empty list or 0 means "everywhere" */
	struct strlist      firms, matters, classes; /* classes canonical */
	unsigned            types;     /* SCOPE_* bits */
	int32_t             from, to;  /* DATE_NONE when open */
	const struct param_value *params; /* check->nparams entries */
	unsigned long       line, col; /* where the rule starts in the file */
};

struct rate_period {
	int64_t rate;     /* DEC_SCALE */
	int32_t from, to; /* inclusive; DATE_NONE when open */
};

struct timekeeper {
	const char *id;
	const char *name;   /* NULL when not given */
	const char *class;  /* canonical, or NULL */
	const struct rate_period *rates;
	size_t      nrates;
};

struct matter {
	const char *id;
	const char *name;        /* NULL when not given */
	int64_t     budget;      /* DEC_SCALE */
	bool        has_budget;
	const char *cost_center; /* NULL when not given */
	const char *po;          /* NULL when not given */
	int64_t     po_amount;
	bool        has_po_amount;
};

struct firm {
	const char *id;
	const char *name;        /* NULL when not given */
	bool        has_roster;  /* a timekeepers: list was given */
	const struct timekeeper *tks;
	size_t      ntks;
	const struct matter *matters;
	size_t      nmatters;
	/* All rules in order, with this firm's overrides applied. */
	const struct rule *rules;
};

typedef struct rule_set rule_set;

/* Parses and validates the YAML text buf[0..len) named `name` (kept
 * borrowed for diagnostics).  Everything is checked before returning:
 * unknown keys, wrong types, unknown checks and parameters, duplicate ids
 * and YAML keys, bad dates, negative amounts, aliases and merge keys,
 * override targets.  Returns 0 and a new *out (free with rules_free), or
 * -1 with *out == NULL, every problem printed to errfp (may be NULL) as
 * "billcheck: FILE:LINE:COL: error: ..." with the source line and a caret,
 * and the first one in *d. */
int rules_load(rule_set **out, const char *name, const char *buf,
    size_t len, FILE *errfp, struct diag *d)
    __attribute__((warn_unused_result));
void rules_free(rule_set *rs);

/* Files larger than this are refused before parsing. */
#define RULES_MAX_BYTES ((size_t)8 << 20)

const char *rules_name(const rule_set *rs);   /* the name: key, or "" */
const char *rules_file(const rule_set *rs);   /* the file name given */
const char *rules_sha256(const rule_set *rs); /* hex of the file's bytes */
const char *rules_currency(const rule_set *rs); /* NULL when not given */

/* The rules in order, without firm overrides; *n gets the count. */
const struct rule *rules_list(const rule_set *rs, size_t *n);
/* The rules that apply to lines of firm_id: the firm's own array when the
 * firm is listed, else rules_list. */
const struct rule *rules_for_firm(const rule_set *rs, const char *firm_id,
    size_t len);

size_t             rules_nfirms(const rule_set *rs);
const struct firm *rules_firm_at(const rule_set *rs, size_t i);
/* Exact match on the firm id; NULL when the firm is not listed. */
const struct firm *rules_firm(const rule_set *rs, const char *id,
    size_t len);

const struct timekeeper *firm_timekeeper(const struct firm *f,
    const char *id, size_t len);
const struct matter *firm_matter(const struct firm *f, const char *id,
    size_t len);
/* The rate in effect on `date` for tk, or -1 when none applies. */
int64_t timekeeper_rate_on(const struct timekeeper *tk, int32_t date);

/* rate_caps: the cap for a canonical class, or -1 when none. */
int64_t rules_rate_cap(const rule_set *rs, const char *class);

/* input: settings (columns, date_format, defaults), merged into opts:
 * fields opts already sets (from --set) win. */
void rules_input_opts(const rule_set *rs, struct input_opts *opts);

#endif
