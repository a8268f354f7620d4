/* diag.c - diagnostics: positions, messages, source line and caret. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "diag.h"
#include "utf8.h"

int
diag_set(struct diag *d, int code, struct diag_pos pos, const char *fmt, ...)
{
	va_list ap;

	d->code = code;
	d->pos = pos;
	d->context[0] = '\0';
	d->caret_len = 0;
	va_start(ap, fmt);
	vsnprintf(d->msg, sizeof(d->msg), fmt, ap);
	va_end(ap);
	return -1;
}

void
diag_set_context(struct diag *d, const char *src, size_t len, size_t off,
    unsigned long caret_len)
{
	size_t start = off > len ? len : off, end;

	while (start > 0 && src[start - 1] != '\n')
		start--;
	end = start;
	while (end < len && src[end] != '\n' && src[end] != '\r')
		end++;
	diag_quote(d->context, sizeof(d->context) - 5, src + start,
	    end - start);
	d->caret_len = caret_len ? caret_len : 1;
}

const char *
diag_strcode(int code)
{
	switch (code) {
	case DIAG_OK:
		return "ok";
	case DIAG_IO:
		return "i/o error";
	case DIAG_SYNTAX:
		return "syntax error";
	case DIAG_SCHEMA:
		return "schema error";
	case DIAG_FORMAT:
		return "format error";
	case DIAG_LIMIT:
		return "limit exceeded";
	case DIAG_USAGE:
		return "usage error";
	}
	return "unknown error";
}

size_t
diag_quote(char *out, size_t max, const char *s, size_t n)
{
	size_t i = 0, o = 0;

	while (i < n && o < max) {
		unsigned char c = (unsigned char)s[i];
		size_t len;

		if (c == '\t' || (c >= 0x20 && c < 0x7f)) {
			out[o++] = (char)c;
			i++;
			continue;
		}
		len = utf8_valid_prefix(s + i, n - i);
		if (c >= 0x80 && len > 0 && o + len <= max) {
			memcpy(out + o, s + i, len);
			o += len;
			i += len;
			continue;
		}
		out[o++] = '?';
		i += len ? len : 1;
	}
	if (i < n) {
		memcpy(out + o, "...", 3);
		o += 3;
	}
	out[o] = '\0';
	return o;
}

void
diag_print(FILE *fp, const struct diag *d, const char *severity)
{
	unsigned long i;

	fputs("billcheck: ", fp);
	if (d->pos.file != NULL) {
		char name[520];

		/* A file name is untrusted text too: no raw escapes. */
		diag_quote(name, sizeof(name) - 5, d->pos.file,
		    strlen(d->pos.file));
		fputs(name, fp);
		if (d->pos.line > 0)
			fprintf(fp, ":%lu", d->pos.line);
		if (d->pos.line > 0 && d->pos.col > 0)
			fprintf(fp, ":%lu", d->pos.col);
		fputs(": ", fp);
	}
	fprintf(fp, "%s: %s\n", severity, d->msg);
	if (d->context[0] == '\0')
		return;
	fprintf(fp, "    %s\n    ", d->context);
	/* Keep tabs under tabs so the caret lines up in a terminal. */
	for (i = 1; i < d->pos.col && i <= strlen(d->context); i++)
		fputc(d->context[i - 1] == '\t' ? '\t' : ' ', fp);
	fputc('^', fp);
	for (i = 1; i < d->caret_len && i < 80; i++)
		fputc('~', fp);
	fputc('\n', fp);
}
