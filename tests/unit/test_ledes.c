/* test_ledes.c - the LEDES reader on the real sample files and on broken
 * input: every record is delivered or rejected, with its position. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decimal.h"
#include "input.h"
#include "xalloc.h"

#ifndef DATA_DIR
#define DATA_DIR "tests/data/ledes/"
#endif

struct seen {
	size_t        nlines, nrejects, nerrors, nlints;
	unsigned long rows[64];
	int64_t       totals[64], adjs[64];
	int           types[64];
	char          desc[64][80];
	char          cmid[64][32];
	char          cls[64][8];
	char          lint[8][160];
	char          err[8][512];
	unsigned long err_row[8];
	unsigned long head_id[64];
	int32_t       inv_date[64], start[64], end[64];
	int64_t       inv_total[64];
	bool          has_inv_total[64];
	char          head[64][160]; /* the fields before LINE_ITEM_NUMBER */
	char          last[64][16];  /* the last field */
};

static void
on_line(void *ctx, struct invoice_line *l)
{
	struct seen *s = ctx;
	size_t i = s->nlines++, k;

	if (i >= 64)
		return;
	s->rows[i] = l->row;
	s->totals[i] = l->num[N_TOTAL];
	s->adjs[i] = l->num[N_ADJUSTMENT];
	s->types[i] = l->type;
	snprintf(s->desc[i], sizeof(s->desc[i]), "%.*s",
	    (int)l->field[F_LINE_ITEM_DESCRIPTION].n,
	    l->field[F_LINE_ITEM_DESCRIPTION].p);
	snprintf(s->cmid[i], sizeof(s->cmid[i]), "%.*s",
	    (int)l->field[F_CLIENT_MATTER_ID].n, l->field[F_CLIENT_MATTER_ID].p);
	snprintf(s->cls[i], sizeof(s->cls[i]), "%s",
	    l->tk_class ? l->tk_class : "");
	s->head_id[i] = l->head_id;
	s->inv_date[i] = l->invoice_date;
	s->start[i] = l->billing_start;
	s->end[i] = l->billing_end;
	s->inv_total[i] = l->num[N_INVOICE_TOTAL];
	s->has_inv_total[i] = line_has_num(l, N_INVOICE_TOTAL);
	for (k = 0; k < F_LINE_ITEM_NUMBER; k++) {
		size_t len = strlen(s->head[i]);

		snprintf(s->head[i] + len, sizeof(s->head[i]) - len, "%s%.*s",
		    k ? "|" : "", (int)l->field[k].n, l->field[k].p);
	}
	snprintf(s->last[i], sizeof(s->last[i]), "%.*s",
	    (int)l->field[F_CLIENT_MATTER_ID].n, l->field[F_CLIENT_MATTER_ID].p);
	for (k = 0; k < l->nlints; k++, s->nlints++)
		if (s->nlints < 8)
			snprintf(s->lint[s->nlints], sizeof(s->lint[0]), "%s",
			    l->lints[k].msg);
}

static void
record_diag(struct seen *s, const struct diag *d)
{
	size_t i = s->nrejects + s->nerrors;

	if (i < 8) {
		snprintf(s->err[i], sizeof(s->err[i]), "%s", d->msg);
		s->err_row[i] = d->pos.line;
	}
}

static void
on_reject(void *ctx, const struct diag *d)
{
	struct seen *s = ctx;

	record_diag(s, d);
	s->nrejects++;
}

static void
on_error(void *ctx, const struct diag *d)
{
	struct seen *s = ctx;

	record_diag(s, d);
	s->nerrors++;
}

static void
on_note(void *ctx, const struct diag *d)
{
	(void)ctx;
	(void)d;
}

/* Reads buf in chunks of `chunk` bytes (0 = all at once). */
static void
read_buf(struct seen *s, struct input_counts *c, const char *buf,
    size_t len, size_t chunk, size_t max_record)
{
	struct input_sink sink = {s, on_line, on_reject, on_error, on_note, NULL};
	struct input_opts opts;
	input_reader *r;
	size_t off;

	memset(&opts, 0, sizeof(opts));
	opts.date_form = DATE_AUTO;
	opts.max_record = max_record;
	memset(s, 0, sizeof(*s));
	r = input_reader_new("t.txt", 0, &opts, &sink);
	if (chunk == 0)
		chunk = len ? len : 1;
	for (off = 0; off < len; off += chunk)
		input_reader_feed(r, buf + off, len - off < chunk ? len - off :
		    chunk);
	input_reader_finish(r);
	input_reader_counts(r, c);
	input_reader_free(r);
}

