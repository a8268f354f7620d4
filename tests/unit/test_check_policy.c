/* test_check_policy.c - the per-line and per-invoice policy checks:
 * timekeeper_class, expense_code, expense_cap, billing_period,
 * stale_charges, late_invoice, weekend, currency, approved_firm and
 * purchase_order.  What each flags, its near misses, exact messages, amounts
 * at risk and the line each finding sits on; then the planted cases of
 * examples/invoices. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>

#include "run_checks.h"
#include "xalloc.h"

#define F1 "11-1111111"
#define F2 "22-2222222"

/* A LEDES 1998B line with every field the policy checks read: invoice
 * date, billing period, type, expense code and class chosen freely. */
#define L98(idate, inv, tot, start, end, no, type, units, cost, total, \
	    date, xcode, tk, cls, firm) \
	idate "|" inv "|C1|M1|" tot "|" start "|" end "|Services|" no "|" \
	type "|" units "|0|" total "|" date "|" \
	"|" xcode "||" tk "|Work|" firm "|" cost "|Doe, " tk "|" cls \
	"|CM-1[]\n"

/* A LEDES 1998BI V2 file: the 52 field names of include/record.h. */
#define BI_HEAD "LEDES98BI V2[]\nINVOICE_DATE|INVOICE_NUMBER|CLIENT_ID|" \
	"LAW_FIRM_MATTER_ID|INVOICE_TOTAL|BILLING_START_DATE|" \
	"BILLING_END_DATE|INVOICE_DESCRIPTION|LINE_ITEM_NUMBER|" \
	"EXP/FEE/INV_ADJ_TYPE|LINE_ITEM_NUMBER_OF_UNITS|" \
	"LINE_ITEM_ADJUSTMENT_AMOUNT|LINE_ITEM_TOTAL|LINE_ITEM_DATE|" \
	"LINE_ITEM_TASK_CODE|LINE_ITEM_EXPENSE_CODE|LINE_ITEM_ACTIVITY_CODE|" \
	"TIMEKEEPER_ID|LINE_ITEM_DESCRIPTION|LAW_FIRM_ID|LINE_ITEM_UNIT_COST|" \
	"TIMEKEEPER_NAME|TIMEKEEPER_CLASSIFICATION|CLIENT_MATTER_ID|" \
	"PO_NUMBER|CLIENT_TAX_ID|MATTER_NAME|INVOICE_TAX_TOTAL|" \
	"INVOICE_NET_TOTAL|INVOICE_CURRENCY|TIMEKEEPER_LAST_NAME|" \
	"TIMEKEEPER_FIRST_NAME|ACCOUNT_TYPE|LAW_FIRM_NAME|" \
	"LAW_FIRM_ADDRESS_1|LAW_FIRM_ADDRESS_2|LAW_FIRM_CITY|" \
	"LAW_FIRM_STATEorREGION|LAW_FIRM_POSTCODE|LAW_FIRM_COUNTRY|" \
	"CLIENT_NAME|CLIENT_ADDRESS_1|CLIENT_ADDRESS_2|CLIENT_CITY|" \
	"CLIENT_STATEorREGION|CLIENT_POSTCODE|CLIENT_COUNTRY|" \
	"LINE_ITEM_TAX_RATE|LINE_ITEM_TAX_TOTAL|LINE_ITEM_TAX_TYPE|" \
	"INVOICE_REPORTED_TAX_TOTAL|INVOICE_TAX_CURRENCY[]\n"

/* One fee line of a 1998BI invoice: matter, PO and currency chosen. */
#define BI(firm, inv, tot, matter, po, cur, no, hrs, rate, total) \
	"20260405|" inv "|C1|" matter "|" tot "|20260301|20260331|Services|" \
	no "|F|" hrs "|0|" total "|20260302|L120||A104|P1|Work|" firm "|" \
	rate "|Doe, P1|PARTNR|CM-1|" po "|99-0000000|Matter|0|" tot "|" cur \
	"|Doe|P1|O|Firm LLP|1 Main St||Springfield|IL|62701|USA|Client Inc|" \
	"2 Main St||Springfield|IL|62702|USA|0|0||0|" cur "[]\n"

/* Whether some note of the run says exactly `msg`. */
static bool
has_note(const struct run *r, const char *msg)
{
	size_t i;

	for (i = 0; i < r->res->nnotes; i++)
		if (strcmp(r->res->notes[i].message, msg) == 0)
			return true;
	return false;
}

/* ---- timekeeper_class ---------------------------------------------- */

static void
timekeeper_class__disallowed__both_ledes_families(void **state)
{
	static const char rules[] = "billcheck: 1\nrules:\n"
	    "  - {id: tkc, check: timekeeper_class, "
	    "disallowed: [LA, PARALG]}\n";
	static const char a[] = LEDES_HEAD
	    FEE(F1, "A1", "0", "1", "20260302", "1.0", "150", "150", "K1",
		"LGLAST", "clerk, 2014 code")
	    FEE(F1, "A1", "0", "2", "20260302", "2.0", "200", "400", "P1",
		"PL", "paralegal, 1998 code")
	    FEE(F1, "A1", "0", "3", "20260302", "1.0", "700", "700", "A1",
		"AS", "associate: paid")
	    EXP(F1, "A1", "0", "4", "20260302", "1", "10", "10", "E101",
		"an expense has no class");
	struct run r;
	const struct finding *f;

	(void)state;
	run_one(&r, rules, a);
	assert_int_equal(count_of(&r, "tkc"), 2);
	f = finding_of(&r, "tkc", 0);
	assert_string_equal(f->line, "1");
	assert_int_equal(f->row, 3);
	assert_int_equal(f->at_risk, 1500000);
	assert_string_equal(f->message, "timekeeper class LGLAST is not paid "
	    "for");
	f = finding_of(&r, "tkc", 1);
	assert_string_equal(f->line, "2");
	assert_int_equal(f->at_risk, 4000000);
	assert_string_equal(f->message, "timekeeper class PARALG is not paid "
	    "for");
	assert_int_equal(r.res->nnotes, 0);
	run_free(&r);
}

