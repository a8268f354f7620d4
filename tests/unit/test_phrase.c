/* test_phrase.c - the phrase matcher: whole words, case, gaps, '*'
 * prefixes, positions, and a randomized cross-check against a naive
 * word-by-word matcher. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "phrase.h"

struct hits {
	struct phrase_match m[64];
	size_t n;
};

static bool
collect(void *ctx, const struct phrase_match *m)
{
	struct hits *h = ctx;

	if (h->n < 64)
		h->m[h->n++] = *m;
	return true;
}

static size_t
scan_all(const phrase_set *ps, const char *s, struct hits *h)
{
	memset(h, 0, sizeof(*h));
	return phrase_scan(ps, s, strlen(s), collect, h);
}

static bool
matches(const char *phrase, const char *text)
{
	const char *v[1] = {phrase};
	phrase_set *ps = phrase_set_new(v, 1);
	bool r = phrase_find(ps, text, strlen(text), NULL);

	phrase_set_free(ps);
	return r;
}

static void
phrase__whole_words_only__no_match_inside_words(void **state)
{
	(void)state;
	assert_false(matches("one", "phone call"));
	assert_false(matches("one", "ones"));
	assert_false(matches("call", "recall the witness"));
	assert_false(matches("call", "callback"));
	assert_true(matches("call", "call with client"));
	assert_true(matches("call", "client call"));
	assert_true(matches("call", "(call)"));
	assert_true(matches("one", "one"));
	assert_false(matches("file review", "profile review"));
	assert_false(matches("file review", "file reviews"));
	assert_false(matches("review documents", "review documentsx"));
	/* Digits are word characters too. */
	assert_false(matches("26", "L260"));
	assert_true(matches("rule 26", "Rule 26(f) report"));
}

static void
phrase__case_insensitive__ascii_folded(void **state)
{
	(void)state;
	assert_true(matches("attention to file", "ATTENTION TO FILE"));
	assert_true(matches("Bates Stamp", "bates stamp documents"));
	assert_true(matches("work ON matter", "Work on Matter."));
}

static void
phrase__gaps__soft_match_any_run_hard_must_agree(void **state)
{
	(void)state;
	assert_true(matches("attention to file", "attention   to\tfile"));
	assert_true(matches("attention to file", "attention to\r\nfile"));
	assert_true(matches("e-mail", "e mail to client"));
	assert_true(matches("e mail", "E-Mail to client"));
	assert_true(matches("word processing", "word-processing"));
	assert_true(matches("bates stamp", "\"Bates\" stamp"));
	/* Clause punctuation is a hard gap: no phrase spans it. */
	assert_false(matches("attention to file", "attention to, file"));
	assert_false(matches("review documents", "review; documents"));
	assert_false(matches("file review", "file. Review"));
	assert_true(matches("u.s. mail", "U.S. Mail"));
	assert_true(matches("u.s. mail", "u.s.mail"));
	assert_false(matches("u.s. mail", "us mail"));
	assert_false(matches("u.s. mail", "u s mail"));
	/* Punctuation around a phrase is not part of it. */
	assert_true(matches("  attention to file. ", "Attention to file"));
	assert_true(matches("attention to file", "(attention to file)"));
}

static void
phrase__non_ascii__bytes_are_word_characters(void **state)
{
	(void)state;
	assert_true(matches("caf\xc3\xa9", "Caf\xc3\xa9 meeting"));
	assert_false(matches("caf", "caf\xc3\xa9"));
	assert_false(matches("re", "r\xc3\xa9sum\xc3\xa9"));
	assert_true(matches("m\xc3\xbcller", "call with M\xc3\xbcller"));
	/* ASCII-only folding: a non-ASCII capital is another byte. */
	assert_false(matches("\xc3\xa9t\xc3\xa9", "\xc3\x89T\xc3\x89"));
	/* An em dash is a word byte, so it is not a separator. */
	assert_false(matches("draft", "draft\xe2\x80\x94memo"));
}

