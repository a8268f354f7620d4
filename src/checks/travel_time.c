/* travel_time.c - travel time billed above the share of the timekeeper's
 * rate the guideline pays (usually half). */
#include <stdlib.h>

#include "checks.h"
#include "decimal.h"
#include "narrative.h"
#include "xalloc.h"

enum { P_RATE_PERCENT, P_PHRASES, P_CODES };

static const struct param_spec params[] = {
	{"rate_percent", PARAM_PERCENT, "50", "share of the timekeeper's rate "
	    "paid for travel time", NULL},
	{"phrases", PARAM_LIST, NULL, "narrative phrases of travel (default: "
	    "travel to, travel from, travel time, return travel, drive to, "
	    "flight to, ...)", NULL},
	{"codes", PARAM_LIST, NULL, "task or activity codes of travel "
	    "(default none)", NULL},
};

static const char *const default_phrases[] = {
	"travel to", "travel from", "travel time", "travel between",
	"traveling to", "travelling to", "traveled to", "travelled to",
	"traveling from", "travelling from", "traveled from",
	"travelled from", "travel back", "return travel", "round trip travel",
	"non-working travel", "nonworking travel", "drive to", "drove to",
	"driving to", "flight to", "fly to", "flew to",
};

#define NPHRASES (sizeof(default_phrases) / sizeof(default_phrases[0]))

/* What a firm writes when it already billed the travel at a reduced rate;
 * trusted only when nothing else tells the timekeeper's full rate. */
static const char *const reduced_phrases[] = {
	"half rate", "1/2 rate", "50% rate", "50% of", "50 percent",
	"one-half rate", "half time", "billed at half", "reduced rate",
	"discounted rate",
};

struct state {
	struct narr_phrases phrases;
	phrase_set         *reduced;
	keymap             *rates; /* firm|timekeeper -> highest fee rate */
};

static void *
state_new(const struct rule *r)
{
	struct state *s = xcalloc(1, sizeof(*s));

	narr_phrases_get(&s->phrases, rule_param(r, P_PHRASES),
	    default_phrases, NPHRASES);
	s->reduced = phrase_set_new(reduced_phrases,
	    sizeof(reduced_phrases) / sizeof(reduced_phrases[0]));
	s->rates = keymap_new(sizeof(int64_t));
	return s;
}

static void
state_free(void *p)
{
	struct state *s = p;

	narr_phrases_fini(&s->phrases);
	phrase_set_free(s->reduced);
	keymap_free(s->rates);
	free(s);
}

static size_t
tk_key(char *buf, size_t cap, const struct invoice_line *l)
{
	struct text firm = l->field[F_LAW_FIRM_ID];
	struct text tk = l->field[F_TIMEKEEPER_ID];
	const void *parts[2];
	size_t lens[2];

	if (tk.n == 0)
		tk = l->field[F_TIMEKEEPER_NAME];
	if (tk.n == 0)
		return 0;
	parts[0] = firm.p;
	lens[0] = firm.n;
	parts[1] = tk.p;
	lens[1] = tk.n;
	return keymap_key(buf, cap, parts, lens, 2);
}

static bool
is_travel(struct state *s, const struct rule *r,
    const struct invoice_line *l)
{
	const struct param_value *codes = rule_param(r, P_CODES);
	struct text t = narr_text(l);

	if (narr_code_listed(l->field[F_LINE_ITEM_TASK_CODE], codes, NULL,
	    0) || narr_code_listed(l->field[F_LINE_ITEM_ACTIVITY_CODE], codes,
	    NULL, 0))
		return true;
	return phrase_find(narr_phrases_get(&s->phrases,
	    rule_param(r, P_PHRASES), default_phrases, NPHRASES), t.p, t.n,
	    NULL);
}

static void
on_line(struct check_ctx *cx, const struct rule *r,
    const struct invoice_line *l)
{
	struct state *s = check_state(cx);
	const struct firm *f = check_firm(cx);
	const struct timekeeper *tk = NULL;
	struct text id = l->field[F_TIMEKEEPER_ID];
	int64_t pct = rule_param(r, P_RATE_PERCENT)->u.amount;
	int64_t cost = line_has_num(l, N_UNIT_COST) ? l->num[N_UNIT_COST] : 0;
	int64_t full = -1, full_amount, allowed, billed, at_risk, *seen;
	const char *before = "", *after = "";
	char key[300], a[32], b[32], c[32], h[32], p[32];
	size_t klen;

	if (l->type != LINE_FEE)
		return;
	klen = tk_key(key, sizeof(key), l);
	seen = klen > 0 ? keymap_get(s->rates, key, klen) : NULL;
	if (!is_travel(s, r, l)) {
		/* Other work shows the timekeeper's full rate. */
		if (klen > 0 && cost > 0 && seen == NULL)
			seen = keymap_put(s->rates, key, klen, NULL);
		if (seen != NULL && cost > *seen)
			*seen = cost;
		return;
	}
	if (l->num[N_UNITS] <= 0)
		return;
	if (f != NULL && id.n > 0)
		tk = firm_timekeeper(f, id.p, id.n);
	if (tk != NULL)
		full = timekeeper_rate_on(tk, l->date);
	if (full >= 0) {
		before = "the approved ";
		after = " rate";
	} else if (seen != NULL && *seen > cost) {
		full = *seen;
		before = "the ";
		after = " rate billed for other work";
	} else {
		struct text t = narr_text(l);

		full = cost;
		/* The line's own rate may already be the reduced one. */
		if (phrase_find(s->reduced, t.p, t.n, NULL))
			return;
	}
	if (full <= 0) {
		check_note(cx, r, "no rate known for some travel lines");
		return;
	}
	if (dec_mul(&full_amount, l->num[N_UNITS], full) < 0 ||
	    dec_mul_div(&allowed, full_amount, pct, 100 * DEC_SCALE) < 0)
		return;
	/* Above the full rate is the rate check's money, not travel's. */
	billed = l->num[N_TOTAL] < full_amount ? l->num[N_TOTAL] : full_amount;
	at_risk = billed - allowed;
	if (at_risk <= 0)
		return;
	check_emit_line(cx, r, l, at_risk,
	    "travel billed %s for %s h; %s%% of %s%s/h%s allows %s",
	    dec_format(a, l->num[N_TOTAL], 2, true),
	    dec_format_trim(h, l->num[N_UNITS], 1),
	    dec_format_trim(p, pct, 0), before, dec_format(b, full, 2, true),
	    after, dec_format(c, allowed, 2, true));
}

const struct check check_travel_time = {
	.name = "travel_time",
	.summary = "travel time billed above rate_percent of the timekeeper's "
		   "rate",
	.params = params,
	.nparams = sizeof(params) / sizeof(params[0]),
	.state_new = state_new,
	.state_free = state_free,
	.on_line = on_line,
};
