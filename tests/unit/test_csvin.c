/* test_csvin.c - delimited exports: header mapping, conversion, rejects. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvin.h"
#include "decimal.h"

#define MAX_GOT 64
#define FLD_MAX 160

/* What on_line saw: copies, since the line's pointers are borrowed. */
struct got_line {
	char           file[128];
	unsigned       file_index;
	unsigned long  row, record;
	int            format;
	enum line_type type;
	const char    *tk_class;
	int64_t        num[N__COUNT];
	unsigned       num_set;
	int32_t        date, invoice_date, billing_start, billing_end;
	char           field[F__COUNT][FLD_MAX];
	bool           has_column[F__COUNT];
	unsigned       nlints;
	char           lint0[160];
};

struct got_diag {
	char          kind; /* 'R' reject, 'E' error, 'N' note */
	int           code;
	unsigned long line, col;
	char          msg[512];
};

struct got {
	struct got_line     lines[MAX_GOT];
	size_t              nlines;
	struct got_diag     diags[MAX_GOT];
	size_t              ndiags;
	struct input_counts counts;
};

/* Everything a test allocates, freed by the teardown even when an
 * assertion fails half-way. */
static void  *allocs[64];
static size_t nallocs;

static void *
track(void *p)
{
	assert_non_null(p);
	assert_true(nallocs < sizeof(allocs) / sizeof(allocs[0]));
	allocs[nallocs++] = p;
	return p;
}

static int
cleanup(void **state)
{
	(void)state;
	while (nallocs > 0)
		free(allocs[--nallocs]);
	return 0;
}

static bool
line_has_num_set(unsigned set, enum num_id id)
{
	return (set & (1u << id)) != 0;
}

static void
got_on_line(void *ctx, struct invoice_line *l)
{
	struct got *g = ctx;
	struct got_line *o;
	size_t f;

	assert_true(g->nlines < MAX_GOT);
	o = &g->lines[g->nlines++];
	snprintf(o->file, sizeof(o->file), "%s", l->file);
	o->file_index = l->file_index;
	o->row = l->row;
	o->record = l->record;
	o->format = (int)l->format;
	o->type = l->type;
	o->tk_class = l->tk_class;
	memcpy(o->num, l->num, sizeof(o->num));
	o->num_set = l->num_set;
	o->date = l->date;
	o->invoice_date = l->invoice_date;
	o->billing_start = l->billing_start;
	o->billing_end = l->billing_end;
	for (f = 0; f < F__COUNT; f++) {
		assert_true(l->field[f].n < FLD_MAX);
		if (l->field[f].n > 0)
			memcpy(o->field[f], l->field[f].p, l->field[f].n);
		o->field[f][l->field[f].n] = '\0';
		o->has_column[f] = l->has_column[f];
	}
	o->nlints = l->nlints;
	if (l->nlints > 0)
		snprintf(o->lint0, sizeof(o->lint0), "%s", l->lints[0].msg);
}

static void
got_diag_add(struct got *g, char kind, const struct diag *d)
{
	struct got_diag *o;

	assert_true(g->ndiags < MAX_GOT);
	o = &g->diags[g->ndiags++];
	o->kind = kind;
	o->code = d->code;
	o->line = d->pos.line;
	o->col = d->pos.col;
	snprintf(o->msg, sizeof(o->msg), "%s", d->msg);
	assert_non_null(d->pos.file);
}

static void
got_on_reject(void *ctx, const struct diag *d)
{
	got_diag_add(ctx, 'R', d);
}

static void
got_on_error(void *ctx, const struct diag *d)
{
	got_diag_add(ctx, 'E', d);
}

static void
got_on_note(void *ctx, const struct diag *d)
{
	got_diag_add(ctx, 'N', d);
}

/* Reads buf through a reader, chunk bytes at a time (0: all at once). */
static struct got *
run_opts(const char *name, const struct input_opts *o, const char *buf,
    size_t len, size_t chunk)
{
	struct got *g = track(calloc(1, sizeof(*g)));
	struct input_sink sink = {0};
	csv_reader *r;
	size_t i;

	sink.ctx = g;
	sink.on_line = got_on_line;
	sink.on_reject = got_on_reject;
	sink.on_error = got_on_error;
	sink.on_note = got_on_note;
	r = csvin_new(name, 3, o, &sink, &g->counts);
	if (chunk == 0) {
		csvin_feed(r, buf, len);
	} else {
		for (i = 0; i < len; i += chunk)
			csvin_feed(r, buf + i,
			    len - i < chunk ? len - i : chunk);
	}
	csvin_finish(r);
	csvin_free(r);
	return g;
}

static struct got *
run(const char *buf)
{
	static const struct input_opts o = {.date_form = DATE_AUTO};

	return run_opts("t.csv", &o, buf, strlen(buf), 0);
}

/* Everything a run produced, as text, so two runs compare in one go. */
static char *
got_dump(const struct got *g)
{
	size_t cap = 1 << 16, n = 0, i, f;
	char *s = track(malloc(cap));

#define PUT(...) \
	do { \
		n += (size_t)snprintf(s + n, cap - n, __VA_ARGS__); \
		assert_true(n < cap); \
	} while (0)
	PUT("records=%lu rejected=%lu failed=%d\n", g->counts.records,
	    g->counts.rejected, g->counts.failed);
	for (i = 0; i < g->nlines; i++) {
		const struct got_line *l = &g->lines[i];

		PUT("L row=%lu rec=%lu type=%d date=%ld inv=%ld set=%x",
		    l->row, l->record, (int)l->type, (long)l->date,
		    (long)l->invoice_date, l->num_set);
		for (f = 0; f < N__COUNT; f++)
			PUT(" %lld", (long long)l->num[f]);
		for (f = 0; f < F__COUNT; f++)
			if (l->has_column[f])
				PUT(" %zu=[%s]", f, l->field[f]);
		PUT("\n");
	}
	for (i = 0; i < g->ndiags; i++)
		PUT("%c %lu:%lu %s\n", g->diags[i].kind, g->diags[i].line,
		    g->diags[i].col, g->diags[i].msg);
#undef PUT
	return s;
}

static void
assert_diag(const struct got *g, size_t i, char kind, unsigned long line,
    unsigned long col, const char *msg)
{
	assert_true(i < g->ndiags);
	assert_int_equal(g->diags[i].kind, kind);
	assert_int_equal(g->diags[i].line, line);
	assert_int_equal(g->diags[i].col, col);
	assert_string_equal(g->diags[i].msg, msg);
}

/* The one diagnostic of a one-data-record input. */
static void
assert_one_reject(const char *csv, unsigned long line, unsigned long col,
    const char *msg)
{
	struct got *g = run(csv);

	assert_int_equal(g->nlines, 0);
	assert_int_equal(g->ndiags, 1);
	assert_diag(g, 0, 'R', line, col, msg);
	assert_int_equal(g->diags[0].code, DIAG_FORMAT);
	assert_int_equal(g->counts.records, 1);
	assert_int_equal(g->counts.rejected, 1);
	assert_false(g->counts.failed);
}

static char *
sample_read(const char *name, size_t *len)
{
	char path[512], dir[256];
	const char *slash;
	FILE *fp;
	char *buf;
	long n;

	snprintf(path, sizeof(path), "tests/data/csv/%s", name);
	fp = fopen(path, "rb");
	if (fp == NULL) {
		/* Run from elsewhere: find the data next to this source. */
		slash = strrchr(__FILE__, '/');
		snprintf(dir, sizeof(dir), "%.*s",
		    slash != NULL ? (int)(slash - __FILE__) : 1,
		    slash != NULL ? __FILE__ : ".");
		snprintf(path, sizeof(path), "%s/../data/csv/%s", dir, name);
		fp = fopen(path, "rb");
	}
	assert_non_null(fp);
	assert_int_equal(fseek(fp, 0, SEEK_END), 0);
	n = ftell(fp);
	assert_true(n >= 0);
	rewind(fp);
	buf = track(malloc((size_t)n + 1));
	assert_int_equal(fread(buf, 1, (size_t)n, fp), (size_t)n);
	fclose(fp);
	*len = (size_t)n;
	return buf;
}

static struct got *
run_sample(const char *name, size_t chunk)
{
	static const struct input_opts o = {.date_form = DATE_AUTO};
	char path[128];
	size_t len;
	char *buf = sample_read(name, &len);
	struct got *g;

	snprintf(path, sizeof(path), "in/%s", name);
	g = run_opts(path, &o, buf, len, chunk);
	return g;
}

/* ---- the sample files ---- */

