/* test_engine.c - scope keys, per-firm overrides, at-risk sums, verdicts,
 * ordering and the once-only notes, through the real reader and rules. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "run_checks.h"

#define F1 "11-1111111"
#define F2 "22-2222222"

static const char rules_two_checks[] =
    "billcheck: 1\n"
    "rate_caps: {PARTNR: 500, ASSOC: 300}\n"
    "firms:\n"
    "  - id: \"" F2 "\"\n"
    "    name: Second Firm LLP\n"
    "    overrides:\n"
    "      cap: {severity: warning}\n"
    "      inc: {enabled: false}\n"
    "rules:\n"
    "  - {id: cap, check: rate, severity: error, clause: \"2.2 Rates\"}\n"
    "  - {id: inc, check: billing_increment, severity: warning}\n";

static void
engine__override__changes_severity_for_that_firm_only(void **state)
{
	static const char a[] = LEDES_HEAD
	    FEE(F1, "A1", "1300", "1", "20260302", "2.0", "650", "1300",
		"P1", "PARTNR", "Draft brief");
	static const char b[] = LEDES_HEAD
	    FEE(F2, "B1", "1312.5", "1", "20260302", "2.05", "650", "1332.5",
		"P2", "PARTNR", "Draft brief");
	const char *texts[] = {a, b, NULL};
	const struct finding *f;
	struct run r;

	(void)state;
	run_texts(&r, rules_two_checks, texts, NULL);
	assert_int_equal(count_of(&r, "cap"), 2);
	assert_int_equal(count_of(&r, "inc"), 0); /* disabled for F2 */
	f = finding_of(&r, "cap", 0);
	assert_string_equal(f->firm, F1);
	assert_int_equal(f->severity, SEV_ERROR);
	assert_int_equal(f->at_risk, 3000000); /* (650-500) x 2.0 */
	assert_string_equal(f->clause, "2.2 Rates");
	assert_string_equal(f->message,
	    "billed 650.00/h, above the PARTNR cap of 500.00/h");
	f = finding_of(&r, "cap", 1);
	assert_string_equal(f->firm, F2);
	assert_string_equal(f->firm_name, "Second Firm LLP");
	assert_int_equal(f->severity, SEV_WARNING);
	assert_int_equal(r.res->invoices[0].verdict, VERDICT_REJECT);
	assert_int_equal(r.res->invoices[1].verdict, VERDICT_REVIEW);
	run_free(&r);
}

static void
engine__scope_keys__narrow_where_rules_apply(void **state)
{
	static const char rules[] =
	    "billcheck: 1\n"
	    "rate_caps: {PARTNR: 500, ASSOC: 300}\n"
	    "rules:\n"
	    "  - {id: partners, check: rate, classes: [PT], "
	    "from: 2026-03-10}\n"
	    "  - {id: f2only, check: billing_increment, firms: [\"" F2 "\"]}\n"
	    "  - {id: expenses, check: billing_increment, types: [expense]}\n";
	static const char a[] = LEDES_HEAD
	    FEE(F1, "A1", "0", "1", "20260302", "1.25", "600", "750", "P1",
		"PARTNR", "Early partner work")
	    FEE(F1, "A1", "0", "2", "20260312", "1.0", "600", "600", "P1",
		"PARTNR", "Later partner work")
	    FEE(F1, "A1", "0", "3", "20260312", "1.0", "400", "400", "A1",
		"ASSOC", "Associate work");
	struct run r;

	(void)state;
	run_one(&r, rules, a);
	assert_int_equal(count_of(&r, "partners"), 1);
	assert_string_equal(finding_of(&r, "partners", 0)->line, "2");
	assert_int_equal(count_of(&r, "f2only"), 0);
	assert_int_equal(count_of(&r, "expenses"), 0);
	run_free(&r);
}

static void
engine__many_rules_on_one_line__at_risk_capped_at_line_total(void **state)
{
	static const char rules[] =
	    "billcheck: 1\n"
	    "rate_caps: {PARTNR: 100}\n"
	    "firms:\n"
	    "  - id: \"" F1 "\"\n"
	    "    timekeepers: [{id: OTHER, class: PARTNR, rate: 100}]\n"
	    "rules:\n"
	    "  - {id: roster, check: approved_timekeeper, severity: error}\n"
	    "  - {id: cap, check: rate, severity: error}\n";
	static const char a[] = LEDES_HEAD
	    FEE(F1, "A1", "1000", "1", "20260302", "2.0", "500", "1000", "P1",
		"PARTNR", "Draft brief");
	struct run r;

	(void)state;
	run_one(&r, rules, a);
	assert_int_equal(finding_of(&r, "roster", 0)->at_risk, 10000000);
	assert_int_equal(finding_of(&r, "cap", 0)->at_risk, 8000000);
	assert_int_equal(r.res->invoices[0].billed, 10000000);
	assert_int_equal(r.res->invoices[0].at_risk, 10000000);
	assert_int_equal(r.res->invoices[0].approved, 0);
	assert_int_equal(r.res->firms[0].by_rule[0].at_risk, 10000000);
	assert_int_equal(r.res->firms[0].by_rule[1].at_risk, 8000000);
	run_free(&r);
}

