/* ledescount.c - the LEDES split-only baseline: finds every "[]"-terminated
 * record and every '|' in it with memchr, and counts records and fields.
 *
 * usage: ledescount FILE
 *
 * Nothing is copied or converted: this is the least any LEDES reader must
 * do, with the 1 MiB reads billcheck uses.  A record may straddle two
 * reads; only its field count is carried over. */
#define _POSIX_C_SOURCE 200809L
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK ((size_t)1 << 20)

struct scan {
	unsigned long long records, fields, odd; /* odd: not 24 fields */
	unsigned long long bars;  /* '|' in the record so far */
	bool               open_bracket; /* the last byte read was '[' */
};

/* Counts the '|' in p[0..n). */
static unsigned long long
bars_in(const char *p, size_t n)
{
	const char *end = p + n;
	unsigned long long k = 0;

	while (p < end) {
		p = memchr(p, '|', (size_t)(end - p));
		if (p == NULL)
			break;
		k++;
		p++;
	}
	return k;
}

static void
end_record(struct scan *s)
{
	s->records++;
	s->fields += s->bars + 1;
	if (s->bars + 1 != 24)
		s->odd++;
	s->bars = 0;
}

static void
feed(struct scan *s, const char *buf, size_t len)
{
	const char *p = buf, *end = buf + len, *close;

	if (len > 0 && s->open_bracket && buf[0] == ']') {
		end_record(s);
		p++;
	}
	s->open_bracket = false;
	while (p < end) {
		close = p;
		for (;;) {
			close = memchr(close, ']', (size_t)(end - close));
			if (close == NULL || (close > p && close[-1] == '['))
				break;
			close++;
		}
		if (close == NULL) {
			s->bars += bars_in(p, (size_t)(end - p));
			s->open_bracket = end[-1] == '[';
			return;
		}
		s->bars += bars_in(p, (size_t)(close - 1 - p));
		end_record(s);
		p = close + 1;
	}
}

int
main(int argc, char **argv)
{
	struct scan s;
	FILE *fp;
	char *buf;
	size_t got;

	if (argc != 2) {
		fputs("usage: ledescount FILE\n", stderr);
		return 2;
	}
	fp = fopen(argv[1], "rb");
	if (fp == NULL) {
		perror(argv[1]);
		return 2;
	}
	buf = malloc(CHUNK);
	if (buf == NULL) {
		fputs("ledescount: out of memory\n", stderr);
		return 2;
	}
	memset(&s, 0, sizeof(s));
	while ((got = fread(buf, 1, CHUNK, fp)) > 0)
		feed(&s, buf, got);
	if (ferror(fp)) {
		perror(argv[1]);
		return 2;
	}
	free(buf);
	fclose(fp);
	printf("%llu records, %llu fields, %llu records without 24 fields\n",
	    s.records, s.fields, s.odd);
	return 0;
}
