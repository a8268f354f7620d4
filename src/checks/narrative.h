/* narrative.h - what the narrative checks share: one scan of each line's
 * narrative for all their phrase lists, the line-total amount at risk,
 * code lists, and the per-matter-day count of timekeepers at one event. */
#ifndef BILLCHECK_CHECKS_NARRATIVE_H
#define BILLCHECK_CHECKS_NARRATIVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "check.h"
#include "keymap.h"
#include "phrase.h"

/*
 * The run's narrative scanner: the phrase lists of every narrative rule
 * in one automaton, so that each line's narrative is read once for all of
 * them, however many checks ask.  Lists are added when a rule's state is
 * made (state_new_cx), and a firm's override list the first time a line
 * of that firm needs it (the automaton is then rebuilt, and the line read
 * again).  Each line is scanned ahead of the checks (check_ahead) with
 * the automaton of the lists added by state_new time; a line scanned
 * after a rebuild is scanned again by the check that asks.
 * One per engine (check_shared), so it is neither global nor shared
 * between runs.
 */
typedef struct narr_scan narr_scan;

/* The scanner of cx's run; owned by the engine. */
narr_scan *narr_scan_of(struct check_ctx *cx);

/* Adds the list v[0..n) (copied; NULL entries never match) and returns
 * its id.  A list equal to one added before gets that list's id. */
size_t narr_scan_add(narr_scan *sc, const char *const *v, size_t n);

/* What the scan of one line's narrative found for every list.  The
 * scanner starts with it, so that narr_scan_line's test inlines. */
struct narr_hits {
	phrase_set        *ps; /* the lists' automaton (NULL: not built) */
	struct phrase_hits h;  /* its words and matches */
	struct text        t;  /* the narrative scanned */
	/* the line scanned (NULL: none, or a list came since) */
	const struct invoice_line *line;
	unsigned long      record;
	unsigned           file;
};

/* What narr_scan_line reads of the scanner: its first members. */
struct narr_scan_head {
	struct narr_hits hits;  /* the last line scanned on demand */
	size_t           ahead; /* check_ahead handle of the scan ahead */
	bool             stale; /* a list came after the last build */
};

/* The scan behind narr_scan_line, for a line not scanned yet. */
struct narr_hits *narr_scan_new_line(narr_scan *sc,
    const struct invoice_line *l);

/* The scan of l done ahead of the checks; for another job ahead (which
 * must be added after the scanner is made) and narr_scan_line.  Its
 * automaton may be older than the scanner's. */
static inline const struct narr_hits *
narr_scan_ahead(const narr_scan *sc, const struct invoice_line *l)
{
	return check_ahead_of(l, ((const struct narr_scan_head *)(const void *)
	    sc)->ahead);
}

/* l's narrative scanned for every list: the scan ahead, or on the first
 * call for l, and the same result on later calls for l (the line is known
 * by its input, record and text, since readers reuse one invoice_line).  Valid until
 * the next call with another line or the next narr_scan_add. */
static inline struct narr_hits *
narr_scan_line(narr_scan *sc, const struct invoice_line *l)
{
	struct narr_scan_head *head = (struct narr_scan_head *)(void *)sc;
	struct narr_hits *nh = &head->hits;
	struct narr_hits *a = check_ahead_of(l, head->ahead);

	/* The scan ahead serves while no list came since. */
	if (a->ps == nh->ps && !head->stale)
		return a;
	if (nh->line == l && nh->record == l->record &&
	    nh->file == l->file_index &&
	    nh->t.p == l->field[F_LINE_ITEM_DESCRIPTION].p &&
	    nh->t.n == l->field[F_LINE_ITEM_DESCRIPTION].n)
		return nh;
	return narr_scan_new_line(sc, l);
}

/* Whether nh has a match of list. */
static inline bool
narr_any(const struct narr_hits *nh, size_t list)
{
	return phrase_hits_any(&nh->h, list);
}

/* The matches of list in nh, in phrase_scan's order: from the pointer
 * returned to *end (excluded). */
static inline const struct phrase_hit *
narr_list(const struct narr_hits *nh, size_t list,
    const struct phrase_hit **end)
{
	return phrase_hits_of(&nh->h, list, end);
}

/* Calls fn for each match of list in nh, in phrase_scan's order, until
 * it returns false.  Returns the number of calls. */
size_t narr_each(const struct narr_hits *nh, size_t list, phrase_fn fn,
    void *ctx);

/* Phrase id of list, as given. */
const char *narr_phrase(const struct narr_hits *nh, size_t list, size_t id);

/* A rule's list parameter, as a list of the scanner: the rule's own
 * (added at state_new time) and a firm's override (added the first time
 * a line of that firm needs it).  Zero it and set sc to start;
 * narr_phrases_fini frees it. */
struct narr_phrases {
	narr_scan *sc;
	struct narr_list {
		const char *const *v;  /* the list given (identity) */
		size_t             n;
		size_t             id; /* its id in sc */
	}     *e;
	size_t n, cap;
};

/* The list id of v[0..n), added to c and the scanner when new. */
size_t narr_phrases_add(struct narr_phrases *c, const char *const *v,
    size_t n);
void narr_phrases_fini(struct narr_phrases *c);

/* The list id of pv, or of dflt[0..ndflt) when pv is not set. */
static inline size_t
narr_phrases_get(struct narr_phrases *c, const struct param_value *pv,
    const char *const *dflt, size_t ndflt)
{
	const char *const *v = pv->set ? pv->u.list.v : dflt;
	size_t n = pv->set ? pv->u.list.n : ndflt;

	/* Usually the rule's own list, added first. */
	if (c->n > 0 && c->e[0].v == v && c->e[0].n == n)
		return c->e[0].id;
	return narr_phrases_add(c, v, n);
}

/* Whether l's narrative has a match of that list. */
static inline bool
narr_phrases_any(struct narr_phrases *c, const struct param_value *pv,
    const char *const *dflt, size_t ndflt, const struct invoice_line *l)
{
	size_t list = narr_phrases_get(c, pv, dflt, ndflt);

	/* The list first: adding one rebuilds the scan of the line. */
	return narr_any(narr_scan_line(c->sc, l), list);
}

/* The matches of list in nh that no longer match contains, in text
 * order, at most max of them into m (a '*' match extended to the end of
 * its word).  Returns how many. */
size_t narr_outer_matches(const struct narr_hits *nh, size_t list,
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
void *narr_event_state_new(struct check_ctx *cx,
    const struct param_value *phrases, const char *const *defaults,
    size_t n);
void  narr_event_state_free(void *state);

#endif
