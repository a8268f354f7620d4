/* arithmetic.c - line total = units x unit cost + adjustment (+ tax), tax =
 * base x rate, and invoice totals = the sum of their lines. */
#include "checks.h"
#include "decimal.h"

enum { P_TOLERANCE };

static const struct param_spec params[] = {
	{"tolerance", PARAM_AMOUNT, "0.01", "differences up to this are "
	    "rounding", NULL},
};

/* True when a and b are more than tol apart; a difference too large for
 * int64 is certainly more. */
static bool
differs(int64_t a, int64_t b, int64_t tol)
{
	int64_t d;

	if (dec_sub(&d, a, b) < 0)
		return true;
	return d > tol || d < -tol;
}

/* Overcharge is at risk; a firm that undercharges risks nothing. */
static int64_t
overcharge(int64_t billed, int64_t correct)
{
	int64_t d;

	if (billed <= correct)
		return 0;
	return dec_sub(&d, billed, correct) < 0 ? INT64_MAX : d;
}

static void
on_line(struct check_ctx *cx, const struct rule *r,
    const struct invoice_line *l)
{
	int64_t tol = rule_param(r, P_TOLERANCE)->u.amount;
	int64_t base, expect, tax = l->num[N_TAX_TOTAL];
	bool taxed = l->format == FMT_LEDES98BI ||
	    line_has_num(l, N_TAX_TOTAL);
	char a[32], b[32], c[32], d[32], e[32];

	if (!line_has_num(l, N_TOTAL) ||
	    (!line_has_num(l, N_UNITS) && !line_has_num(l, N_UNIT_COST) &&
	    !line_has_num(l, N_ADJUSTMENT)))
		return;
	if (dec_mul(&base, l->num[N_UNITS], l->num[N_UNIT_COST]) < 0 ||
	    dec_add(&base, l->num[N_ADJUSTMENT]) < 0) {
		check_emit_line(cx, r, l, 0, "units x unit cost overflows");
		return;
	}
	expect = base;
	if (taxed && dec_add(&expect, tax) < 0)
		return;
	if (differs(l->num[N_TOTAL], expect, tol)) {
		dec_format_trim(a, l->num[N_UNITS], 1);
		dec_format(b, l->num[N_UNIT_COST], 2, true);
		dec_format(c, l->num[N_ADJUSTMENT], 2, true);
		dec_format(d, expect, 2, true);
		dec_format(e, l->num[N_TOTAL], 2, true);
		if (taxed) {
			char t[32];

			check_emit_line(cx, r, l,
			    overcharge(l->num[N_TOTAL], expect),
			    "line total %s, but %s x %s + %s adjustment + "
			    "%s tax = %s", e, a, b, c,
			    dec_format(t, tax, 2, true), d);
		} else {
			check_emit_line(cx, r, l,
			    overcharge(l->num[N_TOTAL], expect),
			    "line total %s, but %s x %s + %s adjustment = %s",
			    e, a, b, c, d);
		}
	}
	if (taxed && line_has_num(l, N_TAX_RATE)) {
		int64_t want;

		if (dec_mul_div(&want, base, l->num[N_TAX_RATE],
		    DEC_RATE_SCALE) < 0)
			return;
		want = dec_round(want, 2);
		if (differs(tax, want, tol)) {
			struct text rate = l->field[F_LINE_ITEM_TAX_RATE];

			/* The rate as the file wrote it: 0.061245, not 0.0612. */
			check_emit_line(cx, r, l, overcharge(tax, want),
			    "line tax %s, but %s x rate %.*s = %s",
			    dec_format(a, tax, 2, true),
			    dec_format(b, base, 2, true),
			    (int)(rate.n > 20 ? 20 : rate.n), rate.p,
			    dec_format(c, want, 2, true));
		}
	}
}

static void
on_invoice(struct check_ctx *cx, const struct rule *r,
    const struct invoice *inv)
{
	int64_t tol = rule_param(r, P_TOLERANCE)->u.amount;
	char a[32], b[32], c[32], d[32];

	if (inv->overflow)
		return;
	if (inv->has_stated_total &&
	    differs(inv->stated_total, inv->line_sum, tol))
		check_emit_invoice(cx, r, inv,
		    overcharge(inv->stated_total, inv->line_sum),
		    "invoice total %s, but its %lu lines add up to %s",
		    dec_format(a, inv->stated_total, 2, true), inv->nlines,
		    dec_format(b, inv->line_sum, 2, true));
	if (inv->has_stated_tax_total &&
	    differs(inv->stated_tax_total, inv->tax_sum, tol))
		check_emit_invoice(cx, r, inv, 0,
		    "invoice tax total %s, but line taxes add up to %s",
		    dec_format(a, inv->stated_tax_total, 2, true),
		    dec_format(b, inv->tax_sum, 2, true));
	if (inv->has_stated_net_total && inv->has_stated_total) {
		int64_t net;

		if (dec_sub(&net, inv->stated_total,
		    inv->stated_tax_total) == 0 &&
		    differs(inv->stated_net_total, net, tol))
			check_emit_invoice(cx, r, inv, 0,
			    "invoice net total %s, but total %s - tax %s = %s",
			    dec_format(a, inv->stated_net_total, 2, true),
			    dec_format(b, inv->stated_total, 2, true),
			    dec_format(c, inv->stated_tax_total, 2, true),
			    dec_format(d, net, 2, true));
	}
}

static const enum field_id needs[] = {F_LINE_ITEM_TOTAL};

const struct check check_arithmetic = {
	.name = "arithmetic",
	.summary = "line total other than units x unit cost + adjustment "
		   "(+ tax); invoice total other than the sum of its lines",
	.params = params,
	.nparams = sizeof(params) / sizeof(params[0]),
	.needs = needs,
	.nneeds = 1,
	.on_line = on_line,
	.on_invoice = on_invoice,
};