static void
timekeeper_class__allowed__line_class_then_roster(void **state)
{
	static const char rules[] = "billcheck: 1\n"
	    "firms:\n"
	    "  - id: \"" F1 "\"\n"
	    "    timekeepers:\n"
	    "      - {id: A1, class: ASSOC, rate: 500}\n"
	    "      - {id: L1, class: PL, rate: 200}\n"
	    "      - {id: X1, rate: 100}\n"
	    "rules:\n"
	    "  - {id: tkc, check: timekeeper_class, allowed: [PT, ASSOC]}\n";
	static const char a[] = LEDES_HEAD
	    FEE(F1, "A1", "0", "1", "20260302", "1.0", "900", "900", "P1",
		"PARTNR", "partner: paid")
	    FEE(F1, "A1", "0", "2", "20260302", "1.0", "500", "500", "A1",
		"", "no class on the line, ASSOC on the roster: paid")
	    FEE(F1, "A1", "0", "3", "20260302", "1.5", "200", "300", "L1",
		"", "no class on the line, PARALG on the roster")
	    FEE(F1, "A1", "0", "4", "20260302", "1.0", "250", "250", "A1",
		"PARALG", "the line's class wins over the roster's")
	    FEE(F1, "A1", "0", "5", "20260302", "1.0", "100", "100", "X1",
		"", "no class anywhere: noted, not flagged")
	    FEE(F1, "A1", "0", "6", "20260302", "1.0", "100", "100", "Z9",
		"Intern", "unknown class, not on the roster");
	struct run r;
	const struct finding *f;

	(void)state;
	run_one(&r, rules, a);
	assert_int_equal(count_of(&r, "tkc"), 2);
	f = finding_of(&r, "tkc", 0);
	assert_string_equal(f->line, "3");
	assert_int_equal(f->at_risk, 3000000);
	assert_string_equal(f->message, "timekeeper class PARALG (from the "
	    "roster) is not paid for; paid: PARTNR, ASSOC");
	f = finding_of(&r, "tkc", 1);
	assert_string_equal(f->line, "4");
	assert_int_equal(f->at_risk, 2500000);
	assert_string_equal(f->message, "timekeeper class PARALG is not paid "
	    "for; paid: PARTNR, ASSOC");
	assert_int_equal(r.res->nnotes, 1); /* once for lines 5 and 6 */
	assert_true(has_note(&r, "rule 'tkc' (timekeeper_class) skipped "
	    "where it cannot apply: fees without a LEDES timekeeper class, on "
	    "the line or the roster, are not checked"));
	run_free(&r);
}

static void
timekeeper_class__lists_in_any_case__match_both_families(void **state)
{
	static const char rules[] = "billcheck: 1\nrules:\n"
	    "  - {id: tkc, check: timekeeper_class, allowed: [pt, Assoc], "
	    "disallowed: [ofcoun, pl]}\n";
	static const char a[] = LEDES_HEAD
	    FEE(F1, "A1", "0", "1", "20260302", "1.0", "900", "900", "P1",
		"partnr", "paid")
	    FEE(F1, "A1", "0", "2", "20260302", "1.0", "500", "500", "A1",
		"as", "paid")
	    FEE(F1, "A1", "0", "3", "20260302", "1.0", "800", "800", "O1",
		"OC", "disallowed, 1998 code")
	    FEE(F1, "A1", "0", "4", "20260302", "1.0", "200", "200", "L1",
		"PARALG", "disallowed as pl")
	    FEE(F1, "A1", "0", "5", "20260302", "1.0", "200", "200", "E1",
		"EXPERT", "not allowed");
	struct run r;

	(void)state;
	run_one(&r, rules, a);
	assert_int_equal(count_of(&r, "tkc"), 3);
	assert_string_equal(finding_of(&r, "tkc", 0)->message,
	    "timekeeper class OFCOUN is not paid for");
	assert_string_equal(finding_of(&r, "tkc", 1)->message,
	    "timekeeper class PARALG is not paid for");
	assert_string_equal(finding_of(&r, "tkc", 2)->message,
	    "timekeeper class EXPERT is not paid for; paid: PARTNR, ASSOC");
	run_free(&r);
}

static void
timekeeper_class__bad_names_or_no_list__noted_not_flagged(void **state)
{
	static const char rules[] = "billcheck: 1\nrules:\n"
	    "  - {id: typo, check: timekeeper_class, "
	    "disallowed: [PARALEGAL, LA]}\n"
	    "  - {id: none, check: timekeeper_class}\n";
	static const char a[] = LEDES_HEAD
	    FEE(F1, "A1", "0", "1", "20260302", "1.0", "150", "150", "P1",
		"PARALG", "paralegal: the typo matches nothing")
	    FEE(F1, "A1", "0", "2", "20260302", "1.0", "150", "150", "P1",
		"PARALG", "again");
	struct run r;

	(void)state;
	run_one(&r, rules, a);
	assert_int_equal(r.res->nfindings, 0);
	assert_int_equal(r.res->nnotes, 2);
	assert_true(has_note(&r, "rule 'typo' (timekeeper_class) skipped "
	    "where it cannot apply: 'PARALEGAL' in 'disallowed' is not a LEDES "
	    "timekeeper class, so it matches no fee"));
	assert_true(has_note(&r, "rule 'none' (timekeeper_class) skipped "
	    "where it cannot apply: neither 'allowed' nor 'disallowed' is "
	    "set"));
	run_free(&r);
}

/* ---- expense_code --------------------------------------------------- */

