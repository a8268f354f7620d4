/* decimal.c - exact fixed-point parse, multiply and format. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "decimal.h"

__extension__ typedef __int128 i128;

static const int64_t pow10[] = {
	1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000,
	1000000000,
};

unsigned
dec_frac_digits(const char *s, size_t n)
{
	const char *dot = memchr(s, '.', n);
	unsigned k = 0;

	if (dot == NULL)
		return 0;
	for (dot++; dot < s + n && *dot >= '0' && *dot <= '9'; dot++)
		k++;
	return k;
}

static int
fail(const char **why, const char *msg)
{
	if (why != NULL)
		*why = msg;
	return DEC_ERR;
}

/* The general parser: every form, every diagnosis. */
static int
parse_slow(int64_t *out, const char *s, size_t n, unsigned flags,
    unsigned digits, const char **why)
{
	const char *p = s, *end = s + n;
	const char *lax = NULL;
	bool neg = false, paren = false, seen_digit = false, seen_dot = false;
	unsigned frac = 0, group_run = 0;
	bool grouped = false;
	i128 v = 0;
	int round_digit = -1;

	if (why != NULL)
		*why = NULL;
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	if (p == end) {
		*out = 0;
		return DEC_BLANK;
	}
	if (p < end && (*p == '-' || *p == '+')) {
		neg = *p == '-';
		if (*p == '+')
			lax = "leading '+'";
		p++;
	} else if ((flags & DEC_LENIENT) && *p == '(' && end[-1] == ')') {
		paren = neg = true;
		p++;
		end--;
		lax = "negative in parentheses";
	}
	if (flags & DEC_LENIENT) {
		/* A currency sign may stand before the digits, after any sign. */
		if (p < end && *p == '$') {
			p++;
			lax = "currency sign";
		} else if (end - p >= 2 && (memcmp(p, "\xc2\xa3", 2) == 0)) {
			p += 2;
			lax = "currency sign";
		} else if (end - p >= 3 && memcmp(p, "\xe2\x82\xac", 3) == 0) {
			p += 3;
			lax = "currency sign";
		}
		if (!neg && p < end && *p == '-') {
			neg = true;
			p++;
		}
		while (p < end && *p == ' ')
			p++;
	}
	(void)paren;
	if (p == end)
		return fail(why, "no digits");
	for (; p < end; p++) {
		char c = *p;

		if (c >= '0' && c <= '9') {
			seen_digit = true;
			if (seen_dot) {
				if (frac < digits) {
					v = v * 10 + (c - '0');
					frac++;
				} else {
					if (round_digit < 0)
						round_digit = c - '0';
					lax = "more decimals than allowed";
				}
			} else {
				v = v * 10 + (c - '0');
				if (grouped)
					group_run++;
			}
			if (v > (i128)INT64_MAX)
				return fail(why, "number too large");
			continue;
		}
		if (c == '.' && !seen_dot) {
			if (grouped && group_run != 3)
				return fail(why, "misplaced thousands separator");
			seen_dot = true;
			continue;
		}
		if (c == ',' && (flags & DEC_LENIENT) && !seen_dot &&
		    seen_digit) {
			if (grouped && group_run != 3)
				return fail(why,
				    "misplaced thousands separator");
			grouped = true;
			group_run = 0;
			lax = "thousands separator";
			continue;
		}
		if (c == 'e' || c == 'E')
			return fail(why, "exponent notation is not allowed");
		if (c == '-' || c == '+')
			return fail(why, "sign inside the number");
		if (c == '.')
			return fail(why, "more than one decimal point");
		if (c == ',')
			return fail(why, (flags & DEC_LENIENT) ?
			    "misplaced thousands separator" :
			    "comma in a number");
		if (c == '$' || c == ' ')
			return fail(why, c == '$' ? "currency sign" :
			    "space inside the number");
		return fail(why, "character that is not a digit");
	}
	if (!seen_digit)
		return fail(why, "no digits");
	if (grouped && !seen_dot && group_run != 3)
		return fail(why, "misplaced thousands separator");
	while (frac < digits) {
		v *= 10;
		frac++;
		if (v > (i128)INT64_MAX)
			return fail(why, "number too large");
	}
	if (round_digit >= 5)
		v += 1;
	/* Below 10^18 scaled, the difference of any two amounts fits in
	 * int64, so checks can subtract without overflow. */
	if (v >= (i128)DEC_MAX_SCALED)
		return fail(why, "number too large");
	*out = neg ? -(int64_t)v : (int64_t)v;
	if (lax != NULL) {
		if (why != NULL)
			*why = lax;
		return DEC_LAX;
	}
	return DEC_OK;
}

