/* csvin.c - delimited exports (libcsv) -> invoice_line, streaming. */
#include <csv.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "bytes.h"
#include "csvin.h"
#include "decimal.h"
#include "xalloc.h"

#define CSVIN_OPTS     (CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL)
#define CSVIN_MAX_COLS 1024 /* header columns we are willing to map */
#define CSVIN_QUOTE    60   /* bytes of an offending value shown */
#define CSVIN_HDR_SHOW 240  /* bytes of the header shown in an error */
#define CSVIN_NONE     ((size_t)-1)
#define CSVIN_MEMO_KEY 22   /* longest text a memo keeps */
#define CSVIN_MEMO_BITS 6   /* a memo keeps 1 << CSVIN_MEMO_BITS texts */

/*
 * Header names that are not LEDES field names.  Matched ignoring case,
 * spaces (and line breaks), '_', '-', '#' and '.'; add a row to teach
 * the reader a new export.  A name the rules file gives in input.columns
 * wins over these.
 */
static const struct column_alias {
	const char   *name;
	enum field_id field;
} column_aliases[] = {
	{"Date", F_LINE_ITEM_DATE},
	{"Work Date", F_LINE_ITEM_DATE},
	{"Entry Date", F_LINE_ITEM_DATE},
	{"Service Date", F_LINE_ITEM_DATE},
	{"Date Worked", F_LINE_ITEM_DATE},
	{"Timekeeper", F_TIMEKEEPER_ID},
	{"Timekeeper ID", F_TIMEKEEPER_ID},
	{"TK", F_TIMEKEEPER_ID},
	{"TK ID", F_TIMEKEEPER_ID},
	{"Biller ID", F_TIMEKEEPER_ID},
	{"User ID", F_TIMEKEEPER_ID},
	{"Timekeeper Name", F_TIMEKEEPER_NAME},
	{"Biller", F_TIMEKEEPER_NAME},
	{"Attorney", F_TIMEKEEPER_NAME},
	{"Name", F_TIMEKEEPER_NAME},
	{"Class", F_TIMEKEEPER_CLASSIFICATION},
	{"Classification", F_TIMEKEEPER_CLASSIFICATION},
	{"Title", F_TIMEKEEPER_CLASSIFICATION},
	{"Role", F_TIMEKEEPER_CLASSIFICATION},
	{"Level", F_TIMEKEEPER_CLASSIFICATION},
	{"Hours", F_LINE_ITEM_NUMBER_OF_UNITS},
	{"Units", F_LINE_ITEM_NUMBER_OF_UNITS},
	{"Quantity", F_LINE_ITEM_NUMBER_OF_UNITS},
	{"Qty", F_LINE_ITEM_NUMBER_OF_UNITS},
	{"Hrs", F_LINE_ITEM_NUMBER_OF_UNITS},
	{"Hours Worked", F_LINE_ITEM_NUMBER_OF_UNITS},
	{"HoursWork", F_LINE_ITEM_NUMBER_OF_UNITS},
	{"Rate", F_LINE_ITEM_UNIT_COST},
	{"Unit Cost", F_LINE_ITEM_UNIT_COST},
	{"Unit Price", F_LINE_ITEM_UNIT_COST},
	{"Price", F_LINE_ITEM_UNIT_COST},
	{"Hourly Rate", F_LINE_ITEM_UNIT_COST},
	{"Amount", F_LINE_ITEM_TOTAL},
	{"Total", F_LINE_ITEM_TOTAL},
	{"Line Total", F_LINE_ITEM_TOTAL},
	{"Fees", F_LINE_ITEM_TOTAL},
	{"Line Amount", F_LINE_ITEM_TOTAL},
	{"Value", F_LINE_ITEM_TOTAL},
	{"Adjustment", F_LINE_ITEM_ADJUSTMENT_AMOUNT},
	{"Discount", F_LINE_ITEM_ADJUSTMENT_AMOUNT},
	{"Description", F_LINE_ITEM_DESCRIPTION},
	{"Narrative", F_LINE_ITEM_DESCRIPTION},
	{"Notes", F_LINE_ITEM_DESCRIPTION},
	{"Memo", F_LINE_ITEM_DESCRIPTION},
	{"Item Description", F_LINE_ITEM_DESCRIPTION},
	{"Task Description", F_LINE_ITEM_DESCRIPTION},
	{"Task Code", F_LINE_ITEM_TASK_CODE},
	{"Task", F_LINE_ITEM_TASK_CODE},
	{"UTBMS Task", F_LINE_ITEM_TASK_CODE},
	{"Phase Code", F_LINE_ITEM_TASK_CODE},
	{"Activity Code", F_LINE_ITEM_ACTIVITY_CODE},
	{"Activity", F_LINE_ITEM_ACTIVITY_CODE},
	{"UTBMS Activity", F_LINE_ITEM_ACTIVITY_CODE},
	{"Expense Code", F_LINE_ITEM_EXPENSE_CODE},
	{"ExpCd", F_LINE_ITEM_EXPENSE_CODE},
	{"Cost Code", F_LINE_ITEM_EXPENSE_CODE},
	{"Disbursement Code", F_LINE_ITEM_EXPENSE_CODE},
	{"Invoice", F_INVOICE_NUMBER},
	{"Invoice Number", F_INVOICE_NUMBER},
	{"Invoice No", F_INVOICE_NUMBER},
	{"Invoice ID", F_INVOICE_NUMBER},
	{"Bill Number", F_INVOICE_NUMBER},
	{"Invoice Date", F_INVOICE_DATE},
	{"Bill Date", F_INVOICE_DATE},
	{"Date Issued", F_INVOICE_DATE},
	{"Invoice Total", F_INVOICE_TOTAL},
	{"Matter", F_LAW_FIRM_MATTER_ID},
	{"Matter Number", F_LAW_FIRM_MATTER_ID},
	{"Matter ID", F_LAW_FIRM_MATTER_ID},
	{"Firm Matter", F_LAW_FIRM_MATTER_ID},
	{"Client Matter", F_CLIENT_MATTER_ID},
	{"Client Matter Number", F_CLIENT_MATTER_ID},
	{"Matter Name", F_MATTER_NAME},
	{"Client", F_CLIENT_ID},
	{"Client ID", F_CLIENT_ID},
	{"Firm", F_LAW_FIRM_ID},
	{"Vendor", F_LAW_FIRM_ID},
	{"Law Firm", F_LAW_FIRM_ID},
	{"Firm ID", F_LAW_FIRM_ID},
	{"Vendor ID", F_LAW_FIRM_ID},
	{"Tax ID", F_LAW_FIRM_ID},
	{"Firm Name", F_LAW_FIRM_NAME},
	{"Vendor Name", F_LAW_FIRM_NAME},
	{"Law Firm Name", F_LAW_FIRM_NAME},
	{"Type", F_EXP_FEE_INV_ADJ_TYPE},
	{"Entry Type", F_EXP_FEE_INV_ADJ_TYPE},
	{"Line Type", F_EXP_FEE_INV_ADJ_TYPE},
	{"Item Type", F_EXP_FEE_INV_ADJ_TYPE},
	{"Line", F_LINE_ITEM_NUMBER},
	{"Line Number", F_LINE_ITEM_NUMBER},
	{"Line No", F_LINE_ITEM_NUMBER},
	{"Entry", F_LINE_ITEM_NUMBER},
	{"Entry ID", F_LINE_ITEM_NUMBER},
	{"Item", F_LINE_ITEM_NUMBER},
	{"Billing Start", F_BILLING_START_DATE},
	{"Period Start", F_BILLING_START_DATE},
	{"From", F_BILLING_START_DATE},
	{"Billing End", F_BILLING_END_DATE},
	{"Period End", F_BILLING_END_DATE},
	{"To", F_BILLING_END_DATE},
	{"Currency", F_INVOICE_CURRENCY},
	{"PO", F_PO_NUMBER},
	{"PO Number", F_PO_NUMBER},
	{"Purchase Order", F_PO_NUMBER},
	{"Tax", F_LINE_ITEM_TAX_TOTAL},
	{"Tax Amount", F_LINE_ITEM_TAX_TOTAL},
	{"Tax Rate", F_LINE_ITEM_TAX_RATE},
};

