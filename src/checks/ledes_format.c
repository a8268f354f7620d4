/* ledes_format.c - LEDES conformance: what the reader noticed on a line,
 * invoice-level fields that change within an invoice, and repeated
 * LINE_ITEM_NUMBERs. */
#include <stdlib.h>
#include <string.h>

#include "checks.h"
#include "keymap.h"
#include "xalloc.h"

/* Fields that describe the invoice, so every line must repeat them. */
static const enum field_id invoice_fields[] = {
	F_INVOICE_DATE, F_INVOICE_TOTAL, F_BILLING_START_DATE,
	F_BILLING_END_DATE, F_INVOICE_DESCRIPTION, F_INVOICE_TAX_TOTAL,
	F_INVOICE_NET_TOTAL, F_INVOICE_CURRENCY,
};
#define NINVF (sizeof(invoice_fields) / sizeof(invoice_fields[0]))

struct first_line {
	unsigned long row;
	size_t        off[NINVF]; /* into state.pool */
	size_t        len[NINVF];
};

struct state {
	keymap *invoices;   /* invoice key -> struct first_line */
	keymap *numbers;    /* LINE_ITEM_NUMBER -> row, current invoice only */
	char   *current;    /* key of the invoice `numbers` belongs to */
	size_t  current_len;
	char   *pool;       /* the first lines' invoice-level values */
	size_t  pool_len, pool_cap;
};

static void *
state_new(const struct rule *r)
{
	struct state *s = xcalloc(1, sizeof(*s));

	(void)r;
	s->invoices = keymap_new(sizeof(struct first_line));
	s->numbers = keymap_new(sizeof(unsigned long));
	return s;
}

static void
state_free(void *p)
{
	struct state *s = p;

	keymap_free(s->invoices);
	keymap_free(s->numbers);
	free(s->current);
	free(s->pool);
	free(s);
}

static size_t
pool_add(struct state *s, struct text t)
{
	size_t off = s->pool_len;

	xgrow(&s->pool, &s->pool_cap, s->pool_len + t.n + 1, 1);
	if (t.n > 0)
		memcpy(s->pool + off, t.p, t.n);
	s->pool_len += t.n;
	return off;
}

static int
clip(size_t n)
{
	return (int)(n > 40 ? 40 : n);
}

static void
check_invoice_fields(struct check_ctx *cx, const struct rule *r,
    struct state *s, const struct invoice_line *l, const char *key,
    size_t klen)
{
	bool created;
	struct first_line *fl = keymap_put(s->invoices, key, klen, &created);
	size_t i;

	if (created) {
		fl->row = l->row;
		for (i = 0; i < NINVF; i++) {
			fl->off[i] = pool_add(s, l->field[invoice_fields[i]]);
			fl->len[i] = l->field[invoice_fields[i]].n;
		}
		return;
	}
	for (i = 0; i < NINVF; i++) {
		struct text now = l->field[invoice_fields[i]];
		struct text was = {s->pool + fl->off[i], fl->len[i]};

		if (!l->has_column[invoice_fields[i]] || text_eq_text(now, was))
			continue;
		check_emit_line(cx, r, l, 0,
		    "%s '%.*s' differs from '%.*s' on the invoice's first "
		    "line (row %lu)", field_name(invoice_fields[i]),
		    clip(now.n), now.p, clip(was.n), was.p, fl->row);
	}
}

static void
check_line_number(struct check_ctx *cx, const struct rule *r,
    struct state *s, const struct invoice_line *l, const char *key,
    size_t klen)
{
	struct text num = l->field[F_LINE_ITEM_NUMBER];
	unsigned long *row;
	bool created;

	/* Invoices are contiguous in real files; remembering only the
	 * current one keeps memory flat on huge files. */
	if (s->current == NULL || s->current_len != klen ||
	    memcmp(s->current, key, klen) != 0) {
		free(s->current);
		s->current = xstrndup(key, klen);
		s->current_len = klen;
		keymap_clear(s->numbers);
	}
	if (num.n == 0)
		return;
	row = keymap_put(s->numbers, num.p, num.n, &created);
	if (created) {
		*row = l->row;
		return;
	}
	check_emit_line(cx, r, l, 0,
	    "LINE_ITEM_NUMBER %.*s repeats the line at row %lu of invoice "
	    "%.*s", clip(num.n), num.p, *row,
	    clip(l->field[F_INVOICE_NUMBER].n), l->field[F_INVOICE_NUMBER].p);
}

static void
on_line(struct check_ctx *cx, const struct rule *r,
    const struct invoice_line *l)
{
	struct state *s = check_state(cx);
	const void *parts[3];
	size_t lens[3], klen, i;
	char key[512];
	unsigned idx = l->file_index;

	if (l->format == FMT_CSV)
		return;
	for (i = 0; i < l->nlints; i++)
		check_emit_line(cx, r, l, 0, "%s", l->lints[i].msg);
	parts[0] = &idx;
	lens[0] = sizeof(idx);
	parts[1] = l->field[F_LAW_FIRM_ID].p;
	lens[1] = l->field[F_LAW_FIRM_ID].n;
	parts[2] = l->field[F_INVOICE_NUMBER].p;
	lens[2] = l->field[F_INVOICE_NUMBER].n;
	klen = keymap_key(key, sizeof(key), parts, lens, 3);
	if (klen == 0)
		return;
	check_invoice_fields(cx, r, s, l, key, klen);
	check_line_number(cx, r, s, l, key, klen);
}

const struct check check_ledes_format = {
	.name = "ledes_format",
	.summary = "non-conformant LEDES: field count, dates, number "
		   "characters, blank required fields, line types, invoice "
		   "fields that vary, repeated line numbers",
	.state_new = state_new,
	.state_free = state_free,
	.on_line = on_line,
};
