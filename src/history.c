/* history.c - the history database: schema and migrations, the pre-scan
 * of a run's invoices, the checks' lookups and the recording transaction.
 * Every statement is prepared once, with bound parameters. */
#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "arena.h"
#include "date.h"
#include "decimal.h"
#include "findings.h"
#include "history.h"
#include "keymap.h"
#include "sha256.h"
#include "xalloc.h"

/* Ids are keyed on at most this many bytes (as the engine's checks do). */
#define KEY_PART 256
#define KEY_MAX  (4 * (4 + KEY_PART) + 16)

/* ---- the schema ------------------------------------------------------- */

/* Migration i takes the schema from version i to version i + 1.  Add a
 * new entry for every change; never edit one that has shipped. */
static const char *const migrations[HISTORY_SCHEMA_VERSION] = {
	/* 0 -> 1: the first schema. */
	"CREATE TABLE schema_version ("
	"  version INTEGER PRIMARY KEY,"
	"  applied TEXT NOT NULL);"
	"CREATE TABLE runs ("
	"  id INTEGER PRIMARY KEY,"
	"  recorded TEXT NOT NULL,"
	"  version TEXT NOT NULL,"
	"  rules_name TEXT NOT NULL,"
	"  rules_sha256 TEXT NOT NULL,"
	"  invoices INTEGER NOT NULL,"
	"  lines INTEGER NOT NULL,"
	"  findings INTEGER NOT NULL);"
	"CREATE TABLE invoices ("
	"  id INTEGER PRIMARY KEY,"
	"  run_id INTEGER NOT NULL REFERENCES runs (id),"
	"  firm TEXT NOT NULL,"
	"  number TEXT NOT NULL,"
	"  hash BLOB NOT NULL,"
	"  matter TEXT NOT NULL,"
	"  po TEXT NOT NULL,"
	"  currency TEXT NOT NULL,"
	"  file TEXT NOT NULL,"
	"  row INTEGER NOT NULL,"
	"  date INTEGER,"
	"  month INTEGER,"
	"  lines INTEGER NOT NULL,"
	"  lines_flagged INTEGER NOT NULL,"
	"  billed INTEGER NOT NULL,"
	"  at_risk INTEGER NOT NULL,"
	"  verdict INTEGER NOT NULL,"
	"  UNIQUE (firm, number, hash));"
	"CREATE INDEX invoices_matter ON invoices (firm, matter);"
	"CREATE TABLE line_fps ("
	"  fp BLOB NOT NULL,"
	"  invoice_id INTEGER NOT NULL,"
	"  row INTEGER NOT NULL,"
	"  PRIMARY KEY (fp, invoice_id, row)) WITHOUT ROWID;"
	"CREATE TABLE matter_spend ("
	"  firm TEXT NOT NULL,"
	"  matter TEXT NOT NULL,"
	"  currency TEXT NOT NULL,"
	"  invoice_id INTEGER NOT NULL,"
	"  spend INTEGER NOT NULL,"
	"  PRIMARY KEY (firm, matter, currency, invoice_id)) WITHOUT ROWID;"
	"CREATE TABLE tk_days ("
	"  firm TEXT NOT NULL,"
	"  tk TEXT NOT NULL,"
	"  day INTEGER NOT NULL,"
	"  invoice_id INTEGER NOT NULL,"
	"  hours INTEGER NOT NULL,"
	"  PRIMARY KEY (firm, tk, day, invoice_id)) WITHOUT ROWID;"
	"CREATE TABLE tk_rates ("
	"  firm TEXT NOT NULL,"
	"  tk TEXT NOT NULL,"
	"  invoice_id INTEGER NOT NULL,"
	"  rate INTEGER NOT NULL,"
	"  first_day INTEGER NOT NULL,"
	"  last_day INTEGER NOT NULL,"
	"  row INTEGER NOT NULL,"
	"  PRIMARY KEY (firm, tk, invoice_id, rate)) WITHOUT ROWID;"
	"CREATE TABLE findings ("
	"  id INTEGER PRIMARY KEY,"
	"  run_id INTEGER NOT NULL REFERENCES runs (id),"
	"  invoice_id INTEGER NOT NULL REFERENCES invoices (id),"
	"  rule TEXT NOT NULL,"
	"  check_name TEXT NOT NULL,"
	"  severity INTEGER NOT NULL,"
	"  row INTEGER NOT NULL,"
	"  line TEXT NOT NULL,"
	"  timekeeper TEXT NOT NULL,"
	"  date INTEGER,"
	"  billed INTEGER NOT NULL,"
	"  at_risk INTEGER NOT NULL,"
	"  message TEXT NOT NULL);"
	"CREATE INDEX findings_invoice ON findings (invoice_id);",
};

/* Recorded invoices that this run holds with the same content: they are
 * not history to it. */
#define NOT_SELF(col) \
	" AND NOT EXISTS (SELECT 1 FROM temp.run_self s" \
	" WHERE s.invoice_id = " col ")"

/* The lookups, prepared by history_begin. */
enum {
	Q_REF,
	Q_INVOICE,
	Q_LINE,
	Q_SPEND,
	Q_BILLED,
	Q_RATE,
	Q_DAY,
	Q_TREND,
	Q_SELF,
	Q_SELF_ADD,
	Q__COUNT
};

static const char *const lookup_sql[Q__COUNT] = {
	[Q_REF] = "SELECT i.number, i.file, i.row, i.run_id, r.recorded"
	    " FROM invoices i JOIN runs r ON r.id = i.run_id WHERE i.id = ?1",
	[Q_INVOICE] = "SELECT id, billed FROM invoices"
	    " WHERE firm = ?1 AND number = ?2" NOT_SELF("invoices.id")
	    " ORDER BY id LIMIT 1",
	[Q_LINE] = "SELECT invoice_id, row FROM line_fps WHERE fp = ?1"
	    NOT_SELF("line_fps.invoice_id")
	    " ORDER BY invoice_id, row LIMIT 1",
	[Q_SPEND] = "SELECT invoice_id, currency, spend FROM matter_spend"
	    " WHERE firm = ?1 AND matter = ?2"
	    NOT_SELF("matter_spend.invoice_id") " ORDER BY invoice_id",
	[Q_BILLED] = "SELECT id, billed FROM invoices"
	    " WHERE firm = ?1 AND matter = ?2" NOT_SELF("invoices.id")
	    " ORDER BY id",
	[Q_RATE] = "SELECT invoice_id, rate, first_day, row FROM tk_rates"
	    " WHERE firm = ?1 AND tk = ?2" NOT_SELF("tk_rates.invoice_id")
	    " ORDER BY invoice_id, row LIMIT 1",
	[Q_DAY] = "SELECT invoice_id, hours FROM tk_days"
	    " WHERE firm = ?1 AND tk = ?2 AND day = ?3"
	    NOT_SELF("tk_days.invoice_id") " ORDER BY invoice_id",
	[Q_TREND] = "SELECT month, verdict, lines, lines_flagged, billed,"
	    " at_risk FROM invoices WHERE firm = ?1",
	[Q_SELF] = "SELECT id FROM invoices"
	    " WHERE firm = ?1 AND number = ?2 AND hash = ?3",
	[Q_SELF_ADD] = "INSERT OR IGNORE INTO temp.run_self VALUES (?1)",
};

