/* test_decimal.c - exact fixed-point parse, arithmetic and format. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdbool.h>
#include <string.h>

#include "decimal.h"

static int64_t
parse(const char *s, unsigned flags, int *st)
{
	int64_t v = -999;

	*st = dec_parse(&v, s, strlen(s), flags, NULL);
	return v;
}

static void
dec_parse__ledes_forms__exact(void **state)
{
	int st;

	(void)state;
	assert_int_equal(parse("1250.", DEC_STRICT, &st), 12500000);
	assert_int_equal(st, DEC_OK);
	assert_int_equal(parse("0.200", DEC_STRICT, &st), 2000);
	assert_int_equal(parse("-70", DEC_STRICT, &st), -700000);
	assert_int_equal(parse("289.5", DEC_STRICT, &st), 2895000);
	assert_int_equal(parse("-1313.00", DEC_STRICT, &st), -13130000);
	assert_int_equal(parse("  24.95 ", DEC_STRICT, &st), 249500);
	assert_int_equal(parse(".5", DEC_STRICT, &st), 5000);
	assert_int_equal(st, DEC_OK);
}

static void
dec_parse__blank__is_zero(void **state)
{
	int st;

	(void)state;
	assert_int_equal(parse("", DEC_STRICT, &st), 0);
	assert_int_equal(st, DEC_BLANK);
	assert_int_equal(parse("   ", DEC_STRICT, &st), 0);
	assert_int_equal(st, DEC_BLANK);
}

static void
dec_parse__garbage__rejected(void **state)
{
	static const char *const bad[] = {"1e9", "--5", "1,2,3", "NaN", "abc",
		"1.2.3", "-", "5-", "12 34", "99999999999999999999", "0x10",
		"inf", "$"};
	const char *why;
	int64_t v;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		why = NULL;
		assert_int_equal(dec_parse(&v, bad[i], strlen(bad[i]),
		    DEC_LENIENT, &why), DEC_ERR);
		assert_non_null(why);
	}
	assert_int_equal(dec_parse(&v, "1e9", 3, DEC_STRICT, &why), DEC_ERR);
	assert_string_equal(why, "exponent notation is not allowed");
	assert_int_equal(dec_parse(&v, "99999999999999999999", 20, DEC_STRICT,
	    &why), DEC_ERR);
	assert_string_equal(why, "number too large");
}

static void
dec_parse__export_money__lenient_only(void **state)
{
	int st;

	(void)state;
	assert_int_equal(parse("$760.00", DEC_LENIENT, &st), 7600000);
	assert_int_equal(st, DEC_LAX);
	assert_int_equal(parse("$1,250.50", DEC_LENIENT, &st), 12505000);
	assert_int_equal(parse("(1,000.00)", DEC_LENIENT, &st), -10000000);
	assert_int_equal(parse("-$5.00", DEC_LENIENT, &st), -50000);
	assert_int_equal(parse("\xe2\x82\xac" "12.00", DEC_LENIENT, &st),
	    120000);
	assert_int_equal(st, DEC_LAX);
	parse("$760.00", DEC_STRICT, &st);
	assert_int_equal(st, DEC_ERR);
	parse("1,250.00", DEC_STRICT, &st);
	assert_int_equal(st, DEC_ERR);
	parse("12,50", DEC_LENIENT, &st);
	assert_int_equal(st, DEC_ERR);
}

static void
dec_parse__too_many_decimals__rounded_and_lax(void **state)
{
	int st;

	(void)state;
	assert_int_equal(parse("1250.123123", DEC_STRICT, &st), 12501231);
	assert_int_equal(st, DEC_LAX);
	assert_int_equal(parse("0.00005", DEC_STRICT, &st), 1);
	assert_int_equal(parse("-0.00005", DEC_STRICT, &st), -1);
	assert_int_equal(dec_frac_digits("1.23456", 7), 5);
}

static void
dec_parse_digits__tax_rate__keeps_six_places(void **state)
{
	int64_t v;

	(void)state;
	assert_int_equal(dec_parse_digits(&v, "0.061245", 8, DEC_STRICT,
	    DEC_RATE_DIGITS, NULL), DEC_OK);
	assert_int_equal(v, 6124500);
}

static void
dec_mul__units_times_rate__exact(void **state)
{
	int64_t v;

	(void)state;
	assert_int_equal(dec_mul(&v, 2000, 3500000), 0); /* 0.2 x 350 */
	assert_int_equal(v, 700000);
	assert_int_equal(dec_mul(&v, 33333, 1000000), 0); /* 3.3333 x 100 */
	assert_int_equal(v, 3333300);
	assert_int_equal(dec_mul(&v, 1, 5000), 0); /* 0.0001 x 0.5 rounds */
	assert_int_equal(v, 1);
	assert_int_equal(dec_mul(&v, -1, 5000), 0);
	assert_int_equal(v, -1);
	assert_int_equal(dec_mul(&v, INT64_MAX, INT64_MAX), -1);
	assert_int_equal(dec_mul_div(&v, 6300000, 6124500, DEC_RATE_SCALE), 0);
	assert_int_equal(v, 385844); /* 630 x 0.061245 = 38.58435 */
}

