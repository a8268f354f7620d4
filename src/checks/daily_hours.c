/* daily_hours.c - a timekeeper's hours on one day, across every invoice and
 * input of a firm, above a maximum. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "checks.h"
#include "date.h"
#include "decimal.h"
#include "group.h"
#include "history.h"
#include "keymap.h"
#include "xalloc.h"

enum { P_MAX };

static const struct param_spec params[] = {
	{"max", PARAM_AMOUNT, "10", "most hours a timekeeper may bill on one "
	    "day, across all invoices of the firm", NULL},
};

/* Rows a message lists; a longer day ends its list with "...". */
#define DAY_ROWS 8

/* One timekeeper-day: 32 bytes, plus 44 for a day of three lines or more
 * (its rows past the first two).  The days of one date are a keymap of
 * their own, keyed by the firm's number and the timekeeper id (11 bytes
 * or less, inline): with the keymap's 24-byte header and 8-byte slot, a
 * day costs 67 to 77 bytes (for 2 lines or fewer; up to twice that for
 * the moment its keymap's arrays double), however many lines make it,
 * and a date 8 bytes here.  The lines of an invoice span a month, so they
 * find their days in a few small maps that stay in the cache, where one
 * map of the whole run's days cost a miss to memory a line. */
struct day {
	int64_t  hours;     /* units of the day's fees, DEC_SCALE */
	uint32_t nrows;     /* lines of the day, counted past DAY_ROWS */
	uint32_t hist;      /* earlier runs' hours of the day (pool) */
	uint32_t rows[2];   /* the first rows of the day; 0 = too big */
	uint16_t files[2];  /* and their inputs */
	uint32_t more;      /* rows 3 to DAY_ROWS: state.more[more - 1] */
	bool     flagged;   /* the day's one finding is made */
};

#define DAY_MORE (DAY_ROWS - 2)

struct more_rows {
	uint32_t rows[DAY_MORE];
	uint16_t files[DAY_MORE];
};

struct state {
	struct group_dates by_date; /* keymap * by date: firm|timekeeper ->
	                             * struct day */
	struct group_ids   firms;  /* firm id -> number, for keys */
	keymap            *tks;    /* firm|timekeeper -> uint32_t, long ids */
	struct more_rows  *more;
	size_t             nmore, more_cap;
	struct group_files files;
	struct group_pool  earlier; /* history texts */
};

static void *
state_new(const struct rule *r)
{
	struct state *s = xcalloc(1, sizeof(*s));

	(void)r;
	s->tks = keymap_new(sizeof(uint32_t));
	return s;
}

static void
state_free(void *p)
{
	struct state *s = p;
	size_t i;

	for (i = 0; i < s->by_date.n; i++)
		keymap_free(((keymap **)(void *)s->by_date.v)[i]);
	if (s->by_date.none != NULL)
		keymap_free(*(keymap **)(void *)s->by_date.none);
	group_dates_fini(&s->by_date);
	keymap_free(s->tks);
	group_ids_fini(&s->firms);
	free(s->more);
	group_files_fini(&s->files);
	group_pool_fini(&s->earlier);
	free(s);
}

/* Row i of day d (i < DAY_ROWS, i < d->nrows) and its input. */
static uint32_t
day_row(const struct state *s, const struct day *d, uint32_t i,
    uint16_t *file)
{
	if (i < 2) {
		*file = d->files[i];
		return d->rows[i];
	}
	*file = s->more[d->more - 1].files[i - 2];
	return s->more[d->more - 1].rows[i - 2];
}

static void
add_row(struct state *s, struct day *d, const struct invoice_line *l)
{
	uint32_t row = l->row <= UINT32_MAX ? (uint32_t)l->row : 0;
	uint16_t file = l->file_index <= UINT16_MAX ?
	    (uint16_t)l->file_index : UINT16_MAX;

	if (d->nrows < 2) {
		d->rows[d->nrows] = row;
		d->files[d->nrows] = file;
	} else if (d->nrows < DAY_ROWS) {
		if (d->more == 0) {
			xgrow(&s->more, &s->more_cap, s->nmore + 1,
			    sizeof(*s->more));
			d->more = (uint32_t)++s->nmore;
		}
		s->more[d->more - 1].rows[d->nrows - 2] = row;
		s->more[d->more - 1].files[d->nrows - 2] = file;
	}
	if (d->nrows < UINT32_MAX)
		d->nrows++;
}

/* "12, 13", or "a.txt:12, b.txt:3" when the day spans inputs, the line
 * at hand last. */
static void
list_rows(struct group_buf *b, const struct state *s, const struct day *d,
    const struct invoice_line *l)
{
	uint32_t kept = d->nrows < DAY_ROWS ? d->nrows : DAY_ROWS, i, row;
	uint16_t file;
	bool spans = false;

	for (i = 0; i < kept; i++) {
		day_row(s, d, i, &file);
		if (file != l->file_index)
			spans = true;
	}
	for (i = 0; i < kept; i++) {
		const char *name;

		row = day_row(s, d, i, &file);
		name = group_files_name(&s->files, file);
		group_buf_add(b, "%s", i > 0 ? ", " : "");
		if (spans)
			group_buf_add(b, "%.*s:", group_clip(name,
			    strlen(name), GROUP_FILE_MAX), name);
		if (row == 0)
			group_buf_add(b, "?");
		else
			group_buf_add(b, "%lu", (unsigned long)row);
	}
	if (d->nrows <= DAY_ROWS)
		return;
	if (d->nrows > DAY_ROWS + 1)
		group_buf_add(b, ", ...");
	if (spans) {
		const char *name = group_files_name(&s->files, l->file_index);

		group_buf_add(b, ", %.*s:%lu", group_clip(name, strlen(name),
		    GROUP_FILE_MAX), name, l->row);
	} else {
		group_buf_add(b, ", %lu", l->row);
	}
}