static char *
load(const char *name, size_t *len)
{
	char path[512];
	FILE *fp;
	char *buf;

	snprintf(path, sizeof(path), "%s%s", DATA_DIR, name);
	fp = fopen(path, "rb");
	assert_non_null(fp);
	buf = xmalloc(1 << 20);
	*len = fread(buf, 1, 1 << 20, fp);
	fclose(fp);
	return buf;
}

static void
read_file(struct seen *s, struct input_counts *c, const char *name,
    size_t chunk)
{
	size_t len;
	char *buf = load(name, &len);

	read_buf(s, c, buf, len, chunk, 0);
	free(buf);
}

static void
ledes__official_sample__six_clean_lines(void **state)
{
	struct seen *s = xcalloc(1, sizeof(*s));
	struct input_counts c;

	(void)state;
	read_file(s, &c, "ledes98b_official_sample_rev2014.txt", 0);
	assert_int_equal(c.format, FMT_LEDES98B);
	assert_int_equal(c.records, 6);
	assert_int_equal(c.rejected, 0);
	assert_false(c.failed);
	assert_int_equal(s->nlines, 6);
	assert_int_equal(s->nlints, 0);
	assert_int_equal(s->rows[0], 3);
	assert_int_equal(s->rows[5], 8);
	assert_int_equal(s->totals[0], 6300000);
	assert_int_equal(s->adjs[0], -700000);
	assert_int_equal(s->types[5], LINE_ADJ_FEE);
	assert_int_equal(s->adjs[5], 12500000); /* "1250." */
	assert_string_equal(s->desc[0],
	    "Research Attorney\xe2\x80\x99s fees, Set off claim");
	assert_string_equal(s->cls[0], "PARTNR");
	free(s);
}

static void
ledes__any_chunking__same_records(void **state)
{
	static const char *const files[] = {
		"ledes98b_official_sample_rev2014.txt",
		"ledes98b_pre2014_sample_crlf.txt",
		"ledes98bi_v2_sample.txt",
		"mitratech_corridor_credit_line_98b.txt",
		"ledes98b_invalid_field_header_crlf.txt",
	};
	static const size_t chunks[] = {1, 2, 3, 7, 64};
	struct seen *a = xcalloc(1, sizeof(*a)), *b = xcalloc(1, sizeof(*b));
	struct input_counts ca, cb;
	size_t i, j, k;

	(void)state;
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		read_file(a, &ca, files[i], 0);
		for (j = 0; j < sizeof(chunks) / sizeof(chunks[0]); j++) {
			read_file(b, &cb, files[i], chunks[j]);
			assert_int_equal(a->nlines, b->nlines);
			assert_int_equal(ca.records, cb.records);
			assert_int_equal(ca.rejected, cb.rejected);
			assert_int_equal(a->nerrors, b->nerrors);
			assert_int_equal(a->nlints, b->nlints);
			for (k = 0; k < a->nlines; k++) {
				assert_int_equal(a->rows[k], b->rows[k]);
				assert_int_equal(a->totals[k], b->totals[k]);
				assert_string_equal(a->desc[k], b->desc[k]);
			}
		}
	}
	free(a);
	free(b);
}

static void
ledes__crlf_pre2014__legacy_classes_and_trailing_space_line(void **state)
{
	struct seen *s = xcalloc(1, sizeof(*s));
	struct input_counts c;

	(void)state;
	read_file(s, &c, "ledes98b_pre2014_sample_crlf.txt", 0);
	assert_int_equal(s->nlines, 6);
	assert_int_equal(c.rejected, 0);
	assert_int_equal(s->nlints, 0);
	assert_string_equal(s->cls[0], "PARTNR");
	assert_string_equal(s->cls[2], "ASSOC");
	assert_string_equal(s->cmid[5], "425-936");
	free(s);
}

