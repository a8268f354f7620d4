/* expense_cap.c - expenses above a per-unit or per-line cap for their code
 * (copies at 0.10 a page, meals up to 75.00). */
#include <string.h>
#include <strings.h>

#include "checks.h"
#include "decimal.h"

enum { P_CAPS };

static const struct param_spec params[] = {
	{"caps", PARAM_CAPS, NULL, "per expense code: {unit: AMOUNT, total: "
	    "AMOUNT}", NULL},
};

static const struct expense_cap *
cap_for(const struct param_value *v, struct text code)
{
	size_t i;

	for (i = 0; i < v->u.caps.n; i++)
		if (strlen(v->u.caps.v[i].code) == code.n &&
		    strncasecmp(v->u.caps.v[i].code, code.p, code.n) == 0)
			return &v->u.caps.v[i];
	return NULL;
}

static void
on_line(struct check_ctx *cx, const struct rule *r,
    const struct invoice_line *l)
{
	const struct param_value *caps = rule_param(r, P_CAPS);
	const struct expense_cap *cap;
	struct text code = l->field[F_LINE_ITEM_EXPENSE_CODE];
	int64_t cost = l->num[N_UNIT_COST], total = l->num[N_TOTAL];
	int64_t unit_risk = 0, total_risk = 0;
	bool over_unit, over_total;
	int clen = (int)(code.n > 20 ? 20 : code.n);
	char a[32], b[32], c[32];

	if (l->type != LINE_EXPENSE)
		return;
	if (!caps->set || caps->u.caps.n == 0) {
		check_note(cx, r, "no expense 'caps' are set");
		return;
	}
	if (code.n == 0)
		return;
	cap = cap_for(caps, code);
	if (cap == NULL)
		return;
	/* A credit (negative units) gives money back: never over a cap. */
	over_unit = cap->has_unit && line_has_num(l, N_UNIT_COST) &&
	    cost > cap->unit && l->num[N_UNITS] >= 0;
	over_total = cap->has_total && line_has_num(l, N_TOTAL) &&
	    total > cap->total;
	if (over_unit &&
	    dec_mul(&unit_risk, cost - cap->unit, l->num[N_UNITS]) < 0)
		unit_risk = INT64_MAX;
	if (unit_risk < 0)
		unit_risk = 0;
	if (over_total)
		total_risk = total - cap->total;
	/* Both caps broken: the larger excess is what the client refuses;
	 * the two overlap, so they are not added. */
	if (over_unit && (!over_total || unit_risk >= total_risk)) {
		check_emit_line(cx, r, l, unit_risk,
		    "%.*s: %s x %s, cap %s per unit", clen, code.p,
		    dec_format_trim(a, l->num[N_UNITS], 0),
		    dec_format_trim(b, cost, 2),
		    dec_format_trim(c, cap->unit, 2));
	} else if (over_total) {
		check_emit_line(cx, r, l, total_risk,
		    "%.*s: line total %s, cap %s", clen, code.p,
		    dec_format(a, total, 2, true),
		    dec_format(b, cap->total, 2, true));
	}
}

static const enum field_id needs[] = {F_LINE_ITEM_EXPENSE_CODE};

const struct check check_expense_cap = {
	.name = "expense_cap",
	.summary = "expense unit cost or line total above the cap for its "
		   "code",
	.params = params,
	.nparams = sizeof(params) / sizeof(params[0]),
	.needs = needs,
	.nneeds = 1,
	.on_line = on_line,
};
