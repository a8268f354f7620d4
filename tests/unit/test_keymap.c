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

/* Every length from 0 to 40 (inline and out-of-line keys), with keys that
 * are prefixes of each other and differ in one byte only. */
static void
keymap__every_length__prefixes_and_one_byte_differ(void **state)
{
	keymap *m = keymap_new(sizeof(size_t));
	unsigned char key[41];
	size_t n, i, *v;
	bool created;

	(void)state;
	memset(key, 'k', sizeof(key));
	for (n = 0; n <= 40; n++) {
		v = keymap_put(m, key, n, &created);
		assert_true(created);
		*v = n;
		/* The same length, one byte other: first, middle and last. */
		for (i = 0; i < n; i++) {
			key[i] = 'x';
			v = keymap_put(m, key, n, &created);
			assert_true(created);
			*v = 1000 * n + i;
			key[i] = 'k';
		}
	}
	assert_int_equal(keymap_count(m), 41 + 40 * 41 / 2);
	for (n = 0; n <= 40; n++) {
		v = keymap_get(m, key, n);
		assert_non_null(v);
		assert_int_equal(*v, n);
		for (i = 0; i < n; i++) {
			key[i] = 'x';
			v = keymap_get(m, key, n);
			assert_non_null(v);
			assert_int_equal(*v, 1000 * n + i);
			key[i] = 'k';
		}
	}
	key[0] = 'y';
	for (n = 1; n <= 40; n++)
		assert_null(keymap_get(m, key, n));
	keymap_free(m);
}

struct collect {
	char   out[256];
	size_t n;
};

static void
collect_fn(void *ctx, const void *key, size_t len, void *value)
{
	struct collect *c = ctx;

	assert_int_equal((uintptr_t)value % 8, 0);
	assert_true(c->n + len + 1 < sizeof(c->out));
	memcpy(c->out + c->n, key, len);
	c->n += len;
	c->out[c->n++] = ',';
	c->out[c->n] = '\0';
}

/* Long keys come back whole in insertion order; a cleared map forgets
 * them and takes new ones, and values stay 8-byte aligned whatever their
 * size. */
static void
keymap_clear__long_keys__reused_in_order(void **state)
{
	static const char *const a[] = {
		"a-key-that-is-longer-than-sixteen", "short", "",
		"another-long-key-of-thirty-bytes",
	};
	keymap *m = keymap_new(3);
	struct collect c = {"", 0};
	int round, i;

	(void)state;
	for (round = 0; round < 3; round++) {
		for (i = 0; i < 4; i++)
			memset(keymap_put(m, a[i], strlen(a[i]), NULL), 'v', 3);
		c.n = 0;
		c.out[0] = '\0';
		keymap_each(m, collect_fn, &c);
		assert_string_equal(c.out, "a-key-that-is-longer-than-"
		    "sixteen,short,,another-long-key-of-thirty-bytes,");
		keymap_clear(m);
		assert_int_equal(keymap_count(m), 0);
		for (i = 0; i < 4; i++)
			assert_null(keymap_get(m, a[i], strlen(a[i])));
	}
	/* After clearing, a put makes a new zeroed value. */
	assert_memory_equal(keymap_put(m, a[0], strlen(a[0]), NULL),
	    "\0\0\0", 3);
	keymap_free(m);
}

/* keymap_hash names output files ("a_b-cb42d14f.json"): its values must
 * never change. */
static void
keymap_hash__stable_values(void **state)
{
	(void)state;
	assert_true(keymap_hash("", 0) == UINT64_C(0xe36f5519ee926a53));
	assert_int_equal((uint32_t)keymap_hash("a/b", 3), 0xcb42d14fu);
	assert_int_equal((uint32_t)keymap_hash("Smith & Jones LLP", 17),
	    0xbb3d1079u);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(keymap__many_keys__all_found_with_values),
		cmocka_unit_test(keymap_each__insertion_order),
		cmocka_unit_test(keymap_key__parts_are_length_prefixed),
		cmocka_unit_test(
		    keymap__every_length__prefixes_and_one_byte_differ),
		cmocka_unit_test(keymap_clear__long_keys__reused_in_order),
		cmocka_unit_test(keymap_hash__stable_values),
	};
	return cmocka_run_group_tests_name("keymap", tests, NULL, NULL);
}
