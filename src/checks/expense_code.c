/* expense_code.c - expenses of a kind the guidelines do not reimburse
 * (internal copying, Lexis/Westlaw, overtime meals...), by UTBMS code. */
#include <string.h>
#include <strings.h>

#include "checks.h"

enum { P_DISALLOWED };

static const struct param_spec params[] = {
	{"disallowed", PARAM_LIST, NULL, "expense codes not reimbursed "
	    "(E101, E106, ...)", NULL},
};

/* Codes compare without case: firms write e101 as often as E101. */
static bool
listed(const struct param_value *v, struct text code)
{
	size_t i;

	for (i = 0; i < v->u.list.n; i++)
		if (strlen(v->u.list.v[i]) == code.n &&
		    strncasecmp(v->u.list.v[i], code.p, code.n) == 0)
			return true;
	return false;
}

static void
on_line(struct check_ctx *cx, const struct rule *r,
    const struct invoice_line *l)
{
	const struct param_value *dis = rule_param(r, P_DISALLOWED);
	struct text code = l->field[F_LINE_ITEM_EXPENSE_CODE];

	if (l->type != LINE_EXPENSE)
		return;
	if (!dis->set) {
		check_note(cx, r, "no 'disallowed' expense codes are set");
		return;
	}
	if (code.n == 0 || !listed(dis, code))
		return;
	check_emit_line(cx, r, l, l->num[N_TOTAL] > 0 ? l->num[N_TOTAL] : 0,
	    "expense code %.*s is not reimbursable",
	    (int)(code.n > 20 ? 20 : code.n), code.p);
}

static const enum field_id needs[] = {F_LINE_ITEM_EXPENSE_CODE};

const struct check check_expense_code = {
	.name = "expense_code",
	.summary = "expense with a code the guidelines do not reimburse",
	.params = params,
	.nparams = sizeof(params) / sizeof(params[0]),
	.needs = needs,
	.nneeds = 1,
	.on_line = on_line,
};
