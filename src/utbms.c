/* utbms.c - UTBMS code lists, copied from the ABA code-set pages
 * (shared utbms.yaml and LEDES.md section 3). */
#include <string.h>

#include "utbms.h"

const char *const utbms_task_sets[] = {"litigation", "counseling",
	"bankruptcy", NULL};

/* Each set is one letter and a table by the number after it: "L110" is
 * in the litigation set when litigation[110].  Lines carry codes, so a
 * lookup is one load. */
struct code_set {
	char                 letter;
	const unsigned char *has; /* [1000] */
};

static const unsigned char litigation[1000] = {
	[100] = 1, [110] = 1, [120] = 1, [130] = 1, [140] = 1, [150] = 1,
	[160] = 1, [190] = 1, [200] = 1, [210] = 1, [220] = 1, [230] = 1,
	[240] = 1, [250] = 1, [260] = 1, [300] = 1, [310] = 1, [320] = 1,
	[330] = 1, [340] = 1, [350] = 1, [390] = 1, [400] = 1, [410] = 1,
	[420] = 1, [430] = 1, [440] = 1, [450] = 1, [460] = 1, [470] = 1,
	[500] = 1, [510] = 1, [520] = 1, [530] = 1,
};

static const unsigned char counseling[1000] = {
	[100] = 1, [200] = 1, [300] = 1, [400] = 1,
};

static const unsigned char bankruptcy[1000] = {
	[100] = 1, [110] = 1, [120] = 1, [130] = 1, [140] = 1, [150] = 1,
	[160] = 1, [170] = 1, [180] = 1, [185] = 1, [190] = 1, [195] = 1,
	[200] = 1, [210] = 1, [220] = 1, [230] = 1, [240] = 1, [250] = 1,
	[260] = 1, [300] = 1, [310] = 1, [320] = 1, [400] = 1, [410] = 1,
	[420] = 1,
};

static const unsigned char activity[1000] = {
	[101] = 1, [102] = 1, [103] = 1, [104] = 1, [105] = 1, [106] = 1,
	[107] = 1, [108] = 1, [109] = 1, [110] = 1, [111] = 1,
};

static const unsigned char expense[1000] = {
	[101] = 1, [102] = 1, [103] = 1, [104] = 1, [105] = 1, [106] = 1,
	[107] = 1, [108] = 1, [109] = 1, [110] = 1, [111] = 1, [112] = 1,
	[113] = 1, [114] = 1, [115] = 1, [116] = 1, [117] = 1, [118] = 1,
	[119] = 1, [120] = 1, [121] = 1, [122] = 1, [123] = 1, [124] = 1,
};

static const struct code_set set_litigation = {'L', litigation};
static const struct code_set set_counseling = {'C', counseling};
static const struct code_set set_bankruptcy = {'B', bankruptcy};
static const struct code_set set_activity = {'A', activity};
static const struct code_set set_expense = {'E', expense};

static bool
in_set(const struct code_set *s, const char *code, size_t n)
{
	unsigned d1, d2, d3;

	if (n != 4 || code[0] != s->letter)
		return false;
	d1 = (unsigned)(unsigned char)code[1] - '0';
	d2 = (unsigned)(unsigned char)code[2] - '0';
	d3 = (unsigned)(unsigned char)code[3] - '0';
	if (d1 > 9 || d2 > 9 || d3 > 9)
		return false;
	return s->has[d1 * 100 + d2 * 10 + d3] != 0;
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
