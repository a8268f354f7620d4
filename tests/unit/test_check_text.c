/* test_check_text.c - the narrative checks (block_billing,
 * vague_description, description_keywords, internal_conference,
 * attendees, travel_time): what each flags, what it must not, messages,
 * amounts at risk and where findings sit; and block_billing and
 * vague_description measured on the labelled narratives in
 * tests/data/narratives.tsv. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>

#include "run_checks.h"

#define F1 "11-1111111"

/* A fee line with its own codes: line number, date, hours, rate, total,
 * task code, activity code, timekeeper, description (invoice T1, matter
 * M1, firm F1). */
#define LN(no, date, hrs, rate, total, task, act, tk, desc) \
	"20260405|T1|C1|M1|0|20260301|20260331|S|" no "|F|" hrs "|0|" total \
	"|" date "|" task "||" act "|" tk "|" desc "|" F1 "|" rate "|Doe, " \
	tk "|PARTNR|CM-1[]\n"
/* The same with an adjustment amount. */
#define LNA(no, date, hrs, rate, adj, total, task, act, tk, desc) \
	"20260405|T1|C1|M1|0|20260301|20260331|S|" no "|F|" hrs "|" adj "|" \
	total "|" date "|" task "||" act "|" tk "|" desc "|" F1 "|" rate \
	"|Doe, " tk "|PARTNR|CM-1[]\n"

/* ---- block_billing ----------------------------------------------- */

static void
block_billing__clauses_and_chains__flagged_with_tasks_named(void **state)
{
	static const char rules[] = "billcheck: 1\nrules:\n"
	    "  - {id: bb, check: block_billing, reduction: 0.5}\n";
	static const char a[] = LEDES_HEAD
	    FEE(F1, "A1", "0", "1", "20260309", "4.5", "560", "2520", "P1",
		"ASSOC", "Research spoliation case law; draft memo to client; "
		"call with opposing counsel")
	    FEE(F1, "A1", "0", "2", "20260309", "2.0", "560", "1120", "P1",
		"ASSOC", "Research spoliation case law, draft memo to client, "
		"and call opposing counsel")
	    FEE(F1, "A1", "0", "3", "20260310", "1.0", "500", "500", "P1",
		"ASSOC", "Prepare for and attend deposition of plant manager")
	    FEE(F1, "A1", "0", "4", "20260310", "1.0", "500", "500", "P1",
		"ASSOC", "Reviewed production, drafted memo to partner and "
		"called client")
	    FEE(F1, "A1", "0", "5", "20260311", "3.0", "500", "1500", "P1",
		"ASSOC", "Draft motion; revise brief; call client; review "
		"file; research law; prepare exhibits; edit outline");
	struct run r;
	const struct finding *f;

	(void)state;
	run_one(&r, rules, a);
	assert_int_equal(count_of(&r, "bb"), 5);
	f = finding_of(&r, "bb", 0);
	assert_string_equal(f->line, "1");
	assert_int_equal(f->row, 3);
	assert_string_equal(f->message,
	    "3 tasks in one entry: research, draft, call");
	assert_int_equal(f->at_risk, 12600000); /* 2,520.00 x 0.5 */
	f = finding_of(&r, "bb", 1);
	assert_string_equal(f->message,
	    "3 tasks in one entry: research, draft, call");
	assert_int_equal(f->at_risk, 5600000);
	f = finding_of(&r, "bb", 2);
	assert_string_equal(f->message,
	    "2 tasks in one entry: prepare, attend");
	f = finding_of(&r, "bb", 3);
	assert_string_equal(f->message,
	    "3 tasks in one entry: review, draft, call");
	f = finding_of(&r, "bb", 4);
	assert_string_equal(f->line, "5");
	assert_string_equal(f->message, "7 tasks in one entry: draft, "
	    "revise, call, review, research, prepare, ...");
	run_free(&r);
}

static void
block_billing__one_task__not_flagged(void **state)
{
	static const char rules[] = "billcheck: 1\nrules:\n"
	    "  - {id: bb, check: block_billing}\n";
	static const char a[] = LEDES_HEAD
	    FEE(F1, "A1", "0", "1", "20260302", "1.0", "500", "500", "P1",
		"ASSOC", "Draft and revise motion to compel")
	    FEE(F1, "A1", "0", "2", "20260302", "1.0", "500", "500", "P1",
		"ASSOC", "Telephone conference with client regarding "
		"settlement terms and timing")
	    FEE(F1, "A1", "0", "3", "20260302", "1.0", "500", "500", "P1",
		"ASSOC", "Review and analyze documents produced by defendant")
	    FEE(F1, "A1", "0", "4", "20260302", "1.0", "500", "500", "P1",
		"ASSOC", "Revise requests for admission per H. Kline comments "
		"and serve on Apex counsel")
	    FEE(F1, "A1", "0", "5", "20260302", "1.0", "500", "500", "P1",
		"ASSOC", "Email to client regarding draft motion and revised "
		"schedule")
	    FEE(F1, "A1", "0", "6", "20260302", "1.0", "500", "500", "P1",
		"ASSOC", "Travel to Chicago to attend deposition of R. Tanaka")
	    FEE(F1, "A1", "0", "7", "20260302", "1.0", "500", "500", "P1",
		"ASSOC", "Prepare for hearing, including review of briefs and "
		"outline of argument")
	    FEE(F1, "A1", "0", "8", "20260302", "1.0", "500", "500", "P1",
		"ASSOC", "Conference with J. Morrow regarding review of Apex "
		"production (Nos. 4, 7 and 11); finalize")
	    FEE(F1, "A1", "0", "9", "20260302", "1.0", "500", "500", "P1",
		"ASSOC", "Draft meet-and-confer letter; cite-check same")
	    EXP(F1, "A1", "0", "10", "20260302", "1", "50", "50", "E101",
		"Copies; courier; postage");
	struct run r;
	const struct finding *f;

	(void)state;
	run_one(&r, rules, a);
	/* Only lines 8 and 9: a ';' clause names a task of its own, even
	 * a step that "and" would not separate. */
	assert_int_equal(count_of(&r, "bb"), 2);
	f = finding_of(&r, "bb", 0);
	assert_string_equal(f->line, "8");
	assert_string_equal(f->message,
	    "2 tasks in one entry: conference, finalize");
	f = finding_of(&r, "bb", 1);
	assert_string_equal(f->line, "9");
	assert_string_equal(f->message,
	    "2 tasks in one entry: draft, cite-check");
	run_free(&r);
}

