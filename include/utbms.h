/* utbms.h - the built-in UTBMS code sets (ABA / LEDES Oversight Committee). */
#ifndef BILLCHECK_UTBMS_H
#define BILLCHECK_UTBMS_H

#include <stdbool.h>
#include <stddef.h>

enum utbms_kind {
	UTBMS_TASK,
	UTBMS_ACTIVITY,
	UTBMS_EXPENSE
};

/* Names of the task code sets, NULL-terminated: "litigation",
 * "counseling", "bankruptcy". */
extern const char *const utbms_task_sets[];

/* True when code[0..n) (exact, upper case) is in the given task set, or,
 * for UTBMS_ACTIVITY and UTBMS_EXPENSE, in the single ABA list (set is
 * then ignored). */
bool utbms_has(enum utbms_kind kind, const char *set, const char *code,
    size_t n);

#endif
