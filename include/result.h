/* result.h - what a run found: the facts every report format prints. */
#ifndef BILLCHECK_RESULT_H
#define BILLCHECK_RESULT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rules.h"

struct finding_store;

/* One exception.  Strings are owned by the run_result. */
struct finding {
	const char   *rule;        /* rule id */
	const char   *check;       /* check name */
	enum severity severity;
	const char   *clause;      /* "" when the rule has none */
	const char   *firm;        /* LAW_FIRM_ID */
	const char   *firm_name;   /* from the rules, else the file, else "" */
	const char   *invoice;
	const char   *matter;
	const char   *line;        /* LINE_ITEM_NUMBER */
	const char   *file;
	unsigned long row;         /* 1-based physical line */
	const char   *timekeeper;  /* TIMEKEEPER_ID */
	const char   *tk_name;     /* TIMEKEEPER_NAME */
	int32_t       date;        /* line date, DATE_NONE when none */
	const char   *description; /* the line's narrative (raw bytes) */
	int64_t       units;       /* DEC_SCALE; hours for fees */
	int64_t       billed;      /* the line total */
	int64_t       at_risk;
	const char   *message;
	/* ordering keys */
	unsigned      file_index;
	unsigned      rule_index;
	size_t        seq;
};

enum verdict {
	VERDICT_APPROVE, /* no warning or error */
	VERDICT_REVIEW,  /* warnings only */
	VERDICT_REJECT   /* an error */
};

const char *verdict_name(enum verdict v); /* "approve", "review", "reject" */

struct invoice_summary {
	const char   *firm, *firm_name, *invoice, *matter;
	const char   *cost_center, *po;     /* from the rules' matter, or "" */
	const char   *file;
	unsigned      file_index;
	unsigned long row;                  /* first line */
	int32_t       date;                 /* invoice date or DATE_NONE */
	unsigned long lines, lines_with_findings;
	size_t        nfindings;
	int64_t       billed, at_risk, approved;
	enum verdict  verdict;
};

struct rule_tally {
	const char   *rule, *check;
	unsigned long count;
	int64_t       at_risk;
};

/* A firm's invoices of one invoice month (the trend). */
struct month_summary {
	char          month[8];    /* "YYYY-MM" of the invoice date, or
	                              "undated" */
	unsigned long invoices, invoices_with_findings; /* warning or error */
	unsigned long lines, lines_with_findings;
	int64_t       billed, at_risk;
	unsigned      exception_rate_bp; /* as in firm_summary */
};

struct firm_summary {
	const char   *firm, *firm_name;
	unsigned long invoices, invoices_with_findings; /* warning or error */
	unsigned long lines, lines_with_findings;
	int64_t       billed, at_risk;
	/* invoices_with_findings / invoices, in basis points (0..10000) */
	unsigned      exception_rate_bp;
	struct rule_tally *by_rule;  /* in rule order, only rules that fired */
	size_t        nby_rule;
	/* Per invoice month, oldest first, "undated" last; owned by the
	 * run_result (run_result_free frees it). */
	struct month_summary *months;
	size_t        nmonths;
	/* --history: the firm's months as recorded before this run plus
	 * this run's new invoices, oldest first, "undated" last (NULL
	 * without --history); owned by the run_result. */
	struct month_summary *history_months;
	size_t        nhistory_months;
};

struct input_summary {
	const char   *file;
	const char   *format;  /* "LEDES1998B", "LEDES98BI V2", "CSV", "" */
	unsigned long records, checked, rejected, skipped;
	bool          failed;  /* could not be read in full */
};

struct run_error {
	const char   *file;
	unsigned long row;     /* 0 when not about a line */
	const char   *message;
};

struct run_result {
	const char *version;
	const char *rules_name, *rules_file, *rules_sha256;
	const char *currency;               /* "" when the rules set none */
	struct input_summary   *inputs;   size_t ninputs;
	/* Sorted; read them with a findings_reader (findings.h).  A view
	 * of some firms' findings starts at findings_first of the store. */
	struct finding_store   *findings; size_t nfindings;
	size_t                  findings_first;
	struct invoice_summary *invoices; size_t ninvoices; /* sorted */
	struct firm_summary    *firms;    size_t nfirms;    /* by firm id */
	struct run_error       *errors;   size_t nerrors;
	struct run_error       *notes;    size_t nnotes;  /* skipped checks */
	/* totals over all firms */
	unsigned long lines, records, checked, rejected; /* ninvoices counts invoices */
	int64_t       billed, at_risk;
	size_t        count_by_severity[3];
	/* --history FILE, or NULL; and how many runs it held before this */
	const char   *history_file;
	unsigned long history_runs;
};

#endif
