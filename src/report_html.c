/* report_html.c - one self-contained page: summary, charts, verdicts and
 * findings, for the screen and for print. */
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

/*
 * The page needs nothing but itself: CSS in a <style> block, charts as
 * inline SVG, no script, no font, image or link that would fetch anything.
 * It is also well-formed XML (every element closed, attributes quoted,
 * only numeric character references), so `xmllint --noout` checks it
 * strictly.  Every string that came from an input or the rules goes
 * through html_escape.  Nothing in it depends on the time or the machine:
 * the same input gives the same bytes.
 */

#define CHART_BARS   20   /* most firms or rules in one bar chart */
#define TREND_FIRMS  24   /* most firms with a trend chart */
#define TREND_MONTHS 24   /* most months in one trend chart */
#define LABEL_MAX    22   /* glyphs of a chart label */
#define TEXT_MAX     1000 /* glyphs of a narrative or message in a table */

/* Horizontal bar charts: label column, bar area, value label, in px. */
#define HB_WIDTH   560
#define HB_LABEL   180
#define HB_BAR     252
#define HB_ROW     28
#define HB_PAD     10

/* The trend: grouped columns per month. */
#define TR_WIDTH   540
#define TR_GROUP   96   /* widest space for one month */
#define TR_BARW    22
#define TR_LABEL   54   /* room a month label needs */
#define TR_LEFT    8
#define TR_TOP     18
#define TR_PLOT    112
#define TR_HEIGHT  168

static const char ellipsis[] = "\xe2\x80\xa6";    /* U+2026 */
static const char replacement[] = "\xef\xbf\xbd"; /* U+FFFD */

/* The output stream; the first failed write sets err and later writes do
 * nothing, so loops test err once per item. */
struct hw {
	FILE *fp;
	bool  err;
};

static void hw_printf(struct hw *, const char *, ...)
    __attribute__((format(printf, 2, 3)));

static void
hw_printf(struct hw *w, const char *fmt, ...)
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
hw_puts(struct hw *w, const char *s)
{
	if (!w->err && fputs(s, w->fp) == EOF)
		w->err = true;
}

/* ---- Escaping --------------------------------------------------------- */

/* The code point of the valid UTF-8 sequence u[0..len). */
static uint32_t
utf8_decode(const unsigned char *u, size_t len)
{
	static const unsigned char lead_mask[] = { 0, 0x7f, 0x1f, 0x0f, 0x07 };
	uint32_t cp = u[0] & lead_mask[len];
	size_t i;

	for (i = 1; i < len; i++)
		cp = (cp << 6) | (u[i] & 0x3f);
	return cp;
}

/* C1 controls and the bidi embeddings, overrides and isolates, which could
 * make the page show text out of order: dropped. */
static bool
dropped(uint32_t cp)
{
	return (cp >= 0x80 && cp <= 0x9f) || (cp >= 0x202a && cp <= 0x202e) ||
	    (cp >= 0x2066 && cp <= 0x2069);
}

/* Noncharacters, which HTML calls a parse error: shown as U+FFFD. */
static bool
nonchar(uint32_t cp)
{
	return (cp >= 0xfdd0 && cp <= 0xfdef) || (cp & 0xfffe) == 0xfffe;
}

/* Glyphs in s[0..n) as html_escape counts them: a valid sequence or an
 * invalid byte is one. */
static size_t
glyph_count(const char *s, size_t n)
{
	size_t i, len, g = 0;

	for (i = 0; i < n; i += len, g++) {
		len = (unsigned char)s[i] < 0x80 ? 1 :
		    utf8_valid_prefix(s + i, n - i);
		if (len == 0)
			len = 1;
	}
	return g;
}

/*
 * Writes s as HTML text that is also safe inside a quoted attribute and
 * in XML: & < > " ' become references, invalid UTF-8 and noncharacters
 * become U+FFFD, TAB CR LF become a space, and every other control
 * character (C0, DEL, C1) and bidi control is dropped.  When max > 0 and
 * s has more glyphs, the first max - 1 and an ellipsis.
 */
static int
html_escape(FILE *fp, const char *s, size_t max)
{
	const unsigned char *u;
	size_t n, i, len, run = 0, g = 0, limit = SIZE_MAX;
	const char *rep;
	uint32_t cp;

	if (s == NULL)
		s = "";
	u = (const unsigned char *)s;
	n = strlen(s);
	if (max > 0 && glyph_count(s, n) > max)
		limit = max - 1;
	for (i = 0; i < n && g < limit; i += len, g++) {
		len = 1;
		rep = NULL;
		if (u[i] < 0x80) {
			switch (u[i]) {
			case '&':
				rep = "&amp;";
				break;
			case '<':
				rep = "&lt;";
				break;
			case '>':
				rep = "&gt;";
				break;
			case '"':
				rep = "&quot;";
				break;
			case '\'':
				rep = "&#39;";
				break;
			case '\t':
			case '\n':
			case '\r':
				rep = " ";
				break;
			default:
				if (u[i] < 0x20 || u[i] == 0x7f)
					rep = "";
				break;
			}
		} else {
			len = utf8_valid_prefix(s + i, n - i);
			if (len == 0) {
				len = 1;
				rep = replacement;
			} else {
				cp = utf8_decode(u + i, len);
				if (dropped(cp))
					rep = "";
				else if (nonchar(cp))
					rep = replacement;
			}
		}
		if (rep == NULL) {
			run += len;
			continue;
		}
		if ((run > 0 && fwrite(s + i - run, 1, run, fp) != run) ||
		    fputs(rep, fp) == EOF)
			return -1;
		run = 0;
	}
	if (run > 0 && fwrite(s + i - run, 1, run, fp) != run)
		return -1;
	if (limit != SIZE_MAX && fputs(ellipsis, fp) == EOF)
		return -1;
	return 0;
}

int
report_html_string(FILE *fp, const char *s)
{
	return html_escape(fp, s, 0);
}

/* Untrusted text, escaped; cut to max glyphs when max > 0. */
static void
hw_text(struct hw *w, const char *s, size_t max)
{
	if (!w->err && html_escape(w->fp, s, max) == -1)
		w->err = true;
}

/* ---- Numbers ---------------------------------------------------------- */

static char *
amount(char *buf, int64_t v)
{
	return dec_format(buf, v, 2, true);
}

/* "12.5%" from basis points, rounded half up to a tenth of a percent. */
static char *
rate_format(char *buf, size_t size, unsigned bp)
{
	unsigned t = (bp + 5) / 10;

	(void)snprintf(buf, size, "%u.%u%%", t / 10, t % 10);
	return buf;
}

/* part / whole in basis points (0 when whole <= 0), for shares of money. */
static unsigned
share_bp(int64_t part, int64_t whole)
{
	int64_t q;

	if (whole <= 0 || part <= 0)
		return 0;
	if (part >= whole)
		return 10000;
	if (dec_mul_div(&q, part, 10000, whole) < 0)
		return 0;
	return (unsigned)q;
}

