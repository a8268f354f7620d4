/* gen.c - deterministic invoice data for the benchmark: LEDES 1998B or CSV
 * of a requested size, with a small planted rate of exceptions.
 *
 * usage: gen -f ledes|csv -m MEGABYTES [-s SEED] > FILE
 *
 * The same seed gives the same invoices, byte for byte, in either format:
 * six firms, about 600 timekeepers (PARTNR, OFCOUN, ASSOC, PARALG), some
 * 300 matters billed monthly from January 2019 on, invoices of 20-400
 * lines (about 80% fees, 17% expenses, 3% IF/IE adjustments), narratives
 * of 40-200 characters with commas and quotes.  Output stops after the
 * invoice that reaches the size (1 MB = 1,000,000 bytes).  Money is
 * integer cents; an invoice total is the sum of its lines unless planted.
 * What was planted is counted on stderr. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NFIRMS    6
#define MAX_TK    160  /* per firm */
#define MAX_TEAM  16
#define MAX_LINES 400
#define DESC_MAX  200
#define DESC_MIN  40
#define OUT_CAP   ((size_t)1 << 20)
#define NELEM(a)  (sizeof(a) / sizeof((a)[0]))

enum fmt { FMT_LEDES, FMT_CSV };
enum ltype { LT_F, LT_E, LT_IF, LT_IE };

/* ---- the random stream: splitmix64 ------------------------------- */

static uint64_t rng_state;

