/* phrase.c - many phrases of many lists matched in one pass: an
 * Aho-Corasick automaton over case-folded word bytes and two gap symbols,
 * with word boundaries checked where matches end. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "phrase.h"
#include "xalloc.h"

/*
 * The text is read as a stream of symbols: each word byte is one symbol
 * (its folded value, or SYM_OTHER for bytes no phrase uses), and each run
 * of separators between two words is one SYM_SOFT or SYM_HARD followed by
 * SYM_WORD.  Phrases are compiled to the same symbols, so one table step
 * per byte runs every phrase of every list at once, and the automaton is
 * a full transition table (a DFA).
 *
 * Whole words: every word of the text and of a phrase starts with
 * SYM_WORD, so a match can only start where a word starts ("one" is never
 * looked for inside "phone"), and inside a word that cannot begin a phrase
 * the automaton stays at its root.  A phrase ends with a word byte, and
 * outputs are looked at only where a text word ends, so a match also ends
 * on a word end.
 *
 * The table as scanned: a state is its row's offset, so a step is one add
 * and one load.  Columns SYM_SOFT and SYM_HARD hold the gap step composed
 * with the SYM_WORD step after it (a gap is always followed by a word), so
 * a word start is one load too.  Two extra columns per row name the
 * state's outputs: whole-word phrases that end there (looked at when a
 * word ends) and '*' phrases.  The few states with '*' outputs are laid
 * out past a power of two (pmask) that every other row is below, so the
 * scan ORs the states it goes through and looks at '*' outputs only in
 * the rare text that reached one.
 */
enum {
	SYM_SOFT = 0,  /* spaces, hyphens, slashes, quotes... */
	SYM_HARD = 1,  /* clause punctuation: ; , . : ! ? ( ) [ ] { } | */
	SYM_WORD = 2,  /* a word starts */
	SYM_OTHER = 3, /* a word byte that appears in no phrase */
	SYM_FIRST = 4  /* the first folded byte's symbol */
};

/* One phrase that ends in some state: what a match reports. */
struct phrase_out {
	/* the match, made to be copied: its word is minus its words (mod
	 * 2^32), so adding the word after the last gives the first */
	struct phrase_hit hit;
	uint32_t          list;
};

/* The outputs of one state, longest phrase first. */
struct phrase_range {
	uint32_t beg, end; /* outs[beg, end) */
};

struct plist {
	char  **phrases; /* copies as given (NULL stays NULL) */
	size_t  n;
};

struct phrase_set {
	struct plist        *lists;
	size_t               nlists;
	unsigned char        map[256]; /* byte -> symbol */
	size_t               nsym;
	size_t               width;    /* nsym + 2 columns per row */
	uint32_t            *delta;
	uint32_t             pmask;    /* the bit of rows with '*' outputs */
	struct phrase_out   *outs;
	struct phrase_range *rng;      /* rng[0] is "none" */
	size_t               nrng;
	uint32_t             maxper;   /* most outputs of a list in a range */
};

const unsigned char phrase_byte_kind[256] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 1, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 1, 0, 1, 0,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 1, 1, 0, 0, 0, 1,
	0, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 1, 0, 1, 0, 0,
	0, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 1, 1, 1, 0, 0,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
};

/* Each separator's PHRASE_GAP_* bit; 0 for word bytes. */
#define SP PHRASE_GAP_SPACE
#define LN PHRASE_GAP_LINE
#define CM (PHRASE_GAP_COMMA | PHRASE_GAP_HARD)
#define SC (PHRASE_GAP_SEMI | PHRASE_GAP_HARD)
#define ST (PHRASE_GAP_STOP | PHRASE_GAP_HARD)
#define AN PHRASE_GAP_AND
#define HY PHRASE_GAP_HYPHEN
#define PA (PHRASE_GAP_PAREN | PHRASE_GAP_HARD)
#define OT PHRASE_GAP_OTHER
static const uint16_t gap_class[256] = {
	OT, OT, OT, OT, OT, OT, OT, OT, OT, SP, LN, OT, OT, SP, OT, OT,
	OT, OT, OT, OT, OT, OT, OT, OT, OT, OT, OT, OT, OT, OT, OT, OT,
	SP, ST, OT, OT, OT, OT, AN, OT, PA, PA, OT, AN, CM, HY, ST, AN,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, CM, SC, OT, OT, OT, ST,
	OT, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, PA, OT, PA, OT, OT,
	OT, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, PA, PA, PA, OT, OT,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
};
#undef SP
#undef LN
#undef CM
#undef SC
#undef ST
#undef AN
#undef HY
#undef PA
#undef OT

