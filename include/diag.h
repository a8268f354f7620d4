/* diag.h - where and why something went wrong, and how it is printed. */
#ifndef BILLCHECK_DIAG_H
#define BILLCHECK_DIAG_H

#include <stddef.h>
#include <stdio.h>

enum diag_code {
	DIAG_OK = 0,
	DIAG_IO,     /* a file could not be opened, read or written */
	DIAG_SYNTAX, /* YAML or CSV syntax */
	DIAG_SCHEMA, /* well-formed, but not what the rules schema allows */
	DIAG_FORMAT, /* an invoice file or record that cannot be read */
	DIAG_LIMIT,  /* a size limit was exceeded */
	DIAG_USAGE   /* a bad command line */
};

struct diag_pos {
	const char *file; /* borrowed; NULL when there is no file */
	unsigned long line, col; /* 1-based; 0 = not applicable */
};

struct diag {
	int             code; /* enum diag_code */
	struct diag_pos pos;
	char            msg[512]; /* one sentence, no trailing newline */
	char            context[160]; /* offending source line, or "" */
	unsigned long   caret_len; /* width of the ~ run under context */
};

/* Fills *d and returns -1, so "return diag_set(...)" reports and fails. */
int diag_set(struct diag *d, int code, struct diag_pos pos, const char *fmt,
    ...) __attribute__((format(printf, 4, 5)));

/* Copies the physical line of src[0..len) that holds byte off into
 * d->context (tabs kept, control bytes shown as '?'), for the caret. */
void diag_set_context(struct diag *d, const char *src, size_t len,
    size_t off, unsigned long caret_len);

const char *diag_strcode(int code);

/* Prints "billcheck: FILE:LINE[:COL]: SEVERITY: msg" and, when d has a
 * context line, the line and a caret under the column. */
void diag_print(FILE *fp, const struct diag *d, const char *severity);

/* Writes s[0..n) with bytes that would garble a terminal or a report
 * (control bytes, invalid UTF-8) replaced by '?', at most max bytes,
 * ending in "..." when cut.  Returns the bytes written to out (which
 * holds at least max + 4 bytes), NUL-terminated. */
size_t diag_quote(char *out, size_t max, const char *s, size_t n);

#endif
