/* narrative.c - helpers of the narrative checks (see narrative.h): the
 * run's one scanner of narratives, codes, amounts and events. */
#include <stdlib.h>
#include <string.h>

#include "decimal.h"
#include "narrative.h"
#include "xalloc.h"

/* The scanner: its lists (copies, kept to rebuild the automaton when a
 * list comes later), the automaton, and the line last scanned. */
struct narr_scan {
	struct narr_scan_head head; /* first: see narr_scan_line; hits.ps
	                               is NULL until built */
	struct narr_reg {
		char  **v;
		size_t  n;
	}                *lists;
	size_t            nlists, cap;
	phrase_set       *ahead_ps; /* the scan ahead's; kept when rebuilt */
	struct phrase_hits ahead_scratch; /* its scan, before packing */
	bool              has_ahead; /* its job is added */
};

static void *
scan_new(void)
{
	return xcalloc(1, sizeof(struct narr_scan));
}

static void
scan_free(void *p)
{
	struct narr_scan *sc = p;
	size_t i, k;

	for (i = 0; i < sc->nlists; i++) {
		for (k = 0; k < sc->lists[i].n; k++)
			free(sc->lists[i].v[k]);
		free(sc->lists[i].v);
	}
	free(sc->lists);
	if (sc->ahead_ps != sc->head.hits.ps)
		phrase_set_free(sc->ahead_ps);
	phrase_set_free(sc->head.hits.ps);
	phrase_hits_fini(&sc->head.hits.h);
	phrase_hits_fini(&sc->ahead_scratch);
	free(sc);
}

/* Names the scanner among the run's shared objects. */
static const char scan_key;

static void rebuild(narr_scan *sc);

/* The scan ahead: with the automaton of the lists added by then, which
 * no rebuild frees or changes. */
static void
ahead_start(void *arg)
{
	narr_scan *sc = arg;

	if (sc->head.stale || sc->head.hits.ps == NULL)
		rebuild(sc);
	sc->ahead_ps = sc->head.hits.ps;
}

/* Scans into one scratch result, which holds room for the longest text,
 * then keeps a packed copy with the line: the pipeline holds a thousand
 * lines. */
static void
ahead_run(void *arg, const struct invoice_line *l, void *out)
{
	narr_scan *sc = arg;
	struct narr_hits *a = out;
	struct text t = narr_text(l);

	phrase_scan_hits(sc->ahead_ps, t.p, t.n, &sc->ahead_scratch);
	phrase_hits_pack(&a->h, &sc->ahead_scratch, sc->ahead_ps);
	a->ps = sc->ahead_ps;
	a->t = t;
	a->line = l;
	a->record = l->record;
	a->file = l->file_index;
}

static void
ahead_fini(void *out)
{
	struct narr_hits *a = out;

	phrase_hits_fini(&a->h);
}

static const struct check_ahead scan_ahead = {
	.size = sizeof(struct narr_hits), .start = ahead_start,
	.run = ahead_run, .fini = ahead_fini
};

narr_scan *
narr_scan_of(struct check_ctx *cx)
{
	narr_scan *sc = check_shared(cx, &scan_key, scan_new, scan_free);

	if (!sc->has_ahead) {
		sc->head.ahead = check_ahead_add(cx, &scan_ahead, sc);
		sc->has_ahead = true;
	}
	return sc;
}

static bool
same_list(const struct narr_reg *r, const char *const *v, size_t n)
{
	size_t i;

	if (r->n != n)
		return false;
	for (i = 0; i < n; i++)
		if ((r->v[i] == NULL) != (v[i] == NULL) ||
		    (v[i] != NULL && strcmp(r->v[i], v[i]) != 0))
			return false;
	return true;
}

size_t
narr_scan_add(narr_scan *sc, const char *const *v, size_t n)
{
	struct narr_reg *r;
	size_t i;

	for (i = 0; i < sc->nlists; i++)
		if (same_list(&sc->lists[i], v, n))
			return i;
	xgrow(&sc->lists, &sc->cap, sc->nlists + 1, sizeof(*sc->lists));
	r = &sc->lists[sc->nlists];
	r->n = n;
	r->v = xcalloc(n ? n : 1, sizeof(*r->v));
	for (i = 0; i < n; i++)
		r->v[i] = v[i] != NULL ? xstrdup(v[i]) : NULL;
	sc->head.stale = true;
	sc->head.hits.line = NULL;
	return sc->nlists++;
}

