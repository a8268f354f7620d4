/* main.c - the command line: options -> rules -> for each input, stream
 * and check -> report -> exit status.  The only file that sees argv, the
 * environment, exit codes and the standard streams. */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "engine.h"
#include "findings.h"
#include "history.h"
#include "input.h"
#include "keymap.h"
#include "outfile.h"
#include "pipeline.h"
#include "report.h"
#include "rules.h"
#include "xalloc.h"

#ifndef BILLCHECK_VERSION
#define BILLCHECK_VERSION "0.0.0"
#endif

enum exit_code {
	EXIT_CLEAN = 0,    /* no finding at or above --fail-on */
	EXIT_FINDINGS = 1, /* at least one such finding */
	EXIT_TROUBLE = 2   /* usage, rules, unreadable input, write error */
};

extern const char default_rules_yaml[];
extern const size_t default_rules_len;

#define DEFAULT_RULES_NAME "built-in"
#define READ_CHUNK ((size_t)1 << 20)

struct options {
	const char   *rules;
	const char   *format;
	const char   *output;
	const char   *per_firm;
	int           fail_on;      /* severity, or -1 for never */
	const char  **firms;
	size_t        nfirms, firms_cap;
	const char   *color;
	const char   *progress;     /* auto, always or never */
	const char   *summary;      /* --summary FILE, or NULL */
	const char   *history;      /* --history FILE, or NULL */
	bool          no_record;    /* --no-record */
	FILE         *stdin_spool;  /* --history: stdin as the pre-scan read
	                               it, read again to check it */
	bool          quiet, check_rules, list_checks;
	struct input_opts input;
};

static void
usage(FILE *fp)
{
	fputs(
"usage: billcheck [-hqV] [-r rules.yaml] [-f text|csv|json|jsonl|html]\n"
"                 [-o file] [--per-firm dir] [--summary file]\n"
"                 [--fail-on error|warning|info|never] [--firm id]...\n"
"                 [--set FIELD=VALUE]... [--max-record bytes]\n"
"                 [--color when] [--progress when]\n"
"                 [--history file [--no-record]]\n"
"                 [--check-rules] [--list-checks] [file|dir|-]...\n"
"\n"
"Checks law-firm invoices (LEDES 1998B, LEDES 1998BI V2, CSV exports)\n"
"against billing guideline rules and reports every exception per firm.\n"
"\n"
"  -r, --rules FILE     guideline rules (YAML); default: the built-in set\n"
"  -f, --format FMT     text (default), csv, json, jsonl or html\n"
"  -o, --output FILE    write the report there (atomically)\n"
"      --per-firm DIR   also write one report per firm: DIR/<firm>.<ext>\n"
"      --summary FILE   also write the per-firm summary (by month) as CSV\n"
"      --fail-on SEV    findings that make the exit status 1 (default error)\n"
"      --firm ID        check only this firm (repeatable)\n"
"      --history FILE   check against earlier runs kept in FILE (SQLite,\n"
"                       created 0600) and record this run there\n"
"      --no-record      with --history: check, but record nothing\n"
"      --set F=V        a field the input lacks, e.g. LAW_FIRM_ID=24-6437381\n"
"      --max-record N   longest record read, in bytes (default 1M; K, M)\n"
"      --check-rules    validate the rules file, print a summary, exit\n"
"      --list-checks    print the check catalog with parameters\n"
"      --color WHEN     auto (default), always or never; NO_COLOR is honoured\n"
"      --progress WHEN  a progress bar on stderr: auto (default: when stderr\n"
"                       is a terminal), always or never\n"
"  -q, --quiet          no notes or progress on stderr (errors are printed)\n"
"  -h, --help           this help\n"
"  -V, --version        the version\n"
"\n"
"A directory means every .txt, .csv, .ledes and .tsv file in it, recursively,\n"
"in sorted order; - is standard input.\n"
"Exit status: 0 clean, 1 findings at or above --fail-on, 2 usage error,\n"
"invalid rules, or input that could not be read in full.\n", fp);
}

static void die_usage(const char *fmt, ...)
    __attribute__((format(printf, 1, 2), noreturn));

static void
die_usage(const char *fmt, ...)
{
	va_list ap;

	fputs("billcheck: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\n", stderr);
	fputs("Try 'billcheck --help' for more information.\n", stderr);
	exit(EXIT_TROUBLE);
}

static int
parse_severity(const char *s)
{
	if (strcmp(s, "error") == 0)
		return SEV_ERROR;
	if (strcmp(s, "warning") == 0)
		return SEV_WARNING;
	if (strcmp(s, "info") == 0)
		return SEV_INFO;
	if (strcmp(s, "never") == 0)
		return -1;
	die_usage("--fail-on takes error, warning, info or never, not '%s'", s);
	return -1;
}

/* auto, always or never, for --color and --progress. */
static const char *
parse_when(const char *opt, const char *arg)
{
	if (strcmp(arg, "auto") != 0 && strcmp(arg, "always") != 0 &&
	    strcmp(arg, "never") != 0)
		die_usage("%s takes auto, always or never, not '%s'", opt, arg);
	return arg;
}

