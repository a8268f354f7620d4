/* description_keywords.c - a line whose narrative names work the guideline
 * does not pay for (clerical or administrative tasks, overhead, billing
 * preparation...), from a phrase list the rule gives. */
#include <stdio.h>
#include <stdlib.h>

#include "checks.h"
#include "narrative.h"
#include "xalloc.h"

enum { P_PHRASES };

static const struct param_spec params[] = {
	{"phrases", PARAM_LIST, NULL, "phrases to flag, whole-word and "
	    "case-insensitive; a final '*' matches word starts (bates "
	    "stamp*); required", NULL},
};

struct state {
	struct narr_phrases phrases;
};

static void *
state_new(struct check_ctx *cx, const struct rule *r)
{
	struct state *s = xcalloc(1, sizeof(*s));

	s->phrases.sc = narr_scan_of(cx);
	narr_phrases_get(&s->phrases, rule_param(r, P_PHRASES), NULL, 0);
	return s;
}

static void
state_free(void *p)
{
	struct state *s = p;

	narr_phrases_fini(&s->phrases);
	free(s);
}

/* At most this many phrases are quoted in a message. */
#define MAX_QUOTED 3

static void
on_line(struct check_ctx *cx, const struct rule *r,
    const struct invoice_line *l)
{
	struct state *s = check_state(cx);
	const struct param_value *pv = rule_param(r, P_PHRASES);
	struct text t = narr_text(l);
	struct phrase_match m[MAX_QUOTED + 1];
	const struct narr_hits *nh;
	char msg[400];
	size_t list, n, i, k = 0;

	/* Invoice-level adjustments carry no work, unless the rule's
	 * types scope asks for them. */
	if (r->types == 0 && l->type != LINE_FEE && l->type != LINE_EXPENSE)
		return;
	if (!pv->set || pv->u.list.n == 0) {
		check_note(cx, r, "no phrases given; nothing to look for");
		return;
	}
	list = narr_phrases_get(&s->phrases, pv, NULL, 0);
	nh = narr_scan_line(s->phrases.sc, l);
	if (!narr_any(nh, list))
		return;
	msg[0] = '\0';
	n = narr_outer_matches(nh, list, m, MAX_QUOTED + 1);
	if (n == 0)
		return;
	for (i = 0; i < n && i < MAX_QUOTED; i++) {
		int w = narr_clip(t.p + m[i].start, m[i].end - m[i].start, 60);
		int c = snprintf(msg + k, sizeof(msg) - k, "%s'%.*s'",
		    i == 0 ? "" : ", ", w, t.p + m[i].start);

		if (c < 0 || (size_t)c >= sizeof(msg) - k)
			break;
		k += (size_t)c;
	}
	check_emit_line(cx, r, l, narr_line_risk(r, l),
	    "narrative mentions %s%s", msg, n > MAX_QUOTED ? " and more" : "");
}

static const enum field_id needs[] = {F_LINE_ITEM_DESCRIPTION};

const struct check check_description_keywords = {
	.name = "description_keywords",
	.summary = "narrative containing a listed phrase: clerical or "
		   "administrative work, overhead, billing preparation",
	.params = params,
	.nparams = sizeof(params) / sizeof(params[0]),
	.needs = needs,
	.nneeds = 1,
	.state_new_cx = state_new,
	.state_free = state_free,
	.on_line = on_line,
};