static void
rebuild(narr_scan *sc)
{
	struct phrase_list *pl = xcalloc(sc->nlists ? sc->nlists : 1,
	    sizeof(*pl));
	size_t i;

	for (i = 0; i < sc->nlists; i++) {
		pl[i].v = (const char *const *)sc->lists[i].v;
		pl[i].n = sc->lists[i].n;
	}
	if (sc->head.hits.ps != sc->ahead_ps)
		phrase_set_free(sc->head.hits.ps);
	sc->head.hits.ps = phrase_set_new_lists(pl, sc->nlists);
	free(pl);
	sc->head.stale = false;
}

struct narr_hits *
narr_scan_new_line(narr_scan *sc, const struct invoice_line *l)
{
	struct text t = narr_text(l);

	if (sc->head.stale || sc->head.hits.ps == NULL)
		rebuild(sc);
	phrase_scan_hits(sc->head.hits.ps, t.p, t.n, &sc->head.hits.h);
	sc->head.hits.t = t;
	sc->head.hits.line = l;
	sc->head.hits.file = l->file_index;
	sc->head.hits.record = l->record;
	return &sc->head.hits;
}

size_t
narr_each(const struct narr_hits *nh, size_t list, phrase_fn fn, void *ctx)
{
	return phrase_hits_each(nh->ps, &nh->h, list, fn, ctx);
}

const char *
narr_phrase(const struct narr_hits *nh, size_t list, size_t id)
{
	return phrase_set_list_phrase(nh->ps, list, id);
}

size_t
narr_phrases_add(struct narr_phrases *c, const char *const *v, size_t n)
{
	size_t i;

	/* Firm overrides share the rule's list unless they change it, so
	 * this stays a handful of entries. */
	for (i = 0; i < c->n; i++)
		if (c->e[i].v == v && c->e[i].n == n)
			return c->e[i].id;
	xgrow(&c->e, &c->cap, c->n + 1, sizeof(*c->e));
	c->e[c->n].v = v;
	c->e[c->n].n = n;
	c->e[c->n].id = narr_scan_add(c->sc, v, n);
	return c->e[c->n++].id;
}

void
narr_phrases_fini(struct narr_phrases *c)
{
	free(c->e);
	memset(c, 0, sizeof(*c));
}

struct outer {
	struct phrase_match *m;
	size_t n, max;
	const char *s;
	size_t len;
};

static bool
keep_outer(void *ctx, const struct phrase_match *pm)
{
	struct outer *o = ctx;
	struct phrase_match x = *pm;
	size_t i, j;

	while (x.end < o->len && phrase_word_byte((unsigned char)o->s[x.end]))
		x.end++;
	for (i = 0; i < o->n; i++)
		if (o->m[i].start <= x.start && x.end <= o->m[i].end)
			return true; /* inside one already kept */
	/* Drop those this one contains, keeping text order. */
	for (i = j = 0; i < o->n; i++)
		if (!(x.start <= o->m[i].start && o->m[i].end <= x.end))
			o->m[j++] = o->m[i];
	o->n = j;
	if (o->n == o->max)
		return true;
	for (i = o->n; i > 0 && o->m[i - 1].start > x.start; i--)
		o->m[i] = o->m[i - 1];
	o->m[i] = x;
	o->n++;
	return true;
}

size_t
narr_outer_matches(const struct narr_hits *nh, size_t list,
    struct phrase_match *m, size_t max)
{
	struct outer o;

	o.m = m;
	o.n = 0;
	o.max = max;
	o.s = nh->t.p;
	o.len = nh->t.n;
	if (max > 0 && narr_any(nh, list))
		narr_each(nh, list, keep_outer, &o);
	return o.n;
}

struct text
narr_text(const struct invoice_line *l)
{
	return l->field[F_LINE_ITEM_DESCRIPTION];
}

int64_t
narr_line_risk(const struct rule *r, const struct invoice_line *l)
{
	int64_t v;

	if (l->num[N_TOTAL] <= 0)
		return 0;
	if (dec_mul(&v, l->num[N_TOTAL], r->reduction) < 0)
		return l->num[N_TOTAL];
	return v < 0 ? 0 : v;
}