static void
csvin__freshbooks_sample__reads_three_lines(void **state)
{
	struct got *g = run_sample("crispledes_freshbooks_minimal.txt", 0);
	const struct got_line *l = g->lines;

	(void)state;
	assert_int_equal(g->ndiags, 0);
	assert_int_equal(g->nlines, 3);
	assert_int_equal(g->counts.records, 3);
	assert_int_equal(g->counts.rejected, 0);
	assert_false(g->counts.failed);
	assert_int_equal(g->counts.format, FMT_CSV);
	assert_true(g->counts.format_known);

	assert_string_equal(l[0].file, "in/crispledes_freshbooks_minimal.txt");
	assert_int_equal(l[0].file_index, 3);
	assert_int_equal(l[0].format, FMT_CSV);
	assert_int_equal(l[0].row, 2);
	assert_int_equal(l[0].record, 1);
	assert_int_equal(l[0].type, LINE_FEE);
	assert_int_equal(l[0].date, date_from_ymd(2025, 1, 3));
	assert_int_equal(l[0].num[N_UNITS], 25000);
	assert_int_equal(l[0].num[N_UNIT_COST], 1650000);
	assert_int_equal(l[0].num[N_TOTAL], 4125000);
	assert_string_equal(l[0].field[F_LINE_ITEM_DESCRIPTION],
	    "(ABCD-1A2B Optional description ##CL12345) TK1 - Jan 3, 2025 "
	    "Draft office action response ##L110");
	assert_string_equal(l[0].field[F_CLIENT_ID], "ACME Corp");
	assert_string_equal(l[0].field[F_LAW_FIRM_MATTER_ID], "Prosecution");
	assert_string_equal(l[0].field[F_INVOICE_NUMBER],
	    "crispledes_freshbooks_minimal.txt");
	assert_true(l[0].has_column[F_INVOICE_NUMBER]);
	assert_string_equal(l[0].field[F_LINE_ITEM_NUMBER], "1");
	assert_int_equal(l[0].invoice_date, DATE_NONE);

	assert_int_equal(l[1].row, 3);
	assert_int_equal(l[1].num[N_TOTAL], 10000000);
	assert_string_equal(l[1].field[F_LINE_ITEM_NUMBER], "2");

	assert_int_equal(l[2].row, 4);
	assert_int_equal(l[2].record, 3);
	assert_int_equal(l[2].type, LINE_EXPENSE);
	assert_int_equal(l[2].num[N_TOTAL], 7600000);
	assert_int_equal(l[2].num_set, 1u << N_TOTAL);
	assert_string_equal(l[2].field[F_LINE_ITEM_NUMBER_OF_UNITS], "");
	assert_true(l[2].has_column[F_LINE_ITEM_NUMBER_OF_UNITS]);
	assert_string_equal(l[2].field[F_LINE_ITEM_DESCRIPTION],
	    "(ABCD-1A2B) Expense: USPTO filing fee ##E101");
	assert_string_equal(l[2].field[F_LINE_ITEM_TOTAL], "$760.00");
}

static void
csvin__juris_expense_sample__fails_with_missing_columns(void **state)
{
	struct got *g = run_sample("juris_expense_entry_csv_example.txt", 0);

	(void)state;
	assert_int_equal(g->nlines, 0);
	assert_int_equal(g->ndiags, 1);
	assert_diag(g, 0, 'E', 1, 0,
	    "no line total column (Amount, LINE_ITEM_TOTAL) nor a unit cost "
	    "column (Rate, LINE_ITEM_UNIT_COST) to compute it; header is: "
	    "Date, Client, Matter, ExpCd, Units, Narrative");
	assert_int_equal(g->diags[0].code, DIAG_FORMAT);
	assert_true(g->counts.failed);
	assert_int_equal(g->counts.records, 2);
	assert_int_equal(g->counts.rejected, 2);
}

static void
csvin__juris_time_sample__fails_with_missing_columns(void **state)
{
	struct got *g =
	    run_sample("juris_time_entry_csv_example_partial.txt", 0);

	(void)state;
	assert_int_equal(g->nlines, 0);
	assert_int_equal(g->ndiags, 1);
	assert_diag(g, 0, 'E', 1, 0,
	    "no line total column (Amount, LINE_ITEM_TOTAL) nor a unit cost "
	    "column (Rate, LINE_ITEM_UNIT_COST) to compute it; header is: "
	    "Date, Timekeeper, Client, Matter, Billable, HoursWork, "
	    "Narrative");
	assert_true(g->counts.failed);
	assert_int_equal(g->counts.records, 1);
	assert_int_equal(g->counts.rejected, 1);
}

static void
csvin__juris_ascii_sample__fails_once(void **state)
{
	struct got *g = run_sample("juris_time_entry_ascii_example.txt", 0);

	(void)state;
	assert_int_equal(g->nlines, 0);
	assert_int_equal(g->ndiags, 1);
	assert_diag(g, 0, 'E', 1, 0,
	    "no line date column (Date, LINE_ITEM_DATE); no line total "
	    "column (Amount, LINE_ITEM_TOTAL) nor units and unit cost "
	    "columns (Hours, Rate) to compute it; header is: "
	    "/abc/0100/1/19990115/mtc/150/1.5/150.00/depo/Deposition.//");
	assert_true(g->counts.failed);
	assert_int_equal(g->counts.records, 1);
	assert_int_equal(g->counts.rejected, 1);
}

static void
csvin__samples_bytewise__match_whole_buffer(void **state)
{
	static const char *const names[] = {
		"crispledes_freshbooks_minimal.txt",
		"juris_expense_entry_csv_example.txt",
		"juris_time_entry_ascii_example.txt",
		"juris_time_entry_csv_example_partial.txt",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		struct got *a = run_sample(names[i], 0);
		struct got *b = run_sample(names[i], 1);
		char *da = got_dump(a), *db = got_dump(b);

		assert_string_equal(da, db);
	}
}

/* ---- streaming ---- */

/* Mixed line ends, quoting, blank records and every kind of reject. */
static const char messy[] =
    "\xef\xbb\xbf" "Date,Hours,Rate,Amount,Description,Type\r\n"
    "2025-01-03,1.5,200,300.00,\"Draft, revise\r\nmotion\",F\r\n"
    "\r\n"
    "2025-01-04,,,\"$1,250.00\",\"Copies \"\"color\"\"\",E\r"
    ",,,,,\n"
    "2025-01-05,1,2,3\n"
    "2025-02-31,1,1,1,x,F\n"
    "   \n"
    "2025-01-06,1,1,1e9,x,F\n"
    "2025-01-07,1,1,1,\"bad\"x,F\n"
    "2025-01-08,1,1,1,a\"b,F\r\n"
    "2025-01-09,1,1,1,x,Z\n"
    "2025-01-11,2,10,,\"\",F\n"
    "2025-01-10,0.5,100,50,\"open quote\r\nstill open\n";

static void
csvin__messy_input__expected_outcomes(void **state)
{
	static const struct input_opts o = {.date_form = DATE_AUTO};
	struct got *g = run_opts("t.csv", &o, messy, sizeof(messy) - 1, 0);

	(void)state;
	assert_int_equal(g->nlines, 3);
	assert_int_equal(g->lines[0].row, 2);
	assert_string_equal(g->lines[0].field[F_LINE_ITEM_DESCRIPTION],
	    "Draft, revise\r\nmotion");
	assert_int_equal(g->lines[1].row, 5);
	assert_int_equal(g->lines[1].record, 2);
	assert_int_equal(g->lines[1].num[N_TOTAL], 12500000);
	assert_int_equal(g->lines[1].type, LINE_EXPENSE);
	assert_string_equal(g->lines[1].field[F_LINE_ITEM_DESCRIPTION],
	    "Copies \"color\"");
	assert_int_equal(g->lines[2].row, 14);
	assert_int_equal(g->lines[2].num[N_TOTAL], 200000);
	assert_int_equal(g->ndiags, 7);
	assert_diag(g, 0, 'R', 7, 0, "record has 4 fields; the header has 6");
	assert_diag(g, 1, 'R', 8, 0,
	    "invalid LINE_ITEM_DATE '2025-02-31': no such calendar date");
	assert_diag(g, 2, 'R', 10, 0,
	    "invalid LINE_ITEM_TOTAL '1e9': exponent notation is not "
	    "allowed");
	assert_diag(g, 3, 'R', 11, 23,
	    "malformed quoted field: 'x' after the closing quote");
	assert_diag(g, 4, 'R', 12, 19, "quote inside an unquoted field");
	assert_diag(g, 5, 'R', 13, 0, "unknown line type 'Z'");
	assert_diag(g, 6, 'R', 15, 0,
	    "unterminated quoted field starting at line 15");
	assert_int_equal(g->counts.records, 10);
	assert_int_equal(g->counts.rejected, 7);
	assert_false(g->counts.failed);
}

static void
csvin__bytewise_feed__matches_whole_buffer(void **state)
{
	static const struct input_opts o = {.date_form = DATE_AUTO};
	static const size_t chunks[] = {1, 2, 3, 5, 7, 13, 64};
	struct got *whole = run_opts("t.csv", &o, messy, sizeof(messy) - 1, 0);
	char *want = got_dump(whole);
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(chunks) / sizeof(chunks[0]); i++) {
		struct got *g = run_opts("t.csv", &o, messy, sizeof(messy) - 1,
		    chunks[i]);
		char *have = got_dump(g);

		assert_string_equal(have, want);
	}
}

