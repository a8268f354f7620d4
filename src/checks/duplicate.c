/* duplicate.c - a fee or expense line that repeats an earlier line of the
 * same firm (by default: same timekeeper, date, units, amount and
 * description), in the same invoice or another, in any input. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "bytes.h"
#include "checks.h"
#include "date.h"
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

/* A fingerprint seen in the run, where it was first seen: 24 bytes, kept
 * in the table itself, so a lookup reads one cache line (two when its
 * probe crosses one).  A table doubles past 3/4 full, so a distinct line
 * costs 32 to 64 bytes (48 on average), whatever the length of its
 * narrative. */
struct seen {
	uint64_t a, b;  /* the fingerprint; both 0 marks an empty slot */
	uint32_t row;   /* of the first line; ROW_FAR: see state.far */
	uint32_t inv;   /* of the first line: index into state.refs */
};

/*
 * The fingerprints of one date (of lines whose match set has the date;
 * one more table for the others).  The lines of an invoice span a month,
 * so they probe a few small tables that stay in the cache, where one
 * table of the whole run's lines (100 MB at 1 GB of input) cost a miss
 * to memory a line; and a table doubles without the pause of copying
 * every other date's.  An empty date costs its 16 bytes here.
 */
struct shard {
	struct seen *v;       /* open addressing, linear probing */
	uint32_t     n, cap;  /* cap: a power of two, or 0 */
};

#define SHARD_MIN 16

/*
 * Where the tables live.  Thousands of tables doubling one by one would
 * each take fresh pages from malloc and give back the old ones, a page
 * fault every 4 KB; so a table comes from big zeroed chunks (which
 * xcalloc asks huge pages for), and the one it outgrew waits, on a list
 * of its size, for the next table to grow to that size.  Only a table
 * bigger than TABLE_MAX_POOLED bytes (a date of 40,000 lines) is
 * allocated on its own.  Chunks start at 1 MB and double up to 8 MB, so
 * a small run stays small.
 */
#define POOL_CHUNK_MIN   ((size_t)1 << 20)
#define POOL_CHUNK_MAX   ((size_t)8 << 20)
#define TABLE_MAX_POOLED ((size_t)1 << 20)

struct table_pool {
	char   **chunks;
	size_t   nchunks, chunks_cap;
	char    *next;    /* unused bytes of the last chunk */
	size_t   left;
	void    *spare[32]; /* by log2 of the slot count: tables let go */
	struct seen **big;  /* tables allocated on their own, in use */
	size_t   nbig, big_cap;
};

static void table_pool_fini(struct table_pool *p);

/* A row that does not fit 32 bits is kept in state.far instead. */
#define ROW_FAR UINT32_MAX

/* An invoice of one input: its file and number. */
struct inv_ref {
	uint32_t file;  /* file_index */
	uint32_t name;  /* index into state.names */
};

struct inv_name {
	size_t off, len;   /* in state.pool */
};

struct state {
	struct group_dates shards;    /* struct shard by date */
	struct table_pool  tables;
	keymap            *far;       /* fingerprint -> uint64_t row */
	keymap            *ref_ids;   /* struct inv_ref -> uint32_t index */
	struct inv_ref    *refs;      /* each invoice of each input once */
	size_t             nrefs, refs_cap;
	keymap            *name_ids;  /* invoice number -> uint32_t index */
	struct inv_name   *names;     /* each invoice number once */
	size_t             nnames, names_cap;
	char              *pool;
	size_t             pool_len, pool_cap;
	uint32_t           last_ref;  /* invoices are contiguous: a cache */
	bool               has_last;
	const struct param_value *match_pv; /* match_bits is for this value */
	unsigned           match_bits;
	struct group_files files;
	/* The fingerprint is worked out ahead (check_ahead), with the
	 * rule's own match set and the version the run keys on. */
	size_t             ahead;
	unsigned           ahead_bits;
	bool               ahead_v1;
};

/* A line's fingerprint, worked out ahead. */
struct dup_ahead {
	uint64_t fp[2];
	unsigned bits; /* the match set it is for */
	bool     set;  /* false: not a fee or expense line */
};

static unsigned bits_of(const struct param_value *pv);
static void fingerprint_v1(uint64_t fp[2], const struct invoice_line *l,
    unsigned bits);
