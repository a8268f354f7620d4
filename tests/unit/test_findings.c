/* test_findings.c - the finding store: what goes in comes back, in report
 * order, from memory and from the spill file; tallies; views; a spill
 * file that cannot be made or written; and the engine keeping findings
 * through a store that spills at once. */
#include <stdarg.h>     /* cmocka 1.1.5 (Debian 12) needs these four first */
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "findings.h"
#include "run_checks.h"

/* What one test finding is made of; strings outlive the store. */
struct spec {
	const char   *firm;
	unsigned      file;
	unsigned long row;
	unsigned      rule;
	const char   *desc;
};

static struct text
tx(const char *s)
{
	return (struct text){s, strlen(s)};
}

/* Adds a finding of spec s; its message is "<prefix>[<n>]<suffix>". */
static const struct finding *
add(finding_store *fs, const struct spec *s, size_t n)
{
	static const char *const rules[] = {"r0", "r1", "r2", "r3"};
	static char num[32];
	struct finding f;
	struct finding_texts t;

	memset(&f, 0, sizeof(f));
	f.rule = rules[s->rule % 4];
	f.check = "chk";
	f.severity = (enum severity)(n % 3);
	f.clause = "";
	f.firm = s->firm;
	f.firm_name = "Name";
	f.invoice = "INV";
	f.matter = "M";
	f.file = "a.txt";
	f.file_index = s->file;
	f.row = s->row;
	f.rule_index = s->rule;
	f.date = (int32_t)n;
	f.units = (int64_t)n * 10;
	f.billed = -(int64_t)n;
	f.at_risk = (int64_t)n * 100;
	f.seq = 999; /* ignored */
	memset(&t, 0, sizeof(t));
	/* Not NUL-terminated where it ends: only n bytes count. */
	t.line = (struct text){"12345", 2};
	t.timekeeper = tx("TK");
	t.tk_name = tx("");
	t.description = tx(s->desc);
	snprintf(num, sizeof(num), "%zu", n);
	t.message[0] = tx("pre[");
	t.message[1] = tx(num);
	t.message[2] = tx("]post");
	return findings_add(fs, &f, &t);
}

/* Asserts that f is what add(.., s, n) stored. */
static void
assert_is(const struct finding *f, const struct spec *s, size_t n)
{
	char msg[64];

	assert_non_null(f);
	assert_string_equal(f->firm, s->firm);
	assert_int_equal(f->file_index, s->file);
	assert_int_equal(f->row, s->row);
	assert_int_equal(f->rule_index, s->rule);
	assert_int_equal(f->seq, n);
	assert_int_equal(f->severity, n % 3);
	assert_int_equal(f->date, (int32_t)n);
	assert_int_equal(f->units, (int64_t)n * 10);
	assert_int_equal(f->billed, -(int64_t)n);
	assert_int_equal(f->at_risk, (int64_t)n * 100);
	assert_string_equal(f->check, "chk");
	assert_string_equal(f->clause, "");
	assert_string_equal(f->firm_name, "Name");
	assert_string_equal(f->invoice, "INV");
	assert_string_equal(f->matter, "M");
	assert_string_equal(f->file, "a.txt");
	assert_string_equal(f->line, "12");
	assert_string_equal(f->timekeeper, "TK");
	assert_string_equal(f->tk_name, "");
	assert_string_equal(f->description, s->desc);
	snprintf(msg, sizeof(msg), "pre[%zu]post", n);
	assert_string_equal(f->message, msg);
}

/* The order of cmp_finding: firm by strcmp, file, row, rule, added. */
static const struct spec order_in[] = {
	{"b", 0, 5, 1, "x"},   /* 0 */
	{"a", 1, 1, 0, "x"},   /* 1 */
	{"ab", 0, 1, 0, "x"},  /* 2 */
	{"B", 0, 9, 0, "x"},   /* 3: 'B' < 'a' */
	{"a", 0, 7, 2, "x"},   /* 4 */
	{"a", 0, 7, 1, "x"},   /* 5 */
	{"b", 0, 5, 1, "y"},   /* 6: same keys as 0, added later */
	{"a", 0, 3, 3, "x"},   /* 7 */
	{"", 2, 1, 0, "x"},    /* 8: no firm id sorts first */
};
static const size_t order_want[] = {8, 3, 7, 5, 4, 1, 2, 0, 6};

