/* budget.c - a matter's spend across the run against its budget: a
 * warning where it reaches warn_at of the budget, and a finding on every
 * line that spends beyond the budget. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "checks.h"
#include "decimal.h"
#include "group.h"
#include "history.h"
#include "keymap.h"
#include "xalloc.h"

enum { P_WARN_AT };

static const struct param_spec params[] = {
	{"warn_at", PARAM_FRACTION, "0.8", "share of the budget whose "
	    "crossing is a warning", NULL},
};

/* A matter's spend: 16 bytes, plus the key (the matter's address in the
 * rule set, 8 bytes) and the keymap's entry and slot: about 60 bytes for
 * each budgeted matter billed. */
struct spend {
	int64_t  total;   /* line totals so far, DEC_SCALE */
	uint32_t hist;    /* what earlier runs spent on it (pool), or 0 */
	bool     warned;  /* warn_at crossed (or the budget itself) */
};

struct state {
	keymap           *matters; /* const struct matter * -> struct spend */
	struct group_pool earlier; /* history texts */
};

static void *
state_new(const struct rule *r)
{
	struct state *s = xcalloc(1, sizeof(*s));

	(void)r;
	s->matters = keymap_new(sizeof(struct spend));
	return s;
}

static void
state_free(void *p)
{
	struct state *s = p;

	keymap_free(s->matters);
	group_pool_fini(&s->earlier);
	free(s);
}

/* The listed matter of line l: LAW_FIRM_MATTER_ID, else CLIENT_MATTER_ID,
 * or NULL (with a note saying why). */
static const struct matter *
matter_of(struct check_ctx *cx, const struct rule *r,
    const struct invoice_line *l)
{
	const struct firm *f = check_firm(cx);
	struct text firm = l->field[F_LAW_FIRM_ID];
	struct text lfm = l->field[F_LAW_FIRM_MATTER_ID];
	struct text cm = l->field[F_CLIENT_MATTER_ID];
	const struct matter *m = NULL;

	if (f == NULL) {
		check_note(cx, r, "firm '%.*s' is not listed, so its matters "
		    "have no budget", group_clip(firm.p, firm.n, GROUP_ID_MAX),
		    firm.n ? firm.p : "");
		/* Without a currency column no later line of the invoice
		 * can be noted for its currency instead. */
		if (!l->has_column[F_INVOICE_CURRENCY])
			check_skip_invoice(cx);
		return NULL;
	}
	if (lfm.n > 0)
		m = firm_matter(f, lfm.p, lfm.n);
	if (m == NULL && cm.n > 0)
		m = firm_matter(f, cm.p, cm.n);
	if (m == NULL) {
		struct text id = lfm.n ? lfm : cm;

		if (id.n == 0)
			check_note(cx, r, "lines without a matter id have no "
			    "budget");
		else
			check_note(cx, r, "matter %.*s is not listed for firm "
			    "%s, so it has no budget", group_clip(id.p, id.n,
			    GROUP_ID_MAX), id.p, f->id);
		return NULL;
	}
	if (!m->has_budget) {
		check_note(cx, r, "matter %s has no budget", m->id);
		return NULL;
	}
	return m;
}

/* A matter new to the run starts with what earlier runs recorded on it
 * (--history): spend to date.  A warn_at crossed then was warned of
 * then. */
static void
earlier_run(struct check_ctx *cx, struct state *s, struct spend *sp,
    const struct rule *r, const struct invoice_line *l,
    const struct matter *m)
{
	const struct history *h = check_history(cx);
	const char *currency = rules_currency(check_rules(cx));
	struct text cur = {currency ? currency : "",
		currency ? strlen(currency) : 0};
	struct text id = {m->id, strlen(m->id)};
	struct group_buf b = {{0}, 0};
	struct history_ref ref;
	unsigned long n;
	int64_t warn;
	char a[32];

	if (h == NULL)
		return;
	sp->total = history_matter_spend(h, l->field[F_LAW_FIRM_ID], id, cur,
	    &n, &ref);
	if (n == 0)
		return;
	group_buf_earlier(&b, dec_format(a, sp->total, 2, true), n, "last",
	    &ref);
	sp->hist = group_pool_add(&s->earlier, b.s);
	if (dec_mul(&warn, m->budget, rule_param(r, P_WARN_AT)->u.amount) < 0)
		warn = INT64_MAX;
	sp->warned = sp->total >= warn || sp->total > m->budget;
}

