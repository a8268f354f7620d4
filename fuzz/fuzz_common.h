/* fuzz_common.h - what the libFuzzer targets share: chunked feeding, a
 * sink that records every event, and a whole run through the engine and
 * every report writer.  Header-only: each target is one translation unit
 * linked with the library sources (not main.c). */
#ifndef BILLCHECK_FUZZ_COMMON_H
#define BILLCHECK_FUZZ_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "findings.h"
#include "input.h"
#include "report.h"
#include "rules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

extern const char default_rules_yaml[];
extern const size_t default_rules_len;

/* A finding of the fuzzer itself (an invariant that does not hold):
 * abort, so libFuzzer saves the input as a crash. */
#define FUZZ_ASSERT(cond)                                                   \
	do {                                                                \
		if (!(cond)) {                                              \
			fprintf(stderr, "fuzz: %s:%d: invariant failed: %s\n", \
			    __FILE__, __LINE__, #cond);                     \
			abort();                                            \
		}                                                           \
	} while (0)

static inline uint64_t
fuzz_hash(const void *p, size_t n, uint64_t h)
{
	const unsigned char *u = p;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= u[i];
		h *= UINT64_C(0x100000001b3);
	}
	return h;
}

#define FUZZ_HASH0 UINT64_C(0xcbf29ce484222325)

/* xorshift64*, seeded from the data, for chunk sizes. */
struct fuzz_rng {
	uint64_t s;
};

static inline uint64_t
fuzz_rng_next(struct fuzz_rng *r)
{
	r->s ^= r->s >> 12;
	r->s ^= r->s << 25;
	r->s ^= r->s >> 27;
	return r->s * UINT64_C(2685821657736338717);
}

/* ---- a sink that records what a reader delivers ---------------------- */

enum fuzz_ev_kind { EV_LINE = 1, EV_REJECT, EV_ERROR, EV_NOTE };

struct fuzz_ev {
	int           kind;
	unsigned long row, col;
	uint64_t      h; /* hash of the line's content or the message */
};

struct fuzz_log {
	struct fuzz_ev *v;
	size_t          n, cap;
	unsigned long   lines, rejects, errors, notes;
};

/* FUZZ_VERBOSE=1 in the environment prints every event as it happens,
 * for replaying one input: build-fuzz/fuzz_ledes crash-file. */
static inline void
fuzz_verbose(int kind, unsigned long row, unsigned long col,
    const char *msg)
{
	static int on = -1;

	if (on < 0)
		on = getenv("FUZZ_VERBOSE") != NULL;
	if (on)
		fprintf(stderr, "fuzz: event %d row %lu col %lu: %s\n", kind,
		    row, col, msg);
}

static inline void
fuzz_log_add(struct fuzz_log *g, int kind, unsigned long row,
    unsigned long col, uint64_t h)
{
	if (g->n == g->cap) {
		g->cap = g->cap ? 2 * g->cap : 64;
		g->v = realloc(g->v, g->cap * sizeof(*g->v));
		if (g->v == NULL)
			abort();
	}
	g->v[g->n].kind = kind;
	g->v[g->n].row = row;
	g->v[g->n].col = col;
	g->v[g->n].h = h;
	g->n++;
}

/* Everything a reader decided about a line, hashed; pointers are read
 * (so ASan sees a bad borrowed slice) but not hashed. */
static inline uint64_t
fuzz_line_hash(const struct invoice_line *l)
{
	uint64_t h = FUZZ_HASH0;
	size_t i;

	for (i = 0; i < F__COUNT; i++) {
		h = fuzz_hash(&l->field[i].n, sizeof(l->field[i].n), h);
		if (l->field[i].n > 0)
			h = fuzz_hash(l->field[i].p, l->field[i].n, h);
		h = fuzz_hash(&l->has_column[i], sizeof(l->has_column[i]), h);
	}
	h = fuzz_hash(&l->type, sizeof(l->type), h);
	if (l->tk_class != NULL)
		h = fuzz_hash(l->tk_class, strlen(l->tk_class), h);
	for (i = 0; i < N__COUNT; i++)
		if (l->num_set & (1u << i))
			h = fuzz_hash(&l->num[i], sizeof(l->num[i]), h);
	h = fuzz_hash(&l->num_set, sizeof(l->num_set), h);
	h = fuzz_hash(&l->date, sizeof(l->date), h);
	h = fuzz_hash(&l->invoice_date, sizeof(l->invoice_date), h);
	h = fuzz_hash(&l->billing_start, sizeof(l->billing_start), h);
	h = fuzz_hash(&l->billing_end, sizeof(l->billing_end), h);
	h = fuzz_hash(&l->record, sizeof(l->record), h);
	FUZZ_ASSERT(l->nlints <= LINE_MAX_LINTS);
	for (i = 0; i < l->nlints; i++)
		h = fuzz_hash(l->lints[i].msg, strlen(l->lints[i].msg), h);
	return h;
}

