/* expense_code.c - expenses of a kind the guidelines do not reimburse
 * (internal copying, Lexis/Westlaw, overtime meals...), by UTBMS code. */
#include "checks.h"
#include "narrative.h"

enum { P_DISALLOWED };

static const struct param_spec params[] = {
	{"disallowed", PARAM_LIST, NULL, "expense codes not reimbursed "
	    "(E101, E106, ...)", NULL},
};

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
	/* Codes compare without case: firms write e101 as often as E101. */
	if (!narr_code_listed(code, dis, NULL, 0))
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
