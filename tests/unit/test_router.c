/*
 * test_router.c - unit tests of src/http/router.c over a small table of
 * its own: literal routes, `{}` placeholders and their captured values,
 * method mismatches, and the paths a placeholder must refuse (".", "..",
 * empty segments, over-long or percent-encoded segments, spaces, trailing
 * slashes).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "http/router.h"

static int h_health(struct req *r) { (void)r; return 1; }
static int h_list(struct req *r) { (void)r; return 2; }
static int h_create(struct req *r) { (void)r; return 3; }
static int h_person(struct req *r) { (void)r; return 4; }
static int h_session_current(struct req *r) { (void)r; return 5; }
static int h_session(struct req *r) { (void)r; return 6; }
static int h_org_user(struct req *r) { (void)r; return 7; }
static int h_four(struct req *r) { (void)r; return 8; }
static int h_five(struct req *r) { (void)r; return 9; }
static int h_root(struct req *r) { (void)r; return 10; }

static const struct route table[] = {
	{M_GET, "/", h_root, ROUTE_PUBLIC},
	{M_GET, "/api/v1/health", h_health, ROUTE_PUBLIC},
	{M_POST, "/api/v1/persons", h_create, 0},
	{M_GET, "/api/v1/persons", h_list, 0},
	{M_GET | M_PATCH, "/api/v1/persons/{}", h_person, 0},
	{M_DELETE, "/api/v1/sessions/current", h_session_current, ROUTE_PENDING},
	{M_GET | M_DELETE, "/api/v1/sessions/{}", h_session, 0},
	{M_GET, "/api/v1/orgs/{}/users/{}", h_org_user, 0},
	{M_GET, "/api/v1/a/{}/b/{}/c/{}/d/{}", h_four, 0},
	{M_GET, "/api/v1/x/{}/{}/{}/{}/{}", h_five, 0}, /* more than MAX_PARAMS */
};
#define NROUTES (sizeof table / sizeof table[0])

struct fixture {
	struct req r;
};

static int setup(void **state)
{
	static struct fixture f;

	memset(&f, 0, sizeof f);
	arena_init(&f.r.mem, 1 << 20);
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	arena_free(&f->r.mem);
	return 0;
}

/* Match method + path; *out is the route on ROUTE_FOUND, else NULL. */
static enum route_result match(struct req *r, enum http_method m, const char *path,
			       const struct route **out)
{
	r->method = m;
	r->path = path;
	r->nparams = 0;
	*out = NULL;
	return router_match(table, NROUTES, r, out);
}

static void expect_found(struct req *r, enum http_method m, const char *path,
			 route_fn fn)
{
	const struct route *rt;
	enum route_result res = match(r, m, path, &rt);

	if (res != ROUTE_FOUND)
		fail_msg("%s: expected a route, got %d", path, (int)res);
	assert_non_null(rt);
	assert_ptr_equal(rt->fn, fn);
}

static void expect_no_path(struct req *r, enum http_method m, const char *path)
{
	const struct route *rt;
	enum route_result res = match(r, m, path, &rt);

	if (res != ROUTE_NO_PATH)
		fail_msg("\"%s\": expected no path, got %d", path, (int)res);
	assert_null(rt);
}

static void test_literal(void **state)
{
	struct fixture *f = *state;
	const struct route *rt;

	expect_found(&f->r, M_GET, "/api/v1/health", h_health);
	assert_int_equal(f->r.nparams, 0);
	assert_int_equal(match(&f->r, M_GET, "/api/v1/health", &rt), ROUTE_FOUND);
	assert_int_equal(rt->flags, ROUTE_PUBLIC);
	expect_found(&f->r, M_GET, "/", h_root);
	expect_found(&f->r, M_POST, "/api/v1/persons", h_create);
	expect_found(&f->r, M_GET, "/api/v1/persons", h_list);
	/* A literal route wins over a placeholder placed after it */
	expect_found(&f->r, M_DELETE, "/api/v1/sessions/current", h_session_current);
	expect_found(&f->r, M_GET, "/api/v1/sessions/current", h_session);
	assert_int_equal(f->r.nparams, 1);
	assert_string_equal(f->r.params[0], "current");
}