/* Job titles exports write where LEDES wants a class code. */
static const struct {
	const char *title, *code;
} class_titles[] = {
	{"Partner", "PARTNR"},
	{"Associate", "ASSOC"},
	{"Of Counsel", "OFCOUN"},
	{"Paralegal", "PARALG"},
	{"Legal Assistant", "LGLAST"},
};

/* The numeric fields a record may carry, and where they go. */
static const struct num_field {
	enum field_id f;
	enum num_id   id;
	unsigned      digits;
} num_fields[] = {
	{F_LINE_ITEM_NUMBER_OF_UNITS, N_UNITS, DEC_DIGITS},
	{F_LINE_ITEM_UNIT_COST, N_UNIT_COST, DEC_DIGITS},
	{F_LINE_ITEM_ADJUSTMENT_AMOUNT, N_ADJUSTMENT, DEC_DIGITS},
	{F_LINE_ITEM_TOTAL, N_TOTAL, DEC_DIGITS},
	{F_INVOICE_TOTAL, N_INVOICE_TOTAL, DEC_DIGITS},
	{F_LINE_ITEM_TAX_RATE, N_TAX_RATE, DEC_RATE_DIGITS},
	{F_LINE_ITEM_TAX_TOTAL, N_TAX_TOTAL, DEC_DIGITS},
	{F_INVOICE_TAX_TOTAL, N_INVOICE_TAX_TOTAL, DEC_DIGITS},
	{F_INVOICE_NET_TOTAL, N_INVOICE_NET_TOTAL, DEC_DIGITS},
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* Where a field's bytes sit in the record buffer. */
struct span {
	size_t off, len;
};

/*
 * Texts one column's converter read lately and what it made of them, in
 * a small table indexed by a hash of the text (a new text takes over its
 * slot).  Exports repeat the invoice's dates and totals on every line,
 * and a month's days, a firm's rates and classes and the usual hours
 * over and over, so most fields are not converted again.  Only readings
 * that succeeded are kept; the converters are pure, so a hit is exact.
 */
struct memo_slot {
	unsigned char n;                 /* key bytes; 0 = empty */
	bool          rounded;           /* the number had too many decimals */
	char          key[CSVIN_MEMO_KEY];
	union {
		int64_t     v;               /* the number or day */
		const char *cls;             /* the class (class memos) */
	} u;
};

struct memo {
	struct memo_slot slot[1 << CSVIN_MEMO_BITS];
};

struct csv_reader {
	const char                *name;  /* display name, borrowed */
	const char                *base;  /* name after the last '/' */
	unsigned                   file_index;
	const struct input_opts   *opts;  /* borrowed */
	const struct input_sink   *sink;  /* borrowed */
	struct input_counts       *counts; /* caller's tally */
	size_t                     max_record; /* bytes */
	enum date_form             date_form;

	struct csv_parser          csv;
	unsigned char              delim;
	bool                       delim_known; /* header line seen */
	bool                       finished;

	/* The first line, held back until it is complete so the delimiter
	 * can be chosen from it. */
	char                      *hbuf;
	size_t                     hlen, hcap;

	/* Physical position of the next byte fed to libcsv. */
	unsigned long              line;     /* 1-based */
	size_t                     line_off; /* bytes of this line so far */
	bool                       prev_cr;  /* last feed ended in '\r' */
	bool                       skip_line; /* drop bytes to end of line */

	/* The record being read. */
	bool                       rec_open;
	unsigned long              rec_line;   /* line it starts on */
	unsigned long              field_line; /* line its last field began */
	size_t                     rec_bytes;  /* bytes fed so far */
	char                      *rec;        /* field bytes, back to back */
	size_t                     rec_len, rec_cap;
	struct span               *fld;
	size_t                     fld_cap;
	size_t                     nfields;    /* fields seen, even unstored */
	bool                       rec_nonblank;
	bool                       rec_nul;    /* a NUL byte was fed */

	/* The header, once read. */
	bool                       header_done;
	bool                       failed;      /* the file cannot be read */
	size_t                     ncols;
	unsigned char             *col_field;   /* ncols: field or F__COUNT */
	size_t                     col_of[F__COUNT]; /* or CSVIN_NONE */
	unsigned char              mapped[F__COUNT]; /* fields with a column */
	size_t                     nmapped;
	struct text                fixed[F__COUNT]; /* defaults, file name */
	unsigned char              fixed_ids[F__COUNT];
	size_t                     nfixed;
	bool                       has_col[F__COUNT];
	bool                       number_lines; /* no LINE_ITEM_NUMBER */

	unsigned long              data_no;      /* data records so far */
	char                       line_no[24];  /* LINE_ITEM_NUMBER text */
	struct input_counts        own_counts;   /* when counts is NULL */
	struct memo                num_memo[N__COUNT];
	struct memo                date_memo[4]; /* line, invoice, start, end */
	struct memo                cls_memo;
	struct invoice_line        out;      /* the line handed to on_line */
};

static const struct input_opts csvin_no_opts;
static const struct input_sink csvin_no_sink;

static inline bool
is_blank_byte(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static struct text
text_trim(const char *p, size_t n)
{
	struct text t;

	while (n > 0 && is_blank_byte((unsigned char)*p)) {
		p++;
		n--;
	}
	while (n > 0 && is_blank_byte((unsigned char)p[n - 1]))
		n--;
	t.p = p;
	t.n = n;
	return t;
}

/* a[0..n) == b[0..n) for n <= CSVIN_MEMO_KEY, in a few word compares
 * (overlapping where n is no multiple of the word): a memcmp call costs
 * more than the compare on texts this short. */
static inline bool
short_eq(const char *a, const char *b, size_t n)
{
	size_t i;

	if (n >= 8) {
		if (bytes_load64(a) != bytes_load64(b) ||
		    bytes_load64(a + n - 8) != bytes_load64(b + n - 8))
			return false;
		return n <= 16 || bytes_load64(a + 8) == bytes_load64(b + 8);
	}
	if (n >= 4)
		return bytes_load32(a) == bytes_load32(b) &&
		    bytes_load32(a + n - 4) == bytes_load32(b + n - 4);
	for (i = 0; i < n; i++)
		if (a[i] != b[i])
			return false;
	return true;
}

/* The slot of m that holds t's reading, if m has it. */
static inline struct memo_slot *
memo_slot(struct memo *m, struct text t)
{
	uint64_t a, b;

	if (t.n >= 8) {
		a = bytes_load64(t.p);
		b = bytes_load64(t.p + t.n - 8);
	} else if (t.n >= 4) {
		a = bytes_load32(t.p);
		b = bytes_load32(t.p + t.n - 4);
	} else {
		a = t.n > 0 ? (unsigned char)t.p[0] : 0;
		b = t.n > 1 ? (unsigned char)t.p[t.n - 1] : 0;
	}
	a = (a * UINT64_C(0x9e3779b97f4a7c15) ^ b ^ t.n) *
	    UINT64_C(0xff51afd7ed558ccd);
	return &m->slot[a >> (64 - CSVIN_MEMO_BITS)];
}

static inline void
store64(char *p, uint64_t v)
{
	memcpy(p, &v, sizeof(v));
}

static inline void
store32(char *p, uint32_t v)
{
	memcpy(p, &v, sizeof(v));
}

/* memcpy for the short texts of most fields, without the call (which
 * would cost csvin_on_field a stack frame). */
static inline void
copy_text(char *d, const char *s, size_t n)
{
	size_t i;

	if (n >= 8) {
		for (i = 0; i + 8 < n; i += 8)
			store64(d + i, bytes_load64(s + i));
		store64(d + n - 8, bytes_load64(s + n - 8));
	} else if (n >= 4) {
		uint32_t a = bytes_load32(s), b = bytes_load32(s + n - 4);

		store32(d, a);
		store32(d + n - 4, b);
	} else {
		for (i = 0; i < n; i++)
			d[i] = s[i];
	}
}

static inline bool
memo_hit(const struct memo_slot *s, struct text t)
{
	return s->n == t.n && t.n > 0 && short_eq(s->key, t.p, t.n);
}

/* Remembers t in s, if it fits; the caller fills in what it made of it. */
static bool
memo_put(struct memo_slot *s, struct text t)
{
	if (t.n > CSVIN_MEMO_KEY) {
		s->n = 0;
		return false;
	}
	memcpy(s->key, t.p, t.n);
	s->n = (unsigned char)t.n;
	return true;
}

static bool
is_ignorable(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '_' ||
	    c == '-' || c == '#' || c == '.';
}

static char
ascii_upper(char c)
{
	return c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
}

/* Compares a header name with an alias, ignoring case and is_ignorable. */
static bool
alias_eq(const char *s, size_t n, const char *alias)
{
	size_t i = 0;

	for (;;) {
		while (i < n && is_ignorable(s[i]))
			i++;
		while (*alias != '\0' && is_ignorable(*alias))
			alias++;
		if (i == n || *alias == '\0')
			return i == n && *alias == '\0';
		if (ascii_upper(s[i]) != ascii_upper(*alias))
			return false;
		i++;
		alias++;
	}
}

/* The field a header name stands for, or F__COUNT. */
static enum field_id
csvin_column_lookup(const char *s, size_t n)
{
	enum field_id f = field_lookup(s, n);
	size_t i;

	if (f != F__COUNT || n == 0)
		return f;
	for (i = 0; i < NELEM(column_aliases); i++)
		if (alias_eq(s, n, column_aliases[i].name))
			return column_aliases[i].field;
	return F__COUNT;
}

/* The canonical class of a classification cell, or NULL. */
static const char *
csvin_class_lookup(struct text t)
{
	const char *c;
	size_t i;

	c = tk_class_canonical(t.p, t.n);
	if (c != NULL)
		return c;
	for (i = 0; i < NELEM(class_titles); i++)
		if (alias_eq(t.p, t.n, class_titles[i].title))
			return tk_class_canonical(class_titles[i].code,
			    strlen(class_titles[i].code));
	return NULL;
}

/* csvin_class_lookup through the reader's few remembered classes: a
 * firm has a handful of class texts, written again on every line. */
static const char *
csvin_class(struct csv_reader *r, struct text t)
{
	struct memo_slot *s;

	if (t.n == 0)
		return NULL;
	s = memo_slot(&r->cls_memo, t);
	if (memo_hit(s, t))
		return s->u.cls;
	if (!memo_put(s, t))
		return csvin_class_lookup(t);
	s->u.cls = csvin_class_lookup(t);
	return s->u.cls;
}

/* Puts prefix in front of d->msg, cutting its end if need be. */
static void
msg_prefix(struct diag *d, const char *prefix)
{
	size_t p = strlen(prefix), n = strlen(d->msg);

	if (p + n >= sizeof(d->msg))
		n = sizeof(d->msg) - 1 - p;
	memmove(d->msg + p, d->msg, n);
	memcpy(d->msg, prefix, p);
	d->msg[p + n] = '\0';
}

static struct diag_pos
csvin_pos(const struct csv_reader *r, unsigned long line, unsigned long col)
{
	struct diag_pos pos;

	pos.file = r->name;
	pos.line = line;
	pos.col = col;
	return pos;
}

/* Fails the whole file: one on_error, and every later record is counted
 * as rejected without a word. */
static void
csvin_fail(struct csv_reader *r, struct diag *d)
{
	if (!r->failed && r->sink->on_error != NULL)
		r->sink->on_error(r->sink->ctx, d);
	r->failed = true;
	r->counts->failed = true;
	r->header_done = true;
}

/* Counts a data record that could not be read, and says why unless the
 * file has already failed. */
static void
csvin_reject(struct csv_reader *r, const struct diag *d)
{
	r->data_no++;
	r->counts->records++;
	r->counts->rejected++;
	if (!r->failed && d != NULL && r->sink->on_reject != NULL)
		r->sink->on_reject(r->sink->ctx, d);
}

static void
csvin_record_reset(struct csv_reader *r)
{
	r->rec_open = false;
	r->rec_len = 0;
	r->nfields = 0;
	r->rec_bytes = 0;
	r->rec_nonblank = false;
	r->rec_nul = false;
}

/* Drops whatever libcsv holds.  csv_fini would refuse to reset a parser
 * inside a quoted field under CSV_STRICT_FINI, so lift that flag first. */
static void
csvin_parser_reset(struct csv_reader *r)
{
	csv_set_opts(&r->csv, CSV_STRICT | CSV_APPEND_NULL);
	(void)csv_fini(&r->csv, NULL, NULL, NULL);
	csv_set_opts(&r->csv, CSVIN_OPTS);
	csvin_record_reset(r);
}

/* Reports a record (or the header) that cannot be read, then forgets it. */
static void
csvin_record_bad(struct csv_reader *r, struct diag *d)
{
	if (!r->header_done) {
		msg_prefix(d, "header row: ");
		csvin_fail(r, d);
	} else {
		csvin_reject(r, d);
	}
	csvin_parser_reset(r);
}

/* Chooses the delimiter from the header line: comma unless ';', tab or
 * '|' (outside quotes) outnumber the commas. */
static unsigned char
csvin_delim_guess(const char *s, size_t n)
{
	static const unsigned char cand[] = {',', ';', '\t', '|'};
	size_t count[NELEM(cand)] = {0}, i, k, best = 0;
	bool quoted = false;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"') {
			quoted = !quoted;
			continue;
		}
		if (quoted)
			continue;
		for (k = 0; k < NELEM(cand); k++)
			if (c == cand[k])
				count[k]++;
	}
	for (k = 1; k < NELEM(cand); k++)
		if (count[k] > count[best])
			best = k;
	return cand[best];
}

