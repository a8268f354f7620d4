/* report_csv.c - one finding per row, RFC 4180, safe to open in a sheet. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "date.h"
#include "decimal.h"
#include "findings.h"
#include "report.h"

static const char csv_header[] =
    "rule,check,severity,clause,firm,firm_name,invoice,matter,line,file,"
    "row,timekeeper,date,description,billed,at_risk,message\r\n";

struct cell {
	const char *s;
	bool        numeric; /* a number we formatted: never neutralised */
};

/* Writes the cells of one row, comma-separated, then CRLF. */
static int
csv_row(FILE *fp, const struct cell *c, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (i > 0 && fputc(',', fp) == EOF)
			return -1;
		if (report_csv_field(fp, c[i].s, c[i].numeric) == -1)
			return -1;
	}
	if (fputs("\r\n", fp) == EOF)
		return -1;
	return 0;
}

static int
csv_finding(FILE *fp, const struct finding *f)
{
	char row[24], date[11], billed[32], risk[32];
	struct cell c[17];

	(void)snprintf(row, sizeof(row), "%lu", f->row);
	c[0] = (struct cell){ f->rule, false };
	c[1] = (struct cell){ f->check, false };
	c[2] = (struct cell){ severity_name(f->severity), false };
	c[3] = (struct cell){ f->clause, false };
	c[4] = (struct cell){ f->firm, false };
	c[5] = (struct cell){ f->firm_name, false };
	c[6] = (struct cell){ f->invoice, false };
	c[7] = (struct cell){ f->matter, false };
	c[8] = (struct cell){ f->line, false };
	c[9] = (struct cell){ f->file, false };
	c[10] = (struct cell){ row, true };
	c[11] = (struct cell){ f->timekeeper, false };
	c[12] = (struct cell){ date_format(date, f->date), true };
	c[13] = (struct cell){ f->description, false };
	c[14] = (struct cell){ dec_format(billed, f->billed, 2, false), true };
	c[15] = (struct cell){ dec_format(risk, f->at_risk, 2, false), true };
	c[16] = (struct cell){ f->message, false };
	return csv_row(fp, c, sizeof(c) / sizeof(c[0]));
}

int
report_csv_write(FILE *fp, const struct run_result *res,
    const struct report_opts *o)
{
	struct finding_reader rd;
	const struct finding *f;
	size_t i;
	int rc = 0;

	(void)o;
	if (fputs(csv_header, fp) == EOF)
		return -1;
	findings_reader_init(&rd, res);
	for (i = 0; i < res->nfindings && rc == 0; i++) {
		f = findings_reader_get(&rd, i);
		if (f == NULL || csv_finding(fp, f) == -1)
			rc = -1;
	}
	findings_reader_fini(&rd);
	if (rc < 0 || fflush(fp) == EOF || ferror(fp))
		return -1;
	return 0;
}

static const char summary_header[] =
    "firm,firm_name,month,invoices,invoices_with_findings,exception_rate,"
    "lines,lines_with_findings,billed,at_risk,approved\r\n";

/* One summary row: a firm's total (month "") or one of its months. */
static int
csv_summary_row(FILE *fp, const struct firm_summary *fs, const char *month,
    unsigned long inv, unsigned long with, unsigned bp, unsigned long lines,
    unsigned long lwith, int64_t billed, int64_t at_risk)
{
	char n[4][24], rate[16], amt[3][32];
	struct cell c[11];

	(void)snprintf(n[0], sizeof(n[0]), "%lu", inv);
	(void)snprintf(n[1], sizeof(n[1]), "%lu", with);
	(void)snprintf(n[2], sizeof(n[2]), "%lu", lines);
	(void)snprintf(n[3], sizeof(n[3]), "%lu", lwith);
	(void)snprintf(rate, sizeof(rate), "%u.%04u", bp / 10000, bp % 10000);
	c[0] = (struct cell){ fs->firm, false };
	c[1] = (struct cell){ fs->firm_name, false };
	c[2] = (struct cell){ month, true };
	c[3] = (struct cell){ n[0], true };
	c[4] = (struct cell){ n[1], true };
	c[5] = (struct cell){ rate, true };
	c[6] = (struct cell){ n[2], true };
	c[7] = (struct cell){ n[3], true };
	c[8] = (struct cell){ dec_format(amt[0], billed, 2, false), true };
	c[9] = (struct cell){ dec_format(amt[1], at_risk, 2, false), true };
	c[10] = (struct cell){ dec_format(amt[2],
		report_approved(billed, at_risk), 2, false), true };
	return csv_row(fp, c, sizeof(c) / sizeof(c[0]));
}

/*
 * For each firm, its total row (month left blank), then one row per
 * invoice month, oldest first and "undated" last.  A pivot on month
 * filters out the blank month; a sheet of totals keeps only it.
 */
int
report_csv_summary_write(FILE *fp, const struct run_result *res)
{
	const struct firm_summary *fs;
	const struct month_summary *m;
	size_t i, j;

	if (fputs(summary_header, fp) == EOF)
		return -1;
	for (i = 0; i < res->nfirms; i++) {
		fs = &res->firms[i];
		if (csv_summary_row(fp, fs, "", fs->invoices,
		    fs->invoices_with_findings, fs->exception_rate_bp,
		    fs->lines, fs->lines_with_findings, fs->billed,
		    fs->at_risk) == -1)
			return -1;
		for (j = 0; j < fs->nmonths; j++) {
			m = &fs->months[j];
			if (csv_summary_row(fp, fs, m->month, m->invoices,
			    m->invoices_with_findings, m->exception_rate_bp,
			    m->lines, m->lines_with_findings, m->billed,
			    m->at_risk) == -1)
				return -1;
		}
	}
	if (fflush(fp) == EOF || ferror(fp))
		return -1;
	return 0;
}
