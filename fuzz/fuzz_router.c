/*
 * fuzz_router.c - router_match over the real routing table (api/routes.c).
 *
 * The first input byte picks the method (its value mod 6: '0' GET, '1'
 * POST, '2' PATCH, '3' PUT, '4' DELETE, '5' another), the rest (at most
 * 4 KiB) is the path.  Whatever matches must be what a plain segment-by-segment matcher
 * written here finds, and every parameter handed to a handler must be a
 * non-empty run of at most 128 bytes of [A-Za-z0-9_.-], neither "." nor
 * "..", that puts the path back together when substituted into the
 * pattern.  A failed check abort()s, which libFuzzer reports as a crash.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "http/router.h"

#define PATH_MAX_FUZZ 4096
#define PARAM_MAX 128

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                  \
	do {                                                                         \
		if (!(cond)) {                                                       \
			fprintf(stderr, "fuzz_router: check failed at %s:%d: %s\n",  \
				__FILE__, __LINE__, #cond);                          \
			abort();                                                     \
		}                                                                    \
	} while (0)

static int param_ok(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || n > PARAM_MAX)
		return 0;
	if ((n == 1 && s[0] == '.') || (n == 2 && s[0] == '.' && s[1] == '.'))
		return 0;
	for (i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '-' || c == '.'))
			return 0;
	}
	return 1;
}

/* The reference: split both at '/', compare segment by segment; a "{}"
 * segment takes any acceptable parameter. */
static int ref_match(const char *pat, const char *path)
{
	for (;;) {
		size_t pn = strcspn(pat, "/"), sn = strcspn(path, "/");
		if (pn == 2 && pat[0] == '{' && pat[1] == '}') {
			if (!param_ok(path, sn))
				return 0;
		} else if (pn != sn || memcmp(pat, path, pn) != 0) {
			return 0;
		}
		pat += pn;
		path += sn;
		if (*pat != *path)
			return 0; /* one ended, the other goes on */
		if (*pat == '\0')
			return 1;
		pat++; /* both at '/' */
		path++;
	}
}

/* Substitute the parameters into the pattern: must give the path again. */
static void check_params(const struct route *rt, const struct req *r)
{
	const char *pat = rt->pattern, *path = r->path;
	int k = 0;

	while (*pat) {
		if (pat[0] == '{' && pat[1] == '}') {
			size_t n;
			CHECK(k < r->nparams);
			n = strlen(r->params[k]);
			CHECK(param_ok(r->params[k], n));
			CHECK(strncmp(path, r->params[k], n) == 0);
			path += n;
			pat += 2;
			k++;
			continue;
		}
		CHECK(*pat == *path);
		pat++;
		path++;
	}
	CHECK(*path == '\0');
	CHECK(k == r->nparams);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum http_method methods[] = {M_GET, M_POST, M_PATCH, M_PUT, M_DELETE,
						   M_OTHER};
	const struct route *rt = NULL, *want = NULL;
	enum route_result res, want_res = ROUTE_NO_PATH;
	struct req r;
	size_t n, i;
	char *path;

	if (size < 1)
		return 0;
	n = size - 1 > PATH_MAX_FUZZ ? PATH_MAX_FUZZ : size - 1;
	path = malloc(n + 1);
	if (!path)
		return 0;
	memcpy(path, data + 1, n);
	path[n] = '\0';

	memset(&r, 0, sizeof r);
	arena_init(&r.mem, 1 << 20);
	r.method = methods[data[0] % (sizeof methods / sizeof methods[0])];
	r.path = path;

	res = router_match(api_routes, api_routes_count, &r, &rt);

	for (i = 0; i < api_routes_count; i++) {
		if (!ref_match(api_routes[i].pattern, path))
			continue;
		if (api_routes[i].methods & r.method) {
			want = &api_routes[i];
			want_res = ROUTE_FOUND;
			break;
		}
		want_res = ROUTE_NO_METHOD;
	}
	if (res != want_res)
		fprintf(stderr, "fuzz_router: '%s' method %d: got %d, want %d\n", path, r.method,
			res, want_res);
	CHECK(res == want_res);
	if (res == ROUTE_FOUND) {
		CHECK(rt == want);
		CHECK(rt->methods & r.method);
		CHECK(r.nparams >= 0 && r.nparams <= MAX_PARAMS);
		check_params(rt, &r);
	} else {
		CHECK(rt == NULL);
	}

	arena_free(&r.mem);
	free(path);
	return 0;
}