/* The recording statements, prepared by history_record. */
enum {
	R_RUN,
	R_RUN_COUNTS,
	R_INVOICE,
	R_FP,
	R_SPEND,
	R_DAY,
	R_RATE,
	R_FINDING,
	R__COUNT
};

static const char *const record_sql[R__COUNT] = {
	[R_RUN] = "INSERT INTO runs (recorded, version, rules_name,"
	    " rules_sha256, invoices, lines, findings)"
	    " VALUES (?1, ?2, ?3, ?4, 0, 0, 0)",
	[R_RUN_COUNTS] = "UPDATE runs SET invoices = ?2, lines = ?3,"
	    " findings = ?4 WHERE id = ?1",
	[R_INVOICE] = "INSERT OR IGNORE INTO invoices (run_id, firm, number,"
	    " hash, matter, po, currency, file, row, date, month, lines,"
	    " lines_flagged, billed, at_risk, verdict) VALUES (?1, ?2, ?3,"
	    " ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
	[R_FP] = "INSERT OR IGNORE INTO line_fps VALUES (?1, ?2, ?3)",
	[R_SPEND] = "INSERT OR IGNORE INTO matter_spend VALUES"
	    " (?1, ?2, ?3, ?4, ?5)",
	[R_DAY] = "INSERT OR IGNORE INTO tk_days VALUES (?1, ?2, ?3, ?4, ?5)",
	[R_RATE] = "INSERT OR IGNORE INTO tk_rates VALUES"
	    " (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	[R_FINDING] = "INSERT INTO findings (run_id, invoice_id, rule,"
	    " check_name, severity, row, line, timekeeper, date, billed,"
	    " at_risk, message) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9,"
	    " ?10, ?11, ?12)",
};

/* ---- the run's invoices, as the pre-scan saw them --------------------- */

struct pend_inv {
	uint32_t       file;        /* file_index */
	const char    *file_name;
	const char    *firm, *number, *matter, *po, *currency;
	int32_t        date;        /* invoice date, or DATE_NONE */
	unsigned long  row;         /* the first line's */
	unsigned long  nlines;
	struct sha256  sha;         /* while scanning; then hash[] */
	unsigned char  hash[HISTORY_HASH_LEN];
	int64_t        self;        /* invoices.id of this very invoice */
	int64_t        new_id;      /* its id once recorded by this run */
	bool           failed;      /* its input was not read in full */
};

struct pend_spend {
	uint32_t    inv;
	struct text matter, currency; /* arena copies */
	int64_t     spend;
};

struct pend_day {
	uint32_t    inv;
	struct text tk;
	int32_t     day;
	int64_t     hours;
};

struct pend_rate {
	uint32_t      inv;
	struct text   tk;
	int64_t       rate;
	int32_t       first, last;
	unsigned long row;
};

struct pend_fp {
	uint32_t      inv;
	unsigned long row;
	unsigned char fp[HISTORY_FP_LEN];
};

/* The first failure of a lookup; the lookups take a const history, so
 * this lives behind a pointer. */
struct latch {
	bool        failed;
	struct diag d;
};

struct history {
	sqlite3          *db;
	const char       *path;
	unsigned          flags;
	struct latch     *err;
	arena            *strings;
	struct input_sink sink;
	sqlite3_stmt     *q[Q__COUNT];
	bool              reading;     /* the read transaction is open */
	unsigned long     runs_before;

	/* the pre-scan */
	const char       *scan_file;
	unsigned          scan_index;
	size_t            scan_first;  /* first invoice of the input */
	struct pend_inv  *inv;
	size_t            ninv, inv_cap;
	keymap           *inv_keys;    /* file|firm|number -> uint32_t */
	keymap           *spend;       /* inv|matter|currency -> pend_spend */
	keymap           *days;        /* inv|tk|day -> pend_day */
	keymap           *rates;       /* inv|tk|rate -> pend_rate */
	struct pend_fp   *fps;
	size_t            nfps, fps_cap;
	uint32_t          last_inv;    /* cache for fingerprints */
	bool              has_last;
};

static void scan_line(void *ctx, struct invoice_line *l);
static void scan_ignore(void *ctx, const struct diag *d);

/* ---- small helpers ---------------------------------------------------- */

/* Text up to its first NUL: what the engine keeps of an id. */
static struct text
cut(struct text t)
{
	const char *z = t.n > 0 ? memchr(t.p, '\0', t.n) : NULL;

	if (z != NULL)
		t.n = (size_t)(z - t.p);
	if (t.n == 0)
		t.p = "";
	return t;
}

static struct text
text_of(const char *s)
{
	struct text t = {s != NULL ? s : "", s != NULL ? strlen(s) : 0};

	return t;
}

static void
bind_text(sqlite3_stmt *s, int i, struct text t)
{
	t = cut(t);
	sqlite3_bind_text(s, i, t.p, (int)t.n, SQLITE_TRANSIENT);
}

static void
bind_str(sqlite3_stmt *s, int i, const char *str)
{
	bind_text(s, i, text_of(str));
}

static void
bind_date(sqlite3_stmt *s, int i, int32_t d)
{
	if (d == DATE_NONE)
		sqlite3_bind_null(s, i);
	else
		sqlite3_bind_int64(s, i, d);
}

/* Copies s into out[cap] (NUL-terminated), cut at a UTF-8 boundary. */
static void
clip_copy(char *out, size_t cap, const unsigned char *s, size_t n)
{
	if (s == NULL)
		n = 0;
	if (n >= cap) {
		n = cap - 1;
		while (n > 0 && (s[n] & 0xC0) == 0x80)
			n--;
	}
	if (n > 0)
		memcpy(out, s, n);
	out[n] = '\0';
}

static size_t
make_key(char *buf, const void *const *parts, const size_t *lens,
    size_t nparts)
{
	size_t clipped[4], i;

	for (i = 0; i < nparts && i < 4; i++)
		clipped[i] = lens[i] > KEY_PART ? KEY_PART : lens[i];
	return keymap_key(buf, KEY_MAX, parts, clipped, nparts);
}

static int
db_error(sqlite3 *db, struct diag *d, const char *path, const char *what)
{
	return diag_set(d, DIAG_IO, (struct diag_pos){path, 0, 0},
	    "%s: %s", what, sqlite3_errmsg(db));
}

/* Runs SQL without results; 0, or -1 with *d filled. */
static int
exec(history *h, const char *sql, struct diag *d)
{
	if (sqlite3_exec(h->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return db_error(h->db, d, h->path, "history database");
	return 0;
}

/* One integer from a single-row query; -1 with *d filled on failure. */
static int
query_int(history *h, const char *sql, int64_t *out, struct diag *d)
{
	sqlite3_stmt *s = NULL;
	int rc;

	*out = 0; /* no row: 0 */
	if (sqlite3_prepare_v2(h->db, sql, -1, &s, NULL) != SQLITE_OK)
		return db_error(h->db, d, h->path, "cannot read the history "
		    "database");
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*out = sqlite3_column_int64(s, 0);
		rc = SQLITE_DONE;
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE)
		return db_error(h->db, d, h->path, "cannot read the history "
		    "database");
	return 0;
}

/* Remembers the first failed lookup. */
static void
latch(const history *h, const char *what)
{
	if (h->err->failed)
		return;
	h->err->failed = true;
	diag_set(&h->err->d, DIAG_IO, (struct diag_pos){h->path, 0, 0},
	    "%s: %s", what, sqlite3_errmsg(h->db));
}

/* Steps a lookup: true on a row, false when done or failed (latched). */
static bool
step_row(const history *h, sqlite3_stmt *s)
{
	int rc = sqlite3_step(s);

	if (rc == SQLITE_ROW)
		return true;
	if (rc != SQLITE_DONE)
		latch(h, "cannot read the history database");
	return false;
}

static void
done(sqlite3_stmt *s)
{
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
}

/* ---- opening ---------------------------------------------------------- */

static const char sqlite_magic[16] = "SQLite format 3";

/* Looks at the file before SQLite does: it must be empty or start like an
 * SQLite database.  Creates it (0600) when absent and allowed. */
static int
sniff(const char *path, bool create, struct diag *d)
{
	struct diag_pos pos = {path, 0, 0};
	char head[16];
	struct stat st;
	ssize_t got;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT) {
		if (!create)
			return diag_set(d, DIAG_IO, pos, "no such history "
			    "database (--no-record does not create one)");
		fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (fd < 0 && errno == EEXIST)
			fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return diag_set(d, DIAG_IO, pos, "cannot create the "
			    "history database: %s", strerror(errno));
	}
	if (fd < 0)
		return diag_set(d, DIAG_IO, pos, "cannot open the history "
		    "database: %s", strerror(errno));
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return diag_set(d, DIAG_IO, pos, "the history database must "
		    "be a regular file");
	}
	if (st.st_size == 0) {
		close(fd);
		return 0;
	}
	got = read(fd, head, sizeof(head));
	close(fd);
	if (got != (ssize_t)sizeof(head) ||
	    memcmp(head, sqlite_magic, sizeof(head)) != 0)
		return diag_set(d, DIAG_FORMAT, pos, "not a billcheck history "
		    "database (not SQLite at all); it is left untouched");
	return 0;
}