__extension__ typedef __int128 i128;
__extension__ typedef unsigned __int128 u128;

/* A small deterministic generator: the tests see the same numbers on
 * every run. */
static uint64_t
next(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* The value of a plain LEDES number (-?digits[.digits], at most `digits`
 * decimals, below 10^18 scaled, blanks around), or false: what any parse
 * must agree with. */
static bool
plain_value(const char *s, size_t n, unsigned digits, int64_t *out)
{
	u128 v = 0;
	size_t i = 0;
	unsigned frac = 0;
	bool neg = false, dot = false, any = false;

	/* Blanks around the number are no part of it. */
	while (i < n && s[i] == ' ')
		i++;
	while (n > i && s[n - 1] == ' ')
		n--;
	if (i < n && s[i] == '-') {
		neg = true;
		i++;
	}
	for (; i < n; i++) {
		if (s[i] >= '0' && s[i] <= '9') {
			if (dot && ++frac > digits)
				return false;
			v = v * 10 + (unsigned)(s[i] - '0');
			any = true;
			if (v > (u128)INT64_MAX)
				return false;
		} else if (s[i] == '.' && !dot) {
			dot = true;
		} else {
			return false;
		}
	}
	for (; frac < digits; frac++)
		v *= 10;
	if (!any || v >= (u128)DEC_MAX_SCALED)
		return false;
	*out = neg ? -(int64_t)v : (int64_t)v;
	return true;
}

static void
dec_parse_digits__plain_and_odd_numbers__agree_with_reference(void **state)
{
	static const char alphabet[] = "0123456789012345678901234567890123456789"
	    "..--+ ,e$";
	uint64_t seed = 20260401;
	char s[24];
	int64_t v, want;
	size_t i, n;
	unsigned digits;
	int st;

	(void)state;
	for (i = 0; i < 200000; i++) {
		size_t j;

		n = next(&seed) % 22;
		for (j = 0; j < n; j++)
			s[j] = alphabet[next(&seed) % (sizeof(alphabet) - 1)];
		digits = (unsigned)(next(&seed) % 10);
		st = dec_parse_digits(&v, s, n, DEC_STRICT, digits, NULL);
		if (plain_value(s, n, digits, &want)) {
			assert_int_equal(st, DEC_OK);
			assert_int_equal(v, want);
		} else {
			assert_int_not_equal(st, DEC_OK);
		}
	}
}

static void
dec_parse__at_the_limits__exact_or_too_large(void **state)
{
	const char *why;
	int64_t v;

	(void)state;
	assert_int_equal(dec_parse(&v, "99999999999999.9999", 19, DEC_STRICT,
	    &why), DEC_OK);
	assert_int_equal(v, INT64_C(999999999999999999));
	assert_int_equal(dec_parse(&v, "-99999999999999", 15, DEC_STRICT,
	    &why), DEC_OK);
	assert_int_equal(v, INT64_C(-999999999999990000));
	assert_int_equal(dec_parse(&v, "100000000000000", 15, DEC_STRICT,
	    &why), DEC_ERR);
	assert_string_equal(why, "number too large");
	/* Leading zeros take the long road, with the same value. */
	assert_int_equal(dec_parse(&v, "0000000000000000001.5", 21, DEC_STRICT,
	    &why), DEC_OK);
	assert_int_equal(v, 15000);
	assert_null(why);
	assert_int_equal(dec_parse_digits(&v, "9999999999.99999999", 19,
	    DEC_STRICT, DEC_RATE_DIGITS, &why), DEC_OK);
	assert_int_equal(v, INT64_C(999999999999999999));
	assert_int_equal(dec_parse_digits(&v, "10000000000", 11, DEC_STRICT,
	    DEC_RATE_DIGITS, &why), DEC_ERR);
	assert_string_equal(why, "number too large");
	assert_int_equal(dec_parse(&v, "-0", 2, DEC_STRICT, &why), DEC_OK);
	assert_int_equal(v, 0);
	assert_int_equal(dec_parse(&v, "5.", 2, DEC_STRICT, &why), DEC_OK);
	assert_int_equal(v, 50000);
	assert_int_equal(dec_parse(&v, "-.", 2, DEC_STRICT, &why), DEC_ERR);
	assert_string_equal(why, "no digits");
}

/* a * b / d rounded half away from zero, in 128 bits, or false. */
static bool
mul_div_reference(int64_t a, int64_t b, int64_t d, int64_t *out)
{
	i128 p = (i128)a * b, q = p / d, r = p % d;

	if (r < 0)
		r = -r;
	if (2 * r >= (d < 0 ? -(i128)d : d))
		q += (p < 0) != (d < 0) ? -1 : 1;
	if (q > INT64_MAX || q < INT64_MIN)
		return false;
	*out = (int64_t)q;
	return true;
}

static void
dec_mul_div__narrow_and_wide_products__agree_with_reference(void **state)
{
	static const int64_t divisors[] = {1, 3, 7, DEC_SCALE, DEC_RATE_SCALE,
		-DEC_SCALE, INT64_MAX / 2, INT64_MAX / 2 + 1, INT64_MAX};
	uint64_t seed = 88172645463325252u;
	int64_t a, b, d, got, want;
	size_t i;

	(void)state;
	for (i = 0; i < 300000; i++) {
		/* Mostly money-sized, sometimes near the int64 edge. */
		a = (int64_t)(next(&seed) >> (next(&seed) % 64));
		b = (int64_t)(next(&seed) >> (next(&seed) % 64));
		if (next(&seed) & 1)
			a = -a;
		if (next(&seed) & 1)
			b = -b;
		d = divisors[next(&seed) % (sizeof(divisors) /
		    sizeof(divisors[0]))];
		got = 12345;
		if (mul_div_reference(a, b, d, &want)) {
			assert_int_equal(dec_mul_div(&got, a, b, d), 0);
			assert_int_equal(got, want);
		} else {
			assert_int_equal(dec_mul_div(&got, a, b, d), -1);
			assert_int_equal(got, 12345);
		}
		if (mul_div_reference(a, b, DEC_SCALE, &want)) {
			assert_int_equal(dec_mul(&got, a, b), 0);
			assert_int_equal(got, want);
		} else {
			assert_int_equal(dec_mul(&got, a, b), -1);
		}
	}
	/* Halves round away from zero on both roads. */
	assert_int_equal(dec_mul(&got, 5, 1000), 0); /* 0.0005 x 0.1 */
	assert_int_equal(got, 1);
	assert_int_equal(dec_mul(&got, -5, 1000), 0);
	assert_int_equal(got, -1);
	assert_int_equal(dec_mul(&got, 4, 1000), 0);
	assert_int_equal(got, 0);
}

static void
dec_add__overflow__detected(void **state)
{
	int64_t acc = INT64_MAX - 1;

	(void)state;
	assert_int_equal(dec_add(&acc, 1), 0);
	assert_int_equal(dec_add(&acc, 1), -1);
	assert_int_equal(acc, INT64_MAX);
}

static void
dec_format__money__two_places_grouped(void **state)
{
	char b[32];

	(void)state;
	assert_string_equal(dec_format(b, 184205000, 2, true), "18,420.50");
	assert_string_equal(dec_format(b, 184205000, 2, false), "18420.50");
	assert_string_equal(dec_format(b, -700000, 2, false), "-70.00");
	assert_string_equal(dec_format(b, 385844, 2, false), "38.58");
	assert_string_equal(dec_format(b, 385850, 2, false), "38.59");
	assert_string_equal(dec_format(b, -49, 2, false), "0.00");
	assert_string_equal(dec_format(b, 0, 2, false), "0.00");
	assert_string_equal(dec_format(b, 12345678900000LL, 2, true),
	    "1,234,567,890.00");
	assert_string_equal(dec_format_trim(b, 35000, 1), "3.5");
	assert_string_equal(dec_format_trim(b, 2500, 1), "0.25");
	assert_string_equal(dec_format_trim(b, 30000, 1), "3.0");
	assert_int_equal(dec_round(385850, 2), 385900);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(dec_parse__ledes_forms__exact),
		cmocka_unit_test(dec_parse__blank__is_zero),
		cmocka_unit_test(dec_parse__garbage__rejected),
		cmocka_unit_test(dec_parse__export_money__lenient_only),
		cmocka_unit_test(dec_parse__too_many_decimals__rounded_and_lax),
		cmocka_unit_test(dec_parse_digits__tax_rate__keeps_six_places),
		cmocka_unit_test(dec_mul__units_times_rate__exact),
		cmocka_unit_test(
		    dec_parse_digits__plain_and_odd_numbers__agree_with_reference),
		cmocka_unit_test(dec_parse__at_the_limits__exact_or_too_large),
		cmocka_unit_test(
		    dec_mul_div__narrow_and_wide_products__agree_with_reference),
		cmocka_unit_test(dec_add__overflow__detected),
		cmocka_unit_test(dec_format__money__two_places_grouped),
	};
	return cmocka_run_group_tests_name("decimal", tests, NULL, NULL);
}