static void fingerprint_v2(uint64_t fp[2], const struct invoice_line *l,
    unsigned bits, bool simd);

static void
ahead_run(void *arg, const struct invoice_line *l, void *out)
{
	const struct state *s = arg;
	struct dup_ahead *a = out;

	a->set = l->type == LINE_FEE || l->type == LINE_EXPENSE;
	if (!a->set)
		return;
	a->bits = s->ahead_bits;
	if (s->ahead_v1)
		fingerprint_v1(a->fp, l, a->bits);
	else
		fingerprint_v2(a->fp, l, a->bits, true);
}

/* The date whose table holds line l's fingerprint with match set bits:
 * its own, when the match set has it. */
static int32_t
shard_date(const struct invoice_line *l, unsigned bits)
{
	return bits & M_DATE ? l->date : DATE_NONE;
}

/* The table slot the line will probe: a miss, once the table outgrows
 * the cache, that can be under way while earlier lines are checked. */
static void
ahead_soon(const void *arg, const struct invoice_line *l, const void *out)
{
	const struct state *s = arg;
	const struct dup_ahead *a = out;
	const struct shard *sh;

	if (!a->set)
		return;
	sh = group_dates_get(&s->shards, sizeof(*sh), shard_date(l, a->bits));
	if (sh != NULL && sh->cap > 0)
		__builtin_prefetch(&sh->v[a->fp[0] & (sh->cap - 1)]);
}

static const struct check_ahead fingerprint_ahead = {
	.size = sizeof(struct dup_ahead), .run = ahead_run, .soon = ahead_soon
};

static void *
state_new(struct check_ctx *cx, const struct rule *r)
{
	struct state *s = xcalloc(1, sizeof(*s));

	s->ahead_bits = bits_of(rule_param(r, P_MATCH));
	s->ahead_v1 = check_history(cx) != NULL;
	s->ahead = check_ahead_add(cx, &fingerprint_ahead, s);
	s->far = keymap_new(sizeof(uint64_t));
	s->ref_ids = keymap_new(sizeof(uint32_t));
	s->name_ids = keymap_new(sizeof(uint32_t));
	return s;
}

static void
state_free(void *p)
{
	struct state *s = p;

	group_dates_fini(&s->shards);
	table_pool_fini(&s->tables);
	keymap_free(s->far);
	keymap_free(s->ref_ids);
	keymap_free(s->name_ids);
	free(s->refs);
	free(s->names);
	free(s->pool);
	group_files_fini(&s->files);
	free(s);
}

/* The match set of the rule at hand; a firm's override may change it, so
 * it is worked out again whenever the parameter value changes. */
static unsigned
bits_of(const struct param_value *pv)
{
	unsigned bits = pv->set ? 0 : M_DEFAULT;
	size_t i, j;

	for (i = 0; pv->set && i < pv->u.list.n; i++)
		for (j = 0; j < NMATCH; j++)
			if (strcmp(pv->u.list.v[i], match_names[j]) == 0)
				bits |= 1u << j;
	return bits;
}

static unsigned
match_bits(struct state *s, const struct rule *r)
{
	const struct param_value *pv = rule_param(r, P_MATCH);

	if (pv != s->match_pv) {
		s->match_pv = pv;
		s->match_bits = bits_of(pv);
	}
	return s->match_bits;
}