static void
block_billing__min_tasks_and_min_units__narrow_it(void **state)
{
	static const char rules[] = "billcheck: 1\nrules:\n"
	    "  - {id: three, check: block_billing, min_tasks: 3}\n"
	    "  - {id: long, check: block_billing, min_units: 1.0}\n";
	static const char a[] = LEDES_HEAD
	    FEE(F1, "A1", "0", "1", "20260302", "0.9", "500", "450", "P1",
		"ASSOC", "Review order; report to client")
	    FEE(F1, "A1", "0", "2", "20260302", "1.0", "500", "500", "P1",
		"ASSOC", "Review order; report to client")
	    FEE(F1, "A1", "0", "3", "20260302", "1.0", "500", "500", "P1",
		"ASSOC", "Review order; calendar deadlines; report to client");
	struct run r;

	(void)state;
	run_one(&r, rules, a);
	assert_int_equal(count_of(&r, "three"), 1);
	assert_string_equal(finding_of(&r, "three", 0)->line, "3");
	assert_int_equal(count_of(&r, "long"), 2);
	assert_string_equal(finding_of(&r, "long", 0)->line, "2");
	run_free(&r);
}

/* ---- vague_description ------------------------------------------- */

static void
vague_description__phrase_short_and_empty__flagged(void **state)
{
	static const char rules[] = "billcheck: 1\nrules:\n"
	    "  - {id: vague, check: vague_description}\n";
	static const char a[] = LEDES_HEAD
	    FEE(F1, "A1", "0", "1", "20260305", "0.3", "925", "277.50", "P1",
		"PARTNR", "Attention to file")
	    FEE(F1, "A1", "0", "2", "20260305", "1.2", "545", "654", "P1",
		"ASSOC", "Review documents")
	    FEE(F1, "A1", "0", "3", "20260305", "1.0", "500", "500", "P1",
		"ASSOC", "Draft complaint")
	    FEE(F1, "A1", "0", "4", "20260305", "1.0", "500", "500", "P1",
		"ASSOC", " -- ")
	    FEE(F1, "A1", "0", "5", "20260305", "1.0", "500", "500", "P1",
		"ASSOC", "Misc. emails and calls with client re same")
	    FEE(F1, "A1", "0", "6", "20260305", "1.0", "500", "500", "P1",
		"ASSOC", "Attention to discovery")
	    FEE(F1, "A1", "0", "7", "20260305", "1.0", "500", "-5", "P1",
		"ASSOC", "Review");
	struct run r;
	const struct finding *f;

	(void)state;
	run_one(&r, rules, a);
	assert_int_equal(count_of(&r, "vague"), 7);
	f = finding_of(&r, "vague", 0);
	assert_string_equal(f->line, "1");
	assert_string_equal(f->message,
	    "vague narrative: 'attention to file' and nothing more specific");
	assert_int_equal(f->at_risk, 2775000);
	f = finding_of(&r, "vague", 1);
	assert_string_equal(f->message,
	    "vague narrative: 'review documents' and nothing more specific");
	assert_int_equal(f->at_risk, 6540000);
	f = finding_of(&r, "vague", 2);
	assert_string_equal(f->message, "narrative of 2 words, fewer than 3");
	f = finding_of(&r, "vague", 3);
	assert_string_equal(f->message, "no narrative");
	f = finding_of(&r, "vague", 4);
	assert_string_equal(f->message, "vague narrative: 'misc', 'emails', "
	    "'calls', ... and nothing more specific");
	f = finding_of(&r, "vague", 5);
	assert_string_equal(f->message,
	    "vague narrative: 'attention to' and nothing more specific");
	f = finding_of(&r, "vague", 6);
	assert_int_equal(f->at_risk, 0); /* a credit risks nothing */
	run_free(&r);
}

static void
vague_description__specific_or_expense__not_flagged(void **state)
{
	static const char rules[] = "billcheck: 1\nrules:\n"
	    "  - {id: vague, check: vague_description}\n";
	static const char a[] = LEDES_HEAD
	    FEE(F1, "A1", "0", "1", "20260305", "1.0", "500", "500", "P1",
		"ASSOC", "Review documents produced by Acme in response to "
		"RFP 3 for privilege")
	    FEE(F1, "A1", "0", "2", "20260305", "1.0", "500", "500", "P1",
		"ASSOC", "Attention to Apex production deficiencies")
	    FEE(F1, "A1", "0", "3", "20260305", "1.0", "500", "500", "P1",
		"ASSOC", "Legal research on Daubert")
	    FEE(F1, "A1", "0", "4", "20260305", "1.0", "500", "500", "P1",
		"ASSOC", "Draft motion to dismiss")
	    FEE(F1, "A1", "0", "5", "20260305", "1.0", "500", "500", "P1",
		"ASSOC", "Telephone call with client regarding settlement")
	    EXP(F1, "A1", "0", "6", "20260305", "1", "9", "9", "E101",
		"Copies");
	struct run r;

	(void)state;
	run_one(&r, rules, a);
	assert_int_equal(count_of(&r, "vague"), 0);
	run_free(&r);
}

