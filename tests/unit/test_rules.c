/* test_rules.c - the rules file loader: a full file and every error path. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "date.h"
#include "decimal.h"
#include "input.h"
#include "record.h"
#include "rules.h"
#include "sha256.h"

/* One rules_load call with stderr captured. */
struct load {
	rule_set   *rs;
	struct diag d;
	int         rc;
	char       *err;   /* everything printed to errfp */
	size_t      errlen;
};

static int
load_text(struct load *l, const char *yaml, size_t len)
{
	FILE *fp;

	memset(l, 0, sizeof(*l));
	fp = open_memstream(&l->err, &l->errlen);
	assert_non_null(fp);
	l->rc = rules_load(&l->rs, "t.yaml", yaml, len, fp, &l->d);
	assert_int_equal(fclose(fp), 0);
	return l->rc;
}

static int
load(struct load *l, const char *yaml)
{
	return load_text(l, yaml, strlen(yaml));
}

static void
load_done(struct load *l)
{
	rules_free(l->rs);
	free(l->err);
}

/* Loads yaml, which must fail with exactly `want` on errfp; the first
 * error's position must be line:col. */
static void
expect_errors(const char *yaml, unsigned long line, unsigned long col,
    const char *want)
{
	struct load l;

	assert_int_equal(load(&l, yaml), -1);
	assert_null(l.rs);
	assert_string_equal(l.err, want);
	assert_string_equal(l.d.pos.file, "t.yaml");
	assert_int_equal(l.d.pos.line, line);
	assert_int_equal(l.d.pos.col, col);
	load_done(&l);
}

static int32_t
ymd(int y, int m, int d)
{
	return date_from_ymd(y, m, d);
}

static const char good[] =
    "billcheck: 1\n"
    "name: Example Corp Outside Counsel Guidelines 2026\n"
    "currency: USD\n"
    "input:\n"
    "  columns: {TIMEKEEPER_ID: \"TK #\", LINE_ITEM_NUMBER_OF_UNITS: "
    "\"Hrs\"}\n"
    "  date_format: DD/MM/YYYY\n"
    "  defaults:\n"
    "    law firm id: 24-6437381\n"
    "\n"
    "rate_caps:                 # PT and PARTNR are one class\n"
    "  PT: 950.00\n"
    "  ASSOC: 650\n"
    "  PL: 250.00\n"
    "\n"
    "firms:\n"
    "  - id: 24-6437381\n"
    "    name: Law Offices of John Smith\n"
    "    timekeepers:\n"
    "      - {id: \"22547\", name: \"Arnsley, Robert\", class: PT, rate: "
    "350.00}\n"
    "      - id: \"45875\"\n"
    "        class: ASSOC\n"
    "        rates:\n"
    "          - {rate: 200.00, from: 1999-01-01, to: 1999-12-31}\n"
    "          - {rate: 225.00, from: 2000-01-01}\n"
    "    matters:\n"
    "      - {id: \"0528\", budget: 50000.00, cost_center: \"CC-4410\", "
    "po: \"PO-77654\", po_amount: 60000.00}\n"
    "      - id: \"0529\"\n"
    "    overrides:\n"
    "      increment: {increment: 0.25, severity: info, clause: Firm "
    "deal}\n"
    "      codes: {enabled: false, fees: [task], classes: LA}\n"
    "  - id: \"13-4567890\"\n"
    "    name: Harrow & Kline LLP\n"
    "    timekeepers: []\n"
    "\n"
    "rules:\n"
    "  - id: increment\n"
    "    check: billing_increment\n"
    "    increment: 0.1\n"
    "    severity: error\n"
    "    clause: \"\xc2\xa7" "2.3 Time is recorded in tenths of an "
    "hour.\"\n"
    "  - id: codes\n"
    "    check: required_codes\n"
    "    fees: [task, activity]\n"
    "    expenses: expense\n"
    "    classes: [PT, ASSOC]\n"
    "    types: [fee, adjustment]\n"
    "    firms: [\"24-6437381\"]\n"
    "    matters: \"0528\"\n"
    "    from: 2024-01-01\n"
    "    to: 2024-12-31\n"
    "    reduction: 0.5\n"
    "    enabled: yes\n"
    "    message: \"missing code: {detail}\"\n"
    "  - {id: rate, check: rate}\n";

static const struct param_value *
param(const struct rule *r, const char *name)
{
	int i = check_param_index(r->check, name);

	assert_true(i >= 0);
	return &r->params[i];
}

static void
rules_load__full_file__top_level_values(void **state)
{
	char hex[SHA256_HEX_LEN + 1];
	struct load l;

	(void)state;
	assert_int_equal(load(&l, good), 0);
	assert_non_null(l.rs);
	assert_int_equal(l.errlen, 0);
	assert_string_equal(rules_file(l.rs), "t.yaml");
	assert_string_equal(rules_name(l.rs),
	    "Example Corp Outside Counsel Guidelines 2026");
	assert_string_equal(rules_currency(l.rs), "USD");
	assert_string_equal(rules_sha256(l.rs),
	    sha256_hex(hex, good, sizeof(good) - 1));
	assert_int_equal(rules_rate_cap(l.rs, "PARTNR"), 9500000);
	assert_int_equal(rules_rate_cap(l.rs, "ASSOC"), 6500000);
	assert_int_equal(rules_rate_cap(l.rs, "PARALG"), 2500000);
	assert_int_equal(rules_rate_cap(l.rs, "LGLAST"), -1);
	assert_int_equal(rules_rate_cap(l.rs, NULL), -1);
	load_done(&l);
}