static void
csvin_delim_set(struct csv_reader *r, unsigned char delim)
{
	r->delim = delim;
	r->delim_known = true;
	csv_set_delim(&r->csv, delim);
}

/* True when s[0..n) holds a byte that starts a record: anything but
 * spaces and line ends (and tabs, unless tab is the delimiter). */
static bool
csvin_has_content(const struct csv_reader *r, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '\t' && r->delim == '\t')
			return true;
		if (!is_blank_byte(c))
			return true;
	}
	return false;
}

/* Column c of the record just read (stored trimmed). */
static struct text
csvin_col_text(const struct csv_reader *r, size_t c)
{
	struct text t;

	t.p = r->rec + r->fld[c].off;
	t.n = r->fld[c].len;
	return t;
}

/* Joins the header names as found, for the missing-column message. */
static void
csvin_header_show(const struct csv_reader *r, char *out)
{
	char *raw;
	size_t len = 0, cap = CSVIN_HDR_SHOW + 8, i;

	raw = xmalloc(cap);
	for (i = 0; i < r->ncols && len < cap; i++) {
		struct text t = csvin_col_text(r, i);
		size_t k;

		if (i > 0) {
			k = cap - len < 2 ? cap - len : 2;
			memcpy(raw + len, ", ", k);
			len += k;
		}
		k = cap - len < t.n ? cap - len : t.n;
		memcpy(raw + len, t.p, k);
		len += k;
	}
	diag_quote(out, CSVIN_HDR_SHOW, raw, len);
	free(raw);
}

