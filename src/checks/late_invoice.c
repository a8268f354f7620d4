/* late_invoice.c - invoices submitted long after the billing period they
 * cover ended. */
#include "checks.h"
#include "date.h"

enum { P_MAX_DAYS };

static const struct param_spec params[] = {
	{"max_days", PARAM_COUNT, "30", "latest an invoice may be dated, in "
	    "days after its billing period ends", NULL},
};

static void
on_invoice(struct check_ctx *cx, const struct rule *r,
    const struct invoice *inv)
{
	long max = rule_param(r, P_MAX_DAYS)->u.count;
	long late;
	char d[11], e[11];

	if (inv->date == DATE_NONE || inv->billing_end == DATE_NONE) {
		check_note(cx, r, "invoices without a valid INVOICE_DATE and "
		    "BILLING_END_DATE are not checked");
		return;
	}
	late = (long)inv->date - (long)inv->billing_end;
	if (late <= max)
		return;
	check_emit_invoice(cx, r, inv, 0, "invoice dated %s, %ld days after "
	    "the billing period ended %s (max %ld)", date_format(d, inv->date),
	    late, date_format(e, inv->billing_end), max);
}

const struct check check_late_invoice = {
	.name = "late_invoice",
	.summary = "invoice dated more than max_days after its billing "
		   "period ended",
	.params = params,
	.nparams = sizeof(params) / sizeof(params[0]),
	.on_invoice = on_invoice,
};
