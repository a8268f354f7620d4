/* task_hours.c - hours on given task or activity codes (research, A102,
 * say) per matter per invoice above a maximum. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "checks.h"
#include "decimal.h"
#include "group.h"
#include "keymap.h"
#include "xalloc.h"

enum { P_CODES, P_MAX };

static const struct param_spec params[] = {
	{"codes", PARAM_LIST, NULL, "task or activity codes counted "
	    "(required), e.g. [A102]", NULL},
	{"max", PARAM_AMOUNT, NULL, "most hours on those codes per matter "
	    "per invoice (required)", NULL},
};

/* One matter of one invoice: 16 bytes, plus its key (firm, invoice
 * number and matter) and the keymap's entry and slot.  State lives for
 * one input only, since an invoice is one file's lines of a number. */
struct total {
	int64_t hours;   /* DEC_SCALE */
	bool    flagged; /* the one finding is made */
};

struct state {
	keymap  *totals;  /* firm|number|matter -> struct total */
	unsigned file;    /* the input totals is about */
	bool     has_file;
	const struct param_value *codes_pv; /* lens is for this value */
	size_t  *lens;    /* of each code */
	size_t   lens_cap;
};

static void *
state_new(const struct rule *r)
{
	struct state *s = xcalloc(1, sizeof(*s));

	(void)r;
	s->totals = keymap_new(sizeof(struct total));
	return s;
}

static void
state_free(void *p)
{
	struct state *s = p;

	keymap_free(s->totals);
	free(s->lens);
	free(s);
}

/* UTBMS codes are upper case, but exports are not always. */
static bool
same_code(const char *code, size_t n, struct text t)
{
	size_t i;

	if (t.n == 0 || n != t.n)
		return false;
	for (i = 0; i < t.n; i++) {
		unsigned char a = (unsigned char)code[i];
		unsigned char b = (unsigned char)t.p[i];

		if (a >= 'a' && a <= 'z')
			a = (unsigned char)(a - 'a' + 'A');
		if (b >= 'a' && b <= 'z')
			b = (unsigned char)(b - 'a' + 'A');
		if (a != b)
			return false;
	}
	return true;
}

/* The codes' lengths, worked out again when the parameter value changes
 * (a firm's override may change it). */
static const size_t *
code_lens(struct state *s, const struct param_value *codes)
{
	size_t i;

	if (codes == s->codes_pv)
		return s->lens;
	s->codes_pv = codes;
	xgrow(&s->lens, &s->lens_cap, codes->u.list.n, sizeof(*s->lens));
	for (i = 0; i < codes->u.list.n; i++)
		s->lens[i] = strlen(codes->u.list.v[i]);
	return s->lens;
}

static bool
coded(struct state *s, const struct param_value *codes,
    const struct invoice_line *l)
{
	const size_t *lens = code_lens(s, codes);
	size_t i;

	for (i = 0; i < codes->u.list.n; i++)
		if (same_code(codes->u.list.v[i], lens[i],
		    l->field[F_LINE_ITEM_TASK_CODE]) ||
		    same_code(codes->u.list.v[i], lens[i],
		    l->field[F_LINE_ITEM_ACTIVITY_CODE]))
			return true;
	return false;
}

/* Line l takes its matter's hours over the max. */
static void
over(struct check_ctx *cx, const struct rule *r,
    const struct invoice_line *l, const struct param_value *codes,
    const struct total *t, int64_t max)
{
	struct text num = l->field[F_INVOICE_NUMBER];
	struct text m = l->field[F_LAW_FIRM_MATTER_ID].n ?
	    l->field[F_LAW_FIRM_MATTER_ID] : l->field[F_CLIENT_MATTER_ID];
	struct group_buf list = {{0}, 0};
	char a[32], b[32];
	size_t i;

	for (i = 0; i < codes->u.list.n; i++)
		group_buf_add(&list, "%s%.*s", i > 0 ? "/" : "",
		    group_clip(codes->u.list.v[i], strlen(codes->u.list.v[i]),
		    GROUP_ID_MAX), codes->u.list.v[i]);
	check_emit_line(cx, r, l, group_excess_risk(l, t->hours - max),
	    "%s h coded %s on matter %.*s in invoice %.*s, max %s h",
	    dec_format_trim(a, t->hours, 1), list.s,
	    m.n ? group_clip(m.p, m.n, GROUP_ID_MAX) : 6, m.n ? m.p : "(none)",
	    num.n ? group_clip(num.p, num.n, GROUP_ID_MAX) : 6,
	    num.n ? num.p : "(none)",
	    dec_format_trim(b, max, 1));
}

static void
on_line(struct check_ctx *cx, const struct rule *r,
    const struct invoice_line *l)
{
	struct state *s = check_state(cx);
	const struct param_value *codes = rule_param(r, P_CODES);
	const struct param_value *max = rule_param(r, P_MAX);
	struct text firm = l->field[F_LAW_FIRM_ID];
	struct text num = l->field[F_INVOICE_NUMBER];
	struct text m = l->field[F_LAW_FIRM_MATTER_ID].n ?
	    l->field[F_LAW_FIRM_MATTER_ID] : l->field[F_CLIENT_MATTER_ID];
	const void *parts[3] = {firm.p, num.p, m.p};
	size_t lens[3] = {firm.n, num.n, m.n}, klen;
	struct total *t;
	char key[1024];

	if (!codes->set || codes->u.list.n == 0 || !max->set) {
		check_note(cx, r, "the rule needs 'codes' and 'max'");
		return;
	}
	if (!s->has_file || s->file != l->file_index) {
		keymap_clear(s->totals);
		s->file = l->file_index;
		s->has_file = true;
	}
	if (!l->has_column[F_LINE_ITEM_TASK_CODE] &&
	    !l->has_column[F_LINE_ITEM_ACTIVITY_CODE]) {
		check_note(cx, r, "input has no task or activity code column");
		return;
	}
	if (l->type != LINE_FEE || !line_has_num(l, N_UNITS) ||
	    !coded(s, codes, l))
		return;
	klen = keymap_key(key, sizeof(key), parts, lens, 3);
	if (klen == 0)
		return;
	t = keymap_put(s->totals, key, klen, NULL);
	if (dec_add(&t->hours, l->num[N_UNITS]) < 0)
		t->hours = l->num[N_UNITS] > 0 ? INT64_MAX : INT64_MIN;
	if (t->flagged || t->hours <= max->u.amount || l->num[N_UNITS] <= 0)
		return;
	t->flagged = true;
	over(cx, r, l, codes, t, max->u.amount);
}

static const enum field_id needs[] = {F_LINE_ITEM_NUMBER_OF_UNITS};

const struct check check_task_hours = {
	.name = "task_hours",
	.summary = "hours on given task or activity codes per matter per "
		   "invoice above the max (e.g. research, A102)",
	.params = params,
	.nparams = sizeof(params) / sizeof(params[0]),
	.needs = needs,
	.nneeds = sizeof(needs) / sizeof(needs[0]),
	.state_new = state_new,
	.state_free = state_free,
	.on_line = on_line,
};
