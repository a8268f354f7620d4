/* test_utbms.c - the built-in UTBMS code sets. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "utbms.h"

/* The sets as the ABA code-set pages list them. */
static const char *const litigation[] = {
	"L100", "L110", "L120", "L130", "L140", "L150", "L160", "L190",
	"L200", "L210", "L220", "L230", "L240", "L250", "L260",
	"L300", "L310", "L320", "L330", "L340", "L350", "L390",
	"L400", "L410", "L420", "L430", "L440", "L450", "L460", "L470",
	"L500", "L510", "L520", "L530", NULL,
};
static const char *const counseling[] = {
	"C100", "C200", "C300", "C400", NULL,
};
static const char *const bankruptcy[] = {
	"B100", "B110", "B120", "B130", "B140", "B150", "B160", "B170",
	"B180", "B185", "B190", "B195", "B200", "B210", "B220", "B230",
	"B240", "B250", "B260", "B300", "B310", "B320", "B400", "B410",
	"B420", NULL,
};
static const char *const activity[] = {
	"A101", "A102", "A103", "A104", "A105", "A106", "A107", "A108",
	"A109", "A110", "A111", NULL,
};
static const char *const expense[] = {
	"E101", "E102", "E103", "E104", "E105", "E106", "E107", "E108",
	"E109", "E110", "E111", "E112", "E113", "E114", "E115", "E116",
	"E117", "E118", "E119", "E120", "E121", "E122", "E123", "E124", NULL,
};

static int
listed(const char *const *list, const char *code, size_t n)
{
	for (; *list != NULL; list++)
		if (strlen(*list) == n && memcmp(*list, code, n) == 0)
			return 1;
	return 0;
}

/* Every letter and number from 000 to 999, and a few other shapes,
 * against the lists. */
static void
check_set(enum utbms_kind kind, const char *set, const char *const *list)
{
	char code[16];
	int letter, v;
	size_t n;

	for (letter = 0; letter < 128; letter++)
		for (v = 0; v < 1000; v++) {
			snprintf(code, sizeof(code), "%c%03d",
			    letter ? letter : '.', v);
			for (n = 3; n <= 5; n++)
				assert_int_equal(utbms_has(kind, set, code, n),
				    listed(list, code, n));
		}
	assert_false(utbms_has(kind, set, "", 0));
	assert_false(utbms_has(kind, set, "L1 0", 4));
	assert_false(utbms_has(kind, set, "l100", 4));
}

static void
utbms_has__every_code__as_listed(void **state)
{
	(void)state;
	check_set(UTBMS_TASK, "litigation", litigation);
	check_set(UTBMS_TASK, "counseling", counseling);
	check_set(UTBMS_TASK, "bankruptcy", bankruptcy);
	check_set(UTBMS_ACTIVITY, "litigation", activity);
	check_set(UTBMS_ACTIVITY, "", activity);
	check_set(UTBMS_EXPENSE, "bankruptcy", expense);
}

static void
utbms_has__unknown_task_set__nothing(void **state)
{
	(void)state;
	assert_false(utbms_has(UTBMS_TASK, "litigatio", "L100", 4));
	assert_false(utbms_has(UTBMS_TASK, "litigationx", "L100", 4));
	assert_false(utbms_has(UTBMS_TASK, "", "L100", 4));
	assert_false(utbms_has(UTBMS_TASK, "patent", "P100", 4));
	assert_true(utbms_has(UTBMS_TASK, utbms_task_sets[0], "L100", 4));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(utbms_has__every_code__as_listed),
		cmocka_unit_test(utbms_has__unknown_task_set__nothing),
	};
	return cmocka_run_group_tests_name("utbms", tests, NULL, NULL);
}
