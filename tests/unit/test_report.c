/* test_report.c - the report writers: exact CSV and JSON Lines, the JSON
 * document's shape, the text layout, escaping, and failed writes. */
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
#include "decimal.h"
#include "fixture_store.h"
#include "report.h"
#include "utf8.h"

#define D(units, cents) ((int64_t)(units) * 10000 + (int64_t)(cents) * 100)

/*
 * severity_name lives in rules.c, which this binary does not need.  Weak,
 * so that linking against the whole library (which has the real one)
 * still works.
 */
__attribute__((weak)) const char *
severity_name(enum severity s)
{
	switch (s) {
	case SEV_INFO:
		return "info";
	case SEV_WARNING:
		return "warning";
	case SEV_ERROR:
		return "error";
	}
	return "?";
}

/* ---- The fixture: 2 firms, 3 invoices, 4 findings --------------------- */

static struct finding fx_findings[4];
static struct invoice_summary fx_invoices[3];
static struct rule_tally fx_hk_rules[3], fx_smith_rules[1];
static struct firm_summary fx_firms[2];
static struct input_summary fx_inputs[2];
static struct run_error fx_errors[1], fx_notes[1];

#define HK      "13-4567890"
#define HK_NAME "Harrow & Kline LLP"
#define SM      "24-6437381"
#define SM_NAME "Law Offices of John Smith"

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
	f[0].clause = "\xc2\xa7" "2.1 Timekeepers bill at the approved rate.";
	f[0].firm = HK;
	f[0].firm_name = HK_NAME;
	f[0].invoice = "HK-24-1016";
	f[0].matter = "2417-0001";
	f[0].line = "14";
	f[0].file = "hk.txt";
	f[0].row = 3;
	f[0].timekeeper = "HK101";
	f[0].tk_name = "Kline, Harold";
	f[0].date = date_from_ymd(2024, 12, 11);
	f[0].description = "=HYPERLINK(\"http://evil\",\"x\")";
	f[0].units = D(3, 50);
	f[0].billed = D(3237, 50);
	f[0].at_risk = D(175, 0);
	f[0].message = "billed 925.00/h, approved 875.00/h from 2024-01-01";
	f[0].seq = 0;

	f[1] = base;
	f[1].rule = "block-billing";
	f[1].check = "block_billing";
	f[1].severity = SEV_WARNING;
	f[1].firm = HK;
	f[1].firm_name = HK_NAME;
	f[1].invoice = "HK-24-1016";
	f[1].matter = "2417-0001";
	f[1].line = "22";
	f[1].file = "hk.txt";
	f[1].row = 4;
	f[1].timekeeper = "HK122";
	f[1].tk_name = "Reyes, Marcus";
	f[1].date = date_from_ymd(2024, 12, 14);
	f[1].description = "Analyze damages model, draft \"memo\"; outline "
	    "deposition of CFO";
	f[1].units = D(2, 60);
	f[1].billed = D(1586, 0);
	f[1].at_risk = D(1586, 0);
	f[1].message = "two tasks in one entry (';')";
	f[1].seq = 1;

	f[2] = f[1];
	f[2].rule = "weekend";
	f[2].check = "weekend";
	f[2].severity = SEV_INFO;
	f[2].at_risk = 0;
	f[2].message = "work dated on a Saturday";
	f[2].rule_index = 1;

	f[3] = base;
	f[3].rule = "arithmetic";
	f[3].check = "arithmetic";
	f[3].severity = SEV_ERROR;
	f[3].clause = "-3.4 Totals must add up.";
	f[3].firm = SM;
	f[3].firm_name = SM_NAME;
	f[3].invoice = "INV-9";
	f[3].matter = "0528";
	f[3].line = "3";
	f[3].file = "smith.csv";
	f[3].file_index = 1;
	f[3].row = 5;
	f[3].description = "Copies\x01 \xff\xfe caf\xc3\xa9 <b>";
	f[3].units = D(100, 0);
	f[3].billed = -D(70, 0);
	f[3].at_risk = D(0, 5);
	f[3].message = "line total -70.00 is not 100 x 0.70";
	f[3].seq = 2;

	fx_invoices[0] = (struct invoice_summary){
		.firm = HK, .firm_name = HK_NAME, .invoice = "HK-24-1016",
		.matter = "2417-0001", .cost_center = "CC-4410",
		.po = "PO-77654", .file = "hk.txt", .file_index = 0, .row = 3,
		.date = date_from_ymd(2024, 12, 31), .lines = 3,
		.lines_with_findings = 2, .nfindings = 3,
		.billed = D(18420, 50), .at_risk = D(1761, 0),
		.approved = D(16659, 50), .verdict = VERDICT_REJECT
	};
	fx_invoices[1] = (struct invoice_summary){
		.firm = HK, .firm_name = HK_NAME, .invoice = "HK-24-1017",
		.matter = "2417-0002", .cost_center = "", .po = "",
		.file = "hk.txt", .file_index = 0, .row = 6,
		.date = DATE_NONE, .lines = 2, .nfindings = 0,
		.billed = D(1000, 0), .approved = D(1000, 0),
		.verdict = VERDICT_APPROVE
	};
	fx_invoices[2] = (struct invoice_summary){
		.firm = SM, .firm_name = SM_NAME, .invoice = "INV-9",
		.matter = "0528", .cost_center = "", .po = "",
		.file = "smith.csv", .file_index = 1, .row = 2,
		.date = date_from_ymd(2025, 1, 15), .lines = 4,
		.lines_with_findings = 1, .nfindings = 1,
		.billed = D(500, 0), .at_risk = D(0, 5),
		.approved = D(499, 95), .verdict = VERDICT_REJECT
	};

	fx_hk_rules[0] = (struct rule_tally){ "rate", "rate", 1, D(175, 0) };
	fx_hk_rules[1] = (struct rule_tally){ "block-billing", "block_billing",
		1, D(1586, 0) };
	fx_hk_rules[2] = (struct rule_tally){ "weekend", "weekend", 1, 0 };
	fx_smith_rules[0] = (struct rule_tally){ "arithmetic", "arithmetic", 1,
		D(0, 5) };
	fx_firms[0] = (struct firm_summary){
		.firm = HK, .firm_name = HK_NAME, .invoices = 2,
		.invoices_with_findings = 1, .lines = 5,
		.lines_with_findings = 2, .billed = D(19420, 50),
		.at_risk = D(1761, 0), .exception_rate_bp = 5000,
		.by_rule = fx_hk_rules, .nby_rule = 3
	};
	fx_firms[1] = (struct firm_summary){
		.firm = SM, .firm_name = SM_NAME, .invoices = 1,
		.invoices_with_findings = 1, .lines = 4,
		.lines_with_findings = 1, .billed = D(500, 0),
		.at_risk = D(0, 5), .exception_rate_bp = 10000,
		.by_rule = fx_smith_rules, .nby_rule = 1
	};

	fx_inputs[0] = (struct input_summary){ "hk.txt", "LEDES1998B", 12, 12,
		0, 0, false };
	fx_inputs[1] = (struct input_summary){ "smith.csv", "CSV", 5, 4, 1, 0,
		true };
	fx_errors[0] = (struct run_error){ "smith.csv", 6,
		"record 5 has 9 fields; the header has 11" };
	fx_notes[0] = (struct run_error){ "", 0,
		"rule budget: matter 0528 has no budget" };

	*res = (struct run_result){
		.version = "0.1.0",
		.rules_name = "Example Corp Guidelines 2026",
		.rules_file = "acme.yaml",
		.rules_sha256 = "ab12",
		.currency = "USD",
		.inputs = fx_inputs, .ninputs = 2,
		.invoices = fx_invoices, .ninvoices = 3,
		.firms = fx_firms, .nfirms = 2,
		.errors = fx_errors, .nerrors = 1,
		.notes = fx_notes, .nnotes = 1,
		.lines = 9, .records = 17, .checked = 16, .rejected = 1,
		.billed = D(19920, 50), .at_risk = D(1761, 5),
		.count_by_severity = { 1, 1, 2 }
	};
	fixture_store(res, fx_findings, 4);
}

