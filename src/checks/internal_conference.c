/* internal_conference.c - an intra-firm conference billed by more of the
 * firm's timekeepers than the guideline pays for: the first ones to bill
 * it on a matter-day are allowed, every later one is flagged. */
#include <stdlib.h>

#include "checks.h"
#include "date.h"
#include "narrative.h"
#include "xalloc.h"

enum { P_MAX_ATTENDEES, P_PHRASES, P_CODES };

static const struct param_spec params[] = {
	{"max_attendees", PARAM_COUNT, "1", "timekeepers of the firm paid "
	    "for one internal conference on a matter-day", NULL},
	{"phrases", PARAM_LIST, NULL, "narrative phrases of an internal "
	    "conference (default: office conference, internal conference, "
	    "confer with associate, team meeting, ...)", NULL},
	{"codes", PARAM_LIST, NULL, "task or activity codes of an internal "
	    "conference (default A105)", NULL},
};

static const char *const default_codes[] = {"A105"};

/* Phrases that say the other side of the conference is the firm itself;
 * "conference with" alone is as often the client or opposing counsel. */
static const char *const default_phrases[] = {
	"office conference", "office conferences", "internal conference",
	"interoffice conference", "inter-office conference",
	"intraoffice conference", "intra-office conference",
	"intrafirm conference", "intra-firm conference", "internal meeting",
	"internal call", "internal strategy conference",
	"internal strategy meeting", "team meeting", "team conference",
	"team call", "confer internally", "conferred internally",
	"conference with associate", "conference with associates",
	"confer with associate", "confer with associates",
	"conferred with associate", "conferred with associates",
	"conference with partner", "conference with partners",
	"confer with partner", "conferred with partner",
	"meeting with associate", "meet with associate",
	"meeting with partner", "meet with partner",
	"conference with paralegal", "confer with paralegal",
};

#define NPHRASES (sizeof(default_phrases) / sizeof(default_phrases[0]))

static void *
state_new(struct check_ctx *cx, const struct rule *r)
{
	return narr_event_state_new(cx, rule_param(r, P_PHRASES),
	    default_phrases, NPHRASES);
}

static void
on_line(struct check_ctx *cx, const struct rule *r,
    const struct invoice_line *l)
{
	struct narr_event_state *s = check_state(cx);
	const struct param_value *codes = rule_param(r, P_CODES);
	const struct narr_event_day *day;
	long max = rule_param(r, P_MAX_ATTENDEES)->u.count;
	unsigned place;
	char d[11];

	if (l->type != LINE_FEE)
		return;
	if (!narr_code_listed(l->field[F_LINE_ITEM_ACTIVITY_CODE], codes,
	    default_codes, 1) &&
	    !narr_code_listed(l->field[F_LINE_ITEM_TASK_CODE], codes,
	    default_codes, 1) &&
	    !narr_phrases_any(&s->phrases, rule_param(r, P_PHRASES),
	    default_phrases, NPHRASES, l))
		return;
	place = narr_event_add(&s->ev, l, &day);
	if (place == 0) {
		check_note(cx, r, "conference lines without a timekeeper are "
		    "not counted");
		return;
	}
	if ((long)place <= max)
		return;
	check_emit_line(cx, r, l, narr_line_risk(r, l),
	    "internal conference on %s billed by %u timekeepers, max %ld "
	    "(first: %s)", date_format(d, l->date), place, max, day->first);
}

const struct check check_internal_conference = {
	.name = "internal_conference",
	.summary = "intra-firm conference (A105 or phrases) billed by more "
		   "timekeepers of the firm than max_attendees on a matter-day",
	.params = params,
	.nparams = sizeof(params) / sizeof(params[0]),
	.state_new_cx = state_new,
	.state_free = narr_event_state_free,
	.on_line = on_line,
};
