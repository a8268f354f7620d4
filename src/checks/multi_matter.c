/* multi_matter.c - one invoice that bills more than one matter, where
 * guidelines ask for a separate invoice per matter. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "checks.h"
#include "group.h"
#include "keymap.h"
#include "xalloc.h"

/* Matters a message names; more are counted. */
#define MM_KEEP 4

/* An invoice's matters.  State lives for one input only: an invoice is
 * one file's lines of a number, and the engine runs on_invoice for all of
 * a file's invoices before the next file's first line. */
struct inv_matters {
	size_t   off[MM_KEEP], len[MM_KEEP]; /* in state.pool */
	uint32_t n;                          /* distinct matters */
};

struct state {
	keymap  *invoices;  /* firm|number -> struct inv_matters */
	keymap  *pairs;     /* firm|number|matter -> (nothing) */
	char    *pool;      /* the first MM_KEEP matters of each invoice */
	size_t   pool_len, pool_cap;
	unsigned file;      /* the input the maps are about */
	bool     has_file;
};

static void *
state_new(const struct rule *r)
{
	struct state *s = xcalloc(1, sizeof(*s));

	(void)r;
	s->invoices = keymap_new(sizeof(struct inv_matters));
	s->pairs = keymap_new(1);
	return s;
}

static void
state_free(void *p)
{
	struct state *s = p;

	keymap_free(s->invoices);
	keymap_free(s->pairs);
	free(s->pool);
	free(s);
}

static struct text
matter_of(const struct invoice_line *l)
{
	return l->field[F_LAW_FIRM_MATTER_ID].n ?
	    l->field[F_LAW_FIRM_MATTER_ID] : l->field[F_CLIENT_MATTER_ID];
}

static void
on_line(struct check_ctx *cx, const struct rule *r,
    const struct invoice_line *l)
{
	struct state *s = check_state(cx);
	struct text firm = l->field[F_LAW_FIRM_ID];
	struct text num = l->field[F_INVOICE_NUMBER];
	struct text m = matter_of(l);
	const void *parts[3] = {firm.p, num.p, m.p};
	size_t lens[3] = {firm.n, num.n, m.n}, klen, ilen;
	struct inv_matters *im;
	char key[1024];
	bool created;

	(void)r;
	if (!s->has_file || s->file != l->file_index) {
		keymap_clear(s->invoices);
		keymap_clear(s->pairs);
		s->pool_len = 0;
		s->file = l->file_index;
		s->has_file = true;
	}
	if (m.n == 0)
		return;
	ilen = keymap_key(key, sizeof(key), parts, lens, 2);
	klen = keymap_key(key, sizeof(key), parts, lens, 3);
	if (ilen == 0 || klen == 0)
		return;
	keymap_put(s->pairs, key, klen, &created);
	if (!created)
		return;
	/* The invoice key is the first ilen bytes of the pair key. */
	im = keymap_put(s->invoices, key, ilen, NULL);
	if (im->n < MM_KEEP) {
		xgrow(&s->pool, &s->pool_cap, s->pool_len + m.n, 1);
		memcpy(s->pool + s->pool_len, m.p, m.n);
		im->off[im->n] = s->pool_len;
		im->len[im->n] = m.n;
		s->pool_len += m.n;
	}
	if (im->n < UINT32_MAX)
		im->n++;
}

static void
on_invoice(struct check_ctx *cx, const struct rule *r,
    const struct invoice *inv)
{
	struct state *s = check_state(cx);
	const void *parts[2] = {inv->firm, inv->number};
	size_t lens[2] = {strlen(inv->firm), strlen(inv->number)}, klen;
	const struct inv_matters *im;
	struct group_buf list = {{0}, 0};
	char key[1024];
	uint32_t i;

	if (!s->has_file || s->file != inv->file_index)
		return;
	klen = keymap_key(key, sizeof(key), parts, lens, 2);
	if (klen == 0)
		return;
	im = keymap_get(s->invoices, key, klen);
	if (im == NULL || im->n < 2)
		return;
	for (i = 0; i < im->n && i < MM_KEEP; i++)
		group_buf_add(&list, "%s%.*s", i > 0 ? ", " : "",
		    group_clip(s->pool + im->off[i], im->len[i], GROUP_ID_MAX),
		    s->pool + im->off[i]);
	if (im->n > MM_KEEP)
		group_buf_add(&list, " and %lu more",
		    (unsigned long)(im->n - MM_KEEP));
	check_emit_invoice(cx, r, inv, 0, "invoice %.*s bills %lu matters: %s",
	    group_clip(inv->number, lens[1], GROUP_ID_MAX), inv->number,
	    (unsigned long)im->n, list.s);
}

const struct check check_multi_matter = {
	.name = "multi_matter",
	.summary = "one invoice billing more than one matter",
	.state_new = state_new,
	.state_free = state_free,
	.on_line = on_line,
	.on_invoice = on_invoice,
};