static void test_literal_mismatch(void **state)
{
	struct fixture *f = *state;

	expect_no_path(&f->r, M_GET, "");
	expect_no_path(&f->r, M_GET, "/api/v1/healthz");
	expect_no_path(&f->r, M_GET, "/api/v1/healt");
	expect_no_path(&f->r, M_GET, "/api/v1/Health");
	expect_no_path(&f->r, M_GET, "/API/v1/health");
	expect_no_path(&f->r, M_GET, "api/v1/health");
	expect_no_path(&f->r, M_GET, "//api/v1/health");
	expect_no_path(&f->r, M_GET, "/api/v1//health");
	expect_no_path(&f->r, M_GET, "/api/v2/health");
	expect_no_path(&f->r, M_GET, "/api/v1/health?x=1"); /* query is cut before */
	expect_no_path(&f->r, M_GET, "/api/v1/nothing");
	expect_no_path(&f->r, M_GET, "//");
}

static void test_trailing_slash(void **state)
{
	struct fixture *f = *state;

	expect_no_path(&f->r, M_GET, "/api/v1/health/");
	expect_no_path(&f->r, M_GET, "/api/v1/persons/");
	expect_no_path(&f->r, M_GET, "/api/v1/persons/abc/");
	expect_no_path(&f->r, M_GET, "/api/v1/persons//");
	expect_no_path(&f->r, M_GET, "/api/v1/orgs/o/users/u/");
}

static void test_param(void **state)
{
	struct fixture *f = *state;

	expect_found(&f->r, M_GET, "/api/v1/persons/abc", h_person);
	assert_int_equal(f->r.nparams, 1);
	assert_string_equal(f->r.params[0], "abc");
	expect_found(&f->r, M_PATCH, "/api/v1/persons/Az09_-.x", h_person);
	assert_string_equal(f->r.params[0], "Az09_-.x");
	/* A single character, dots inside, three dots */
	expect_found(&f->r, M_GET, "/api/v1/persons/a", h_person);
	assert_string_equal(f->r.params[0], "a");
	expect_found(&f->r, M_GET, "/api/v1/persons/a..b", h_person);
	assert_string_equal(f->r.params[0], "a..b");
	expect_found(&f->r, M_GET, "/api/v1/persons/...", h_person);
	assert_string_equal(f->r.params[0], "...");
	expect_found(&f->r, M_GET, "/api/v1/persons/.hidden", h_person);
	assert_string_equal(f->r.params[0], ".hidden");
}

static void test_param_is_a_copy(void **state)
{
	struct fixture *f = *state;
	char path[64];

	snprintf(path, sizeof path, "/api/v1/persons/%s", "id123");
	expect_found(&f->r, M_GET, path, h_person);
	assert_ptr_not_equal(f->r.params[0], path + strlen("/api/v1/persons/"));
	memset(path, 'z', sizeof path - 1);
	assert_string_equal(f->r.params[0], "id123");
}

static void test_method_mismatch(void **state)
{
	struct fixture *f = *state;
	const struct route *rt;

	assert_int_equal(match(&f->r, M_DELETE, "/api/v1/health", &rt), ROUTE_NO_METHOD);
	assert_null(rt);
	assert_int_equal(match(&f->r, M_POST, "/api/v1/health", &rt), ROUTE_NO_METHOD);
	assert_int_equal(match(&f->r, M_OTHER, "/api/v1/health", &rt), ROUTE_NO_METHOD);
	assert_int_equal(match(&f->r, M_PUT, "/api/v1/persons", &rt), ROUTE_NO_METHOD);
	assert_int_equal(match(&f->r, M_DELETE, "/api/v1/persons/abc", &rt), ROUTE_NO_METHOD);
	assert_int_equal(match(&f->r, M_POST, "/api/v1/persons/abc", &rt), ROUTE_NO_METHOD);
	assert_int_equal(match(&f->r, M_POST, "/api/v1/orgs/o/users/u", &rt), ROUTE_NO_METHOD);
	assert_null(rt);
	/* A mismatch on the path's placeholder is no path, not no method */
	assert_int_equal(match(&f->r, M_DELETE, "/api/v1/persons/..", &rt), ROUTE_NO_PATH);
	/* A method mismatch on an earlier route does not hide a later one */
	assert_int_equal(match(&f->r, M_GET, "/api/v1/persons", &rt), ROUTE_FOUND);
	assert_ptr_equal(rt->fn, h_list);
	/* Neither the literal nor the placeholder route takes PUT */
	assert_int_equal(match(&f->r, M_PUT, "/api/v1/sessions/current", &rt), ROUTE_NO_METHOD);
}

