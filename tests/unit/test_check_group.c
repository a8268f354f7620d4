/* test_check_group.c - the cross-line group checks: daily_hours,
 * duplicate, duplicate_invoice, multi_matter, task_hours, budget and
 * rate_change.  What each flags, the near misses it leaves alone, the line
 * it sits on, its message and its exact amount at risk. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>

#include "../../src/checks/group.h"
#include "date.h"
#include "run_checks.h"

#define F1 "11-1111111"
#define F2 "22-2222222"

/* A LEDES 1998B line with every field the group checks look at: firm,
 * invoice, matter (LAW_FIRM_MATTER_ID), client matter, invoice total,
 * line number, type, date, units, unit cost, total, task, expense and
 * activity codes, timekeeper and description. */
#define LINE(firm, inv, matter, cm, tot, no, type, date, hrs, rate, total, \
	    task, exp, act, tk, desc) \
	"20260405|" inv "|C1|" matter "|" tot "|20260301|20260331|S|" no \
	"|" type "|" hrs "|0|" total "|" date "|" task "|" exp "|" act "|" \
	tk "|" desc "|" firm "|" rate "|Doe, " tk "|ASSOC|" cm "[]\n"

/* A fee of timekeeper tk in invoice A1, matter M1. */
#define TK(no, date, tk, hrs, rate, total) \
	LINE(F1, "A1", "M1", "CM-1", "0", no, "F", date, hrs, rate, total, \
	    "L120", "", "A104", tk, "Work")

static bool
has_note(const struct run *r, const char *text)
{
	size_t i;

	for (i = 0; i < r->res->nnotes; i++)
		if (strstr(r->res->notes[i].message, text) != NULL)
			return true;
	return false;
}

/* ---- group_dates -------------------------------------------------- */

/* Places per date: new ones zeroed, old ones kept (moved) as the range
 * grows at either end, DATE_NONE apart, and none before it is asked. */
static void
group_dates__grow_both_ways__places_kept_and_zeroed(void **state)
{
	struct group_dates d;
	int32_t first = date_from_ymd(1900, 1, 1);
	int32_t mid = date_from_ymd(2026, 3, 4);
	int32_t last = date_from_ymd(2199, 12, 31);
	int32_t dates[] = {mid, mid + 1, mid - 40, mid + 500, first, last,
	    mid - 1};
	size_t i, j;
	int64_t *v;

	(void)state;
	memset(&d, 0, sizeof(d));
	assert_null(group_dates_get(&d, sizeof(*v), mid));
	for (i = 0; i < sizeof(dates) / sizeof(dates[0]); i++) {
		v = group_dates_at(&d, sizeof(*v), dates[i]);
		assert_int_equal(*v, 0);
		*v = dates[i];
		for (j = 0; j <= i; j++) {
			v = group_dates_get(&d, sizeof(*v), dates[j]);
			assert_non_null(v);
			assert_int_equal(*v, dates[j]);
		}
	}
	assert_null(group_dates_get(&d, sizeof(*v), DATE_NONE));
	v = group_dates_at(&d, sizeof(*v), DATE_NONE);
	assert_int_equal(*v, 0);
	*v = -1;
	assert_int_equal(*(int64_t *)group_dates_get(&d, sizeof(*v),
	    DATE_NONE), -1);
	assert_int_equal(*(int64_t *)group_dates_at(&d, sizeof(*v), mid + 2),
	    0);
	assert_null(group_dates_get(&d, sizeof(*v), last + 1 + (int32_t)d.n));
	group_dates_fini(&d);
}

/* ---- daily_hours -------------------------------------------------- */

static const char rules_daily[] = "billcheck: 1\nrules:\n"
    "  - {id: day, check: daily_hours}\n";

static void
daily_hours__crossing_line__one_finding_excess_at_its_rate(void **state)
{
	static const char a[] = LEDES_HEAD
	    TK("1", "20260310", "P1", "6.5", "560", "3640")
	    TK("2", "20260311", "P1", "9.0", "560", "5040")
	    TK("3", "20260310", "P1", "5.0", "560", "2800")
	    TK("4", "20260310", "P1", "1.0", "560", "560")
	    EXP(F1, "A1", "0", "5", "20260310", "4", "10", "40", "E101",
		"copies");
	const struct finding *f;
	struct run r;

	(void)state;
	run_one(&r, rules_daily, a);
	assert_int_equal(count_of(&r, "day"), 1); /* one per day */
	f = finding_of(&r, "day", 0);
	assert_string_equal(f->line, "3");
	assert_int_equal(f->row, 5);
	assert_int_equal(f->at_risk, 8400000); /* 1.5 h x 560.00 */
	assert_string_equal(f->message,
	    "billed 11.5 h on 2026-03-10, max 10.0 h; rows 3, 5");
	run_free(&r);
}

static void
daily_hours__at_max_or_other_tk_or_firm__not_flagged(void **state)
{
	static const char a[] = LEDES_HEAD
	    TK("1", "20260312", "P1", "6.0", "500", "3000")
	    TK("2", "20260312", "P1", "4.0", "500", "2000")
	    TK("3", "20260312", "P2", "5.0", "500", "2500")
	    LINE(F2, "B1", "M1", "CM-1", "0", "1", "F", "20260312", "6.0",
		"500", "3000", "L120", "", "A104", "P1", "Work")
	    TK("4", "20260313", "P1", "6.0", "500", "3000")
	    TK("5", "20260313", "P1", "-1.0", "500", "-500")
	    TK("6", "20260313", "P1", "5.0", "500", "2500");
	struct run r;

	(void)state;
	run_one(&r, rules_daily, a);
	assert_int_equal(count_of(&r, "day"), 0);
	run_free(&r);
}

/* Days are kept per date, keyed by timekeeper: long ids (past 7 bytes,
 * keyed by number) and short ones, and the first and last dates a day
 * can have, each add up on their own. */
static void
daily_hours__long_ids_and_range_ends__days_apart(void **state)
{
	static const char a[] = LEDES_HEAD
	    TK("1", "19000101", "PARTNER-0001", "6.0", "500", "3000")
	    TK("2", "19000101", "PARTNER-0002", "6.0", "500", "3000")
	    TK("3", "19000101", "PARTNER-0001", "5.0", "500", "2500")
	    TK("4", "21991231", "P1", "6.0", "500", "3000")
	    TK("5", "21991230", "P1", "6.0", "500", "3000")
	    TK("6", "21991231", "P1", "5.0", "500", "2500")
	    TK("7", "21991231", "P1234567", "9.0", "500", "4500");
	struct run r;

	(void)state;
	run_one(&r, rules_daily, a);
	assert_int_equal(count_of(&r, "day"), 2);
	assert_string_equal(finding_of(&r, "day", 0)->message,
	    "billed 11.0 h on 1900-01-01, max 10.0 h; rows 3, 5");
	assert_string_equal(finding_of(&r, "day", 1)->message,
	    "billed 11.0 h on 2199-12-31, max 10.0 h; rows 6, 8");
	run_free(&r);
}