static void
rules_load__full_file__rules_in_order_with_params(void **state)
{
	const struct rule *r;
	struct load l;
	size_t n;

	(void)state;
	assert_int_equal(load(&l, good), 0);
	r = rules_list(l.rs, &n);
	assert_int_equal(n, 3);

	assert_string_equal(r[0].id, "increment");
	assert_string_equal(r[0].check->name, "billing_increment");
	assert_int_equal(r[0].index, 0);
	assert_int_equal(r[0].severity, SEV_ERROR);
	assert_string_equal(r[0].clause,
	    "\xc2\xa7" "2.3 Time is recorded in tenths of an hour.");
	assert_null(r[0].message);
	assert_true(r[0].enabled);
	assert_int_equal(r[0].reduction, DEC_SCALE);
	assert_int_equal(r[0].line, 36);
	assert_int_equal(r[0].col, 5);
	assert_true(param(&r[0], "increment")->set);
	assert_int_equal(param(&r[0], "increment")->u.amount, 1000);
	assert_false(param(&r[0], "minimum")->set);
	assert_int_equal(r[0].firms.n, 0);
	assert_int_equal(r[0].types, 0);
	assert_int_equal(r[0].from, DATE_NONE);
	assert_int_equal(r[0].to, DATE_NONE);

	assert_string_equal(r[1].id, "codes");
	assert_int_equal(r[1].index, 1);
	assert_int_equal(r[1].severity, SEV_WARNING);
	assert_string_equal(r[1].clause, "");
	assert_string_equal(r[1].message, "missing code: {detail}");
	assert_true(r[1].enabled);
	assert_int_equal(r[1].reduction, 5000);
	assert_int_equal(r[1].classes.n, 2);
	assert_string_equal(r[1].classes.v[0], "PARTNR");
	assert_string_equal(r[1].classes.v[1], "ASSOC");
	assert_int_equal(r[1].types, SCOPE_FEE | SCOPE_ADJUSTMENT);
	assert_int_equal(r[1].firms.n, 1);
	assert_string_equal(r[1].firms.v[0], "24-6437381");
	assert_int_equal(r[1].matters.n, 1);
	assert_string_equal(r[1].matters.v[0], "0528");
	assert_int_equal(r[1].from, ymd(2024, 1, 1));
	assert_int_equal(r[1].to, ymd(2024, 12, 31));
	assert_int_equal(param(&r[1], "fees")->u.list.n, 2);
	assert_string_equal(param(&r[1], "fees")->u.list.v[0], "task");
	assert_string_equal(param(&r[1], "fees")->u.list.v[1], "activity");
	assert_int_equal(param(&r[1], "expenses")->u.list.n, 1);
	assert_string_equal(param(&r[1], "expenses")->u.list.v[0], "expense");
	assert_false(param(&r[1], "extra_codes")->set);

	/* Not given: the check's default, read as YAML ("0"). */
	assert_string_equal(r[2].id, "rate");
	assert_int_equal(r[2].line, 54);
	assert_int_equal(r[2].col, 5);
	assert_true(param(&r[2], "tolerance")->set);
	assert_int_equal(param(&r[2], "tolerance")->u.amount, 0);
	load_done(&l);
}

static void
rules_load__full_file__firms_timekeepers_matters(void **state)
{
	const struct firm *f, *g;
	const struct timekeeper *tk;
	const struct matter *m;
	struct load l;

	(void)state;
	assert_int_equal(load(&l, good), 0);
	assert_int_equal(rules_nfirms(l.rs), 2);
	f = rules_firm_at(l.rs, 0);
	assert_string_equal(f->id, "24-6437381");
	assert_string_equal(f->name, "Law Offices of John Smith");
	assert_ptr_equal(rules_firm(l.rs, "24-6437381xyz", 10), f);
	assert_null(rules_firm(l.rs, "24-643738", 9));
	assert_null(rules_firm_at(l.rs, 2));
	assert_true(f->has_roster);
	assert_int_equal(f->ntks, 2);

	tk = firm_timekeeper(f, "22547", 5);
	assert_non_null(tk);
	assert_string_equal(tk->name, "Arnsley, Robert");
	assert_string_equal(tk->class, "PARTNR");
	assert_int_equal(tk->nrates, 1);
	assert_int_equal(tk->rates[0].from, DATE_NONE);
	assert_int_equal(tk->rates[0].to, DATE_NONE);
	assert_int_equal(timekeeper_rate_on(tk, ymd(1990, 1, 1)), 3500000);
	assert_int_equal(timekeeper_rate_on(tk, ymd(2030, 1, 1)), 3500000);

	tk = firm_timekeeper(f, "45875", 5);
	assert_non_null(tk);
	assert_null(tk->name);
	assert_string_equal(tk->class, "ASSOC");
	assert_int_equal(tk->nrates, 2);
	assert_int_equal(timekeeper_rate_on(tk, ymd(1998, 12, 31)), -1);
	assert_int_equal(timekeeper_rate_on(tk, ymd(1999, 1, 1)), 2000000);
	assert_int_equal(timekeeper_rate_on(tk, ymd(1999, 12, 31)), 2000000);
	assert_int_equal(timekeeper_rate_on(tk, ymd(2000, 1, 1)), 2250000);
	assert_int_equal(timekeeper_rate_on(tk, ymd(2026, 6, 30)), 2250000);
	assert_null(firm_timekeeper(f, "4587", 4));

	m = firm_matter(f, "0528", 4);
	assert_non_null(m);
	assert_true(m->has_budget);
	assert_int_equal(m->budget, 500000000);
	assert_string_equal(m->cost_center, "CC-4410");
	assert_string_equal(m->po, "PO-77654");
	assert_true(m->has_po_amount);
	assert_int_equal(m->po_amount, 600000000);
	assert_null(firm_matter(f, "528", 3));
	m = firm_matter(f, "0529", 4);
	assert_non_null(m);
	assert_false(m->has_budget);
	assert_null(m->cost_center);

	/* An empty roster is still a roster: it approves no one. */
	g = rules_firm(l.rs, "13-4567890", 10);
	assert_non_null(g);
	assert_true(g->has_roster);
	assert_int_equal(g->ntks, 0);
	assert_int_equal(g->nmatters, 0);
	load_done(&l);
}

static void
rules_for_firm__overrides__applied_to_that_firm_only(void **state)
{
	const struct rule *base, *mine, *theirs;
	struct load l;
	size_t n;

	(void)state;
	assert_int_equal(load(&l, good), 0);
	base = rules_list(l.rs, &n);
	mine = rules_for_firm(l.rs, "24-6437381", 10);
	theirs = rules_for_firm(l.rs, "13-4567890", 10);
	assert_ptr_equal(rules_for_firm(l.rs, "99-0000000", 10), base);
	assert_ptr_equal(mine, rules_firm(l.rs, "24-6437381", 10)->rules);
	assert_ptr_not_equal(mine, base);

	assert_int_equal(mine[0].severity, SEV_INFO);
	assert_string_equal(mine[0].clause, "Firm deal");
	assert_int_equal(param(&mine[0], "increment")->u.amount, 2500);
	assert_false(mine[1].enabled);
	assert_int_equal(param(&mine[1], "fees")->u.list.n, 1);
	assert_string_equal(param(&mine[1], "fees")->u.list.v[0], "task");
	assert_int_equal(mine[1].classes.n, 1);
	assert_string_equal(mine[1].classes.v[0], "LGLAST");
	/* What the override does not name stays as the base rule has it. */
	assert_int_equal(param(&mine[1], "expenses")->u.list.n, 1);
	assert_int_equal(mine[1].reduction, 5000);
	assert_string_equal(mine[2].id, "rate");

	assert_int_equal(base[0].severity, SEV_ERROR);
	assert_int_equal(param(&base[0], "increment")->u.amount, 1000);
	assert_true(base[1].enabled);
	assert_int_equal(param(&base[1], "fees")->u.list.n, 2);
	assert_int_equal(theirs[0].severity, SEV_ERROR);
	assert_int_equal(param(&theirs[0], "increment")->u.amount, 1000);
	assert_true(theirs[1].enabled);
	load_done(&l);
}