static uint64_t
rnd(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Uniform in [0, n). */
static uint32_t
rnd_below(uint32_t n)
{
	return (uint32_t)(((rnd() >> 32) * (uint64_t)n) >> 32);
}

/* Uniform in [lo, hi]. */
static int64_t
rnd_range(int64_t lo, int64_t hi)
{
	return lo + (int64_t)rnd_below((uint32_t)(hi - lo + 1));
}

/* True with probability per_10k / 10000. */
static bool
chance(uint32_t per_10k)
{
	return rnd_below(10000) < per_10k;
}

#define PICK(a) ((a)[rnd_below((uint32_t)NELEM(a))])

/* ---- the vocabulary ---------------------------------------------- */

static const char *const last_names[] = {
	"Abernathy", "Alvarez", "Arnsley", "Baker", "Banerjee", "Beaster",
	"Brandt", "Castillo", "Chen", "Cohen", "Delgado", "Dubois", "Eriksen",
	"Fitzgerald", "Garcia", "Goldberg", "Haddad", "Hayes", "Ito",
	"Jablonski", "Kaplan", "Kline", "Kowalski", "Lee", "Lindqvist",
	"MacLeod", "Moreau", "Moreno", "Nakamura", "Novak", "O'Brien",
	"O'Neill", "Okafor", "Patel", "Pemberton", "Pham", "Quinn", "Reyes",
	"Rossi", "Schmidt", "Silva", "Sullivan", "Tanaka", "Thompson",
	"Van der Berg", "Whitfield", "Wojcik", "Yamamoto", "Zhang", "Zimmerman",
};

static const char *const first_names[] = {
	"Aisha", "Andrew", "Anjali", "Beatriz", "Carlos", "Catherine",
	"Daniel", "Diane", "Elena", "Emeka", "Grace", "Hannah", "Harold",
	"Ingrid", "James", "Jin", "John", "Karen", "Laura", "Luis", "Marcus",
	"Maria", "Michael", "Nadia", "Olivia", "Priya", "Rachel", "Robert",
	"Samuel", "Sofia", "Thuy", "Tomasz", "Victoria", "William", "Yusuf",
};

static const struct firm_def {
	const char *id, *name, *prefix, *client;
} firm_defs[NFIRMS] = {
	{"13-4567890", "Harrow & Kline LLP", "HK", "00711"},
	{"98-7654321", "Baxter Reyes LLP", "BR", "NW-2210"},
	{"55-1234567", "Carver & Associates", "CA", "4410"},
	{"24-6437381", "Law Offices of John Smith", "JS", "00711"},
	{"31-2087654", "Okafor, Lindqvist & Brandt LLP", "OL", "C-88120"},
	{"47-9012345", "Pemberton Hayes Moreau LLP", "PH", "NWI-001"},
};

static const char *const parties[] = {
	"Apex Components Inc.", "Greystone Logistics", "Meridian Bank, N.A.",
	"Harlan Mutual Insurance Co.", "Delgado", "Canal Street Holdings LLC",
	"O'Neill Fabrication", "Bluewater Energy, L.P.", "Westfield Realty",
	"Summit Pharma", "Tri-County Transit Authority", "Kestrel Aerospace",
};

static const char *const people[] = {
	"J. Morrow", "K. Lee", "M. Reyes", "D. Whitfield", "A. Patel",
	"R. Arnsley", "J. Alvarez", "L. Chen", "P. Walsh", "T. Pham",
};

/* An object of work and the UTBMS task code it belongs to. */
struct obj {
	const char *text;
	const char *task;
};

static const struct obj docs[] = {
	{"motion to compel production of \"Project Falcon\" documents", "L350"},
	{"opposition to defendant's motion to dismiss", "L240"},
	{"reply brief in support of motion for summary judgment", "L240"},
	{"second set of interrogatories to %P", "L310"},
	{"responses and objections to plaintiff's first requests for "
	    "admission", "L310"},
	{"privilege log, entries 1,204 to 1,390", "L320"},
	{"deposition outline for %N, including key exhibits", "L330"},
	{"joint status report to Judge Okafor", "L230"},
	{"settlement agreement and mutual release, sections 4, 7 and 12",
	    "L160"},
	{"expert report of Dr. L. Chen on lost profits", "L420"},
	{"answer and affirmative defenses to amended complaint", "L210"},
	{"stipulated protective order with an \"attorneys' eyes only\" tier",
	    "L250"},
	{"letter to opposing counsel on deficiencies in %P's production",
	    "L320"},
	{"mediation statement and damages summary", "L160"},
	{"proposed jury instructions on breach of warranty", "L440"},
	{"trial exhibit list and objections", "L440"},
	{"statement of facts for appellate brief", "L520"},
	{"motion in limine to exclude \"late-disclosed\" witnesses", "L430"},
	{"early case assessment memorandum for client", "L120"},
	{"litigation budget for Q3, phases L100 to L300", "L150"},
	{"complaint against %P for breach of the supply agreement", "L210"},
	{"subpoena duces tecum to %P", "L390"},
	{"post-trial motion for judgment as a matter of law", "L460"},
	{"chronology of key events from client e-mails, 2019-2024", "L110"},
};

static const struct obj topics[] = {
	{"Delaware law on the implied covenant of good faith", "L120"},
	{"statute of limitations for fraud claims under New York law",
	    "L120"},
	{"spoliation sanctions under Rule 37(e)", "L350"},
	{"enforceability of the \"no damages for delay\" clause", "L120"},
	{"personal jurisdiction over %P", "L240"},
	{"waiver of privilege by disclosure to outside auditors", "L320"},
	{"standard for a preliminary injunction in the Seventh Circuit",
	    "L220"},
	{"recoverability of consequential damages, lost profits and fees",
	    "L120"},
	{"discovery schedule and deposition sequencing", "L310"},
	{"settlement posture and next steps after mediation", "L160"},
	{"status of %P's document production", "L320"},
	{"retention, scope and budget for damages expert", "L130"},
	{"%P's deficiency letter dated March 3", "L310"},
	{"class certification issues, numerosity and commonality", "L260"},
	{"witness availability for trial, including %N", "L410"},
	{"scope of remand after the Court of Appeals' decision", "L510"},
};

static const struct obj events[] = {
	{"deposition of %P's Rule 30(b)(6) witness", "L330"},
	{"hearing on motion to compel before Magistrate Judge Ruiz", "L350"},
	{"case management conference, Courtroom 14B", "L230"},
	{"mediation session with Hon. P. Walsh (Ret.)", "L160"},
	{"deposition of %N, day 2", "L330"},
	{"trial, day 3, cross-examination of plaintiff's expert", "L450"},
	{"oral argument on cross-motions for summary judgment", "L240"},
	{"site inspection at %P's warehouse", "L110"},
	{"oral argument before the Court of Appeals", "L530"},
};

static const struct obj files[] = {
	{"document production volumes ABC000123 to ABC004567", "L140"},
	{"deposition exhibits and transcript excerpts", "L140"},
	{"case file, pleadings index and correspondence", "L140"},
	{"trial binders for direct and cross examinations", "L440"},
	{"e-discovery review set, \"hot\" documents tagged by team", "L320"},
};

static const char *const details[] = {
	", including exhibits A through F", " per client's request",
	", with focus on damages, causation and mitigation",
	" (second draft)", " for %N's review", ", 2.1 GB of native files",
	" in light of the Court's March 14 order",
	", as discussed with \"the working group\"",
	", with citations to the record", " for the %P matter",
	", pages 1 to 142", " ahead of Thursday's deadline",
};

static const char *const vague[] = {
	"Attention to file and matters relating to the case generally",
	"Review of documents and work on matter as needed this week",
	"Work on case, attention to various issues and follow-up",
	"Legal research and analysis of issues in the matter",
	"Trial preparation and attention to open items on the case",
	"Review file, conferences and miscellaneous work on matter",
};

/* ---- the world: firms, timekeepers, matters ---------------------- */

struct tk {
	char        id[12];
	char        name[32];
	const char *cls;
	int64_t     rate; /* cents, a multiple of 500 */
};

struct firm {
	const struct firm_def *def;
	struct tk              tk[MAX_TK];
	int                    ntk;
	unsigned               inv_seq;
};

struct matter {
	int  firm;
	char id[16];
	char client_matter[20];
	char caption[96];
	int  team[MAX_TEAM];
	int  nteam;
};

static struct firm    firms[NFIRMS];
static struct matter *matters;
static int            nmatters;

/* Class caps in the default rules, in cents. */
static int64_t
cap_of(const char *cls)
{
	if (strcmp(cls, "PARTNR") == 0)
		return 95000;
	if (strcmp(cls, "OFCOUN") == 0)
		return 85000;
	if (strcmp(cls, "ASSOC") == 0)
		return 65000;
	return 25000;
}

static void
world_build(void)
{
	int f, i, k, m;

	for (f = 0; f < NFIRMS; f++) {
		struct firm *fm = &firms[f];

		fm->def = &firm_defs[f];
		fm->ntk = (int)rnd_range(80, 130);
		fm->inv_seq = (unsigned)rnd_range(100, 900);
		for (i = 0; i < fm->ntk; i++) {
			struct tk *t = &fm->tk[i];
			uint32_t r = rnd_below(100);
			const char *last = PICK(last_names);
			const char *first = PICK(first_names);

			/* One draw per statement: argument order is unspecified,
			 * and the output must not depend on the compiler. */
			snprintf(t->id, sizeof(t->id), "%s%03d", fm->def->prefix,
			    101 + i);
			snprintf(t->name, sizeof(t->name), "%s, %s", last,
			    first);
			if (r < 25) {
				t->cls = "PARTNR";
				t->rate = rnd_range(130, 188) * 500;
			} else if (r < 33) {
				t->cls = "OFCOUN";
				t->rate = rnd_range(110, 168) * 500;
			} else if (r < 78) {
				t->cls = "ASSOC";
				t->rate = rnd_range(65, 129) * 500;
			} else {
				t->cls = "PARALG";
				t->rate = rnd_range(30, 49) * 500;
			}
		}
	}
	nmatters = 0;
	matters = calloc(NFIRMS * 60, sizeof(*matters));
	if (matters == NULL) {
		fputs("gen: out of memory\n", stderr);
		exit(2);
	}
	for (f = 0; f < NFIRMS; f++) {
		int n = (int)rnd_range(40, 60);
		int client = (int)rnd_range(1000, 9999);

		for (i = 0; i < n; i++) {
			struct matter *mt = &matters[nmatters++];
			int yy = (int)rnd_range(19, 25);
			int seq = (int)rnd_range(1, 999);

			mt->firm = f;
			snprintf(mt->id, sizeof(mt->id), "%04d-%04d", client,
			    i + 1);
			snprintf(mt->client_matter, sizeof(mt->client_matter),
			    "NW-LIT-%02d-%03d", yy, seq);
			snprintf(mt->caption, sizeof(mt->caption),
			    "Northwind Industries v. %s", PICK(parties));
			mt->nteam = (int)rnd_range(5, 14);
			for (k = 0; k < mt->nteam; k++)
				mt->team[k] = (int)rnd_below(
				    (uint32_t)firms[f].ntk);
		}
	}
	/* The monthly billing order: every matter once a month, shuffled. */
	for (m = nmatters - 1; m > 0; m--) {
		struct matter t;
		int j = (int)rnd_below((uint32_t)m + 1);

		t = matters[m];
		matters[m] = matters[j];
		matters[j] = t;
	}
}

/* ---- dates ------------------------------------------------------- */

/* Days since 1970-01-01 (H. Hinnant's days_from_civil). */
static int32_t
days_from_civil(int y, int m, int d)
{
	int era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (int32_t)(era * 146097 + doe - 719468);
}

static void
civil_from_days(int32_t z, int *y, int *m, int *d)
{
	int era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	*y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp + (mp < 10 ? 3 : -9);
	*y += *m <= 2;
}

static bool
weekend(int32_t days)
{
	int wd = (int)((days % 7 + 10) % 7); /* 0 = Monday */

	return wd >= 5;
}

/* ---- output buffer ----------------------------------------------- */

static char   out[OUT_CAP];
static size_t out_len;
static uint64_t out_total;

static void
out_flush(void)
{
	if (out_len > 0 && fwrite(out, 1, out_len, stdout) != out_len) {
		perror("gen: write");
		exit(2);
	}
	out_total += out_len;
	out_len = 0;
}

static void
put_mem(const char *s, size_t n)
{
	memcpy(out + out_len, s, n);
	out_len += n;
}

static void
put_str(const char *s)
{
	put_mem(s, strlen(s));
}

static void
put_ch(char c)
{
	out[out_len++] = c;
}

/* Fixed point with two decimals: 12345 -> "123.45", -5 -> "-0.05". */
static void
put_fixed2(int64_t v)
{
	char b[32], *p = b + sizeof(b);
	uint64_t u = v < 0 ? (uint64_t)-v : (uint64_t)v;
	int i;

	for (i = 0; i < 2; i++) {
		*--p = (char)('0' + u % 10);
		u /= 10;
	}
	*--p = '.';
	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u > 0);
	if (v < 0)
		*--p = '-';
	put_mem(p, (size_t)(b + sizeof(b) - p));
}

