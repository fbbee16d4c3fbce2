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
	ROUTE_PASSWORD = 8, /* allowed while a one-time password must be changed */
	ROUTE_UPLOAD = 16,  /* its body is a file, with a cap of its own (may exceed body_max) */
	ROUTE_WRITES = 32,  /* a GET that may wait for the writer: run off the request threads */
	ROUTE_QUESTION = 64, /* a POST that asks, changing no record: sent again, asked again */
};

struct route {
	unsigned methods;   /* OR of enum http_method */
	const char *pattern;
	route_fn fn;
	unsigned flags;
};

enum route_result { ROUTE_FOUND, ROUTE_NO_PATH, ROUTE_NO_METHOD, ROUTE_NO_MEMORY };

/* Find the route; on ROUTE_FOUND fills r->params (arena copies) and *out.
 * ROUTE_NO_MEMORY when the arena cannot hold the parameters (a 500, not
 * a 404: the path exists). */
enum route_result router_match(const struct route *table, size_t n, struct req *r,
			       const struct route **out);

/* The route for method and path, without taking its parameters (the
 * server asks it of a request's head, before any body is read); NULL
 * when none. */
const struct route *router_find(const struct route *table, size_t n, unsigned method,
				const char *path);

/* The OR of the methods of every route whose pattern matches path. */
unsigned router_methods(const struct route *table, size_t n, const char *path);
/* methods (OR of enum http_method) as an Allow header value, GET
 * standing for GET and HEAD: "GET, HEAD, POST".  Always NUL-terminated. */
void router_allow(unsigned methods, char *out, size_t outlen);

/* Check a raw request target (path and query as sent, before any
 * decoding): every %XX escape well-formed, and every decoded part (the
 * path; each name and value of the query, '+' a space) valid UTF-8
 * without NUL, so that no decoding downstream can cut or bend it.
 * TARGET_OK, or which part is bad. */
enum target_check { TARGET_OK, TARGET_BAD_PATH, TARGET_BAD_QUERY };
enum target_check router_check_target(const char *target);

#endif
