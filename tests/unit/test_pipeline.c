/* test_pipeline.c - what goes into the pipeline comes out on the worker
 * thread, in order, with its text copied. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pipeline.h"

/* What the downstream sink saw, one line of text per event. */
struct seen {
	char  **ev;
	size_t  n, cap;
};

static void
add(struct seen *s, const char *text)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 64;
		s->ev = realloc(s->ev, s->cap * sizeof(*s->ev));
		assert_non_null(s->ev);
	}
	s->ev[s->n] = strdup(text);
	assert_non_null(s->ev[s->n]);
	s->n++;
}

static void
seen_free(struct seen *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		free(s->ev[i]);
	free(s->ev);
}

/* A line as text: row, record, type, its description and total. */
static void
got_line(void *ctx, struct invoice_line *l)
{
	char buf[2048];
	struct text d = l->field[F_LINE_ITEM_DESCRIPTION];

	snprintf(buf, sizeof(buf), "line %lu/%lu %d %.*s|%zu|%lld|%u|%s",
	    l->row, l->record, (int)l->type, (int)(d.n > 64 ? 64 : d.n), d.p,
	    d.n, (long long)l->num[N_TOTAL], l->nlints,
	    l->nlints ? l->lints[l->nlints - 1].msg : "");
	add(ctx, buf);
}

static void
got_diag(void *ctx, const char *what, const struct diag *d)
{
	char buf[700];

	snprintf(buf, sizeof(buf), "%s %lu:%lu %s", what, d->pos.line,
	    d->pos.col, d->msg);
	add(ctx, buf);
}

static void
got_reject(void *ctx, const struct diag *d)
{
	got_diag(ctx, "reject", d);
}

static void
got_error(void *ctx, const struct diag *d)
{
	got_diag(ctx, "error", d);
}

static void
got_note(void *ctx, const struct diag *d)
{
	got_diag(ctx, "note", d);
}

static void
pause_us(unsigned us)
{
	struct timespec ts = {0, (long)us * 1000};

	if (us > 0)
		nanosleep(&ts, NULL);
}

/* Microseconds feed waits before each line: a slow reader. */
static unsigned feed_pause;

/* Feeds n events (every seventh a diagnostic) into sink from a buffer
 * that is overwritten after each call, as a reader's is. */
static void
feed(const struct input_sink *sink, size_t n, size_t big_every)
{
	struct invoice_line *l = calloc(1, sizeof(*l));
	struct diag d;
	size_t i, len;
	char *buf = malloc(300000);

	assert_non_null(l);
	assert_non_null(buf);
	l->has_column[F_LINE_ITEM_DESCRIPTION] = true;
	l->has_column[F_LAW_FIRM_ID] = true;
	for (i = 0; i < n; i++) {
		if (i % 7 == 3) {
			memset(&d, 0, sizeof(d));
			d.pos.line = i;
			d.pos.col = i % 5;
			snprintf(d.msg, sizeof(d.msg), "problem %zu", i);
			if (i % 3 == 0)
				sink->on_reject(sink->ctx, &d);
			else if (i % 3 == 1)
				sink->on_note(sink->ctx, &d);
			else
				sink->on_error(sink->ctx, &d);
			continue;
		}
		len = big_every && i % big_every == 0 ? 250000 :
		    (size_t)snprintf(buf, 64, "narrative %zu", i);
		if (len == 250000)
			memset(buf, 'a' + (int)(i % 26), len);
		l->row = i + 1;
		l->record = i;
		l->type = (enum line_type)(i % 4);
		l->field[F_LINE_ITEM_DESCRIPTION].p = buf;
		l->field[F_LINE_ITEM_DESCRIPTION].n = len;
		l->field[F_LAW_FIRM_ID].p = "F1";
		l->field[F_LAW_FIRM_ID].n = 2;
		l->num[N_TOTAL] = (int64_t)i * 10000;
		l->nlints = (unsigned)(i % 3);
		if (l->nlints)
			snprintf(l->lints[l->nlints - 1].msg,
			    sizeof(l->lints[0].msg), "lint %zu", i);
		pause_us(feed_pause);
		sink->on_line(sink->ctx, l);
		/* The reader reuses its buffer at once. */
		memset(buf, '#', len);
	}
	free(buf);
	free(l);
}

static void
run_both(size_t n, size_t big_every)
{
	struct seen direct = {0}, piped = {0};
	struct input_sink to_direct = {&direct, got_line, got_reject,
		got_error, got_note, NULL};
	struct input_sink to_piped = {&piped, got_line, got_reject,
		got_error, got_note, NULL};
	pipeline *p = pipeline_new(&to_piped);
	size_t i;

	assert_non_null(p);
	feed(&to_direct, n, big_every);
	feed(pipeline_sink(p), n, big_every);
	pipeline_wait(p);
	assert_int_equal(piped.n, direct.n);
	for (i = 0; i < direct.n; i++)
		assert_string_equal(piped.ev[i], direct.ev[i]);
	pipeline_free(p);
	seen_free(&direct);
	seen_free(&piped);
}

