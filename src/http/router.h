/*
 * router.h - matching a method and path against the one routing table
 * (api/routes.c).  Patterns are literal segments and `{}` placeholders:
 * "/api/v1/persons/{}" matches "/api/v1/persons/abc" with params[0] =
 * "abc".  A placeholder matches one non-empty segment of at most 128
 * bytes of [A-Za-z0-9_.-]; anything else does not match.
 */
#ifndef HIMOYA_ROUTER_H
#define HIMOYA_ROUTER_H

#include <stddef.h>

#include "http/request.h"

typedef int (*route_fn)(struct req *r);

enum route_flags {
	ROUTE_PUBLIC = 1,   /* no authentication needed */
	ROUTE_NO_CSRF = 2,  /* a cookie-authenticated change without CSRF (login) */
	ROUTE_PENDING = 4,  /* allowed while a second factor must still be enrolled */
};

struct route {
	unsigned methods;   /* OR of enum http_method */
	const char *pattern;
	route_fn fn;
	unsigned flags;
};

enum route_result { ROUTE_FOUND, ROUTE_NO_PATH, ROUTE_NO_METHOD };

/* Find the route; on ROUTE_FOUND fills r->params (arena copies) and *out. */
enum route_result router_match(const struct route *table, size_t n, struct req *r,
			       const struct route **out);

#endif