static void
put_date(int32_t days, bool iso)
{
	int y, m, d;
	char b[10];

	civil_from_days(days, &y, &m, &d);
	b[0] = (char)('0' + y / 1000);
	b[1] = (char)('0' + y / 100 % 10);
	b[2] = (char)('0' + y / 10 % 10);
	b[3] = (char)('0' + y % 10);
	if (iso) {
		b[4] = '-';
		b[5] = (char)('0' + m / 10);
		b[6] = (char)('0' + m % 10);
		b[7] = '-';
		b[8] = (char)('0' + d / 10);
		b[9] = (char)('0' + d % 10);
		put_mem(b, 10);
	} else {
		b[4] = (char)('0' + m / 10);
		b[5] = (char)('0' + m % 10);
		b[6] = (char)('0' + d / 10);
		b[7] = (char)('0' + d % 10);
		put_mem(b, 8);
	}
}

static void
put_uint(unsigned long v)
{
	char b[24], *p = b + sizeof(b);

	do {
		*--p = (char)('0' + v % 10);
		v /= 10;
	} while (v > 0);
	put_mem(p, (size_t)(b + sizeof(b) - p));
}

/* A CSV cell, RFC 4180: quoted when it holds a comma, quote or line end. */
static void
put_cell(const char *s)
{
	const char *p;

	if (strpbrk(s, ",\"\r\n") == NULL) {
		put_str(s);
		return;
	}
	put_ch('"');
	for (p = s; *p != '\0'; p++) {
		if (*p == '"')
			put_ch('"');
		put_ch(*p);
	}
	put_ch('"');
}

