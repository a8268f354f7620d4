/* timekeeper_class.c - fees by a timekeeper class the guidelines do not pay
 * for (law clerks, summer associates, secretaries...). */
#include <stdlib.h>
#include <string.h>

#include "checks.h"
#include "xalloc.h"

enum { P_ALLOWED, P_DISALLOWED };

static const struct param_spec params[] = {
	{"allowed", PARAM_LIST, NULL, "the only classes paid for (PARTNR, "
	    "ASSOC, ... or PT, AS, ...)", NULL},
	{"disallowed", PARAM_LIST, NULL, "classes never paid for", NULL},
};

/* Which rule and input the class names were last checked for: the loader
 * cannot know class names, so a typo is told once per input, not once per
 * line.  A firm's overrides make a rule of their own, hence the pointer. */
struct state {
	const struct rule *rule;
	unsigned           file;
	bool               valid;
	/* The lists of `classes_of` as canonical classes (NULL for a name
	 * that is none), so a fee compares pointers, not strings. */
	const struct rule *classes_of;
	struct canon {
		const char **v;
		size_t       n, cap;
	} canon[2]; /* P_ALLOWED, P_DISALLOWED */
};

static void *
state_new(const struct rule *r)
{
	(void)r;
	return xcalloc(1, sizeof(struct state));
}

static void
state_free(void *p)
{
	struct state *st = p;

	free(st->canon[P_ALLOWED].v);
	free(st->canon[P_DISALLOWED].v);
	free(st);
}

static int
clip(size_t n)
{
	return (int)(n > 40 ? 40 : n);
}

static void
validate(struct check_ctx *cx, const struct rule *r, int param)
{
	const struct param_value *v = rule_param(r, param);
	size_t i;

	for (i = 0; i < v->u.list.n; i++) {
		const char *s = v->u.list.v[i];

		if (tk_class_canonical(s, strlen(s)) == NULL)
			check_note(cx, r, "'%.*s' in '%s' is not a LEDES "
			    "timekeeper class, so it matches no fee",
			    clip(strlen(s)), s, params[param].name);
	}
}

static void
canonize(struct canon *c, const struct param_value *v)
{
	size_t i;

	c->n = 0;
	xgrow(&c->v, &c->cap, v->u.list.n + 1, sizeof(c->v[0]));
	for (i = 0; i < v->u.list.n; i++)
		c->v[c->n++] = tk_class_canonical(v->u.list.v[i],
		    strlen(v->u.list.v[i]));
}

/* Whether the canonical class is in the list, which may use either LEDES
 * family (PT or PARTNR) and any case.  Canonical classes are unique
 * strings (record.h), so the list's canonical forms are compared as
 * pointers: this runs on every fee. */
static bool
listed(const struct canon *c, const char *class)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (c->v[i] == class)
			return true;
	return false;
}

/* "PARTNR, ASSOC" into buf (cut with "..." when long), or "none". */
static const char *
join(char *buf, size_t size, const struct param_value *v)
{
	size_t i, len = 0;
	int n;

	buf[0] = '\0';
	for (i = 0; i < v->u.list.n; i++) {
		const char *s = v->u.list.v[i];
		const char *c = tk_class_canonical(s, strlen(s));

		if (c == NULL)
			continue;
		n = snprintf(buf + len, size - len, "%s%s", len ? ", " : "",
		    c);
		if (n < 0 || (size_t)n >= size - len) {
			memcpy(buf + size - 4, "...", 4);
			break;
		}
		len += (size_t)n;
	}
	return buf[0] != '\0' ? buf : "none";
}

static void
on_line(struct check_ctx *cx, const struct rule *r,
    const struct invoice_line *l)
{
	const struct param_value *allowed = rule_param(r, P_ALLOWED);
	const struct param_value *disallowed = rule_param(r, P_DISALLOWED);
	struct state *st = check_state(cx);
	const struct firm *f = check_firm(cx);
	struct text id = l->field[F_TIMEKEEPER_ID];
	const char *class = l->tk_class, *from = "";
	int64_t at_risk = l->num[N_TOTAL] > 0 ? l->num[N_TOTAL] : 0;
	char list[160];

	if (l->type != LINE_FEE)
		return;
	if (!allowed->set && !disallowed->set) {
		check_note(cx, r, "neither 'allowed' nor 'disallowed' is set");
		return;
	}
	if (st->classes_of != r) {
		canonize(&st->canon[P_ALLOWED], allowed);
		canonize(&st->canon[P_DISALLOWED], disallowed);
		st->classes_of = r;
	}
	if (!st->valid || st->rule != r || st->file != l->file_index) {
		validate(cx, r, P_ALLOWED);
		validate(cx, r, P_DISALLOWED);
		st->rule = r;
		st->file = l->file_index;
		st->valid = true;
	}
	if (class == NULL && f != NULL && id.n > 0) {
		const struct timekeeper *tk = firm_timekeeper(f, id.p, id.n);

		if (tk != NULL && tk->class != NULL) {
			class = tk->class;
			from = " (from the roster)";
		}
	}
	if (class == NULL) {
		check_note(cx, r, "fees without a LEDES timekeeper class, on "
		    "the line or the roster, are not checked");
		return;
	}
	if (disallowed->set && listed(&st->canon[P_DISALLOWED], class)) {
		check_emit_line(cx, r, l, at_risk,
		    "timekeeper class %s%s is not paid for", class, from);
		return;
	}
	if (allowed->set && !listed(&st->canon[P_ALLOWED], class))
		check_emit_line(cx, r, l, at_risk,
		    "timekeeper class %s%s is not paid for; paid: %s", class,
		    from, join(list, sizeof(list), allowed));
}

const struct check check_timekeeper_class = {
	.name = "timekeeper_class",
	.summary = "fee by a timekeeper class the guidelines do not pay for",
	.params = params,
	.nparams = sizeof(params) / sizeof(params[0]),
	.state_new = state_new,
	.state_free = state_free,
	.on_line = on_line,
};