static unsigned char
fold(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c - 'A' + 'a') : c;
}

/* ---- building ------------------------------------------------------ */

/* An output while the trie is built: a chain per state. */
struct bout {
	uint32_t list, id;
	int32_t  next;
};

struct build {
	uint32_t     *go;      /* nstates x nsym trie edges; 0 = none (the
	                          root is never a child) */
	size_t        nstates, capstates;
	uint32_t     *kid;     /* state -> first child, or 0 */
	uint32_t     *sib;     /* state -> next child of its parent, or 0 */
	uint16_t     *sym;     /* state -> symbol of the edge to it */
	int32_t      *wout;    /* state -> first whole-word output, or -1 */
	int32_t      *pout;    /* state -> first '*' output, or -1 */
	uint32_t     *nwords;  /* state -> words on its path */
	struct bout  *outs;
	size_t        nouts, capouts;
};

/* A new state under u by symbol c (u == c == 0 for the root); room for
 * capstates was made at the start. */
static uint32_t
node_new(const struct phrase_set *ps, struct build *b, uint32_t u,
    uint16_t c, uint32_t words)
{
	uint32_t v = (uint32_t)b->nstates++;

	b->wout[v] = -1;
	b->pout[v] = -1;
	b->nwords[v] = words;
	b->kid[v] = 0;
	b->sym[v] = c;
	if (v != 0) {
		b->go[(size_t)u * ps->nsym + c] = v;
		b->sib[v] = b->kid[u];
		b->kid[u] = v;
	}
	return v;
}

/* The symbols of phrase p, into sym (room for 2 * strlen(p) entries).  Returns
 * the count, 0 for a phrase that can never match; *words and *prefix get
 * its word count and whether it ends in '*'. */
static size_t
compile_phrase(const struct phrase_set *ps, const char *p, uint16_t *sym,
    unsigned *words, bool *prefix)
{
	size_t n = strlen(p), i, k = 0;
	bool gap = false, hard = false;

	*words = 0;
	*prefix = false;
	while (n > 0 && !phrase_word_byte((unsigned char)p[n - 1])) {
		if (p[n - 1] == '*')
			*prefix = true;
		if (p[n - 1] == '*' || p[n - 1] == ' ' || p[n - 1] == '\t')
			n--;
		else
			break;
	}
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];

		if (!phrase_word_byte(c)) {
			gap = true;
			hard = hard || phrase_hard_byte(c);
			continue;
		}
		if (k == 0 || gap) {
			if (k > 0)
				sym[k++] = hard ? SYM_HARD : SYM_SOFT;
			sym[k++] = SYM_WORD;
			if (++*words > PHRASE_MAX_WORDS)
				return 0;
		}
		gap = hard = false;
		sym[k++] = ps->map[c];
	}
	/* Trailing punctuation other than '*' stays outside the match. */
	return k;
}

/* Adds an output of (list, id) to the chain at *head, unless the chain
 * has one of that list already: the first of equal phrases wins. */
static void
add_out(struct build *b, int32_t *head, uint32_t list, uint32_t id)
{
	int32_t *at;

	/* Room first: at may point into outs. */
	xgrow(&b->outs, &b->capouts, b->nouts + 1, sizeof(*b->outs));
	for (at = head; *at >= 0; at = &b->outs[*at].next)
		if (b->outs[*at].list == list)
			return;
	b->outs[b->nouts].list = list;
	b->outs[b->nouts].id = id;
	b->outs[b->nouts].next = -1;
	*at = (int32_t)b->nouts++;
}

