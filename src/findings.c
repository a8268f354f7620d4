/* findings.c - the run's findings as records in a buffer that spills to an
 * unlinked temporary file, and a compact index to sort and find them. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "findings.h"
#include "keymap.h"
#include "xalloc.h"

/* One finding in memory: FINDINGS_INDEX_BYTES. */
struct fidx {
	uint64_t off;        /* the record's offset in the store */
	uint64_t row;
	uint32_t firm;       /* firm number; its rank once sorted */
	uint32_t file_index;
	uint32_t rule_index;
	uint8_t  severity;
};

_Static_assert(sizeof(struct fidx) == FINDINGS_INDEX_BYTES,
    "FINDINGS_INDEX_BYTES says what the index costs");

/* The head of a record; its texts follow, each NUL-terminated, and the
 * record is padded to a multiple of 8 so that every head is aligned. */
struct frec {
	const char *rule, *check, *clause, *firm_name, *invoice, *matter;
	const char *file;
	uint64_t    row, seq;
	int64_t     units, billed, at_risk;
	int32_t     date;
	uint32_t    file_index, rule_index;
	uint32_t    len[5];  /* line, timekeeper, tk_name, description,
	                        message; without the NULs */
	uint8_t     severity;
};

#define REC_ALIGN 8
/* What a reader reads at once from the file: many records, so that
 * findings stored near each other cost one read. */
#define WINDOW    ((size_t)64 << 10)

struct firm_ent {
	const char       *id;     /* the first pointer seen for it */
	uint32_t          rank;   /* position among the ids by strcmp */
	struct rule_tally *tally; /* per rule index */
	size_t            ntally;
};

struct finding_store {
	struct fidx      *idx;
	size_t            n, cap;
	char             *buf;      /* records from file offset `spilled` */
	size_t            len, buf_cap;
	uint64_t          spilled;  /* bytes in the file */
	size_t            spill_at;
	int               fd;       /* -1 until the first spill */
	bool              failed;
	bool              sorted;
	char              err[300];
	size_t            nsev[3];
	keymap           *firm_ids; /* firm id -> uint32_t number */
	struct firm_ent  *firms;    /* by number */
	size_t            nfirms, firms_cap;
	uint32_t         *by_rank;  /* rank -> number, once sorted */
	const char       *last_firm; /* the pointer last looked up */
	uint32_t          last_id;
	struct finding    added;    /* what findings_add returned */
};

finding_store *
findings_new(size_t spill_at)
{
	finding_store *fs = xcalloc(1, sizeof(*fs));

	fs->spill_at = spill_at ? spill_at : FINDINGS_SPILL_AT;
	fs->fd = -1;
	fs->firm_ids = keymap_new(sizeof(uint32_t));
	return fs;
}

void
findings_free(finding_store *fs)
{
	size_t i;

	if (fs == NULL)
		return;
	if (fs->fd >= 0)
		(void)close(fs->fd);
	for (i = 0; i < fs->nfirms; i++)
		free(fs->firms[i].tally);
	free(fs->firms);
	free(fs->by_rank);
	keymap_free(fs->firm_ids);
	free(fs->idx);
	free(fs->buf);
	free(fs);
}

const char *
findings_error(const finding_store *fs)
{
	return fs->err;
}

size_t
findings_count(const finding_store *fs)
{
	return fs != NULL ? fs->n : 0;
}

size_t
findings_count_severity(const finding_store *fs, enum severity sev)
{
	return fs != NULL && (unsigned)sev < 3 ? fs->nsev[sev] : 0;
}

static const char *
tmp_dir(void)
{
	const char *d = getenv("TMPDIR");

	return d != NULL && d[0] != '\0' ? d : "/tmp";
}

static int
spill_fail(finding_store *fs, const char *what, int err)
{
	(void)snprintf(fs->err, sizeof(fs->err), "%s a temporary file in "
	    "%.200s: %s", what, tmp_dir(), strerror(err));
	fs->failed = true;
	return -1;
}

