/* utbms.c - UTBMS code lists, copied from the ABA code-set pages
 * (shared utbms.yaml and LEDES.md section 3). */
#include <string.h>

#include "utbms.h"

const char *const utbms_task_sets[] = {"litigation", "counseling",
	"bankruptcy", NULL};

/* Each set is one letter and the sorted numbers after it: "L110" is
 * {'L', 110}.  Lines carry codes, so lookups are a few comparisons. */
struct code_set {
	char                  letter;
	const unsigned short *num;
	size_t                n;
};

#define SET(letter, a) {letter, a, sizeof(a) / sizeof(a[0])}

static const unsigned short litigation[] = {
	100, 110, 120, 130, 140, 150, 160, 190,
	200, 210, 220, 230, 240, 250, 260,
	300, 310, 320, 330, 340, 350, 390,
	400, 410, 420, 430, 440, 450, 460, 470,
	500, 510, 520, 530,
};

static const unsigned short counseling[] = {
	100, 200, 300, 400,
};

static const unsigned short bankruptcy[] = {
	100, 110, 120, 130, 140, 150, 160, 170,
	180, 185, 190, 195, 200, 210, 220, 230,
	240, 250, 260, 300, 310, 320, 400, 410,
	420,
};

static const unsigned short activity[] = {
	101, 102, 103, 104, 105, 106, 107, 108,
	109, 110, 111,
};

static const unsigned short expense[] = {
	101, 102, 103, 104, 105, 106, 107, 108,
	109, 110, 111, 112, 113, 114, 115, 116,
	117, 118, 119, 120, 121, 122, 123, 124,
};

static const struct code_set set_litigation = SET('L', litigation);
static const struct code_set set_counseling = SET('C', counseling);
static const struct code_set set_bankruptcy = SET('B', bankruptcy);
static const struct code_set set_activity = SET('A', activity);
static const struct code_set set_expense = SET('E', expense);

static bool
in_set(const struct code_set *s, const char *code, size_t n)
{
	unsigned d1, d2, d3, v;
	size_t lo = 0, hi = s->n, i;

	if (n != 4 || code[0] != s->letter)
		return false;
	d1 = (unsigned)(unsigned char)code[1] - '0';
	d2 = (unsigned)(unsigned char)code[2] - '0';
	d3 = (unsigned)(unsigned char)code[3] - '0';
	if (d1 > 9 || d2 > 9 || d3 > 9)
		return false;
	v = d1 * 100 + d2 * 10 + d3;
	while (lo < hi) {
		i = lo + (hi - lo) / 2;
		if (s->num[i] == v)
			return true;
		if (s->num[i] < v)
			lo = i + 1;
		else
			hi = i;
	}
	return false;
}

/* The task set called name, or NULL.  The first letter picks the one
 * name to compare. */
static const struct code_set *
task_set(const char *name)
{
	switch (name[0]) {
	case 'l':
		return strcmp(name, "litigation") == 0 ? &set_litigation : NULL;
	case 'c':
		return strcmp(name, "counseling") == 0 ? &set_counseling : NULL;
	case 'b':
		return strcmp(name, "bankruptcy") == 0 ? &set_bankruptcy : NULL;
	default:
		return NULL;
	}
}

bool
utbms_has(enum utbms_kind kind, const char *set, const char *code, size_t n)
{
	const struct code_set *s = NULL;

	switch (kind) {
	case UTBMS_ACTIVITY:
		s = &set_activity;
		break;
	case UTBMS_EXPENSE:
		s = &set_expense;
		break;
	case UTBMS_TASK:
		/* Every task code is a letter and three digits: most
		 * lookups end before the set's name is read. */
		if (n != 4)
			return false;
		s = task_set(set);
		break;
	}
	return s != NULL && in_set(s, code, n);
}
