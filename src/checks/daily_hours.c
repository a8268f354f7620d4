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

/* One timekeeper-day: 72 bytes.  With its key (firm, timekeeper and day,
 * length-prefixed: 12 bytes plus the two ids, about 30 in all), the
 * keymap's entry (24 bytes) and slot (4 to 8), a day costs about 140
 * bytes, however many lines make it. */
struct day {
	int64_t  hours;            /* units of the day's fees, DEC_SCALE */
	uint32_t rows[DAY_ROWS];   /* the first rows of the day; 0 = too big */
	uint16_t files[DAY_ROWS];  /* and their inputs */
	uint32_t nrows;            /* lines of the day, counted past DAY_ROWS */
	uint32_t hist;             /* earlier runs' hours of the day (pool) */
	bool     flagged;          /* the day's one finding is made */
};

struct state {
	keymap            *days;   /* firm|timekeeper|day -> struct day */
	struct group_files files;
	struct group_pool  earlier; /* history texts */
};

static void *
state_new(const struct rule *r)
{
	struct state *s = xcalloc(1, sizeof(*s));

	(void)r;
	s->days = keymap_new(sizeof(struct day));
	return s;
}

static void
state_free(void *p)
{
	struct state *s = p;

	keymap_free(s->days);
	group_files_fini(&s->files);
	group_pool_fini(&s->earlier);
	free(s);
}

static void
add_row(struct day *d, const struct invoice_line *l)
{
	if (d->nrows < DAY_ROWS) {
		d->rows[d->nrows] = l->row <= UINT32_MAX ? (uint32_t)l->row : 0;
		d->files[d->nrows] = l->file_index <= UINT16_MAX ?
		    (uint16_t)l->file_index : UINT16_MAX;
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
	uint32_t kept = d->nrows < DAY_ROWS ? d->nrows : DAY_ROWS, i;
	bool spans = false;

	for (i = 0; i < kept; i++)
		if (d->files[i] != l->file_index)
			spans = true;
	for (i = 0; i < kept; i++) {
		const char *name = group_files_name(&s->files, d->files[i]);

		group_buf_add(b, "%s", i > 0 ? ", " : "");
		if (spans)
			group_buf_add(b, "%.*s:", group_clip(name,
			    strlen(name), GROUP_FILE_MAX), name);
		if (d->rows[i] == 0)
			group_buf_add(b, "?");
		else
			group_buf_add(b, "%lu", (unsigned long)d->rows[i]);
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
	struct group_buf b = {{0}, 0};
	struct history_ref ref;
	unsigned long n;
	int64_t hours;
	char a[32], amount[40];

	if (h == NULL)
		return;
	hours = history_day_hours(h, l->field[F_LAW_FIRM_ID],
	    l->field[F_TIMEKEEPER_ID], l->date, &n, &ref);
	if (n == 0)
		return;
	d->hours = hours;
	snprintf(amount, sizeof(amount), "%s h", dec_format_trim(a, hours, 1));
	group_buf_earlier(&b, amount, n, "first", &ref);
	d->hist = group_pool_add(&s->earlier, b.s);
}

static void
on_line(struct check_ctx *cx, const struct rule *r,
    const struct invoice_line *l)
{
	struct state *s = check_state(cx);
	int64_t max = rule_param(r, P_MAX)->u.amount;
	struct text firm = l->field[F_LAW_FIRM_ID];
	struct text tk = l->field[F_TIMEKEEPER_ID];
	int32_t date = l->date;
	const void *parts[3] = {firm.p, tk.p, &date};
	size_t lens[3] = {firm.n, tk.n, sizeof(date)}, klen;
	struct group_buf rows = {{0}, 0};
	struct day *d;
	char key[512], a[32], b[32], dbuf[11];
	bool created;

	if (l->type != LINE_FEE || !line_has_num(l, N_UNITS))
		return;
	if (tk.n == 0) {
		check_note(cx, r, "fees without a timekeeper id are not "
		    "counted in any day");
		return;
	}
	klen = keymap_key(key, sizeof(key), parts, lens, 3);
	if (klen == 0) {
		check_note(cx, r, "firm or timekeeper ids too long to key a "
		    "day");
		return;
	}
	group_files_keep(&s->files, l->file_index, l->file);
	d = keymap_put(s->days, key, klen, &created);
	if (created)
		earlier_run(cx, s, d, l);
	add_row(d, l);
	if (dec_add(&d->hours, l->num[N_UNITS]) < 0)
		d->hours = l->num[N_UNITS] > 0 ? INT64_MAX : INT64_MIN;
	/* One finding a day, on the line that takes it over: the reviewer
	 * cuts the day, not each later entry. */
	if (d->flagged || d->hours <= max || l->num[N_UNITS] <= 0)
		return;
	d->flagged = true;
	list_rows(&rows, s, d, l);
	check_emit_line(cx, r, l, group_excess_risk(l, d->hours - max),
	    "billed %s h on %s, max %s h; rows %s%s",
	    dec_format_trim(a, d->hours, 1), date_format(dbuf, l->date),
	    dec_format_trim(b, max, 1), rows.s,
	    group_pool_get(&s->earlier, d->hist));
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