static void
vague_description__own_list_and_firm_override__replace_default(
    void **state)
{
	static const char rules[] = "billcheck: 1\n"
	    "firms:\n"
	    "  - id: \"22-2222222\"\n"
	    "    overrides:\n"
	    "      vague: {phrases: [trial prep], min_words: 0}\n"
	    "rules:\n"
	    "  - {id: vague, check: vague_description, phrases: [status "
	    "report], min_words: 2}\n";
	static const char a[] = LEDES_HEAD
	    FEE(F1, "A1", "0", "1", "20260305", "1.0", "500", "500", "P1",
		"ASSOC", "Status report to client")
	    FEE(F1, "A1", "0", "2", "20260305", "1.0", "500", "500", "P1",
		"ASSOC", "Attention to file")
	    FEE(F1, "A1", "0", "3", "20260305", "1.0", "500", "500", "P1",
		"ASSOC", "Review");
	static const char b[] = LEDES_HEAD
	    FEE("22-2222222", "B1", "0", "1", "20260305", "1.0", "500", "500",
		"P2", "ASSOC", "Trial prep")
	    FEE("22-2222222", "B1", "0", "2", "20260305", "1.0", "500", "500",
		"P2", "ASSOC", "Status report")
	    FEE("22-2222222", "B1", "0", "3", "20260305", "1.0", "500", "500",
		"P2", "ASSOC", "Review");
	const char *texts[] = {a, b, NULL};
	struct run r;
	const struct finding *f;

	(void)state;
	run_texts(&r, rules, texts, NULL);
	assert_int_equal(count_of(&r, "vague"), 3);
	f = finding_of(&r, "vague", 0);
	assert_string_equal(f->firm, F1);
	assert_string_equal(f->line, "1");
	assert_string_equal(f->message, "vague narrative: 'status report' "
	    "and nothing more specific");
	f = finding_of(&r, "vague", 1);
	assert_string_equal(f->line, "3");
	assert_string_equal(f->message, "narrative of 1 word, fewer than 2");
	f = finding_of(&r, "vague", 2);
	assert_string_equal(f->firm, "22-2222222");
	assert_string_equal(f->line, "1");
	assert_string_equal(f->message, "vague narrative: 'trial prep' "
	    "and nothing more specific");
	run_free(&r);
}

/* ---- description_keywords ---------------------------------------- */

static void
description_keywords__phrases__quoted_and_whole_word(void **state)
{
	static const char rules[] = "billcheck: 1\nrules:\n"
	    "  - id: clerical\n    check: description_keywords\n"
	    "    reduction: 0.5\n"
	    "    phrases: [scheduling deposition, bates stamp*, call, "
	    "schedul*, word processing, conflict check]\n";
	static const char a[] = LEDES_HEAD
	    FEE(F1, "A1", "0", "1", "20260305", "1.5", "235", "352.50", "P1",
		"PARALG", "Scheduling deposition; bates stamping documents")
	    FEE(F1, "A1", "0", "2", "20260305", "1.0", "500", "500", "P1",
		"ASSOC", "Recall witness; reschedule hearing; callback")
	    EXP(F1, "A1", "0", "3", "20260305", "10", "2", "20", "E124",
		"Word-processing charges")
	    FEE(F1, "A1", "0", "4", "20260305", "1.0", "500", "500", "P1",
		"ASSOC", "Conflict check; call client; scheduling; bates "
		"stamp exhibits");
	struct run r;
	const struct finding *f;

	(void)state;
	run_one(&r, rules, a);
	assert_int_equal(count_of(&r, "clerical"), 3);
	f = finding_of(&r, "clerical", 0);
	assert_string_equal(f->line, "1");
	assert_string_equal(f->message, "narrative mentions 'Scheduling "
	    "deposition', 'bates stamping'");
	assert_int_equal(f->at_risk, 1762500); /* 352.50 x 0.5 */
	f = finding_of(&r, "clerical", 1);
	assert_string_equal(f->line, "3"); /* expenses too, by default */
	assert_string_equal(f->message,
	    "narrative mentions 'Word-processing'");
	f = finding_of(&r, "clerical", 2);
	assert_string_equal(f->message, "narrative mentions 'Conflict "
	    "check', 'call', 'scheduling' and more");
	run_free(&r);
}

static void
description_keywords__no_phrases__note_only(void **state)
{
	static const char rules[] = "billcheck: 1\nrules:\n"
	    "  - {id: kw, check: description_keywords, types: [fee]}\n";
	static const char a[] = LEDES_HEAD
	    FEE(F1, "A1", "0", "1", "20260305", "1.0", "500", "500", "P1",
		"ASSOC", "Bates stamp documents");
	struct run r;

	(void)state;
	run_one(&r, rules, a);
	assert_int_equal(count_of(&r, "kw"), 0);
	assert_int_equal(r.res->nnotes, 1);
	assert_non_null(strstr(r.res->notes[0].message, "no phrases given"));
	run_free(&r);
}

/* ---- internal_conference ----------------------------------------- */

static void
internal_conference__third_and_second__flagged_first_allowed(void **state)
{
	static const char rules[] = "billcheck: 1\nrules:\n"
	    "  - {id: ic, check: internal_conference, severity: error}\n";
	static const char a[] = LEDES_HEAD
	    LN("12", "20260311", "1.0", "925", "925", "L120", "A105", "HK101",
		"Conference with K. Lee and M. Reyes regarding strategy")
	    LN("13", "20260311", "1.0", "520", "520", "L120", "A105", "HK131",
		"Conference with H. Kline and M. Reyes regarding strategy")
	    LN("14", "20260311", "0.5", "925", "462.50", "L120", "A105",
		"HK101", "Further conference with team re same")
	    LN("15", "20260311", "1.0", "560", "560", "L120", "A104", "HK122",
		"Office conference with H. Kline regarding strategy")
	    LN("16", "20260312", "1.0", "560", "560", "L120", "A105", "HK122",
		"Conference with H. Kline regarding reply brief")
	    LN("17", "20260311", "1.0", "560", "560", "L120", "A106", "HK145",
		"Telephone conference with client regarding strategy")
	    LN("18", "20260311", "1.0", "560", "560", "L120", "A107", "HK150",
		"Conference with opposing counsel regarding schedule");
	static const char b[] = LEDES_HEAD
	    LN("1", "20260311", "0.4", "495", "198", "L120", "A105", "HK145",
		"Confer with associate regarding research assignment");
	const char *texts[] = {a, b, NULL};
	struct run r;
	const struct finding *f;

	(void)state;
	run_texts(&r, rules, texts, NULL);
	assert_int_equal(count_of(&r, "ic"), 3);
	f = finding_of(&r, "ic", 0);
	assert_string_equal(f->line, "13");
	assert_string_equal(f->timekeeper, "HK131");
	assert_int_equal(f->severity, SEV_ERROR);
	assert_int_equal(f->at_risk, 5200000);
	assert_string_equal(f->message, "internal conference on 2026-03-11 "
	    "billed by 2 timekeepers, max 1 (first: HK101)");
	f = finding_of(&r, "ic", 1); /* by phrase, not code */
	assert_string_equal(f->line, "15");
	assert_string_equal(f->message, "internal conference on 2026-03-11 "
	    "billed by 3 timekeepers, max 1 (first: HK101)");
	f = finding_of(&r, "ic", 2); /* the next input, same matter-day */
	assert_string_equal(f->file, "b.txt");
	assert_string_equal(f->line, "1");
	assert_string_equal(f->message, "internal conference on 2026-03-11 "
	    "billed by 4 timekeepers, max 1 (first: HK101)");
	run_free(&r);
}