static void
ledes__headerless_credit_note__read_and_flagged_once(void **state)
{
	struct seen *s = xcalloc(1, sizeof(*s));
	struct input_counts c;

	(void)state;
	read_file(s, &c, "mitratech_corridor_credit_line_98b.txt", 0);
	assert_int_equal(s->nlines, 1);
	assert_int_equal(s->totals[0], -13130000);
	assert_string_equal(s->cmid[0], "BET06242011");
	assert_int_equal(s->nlints, 1);
	assert_string_equal(s->lint[0], "the file has no LEDES1998B[] version "
	    "record and no field-name record");
	free(s);
}

static void
ledes__98bi_sample__fifty_two_fields(void **state)
{
	struct seen *s = xcalloc(1, sizeof(*s));
	struct input_counts c;

	(void)state;
	read_file(s, &c, "ledes98bi_v2_sample.txt", 0);
	assert_int_equal(c.format, FMT_LEDES98BI);
	assert_int_equal(s->nlines, 6);
	assert_int_equal(c.rejected, 0);
	assert_int_equal(s->totals[0], 7176300);
	assert_int_equal(s->totals[5], 13388100);
	free(s);
}

static void
ledes__unknown_version__one_error_all_rejected(void **state)
{
	struct seen *s = xcalloc(1, sizeof(*s));
	struct input_counts c;

	(void)state;
	read_file(s, &c, "ledes98b_invalid_format_header_crlf.txt", 0);
	assert_int_equal(s->nerrors, 1);
	assert_int_equal(s->err_row[0], 1);
	assert_string_equal(s->err[0], "unknown LEDES version 'LEDES1998Z'; "
	    "billcheck reads LEDES1998B and LEDES98BI V2");
	assert_true(c.failed);
	assert_int_equal(c.records, 7); /* the names record counts too */
	assert_int_equal(c.rejected, 7);
	assert_int_equal(s->nlines, 0);
	read_file(s, &c, "ledes98bi_many_field_errors.txt", 0);
	assert_string_equal(s->err[0], "unknown LEDES version 'LEDES98BI "
	    "V32'; billcheck reads LEDES1998B and LEDES98BI V2");
	free(s);
}

static void
ledes__bad_field_names__error_at_line_two(void **state)
{
	struct seen *s = xcalloc(1, sizeof(*s));
	struct input_counts c;

	(void)state;
	read_file(s, &c, "ledes98b_invalid_field_header_crlf.txt", 0);
	assert_int_equal(s->nerrors, 1);
	assert_int_equal(s->err_row[0], 2);
	assert_string_equal(s->err[0], "the field-name record has 1 name "
	    "('INVALID_HEADERS'...); LEDES1998B has 24");
	assert_int_equal(c.records, 6);
	assert_int_equal(c.rejected, 6);
	free(s);
}

#define HDR "LEDES1998B[]\nINVOICE_DATE|INVOICE_NUMBER|CLIENT_ID|" \
	"LAW_FIRM_MATTER_ID|INVOICE_TOTAL|BILLING_START_DATE|" \
	"BILLING_END_DATE|INVOICE_DESCRIPTION|LINE_ITEM_NUMBER|" \
	"EXP/FEE/INV_ADJ_TYPE|LINE_ITEM_NUMBER_OF_UNITS|" \
	"LINE_ITEM_ADJUSTMENT_AMOUNT|LINE_ITEM_TOTAL|LINE_ITEM_DATE|" \
	"LINE_ITEM_TASK_CODE|LINE_ITEM_EXPENSE_CODE|LINE_ITEM_ACTIVITY_CODE|" \
	"TIMEKEEPER_ID|LINE_ITEM_DESCRIPTION|LAW_FIRM_ID|LINE_ITEM_UNIT_COST|" \
	"TIMEKEEPER_NAME|TIMEKEEPER_CLASSIFICATION|CLIENT_MATTER_ID[]\n"
#define LINE(date, total) "20260305|INV1|C1|M1|" total "|20260201|" \
	"20260228|Fees|1|F|1.0|0|" total "|" date "|L110||A101|TK1|" \
	"Draft memo|12-3456789|" total "|Doe, Jane|PARTNR|CM1[]\n"