static void
engine__findings__sorted_by_firm_then_input_order(void **state)
{
	static const char a[] = LEDES_HEAD
	    FEE(F2, "B1", "0", "1", "20260302", "1.25", "100", "125", "P1",
		"PARTNR", "x")
	    FEE(F1, "A1", "0", "1", "20260302", "1.25", "100", "125", "P1",
		"PARTNR", "x");
	static const char b[] = LEDES_HEAD
	    FEE(F1, "A2", "0", "1", "20260302", "1.25", "100", "125", "P1",
		"PARTNR", "x");
	const char *texts[] = {a, b, NULL};
	struct run r;

	(void)state;
	run_texts(&r, rules_two_checks, texts, NULL);
	assert_int_equal(r.res->nfindings, 2); /* F2's inc is disabled */
	assert_string_equal(finding_at(&r, 0)->invoice, "A1");
	assert_string_equal(finding_at(&r, 1)->invoice, "A2");
	assert_int_equal(r.res->ninvoices, 3);
	assert_string_equal(r.res->invoices[2].firm, F2);
	assert_int_equal(r.res->nfirms, 2);
	assert_int_equal(r.res->firms[0].exception_rate_bp, 10000);
	assert_int_equal(r.res->firms[1].exception_rate_bp, 0);
	run_free(&r);
}

static void
engine__firm_filter__other_lines_skipped_and_counted(void **state)
{
	static const char a[] = LEDES_HEAD
	    FEE(F2, "B1", "0", "1", "20260302", "1.25", "100", "125", "P1",
		"PARTNR", "x")
	    FEE(F1, "A1", "0", "1", "20260302", "1.25", "100", "125", "P1",
		"PARTNR", "x");
	static const char *const only[] = {F1};
	const char *texts[] = {a, NULL};
	struct engine_opts eo = {0};
	struct run r;

	(void)state;
	eo.firms = only;
	eo.nfirms = 1;
	run_texts(&r, rules_two_checks, texts, &eo);
	assert_int_equal(r.res->inputs[0].records, 2);
	assert_int_equal(r.res->inputs[0].checked, 1);
	assert_int_equal(r.res->inputs[0].skipped, 1);
	assert_int_equal(r.res->ninvoices, 1);
	run_free(&r);
}

static void
engine__missing_roster__noted_once_never_flagged(void **state)
{
	static const char rules[] =
	    "billcheck: 1\n"
	    "rules:\n"
	    "  - {id: roster, check: approved_timekeeper}\n"
	    "  - id: inc\n"
	    "    check: billing_increment\n"
	    "    message: \"Use tenths: {detail}.\"\n";
	static const char a[] = LEDES_HEAD
	    FEE(F1, "A1", "0", "1", "20260302", "1.25", "100", "125", "P1",
		"PARTNR", "x")
	    FEE(F1, "A1", "0", "2", "20260302", "1.5", "100", "150", "P2",
		"PARTNR", "y");
	struct run r;

	(void)state;
	run_one(&r, rules, a);
	assert_int_equal(count_of(&r, "roster"), 0);
	assert_int_equal(r.res->nnotes, 1);
	assert_string_equal(r.res->notes[0].message, "rule 'roster' "
	    "(approved_timekeeper) skipped where it cannot apply: no "
	    "timekeeper roster for firm '" F1 "'");
	assert_string_equal(finding_of(&r, "inc", 0)->message, "Use tenths: "
	    "1.25 h is not a multiple of the 0.1 h billing increment.");
	run_free(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    engine__override__changes_severity_for_that_firm_only),
		cmocka_unit_test(engine__scope_keys__narrow_where_rules_apply),
		cmocka_unit_test(
		    engine__many_rules_on_one_line__at_risk_capped_at_line_total),
		cmocka_unit_test(
		    engine__findings__sorted_by_firm_then_input_order),
		cmocka_unit_test(
		    engine__firm_filter__other_lines_skipped_and_counted),
		cmocka_unit_test(
		    engine__missing_roster__noted_once_never_flagged),
	};
	return cmocka_run_group_tests_name("engine", tests, NULL, NULL);
}
