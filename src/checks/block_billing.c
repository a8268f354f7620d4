/* block_billing.c - one time entry describing several tasks: clauses
 * separated by ';' that each name a task, or task verbs chained with
 * commas and "and" ("Research case law, draft memo, and call counsel").
 * A compound verb on one object ("Draft and revise motion") is one task. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks.h"
#include "decimal.h"
#include "narrative.h"
#include "xalloc.h"

enum { P_MIN_TASKS, P_MIN_UNITS };

static const struct param_spec params[] = {
	{"min_tasks", PARAM_COUNT, "2", "tasks in one entry that make it "
	    "block billing", NULL},
	{"min_units", PARAM_AMOUNT, NULL, "only entries of at least this "
	    "many hours (default: all)", NULL},
};

/* What a lexicon word can be. */
enum {
	LX_VERB = 1,    /* a verb: inflects to -s, -ed, -ing */
	LX_NOUN = 2,    /* also an ordinary noun: draft, review, call, file */
	LX_NOMINAL = 4, /* a noun that names a task: conference, meeting */
	LX_DONE = 8,    /* completes a work product: file, serve, finalize */
	LX_WEAK = 16,   /* a purpose or a step, not a task of its own */
	LX_EVENT = 32,  /* attendance or travel, billed apart from its prep */
	LX_DOUBLE = 64, /* doubles its last consonant: plan -> planned */
	LX_VERBY = 128  /* a noun too, but after "and" mostly the verb */
};

enum form { FORM_BASE, FORM_S, FORM_ED, FORM_ING };

struct lexeme {
	const char *word;  /* as named in messages */
	unsigned    flags;
	const char *extra; /* irregular forms: "e:met g:travelling" */
};

/*
 * The task words of legal time entries.  Nouns that name a task come
 * first, so that "meeting" is the nominal, not a form of "meet" (the
 * matcher keeps the first of equal phrases).
 */
