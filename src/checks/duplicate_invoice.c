/* duplicate_invoice.c - an invoice number a firm already submitted in an
 * earlier input: a resubmission, whole or changed. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "checks.h"
#include "decimal.h"
#include "group.h"
#include "history.h"
#include "keymap.h"
#include "xalloc.h"

/* The first submission of an invoice number: 24 bytes.  With its key
 * (firm and number, length-prefixed), the keymap's entry and slot, about
 * 80 bytes an invoice. */
struct first {
	uint64_t row;    /* the invoice's first line */
	int64_t  total;  /* what it asked for */
	uint32_t file;   /* file_index */
};

struct state {
	keymap            *invoices; /* firm|number -> struct first */
	struct group_files files;
};

static void *
state_new(const struct rule *r)
{
	struct state *s = xcalloc(1, sizeof(*s));

	(void)r;
	s->invoices = keymap_new(sizeof(struct first));
	return s;
}

static void
state_free(void *p)
{
	struct state *s = p;

	keymap_free(s->invoices);
	group_files_fini(&s->files);
	free(s);
}

/* What the firm asks to be paid, as the engine counts it; 0 when the sum
 * of its lines overflowed and there is no stated total. */
static int64_t
asked(const struct invoice *inv)
{
	if (inv->has_stated_total)
		return inv->stated_total;
	return inv->overflow ? 0 : inv->line_sum;
}

/* The first time a run sees an invoice number: an earlier run may have
 * recorded it (--history), with other content (the same content is this
 * very invoice, checked again). */
static void
earlier_run(struct check_ctx *cx, const struct rule *r,
    const struct invoice *inv, int64_t total)
{
	const struct history *h = check_history(cx);
	struct text firm = {inv->firm, strlen(inv->firm)};
	struct text num = {inv->number, strlen(inv->number)};
	struct history_ref ref;
	int64_t was = 0;
	char a[32];

	if (h == NULL || !history_find_invoice(h, firm, num, &ref, &was))
		return;
	check_emit_invoice(cx, r, inv, total > 0 ? total : 0,
	    "invoice %.*s was already submitted in %.*s (row %lu, total %s; "
	    "run %lld of %s)", group_clip(num.p, num.n, GROUP_ID_MAX), num.p,
	    group_clip(ref.file, strlen(ref.file), GROUP_FILE_MAX), ref.file,
	    ref.row, dec_format(a, was, 2, true), (long long)ref.run,
	    ref.run_date);
}

static void
on_invoice(struct check_ctx *cx, const struct rule *r,
    const struct invoice *inv)
{
	struct state *s = check_state(cx);
	const void *parts[2] = {inv->firm, inv->number};
	size_t lens[2] = {strlen(inv->firm), strlen(inv->number)}, klen;
	struct first *first;
	const char *file;
	int64_t total = asked(inv);
	char key[1024], a[32];
	bool created;

	if (lens[1] == 0)
		return;
	klen = keymap_key(key, sizeof(key), parts, lens, 2);
	if (klen == 0)
		return;
	first = keymap_put(s->invoices, key, klen, &created);
	if (created) {
		group_files_keep(&s->files, inv->file_index, inv->file);
		first->row = inv->first_row;
		first->total = total;
		first->file = inv->file_index;
		earlier_run(cx, r, inv, total);
		return;
	}
	/* An invoice is one file's lines of a number, so a number seen
	 * before was submitted in an earlier input. */
	file = group_files_name(&s->files, first->file);
	check_emit_invoice(cx, r, inv, total > 0 ? total : 0,
	    "invoice %.*s was already submitted in %.*s (row %llu, total %s)",
	    group_clip(inv->number, lens[1], GROUP_ID_MAX), inv->number,
	    group_clip(file, strlen(file), GROUP_FILE_MAX), file,
	    (unsigned long long)first->row,
	    dec_format(a, first->total, 2, true));
}

const struct check check_duplicate_invoice = {
	.name = "duplicate_invoice",
	.summary = "an invoice number seen again for the same firm in another "
		   "input (resubmission)",
	.state_new = state_new,
	.state_free = state_free,
	.on_invoice = on_invoice,
};