/* ---- narratives -------------------------------------------------- */

struct sbuf {
	char   s[512];
	size_t n;
};

static void
sb_add(struct sbuf *b, const char *s)
{
	size_t k = strlen(s);

	if (b->n + k >= sizeof(b->s))
		k = sizeof(b->s) - 1 - b->n;
	memcpy(b->s + b->n, s, k);
	b->n += k;
	b->s[b->n] = '\0';
}

/* Appends a template, filling %P (a party) and %N (a person). */
static void
sb_fill(struct sbuf *b, const char *t)
{
	char one[2] = {0, 0};

	for (; *t != '\0'; t++) {
		if (t[0] == '%' && t[1] == 'P') {
			sb_add(b, PICK(parties));
			t++;
		} else if (t[0] == '%' && t[1] == 'N') {
			sb_add(b, PICK(people));
			t++;
		} else {
			one[0] = *t;
			sb_add(b, one);
		}
	}
}

/* Cuts b to at most max bytes at a word boundary, without a dangling
 * comma, and balances a cut quotation. */
static void
sb_cut(struct sbuf *b, size_t max)
{
	size_t i, q = 0;

	if (b->n > max) {
		b->n = max;
		while (b->n > 0 && b->s[b->n] != ' ')
			b->n--;
		while (b->n > 0 && (b->s[b->n - 1] == ',' ||
		    b->s[b->n - 1] == ' ' || b->s[b->n - 1] == '('))
			b->n--;
		b->s[b->n] = '\0';
	}
	for (i = 0; i < b->n; i++)
		q += b->s[i] == '"';
	if (q % 2 == 1) {
		if (b->n >= max)
			b->n--;
		b->s[b->n++] = '"';
		b->s[b->n] = '\0';
	}
}

