/*
 * buf.c - capped growable buffer; see buf.h for the invariants.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"

static char buf_empty[1];

void buf_init(buf *b, size_t cap)
{
	b->data = buf_empty;
	b->len = 0;
	b->alloc = 0;
	b->cap = cap;
	b->overflow = 0;
}

void buf_free(buf *b)
{
	/* Bodies and answers carry personal data: wiped before release. */
	if (b->alloc) {
		explicit_bzero(b->data, b->alloc);
		free(b->data);
	}
	buf_init(b, b->cap);
}

void buf_reset(buf *b)
{
	b->len = 0;
	b->overflow = 0;
	if (b->alloc)
		b->data[0] = '\0';
}

/* Make room for n more bytes plus the NUL; 0 on success. */
static int buf_grow(buf *b, size_t n)
{
	size_t want, alloc;
	char *p;

	if (b->overflow)
		return -1;
	if (n > b->cap - b->len) {
		b->overflow = 1;
		return -1;
	}
	want = b->len + n + 1;
	if (want <= b->alloc)
		return 0;
	alloc = b->alloc ? b->alloc : 1024; /* most answers fit the first allocation */
	while (alloc < want)
		alloc *= 2;
	if (alloc > b->cap + 1)
		alloc = b->cap + 1;
	/* Not realloc: it would leave the old copy behind unwiped. */
	p = malloc(alloc);
	if (!p) {
		b->overflow = 1;
		return -1;
	}
	if (b->alloc) {
		memcpy(p, b->data, b->len + 1);
		explicit_bzero(b->data, b->alloc);
		free(b->data);
	} else {
		p[0] = '\0';
	}
	b->data = p;
	b->alloc = alloc;
	return 0;
}

void buf_add(buf *b, const void *p, size_t n)
{
	if (n == 0 || buf_grow(b, n))
		return;
	memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void buf_puts(buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

void buf_putc(buf *b, char c)
{
	buf_add(b, &c, 1);
}

void buf_vprintf(buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	int n;

	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0 || buf_grow(b, (size_t)n))
		return;
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void buf_printf(buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(b, fmt, ap);
	va_end(ap);
}

char *buf_detach(buf *b, size_t *len)
{
	char *p;

	if (len)
		*len = b->len;
	if (!b->alloc) {
		p = malloc(1);
		if (p)
			p[0] = '\0';
	} else {
		p = b->data;
	}
	buf_init(b, b->cap);
	return p;
}