/* Says which required columns the header lacks; 0 when none. */
static int
csvin_header_require(struct csv_reader *r)
{
	char what[300], shown[CSVIN_HDR_SHOW + 4];
	const bool *h = r->has_col;
	struct diag d;
	size_t n = 0;

	what[0] = '\0';
	if (!h[F_LINE_ITEM_DATE])
		n += (size_t)snprintf(what + n, sizeof(what) - n,
		    "no line date column (Date, LINE_ITEM_DATE)");
	if (!h[F_LINE_ITEM_TOTAL] && !(h[F_LINE_ITEM_NUMBER_OF_UNITS] &&
	    h[F_LINE_ITEM_UNIT_COST])) {
		const char *also;

		if (h[F_LINE_ITEM_NUMBER_OF_UNITS])
			also = "a unit cost column (Rate, "
			    "LINE_ITEM_UNIT_COST)";
		else if (h[F_LINE_ITEM_UNIT_COST])
			also = "a units column (Hours, "
			    "LINE_ITEM_NUMBER_OF_UNITS)";
		else
			also = "units and unit cost columns (Hours, Rate)";
		n += (size_t)snprintf(what + n, sizeof(what) - n,
		    "%sno line total column (Amount, LINE_ITEM_TOTAL) nor %s "
		    "to compute it", n > 0 ? "; " : "", also);
	}
	if (n == 0)
		return 0;
	csvin_header_show(r, shown);
	diag_set(&d, DIAG_FORMAT, csvin_pos(r, r->rec_line, 0),
	    "%s; header is: %s", what, shown);
	csvin_fail(r, &d);
	return -1;
}

/* Parses the numeric field nf of l into l->num; 0, or -1 with *d set.
 * s (may be NULL) is the memo slot for the text, which it may hold. */
static int
csvin_num_parse(struct csv_reader *r, struct invoice_line *l,
    const struct num_field *nf, struct memo_slot *s, struct diag *d)
{
	struct text t = l->field[nf->f];
	const char *why = NULL;
	char q[CSVIN_QUOTE + 4];
	bool rounded;
	int64_t v;
	int rc;

	if (t.n == 0)
		return 0;
	if (s != NULL && memo_hit(s, t)) {
		v = s->u.v;
		rounded = s->rounded;
	} else {
		rc = dec_parse_digits(&v, t.p, t.n, DEC_LENIENT, nf->digits,
		    &why);
		if (rc == DEC_BLANK)
			return 0;
		if (rc == DEC_ERR) {
			diag_quote(q, CSVIN_QUOTE, t.p, t.n);
			return diag_set(d, DIAG_FORMAT,
			    csvin_pos(r, l->row, 0), "invalid %s '%s': %s",
			    field_name(nf->f), q,
			    why != NULL ? why : "not a number");
		}
		rounded = rc == DEC_LAX &&
		    dec_frac_digits(t.p, t.n) > nf->digits;
		if (s != NULL && memo_put(s, t)) {
			s->u.v = v;
			s->rounded = rounded;
		}
	}
	if (rounded) {
		diag_quote(q, CSVIN_QUOTE, t.p, t.n);
		line_lint(l, nf->f, "%s '%s' has more than %u decimals; "
		    "rounded", field_name(nf->f), q, nf->digits);
	}
	l->num[nf->id] = v;
	l->num_set |= 1u << nf->id;
	return 0;
}

/* Parses a date field; blank is DATE_NONE unless required.  s (may be
 * NULL) is the memo slot for the text. */
static int
csvin_date_parse(struct csv_reader *r, struct invoice_line *l,
    enum field_id f, bool required, int32_t *out, struct memo_slot *s,
    struct diag *d)
{
	struct text t = l->field[f];
	const char *why = NULL;
	char q[CSVIN_QUOTE + 4];

	*out = DATE_NONE;
	if (t.n == 0) {
		if (!required)
			return 0;
		return diag_set(d, DIAG_FORMAT, csvin_pos(r, l->row, 0),
		    "blank %s", field_name(f));
	}
	if (date_parse(out, t.p, t.n, r->date_form, &why) == 0) {
		if (s != NULL && memo_put(s, t))
			s->u.v = *out;
		return 0;
	}
	*out = DATE_NONE;
	diag_quote(q, CSVIN_QUOTE, t.p, t.n);
	return diag_set(d, DIAG_FORMAT, csvin_pos(r, l->row, 0),
	    "invalid %s '%s': %s", field_name(f), q,
	    why != NULL ? why : "not a date");
}