static void
phrase__prefix_star__matches_word_starts(void **state)
{
	(void)state;
	assert_true(matches("bates stamp*", "Bates stamping documents"));
	assert_true(matches("bates stamp*", "bates stamped"));
	assert_true(matches("bates stamp*", "bates stamp"));
	assert_false(matches("bates stamp*", "bates restamped"));
	assert_false(matches("stamp*", "restamp"));
	assert_true(matches("schedul*", "Scheduling deposition"));
	assert_false(matches("schedul*", "reschedule"));
	assert_true(matches("schedul* ", "schedule"));
	assert_false(matches("*", "anything"));
}

static void
phrase__positions__bytes_and_words(void **state)
{
	static const char *const v[] = {"attention to", "attention to file",
		"file", "to file", "stamp*"};
	static const char t[] = "Misc. attention to  file; stamping";
	phrase_set *ps = phrase_set_new(v, 5);
	struct hits h;

	(void)state;
	assert_int_equal(scan_all(ps, t, &h), 5);
	/* "attention to" ends first */
	assert_int_equal(h.m[0].id, 0);
	assert_int_equal(h.m[0].start, 6);
	assert_int_equal(h.m[0].end, 18);
	assert_int_equal(h.m[0].word, 1);
	assert_int_equal(h.m[0].nwords, 2);
	/* then, ending on "file", the longest first */
	assert_int_equal(h.m[1].id, 1);
	assert_int_equal(h.m[1].start, 6);
	assert_int_equal(h.m[1].end, 24);
	assert_int_equal(h.m[1].nwords, 3);
	assert_int_equal(h.m[2].id, 3);
	assert_int_equal(h.m[2].start, 16);
	assert_int_equal(h.m[3].id, 2);
	assert_int_equal(h.m[3].start, 20);
	assert_int_equal(h.m[3].word, 3);
	/* a prefix reports where its prefix ends */
	assert_int_equal(h.m[4].id, 4);
	assert_int_equal(h.m[4].start, 26);
	assert_int_equal(h.m[4].end, 31);
	assert_int_equal(h.m[4].word, 4);
	phrase_set_free(ps);
}

static void
phrase__duplicates_and_empties__first_id_wins(void **state)
{
	static const char *const v[] = {NULL, "", " - ", "Review File",
		"review  file", "review-file"};
	phrase_set *ps = phrase_set_new(v, 6);
	struct hits h;

	(void)state;
	assert_int_equal(phrase_set_count(ps), 6);
	assert_string_equal(phrase_set_phrase(ps, 4), "review  file");
	assert_null(phrase_set_phrase(ps, 0));
	assert_null(phrase_set_phrase(ps, 9));
	assert_int_equal(scan_all(ps, "review file", &h), 1);
	assert_int_equal(h.m[0].id, 3);
	assert_int_equal(scan_all(ps, "", &h), 0);
	assert_int_equal(scan_all(ps, " ;; ", &h), 0);
	phrase_set_free(ps);
	ps = phrase_set_new(NULL, 0);
	assert_false(phrase_find(ps, "anything", 8, NULL));
	phrase_set_free(ps);
}

static bool
stop_now(void *ctx, const struct phrase_match *m)
{
	(void)m;
	++*(int *)ctx;
	return false;
}

static void
phrase__callback_false__stops_scan(void **state)
{
	static const char *const v[] = {"a", "b"};
	phrase_set *ps = phrase_set_new(v, 2);
	struct phrase_match m;
	int calls = 0;

	(void)state;
	assert_int_equal(phrase_scan(ps, "a b a b", 7, stop_now, &calls), 1);
	assert_int_equal(calls, 1);
	assert_true(phrase_find(ps, "x b a", 5, &m));
	assert_int_equal(m.id, 1);
	assert_int_equal(m.start, 2);
	phrase_set_free(ps);
}

