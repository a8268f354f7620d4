/* date.c - civil dates <-> day numbers (Howard Hinnant's algorithms). */
#include <stdbool.h>
#include <stdio.h>

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

static int
days_in_month(int y, int m)
{
	static const int dim[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30,
		31};
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 && leap ? 29 : dim[m - 1];
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

int
date_parse(int32_t *out, const char *s, size_t n, enum date_form form,
    const char **why)
{
	const char *p = s, *end = s + n;
	int y, m, d;

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
	if (y < 1900 || y > 2199 || m < 1 || m > 12 || d < 1 ||
	    d > days_in_month(y, m)) {
		if (why != NULL)
			*why = "no such calendar date";
		return -1;
	}
	*out = date_from_ymd(y, m, d);
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
	snprintf(buf, 11, "%04d-%02d-%02d", y, m, d);
	return buf;
}

int
date_weekday(int32_t days)
{
	/* 1970-01-01 was a Thursday (4). */
	int w = (int)((days % 7 + 7 + 4) % 7);

	return w;
}