/* The schema version of the open database: 0 for an empty one, or -1
 * with *d filled for a foreign one. */
static int
schema_version(history *h, int64_t *version, struct diag *d)
{
	struct diag_pos pos = {h->path, 0, 0};
	int64_t appid, objects;

	*version = 0;
	if (query_int(h, "PRAGMA application_id", &appid, d) < 0 ||
	    query_int(h, "SELECT count(*) FROM sqlite_master", &objects,
	    d) < 0)
		return -1;
	if (appid == 0 && objects == 0) {
		*version = 0;
		return 0;
	}
	if (appid != HISTORY_APPLICATION_ID)
		return diag_set(d, DIAG_FORMAT, pos, "an SQLite database of "
		    "another program, not a billcheck history; it is left "
		    "untouched");
	if (query_int(h, "SELECT max(version) FROM schema_version", version,
	    d) < 0)
		return -1;
	return 0;
}

/* Write-ahead logging: readers never wait for a recording run, and a
 * killed run leaves only uncommitted frames behind.  Switching needs the
 * file to itself and SQLite does not wait for that, so this does. */
static int
set_wal(history *h, struct diag *d)
{
	struct timespec pause = {0, 10 * 1000 * 1000};
	sqlite3_stmt *s = NULL;
	long waited = 0;
	bool wal = false;
	int rc;

	for (;;) {
		if (sqlite3_prepare_v2(h->db, "PRAGMA journal_mode = WAL", -1,
		    &s, NULL) != SQLITE_OK)
			return db_error(h->db, d, h->path, "cannot set up the "
			    "history database");
		rc = sqlite3_step(s);
		if (rc == SQLITE_ROW)
			wal = strcmp((const char *)sqlite3_column_text(s, 0),
			    "wal") == 0;
		if (rc != SQLITE_ROW && ((rc & 0xFF) != SQLITE_BUSY ||
		    waited >= HISTORY_BUSY_MS)) {
			db_error(h->db, d, h->path, "cannot set up the history "
			    "database");
			sqlite3_finalize(s);
			return -1;
		}
		sqlite3_finalize(s);
		if (rc == SQLITE_ROW)
			break;
		nanosleep(&pause, NULL);
		waited += 10;
	}
	if (!wal)
		return diag_set(d, DIAG_IO, (struct diag_pos){h->path, 0, 0},
		    "cannot use write-ahead logging for the history database "
		    "(a network file system?)");
	return 0;
}

