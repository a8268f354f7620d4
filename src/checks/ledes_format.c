/* ledes_format.c - LEDES conformance: what the reader noticed on a line,
 * invoice-level fields that change within an invoice, and repeated
 * LINE_ITEM_NUMBERs. */
#include <stdlib.h>
#include <string.h>

#include "checks.h"
#include "keymap.h"
#include "xalloc.h"

/* Fields that describe the invoice, so every line must repeat them.  The
 * first NHEADF come before LINE_ITEM_NUMBER, where invoice_line.head_id
 * vouches for them. */
static const enum field_id invoice_fields[] = {
	F_INVOICE_DATE, F_INVOICE_TOTAL, F_BILLING_START_DATE,
	F_BILLING_END_DATE, F_INVOICE_DESCRIPTION, F_INVOICE_TAX_TOTAL,
	F_INVOICE_NET_TOTAL, F_INVOICE_CURRENCY,
};
#define NINVF  (sizeof(invoice_fields) / sizeof(invoice_fields[0]))
#define NHEADF 5

#define KEY_MAX 512 /* bytes of an invoice key; longer ids are not checked */

struct first_line {
	unsigned long row;
	size_t        off[NINVF]; /* into state.pool */
	size_t        len[NINVF];
};

/* LINE_ITEM_NUMBERs "1" to "9999" (no leading zero) are marked in an
 * array rather than the map: the usual numbering is cheap to track. */
#define SMALL_DIGITS 4

struct small_number {
	unsigned      gen;  /* state.gen when seen in the current invoice */
	unsigned long row;
};

struct state {
	keymap *invoices;   /* invoice key -> struct first_line */
	keymap *numbers;    /* LINE_ITEM_NUMBER -> row, current invoice only,
	                       for those not in `small` */
	struct small_number *small; /* by number, current invoice if gen */
	size_t  nsmall;
	unsigned gen;       /* the current invoice's mark in `small` */
	/* The current invoice: lines of one invoice come together, so its
	 * key and first line are looked up once, not once a line. */
	bool    have_current;
	unsigned current_file;
	struct text_copy current_firm, current_number;
	struct first_line *current_fl; /* valid until the next put */
	/* A head_id of the current invoice whose fields before NHEADF were
	 * found equal to its first line's (0 = none). */
	unsigned long same_head;
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
	free(s->small);
	free(s->current_firm.p);
	free(s->current_number.p);
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
    struct state *s, const struct invoice_line *l,
    const struct first_line *fl)
{
	size_t i = 0;
	bool differs = false;

	/* The head's bytes were compared on an earlier line already. */
	if (l->head_id != 0 && l->head_id == s->same_head)
		i = NHEADF;
	for (; i < NINVF; i++) {
		enum field_id f = invoice_fields[i];
		struct text now = l->field[f];

		if (!l->has_column[f] ||
		    text_eq_text(now, (struct text){s->pool + fl->off[i], fl->len[i]}))
			continue;
		if (i < NHEADF)
			differs = true;
		check_emit_line(cx, r, l, 0,
		    "%s '%.*s' differs from '%.*s' on the invoice's first "
		    "line (row %lu)", field_name(f), clip(now.n), now.p,
		    clip(fl->len[i]), s->pool + fl->off[i], fl->row);
	}
	if (!differs)
		s->same_head = l->head_id;
}

/* Makes l's invoice the current one.  Returns its first line, or NULL
 * when l is that first line (recorded now). */
static struct first_line *
open_invoice(struct state *s, const struct invoice_line *l)
{
	const void *parts[3];
	size_t lens[3], klen, i;
	char key[KEY_MAX];
	unsigned idx = l->file_index;
	struct first_line *fl;
	bool created;

	parts[0] = &idx;
	lens[0] = sizeof(idx);
	parts[1] = l->field[F_LAW_FIRM_ID].p;
	lens[1] = l->field[F_LAW_FIRM_ID].n;
	parts[2] = l->field[F_INVOICE_NUMBER].p;
	lens[2] = l->field[F_INVOICE_NUMBER].n;
	klen = keymap_key(key, sizeof(key), parts, lens, 3);
	fl = keymap_put(s->invoices, key, klen, &created);
	s->have_current = true;
	s->current_file = l->file_index;
	text_copy_set(&s->current_firm, l->field[F_LAW_FIRM_ID]);
	text_copy_set(&s->current_number, l->field[F_INVOICE_NUMBER]);
	s->current_fl = fl;
	s->same_head = 0;
	/* A new invoice numbers its lines afresh. */
	keymap_clear(s->numbers);
	if (++s->gen == 0) {
		for (i = 0; i < s->nsmall; i++)
			s->small[i].gen = 0;
		s->gen = 1;
	}
	if (!created)
		return fl;
	/* The first line is what the others are compared with. */
	s->same_head = l->head_id;
	fl->row = l->row;
	for (i = 0; i < NINVF; i++) {
		fl->off[i] = pool_add(s, l->field[invoice_fields[i]]);
		fl->len[i] = l->field[invoice_fields[i]].n;
	}
	return NULL;
}

/* The row remembered for LINE_ITEM_NUMBER num in the current invoice;
 * *created when it is new (and the row is then to be set). */
static unsigned long *
number_row(struct state *s, struct text num, bool *created)
{
	size_t v = 0, i;

	if (num.n <= SMALL_DIGITS && num.p[0] != '0') {
		for (i = 0; i < num.n; i++) {
			unsigned d = (unsigned)(unsigned char)num.p[i] - '0';

			if (d > 9)
				break;
			v = v * 10 + d;
		}
		if (i == num.n) {
			if (v >= s->nsmall) {
				size_t old = s->nsmall;

				xgrow(&s->small, &s->nsmall, v + 1,
				    sizeof(s->small[0]));
				memset(s->small + old, 0, (s->nsmall - old) *
				    sizeof(s->small[0]));
			}
			*created = s->small[v].gen != s->gen;
			s->small[v].gen = s->gen;
			return &s->small[v].row;
		}
	}
	return keymap_put(s->numbers, num.p, num.n, created);
}

static void
check_line_number(struct check_ctx *cx, const struct rule *r,
    struct state *s, const struct invoice_line *l)
{
	struct text num = l->field[F_LINE_ITEM_NUMBER];
	unsigned long *row;
	bool created;

	if (num.n == 0)
		return;
	row = number_row(s, num, &created);
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
	struct text firm = l->field[F_LAW_FIRM_ID];
	struct text number = l->field[F_INVOICE_NUMBER];
	struct first_line *fl;
	struct state *s;
	size_t i;

	if (l->format == FMT_CSV)
		return;
	s = check_state(cx);
	for (i = 0; i < l->nlints; i++)
		check_emit_line(cx, r, l, 0, "%s", l->lints[i].msg);
	/* The invoice key (file, firm, number) with its length prefixes
	 * must fit in KEY_MAX bytes. */
	if (4 * 3 + sizeof(unsigned) + firm.n + number.n > KEY_MAX)
		return;
	if (s->have_current && s->current_file == l->file_index &&
	    text_copy_eq(&s->current_number, number) && text_copy_eq(&s->current_firm, firm))
		fl = s->current_fl;
	else
		fl = open_invoice(s, l);
	if (fl != NULL)
		check_invoice_fields(cx, r, s, l, fl);
	check_line_number(cx, r, s, l);
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