static void
ledes__bad_records__rejected_with_rows(void **state)
{
	static const char in[] = HDR
	    LINE("20260210", "100")
	    LINE("20260231", "100")
	    LINE("20260211", "1e9")
	    "20260305|INV1|C1|M1[]\n"
	    LINE("20260212", "100");
	struct seen *s = xcalloc(1, sizeof(*s));
	struct input_counts c;

	(void)state;
	read_buf(s, &c, in, sizeof(in) - 1, 0, 0);
	assert_int_equal(c.records, 5);
	assert_int_equal(s->nlines, 2);
	assert_int_equal(c.rejected, 3);
	assert_int_equal(s->err_row[0], 4);
	assert_string_equal(s->err[0], "invalid LINE_ITEM_DATE '20260231': "
	    "no such calendar date");
	assert_int_equal(s->err_row[1], 5);
	assert_string_equal(s->err[1], "invalid LINE_ITEM_UNIT_COST '1e9': "
	    "exponent notation is not allowed");
	assert_int_equal(s->err_row[2], 6);
	assert_string_equal(s->err[2], "record has 4 fields; LEDES1998B has "
	    "24");
	free(s);
}

static void
ledes__truncated_and_oversize__rejected(void **state)
{
	static const char in[] = HDR LINE("20260210", "100")
	    "20260305|INV1|C1|M1|100|2026";
	static const char big[] = HDR LINE("20260210", "100")
	    LINE("20260211", "100");
	struct seen *s = xcalloc(1, sizeof(*s));
	struct input_counts c;

	(void)state;
	read_buf(s, &c, in, sizeof(in) - 1, 0, 0);
	assert_int_equal(s->nlines, 1);
	assert_int_equal(c.rejected, 1);
	assert_string_equal(s->err[0], "the last record has no '[]' "
	    "terminator (is the file truncated?)");
	read_buf(s, &c, big, sizeof(big) - 1, 5, 1000);
	assert_int_equal(s->nlines, 2);
	read_buf(s, &c, big, sizeof(big) - 1, 5, 150);
	assert_true(c.failed); /* the names record itself is too long */
	free(s);
}

static void
ledes__header_only__clear_error(void **state)
{
	static const char in[] = HDR;
	struct seen *s = xcalloc(1, sizeof(*s));
	struct input_counts c;

	(void)state;
	read_buf(s, &c, in, sizeof(in) - 1, 0, 0);
	assert_int_equal(s->nerrors, 1);
	assert_string_equal(s->err[0], "the file has LEDES1998B header "
	    "records but no invoice lines");
	assert_true(c.failed);
	read_buf(s, &c, "", 0, 0, 0);
	assert_string_equal(s->err[0], "the file is empty: no invoice records");
	free(s);
}

/* A fee line of a given head (the invoice's fields) and line number. */
#define HEADED(head, no) head "|" no "|F|1.0|0|100|20260302|L120||A104|P1|" \
	"d|F1|100|Doe|PARTNR|CM[]\n"
#define HEAD_A "20260405|A1|C1|M1|300|20260301|20260331|S"

