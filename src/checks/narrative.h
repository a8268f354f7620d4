/* narrative.h - what the narrative checks share: phrase lists compiled
 * once, the line-total amount at risk, code lists, and the per-matter-day
 * count of timekeepers at one event. */
#ifndef BILLCHECK_CHECKS_NARRATIVE_H
#define BILLCHECK_CHECKS_NARRATIVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "check.h"
#include "keymap.h"
#include "phrase.h"

/* A list parameter's phrases, compiled once per distinct list: the rule's
 * own at state_new time, and a firm's override the first time a line of
 * that firm needs it.  Zero it to start; narr_phrases_fini frees it. */
struct narr_phrases {
	struct narr_list {
		const char *const *v; /* the list compiled (identity) */
		size_t             n;
		phrase_set        *ps;
	}     *e;
	size_t n, cap;
};

/* The compiled phrases of pv, or of dflt[0..ndflt) when pv is not set.
 * Never NULL; owned by c. */
phrase_set *narr_phrases_get(struct narr_phrases *c,
    const struct param_value *pv, const char *const *dflt, size_t ndflt);
void narr_phrases_fini(struct narr_phrases *c);

/* The matches of ps in s[0..n) that no longer match contains, in text
 * order, at most max of them into m (a '*' match extended to the end of
 * its word).  Returns how many. */
size_t narr_outer_matches(const phrase_set *ps, const char *s, size_t n,
    struct phrase_match *m, size_t max);

/* The line's narrative (n == 0 when blank or absent). */
struct text narr_text(const struct invoice_line *l);

/* The line total times the rule's reduction, never negative. */
int64_t narr_line_risk(const struct rule *r, const struct invoice_line *l);

/* How many bytes of s[0..n) to print: at most max, never half a UTF-8
 * character.  For "%.*s". */
int narr_clip(const char *s, size_t n, size_t max);

/* True when code (trimmed, case-insensitive) is one of pv's values, or of
 * dflt[0..ndflt) when pv is not set.  A blank code is never listed. */
bool narr_code_listed(struct text code, const struct param_value *pv,
    const char *const *dflt, size_t ndflt);

/*
 * Timekeepers at one event, per firm + matter + day, across all inputs:
 * the first ones to bill it are allowed, every later one is beyond the
 * limit.  Memory is one small entry per event and per timekeeper at it.
 */
struct narr_event {
	keymap *events; /* firm|matter|day -> struct narr_event_day */
	keymap *people; /* firm|matter|day|timekeeper -> ordinal */
};

#define NARR_ID_MAX 40

struct narr_event_day {
	unsigned count;                  /* distinct timekeepers so far */
	char     first[NARR_ID_MAX + 1]; /* the first one's id, clipped */
};

void narr_event_init(struct narr_event *ev);
void narr_event_fini(struct narr_event *ev);

/* Records that l's timekeeper billed the event of l's firm, matter and
 * date.  Returns the timekeeper's 1-based place among the event's
 * timekeepers (a timekeeper keeps its place on later lines), with *day
 * pointing at the event (valid until the next call); 0 when the line
 * names no timekeeper (neither TIMEKEEPER_ID nor TIMEKEEPER_NAME). */
unsigned narr_event_add(struct narr_event *ev, const struct invoice_line *l,
    const struct narr_event_day **day);

/* The matter a line belongs to: LAW_FIRM_MATTER_ID, else CLIENT_MATTER_ID. */
struct text narr_matter(const struct invoice_line *l);

/* The state of the event checks (internal_conference, attendees): their
 * phrase list and who attended what. */
struct narr_event_state {
	struct narr_phrases phrases;
	struct narr_event   ev;
};

/* A new state for a rule whose phrase parameter is `phrases`, falling back
 * to defaults[0..n).  Free with narr_event_state_free. */
void *narr_event_state_new(const struct param_value *phrases,
    const char *const *defaults, size_t n);
void  narr_event_state_free(void *state);

#endif
