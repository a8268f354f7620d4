/* pipeline.c - a reader sink that runs another sink on a worker thread.
 *
 * The reader fills a batch with copies of what it delivers (the lines'
 * text goes into the batch's own bytes, since a reader's buffers are only
 * valid during the call) and queues it; the worker hands each batch's
 * events, in order, to the downstream sink.  With two cores the parse and
 * the checks overlap, and the order of everything the engine sees and
 * prints is exactly that of a single thread.  The work the sink does
 * ahead of its lines (input.h, line_ahead) is done here, on the reader's
 * thread, so that both cores share the checks' work. */
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pipeline.h"
#include "xalloc.h"

/* Events per batch: enough that the hand-over costs little per line, few
 * enough that a batch is still in the cache the cores share when the
 * worker reads it. */
#define BATCH_EVENTS 256
#define NBATCHES     4
#define BATCH_BYTES  ((size_t)128 << 10) /* initial text capacity */

enum event_kind { EV_LINE, EV_REJECT, EV_ERROR, EV_NOTE };

struct event {
	enum event_kind kind;
	size_t          at; /* into lines[] or diags[] */
};

struct batch {
	struct event         ev[BATCH_EVENTS];
	size_t               nev;
	struct invoice_line *lines; /* BATCH_EVENTS of them */
	unsigned            *cols_gen; /* per line: the column set it has */
	size_t               nlines;
	struct diag         *diags;
	size_t               ndiags, diags_cap;
	unsigned char       *ahead; /* per line: line_ahead's block */
	char                *bytes; /* the lines' text */
	size_t               nbytes, bytes_cap;
	bool                 ahead_on; /* its lines' work ahead is done */
	struct batch        *next;
};

struct pipeline {
	struct input_sink        sink; /* what the reader calls */
	const struct input_sink *to;
	const struct line_ahead *ahead; /* to's, or NULL */
	size_t                   ahead_size; /* a block, rounded up */
	pthread_t                worker;
	pthread_mutex_t          lock;
	pthread_cond_t           filled;  /* a batch was queued, or stop */
	pthread_cond_t           emptied; /* a batch was delivered */
	struct batch            *queue, *queue_tail; /* full, in order */
	struct batch            *spare;              /* free */
	unsigned long            queued, delivered;
	bool                     stop;
	/* Whether the reader does the sink's work ahead: while it waits for
	 * the worker, which then has that much less to do; not while the
	 * worker waits for it (a CSV parse can be the slower half). */
	bool                     ahead_on;
	struct batch            *cur; /* being filled; the reader's own */
	/* The fields the input has (a reader leaves the others blank), so
	 * that a line copies only those; cols_gen counts the changes. */
	bool                     has_column[F__COUNT];
	unsigned char            cols[F__COUNT];
	size_t                   ncols;
	unsigned                 cols_gen;
	struct batch             all[NBATCHES];
};

/* Lines ahead of the one delivered that the sink hears of (line_ahead's
 * soon): far enough that a cache miss is over by then. */
#define SOON 6

static void
deliver(const struct input_sink *to, struct batch *b)
{
	const struct line_ahead *ahead = to->ahead;
	size_t i;

	if (!b->ahead_on)
		ahead = NULL;
	if (ahead != NULL && ahead->soon != NULL)
		for (i = 0; i < SOON && i < b->nlines; i++)
			ahead->soon(ahead->ctx, &b->lines[i]);
	for (i = 0; i < b->nev; i++) {
		const struct event *ev = &b->ev[i];

		switch (ev->kind) {
		case EV_LINE:
			if (ahead != NULL && ahead->soon != NULL &&
			    ev->at + SOON < b->nlines)
				ahead->soon(ahead->ctx,
				    &b->lines[ev->at + SOON]);
			to->on_line(to->ctx, &b->lines[ev->at]);
			break;
		case EV_REJECT:
			to->on_reject(to->ctx, &b->diags[ev->at]);
			break;
		case EV_ERROR:
			to->on_error(to->ctx, &b->diags[ev->at]);
			break;
		case EV_NOTE:
			to->on_note(to->ctx, &b->diags[ev->at]);
			break;
		}
	}
}

