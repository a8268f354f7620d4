/* group.c - helpers shared by the cross-line group checks. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "decimal.h"
#include "group.h"
#include "history.h"
#include "keymap.h"
#include "xalloc.h"

void
group_files_add(struct group_files *gf, unsigned index, const char *name)
{
	size_t i;

	if (index < gf->n && gf->v[index] != NULL)
		return;
	if (index >= gf->n) {
		gf->v = xrealloc(gf->v, ((size_t)index + 1) * sizeof(*gf->v));
		for (i = gf->n; i <= index; i++)
			gf->v[i] = NULL;
		gf->n = (size_t)index + 1;
	}
	gf->v[index] = xstrdup(name != NULL ? name : "");
}

const char *
group_files_name(const struct group_files *gf, unsigned index)
{
	if (index >= gf->n || gf->v[index] == NULL)
		return "?";
	return gf->v[index];
}

void
group_files_fini(struct group_files *gf)
{
	size_t i;

	for (i = 0; i < gf->n; i++)
		free(gf->v[i]);
	free(gf->v);
	gf->v = NULL;
	gf->n = 0;
}

uint32_t
group_ids_lookup(struct group_ids *g, struct text id)
{
	uint32_t *num;
	bool created;

	if (g->map == NULL)
		g->map = keymap_new(sizeof(uint32_t));
	num = keymap_put(g->map, id.p, id.n, &created);
	if (created)
		*num = (uint32_t)(keymap_count(g->map) - 1);
	xgrow(&g->last, &g->last_cap, id.n + 1, 1);
	if (id.n > 0)
		memcpy(g->last, id.p, id.n);
	g->last_n = id.n;
	g->last_num = *num;
	g->has_last = true;
	return *num;
}

void
group_ids_fini(struct group_ids *g)
{
	keymap_free(g->map);
	free(g->last);
	memset(g, 0, sizeof(*g));
}

int
group_clip(const char *s, size_t n, size_t max)
{
	if (n <= max)
		return (int)n;
	/* Back off continuation bytes so a message stays valid UTF-8. */
	while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
		max--;
	return (int)max;
}

void
group_buf_add(struct group_buf *b, const char *fmt, ...)
{
	va_list ap;
	int k;

	if (b->n + 1 >= sizeof(b->s))
		return;
	va_start(ap, fmt);
	k = vsnprintf(b->s + b->n, sizeof(b->s) - b->n, fmt, ap);
	va_end(ap);
	if (k < 0)
		b->s[b->n] = '\0';
	else if ((size_t)k >= sizeof(b->s) - b->n)
		b->n = sizeof(b->s) - 1;
	else
		b->n += (size_t)k;
}

int64_t
group_excess_risk(const struct invoice_line *l, int64_t excess)
{
	int64_t units = l->num[N_UNITS], share, risk;

	if (excess <= 0 || units <= 0)
		return 0;
	share = excess < units ? excess : units;
	if (line_has_num(l, N_UNIT_COST)) {
		if (dec_mul(&risk, share, l->num[N_UNIT_COST]) < 0)
			risk = INT64_MAX;
	} else if (dec_mul_div(&risk, l->num[N_TOTAL], share, units) < 0) {
		risk = INT64_MAX;
	}
	return risk > 0 ? risk : 0;
}

uint32_t
group_pool_add(struct group_pool *p, const char *s)
{
	size_t n = strlen(s) + 1, at = p->n;

	if (at + n >= UINT32_MAX)
		return 0;
	xgrow(&p->s, &p->cap, at + n, 1);
	memcpy(p->s + at, s, n);
	p->n += n;
	return (uint32_t)(at + 1);
}

const char *
group_pool_get(const struct group_pool *p, uint32_t handle)
{
	if (handle == 0 || handle > p->n)
		return "";
	return p->s + handle - 1;
}

void
group_pool_fini(struct group_pool *p)
{
	free(p->s);
	p->s = NULL;
	p->n = p->cap = 0;
}

void
group_buf_history(struct group_buf *b, const struct history_ref *ref)
{
	if (ref->row > 0)
		group_buf_add(b, "row %lu of ", ref->row);
	group_buf_add(b, "%.*s, invoice %.*s, run %lld of %s",
	    group_clip(ref->file, strlen(ref->file), GROUP_FILE_MAX),
	    ref->file, group_clip(ref->invoice, strlen(ref->invoice),
	    GROUP_ID_MAX), ref->invoice, (long long)ref->run, ref->run_date);
}

void
group_buf_earlier(struct group_buf *b, const char *amount, unsigned long n,
    const char *which, const struct history_ref *ref)
{
	group_buf_add(b, "; %s of it on ", amount);
	if (n > 1)
		group_buf_add(b, "%lu earlier invoices, the %s ", n, which);
	else
		group_buf_add(b, "invoice ");
	group_buf_add(b, "%.*s (%.*s, run %lld of %s)",
	    group_clip(ref->invoice, strlen(ref->invoice), GROUP_ID_MAX),
	    ref->invoice, group_clip(ref->file, strlen(ref->file),
	    GROUP_FILE_MAX), ref->file, (long long)ref->run, ref->run_date);
}

/* ---- a place per date ------------------------------------------------ */

/* Dates a new range reaches past the one asked for, each way. */
#define DATES_MARGIN 32

void *
group_dates_at(struct group_dates *d, size_t size, int32_t date)
{
	int64_t at, lo, hi;
	size_t add;

	if (date == DATE_NONE) {
		if (d->none == NULL)
			d->none = xcalloc(1, size);
		return d->none;
	}
	if (d->n == 0) {
		d->first = date > INT32_MIN + DATES_MARGIN ?
		    date - DATES_MARGIN : INT32_MIN + 1;
		d->n = 2 * DATES_MARGIN;
		d->v = xcalloc(d->n, size);
	}
	at = (int64_t)date - d->first;
	if (at < 0) {
		/* Room before: at least as much again as there is. */
		lo = at - DATES_MARGIN;
		if (-lo < (int64_t)d->n)
			lo = -(int64_t)d->n;
		if ((int64_t)d->first + lo <= INT32_MIN)
			lo = (int64_t)INT32_MIN + 1 - d->first;
		add = (size_t)-lo;
		d->v = xrealloc(d->v, (d->n + add) * size);
		memmove(d->v + add * size, d->v, d->n * size);
		memset(d->v, 0, add * size);
		d->n += add;
		d->first = (int32_t)(d->first + lo);
		at -= lo;
	} else if (at >= (int64_t)d->n) {
		hi = at + 1 + DATES_MARGIN;
		if (hi < 2 * (int64_t)d->n)
			hi = 2 * (int64_t)d->n;
		d->v = xrealloc(d->v, (size_t)hi * size);
		memset(d->v + d->n * size, 0, ((size_t)hi - d->n) * size);
		d->n = (size_t)hi;
	}
	return d->v + (size_t)at * size;
}

void *
group_dates_get(const struct group_dates *d, size_t size, int32_t date)
{
	int64_t at = (int64_t)date - d->first;

	if (date == DATE_NONE)
		return d->none;
	if (d->n == 0 || at < 0 || at >= (int64_t)d->n)
		return NULL;
	return d->v + (size_t)at * size;
}

void
group_dates_fini(struct group_dates *d)
{
	free(d->v);
	free(d->none);
	memset(d, 0, sizeof(*d));
}