static inline void
fuzz_on_line(void *ctx, struct invoice_line *l)
{
	struct fuzz_log *g = ctx;

	FUZZ_ASSERT(l->row >= 1);
	FUZZ_ASSERT(l->date != DATE_NONE);
	g->lines++;
	fuzz_verbose(EV_LINE, l->row, 0, l->nlints ? l->lints[0].msg : "");
	fuzz_log_add(g, EV_LINE, l->row, 0, fuzz_line_hash(l));
}

static inline uint64_t
fuzz_diag_hash(const struct diag *d)
{
	size_t n = strnlen(d->msg, sizeof(d->msg));

	fuzz_verbose(0, d->pos.line, d->pos.col, d->msg);
	/* A message is one NUL-terminated sentence without a newline. */
	FUZZ_ASSERT(n < sizeof(d->msg));
	FUZZ_ASSERT(memchr(d->msg, '\n', n) == NULL);
	FUZZ_ASSERT(d->pos.file != NULL);
	return fuzz_hash(d->msg, n, FUZZ_HASH0);
}

static inline void
fuzz_on_reject(void *ctx, const struct diag *d)
{
	struct fuzz_log *g = ctx;

	g->rejects++;
	/* A rejected record always says on which line. */
	FUZZ_ASSERT(d->pos.line >= 1);
	fuzz_log_add(g, EV_REJECT, d->pos.line, d->pos.col, fuzz_diag_hash(d));
}

static inline void
fuzz_on_error(void *ctx, const struct diag *d)
{
	struct fuzz_log *g = ctx;

	g->errors++;
	fuzz_log_add(g, EV_ERROR, d->pos.line, d->pos.col, fuzz_diag_hash(d));
}

static inline void
fuzz_on_note(void *ctx, const struct diag *d)
{
	struct fuzz_log *g = ctx;

	g->notes++;
	fuzz_log_add(g, EV_NOTE, d->pos.line, d->pos.col, fuzz_diag_hash(d));
}

static const struct input_sink fuzz_sink_proto = {
	NULL, fuzz_on_line, fuzz_on_reject, fuzz_on_error, fuzz_on_note, NULL,
};

/* Feeds buf to r in chunks: all at once (maxchunk 0) or in pieces of 1 to
 * maxchunk bytes drawn from rng. */
static inline void
fuzz_feed_chunks(input_reader *r, const char *buf, size_t len,
    size_t maxchunk, struct fuzz_rng *rng)
{
	size_t off = 0, n;

	if (maxchunk == 0) {
		input_reader_feed(r, buf, len);
		return;
	}
	while (off < len) {
		n = 1 + (size_t)(fuzz_rng_next(rng) % maxchunk);
		if (n > len - off)
			n = len - off;
		/* A fresh copy per chunk, so reading past a chunk's end or
		 * keeping a pointer into it is an ASan report. */
		{
			char *chunk = malloc(n);

			if (chunk == NULL)
				abort();
			memcpy(chunk, buf + off, n);
			input_reader_feed(r, chunk, n);
			free(chunk);
		}
		off += n;
	}
}

/* One input through a reader into a recording sink.  Checks the
 * reconciliation every report prints: records = checked + rejected. */
static inline void
fuzz_read(const char *buf, size_t len, const struct input_opts *opts,
    size_t maxchunk, uint64_t seed, struct fuzz_log *g,
    struct input_counts *c)
{
	struct input_sink sink = fuzz_sink_proto;
	struct fuzz_rng rng = {seed | 1};
	input_reader *r;

	memset(g, 0, sizeof(*g));
	sink.ctx = g;
	r = input_reader_new("fuzz.in", 0, opts, &sink);
	fuzz_feed_chunks(r, buf, len, maxchunk, &rng);
	input_reader_finish(r);
	input_reader_counts(r, c);
	input_reader_free(r);
	FUZZ_ASSERT(c->records == g->lines + c->rejected);
	FUZZ_ASSERT(g->rejects <= c->rejected);
	/* A file with records rejected and nothing said about them is a
	 * silent loss, unless a file-level error said it first. */
	FUZZ_ASSERT(c->rejected == 0 || g->rejects > 0 || g->errors > 0);
	if (g->errors > 0)
		FUZZ_ASSERT(c->failed);
}

