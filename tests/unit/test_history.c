/* test_history.c - the history database: schema creation and migration,
 * refusing foreign and damaged files, idempotent recording, the lookups
 * the checks make, and the checks reading them through the engine. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "history.h"
#include "run_checks.h"

#define F1 "11-1111111"

static const char rules_hist[] =
    "billcheck: 1\n"
    "currency: USD\n"
    "firms:\n"
    "  - id: \"" F1 "\"\n"
    "    matters:\n"
    "      - {id: M1, budget: 1000.00, po: PO-1, po_amount: 1500.00}\n"
    "rules:\n"
    "  - {id: dupinv, check: duplicate_invoice, severity: error}\n"
    "  - {id: dup, check: duplicate, severity: error}\n"
    "  - {id: budget, check: budget, severity: error}\n"
    "  - {id: po, check: purchase_order, severity: error}\n"
    "  - {id: freeze, check: rate_change, severity: warning}\n"
    "  - {id: daily, check: daily_hours, severity: warning, max: 10}\n";

/* January: two fee lines, 600.00 on matter M1. */
static const char jan[] = LEDES_HEAD
    FEE(F1, "INV-1", "600", "1", "20260105", "1.0", "300", "300", "P1",
	"PARTNR", "Draft complaint")
    FEE(F1, "INV-1", "600", "2", "20260106", "6.0", "50", "300", "P2",
	"PARALG", "Organize exhibits");

/* January's invoice again, with its second line changed. */
static const char jan_changed[] = LEDES_HEAD
    FEE(F1, "INV-1", "650", "1", "20260105", "1.0", "300", "300", "P1",
	"PARTNR", "Draft complaint")
    FEE(F1, "INV-1", "650", "2", "20260106", "7.0", "50", "350", "P2",
	"PARALG", "Organize exhibits");

/* February: P1 at a higher rate, P2 on January 6 again, January's first
 * line once more; 900.00 more on M1. */
static const char feb[] = LEDES_HEAD
    FEE(F1, "INV-2", "900", "1", "20260203", "1.0", "350", "350", "P1",
	"PARTNR", "Revise complaint")
    FEE(F1, "INV-2", "900", "2", "20260106", "5.0", "50", "250", "P2",
	"PARALG", "Index exhibits")
    FEE(F1, "INV-2", "900", "3", "20260105", "1.0", "300", "300", "P1",
	"PARTNR", "Draft complaint");

struct fixture {
	char dir[64];
	char db[96];
};

static int
setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));
	const char *tmp = getenv("TMPDIR");

	if (fx == NULL)
		return -1;
	snprintf(fx->dir, sizeof(fx->dir), "%s/bchistXXXXXX",
	    tmp != NULL && strlen(tmp) < 40 ? tmp : "/tmp");
	if (mkdtemp(fx->dir) == NULL) {
		free(fx);
		return -1;
	}
	snprintf(fx->db, sizeof(fx->db), "%s/h.db", fx->dir);
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *fx = *state;
	struct dirent *de;
	char path[400];
	DIR *d = opendir(fx->dir);

	while (d != NULL && (de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", fx->dir, de->d_name);
		unlink(path);
	}
	if (d != NULL)
		closedir(d);
	rmdir(fx->dir);
	free(fx);
	return 0;
}

/* ---- helpers ---------------------------------------------------------- */

static void
write_file(const char *path, const void *p, size_t n)
{
	FILE *fp = fopen(path, "wb");

	assert_non_null(fp);
	assert_int_equal(fwrite(p, 1, n, fp), n);
	assert_int_equal(fclose(fp), 0);
}

/* The whole file, NUL-terminated; *n gets its length. */
static char *
read_file(const char *path, size_t *n)
{
	FILE *fp = fopen(path, "rb");
	char *buf;
	long len;

	assert_non_null(fp);
	assert_int_equal(fseek(fp, 0, SEEK_END), 0);
	len = ftell(fp);
	rewind(fp);
	buf = malloc((size_t)len + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)len, fp), (size_t)len);
	buf[len] = '\0';
	fclose(fp);
	*n = (size_t)len;
	return buf;
}