static void
internal_conference__max_attendees_two(void **state)
{
	static const char rules[] = "billcheck: 1\nrules:\n"
	    "  - {id: ic, check: internal_conference, max_attendees: 2, "
	    "codes: [X105]}\n";
	static const char a[] = LEDES_HEAD
	    LN("1", "20260311", "1.0", "100", "100", "L120", "X105", "A",
		"Strategy session")
	    LN("2", "20260311", "1.0", "100", "100", "L120", "A105", "B",
		"Strategy session")
	    LN("3", "20260311", "1.0", "100", "100", "L120", "A104", "B",
		"Internal conference regarding strategy")
	    LN("4", "20260311", "1.0", "100", "100", "X105", "A104", "C",
		"Strategy session");
	struct run r;

	(void)state;
	run_one(&r, rules, a);
	/* A105 is not listed here: line 2 is no conference. */
	assert_int_equal(count_of(&r, "ic"), 1);
	assert_string_equal(finding_of(&r, "ic", 0)->line, "4");
	assert_string_equal(finding_of(&r, "ic", 0)->message,
	    "internal conference on 2026-03-11 billed by 3 timekeepers, "
	    "max 2 (first: A)");
	run_free(&r);
}

/* ---- attendees --------------------------------------------------- */

static void
attendees__second_timekeeper_at_event__flagged(void **state)
{
	static const char rules[] = "billcheck: 1\nrules:\n"
	    "  - {id: att, check: attendees}\n";
	static const char a[] = LEDES_HEAD
	    LN("1", "20260319", "6.8", "925", "6290", "L330", "A109", "HK101",
		"Take deposition of R. Tanaka")
	    LN("2", "20260319", "6.8", "560", "3808", "L330", "A109", "HK122",
		"Second chair at deposition of R. Tanaka")
	    LN("3", "20260319", "3.0", "520", "1560", "L330", "A101", "HK131",
		"Prepare outline for deposition of R. Tanaka")
	    LN("4", "20260319", "2.0", "520", "1040", "L120", "A104", "HK131",
		"Attend hearing on motion to compel")
	    LN("5", "20260320", "2.0", "520", "1040", "L450", "", "HK131",
		"Trial day 1")
	    LN("6", "20260320", "2.0", "520", "1040", "L450", "A101", "HK122",
		"Prepare witness for trial day 2");
	struct run r;
	const struct finding *f;

	(void)state;
	run_one(&r, rules, a);
	assert_int_equal(count_of(&r, "att"), 2);
	f = finding_of(&r, "att", 0);
	assert_string_equal(f->line, "2");
	assert_int_equal(f->at_risk, 38080000);
	assert_string_equal(f->message, "event on 2026-03-19 attended by 2 "
	    "timekeepers, max 1 (first: HK101)");
	f = finding_of(&r, "att", 1); /* by phrase */
	assert_string_equal(f->line, "4");
	assert_string_equal(f->message, "event on 2026-03-19 attended by 3 "
	    "timekeepers, max 1 (first: HK101)");
	run_free(&r);
}

static void
attendees__any_activity_and_max__configurable(void **state)
{
	static const char rules[] = "billcheck: 1\nrules:\n"
	    "  - {id: att, check: attendees, max: 2, activity_codes: [], "
	    "task_codes: [L330], phrases: [mock trial]}\n";
	static const char a[] = LEDES_HEAD
	    LN("1", "20260319", "1.0", "100", "100", "L330", "A101", "A",
		"Prep")
	    LN("2", "20260319", "1.0", "100", "100", "L330", "A104", "B",
		"Review")
	    LN("3", "20260319", "1.0", "100", "100", "L120", "A104", "C",
		"Attend hearing")
	    LN("4", "20260319", "1.0", "100", "100", "L120", "A104", "D",
		"Mock trial with witnesses")
	    LN("5", "20260319", "1.0", "100", "100", "L330", "A109", "A",
		"Depose R. Tanaka");
	struct run r;

	(void)state;
	run_one(&r, rules, a);
	assert_int_equal(count_of(&r, "att"), 1);
	assert_string_equal(finding_of(&r, "att", 0)->line, "4");
	run_free(&r);
}

/* ---- travel_time ------------------------------------------------- */

static void
travel_time__full_rate__half_at_risk(void **state)
{
	static const char rules[] = "billcheck: 1\nrules:\n"
	    "  - {id: travel, check: travel_time}\n";
	static const char a[] = LEDES_HEAD
	    LN("22", "20260318", "3.5", "925", "3237.50", "L330", "A111",
		"HK101", "Travel to Chicago for deposition of R. Tanaka")
	    LN("25", "20260320", "3.2", "462.50", "1480", "L330", "A111",
		"HK101", "Return travel from Chicago, billed at 50% of "
		"approved rate")
	    LNA("26", "20260320", "2.0", "925", "-925", "925", "L330", "A111",
		"HK101", "Drive to Milwaukee for inspection")
	    LN("27", "20260320", "2.0", "500", "1000", "L120", "A104",
		"HK101", "Review travel expense policy for client");
	struct run r;
	const struct finding *f;

	(void)state;
	run_one(&r, rules, a);
	assert_int_equal(count_of(&r, "travel"), 1);
	f = finding_of(&r, "travel", 0);
	assert_string_equal(f->line, "22");
	assert_int_equal(f->at_risk, 16187500);
	assert_string_equal(f->message, "travel billed 3,237.50 for 3.5 h; "
	    "50% of 925.00/h allows 1,618.75");
	run_free(&r);
}

