/* report.h - the report formats behind one table. */
#ifndef BILLCHECK_REPORT_H
#define BILLCHECK_REPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "result.h"

enum report_format {
	REPORT_TEXT,
	REPORT_CSV,
	REPORT_JSON,
	REPORT_JSONL,
	REPORT_HTML
};

struct report_opts {
	bool color; /* ANSI colors in text */
};

struct report_writer {
	const char *name;       /* as given to --format */
	const char *extension;  /* for --per-firm files */
	/* Streams one finding as soon as it is found (jsonl); NULL for
	 * formats that write everything at the end. */
	int (*finding)(FILE *fp, const struct finding *f);
	/* Writes the whole report (for jsonl: nothing more). */
	int (*write)(FILE *fp, const struct run_result *res,
	    const struct report_opts *o);
};

/* The writer for a --format name, or NULL. */
const struct report_writer *report_writer_for(const char *name);

/* Returns 0, or -1 when a write to fp failed (errno says why). */
int report_text_write(FILE *fp, const struct run_result *res,
    const struct report_opts *o);
int report_csv_write(FILE *fp, const struct run_result *res,
    const struct report_opts *o);
int report_json_write(FILE *fp, const struct run_result *res,
    const struct report_opts *o);
int report_jsonl_finding(FILE *fp, const struct finding *f);
int report_html_write(FILE *fp, const struct run_result *res,
    const struct report_opts *o);

/* The per-firm summary as its own CSV (--summary): per firm a total row
 * (month blank), then a row per invoice month.  0, or -1 on a write
 * error. */
int report_csv_summary_write(FILE *fp, const struct run_result *res);

/* billed - at_risk, the amount to pay; sticks at the int64_t limit
 * instead of overflowing when a saturated total is involved. */
int64_t report_approved(int64_t billed, int64_t at_risk);

/* Shared escapers.  Each returns 0 or -1 on a write error. */
/* A JSON string literal with quotes; invalid UTF-8 becomes U+FFFD. */
int report_json_string(FILE *fp, const char *s);
/* The inside of that literal, for s[0..n), into out[0..room): whole
 * characters only, while at least 6 bytes of room are left.  Returns the
 * bytes written and sets *used to the bytes of s consumed. */
size_t report_json_escape(char *out, size_t room, const char *s, size_t n,
    size_t *used);
/* An RFC 4180 field; text starting with = + - @ TAB CR gets a leading '
 * unless `numeric` (an amount we formatted ourselves). */
int report_csv_field(FILE *fp, const char *s, bool numeric);
/* HTML text, also safe in a quoted attribute and in XML: & < > " ' as
 * character references, invalid UTF-8 and noncharacters as U+FFFD, TAB
 * CR LF as a space, other control and bidi characters dropped. */
int report_html_string(FILE *fp, const char *s);

#endif
