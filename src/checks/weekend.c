/* weekend.c - time billed on a Saturday, a Sunday or a listed holiday,
 * which needs a reason (trial, deadline) the client may ask for. */
#include "checks.h"
#include "date.h"

enum { P_HOLIDAYS };

static const struct param_spec params[] = {
	{"holidays", PARAM_DATES, NULL, "further days off (YYYY-MM-DD)", NULL},
};

static bool
holiday(const struct param_value *v, int32_t date)
{
	size_t i;

	for (i = 0; i < v->u.dates.n; i++)
		if (v->u.dates.v[i] == date)
			return true;
	return false;
}

static void
on_line(struct check_ctx *cx, const struct rule *r,
    const struct invoice_line *l)
{
	const struct param_value *hol = rule_param(r, P_HOLIDAYS);
	int wd = date_weekday(l->date);
	char d[11];

	/* Only work has a day; an expense is dated when it was paid. */
	if (l->type != LINE_FEE)
		return;
	if (hol->set && holiday(hol, l->date))
		check_emit_line(cx, r, l, 0, "dated on a holiday, %s",
		    date_format(d, l->date));
	else if (wd == 0 || wd == 6)
		check_emit_line(cx, r, l, 0, "dated %s %s",
		    wd == 0 ? "Sunday" : "Saturday", date_format(d, l->date));
}

const struct check check_weekend = {
	.name = "weekend",
	.summary = "fee dated on a Saturday, Sunday or listed holiday",
	.params = params,
	.nparams = sizeof(params) / sizeof(params[0]),
	.on_line = on_line,
};