static void
add_phrase(const struct phrase_set *ps, struct build *b, uint32_t list,
    uint32_t id, const char *p, uint16_t *sym)
{
	unsigned words, w = 0;
	bool prefix;
	size_t k, i;
	uint32_t u = 0;

	k = compile_phrase(ps, p, sym, &words, &prefix);
	if (k == 0)
		return;
	for (i = 0; i < k; i++) {
		uint32_t v = b->go[(size_t)u * ps->nsym + sym[i]];

		w += sym[i] == SYM_WORD;
		if (v == 0)
			v = node_new(ps, b, u, sym[i], w);
		u = v;
	}
	add_out(b, prefix ? &b->pout[u] : &b->wout[u], list, id);
}

/* The outputs of state u and of its dictionary chain (link[]), longest
 * first, as one range in ps->outs; 0 when there are none. */
static uint32_t
flatten(struct phrase_set *ps, const struct build *b, const int32_t *head,
    const int32_t *link, uint32_t u, size_t *capouts, size_t *nouts,
    size_t *caprng)
{
	struct phrase_range *r;
	int32_t q = head[u] >= 0 ? (int32_t)u : link[u];
	uint32_t beg = (uint32_t)*nouts, end, i, k, list;

	if (q < 0)
		return 0;
	for (; q >= 0; q = link[q]) {
		int32_t o;

		for (o = head[q]; o >= 0; o = b->outs[o].next) {
			xgrow(&ps->outs, capouts, *nouts + 1,
			    sizeof(*ps->outs));
			ps->outs[*nouts].list = b->outs[o].list;
			ps->outs[*nouts].hit.id = b->outs[o].id;
			ps->outs[*nouts].hit.word = 0u - b->nwords[q];
			ps->outs[*nouts].hit.nwords = b->nwords[q];
			ps->outs[*nouts].hit.end = 0;
			(*nouts)++;
		}
	}
	end = (uint32_t)*nouts;
	xgrow(&ps->rng, caprng, ps->nrng + 1, sizeof(*ps->rng));
	r = &ps->rng[ps->nrng];
	r->beg = beg;
	r->end = end;
	for (i = beg; i < end; i++) {
		uint32_t same = 0;

		list = ps->outs[i].list;
		for (k = beg; k < end; k++)
			same += ps->outs[k].list == list;
		if (same > ps->maxper)
			ps->maxper = same;
	}
	return (uint32_t)ps->nrng++;
}

/*
 * Failure links by breadth-first order, folded into the table so a text
 * byte is one lookup; the dictionary links chain the shorter phrases that
 * end at the same place.  Then the table is laid out as the scan reads it
 * (see the top of the file).
 */
