/* keymap.h - hash table from byte-string keys to fixed-size values.
 * The compact keyed state of group checks and of the engine's invoices.
 *
 * Memory: an entry is a 24-byte header (hash, length, and the key itself
 * when it is at most KEYMAP_INLINE bytes) followed by its value rounded
 * up to 8 bytes, in one insertion-ordered array; the index is 8 bytes a
 * slot at load 3/8 to 3/4.  So an entry costs 24 + value + 11 to 22
 * bytes, plus its key bytes when longer than KEYMAP_INLINE, plus up to
 * as much again just after the entry array doubles. */
#ifndef BILLCHECK_KEYMAP_H
#define BILLCHECK_KEYMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Keys up to this many bytes live in their entry: a lookup of one then
 * reads two cache lines, its slot and its entry. */
#define KEYMAP_INLINE 16

typedef struct keymap keymap;

/* A map whose values are value_size bytes each, zeroed when created.
 * Values are 8-byte aligned.  Free with keymap_free (keymap_free(NULL) is
 * a no-op). */
keymap *keymap_new(size_t value_size);
void    keymap_free(keymap *m);

/* The value for key[0..len), or NULL.  Pointers stay valid until the
 * next keymap_put or keymap_clear. */
void *keymap_get(const keymap *m, const void *key, size_t len);

/* The value for key, created (zeroed) when absent; *created (may be NULL)
 * says which.  The key bytes are copied. */
void *keymap_put(keymap *m, const void *key, size_t len, bool *created);

size_t keymap_count(const keymap *m);
void   keymap_clear(keymap *m);

/* Calls fn for every entry, in insertion order.  fn must not put into or
 * clear m. */
void keymap_each(const keymap *m,
    void (*fn)(void *ctx, const void *key, size_t len, void *value),
    void *ctx);

/* Joins parts into a key: each part is length-prefixed so ("ab","c") and
 * ("a","bc") differ.  Returns the length written to buf (cap bytes), or 0
 * when it does not fit. */
size_t keymap_key(char *buf, size_t cap, const void *const *parts,
    const size_t *lens, size_t nparts);

/* A hash of key[0..len) that never changes between versions (FNV-1a,
 * mixed): output file names are made with it.  The table itself uses a
 * faster hash of its own. */
uint64_t keymap_hash(const void *key, size_t len);

#endif