static void
csvin__crlf__rows_and_fields_clean(void **state)
{
	struct got *g = run("Date,Amount,Description\r\n"
	    "20250103,10,a\r\n\r\n20250104,20,\"b\r\nc\"\r\n20250105,30,d");

	(void)state;
	assert_int_equal(g->ndiags, 0);
	assert_int_equal(g->nlines, 3);
	assert_int_equal(g->lines[0].row, 2);
	assert_string_equal(g->lines[0].field[F_LINE_ITEM_DESCRIPTION], "a");
	assert_int_equal(g->lines[1].row, 4);
	assert_string_equal(g->lines[1].field[F_LINE_ITEM_DESCRIPTION],
	    "b\r\nc");
	assert_int_equal(g->lines[2].row, 6);
	assert_string_equal(g->lines[2].field[F_LINE_ITEM_DESCRIPTION], "d");
}

static void
csvin__cr_only_line_ends__counted_as_lines(void **state)
{
	struct got *g = run("Date,Amount\r20250103,10\r\r20250104,x\r");

	(void)state;
	assert_int_equal(g->nlines, 1);
	assert_int_equal(g->lines[0].row, 2);
	assert_int_equal(g->ndiags, 1);
	assert_diag(g, 0, 'R', 4, 0,
	    "invalid LINE_ITEM_TOTAL 'x': character that is not a digit");
}

static void
csvin__bom__skipped(void **state)
{
	struct got *g = run("\xef\xbb\xbf" "Date,Amount\n20250103,10\n");

	(void)state;
	assert_int_equal(g->ndiags, 0);
	assert_int_equal(g->nlines, 1);
	assert_true(g->lines[0].has_column[F_LINE_ITEM_DATE]);
	assert_int_equal(g->lines[0].date, date_from_ymd(2025, 1, 3));
}

static void
csvin__bom_then_bad_quote__column_excludes_bom(void **state)
{
	struct got *g = run("\xef\xbb\xbf" "Da\"te,Amount\n20250103,10\n");

	(void)state;
	assert_int_equal(g->ndiags, 1);
	assert_diag(g, 0, 'E', 1, 3,
	    "header row: quote inside an unquoted field");
	assert_true(g->counts.failed);
	assert_int_equal(g->counts.records, 1);
	assert_int_equal(g->counts.rejected, 1);
}

/* ---- delimiters ---- */

static void
csvin__semicolon_header__splits_on_semicolons(void **state)
{
	struct got *g = run("Date;Amount;Description\n"
	    "2025-01-03;\"1,250.00\";a, b\n");

	(void)state;
	assert_int_equal(g->ndiags, 0);
	assert_int_equal(g->nlines, 1);
	assert_int_equal(g->lines[0].num[N_TOTAL], 12500000);
	assert_string_equal(g->lines[0].field[F_LINE_ITEM_DESCRIPTION],
	    "a, b");
}

static void
csvin__tab_header__splits_on_tabs(void **state)
{
	struct got *g = run("Date\tHours\tRate\tDescription\n"
	    "2025-01-03\t1.5\t200\tDraft, revise\n"
	    "\t\t\t\n"
	    "2025-01-04\t\t\t\n");

	(void)state;
	assert_int_equal(g->nlines, 2);
	assert_int_equal(g->lines[0].num[N_TOTAL], 3000000);
	assert_string_equal(g->lines[0].field[F_LINE_ITEM_DESCRIPTION],
	    "Draft, revise");
	assert_int_equal(g->lines[1].row, 4);
	assert_int_equal(g->lines[1].record, 2);
	assert_int_equal(g->lines[1].num_set, 0);
	assert_int_equal(g->counts.records, 2);
}

static void
csvin__pipe_header__splits_on_pipes(void **state)
{
	struct got *g = run("Date|Amount|Notes\n20250103|5|x,y\n");

	(void)state;
	assert_int_equal(g->nlines, 1);
	assert_string_equal(g->lines[0].field[F_LINE_ITEM_DESCRIPTION], "x,y");
}

static void
csvin__delimiters_inside_quotes__not_counted(void **state)
{
	struct got *g = run("Date,\"Notes; a; b; c\",Amount\n20250103,x,5\n");

	(void)state;
	assert_int_equal(g->ndiags, 0);
	assert_int_equal(g->nlines, 1);
	assert_int_equal(g->lines[0].num[N_TOTAL], 50000);
}

/* ---- header mapping ---- */

static void
csvin__aliases__map_to_fields(void **state)
{
	struct got *g = run("Work_Date,TK #,Attorney,Title,Qty.,Unit-Price,"
	    "Line Total,Discount,Memo,UTBMS Task,activity,ExpCd,Invoice #,"
	    "Bill Date,Invoice Total,Matter Number,Client Matter,Client,Vendor,"
	    "Vendor Name,Entry Type,Line No.,Period Start,Period End,Currency,"
	    "PO,Tax,Tax Rate,Mystery,LINE_ITEM_TAX_TYPE\n"
	    "2025-01-03,TK1,\"Kline, H\",PT,1.5,200,310,10,m,L110,A101,,"
	    "INV-7,2025-02-01,310,0528,CM-1,ACME,24-6437381,Kline LLP,F,7,"
	    "2025-01-01,2025-01-31,USD,PO-1,0,0.061245,zz,VAT\n");
	const struct got_line *l = g->lines;

	(void)state;
	assert_int_equal(g->ndiags, 0);
	assert_int_equal(g->nlines, 1);
	assert_string_equal(l->field[F_TIMEKEEPER_ID], "TK1");
	assert_string_equal(l->field[F_TIMEKEEPER_NAME], "Kline, H");
	assert_string_equal(l->field[F_TIMEKEEPER_CLASSIFICATION], "PT");
	assert_string_equal(l->tk_class, "PARTNR");
	assert_int_equal(l->num[N_UNITS], 15000);
	assert_int_equal(l->num[N_UNIT_COST], 2000000);
	assert_int_equal(l->num[N_TOTAL], 3100000);
	assert_int_equal(l->num[N_ADJUSTMENT], 100000);
	assert_string_equal(l->field[F_LINE_ITEM_DESCRIPTION], "m");
	assert_string_equal(l->field[F_LINE_ITEM_TASK_CODE], "L110");
	assert_string_equal(l->field[F_LINE_ITEM_ACTIVITY_CODE], "A101");
	assert_true(l->has_column[F_LINE_ITEM_EXPENSE_CODE]);
	assert_string_equal(l->field[F_INVOICE_NUMBER], "INV-7");
	assert_int_equal(l->invoice_date, date_from_ymd(2025, 2, 1));
	assert_int_equal(l->num[N_INVOICE_TOTAL], 3100000);
	assert_string_equal(l->field[F_LAW_FIRM_MATTER_ID], "0528");
	assert_string_equal(l->field[F_CLIENT_MATTER_ID], "CM-1");
	assert_string_equal(l->field[F_CLIENT_ID], "ACME");
	assert_string_equal(l->field[F_LAW_FIRM_ID], "24-6437381");
	assert_string_equal(l->field[F_LAW_FIRM_NAME], "Kline LLP");
	assert_int_equal(l->type, LINE_FEE);
	assert_string_equal(l->field[F_LINE_ITEM_NUMBER], "7");
	assert_int_equal(l->billing_start, date_from_ymd(2025, 1, 1));
	assert_int_equal(l->billing_end, date_from_ymd(2025, 1, 31));
	assert_string_equal(l->field[F_INVOICE_CURRENCY], "USD");
	assert_string_equal(l->field[F_PO_NUMBER], "PO-1");
	assert_true(line_has_num_set(l->num_set, N_TAX_TOTAL));
	assert_int_equal(l->num[N_TAX_RATE], 6124500);
	assert_string_equal(l->field[F_LINE_ITEM_TAX_TYPE], "VAT");
	assert_false(l->has_column[F_MATTER_NAME]);
}

static void
csvin__columns_override__wins_over_alias(void **state)
{
	struct input_opts o = {.date_form = DATE_AUTO};
	static const char csv[] = "Hours,Billable Hrs,Person,Name,Date,Rate\n"
	    "9,1.5,P1,Smith,20250103,100\n";
	struct got *g;

	(void)state;
	o.columns[F_LINE_ITEM_NUMBER_OF_UNITS] = " billable hrs ";
	o.columns[F_TIMEKEEPER_ID] = "PERSON";
	o.columns[F_CLIENT_ID] = "No Such Column";
	g = run_opts("t.csv", &o, csv, sizeof(csv) - 1, 0);
	assert_int_equal(g->ndiags, 0);
	assert_int_equal(g->nlines, 1);
	assert_string_equal(g->lines[0].field[F_LINE_ITEM_NUMBER_OF_UNITS],
	    "1.5");
	assert_int_equal(g->lines[0].num[N_TOTAL], 1500000);
	assert_string_equal(g->lines[0].field[F_TIMEKEEPER_ID], "P1");
	assert_string_equal(g->lines[0].field[F_TIMEKEEPER_NAME], "Smith");
	assert_false(g->lines[0].has_column[F_CLIENT_ID]);
}