/* csvin_date_parse, unless the date's memo has the text. */
static inline int
csvin_date_get(struct csv_reader *r, struct invoice_line *l,
    enum field_id f, bool required, int32_t *out, struct memo *m,
    struct diag *d)
{
	struct text t = l->field[f];
	struct memo_slot *s = NULL;

	if (t.n > 0) {
		s = memo_slot(m, t);
		if (memo_hit(s, t)) {
			*out = (int32_t)s->u.v;
			return 0;
		}
	}
	return csvin_date_parse(r, l, f, required, out, s, d);
}

/* Turns the texts in l->field into numbers, dates and codes. */
static int
csvin_line_convert(struct csv_reader *r, struct invoice_line *l,
    struct diag *d)
{
	struct memo_slot *s;
	struct text t;
	size_t i;

	if (csvin_date_get(r, l, F_LINE_ITEM_DATE, true, &l->date,
	    &r->date_memo[0], d) != 0)
		return -1;
	for (i = 0; i < NELEM(num_fields); i++) {
		const struct num_field *nf = &num_fields[i];

		t = l->field[nf->f];
		if (t.n == 0)
			continue;
		s = memo_slot(&r->num_memo[nf->id], t);
		if (memo_hit(s, t) && !s->rounded) {
			l->num[nf->id] = s->u.v;
			l->num_set |= 1u << nf->id;
		} else if (csvin_num_parse(r, l, nf, s, d) != 0) {
			return -1;
		}
	}
	if (csvin_date_get(r, l, F_INVOICE_DATE, false, &l->invoice_date,
	    &r->date_memo[1], d) != 0 ||
	    csvin_date_get(r, l, F_BILLING_START_DATE, false,
	    &l->billing_start, &r->date_memo[2], d) != 0 ||
	    csvin_date_get(r, l, F_BILLING_END_DATE, false,
	    &l->billing_end, &r->date_memo[3], d) != 0)
		return -1;
	if (!line_has_num(l, N_TOTAL) && line_has_num(l, N_UNITS) &&
	    line_has_num(l, N_UNIT_COST)) {
		int64_t total;

		if (dec_mul(&total, l->num[N_UNITS], l->num[N_UNIT_COST]) !=
		    0 || dec_add(&total, l->num[N_ADJUSTMENT]) != 0 ||
		    dec_add(&total, l->num[N_TAX_TOTAL]) != 0)
			return diag_set(d, DIAG_FORMAT,
			    csvin_pos(r, l->row, 0), "LINE_ITEM_TOTAL "
			    "computed from units and unit cost is too large");
		l->num[N_TOTAL] = total;
		l->num_set |= 1u << N_TOTAL;
	}
	t = l->field[F_EXP_FEE_INV_ADJ_TYPE];
	if (t.n > 0) {
		l->type = line_type_parse(t.p, t.n);
		if (l->type == LINE_UNKNOWN) {
			char q[CSVIN_QUOTE + 4];

			diag_quote(q, CSVIN_QUOTE, t.p, t.n);
			return diag_set(d, DIAG_FORMAT,
			    csvin_pos(r, l->row, 0), "unknown line type '%s'",
			    q);
		}
	} else {
		l->type = l->field[F_LINE_ITEM_EXPENSE_CODE].n > 0 ?
		    LINE_EXPENSE : LINE_FEE;
	}
	l->tk_class = csvin_class(r, l->field[F_TIMEKEEPER_CLASSIFICATION]);
	return 0;
}

/* Checks the values the rules file or --set supply, once per file. */
static int
csvin_defaults_check(struct csv_reader *r)
{
	struct invoice_line *l = &r->out;
	int32_t date;
	struct diag d;
	size_t i;
	int rc = 0;

	memset(l, 0, offsetof(struct invoice_line, lints));
	l->nlints = 0;
	l->row = r->rec_line;
	for (i = 0; i < r->nfixed; i++)
		l->field[r->fixed_ids[i]] = r->fixed[r->fixed_ids[i]];
	for (i = 0; i < NELEM(num_fields) && rc == 0; i++)
		rc = csvin_num_parse(r, l, &num_fields[i], NULL, &d);
	if (rc == 0 && l->field[F_LINE_ITEM_DATE].n > 0)
		rc = csvin_date_parse(r, l, F_LINE_ITEM_DATE, true, &date,
		    NULL, &d);
	if (rc == 0)
		rc = csvin_date_parse(r, l, F_INVOICE_DATE, false, &date,
		    NULL, &d);
	if (rc == 0)
		rc = csvin_date_parse(r, l, F_BILLING_START_DATE, false, &date,
		    NULL, &d);
	if (rc == 0)
		rc = csvin_date_parse(r, l, F_BILLING_END_DATE, false, &date,
		    NULL, &d);
	if (rc == 0 && l->field[F_EXP_FEE_INV_ADJ_TYPE].n > 0 &&
	    line_type_parse(l->field[F_EXP_FEE_INV_ADJ_TYPE].p,
	    l->field[F_EXP_FEE_INV_ADJ_TYPE].n) == LINE_UNKNOWN)
		rc = diag_set(&d, DIAG_FORMAT, csvin_pos(r, r->rec_line, 0),
		    "unknown line type");
	if (rc != 0) {
		msg_prefix(&d, "default value: ");
		csvin_fail(r, &d);
	}
	return rc;
}

/*
 * Sets up the line handed to on_line with what is the same on every line
 * of the file: its name, which fields it has, the defaults.  Each record
 * then writes only its own mapped fields (csvin_on_field) and values
 * (csvin_record_deliver), as on_line leaves the line as it found it.
 */
static void
csvin_line_prepare(struct csv_reader *r)
{
	struct invoice_line *l = &r->out;
	size_t i;

	memset(l, 0, offsetof(struct invoice_line, lints));
	l->nlints = 0;
	l->file = r->name;
	l->file_index = r->file_index;
	l->format = FMT_CSV;
	memcpy(l->has_column, r->has_col, sizeof(l->has_column));
	for (i = 0; i < r->nfixed; i++)
		l->field[r->fixed_ids[i]] = r->fixed[r->fixed_ids[i]];
	/* A blank field points into rec too, so rec must exist. */
	if (r->rec_cap == 0)
		xgrow(&r->rec, &r->rec_cap, 256, 1);
}

static bool
header_eq(struct text a, const char *b)
{
	struct text t = text_trim(b, strlen(b));

	return a.n == t.n && strncasecmp(a.p, t.p, t.n) == 0;
}

