/*
 * utf8.c - strict UTF-8 validation after RFC 3629's table of well-formed
 * byte sequences.
 */
#include "util/utf8.h"

size_t utf8_char_len(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	unsigned char c;

	if (n == 0)
		return 0; /* before reading s[0]: an empty span may end a buffer */
	c = s[0];
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		return n >= 2 && (s[1] & 0xc0) == 0x80 ? 2 : 0;
	if (c >= 0xe0 && c <= 0xef) {
		unsigned char lo = c == 0xe0 ? 0xa0 : 0x80;
		unsigned char hi = c == 0xed ? 0x9f : 0xbf;
		if (n < 3 || s[1] < lo || s[1] > hi || (s[2] & 0xc0) != 0x80)
			return 0;
		return 3;
	}
	if (c >= 0xf0 && c <= 0xf4) {
		unsigned char lo = c == 0xf0 ? 0x90 : 0x80;
		unsigned char hi = c == 0xf4 ? 0x8f : 0xbf;
		if (n < 4 || s[1] < lo || s[1] > hi || (s[2] & 0xc0) != 0x80 ||
		    (s[3] & 0xc0) != 0x80)
			return 0;
		return 4;
	}
	return 0;
}

int utf8_valid(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		size_t k;
		if (s[i] == '\0')
			return 0;
		k = utf8_char_len(s + i, n - i);
		if (!k)
			return 0;
		i += k;
	}
	return 1;
}

size_t utf8_count(const char *s, size_t n)
{
	size_t i, count = 0;
	for (i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			count++;
	return count;
}