/* One fee narrative (no ';'); sets the task and activity codes. */
static void
fee_clause(struct sbuf *b, const char **task, const char **act)
{
	const struct obj *o;
	uint32_t r = rnd_below(100);

	if (r < 24) {
		static const char *const v[] = {"Draft", "Revise",
		    "Prepare draft of", "Finalize", "Edit"};

		o = &PICK(docs);
		*act = "A103";
		sb_add(b, PICK(v));
	} else if (r < 46) {
		static const char *const v[] = {"Review", "Analyze",
		    "Review and annotate", "Study"};

		o = &PICK(docs);
		*act = "A104";
		sb_add(b, PICK(v));
	} else if (r < 54) {
		static const char *const v[] = {"Research",
		    "Legal research regarding", "Research case law on"};

		o = &PICK(topics);
		*act = "A102";
		sb_add(b, PICK(v));
	} else if (r < 66) {
		o = &PICK(topics);
		*act = "A106";
		sb_add(b, rnd_below(2) ? "Telephone conference with client "
		    "(" : "E-mail correspondence with client (");
		sb_add(b, PICK(people));
		sb_add(b, ") regarding");
	} else if (r < 74) {
		static const char *const v[] = {
		    "Correspond with opposing counsel regarding",
		    "Telephone conference with co-counsel regarding",
		    "Meet and confer with counsel for"};

		*act = "A107";
		sb_add(b, PICK(v));
		o = &PICK(topics);
	} else if (r < 79) {
		*act = "A108";
		sb_add(b, rnd_below(2) ? "Call with court clerk regarding" :
		    "Correspond with damages expert regarding");
		o = &PICK(topics);
	} else if (r < 84) {
		*act = "A105";
		sb_add(b, "Confer with ");
		sb_add(b, PICK(people));
		sb_add(b, " regarding");
		o = &PICK(topics);
	} else if (r < 91) {
		static const char *const v[] = {"Attend", "Appear at"};

		o = &PICK(events);
		*act = "A109";
		/* "Prepare for and attend" is two tasks: now and then. */
		sb_add(b, chance(500) ? "Prepare for and attend" : PICK(v));
	} else if (r < 96) {
		o = &PICK(events);
		*act = "A101";
		sb_add(b, "Plan and prepare for");
	} else {
		static const char *const v[] = {"Organize and index",
		    "Update", "Prepare"};

		o = &PICK(files);
		*act = "A110";
		sb_add(b, PICK(v));
	}
	sb_add(b, " ");
	sb_fill(b, o->text);
	*task = o->task;
	if (b->n < DESC_MIN || chance(3500))
		sb_fill(b, PICK(details));
	while (b->n < DESC_MIN)
		sb_fill(b, PICK(details));
}

/* ---- one invoice ------------------------------------------------- */

struct line {
	enum ltype  type;
	int         tk;         /* index in the firm, or -1 */
	int32_t     date;
	int64_t     units;      /* hundredths */
	int64_t     cost;       /* cents; -1 = blank */
	int64_t     adj;        /* cents */
	int64_t     total;      /* cents */
	const char *task, *act, *exp;
	char        desc[DESC_MAX + 8];
};

/* Counters for stderr. */
static struct {
	unsigned long invoices, lines, fees, expenses, adjustments;
	unsigned long bad_line_total, bad_invoice_total, odd_increment;
	unsigned long missing_code, above_cap, block, vague, duplicate;
	unsigned long weekend;
} st;

static struct line lines[MAX_LINES];

static int32_t
work_day(int32_t start, int ndays)
{
	int32_t d = start + (int32_t)rnd_below((uint32_t)ndays);
	int tries;

	/* About 1.5% of work lands on a weekend, as it does. */
	for (tries = 0; weekend(d) && tries < 8 && !chance(300); tries++)
		d = start + (int32_t)rnd_below((uint32_t)ndays);
	return d;
}

static void
fee_line(struct line *l, const struct matter *mt, int32_t start, int ndays)
{
	const struct firm *fm = &firms[mt->firm];
	const struct tk *t;
	struct sbuf b = {{0}, 0};
	int64_t rate, base;

	l->type = LT_F;
	l->tk = mt->team[rnd_below((uint32_t)mt->nteam)];
	t = &fm->tk[l->tk];
	l->date = work_day(start, ndays);
	l->exp = "";
	/* Tenths of an hour, mostly short entries (about 1.2 h mean, so
	 * a timekeeper's day only now and then passes 10 hours). */
	l->units = rnd_below(4) < 3 ? rnd_range(1, 15) * 10 :
	    rnd_range(15, 40) * 10;
	if (chance(150)) {
		/* Block billing: several tasks in one entry. */
		int k, n = (int)rnd_range(2, 4);

		for (k = 0; k < n; k++) {
			struct sbuf c = {{0}, 0};

			fee_clause(&c, &l->task, &l->act);
			if (b.n > 0 && b.n + 2 + c.n > DESC_MAX)
				break;
			if (b.n > 0)
				sb_add(&b, "; ");
			sb_add(&b, c.s);
		}
		l->units = rnd_range(20, 60) * 10;
		st.block++;
	} else if (chance(100)) {
		sb_add(&b, PICK(vague));
		l->task = "L190";
		l->act = "A111";
		st.vague++;
	} else {
		fee_clause(&b, &l->task, &l->act);
	}
	sb_cut(&b, DESC_MAX);
	memcpy(l->desc, b.s, b.n + 1);
	if (chance(50)) {
		static const int64_t odd[] = {25, 33, 75, 125, 45, 167};

		l->units = PICK(odd);
		st.odd_increment++;
	}
	if (chance(50)) {
		if (rnd_below(2))
			l->task = "";
		else
			l->act = "";
		st.missing_code++;
	}
	rate = t->rate;
	if (chance(30)) {
		rate = cap_of(t->cls) + rnd_range(5, 40) * 500;
		st.above_cap++;
	}
	l->cost = rate;
	base = l->units * rate / 100;
	l->adj = 0;
	if (chance(200)) /* a write-down agreed with the client */
		l->adj = -(base * rnd_range(10, 50) / 100);
	l->total = base + l->adj;
	if (weekend(l->date))
		st.weekend++;
}

