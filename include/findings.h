/* findings.h - the run's findings, kept compactly: records spill to an
 * unlinked temporary file, memory keeps an index for the sort. */
#ifndef BILLCHECK_FINDINGS_H
#define BILLCHECK_FINDINGS_H

#include <stddef.h>
#include <stdint.h>

#include "record.h"
#include "result.h"

/*
 * A finding is written once, as one record: its fixed fields, the
 * pointers to text that outlives the store (the rule's id, check and
 * clause, the invoice's firm name, number, matter and file), and a copy
 * of its own text (line number, timekeeper, timekeeper name, description,
 * message).  Records gather in a buffer of FINDINGS_SPILL_AT bytes; when
 * it is full it is appended to a temporary file, made in $TMPDIR (else
 * /tmp) and unlinked at once, so it goes when the process does.
 *
 * Memory keeps FINDINGS_INDEX_BYTES per finding: where its record is and
 * the sort keys of the report order (firm, file, row, rule, then the
 * order found), with the firm as a small number that sorts as strcmp
 * sorts the ids.  On top of that: the buffer, one entry per distinct firm
 * with its per-rule tallies, and each reader's window.
 */
#define FINDINGS_SPILL_AT    ((size_t)4 << 20)
#define FINDINGS_INDEX_BYTES 32

typedef struct finding_store finding_store;

/* The texts a finding copies (bytes, not NUL-terminated).  The message
 * is its three parts joined: the rule's text around the check's detail. */
struct finding_texts {
	struct text line, timekeeper, tk_name, description;
	struct text message[3];
};

/* A store that spills past spill_at bytes of records (0: the default,
 * FINDINGS_SPILL_AT).  Free with findings_free (NULL is a no-op). */
finding_store *findings_new(size_t spill_at);
void findings_free(finding_store *fs);

/*
 * Keeps f, with the texts t instead of f's line, timekeeper, tk_name,
 * description and message (f->seq is ignored: findings number in the
 * order added).  The strings f points to otherwise must outlive the
 * store.  Returns the finding as kept, valid until the next call, or
 * NULL when the temporary file could not be written: the store then
 * keeps nothing more, and findings_error says why.
 */
const struct finding *findings_add(finding_store *fs, const struct finding *f,
    const struct finding_texts *t);

/* Why findings_add failed ("" when it has not), e.g. "cannot write a
 * temporary file in /tmp: No space left on device". */
const char *findings_error(const finding_store *fs);

size_t findings_count(const finding_store *fs);

/* Puts the findings in report order: firm id (as strcmp orders them),
 * file index, row, rule index, then the order they were added.  Call
 * once, after the last findings_add; indexes then follow this order. */
void findings_sort(finding_store *fs);

/* How many findings of severity `sev`, over all. */
size_t findings_count_severity(const finding_store *fs, enum severity sev);

/* A firm's findings per rule index, summed as they were added: count and
 * at_risk (saturated at INT64_MAX) in t[i].count and t[i].at_risk for
 * rule index i < *n; the other fields of t are NULL.  NULL (and *n == 0)
 * for a firm without findings.  Valid as long as the store. */
const struct rule_tally *findings_firm_tally(const finding_store *fs,
    const char *firm, size_t *n);

/* ---- reading the findings of a result (res->findings, sorted) ------- */

/*
 * A caller-owned cursor over res's findings.  A finding it returns stays
 * valid until the next findings_reader_get on the same reader; its rule,
 * check, clause, firm, firm_name, invoice, matter and file strings live
 * as long as the result.  Code that needs two findings at once uses two
 * readers.
 */
struct finding_reader {
	const finding_store *fs;
	size_t               first;   /* res->findings_first */
	struct finding       f;       /* the finding last returned */
	char                *win;     /* records read from the file */
	size_t               win_len, win_cap;
	uint64_t             win_off; /* file offset of win[0] */
};

void findings_reader_init(struct finding_reader *rd,
    const struct run_result *res);
void findings_reader_fini(struct finding_reader *rd);

/* The i-th finding of the result (i < res->nfindings), or NULL with errno
 * set when the temporary file could not be read back. */
const struct finding *findings_reader_get(struct finding_reader *rd,
    size_t i);

/* From the index alone, without reading the record. */
enum severity findings_severity(const struct run_result *res, size_t i);
/* The firm id of the i-th finding (the same pointer for the same id). */
const char *findings_firm(const struct run_result *res, size_t i);

/* The findings of `firm` in res: their count, and in *first the index of
 * the first of them (sorted by firm, so they are consecutive). */
size_t findings_of_firm(const struct run_result *res, const char *firm,
    size_t *first);

#endif
