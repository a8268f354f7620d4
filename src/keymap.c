/* keymap.c - open-addressing hash table; entries live in insertion order
 * in one array, so iteration is deterministic and values do not scatter.
 *
 * A slot holds the entry's index and 32 bits of its key's hash, so a
 * probe past another key seldom leaves the slot array; the entry holds
 * the key (when short) next to the value, so a hit reads one more cache
 * line and returns. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bytes.h"
#include "keymap.h"
#include "xalloc.h"

struct slot {
	uint32_t hash;  /* the low 32 bits of the key's hash */
	uint32_t idx;   /* entry index + 1; 0 = empty */
};

/* The header of an entry; its value follows, 8-byte aligned. */
struct head {
	uint32_t hash;  /* as in its slot: rehashing needs no key */
	uint32_t len;   /* key length, or LONG_KEY */
	union {
		unsigned char b[KEYMAP_INLINE]; /* len <= KEYMAP_INLINE */
		struct {
			uint64_t off, len;      /* in keys[] */
		} far;
	} key;
};

#define LONG_KEY UINT32_MAX

struct keymap {
	size_t         value_size;
	size_t         stride;      /* header + value, a multiple of 8 */
	unsigned char *entries;     /* insertion order, stride bytes each */
	size_t         count, cap;
	char          *keys;        /* the bytes of keys too long to inline */
	size_t         keys_len, keys_cap;
	struct slot   *slots;
	size_t         nslots;      /* power of two */
};

/* The table's hash: 8 bytes a step, each folded in with a multiply and a
 * shift, and the last 1 to 8 bytes read as overlapping words (the length
 * is mixed in first, so that is still one value per key). */
static inline uint64_t
hash_bytes(const void *key, size_t len)
{
	const unsigned char *p = key;
	uint64_t h = (uint64_t)len * UINT64_C(0x9e3779b97f4a7c15) ^
	    UINT64_C(0x2545f4914f6cdd1d), w;
	size_t n = len;

	while (n > 8) {
		h = (h ^ bytes_load64(p)) * UINT64_C(0xbf58476d1ce4e5b9);
		h ^= h >> 29;
		p += 8;
		n -= 8;
	}
	if (n >= 4)
		w = bytes_load32(p) | (uint64_t)bytes_load32(p + n - 4) << 32;
	else if (n > 0)
		w = (uint64_t)p[0] | (uint64_t)p[n / 2] << 8 |
		    (uint64_t)p[n - 1] << 16;
	else
		w = 0;
	h = (h ^ w) * UINT64_C(0x94d049bb133111eb);
	h ^= h >> 32;
	h *= UINT64_C(0xff51afd7ed558ccd);
	h ^= h >> 29;
	return h;
}

/* a[0..n) == b[0..n) for n <= KEYMAP_INLINE, by overlapping words. */
static bool
short_eq(const unsigned char *a, const unsigned char *b, size_t n)
{
	if (n >= 8)
		return bytes_load64(a) == bytes_load64(b) &&
		    bytes_load64(a + n - 8) == bytes_load64(b + n - 8);
	if (n >= 4)
		return bytes_load32(a) == bytes_load32(b) &&
		    bytes_load32(a + n - 4) == bytes_load32(b + n - 4);
	return n == 0 || (a[0] == b[0] && a[n / 2] == b[n / 2] &&
	    a[n - 1] == b[n - 1]);
}

uint64_t
keymap_hash(const void *key, size_t len)
{
	/* FNV-1a, then a final mix so low bits are usable as the slot. */
	const unsigned char *p = key;
	uint64_t h = 1469598103934665603ULL;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= p[i];
		h *= 1099511628211ULL;
	}
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return h;
}

keymap *
keymap_new(size_t value_size)
{
	keymap *m = xcalloc(1, sizeof(*m));

	m->value_size = value_size ? value_size : 1;
	m->stride = sizeof(struct head) + ((m->value_size + 7) & ~(size_t)7);
	return m;
}

void
keymap_free(keymap *m)
{
	if (m == NULL)
		return;
	free(m->entries);
	free(m->keys);
	free(m->slots);
	free(m);
}

/* The first slot to try for hash h: its top bits, after a multiply that
 * spreads every bit upward. */
static size_t
home(uint32_t h, size_t mask)
{
	return (size_t)((uint64_t)h * UINT64_C(0x9e3779b97f4a7c15) >> 32) &
	    mask;
}

static struct head *
entry(const keymap *m, size_t i)
{
	return (struct head *)(void *)(m->entries + i * m->stride);
}

static void
rehash(keymap *m, size_t nslots)
{
	size_t i, mask = nslots - 1;

	free(m->slots);
	m->slots = xcalloc(nslots, sizeof(*m->slots));
	m->nslots = nslots;
	for (i = 0; i < m->count; i++) {
		uint32_t h = entry(m, i)->hash;
		size_t s = home(h, mask);

		while (m->slots[s].idx != 0)
			s = (s + 1) & mask;
		m->slots[s].hash = h;
		m->slots[s].idx = (uint32_t)(i + 1);
	}
}

/* The slow half of key_eq, kept out of line so lookups of short keys
 * stay small. */
static bool
long_key_eq(const keymap *m, const struct head *e, const void *key,
    size_t len)
{
	return e->len == LONG_KEY && e->key.far.len == len &&
	    memcmp(m->keys + e->key.far.off, key, len) == 0;
}