struct exp_def {
	const char *code, *text;
	int64_t     cost_lo, cost_hi; /* cents */
	int64_t     units_lo, units_hi;
	unsigned    weight;           /* how often, of 100 */
};

static const struct exp_def exps[] = {
	{"E101", "Photocopies of deposition exhibits, %u pages at $0.10 per "
	    "page", 10, 10, 20, 900, 25},
	{"E102", "Outside printing of trial binders, \"Volume II\", %u sets",
	    1500, 9000, 1, 12, 4},
	{"E105", "Telephone charges, conference calls with client and "
	    "co-counsel", 500, 4000, 1, 1, 2},
	{"E106", "Online legal research (Westlaw), statute of limitations "
	    "and tolling issues", 2500, 40000, 1, 1, 2},
	{"E107", "Courier delivery of exhibit binders to chambers of Judge "
	    "Okafor", 1500, 6000, 1, 1, 10},
	{"E108", "Postage for service of subpoena on Meridian Bank, N.A.", 50,
	    2500, 1, 1, 8},
	{"E109", "Local travel, mileage to courthouse and back, %u miles at "
	    "$0.67", 67, 67, 10, 120, 8},
	{"E110", "Airfare, Chicago to Newark, for deposition of J. Alvarez, "
	    "coach class", 15000, 120000, 1, 1, 6},
	{"E111", "Working meal during deposition preparation, 4 attendees, "
	    "\"Lou's Deli\"", 1500, 8000, 1, 1, 10},
	{"E112", "Court filing fee, motion for admission pro hac vice", 5000,
	    45000, 1, 1, 8},
	{"E115", "Deposition transcript of J. Alvarez, Vol. I, %u pages at "
	    "$3.75", 375, 375, 80, 420, 8},
	{"E119", "Expert fee, Dr. L. Chen, review of damages model and "
	    "report", 50000, 900000, 1, 1, 3},
	{"E124", "Document hosting fee, e-discovery platform, %u GB per month",
	    1500, 1500, 5, 300, 6},
};

static void
expense_line(struct line *l, const struct matter *mt, int32_t start,
    int ndays)
{
	const struct exp_def *e = exps;
	uint32_t w = rnd_below(100);
	char tmp[DESC_MAX + 8];
	const char *pct;
	int64_t n;

	while (w >= e->weight && e + 1 < exps + NELEM(exps)) {
		w -= e->weight;
		e++;
	}
	l->type = LT_E;
	l->tk = rnd_below(2) ? mt->team[rnd_below((uint32_t)mt->nteam)] : -1;
	l->date = work_day(start, ndays);
	l->task = "";
	l->act = "";
	l->exp = e->code;
	n = rnd_range(e->units_lo, e->units_hi);
	l->units = n * 100;
	l->cost = rnd_range(e->cost_lo, e->cost_hi);
	if (e->cost_lo >= 500)
		l->cost -= l->cost % 5;
	l->adj = 0;
	l->total = n * l->cost;
	/* Only %u appears in these templates. */
	pct = strstr(e->text, "%u");
	if (pct != NULL)
		snprintf(tmp, sizeof(tmp), "%.*s%lu%s", (int)(pct - e->text),
		    e->text, (unsigned long)n, pct + 2);
	else
		snprintf(tmp, sizeof(tmp), "%s", e->text);
	memcpy(l->desc, tmp, sizeof(l->desc));
	if (chance(30)) {
		l->exp = "";
		st.missing_code++;
	}
}

static void
adjustment_line(struct line *l, int32_t end)
{
	static const char *const fee_adj[] = {
	    "Courtesy discount, 5% of fees per engagement letter of Jan. 10",
	    "Write-off of time for training of new associate, per guidelines",
	    "Volume discount agreed with client's legal department, \"tier 2\""};
	static const char *const exp_adj[] = {
	    "Credit for duplicate courier charge billed on prior invoice",
	    "Reduction of travel expenses to coach fare, per guideline 4.2"};
	const char *d;

	l->type = rnd_below(3) < 2 ? LT_IF : LT_IE;
	l->tk = -1;
	l->date = end;
	l->task = l->act = l->exp = "";
	l->units = 100;
	l->cost = -1;
	l->adj = l->type == LT_IF ? -rnd_range(2500, 250000) :
	    -rnd_range(500, 30000);
	l->total = l->adj;
	d = l->type == LT_IF ? PICK(fee_adj) : PICK(exp_adj);
	snprintf(l->desc, sizeof(l->desc), "%s", d);
}