/* Appends the buffer to the file (made on first use). */
static int
spill(finding_store *fs)
{
	const char *p = fs->buf;
	size_t left = fs->len;
	char *path;
	ssize_t w;

	if (fs->fd < 0) {
		path = xmalloc(strlen(tmp_dir()) + 32);
		memcpy(path, tmp_dir(), strlen(tmp_dir()));
		memcpy(path + strlen(tmp_dir()), "/billcheck-findings-XXXXXX",
		    sizeof("/billcheck-findings-XXXXXX"));
		fs->fd = mkstemp(path);
		if (fs->fd < 0) {
			free(path);
			return spill_fail(fs, "cannot create", errno);
		}
		/* Nobody else needs its name: it goes with the process. */
		(void)unlink(path);
		free(path);
	}
	while (left > 0) {
		w = write(fs->fd, p, left);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return spill_fail(fs, "cannot write", w < 0 ? errno :
			    ENOSPC);
		p += w;
		left -= (size_t)w;
	}
	fs->spilled += fs->len;
	fs->len = 0;
	return 0;
}

/* The number of firm id s, made on first sight. */
static uint32_t
firm_number(finding_store *fs, const char *s)
{
	uint32_t *id;
	bool created;

	/* An invoice's findings come together and share its pointer. */
	if (s == fs->last_firm && fs->nfirms > 0)
		return fs->last_id;
	id = keymap_put(fs->firm_ids, s, strlen(s), &created);
	if (created) {
		xgrow(&fs->firms, &fs->firms_cap, fs->nfirms + 1,
		    sizeof(*fs->firms));
		memset(&fs->firms[fs->nfirms], 0, sizeof(*fs->firms));
		fs->firms[fs->nfirms].id = s;
		*id = (uint32_t)fs->nfirms++;
	}
	fs->last_firm = s;
	fs->last_id = *id;
	return *id;
}

static void
tally(struct firm_ent *fe, uint32_t rule, int64_t at_risk)
{
	struct rule_tally *t;
	size_t old = fe->ntally;

	if (rule >= fe->ntally) {
		xgrow(&fe->tally, &fe->ntally, (size_t)rule + 1,
		    sizeof(*fe->tally));
		memset(fe->tally + old, 0, (fe->ntally - old) *
		    sizeof(*fe->tally));
	}
	t = &fe->tally[rule];
	t->count++;
	/* Amounts at risk are never negative: past the limit, stay there. */
	if (__builtin_add_overflow(t->at_risk, at_risk, &t->at_risk))
		t->at_risk = INT64_MAX;
}

static size_t
rec_size(const struct frec *h)
{
	size_t n = sizeof(*h), i;

	for (i = 0; i < 5; i++)
		n += (size_t)h->len[i] + 1;
	return (n + REC_ALIGN - 1) & ~(size_t)(REC_ALIGN - 1);
}

/* Points f's fields at the record at p (aligned). */
static void
decode(struct finding *f, const char *p)
{
	const struct frec *h = (const struct frec *)(const void *)p;
	const char *t = p + sizeof(*h);

	f->rule = h->rule;
	f->check = h->check;
	f->severity = (enum severity)h->severity;
	f->clause = h->clause;
	f->firm_name = h->firm_name;
	f->invoice = h->invoice;
	f->matter = h->matter;
	f->file = h->file;
	f->row = (unsigned long)h->row;
	f->date = h->date;
	f->units = h->units;
	f->billed = h->billed;
	f->at_risk = h->at_risk;
	f->file_index = h->file_index;
	f->rule_index = h->rule_index;
	f->seq = (size_t)h->seq;
	f->line = t;
	t += h->len[0] + 1;
	f->timekeeper = t;
	t += h->len[1] + 1;
	f->tk_name = t;
	t += h->len[2] + 1;
	f->description = t;
	t += h->len[3] + 1;
	f->message = t;
}

static char *
put_text(char *o, struct text t)
{
	if (t.n > 0)
		memcpy(o, t.p, t.n);
	return o + t.n;
}

static uint32_t
len32(size_t n)
{
	/* Texts are bounded by --max-record (1 GiB), far below. */
	return n < UINT32_MAX ? (uint32_t)n : UINT32_MAX - 1;
}

