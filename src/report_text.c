/* report_text.c - the analyst's report: by firm, by invoice, by line. */
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "decimal.h"
#include "findings.h"
#include "report.h"
#include "utf8.h"
#include "xalloc.h"

#define DESC_MAX  50 /* display width of a quoted description */
#define MSG_MAX   60 /* messages wider than this push the amount right */
#define LABEL_MAX 40 /* first column of the summary tables */

#define C_RED    "\033[31m"
#define C_GREEN  "\033[32m"
#define C_YELLOW "\033[33m"
#define C_CYAN   "\033[36m"
#define C_BOLD   "\033[1m"
#define C_RESET  "\033[0m"

/* The output stream; the first failed write sets err and later writes do
 * nothing, so loops test err once per item. */
struct tw {
	FILE *fp;
	bool  color;
	bool  err;
};

/* Column widths shared by every finding row of the report. */
struct fwidths {
	size_t rule, msg, amount;
};

/* The findings and invoices of one firm, and where each finding goes. */
struct groups {
	size_t *inv;      /* invoice indexes, grouped by firm */
	size_t *inv_off;  /* group g holds inv[inv_off[g] .. inv_off[g+1]) */
	size_t *fnd;      /* finding indexes, grouped by owning invoice */
	size_t *fnd_off;  /* invoice i holds fnd[fnd_off[i] .. fnd_off[i+1]) */
	size_t *orph;     /* findings of no invoice, grouped by firm */
	size_t *orph_off;
	size_t  ngroups;  /* nfirms, plus one for firms not in the summary */
};

static void tw_printf(struct tw *, const char *, ...)
    __attribute__((format(printf, 2, 3)));

static void
tw_printf(struct tw *w, const char *fmt, ...)
{
	va_list ap;

	if (w->err)
		return;
	va_start(ap, fmt);
	if (vfprintf(w->fp, fmt, ap) < 0)
		w->err = true;
	va_end(ap);
}

static void
tw_puts(struct tw *w, const char *s)
{
	if (!w->err && fputs(s, w->fp) == EOF)
		w->err = true;
}

static void
tw_pad(struct tw *w, size_t n)
{
	static const char spaces[] = "                                ";
	size_t k;

	while (n > 0 && !w->err) {
		k = n < sizeof(spaces) - 1 ? n : sizeof(spaces) - 1;
		if (fwrite(spaces, 1, k, w->fp) != k)
			w->err = true;
		n -= k;
	}
}

static void
tw_color(struct tw *w, const char *code)
{
	if (w->color)
		tw_puts(w, code);
}

/*
 * The glyph at s[0..n): its length in *len, and whether it may be shown
 * as it is.  Control bytes (C0, DEL, C1), invalid UTF-8 and the bidi
 * overrides that can make a terminal show text out of order are not:
 * they print as '?'.  Every glyph is one column wide.
 */
static bool
glyph(const char *s, size_t n, size_t *len)
{
	const unsigned char *u = (const unsigned char *)s;

	if (u[0] < 0x80) {
		*len = 1;
		return u[0] >= 0x20 && u[0] != 0x7f;
	}
	*len = utf8_valid_prefix(s, n);
	if (*len == 0) {
		*len = 1;
		return false;
	}
	if (u[0] == 0xc2 && u[1] < 0xa0)
		return false; /* U+0080..U+009F */
	if (u[0] == 0xe2 && u[1] == 0x80 && u[2] >= 0xaa && u[2] <= 0xae)
		return false; /* U+202A..U+202E */
	if (u[0] == 0xe2 && u[1] == 0x81 && u[2] >= 0xa6 && u[2] <= 0xa9)
		return false; /* U+2066..U+2069 */
	return true;
}

/* The length of the run of printable ASCII at the start of s[0..n): one
 * column and one glyph shown as it is per byte, which most text is. */
static size_t
plain_run(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n && (unsigned char)s[i] >= 0x20 &&
	    (unsigned char)s[i] < 0x7f)
		i++;
	return i;
}