/* An empty run: every string "", every count 0. */
static void
fixture_empty(struct run_result *res)
{
	*res = (struct run_result){
		.version = "0.1.0", .rules_name = "", .rules_file = "",
		.rules_sha256 = "", .currency = ""
	};
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

static char *
render(int (*write)(FILE *, const struct run_result *,
    const struct report_opts *), const struct run_result *res, bool color)
{
	struct report_opts o = { .color = color };
	struct mem m;

	mem_open(&m);
	assert_int_equal(write(m.fp, res, &o), 0);
	mem_close(&m);
	return m.buf;
}

static char *
json_string(const char *s)
{
	struct mem m;

	mem_open(&m);
	assert_int_equal(report_json_string(m.fp, s), 0);
	mem_close(&m);
	return m.buf;
}

static char *
csv_field(const char *s, bool numeric)
{
	struct mem m;

	mem_open(&m);
	assert_int_equal(report_csv_field(m.fp, s, numeric), 0);
	mem_close(&m);
	return m.buf;
}

static void
assert_contains(const char *hay, const char *needle)
{
	if (strstr(hay, needle) == NULL)
		fail_msg("missing: [%s]\nin:\n%s", needle, hay);
}

static void
assert_valid_utf8(const char *s)
{
	size_t n = strlen(s), i = 0, len;

	while (i < n) {
		len = utf8_valid_prefix(s + i, n - i);
		if (len == 0)
			fail_msg("invalid UTF-8 at byte %zu", i);
		i += len;
	}
}

/* ---- The writer table ------------------------------------------------- */

static void
report_writer_for__known_names__return_their_writer(void **state)
{
	const struct report_writer *w;

	(void)state;
	w = report_writer_for("text");
	assert_non_null(w);
	assert_ptr_equal(w->write, report_text_write);
	assert_null(w->finding);
	w = report_writer_for("csv");
	assert_non_null(w);
	assert_string_equal(w->extension, "csv");
	assert_ptr_equal(w->write, report_csv_write);
	w = report_writer_for("json");
	assert_non_null(w);
	assert_ptr_equal(w->write, report_json_write);
	w = report_writer_for("jsonl");
	assert_non_null(w);
	assert_string_equal(w->name, "jsonl");
	assert_ptr_equal(w->finding, report_jsonl_finding);
	assert_non_null(w->write);
}

static void
report_writer_for__unknown_name__returns_null(void **state)
{
	(void)state;
	assert_null(report_writer_for("xml"));
	assert_null(report_writer_for("JSON"));
	assert_null(report_writer_for(""));
	assert_null(report_writer_for(NULL));
}

static void
verdict_name__each_verdict__lower_case_word(void **state)
{
	(void)state;
	assert_string_equal(verdict_name(VERDICT_APPROVE), "approve");
	assert_string_equal(verdict_name(VERDICT_REVIEW), "review");
	assert_string_equal(verdict_name(VERDICT_REJECT), "reject");
}

/* ---- Escapers --------------------------------------------------------- */

static void
report_json_string__specials__escaped_per_rfc8259(void **state)
{
	char *s;

	(void)state;
	s = json_string("a\"b\\c\nd\re\tf\bg\fh\x01i\x1fj\x7fk");
	assert_string_equal(s,
	    "\"a\\\"b\\\\c\\nd\\re\\tf\\bg\\fh\\u0001i\\u001fj\x7fk\"");
	free(s);
	s = json_string("");
	assert_string_equal(s, "\"\"");
	free(s);
}

static void
report_json_string__html_chars__escaped_as_unicode(void **state)
{
	char *s;

	(void)state;
	s = json_string("</script><b>&amp;");
	assert_string_equal(s,
	    "\"\\u003c/script\\u003e\\u003cb\\u003e\\u0026amp;\"");
	free(s);
	/* U+2028, U+2029: legal JSON, but line breaks to old JavaScript. */
	s = json_string("a\xe2\x80\xa8" "b\xe2\x80\xa9" "c\xe2\x80\xa7");
	assert_string_equal(s, "\"a\\u2028b\\u2029c\xe2\x80\xa7\"");
	free(s);
}

static void
report_json_string__invalid_utf8__bad_bytes_become_fffd(void **state)
{
	char *s;

	(void)state;
	/* Valid U+00E9 and U+1F600 pass through; a lone continuation byte,
	 * a truncated sequence, an overlong '/' and a surrogate do not. */
	s = json_string("caf\xc3\xa9 \xf0\x9f\x98\x80 \x80|\xe2\x82|\xc0\xaf|"
	    "\xed\xa0\x80");
	assert_string_equal(s, "\"caf\xc3\xa9 \xf0\x9f\x98\x80 \\ufffd|"
	    "\\ufffd\\ufffd|\\ufffd\\ufffd|\\ufffd\\ufffd\\ufffd\"");
	free(s);
}

static void
report_csv_field__plain__written_as_is(void **state)
{
	char *s;

	(void)state;
	s = csv_field("Harrow Kline LLP", false);
	assert_string_equal(s, "Harrow Kline LLP");
	free(s);
	s = csv_field("", false);
	assert_string_equal(s, "");
	free(s);
}

static void
report_csv_field__comma_quote_newline__quoted(void **state)
{
	char *s;

	(void)state;
	s = csv_field("a,b", false);
	assert_string_equal(s, "\"a,b\"");
	free(s);
	s = csv_field("say \"hi\"", false);
	assert_string_equal(s, "\"say \"\"hi\"\"\"");
	free(s);
	s = csv_field("two\r\nlines", false);
	assert_string_equal(s, "\"two\r\nlines\"");
	free(s);
	s = csv_field("\"", false);
	assert_string_equal(s, "\"\"\"\"");
	free(s);
}

static void
report_csv_field__formula_start__neutralised_with_quote(void **state)
{
	static const char *const in[] = { "=1+1", "+1", "-1", "@SUM(A1)",
		"\tx", "\rx", "=HYPERLINK(\"u\",\"x\")" };
	static const char *const out[] = { "'=1+1", "'+1", "'-1",
		"'@SUM(A1)", "'\tx", "\"'\rx\"",
		"\"'=HYPERLINK(\"\"u\"\",\"\"x\"\")\"" };
	char *s;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		s = csv_field(in[i], false);
		assert_string_equal(s, out[i]);
		free(s);
	}
	/* Only the first byte matters. */
	s = csv_field("a=1", false);
	assert_string_equal(s, "a=1");
	free(s);
}

