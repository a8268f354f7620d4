/* csvin.h - delimited exports (libcsv) -> invoice_line, streaming.
 * Used by input.c, which picks the reader from the file's first bytes. */
#ifndef BILLCHECK_CSVIN_H
#define BILLCHECK_CSVIN_H

#include <stddef.h>

#include "input.h"

typedef struct csv_reader csv_reader;

/* name, opts and sink are borrowed and must outlive the reader; counts is
 * the caller's tally, which the reader keeps up to date (records,
 * rejected, failed; format = FMT_CSV).  Free with csvin_free. */
csv_reader *csvin_new(const char *name, unsigned file_index,
    const struct input_opts *opts, const struct input_sink *sink,
    struct input_counts *counts);
void csvin_feed(csv_reader *r, const char *buf, size_t len);
void csvin_finish(csv_reader *r);
void csvin_free(csv_reader *r);

#endif
