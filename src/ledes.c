/* ledes.c - LEDES 1998B / 1998BI V2 reader.  LEDES has no quoting: a
 * record is everything up to "[]", newlines are optional, and fields are
 * split on '|', so the scanner works on raw bytes with memchr and copies
 * only a record that straddles two fed chunks. */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "decimal.h"
#include "ledes.h"
#include "xalloc.h"

#define MAX_SPLIT 64 /* fields counted; more is "too many" anyway */

enum phase {
	PH_VERSION, /* expecting LEDES1998B[] or LEDES98BI V2[] */
	PH_NAMES,   /* expecting the field-name record */
	PH_DATA,
	PH_FAILED   /* the file's header was wrong: records are not read */
};

struct ledes_reader {
	const char               *name;
	unsigned                  file_index;
	const struct input_opts  *opts;
	const struct input_sink  *sink;
	struct input_counts      *counts;
	enum phase                phase;
	enum input_format         format;
	size_t                    nfields;
	bool                      headerless;
	size_t                    max_record;

	char                     *rec;      /* a record split across feeds */
	size_t                    rec_len, rec_cap;
	bool                      oversize; /* rec stopped growing */
	bool                      open_bracket; /* last byte fed was '[' */
	unsigned long             line;     /* physical line at scan point */
	unsigned long             rec_row;  /* line of the record's start */
	bool                      rec_started; /* saw non-space in record */
	unsigned long             header_rows; /* rows of the names record */

	struct invoice_line       il;
};

static const char *
fmt_name(enum input_format f)
{
	return f == FMT_LEDES98BI ? "LEDES98BI V2" : "LEDES1998B";
}

bool
ledes_sniff(const char *buf, size_t len)
{
	const char *p = buf, *end = buf + len, *nl, *term, *bar;

	if (len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		p += 3;
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' ||
	    *p == '\n'))
		p++;
	if (end - p >= 5 && memcmp(p, "LEDES", 5) == 0)
		return true;
	/* A headerless LEDES file: the first line is a pipe-separated
	 * record that ends in "[]". */
	nl = memchr(p, '\n', (size_t)(end - p));
	if (nl == NULL)
		nl = end;
	bar = memchr(p, '|', (size_t)(nl - p));
	for (term = p; term + 1 < nl; term++)
		if (term[0] == '[' && term[1] == ']')
			break;
	return bar != NULL && term + 1 < nl;
}

ledes_reader *
ledes_new(const char *name, unsigned file_index,
    const struct input_opts *opts, const struct input_sink *sink,
    struct input_counts *counts)
{
	ledes_reader *r = xcalloc(1, sizeof(*r));

	r->name = name;
	r->file_index = file_index;
	r->opts = opts;
	r->sink = sink;
	r->counts = counts;
	r->line = 1;
	r->max_record = opts != NULL && opts->max_record ? opts->max_record :
	    INPUT_MAX_RECORD;
	counts->format = FMT_LEDES98B;
	return r;
}

void
ledes_free(ledes_reader *r)
{
	if (r == NULL)
		return;
	free(r->rec);
	free(r);
}

static void
file_error(ledes_reader *r, unsigned long row, unsigned long col,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void
file_error(ledes_reader *r, unsigned long row, unsigned long col,
    const char *fmt, ...)
{
	struct diag d;
	va_list ap;

	memset(&d, 0, sizeof(d));
	d.code = DIAG_FORMAT;
	d.pos = (struct diag_pos){r->name, row, col};
	va_start(ap, fmt);
	vsnprintf(d.msg, sizeof(d.msg), fmt, ap);
	va_end(ap);
	r->counts->failed = true;
	r->phase = PH_FAILED;
	r->sink->on_error(r->sink->ctx, &d);
}

static void
reject(ledes_reader *r, unsigned long col, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
reject(ledes_reader *r, unsigned long col, const char *fmt, ...)
{
	struct diag d;
	va_list ap;

	memset(&d, 0, sizeof(d));
	d.code = DIAG_FORMAT;
	d.pos = (struct diag_pos){r->name, r->rec_row, col};
	va_start(ap, fmt);
	vsnprintf(d.msg, sizeof(d.msg), fmt, ap);
	va_end(ap);
	r->counts->rejected++;
	r->sink->on_reject(r->sink->ctx, &d);
}

static struct text
trim(const char *p, size_t n)
{
	while (n > 0 && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')) {
		p++;
		n--;
	}
	while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t' ||
	    p[n - 1] == '\r' || p[n - 1] == '\n'))
		n--;
	return (struct text){p, n};
}