static void
report_csv_field__numeric__never_prefixed(void **state)
{
	char *s;

	(void)state;
	s = csv_field("-70.00", true);
	assert_string_equal(s, "-70.00");
	free(s);
}

static void
report_csv_field__invalid_utf8__bad_bytes_become_fffd(void **state)
{
	char *s;

	(void)state;
	s = csv_field("caf\xc3\xa9 \xff\xfe|\xe2\x82", false);
	assert_string_equal(s, "caf\xc3\xa9 \xef\xbf\xbd\xef\xbf\xbd|"
	    "\xef\xbf\xbd\xef\xbf\xbd");
	free(s);
}

/* ---- CSV -------------------------------------------------------------- */

static const char csv_expected[] =
    "rule,check,severity,clause,firm,firm_name,invoice,matter,line,file,"
    "row,timekeeper,date,description,billed,at_risk,message\r\n"
    "rate,rate,error,\xc2\xa7" "2.1 Timekeepers bill at the approved rate.,"
    "13-4567890,Harrow & Kline LLP,HK-24-1016,2417-0001,14,hk.txt,3,HK101,"
    "2024-12-11,\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\",3237.50,"
    "175.00,\"billed 925.00/h, approved 875.00/h from 2024-01-01\"\r\n"
    "block-billing,block_billing,warning,,13-4567890,Harrow & Kline LLP,"
    "HK-24-1016,2417-0001,22,hk.txt,4,HK122,2024-12-14,"
    "\"Analyze damages model, draft \"\"memo\"\"; outline deposition of "
    "CFO\",1586.00,1586.00,two tasks in one entry (';')\r\n"
    "weekend,weekend,info,,13-4567890,Harrow & Kline LLP,HK-24-1016,"
    "2417-0001,22,hk.txt,4,HK122,2024-12-14,"
    "\"Analyze damages model, draft \"\"memo\"\"; outline deposition of "
    "CFO\",1586.00,0.00,work dated on a Saturday\r\n"
    "arithmetic,arithmetic,error,'-3.4 Totals must add up.,24-6437381,"
    "Law Offices of John Smith,INV-9,0528,3,smith.csv,5,,,"
    "Copies? \xef\xbf\xbd\xef\xbf\xbd caf\xc3\xa9 <b>,-70.00,0.05,"
    "line total -70.00 is not 100 x 0.70\r\n";

static void
report_csv_write__fixture__exact_rows(void **state)
{
	struct run_result res;
	char *out;

	(void)state;
	fixture(&res);
	out = render(report_csv_write, &res, false);
	assert_string_equal(out, csv_expected);
	assert_valid_utf8(out);
	free(out);
}

static void
report_csv_write__same_input_twice__byte_identical(void **state)
{
	struct run_result res;
	char *a, *b;

	(void)state;
	fixture(&res);
	a = render(report_csv_write, &res, false);
	b = render(report_csv_write, &res, true);
	assert_string_equal(a, b);
	free(a);
	free(b);
}