static const struct lexeme lexicon[] = {
	{"telephone conference", LX_NOMINAL, NULL},
	{"telephone call", LX_NOMINAL, NULL},
	{"phone call", LX_NOMINAL, NULL},
	{"conference call", LX_NOMINAL, NULL},
	{"video conference", LX_NOMINAL, NULL},
	{"videoconference", LX_NOMINAL, NULL},
	{"teleconference", LX_NOMINAL, NULL},
	{"conference", LX_NOMINAL, NULL},
	{"meeting", LX_NOMINAL, NULL},
	{"correspondence", LX_NOMINAL, NULL},
	{"discussion", LX_NOMINAL, NULL},
	{"preparation", LX_NOMINAL, NULL},
	{"revision", LX_NOMINAL, NULL},
	{"analysis", LX_NOMINAL, "s:analyses"},
	{"attendance", LX_NOMINAL | LX_EVENT, NULL},
	{"negotiation", LX_NOMINAL, NULL},
	{"draft", LX_VERB | LX_NOUN, NULL},
	{"revise", LX_VERB, NULL},
	{"review", LX_VERB | LX_NOUN | LX_VERBY, NULL},
	{"research", LX_VERB | LX_NOUN | LX_VERBY, NULL},
	{"analyze", LX_VERB, NULL},
	{"analyse", LX_VERB, NULL},
	{"prepare", LX_VERB, NULL},
	{"prep", LX_VERB | LX_NOUN | LX_DOUBLE, NULL},
	{"attend", LX_VERB | LX_EVENT, NULL},
	{"appear", LX_VERB | LX_EVENT, NULL},
	{"participate", LX_VERB | LX_EVENT, NULL},
	{"defend", LX_VERB | LX_EVENT, NULL},
	{"travel", LX_VERB | LX_NOUN | LX_EVENT,
	    "e:traveled g:traveling e:travelled g:travelling"},
	{"confer", LX_VERB | LX_DOUBLE, NULL},
	{"meet and confer", LX_VERB | LX_NOUN, NULL},
	{"meet", LX_VERB, "e:met"},
	{"call", LX_VERB | LX_NOUN | LX_VERBY, NULL},
	{"telephone", LX_VERB | LX_NOUN | LX_VERBY, NULL},
	{"phone", LX_VERB | LX_NOUN | LX_VERBY, NULL},
	{"email", LX_VERB | LX_NOUN | LX_VERBY, NULL},
	{"e-mail", LX_VERB | LX_NOUN | LX_VERBY, NULL},
	{"correspond", LX_VERB, NULL},
	{"negotiate", LX_VERB, NULL},
	{"interview", LX_VERB | LX_NOUN, NULL},
	{"file", LX_VERB | LX_NOUN | LX_DONE, NULL},
	{"e-file", LX_VERB | LX_DONE, NULL},
	{"serve", LX_VERB | LX_DONE, NULL},
	{"send", LX_VERB | LX_DONE, "e:sent"},
	{"submit", LX_VERB | LX_DONE | LX_DOUBLE, NULL},
	{"circulate", LX_VERB | LX_DONE, NULL},
	{"transmit", LX_VERB | LX_DONE | LX_DOUBLE, NULL},
	{"forward", LX_VERB | LX_DONE, NULL},
	{"deliver", LX_VERB | LX_DONE, NULL},
	{"finalize", LX_VERB | LX_DONE, NULL},
	{"finalise", LX_VERB | LX_DONE, NULL},
	{"edit", LX_VERB, NULL},
	{"outline", LX_VERB | LX_NOUN, NULL},
	{"summarize", LX_VERB, NULL},
	{"summarise", LX_VERB, NULL},
	{"investigate", LX_VERB, NULL},
	{"inspect", LX_VERB, NULL},
	{"depose", LX_VERB, NULL},
	{"argue", LX_VERB, NULL},
	{"compile", LX_VERB, NULL},
	{"organize", LX_VERB, NULL},
	{"organise", LX_VERB, NULL},
	{"index", LX_VERB | LX_NOUN, NULL},
	{"redact", LX_VERB, NULL},
	{"proofread", LX_VERB, NULL},
	{"update", LX_VERB | LX_NOUN, NULL},
	{"respond", LX_VERB, NULL},
	{"advise", LX_VERB, NULL},
	{"consult", LX_VERB, NULL},
	{"conduct", LX_VERB, NULL},
	{"monitor", LX_VERB | LX_NOUN, NULL},
	{"supervise", LX_VERB, NULL},
	{"calculate", LX_VERB, NULL},
	{"verify", LX_VERB, NULL},
	{"shepardize", LX_VERB, NULL},
	{"memorialize", LX_VERB, NULL},
	{"docket", LX_VERB | LX_NOUN, NULL},
	{"calendar", LX_VERB | LX_NOUN, NULL},
	{"copy", LX_VERB | LX_NOUN, NULL},
	{"scan", LX_VERB | LX_NOUN | LX_DOUBLE, NULL},
	{"upload", LX_VERB, NULL},
	{"download", LX_VERB, NULL},
	{"load", LX_VERB | LX_NOUN, NULL},
	{"bates stamp", LX_VERB | LX_NOUN, NULL},
	{"bates label", LX_VERB | LX_NOUN, NULL},
	{"bates number", LX_VERB | LX_NOUN, NULL},
	{"stamp", LX_VERB | LX_NOUN, NULL},
	{"schedule", LX_VERB | LX_NOUN, NULL},
	{"plan", LX_VERB | LX_NOUN | LX_DOUBLE, NULL},
	{"strategize", LX_VERB, NULL},
	{"coordinate", LX_VERB, NULL},
	{"arrange", LX_VERB, NULL},
	{"retrieve", LX_VERB, NULL},
	{"gather", LX_VERB, NULL},
	{"collect", LX_VERB, NULL},
	{"assemble", LX_VERB, NULL},
	{"annotate", LX_VERB, NULL},
	{"digest", LX_VERB | LX_NOUN, NULL},
	{"work on", LX_VERB, NULL},
	{"mark up", LX_VERB, NULL},
	{"report", LX_VERB | LX_NOUN, NULL},
	/* Steps and purposes: they name a task as a clause of their own
	 * ("...; discuss with partner"), never after "and". */
	{"cite-check", LX_VERB | LX_NOUN | LX_WEAK, NULL},
	{"follow up", LX_VERB | LX_WEAK, NULL},
	{"comment", LX_VERB | LX_NOUN | LX_WEAK, NULL},
	{"identify", LX_VERB | LX_WEAK, NULL},
	{"determine", LX_VERB | LX_WEAK, NULL},
	{"assess", LX_VERB | LX_WEAK, NULL},
	{"evaluate", LX_VERB | LX_WEAK, NULL},
	{"discuss", LX_VERB | LX_WEAK, NULL},
	{"consider", LX_VERB | LX_WEAK, NULL},
	{"address", LX_VERB | LX_NOUN | LX_WEAK, NULL},
	{"confirm", LX_VERB | LX_WEAK, NULL},
	{"ensure", LX_VERB | LX_WEAK, NULL},
	{"explain", LX_VERB | LX_WEAK, NULL},
	{"receive", LX_VERB | LX_WEAK, NULL},
	{"obtain", LX_VERB | LX_WEAK, NULL},
	{"locate", LX_VERB | LX_WEAK, NULL},
	{"study", LX_VERB | LX_WEAK, NULL},
};

#define NLEX (sizeof(lexicon) / sizeof(lexicon[0]))

/* Closed-class words, looked up in the same scan as the task words. */
enum {
	W_FUNCTION = 1, /* joins, points or refers: names no object */
	W_LINKER = 2,   /* after a task noun, links it to what it is about */
	W_TOPIC = 4,    /* the rest of the clause is the subject */
	W_LIST = 8,     /* the rest of the clause lists parts of one task */
	W_SKIP = 16,    /* an adverb allowed between "and" and a verb */
	W_ASPECT = 32,  /* "begin drafting" */
	W_ARTICLE = 64,
	W_CONJ = 128,   /* and, or, plus */
	W_TO = 256,
	W_AS = 512,
	W_WELL = 1024,
	W_E = 2048,     /* e.g., i.e. */
	W_G = 4096,
	W_I = 8192
};

struct closed {
	const char *word;
	unsigned    cls;
};

/* "Prepare for and attend hearing" has no object before "and"; after
 * "regarding" comes the subject; after "including", parts of the task. */