static void
rules_input_opts__rules_values__fill_only_gaps(void **state)
{
	struct input_opts o;
	struct load l;

	(void)state;
	assert_int_equal(load(&l, good), 0);
	memset(&o, 0, sizeof(o));
	o.date_form = DATE_AUTO;
	o.columns[F_TIMEKEEPER_ID] = "Timekeeper"; /* as if from --set */
	rules_input_opts(l.rs, &o);
	assert_string_equal(o.columns[F_TIMEKEEPER_ID], "Timekeeper");
	assert_string_equal(o.columns[F_LINE_ITEM_NUMBER_OF_UNITS], "Hrs");
	assert_null(o.columns[F_LINE_ITEM_TOTAL]);
	assert_string_equal(o.defaults[F_LAW_FIRM_ID], "24-6437381");
	assert_null(o.defaults[F_INVOICE_NUMBER]);
	assert_int_equal(o.date_form, DATE_DMY);

	memset(&o, 0, sizeof(o));
	o.date_form = DATE_AUTO;
	o.defaults[F_LAW_FIRM_ID] = "13-4567890";
	rules_input_opts(l.rs, &o);
	assert_string_equal(o.defaults[F_LAW_FIRM_ID], "13-4567890");
	load_done(&l);
}

static void
rules_load__minimal_file__defaults(void **state)
{
	struct input_opts o;
	struct load l;
	size_t n = 99;

	(void)state;
	assert_int_equal(load(&l, "billcheck: 1\n"), 0);
	assert_string_equal(rules_name(l.rs), "");
	assert_null(rules_currency(l.rs));
	rules_list(l.rs, &n);
	assert_int_equal(n, 0);
	assert_int_equal(rules_nfirms(l.rs), 0);
	assert_int_equal(rules_rate_cap(l.rs, "PARTNR"), -1);
	memset(&o, 0, sizeof(o));
	o.date_form = DATE_AUTO;
	rules_input_opts(l.rs, &o);
	assert_int_equal(o.date_form, DATE_AUTO);
	assert_null(o.columns[F_TIMEKEEPER_ID]);
	load_done(&l);
}

static void
severity_name__each__lower_case_word(void **state)
{
	(void)state;
	assert_string_equal(severity_name(SEV_INFO), "info");
	assert_string_equal(severity_name(SEV_WARNING), "warning");
	assert_string_equal(severity_name(SEV_ERROR), "error");
}

/*
 * One test per error path: the exact text, position and caret.
 */

static void
rules_load__unknown_key__suggests_closest(void **state)
{
	(void)state;
	expect_errors("billcheck: 1\nnmae: Acme\n", 2, 1,
	    "billcheck: t.yaml:2:1: error: unknown key 'nmae' (did you mean "
	    "'name'?)\n"
	    "    nmae: Acme\n"
	    "    ^~~~\n");
}

static void
rules_load__unknown_key_in_firm__reported_where_it_is(void **state)
{
	(void)state;
	expect_errors("billcheck: 1\nfirms:\n  - id: a\n    colour: red\n", 4,
	    5,
	    "billcheck: t.yaml:4:5: error: unknown key 'colour'\n"
	    "        colour: red\n"
	    "        ^~~~~~\n");
}

static void
rules_load__word_for_number__expected_a_number(void **state)
{
	(void)state;
	expect_errors("billcheck: 1\nrules:\n  - id: inc\n"
	    "    check: billing_increment\n    increment: ten\n", 5, 16,
	    "billcheck: t.yaml:5:16: error: expected a number, got 'ten'\n"
	    "        increment: ten\n"
	    "                   ^~~\n");
}

static void
rules_load__list_for_text__expected_text(void **state)
{
	(void)state;
	expect_errors("billcheck: 1\nname: [a, b]\n", 2, 7,
	    "billcheck: t.yaml:2:7: error: expected text, got a list\n"
	    "    name: [a, b]\n"
	    "          ^~~~~~\n");
}

static void
rules_load__unknown_check__suggests_closest(void **state)
{
	(void)state;
	expect_errors("billcheck: 1\nrules:\n  - id: inc\n"
	    "    check: billing_incremnt\n    increment: 0.1\n", 4, 12,
	    "billcheck: t.yaml:4:12: error: unknown check 'billing_incremnt' "
	    "(did you mean 'billing_increment'?)\n"
	    "        check: billing_incremnt\n"
	    "               ^~~~~~~~~~~~~~~~\n");
}

static void
rules_load__unknown_parameter__names_the_check(void **state)
{
	(void)state;
	expect_errors("billcheck: 1\nrules:\n  - id: inc\n"
	    "    check: billing_increment\n    incremnet: 0.1\n", 5, 5,
	    "billcheck: t.yaml:5:5: error: unknown parameter 'incremnet' for "
	    "check 'billing_increment' (did you mean 'increment'?)\n"
	    "        incremnet: 0.1\n"
	    "        ^~~~~~~~~\n");
}

static void
rules_load__duplicate_rule_id__names_the_first(void **state)
{
	(void)state;
	expect_errors("billcheck: 1\nrules:\n"
	    "  - id: a\n    check: rate\n"
	    "  - id: a\n    check: arithmetic\n", 5, 9,
	    "billcheck: t.yaml:5:9: error: duplicate rule id 'a' (first at "
	    "3:9)\n"
	    "      - id: a\n"
	    "            ^\n");
}

static void
rules_load__duplicate_yaml_key__names_the_first(void **state)
{
	(void)state;
	expect_errors("billcheck: 1\nname: a\ncurrency: USD\nname: b\n", 4, 1,
	    "billcheck: t.yaml:4:1: error: duplicate key 'name' (first at "
	    "2:1)\n"
	    "    name: b\n"
	    "    ^~~~\n");
}

static void
rules_load__duplicate_firm_tk_matter_ids__each_reported(void **state)
{
	(void)state;
	expect_errors("billcheck: 1\nfirms:\n"
	    "  - id: f\n"
	    "    timekeepers: [{id: t}, {id: t}]\n"
	    "    matters: [{id: m}, {id: m}]\n"
	    "  - {id: f}\n", 4, 33,
	    "billcheck: t.yaml:4:33: error: duplicate timekeeper id 't' "
	    "(first at 4:24)\n"
	    "        timekeepers: [{id: t}, {id: t}]\n"
	    "                                    ^\n"
	    "billcheck: t.yaml:5:29: error: duplicate matter id 'm' (first at "
	    "5:20)\n"
	    "        matters: [{id: m}, {id: m}]\n"
	    "                                ^\n"
	    "billcheck: t.yaml:6:10: error: duplicate firm id 'f' (first at "
	    "3:9)\n"
	    "      - {id: f}\n"
	    "             ^\n");
}

