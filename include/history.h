/* history.h - what billcheck has already checked, kept across runs in an
 * SQLite database that the user owns (--history FILE; SPEC.md section 7).
 *
 * The schema (version HISTORY_SCHEMA_VERSION; money and hours are
 * DEC_SCALE integers, days count from 1970-01-01, like the rest of
 * billcheck):
 *
 *   schema_version(version PK, applied)       one row per migration run
 *   runs(id PK, recorded, version, rules_name, rules_sha256,
 *        invoices, lines, findings)           one row per recording run
 *   invoices(id PK, run_id, firm, number, hash, matter, po, currency,
 *        file, row, date, month, lines, lines_flagged, billed, at_risk,
 *        verdict)                             UNIQUE (firm, number, hash)
 *                                             INDEX (firm, matter)
 *   line_fps(fp, invoice_id, row)             PK (fp, invoice_id, row)
 *        the duplicate rules' 16-byte line fingerprints
 *   matter_spend(firm, matter, currency, invoice_id, spend)
 *                                             PK in that order
 *        line totals per matter (LAW_FIRM_MATTER_ID, else
 *        CLIENT_MATTER_ID) and currency, per invoice
 *   tk_days(firm, tk, day, invoice_id, hours) PK in that order
 *        fee hours per timekeeper-day, per invoice
 *   tk_rates(firm, tk, invoice_id, rate, first_day, last_day, row)
 *                                             PK (firm, tk, invoice_id, rate)
 *        each rate a timekeeper billed on an invoice, with its dates
 *   findings(id PK, run_id, invoice_id, rule, check_name, severity, row,
 *        line, timekeeper, date, billed, at_risk, message)
 *                                             INDEX (invoice_id)
 *
 * The file carries PRAGMA application_id HISTORY_APPLICATION_ID, so a
 * database of another program is recognised and left alone.
 *
 * An invoice is keyed by firm, number and the SHA-256 of its lines as read
 * (every non-blank field of every line, in order).  What a run sees as
 * history is every recorded invoice except the ones that are in the run
 * itself with the same content: re-checking the same files finds the
 * same, and a changed resubmission is compared with its earlier version.
 *
 * Use: history_open; feed every input through history_scan_sink (the
 * invoices and their hashes, before checking); history_begin; run the
 * engine with the history (the checks' lookups below); history_trend;
 * write the report; history_record (or not, for --no-record);
 * history_free.
 */
#ifndef BILLCHECK_HISTORY_H
#define BILLCHECK_HISTORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "diag.h"
#include "input.h"
#include "record.h"
#include "result.h"

#define HISTORY_SCHEMA_VERSION 1
#define HISTORY_APPLICATION_ID 0x62636869 /* "bchi" */
#define HISTORY_FP_LEN         16
#define HISTORY_HASH_LEN       32

/* How long a run waits for another run's recording, in milliseconds. */
#define HISTORY_BUSY_MS 60000

typedef struct history history;

enum history_flags {
	/* --no-record: never create, migrate or write the database. */
	HISTORY_READONLY = 1
};

/* Opens the database at path, creating it (mode 0600) when it does not
 * exist and flags has no HISTORY_READONLY, and brings its schema up to
 * HISTORY_SCHEMA_VERSION.  A file that is not SQLite, an SQLite database
 * of another program, a damaged one or one from a newer billcheck is an
 * error, and the file is left as it was.  Returns 0 and a new *out (free
 * with history_free), or -1 with *out == NULL and *d filled.  path must
 * outlive the history. */
int history_open(history **out, const char *path, unsigned flags,
    struct diag *d) __attribute__((warn_unused_result));
/* Rolls back whatever is not recorded and closes; NULL is a no-op. */
void history_free(history *h);

/* ---- before checking: the run's invoices ---------------------------- */

/* Brackets one input of the pre-scan, which hands every line of the run
 * to history_scan_sink before the engine checks any.  `name` is copied.
 * The invoices of an input with rejected records, or that could not be
 * read in full, are never recorded. */
