/* record.c - LEDES field names, line types and timekeeper classes. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "record.h"

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

enum line_type
line_type_parse(const char *s, size_t n)
{
	if (eq_ci(s, n, "F") || eq_ci(s, n, "Fee") || eq_ci(s, n, "Fees") ||
	    eq_ci(s, n, "Time"))
		return LINE_FEE;
	if (eq_ci(s, n, "E") || eq_ci(s, n, "Expense") ||
	    eq_ci(s, n, "Expenses") || eq_ci(s, n, "Cost") ||
	    eq_ci(s, n, "Disbursement"))
		return LINE_EXPENSE;
	if (eq_ci(s, n, "IF"))
		return LINE_ADJ_FEE;
	if (eq_ci(s, n, "IE"))
		return LINE_ADJ_EXPENSE;
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

/* The 2014 LOC classes (LEDES.md 1.5), sorted. */
static const char *const classes_2014[] = {
	"ADJSMT", "ADJSTR", "ANALST", "ARBITR", "ASSOC", "AUDITR", "CLKSEC",
	"CONSLT", "CSTCNS", "CTRPTR", "DOCCDR", "DOCRAT", "DOCRNA", "DSCANJ",
	"DSCANS", "DSCATT", "DSCPMG", "EVDEVL", "EXPERT", "FLTFEE", "FORANL",
	"HLNLPF", "INVSTG", "IPAGNT", "IPSVPV", "LGLAST", "LGLINT", "LGPRMG",
	"LIBRRN", "MDRCRV", "MEDITR", "NBOTHR", "OFCOUN", "PARALG", "PARTNR",
	"RSPROF", "RSRCHR", "SECNDE", "SOLDSG", "SPAGNT", "STFATT", "STFCNS",
	"TEMPAT", "TEMPOS", "TPADMN", "TRAINR", "TRANEE", "TRANSL", "TRNDEV",
	"TRNFAG", "VIDOGR",
};

static const struct {
	const char *legacy, *canonical;
} classes_1998[] = {
	{"PT", "PARTNR"}, {"AS", "ASSOC"}, {"OC", "OFCOUN"},
	{"LA", "LGLAST"}, {"PL", "PARALG"}, {"OT", "NBOTHR"},
};

const char *
tk_class_canonical(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < sizeof(classes_1998) / sizeof(classes_1998[0]); i++)
		if (eq_ci(s, n, classes_1998[i].legacy))
			return classes_1998[i].canonical;
	for (i = 0; i < sizeof(classes_2014) / sizeof(classes_2014[0]); i++)
		if (eq_ci(s, n, classes_2014[i]))
			return classes_2014[i];
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

bool
text_eq_text(struct text a, struct text b)
{
	return a.n == b.n && (a.n == 0 || memcmp(a.p, b.p, a.n) == 0);
}