static void
phrase__long_phrases__ring_limit(void **state)
{
	char p[400], t[600];
	const char *v[2];
	phrase_set *ps;
	size_t i, k = 0;

	(void)state;
	for (i = 0; i < PHRASE_MAX_WORDS; i++)
		k += (size_t)snprintf(p + k, sizeof(p) - k, "w%zu ", i);
	snprintf(t, sizeof(t), "lead %s tail", p);
	v[0] = p;
	v[1] = "w0 w1";
	ps = phrase_set_new(v, 2);
	assert_true(phrase_find(ps, t, strlen(t), NULL));
	phrase_set_free(ps);
	snprintf(p + k, sizeof(p) - k, "w%d", PHRASE_MAX_WORDS);
	snprintf(t, sizeof(t), "%s", p);
	ps = phrase_set_new(v, 1); /* 33 words: never matches */
	assert_false(phrase_find(ps, t, strlen(t), NULL));
	phrase_set_free(ps);
}

static void
phrase__count_words(void **state)
{
	(void)state;
	assert_int_equal(phrase_count_words("", 0), 0);
	assert_int_equal(phrase_count_words(" -- ", 4), 0);
	assert_int_equal(phrase_count_words("Review documents", 16), 2);
	assert_int_equal(phrase_count_words("e-mail re: 26(f)", 16), 5);
}

/* ---- several lists in one scan ----------------------------------- */

static void random_text(char *buf, size_t n, unsigned *seed);

/* The matches of list in h, as "id@word+nwords" joined by spaces. */
static const char *
list_str(const struct phrase_hits *h, size_t list, char *buf, size_t cap)
{
	const struct phrase_hit *m, *end;
	size_t k = 0;

	buf[0] = '\0';
	for (m = phrase_hits_of(h, list, &end); m < end; m++)
		k += (size_t)snprintf(buf + k, cap - k, "%s%u@%u+%u",
		    k ? " " : "", m->id, m->word, m->nwords);
	return buf;
}

static void
phrase_lists__one_scan__each_list_its_own_matches(void **state)
{
	static const char *const a[] = {"review", "review file", "file"};
	static const char *const b[] = {"file", "call", "Review  File"};
	static const char *const c[] = {"stamp*", "bates stamp*", "stamping"};
	static const char *const d[] = {NULL, "nothing here"};
	const struct phrase_list lists[] = {{a, 3}, {b, 3}, {c, 3}, {d, 2}};
	static const char t[] = "Review file; call re bates stamping.";
	phrase_set *ps = phrase_set_new_lists(lists, 4);
	struct phrase_hits h;
	char buf[200];

	(void)state;
	memset(&h, 0, sizeof(h));
	phrase_scan_hits(ps, t, strlen(t), &h);
	assert_int_equal(h.nwords, 6);
	assert_int_equal(h.start[1], 7);
	assert_int_equal(h.end[1], 11);
	/* Per list, the order of phrase_scan: by last word, longer first. */
	assert_string_equal(list_str(&h, 0, buf, sizeof(buf)),
	    "0@0+1 1@0+2 2@1+1");
	/* "Review  File" is b's too, and "file" there as well. */
	assert_string_equal(list_str(&h, 1, buf, sizeof(buf)),
	    "2@0+2 0@1+1 1@2+1");
	/* A prefix as soon as it is read, before the word's whole-word
	 * matches; the longer prefix first. */
	assert_string_equal(list_str(&h, 2, buf, sizeof(buf)),
	    "1@4+2 0@5+1 2@5+1");
	assert_false(phrase_hits_any(&h, 3));
	assert_true(phrase_hits_any(&h, 2));
	assert_int_equal(phrase_hits_of(&h, 2, &(const struct phrase_hit *){
	    NULL})[0].end, 32);
	/* What separated the words. */
	assert_int_equal(h.gap[0], 0);
	assert_int_equal(h.gap[1], PHRASE_GAP_SPACE);
	assert_int_equal(h.gap[2], PHRASE_GAP_SEMI | PHRASE_GAP_SPACE |
	    PHRASE_GAP_HARD);
	assert_int_equal(h.gap[6], PHRASE_GAP_STOP | PHRASE_GAP_HARD);
	/* The same hits, scanned again: a shorter text replaces all. */
	phrase_scan_hits(ps, "FILE", 4, &h);
	assert_int_equal(h.nwords, 1);
	assert_string_equal(list_str(&h, 0, buf, sizeof(buf)), "2@0+1");
	assert_string_equal(list_str(&h, 1, buf, sizeof(buf)), "0@0+1");
	assert_false(phrase_hits_any(&h, 2));
	phrase_scan_hits(ps, "", 0, &h);
	assert_int_equal(h.nwords, 0);
	assert_int_equal(h.gap[0], 0);
	assert_false(phrase_hits_any(&h, 0));
	phrase_scan_hits(ps, " - ", 3, &h);
	assert_int_equal(h.nwords, 0);
	assert_int_equal(h.gap[0], PHRASE_GAP_SPACE | PHRASE_GAP_HYPHEN);
	phrase_hits_fini(&h);
	assert_int_equal(phrase_set_list_count(ps, 2), 3);
	assert_string_equal(phrase_set_list_phrase(ps, 1, 2), "Review  File");
	assert_null(phrase_set_list_phrase(ps, 3, 0));
	assert_null(phrase_set_list_phrase(ps, 4, 0));
	phrase_set_free(ps);
}