static void
csvin__columns_override__claims_column_from_alias(void **state)
{
	struct input_opts o = {.date_form = DATE_AUTO};
	static const char csv[] = "Date,Amount,Name\n20250103,1,K7\n";
	struct got *g;

	(void)state;
	o.columns[F_TIMEKEEPER_ID] = "name";
	g = run_opts("t.csv", &o, csv, sizeof(csv) - 1, 0);
	assert_int_equal(g->nlines, 1);
	assert_string_equal(g->lines[0].field[F_TIMEKEEPER_ID], "K7");
	assert_false(g->lines[0].has_column[F_TIMEKEEPER_NAME]);
}

static void
csvin__field_mapped_twice__first_column_wins(void **state)
{
	struct got *g = run("Date,Work Date,Amount,Total,line item total\n"
	    "20250103,garbage,1,2,3\n");

	(void)state;
	assert_int_equal(g->ndiags, 0);
	assert_int_equal(g->nlines, 1);
	assert_int_equal(g->lines[0].date, date_from_ymd(2025, 1, 3));
	assert_int_equal(g->lines[0].num[N_TOTAL], 10000);
}

static void
csvin__ledes_names__any_case_and_spacing(void **state)
{
	struct got *g = run("line item date,LINE_ITEM_UNIT_COST,"
	    "Line-Item-Number-Of-Units,timekeeper_classification\n"
	    "20250103,100,2,associate\n");

	(void)state;
	assert_int_equal(g->ndiags, 0);
	assert_int_equal(g->nlines, 1);
	assert_int_equal(g->lines[0].num[N_TOTAL], 2000000);
	assert_string_equal(g->lines[0].tk_class, "ASSOC");
}

static void
csvin__unknown_class__null(void **state)
{
	struct got *g = run("Date,Amount,Class\n20250103,1,Wizard\n");

	(void)state;
	assert_int_equal(g->nlines, 1);
	assert_null(g->lines[0].tk_class);
	assert_string_equal(g->lines[0].field[F_TIMEKEEPER_CLASSIFICATION],
	    "Wizard");
}

/* ---- fields the file lacks ---- */

static void
csvin__defaults__fill_missing_fields(void **state)
{
	struct input_opts o = {.date_form = DATE_AUTO};
	static const char csv[] = "Date,Hours,Firm\n20250103,2,FIRM-A\n";
	struct got *g;

	(void)state;
	o.defaults[F_LINE_ITEM_UNIT_COST] = " 150.00 ";
	o.defaults[F_INVOICE_NUMBER] = "INV-9";
	o.defaults[F_LAW_FIRM_ID] = "ignored: the file has it";
	o.defaults[F_INVOICE_CURRENCY] = "USD";
	g = run_opts("dir/q3.csv", &o, csv, sizeof(csv) - 1, 0);
	assert_int_equal(g->ndiags, 0);
	assert_int_equal(g->nlines, 1);
	assert_string_equal(g->lines[0].field[F_LINE_ITEM_UNIT_COST],
	    "150.00");
	assert_true(g->lines[0].has_column[F_LINE_ITEM_UNIT_COST]);
	assert_int_equal(g->lines[0].num[N_TOTAL], 3000000);
	assert_string_equal(g->lines[0].field[F_INVOICE_NUMBER], "INV-9");
	assert_string_equal(g->lines[0].field[F_LAW_FIRM_ID], "FIRM-A");
	assert_string_equal(g->lines[0].field[F_INVOICE_CURRENCY], "USD");
	assert_true(g->lines[0].has_column[F_INVOICE_CURRENCY]);
}

static void
csvin__invalid_default__one_error(void **state)
{
	struct input_opts o = {.date_form = DATE_AUTO};
	static const char csv[] = "Date,Hours\n20250103,2\n20250104,2\n";
	struct got *g;

	(void)state;
	o.defaults[F_LINE_ITEM_UNIT_COST] = "cheap";
	g = run_opts("t.csv", &o, csv, sizeof(csv) - 1, 0);
	assert_int_equal(g->nlines, 0);
	assert_int_equal(g->ndiags, 1);
	assert_diag(g, 0, 'E', 1, 0, "default value: invalid "
	    "LINE_ITEM_UNIT_COST 'cheap': character that is not a digit");
	assert_int_equal(g->counts.rejected, 2);
}

static void
csvin__no_invoice_column__file_base_name(void **state)
{
	static const struct input_opts o = {.date_form = DATE_AUTO};
	static const char csv[] = "Date,Amount\n20250103,1\n20250104,2\n";
	struct got *g = run_opts("exports/2025/q3.csv", &o, csv,
	    sizeof(csv) - 1, 0);

	(void)state;
	assert_int_equal(g->nlines, 2);
	assert_string_equal(g->lines[0].field[F_INVOICE_NUMBER], "q3.csv");
	assert_true(g->lines[0].has_column[F_INVOICE_NUMBER]);
	assert_string_equal(g->lines[1].field[F_INVOICE_NUMBER], "q3.csv");
	assert_string_equal(g->lines[0].file, "exports/2025/q3.csv");
	assert_string_equal(g->lines[0].field[F_LINE_ITEM_NUMBER], "1");
	assert_string_equal(g->lines[1].field[F_LINE_ITEM_NUMBER], "2");
	assert_true(g->lines[1].has_column[F_LINE_ITEM_NUMBER]);
}

static void
csvin__line_number_counts_rejected_records(void **state)
{
	struct got *g = run("Date,Amount\n20250103,1\nbad,2\n20250105,3\n");

	(void)state;
	assert_int_equal(g->nlines, 2);
	assert_string_equal(g->lines[1].field[F_LINE_ITEM_NUMBER], "3");
	assert_int_equal(g->lines[1].record, 3);
	assert_int_equal(g->lines[1].row, 4);
}

static void
csvin__no_type_column__expense_code_means_expense(void **state)
{
	struct got *g = run("Date,Amount,Expense Code\n"
	    "20250103,1,E101\n20250104,2,\n20250105,3, \n");

	(void)state;
	assert_int_equal(g->nlines, 3);
	assert_int_equal(g->lines[0].type, LINE_EXPENSE);
	assert_int_equal(g->lines[1].type, LINE_FEE);
	assert_int_equal(g->lines[2].type, LINE_FEE);
	assert_false(g->lines[0].has_column[F_EXP_FEE_INV_ADJ_TYPE]);
}

static void
csvin__type_column__codes_and_words(void **state)
{
	struct got *g = run("Date,Amount,Type,ExpCd\n"
	    "20250103,1,E,\n20250104,1,fee,E101\n20250105,1,IF,\n"
	    "20250106,1,ie,\n20250107,1,,E110\n");

	(void)state;
	assert_int_equal(g->nlines, 5);
	assert_int_equal(g->lines[0].type, LINE_EXPENSE);
	assert_int_equal(g->lines[1].type, LINE_FEE);
	assert_int_equal(g->lines[2].type, LINE_ADJ_FEE);
	assert_int_equal(g->lines[3].type, LINE_ADJ_EXPENSE);
	assert_int_equal(g->lines[4].type, LINE_EXPENSE);
}

/* ---- required columns ---- */

static void
csvin__missing_date_column__one_error_then_rejects(void **state)
{
	struct got *g = run("Client,Matter,Amount\nA,1,5\n\nB,2,6\n,,\n");

	(void)state;
	assert_int_equal(g->nlines, 0);
	assert_int_equal(g->ndiags, 1);
	assert_diag(g, 0, 'E', 1, 0, "no line date column (Date, "
	    "LINE_ITEM_DATE); header is: Client, Matter, Amount");
	assert_true(g->counts.failed);
	assert_int_equal(g->counts.records, 2);
	assert_int_equal(g->counts.rejected, 2);
}

static void
csvin__missing_units__names_units_column(void **state)
{
	struct got *g = run("\n\nDate,Rate\n20250101,5\n");

	(void)state;
	assert_int_equal(g->ndiags, 1);
	assert_diag(g, 0, 'E', 3, 0, "no line total column (Amount, "
	    "LINE_ITEM_TOTAL) nor a units column (Hours, "
	    "LINE_ITEM_NUMBER_OF_UNITS) to compute it; header is: Date, Rate");
}

static void
csvin__missing_column_with_bad_records__still_silent(void **state)
{
	struct got *g = run("Client,Amount\n\"a\"x,1\nb,\"open\n");

	(void)state;
	assert_int_equal(g->ndiags, 1);
	assert_int_equal(g->diags[0].kind, 'E');
	assert_int_equal(g->counts.records, 2);
	assert_int_equal(g->counts.rejected, 2);
}

