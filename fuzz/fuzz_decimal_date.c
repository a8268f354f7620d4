/* fuzz_decimal_date.c - libFuzzer target for the exact-decimal and date
 * parsers and the money arithmetic.
 *
 * The bytes after the first are text for dec_parse (strict and lenient),
 * dec_parse_digits (4, 8 and 0-9 digits) and date_parse (YYYYMMDD, auto,
 * DD/MM); the same bytes, read as integers, feed dec_mul, dec_mul_div,
 * dec_add, dec_round and dec_format.  Oracles: a value parsed strictly is
 * the one computed here digit by digit; what dec_format writes parses
 * back to the same value; a date parsed in any form prints and re-parses
 * to the same day; the arithmetic matches a 128-bit reference and says
 * so when it does not fit. */
#include "decimal.h"
#include "date.h"
#include "fuzz_common.h"

__extension__ typedef __int128 i128;

static const int64_t p10[] = {
	1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000,
	1000000000,
};

/* The value of a strictly conformant number, or false when s is not one:
 * blanks, '-', digits, '.', digits, blanks; at most `digits` decimals;
 * below DEC_MAX_SCALED once scaled. */
static bool
reference_strict(const char *s, size_t n, unsigned digits, int64_t *out)
{
	size_t i = 0, e = n;
	bool neg = false, dot = false, any = false;
	unsigned frac = 0;
	i128 v = 0;

	while (i < e && (s[i] == ' ' || s[i] == '\t'))
		i++;
	while (e > i && (s[e - 1] == ' ' || s[e - 1] == '\t'))
		e--;
	if (i < e && s[i] == '-') {
		neg = true;
		i++;
	}
	for (; i < e; i++) {
		if (s[i] >= '0' && s[i] <= '9') {
			if (dot && frac == digits)
				return false;
			v = v * 10 + (s[i] - '0');
			if (dot)
				frac++;
			any = true;
			if (v > (i128)INT64_MAX)
				return false;
		} else if (s[i] == '.' && !dot) {
			dot = true;
		} else {
			return false;
		}
	}
	if (!any)
		return false;
	v *= p10[digits - frac];
	if (v >= (i128)DEC_MAX_SCALED)
		return false;
	*out = neg ? -(int64_t)v : (int64_t)v;
	return true;
}

static void
check_parse(const char *s, size_t n, unsigned digits)
{
	int64_t v = 0, w = 0, ref = 0;
	const char *why = NULL;
	bool ref_ok;
	int st, st2;

	st = dec_parse_digits(&v, s, n, DEC_STRICT, digits, &why);
	FUZZ_ASSERT(st >= DEC_ERR && st <= DEC_LAX);
	if (st == DEC_ERR || st == DEC_LAX)
		FUZZ_ASSERT(why != NULL);
	ref_ok = reference_strict(s, n, digits, &ref);
	if (st == DEC_OK) {
		FUZZ_ASSERT(ref_ok);
		FUZZ_ASSERT(v == ref);
	} else if (ref_ok) {
		FUZZ_ASSERT(!"a conformant number was not read as one");
	}
	/* What reads strictly reads the same leniently. */
	st2 = dec_parse_digits(&w, s, n, DEC_LENIENT, digits, &why);
	FUZZ_ASSERT(st2 >= DEC_ERR && st2 <= DEC_LAX);
	if (st == DEC_OK)
		FUZZ_ASSERT(st2 == DEC_OK && w == v);
	if (st2 == DEC_ERR || st2 == DEC_LAX)
		FUZZ_ASSERT(why != NULL);
	FUZZ_ASSERT(dec_frac_digits(s, n) <= n);
}

/* What dec_format writes for v reads back as v. */
static void
check_format(int64_t v)
{
	char buf[40];
	int64_t back = 0;
	unsigned places;

	dec_format(buf, v, 4, false);
	FUZZ_ASSERT(strlen(buf) < 32);
	FUZZ_ASSERT(dec_parse(&back, buf, strlen(buf), DEC_STRICT, NULL) ==
	    DEC_OK);
	FUZZ_ASSERT(back == v);
	dec_format(buf, v, 4, true);
	FUZZ_ASSERT(strlen(buf) < 32);
	FUZZ_ASSERT(dec_parse(&back, buf, strlen(buf), DEC_LENIENT, NULL) !=
	    DEC_ERR);
	FUZZ_ASSERT(back == v);
	for (places = 0; places <= 4; places++) {
		dec_format_trim(buf, v, places);
		FUZZ_ASSERT(dec_parse(&back, buf, strlen(buf), DEC_STRICT,
		    NULL) == DEC_OK);
		FUZZ_ASSERT(back == v);
	}
}