const struct finding *
findings_add(finding_store *fs, const struct finding *f,
    const struct finding_texts *t)
{
	const struct text *tx[4] = {&t->line, &t->timekeeper, &t->tk_name,
		&t->description};
	struct frec h;
	struct fidx *x;
	size_t need, i;
	char *o;

	if (fs->failed)
		return NULL;
	/* Spill before adding, so that what the last call returned stays
	 * valid until this one. */
	if (fs->len >= fs->spill_at && spill(fs) < 0)
		return NULL;
	memset(&h, 0, sizeof(h));
	h.rule = f->rule;
	h.check = f->check;
	h.clause = f->clause;
	h.firm_name = f->firm_name;
	h.invoice = f->invoice;
	h.matter = f->matter;
	h.file = f->file;
	h.row = f->row;
	h.seq = fs->n;
	h.units = f->units;
	h.billed = f->billed;
	h.at_risk = f->at_risk;
	h.date = f->date;
	h.file_index = f->file_index;
	h.rule_index = f->rule_index;
	h.severity = (uint8_t)f->severity;
	for (i = 0; i < 4; i++)
		h.len[i] = len32(tx[i]->n);
	h.len[4] = len32(t->message[0].n + t->message[1].n +
	    t->message[2].n);
	need = rec_size(&h);
	/* The whole buffer at once: growing it would copy it each time,
	 * and pages not written yet cost no memory. */
	if (fs->buf == NULL) {
		fs->buf_cap = fs->spill_at + 64 * 1024;
		fs->buf = xmalloc(fs->buf_cap);
	}
	xgrow(&fs->buf, &fs->buf_cap, fs->len + need, 1);
	o = fs->buf + fs->len;
	memcpy(o, &h, sizeof(h));
	o += sizeof(h);
	for (i = 0; i < 4; i++) {
		o = put_text(o, (struct text){tx[i]->p, h.len[i]});
		*o++ = '\0';
	}
	for (i = 0; i < 3; i++)
		o = put_text(o, t->message[i]);
	*o++ = '\0';
	memset(o, 0, (size_t)(fs->buf + fs->len + need - o));

	xgrow(&fs->idx, &fs->cap, fs->n + 1, sizeof(*fs->idx));
	x = &fs->idx[fs->n];
	memset(x, 0, sizeof(*x));
	x->off = fs->spilled + fs->len;
	x->row = f->row;
	x->firm = firm_number(fs, f->firm);
	x->file_index = f->file_index;
	x->rule_index = f->rule_index;
	x->severity = (uint8_t)f->severity;
	tally(&fs->firms[x->firm], f->rule_index, f->at_risk);
	if ((unsigned)f->severity < 3)
		fs->nsev[f->severity]++;
	decode(&fs->added, fs->buf + fs->len);
	fs->added.firm = fs->firms[x->firm].id;
	fs->len += need;
	fs->n++;
	return &fs->added;
}

/* ---- the order ------------------------------------------------------ */

static int
cmp_firm_ptr(const void *a, const void *b)
{
	const struct firm_ent *const *x = a, *const *y = b;

	return strcmp((*x)->id, (*y)->id);
}

static int
cmp_idx(const void *a, const void *b)
{
	const struct fidx *x = a, *y = b;

	if (x->firm != y->firm)
		return x->firm < y->firm ? -1 : 1;
	if (x->file_index != y->file_index)
		return x->file_index < y->file_index ? -1 : 1;
	if (x->row != y->row)
		return x->row < y->row ? -1 : 1;
	if (x->rule_index != y->rule_index)
		return x->rule_index < y->rule_index ? -1 : 1;
	/* Records are appended, so the offset is the order found. */
	return x->off < y->off ? -1 : x->off > y->off;
}

void
findings_sort(finding_store *fs)
{
	struct firm_ent **order;
	size_t i;

	if (fs->sorted)
		return;
	fs->sorted = true;
	order = xmalloc((fs->nfirms + 1) * sizeof(*order));
	for (i = 0; i < fs->nfirms; i++)
		order[i] = &fs->firms[i];
	if (fs->nfirms > 1)
		qsort(order, fs->nfirms, sizeof(*order), cmp_firm_ptr);
	/* Ids are distinct strings, so ranks are distinct too. */
	fs->by_rank = xmalloc((fs->nfirms + 1) * sizeof(*fs->by_rank));
	for (i = 0; i < fs->nfirms; i++) {
		order[i]->rank = (uint32_t)i;
		fs->by_rank[i] = (uint32_t)(order[i] - fs->firms);
	}
	free(order);
	for (i = 0; i < fs->n; i++)
		fs->idx[i].firm = fs->firms[fs->idx[i].firm].rank;
	if (fs->n > 1)
		qsort(fs->idx, fs->n, sizeof(*fs->idx), cmp_idx);
}

