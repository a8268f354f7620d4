/* billing_period.c - lines dated outside the billing period their invoice
 * states. */
#include "checks.h"
#include "date.h"

static void
on_line(struct check_ctx *cx, const struct rule *r,
    const struct invoice_line *l)
{
	int32_t start = l->billing_start, end = l->billing_end;
	char d[11], s[11], e[11];

	/* Invoice-level adjustments are dated by the firm's billing run,
	 * not by any work. */
	if (l->type != LINE_FEE && l->type != LINE_EXPENSE)
		return;
	if (start == DATE_NONE && end == DATE_NONE) {
		check_note(cx, r, "invoices without BILLING_START_DATE and "
		    "BILLING_END_DATE are not checked");
		return;
	}
	if (start != DATE_NONE && end != DATE_NONE && start > end) {
		check_note(cx, r, "invoices whose billing period ends before "
		    "it starts are not checked");
		return;
	}
	/* Most lines are inside the period: decide before formatting. */
	if ((start == DATE_NONE || l->date >= start) &&
	    (end == DATE_NONE || l->date <= end))
		return;
	date_format(d, l->date);
	date_format(s, start);
	date_format(e, end);
	if (start != DATE_NONE && l->date < start) {
		if (end != DATE_NONE)
			check_emit_line(cx, r, l, 0, "dated %s, before the "
			    "billing period %s to %s", d, s, e);
		else
			check_emit_line(cx, r, l, 0, "dated %s, before the "
			    "billing period start %s", d, s);
	} else if (end != DATE_NONE && l->date > end) {
		if (start != DATE_NONE)
			check_emit_line(cx, r, l, 0, "dated %s, after the "
			    "billing period %s to %s", d, s, e);
		else
			check_emit_line(cx, r, l, 0, "dated %s, after the "
			    "billing period end %s", d, e);
	}
}

const struct check check_billing_period = {
	.name = "billing_period",
	.summary = "line dated outside the invoice's billing start-end",
	.on_line = on_line,
};