static void
parse_set(struct options *o, const char *arg)
{
	const char *eq = strchr(arg, '=');
	enum field_id f;

	if (eq == NULL || eq == arg)
		die_usage("--set takes FIELD=VALUE, not '%s'", arg);
	f = field_lookup(arg, (size_t)(eq - arg));
	if (f == F__COUNT)
		die_usage("--set: '%s' is not a LEDES field name", arg);
	o->input.defaults[f] = eq + 1;
}

/* --max-record: bytes, with an optional K or M suffix, 64 to 1 GiB. */
static size_t
parse_max_record(const char *arg)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(arg, &end, 10);
	if (*end == 'K' || *end == 'k')
		v <<= 10, end++;
	else if (*end == 'M' || *end == 'm')
		v <<= 20, end++;
	if (errno != 0 || end == arg || *end != '\0' || v < 64 ||
	    v > (1ULL << 30))
		die_usage("--max-record takes a size from 64 to 1G bytes "
		    "(e.g. 4M), not '%s'", arg);
	return (size_t)v;
}

static void
parse_options(struct options *o, int argc, char **argv)
{
	enum { OPT_PER_FIRM = 256, OPT_FAIL_ON, OPT_FIRM, OPT_SET,
		OPT_CHECK_RULES, OPT_LIST_CHECKS, OPT_COLOR, OPT_PROGRESS,
		OPT_SUMMARY, OPT_HISTORY, OPT_NO_RECORD, OPT_MAX_RECORD };
	static const struct option longopts[] = {
		{"check-rules", no_argument, NULL, OPT_CHECK_RULES},
		{"color", required_argument, NULL, OPT_COLOR},
		{"fail-on", required_argument, NULL, OPT_FAIL_ON},
		{"firm", required_argument, NULL, OPT_FIRM},
		{"format", required_argument, NULL, 'f'},
		{"help", no_argument, NULL, 'h'},
		{"history", required_argument, NULL, OPT_HISTORY},
		{"max-record", required_argument, NULL, OPT_MAX_RECORD},
		{"list-checks", no_argument, NULL, OPT_LIST_CHECKS},
		{"no-record", no_argument, NULL, OPT_NO_RECORD},
		{"output", required_argument, NULL, 'o'},
		{"per-firm", required_argument, NULL, OPT_PER_FIRM},
		{"progress", required_argument, NULL, OPT_PROGRESS},
		{"quiet", no_argument, NULL, 'q'},
		{"rules", required_argument, NULL, 'r'},
		{"set", required_argument, NULL, OPT_SET},
		{"summary", required_argument, NULL, OPT_SUMMARY},
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0},
	};
	int c;

	o->format = "text";
	o->fail_on = SEV_ERROR;
	o->color = "auto";
	o->progress = "auto";
	o->input.date_form = DATE_AUTO;
	while ((c = getopt_long(argc, argv, "f:ho:qr:V", longopts, NULL)) !=
	    -1) {
		switch (c) {
		case 'f':
			o->format = optarg;
			break;
		case 'h':
			usage(stdout);
			exit(EXIT_CLEAN);
		case 'o':
			o->output = optarg;
			break;
		case 'q':
			o->quiet = true;
			break;
		case 'r':
			o->rules = optarg;
			break;
		case 'V':
			printf("billcheck %s\n", BILLCHECK_VERSION);
			exit(EXIT_CLEAN);
		case OPT_CHECK_RULES:
			o->check_rules = true;
			break;
		case OPT_COLOR:
			o->color = parse_when("--color", optarg);
			break;
		case OPT_FAIL_ON:
			o->fail_on = parse_severity(optarg);
			break;
		case OPT_FIRM:
			xgrow(&o->firms, &o->firms_cap, o->nfirms + 1,
			    sizeof(*o->firms));
			o->firms[o->nfirms++] = optarg;
			break;
		case OPT_HISTORY:
			o->history = optarg;
			break;
		case OPT_LIST_CHECKS:
			o->list_checks = true;
			break;
		case OPT_NO_RECORD:
			o->no_record = true;
			break;
		case OPT_PER_FIRM:
			o->per_firm = optarg;
			break;
		case OPT_PROGRESS:
			o->progress = parse_when("--progress", optarg);
			break;
		case OPT_MAX_RECORD:
			o->input.max_record = parse_max_record(optarg);
			break;
		case OPT_SET:
			parse_set(o, optarg);
			break;
		case OPT_SUMMARY:
			o->summary = optarg;
			break;
		default:
			fputs("Try 'billcheck --help' for more information.\n",
			    stderr);
			exit(EXIT_TROUBLE);
		}
	}
	if (report_writer_for(o->format) == NULL)
		die_usage("unknown format '%s' (text, csv, json, jsonl or html)",
		    o->format);
	if (o->no_record && o->history == NULL)
		die_usage("%s", "--no-record needs --history FILE");
}

/* ---- reading files ------------------------------------------------ */

