/* phrase.h - whole-word, case-insensitive matching of many phrases at once
 * (an Aho-Corasick automaton over case-folded bytes). */
#ifndef BILLCHECK_PHRASE_H
#define BILLCHECK_PHRASE_H

#include <stdbool.h>
#include <stddef.h>

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
	size_t id;     /* index of the phrase in the list given */
	size_t start;  /* the match is s[start, end) */
	size_t end;    /* for a '*' phrase, the end of the prefix */
	size_t word;   /* 0-based index of the first word matched in s */
	size_t nwords; /* words the match spans */
};

/* Compiles phrases[0..n) (copied; NULL entries never match) into one
 * automaton.  Never NULL; the caller frees it with phrase_set_free.  When
 * two phrases are the same after folding, matches carry the first one's
 * id. */
phrase_set *phrase_set_new(const char *const *phrases, size_t n);
void        phrase_set_free(phrase_set *ps); /* NULL is a no-op */

/* The number of phrases given, and the i-th as given. */
size_t      phrase_set_count(const phrase_set *ps);
const char *phrase_set_phrase(const phrase_set *ps, size_t i);

/* Called for each match; returning false stops the scan. */
typedef bool (*phrase_fn)(void *ctx, const struct phrase_match *m);

/* Reports every match in s[0..n), overlapping ones included, in the order
 * their last words end (a '*' phrase as soon as its prefix is read); of
 * matches that end on the same word, the longer comes first.  Returns the
 * number of matches reported; *words (may be NULL) gets the number of
 * words in s, or of those read before fn stopped the scan. */
size_t phrase_scan(const phrase_set *ps, const char *s, size_t n,
    phrase_fn fn, void *ctx);
size_t phrase_scan_words(const phrase_set *ps, const char *s, size_t n,
    phrase_fn fn, void *ctx, size_t *words);

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
