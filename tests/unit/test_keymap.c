/* test_keymap.c - the hash table behind invoices and group-check state. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "keymap.h"

static void
keymap__many_keys__all_found_with_values(void **state)
{
	keymap *m = keymap_new(sizeof(long));
	char key[32];
	bool created;
	long i, *v;

	(void)state;
	for (i = 0; i < 100000; i++) {
		int n = snprintf(key, sizeof(key), "tk%ld|2026-03-%02ld", i,
		    i % 28 + 1);

		v = keymap_put(m, key, (size_t)n, &created);
		assert_true(created);
		assert_int_equal(*v, 0);
		*v = i;
	}
	assert_int_equal(keymap_count(m), 100000);
	for (i = 0; i < 100000; i += 7) {
		int n = snprintf(key, sizeof(key), "tk%ld|2026-03-%02ld", i,
		    i % 28 + 1);

		v = keymap_get(m, key, (size_t)n);
		assert_non_null(v);
		assert_int_equal(*v, i);
		v = keymap_put(m, key, (size_t)n, &created);
		assert_false(created);
	}
	assert_null(keymap_get(m, "nope", 4));
	keymap_clear(m);
	assert_int_equal(keymap_count(m), 0);
	assert_null(keymap_get(m, "tk0|2026-03-01", 14));
	keymap_free(m);
}

static void
each_fn(void *ctx, const void *key, size_t len, void *value)
{
	char *out = ctx;

	(void)value;
	strncat(out, key, len);
	strncat(out, ",", 2);
}

static void
keymap_each__insertion_order(void **state)
{
	keymap *m = keymap_new(1);
	char out[64] = "";

	(void)state;
	keymap_put(m, "b", 1, NULL);
	keymap_put(m, "a", 1, NULL);
	keymap_put(m, "c", 1, NULL);
	keymap_put(m, "a", 1, NULL);
	keymap_each(m, each_fn, out);
	assert_string_equal(out, "b,a,c,");
	keymap_free(m);
}

static void
keymap_key__parts_are_length_prefixed(void **state)
{
	const void *p1[2] = {"ab", "c"}, *p2[2] = {"a", "bc"};
	size_t l1[2] = {2, 1}, l2[2] = {1, 2};
	char k1[32], k2[32];
	size_t n1, n2;

	(void)state;
	n1 = keymap_key(k1, sizeof(k1), p1, l1, 2);
	n2 = keymap_key(k2, sizeof(k2), p2, l2, 2);
	assert_int_equal(n1, n2);
	assert_memory_not_equal(k1, k2, n1);
	assert_int_equal(keymap_key(k1, 4, p1, l1, 2), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(keymap__many_keys__all_found_with_values),
		cmocka_unit_test(keymap_each__insertion_order),
		cmocka_unit_test(keymap_key__parts_are_length_prefixed),
	};
	return cmocka_run_group_tests_name("keymap", tests, NULL, NULL);
}