static void
rules_load__no_such_date__reported(void **state)
{
	(void)state;
	expect_errors("billcheck: 1\nrules:\n  - id: r\n    check: rate\n"
	    "    from: 2026-02-31\n", 5, 11,
	    "billcheck: t.yaml:5:11: error: no such date '2026-02-31'\n"
	    "        from: 2026-02-31\n"
	    "              ^~~~~~~~~~\n");
}

static void
rules_load__slashed_date__expected_iso_date(void **state)
{
	(void)state;
	expect_errors("billcheck: 1\nrules:\n  - id: r\n    check: rate\n"
	    "    to: 12/31/2026\n", 5, 9,
	    "billcheck: t.yaml:5:9: error: expected a date (YYYY-MM-DD), got "
	    "'12/31/2026'\n"
	    "        to: 12/31/2026\n"
	    "            ^~~~~~~~~~\n");
}

static void
rules_load__to_before_from__reported_at_to(void **state)
{
	(void)state;
	expect_errors("billcheck: 1\nrules:\n  - id: r\n    check: rate\n"
	    "    to: 2026-01-01\n    from: 2026-06-01\n", 5, 9,
	    "billcheck: t.yaml:5:9: error: 'to' 2026-01-01 is before 'from' "
	    "2026-06-01\n"
	    "        to: 2026-01-01\n"
	    "            ^~~~~~~~~~\n");
}

static void
rules_load__negative_amount__refused(void **state)
{
	(void)state;
	expect_errors("billcheck: 1\nrate_caps:\n  PARTNR: -5\n", 3, 11,
	    "billcheck: t.yaml:3:11: error: negative amount '-5'\n"
	    "      PARTNR: -5\n"
	    "              ^~\n");
}

static void
rules_load__too_many_decimals__refused(void **state)
{
	(void)state;
	expect_errors("billcheck: 1\nrate_caps:\n  PARTNR: 1.23456\n", 3, 11,
	    "billcheck: t.yaml:3:11: error: '1.23456' has more than 4 "
	    "decimals\n"
	    "      PARTNR: 1.23456\n"
	    "              ^~~~~~~\n");
}

static void
rules_load__unknown_class__refused(void **state)
{
	(void)state;
	expect_errors("billcheck: 1\nrate_caps:\n  PARTNER: 950\n", 3, 3,
	    "billcheck: t.yaml:3:3: error: unknown timekeeper class "
	    "'PARTNER'\n"
	    "      PARTNER: 950\n"
	    "      ^~~~~~~\n");
}

static void
rules_load__same_class_two_spellings__duplicate(void **state)
{
	(void)state;
	expect_errors("billcheck: 1\nrate_caps:\n  PT: 900\n  PARTNR: 950\n",
	    4, 3,
	    "billcheck: t.yaml:4:3: error: duplicate class 'PARTNR' (first at "
	    "3:3)\n"
	    "      PARTNR: 950\n"
	    "      ^~~~~~\n");
}

/* The anchor and the alias are each refused, and the tree that shares the
 * aliased node is never walked. */
static void
rules_load__alias__refused(void **state)
{
	(void)state;
	expect_errors("billcheck: 1\nname: &n Acme\ncurrency: *n\n", 2, 7,
	    "billcheck: t.yaml:2:7: error: anchors are not allowed in a rules "
	    "file ('&n')\n"
	    "    name: &n Acme\n"
	    "          ^~\n"
	    "billcheck: t.yaml:3:11: error: aliases are not allowed in a rules "
	    "file ('*n')\n"
	    "    currency: *n\n"
	    "              ^~\n");
}

static void
rules_load__billion_laughs__refused_quickly(void **state)
{
	char yaml[4096];
	size_t off = 0;
	int i, j;
	struct load l;

	(void)state;
	off += (size_t)snprintf(yaml + off, sizeof(yaml) - off,
	    "billcheck: 1\na0: &a0 [lol]\n");
	for (i = 1; i < 10; i++) {
		off += (size_t)snprintf(yaml + off, sizeof(yaml) - off,
		    "a%d: &a%d [", i, i);
		for (j = 0; j < 10; j++)
			off += (size_t)snprintf(yaml + off, sizeof(yaml) - off,
			    "%s*a%d", j ? ", " : "", i - 1);
		off += (size_t)snprintf(yaml + off, sizeof(yaml) - off, "]\n");
	}
	assert_int_equal(load(&l, yaml), -1);
	assert_int_equal(l.d.pos.line, 2);
	assert_int_equal(l.d.pos.col, 5);
	assert_string_equal(l.d.msg,
	    "anchors are not allowed in a rules file ('&a0')");
	load_done(&l);
}

static void
rules_load__merge_key__refused(void **state)
{
	(void)state;
	expect_errors("billcheck: 1\nrules:\n  - id: r\n    check: rate\n"
	    "    <<: {severity: error}\n", 5, 5,
	    "billcheck: t.yaml:5:5: error: merge keys ('<<') are not allowed "
	    "in a rules file\n"
	    "        <<: {severity: error}\n"
	    "        ^~\n");
}

static void
rules_load__tab_indentation__libyaml_error_at_the_tab(void **state)
{
	(void)state;
	expect_errors("firm: acme\n\tbad: 1\n", 2, 1,
	    "billcheck: t.yaml:2:1: error: found a tab character that "
	    "violates indentation (while scanning a plain scalar at 1:7)\n"
	    "    \tbad: 1\n"
	    "    ^\n");
}

static void
rules_load__tab_before_list_item__reported_at_the_tab(void **state)
{
	struct load l;

	(void)state;
	assert_int_equal(load(&l, "billcheck: 1\nfirms:\n\t- id: a\n"), -1);
	assert_int_equal(l.d.code, DIAG_SYNTAX);
	assert_int_equal(l.d.pos.line, 3);
	assert_int_equal(l.d.pos.col, 1);
	load_done(&l);
}

static void
rules_load__syntax_error__problem_and_context(void **state)
{
	(void)state;
	expect_errors("billcheck: 1\nname: [a, b\n", 3, 1,
	    "billcheck: t.yaml:3:1: error: did not find expected ',' or ']' "
	    "(while parsing a flow sequence at 2:7)\n");
}