static void
finish(struct phrase_set *ps, struct build *b)
{
	size_t n = b->nstates, nsym = ps->nsym, head = 0, tail = 0, c, i;
	size_t capouts = 0, nouts = 0, caprng = 0, nplain = 0, nprefix = 0;
	uint32_t *queue = xmalloc(n * sizeof(*queue));
	uint32_t *fail = xcalloc(n, sizeof(*fail));
	uint32_t *row = xmalloc(n * sizeof(*row)); /* state -> row offset */
	uint32_t *winfo = xmalloc(n * sizeof(*winfo));
	uint32_t *pinfo = xmalloc(n * sizeof(*pinfo));
	int32_t *dict = xmalloc(n * sizeof(*dict));
	int32_t *pdict = xmalloc(n * sizeof(*pdict));
	uint32_t u, v, f;

	/* Failure links, breadth first: the longest proper suffix that is a
	 * state, found by following the parent's failure links. */
	dict[0] = pdict[0] = -1;
	queue[tail++] = 0;
	while (head < tail) {
		u = queue[head++];
		for (v = b->kid[u]; v != 0; v = b->sib[v]) {
			c = b->sym[v];
			f = 0;
			if (u != 0) {
				for (f = fail[u]; f != 0 &&
				    b->go[(size_t)f * nsym + c] == 0;
				    f = fail[f])
					;
				f = b->go[(size_t)f * nsym + c];
			}
			fail[v] = f;
			dict[v] = b->wout[f] >= 0 ? (int32_t)f : dict[f];
			pdict[v] = b->pout[f] >= 0 ? (int32_t)f : pdict[f];
			queue[tail++] = v;
		}
	}
	/* Outputs, flattened per state; rng[0] means none. */
	xgrow(&ps->rng, &caprng, 1, sizeof(*ps->rng));
	memset(&ps->rng[0], 0, sizeof(ps->rng[0]));
	ps->nrng = 1;
	for (i = 0; i < n; i++) {
		winfo[i] = flatten(ps, b, b->wout, dict, (uint32_t)i, &capouts,
		    &nouts, &caprng);
		pinfo[i] = flatten(ps, b, b->pout, pdict, (uint32_t)i,
		    &capouts, &nouts, &caprng);
		nprefix += pinfo[i] != 0;
	}
	/* Rows: states without '*' outputs first, the root at 0, then the
	 * others from pmask on (the cells between are never used). */
	ps->width = nsym + 2;
	if (n > UINT32_MAX / 4 / ps->width)
		abort(); /* 2^30 cells would be 4 GiB: never reached */
	for (i = 0; i < n; i++)
		if (pinfo[i] == 0)
			row[i] = (uint32_t)(nplain++ * ps->width);
	ps->pmask = 0;
	if (nprefix > 0)
		for (ps->pmask = 1; ps->pmask < nplain * ps->width ||
		    ps->pmask < nprefix * ps->width; ps->pmask <<= 1)
			;
	for (i = 0, c = ps->pmask; i < n; i++)
		if (pinfo[i] != 0) {
			row[i] = (uint32_t)c;
			c += ps->width;
		}
	ps->delta = xmalloc((nprefix > 0 ? c : nplain * ps->width) *
	    sizeof(*ps->delta));
	/* The full table, breadth first: a state goes where its failure
	 * state goes (a row already done), except along its own edges. */
	for (i = 0; i < n; i++) {
		uint32_t *d = &ps->delta[row[queue[i]]];

		u = queue[i];
		if (u == 0)
			for (c = 0; c < nsym; c++)
				d[c] = 0;
		else
			memcpy(d, &ps->delta[row[fail[u]]], nsym * sizeof(*d));
		for (v = b->kid[u]; v != 0; v = b->sib[v])
			d[b->sym[v]] = row[v];
		d[nsym] = winfo[u];
		d[nsym + 1] = pinfo[u];
	}
	/* A gap, then the word after it: one step (SYM_WORD is left as
	 * it was, so the order does not matter). */
	for (i = 0; i < n; i++) {
		uint32_t *d = &ps->delta[row[i]];

		d[SYM_SOFT] = ps->delta[d[SYM_SOFT] + SYM_WORD];
		d[SYM_HARD] = ps->delta[d[SYM_HARD] + SYM_WORD];
	}
	free(queue);
	free(fail);
	free(row);
	free(winfo);
	free(pinfo);
	free(dict);
	free(pdict);
}