/* Splits rec on '|' into f[]; returns the field count (which may exceed
 * MAX_SPLIT, in which case only MAX_SPLIT are stored). */
static size_t
split(const char *p, size_t n, struct text *f, size_t *col)
{
	const char *end = p + n, *start = p, *bar;
	size_t k = 0;

	for (;;) {
		bar = memchr(start, '|', (size_t)(end - start));
		if (k < MAX_SPLIT) {
			col[k] = (size_t)(start - p) + 1;
			f[k] = trim(start, (size_t)((bar ? bar : end) - start));
		}
		k++;
		if (bar == NULL)
			return k;
		start = bar + 1;
	}
}

/* A quoted field value, safe for a terminal and bounded. */
static const char *
q(char *buf, struct text t)
{
	diag_quote(buf, 40, t.p, t.n);
	return buf;
}

static void
version_record(ledes_reader *r, struct text rec)
{
	char b[64];

	if (text_eq(rec, "LEDES1998B")) {
		r->format = FMT_LEDES98B;
		r->nfields = LEDES98B_FIELDS;
		r->phase = PH_NAMES;
	} else if (text_eq(rec, "LEDES98BI V2")) {
		r->format = FMT_LEDES98BI;
		r->nfields = LEDES98BI_FIELDS;
		r->phase = PH_NAMES;
	} else {
		file_error(r, r->rec_row, 1, "unknown LEDES version '%s'; "
		    "billcheck reads LEDES1998B and LEDES98BI V2", q(b, rec));
		return;
	}
	r->counts->format = r->format;
	r->counts->format_known = true;
}

static void
names_record(ledes_reader *r, const char *p, size_t n)
{
	struct text f[MAX_SPLIT];
	size_t col[MAX_SPLIT], k, i;
	char b[64];

	k = split(p, n, f, col);
	/* A trailing '|' before "[]" adds one empty name; allow it. */
	if (k == r->nfields + 1 && f[k - 1].n == 0)
		k--;
	if (k != r->nfields) {
		file_error(r, r->rec_row, 1, "the field-name record has %zu "
		    "name%s ('%s'...); %s has %zu", k, k == 1 ? "" : "s",
		    q(b, f[0]), fmt_name(r->format), r->nfields);
		return;
	}
	for (i = 0; i < k; i++) {
		const char *want = field_name((enum field_id)i);

		if (f[i].n != strlen(want) ||
		    strncasecmp(f[i].p, want, f[i].n) != 0) {
			file_error(r, r->rec_row, col[i], "field %zu of the "
			    "field-name record is '%s'; %s names it '%s'",
			    i + 1, q(b, f[i]), fmt_name(r->format), want);
			return;
		}
	}
	r->phase = PH_DATA;
}

/* The largest sizes LEDES allows for text fields ("Character * n"). */
static size_t
max_len(enum input_format fmt, enum field_id f)
{
	switch (f) {
	case F_INVOICE_NUMBER:
	case F_LAW_FIRM_ID:
		return fmt == FMT_LEDES98BI ? 50 : 20;
	case F_CLIENT_ID:
	case F_LAW_FIRM_MATTER_ID:
	case F_LINE_ITEM_NUMBER:
	case F_LINE_ITEM_TASK_CODE:
	case F_LINE_ITEM_EXPENSE_CODE:
	case F_LINE_ITEM_ACTIVITY_CODE:
	case F_TIMEKEEPER_ID:
	case F_CLIENT_MATTER_ID:
	case F_CLIENT_TAX_ID:
		return 20;
	case F_TIMEKEEPER_NAME:
	case F_TIMEKEEPER_LAST_NAME:
	case F_TIMEKEEPER_FIRST_NAME:
		return 30;
	case F_TIMEKEEPER_CLASSIFICATION:
		return 10;
	case F_EXP_FEE_INV_ADJ_TYPE:
		return 2;
	case F_INVOICE_CURRENCY:
	case F_INVOICE_TAX_CURRENCY:
		return 3;
	default:
		return 0;
	}
}

