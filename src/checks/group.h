/* group.h - what the cross-line group checks share: the names of the
 * inputs they point back into, and clipping of untrusted text. */
#ifndef BILLCHECK_CHECKS_GROUP_H
#define BILLCHECK_CHECKS_GROUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "record.h"

/* The display names of the inputs seen so far, by file index.  Group
 * state outlives a file's lines, so a finding that names an earlier file
 * needs its own copy of the name.  Zero it to start; group_files_fini
 * frees it. */
struct group_files {
	char  **v;   /* by file_index; NULL for an input not seen */
	size_t  n;   /* entries in v */
};

/* Remembers name (copied) for input `index`, once. */
void group_files_add(struct group_files *gf, unsigned index,
    const char *name);

static inline void
group_files_keep(struct group_files *gf, unsigned index, const char *name)
{
	/* Called for every line: the usual answer is "kept already". */
	if (index >= gf->n || gf->v[index] == NULL)
		group_files_add(gf, index, name);
}
/* The name of input `index`, or "?" when it was never kept. */
const char *group_files_name(const struct group_files *gf, unsigned index);
void group_files_fini(struct group_files *gf);

/* A place per date, zeroed when new, over the range of dates seen so far:
 * it grows (at either end) as lines come, so a run over a few years
 * costs a few thousand places, not one per date date_parse can return.
 * DATE_NONE has a place of its own.  Places move when the range grows:
 * keep no pointer into it across calls.  Zero it to start (every call
 * passes the same size); group_dates_fini frees it. */
struct group_dates {
	unsigned char *v;      /* n places */
	size_t         n;
	int32_t        first;  /* the date of v[0] */
	unsigned char *none;   /* DATE_NONE's place */
};

void *group_dates_at(struct group_dates *d, size_t size, int32_t date);
/* The place of date, or NULL when it has none yet. */
void *group_dates_get(const struct group_dates *d, size_t size,
    int32_t date);
void  group_dates_fini(struct group_dates *d);

/* Small numbers for ids (firms), each text given one once, so keys can
 * hold 4 bytes instead of the text.  Lines come in invoices, so the last
 * id asked for answers most lines without a lookup.  Zero it to start;
 * group_ids_fini frees it. */
struct group_ids {
	struct keymap *map;      /* id text -> uint32_t number */
	char          *last;     /* the last id asked for, copied */
	size_t         last_n, last_cap;
	uint32_t       last_num;
	bool           has_last;
};

uint32_t group_ids_lookup(struct group_ids *g, struct text id);
void     group_ids_fini(struct group_ids *g);

/* The number of id (0, 1, 2, ... in order of first appearance). */
static inline uint32_t
group_ids_get(struct group_ids *g, struct text id)
{
	if (g->has_last && text_eq_text((struct text){g->last, g->last_n}, id))
		return g->last_num;
	return group_ids_lookup(g, id);
}

/* How many bytes of s[0..n) to print in a message: at most max, and never
 * half a UTF-8 character.  For "%.*s". */
int group_clip(const char *s, size_t n, size_t max);

/* Text built piece by piece for a message; it stops growing when full
 * (truncated, never overrun).  Zero it to start. */
struct group_buf {
	char   s[320];
	size_t n;
};

void group_buf_add(struct group_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The money at risk when `excess` hours of fee line l are beyond a limit:
 * min(excess, units) x the line's unit cost, or that share of the line
 * total when the line has no unit cost.  Never negative. */
int64_t group_excess_risk(const struct invoice_line *l, int64_t excess);

/* The widths messages allow for ids and for file names. */
#define GROUP_ID_MAX   40
#define GROUP_FILE_MAX 60

/* duplicate.c's fingerprint of line l for the match set `bits` (bit i is
 * the i-th of timekeeper, date, units, amount, description, type,
 * task_code, expense_code; the firm always), as 16 bytes.  Version 1 is
 * what --history files hold; version 2 is the faster one a run without a
 * history keys on.  Both put the same lines together.  For tests. */
void group_dup_fingerprint(unsigned char out[16],
    const struct invoice_line *l, unsigned bits, int version);

/* ---- history (--history) ---------------------------------------- */

struct history_ref;

/* Message text kept for later findings: NUL-terminated copies in one
 * buffer.  Zero it to start; group_pool_fini frees it. */
struct group_pool {
	char   *s;
	size_t  n, cap;
};

/* Keeps a copy of s; returns its handle, never 0 (0 when the pool is
 * past 4 GiB: the text is then left out). */
uint32_t group_pool_add(struct group_pool *p, const char *s);
/* The text of a handle; "" for 0. */
const char *group_pool_get(const struct group_pool *p, uint32_t handle);
void group_pool_fini(struct group_pool *p);

/* "row 12 of jan.txt, invoice HK-1, run 2 of 2026-04-01": where an
 * earlier run recorded something (the row left out when 0). */
void group_buf_history(struct group_buf *b, const struct history_ref *ref);

/* "; 4.0 h of it on invoice HK-1 (jan.txt, run 2 of 2026-04-01)", or with
 * n > 1 "; ... on 3 earlier invoices, the last HK-3 (...)" (`which` is
 * "first" or "last"): how much of a total earlier runs recorded. */
void group_buf_earlier(struct group_buf *b, const char *amount,
    unsigned long n, const char *which, const struct history_ref *ref);

#endif
