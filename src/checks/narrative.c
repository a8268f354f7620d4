/* narrative.c - helpers of the narrative checks (see narrative.h). */
#include <stdlib.h>
#include <string.h>

#include "decimal.h"
#include "narrative.h"
#include "xalloc.h"

phrase_set *
narr_phrases_get(struct narr_phrases *c, const struct param_value *pv,
    const char *const *dflt, size_t ndflt)
{
	const char *const *v = dflt;
	size_t n = ndflt, i;

	if (pv->set) {
		v = pv->u.list.v;
		n = pv->u.list.n;
	}
	/* Firm overrides share the rule's list unless they change it, so
	 * this stays a handful of entries. */
	for (i = 0; i < c->n; i++)
		if (c->e[i].v == v && c->e[i].n == n)
			return c->e[i].ps;
	xgrow(&c->e, &c->cap, c->n + 1, sizeof(*c->e));
	c->e[c->n].v = v;
	c->e[c->n].n = n;
	c->e[c->n].ps = phrase_set_new(v, n);
	return c->e[c->n++].ps;
}

void
narr_phrases_fini(struct narr_phrases *c)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		phrase_set_free(c->e[i].ps);
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
narr_outer_matches(const phrase_set *ps, const char *s, size_t n,
    struct phrase_match *m, size_t max)
{
	struct outer o;

	o.m = m;
	o.n = 0;
	o.max = max;
	o.s = s;
	o.len = n;
	if (max > 0)
		phrase_scan(ps, s, n, keep_outer, &o);
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

static bool
same_code(const char *a, struct text b)
{
	size_t i;

	if (strlen(a) != b.n)
		return false;
	for (i = 0; i < b.n; i++) {
		unsigned char x = (unsigned char)a[i];
		unsigned char y = (unsigned char)b.p[i];

		if (x >= 'a' && x <= 'z')
			x = (unsigned char)(x - 32);
		if (y >= 'a' && y <= 'z')
			y = (unsigned char)(y - 32);
		if (x != y)
			return false;
	}
	return true;
}

bool
narr_code_listed(struct text code, const struct param_value *pv,
    const char *const *dflt, size_t ndflt)
{
	const char *const *v = dflt;
	size_t n = ndflt, i;

	if (code.n == 0)
		return false;
	if (pv->set) {
		v = pv->u.list.v;
		n = pv->u.list.n;
	}
	for (i = 0; i < n; i++)
		if (v[i] != NULL && same_code(v[i], code))
			return true;
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
narr_event_state_new(const struct param_value *phrases,
    const char *const *defaults, size_t n)
{
	struct narr_event_state *s = xcalloc(1, sizeof(*s));

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