static inline bool
fuzz_log_eq(const struct fuzz_log *a, const struct fuzz_log *b)
{
	size_t i;

	if (a->n != b->n)
		return false;
	for (i = 0; i < a->n; i++)
		if (a->v[i].kind != b->v[i].kind || a->v[i].row != b->v[i].row ||
		    a->v[i].col != b->v[i].col || a->v[i].h != b->v[i].h)
			return false;
	return true;
}

static inline void
fuzz_log_dump(const char *what, const struct fuzz_log *g)
{
	size_t i;

	fprintf(stderr, "fuzz: %s: %zu events\n", what, g->n);
	for (i = 0; i < g->n && i < 40; i++)
		fprintf(stderr, "  kind %d row %lu col %lu hash %016llx\n",
		    g->v[i].kind, g->v[i].row, g->v[i].col,
		    (unsigned long long)g->v[i].h);
}

/* ---- a whole run: reader -> engine -> every report writer ------------ */

static FILE *fuzz_devnull;

static inline int
fuzz_stream_finding(void *ctx, const struct finding *f)
{
	return report_jsonl_finding(ctx, f);
}

static inline void
fuzz_write_all(const struct run_result *res)
{
	static const char *const formats[] = {"text", "csv", "json", "jsonl"};
	struct report_opts ro = {true};
	size_t i;

	for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		const struct report_writer *w = report_writer_for(formats[i]);

		FUZZ_ASSERT(w != NULL);
		(void)w->write(fuzz_devnull, res, &ro);
	}
}

/* Runs buf as the one input of a run with rules rs, chunked as above,
 * and checks the totals the report prints. */
static inline void
fuzz_engine_run(const rule_set *rs, const char *buf, size_t len,
    const struct input_opts *base, size_t maxchunk, uint64_t seed)
{
	struct engine_opts eo;
	struct input_opts opts = *base;
	struct input_counts c;
	struct run_result *res;
	struct finding_reader rd;
	struct fuzz_rng rng = {seed | 1};
	input_reader *r;
	engine *e;
	size_t i;

	if (fuzz_devnull == NULL) {
		fuzz_devnull = fopen("/dev/null", "w");
		FUZZ_ASSERT(fuzz_devnull != NULL);
	}
	memset(&eo, 0, sizeof(eo));
	eo.errfp = NULL;
	eo.quiet = true;
	eo.on_finding = fuzz_stream_finding;
	eo.on_finding_ctx = fuzz_devnull;
	rules_input_opts(rs, &opts);
	e = engine_new(rs, &eo);
	engine_begin_file(e, "fuzz.in", 0);
	r = input_reader_new("fuzz.in", 0, &opts, engine_sink(e));
	fuzz_feed_chunks(r, buf, len, maxchunk, &rng);
	input_reader_finish(r);
	input_reader_counts(r, &c);
	engine_end_file(e, &c);
	input_reader_free(r);
	res = engine_finish(e);
	res->version = "fuzz";
	FUZZ_ASSERT(res->ninputs == 1);
	FUZZ_ASSERT(res->inputs[0].records ==
	    res->inputs[0].checked + res->inputs[0].rejected);
	FUZZ_ASSERT(res->records == res->checked + res->rejected);
	findings_reader_init(&rd, res);
	for (i = 0; i < res->nfindings; i++) {
		const struct finding *f = findings_reader_get(&rd, i);

		FUZZ_ASSERT(f != NULL);
		FUZZ_ASSERT(f->at_risk >= 0);
		FUZZ_ASSERT(f->message != NULL);
	}
	findings_reader_fini(&rd);
	for (i = 0; i < res->ninvoices; i++) {
		/* At risk is never negative nor more than a positive bill. */
		FUZZ_ASSERT(res->invoices[i].at_risk >= 0);
		FUZZ_ASSERT(res->invoices[i].billed <= 0 ||
		    res->invoices[i].at_risk <= res->invoices[i].billed);
	}
	fuzz_write_all(res);
	run_result_free(res);
	engine_free(e);
}

/* The built-in rules, loaded once. */
static inline rule_set *
fuzz_default_rules(void)
{
	static rule_set *rs;
	struct diag d;

	if (rs == NULL) {
		if (rules_load(&rs, "built-in", default_rules_yaml,
		    default_rules_len, stderr, &d) < 0)
			abort();
	}
	return rs;
}

#endif
