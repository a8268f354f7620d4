/* ledes.c - LEDES 1998B / 1998BI V2 reader.  LEDES has no quoting: a
 * record is everything up to "[]", newlines are optional, and fields are
 * split on '|', so the scanner works on raw bytes (memchr for "[]", one
 * pass over the record for its fields) and copies only a record that
 * straddles two fed chunks.  A record costs about its bytes / 16 plus a
 * few dozen instructions a field: the invoice's own fields, repeated on
 * every line, are split and parsed once an invoice (struct head). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "bytes.h"
#include "decimal.h"
#include "ledes.h"
#include "xalloc.h"

#define MAX_SPLIT 64 /* fields counted; more is "too many" anyway */

/* The fields before LINE_ITEM_NUMBER describe the invoice, and every line
 * of it repeats them. */
#define HEAD_FIELDS F_LINE_ITEM_NUMBER
#define HEAD_MAX    1024 /* longer heads are read every time */

/* The head of the last line whose invoice fields read without a lint:
 * its bytes through the '|' that ends them, where they are, and what they
 * read as. */
struct head {
	char   *bytes;
	size_t  len;                 /* 0 = none kept */
	size_t  cap;
	size_t  off[HEAD_FIELDS];    /* the trimmed fields */
	size_t  n[HEAD_FIELDS];
	unsigned long nl;            /* newlines in it */
	unsigned long id;            /* invoice_line.head_id */
	bool    long_field;          /* a field above its LEDES size */
	int32_t invoice_date, billing_start, billing_end;
	int64_t invoice_total;
	bool    has_total;
};

enum phase {
	PH_VERSION, /* expecting LEDES1998B[] or LEDES98BI V2[] */
	PH_NAMES,   /* expecting the field-name record */
	PH_DATA,
	PH_FAILED   /* the file's header was wrong: records are not read */
};

/* The largest sizes LEDES allows for text fields ("Character * n"), in
 * field order, so the lints come out in that order and LEDES 1998B's
 * come first. */
static const struct {
	enum field_id field;
	unsigned char max[2]; /* LEDES1998B, LEDES98BI V2 */
} max_lens[] = {
	{F_INVOICE_NUMBER, {20, 50}},
	{F_CLIENT_ID, {20, 20}},
	{F_LAW_FIRM_MATTER_ID, {20, 20}},
	{F_LINE_ITEM_NUMBER, {20, 20}},
	{F_EXP_FEE_INV_ADJ_TYPE, {2, 2}},
	{F_LINE_ITEM_TASK_CODE, {20, 20}},
	{F_LINE_ITEM_EXPENSE_CODE, {20, 20}},
	{F_LINE_ITEM_ACTIVITY_CODE, {20, 20}},
	{F_TIMEKEEPER_ID, {20, 20}},
	{F_LAW_FIRM_ID, {20, 50}},
	{F_TIMEKEEPER_NAME, {30, 30}},
	{F_TIMEKEEPER_CLASSIFICATION, {10, 10}},
	{F_CLIENT_MATTER_ID, {20, 20}},
	{F_CLIENT_TAX_ID, {20, 20}},
	{F_INVOICE_CURRENCY, {3, 3}},
	{F_TIMEKEEPER_LAST_NAME, {30, 30}},
	{F_TIMEKEEPER_FIRST_NAME, {30, 30}},
	{F_INVOICE_TAX_CURRENCY, {3, 3}},
};

#define NLIMITS (sizeof(max_lens) / sizeof(max_lens[0]))

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
#define NNUMS (sizeof(num_fields) / sizeof(num_fields[0]))

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

	struct head               head;
	unsigned long             heads;    /* head ids given out */
	struct limit {
		enum field_id field;
		size_t        max;
	}                         limits[NLIMITS]; /* max_lens for format */
	size_t                    nlimits;
	size_t                    maxlen[F__COUNT]; /* by field; SIZE_MAX */
	bool                      has_column[F__COUNT]; /* field < nfields */
	/* num_fields the format has: [0] all, [1] all but INVOICE_TOTAL */
	const struct num_field   *nums[2][NNUMS];
	size_t                    nnums[2];
	/* The classes last read, by their bytes (n == 0: empty slot). */
	struct class_memo {
		uint64_t      key;
		size_t        n;
		const char   *class;
	}                         classes[16];
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
	free(r->head.bytes);
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