static bool
is_space(unsigned char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

static bool
is_punct(unsigned char c)
{
	return (c >= '!' && c <= '/') || (c >= ':' && c <= '@') ||
	    (c >= '[' && c <= '`') || (c >= '{' && c <= '~');
}

static unsigned char
fold(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c - 'A' + 'a') : c;
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

/* ---- the fingerprint, version 1: what --history files hold ---------- */

/* Two unrelated 64-bit hashes of the same bytes, fed a byte at a time.
 * Slow, but history files recorded by earlier versions hold these, so a
 * run with --history keys on them; changing them would need a new
 * history schema version. */
struct fp1 {
	uint64_t a, b;
};

static void
fp_byte(struct fp1 *f, unsigned char c)
{
	f->a = (f->a ^ c) * UINT64_C(0x100000001b3);
	f->b = (f->b + c + UINT64_C(0x9e3779b97f4a7c15)) *
	    UINT64_C(0xbf58476d1ce4e5b9);
	f->b ^= f->b >> 31;
}

static void
fp_u64(struct fp1 *f, uint64_t v)
{
	int i;

	for (i = 0; i < 8; i++)
		fp_byte(f, (unsigned char)(v >> (8 * i)));
}

/* A field is its tag, its bytes, then its length, so no two different
 * field lists feed the same bytes. */
static void
fp_text(struct fp1 *f, unsigned tag, struct text t, bool fold_case)
{
	size_t i;

	fp_byte(f, (unsigned char)tag);
	for (i = 0; i < t.n; i++)
		fp_byte(f, fold_case ? fold((unsigned char)t.p[i]) :
		    (unsigned char)t.p[i]);
	fp_u64(f, t.n);
}

/* The narrative as people read it: ASCII case folded, runs of white space
 * as one space, and white space and punctuation trimmed from both ends,
 * so "Review  documents." repeats "review documents". */
static void
fp_description(struct fp1 *f, struct text t)
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
		fp_byte(f, fold(c));
		n++;
	}
	fp_u64(f, n);
}

static void
fingerprint_v1(uint64_t fp[2], const struct invoice_line *l, unsigned bits)
{
	struct fp1 f = {
		UINT64_C(0xcbf29ce484222325), UINT64_C(0x2545f4914f6cdd1d)
	};

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
	fp[0] = fmix64(f.a);
	fp[1] = fmix64(f.b);
}

/* ---- the fingerprint, version 2: what a run keys on ----------------- */

/* The same fields, normalised the same way, so the same lines match; but
 * hashed 16 bytes a step with MurmurHash3's x64 128-bit function, started
 * from the units and amount, over one byte string: a 16-byte header (the
 * date, match set, type, and the lengths of the firm, timekeeper, task
 * and expense code), those four texts, then the normalised narrative,
 * whose length is what is left.  No two field lists give the same start
 * and string, and a false duplicate takes about 2^64 distinct lines. */

#define FP_BUF  256  /* bytes staged before hashing; a multiple of 16 */
#define FP_STEP 128  /* text bytes staged at a time; <= FP_BUF - 15 */

struct fp2 {
	uint64_t      h1, h2;
	uint64_t      hashed;          /* bytes hashed so far */
	size_t        n;               /* bytes staged in buf */
	unsigned char buf[FP_BUF + 16]; /* + room to pad the tail */
};

#define ONES  UINT64_C(0x0101010101010101)
#define HIGHS UINT64_C(0x8080808080808080)
#define MM_C1 UINT64_C(0x87c37b91114253d5)
#define MM_C2 UINT64_C(0x4cf5ad432745937f)

static uint64_t
rotl64(uint64_t x, int r)
{
	return (x << r) | (x >> (64 - r));
}

static void
fp2_blocks(struct fp2 *f, const unsigned char *p, size_t nblocks)
{
	uint64_t h1 = f->h1, h2 = f->h2, k1, k2;
	size_t i;

	for (i = 0; i < nblocks; i++, p += 16) {
		k1 = bytes_load_le64(p) * MM_C1;
		k1 = rotl64(k1, 31) * MM_C2;
		h1 ^= k1;
		h1 = rotl64(h1, 27) + h2;
		h1 = h1 * 5 + 0x52dce729;
		k2 = bytes_load_le64(p + 8) * MM_C2;
		k2 = rotl64(k2, 33) * MM_C1;
		h2 ^= k2;
		h2 = rotl64(h2, 31) + h1;
		h2 = h2 * 5 + 0x38495ab5;
	}
	f->h1 = h1;
	f->h2 = h2;
	f->hashed += nblocks * 16;
}

/* Room for k more staged bytes (k <= FP_STEP): hashes the whole blocks
 * staged when the buffer would overflow. */
static unsigned char *
fp2_room(struct fp2 *f, size_t k)
{
	if (f->n + k > FP_BUF) {
		size_t whole = f->n & ~(size_t)15;

		fp2_blocks(f, f->buf, whole / 16);
		memmove(f->buf, f->buf + whole, f->n - whole);
		f->n -= whole;
	}
	return f->buf + f->n;
}