static struct run_result
result_of(finding_store *fs)
{
	struct run_result res;

	memset(&res, 0, sizeof(res));
	res.findings = fs;
	res.nfindings = findings_count(fs);
	return res;
}

static void
findings_sort__mixed_keys__report_order(void **state)
{
	finding_store *fs = findings_new(0);
	struct finding_reader rd;
	struct run_result res;
	size_t i, n = sizeof(order_in) / sizeof(order_in[0]);

	(void)state;
	for (i = 0; i < n; i++)
		assert_is(add(fs, &order_in[i], i), &order_in[i], i);
	findings_sort(fs);
	res = result_of(fs);
	assert_int_equal(res.nfindings, n);
	findings_reader_init(&rd, &res);
	for (i = 0; i < n; i++) {
		size_t k = order_want[i];

		assert_is(findings_reader_get(&rd, i), &order_in[k], k);
		assert_string_equal(findings_firm(&res, i), order_in[k].firm);
		assert_int_equal(findings_severity(&res, i), k % 3);
	}
	findings_reader_fini(&rd);
	assert_int_equal(findings_count_severity(fs, SEV_INFO), 3);
	assert_int_equal(findings_count_severity(fs, SEV_WARNING), 3);
	assert_int_equal(findings_count_severity(fs, SEV_ERROR), 3);
	findings_free(fs);
}

static void
findings_of_firm__sorted__consecutive_range_and_view(void **state)
{
	finding_store *fs = findings_new(0);
	struct finding_reader rd;
	struct run_result res, view;
	size_t i, first, n = sizeof(order_in) / sizeof(order_in[0]);

	(void)state;
	for (i = 0; i < n; i++)
		add(fs, &order_in[i], i);
	findings_sort(fs);
	res = result_of(fs);
	assert_int_equal(findings_of_firm(&res, "a", &first), 4);
	assert_int_equal(first, 2);
	assert_int_equal(findings_of_firm(&res, "b", &first), 2);
	assert_int_equal(first, 7);
	assert_int_equal(findings_of_firm(&res, "nobody", &first), 0);
	/* A view reads from its own first finding. */
	view = res;
	view.nfindings = findings_of_firm(&res, "a", &view.findings_first);
	findings_reader_init(&rd, &view);
	assert_is(findings_reader_get(&rd, 0), &order_in[7], 7);
	assert_is(findings_reader_get(&rd, 3), &order_in[1], 1);
	assert_int_equal(findings_severity(&view, 0), 7 % 3);
	assert_string_equal(findings_firm(&view, 3), "a");
	findings_reader_fini(&rd);
	findings_free(fs);
}

static void
findings_firm_tally__per_rule__counts_and_saturated_sums(void **state)
{
	finding_store *fs = findings_new(0);
	const struct rule_tally *t;
	struct finding f;
	struct finding_texts tt;
	size_t n;

	(void)state;
	memset(&f, 0, sizeof(f));
	memset(&tt, 0, sizeof(tt));
	f.rule = f.check = f.clause = f.firm_name = f.invoice = "";
	f.matter = f.file = "";
	f.firm = "F";
	f.rule_index = 2;
	f.at_risk = INT64_MAX - 5;
	assert_non_null(findings_add(fs, &f, &tt));
	f.at_risk = 10;
	assert_non_null(findings_add(fs, &f, &tt));
	f.rule_index = 0;
	f.at_risk = 7;
	assert_non_null(findings_add(fs, &f, &tt));
	f.firm = "G";
	assert_non_null(findings_add(fs, &f, &tt));
	t = findings_firm_tally(fs, "F", &n);
	assert_non_null(t);
	assert_true(n >= 3);
	assert_int_equal(t[0].count, 1);
	assert_int_equal(t[0].at_risk, 7);
	assert_int_equal(t[1].count, 0);
	assert_int_equal(t[2].count, 2);
	assert_true(t[2].at_risk == INT64_MAX);
	t = findings_firm_tally(fs, "G", &n);
	assert_int_equal(t[0].count, 1);
	assert_null(findings_firm_tally(fs, "H", &n));
	assert_int_equal(n, 0);
	findings_free(fs);
}