static void
daily_hours__no_unit_cost__share_of_line_total(void **state)
{
	static const char rules[] = "billcheck: 1\nrules:\n"
	    "  - {id: day, check: daily_hours, max: 8}\n";
	static const char a[] = LEDES_HEAD
	    TK("1", "20260310", "P1", "6.0", "100", "600")
	    TK("2", "20260310", "P1", "3.0", "", "330");
	struct run r;

	(void)state;
	run_one(&r, rules, a);
	assert_int_equal(count_of(&r, "day"), 1);
	assert_int_equal(finding_of(&r, "day", 0)->at_risk, 1100000);
	assert_string_equal(finding_of(&r, "day", 0)->message,
	    "billed 9.0 h on 2026-03-10, max 8.0 h; rows 3, 4");
	run_free(&r);
}

static void
daily_hours__two_inputs__day_adds_up_across_files(void **state)
{
	static const char a[] = LEDES_HEAD
	    TK("1", "20260310", "P1", "6.0", "500", "3000");
	static const char b[] = LEDES_HEAD
	    LINE(F1, "B7", "M2", "CM-2", "0", "1", "F", "20260310", "4.5",
		"500", "2250", "L120", "", "A104", "P1", "Other matter");
	const char *texts[] = {a, b, NULL};
	const struct finding *f;
	struct run r;

	(void)state;
	run_texts(&r, rules_daily, texts, NULL);
	assert_int_equal(count_of(&r, "day"), 1);
	f = finding_of(&r, "day", 0);
	assert_string_equal(f->file, "b.txt");
	assert_string_equal(f->invoice, "B7");
	assert_int_equal(f->row, 3);
	assert_int_equal(f->at_risk, 2500000); /* 0.5 h x 500.00 */
	assert_string_equal(f->message, "billed 10.5 h on 2026-03-10, "
	    "max 10.0 h; rows a.txt:3, b.txt:3");
	run_free(&r);
}

static void
daily_hours__long_day__rows_bounded(void **state)
{
	static const char a[] = LEDES_HEAD
	    TK("1", "20260310", "P1", "1.1", "100", "110")
	    TK("2", "20260310", "P1", "1.1", "100", "110")
	    TK("3", "20260310", "P1", "1.1", "100", "110")
	    TK("4", "20260310", "P1", "1.1", "100", "110")
	    TK("5", "20260310", "P1", "1.1", "100", "110")
	    TK("6", "20260310", "P1", "1.1", "100", "110")
	    TK("7", "20260310", "P1", "1.1", "100", "110")
	    TK("8", "20260310", "P1", "1.1", "100", "110")
	    TK("9", "20260310", "P1", "1.1", "100", "110")
	    TK("10", "20260310", "P1", "1.1", "100", "110")
	    TK("11", "20260310", "P1", "1.1", "100", "110");
	struct run r;

	(void)state;
	run_one(&r, rules_daily, a);
	assert_int_equal(count_of(&r, "day"), 1);
	assert_string_equal(finding_of(&r, "day", 0)->line, "10");
	assert_int_equal(finding_of(&r, "day", 0)->at_risk, 1000000);
	assert_string_equal(finding_of(&r, "day", 0)->message,
	    "billed 11.0 h on 2026-03-10, max 10.0 h; "
	    "rows 3, 4, 5, 6, 7, 8, 9, 10, ..., 12");
	run_free(&r);
}

/* ---- duplicate ---------------------------------------------------- */

static const char rules_dup[] = "billcheck: 1\nrules:\n"
    "  - {id: dup, check: duplicate, severity: error}\n";

#define DUP(no, date, tk, hrs, total, desc) \
	LINE(F1, "A1", "M1", "CM-1", "0", no, "F", date, hrs, "520", total, \
	    "L320", "", "A104", tk, desc)

static void
duplicate__repeats_in_invoice__each_names_the_first(void **state)
{
	static const char a[] = LEDES_HEAD
	    DUP("1", "20260304", "P1", "2.4", "1248",
		"Review production APX-1 to APX-9")
	    DUP("2", "20260304", "P1", "2.4", "1248",
		"review   PRODUCTION apx-1 to APX-9.")
	    DUP("3", "20260305", "P1", "2.4", "1248",
		"Review production APX-1 to APX-9")
	    DUP("4", "20260304", "P1", "2.5", "1300",
		"Review production APX-1 to APX-9")
	    DUP("5", "20260304", "P1", "2.4", "1248.01",
		"Review production APX-1 to APX-9")
	    DUP("6", "20260304", "P2", "2.4", "1248",
		"Review production APX-1 to APX-9")
	    DUP("7", "20260304", "P1", "2.4", "1248",
		"Review production APX-1 to APX-8")
	    DUP("8", "20260304", "P1", "2.40", "1248.00",
		"Review production APX-1 to APX-9")
	    LINE(F2, "B1", "M1", "CM-1", "0", "1", "F", "20260304", "2.4",
		"520", "1248", "L320", "", "A104", "P1",
		"Review production APX-1 to APX-9")
	    EXP(F1, "A1", "0", "9", "20260316", "100", "0.10", "10", "E101",
		"Copies")
	    EXP(F1, "A1", "0", "10", "20260316", "100", "0.10", "10", "E101",
		"Copies");
	const struct finding *f;
	struct run r;

	(void)state;
	run_one(&r, rules_dup, a);
	assert_int_equal(count_of(&r, "dup"), 3);
	f = finding_of(&r, "dup", 0);
	assert_string_equal(f->line, "2");
	assert_int_equal(f->row, 4);
	assert_int_equal(f->at_risk, 12480000);
	assert_string_equal(f->message, "repeats row 3 (invoice A1): same "
	    "timekeeper, date, units, amount and description");
	f = finding_of(&r, "dup", 1);
	assert_string_equal(f->line, "8"); /* the third, naming the first */
	assert_string_equal(f->message, "repeats row 3 (invoice A1): same "
	    "timekeeper, date, units, amount and description");
	f = finding_of(&r, "dup", 2);
	assert_string_equal(f->line, "10");
	assert_int_equal(f->at_risk, 100000);
	assert_string_equal(f->message, "repeats row 12 (invoice A1): same "
	    "timekeeper, date, units, amount and description");
	run_free(&r);
}

static void
duplicate__two_inputs__names_first_file_and_invoice(void **state)
{
	static const char a[] = LEDES_HEAD
	    DUP("1", "20260304", "P1", "2.4", "1248", "Review production");
	static const char b[] = LEDES_HEAD
	    LINE(F1, "B7", "M1", "CM-1", "0", "1", "F", "20260304", "2.4",
		"520", "1248", "L320", "", "A104", "P1", "Review production");
	const char *texts[] = {a, b, NULL};
	const struct finding *f;
	struct run r;

	(void)state;
	run_texts(&r, rules_dup, texts, NULL);
	assert_int_equal(count_of(&r, "dup"), 1);
	f = finding_of(&r, "dup", 0);
	assert_string_equal(f->file, "b.txt");
	assert_string_equal(f->invoice, "B7");
	assert_int_equal(f->at_risk, 12480000);
	assert_string_equal(f->message, "repeats row 3 of a.txt (invoice A1): "
	    "same timekeeper, date, units, amount and description");
	run_free(&r);
}