/* Numbers as LEDES writes them, "-1234.50", take dec_parse_plain's
 * shorter road: at most 18 - digits integer digits and `digits` decimals
 * cannot overflow or reach DEC_MAX_SCALED, so nothing needs diagnosing.
 * Anything else (a sign '+', spaces, more decimals, long digit runs) goes
 * to parse_slow, which gives the same value for what that accepts. */
int
dec_parse_digits(int64_t *out, const char *s, size_t n, unsigned flags,
    unsigned digits, const char **why)
{
	if (!dec_parse_plain(out, s, n, digits))
		return parse_slow(out, s, n, flags, digits, why);
	if (why != NULL)
		*why = NULL;
	return DEC_OK;
}

int
dec_parse(int64_t *out, const char *s, size_t n, unsigned flags,
    const char **why)
{
	return dec_parse_digits(out, s, n, flags, DEC_DIGITS, why);
}

/* dec_mul_div when a * b fits in int64 and 0 < divisor <= INT64_MAX / 2
 * (so 2 * r cannot overflow): the usual case, without 128-bit division.
 * The caller has checked both. */
static int64_t
mul_div64(int64_t p, int64_t divisor)
{
	int64_t q = p / divisor, r = p % divisor;

	if (r < 0)
		r = -r;
	if (2 * r >= divisor)
		q += p < 0 ? -1 : 1;
	return q;
}

int
dec_mul_div(int64_t *out, int64_t a, int64_t b, int64_t divisor)
{
	i128 p, q, r;
	int64_t p64;

	if (divisor > 0 && divisor <= INT64_MAX / 2 &&
	    !__builtin_mul_overflow(a, b, &p64)) {
		*out = mul_div64(p64, divisor);
		return 0;
	}
	p = (i128)a * b;

	q = p / divisor;
	r = p % divisor;
	if (r < 0)
		r = -r;
	if (2 * r >= (i128)(divisor < 0 ? -divisor : divisor))
		q += (p < 0) != (divisor < 0) ? -1 : 1;
	if (q > (i128)INT64_MAX || q < (i128)INT64_MIN)
		return -1;
	*out = (int64_t)q;
	return 0;
}

int
dec_mul(int64_t *out, int64_t a, int64_t b)
{
	int64_t p;

	/* With the constant divisor the division is a multiplication. */
	if (!__builtin_mul_overflow(a, b, &p)) {
		*out = mul_div64(p, DEC_SCALE);
		return 0;
	}
	return dec_mul_div(out, a, b, DEC_SCALE);
}

int
dec_add(int64_t *acc, int64_t v)
{
	int64_t r;

	if (__builtin_add_overflow(*acc, v, &r))
		return -1;
	*acc = r;
	return 0;
}

int64_t
dec_round(int64_t v, unsigned places)
{
	int64_t unit, r;
	i128 w;

	if (places >= DEC_DIGITS)
		return v;
	unit = pow10[DEC_DIGITS - places];
	r = v % unit;
	w = (i128)v - r;
	if (r >= unit / 2)
		w += unit;
	else if (r <= -unit / 2)
		w -= unit;
	/* Near the int64 limits, rounding away would not fit: stay put. */
	if (w > (i128)INT64_MAX || w < (i128)INT64_MIN)
		return v - r;
	return (int64_t)w;
}

int
dec_sub(int64_t *out, int64_t a, int64_t b)
{
	int64_t r;

	if (__builtin_sub_overflow(a, b, &r))
		return -1;
	*out = r;
	return 0;
}

char *
dec_format(char *buf, int64_t v, unsigned places, bool group)
{
	char digits[32], *o = buf;
	uint64_t mag, ip, fp;
	size_t nd, i;

	if (places > DEC_DIGITS)
		places = DEC_DIGITS;
	v = dec_round(v, places);
	mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	ip = mag / (uint64_t)DEC_SCALE;
	fp = (mag % (uint64_t)DEC_SCALE) / (uint64_t)pow10[DEC_DIGITS - places];
	if (v < 0 && (ip != 0 || fp != 0))
		*o++ = '-';
	/* Digits by hand: two snprintf calls were most of the cost of a
	 * report's amounts. */
	nd = 0;
	do {
		digits[nd++] = (char)('0' + ip % 10);
		ip /= 10;
	} while (ip != 0);
	for (i = nd; i-- > 0;) {
		*o++ = digits[i];
		if (group && i > 0 && i % 3 == 0)
			*o++ = ',';
	}
	if (places > 0) {
		*o++ = '.';
		for (i = places; i-- > 0;) {
			o[i] = (char)('0' + fp % 10);
			fp /= 10;
		}
		o += places;
	}
	*o = '\0';
	return buf;
}

char *
dec_format_trim(char *buf, int64_t v, unsigned min_places)
{
	unsigned places = DEC_DIGITS;

	while (places > min_places && v % pow10[DEC_DIGITS - places + 1] == 0)
		places--;
	return dec_format(buf, v, places, false);
}
