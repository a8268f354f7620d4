/* required_codes.c - UTBMS task and activity codes on fees, expense codes
 * on expenses, each from the configured code sets. */
#include <string.h>

#include "checks.h"
#include "utbms.h"

enum { P_FEES, P_EXPENSES, P_CODE_SETS, P_EXTRA_CODES };

static const char *const fee_codes[] = {"task", "activity", NULL};
static const char *const expense_codes[] = {"expense", NULL};

static const struct param_spec params[] = {
	{"fees", PARAM_LIST, NULL, "codes a fee needs: task, activity "
	    "(default both)", fee_codes},
	{"expenses", PARAM_LIST, NULL, "codes an expense needs: expense "
	    "(default expense)", expense_codes},
	{"code_sets", PARAM_LIST, NULL, "task code sets: litigation, "
	    "counseling, bankruptcy (default litigation)", utbms_task_sets},
	{"extra_codes", PARAM_LIST, NULL, "further codes accepted (client or "
	    "firm-specific)", NULL},
};

static bool
listed(const struct param_value *v, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < v->u.list.n; i++)
		if (strlen(v->u.list.v[i]) == n &&
		    memcmp(v->u.list.v[i], s, n) == 0)
			return true;
	return false;
}

/* An unset list parameter means its default. */
static bool
wants(const struct param_value *v, const char *what)
{
	return !v->set || listed(v, what, strlen(what));
}

static bool
known(const struct rule *r, enum utbms_kind kind, struct text code)
{
	const struct param_value *sets = rule_param(r, P_CODE_SETS);
	size_t i;

	if (listed(rule_param(r, P_EXTRA_CODES), code.p, code.n))
		return true;
	if (kind != UTBMS_TASK || !sets->set)
		return utbms_has(kind, "litigation", code.p, code.n);
	for (i = 0; i < sets->u.list.n; i++)
		if (utbms_has(kind, sets->u.list.v[i], code.p, code.n))
			return true;
	return false;
}

static void
require(struct check_ctx *cx, const struct rule *r,
    const struct invoice_line *l, enum field_id f, enum utbms_kind kind,
    const char *what)
{
	struct text code = l->field[f];

	if (!l->has_column[f]) {
		check_note(cx, r, "input has no %s column; %s codes not checked",
		    field_name(f), what);
		return;
	}
	if (code.n == 0) {
		check_emit_line(cx, r, l, 0, "%s without %s %s code",
		    l->type == LINE_FEE ? "fee" : "expense",
		    what[0] == 'a' || what[0] == 'e' ? "an" : "a", what);
		return;
	}
	if (!known(r, kind, code))
		check_emit_line(cx, r, l, 0,
		    "%s code '%.*s' is not a known UTBMS %s code", what,
		    (int)(code.n > 20 ? 20 : code.n), code.p, what);
}

static void
on_line(struct check_ctx *cx, const struct rule *r,
    const struct invoice_line *l)
{
	if (l->type == LINE_FEE) {
		if (wants(rule_param(r, P_FEES), "task"))
			require(cx, r, l, F_LINE_ITEM_TASK_CODE, UTBMS_TASK,
			    "task");
		if (wants(rule_param(r, P_FEES), "activity"))
			require(cx, r, l, F_LINE_ITEM_ACTIVITY_CODE,
			    UTBMS_ACTIVITY, "activity");
	} else if (l->type == LINE_EXPENSE) {
		if (wants(rule_param(r, P_EXPENSES), "expense"))
			require(cx, r, l, F_LINE_ITEM_EXPENSE_CODE,
			    UTBMS_EXPENSE, "expense");
	}
}

const struct check check_required_codes = {
	.name = "required_codes",
	.summary = "fee without task or activity code, expense without "
		   "expense code, or a code not in the UTBMS sets",
	.params = params,
	.nparams = sizeof(params) / sizeof(params[0]),
	.on_line = on_line,
};