/* Stages t, case folded or not. */
static void
fp2_text_long(struct fp2 *f, struct text t, bool fold_case)
{
	const unsigned char *p = (const unsigned char *)t.p;
	size_t left = t.n, k, i;
	unsigned char *o;

	for (; left > 0; p += k, left -= k) {
		k = left < FP_STEP ? left : FP_STEP;
		o = fp2_room(f, k);
		if (fold_case)
			for (i = 0; i < k; i++)
				o[i] = fold(p[i]);
		else
			memcpy(o, p, k);
		f->n += k;
	}
}

/* Stages an id as it is: most are short, and take two overlapping words
 * and no call. */
static inline void
fp2_id(struct fp2 *f, struct text t)
{
	const unsigned char *p = (const unsigned char *)t.p;
	size_t n = t.n;
	unsigned char *o;

	if (n > 16 || f->n + 16 > FP_BUF) {
		fp2_text_long(f, t, false);
		return;
	}
	o = f->buf + f->n;
	if (n >= 8) {
		memcpy(o, p, 8);
		memcpy(o + n - 8, p + n - 8, 8);
	} else if (n >= 4) {
		memcpy(o, p, 4);
		memcpy(o + n - 4, p + n - 4, 4);
	} else if (n > 0) {
		o[0] = p[0];
		o[n / 2] = p[n / 2];
		o[n - 1] = p[n - 1];
	}
	f->n += n;
}

/* The normal form of p[0..n) at o, a byte at a time; *run says the byte
 * before was white space (whose one space is written already). */
static unsigned char *
norm_bytes(unsigned char *o, const unsigned char *p, size_t n, bool *run)
{
	bool r = *run;
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = p[i];

		if (is_space(c)) {
			if (!r)
				*o++ = ' ';
			r = true;
		} else {
			*o++ = fold(c);
			r = false;
		}
	}
	*run = r;
	return o;
}

/* The normal form of p[0..n) at o, 8 bytes a step where they are plain
 * ASCII with no run of spaces: then folding case is adding 0x20 to the
 * bytes in 'A'..'Z', found with carry-free byte arithmetic.  Anything
 * else (tabs, runs, UTF-8) goes a byte at a time.  A run's space is
 * written at its first byte; since the text is trimmed, that is the same
 * string as version 1's space before the next word. */
static unsigned char *
norm_words(unsigned char *o, const unsigned char *p, size_t n, bool *run)
{
	bool r = *run;

	for (; n >= 8; n -= 8, p += 8) {
		uint64_t x = bytes_load_le64(p), bad, sp, up;

		/* Bytes below ' ' or above 0x7f. */
		bad = (~(x + ONES * 0x60) | x) & HIGHS;
		/* With none of those, bytes that are ' '. */
		sp = ~(x + ONES * 0x5f) & HIGHS;
		bad |= sp & (sp << 8);
		if (bad != 0 || (r && p[0] == ' ')) {
			o = norm_bytes(o, p, 8, &r);
			continue;
		}
		up = (x + ONES * 0x3f) & ~(x + ONES * 0x25) & HIGHS;
		x |= up >> 2;
		memcpy(o, &x, sizeof(x));
		o += 8;
		r = p[7] == ' ';
	}
	*run = r;
	return norm_bytes(o, p, n, run);
}

#if defined(__SSE2__)
/* v with 'A'..'Z' folded: one signed compare finds them once shifted to
 * the bottom of the signed range. */
static __m128i
fold16(__m128i v)
{
	__m128i t = _mm_add_epi8(v, _mm_set1_epi8(0x80 - 'A'));
	__m128i up = _mm_cmpgt_epi8(_mm_set1_epi8(-128 + 26), t);

	return _mm_or_si128(v, _mm_and_si128(up, _mm_set1_epi8(0x20)));
}

/* Bit i: byte i of v is below ' ' or above 0x7f (signed, negative). */
static unsigned
odd16(__m128i v)
{
	return (unsigned)_mm_movemask_epi8(_mm_cmpgt_epi8(_mm_set1_epi8(' '),
	    v));
}

/* Bit i: byte i of v is ' '. */
static unsigned
spaces16(__m128i v)
{
	return (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v,
	    _mm_set1_epi8(' ')));
}

