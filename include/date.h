/* date.h - calendar dates as day numbers, parsed and printed exactly. */
#ifndef BILLCHECK_DATE_H
#define BILLCHECK_DATE_H

#include <stddef.h>
#include <stdint.h>

/* A date is the number of days since 1970-01-01 (negative before it).
 * DATE_NONE marks an absent date. */
#define DATE_NONE INT32_MIN

enum date_form {
	DATE_YMD8,  /* YYYYMMDD, as LEDES writes dates */
	DATE_AUTO,  /* YYYYMMDD, YYYY-MM-DD, or MM/DD/YYYY (or MM/DD/YY) */
	DATE_DMY    /* YYYYMMDD, YYYY-MM-DD, or DD/MM/YYYY (input.date_format) */
};

/* Parses s[0..n) (surrounding spaces ignored).  Returns 0, or -1 with a
 * static reason in *why (may be NULL): not a date, or no such day
 * (20260231).  Years run from 1900 to 2199; a two-digit year in a slashed
 * date is 19YY from 70, else 20YY. */
int date_parse(int32_t *out, const char *s, size_t n, enum date_form form,
    const char **why);

/* Days for a valid y-m-d (no checking). */
int32_t date_from_ymd(int y, int m, int d);
void    date_to_ymd(int32_t days, int *y, int *m, int *d);

/* Writes YYYY-MM-DD (or "" for DATE_NONE) into buf[11]; returns buf. */
char *date_format(char *buf, int32_t days);

/* 0 = Sunday ... 6 = Saturday. */
int date_weekday(int32_t days);

#endif
