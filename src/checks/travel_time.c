/* travel_time.c - travel time billed above the share of the timekeeper's
 * rate the guideline pays (usually half). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

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

#define KEY_MAX 300
#define TK_SLOTS 256
#define TK_ID_MAX 62

struct state {
	struct narr_phrases phrases;
	size_t              reduced; /* list id of reduced_phrases */
	keymap             *rates; /* firm|timekeeper -> 1 + index in rate */
	int64_t            *rate;  /* highest fee rate of each */
	size_t              nrate, caprate;
	/* Recent timekeepers' indexes, by a hash of their ids: an invoice's
	 * lines cycle through a few timekeepers, and building a key and
	 * looking it up costs more than the rest of the check. */
	struct tk_slot {
		uint32_t       ix; /* 1 + index in rate; 0: empty */
		unsigned char  firm_n, tk_n;
		char           id[TK_ID_MAX]; /* firm id, then timekeeper */
	}                   slot[TK_SLOTS];
};

static void *
state_new(struct check_ctx *cx, const struct rule *r)
{
	struct state *s = xcalloc(1, sizeof(*s));

	s->phrases.sc = narr_scan_of(cx);
	narr_phrases_get(&s->phrases, rule_param(r, P_PHRASES),
	    default_phrases, NPHRASES);
	s->reduced = narr_scan_add(s->phrases.sc, reduced_phrases,
	    sizeof(reduced_phrases) / sizeof(reduced_phrases[0]));
	s->rates = keymap_new(sizeof(uint32_t));
	return s;
}

static void
state_free(void *p)
{
	struct state *s = p;

	narr_phrases_fini(&s->phrases);
	keymap_free(s->rates);
	free(s->rate);
	free(s);
}

/* The timekeeper of l: its id, else its name. */
static struct text
tk_of(const struct invoice_line *l)
{
	struct text tk = l->field[F_TIMEKEEPER_ID];

	return tk.n > 0 ? tk : l->field[F_TIMEKEEPER_NAME];
}

static size_t
tk_key(char *buf, size_t cap, const struct invoice_line *l)
{
	struct text firm = l->field[F_LAW_FIRM_ID];
	struct text tk = tk_of(l);
	const void *parts[2];
	size_t lens[2];

	if (tk.n == 0)
		return 0;
	parts[0] = firm.p;
	lens[0] = firm.n;
	parts[1] = tk.p;
	lens[1] = tk.n;
	return keymap_key(buf, cap, parts, lens, 2);
}

/* The cache slot of l's timekeeper, or NULL when its ids are too long
 * to keep. */
static struct tk_slot *
slot_of(struct state *s, const struct invoice_line *l)
{
	struct text firm = l->field[F_LAW_FIRM_ID], tk = tk_of(l);
	size_t i, h = tk.n ^ firm.n << 3;

	if (tk.n == 0 || firm.n + tk.n > TK_ID_MAX)
		return NULL;
	for (i = 0; i < tk.n; i++)
		h = h * 31 + (unsigned char)tk.p[i];
	return &s->slot[(h ^ h >> 6) % TK_SLOTS];
}

/* Whether slot k holds l's timekeeper. */
static bool
slot_holds(const struct tk_slot *k, const struct invoice_line *l)
{
	struct text firm = l->field[F_LAW_FIRM_ID], tk = tk_of(l);

	return k->ix != 0 && k->firm_n == firm.n &&
	    k->tk_n == tk.n &&
	    (firm.n == 0 || memcmp(firm.p, k->id, firm.n) == 0) &&
	    memcmp(tk.p, k->id + firm.n, tk.n) == 0;
}

/* Keeps ix as the index of l's timekeeper in slot k. */
static void
slot_keep(struct tk_slot *k, const struct invoice_line *l, uint32_t ix)
{
	struct text firm = l->field[F_LAW_FIRM_ID], tk = tk_of(l);

	if (firm.n > 0)
		memcpy(k->id, firm.p, firm.n);
	memcpy(k->id + firm.n, tk.p, tk.n);
	k->firm_n = (unsigned char)firm.n;
	k->tk_n = (unsigned char)tk.n;
	k->ix = ix;
}

static bool
is_travel(struct state *s, const struct rule *r,
    const struct invoice_line *l)
{
	const struct param_value *codes = rule_param(r, P_CODES);

	if (codes->set &&
	    (narr_code_listed(l->field[F_LINE_ITEM_TASK_CODE], codes, NULL,
	    0) || narr_code_listed(l->field[F_LINE_ITEM_ACTIVITY_CODE], codes,
	    NULL, 0)))
		return true;
	return narr_phrases_any(&s->phrases, rule_param(r, P_PHRASES),
	    default_phrases, NPHRASES, l);
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
	char key[KEY_MAX], a[32], b[32], c[32], h[32], p[32];
	struct tk_slot *k;
	uint32_t ix, *v;
	size_t klen = 0;

	if (l->type != LINE_FEE)
		return;
	k = slot_of(s, l);
	if (k != NULL && slot_holds(k, l))
		ix = k->ix;
	else {
		klen = tk_key(key, sizeof(key), l);
		v = klen > 0 ? keymap_get(s->rates, key, klen) : NULL;
		ix = v != NULL ? *v : 0;
		if (ix != 0 && k != NULL)
			slot_keep(k, l, ix);
	}
	if (!is_travel(s, r, l)) {
		/* Other work shows the timekeeper's full rate. */
		if (klen > 0 && cost > 0 && ix == 0) {
			v = keymap_put(s->rates, key, klen, NULL);
			xgrow(&s->rate, &s->caprate, s->nrate + 1,
			    sizeof(*s->rate));
			s->rate[s->nrate] = 0;
			*v = ix = (uint32_t)++s->nrate;
			if (k != NULL)
				slot_keep(k, l, ix);
		}
		if (ix != 0 && cost > s->rate[ix - 1])
			s->rate[ix - 1] = cost;
		return;
	}
	seen = ix != 0 ? &s->rate[ix - 1] : NULL;
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
		full = cost;
		/* The line's own rate may already be the reduced one. */
		if (narr_any(narr_scan_line(s->phrases.sc, l), s->reduced))
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
	.state_new_cx = state_new,
	.state_free = state_free,
	.on_line = on_line,
};
