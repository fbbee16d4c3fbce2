/*
 * arena.c - block allocator behind arena.h.  Small requests are carved
 * from 8 KiB blocks; a request larger than a block gets a block of its own.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <stdalign.h>

#include "util/arena.h"

#define ARENA_BLOCK 8192

struct arena_block {
	struct arena_block *next;
	size_t size; /* usable bytes in data */
	size_t used;
	alignas(max_align_t) unsigned char data[];
};

void arena_init(arena *a, size_t cap)
{
	a->head = NULL;
	a->total = 0;
	a->cap = cap;
}

static size_t align_up(size_t n)
{
	size_t al = alignof(max_align_t);
	return (n + al - 1) & ~(al - 1);
}

void *arena_alloc(arena *a, size_t n)
{
	struct arena_block *b = a->head;
	void *p;

	/* Before align_up and the block header are added, which could wrap. */
	if (n > a->cap || n > SIZE_MAX / 2)
		return NULL;
	n = align_up(n ? n : 1);
	if (!b || b->size - b->used < n) {
		size_t size = n > ARENA_BLOCK / 2 ? n : ARENA_BLOCK;
		if (size > a->cap || a->total > a->cap - size)
			return NULL;
		b = malloc(sizeof *b + size);
		if (!b)
			return NULL;
		b->size = size;
		b->used = 0;
		a->total += size;
		/* A big private block goes behind the current one, so the
		 * current block keeps serving small requests. */
		if (size > ARENA_BLOCK && a->head) {
			b->next = a->head->next;
			a->head->next = b;
		} else {
			b->next = a->head;
			a->head = b;
		}
	}
	p = b->data + b->used;
	b->used += n;
	memset(p, 0, n);
	return p;
}

char *arena_strndup(arena *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, n + 1);
	if (!p)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *arena_strdup(arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

void arena_free(arena *a)
{
	struct arena_block *b = a->head;
	while (b) {
		struct arena_block *next = b->next;
		/* A request's arena held opened records: wipe before release. */
		explicit_bzero(b->data, b->used);
		free(b);
		b = next;
	}
	a->head = NULL;
	a->total = 0;
}