static const struct closed closed_words[] = {
	{"for", W_FUNCTION | W_LINKER}, {"to", W_FUNCTION | W_LINKER | W_TO},
	{"with", W_FUNCTION | W_LINKER}, {"of", W_FUNCTION | W_LINKER},
	{"on", W_FUNCTION | W_LINKER}, {"in", W_FUNCTION | W_LINKER},
	{"at", W_FUNCTION | W_LINKER}, {"by", W_FUNCTION},
	{"from", W_FUNCTION | W_LINKER}, {"into", W_FUNCTION | W_LINKER},
	{"about", W_FUNCTION | W_LINKER | W_TOPIC},
	{"regarding", W_FUNCTION | W_LINKER | W_TOPIC},
	{"re", W_FUNCTION | W_LINKER | W_TOPIC},
	{"concerning", W_FUNCTION | W_LINKER | W_TOPIC},
	{"relating", W_TOPIC}, {"respecting", W_TOPIC},
	{"among", W_LINKER}, {"between", W_LINKER},
	{"per", W_FUNCTION}, {"the", W_FUNCTION | W_ARTICLE},
	{"a", W_FUNCTION | W_ARTICLE}, {"an", W_FUNCTION | W_ARTICLE},
	{"same", W_FUNCTION}, {"upon", W_FUNCTION}, {"before", W_FUNCTION},
	{"after", W_FUNCTION}, {"during", W_FUNCTION}, {"via", W_FUNCTION},
	{"through", W_FUNCTION}, {"under", W_FUNCTION}, {"over", W_FUNCTION},
	{"as", W_FUNCTION | W_AS}, {"its", W_FUNCTION},
	{"their", W_FUNCTION}, {"his", W_FUNCTION}, {"her", W_FUNCTION},
	{"and", W_FUNCTION | W_CONJ}, {"or", W_FUNCTION | W_CONJ},
	{"plus", W_CONJ}, {"well", W_WELL},
	{"including", W_LIST}, {"incl", W_LIST}, {"namely", W_LIST},
	{"such", W_LIST}, {"e", W_E}, {"g", W_G}, {"i", W_I},
	{"then", W_SKIP}, {"also", W_SKIP}, {"further", W_SKIP},
	{"thereafter", W_SKIP}, {"subsequently", W_SKIP},
	{"additionally", W_SKIP}, {"briefly", W_SKIP},
	{"separately", W_SKIP}, {"again", W_SKIP}, {"promptly", W_SKIP},
	{"immediately", W_SKIP}, {"later", W_SKIP}, {"next", W_SKIP},
	{"finally", W_SKIP}, {"initially", W_SKIP},
	{"begin", W_ASPECT}, {"began", W_ASPECT}, {"begun", W_ASPECT},
	{"continue", W_ASPECT}, {"continued", W_ASPECT},
	{"start", W_ASPECT}, {"started", W_ASPECT}, {"resume", W_ASPECT},
	{"resumed", W_ASPECT},
};

#define NCLOSED (sizeof(closed_words) / sizeof(closed_words[0]))

struct state {
	narr_scan     *sc;
	size_t         forms;     /* list: task word forms */
	size_t         closed;    /* list: closed_words */
	unsigned short *form_lex;  /* form id -> lexicon index */
	unsigned char  *form_form; /* form id -> enum form */
	size_t         ahead;     /* check_ahead handle: struct bb_ahead */
};

static const struct check_ahead tasks_ahead;

static bool
is_vowel(char c)
{
	return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
}

static bool
ends_with(const char *w, const char *suffix)
{
	size_t n = strlen(w), k = strlen(suffix);

	return n >= k && memcmp(w + n - k, suffix, k) == 0;
}

/* The regular -s, -ed and -ing forms of w into buf (64 bytes). */
static void
inflect(char *buf, const char *w, unsigned flags, enum form f)
{
	size_t n = strlen(w);
	char last = w[n - 1];
	bool cons_y = last == 'y' && n > 1 && !is_vowel(w[n - 2]);

	switch (f) {
	case FORM_BASE:
		snprintf(buf, 64, "%s", w);
		break;
	case FORM_S:
		if (cons_y)
			snprintf(buf, 64, "%.*sies", (int)n - 1, w);
		else if (last == 's' || last == 'x' || last == 'z' ||
		    ends_with(w, "ch") || ends_with(w, "sh"))
			snprintf(buf, 64, "%ses", w);
		else
			snprintf(buf, 64, "%ss", w);
		break;
	case FORM_ED:
		if (last == 'e')
			snprintf(buf, 64, "%sd", w);
		else if (cons_y)
			snprintf(buf, 64, "%.*sied", (int)n - 1, w);
		else if (flags & LX_DOUBLE)
			snprintf(buf, 64, "%s%ced", w, last);
		else
			snprintf(buf, 64, "%sed", w);
		break;
	case FORM_ING:
		if (last == 'e' && n > 2 && w[n - 2] != 'e')
			snprintf(buf, 64, "%.*sing", (int)n - 1, w);
		else if (flags & LX_DOUBLE)
			snprintf(buf, 64, "%s%cing", w, last);
		else
			snprintf(buf, 64, "%sing", w);
		break;
	}
}

struct forms {
	char         **v;
	unsigned short *lex;
	unsigned char  *form;
	size_t         n, cap;
};

static void
add_form(struct forms *fs, const char *w, size_t lex, enum form f)
{
	size_t cap = fs->cap;

	xgrow(&fs->v, &cap, fs->n + 1, sizeof(*fs->v));
	fs->lex = xrealloc(fs->lex, cap * sizeof(*fs->lex));
	fs->form = xrealloc(fs->form, cap * sizeof(*fs->form));
	fs->cap = cap;
	fs->v[fs->n] = xstrdup(w);
	fs->lex[fs->n] = (unsigned short)lex;
	fs->form[fs->n] = (unsigned char)f;
	fs->n++;
}