static void
duplicate__match_param__compares_only_those_fields(void **state)
{
	static const char rules[] = "billcheck: 1\nrules:\n"
	    "  - {id: dup, check: duplicate, match: [amount, date]}\n"
	    "  - {id: typed, check: duplicate, match: [date, amount, type]}\n";
	static const char a[] = LEDES_HEAD
	    DUP("1", "20260304", "P1", "2.4", "1248", "one thing")
	    DUP("2", "20260304", "P2", "1.2", "1248", "another")
	    EXP(F1, "A1", "0", "3", "20260304", "1", "1248", "1248", "E110",
		"airfare");
	struct run r;

	(void)state;
	run_one(&r, rules, a);
	assert_int_equal(count_of(&r, "dup"), 2);
	assert_string_equal(finding_of(&r, "dup", 0)->message,
	    "repeats row 3 (invoice A1): same date and amount");
	assert_string_equal(finding_of(&r, "dup", 1)->line, "3");
	assert_int_equal(count_of(&r, "typed"), 1); /* the expense differs */
	assert_string_equal(finding_of(&r, "typed", 0)->line, "2");
	assert_string_equal(finding_of(&r, "typed", 0)->message,
	    "repeats row 3 (invoice A1): same date, amount and type");
	run_free(&r);
}

static void
duplicate__csv_export__flagged_or_noted_without_narratives(void **state)
{
	static const char a[] =
	    "Invoice,Firm,Date,Timekeeper,Hours,Rate,Amount,Description\n"
	    "10457,55-1,03/02/2026,1007,1.0,780.00,780.00,Call with client\n"
	    "10457,55-1,03/02/2026,1007,1.0,780.00,780.00,call with CLIENT.\n";
	static const char b[] =
	    "Invoice,Firm,Date,Timekeeper,Hours,Rate,Amount\n"
	    "10458,55-1,03/03/2026,1007,1.0,780.00,780.00\n"
	    "10458,55-1,03/03/2026,1007,1.0,780.00,780.00\n";
	const char *texts[] = {a, b, NULL};
	struct run r;

	(void)state;
	run_texts(&r, rules_dup, texts, NULL);
	assert_int_equal(count_of(&r, "dup"), 1);
	assert_int_equal(finding_of(&r, "dup", 0)->row, 3);
	assert_int_equal(finding_of(&r, "dup", 0)->at_risk, 7800000);
	assert_string_equal(finding_of(&r, "dup", 0)->message,
	    "repeats row 2 (invoice 10457): same timekeeper, date, units, "
	    "amount and description");
	assert_true(has_note(&r, "input has no LINE_ITEM_DESCRIPTION column; "
	    "duplicates not checked"));
	run_free(&r);
}

/* Enough distinct lines to grow the table of fingerprints several times:
 * repeats of early lines are still found, naming the first. */
static void
duplicate__many_lines__table_grows_and_keeps_first(void **state)
{
	char *text = malloc(3000 * 300);
	size_t n = 0;
	struct run r;
	int i;

	(void)state;
	assert_non_null(text);
	memcpy(text, LEDES_HEAD, sizeof(LEDES_HEAD) - 1);
	n = sizeof(LEDES_HEAD) - 1;
	for (i = 0; i < 2000; i++)
		n += (size_t)snprintf(text + n, 300, LINE(F1, "A1", "M1",
		    "CM-1", "0", "%d", "F", "20260304", "1.0", "520", "520",
		    "L320", "", "A104", "P1", "Draft clause %d"), i + 1, i);
	for (i = 0; i < 3; i++)
		n += (size_t)snprintf(text + n, 300, LINE(F1, "A1", "M1",
		    "CM-1", "0", "%d", "F", "20260304", "1.0", "520", "520",
		    "L320", "", "A104", "P1", "DRAFT  clause %d."),
		    2001 + i, i * 997);
	run_one(&r, rules_dup, text);
	assert_int_equal(count_of(&r, "dup"), 3);
	assert_string_equal(finding_of(&r, "dup", 0)->message, "repeats row 3 "
	    "(invoice A1): same timekeeper, date, units, amount and "
	    "description");
	assert_string_equal(finding_of(&r, "dup", 2)->message, "repeats row "
	    "1997 (invoice A1): same timekeeper, date, units, amount and "
	    "description");
	run_free(&r);
	free(text);
}

/* Fingerprints are kept in a table per date: lines over many dates grow
 * many tables (which pass their outgrown arrays on to each other), and
 * repeats are found in each, naming the first; the same line on another
 * date repeats nothing, unless the match set leaves the date out.  The
 * first and last days a date can have are tables like any other. */
static void
duplicate__many_dates__tables_per_date_find_repeats(void **state)
{
	static const char rules[] = "billcheck: 1\nrules:\n"
	    "  - {id: dup, check: duplicate}\n"
	    "  - {id: undated, check: duplicate, "
	    "match: [timekeeper, units, amount, description]}\n";
	static const struct {
		const char *date, *desc;
	} more[] = {
		{"20260108", "Draft clause 7"}, {"20260304", "Draft clause 1799"},
		{"20260301", "Draft clause 8"}, {"19000101", "Edge"},
		{"19000101", "Edge"}, {"21991231", "Edge"}, {"21991231", "Edge"},
	};
	char *text = malloc(3000 * 300);
	char date[16], want[160];
	size_t n;
	struct run r;
	int i;

	(void)state;
	assert_non_null(text);
	memcpy(text, LEDES_HEAD, sizeof(LEDES_HEAD) - 1);
	n = sizeof(LEDES_HEAD) - 1;
	/* 1,800 distinct lines: line i on day 1 + i % 60 of 2026 (rows
	 * 3 to 1802), so each date's table grows from 16 slots to 32. */
	for (i = 0; i < 1800; i++) {
		snprintf(date, sizeof(date), "2026%02d%02d", 1 + i % 60 / 28,
		    1 + i % 60 % 28);
		n += (size_t)snprintf(text + n, 300, LINE(F1, "A1", "M1",
		    "CM-1", "0", "%d", "F", "%s", "1.0", "520", "520",
		    "L320", "", "A104", "P1", "Draft clause %d"), i + 1, date,
		    i);
	}
	/* Repeats of lines 7 and 1799 on their own dates (rows 1803-1804),
	 * line 8 on another date (1805: a repeat only without the date), and
	 * the same line on 1900-01-01 and 2199-12-31, twice each
	 * (1806-1809). */
	for (i = 0; i < (int)(sizeof(more) / sizeof(more[0])); i++)
		n += (size_t)snprintf(text + n, 300, LINE(F1, "A1", "M1",
		    "CM-1", "0", "%d", "F", "%s", "1.0", "520", "520", "L320",
		    "", "A104", "P1", "%s"), 1801 + i, more[i].date,
		    more[i].desc);
	run_one(&r, rules, text);
	assert_int_equal(count_of(&r, "dup"), 4);
	assert_string_equal(finding_of(&r, "dup", 0)->line, "1801");
	assert_string_equal(finding_of(&r, "dup", 0)->message, "repeats row 10 "
	    "(invoice A1): same timekeeper, date, units, amount and "
	    "description");
	assert_string_equal(finding_of(&r, "dup", 1)->line, "1802");
	snprintf(want, sizeof(want), "repeats row %d (invoice A1): same "
	    "timekeeper, date, units, amount and description", 1799 + 3);
	assert_string_equal(finding_of(&r, "dup", 1)->message, want);
	assert_string_equal(finding_of(&r, "dup", 2)->line, "1805");
	assert_string_equal(finding_of(&r, "dup", 2)->message, "repeats row "
	    "1806 (invoice A1): same timekeeper, date, units, amount and "
	    "description");
	assert_string_equal(finding_of(&r, "dup", 3)->line, "1807");
	assert_string_equal(finding_of(&r, "dup", 3)->message, "repeats row "
	    "1808 (invoice A1): same timekeeper, date, units, amount and "
	    "description");
	/* Without the date: 7, 1799 and 8 repeat, and the four edge lines
	 * are one. */
	assert_int_equal(count_of(&r, "undated"), 6);
	assert_string_equal(finding_of(&r, "undated", 2)->line, "1803");
	assert_string_equal(finding_of(&r, "undated", 2)->message, "repeats "
	    "row 11 (invoice A1): same timekeeper, units, amount and "
	    "description");
	assert_string_equal(finding_of(&r, "undated", 5)->message, "repeats "
	    "row 1806 (invoice A1): same timekeeper, units, amount and "
	    "description");
	run_free(&r);
	free(text);
}