/* Each list of a combined set finds what a set of that list alone finds,
 * in the same order, whatever the other lists hold; and the words are
 * the words. */
/* A packed copy (phrase_hits_pack) reads as the scan it copies. */
static void
assert_same_hits(const struct phrase_hits *a, const struct phrase_hits *b,
    size_t nl)
{
	size_t i, k;

	assert_int_equal(a->nwords, b->nwords);
	for (i = 0; i < a->nwords; i++) {
		assert_int_equal(a->start[i], b->start[i]);
		assert_int_equal(a->end[i], b->end[i]);
	}
	for (i = 0; i <= a->nwords; i++)
		assert_int_equal(a->gap[i], b->gap[i]);
	for (k = 0; k < nl; k++) {
		const struct phrase_hit *m, *me, *p, *pe;

		m = phrase_hits_of(a, k, &me);
		p = phrase_hits_of(b, k, &pe);
		assert_int_equal(me - m, pe - p);
		assert_int_equal(phrase_hits_any(a, k), phrase_hits_any(b, k));
		assert_memory_equal(m, p, (size_t)(me - m) * sizeof(*m));
	}
}

static void
phrase_lists__random__agree_with_one_list_sets_packed_too(void **state)
{
	unsigned seed = 777;
	int round;
	struct phrase_hits h, packed;

	(void)state;
	memset(&h, 0, sizeof(h));
	memset(&packed, 0, sizeof(packed));
	for (round = 0; round < 1500; round++) {
		char pbuf[4][5][12], text[400];
		const char *ph[4][5];
		struct phrase_list lists[4];
		phrase_set *all;
		size_t nl = 1 + (size_t)(rand_r(&seed) % 4), i, j, len;

		for (i = 0; i < nl; i++) {
			lists[i].n = 1 + (size_t)(rand_r(&seed) % 5);
			for (j = 0; j < lists[i].n; j++) {
				random_text(pbuf[i][j], 2 + (size_t)(
				    rand_r(&seed) % 10), &seed);
				len = strlen(pbuf[i][j]);
				if (rand_r(&seed) % 4 == 0 && len > 0 &&
				    phrase_word_byte(
				    (unsigned char)pbuf[i][j][len - 1]))
					pbuf[i][j][len - 1] = '*';
				ph[i][j] = pbuf[i][j];
			}
			lists[i].v = ph[i];
		}
		random_text(text, 2 + (size_t)(rand_r(&seed) % 398), &seed);
		len = strlen(text);
		all = phrase_set_new_lists(lists, nl);
		phrase_scan_hits(all, text, len, &h);
		/* One packed result reused, as the scan ahead does. */
		phrase_hits_pack(&packed, &h, all);
		assert_same_hits(&h, &packed, nl);
		assert_int_equal(h.nwords, phrase_count_words(text, len));
		for (i = 0; i < h.nwords; i++) {
			assert_true(phrase_word_byte(
			    (unsigned char)text[h.start[i]]));
			assert_true(h.end[i] == len || !phrase_word_byte(
			    (unsigned char)text[h.end[i]]));
		}
		for (i = 0; i < nl; i++) {
			phrase_set *one = phrase_set_new(lists[i].v,
			    lists[i].n);
			const struct phrase_hit *m, *end;
			struct hits want;

			memset(&want, 0, sizeof(want));
			phrase_scan(one, text, len, collect, &want);
			m = phrase_hits_of(&h, i, &end);
			assert_int_equal((size_t)(end - m),
			    want.n < 64 ? want.n : (size_t)(end - m));
			for (j = 0; j < want.n && m + j < end; j++) {
				assert_int_equal(m[j].id, want.m[j].id);
				assert_int_equal(m[j].word, want.m[j].word);
				assert_int_equal(m[j].nwords,
				    want.m[j].nwords);
				assert_int_equal(m[j].end, want.m[j].end);
				assert_int_equal(h.start[m[j].word],
				    want.m[j].start);
			}
			phrase_set_free(one);
		}
		phrase_set_free(all);
	}
	phrase_hits_fini(&h);
	phrase_hits_fini(&packed);
}