static bool
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static struct text
trim(const char *p, size_t n)
{
	while (n > 0 && is_space(*p)) {
		p++;
		n--;
	}
	while (n > 0 && is_space(p[n - 1]))
		n--;
	return (struct text){p, n};
}

/* Where a record's fields are: the offsets of its '|'s. */
struct bars {
	size_t n;             /* '|' in the record */
	size_t at[MAX_SPLIT]; /* offsets of the first MAX_SPLIT */
};

#if defined(__SSE2__)
/* The '|'s (returned) and the NULs and newlines (*odd) of the 16 bytes at
 * p, as bit masks.  SSE2 is every x86-64: LEDES fields are short, so a
 * memchr a field would cost more in calls than in bytes. */
static unsigned
block16(const char *p, unsigned *odd)
{
	__m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);

	*odd = (unsigned)_mm_movemask_epi8(_mm_or_si128(
	    _mm_cmpeq_epi8(v, _mm_setzero_si128()),
	    _mm_cmpeq_epi8(v, _mm_set1_epi8('\n'))));
	return (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v,
	    _mm_set1_epi8('|')));
}
#endif

/* Finds the '|'s of p[0..n), for the header records and for messages
 * (data records are split by split_fields). */
static void
find_bars(struct bars *b, const char *p, size_t n)
{
	size_t k = 0, i = 0;
#if defined(__SSE2__)
	unsigned m, z;

	for (; i + 16 <= n; i += 16)
		for (m = block16(p + i, &z); m != 0; m &= m - 1) {
			if (k < MAX_SPLIT)
				b->at[k] = i + (size_t)__builtin_ctz(m);
			k++;
		}
#endif
	for (; i < n; i++)
		if (p[i] == '|') {
			if (k < MAX_SPLIT)
				b->at[k] = i;
			k++;
		}
	b->n = k;
}

/* The 1-based column where field j (< MAX_SPLIT) starts. */
static size_t
field_col(const struct bars *b, size_t j)
{
	return (j > 0 ? b->at[j - 1] + 1 : 0) + 1;
}

/* p[start..end), trimmed. */
static struct text
cut(const char *p, size_t start, size_t end)
{
	const char *s = p + start;
	size_t n = end - start;

	/* Spaces are below '!', so one comparison clears most fields. */
	if (n > 0 && ((unsigned char)s[0] <= ' ' ||
	    (unsigned char)s[n - 1] <= ' '))
		return trim(s, n);
	return (struct text){s, n};
}

/* Field j (< MAX_SPLIT, <= b->n) of the record p[0..n), trimmed. */
static struct text
field_at(const struct bars *b, const char *p, size_t n, size_t j)
{
	return cut(p, j > 0 ? b->at[j - 1] + 1 : 0, j < b->n ? b->at[j] : n);
}

/* The 1-based column where field j (< MAX_SPLIT) of p[0..n) starts; for
 * messages only, so it scans again. */
static size_t
col_of(const char *p, size_t n, size_t j)
{
	struct bars b;

	find_bars(&b, p, n);
	return field_col(&b, j);
}

/* What the splitter finds besides fields. */
struct seen {
	size_t        nul;  /* offset of the first NUL, or the length */
	unsigned long nl;   /* newlines */
	bool          long_field; /* one above its LEDES size (max_lens) */
};

/* Notes the NULs and newlines of p[0..16) that mask z (from block16's
 * `odd`) flags. */
static void
see_odd(struct seen *sn, const char *p, size_t base, unsigned z, size_t n)
{
	for (; z != 0; z &= z - 1) {
		size_t j = base + (size_t)__builtin_ctz(z);

		if (p[j] == '\n')
			sn->nl++;
		else if (sn->nul == n)
			sn->nul = j;
	}
}

