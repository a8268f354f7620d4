/* bytes.h - unaligned loads of 4 or 8 bytes, for the code that reads text
 * a word at a time (hashing, comparing, parsing digits). */
#ifndef BILLCHECK_BYTES_H
#define BILLCHECK_BYTES_H

#include <stdint.h>
#include <string.h>

/* In the machine's byte order: for hashing and comparing. */
static inline uint64_t
bytes_load64(const void *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static inline uint32_t
bytes_load32(const void *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/* Little-endian whatever the machine (byte i is bits 8i..8i+7), for code
 * that finds a byte by its position in the word; compilers make this one
 * load where the machine is little-endian. */
static inline uint64_t
bytes_load_le64(const void *p)
{
	const unsigned char *u = p;

	return (uint64_t)u[0] | (uint64_t)u[1] << 8 | (uint64_t)u[2] << 16 |
	    (uint64_t)u[3] << 24 | (uint64_t)u[4] << 32 |
	    (uint64_t)u[5] << 40 | (uint64_t)u[6] << 48 | (uint64_t)u[7] << 56;
}

#endif