/* Maps the header record (in r->rec / r->fld) onto fields. */
static void
csvin_header_map(struct csv_reader *r)
{
	const struct input_opts *o = r->opts;
	size_t c, f;

	r->header_done = true;
	r->counts->format = FMT_CSV;
	r->counts->format_known = true;
	if (r->nfields > CSVIN_MAX_COLS) {
		struct diag d;

		diag_set(&d, DIAG_FORMAT, csvin_pos(r, r->rec_line, 0),
		    "header row has %zu columns; at most %d are read",
		    r->nfields, CSVIN_MAX_COLS);
		csvin_fail(r, &d);
		return;
	}
	r->ncols = r->nfields;
	r->col_field = xmalloc(r->ncols ? r->ncols : 1);
	memset(r->col_field, F__COUNT, r->ncols);
	/* input.columns first: it names this firm's header exactly. */
	for (f = 0; f < F__COUNT; f++) {
		if (o->columns[f] == NULL)
			continue;
		for (c = 0; c < r->ncols; c++) {
			struct text t = csvin_col_text(r, c);

			if (t.n > 0 && header_eq(t, o->columns[f])) {
				r->col_of[f] = c;
				r->col_field[c] = (unsigned char)f;
				break;
			}
		}
	}
	for (c = 0; c < r->ncols; c++) {
		struct text t;
		enum field_id id;

		if (r->col_field[c] != F__COUNT)
			continue;
		t = csvin_col_text(r, c);
		id = csvin_column_lookup(t.p, t.n);
		if (id == F__COUNT || r->col_of[id] != CSVIN_NONE)
			continue;
		r->col_of[id] = c;
		r->col_field[c] = (unsigned char)id;
	}
	for (f = 0; f < F__COUNT; f++) {
		if (r->col_of[f] != CSVIN_NONE) {
			r->mapped[r->nmapped++] = (unsigned char)f;
			r->has_col[f] = true;
		} else if (o->defaults[f] != NULL) {
			r->fixed[f] = text_trim(o->defaults[f],
			    strlen(o->defaults[f]));
			r->fixed_ids[r->nfixed++] = (unsigned char)f;
			r->has_col[f] = true;
		}
	}
	if (!r->has_col[F_INVOICE_NUMBER]) {
		/* No invoice column: the file is one invoice. */
		r->fixed[F_INVOICE_NUMBER].p = r->base;
		r->fixed[F_INVOICE_NUMBER].n = strlen(r->base);
		r->fixed_ids[r->nfixed++] = F_INVOICE_NUMBER;
		r->has_col[F_INVOICE_NUMBER] = true;
	}
	if (!r->has_col[F_LINE_ITEM_NUMBER]) {
		r->number_lines = true;
		r->has_col[F_LINE_ITEM_NUMBER] = true;
	}
	if (csvin_header_require(r) != 0 || csvin_defaults_check(r) != 0)
		memset(r->col_field, F__COUNT, r->ncols);
	csvin_line_prepare(r);
}

/* Writes v in decimal at the end of buf (no snprintf: once per line). */
static struct text
csvin_number_text(char *buf, size_t size, unsigned long v)
{
	struct text t;
	char *p = buf + size;

	do {
		*--p = (char)('0' + v % 10);
		v /= 10;
	} while (v > 0);
	t.p = p;
	t.n = (size_t)(buf + size - p);
	return t;
}

/* Says which field of the record holds a NUL byte (which would cut the
 * text short in every report); 0 when none of the mapped ones does. */
static int
csvin_nul_find(struct csv_reader *r, struct diag *d)
{
	const struct invoice_line *l = &r->out;
	size_t c;

	for (c = 0; c < r->ncols; c++) {
		unsigned char f = r->col_field[c];

		if (f == F__COUNT ||
		    memchr(l->field[f].p, '\0', l->field[f].n) == NULL)
			continue;
		return diag_set(d, DIAG_FORMAT, csvin_pos(r, r->rec_line, 0),
		    "field %zu contains a NUL byte", c + 1);
	}
	return 0;
}

/* A data record is complete: convert and deliver it, or reject it. */
static void
csvin_record_deliver(struct csv_reader *r)
{
	struct invoice_line *l = &r->out;
	struct diag d;

	if (r->failed) {
		csvin_reject(r, NULL);
		return;
	}
	if (r->nfields != r->ncols) {
		diag_set(&d, DIAG_FORMAT, csvin_pos(r, r->rec_line, 0),
		    "record has %zu field%s; the header has %zu", r->nfields,
		    r->nfields == 1 ? "" : "s", r->ncols);
		csvin_reject(r, &d);
		return;
	}
	if (r->rec_nul && csvin_nul_find(r, &d) != 0) {
		csvin_reject(r, &d);
		return;
	}
	r->data_no++;
	r->counts->records++;
	/* csvin_line_prepare set what is the same on every line, and
	 * csvin_on_field the mapped fields; csvin_line_convert sets the
	 * type, class and dates of every line it passes. */
	l->row = r->rec_line;
	l->record = r->data_no;
	memset(l->num, 0, sizeof(l->num));
	l->num_set = 0;
	l->nlints = 0;
	if (r->number_lines)
		l->field[F_LINE_ITEM_NUMBER] = csvin_number_text(r->line_no,
		    sizeof(r->line_no), r->data_no);
	if (csvin_line_convert(r, l, &d) != 0) {
		r->counts->rejected++;
		if (r->sink->on_reject != NULL)
			r->sink->on_reject(r->sink->ctx, &d);
		return;
	}
	if (r->sink->on_line != NULL)
		r->sink->on_line(r->sink->ctx, l);
}

/* A field of the header: kept whole (trimmed), as names and for the
 * missing-column message. */
static void
csvin_header_field(struct csv_reader *r, struct text t)
{
	struct span *sp;
	size_t c = r->nfields - 1;

	if (c >= CSVIN_MAX_COLS)
		return;
	if (c >= r->fld_cap)
		xgrow(&r->fld, &r->fld_cap, c + 1, sizeof(*r->fld));
	sp = &r->fld[c];
	sp->off = r->rec_len;
	sp->len = t.n;
	if (t.n > 0) {
		if (r->rec_len + t.n > r->rec_cap)
			xgrow(&r->rec, &r->rec_cap, r->rec_len + t.n, 1);
		memcpy(r->rec + r->rec_len, t.p, t.n);
		r->rec_len += t.n;
	}
}

/* A field csvin_on_field keeps nothing of: of the header, or before the
 * record is known not to be blank. */
static void __attribute__((noinline))
csvin_field_other(struct csv_reader *r, struct text t)
{
	t = text_trim(t.p, t.n);
	if (t.n > 0)
		r->rec_nonblank = true;
	if (!r->header_done)
		csvin_header_field(r, t);
}

/* libcsv cb1: one field, borrowed until we return.  It runs for every
 * field of the file, so it does no more than it must: a column no field
 * maps is only counted (once the record is known not to be blank), and a
 * mapped one is copied once, trimmed, and written into the line. */
static void
csvin_on_field(void *data, size_t len, void *ctx)
{
	struct csv_reader *r = ctx;
	size_t c = r->nfields++;
	struct text t;
	unsigned f;

	t.p = data;
	t.n = len;
	f = c < r->ncols ? r->col_field[c] : F__COUNT;
	if (f == F__COUNT) {
		if (!r->rec_nonblank || !r->header_done)
			csvin_field_other(r, t);
		return;
	}
	/* libcsv drops the spaces and tabs around a field outside quotes,
	 * so only a quoted field's ends can be blank (or, rarely, another
	 * control byte, which text_trim keeps). */
	if (len > 0 && ((unsigned char)t.p[0] <= ' ' ||
	    (unsigned char)t.p[len - 1] <= ' '))
		t = text_trim(t.p, t.n);
	if (t.n > 0)
		r->rec_nonblank = true;
	/* csvin_segment made room for every byte the record has had. */
	copy_text(r->rec + r->rec_len, t.p, t.n);
	r->out.field[f].p = r->rec + r->rec_len;
	r->out.field[f].n = t.n;
	r->rec_len += t.n;
}