/* norm_words, 16 bytes a step with SSE2 (every x86-64 has it). */
static unsigned char *
norm_simd(unsigned char *o, const unsigned char *p, size_t n, bool *run)
{
	const unsigned char *p0 = p, *end = p + n;
	unsigned char *o0 = o;
	unsigned r = *run, sp;
	__m128i v;

	for (; end - p >= 16; p += 16) {
		v = _mm_loadu_si128((const __m128i *)(const void *)p);
		sp = spaces16(v);
		if ((odd16(v) | (sp & (sp >> 1)) | (r & sp)) != 0) {
			bool b = r != 0;

			o = norm_words(o, p, 16, &b);
			r = b;
			continue;
		}
		_mm_storeu_si128((__m128i *)(void *)o, fold16(v));
		o += 16;
		r = sp >> 15;
	}
	n = (size_t)(end - p);
	if (n > 0 && (size_t)(p - p0) >= 16 - n &&
	    (size_t)(o - o0) == (size_t)(p - p0)) {
		/* The last n bytes, as the end of a window over bytes done
		 * already: while the output is the input folded byte for
		 * byte, the window's first 16 - n bytes come out as they
		 * are, and its spaces show a run across the edge. */
		v = _mm_loadu_si128((const __m128i *)(const void *)(end - 16));
		sp = spaces16(v);
		if ((odd16(v) | (sp & (sp >> 1))) == 0) {
			_mm_storeu_si128((__m128i *)(void *)(o + n - 16),
			    fold16(v));
			*run = sp >> 15;
			return o + n;
		}
	}
	*run = r != 0;
	return norm_words(o, p, n, run);
}
#endif

/* Stages the narrative as people read it (see fp_description); simd
 * false takes the portable way, for tests. */
static void
fp2_description(struct fp2 *f, struct text t, bool simd)
{
	const unsigned char *p = (const unsigned char *)t.p;
	size_t b = 0, e = t.n, k;
	unsigned char *o;
	bool run = false;

	while (b < e && (is_space(p[b]) || is_punct(p[b])))
		b++;
	while (e > b && (is_space(p[e - 1]) || is_punct(p[e - 1])))
		e--;
	for (; b < e; b += k) {
		k = e - b < FP_STEP ? e - b : FP_STEP;
		o = fp2_room(f, k);
#if defined(__SSE2__)
		if (simd)
			f->n += (size_t)(norm_simd(o, p + b, k, &run) - o);
		else
#endif
			f->n += (size_t)(norm_words(o, p + b, k, &run) - o);
	}
	(void)simd;
}

static void
fp2_final(struct fp2 *f, uint64_t fp[2])
{
	size_t whole = f->n & ~(size_t)15, rest = f->n - whole;
	uint64_t h1, h2, k1, k2, len;

	fp2_blocks(f, f->buf, whole / 16);
	len = f->hashed + rest;
	memset(f->buf + f->n, 0, 16);
	k1 = bytes_load_le64(f->buf + whole);
	k2 = bytes_load_le64(f->buf + whole + 8);
	h1 = f->h1;
	h2 = f->h2;
	if (rest > 8)
		h2 ^= rotl64(k2 * MM_C2, 33) * MM_C1;
	if (rest > 0)
		h1 ^= rotl64(k1 * MM_C1, 31) * MM_C2;
	h1 ^= len;
	h2 ^= len;
	h1 += h2;
	h2 += h1;
	h1 = fmix64(h1);
	h2 = fmix64(h2);
	h1 += h2;
	h2 += h1;
	fp[0] = h1;
	fp[1] = h2;
}