struct invoice {
	const struct matter *mt;
	char     number[24];
	int32_t  date, start, end;
	char     desc[192];
	int64_t  total;
	int      n;
};

static void
invoice_build(struct invoice *inv, unsigned long i)
{
	const struct matter *mt = &matters[i % (unsigned long)nmatters];
	struct firm *fm = &firms[mt->firm];
	int month = (int)(i / (unsigned long)nmatters), y, m, d, k, ndays;
	static const char *const mname[] = {"January", "February", "March",
	    "April", "May", "June", "July", "August", "September", "October",
	    "November", "December"};
	uint64_t u;

	y = 2019 + month / 12;
	m = month % 12 + 1;
	inv->mt = mt;
	inv->start = days_from_civil(y, m, 1);
	inv->end = (m == 12 ? days_from_civil(y + 1, 1, 1) :
	    days_from_civil(y, m + 1, 1)) - 1;
	ndays = (int)(inv->end - inv->start + 1);
	inv->date = inv->end + (int32_t)rnd_range(3, 25);
	civil_from_days(inv->end, &y, &m, &d);
	snprintf(inv->number, sizeof(inv->number), "%s-%d-%05u",
	    fm->def->prefix, y, fm->inv_seq++);
	snprintf(inv->desc, sizeof(inv->desc), "Professional services "
	    "through %s %d, %d - %s", mname[m - 1], d, y, mt->caption);
	/* Mostly short invoices, a long tail up to MAX_LINES (u^3, in
	 * integers so the output does not depend on floating point). */
	u = rnd_below(1000);
	inv->n = 20 + (int)(u * u * u * (MAX_LINES - 20) / 1000000000u);
	inv->total = 0;
	for (k = 0; k < inv->n; k++) {
		struct line *l = &lines[k];
		uint32_t r = rnd_below(1000);

		if (r < 800) {
			if (k > 0 && lines[k - 1].type == LT_F && chance(30)) {
				*l = lines[k - 1]; /* billed twice */
				st.duplicate++;
			} else {
				fee_line(l, mt, inv->start, ndays);
			}
			st.fees++;
		} else if (r < 970) {
			expense_line(l, mt, inv->start, ndays);
			st.expenses++;
		} else {
			adjustment_line(l, inv->end);
			st.adjustments++;
		}
		if (chance(30)) {
			int64_t delta = rnd_range(1, 5000);

			l->total += rnd_below(2) ? delta : -delta;
			st.bad_line_total++;
		}
		inv->total += l->total;
	}
	if (chance(300)) {
		int64_t delta = rnd_range(100, 50000);

		inv->total += rnd_below(2) ? delta : -delta;
		st.bad_invoice_total++;
	}
	st.invoices++;
	st.lines += (unsigned long)inv->n;
}

/* ---- writers ----------------------------------------------------- */

static const char ledes_names[] =
    "INVOICE_DATE|INVOICE_NUMBER|CLIENT_ID|LAW_FIRM_MATTER_ID|INVOICE_TOTAL|"
    "BILLING_START_DATE|BILLING_END_DATE|INVOICE_DESCRIPTION|"
    "LINE_ITEM_NUMBER|EXP/FEE/INV_ADJ_TYPE|LINE_ITEM_NUMBER_OF_UNITS|"
    "LINE_ITEM_ADJUSTMENT_AMOUNT|LINE_ITEM_TOTAL|LINE_ITEM_DATE|"
    "LINE_ITEM_TASK_CODE|LINE_ITEM_EXPENSE_CODE|LINE_ITEM_ACTIVITY_CODE|"
    "TIMEKEEPER_ID|LINE_ITEM_DESCRIPTION|LAW_FIRM_ID|LINE_ITEM_UNIT_COST|"
    "TIMEKEEPER_NAME|TIMEKEEPER_CLASSIFICATION|CLIENT_MATTER_ID[]\r\n";

/* The same 24 fields, named as exports name them. */
static const char csv_names[] =
    "Invoice Date,Invoice Number,Client ID,Matter,Invoice Total,"
    "Billing Start,Billing End,Invoice Description,Line,Type,Hours,"
    "Adjustment,Amount,Date,Task Code,Expense Code,Activity Code,"
    "Timekeeper ID,Description,Firm ID,Rate,Timekeeper Name,Class,"
    "Client Matter\r\n";

static const char *const type_code[] = {"F", "E", "IF", "IE"};