/* ---- randomized cross-check -------------------------------------- */

/* A naive reference: split into words and gap kinds, compare word by
 * word at every start. */
struct toks {
	size_t start[256], end[256];
	int gap[256]; /* kind of the gap before word i: 1 soft, 2 hard */
	size_t n;
};

static void
tokenize(const char *s, size_t len, struct toks *t)
{
	size_t i = 0;
	int gap = 1;

	t->n = 0;
	while (i < len) {
		unsigned char c = (unsigned char)s[i];

		if (!phrase_word_byte(c)) {
			if (phrase_hard_byte(c))
				gap = 2;
			i++;
			continue;
		}
		t->start[t->n] = i;
		while (i < len && phrase_word_byte((unsigned char)s[i]))
			i++;
		t->end[t->n] = i;
		t->gap[t->n] = gap;
		t->n++;
		gap = 1;
	}
}

static bool
word_eq(const char *a, size_t an, const char *b, size_t bn, bool prefix)
{
	size_t i;

	if (prefix ? bn < an : an != bn)
		return false;
	for (i = 0; i < an; i++) {
		unsigned char x = (unsigned char)a[i], y = (unsigned char)b[i];

		if (x >= 'A' && x <= 'Z')
			x = (unsigned char)(x + 32);
		if (y >= 'A' && y <= 'Z')
			y = (unsigned char)(y + 32);
		if (x != y)
			return false;
	}
	return true;
}

static size_t
naive_count(const char *const *ph, size_t nph, const char *s)
{
	struct toks tt, pt;
	size_t i, j, k, count = 0;

	tokenize(s, strlen(s), &tt);
	for (k = 0; k < nph; k++) {
		size_t pl = strlen(ph[k]);
		bool prefix = pl > 0 && ph[k][pl - 1] == '*';

		tokenize(ph[k], pl, &pt);
		if (pt.n == 0)
			continue;
		for (i = 0; i + pt.n <= tt.n; i++) {
			for (j = 0; j < pt.n; j++) {
				bool last = j + 1 == pt.n;
				size_t tw = tt.start[i + j];

				if (j > 0 && pt.gap[j] != tt.gap[i + j])
					break;
				if (!word_eq(ph[k] + pt.start[j],
				    pt.end[j] - pt.start[j], s + tw,
				    tt.end[i + j] - tw, last && prefix))
					break;
			}
			count += j == pt.n;
		}
	}
	return count;
}

static void
random_text(char *buf, size_t n, unsigned *seed)
{
	static const char alpha[] = "abAB  ,-.;\xc3";
	size_t i;

	for (i = 0; i + 1 < n; i++)
		buf[i] = alpha[rand_r(seed) % (sizeof(alpha) - 1)];
	buf[n - 1] = '\0';
}