static void
csvin__long_header__quoted_and_capped(void **state)
{
	char csv[1200];
	size_t n = 0, i;
	struct got *g;
	const char *msg;

	(void)state;
	for (i = 0; i < 60; i++)
		n += (size_t)snprintf(csv + n, sizeof(csv) - n, "Col\x1b%02zu,",
		    i);
	snprintf(csv + n, sizeof(csv) - n, "Amount\n");
	g = run(csv);
	assert_int_equal(g->ndiags, 1);
	msg = g->diags[0].msg;
	assert_non_null(strstr(msg, "header is: Col?00, Col?01, "));
	assert_null(strchr(msg, '\x1b'));
	assert_string_equal(msg + strlen(msg) - 3, "...");
	assert_true(strlen(msg) < 400);
}

/* ---- rejects ---- */

static void
csvin__field_count__rejects_with_row(void **state)
{
	(void)state;
	assert_one_reject("Date,Amount,Notes\n\n20250103,1,a,b\n", 3, 0,
	    "record has 4 fields; the header has 3");
	assert_one_reject("Date,Amount,Notes\n20250103\n", 2, 0,
	    "record has 1 field; the header has 3");
}

static void
csvin__invalid_date__rejects(void **state)
{
	(void)state;
	assert_one_reject("Date,Amount\n20260231,1\n", 2, 0,
	    "invalid LINE_ITEM_DATE '20260231': no such calendar date");
	assert_one_reject("Date,Amount\nsoon,1\n", 2, 0,
	    "invalid LINE_ITEM_DATE 'soon': not a date (YYYYMMDD, "
	    "YYYY-MM-DD or MM/DD/YYYY)");
	assert_one_reject("Date,Amount\n  ,1\n", 2, 0, "blank LINE_ITEM_DATE");
	assert_one_reject("Date,Amount\n\"\",1\n", 2, 0,
	    "blank LINE_ITEM_DATE");
}

static void
csvin__invoice_dates__blank_ok_invalid_rejects(void **state)
{
	struct got *g = run("Date,Amount,Invoice Date,From,To\n"
	    "20250103,1,,,\n");

	(void)state;
	assert_int_equal(g->nlines, 1);
	assert_int_equal(g->lines[0].invoice_date, DATE_NONE);
	assert_int_equal(g->lines[0].billing_start, DATE_NONE);
	assert_int_equal(g->lines[0].billing_end, DATE_NONE);
	assert_one_reject("Date,Amount,Invoice Date\n20250103,1,2025-13-01\n",
	    2, 0, "invalid INVOICE_DATE '2025-13-01': no such calendar date");
	assert_one_reject("Date,Amount,Billing End\n20250103,1,x\n", 2, 0,
	    "invalid BILLING_END_DATE 'x': not a date (YYYYMMDD, "
	    "YYYY-MM-DD or MM/DD/YYYY)");
}

static void
csvin__bad_numbers__reject(void **state)
{
	(void)state;
	assert_one_reject("Date,Amount\n20250103,1e9\n", 2, 0,
	    "invalid LINE_ITEM_TOTAL '1e9': exponent notation is not allowed");
	assert_one_reject("Date,Amount\n20250103,NaN\n", 2, 0,
	    "invalid LINE_ITEM_TOTAL 'NaN': character that is not a digit");
	assert_one_reject("Date,Amount\n20250103,--5\n", 2, 0,
	    "invalid LINE_ITEM_TOTAL '--5': sign inside the number");
	assert_one_reject("Date,Amount\n20250103,\"1,2,3\"\n", 2, 0,
	    "invalid LINE_ITEM_TOTAL '1,2,3': misplaced thousands separator");
	assert_one_reject("Date,Amount\n20250103,99999999999999999999\n", 2, 0,
	    "invalid LINE_ITEM_TOTAL '99999999999999999999': number too "
	    "large");
	assert_one_reject("Date,Hours,Rate\n20250103,1.5.2,1\n", 2, 0,
	    "invalid LINE_ITEM_NUMBER_OF_UNITS '1.5.2': more than one decimal "
	    "point");
	assert_one_reject("Date,Amount,Tax Rate\n20250103,1,abc\n", 2, 0,
	    "invalid LINE_ITEM_TAX_RATE 'abc': character that is not a digit");
}

static void
csvin__lenient_numbers__read(void **state)
{
	struct got *g = run("Date,Amount,Adjustment\n"
	    "20250103,\"$1,234.50\",(10.00)\n20250104, +5 ,\n");

	(void)state;
	assert_int_equal(g->ndiags, 0);
	assert_int_equal(g->nlines, 2);
	assert_int_equal(g->lines[0].num[N_TOTAL], 12345000);
	assert_int_equal(g->lines[0].num[N_ADJUSTMENT], -100000);
	assert_int_equal(g->lines[1].num[N_TOTAL], 50000);
	assert_int_equal(g->lines[1].num_set, 1u << N_TOTAL);
	assert_int_equal(g->lines[0].nlints, 0);
}

static void
csvin__too_many_decimals__rounded_with_lint(void **state)
{
	struct got *g = run("Date,Amount\n20250103,1.23456\n");

	(void)state;
	assert_int_equal(g->nlines, 1);
	assert_int_equal(g->lines[0].num[N_TOTAL], 12346);
	assert_int_equal(g->lines[0].nlints, 1);
	assert_string_equal(g->lines[0].lint0, "LINE_ITEM_TOTAL '1.23456' has "
	    "more than 4 decimals; rounded");
}

static void
csvin__overflowing_product__rejects(void **state)
{
	(void)state;
	assert_one_reject("Date,Hours,Rate\n"
	    "20250103,90000000000000,90000000000000\n", 2, 0,
	    "LINE_ITEM_TOTAL computed from units and unit cost is too large");
}

static void
csvin__unknown_type__rejects(void **state)
{
	(void)state;
	assert_one_reject("Date,Amount,Type\n20250103,1,Retainer\n", 2, 0,
	    "unknown line type 'Retainer'");
}

static void
csvin__quote_in_unquoted_field__rejects_with_column(void **state)
{
	struct got *g = run("Date,Amount,Notes\n20250103,1,5\" binder\n"
	    "20250104,2,ok\n");

	(void)state;
	assert_int_equal(g->ndiags, 1);
	assert_diag(g, 0, 'R', 2, 13, "quote inside an unquoted field");
	assert_int_equal(g->nlines, 1);
	assert_int_equal(g->lines[0].row, 3);
	assert_int_equal(g->lines[0].record, 2);
	assert_int_equal(g->counts.records, 2);
	assert_int_equal(g->counts.rejected, 1);
}

static void
csvin__text_after_closing_quote__names_record_start(void **state)
{
	struct got *g = run("Date,Amount,Notes\n"
	    "20250103,1,\"two\nlines\" x\n20250104,2,ok\n");

	(void)state;
	assert_int_equal(g->ndiags, 1);
	assert_diag(g, 0, 'R', 3, 8, "malformed quoted field: 'x' after the "
	    "closing quote (record starting at line 2)");
	assert_int_equal(g->nlines, 1);
	assert_int_equal(g->lines[0].row, 4);
}

static void
csvin__unterminated_quote__rejects_at_eof(void **state)
{
	struct got *g = run("Date,Amount,Notes\n20250103,1,ok\n"
	    "20250104,2,\"never\nclosed\n\n");

	(void)state;
	assert_int_equal(g->nlines, 1);
	assert_int_equal(g->ndiags, 1);
	assert_diag(g, 0, 'R', 3, 0,
	    "unterminated quoted field starting at line 3");
	assert_int_equal(g->counts.records, 2);
	assert_int_equal(g->counts.rejected, 1);
}

static void
csvin__unterminated_quote_in_later_line__names_that_line(void **state)
{
	struct got *g = run("Date,Amount,Notes\n20250103,\"1\n\",\"open");

	(void)state;
	assert_int_equal(g->ndiags, 1);
	assert_diag(g, 0, 'R', 2, 0,
	    "unterminated quoted field starting at line 3");
}

static void
csvin__oversize_record__rejects_and_resumes(void **state)
{
	struct input_opts o = {.date_form = DATE_AUTO, .max_record = 40};
	static const char csv[] = "Date,Amount,Notes\n"
	    "20250103,1,aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n"
	    "20250104,2,ok\n";
	size_t chunk;

	(void)state;
	for (chunk = 0; chunk < 8; chunk++) {
		struct got *g = run_opts("t.csv", &o, csv, sizeof(csv) - 1,
		    chunk);

		assert_int_equal(g->ndiags, 1);
		assert_diag(g, 0, 'R', 2, 0, "record is longer than 40 bytes");
		assert_int_equal(g->diags[0].code, DIAG_LIMIT);
		assert_int_equal(g->nlines, 1);
		assert_int_equal(g->lines[0].row, 3);
		assert_int_equal(g->lines[0].record, 2);
		assert_int_equal(g->counts.records, 2);
		assert_int_equal(g->counts.rejected, 1);
	}
}

