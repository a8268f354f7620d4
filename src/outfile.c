/* outfile.c - temporary file, fsync, rename: never half a report. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "outfile.h"
#include "xalloc.h"

/* Whether what is written to fp can be read before the run ends. */
static bool
is_live(FILE *fp)
{
	struct stat st;
	int fd = fileno(fp);

	if (fd < 0 || fstat(fd, &st) != 0)
		return true;
	return S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode) || isatty(fd);
}

/*
 * A report of a big run is megabytes: written in blocks of 64 KB it takes
 * a sixteenth of the write(2) calls stdio's 4 KB default would.  A live
 * output keeps its default buffering (a terminal's is by line).
 */
#define OUT_BLOCK ((size_t)1 << 16)

static void
use_big_buffer(struct outfile *o)
{
	static char stdout_buf[OUT_BLOCK];

	if (o->live)
		return;
	if (o->fp == stdout) {
		(void)setvbuf(o->fp, stdout_buf, _IOFBF, sizeof(stdout_buf));
		return;
	}
	o->buf = xmalloc(OUT_BLOCK);
	(void)setvbuf(o->fp, o->buf, _IOFBF, OUT_BLOCK);
}

int
outfile_open(struct outfile *o, const char *path, struct diag *d)
{
	const char *slash;
	struct stat st;
	size_t dirlen;
	mode_t mask;
	int fd;

	memset(o, 0, sizeof(*o));
	if (path == NULL || strcmp(path, "-") == 0) {
		o->fp = stdout;
		o->live = is_live(stdout);
		use_big_buffer(o);
		return 0;
	}
	/* A device or pipe (/dev/stdout, a fifo) cannot be renamed over:
	 * write to it directly. */
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		o->fp = fopen(path, "w");
		if (o->fp == NULL)
			return diag_set(d, DIAG_IO,
			    (struct diag_pos){path, 0, 0}, "cannot open: %s",
			    strerror(errno));
		o->direct = true;
		o->live = is_live(o->fp);
		use_big_buffer(o);
		o->path = xstrdup(path);
		return 0;
	}
	o->path = xstrdup(path);
	slash = strrchr(path, '/');
	dirlen = slash ? (size_t)(slash - path) + 1 : 0;
	o->tmp = xmalloc(dirlen + 32);
	memcpy(o->tmp, path, dirlen);
	memcpy(o->tmp + dirlen, ".billcheck-XXXXXX", 18);
	fd = mkstemp(o->tmp);
	if (fd < 0) {
		diag_set(d, DIAG_IO, (struct diag_pos){path, 0, 0},
		    "cannot create a file beside it: %s", strerror(errno));
		free(o->path);
		free(o->tmp);
		memset(o, 0, sizeof(*o));
		return -1;
	}
	/* mkstemp makes 0600; a report gets the usual umask mode. */
	mask = umask(0);
	umask(mask);
	(void)fchmod(fd, 0666 & ~mask);
	o->fp = fdopen(fd, "w");
	if (o->fp == NULL) {
		close(fd);
		unlink(o->tmp);
		free(o->path);
		free(o->tmp);
		memset(o, 0, sizeof(*o));
		return diag_set(d, DIAG_IO, (struct diag_pos){path, 0, 0},
		    "cannot open: %s", strerror(errno));
	}
	use_big_buffer(o);
	return 0;
}

int
outfile_commit(struct outfile *o, struct diag *d)
{
	const char *name = o->path ? o->path : "<stdout>";
	int err = 0;

	errno = 0;
	if (fflush(o->fp) != 0 || ferror(o->fp))
		err = errno ? errno : EIO;
	if (o->direct) {
		if (fclose(o->fp) != 0 && err == 0)
			err = errno ? errno : EIO;
		if (err != 0)
			diag_set(d, DIAG_IO, (struct diag_pos){name, 0, 0},
			    "write error: %s", strerror(err));
		free(o->buf);
		free(o->path);
		memset(o, 0, sizeof(*o));
		return err ? -1 : 0;
	}
	if (o->path == NULL) {
		if (err != 0)
			return diag_set(d, DIAG_IO,
			    (struct diag_pos){name, 0, 0},
			    "write error: %s", strerror(err));
		return 0;
	}
	if (err == 0 && fsync(fileno(o->fp)) != 0 && errno != EINVAL)
		err = errno;
	if (fclose(o->fp) != 0 && err == 0)
		err = errno;
	o->fp = NULL;
	free(o->buf);
	o->buf = NULL;
	if (err == 0 && rename(o->tmp, o->path) != 0)
		err = errno;
	if (err != 0) {
		unlink(o->tmp);
		diag_set(d, DIAG_IO, (struct diag_pos){name, 0, 0},
		    "cannot write the report: %s", strerror(err));
	}
	free(o->path);
	free(o->tmp);
	o->path = o->tmp = NULL;
	return err ? -1 : 0;
}

void
outfile_abort(struct outfile *o)
{
	if (o->direct) {
		fclose(o->fp);
		free(o->buf);
		free(o->path);
		memset(o, 0, sizeof(*o));
		return;
	}
	if (o->path == NULL)
		return;
	if (o->fp != NULL)
		fclose(o->fp);
	free(o->buf);
	unlink(o->tmp);
	free(o->path);
	free(o->tmp);
	memset(o, 0, sizeof(*o));
}
