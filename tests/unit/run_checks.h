/* run_checks.h - test support: run rules (YAML text) over invoice text
 * (LEDES or CSV) through the real reader and engine, and look at what
 * came out.  Header-only so each test binary stays one file. */
#ifndef BILLCHECK_TEST_RUN_CHECKS_H
#define BILLCHECK_TEST_RUN_CHECKS_H

#include <stdio.h>
#include <string.h>

#include "engine.h"
#include "findings.h"
#include "input.h"
#include "rules.h"

/* Findings handed out by finding_at stay valid for RUN_READERS calls. */
#define RUN_READERS 8

struct run {
	rule_set             *rs;
	engine               *e;
	struct run_result    *res;
	struct finding_reader rd[RUN_READERS], scan;
	unsigned              next;
};

/* A LEDES 1998B file: the two header records, then the given records. */
#define LEDES_HEAD "LEDES1998B[]\nINVOICE_DATE|INVOICE_NUMBER|CLIENT_ID|" \
	"LAW_FIRM_MATTER_ID|INVOICE_TOTAL|BILLING_START_DATE|" \
	"BILLING_END_DATE|INVOICE_DESCRIPTION|LINE_ITEM_NUMBER|" \
	"EXP/FEE/INV_ADJ_TYPE|LINE_ITEM_NUMBER_OF_UNITS|" \
	"LINE_ITEM_ADJUSTMENT_AMOUNT|LINE_ITEM_TOTAL|LINE_ITEM_DATE|" \
	"LINE_ITEM_TASK_CODE|LINE_ITEM_EXPENSE_CODE|LINE_ITEM_ACTIVITY_CODE|" \
	"TIMEKEEPER_ID|LINE_ITEM_DESCRIPTION|LAW_FIRM_ID|LINE_ITEM_UNIT_COST|" \
	"TIMEKEEPER_NAME|TIMEKEEPER_CLASSIFICATION|CLIENT_MATTER_ID[]\n"

/* One fee line of invoice INV for firm FIRM: line number, date, hours,
 * rate, total, timekeeper, class, description; invoice total TOT. */
#define FEE(firm, inv, tot, no, date, hrs, rate, total, tk, cls, desc) \
	"20260405|" inv "|C1|M1|" tot "|20260301|20260331|Services|" no \
	"|F|" hrs "|0|" total "|" date "|L120||A104|" tk "|" desc "|" firm \
	"|" rate "|Doe, " tk "|" cls "|CM-1[]\n"
#define EXP(firm, inv, tot, no, date, qty, cost, total, code, desc) \
	"20260405|" inv "|C1|M1|" tot "|20260301|20260331|Services|" no \
	"|E|" qty "|0|" total "|" date "||" code "|||" desc "|" firm "|" cost \
	"|||CM-1[]\n"

/* Readies finding_at and finding_of once r->res is set. */
static inline void
run_readers_init(struct run *r)
{
	unsigned i;

	for (i = 0; i < RUN_READERS; i++)
		findings_reader_init(&r->rd[i], r->res);
	findings_reader_init(&r->scan, r->res);
}

/* Loads rules and runs them over each text (one input per text, up to
 * 4; NULL ends the list).  Asserts the rules load.  Free with run_free. */
static inline void
run_texts(struct run *r, const char *rules_yaml, const char *const *texts,
    const struct engine_opts *eo_in)
{
	static struct engine_opts eo;
	static const char *const names[] = {"a.txt", "b.txt", "c.txt", "d.txt"};
	struct input_opts io;
	struct diag d;
	unsigned i;

	memset(r, 0, sizeof(*r));
	memset(&d, 0, sizeof(d));
	assert_int_equal(rules_load(&r->rs, "t.yaml", rules_yaml,
	    strlen(rules_yaml), stderr, &d), 0);
	memset(&eo, 0, sizeof(eo));
	if (eo_in != NULL)
		eo = *eo_in;
	r->e = engine_new(r->rs, &eo);
	memset(&io, 0, sizeof(io));
	io.date_form = DATE_AUTO;
	rules_input_opts(r->rs, &io);
	for (i = 0; i < 4 && texts[i] != NULL; i++) {
		input_reader *ir;
		struct input_counts c;

		engine_begin_file(r->e, names[i], i);
		ir = input_reader_new(names[i], i, &io, engine_sink(r->e));
		input_reader_feed(ir, texts[i], strlen(texts[i]));
		input_reader_finish(ir);
		input_reader_counts(ir, &c);
		engine_end_file(r->e, &c);
		input_reader_free(ir);
	}
	r->res = engine_finish(r->e);
	run_readers_init(r);
}

static inline void
run_one(struct run *r, const char *rules_yaml, const char *text)
{
	const char *texts[2] = {text, NULL};

	run_texts(r, rules_yaml, texts, NULL);
}

static inline void
run_free(struct run *r)
{
	unsigned i;

	for (i = 0; i < RUN_READERS; i++)
		findings_reader_fini(&r->rd[i]);
	findings_reader_fini(&r->scan);
	run_result_free(r->res);
	engine_free(r->e);
	rules_free(r->rs);
}

/* The k-th finding of the run (asserted readable). */
static inline const struct finding *
finding_at(struct run *r, size_t k)
{
	const struct finding *f;

	assert_true(k < r->res->nfindings);
	f = findings_reader_get(&r->rd[r->next++ % RUN_READERS], k);
	assert_non_null(f);
	return f;
}

/* The i-th finding of rule `rule`, or NULL. */
static inline const struct finding *
finding_of(struct run *r, const char *rule, size_t i)
{
	const struct finding *f;
	size_t k;

	for (k = 0; k < r->res->nfindings; k++) {
		f = findings_reader_get(&r->scan, k);
		assert_non_null(f);
		if (strcmp(f->rule, rule) == 0 && i-- == 0)
			return finding_at(r, k);
	}
	return NULL;
}

static inline size_t
count_of(struct run *r, const char *rule)
{
	const struct finding *f;
	size_t k, n = 0;

	for (k = 0; k < r->res->nfindings; k++) {
		f = findings_reader_get(&r->scan, k);
		assert_non_null(f);
		n += strcmp(f->rule, rule) == 0;
	}
	return n;
}

#endif