static void
phrase__random__agrees_with_naive_matcher(void **state)
{
	unsigned seed = 12345;
	size_t total = 0;
	int round;

	(void)state;
	for (round = 0; round < 3000; round++) {
		char pbuf[6][12], text[80];
		const char *ph[6];
		phrase_set *ps;
		struct hits h;
		size_t i, np = 1 + (size_t)(rand_r(&seed) % 6), got, want;

		for (i = 0; i < np; i++) {
			random_text(pbuf[i], 2 + (size_t)(rand_r(&seed) % 10),
			    &seed);
			if (rand_r(&seed) % 4 == 0) {
				size_t l = strlen(pbuf[i]);

				/* only after a word byte, as the naive
				 * reference reads it */
				if (l > 0 && phrase_word_byte(
				    (unsigned char)pbuf[i][l - 1]))
					pbuf[i][l - 1] = '*';
			}
			ph[i] = pbuf[i];
		}
		random_text(text, 2 + (size_t)(rand_r(&seed) % 78), &seed);
		ps = phrase_set_new(ph, np);
		/* Duplicated phrases report once, under the first id. */
		{
			const char *uniq[6];
			size_t nu = 0, a, b;

			for (a = 0; a < np; a++) {
				for (b = 0; b < a; b++) {
					struct toks x, y;
					size_t z;
					bool same;

					tokenize(ph[a], strlen(ph[a]), &x);
					tokenize(ph[b], strlen(ph[b]), &y);
					same = x.n == y.n && (ph[a][strlen(
					    ph[a]) - 1] == '*') == (ph[b][
					    strlen(ph[b]) - 1] == '*');
					for (z = 0; same && z < x.n; z++)
						same = (z == 0 || x.gap[z] ==
						    y.gap[z]) && word_eq(ph[a] +
						    x.start[z], x.end[z] -
						    x.start[z], ph[b] +
						    y.start[z], y.end[z] -
						    y.start[z], false);
					if (same)
						break;
				}
				if (b == a)
					uniq[nu++] = ph[a];
			}
			want = naive_count(uniq, nu, text);
		}
		got = scan_all(ps, text, &h);
		if (got != want) {
			fprintf(stderr, "text '%s':", text);
			for (i = 0; i < np; i++)
				fprintf(stderr, " '%s'", ph[i]);
			fprintf(stderr, " got %zu want %zu\n", got, want);
		}
		assert_int_equal(got, want);
		total += got;
		for (i = 0; i < h.n; i++) {
			assert_true(h.m[i].start < h.m[i].end);
			assert_true(h.m[i].end <= strlen(text));
			assert_true(phrase_word_byte(
			    (unsigned char)text[h.m[i].start]));
		}
		phrase_set_free(ps);
	}
	/* The alphabet is small enough that many rounds match. */
	printf("random cross-check: %zu matches in 3000 rounds\n", total);
	assert_true(total > 1000);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    phrase__whole_words_only__no_match_inside_words),
		cmocka_unit_test(phrase__case_insensitive__ascii_folded),
		cmocka_unit_test(
		    phrase__gaps__soft_match_any_run_hard_must_agree),
		cmocka_unit_test(
		    phrase__non_ascii__bytes_are_word_characters),
		cmocka_unit_test(phrase__prefix_star__matches_word_starts),
		cmocka_unit_test(phrase__positions__bytes_and_words),
		cmocka_unit_test(
		    phrase__duplicates_and_empties__first_id_wins),
		cmocka_unit_test(phrase__callback_false__stops_scan),
		cmocka_unit_test(phrase__long_phrases__ring_limit),
		cmocka_unit_test(phrase__count_words),
		cmocka_unit_test(
		    phrase__random__agrees_with_naive_matcher),
		cmocka_unit_test(
		    phrase_lists__one_scan__each_list_its_own_matches),
		cmocka_unit_test(
		    phrase_lists__random__agree_with_one_list_sets_packed_too),
	};

	return cmocka_run_group_tests_name("phrase", tests, NULL, NULL);
}