/* 26,000 lines of one date: its table outgrows the shared chunks (past
 * 1 MB) and is allocated on its own; repeats are still found. */
static void
duplicate__one_busy_date__big_table_of_its_own(void **state)
{
	enum { LINES = 26000 };
	char *text = malloc((size_t)(LINES + 3) * 300);
	size_t n;
	struct run r;
	int i;

	(void)state;
	assert_non_null(text);
	memcpy(text, LEDES_HEAD, sizeof(LEDES_HEAD) - 1);
	n = sizeof(LEDES_HEAD) - 1;
	for (i = 0; i < LINES + 2; i++)
		n += (size_t)snprintf(text + n, 300, LINE(F1, "A1", "M1",
		    "CM-1", "0", "%d", "F", "20260304", "1.0", "520", "520",
		    "L320", "", "A104", "P1", "Draft clause %d"), i + 1,
		    i < LINES ? i : (i - LINES) * (LINES - 1));
	run_one(&r, rules_dup, text);
	assert_int_equal(count_of(&r, "dup"), 2);
	assert_string_equal(finding_of(&r, "dup", 0)->message, "repeats row 3 "
	    "(invoice A1): same timekeeper, date, units, amount and "
	    "description");
	assert_string_equal(finding_of(&r, "dup", 1)->message, "repeats row "
	    "26002 (invoice A1): same timekeeper, date, units, amount and "
	    "description");
	run_free(&r);
	free(text);
}

/* The fingerprints behind duplicate, tested directly. */

static struct invoice_line *
fp_line(const char *firm, const char *tk, const char *desc)
{
	static struct invoice_line l;

	memset(&l, 0, sizeof(l));
	l.field[F_LAW_FIRM_ID].p = firm;
	l.field[F_LAW_FIRM_ID].n = strlen(firm);
	l.field[F_TIMEKEEPER_ID].p = tk;
	l.field[F_TIMEKEEPER_ID].n = strlen(tk);
	l.field[F_LINE_ITEM_DESCRIPTION].p = desc;
	l.field[F_LINE_ITEM_DESCRIPTION].n = strlen(desc);
	l.field[F_LINE_ITEM_TASK_CODE].p = "l120";
	l.field[F_LINE_ITEM_TASK_CODE].n = 4;
	l.field[F_LINE_ITEM_EXPENSE_CODE].p = "";
	l.date = 60310;
	l.num[N_UNITS] = 65000;
	l.num[N_TOTAL] = 36400000;
	l.type = LINE_FEE;
	return &l;
}

/* History files hold version 1 fingerprints: these bytes are what
 * billcheck 0.1.0 recorded, and must never change (or the history schema
 * version must). */
static void
duplicate_fingerprint__version_1__same_bytes_as_recorded(void **state)
{
	static const unsigned char def[16] = {
		0x81, 0x1b, 0x19, 0x7e, 0x38, 0x65, 0x2c, 0x61,
		0x20, 0x3e, 0x65, 0xe7, 0x5f, 0x0b, 0x2e, 0xd8,
	};
	static const unsigned char all[16] = {
		0x37, 0x8b, 0x5a, 0xda, 0x25, 0x76, 0xff, 0x4d,
		0x0c, 0x34, 0xe7, 0xe2, 0xc3, 0x77, 0x00, 0x57,
	};
	static const unsigned char firm[16] = {
		0x3e, 0x30, 0x83, 0x0b, 0x6d, 0x4a, 0xde, 0x60,
		0x58, 0x5a, 0x9b, 0x52, 0x4a, 0xc4, 0x67, 0x80,
	};
	const struct invoice_line *l = fp_line(F1, "P1",
	    "  Review  documents, re: Smith.  ");
	unsigned char fp[16];

	(void)state;
	group_dup_fingerprint(fp, l, 0x1f, 1);
	assert_memory_equal(fp, def, 16);
	group_dup_fingerprint(fp, l, 0xff, 1);
	assert_memory_equal(fp, all, 16);
	group_dup_fingerprint(fp, l, 0, 1);
	assert_memory_equal(fp, firm, 16);
}

/* Narratives that read the same and ones that do not, placed so runs,
 * tabs and UTF-8 fall on every side of the 8- and 16-byte steps. */
static const char *const narratives[] = {
	"", ".", "  ", "a", "A", "a.", "ab", "Review documents",
	"review documents", "Review  documents", "Review\tdocuments",
	"Review \t documents.", "  Review documents ...", "Review documentS",
	"Review document", "Review documents and memo", "Réview documents",
	"RÉVIEW DOCUMENTS", "0123456789abcdef", "0123456789ABCDEF",
	"0123456789abcde  f", "0123456789abcdef  g", "0123456789abcdef g",
	"0123456789abcdef\tg", "0123456789abcdef\t\tg",
	"0123456 89abcdef 0123456 89abcdef 0123456 89abcdef 0123456 89",
	"0123456  89abcdef 0123456 89abcdef 0123456 89abcdef 0123456 89",
	"0123456 89ABCDEF 0123456 89abcdef 0123456 89abcdef 0123456 89",
	"Prepare for and attend deposition of J. Alvarez; review exhibits "
	    "1-42 and prepare outline of examination topics for the trial "
	    "team, with follow-up notes to client regarding scheduling and "
	    "the @ [bracketed] {braced} ~tilde~ issues.",
	"prepare FOR and attend deposition of j. alvarez; review exhibits "
	    "1-42 and prepare outline of examination topics for the trial "
	    "team,  with follow-up notes to client regarding scheduling and "
	    "the @ [bracketed] {braced} ~tilde~ issues",
	"prepare FOR and attend deposition of j. alvarez; review exhibits "
	    "1-42 and prepare outline of examination topics for the trial "
	    "team,  with follow-up notes to client regarding scheduling and "
	    "the @ [bracketed] {braced} ~tilde issues",
	"x\x01y", "x\x7fy", "@[`{~", "A@[`{~Z", "a@[`{~z",
	"AZ[\\]^_`az", "az[\\]^_`az",
};