void history_scan_begin_file(history *h, const char *name,
    unsigned file_index);
const struct input_sink *history_scan_sink(history *h);
void history_scan_end_file(history *h, const struct input_counts *c);

/* Starts the read snapshot the checks see, and sets aside the recorded
 * invoices that this run holds with the same content.  0, or -1 with *d
 * filled. */
int history_begin(history *h, struct diag *d)
    __attribute__((warn_unused_result));

/* ---- what the checks ask ---------------------------------------------- */

/* Where something was recorded, for a finding's message.  Strings are
 * clipped to fit (at a UTF-8 boundary). */
struct history_ref {
	int64_t       invoice_id;    /* invoices.id: later is larger */
	int64_t       run;           /* runs.id */
	char          run_date[11];  /* YYYY-MM-DD the run was recorded */
	char          file[256];     /* the input, as that run named it */
	char          invoice[128];  /* the invoice number */
	unsigned long row;           /* 1-based row in file, 0 when n/a */
};

/* The first recorded invoice `number` of `firm` (other than this run's
 * own).  true with *ref and *total (what it asked for) when there is one. */
bool history_find_invoice(const history *h, struct text firm,
    struct text number, struct history_ref *ref, int64_t *total);

/* The first recorded line with fingerprint fp. */
bool history_find_line(const history *h,
    const unsigned char fp[HISTORY_FP_LEN], struct history_ref *ref);

/* The line totals recorded on a firm's matter, in `currency` or a blank
 * currency (currency.n == 0: in any).  *n gets the number of invoices,
 * and *last (when *n > 0) the latest of them. */
int64_t history_matter_spend(const history *h, struct text firm,
    struct text matter, struct text currency, unsigned long *n,
    struct history_ref *last);

/* What the recorded invoices of a firm's matter asked for (their stated
 * totals, else the sums of their lines), as for a PO. */
int64_t history_matter_billed(const history *h, struct text firm,
    struct text matter, unsigned long *n, struct history_ref *last);

/* The first rate a firm's timekeeper was recorded billing, with the date
 * of that line. */
bool history_first_rate(const history *h, struct text firm, struct text tk,
    int64_t *rate, int32_t *date, struct history_ref *ref);

/* The fee hours recorded for a timekeeper on one day, over *n invoices,
 * the first of which goes to *first (when *n > 0). */
int64_t history_day_hours(const history *h, struct text firm, struct text tk,
    int32_t day, unsigned long *n, struct history_ref *first);

/* The SQL of lookup i (0, 1, ...), NULL past the last: for tests that
 * check every lookup is a search through an index. */
const char *history_lookup_sql(size_t i);

/* Whether a lookup failed (a damaged file, an I/O error).  The lookups
 * then answer "nothing recorded"; the run must end with an error. */
bool history_failed(const history *h, struct diag *d);

/* ---- recording -------------------------------------------------------- */

/* The duplicate check's fingerprint of line l, recorded with l's invoice. */
void history_add_fingerprint(history *h, const struct invoice_line *l,
    const unsigned char fp[HISTORY_FP_LEN]);

/* Fills each firm's history_months in res (history plus this run's new
 * invoices, by invoice month) and res->history_file/history_runs. */
void history_trend(history *h, struct run_result *res);

struct history_record_opts {
	time_t      now;        /* the run's time (UTC) */
	const char *test_pause; /* tests only: a file created inside the
	                           transaction, which then lasts 3 s longer */
};

struct history_stats {
	int64_t       run;       /* the new runs.id, 0 when nothing new */
	unsigned long recorded;  /* invoices added */
	unsigned long known;     /* already recorded with the same content */
	unsigned long skipped;   /* of inputs not read in full */
};

/* Records the run in res in one transaction: its new invoices, their
 * lines' fingerprints, spend, hours, rates and findings.  Nothing is
 * written when no invoice is new.  0, or -1 with *d filled and the
 * database as it was. */
int history_record(history *h, const struct run_result *res,
    const struct history_record_opts *o, struct history_stats *st,
    struct diag *d) __attribute__((warn_unused_result));

#endif