static void
expense_code__disallowed_codes__line_total_at_risk(void **state)
{
	static const char rules[] = "billcheck: 1\nrules:\n"
	    "  - {id: xc, check: expense_code, disallowed: [E106, e105]}\n"
	    "  - {id: unset, check: expense_code}\n";
	static const char a[] = LEDES_HEAD
	    EXP(F1, "A1", "0", "1", "20260302", "1", "312.40", "312.40",
		"E106", "Westlaw research charges")
	    EXP(F1, "A1", "0", "2", "20260302", "1", "12.00", "12.00",
		"E105", "conference call: listed in lower case")
	    EXP(F1, "A1", "0", "3", "20260302", "1", "42.00", "42.00",
		"E107", "courier: reimbursable")
	    EXP(F1, "A1", "0", "4", "20260302", "1", "5.00", "5.00",
		"", "no code: required_codes' business")
	    FEE(F1, "A1", "0", "5", "20260302", "1.0", "100", "100", "P1",
		"PARTNR", "fees have no expense code");
	struct run r;
	const struct finding *f;

	(void)state;
	run_one(&r, rules, a);
	assert_int_equal(count_of(&r, "xc"), 2);
	f = finding_of(&r, "xc", 0);
	assert_string_equal(f->line, "1");
	assert_int_equal(f->at_risk, 3124000);
	assert_string_equal(f->message, "expense code E106 is not "
	    "reimbursable");
	f = finding_of(&r, "xc", 1);
	assert_string_equal(f->line, "2");
	assert_int_equal(f->at_risk, 120000);
	assert_string_equal(f->message, "expense code E105 is not "
	    "reimbursable");
	assert_int_equal(count_of(&r, "unset"), 0);
	assert_true(has_note(&r, "rule 'unset' (expense_code) skipped where "
	    "it cannot apply: no 'disallowed' expense codes are set"));
	run_free(&r);
}

/* ---- expense_cap ---------------------------------------------------- */

static void
expense_cap__unit_and_total_caps__excess_at_risk(void **state)
{
	static const char rules[] = "billcheck: 1\nrules:\n"
	    "  - id: cap\n    check: expense_cap\n"
	    "    caps: {E101: {unit: 0.10}, E111: {total: 75.00}, "
	    "E110: {unit: 50, total: 100}}\n";
	static const char a[] = LEDES_HEAD
	    EXP(F1, "A1", "0", "1", "20260302", "400", "0.25", "100.00",
		"E101", "copying 400 pages")
	    EXP(F1, "A1", "0", "2", "20260302", "212", "0.10", "21.20",
		"E101", "copying at the cap: fine")
	    EXP(F1, "A1", "0", "3", "20260302", "1", "145.00", "145.00",
		"E111", "dinner")
	    EXP(F1, "A1", "0", "4", "20260302", "1", "75.00", "75.00",
		"E111", "lunch at the cap: fine")
	    EXP(F1, "A1", "0", "5", "20260302", "3", "60", "180",
		"E110", "both caps: the larger excess")
	    EXP(F1, "A1", "0", "6", "20260302", "100", "0.30", "30.00",
		"e101", "lower-case code still capped")
	    EXP(F1, "A1", "0", "7", "20260302", "1", "900", "900",
		"E115", "no cap for this code")
	    EXP(F1, "A1", "0", "8", "20260302", "-10", "0.25", "-2.50",
		"E101", "credit for copies: never over a cap")
	    FEE(F1, "A1", "0", "9", "20260302", "1.0", "900", "900", "P1",
		"PARTNR", "a fee");
	struct run r;
	const struct finding *f;

	(void)state;
	run_one(&r, rules, a);
	assert_int_equal(count_of(&r, "cap"), 4);
	f = finding_of(&r, "cap", 0);
	assert_string_equal(f->line, "1");
	assert_int_equal(f->at_risk, 600000);
	assert_string_equal(f->message, "E101: 400 x 0.25, cap 0.10 per unit");
	f = finding_of(&r, "cap", 1);
	assert_string_equal(f->line, "3");
	assert_int_equal(f->at_risk, 700000);
	assert_string_equal(f->message, "E111: line total 145.00, cap 75.00");
	f = finding_of(&r, "cap", 2); /* unit: 3 x 10 = 30; total: 80 */
	assert_string_equal(f->line, "5");
	assert_int_equal(f->at_risk, 800000);
	assert_string_equal(f->message, "E110: line total 180.00, cap 100.00");
	f = finding_of(&r, "cap", 3);
	assert_string_equal(f->line, "6");
	assert_int_equal(f->at_risk, 200000);
	assert_string_equal(f->message, "e101: 100 x 0.30, cap 0.10 per unit");
	run_free(&r);
}

static void
expense_cap__no_caps__noted(void **state)
{
	static const char rules[] = "billcheck: 1\nrules:\n"
	    "  - {id: cap, check: expense_cap}\n";
	static const char a[] = LEDES_HEAD
	    EXP(F1, "A1", "0", "1", "20260302", "400", "0.25", "100.00",
		"E101", "copying");
	struct run r;

	(void)state;
	run_one(&r, rules, a);
	assert_int_equal(r.res->nfindings, 0);
	assert_true(has_note(&r, "rule 'cap' (expense_cap) skipped where it "
	    "cannot apply: no expense 'caps' are set"));
	run_free(&r);
}

/* ---- billing_period ------------------------------------------------- */