/* Reads a whole (small) file; returns NULL with errno set on failure. */
static char *
slurp(const char *path, size_t max, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0, n = 0, got;

	if (fp == NULL)
		return NULL;
	for (;;) {
		xgrow(&buf, &cap, n + 65536, 1);
		got = fread(buf + n, 1, cap - n, fp);
		n += got;
		if (n > max) {
			fclose(fp);
			free(buf);
			errno = EFBIG;
			return NULL;
		}
		if (got == 0)
			break;
	}
	if (ferror(fp)) {
		int err = errno ? errno : EIO; /* EISDIR says more than EIO */

		fclose(fp);
		free(buf);
		errno = err;
		return NULL;
	}
	fclose(fp);
	*len = n;
	return buf;
}

static rule_set *
load_rules(const struct options *o)
{
	rule_set *rs = NULL;
	struct diag d = {0};
	char *buf;
	size_t len;

	if (o->rules == NULL) {
		if (rules_load(&rs, DEFAULT_RULES_NAME, default_rules_yaml,
		    default_rules_len, stderr, &d) < 0)
			return NULL;
		return rs;
	}
	buf = slurp(o->rules, RULES_MAX_BYTES, &len);
	if (buf == NULL) {
		fprintf(stderr, "billcheck: %s: error: %s\n", o->rules,
		    errno == EFBIG ? "rules file is larger than 8 MiB" :
		    strerror(errno));
		return NULL;
	}
	if (rules_load(&rs, o->rules, buf, len, stderr, &d) < 0)
		rs = NULL;
	free(buf);
	return rs;
}

struct inputs {
	char  **paths;
	size_t  n, cap;
};

static void
add_input(struct inputs *in, char *path)
{
	xgrow(&in->paths, &in->cap, in->n + 1, sizeof(*in->paths));
	in->paths[in->n++] = path;
}

static bool
wanted_name(const char *name)
{
	static const char *const ext[] = {".txt", ".csv", ".ledes", ".tsv"};
	size_t n = strlen(name), i, k;

	if (name[0] == '.')
		return false;
	for (i = 0; i < sizeof(ext) / sizeof(ext[0]); i++) {
		k = strlen(ext[i]);
		if (n > k && strcasecmp(name + n - k, ext[i]) == 0)
			return true;
	}
	return false;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Adds the wanted files under dir, sorted, recursively. */
static void
add_dir(struct inputs *in, const char *dir, int depth)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, cap = 0, i;

	if (d == NULL || depth > 32) {
		if (d != NULL)
			closedir(d);
		add_input(in, xstrdup(dir)); /* reported when opened */
		return;
	}
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0 || de->d_name[0] == '.')
			continue;
		xgrow(&names, &cap, n + 1, sizeof(*names));
		names[n++] = xstrdup(de->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(*names), cmp_str);
	for (i = 0; i < n; i++) {
		size_t len = strlen(dir) + strlen(names[i]) + 2;
		char *path = xmalloc(len);
		struct stat st;

		snprintf(path, len, "%s%s%s", dir,
		    dir[strlen(dir) - 1] == '/' ? "" : "/", names[i]);
		if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
			add_dir(in, path, depth + 1);
			free(path);
		} else if (stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
		    wanted_name(names[i])) {
			add_input(in, path);
		} else {
			free(path);
		}
		free(names[i]);
	}
	free(names);
}

static void
collect_inputs(struct inputs *in, int argc, char **argv)
{
	struct stat st;
	int i;

	for (i = 0; i < argc; i++) {
		if (strcmp(argv[i], "-") != 0 && stat(argv[i], &st) == 0 &&
		    S_ISDIR(st.st_mode))
			add_dir(in, argv[i], 0);
		else
			add_input(in, xstrdup(argv[i]));
	}
}

/* ---- progress on stderr ------------------------------------------ */

#define PROGRESS_MS  100 /* at most ten redraws a second */
#define PROGRESS_BAR 20  /* characters of the bar itself */

/*
 * A one-line progress bar on stderr, redrawn at most ten times a second
 * and erased at the end.  The engine and the readers know nothing of it:
 * check_input reports the bytes it fed and the records the reader
 * counted.  While it is on, the engine's diagnostics go to a memory
 * stream that is copied to stderr between redraws, so that a message
 * never lands in the middle of the bar.
 */
struct progress {
	bool               on;
	FILE              *diag;     /* the engine's errfp while on */
	char              *dbuf;     /* diag's buffer (open_memstream) */
	size_t             dlen;     /* bytes in it, after fflush(diag) */
	unsigned long long total;    /* bytes of all inputs; 0 = unknown */
	unsigned long long bytes;    /* bytes fed so far */
	unsigned long      records;  /* records of the finished inputs */
	struct timespec    start, last;
	bool               drawn;    /* the bar is on the screen */
	bool               ever;     /* it was drawn at least once, at last */
};

static void
progress_init(struct progress *p, const struct options *o,
    const struct inputs *in)
{
	struct stat st;
	size_t i;

	memset(p, 0, sizeof(*p));
	if (o->quiet || strcmp(o->progress, "never") == 0)
		return;
	if (strcmp(o->progress, "auto") == 0 && !isatty(STDERR_FILENO))
		return;
	p->diag = open_memstream(&p->dbuf, &p->dlen);
	if (p->diag == NULL)
		return;
	p->on = true;
	for (i = 0; i < in->n; i++) {
		if (strcmp(in->paths[i], "-") == 0 ||
		    stat(in->paths[i], &st) != 0 || !S_ISREG(st.st_mode)) {
			p->total = 0; /* a pipe: no percentage, no ETA */
			break;
		}
		p->total += (unsigned long long)st.st_size;
	}
	(void)clock_gettime(CLOCK_MONOTONIC, &p->start);
}

