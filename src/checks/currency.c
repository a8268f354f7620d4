/* currency.c - invoices in a currency other than the one the guidelines
 * pay in. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "checks.h"
#include "xalloc.h"

/* Whether the input being read has an INVOICE_CURRENCY column.  The
 * invoice hook runs at the end of its file, after every line of that file
 * and before any line of the next, so remembering the last file's answer
 * is enough. */
struct state {
	unsigned file;
	bool     seen, has_column;
};

static void *
state_new(const struct rule *r)
{
	(void)r;
	return xcalloc(1, sizeof(struct state));
}

static void
state_free(void *p)
{
	free(p);
}

static void
on_line(struct check_ctx *cx, const struct rule *r,
    const struct invoice_line *l)
{
	struct state *st = check_state(cx);

	(void)r;
	st->file = l->file_index;
	st->seen = true;
	st->has_column = l->has_column[F_INVOICE_CURRENCY];
}

static void
on_invoice(struct check_ctx *cx, const struct rule *r,
    const struct invoice *inv)
{
	const struct state *st = check_state(cx);
	const char *want = rules_currency(check_rules(cx));
	const char *cur = inv->currency;
	bool has_column;

	if (want == NULL) {
		check_note(cx, r, "the rules set no 'currency'");
		return;
	}
	/* No line of this file was in the rule's scope: judge by format. */
	if (st->seen && st->file == inv->file_index)
		has_column = st->has_column;
	else
		has_column = inv->format == FMT_LEDES98BI;
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
	.state_new = state_new,
	.state_free = state_free,
	.on_line = on_line,
	.on_invoice = on_invoice,
};
