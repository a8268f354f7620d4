/* stale_charges.c - lines dated long before the invoice that bills them:
 * old time is hard to verify and was often written off. */
#include "checks.h"
#include "date.h"
#include "decimal.h"

enum { P_MAX_DAYS };

static const struct param_spec params[] = {
	{"max_days", PARAM_COUNT, "90", "oldest a line may be, in days before "
	    "the invoice date", NULL},
};

static void
on_line(struct check_ctx *cx, const struct rule *r,
    const struct invoice_line *l)
{
	long max = rule_param(r, P_MAX_DAYS)->u.count;
	long age;
	int64_t at_risk;
	char d[11], inv[11];

	if (l->type != LINE_FEE && l->type != LINE_EXPENSE)
		return;
	if (l->invoice_date == DATE_NONE) {
		check_note(cx, r, "lines of invoices without a valid "
		    "INVOICE_DATE are not checked");
		return;
	}
	age = (long)l->invoice_date - (long)l->date;
	if (age <= max)
		return;
	if (dec_mul(&at_risk, l->num[N_TOTAL], r->reduction) < 0)
		at_risk = INT64_MAX;
	check_emit_line(cx, r, l, at_risk > 0 ? at_risk : 0,
	    "dated %s, %ld days before the invoice date %s (max %ld)",
	    date_format(d, l->date), age, date_format(inv, l->invoice_date),
	    max);
}

static const enum field_id needs[] = {F_INVOICE_DATE};

const struct check check_stale_charges = {
	.name = "stale_charges",
	.summary = "line dated more than max_days before the invoice date",
	.params = params,
	.nparams = sizeof(params) / sizeof(params[0]),
	.needs = needs,
	.nneeds = 1,
	.on_line = on_line,
};
