/*
 * router.c - segment-by-segment matching of the routing table, the Allow
 * header of a path, and the check of a raw request target.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/router.h"
#include "util/utf8.h"

#define PARAM_MAX 128

static int param_char_ok(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '-' || c == '.';
}

/* Match path against pattern; notes where each placeholder's text starts. */
static int match_one(const char *pat, const char *path, const char **start, size_t *len, int *np)
{
	*np = 0;
	for (;;) {
		if (pat[0] == '{' && pat[1] == '}') {
			size_t n = 0;
			while (path[n] && path[n] != '/') {
				if (!param_char_ok(path[n]))
					return 0;
				n++;
			}
			if (n == 0 || n > PARAM_MAX || *np == MAX_PARAMS)
				return 0;
			if (n == 1 && path[0] == '.')
				return 0;
			if (n == 2 && path[0] == '.' && path[1] == '.')
				return 0;
			start[*np] = path;
			len[*np] = n;
			(*np)++;
			pat += 2;
			path += n;
			continue;
		}
		if (*pat != *path)
			return 0;
		if (*pat == '\0')
			return 1;
		pat++;
		path++;
	}
}

enum route_result router_match(const struct route *table, size_t n, struct req *r,
			       const struct route **out)
{
	enum route_result res = ROUTE_NO_PATH;
	const char *start[MAX_PARAMS];
	size_t i, len[MAX_PARAMS];
	int np, k;

	for (i = 0; i < n; i++) {
		if (!match_one(table[i].pattern, r->path, start, len, &np))
			continue;
		if (!(table[i].methods & r->method)) {
			res = ROUTE_NO_METHOD;
			continue;
		}
		for (k = 0; k < np; k++) {
			r->params[k] = arena_strndup(&r->mem, start[k], len[k]);
			if (!r->params[k])
				return ROUTE_NO_MEMORY;
		}
		r->nparams = np;
		*out = &table[i];
		return ROUTE_FOUND;
	}
	return res;
}

const struct route *router_find(const struct route *table, size_t n, unsigned method,
				const char *path)
{
	const char *start[MAX_PARAMS];
	size_t i, len[MAX_PARAMS];
	int np;

	for (i = 0; i < n; i++)
		if ((table[i].methods & method) && match_one(table[i].pattern, path, start, len, &np))
			return &table[i];
	return NULL;
}

unsigned router_methods(const struct route *table, size_t n, const char *path)
{
	const char *start[MAX_PARAMS];
	size_t i, len[MAX_PARAMS];
	unsigned methods = 0;
	int np;

	for (i = 0; i < n; i++)
		if (match_one(table[i].pattern, path, start, len, &np))
			methods |= table[i].methods;
	return methods;
}

void router_allow(unsigned methods, char *out, size_t outlen)
{
	static const struct {
		unsigned bit;
		const char *names;
	} order[] = {{M_GET, "GET, HEAD"}, {M_POST, "POST"}, {M_PUT, "PUT"},
		     {M_PATCH, "PATCH"}, {M_DELETE, "DELETE"}};
	size_t i, used = 0;

	if (outlen == 0)
		return;
	out[0] = '\0';
	for (i = 0; i < sizeof order / sizeof order[0]; i++) {
		int n;
		if (!(methods & order[i].bit))
			continue;
		n = snprintf(out + used, outlen - used, "%s%s", used ? ", " : "", order[i].names);
		if (n < 0 || (size_t)n >= outlen - used)
			return;
		used += (size_t)n;
	}
}

/* ---- the raw request target ------------------------------------------- */

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* 1 when s[0..n) decodes (with '+' a space when plus) to valid UTF-8
 * without NUL; 0 also when out of memory (the answer is then a 400). */
static int part_ok(const char *s, size_t n, int plus)
{
	char *out = malloc(n + 1);
	size_t i, k = 0;
	int ok = out != NULL;

	for (i = 0; ok && i < n; i++) {
		char c = s[i];
		if (c == '%') {
			int hi = i + 2 < n ? hex_value(s[i + 1]) : -1;
			int lo = i + 2 < n ? hex_value(s[i + 2]) : -1;
			ok = hi >= 0 && lo >= 0;
			c = (char)(hi * 16 + lo);
			i += 2;
		} else if (c == '+' && plus) {
			c = ' ';
		}
		ok = ok && c != '\0';
		out[k++] = c;
	}
	ok = ok && utf8_valid(out, k);
	free(out);
	return ok;
}

enum target_check router_check_target(const char *target)
{
	const char *q = strchr(target, '?');
	size_t plen = q ? (size_t)(q - target) : strlen(target);

	if (!part_ok(target, plen, 0))
		return TARGET_BAD_PATH;
	if (!q)
		return TARGET_OK;
	for (q++; *q;) {
		size_t n = strcspn(q, "&=");
		if (!part_ok(q, n, 1))
			return TARGET_BAD_QUERY;
		q += n;
		if (*q)
			q++;
	}
	return TARGET_OK;
}
