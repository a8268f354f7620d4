/* keymap.h - hash table from byte-string keys to fixed-size values.
 * The compact keyed state of group checks and of the engine's invoices. */
#ifndef BILLCHECK_KEYMAP_H
#define BILLCHECK_KEYMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct keymap keymap;

/* A map whose values are value_size bytes each, zeroed when created.
 * Free with keymap_free (keymap_free(NULL) is a no-op). */
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

/* Calls fn for every entry, in insertion order. */
void keymap_each(const keymap *m,
    void (*fn)(void *ctx, const void *key, size_t len, void *value),
    void *ctx);

/* Joins parts into a key: each part is length-prefixed so ("ab","c") and
 * ("a","bc") differ.  Returns the length written to buf (cap bytes), or 0
 * when it does not fit. */
size_t keymap_key(char *buf, size_t cap, const void *const *parts,
    const size_t *lens, size_t nparts);

uint64_t keymap_hash(const void *key, size_t len);

#endif