static void
billing_period__outside_start_end__flagged_at_zero(void **state)
{
	static const char rules[] = "billcheck: 1\nrules:\n"
	    "  - {id: bp, check: billing_period}\n";
	static const char a[] = LEDES_HEAD
	    L98("20260405", "A1", "0", "20260301", "20260331", "1", "F", "1",
		"100", "100", "20260228", "", "P1", "PARTNR", F1)
	    L98("20260405", "A1", "0", "20260301", "20260331", "2", "F", "1",
		"100", "100", "20260301", "", "P1", "PARTNR", F1)
	    L98("20260405", "A1", "0", "20260301", "20260331", "3", "E", "1",
		"100", "100", "20260331", "E101", "", "", F1)
	    L98("20260405", "A1", "0", "20260301", "20260331", "4", "E", "1",
		"100", "100", "20260401", "E101", "", "", F1)
	    L98("20260405", "A1", "0", "20260301", "20260331", "5", "IF", "1",
		"-50", "-50", "20260405", "", "", "", F1)
	    L98("20260405", "B1", "0", "", "20260331", "1", "F", "1",
		"100", "100", "20260402", "", "P1", "PARTNR", F1)
	    L98("20260405", "B1", "0", "", "20260331", "2", "F", "1",
		"100", "100", "20250101", "", "P1", "PARTNR", F1)
	    L98("20260405", "C1", "0", "20260301", "", "1", "F", "1",
		"100", "100", "20260201", "", "P1", "PARTNR", F1)
	    L98("20260405", "D1", "0", "", "", "1", "F", "1",
		"100", "100", "20260201", "", "P1", "PARTNR", F1);
	struct run r;
	const struct finding *f;

	(void)state;
	run_one(&r, rules, a);
	assert_int_equal(count_of(&r, "bp"), 4);
	f = finding_of(&r, "bp", 0);
	assert_string_equal(f->invoice, "A1");
	assert_string_equal(f->line, "1");
	assert_int_equal(f->at_risk, 0);
	assert_string_equal(f->message, "dated 2026-02-28, before the billing "
	    "period 2026-03-01 to 2026-03-31");
	f = finding_of(&r, "bp", 1);
	assert_string_equal(f->line, "4");
	assert_string_equal(f->message, "dated 2026-04-01, after the billing "
	    "period 2026-03-01 to 2026-03-31");
	f = finding_of(&r, "bp", 2);
	assert_string_equal(f->invoice, "B1");
	assert_string_equal(f->line, "1");
	assert_string_equal(f->message, "dated 2026-04-02, after the billing "
	    "period end 2026-03-31");
	f = finding_of(&r, "bp", 3);
	assert_string_equal(f->invoice, "C1");
	assert_string_equal(f->message, "dated 2026-02-01, before the billing "
	    "period start 2026-03-01");
	assert_true(has_note(&r, "rule 'bp' (billing_period) skipped where "
	    "it cannot apply: invoices without BILLING_START_DATE and "
	    "BILLING_END_DATE are not checked"));
	run_free(&r);
}

/* ---- stale_charges -------------------------------------------------- */

static void
stale_charges__older_than_max_days__reduced_total_at_risk(void **state)
{
	static const char rules[] = "billcheck: 1\nrules:\n"
	    "  - {id: stale, check: stale_charges, reduction: 0.5}\n"
	    "  - {id: stale60, check: stale_charges, max_days: 60}\n";
	/* 2026-01-05 is 90 days before 2026-04-05: the last day allowed. */
	static const char a[] = LEDES_HEAD
	    FEE(F1, "A1", "0", "1", "20260105", "1.0", "300", "300", "P1",
		"PARTNR", "90 days: fine")
	    FEE(F1, "A1", "0", "2", "20260104", "1.0", "301", "301", "P1",
		"PARTNR", "91 days")
	    EXP(F1, "A1", "0", "3", "20251201", "1", "40", "40", "E107",
		"old courier")
	    FEE(F1, "A1", "0", "4", "20260204", "1.0", "100", "100", "P1",
		"PARTNR", "60 days: fine for both")
	    L98("", "B1", "0", "20260301", "20260331", "1", "F", "1",
		"100", "100", "20250101", "", "P1", "PARTNR", F1);
	struct run r;
	const struct finding *f;

	(void)state;
	run_one(&r, rules, a);
	assert_int_equal(count_of(&r, "stale"), 2);
	f = finding_of(&r, "stale", 0);
	assert_string_equal(f->line, "2");
	assert_int_equal(f->at_risk, 1505000); /* 301.00 x 0.5 */
	assert_string_equal(f->message, "dated 2026-01-04, 91 days before the "
	    "invoice date 2026-04-05 (max 90)");
	f = finding_of(&r, "stale", 1);
	assert_string_equal(f->line, "3");
	assert_int_equal(f->at_risk, 200000);
	assert_string_equal(f->message, "dated 2025-12-01, 125 days before "
	    "the invoice date 2026-04-05 (max 90)");
	assert_int_equal(count_of(&r, "stale60"), 3);
	f = finding_of(&r, "stale60", 0);
	assert_string_equal(f->line, "1");
	assert_int_equal(f->at_risk, 3000000); /* reduction 1.0 */
	assert_string_equal(f->message, "dated 2026-01-05, 90 days before the "
	    "invoice date 2026-04-05 (max 60)");
	assert_true(has_note(&r, "rule 'stale' (stale_charges) skipped where "
	    "it cannot apply: lines of invoices without a valid INVOICE_DATE "
	    "are not checked"));
	run_free(&r);
}

/* ---- late_invoice --------------------------------------------------- */