static void
rules_load__invalid_utf8__reader_error_position(void **state)
{
	struct load l;

	(void)state;
	assert_int_equal(load(&l, "billcheck: 1\nname: \xff\n"), -1);
	assert_int_equal(l.d.code, DIAG_SYNTAX);
	assert_string_equal(l.d.msg, "invalid leading UTF-8 octet");
	assert_int_equal(l.d.pos.line, 2);
	assert_int_equal(l.d.pos.col, 7);
	load_done(&l);
	/* The byte offset libyaml gives is turned into a line: CRLF is one
	 * break, and a multi-byte character one column. */
	assert_int_equal(load(&l, "billcheck: 1\r\nname: \xc3\xa9\xff\r\n"),
	    -1);
	assert_int_equal(l.d.pos.line, 2);
	assert_int_equal(l.d.pos.col, 8);
	load_done(&l);
}

static void
rules_load__missing_version__reported_at_the_top(void **state)
{
	(void)state;
	expect_errors("# guidelines\nname: Acme\n", 2, 1,
	    "billcheck: t.yaml:2:1: error: missing 'billcheck: 1' (the rules "
	    "format version)\n"
	    "    name: Acme\n"
	    "    ^\n");
}

static void
rules_load__wrong_version__refused(void **state)
{
	(void)state;
	expect_errors("billcheck: 2\n", 1, 12,
	    "billcheck: t.yaml:1:12: error: unsupported rules format version "
	    "'2' (this billcheck reads version 1)\n"
	    "    billcheck: 2\n"
	    "               ^\n");
}

static void
rules_load__empty_file__needs_version(void **state)
{
	struct load l;

	(void)state;
	assert_int_equal(load(&l, "# nothing\n"), -1);
	assert_string_equal(l.d.msg,
	    "the rules file is empty; it needs at least 'billcheck: 1'");
	assert_int_equal(l.d.pos.line, 1);
	load_done(&l);
}

static void
rules_load__top_level_list__expected_mapping(void **state)
{
	(void)state;
	expect_errors("- billcheck: 1\n", 1, 1,
	    "billcheck: t.yaml:1:1: error: expected a mapping for the rules "
	    "file, got a list\n"
	    "    - billcheck: 1\n"
	    "    ^\n");
}

static void
rules_load__two_documents__refused(void **state)
{
	struct load l;

	(void)state;
	assert_int_equal(load(&l, "billcheck: 1\n---\nbillcheck: 1\n"), -1);
	assert_string_equal(l.d.msg,
	    "a rules file holds one YAML document; found a second");
	assert_int_equal(l.d.pos.line, 2);
	assert_int_equal(l.d.pos.col, 1);
	load_done(&l);
}

static void
rules_load__overlapping_rate_periods__refused(void **state)
{
	(void)state;
	expect_errors("billcheck: 1\nfirms:\n  - id: f\n    timekeepers:\n"
	    "      - id: t\n        rates:\n"
	    "          - {rate: 200, from: 2024-01-01, to: 2024-12-31}\n"
	    "          - {rate: 250, from: 2024-07-01}\n", 8, 13,
	    "billcheck: t.yaml:8:13: error: rate period from 2024-07-01 "
	    "overlaps the period at 7:13\n"
	    "              - {rate: 250, from: 2024-07-01}\n"
	    "                ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~\n");
}

static void
rules_load__open_period_then_later_one__overlap(void **state)
{
	struct load l;

	(void)state;
	assert_int_equal(load(&l, "billcheck: 1\nfirms:\n  - id: f\n"
	    "    timekeepers:\n      - id: t\n        rates:\n"
	    "          - {rate: 250, from: 2025-01-01}\n"
	    "          - {rate: 200, from: 2024-01-01}\n"), -1);
	assert_string_equal(l.d.msg, "rate period from 2025-01-01 overlaps "
	    "the period at 8:13");
	load_done(&l);
}

static void
rules_load__rate_and_rates__refused(void **state)
{
	struct load l;

	(void)state;
	assert_int_equal(load(&l, "billcheck: 1\nfirms:\n  - id: f\n"
	    "    timekeepers:\n      - id: t\n        rate: 100\n"
	    "        rates: [{rate: 200, from: 2024-01-01}]\n"), -1);
	assert_string_equal(l.d.msg, "give 'rate' or 'rates', not both");
	assert_int_equal(l.d.pos.line, 7);
	assert_int_equal(l.d.pos.col, 16);
	load_done(&l);
}

static void
rules_load__override_of_unknown_rule__refused(void **state)
{
	(void)state;
	expect_errors("billcheck: 1\nfirms:\n  - id: f\n    overrides:\n"
	    "      daily-hour: {enabled: false}\n"
	    "rules:\n  - {id: daily-hours, check: rate}\n", 5, 7,
	    "billcheck: t.yaml:5:7: error: override of unknown rule "
	    "'daily-hour' (did you mean 'daily-hours'?)\n"
	    "          daily-hour: {enabled: false}\n"
	    "          ^~~~~~~~~~\n");
}

static void
rules_load__override_bad_keys__refused(void **state)
{
	(void)state;
	expect_errors("billcheck: 1\nfirms:\n  - id: f\n    overrides:\n"
	    "      r: {check: arithmetic, tolerance: x, max: 3}\n"
	    "rules:\n  - {id: r, check: rate}\n", 5, 11,
	    "billcheck: t.yaml:5:11: error: a firm override cannot change "
	    "'check'\n"
	    "          r: {check: arithmetic, tolerance: x, max: 3}\n"
	    "              ^~~~~\n"
	    "billcheck: t.yaml:5:41: error: expected a number, got 'x'\n"
	    "          r: {check: arithmetic, tolerance: x, max: 3}\n"
	    "                                            ^\n"
	    "billcheck: t.yaml:5:44: error: unknown parameter 'max' for check "
	    "'rate'\n"
	    "          r: {check: arithmetic, tolerance: x, max: 3}\n"
	    "                                               ^~~\n");
}

static void
rules_load__missing_ids__each_reported(void **state)
{
	(void)state;
	expect_errors("billcheck: 1\nfirms:\n  - name: x\n"
	    "    timekeepers: [{name: y}]\nrules:\n  - {check: rate}\n"
	    "  - {id: r}\n", 3, 5,
	    "billcheck: t.yaml:3:5: error: firm has no 'id'\n"
	    "      - name: x\n"
	    "        ^\n"
	    "billcheck: t.yaml:4:19: error: timekeeper has no 'id'\n"
	    "        timekeepers: [{name: y}]\n"
	    "                      ^~~~~~~~~\n"
	    "billcheck: t.yaml:6:5: error: rule has no 'id'\n"
	    "      - {check: rate}\n"
	    "        ^~~~~~~~~~~~~\n"
	    "billcheck: t.yaml:7:5: error: rule has no 'check'\n"
	    "      - {id: r}\n"
	    "        ^~~~~~~\n");
}