static void
csvin__oversize_multiline__hints_at_quote(void **state)
{
	struct input_opts o = {.date_form = DATE_AUTO, .max_record = 30};
	static const char csv[] = "Date,Amount,Notes\n"
	    "20250103,1,\"open\nxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n"
	    "20250104,2,ok\n";
	struct got *g = run_opts("t.csv", &o, csv, sizeof(csv) - 1, 0);

	(void)state;
	assert_int_equal(g->ndiags, 1);
	assert_diag(g, 0, 'R', 2, 0, "record is longer than 30 bytes (lines "
	    "2-3: an unterminated quoted field?)");
	assert_int_equal(g->nlines, 1);
	assert_int_equal(g->lines[0].row, 4);
}

static void
csvin__oversize_header__fails_file(void **state)
{
	struct input_opts o = {.date_form = DATE_AUTO, .max_record = 16};
	static const char csv[] = "Date,Amount,Notes,More,Columns\n"
	    "20250104,2,ok,,\n";
	size_t chunk;

	(void)state;
	for (chunk = 0; chunk < 4; chunk++) {
		struct got *g = run_opts("t.csv", &o, csv, sizeof(csv) - 1,
		    chunk);

		assert_int_equal(g->ndiags, 1);
		assert_diag(g, 0, 'E', 1, 0,
		    "header row: longer than 16 bytes");
		assert_true(g->counts.failed);
		assert_int_equal(g->counts.records, 1);
		assert_int_equal(g->counts.rejected, 1);
	}
}

static void
csvin__control_bytes__quoted_safely(void **state)
{
	char csv[300], want[200];
	struct got *g;

	(void)state;
	assert_one_reject("Date,Amount\n20250103,\"\x1b[31m1\xff\"\n", 2, 0,
	    "invalid LINE_ITEM_TOTAL '?[31m1?': character that is not a "
	    "digit");
	snprintf(csv, sizeof(csv), "Date,Amount\n%0100d,1\n", 7);
	g = run(csv);
	snprintf(want, sizeof(want), "invalid LINE_ITEM_DATE '%060d...': "
	    "not a date (YYYYMMDD, YYYY-MM-DD or MM/DD/YYYY)", 0);
	assert_int_equal(g->ndiags, 1);
	assert_string_equal(g->diags[0].msg, want);
}

/* ---- blank and odd records ---- */

static void
csvin__blank_and_delimiter_only_lines__skipped(void **state)
{
	struct got *g = run("\n  \nDate,Amount\n\n,\n , \n\"\",\"\"\n"
	    "20250103,1\n   \n");

	(void)state;
	assert_int_equal(g->ndiags, 0);
	assert_int_equal(g->nlines, 1);
	assert_int_equal(g->lines[0].row, 8);
	assert_int_equal(g->lines[0].record, 1);
	assert_int_equal(g->counts.records, 1);
}

static void
csvin__multiline_field__row_is_start_line(void **state)
{
	struct got *g = run("Date,Notes,Amount\n20250103,\"a\nb\nc\",1\n"
	    "20250104,d,2\n");

	(void)state;
	assert_int_equal(g->nlines, 2);
	assert_int_equal(g->lines[0].row, 2);
	assert_string_equal(g->lines[0].field[F_LINE_ITEM_DESCRIPTION],
	    "a\nb\nc");
	assert_int_equal(g->lines[1].row, 5);
}

static void
csvin__quoted_header_spanning_lines__maps(void **state)
{
	struct got *g = run("\"Line\nTotal\",Date\n1,20250103\n");

	(void)state;
	assert_int_equal(g->ndiags, 0);
	assert_int_equal(g->nlines, 1);
	assert_int_equal(g->lines[0].row, 3);
	assert_int_equal(g->lines[0].num[N_TOTAL], 10000);
}

static void
csvin__quoted_field_spaces__trimmed(void **state)
{
	struct got *g = run("Date , Amount ,Notes\n"
	    " 20250103 ,\" 12.50 \",\"  hi  \"\n");

	(void)state;
	assert_int_equal(g->ndiags, 0);
	assert_int_equal(g->nlines, 1);
	assert_string_equal(g->lines[0].field[F_LINE_ITEM_DESCRIPTION], "hi");
	assert_string_equal(g->lines[0].field[F_LINE_ITEM_TOTAL], "12.50");
}

static void
csvin__header_only__no_records(void **state)
{
	struct got *g = run("Date,Amount");

	(void)state;
	assert_int_equal(g->ndiags, 0);
	assert_int_equal(g->nlines, 0);
	assert_int_equal(g->counts.records, 0);
	assert_false(g->counts.failed);
	assert_true(g->counts.format_known);
}

static void
csvin__no_final_newline__last_record_read(void **state)
{
	struct got *g = run("Date,Amount\r\n20250103,1\r\n20250104,2");

	(void)state;
	assert_int_equal(g->nlines, 2);
	assert_int_equal(g->lines[1].row, 3);
}

static void
csvin__empty_input__error(void **state)
{
	struct got *g = run(" \n\n");

	(void)state;
	assert_int_equal(g->ndiags, 1);
	assert_int_equal(g->diags[0].kind, 'E');
	assert_string_equal(g->diags[0].msg,
	    "no header row: the file is empty");
	assert_true(g->counts.failed);
}

static void
csvin__dmy_form__reads_day_first(void **state)
{
	static const struct input_opts o = {.date_form = DATE_DMY};
	static const char csv[] = "Date,Amount\n03/01/2025,1\n2025-01-04,1\n";
	struct got *g = run_opts("t.csv", &o, csv, sizeof(csv) - 1, 0);

	(void)state;
	assert_int_equal(g->nlines, 2);
	assert_int_equal(g->lines[0].date, date_from_ymd(2025, 1, 3));
	assert_int_equal(g->lines[1].date, date_from_ymd(2025, 1, 4));
}

static void
csvin__computed_total__units_times_cost_plus_adjustment(void **state)
{
	struct got *g = run("Date,Hours,Rate,Adjustment,Amount\n"
	    "20250103,1.5,200,-25,\n20250104,1.5,200,,299\n"
	    "20250105,,200,,\n");

	(void)state;
	assert_int_equal(g->nlines, 3);
	assert_int_equal(g->lines[0].num[N_TOTAL], 2750000);
	assert_true(line_has_num_set(g->lines[0].num_set, N_TOTAL));
	assert_int_equal(g->lines[1].num[N_TOTAL], 2990000);
	assert_false(line_has_num_set(g->lines[2].num_set, N_TOTAL));
}

static void
csvin__no_total_column__total_computed(void **state)
{
	struct got *g = run("Date,Qty,Unit Cost,Tax\n20250103,3,0.10,0.03\n");

	(void)state;
	assert_int_equal(g->ndiags, 0);
	assert_int_equal(g->nlines, 1);
	assert_int_equal(g->lines[0].num[N_TOTAL], 3300);
	assert_false(g->lines[0].has_column[F_LINE_ITEM_TOTAL]);
}

static void
csvin__zero_opts__dates_read_as_auto(void **state)
{
	static const char csv[] = "Date,Amount\n2025-01-03,1\n";
	struct got *g = run_opts("t.csv", NULL, csv, sizeof(csv) - 1, 0);

	(void)state;
	assert_int_equal(g->nlines, 1);
	assert_int_equal(g->lines[0].date, date_from_ymd(2025, 1, 3));
}

/* Random bytes from a CSV-ish alphabet, fed in random chunks, must give
 * what one feed gives (fixed seed, so a failure repeats). */
static void
csvin__random_chunking__matches_whole_buffer(void **state)
{
	static const char alphabet[] = "a1,,\"\"\r\n\n ;\t|$.-2\xef\xbb\xbf";
	static const char head[] = "Date,Amount,Notes\n";
	struct input_opts o = {.date_form = DATE_AUTO, .max_record = 24};
	uint32_t seed = 12345;
	char buf[160];
	int iter;

	(void)state;
	for (iter = 0; iter < 400; iter++) {
		size_t n = sizeof(head) - 1, len, chunk;
		struct got *whole, *g;
		char *want;

		memcpy(buf, head, n);
		seed = seed * 1103515245u + 12345u;
		len = n + (seed >> 16) % 120;
		while (n < len) {
			seed = seed * 1103515245u + 12345u;
			buf[n++] = alphabet[(seed >> 16) %
			    (sizeof(alphabet) - 1)];
		}
		if (iter % 3 == 0)
			memcpy(buf, "\xef\xbb\xbf", 3); /* BOM, no header */
		whole = run_opts("t.csv", &o, buf, len, 0);
		want = got_dump(whole);
		for (chunk = 1; chunk <= 4; chunk++) {
			g = run_opts("t.csv", &o, buf, len, chunk);
			assert_string_equal(got_dump(g), want);
		}
		/* Every record ends as delivered or rejected. */
		assert_int_equal(whole->counts.records,
		    whole->nlines + whole->counts.rejected);
		cleanup(NULL);
	}
}

