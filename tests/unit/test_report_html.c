/* test_report_html.c - the HTML page: escaping of untrusted text, the
 * page's parts and their order, the trend, determinism, failed writes;
 * and the per-firm summary CSV of --summary. */
#include <stdarg.h>     /* cmocka 1.1.5 (Debian 12) needs these four first */
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "fixture_store.h"
#include "report.h"

#define D(units, cents) ((int64_t)(units) * 10000 + (int64_t)(cents) * 100)

/* Every string a law firm or a rules file could put in front of a
 * reader, in one: markup, quotes, entities, a control character, an
 * escape sequence, invalid UTF-8 and a bidi override. */
#define EVIL \
    "<script>alert('x')</script> & \"q\" \x01\x1b[31m \xff \xe2\x80\xae"

/* ---- The fixture: 2 firms, 3 invoices, 3 findings --------------------- */

static struct finding fx_findings[3];
static struct invoice_summary fx_invoices[3];
static struct rule_tally fx_a_rules[2], fx_b_rules[1];
static struct month_summary fx_a_months[2], fx_b_months[1];
static struct firm_summary fx_firms[2];
static struct input_summary fx_inputs[1];
static struct run_error fx_errors[1], fx_notes[1];

static void
fixture(struct run_result *res)
{
	static const struct finding base = {
		.rule = "", .check = "", .clause = "", .firm = "",
		.firm_name = "", .invoice = "", .matter = "", .line = "",
		.file = "", .timekeeper = "", .tk_name = "",
		.date = DATE_NONE, .description = "", .message = ""
	};
	struct finding *f = fx_findings;

	f[0] = base;
	f[0].rule = "rate";
	f[0].check = "rate";
	f[0].severity = SEV_ERROR;
	f[0].clause = "\xc2\xa7" "2.1 Approved rates <only>.";
	f[0].firm = "A-1";
	f[0].firm_name = "Alpha & Partners";
	f[0].invoice = "A-100";
	f[0].matter = "M-1";
	f[0].line = "4";
	f[0].file = "a.txt";
	f[0].row = 6;
	f[0].timekeeper = "TK1";
	f[0].tk_name = "Doe, Jane";
	f[0].date = date_from_ymd(2026, 1, 12);
	f[0].description = EVIL;
	f[0].units = D(2, 0);
	f[0].billed = D(1900, 0);
	f[0].at_risk = D(100, 0);
	f[0].message = "billed 950.00/h, approved 900.00/h";

	f[1] = f[0];
	f[1].rule = "vague";
	f[1].check = "vague_description";
	f[1].severity = SEV_WARNING;
	f[1].clause = "";
	f[1].invoice = "A-200";
	f[1].line = "1";
	f[1].row = 9;
	f[1].date = date_from_ymd(2026, 2, 3);
	f[1].description = "Attention to file";
	f[1].billed = D(90, 0);
	f[1].at_risk = D(90, 0);
	f[1].message = "vague narrative";
	f[1].rule_index = 1;
	f[1].seq = 1;

	f[2] = base;
	f[2].rule = "rate";
	f[2].check = "rate";
	f[2].severity = SEV_ERROR;
	f[2].firm = "B-2";
	f[2].invoice = "B-1";
	f[2].file = "b.csv";
	f[2].file_index = 1;
	f[2].row = 2;
	f[2].billed = D(500, 0);
	f[2].at_risk = D(50, 0);
	f[2].message = "billed 500.00/h, cap 450.00/h";
	f[2].seq = 2;

	fx_invoices[0] = (struct invoice_summary){
		.firm = "A-1", .firm_name = "Alpha & Partners",
		.invoice = "A-100", .matter = "M-1", .cost_center = "CC-1",
		.po = "PO-1", .file = "a.txt", .row = 3,
		.date = date_from_ymd(2026, 1, 31), .lines = 4,
		.lines_with_findings = 1, .nfindings = 1,
		.billed = D(5000, 0), .at_risk = D(100, 0),
		.approved = D(4900, 0), .verdict = VERDICT_REJECT
	};
	fx_invoices[1] = (struct invoice_summary){
		.firm = "A-1", .firm_name = "Alpha & Partners",
		.invoice = "A-200", .matter = "M-1", .cost_center = "CC-1",
		.po = "PO-1", .file = "a.txt", .row = 9,
		.date = date_from_ymd(2026, 2, 28), .lines = 2,
		.lines_with_findings = 1, .nfindings = 1,
		.billed = D(2000, 0), .at_risk = D(90, 0),
		.approved = D(1910, 0), .verdict = VERDICT_REVIEW
	};
	fx_invoices[2] = (struct invoice_summary){
		.firm = "B-2", .firm_name = "", .invoice = "B-1",
		.matter = "", .cost_center = "", .po = "", .file = "b.csv",
		.file_index = 1, .row = 2, .date = DATE_NONE, .lines = 1,
		.lines_with_findings = 1, .nfindings = 1,
		.billed = D(500, 0), .at_risk = D(50, 0),
		.approved = D(450, 0), .verdict = VERDICT_REJECT
	};

	fx_a_rules[0] = (struct rule_tally){ "rate", "rate", 1, D(100, 0) };
	fx_a_rules[1] = (struct rule_tally){ "vague", "vague_description", 1,
		D(90, 0) };
	fx_b_rules[0] = (struct rule_tally){ "rate", "rate", 1, D(50, 0) };
	fx_a_months[0] = (struct month_summary){ "2026-01", 1, 1, 4, 1,
		D(5000, 0), D(100, 0), 10000 };
	fx_a_months[1] = (struct month_summary){ "2026-02", 1, 1, 2, 1,
		D(2000, 0), D(90, 0), 10000 };
	fx_b_months[0] = (struct month_summary){ "undated", 1, 1, 1, 1,
		D(500, 0), D(50, 0), 10000 };
	fx_firms[0] = (struct firm_summary){
		.firm = "A-1", .firm_name = "Alpha & Partners", .invoices = 2,
		.invoices_with_findings = 2, .lines = 6,
		.lines_with_findings = 2, .billed = D(7000, 0),
		.at_risk = D(190, 0), .exception_rate_bp = 10000,
		.by_rule = fx_a_rules, .nby_rule = 2,
		.months = fx_a_months, .nmonths = 2
	};
	fx_firms[1] = (struct firm_summary){
		.firm = "B-2", .firm_name = "", .invoices = 1,
		.invoices_with_findings = 1, .lines = 1,
		.lines_with_findings = 1, .billed = D(500, 0),
		.at_risk = D(50, 0), .exception_rate_bp = 10000,
		.by_rule = fx_b_rules, .nby_rule = 1,
		.months = fx_b_months, .nmonths = 1
	};
	fx_inputs[0] = (struct input_summary){ "a.txt", "LEDES1998B", 7, 6, 1,
		0, true };
	fx_errors[0] = (struct run_error){ "a.txt", 8, "bad <date> " EVIL };
	fx_notes[0] = (struct run_error){ "b.csv", 0, "no roster" };

	*res = (struct run_result){
		.version = "0.1.0",
		.rules_name = "Guidelines " EVIL,
		.rules_file = "rules.yaml",
		.rules_sha256 = "ab12",
		.currency = "USD",
		.inputs = fx_inputs, .ninputs = 1,
		.invoices = fx_invoices, .ninvoices = 3,
		.firms = fx_firms, .nfirms = 2,
		.errors = fx_errors, .nerrors = 1,
		.notes = fx_notes, .nnotes = 1,
		.lines = 7, .records = 7, .checked = 6, .rejected = 1,
		.billed = D(7500, 0), .at_risk = D(240, 0),
		.count_by_severity = { 0, 1, 2 }
	};
	fixture_store(res, fx_findings, 3);
}