/* Display width of s: one column per glyph. */
static size_t
text_width(const char *s)
{
	size_t n = strlen(s), i, len, w;

	w = i = plain_run(s, n);
	for (; i < n; i += len, w++)
		(void)glyph(s + i, n - i, &len);
	return w;
}

/* Width of s as tw_text(w, s, max) prints it. */
static size_t
text_width_max(const char *s, size_t max)
{
	size_t w = text_width(s);

	return max > 0 && w > max ? max : w;
}

/*
 * Writes s made safe for a terminal; when max > 0 and s is wider, writes
 * the first max - 3 glyphs and "...".  Returns the width written.
 */
static size_t
tw_text(struct tw *w, const char *s, size_t max)
{
	size_t n = strlen(s), i, len, run, width, cut, col;
	bool ok;

	width = text_width(s);
	cut = width;
	if (max > 0 && width > max)
		cut = max > 3 ? max - 3 : max;
	/* The printable ASCII before the first other byte, at once. */
	i = col = run = plain_run(s, n < cut ? n : cut);
	for (; i < n && col < cut && !w->err; i += len, col++) {
		ok = glyph(s + i, n - i, &len);
		if (ok) {
			run += len;
			continue;
		}
		if (run > 0 && fwrite(s + i - run, 1, run, w->fp) != run)
			w->err = true;
		run = 0;
		tw_puts(w, "?");
	}
	if (run > 0 && !w->err && fwrite(s + i - run, 1, run, w->fp) != run)
		w->err = true;
	if (cut < width) {
		if (max > 3)
			tw_puts(w, "...");
		return max;
	}
	return width;
}

/* s padded (or cut) to exactly `width` columns. */
static void
tw_cell(struct tw *w, const char *s, size_t width)
{
	size_t n = tw_text(w, s, width);

	tw_pad(w, n < width ? width - n : 0);
}

/* A number or amount right-aligned in `width` columns. */
static void
tw_num(struct tw *w, const char *s, size_t width)
{
	size_t n = strlen(s);

	tw_pad(w, width > n ? width - n : 0);
	tw_puts(w, s);
}

static size_t
zmax(size_t a, size_t b)
{
	return a > b ? a : b;
}

static size_t
amount_width(int64_t v)
{
	char buf[32];

	return strlen(dec_format(buf, v, 2, true));
}

static size_t
ulong_width(unsigned long v)
{
	size_t n = 1;

	while (v >= 10) {
		v /= 10;
		n++;
	}
	return n;
}

static const char *
severity_color(enum severity s)
{
	return s == SEV_ERROR ? C_RED : s == SEV_WARNING ? C_YELLOW : C_CYAN;
}

static void
tw_verdict(struct tw *w, enum verdict v)
{
	static const char *const name[] = { "APPROVE", "REVIEW", "REJECT" };
	static const char *const color[] = { C_GREEN, C_YELLOW, C_RED };
	unsigned i = (unsigned)v <= VERDICT_REJECT ? (unsigned)v : 0;

	tw_color(w, color[i]);
	tw_puts(w, name[i]);
	tw_color(w, C_RESET);
}

/* "10.0%" from basis points, rounded half up to a tenth of a percent. */
static char *
rate_format(char *buf, size_t size, unsigned bp)
{
	unsigned t = (bp + 5) / 10;

	(void)snprintf(buf, size, "%u.%u%%", t / 10, t % 10);
	return buf;
}

/* The firm as the analyst knows it: "Name (id)", or the id alone. */
static void
tw_firm_heading(struct tw *w, const char *name, const char *id)
{
	tw_color(w, C_BOLD);
	if (name[0] != '\0') {
		tw_text(w, name, 0);
		tw_puts(w, " (");
		tw_text(w, id[0] != '\0' ? id : "no firm id", 0);
		tw_puts(w, ")");
	} else {
		tw_text(w, id[0] != '\0' ? id : "(no firm id)", 0);
	}
	tw_color(w, C_RESET);
	tw_puts(w, "\n");
}

