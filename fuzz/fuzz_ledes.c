/* fuzz_ledes.c - libFuzzer target for the LEDES reader, through
 * input_reader as billcheck feeds it.
 *
 * The first byte chooses how the rest is read:
 *   bits 0-1  prefix: none (format by content), the LEDES1998B header
 *             records, the LEDES98BI V2 ones, or 1998B with CRLF;
 *   bits 2-3  the largest chunk fed at once: 1, 3, 64 or 4096 bytes;
 *   bit 4     also read with a small record limit (8 to 1028 bytes),
 *             whole and in chunks;
 *   bit 5     also run the input through the engine, the built-in rules
 *             and every report writer.
 * Oracles, besides ASan and UBSan: records = checked + rejected; no
 * rejected record goes unreported; where the chunks fall never changes a
 * line, a message or a position, with or without a record limit; and a
 * record over the limit never swallows the next one. */
#include "fuzz_common.h"

static char *hdr98b, *hdr98bi, *hdr98b_crlf;

static char *
make_header(const char *version, size_t nfields, const char *eol)
{
	size_t cap = 4096, n, i;
	char *h = malloc(cap);

	if (h == NULL)
		abort();
	n = (size_t)snprintf(h, cap, "%s[]%s", version, eol);
	for (i = 0; i < nfields; i++)
		n += (size_t)snprintf(h + n, cap - n, "%s%s", i ? "|" : "",
		    field_name((enum field_id)i));
	snprintf(h + n, cap - n, "[]%s", eol);
	return h;
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	hdr98b = make_header("LEDES1998B", LEDES98B_FIELDS, "\n");
	hdr98bi = make_header("LEDES98BI V2", LEDES98BI_FIELDS, "\n");
	hdr98b_crlf = make_header("LEDES1998B", LEDES98B_FIELDS, "\r\n");
	(void)fuzz_default_rules();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const size_t chunks[] = {1, 3, 64, 4096};
	struct input_opts opts;
	struct input_counts whole_c, chunk_c, small_c;
	struct fuzz_log whole, chunked, small;
	const char *prefix;
	unsigned mode;
	uint64_t seed;
	size_t plen, len;
	char *buf;

	if (size < 1)
		return 0;
	mode = data[0];
	data++;
	size--;
	switch (mode & 3) {
	case 0:
		prefix = "";
		break;
	case 1:
		prefix = hdr98b;
		break;
	case 2:
		prefix = hdr98bi;
		break;
	default:
		prefix = hdr98b_crlf;
		break;
	}
	plen = strlen(prefix);
	len = plen + size;
	buf = malloc(len ? len : 1);
	if (buf == NULL)
		abort();
	memcpy(buf, prefix, plen);
	if (size > 0)
		memcpy(buf + plen, data, size);
	seed = fuzz_hash(data, size, FUZZ_HASH0);

	memset(&opts, 0, sizeof(opts));
	opts.date_form = DATE_AUTO;
	fuzz_read(buf, len, &opts, 0, seed, &whole, &whole_c);
	fuzz_read(buf, len, &opts, chunks[(mode >> 2) & 3], seed, &chunked,
	    &chunk_c);
	if (!fuzz_log_eq(&whole, &chunked) ||
	    whole_c.records != chunk_c.records ||
	    whole_c.rejected != chunk_c.rejected ||
	    whole_c.failed != chunk_c.failed) {
		fuzz_log_dump("fed whole", &whole);
		fuzz_log_dump("fed in chunks", &chunked);
		FUZZ_ASSERT(!"chunking changed what was read");
	}
	if (mode & 16) {
		struct input_counts sw_c;
		struct fuzz_log sw;

		opts.max_record = 8 + (size > 1 ? data[size - 1] : 0) * 4;
		fuzz_read(buf, len, &opts, chunks[(mode >> 2) & 3], seed,
		    &small, &small_c);
		fuzz_read(buf, len, &opts, 0, seed, &sw, &sw_c);
		/* The limit holds however the bytes arrive. */
		if (!fuzz_log_eq(&sw, &small) ||
		    sw_c.records != small_c.records ||
		    sw_c.rejected != small_c.rejected) {
			fuzz_log_dump("fed whole, limit", &sw);
			fuzz_log_dump("fed in chunks, limit", &small);
			FUZZ_ASSERT(!"chunking changed what the limit let in");
		}
		free(sw.v);
		/* A record over the limit is rejected, never merged with the
		 * next one: with no file-level error there are at least as
		 * many records as without a limit (a blank run of spaces
		 * over the limit may count as one more). */
		if (small.errors == 0 && whole.errors == 0 &&
		    small_c.records < whole_c.records) {
			fprintf(stderr, "fuzz: limit %zu: %lu records, %lu "
			    "without a limit\n", opts.max_record,
			    small_c.records, whole_c.records);
			FUZZ_ASSERT(!"a record over the limit swallowed "
			    "another");
		}
		free(small.v);
		opts.max_record = 0;
	}
	if (mode & 32)
		fuzz_engine_run(fuzz_default_rules(), buf, len, &opts,
		    chunks[(mode >> 2) & 3], seed);
	free(whole.v);
	free(chunked.v);
	free(buf);
	return 0;
}