struct num_field {
	enum num_id   num;
	enum field_id field;
	bool          essential; /* the line cannot be checked without it */
	unsigned      digits;
};

static const struct num_field num_fields[] = {
	{N_UNITS, F_LINE_ITEM_NUMBER_OF_UNITS, true, DEC_DIGITS},
	{N_UNIT_COST, F_LINE_ITEM_UNIT_COST, true, DEC_DIGITS},
	{N_ADJUSTMENT, F_LINE_ITEM_ADJUSTMENT_AMOUNT, true, DEC_DIGITS},
	{N_TOTAL, F_LINE_ITEM_TOTAL, true, DEC_DIGITS},
	{N_INVOICE_TOTAL, F_INVOICE_TOTAL, false, DEC_DIGITS},
	{N_TAX_RATE, F_LINE_ITEM_TAX_RATE, false, DEC_RATE_DIGITS},
	{N_TAX_TOTAL, F_LINE_ITEM_TAX_TOTAL, true, DEC_DIGITS},
	{N_INVOICE_TAX_TOTAL, F_INVOICE_TAX_TOTAL, false, DEC_DIGITS},
	{N_INVOICE_NET_TOTAL, F_INVOICE_NET_TOTAL, false, DEC_DIGITS},
};

/* Returns -1 when the record must be rejected (already reported). */
static int
read_numbers(ledes_reader *r, struct invoice_line *l, const size_t *col)
{
	size_t i;
	char b[64];

	for (i = 0; i < sizeof(num_fields) / sizeof(num_fields[0]); i++) {
		const struct num_field *nf = &num_fields[i];
		struct text t = l->field[nf->field];
		const char *why;
		int st;

		if (!l->has_column[nf->field] || t.n == 0)
			continue;
		st = dec_parse_digits(&l->num[nf->num], t.p, t.n, DEC_STRICT,
		    nf->digits, &why);
		if (st == DEC_ERR) {
			/* What LEDES forbids but a person reads ($1,250.00)
			 * is kept and flagged; the rest is unreadable. */
			const char *why2;

			st = dec_parse_digits(&l->num[nf->num], t.p, t.n,
			    DEC_LENIENT, nf->digits, &why2);
			if (st == DEC_ERR) {
				if (nf->essential) {
					reject(r, col[nf->field], "invalid %s "
					    "'%s': %s", field_name(nf->field),
					    q(b, t), why);
					return -1;
				}
				line_lint(l, nf->field, "%s '%s' is not a "
				    "number: %s", field_name(nf->field),
				    q(b, t), why);
				continue;
			}
			why = why2;
		}
		if (st == DEC_LAX)
			line_lint(l, nf->field, "%s '%s': %s (LEDES numbers "
			    "are digits, '.' and a leading '-', at most 4 "
			    "decimals)", field_name(nf->field), q(b, t), why);
		else if (nf->num != N_TAX_RATE && dec_frac_digits(t.p, t.n) >
		    DEC_DIGITS)
			line_lint(l, nf->field, "%s '%s' has more than 4 "
			    "decimals", field_name(nf->field), q(b, t));
		l->num_set |= 1u << nf->num;
	}
	return 0;
}

static void
read_date(struct invoice_line *l, enum field_id f, int32_t *out)
{
	const char *why;
	char b[64];

	*out = DATE_NONE;
	if (!l->has_column[f] || l->field[f].n == 0)
		return;
	if (date_parse(out, l->field[f].p, l->field[f].n, DATE_YMD8, &why) < 0) {
		*out = DATE_NONE;
		line_lint(l, f, "invalid %s '%s': %s", field_name(f),
		    q(b, l->field[f]), why);
	}
}

