/* purchase_order.c - invoices against a matter with a purchase order: the
 * PO number must be on the invoice and be the matter's, and spend on the PO
 * must stay within its amount. */
#include <stdlib.h>
#include <string.h>

#include "checks.h"
#include "decimal.h"
#include "group.h"
#include "history.h"
#include "keymap.h"
#include "xalloc.h"

#define KEY_PART 256

/* Spend on one PO: from earlier runs (--history), then in input order. */
struct po_spend {
	int64_t  spend;
	uint32_t hist;       /* what earlier runs spent on it (pool), or 0 */
};

struct state {
	keymap  *spend;      /* firm|po -> struct po_spend */
	struct group_pool earlier; /* history texts */
};

static void *
state_new(const struct rule *r)
{
	struct state *st = xcalloc(1, sizeof(*st));

	(void)r;
	st->spend = keymap_new(sizeof(struct po_spend));
	return st;
}

static void
state_free(void *p)
{
	struct state *st = p;

	keymap_free(st->spend);
	group_pool_fini(&st->earlier);
	free(st);
}

static int
clip(const char *s)
{
	size_t n = strlen(s);

	return (int)(n > 40 ? 40 : n);
}

/* A PO new to the run starts with what earlier runs recorded on the
 * firm's matters that share it (--history). */
static void
earlier_run(struct check_ctx *cx, struct state *st, struct po_spend *ps,
    const struct firm *f, const struct invoice *inv, const char *po)
{
	const struct history *h = check_history(cx);
	struct text firm = {inv->firm, strlen(inv->firm)};
	struct history_ref ref, last;
	struct group_buf b = {{0}, 0};
	unsigned long n, total_n = 0;
	int64_t sum;
	char a[32];
	size_t i;

	if (h == NULL)
		return;
	for (i = 0; i < f->nmatters; i++) {
		const struct matter *m = &f->matters[i];
		struct text id = {m->id, strlen(m->id)};

		if (m->po == NULL || strcmp(m->po, po) != 0)
			continue;
		sum = history_matter_billed(h, firm, id, &n, &ref);
		if (n == 0)
			continue;
		if (dec_add(&ps->spend, sum) < 0)
			ps->spend = sum > 0 ? INT64_MAX : INT64_MIN;
		if (total_n == 0 || ref.invoice_id > last.invoice_id)
			last = ref;
		total_n += n;
	}
	if (total_n == 0)
		return;
	group_buf_earlier(&b, dec_format(a, ps->spend, 2, true), total_n,
	    "last", &last);
	ps->hist = group_pool_add(&st->earlier, b.s);
}

/* Adds the invoice to its PO's spend and flags what goes beyond the PO
 * amount: all of it once the PO is used up, the excess on the invoice that
 * crosses it. */
static void
count_spend(struct check_ctx *cx, const struct rule *r,
    const struct invoice *inv, const struct firm *f, const struct matter *m)
{
	struct state *st = check_state(cx);
	const void *parts[2] = {inv->firm, m->po};
	size_t lens[2] = {strlen(inv->firm), strlen(m->po)}, klen;
	int64_t total, before, *spend;
	struct po_spend *ps;
	char key[2 * (4 + KEY_PART)], a[32], b[32];
	bool created;

	if (inv->has_stated_total)
		total = inv->stated_total;
	else if (!inv->overflow)
		total = inv->line_sum;
	else
		return;
	/* Ids past KEY_PART bytes are keyed on a prefix. */
	if (lens[0] > KEY_PART)
		lens[0] = KEY_PART;
	if (lens[1] > KEY_PART)
		lens[1] = KEY_PART;
	klen = keymap_key(key, sizeof(key), parts, lens, 2);
	ps = keymap_put(st->spend, key, klen, &created);
	if (created)
		earlier_run(cx, st, ps, f, inv, m->po);
	spend = &ps->spend;
	before = *spend;
	if (dec_add(spend, total) < 0)
		*spend = total > 0 ? INT64_MAX : INT64_MIN;
	if (total <= 0 || *spend <= m->po_amount)
		return;
	check_emit_invoice(cx, r, inv, *spend - (before > m->po_amount ?
	    before : m->po_amount), "spend on %.*s reaches %s with this "
	    "invoice, above the PO amount of %s%s", clip(m->po), m->po,
	    dec_format(a, *spend, 2, true),
	    dec_format(b, m->po_amount, 2, true),
	    group_pool_get(&st->earlier, ps->hist));
}

static void
on_invoice(struct check_ctx *cx, const struct rule *r,
    const struct invoice *inv)
{
	const struct firm *f = check_firm(cx);
	const struct matter *m;
	bool has_column = inv->has_column[F_PO_NUMBER];

	if (f == NULL) {
		check_note(cx, r, "firm '%.*s' is not listed in the rules, so "
		    "it has no POs", clip(inv->firm), inv->firm);
		return;
	}
	m = firm_matter(f, inv->matter, strlen(inv->matter));
	if (m == NULL || m->po == NULL) {
		check_note(cx, r, "matter '%.*s' of firm '%.*s' has no po in "
		    "the rules", clip(inv->matter), inv->matter,
		    clip(inv->firm), inv->firm);
		return;
	}
	if (inv->po[0] == '\0') {
		if (has_column)
			check_emit_invoice(cx, r, inv, 0, "invoice without a "
			    "PO number; matter %.*s is on %.*s",
			    clip(inv->matter), inv->matter, clip(m->po),
			    m->po);
		else
			check_note(cx, r, "input has no PO_NUMBER column; "
			    "missing PO numbers are not checked");
	} else if (strcmp(inv->po, m->po) != 0) {
		check_emit_invoice(cx, r, inv, 0, "PO %.*s is not the "
		    "matter's PO %.*s", clip(inv->po), inv->po, clip(m->po),
		    m->po);
	}
	if (m->has_po_amount)
		count_spend(cx, r, inv, f, m);
}

const struct check check_purchase_order = {
	.name = "purchase_order",
	.summary = "invoice without the matter's PO number, or spend on the "
		   "PO beyond its amount",
	.state_new = state_new,
	.state_free = state_free,
	.on_invoice = on_invoice,
};
