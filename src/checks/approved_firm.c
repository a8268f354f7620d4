/* approved_firm.c - invoices from a firm not on procurement's list of
 * approved suppliers (the rules' firms:). */
#include <string.h>

#include "checks.h"

static void
on_invoice(struct check_ctx *cx, const struct rule *r,
    const struct invoice *inv)
{
	int64_t total;

	/* Without a list every firm would be flagged: the rules are a
	 * template, not a procurement decision. */
	if (rules_nfirms(check_rules(cx)) == 0) {
		check_note(cx, r, "the rules list no firms");
		return;
	}
	if (check_firm(cx) != NULL)
		return;
	if (inv->firm[0] == '\0') {
		check_note(cx, r, "invoices without a LAW_FIRM_ID are not "
		    "checked (--set LAW_FIRM_ID=... names the firm of an "
		    "export)");
		return;
	}
	/* What the firm asks to be paid, as the invoice summary counts it. */
	if (inv->has_stated_total)
		total = inv->stated_total;
	else
		total = inv->overflow ? 0 : inv->line_sum;
	check_emit_invoice(cx, r, inv, total > 0 ? total : 0,
	    "firm %.*s is not an approved firm",
	    (int)(strlen(inv->firm) > 40 ? 40 : strlen(inv->firm)), inv->firm);
}

const struct check check_approved_firm = {
	.name = "approved_firm",
	.summary = "invoice from a firm not listed under firms: (approved "
		   "suppliers)",
	.on_invoice = on_invoice,
};