static void
late_invoice__days_after_period_end__on_first_line(void **state)
{
	static const char rules[] = "billcheck: 1\nrules:\n"
	    "  - {id: late, check: late_invoice}\n"
	    "  - {id: late4, check: late_invoice, max_days: 4}\n";
	static const char a[] = LEDES_HEAD
	    L98("20260430", "A1", "100", "20260301", "20260331", "1", "F", "1",
		"100", "100", "20260302", "", "P1", "PARTNR", F1)
	    L98("20260501", "B1", "200", "20260301", "20260331", "1", "F", "1",
		"100", "100", "20260302", "", "P1", "PARTNR", F1)
	    L98("20260501", "B1", "200", "20260301", "20260331", "2", "F", "1",
		"100", "100", "20260303", "", "P1", "PARTNR", F1)
	    L98("20260404", "C1", "100", "20260301", "20260331", "1", "F", "1",
		"100", "100", "20260302", "", "P1", "PARTNR", F1)
	    L98("20260404", "D1", "100", "20260301", "", "1", "F", "1",
		"100", "100", "20260302", "", "P1", "PARTNR", F1);
	struct run r;
	const struct finding *f;

	(void)state;
	run_one(&r, rules, a);
	/* 30 days after 2026-03-31 is 2026-04-30: the last day allowed. */
	assert_int_equal(count_of(&r, "late"), 1);
	f = finding_of(&r, "late", 0);
	assert_string_equal(f->invoice, "B1");
	assert_string_equal(f->line, "1");
	assert_int_equal(f->row, 4);
	assert_int_equal(f->at_risk, 0);
	assert_string_equal(f->message, "invoice dated 2026-05-01, 31 days "
	    "after the billing period ended 2026-03-31 (max 30)");
	assert_int_equal(count_of(&r, "late4"), 2); /* A1 and B1, not C1 */
	f = finding_of(&r, "late4", 0);
	assert_string_equal(f->invoice, "A1");
	assert_string_equal(f->message, "invoice dated 2026-04-30, 30 days "
	    "after the billing period ended 2026-03-31 (max 4)");
	assert_true(has_note(&r, "rule 'late' (late_invoice) skipped where "
	    "it cannot apply: invoices without a valid INVOICE_DATE and "
	    "BILLING_END_DATE are not checked"));
	run_free(&r);
}

/* ---- weekend -------------------------------------------------------- */

static void
weekend__saturday_sunday_holiday__fees_only(void **state)
{
	static const char rules[] = "billcheck: 1\nrules:\n"
	    "  - {id: wk, check: weekend, holidays: [2026-03-13, 2026-03-21]}\n"
	    "  - {id: plain, check: weekend}\n";
	static const char a[] = LEDES_HEAD
	    FEE(F1, "A1", "0", "1", "20260312", "1.0", "100", "100", "P1",
		"PARTNR", "Thursday")
	    FEE(F1, "A1", "0", "2", "20260313", "1.0", "100", "100", "P1",
		"PARTNR", "Friday, a listed holiday")
	    FEE(F1, "A1", "0", "3", "20260314", "1.0", "100", "100", "P1",
		"PARTNR", "Saturday")
	    FEE(F1, "A1", "0", "4", "20260315", "1.0", "100", "100", "P1",
		"PARTNR", "Sunday")
	    FEE(F1, "A1", "0", "5", "20260316", "1.0", "100", "100", "P1",
		"PARTNR", "Monday")
	    EXP(F1, "A1", "0", "6", "20260314", "1", "30", "30", "E107",
		"courier paid on a Saturday: not work")
	    FEE(F1, "A1", "0", "7", "20260321", "1.0", "100", "100", "P1",
		"PARTNR", "a Saturday that is also a holiday");
	struct run r;
	const struct finding *f;

	(void)state;
	run_one(&r, rules, a);
	assert_int_equal(count_of(&r, "wk"), 4);
	f = finding_of(&r, "wk", 0);
	assert_string_equal(f->line, "2");
	assert_int_equal(f->at_risk, 0);
	assert_string_equal(f->message, "dated on a holiday, 2026-03-13");
	f = finding_of(&r, "wk", 1);
	assert_string_equal(f->line, "3");
	assert_string_equal(f->message, "dated Saturday 2026-03-14");
	f = finding_of(&r, "wk", 2);
	assert_string_equal(f->line, "4");
	assert_string_equal(f->message, "dated Sunday 2026-03-15");
	f = finding_of(&r, "wk", 3);
	assert_string_equal(f->line, "7");
	assert_string_equal(f->message, "dated on a holiday, 2026-03-21");
	assert_int_equal(count_of(&r, "plain"), 3); /* lines 3, 4 and 7 */
	assert_string_equal(finding_of(&r, "plain", 2)->message,
	    "dated Saturday 2026-03-21");
	run_free(&r);
}

/* ---- currency ------------------------------------------------------- */

static void
currency__98bi_other_or_blank__flagged_on_first_line(void **state)
{
	static const char rules[] = "billcheck: 1\ncurrency: USD\nrules:\n"
	    "  - {id: cur, check: currency, severity: error}\n";
	static const char a[] = BI_HEAD
	    BI(F1, "A1", "100", "M1", "PO-1", "USD", "1", "1", "100", "100")
	    BI(F1, "B1", "300", "M1", "PO-1", "EUR", "1", "1", "100", "100")
	    BI(F1, "B1", "300", "M1", "PO-1", "EUR", "2", "2", "100", "200")
	    BI(F1, "C1", "100", "M1", "PO-1", "usd", "1", "1", "100", "100")
	    BI(F1, "D1", "100", "M1", "PO-1", "", "1", "1", "100", "100");
	struct run r;
	const struct finding *f;

	(void)state;
	run_one(&r, rules, a);
	assert_int_equal(r.res->ninputs, 1);
	assert_int_equal(r.res->inputs[0].rejected, 0);
	assert_int_equal(count_of(&r, "cur"), 2);
	f = finding_of(&r, "cur", 0);
	assert_string_equal(f->invoice, "B1");
	assert_string_equal(f->line, "1");
	assert_int_equal(f->row, 4);
	assert_int_equal(f->at_risk, 0);
	assert_string_equal(f->message, "invoice currency EUR; the guidelines "
	    "pay in USD");
	f = finding_of(&r, "cur", 1);
	assert_string_equal(f->invoice, "D1");
	assert_string_equal(f->message, "no INVOICE_CURRENCY; the guidelines "
	    "pay in USD");
	assert_int_equal(r.res->nnotes, 0);
	run_free(&r);
}