/* Tenths of a pixel: v / max of `px`, at least 2 px when v > 0. */
static long long
scale10(int64_t v, int64_t max, int px)
{
	int64_t q;

	if (v <= 0 || max <= 0)
		return 0;
	if (v >= max)
		return (long long)px * 10;
	if (dec_mul_div(&q, v, (int64_t)px * 10, max) < 0)
		return 0;
	return q < 20 ? 20 : (long long)q;
}

/* Writes tenths of a pixel as "12.3". */
static void
hw_px(struct hw *w, long long t)
{
	hw_printf(w, "%lld.%lld", t / 10, t % 10);
}

static void
hw_td_ulong(struct hw *w, unsigned long v)
{
	hw_printf(w, "<td class=\"n\">%lu</td>", v);
}

static void
hw_td_amount(struct hw *w, int64_t v, const char *cls)
{
	char buf[32];

	hw_printf(w, "<td class=\"n%s%s\">%s</td>", cls ? " " : "",
	    cls ? cls : "", amount(buf, v));
}

/* A rate with a small meter under the number. */
static void
hw_td_rate(struct hw *w, unsigned bp)
{
	char buf[16];

	hw_printf(w, "<td class=\"n\">%s<span class=\"meter\"><span "
	    "style=\"width:%u.%02u%%\"></span></span></td>",
	    rate_format(buf, sizeof(buf), bp), bp / 100, bp % 100);
}

/* ---- Firms ------------------------------------------------------------ */

static const char *
firm_label(const char *name, const char *id)
{
	if (name != NULL && name[0] != '\0')
		return name;
	return id != NULL && id[0] != '\0' ? id : "(no firm id)";
}

/* "Name" in bold and the id under it, or the id alone. */
static void
hw_firm_cell(struct hw *w, const char *name, const char *id)
{
	hw_puts(w, "<td class=\"firm\"><strong>");
	hw_text(w, firm_label(name, id), 0);
	hw_puts(w, "</strong>");
	if (name[0] != '\0' && id[0] != '\0') {
		hw_puts(w, "<span class=\"sub\">");
		hw_text(w, id, 0);
		hw_puts(w, "</span>");
	}
	hw_puts(w, "</td>");
}

