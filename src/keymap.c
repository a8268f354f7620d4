/* keymap.c - open-addressing hash table; entries live in insertion order
 * in one array, so iteration is deterministic and values do not scatter. */
#include <stdlib.h>
#include <string.h>

#include "keymap.h"
#include "xalloc.h"

struct entry {
	uint64_t hash;
	size_t   key_off, key_len; /* in keys[] */
};

struct keymap {
	size_t         value_size;
	struct entry  *entries;     /* insertion order */
	unsigned char *values;      /* value_size bytes per entry */
	size_t         count, cap;
	char          *keys;        /* all key bytes */
	size_t         keys_len, keys_cap;
	uint32_t      *slots;       /* entry index + 1; 0 = empty */
	size_t         nslots;      /* power of two */
};

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
	return m;
}

void
keymap_free(keymap *m)
{
	if (m == NULL)
		return;
	free(m->entries);
	free(m->values);
	free(m->keys);
	free(m->slots);
	free(m);
}

static void
rehash(keymap *m, size_t nslots)
{
	size_t i;

	free(m->slots);
	m->slots = xcalloc(nslots, sizeof(*m->slots));
	m->nslots = nslots;
	for (i = 0; i < m->count; i++) {
		size_t s = m->entries[i].hash & (nslots - 1);

		while (m->slots[s] != 0)
			s = (s + 1) & (nslots - 1);
		m->slots[s] = (uint32_t)(i + 1);
	}
}

static size_t
find_slot(const keymap *m, const void *key, size_t len, uint64_t h)
{
	size_t s = h & (m->nslots - 1);

	for (;;) {
		uint32_t e = m->slots[s];
		const struct entry *en;

		if (e == 0)
			return s;
		en = &m->entries[e - 1];
		if (en->hash == h && en->key_len == len &&
		    memcmp(m->keys + en->key_off, key, len) == 0)
			return s;
		s = (s + 1) & (m->nslots - 1);
	}
}

void *
keymap_get(const keymap *m, const void *key, size_t len)
{
	size_t s;

	if (m->count == 0)
		return NULL;
	s = find_slot(m, key, len, keymap_hash(key, len));
	if (m->slots[s] == 0)
		return NULL;
	return m->values + (size_t)(m->slots[s] - 1) * m->value_size;
}

void *
keymap_put(keymap *m, const void *key, size_t len, bool *created)
{
	uint64_t h = keymap_hash(key, len);
	size_t s, i;
	struct entry *en;
	void *v;

	if (m->nslots == 0 || (m->count + 1) * 4 > m->nslots * 3)
		rehash(m, m->nslots ? m->nslots * 2 : 64);
	s = find_slot(m, key, len, h);
	if (m->slots[s] != 0) {
		if (created != NULL)
			*created = false;
		return m->values + (size_t)(m->slots[s] - 1) * m->value_size;
	}
	if (m->count + 1 > m->cap) {
		size_t cap = m->cap;

		xgrow(&m->entries, &cap, m->count + 1, sizeof(*m->entries));
		m->values = xrealloc(m->values, cap * m->value_size);
		m->cap = cap;
	}
	xgrow(&m->keys, &m->keys_cap, m->keys_len + len + 1, 1);
	i = m->count++;
	en = &m->entries[i];
	en->hash = h;
	en->key_off = m->keys_len;
	en->key_len = len;
	if (len > 0)
		memcpy(m->keys + m->keys_len, key, len);
	m->keys_len += len;
	m->slots[s] = (uint32_t)(i + 1);
	v = m->values + i * m->value_size;
	memset(v, 0, m->value_size);
	if (created != NULL)
		*created = true;
	return v;
}

size_t
keymap_count(const keymap *m)
{
	return m->count;
}

void
keymap_clear(keymap *m)
{
	m->count = 0;
	m->keys_len = 0;
	if (m->slots != NULL)
		memset(m->slots, 0, m->nslots * sizeof(*m->slots));
}

void
keymap_each(const keymap *m,
    void (*fn)(void *ctx, const void *key, size_t len, void *value),
    void *ctx)
{
	size_t i;

	for (i = 0; i < m->count; i++)
		fn(ctx, m->keys + m->entries[i].key_off,
		    m->entries[i].key_len, m->values + i * m->value_size);
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