static void
lint_blank_required(struct invoice_line *l)
{
	static const enum field_id always[] = {
		F_INVOICE_DATE, F_INVOICE_NUMBER, F_CLIENT_ID,
		F_LAW_FIRM_MATTER_ID, F_INVOICE_TOTAL, F_BILLING_START_DATE,
		F_BILLING_END_DATE, F_LINE_ITEM_NUMBER, F_EXP_FEE_INV_ADJ_TYPE,
		F_LINE_ITEM_TOTAL, F_LINE_ITEM_DATE, F_LAW_FIRM_ID,
	};
	static const enum field_id bi[] = {
		F_INVOICE_NET_TOTAL, F_INVOICE_CURRENCY, F_LINE_ITEM_TAX_TOTAL,
	};
	size_t i;

	for (i = 0; i < sizeof(always) / sizeof(always[0]); i++)
		if (l->field[always[i]].n == 0)
			line_lint(l, always[i], "required field %s is blank",
			    field_name(always[i]));
	if (l->format == FMT_LEDES98BI)
		for (i = 0; i < sizeof(bi) / sizeof(bi[0]); i++)
			if (l->field[bi[i]].n == 0)
				line_lint(l, bi[i], "required field %s is "
				    "blank", field_name(bi[i]));
	if (l->type == LINE_FEE || l->type == LINE_EXPENSE) {
		if (l->field[F_LINE_ITEM_NUMBER_OF_UNITS].n == 0)
			line_lint(l, F_LINE_ITEM_NUMBER_OF_UNITS, "required "
			    "field LINE_ITEM_NUMBER_OF_UNITS is blank on a %s "
			    "line", line_type_name(l->type));
		if (l->field[F_LINE_ITEM_UNIT_COST].n == 0)
			line_lint(l, F_LINE_ITEM_UNIT_COST, "required field "
			    "LINE_ITEM_UNIT_COST is blank on a %s line",
			    line_type_name(l->type));
	}
	if (l->type == LINE_FEE && l->field[F_TIMEKEEPER_ID].n == 0)
		line_lint(l, F_TIMEKEEPER_ID, "required field TIMEKEEPER_ID is "
		    "blank on a fee line");
}

