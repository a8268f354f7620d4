/* currency.c - invoices in a currency other than the one the guidelines
 * pay in. */
#include <string.h>
#include <strings.h>

#include "checks.h"

static void
on_invoice(struct check_ctx *cx, const struct rule *r,
    const struct invoice *inv)
{
	const char *want = rules_currency(check_rules(cx));
	const char *cur = inv->currency;
	bool has_column = inv->has_column[F_INVOICE_CURRENCY];

	if (want == NULL) {
		check_note(cx, r, "the rules set no 'currency'");
		return;
	}
	if (cur[0] == '\0') {
		if (has_column)
			check_emit_invoice(cx, r, inv, 0,
			    "no INVOICE_CURRENCY; the guidelines pay in %s",
			    want);
		else
			check_note(cx, r, "input has no INVOICE_CURRENCY "
			    "column");
		return;
	}
	if (strcasecmp(cur, want) != 0)
		check_emit_invoice(cx, r, inv, 0, "invoice currency %.*s; the "
		    "guidelines pay in %s", (int)(strlen(cur) > 20 ? 20 :
		    strlen(cur)), cur, want);
}

const struct check check_currency = {
	.name = "currency",
	.summary = "invoice in a currency other than the rules' currency",
	.on_invoice = on_invoice,
};