static void
report_csv_write__no_findings__header_only(void **state)
{
	struct run_result res;
	char *out;

	(void)state;
	fixture_empty(&res);
	out = render(report_csv_write, &res, false);
	assert_string_equal(out, "rule,check,severity,clause,firm,firm_name,"
	    "invoice,matter,line,file,row,timekeeper,date,description,billed,"
	    "at_risk,message\r\n");
	free(out);
}

/* ---- JSON Lines ------------------------------------------------------- */

static const char jsonl_expected[] =
    "{\"rule\":\"rate\",\"check\":\"rate\",\"severity\":\"error\","
    "\"clause\":\"\xc2\xa7" "2.1 Timekeepers bill at the approved rate.\","
    "\"firm\":\"13-4567890\",\"firm_name\":\"Harrow \\u0026 Kline LLP\","
    "\"invoice\":\"HK-24-1016\",\"matter\":\"2417-0001\",\"line\":\"14\","
    "\"file\":\"hk.txt\",\"row\":3,\"timekeeper\":\"HK101\","
    "\"date\":\"2024-12-11\","
    "\"description\":\"=HYPERLINK(\\\"http://evil\\\",\\\"x\\\")\","
    "\"units\":3.5,\"billed\":3237.50,\"at_risk\":175.00,"
    "\"message\":\"billed 925.00/h, approved 875.00/h from 2024-01-01\"}\n"
    "{\"rule\":\"block-billing\",\"check\":\"block_billing\","
    "\"severity\":\"warning\",\"clause\":\"\",\"firm\":\"13-4567890\","
    "\"firm_name\":\"Harrow \\u0026 Kline LLP\",\"invoice\":\"HK-24-1016\","
    "\"matter\":\"2417-0001\",\"line\":\"22\",\"file\":\"hk.txt\","
    "\"row\":4,\"timekeeper\":\"HK122\",\"date\":\"2024-12-14\","
    "\"description\":\"Analyze damages model, draft \\\"memo\\\"; outline "
    "deposition of CFO\",\"units\":2.6,\"billed\":1586.00,"
    "\"at_risk\":1586.00,\"message\":\"two tasks in one entry (';')\"}\n"
    "{\"rule\":\"weekend\",\"check\":\"weekend\",\"severity\":\"info\","
    "\"clause\":\"\",\"firm\":\"13-4567890\","
    "\"firm_name\":\"Harrow \\u0026 Kline LLP\",\"invoice\":\"HK-24-1016\","
    "\"matter\":\"2417-0001\",\"line\":\"22\",\"file\":\"hk.txt\","
    "\"row\":4,\"timekeeper\":\"HK122\",\"date\":\"2024-12-14\","
    "\"description\":\"Analyze damages model, draft \\\"memo\\\"; outline "
    "deposition of CFO\",\"units\":2.6,\"billed\":1586.00,"
    "\"at_risk\":0.00,\"message\":\"work dated on a Saturday\"}\n"
    "{\"rule\":\"arithmetic\",\"check\":\"arithmetic\","
    "\"severity\":\"error\",\"clause\":\"-3.4 Totals must add up.\","
    "\"firm\":\"24-6437381\",\"firm_name\":\"Law Offices of John Smith\","
    "\"invoice\":\"INV-9\",\"matter\":\"0528\",\"line\":\"3\","
    "\"file\":\"smith.csv\",\"row\":5,\"timekeeper\":\"\",\"date\":null,"
    "\"description\":\"Copies\\u0001 \\ufffd\\ufffd caf\xc3\xa9 "
    "\\u003cb\\u003e\",\"units\":100.0,\"billed\":-70.00,"
    "\"at_risk\":0.05,"
    "\"message\":\"line total -70.00 is not 100 x 0.70\"}\n";

static void
report_jsonl_finding__fixture__one_exact_line_each(void **state)
{
	struct finding_reader rd;
	struct run_result res;
	struct mem m;
	size_t i;

	(void)state;
	fixture(&res);
	mem_open(&m);
	findings_reader_init(&rd, &res);
	for (i = 0; i < res.nfindings; i++)
		assert_int_equal(report_jsonl_finding(m.fp,
		    findings_reader_get(&rd, i)), 0);
	findings_reader_fini(&rd);
	assert_int_equal(report_writer_for("jsonl")->write(m.fp, &res, NULL),
	    0);
	mem_close(&m);
	assert_string_equal(m.buf, jsonl_expected);
	free(m.buf);
}

static void
report_jsonl_write__whole_run__writes_nothing(void **state)
{
	struct run_result res;
	char *out;

	(void)state;
	fixture(&res);
	out = render(report_writer_for("jsonl")->write, &res, false);
	assert_string_equal(out, "");
	free(out);
}

/* ---- JSON ------------------------------------------------------------- */

