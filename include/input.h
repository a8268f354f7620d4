/* input.h - invoice files in, invoice_line records out (format by content). */
#ifndef BILLCHECK_INPUT_H
#define BILLCHECK_INPUT_H

#include <stdbool.h>
#include <stddef.h>

#include "date.h"
#include "diag.h"
#include "record.h"

/*
 * Work a sink does on each line that needs nothing but the line (and
 * what the sink set up before the first): whoever carries lines to the
 * sink on another thread (pipeline.h) may do it there, ahead of on_line,
 * into a block of `size` bytes that line->ahead then points to.  Blocks
 * start zeroed and are reused from line to line; fini frees what run
 * kept in one.
 */
struct line_ahead {
	const void *ctx;
	size_t      size;
	void      (*run)(const void *ctx, const struct invoice_line *line,
	    void *block);
	void      (*fini)(const void *ctx, void *block);
	/* May be NULL.  Called on on_line's thread a few lines before
	 * on_line(line), once run has made its block: a hint to start
	 * loading what on_line will look up, which changes nothing. */
	void      (*soon)(const void *ctx, const struct invoice_line *line);
};

/* What a reader hands on.  Called synchronously from feed/finish. */
struct input_sink {
	void *ctx;
	/* A record that was read.  The callee must leave the line as it
	 * is: a reader may hand the same struct again, rewriting only what
	 * differs from the last line (csvin.c does). */
	void (*on_line)(void *ctx, struct invoice_line *line);
	/* A record that could not be read: counted as rejected. */
	void (*on_reject)(void *ctx, const struct diag *d);
	/* A problem with the file as a whole (unknown format, missing
	 * column); every record of it is then counted as rejected. */
	void (*on_error)(void *ctx, const struct diag *d);
	/* Something the user should know once, which is no error. */
	void (*on_note)(void *ctx, const struct diag *d);
	/* NULL, or the work on_line does first (see above). */
	const struct line_ahead *ahead;
};

/* How delimited exports are read.  Owned by the caller. */
struct input_opts {
	enum date_form date_form;          /* DATE_AUTO or DATE_DMY */
	const char    *columns[F__COUNT];  /* header text for a field, or NULL */
	const char    *defaults[F__COUNT]; /* value for a field the file lacks */
	size_t         max_record;         /* bytes; 0 = INPUT_MAX_RECORD */
};

#define INPUT_MAX_RECORD ((size_t)1 << 20)

struct input_counts {
	enum input_format format;
	bool              format_known;  /* false until the first record */
	unsigned long     records;       /* data records seen */
	unsigned long     rejected;      /* of which could not be read */
	bool              failed;        /* a file-level error happened */
};

typedef struct input_reader input_reader;

/* A reader for one input called `name` (kept borrowed: it must outlive the
 * reader).  The format is decided by the first bytes fed.  The caller
 * frees it with input_reader_free. */
input_reader *input_reader_new(const char *name, unsigned file_index,
    const struct input_opts *opts, const struct input_sink *sink);

/* Feeds the next len bytes of the file; records are delivered as they
 * complete.  Then input_reader_finish delivers the last one. */
void input_reader_feed(input_reader *r, const char *buf, size_t len);
void input_reader_finish(input_reader *r);
void input_reader_counts(const input_reader *r, struct input_counts *c);
void input_reader_free(input_reader *r);

/* True when buf[0..n), the start of an input, holds its first record and
 * that record says LEDES: the choice input_reader_feed will make, for a
 * caller that handles formats differently. */
bool input_is_ledes(const char *buf, size_t n);

/* The name of a format: "LEDES1998B", "LEDES98BI V2", "CSV". */
const char *input_format_name(enum input_format f);

#endif
