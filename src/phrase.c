/* phrase.c - many phrases matched in one pass: an Aho-Corasick automaton
 * over case-folded word bytes and two gap symbols, with word boundaries
 * checked where matches end. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "phrase.h"
#include "xalloc.h"

/*
 * The text is read as a stream of symbols: each word byte is one symbol
 * (its folded value, or SYM_OTHER for bytes no phrase uses), and each run
 * of separators between two words is one SYM_SOFT or SYM_HARD.  Phrases
 * are compiled to the same symbols, so one table step per byte runs every
 * phrase at once, and the automaton is a full transition table (a DFA).
 *
 * Whole words: every word of the text and of a phrase starts with
 * SYM_WORD, so a match can only start where a word starts ("one" is never
 * looked for inside "phone"), and the automaton is at its root inside any
 * word that cannot begin a phrase: the scan skips the rest of that word.
 * A phrase ends with a word byte, and outputs are looked at only where a
 * text word ends, so a match also ends on a word end.  A small ring of
 * word starts gives each match its first byte and word.
 */
enum {
	SYM_SOFT = 0,  /* spaces, hyphens, slashes, quotes... */
	SYM_HARD = 1,  /* clause punctuation: ; , . : ! ? ( ) [ ] { } | */
	SYM_WORD = 2,  /* a word starts */
	SYM_OTHER = 3, /* a word byte that appears in no phrase */
	SYM_FIRST = 4  /* the first folded byte's symbol */
};

/* The gap symbols are the smallest, so one comparison tells them. */
#define IS_GAP(m) ((m) <= SYM_HARD)

struct phrase_set {
	char      **phrases;  /* copies as given (NULL stays NULL) */
	size_t      n;
	uint16_t    map[256]; /* byte -> symbol */
	size_t      nsym;
	/* nstates x nsym transitions.  Once built, an entry is the next
	 * state's row offset (state x nsym) shifted left once, with bit 0 set
	 * when some phrase ends in that state: one add and one load a byte. */
	uint32_t   *delta;
	size_t      nstates, capstates;
	int32_t    *out;      /* node -> whole-word phrase id ending here */
	int32_t    *pout;     /* node -> '*' phrase id ending here */
	int32_t    *dict;     /* nearest proper suffix node with out, or -1 */
	int32_t    *pdict;    /* nearest proper suffix node with pout, or -1 */
	bool        any_prefix; /* some phrase ends in '*' */
	/* per phrase id */
	unsigned char *nwords;
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

static unsigned char
fold(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c - 'A' + 'a') : c;
}

