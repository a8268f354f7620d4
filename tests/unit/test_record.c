/* test_record.c - field names, line types and timekeeper classes. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "record.h"

/* The classes LEDES knows, as LEDES.md lists them. */
static const char *const classes[] = {
	"ADJSMT", "ADJSTR", "ANALST", "ARBITR", "ASSOC", "AUDITR", "CLKSEC",
	"CONSLT", "CSTCNS", "CTRPTR", "DOCCDR", "DOCRAT", "DOCRNA", "DSCANJ",
	"DSCANS", "DSCATT", "DSCPMG", "EVDEVL", "EXPERT", "FLTFEE", "FORANL",
	"HLNLPF", "INVSTG", "IPAGNT", "IPSVPV", "LGLAST", "LGLINT", "LGPRMG",
	"LIBRRN", "MDRCRV", "MEDITR", "NBOTHR", "OFCOUN", "PARALG", "PARTNR",
	"RSPROF", "RSRCHR", "SECNDE", "SOLDSG", "SPAGNT", "STFATT", "STFCNS",
	"TEMPAT", "TEMPOS", "TPADMN", "TRAINR", "TRANEE", "TRANSL", "TRNDEV",
	"TRNFAG", "VIDOGR",
};
#define NCLASSES (sizeof(classes) / sizeof(classes[0]))

static const char *const legacy[][2] = {
	{"PT", "PARTNR"}, {"AS", "ASSOC"}, {"OC", "OFCOUN"},
	{"LA", "LGLAST"}, {"PL", "PARALG"}, {"OT", "NBOTHR"},
};

/* The canonical class by the definition: a case-blind match of the
 * whole text. */
static const char *
class_reference(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < sizeof(legacy) / sizeof(legacy[0]); i++)
		if (n == 2 && strncasecmp(s, legacy[i][0], 2) == 0)
			return legacy[i][1];
	for (i = 0; i < NCLASSES; i++)
		if (strlen(classes[i]) == n && strncasecmp(s, classes[i], n) == 0)
			return classes[i];
	return NULL;
}

static void
tk_class_canonical__every_class_any_case__one_pointer(void **state)
{
	char s[8];
	size_t i, j, n;

	(void)state;
	for (i = 0; i < NCLASSES; i++) {
		const char *c;

		n = strlen(classes[i]);
		c = tk_class_canonical(classes[i], n);
		assert_non_null(c);
		assert_string_equal(c, classes[i]);
		for (j = 0; j < n; j++)
			s[j] = (char)(classes[i][j] | (j % 2 ? 0x20 : 0));
		assert_ptr_equal(tk_class_canonical(s, n), c);
		for (j = 0; j < n; j++)
			s[j] = (char)(classes[i][j] | 0x20);
		assert_ptr_equal(tk_class_canonical(s, n), c);
	}
	/* The two families are one class, down to the pointer. */
	for (i = 0; i < sizeof(legacy) / sizeof(legacy[0]); i++) {
		assert_ptr_equal(tk_class_canonical(legacy[i][0], 2),
		    tk_class_canonical(legacy[i][1], strlen(legacy[i][1])));
		s[0] = (char)(legacy[i][0][0] | 0x20);
		s[1] = (char)(legacy[i][0][1] | 0x20);
		assert_ptr_equal(tk_class_canonical(s, 2),
		    tk_class_canonical(legacy[i][1], strlen(legacy[i][1])));
	}
}

static void
tk_class_canonical__near_misses__none(void **state)
{
	static const struct {
		const char *s;
		size_t      n;
	} miss[] = {
		{"ASSOC\0", 6}, {"ASSOC ", 6}, {"ASSO", 4}, {"PARTNRS", 7},
		{"PARTN", 5}, {"@SSOC", 5}, {"`SSOC", 5}, {"[ARTNR", 6},
		{"{ARTNR", 6}, {"P T", 3}, {"", 0}, {"P", 1}, {"PX", 2},
		{"P\0", 2}, {"\xd0" "ARTNR", 6}, {"PARTN\xd2", 6},
		{"ZZZZZZ", 6}, {"AAAAAA", 6}, {"ADJSMS", 6},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(miss) / sizeof(miss[0]); i++)
		assert_null(tk_class_canonical(miss[i].s, miss[i].n));
}