static void test_dot_segments(void **state)
{
	struct fixture *f = *state;

	expect_no_path(&f->r, M_GET, "/api/v1/persons/.");
	expect_no_path(&f->r, M_GET, "/api/v1/persons/..");
	expect_no_path(&f->r, M_PATCH, "/api/v1/persons/..");
	expect_no_path(&f->r, M_GET, "/api/v1/orgs/../users/u");
	expect_no_path(&f->r, M_GET, "/api/v1/orgs/./users/u");
	expect_no_path(&f->r, M_GET, "/api/v1/orgs/o/users/..");
	expect_no_path(&f->r, M_GET, "/api/v1/orgs/o/users/.");
	expect_no_path(&f->r, M_GET, "/api/v1/persons/../../etc/passwd");
	expect_no_path(&f->r, M_GET, "/api/v1/../v1/health");
	expect_no_path(&f->r, M_GET, "/api/v1/./health");
}

static void test_empty_segment(void **state)
{
	struct fixture *f = *state;

	expect_no_path(&f->r, M_GET, "/api/v1/orgs//users/u");
	expect_no_path(&f->r, M_GET, "/api/v1/orgs/o/users/");
	expect_no_path(&f->r, M_GET, "/api/v1/orgs/o//users/u");
	expect_no_path(&f->r, M_GET, "/api/v1//persons/abc");
	expect_no_path(&f->r, M_GET, "/api/v1/a//b/2/c/3/d/4");
}

static void test_param_length(void **state)
{
	struct fixture *f = *state;
	char path[512], id[200];

	memset(id, 'a', sizeof id);
	id[128] = '\0';
	snprintf(path, sizeof path, "/api/v1/persons/%s", id);
	expect_found(&f->r, M_GET, path, h_person);
	assert_int_equal(strlen(f->r.params[0]), 128);
	assert_string_equal(f->r.params[0], id);

	id[128] = 'a';
	id[129] = '\0';
	snprintf(path, sizeof path, "/api/v1/persons/%s", id);
	expect_no_path(&f->r, M_GET, path);

	id[129] = 'a';
	id[sizeof id - 1] = '\0';
	snprintf(path, sizeof path, "/api/v1/orgs/o/users/%s", id);
	expect_no_path(&f->r, M_GET, path);
	snprintf(path, sizeof path, "/api/v1/orgs/%s/users/u", id);
	expect_no_path(&f->r, M_GET, path);
}

static void test_bad_chars(void **state)
{
	static const char *const bad[] = {
		"/api/v1/persons/a%2Fb", "/api/v1/persons/%2e%2e", "/api/v1/persons/%2F",
		"/api/v1/persons/a b", "/api/v1/persons/ ", "/api/v1/persons/a+b",
		"/api/v1/persons/a;b", "/api/v1/persons/a:b", "/api/v1/persons/a~b",
		"/api/v1/persons/a?b", "/api/v1/persons/a#b", "/api/v1/persons/a\\b",
		"/api/v1/persons/a\tb", "/api/v1/persons/a\nb", "/api/v1/persons/a\"b",
		"/api/v1/persons/<x>", "/api/v1/persons/a'b", "/api/v1/persons/a@b",
		"/api/v1/persons/\xd0\x96", "/api/v1/persons/\xff", "/api/v1/persons/a*",
		"/api/v1/persons/a/b", "/api/v1/orgs/o%20/users/u",
	};
	struct fixture *f = *state;
	size_t i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		expect_no_path(&f->r, M_GET, bad[i]);
}

static void test_multiple_params(void **state)
{
	struct fixture *f = *state;

	expect_found(&f->r, M_GET, "/api/v1/orgs/org-1/users/user_2", h_org_user);
	assert_int_equal(f->r.nparams, 2);
	assert_string_equal(f->r.params[0], "org-1");
	assert_string_equal(f->r.params[1], "user_2");

	expect_found(&f->r, M_GET, "/api/v1/a/1/b/22/c/333/d/4444", h_four);
	assert_int_equal(f->r.nparams, 4);
	assert_string_equal(f->r.params[0], "1");
	assert_string_equal(f->r.params[1], "22");
	assert_string_equal(f->r.params[2], "333");
	assert_string_equal(f->r.params[3], "4444");

	/* Partial paths do not match */
	expect_no_path(&f->r, M_GET, "/api/v1/orgs/org-1/users");
	expect_no_path(&f->r, M_GET, "/api/v1/orgs/org-1");
	expect_no_path(&f->r, M_GET, "/api/v1/a/1/b/2/c/3/d");
	expect_no_path(&f->r, M_GET, "/api/v1/a/1/b/2/c/3/d/4/e");
	/* A pattern with more placeholders than MAX_PARAMS never matches */
	expect_no_path(&f->r, M_GET, "/api/v1/x/1/2/3/4/5");
	expect_no_path(&f->r, M_GET, "/api/v1/x/1/2/3/4");
}

