/* record.h - one invoice line as every reader delivers it to the engine. */
#ifndef BILLCHECK_RECORD_H
#define BILLCHECK_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "bytes.h"

/* The LEDES 1998BI V2 fields in file order; the first 24 are LEDES 1998B.
 * CSV columns are mapped onto the same names. */
enum field_id {
	F_INVOICE_DATE,
	F_INVOICE_NUMBER,
	F_CLIENT_ID,
	F_LAW_FIRM_MATTER_ID,
	F_INVOICE_TOTAL,
	F_BILLING_START_DATE,
	F_BILLING_END_DATE,
	F_INVOICE_DESCRIPTION,
	F_LINE_ITEM_NUMBER,
	F_EXP_FEE_INV_ADJ_TYPE,
	F_LINE_ITEM_NUMBER_OF_UNITS,
	F_LINE_ITEM_ADJUSTMENT_AMOUNT,
	F_LINE_ITEM_TOTAL,
	F_LINE_ITEM_DATE,
	F_LINE_ITEM_TASK_CODE,
	F_LINE_ITEM_EXPENSE_CODE,
	F_LINE_ITEM_ACTIVITY_CODE,
	F_TIMEKEEPER_ID,
	F_LINE_ITEM_DESCRIPTION,
	F_LAW_FIRM_ID,
	F_LINE_ITEM_UNIT_COST,
	F_TIMEKEEPER_NAME,
	F_TIMEKEEPER_CLASSIFICATION,
	F_CLIENT_MATTER_ID,
	/* LEDES 1998BI V2 only */
	F_PO_NUMBER,
	F_CLIENT_TAX_ID,
	F_MATTER_NAME,
	F_INVOICE_TAX_TOTAL,
	F_INVOICE_NET_TOTAL,
	F_INVOICE_CURRENCY,
	F_TIMEKEEPER_LAST_NAME,
	F_TIMEKEEPER_FIRST_NAME,
	F_ACCOUNT_TYPE,
	F_LAW_FIRM_NAME,
	F_LAW_FIRM_ADDRESS_1,
	F_LAW_FIRM_ADDRESS_2,
	F_LAW_FIRM_CITY,
	F_LAW_FIRM_STATEORREGION,
	F_LAW_FIRM_POSTCODE,
	F_LAW_FIRM_COUNTRY,
	F_CLIENT_NAME,
	F_CLIENT_ADDRESS_1,
	F_CLIENT_ADDRESS_2,
	F_CLIENT_CITY,
	F_CLIENT_STATEORREGION,
	F_CLIENT_POSTCODE,
	F_CLIENT_COUNTRY,
	F_LINE_ITEM_TAX_RATE,
	F_LINE_ITEM_TAX_TOTAL,
	F_LINE_ITEM_TAX_TYPE,
	F_INVOICE_REPORTED_TAX_TOTAL,
	F_INVOICE_TAX_CURRENCY,
	F__COUNT
};

#define LEDES98B_FIELDS  24
#define LEDES98BI_FIELDS 52

enum input_format {
	FMT_LEDES98B,
	FMT_LEDES98BI,
	FMT_CSV
};

enum line_type {
	LINE_FEE,
	LINE_EXPENSE,
	LINE_ADJ_FEE,     /* IF: invoice-level adjustment on fees */
	LINE_ADJ_EXPENSE, /* IE: invoice-level adjustment on expenses */
	LINE_UNKNOWN      /* a type code LEDES does not define */
};

/* A borrowed slice of the reader's buffer, trimmed of surrounding spaces. */
struct text {
	const char *p;
	size_t      n;
};

/* Numeric fields the reader parsed; bit i set in invoice_line.num_set
 * means the field was present and not blank. */
enum num_id {
	N_UNITS,
	N_UNIT_COST,
	N_ADJUSTMENT,
	N_TOTAL,
	N_INVOICE_TOTAL,
	N_TAX_RATE,  /* DEC_RATE_SCALE */
	N_TAX_TOTAL,
	N_INVOICE_TAX_TOTAL,
	N_INVOICE_NET_TOTAL,
	N__COUNT
};

/* Something a reader noticed while reading a record it could still read:
 * the ledes_format check turns each into a finding. */
