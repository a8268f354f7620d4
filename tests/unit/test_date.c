/* test_date.c - calendar dates: parse, validate, print, weekday. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
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

/* Days by counting from 1970-01-01, the slow obvious way. */
static int32_t
days_by_counting(int y, int m, int d)
{
	static const int dim[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30,
		31};
	int32_t days = 0;
	int i;

	for (i = 1970; i < y; i++)
		days += (i % 4 == 0 && i % 100 != 0) || i % 400 == 0 ? 366 :
		    365;
	for (i = 1970; i > y; i--)
		days -= ((i - 1) % 4 == 0 && (i - 1) % 100 != 0) ||
		    (i - 1) % 400 == 0 ? 366 : 365;
	for (i = 1; i < m; i++)
		days += dim[i - 1] + (i == 2 && ((y % 4 == 0 && y % 100 != 0) ||
		    y % 400 == 0));
	return days + d - 1;
}

static void
date_parse__every_ymd8_of_the_range__exact_day_or_rejected(void **state)
{
	char s[48];
	const char *why;
	int32_t got;
	int y, m, d, dim;

	(void)state;
	for (y = 1890; y <= 2210; y++)
		for (m = 0; m <= 13; m++)
			for (d = 0; d <= 32; d++) {
				snprintf(s, sizeof(s), "%04d%02d%02d", y, m, d);
				why = NULL;
				if (y < 1900 || y > 2199 || m < 1 || m > 12 ||
				    d < 1) {
					assert_int_equal(date_parse(&got, s, 8,
					    DATE_YMD8, &why), -1);
					assert_string_equal(why,
					    "no such calendar date");
					continue;
				}
				dim = days_by_counting(m == 12 ? y + 1 : y,
				    m == 12 ? 1 : m + 1, 1) -
				    days_by_counting(y, m, 1);
				if (d > dim) {
					assert_int_equal(date_parse(&got, s, 8,
					    DATE_YMD8, &why), -1);
					continue;
				}
				assert_int_equal(date_parse(&got, s, 8,
				    DATE_YMD8, &why), 0);
				assert_int_equal(got, days_by_counting(y, m, d));
				assert_int_equal(got, date_from_ymd(y, m, d));
			}
}

static void
date_parse__iso_dates__same_day_as_ymd8(void **state)
{
	const char *why8, *why;
	char s8[48], s10[48];
	int32_t d8, d10;
	int y, m, d, r8;

	(void)state;
	for (y = 1890; y <= 2210; y += 3)
		for (m = 0; m <= 13; m++)
			for (d = 0; d <= 32; d++) {
				snprintf(s8, sizeof(s8), "%04d%02d%02d", y, m, d);
				snprintf(s10, sizeof(s10), "%04d-%02d-%02d", y, m,
				    d);
				d8 = d10 = 0;
				why8 = why = NULL;
				r8 = date_parse(&d8, s8, 8, DATE_YMD8, &why8);
				assert_int_equal(date_parse(&d10, s10, 10,
				    DATE_AUTO, &why), r8);
				assert_int_equal(d10, d8);
				if (r8 < 0)
					assert_string_equal(why, why8);
				assert_int_equal(date_parse(&d10, s10, 10,
				    DATE_DMY, NULL), r8);
				assert_int_equal(date_parse(&d10, s10, 10,
				    DATE_YMD8, &why), -1);
				assert_string_equal(why, "not a YYYYMMDD date");
			}
	assert_int_equal(date_parse(&d10, "2026-03/04", 10, DATE_AUTO, &why),
	    -1);
	assert_int_equal(date_parse(&d10, "2026-0x-04", 10, DATE_AUTO, &why),
	    -1);
	assert_string_equal(why, "not a date (YYYYMMDD, YYYY-MM-DD or "
	    "MM/DD/YYYY)");
}

static void
date_parse__one_byte_not_a_digit__not_a_date(void **state)
{
	const char *why;
	char s[9];
	int32_t got;
	int pos, c;

	(void)state;
	for (pos = 0; pos < 8; pos++)
		for (c = 0; c < 256; c++) {
			if (c >= '0' && c <= '9')
				continue;
			memcpy(s, "20260304", 9);
			s[pos] = (char)c;
			why = NULL;
			assert_int_equal(date_parse(&got, s, 8, DATE_YMD8, &why),
			    -1);
			/* A space at either end is trimmed: 7 digits. */
			assert_string_equal(why, "not a YYYYMMDD date");
		}
}

static void
date_format__every_day__as_printf_writes_it(void **state)
{
	char want[32], got[16];
	int32_t d;
	int y, m, dd;

	(void)state;
	for (d = date_from_ymd(1, 1, 1); d < date_from_ymd(9999, 12, 31);
	    d += 7) {
		date_to_ymd(d, &y, &m, &dd);
		snprintf(want, sizeof(want), "%04d-%02d-%02d", y, m, dd);
		assert_string_equal(date_format(got, d), want);
	}
	assert_string_equal(date_format(got, DATE_NONE), "");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(date_parse__three_export_forms__same_day),
		cmocka_unit_test(date_parse__impossible_days__rejected),
		cmocka_unit_test(date_weekday__known_days),
		cmocka_unit_test(date_roundtrip__every_day_of_two_centuries),
		cmocka_unit_test(
		    date_parse__every_ymd8_of_the_range__exact_day_or_rejected),
		cmocka_unit_test(date_parse__iso_dates__same_day_as_ymd8),
		cmocka_unit_test(date_parse__one_byte_not_a_digit__not_a_date),
		cmocka_unit_test(date_format__every_day__as_printf_writes_it),
	};
	return cmocka_run_group_tests_name("date", tests, NULL, NULL);
}
