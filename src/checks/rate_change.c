/* rate_change.c - a timekeeper billed at another rate than the first one
 * in the run: a rate freeze, or at least one rate per timekeeper. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "checks.h"
#include "date.h"
#include "decimal.h"
#include "group.h"
#include "history.h"
#include "keymap.h"
#include "xalloc.h"

enum { P_INCREASES_ONLY, P_DEFER_TO_ROSTER };

static const struct param_spec params[] = {
	{"increases_only", PARAM_BOOL, "false", "flag only rates above the "
	    "first (not discounts or half-rate travel)", NULL},
	{"defer_to_roster", PARAM_BOOL, "true", "leave timekeepers with an "
	    "approved rate on the line date to the rate check", NULL},
};

/* A timekeeper's first rate in the run, or in the history of earlier
 * runs (--history): 32 bytes.  With its key (the firm's number and the
 * timekeeper id: inline for ids up to 12 bytes) and the keymap's 24-byte
 * header and 8-byte slot, about 70 bytes a timekeeper. */
struct first {
	int64_t  rate;  /* DEC_SCALE */
	uint64_t row;
	int32_t  date;
	uint32_t file;  /* file_index */
	uint32_t hist;  /* where an earlier run billed it (pool), or 0 */
};

struct state {
	keymap            *tks;  /* firm number|timekeeper -> struct first */
	struct group_ids   firms; /* firm id -> number, for keys */
	struct group_files files;
	struct group_pool  where; /* history texts */
};

static void *
state_new(const struct rule *r)
{
	struct state *s = xcalloc(1, sizeof(*s));

	(void)r;
	s->tks = keymap_new(sizeof(struct first));
	return s;
}

static void
state_free(void *p)
{
	struct state *s = p;

	keymap_free(s->tks);
	group_ids_fini(&s->firms);
	group_files_fini(&s->files);
	group_pool_fini(&s->where);
	free(s);
}

/* An approved rate on the line date makes the rate check the judge: a
 * change to the next approved rate is agreed, and one above it is that
 * check's finding, whose money would otherwise be counted twice. */
static bool
has_approved_rate(struct check_ctx *cx, const struct invoice_line *l)
{
	const struct firm *f = check_firm(cx);
	struct text id = l->field[F_TIMEKEEPER_ID];
	const struct timekeeper *tk;

	if (f == NULL)
		return false;
	tk = firm_timekeeper(f, id.p, id.n);
	return tk != NULL && timekeeper_rate_on(tk, l->date) >= 0;
}

/* A timekeeper new to the run may have billed before (--history): the
 * first recorded rate is then the one to keep to. */
static bool
earlier_run(struct check_ctx *cx, struct state *s, struct first *first,
    struct text firm, struct text tk)
{
	const struct history *h = check_history(cx);
	struct group_buf where;
	struct history_ref ref;
	int64_t rate;
	int32_t date;

	if (h == NULL || !history_first_rate(h, firm, tk, &rate, &date, &ref))
		return false;
	where.s[0] = '\0';
	where.n = 0;
	group_buf_history(&where, &ref);
	first->rate = rate;
	first->date = date;
	first->row = ref.row;
	first->hist = group_pool_add(&s->where, where.s);
	return true;
}

/* Line l's rate differs from the first one. */
static void
changed(struct check_ctx *cx, const struct rule *r, struct state *s,
    const struct invoice_line *l, const struct first *first)
{
	int64_t cost = l->num[N_UNIT_COST], risk = 0;
	struct group_buf where = {{0}, 0};
	char a[32], b[32], d[11];

	if (cost > first->rate &&
	    dec_mul(&risk, cost - first->rate, l->num[N_UNITS]) < 0)
		risk = INT64_MAX;
	if (first->hist != 0) {
		group_buf_add(&where, "%s",
		    group_pool_get(&s->where, first->hist));
	} else if (first->file == l->file_index) {
		group_buf_add(&where, "row %llu",
		    (unsigned long long)first->row);
	} else {
		const char *name = group_files_name(&s->files, first->file);

		group_buf_add(&where, "row %llu of %.*s",
		    (unsigned long long)first->row,
		    group_clip(name, strlen(name), GROUP_FILE_MAX), name);
	}
	check_emit_line(cx, r, l, risk > 0 ? risk : 0,
	    "billed %s/h; first billed %s/h on %s (%s)",
	    dec_format(a, cost, 2, true), dec_format(b, first->rate, 2, true),
	    date_format(d, first->date), where.s);
}

static void
on_line(struct check_ctx *cx, const struct rule *r,
    const struct invoice_line *l)
{
	struct state *s;
	struct text firm = l->field[F_LAW_FIRM_ID];
	struct text tk = l->field[F_TIMEKEEPER_ID];
	int64_t cost = l->num[N_UNIT_COST];
	struct first *first;
	unsigned char key[4 + 512];
	uint32_t num;
	bool created;

	/* A zero rate is a no-charge entry, not a rate. */
	if (l->type != LINE_FEE || !line_has_num(l, N_UNIT_COST) ||
	    cost <= 0 || tk.n == 0)
		return;
	if (rule_param(r, P_DEFER_TO_ROSTER)->u.flag &&
	    has_approved_rate(cx, l)) {
		check_note(cx, r, "timekeepers with an approved rate on the "
		    "line date are left to the rate check");
		return;
	}
	/* As long as ids were keyed by their text, length-prefixed, in 512
	 * bytes. */
	if (firm.n + tk.n + 8 > 512)
		return;
	s = check_state(cx);
	num = group_ids_get(&s->firms, firm);
	memcpy(key, &num, 4);
	memcpy(key + 4, tk.p, tk.n);
	first = keymap_put(s->tks, key, 4 + tk.n, &created);
	if (created && !earlier_run(cx, s, first, firm, tk)) {
		group_files_keep(&s->files, l->file_index, l->file);
		first->rate = cost;
		first->row = l->row;
		first->date = l->date;
		first->file = l->file_index;
		return;
	}
	if (cost == first->rate ||
	    (cost < first->rate && rule_param(r, P_INCREASES_ONLY)->u.flag))
		return;
	changed(cx, r, s, l, first);
}

static const enum field_id needs[] = {
	F_TIMEKEEPER_ID, F_LINE_ITEM_UNIT_COST,
};

const struct check check_rate_change = {
	.name = "rate_change",
	.summary = "a timekeeper billed at another rate than the first one in "
		   "the run (rate freeze)",
	.params = params,
	.nparams = sizeof(params) / sizeof(params[0]),
	.needs = needs,
	.nneeds = sizeof(needs) / sizeof(needs[0]),
	.state_new = state_new,
	.state_free = state_free,
	.on_line = on_line,
};