static void test_empty_table(void **state)
{
	struct fixture *f = *state;
	const struct route *rt = NULL;

	f->r.method = M_GET;
	f->r.path = "/api/v1/health";
	assert_int_equal(router_match(table, 0, &f->r, &rt), ROUTE_NO_PATH);
	assert_null(rt);
}

/* Issue 10 #15: out of memory is not "no such path". */
static void test_out_of_memory(void **state)
{
	struct fixture *f = *state;
	const struct route *rt;

	arena_free(&f->r.mem);
	arena_init(&f->r.mem, 1); /* no room for a parameter */
	assert_int_equal(match(&f->r, M_GET, "/api/v1/a/1/b/22/c/333/d/4444", &rt),
			 ROUTE_NO_MEMORY);
	/* A route without parameters needs no memory */
	assert_int_equal(match(&f->r, M_GET, "/api/v1/health", &rt), ROUTE_FOUND);
}

static void test_allow(void **state)
{
	char allow[64];

	(void)state;
	assert_int_equal(router_methods(table, NROUTES, "/api/v1/health"), M_GET);
	assert_int_equal(router_methods(table, NROUTES, "/nope"), 0);
	router_allow(M_GET | M_POST | M_DELETE, allow, sizeof allow);
	assert_string_equal(allow, "GET, HEAD, POST, DELETE");
	router_allow(M_PATCH, allow, sizeof allow);
	assert_string_equal(allow, "PATCH");
	router_allow(0, allow, sizeof allow);
	assert_string_equal(allow, "");
	router_allow(M_GET | M_POST, allow, 8); /* too small: cut, terminated */
	assert_true(strlen(allow) < 8);
}

/* Issue 10 #15: the raw target, before MHD decodes (and cuts) it. */
static void test_check_target(void **state)
{
	static const char *const good[] = {
		"/", "/api/v1/persons/abc", "/api/v1/persons?q=%D2%B6%D1%83%D0%BC", "/a%20b",
		"/x?q=a+b&limit=5", "/x?flag", "/x?", "/x?a=&b=", "/x?q=\xd2\xb6", "/%2e%2e",
	};
	static const struct {
		const char *t;
		enum target_check want;
	} bad[] = {
		{"/app.js%00.txt", TARGET_BAD_PATH}, {"/api/v1/persons/ID%00x", TARGET_BAD_PATH},
		{"/x%ff", TARGET_BAD_PATH}, {"/x%zz", TARGET_BAD_PATH}, {"/x%4", TARGET_BAD_PATH},
		{"/x%", TARGET_BAD_PATH}, {"/x\xff", TARGET_BAD_PATH}, {"/x%c0%af", TARGET_BAD_PATH},
		{"/x?q=%ff%fe", TARGET_BAD_QUERY}, {"/x?q=%00", TARGET_BAD_QUERY},
		{"/x?%00=1", TARGET_BAD_QUERY}, {"/x?q=%c3", TARGET_BAD_QUERY},
		{"/x?q=%ed%a0%80", TARGET_BAD_QUERY}, {"/x?a=1&q=%e2%82", TARGET_BAD_QUERY},
		{"/x?q=%4", TARGET_BAD_QUERY}, {"/x?q=%c3&r=%a9", TARGET_BAD_QUERY},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof good / sizeof good[0]; i++)
		if (router_check_target(good[i]) != TARGET_OK)
			fail_msg("\"%s\" refused", good[i]);
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (router_check_target(bad[i].t) != bad[i].want)
			fail_msg("\"%s\": %d", bad[i].t, (int)router_check_target(bad[i].t));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_literal, setup, teardown),
		cmocka_unit_test_setup_teardown(test_literal_mismatch, setup, teardown),
		cmocka_unit_test_setup_teardown(test_trailing_slash, setup, teardown),
		cmocka_unit_test_setup_teardown(test_param, setup, teardown),
		cmocka_unit_test_setup_teardown(test_param_is_a_copy, setup, teardown),
		cmocka_unit_test_setup_teardown(test_method_mismatch, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dot_segments, setup, teardown),
		cmocka_unit_test_setup_teardown(test_empty_segment, setup, teardown),
		cmocka_unit_test_setup_teardown(test_param_length, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_chars, setup, teardown),
		cmocka_unit_test_setup_teardown(test_multiple_params, setup, teardown),
		cmocka_unit_test_setup_teardown(test_empty_table, setup, teardown),
		cmocka_unit_test_setup_teardown(test_out_of_memory, setup, teardown),
		cmocka_unit_test(test_allow),
		cmocka_unit_test(test_check_target),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