static void
data_record(ledes_reader *r, const char *p, size_t n)
{
	struct invoice_line *l = &r->il;
	struct text f[MAX_SPLIT];
	size_t col[MAX_SPLIT], k, i;
	const char *why;
	char b[64];

	r->counts->records++;
	if (memchr(p, '\0', n) != NULL) {
		reject(r, (unsigned long)((const char *)memchr(p, '\0', n) - p) +
		    1, "record contains a NUL byte");
		return;
	}
	k = split(p, n, f, col);
	memset(l, 0, offsetof(struct invoice_line, lints));
	l->nlints = 0;
	if (k > r->nfields) {
		for (i = r->nfields; i < k && i < MAX_SPLIT; i++)
			if (f[i].n != 0)
				break;
		if (i < k) {
			reject(r, i < MAX_SPLIT ? col[i] : 0, "record has %zu "
			    "fields; %s has %zu%s", k, fmt_name(r->format),
			    r->nfields, memchr(p, '\n', n) ? " (is a '[]' "
			    "missing at the end of a line?)" : "");
			return;
		}
		line_lint(l, F__COUNT, "record has %zu fields; %s has %zu "
		    "(the extra empty fields are ignored)", k,
		    fmt_name(r->format), r->nfields);
	} else if (k < r->nfields) {
		reject(r, 0, "record has %zu field%s; %s has %zu", k,
		    k == 1 ? "" : "s", fmt_name(r->format), r->nfields);
		return;
	}
	l->file = r->name;
	l->file_index = r->file_index;
	l->row = r->rec_row;
	l->record = r->counts->records;
	l->format = r->format;
	for (i = 0; i < r->nfields; i++) {
		l->field[i] = f[i];
		l->has_column[i] = true;
	}
	if (r->headerless && r->counts->records == 1)
		line_lint(l, F__COUNT, "the file has no LEDES1998B[] version "
		    "record and no field-name record");
	if (date_parse(&l->date, f[F_LINE_ITEM_DATE].p, f[F_LINE_ITEM_DATE].n,
	    DATE_YMD8, &why) < 0) {
		reject(r, col[F_LINE_ITEM_DATE], "invalid LINE_ITEM_DATE '%s': "
		    "%s", q(b, f[F_LINE_ITEM_DATE]), why);
		return;
	}
	if (read_numbers(r, l, col) < 0)
		return;
	read_date(l, F_INVOICE_DATE, &l->invoice_date);
	read_date(l, F_BILLING_START_DATE, &l->billing_start);
	read_date(l, F_BILLING_END_DATE, &l->billing_end);
	l->type = line_type_parse(f[F_EXP_FEE_INV_ADJ_TYPE].p,
	    f[F_EXP_FEE_INV_ADJ_TYPE].n);
	/* "Fee"/"Expense" are export words; LEDES writes F, E, IF, IE. */
	if (f[F_EXP_FEE_INV_ADJ_TYPE].n > 2)
		l->type = LINE_UNKNOWN;
	if (l->type == LINE_UNKNOWN && f[F_EXP_FEE_INV_ADJ_TYPE].n > 0)
		line_lint(l, F_EXP_FEE_INV_ADJ_TYPE, "EXP/FEE/INV_ADJ_TYPE "
		    "'%s' is not F, E, IF or IE", q(b, f[F_EXP_FEE_INV_ADJ_TYPE]));
	if (f[F_TIMEKEEPER_CLASSIFICATION].n > 0) {
		l->tk_class = tk_class_canonical(f[F_TIMEKEEPER_CLASSIFICATION].p,
		    f[F_TIMEKEEPER_CLASSIFICATION].n);
		if (l->tk_class == NULL)
			line_lint(l, F_TIMEKEEPER_CLASSIFICATION,
			    "TIMEKEEPER_CLASSIFICATION '%s' is not a LEDES "
			    "timekeeper class", q(b,
			    f[F_TIMEKEEPER_CLASSIFICATION]));
	}
	lint_blank_required(l);
	for (i = 0; i < r->nfields; i++) {
		size_t max = max_len(r->format, (enum field_id)i);

		if (max > 0 && f[i].n > max)
			line_lint(l, (enum field_id)i, "%s is %zu characters; "
			    "LEDES allows %zu", field_name((enum field_id)i),
			    f[i].n, max);
	}
	r->sink->on_line(r->sink->ctx, l);
}

/* One complete record (without its "[]"). */
static void
record(ledes_reader *r, const char *p, size_t n)
{
	struct text t = trim(p, n);

	if (r->oversize) {
		r->oversize = false;
		if (r->phase == PH_DATA || r->phase == PH_FAILED) {
			r->counts->records++;
			reject(r, 0, "record is longer than %zu bytes",
			    r->max_record);
		} else {
			file_error(r, r->rec_row, 1, "header record is longer "
			    "than %zu bytes", r->max_record);
		}
		return;
	}
	if (t.n == 0 && r->phase != PH_NAMES)
		return; /* "[]" alone, or spaces: nothing to read */
	switch (r->phase) {
	case PH_VERSION:
		if (t.n >= 5 && memcmp(t.p, "LEDES", 5) == 0) {
			version_record(r, t);
			return;
		}
		/* Data without the two header records. */
		r->headerless = true;
		r->nfields = split(t.p, t.n, (struct text[MAX_SPLIT]){{0}},
		    (size_t[MAX_SPLIT]){0}) >= LEDES98BI_FIELDS ?
		    LEDES98BI_FIELDS : LEDES98B_FIELDS;
		r->format = r->nfields == LEDES98BI_FIELDS ? FMT_LEDES98BI :
		    FMT_LEDES98B;
		r->counts->format = r->format;
		r->counts->format_known = true;
		r->phase = PH_DATA;
		data_record(r, t.p, t.n);
		return;
	case PH_NAMES:
		names_record(r, t.p, t.n);
		return;
	case PH_DATA:
		data_record(r, t.p, t.n);
		return;
	case PH_FAILED:
		r->counts->records++;
		r->counts->rejected++;
		return;
	}
}

