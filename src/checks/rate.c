/* rate.c - fee rate above the approved rate in effect on the work date,
 * or, for a timekeeper without one, above the class cap. */
#include <string.h>

#include "checks.h"
#include "date.h"
#include "decimal.h"

enum { P_TOLERANCE };

static const struct param_spec params[] = {
	{"tolerance", PARAM_AMOUNT, "0", "allowed excess per hour before "
	    "flagging", NULL},
};

/* The start of the rate period that applies on date, for the message. */
static int32_t
period_start(const struct timekeeper *tk, int32_t date)
{
	size_t i;

	for (i = 0; i < tk->nrates; i++) {
		const struct rate_period *p = &tk->rates[i];

		if ((p->from == DATE_NONE || p->from <= date) &&
		    (p->to == DATE_NONE || date <= p->to))
			return p->from;
	}
	return DATE_NONE;
}

static void
on_line(struct check_ctx *cx, const struct rule *r,
    const struct invoice_line *l)
{
	const struct firm *f = check_firm(cx);
	const struct timekeeper *tk = NULL;
	struct text id = l->field[F_TIMEKEEPER_ID];
	const char *class = l->tk_class;
	int64_t allowed = -1, cost = l->num[N_UNIT_COST], excess, at_risk;
	int32_t since = DATE_NONE;
	char a[32], b[32], d[11];

	if (l->type != LINE_FEE || !line_has_num(l, N_UNIT_COST))
		return;
	if (f != NULL && id.n > 0)
		tk = firm_timekeeper(f, id.p, id.n);
	if (tk != NULL) {
		allowed = timekeeper_rate_on(tk, l->date);
		if (allowed >= 0)
			since = period_start(tk, l->date);
		if (tk->class != NULL)
			class = tk->class;
	}
	if (allowed < 0 && class != NULL)
		allowed = rules_rate_cap(check_rules(cx), class);
	if (allowed < 0) {
		if (id.n == 0 && class == NULL)
			check_note(cx, r, "fees without a timekeeper id or "
			    "class have no rate to compare with");
		else
			check_note(cx, r, "no approved rate or class cap for "
			    "some timekeepers (first: '%.*s'%s%s)",
			    (int)(id.n > 40 ? 40 : id.n), id.p,
			    class ? ", class " : ", no class",
			    class ? class : "");
		return;
	}
	excess = cost - allowed;
	if (excess <= rule_param(r, P_TOLERANCE)->u.amount)
		return;
	if (dec_mul(&at_risk, excess, l->num[N_UNITS]) < 0)
		at_risk = INT64_MAX;
	if (at_risk < 0)
		at_risk = 0;
	dec_format(a, cost, 2, true);
	dec_format(b, allowed, 2, true);
	if (tk != NULL && timekeeper_rate_on(tk, l->date) >= 0) {
		if (since != DATE_NONE)
			check_emit_line(cx, r, l, at_risk,
			    "billed %s/h, approved %s/h from %s", a, b,
			    date_format(d, since));
		else
			check_emit_line(cx, r, l, at_risk,
			    "billed %s/h, approved %s/h", a, b);
	} else {
		check_emit_line(cx, r, l, at_risk,
		    "billed %s/h, above the %s cap of %s/h", a, class, b);
	}
}

static const enum field_id needs[] = {F_LINE_ITEM_UNIT_COST};

const struct check check_rate = {
	.name = "rate",
	.summary = "fee rate above the approved rate on the work date, else "
		   "above the class cap",
	.params = params,
	.nparams = sizeof(params) / sizeof(params[0]),
	.needs = needs,
	.nneeds = 1,
	.on_line = on_line,
};
