/* arena.h - bump allocator: many small allocations, one free. */
#ifndef BILLCHECK_ARENA_H
#define BILLCHECK_ARENA_H

#include <stddef.h>

typedef struct arena arena;

/* Returns a new arena; the caller frees it (and all it gave out) with
 * arena_free.  arena_free(NULL) is a no-op. */
arena *arena_new(void);
void   arena_free(arena *a);

/* Zeroed, suitably aligned memory owned by the arena.  Never NULL. */
void *arena_alloc(arena *a, size_t n);
char *arena_strndup(arena *a, const char *s, size_t n);
char *arena_strdup(arena *a, const char *s);

#endif