/* One integer from SQL run on the database directly. */
static long long
sql_int(const char *db, const char *sql)
{
	sqlite3 *c = NULL;
	sqlite3_stmt *s = NULL;
	long long v = -1;

	assert_int_equal(sqlite3_open_v2(db, &c, SQLITE_OPEN_READWRITE, NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(c, sql, -1, &s, NULL), SQLITE_OK);
	if (sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	sqlite3_close(c);
	return v;
}

static void
sql_exec(const char *db, const char *sql)
{
	sqlite3 *c = NULL;

	assert_int_equal(sqlite3_open_v2(db, &c, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_exec(c, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(c);
}

/* A run as main does it: pre-scan, begin, check, trend.  texts end with
 * NULL (at most 4); free with run_free then history_free. */
static void
hist_run(struct run *r, history *h, const char *const *texts)
{
	static const char *const names[] = {"a.txt", "b.txt", "c.txt", "d.txt"};
	static struct engine_opts eo;
	struct input_opts io;
	struct input_counts c;
	struct diag d;
	input_reader *ir;
	unsigned i;

	memset(r, 0, sizeof(*r));
	memset(&d, 0, sizeof(d));
	assert_int_equal(rules_load(&r->rs, "t.yaml", rules_hist,
	    strlen(rules_hist), stderr, &d), 0);
	memset(&io, 0, sizeof(io));
	io.date_form = DATE_AUTO;
	for (i = 0; i < 4 && texts[i] != NULL; i++) {
		history_scan_begin_file(h, names[i], i);
		ir = input_reader_new(names[i], i, &io, history_scan_sink(h));
		input_reader_feed(ir, texts[i], strlen(texts[i]));
		input_reader_finish(ir);
		input_reader_counts(ir, &c);
		history_scan_end_file(h, &c);
		input_reader_free(ir);
	}
	assert_int_equal(history_begin(h, &d), 0);
	memset(&eo, 0, sizeof(eo));
	eo.history = h;
	r->e = engine_new(r->rs, &eo);
	for (i = 0; i < 4 && texts[i] != NULL; i++) {
		engine_begin_file(r->e, names[i], i);
		ir = input_reader_new(names[i], i, &io, engine_sink(r->e));
		input_reader_feed(ir, texts[i], strlen(texts[i]));
		input_reader_finish(ir);
		input_reader_counts(ir, &c);
		engine_end_file(r->e, &c);
		input_reader_free(ir);
	}
	r->res = engine_finish(r->e);
	run_readers_init(r);
	r->res->version = "test";
	history_trend(h, r->res);
}

/* Opens the database, checks texts and records them (when `record`);
 * returns the stats. */
static struct history_stats
check_and_record(const char *db, const char *const *texts, bool record,
    struct run *out)
{
	struct history_record_opts ro = {1775001600, NULL}; /* 2026-04-01 */
	struct history_stats st;
	struct diag d;
	struct run r;
	history *h = NULL;

	memset(&st, 0, sizeof(st));
	assert_int_equal(history_open(&h, db, record ? 0 : HISTORY_READONLY,
	    &d), 0);
	hist_run(&r, h, texts);
	if (record)
		assert_int_equal(history_record(h, r.res, &ro, &st, &d), 0);
	if (out != NULL) {
		*out = r;
		out->e = NULL;
		engine_free(r.e);
	} else {
		run_free(&r);
	}
	history_free(h);
	return st;
}

/* ---- opening and migrating -------------------------------------------- */

static void
history_open__new_file__creates_schema_0600(void **state)
{
	struct fixture *fx = *state;
	struct diag d;
	struct stat st;
	history *h = NULL;

	assert_int_equal(history_open(&h, fx->db, 0, &d), 0);
	assert_non_null(h);
	history_free(h);
	assert_int_equal(stat(fx->db, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(sql_int(fx->db, "SELECT max(version) FROM "
	    "schema_version"), HISTORY_SCHEMA_VERSION);
	assert_int_equal(sql_int(fx->db, "PRAGMA application_id"),
	    HISTORY_APPLICATION_ID);
	assert_int_equal(sql_int(fx->db, "SELECT count(*) FROM sqlite_master "
	    "WHERE type = 'table' AND name IN ('runs', 'invoices', "
	    "'line_fps', 'matter_spend', 'tk_days', 'tk_rates', "
	    "'findings')"), 7);
	assert_int_equal(sql_int(fx->db, "SELECT count(*) FROM sqlite_master "
	    "WHERE type = 'index' AND name IN ('invoices_matter', "
	    "'findings_invoice')"), 2);
	assert_int_equal(sql_int(fx->db, "SELECT journal_mode = 'wal' FROM "
	    "pragma_journal_mode"), 1);
}

static void
history_open__empty_file__migrates_from_v0(void **state)
{
	struct fixture *fx = *state;
	struct diag d;
	history *h = NULL;

	write_file(fx->db, "", 0);
	assert_int_equal(history_open(&h, fx->db, 0, &d), 0);
	history_free(h);
	assert_int_equal(sql_int(fx->db, "SELECT max(version) FROM "
	    "schema_version"), 1);
}

static void
history_open__empty_sqlite__migrates_from_v0(void **state)
{
	struct fixture *fx = *state;
	struct diag d;
	history *h = NULL;

	/* An SQLite file with no schema at all (version 0). */
	sql_exec(fx->db, "PRAGMA user_version = 0; VACUUM");
	assert_int_equal(sql_int(fx->db, "SELECT count(*) FROM "
	    "sqlite_master"), 0);
	assert_int_equal(history_open(&h, fx->db, 0, &d), 0);
	history_free(h);
	assert_int_equal(sql_int(fx->db, "SELECT count(*) FROM "
	    "schema_version WHERE version = 1"), 1);
	/* Opening again migrates nothing more. */
	assert_int_equal(history_open(&h, fx->db, 0, &d), 0);
	history_free(h);
	assert_int_equal(sql_int(fx->db, "SELECT count(*) FROM "
	    "schema_version"), 1);
}

static void
history_open__text_file__refused_and_untouched(void **state)
{
	struct fixture *fx = *state;
	static const char text[] = "LEDES1998B[]\nnot a database\n";
	struct diag d;
	history *h = NULL;
	char *after;
	size_t n;

	write_file(fx->db, text, sizeof(text) - 1);
	assert_int_equal(history_open(&h, fx->db, 0, &d), -1);
	assert_null(h);
	assert_string_equal(d.msg, "not a billcheck history database (not "
	    "SQLite at all); it is left untouched");
	after = read_file(fx->db, &n);
	assert_int_equal(n, sizeof(text) - 1);
	assert_memory_equal(after, text, n);
	free(after);
}

static void
history_open__foreign_sqlite__refused_and_untouched(void **state)
{
	struct fixture *fx = *state;
	char *before, *after;
	size_t nb, na;
	struct diag d;
	history *h = NULL;

	sql_exec(fx->db, "CREATE TABLE notes (body TEXT);"
	    "INSERT INTO notes VALUES ('mine')");
	before = read_file(fx->db, &nb);
	assert_int_equal(history_open(&h, fx->db, 0, &d), -1);
	assert_null(h);
	assert_string_equal(d.msg, "an SQLite database of another program, "
	    "not a billcheck history; it is left untouched");
	after = read_file(fx->db, &na);
	assert_int_equal(na, nb);
	assert_memory_equal(after, before, na);
	free(before);
	free(after);
}

static void
history_open__damaged_file__refused(void **state)
{
	struct fixture *fx = *state;
	struct diag d;
	history *h = NULL;
	char *buf;
	size_t n;

	assert_int_equal(history_open(&h, fx->db, 0, &d), 0);
	history_free(h);
	/* Keep the magic, garble the rest of the header and page 1. */
	buf = read_file(fx->db, &n);
	assert_true(n > 200);
	memset(buf + 16, 0xAA, 184);
	write_file(fx->db, buf, n);
	assert_int_equal(history_open(&h, fx->db, 0, &d), -1);
	assert_null(h);
	assert_non_null(strstr(d.msg, "history database"));
	free(buf);
}

static void
history_open__newer_schema__refused(void **state)
{
	struct fixture *fx = *state;
	struct diag d;
	history *h = NULL;

	assert_int_equal(history_open(&h, fx->db, 0, &d), 0);
	history_free(h);
	sql_exec(fx->db, "INSERT INTO schema_version VALUES (7, 'later')");
	assert_int_equal(history_open(&h, fx->db, 0, &d), -1);
	assert_string_equal(d.msg, "the history database has schema version "
	    "7, newer than this billcheck knows (1); use a newer billcheck");
}

static void
history_open__readonly__never_creates_or_migrates(void **state)
{
	struct fixture *fx = *state;
	struct diag d;
	struct stat st;
	history *h = NULL;

	assert_int_equal(history_open(&h, fx->db, HISTORY_READONLY, &d), -1);
	assert_string_equal(d.msg, "no such history database (--no-record "
	    "does not create one)");
	assert_int_equal(stat(fx->db, &st), -1);
	write_file(fx->db, "", 0);
	assert_int_equal(history_open(&h, fx->db, HISTORY_READONLY, &d), -1);
	assert_string_equal(d.msg, "the history database has schema version "
	    "0; run once without --no-record to bring it to version 1");
	assert_int_equal(stat(fx->db, &st), 0);
	assert_int_equal(st.st_size, 0);
}

/* ---- recording -------------------------------------------------------- */

static void
history_record__same_files_twice__records_once(void **state)
{
	struct fixture *fx = *state;
	const char *texts[] = {jan, NULL};
	struct history_stats st;

	st = check_and_record(fx->db, texts, true, NULL);
	assert_int_equal(st.run, 1);
	assert_int_equal(st.recorded, 1);
	assert_int_equal(st.known, 0);
	assert_int_equal(sql_int(fx->db, "SELECT count(*) FROM invoices"), 1);
	assert_int_equal(sql_int(fx->db, "SELECT sum(spend) FROM "
	    "matter_spend"), 6000000);
	assert_int_equal(sql_int(fx->db, "SELECT count(*) FROM tk_days"), 2);
	assert_int_equal(sql_int(fx->db, "SELECT count(*) FROM tk_rates"), 2);
	assert_int_equal(sql_int(fx->db, "SELECT count(*) FROM line_fps"), 2);
	assert_int_equal(sql_int(fx->db, "SELECT recorded = "
	    "'2026-04-01T00:00:00Z' FROM runs"), 1);

	st = check_and_record(fx->db, texts, true, NULL);
	assert_int_equal(st.run, 0);
	assert_int_equal(st.recorded, 0);
	assert_int_equal(st.known, 1);
	assert_int_equal(sql_int(fx->db, "SELECT count(*) FROM runs"), 1);
	assert_int_equal(sql_int(fx->db, "SELECT count(*) FROM invoices"), 1);
	assert_int_equal(sql_int(fx->db, "SELECT count(*) FROM line_fps"), 2);
}

static void
history_record__same_files_again__same_findings(void **state)
{
	struct fixture *fx = *state;
	const char *first[] = {jan, NULL};
	const char *second[] = {jan, feb, NULL};
	struct run a, b;
	size_t i;

	check_and_record(fx->db, first, true, NULL);
	check_and_record(fx->db, second, true, &a);
	check_and_record(fx->db, second, true, &b);
	assert_true(a.res->nfindings > 0);
	assert_int_equal(a.res->nfindings, b.res->nfindings);
	for (i = 0; i < a.res->nfindings; i++) {
		const struct finding *fa = finding_at(&a, i);
		const struct finding *fb = finding_at(&b, i);

		assert_string_equal(fa->rule, fb->rule);
		assert_string_equal(fa->message, fb->message);
	}
	assert_int_equal(sql_int(fx->db, "SELECT count(*) FROM runs"), 2);
	run_free(&a);
	run_free(&b);
}

static void
history_record__changed_resubmission__recorded_and_flagged(void **state)
{
	struct fixture *fx = *state;
	const char *first[] = {jan, NULL};
	const char *later[] = {jan_changed, NULL};
	const struct finding *f;
	struct history_stats st;
	struct run r;

	check_and_record(fx->db, first, true, NULL);
	st = check_and_record(fx->db, later, true, &r);
	assert_int_equal(st.recorded, 1);
	f = finding_of(&r, "dupinv", 0);
	assert_non_null(f);
	assert_string_equal(f->message, "invoice INV-1 was already submitted "
	    "in a.txt (row 3, total 600.00; run 1 of 2026-04-01)");
	assert_int_equal(f->at_risk, 6500000);
	/* The unchanged line repeats the first version's. */
	f = finding_of(&r, "dup", 0);
	assert_non_null(f);
	assert_string_equal(f->message, "repeats row 3 of a.txt, invoice "
	    "INV-1, run 1 of 2026-04-01: same timekeeper, date, units, amount "
	    "and description");
	assert_null(finding_of(&r, "dup", 1));
	run_free(&r);
	assert_int_equal(sql_int(fx->db, "SELECT count(*) FROM invoices "
	    "WHERE number = 'INV-1'"), 2);
}

static void
history_record__no_record__leaves_database_alone(void **state)
{
	struct fixture *fx = *state;
	const char *first[] = {jan, NULL};
	const char *later[] = {feb, NULL};
	char *before, *after;
	size_t nb, na;
	struct run r;

	check_and_record(fx->db, first, true, NULL);
	before = read_file(fx->db, &nb);
	check_and_record(fx->db, later, false, &r);
	assert_non_null(finding_of(&r, "dup", 0));
	run_free(&r);
	after = read_file(fx->db, &na);
	assert_int_equal(na, nb);
	assert_memory_equal(after, before, na);
	free(before);
	free(after);
}

static void
history_record__readonly__refused(void **state)
{
	struct fixture *fx = *state;
	struct history_record_opts ro = {0, NULL};
	const char *texts[] = {jan, NULL};
	struct history_stats st;
	struct diag d;
	struct run r;
	history *h = NULL;

	assert_int_equal(history_open(&h, fx->db, 0, &d), 0);
	history_free(h);
	assert_int_equal(history_open(&h, fx->db, HISTORY_READONLY, &d), 0);
	hist_run(&r, h, texts);
	assert_int_equal(history_record(h, r.res, &ro, &st, &d), -1);
	run_free(&r);
	history_free(h);
	assert_int_equal(sql_int(fx->db, "SELECT count(*) FROM runs"), 0);
}

/* ---- lookups ---------------------------------------------------------- */

static struct text
t(const char *s)
{
	struct text x = {s, strlen(s)};

	return x;
}

static void
history_lookups__find_what_earlier_runs_recorded(void **state)
{
	struct fixture *fx = *state;
	const char *first[] = {jan, NULL};
	const char *later[] = {feb, NULL};
	struct history_ref ref;
	unsigned long n;
	int64_t total = 0, rate = 0;
	int32_t date = 0;
	struct diag d;
	struct run r;
	history *h = NULL;

	check_and_record(fx->db, first, true, NULL);
	assert_int_equal(history_open(&h, fx->db, HISTORY_READONLY, &d), 0);
	hist_run(&r, h, later);

	assert_true(history_find_invoice(h, t(F1), t("INV-1"), &ref, &total));
	assert_int_equal(total, 6000000);
	assert_int_equal(ref.run, 1);
	assert_string_equal(ref.run_date, "2026-04-01");
	assert_string_equal(ref.file, "a.txt");
	assert_string_equal(ref.invoice, "INV-1");
	assert_int_equal(ref.row, 3);
	assert_false(history_find_invoice(h, t(F1), t("INV-2"), &ref,
	    &total));
	assert_false(history_find_invoice(h, t("99-9"), t("INV-1"), &ref,
	    &total));

	assert_int_equal(history_matter_spend(h, t(F1), t("M1"), t("USD"), &n,
	    &ref), 6000000);
	assert_int_equal(n, 1);
	assert_int_equal(history_matter_spend(h, t(F1), t("M1"), t("EUR"), &n,
	    &ref), 6000000); /* blank currency counts in any */
	assert_int_equal(history_matter_spend(h, t(F1), t("M2"), t(""), &n,
	    &ref), 0);
	assert_int_equal(n, 0);
	assert_int_equal(history_matter_billed(h, t(F1), t("M1"), &n, &ref),
	    6000000);

	assert_true(history_first_rate(h, t(F1), t("P1"), &rate, &date,
	    &ref));
	assert_int_equal(rate, 3000000);
	assert_int_equal(date, date_from_ymd(2026, 1, 5));
	assert_int_equal(ref.row, 3);
	assert_false(history_first_rate(h, t(F1), t("P9"), &rate, &date,
	    &ref));

	assert_int_equal(history_day_hours(h, t(F1), t("P2"),
	    date_from_ymd(2026, 1, 6), &n, &ref), 60000);
	assert_int_equal(n, 1);
	assert_int_equal(history_day_hours(h, t(F1), t("P2"),
	    date_from_ymd(2026, 1, 7), &n, &ref), 0);
	assert_false(history_failed(h, &d));

	/* The checks, reading the same through the engine. */
	assert_string_equal(finding_of(&r, "freeze", 0)->message, "billed "
	    "350.00/h; first billed 300.00/h on 2026-01-05 (row 3 of a.txt, "
	    "invoice INV-1, run 1 of 2026-04-01)");
	assert_string_equal(finding_of(&r, "daily", 0)->message, "billed "
	    "11.0 h on 2026-01-06, max 10.0 h; rows 4; 6.0 h of it on invoice "
	    "INV-1 (a.txt, run 1 of 2026-04-01)");
	assert_string_equal(finding_of(&r, "dup", 0)->message, "repeats row 3 "
	    "of a.txt, invoice INV-1, run 1 of 2026-04-01: same timekeeper, "
	    "date, units, amount and description");
	assert_string_equal(finding_of(&r, "budget", 0)->message, "matter M1 "
	    "spend 950.00 reaches 80% of its budget of 1,000.00; 600.00 of it "
	    "on invoice INV-1 (a.txt, run 1 of 2026-04-01)");
	assert_string_equal(finding_of(&r, "budget", 1)->message, "matter M1 "
	    "spend 1,200.00 exceeds its budget of 1,000.00 by 200.00; 600.00 "
	    "of it on invoice INV-1 (a.txt, run 1 of 2026-04-01)");
	assert_null(finding_of(&r, "po", 0)); /* 1,500.00: not beyond */
	assert_null(finding_of(&r, "dupinv", 0));
	/* The trend: January from history, February from this run. */
	assert_int_equal(r.res->nfirms, 1);
	assert_int_equal(r.res->firms[0].nhistory_months, 1);
	assert_string_equal(r.res->firms[0].history_months[0].month,
	    "2026-04");
	assert_int_equal(r.res->firms[0].history_months[0].invoices, 2);
	assert_int_equal(r.res->history_runs, 1);
	run_free(&r);
	history_free(h);
}

static void
history_lookups__this_runs_own_invoices_are_not_history(void **state)
{
	struct fixture *fx = *state;
	const char *first[] = {jan, NULL};
	struct history_ref ref;
	unsigned long n;
	int64_t total;
	struct diag d;
	struct run r;
	history *h = NULL;

	check_and_record(fx->db, first, true, NULL);
	assert_int_equal(history_open(&h, fx->db, HISTORY_READONLY, &d), 0);
	hist_run(&r, h, first);
	assert_false(history_find_invoice(h, t(F1), t("INV-1"), &ref,
	    &total));
	assert_int_equal(history_matter_spend(h, t(F1), t("M1"), t("USD"), &n,
	    &ref), 0);
	assert_int_equal(history_day_hours(h, t(F1), t("P2"),
	    date_from_ymd(2026, 1, 6), &n, &ref), 0);
	assert_int_equal(r.res->nfindings, 0);
	run_free(&r);
	history_free(h);
}

static void
history_lookups__without_history__checks_unchanged(void **state)
{
	const char *texts[] = {jan, feb, NULL};
	struct run a;

	(void)state;
	run_texts(&a, rules_hist, texts, NULL);
	assert_string_equal(finding_of(&a, "dup", 0)->message, "repeats row 3 "
	    "of a.txt (invoice INV-1): same timekeeper, date, units, amount "
	    "and description");
	assert_null(a.res->history_file);
	assert_null(a.res->firms[0].history_months);
	run_free(&a);
}

/* No lookup reads a whole table: each is a search through an index (the
 * run's own invoices through run_self's key), however large the history. */
static void
history_lookups__every_one_searches_an_index(void **state)
{
	struct fixture *fx = *state;
	const char *sql;
	char explain[1024];
	sqlite3_stmt *s;
	struct diag d;
	sqlite3 *c = NULL;
	history *h = NULL;
	size_t i, rows;

	assert_int_equal(history_open(&h, fx->db, 0, &d), 0);
	history_free(h);
	assert_int_equal(sqlite3_open(fx->db, &c), SQLITE_OK);
	assert_int_equal(sqlite3_exec(c, "CREATE TEMP TABLE run_self "
	    "(invoice_id INTEGER PRIMARY KEY)", NULL, NULL, NULL), SQLITE_OK);
	for (i = 0; (sql = history_lookup_sql(i)) != NULL; i++) {
		snprintf(explain, sizeof(explain), "EXPLAIN QUERY PLAN %s", sql);
		assert_int_equal(sqlite3_prepare_v2(c, explain, -1, &s, NULL),
		    SQLITE_OK);
		rows = 0;
		while (sqlite3_step(s) == SQLITE_ROW) {
			const char *detail =
			    (const char *)sqlite3_column_text(s, 3);

			rows++;
			if (strncmp(detail, "SCAN ", 5) == 0)
				fail_msg("lookup %zu scans: %s\n  %s", i,
				    detail, sql);
		}
		sqlite3_finalize(s);
		if (strncmp(sql, "INSERT", 6) != 0)
			assert_true(rows > 0);
	}
	assert_true(i >= 9);
	sqlite3_close(c);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(history_open__new_file__creates_schema_0600),
		T(history_open__empty_file__migrates_from_v0),
		T(history_open__empty_sqlite__migrates_from_v0),
		T(history_open__text_file__refused_and_untouched),
		T(history_open__foreign_sqlite__refused_and_untouched),
		T(history_open__damaged_file__refused),
		T(history_open__newer_schema__refused),
		T(history_open__readonly__never_creates_or_migrates),
		T(history_record__same_files_twice__records_once),
		T(history_record__same_files_again__same_findings),
		T(history_record__changed_resubmission__recorded_and_flagged),
		T(history_record__no_record__leaves_database_alone),
		T(history_record__readonly__refused),
		T(history_lookups__find_what_earlier_runs_recorded),
		T(history_lookups__this_runs_own_invoices_are_not_history),
		T(history_lookups__without_history__checks_unchanged),
		T(history_lookups__every_one_searches_an_index),
	};
	return cmocka_run_group_tests_name("history", tests, NULL, NULL);
}