/* Many findings through a store that spills after every one, with one
 * description far longer than a reader's window. */
static void
findings_spill__tiny_threshold__all_read_back_in_order(void **state)
{
	enum { N = 3000 };
	static struct spec in[N];
	static char descs[N][40];
	char *big = malloc(300001);
	finding_store *fs = findings_new(1);
	struct finding_reader a, b;
	struct run_result res;
	const struct finding *fa, *fb;
	size_t i;

	(void)state;
	assert_non_null(big);
	memset(big, 'd', 300000);
	big[300000] = '\0';
	setenv("TMPDIR", "/tmp", 1);
	for (i = 0; i < N; i++) {
		/* Firms interleave, rows run backwards: the sort has work. */
		snprintf(descs[i], sizeof(descs[i]), "desc %zu \xc3\xa9", i);
		in[i] = (struct spec){i % 3 == 0 ? "f2" : i % 3 == 1 ? "f1" :
			"f0", (unsigned)(i % 2), N - i, (unsigned)(i % 4),
			i == 1234 ? big : descs[i]};
		assert_is(add(fs, &in[i], i), &in[i], i);
	}
	assert_string_equal(findings_error(fs), "");
	findings_sort(fs);
	res = result_of(fs);
	findings_reader_init(&a, &res);
	findings_reader_init(&b, &res);
	/* Firm f0: i % 3 == 2, then f1, then f2; within one firm, file 0
	 * then 1, and rows ascending (i descending). */
	{
		size_t k = 0, firm, file, j;

		for (firm = 0; firm < 3; firm++)
			for (file = 0; file < 2; file++)
				for (j = N; j-- > 0;) {
					if ((firm == 0 && j % 3 != 2) ||
					    (firm == 1 && j % 3 != 1) ||
					    (firm == 2 && j % 3 != 0) ||
					    j % 2 != file)
						continue;
					assert_is(findings_reader_get(&a, k),
					    &in[j], j);
					k++;
				}
		assert_int_equal(k, N);
	}
	/* A finding from one reader stays put while another reads. */
	fa = findings_reader_get(&a, 0);
	for (i = N; i-- > 0;)
		fb = findings_reader_get(&b, i);
	assert_non_null(fb);
	assert_string_equal(fa->firm, "f0");
	/* The first: firm f0, file 0, the highest i (lowest row). */
	assert_int_equal(fa->seq, 2996);
	assert_is(fa, &in[2996], 2996);
	findings_reader_fini(&a);
	findings_reader_fini(&b);
	findings_free(fs);
	free(big);
}

static void
findings_spill__no_tmpdir__says_why_keeps_nothing(void **state)
{
	static const struct spec s = {"f", 0, 1, 0, "d"};
	finding_store *fs = findings_new(1);

	(void)state;
	setenv("TMPDIR", "/nonexistent-billcheck-dir", 1);
	assert_non_null(add(fs, &s, 0));      /* fits in memory */
	assert_null(add(fs, &s, 1));          /* the spill fails */
	assert_string_equal(findings_error(fs), "cannot create a temporary "
	    "file in /nonexistent-billcheck-dir: No such file or directory");
	assert_null(add(fs, &s, 2));
	assert_int_equal(findings_count(fs), 1);
	setenv("TMPDIR", "/tmp", 1);
	findings_free(fs);
}

/* A full disk, as the file size limit makes it: write() fails. */
static void
findings_spill__write_fails__says_why(void **state)
{
	static const struct spec s = {"f", 0, 1, 0, "some description"};
	finding_store *fs = findings_new(64 * 1024);
	struct rlimit old, lim;
	void (*oldsig)(int);
	size_t i;

	(void)state;
	setenv("TMPDIR", "/tmp", 1);
	assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
	lim = old;
	lim.rlim_cur = 1 << 20;
	oldsig = signal(SIGXFSZ, SIG_IGN);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
	for (i = 0; i < 100000 && add(fs, &s, i) != NULL; i++)
		;
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
	signal(SIGXFSZ, oldsig);
	assert_true(i < 100000);
	assert_non_null(strstr(findings_error(fs), "cannot write a "
	    "temporary file in /tmp: "));
	assert_int_equal(findings_count(fs), i);
	findings_free(fs);
}