static void
currency__csv_column_or_none__flagged_or_noted(void **state)
{
	static const char rules[] = "billcheck: 1\ncurrency: USD\nrules:\n"
	    "  - {id: cur, check: currency}\n";
	static const char norules[] = "billcheck: 1\nrules:\n"
	    "  - {id: cur, check: currency}\n";
	static const char csv[] =
	    "Invoice,Firm ID,Date,Hours,Rate,Amount,Type,Currency\n"
	    "I1," F1 ",2026-03-02,1.0,100,100,Fee,GBP\n"
	    "I2," F1 ",2026-03-02,1.0,100,100,Fee,USD\n";
	static const char nocol[] =
	    "Invoice,Firm ID,Date,Hours,Rate,Amount,Type\n"
	    "I3," F1 ",2026-03-02,1.0,100,100,Fee\n";
	const char *texts[] = {csv, nocol, LEDES_HEAD FEE(F1, "A1", "0", "1",
	    "20260302", "1.0", "100", "100", "P1", "PARTNR", "1998B"), NULL};
	struct run r;
	const struct finding *f;

	(void)state;
	run_texts(&r, rules, texts, NULL);
	assert_int_equal(count_of(&r, "cur"), 1);
	f = finding_of(&r, "cur", 0);
	assert_string_equal(f->invoice, "I1");
	assert_string_equal(f->file, "a.txt");
	assert_string_equal(f->message, "invoice currency GBP; the guidelines "
	    "pay in USD");
	assert_int_equal(r.res->nnotes, 2); /* b.txt and c.txt */
	assert_string_equal(r.res->notes[0].message, "rule 'cur' (currency) "
	    "skipped where it cannot apply: input has no INVOICE_CURRENCY "
	    "column");
	run_free(&r);

	run_texts(&r, norules, texts, NULL);
	assert_int_equal(r.res->nfindings, 0);
	assert_true(has_note(&r, "rule 'cur' (currency) skipped where it "
	    "cannot apply: the rules set no 'currency'"));
	run_free(&r);
}

/* ---- approved_firm -------------------------------------------------- */

static void
approved_firm__unlisted_firm__invoice_total_at_risk(void **state)
{
	static const char rules[] = "billcheck: 1\n"
	    "firms:\n  - {id: \"" F1 "\", name: Listed LLP}\n"
	    "rules:\n  - {id: firm, check: approved_firm, severity: error}\n";
	static const char a[] = LEDES_HEAD
	    FEE(F1, "A1", "300", "1", "20260302", "3.0", "100", "300", "P1",
		"PARTNR", "listed firm")
	    FEE(F2, "B1", "450", "1", "20260302", "3.0", "100", "300", "Q1",
		"PARTNR", "unlisted: the stated total is at risk")
	    FEE(F2, "B1", "450", "2", "20260303", "1.5", "100", "150", "Q1",
		"PARTNR", "second line");
	static const char csv[] =
	    "Invoice,Firm ID,Date,Hours,Rate,Amount,Type\n"
	    "I1," F2 ",2026-03-02,1.0,100,100,Fee\n"
	    "I1," F2 ",2026-03-03,0.5,100,50,Fee\n"
	    "I2,,2026-03-03,0.5,100,50,Fee\n";
	const char *texts[] = {a, csv, NULL};
	struct run r;
	const struct finding *f;

	(void)state;
	run_texts(&r, rules, texts, NULL);
	assert_int_equal(count_of(&r, "firm"), 2);
	f = finding_of(&r, "firm", 0);
	assert_string_equal(f->firm, F2);
	assert_string_equal(f->invoice, "B1");
	assert_string_equal(f->line, "1");
	assert_int_equal(f->row, 4);
	assert_int_equal(f->at_risk, 4500000);
	assert_string_equal(f->message, "firm " F2 " is not an approved firm");
	f = finding_of(&r, "firm", 1); /* no INVOICE_TOTAL: the line sum */
	assert_string_equal(f->invoice, "I1");
	assert_int_equal(f->at_risk, 1500000);
	assert_true(has_note(&r, "rule 'firm' (approved_firm) skipped where "
	    "it cannot apply: invoices without a LAW_FIRM_ID are not checked "
	    "(--set LAW_FIRM_ID=... names the firm of an export)"));
	run_free(&r);
}

static void
approved_firm__no_firms_listed__noted_never_flagged(void **state)
{
	static const char rules[] = "billcheck: 1\n"
	    "rules:\n  - {id: firm, check: approved_firm}\n";
	struct run r;

	(void)state;
	run_one(&r, rules, LEDES_HEAD FEE(F2, "B1", "300", "1", "20260302",
	    "3.0", "100", "300", "Q1", "PARTNR", "any firm"));
	assert_int_equal(r.res->nfindings, 0);
	assert_int_equal(r.res->nnotes, 1);
	assert_string_equal(r.res->notes[0].message, "rule 'firm' "
	    "(approved_firm) skipped where it cannot apply: the rules list no "
	    "firms");
	run_free(&r);
}

/* ---- purchase_order ------------------------------------------------- */

#define PO_RULES "billcheck: 1\n" \
	"firms:\n" \
	"  - id: \"" F1 "\"\n" \
	"    matters:\n" \
	"      - {id: M1, po: PO-1, po_amount: 1000.00}\n" \
	"      - {id: M2, budget: 5000}\n" \
	"      - {id: M3, po: PO-3}\n" \
	"rules:\n  - {id: po, check: purchase_order}\n"

