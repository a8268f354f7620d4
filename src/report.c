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

/* How a byte goes into a JSON string: JE_COPY as it is, JE_SHORT as a
 * backslash and json_short[c], JE_HEX as \u00XX, JE_UTF8 after checking
 * the UTF-8 sequence it starts. */
enum { JE_COPY, JE_SHORT, JE_HEX, JE_UTF8 };

#define JE16(x) x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x

static const unsigned char json_class[256] = {
	/* 0x00 */ JE_HEX, JE_HEX, JE_HEX, JE_HEX, JE_HEX, JE_HEX, JE_HEX,
	JE_HEX, JE_SHORT, JE_SHORT, JE_SHORT, JE_HEX, JE_SHORT, JE_SHORT,
	JE_HEX, JE_HEX,
	/* 0x10 */ JE16(JE_HEX),
	/* 0x20 */ JE_COPY, JE_COPY, JE_SHORT, JE_COPY, JE_COPY, JE_COPY,
	JE_HEX, JE_COPY, JE_COPY, JE_COPY, JE_COPY, JE_COPY, JE_COPY,
	JE_COPY, JE_COPY, JE_COPY,
	/* 0x30 */ JE_COPY, JE_COPY, JE_COPY, JE_COPY, JE_COPY, JE_COPY,
	JE_COPY, JE_COPY, JE_COPY, JE_COPY, JE_COPY, JE_COPY, JE_HEX,
	JE_COPY, JE_HEX, JE_COPY,
	/* 0x40 */ JE16(JE_COPY),
	/* 0x50 */ JE_COPY, JE_COPY, JE_COPY, JE_COPY, JE_COPY, JE_COPY,
	JE_COPY, JE_COPY, JE_COPY, JE_COPY, JE_COPY, JE_COPY, JE_SHORT,
	JE_COPY, JE_COPY, JE_COPY,
	/* 0x60 */ JE16(JE_COPY),
	/* 0x70 */ JE16(JE_COPY),
	/* 0x80 */ JE16(JE_UTF8), JE16(JE_UTF8), JE16(JE_UTF8),
	JE16(JE_UTF8), JE16(JE_UTF8), JE16(JE_UTF8), JE16(JE_UTF8),
	JE16(JE_UTF8)
};

static char
json_short(unsigned char c)
{
	switch (c) {
	case '\b':
		return 'b';
	case '\t':
		return 't';
	case '\n':
		return 'n';
	case '\f':
		return 'f';
	case '\r':
		return 'r';
	default:
		return (char)c; /* '"' and '\\' */
	}
}

#define ONES UINT64_C(0x0101010101010101)
#define HIGH UINT64_C(0x8080808080808080)

/* Non-zero when a byte of x is not JE_COPY: a control, " & < > \, or
 * one beyond ASCII.  (v - ONES) & ~v & HIGH says whether v has a zero
 * byte, and (x - 0x20..) & ~x whether x has one below 0x20; " and &, and
 * < and >, differ in one bit, so one test finds either. */
static uint64_t
json_special8(uint64_t x)
{
	uint64_t qa = (x | ONES * 0x04) ^ ONES * 0x26;
	uint64_t lg = (x | ONES * 0x02) ^ ONES * 0x3e;
	uint64_t bs = x ^ ONES * 0x5c;

	return (x | ((x - ONES * 0x20) & ~x) | ((qa - ONES) & ~qa) |
	    ((lg - ONES) & ~lg) | ((bs - ONES) & ~bs)) & HIGH;
}

/*
 * Everything that is not plain printable ASCII or valid UTF-8 is escaped,
 * and so are < > & (the document may be pasted into a <script> block) and
 * U+2028/U+2029 (line terminators to pre-2019 JavaScript).
 */
size_t
report_json_escape(char *out, size_t room, const char *s, size_t n,
    size_t *used)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, o = 0, run, lim, len;
	uint64_t word;
	unsigned char c;

	while (i < n && room - o >= 6) {
		lim = n - i < room - o ? n - i : room - o;
		/* Eight bytes at a time while they are all plain. */
		for (run = 0; run + 8 <= lim; run += 8) {
			memcpy(&word, s + i + run, 8);
			if (json_special8(word) != 0)
				break;
		}
		for (; run < lim && json_class[u[i + run]] == JE_COPY; run++)
			;
		memcpy(out + o, s + i, run);
		o += run;
		i += run;
		if (i == n || room - o < 6)
			break;
		c = u[i];
		switch (json_class[c]) {
		case JE_SHORT:
			out[o++] = '\\';
			out[o++] = json_short(c);
			i++;
			break;
		case JE_HEX:
			memcpy(out + o, "\\u00", 4);
			out[o + 4] = hex[c >> 4];
			out[o + 5] = hex[c & 0xf];
			o += 6;
			i++;
			break;
		default:
			len = utf8_valid_prefix(s + i, n - i);
			if (len == 0) {
				memcpy(out + o, "\\ufffd", 6);
				o += 6;
				i++;
			} else if (len == 3 && c == 0xe2 && u[i + 1] == 0x80 &&
			    (u[i + 2] == 0xa8 || u[i + 2] == 0xa9)) {
				memcpy(out + o, u[i + 2] == 0xa8 ? "\\u2028" :
				    "\\u2029", 6);
				o += 6;
				i += 3;
			} else {
				memcpy(out + o, s + i, len);
				o += len;
				i += len;
			}
			break;
		}
	}
	*used = i;
	return o;
}

int
report_json_string(FILE *fp, const char *s)
{
	char buf[1024];
	size_t n, i = 0, o = 1, used;

	if (s == NULL)
		s = "";
	n = strlen(s);
	buf[0] = '"';
	for (;;) {
		/* One byte stays free for the closing quote. */
		o += report_json_escape(buf + o, sizeof(buf) - 1 - o, s + i,
		    n - i, &used);
		i += used;
		if (i == n)
			break;
		if (put_bytes(fp, buf, o) == -1)
			return -1;
		o = 0;
	}
	buf[o++] = '"';
	return put_bytes(fp, buf, o);
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
