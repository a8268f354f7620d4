/* fuzz_csv.c - libFuzzer target for the delimited-export reader, through
 * input_reader as billcheck feeds it.
 *
 * The first byte chooses how the rest is read:
 *   bits 0-1  prefix: none (the data's first line is the header), a
 *             comma header with the common aliases, a ';' header, or a
 *             header of LEDES field names;
 *   bits 2-3  the largest chunk fed at once: 1, 3, 64 or 4096 bytes;
 *   bit 4     a small record limit (8 to 1028 bytes) for both reads;
 *   bit 5     dates read DD/MM/YYYY;
 *   bit 6     --set LAW_FIRM_ID and INVOICE_DATE defaults;
 *   bit 7     also run the input through the engine, the built-in rules
 *             and every report writer.
 * Oracles, besides ASan and UBSan: records = checked + rejected; no
 * rejected record goes unreported; and where the chunks fall never
 * changes a line, a message or a position, even at the record limit. */
#include "fuzz_common.h"

static char *hdr_ledes;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	size_t cap = 4096, n = 0, i;

	(void)argc;
	(void)argv;
	hdr_ledes = malloc(cap);
	if (hdr_ledes == NULL)
		abort();
	for (i = 0; i < LEDES98BI_FIELDS; i++)
		n += (size_t)snprintf(hdr_ledes + n, cap - n, "%s%s",
		    i ? "," : "", field_name((enum field_id)i));
	snprintf(hdr_ledes + n, cap - n, "\r\n");
	(void)fuzz_default_rules();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const size_t chunks[] = {1, 3, 64, 4096};
	static const char *const prefixes[] = {
		"",
		"Invoice,Invoice Date,Matter,Firm ID,Date,Timekeeper,"
		"Timekeeper Name,Class,Hours,Rate,Amount,Task Code,"
		"Activity Code,Expense Code,Type,Description\n",
		"Date;Timekeeper;Hours;Rate;Amount;Description;Tax;Currency\n",
		NULL, /* hdr_ledes */
	};
	struct input_opts opts;
	struct input_counts whole_c, chunk_c;
	struct fuzz_log whole, chunked;
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
	prefix = prefixes[mode & 3] != NULL ? prefixes[mode & 3] : hdr_ledes;
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
	opts.date_form = (mode & 32) ? DATE_DMY : DATE_AUTO;
	if (mode & 16)
		opts.max_record = 8 + (size > 1 ? data[size - 1] : 0) * 4;
	if (mode & 64) {
		opts.defaults[F_LAW_FIRM_ID] = "24-6437381";
		opts.defaults[F_INVOICE_DATE] = "2026-03-31";
	}
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
	if (mode & 128)
		fuzz_engine_run(fuzz_default_rules(), buf, len, &opts,
		    chunks[(mode >> 2) & 3], seed);
	free(whole.v);
	free(chunked.v);
	free(buf);
	return 0;
}
