/*
 * utf8.h - strict UTF-8 checks (no overlongs, no surrogates, <= U+10FFFF).
 */
#ifndef HIMOYA_UTF8_H
#define HIMOYA_UTF8_H

#include <stddef.h>

/* Length of the valid sequence at s (1-4), or 0 when it is invalid. */
size_t utf8_char_len(const char *s, size_t n);
/* 1 when s[0..n) is valid UTF-8 without NUL bytes. */
int utf8_valid(const char *s, size_t n);
/* Number of code points in valid UTF-8. */
size_t utf8_count(const char *s, size_t n);

#endif