static void *
work(void *arg)
{
	pipeline *p = arg;
	struct batch *b;

	pthread_mutex_lock(&p->lock);
	for (;;) {
		while (p->queue == NULL && !p->stop)
			pthread_cond_wait(&p->filled, &p->lock);
		if (p->queue == NULL)
			break;
		b = p->queue;
		p->queue = b->next;
		if (p->queue == NULL)
			p->queue_tail = NULL;
		pthread_mutex_unlock(&p->lock);
		deliver(p->to, b);
		pthread_mutex_lock(&p->lock);
		b->next = p->spare;
		p->spare = b;
		p->delivered++;
		pthread_cond_broadcast(&p->emptied);
	}
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

/* ---- the reader's side -------------------------------------------- */

static void
submit(pipeline *p)
{
	struct batch *b = p->cur;

	if (b == NULL || b->nev == 0)
		return;
	p->cur = NULL;
	b->next = NULL;
	pthread_mutex_lock(&p->lock);
	if (p->queue_tail != NULL) {
		p->queue_tail->next = b;
	} else {
		p->queue = b;
		/* Nothing was queued: the worker may be waiting for us. */
		if (p->delivered == p->queued)
			p->ahead_on = false;
	}
	p->queue_tail = b;
	p->queued++;
	pthread_cond_signal(&p->filled);
	pthread_mutex_unlock(&p->lock);
}

/* The batch being filled, with room for one more event. */
static struct batch *
current(pipeline *p)
{
	struct batch *b = p->cur;

	if (b != NULL && b->nev < BATCH_EVENTS)
		return b;
	submit(p);
	pthread_mutex_lock(&p->lock);
	if (p->spare == NULL)
		p->ahead_on = p->ahead != NULL;
	while (p->spare == NULL)
		pthread_cond_wait(&p->emptied, &p->lock);
	b = p->spare;
	p->spare = b->next;
	pthread_mutex_unlock(&p->lock);
	b->nev = b->nlines = b->ndiags = b->nbytes = 0;
	b->ahead_on = p->ahead_on;
	p->cur = b;
	return b;
}

/*
 * The text of one line (of the fields the input has: a reader leaves the
 * others blank): a reader's fields usually lie in one record
 * buffer, so the span from the first to the last is copied at once and
 * the fields rebased into the copy.  Fields from elsewhere (a --set
 * default, a CSV field buffer) make the span long or scattered; then
 * each field is copied on its own.
 */
struct span {
	uintptr_t lo, hi; /* of the non-blank fields */
	size_t    need;   /* bytes to copy */
	bool      whole;  /* copy [lo, hi) at once */
};

static void
measure(const pipeline *p, const struct invoice_line *l, struct span *sp)
{
	uintptr_t lo = UINTPTR_MAX, hi = 0;
	size_t i, sum = 0;

	for (i = 0; i < p->ncols; i++) {
		uintptr_t a = (uintptr_t)l->field[p->cols[i]].p;
		size_t n = l->field[p->cols[i]].n;

		if (n == 0)
			continue;
		sum += n;
		if (a < lo)
			lo = a;
		if (a + n > hi)
			hi = a + n;
	}
	sp->lo = lo;
	sp->hi = hi;
	/* Separators between fields make the span a little longer than the
	 * fields; far longer means they are not one record. */
	sp->whole = sum > 0 && hi - lo <= 2 * sum + 256;
	sp->need = sum == 0 ? 0 : sp->whole ? (size_t)(hi - lo) : sum;
}

static void
copy_line(const pipeline *p, struct batch *b, size_t at,
    const struct invoice_line *src, const struct span *sp)
{
	struct invoice_line *dst = &b->lines[at];
	char *base = b->bytes + b->nbytes;
	size_t i, f;

	dst->file = src->file;
	dst->file_index = src->file_index;
	dst->row = src->row;
	dst->record = src->record;
	dst->format = src->format;
	if (b->cols_gen[at] != p->cols_gen) {
		for (f = 0; f < F__COUNT; f++) {
			dst->field[f].p = "";
			dst->field[f].n = 0;
		}
		b->cols_gen[at] = p->cols_gen;
	}
	if (sp->whole)
		memcpy(base, (const char *)sp->lo, sp->need);
	for (i = 0; i < p->ncols; i++) {
		struct text t = src->field[f = p->cols[i]];

		if (t.n == 0) {
			dst->field[f].p = "";
		} else if (sp->whole) {
			dst->field[f].p = base + ((uintptr_t)t.p - sp->lo);
		} else {
			memcpy(b->bytes + b->nbytes, t.p, t.n);
			dst->field[f].p = b->bytes + b->nbytes;
			b->nbytes += t.n;
		}
		dst->field[f].n = t.n;
	}
	if (sp->whole)
		b->nbytes += sp->need;
	memcpy(dst->has_column, src->has_column, sizeof(dst->has_column));
	dst->type = src->type;
	dst->tk_class = src->tk_class;
	memcpy(dst->num, src->num, sizeof(dst->num));
	dst->num_set = src->num_set;
	dst->date = src->date;
	dst->invoice_date = src->invoice_date;
	dst->billing_start = src->billing_start;
	dst->billing_end = src->billing_end;
	dst->nlints = src->nlints;
	if (src->nlints > 0)
		memcpy(dst->lints, src->lints,
		    src->nlints * sizeof(src->lints[0]));
}

static void
queue_line(void *ctx, struct invoice_line *l)
{
	pipeline *p = ctx;
	struct batch *b = current(p);
	struct span sp;
	size_t f;

	if (memcmp(l->has_column, p->has_column, sizeof(p->has_column)) != 0) {
		memcpy(p->has_column, l->has_column, sizeof(p->has_column));
		p->ncols = 0;
		for (f = 0; f < F__COUNT; f++)
			if (l->has_column[f])
				p->cols[p->ncols++] = (unsigned char)f;
		p->cols_gen++;
	}
	measure(p, l, &sp);
	if (b->nbytes + sp.need > b->bytes_cap && b->nev > 0) {
		submit(p);
		b = current(p);
	}
	if (sp.need > b->bytes_cap) {
		/* The batch holds no text yet: nothing points into it. */
		free(b->bytes);
		b->bytes = xmalloc(sp.need);
		b->bytes_cap = sp.need;
	}
	copy_line(p, b, b->nlines, l, &sp);
	if (b->ahead_on) {
		struct invoice_line *dst = &b->lines[b->nlines];

		dst->ahead = b->ahead + b->nlines * p->ahead_size;
		p->ahead->run(p->ahead->ctx, dst, dst->ahead);
	} else {
		b->lines[b->nlines].ahead = NULL;
	}
	b->ev[b->nev].kind = EV_LINE;
	b->ev[b->nev].at = b->nlines++;
	b->nev++;
}

static void
queue_diag(pipeline *p, enum event_kind kind, const struct diag *d)
{
	struct batch *b = current(p);

	xgrow(&b->diags, &b->diags_cap, b->ndiags + 1, sizeof(*b->diags));
	b->diags[b->ndiags] = *d;
	b->ev[b->nev].kind = kind;
	b->ev[b->nev].at = b->ndiags++;
	b->nev++;
}

static void
queue_reject(void *ctx, const struct diag *d)
{
	queue_diag(ctx, EV_REJECT, d);
}

static void
queue_error(void *ctx, const struct diag *d)
{
	queue_diag(ctx, EV_ERROR, d);
}

static void
queue_note(void *ctx, const struct diag *d)
{
	queue_diag(ctx, EV_NOTE, d);
}

/* ---- the pipeline ------------------------------------------------- */

static void
free_batch(const pipeline *p, struct batch *b)
{
	size_t i;

	if (p->ahead != NULL && p->ahead->fini != NULL)
		for (i = 0; i < BATCH_EVENTS; i++)
			p->ahead->fini(p->ahead->ctx,
			    b->ahead + i * p->ahead_size);
	free(b->ahead);
	free(b->lines);
	free(b->cols_gen);
	free(b->diags);
	free(b->bytes);
}

pipeline *
pipeline_new(const struct input_sink *to)
{
	pipeline *p = xcalloc(1, sizeof(*p));
	size_t i;

	p->to = to;
	p->ahead = to->ahead;
	p->ahead_on = p->ahead != NULL;
	if (p->ahead != NULL)
		p->ahead_size = (p->ahead->size + 63) & ~(size_t)63;
	p->cols_gen = 1; /* the batches' lines start at 0: cleared on use */
	p->sink.ctx = p;
	p->sink.on_line = queue_line;
	p->sink.on_reject = queue_reject;
	p->sink.on_error = queue_error;
	p->sink.on_note = queue_note;
	for (i = 0; i < NBATCHES; i++) {
		struct batch *b = &p->all[i];

		b->lines = xcalloc(BATCH_EVENTS, sizeof(*b->lines));
		b->cols_gen = xcalloc(BATCH_EVENTS, sizeof(*b->cols_gen));
		if (p->ahead != NULL)
			b->ahead = xcalloc(BATCH_EVENTS, p->ahead_size);
		b->bytes = xmalloc(BATCH_BYTES);
		b->bytes_cap = BATCH_BYTES;
		b->next = p->spare;
		p->spare = b;
	}
	if (pthread_mutex_init(&p->lock, NULL) != 0)
		goto no_lock;
	if (pthread_cond_init(&p->filled, NULL) != 0)
		goto no_filled;
	if (pthread_cond_init(&p->emptied, NULL) != 0)
		goto no_emptied;
	if (pthread_create(&p->worker, NULL, work, p) != 0)
		goto no_thread;
	return p;

no_thread:
	pthread_cond_destroy(&p->emptied);
no_emptied:
	pthread_cond_destroy(&p->filled);
no_filled:
	pthread_mutex_destroy(&p->lock);
no_lock:
	for (i = 0; i < NBATCHES; i++)
		free_batch(p, &p->all[i]);
	free(p);
	return NULL;
}

const struct input_sink *
pipeline_sink(pipeline *p)
{
	return &p->sink;
}

void
pipeline_flush(pipeline *p)
{
	submit(p);
}

void
pipeline_wait(pipeline *p)
{
	submit(p);
	pthread_mutex_lock(&p->lock);
	while (p->delivered != p->queued)
		pthread_cond_wait(&p->emptied, &p->lock);
	pthread_mutex_unlock(&p->lock);
}

void
pipeline_free(pipeline *p)
{
	size_t i;

	if (p == NULL)
		return;
	pipeline_wait(p);
	pthread_mutex_lock(&p->lock);
	p->stop = true;
	pthread_cond_signal(&p->filled);
	pthread_mutex_unlock(&p->lock);
	pthread_join(p->worker, NULL);
	pthread_cond_destroy(&p->emptied);
	pthread_cond_destroy(&p->filled);
	pthread_mutex_destroy(&p->lock);
	for (i = 0; i < NBATCHES; i++)
		free_batch(p, &p->all[i]);
	free(p);
}