static void *
state_new(struct check_ctx *cx, const struct rule *r)
{
	struct state *s = xcalloc(1, sizeof(*s));
	const char *closed[NCLOSED];
	struct forms fs;
	char buf[64];
	size_t i;

	(void)r;
	s->sc = narr_scan_of(cx);
	memset(&fs, 0, sizeof(fs));
	for (i = 0; i < NLEX; i++) {
		const struct lexeme *x = &lexicon[i];
		const char *e;

		add_form(&fs, x->word, i, FORM_BASE);
		inflect(buf, x->word, x->flags, FORM_S);
		add_form(&fs, buf, i, FORM_S);
		if (x->flags & LX_VERB) {
			inflect(buf, x->word, x->flags, FORM_ED);
			add_form(&fs, buf, i, FORM_ED);
			inflect(buf, x->word, x->flags, FORM_ING);
			add_form(&fs, buf, i, FORM_ING);
		}
		for (e = x->extra; e != NULL && *e != '\0';) {
			size_t k = strcspn(e + 2, " ");

			snprintf(buf, sizeof(buf), "%.*s", (int)k, e + 2);
			add_form(&fs, buf, i, e[0] == 'e' ? FORM_ED :
			    e[0] == 'g' ? FORM_ING : FORM_S);
			e += 2 + k;
			e += *e == ' ';
		}
	}
	s->forms = narr_scan_add(s->sc, (const char *const *)fs.v, fs.n);
	/* A closed word that is also a task word form is the form: it was
	 * one list, where the first of equal phrases wins.  Both are lower
	 * case, so equal means the same string. */
	for (i = 0; i < NCLOSED; i++) {
		size_t k;

		closed[i] = closed_words[i].word;
		for (k = 0; k < fs.n; k++)
			if (strcmp(fs.v[k], closed[i]) == 0)
				closed[i] = NULL;
	}
	s->closed = narr_scan_add(s->sc, closed, NCLOSED);
	s->form_lex = fs.lex;
	s->form_form = fs.form;
	/* After narr_scan_of added the scan: this job reads its result. */
	s->ahead = check_ahead_add(cx, &tasks_ahead, s);
	for (i = 0; i < fs.n; i++)
		free(fs.v[i]);
	free(fs.v);
	return s;
}

static void
state_free(void *p)
{
	struct state *s = p;

	free(s->form_lex);
	free(s->form_form);
	free(s);
}

/* ---- the narrative as words ------------------------------------- */

/* Words past this many are not read: no real entry is that long. */
#define MAX_TOKS 160

/* What the separators before a word held. */
enum {
	G_SPACE = 1,   /* whitespace */
	G_COMMA = 2,   /* , : or a dash between spaces */
	G_STRONG = 4,  /* ; or a line break */
	G_STOP = 8,    /* . ! ? */
	G_AND = 16,    /* & + / */
	G_ATTACH = 32, /* only a hyphen or apostrophe: one compound word */
	G_DASH = 64    /* this "word" is an em or en dash */
};

struct tok {
	size_t   start, end;
	int      lex;    /* lexicon index, -1 when none */
	unsigned nwords; /* words of that lexicon match */
	unsigned char form;
	unsigned cls;    /* W_* when a closed-class word */
	bool     cont;   /* a later word of an earlier lexicon match */
	bool     paren;  /* inside parentheses */
	bool     plain;  /* none of the above, after a space: a word that
	                    only ends a boundary (count_clause) */
	unsigned gap;    /* G_* of the separators before it */
};

struct words {
	const char  *s;
	struct tok   t[MAX_TOKS];
	size_t       n;
};

static bool
is_dash(const char *p, size_t n)
{
	return n == 3 && (unsigned char)p[0] == 0xE2 &&
	    (unsigned char)p[1] == 0x80 &&
	    ((unsigned char)p[2] == 0x93 || (unsigned char)p[2] == 0x94);
}

/* The words of the shared scan, with what the separators before each
 * held. */
static void
tokenize(struct words *w, const struct narr_hits *nh, size_t n)
{
	const char *s = nh->t.p;
	size_t k, i, prev = 0;
	int depth = 0;

	w->s = s;
	w->n = n;
	for (k = 0; k < w->n; k++) {
		struct tok *t = &w->t[k];
		size_t hyphens = 0;
		unsigned gap = 0;
		bool joiners_only = true;

		if (nh->h.gap[k] == PHRASE_GAP_SPACE) {
			/* The usual gap: what the loop below makes of it. */
			gap = G_SPACE;
			joiners_only = false;
			prev = nh->h.start[k];
		}
		for (i = prev; i < nh->h.start[k]; i++) {
			unsigned char c = (unsigned char)s[i];

			switch (c) {
			case ' ': case '\t': case '\r':
				gap |= G_SPACE;
				break;
			case '\n':
				gap |= G_SPACE | G_STRONG;
				break;
			case ',': case ':':
				gap |= G_COMMA;
				break;
			case ';':
				gap |= G_STRONG;
				break;
			case '.': case '!': case '?':
				gap |= G_STOP;
				break;
			case '&': case '+': case '/':
				gap |= G_AND;
				break;
			case '(': case '[':
				depth++;
				break;
			case ')': case ']':
				depth -= depth > 0;
				break;
			case '-':
				hyphens++;
				break;
			default:
				break;
			}
			joiners_only = joiners_only && (c == '-' || c == '\'');
		}
		t->start = nh->h.start[k];
		t->end = prev = nh->h.end[k];
		if (hyphens >= 2 || (hyphens > 0 && (gap & G_SPACE)))
			gap |= G_COMMA; /* "draft - review", "draft--review" */
		else if (k > 0 && joiners_only)
			gap |= G_ATTACH; /* meet-and-confer, counsel's */
		if (is_dash(s + t->start, t->end - t->start))
			gap |= G_DASH;
		t->gap = gap;
		t->paren = depth > 0;
		t->lex = -1;
		t->nwords = 0;
		t->cls = 0;
		t->cont = false;
	}
}

