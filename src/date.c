/* date.c - civil dates <-> day numbers (Howard Hinnant's algorithms). */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "bytes.h"
#include "date.h"

int32_t
date_from_ymd(int y, int m, int d)
{
	int era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void
date_to_ymd(int32_t days, int *y, int *m, int *d)
{
	int z = days + 719468, era, doe, yoe, doy, mp;

	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp + (mp < 10 ? 3 : -9);
	*y = yoe + era * 400 + (*m <= 2);
}

static bool
is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
days_in_month(int y, int m)
{
	static const int dim[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30,
		31};

	return m == 2 && is_leap(y) ? 29 : dim[m - 1];
}

/* date_from_ymd for the years date_parse accepts (1900-2199), by tables:
 * it runs for every date of every line. */
static int32_t
days_1900_2199(int y, int m, int d)
{
	static const short before[] = {0, 31, 59, 90, 120, 151, 181, 212, 243,
		273, 304, 334};
	/* Leap days before year y, since 1970: 1969 / 4 - 1969 / 100 +
	 * 1969 / 400 = 477 of them came before 1970. */
	int z = y - 1, leaps = z / 4 - z / 100 + z / 400 - 477;

	return (y - 1970) * 365 + leaps + before[m - 1] +
	    (m > 2 && is_leap(y)) + d - 1;
}

/* Reads exactly k digits at *p. */
static bool
digits(const char **p, const char *end, int k, int *v)
{
	*v = 0;
	if (end - *p < k)
		return false;
	for (; k > 0; k--, (*p)++) {
		if (**p < '0' || **p > '9')
			return false;
		*v = *v * 10 + (**p - '0');
	}
	return true;
}

/* Reads 1 or 2 digits. */
static bool
digits12(const char **p, const char *end, int *v)
{
	if (!digits(p, end, 1, v))
		return false;
	if (*p < end && **p >= '0' && **p <= '9') {
		*v = *v * 10 + (**p - '0');
		(*p)++;
	}
	return true;
}

/* The 8 digits at p as y, m, d, all eight tested and added at once (SWAR);
 * false unless all 8 are digits. */
static bool
ymd8(const char *p, int *y, int *m, int *d)
{
	uint64_t x = bytes_load_le64(p);

	/* A byte is a digit when its high nibble is 3 and adding 6 keeps it
	 * so (a carry into the next byte spoils that byte's test too). */
	if ((x & UINT64_C(0xF0F0F0F0F0F0F0F0)) != UINT64_C(0x3030303030303030) ||
	    ((x + UINT64_C(0x0606060606060606)) &
	    UINT64_C(0xF0F0F0F0F0F0F0F0)) != UINT64_C(0x3030303030303030))
		return false;
	x -= UINT64_C(0x3030303030303030);
	/* Pairs: byte 2i becomes 10 * digit 2i + digit 2i + 1. */
	x = (x * 10 + (x >> 8)) & UINT64_C(0x00FF00FF00FF00FF);
	*y = (int)(x & 0xFF) * 100 + (int)(x >> 16 & 0xFF);
	*m = (int)(x >> 32 & 0xFF);
	*d = (int)(x >> 48 & 0xFF);
	return true;
}

int
date_parse(int32_t *out, const char *s, size_t n, enum date_form form,
    const char **why)
{
	const char *p = s, *end = s + n;
	int y, m, d;

	/* Every LEDES date: eight digits, no spaces; and exports' ISO
	 * dates. */
	if (n == 8 && ymd8(s, &y, &m, &d))
		goto check;
	if (n == 10 && form != DATE_YMD8 && s[4] == '-' && s[7] == '-') {
		char b[8];

		memcpy(b, s, 4);
		memcpy(b + 4, s + 5, 2);
		memcpy(b + 6, s + 8, 2);
		if (ymd8(b, &y, &m, &d))
			goto check;
	}
	while (p < end && *p == ' ')
		p++;
	while (end > p && end[-1] == ' ')
		end--;
	if (p == end) {
		if (why != NULL)
			*why = "blank date";
		return -1;
	}
	if (end - p == 8 && digits(&p, end, 4, &y) && digits(&p, end, 2, &m) &&
	    digits(&p, end, 2, &d)) {
		/* YYYYMMDD */
	} else if (form != DATE_YMD8 && (p = s, true)) {
		while (p < end && *p == ' ')
			p++;
		if (end - p == 10 && p[4] == '-' && p[7] == '-') {
			if (!digits(&p, end, 4, &y) || *p++ != '-' ||
			    !digits(&p, end, 2, &m) || *p++ != '-' ||
			    !digits(&p, end, 2, &d))
				goto bad;
		} else {
			int a, b;

			if (!digits12(&p, end, &a) || p >= end || *p++ != '/' ||
			    !digits12(&p, end, &b) || p >= end || *p++ != '/')
				goto bad;
			if (end - p == 4) {
				if (!digits(&p, end, 4, &y))
					goto bad;
			} else if (end - p == 2) {
				if (!digits(&p, end, 2, &y))
					goto bad;
				y += y >= 70 ? 1900 : 2000;
			} else {
				goto bad;
			}
			m = form == DATE_DMY ? b : a;
			d = form == DATE_DMY ? a : b;
		}
		if (p != end)
			goto bad;
	} else {
		goto bad;
	}
check:
	if (y < 1900 || y > 2199 || m < 1 || m > 12 || d < 1 ||
	    d > days_in_month(y, m)) {
		if (why != NULL)
			*why = "no such calendar date";
		return -1;
	}
	*out = days_1900_2199(y, m, d);
	return 0;
bad:
	if (why != NULL)
		*why = form == DATE_YMD8 ? "not a YYYYMMDD date" :
		    "not a date (YYYYMMDD, YYYY-MM-DD or MM/DD/YYYY)";
	return -1;
}

char *
date_format(char *buf, int32_t days)
{
	int y, m, d;

	if (days == DATE_NONE) {
		buf[0] = '\0';
		return buf;
	}
	date_to_ymd(days, &y, &m, &d);
	/* Years outside 0-9999 come only from day numbers no parse makes. */
	if (y < 0 || y > 9999) {
		snprintf(buf, 11, "%04d-%02d-%02d", y, m, d);
		return buf;
	}
	buf[0] = (char)('0' + y / 1000);
	buf[1] = (char)('0' + y / 100 % 10);
	buf[2] = (char)('0' + y / 10 % 10);
	buf[3] = (char)('0' + y % 10);
	buf[4] = '-';
	buf[5] = (char)('0' + m / 10);
	buf[6] = (char)('0' + m % 10);
	buf[7] = '-';
	buf[8] = (char)('0' + d / 10);
	buf[9] = (char)('0' + d % 10);
	buf[10] = '\0';
	return buf;
}

int
date_weekday(int32_t days)
{
	/* 1970-01-01 was a Thursday (4). */
	int w = (int)((days % 7 + 7 + 4) % 7);

	return w;
}