static void
purchase_order__missing_wrong_and_overspent__flagged(void **state)
{
	static const char a[] = BI_HEAD
	    BI(F1, "A1", "600", "M1", "PO-1", "USD", "1", "6", "100", "600")
	    BI(F1, "A2", "500", "M1", "PO-1", "USD", "1", "5", "100", "500")
	    BI(F1, "A3", "200", "M1", "PO-9", "USD", "1", "2", "100", "200")
	    BI(F1, "A4", "50", "M1", "", "USD", "1", "0.5", "100", "50")
	    BI(F1, "A5", "-100", "M1", "PO-1", "USD", "1", "-1", "100", "-100")
	    BI(F1, "B1", "99", "M2", "", "USD", "1", "1", "99", "99")
	    BI(F1, "C1", "9999", "M3", "PO-3", "USD", "1", "1", "9999", "9999")
	    BI(F2, "D1", "10", "M1", "", "USD", "1", "1", "10", "10");
	struct run r;
	const struct finding *f;

	(void)state;
	run_one(&r, PO_RULES, a);
	assert_int_equal(count_of(&r, "po"), 5);
	f = finding_of(&r, "po", 0); /* 600 + 500 = 1,100: 100 beyond */
	assert_string_equal(f->invoice, "A2");
	assert_string_equal(f->line, "1");
	assert_int_equal(f->row, 4);
	assert_int_equal(f->at_risk, 1000000);
	assert_string_equal(f->message, "spend on PO-1 reaches 1,100.00 with "
	    "this invoice, above the PO amount of 1,000.00");
	f = finding_of(&r, "po", 1);
	assert_string_equal(f->invoice, "A3");
	assert_int_equal(f->at_risk, 0);
	assert_string_equal(f->message, "PO PO-9 is not the matter's PO PO-1");
	f = finding_of(&r, "po", 2); /* all of it is beyond the PO */
	assert_string_equal(f->invoice, "A3");
	assert_int_equal(f->at_risk, 2000000);
	assert_string_equal(f->message, "spend on PO-1 reaches 1,300.00 with "
	    "this invoice, above the PO amount of 1,000.00");
	f = finding_of(&r, "po", 3);
	assert_string_equal(f->invoice, "A4");
	assert_int_equal(f->at_risk, 0);
	assert_string_equal(f->message, "invoice without a PO number; matter "
	    "M1 is on PO-1");
	f = finding_of(&r, "po", 4);
	assert_string_equal(f->invoice, "A4");
	assert_int_equal(f->at_risk, 500000);
	/* A5 is a credit: it lowers the spend and is never flagged; B1's
	 * matter has no PO, C1's PO has no amount, D1's firm is unlisted. */
	assert_true(has_note(&r, "rule 'po' (purchase_order) skipped where "
	    "it cannot apply: matter 'M2' of firm '" F1 "' has no po in the "
	    "rules"));
	assert_true(has_note(&r, "rule 'po' (purchase_order) skipped where "
	    "it cannot apply: firm '" F2 "' is not listed in the rules, so it "
	    "has no POs"));
	run_free(&r);
}

static void
purchase_order__spend_across_inputs__no_column_noted(void **state)
{
	/* A 1998B file has no PO_NUMBER: nothing says the PO is missing,
	 * but its spend counts.  1,000.00 exactly is still within. */
	static const char a[] = LEDES_HEAD
	    "20260405|A1|C1|M1|1000|20260301|20260331|S|1|F|10|0|1000|20260302|"
	    "L120||A104|P1|Work|" F1 "|100|Doe|PARTNR|CM-1[]\n";
	static const char csv[] =
	    "Invoice,Firm ID,Matter,Date,Hours,Rate,Amount,Type,PO Number\n"
	    "I1," F1 ",M1,2026-03-02,0.3,100,30,Fee,PO-1\n"
	    "I2," F1 ",M1,2026-03-02,0.2,100,20,Fee,\n";
	const char *texts[] = {a, csv, NULL};
	struct run r;
	const struct finding *f;

	(void)state;
	run_texts(&r, PO_RULES, texts, NULL);
	assert_int_equal(count_of(&r, "po"), 3);
	f = finding_of(&r, "po", 0);
	assert_string_equal(f->file, "b.txt");
	assert_string_equal(f->invoice, "I1");
	assert_int_equal(f->at_risk, 300000);
	assert_string_equal(f->message, "spend on PO-1 reaches 1,030.00 with "
	    "this invoice, above the PO amount of 1,000.00");
	f = finding_of(&r, "po", 1);
	assert_string_equal(f->invoice, "I2");
	assert_string_equal(f->message, "invoice without a PO number; matter "
	    "M1 is on PO-1");
	f = finding_of(&r, "po", 2);
	assert_string_equal(f->invoice, "I2");
	assert_int_equal(f->at_risk, 200000);
	assert_int_equal(r.res->nnotes, 1);
	assert_string_equal(r.res->notes[0].file, "a.txt");
	assert_string_equal(r.res->notes[0].message, "rule 'po' "
	    "(purchase_order) skipped where it cannot apply: input has no "
	    "PO_NUMBER column; missing PO numbers are not checked");
	run_free(&r);
}

/* ---- the example month ---------------------------------------------- */

/* The whole file at path, NUL-terminated; the caller frees it.  Paths are
 * relative to the repository, where make runs the tests. */
static char *
slurp(const char *path)
{
	FILE *fp = fopen(path, "rb");
	char *buf = NULL;
	size_t len = 0, cap = 0, n;

	if (fp == NULL)
		fail_msg("cannot open %s (run from the repository root)", path);
	do {
		xgrow(&buf, &cap, len + 4096 + 1, 1);
		n = fread(buf + len, 1, 4096, fp);
		len += n;
	} while (n > 0);
	fclose(fp);
	buf[len] = '\0';
	return buf;
}

/* Northwind's firms and matters with this family's checks, each set as
 * the guidelines of GUIDELINES.md would: only the planted weekend line and
 * the two capped expenses are exceptions. */
