/*
 * buf.h - a growable byte buffer with a hard cap (after git's strbuf and
 * curl's dynbuf).
 *
 * Invariants: `data` is never NULL after buf_init (it points at a shared
 * empty string until the first append) and is always NUL-terminated;
 * `len` excludes the NUL.  Appending past `cap` sets `overflow`, keeps
 * what fitted and drops the rest: check buf_ok() before using the result.
 * buf_detach() hands the malloc'd bytes to the caller.
 */
#ifndef HIMOYA_BUF_H
#define HIMOYA_BUF_H

#include <stddef.h>
#include <stdarg.h>

typedef struct buf {
	char *data;
	size_t len;
	size_t alloc;   /* 0 while data is the shared empty string */
	size_t cap;     /* most bytes ever held, excluding the NUL */
	int overflow;   /* an append did not fit, or malloc failed */
} buf;

void buf_init(buf *b, size_t cap);
void buf_free(buf *b);
void buf_reset(buf *b);
void buf_add(buf *b, const void *p, size_t n);
void buf_puts(buf *b, const char *s);
void buf_putc(buf *b, char c);
void buf_printf(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vprintf(buf *b, const char *fmt, va_list ap);
/* Hand the bytes over (caller frees); the buffer is left empty. */
char *buf_detach(buf *b, size_t *len);
static inline int buf_ok(const buf *b) { return !b->overflow; }

#endif