/* ---- Helpers ---------------------------------------------------------- */

struct mem {
	FILE  *fp;
	char  *buf;
	size_t len;
};

static void
mem_open(struct mem *m)
{
	m->buf = NULL;
	m->len = 0;
	m->fp = open_memstream(&m->buf, &m->len);
	assert_non_null(m->fp);
}

/* Closes the stream; m->buf then holds the output (free it). */
static void
mem_close(struct mem *m)
{
	assert_int_equal(fclose(m->fp), 0);
	m->fp = NULL;
}

/* What report_html_string writes for s (free it). */
static char *
escaped(const char *s)
{
	struct mem m;

	mem_open(&m);
	assert_int_equal(report_html_string(m.fp, s), 0);
	mem_close(&m);
	return m.buf;
}

static char *
render_with(int (*write)(FILE *, const struct run_result *),
    const struct run_result *res)
{
	struct mem m;

	mem_open(&m);
	assert_int_equal(write(m.fp, res), 0);
	mem_close(&m);
	return m.buf;
}

static int
html(FILE *fp, const struct run_result *res)
{
	struct report_opts o = { .color = true };

	return report_html_write(fp, res, &o);
}

static char *
render(const struct run_result *res)
{
	return render_with(html, res);
}

/* Times needle occurs in hay. */
static size_t
count(const char *hay, const char *needle)
{
	size_t n = 0, k = strlen(needle);

	while ((hay = strstr(hay, needle)) != NULL) {
		n++;
		hay += k;
	}
	return n;
}