phrase_set *
phrase_set_new_lists(const struct phrase_list *lists, size_t nlists)
{
	struct phrase_set *ps = xcalloc(1, sizeof(*ps));
	struct build b;
	bool used[256];
	size_t i, k, maxlen = 1, nstates_max = 1;
	unsigned c;
	uint16_t *sym;

	memset(&b, 0, sizeof(b));
	memset(used, 0, sizeof(used));
	ps->nlists = nlists;
	ps->lists = xcalloc(nlists ? nlists : 1, sizeof(*ps->lists));
	for (k = 0; k < nlists; k++) {
		struct plist *pl = &ps->lists[k];

		pl->n = lists[k].n;
		pl->phrases = xcalloc(pl->n ? pl->n : 1, sizeof(*pl->phrases));
		for (i = 0; i < pl->n; i++) {
			const char *p = lists[k].v[i];

			if (p == NULL)
				continue;
			pl->phrases[i] = xstrdup(p);
			if (strlen(p) + 1 > maxlen)
				maxlen = strlen(p) + 1;
			nstates_max += 2 * strlen(p);
			for (; *p != '\0'; p++)
				if (phrase_word_byte((unsigned char)*p))
					used[fold((unsigned char)*p)] = true;
		}
	}
	/* Only bytes some phrase uses get a column of their own. */
	ps->nsym = SYM_FIRST;
	for (c = 0; c < 256; c++) {
		if (!phrase_word_byte((unsigned char)c))
			ps->map[c] = phrase_hard_byte((unsigned char)c) ?
			    SYM_HARD : SYM_SOFT;
		else if (c >= 'A' && c <= 'Z')
			continue; /* set with its lower case below */
		else
			ps->map[c] = used[c] ? (unsigned char)ps->nsym++ :
			    SYM_OTHER;
	}
	for (c = 'A'; c <= 'Z'; c++)
		ps->map[c] = ps->map[c - 'A' + 'a'];
	/* Each symbol of a phrase makes at most one state. */
	b.capstates = nstates_max;
	b.go = xcalloc(nstates_max * ps->nsym, sizeof(*b.go));
	b.kid = xmalloc(nstates_max * sizeof(*b.kid));
	b.sib = xmalloc(nstates_max * sizeof(*b.sib));
	b.sym = xmalloc(nstates_max * sizeof(*b.sym));
	b.wout = xmalloc(nstates_max * sizeof(*b.wout));
	b.pout = xmalloc(nstates_max * sizeof(*b.pout));
	b.nwords = xmalloc(nstates_max * sizeof(*b.nwords));
	node_new(ps, &b, 0, 0, 0); /* the root */
	sym = xmalloc(2 * maxlen * sizeof(*sym));
	for (k = 0; k < nlists; k++)
		for (i = 0; i < ps->lists[k].n; i++)
			if (ps->lists[k].phrases[i] != NULL)
				add_phrase(ps, &b, (uint32_t)k, (uint32_t)i,
				    ps->lists[k].phrases[i], sym);
	free(sym);
	finish(ps, &b);
	free(b.go);
	free(b.kid);
	free(b.sib);
	free(b.sym);
	free(b.wout);
	free(b.pout);
	free(b.nwords);
	free(b.outs);
	return ps;
}

phrase_set *
phrase_set_new(const char *const *phrases, size_t n)
{
	struct phrase_list l;

	l.v = phrases;
	l.n = n;
	return phrase_set_new_lists(&l, 1);
}

void
phrase_set_free(phrase_set *ps)
{
	size_t i, k;

	if (ps == NULL)
		return;
	for (k = 0; k < ps->nlists; k++) {
		for (i = 0; i < ps->lists[k].n; i++)
			free(ps->lists[k].phrases[i]);
		free(ps->lists[k].phrases);
	}
	free(ps->lists);
	free(ps->delta);
	free(ps->outs);
	free(ps->rng);
	free(ps);
}

size_t
phrase_set_list_count(const phrase_set *ps, size_t list)
{
	return list < ps->nlists ? ps->lists[list].n : 0;
}

const char *
phrase_set_list_phrase(const phrase_set *ps, size_t list, size_t i)
{
	if (list >= ps->nlists || i >= ps->lists[list].n)
		return NULL;
	return ps->lists[list].phrases[i];
}

size_t
phrase_set_count(const phrase_set *ps)
{
	return phrase_set_list_count(ps, 0);
}

