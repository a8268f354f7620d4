/* ledes.h - LEDES 1998B / 1998BI V2 records -> invoice_line, streaming.
 * Used by input.c, which picks the reader from the file's first bytes. */
#ifndef BILLCHECK_LEDES_H
#define BILLCHECK_LEDES_H

#include <stdbool.h>
#include <stddef.h>

#include "input.h"

typedef struct ledes_reader ledes_reader;

/* Arguments as for csvin_new.  Free with ledes_free. */
ledes_reader *ledes_new(const char *name, unsigned file_index,
    const struct input_opts *opts, const struct input_sink *sink,
    struct input_counts *counts);
void ledes_feed(ledes_reader *r, const char *buf, size_t len);
void ledes_finish(ledes_reader *r);
void ledes_free(ledes_reader *r);

/* True when buf (the file's first bytes, at least up to the first "[]"
 * or newline when there is one) looks like LEDES: a first record starting
 * "LEDES", or a pipe-separated record ending in "[]". */
bool ledes_sniff(const char *buf, size_t len);

#endif