/* ---- Grouping --------------------------------------------------------- */

/* The summary index of a firm id; ngroups - 1 when it has none. */
static size_t
firm_group(const struct run_result *res, const char *firm)
{
	size_t lo = 0, hi = res->nfirms, mid, i;
	int c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = strcmp(firm, res->firms[mid].firm);
		if (c == 0)
			return mid;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	/* Not sorted as expected: look at every firm before giving up. */
	for (i = 0; i < res->nfirms; i++)
		if (strcmp(firm, res->firms[i].firm) == 0)
			return i;
	return res->nfirms;
}

/* Invoices in (firm, invoice, file, row) order, to find a finding's. */
static int
inv_cmp(const void *a, const void *b)
{
	const struct invoice_summary *const *pa = a, *const *pb = b;
	const struct invoice_summary *x = *pa, *y = *pb;
	int c;

	c = strcmp(x->firm, y->firm);
	if (c == 0)
		c = strcmp(x->invoice, y->invoice);
	if (c == 0 && x->file_index != y->file_index)
		c = x->file_index < y->file_index ? -1 : 1;
	if (c == 0 && x->row != y->row)
		c = x->row < y->row ? -1 : 1;
	if (c == 0 && x != y)
		c = x < y ? -1 : 1;
	return c;
}

/* Compares finding f with invoice x in inv_cmp's order. */
static int
fnd_cmp(const struct finding *f, const struct invoice_summary *x)
{
	int c;

	c = strcmp(f->firm, x->firm);
	if (c == 0)
		c = strcmp(f->invoice, x->invoice);
	if (c == 0 && f->file_index != x->file_index)
		c = f->file_index < x->file_index ? -1 : 1;
	if (c == 0 && f->row != x->row)
		c = f->row < x->row ? -1 : 1;
	return c;
}

static bool
same_invoice(const struct finding *f, const struct invoice_summary *x)
{
	return strcmp(f->firm, x->firm) == 0 &&
	    strcmp(f->invoice, x->invoice) == 0;
}

/*
 * The invoice a finding belongs to: of the invoices with its firm and
 * number, the last one that starts at or before the finding in input
 * order (an invoice number can repeat: a resubmission), else the first.
 * SIZE_MAX when none matches.
 */