const char *
phrase_set_phrase(const phrase_set *ps, size_t i)
{
	return phrase_set_list_phrase(ps, 0, i);
}

/* ---- scanning ------------------------------------------------------ */

void
phrase_hits_fini(struct phrase_hits *h)
{
	size_t i;

	for (i = 0; !h->packed && i < h->nlist; i++)
		free(h->base[i]);
	if (h->packed) {
		free(h->buf);
		memset(h, 0, sizeof(*h));
		return;
	}
	free(h->base);
	free(h->last);
	free(h->cap);
	free(h->start);
	free(h->end);
	free(h->gap);
	free(h->buf);
	memset(h, 0, sizeof(*h));
}

void
phrase_hits_pack(struct phrase_hits *dst, const struct phrase_hits *src,
    const phrase_set *ps)
{
	size_t nl = ps->nlists, nw = src->nwords, nhits = 0, k, need;
	size_t at_words, at_lists, at_hits, at_gap;
	struct phrase_hit *hit;

	if (!dst->packed) {
		phrase_hits_fini(dst);
		dst->packed = true;
	}
	for (k = 0; k < nl; k++)
		nhits += (size_t)(src->last[k] - src->base[k]);
	/* Widest members first, so each starts aligned. */
	at_words = 0;
	at_lists = at_words + 2 * nw * sizeof(size_t);
	at_hits = at_lists + 2 * nl * sizeof(struct phrase_hit *);
	at_gap = at_hits + nhits * sizeof(struct phrase_hit);
	need = at_gap + (nw + 1) * sizeof(uint16_t);
	xgrow(&dst->buf, &dst->cap_buf, need, 1);
	dst->nwords = nw;
	dst->nlist = nl;
	dst->start = (size_t *)(void *)(dst->buf + at_words);
	dst->end = dst->start + nw;
	dst->base = (struct phrase_hit **)(void *)(dst->buf + at_lists);
	dst->last = dst->base + nl;
	hit = (struct phrase_hit *)(void *)(dst->buf + at_hits);
	dst->gap = (uint16_t *)(void *)(dst->buf + at_gap);
	if (nw > 0) {
		memcpy(dst->start, src->start, nw * sizeof(size_t));
		memcpy(dst->end, src->end, nw * sizeof(size_t));
	}
	memcpy(dst->gap, src->gap, (nw + 1) * sizeof(uint16_t));
	for (k = 0; k < nl; k++) {
		size_t n = (size_t)(src->last[k] - src->base[k]);

		dst->base[k] = hit;
		if (n > 0)
			memcpy(hit, src->base[k], n * sizeof(*hit));
		hit += n;
		dst->last[k] = hit;
	}
}

/* Appends the outputs of range r, ending at word `word` and byte `end`,
 * to their lists; the caller made room. */
static inline void
emit(const struct phrase_out *o, const struct phrase_range *r,
    struct phrase_hit **last, size_t word, size_t end)
{
	const struct phrase_out *oend = o + r->end;
	uint32_t w = (uint32_t)word + 1;

	for (o += r->beg; o < oend; o++) {
		struct phrase_hit *m = last[o->list]++;

		*m = o->hit;
		m->word += w;
		m->end = (uint32_t)end;
	}
}

/*
 * The scan proper, into h (with room for every list's whole-word
 * matches).  '*' outputs are not looked at: the return value ORs every
 * state gone through, so the caller knows when to call scan_careful
 * instead.
 */
