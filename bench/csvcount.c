/* csvcount.c - the parser-alone baseline: libcsv counts the fields and rows
 * of a CSV file and does nothing else.
 *
 * usage: csvcount FILE
 *
 * It uses the options billcheck's reader uses (CSV_STRICT,
 * CSV_STRICT_FINI, CSV_APPEND_NULL) and the same 1 MiB reads, but feeds
 * whole buffers to csv_parse, which is as fast as libcsv goes. */
#define _POSIX_C_SOURCE 200809L
#include <csv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK ((size_t)1 << 20)

struct counts {
	unsigned long long fields, rows;
};

static void
on_field(void *data, size_t len, void *ctx)
{
	(void)data;
	(void)len;
	((struct counts *)ctx)->fields++;
}

static void
on_row(int c, void *ctx)
{
	(void)c;
	((struct counts *)ctx)->rows++;
}

int
main(int argc, char **argv)
{
	struct csv_parser p;
	struct counts n = {0, 0};
	FILE *fp;
	char *buf;
	size_t got;
	int rc = 0;

	if (argc != 2) {
		fputs("usage: csvcount FILE\n", stderr);
		return 2;
	}
	fp = fopen(argv[1], "rb");
	if (fp == NULL) {
		perror(argv[1]);
		return 2;
	}
	buf = malloc(CHUNK);
	if (buf == NULL || csv_init(&p, CSV_STRICT | CSV_STRICT_FINI |
	    CSV_APPEND_NULL) != 0) {
		fputs("csvcount: out of memory\n", stderr);
		return 2;
	}
	while ((got = fread(buf, 1, CHUNK, fp)) > 0) {
		if (csv_parse(&p, buf, got, on_field, on_row, &n) != got) {
			fprintf(stderr, "csvcount: %s: %s\n", argv[1],
			    csv_strerror(csv_error(&p)));
			rc = 1;
			break;
		}
	}
	if (ferror(fp)) {
		perror(argv[1]);
		rc = 2;
	}
	if (rc == 0 && csv_fini(&p, on_field, on_row, &n) != 0) {
		fprintf(stderr, "csvcount: %s: %s\n", argv[1],
		    csv_strerror(csv_error(&p)));
		rc = 1;
	}
	csv_free(&p);
	free(buf);
	fclose(fp);
	printf("%llu rows, %llu fields\n", n.rows, n.fields);
	return rc;
}