/* ---- report_html_string ----------------------------------------------- */

static void
report_html_string__markup_chars__character_references(void **state)
{
	char *s;

	(void)state;
	s = escaped("a & b < c > d \"e\" 'f'");
	assert_string_equal(s, "a &amp; b &lt; c &gt; d &quot;e&quot; "
	    "&#39;f&#39;");
	free(s);
	s = escaped("&amp; already");
	assert_string_equal(s, "&amp;amp; already");
	free(s);
}

static void
report_html_string__invalid_utf8__replacement_char(void **state)
{
	char *s;

	(void)state;
	/* A stray byte, an overlong '/', a surrogate, a cut sequence. */
	s = escaped("x\xff y\xc0\xaf z\xed\xa0\x80 w\xe2\x82");
	assert_string_equal(s, "x\xef\xbf\xbd y\xef\xbf\xbd\xef\xbf\xbd "
	    "z\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd w\xef\xbf\xbd\xef\xbf\xbd");
	free(s);
}

static void
report_html_string__controls__dropped_whitespace_a_space(void **state)
{
	char *s;

	(void)state;
	s = escaped("a\x01\x07\x1b[1mb\x7f c\td\re\nf");
	assert_string_equal(s, "a[1mb c d e f");
	free(s);
	/* C1 (NEL, CSI), bidi override and isolates: gone. */
	s = escaped("g\xc2\x85h\xc2\x9bi \xe2\x80\xae" "exe.gnp \xe2\x81\xa6"
	    "j\xe2\x81\xa9");
	assert_string_equal(s, "ghi exe.gnp j");
	free(s);
}

static void
report_html_string__valid_utf8_kept_nonchars_replaced(void **state)
{
	char *s;

	(void)state;
	s = escaped("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 \xc2\xa7");
	assert_string_equal(s, "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 "
	    "\xc2\xa7");
	free(s);
	s = escaped("\xef\xbf\xbe|\xef\xb7\x90|\xf4\x8f\xbf\xbf");
	assert_string_equal(s, "\xef\xbf\xbd|\xef\xbf\xbd|\xef\xbf\xbd");
	free(s);
	s = escaped(NULL);
	assert_string_equal(s, "");
	free(s);
}

/* ---- report_html_write ------------------------------------------------ */

