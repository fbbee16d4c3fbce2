/*
 * arena.h - a memory arena per request (after h2o's mem pool).
 *
 * Handlers allocate freely from the request's arena and free nothing by
 * hand: arena_free() releases everything when the request completes.
 * Every arena has a hard cap; past it arena_alloc() returns NULL and the
 * caller answers with an error instead of growing without bound.
 */
#ifndef HIMOYA_ARENA_H
#define HIMOYA_ARENA_H

#include <stddef.h>

struct arena_block;

typedef struct arena {
	struct arena_block *head; /* newest block first; NULL when empty */
	size_t total;             /* bytes taken from malloc so far */
	size_t cap;               /* hard cap on total */
} arena;

void arena_init(arena *a, size_t cap);
/* n bytes aligned for any type, zeroed; NULL past the cap or on ENOMEM. */
void *arena_alloc(arena *a, size_t n);
/* Copy of s[0..n) with a NUL after it; NULL as arena_alloc. */
char *arena_strndup(arena *a, const char *s, size_t n);
char *arena_strdup(arena *a, const char *s);
/* Release every block; the arena may be used again afterwards. */
void arena_free(arena *a);

#endif