/* Marks each word with its closed-class bits and the longest task word
 * that starts there; words inside a longer one are not task words.
 * Matches ending past the words read are left out. */
static void
find_lexicon(struct words *w, const struct state *st,
    const struct narr_hits *nh)
{
	const struct phrase_hit *m, *end;
	size_t i, k;

	for (m = narr_list(nh, st->closed, &end); m < end; m++)
		if (m->word + m->nwords <= w->n)
			w->t[m->word].cls |= closed_words[m->id].cls;
	for (m = narr_list(nh, st->forms, &end); m < end; m++) {
		struct tok *t;

		if (m->word + m->nwords > w->n)
			continue;
		t = &w->t[m->word];
		if (m->nwords > t->nwords) {
			t->lex = st->form_lex[m->id];
			t->form = st->form_form[m->id];
			t->nwords = m->nwords;
		}
	}
	for (i = 0; i < w->n; i++) {
		struct tok *t = &w->t[i];

		if (t->cont)
			t->lex = -1;
		else
			for (k = 1; k < t->nwords && i + k < w->n; k++)
				w->t[i + k].cont = true;
		t->plain = t->gap == G_SPACE && t->cls == 0 && t->lex < 0 &&
		    !t->cont && !t->paren;
	}
}

/* The closed-class bits of word i. */
static unsigned
cls(const struct words *w, size_t i)
{
	return w->t[i].cls;
}

/* A clause ends at ';', a line break, or a sentence stop followed by a
 * capitalised task word ("...hearing. Attend hearing"): not at "J. Morrow"
 * or "Nos. 4, 7". */
static bool
clause_break(const struct words *w, size_t i)
{
	const struct tok *t = &w->t[i], *p;
	unsigned char c;

	if (i == 0)
		return false;
	if (t->gap & G_STRONG)
		return true;
	if (!(t->gap & G_STOP) || t->lex < 0)
		return false;
	c = (unsigned char)w->s[t->start];
	p = &w->t[i - 1];
	return c >= 'A' && c <= 'Z' && p->end - p->start > 1;
}

enum mode {
	M_NORMAL,
	M_TOPIC,   /* after "regarding": the subject, not more tasks */
	M_PURPOSE, /* after "to <verb>": the purpose, not more tasks */
	M_LIST     /* after "including": parts of the same task */
};

enum bound { B_NONE, B_AND, B_COMMA };

/* The next word after token i's lexicon match that belongs to the same
 * stretch of text, or n. */
static size_t
next_word(const struct words *w, size_t i)
{
	size_t k = i + (w->t[i].nwords > 0 ? w->t[i].nwords : 1);

	if (k >= w->n || clause_break(w, k) ||
	    (w->t[k].gap & (G_COMMA | G_STOP | G_DASH)) ||
	    (cls(w, k) & W_CONJ))
		return w->n;
	return k;
}

struct clause_ctx {
	enum mode  mode;
	enum bound bound;
	enum form  style;       /* the entry's tense: BASE, ED or ING */
	bool       after_article;
	bool       after_aspect; /* "begin drafting" */
};

/* Whether task word i, after a boundary, starts a task of its own. */
static bool
starts_task(const struct words *w, size_t i, const struct clause_ctx *c)
{
	const struct tok *t = &w->t[i];
	unsigned f = lexicon[t->lex].flags;
	enum mode mode = c->mode;
	size_t nx;
	bool linked;

	if ((f & LX_WEAK) || mode == M_LIST)
		return false;
	/* A comma can end a subject or a purpose; "and" cannot. */
	if (c->bound == B_COMMA)
		mode = M_NORMAL;
	if (mode == M_PURPOSE)
		return false;
	if (t->form == FORM_ED && c->style != FORM_ED)
		return false; /* "and revised schedule": an adjective */
	if (t->form == FORM_ING && c->style != FORM_ING && !c->after_aspect)
		return false; /* "and scheduling order" */
	nx = next_word(w, i);
	linked = nx < w->n && (cls(w, nx) & W_LINKER);
	if ((f & LX_NOMINAL) || c->after_article)
		return mode == M_NORMAL && linked &&
		    (f & (LX_NOMINAL | LX_NOUN));
	/* In a subject ("regarding status and review invoices") only a
	 * word that is mostly a verb, used as one, starts a task; "draft
	 * agreement" or "review of production" there is the subject. */
	if (f & LX_NOUN)
		return nx < w->n && (mode == M_NORMAL ||
		    ((f & LX_VERBY) && t->form == FORM_BASE && !linked));
	return true;
}

struct tally {
	size_t      n;
	const char *names[6];
	size_t      nnames;
};

static void
count_task(struct tally *ty, int lex)
{
	ty->n++;
	if (ty->nnames < sizeof(ty->names) / sizeof(ty->names[0]))
		ty->names[ty->nnames++] = lexicon[lex].word;
}