/* The summary entry of a firm id (firms are sorted by id), or NULL. */
static const struct firm_summary *
find_firm(const struct run_result *res, const char *firm)
{
	size_t lo = 0, hi = res->nfirms, mid, i;
	int c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = strcmp(firm, res->firms[mid].firm);
		if (c == 0)
			return &res->firms[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	for (i = 0; i < res->nfirms; i++)
		if (strcmp(firm, res->firms[i].firm) == 0)
			return &res->firms[i];
	return NULL;
}

/* Invoices with a warning or error over all firms, and their rate. */
static unsigned long
total_with(const struct run_result *res, unsigned *bp)
{
	unsigned long with = 0;
	size_t i;

	for (i = 0; i < res->nfirms; i++)
		with += res->firms[i].invoices_with_findings;
	*bp = res->ninvoices > 0 ? (unsigned)((with * 10000 +
	    res->ninvoices / 2) / res->ninvoices) : 0;
	return with;
}

/* ---- Bar charts ------------------------------------------------------- */

/* One bar: what it is, how long, and the number printed at its end. */
struct bar {
	const char *label;
	const char *id;     /* shown in the tooltip when it differs */
	int64_t     value;  /* scaled against the chart's max */
	char        text[40];
};

static int
bar_cmp(const void *a, const void *b)
{
	const struct bar *x = a, *y = b;
	int c;

	if (x->value != y->value)
		return x->value > y->value ? -1 : 1;
	c = strcmp(x->label, y->label);
	return c != 0 ? c : strcmp(x->id, y->id);
}

/*
 * A horizontal bar chart of b[0..n), longest first, at most CHART_BARS
 * bars; `cls` colours the bars, and a 0..100% axis is drawn when
 * `percent`.
 */
static void
hw_hbar_chart(struct hw *w, const char *title, const char *note,
    const char *cls, struct bar *b, size_t n, bool percent)
{
	size_t shown = n < CHART_BARS ? n : CHART_BARS, i;
	int height = HB_PAD * 2 + (int)shown * HB_ROW + (percent ? 16 : 0);
	int top = HB_PAD + (percent ? 16 : 0), y, k;
	int64_t max = percent ? 10000 : 0;
	long long len;

	if (n > 1)
		qsort(b, n, sizeof(*b), bar_cmp);
	for (i = 0; i < shown; i++)
		if (b[i].value > max)
			max = b[i].value;
	hw_puts(w, "<figure class=\"card chart\"><figcaption>");
	hw_puts(w, title);
	if (note != NULL) {
		hw_puts(w, " <span class=\"sub\">");
		hw_puts(w, note);
		hw_puts(w, "</span>");
	}
	hw_puts(w, "</figcaption>\n");
	if (shown == 0) {
		hw_puts(w, "<p class=\"empty\">Nothing to chart.</p>"
		    "</figure>\n");
		return;
	}
	hw_printf(w, "<svg xmlns=\"http://www.w3.org/2000/svg\" "
	    "viewBox=\"0 0 %d %d\" width=\"100%%\" role=\"img\" "
	    "aria-label=\"", HB_WIDTH, height);
	hw_puts(w, title);
	hw_puts(w, "\">\n");
	if (percent) {
		for (k = 0; k <= 4; k++) {
			int x = HB_LABEL + HB_BAR * k / 4;

			hw_printf(w, "<line class=\"grid\" x1=\"%d\" y1=\"%d\" "
			    "x2=\"%d\" y2=\"%d\"/><text class=\"axis\" "
			    "x=\"%d\" y=\"%d\" text-anchor=\"middle\">%d%%"
			    "</text>\n", x, top - 4, x, height - HB_PAD, x,
			    top - 7, k * 25);
		}
	}
	for (i = 0; i < shown && !w->err; i++) {
		y = top + (int)i * HB_ROW;
		len = scale10(b[i].value, max, HB_BAR);
		hw_puts(w, "<g><title>");
		hw_text(w, b[i].label, 0);
		if (b[i].id[0] != '\0' && strcmp(b[i].id, b[i].label) != 0) {
			hw_puts(w, " (");
			hw_text(w, b[i].id, 0);
			hw_puts(w, ")");
		}
		hw_printf(w, ": %s</title>", b[i].text);
		hw_printf(w, "<text class=\"label\" x=\"%d\" y=\"%d\" "
		    "text-anchor=\"end\">", HB_LABEL - 8, y + 17);
		hw_text(w, b[i].label, LABEL_MAX);
		hw_printf(w, "</text><rect class=\"track\" x=\"%d\" y=\"%d\" "
		    "width=\"%d\" height=\"16\" rx=\"3\"/>", HB_LABEL, y + 5,
		    HB_BAR);
		hw_printf(w, "<rect class=\"%s\" x=\"%d\" y=\"%d\" width=\"",
		    cls, HB_LABEL, y + 5);
		hw_px(w, len);
		hw_puts(w, "\" height=\"16\" rx=\"3\"/>");
		hw_puts(w, "<text class=\"value\" x=\"");
		hw_px(w, HB_LABEL * 10 + len + 60);
		hw_printf(w, "\" y=\"%d\">%s</text></g>\n", y + 17, b[i].text);
	}
	hw_puts(w, "</svg>");
	if (n > shown)
		hw_printf(w, "<p class=\"sub\">%zu more not shown; every one "
		    "is in the tables.</p>", n - shown);
	hw_puts(w, "</figure>\n");
}

static void
hw_firm_charts(struct hw *w, const struct run_result *res)
{
	struct bar *b = xcalloc(res->nfirms + 1, sizeof(*b));
	const struct firm_summary *fs;
	size_t i;

	for (i = 0; i < res->nfirms; i++) {
		fs = &res->firms[i];
		b[i].label = firm_label(fs->firm_name, fs->firm);
		b[i].id = fs->firm;
		b[i].value = fs->exception_rate_bp;
		(void)snprintf(b[i].text, sizeof(b[i].text), "%u.%u%% (%lu of "
		    "%lu)", (fs->exception_rate_bp + 5) / 100,
		    (fs->exception_rate_bp + 5) / 10 % 10,
		    fs->invoices_with_findings, fs->invoices);
	}
	hw_hbar_chart(w, "Invoice exception rate by firm",
	    "(invoices with a warning or error)", "b-rate", b, res->nfirms,
	    true);
	for (i = 0; i < res->nfirms; i++) {
		fs = &res->firms[i];
		b[i].label = firm_label(fs->firm_name, fs->firm);
		b[i].id = fs->firm;
		b[i].value = fs->at_risk;
		amount(b[i].text, fs->at_risk);
	}
	hw_hbar_chart(w, "At risk by firm", NULL, "b-risk", b, res->nfirms,
	    false);
	free(b);
}

/* One rule's findings over all firms. */
struct rule_total {
	const char   *rule, *check;
	unsigned long count, firms;
	int64_t       at_risk;
};

static int
rule_total_cmp(const void *a, const void *b)
{
	const struct rule_total *x = a, *y = b;

	if (x->at_risk != y->at_risk)
		return x->at_risk > y->at_risk ? -1 : 1;
	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return strcmp(x->rule, y->rule);
}

/* The firms' by-rule tallies summed per rule id, most at risk first.
 * The caller frees *out. */
static size_t
rule_totals(const struct run_result *res, struct rule_total **out)
{
	struct rule_total *t = NULL;
	size_t n = 0, cap = 0, i, j, k;
	const struct rule_tally *r;

	for (i = 0; i < res->nfirms; i++) {
		for (j = 0; j < res->firms[i].nby_rule; j++) {
			r = &res->firms[i].by_rule[j];
			for (k = 0; k < n; k++)
				if (strcmp(t[k].rule, r->rule) == 0)
					break;
			if (k == n) {
				xgrow(&t, &cap, n + 1, sizeof(*t));
				memset(&t[n], 0, sizeof(t[n]));
				t[n].rule = r->rule;
				t[n].check = r->check;
				n++;
			}
			t[k].count += r->count;
			t[k].firms++;
			if (dec_add(&t[k].at_risk, r->at_risk) < 0)
				t[k].at_risk = INT64_MAX;
		}
	}
	if (n > 1)
		qsort(t, n, sizeof(*t), rule_total_cmp);
	*out = t;
	return n;
}

static void
hw_rule_chart(struct hw *w, const struct rule_total *t, size_t n)
{
	struct bar *b = xcalloc(n + 1, sizeof(*b));
	size_t i;

	for (i = 0; i < n; i++) {
		b[i].label = t[i].rule;
		b[i].id = t[i].check;
		b[i].value = t[i].at_risk;
		amount(b[i].text, t[i].at_risk);
	}
	hw_hbar_chart(w, "At risk by rule", NULL, "b-rule", b, n, false);
	free(b);
}

static void
hw_rule_table(struct hw *w, const struct rule_total *t, size_t n)
{
	size_t i;

	hw_puts(w, "<div class=\"card tight\"><table class=\"data\">"
	    "<caption>Findings by rule</caption><thead><tr><th>Rule</th>"
	    "<th>Check</th><th class=\"n\">Findings</th>"
	    "<th class=\"n\">Firms</th><th class=\"n\">At risk</th></tr>"
	    "</thead><tbody>\n");
	if (n == 0)
		hw_puts(w, "<tr><td colspan=\"5\" class=\"empty\">No findings."
		    "</td></tr>\n");
	for (i = 0; i < n && !w->err; i++) {
		hw_puts(w, "<tr><td><code>");
		hw_text(w, t[i].rule, 0);
		hw_puts(w, "</code></td><td>");
		hw_text(w, t[i].check, 0);
		hw_puts(w, "</td>");
		hw_td_ulong(w, t[i].count);
		hw_td_ulong(w, t[i].firms);
		hw_td_amount(w, t[i].at_risk, NULL);
		hw_puts(w, "</tr>\n");
	}
	hw_puts(w, "</tbody></table></div>\n");
}

/* ---- The trend -------------------------------------------------------- */

/* The months a firm's trend shows: from --history when there is one. */
static const struct month_summary *
trend_months(const struct firm_summary *fs, size_t *n)
{
	if (fs->history_months != NULL) {
		*n = fs->nhistory_months;
		return fs->history_months;
	}
	*n = fs->nmonths;
	return fs->months;
}

static bool
has_trend(const struct run_result *res)
{
	size_t i, n;

	for (i = 0; i < res->nfirms; i++)
		if (trend_months(&res->firms[i], &n) != NULL && n >= 2)
			return true;
	return false;
}

static int
firm_risk_cmp(const void *a, const void *b)
{
	const struct firm_summary *const *pa = a, *const *pb = b;
	const struct firm_summary *x = *pa, *y = *pb;

	if (x->at_risk != y->at_risk)
		return x->at_risk > y->at_risk ? -1 : 1;
	return strcmp(x->firm, y->firm);
}

/* One month's pair of columns, its label and exception rate. */
static void
hw_trend_month(struct hw *w, const struct month_summary *m, int64_t max,
    int cx, int barw, bool label)
{
	char buf[32], rbuf[16];
	int h;

	hw_printf(w, "<g><title>%s: billed %s", m->month,
	    amount(buf, m->billed));
	hw_printf(w, ", at risk %s", amount(buf, m->at_risk));
	hw_printf(w, ", %lu of %lu invoices with findings (%s)</title>",
	    m->invoices_with_findings, m->invoices,
	    rate_format(rbuf, sizeof(rbuf), m->exception_rate_bp));
	h = (int)(scale10(m->billed, max, TR_PLOT) / 10);
	hw_printf(w, "<rect class=\"b-billed\" x=\"%d\" y=\"%d\" width=\"%d\" "
	    "height=\"%d\"/>", cx - barw - 1, TR_TOP + TR_PLOT - h, barw, h);
	h = (int)(scale10(m->at_risk, max, TR_PLOT) / 10);
	hw_printf(w, "<rect class=\"b-risk\" x=\"%d\" y=\"%d\" width=\"%d\" "
	    "height=\"%d\"/>", cx + 1, TR_TOP + TR_PLOT - h, barw, h);
	if (label) {
		hw_printf(w, "<text class=\"axis\" x=\"%d\" y=\"%d\" "
		    "text-anchor=\"middle\">%s</text>", cx,
		    TR_TOP + TR_PLOT + 16, m->month);
		hw_printf(w, "<text class=\"rate\" x=\"%d\" y=\"%d\" "
		    "text-anchor=\"middle\">%s</text>", cx,
		    TR_TOP + TR_PLOT + 32,
		    rate_format(rbuf, sizeof(rbuf), m->exception_rate_bp));
	}
	hw_puts(w, "</g>\n");
}

/*
 * Billed and at risk per month as grouped columns on one scale, the
 * exception rate under each month, and every month's figures in a table
 * under the chart.  At most TREND_MONTHS columns (the latest); with many
 * months only every k-th is labelled.
 */
static void
hw_trend_card(struct hw *w, const struct firm_summary *fs)
{
	const struct month_summary *mo, *m;
	size_t n, first = 0, shown, i;
	int gw, barw, every, left;
	int64_t max = 1;
	char buf[32], rbuf[16];

	mo = trend_months(fs, &n);
	shown = n;
	if (shown > TREND_MONTHS) {
		first = shown - TREND_MONTHS;
		shown = TREND_MONTHS;
	}
	for (i = first; i < n; i++) {
		if (mo[i].billed > max)
			max = mo[i].billed;
		if (mo[i].at_risk > max)
			max = mo[i].at_risk;
	}
	gw = (TR_WIDTH - 2 * TR_LEFT) / (int)(shown ? shown : 1);
	if (gw > TR_GROUP)
		gw = TR_GROUP;
	barw = (gw - 8) / 2;
	if (barw > TR_BARW)
		barw = TR_BARW;
	if (barw < 2)
		barw = 2;
	every = (TR_LABEL + gw - 1) / gw;
	hw_puts(w, "<figure class=\"card\"><figcaption>");
	hw_text(w, firm_label(fs->firm_name, fs->firm), 0);
	if (fs->firm_name[0] != '\0' && fs->firm[0] != '\0') {
		hw_puts(w, " <span class=\"sub\">");
		hw_text(w, fs->firm, 0);
		hw_puts(w, "</span>");
	}
	hw_puts(w, "</figcaption>\n");
	hw_printf(w, "<svg xmlns=\"http://www.w3.org/2000/svg\" "
	    "viewBox=\"0 0 %d %d\" width=\"100%%\" role=\"img\" "
	    "aria-label=\"Billed and at risk by invoice month\">\n",
	    TR_WIDTH, TR_HEIGHT);
	hw_printf(w, "<line class=\"grid\" x1=\"%d\" y1=\"%d\" x2=\"%d\" "
	    "y2=\"%d\"/><text class=\"axis\" x=\"%d\" y=\"%d\" "
	    "text-anchor=\"end\">%s</text>\n", TR_LEFT, TR_TOP,
	    TR_WIDTH - TR_LEFT, TR_TOP, TR_WIDTH - TR_LEFT, TR_TOP - 4,
	    amount(buf, max));
	hw_printf(w, "<line class=\"base\" x1=\"%d\" y1=\"%d\" x2=\"%d\" "
	    "y2=\"%d\"/>\n", TR_LEFT, TR_TOP + TR_PLOT, TR_WIDTH - TR_LEFT,
	    TR_TOP + TR_PLOT);
	left = TR_LEFT + (TR_WIDTH - 2 * TR_LEFT - (int)shown * gw) / 2;
	for (i = 0; i < shown && !w->err; i++)
		hw_trend_month(w, &mo[first + i], max,
		    left + (int)i * gw + gw / 2, barw,
		    (shown - 1 - i) % (size_t)every == 0);
	hw_puts(w, "</svg>\n");
	if (first > 0)
		hw_printf(w, "<p class=\"sub\">The last %d months are drawn; "
		    "the table has all %zu.</p>\n", TREND_MONTHS, n);
	hw_puts(w, "<table class=\"mini\"><thead><tr><th>Month</th>"
	    "<th class=\"n\">Invoices</th><th class=\"n\">With findings</th>"
	    "<th class=\"n\">Rate</th><th class=\"n\">Billed</th>"
	    "<th class=\"n\">At risk</th></tr></thead><tbody>\n");
	for (i = 0; i < n && !w->err; i++) {
		m = &mo[i];
		hw_printf(w, "<tr><td>%s</td>", m->month);
		hw_td_ulong(w, m->invoices);
		hw_td_ulong(w, m->invoices_with_findings);
		hw_printf(w, "<td class=\"n\">%s</td>",
		    rate_format(rbuf, sizeof(rbuf), m->exception_rate_bp));
		hw_td_amount(w, m->billed, NULL);
		hw_td_amount(w, m->at_risk, m->at_risk != 0 ? "risk" : NULL);
		hw_puts(w, "</tr>\n");
	}
	hw_puts(w, "</tbody></table></figure>\n");
}

static void
hw_trend(struct hw *w, const struct run_result *res)
{
	const struct firm_summary **f;
	size_t n = 0, i, nm;

	f = xmalloc((res->nfirms + 1) * sizeof(*f));
	for (i = 0; i < res->nfirms; i++)
		if (trend_months(&res->firms[i], &nm) != NULL && nm >= 2)
			f[n++] = &res->firms[i];
	if (n > 1)
		qsort(f, n, sizeof(*f), firm_risk_cmp);
	hw_puts(w, "<section id=\"trend\"><h2>Trend by invoice month</h2>\n"
	    "<p class=\"lead\">Per firm, billed and at risk by the month of "
	    "the invoice date, with the invoice exception rate under each "
	    "month. <span class=\"key\"><span class=\"sw b-billed\"></span>"
	    "Billed</span> <span class=\"key\"><span class=\"sw b-risk\">"
	    "</span>At risk</span></p>\n<div class=\"trend\">\n");
	for (i = 0; i < n && i < TREND_FIRMS && !w->err; i++)
		hw_trend_card(w, f[i]);
	hw_puts(w, "</div>\n");
	if (n > TREND_FIRMS)
		hw_printf(w, "<p class=\"sub\">The %d firms with the most at "
		    "risk; %zu more in the JSON and summary CSV.</p>\n",
		    TREND_FIRMS, n - TREND_FIRMS);
	hw_puts(w, "</section>\n");
	free(f);
}

/* ---- Sections --------------------------------------------------------- */

/* The style sheet, one rule (or group) per string. */
static const char *const css[] = {
	"@page{size:A4 landscape;margin:12mm}\n",
	":root{--ink:#1f2933;--muted:#5f6b7a;--line:#e3e7ec;--bg:#f4f6f9;"
	"--accent:#1d3557;--rate:#2f6fd6;--risk:#d9480f;--rule:#7048e8;"
	"--billed:#a7b4c2;--ok:#1e7b34;--okbg:#e3f4e8;--warn:#8a5300;"
	"--warnbg:#fff1d6;--bad:#b42318;--badbg:#fde8e6;--info:#245e9e;"
	"--infobg:#e4eefb}\n",
	"*{box-sizing:border-box}\n",
	"body{margin:0;background:var(--bg);color:var(--ink);font:14px/1.45 "
	"system-ui,-apple-system,\"Segoe UI\",Roboto,\"Helvetica Neue\","
	"Arial,\"Liberation Sans\",sans-serif}\n",
	".top{background:var(--accent);color:#fff}\n",
	".top .wrap{padding-top:22px;padding-bottom:18px}\n",
	".top h1{margin:0 0 4px;font-size:24px;font-weight:650;"
	"letter-spacing:-.01em}\n",
	".top p{margin:0;color:#d7e0ea}\n",
	".top nav{margin-top:12px;font-size:13px}\n",
	".top nav a{color:#fff;text-decoration:none;margin-right:18px;"
	"opacity:.85}\n",
	".wrap{max-width:1240px;margin:0 auto;padding:0 28px}\n",
	"main.wrap{padding-top:22px;padding-bottom:40px}\n",
	"h2{font-size:18px;margin:30px 0 12px;font-weight:650}\n",
	"h3{font-size:15px;margin:22px 0 8px;font-weight:650}\n",
	"section:first-child h2{margin-top:6px}\n",
	".lead{color:var(--muted);margin:-4px 0 12px}\n",
	".sub{color:var(--muted);font-weight:400;font-size:12px}\n",
	"td .sub{display:block}\n",
	".card{background:#fff;border:1px solid var(--line);border-radius:8px;"
	"padding:14px 16px;box-shadow:0 1px 2px rgba(16,24,40,.05);margin:0}\n",
	".card.tight{padding:0;overflow:hidden}\n",
	".kpis{display:grid;grid-template-columns:repeat(6,1fr);gap:12px}\n",
	".kpi .l{color:var(--muted);font-size:11px;text-transform:uppercase;"
	"letter-spacing:.05em}\n",
	".kpi .v{font-size:22px;font-weight:650;margin-top:2px;"
	"font-variant-numeric:tabular-nums;white-space:nowrap}\n",
	".kpi .v.risk{color:var(--risk)}\n",
	".grid2{display:grid;grid-template-columns:1fr 1fr;gap:16px;"
	"align-items:start}\n",
	".trend{display:grid;grid-template-columns:1fr 1fr;gap:16px;"
	"align-items:start}\n",
	"figcaption{font-weight:650;margin-bottom:8px}\n",
	"svg{display:block;max-width:100%;height:auto}\n",
	"svg text{font-size:12px;fill:var(--ink)}\n",
	"svg text.axis{fill:var(--muted);font-size:11px}\n",
	"svg text.rate{fill:var(--rate);font-size:11px;font-weight:600}\n",
	"svg text.value{font-variant-numeric:tabular-nums}\n",
	"svg .track{fill:#eef1f5}\n",
	"svg .grid{stroke:#e3e7ec;stroke-width:1}\n",
	"svg .base{stroke:#c4ccd6;stroke-width:1}\n",
	".b-rate{fill:var(--rate);background:var(--rate)}\n",
	".b-risk{fill:var(--risk);background:var(--risk)}\n",
	".b-rule{fill:var(--rule);background:var(--rule)}\n",
	".b-billed{fill:var(--billed);background:var(--billed)}\n",
	".key{white-space:nowrap;margin-left:10px;color:var(--ink)}\n",
	".sw{display:inline-block;width:10px;height:10px;border-radius:2px;"
	"margin-right:5px;vertical-align:-1px}\n",
	"table{width:100%;border-collapse:collapse;background:#fff}\n",
	"caption{text-align:left;font-weight:650;padding:12px 12px 6px}\n",
	"th{text-align:left;font-size:11px;font-weight:650;color:var(--muted);"
	"text-transform:uppercase;letter-spacing:.04em;padding:8px 10px;"
	"border-bottom:2px solid var(--line);white-space:nowrap}\n",
	"td{padding:7px 10px;border-bottom:1px solid var(--line);"
	"vertical-align:top}\n",
	"tbody tr:nth-child(even) td{background:#fafbfc}\n",
	"tfoot td{font-weight:650;border-top:2px solid var(--line);"
	"border-bottom:0}\n",
	".n{text-align:right;font-variant-numeric:tabular-nums;"
	"white-space:nowrap}\n",
	"td.risk{color:var(--risk);font-weight:600}\n",
	"td.text{overflow-wrap:anywhere;min-width:9em}\n",
	"td.clause{overflow-wrap:anywhere;color:var(--muted);font-size:12px;"
	"min-width:10em}\n",
	"td.firm{min-width:12em}\n",
	"code{font:12px ui-monospace,\"SFMono-Regular\",Menlo,Consolas,"
	"\"Liberation Mono\",monospace}\n",
	"table.data{font-size:13px}\n",
	"td code{white-space:nowrap}\n",
	"table.mini{font-size:12px;margin-top:8px}\n",
	"table.mini td,table.mini th{padding:3px 6px;white-space:nowrap}\n",
	"tr.group th{background:#f0f3f7;color:var(--ink);text-transform:none;"
	"letter-spacing:0;font-size:12px;font-weight:600;border-bottom:1px "
	"solid var(--line)}\n",
	".meter{display:block;height:4px;background:#eef1f5;border-radius:2px;"
	"margin-top:3px;min-width:60px}\n",
	".meter span{display:block;height:4px;background:var(--rate);"
	"border-radius:2px}\n",
	".badge{display:inline-block;padding:1px 8px;border-radius:999px;"
	"font-size:11px;font-weight:700;text-transform:uppercase;"
	"letter-spacing:.04em;white-space:nowrap}\n",
	".approve{background:var(--okbg);color:var(--ok)}\n",
	".review,.warning{background:var(--warnbg);color:var(--warn)}\n",
	".reject,.error{background:var(--badbg);color:var(--bad)}\n",
	".info{background:var(--infobg);color:var(--info)}\n",
	".rules{display:flex;flex-wrap:wrap;gap:2px 16px;margin:-2px 0 10px;"
	"font-size:12px;color:var(--muted)}\n",
	".rules span{white-space:nowrap}\n",
	".alert{border-left:4px solid var(--bad);background:var(--badbg)}\n",
	".alert ul,.notes ul{margin:6px 0 0;padding-left:18px}\n",
	".notes{font-size:12px;color:var(--muted)}\n",
	".empty{color:var(--muted);font-style:italic}\n",
	"footer{margin-top:28px;color:var(--muted);font-size:12px}\n",
	"@media (max-width:900px){.grid2,.trend{grid-template-columns:1fr}"
	".kpis{grid-template-columns:repeat(3,1fr)}}\n",
	"@media print{body{background:#fff;font-size:9pt}"
	".top{background:#fff;color:var(--ink);border-bottom:2px solid "
	"var(--ink)}.top p{color:var(--muted)}.top nav{display:none}"
	".wrap{max-width:none;padding:0}main.wrap{padding-top:10px}"
	".card{box-shadow:none;border-color:#cfd6de}"
	".kpis{grid-template-columns:repeat(6,1fr)}.kpi .v{font-size:15px}"
	".grid2,.trend{grid-template-columns:1fr 1fr}"
	".card.tight{overflow:visible}table.data{font-size:7.5pt}"
	"th{white-space:normal;font-size:6.5pt}td,th{padding:4px 6px}"
	"td.firm,td.text,td.clause{min-width:0}"
	"h2{break-after:avoid}tr,.kpi,figure{break-inside:avoid}"
	"thead{display:table-header-group}"
	"*{-webkit-print-color-adjust:exact;print-color-adjust:exact}}\n",
	NULL
};

static void
hw_head(struct hw *w, const struct run_result *res)
{
	size_t i;

	hw_puts(w, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
	    "<meta charset=\"utf-8\"/>\n"
	    "<meta name=\"viewport\" content=\"width=device-width, "
	    "initial-scale=1\"/>\n<meta name=\"color-scheme\" "
	    "content=\"light\"/>\n");
	hw_puts(w, "<meta name=\"generator\" content=\"billcheck ");
	hw_text(w, res->version, 0);
	hw_puts(w, "\"/>\n<title>Invoice exceptions");
	if (res->rules_name[0] != '\0') {
		hw_puts(w, " &#8212; ");
		hw_text(w, res->rules_name, 0);
	}
	hw_puts(w, "</title>\n<style>\n");
	for (i = 0; css[i] != NULL; i++)
		hw_puts(w, css[i]);
	hw_puts(w, "</style>\n</head>\n<body>\n");
}

static void
hw_banner(struct hw *w, const struct run_result *res, bool trend)
{
	hw_puts(w, "<header class=\"top\"><div class=\"wrap\">\n"
	    "<h1>Invoice exceptions</h1>\n<p>");
	if (res->rules_name[0] != '\0') {
		hw_text(w, res->rules_name, 0);
		hw_puts(w, " &#183; ");
	}
	hw_printf(w, "%zu invoice%s from %zu firm%s in %zu input%s",
	    res->ninvoices, res->ninvoices == 1 ? "" : "s", res->nfirms,
	    res->nfirms == 1 ? "" : "s", res->ninputs,
	    res->ninputs == 1 ? "" : "s");
	if (res->currency[0] != '\0') {
		hw_puts(w, " &#183; amounts in ");
		hw_text(w, res->currency, 0);
	}
	hw_puts(w, "</p>\n<nav><a href=\"#summary\">Summary</a>"
	    "<a href=\"#charts\">Charts</a>");
	if (trend)
		hw_puts(w, "<a href=\"#trend\">Trend</a>");
	hw_puts(w, "<a href=\"#invoices\">Invoices</a>"
	    "<a href=\"#findings\">Findings</a>"
	    "<a href=\"#inputs\">Inputs</a></nav>\n</div></header>\n");
}

static void
hw_kpi(struct hw *w, const char *label, const char *value, const char *sub,
    const char *cls)
{
	hw_printf(w, "<div class=\"card kpi\"><div class=\"l\">%s</div>"
	    "<div class=\"v%s%s\">%s</div>", label, cls ? " " : "",
	    cls ? cls : "", value);
	if (sub != NULL)
		hw_printf(w, "<div class=\"sub\">%s</div>", sub);
	hw_puts(w, "</div>\n");
}

static void
hw_kpis(struct hw *w, const struct run_result *res)
{
	char v[48], s[96], r[16];
	unsigned long with;
	unsigned bp;

	with = total_with(res, &bp);
	hw_puts(w, "<div class=\"kpis\">\n");
	(void)snprintf(v, sizeof(v), "%zu", res->ninvoices);
	(void)snprintf(s, sizeof(s), "%lu lines", res->lines);
	hw_kpi(w, "Invoices", v, s, NULL);
	(void)snprintf(s, sizeof(s), "%lu of %zu invoices", with,
	    res->ninvoices);
	hw_kpi(w, "Exception rate", rate_format(v, sizeof(v), bp), s, NULL);
	hw_kpi(w, "Billed", amount(v, res->billed), NULL, NULL);
	(void)snprintf(s, sizeof(s), "%s of billed", rate_format(r, sizeof(r),
	    share_bp(res->at_risk, res->billed)));
	hw_kpi(w, "At risk", amount(v, res->at_risk), s,
	    res->at_risk != 0 ? "risk" : NULL);
	hw_kpi(w, "Approved", amount(v, report_approved(res->billed,
	    res->at_risk)), NULL, NULL);
	(void)snprintf(v, sizeof(v), "%zu", res->nfindings);
	(void)snprintf(s, sizeof(s), "%zu errors &#183; %zu warnings &#183; "
	    "%zu info", res->count_by_severity[SEV_ERROR],
	    res->count_by_severity[SEV_WARNING],
	    res->count_by_severity[SEV_INFO]);
	hw_kpi(w, "Findings", v, s, NULL);
	hw_puts(w, "</div>\n");
}

static void
hw_firm_row(struct hw *w, const struct firm_summary *fs)
{
	hw_puts(w, "<tr>");
	hw_firm_cell(w, fs->firm_name, fs->firm);
	hw_td_ulong(w, fs->invoices);
	hw_td_ulong(w, fs->invoices_with_findings);
	hw_td_rate(w, fs->exception_rate_bp);
	hw_td_ulong(w, fs->lines);
	hw_td_ulong(w, fs->lines_with_findings);
	hw_td_amount(w, fs->billed, NULL);
	hw_td_amount(w, fs->at_risk, fs->at_risk != 0 ? "risk" : NULL);
	hw_td_amount(w, report_approved(fs->billed, fs->at_risk), NULL);
	hw_puts(w, "</tr>\n");
}

static void
hw_firm_table(struct hw *w, const struct run_result *res)
{
	unsigned long with, lwith = 0;
	unsigned bp;
	size_t i;

	with = total_with(res, &bp);
	for (i = 0; i < res->nfirms; i++)
		lwith += res->firms[i].lines_with_findings;
	hw_puts(w, "<div class=\"card tight\"><table class=\"data\">"
	    "<thead><tr><th>Firm</th><th class=\"n\">Invoices</th>"
	    "<th class=\"n\">With findings</th><th class=\"n\">Exception "
	    "rate</th><th class=\"n\">Lines</th><th class=\"n\">Lines with "
	    "findings</th><th class=\"n\">Billed</th><th class=\"n\">At "
	    "risk</th><th class=\"n\">Approved</th></tr></thead>\n<tbody>\n");
	if (res->nfirms == 0)
		hw_puts(w, "<tr><td colspan=\"9\" class=\"empty\">No invoices "
		    "were checked.</td></tr>\n");
	for (i = 0; i < res->nfirms && !w->err; i++)
		hw_firm_row(w, &res->firms[i]);
	hw_puts(w, "</tbody>\n<tfoot><tr><td>Total</td>");
	hw_td_ulong(w, res->ninvoices);
	hw_td_ulong(w, with);
	hw_td_rate(w, bp);
	hw_td_ulong(w, res->lines);
	hw_td_ulong(w, lwith);
	hw_td_amount(w, res->billed, NULL);
	hw_td_amount(w, res->at_risk, res->at_risk != 0 ? "risk" : NULL);
	hw_td_amount(w, report_approved(res->billed, res->at_risk), NULL);
	hw_puts(w, "</tr></tfoot></table></div>\n");
}

static void
hw_td_text(struct hw *w, const char *s, const char *cls)
{
	hw_printf(w, "<td%s%s%s>", cls ? " class=\"" : "", cls ? cls : "",
	    cls ? "\"" : "");
	hw_text(w, s, TEXT_MAX);
	hw_puts(w, "</td>");
}

static void
hw_invoices(struct hw *w, const struct run_result *res)
{
	const struct invoice_summary *x;
	char buf[11];
	size_t i;

	hw_puts(w, "<section id=\"invoices\"><h2>Invoices</h2>\n"
	    "<p class=\"lead\">One verdict per invoice: <span class=\"badge "
	    "approve\">approve</span> nothing above info, <span class=\"badge "
	    "review\">review</span> warnings, <span class=\"badge reject\">"
	    "reject</span> an error.</p>\n"
	    "<div class=\"card tight\"><table class=\"data\"><thead><tr>"
	    "<th>Firm</th><th>Invoice</th><th>Date</th><th>Matter</th>"
	    "<th>Cost center</th><th>PO</th><th class=\"n\">Billed</th>"
	    "<th class=\"n\">At risk</th><th class=\"n\">Approved</th>"
	    "<th>Verdict</th></tr></thead>\n<tbody>\n");
	if (res->ninvoices == 0)
		hw_puts(w, "<tr><td colspan=\"10\" class=\"empty\">No invoices "
		    "were checked.</td></tr>\n");
	for (i = 0; i < res->ninvoices && !w->err; i++) {
		x = &res->invoices[i];
		hw_puts(w, "<tr>");
		hw_firm_cell(w, x->firm_name, x->firm);
		hw_td_text(w, x->invoice, "text");
		hw_printf(w, "<td class=\"n\">%s</td>",
		    date_format(buf, x->date));
		hw_td_text(w, x->matter, "text");
		hw_td_text(w, x->cost_center, NULL);
		hw_td_text(w, x->po, NULL);
		hw_td_amount(w, x->billed, NULL);
		hw_td_amount(w, x->at_risk, x->at_risk != 0 ? "risk" : NULL);
		hw_td_amount(w, x->approved, NULL);
		hw_printf(w, "<td><span class=\"badge %s\">%s</span></td>"
		    "</tr>\n", verdict_name(x->verdict),
		    verdict_name(x->verdict));
	}
	hw_puts(w, "</tbody></table></div></section>\n");
}

/* "Invoice X · matter M · file:row", above the invoice's findings. */
static void
hw_invoice_group(struct hw *w, const struct finding *f)
{
	hw_puts(w, "<tr class=\"group\"><th colspan=\"10\">Invoice ");
	hw_text(w, f->invoice[0] != '\0' ? f->invoice : "(none)", TEXT_MAX);
	if (f->matter[0] != '\0') {
		hw_puts(w, " &#183; matter ");
		hw_text(w, f->matter, TEXT_MAX);
	}
	hw_puts(w, " &#183; <span class=\"sub\">");
	hw_text(w, f->file, TEXT_MAX);
	hw_puts(w, "</span></th></tr>\n");
}

static void
hw_finding(struct hw *w, const struct finding *f)
{
	char buf[32];

	hw_printf(w, "<tr><td><span class=\"badge %s\">%s</span></td>",
	    severity_name(f->severity), severity_name(f->severity));
	hw_puts(w, "<td><code>");
	hw_text(w, f->rule, 0);
	hw_puts(w, "</code></td>");
	hw_td_text(w, f->clause, "clause");
	hw_puts(w, "<td class=\"n\" title=\"");
	hw_text(w, f->file, TEXT_MAX);
	hw_printf(w, ":%lu\">", f->row);
	if (f->line[0] != '\0')
		hw_text(w, f->line, LABEL_MAX);
	else
		hw_printf(w, "row %lu", f->row);
	hw_printf(w, "</td><td class=\"n\">%s</td>", date_format(buf, f->date));
	hw_puts(w, "<td>");
	hw_text(w, f->timekeeper, LABEL_MAX);
	if (f->tk_name[0] != '\0') {
		hw_puts(w, "<span class=\"sub\">");
		hw_text(w, f->tk_name, LABEL_MAX * 2);
		hw_puts(w, "</span>");
	}
	hw_puts(w, "</td>");
	hw_td_text(w, f->description, "text");
	hw_td_amount(w, f->billed, NULL);
	hw_td_amount(w, f->at_risk, f->at_risk != 0 ? "risk" : NULL);
	hw_td_text(w, f->message, "text");
	hw_puts(w, "</tr>\n");
}

/* Heading of one firm's findings, with its counts by rule. */
static void
hw_findings_firm(struct hw *w, const struct run_result *res,
    const struct finding *f, size_t count)
{
	const struct firm_summary *fs = find_firm(res, f->firm);
	char buf[32];
	size_t i;

	hw_puts(w, "<h3>");
	hw_text(w, firm_label(f->firm_name, f->firm), 0);
	if (f->firm_name[0] != '\0' && f->firm[0] != '\0') {
		hw_puts(w, " <span class=\"sub\">");
		hw_text(w, f->firm, 0);
		hw_puts(w, "</span>");
	}
	hw_printf(w, " <span class=\"sub\">&#183; %zu finding%s", count,
	    count == 1 ? "" : "s");
	if (fs != NULL)
		hw_printf(w, " &#183; at risk %s", amount(buf, fs->at_risk));
	hw_puts(w, "</span></h3>\n");
	if (fs != NULL && fs->nby_rule > 0) {
		hw_puts(w, "<p class=\"rules\">");
		for (i = 0; i < fs->nby_rule && !w->err; i++) {
			hw_puts(w, "<span><code>");
			hw_text(w, fs->by_rule[i].rule, 0);
			hw_printf(w, "</code> %lu &#183; %s</span>",
			    fs->by_rule[i].count,
			    amount(buf, fs->by_rule[i].at_risk));
		}
		hw_puts(w, "</p>\n");
	}
}

static void
hw_findings(struct hw *w, const struct run_result *res)
{
	struct finding_reader rd;
	const struct finding *f;
	const char *prev_invoice;
	unsigned prev_file;
	size_t i, j;

	hw_puts(w, "<section id=\"findings\"><h2>Findings</h2>\n");
	if (res->nfindings == 0)
		hw_puts(w, "<p class=\"empty\">No findings.</p>\n");
	findings_reader_init(&rd, res);
	for (i = 0; i < res->nfindings && !w->err; i = j) {
		f = findings_reader_get(&rd, i);
		if (f == NULL) {
			w->err = true;
			break;
		}
		for (j = i + 1; j < res->nfindings &&
		    strcmp(findings_firm(res, j), f->firm) == 0; j++)
			;
		hw_findings_firm(w, res, f, j - i);
		hw_puts(w, "<div class=\"card tight\"><table class=\"data\">"
		    "<thead><tr><th>Severity</th><th>Rule</th><th>Clause</th>"
		    "<th class=\"n\">Line</th><th class=\"n\">Date</th>"
		    "<th>Timekeeper</th><th>Description</th>"
		    "<th class=\"n\">Billed</th><th class=\"n\">At risk</th>"
		    "<th>Message</th></tr></thead>\n<tbody>\n");
		/* The invoice strings live as long as res: keep the pointer. */
		prev_invoice = NULL;
		prev_file = 0;
		for (; i < j && !w->err; i++) {
			f = findings_reader_get(&rd, i);
			if (f == NULL) {
				w->err = true;
				break;
			}
			if (prev_invoice == NULL ||
			    prev_file != f->file_index ||
			    strcmp(prev_invoice, f->invoice) != 0)
				hw_invoice_group(w, f);
			hw_finding(w, f);
			prev_invoice = f->invoice;
			prev_file = f->file_index;
		}
		hw_puts(w, "</tbody></table></div>\n");
	}
	findings_reader_fini(&rd);
	hw_puts(w, "</section>\n");
}

/* Errors or notes: "file:row: message" items. */
static void
hw_messages(struct hw *w, const struct run_error *e, size_t n)
{
	size_t i;

	hw_puts(w, "<ul>\n");
	for (i = 0; i < n && !w->err; i++) {
		hw_puts(w, "<li>");
		if (e[i].file[0] != '\0') {
			hw_puts(w, "<code>");
			hw_text(w, e[i].file, TEXT_MAX);
			if (e[i].row > 0)
				hw_printf(w, ":%lu", e[i].row);
			hw_puts(w, "</code>: ");
		}
		hw_text(w, e[i].message, TEXT_MAX);
		hw_puts(w, "</li>\n");
	}
	hw_puts(w, "</ul>\n");
}

static void
hw_inputs(struct hw *w, const struct run_result *res)
{
	const struct input_summary *in;
	size_t i;

	hw_puts(w, "<section id=\"inputs\"><h2>Inputs</h2>\n"
	    "<div class=\"card tight\"><table class=\"data\"><thead><tr>"
	    "<th>File</th><th>Format</th><th class=\"n\">Records</th>"
	    "<th class=\"n\">Checked</th><th class=\"n\">Rejected</th>"
	    "<th class=\"n\">Skipped</th><th>Status</th></tr></thead>\n"
	    "<tbody>\n");
	if (res->ninputs == 0)
		hw_puts(w, "<tr><td colspan=\"7\" class=\"empty\">No inputs."
		    "</td></tr>\n");
	for (i = 0; i < res->ninputs && !w->err; i++) {
		in = &res->inputs[i];
		hw_puts(w, "<tr>");
		hw_td_text(w, in->file, "text");
		hw_td_text(w, in->format[0] != '\0' ? in->format : "-", NULL);
		hw_td_ulong(w, in->records);
		hw_td_ulong(w, in->checked);
		hw_td_ulong(w, in->rejected);
		hw_td_ulong(w, in->skipped);
		hw_puts(w, in->failed ? "<td><span class=\"badge reject\">not "
		    "read in full</span></td>" : "<td><span class=\"badge "
		    "approve\">complete</span></td>");
		hw_puts(w, "</tr>\n");
	}
	hw_printf(w, "</tbody>\n<tfoot><tr><td>Total</td><td></td>"
	    "<td class=\"n\">%lu</td><td class=\"n\">%lu</td>"
	    "<td class=\"n\">%lu</td><td></td><td></td></tr></tfoot>"
	    "</table></div>\n", res->records, res->checked, res->rejected);
	if (res->nerrors > 0) {
		hw_printf(w, "<h3>Errors</h3>\n<div class=\"card alert\">"
		    "<strong>%zu input error%s: the report covers only what "
		    "could be read.</strong>\n", res->nerrors,
		    res->nerrors == 1 ? "" : "s");
		hw_messages(w, res->errors, res->nerrors);
		hw_puts(w, "</div>\n");
	}
	if (res->nnotes > 0) {
		hw_puts(w, "<h3>Notes</h3>\n<div class=\"card notes\">Checks "
		    "skipped where the input lacks what they need:\n");
		hw_messages(w, res->notes, res->nnotes);
		hw_puts(w, "</div>\n");
	}
	hw_puts(w, "</section>\n");
}

static void
hw_footer(struct hw *w, const struct run_result *res)
{
	hw_puts(w, "<footer>billcheck ");
	hw_text(w, res->version, 0);
	hw_puts(w, " &#183; rules ");
	if (res->rules_name[0] != '\0') {
		hw_text(w, res->rules_name, 0);
		hw_puts(w, " ");
	}
	if (res->rules_file[0] != '\0') {
		hw_puts(w, "(<code>");
		hw_text(w, res->rules_file, 0);
		hw_puts(w, "</code>) ");
	}
	hw_puts(w, "&#183; sha256 <code>");
	hw_text(w, res->rules_sha256, 0);
	hw_puts(w, "</code></footer>\n");
}

int
report_html_write(FILE *fp, const struct run_result *res,
    const struct report_opts *o)
{
	struct hw w = { .fp = fp };
	struct rule_total *rt;
	size_t nrt;
	bool trend = has_trend(res);

	(void)o;
	nrt = rule_totals(res, &rt);
	hw_head(&w, res);
	hw_banner(&w, res, trend);
	hw_puts(&w, "<main class=\"wrap\">\n<section id=\"summary\">"
	    "<h2>Summary</h2>\n");
	hw_kpis(&w, res);
	hw_puts(&w, "<h3>By firm</h3>\n");
	hw_firm_table(&w, res);
	hw_puts(&w, "</section>\n<section id=\"charts\"><h2>Charts</h2>\n"
	    "<div class=\"grid2\">\n");
	hw_firm_charts(&w, res);
	hw_rule_chart(&w, rt, nrt);
	hw_rule_table(&w, rt, nrt);
	hw_puts(&w, "</div></section>\n");
	free(rt);
	if (trend)
		hw_trend(&w, res);
	hw_invoices(&w, res);
	hw_findings(&w, res);
	hw_inputs(&w, res);
	hw_footer(&w, res);
	hw_puts(&w, "</main>\n</body>\n</html>\n");
	if (w.err || fflush(fp) == EOF || ferror(fp))
		return -1;
	return 0;
}