static uint32_t
scan_fast(const phrase_set *ps, struct phrase_hits *h, size_t n)
{
	const uint32_t *delta = ps->delta;
	const struct phrase_out *outs = ps->outs;
	const struct phrase_range *rng = ps->rng;
	const unsigned char *map = ps->map, *buf = h->buf, *p = buf;
	const unsigned char *e = buf + n;
	struct phrase_hit **last = h->last;
	size_t *ws = h->start, *we = h->end, nsym = ps->nsym, nw = 0;
	size_t st = 0, m, g, x;
	uint16_t *gap = h->gap;
	uint32_t acc = 0, r;

	for (;;) {
		g = 0;
		while ((x = gap_class[*p]) != 0) {
			g |= x;
			p++;
		}
		if (p >= e)
			break;
		/* A word starts: the gap, then its first byte. */
		gap[nw] = (uint16_t)g;
		st = delta[st + (g & PHRASE_GAP_HARD)];
		ws[nw] = (size_t)(p - buf);
		m = map[*p];
		do {
			st = delta[st + m];
			acc |= (uint32_t)st;
			m = map[*++p];
		} while (m > SYM_HARD);
		we[nw] = (size_t)(p - buf);
		/* The word ended: whole-word phrases. */
		r = delta[st + nsym];
		if (r != 0)
			emit(outs, &rng[r], last, nw, we[nw]);
		nw++;
	}
	h->nwords = nw;
	return acc;
}

/* Makes room in every list for the outputs of range r. */
static void
room_for(const phrase_set *ps, struct phrase_hits *h,
    const struct phrase_range *r)
{
	uint32_t k;

	for (k = r->beg; k < r->end; k++) {
		size_t l = ps->outs[k].list;
		size_t n = (size_t)(h->last[l] - h->base[l]);

		if (h->cap[l] - n < r->end - r->beg) {
			xgrow(&h->base[l], &h->cap[l], n + (r->end - r->beg),
			    sizeof(*h->base[l]));
			h->last[l] = h->base[l] + n;
		}
	}
}

/* The same, with '*' outputs reported after the byte that ends them. */
static void
scan_careful(const phrase_set *ps, struct phrase_hits *h, size_t n)
{
	const uint32_t *delta = ps->delta;
	const unsigned char *map = ps->map, *buf = h->buf, *p = buf;
	const unsigned char *e = buf + n;
	const struct phrase_range *r;
	size_t nsym = ps->nsym, nw = 0, st = 0, hard, m;

	for (;;) {
		hard = 0;
		while ((m = map[*p]) <= SYM_HARD) {
			hard |= m;
			p++;
		}
		if (p >= e)
			break;
		st = delta[st + hard];
		do {
			st = delta[st + m];
			if (st & ps->pmask) {
				r = &ps->rng[delta[st + nsym + 1]];
				room_for(ps, h, r);
				emit(ps->outs, r, h->last, nw,
				    (size_t)(p + 1 - buf));
			}
			m = map[*++p];
		} while (m > SYM_HARD);
		if (delta[st + nsym] != 0) {
			r = &ps->rng[delta[st + nsym]];
			room_for(ps, h, r);
			emit(ps->outs, r, h->last, nw, h->end[nw]);
		}
		nw++;
	}
}

void
phrase_scan_hits(const phrase_set *ps, const char *s, size_t n,
    struct phrase_hits *h)
{
	size_t maxw = n / 2 + 1, i;