static void
examples__planted_cases__flagged_and_nothing_else(void **state)
{
	static const char policy[] = "rules:\n"
	    "  - {id: increment, check: billing_increment, enabled: false}\n"
	    "  - id: tk-class\n    check: timekeeper_class\n"
	    "    disallowed: [LGLINT, CLKSEC, LIBRRN, SECNDE]\n"
	    "  - id: expense-code\n    check: expense_code\n"
	    "    disallowed: [E103, E104, E105, E106]\n"
	    "  - id: expense-cap\n    check: expense_cap\n"
	    "    caps: {E101: {unit: 0.10}, E111: {total: 75.00}}\n"
	    "  - {id: period, check: billing_period}\n"
	    "  - {id: stale, check: stale_charges, max_days: 90}\n"
	    "  - {id: late, check: late_invoice, max_days: 30}\n"
	    "  - {id: weekend, check: weekend, holidays: [2026-01-01]}\n"
	    "  - {id: currency, check: currency}\n"
	    "  - {id: approved-firm, check: approved_firm}\n"
	    "  - {id: po, check: purchase_order}\n";
	char *guide = slurp("examples/northwind-guidelines.yaml");
	char *hk = slurp("examples/invoices/harrow-kline-2026-03.txt");
	char *br = slurp("examples/invoices/baxter-reyes-2026-03.txt");
	char *ca = slurp("examples/invoices/carver-associates-2026-03.csv");
	const char *texts[] = {hk, br, ca, NULL};
	char *cut = strstr(guide, "\nrules:\n"), *rules;
	size_t keep;
	struct run r;
	const struct finding *f;

	(void)state;
	assert_non_null(cut);
	keep = (size_t)(cut - guide) + 1;
	rules = xmalloc(keep + sizeof(policy));
	memcpy(rules, guide, keep);
	memcpy(rules + keep, policy, sizeof(policy));
	run_texts(&r, rules, texts, NULL);
	assert_int_equal(r.res->nfindings, 3);
	f = finding_of(&r, "expense-cap", 0);
	assert_string_equal(f->file, "a.txt");
	assert_int_equal(f->row, 31);
	assert_string_equal(f->line, "29");
	assert_int_equal(f->at_risk, 600000);
	assert_string_equal(f->message, "E101: 400 x 0.25, cap 0.10 per unit");
	f = finding_of(&r, "expense-cap", 1);
	assert_int_equal(f->row, 34);
	assert_string_equal(f->line, "32");
	assert_int_equal(f->at_risk, 700000);
	assert_string_equal(f->message, "E111: line total 145.00, cap 75.00");
	f = finding_of(&r, "weekend", 0);
	assert_string_equal(f->file, "c.txt");
	assert_int_equal(f->row, 10);
	assert_string_equal(f->line, "9");
	assert_string_equal(f->message, "dated Saturday 2026-03-14");
	run_free(&r);
	free(rules);
	free(guide);
	free(hk);
	free(br);
	free(ca);
}

/* ---- ledes_format ------------------------------------------------- */

static void
ledes_format__98bi_fields_after_the_head__still_compared(void **state)
{
	static const char rules[] = "billcheck: 1\nrules:\n"
	    "  - {id: fmt, check: ledes_format}\n";
	static const char in[] = BI_HEAD
	    BI("11-1111111", "A1", "200", "M1", "PO1", "USD", "1", "1.0",
	    "100", "100")
	    BI("11-1111111", "A1", "200", "M1", "PO1", "EUR", "2", "1.0",
	    "100", "100")
	    BI("11-1111111", "A1", "200", "M1", "PO1", "USD", "3", "1.0",
	    "100", "100");
	struct run r;

	(void)state;
	run_one(&r, rules, in);
	assert_int_equal(count_of(&r, "fmt"), 1);
	assert_string_equal(finding_of(&r, "fmt", 0)->message,
	    "INVOICE_CURRENCY 'EUR' differs from 'USD' on the invoice's first "
	    "line (row 3)");
	run_free(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    ledes_format__98bi_fields_after_the_head__still_compared),
		cmocka_unit_test(
		    timekeeper_class__disallowed__both_ledes_families),
		cmocka_unit_test(
		    timekeeper_class__allowed__line_class_then_roster),
		cmocka_unit_test(
		    timekeeper_class__lists_in_any_case__match_both_families),
		cmocka_unit_test(
		    timekeeper_class__bad_names_or_no_list__noted_not_flagged),
		cmocka_unit_test(
		    expense_code__disallowed_codes__line_total_at_risk),
		cmocka_unit_test(
		    expense_cap__unit_and_total_caps__excess_at_risk),
		cmocka_unit_test(expense_cap__no_caps__noted),
		cmocka_unit_test(
		    billing_period__outside_start_end__flagged_at_zero),
		cmocka_unit_test(
		    stale_charges__older_than_max_days__reduced_total_at_risk),
		cmocka_unit_test(
		    late_invoice__days_after_period_end__on_first_line),
		cmocka_unit_test(weekend__saturday_sunday_holiday__fees_only),
		cmocka_unit_test(
		    currency__98bi_other_or_blank__flagged_on_first_line),
		cmocka_unit_test(
		    currency__csv_column_or_none__flagged_or_noted),
		cmocka_unit_test(
		    approved_firm__unlisted_firm__invoice_total_at_risk),
		cmocka_unit_test(
		    approved_firm__no_firms_listed__noted_never_flagged),
		cmocka_unit_test(
		    purchase_order__missing_wrong_and_overspent__flagged),
		cmocka_unit_test(
		    purchase_order__spend_across_inputs__no_column_noted),
		cmocka_unit_test(
		    examples__planted_cases__flagged_and_nothing_else),
	};
	return cmocka_run_group_tests_name("check_policy", tests, NULL, NULL);
}
