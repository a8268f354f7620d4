/* outfile.h - report files that appear whole or not at all. */
#ifndef BILLCHECK_OUTFILE_H
#define BILLCHECK_OUTFILE_H

#include <stdbool.h>
#include <stdio.h>

#include "diag.h"

struct outfile {
	FILE *fp;          /* write the report here */
	char *path;        /* final name, or NULL for stdout */
	char *tmp;         /* temporary name beside it */
	bool  direct;      /* path is a device or pipe, written in place */
	bool  live;        /* a pipe, socket or terminal: someone may be
	                    * reading as it is written */
	char *buf;         /* fp's stdio buffer, when it is ours to free */
};

/* Opens a temporary file in path's directory (path NULL: stdout).
 * Returns 0, or -1 with *d filled. */
int outfile_open(struct outfile *o, const char *path, struct diag *d)
    __attribute__((warn_unused_result));

/* Flushes, syncs and renames the temporary file over path, so a reader
 * sees the old file or the whole new one.  Returns 0, or -1 with *d
 * filled and the temporary file removed. */
int outfile_commit(struct outfile *o, struct diag *d)
    __attribute__((warn_unused_result));

/* Removes the temporary file (after a failure). */
void outfile_abort(struct outfile *o);

#endif
