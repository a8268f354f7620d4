/* utbms.c - UTBMS code lists, copied from the ABA code-set pages
 * (shared utbms.yaml and LEDES.md section 3). */
#include <string.h>

#include "utbms.h"

const char *const utbms_task_sets[] = {"litigation", "counseling",
	"bankruptcy", NULL};

static const char *const litigation[] = {
	"L100", "L110", "L120", "L130", "L140", "L150", "L160", "L190",
	"L200", "L210", "L220", "L230", "L240", "L250", "L260",
	"L300", "L310", "L320", "L330", "L340", "L350", "L390",
	"L400", "L410", "L420", "L430", "L440", "L450", "L460", "L470",
	"L500", "L510", "L520", "L530", NULL,
};

static const char *const counseling[] = {
	"C100", "C200", "C300", "C400", NULL,
};

static const char *const bankruptcy[] = {
	"B100", "B110", "B120", "B130", "B140", "B150", "B160", "B170",
	"B180", "B185", "B190", "B195", "B200", "B210", "B220", "B230",
	"B240", "B250", "B260", "B300", "B310", "B320", "B400", "B410",
	"B420", NULL,
};

static const char *const activity[] = {
	"A101", "A102", "A103", "A104", "A105", "A106", "A107", "A108",
	"A109", "A110", "A111", NULL,
};

static const char *const expense[] = {
	"E101", "E102", "E103", "E104", "E105", "E106", "E107", "E108",
	"E109", "E110", "E111", "E112", "E113", "E114", "E115", "E116",
	"E117", "E118", "E119", "E120", "E121", "E122", "E123", "E124", NULL,
};

static bool
in_list(const char *const *list, const char *code, size_t n)
{
	for (; *list != NULL; list++)
		if (strlen(*list) == n && memcmp(*list, code, n) == 0)
			return true;
	return false;
}

bool
utbms_has(enum utbms_kind kind, const char *set, const char *code, size_t n)
{
	switch (kind) {
	case UTBMS_ACTIVITY:
		return in_list(activity, code, n);
	case UTBMS_EXPENSE:
		return in_list(expense, code, n);
	case UTBMS_TASK:
		break;
	}
	if (strcmp(set, "litigation") == 0)
		return in_list(litigation, code, n);
	if (strcmp(set, "counseling") == 0)
		return in_list(counseling, code, n);
	if (strcmp(set, "bankruptcy") == 0)
		return in_list(bankruptcy, code, n);
	return false;
}