static void
ledes__invoice_head__reused_only_while_clean(void **state)
{
	static const char in[] = HDR
	    HEADED(HEAD_A, "1")
	    HEADED(HEAD_A, "2")
	    HEADED("20260431|A1|C1|M1|300|20260301|20260331|S", "3")
	    HEADED("20260431|A1|C1|M1|300|20260301|20260331|S", "4")
	    HEADED("20260405|A1|C1|M1|$300|20260301|20260331|S", "5")
	    HEADED(HEAD_A, "6")
	    HEADED("20260405|A2|C1|M1| 350\t|20260301||S", "1")
	    HEADED("20260405|A2|C1|M1| 350\t|20260301||S", "2");
	static const size_t chunks[] = {0, 1, 2, 3, 7, 64};
	struct seen *s = xcalloc(1, sizeof(*s));
	struct input_counts c;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(chunks) / sizeof(chunks[0]); i++) {
		read_buf(s, &c, in, sizeof(in) - 1, chunks[i], 0);
		assert_int_equal(s->nlines, 8);
		assert_int_equal(c.rejected, 0);
		/* Lines 1, 2 and 6 share a clean head. */
		assert_int_not_equal(s->head_id[0], 0);
		assert_int_equal(s->head_id[1], s->head_id[0]);
		assert_int_equal(s->head_id[5], s->head_id[0]);
		assert_int_equal(s->inv_total[5], 3000000);
		assert_true(s->has_inv_total[5]);
		assert_int_equal(s->inv_date[5], s->inv_date[0]);
		assert_int_equal(s->end[5], s->end[0]);
		assert_string_equal(s->head[5], HEAD_A);
		/* A head that lints is read (and linted) on every line. */
		assert_int_equal(s->head_id[2], 0);
		assert_int_equal(s->head_id[3], 0);
		assert_int_equal(s->head_id[4], 0);
		assert_int_equal(s->inv_date[3], DATE_NONE);
		assert_int_equal(s->start[3], s->start[0]);
		assert_int_equal(s->inv_total[4], 3000000);
		assert_int_equal(s->nlints, 5);
		assert_string_equal(s->lint[0], "invalid INVOICE_DATE "
		    "'20260431': no such calendar date");
		assert_string_equal(s->lint[1], s->lint[0]);
		assert_string_equal(s->lint[2], "INVOICE_TOTAL '$300': "
		    "currency sign (LEDES numbers are digits, '.' and a "
		    "leading '-', at most 4 decimals)");
		/* Another invoice: its own head, trimmed, a blank date,
		 * which is linted on each line. */
		assert_string_equal(s->lint[3], "required field "
		    "BILLING_END_DATE is blank");
		assert_string_equal(s->lint[4], s->lint[3]);
		assert_int_not_equal(s->head_id[6], 0);
		assert_int_not_equal(s->head_id[6], s->head_id[0]);
		assert_int_equal(s->head_id[7], s->head_id[6]);
		assert_int_equal(s->inv_total[7], 3500000);
		assert_int_equal(s->end[7], DATE_NONE);
		assert_string_equal(s->head[7],
		    "20260405|A2|C1|M1|350|20260301||S");
		assert_int_equal(s->rows[7], 10);
	}
	free(s);
}

static void
ledes__odd_bytes__nul_newline_spaces_and_short_records(void **state)
{
	static const char in[] = HDR
	    HEADED(HEAD_A, "1")
	    "20260405|A1|C1|M1|300|20260301|20260331|S|2|F|1.0|0|100|2026"
	    "0302|L120||A104|P1|a\0b|F1|100|Doe|PARTNR|CM[]\n"
	    "20260405|A1|C1|M1|300|20260301|20260331|S|3|F|1.0|0|100|2026"
	    "0302|L120||A104|P1|two\nlines|F1|100|Doe|PARTNR| CM \r\n[]\r\n"
	    "a|b[]\n"
	    "a\0|b[]\n"
	    HEADED(HEAD_A, "4");
	static const size_t chunks[] = {0, 1, 5, 64};
	struct seen *s = xcalloc(1, sizeof(*s));
	struct input_counts c;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(chunks) / sizeof(chunks[0]); i++) {
		read_buf(s, &c, in, sizeof(in) - 1, chunks[i], 0);
		assert_int_equal(s->nlines, 3);
		assert_int_equal(c.rejected, 3);
		assert_string_equal(s->err[0], "record contains a NUL byte");
		assert_int_equal(s->err_row[0], 4);
		assert_string_equal(s->desc[1], "two\nlines");
		assert_string_equal(s->last[1], "CM");
		assert_int_equal(s->rows[1], 5);
		assert_string_equal(s->err[1], "record has 2 fields; "
		    "LEDES1998B has 24");
		assert_int_equal(s->err_row[1], 8);
		assert_string_equal(s->err[2], "record contains a NUL byte");
		assert_int_equal(s->err_row[2], 9);
		assert_int_equal(s->rows[2], 10);
		assert_int_equal(s->head_id[2], s->head_id[0]);
	}
	free(s);
}