static void
report_json_write__fixture__fixed_keys_two_decimals(void **state)
{
	static const char head[] =
	    "{\n"
	    "  \"billcheck\": \"0.1.0\",\n"
	    "  \"rules\": {\n"
	    "    \"name\": \"Example Corp Guidelines 2026\",\n"
	    "    \"file\": \"acme.yaml\",\n"
	    "    \"sha256\": \"ab12\"\n"
	    "  },\n"
	    "  \"currency\": \"USD\",\n"
	    "  \"inputs\": [\n"
	    "    {\n"
	    "      \"file\": \"hk.txt\",\n"
	    "      \"format\": \"LEDES1998B\",\n"
	    "      \"records\": 12,\n"
	    "      \"checked\": 12,\n"
	    "      \"rejected\": 0,\n"
	    "      \"skipped\": 0,\n"
	    "      \"complete\": true\n"
	    "    },\n";
	static const char *const fragments[] = {
		"      \"complete\": false\n    }\n  ],\n  \"findings\": [\n"
		"    {\n      \"rule\": \"rate\",\n"
		"      \"check\": \"rate\",\n",
		"      \"description\": \"=HYPERLINK(\\\"http://evil\\\","
		"\\\"x\\\")\",\n      \"units\": 3.5,\n"
		"      \"billed\": 3237.50,\n      \"at_risk\": 175.00,\n",
		"      \"date\": null,\n",
		"      \"billed\": -70.00,\n      \"at_risk\": 0.05,\n",
		"  \"invoices\": [\n    {\n      \"firm\": \"13-4567890\",\n"
		"      \"firm_name\": \"Harrow \\u0026 Kline LLP\",\n"
		"      \"invoice\": \"HK-24-1016\",\n"
		"      \"matter\": \"2417-0001\",\n"
		"      \"cost_center\": \"CC-4410\",\n"
		"      \"po\": \"PO-77654\",\n      \"file\": \"hk.txt\",\n"
		"      \"row\": 3,\n      \"date\": \"2024-12-31\",\n"
		"      \"lines\": 3,\n      \"lines_with_findings\": 2,\n"
		"      \"findings\": 3,\n      \"billed\": 18420.50,\n"
		"      \"at_risk\": 1761.00,\n      \"approved\": 16659.50,\n"
		"      \"verdict\": \"reject\"\n    },\n",
		"      \"verdict\": \"approve\"\n",
		"      \"invoices\": 2,\n      \"invoices_with_findings\": 1,\n"
		"      \"exception_rate\": 0.5000,\n      \"lines\": 5,\n",
		"      \"exception_rate\": 1.0000,\n",
		"      \"by_rule\": [\n        {\n"
		"          \"rule\": \"rate\",\n"
		"          \"check\": \"rate\",\n"
		"          \"count\": 1,\n          \"at_risk\": 175.00\n"
		"        },\n",
		"  \"totals\": {\n    \"firms\": 2,\n    \"invoices\": 3,\n"
		"    \"invoices_with_findings\": 2,\n"
		"    \"exception_rate\": 0.6667,\n    \"lines\": 9,\n"
		"    \"lines_with_findings\": 3,\n    \"records\": 17,\n"
		"    \"checked\": 16,\n    \"rejected\": 1,\n"
		"    \"findings\": 4,\n    \"by_severity\": {\n"
		"      \"error\": 2,\n      \"warning\": 1,\n"
		"      \"info\": 1\n"
		"    },\n    \"billed\": 19920.50,\n    \"at_risk\": 1761.05,\n"
		"    \"approved\": 18159.45\n  },\n",
		"  \"errors\": [\n    {\n      \"file\": \"smith.csv\",\n"
		"      \"row\": 6,\n"
		"      \"message\": \"record 5 has 9 fields; the header "
		"has 11\"\n"
		"    }\n  ],\n",
		"  \"notes\": [\n    {\n      \"file\": \"\",\n"
		"      \"row\": null,\n"
		"      \"message\": \"rule budget: matter "
		"0528 has no budget\"\n    }\n  ]\n}\n",
	};
	struct run_result res;
	char *out;
	size_t i;

	(void)state;
	fixture(&res);
	out = render(report_json_write, &res, false);
	assert_memory_equal(out, head, sizeof(head) - 1);
	for (i = 0; i < sizeof(fragments) / sizeof(fragments[0]); i++)
		assert_contains(out, fragments[i]);
	assert_valid_utf8(out);
	free(out);
}

static void
report_json_write__empty_run__empty_arrays(void **state)
{
	static const char expected[] =
	    "{\n"
	    "  \"billcheck\": \"0.1.0\",\n"
	    "  \"rules\": {\n"
	    "    \"name\": \"\",\n"
	    "    \"file\": \"\",\n"
	    "    \"sha256\": \"\"\n"
	    "  },\n"
	    "  \"currency\": \"\",\n"
	    "  \"inputs\": [],\n"
	    "  \"findings\": [],\n"
	    "  \"invoices\": [],\n"
	    "  \"firms\": [],\n"
	    "  \"totals\": {\n"
	    "    \"firms\": 0,\n"
	    "    \"invoices\": 0,\n"
	    "    \"invoices_with_findings\": 0,\n"
	    "    \"exception_rate\": 0.0000,\n"
	    "    \"lines\": 0,\n"
	    "    \"lines_with_findings\": 0,\n"
	    "    \"records\": 0,\n"
	    "    \"checked\": 0,\n"
	    "    \"rejected\": 0,\n"
	    "    \"findings\": 0,\n"
	    "    \"by_severity\": {\n"
	    "      \"error\": 0,\n"
	    "      \"warning\": 0,\n"
	    "      \"info\": 0\n"
	    "    },\n"
	    "    \"billed\": 0.00,\n"
	    "    \"at_risk\": 0.00,\n"
	    "    \"approved\": 0.00\n"
	    "  },\n"
	    "  \"errors\": [],\n"
	    "  \"notes\": []\n"
	    "}\n";
	struct run_result res;
	char *out;

	(void)state;
	fixture_empty(&res);
	out = render(report_json_write, &res, false);
	assert_string_equal(out, expected);
	free(out);
}

/* ---- Text ------------------------------------------------------------- */

