/* vague_description.c - a fee narrative that says nothing specific: a
 * banned vague phrase with nothing but filler around it, or fewer words
 * than the guideline asks for. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks.h"
#include "narrative.h"
#include "xalloc.h"

enum { P_PHRASES, P_MIN_WORDS };

static const struct param_spec params[] = {
	{"phrases", PARAM_LIST, NULL, "vague phrases, whole-word and "
	    "case-insensitive (default: work on matter, attention to file, "
	    "review documents, legal research, emails, calls, ...)", NULL},
	{"min_words", PARAM_COUNT, "3", "narratives with fewer words are "
	    "vague", NULL},
};

/* The published banned phrases (GUIDELINES.md: "work on matter",
 * "attention to", "regarding same", "review documents", "file review",
 * "legal research", "deposition preparation", "worked on contract",
 * "correspondence", "emails", "calls") and their usual variants.  Single
 * generic words are safe here: a phrase only makes a narrative vague when
 * everything else in it is filler. */
static const char *const default_phrases[] = {
	"work on matter", "worked on matter", "work on file",
	"worked on file", "work on case", "work on", "worked on",
	"working on", "worked on contract", "work on contract",
	"attention to", "attention to file", "attention to matter",
	"attend to matter", "attend to file", "regarding same", "re same",
	"review file", "file review", "review documents",
	"review of documents", "document review", "review", "legal research",
	"research", "correspondence", "emails", "e mails", "email", "e mail",
	"calls", "call", "telephone call", "telephone calls", "phone call",
	"phone calls", "telephone conference", "conference",
	"office conference", "meeting", "meetings", "deposition preparation",
	"trial preparation", "analysis", "follow up", "status update",
	"update file", "misc", "miscellaneous", "various matters", "general",
	"case management",
};

/*
 * Words that carry nothing specific: function words, the generic nouns of
 * a matter (file, documents, client, counsel) and generic work verbs.  A
 * narrative made of a vague phrase and these says nothing about what was
 * done, for whom, or why.
 */
static const char *const filler_words[] = {
	"a", "an", "the", "of", "on", "to", "for", "with", "and", "or", "in",
	"at", "by", "from", "re", "regarding", "concerning", "about", "same",
	"matter", "matters", "file", "files", "case", "cases", "document",
	"documents", "doc", "docs", "material", "materials", "issue",
	"issues", "item", "items", "client", "clients", "counsel",
	"opposing", "partner", "associate", "team", "various", "misc",
	"miscellaneous", "general", "continued", "continue", "further",
	"additional", "ongoing", "related", "necessary", "all", "several",
	"multiple", "other", "etc", "review", "reviewed", "reviewing",
	"revise", "revised", "revising", "draft", "drafted", "drafting",
	"prepare", "prepared", "preparing", "preparation", "analyze",
	"analyzed", "analyse", "analysed", "analysis", "work", "worked",
	"working", "attention", "attend", "status", "update", "updates",
	"updated", "follow", "up", "email", "emails", "mail", "mails",
	"correspondence", "call", "calls", "telephone", "phone",
	"conference", "conferences", "meeting", "meetings", "research",
	"legal", "office", "time", "tasks", "task", "things", "stuff",
	"respond", "responded", "responding", "reply", "replied", "replying",
	"handle", "handled", "handling", "e",
};

/* Words that introduce what the work was about: with one, a single word
 * can be specific ("legal research on Daubert"); without, a vague phrase
 * and a bare noun are not ("attention to discovery", "work on brief"). */
static const char *const subject_words[] = {
	"regarding", "re", "concerning", "about", "relating", "on", "for",
	"of",
};

#define NFILLER (sizeof(filler_words) / sizeof(filler_words[0]))
#define NSUBJECT (sizeof(subject_words) / sizeof(subject_words[0]))
#define NDEFAULT (sizeof(default_phrases) / sizeof(default_phrases[0]))

struct state {
	struct narr_phrases phrases;
	size_t              filler;  /* list: subject words, other filler */
};

static void *
state_new(struct check_ctx *cx, const struct rule *r)
{
	struct state *s = xcalloc(1, sizeof(*s));
	const char *words[NFILLER + NSUBJECT];

	/* Subject words first: of two equal phrases the first id wins. */
	memcpy(words, subject_words, sizeof(subject_words));
	memcpy(words + NSUBJECT, filler_words, sizeof(filler_words));
	s->phrases.sc = narr_scan_of(cx);
	s->filler = narr_scan_add(s->phrases.sc, words, NFILLER + NSUBJECT);
	narr_phrases_get(&s->phrases, rule_param(r, P_PHRASES),
	    default_phrases, NDEFAULT);
	return s;
}

static void
state_free(void *p)
{
	struct state *s = p;

	narr_phrases_fini(&s->phrases);
	free(s);
}

/* Narratives longer than this always say something. */
#define MAX_VAGUE_WORDS 64

