/* report.c - the writer table and the escapers every format shares. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "report.h"
#include "utf8.h"

static int report_jsonl_write(FILE *, const struct run_result *,
    const struct report_opts *);

static const struct report_writer writers[] = {
	{ "text", "txt", NULL, report_text_write },
	{ "csv", "csv", NULL, report_csv_write },
	{ "json", "json", NULL, report_json_write },
	{ "jsonl", "jsonl", report_jsonl_finding, report_jsonl_write },
	{ "html", "html", NULL, report_html_write },
};

const struct report_writer *
report_writer_for(const char *name)
{
	size_t i;

	if (name == NULL)
		return NULL;
	for (i = 0; i < sizeof(writers) / sizeof(writers[0]); i++)
		if (strcmp(writers[i].name, name) == 0)
			return &writers[i];
	return NULL;
}

int64_t
report_approved(int64_t billed, int64_t at_risk)
{
	if (at_risk > 0 && billed < INT64_MIN + at_risk)
		return INT64_MIN;
	if (at_risk < 0 && billed > INT64_MAX + at_risk)
		return INT64_MAX;
	return billed - at_risk;
}

const char *
verdict_name(enum verdict v)
{
	switch (v) {
	case VERDICT_APPROVE:
		return "approve";
	case VERDICT_REVIEW:
		return "review";
	case VERDICT_REJECT:
		return "reject";
	}
	return "unknown";
}

/*
 * The findings went out one by one through report_jsonl_finding; all that
 * is left is to make sure they reached the file.
 */
static int
report_jsonl_write(FILE *fp, const struct run_result *res,
    const struct report_opts *o)
{
	(void)res;
	(void)o;
	if (fflush(fp) == EOF || ferror(fp))
		return -1;
	return 0;
}

static int
put_bytes(FILE *fp, const char *s, size_t n)
{
	if (n > 0 && fwrite(s, 1, n, fp) != n)
		return -1;
	return 0;
}

/*
 * Everything that is not plain printable ASCII or valid UTF-8 is escaped,
 * and so are < > & (the document may be pasted into a <script> block) and
 * U+2028/U+2029 (line terminators to pre-2019 JavaScript).
 */
int
report_json_string(FILE *fp, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *u;
	size_t n, i, run, len;
	char esc[8];
	const char *rep;

	if (s == NULL)
		s = "";
	u = (const unsigned char *)s;
	n = strlen(s);
	if (fputc('"', fp) == EOF)
		return -1;
	run = 0;
	for (i = 0; i < n; i += len) {
		len = 1;
		rep = NULL;
		if (u[i] < 0x20 || u[i] == '"' || u[i] == '\\' || u[i] == '<' ||
		    u[i] == '>' || u[i] == '&') {
			switch (u[i]) {
			case '"':
				rep = "\\\"";
				break;
			case '\\':
				rep = "\\\\";
				break;
			case '\n':
				rep = "\\n";
				break;
			case '\r':
				rep = "\\r";
				break;
			case '\t':
				rep = "\\t";
				break;
			case '\b':
				rep = "\\b";
				break;
			case '\f':
				rep = "\\f";
				break;
			default:
				memcpy(esc, "\\u00", 4);
				esc[4] = hex[u[i] >> 4];
				esc[5] = hex[u[i] & 0xf];
				esc[6] = '\0';
				rep = esc;
				break;
			}
		} else if (u[i] >= 0x80) {
			len = utf8_valid_prefix(s + i, n - i);
			if (len == 0) {
				len = 1;
				rep = "\\ufffd";
			} else if (len == 3 && u[i] == 0xe2 &&
			    u[i + 1] == 0x80 &&
			    (u[i + 2] == 0xa8 || u[i + 2] == 0xa9)) {
				rep = u[i + 2] == 0xa8 ? "\\u2028" : "\\u2029";
			}
		}
		if (rep == NULL) {
			run += len;
			continue;
		}
		if (put_bytes(fp, s + i - run, run) == -1 ||
		    fputs(rep, fp) == EOF)
			return -1;
		run = 0;
	}
	if (put_bytes(fp, s + n - run, run) == -1 || fputc('"', fp) == EOF)
		return -1;
	return 0;
}

int
report_csv_field(FILE *fp, const char *s, bool numeric)
{
	static const char bad[] = "\xef\xbf\xbd"; /* U+FFFD */
	size_t n, i, run, len;
	bool quote;

	if (s == NULL)
		s = "";
	n = strlen(s);
	quote = strpbrk(s, ",\"\r\n") != NULL;
	if (quote && fputc('"', fp) == EOF)
		return -1;
	if (!numeric && s[0] != '\0' && strchr("=+-@\t\r", s[0]) != NULL &&
	    fputc('\'', fp) == EOF)
		return -1;
	run = 0;
	for (i = 0; i < n; i += len) {
		len = 1;
		if (s[i] == '"') {
			/* The run up to and with this quote, then another. */
			if (put_bytes(fp, s + i - run, run + 1) == -1)
				return -1;
			run = 0;
			if (fputc('"', fp) == EOF)
				return -1;
			continue;
		}
		/* Controls other than tab and line ends would drive the
		 * terminal of whoever runs `cat findings.csv`. */
		if (((unsigned char)s[i] < 0x20 && s[i] != '\t' &&
		    s[i] != '\r' && s[i] != '\n') || s[i] == 0x7f) {
			if (put_bytes(fp, s + i - run, run) == -1 ||
			    fputc('?', fp) == EOF)
				return -1;
			run = 0;
			continue;
		}
		if ((unsigned char)s[i] < 0x80) {
			run++;
			continue;
		}
		len = utf8_valid_prefix(s + i, n - i);
		/* C1 controls (U+0080-U+009F) are escapes too. */
		if (len == 2 && (unsigned char)s[i] == 0xc2 &&
		    (unsigned char)s[i + 1] < 0xa0) {
			if (put_bytes(fp, s + i - run, run) == -1 ||
			    fputc('?', fp) == EOF)
				return -1;
			run = 0;
			continue;
		}
		if (len > 0) {
			run += len;
			continue;
		}
		len = 1;
		if (put_bytes(fp, s + i - run, run) == -1 ||
		    put_bytes(fp, bad, sizeof(bad) - 1) == -1)
			return -1;
		run = 0;
	}
	if (put_bytes(fp, s + n - run, run) == -1)
		return -1;
	if (quote && fputc('"', fp) == EOF)
		return -1;
	return 0;
}