int
narr_clip(const char *s, size_t n, size_t max)
{
	if (n <= max)
		return (int)n;
	n = max;
	/* Back off continuation bytes so a character is never cut. */
	while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
		n--;
	return (int)n;
}

bool
narr_code_listed(struct text code, const struct param_value *pv,
    const char *const *dflt, size_t ndflt)
{
	const char *const *v = dflt;
	size_t n = ndflt, i, k;

	if (code.n == 0)
		return false;
	if (pv->set) {
		v = pv->u.list.v;
		n = pv->u.list.n;
	}
	/* Case-insensitive and exact in length, without strlen: codes are
	 * a few bytes, mostly written as listed. */
	for (i = 0; i < n; i++) {
		const unsigned char *a = (const unsigned char *)v[i];

		if (a == NULL)
			continue;
		for (k = 0; k < code.n; k++) {
			unsigned char x = a[k], y = (unsigned char)code.p[k];

			/* Equal but for case: equal but for bit 0x20, and a
			 * letter. */
			if (x != y && (x == '\0' || (x ^ y) != 0x20 ||
			    (x | 0x20) < 'a' || (x | 0x20) > 'z'))
				break;
		}
		if (k == code.n && a[k] == '\0')
			return true;
	}
	return false;
}

void
narr_event_init(struct narr_event *ev)
{
	ev->events = keymap_new(sizeof(struct narr_event_day));
	ev->people = keymap_new(sizeof(unsigned));
}

void
narr_event_fini(struct narr_event *ev)
{
	keymap_free(ev->events);
	keymap_free(ev->people);
	memset(ev, 0, sizeof(*ev));
}

struct text
narr_matter(const struct invoice_line *l)
{
	if (l->field[F_LAW_FIRM_MATTER_ID].n > 0)
		return l->field[F_LAW_FIRM_MATTER_ID];
	return l->field[F_CLIENT_MATTER_ID];
}

#define KEY_PART_MAX 180

unsigned
narr_event_add(struct narr_event *ev, const struct invoice_line *l,
    const struct narr_event_day **day)
{
	struct text firm = l->field[F_LAW_FIRM_ID], matter = narr_matter(l);
	struct text tk = l->field[F_TIMEKEEPER_ID];
	struct narr_event_day *d;
	const void *parts[4];
	size_t lens[4], klen, dlen;
	char key[640];
	unsigned *place;
	int32_t date = l->date;
	bool created;

	if (tk.n == 0)
		tk = l->field[F_TIMEKEEPER_NAME];
	if (tk.n == 0)
		return 0;
	/* Ids are clipped so the key always fits; no real id is near. */
	parts[0] = firm.p;
	lens[0] = firm.n < KEY_PART_MAX ? firm.n : KEY_PART_MAX;
	parts[1] = matter.p;
	lens[1] = matter.n < KEY_PART_MAX ? matter.n : KEY_PART_MAX;
	parts[2] = &date;
	lens[2] = sizeof(date);
	parts[3] = tk.p;
	lens[3] = tk.n < KEY_PART_MAX ? tk.n : KEY_PART_MAX;
	dlen = keymap_key(key, sizeof(key), parts, lens, 3);
	klen = keymap_key(key, sizeof(key), parts, lens, 4);
	/* The day's key is a prefix of the person's, built first. */
	place = keymap_put(ev->people, key, klen, &created);
	if (!created) {
		*day = keymap_get(ev->events, key, dlen);
		return *place;
	}
	d = keymap_put(ev->events, key, dlen, &created);
	if (created) {
		int n = narr_clip(tk.p, tk.n, NARR_ID_MAX);

		memcpy(d->first, tk.p, (size_t)n);
		d->first[n] = '\0';
	}
	*place = ++d->count;
	*day = d;
	return *place;
}

void *
narr_event_state_new(struct check_ctx *cx, const struct param_value *phrases,
    const char *const *defaults, size_t n)
{
	struct narr_event_state *s = xcalloc(1, sizeof(*s));

	s->phrases.sc = narr_scan_of(cx);
	narr_phrases_get(&s->phrases, phrases, defaults, n);
	narr_event_init(&s->ev);
	return s;
}

void
narr_event_state_free(void *state)
{
	struct narr_event_state *s = state;

	narr_phrases_fini(&s->phrases);
	narr_event_fini(&s->ev);
	free(s);
}