static void
report_html_write__fixture__whole_page_in_order(void **state)
{
	struct run_result res;
	const char *parts[] = {
		"<!DOCTYPE html>\n<html lang=\"en\">", "<style>",
		"@media print", "</style>", "id=\"summary\"",
		"id=\"charts\"", "Invoice exception rate by firm",
		"At risk by firm", "At risk by rule", "id=\"trend\"",
		"id=\"invoices\"", "id=\"findings\"", "id=\"inputs\"",
		"<footer>", "</html>\n"
	};
	const char *at;
	char *out;
	size_t i;

	(void)state;
	fixture(&res);
	out = render(&res);
	at = out;
	for (i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		at = strstr(at, parts[i]);
		if (at == NULL)
			fail_msg("'%s' missing or out of order", parts[i]);
	}
	assert_int_equal(strncmp(out, "<!DOCTYPE html>", 15), 0);
	assert_string_equal(out + strlen(out) - 8, "</html>\n");
	/* No script, nothing that fetches: the page stands alone. */
	assert_null(strstr(out, "<script"));
	assert_null(strstr(out, " src="));
	assert_null(strstr(out, "url("));
	assert_int_equal(count(out, "http"), count(out,
	    "http://www.w3.org/2000/svg"));
	free(out);
}

static void
report_html_write__untrusted_text__never_markup(void **state)
{
	struct run_result res;
	char *out;

	(void)state;
	fixture(&res);
	out = render(&res);
	/* The description, the rules' name and an error message carry
	 * EVIL: escaped every time, never raw. */
	assert_null(strstr(out, "<script>alert"));
	assert_null(strstr(out, "<date>"));
	assert_null(strstr(out, "\x1b"));
	assert_null(strstr(out, "\x01"));
	assert_null(strstr(out, "\xe2\x80\xae"));
	assert_true(count(out, "&lt;script&gt;alert(&#39;x&#39;)"
	    "&lt;/script&gt; &amp; &quot;q&quot; [31m \xef\xbf\xbd ") >= 4);
	assert_non_null(strstr(out, "Alpha &amp; Partners"));
	assert_non_null(strstr(out, "\xc2\xa7" "2.1 Approved rates "
	    "&lt;only&gt;."));
	free(out);
}

static void
report_html_write__fixture__tables_and_badges(void **state)
{
	struct run_result res;
	char *out;

	(void)state;
	fixture(&res);
	out = render(&res);
	/* Invoices: a badge per verdict (and one each in the legend), the
	 * undated invoice's date blank. */
	assert_int_equal(count(out, "<span class=\"badge reject\">reject"
	    "</span>"), 2 + 1);
	assert_int_equal(count(out, "<span class=\"badge review\">review"
	    "</span>"), 1 + 1);
	assert_non_null(strstr(out, "<td class=\"text\">B-1</td>"
	    "<td class=\"n\"></td>"));
	assert_non_null(strstr(out, "<td class=\"text\">A-100</td>"
	    "<td class=\"n\">2026-01-31</td><td class=\"text\">M-1</td>"
	    "<td>CC-1</td><td>PO-1</td><td class=\"n\">5,000.00</td>"
	    "<td class=\"n risk\">100.00</td><td class=\"n\">4,900.00</td>"));
	/* Findings grouped by firm, then invoice. */
	assert_non_null(strstr(out, "<h3>Alpha &amp; Partners <span "
	    "class=\"sub\">A-1</span> <span class=\"sub\">&#183; 2 findings "
	    "&#183; at risk 190.00</span></h3>"));
	assert_int_equal(count(out, "<tr class=\"group\">"), 3);
	assert_int_equal(count(out, "<span class=\"badge error\">error"
	    "</span>"), 2);
	/* The firm table's total row, and the exception rate meter. */
	assert_non_null(strstr(out, "<tfoot><tr><td>Total</td>"
	    "<td class=\"n\">3</td><td class=\"n\">3</td>"
	    "<td class=\"n\">100.0%<span class=\"meter\"><span "
	    "style=\"width:100.00%\"></span></span></td>"));
	/* Inputs: counts, and the input error listed. */
	assert_non_null(strstr(out, "not read in full"));
	assert_non_null(strstr(out, "<code>a.txt:8</code>: bad &lt;date&gt;"));
	free(out);
}