static void
ledes__long_fields__linted_on_every_line_in_field_order(void **state)
{
	static const char in[] = HDR
	    HEADED("20260405|A23456789012345678901|C1|M1|300|20260301|"
	    "20260331|S", "1")
	    "20260405|A23456789012345678901|C1|M1|300|20260301|20260331|S|2|"
	    "F|1.0|0|100|20260302|L120||A104|P1|d|F1|100|Doe|PARTNERSHIP|CM[]"
	    "\n";
	struct seen *s = xcalloc(1, sizeof(*s));
	struct input_counts c;

	(void)state;
	read_buf(s, &c, in, sizeof(in) - 1, 0, 0);
	assert_int_equal(s->nlines, 2);
	assert_int_equal(s->head_id[1], s->head_id[0]);
	assert_int_equal(s->nlints, 4);
	assert_string_equal(s->lint[0], "INVOICE_NUMBER is 21 characters; "
	    "LEDES allows 20");
	assert_string_equal(s->lint[1], "TIMEKEEPER_CLASSIFICATION "
	    "'PARTNERSHIP' is not a LEDES timekeeper class");
	assert_string_equal(s->lint[2], s->lint[0]);
	assert_string_equal(s->lint[3], "TIMEKEEPER_CLASSIFICATION is 11 "
	    "characters; LEDES allows 10");
	free(s);
}

/* input_is_ledes makes the reader's own choice from the first record,
 * and says no until that record is whole. */
static void
input_is_ledes__first_record__as_the_reader_decides(void **state)
{
	static const char *const files[] = {
		"ledes98b_official_sample_rev2014.txt",
		"ledes98b_pre2014_sample_crlf.txt",
		"ledes98bi_v2_sample.txt",
		"mitratech_corridor_credit_line_98b.txt",
		"ledes98b_invalid_format_header_crlf.txt",
		"../csv/juris_time_entry_csv_example_partial.txt",
		"../csv/crispledes_freshbooks_minimal.txt",
	};
	struct seen *s = xcalloc(1, sizeof(*s));
	struct input_counts c;
	const char *eol;
	size_t i, len;

	(void)state;
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char *buf = load(files[i], &len);

		memset(s, 0, sizeof(*s));
		read_buf(s, &c, buf, len, 0, 0);
		/* The CSV reader always knows its format; the LEDES one
		 * not when the header names no version it reads. */
		assert_int_equal(input_is_ledes(buf, len),
		    !(c.format_known && c.format == FMT_CSV));
		/* The first line without its newline: not yet known. */
		eol = memchr(buf, '\n', len);
		assert_non_null(eol);
		assert_false(input_is_ledes(buf, (size_t)(eol - buf)));
		free(buf);
	}
	assert_true(input_is_ledes("\xef\xbb\xbfLEDES1998B[]\n", 16));
	assert_false(input_is_ledes("LEDES1998B[]", 12));
	assert_false(input_is_ledes("", 0));
	free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ledes__official_sample__six_clean_lines),
		cmocka_unit_test(ledes__any_chunking__same_records),
		cmocka_unit_test(
		    ledes__crlf_pre2014__legacy_classes_and_trailing_space_line),
		cmocka_unit_test(
		    ledes__headerless_credit_note__read_and_flagged_once),
		cmocka_unit_test(ledes__98bi_sample__fifty_two_fields),
		cmocka_unit_test(ledes__unknown_version__one_error_all_rejected),
		cmocka_unit_test(ledes__bad_field_names__error_at_line_two),
		cmocka_unit_test(ledes__bad_records__rejected_with_rows),
		cmocka_unit_test(ledes__truncated_and_oversize__rejected),
		cmocka_unit_test(ledes__header_only__clear_error),
		cmocka_unit_test(ledes__invoice_head__reused_only_while_clean),
		cmocka_unit_test(
		    ledes__odd_bytes__nul_newline_spaces_and_short_records),
		cmocka_unit_test(
		    ledes__long_fields__linted_on_every_line_in_field_order),
		cmocka_unit_test(
		    input_is_ledes__first_record__as_the_reader_decides),
	};
	return cmocka_run_group_tests_name("ledes", tests, NULL, NULL);
}
