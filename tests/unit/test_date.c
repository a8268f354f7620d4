/* test_date.c - calendar dates: parse, validate, print, weekday. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "date.h"

static char *
iso(const char *s, enum date_form form, char *buf)
{
	int32_t d;

	if (date_parse(&d, s, strlen(s), form, NULL) < 0)
		return memcpy(buf, "ERR", 4);
	return date_format(buf, d);
}

static void
date_parse__three_export_forms__same_day(void **state)
{
	char b[16];

	(void)state;
	assert_string_equal(iso("19990115", DATE_YMD8, b), "1999-01-15");
	assert_string_equal(iso("2026-03-04", DATE_AUTO, b), "2026-03-04");
	assert_string_equal(iso("03/04/2026", DATE_AUTO, b), "2026-03-04");
	assert_string_equal(iso("3/4/2026", DATE_AUTO, b), "2026-03-04");
	assert_string_equal(iso("03/04/2026", DATE_DMY, b), "2026-04-03");
	assert_string_equal(iso("01/01/99", DATE_AUTO, b), "1999-01-01");
	assert_string_equal(iso("01/01/25", DATE_AUTO, b), "2025-01-01");
}

static void
date_parse__impossible_days__rejected(void **state)
{
	const char *why = NULL;
	int32_t d;
	char b[16];

	(void)state;
	assert_int_equal(date_parse(&d, "20260231", 8, DATE_YMD8, &why), -1);
	assert_string_equal(why, "no such calendar date");
	assert_string_equal(iso("19990299", DATE_YMD8, b), "ERR");
	assert_string_equal(iso("20250229", DATE_YMD8, b), "ERR");
	assert_string_equal(iso("20240229", DATE_YMD8, b), "2024-02-29");
	assert_string_equal(iso("2026-13-01", DATE_AUTO, b), "ERR");
	assert_string_equal(iso("2026-03-04", DATE_YMD8, b), "ERR");
	assert_string_equal(iso("2026034", DATE_AUTO, b), "ERR");
	assert_string_equal(iso("abc", DATE_AUTO, b), "ERR");
	assert_string_equal(iso("", DATE_AUTO, b), "ERR");
	assert_string_equal(iso("13/13/2026", DATE_AUTO, b), "ERR");
}

static void
date_weekday__known_days(void **state)
{
	(void)state;
	assert_int_equal(date_weekday(date_from_ymd(1970, 1, 1)), 4);
	assert_int_equal(date_weekday(date_from_ymd(2026, 11, 27)), 5);
	assert_int_equal(date_weekday(date_from_ymd(1999, 1, 16)), 6);
}

static void
date_roundtrip__every_day_of_two_centuries(void **state)
{
	int32_t d;
	int y, m, dd;

	(void)state;
	for (d = date_from_ymd(1900, 1, 1); d < date_from_ymd(2100, 1, 1);
	    d++) {
		date_to_ymd(d, &y, &m, &dd);
		assert_int_equal(date_from_ymd(y, m, dd), d);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(date_parse__three_export_forms__same_day),
		cmocka_unit_test(date_parse__impossible_days__rejected),
		cmocka_unit_test(date_weekday__known_days),
		cmocka_unit_test(date_roundtrip__every_day_of_two_centuries),
	};
	return cmocka_run_group_tests_name("date", tests, NULL, NULL);
}
