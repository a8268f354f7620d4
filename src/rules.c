/* rules.c - the YAML rules file -> an immutable, validated rule_set. */
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <yaml.h>

#include "arena.h"
#include "check.h"
#include "date.h"
#include "decimal.h"
#include "diag.h"
#include "record.h"
#include "rules.h"
#include "sha256.h"
#include "xalloc.h"

/* Past this many, errors are counted rather than kept: a file of a million
 * mistakes must not take a gigabyte of diagnostics. */
#define MAX_ERRORS 100
/* Deeper nesting than the schema's (seven levels) is refused as soon as
 * it is seen: libyaml's scanner takes time quadratic in the flow depth, so
 * 8 MB of '[' would otherwise hang the load. */
#define MAX_DEPTH 32
/* Longest offending text quoted in a message. */
#define QUOTE_MAX 60
#define QBUF      (QUOTE_MAX + 8)

struct rate_cap {
	const char *class; /* canonical */
	int64_t     amount;
};

struct rule_set {
	arena           *arena;    /* owns everything below */
	const char      *file;
	const char      *name;     /* "" when not given */
	const char      *currency; /* NULL when not given */
	char             sha256[SHA256_HEX_LEN + 1];
	struct rule     *rules;
	size_t           nrules;
	struct firm     *firms;
	size_t           nfirms;
	struct rate_cap *caps;
	size_t           ncaps;
	bool             has_date_form;
	enum date_form   date_form;
	const char      *columns[F__COUNT];  /* NULL when not given */
	const char      *defaults[F__COUNT]; /* NULL when not given */
};

/* The text node marks point into: the rules file, or a check's default. */
struct src {
	const char *name;
	const char *buf;
	size_t      len;
	size_t      cache_line, cache_off; /* last line_offset answer */
};

/* What the second pass keeps per firm and per rule until overrides, which
 * may name rules that come later in the file, have been applied. */
struct firm_build {
	struct firm       *f;
	struct rule       *rules;     /* f->rules, writable */
	const yaml_node_t *id;        /* the id value, or NULL */
	const yaml_node_t *overrides; /* the overrides: value, or NULL */
};

struct dflt_cache {
	const struct check       *check;
	const struct param_value *v; /* check->nparams defaults */
};

struct loader {
	struct src         src;
	yaml_document_t   *doc;
	arena             *a;
	rule_set          *rs;
	struct diag       *errs;
	size_t             nerrs, caperrs;
	unsigned long      dropped;  /* errors past MAX_ERRORS */
	unsigned long      nfail;    /* every error, kept, dropped or quiet */
	bool               quiet;    /* a node read twice: report it once */
	const char        *in_default; /* the parameter whose default is read */
	bool               version_seen;
	struct firm_build *fb;
	size_t             nfb;
	const yaml_node_t **rule_ids; /* per rule: its id value, or NULL */
	const struct rule **by_id;    /* rules sorted by id, for overrides */
	struct dflt_cache *dflts;
	size_t             ndflts, capdflts;
	yaml_mark_t        field_marks[F__COUNT]; /* input.columns keys */
	bool               field_seen[F__COUNT];
	yaml_mark_t        dfield_marks[F__COUNT]; /* input.defaults keys */
	bool               dfield_seen[F__COUNT];
};

/* Per-rule state while a rule, or a firm's override of one, is read. */
struct rule_build {
	struct rule        *r;
	const struct check *check;
	struct param_value *params;    /* writable r->params, or NULL */
	const yaml_node_t  *from, *to; /* the nodes that set them */
	bool                override;  /* a firm's overrides: id, check fixed */
};

typedef void (*pair_fn)(struct loader *ld, void *obj, const yaml_node_t *key,
    const yaml_node_t *val);

