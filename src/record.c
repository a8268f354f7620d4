/* record.c - LEDES field names, line types and timekeeper classes. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "record.h"
#include "xalloc.h"

static const char *const field_names[F__COUNT] = {
	"INVOICE_DATE", "INVOICE_NUMBER", "CLIENT_ID", "LAW_FIRM_MATTER_ID",
	"INVOICE_TOTAL", "BILLING_START_DATE", "BILLING_END_DATE",
	"INVOICE_DESCRIPTION", "LINE_ITEM_NUMBER", "EXP/FEE/INV_ADJ_TYPE",
	"LINE_ITEM_NUMBER_OF_UNITS", "LINE_ITEM_ADJUSTMENT_AMOUNT",
	"LINE_ITEM_TOTAL", "LINE_ITEM_DATE", "LINE_ITEM_TASK_CODE",
	"LINE_ITEM_EXPENSE_CODE", "LINE_ITEM_ACTIVITY_CODE", "TIMEKEEPER_ID",
	"LINE_ITEM_DESCRIPTION", "LAW_FIRM_ID", "LINE_ITEM_UNIT_COST",
	"TIMEKEEPER_NAME", "TIMEKEEPER_CLASSIFICATION", "CLIENT_MATTER_ID",
	"PO_NUMBER", "CLIENT_TAX_ID", "MATTER_NAME", "INVOICE_TAX_TOTAL",
	"INVOICE_NET_TOTAL", "INVOICE_CURRENCY", "TIMEKEEPER_LAST_NAME",
	"TIMEKEEPER_FIRST_NAME", "ACCOUNT_TYPE", "LAW_FIRM_NAME",
	"LAW_FIRM_ADDRESS_1", "LAW_FIRM_ADDRESS_2", "LAW_FIRM_CITY",
	"LAW_FIRM_STATEorREGION", "LAW_FIRM_POSTCODE", "LAW_FIRM_COUNTRY",
	"CLIENT_NAME", "CLIENT_ADDRESS_1", "CLIENT_ADDRESS_2", "CLIENT_CITY",
	"CLIENT_STATEorREGION", "CLIENT_POSTCODE", "CLIENT_COUNTRY",
	"LINE_ITEM_TAX_RATE", "LINE_ITEM_TAX_TOTAL", "LINE_ITEM_TAX_TYPE",
	"INVOICE_REPORTED_TAX_TOTAL", "INVOICE_TAX_CURRENCY",
};

const char *
field_name(enum field_id f)
{
	return f < F__COUNT ? field_names[f] : "";
}

/* Folds a name for matching: letters and digits only, upper case. */
static size_t
fold_name(char *out, size_t max, const char *s, size_t n)
{
	size_t o = 0, i;

	for (i = 0; i < n && o < max; i++) {
		char c = s[i];

		if (c >= 'a' && c <= 'z')
			out[o++] = (char)(c - 'a' + 'A');
		else if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
			out[o++] = c;
	}
	return o;
}

enum field_id
field_lookup(const char *s, size_t n)
{
	char want[64], have[64];
	size_t wn, hn;
	int f;

	if (n > 200)
		return F__COUNT;
	wn = fold_name(want, sizeof(want), s, n);
	if (wn == 0)
		return F__COUNT;
	for (f = 0; f < F__COUNT; f++) {
		hn = fold_name(have, sizeof(have), field_names[f],
		    strlen(field_names[f]));
		if (hn == wn && memcmp(have, want, wn) == 0)
			return (enum field_id)f;
	}
	return F__COUNT;
}

static bool
eq_ci(const char *s, size_t n, const char *lit)
{
	return strlen(lit) == n && strncasecmp(s, lit, n) == 0;
}

/* ASCII upper case; other bytes stay as they are, so they match no
 * code. */
static unsigned char
upper(char c)
{
	unsigned char u = (unsigned char)c;

	return u >= 'a' && u <= 'z' ? (unsigned char)(u - 'a' + 'A') : u;
}

/* Readers call this on every line: the one- and two-letter LEDES codes
 * are decided without a string comparison. */
enum line_type
line_type_parse(const char *s, size_t n)
{
	if (n == 1) {
		switch (upper(s[0])) {
		case 'F':
			return LINE_FEE;
		case 'E':
			return LINE_EXPENSE;
		default:
			return LINE_UNKNOWN;
		}
	}
	if (n == 2) {
		if (upper(s[0]) != 'I')
			return LINE_UNKNOWN;
		switch (upper(s[1])) {
		case 'F':
			return LINE_ADJ_FEE;
		case 'E':
			return LINE_ADJ_EXPENSE;
		default:
			return LINE_UNKNOWN;
		}
	}
	if (eq_ci(s, n, "Fee") || eq_ci(s, n, "Fees") || eq_ci(s, n, "Time"))
		return LINE_FEE;
	if (eq_ci(s, n, "Expense") || eq_ci(s, n, "Expenses") ||
	    eq_ci(s, n, "Cost") || eq_ci(s, n, "Disbursement"))
		return LINE_EXPENSE;
	return LINE_UNKNOWN;
}

const char *
line_type_name(enum line_type t)
{
	switch (t) {
	case LINE_FEE:
		return "fee";
	case LINE_EXPENSE:
		return "expense";
	case LINE_ADJ_FEE:
		return "fee adjustment";
	case LINE_ADJ_EXPENSE:
		return "expense adjustment";
	case LINE_UNKNOWN:
		break;
	}
	return "unknown";
}