/* A day new to the run starts with the hours earlier runs recorded for
 * it (--history). */
static void
earlier_run(struct check_ctx *cx, struct state *s, struct day *d,
    const struct invoice_line *l)
{
	const struct history *h = check_history(cx);
	struct group_buf b;
	struct history_ref ref;
	unsigned long n;
	int64_t hours;
	char a[32], amount[40];

	if (h == NULL)
		return;
	b.s[0] = '\0';
	b.n = 0;
	hours = history_day_hours(h, l->field[F_LAW_FIRM_ID],
	    l->field[F_TIMEKEEPER_ID], l->date, &n, &ref);
	if (n == 0)
		return;
	d->hours = hours;
	snprintf(amount, sizeof(amount), "%s h", dec_format_trim(a, hours, 1));
	group_buf_earlier(&b, amount, n, "first", &ref);
	d->hist = group_pool_add(&s->earlier, b.s);
}

/* The days of l's date. */
static keymap *
days_of(struct state *s, const struct invoice_line *l)
{
	keymap **m = group_dates_at(&s->by_date, sizeof(*m), l->date);

	if (*m == NULL)
		*m = keymap_new(sizeof(struct day));
	return *m;
}

/* The key of l's day in its date's map: the firm's number, then the
 * timekeeper id when it is 7 bytes or less (a key of 4 to 11 bytes),
 * else its number and 4 bytes of 0xff (12 bytes); so a key always lives
 * in its keymap entry.  Returns its length.  The ids fit 512 bytes
 * (on_line). */
static size_t
day_key(struct state *s, unsigned char key[12], const struct invoice_line *l)
{
	struct text tk = l->field[F_TIMEKEEPER_ID];
	uint32_t firm = group_ids_get(&s->firms, l->field[F_LAW_FIRM_ID]);
	unsigned char tkey[4 + 512];
	uint32_t *num;
	bool created;

	memcpy(key, &firm, 4);
	if (tk.n <= 7) {
		memcpy(key + 4, tk.p, tk.n);
		return 4 + tk.n;
	}
	memcpy(tkey, &firm, 4);
	memcpy(tkey + 4, tk.p, tk.n);
	num = keymap_put(s->tks, tkey, 4 + tk.n, &created);
	if (created)
		*num = (uint32_t)(keymap_count(s->tks) - 1);
	memcpy(key + 4, num, 4);
	memset(key + 8, 0xff, 4);
	return 12;
}

/* Line l takes day d over the max. */
static void
flag(struct check_ctx *cx, const struct rule *r, struct state *s,
    struct day *d, const struct invoice_line *l, int64_t max)
{
	struct group_buf rows = {{0}, 0};
	char a[32], b[32], dbuf[11];

	d->flagged = true;
	list_rows(&rows, s, d, l);
	check_emit_line(cx, r, l, group_excess_risk(l, d->hours - max),
	    "billed %s h on %s, max %s h; rows %s%s",
	    dec_format_trim(a, d->hours, 1), date_format(dbuf, l->date),
	    dec_format_trim(b, max, 1), rows.s,
	    group_pool_get(&s->earlier, d->hist));
}

static void
on_line(struct check_ctx *cx, const struct rule *r,
    const struct invoice_line *l)
{
	struct state *s;
	int64_t max;
	unsigned char key[12];
	struct day *d;
	size_t klen;
	bool created;

	if (l->type != LINE_FEE || !line_has_num(l, N_UNITS))
		return;
	if (l->field[F_TIMEKEEPER_ID].n == 0) {
		check_note(cx, r, "fees without a timekeeper id are not "
		    "counted in any day");
		return;
	}
	/* As long as ids were keyed by their text, length-prefixed, in 512
	 * bytes. */
	if (l->field[F_LAW_FIRM_ID].n + l->field[F_TIMEKEEPER_ID].n + 16 >
	    512) {
		check_note(cx, r, "firm or timekeeper ids too long to key a "
		    "day");
		return;
	}
	s = check_state(cx);
	group_files_keep(&s->files, l->file_index, l->file);
	klen = day_key(s, key, l);
	d = keymap_put(days_of(s, l), key, klen, &created);
	if (created)
		earlier_run(cx, s, d, l);
	add_row(s, d, l);
	if (dec_add(&d->hours, l->num[N_UNITS]) < 0)
		d->hours = l->num[N_UNITS] > 0 ? INT64_MAX : INT64_MIN;
	/* One finding a day, on the line that takes it over: the reviewer
	 * cuts the day, not each later entry. */
	if (d->flagged || l->num[N_UNITS] <= 0)
		return;
	max = rule_param(r, P_MAX)->u.amount;
	if (d->hours > max)
		flag(cx, r, s, d, l, max);
}

static const enum field_id needs[] = {
	F_TIMEKEEPER_ID, F_LINE_ITEM_NUMBER_OF_UNITS,
};

const struct check check_daily_hours = {
	.name = "daily_hours",
	.summary = "a timekeeper's hours on one day, across all invoices and "
		   "inputs of a firm, above the max",
	.params = params,
	.nparams = sizeof(params) / sizeof(params[0]),
	.needs = needs,
	.nneeds = sizeof(needs) / sizeof(needs[0]),
	.state_new = state_new,
	.state_free = state_free,
	.on_line = on_line,
};