/* One key of a mapping kind and the function that reads its value. */
struct key_handler {
	const char *key;
	pair_fn     fn;
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/*
 * Diagnostics
 */

static void
yaml_oom(void)
{
	fputs("billcheck: out of memory\n", stderr);
	abort();
}

static const char *
text_of(const yaml_node_t *n)
{
	return (const char *)n->data.scalar.value;
}

static size_t
len_of(const yaml_node_t *n)
{
	return n->data.scalar.length;
}

static bool
text_is(const yaml_node_t *n, const char *s)
{
	return len_of(n) == strlen(s) && memcmp(text_of(n), s, len_of(n)) == 0;
}

/* The byte offset where 0-based line `line` starts.  libyaml breaks lines
 * at CR, LF, CRLF, NEL, LS and PS, so this must too or every position
 * after such a break would show the wrong source line. */
static size_t
line_offset(struct src *s, size_t line)
{
	const unsigned char *b = (const unsigned char *)s->buf;
	size_t off = 0, l = 0;

	if (s->cache_line > 0 && s->cache_line <= line) {
		l = s->cache_line;
		off = s->cache_off;
	}
	while (l < line && off < s->len) {
		if (b[off] == '\n') {
			off++;
		} else if (b[off] == '\r') {
			off++;
			if (off < s->len && b[off] == '\n')
				off++;
		} else if (b[off] == 0xc2 && off + 1 < s->len &&
		    b[off + 1] == 0x85) {
			off += 2;
		} else if (b[off] == 0xe2 && off + 2 < s->len &&
		    b[off + 1] == 0x80 &&
		    (b[off + 2] == 0xa8 || b[off + 2] == 0xa9)) {
			off += 3;
		} else {
			off++;
			continue;
		}
		l++;
	}
	s->cache_line = l;
	s->cache_off = off;
	return off;
}

static void err_v(struct loader *ld, yaml_mark_t start, yaml_mark_t end,
    int code, const char *fmt, va_list ap)
    __attribute__((format(printf, 5, 0)));

/* Records one error at [start, end) of the current source.  Columns stay
 * libyaml's (characters, not bytes), so the caret lines up under
 * multi-byte text in a terminal. */
static void
err_v(struct loader *ld, yaml_mark_t start, yaml_mark_t end, int code,
    const char *fmt, va_list ap)
{
	struct diag_pos pos;
	struct diag *d;
	char msg[sizeof(d->msg)];
	unsigned long caret = 1;

	ld->nfail++;
	if (ld->quiet)
		return;
	if (ld->nerrs == MAX_ERRORS) {
		ld->dropped++;
		return;
	}
	xgrow(&ld->errs, &ld->caperrs, ld->nerrs + 1, sizeof(*ld->errs));
	d = &ld->errs[ld->nerrs++];
	memset(d, 0, sizeof(*d));
	vsnprintf(msg, sizeof(msg), fmt, ap);
	pos.file = ld->src.name;
	pos.line = (unsigned long)start.line + 1;
	pos.col = (unsigned long)start.column + 1;
	if (ld->in_default != NULL)
		diag_set(d, code, pos, "%s (in the built-in default of "
		    "parameter '%s')", msg, ld->in_default);
	else
		diag_set(d, code, pos, "%s", msg);
	if (end.line == start.line && end.column > start.column)
		caret = (unsigned long)(end.column - start.column);
	diag_set_context(d, ld->src.buf, ld->src.len,
	    line_offset(&ld->src, start.line), caret);
}

static void mark_err(struct loader *ld, yaml_mark_t start, yaml_mark_t end,
    int code, const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void
mark_err(struct loader *ld, yaml_mark_t start, yaml_mark_t end, int code,
    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	err_v(ld, start, end, code, fmt, ap);
	va_end(ap);
}

static void node_err(struct loader *ld, const yaml_node_t *n,
    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* A schema error at node n, the caret under all of it. */
static void
node_err(struct loader *ld, const yaml_node_t *n, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	err_v(ld, n->start_mark, n->end_mark, DIAG_SCHEMA, fmt, ap);
	va_end(ap);
}

/* The scalar's text made safe to print, cut at QUOTE_MAX bytes. */
static const char *
quote(char *q, const yaml_node_t *n)
{
	diag_quote(q, QUOTE_MAX, text_of(n), len_of(n));
	return q;
}

/* YAML's null: an empty plain scalar, ~ or null. */
static bool
is_null(const yaml_node_t *n)
{
	return n->type == YAML_SCALAR_NODE &&
	    n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
	    (len_of(n) == 0 || text_is(n, "~") || text_is(n, "null") ||
		text_is(n, "Null") || text_is(n, "NULL"));
}

/* What n is, for "expected X, got Y". */
static const char *
node_what(char *q, const yaml_node_t *n)
{
	size_t len;

	if (n->type == YAML_MAPPING_NODE)
		return "a mapping";
	if (n->type == YAML_SEQUENCE_NODE)
		return "a list";
	if (is_null(n))
		return "nothing";
	q[0] = '\'';
	len = diag_quote(q + 1, QUOTE_MAX, text_of(n), len_of(n));
	q[len + 1] = '\'';
	q[len + 2] = '\0';
	return q;
}

/* "a, b, c" from a NULL-terminated list, cut to fit buf. */
static const char *
join_choices(char *buf, size_t size, const char *const *v)
{
	size_t off = 0;
	int k;

	buf[0] = '\0';
	for (; *v != NULL && off < size; v++) {
		k = snprintf(buf + off, size - off, "%s%s", off ? ", " : "",
		    *v);
		if (k < 0)
			break;
		off += (size_t)k;
	}
	return buf;
}

/* Optimal string alignment distance (a swap counts once), for "did you
 * mean".  Names longer than 63 bytes are never close. */
static size_t
edit_distance(const char *a, size_t an, const char *b, size_t bn)
{
	size_t d[3][64], i, j, *prev2 = d[0], *prev = d[1], *cur = d[2], *t;

	if (an >= 64 || bn >= 64)
		return SIZE_MAX;
	for (j = 0; j <= bn; j++)
		prev[j] = j;
	for (i = 1; i <= an; i++) {
		cur[0] = i;
		for (j = 1; j <= bn; j++) {
			size_t c = prev[j - 1] + (a[i - 1] != b[j - 1]);

			if (prev[j] + 1 < c)
				c = prev[j] + 1;
			if (cur[j - 1] + 1 < c)
				c = cur[j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && prev2[j - 2] + 1 < c)
				c = prev2[j - 2] + 1;
			cur[j] = c;
		}
		t = prev2;
		prev2 = prev;
		prev = cur;
		cur = t;
	}
	return prev[bn];
}

/* The closest candidate to a misspelt name, if any is close enough. */
struct suggest {
	const char *s;
	size_t      n;
	const char *best;
	size_t      dist;
};

static void
suggest_init(struct suggest *sg, const yaml_node_t *key)
{
	sg->s = text_of(key);
	sg->n = len_of(key);
	sg->best = NULL;
	sg->dist = SIZE_MAX;
}

static void
suggest_try(struct suggest *sg, const char *cand)
{
	size_t d, limit = sg->n >= 6 ? 2 : 1;

	if (cand == NULL)
		return;
	d = edit_distance(sg->s, sg->n, cand, strlen(cand));
	if (d <= limit && d < sg->dist) {
		sg->best = cand;
		sg->dist = d;
	}
}

/* " (did you mean 'x'?)" or "". */
static const char *
suggest_text(char *buf, size_t size, const struct suggest *sg)
{
	buf[0] = '\0';
	if (sg->best != NULL)
		snprintf(buf, size, " (did you mean '%s'?)", sg->best);
	return buf;
}

/* A libyaml failure, at the problem's position; the context it names
 * ("while scanning a plain scalar") follows with its own position. */
static void
parser_err(struct loader *ld, const yaml_parser_t *p)
{
	yaml_mark_t m = p->problem_mark, end;
	const char *problem = p->problem ? p->problem : "YAML syntax error";
	char ctx[200] = "";

	if (p->error == YAML_READER_ERROR) {
		/* Reader errors have a byte offset, not a mark. */
		size_t off = p->problem_offset, i;

		memset(&m, 0, sizeof(m));
		for (i = 0; i < off && i < ld->src.len; i++) {
			unsigned char c = (unsigned char)ld->src.buf[i];

			if (c == '\n' || (c == '\r' && (i + 1 == ld->src.len ||
			    ld->src.buf[i + 1] != '\n'))) {
				m.line++;
				m.column = 0;
			} else if (c != '\r' && (c & 0xc0) != 0x80) {
				m.column++;
			}
		}
	}
	if (p->context != NULL)
		snprintf(ctx, sizeof(ctx), " (%s at %lu:%lu)", p->context,
		    (unsigned long)p->context_mark.line + 1,
		    (unsigned long)p->context_mark.column + 1);
	end = m;
	mark_err(ld, m, end, DIAG_SYNTAX, "%s%s", problem, ctx);
}

/*
 * Walking mappings and lists
 */

struct ref {
	const char        *s;
	size_t             n;
	const yaml_node_t *node;
	size_t             order;
	bool               dup;
};

static int
ref_cmp(const void *a, const void *b)
{
	const struct ref *x = *(const struct ref *const *)a;
	const struct ref *y = *(const struct ref *const *)b;
	int c = memcmp(x->s, y->s, x->n < y->n ? x->n : y->n);

	if (c != 0)
		return c;
	if (x->n != y->n)
		return x->n < y->n ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

/* Reports every ref whose text an earlier one already had, and marks it.
 * Sorting keeps this O(n log n) for a hostile file of 100,000 keys. */
static void
find_dups(struct loader *ld, struct ref *refs, size_t n, const char *what)
{
	struct ref **v;
	char q[QBUF];
	size_t i, first = 0;

	if (n < 2)
		return;
	v = xmalloc(n * sizeof(*v));
	for (i = 0; i < n; i++)
		v[i] = &refs[i];
	qsort(v, n, sizeof(*v), ref_cmp);
	for (i = 1; i < n; i++) {
		if (v[i]->n != v[first]->n ||
		    memcmp(v[i]->s, v[first]->s, v[i]->n) != 0) {
			first = i;
			continue;
		}
		v[i]->dup = true;
		diag_quote(q, QUOTE_MAX, v[i]->s, v[i]->n);
		node_err(ld, v[i]->node, "duplicate %s '%s' (first at %lu:%lu)",
		    what, q,
		    (unsigned long)v[first]->node->start_mark.line + 1,
		    (unsigned long)v[first]->node->start_mark.column + 1);
	}
	free(v);
}

/* Calls fn for each key: value pair of mapping n in order, after refusing
 * keys that are not text, merge keys, and duplicate keys (which libyaml
 * accepts silently; the first one wins). */
static void
walk_pairs(struct loader *ld, const yaml_node_t *n, pair_fn fn, void *obj)
{
	yaml_node_pair_t *p = n->data.mapping.pairs.start;
	size_t np = (size_t)(n->data.mapping.pairs.top - p), i, nr = 0;
	struct ref *refs;
	char q[QBUF];

	if (np == 0)
		return;
	refs = xcalloc(np, sizeof(*refs));
	for (i = 0; i < np; i++) {
		const yaml_node_t *k = yaml_document_get_node(ld->doc,
		    p[i].key);

		if (k == NULL)
			continue;
		if (k->type != YAML_SCALAR_NODE) {
			node_err(ld, k, "expected a key, got %s",
			    node_what(q, k));
			continue;
		}
		if (k->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
		    text_is(k, "<<")) {
			node_err(ld, k, "merge keys ('<<') are not allowed in "
			    "a rules file");
			continue;
		}
		refs[nr].s = text_of(k);
		refs[nr].n = len_of(k);
		refs[nr].node = k;
		refs[nr].order = i;
		nr++;
	}
	find_dups(ld, refs, nr, "key");
	for (i = 0; i < nr; i++) {
		const yaml_node_t *v = yaml_document_get_node(ld->doc,
		    p[refs[i].order].value);

		if (!refs[i].dup && v != NULL)
			fn(ld, obj, refs[i].node, v);
	}
	free(refs);
}

static const struct key_handler *
find_handler(const struct key_handler *keys, size_t nkeys,
    const yaml_node_t *key)
{
	size_t i;

	for (i = 0; i < nkeys; i++)
		if (text_is(key, keys[i].key))
			return &keys[i];
	return NULL;
}

static void
unknown_key(struct loader *ld, const yaml_node_t *key,
    const struct key_handler *keys, size_t nkeys)
{
	struct suggest sg;
	char q[QBUF], hint[96];
	size_t i;

	suggest_init(&sg, key);
	for (i = 0; i < nkeys; i++)
		suggest_try(&sg, keys[i].key);
	node_err(ld, key, "unknown key '%s'%s", quote(q, key),
	    suggest_text(hint, sizeof(hint), &sg));
}

struct keyed {
	const struct key_handler *keys;
	size_t                    nkeys;
	void                     *obj;
};

static void
dispatch(struct loader *ld, void *kp, const yaml_node_t *key,
    const yaml_node_t *val)
{
	const struct keyed *k = kp;
	const struct key_handler *h = find_handler(k->keys, k->nkeys, key);

	if (h == NULL)
		unknown_key(ld, key, k->keys, k->nkeys);
	else
		h->fn(ld, k->obj, key, val);
}

/* Reads mapping n through its key table; false (reported) when n is no
 * mapping.  `what` names it: "expected a mapping for WHAT". */
static bool
walk_map(struct loader *ld, const yaml_node_t *n, const char *what,
    const struct key_handler *keys, size_t nkeys, void *obj)
{
	struct keyed k = {keys, nkeys, obj};
	char q[QBUF];

	if (n->type != YAML_MAPPING_NODE) {
		node_err(ld, n, "expected a mapping for %s, got %s", what,
		    node_what(q, n));
		return false;
	}
	walk_pairs(ld, n, dispatch, &k);
	return true;
}

/* Like walk_map for mappings whose keys are data (codes, fields, ids). */
static bool
walk_dyn(struct loader *ld, const yaml_node_t *n, const char *what,
    pair_fn fn, void *obj)
{
	char q[QBUF];

	if (is_null(n))
		return true;
	if (n->type != YAML_MAPPING_NODE) {
		node_err(ld, n, "expected a mapping for %s, got %s", what,
		    node_what(q, n));
		return false;
	}
	walk_pairs(ld, n, fn, obj);
	return true;
}

/* The items of list n; nothing (`key:` alone) is the empty list.  False
 * (reported) when n is no list. */
static bool
seq_items(struct loader *ld, const yaml_node_t *n, const char *what,
    const yaml_node_item_t **items, size_t *count)
{
	char q[QBUF];

	*items = NULL;
	*count = 0;
	if (is_null(n))
		return true;
	if (n->type != YAML_SEQUENCE_NODE) {
		node_err(ld, n, "expected a list for %s, got %s", what,
		    node_what(q, n));
		return false;
	}
	*items = n->data.sequence.items.start;
	*count = (size_t)(n->data.sequence.items.top -
	    n->data.sequence.items.start);
	return true;
}

static const yaml_node_t *
item_at(struct loader *ld, const yaml_node_item_t *items, size_t i)
{
	return yaml_document_get_node(ld->doc, items[i]);
}

/* Whether mapping n has key k at all, right or wrong: a missing-key error
 * would only repeat the one its bad value already got. */
static bool
has_key(struct loader *ld, const yaml_node_t *n, const char *k)
{
	yaml_node_pair_t *p;
	const yaml_node_t *kn;

	for (p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top;
	    p++) {
		kn = yaml_document_get_node(ld->doc, p->key);
		if (kn != NULL && kn->type == YAML_SCALAR_NODE &&
		    text_is(kn, k))
			return true;
	}
	return false;
}

/*
 * Scalars
 */

/* The text of scalar n, or NULL (reported as "expected WHAT") when n is
 * nothing, a list, a mapping or text with a NUL in it. */
static const char *
want_scalar(struct loader *ld, const yaml_node_t *n, const char *what)
{
	char q[QBUF];

	if (n->type != YAML_SCALAR_NODE || is_null(n)) {
		node_err(ld, n, "expected %s, got %s", what, node_what(q, n));
		return NULL;
	}
	if (memchr(text_of(n), '\0', len_of(n)) != NULL) {
		node_err(ld, n, "expected %s, got text with a NUL character",
		    what);
		return NULL;
	}
	return text_of(n);
}

static const char *
get_text(struct loader *ld, const yaml_node_t *n)
{
	const char *s = want_scalar(ld, n, "text");

	return s == NULL ? NULL : arena_strndup(ld->a, s, len_of(n));
}

/* A non-empty text: ids, codes. */
static const char *
get_id(struct loader *ld, const yaml_node_t *n)
{
	const char *s = want_scalar(ld, n, "an id");

	if (s == NULL)
		return NULL;
	if (len_of(n) == 0) {
		node_err(ld, n, "expected an id, got ''");
		return NULL;
	}
	return arena_strndup(ld->a, s, len_of(n));
}

/* Index of n's text in choices, or -1 (reported). */
static int
get_choice(struct loader *ld, const yaml_node_t *n, const char *what,
    const char *const *choices)
{
	char q[QBUF], list[200];
	int i;

	if (want_scalar(ld, n, what) == NULL)
		return -1;
	for (i = 0; choices[i] != NULL; i++)
		if (text_is(n, choices[i]))
			return i;
	node_err(ld, n, "unknown %s '%s' (expected one of: %s)", what,
	    quote(q, n), join_choices(list, sizeof(list), choices));
	return -1;
}

static bool
get_decimal(struct loader *ld, const yaml_node_t *n, int64_t *out)
{
	char q[QBUF];
	int r;

	if (want_scalar(ld, n, "a number") == NULL)
		return false;
	r = dec_parse(out, text_of(n), len_of(n), DEC_STRICT, NULL);
	if (r == DEC_LAX) {
		node_err(ld, n, "'%s' has more than %d decimals", quote(q, n),
		    DEC_DIGITS);
		return false;
	}
	if (r != DEC_OK) {
		node_err(ld, n, "expected a number, got '%s'", quote(q, n));
		return false;
	}
	return true;
}

static bool
get_amount(struct loader *ld, const yaml_node_t *n, int64_t *out)
{
	char q[QBUF];

	if (!get_decimal(ld, n, out))
		return false;
	if (*out < 0) {
		node_err(ld, n, "negative amount '%s'", quote(q, n));
		return false;
	}
	return true;
}

static bool
get_ranged(struct loader *ld, const yaml_node_t *n, int64_t *out,
    int64_t max, const char *what)
{
	char q[QBUF];

	if (!get_decimal(ld, n, out))
		return false;
	if (*out < 0 || *out > max) {
		node_err(ld, n, "expected %s, got '%s'", what, quote(q, n));
		return false;
	}
	return true;
}

static bool
get_fraction(struct loader *ld, const yaml_node_t *n, int64_t *out)
{
	return get_ranged(ld, n, out, DEC_SCALE, "a fraction from 0 to 1");
}

static bool
get_percent(struct loader *ld, const yaml_node_t *n, int64_t *out)
{
	return get_ranged(ld, n, out, 100 * DEC_SCALE,
	    "a percentage from 0 to 100");
}

static bool
get_count(struct loader *ld, const yaml_node_t *n, long *out)
{
	char q[QBUF];
	int64_t v;

	if (want_scalar(ld, n, "a whole number") == NULL)
		return false;
	if (dec_parse(&v, text_of(n), len_of(n), DEC_STRICT, NULL) != DEC_OK ||
	    v < 0 || v % DEC_SCALE != 0 || v / DEC_SCALE > LONG_MAX) {
		node_err(ld, n, "expected a whole number, got '%s'",
		    quote(q, n));
		return false;
	}
	*out = (long)(v / DEC_SCALE);
	return true;
}

static bool
get_bool(struct loader *ld, const yaml_node_t *n, bool *out)
{
	static const char *const yes[] = {"true", "yes"};
	static const char *const no[] = {"false", "no"};
	char q[QBUF];
	size_t i;

	if (want_scalar(ld, n, "true or false") == NULL)
		return false;
	for (i = 0; i < NELEM(yes); i++) {
		if (len_of(n) == strlen(yes[i]) &&
		    strncasecmp(text_of(n), yes[i], len_of(n)) == 0) {
			*out = true;
			return true;
		}
		if (len_of(n) == strlen(no[i]) &&
		    strncasecmp(text_of(n), no[i], len_of(n)) == 0) {
			*out = false;
			return true;
		}
	}
	node_err(ld, n, "expected true or false, got '%s'", quote(q, n));
	return false;
}

/* A date written YYYY-MM-DD, the one form a rules file uses. */
static bool
get_date(struct loader *ld, const yaml_node_t *n, int32_t *out)
{
	const char *s = want_scalar(ld, n, "a date (YYYY-MM-DD)");
	char q[QBUF];
	size_t i;

	if (s == NULL)
		return false;
	for (i = 0; i < len_of(n); i++)
		if ((i == 4 || i == 7) ? s[i] != '-' : (s[i] < '0' ||
		    s[i] > '9'))
			break;
	if (len_of(n) != 10 || i != 10) {
		node_err(ld, n, "expected a date (YYYY-MM-DD), got '%s'",
		    quote(q, n));
		return false;
	}
	if (date_parse(out, s, len_of(n), DATE_AUTO, NULL) != 0) {
		node_err(ld, n, "no such date '%s'", quote(q, n));
		return false;
	}
	return true;
}

static const char *
get_class(struct loader *ld, const yaml_node_t *n)
{
	const char *c;
	char q[QBUF];

	if (want_scalar(ld, n, "a timekeeper class") == NULL)
		return NULL;
	c = tk_class_canonical(text_of(n), len_of(n));
	if (c == NULL)
		node_err(ld, n, "unknown timekeeper class '%s'", quote(q, n));
	return c;
}

/*
 * Lists
 */

/* Reads one list item; NULL (reported) when it is not acceptable. */
typedef const char *(*item_fn)(struct loader *ld, const yaml_node_t *n,
    const void *arg);

/* arg: NULL, or the NULL-terminated values allowed. */
static const char *
item_text(struct loader *ld, const yaml_node_t *n, const void *arg)
{
	const char *const *choices = arg;
	int i;

	if (choices == NULL)
		return get_text(ld, n);
	i = get_choice(ld, n, "value", choices);
	return i < 0 ? NULL : choices[i];
}

static const char *
item_class(struct loader *ld, const yaml_node_t *n, const void *arg)
{
	(void)arg;
	return get_class(ld, n);
}

/* A list of scalars, or one scalar as a one-element list.  False when
 * anything in it was wrong (each item is reported). */
static bool
get_list(struct loader *ld, const yaml_node_t *n, item_fn fn,
    const void *arg, struct strlist *out)
{
	const yaml_node_item_t *items;
	const char **v;
	size_t count, i, k = 0;
	bool ok = true;

	if (n->type == YAML_SCALAR_NODE && !is_null(n)) {
		v = arena_alloc(ld->a, sizeof(*v));
		v[0] = fn(ld, n, arg);
		out->v = v;
		out->n = v[0] != NULL;
		return v[0] != NULL;
	}
	if (!seq_items(ld, n, "the values", &items, &count))
		return false;
	v = arena_alloc(ld->a, (count ? count : 1) * sizeof(*v));
	for (i = 0; i < count; i++) {
		const yaml_node_t *it = item_at(ld, items, i);
		const char *s = it == NULL ? NULL : fn(ld, it, arg);

		if (s == NULL)
			ok = false;
		else
			v[k++] = s;
	}
	out->v = v;
	out->n = k;
	return ok;
}

static bool
get_dates(struct loader *ld, const yaml_node_t *n, const int32_t **out,
    size_t *nout)
{
	const yaml_node_item_t *items;
	int32_t *v;
	size_t count, i, k = 0;
	bool ok = true;

	if (n->type == YAML_SCALAR_NODE && !is_null(n)) {
		v = arena_alloc(ld->a, sizeof(*v));
		ok = get_date(ld, n, &v[0]);
		*out = v;
		*nout = ok;
		return ok;
	}
	if (!seq_items(ld, n, "the dates", &items, &count))
		return false;
	v = arena_alloc(ld->a, (count ? count : 1) * sizeof(*v));
	for (i = 0; i < count; i++) {
		const yaml_node_t *it = item_at(ld, items, i);

		if (it != NULL && get_date(ld, it, &v[k]))
			k++;
		else
			ok = false;
	}
	*out = v;
	*nout = k;
	return ok;
}

/*
 * Check parameters
 */

struct caps_build {
	struct expense_cap *v;
	size_t              n;
};

static void
cap_unit(struct loader *ld, void *obj, const yaml_node_t *key,
    const yaml_node_t *val)
{
	struct expense_cap *c = obj;

	(void)key;
	c->has_unit = get_amount(ld, val, &c->unit);
}

static void
cap_total(struct loader *ld, void *obj, const yaml_node_t *key,
    const yaml_node_t *val)
{
	struct expense_cap *c = obj;

	(void)key;
	c->has_total = get_amount(ld, val, &c->total);
}

static const struct key_handler cap_keys[] = {
	{"unit", cap_unit},
	{"total", cap_total},
};

static void
caps_pair(struct loader *ld, void *obj, const yaml_node_t *key,
    const yaml_node_t *val)
{
	struct caps_build *cb = obj;
	struct expense_cap *c = &cb->v[cb->n];
	unsigned long before = ld->nfail;
	char q[QBUF];

	c->code = get_id(ld, key);
	if (!walk_map(ld, val, "the cap", cap_keys, NELEM(cap_keys), c))
		return;
	if (!c->has_unit && !c->has_total && ld->nfail == before)
		node_err(ld, val, "cap for '%s' needs 'unit' or 'total'",
		    quote(q, key));
	if (c->code != NULL)
		cb->n++;
}

static bool
get_caps(struct loader *ld, const yaml_node_t *n, struct param_value *pv)
{
	struct caps_build cb = {NULL, 0};
	unsigned long before = ld->nfail;
	size_t np;

	if (n->type == YAML_MAPPING_NODE) {
		np = (size_t)(n->data.mapping.pairs.top -
		    n->data.mapping.pairs.start);
		cb.v = arena_alloc(ld->a, (np ? np : 1) * sizeof(*cb.v));
	}
	if (!walk_dyn(ld, n, "the caps", caps_pair, &cb))
		return false;
	pv->u.caps.v = cb.v;
	pv->u.caps.n = cb.n;
	return ld->nfail == before;
}

/* Reads n as parameter `spec`; *pv is changed only when all of n is
 * right. */
static void
parse_param(struct loader *ld, const struct param_spec *spec,
    const yaml_node_t *n, struct param_value *pv)
{
	struct param_value v;
	struct strlist sl;
	bool ok = false;
	int i;

	memset(&v, 0, sizeof(v));
	switch (spec->type) {
	case PARAM_AMOUNT:
		ok = get_amount(ld, n, &v.u.amount);
		break;
	case PARAM_FRACTION:
		ok = get_fraction(ld, n, &v.u.amount);
		break;
	case PARAM_PERCENT:
		ok = get_percent(ld, n, &v.u.amount);
		break;
	case PARAM_COUNT:
		ok = get_count(ld, n, &v.u.count);
		break;
	case PARAM_BOOL:
		ok = get_bool(ld, n, &v.u.flag);
		break;
	case PARAM_STRING:
		if (spec->choices == NULL) {
			v.u.str = get_text(ld, n);
		} else {
			i = get_choice(ld, n, "value", spec->choices);
			v.u.str = i < 0 ? NULL : spec->choices[i];
		}
		ok = v.u.str != NULL;
		break;
	case PARAM_LIST:
		ok = get_list(ld, n, item_text, spec->choices, &sl);
		v.u.list.v = sl.v;
		v.u.list.n = sl.n;
		break;
	case PARAM_CAPS:
		ok = get_caps(ld, n, &v);
		break;
	case PARAM_DATES:
		ok = get_dates(ld, n, &v.u.dates.v, &v.u.dates.n);
		break;
	}
	if (ok) {
		v.set = true;
		*pv = v;
	}
}

/* Reads a check's default, which is YAML text, as if the file said it.
 * A bad default is a bug in the check, reported under its own name. */
static void
parse_default(struct loader *ld, const struct check *c,
    const struct param_spec *spec, struct param_value *pv)
{
	struct src saved = ld->src;
	yaml_document_t *saved_doc = ld->doc, doc;
	yaml_parser_t p;
	const yaml_node_t *root;

	/* Static strings: *d may hold this position after the load. */
	ld->src.name = c->name;
	ld->in_default = spec->name;
	ld->src.buf = spec->dflt;
	ld->src.len = strlen(spec->dflt);
	ld->src.cache_line = 0;
	if (!yaml_parser_initialize(&p))
		yaml_oom();
	yaml_parser_set_encoding(&p, YAML_UTF8_ENCODING);
	yaml_parser_set_input_string(&p, (const unsigned char *)spec->dflt,
	    ld->src.len);
	if (!yaml_parser_load(&p, &doc)) {
		parser_err(ld, &p);
		goto out_parser;
	}
	ld->doc = &doc;
	root = yaml_document_get_root_node(&doc);
	if (root == NULL) {
		/* "" is the empty string, or an empty list. */
		if (spec->type == PARAM_STRING) {
			pv->u.str = "";
			pv->set = true;
		} else if (spec->type == PARAM_LIST ||
		    spec->type == PARAM_DATES || spec->type == PARAM_CAPS) {
			pv->set = true;
		}
	} else {
		parse_param(ld, spec, root, pv);
	}
	yaml_document_delete(&doc);
out_parser:
	yaml_parser_delete(&p);
	ld->doc = saved_doc;
	ld->src = saved;
	ld->in_default = NULL;
}

/* The check's defaults, read once per load. */
static const struct param_value *
check_defaults(struct loader *ld, const struct check *c)
{
	struct param_value *v;
	size_t i;

	for (i = 0; i < ld->ndflts; i++)
		if (ld->dflts[i].check == c)
			return ld->dflts[i].v;
	v = arena_alloc(ld->a, (c->nparams ? c->nparams : 1) * sizeof(*v));
	for (i = 0; i < c->nparams; i++)
		if (c->params[i].dflt != NULL)
			parse_default(ld, c, &c->params[i], &v[i]);
	xgrow(&ld->dflts, &ld->capdflts, ld->ndflts + 1, sizeof(*ld->dflts));
	ld->dflts[ld->ndflts].check = c;
	ld->dflts[ld->ndflts].v = v;
	ld->ndflts++;
	return v;
}

/*
 * Rules
 */

static const char *const severity_names[] = {"info", "warning", "error",
	NULL};
static const char *const type_names[] = {"fee", "expense", "adjustment",
	NULL};

static void
rk_id(struct loader *ld, void *obj, const yaml_node_t *key,
    const yaml_node_t *val)
{
	struct rule_build *rb = obj;

	if (rb->override) {
		node_err(ld, key, "a firm override cannot change 'id'");
		return;
	}
	rb->r->id = get_id(ld, val);
}

/* Read before the other keys (see load_rule); here only refused in an
 * override. */
static void
rk_check(struct loader *ld, void *obj, const yaml_node_t *key,
    const yaml_node_t *val)
{
	struct rule_build *rb = obj;

	(void)val;
	if (rb->override)
		node_err(ld, key, "a firm override cannot change 'check'");
}

static void
rk_severity(struct loader *ld, void *obj, const yaml_node_t *key,
    const yaml_node_t *val)
{
	struct rule_build *rb = obj;
	int i = get_choice(ld, val, "severity", severity_names);

	(void)key;
	if (i >= 0)
		rb->r->severity = (enum severity)i;
}

static void
rk_clause(struct loader *ld, void *obj, const yaml_node_t *key,
    const yaml_node_t *val)
{
	struct rule_build *rb = obj;
	const char *s = get_text(ld, val);

	(void)key;
	if (s != NULL)
		rb->r->clause = s;
}

static void
rk_message(struct loader *ld, void *obj, const yaml_node_t *key,
    const yaml_node_t *val)
{
	struct rule_build *rb = obj;
	const char *s = get_text(ld, val);

	(void)key;
	if (s != NULL)
		rb->r->message = s;
}

static void
rk_enabled(struct loader *ld, void *obj, const yaml_node_t *key,
    const yaml_node_t *val)
{
	struct rule_build *rb = obj;
	bool b;

	(void)key;
	if (get_bool(ld, val, &b))
		rb->r->enabled = b;
}

static void
rk_reduction(struct loader *ld, void *obj, const yaml_node_t *key,
    const yaml_node_t *val)
{
	struct rule_build *rb = obj;
	int64_t v;

	(void)key;
	if (get_fraction(ld, val, &v))
		rb->r->reduction = v;
}

static void
rk_firms(struct loader *ld, void *obj, const yaml_node_t *key,
    const yaml_node_t *val)
{
	struct rule_build *rb = obj;
	struct strlist sl;

	(void)key;
	if (get_list(ld, val, item_text, NULL, &sl))
		rb->r->firms = sl;
}

static void
rk_matters(struct loader *ld, void *obj, const yaml_node_t *key,
    const yaml_node_t *val)
{
	struct rule_build *rb = obj;
	struct strlist sl;

	(void)key;
	if (get_list(ld, val, item_text, NULL, &sl))
		rb->r->matters = sl;
}

static void
rk_classes(struct loader *ld, void *obj, const yaml_node_t *key,
    const yaml_node_t *val)
{
	struct rule_build *rb = obj;
	struct strlist sl;

	(void)key;
	if (get_list(ld, val, item_class, NULL, &sl))
		rb->r->classes = sl;
}

static void
rk_types(struct loader *ld, void *obj, const yaml_node_t *key,
    const yaml_node_t *val)
{
	static const unsigned bits[] = {SCOPE_FEE, SCOPE_EXPENSE,
		SCOPE_ADJUSTMENT};
	struct rule_build *rb = obj;
	struct strlist sl;
	unsigned types = 0;
	size_t i, j;

	(void)key;
	if (!get_list(ld, val, item_text, type_names, &sl))
		return;
	for (i = 0; i < sl.n; i++)
		for (j = 0; j < NELEM(bits); j++)
			if (sl.v[i] == type_names[j])
				types |= bits[j];
	rb->r->types = types;
}

static void
rk_from(struct loader *ld, void *obj, const yaml_node_t *key,
    const yaml_node_t *val)
{
	struct rule_build *rb = obj;
	int32_t d;

	(void)key;
	if (get_date(ld, val, &d)) {
		rb->r->from = d;
		rb->from = val;
	}
}

static void
rk_to(struct loader *ld, void *obj, const yaml_node_t *key,
    const yaml_node_t *val)
{
	struct rule_build *rb = obj;
	int32_t d;

	(void)key;
	if (get_date(ld, val, &d)) {
		rb->r->to = d;
		rb->to = val;
	}
}

static const struct key_handler rule_keys[] = {
	{"id", rk_id},
	{"check", rk_check},
	{"severity", rk_severity},
	{"clause", rk_clause},
	{"message", rk_message},
	{"enabled", rk_enabled},
	{"reduction", rk_reduction},
	{"firms", rk_firms},
	{"matters", rk_matters},
	{"classes", rk_classes},
	{"types", rk_types},
	{"from", rk_from},
	{"to", rk_to},
};

static void
rule_set_param(struct loader *ld, struct rule_build *rb, int i,
    const yaml_node_t *val)
{
	size_t n = rb->check->nparams;

	if (rb->params == NULL) {
		/* A firm's first change to this rule's parameters: it gets
		 * its own copy, the other firms keep the shared one. */
		rb->params = arena_alloc(ld->a, n * sizeof(*rb->params));
		memcpy(rb->params, rb->r->params, n * sizeof(*rb->params));
		rb->r->params = rb->params;
	}
	parse_param(ld, &rb->check->params[i], val, &rb->params[i]);
}

/* A key of a rule: one of rule_keys, or a parameter of its check.  A check
 * may declare a parameter with a rule key's name ("types"); the value then
 * sets both, and is reported (if wrong) once. */
static void
rule_pair(struct loader *ld, void *obj, const yaml_node_t *key,
    const yaml_node_t *val)
{
	struct rule_build *rb = obj;
	const struct key_handler *h = find_handler(rule_keys,
	    NELEM(rule_keys), key);
	struct suggest sg;
	char q[QBUF], hint[96];
	int pi = -1;
	size_t i;

	if (rb->check != NULL && strlen(text_of(key)) == len_of(key))
		pi = check_param_index(rb->check, text_of(key));
	if (h != NULL) {
		h->fn(ld, rb, key, val);
		if (pi >= 0 && !text_is(key, "id") && !text_is(key, "check")) {
			bool quiet = ld->quiet;

			ld->quiet = true;
			rule_set_param(ld, rb, pi, val);
			ld->quiet = quiet;
		}
		return;
	}
	if (pi >= 0) {
		rule_set_param(ld, rb, pi, val);
		return;
	}
	/* Without a known check, its parameters cannot be told from
	 * mistakes; the missing or unknown check is reported already. */
	if (rb->check == NULL)
		return;
	suggest_init(&sg, key);
	for (i = 0; i < NELEM(rule_keys); i++)
		suggest_try(&sg, rule_keys[i].key);
	for (i = 0; i < rb->check->nparams; i++)
		suggest_try(&sg, rb->check->params[i].name);
	node_err(ld, key, "unknown parameter '%s' for check '%s'%s",
	    quote(q, key), rb->check->name,
	    suggest_text(hint, sizeof(hint), &sg));
}

/* The value of the rule's check: key, looked up before the other keys
 * because it decides which parameters they may be.  NULL when missing
 * (*found false) or unknown (reported). */
static const struct check *
rule_check(struct loader *ld, const yaml_node_t *n, bool *found)
{
	yaml_node_pair_t *p;
	const yaml_node_t *k, *v;
	const struct check *const *cat;
	const struct check *c;
	struct suggest sg;
	char q[QBUF], hint[96];
	size_t ncat, i;

	*found = false;
	for (p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top;
	    p++) {
		k = yaml_document_get_node(ld->doc, p->key);
		v = yaml_document_get_node(ld->doc, p->value);
		if (k == NULL || v == NULL || k->type != YAML_SCALAR_NODE ||
		    !text_is(k, "check"))
			continue;
		*found = true;
		if (want_scalar(ld, v, "a check name") == NULL)
			return NULL;
		c = strlen(text_of(v)) == len_of(v) ?
		    check_find(text_of(v)) : NULL;
		if (c != NULL)
			return c;
		suggest_init(&sg, v);
		cat = check_catalog(&ncat);
		for (i = 0; i < ncat; i++)
			suggest_try(&sg, cat[i]->name);
		node_err(ld, v, "unknown check '%s'%s", quote(q, v),
		    suggest_text(hint, sizeof(hint), &sg));
		return NULL;
	}
	return NULL;
}

static void
rule_dates_check(struct loader *ld, const struct rule_build *rb,
    const yaml_node_t *where)
{
	char a[11], b[11];

	if (rb->r->from == DATE_NONE || rb->r->to == DATE_NONE ||
	    rb->r->to >= rb->r->from)
		return;
	node_err(ld, rb->to != NULL ? rb->to : where,
	    "'to' %s is before 'from' %s", date_format(a, rb->r->to),
	    date_format(b, rb->r->from));
}

static void
load_rule(struct loader *ld, const yaml_node_t *n, struct rule *r,
    unsigned index)
{
	struct rule_build rb;
	const struct param_value *dflt;
	bool has_check;
	size_t i;

	memset(&rb, 0, sizeof(rb));
	rb.r = r;
	r->index = index;
	r->severity = SEV_WARNING;
	r->clause = "";
	r->enabled = true;
	r->reduction = DEC_SCALE;
	r->from = r->to = DATE_NONE;
	r->line = (unsigned long)n->start_mark.line + 1;
	r->col = (unsigned long)n->start_mark.column + 1;
	if (n->type != YAML_MAPPING_NODE) {
		walk_map(ld, n, "the rule", rule_keys, NELEM(rule_keys), &rb);
		return;
	}
	rb.check = rule_check(ld, n, &has_check);
	r->check = rb.check;
	if (rb.check != NULL) {
		rb.params = arena_alloc(ld->a, (rb.check->nparams ?
		    rb.check->nparams : 1) * sizeof(*rb.params));
		r->params = rb.params;
	}
	walk_pairs(ld, n, rule_pair, &rb);
	if (!has_key(ld, n, "id"))
		node_err(ld, n, "rule has no 'id'");
	if (!has_check)
		node_err(ld, n, "rule has no 'check'");
	rule_dates_check(ld, &rb, n);
	if (rb.check == NULL)
		return;
	dflt = check_defaults(ld, rb.check);
	for (i = 0; i < rb.check->nparams; i++)
		if (!rb.params[i].set)
			rb.params[i] = dflt[i];
}

/* The id value of rule mapping n, for duplicate detection. */
static const yaml_node_t *
rule_id_node(struct loader *ld, const yaml_node_t *n)
{
	yaml_node_pair_t *p;
	const yaml_node_t *k, *v;

	if (n->type != YAML_MAPPING_NODE)
		return NULL;
	for (p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top;
	    p++) {
		k = yaml_document_get_node(ld->doc, p->key);
		v = yaml_document_get_node(ld->doc, p->value);
		if (k != NULL && v != NULL && k->type == YAML_SCALAR_NODE &&
		    text_is(k, "id"))
			return v->type == YAML_SCALAR_NODE && !is_null(v) ?
			    v : NULL;
	}
	return NULL;
}

static void
top_rules(struct loader *ld, void *obj, const yaml_node_t *key,
    const yaml_node_t *val)
{
	const yaml_node_item_t *items;
	struct ref *refs;
	size_t count, i, nr = 0;
	rule_set *rs = ld->rs;

	(void)obj;
	(void)key;
	if (!seq_items(ld, val, "'rules'", &items, &count))
		return;
	rs->rules = arena_alloc(ld->a, (count ? count : 1) *
	    sizeof(*rs->rules));
	ld->rule_ids = xcalloc(count ? count : 1, sizeof(*ld->rule_ids));
	for (i = 0; i < count; i++) {
		const yaml_node_t *n = item_at(ld, items, i);

		if (n == NULL)
			continue;
		ld->rule_ids[rs->nrules] = rule_id_node(ld, n);
		load_rule(ld, n, &rs->rules[rs->nrules],
		    (unsigned)rs->nrules);
		rs->nrules++;
	}
	refs = xcalloc(rs->nrules ? rs->nrules : 1, sizeof(*refs));
	for (i = 0; i < rs->nrules; i++) {
		if (rs->rules[i].id == NULL)
			continue;
		refs[nr].s = rs->rules[i].id;
		refs[nr].n = strlen(rs->rules[i].id);
		refs[nr].node = ld->rule_ids[i];
		refs[nr].order = i;
		nr++;
	}
	find_dups(ld, refs, nr, "rule id");
	free(refs);
}

/*
 * Firms, timekeepers, matters
 */

struct period_build {
	struct rate_period p;
	const yaml_node_t *node, *to;
	bool               has_rate, has_from;
};

struct tk_build {
	struct timekeeper *tk;
	const yaml_node_t *id, *rate, *rates;
};

static void
pk_rate(struct loader *ld, void *obj, const yaml_node_t *key,
    const yaml_node_t *val)
{
	struct period_build *pb = obj;

	(void)key;
	pb->has_rate = get_amount(ld, val, &pb->p.rate);
}

static void
pk_from(struct loader *ld, void *obj, const yaml_node_t *key,
    const yaml_node_t *val)
{
	struct period_build *pb = obj;

	(void)key;
	pb->has_from = get_date(ld, val, &pb->p.from);
}

static void
pk_to(struct loader *ld, void *obj, const yaml_node_t *key,
    const yaml_node_t *val)
{
	struct period_build *pb = obj;

	(void)key;
	if (get_date(ld, val, &pb->p.to))
		pb->to = val;
}

static const struct key_handler period_keys[] = {
	{"rate", pk_rate},
	{"from", pk_from},
	{"to", pk_to},
};

static int
period_cmp(const void *a, const void *b)
{
	const struct period_build *x = *(const struct period_build *const *)a;
	const struct period_build *y = *(const struct period_build *const *)b;

	return x->p.from < y->p.from ? -1 : x->p.from > y->p.from;
}

/* Reports periods that overlap: sorted by start, each must begin after
 * the furthest end so far (an open end reaches forever). */
static void
periods_check(struct loader *ld, struct period_build *pb, size_t n)
{
	struct period_build **v = xmalloc((n ? n : 1) * sizeof(*v)), *far;
	size_t nv = 0, i;
	char a[11];

	for (i = 0; i < n; i++)
		if (pb[i].has_rate && pb[i].has_from &&
		    (pb[i].p.to == DATE_NONE || pb[i].p.to >= pb[i].p.from))
			v[nv++] = &pb[i];
	qsort(v, nv, sizeof(*v), period_cmp);
	for (i = 1, far = nv ? v[0] : NULL; i < nv; i++) {
		if (far->p.to == DATE_NONE || v[i]->p.from <= far->p.to)
			node_err(ld, v[i]->node, "rate period from %s overlaps "
			    "the period at %lu:%lu",
			    date_format(a, v[i]->p.from),
			    (unsigned long)far->node->start_mark.line + 1,
			    (unsigned long)far->node->start_mark.column + 1);
		if (far->p.to != DATE_NONE &&
		    (v[i]->p.to == DATE_NONE || v[i]->p.to > far->p.to))
			far = v[i];
	}
	free(v);
}

static void
load_rates(struct loader *ld, struct timekeeper *tk, const yaml_node_t *n)
{
	const yaml_node_item_t *items;
	struct period_build *pb;
	struct rate_period *rp;
	size_t count, i, k = 0;
	char a[11], b[11];

	if (!seq_items(ld, n, "'rates'", &items, &count))
		return;
	pb = xcalloc(count ? count : 1, sizeof(*pb));
	for (i = 0; i < count; i++) {
		const yaml_node_t *it = item_at(ld, items, i);

		if (it == NULL)
			continue;
		pb[k].node = it;
		pb[k].p.from = pb[k].p.to = DATE_NONE;
		if (!walk_map(ld, it, "the rate period", period_keys,
		    NELEM(period_keys), &pb[k]))
			continue;
		if (!has_key(ld, it, "rate"))
			node_err(ld, it, "rate period has no 'rate'");
		if (!has_key(ld, it, "from"))
			node_err(ld, it, "rate period has no 'from'");
		if (pb[k].has_from && pb[k].p.to != DATE_NONE &&
		    pb[k].p.to < pb[k].p.from)
			node_err(ld, pb[k].to, "'to' %s is before 'from' %s",
			    date_format(a, pb[k].p.to),
			    date_format(b, pb[k].p.from));
		k++;
	}
	periods_check(ld, pb, k);
	rp = arena_alloc(ld->a, (k ? k : 1) * sizeof(*rp));
	for (i = 0; i < k; i++)
		rp[i] = pb[i].p;
	tk->rates = rp;
	tk->nrates = k;
	free(pb);
}

static void
tk_id(struct loader *ld, void *obj, const yaml_node_t *key,
    const yaml_node_t *val)
{
	struct tk_build *tb = obj;

	(void)key;
	tb->tk->id = get_id(ld, val);
	if (tb->tk->id != NULL)
		tb->id = val;
}

static void
tk_name(struct loader *ld, void *obj, const yaml_node_t *key,
    const yaml_node_t *val)
{
	struct tk_build *tb = obj;

	(void)key;
	tb->tk->name = get_text(ld, val);
}

static void
tk_class(struct loader *ld, void *obj, const yaml_node_t *key,
    const yaml_node_t *val)
{
	struct tk_build *tb = obj;

	(void)key;
	tb->tk->class = get_class(ld, val);
}

static void
tk_rate(struct loader *ld, void *obj, const yaml_node_t *key,
    const yaml_node_t *val)
{
	struct tk_build *tb = obj;

	(void)ld;
	(void)key;
	tb->rate = val;
}

static void
tk_rates(struct loader *ld, void *obj, const yaml_node_t *key,
    const yaml_node_t *val)
{
	struct tk_build *tb = obj;

	(void)ld;
	(void)key;
	tb->rates = val;
}

static const struct key_handler tk_keys[] = {
	{"id", tk_id},
	{"name", tk_name},
	{"class", tk_class},
	{"rate", tk_rate},
	{"rates", tk_rates},
};

/* One `rate:` is one period open at both ends. */
static void
tk_finish(struct loader *ld, struct tk_build *tb, const yaml_node_t *n)
{
	struct rate_period *rp;

	if (!has_key(ld, n, "id"))
		node_err(ld, n, "timekeeper has no 'id'");
	if (tb->rate != NULL && tb->rates != NULL) {
		node_err(ld, tb->rates, "give 'rate' or 'rates', not both");
		return;
	}
	if (tb->rates != NULL) {
		load_rates(ld, tb->tk, tb->rates);
		return;
	}
	if (tb->rate == NULL)
		return;
	rp = arena_alloc(ld->a, sizeof(*rp));
	rp->from = rp->to = DATE_NONE;
	if (!get_amount(ld, tb->rate, &rp->rate))
		return;
	tb->tk->rates = rp;
	tb->tk->nrates = 1;
}

static void
firm_timekeepers(struct loader *ld, void *obj, const yaml_node_t *key,
    const yaml_node_t *val)
{
	struct firm_build *fb = obj;
	struct firm *f = fb->f;
	const yaml_node_item_t *items;
	struct timekeeper *tks;
	struct tk_build *tb;
	struct ref *refs;
	size_t count, i, k = 0, nr = 0;

	(void)key;
	f->has_roster = true; /* even an empty roster approves no one */
	if (!seq_items(ld, val, "'timekeepers'", &items, &count))
		return;
	tks = arena_alloc(ld->a, (count ? count : 1) * sizeof(*tks));
	tb = xcalloc(count ? count : 1, sizeof(*tb));
	refs = xcalloc(count ? count : 1, sizeof(*refs));
	for (i = 0; i < count; i++) {
		const yaml_node_t *it = item_at(ld, items, i);

		if (it == NULL)
			continue;
		tb[k].tk = &tks[k];
		if (!walk_map(ld, it, "the timekeeper", tk_keys,
		    NELEM(tk_keys), &tb[k]))
			continue;
		tk_finish(ld, &tb[k], it);
		if (tb[k].id != NULL) {
			refs[nr].s = tks[k].id;
			refs[nr].n = strlen(tks[k].id);
			refs[nr].node = tb[k].id;
			refs[nr].order = k;
			nr++;
		}
		k++;
	}
	find_dups(ld, refs, nr, "timekeeper id");
	f->tks = tks;
	f->ntks = k;
	free(refs);
	free(tb);
}

struct matter_build {
	struct matter     *m;
	const yaml_node_t *id;
};

static void
mk_id(struct loader *ld, void *obj, const yaml_node_t *key,
    const yaml_node_t *val)
{
	struct matter_build *mb = obj;

	(void)key;
	mb->m->id = get_id(ld, val);
	if (mb->m->id != NULL)
		mb->id = val;
}

static void
mk_name(struct loader *ld, void *obj, const yaml_node_t *key,
    const yaml_node_t *val)
{
	struct matter_build *mb = obj;

	(void)key;
	mb->m->name = get_text(ld, val);
}

static void
mk_budget(struct loader *ld, void *obj, const yaml_node_t *key,
    const yaml_node_t *val)
{
	struct matter_build *mb = obj;

	(void)key;
	mb->m->has_budget = get_amount(ld, val, &mb->m->budget);
}

static void
mk_cost_center(struct loader *ld, void *obj, const yaml_node_t *key,
    const yaml_node_t *val)
{
	struct matter_build *mb = obj;

	(void)key;
	mb->m->cost_center = get_text(ld, val);
}

static void
mk_po(struct loader *ld, void *obj, const yaml_node_t *key,
    const yaml_node_t *val)
{
	struct matter_build *mb = obj;

	(void)key;
	mb->m->po = get_text(ld, val);
}

static void
mk_po_amount(struct loader *ld, void *obj, const yaml_node_t *key,
    const yaml_node_t *val)
{
	struct matter_build *mb = obj;

	(void)key;
	mb->m->has_po_amount = get_amount(ld, val, &mb->m->po_amount);
}

static const struct key_handler matter_keys[] = {
	{"id", mk_id},
	{"name", mk_name},
	{"budget", mk_budget},
	{"cost_center", mk_cost_center},
	{"po", mk_po},
	{"po_amount", mk_po_amount},
};

static void
firm_matters(struct loader *ld, void *obj, const yaml_node_t *key,
    const yaml_node_t *val)
{
	struct firm_build *fb = obj;
	const yaml_node_item_t *items;
	struct matter *ms;
	struct ref *refs;
	size_t count, i, k = 0, nr = 0;

	(void)key;
	if (!seq_items(ld, val, "'matters'", &items, &count))
		return;
	ms = arena_alloc(ld->a, (count ? count : 1) * sizeof(*ms));
	refs = xcalloc(count ? count : 1, sizeof(*refs));
	for (i = 0; i < count; i++) {
		const yaml_node_t *it = item_at(ld, items, i);
		struct matter_build mb = {&ms[k], NULL};

		if (it == NULL || !walk_map(ld, it, "the matter", matter_keys,
		    NELEM(matter_keys), &mb))
			continue;
		if (!has_key(ld, it, "id"))
			node_err(ld, it, "matter has no 'id'");
		if (mb.id != NULL) {
			refs[nr].s = ms[k].id;
			refs[nr].n = strlen(ms[k].id);
			refs[nr].node = mb.id;
			refs[nr].order = k;
			nr++;
		}
		k++;
	}
	find_dups(ld, refs, nr, "matter id");
	fb->f->matters = ms;
	fb->f->nmatters = k;
	free(refs);
}

static void
firm_id(struct loader *ld, void *obj, const yaml_node_t *key,
    const yaml_node_t *val)
{
	struct firm_build *fb = obj;

	(void)key;
	fb->f->id = get_id(ld, val);
	if (fb->f->id != NULL)
		fb->id = val;
}

static void
firm_name(struct loader *ld, void *obj, const yaml_node_t *key,
    const yaml_node_t *val)
{
	struct firm_build *fb = obj;

	(void)key;
	fb->f->name = get_text(ld, val);
}

/* Kept for after the rules are read: an override may name any of them. */
static void
firm_overrides(struct loader *ld, void *obj, const yaml_node_t *key,
    const yaml_node_t *val)
{
	struct firm_build *fb = obj;

	(void)ld;
	(void)key;
	fb->overrides = val;
}

static const struct key_handler firm_keys[] = {
	{"id", firm_id},
	{"name", firm_name},
	{"timekeepers", firm_timekeepers},
	{"matters", firm_matters},
	{"overrides", firm_overrides},
};

static void
top_firms(struct loader *ld, void *obj, const yaml_node_t *key,
    const yaml_node_t *val)
{
	const yaml_node_item_t *items;
	rule_set *rs = ld->rs;
	struct ref *refs;
	size_t count, i, nr = 0;

	(void)obj;
	(void)key;
	if (!seq_items(ld, val, "'firms'", &items, &count))
		return;
	rs->firms = arena_alloc(ld->a, (count ? count : 1) *
	    sizeof(*rs->firms));
	ld->fb = xcalloc(count ? count : 1, sizeof(*ld->fb));
	for (i = 0; i < count; i++) {
		const yaml_node_t *it = item_at(ld, items, i);
		struct firm_build *fb = &ld->fb[rs->nfirms];

		fb->f = &rs->firms[rs->nfirms];
		if (it == NULL || !walk_map(ld, it, "the firm", firm_keys,
		    NELEM(firm_keys), fb))
			continue;
		if (!has_key(ld, it, "id"))
			node_err(ld, it, "firm has no 'id'");
		rs->nfirms++;
	}
	ld->nfb = rs->nfirms;
	refs = xcalloc(rs->nfirms ? rs->nfirms : 1, sizeof(*refs));
	for (i = 0; i < rs->nfirms; i++) {
		if (ld->fb[i].id == NULL)
			continue;
		refs[nr].s = rs->firms[i].id;
		refs[nr].n = strlen(rs->firms[i].id);
		refs[nr].node = ld->fb[i].id;
		refs[nr].order = i;
		nr++;
	}
	find_dups(ld, refs, nr, "firm id");
	free(refs);
}

/*
 * Overrides: applied once every rule is known
 */

static int
rule_ptr_cmp(const void *a, const void *b)
{
	const struct rule *x = *(const struct rule *const *)a;
	const struct rule *y = *(const struct rule *const *)b;

	return strcmp(x->id ? x->id : "", y->id ? y->id : "");
}

static const struct rule *
rule_by_id(struct loader *ld, const yaml_node_t *key)
{
	struct rule want, *wp = &want;
	const struct rule **hit;

	if (ld->by_id == NULL || strlen(text_of(key)) != len_of(key))
		return NULL;
	memset(&want, 0, sizeof(want));
	want.id = text_of(key);
	hit = bsearch(&wp, ld->by_id, ld->rs->nrules, sizeof(*ld->by_id),
	    rule_ptr_cmp);
	return hit == NULL ? NULL : *hit;
}

static void
override_pair(struct loader *ld, void *obj, const yaml_node_t *key,
    const yaml_node_t *val)
{
	struct firm_build *fb = obj;
	const struct rule *base = rule_by_id(ld, key);
	struct rule_build rb;
	struct suggest sg;
	char q[QBUF], hint[96];
	size_t i;

	if (base == NULL) {
		suggest_init(&sg, key);
		for (i = 0; i < ld->rs->nrules && ld->nerrs < MAX_ERRORS; i++)
			suggest_try(&sg, ld->rs->rules[i].id);
		node_err(ld, key, "override of unknown rule '%s'%s",
		    quote(q, key), suggest_text(hint, sizeof(hint), &sg));
		return;
	}
	memset(&rb, 0, sizeof(rb));
	rb.r = &fb->rules[base->index];
	rb.check = base->check;
	rb.override = true;
	if (val->type != YAML_MAPPING_NODE) {
		node_err(ld, val, "expected a mapping of rule settings for "
		    "'%s', got %s", quote(q, key), node_what(hint, val));
		return;
	}
	walk_pairs(ld, val, rule_pair, &rb);
	rule_dates_check(ld, &rb, val);
}

/* Every listed firm gets its own copy of the rules, then its overrides.
 * The copies share parameter arrays until an override changes one. */
static void
apply_overrides(struct loader *ld)
{
	rule_set *rs = ld->rs;
	struct rule *copy;
	size_t i;

	if (rs->nrules > 0) {
		ld->by_id = xcalloc(rs->nrules, sizeof(*ld->by_id));
		for (i = 0; i < rs->nrules; i++)
			ld->by_id[i] = &rs->rules[i];
		qsort(ld->by_id, rs->nrules, sizeof(*ld->by_id),
		    rule_ptr_cmp);
	}
	for (i = 0; i < ld->nfb; i++) {
		struct firm_build *fb = &ld->fb[i];

		copy = arena_alloc(ld->a, (rs->nrules ? rs->nrules : 1) *
		    sizeof(*copy));
		if (rs->nrules > 0)
			memcpy(copy, rs->rules, rs->nrules * sizeof(*copy));
		fb->rules = copy;
		fb->f->rules = copy;
		if (fb->overrides != NULL)
			walk_dyn(ld, fb->overrides, "'overrides'",
			    override_pair, fb);
	}
}

/*
 * Top level
 */

static void
top_version(struct loader *ld, void *obj, const yaml_node_t *key,
    const yaml_node_t *val)
{
	char q[QBUF];

	(void)obj;
	(void)key;
	ld->version_seen = true;
	if (want_scalar(ld, val, "the format version 1") == NULL)
		return;
	if (!text_is(val, "1"))
		node_err(ld, val, "unsupported rules format version '%s' "
		    "(this billcheck reads version 1)", quote(q, val));
}

static void
top_name(struct loader *ld, void *obj, const yaml_node_t *key,
    const yaml_node_t *val)
{
	const char *s = get_text(ld, val);

	(void)obj;
	(void)key;
	if (s != NULL)
		ld->rs->name = s;
}

static void
top_currency(struct loader *ld, void *obj, const yaml_node_t *key,
    const yaml_node_t *val)
{
	const char *s = want_scalar(ld, val, "a currency code");
	char q[QBUF];

	(void)obj;
	(void)key;
	if (s == NULL)
		return;
	if (len_of(val) != 3 || s[0] < 'A' || s[0] > 'Z' || s[1] < 'A' ||
	    s[1] > 'Z' || s[2] < 'A' || s[2] > 'Z') {
		node_err(ld, val, "expected a 3-letter currency code such as "
		    "USD, got '%s'", quote(q, val));
		return;
	}
	ld->rs->currency = arena_strndup(ld->a, s, 3);
}

/* A field name key of input.columns or input.defaults. */
static enum field_id
field_key(struct loader *ld, const yaml_node_t *key, yaml_mark_t *marks,
    bool *seen)
{
	enum field_id f = field_lookup(text_of(key), len_of(key));
	char q[QBUF];

	if (f == F__COUNT) {
		node_err(ld, key, "unknown field '%s'", quote(q, key));
		return F__COUNT;
	}
	if (seen[f]) {
		/* Two spellings of one field ("LAW_FIRM_ID", "Law Firm ID"). */
		node_err(ld, key, "duplicate field '%s' (first at %lu:%lu)",
		    field_name(f), (unsigned long)marks[f].line + 1,
		    (unsigned long)marks[f].column + 1);
		return F__COUNT;
	}
	seen[f] = true;
	marks[f] = key->start_mark;
	return f;
}

static void
column_pair(struct loader *ld, void *obj, const yaml_node_t *key,
    const yaml_node_t *val)
{
	enum field_id f = field_key(ld, key, ld->field_marks, ld->field_seen);
	const char *s;

	(void)obj;
	if (f == F__COUNT)
		return;
	s = get_text(ld, val);
	if (s != NULL)
		ld->rs->columns[f] = s;
}

static void
default_pair(struct loader *ld, void *obj, const yaml_node_t *key,
    const yaml_node_t *val)
{
	enum field_id f = field_key(ld, key, ld->dfield_marks,
	    ld->dfield_seen);
	const char *s;

	(void)obj;
	if (f == F__COUNT)
		return;
	s = get_text(ld, val);
	if (s != NULL)
		ld->rs->defaults[f] = s;
}

static void
input_columns(struct loader *ld, void *obj, const yaml_node_t *key,
    const yaml_node_t *val)
{
	(void)obj;
	(void)key;
	walk_dyn(ld, val, "'columns'", column_pair, NULL);
}

static void
input_defaults(struct loader *ld, void *obj, const yaml_node_t *key,
    const yaml_node_t *val)
{
	(void)obj;
	(void)key;
	walk_dyn(ld, val, "'defaults'", default_pair, NULL);
}

/* Slashed dates need the order settled; the others read either way. */
static void
input_date_format(struct loader *ld, void *obj, const yaml_node_t *key,
    const yaml_node_t *val)
{
	static const char *const formats[] = {"MM/DD/YYYY", "DD/MM/YYYY",
		"YYYY-MM-DD", "YYYYMMDD", NULL};
	int i = get_choice(ld, val, "date format", formats);

	(void)obj;
	(void)key;
	if (i < 0)
		return;
	ld->rs->has_date_form = true;
	ld->rs->date_form = i == 1 ? DATE_DMY : DATE_AUTO;
}

static const struct key_handler input_keys[] = {
	{"columns", input_columns},
	{"date_format", input_date_format},
	{"defaults", input_defaults},
};

static void
top_input(struct loader *ld, void *obj, const yaml_node_t *key,
    const yaml_node_t *val)
{
	(void)obj;
	(void)key;
	if (!is_null(val))
		walk_map(ld, val, "'input'", input_keys, NELEM(input_keys),
		    NULL);
}

static void
cap_pair(struct loader *ld, void *obj, const yaml_node_t *key,
    const yaml_node_t *val)
{
	yaml_mark_t *marks = obj;
	rule_set *rs = ld->rs;
	const char *c = get_class(ld, key);
	char q[QBUF];
	size_t i;
	int64_t v;

	if (c == NULL || !get_amount(ld, val, &v))
		return;
	for (i = 0; i < rs->ncaps; i++) {
		if (rs->caps[i].class == c) {
			/* PT and PARTNR are one class. */
			node_err(ld, key, "duplicate class '%s' (first at "
			    "%lu:%lu)", quote(q, key),
			    (unsigned long)marks[i].line + 1,
			    (unsigned long)marks[i].column + 1);
			return;
		}
	}
	marks[rs->ncaps] = key->start_mark;
	rs->caps[rs->ncaps].class = c;
	rs->caps[rs->ncaps].amount = v;
	rs->ncaps++;
}

static void
top_rate_caps(struct loader *ld, void *obj, const yaml_node_t *key,
    const yaml_node_t *val)
{
	yaml_mark_t *marks;
	size_t np = 1;

	(void)obj;
	(void)key;
	if (val->type == YAML_MAPPING_NODE)
		np += (size_t)(val->data.mapping.pairs.top -
		    val->data.mapping.pairs.start);
	ld->rs->caps = arena_alloc(ld->a, np * sizeof(*ld->rs->caps));
	marks = xcalloc(np, sizeof(*marks));
	walk_dyn(ld, val, "'rate_caps'", cap_pair, marks);
	free(marks);
}

static const struct key_handler top_keys[] = {
	{"billcheck", top_version},
	{"name", top_name},
	{"currency", top_currency},
	{"input", top_input},
	{"rate_caps", top_rate_caps},
	{"firms", top_firms},
	{"rules", top_rules},
};

/*
 * Loading
 */

/* The first pass, over events: libyaml's syntax errors, anchors and
 * aliases, and a second document.  Aliases are refused here, before the
 * document API would share their nodes: walking a shared tree is how a
 * billion laughs gets in.  Returns -1 when the document must not be
 * walked. */
static int
scan_events(struct loader *ld)
{
	yaml_parser_t p;
	yaml_event_t e;
	const yaml_char_t *anchor;
	int ndocs = 0, depth = 0, rc = 0;
	bool done = false;

	if (!yaml_parser_initialize(&p))
		yaml_oom();
	yaml_parser_set_encoding(&p, YAML_UTF8_ENCODING);
	yaml_parser_set_input_string(&p, (const unsigned char *)ld->src.buf,
	    ld->src.len);
	while (!done) {
		if (!yaml_parser_parse(&p, &e)) {
			parser_err(ld, &p);
			rc = -1;
			break;
		}
		anchor = NULL;
		switch (e.type) {
		case YAML_DOCUMENT_START_EVENT:
			if (++ndocs == 2)
				mark_err(ld, e.start_mark, e.end_mark,
				    DIAG_SYNTAX, "a rules file holds one YAML "
				    "document; found a second");
			break;
		case YAML_ALIAS_EVENT:
			mark_err(ld, e.start_mark, e.end_mark, DIAG_SCHEMA,
			    "aliases are not allowed in a rules file "
			    "('*%.*s')", QUOTE_MAX,
			    (const char *)e.data.alias.anchor);
			rc = -1;
			break;
		case YAML_SCALAR_EVENT:
			anchor = e.data.scalar.anchor;
			break;
		case YAML_SEQUENCE_START_EVENT:
			anchor = e.data.sequence_start.anchor;
			depth++;
			break;
		case YAML_MAPPING_START_EVENT:
			anchor = e.data.mapping_start.anchor;
			depth++;
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			depth--;
			break;
		case YAML_STREAM_END_EVENT:
			done = true;
			break;
		default:
			break;
		}
		if (anchor != NULL) {
			yaml_mark_t end = e.start_mark;

			end.column += 1 + strlen((const char *)anchor);
			mark_err(ld, e.start_mark, end, DIAG_SCHEMA,
			    "anchors are not allowed in a rules file ('&%.*s')",
			    QUOTE_MAX, (const char *)anchor);
		}
		if (depth > MAX_DEPTH) {
			mark_err(ld, e.start_mark, e.end_mark, DIAG_LIMIT,
			    "nested more than %d levels deep", MAX_DEPTH);
			rc = -1;
			done = true;
		}
		yaml_event_delete(&e);
	}
	yaml_parser_delete(&p);
	return rc;
}

static void
load_document(struct loader *ld)
{
	yaml_parser_t p;
	yaml_document_t doc;
	const yaml_node_t *root;
	yaml_mark_t start;

	if (!yaml_parser_initialize(&p))
		yaml_oom();
	yaml_parser_set_encoding(&p, YAML_UTF8_ENCODING);
	yaml_parser_set_input_string(&p, (const unsigned char *)ld->src.buf,
	    ld->src.len);
	if (!yaml_parser_load(&p, &doc)) {
		parser_err(ld, &p);
		goto out;
	}
	ld->doc = &doc;
	root = yaml_document_get_root_node(&doc);
	if (root == NULL) {
		memset(&start, 0, sizeof(start));
		mark_err(ld, start, start, DIAG_SCHEMA, "the rules file is "
		    "empty; it needs at least 'billcheck: 1'");
	} else if (walk_map(ld, root, "the rules file", top_keys,
	    NELEM(top_keys), NULL)) {
		if (!ld->version_seen)
			mark_err(ld, root->start_mark, root->start_mark,
			    DIAG_SCHEMA, "missing 'billcheck: 1' (the rules "
			    "format version)");
		apply_overrides(ld);
	}
	yaml_document_delete(&doc);
	ld->doc = NULL;
out:
	yaml_parser_delete(&p);
}

static int
diag_cmp(const void *a, const void *b)
{
	const struct diag *x = *(const struct diag *const *)a;
	const struct diag *y = *(const struct diag *const *)b;

	if (x->pos.line != y->pos.line)
		return x->pos.line < y->pos.line ? -1 : 1;
	if (x->pos.col != y->pos.col)
		return x->pos.col < y->pos.col ? -1 : 1;
	return x < y ? -1 : x > y; /* in the order found */
}

/* Prints every error in file order (those in checks' defaults last) and
 * keeps the first in *d. */
static void
report(struct loader *ld, FILE *errfp, struct diag *d)
{
	struct diag **v = xmalloc(ld->nerrs * sizeof(*v));
	size_t i, n = 0;

	for (i = 0; i < ld->nerrs; i++)
		if (ld->errs[i].pos.file == ld->src.name)
			v[n++] = &ld->errs[i];
	qsort(v, n, sizeof(*v), diag_cmp);
	for (i = 0; i < ld->nerrs; i++)
		if (ld->errs[i].pos.file != ld->src.name)
			v[n++] = &ld->errs[i];
	if (d != NULL)
		*d = *v[0];
	for (i = 0; errfp != NULL && i < n; i++)
		diag_print(errfp, v[i], "error");
	if (errfp != NULL && ld->dropped > 0)
		fprintf(errfp, "billcheck: %s: error: %lu more error%s not "
		    "shown\n", ld->src.name, ld->dropped,
		    ld->dropped == 1 ? "" : "s");
	free(v);
}

int
rules_load(rule_set **out, const char *name, const char *buf, size_t len,
    FILE *errfp, struct diag *d)
{
	struct loader ld;
	struct diag_pos pos = {name, 0, 0};
	struct diag tmp;
	rule_set *rs;
	arena *a;
	int rc = -1;

	*out = NULL;
	if (d == NULL)
		d = &tmp;
	if (len > RULES_MAX_BYTES) {
		diag_set(d, DIAG_LIMIT, pos, "rules file is too large (%zu "
		    "bytes; the limit is %zu)", len, RULES_MAX_BYTES);
		if (errfp != NULL)
			diag_print(errfp, d, "error");
		return -1;
	}
	memset(&ld, 0, sizeof(ld));
	a = arena_new();
	rs = arena_alloc(a, sizeof(*rs));
	rs->arena = a;
	rs->file = arena_strdup(a, name);
	rs->name = "";
	ld.a = a;
	ld.rs = rs;
	ld.src.name = name;
	ld.src.buf = buf;
	ld.src.len = len;
	/* With its encoding fixed to UTF-8 (so a UTF-16 file is an error, not
	 * a file whose offsets we would get wrong), libyaml reads a BOM as
	 * a character in column 0 and then misjudges the indentation.  The
	 * BOM carries nothing, so the parser never sees it. */
	if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0) {
		ld.src.buf = buf + 3;
		ld.src.len = len - 3;
	}
	if (scan_events(&ld) == 0)
		load_document(&ld);
	if (ld.nerrs > 0 || ld.dropped > 0) {
		report(&ld, errfp, d);
		goto out;
	}
	sha256_hex(rs->sha256, buf, len);
	*out = rs;
	rs = NULL;
	rc = 0;
out:
	free(ld.by_id);
	free(ld.rule_ids);
	free(ld.fb);
	free(ld.dflts);
	free(ld.errs);
	if (rs != NULL)
		arena_free(a);
	return rc;
}

void
rules_free(rule_set *rs)
{
	if (rs != NULL)
		arena_free(rs->arena); /* rs itself lives in the arena */
}

/*
 * Accessors
 */

const char *
severity_name(enum severity s)
{
	switch (s) {
	case SEV_INFO:
		return "info";
	case SEV_WARNING:
		return "warning";
	case SEV_ERROR:
		return "error";
	}
	return "unknown";
}

const char *
rules_name(const rule_set *rs)
{
	return rs->name;
}

const char *
rules_file(const rule_set *rs)
{
	return rs->file;
}

const char *
rules_sha256(const rule_set *rs)
{
	return rs->sha256;
}

const char *
rules_currency(const rule_set *rs)
{
	return rs->currency;
}

const struct rule *
rules_list(const rule_set *rs, size_t *n)
{
	*n = rs->nrules;
	return rs->rules;
}

const struct rule *
rules_for_firm(const rule_set *rs, const char *firm_id, size_t len)
{
	const struct firm *f = rules_firm(rs, firm_id, len);

	return f != NULL ? f->rules : rs->rules;
}

size_t
rules_nfirms(const rule_set *rs)
{
	return rs->nfirms;
}

const struct firm *
rules_firm_at(const rule_set *rs, size_t i)
{
	return i < rs->nfirms ? &rs->firms[i] : NULL;
}

static bool
id_eq(const char *id, const char *s, size_t len)
{
	return id != NULL && strlen(id) == len && memcmp(id, s, len) == 0;
}

const struct firm *
rules_firm(const rule_set *rs, const char *id, size_t len)
{
	size_t i;

	for (i = 0; i < rs->nfirms; i++)
		if (id_eq(rs->firms[i].id, id, len))
			return &rs->firms[i];
	return NULL;
}

const struct timekeeper *
firm_timekeeper(const struct firm *f, const char *id, size_t len)
{
	size_t i;

	for (i = 0; i < f->ntks; i++)
		if (id_eq(f->tks[i].id, id, len))
			return &f->tks[i];
	return NULL;
}

const struct matter *
firm_matter(const struct firm *f, const char *id, size_t len)
{
	size_t i;

	for (i = 0; i < f->nmatters; i++)
		if (id_eq(f->matters[i].id, id, len))
			return &f->matters[i];
	return NULL;
}

int64_t
timekeeper_rate_on(const struct timekeeper *tk, int32_t date)
{
	size_t i;

	for (i = 0; i < tk->nrates; i++) {
		const struct rate_period *p = &tk->rates[i];

		if ((p->from == DATE_NONE || date >= p->from) &&
		    (p->to == DATE_NONE || date <= p->to))
			return p->rate;
	}
	return -1;
}

int64_t
rules_rate_cap(const rule_set *rs, const char *class)
{
	size_t i;

	if (class == NULL)
		return -1;
	for (i = 0; i < rs->ncaps; i++)
		if (strcmp(rs->caps[i].class, class) == 0)
			return rs->caps[i].amount;
	return -1;
}

/* Only DD/MM/YYYY changes how dates read, so only it is carried over, and
 * only onto the default DATE_AUTO. */
void
rules_input_opts(const rule_set *rs, struct input_opts *opts)
{
	int f;

	for (f = 0; f < F__COUNT; f++) {
		if (opts->columns[f] == NULL)
			opts->columns[f] = rs->columns[f];
		if (opts->defaults[f] == NULL)
			opts->defaults[f] = rs->defaults[f];
	}
	if (rs->has_date_form && opts->date_form == DATE_AUTO)
		opts->date_form = rs->date_form;
}
