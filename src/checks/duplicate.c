/* duplicate.c - a fee or expense line that repeats an earlier line of the
 * same firm (by default: same timekeeper, date, units, amount and
 * description), in the same invoice or another, in any input. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "checks.h"
#include "decimal.h"
#include "group.h"
#include "history.h"
#include "keymap.h"
#include "xalloc.h"

enum { P_MATCH };

/* Bit i of a match set is match_names[i]. */
static const char *const match_names[] = {
	"timekeeper", "date", "units", "amount", "description", "type",
	"task_code", "expense_code", NULL,
};

enum {
	M_TIMEKEEPER = 1u << 0,
	M_DATE = 1u << 1,
	M_UNITS = 1u << 2,
	M_AMOUNT = 1u << 3,
	M_DESCRIPTION = 1u << 4,
	M_TYPE = 1u << 5,
	M_TASK = 1u << 6,
	M_EXPENSE = 1u << 7,
	M_DEFAULT = M_TIMEKEEPER | M_DATE | M_UNITS | M_AMOUNT | M_DESCRIPTION
};

#define NMATCH (sizeof(match_names) / sizeof(match_names[0]) - 1)

static const struct param_spec params[] = {
	{"match", PARAM_LIST, NULL, "what two lines share to be duplicates: "
	    "timekeeper, date, units, amount, description, type, task_code, "
	    "expense_code (default the first five; the firm always)",
	    match_names},
};

/* Where a fingerprint was first seen: 16 bytes.  With its 16-byte key,
 * the keymap's entry (24 bytes) and slot (4 to 8), a line costs about 64
 * bytes (up to twice that just after the arrays double), whatever the
 * length of its narrative. */
struct first {
	uint64_t row;
	uint32_t file;     /* file_index */
	uint32_t invoice;  /* index into state.inv */
};

struct inv_name {
	size_t off, len;   /* in state.pool */
};

struct state {
	keymap            *seen;      /* fingerprint -> struct first */
	keymap            *inv_ids;   /* invoice number -> uint32_t index */
	struct inv_name   *inv;       /* each invoice number once */
	size_t             ninv, inv_cap;
	char              *pool;
	size_t             pool_len, pool_cap;
	uint32_t           last_inv;  /* invoices are contiguous: a cache */
	bool               has_last;
	const struct param_value *match_pv; /* match_bits is for this value */
	unsigned           match_bits;
	struct group_files files;
};

static void *
state_new(const struct rule *r)
{
	struct state *s = xcalloc(1, sizeof(*s));

	(void)r;
	s->seen = keymap_new(sizeof(struct first));
	s->inv_ids = keymap_new(sizeof(uint32_t));
	return s;
}

static void
state_free(void *p)
{
	struct state *s = p;

	keymap_free(s->seen);
	keymap_free(s->inv_ids);
	free(s->inv);
	free(s->pool);
	group_files_fini(&s->files);
	free(s);
}

/* The match set of the rule at hand; a firm's override may change it, so
 * it is worked out again whenever the parameter value changes. */
static unsigned
match_bits(struct state *s, const struct rule *r)
{
	const struct param_value *pv = rule_param(r, P_MATCH);
	size_t i, j;

	if (pv == s->match_pv)
		return s->match_bits;
	s->match_pv = pv;
	s->match_bits = pv->set ? 0 : M_DEFAULT;
	for (i = 0; pv->set && i < pv->u.list.n; i++)
		for (j = 0; j < NMATCH; j++)
			if (strcmp(pv->u.list.v[i], match_names[j]) == 0)
				s->match_bits |= 1u << j;
	return s->match_bits;
}

/* ---- the fingerprint ---------------------------------------------- */

/* Two unrelated 64-bit hashes of the same bytes: a collision of both, and
 * so a false duplicate, takes about 2^64 lines. */
struct fp {
	uint64_t a, b;
};

static void
fp_byte(struct fp *f, unsigned char c)
{
	f->a = (f->a ^ c) * UINT64_C(0x100000001b3);
	f->b = (f->b + c + UINT64_C(0x9e3779b97f4a7c15)) *
	    UINT64_C(0xbf58476d1ce4e5b9);
	f->b ^= f->b >> 31;
}

static void
fp_u64(struct fp *f, uint64_t v)
{
	int i;

	for (i = 0; i < 8; i++)
		fp_byte(f, (unsigned char)(v >> (8 * i)));
}

/* A field is its tag, its bytes, then its length, so no two different
 * field lists feed the same bytes. */