/* Where the engine prints its diagnostics. */
static FILE *
progress_errfp(const struct progress *p)
{
	return p->on ? p->diag : stderr;
}

/* Erases the bar, so that the next thing on stderr starts a clean line. */
static void
progress_erase(struct progress *p)
{
	if (p->drawn)
		fputs("\r\033[K", stderr);
	p->drawn = false;
}

/* Copies the diagnostics the engine wrote since the last call to stderr.
 * The engine writes them on the pipeline's thread: the stream stays
 * locked from the flush to the rewind. */
static void
progress_diag(struct progress *p)
{
	flockfile(p->diag);
	if (fflush(p->diag) == 0 && p->dlen > 0) {
		progress_erase(p);
		fwrite(p->dbuf, 1, p->dlen, stderr);
		rewind(p->diag);
		(void)fflush(p->diag);
	}
	funlockfile(p->diag);
}

/* "812 B", "14.2 KiB", "3.7 MiB", "1.2 GiB". */
static char *
human_bytes(char *buf, size_t size, unsigned long long b)
{
	static const char *const unit[] = { "KiB", "MiB", "GiB", "TiB" };
	unsigned long long scale = 1024, t;
	size_t u = 0;

	if (b < 1024) {
		(void)snprintf(buf, size, "%llu B", b);
		return buf;
	}
	while (u < 3 && b >= scale * 1024) {
		scale *= 1024;
		u++;
	}
	t = b * 10 / scale;
	(void)snprintf(buf, size, "%llu.%llu %s", t / 10, t % 10, unit[u]);
	return buf;
}

static unsigned long long
ms_between(const struct timespec *a, const struct timespec *b)
{
	long long ms = (long long)(b->tv_sec - a->tv_sec) * 1000 +
	    (b->tv_nsec - a->tv_nsec) / 1000000;

	return ms > 0 ? (unsigned long long)ms : 0;
}

/*
 * Counts `fed` more bytes, copies the engine's diagnostics out (erasing
 * the bar first), and redraws the bar unless it was drawn less than
 * PROGRESS_MS ago.  `records` are the current input's so far.
 */
static void
progress_update(struct progress *p, size_t fed, unsigned long records)
{
	char line[160], done[24], all[24], rate[24], bar[PROGRESS_BAR + 1];
	unsigned long long ms, bps, rps, left, pct, recs;
	struct timespec now;
	size_t i, fill;
	int len;

	if (!p->on)
		return;
	p->bytes += fed;
	progress_diag(p);
	(void)clock_gettime(CLOCK_MONOTONIC, &now);
	if (p->ever && ms_between(&p->last, &now) < PROGRESS_MS)
		return;
	p->last = now;
	ms = ms_between(&p->start, &now);
	if (ms == 0)
		ms = 1;
	recs = (unsigned long long)p->records + records;
	bps = p->bytes * 1000 / ms;
	rps = recs * 1000 / ms;
	human_bytes(done, sizeof(done), p->bytes);
	human_bytes(rate, sizeof(rate), bps);
	if (p->total > 0) {
		pct = p->bytes >= p->total ? 100 : p->bytes * 100 / p->total;
		fill = (size_t)(pct * PROGRESS_BAR / 100);
		for (i = 0; i < PROGRESS_BAR; i++)
			bar[i] = i < fill ? '#' : '.';
		bar[PROGRESS_BAR] = '\0';
		left = p->bytes >= p->total || bps == 0 ? 0 :
		    (p->total - p->bytes) / bps;
		len = snprintf(line, sizeof(line), "[%s] %3llu%%  %s of %s  "
		    "%s/s  %llu rec/s  ETA %llu:%02llu", bar, pct, done,
		    human_bytes(all, sizeof(all), p->total), rate, rps,
		    left / 60, left % 60);
	} else {
		len = snprintf(line, sizeof(line), "%s  %s/s  %llu records  "
		    "%llu rec/s", done, rate, recs, rps);
	}
	if (len < 0)
		return;
	fprintf(stderr, "\r%s\033[K", line);
	fflush(stderr);
	p->drawn = p->ever = true;
}

/* The end: the last diagnostics, and the bar erased. */
static void
progress_end(struct progress *p)
{
	if (!p->on)
		return;
	progress_diag(p);
	progress_erase(p);
	fflush(stderr);
	fclose(p->diag);
	free(p->dbuf);
	p->on = false;
}

/* ---- checking ----------------------------------------------------- */

/* Input that arrives as something else writes it (a pipe, a terminal). */
static bool
is_pipe(FILE *fp)
{
	struct stat st;

	return fstat(fileno(fp), &st) == 0 && !S_ISREG(st.st_mode) &&
	    !S_ISBLK(st.st_mode);
}

/*
 * Up to READ_CHUNK bytes: 0 at the end, -1 on an error (errno).  fread
 * waits until it has them all, which from a pipe can be long after the
 * first lines came; read(2) takes what has come, so they are checked
 * (and their findings streamed) at once.
 */