/* The data records' splitter: stores the fields of p[0..n) from offset
 * `from`, where field k starts, into f[k..nf), trimmed, in one pass, and
 * notes NULs, newlines and fields longer than maxlen[] in *sn.  Returns
 * the field count; fields past nf are counted, not stored.  The work is
 * per '|': the field before it is stored (its limit checked) or, past
 * nf, only counted. */
static size_t
split_fields(const char *p, size_t n, size_t from, size_t k, struct text *f,
    size_t nf, const size_t *maxlen, struct seen *sn)
{
	struct text *fp = f + k, *fend = f + (k < nf ? nf : k);
	const size_t *max = maxlen + k;
	size_t start = from, i = from, extra = 0, base, bar;
	unsigned m = 0, z;
	bool over = false;

	sn->nul = n;
	for (;;) {
#if defined(__SSE2__)
		if (i + 16 <= n) {
			base = i;
			m = block16(p + i, &z);
			i += 16;
		} else if (i < n && n >= 16) {
			/* The last 16 bytes of the record, less the 1-15 of
			 * them already seen. */
			base = n - 16;
			m = block16(p + base, &z) >> (i - base) << (i - base);
			z = z >> (i - base) << (i - base);
			i = n;
		} else
#endif
		if (i < n) {
			/* One byte at a time: records under 16 bytes. */
			base = i;
			m = p[i] == '|';
			z = p[i] == '\n' || p[i] == '\0';
			i++;
		} else {
			break;
		}
		if (z != 0)
			see_odd(sn, p, base, z, n);
		for (; m != 0; m &= m - 1) {
			bar = base + (unsigned)__builtin_ctz(m);
			if (fp < fend) {
				*fp = cut(p, start, bar);
				over |= fp->n > *max;
				fp++;
				max++;
			} else {
				extra++;
			}
			start = bar + 1;
		}
	}
	if (fp < fend) {
		*fp = cut(p, start, n);
		over |= fp->n > *max;
		fp++;
	} else {
		extra++;
	}
	sn->long_field |= over;
	return (size_t)(fp - f) + extra;
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

/* The header is read: data records follow. */
static void
start_data(ledes_reader *r)
{
	size_t i;

	r->nnums[0] = r->nnums[1] = 0;
	for (i = 0; i < NNUMS; i++) {
		if ((size_t)num_fields[i].field >= r->nfields)
			continue;
		r->nums[0][r->nnums[0]++] = &num_fields[i];
		if (num_fields[i].num != N_INVOICE_TOTAL)
			r->nums[1][r->nnums[1]++] = &num_fields[i];
	}
	r->nlimits = 0;
	for (i = 0; i < F__COUNT; i++) {
		r->maxlen[i] = SIZE_MAX;
		r->has_column[i] = i < r->nfields;
	}
	for (i = 0; i < NLIMITS; i++) {
		if ((size_t)max_lens[i].field >= r->nfields)
			continue;
		r->limits[r->nlimits++] = (struct limit){max_lens[i].field,
			max_lens[i].max[r->format == FMT_LEDES98BI]};
		r->maxlen[max_lens[i].field] =
		    max_lens[i].max[r->format == FMT_LEDES98BI];
	}
	r->phase = PH_DATA;
}

static void
names_record(ledes_reader *r, const char *p, size_t n)
{
	struct bars bs;
	struct text f;
	size_t k, i;
	char b[64];

	find_bars(&bs, p, n);
	k = bs.n + 1;
	/* A trailing '|' before "[]" adds one empty name; allow it. */
	if (k == r->nfields + 1 && field_at(&bs, p, n, k - 1).n == 0)
		k--;
	if (k != r->nfields) {
		file_error(r, r->rec_row, 1, "the field-name record has %zu "
		    "name%s ('%s'...); %s has %zu", k, k == 1 ? "" : "s",
		    q(b, field_at(&bs, p, n, 0)), fmt_name(r->format),
		    r->nfields);
		return;
	}
	for (i = 0; i < k; i++) {
		const char *want = field_name((enum field_id)i);

		f = field_at(&bs, p, n, i);
		if (f.n != strlen(want) || strncasecmp(f.p, want, f.n) != 0) {
			file_error(r, r->rec_row, field_col(&bs, i), "field %zu "
			    "of the field-name record is '%s'; %s names it "
			    "'%s'", i + 1, q(b, f), fmt_name(r->format), want);
			return;
		}
	}
	start_data(r);
}

/* A number that did not read as plain LEDES (st is DEC_ERR or DEC_LAX,
 * why says why): read it leniently and lint, or reject the record.
 * Returns -1 when rejected (reported); *total_ok goes false when this is
 * INVOICE_TOTAL and it was linted. */
static int
odd_number(ledes_reader *r, struct invoice_line *l, const struct num_field *nf,
    int st, const char *why, const char *p, size_t n, bool *total_ok)
{
	struct text t = l->field[nf->field];
	char b[64];

	if (st == DEC_ERR) {
		/* What LEDES forbids but a person reads ($1,250.00) is kept
		 * and flagged; the rest is unreadable. */
		const char *why2;

		st = dec_parse_digits(&l->num[nf->num], t.p, t.n, DEC_LENIENT,
		    nf->digits, &why2);
		if (st == DEC_ERR) {
			if (nf->essential) {
				reject(r, col_of(p, n, nf->field), "invalid %s "
				    "'%s': %s", field_name(nf->field), q(b, t),
				    why);
				return -1;
			}
			if (nf->num == N_INVOICE_TOTAL)
				*total_ok = false;
			line_lint(l, nf->field, "%s '%s' is not a number: %s",
			    field_name(nf->field), q(b, t), why);
			return 0;
		}
		why = why2;
	}
	/* More than 4 decimals is DEC_LAX ("more decimals than allowed"),
	 * so a DEC_OK number needs no second look. */
	if (st == DEC_LAX) {
		if (nf->num == N_INVOICE_TOTAL)
			*total_ok = false;
		line_lint(l, nf->field, "%s '%s': %s (LEDES numbers are "
		    "digits, '.' and a leading '-', at most 4 decimals)",
		    field_name(nf->field), q(b, t), why);
	}
	l->num_set |= 1u << nf->num;
	return 0;
}

/* Reads the numbers of the record p[0..n) into l.  Returns -1 when it
 * must be rejected (reported).  With skip_total, INVOICE_TOTAL is left to
 * the caller (the invoice head has it); otherwise *total_ok says whether
 * it read without a lint. */
static int
read_numbers(ledes_reader *r, struct invoice_line *l, const char *p,
    size_t n, bool skip_total, bool *total_ok)
{
	const struct num_field *const *nums = r->nums[skip_total];
	size_t i, count = r->nnums[skip_total];

	*total_ok = true;
	for (i = 0; i < count; i++) {
		const struct num_field *nf = nums[i];
		struct text t = l->field[nf->field];
		const char *why;
		int st;

		if (t.n == 0)
			continue;
		/* Inline, the plain number costs no call. */
		if (dec_parse_plain(&l->num[nf->num], t.p, t.n, nf->digits)) {
			l->num_set |= 1u << nf->num;
			continue;
		}
		st = dec_parse_digits(&l->num[nf->num], t.p, t.n, DEC_STRICT,
		    nf->digits, &why);
		if (st == DEC_OK)
			l->num_set |= 1u << nf->num;
		else if (odd_number(r, l, nf, st, why, p, n, total_ok) < 0)
			return -1;
	}
	return 0;
}

/* Returns false when the date had to be linted. */
static bool
read_date(struct invoice_line *l, enum field_id f, int32_t *out)
{
	const char *why;
	char b[64];

	*out = DATE_NONE;
	if (!l->has_column[f] || l->field[f].n == 0)
		return true;
	if (date_parse(out, l->field[f].p, l->field[f].n, DATE_YMD8, &why) < 0) {
		*out = DATE_NONE;
		line_lint(l, f, "invalid %s '%s': %s", field_name(f),
		    q(b, l->field[f]), why);
		return false;
	}
	return true;
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

	/* Mostly none is blank: one test for all of them first. */
	if (l->field[F_INVOICE_DATE].n != 0 &&
	    l->field[F_INVOICE_NUMBER].n != 0 && l->field[F_CLIENT_ID].n != 0 &&
	    l->field[F_LAW_FIRM_MATTER_ID].n != 0 &&
	    l->field[F_INVOICE_TOTAL].n != 0 &&
	    l->field[F_BILLING_START_DATE].n != 0 &&
	    l->field[F_BILLING_END_DATE].n != 0 &&
	    l->field[F_LINE_ITEM_NUMBER].n != 0 &&
	    l->field[F_EXP_FEE_INV_ADJ_TYPE].n != 0 &&
	    l->field[F_LINE_ITEM_TOTAL].n != 0 &&
	    l->field[F_LINE_ITEM_DATE].n != 0 && l->field[F_LAW_FIRM_ID].n != 0)
		i = sizeof(always) / sizeof(always[0]);
	else
		i = 0;
	for (; i < sizeof(always) / sizeof(always[0]); i++)
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
lint_lengths(const ledes_reader *r, struct invoice_line *l)
{
	const struct limit *lim, *end = r->limits + r->nlimits;

	for (lim = r->limits; lim < end; lim++)
		if (l->field[lim->field].n > lim->max)
			line_lint(l, lim->field, "%s is %zu characters; LEDES "
			    "allows %zu", field_name(lim->field),
			    l->field[lim->field].n, lim->max);
}

/* tk_class_canonical(c), remembered: a file has few classes, and a
 * class of up to 8 bytes is one number when the 8 bytes at c.p are in
 * the record (which ends at end). */
static const char *
class_of(ledes_reader *r, struct text c, const char *end)
{
	struct class_memo *m;
	uint64_t key;

	if (c.n > 8 || end - c.p < 8)
		return tk_class_canonical(c.p, c.n);
	key = bytes_load_le64(c.p);
	if (c.n < 8)
		key &= (UINT64_C(1) << (8 * c.n)) - 1;
	m = &r->classes[(key * UINT64_C(0x9E3779B97F4A7C15)) >> 60];
	if (m->n != c.n || m->key != key) {
		m->key = key;
		m->n = c.n;
		m->class = tk_class_canonical(c.p, c.n);
	}
	return m->class;
}

/* Whether the record at p starts with the kept invoice head. */
static bool
head_matches(const struct head *h, const char *p, size_t n)
{
	return h->len > 0 && n >= h->len && memcmp(p, h->bytes, h->len) == 0;
}

/* Keeps the head of the line just read, whose invoice fields read
 * without a lint, for the invoice's next lines. */
static void
head_keep(ledes_reader *r, const struct invoice_line *l, const char *p,
    size_t n)
{
	struct head *h = &r->head;
	struct text last = l->field[HEAD_FIELDS - 1];
	/* The head's last field ends at a '|' (more fields follow), and
	 * what trim took off its end holds none. */
	const char *bar = memchr(last.p + last.n, '|',
	    (size_t)(p + n - (last.p + last.n)));
	size_t i, len;

	h->len = 0;
	if (bar == NULL || (size_t)(bar - p) >= HEAD_MAX)
		return;
	len = (size_t)(bar - p) + 1;
	xgrow(&h->bytes, &h->cap, len, 1);
	memcpy(h->bytes, p, len);
	h->nl = 0;
	for (i = 0; i < len; i++)
		h->nl += p[i] == '\n';
	h->long_field = false;
	for (i = 0; i < HEAD_FIELDS; i++) {
		h->long_field |= l->field[i].n > r->maxlen[i];
		h->off[i] = (size_t)(l->field[i].p - p);
		h->n[i] = l->field[i].n;
	}
	h->invoice_date = l->invoice_date;
	h->billing_start = l->billing_start;
	h->billing_end = l->billing_end;
	h->invoice_total = l->num[N_INVOICE_TOTAL];
	h->has_total = line_has_num(l, N_INVOICE_TOTAL);
	h->id = ++r->heads;
	h->len = len;
}

/* Reads the data record p[0..n) (trimmed).  Returns the newlines in it,
 * for a caller that counts lines (data_segment). */
static unsigned long
data_record(ledes_reader *r, const char *p, size_t n)
{
	struct invoice_line *l = &r->il;
	struct head *h = &r->head;
	struct seen sn;
	size_t k, i;
	const char *why;
	bool hit, clean;
	char b[64];

	r->counts->records++;
	/* The lines of an invoice repeat its fields, which lead the record:
	 * when they are the last line's bytes, they are its fields too. */
	hit = head_matches(h, p, n);
	sn.nl = hit ? h->nl : 0;
	sn.long_field = hit && h->long_field;
	k = split_fields(p, n, hit ? h->len : 0, hit ? HEAD_FIELDS : 0,
	    l->field, r->nfields, r->maxlen, &sn);
	if (sn.nul < n) {
		reject(r, (unsigned long)sn.nul + 1, "record contains a NUL "
		    "byte");
		return sn.nl;
	}
	/* Fields up to nfields are all written; the rest and what follows
	 * them start blank (the sink may have changed them). */
	memset(&l->field[r->nfields], 0, (F__COUNT - r->nfields) *
	    sizeof(l->field[0]));
	memcpy(l->has_column, r->has_column, sizeof(l->has_column));
	memset(&l->type, 0, offsetof(struct invoice_line, lints) -
	    offsetof(struct invoice_line, type));
	l->nlints = 0;
	if (k > r->nfields) {
		struct bars bs;

		find_bars(&bs, p, n);
		for (i = r->nfields; i < k && i < MAX_SPLIT; i++)
			if (field_at(&bs, p, n, i).n != 0)
				break;
		if (i < k) {
			reject(r, i < MAX_SPLIT ? field_col(&bs, i) : 0, "record "
			    "has %zu fields; %s has %zu%s", k,
			    fmt_name(r->format), r->nfields, memchr(p, '\n', n) ?
			    " (is a '[]' missing at the end of a line?)" : "");
			return sn.nl;
		}
		line_lint(l, F__COUNT, "record has %zu fields; %s has %zu "
		    "(the extra empty fields are ignored)", k,
		    fmt_name(r->format), r->nfields);
	} else if (k < r->nfields) {
		reject(r, 0, "record has %zu field%s; %s has %zu", k,
		    k == 1 ? "" : "s", fmt_name(r->format), r->nfields);
		return sn.nl;
	}
	l->file = r->name;
	l->file_index = r->file_index;
	l->row = r->rec_row;
	l->record = r->counts->records;
	l->format = r->format;
	if (hit)
		for (i = 0; i < HEAD_FIELDS; i++)
			l->field[i] = (struct text){p + h->off[i], h->n[i]};
	if (r->headerless && r->counts->records == 1)
		line_lint(l, F__COUNT, "the file has no LEDES1998B[] version "
		    "record and no field-name record");
	if (date_parse(&l->date, l->field[F_LINE_ITEM_DATE].p,
	    l->field[F_LINE_ITEM_DATE].n, DATE_YMD8, &why) < 0) {
		reject(r, col_of(p, n, F_LINE_ITEM_DATE), "invalid "
		    "LINE_ITEM_DATE '%s': %s", q(b, l->field[F_LINE_ITEM_DATE]),
		    why);
		return sn.nl;
	}
	if (read_numbers(r, l, p, n, hit, &clean) < 0)
		return sn.nl;
	if (hit) {
		l->num[N_INVOICE_TOTAL] = h->invoice_total;
		if (h->has_total)
			l->num_set |= 1u << N_INVOICE_TOTAL;
		l->invoice_date = h->invoice_date;
		l->billing_start = h->billing_start;
		l->billing_end = h->billing_end;
	} else {
		clean &= read_date(l, F_INVOICE_DATE, &l->invoice_date);
		clean &= read_date(l, F_BILLING_START_DATE, &l->billing_start);
		clean &= read_date(l, F_BILLING_END_DATE, &l->billing_end);
	}
	l->type = line_type_parse(l->field[F_EXP_FEE_INV_ADJ_TYPE].p,
	    l->field[F_EXP_FEE_INV_ADJ_TYPE].n);
	/* "Fee"/"Expense" are export words; LEDES writes F, E, IF, IE. */
	if (l->field[F_EXP_FEE_INV_ADJ_TYPE].n > 2)
		l->type = LINE_UNKNOWN;
	if (l->type == LINE_UNKNOWN && l->field[F_EXP_FEE_INV_ADJ_TYPE].n > 0)
		line_lint(l, F_EXP_FEE_INV_ADJ_TYPE, "EXP/FEE/INV_ADJ_TYPE "
		    "'%s' is not F, E, IF or IE",
		    q(b, l->field[F_EXP_FEE_INV_ADJ_TYPE]));
	if (l->field[F_TIMEKEEPER_CLASSIFICATION].n > 0) {
		struct text c = l->field[F_TIMEKEEPER_CLASSIFICATION];

		l->tk_class = class_of(r, c, p + n);
		if (l->tk_class == NULL)
			line_lint(l, F_TIMEKEEPER_CLASSIFICATION,
			    "TIMEKEEPER_CLASSIFICATION '%s' is not a LEDES "
			    "timekeeper class", q(b, c));
	}
	lint_blank_required(l);
	if (sn.long_field)
		lint_lengths(r, l);
	if (!hit && clean)
		head_keep(r, l, p, n);
	if (hit || (clean && h->len > 0))
		l->head_id = h->id;
	r->sink->on_line(r->sink->ctx, l);
	return sn.nl;
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
		{
			struct bars bs;

			find_bars(&bs, t.p, t.n);
			r->nfields = bs.n + 1 >= LEDES98BI_FIELDS ?
			    LEDES98BI_FIELDS : LEDES98B_FIELDS;
		}
		r->format = r->nfields == LEDES98BI_FIELDS ? FMT_LEDES98BI :
		    FMT_LEDES98B;
		r->counts->format = r->format;
		r->counts->format_known = true;
		start_data(r);
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

/* The record kept from earlier feeds, whose '[' ended the last feed. */
static void
bracket_record(ledes_reader *r)
{
	/* Drop the '[' from the kept part (unless that was too long). */
	if (!r->oversize && r->rec_len > 0)
		r->rec_len--;
	record(r, r->rec, r->rec_len);
	r->rec_len = 0;
	r->rec_started = false;
}

/* A data record p[0..n) (up to its "[]") read where it lies: the lines
 * are counted from what data_record sees, not by a pass of their own. */
static void
data_segment(ledes_reader *r, const char *p, size_t n)
{
	const char *s = p, *e = p + n;
	unsigned long nl = 0;

	while (s < e && is_space(*s)) {
		if (*s == '\n')
			r->line++;
		s++;
	}
	if (s == e)
		return; /* "[]" alone, or spaces: nothing to read */
	r->rec_row = r->line;
	while (e > s && is_space(e[-1])) {
		if (e[-1] == '\n')
			nl++;
		e--;
	}
	nl += data_record(r, s, (size_t)(e - s));
	r->line += nl;
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
		/* The usual record: whole in this feed, nothing kept. */
		if (close > p && r->phase == PH_DATA && r->rec_len == 0 &&
		    !r->oversize && (size_t)(close - 1 - p) <= r->max_record) {
			data_segment(r, p, (size_t)(close - 1 - p));
		} else {
			scan_lines(r, p, (size_t)(close - p));
			if (close == p)
				bracket_record(r);
			else
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