static void
report_text_write__fixture__by_firm_invoice_line(void **state)
{
	static const char *const fragments[] = {
		"Harrow & Kline LLP (13-4567890)\n"
		"  Invoice HK-24-1016  matter 2417-0001  CC-4410  PO-77654  "
		"billed 18,420.50  at risk 1,761.00  REJECT  hk.txt:3\n"
		"    line 14  2024-12-11  HK101 Kline, Harold  3.5 h  "
		"\"=HYPERLINK(\"http://evil\",\"x\")\"\n"
		"      error    rate           billed 925.00/h, approved "
		"875.00/h from 2024-01-01    175.00\n"
		"                              \xc2\xa7" "2.1 Timekeepers bill "
		"at the approved rate.\n"
		"    line 22  2024-12-14  HK122 Reyes, Marcus  2.6 h  "
		"\"Analyze damages model, draft \"memo\"; outline de...\"\n"
		"      warning  block-billing  two tasks in one entry (';')"
		"                        1,586.00\n"
		"      info     weekend        work dated on a Saturday"
		"                                0.00\n"
		"  Invoice HK-24-1017  matter 2417-0002                     "
		"billed  1,000.00  at risk     0.00  APPROVE  hk.txt:6\n"
		"  By rule          count   at risk\n"
		"    rate               1    175.00\n"
		"    block-billing      1  1,586.00\n"
		"    weekend            1      0.00\n"
		"\n"
		"Law Offices of John Smith (24-6437381)\n"
		"  Invoice INV-9  matter 0528  billed 500.00  at risk 0.05  "
		"REJECT  smith.csv:2\n"
		"    line 3  \"Copies? ?? caf\xc3\xa9 <b>\"\n"
		"      error    arithmetic     line total -70.00 is not 100 x "
		"0.70                     0.05\n"
		"                              -3.4 Totals must add up.\n"
		"  By rule       count  at risk\n"
		"    arithmetic      1     0.05\n",
		"\nFirms                      invoices  with findings    rate"
		"     billed   at risk\n"
		"Harrow & Kline LLP                2              1   50.0%"
		"  19,420.50  1,761.00\n"
		"Law Offices of John Smith         1              1  100.0%"
		"     500.00      0.05\n"
		"Total                             3              2   66.7%"
		"  19,920.50  1,761.05\n",
		"\nRules: Example Corp Guidelines 2026 (acme.yaml)\n"
		"Inputs       format      records  checked  rejected\n"
		"  hk.txt     LEDES1998B       12       12         0\n"
		"  smith.csv  CSV               5        4         1  "
		"NOT READ IN FULL\n",
		("\nErrors\n  smith.csv:6: record 5 has 9 fields; the header "
		 "has 11\n"),
		"\nNotes\n  rule budget: matter 0528 has no budget\n",
	};
	struct run_result res;
	char *out;
	const char *p;
	size_t i;

	(void)state;
	fixture(&res);
	out = render(report_text_write, &res, false);
	for (i = 0; i < sizeof(fragments) / sizeof(fragments[0]); i++)
		assert_contains(out, fragments[i]);
	assert_null(strchr(out, '\033'));
	assert_valid_utf8(out);
	/* No trailing blanks, no control bytes but newlines. */
	for (p = out; *p != '\0'; p++) {
		if (*p == '\n')
			assert_true(p == out || p[-1] != ' ');
		else
			assert_true((unsigned char)*p >= 0x20);
	}
	free(out);
}

static void
report_text_write__color__severities_and_verdicts_colored(void **state)
{
	struct run_result res;
	char *out;

	(void)state;
	fixture(&res);
	out = render(report_text_write, &res, true);
	assert_contains(out, "\033[31merror\033[0m    rate");
	assert_contains(out, "\033[33mwarning\033[0m  block-billing");
	assert_contains(out, "\033[36minfo\033[0m     weekend");
	assert_contains(out, "\033[31mREJECT\033[0m  hk.txt:3\n");
	assert_contains(out, "\033[32mAPPROVE\033[0m  hk.txt:6\n");
	free(out);
}

static void
report_text_write__empty_run__says_so_and_totals_zero(void **state)
{
	struct run_result res;
	char *out;

	(void)state;
	fixture_empty(&res);
	out = render(report_text_write, &res, false);
	assert_string_equal(out,
	    "No invoices were checked.\n"
	    "\n"
	    "Firms  invoices  with findings  rate  billed  at risk\n"
	    "Total         0              0  0.0%    0.00     0.00\n"
	    "\n"
	    "Inputs: none\n");
	free(out);
}

/* A finding whose invoice is not in the summary still prints. */
static void
report_text_write__finding_without_invoice__still_listed(void **state)
{
	struct run_result res;
	char *out;

	(void)state;
	fixture(&res);
	res.ninvoices = 2; /* drop INV-9 */
	out = render(report_text_write, &res, false);
	assert_contains(out, "Law Offices of John Smith (24-6437381)\n"
	    "  Findings outside the invoices above\n    line 3  ");
	free(out);
}

/* ---- Failed writes ---------------------------------------------------- */

typedef int (*whole_fn)(FILE *, const struct run_result *,
    const struct report_opts *);

static void
check_full(whole_fn write, bool unbuffered)
{
	struct report_opts o = { .color = false };
	struct run_result res;
	FILE *fp;

	fixture(&res);
	fp = fopen("/dev/full", "w");
	if (fp == NULL)
		skip();
	if (unbuffered)
		assert_int_equal(setvbuf(fp, NULL, _IONBF, 0), 0);
	assert_int_equal(write(fp, &res, &o), -1);
	(void)fclose(fp);
}

static void
report_writers__dev_full__return_minus_one(void **state)
{
	(void)state;
	check_full(report_text_write, false);
	check_full(report_csv_write, false);
	check_full(report_json_write, false);
}

static void
report_writers__dev_full_unbuffered__stop_at_first_write(void **state)
{
	(void)state;
	check_full(report_text_write, true);
	check_full(report_csv_write, true);
	check_full(report_json_write, true);
}

/* A buffered finding's write error shows when the stream is flushed: at
 * the end (the jsonl writer) or, unbuffered, at once. */