#define NNARR (sizeof(narratives) / sizeof(narratives[0]))

/* Version 2 puts together exactly the lines version 1 does, by either
 * way of normalising, and never agrees with another line's. */
static void
duplicate_fingerprint__version_2__same_classes_as_version_1(void **state)
{
	/* The default set last: the pairs below are about it. */
	static const unsigned sets[] = {0xff, 0x10, 0x13, 0, 0x1f};
	unsigned char v1[NNARR][16], v2[NNARR][16], v3[16];
	size_t i, j, k;

	(void)state;
	for (k = 0; k < sizeof(sets) / sizeof(sets[0]); k++) {
		for (i = 0; i < NNARR; i++) {
			const struct invoice_line *l = fp_line(F1, "P1",
			    narratives[i]);

			group_dup_fingerprint(v1[i], l, sets[k], 1);
			group_dup_fingerprint(v2[i], l, sets[k], 2);
			group_dup_fingerprint(v3, l, sets[k], 3);
			assert_memory_equal(v2[i], v3, 16);
		}
		for (i = 0; i < NNARR; i++)
			for (j = 0; j < NNARR; j++)
				assert_int_equal(
				    memcmp(v1[i], v1[j], 16) == 0,
				    memcmp(v2[i], v2[j], 16) == 0);
	}
	/* The pairs that read the same, spelled out. */
	assert_memory_equal(v2[7], v2[8], 16);
	assert_memory_equal(v2[7], v2[9], 16);
	assert_memory_equal(v2[7], v2[10], 16);
	assert_memory_equal(v2[7], v2[11], 16);
	assert_memory_equal(v2[7], v2[12], 16);
	assert_memory_equal(v2[7], v2[13], 16);
	assert_memory_not_equal(v2[7], v2[14], 16);
	assert_memory_not_equal(v2[7], v2[16], 16);
}

/* Ids and numbers count: the firm, the timekeeper, the same bytes moved
 * from one field to the other, and each number of the match set. */
static void
duplicate_fingerprint__fields__each_one_counts(void **state)
{
	unsigned char a[16], b[16];
	struct invoice_line *l;

	(void)state;
	group_dup_fingerprint(a, fp_line("AB", "C", "x"), 0x1f, 2);
	group_dup_fingerprint(b, fp_line("A", "BC", "x"), 0x1f, 2);
	assert_memory_not_equal(a, b, 16);
	group_dup_fingerprint(b, fp_line("AB", "C", "X"), 0x1f, 2);
	assert_memory_equal(a, b, 16);
	group_dup_fingerprint(b, fp_line("ab", "C", "x"), 0x1f, 2);
	assert_memory_not_equal(a, b, 16);
	l = fp_line("AB", "C", "x");
	l->num[N_UNITS]++;
	group_dup_fingerprint(b, l, 0x1f, 2);
	assert_memory_not_equal(a, b, 16);
	group_dup_fingerprint(b, l, 0x1b, 2); /* units not compared */
	group_dup_fingerprint(a, fp_line("AB", "C", "x"), 0x1b, 2);
	assert_memory_equal(a, b, 16);
	l = fp_line("AB", "C", "x");
	l->date++;
	group_dup_fingerprint(b, l, 0x1b, 2);
	assert_memory_not_equal(a, b, 16);
	l = fp_line("AB", "C", "x");
	l->type = LINE_EXPENSE;
	group_dup_fingerprint(b, l, 0x1b, 2); /* type not compared */
	assert_memory_equal(a, b, 16);
	group_dup_fingerprint(b, l, 0x3b, 2);
	group_dup_fingerprint(a, fp_line("AB", "C", "x"), 0x3b, 2);
	assert_memory_not_equal(a, b, 16);
}

/* ---- duplicate_invoice -------------------------------------------- */

static void
duplicate_invoice__resubmission__repeat_total_at_risk(void **state)
{
	static const char rules[] = "billcheck: 1\nrules:\n"
	    "  - {id: again, check: duplicate_invoice, severity: error}\n";
	static const char a[] = LEDES_HEAD
	    LINE(F1, "A1", "M1", "CM-1", "1500", "1", "F", "20260302", "2.0",
		"500", "1000", "L120", "", "A104", "P1", "Work")
	    LINE(F1, "A1", "M1", "CM-1", "1500", "2", "F", "20260303", "1.0",
		"500", "500", "L120", "", "A104", "P1", "Work")
	    LINE(F1, "A2", "M1", "CM-1", "200", "1", "F", "20260303", "1.0",
		"200", "200", "L120", "", "A104", "P1", "Work");
	static const char b[] = LEDES_HEAD
	    LINE(F1, "A1", "M1", "CM-1", "1600", "1", "F", "20260302", "2.0",
		"500", "1000", "L120", "", "A104", "P1", "Work")
	    LINE(F1, "A1", "M1", "CM-1", "1600", "2", "F", "20260303", "1.2",
		"500", "600", "L120", "", "A104", "P1", "Work")
	    LINE(F2, "A2", "M1", "CM-1", "200", "1", "F", "20260303", "1.0",
		"200", "200", "L120", "", "A104", "P1", "other firm")
	    LINE(F1, "A3", "M1", "CM-1", "200", "1", "F", "20260303", "1.0",
		"200", "200", "L120", "", "A104", "P1", "new number");
	static const char c[] = LEDES_HEAD
	    LINE(F1, "A1", "M1", "CM-1", "", "1", "F", "20260302", "1.4",
		"500", "700", "L120", "", "A104", "P1", "Work");
	const char *texts[] = {a, b, c, NULL};
	const struct finding *f;
	struct run r;

	(void)state;
	run_texts(&r, rules, texts, NULL);
	assert_int_equal(count_of(&r, "again"), 2);
	f = finding_of(&r, "again", 0);
	assert_string_equal(f->file, "b.txt");
	assert_string_equal(f->invoice, "A1");
	assert_string_equal(f->line, "1");
	assert_int_equal(f->row, 3);
	assert_int_equal(f->at_risk, 16000000); /* the stated total */
	assert_string_equal(f->message, "invoice A1 was already submitted in "
	    "a.txt (row 3, total 1,500.00)");
	f = finding_of(&r, "again", 1);
	assert_string_equal(f->file, "c.txt");
	assert_int_equal(f->at_risk, 7000000); /* no total: its lines */
	assert_string_equal(f->message, "invoice A1 was already submitted in "
	    "a.txt (row 3, total 1,500.00)");
	run_free(&r);
}