#define T8 "\t\t\t\t\t\t\t\t"

/* Inputs where feeding in pieces once gave another answer (fuzzing). */
static void
csvin__split_edge_cases__match_whole_buffer(void **state)
{
	static const struct {
		const char *csv;
		size_t      max;
	} cases[] = {
		/* a CR, then no LF, while the header is held back */
		{"\r;\fDD\nat", 0},
		/* a CRLF inside a quoted field at the size limit */
		{"Date,Amount\n\r\n\"F\xcb" "a\nbtDtD\fD\r\nHat\",x\r\n", 12},
		/* an over-long header: the delimiter from its first bytes */
		{"Da;t\xbb\xffrativeative\n01/01/19,x\n,\",x\r", 12},
		/* a first line that opens with a blank run past the limit */
		{"\n\n\n" T8 T8 "\r" T8 T8 T8 "\x12 urs\"\"", 18},
		/* an over-long blank first line */
		{"\n\n" T8 T8 T8 T8 T8 T8 T8 "\t\t\t\t\t\t\t\n\n0\n", 18},
		/* blanks before a record do not count toward the limit */
		{"Date,Amount\n" T8 "\t\t\t\t\t\t\t"
		    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
		    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", 55},
	};
	size_t i, chunk;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct input_opts o = {.date_form = DATE_AUTO};
		size_t len = strlen(cases[i].csv);
		char *want;

		o.max_record = cases[i].max;
		want = got_dump(run_opts("t.csv", &o, cases[i].csv, len, 0));
		for (chunk = 1; chunk <= 3; chunk++)
			assert_string_equal(got_dump(run_opts("t.csv", &o,
			    cases[i].csv, len, chunk)), want);
	}
}

static void
csvin__long_blank_first_line__header_error(void **state)
{
	struct input_opts o = {.date_form = DATE_AUTO, .max_record = 8};
	static const char csv[] = "\n          Date,Amount\n20250101,1\n";
	struct got *g = run_opts("t.csv", &o, csv, sizeof(csv) - 1, 0);

	(void)state;
	assert_int_equal(g->ndiags, 1);
	assert_diag(g, 0, 'E', 2, 0, "header row: longer than 8 bytes");
	assert_int_equal(g->counts.records, 1);
	assert_int_equal(g->counts.rejected, 1);
}

/* ---- converting once: memos, the record buffer, NUL bytes ---- */

static struct got *
run_len(const char *buf, size_t len, size_t chunk)
{
	static const struct input_opts o = {.date_form = DATE_AUTO};

	return run_opts("t.csv", &o, buf, len, chunk);
}

static void
csvin__repeated_values__each_line_converted_alike(void **state)
{
	static const char csv[] =
	    "Date,Hours,Rate,Amount,Class,Type\n"
	    "2025-01-03,1.5,100,\"$1,234.56789\",Partner,F\n"
	    "2025-01-04,2.5,100,\"$1,234.56789\",ASSOC,E\n"
	    "2025-01-03,1.5,200,10.00,Partner,F\n"
	    "2025-01-04,2.5,200,20.00,zzz,E\n"
	    "2025-01-03,1.5,100,10.00,zzz,F\n";
	struct got *g = run(csv);
	const char *partner, *assoc;

	(void)state;
	assert_int_equal(g->nlines, 5);
	assert_int_equal(g->ndiags, 0);
	partner = g->lines[0].tk_class;
	assoc = g->lines[1].tk_class;
	assert_string_equal(partner, "PARTNR");
	assert_string_equal(assoc, "ASSOC");
	assert_ptr_equal(g->lines[2].tk_class, partner);
	assert_null(g->lines[3].tk_class);
	assert_null(g->lines[4].tk_class);
	/* The lint of a rounded number comes with every line that has it. */
	assert_int_equal(g->lines[0].num[N_TOTAL], 12345679);
	assert_int_equal(g->lines[1].num[N_TOTAL], 12345679);
	assert_int_equal(g->lines[0].nlints, 1);
	assert_int_equal(g->lines[1].nlints, 1);
	assert_string_equal(g->lines[1].lint0, "LINE_ITEM_TOTAL "
	    "'$1,234.56789' has more than 4 decimals; rounded");
	assert_int_equal(g->lines[2].nlints, 0);
	/* Same length, other text: another value. */
	assert_int_equal(g->lines[2].num[N_TOTAL], 100000);
	assert_int_equal(g->lines[3].num[N_TOTAL], 200000);
	assert_int_equal(g->lines[4].num[N_TOTAL], 100000);
	assert_int_equal(g->lines[0].num[N_UNITS], 15000);
	assert_int_equal(g->lines[1].num[N_UNITS], 25000);
	assert_int_equal(g->lines[4].num[N_UNITS], 15000);
	assert_int_equal(g->lines[2].num[N_UNIT_COST], 2000000);
	assert_int_equal(g->lines[4].num[N_UNIT_COST], 1000000);
	assert_int_equal(g->lines[0].date, g->lines[2].date);
	assert_int_equal(g->lines[1].date, g->lines[0].date + 1);
	assert_int_equal(g->lines[3].date, g->lines[1].date);
	assert_int_equal(g->lines[4].date, g->lines[0].date);
	assert_int_equal(g->lines[0].type, LINE_FEE);
	assert_int_equal(g->lines[1].type, LINE_EXPENSE);
	assert_int_equal(g->lines[4].type, LINE_FEE);
}

/* Texts longer than a memo keeps, and many texts to one memo: each is
 * still read for itself. */
static void
csvin__many_and_long_values__read_each_time(void **state)
{
	char csv[8192];
	struct got *g;
	size_t n, i;

	(void)state;
	n = (size_t)snprintf(csv, sizeof(csv), "Date,Amount,Class\n");
	for (i = 0; i < 60; i++)
		n += (size_t)snprintf(csv + n, sizeof(csv) - n,
		    "2024-%02zu-%02zu,%zu.%02zu,%s\n", 1 + i % 12, 1 + i % 28,
		    i % 7, i % 100, i % 3 == 0 ? "Paralegal" : i % 3 == 1 ?
		    "of counsel" : "OC");
	n += (size_t)snprintf(csv + n, sizeof(csv) - n,
	    "2024-01-01,\"$ 10,000,000,000,000.00\",Legal Assistant\n"
	    "2024-01-01,\"$ 10,000,000,000,000.00\",Legal Assistant\n"
	    "2024-01-01,\"$ 10,000,000,000,000.01\",Legal Assistant\n");
	assert_true(n < sizeof(csv));
	g = run(csv);
	assert_int_equal(g->nlines, 63);
	for (i = 0; i < 60; i++) {
		const struct got_line *l = &g->lines[i];
		struct got *one;
		char rec[128];

		assert_int_equal(l->num[N_TOTAL],
		    (int64_t)(i % 7) * 10000 + (int64_t)(i % 100) * 100);
		assert_string_equal(l->tk_class, i % 3 == 0 ? "PARALG" :
		    "OFCOUN");
		/* The date as a file of its own line reads it. */
		snprintf(rec, sizeof(rec), "Date,Amount\n2024-%02zu-%02zu,1\n",
		    1 + i % 12, 1 + i % 28);
		one = run(rec);
		assert_int_equal(one->nlines, 1);
		assert_int_equal(l->date, one->lines[0].date);
	}
	assert_int_equal(g->lines[60].num[N_TOTAL],
	    INT64_C(100000000000000000));
	assert_int_equal(g->lines[61].num[N_TOTAL],
	    INT64_C(100000000000000000));
	assert_int_equal(g->lines[62].num[N_TOTAL],
	    INT64_C(100000000000000100));
	assert_string_equal(g->lines[62].tk_class, "LGLAST");
}

/* A line that fails leaves nothing behind for the next one. */
static void
csvin__after_rejected_lines__nothing_stale(void **state)
{
	struct got *g = run("Date,Hours,Rate,Amount,Tax,Class\n"
	    "2025-01-03,2,100,200.123456,5,PT\n"
	    "2025-01-04,3,100\n"
	    "2025-01-05,x,100,300,6,PT\n"
	    "2025-01-06,,,50,,\n");

	(void)state;
	assert_int_equal(g->nlines, 2);
	assert_int_equal(g->ndiags, 2);
	assert_int_equal(g->lines[0].nlints, 1);
	assert_int_equal(g->lines[1].row, 5);
	assert_int_equal(g->lines[1].record, 4);
	assert_int_equal(g->lines[1].num_set, 1u << N_TOTAL);
	assert_int_equal(g->lines[1].num[N_UNITS], 0);
	assert_int_equal(g->lines[1].num[N_UNIT_COST], 0);
	assert_int_equal(g->lines[1].num[N_TAX_TOTAL], 0);
	assert_int_equal(g->lines[1].num[N_TOTAL], 500000);
	assert_int_equal(g->lines[1].nlints, 0);
	assert_null(g->lines[1].tk_class);
	assert_string_equal(g->lines[1].field[F_LINE_ITEM_NUMBER_OF_UNITS],
	    "");
	assert_string_equal(g->lines[1].field[F_LINE_ITEM_NUMBER], "4");
}