/* The tasks of one clause, words [i, end). */
static void
count_clause(const struct words *w, size_t i, size_t end,
    enum form style, struct tally *ty)
{
	struct clause_ctx c;
	bool open = false, has_object = false, event = false;
	bool after_topic = false;
	size_t k;

	memset(&c, 0, sizeof(c));
	c.style = style;
	for (k = i; k < end; k++) {
		const struct tok *t = &w->t[k];

		if (t->plain) {
			/* What the last branch below does with it. */
			c.bound = B_NONE;
			c.after_article = c.after_aspect = false;
			after_topic = false;
			has_object = has_object || open;
			continue;
		}
		if (t->gap & G_COMMA)
			c.bound = B_COMMA;
		if ((t->gap & G_AND) && c.bound == B_NONE)
			c.bound = B_AND;
		if (t->gap & G_DASH) {
			c.bound = B_COMMA;
			continue;
		}
		if (t->cont)
			continue;
		if (t->paren || ((t->gap & G_ATTACH) && k > i)) {
			/* An aside or the tail of a compound word. */
			has_object = has_object || open;
			c.bound = B_NONE;
			continue;
		}
		if (cls(w, k) & W_CONJ) {
			if (c.bound == B_NONE)
				c.bound = B_AND;
			continue;
		}
		if ((cls(w, k) & W_AS) && k + 2 < end &&
		    (cls(w, k + 1) & W_WELL) && (cls(w, k + 2) & W_AS)) {
			c.bound = c.bound == B_NONE ? B_AND : c.bound;
			k += 2;
			continue;
		}
		if (c.bound != B_NONE &&
		    (cls(w, k) & (W_SKIP | W_ARTICLE | W_ASPECT))) {
			c.after_article = c.after_article ||
			    (cls(w, k) & W_ARTICLE);
			c.after_aspect = c.after_aspect ||
			    (cls(w, k) & W_ASPECT);
			continue;
		}
		if (!open && t->lex >= 0) {
			count_task(ty, t->lex);
			open = true;
			event = (lexicon[t->lex].flags & LX_EVENT) != 0;
			c.bound = B_NONE;
			after_topic = false;
			continue;
		}
		if (open && c.bound != B_NONE && !after_topic &&
		    t->lex >= 0 && starts_task(w, k, &c)) {
			unsigned f = lexicon[t->lex].flags;
			bool ev = (f & LX_EVENT) != 0;
			enum bound b = c.bound;

			c.bound = B_NONE;
			c.after_article = c.after_aspect = false;
			/* "Draft and revise motion": one task on one
			 * object, unless it joins preparation to the
			 * attendance or travel billed apart from it. */
			if (!has_object && ev == event)
				continue;
			/* "Revise motion and serve on counsel": the same
			 * work product, finished. */
			if ((f & LX_DONE) && b == B_AND)
				continue;
			count_task(ty, t->lex);
			has_object = false;
			event = ev;
			c.mode = M_NORMAL;
			continue;
		}
		c.bound = B_NONE;
		c.after_article = c.after_aspect = false;
		after_topic = (cls(w, k) & W_TOPIC) != 0;
		if (!open)
			continue;
		if (!(cls(w, k) & W_FUNCTION))
			has_object = true;
		if (c.mode != M_LIST && after_topic)
			c.mode = M_TOPIC;
		if ((cls(w, k) & W_LIST) || (k + 1 < end &&
		    (((cls(w, k) & W_E) && (cls(w, k + 1) & W_G)) ||
		    ((cls(w, k) & W_I) && (cls(w, k + 1) & W_E)))))
			c.mode = M_LIST;
		if (c.mode == M_NORMAL && (cls(w, k) & W_TO) && k + 1 < end &&
		    w->t[k + 1].lex >= 0 &&
		    (lexicon[w->t[k + 1].lex].flags & LX_VERB) &&
		    w->t[k + 1].form == FORM_BASE)
			c.mode = M_PURPOSE;
	}
}

/* The tense the entry is written in, from its first task word: "Drafted
 * memo, called client" lets "called" start a task, where "Email re draft
 * motion and revised schedule" does not. */
static enum form
entry_style(const struct words *w)
{
	size_t i;

	for (i = 0; i < w->n; i++) {
		const struct tok *t = &w->t[i];

		if (t->lex < 0 || t->cont || t->paren)
			continue;
		if (!(lexicon[t->lex].flags & LX_VERB) || t->form == FORM_S)
			return FORM_BASE;
		return (enum form)t->form;
	}
	return FORM_BASE;
}

/* Separators that can part two tasks: clause or list punctuation,
 * & + / and a hyphen. */
#define GAP_BOUNDARY (PHRASE_GAP_LINE | PHRASE_GAP_COMMA | PHRASE_GAP_SEMI | \
	PHRASE_GAP_STOP | PHRASE_GAP_AND | PHRASE_GAP_HYPHEN)

/* Whether the word at p (n bytes) starts with w (lower case), ignoring
 * case. */
static bool
word_starts(const char *p, size_t n, const char *w, size_t len)
{
	size_t k;

	if (n < len)
		return false;
	for (k = 0; k < len; k++)
		if ((p[k] | 0x20) != w[k])
			return false;
	return true;
}

/* Whether the narrative has anything that can separate two tasks: one
 * of GAP_BOUNDARY, an em or en dash (its first byte, 0xE2), or a word
 * starting with and, or, plus.  Most single-task entries have none, and
 * need no closer look. */