static ssize_t
read_some(FILE *fp, char *buf, bool live)
{
	ssize_t got;
	size_t n;

	if (!live) {
		n = fread(buf, 1, READ_CHUNK, fp);
		return n == 0 && ferror(fp) ? -1 : (ssize_t)n;
	}
	do
		got = read(fileno(fp), buf, READ_CHUNK);
	while (got < 0 && errno == EINTR);
	return got;
}

/* Streams one input through a reader into the engine, by way of the
 * pipeline's worker thread when there is one. */
static void
check_input(engine *e, pipeline *pl, const struct options *o,
    const char *path, unsigned index, char *buf, struct progress *pg)
{
	const struct input_sink *sink;
	const char *name = strcmp(path, "-") == 0 ? "<stdin>" : path;
	FILE *fp = strcmp(path, "-") != 0 ? fopen(path, "rb") :
	    o->stdin_spool != NULL ? o->stdin_spool : stdin;
	struct input_counts counts;
	input_reader *r;
	struct diag d;
	bool live;
	ssize_t got;

	if (fp == NULL) {
		diag_set(&d, DIAG_IO, (struct diag_pos){name, 0, 0},
		    "cannot open: %s", strerror(errno));
		engine_input_error(e, name, &d);
		return;
	}
	engine_begin_file(e, name, index);
	live = is_pipe(fp);
	got = read_some(fp, buf, live);
	/*
	 * LEDES splits at memchr speed, so its lines are checked on the
	 * thread that reads them: handing them to the worker saved nothing
	 * and cost nearly twice the CPU (1 GB: 4.97 s against 4.83 s, CPU
	 * 8.6 s against 4.8 s; 100 MB: 0.51 s against 0.47 s), as the lines
	 * and their text were copied and then read on the other core.  A CSV
	 * parse through libcsv costs about as much as the checks, and there
	 * the two threads share the work.
	 */
	if (got > 0 && input_is_ledes(buf, (size_t)got))
		pl = NULL;
	sink = pl != NULL ? pipeline_sink(pl) : engine_sink(e);
	r = input_reader_new(name, index, &o->input, sink);
	for (; got > 0; got = read_some(fp, buf, live)) {
		input_reader_feed(r, buf, (size_t)got);
		/* More may be long in coming: check what has come. */
		if (live && pl != NULL)
			pipeline_flush(pl);
		if (pg->on) {
			input_reader_counts(r, &counts);
			progress_update(pg, (size_t)got, counts.records);
		}
	}
	if (got < 0) {
		diag_set(&d, DIAG_IO, (struct diag_pos){name, 0, 0},
		    "read error: %s", strerror(errno));
		sink->on_error(sink->ctx, &d);
	} else {
		input_reader_finish(r);
	}
	if (pl != NULL)
		pipeline_wait(pl);
	input_reader_counts(r, &counts);
	if (got < 0)
		counts.failed = true;
	engine_end_file(e, &counts);
	pg->records += counts.records;
	progress_update(pg, 0, 0);
	input_reader_free(r);
	if (fp != stdin && fp != o->stdin_spool)
		fclose(fp);
}

/* ---- history (--history) ------------------------------------------ */

/* The pre-scan of one input: its lines go to the history before any check
 * runs, so that it knows the run's invoices and which of them it has
 * recorded before.  Standard input is kept in a temporary file that
 * check_input reads.  -1 (with a message) when the run cannot go on. */
static int
scan_input(history *h, struct options *o, const char *path, unsigned index,
    char *buf)
{
	bool is_stdin = strcmp(path, "-") == 0;
	const char *name = is_stdin ? "<stdin>" : path;
	struct input_counts counts;
	input_reader *r;
	FILE *fp;
	size_t n;

	if (is_stdin && o->stdin_spool != NULL)
		return 0; /* read once, as without --history */
	if (is_stdin) {
		o->stdin_spool = tmpfile();
		if (o->stdin_spool == NULL) {
			fprintf(stderr, "billcheck: <stdin>: error: cannot keep "
			    "standard input for --history: %s\n",
			    strerror(errno));
			return -1;
		}
	}
	fp = is_stdin ? stdin : fopen(path, "rb");
	if (fp == NULL)
		return 0; /* check_input reports it */
	history_scan_begin_file(h, name, index);
	r = input_reader_new(name, index, &o->input, history_scan_sink(h));
	while ((n = fread(buf, 1, READ_CHUNK, fp)) > 0) {
		input_reader_feed(r, buf, n);
		if (is_stdin && fwrite(buf, 1, n, o->stdin_spool) != n)
			break;
	}
	if (!ferror(fp) && !(is_stdin && ferror(o->stdin_spool)))
		input_reader_finish(r);
	input_reader_counts(r, &counts);
	counts.failed = counts.failed || ferror(fp);
	history_scan_end_file(h, &counts);
	input_reader_free(r);
	if (!is_stdin) {
		fclose(fp);
		return 0;
	}
	if (ferror(stdin) || fflush(o->stdin_spool) != 0 ||
	    ferror(o->stdin_spool) || fseek(o->stdin_spool, 0, SEEK_SET) != 0) {
		fprintf(stderr, "billcheck: <stdin>: error: cannot keep "
		    "standard input for --history: %s\n", strerror(errno));
		return -1;
	}
	return 0;
}