/* ---- multi_matter ------------------------------------------------- */

#define MM(inv, no, matter, cm) \
	LINE(F1, inv, matter, cm, "0", no, "F", "20260302", "1.0", "100", \
	    "100", "L120", "", "A104", "P1", "Work")

/* Invoices whose lines interleave: each line's invoice and matter are
 * its own, whatever the line before was. */
static void
multi_matter__interleaved_invoices__matters_kept_apart(void **state)
{
	static const char rules[] = "billcheck: 1\nrules:\n"
	    "  - {id: one, check: multi_matter}\n";
	static const char a[] = LEDES_HEAD
	    MM("A1", "1", "M1", "CM-1") MM("A2", "1", "M2", "CM-1")
	    MM("A1", "2", "M1", "CM-1") MM("A2", "2", "M2", "CM-1")
	    MM("A1", "3", "M2", "CM-1") MM("A2", "3", "M2", "CM-1");
	struct run r;

	(void)state;
	run_one(&r, rules, a);
	assert_int_equal(count_of(&r, "one"), 1);
	assert_string_equal(finding_of(&r, "one", 0)->message,
	    "invoice A1 bills 2 matters: M1, M2");
	run_free(&r);
}

static void
multi_matter__several_matters__listed_on_first_line(void **state)
{
	static const char rules[] = "billcheck: 1\nrules:\n"
	    "  - {id: one, check: multi_matter}\n";
	static const char a[] = LEDES_HEAD
	    MM("A1", "1", "M1", "CM-1") MM("A1", "2", "M2", "CM-1")
	    MM("A1", "3", "M1", "CM-1") MM("A1", "4", "M3", "CM-1")
	    MM("A2", "1", "", "CM-7") MM("A2", "2", "", "CM-7")
	    MM("A3", "1", "M1", "CM-1")
	    MM("A4", "1", "M1", "") MM("A4", "2", "M2", "")
	    MM("A4", "3", "M3", "") MM("A4", "4", "M4", "")
	    MM("A4", "5", "M5", "") MM("A4", "6", "M6", "");
	const struct finding *f;
	struct run r;

	(void)state;
	run_one(&r, rules, a);
	assert_int_equal(count_of(&r, "one"), 2);
	f = finding_of(&r, "one", 0);
	assert_string_equal(f->invoice, "A1");
	assert_string_equal(f->line, "1");
	assert_int_equal(f->row, 3);
	assert_int_equal(f->at_risk, 0);
	assert_string_equal(f->message, "invoice A1 bills 3 matters: M1, M2, "
	    "M3");
	f = finding_of(&r, "one", 1);
	assert_string_equal(f->invoice, "A4");
	assert_int_equal(f->row, 10);
	assert_string_equal(f->message, "invoice A4 bills 6 matters: M1, M2, "
	    "M3, M4 and 2 more");
	run_free(&r);
}

static void
multi_matter__same_number_in_two_inputs__separate_invoices(void **state)
{
	static const char rules[] = "billcheck: 1\nrules:\n"
	    "  - {id: one, check: multi_matter}\n";
	static const char a[] = LEDES_HEAD MM("A1", "1", "M1", "CM-1");
	static const char b[] = LEDES_HEAD MM("A1", "1", "M2", "CM-1");
	const char *texts[] = {a, b, NULL};
	struct run r;

	(void)state;
	run_texts(&r, rules, texts, NULL);
	assert_int_equal(count_of(&r, "one"), 0);
	run_free(&r);
}

/* ---- task_hours --------------------------------------------------- */

#define TH(inv, no, matter, hrs, total, task, act) \
	LINE(F1, inv, matter, "CM-1", "0", no, "F", "20260302", hrs, "500", \
	    total, task, "", act, "P1", "Research")

static void
task_hours__research_per_matter_per_invoice__crossing_line(void **state)
{
	static const char rules[] = "billcheck: 1\nrules:\n"
	    "  - {id: research, check: task_hours, codes: [A102], max: 3}\n"
	    "  - {id: lower, check: task_hours, codes: [L130], max: 1}\n";
	static const char a[] = LEDES_HEAD
	    TH("A1", "1", "M1", "2.0", "1000", "L120", "A102")
	    TH("A1", "2", "M1", "5.0", "2500", "L120", "A104")
	    TH("A1", "3", "M1", "1.5", "750", "L120", "A102")
	    TH("A1", "4", "M1", "1.0", "500", "L120", "A102")
	    TH("A1", "5", "M2", "2.5", "1250", "L120", "A102")
	    TH("A2", "1", "M1", "3.0", "1500", "L120", "A102")
	    TH("A2", "2", "M1", "1.5", "750", "l130", "A104");
	const struct finding *f;
	struct run r;

	(void)state;
	run_one(&r, rules, a);
	assert_int_equal(count_of(&r, "research"), 1);
	f = finding_of(&r, "research", 0);
	assert_string_equal(f->line, "3");
	assert_int_equal(f->row, 5);
	assert_int_equal(f->at_risk, 2500000); /* 0.5 h x 500.00 */
	assert_string_equal(f->message,
	    "3.5 h coded A102 on matter M1 in invoice A1, max 3.0 h");
	assert_int_equal(count_of(&r, "lower"), 1);
	f = finding_of(&r, "lower", 0);
	assert_string_equal(f->invoice, "A2");
	assert_int_equal(f->at_risk, 2500000);
	assert_string_equal(f->message,
	    "1.5 h coded L130 on matter M1 in invoice A2, max 1.0 h");
	run_free(&r);
}

static void
task_hours__without_codes_or_max__skipped_with_note(void **state)
{
	static const char rules[] = "billcheck: 1\nrules:\n"
	    "  - {id: th, check: task_hours, codes: [A102]}\n";
	static const char a[] = LEDES_HEAD
	    TH("A1", "1", "M1", "9.0", "4500", "L120", "A102");
	struct run r;

	(void)state;
	run_one(&r, rules, a);
	assert_int_equal(count_of(&r, "th"), 0);
	assert_true(has_note(&r, "rule 'th' (task_hours) skipped where it "
	    "cannot apply: the rule needs 'codes' and 'max'"));
	run_free(&r);
}

/* ---- budget ------------------------------------------------------- */

static const char rules_budget[] = "billcheck: 1\n"
    "firms:\n  - id: \"" F1 "\"\n"
    "    matters:\n"
    "      - {id: M1, budget: 1000}\n"
    "      - {id: CM-9, budget: 100}\n"
    "      - {id: M3}\n"
    "rules:\n  - {id: bud, check: budget, severity: error}\n";

#define BU(no, matter, cm, total) \
	LINE(F1, "A1", matter, cm, "0", no, "F", "20260302", "1.0", total, \
	    total, "L120", "", "A104", "P1", "Work")