static void
rules_load__bad_choices__list_the_choices(void **state)
{
	(void)state;
	expect_errors("billcheck: 1\ncurrency: usd\ninput: {date_format: "
	    "M/D/Y}\nrules:\n  - id: r\n    check: required_codes\n"
	    "    severity: fatal\n    types: [fee, travel]\n"
	    "    fees: [task, phase]\n", 2, 11,
	    "billcheck: t.yaml:2:11: error: expected a 3-letter currency code "
	    "such as USD, got 'usd'\n"
	    "    currency: usd\n"
	    "              ^~~\n"
	    "billcheck: t.yaml:3:22: error: unknown date format 'M/D/Y' "
	    "(expected one of: MM/DD/YYYY, DD/MM/YYYY, YYYY-MM-DD, YYYYMMDD)\n"
	    "    input: {date_format: M/D/Y}\n"
	    "                         ^~~~~\n"
	    "billcheck: t.yaml:7:15: error: unknown severity 'fatal' (expected "
	    "one of: info, warning, error)\n"
	    "        severity: fatal\n"
	    "                  ^~~~~\n"
	    "billcheck: t.yaml:8:18: error: unknown value 'travel' (expected "
	    "one of: fee, expense, adjustment)\n"
	    "        types: [fee, travel]\n"
	    "                     ^~~~~~\n"
	    "billcheck: t.yaml:9:18: error: unknown value 'phase' (expected "
	    "one of: task, activity)\n"
	    "        fees: [task, phase]\n"
	    "                     ^~~~~\n");
}

static void
rules_load__unknown_input_field__refused(void **state)
{
	(void)state;
	expect_errors("billcheck: 1\ninput:\n  columns:\n    TK_ID: TK\n", 4, 5,
	    "billcheck: t.yaml:4:5: error: unknown field 'TK_ID'\n"
	    "        TK_ID: TK\n"
	    "        ^~~~~\n");
}

/* The caller's brief: one file, three mistakes, three errors. */
static void
rules_load__three_mistakes__all_three_reported(void **state)
{
	struct load l;

	(void)state;
	assert_int_equal(load(&l,
	    "billcheck: 1\n"
	    "rate_caps: {PARTNR: lots}\n"
	    "rules:\n"
	    "  - id: a\n"
	    "    check: nosuch\n"
	    "  - id: b\n"
	    "    check: rate\n"
	    "    severty: error\n"), -1);
	assert_string_equal(l.err,
	    "billcheck: t.yaml:2:21: error: expected a number, got 'lots'\n"
	    "    rate_caps: {PARTNR: lots}\n"
	    "                        ^~~~\n"
	    "billcheck: t.yaml:5:12: error: unknown check 'nosuch'\n"
	    "        check: nosuch\n"
	    "               ^~~~~~\n"
	    "billcheck: t.yaml:8:5: error: unknown parameter 'severty' for "
	    "check 'rate' (did you mean 'severity'?)\n"
	    "        severty: error\n"
	    "        ^~~~~~~\n");
	/* *d holds the first. */
	assert_int_equal(l.d.code, DIAG_SCHEMA);
	assert_int_equal(l.d.pos.line, 2);
	assert_int_equal(l.d.pos.col, 21);
	assert_string_equal(l.d.msg, "expected a number, got 'lots'");
	load_done(&l);
}

static void
rules_load__many_mistakes__capped_with_a_count(void **state)
{
	size_t cap = 200 * 16 + 64, off = 0;
	char *yaml = malloc(cap);
	const char *last;
	struct load l;
	int i;

	(void)state;
	assert_non_null(yaml);
	off += (size_t)snprintf(yaml, cap, "billcheck: 1\nrate_caps:\n");
	for (i = 0; i < 150; i++)
		off += (size_t)snprintf(yaml + off, cap - off, "  X%03d: 1\n",
		    i);
	assert_int_equal(load(&l, yaml), -1);
	last = strstr(l.err, "billcheck: t.yaml: error: 50 more errors not "
	    "shown\n");
	assert_non_null(last);
	assert_string_equal(last,
	    "billcheck: t.yaml: error: 50 more errors not shown\n");
	load_done(&l);
	free(yaml);
}

static void
rules_load__too_large__refused_before_parsing(void **state)
{
	struct load l;

	(void)state;
	/* The buffer is never read, only its length. */
	assert_int_equal(load_text(&l, "billcheck: 1\n", RULES_MAX_BYTES + 1),
	    -1);
	assert_int_equal(l.d.code, DIAG_LIMIT);
	assert_string_equal(l.err, "billcheck: t.yaml: error: rules file is "
	    "too large (8388609 bytes; the limit is 8388608)\n");
	load_done(&l);
}

static void
rules_load__no_errfp__first_error_in_diag(void **state)
{
	static const char y[] = "billcheck: 1\nnmae: x\n";
	rule_set *rs = NULL;
	struct diag d;

	(void)state;
	memset(&d, 0, sizeof(d));
	assert_int_equal(rules_load(&rs, "t.yaml", y, sizeof(y) - 1, NULL,
	    &d), -1);
	assert_null(rs);
	assert_int_equal(d.pos.line, 2);
	assert_string_equal(d.context, "nmae: x");
	assert_int_equal(d.caret_len, 4);
}

static void
rules_load__crlf_and_bom__positions_still_right(void **state)
{
	(void)state;
	expect_errors("\xef\xbb\xbf" "billcheck: 1\r\nname: a\r\nnmae: b\r\n",
	    3, 1,
	    "billcheck: t.yaml:3:1: error: unknown key 'nmae' (did you mean "
	    "'name'?)\n"
	    "    nmae: b\n"
	    "    ^~~~\n");
}

/*
 * Parameter types.  Which checks declare which types is the catalog's
 * business, so each test finds a parameter of its type there and skips
 * when the catalog has none yet.
 */

static bool
find_param(enum param_type t, bool with_choices, const struct check **c,
    const struct param_spec **p)
{
	const struct check *const *cat;
	size_t n, i, j;

	cat = check_catalog(&n);
	for (i = 0; i < n; i++) {
		for (j = 0; j < cat[i]->nparams; j++) {
			const struct param_spec *s = &cat[i]->params[j];

			if (s->type == t &&
			    (s->choices != NULL) == with_choices) {
				*c = cat[i];
				*p = s;
				return true;
			}
		}
	}
	return false;
}

/* The parameter load_param chose last. */
static const struct param_spec *loaded_spec;

/* Loads one rule whose parameter of type t is `value` (a YAML flow
 * value).  Returns the rule's value, or NULL with l->d filled. */
