/* fixture_store.h - test support: a hand-made run_result's findings, kept
 * in a real finding store.  Header-only so each test binary stays one
 * file. */
#ifndef BILLCHECK_TEST_FIXTURE_STORE_H
#define BILLCHECK_TEST_FIXTURE_STORE_H

#include <string.h>

#include "findings.h"

static inline struct text
fixture_text(const char *s)
{
	return (struct text){s, strlen(s)};
}

/* Stores f[0..n) (their strings must outlive the store) as res's sorted
 * findings.  The store before it, if any, is freed; the last one stays
 * reachable for the process's life. */
static inline void
fixture_store(struct run_result *res, const struct finding *f, size_t n)
{
	static finding_store *fs;
	struct finding_texts t;
	size_t i;

	findings_free(fs);
	fs = findings_new(0);
	for (i = 0; i < n; i++) {
		memset(&t, 0, sizeof(t));
		t.line = fixture_text(f[i].line);
		t.timekeeper = fixture_text(f[i].timekeeper);
		t.tk_name = fixture_text(f[i].tk_name);
		t.description = fixture_text(f[i].description);
		t.message[0] = fixture_text(f[i].message);
		assert_non_null(findings_add(fs, &f[i], &t));
	}
	findings_sort(fs);
	res->findings = fs;
	res->nfindings = n;
	res->findings_first = 0;
}

#endif