static void
fingerprint_v2(uint64_t fp[2], const struct invoice_line *l, unsigned bits,
    bool simd)
{
	static const struct text none = {"", 0};
	struct text firm = l->field[F_LAW_FIRM_ID];
	struct text tk = bits & M_TIMEKEEPER ? l->field[F_TIMEKEEPER_ID] : none;
	struct text task = bits & M_TASK ? l->field[F_LINE_ITEM_TASK_CODE] :
	    none;
	struct text exp = bits & M_EXPENSE ?
	    l->field[F_LINE_ITEM_EXPENSE_CODE] : none;
	uint64_t hd[2];
	struct fp2 f;

	if ((firm.n | tk.n | task.n | exp.n) > UINT16_MAX) {
		/* A 64 KiB id: the header cannot say its length. */
		fingerprint_v1(fp, l, bits);
		return;
	}
	/* Units and amount are the hash's starting state: the same as a
	 * first block of them, for nothing. */
	f.h1 = bits & M_UNITS ? (uint64_t)l->num[N_UNITS] : 0;
	f.h2 = bits & M_AMOUNT ? (uint64_t)l->num[N_TOTAL] : 0;
	hd[0] = (bits & M_DATE ? (uint64_t)(uint32_t)l->date : 0) |
	    (uint64_t)(bits & 0xff) << 32 |
	    (bits & M_TYPE ? (uint64_t)(l->type & 0xff) << 40 : 0);
	hd[1] = (uint64_t)firm.n | (uint64_t)tk.n << 16 |
	    (uint64_t)task.n << 32 | (uint64_t)exp.n << 48;
	f.hashed = 0;
	memcpy(f.buf, hd, sizeof(hd));
	f.n = sizeof(hd);
	fp2_id(&f, firm);
	fp2_id(&f, tk);
	if (task.n > 0)
		fp2_text_long(&f, task, true);
	if (exp.n > 0)
		fp2_text_long(&f, exp, true);
	if (bits & M_DESCRIPTION)
		fp2_description(&f, l->field[F_LINE_ITEM_DESCRIPTION], simd);
	fp2_final(&f, fp);
}

void
group_dup_fingerprint(unsigned char out[16], const struct invoice_line *l,
    unsigned bits, int version)
{
	uint64_t fp[2];
	int i;

	if (version == 1)
		fingerprint_v1(fp, l, bits);
	else
		fingerprint_v2(fp, l, bits, version == 2);
	for (i = 0; i < 8; i++) {
		out[i] = (unsigned char)(fp[0] >> (8 * i));
		out[8 + i] = (unsigned char)(fp[1] >> (8 * i));
	}
}

/* ---- the table of fingerprints ------------------------------------ */

static unsigned
log2_of(uint32_t cap)
{
	return (unsigned)__builtin_ctz(cap);
}

/* A zeroed table of cap slots. */
static struct seen *
table_new(struct table_pool *p, uint32_t cap)
{
	size_t bytes = (size_t)cap * sizeof(struct seen);
	void **spare = &p->spare[log2_of(cap)];
	struct seen *v;

	if (bytes > TABLE_MAX_POOLED) {
		xgrow(&p->big, &p->big_cap, p->nbig + 1, sizeof(*p->big));
		return p->big[p->nbig++] = xcalloc(cap, sizeof(struct seen));
	}
	if (*spare != NULL) {
		v = *spare;
		memcpy(spare, v, sizeof(void *));
		memset(v, 0, bytes);
		return v;
	}
	if (p->left < bytes) {
		xgrow(&p->chunks, &p->chunks_cap, p->nchunks + 1,
		    sizeof(*p->chunks));
		p->left = p->nchunks < 3 ? POOL_CHUNK_MIN << p->nchunks :
		    POOL_CHUNK_MAX;
		p->next = p->chunks[p->nchunks++] = xcalloc(1, p->left);
	}
	v = (struct seen *)(void *)p->next;
	p->next += bytes;
	p->left -= bytes;
	return v;
}

static void
table_free(struct table_pool *p, struct seen *v, uint32_t cap)
{
	void **spare;
	size_t i;

	if (v == NULL)
		return;
	if ((size_t)cap * sizeof(struct seen) > TABLE_MAX_POOLED) {
		for (i = 0; p->big[i] != v; i++)
			;
		p->big[i] = p->big[--p->nbig];
		free(v);
		return;
	}
	spare = &p->spare[log2_of(cap)];
	memcpy(v, spare, sizeof(void *));
	*spare = v;
}

static void
table_pool_fini(struct table_pool *p)
{
	size_t i;

	for (i = 0; i < p->nchunks; i++)
		free(p->chunks[i]);
	free(p->chunks);
	for (i = 0; i < p->nbig; i++)
		free(p->big[i]);
	free(p->big);
}