/* Opens --history FILE and pre-scans the inputs; NULL after a message. */
static history *
open_history(struct options *o, const struct inputs *in)
{
	history *h;
	struct diag d;
	char *buf;
	size_t i;

	if (history_open(&h, o->history, o->no_record ? HISTORY_READONLY : 0,
	    &d) < 0) {
		diag_print(stderr, &d, "error");
		return NULL;
	}
	buf = xmalloc(READ_CHUNK);
	for (i = 0; i < in->n; i++)
		if (scan_input(h, o, in->paths[i], (unsigned)i, buf) < 0)
			break;
	free(buf);
	if (i < in->n) {
		history_free(h);
		return NULL;
	}
	if (history_begin(h, &d) < 0) {
		diag_print(stderr, &d, "error");
		history_free(h);
		return NULL;
	}
	return h;
}

/* The time a run is recorded at: now, or SOURCE_DATE_EPOCH (seconds since
 * 1970) when set, for reproducible tests. */
static time_t
run_time(void)
{
	const char *s = getenv("SOURCE_DATE_EPOCH");
	char *end;
	long long v;

	if (s == NULL || s[0] == '\0')
		return time(NULL);
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < 0)
		return time(NULL);
	return (time_t)v;
}

static const char *
invoices_word(unsigned long n)
{
	return n == 1 ? "invoice" : "invoices";
}

/* Records the run after its report is written; -1 after a message. */
static int
record_history(history *h, const struct options *o,
    const struct run_result *res)
{
	struct history_record_opts ro;
	struct history_stats st;
	char msg[256];
	size_t k;
	struct diag d;

	memset(&ro, 0, sizeof(ro));
	ro.now = run_time();
	/* Tests only: hold the transaction open to kill or race it. */
	ro.test_pause = getenv("BILLCHECK_TEST_SLOW_RECORD");
	if (history_record(h, res, &ro, &st, &d) < 0) {
		diag_print(stderr, &d, "error");
		return -1;
	}
	if (o->quiet)
		return 0;
	if (st.run > 0)
		k = (size_t)snprintf(msg, sizeof(msg), "recorded run %lld: "
		    "%lu new %s", (long long)st.run, st.recorded,
		    invoices_word(st.recorded));
	else
		k = (size_t)snprintf(msg, sizeof(msg), "nothing new to "
		    "record");
	if (st.known > 0 && k < sizeof(msg))
		k += (size_t)snprintf(msg + k, sizeof(msg) - k, "%s%lu %s "
		    "already recorded", st.run > 0 ? ", " : ": ", st.known,
		    invoices_word(st.known));
	if (st.skipped > 0 && k < sizeof(msg))
		snprintf(msg + k, sizeof(msg) - k, "; %lu %s not recorded: "
		    "their input was not read in full", st.skipped,
		    invoices_word(st.skipped));
	diag_set(&d, DIAG_OK, (struct diag_pos){o->history, 0, 0}, "%s",
	    msg);
	diag_print(stderr, &d, "note");
	return 0;
}

/* ---- writing reports ---------------------------------------------- */

/*
 * A reader at the other end of a pipe or terminal sees each finding as
 * soon as the engine finds it; a file, which nobody reads before the run
 * ends (the temporary one is renamed only then), is written in stdio's
 * blocks instead of a write(2) per finding.
 */
static int
stream_finding(void *ctx, const struct finding *f)
{
	struct outfile *out = ctx;

	if (report_jsonl_finding(out->fp, f) < 0)
		return -1;
	if (out->live && (fflush(out->fp) == EOF || ferror(out->fp)))
		return -1;
	return 0;
}

/* A view of res holding only one firm's findings, invoices and summary. */
static void
firm_view(const struct run_result *res, size_t firm, struct run_result *v)
{
	const char *id = res->firms[firm].firm;
	size_t i;

	*v = *res;
	v->firms = &res->firms[firm];
	v->nfirms = 1;
	v->nfindings = findings_of_firm(res, id, &v->findings_first);
	v->findings_first += res->findings_first;
	v->invoices = NULL;
	v->ninvoices = 0;
	for (i = 0; i < res->ninvoices; i++) {
		if (strcmp(res->invoices[i].firm, id) != 0)
			continue;
		if (v->invoices == NULL)
			v->invoices = &res->invoices[i];
		v->ninvoices++;
	}
	v->billed = res->firms[firm].billed;
	v->at_risk = res->firms[firm].at_risk;
	v->lines = res->firms[firm].lines;
	memset(v->count_by_severity, 0, sizeof(v->count_by_severity));
	for (i = 0; i < v->nfindings; i++)
		v->count_by_severity[findings_severity(v, i)]++;
}