/* What the long-record test keeps of each line. */
struct long_line {
	char   date[16], units[16], rate[16], total[16], desc[4096];
	size_t ndesc;
};

static void
long_on_line(void *ctx, struct invoice_line *l)
{
	struct long_line *o = (struct long_line *)ctx + l->record - 1;

	assert_true(l->record <= 2);
	snprintf(o->date, sizeof(o->date), "%.*s",
	    (int)l->field[F_LINE_ITEM_DATE].n, l->field[F_LINE_ITEM_DATE].p);
	snprintf(o->units, sizeof(o->units), "%.*s",
	    (int)l->field[F_LINE_ITEM_NUMBER_OF_UNITS].n,
	    l->field[F_LINE_ITEM_NUMBER_OF_UNITS].p);
	snprintf(o->rate, sizeof(o->rate), "%.*s",
	    (int)l->field[F_LINE_ITEM_UNIT_COST].n,
	    l->field[F_LINE_ITEM_UNIT_COST].p);
	snprintf(o->total, sizeof(o->total), "%.*s",
	    (int)l->field[F_LINE_ITEM_TOTAL].n, l->field[F_LINE_ITEM_TOTAL].p);
	assert_true(l->field[F_LINE_ITEM_DESCRIPTION].n < sizeof(o->desc));
	o->ndesc = l->field[F_LINE_ITEM_DESCRIPTION].n;
	memcpy(o->desc, l->field[F_LINE_ITEM_DESCRIPTION].p, o->ndesc);
}

/* A record whose fields outgrow the record buffer across lines keeps the
 * fields it read before, however it is fed. */
static void
csvin__record_outgrowing_buffer__earlier_fields_kept(void **state)
{
	static const struct input_opts o = {.date_form = DATE_AUTO};
	static const size_t chunks[] = {0, 1, 7, 333};
	struct input_sink sink = {NULL, long_on_line, NULL, NULL, NULL, NULL};
	struct input_counts counts;
	char csv[8192], want[4096];
	size_t n = 0, k = 0, i, c;

	(void)state;
	n += (size_t)snprintf(csv + n, sizeof(csv) - n,
	    "Date,Hours,Rate,Description,Amount\n"
	    "2025-01-02,1,2,short,2\n"
	    "2025-01-03,1.5,200,\"");
	for (i = 0; i < 8; i++) {
		memset(csv + n, 'a' + (char)i, 400);
		memset(want + k, 'a' + (char)i, 400);
		n += 400;
		k += 400;
		if (i < 7) {
			csv[n++] = '\n';
			want[k++] = '\n';
		}
	}
	n += (size_t)snprintf(csv + n, sizeof(csv) - n, "\",300\n");
	assert_true(n < sizeof(csv));
	for (c = 0; c < sizeof(chunks) / sizeof(chunks[0]); c++) {
		struct long_line *got = track(calloc(2, sizeof(*got)));
		csv_reader *r;

		memset(&counts, 0, sizeof(counts));
		sink.ctx = got;
		r = csvin_new("t.csv", 0, &o, &sink, &counts);
		for (i = 0; i < n; i += chunks[c] ? chunks[c] : n)
			csvin_feed(r, csv + i, chunks[c] == 0 ||
			    n - i < chunks[c] ? n - i : chunks[c]);
		csvin_finish(r);
		csvin_free(r);
		assert_int_equal(counts.records, 2);
		assert_int_equal(counts.rejected, 0);
		assert_string_equal(got[0].desc, "short");
		assert_string_equal(got[1].date, "2025-01-03");
		assert_string_equal(got[1].units, "1.5");
		assert_string_equal(got[1].rate, "200");
		assert_string_equal(got[1].total, "300");
		assert_int_equal(got[1].ndesc, k);
		assert_memory_equal(got[1].desc, want, k);
	}
}

static void
csvin__nul_byte__rejects_only_in_mapped_columns(void **state)
{
	static const char csv[] = "Date,Junk,Amount,Description\n"
	    "2025-01-03,a\0b,1,ok\n"
	    "2025-01-03,x,2,\"bad\0\"\n"
	    "2025-01-03,x,3,fine\n"
	    "2025-01-03,x,\"4\0\",\"bad\0\"\n";
	struct got *g, *bytes;

	(void)state;
	g = run_len(csv, sizeof(csv) - 1, 0);
	assert_int_equal(g->nlines, 2);
	assert_int_equal(g->lines[0].num[N_TOTAL], 10000);
	assert_int_equal(g->lines[1].num[N_TOTAL], 30000);
	assert_int_equal(g->ndiags, 2);
	assert_diag(g, 0, 'R', 3, 0, "field 4 contains a NUL byte");
	assert_diag(g, 1, 'R', 5, 0, "field 3 contains a NUL byte");
	bytes = run_len(csv, sizeof(csv) - 1, 1);
	assert_string_equal(got_dump(g), got_dump(bytes));
}

/* Every test frees what it tracked, pass or fail. */
#define T(f) cmocka_unit_test_teardown(f, cleanup)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(csvin__freshbooks_sample__reads_three_lines),
		T(csvin__juris_expense_sample__fails_with_missing_columns),
		T(csvin__juris_time_sample__fails_with_missing_columns),
		T(csvin__juris_ascii_sample__fails_once),
		T(csvin__samples_bytewise__match_whole_buffer),
		T(csvin__messy_input__expected_outcomes),
		T(csvin__bytewise_feed__matches_whole_buffer),
		T(csvin__crlf__rows_and_fields_clean),
		T(csvin__cr_only_line_ends__counted_as_lines),
		T(csvin__bom__skipped),
		T(csvin__bom_then_bad_quote__column_excludes_bom),
		T(csvin__semicolon_header__splits_on_semicolons),
		T(csvin__tab_header__splits_on_tabs),
		T(csvin__pipe_header__splits_on_pipes),
		T(csvin__delimiters_inside_quotes__not_counted),
		T(csvin__aliases__map_to_fields),
		T(csvin__columns_override__wins_over_alias),
		T(csvin__columns_override__claims_column_from_alias),
		T(csvin__field_mapped_twice__first_column_wins),
		T(csvin__ledes_names__any_case_and_spacing),
		T(csvin__unknown_class__null),
		T(csvin__defaults__fill_missing_fields),
		T(csvin__invalid_default__one_error),
		T(csvin__no_invoice_column__file_base_name),
		T(csvin__line_number_counts_rejected_records),
		T(csvin__no_type_column__expense_code_means_expense),
		T(csvin__type_column__codes_and_words),
		T(csvin__missing_date_column__one_error_then_rejects),
		T(csvin__missing_units__names_units_column),
		T(csvin__missing_column_with_bad_records__still_silent),
		T(csvin__long_header__quoted_and_capped),
		T(csvin__field_count__rejects_with_row),
		T(csvin__invalid_date__rejects),
		T(csvin__invoice_dates__blank_ok_invalid_rejects),
		T(csvin__bad_numbers__reject),
		T(csvin__lenient_numbers__read),
		T(csvin__too_many_decimals__rounded_with_lint),
		T(csvin__overflowing_product__rejects),
		T(csvin__unknown_type__rejects),
		T(csvin__quote_in_unquoted_field__rejects_with_column),
		T(csvin__text_after_closing_quote__names_record_start),
		T(csvin__unterminated_quote__rejects_at_eof),
		T(csvin__unterminated_quote_in_later_line__names_that_line),
		T(csvin__oversize_record__rejects_and_resumes),
		T(csvin__oversize_multiline__hints_at_quote),
		T(csvin__oversize_header__fails_file),
		T(csvin__control_bytes__quoted_safely),
		T(csvin__blank_and_delimiter_only_lines__skipped),
		T(csvin__multiline_field__row_is_start_line),
		T(csvin__quoted_header_spanning_lines__maps),
		T(csvin__quoted_field_spaces__trimmed),
		T(csvin__header_only__no_records),
		T(csvin__no_final_newline__last_record_read),
		T(csvin__empty_input__error),
		T(csvin__dmy_form__reads_day_first),
		T(csvin__computed_total__units_times_cost_plus_adjustment),
		T(csvin__no_total_column__total_computed),
		T(csvin__zero_opts__dates_read_as_auto),
		T(csvin__random_chunking__matches_whole_buffer),
		T(csvin__split_edge_cases__match_whole_buffer),
		T(csvin__long_blank_first_line__header_error),
		T(csvin__repeated_values__each_line_converted_alike),
		T(csvin__many_and_long_values__read_each_time),
		T(csvin__after_rejected_lines__nothing_stale),
		T(csvin__record_outgrowing_buffer__earlier_fields_kept),
		T(csvin__nul_byte__rejects_only_in_mapped_columns),
	};

	return cmocka_run_group_tests_name("csvin", tests, NULL, NULL);
}