static void
fp_text(struct fp *f, unsigned tag, struct text t, bool fold)
{
	size_t i;

	fp_byte(f, (unsigned char)tag);
	for (i = 0; i < t.n; i++) {
		unsigned char c = (unsigned char)t.p[i];

		if (fold && c >= 'A' && c <= 'Z')
			c = (unsigned char)(c - 'A' + 'a');
		fp_byte(f, c);
	}
	fp_u64(f, t.n);
}

static bool
is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
	    c == '\f';
}

static bool
is_punct(unsigned char c)
{
	return (c >= '!' && c <= '/') || (c >= ':' && c <= '@') ||
	    (c >= '[' && c <= '`') || (c >= '{' && c <= '~');
}

/* The narrative as people read it: ASCII case folded, runs of white space
 * as one space, and white space and punctuation trimmed from both ends,
 * so "Review  documents." repeats "review documents". */
static void
fp_description(struct fp *f, struct text t)
{
	const unsigned char *p = (const unsigned char *)t.p;
	size_t b = 0, e = t.n, i, n = 0;
	bool gap = false;

	while (b < e && (is_space(p[b]) || is_punct(p[b])))
		b++;
	while (e > b && (is_space(p[e - 1]) || is_punct(p[e - 1])))
		e--;
	fp_byte(f, M_DESCRIPTION);
	for (i = b; i < e; i++) {
		unsigned char c = p[i];

		if (is_space(c)) {
			gap = true;
			continue;
		}
		if (gap) {
			fp_byte(f, ' ');
			n++;
			gap = false;
		}
		if (c >= 'A' && c <= 'Z')
			c = (unsigned char)(c - 'A' + 'a');
		fp_byte(f, c);
		n++;
	}
	fp_u64(f, n);
}

static uint64_t
fmix64(uint64_t h)
{
	h ^= h >> 33;
	h *= UINT64_C(0xff51afd7ed558ccd);
	h ^= h >> 33;
	h *= UINT64_C(0xc4ceb9fe1a85ec53);
	h ^= h >> 33;
	return h;
}

static void
fingerprint(unsigned char key[16], const struct invoice_line *l,
    unsigned bits)
{
	struct fp f = {
		UINT64_C(0xcbf29ce484222325), UINT64_C(0x2545f4914f6cdd1d)
	};
	uint64_t a, b;
	int i;

	fp_text(&f, 0, l->field[F_LAW_FIRM_ID], false);
	if (bits & M_TIMEKEEPER)
		fp_text(&f, M_TIMEKEEPER, l->field[F_TIMEKEEPER_ID], false);
	if (bits & M_DATE) {
		fp_byte(&f, M_DATE);
		fp_u64(&f, (uint64_t)(int64_t)l->date);
	}
	if (bits & M_UNITS) {
		fp_byte(&f, M_UNITS);
		fp_u64(&f, (uint64_t)l->num[N_UNITS]);
	}
	if (bits & M_AMOUNT) {
		fp_byte(&f, M_AMOUNT);
		fp_u64(&f, (uint64_t)l->num[N_TOTAL]);
	}
	if (bits & M_DESCRIPTION)
		fp_description(&f, l->field[F_LINE_ITEM_DESCRIPTION]);
	if (bits & M_TYPE) {
		fp_byte(&f, M_TYPE);
		fp_byte(&f, (unsigned char)l->type);
	}
	if (bits & M_TASK)
		fp_text(&f, M_TASK, l->field[F_LINE_ITEM_TASK_CODE], true);
	if (bits & M_EXPENSE)
		fp_text(&f, M_EXPENSE, l->field[F_LINE_ITEM_EXPENSE_CODE],
		    true);
	a = fmix64(f.a);
	b = fmix64(f.b);
	for (i = 0; i < 8; i++) {
		key[i] = (unsigned char)(a >> (8 * i));
		key[8 + i] = (unsigned char)(b >> (8 * i));
	}
}

/* ---- invoice numbers, each kept once ------------------------------- */

static uint32_t
intern_invoice(struct state *s, struct text num)
{
	uint32_t *id;
	bool created;

	if (s->has_last && s->inv[s->last_inv].len == num.n &&
	    (num.n == 0 ||
	    memcmp(s->pool + s->inv[s->last_inv].off, num.p, num.n) == 0))
		return s->last_inv;
	id = keymap_put(s->inv_ids, num.p, num.n, &created);
	if (created) {
		xgrow(&s->inv, &s->inv_cap, s->ninv + 1, sizeof(*s->inv));
		xgrow(&s->pool, &s->pool_cap, s->pool_len + num.n + 1, 1);
		if (num.n > 0)
			memcpy(s->pool + s->pool_len, num.p, num.n);
		s->inv[s->ninv].off = s->pool_len;
		s->inv[s->ninv].len = num.n;
		s->pool_len += num.n;
		*id = (uint32_t)s->ninv++;
	}
	s->last_inv = *id;
	s->has_last = true;
	return *id;
}

