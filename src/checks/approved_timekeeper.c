/* approved_timekeeper.c - fees only from timekeepers on the firm's roster. */
#include "checks.h"

static void
on_line(struct check_ctx *cx, const struct rule *r,
    const struct invoice_line *l)
{
	const struct firm *f = check_firm(cx);
	struct text id = l->field[F_TIMEKEEPER_ID];
	struct text name = l->field[F_TIMEKEEPER_NAME];

	if (l->type != LINE_FEE)
		return;
	if (f == NULL || !f->has_roster) {
		check_note(cx, r, "no timekeeper roster for firm '%.*s'",
		    (int)(l->field[F_LAW_FIRM_ID].n > 40 ? 40 :
		    l->field[F_LAW_FIRM_ID].n), l->field[F_LAW_FIRM_ID].p);
		check_skip_invoice(cx);
		return;
	}
	if (id.n == 0) {
		check_emit_line(cx, r, l, l->num[N_TOTAL] > 0 ?
		    l->num[N_TOTAL] : 0, "fee without a timekeeper id");
		return;
	}
	if (firm_timekeeper(f, id.p, id.n) != NULL)
		return;
	check_emit_line(cx, r, l, l->num[N_TOTAL] > 0 ? l->num[N_TOTAL] : 0,
	    "timekeeper %.*s%s%.*s%s is not on the approved roster",
	    (int)(id.n > 40 ? 40 : id.n), id.p, name.n ? " (" : "",
	    (int)(name.n > 40 ? 40 : name.n), name.p, name.n ? ")" : "");
}

static const enum field_id needs[] = {F_TIMEKEEPER_ID};

const struct check check_approved_timekeeper = {
	.name = "approved_timekeeper",
	.summary = "fee by a timekeeper not on the firm's roster (firms with "
		   "a roster)",
	.needs = needs,
	.nneeds = 1,
	.on_line = on_line,
};