struct lint {
	enum field_id field; /* F__COUNT when not about one field */
	char          msg[160];
};

#define LINE_MAX_LINTS 16

/* One line item.  Every pointer is borrowed from the reader and valid only
 * during the sink's on_line call; the engine copies what it keeps. */
struct invoice_line {
	const char       *file;       /* display name of the input */
	unsigned          file_index; /* 0-based position among inputs */
	unsigned long     row;        /* 1-based physical line of the record */
	unsigned long     record;     /* 1-based data record number in file */
	enum input_format format;

	struct text field[F__COUNT];  /* raw text; n == 0 when blank/absent */
	bool        has_column[F__COUNT]; /* the input has this field at all */

	enum line_type type;
	const char    *tk_class;  /* canonical class (PARTNR...), or NULL */
	int64_t        num[N__COUNT]; /* DEC_SCALE unless noted; 0 if blank */
	unsigned       num_set;       /* bit (1u << enum num_id) */
	int32_t        date;          /* LINE_ITEM_DATE (always valid) */
	int32_t        invoice_date;  /* DATE_NONE when blank or invalid */
	int32_t        billing_start, billing_end;
	/* Lines of one input with the same head_id, if not 0, have the same
	 * bytes in every field before LINE_ITEM_NUMBER (the invoice's own
	 * fields), so what was found about them holds for all. */
	unsigned long  head_id;
	/* What the sink's line_ahead work (input.h) made of this line, or
	 * NULL: readers leave it NULL. */
	void          *ahead;

	struct lint    lints[LINE_MAX_LINTS];
	unsigned       nlints;
};

static inline bool
line_has_num(const struct invoice_line *l, enum num_id id)
{
	return (l->num_set & (1u << id)) != 0;
}

/* The LEDES name of a field ("LINE_ITEM_TOTAL"). */
const char *field_name(enum field_id f);

/* Looks a LEDES field name up, case-insensitively and ignoring spaces,
 * '_', '-' and '/' ("Line Item Total" finds F_LINE_ITEM_TOTAL).  Returns
 * F__COUNT when unknown. */
enum field_id field_lookup(const char *s, size_t n);

/* "F", "E", "IF", "IE" (any case; also "Fee", "Expense", "Time", "Cost",
 * "Disbursement") -> type; anything else is LINE_UNKNOWN. */
enum line_type line_type_parse(const char *s, size_t n);
const char    *line_type_name(enum line_type t); /* "fee", "expense", ... */

/* The canonical LEDES 2014 class for s: PARTNR stays, PT becomes PARTNR,
 * AS -> ASSOC, OC -> OFCOUN, LA -> LGLAST, PL -> PARALG, OT -> NBOTHR.
 * Case-insensitive.  Returns a static string, or NULL if s is no class
 * code LEDES knows.  Each class has one string, so canonical classes
 * may be compared as pointers (invoice_line.tk_class and roster classes
 * come from here; timekeeper_class relies on it). */
const char *tk_class_canonical(const char *s, size_t n);

/* Appends a lint to l (dropped silently past LINE_MAX_LINTS, with the
 * last slot saying so). */
void line_lint(struct invoice_line *l, enum field_id f, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Text equality helpers for borrowed slices. */
bool text_eq(struct text t, const char *s);

/* a == b, byte for byte.  Ids are compared on every line, so those of 8
 * to 16 bytes take two word compares. */
static inline bool
text_eq_text(struct text a, struct text b)
{
	if (a.n != b.n)
		return false;
	if (a.n > 16 || a.n < 8)
		return a.n == 0 || memcmp(a.p, b.p, a.n) == 0;
	return bytes_load64(a.p) == bytes_load64(b.p) &&
	    bytes_load64(a.p + a.n - 8) == bytes_load64(b.p + b.n - 8);
}

/* A text kept past its line (the last invoice number a check saw, say):
 * a copy that grows as needed.  Zero it to start; free(c->p) at the end. */
struct text_copy {
	char  *p;
	size_t n, cap;
};

void text_copy_set(struct text_copy *c, struct text t);

static inline bool
text_copy_eq(const struct text_copy *c, struct text t)
{
	return text_eq_text((struct text){c->p, c->n}, t);
}

#endif