static const struct param_value *
load_param(struct load *l, enum param_type t, bool with_choices,
    const char *value)
{
	const struct check *c = NULL;
	const struct param_spec *p = NULL;
	char yaml[512];
	size_t n;

	if (!find_param(t, with_choices, &c, &p))
		skip(); /* longjmps, which the compiler cannot know */
	loaded_spec = p;
	snprintf(yaml, sizeof(yaml), "billcheck: 1\nrules:\n  - id: r\n"
	    "    check: %s\n    %s: %s\n", c->name, p->name, value);
	if (load(l, yaml) != 0)
		return NULL;
	return &rules_list(l->rs, &n)[0].params[check_param_index(c,
	    p->name)];
}

static void
param_amount__values__parsed_and_checked(void **state)
{
	const struct param_value *v;
	struct load l;

	(void)state;
	v = load_param(&l, PARAM_AMOUNT, false, "12.5");
	assert_non_null(v);
	assert_true(v->set);
	assert_int_equal(v->u.amount, 125000);
	load_done(&l);
	assert_null(load_param(&l, PARAM_AMOUNT, false, "-1"));
	assert_string_equal(l.d.msg, "negative amount '-1'");
	load_done(&l);
	assert_null(load_param(&l, PARAM_AMOUNT, false, "[1]"));
	assert_string_equal(l.d.msg, "expected a number, got a list");
	load_done(&l);
	assert_null(load_param(&l, PARAM_AMOUNT, false, "1e3"));
	assert_string_equal(l.d.msg, "expected a number, got '1e3'");
	load_done(&l);
}

static void
param_fraction__values__parsed_and_checked(void **state)
{
	const struct param_value *v;
	struct load l;

	(void)state;
	v = load_param(&l, PARAM_FRACTION, false, "0.8");
	assert_non_null(v);
	assert_int_equal(v->u.amount, 8000);
	load_done(&l);
	assert_null(load_param(&l, PARAM_FRACTION, false, "1.5"));
	assert_string_equal(l.d.msg,
	    "expected a fraction from 0 to 1, got '1.5'");
	load_done(&l);
}

/* reduction is a FRACTION on every rule, catalog or not. */
static void
rule_reduction__above_one__refused(void **state)
{
	(void)state;
	expect_errors("billcheck: 1\nrules:\n  - {id: r, check: rate, "
	    "reduction: 2}\n", 3, 37,
	    "billcheck: t.yaml:3:37: error: expected a fraction from 0 to 1, "
	    "got '2'\n"
	    "      - {id: r, check: rate, reduction: 2}\n"
	    "                                        ^\n");
}

static void
param_percent__values__parsed_and_checked(void **state)
{
	const struct param_value *v;
	struct load l;

	(void)state;
	v = load_param(&l, PARAM_PERCENT, false, "50");
	assert_non_null(v);
	assert_int_equal(v->u.amount, 500000);
	load_done(&l);
	assert_null(load_param(&l, PARAM_PERCENT, false, "101"));
	assert_string_equal(l.d.msg,
	    "expected a percentage from 0 to 100, got '101'");
	load_done(&l);
}

static void
param_count__values__parsed_and_checked(void **state)
{
	const struct param_value *v;
	struct load l;

	(void)state;
	v = load_param(&l, PARAM_COUNT, false, "90");
	assert_non_null(v);
	assert_int_equal(v->u.count, 90);
	load_done(&l);
	assert_null(load_param(&l, PARAM_COUNT, false, "2.5"));
	assert_string_equal(l.d.msg, "expected a whole number, got '2.5'");
	load_done(&l);
	assert_null(load_param(&l, PARAM_COUNT, false, "-1"));
	assert_string_equal(l.d.msg, "expected a whole number, got '-1'");
	load_done(&l);
}

static void
param_bool__values__parsed_and_checked(void **state)
{
	const struct param_value *v;
	struct load l;

	(void)state;
	v = load_param(&l, PARAM_BOOL, false, "no");
	assert_non_null(v);
	assert_false(v->u.flag);
	load_done(&l);
	v = load_param(&l, PARAM_BOOL, false, "True");
	assert_non_null(v);
	assert_true(v->u.flag);
	load_done(&l);
	assert_null(load_param(&l, PARAM_BOOL, false, "maybe"));
	assert_string_equal(l.d.msg, "expected true or false, got 'maybe'");
	load_done(&l);
}

static void
param_string__values__parsed_and_checked(void **state)
{
	const struct param_value *v;
	struct load l;

	(void)state;
	v = load_param(&l, PARAM_STRING, false, "\"some text\"");
	assert_non_null(v);
	assert_string_equal(v->u.str, "some text");
	load_done(&l);
	assert_null(load_param(&l, PARAM_STRING, false, "{a: 1}"));
	assert_string_equal(l.d.msg, "expected text, got a mapping");
	load_done(&l);
}

static void
param_list__scalar_or_list__parsed(void **state)
{
	const struct param_value *v;
	struct load l;

	(void)state;
	v = load_param(&l, PARAM_LIST, false, "[\"attention to\", review]");
	assert_non_null(v);
	assert_int_equal(v->u.list.n, 2);
	assert_string_equal(v->u.list.v[0], "attention to");
	assert_string_equal(v->u.list.v[1], "review");
	load_done(&l);
	v = load_param(&l, PARAM_LIST, false, "one");
	assert_non_null(v);
	assert_int_equal(v->u.list.n, 1);
	assert_string_equal(v->u.list.v[0], "one");
	load_done(&l);
	assert_null(load_param(&l, PARAM_LIST, false, "[a, [b]]"));
	assert_string_equal(l.d.msg, "expected text, got a list");
	load_done(&l);
}

static void
param_caps__map_of_unit_total__parsed(void **state)
{
	const struct param_value *v;
	struct load l;
	char want[80];

	(void)state;
	v = load_param(&l, PARAM_CAPS, false,
	    "{E101: {unit: 0.10}, E111: {total: 75.00, unit: 5}}");
	assert_non_null(v);
	assert_int_equal(v->u.caps.n, 2);
	assert_string_equal(v->u.caps.v[0].code, "E101");
	assert_true(v->u.caps.v[0].has_unit);
	assert_false(v->u.caps.v[0].has_total);
	assert_int_equal(v->u.caps.v[0].unit, 1000);
	assert_string_equal(v->u.caps.v[1].code, "E111");
	assert_true(v->u.caps.v[1].has_total);
	assert_int_equal(v->u.caps.v[1].total, 750000);
	assert_int_equal(v->u.caps.v[1].unit, 50000);
	load_done(&l);
	assert_null(load_param(&l, PARAM_CAPS, false, "{E101: {each: 1}}"));
	assert_string_equal(l.d.msg,
	    "unknown key 'each'");
	load_done(&l);
	assert_null(load_param(&l, PARAM_CAPS, false, "{E101: {}}"));
	assert_string_equal(l.d.msg, "cap for 'E101' needs 'unit' or 'total'");
	load_done(&l);
	assert_null(load_param(&l, PARAM_CAPS, false,
	    "{E101: {unit: 1}, E101: {unit: 2}}"));
	/* "    NAME: {E101": the first key sits after the name. */
	snprintf(want, sizeof(want), "duplicate key 'E101' (first at 5:%zu)",
	    strlen(loaded_spec->name) + 8);
	assert_string_equal(l.d.msg, want);
	load_done(&l);
}