static void
check_date(const char *s, size_t n, enum date_form form)
{
	int32_t days = 0, again = 0;
	const char *why = NULL;
	char buf[16], ymd8[16];
	int y, m, d;

	if (date_parse(&days, s, n, form, &why) < 0) {
		FUZZ_ASSERT(why != NULL);
		return;
	}
	date_to_ymd(days, &y, &m, &d);
	FUZZ_ASSERT(y >= 1900 && y <= 2199);
	FUZZ_ASSERT(m >= 1 && m <= 12 && d >= 1 && d <= 31);
	FUZZ_ASSERT(date_from_ymd(y, m, d) == days);
	FUZZ_ASSERT(date_weekday(days) >= 0 && date_weekday(days) <= 6);
	date_format(buf, days);
	FUZZ_ASSERT(strlen(buf) == 10);
	FUZZ_ASSERT(date_parse(&again, buf, 10, DATE_AUTO, NULL) == 0);
	FUZZ_ASSERT(again == days);
	snprintf(ymd8, sizeof(ymd8), "%04d%02d%02d", y, m, d);
	FUZZ_ASSERT(date_parse(&again, ymd8, 8, DATE_YMD8, NULL) == 0);
	FUZZ_ASSERT(again == days);
}

/* a * b / div rounded half away from zero, in 128 bits. */
static bool
reference_mul_div(int64_t a, int64_t b, int64_t div, int64_t *out)
{
	i128 p = (i128)a * b, q = p / div, r = p % div;
	i128 ar = r < 0 ? -r : r, ad = div < 0 ? -(i128)div : div;

	if (2 * ar >= ad)
		q += ((p < 0) != (div < 0)) ? -1 : 1;
	if (q > (i128)INT64_MAX || q < (i128)INT64_MIN)
		return false;
	*out = (int64_t)q;
	return true;
}

static int64_t
get64(const uint8_t *p)
{
	uint64_t u = 0;
	int i;

	for (i = 0; i < 8; i++)
		u = (u << 8) | p[i];
	return (int64_t)u;
}

static void
check_arith(const uint8_t *p, size_t n)
{
	int64_t a, b, div, out, ref, acc;
	bool ok;

	if (n < 24)
		return;
	a = get64(p);
	b = get64(p + 8);
	div = get64(p + 16);
	/* Any int64 but INT64_MIN (sums saturate, so all may occur). */
	if (a == INT64_MIN || b == INT64_MIN)
		return;
	out = 12345;
	ok = reference_mul_div(a, b, DEC_SCALE, &ref);
	FUZZ_ASSERT((dec_mul(&out, a, b) == 0) == ok);
	if (ok)
		FUZZ_ASSERT(out == ref);
	else
		FUZZ_ASSERT(out == 12345);
	FUZZ_ASSERT(dec_mul(&out, a, DEC_SCALE) == 0 && out == a);
	if (div != 0 && div != INT64_MIN) {
		ok = reference_mul_div(a, b, div, &ref);
		FUZZ_ASSERT((dec_mul_div(&out, a, b, div) == 0) == ok);
		if (ok)
			FUZZ_ASSERT(out == ref);
		if (b != 0)
			FUZZ_ASSERT(dec_mul_div(&out, a, b, b) == 0 && out == a);
	}
	ok = (i128)a - b <= (i128)INT64_MAX && (i128)a - b >= (i128)INT64_MIN;
	out = 12345;
	FUZZ_ASSERT((dec_sub(&out, a, b) == 0) == ok);
	FUZZ_ASSERT(ok ? (i128)out == (i128)a - b : out == 12345);
	acc = a;
	if (dec_add(&acc, b) == 0)
		FUZZ_ASSERT((i128)acc == (i128)a + b);
	else
		FUZZ_ASSERT(acc == a && ((i128)a + b > (i128)INT64_MAX ||
		    (i128)a + b < (i128)INT64_MIN));
	{
		unsigned places = (unsigned)(p[0] % 5);
		int64_t r = dec_round(a, places);
		int64_t unit = p10[DEC_DIGITS - places];
		i128 w = (i128)a - a % unit;

		/* Half away from zero; where that would leave int64 (only
		 * within unit/2 of the limits), toward zero. */
		if (unit > 1 && a % unit >= unit / 2)
			w += unit;
		else if (unit > 1 && a % unit <= -unit / 2)
			w -= unit;
		if (w > (i128)INT64_MAX || w < (i128)INT64_MIN)
			w = (i128)a - a % unit;
		FUZZ_ASSERT(r % unit == 0);
		FUZZ_ASSERT((i128)r == w);
	}
	/* Only what a parser can produce prints and parses back. */
	if (a > -DEC_MAX_SCALED && a < DEC_MAX_SCALED)
		check_format(a);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s;
	size_t n;
	int64_t v;
	unsigned d;

	if (size < 1)
		return 0;
	s = (const char *)data + 1;
	n = size - 1;
	check_parse(s, n, DEC_DIGITS);
	check_parse(s, n, DEC_RATE_DIGITS);
	check_parse(s, n, data[0] % 10);
	for (d = 0; d < 2; d++) {
		if (dec_parse(&v, s, n, d ? DEC_LENIENT : DEC_STRICT, NULL) >=
		    DEC_OK)
			check_format(v);
	}
	check_date(s, n, DATE_YMD8);
	check_date(s, n, DATE_AUTO);
	check_date(s, n, DATE_DMY);
	check_arith(data + 1, n);
	return 0;
}