static void
report_html_write__charts__svg_bars_longest_first(void **state)
{
	struct run_result res;
	const char *risk, *a, *b;
	char *out;

	(void)state;
	fixture(&res);
	out = render(&res);
	risk = strstr(out, "At risk by firm");
	assert_non_null(risk);
	a = strstr(risk, ">Alpha &amp; Partners</text>");
	b = strstr(risk, ">B-2</text>");
	assert_non_null(a);
	assert_non_null(b);
	assert_true(a < b); /* 190.00 before 50.00 */
	/* The longest bar takes the whole width (252 px). */
	assert_non_null(strstr(risk, "<rect class=\"b-risk\" x=\"180\" "
	    "y=\"15\" width=\"252.0\""));
	assert_non_null(strstr(out,
	    "<svg xmlns=\"http://www.w3.org/2000/svg\""));
	free(out);
}

static void
report_html_write__months__trend_only_with_two(void **state)
{
	struct run_result res;
	char *out;

	(void)state;
	fixture(&res);
	out = render(&res);
	assert_non_null(strstr(out, "<h2>Trend by invoice month</h2>"));
	/* Alpha has two months and a chart; B-2 (one month) none. */
	assert_non_null(strstr(out, "<g><title>2026-01: billed 5,000.00, at "
	    "risk 100.00, 1 of 1 invoices with findings (100.0%)</title>"));
	assert_null(strstr(out, "<g><title>undated"));
	free(out);

	fx_firms[0].nmonths = 1;
	out = render(&res);
	assert_null(strstr(out, "id=\"trend\""));
	assert_null(strstr(out, "href=\"#trend\""));
	free(out);
}

static void
report_html_write__long_text__cut_with_ellipsis(void **state)
{
	struct run_result res;
	char *desc = malloc(5001), *out;

	(void)state;
	memset(desc, 'x', 5000);
	desc[5000] = '\0';
	fixture(&res);
	fx_findings[1].description = desc;
	fixture_store(&res, fx_findings, 3);
	out = render(&res);
	/* 999 glyphs and U+2026. */
	assert_non_null(strstr(out, ">xxxxxxxx"));
	assert_null(strstr(out, desc + 4000));
	assert_non_null(strstr(out, "xxx\xe2\x80\xa6</td>"));
	free(out);
	free(desc);
}

static void
report_html_write__same_input_twice__byte_identical(void **state)
{
	struct run_result res;
	char *a, *b;

	(void)state;
	fixture(&res);
	a = render(&res);
	b = render(&res);
	assert_string_equal(a, b);
	free(a);
	free(b);
}

static void
report_html_write__empty_run__page_says_so(void **state)
{
	struct run_result res = {
		.version = "0.1.0", .rules_name = "", .rules_file = "",
		.rules_sha256 = "", .currency = ""
	};
	char *out;

	(void)state;
	out = render(&res);
	assert_non_null(strstr(out, "No invoices were checked."));
	assert_non_null(strstr(out, "Nothing to chart."));
	assert_non_null(strstr(out, "No findings."));
	assert_null(strstr(out, "id=\"trend\""));
	assert_string_equal(out + strlen(out) - 8, "</html>\n");
	free(out);
}

static void
report_html_write__dev_full__returns_minus_one(void **state)
{
	struct run_result res;
	FILE *fp;

	(void)state;
	fixture(&res);
	fp = fopen("/dev/full", "w");
	assert_non_null(fp);
	assert_int_equal(report_html_write(fp, &res, NULL), -1);
	fclose(fp);
	fp = fopen("/dev/full", "w");
	assert_non_null(fp);
	setvbuf(fp, NULL, _IONBF, 0);
	assert_int_equal(report_html_string(fp, "a<b"), -1);
	fclose(fp);
}

static void
report_writer_for__html__registered(void **state)
{
	const struct report_writer *w = report_writer_for("html");

	(void)state;
	assert_non_null(w);
	assert_string_equal(w->extension, "html");
	assert_null(w->finding);
	assert_ptr_equal(w->write, report_html_write);
}