/* The firm id as a file name: letters, digits, '-', '_' and '.' kept. */
static char *
firm_file(const char *dir, const char *firm, const char *ext)
{
	size_t n = strlen(dir) + strlen(ext) + 160, i, o;
	char *path = xmalloc(n), safe[128];
	bool changed = false;

	for (i = 0, o = 0; firm[i] != '\0' && o < 100; i++) {
		char c = firm[i];
		bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '_' ||
		    (c == '.' && o > 0);

		safe[o++] = keep ? c : '_';
		changed |= !keep;
	}
	changed |= firm[i] != '\0' || o == 0;
	if (o == 0) {
		memcpy(safe, "unknown", 7);
		o = 7;
	}
	/* An id that had to change gets a hash of the real one, so "a/b"
	 * and "a_b" do not write the same file. */
	if (changed)
		o += (size_t)snprintf(safe + o, sizeof(safe) - o, "-%08x",
		    (unsigned)keymap_hash(firm, strlen(firm)));
	safe[o] = '\0';
	snprintf(path, n, "%s/%s.%s", dir, safe, ext);
	return path;
}

static int
write_whole(const struct report_writer *w, FILE *fp,
    const struct run_result *res, const struct report_opts *ro)
{
	struct finding_reader rd;
	const struct finding *f;
	size_t i;
	int rc = 0;

	if (w->finding == NULL)
		return w->write(fp, res, ro);
	findings_reader_init(&rd, res);
	for (i = 0; i < res->nfindings && rc == 0; i++) {
		f = findings_reader_get(&rd, i);
		if (f == NULL || w->finding(fp, f) < 0)
			rc = -1;
	}
	findings_reader_fini(&rd);
	return rc;
}

static int
write_per_firm(const struct options *o, const struct report_writer *w,
    const struct run_result *res)
{
	struct report_opts ro = {false};
	struct run_result view;
	struct outfile out;
	struct diag d;
	size_t i;
	int rc = 0;

	if (mkdir(o->per_firm, 0777) != 0 && errno != EEXIST) {
		fprintf(stderr, "billcheck: %s: error: cannot create the "
		    "directory: %s\n", o->per_firm, strerror(errno));
		return -1;
	}
	for (i = 0; i < res->nfirms; i++) {
		char *path = firm_file(o->per_firm, res->firms[i].firm,
		    w->extension);

		firm_view(res, i, &view);
		if (outfile_open(&out, path, &d) < 0) {
			diag_print(stderr, &d, "error");
			rc = -1;
		} else if (write_whole(w, out.fp, &view, &ro) < 0) {
			outfile_abort(&out);
			fprintf(stderr, "billcheck: %s: error: write error\n",
			    path);
			rc = -1;
		} else if (outfile_commit(&out, &d) < 0) {
			diag_print(stderr, &d, "error");
			rc = -1;
		}
		free(path);
	}
	return rc;
}

/* --summary: the per-firm (and per-month) summary CSV, written whole. */
static int
write_summary(const char *path, const struct run_result *res)
{
	struct outfile out;
	struct diag d;

	if (outfile_open(&out, path, &d) < 0) {
		diag_print(stderr, &d, "error");
		return -1;
	}
	if (report_csv_summary_write(out.fp, res) < 0) {
		fprintf(stderr, "billcheck: %s: error: write error: %s\n", path,
		    strerror(errno));
		outfile_abort(&out);
		return -1;
	}
	if (outfile_commit(&out, &d) < 0) {
		diag_print(stderr, &d, "error");
		return -1;
	}
	return 0;
}

static bool
use_color(const struct options *o)
{
	const char *no = getenv("NO_COLOR");

	if (strcmp(o->color, "always") == 0)
		return true;
	if (strcmp(o->color, "never") == 0 || (no != NULL && no[0] != '\0'))
		return false;
	return o->output == NULL && isatty(STDOUT_FILENO);
}

/* ---- the two side commands ---------------------------------------- */

static const char *
param_type_name(enum param_type t)
{
	switch (t) {
	case PARAM_AMOUNT:
		return "amount";
	case PARAM_FRACTION:
		return "fraction";
	case PARAM_PERCENT:
		return "percent";
	case PARAM_COUNT:
		return "count";
	case PARAM_BOOL:
		return "bool";
	case PARAM_STRING:
		return "string";
	case PARAM_LIST:
		return "list";
	case PARAM_CAPS:
		return "caps";
	case PARAM_DATES:
		return "dates";
	}
	return "";
}

static void
list_checks(void)
{
	const struct check *const *cat;
	size_t n, i, j;

	cat = check_catalog(&n);
	puts("Checks (use as 'check:' in a rule; every rule also takes id, "
	    "severity, clause,\nmessage, enabled, reduction, firms, matters, "
	    "classes, types, from, to):\n");
	for (i = 0; i < n; i++) {
		printf("%s\n    %s\n", cat[i]->name, cat[i]->summary);
		for (j = 0; j < cat[i]->nparams; j++) {
			const struct param_spec *p = &cat[i]->params[j];

			printf("    %-16s %-8s %s", p->name,
			    param_type_name(p->type), p->help);
			if (p->dflt != NULL)
				printf(" (default %s)", p->dflt);
			putchar('\n');
		}
	}
}