static void
shard_grow(struct table_pool *p, struct shard *sh)
{
	uint32_t cap, mask, i;
	struct seen *v;

	if (sh->cap > UINT32_MAX / 2)
		abort(); /* 2^31 lines of one date: memory ran out long ago */
	cap = sh->cap ? sh->cap * 2 : SHARD_MIN;
	mask = cap - 1;
	v = table_new(p, cap);
	for (i = 0; i < sh->cap; i++) {
		const struct seen *e = &sh->v[i];
		uint32_t j;

		if ((e->a | e->b) == 0)
			continue;
		for (j = (uint32_t)e->a & mask; (v[j].a | v[j].b) != 0;
		    j = (j + 1) & mask)
			;
		v[j] = *e;
	}
	table_free(p, sh->v, sh->cap);
	sh->v = v;
	sh->cap = cap;
}

/* The entry of fingerprint fp in its table, new (with row and inv to
 * fill) or not. */
static struct seen *
seen_put(struct table_pool *p, struct shard *sh, const uint64_t fp[2],
    bool *created)
{
	uint64_t a = fp[0], b = fp[1];
	uint32_t mask, i;

	/* 0:0 marks an empty slot: that one fingerprint moves to 0:1, a
	 * collision as unlikely as any other. */
	if ((a | b) == 0)
		b = 1;
	if (((uint64_t)sh->n + 1) * 4 > (uint64_t)sh->cap * 3)
		shard_grow(p, sh);
	mask = sh->cap - 1;
	for (i = (uint32_t)a & mask;; i = (i + 1) & mask) {
		struct seen *e = &sh->v[i];

		if (e->a == a && e->b == b) {
			*created = false;
			return e;
		}
		if ((e->a | e->b) == 0) {
			e->a = a;
			e->b = b;
			sh->n++;
			*created = true;
			return e;
		}
	}
}

/* ---- invoices, each kept once -------------------------------------- */

static uint32_t
intern_name(struct state *s, struct text num)
{
	uint32_t *id;
	bool created;

	id = keymap_put(s->name_ids, num.p, num.n, &created);
	if (created) {
		xgrow(&s->names, &s->names_cap, s->nnames + 1,
		    sizeof(*s->names));
		xgrow(&s->pool, &s->pool_cap, s->pool_len + num.n + 1, 1);
		if (num.n > 0)
			memcpy(s->pool + s->pool_len, num.p, num.n);
		s->names[s->nnames].off = s->pool_len;
		s->names[s->nnames].len = num.n;
		s->pool_len += num.n;
		*id = (uint32_t)s->nnames++;
	}
	return *id;
}

/* The invoice of line l: its input and number, as an index. */
static uint32_t
intern_invoice(struct state *s, const struct invoice_line *l)
{
	struct text num = l->field[F_INVOICE_NUMBER];
	struct inv_ref key;
	const struct inv_name *last;
	uint32_t *id;
	bool created;

	if (s->has_last) {
		key = s->refs[s->last_ref];
		last = &s->names[key.name];
		if (key.file == l->file_index &&
		    text_eq_text((struct text){s->pool + last->off, last->len}, num))
			return s->last_ref;
	}
	key.file = l->file_index;
	key.name = intern_name(s, num);
	id = keymap_put(s->ref_ids, &key, sizeof(key), &created);
	if (created) {
		xgrow(&s->refs, &s->refs_cap, s->nrefs + 1, sizeof(*s->refs));
		s->refs[s->nrefs] = key;
		*id = (uint32_t)s->nrefs++;
	}
	s->last_ref = *id;
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
	enum field_id f;

	if ((bits & M_TIMEKEEPER) && !l->has_column[F_TIMEKEEPER_ID])
		f = F_TIMEKEEPER_ID;
	else if ((bits & M_DESCRIPTION) &&
	    !l->has_column[F_LINE_ITEM_DESCRIPTION])
		f = F_LINE_ITEM_DESCRIPTION;
	else if ((bits & M_TASK) && !l->has_column[F_LINE_ITEM_TASK_CODE])
		f = F_LINE_ITEM_TASK_CODE;
	else if ((bits & M_EXPENSE) &&
	    !l->has_column[F_LINE_ITEM_EXPENSE_CODE])
		f = F_LINE_ITEM_EXPENSE_CODE;
	else
		return true;
	check_note(cx, r, "input has no %s column; duplicates not checked",
	    field_name(f));
	return false;
}

/* The first line of a fingerprint in this run may repeat a line an
 * earlier run recorded (--history). */
