/* test_checks.c - the first six checks: what each flags, what it must not
 * flag, and its amounts at risk. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "run_checks.h"

#define F1 "11-1111111"

static void
arithmetic__line_and_invoice_totals__overcharge_at_risk(void **state)
{
	static const char rules[] = "billcheck: 1\nrules:\n"
	    "  - {id: math, check: arithmetic, severity: error}\n";
	static const char a[] = LEDES_HEAD
	    FEE(F1, "A1", "1012", "1", "20260302", "2.0", "300", "610",
		"P1", "PARTNR", "over by ten")
	    FEE(F1, "A1", "1012", "2", "20260302", "1.0", "400", "399.99",
		"P1", "PARTNR", "under by a cent: rounding")
	    EXP(F1, "A1", "1012", "3", "20260303", "1", "0.01", "0.01",
		"E101", "copy");
	struct run r;
	const struct finding *f;

	(void)state;
	run_one(&r, rules, a);
	assert_int_equal(count_of(&r, "math"), 2);
	f = finding_of(&r, "math", 0);
	assert_string_equal(f->line, "1");
	assert_int_equal(f->at_risk, 100000);
	assert_string_equal(f->message, "line total 610.00, but 2.0 x 300.00 "
	    "+ 0.00 adjustment = 600.00");
	f = finding_of(&r, "math", 1); /* 399.99 is a cent off: rounding */
	assert_string_equal(f->line, "1"); /* on the invoice's first line */
	assert_int_equal(f->at_risk, 20000);
	assert_string_equal(f->message, "invoice total 1,012.00, but its 3 "
	    "lines add up to 1,010.00");
	run_free(&r);
}

static void
arithmetic__official_98bi_sample_shape__tax_flagged(void **state)
{
	static const char rules[] = "billcheck: 1\nrules:\n"
	    "  - {id: math, check: arithmetic, tolerance: 0.005}\n";
	struct run r;

	(void)state;
	/* 1998B with a blank unit cost on an IF line, as LEDES.org writes. */
	run_one(&r, rules, LEDES_HEAD
	    "19990225|96543|00711|1326|1250|19990101|19990131|Monthly|6|IF|1|"
	    "1250.|1250|19990131|||||Monthly Retainer Fee|24-6437381||||"
	    "425-936[]\n");
	assert_int_equal(r.res->nfindings, 0);
	run_free(&r);
}

static void
required_codes__missing_and_unknown__flagged(void **state)
{
	static const char rules[] = "billcheck: 1\nrules:\n"
	    "  - id: codes\n    check: required_codes\n"
	    "    extra_codes: [X100]\n";
	static const char a[] = LEDES_HEAD
	    "20260405|A1|C1|M1|0|20260301|20260331|S|1|F|1.0|0|100|20260302|"
	    "L999||A104|P1|d|" F1 "|100|Doe|PARTNR|CM[]\n"
	    "20260405|A1|C1|M1|0|20260301|20260331|S|2|F|1.0|0|100|20260302|"
	    "L120|||P1|d|" F1 "|100|Doe|PARTNR|CM[]\n"
	    "20260405|A1|C1|M1|0|20260301|20260331|S|3|E|1|0|10|20260302|"
	    "||||d|" F1 "|10|||CM[]\n"
	    "20260405|A1|C1|M1|0|20260301|20260331|S|4|E|1|0|10|20260302|"
	    "|X100|||d|" F1 "|10|||CM[]\n"
	    "20260405|A1|C1|M1|0|20260301|20260331|S|5|F|1.0|0|100|20260302|"
	    "L120||A104|P1|d|" F1 "|100|Doe|PARTNR|CM[]\n";
	struct run r;

	(void)state;
	run_one(&r, rules, a);
	assert_int_equal(count_of(&r, "codes"), 3);
	assert_string_equal(finding_of(&r, "codes", 0)->message,
	    "task code 'L999' is not a known UTBMS task code");
	assert_string_equal(finding_of(&r, "codes", 1)->message,
	    "fee without an activity code");
	assert_string_equal(finding_of(&r, "codes", 2)->message,
	    "expense without an expense code");
	run_free(&r);
}

static void
required_codes__counseling_set__accepts_c_codes_only(void **state)
{
	static const char rules[] = "billcheck: 1\nrules:\n"
	    "  - {id: codes, check: required_codes, code_sets: [counseling], "
	    "fees: [task]}\n";
	static const char a[] = LEDES_HEAD
	    "20260405|A1|C1|M1|0|20260301|20260331|S|1|F|1.0|0|100|20260302|"
	    "C300|||P1|d|" F1 "|100|Doe|PARTNR|CM[]\n"
	    "20260405|A1|C1|M1|0|20260301|20260331|S|2|F|1.0|0|100|20260302|"
	    "L120|||P1|d|" F1 "|100|Doe|PARTNR|CM[]\n";
	struct run r;

	(void)state;
	run_one(&r, rules, a);
	assert_int_equal(count_of(&r, "codes"), 1);
	assert_string_equal(finding_of(&r, "codes", 0)->line, "2");
	run_free(&r);
}