/* Many batches' worth: the order and the text survive the hand-over. */
static void
pipeline__many_events__same_as_direct(void **state)
{
	(void)state;
	run_both(5000, 0);
}

/* Lines larger than a batch's text buffer, between small ones. */
static void
pipeline__huge_lines__same_as_direct(void **state)
{
	(void)state;
	run_both(300, 17);
}

/* Nothing delivered: waiting and freeing return at once. */
static void
pipeline__empty__wait_returns(void **state)
{
	struct seen s = {0};
	struct input_sink to = {&s, got_line, got_reject, got_error,
		got_note, NULL};
	pipeline *p = pipeline_new(&to);

	(void)state;
	assert_non_null(p);
	pipeline_wait(p);
	pipeline_wait(p);
	assert_int_equal(s.n, 0);
	pipeline_free(p);
	pipeline_free(NULL);
}

/* After pipeline_wait everything so far has arrived, and more may
 * follow. */
static void
pipeline__wait__delivers_all_so_far(void **state)
{
	struct seen s = {0};
	struct input_sink to = {&s, got_line, got_reject, got_error,
		got_note, NULL};
	pipeline *p = pipeline_new(&to);

	(void)state;
	assert_non_null(p);
	feed(pipeline_sink(p), 10, 0);
	pipeline_wait(p);
	assert_int_equal(s.n, 10);
	assert_string_equal(s.ev[0], "line 1/0 0 narrative 0|11|0|0|");
	feed(pipeline_sink(p), 4, 0);
	pipeline_wait(p);
	assert_int_equal(s.n, 14);
	pipeline_free(p);
	seen_free(&s);
}

/* A firm id seen by each line; "-" when blank. */
static void
got_firm(void *ctx, struct invoice_line *l)
{
	char buf[64];

	snprintf(buf, sizeof(buf), "%.*s", (int)l->field[F_LAW_FIRM_ID].n,
	    l->field[F_LAW_FIRM_ID].n ? l->field[F_LAW_FIRM_ID].p : "-");
	add(ctx, buf[0] ? buf : "-");
}

/* An input without a column that the one before had: its lines show the
 * field blank, not the earlier input's text left in a reused slot. */
static void
pipeline__fewer_columns__fields_blank(void **state)
{
	struct seen s = {0};
	struct input_sink to = {&s, got_firm, got_reject, got_error,
		got_note, NULL};
	pipeline *p = pipeline_new(&to);
	struct invoice_line *l = calloc(1, sizeof(*l));
	size_t i;

	(void)state;
	assert_non_null(p);
	assert_non_null(l);
	l->has_column[F_LAW_FIRM_ID] = true;
	l->field[F_LAW_FIRM_ID].p = "F9";
	l->field[F_LAW_FIRM_ID].n = 2;
	for (i = 0; i < 2000; i++)
		pipeline_sink(p)->on_line(pipeline_sink(p)->ctx, l);
	pipeline_wait(p);
	l->has_column[F_LAW_FIRM_ID] = false;
	l->has_column[F_TIMEKEEPER_ID] = true;
	l->field[F_LAW_FIRM_ID].n = 0;
	for (i = 0; i < 2000; i++)
		pipeline_sink(p)->on_line(pipeline_sink(p)->ctx, l);
	pipeline_wait(p);
	assert_int_equal(s.n, 4000);
	assert_string_equal(s.ev[1999], "F9");
	for (i = 2000; i < 4000; i++)
		assert_string_equal(s.ev[i], "-");
	pipeline_free(p);
	free(l);
	seen_free(&s);
}

/* The sink's work ahead: a digest of the line's text, and the thread
 * that made it, kept in a block that fini marks. */
struct digest {
	uint64_t  sum;
	size_t    len;
	pthread_t thread;
	char     *kept; /* something to free, as a scan's buffers */
};

struct ahead_seen {
	struct seen diags; /* first: got_diag's */
	pthread_t   feeder;
	size_t    lines, bad, on_feeder, finis, not_ahead;
	size_t    soon, soon_bad;
	unsigned  line_pause; /* microseconds a line takes: a slow worker */
	unsigned long soon_last; /* the record soon heard of last */
};

static uint64_t
text_sum(struct text t)
{
	uint64_t h = 1469598103934665603u;
	size_t i;

	for (i = 0; i < t.n; i++)
		h = (h ^ (unsigned char)t.p[i]) * 1099511628211u;
	return h;
}