static inline bool
key_eq(const keymap *m, const struct head *e, const void *key, size_t len)
{
	if (len <= KEYMAP_INLINE)
		return e->len == len && short_eq(e->key.b, key, len);
	return long_key_eq(m, e, key, len);
}

/* The slot of key, or the empty slot where it would go. */
static inline size_t
find_slot(const keymap *m, const void *key, size_t len, uint32_t h)
{
	const struct slot *slots = m->slots;
	size_t mask = m->nslots - 1, s = home(h, mask);

	for (;; s = (s + 1) & mask) {
		uint32_t idx = slots[s].idx;

		if (idx == 0 || (slots[s].hash == h &&
		    key_eq(m, entry(m, idx - 1), key, len)))
			return s;
	}
}

void *
keymap_get(const keymap *m, const void *key, size_t len)
{
	size_t s;

	if (m->count == 0)
		return NULL;
	s = find_slot(m, key, len, (uint32_t)hash_bytes(key, len));
	if (m->slots[s].idx == 0)
		return NULL;
	return (unsigned char *)entry(m, m->slots[s].idx - 1) +
	    sizeof(struct head);
}

void *
keymap_put(keymap *m, const void *key, size_t len, bool *created)
{
	uint32_t h = (uint32_t)hash_bytes(key, len);
	struct head *e;
	uint64_t *w;
	size_t s, i, j, mask;

	if (m->nslots == 0 || (m->count + 1) * 4 > m->nslots * 3)
		rehash(m, m->nslots ? m->nslots * 2 : 64);
	/* find_slot, written out: this is the hot path of every group
	 * check. */
	mask = m->nslots - 1;
	for (s = home(h, mask);; s = (s + 1) & mask) {
		uint32_t idx = m->slots[s].idx;

		if (idx == 0)
			break;
		if (m->slots[s].hash != h)
			continue;
		e = entry(m, idx - 1);
		if (key_eq(m, e, key, len)) {
			if (created != NULL)
				*created = false;
			return (unsigned char *)e + sizeof(struct head);
		}
	}
	if (m->count >= UINT32_MAX - 1) {
		/* Slots index entries with 32 bits. */
		fputs("billcheck: out of memory\n", stderr);
		abort();
	}
	if (m->count + 1 > m->cap)
		xgrow(&m->entries, &m->cap, m->count + 1, m->stride);
	i = m->count++;
	e = entry(m, i);
	/* Zeroed a word at a time: entries are small, and a call to memset
	 * would cost more than the stores. */
	w = (uint64_t *)(void *)e;
	for (j = m->stride / 8; j > 0; j--)
		*w++ = 0;
	e->hash = h;
	if (len <= KEYMAP_INLINE) {
		const unsigned char *k = key;

		e->len = (uint32_t)len;
		if (len >= 8) {
			memcpy(e->key.b, k, 8);
			memcpy(e->key.b + len - 8, k + len - 8, 8);
		} else if (len >= 4) {
			memcpy(e->key.b, k, 4);
			memcpy(e->key.b + len - 4, k + len - 4, 4);
		} else if (len > 0) {
			e->key.b[0] = k[0];
			e->key.b[len / 2] = k[len / 2];
			e->key.b[len - 1] = k[len - 1];
		}
	} else {
		xgrow(&m->keys, &m->keys_cap, m->keys_len + len, 1);
		memcpy(m->keys + m->keys_len, key, len);
		e->len = LONG_KEY;
		e->key.far.off = m->keys_len;
		e->key.far.len = len;
		m->keys_len += len;
	}
	m->slots[s].hash = h;
	m->slots[s].idx = (uint32_t)(i + 1);
	if (created != NULL)
		*created = true;
	return (unsigned char *)e + sizeof(struct head);
}

size_t
keymap_count(const keymap *m)
{
	return m->count;
}

/* Empties the slots the entries use, not the whole index: a map cleared
 * for each invoice then costs what was put in it, however large the
 * biggest invoice made it. */
void
keymap_clear(keymap *m)
{
	size_t i, mask = m->nslots - 1;

	for (i = 0; i < m->count; i++) {
		size_t s = home(entry(m, i)->hash, mask);

		while (m->slots[s].idx != (uint32_t)(i + 1))
			s = (s + 1) & mask;
		m->slots[s].idx = 0;
	}
	m->count = 0;
	m->keys_len = 0;
}

void
keymap_each(const keymap *m,
    void (*fn)(void *ctx, const void *key, size_t len, void *value),
    void *ctx)
{
	size_t i;

	for (i = 0; i < m->count; i++) {
		struct head *e = entry(m, i);
		void *v = (unsigned char *)e + sizeof(struct head);

		if (e->len == LONG_KEY)
			fn(ctx, m->keys + e->key.far.off,
			    (size_t)e->key.far.len, v);
		else
			fn(ctx, e->key.b, e->len, v);
	}
}

size_t
keymap_key(char *buf, size_t cap, const void *const *parts,
    const size_t *lens, size_t nparts)
{
	size_t o = 0, i;

	for (i = 0; i < nparts; i++) {
		uint32_t n = (uint32_t)lens[i];

		if (o + sizeof(n) + lens[i] > cap)
			return 0;
		memcpy(buf + o, &n, sizeof(n));
		o += sizeof(n);
		if (lens[i] > 0)
			memcpy(buf + o, parts[i], lens[i]);
		o += lens[i];
	}
	return o;
}