/* libcsv cb2: the record ended (c is the terminator, or -1 at the end). */
static void
csvin_on_record(int c, void *ctx)
{
	struct csv_reader *r = ctx;

	(void)c;
	if (!r->rec_nonblank) {
		/* Only delimiters and spaces: not a record. */
	} else if (!r->header_done) {
		csvin_header_map(r);
	} else {
		csvin_record_deliver(r);
	}
	csvin_record_reset(r);
}

/* The record passed max_record bytes; reading resumes on the next line.
 * When it took in whole lines, say which: a stray quote can swallow
 * many lines before the limit stops it. */
static void
csvin_oversize(struct csv_reader *r)
{
	char span[96];
	struct diag d;

	span[0] = '\0';
	if (r->line > r->rec_line)
		snprintf(span, sizeof(span), " (lines %lu-%lu: an unterminated "
		    "quoted field?)", r->rec_line, r->line);
	diag_set(&d, DIAG_LIMIT, csvin_pos(r, r->rec_line, 0),
	    "%slonger than %zu bytes%s", r->header_done ? "record is " : "",
	    r->max_record, span);
	csvin_record_bad(r, &d);
}

/* libcsv stopped at byte at[0] of the current line. */
static void
csvin_malformed(struct csv_reader *r, const char *at, size_t col)
{
	char q[16], where[64];
	struct diag d;

	where[0] = '\0';
	if (r->rec_line != r->line)
		snprintf(where, sizeof(where), " (record starting at line %lu)",
		    r->rec_line);
	if (!r->csv.quoted) {
		diag_set(&d, DIAG_FORMAT, csvin_pos(r, r->line, col),
		    "quote inside an unquoted field%s", where);
	} else {
		diag_quote(q, 4, at, 1);
		diag_set(&d, DIAG_FORMAT, csvin_pos(r, r->line, col),
		    "malformed quoted field: '%s' after the closing quote%s",
		    q, where);
	}
	csvin_record_bad(r, &d);
}

/* Makes rec hold need bytes.  The mapped fields this record has so far
 * point into it: they move with it. */
static void
csvin_rec_grow(struct csv_reader *r, size_t need)
{
	struct text *field = r->out.field;
	size_t off[F__COUNT], c;
	unsigned f;

	for (c = 0; c < r->nfields && c < r->ncols; c++) {
		f = r->col_field[c];
		if (f != F__COUNT)
			off[f] = (size_t)(field[f].p - r->rec);
	}
	xgrow(&r->rec, &r->rec_cap, need, 1);
	for (c = 0; c < r->nfields && c < r->ncols; c++) {
		f = r->col_field[c];
		if (f != F__COUNT)
			field[f].p = r->rec + off[f];
	}
}

/* Feeds s[0..n), one physical line or the part of it we have; eol is the
 * number of line-end bytes at its end (0 when the line goes on), nul
 * whether the bytes hold a NUL. */
static void
csvin_segment(struct csv_reader *r, const char *s, size_t n, size_t eol,
    bool nul)
{
	size_t body = n - eol, col0 = r->line_off, ret, nfields;

	if (!r->rec_open) {
		/* Blanks before a record are no part of it (libcsv skips
		 * them too), however the feeds split them. */
		size_t k = 0;

		while (k < body && !csvin_has_content(r, s + k, 1))
			k++;
		if (k == body)
			return;
		s += k;
		n -= k;
		body -= k;
		col0 += k;
		r->rec_open = true;
		r->rec_line = r->line;
		r->field_line = r->line;
		r->rec_bytes = 0;
	}
	/* The record's fields are searched for NULs only if it had one. */
	if (nul)
		r->rec_nul = true;
	/* Its mapped fields, trimmed, are no longer than the bytes it has
	 * been fed: make room for them all now, so csvin_on_field need not. */
	if (r->header_done && r->rec_bytes + n > r->rec_cap)
		csvin_rec_grow(r, r->rec_bytes + n);
	if (body > 0 && r->rec_bytes + body > r->max_record) {
		/* Parse up to the limit first, so that where the feeds split
		 * the input never changes which error is reported. */
		size_t room = r->rec_bytes < r->max_record ?
		    r->max_record - r->rec_bytes : 0;

		ret = csv_parse(&r->csv, s, room, csvin_on_field,
		    csvin_on_record, r);
		if (ret < room)
			csvin_malformed(r, s + ret, col0 + ret + 1);
		else
			csvin_oversize(r);
		r->skip_line = eol == 0;
		return;
	}
	nfields = r->nfields;
	ret = csv_parse(&r->csv, s, n, csvin_on_field, csvin_on_record, r);
	/* The line where the last field ended, where an unterminated one
	 * that follows it starts (see csvin_finish). */
	if (r->nfields != nfields)
		r->field_line = r->line;
	if (ret < n) {
		csvin_malformed(r, s + ret, col0 + ret + 1);
		r->skip_line = eol == 0;
		return;
	}
	if (r->rec_open)
		r->rec_bytes += n;
}

/* Index of the first c in buf[i..len), or len, from the last hit *at
 * (CSVIN_NONE at first): each byte of buf is searched once. */
static size_t
csvin_byte_find(const char *buf, size_t len, size_t i, int c, size_t *at)
{
	const char *p;

	if (*at == CSVIN_NONE || *at < i) {
		p = memchr(buf + i, c, len - i);
		*at = p != NULL ? (size_t)(p - buf) : len;
	}
	return *at;
}

/* Index of the first '\n' or '\r' in buf[i..len), or len. */
static size_t
csvin_eol_find(const char *buf, size_t len, size_t i, size_t *nl, size_t *cr)
{
	size_t n = csvin_byte_find(buf, len, i, '\n', nl);
	size_t c = csvin_byte_find(buf, len, i, '\r', cr);

	return n < c ? n : c;
}

/* Splits buf into physical lines (LF, CRLF or CR) for libcsv. */
static void
csvin_body_feed(struct csv_reader *r, const char *buf, size_t len)
{
	size_t i = 0, nl = CSVIN_NONE, cr = CSVIN_NONE, nul = CSVIN_NONE;

	while (i < len) {
		size_t e, eol = 0, n;

		if (r->prev_cr) {
			r->prev_cr = false;
			if (buf[i] == '\n') {
				/* The LF of a CRLF that came in two feeds. */
				if (!r->skip_line && r->rec_open)
					csvin_segment(r, buf + i, 1, 1, false);
				i++;
				continue;
			}
		}
		e = csvin_eol_find(buf, len, i, &nl, &cr);
		if (e < len) {
			eol = 1;
			if (buf[e] == '\r') {
				if (e + 1 < len && buf[e + 1] == '\n')
					eol = 2;
				else if (e + 1 == len)
					r->prev_cr = true;
			}
		}
		n = e - i + eol;
		if (!r->skip_line)
			csvin_segment(r, buf + i, n, eol,
			    csvin_byte_find(buf, len, i, '\0', &nul) < i + n);
		if (eol > 0) {
			r->line++;
			r->line_off = 0;
			r->skip_line = false;
		} else {
			r->line_off += n;
		}
		i += n;
	}
}

