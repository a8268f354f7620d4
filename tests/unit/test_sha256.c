/* test_sha256.c - SHA-256 against the FIPS 180-2 test vectors. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "sha256.h"

static void
sha256_hex__abc__fips_vector(void **state)
{
	char hex[SHA256_HEX_LEN + 1];

	(void)state;
	assert_string_equal(sha256_hex(hex, "abc", 3),
	    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

static void
sha256_hex__empty__fips_vector(void **state)
{
	char hex[SHA256_HEX_LEN + 1];

	(void)state;
	assert_string_equal(sha256_hex(hex, "", 0),
	    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

/* 56 bytes: the length no longer fits in the first padded block. */
static void
sha256_hex__two_block_message__fips_vector(void **state)
{
	static const char m[] =
	    "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	char hex[SHA256_HEX_LEN + 1];

	(void)state;
	assert_string_equal(sha256_hex(hex, m, sizeof(m) - 1),
	    "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

/* One million 'a', fed in uneven pieces so the partial-block path runs. */
static void
sha256_update__million_a_in_pieces__fips_vector(void **state)
{
	static const char want[] =
	    "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";
	static const char hexd[] = "0123456789abcdef";
	unsigned char md[SHA256_DIGEST_LEN];
	char a[1000], hex[SHA256_HEX_LEN + 1];
	struct sha256 c;
	size_t done = 0, step = 1;
	int i;

	(void)state;
	memset(a, 'a', sizeof(a));
	sha256_init(&c);
	while (done < 1000000) {
		size_t n = 1000000 - done < step ? 1000000 - done : step;

		sha256_update(&c, a, n);
		done += n;
		step = step % 900 + 37; /* 37..936, under sizeof(a) */
	}
	sha256_final(&c, md);
	for (i = 0; i < SHA256_DIGEST_LEN; i++) {
		hex[2 * i] = hexd[md[i] >> 4];
		hex[2 * i + 1] = hexd[md[i] & 0xf];
	}
	hex[SHA256_HEX_LEN] = '\0';
	assert_string_equal(hex, want);
}

static void
sha256_hex__million_a_at_once__fips_vector(void **state)
{
	char *m = test_malloc(1000000), hex[SHA256_HEX_LEN + 1];

	(void)state;
	memset(m, 'a', 1000000);
	assert_string_equal(sha256_hex(hex, m, 1000000),
	    "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	test_free(m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sha256_hex__abc__fips_vector),
		cmocka_unit_test(sha256_hex__empty__fips_vector),
		cmocka_unit_test(sha256_hex__two_block_message__fips_vector),
		cmocka_unit_test(
		    sha256_update__million_a_in_pieces__fips_vector),
		cmocka_unit_test(sha256_hex__million_a_at_once__fips_vector),
	};

	return cmocka_run_group_tests_name("sha256", tests, NULL, NULL);
}
