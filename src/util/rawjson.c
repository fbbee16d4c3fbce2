/*
 * rawjson.c - see rawjson.h.  A recursive-descent walk of RFC 8259 JSON
 * that only checks and measures; depth is bounded.
 */
#include <string.h>

#include "util/rawjson.h"

#define RAWJSON_DEPTH 32

static const char *ws(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
	return p;
}

static int hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* p at the opening quote; the position after the closing one, or NULL. */
static const char *string_end(const char *p, const char *end, int *escaped)
{
	*escaped = 0;
	for (p++; p < end; p++) {
		unsigned char c = (unsigned char)*p;
		if (c == '"')
			return p + 1;
		if (c < 0x20)
			return NULL;
		if (c != '\\')
			continue;
		*escaped = 1;
		if (++p >= end)
			return NULL;
		if (*p == 'u') {
			if (end - p < 5 || !hex(p[1]) || !hex(p[2]) || !hex(p[3]) || !hex(p[4]))
				return NULL;
			p += 4;
		} else if (!strchr("\"\\/bfnrt", *p) || !*p) {
			return NULL;
		}
	}
	return NULL;
}

static const char *number_end(const char *p, const char *end)
{
	const char *s;
	if (p < end && *p == '-')
		p++;
	if (p >= end || *p < '0' || *p > '9')
		return NULL;
	if (*p == '0')
		p++;
	else
		while (p < end && *p >= '0' && *p <= '9')
			p++;
	if (p < end && *p == '.') {
		s = ++p;
		while (p < end && *p >= '0' && *p <= '9')
			p++;
		if (p == s)
			return NULL;
	}
	if (p < end && (*p == 'e' || *p == 'E')) {
		p++;
		if (p < end && (*p == '+' || *p == '-'))
			p++;
		s = p;
		while (p < end && *p >= '0' && *p <= '9')
			p++;
		if (p == s)
			return NULL;
	}
	return p;
}

static const char *value_end(const char *p, const char *end, int depth);

static const char *container_end(const char *p, const char *end, int depth)
{
	char close = *p == '{' ? '}' : ']';
	int obj = *p == '{', first = 1, esc;

	if (depth >= RAWJSON_DEPTH)
		return NULL;
	for (p = ws(p + 1, end); p < end; p = ws(p, end)) {
		if (*p == close)
			return p + 1;
		if (!first) {
			if (*p != ',')
				return NULL;
			p = ws(p + 1, end);
		}
		first = 0;
		if (obj) {
			if (p >= end || *p != '"' || !(p = string_end(p, end, &esc)))
				return NULL;
			p = ws(p, end);
			if (p >= end || *p != ':')
				return NULL;
			p = ws(p + 1, end);
		}
		if (!(p = value_end(p, end, depth + 1)))
			return NULL;
	}
	return NULL;
}

static const char *value_end(const char *p, const char *end, int depth)
{
	int esc;
	if (p >= end)
		return NULL;
	switch (*p) {
	case '"':
		return string_end(p, end, &esc);
	case '{':
	case '[':
		return container_end(p, end, depth);
	case 't':
		return end - p >= 4 && !memcmp(p, "true", 4) ? p + 4 : NULL;
	case 'f':
		return end - p >= 5 && !memcmp(p, "false", 5) ? p + 5 : NULL;
	case 'n':
		return end - p >= 4 && !memcmp(p, "null", 4) ? p + 4 : NULL;
	default:
		return number_end(p, end);
	}
}

int rawjson_members(const char *js, size_t n, struct rawjson_member *out, size_t max,
		    size_t *count)
{
	const char *p = ws(js, js + n), *end = js + n, *k, *ke, *v;
	int first = 1, esc;

	*count = 0;
	if (p >= end || *p != '{')
		return -1;
	for (p = ws(p + 1, end);; p = ws(p, end)) {
		if (p >= end)
			return -1;
		if (*p == '}')
			break;
		if (!first) {
			if (*p != ',')
				return -1;
			p = ws(p + 1, end);
		}
		first = 0;
		if (p >= end || *p != '"' || !(ke = string_end(p, end, &esc)) || esc)
			return -1;
		k = p + 1;
		p = ws(ke, end);
		if (p >= end || *p != ':')
			return -1;
		p = ws(p + 1, end);
		v = p;
		if (!(p = value_end(p, end, 1)) || *count == max)
			return -1;
		out[*count].key = k;
		out[*count].keylen = (size_t)(ke - 1 - k);
		out[*count].value = v;
		out[*count].len = (size_t)(p - v);
		(*count)++;
	}
	return ws(p + 1, end) == end ? 0 : -1;
}

const struct rawjson_member *rawjson_find(const struct rawjson_member *m, size_t count,
					  const char *key)
{
	size_t n = strlen(key), i;
	for (i = 0; i < count; i++)
		if (m[i].keylen == n && !memcmp(m[i].key, key, n))
			return &m[i];
	return NULL;
}
