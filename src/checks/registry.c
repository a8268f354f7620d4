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
	&check_billing_increment,
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