/* ---- through the engine ---------------------------------------------- */

#define F1 "11-1111111"
#define F2 "22-2222222"

static const char rules_inc[] =
    "billcheck: 1\n"
    "rules:\n"
    "  - {id: inc, check: billing_increment, severity: warning,\n"
    "     message: \"odd hours ({detail}) here\"}\n"
    "  - {id: inc2, check: billing_increment, severity: error}\n";

static const char two_firms[] = LEDES_HEAD
    FEE(F2, "B1", "0", "1", "20260302", "1.25", "100", "125", "P1",
	"PARTNR", "first")
    FEE(F1, "A1", "0", "1", "20260302", "1.25", "100", "125", "P1",
	"PARTNR", "second")
    FEE(F2, "B1", "0", "2", "20260303", "1.05", "100", "105", "P2",
	"PARTNR", "third");

static void
engine__store_spills_at_once__same_findings(void **state)
{
	const char *texts[] = {two_firms, NULL};
	struct engine_opts eo;
	struct run a, b;
	size_t i;

	(void)state;
	setenv("TMPDIR", "/tmp", 1);
	memset(&eo, 0, sizeof(eo));
	run_texts(&a, rules_inc, texts, &eo);
	eo.findings_spill_at = 1;
	run_texts(&b, rules_inc, texts, &eo);
	assert_int_equal(a.res->nfindings, 6);
	assert_int_equal(b.res->nfindings, 6);
	for (i = 0; i < 6; i++) {
		const struct finding *x = finding_at(&a, i);
		const struct finding *y = finding_at(&b, i);

		assert_string_equal(x->firm, y->firm);
		assert_string_equal(x->rule, y->rule);
		assert_string_equal(x->message, y->message);
		assert_string_equal(x->description, y->description);
		assert_int_equal(x->row, y->row);
	}
	assert_string_equal(finding_at(&b, 0)->firm, F1);
	assert_string_equal(finding_at(&b, 0)->message,
	    "odd hours (1.25 h is not a multiple of the 0.1 h billing "
	    "increment) here");
	assert_string_equal(finding_at(&b, 5)->description, "third");
	assert_int_equal(b.res->count_by_severity[SEV_ERROR], 3);
	assert_int_equal(b.res->firms[1].nby_rule, 2);
	assert_int_equal(b.res->firms[1].by_rule[0].count, 2);
	assert_int_equal(b.res->nerrors, 0);
	run_free(&a);
	run_free(&b);
}

static void
engine__store_cannot_spill__one_error_totals_kept(void **state)
{
	const char *texts[] = {two_firms, NULL};
	struct engine_opts eo;
	struct run r;

	(void)state;
	setenv("TMPDIR", "/nonexistent-billcheck-dir", 1);
	memset(&eo, 0, sizeof(eo));
	eo.findings_spill_at = 1;
	run_texts(&r, rules_inc, texts, &eo);
	setenv("TMPDIR", "/tmp", 1);
	assert_int_equal(r.res->nfindings, 1);
	assert_int_equal(r.res->nerrors, 1);
	assert_string_equal(r.res->errors[0].message, "cannot keep the "
	    "findings: cannot create a temporary file in "
	    "/nonexistent-billcheck-dir: No such file or directory; "
	    "findings after the first 1 are missing from the report");
	/* The invoices still count every finding. */
	assert_int_equal(r.res->invoices[0].nfindings, 2);
	assert_int_equal(r.res->invoices[1].nfindings, 4);
	run_free(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(findings_sort__mixed_keys__report_order),
		cmocka_unit_test(
		    findings_of_firm__sorted__consecutive_range_and_view),
		cmocka_unit_test(
		    findings_firm_tally__per_rule__counts_and_saturated_sums),
		cmocka_unit_test(
		    findings_spill__tiny_threshold__all_read_back_in_order),
		cmocka_unit_test(
		    findings_spill__no_tmpdir__says_why_keeps_nothing),
		cmocka_unit_test(findings_spill__write_fails__says_why),
		cmocka_unit_test(engine__store_spills_at_once__same_findings),
		cmocka_unit_test(
		    engine__store_cannot_spill__one_error_totals_kept),
	};

	return cmocka_run_group_tests_name("findings", tests, NULL, NULL);
}