static int
migrate(history *h, struct diag *d)
{
	sqlite3_stmt *s = NULL;
	char when[32], sql[64];
	int64_t v;
	time_t now = time(NULL);
	struct tm tm;

	if (exec(h, "BEGIN IMMEDIATE", d) < 0)
		return -1;
	/* Another run may have migrated while this one waited. */
	if (schema_version(h, &v, d) < 0)
		goto fail;
	snprintf(sql, sizeof(sql), "PRAGMA application_id = %ld",
	    (long)HISTORY_APPLICATION_ID);
	if (v == 0 && exec(h, sql, d) < 0)
		goto fail;
	gmtime_r(&now, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	for (; v < HISTORY_SCHEMA_VERSION; v++) {
		if (exec(h, migrations[v], d) < 0)
			goto fail;
		if (sqlite3_prepare_v2(h->db, "INSERT INTO schema_version "
		    "VALUES (?1, ?2)", -1, &s, NULL) != SQLITE_OK)
			goto fail_db;
		sqlite3_bind_int64(s, 1, v + 1);
		sqlite3_bind_text(s, 2, when, -1, SQLITE_TRANSIENT);
		if (sqlite3_step(s) != SQLITE_DONE)
			goto fail_db;
		sqlite3_finalize(s);
		s = NULL;
	}
	if (exec(h, "COMMIT", d) < 0)
		goto fail;
	return 0;
fail_db:
	db_error(h->db, d, h->path, "cannot set up the history database");
fail:
	sqlite3_finalize(s);
	sqlite3_exec(h->db, "ROLLBACK", NULL, NULL, NULL);
	return -1;
}

int
history_open(history **out, const char *path, unsigned flags,
    struct diag *d)
{
	struct diag_pos pos = {path, 0, 0};
	bool ro = (flags & HISTORY_READONLY) != 0;
	history *h;
	int64_t v;

	*out = NULL;
	if (sniff(path, !ro, d) < 0)
		return -1;
	h = xcalloc(1, sizeof(*h));
	h->path = path;
	h->flags = flags;
	h->err = xcalloc(1, sizeof(*h->err));
	h->strings = arena_new();
	h->inv_keys = keymap_new(sizeof(uint32_t));
	h->spend = keymap_new(sizeof(struct pend_spend));
	h->days = keymap_new(sizeof(struct pend_day));
	h->rates = keymap_new(sizeof(struct pend_rate));
	h->sink.ctx = h;
	h->sink.on_line = scan_line;
	h->sink.on_reject = scan_ignore;
	h->sink.on_error = scan_ignore;
	h->sink.on_note = scan_ignore;
	/* The file exists now: never let SQLite create one in its place. */
	if (sqlite3_open_v2(path, &h->db, SQLITE_OPEN_READWRITE, NULL) !=
	    SQLITE_OK) {
		db_error(h->db, d, path, "cannot open the history database");
		goto fail;
	}
	sqlite3_extended_result_codes(h->db, 1);
	sqlite3_busy_timeout(h->db, HISTORY_BUSY_MS);
	/* The file is the user's, and could be anyone's: no schema code. */
	sqlite3_db_config(h->db, SQLITE_DBCONFIG_DEFENSIVE, 1, (int *)NULL);
	sqlite3_db_config(h->db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0,
	    (int *)NULL);
	if (exec(h, "PRAGMA cell_size_check = ON", d) < 0 ||
	    exec(h, "PRAGMA temp_store = MEMORY", d) < 0)
		goto fail;
	/* One snapshot: another run may be setting the file up meanwhile. */
	if (exec(h, "BEGIN", d) < 0)
		goto fail;
	if (schema_version(h, &v, d) < 0 || exec(h, "COMMIT", d) < 0)
		goto fail;
	if (v > HISTORY_SCHEMA_VERSION) {
		diag_set(d, DIAG_FORMAT, pos, "the history database has "
		    "schema version %lld, newer than this billcheck knows "
		    "(%d); use a newer billcheck", (long long)v,
		    HISTORY_SCHEMA_VERSION);
		goto fail;
	}
	if (ro && v < HISTORY_SCHEMA_VERSION) {
		diag_set(d, DIAG_FORMAT, pos, "the history database has "
		    "schema version %lld; run once without --no-record to "
		    "bring it to version %d", (long long)v,
		    HISTORY_SCHEMA_VERSION);
		goto fail;
	}
	if (!ro) {
		if (set_wal(h, d) < 0 ||
		    exec(h, "PRAGMA synchronous = FULL", d) < 0)
			goto fail;
		if (v < HISTORY_SCHEMA_VERSION && migrate(h, d) < 0)
			goto fail;
	}
	*out = h;
	return 0;
fail:
	history_free(h);
	return -1;
}

void
history_free(history *h)
{
	size_t i;

	if (h == NULL)
		return;
	for (i = 0; i < Q__COUNT; i++)
		sqlite3_finalize(h->q[i]);
	if (h->db != NULL && !sqlite3_get_autocommit(h->db))
		sqlite3_exec(h->db, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_close(h->db);
	keymap_free(h->inv_keys);
	keymap_free(h->spend);
	keymap_free(h->days);
	keymap_free(h->rates);
	free(h->inv);
	free(h->fps);
	arena_free(h->strings);
	free(h->err);
	free(h);
}

/* ---- the pre-scan ----------------------------------------------------- */

static struct text
keep(history *h, struct text t)
{
	struct text k;

	t = cut(t);
	k.p = arena_strndup(h->strings, t.p, t.n);
	k.n = t.n;
	return k;
}

/* The index of invoice (file, firm, number), or -1 when absent and not
 * to be created. */
static long
invoice_index(history *h, unsigned file, struct text firm, struct text num,
    bool create)
{
	uint32_t f = file;
	const void *parts[3] = {&f, firm.p, num.p};
	size_t lens[3] = {sizeof(f), firm.n, num.n}, klen;
	char key[KEY_MAX];
	uint32_t *slot;
	bool created;

	klen = make_key(key, parts, lens, 3);
	if (!create) {
		slot = keymap_get(h->inv_keys, key, klen);
		return slot != NULL ? (long)*slot : -1;
	}
	slot = keymap_put(h->inv_keys, key, klen, &created);
	if (created) {
		xgrow(&h->inv, &h->inv_cap, h->ninv + 1, sizeof(*h->inv));
		memset(&h->inv[h->ninv], 0, sizeof(*h->inv));
		*slot = (uint32_t)h->ninv++;
	}
	return (long)*slot;
}

static struct text
matter_of(const struct invoice_line *l)
{
	return l->field[F_LAW_FIRM_MATTER_ID].n ?
	    l->field[F_LAW_FIRM_MATTER_ID] : l->field[F_CLIENT_MATTER_ID];
}

static void
saturate_add(int64_t *acc, int64_t v)
{
	if (dec_add(acc, v) < 0)
		*acc = v > 0 ? INT64_MAX : INT64_MIN;
}

/* The content hash: every non-blank field of every line, tagged and
 * length-prefixed, so no two different invoices feed the same bytes. */
static void
hash_line(struct sha256 *c, const struct invoice_line *l)
{
	unsigned char tag[5];
	unsigned f;

	for (f = 0; f < F__COUNT; f++) {
		size_t n = l->field[f].n;

		if (n == 0)
			continue;
		tag[0] = (unsigned char)f;
		tag[1] = (unsigned char)(n >> 24);
		tag[2] = (unsigned char)(n >> 16);
		tag[3] = (unsigned char)(n >> 8);
		tag[4] = (unsigned char)n;
		sha256_update(c, tag, sizeof(tag));
		sha256_update(c, l->field[f].p, n);
	}
	tag[0] = 0xFF;
	sha256_update(c, tag, 1);
}

static void
scan_spend(history *h, uint32_t inv, const struct invoice_line *l)
{
	struct text m = cut(matter_of(l));
	struct text cur = cut(l->field[F_INVOICE_CURRENCY]);
	const void *parts[3] = {&inv, m.p, cur.p};
	size_t lens[3] = {sizeof(inv), m.n, cur.n};
	char key[KEY_MAX];
	struct pend_spend *ps;
	bool created;

	if (!line_has_num(l, N_TOTAL))
		return;
	ps = keymap_put(h->spend, key, make_key(key, parts, lens, 3),
	    &created);
	if (created) {
		ps->inv = inv;
		ps->matter = keep(h, m);
		ps->currency = keep(h, cur);
	}
	saturate_add(&ps->spend, l->num[N_TOTAL]);
}

static void
scan_timekeeper(history *h, uint32_t inv, const struct invoice_line *l)
{
	struct text tk = cut(l->field[F_TIMEKEEPER_ID]);
	int32_t day = l->date;
	int64_t rate = l->num[N_UNIT_COST];
	const void *parts[3] = {&inv, tk.p, &day};
	size_t lens[3] = {sizeof(inv), tk.n, sizeof(day)};
	char key[KEY_MAX];
	struct pend_day *pd;
	struct pend_rate *pr;
	bool created;

	if (l->type != LINE_FEE || tk.n == 0)
		return;
	if (line_has_num(l, N_UNITS)) {
		pd = keymap_put(h->days, key, make_key(key, parts, lens, 3),
		    &created);
		if (created) {
			pd->inv = inv;
			pd->tk = keep(h, tk);
			pd->day = day;
		}
		saturate_add(&pd->hours, l->num[N_UNITS]);
	}
	if (!line_has_num(l, N_UNIT_COST) || rate <= 0)
		return;
	parts[2] = &rate;
	lens[2] = sizeof(rate);
	pr = keymap_put(h->rates, key, make_key(key, parts, lens, 3),
	    &created);
	if (created) {
		pr->inv = inv;
		pr->tk = keep(h, tk);
		pr->rate = rate;
		pr->first = pr->last = day;
		pr->row = l->row;
	}
	if (day < pr->first)
		pr->first = day;
	if (day > pr->last)
		pr->last = day;
}

static void
scan_line(void *ctx, struct invoice_line *l)
{
	history *h = ctx;
	struct text firm = cut(l->field[F_LAW_FIRM_ID]);
	struct text num = cut(l->field[F_INVOICE_NUMBER]);
	struct pend_inv *p;
	long i;

	i = invoice_index(h, h->scan_index, firm, num, true);
	p = &h->inv[i];
	if (p->nlines++ == 0) {
		p->file = h->scan_index;
		p->file_name = h->scan_file;
		p->firm = keep(h, firm).p;
		p->number = keep(h, num).p;
		p->matter = keep(h, matter_of(l)).p;
		p->po = keep(h, l->field[F_PO_NUMBER]).p;
		p->currency = keep(h, l->field[F_INVOICE_CURRENCY]).p;
		p->date = l->invoice_date;
		p->row = l->row;
		sha256_init(&p->sha);
	}
	hash_line(&p->sha, l);
	if (h->flags & HISTORY_READONLY)
		return;
	scan_spend(h, (uint32_t)i, l);
	scan_timekeeper(h, (uint32_t)i, l);
}

static void
scan_ignore(void *ctx, const struct diag *d)
{
	(void)ctx;
	(void)d;
}

void
history_scan_begin_file(history *h, const char *name, unsigned file_index)
{
	h->scan_file = arena_strdup(h->strings, name);
	h->scan_index = file_index;
	h->scan_first = h->ninv;
}

const struct input_sink *
history_scan_sink(history *h)
{
	return &h->sink;
}

void
history_scan_end_file(history *h, const struct input_counts *c)
{
	bool failed = c->failed || c->rejected > 0;
	size_t i;

	for (i = h->scan_first; i < h->ninv; i++) {
		sha256_final(&h->inv[i].sha, h->inv[i].hash);
		h->inv[i].failed = failed;
	}
	h->scan_first = h->ninv;
}

int
history_begin(history *h, struct diag *d)
{
	int64_t runs;
	size_t i;
	int rc;

	if (exec(h, "BEGIN", d) < 0)
		return -1;
	h->reading = true;
	if (exec(h, "CREATE TEMP TABLE IF NOT EXISTS run_self "
	    "(invoice_id INTEGER PRIMARY KEY)", d) < 0)
		return -1;
	for (i = 0; i < Q__COUNT; i++)
		if (h->q[i] == NULL && sqlite3_prepare_v3(h->db, lookup_sql[i],
		    -1, SQLITE_PREPARE_PERSISTENT, &h->q[i], NULL) !=
		    SQLITE_OK)
			return db_error(h->db, d, h->path, "cannot read the "
			    "history database");
	if (query_int(h, "SELECT count(*) FROM runs", &runs, d) < 0)
		return -1;
	h->runs_before = (unsigned long)runs;
	for (i = 0; i < h->ninv; i++) {
		struct pend_inv *p = &h->inv[i];
		sqlite3_stmt *s = h->q[Q_SELF];

		bind_str(s, 1, p->firm);
		bind_str(s, 2, p->number);
		sqlite3_bind_blob(s, 3, p->hash, HISTORY_HASH_LEN,
		    SQLITE_STATIC);
		rc = sqlite3_step(s);
		if (rc == SQLITE_ROW)
			p->self = sqlite3_column_int64(s, 0);
		done(s);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE)
			return db_error(h->db, d, h->path, "cannot read the "
			    "history database");
		if (p->self == 0)
			continue;
		s = h->q[Q_SELF_ADD];
		sqlite3_bind_int64(s, 1, p->self);
		rc = sqlite3_step(s);
		done(s);
		if (rc != SQLITE_DONE)
			return db_error(h->db, d, h->path, "cannot read the "
			    "history database");
	}
	return 0;
}

/* ---- the lookups ------------------------------------------------------ */

/* Fills *ref with where invoice `id` was recorded. */
static bool
fill_ref(const history *h, int64_t id, struct history_ref *ref)
{
	sqlite3_stmt *s = h->q[Q_REF];
	bool found;

	memset(ref, 0, sizeof(*ref));
	sqlite3_bind_int64(s, 1, id);
	found = step_row(h, s);
	if (found) {
		clip_copy(ref->invoice, sizeof(ref->invoice),
		    sqlite3_column_text(s, 0),
		    (size_t)sqlite3_column_bytes(s, 0));
		clip_copy(ref->file, sizeof(ref->file),
		    sqlite3_column_text(s, 1),
		    (size_t)sqlite3_column_bytes(s, 1));
		ref->row = (unsigned long)sqlite3_column_int64(s, 2);
		ref->run = sqlite3_column_int64(s, 3);
		ref->invoice_id = id;
		clip_copy(ref->run_date, sizeof(ref->run_date),
		    sqlite3_column_text(s, 4),
		    (size_t)sqlite3_column_bytes(s, 4));
	}
	done(s);
	return found;
}

static bool
usable(const history *h)
{
	return h != NULL && !h->err->failed && h->q[Q_REF] != NULL;
}

bool
history_find_invoice(const history *h, struct text firm, struct text number,
    struct history_ref *ref, int64_t *total)
{
	sqlite3_stmt *s;
	int64_t id = 0;

	if (!usable(h))
		return false;
	s = h->q[Q_INVOICE];
	bind_text(s, 1, firm);
	bind_text(s, 2, number);
	if (step_row(h, s)) {
		id = sqlite3_column_int64(s, 0);
		*total = sqlite3_column_int64(s, 1);
	}
	done(s);
	return id != 0 && fill_ref(h, id, ref);
}

bool
history_find_line(const history *h, const unsigned char fp[HISTORY_FP_LEN],
    struct history_ref *ref)
{
	sqlite3_stmt *s;
	int64_t id = 0, row = 0;

	if (!usable(h))
		return false;
	s = h->q[Q_LINE];
	sqlite3_bind_blob(s, 1, fp, HISTORY_FP_LEN, SQLITE_STATIC);
	if (step_row(h, s)) {
		id = sqlite3_column_int64(s, 0);
		row = sqlite3_column_int64(s, 1);
	}
	done(s);
	if (id == 0 || !fill_ref(h, id, ref))
		return false;
	ref->row = (unsigned long)row;
	return true;
}

int64_t
history_matter_spend(const history *h, struct text firm, struct text matter,
    struct text currency, unsigned long *n, struct history_ref *last)
{
	sqlite3_stmt *s;
	int64_t sum = 0, id, last_id = 0;

	*n = 0;
	if (!usable(h))
		return 0;
	currency = cut(currency);
	s = h->q[Q_SPEND];
	bind_text(s, 1, firm);
	bind_text(s, 2, matter);
	while (step_row(h, s)) {
		const void *c = sqlite3_column_blob(s, 1);
		size_t cn = (size_t)sqlite3_column_bytes(s, 1);

		/* Money in another currency is not added to the budget's. */
		if (currency.n > 0 && cn > 0 && (cn != currency.n ||
		    memcmp(c, currency.p, cn) != 0))
			continue;
		id = sqlite3_column_int64(s, 0);
		if (id != last_id)
			(*n)++;
		last_id = id;
		saturate_add(&sum, sqlite3_column_int64(s, 2));
	}
	done(s);
	if (*n > 0 && !fill_ref(h, last_id, last))
		*n = 0;
	return *n > 0 ? sum : 0;
}

int64_t
history_matter_billed(const history *h, struct text firm, struct text matter,
    unsigned long *n, struct history_ref *last)
{
	sqlite3_stmt *s;
	int64_t sum = 0, last_id = 0;

	*n = 0;
	if (!usable(h))
		return 0;
	s = h->q[Q_BILLED];
	bind_text(s, 1, firm);
	bind_text(s, 2, matter);
	while (step_row(h, s)) {
		last_id = sqlite3_column_int64(s, 0);
		(*n)++;
		saturate_add(&sum, sqlite3_column_int64(s, 1));
	}
	done(s);
	if (*n > 0 && !fill_ref(h, last_id, last))
		*n = 0;
	return *n > 0 ? sum : 0;
}

bool
history_first_rate(const history *h, struct text firm, struct text tk,
    int64_t *rate, int32_t *date, struct history_ref *ref)
{
	sqlite3_stmt *s;
	int64_t id = 0, row = 0;

	if (!usable(h))
		return false;
	s = h->q[Q_RATE];
	bind_text(s, 1, firm);
	bind_text(s, 2, tk);
	if (step_row(h, s)) {
		id = sqlite3_column_int64(s, 0);
		*rate = sqlite3_column_int64(s, 1);
		*date = (int32_t)sqlite3_column_int64(s, 2);
		row = sqlite3_column_int64(s, 3);
	}
	done(s);
	if (id == 0 || !fill_ref(h, id, ref))
		return false;
	ref->row = (unsigned long)row;
	return true;
}

int64_t
history_day_hours(const history *h, struct text firm, struct text tk,
    int32_t day, unsigned long *n, struct history_ref *first)
{
	sqlite3_stmt *s;
	int64_t sum = 0, first_id = 0;

	*n = 0;
	if (!usable(h))
		return 0;
	s = h->q[Q_DAY];
	bind_text(s, 1, firm);
	bind_text(s, 2, tk);
	sqlite3_bind_int64(s, 3, day);
	while (step_row(h, s)) {
		if (*n == 0)
			first_id = sqlite3_column_int64(s, 0);
		(*n)++;
		saturate_add(&sum, sqlite3_column_int64(s, 1));
	}
	done(s);
	if (*n > 0 && !fill_ref(h, first_id, first))
		*n = 0;
	return *n > 0 ? sum : 0;
}

const char *
history_lookup_sql(size_t i)
{
	return i < Q__COUNT ? lookup_sql[i] : NULL;
}

bool
history_failed(const history *h, struct diag *d)
{
	if (h == NULL || !h->err->failed)
		return false;
	if (d != NULL)
		*d = h->err->d;
	return true;
}

/* ---- fingerprints ----------------------------------------------------- */

void
history_add_fingerprint(history *h, const struct invoice_line *l,
    const unsigned char fp[HISTORY_FP_LEN])
{
	struct text firm = cut(l->field[F_LAW_FIRM_ID]);
	struct text num = cut(l->field[F_INVOICE_NUMBER]);
	struct pend_inv *p;
	struct pend_fp *f;
	long i;

	if (h == NULL || (h->flags & HISTORY_READONLY))
		return;
	p = h->has_last ? &h->inv[h->last_inv] : NULL;
	if (p != NULL && p->file == l->file_index &&
	    strlen(p->firm) == firm.n && memcmp(p->firm, firm.p, firm.n) == 0 &&
	    strlen(p->number) == num.n &&
	    memcmp(p->number, num.p, num.n) == 0) {
		i = (long)h->last_inv;
	} else {
		i = invoice_index(h, l->file_index, firm, num, false);
		if (i < 0)
			return; /* not seen by the pre-scan: never recorded */
		h->last_inv = (uint32_t)i;
		h->has_last = true;
	}
	xgrow(&h->fps, &h->fps_cap, h->nfps + 1, sizeof(*h->fps));
	f = &h->fps[h->nfps++];
	f->inv = (uint32_t)i;
	f->row = l->row;
	memcpy(f->fp, fp, HISTORY_FP_LEN);
}

/* ---- the trend -------------------------------------------------------- */

struct bucket {
	int32_t              month;  /* YYYYMM, or INT32_MAX undated */
	struct month_summary m;
};

static struct bucket *
bucket_for(struct bucket **v, size_t *n, size_t *cap, int32_t month)
{
	size_t i;

	for (i = 0; i < *n; i++)
		if ((*v)[i].month == month)
			return &(*v)[i];
	xgrow(v, cap, *n + 1, sizeof(**v));
	memset(&(*v)[*n], 0, sizeof(**v));
	(*v)[*n].month = month;
	return &(*v)[(*n)++];
}

static void
bucket_add(struct bucket *b, bool flagged, int64_t lines,
    int64_t lines_flagged, int64_t billed, int64_t at_risk)
{
	b->m.invoices++;
	if (flagged)
		b->m.invoices_with_findings++;
	b->m.lines += lines > 0 ? (unsigned long)lines : 0;
	b->m.lines_with_findings += lines_flagged > 0 ?
	    (unsigned long)lines_flagged : 0;
	saturate_add(&b->m.billed, billed);
	saturate_add(&b->m.at_risk, at_risk);
}

static int
cmp_bucket(const void *a, const void *b)
{
	const struct bucket *x = a, *y = b;

	return x->month < y->month ? -1 : x->month > y->month;
}

static int32_t
month_of(int32_t date)
{
	int y, m, d;

	if (date == DATE_NONE)
		return INT32_MAX;
	date_to_ymd(date, &y, &m, &d);
	return (int32_t)(y * 100 + m);
}

/* The pre-scan's record of invoice (file, firm, number), or NULL. */
static struct pend_inv *
pending_of(history *h, unsigned file, const char *firm, const char *number)
{
	long i = invoice_index(h, file, text_of(firm), text_of(number), false);

	return i < 0 ? NULL : &h->inv[i];
}

/* The pre-scan's record of the run's invoice s when it may be recorded:
 * its input was read in full, twice the same. */
static struct pend_inv *
recordable(history *h, const struct run_result *res,
    const struct invoice_summary *s)
{
	struct pend_inv *p = pending_of(h, s->file_index, s->firm,
	    s->invoice);
	const struct input_summary *in = s->file_index < res->ninputs ?
	    &res->inputs[s->file_index] : NULL;

	if (p == NULL || p->failed || p->nlines != s->lines)
		return NULL;
	if (in != NULL && strcmp(in->file, s->file) == 0 && in->failed)
		return NULL;
	return p;
}

static void
firm_trend(history *h, const struct run_result *res, struct firm_summary *f)
{
	struct bucket *v = NULL, *b;
	size_t n = 0, cap = 0, i;
	sqlite3_stmt *s = h->q[Q_TREND];

	bind_str(s, 1, f->firm);
	while (step_row(h, s)) {
		int32_t month = sqlite3_column_type(s, 0) == SQLITE_NULL ?
		    INT32_MAX : (int32_t)sqlite3_column_int64(s, 0);

		b = bucket_for(&v, &n, &cap, month);
		bucket_add(b, sqlite3_column_int64(s, 1) != VERDICT_APPROVE,
		    sqlite3_column_int64(s, 2), sqlite3_column_int64(s, 3),
		    sqlite3_column_int64(s, 4), sqlite3_column_int64(s, 5));
	}
	done(s);
	for (i = 0; i < res->ninvoices; i++) {
		const struct invoice_summary *is = &res->invoices[i];
		const struct pend_inv *p;

		if (strcmp(is->firm, f->firm) != 0)
			continue;
		p = recordable(h, res, is);
		if (p == NULL || p->self != 0)
			continue; /* already in history, or never will be */
		b = bucket_for(&v, &n, &cap, month_of(is->date));
		bucket_add(b, is->verdict != VERDICT_APPROVE, (int64_t)is->lines,
		    (int64_t)is->lines_with_findings, is->billed, is->at_risk);
	}
	if (n > 0)
		qsort(v, n, sizeof(*v), cmp_bucket);
	f->history_months = xcalloc(n ? n : 1, sizeof(*f->history_months));
	f->nhistory_months = n;
	for (i = 0; i < n; i++) {
		struct month_summary *m = &f->history_months[i];

		*m = v[i].m;
		if (v[i].month == INT32_MAX)
			memcpy(m->month, "undated", 8);
		else
			snprintf(m->month, sizeof(m->month), "%04u-%02u",
			    (unsigned)(v[i].month / 100) % 10000u,
			    (unsigned)(v[i].month % 100) % 100u);
		m->exception_rate_bp = m->invoices ? (unsigned)(
		    m->invoices_with_findings * 10000 / m->invoices) : 0;
	}
	free(v);
}

void
history_trend(history *h, struct run_result *res)
{
	size_t i;

	res->history_file = h->path;
	res->history_runs = h->runs_before;
	for (i = 0; i < res->nfirms; i++)
		if (usable(h))
			firm_trend(h, res, &res->firms[i]);
}

/* ---- recording -------------------------------------------------------- */

struct day_refs;

struct recorder {
	history         *h;
	sqlite3_stmt    *r[R__COUNT];
	int64_t          run;
	bool             failed;
	struct day_refs *days;   /* while record_days collects */
};

static bool
step_done(struct recorder *rc, sqlite3_stmt *s)
{
	int x = sqlite3_step(s);

	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	if (x != SQLITE_DONE)
		rc->failed = true;
	return x == SQLITE_DONE;
}

static int64_t
new_id(const struct recorder *rc, uint32_t inv)
{
	return rc->h->inv[inv].new_id;
}

static void
record_spend(void *ctx, const void *key, size_t len, void *value)
{
	struct recorder *rc = ctx;
	const struct pend_spend *ps = value;
	sqlite3_stmt *s = rc->r[R_SPEND];

	(void)key;
	(void)len;
	if (rc->failed || new_id(rc, ps->inv) == 0)
		return;
	bind_str(s, 1, rc->h->inv[ps->inv].firm);
	bind_text(s, 2, ps->matter);
	bind_text(s, 3, ps->currency);
	sqlite3_bind_int64(s, 4, new_id(rc, ps->inv));
	sqlite3_bind_int64(s, 5, ps->spend);
	step_done(rc, s);
}

static void
record_day(struct recorder *rc, const struct pend_day *pd)
{
	sqlite3_stmt *s = rc->r[R_DAY];

	if (rc->failed || new_id(rc, pd->inv) == 0)
		return;
	bind_str(s, 1, rc->h->inv[pd->inv].firm);
	bind_text(s, 2, pd->tk);
	sqlite3_bind_int64(s, 3, pd->day);
	sqlite3_bind_int64(s, 4, new_id(rc, pd->inv));
	sqlite3_bind_int64(s, 5, pd->hours);
	step_done(rc, s);
}

static void
record_rate(void *ctx, const void *key, size_t len, void *value)
{
	struct recorder *rc = ctx;
	const struct pend_rate *pr = value;
	sqlite3_stmt *s = rc->r[R_RATE];

	(void)key;
	(void)len;
	if (rc->failed || new_id(rc, pr->inv) == 0)
		return;
	bind_str(s, 1, rc->h->inv[pr->inv].firm);
	bind_text(s, 2, pr->tk);
	sqlite3_bind_int64(s, 3, new_id(rc, pr->inv));
	sqlite3_bind_int64(s, 4, pr->rate);
	sqlite3_bind_int64(s, 5, pr->first);
	sqlite3_bind_int64(s, 6, pr->last);
	sqlite3_bind_int64(s, 7, (sqlite3_int64)pr->row);
	step_done(rc, s);
}

static void
record_invoice(struct recorder *rc, struct pend_inv *p,
    const struct invoice_summary *is)
{
	sqlite3_stmt *s = rc->r[R_INVOICE];
	int32_t month = month_of(p->date);

	sqlite3_bind_int64(s, 1, rc->run);
	bind_str(s, 2, p->firm);
	bind_str(s, 3, p->number);
	sqlite3_bind_blob(s, 4, p->hash, HISTORY_HASH_LEN, SQLITE_STATIC);
	bind_str(s, 5, p->matter);
	bind_str(s, 6, p->po);
	bind_str(s, 7, p->currency);
	bind_str(s, 8, p->file_name);
	sqlite3_bind_int64(s, 9, (sqlite3_int64)p->row);
	bind_date(s, 10, p->date);
	if (month == INT32_MAX)
		sqlite3_bind_null(s, 11);
	else
		sqlite3_bind_int64(s, 11, month);
	sqlite3_bind_int64(s, 12, (sqlite3_int64)is->lines);
	sqlite3_bind_int64(s, 13, (sqlite3_int64)is->lines_with_findings);
	sqlite3_bind_int64(s, 14, is->billed);
	sqlite3_bind_int64(s, 15, is->at_risk);
	sqlite3_bind_int64(s, 16, (sqlite3_int64)is->verdict);
	if (step_done(rc, s) && sqlite3_changes(rc->h->db) > 0)
		p->new_id = sqlite3_last_insert_rowid(rc->h->db);
}

static unsigned long
record_findings(struct recorder *rc, const struct run_result *res)
{
	sqlite3_stmt *s = rc->r[R_FINDING];
	struct finding_reader rd;
	unsigned long n = 0;
	size_t i;

	findings_reader_init(&rd, res);
	for (i = 0; i < res->nfindings && !rc->failed; i++) {
		const struct finding *f = findings_reader_get(&rd, i);
		const struct pend_inv *p;

		if (f == NULL) {
			rc->failed = true; /* the findings file is unreadable */
			break;
		}
		p = pending_of(rc->h, f->file_index, f->firm, f->invoice);
		if (p == NULL || p->new_id == 0)
			continue;
		sqlite3_bind_int64(s, 1, rc->run);
		sqlite3_bind_int64(s, 2, p->new_id);
		bind_str(s, 3, f->rule);
		bind_str(s, 4, f->check);
		sqlite3_bind_int64(s, 5, (sqlite3_int64)f->severity);
		sqlite3_bind_int64(s, 6, (sqlite3_int64)f->row);
		bind_str(s, 7, f->line);
		bind_str(s, 8, f->timekeeper);
		bind_date(s, 9, f->date);
		sqlite3_bind_int64(s, 10, f->billed);
		sqlite3_bind_int64(s, 11, f->at_risk);
		bind_str(s, 12, f->message);
		if (step_done(rc, s))
			n++;
	}
	findings_reader_fini(&rd);
	return n;
}

/* SQLite's BINARY order of two texts. */
static int
cmp_text(struct text a, struct text b)
{
	int c = memcmp(a.p, b.p, a.n < b.n ? a.n : b.n);

	if (c != 0)
		return c;
	return a.n < b.n ? -1 : a.n > b.n;
}

struct day_ref {
	const struct pend_day *d;
	const char            *firm;
};

struct day_refs {
	struct day_ref *v;
	size_t          n, cap;
};

static void
collect_day(void *ctx, const void *key, size_t len, void *value)
{
	struct recorder *rc = ctx;
	struct day_refs *refs = rc->days;
	const struct pend_day *pd = value;

	(void)key;
	(void)len;
	if (new_id(rc, pd->inv) == 0)
		return;
	xgrow(&refs->v, &refs->cap, refs->n + 1, sizeof(*refs->v));
	refs->v[refs->n].d = pd;
	refs->v[refs->n++].firm = rc->h->inv[pd->inv].firm;
}

/* The order of tk_days' key: firm, timekeeper, day. */
static int
cmp_day(const void *a, const void *b)
{
	const struct day_ref *x = a, *y = b;
	int c = strcmp(x->firm, y->firm);

	if (c == 0)
		c = cmp_text(x->d->tk, y->d->tk);
	if (c == 0)
		c = x->d->day < y->d->day ? -1 : x->d->day > y->d->day;
	return c;
}

/* Timekeeper-days in key order: each page of the index is visited once,
 * however large the history. */
static void
record_days(struct recorder *rc)
{
	struct day_refs refs = {NULL, 0, 0};
	size_t i;

	rc->days = &refs;
	keymap_each(rc->h->days, collect_day, rc);
	if (refs.n > 0)
		qsort(refs.v, refs.n, sizeof(*refs.v), cmp_day);
	for (i = 0; i < refs.n && !rc->failed; i++)
		record_day(rc, refs.v[i].d);
	free(refs.v);
	rc->days = NULL;
}

static int
cmp_fp(const void *a, const void *b)
{
	const struct pend_fp *x = a, *y = b;
	int c = memcmp(x->fp, y->fp, HISTORY_FP_LEN);

	if (c != 0)
		return c;
	if (x->inv != y->inv)
		return x->inv < y->inv ? -1 : 1;
	return x->row < y->row ? -1 : x->row > y->row;
}

/* Fingerprints are random: inserted in key order, each page of the index
 * is visited once instead of once a line. */
static void
record_fps(struct recorder *rc)
{
	sqlite3_stmt *s = rc->r[R_FP];
	size_t i;

	if (rc->h->nfps > 0)
		qsort(rc->h->fps, rc->h->nfps, sizeof(*rc->h->fps), cmp_fp);
	for (i = 0; i < rc->h->nfps && !rc->failed; i++) {
		const struct pend_fp *f = &rc->h->fps[i];

		if (new_id(rc, f->inv) == 0)
			continue;
		sqlite3_bind_blob(s, 1, f->fp, HISTORY_FP_LEN, SQLITE_STATIC);
		sqlite3_bind_int64(s, 2, new_id(rc, f->inv));
		sqlite3_bind_int64(s, 3, (sqlite3_int64)f->row);
		step_done(rc, s);
	}
}

/* Tests only: a window in which the transaction is open, its pages
 * already written to the WAL (uncommitted), and the run can be killed or
 * raced. */
static void
test_pause(history *h, const char *path)
{
	struct timespec ts = {3, 0};
	FILE *fp;

	if (path == NULL || path[0] == '\0')
		return;
	sqlite3_db_cacheflush(h->db);
	fp = fopen(path, "w");
	if (fp != NULL)
		fclose(fp);
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

static int
run_row(struct recorder *rc, const struct run_result *res,
    const struct history_record_opts *o)
{
	sqlite3_stmt *s = rc->r[R_RUN];
	char when[32];
	struct tm tm;

	gmtime_r(&o->now, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	sqlite3_bind_text(s, 1, when, -1, SQLITE_TRANSIENT);
	bind_str(s, 2, res->version);
	bind_str(s, 3, res->rules_name);
	bind_str(s, 4, res->rules_sha256);
	if (!step_done(rc, s))
		return -1;
	rc->run = sqlite3_last_insert_rowid(rc->h->db);
	return 0;
}

int
history_record(history *h, const struct run_result *res,
    const struct history_record_opts *o, struct history_stats *st,
    struct diag *d)
{
	struct recorder rc;
	unsigned long lines = 0, nfind;
	size_t i;

	memset(st, 0, sizeof(*st));
	memset(&rc, 0, sizeof(rc));
	rc.h = h;
	if (h->flags & HISTORY_READONLY)
		return diag_set(d, DIAG_USAGE, (struct diag_pos){h->path, 0,
		    0}, "the history is open for checking only");
	if (history_failed(h, d))
		return -1;
	/* End the read snapshot; the write waits for any other writer. */
	if (h->reading && exec(h, "COMMIT", d) < 0)
		return -1;
	h->reading = false;
	if (exec(h, "BEGIN IMMEDIATE", d) < 0)
		return -1;
	for (i = 0; i < R__COUNT; i++)
		if (sqlite3_prepare_v2(h->db, record_sql[i], -1, &rc.r[i],
		    NULL) != SQLITE_OK)
			goto fail;
	if (run_row(&rc, res, o) < 0)
		goto fail;
	for (i = 0; i < res->ninvoices && !rc.failed; i++) {
		const struct invoice_summary *is = &res->invoices[i];
		struct pend_inv *p = recordable(h, res, is);

		if (p == NULL) {
			st->skipped++;
			continue;
		}
		if (p->self == 0)
			record_invoice(&rc, p, is);
		if (p->new_id == 0) {
			st->known++;
			continue;
		}
		st->recorded++;
		lines += is->lines;
	}
	if (rc.failed)
		goto fail;
	if (st->recorded == 0) {
		/* Nothing new: the database stays as it was. */
		for (i = 0; i < R__COUNT; i++)
			sqlite3_finalize(rc.r[i]);
		return exec(h, "ROLLBACK", d);
	}
	keymap_each(h->spend, record_spend, &rc);
	record_days(&rc);
	keymap_each(h->rates, record_rate, &rc);
	record_fps(&rc);
	nfind = record_findings(&rc, res);
	if (rc.failed)
		goto fail;
	sqlite3_bind_int64(rc.r[R_RUN_COUNTS], 1, rc.run);
	sqlite3_bind_int64(rc.r[R_RUN_COUNTS], 2, (sqlite3_int64)st->recorded);
	sqlite3_bind_int64(rc.r[R_RUN_COUNTS], 3, (sqlite3_int64)lines);
	sqlite3_bind_int64(rc.r[R_RUN_COUNTS], 4, (sqlite3_int64)nfind);
	if (!step_done(&rc, rc.r[R_RUN_COUNTS]))
		goto fail;
	test_pause(h, o->test_pause);
	for (i = 0; i < R__COUNT; i++)
		sqlite3_finalize(rc.r[i]);
	if (exec(h, "COMMIT", d) < 0) {
		sqlite3_exec(h->db, "ROLLBACK", NULL, NULL, NULL);
		return -1;
	}
	st->run = rc.run;
	return 0;
fail:
	db_error(h->db, d, h->path, "cannot record the run");
	for (i = 0; i < R__COUNT; i++)
		sqlite3_finalize(rc.r[i]);
	sqlite3_exec(h->db, "ROLLBACK", NULL, NULL, NULL);
	for (i = 0; i < h->ninv; i++)
		h->inv[i].new_id = 0;
	return -1;
}