static void
earlier_run(struct check_ctx *cx, const struct rule *r,
    const struct history *h, const struct invoice_line *l, unsigned bits,
    const unsigned char key[16])
{
	struct group_buf same = {{0}, 0}, where = {{0}, 0};
	struct history_ref ref;

	if (!history_find_line(h, key, &ref))
		return;
	list_fields(&same, bits);
	group_buf_history(&where, &ref);
	check_emit_line(cx, r, l, l->num[N_TOTAL] > 0 ? l->num[N_TOTAL] : 0,
	    "repeats %s: same %s", where.s, same.s);
}

/* Line l repeats the line of entry e. */
static void
repeats(struct check_ctx *cx, const struct rule *r, struct state *s,
    const struct invoice_line *l, unsigned bits, const struct seen *e)
{
	struct group_buf same = {{0}, 0}, where = {{0}, 0};
	const struct inv_ref *ref = &s->refs[e->inv];
	const struct inv_name *in = &s->names[ref->name];
	unsigned long long row = e->row;
	const char *file;

	if (e->row == ROW_FAR) {
		uint64_t fp[2] = {e->a, e->b};

		row = *(const uint64_t *)keymap_get(s->far, fp, sizeof(fp));
	}
	list_fields(&same, bits);
	if (ref->file == l->file_index) {
		group_buf_add(&where, "row %llu", row);
	} else {
		file = group_files_name(&s->files, ref->file);
		group_buf_add(&where, "row %llu of %.*s", row,
		    group_clip(file, strlen(file), GROUP_FILE_MAX), file);
	}
	check_emit_line(cx, r, l, l->num[N_TOTAL] > 0 ? l->num[N_TOTAL] : 0,
	    "repeats %s (invoice %.*s): same %s", where.s,
	    group_clip(s->pool + in->off, in->len, GROUP_ID_MAX),
	    s->pool + in->off, same.s);
}

static void
on_line(struct check_ctx *cx, const struct rule *r,
    const struct invoice_line *l)
{
	struct state *s;
	const struct history *h;
	const struct dup_ahead *a;
	unsigned char key[16];
	uint64_t fp[2];
	struct seen *e;
	unsigned bits;
	bool created;
	int i;

	if (l->type != LINE_FEE && l->type != LINE_EXPENSE)
		return;
	s = check_state(cx);
	bits = match_bits(s, r);
	if (!has_columns(cx, r, l, bits))
		return;
	/* With a history, key on what it holds (see fingerprint_v1).  A
	 * firm's own match set needs its own fingerprint. */
	h = check_history(cx);
	a = check_ahead_of(l, s->ahead);
	if (a->set && a->bits == bits) {
		fp[0] = a->fp[0];
		fp[1] = a->fp[1];
	} else if (h != NULL) {
		fingerprint_v1(fp, l, bits);
	} else {
		fingerprint_v2(fp, l, bits, true);
	}
	if (h != NULL) {
		for (i = 0; i < 8; i++) {
			key[i] = (unsigned char)(fp[0] >> (8 * i));
			key[8 + i] = (unsigned char)(fp[1] >> (8 * i));
		}
		check_history_fingerprint(cx, l, key);
	}
	e = seen_put(&s->tables, group_dates_at(&s->shards,
	    sizeof(struct shard), shard_date(l, bits)), fp, &created);
	if (!created) {
		repeats(cx, r, s, l, bits, e);
		return;
	}
	group_files_keep(&s->files, l->file_index, l->file);
	e->inv = intern_invoice(s, l);
	if (l->row < ROW_FAR) {
		e->row = (uint32_t)l->row;
	} else {
		uint64_t far[2] = {e->a, e->b};

		e->row = ROW_FAR;
		*(uint64_t *)keymap_put(s->far, far, sizeof(far), NULL) =
		    l->row;
	}
	if (h != NULL)
		earlier_run(cx, r, h, l, bits, key);
}

const struct check check_duplicate = {
	.name = "duplicate",
	.summary = "fee or expense line that repeats an earlier one (same "
		   "firm, timekeeper, date, units, amount, description), "
		   "within or across invoices and inputs",
	.params = params,
	.nparams = sizeof(params) / sizeof(params[0]),
	.state_new_cx = state_new,
	.state_free = state_free,
	.on_line = on_line,
};
