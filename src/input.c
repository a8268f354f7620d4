/* input.c - decides an input's format from its first bytes and hands the
 * stream to the LEDES or the CSV reader. */
#include <stdlib.h>
#include <string.h>

#include "csvin.h"
#include "input.h"
#include "ledes.h"
#include "xalloc.h"

/* Enough to see the first record of any real file. */
#define SNIFF_MAX 65536

struct input_reader {
	const char              *name;
	unsigned                 file_index;
	const struct input_opts *opts;
	const struct input_sink *sink;
	struct input_counts      counts;
	ledes_reader            *ledes;
	csv_reader              *csv;
	char                    *head;     /* bytes kept until the format is known */
	size_t                   head_len, head_cap;
	bool                     saw_bytes;
};

const char *
input_format_name(enum input_format f)
{
	switch (f) {
	case FMT_LEDES98B:
		return "LEDES1998B";
	case FMT_LEDES98BI:
		return "LEDES98BI V2";
	case FMT_CSV:
		return "CSV";
	}
	return "";
}

input_reader *
input_reader_new(const char *name, unsigned file_index,
    const struct input_opts *opts, const struct input_sink *sink)
{
	input_reader *r = xcalloc(1, sizeof(*r));

	r->name = name;
	r->file_index = file_index;
	r->opts = opts;
	r->sink = sink;
	return r;
}

/* True once head holds the whole first non-blank line, which is all
 * ledes_sniff looks at, so the choice does not depend on how the file was
 * cut into reads. */
static bool
first_record_seen(const char *p, size_t n)
{
	size_t i = 0;

	if (n >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' ||
	    p[i] == '\n'))
		i++;
	return memchr(p + i, '\n', n - i) != NULL || n >= SNIFF_MAX;
}

bool
input_is_ledes(const char *buf, size_t n)
{
	return first_record_seen(buf, n) && ledes_sniff(buf, n);
}

static void
choose(input_reader *r)
{
	if (ledes_sniff(r->head, r->head_len)) {
		r->ledes = ledes_new(r->name, r->file_index, r->opts, r->sink,
		    &r->counts);
		ledes_feed(r->ledes, r->head, r->head_len);
	} else {
		r->csv = csvin_new(r->name, r->file_index, r->opts, r->sink,
		    &r->counts);
		r->counts.format = FMT_CSV;
		r->counts.format_known = true;
		csvin_feed(r->csv, r->head, r->head_len);
	}
	free(r->head);
	r->head = NULL;
	r->head_len = r->head_cap = 0;
}

void
input_reader_feed(input_reader *r, const char *buf, size_t len)
{
	if (len == 0)
		return;
	r->saw_bytes = true;
	if (r->ledes != NULL) {
		ledes_feed(r->ledes, buf, len);
		return;
	}
	if (r->csv != NULL) {
		csvin_feed(r->csv, buf, len);
		return;
	}
	xgrow(&r->head, &r->head_cap, r->head_len + len, 1);
	memcpy(r->head + r->head_len, buf, len);
	r->head_len += len;
	if (first_record_seen(r->head, r->head_len))
		choose(r);
}

void
input_reader_finish(input_reader *r)
{
	struct diag d;
	size_t i;

	if (r->ledes == NULL && r->csv == NULL) {
		for (i = 0; i < r->head_len; i++)
			if (r->head[i] != ' ' && r->head[i] != '\t' &&
			    r->head[i] != '\r' && r->head[i] != '\n')
				break;
		if (!r->saw_bytes || i == r->head_len) {
			diag_set(&d, DIAG_FORMAT,
			    (struct diag_pos){r->name, 0, 0},
			    "the file is empty: no invoice records");
			r->counts.failed = true;
			r->sink->on_error(r->sink->ctx, &d);
			return;
		}
		choose(r);
	}
	if (r->ledes != NULL)
		ledes_finish(r->ledes);
	else
		csvin_finish(r->csv);
}

void
input_reader_counts(const input_reader *r, struct input_counts *c)
{
	*c = r->counts;
}

void
input_reader_free(input_reader *r)
{
	if (r == NULL)
		return;
	ledes_free(r->ledes);
	csvin_free(r->csv);
	free(r->head);
	free(r);
}