static const struct firm_ent *
firm_of(const finding_store *fs, const struct fidx *x)
{
	return &fs->firms[fs->sorted ? fs->by_rank[x->firm] : x->firm];
}

const struct rule_tally *
findings_firm_tally(const finding_store *fs, const char *firm, size_t *n)
{
	const uint32_t *id;

	*n = 0;
	if (fs == NULL)
		return NULL;
	id = keymap_get(fs->firm_ids, firm, strlen(firm));
	if (id == NULL)
		return NULL;
	*n = fs->firms[*id].ntally;
	return fs->firms[*id].tally;
}

/* ---- reading -------------------------------------------------------- */

void
findings_reader_init(struct finding_reader *rd, const struct run_result *res)
{
	memset(rd, 0, sizeof(*rd));
	rd->fs = res->findings;
	rd->first = res->findings_first;
}

void
findings_reader_fini(struct finding_reader *rd)
{
	free(rd->win);
	rd->win = NULL;
	rd->win_len = rd->win_cap = 0;
}

/* Reads at least n bytes from file offset off into the window (more when
 * the file has them, up to WINDOW). */
static int
fill(struct finding_reader *rd, uint64_t off, size_t n)
{
	const finding_store *fs = rd->fs;
	size_t want = n > WINDOW ? n : WINDOW, got = 0;
	ssize_t r = 0;

	if (want > fs->spilled - off)
		want = (size_t)(fs->spilled - off);
	if (want < n) {
		errno = EIO;
		return -1;
	}
	xgrow(&rd->win, &rd->win_cap, want, 1);
	rd->win_off = off;
	rd->win_len = 0;
	while (got < want) {
		r = pread(fs->fd, rd->win + got, want - got,
		    (off_t)(off + got));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	rd->win_len = got;
	if (got < n) {
		if (r == 0)
			errno = EIO;
		return -1;
	}
	return 0;
}

/* The record at file offset off, read through the window. */
static const char *
read_rec(struct finding_reader *rd, uint64_t off)
{
	const struct frec *h;
	size_t need;

	if (off < rd->win_off || off + sizeof(*h) > rd->win_off + rd->win_len)
		if (fill(rd, off, sizeof(*h)) < 0)
			return NULL;
	h = (const struct frec *)(const void *)(rd->win + (off - rd->win_off));
	need = rec_size(h);
	if (off + need > rd->win_off + rd->win_len) {
		if (fill(rd, off, need) < 0)
			return NULL;
	}
	return rd->win + (off - rd->win_off);
}

const struct finding *
findings_reader_get(struct finding_reader *rd, size_t i)
{
	const finding_store *fs = rd->fs;
	const struct fidx *x = &fs->idx[rd->first + i];
	const char *p;

	if (x->off >= fs->spilled)
		p = fs->buf + (x->off - fs->spilled);
	else
		p = read_rec(rd, x->off);
	if (p == NULL)
		return NULL;
	decode(&rd->f, p);
	rd->f.firm = firm_of(fs, x)->id;
	return &rd->f;
}

enum severity
findings_severity(const struct run_result *res, size_t i)
{
	return (enum severity)res->findings->idx[res->findings_first + i]
	    .severity;
}

const char *
findings_firm(const struct run_result *res, size_t i)
{
	const finding_store *fs = res->findings;

	return firm_of(fs, &fs->idx[res->findings_first + i])->id;
}

size_t
findings_of_firm(const struct run_result *res, const char *firm,
    size_t *first)
{
	const finding_store *fs = res->findings;
	const struct fidx *v;
	const uint32_t *id;
	size_t lo = 0, hi = res->nfindings, mid, start;
	uint32_t rank;

	*first = 0;
	if (fs == NULL || res->nfindings == 0)
		return 0;
	id = keymap_get(fs->firm_ids, firm, strlen(firm));
	if (id == NULL)
		return 0;
	rank = fs->firms[*id].rank;
	v = fs->idx + res->findings_first;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (v[mid].firm < rank)
			lo = mid + 1;
		else
			hi = mid;
	}
	start = lo;
	hi = res->nfindings;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (v[mid].firm <= rank)
			lo = mid + 1;
		else
			hi = mid;
	}
	*first = start;
	return lo - start;
}
