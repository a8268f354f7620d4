/* billing_increment.c - time billed in whole increments (tenths of an hour),
 * and not below a minimum. */
#include "checks.h"
#include "decimal.h"

enum { P_INCREMENT, P_MINIMUM };

static const struct param_spec params[] = {
	{"increment", PARAM_AMOUNT, "0.1", "hours are a multiple of this", NULL},
	{"minimum", PARAM_AMOUNT, NULL, "smallest entry allowed, in hours",
	    NULL},
};

static void
on_line(struct check_ctx *cx, const struct rule *r,
    const struct invoice_line *l)
{
	int64_t inc = rule_param(r, P_INCREMENT)->u.amount;
	const struct param_value *min = rule_param(r, P_MINIMUM);
	int64_t units = l->num[N_UNITS];
	int64_t mag = units < 0 ? -units : units;
	char a[32], b[32];

	if (l->type != LINE_FEE || !line_has_num(l, N_UNITS))
		return;
	if (inc > 0 && mag % inc != 0) {
		check_emit_line(cx, r, l, 0,
		    "%s h is not a multiple of the %s h billing increment",
		    dec_format_trim(a, units, 1), dec_format_trim(b, inc, 1));
		return;
	}
	if (min->set && mag > 0 && mag < min->u.amount)
		check_emit_line(cx, r, l, 0,
		    "%s h is below the %s h minimum entry",
		    dec_format_trim(a, units, 1),
		    dec_format_trim(b, min->u.amount, 1));
}

static const enum field_id needs[] = {F_LINE_ITEM_NUMBER_OF_UNITS};

const struct check check_billing_increment = {
	.name = "billing_increment",
	.summary = "fee hours that are not a multiple of the increment, or "
		   "below the minimum",
	.params = params,
	.nparams = sizeof(params) / sizeof(params[0]),
	.needs = needs,
	.nneeds = 1,
	.on_line = on_line,
};