static void
tk_class_canonical__one_byte_changed__as_the_definition_says(void **state)
{
	char s[8];
	size_t i, j, n;
	int c, extra;

	(void)state;
	for (i = 0; i < NCLASSES; i++)
		for (j = 0; j < 7; j++)
			for (c = 0; c < 256; c++)
				for (extra = -1; extra <= 1; extra++) {
					const char *want, *got;

					memset(s, 'A', sizeof(s));
					memcpy(s, classes[i], strlen(classes[i]));
					s[j] = (char)c;
					n = (size_t)((int)strlen(classes[i]) +
					    extra);
					want = class_reference(s, n);
					got = tk_class_canonical(s, n);
					if (want == NULL)
						assert_null(got);
					else
						assert_string_equal(got, want);
				}
}

static void
line_type_parse__codes_and_words(void **state)
{
	(void)state;
	assert_int_equal(line_type_parse("F", 1), LINE_FEE);
	assert_int_equal(line_type_parse("e", 1), LINE_EXPENSE);
	assert_int_equal(line_type_parse("IF", 2), LINE_ADJ_FEE);
	assert_int_equal(line_type_parse("iE", 2), LINE_ADJ_EXPENSE);
	assert_int_equal(line_type_parse("Fee", 3), LINE_FEE);
	assert_int_equal(line_type_parse("TIME", 4), LINE_FEE);
	assert_int_equal(line_type_parse("expenses", 8), LINE_EXPENSE);
	assert_int_equal(line_type_parse("Disbursement", 12), LINE_EXPENSE);
	assert_int_equal(line_type_parse("", 0), LINE_UNKNOWN);
	assert_int_equal(line_type_parse("X", 1), LINE_UNKNOWN);
	assert_int_equal(line_type_parse("FE", 2), LINE_UNKNOWN);
	assert_int_equal(line_type_parse("II", 2), LINE_UNKNOWN);
	assert_int_equal(line_type_parse("F\0", 2), LINE_UNKNOWN);
	assert_int_equal(line_type_parse("IFX", 3), LINE_UNKNOWN);
}

/* The copy outlives the text it was made from, grows and shrinks with
 * what is kept, and compares by bytes, blank included. */
static void
text_copy__outlives_source__compares_by_bytes(void **state)
{
	struct text_copy c = {0};
	char src[64];

	(void)state;
	assert_true(text_copy_eq(&c, (struct text){"", 0}));
	strcpy(src, "INV-1001");
	text_copy_set(&c, (struct text){src, strlen(src)});
	memset(src, 'x', sizeof(src));
	assert_true(text_copy_eq(&c, (struct text){"INV-1001", 8}));
	assert_false(text_copy_eq(&c, (struct text){"INV-1002", 8}));
	assert_false(text_copy_eq(&c, (struct text){"INV-100", 7}));
	text_copy_set(&c, (struct text){"a much longer invoice number, past "
	    "the first allocation", 55});
	assert_true(text_copy_eq(&c, (struct text){"a much longer invoice "
	    "number, past the first allocation", 55}));
	text_copy_set(&c, (struct text){"", 0});
	assert_true(text_copy_eq(&c, (struct text){NULL, 0}));
	assert_false(text_copy_eq(&c, (struct text){"a", 1}));
	free(c.p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    tk_class_canonical__every_class_any_case__one_pointer),
		cmocka_unit_test(tk_class_canonical__near_misses__none),
		cmocka_unit_test(
		    tk_class_canonical__one_byte_changed__as_the_definition_says),
		cmocka_unit_test(line_type_parse__codes_and_words),
		cmocka_unit_test(text_copy__outlives_source__compares_by_bytes),
	};
	return cmocka_run_group_tests_name("record", tests, NULL, NULL);
}
