/* phrase.h - whole-word, case-insensitive matching of many phrases at once
 * (an Aho-Corasick automaton over case-folded bytes). */
#ifndef BILLCHECK_PHRASE_H
#define BILLCHECK_PHRASE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Words are runs of ASCII letters and digits and of non-ASCII bytes (so a
 * UTF-8 letter is part of its word); everything else separates words.
 * Case folding is ASCII only.  A phrase matches only whole words: "one"
 * does not match "phone", "call" does not match "recall".
 *
 * The gaps between a phrase's words match any run of separators in the
 * text, except that punctuation that ends a clause (one of ; , . : ! ? ( )
 * [ ] { } |) is a hard gap: "attention to file" does not match "attention
 * to, file", and "U.S. mail" matches "u.s. mail" but not "us mail".  Other
 * separators (spaces, tabs, newlines, - / _ ' " & and the like) are soft:
 * "e-mail" matches "e mail" and "E-Mail".
 *
 * A phrase whose last character is '*' matches any word that starts with
 * its last word: "bates stamp*" matches "Bates stamping" and "bates
 * stamped".  A phrase with no word, or with more than PHRASE_MAX_WORDS
 * words, never matches.
 */

#define PHRASE_MAX_WORDS 32

typedef struct phrase_set phrase_set;

struct phrase_match {
	size_t list;   /* index of the phrase's list (0 for phrase_set_new) */
	size_t id;     /* index of the phrase in its list */
	size_t start;  /* the match is s[start, end) */
	size_t end;    /* for a '*' phrase, the end of the prefix */
	size_t word;   /* 0-based index of the first word matched in s */
	size_t nwords; /* words the match spans */
};

/* One list of phrases (NULL entries never match). */
struct phrase_list {
	const char *const *v;
	size_t             n;
};

/* Compiles phrases[0..n) (copied) into one automaton.  Never NULL; the
 * caller frees it with phrase_set_free.  When two phrases are the same
 * after folding, matches carry the first one's id. */
phrase_set *phrase_set_new(const char *const *phrases, size_t n);

/* Compiles several lists (copied) into one automaton, so that one scan
 * finds the matches of every list; each match says its list.  Within a
 * list, equal phrases match as the first one; a phrase that is in two
 * lists matches in both.  Never NULL; free with phrase_set_free. */
phrase_set *phrase_set_new_lists(const struct phrase_list *lists,
    size_t nlists);
void        phrase_set_free(phrase_set *ps); /* NULL is a no-op */

/* The number of phrases of list 0, and its i-th as given. */
size_t      phrase_set_count(const phrase_set *ps);
const char *phrase_set_phrase(const phrase_set *ps, size_t i);
/* The same for any list: NULL when list or i is out of range. */
size_t      phrase_set_list_count(const phrase_set *ps, size_t list);
const char *phrase_set_list_phrase(const phrase_set *ps, size_t list,
    size_t i);

/* Called for each match; returning false stops the scan. */
typedef bool (*phrase_fn)(void *ctx, const struct phrase_match *m);

/* Reports every match in s[0..n), overlapping ones included, in the order
 * their last words end (a '*' phrase as soon as its prefix is read); of
 * matches that end on the same word, the longer comes first.  (A set of
 * several lists reports one list's matches after the other's.)  Returns
 * the number of matches reported; *words (may be NULL) gets the number of
 * words in s, or of those read before fn stopped the scan. */
size_t phrase_scan(const phrase_set *ps, const char *s, size_t n,
    phrase_fn fn, void *ctx);
size_t phrase_scan_words(const phrase_set *ps, const char *s, size_t n,
    phrase_fn fn, void *ctx, size_t *words);

/* One match as phrase_hits keeps it: the words and where it ends
 * (h->start[word] is where it starts). */
struct phrase_hit {
	uint32_t id;     /* index of the phrase in its list */
	uint32_t word;   /* its first word */
	uint32_t nwords; /* words it spans */
	uint32_t end;    /* as phrase_match.end */
};

/* What separators are: bits of phrase_hits.gap. */
enum {
	PHRASE_GAP_HARD = 1,     /* any of phrase_hard_byte, besides its bit */
	PHRASE_GAP_SPACE = 2,    /* ' ' '\t' '\r' */
	PHRASE_GAP_LINE = 4,     /* '\n' */
	PHRASE_GAP_COMMA = 8,    /* ',' ':' */
	PHRASE_GAP_SEMI = 16,    /* ';' */
	PHRASE_GAP_STOP = 32,    /* '.' '!' '?' */
	PHRASE_GAP_AND = 64,     /* '&' '+' '/' */
	PHRASE_GAP_HYPHEN = 128, /* '-' */
	PHRASE_GAP_PAREN = 256,  /* ( ) [ ] { } | */
	PHRASE_GAP_OTHER = 512   /* any other separator: quotes, '*'... */
};

/*
 * What one scan of a text found for every list of a set at once: the
 * words, what separates them, and each list's matches, so that a check
 * reads its own list and nothing else.  Caller-owned and reused from scan
 * to scan (its buffers grow to the longest text): zero it to start, free
 * the buffers with phrase_hits_fini.
 */
struct phrase_hits {
	size_t    nwords; /* words in the text */
	size_t   *start;  /* word i is s[start[i], end[i]), i < nwords */
	size_t   *end;
	uint16_t *gap;    /* PHRASE_GAP_* bits of the separators before word
	                     i; gap[nwords]: of those after the last word */
	struct phrase_hit **base; /* list k's matches, in phrase_scan's */
	struct phrase_hit **last; /* order: base[k] up to last[k] */
	/* private to phrase.c */
	size_t   *cap;
	size_t    nlist, room, cap_words, cap_buf;
	unsigned char *buf;
	bool      packed; /* phrase_hits_pack's: everything in buf */
};

void phrase_hits_fini(struct phrase_hits *h);

/* Copies what src found with ps into dst, packed into one buffer of just
 * the size it needs (kept in dst and reused), to be read as src is: for
 * keeping many results, where src holds room for the longest text.  dst
 * is then only to be read, packed again or freed. */
void phrase_hits_pack(struct phrase_hits *dst, const struct phrase_hits *src,
    const phrase_set *ps);

/* Scans s[0..n) once for every list of ps into h (replacing what h
 * held).  h stays tied to ps: read it with the same set. */
void phrase_scan_hits(const phrase_set *ps, const char *s, size_t n,
    struct phrase_hits *h);

/* True when the scan in h found a match of list. */
static inline bool
phrase_hits_any(const struct phrase_hits *h, size_t list)
{
	return h->last[list] != h->base[list];
}

/* The matches of list in h, in phrase_scan's order: from the pointer
 * returned to *end (excluded).  Valid until the next scan into h. */
static inline const struct phrase_hit *
phrase_hits_of(const struct phrase_hits *h, size_t list,
    const struct phrase_hit **end)
{
	*end = h->last[list];
	return h->base[list];
}

/* Calls fn for each match of list in h, in phrase_scan's order, until it
 * returns false.  Returns the number of calls. */
size_t phrase_hits_each(const phrase_set *ps, const struct phrase_hits *h,
    size_t list, phrase_fn fn, void *ctx);

/* True when s[0..n) holds a match; *m (may be NULL) gets the first. */
bool phrase_find(const phrase_set *ps, const char *s, size_t n,
    struct phrase_match *m);

/* The number of words in s[0..n). */
size_t phrase_count_words(const char *s, size_t n);

/* For each byte: PHRASE_WORD, PHRASE_HARD (clause punctuation, see above)
 * or PHRASE_SOFT (every other separator). */
enum { PHRASE_SOFT = 0, PHRASE_HARD = 1, PHRASE_WORD = 2 };
extern const unsigned char phrase_byte_kind[256];

/* The word bytes: ASCII letters and digits and every byte >= 0x80. */
static inline bool
phrase_word_byte(unsigned char c)
{
	return phrase_byte_kind[c] == PHRASE_WORD;
}

/* The separators that end a clause, so a phrase never spans them. */
static inline bool
phrase_hard_byte(unsigned char c)
{
	return phrase_byte_kind[c] == PHRASE_HARD;
}

#endif