static void
travel_time__rate_from_roster_or_other_work(void **state)
{
	static const char rules[] = "billcheck: 1\n"
	    "firms:\n"
	    "  - id: \"" F1 "\"\n"
	    "    timekeepers:\n"
	    "      - {id: P1, class: PARTNR, rate: 900}\n"
	    "rules:\n"
	    "  - {id: travel, check: travel_time, codes: [A112]}\n"
	    "  - {id: unpaid, check: travel_time, rate_percent: 0}\n";
	static const char a[] = LEDES_HEAD
	    /* above the approved rate: the excess is the rate check's */
	    LN("1", "20260318", "3.5", "925", "3237.50", "L330", "A111", "P1",
		"Travel to Chicago")
	    LN("2", "20260318", "1.0", "925", "925", "L330", "A104", "P2",
		"Review exhibits for Tanaka deposition")
	    /* half of 925 would be 462.50: 700 is above it */
	    LN("3", "20260319", "2.0", "700", "1400", "L330", "A111", "P2",
		"Return travel from Chicago at reduced rate")
	    LN("4", "20260319", "1.0", "600", "600", "L330", "A112", "P2",
		"Flight delay")
	    LN("5", "20260319", "1.0", "400", "400", "L330", "A112", "P2",
		"Flight delay");
	struct run r;
	const struct finding *f;

	(void)state;
	run_one(&r, rules, a);
	assert_int_equal(count_of(&r, "travel"), 3);
	f = finding_of(&r, "travel", 0);
	assert_string_equal(f->line, "1");
	assert_int_equal(f->at_risk, 15750000); /* 3,150.00 - 1,575.00 */
	assert_string_equal(f->message, "travel billed 3,237.50 for 3.5 h; "
	    "50% of the approved 900.00/h rate allows 1,575.00");
	f = finding_of(&r, "travel", 1);
	assert_string_equal(f->line, "3");
	assert_int_equal(f->at_risk, 4750000); /* 1,400.00 - 925.00 */
	assert_string_equal(f->message, "travel billed 1,400.00 for 2.0 h; "
	    "50% of the 925.00/h rate billed for other work allows 925.00");
	f = finding_of(&r, "travel", 2); /* by code; line 5 is under half */
	assert_string_equal(f->line, "4");
	assert_int_equal(f->at_risk, 1375000); /* 600.00 - 462.50 */
	/* not paid at all: everything up to the full rate */
	assert_int_equal(count_of(&r, "unpaid"), 2);
	assert_int_equal(finding_of(&r, "unpaid", 0)->at_risk, 31500000);
	assert_string_equal(finding_of(&r, "unpaid", 1)->message,
	    "travel billed 1,400.00 for 2.0 h; 0% of the 925.00/h rate billed "
	    "for other work allows 0.00");
	run_free(&r);
}

/* ---- the checks' shortcuts --------------------------------------- */

/* Words 0..156 of filler, then tasks across the 160th word, which
 * block_billing does not read past. */
#define W10(n) "w" #n "0 w" #n "1 w" #n "2 w" #n "3 w" #n "4 w" #n "5 " \
	"w" #n "6 w" #n "7 w" #n "8 w" #n "9 "
#define W150 W10(0) W10(1) W10(2) W10(3) W10(4) W10(5) W10(6) W10(7) \
	W10(8) W10(9) W10(a) W10(b) W10(c) W10(d) W10(e)
#define LONG1 W150 "x0 x1 x2 x3 x4 x5 x6 review file, draft memo and call " \
	"client"
#define LONG2 W150 "review file, draft memo; call client, research law"

/*
 * Narratives at the edges of what block_billing skips without a closer
 * look (one task word, no boundary before a later one, "and" before a
 * finishing verb, a verb out of the entry's tense, words past the 160th)
 * and of vague_description's filler: the findings are those billcheck
 * gave before the narrative checks shared one scan.
 */
