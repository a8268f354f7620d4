/* sha256.h - SHA-256 (FIPS 180-4), for the rules file's fingerprint. */
#ifndef BILLCHECK_SHA256_H
#define BILLCHECK_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_DIGEST_LEN 32
#define SHA256_HEX_LEN    64

/* Caller-owned (on the stack): sha256_init, any number of sha256_update,
 * then sha256_final. */
struct sha256 {
	uint32_t      h[8];    /* the running hash state */
	uint64_t      nbytes;  /* message length so far */
	unsigned char buf[64]; /* a partial block not yet compressed */
	size_t        nbuf;    /* bytes used in buf */
};

void sha256_init(struct sha256 *c);
void sha256_update(struct sha256 *c, const void *p, size_t n);
/* Writes the digest; c must be initialised again before reuse. */
void sha256_final(struct sha256 *c, unsigned char out[SHA256_DIGEST_LEN]);

/* The lower-case hex digest of p[0..n) into out (NUL-terminated); returns
 * out. */
char *sha256_hex(char out[SHA256_HEX_LEN + 1], const void *p, size_t n);

#endif