/* Strips a UTF-8 byte order mark from the held first line. */
static size_t
csvin_bom_skip(const struct csv_reader *r)
{
	if (r->line == 1 && r->hlen >= 3 &&
	    memcmp(r->hbuf, "\xef\xbb\xbf", 3) == 0)
		return 3;
	return 0;
}

/* Picks the delimiter from the held first line (its first max_record
 * bytes, so an over-long line is judged the same however it arrives). */
static void
csvin_delim_pick(struct csv_reader *r, size_t bom)
{
	size_t n = r->hlen - bom;

	csvin_delim_set(r, csvin_delim_guess(r->hbuf + bom,
	    n < r->max_record ? n : r->max_record));
}

/* The held first line passed max_record bytes.  What happens depends
 * only on its first max_record + 1 bytes, so not on how it was fed: with
 * content there, the body path reads it (and reports it if it is too
 * long); if they are blank, so long a blank run is itself the error. */
static void
csvin_header_long(struct csv_reader *r, size_t bom)
{
	const char *s = r->hbuf + bom;

	if (csvin_has_content(r, s, r->max_record + 1)) {
		csvin_delim_pick(r, bom);
	} else {
		struct diag d;

		csvin_delim_set(r, ',');
		diag_set(&d, DIAG_LIMIT, csvin_pos(r, r->line, 0),
		    "header row: longer than %zu bytes", r->max_record);
		csvin_fail(r, &d);
		r->skip_line = true;
	}
	csvin_body_feed(r, s, r->hlen - bom);
	r->hlen = 0;
}

/* Holds bytes back until the first line with content is complete, then
 * picks the delimiter from it.  Returns the bytes of buf consumed. */
static size_t
csvin_header_feed(struct csv_reader *r, const char *buf, size_t len)
{
	size_t used = 0;

	while (used < len && !r->delim_known) {
		const char *p = buf + used;
		const char *nl = memchr(p, '\n', len - used);
		const char *cr = memchr(p, '\r', nl != NULL ?
		    (size_t)(nl - p) : len - used);
		const char *e = cr != NULL ? cr : nl;
		size_t n, bom, eol = 0;

		if (r->prev_cr && *p == '\n') {
			/* The LF of a CRLF that ended a blank line. */
			csvin_body_feed(r, p, 1);
			used++;
			continue;
		}
		r->prev_cr = false;
		if (e == NULL) {
			n = len - used;
		} else {
			n = (size_t)(e - p) + 1;
			eol = 1;
			if (*e == '\r' && (size_t)(e - buf) + 1 < len &&
			    e[1] == '\n') {
				n++;
				eol = 2;
			}
		}
		xgrow(&r->hbuf, &r->hcap, r->hlen + n, 1);
		memcpy(r->hbuf + r->hlen, p, n);
		r->hlen += n;
		used += n;
		bom = csvin_bom_skip(r);
		if (r->hlen >= 3 && r->hlen - bom - eol > r->max_record) {
			csvin_header_long(r, bom);
			break;
		}
		if (e == NULL)
			break;
		if (csvin_has_content(r, r->hbuf + bom, r->hlen - bom))
			csvin_delim_pick(r, bom);
		csvin_body_feed(r, r->hbuf + bom, r->hlen - bom);
		r->hlen = 0;
	}
	return used;
}

csv_reader *
csvin_new(const char *name, unsigned file_index,
    const struct input_opts *opts, const struct input_sink *sink,
    struct input_counts *counts)
{
	csv_reader *r = xcalloc(1, sizeof(*r));
	const char *slash;
	size_t f;

	r->name = name != NULL ? name : "-";
	slash = strrchr(r->name, '/');
	r->base = slash != NULL && slash[1] != '\0' ? slash + 1 : r->name;
	r->file_index = file_index;
	r->opts = opts != NULL ? opts : &csvin_no_opts;
	r->sink = sink != NULL ? sink : &csvin_no_sink;
	r->counts = counts != NULL ? counts : &r->own_counts;
	r->counts->format = FMT_CSV;
	r->max_record = r->opts->max_record != 0 ? r->opts->max_record :
	    INPUT_MAX_RECORD;
	/* Exports are never held to LEDES's YYYYMMDD alone. */
	r->date_form = r->opts->date_form == DATE_DMY ? DATE_DMY : DATE_AUTO;
	r->delim = ',';
	r->line = 1;
	for (f = 0; f < F__COUNT; f++)
		r->col_of[f] = CSVIN_NONE;
	if (csv_init(&r->csv, CSVIN_OPTS) != 0) {
		fputs("billcheck: out of memory\n", stderr);
		abort();
	}
	/* libcsv grows its field buffer by blk_size; never fails with ours. */
	csv_set_realloc_func(&r->csv, xrealloc);
	csv_set_free_func(&r->csv, free);
	csv_set_blk_size(&r->csv, 4096);
	return r;
}

void
csvin_feed(csv_reader *r, const char *buf, size_t len)
{
	size_t used = 0;

	if (r->finished || len == 0)
		return;
	if (!r->delim_known)
		used = csvin_header_feed(r, buf, len);
	if (used < len)
		csvin_body_feed(r, buf + used, len - used);
}

void
csvin_finish(csv_reader *r)
{
	struct diag d;

	if (r->finished)
		return;
	if (!r->delim_known && r->hlen > 0) {
		size_t bom = csvin_bom_skip(r);

		if (csvin_has_content(r, r->hbuf + bom, r->hlen - bom))
			csvin_delim_pick(r, bom);
		csvin_body_feed(r, r->hbuf + bom, r->hlen - bom);
		r->hlen = 0;
	}
	r->finished = true;
	if (r->rec_open && !r->skip_line &&
	    csv_fini(&r->csv, csvin_on_field, csvin_on_record, r) != 0) {
		diag_set(&d, DIAG_FORMAT, csvin_pos(r, r->rec_line, 0),
		    "unterminated quoted field starting at line %lu",
		    r->field_line);
		csvin_record_bad(r, &d);
	}
	csvin_parser_reset(r);
	if (!r->header_done) {
		diag_set(&d, DIAG_FORMAT, csvin_pos(r, 0, 0),
		    "no header row: the file is empty");
		csvin_fail(r, &d);
	}
}

void
csvin_free(csv_reader *r)
{
	if (r == NULL)
		return;
	csv_free(&r->csv);
	free(r->hbuf);
	free(r->rec);
	free(r->fld);
	free(r->col_field);
	free(r);
}