/* The words that the matches [m, end) cover, as bits. */
static uint64_t
cover(const struct phrase_hit *m, const struct phrase_hit *end)
{
	uint64_t words = 0;
	size_t k;

	for (; m < end; m++)
		for (k = m->word; k < (size_t)m->word + m->nwords &&
		    k < MAX_VAGUE_WORDS; k++)
			words |= UINT64_C(1) << k;
	return words;
}

/* The words a vague phrase leaves: content words are counted as filler
 * matches arrive (in word order), so a narrative with two is given up on
 * at once. */
struct rest {
	uint64_t phrase;  /* words covered by vague phrases */
	size_t   next;    /* the first word not yet accounted for */
	size_t   content; /* words neither phrase nor filler */
	bool     subject; /* a subject word outside the phrases */
	bool     stopped;
};

/* Counts words [r->next, upto) that no phrase covers as content. */
static void
rest_words(struct rest *r, size_t upto)
{
	for (; r->next < upto && r->next < MAX_VAGUE_WORDS; r->next++)
		r->content += !(r->phrase & (UINT64_C(1) << r->next));
}

/* Accounts for filler word m (filler matches come in word order);
 * false once two content words are known. */
static bool
note_filler(struct rest *r, const struct phrase_hit *m)
{
	bool in_phrase;

	if (m->word >= MAX_VAGUE_WORDS)
		return true;
	rest_words(r, m->word);
	if (r->next == m->word) {
		r->next++;
		in_phrase = (r->phrase & (UINT64_C(1) << m->word)) != 0;
		if (m->id < NSUBJECT && !in_phrase)
			r->subject = true;
	}
	if (r->content > 1) {
		r->stopped = true;
		return false;
	}
	return true;
}

/* At most this many phrases are quoted in a message. */
#define MAX_QUOTED 3

/* "'emails', 'calls', 're same'": the phrases found, in text order. */
static void
quote_phrases(char *buf, size_t cap, const struct narr_hits *nh,
    size_t list)
{
	struct phrase_match m[MAX_QUOTED + 1];
	size_t n = narr_outer_matches(nh, list, m, MAX_QUOTED + 1), i;
	size_t k = 0;

	buf[0] = '\0';
	for (i = 0; i < n && i < MAX_QUOTED; i++) {
		const char *p = narr_phrase(nh, list, m[i].id);
		int c = snprintf(buf + k, cap - k, "%s'%.*s'",
		    i == 0 ? "" : ", ", narr_clip(p, strlen(p), 60), p);

		if (c < 0 || (size_t)c >= cap - k)
			return;
		k += (size_t)c;
	}
	if (n > MAX_QUOTED)
		snprintf(buf + k, cap - k, ", ...");
}

static void
on_line(struct check_ctx *cx, const struct rule *r,
    const struct invoice_line *l)
{
	struct state *s = check_state(cx);
	const struct narr_hits *nh;
	const struct phrase_hit *m, *end;
	struct rest rest;
	size_t words, list;
	long min_words = rule_param(r, P_MIN_WORDS)->u.count;

	if (l->type != LINE_FEE)
		return;
	list = narr_phrases_get(&s->phrases, rule_param(r, P_PHRASES),
	    default_phrases, NDEFAULT);
	nh = narr_scan_line(s->phrases.sc, l);
	words = nh->h.nwords;
	if (words == 0) {
		check_emit_line(cx, r, l, narr_line_risk(r, l),
		    "no narrative");
		return;
	}
	if (narr_any(nh, list) && words <= MAX_VAGUE_WORDS) {
		memset(&rest, 0, sizeof(rest));
		m = narr_list(nh, list, &end);
		rest.phrase = cover(m, end);
		for (m = narr_list(nh, s->filler, &end); m < end &&
		    note_filler(&rest, m); m++)
			;
		if (!rest.stopped)
			rest_words(&rest, words);
		/* Nothing but the phrase and filler, or one bare word
		 * with nothing saying what it was about. */
		if (rest.content == 0 ||
		    (rest.content == 1 && !rest.subject)) {
			char q[300];

			quote_phrases(q, sizeof(q), nh, list);
			check_emit_line(cx, r, l, narr_line_risk(r, l),
			    "vague narrative: %s and nothing more specific",
			    q);
			return;
		}
	}
	if (min_words > 0 && words < (size_t)min_words)
		check_emit_line(cx, r, l, narr_line_risk(r, l),
		    "narrative of %zu word%s, fewer than %ld", words,
		    words == 1 ? "" : "s", min_words);
}

static const enum field_id needs[] = {F_LINE_ITEM_DESCRIPTION};

const struct check check_vague_description = {
	.name = "vague_description",
	.summary = "fee narrative that is only a vague phrase (work on "
		   "matter, attention to file, review documents) or too short",
	.params = params,
	.nparams = sizeof(params) / sizeof(params[0]),
	.needs = needs,
	.nneeds = 1,
	.state_new_cx = state_new,
	.state_free = state_free,
	.on_line = on_line,
};
