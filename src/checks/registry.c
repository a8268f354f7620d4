/* registry.c - the check catalog.  Adding a check is one file and one line
 * here. */
#include <string.h>

#include "checks.h"

static const struct check *const catalog[] = {
	&check_ledes_format,
	&check_arithmetic,
	&check_required_codes,
	&check_approved_timekeeper,
	&check_rate,
	&check_timekeeper_class,
	&check_billing_increment,
	&check_daily_hours,
	&check_block_billing,
	&check_vague_description,
	&check_description_keywords,
	&check_internal_conference,
	&check_attendees,
	&check_travel_time,
	&check_expense_code,
	&check_expense_cap,
	&check_duplicate,
	&check_billing_period,
	&check_stale_charges,
	&check_late_invoice,
	&check_duplicate_invoice,
	&check_multi_matter,
	&check_task_hours,
	&check_budget,
	&check_rate_change,
	&check_weekend,
	&check_currency,
	&check_approved_firm,
	&check_purchase_order,
};

const struct check *const *
check_catalog(size_t *n)
{
	*n = sizeof(catalog) / sizeof(catalog[0]);
	return catalog;
}

const struct check *
check_find(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(catalog) / sizeof(catalog[0]); i++)
		if (strcmp(catalog[i]->name, name) == 0)
			return catalog[i];
	return NULL;
}

int
check_param_index(const struct check *c, const char *name)
{
	size_t i;

	for (i = 0; i < c->nparams; i++)
		if (strcmp(c->params[i].name, name) == 0)
			return (int)i;
	return -1;
}
