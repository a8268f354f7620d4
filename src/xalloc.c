/* xalloc.c - allocation that never returns NULL. */
/* MADV_HUGEPAGE is a Linux extension, beyond POSIX. */
#define _DEFAULT_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "xalloc.h"

/*
 * The big blocks are the group checks' tables, which a large run fills at
 * random: in 4 KB pages every one of their pages costs a fault and a TLB
 * entry.  Asking for transparent huge pages (where the kernel leaves that
 * to the program: "madvise" mode) makes that one per 2 MB.  1 GB LEDES:
 * 104 K page faults -> 56 K (perf stat -e page-faults); wall time moved
 * less than this machine's noise.
 */
#define HUGE_MIN ((size_t)4 << 20)

static void
huge_hint(void *p, size_t n)
{
#ifdef MADV_HUGEPAGE
	const uintptr_t page = 4096;
	uintptr_t lo = ((uintptr_t)p + page - 1) & ~(page - 1);
	uintptr_t hi = ((uintptr_t)p + n) & ~(page - 1);

	if (n >= HUGE_MIN && hi > lo)
		(void)madvise((void *)lo, hi - lo, MADV_HUGEPAGE);
#else
	(void)p;
	(void)n;
#endif
}

static void
oom(void)
{
	fputs("billcheck: out of memory\n", stderr);
	abort();
}

void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		oom();
	huge_hint(p, n);
	return p;
}

void *
xcalloc(size_t nmemb, size_t size)
{
	void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);

	if (p == NULL)
		oom();
	if (size != 0 && nmemb <= SIZE_MAX / size)
		huge_hint(p, nmemb * size);
	return p;
}

void *
xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (q == NULL)
		oom();
	huge_hint(q, n);
	return q;
}

char *
xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

void
xgrow(void *pp, size_t *cap, size_t need, size_t elem)
{
	void **p = pp;
	size_t n = *cap ? *cap : 8;

	if (need <= *cap)
		return;
	while (n < need) {
		if (n > ((size_t)-1) / 2 / elem)
			oom();
		n *= 2;
	}
	*p = xrealloc(*p, n * elem);
	*cap = n;
}
