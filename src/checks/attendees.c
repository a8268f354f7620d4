/* attendees.c - more timekeepers at one event (deposition, hearing, trial,
 * mediation) than the guideline pays for: the first ones to bill it on a
 * matter-day are allowed, every later one is flagged. */
#include <stdlib.h>

#include "checks.h"
#include "date.h"
#include "narrative.h"
#include "xalloc.h"

enum { P_MAX, P_TASK_CODES, P_ACTIVITY_CODES, P_PHRASES };

static const struct param_spec params[] = {
	{"max", PARAM_COUNT, "1", "timekeepers paid for one event on a "
	    "matter-day", NULL},
	{"task_codes", PARAM_LIST, NULL, "task codes of attendance "
	    "(default L330, L450)", NULL},
	{"activity_codes", PARAM_LIST, NULL, "with a task code, the activity "
	    "codes that mean attending, not preparing (default A109; [] = "
	    "any)", NULL},
	{"phrases", PARAM_LIST, NULL, "narrative phrases of attendance "
	    "(default: attend deposition, take deposition, attend hearing, "
	    "attend trial, attend mediation, ...)", NULL},
};

static const char *const default_tasks[] = {"L330", "L450"};
static const char *const default_activities[] = {"A109"};

/* Attendance itself: "deposition of" or "hearing" alone would also take
 * in preparing for it, which any number of timekeepers may do. */
static const char *const default_phrases[] = {
	"attend deposition", "attend the deposition", "attended deposition",
	"attended the deposition", "attending deposition",
	"attendance at deposition", "take deposition", "take the deposition",
	"took deposition", "took the deposition", "defend deposition",
	"defend the deposition", "defended deposition",
	"attend hearing", "attend the hearing", "attended hearing",
	"attended the hearing", "attending hearing", "attendance at hearing",
	"attend court hearing", "appear at hearing", "appearance at hearing",
	"attend trial", "attended trial", "attending trial",
	"attendance at trial", "attend mediation", "attended mediation",
	"attend mediation session", "attendance at mediation",
};

#define NPHRASES (sizeof(default_phrases) / sizeof(default_phrases[0]))

static void *
state_new(struct check_ctx *cx, const struct rule *r)
{
	return narr_event_state_new(cx, rule_param(r, P_PHRASES),
	    default_phrases, NPHRASES);
}

static bool
coded_attendance(const struct rule *r, const struct invoice_line *l)
{
	const struct param_value *acts = rule_param(r, P_ACTIVITY_CODES);
	struct text act = l->field[F_LINE_ITEM_ACTIVITY_CODE];

	if (!narr_code_listed(l->field[F_LINE_ITEM_TASK_CODE],
	    rule_param(r, P_TASK_CODES), default_tasks, 2))
		return false;
	if (act.n == 0 || (acts->set && acts->u.list.n == 0))
		return true;
	return narr_code_listed(act, acts, default_activities, 1);
}

static void
on_line(struct check_ctx *cx, const struct rule *r,
    const struct invoice_line *l)
{
	struct narr_event_state *s = check_state(cx);
	const struct narr_event_day *day;
	long max = rule_param(r, P_MAX)->u.count;
	unsigned place;
	char d[11];

	if (l->type != LINE_FEE)
		return;
	if (!coded_attendance(r, l) && !narr_phrases_any(&s->phrases,
	    rule_param(r, P_PHRASES), default_phrases, NPHRASES, l))
		return;
	place = narr_event_add(&s->ev, l, &day);
	if (place == 0) {
		check_note(cx, r, "attendance lines without a timekeeper are "
		    "not counted");
		return;
	}
	if ((long)place <= max)
		return;
	check_emit_line(cx, r, l, narr_line_risk(r, l),
	    "event on %s attended by %u timekeepers, max %ld (first: %s)",
	    date_format(d, l->date), place, max, day->first);
}

const struct check check_attendees = {
	.name = "attendees",
	.summary = "more than max timekeepers billing the same deposition, "
		   "hearing, trial or mediation on a matter-day",
	.params = params,
	.nparams = sizeof(params) / sizeof(params[0]),
	.state_new_cx = state_new,
	.state_free = narr_event_state_free,
	.on_line = on_line,
};
