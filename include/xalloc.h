/* xalloc.h - allocation that never returns NULL (out of memory aborts). */
#ifndef BILLCHECK_XALLOC_H
#define BILLCHECK_XALLOC_H

#include <stddef.h>

/* Each prints "billcheck: out of memory" and aborts on failure, so call
 * sites never check for NULL.  The caller frees the result with free(). */
void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

/* Grows *p (an array of *cap elements of size elem) so that it holds at
 * least need elements.  Doubles, so appends are amortised O(1). */
void xgrow(void *pp, size_t *cap, size_t need, size_t elem);

#endif