static void
summarize_rules(const rule_set *rs, const char *file)
{
	size_t n, i, enabled = 0, tks = 0, matters = 0;
	const struct rule *r = rules_list(rs, &n);

	for (i = 0; i < n; i++)
		enabled += r[i].enabled;
	for (i = 0; i < rules_nfirms(rs); i++) {
		tks += rules_firm_at(rs, i)->ntks;
		matters += rules_firm_at(rs, i)->nmatters;
	}
	printf("%s: ok: %zu rules (%zu enabled), %zu firms, %zu timekeepers, "
	    "%zu matters; sha256 %s\n", file, n, enabled, rules_nfirms(rs),
	    tks, matters, rules_sha256(rs));
}

/* ---- main --------------------------------------------------------- */

static bool
has_failed_input(const struct run_result *res)
{
	size_t i;

	for (i = 0; i < res->ninputs; i++)
		if (res->inputs[i].failed)
			return true;
	return res->nerrors > 0;
}

static bool
fails(const struct run_result *res, int fail_on)
{
	int s;

	if (fail_on < 0)
		return false;
	for (s = fail_on; s <= SEV_ERROR; s++)
		if (res->count_by_severity[s] > 0)
			return true;
	return false;
}

int
main(int argc, char **argv)
{
	struct options o;
	const struct report_writer *w;
	struct engine_opts eo;
	struct report_opts ro;
	struct run_result *res;
	struct inputs in = {0};
	struct progress pg;
	struct outfile out;
	struct diag d;
	history *hist = NULL;
	rule_set *rs;
	engine *e;
	pipeline *pl;
	char *buf;
	size_t i;
	int status;
	bool written = true;

	memset(&o, 0, sizeof(o));
	parse_options(&o, argc, argv);
	if (o.list_checks) {
		list_checks();
		return EXIT_CLEAN;
	}
	rs = load_rules(&o);
	if (rs == NULL)
		return EXIT_TROUBLE;
	if (o.check_rules) {
		summarize_rules(rs, o.rules ? o.rules : DEFAULT_RULES_NAME);
		rules_free(rs);
		return EXIT_CLEAN;
	}
	rules_input_opts(rs, &o.input);
	if (optind >= argc) {
		rules_free(rs);
		die_usage("%s", "no invoice files given (a file, a directory, "
		    "or - for standard input)");
	}
	collect_inputs(&in, argc - optind, argv + optind);
	w = report_writer_for(o.format);
	if (o.history != NULL) {
		hist = open_history(&o, &in);
		if (hist == NULL) {
			status = EXIT_TROUBLE;
			goto out;
		}
	}
	if (outfile_open(&out, o.output, &d) < 0) {
		diag_print(stderr, &d, "error");
		status = EXIT_TROUBLE;
		goto out;
	}
	memset(&eo, 0, sizeof(eo));
	eo.firms = o.firms;
	eo.nfirms = o.nfirms;
	progress_init(&pg, &o, &in);
	eo.errfp = progress_errfp(&pg);
	eo.quiet = o.quiet;
	eo.history = hist;
	if (w->finding != NULL) {
		eo.on_finding = stream_finding;
		eo.on_finding_ctx = &out;
	}
	e = engine_new(rs, &eo);
	pl = pipeline_new(engine_sink(e));
	buf = xmalloc(READ_CHUNK);
	for (i = 0; i < in.n; i++)
		check_input(e, pl, &o, in.paths[i], (unsigned)i, buf, &pg);
	free(buf);
	pipeline_free(pl);
	res = engine_finish(e);
	progress_end(&pg);
	res->version = BILLCHECK_VERSION;
	if (hist != NULL)
		history_trend(hist, res);
	ro.color = w->finding == NULL && use_color(&o);
	status = fails(res, o.fail_on) ? EXIT_FINDINGS : EXIT_CLEAN;
	if (has_failed_input(res))
		status = EXIT_TROUBLE;
	/* A lookup that failed leaves findings out: say so, record nothing. */
	if (history_failed(hist, &d)) {
		diag_print(stderr, &d, "error");
		status = EXIT_TROUBLE;
		written = false;
	}
	if (engine_stream_failed(e) || w->write(out.fp, res, &ro) < 0) {
		fprintf(stderr, "billcheck: %s: error: write error: %s\n",
		    o.output ? o.output : "<stdout>", strerror(errno));
		outfile_abort(&out);
		status = EXIT_TROUBLE;
		written = false;
	} else if (outfile_commit(&out, &d) < 0) {
		diag_print(stderr, &d, "error");
		status = EXIT_TROUBLE;
		written = false;
	}
	if (o.per_firm != NULL && write_per_firm(&o, w, res) < 0)
		status = EXIT_TROUBLE;
	if (o.summary != NULL && write_summary(o.summary, res) < 0)
		status = EXIT_TROUBLE;
	/* Only a run whose report is out is recorded (--no-record: never). */
	if (hist != NULL && !o.no_record && written &&
	    record_history(hist, &o, res) < 0)
		status = EXIT_TROUBLE;
	run_result_free(res);
	engine_free(e);
out:
	history_free(hist);
	if (o.stdin_spool != NULL)
		fclose(o.stdin_spool);
	rules_free(rs);
	for (i = 0; i < in.n; i++)
		free(in.paths[i]);
	free(in.paths);
	free(o.firms);
	return status;
}