static bool
may_have_boundary(const struct narr_hits *nh)
{
	const char *s = nh->t.p;
	size_t k, a, len;

	for (k = 0; k <= nh->h.nwords; k++)
		if (nh->h.gap[k] & GAP_BOUNDARY)
			return true;
	for (k = 0; k < nh->h.nwords; k++) {
		a = nh->h.start[k];
		len = nh->h.end[k] - a;
		/* and, or, plus (or a longer word, which only costs the
		 * closer look) */
		switch (s[a]) {
		case 'a': case 'A':
			if (word_starts(s + a, len, "and", 3))
				return true;
			break;
		case 'o': case 'O':
			if (word_starts(s + a, len, "or", 2))
				return true;
			break;
		case 'p': case 'P':
			if (word_starts(s + a, len, "plus", 4))
				return true;
			break;
		default:
			break;
		}
	}
	return nh->t.n > 0 && memchr(s, 0xE2, nh->t.n) != NULL;
}

/* What the words between the first and the last task word are, as far
 * as a second task needs (indexes from first). */
struct span {
	size_t         first, last;
	unsigned short cls[MAX_TOKS];  /* closed-class bits */
	bool           inner[MAX_TOKS]; /* inside a longer task word */
	/* the task word that starts there, as find_lexicon marks it */
	const struct phrase_hit *task[MAX_TOKS];
};

/*
 * Whether a boundary is in force at task word q (count_clause's c.bound),
 * and a comma one when comma is true ("and" does not part a task that
 * finishes the one before it).  It is set by the separators before a
 * word (, : - for a comma; & + / for "and"), a dash, and, or, plus, "as
 * well as", and kept by an adverb, an article, "begin" or a word inside
 * a longer task word; any other word ends it.  Clause breaks are left to
 * the caller.
 */
static bool
bound_at(const struct narr_hits *nh, const struct span *sp, size_t q,
    bool comma)
{
	const unsigned char *s = (const unsigned char *)nh->t.p;
	size_t k, n;

	for (k = q; k > sp->first; k--) {
		unsigned c = sp->cls[k - 1 - sp->first];
		unsigned g = nh->h.gap[k];

		if (g & (PHRASE_GAP_COMMA | PHRASE_GAP_HYPHEN))
			return true;
		if ((g & PHRASE_GAP_AND) && !comma)
			return true;
		n = nh->h.end[k - 1] - nh->h.start[k - 1];
		if (is_dash((const char *)s + nh->h.start[k - 1], n))
			return true;
		if (c & (W_CONJ | W_AS | W_WELL)) {
			if (!comma)
				return true;
		} else if (!(c & (W_SKIP | W_ARTICLE | W_ASPECT)) &&
		    !sp->inner[k - 1 - sp->first])
			return false;
	}
	return false;
}

/*
 * Whether task word q can pass starts_task at all: not a step or a
 * purpose (LX_WEAK), and in the entry's tense (entry_style) unless after
 * "begin".  The tense is known when no parenthesis comes before the
 * first task word.
 */
static bool
may_start_task(const struct state *st, const struct narr_hits *nh,
    const struct span *sp, size_t q)
{
	const struct phrase_hit *m = sp->task[q - sp->first];
	const struct phrase_hit *t0 = sp->task[0];
	unsigned f = lexicon[st->form_lex[m->id]].flags;
	enum form form = (enum form)st->form_form[m->id], style;
	size_t k;

	if (f & LX_WEAK)
		return false;
	if (form != FORM_ED && form != FORM_ING)
		return true;
	for (k = 0; k <= sp->first; k++)
		if (nh->h.gap[k] & PHRASE_GAP_PAREN)
			return true;
	style = FORM_BASE;
	if ((lexicon[st->form_lex[t0->id]].flags & LX_VERB) &&
	    st->form_form[t0->id] != FORM_S)
		style = (enum form)st->form_form[t0->id];
	if (form == style)
		return true;
	if (form == FORM_ED)
		return false;
	for (k = sp->first + 1; k < q; k++)
		if (sp->cls[k - sp->first] & W_ASPECT)
			return true;
	return false;
}

/*
 * Whether a second task is possible: every task counted is a word where
 * a task word starts, and a task after the first needs a clause break
 * after it (count_tasks) or a boundary in force where it starts
 * (bound_at).  Most entries have neither, and need no closer look.
 */