static void
digest_run(const void *ctx, const struct invoice_line *l, void *block)
{
	struct digest *d = block;

	(void)ctx;
	d->sum = text_sum(l->field[F_LINE_ITEM_DESCRIPTION]);
	d->len = l->field[F_LINE_ITEM_DESCRIPTION].n;
	d->thread = pthread_self();
	if (d->kept == NULL)
		d->kept = malloc(16);
}

static void
digest_fini(const void *ctx, void *block)
{
	struct digest *d = block;
	struct ahead_seen *s = (struct ahead_seen *)(uintptr_t)ctx;

	if (d->kept != NULL)
		s->finis++;
	free(d->kept);
}

/* Told of a line before it comes, on the sink's thread, with its block
 * made. */
static void
digest_soon(const void *ctx, const struct invoice_line *l)
{
	struct ahead_seen *s = (struct ahead_seen *)(uintptr_t)ctx;
	const struct digest *d = l->ahead;

	s->soon++;
	if (d == NULL || d->sum != text_sum(l->field[F_LINE_ITEM_DESCRIPTION]) ||
	    pthread_equal(pthread_self(), s->feeder))
		s->soon_bad++;
	s->soon_last = l->record;
}

static void
digest_line(void *ctx, struct invoice_line *l)
{
	struct ahead_seen *s = ctx;
	const struct digest *d = l->ahead;

	s->lines++;
	pause_us(s->line_pause);
	if (d == NULL) {
		s->not_ahead++;
		return;
	}
	/* soon comes first, for a line of the same batch. */
	if (s->soon_last < l->record)
		s->soon_bad++;
	if (d->len != l->field[F_LINE_ITEM_DESCRIPTION].n ||
	    d->sum != text_sum(l->field[F_LINE_ITEM_DESCRIPTION]))
		s->bad++;
	else if (pthread_equal(d->thread, s->feeder))
		s->on_feeder++;
}

/* Runs 3000 events through a pipeline whose sink has work ahead, with a
 * slow reader or a slow sink. */
static void
run_ahead(struct ahead_seen *s, unsigned reader_pause, unsigned sink_pause)
{
	struct line_ahead ahead = {s, sizeof(struct digest), digest_run,
		digest_fini, digest_soon};
	struct input_sink to = {s, digest_line, got_reject, got_error,
		got_note, &ahead};
	pipeline *p;

	s->feeder = pthread_self();
	s->line_pause = sink_pause;
	feed_pause = reader_pause;
	p = pipeline_new(&to);
	assert_non_null(p);
	feed(pipeline_sink(p), 3000, 97);
	pipeline_wait(p);
	feed_pause = 0;
	/* Every seventh event of feed's is a diagnostic. */
	assert_int_equal(s->lines, 3000 - 3000 / 7 - (3000 % 7 > 3));
	assert_int_equal(s->diags.n, 3000 / 7 + (3000 % 7 > 3));
	pipeline_free(p);
	seen_free(&s->diags);
}

/* While the sink is the slower, the work ahead is done on the reader's
 * thread, before the line reaches the sink, into a block of its own that
 * the sink finds in line->ahead and hears of soon before; each block
 * used is finished when the pipeline ends. */
static void
pipeline__slow_sink__work_ahead_on_reader(void **state)
{
	struct ahead_seen s = {0};

	(void)state;
	run_ahead(&s, 0, 20);
	assert_int_equal(s.bad, 0);
	assert_int_equal(s.soon_bad, 0);
	assert_true(s.not_ahead <= s.lines / 4);
	assert_int_equal(s.on_feeder, s.lines - s.not_ahead);
	assert_true(s.soon >= (s.lines - s.not_ahead) / 2);
	assert_true(s.soon <= s.lines - s.not_ahead);
	assert_true(s.finis > 0);
	assert_true(s.finis <= s.lines);
}

/* While the reader is the slower, it leaves the work to the sink. */
static void
pipeline__slow_reader__work_left_to_sink(void **state)
{
	struct ahead_seen s = {0};

	(void)state;
	run_ahead(&s, 20, 0);
	assert_int_equal(s.bad, 0);
	assert_true(s.not_ahead >= s.lines * 3 / 4);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(pipeline__many_events__same_as_direct),
		cmocka_unit_test(pipeline__huge_lines__same_as_direct),
		cmocka_unit_test(pipeline__empty__wait_returns),
		cmocka_unit_test(pipeline__wait__delivers_all_so_far),
		cmocka_unit_test(pipeline__fewer_columns__fields_blank),
		cmocka_unit_test(pipeline__slow_sink__work_ahead_on_reader),
		cmocka_unit_test(pipeline__slow_reader__work_left_to_sink),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