static void
budget__warn_at_then_over__findings_add_up_to_overrun(void **state)
{
	static const char a[] = LEDES_HEAD
	    BU("1", "M1", "CM-1", "500")
	    BU("2", "M1", "CM-1", "299.99")
	    BU("3", "M1", "CM-1", "0.01")
	    BU("4", "M1", "CM-1", "100")
	    BU("5", "M1", "CM-1", "250")
	    BU("6", "M1", "CM-1", "-100")
	    BU("7", "M1", "CM-1", "50");
	static const char b[] = LEDES_HEAD
	    BU("1", "ZZ", "CM-9", "150")
	    BU("2", "M3", "CM-1", "5000")
	    BU("3", "M1", "CM-1", "10")
	    LINE(F2, "B1", "M1", "CM-1", "0", "1", "F", "20260302", "1.0",
		"9999", "9999", "L120", "", "A104", "P1", "unlisted firm");
	const char *texts[] = {a, b, NULL};
	const struct finding *f;
	struct run r;

	(void)state;
	run_texts(&r, rules_budget, texts, NULL);
	assert_int_equal(count_of(&r, "bud"), 5);
	f = finding_of(&r, "bud", 0); /* 800.00 reaches 80 % */
	assert_string_equal(f->line, "3");
	assert_int_equal(f->severity, SEV_WARNING);
	assert_int_equal(f->at_risk, 0);
	assert_string_equal(f->message, "matter M1 spend 800.00 reaches 80% "
	    "of its budget of 1,000.00");
	f = finding_of(&r, "bud", 1);
	assert_string_equal(f->line, "5");
	assert_int_equal(f->severity, SEV_ERROR);
	assert_int_equal(f->at_risk, 1500000);
	assert_string_equal(f->message, "matter M1 spend 1,150.00 exceeds its "
	    "budget of 1,000.00 by 150.00");
	f = finding_of(&r, "bud", 2); /* after a credit, still over */
	assert_string_equal(f->line, "7");
	assert_int_equal(f->at_risk, 500000);
	assert_string_equal(f->message, "matter M1 is already over its budget "
	    "of 1,000.00: spend 1,100.00");
	f = finding_of(&r, "bud", 3); /* by CLIENT_MATTER_ID; both at once */
	assert_string_equal(f->file, "b.txt");
	assert_string_equal(f->line, "1");
	assert_int_equal(f->severity, SEV_ERROR);
	assert_int_equal(f->at_risk, 500000);
	assert_string_equal(f->message, "matter CM-9 spend 150.00 exceeds its "
	    "budget of 100.00 by 50.00");
	f = finding_of(&r, "bud", 4); /* spend runs across inputs */
	assert_string_equal(f->file, "b.txt");
	assert_string_equal(f->line, "3");
	assert_int_equal(f->at_risk, 100000);
	assert_string_equal(f->message, "matter M1 is already over its budget "
	    "of 1,000.00: spend 1,110.00");
	assert_true(has_note(&r, "matter M3 has no budget"));
	assert_true(has_note(&r, "firm '" F2 "' is not listed, so its "
	    "matters have no budget"));
	run_free(&r);
}

static void
budget__just_below_warn_at__not_flagged(void **state)
{
	static const char rules[] = "billcheck: 1\n"
	    "firms:\n  - id: \"" F1 "\"\n"
	    "    matters: [{id: M1, budget: 1000}]\n"
	    "rules:\n  - {id: bud, check: budget, warn_at: 0.5}\n";
	static const char a[] = LEDES_HEAD
	    BU("1", "M1", "CM-1", "499.99")
	    BU("2", "M1", "CM-1", "-100")
	    BU("3", "M1", "CM-1", "100");
	struct run r;

	(void)state;
	run_one(&r, rules, a);
	assert_int_equal(count_of(&r, "bud"), 0);
	run_free(&r);
}

/* ---- rate_change -------------------------------------------------- */

static const char rules_rates[] = "billcheck: 1\n"
    "firms:\n  - id: \"" F2 "\"\n"
    "    timekeepers:\n"
    "      - id: P1\n        rates:\n"
    "          - {rate: 500, from: 2026-01-01, to: 2026-03-15}\n"
    "          - {rate: 550, from: 2026-03-16}\n"
    "rules:\n"
    "  - {id: rc, check: rate_change}\n"
    "  - {id: up, check: rate_change, increases_only: true}\n"
    "  - {id: all, check: rate_change, defer_to_roster: false}\n";

static void
rate_change__other_rate__flagged_against_first(void **state)
{
	static const char a[] = LEDES_HEAD
	    TK("1", "20260302", "P1", "2.0", "500", "1000")
	    TK("2", "20260303", "P1", "1.0", "500", "500")
	    TK("3", "20260304", "P1", "2.0", "550", "1100")
	    TK("4", "20260305", "P1", "1.0", "450", "450")
	    TK("5", "20260305", "P2", "1.0", "700", "700")
	    TK("6", "20260306", "P1", "1.0", "0", "0");
	static const char b[] = LEDES_HEAD
	    LINE(F1, "B1", "M1", "CM-1", "0", "1", "F", "20260320", "1.0",
		"560", "560", "L120", "", "A104", "P1", "Work");
	const char *texts[] = {a, b, NULL};
	const struct finding *f;
	struct run r;

	(void)state;
	run_texts(&r, rules_rates, texts, NULL);
	assert_int_equal(count_of(&r, "rc"), 3);
	f = finding_of(&r, "rc", 0);
	assert_string_equal(f->line, "3");
	assert_int_equal(f->at_risk, 1000000); /* 50.00 x 2.0 */
	assert_string_equal(f->message,
	    "billed 550.00/h; first billed 500.00/h on 2026-03-02 (row 3)");
	f = finding_of(&r, "rc", 1);
	assert_string_equal(f->line, "4");
	assert_int_equal(f->at_risk, 0);
	assert_string_equal(f->message,
	    "billed 450.00/h; first billed 500.00/h on 2026-03-02 (row 3)");
	f = finding_of(&r, "rc", 2);
	assert_string_equal(f->file, "b.txt");
	assert_int_equal(f->at_risk, 600000);
	assert_string_equal(f->message, "billed 560.00/h; first billed "
	    "500.00/h on 2026-03-02 (row 3 of a.txt)");
	assert_int_equal(count_of(&r, "up"), 2);
	assert_string_equal(finding_of(&r, "up", 0)->line, "3");
	assert_string_equal(finding_of(&r, "up", 1)->file, "b.txt");
	run_free(&r);
}

static void
rate_change__approved_rates__left_to_rate_check(void **state)
{
	static const char a[] = LEDES_HEAD
	    LINE(F2, "B1", "M1", "CM-1", "0", "1", "F", "20260302", "1.0",
		"500", "500", "L120", "", "A104", "P1", "Work")
	    LINE(F2, "B1", "M1", "CM-1", "0", "2", "F", "20260316", "1.0",
		"550", "550", "L120", "", "A104", "P1", "Work")
	    LINE(F2, "B1", "M1", "CM-1", "0", "3", "F", "20260317", "2.0",
		"600", "1200", "L120", "", "A104", "P1", "Work");
	struct run r;

	(void)state;
	run_one(&r, rules_rates, a);
	assert_int_equal(count_of(&r, "rc"), 0);
	assert_true(has_note(&r, "rule 'rc' (rate_change) skipped where it "
	    "cannot apply: timekeepers with an approved rate on the line date "
	    "are left to the rate check"));
	assert_int_equal(count_of(&r, "all"), 2);
	assert_int_equal(finding_of(&r, "all", 0)->at_risk, 500000);
	assert_int_equal(finding_of(&r, "all", 1)->at_risk, 2000000);
	run_free(&r);
}