static void
report_approved__saturated_totals__stick_at_the_limit(void **state)
{
	(void)state;
	assert_true(report_approved(D(100, 0), D(40, 0)) == D(60, 0));
	assert_true(report_approved(-D(70, 0), 0) == -D(70, 0));
	assert_true(report_approved(INT64_MIN, D(1, 0)) == INT64_MIN);
	assert_true(report_approved(INT64_MAX, -1) == INT64_MAX);
	assert_true(report_approved(INT64_MAX, INT64_MAX) == 0);
}

/* ---- The summary CSV (--summary) -------------------------------------- */

static const char summary_expected[] =
    "firm,firm_name,month,invoices,invoices_with_findings,exception_rate,"
    "lines,lines_with_findings,billed,at_risk,approved\r\n"
    "A-1,Alpha & Partners,,2,2,1.0000,6,2,7000.00,190.00,6810.00\r\n"
    "A-1,Alpha & Partners,2026-01,1,1,1.0000,4,1,5000.00,100.00,4900.00\r\n"
    "A-1,Alpha & Partners,2026-02,1,1,1.0000,2,1,2000.00,90.00,1910.00\r\n"
    "B-2,,,1,1,1.0000,1,1,500.00,50.00,450.00\r\n"
    "B-2,,undated,1,1,1.0000,1,1,500.00,50.00,450.00\r\n";

static void
report_csv_summary_write__fixture__total_then_months(void **state)
{
	struct run_result res;
	char *out;

	(void)state;
	fixture(&res);
	out = render_with(report_csv_summary_write, &res);
	assert_string_equal(out, summary_expected);
	free(out);
}

static void
report_csv_summary_write__hostile_name__neutralised(void **state)
{
	struct run_result res;
	char *out;

	(void)state;
	fixture(&res);
	fx_firms[0].firm_name = "=HYPERLINK(\"http://x\"), \"Co\"";
	fx_firms[1].firm = "-2+3";
	out = render_with(report_csv_summary_write, &res);
	assert_non_null(strstr(out, "\r\nA-1,\"'=HYPERLINK(\"\"http://x\"\"), "
	    "\"\"Co\"\"\",,2,"));
	assert_non_null(strstr(out, "\r\n'-2+3,,,1,1,1.0000,"));
	free(out);
}

static void
report_csv_summary_write__no_firms__header_only(void **state)
{
	struct run_result res = { .version = "0.1.0" };
	char *out;

	(void)state;
	out = render_with(report_csv_summary_write, &res);
	assert_string_equal(out, "firm,firm_name,month,invoices,"
	    "invoices_with_findings,exception_rate,lines,lines_with_findings,"
	    "billed,at_risk,approved\r\n");
	free(out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    report_html_string__markup_chars__character_references),
		cmocka_unit_test(
		    report_html_string__invalid_utf8__replacement_char),
		cmocka_unit_test(
		    report_html_string__controls__dropped_whitespace_a_space),
		cmocka_unit_test(
		    report_html_string__valid_utf8_kept_nonchars_replaced),
		cmocka_unit_test(
		    report_html_write__fixture__whole_page_in_order),
		cmocka_unit_test(
		    report_html_write__untrusted_text__never_markup),
		cmocka_unit_test(
		    report_html_write__fixture__tables_and_badges),
		cmocka_unit_test(
		    report_html_write__charts__svg_bars_longest_first),
		cmocka_unit_test(
		    report_html_write__months__trend_only_with_two),
		cmocka_unit_test(
		    report_html_write__long_text__cut_with_ellipsis),
		cmocka_unit_test(
		    report_html_write__same_input_twice__byte_identical),
		cmocka_unit_test(report_html_write__empty_run__page_says_so),
		cmocka_unit_test(
		    report_html_write__dev_full__returns_minus_one),
		cmocka_unit_test(report_writer_for__html__registered),
		cmocka_unit_test(
		    report_approved__saturated_totals__stick_at_the_limit),
		cmocka_unit_test(
		    report_csv_summary_write__fixture__total_then_months),
		cmocka_unit_test(
		    report_csv_summary_write__hostile_name__neutralised),
		cmocka_unit_test(
		    report_csv_summary_write__no_firms__header_only),
	};
	return cmocka_run_group_tests_name("report_html", tests, NULL, NULL);
}