static const struct edge {
	const char *text;
	const char *block; /* block_billing's message, or NULL */
	const char *vague; /* vague_description's, or NULL */
} edges[] = {
	{"Draft and revise motion to compel",
	    NULL,
	    NULL},
	{"Revise motion and serve on counsel",
	    NULL,
	    NULL},
	{"Revise motion, serve on counsel",
	    "2 tasks in one entry: revise, serve",
	    NULL},
	{"Telephone conference with client regarding discovery, and "
	    "review production",
	    "2 tasks in one entry: telephone conference, review",
	    NULL},
	{"Review documents. Draft memo to file",
	    "2 tasks in one entry: review, draft",
	    "vague narrative: 'review documents' and nothing more specific"},
	{"Review documents. draft memo to file",
	    NULL,
	    "vague narrative: 'review documents' and nothing more specific"},
	{"Review Nos. 4, 7 and draft memo",
	    "2 tasks in one entry: review, draft",
	    NULL},
	{"Met with J. Smith; drafted letter",
	    "2 tasks in one entry: meet, draft",
	    NULL},
	{"Draft motion \xe2\x80\x94 review exhibits",
	    "2 tasks in one entry: draft, review",
	    NULL},
	{"Draft motion - review exhibits",
	    "2 tasks in one entry: draft, review",
	    NULL},
	{"Draft motion--review exhibits",
	    "2 tasks in one entry: draft, review",
	    NULL},
	{"Draft motion/review exhibits",
	    "2 tasks in one entry: draft, review",
	    NULL},
	{"Draft motion & review exhibits",
	    "2 tasks in one entry: draft, review",
	    NULL},
	{"Draft motion as well as review exhibits",
	    NULL,
	    NULL},
	{"Draft motion as well as review exhibits, call client",
	    "3 tasks in one entry: draft, review, call",
	    NULL},
	{"Reviewed production, drafted memo and called client",
	    "3 tasks in one entry: review, draft, call",
	    NULL},
	{"Review production, drafted memo",
	    NULL,
	    NULL},
	{"Begin drafting memo, and reviewing file",
	    "2 tasks in one entry: draft, review",
	    NULL},
	{"Reviewing file, drafting memo",
	    "2 tasks in one entry: review, draft",
	    NULL},
	{"Review file (draft memo) and call client",
	    "2 tasks in one entry: review, call",
	    "vague narrative: 'review file', 'call' and nothing more "
	    "specific"},
	{"(Review file) draft memo, call client",
	    "2 tasks in one entry: draft, call",
	    "vague narrative: 'review file', 'call' and nothing more "
	    "specific"},
	{"Review file and discuss with partner",
	    NULL,
	    "vague narrative: 'review file' and nothing more specific"},
	{"Review file; discuss with partner",
	    "2 tasks in one entry: review, discuss",
	    "vague narrative: 'review file' and nothing more specific"},
	{"Prepare for and attend deposition of plant manager",
	    "2 tasks in one entry: prepare, attend",
	    NULL},
	{"Attend hearing, travel to Chicago",
	    "2 tasks in one entry: attend, travel",
	    NULL},
	{"Draft and revise motion, and then draft reply brief",
	    "2 tasks in one entry: draft, draft",
	    NULL},
	{"Research case law including draft memo",
	    NULL,
	    NULL},
	{"Research regarding draft agreement and review invoices",
	    "2 tasks in one entry: research, review",
	    NULL},
	{"e-mail to client, telephone conference with counsel",
	    "2 tasks in one entry: e-mail, telephone conference",
	    "vague narrative: 'e mail', 'telephone conference' and "
	    "nothing more specific"},
	{"Review counsel's letter, draft response",
	    "2 tasks in one entry: review, draft",
	    NULL},
	{"Meet and confer with opposing counsel, draft letter",
	    "2 tasks in one entry: meet and confer, draft",
	    NULL},
	{"Conference with client\nDraft letter",
	    "2 tasks in one entry: conference, draft",
	    "vague narrative: 'conference' and nothing more specific"},
	{"Email re draft motion and revised schedule",
	    NULL,
	    NULL},
	{"Draft motion to compel; e.g. review, call",
	    "2 tasks in one entry: draft, review",
	    NULL},
	{"Draft memo, i.e. review file",
	    NULL,
	    NULL},
	{"Draft motion, to review documents",
	    NULL,
	    "vague narrative: 'review documents' and nothing more specific"},
	{"telephone call with client, conference with associate",
	    "2 tasks in one entry: telephone call, conference",
	    "vague narrative: 'telephone call', 'conference' and nothing "
	    "more specific"},
	{"Review file, the draft memo, and the call",
	    NULL,
	    "vague narrative: 'review file', 'call' and nothing more "
	    "specific"},
	{"Draft memo, and then also review file",
	    "2 tasks in one entry: draft, review",
	    NULL},
	{"Draft memo and finalize, file motion",
	    "2 tasks in one entry: draft, file",
	    NULL},
	{"Drafted memo and filed motion",
	    NULL,
	    NULL},
	{"Analyze answer, and Attend hearing. Travel to court",
	    "3 tasks in one entry: analyze, attend, travel",
	    NULL},
	{"Plus review file and draft memo",
	    "2 tasks in one entry: review, draft",
	    NULL},
	{"Andrew reviewed file or drafted memo",
	    "2 tasks in one entry: review, draft",
	    NULL},
	{"Work on matter",
	    NULL,
	    "vague narrative: 'work on matter' and nothing more specific"},
	{"Attention to file, emails",
	    NULL,
	    "vague narrative: 'attention to file', 'emails' and nothing "
	    "more specific"},
	{"Review",
	    NULL,
	    "vague narrative: 'review' and nothing more specific"},
	{"Legal research on Daubert",
	    NULL,
	    NULL},
	{"re same",
	    NULL,
	    "vague narrative: 're same' and nothing more specific"},
	{"Calls and emails re: same",
	    NULL,
	    "vague narrative: 'calls', 'emails' and nothing more specific"},
	{"Work on brief",
	    NULL,
	    "vague narrative: 'work on' and nothing more specific"},
	{"Review documents regarding same and attention to file",
	    NULL,
	    "vague narrative: 'review documents', 'regarding same', "
	    "'attention to file' and nothing more specific"},
	{LONG1,
	    NULL,
	    NULL},
	{LONG2,
	    "4 tasks in one entry: review, draft, call, research",
	    NULL},
};

static void
narratives__edge_cases__same_findings_as_before(void **state)
{
	static const char rules[] = "billcheck: 1\nrules:\n"
	    "  - {id: block, check: block_billing}\n"
	    "  - {id: vague, check: vague_description}\n";
	size_t n = sizeof(edges) / sizeof(edges[0]), i, k, len = 0;
	size_t cap = 512 + n * 1600;
	char *text = malloc(cap);
	struct run run;

	(void)state;
	assert_non_null(text);
	len = (size_t)snprintf(text, cap, "%s", LEDES_HEAD);
	for (i = 0; i < n; i++)
		len += (size_t)snprintf(text + len, cap - len,
		    "20260405|T1|C1|M1|0|20260301|20260331|S|%zu|F|1.0|0|500|"
		    "20260305|L120||A104|P1|%s|" F1 "|500|Doe, P1|PARTNR|"
		    "CM-1[]\n", i + 1, edges[i].text);
	assert_true(len < cap);
	run_one(&run, rules, text);
	for (i = 0; i < n; i++) {
		/* A finding read back is valid only for a few reads: keep
		 * copies of the messages. */
		char bbuf[600], vbuf[600];
		const char *block = NULL, *vague = NULL;

		for (k = 0; k < run.res->nfindings; k++) {
			const struct finding *f = finding_at(&run, k);

			if (strtoul(f->line, NULL, 10) != i + 1)
				continue;
			if (strcmp(f->rule, "block") == 0) {
				snprintf(bbuf, sizeof(bbuf), "%s", f->message);
				block = bbuf;
			} else {
				snprintf(vbuf, sizeof(vbuf), "%s", f->message);
				vague = vbuf;
			}
		}
		if ((block == NULL) != (edges[i].block == NULL) ||
		    (block != NULL && strcmp(block, edges[i].block) != 0) ||
		    (vague == NULL) != (edges[i].vague == NULL) ||
		    (vague != NULL && strcmp(vague, edges[i].vague) != 0))
			fail_msg("line %zu '%s': block '%s' vague '%s'", i + 1,
			    edges[i].text, block ? block : "-",
			    vague ? vague : "-");
	}
	free(text);
	run_free(&run);
}

