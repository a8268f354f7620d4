/* checks.h - the table entries of the check catalog (one file each). */
#ifndef BILLCHECK_CHECKS_H
#define BILLCHECK_CHECKS_H

#include "check.h"

extern const struct check check_ledes_format;
extern const struct check check_arithmetic;
extern const struct check check_required_codes;
extern const struct check check_approved_timekeeper;
extern const struct check check_rate;
extern const struct check check_billing_increment;

#endif