	if (n > UINT32_MAX)
		abort(); /* a 4 GiB narrative: the reader refuses far less */
	/* The text is copied with a gap and a word byte after it, so the
	 * loops stop without a bounds check: a word at the gap, a run of
	 * gaps at the word byte past the end. */
	xgrow(&h->buf, &h->cap_buf, n + 2, 1);
	if (n > 0)
		memcpy(h->buf, s, n);
	h->buf[n] = ' ';
	h->buf[n + 1] = 'a';
	if (h->cap_words < maxw + 1) {
		size_t cap = h->cap_words;

		xgrow(&h->start, &cap, maxw + 1, sizeof(*h->start));
		h->end = xrealloc(h->end, cap * sizeof(*h->end));
		h->gap = xrealloc(h->gap, cap * sizeof(*h->gap));
		h->cap_words = cap;
	}
	/* Room for every list's whole-word matches: a list has at most
	 * maxper of them a word (h->room matches, whatever the set). */
	if (h->nlist < ps->nlists || h->room < maxw * ps->maxper + 1) {
		size_t room = maxw * ps->maxper + 1;
		size_t nl = h->nlist > ps->nlists ? h->nlist : ps->nlists;

		if (room < 2 * h->room)
			room = 2 * h->room;
		h->base = xrealloc(h->base, nl * sizeof(*h->base));
		h->last = xrealloc(h->last, nl * sizeof(*h->last));
		h->cap = xrealloc(h->cap, nl * sizeof(*h->cap));
		for (i = h->nlist; i < nl; i++)
			h->base[i] = NULL;
		for (i = 0; i < nl; i++) {
			h->cap[i] = room;
			h->base[i] = xrealloc(h->base[i],
			    room * sizeof(*h->base[i]));
		}
		h->nlist = nl;
		h->room = room;
	}
	memcpy(h->last, h->base, ps->nlists * sizeof(*h->last));
	if (scan_fast(ps, h, n) & ps->pmask) {
		memcpy(h->last, h->base, ps->nlists * sizeof(*h->last));
		scan_careful(ps, h, n);
	}
	/* The separators after the last word (the scan saw the copy's). */
	h->gap[h->nwords] = 0;
	for (i = h->nwords > 0 ? h->end[h->nwords - 1] : 0; i < n; i++)
		h->gap[h->nwords] |= gap_class[(unsigned char)s[i]];
}

/* Calls fn for the matches in h of list, or of every list one after
 * another when list is SIZE_MAX; *words gets the words read until fn
 * stopped. */
static size_t
each(const phrase_set *ps, const struct phrase_hits *h, size_t list,
    phrase_fn fn, void *ctx, size_t *words)
{
	size_t l = list == SIZE_MAX ? 0 : list, calls = 0;
	size_t lend = list == SIZE_MAX ? ps->nlists : list + 1;

	*words = h->nwords;
	for (; l < lend; l++) {
		const struct phrase_hit *m;

		for (m = h->base[l]; m < h->last[l]; m++) {
			struct phrase_match pm;

			pm.list = l;
			pm.id = m->id;
			pm.word = m->word;
			pm.nwords = m->nwords;
			pm.start = h->start[m->word];
			pm.end = m->end;
			calls++;
			if (!fn(ctx, &pm)) {
				*words = (size_t)m->word + m->nwords;
				return calls;
			}
		}
	}
	return calls;
}

size_t
phrase_hits_each(const phrase_set *ps, const struct phrase_hits *h,
    size_t list, phrase_fn fn, void *ctx)
{
	size_t words;

	return each(ps, h, list, fn, ctx, &words);
}

size_t
phrase_scan(const phrase_set *ps, const char *s, size_t n, phrase_fn fn,
    void *ctx)
{
	return phrase_scan_words(ps, s, n, fn, ctx, NULL);
}

size_t
phrase_scan_words(const phrase_set *ps, const char *s, size_t n,
    phrase_fn fn, void *ctx, size_t *words)
{
	struct phrase_hits h;
	size_t calls, w;

	memset(&h, 0, sizeof(h));
	phrase_scan_hits(ps, s, n, &h);
	calls = each(ps, &h, SIZE_MAX, fn, ctx, &w);
	phrase_hits_fini(&h);
	if (words != NULL)
		*words = w;
	return calls;
}

static bool
take_first(void *ctx, const struct phrase_match *m)
{
	*(struct phrase_match *)ctx = *m;
	return false;
}

bool
phrase_find(const phrase_set *ps, const char *s, size_t n,
    struct phrase_match *m)
{
	struct phrase_match tmp;

	return phrase_scan(ps, s, n, take_first, m != NULL ? m : &tmp) > 0;
}

size_t
phrase_count_words(const char *s, size_t n)
{
	size_t i, words = 0;
	bool in_word = false;

	for (i = 0; i < n; i++) {
		bool w = phrase_word_byte((unsigned char)s[i]);

		words += w && !in_word;
		in_word = w;
	}
	return words;
}
