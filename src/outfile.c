/* outfile.c - temporary file, fsync, rename: never half a report. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "outfile.h"
#include "xalloc.h"

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
		free(o->path);
		memset(o, 0, sizeof(*o));
		return;
	}
	if (o->path == NULL)
		return;
	if (o->fp != NULL)
		fclose(o->fp);
	unlink(o->tmp);
	free(o->path);
	free(o->tmp);
	memset(o, 0, sizeof(*o));
}