static void
invoice_write(const struct invoice *inv, enum fmt fmt)
{
	const struct matter *mt = inv->mt;
	const struct firm *fm = &firms[mt->firm];
	char sep = fmt == FMT_LEDES ? '|' : ',';
	bool iso = fmt == FMT_CSV;
	int k;

	for (k = 0; k < inv->n; k++) {
		const struct line *l = &lines[k];
		const struct tk *t = l->tk >= 0 ? &fm->tk[l->tk] : NULL;

		if (out_len + 4096 > OUT_CAP)
			out_flush();
		put_date(inv->date, iso);
		put_ch(sep);
		put_str(inv->number);
		put_ch(sep);
		put_str(fm->def->client);
		put_ch(sep);
		put_str(mt->id);
		put_ch(sep);
		put_fixed2(inv->total);
		put_ch(sep);
		put_date(inv->start, iso);
		put_ch(sep);
		put_date(inv->end, iso);
		put_ch(sep);
		if (fmt == FMT_CSV)
			put_cell(inv->desc);
		else
			put_str(inv->desc);
		put_ch(sep);
		put_uint((unsigned long)k + 1);
		put_ch(sep);
		put_str(type_code[l->type]);
		put_ch(sep);
		put_fixed2(l->units);
		put_ch(sep);
		put_fixed2(l->adj);
		put_ch(sep);
		put_fixed2(l->total);
		put_ch(sep);
		put_date(l->date, iso);
		put_ch(sep);
		put_str(l->task);
		put_ch(sep);
		put_str(l->exp);
		put_ch(sep);
		put_str(l->act);
		put_ch(sep);
		if (t != NULL)
			put_str(t->id);
		put_ch(sep);
		if (fmt == FMT_CSV)
			put_cell(l->desc);
		else
			put_str(l->desc);
		put_ch(sep);
		put_str(fm->def->id);
		put_ch(sep);
		if (l->cost >= 0)
			put_fixed2(l->cost);
		put_ch(sep);
		if (t != NULL) {
			if (fmt == FMT_CSV)
				put_cell(t->name);
			else
				put_str(t->name);
		}
		put_ch(sep);
		if (t != NULL)
			put_str(t->cls);
		put_ch(sep);
		put_str(mt->client_matter);
		if (fmt == FMT_LEDES)
			put_mem("[]\r\n", 4);
		else
			put_mem("\r\n", 2);
	}
}

static void
usage(void)
{
	fputs("usage: gen -f ledes|csv -m MEGABYTES [-s SEED] > FILE\n",
	    stderr);
	exit(2);
}

static unsigned long long
num_arg(const char *s)
{
	char *end;
	unsigned long long v = strtoull(s, &end, 10);

	if (*s == '\0' || *end != '\0')
		usage();
	return v;
}

int
main(int argc, char **argv)
{
	enum fmt fmt = FMT_LEDES;
	bool have_fmt = false;
	unsigned long long mb = 0, seed = 20260401;
	uint64_t target;
	struct invoice inv;
	unsigned long i;
	int a;

	for (a = 1; a < argc; a++) {
		if (strcmp(argv[a], "-f") == 0 && a + 1 < argc) {
			a++;
			if (strcmp(argv[a], "ledes") == 0)
				fmt = FMT_LEDES;
			else if (strcmp(argv[a], "csv") == 0)
				fmt = FMT_CSV;
			else
				usage();
			have_fmt = true;
		} else if (strcmp(argv[a], "-m") == 0 && a + 1 < argc) {
			mb = num_arg(argv[++a]);
		} else if (strcmp(argv[a], "-s") == 0 && a + 1 < argc) {
			seed = num_arg(argv[++a]);
		} else {
			usage();
		}
	}
	if (!have_fmt || mb == 0)
		usage();
	target = (uint64_t)mb * 1000000u;
	rng_state = seed;
	world_build();
	if (fmt == FMT_LEDES) {
		put_str("LEDES1998B[]\r\n");
		put_str(ledes_names);
	} else {
		put_str(csv_names);
	}
	for (i = 0; out_total + out_len < target; i++) {
		invoice_build(&inv, i);
		invoice_write(&inv, fmt);
	}
	out_flush();
	if (fflush(stdout) != 0 || ferror(stdout)) {
		perror("gen: write");
		return 2;
	}
	fprintf(stderr, "gen: %s, %llu bytes, %lu invoices, %lu lines "
	    "(%lu fees, %lu expenses, %lu IF/IE); planted: %lu line totals, "
	    "%lu invoice totals, %lu odd increments, %lu missing codes, "
	    "%lu rates above cap, %lu block-billed, %lu vague, %lu "
	    "duplicates; %lu weekend fee lines\n",
	    fmt == FMT_LEDES ? "LEDES 1998B" : "CSV",
	    (unsigned long long)out_total, st.invoices, st.lines, st.fees,
	    st.expenses, st.adjustments, st.bad_line_total,
	    st.bad_invoice_total, st.odd_increment, st.missing_code,
	    st.above_cap, st.block, st.vague, st.duplicate, st.weekend);
	free(matters);
	return 0;
}
