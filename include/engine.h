/* engine.h - runs the rules' checks over every line and invoice, keeps the
 * findings, and sums them per invoice and firm. */
#ifndef BILLCHECK_ENGINE_H
#define BILLCHECK_ENGINE_H

#include <stdio.h>

#include "input.h"
#include "result.h"
#include "rules.h"

struct history;

struct engine_opts {
	const char *const *firms;  /* --firm filter, or NULL for all */
	size_t             nfirms;
	FILE              *errfp;  /* diagnostics and notes, or NULL */
	bool               quiet;  /* no notes on errfp */
	/* Called with each finding as it is found (jsonl); a non-zero
	 * return is remembered and reported by engine_stream_failed. */
	int  (*on_finding)(void *ctx, const struct finding *f);
	void *on_finding_ctx;
	/* --history: what earlier runs recorded, for the checks that read
	 * it (borrowed; NULL: every run stands alone, as without it). */
	struct history    *history;
	/* Bytes of findings kept in memory before they spill to a
	 * temporary file (0: FINDINGS_SPILL_AT; tests make it small). */
	size_t             findings_spill_at;
};

typedef struct engine engine;

/* rs and opts are borrowed and must outlive the engine. */
engine *engine_new(const rule_set *rs, const struct engine_opts *opts);
void    engine_free(engine *e);

/* The sink to hand an input_reader: lines, rejects, errors and notes of
 * the file begun with engine_begin_file go to the engine. */
const struct input_sink *engine_sink(engine *e);

/* Brackets one input.  `name` must outlive the engine.  engine_end_file
 * runs the invoice-level checks of that file's invoices. */
void engine_begin_file(engine *e, const char *name, unsigned file_index);
void engine_end_file(engine *e, const struct input_counts *counts);

/* An input that could not be opened or read at all. */
void engine_input_error(engine *e, const char *name, const struct diag *d);

/* Runs the end-of-run hooks and returns the result (free with
 * run_result_free).  The engine can only be freed after this. */
struct run_result *engine_finish(engine *e);
bool engine_stream_failed(const engine *e);

void run_result_free(struct run_result *res);

#endif