static void
param_dates__list__parsed(void **state)
{
	const struct param_value *v;
	struct load l;

	(void)state;
	v = load_param(&l, PARAM_DATES, false, "[2026-12-25, 2026-01-01]");
	assert_non_null(v);
	assert_int_equal(v->u.dates.n, 2);
	assert_int_equal(v->u.dates.v[0], ymd(2026, 12, 25));
	assert_int_equal(v->u.dates.v[1], ymd(2026, 1, 1));
	load_done(&l);
	assert_null(load_param(&l, PARAM_DATES, false, "[2026-02-29]"));
	assert_string_equal(l.d.msg, "no such date '2026-02-29'");
	load_done(&l);
}

/* Every default in the catalog must read as its own type: a bad one would
 * make every rules file using that check fail to load. */
static void
check_catalog__every_default__loads(void **state)
{
	const struct check *const *cat;
	char yaml[256];
	struct load l;
	size_t n, i;

	(void)state;
	cat = check_catalog(&n);
	for (i = 0; i < n; i++) {
		snprintf(yaml, sizeof(yaml), "billcheck: 1\nrules:\n"
		    "  - {id: r, check: %s}\n", cat[i]->name);
		if (load(&l, yaml) != 0)
			fail_msg("check %s: %s", cat[i]->name, l.err);
		load_done(&l);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rules_load__full_file__top_level_values),
		cmocka_unit_test(
		    rules_load__full_file__rules_in_order_with_params),
		cmocka_unit_test(
		    rules_load__full_file__firms_timekeepers_matters),
		cmocka_unit_test(
		    rules_for_firm__overrides__applied_to_that_firm_only),
		cmocka_unit_test(
		    rules_input_opts__rules_values__fill_only_gaps),
		cmocka_unit_test(rules_load__minimal_file__defaults),
		cmocka_unit_test(severity_name__each__lower_case_word),
		cmocka_unit_test(rules_load__unknown_key__suggests_closest),
		cmocka_unit_test(
		    rules_load__unknown_key_in_firm__reported_where_it_is),
		cmocka_unit_test(
		    rules_load__word_for_number__expected_a_number),
		cmocka_unit_test(rules_load__list_for_text__expected_text),
		cmocka_unit_test(
		    rules_load__unknown_check__suggests_closest),
		cmocka_unit_test(
		    rules_load__unknown_parameter__names_the_check),
		cmocka_unit_test(
		    rules_load__duplicate_rule_id__names_the_first),
		cmocka_unit_test(
		    rules_load__duplicate_yaml_key__names_the_first),
		cmocka_unit_test(
		    rules_load__duplicate_firm_tk_matter_ids__each_reported),
		cmocka_unit_test(rules_load__no_such_date__reported),
		cmocka_unit_test(rules_load__slashed_date__expected_iso_date),
		cmocka_unit_test(rules_load__to_before_from__reported_at_to),
		cmocka_unit_test(rules_load__negative_amount__refused),
		cmocka_unit_test(rules_load__too_many_decimals__refused),
		cmocka_unit_test(rules_load__unknown_class__refused),
		cmocka_unit_test(
		    rules_load__same_class_two_spellings__duplicate),
		cmocka_unit_test(rules_load__alias__refused),
		cmocka_unit_test(rules_load__billion_laughs__refused_quickly),
		cmocka_unit_test(rules_load__merge_key__refused),
		cmocka_unit_test(
		    rules_load__tab_indentation__libyaml_error_at_the_tab),
		cmocka_unit_test(
		    rules_load__tab_before_list_item__reported_at_the_tab),
		cmocka_unit_test(
		    rules_load__syntax_error__problem_and_context),
		cmocka_unit_test(
		    rules_load__invalid_utf8__reader_error_position),
		cmocka_unit_test(
		    rules_load__missing_version__reported_at_the_top),
		cmocka_unit_test(rules_load__wrong_version__refused),
		cmocka_unit_test(rules_load__empty_file__needs_version),
		cmocka_unit_test(
		    rules_load__top_level_list__expected_mapping),
		cmocka_unit_test(rules_load__two_documents__refused),
		cmocka_unit_test(
		    rules_load__overlapping_rate_periods__refused),
		cmocka_unit_test(
		    rules_load__open_period_then_later_one__overlap),
		cmocka_unit_test(rules_load__rate_and_rates__refused),
		cmocka_unit_test(
		    rules_load__override_of_unknown_rule__refused),
		cmocka_unit_test(rules_load__override_bad_keys__refused),
		cmocka_unit_test(rules_load__missing_ids__each_reported),
		cmocka_unit_test(rules_load__bad_choices__list_the_choices),
		cmocka_unit_test(rules_load__unknown_input_field__refused),
		cmocka_unit_test(
		    rules_load__three_mistakes__all_three_reported),
		cmocka_unit_test(
		    rules_load__many_mistakes__capped_with_a_count),
		cmocka_unit_test(
		    rules_load__too_large__refused_before_parsing),
		cmocka_unit_test(
		    rules_load__no_errfp__first_error_in_diag),
		cmocka_unit_test(
		    rules_load__crlf_and_bom__positions_still_right),
		cmocka_unit_test(param_amount__values__parsed_and_checked),
		cmocka_unit_test(param_fraction__values__parsed_and_checked),
		cmocka_unit_test(rule_reduction__above_one__refused),
		cmocka_unit_test(param_percent__values__parsed_and_checked),
		cmocka_unit_test(param_count__values__parsed_and_checked),
		cmocka_unit_test(param_bool__values__parsed_and_checked),
		cmocka_unit_test(param_string__values__parsed_and_checked),
		cmocka_unit_test(param_list__scalar_or_list__parsed),
		cmocka_unit_test(param_caps__map_of_unit_total__parsed),
		cmocka_unit_test(param_dates__list__parsed),
		cmocka_unit_test(check_catalog__every_default__loads),
	};

	return cmocka_run_group_tests_name("rules", tests, NULL, NULL);
}