static void
append(ledes_reader *r, const char *p, size_t n)
{
	if (r->oversize)
		return;
	/* A '[' at the end may be the first half of the terminator: it is
	 * not part of the record until the next byte says so. */
	if (r->rec_len + n - (n > 0 && p[n - 1] == '[') > r->max_record) {
		r->oversize = true;
		r->rec_len = 0;
		return;
	}
	xgrow(&r->rec, &r->rec_cap, r->rec_len + n, 1);
	memcpy(r->rec + r->rec_len, p, n);
	r->rec_len += n;
}

/* Advances the line count over p[0..n), noting where the record starts. */
static void
scan_lines(ledes_reader *r, const char *p, size_t n)
{
	const char *end = p + n, *nl;

	while (p < end) {
		if (!r->rec_started) {
			while (p < end && (*p == ' ' || *p == '\t' ||
			    *p == '\r' || *p == '\n')) {
				if (*p == '\n')
					r->line++;
				p++;
			}
			if (p == end)
				return;
			r->rec_started = true;
			r->rec_row = r->line;
		}
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			return;
		r->line++;
		p = nl + 1;
	}
}

static void
end_record(ledes_reader *r, const char *p, size_t n)
{
	/* Measure every record, not only those split across feeds, so the
	 * limit does not depend on how the file was read. */
	if (!r->oversize && r->rec_len + n > r->max_record) {
		r->oversize = true;
		r->rec_len = 0;
	}
	if (r->rec_len > 0 || r->oversize) {
		append(r, p, n);
		record(r, r->rec, r->rec_len);
		r->rec_len = 0;
	} else {
		record(r, p, n);
	}
	r->rec_started = false;
}

void
ledes_feed(ledes_reader *r, const char *buf, size_t len)
{
	const char *p = buf, *end = buf + len, *close;

	while (p < end) {
		close = p;
		for (;;) {
			close = memchr(close, ']', (size_t)(end - close));
			if (close == NULL || (close > p && close[-1] == '[') ||
			    (close == p && r->open_bracket))
				break;
			close++;
		}
		if (close == NULL) {
			scan_lines(r, p, (size_t)(end - p));
			append(r, p, (size_t)(end - p));
			r->open_bracket = end[-1] == '[';
			return;
		}
		scan_lines(r, p, (size_t)(close - p));
		if (close == p) {
			/* The '[' ended the previous feed: drop it from the
			 * buffered part (unless that part was too long). */
			if (!r->oversize && r->rec_len > 0)
				r->rec_len--;
			record(r, r->rec, r->rec_len);
			r->rec_len = 0;
			r->rec_started = false;
		} else {
			end_record(r, p, (size_t)(close - 1 - p));
		}
		r->open_bracket = false;
		p = close + 1;
	}
}

void
ledes_finish(ledes_reader *r)
{
	struct text rest;

	rest = trim(r->rec, r->rec_len);
	if (r->oversize || rest.n > 0) {
		if (r->phase == PH_DATA || r->phase == PH_FAILED) {
			r->counts->records++;
			if (r->oversize)
				reject(r, 0, "record is longer than %zu bytes",
				    r->max_record);
			else if (r->phase == PH_DATA)
				reject(r, 0, "the last record has no '[]' "
				    "terminator (is the file truncated?)");
			else
				r->counts->rejected++;
		} else if (r->phase == PH_VERSION) {
			record(r, r->rec, r->rec_len);
		} else {
			file_error(r, r->rec_row, 1, "the field-name record "
			    "has no '[]' terminator");
		}
	}
	r->rec_len = 0;
	if (r->phase == PH_NAMES)
		file_error(r, r->line, 0, "the file ends after its %s "
		    "version record, with no field names or invoice lines",
		    fmt_name(r->format));
	else if (r->phase == PH_DATA && r->counts->records == 0)
		file_error(r, r->line, 0, "the file has %s header records but "
		    "no invoice lines", fmt_name(r->format));
	else if (r->phase == PH_VERSION)
		file_error(r, 1, 0, "the file has no LEDES records");
}