/* A firm's own list comes after other lines were read with the rule's:
 * the automaton is rebuilt in the middle of a line, and every check of
 * that line and of the later ones sees the same scan. */
static void
shared_scan__list_added_mid_run__every_line_right(void **state)
{
	static const char rules[] = "billcheck: 1\n"
	    "firms:\n"
	    "  - id: \"22-2222222\"\n"
	    "    overrides:\n"
	    "      vague: {phrases: [trial prep]}\n"
	    "      words: {phrases: [\"bates stamp*\", conflict check]}\n"
	    "rules:\n"
	    "  - {id: block, check: block_billing}\n"
	    "  - {id: vague, check: vague_description}\n"
	    "  - {id: words, check: description_keywords,\n"
	    "     phrases: [\"photo*\"]}\n";
	static const char a[] = LEDES_HEAD
	    FEE(F1, "A1", "0", "1", "20260305", "1.0", "500", "500", "P1",
		"ASSOC", "Work on matter")
	    FEE("22-2222222", "B1", "0", "1", "20260305", "1.0", "500", "500",
		"P2", "ASSOC", "Trial prep; bates stamping, photocopy exhibits")
	    FEE(F1, "A1", "0", "2", "20260305", "1.0", "500", "500", "P1",
		"ASSOC", "Photocopying; work on matter")
	    FEE("22-2222222", "B1", "0", "2", "20260305", "1.0", "500", "500",
		"P2", "ASSOC", "Work on matter, conflict check");
	struct run r;

	(void)state;
	run_one(&r, rules, a);
	/* the first firm's lines, before and after the other's list */
	assert_int_equal(count_of(&r, "vague"), 2);
	assert_string_equal(finding_of(&r, "vague", 0)->line, "1");
	assert_string_equal(finding_of(&r, "vague", 1)->message,
	    "vague narrative: 'work on matter' and nothing more specific");
	assert_int_equal(count_of(&r, "words"), 3);
	assert_string_equal(finding_of(&r, "words", 0)->message,
	    "narrative mentions 'Photocopying'");
	/* the other firm's: its lists, and the rule's block_billing */
	assert_string_equal(finding_of(&r, "words", 1)->message,
	    "narrative mentions 'bates stamping'");
	assert_string_equal(finding_of(&r, "words", 2)->message,
	    "narrative mentions 'conflict check'");
	assert_int_equal(count_of(&r, "block"), 1);
	assert_string_equal(finding_of(&r, "block", 0)->message,
	    "2 tasks in one entry: prep, bates stamp");
	run_free(&r);
}

/* More timekeepers than travel_time keeps at hand, each billing other
 * work at its own rate, then at a lower one, then travel: every travel
 * line is measured against its own timekeeper's highest rate. */
static void
travel_time__many_timekeepers__each_own_rate(void **state)
{
	static const char rules[] = "billcheck: 1\nrules:\n"
	    "  - {id: travel, check: travel_time}\n";
	enum { NTK = 300 };
	size_t cap = 512 + NTK * 3 * 300, len, i, k, pass;
	char *text = malloc(cap);
	struct run r;

	(void)state;
	assert_non_null(text);
	len = (size_t)snprintf(text, cap, "%s", LEDES_HEAD);
	for (pass = 0; pass < 3; pass++)
		for (k = 0; k < NTK; k++) {
			unsigned rate;

			/* the later passes in another order */
			i = pass == 0 ? k : NTK - 1 - k;
			rate = pass == 0 ? 100 + (unsigned)i : pass == 1 ? 50 :
			    60;
			len += (size_t)snprintf(text + len, cap - len,
			    "20260405|T1|C1|M1|0|20260301|20260331|S|%zu|F|1.0|"
			    "0|%u|20260305|L120||A104|K%zu|%s|" F1 "|%u|Doe|"
			    "PARTNR|CM-1[]\n", pass * NTK + k + 1, rate, i,
			    pass == 2 ? "Travel to Chicago" : "Draft brief",
			    rate);
		}
	assert_true(len < cap);
	run_one(&r, rules, text);
	/* 60 billed, half of 100 + i allowed: over for i < 20 */
	assert_int_equal(count_of(&r, "travel"), 20);
	assert_string_equal(finding_of(&r, "travel", 0)->timekeeper, "K19");
	assert_string_equal(finding_of(&r, "travel", 0)->message,
	    "travel billed 60.00 for 1.0 h; 50% of the 119.00/h rate billed "
	    "for other work allows 59.50");
	assert_string_equal(finding_of(&r, "travel", 19)->timekeeper, "K0");
	run_free(&r);
	free(text);
}

/* Codes compare without case, and only whole. */
static void
internal_conference__codes__case_but_not_length(void **state)
{
	static const char rules[] = "billcheck: 1\nrules:\n"
	    "  - {id: ic, check: internal_conference}\n";
	static const char a[] = LEDES_HEAD
	    LN("1", "20260310", "1.0", "500", "500", "L120", "a105", "P1",
		"Strategy")
	    LN("2", "20260310", "1.0", "500", "500", "L120", "A105", "P2",
		"Strategy")
	    LN("3", "20260310", "1.0", "500", "500", "L120", "A1050", "P3",
		"Strategy")
	    LN("4", "20260310", "1.0", "500", "500", "L120", "A10", "P4",
		"Strategy")
	    LN("5", "20260310", "1.0", "500", "500", "a105", "A104", "P5",
		"Strategy");
	struct run r;

	(void)state;
	run_one(&r, rules, a);
	/* P1, P2 and P5 at one conference: the second and third are over */
	assert_int_equal(count_of(&r, "ic"), 2);
	assert_string_equal(finding_of(&r, "ic", 0)->line, "2");
	assert_string_equal(finding_of(&r, "ic", 1)->line, "5");
	run_free(&r);
}