static uint32_t
node_new(struct phrase_set *ps)
{
	if (ps->nstates == ps->capstates) {
		size_t cap = ps->capstates ? ps->capstates * 2 : 64;

		ps->delta = xrealloc(ps->delta,
		    cap * ps->nsym * sizeof(*ps->delta));
		ps->out = xrealloc(ps->out, cap * sizeof(*ps->out));
		ps->pout = xrealloc(ps->pout, cap * sizeof(*ps->pout));
		ps->capstates = cap;
	}
	memset(ps->delta + ps->nstates * ps->nsym, 0,
	    ps->nsym * sizeof(*ps->delta));
	ps->out[ps->nstates] = -1;
	ps->pout[ps->nstates] = -1;
	return (uint32_t)ps->nstates++;
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

static void
add_phrase(struct phrase_set *ps, size_t id, uint16_t *sym)
{
	unsigned words;
	bool prefix;
	size_t k, i;
	uint32_t u = 0;

	if (ps->phrases[id] == NULL)
		return;
	k = compile_phrase(ps, ps->phrases[id], sym, &words, &prefix);
	if (k == 0)
		return;
	for (i = 0; i < k; i++) {
		uint32_t v = ps->delta[(size_t)u * ps->nsym + sym[i]];

		if (v == 0) {
			v = node_new(ps); /* may move the table */
			ps->delta[(size_t)u * ps->nsym + sym[i]] = v;
		}
		u = v;
	}
	ps->nwords[id] = (unsigned char)words;
	if (prefix && ps->pout[u] < 0) {
		ps->pout[u] = (int32_t)id;
		ps->any_prefix = true;
	}
	else if (!prefix && ps->out[u] < 0)
		ps->out[u] = (int32_t)id;
}

/* Failure links by breadth-first order, folded into the table so a text
 * byte is one lookup; the dictionary links chain the shorter phrases that
 * end at the same place. */
static void
link_nodes(struct phrase_set *ps)
{
	uint32_t *queue = xmalloc(ps->nstates * sizeof(*queue));
	uint32_t *fail = xcalloc(ps->nstates, sizeof(*fail));
	size_t head = 0, tail = 0, c;

	ps->dict = xmalloc(ps->nstates * sizeof(*ps->dict));
	ps->pdict = xmalloc(ps->nstates * sizeof(*ps->pdict));
	ps->dict[0] = ps->pdict[0] = -1;
	for (c = 0; c < ps->nsym; c++) {
		uint32_t v = ps->delta[c];

		if (v != 0) {
			fail[v] = 0;
			ps->dict[v] = ps->pdict[v] = -1;
			queue[tail++] = v;
		}
	}
	while (head < tail) {
		uint32_t u = queue[head++];
		uint32_t *row = &ps->delta[(size_t)u * ps->nsym];
		const uint32_t *frow = &ps->delta[(size_t)fail[u] * ps->nsym];

		for (c = 0; c < ps->nsym; c++) {
			uint32_t v = row[c], f;

			if (v == 0) {
				row[c] = frow[c];
				continue;
			}
			f = frow[c];
			fail[v] = f;
			ps->dict[v] = ps->out[f] >= 0 ? (int32_t)f :
			    ps->dict[f];
			ps->pdict[v] = ps->pout[f] >= 0 ? (int32_t)f :
			    ps->pdict[f];
			queue[tail++] = v;
		}
	}
	free(queue);
	free(fail);
}

/* Rewrites the table in row offsets, tagged as the struct says. */
static void
tag_offsets(struct phrase_set *ps)
{
	size_t i, cells = ps->nstates * ps->nsym;

	if (ps->nstates > UINT32_MAX / 2 / ps->nsym)
		abort(); /* 2^31 cells would be 8 GiB: never reached */
	for (i = 0; i < cells; i++) {
		uint32_t v = ps->delta[i];
		bool outs = ps->out[v] >= 0 || ps->dict[v] >= 0;

		ps->delta[i] = (uint32_t)(v * ps->nsym) << 1 | (outs ? 1u : 0u);
	}
}

phrase_set *
phrase_set_new(const char *const *phrases, size_t n)
{
	struct phrase_set *ps = xcalloc(1, sizeof(*ps));
	bool used[256];
	size_t i, maxlen = 1;
	unsigned c;
	uint16_t *sym;

	ps->n = n;
	ps->phrases = xcalloc(n ? n : 1, sizeof(*ps->phrases));
	ps->nwords = xcalloc(n ? n : 1, sizeof(*ps->nwords));
	memset(used, 0, sizeof(used));
	for (i = 0; i < n; i++) {
		const char *p = phrases[i];

		if (p == NULL)
			continue;
		ps->phrases[i] = xstrdup(p);
		if (strlen(p) + 1 > maxlen)
			maxlen = strlen(p) + 1;
		for (; *p != '\0'; p++)
			if (phrase_word_byte((unsigned char)*p))
				used[fold((unsigned char)*p)] = true;
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
			ps->map[c] = used[c] ? (uint16_t)ps->nsym++ : SYM_OTHER;
	}
	for (c = 'A'; c <= 'Z'; c++)
		ps->map[c] = ps->map[c - 'A' + 'a'];
	node_new(ps); /* the root */
	sym = xmalloc(2 * maxlen * sizeof(*sym));
	for (i = 0; i < n; i++)
		add_phrase(ps, i, sym);
	free(sym);
	link_nodes(ps);
	tag_offsets(ps);
	return ps;
}

void
phrase_set_free(phrase_set *ps)
{
	size_t i;

	if (ps == NULL)
		return;
	for (i = 0; i < ps->n; i++)
		free(ps->phrases[i]);
	free(ps->phrases);
	free(ps->delta);
	free(ps->out);
	free(ps->pout);
	free(ps->dict);
	free(ps->pdict);
	free(ps->nwords);
	free(ps);
}

size_t
phrase_set_count(const phrase_set *ps)
{
	return ps->n;
}

const char *
phrase_set_phrase(const phrase_set *ps, size_t i)
{
	return i < ps->n ? ps->phrases[i] : NULL;
}

struct scan {
	const phrase_set  *ps;
	phrase_fn          fn;
	void              *ctx;
	size_t             ring[PHRASE_MAX_WORDS]; /* recent word starts */
	size_t             words, reported;
	bool               stopped;
};

/* Reports phrase id, which ends at byte end. */
static void
report(struct scan *sc, int32_t id, size_t end)
{
	struct phrase_match m;
	size_t k = sc->ps->nwords[id];

	m.id = (size_t)id;
	m.start = sc->ring[(sc->words - k) % PHRASE_MAX_WORDS];
	m.end = end;
	m.word = sc->words - k;
	m.nwords = k;
	sc->reported++;
	if (!sc->fn(sc->ctx, &m))
		sc->stopped = true;
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
	const uint32_t *delta = ps->delta;
	const uint16_t *map = ps->map;
	const int32_t *out = ps->out;
	size_t nsym = ps->nsym, i = 0;
	struct scan sc;
	uint32_t st = 0;
	int32_t q;
	bool hard = false, any_prefix = ps->any_prefix;

	sc.ps = ps;
	sc.fn = fn;
	sc.ctx = ctx;
	sc.words = sc.reported = 0;
	sc.stopped = false;
	while (i < n && !sc.stopped) {
		unsigned m = map[(unsigned char)s[i]];

		if (IS_GAP(m)) {
			hard = hard || m == SYM_HARD;
			i++;
			continue;
		}
		/* A word starts at i. */
		if (sc.words > 0)
			st = delta[(st >> 1) + (hard ? SYM_HARD : SYM_SOFT)];
		st = delta[(st >> 1) + SYM_WORD];
		hard = false;
		sc.ring[sc.words % PHRASE_MAX_WORDS] = i;
		sc.words++;
		for (; i < n; i++) {
			m = map[(unsigned char)s[i]];
			if (IS_GAP(m))
				break;
			st = delta[(st >> 1) + m];
			if (st == 0) {
				/* No phrase goes on from here: skip the
				 * rest of the word. */
				while (i + 1 < n && phrase_byte_kind[
				    (unsigned char)s[i + 1]] == PHRASE_WORD)
					i++;
				continue;
			}
			if (any_prefix) {
				size_t u = (st >> 1) / nsym;

				q = ps->pout[u] >= 0 ? (int32_t)u :
				    ps->pdict[u];
				for (; q >= 0 && !sc.stopped; q = ps->pdict[q])
					report(&sc, ps->pout[q], i + 1);
			}
		}
		/* The word ended: whole-word phrases, longest first. */
		if (st & 1) {
			size_t u = (st >> 1) / nsym;

			q = out[u] >= 0 ? (int32_t)u : ps->dict[u];
			for (; q >= 0 && !sc.stopped; q = ps->dict[q])
				report(&sc, out[q], i);
		}
	}
	if (words != NULL)
		*words = sc.words;
	return sc.reported;
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
		bool w = phrase_byte_kind[(unsigned char)s[i]] == PHRASE_WORD;

		words += w && !in_word;
		in_word = w;
	}
	return words;
}