static void
report_jsonl__dev_full__minus_one_at_flush(void **state)
{
	const struct report_writer *w = report_writer_for("jsonl");
	struct report_opts ro;
	struct run_result res;
	FILE *fp;

	(void)state;
	fixture(&res);
	memset(&ro, 0, sizeof(ro));
	fp = fopen("/dev/full", "w");
	if (fp == NULL)
		skip();
	assert_int_equal(w->finding(fp, &fx_findings[0]), 0);
	assert_int_equal(w->write(fp, &res, &ro), -1);
	(void)fclose(fp);
	fp = fopen("/dev/full", "w");
	assert_non_null(fp);
	setvbuf(fp, NULL, _IONBF, 0);
	assert_int_equal(report_jsonl_finding(fp, &fx_findings[0]), -1);
	(void)fclose(fp);
}

static void
report_escapers__dev_full_unbuffered__return_minus_one(void **state)
{
	FILE *fp;

	(void)state;
	fp = fopen("/dev/full", "w");
	if (fp == NULL)
		skip();
	assert_int_equal(setvbuf(fp, NULL, _IONBF, 0), 0);
	assert_int_equal(report_json_string(fp, "a<b"), -1);
	assert_int_equal(report_csv_field(fp, "a,\"b", false), -1);
	assert_int_equal(report_csv_field(fp, "ab", false), -1);
	(void)fclose(fp);
}

/* ---- The hand-built JSON: the same bytes as the stdio version -------- */

/* The escaping as it was written byte by byte: the reference. */
static size_t
ref_escape(char *out, const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i, o = 0, len;

	for (i = 0; i < n; i += len) {
		len = 1;
		if (u[i] == '"' || u[i] == '\\') {
			out[o++] = '\\';
			out[o++] = (char)u[i];
		} else if (u[i] == '\n' || u[i] == '\r' || u[i] == '\t' ||
		    u[i] == '\b' || u[i] == '\f') {
			out[o++] = '\\';
			out[o++] = u[i] == '\n' ? 'n' : u[i] == '\r' ? 'r' :
			    u[i] == '\t' ? 't' : u[i] == '\b' ? 'b' : 'f';
		} else if (u[i] < 0x20 || u[i] == '<' || u[i] == '>' ||
		    u[i] == '&') {
			o += (size_t)sprintf(out + o, "\\u%04x", u[i]);
		} else if (u[i] >= 0x80) {
			len = utf8_valid_prefix(s + i, n - i);
			if (len == 0) {
				len = 1;
				memcpy(out + o, "\\ufffd", 6);
				o += 6;
			} else if (len == 3 && u[i] == 0xe2 &&
			    u[i + 1] == 0x80 &&
			    (u[i + 2] == 0xa8 || u[i + 2] == 0xa9)) {
				memcpy(out + o, u[i + 2] == 0xa8 ? "\\u2028" :
				    "\\u2029", 6);
				o += 6;
			} else {
				memcpy(out + o, s + i, len);
				o += len;
			}
		} else {
			out[o++] = (char)u[i];
		}
	}
	return o;
}

static void
report_json_escape__each_byte_at_each_offset__as_reference(void **state)
{
	static const char *const special[] = {"\x01", "\x1f", "\n", "\t",
		"\"", "\\", "<", ">", "&", "\x7f", " ", "~", "\xc3\xa9",
		"\xe2\x80\xa8", "\xe2\x80\xa9", "\xe2\x80\xaa", "\xff",
		"\xc3", "\xf0\x9f\x98\x80", "\xed\xa0\x80", "'", "\x26\x22"};
	char in[64], got[512], want[512];
	size_t k, pos, n, used, gn, wn;

	(void)state;
	for (k = 0; k < sizeof(special) / sizeof(special[0]); k++) {
		for (pos = 0; pos < 24; pos++) {
			memset(in, 'a', pos);
			n = strlen(special[k]);
			memcpy(in + pos, special[k], n);
			memset(in + pos + n, 'b', 19);
			n += pos + 19;
			gn = report_json_escape(got, sizeof(got), in, n, &used);
			wn = ref_escape(want, in, n);
			assert_int_equal(used, n);
			assert_int_equal(gn, wn);
			assert_memory_equal(got, want, wn);
		}
	}
}

static void
report_json_escape__little_room__whole_characters_only(void **state)
{
	static const char in[] = "ab\xc3\xa9<\xe2\x80\xa8z";
	char out[16];
	size_t used, n;

	(void)state;
	/* Fewer than 6 bytes of room: nothing. */
	assert_int_equal(report_json_escape(out, 5, in, sizeof(in) - 1,
	    &used), 0);
	assert_int_equal(used, 0);
	/* Only while 6 bytes are left: "ab", then U+00E9 would leave 2. */
	n = report_json_escape(out, 6, in, sizeof(in) - 1, &used);
	assert_int_equal(n, 2);
	assert_int_equal(used, 2);
	assert_memory_equal(out, "ab", 2);
	n = report_json_escape(out, 12, in + 2, sizeof(in) - 3, &used);
	assert_int_equal(n, 8);
	assert_int_equal(used, 3);
	assert_memory_equal(out, "\xc3\xa9\\u003c", 8);
	n = report_json_escape(out, 12, in + 5, sizeof(in) - 6, &used);
	assert_int_equal(n, 7);
	assert_int_equal(used, 4);
	assert_memory_equal(out, "\\u2028z", 7);
}

/* The value of "key": in one JSON Lines object, up to the next , or }. */
static void
member(const char *line, const char *key, char *out, size_t size)
{
	char pat[32];
	const char *p;
	size_t n;

	snprintf(pat, sizeof(pat), "\"%s\":", key);
	p = strstr(line, pat);
	assert_non_null(p);
	p += strlen(pat);
	n = strcspn(p, ",}");
	assert_true(n < size);
	memcpy(out, p, n);
	out[n] = '\0';
}

