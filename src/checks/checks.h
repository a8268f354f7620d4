/* checks.h - the table entries of the check catalog (one file each). */
#ifndef BILLCHECK_CHECKS_H
#define BILLCHECK_CHECKS_H

#include "check.h"

extern const struct check check_ledes_format;
extern const struct check check_arithmetic;
extern const struct check check_required_codes;
extern const struct check check_approved_timekeeper;
extern const struct check check_rate;
extern const struct check check_timekeeper_class;
extern const struct check check_billing_increment;
extern const struct check check_daily_hours;
extern const struct check check_block_billing;
extern const struct check check_vague_description;
extern const struct check check_description_keywords;
extern const struct check check_internal_conference;
extern const struct check check_attendees;
extern const struct check check_travel_time;
extern const struct check check_expense_code;
extern const struct check check_expense_cap;
extern const struct check check_duplicate;
extern const struct check check_billing_period;
extern const struct check check_stale_charges;
extern const struct check check_late_invoice;
extern const struct check check_duplicate_invoice;
extern const struct check check_multi_matter;
extern const struct check check_task_hours;
extern const struct check check_budget;
extern const struct check check_rate_change;
extern const struct check check_weekend;
extern const struct check check_currency;
extern const struct check check_approved_firm;
extern const struct check check_purchase_order;

#endif
