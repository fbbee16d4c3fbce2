/*
 * router.c - segment-by-segment matching of the routing table.
 */
#include <string.h>

#include "http/router.h"

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
				return ROUTE_NO_PATH;
		}
		r->nparams = np;
		*out = &table[i];
		return ROUTE_FOUND;
	}
	return res;
}