static void
approved_timekeeper__off_roster__whole_line_at_risk(void **state)
{
	static const char rules[] = "billcheck: 1\n"
	    "firms:\n  - id: \"" F1 "\"\n"
	    "    timekeepers: [{id: P1, class: PT, rate: 500}]\n"
	    "rules:\n  - {id: tk, check: approved_timekeeper}\n";
	static const char a[] = LEDES_HEAD
	    FEE(F1, "A1", "0", "1", "20260302", "1.0", "500", "500", "P1",
		"PARTNR", "on roster")
	    FEE(F1, "A1", "0", "2", "20260302", "1.5", "300", "450", "Z9",
		"ASSOC", "drive-by");
	struct run r;

	(void)state;
	run_one(&r, rules, a);
	assert_int_equal(count_of(&r, "tk"), 1);
	assert_int_equal(finding_of(&r, "tk", 0)->at_risk, 4500000);
	assert_string_equal(finding_of(&r, "tk", 0)->message,
	    "timekeeper Z9 (Doe, Z9) is not on the approved roster");
	run_free(&r);
}

static void
rate__effective_dated__line_date_picks_rate(void **state)
{
	static const char rules[] = "billcheck: 1\n"
	    "rate_caps: {PARTNR: 2000}\n"
	    "firms:\n  - id: \"" F1 "\"\n"
	    "    timekeepers:\n"
	    "      - id: P1\n        class: PARTNR\n        rates:\n"
	    "          - {rate: 500, from: 2026-01-01, to: 2026-03-15}\n"
	    "          - {rate: 550, from: 2026-03-16}\n"
	    "rules:\n  - {id: rate, check: rate, tolerance: 0.50}\n";
	static const char a[] = LEDES_HEAD
	    FEE(F1, "A1", "0", "1", "20260313", "2.0", "550", "1100", "P1",
		"PARTNR", "before the increase")
	    FEE(F1, "A1", "0", "2", "20260316", "2.0", "550", "1100", "P1",
		"PARTNR", "after the increase")
	    FEE(F1, "A1", "0", "3", "20260317", "2.0", "550.50", "1101", "P1",
		"PARTNR", "within tolerance");
	struct run r;

	(void)state;
	run_one(&r, rules, a);
	assert_int_equal(count_of(&r, "rate"), 1);
	assert_string_equal(finding_of(&r, "rate", 0)->line, "1");
	assert_int_equal(finding_of(&r, "rate", 0)->at_risk, 1000000);
	assert_string_equal(finding_of(&r, "rate", 0)->message,
	    "billed 550.00/h, approved 500.00/h from 2026-01-01");
	run_free(&r);
}

static void
billing_increment__tenths_and_minimum(void **state)
{
	static const char rules[] = "billcheck: 1\nrules:\n"
	    "  - {id: inc, check: billing_increment, minimum: 0.2}\n";
	static const char a[] = LEDES_HEAD
	    FEE(F1, "A1", "0", "1", "20260302", "0.25", "100", "25", "P1",
		"PARTNR", "quarter")
	    FEE(F1, "A1", "0", "2", "20260302", "0.1", "100", "10", "P1",
		"PARTNR", "below minimum")
	    FEE(F1, "A1", "0", "3", "20260302", "-0.3", "100", "-30", "P1",
		"PARTNR", "credit in tenths")
	    EXP(F1, "A1", "0", "4", "20260302", "0.25", "4", "1", "E101",
		"expense units are not hours");
	struct run r;

	(void)state;
	run_one(&r, rules, a);
	assert_int_equal(count_of(&r, "inc"), 2);
	assert_string_equal(finding_of(&r, "inc", 0)->message,
	    "0.25 h is not a multiple of the 0.1 h billing increment");
	assert_string_equal(finding_of(&r, "inc", 1)->message,
	    "0.1 h is below the 0.2 h minimum entry");
	run_free(&r);
}