/* ---- the example invoices ------------------------------------------ */

static char *
slurp(const char *path)
{
	FILE *fp = fopen(path, "rb");
	char *buf = NULL;
	size_t n = 0, cap = 0, k;

	if (fp == NULL)
		return NULL;
	for (;;) {
		if (n + 4096 + 1 > cap) {
			cap = (n + 4096 + 1) * 2;
			buf = realloc(buf, cap);
			assert_non_null(buf);
		}
		k = fread(buf + n, 1, cap - n - 1, fp);
		n += k;
		if (k == 0)
			break;
	}
	fclose(fp);
	buf[n] = '\0';
	return buf;
}

/* Northwind's guidelines with these checks added.  The examples' planted
 * duplicate (row 7 repeats row 6) and 11.5 h day (Reyes, 2026-03-10, rows
 * 12 and 13) are found, and nothing else: the approved 595.00 rate from
 * 2026-03-16, the half-rate return travel, one matter per invoice,
 * research under 5 h.  (Matter 2417-0001's budget is crossed on purpose:
 * the budget findings are asserted below.) */
static void
examples__planted_cases__found_and_nothing_else(void **state)
{
	static const char extra[] =
	    "  - {id: g-day, check: daily_hours, max: 10}\n"
	    "  - {id: g-dup, check: duplicate}\n"
	    "  - {id: g-again, check: duplicate_invoice}\n"
	    "  - {id: g-one, check: multi_matter}\n"
	    "  - {id: g-research, check: task_hours, codes: [A102], max: 5}\n"
	    "  - {id: g-budget, check: budget}\n"
	    "  - {id: g-rate, check: rate_change}\n";
	static const char *const ids[] = {"g-again", "g-one", "g-research",
	    "g-rate"};
	char *guide = slurp("examples/northwind-guidelines.yaml");
	char *hk = slurp("examples/invoices/harrow-kline-2026-03.txt");
	char *br = slurp("examples/invoices/baxter-reyes-2026-03.txt");
	char *cv = slurp("examples/invoices/carver-associates-2026-03.csv");
	const char *texts[4] = {hk, br, cv, NULL};
	const struct finding *f;
	char *rules;
	struct run r;
	size_t i;

	(void)state;
	if (guide == NULL || hk == NULL || br == NULL || cv == NULL) {
		free(guide);
		free(hk);
		free(br);
		free(cv);
		skip(); /* run from the top of the source tree */
	}
	rules = malloc(strlen(guide) + sizeof(extra));
	assert_non_null(rules);
	memcpy(rules, guide, strlen(guide));
	memcpy(rules + strlen(guide), extra, sizeof(extra));
	run_texts(&r, rules, texts, NULL);
	assert_int_equal(count_of(&r, "g-dup"), 1);
	f = finding_of(&r, "g-dup", 0);
	assert_string_equal(f->file, "a.txt");
	assert_int_equal(f->row, 7);
	assert_int_equal(f->at_risk, 12480000);
	assert_string_equal(f->message, "repeats row 6 (invoice HK-2026-0412): "
	    "same timekeeper, date, units, amount and description");
	assert_int_equal(count_of(&r, "g-day"), 1);
	f = finding_of(&r, "g-day", 0);
	assert_int_equal(f->row, 13);
	assert_int_equal(f->at_risk, 8400000);
	assert_string_equal(f->message,
	    "billed 11.5 h on 2026-03-10, max 10.0 h; rows 12, 13");
	for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++)
		assert_int_equal(count_of(&r, ids[i]), 0);
	f = finding_of(&r, "g-budget", 0);
	assert_non_null(f);
	assert_int_equal(f->severity, SEV_WARNING);
	assert_string_equal(f->matter, "2417-0001");
	assert_int_equal(finding_of(&r, "g-budget", 1)->severity, SEV_WARNING);
	run_free(&r);
	free(rules);
	free(guide);
	free(hk);
	free(br);
	free(cv);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    group_dates__grow_both_ways__places_kept_and_zeroed),
		cmocka_unit_test(
		    daily_hours__crossing_line__one_finding_excess_at_its_rate),
		cmocka_unit_test(
		    daily_hours__at_max_or_other_tk_or_firm__not_flagged),
		cmocka_unit_test(
		    daily_hours__no_unit_cost__share_of_line_total),
		cmocka_unit_test(
		    daily_hours__two_inputs__day_adds_up_across_files),
		cmocka_unit_test(daily_hours__long_day__rows_bounded),
		cmocka_unit_test(
		    daily_hours__long_ids_and_range_ends__days_apart),
		cmocka_unit_test(
		    duplicate__repeats_in_invoice__each_names_the_first),
		cmocka_unit_test(
		    duplicate__two_inputs__names_first_file_and_invoice),
		cmocka_unit_test(
		    duplicate__match_param__compares_only_those_fields),
		cmocka_unit_test(
		    duplicate__csv_export__flagged_or_noted_without_narratives),
		cmocka_unit_test(
		    duplicate__many_lines__table_grows_and_keeps_first),
		cmocka_unit_test(
		    duplicate__many_dates__tables_per_date_find_repeats),
		cmocka_unit_test(duplicate__one_busy_date__big_table_of_its_own),
		cmocka_unit_test(
		    duplicate_fingerprint__version_1__same_bytes_as_recorded),
		cmocka_unit_test(
		    duplicate_fingerprint__version_2__same_classes_as_version_1),
		cmocka_unit_test(duplicate_fingerprint__fields__each_one_counts),
		cmocka_unit_test(
		    duplicate_invoice__resubmission__repeat_total_at_risk),
		cmocka_unit_test(
		    multi_matter__several_matters__listed_on_first_line),
		cmocka_unit_test(
		    multi_matter__interleaved_invoices__matters_kept_apart),
		cmocka_unit_test(
		    multi_matter__same_number_in_two_inputs__separate_invoices),
		cmocka_unit_test(
		    task_hours__research_per_matter_per_invoice__crossing_line),
		cmocka_unit_test(
		    task_hours__without_codes_or_max__skipped_with_note),
		cmocka_unit_test(
		    budget__warn_at_then_over__findings_add_up_to_overrun),
		cmocka_unit_test(budget__just_below_warn_at__not_flagged),
		cmocka_unit_test(
		    rate_change__other_rate__flagged_against_first),
		cmocka_unit_test(
		    rate_change__approved_rates__left_to_rate_check),
		cmocka_unit_test(
		    examples__planted_cases__found_and_nothing_else),
	};
	return cmocka_run_group_tests_name("check_group", tests, NULL, NULL);
}