static bool
two_tasks_possible(const struct state *st, const struct narr_hits *nh,
    size_t *upto)
{
	const unsigned char *s = (const unsigned char *)nh->t.p;
	const struct phrase_hit *m, *mend, *forms, *c;
	struct span sp;
	size_t k, last_end = 0;

	sp.first = SIZE_MAX;
	sp.last = 0;
	forms = narr_list(nh, st->forms, &mend);
	for (m = forms; m < mend; m++) {
		/* Words past MAX_TOKS are not read. */
		if (m->word + m->nwords > MAX_TOKS)
			continue;
		if (m->word < sp.first)
			sp.first = m->word;
		if (m->word > sp.last)
			sp.last = m->word;
		if (m->word + m->nwords > last_end)
			last_end = m->word + m->nwords;
	}
	if (sp.first == SIZE_MAX || sp.first == sp.last)
		return false;
	/* Past the last task word, words only matter to those before: the
	 * next word and the two after it (count_clause, starts_task). */
	*upto = last_end + 3;
	if (*upto > nh->h.nwords)
		*upto = nh->h.nwords;
	if (*upto > MAX_TOKS)
		*upto = MAX_TOKS;
	memset(sp.task, 0, (sp.last - sp.first + 1) * sizeof(sp.task[0]));
	for (m = forms; m < mend; m++) {
		const struct phrase_hit **t;

		if (m->word + m->nwords > MAX_TOKS)
			continue;
		t = &sp.task[m->word - sp.first];
		if (*t == NULL || m->nwords > (*t)->nwords)
			*t = m;
	}
	/* A clause break (clause_break) before a task word. */
	for (k = sp.first + 1; k <= sp.last; k++) {
		unsigned g = nh->h.gap[k];
		unsigned char first = s[nh->h.start[k]];

		if (g & (PHRASE_GAP_LINE | PHRASE_GAP_SEMI))
			return true;
		if ((g & PHRASE_GAP_STOP) && sp.task[k - sp.first] != NULL &&
		    first >= 'A' && first <= 'Z' &&
		    nh->h.end[k - 1] - nh->h.start[k - 1] > 1)
			return true;
	}
	memset(sp.cls, 0, (sp.last - sp.first) * sizeof(sp.cls[0]));
	memset(sp.inner, 0, (sp.last - sp.first) * sizeof(sp.inner[0]));
	for (c = narr_list(nh, st->closed, &m); c < m; c++)
		if (c->word >= sp.first && c->word < sp.last)
			sp.cls[c->word - sp.first] |= closed_words[c->id].cls;
	for (m = forms; m < mend; m++)
		for (k = m->word + 1; k < m->word + m->nwords; k++)
			if (k >= sp.first && k < sp.last)
				sp.inner[k - sp.first] = true;
	for (k = sp.first + 1; k <= sp.last; k++) {
		const struct phrase_hit *t = sp.task[k - sp.first];

		/* "Revise motion and serve": the same work, finished. */
		if (t != NULL && may_start_task(st, nh, &sp, k) &&
		    bound_at(nh, &sp, k, (lexicon[st->form_lex[t->id]].flags &
		    LX_DONE) != 0))
			return true;
	}
	return false;
}

/* Counts the tasks a narrative describes, when there may be two or
 * more: ty->n < 2 says only that there are fewer. */
static void
count_tasks(const struct state *st, const struct narr_hits *nh,
    struct tally *ty)
{
	struct words words, *w = &words;
	enum form style;
	size_t i, n, start = 0;

	memset(ty, 0, sizeof(*ty));
	if (!two_tasks_possible(st, nh, &n))
		return;
	if (!may_have_boundary(nh))
		return; /* one clause, one task at most */
	tokenize(w, nh, n);
	find_lexicon(w, st, nh);
	style = entry_style(w);
	for (i = 1; i <= w->n; i++) {
		if (i < w->n && !clause_break(w, i))
			continue;
		count_clause(w, start, i, style, ty);
		start = i;
	}
}

/* The tasks of a fee line's narrative, counted ahead from the scan
 * ahead. */
struct bb_ahead {
	struct tally             ty;
	const struct narr_hits *nh; /* the scan counted; NULL: none */
};

static void
ahead_run(void *arg, const struct invoice_line *l, void *out)
{
	const struct state *st = arg;
	struct bb_ahead *a = out;

	a->nh = NULL;
	if (l->type != LINE_FEE || narr_text(l).n == 0)
		return;
	a->nh = narr_scan_ahead(st->sc, l);
	count_tasks(st, a->nh, &a->ty);
}

static const struct check_ahead tasks_ahead = {
	.size = sizeof(struct bb_ahead), .run = ahead_run
};

static void
on_line(struct check_ctx *cx, const struct rule *r,
    const struct invoice_line *l)
{
	const struct state *st = check_state(cx);
	const struct bb_ahead *a = check_ahead_of(l, st->ahead);
	const struct narr_hits *nh;
	const struct param_value *min_units = rule_param(r, P_MIN_UNITS);
	long min_tasks = rule_param(r, P_MIN_TASKS)->u.count;
	struct text t = narr_text(l);
	struct tally ty;
	char names[200];
	size_t i, k = 0;

	if (l->type != LINE_FEE || t.n == 0)
		return;
	if (min_units->set && l->num[N_UNITS] < min_units->u.amount)
		return;
	/* Counted ahead, unless the scan has changed since. */
	nh = narr_scan_line(st->sc, l);
	if (a->nh == nh)
		ty = a->ty;
	else
		count_tasks(st, nh, &ty);
	if (ty.n < 2 || ty.n < (size_t)(min_tasks > 0 ? min_tasks : 0))
		return;
	names[0] = '\0';
	for (i = 0; i < ty.nnames; i++) {
		int c = snprintf(names + k, sizeof(names) - k, "%s%s",
		    i == 0 ? "" : ", ", ty.names[i]);

		if (c < 0 || (size_t)c >= sizeof(names) - k)
			break;
		k += (size_t)c;
	}
	check_emit_line(cx, r, l, narr_line_risk(r, l),
	    "%zu tasks in one entry: %s%s", ty.n, names,
	    ty.n > ty.nnames ? ", ..." : "");
}

static const enum field_id needs[] = {F_LINE_ITEM_DESCRIPTION};

const struct check check_block_billing = {
	.name = "block_billing",
	.summary = "one time entry describing several tasks (';'-separated "
		   "clauses or chained task verbs)",
	.params = params,
	.nparams = sizeof(params) / sizeof(params[0]),
	.needs = needs,
	.nneeds = 1,
	.state_new_cx = state_new,
	.state_free = state_free,
	.on_line = on_line,
};