static void
ledes_format__lints_varying_fields_and_repeated_numbers(void **state)
{
	static const char rules[] = "billcheck: 1\nrules:\n"
	    "  - {id: fmt, check: ledes_format}\n";
	static const char a[] = LEDES_HEAD
	    "20260405|A1|C1|M1|300|20260301|20260331|S|1|F|1.0|0|100|20260302|"
	    "L120||A104|P1|d|" F1 "|100|Doe|PARTNR|CM[]\n"
	    "20260405|A1|C1|M1|350|20260301|20260331|S|1|F|1.0|0|$100.00|"
	    "20260302|L120||A104|P1|d|" F1 "|100|Doe|XX|CM[]\n"
	    "20260431|A1|C1|M1|300|20260301|20260331|S|3|Z|1.0|0|100|20260302|"
	    "L120||A104|P1|d|" F1 "|100|Doe|PARTNR|CM[]\n";
	struct run r;

	(void)state;
	run_one(&r, rules, a);
	assert_string_equal(finding_of(&r, "fmt", 0)->message,
	    "LINE_ITEM_TOTAL '$100.00': currency sign (LEDES numbers are "
	    "digits, '.' and a leading '-', at most 4 decimals)");
	assert_string_equal(finding_of(&r, "fmt", 1)->message,
	    "TIMEKEEPER_CLASSIFICATION 'XX' is not a LEDES timekeeper class");
	assert_string_equal(finding_of(&r, "fmt", 2)->message,
	    "INVOICE_TOTAL '350' differs from '300' on the invoice's first "
	    "line (row 3)");
	assert_string_equal(finding_of(&r, "fmt", 3)->message,
	    "LINE_ITEM_NUMBER 1 repeats the line at row 3 of invoice A1");
	assert_string_equal(finding_of(&r, "fmt", 4)->message,
	    "invalid INVOICE_DATE '20260431': no such calendar date");
	assert_string_equal(finding_of(&r, "fmt", 5)->message,
	    "EXP/FEE/INV_ADJ_TYPE 'Z' is not F, E, IF or IE");
	assert_string_equal(finding_of(&r, "fmt", 6)->message,
	    "INVOICE_DATE '20260431' differs from '20260405' on the invoice's "
	    "first line (row 3)");
	assert_int_equal(count_of(&r, "fmt"), 7);
	run_free(&r);
}

static void
ledes_format__line_numbers_and_heads__each_invoice_on_its_own(void **state)
{
	static const char rules[] = "billcheck: 1\nrules:\n"
	    "  - {id: fmt, check: ledes_format}\n";
	static const char a[] = LEDES_HEAD
	    FEE(F1, "A1", "300", "1", "20260302", "1.0", "100", "100", "P1",
	    "PARTNR", "a")
	    FEE(F1, "A1", "300", "01", "20260302", "1.0", "100", "100", "P1",
	    "PARTNR", "b")
	    FEE(F1, "A1", "300", "10000", "20260302", "1.0", "100", "100", "P1",
	    "PARTNR", "c")
	    FEE(F1, "A1", "300", "9999", "20260302", "1.0", "100", "100", "P1",
	    "PARTNR", "d")
	    FEE(F1, "A1", "301", "10000", "20260302", "1.0", "100", "100", "P1",
	    "PARTNR", "e")
	    FEE(F1, "A1", "300", "9999", "20260302", "1.0", "100", "100", "P1",
	    "PARTNR", "f")
	    FEE(F1, "B1", "300", "1", "20260302", "1.0", "100", "100", "P1",
	    "PARTNR", "g")
	    FEE(F1, "A1", "302", "1", "20260302", "1.0", "100", "100", "P1",
	    "PARTNR", "h")
	    FEE(F1, "A1", "302", "2", "20260302", "1.0", "100", "100", "P1",
	    "PARTNR", "i");
	struct run r;

	(void)state;
	run_one(&r, rules, a);
	assert_int_equal(count_of(&r, "fmt"), 5);
	assert_string_equal(finding_of(&r, "fmt", 0)->message,
	    "INVOICE_TOTAL '301' differs from '300' on the invoice's first "
	    "line (row 3)");
	assert_string_equal(finding_of(&r, "fmt", 1)->message,
	    "LINE_ITEM_NUMBER 10000 repeats the line at row 5 of invoice A1");
	assert_string_equal(finding_of(&r, "fmt", 2)->message,
	    "LINE_ITEM_NUMBER 9999 repeats the line at row 6 of invoice A1");
	/* Back to A1 after B1: its numbers count afresh, its fields are
	 * still compared with its first line. */
	assert_string_equal(finding_of(&r, "fmt", 3)->message,
	    "INVOICE_TOTAL '302' differs from '300' on the invoice's first "
	    "line (row 3)");
	assert_int_equal(finding_of(&r, "fmt", 3)->row, 10);
	assert_string_equal(finding_of(&r, "fmt", 4)->message,
	    "INVOICE_TOTAL '302' differs from '300' on the invoice's first "
	    "line (row 3)");
	run_free(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    arithmetic__line_and_invoice_totals__overcharge_at_risk),
		cmocka_unit_test(
		    arithmetic__official_98bi_sample_shape__tax_flagged),
		cmocka_unit_test(required_codes__missing_and_unknown__flagged),
		cmocka_unit_test(
		    required_codes__counseling_set__accepts_c_codes_only),
		cmocka_unit_test(
		    approved_timekeeper__off_roster__whole_line_at_risk),
		cmocka_unit_test(rate__effective_dated__line_date_picks_rate),
		cmocka_unit_test(billing_increment__tenths_and_minimum),
		cmocka_unit_test(
		    ledes_format__lints_varying_fields_and_repeated_numbers),
		cmocka_unit_test(
		    ledes_format__line_numbers_and_heads__each_invoice_on_its_own),
	};
	return cmocka_run_group_tests_name("checks", tests, NULL, NULL);
}