/* The 2014 LOC classes (LEDES.md 1.5), sorted for the binary search and
 * padded to 8 bytes to be read as one number.  Every canonical class is
 * one of these strings, so callers may compare classes by pointer
 * (rules.c does, for PT and PARTNR). */
static const char classes_2014[][8] = {
	"ADJSMT", "ADJSTR", "ANALST", "ARBITR", "ASSOC", "AUDITR", "CLKSEC",
	"CONSLT", "CSTCNS", "CTRPTR", "DOCCDR", "DOCRAT", "DOCRNA", "DSCANJ",
	"DSCANS", "DSCATT", "DSCPMG", "EVDEVL", "EXPERT", "FLTFEE", "FORANL",
	"HLNLPF", "INVSTG", "IPAGNT", "IPSVPV", "LGLAST", "LGLINT", "LGPRMG",
	"LIBRRN", "MDRCRV", "MEDITR", "NBOTHR", "OFCOUN", "PARALG", "PARTNR",
	"RSPROF", "RSRCHR", "SECNDE", "SOLDSG", "SPAGNT", "STFATT", "STFCNS",
	"TEMPAT", "TEMPOS", "TPADMN", "TRAINR", "TRANEE", "TRANSL", "TRNDEV",
	"TRNFAG", "VIDOGR",
};
#define NCLASSES (sizeof(classes_2014) / sizeof(classes_2014[0]))

/* Index into classes_2014 of the 1998 two-letter codes' classes. */
enum { C_ASSOC = 4, C_LGLAST = 25, C_NBOTHR = 31, C_OFCOUN = 32,
	C_PARALG = 33, C_PARTNR = 34 };

/* Eight bytes as a number that orders as memcmp does. */
static uint64_t
key8(const unsigned char *b)
{
	return (uint64_t)b[0] << 56 | (uint64_t)b[1] << 48 |
	    (uint64_t)b[2] << 40 | (uint64_t)b[3] << 32 |
	    (uint64_t)b[4] << 24 | (uint64_t)b[5] << 16 |
	    (uint64_t)b[6] << 8 | (uint64_t)b[7];
}

/* Fee lines carry a class each, so this runs once a line: a switch for
 * the 1998 codes, a binary search on 8-byte keys for the rest. */
const char *
tk_class_canonical(const char *s, size_t n)
{
	uint64_t want, have;
	size_t lo = 0, hi = NCLASSES, i;

	if (n == 2) {
		unsigned a = upper(s[0]), b = upper(s[1]);

		switch (a << 8 | b) {
		case 'P' << 8 | 'T':
			return classes_2014[C_PARTNR];
		case 'A' << 8 | 'S':
			return classes_2014[C_ASSOC];
		case 'O' << 8 | 'C':
			return classes_2014[C_OFCOUN];
		case 'L' << 8 | 'A':
			return classes_2014[C_LGLAST];
		case 'P' << 8 | 'L':
			return classes_2014[C_PARALG];
		case 'O' << 8 | 'T':
			return classes_2014[C_NBOTHR];
		default:
			return NULL;
		}
	}
	if (n != 5 && n != 6)
		return NULL;
	/* Clearing bit 5 makes a letter upper case and leaves no other byte
	 * a letter; the table holds only letters, so no other byte matches
	 * (a space reads as the padding NUL, which the length test below
	 * catches as it does "ASSOC\0"). */
	want = ((uint64_t)(unsigned char)s[0] << 56 |
	    (uint64_t)(unsigned char)s[1] << 48 |
	    (uint64_t)(unsigned char)s[2] << 40 |
	    (uint64_t)(unsigned char)s[3] << 32 |
	    (uint64_t)(unsigned char)s[4] << 24 |
	    (n == 6 ? (uint64_t)(unsigned char)s[5] << 16 : 0)) &
	    UINT64_C(0xDFDFDFDFDFDF0000);
	while (lo < hi) {
		i = lo + (hi - lo) / 2;
		have = key8((const unsigned char *)classes_2014[i]);
		if (want == have)
			/* "ASSOC\0" reads as ASSOC: the lengths must agree. */
			return (classes_2014[i][5] != '\0') == (n == 6) ?
			    classes_2014[i] : NULL;
		if (want < have)
			hi = i;
		else
			lo = i + 1;
	}
	return NULL;
}

void
line_lint(struct invoice_line *l, enum field_id f, const char *fmt, ...)
{
	va_list ap;
	struct lint *w;

	if (l->nlints >= LINE_MAX_LINTS)
		return;
	w = &l->lints[l->nlints++];
	if (l->nlints == LINE_MAX_LINTS) {
		w->field = F__COUNT;
		snprintf(w->msg, sizeof(w->msg), "further problems not listed");
		return;
	}
	w->field = f;
	va_start(ap, fmt);
	vsnprintf(w->msg, sizeof(w->msg), fmt, ap);
	va_end(ap);
}

bool
text_eq(struct text t, const char *s)
{
	return strlen(s) == t.n && memcmp(t.p, s, t.n) == 0;
}


void
text_copy_set(struct text_copy *c, struct text t)
{
	xgrow(&c->p, &c->cap, t.n + 1, 1);
	if (t.n > 0)
		memcpy(c->p, t.p, t.n);
	c->n = t.n;
}
