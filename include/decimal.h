/* decimal.h - exact fixed-point money, hours and rates. */
#ifndef BILLCHECK_DECIMAL_H
#define BILLCHECK_DECIMAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Every amount, hour count and rate is an int64_t holding the value times
 * DEC_SCALE (four decimals, the most LEDES allows).  Tax rates, which
 * LEDES writes with six decimals, use DEC_RATE_SCALE. */
#define DEC_DIGITS      4
#define DEC_SCALE       INT64_C(10000)
#define DEC_RATE_DIGITS 8
#define DEC_RATE_SCALE  INT64_C(100000000)

/* Parsed numbers stay below this many units of their scale (10^18): up to
 * 10^14 in money and hours, 10^10 in tax rates.  Sums and products are
 * checked; single differences cannot overflow. */
#define DEC_MAX_SCALED  INT64_C(1000000000000000000)

enum dec_status {
	DEC_ERR = -1, /* not a number; *why says why */
	DEC_OK = 0,   /* a conformant LEDES number */
	DEC_BLANK,    /* empty or spaces: reads as 0 */
	DEC_LAX       /* read, but not as LEDES writes numbers; *why says how */
};

enum dec_flags {
	DEC_STRICT = 0,   /* LEDES: -?digits[.digits]; anything else is DEC_ERR */
	DEC_LENIENT = 1   /* exports: also $ € £, thousands commas, spaces,
	                     a leading '+', and (1.00) for negatives: DEC_LAX */
};

/* Parses s[0..n) into *out scaled by 10^digits (digits <= 9).  More
 * fractional digits than that are rounded half away from zero and
 * reported as DEC_LAX.  Overflow, exponents, "NaN", a second sign or dot,
 * and grouping in the wrong places are DEC_ERR.  *why (may be NULL) gets a
 * static string for DEC_ERR and DEC_LAX. */
int dec_parse_digits(int64_t *out, const char *s, size_t n, unsigned flags,
    unsigned digits, const char **why);

/* The DEC_OK case of dec_parse_digits, inline for readers that parse a
 * few numbers a line: true, with *out set, when s[0..n) is a plain
 * number (-?digits[.digits], at most `digits` decimals, at most 18 -
 * digits integer digits, digits <= 9); false, *out untouched, for
 * everything else, which dec_parse_digits then reads or diagnoses. */
static inline bool
dec_parse_plain(int64_t *out, const char *s, size_t n, unsigned digits)
{
	static const int64_t scale[] = {
		1, 10, 100, 1000, 10000, 100000, 1000000, 10000000,
		100000000, 1000000000,
	};
	const char *p = s, *end = s + n, *q;
	uint64_t v = 0;
	size_t nint, nfrac = 0;
	bool neg = false;

	if (n == 0 || digits > 9)
		return false;
	if (*p == '-') {
		neg = true;
		p++;
	}
	/* Unsigned wrap-around on long runs is harmless: they are refused
	 * below by their length. */
	for (q = p; p < end && (unsigned char)(*p - '0') < 10; p++)
		v = v * 10 + (uint64_t)(*p - '0');
	nint = (size_t)(p - q);
	if (p < end && *p == '.') {
		for (q = ++p; p < end && (unsigned char)(*p - '0') < 10; p++)
			v = v * 10 + (uint64_t)(*p - '0');
		nfrac = (size_t)(p - q);
	}
	if (p != end || nint + nfrac == 0 || nfrac > digits ||
	    nint > 18 - digits)
		return false;
	v *= (uint64_t)scale[digits - nfrac];
	*out = neg ? -(int64_t)v : (int64_t)v;
	return true;
}

/* dec_parse_digits with DEC_DIGITS. */
int dec_parse(int64_t *out, const char *s, size_t n, unsigned flags,
    const char **why);

/* Number of fractional digits written in s[0..n), for "at most 4". */
unsigned dec_frac_digits(const char *s, size_t n);

/* *out = a * b / divisor, rounded half away from zero, computed without
 * intermediate overflow.  Returns -1 (and leaves *out alone) when the
 * result does not fit in int64_t. */
int dec_mul_div(int64_t *out, int64_t a, int64_t b, int64_t divisor)
    __attribute__((warn_unused_result));

/* *out = a * b for two DEC_SCALE values.  -1 on overflow. */
int dec_mul(int64_t *out, int64_t a, int64_t b)
    __attribute__((warn_unused_result));

/* *out = a - b; -1 on overflow (and *out unchanged). */
int dec_sub(int64_t *out, int64_t a, int64_t b)
    __attribute__((warn_unused_result));

/* *acc += v; -1 on overflow (and *acc unchanged). */
int dec_add(int64_t *acc, int64_t v) __attribute__((warn_unused_result));

/* Rounds v (DEC_SCALE) to `places` decimals, half away from zero. */
int64_t dec_round(int64_t v, unsigned places);

/* Writes v (DEC_SCALE) with `places` decimals (0-4), rounding half away
 * from zero, into buf; with `group`, thousands are separated by ','.
 * Returns buf.  buf must hold 32 bytes. */
char *dec_format(char *buf, int64_t v, unsigned places, bool group);

/* Writes v with as many decimals as needed (at least `min_places`), so
 * 0.2500 h prints as "0.25" and 3.0 as "3.0" with min_places 1. */
char *dec_format_trim(char *buf, int64_t v, unsigned min_places);

#endif