/* ---- the labelled set -------------------------------------------- */

#define DATA "tests/data/narratives.tsv"
#define MAX_ROWS 400

struct row {
	char label[8];
	char text[256];
};

static size_t
load_rows(struct row *rows, size_t max)
{
	FILE *fp = fopen(DATA, "r");
	char line[512];
	size_t n = 0;

	assert_non_null(fp);
	while (n < max && fgets(line, sizeof(line), fp) != NULL) {
		char *tab = strchr(line, '\t');
		size_t len;

		if (line[0] == '#' || tab == NULL)
			continue;
		*tab = '\0';
		len = strcspn(tab + 1, "\r\n");
		assert_true(strlen(line) < sizeof(rows[n].label));
		assert_true(len < sizeof(rows[n].text));
		memcpy(rows[n].label, line, strlen(line) + 1);
		memcpy(rows[n].text, tab + 1, len);
		rows[n].text[len] = '\0';
		n++;
	}
	fclose(fp);
	return n;
}

struct score {
	size_t tp, fp, fn;
};

static void
report(const char *what, const struct score *s, double *precision,
    double *recall)
{
	*precision = s->tp + s->fp ? (double)s->tp / (double)(s->tp + s->fp) :
	    1.0;
	*recall = s->tp + s->fn ? (double)s->tp / (double)(s->tp + s->fn) : 1.0;
	printf("%-18s tp %3zu  fp %3zu  fn %3zu  precision %.3f  recall "
	    "%.3f\n", what, s->tp, s->fp, s->fn, *precision, *recall);
}

static void
labelled_set__block_and_vague__precision_and_recall_at_least_95(
    void **state)
{
	static const char rules[] = "billcheck: 1\nrules:\n"
	    "  - {id: block, check: block_billing}\n"
	    "  - {id: vague, check: vague_description}\n";
	static struct row rows[MAX_ROWS];
	size_t n = load_rows(rows, MAX_ROWS), i, cap, len;
	char *text, *flag_block, *flag_vague;
	struct score block = {0, 0, 0}, vague = {0, 0, 0};
	double p, r;
	struct run run;

	(void)state;
	assert_true(n >= 150);
	cap = 512 + n * 400;
	text = malloc(cap);
	assert_non_null(text);
	len = (size_t)snprintf(text, cap, "%s", LEDES_HEAD);
	for (i = 0; i < n; i++)
		len += (size_t)snprintf(text + len, cap - len,
		    "20260405|T1|C1|M1|0|20260301|20260331|S|%zu|F|1.0|0|100|"
		    "20260302|L120||A104|P1|%s|" F1 "|100|Doe|PARTNR|CM[]\n",
		    i + 1, rows[i].text);
	run_one(&run, rules, text);
	flag_block = calloc(n + 1, 1);
	flag_vague = calloc(n + 1, 1);
	assert_non_null(flag_block);
	assert_non_null(flag_vague);
	for (i = 0; i < run.res->nfindings; i++) {
		const struct finding *f = finding_at(&run, i);
		size_t k = strtoul(f->line, NULL, 10);

		assert_true(k >= 1 && k <= n);
		if (strcmp(f->rule, "block") == 0)
			flag_block[k - 1] = 1;
		else if (strcmp(f->rule, "vague") == 0)
			flag_vague[k - 1] = 1;
	}
	for (i = 0; i < n; i++) {
		bool is_block = strcmp(rows[i].label, "block") == 0;
		bool is_vague = strcmp(rows[i].label, "vague") == 0;

		block.tp += is_block && flag_block[i];
		block.fp += !is_block && flag_block[i];
		block.fn += is_block && !flag_block[i];
		vague.tp += is_vague && flag_vague[i];
		vague.fp += !is_vague && flag_vague[i];
		vague.fn += is_vague && !flag_vague[i];
		if (is_block != (flag_block[i] != 0) ||
		    is_vague != (flag_vague[i] != 0))
			printf("  miss: %-5s flagged%s%s: %s\n", rows[i].label,
			    flag_block[i] ? " block" : "",
			    flag_vague[i] ? " vague" : "", rows[i].text);
	}
	printf("labelled narratives: %zu (%s)\n", n, DATA);
	report("block_billing", &block, &p, &r);
	assert_true(p >= 0.95);
	assert_true(r >= 0.95);
	report("vague_description", &vague, &p, &r);
	assert_true(p >= 0.95);
	assert_true(r >= 0.95);
	free(flag_block);
	free(flag_vague);
	free(text);
	run_free(&run);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
block_billing__clauses_and_chains__flagged_with_tasks_named),
		cmocka_unit_test(block_billing__one_task__not_flagged),
		cmocka_unit_test(
		    block_billing__min_tasks_and_min_units__narrow_it),
		cmocka_unit_test(
		    vague_description__phrase_short_and_empty__flagged),
		cmocka_unit_test(
		    vague_description__specific_or_expense__not_flagged),
		cmocka_unit_test(
vague_description__own_list_and_firm_override__replace_default),
		cmocka_unit_test(
		    description_keywords__phrases__quoted_and_whole_word),
		cmocka_unit_test(
		    description_keywords__no_phrases__note_only),
		cmocka_unit_test(
internal_conference__third_and_second__flagged_first_allowed),
		cmocka_unit_test(internal_conference__max_attendees_two),
		cmocka_unit_test(
		    attendees__second_timekeeper_at_event__flagged),
		cmocka_unit_test(
		    attendees__any_activity_and_max__configurable),
		cmocka_unit_test(travel_time__full_rate__half_at_risk),
		cmocka_unit_test(
		    narratives__edge_cases__same_findings_as_before),
		cmocka_unit_test(
		    shared_scan__list_added_mid_run__every_line_right),
		cmocka_unit_test(
		    travel_time__many_timekeepers__each_own_rate),
		cmocka_unit_test(
		    internal_conference__codes__case_but_not_length),
		cmocka_unit_test(
		    travel_time__rate_from_roster_or_other_work),
		cmocka_unit_test(
labelled_set__block_and_vague__precision_and_recall_at_least_95),
	};

	return cmocka_run_group_tests_name("check_text", tests, NULL, NULL);
}