static void
report_jsonl_finding__numbers_and_dates__as_dec_format(void **state)
{
	static const int64_t v[] = {0, 1, -1, 49, 50, 51, -49, -50, -51, 99,
		100, -100, 149, 150, -150, 12345678, -12345678, 10000,
		-10000, 25000, 123456789012345, INT64_MAX, INT64_MIN,
		INT64_MAX - 49, INT64_MIN + 49, 1000, 1200, 1230};
	const int32_t d[] = {DATE_NONE, 0, -1, date_from_ymd(1900, 1, 1),
		date_from_ymd(2199, 12, 31), date_from_ymd(2024, 2, 29),
		-800000, 3000000};
	struct run_result res;
	struct finding f;
	struct mem m;
	char got[64], want[64];
	size_t i;

	(void)state;
	fixture(&res);
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		f = fx_findings[0];
		f.billed = v[i];
		f.at_risk = v[(i + 1) % (sizeof(v) / sizeof(v[0]))];
		f.units = v[i];
		f.row = (unsigned long)v[i];
		mem_open(&m);
		assert_int_equal(report_jsonl_finding(m.fp, &f), 0);
		mem_close(&m);
		member(m.buf, "billed", got, sizeof(got));
		assert_string_equal(got, dec_format(want, v[i], 2, false));
		member(m.buf, "at_risk", got, sizeof(got));
		assert_string_equal(got, dec_format(want, f.at_risk, 2,
		    false));
		member(m.buf, "units", got, sizeof(got));
		assert_string_equal(got, dec_format_trim(want, v[i], 1));
		member(m.buf, "row", got, sizeof(got));
		snprintf(want, sizeof(want), "%lu", (unsigned long)v[i]);
		assert_string_equal(got, want);
		free(m.buf);
	}
	for (i = 0; i < sizeof(d) / sizeof(d[0]); i++) {
		f = fx_findings[0];
		f.date = d[i];
		mem_open(&m);
		assert_int_equal(report_jsonl_finding(m.fp, &f), 0);
		mem_close(&m);
		member(m.buf, "date", got, sizeof(got));
		if (d[i] == DATE_NONE) {
			assert_string_equal(got, "null");
		} else {
			snprintf(want, sizeof(want), "\"%s\"",
			    date_format(want + 40, d[i]));
			assert_string_equal(got, want);
		}
		free(m.buf);
	}
}

/* A description far past the stack buffer, every byte escaped. */
static void
report_jsonl_finding__huge_escaped_description__exact(void **state)
{
	struct run_result res;
	struct finding f;
	struct mem m;
	char *desc = malloc(100001), *want = malloc(600010), *p;
	size_t n;

	(void)state;
	assert_non_null(desc);
	assert_non_null(want);
	memset(desc, '<', 100000);
	desc[100000] = '\0';
	fixture(&res);
	f = fx_findings[0];
	f.description = desc;
	mem_open(&m);
	assert_int_equal(report_jsonl_finding(m.fp, &f), 0);
	mem_close(&m);
	want[0] = '"';
	n = 1 + ref_escape(want + 1, desc, 100000);
	want[n++] = '"';
	want[n] = '\0';
	p = strstr(m.buf, "\"description\":");
	assert_non_null(p);
	assert_memory_equal(p + 14, want, n);
	assert_int_equal(p[14 + n], ',');
	free(m.buf);
	free(want);
	free(desc);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    report_writer_for__known_names__return_their_writer),
		cmocka_unit_test(report_writer_for__unknown_name__returns_null),
		cmocka_unit_test(verdict_name__each_verdict__lower_case_word),
		cmocka_unit_test(
		    report_json_string__specials__escaped_per_rfc8259),
		cmocka_unit_test(
		    report_json_string__html_chars__escaped_as_unicode),
		cmocka_unit_test(
		    report_json_string__invalid_utf8__bad_bytes_become_fffd),
		cmocka_unit_test(report_csv_field__plain__written_as_is),
		cmocka_unit_test(
		    report_csv_field__comma_quote_newline__quoted),
		cmocka_unit_test(
		    report_csv_field__formula_start__neutralised_with_quote),
		cmocka_unit_test(report_csv_field__numeric__never_prefixed),
		cmocka_unit_test(
		    report_csv_field__invalid_utf8__bad_bytes_become_fffd),
		cmocka_unit_test(report_csv_write__fixture__exact_rows),
		cmocka_unit_test(
		    report_csv_write__same_input_twice__byte_identical),
		cmocka_unit_test(report_csv_write__no_findings__header_only),
		cmocka_unit_test(
		    report_jsonl_finding__fixture__one_exact_line_each),
		cmocka_unit_test(report_jsonl_write__whole_run__writes_nothing),
		cmocka_unit_test(
		    report_json_write__fixture__fixed_keys_two_decimals),
		cmocka_unit_test(report_json_write__empty_run__empty_arrays),
		cmocka_unit_test(
		    report_text_write__fixture__by_firm_invoice_line),
		cmocka_unit_test(
		    report_text_write__color__severities_and_verdicts_colored),
		cmocka_unit_test(
		    report_text_write__empty_run__says_so_and_totals_zero),
		cmocka_unit_test(
		    report_text_write__finding_without_invoice__still_listed),
		cmocka_unit_test(report_writers__dev_full__return_minus_one),
		cmocka_unit_test(
		    report_writers__dev_full_unbuffered__stop_at_first_write),
		cmocka_unit_test(
		    report_jsonl__dev_full__minus_one_at_flush),
		cmocka_unit_test(
		    report_escapers__dev_full_unbuffered__return_minus_one),
		cmocka_unit_test(
		    report_json_escape__each_byte_at_each_offset__as_reference),
		cmocka_unit_test(
		    report_json_escape__little_room__whole_characters_only),
		cmocka_unit_test(
		    report_jsonl_finding__numbers_and_dates__as_dec_format),
		cmocka_unit_test(
		    report_jsonl_finding__huge_escaped_description__exact),
	};

	return cmocka_run_group_tests_name("report", tests, NULL, NULL);
}