/* ---- the check ---------------------------------------------------- */

/* "timekeeper, date and amount" for the fields of bits. */
static void
list_fields(struct group_buf *b, unsigned bits)
{
	size_t i, n = 0, k = 0;

	for (i = 0; i < NMATCH; i++)
		n += (bits >> i) & 1u;
	for (i = 0; i < NMATCH; i++) {
		if (!((bits >> i) & 1u))
			continue;
		group_buf_add(b, "%s%s", k == 0 ? "" : k + 1 == n ? " and " :
		    ", ", match_names[i]);
		k++;
	}
}

/* Text fields a match set compares must be columns of the input: blank
 * everywhere would make unrelated lines look the same. */
static bool
has_columns(struct check_ctx *cx, const struct rule *r,
    const struct invoice_line *l, unsigned bits)
{
	static const struct {
		unsigned      bit;
		enum field_id f;
	} cols[] = {
		{M_TIMEKEEPER, F_TIMEKEEPER_ID},
		{M_DESCRIPTION, F_LINE_ITEM_DESCRIPTION},
		{M_TASK, F_LINE_ITEM_TASK_CODE},
		{M_EXPENSE, F_LINE_ITEM_EXPENSE_CODE},
	};
	size_t i;

	for (i = 0; i < sizeof(cols) / sizeof(cols[0]); i++)
		if ((bits & cols[i].bit) && !l->has_column[cols[i].f]) {
			check_note(cx, r, "input has no %s column; duplicates "
			    "not checked", field_name(cols[i].f));
			return false;
		}
	return true;
}

/* The first line of a fingerprint in this run may repeat a line an
 * earlier run recorded (--history). */
static void
earlier_run(struct check_ctx *cx, const struct rule *r,
    const struct invoice_line *l, unsigned bits,
    const unsigned char key[16])
{
	const struct history *h = check_history(cx);
	struct group_buf same = {{0}, 0}, where = {{0}, 0};
	struct history_ref ref;

	if (h == NULL || !history_find_line(h, key, &ref))
		return;
	list_fields(&same, bits);
	group_buf_history(&where, &ref);
	check_emit_line(cx, r, l, l->num[N_TOTAL] > 0 ? l->num[N_TOTAL] : 0,
	    "repeats %s: same %s", where.s, same.s);
}

static void
on_line(struct check_ctx *cx, const struct rule *r,
    const struct invoice_line *l)
{
	struct state *s = check_state(cx);
	unsigned bits = match_bits(s, r);
	struct group_buf same = {{0}, 0}, where = {{0}, 0};
	unsigned char key[16];
	struct first *first;
	const struct inv_name *in;
	const char *file;
	bool created;

	if (l->type != LINE_FEE && l->type != LINE_EXPENSE)
		return;
	if (!has_columns(cx, r, l, bits))
		return;
	fingerprint(key, l, bits);
	check_history_fingerprint(cx, l, key);
	first = keymap_put(s->seen, key, sizeof(key), &created);
	if (created) {
		group_files_keep(&s->files, l->file_index, l->file);
		first->row = l->row;
		first->file = l->file_index;
		first->invoice = intern_invoice(s, l->field[F_INVOICE_NUMBER]);
		earlier_run(cx, r, l, bits, key);
		return;
	}
	in = &s->inv[first->invoice];
	list_fields(&same, bits);
	if (first->file == l->file_index) {
		group_buf_add(&where, "row %llu",
		    (unsigned long long)first->row);
	} else {
		file = group_files_name(&s->files, first->file);
		group_buf_add(&where, "row %llu of %.*s",
		    (unsigned long long)first->row,
		    group_clip(file, strlen(file), GROUP_FILE_MAX), file);
	}
	check_emit_line(cx, r, l, l->num[N_TOTAL] > 0 ? l->num[N_TOTAL] : 0,
	    "repeats %s (invoice %.*s): same %s", where.s,
	    group_clip(s->pool + in->off, in->len, GROUP_ID_MAX),
	    s->pool + in->off, same.s);
}

const struct check check_duplicate = {
	.name = "duplicate",
	.summary = "fee or expense line that repeats an earlier one (same "
		   "firm, timekeeper, date, units, amount, description), "
		   "within or across invoices and inputs",
	.params = params,
	.nparams = sizeof(params) / sizeof(params[0]),
	.state_new = state_new,
	.state_free = state_free,
	.on_line = on_line,
};