static void
on_line(struct check_ctx *cx, const struct rule *r,
    const struct invoice_line *l)
{
	struct state *s = check_state(cx);
	const char *currency = rules_currency(check_rules(cx));
	struct text cur = l->field[F_INVOICE_CURRENCY];
	int64_t total = l->num[N_TOTAL], before, warn, over, risk;
	int64_t warn_at = rule_param(r, P_WARN_AT)->u.amount;
	const struct matter *m;
	struct spend *sp;
	char a[32], b[32], c[32];
	bool created;

	if (!line_has_num(l, N_TOTAL))
		return;
	/* Money in another currency cannot be added to the budget's. */
	if (currency != NULL && cur.n > 0 && !text_eq(cur, currency)) {
		check_note(cx, r, "lines in %.*s are not counted against "
		    "budgets in %s", group_clip(cur.p, cur.n, GROUP_ID_MAX),
		    cur.p, currency);
		return;
	}
	m = matter_of(cx, r, l);
	if (m == NULL)
		return;
	sp = keymap_put(s->matters, &m, sizeof(m), &created);
	if (created)
		earlier_run(cx, s, sp, r, l, m);
	before = sp->total;
	if (dec_add(&sp->total, total) < 0)
		sp->total = total > 0 ? INT64_MAX : INT64_MIN;
	if (total <= 0)
		return; /* a credit crosses nothing */
	if (sp->total > m->budget) {
		/* Each line beyond the budget carries the part of it that is
		 * beyond, so the findings add up to the overrun. */
		over = sp->total - m->budget;
		risk = over < total ? over : total;
		sp->warned = true;
		if (before <= m->budget)
			check_emit_line(cx, r, l, risk, "matter %s spend %s "
			    "exceeds its budget of %s by %s%s", m->id,
			    dec_format(a, sp->total, 2, true),
			    dec_format(b, m->budget, 2, true),
			    dec_format(c, over, 2, true),
			    group_pool_get(&s->earlier, sp->hist));
		else
			check_emit_line(cx, r, l, risk, "matter %s is already "
			    "over its budget of %s: spend %s%s", m->id,
			    dec_format(b, m->budget, 2, true),
			    dec_format(a, sp->total, 2, true),
			    group_pool_get(&s->earlier, sp->hist));
		return;
	}
	if (sp->warned)
		return;
	if (dec_mul(&warn, m->budget, warn_at) < 0)
		warn = INT64_MAX;
	if (sp->total < warn)
		return;
	sp->warned = true;
	check_emit_line_sev(cx, r, SEV_WARNING, l, 0, "matter %s spend %s "
	    "reaches %s%% of its budget of %s%s", m->id,
	    dec_format(a, sp->total, 2, true),
	    dec_format_trim(c, warn_at * 100, 0),
	    dec_format(b, m->budget, 2, true),
	    group_pool_get(&s->earlier, sp->hist));
}

static const enum field_id needs[] = {F_LINE_ITEM_TOTAL};

const struct check check_budget = {
	.name = "budget",
	.summary = "matter spend across the run reaching warn_at of its "
		   "budget (warning) or beyond the budget",
	.params = params,
	.nparams = sizeof(params) / sizeof(params[0]),
	.needs = needs,
	.nneeds = sizeof(needs) / sizeof(needs[0]),
	.state_new = state_new,
	.state_free = state_free,
	.on_line = on_line,
};