static size_t
owner(const struct run_result *res, const struct invoice_summary **sorted,
    const struct finding *f)
{
	size_t lo = 0, hi = res->ninvoices, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (fnd_cmp(f, sorted[mid]) < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	if (lo > 0 && same_invoice(f, sorted[lo - 1]))
		return (size_t)(sorted[lo - 1] - res->invoices);
	if (lo < res->ninvoices && same_invoice(f, sorted[lo]))
		return (size_t)(sorted[lo] - res->invoices);
	return SIZE_MAX;
}

/* Stable counting sort of n items into `ngroups` buckets by key[i]. */
static void
bucket(size_t *out, size_t *off, const size_t *key, size_t n, size_t ngroups)
{
	size_t *next, i, g;

	memset(off, 0, (ngroups + 1) * sizeof(*off));
	for (i = 0; i < n; i++)
		if (key[i] < ngroups)
			off[key[i] + 1]++;
	for (g = 0; g < ngroups; g++)
		off[g + 1] += off[g];
	next = xmalloc((ngroups + 1) * sizeof(*next));
	memcpy(next, off, (ngroups + 1) * sizeof(*next));
	for (i = 0; i < n; i++)
		if (key[i] < ngroups)
			out[next[key[i]]++] = i;
	free(next);
}

static void groups_fini(struct groups *);

/*
 * Groups the findings under their invoices and firms, and measures the
 * columns of their rows: one pass over the findings, which may have to
 * be read back from a file.  -1 when they cannot be (g is then freed).
 */
static int
groups_init(struct groups *g, struct fwidths *fw,
    const struct run_result *res)
{
	const struct invoice_summary **sorted;
	struct finding_reader rd;
	const struct finding *f;
	size_t *key, *own, i, n;
	int rc = 0;

	g->ngroups = res->nfirms + 1;
	n = zmax(res->ninvoices, res->nfindings);
	key = xmalloc((n + 1) * sizeof(*key));
	own = xmalloc((res->nfindings + 1) * sizeof(*own));

	g->inv = xmalloc((res->ninvoices + 1) * sizeof(*g->inv));
	g->inv_off = xmalloc((g->ngroups + 1) * sizeof(*g->inv_off));
	for (i = 0; i < res->ninvoices; i++)
		key[i] = firm_group(res, res->invoices[i].firm);
	bucket(g->inv, g->inv_off, key, res->ninvoices, g->ngroups);

	sorted = xmalloc((res->ninvoices + 1) * sizeof(*sorted));
	for (i = 0; i < res->ninvoices; i++)
		sorted[i] = &res->invoices[i];
	if (res->ninvoices > 1)
		qsort(sorted, res->ninvoices, sizeof(*sorted), inv_cmp);
	fw->rule = fw->msg = fw->amount = 0;
	findings_reader_init(&rd, res);
	for (i = 0; i < res->nfindings; i++) {
		f = findings_reader_get(&rd, i);
		if (f == NULL) {
			rc = -1;
			break;
		}
		own[i] = owner(res, sorted, f);
		/* Findings of no invoice still print, after their firm's
		 * invoices. */
		key[i] = own[i] == SIZE_MAX ? firm_group(res, f->firm) :
		    SIZE_MAX;
		fw->rule = zmax(fw->rule, text_width(f->rule));
		fw->msg = zmax(fw->msg, text_width_max(f->message, MSG_MAX));
		fw->amount = zmax(fw->amount, amount_width(f->at_risk));
	}
	findings_reader_fini(&rd);
	free(sorted);

	g->fnd = xmalloc((res->nfindings + 1) * sizeof(*g->fnd));
	g->fnd_off = xmalloc((res->ninvoices + 1) * sizeof(*g->fnd_off));
	g->orph = xmalloc((res->nfindings + 1) * sizeof(*g->orph));
	g->orph_off = xmalloc((g->ngroups + 1) * sizeof(*g->orph_off));
	if (rc == 0) {
		bucket(g->fnd, g->fnd_off, own, res->nfindings,
		    res->ninvoices);
		bucket(g->orph, g->orph_off, key, res->nfindings, g->ngroups);
	}
	free(own);
	free(key);
	if (rc < 0)
		groups_fini(g);
	return rc;
}

static void
groups_fini(struct groups *g)
{
	free(g->inv);
	free(g->inv_off);
	free(g->fnd);
	free(g->fnd_off);
	free(g->orph);
	free(g->orph_off);
}

/* ---- Findings --------------------------------------------------------- */

/* "    line 14  2024-12-11  HK101 Kline, Harold  3.5 h  "Analyze ..."" */
static void
tw_line_header(struct tw *w, const struct finding *f)
{
	char buf[32];

	tw_puts(w, "    ");
	if (f->line[0] != '\0') {
		tw_puts(w, "line ");
		tw_text(w, f->line, 0);
	} else {
		tw_printf(w, "row %lu", f->row);
	}
	if (f->date != DATE_NONE) {
		tw_puts(w, "  ");
		tw_puts(w, date_format(buf, f->date));
	}
	if (f->timekeeper[0] != '\0' || f->tk_name[0] != '\0') {
		tw_puts(w, "  ");
		tw_text(w, f->timekeeper, 0);
		if (f->timekeeper[0] != '\0' && f->tk_name[0] != '\0')
			tw_puts(w, " ");
		tw_text(w, f->tk_name, 0);
	}
	if (f->units != 0 && f->timekeeper[0] != '\0') {
		tw_puts(w, "  ");
		tw_puts(w, dec_format_trim(buf, f->units, 1));
		tw_puts(w, " h");
	}
	if (f->description[0] != '\0') {
		tw_puts(w, "  \"");
		tw_text(w, f->description, DESC_MAX);
		tw_puts(w, "\"");
	}
	tw_puts(w, "\n");
}

/* "      error    rule-id  message   175.00", then the clause under the
 * message. */
static void
tw_finding(struct tw *w, const struct finding *f, const struct fwidths *fw)
{
	char buf[32];
	size_t sw, mw;

	tw_puts(w, "      ");
	tw_color(w, severity_color(f->severity));
	sw = tw_text(w, severity_name(f->severity), 0);
	tw_color(w, C_RESET);
	tw_pad(w, sw < 7 ? 7 - sw : 0);
	tw_puts(w, "  ");
	tw_cell(w, f->rule, fw->rule);
	tw_puts(w, "  ");
	mw = tw_text(w, f->message, 0);
	tw_pad(w, mw < fw->msg ? fw->msg - mw : 0);
	tw_puts(w, "  ");
	tw_num(w, dec_format(buf, f->at_risk, 2, true), fw->amount);
	tw_puts(w, "\n");
	if (f->clause[0] != '\0') {
		tw_pad(w, 6 + 7 + 2 + fw->rule + 2);
		tw_text(w, f->clause, 0);
		tw_puts(w, "\n");
	}
}

/* The findings fnd[0..n), one line header per line they sit on. */
static void
tw_findings(struct tw *w, struct finding_reader *rd, const size_t *fnd,
    size_t n, const struct fwidths *fw)
{
	const struct finding *f;
	unsigned file = 0;
	unsigned long row = 0;
	size_t i;

	for (i = 0; i < n && !w->err; i++) {
		f = findings_reader_get(rd, fnd[i]);
		if (f == NULL) {
			w->err = true;
			break;
		}
		if (i == 0 || file != f->file_index || row != f->row)
			tw_line_header(w, f);
		tw_finding(w, f, fw);
		file = f->file_index;
		row = f->row;
	}
}

/* ---- Invoices and firms ----------------------------------------------- */

/* Column widths of the invoice rows of one firm; 0 drops the column. */
struct iwidths {
	size_t invoice, matter, cc, po, billed, at_risk;
};

static void
iwidths_init(struct iwidths *iw, const struct run_result *res,
    const size_t *inv, size_t n)
{
	const struct invoice_summary *x;
	size_t i;

	memset(iw, 0, sizeof(*iw));
	for (i = 0; i < n; i++) {
		x = &res->invoices[inv[i]];
		iw->invoice = zmax(iw->invoice, text_width(x->invoice));
		iw->matter = zmax(iw->matter, text_width(x->matter));
		iw->cc = zmax(iw->cc, text_width(x->cost_center));
		iw->po = zmax(iw->po, text_width(x->po));
		iw->billed = zmax(iw->billed, amount_width(x->billed));
		iw->at_risk = zmax(iw->at_risk, amount_width(x->at_risk));
	}
}

/* An optional column: "  label value", padded; nothing when width is 0. */
static void
tw_opt(struct tw *w, const char *label, const char *s, size_t width)
{
	if (width == 0)
		return;
	tw_puts(w, "  ");
	if (s[0] == '\0') {
		tw_pad(w, strlen(label) + width);
		return;
	}
	tw_puts(w, label);
	tw_cell(w, s, width);
}

/* "  Invoice INV  matter M  CC  PO  billed 18,420.50  at risk 0.00  REVIEW
 *   file:row" */
static void
tw_invoice(struct tw *w, const struct invoice_summary *x,
    const struct iwidths *iw)
{
	char buf[32];

	tw_puts(w, "  Invoice ");
	tw_cell(w, x->invoice, iw->invoice);
	tw_opt(w, "matter ", x->matter, iw->matter);
	tw_opt(w, "", x->cost_center, iw->cc);
	tw_opt(w, "", x->po, iw->po);
	tw_puts(w, "  billed ");
	tw_num(w, dec_format(buf, x->billed, 2, true), iw->billed);
	tw_puts(w, "  at risk ");
	tw_num(w, dec_format(buf, x->at_risk, 2, true), iw->at_risk);
	tw_puts(w, "  ");
	tw_verdict(w, x->verdict);
	/* Where the invoice starts, for a run over many files. */
	tw_puts(w, "  ");
	tw_cell(w, x->file, 0);
	tw_printf(w, ":%lu\n", x->row);
}

/* Count and money at risk for each rule that fired for the firm. */
static void
tw_by_rule(struct tw *w, const struct firm_summary *fs)
{
	char buf[32];
	size_t i, rw = 0, cw = 5, aw = 7;

	if (fs->nby_rule == 0)
		return;
	for (i = 0; i < fs->nby_rule; i++) {
		rw = zmax(rw, text_width(fs->by_rule[i].rule));
		cw = zmax(cw, ulong_width(fs->by_rule[i].count));
		aw = zmax(aw, amount_width(fs->by_rule[i].at_risk));
	}
	rw = zmax(rw + 2, 7);
	tw_puts(w, "  ");
	tw_cell(w, "By rule", rw);
	tw_puts(w, "  ");
	tw_num(w, "count", cw);
	tw_puts(w, "  ");
	tw_num(w, "at risk", aw);
	tw_puts(w, "\n");
	for (i = 0; i < fs->nby_rule && !w->err; i++) {
		tw_puts(w, "    ");
		tw_cell(w, fs->by_rule[i].rule, rw - 2);
		tw_puts(w, "  ");
		tw_printf(w, "%*lu", (int)cw, fs->by_rule[i].count);
		tw_puts(w, "  ");
		tw_num(w, dec_format(buf, fs->by_rule[i].at_risk, 2, true), aw);
		tw_puts(w, "\n");
	}
}

/* Group g: a firm of the summary, or (the last) every firm that is not. */
static void
tw_firm(struct tw *w, const struct run_result *res, const struct groups *g,
    size_t grp, const struct fwidths *fw, struct finding_reader *rd)
{
	const struct firm_summary *fs = NULL;
	const size_t *inv = g->inv + g->inv_off[grp];
	size_t ninv = g->inv_off[grp + 1] - g->inv_off[grp];
	const size_t *orph = g->orph + g->orph_off[grp];
	size_t norph = g->orph_off[grp + 1] - g->orph_off[grp];
	struct iwidths iw;
	size_t i, k;

	if (grp < res->nfirms) {
		fs = &res->firms[grp];
		tw_firm_heading(w, fs->firm_name, fs->firm);
	} else {
		tw_color(w, C_BOLD);
		tw_puts(w, "Firms not in the summary");
		tw_color(w, C_RESET);
		tw_puts(w, "\n");
	}
	iwidths_init(&iw, res, inv, ninv);
	for (i = 0; i < ninv && !w->err; i++) {
		k = inv[i];
		tw_invoice(w, &res->invoices[k], &iw);
		tw_findings(w, rd, g->fnd + g->fnd_off[k],
		    g->fnd_off[k + 1] - g->fnd_off[k], fw);
	}
	if (norph > 0) {
		tw_puts(w, "  Findings outside the invoices above\n");
		tw_findings(w, rd, orph, norph, fw);
	}
	if (fs != NULL)
		tw_by_rule(w, fs);
}

/* ---- Summary and inputs ----------------------------------------------- */

static const char *
firm_label(const struct firm_summary *fs)
{
	if (fs->firm_name[0] != '\0')
		return fs->firm_name;
	return fs->firm[0] != '\0' ? fs->firm : "(no firm id)";
}

static void
tw_summary_row(struct tw *w, const char *label, size_t lw,
    const size_t *cw, unsigned long inv, unsigned long with, unsigned bp,
    int64_t billed, int64_t at_risk)
{
	char buf[32];

	tw_cell(w, label, lw);
	tw_printf(w, "  %*lu  %*lu  ", (int)cw[0], inv, (int)cw[1], with);
	tw_num(w, rate_format(buf, sizeof(buf), bp), cw[2]);
	tw_puts(w, "  ");
	tw_num(w, dec_format(buf, billed, 2, true), cw[3]);
	tw_puts(w, "  ");
	tw_num(w, dec_format(buf, at_risk, 2, true), cw[4]);
	tw_puts(w, "\n");
}

/* One row per firm and a total row: the exception rate at a glance. */
static void
tw_summary(struct tw *w, const struct run_result *res)
{
	static const char *const head[] = { "invoices", "with findings",
		"rate", "billed", "at risk" };
	const struct firm_summary *fs;
	unsigned long with = 0;
	unsigned bp = 0;
	size_t cw[5], lw = 5, i;
	char buf[32];

	for (i = 0; i < 5; i++)
		cw[i] = strlen(head[i]);
	for (i = 0; i < res->nfirms; i++) {
		fs = &res->firms[i];
		with += fs->invoices_with_findings;
		lw = zmax(lw, text_width_max(firm_label(fs), LABEL_MAX));
		cw[0] = zmax(cw[0], ulong_width(fs->invoices));
		cw[1] = zmax(cw[1], ulong_width(fs->invoices_with_findings));
		cw[2] = zmax(cw[2], strlen(rate_format(buf, sizeof(buf),
		    fs->exception_rate_bp)));
		cw[3] = zmax(cw[3], amount_width(fs->billed));
		cw[4] = zmax(cw[4], amount_width(fs->at_risk));
	}
	if (res->ninvoices > 0)
		bp = (unsigned)((with * 10000 + res->ninvoices / 2) /
		    res->ninvoices);
	cw[0] = zmax(cw[0], ulong_width(res->ninvoices));
	cw[1] = zmax(cw[1], ulong_width(with));
	cw[2] = zmax(cw[2], strlen(rate_format(buf, sizeof(buf), bp)));
	cw[3] = zmax(cw[3], amount_width(res->billed));
	cw[4] = zmax(cw[4], amount_width(res->at_risk));

	tw_cell(w, "Firms", lw);
	for (i = 0; i < 5; i++) {
		tw_puts(w, "  ");
		tw_num(w, head[i], cw[i]);
	}
	tw_puts(w, "\n");
	for (i = 0; i < res->nfirms && !w->err; i++) {
		fs = &res->firms[i];
		tw_summary_row(w, firm_label(fs), lw, cw, fs->invoices,
		    fs->invoices_with_findings, fs->exception_rate_bp,
		    fs->billed, fs->at_risk);
	}
	tw_summary_row(w, "Total", lw, cw, res->ninvoices, with, bp,
	    res->billed, res->at_risk);
}

static void
tw_inputs(struct tw *w, const struct run_result *res)
{
	static const char *const head[] = { "records", "checked", "rejected",
		"skipped" };
	const struct input_summary *in;
	size_t fw = 6, mw = 6, cw[4], ncols = 3, i;

	if (res->rules_name[0] != '\0' || res->rules_file[0] != '\0') {
		tw_puts(w, "Rules: ");
		if (res->rules_name[0] != '\0') {
			tw_text(w, res->rules_name, 0);
			if (res->rules_file[0] != '\0')
				tw_puts(w, " (");
		}
		tw_text(w, res->rules_file, 0);
		if (res->rules_name[0] != '\0' && res->rules_file[0] != '\0')
			tw_puts(w, ")");
		tw_puts(w, "\n");
	}
	if (res->ninputs == 0) {
		tw_puts(w, "Inputs: none\n");
		return;
	}
	for (i = 0; i < 4; i++)
		cw[i] = strlen(head[i]);
	for (i = 0; i < res->ninputs; i++) {
		in = &res->inputs[i];
		fw = zmax(fw, 2 + text_width(in->file));
		mw = zmax(mw, text_width(in->format));
		cw[0] = zmax(cw[0], ulong_width(in->records));
		cw[1] = zmax(cw[1], ulong_width(in->checked));
		cw[2] = zmax(cw[2], ulong_width(in->rejected));
		cw[3] = zmax(cw[3], ulong_width(in->skipped));
		if (in->skipped > 0)
			ncols = 4;
	}
	tw_cell(w, "Inputs", fw);
	tw_puts(w, "  ");
	tw_cell(w, "format", mw);
	for (i = 0; i < ncols; i++) {
		tw_puts(w, "  ");
		tw_num(w, head[i], cw[i]);
	}
	tw_puts(w, "\n");
	for (i = 0; i < res->ninputs && !w->err; i++) {
		in = &res->inputs[i];
		tw_puts(w, "  ");
		tw_cell(w, in->file, fw - 2);
		tw_puts(w, "  ");
		tw_cell(w, in->format[0] != '\0' ? in->format : "-", mw);
		tw_printf(w, "  %*lu  %*lu  %*lu", (int)cw[0], in->records,
		    (int)cw[1], in->checked, (int)cw[2], in->rejected);
		if (ncols == 4)
			tw_printf(w, "  %*lu", (int)cw[3], in->skipped);
		if (in->failed) {
			tw_puts(w, "  ");
			tw_color(w, C_RED);
			tw_puts(w, "NOT READ IN FULL");
			tw_color(w, C_RESET);
		}
		tw_puts(w, "\n");
	}
}

/* "Errors" or "Notes": one "  file:row: message" line each. */
static void
tw_messages(struct tw *w, const char *title, const struct run_error *e,
    size_t n)
{
	size_t i;

	tw_puts(w, title);
	tw_puts(w, "\n");
	for (i = 0; i < n && !w->err; i++) {
		tw_puts(w, "  ");
		if (e[i].file[0] != '\0') {
			tw_text(w, e[i].file, 0);
			if (e[i].row > 0)
				tw_printf(w, ":%lu", e[i].row);
			tw_puts(w, ": ");
		}
		tw_text(w, e[i].message, 0);
		tw_puts(w, "\n");
	}
}

int
report_text_write(FILE *fp, const struct run_result *res,
    const struct report_opts *o)
{
	struct tw w = { .fp = fp, .color = o != NULL && o->color };
	struct finding_reader rd;
	struct groups g;
	struct fwidths fw;
	size_t grp;
	bool any = false;

	if (groups_init(&g, &fw, res) < 0)
		return -1;
	findings_reader_init(&rd, res);
	for (grp = 0; grp < g.ngroups && !w.err; grp++) {
		/* The last group (firms not in the summary) is mostly empty. */
		if (grp == res->nfirms &&
		    g.inv_off[grp + 1] == g.inv_off[grp] &&
		    g.orph_off[grp + 1] == g.orph_off[grp])
			break;
		if (any)
			tw_puts(&w, "\n");
		tw_firm(&w, res, &g, grp, &fw, &rd);
		any = true;
	}
	findings_reader_fini(&rd);
	groups_fini(&g);
	if (!any)
		tw_puts(&w, "No invoices were checked.\n");
	tw_puts(&w, "\n");
	tw_summary(&w, res);
	tw_puts(&w, "\n");
	tw_inputs(&w, res);
	if (res->nerrors > 0) {
		tw_puts(&w, "\n");
		tw_messages(&w, "Errors", res->errors, res->nerrors);
	}
	if (res->nnotes > 0) {
		tw_puts(&w, "\n");
		tw_messages(&w, "Notes", res->notes, res->nnotes);
	}
	if (w.err || fflush(fp) == EOF || ferror(fp))
		return -1;
	return 0;
}
