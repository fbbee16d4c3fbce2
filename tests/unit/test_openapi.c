/*
 * test_openapi.c - the OpenAPI document against the routing table and the
 * field declarations: every route under /api/ has its documentation entry
 * (and every entry its route), the generated document holds every route
 * with its method and nothing undocumented, every $ref resolves, operation
 * ids are unique, and the record schemas follow schema/ (fields, maxLength,
 * required, readOnly, enums from the code lists).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/openapi.h"
#include "codelists.h"

static const char *method_key(unsigned m)
{
	switch (m) {
	case M_GET: return "get";
	case M_POST: return "post";
	case M_PATCH: return "patch";
	case M_PUT: return "put";
	case M_DELETE: return "delete";
	default: return NULL;
	}
}

static void every_api_route_has_an_entry(void **state)
{
	size_t i, missing = 0;
	unsigned m;
	(void)state;
	for (i = 0; i < api_routes_count; i++) {
		if (strncmp(api_routes[i].pattern, "/api/", 5))
			continue;
		for (m = 1; m < M_OTHER; m <<= 1) {
			if (!(api_routes[i].methods & m))
				continue;
			if (!openapi_op_find(m, api_routes[i].pattern)) {
				printf("undocumented: %s %s (add it to openapi_ops[] in "
				       "src/api/openapi_ops.c)\n", method_key(m), api_routes[i].pattern);
				missing++;
			}
		}
	}
	assert_int_equal(missing, 0);
}

static void every_entry_has_a_route(void **state)
{
	size_t i, k, stale = 0;
	(void)state;
	for (i = 0; i < openapi_ops_count; i++) {
		int found = 0;
		for (k = 0; k < api_routes_count; k++)
			if ((api_routes[k].methods & openapi_ops[i].method) &&
			    !strcmp(api_routes[k].pattern, openapi_ops[i].pattern))
				found = 1;
		if (!found) {
			printf("documented but not routed: %s %s\n", method_key(openapi_ops[i].method),
			       openapi_ops[i].pattern);
			stale++;
		}
		for (k = 0; k < i; k++)
			if (!strcmp(openapi_ops[k].operation_id, openapi_ops[i].operation_id) ||
			    (openapi_ops[k].method == openapi_ops[i].method &&
			     !strcmp(openapi_ops[k].pattern, openapi_ops[i].pattern))) {
				printf("twice: %s\n", openapi_ops[i].operation_id);
				stale++;
			}
	}
	assert_int_equal(stale, 0);
}

static json_t *load_doc_for(const struct route *table, size_t n)
{
	char why[256] = "";
	char *text = openapi_generate_for(table, n, why, sizeof why);
	json_t *doc;
	if (!text)
		printf("openapi_generate: %s\n", why);
	assert_non_null(text);
	doc = json_loads(text, JSON_REJECT_DUPLICATES, NULL);
	free(text);
	assert_non_null(doc);
	return doc;
}

static json_t *load_doc(void)
{
	return load_doc_for(api_routes, api_routes_count);
}

/* The path of a pattern, its placeholders named by their entry. */
static void template(const char *pattern, const char *names, char *out, size_t outlen)
{
	size_t used = 0, n = 0;
	const char *p;
	for (p = pattern; *p && used + 1 < outlen; p++) {
		if (p[0] == '{' && p[1] == '}') {
			const char *nm = names ? names : "id";
			size_t k = n++, len;
			while (k-- && nm)
				if ((nm = strchr(nm, ',')))
					nm++;
			len = nm ? strcspn(nm, ",") : 2;
			used += (size_t)snprintf(out + used, outlen - used, "{%.*s}", (int)len,
						 nm ? nm : "id");
			p++;
			continue;
		}
		out[used++] = *p;
	}
	out[used] = '\0';
}

/* The routes of table under /api/ that the document lacks or marks
 * undocumented; *extra gets the operations it has beyond the table. */
static size_t missing_routes(json_t *doc, const struct route *table, size_t n, size_t *extra)
{
	json_t *paths = json_object_get(doc, "paths"), *item;
	size_t i, ops = 0, missing = 0, all = 0;
	const char *path;
	unsigned m;

	for (i = 0; i < n; i++) {
		const struct openapi_op *op;
		char p[256];
		if (strncmp(table[i].pattern, "/api/", 5))
			continue;
		for (m = 1; m < M_OTHER; m <<= 1) {
			json_t *o;
			if (!(table[i].methods & m))
				continue;
			op = openapi_op_find(m, table[i].pattern);
			template(table[i].pattern, op ? op->param : NULL, p, sizeof p);
			o = json_object_get(json_object_get(paths, p), method_key(m));
			if (o)
				ops++;
			if (!o || json_object_get(o, "x-undocumented")) {
				printf("not in the document: %s %s\n", method_key(m), p);
				missing++;
				continue;
			}
			if (table[i].flags & ROUTE_PUBLIC)
				assert_int_equal(json_array_size(json_object_get(o, "security")), 0);
			else
				assert_true(json_array_size(json_object_get(o, "security")) >= 2);
		}
	}
	json_object_foreach(paths, path, item) {
		assert_true(!strncmp(path, "/api/", 5));
		all += json_object_size(item);
	}
	*extra = all - ops;
	return missing;
}

static void document_holds_every_route(void **state)
{
	json_t *doc = load_doc();
	size_t extra = 0;
	(void)state;

	assert_string_equal(json_string_value(json_object_get(doc, "openapi")), "3.1.0");
	assert_int_equal(missing_routes(doc, api_routes, api_routes_count, &extra), 0);
	assert_int_equal(extra, 0);
	json_decref(doc);
}

static int h_none(struct req *r) { (void)r; return 0; }

/* A route added to a table without its entry is in the document, marked,
 * and the check above counts it. */
static void an_undocumented_route_is_caught(void **state)
{
	static const struct route table[] = {
		{M_GET, "/api/v1/persons/{}", h_none, 0},
		{M_GET | M_POST, "/api/v1/unheard-of/{}", h_none, 0},
		{M_GET, "/api/v1/health", h_none, ROUTE_PUBLIC},
		{M_GET, "/public/elsewhere", h_none, ROUTE_PUBLIC},
	};
	json_t *doc = load_doc_for(table, 4), *o;
	size_t extra = 0;
	(void)state;

	assert_int_equal(missing_routes(doc, table, 4, &extra), 2);
	assert_int_equal(extra, 0);
	o = json_object_get(json_object_get(json_object_get(doc, "paths"), "/api/v1/unheard-of/{id}"),
			    "post");
	assert_non_null(o);
	assert_true(json_is_true(json_object_get(o, "x-undocumented")));
	assert_non_null(json_object_get(json_object_get(json_object_get(doc, "paths"),
							"/api/v1/persons/{id}"), "get"));
	assert_null(json_object_get(json_object_get(doc, "paths"), "/public/elsewhere"));
	assert_int_equal(json_array_size(json_object_get(
		json_object_get(json_object_get(json_object_get(doc, "paths"), "/api/v1/health"), "get"),
		"security")), 0);
	json_decref(doc);
}

/* Resolve "#/a/b" in doc (no escapes are used by the generator). */
static json_t *pointer(json_t *doc, const char *ref)
{
	char part[160];
	const char *p;
	if (strncmp(ref, "#/", 2))
		return NULL;
	for (p = ref + 2; doc && *p;) {
		size_t len = strcspn(p, "/");
		if (len >= sizeof part)
			return NULL;
		memcpy(part, p, len);
		part[len] = '\0';
		doc = json_object_get(doc, part);
		p += len;
		if (*p == '/')
			p++;
	}
	return doc;
}

static size_t walk_refs(json_t *doc, json_t *v, size_t *count)
{
	size_t bad = 0, i;
	const char *key;
	json_t *x;
	if (json_is_object(v)) {
		json_object_foreach(v, key, x) {
			if (!strcmp(key, "$ref") && json_is_string(x)) {
				(*count)++;
				if (!pointer(doc, json_string_value(x))) {
					printf("unresolved $ref %s\n", json_string_value(x));
					bad++;
				}
			} else {
				bad += walk_refs(doc, x, count);
			}
		}
	} else if (json_is_array(v)) {
		json_array_foreach(v, i, x)
			bad += walk_refs(doc, x, count);
	}
	return bad;
}

static void every_ref_resolves(void **state)
{
	json_t *doc = load_doc();
	size_t count = 0;
	(void)state;
	assert_int_equal(walk_refs(doc, doc, &count), 0);
	assert_true(count > 100);
	json_decref(doc);
}

static json_t *schema(json_t *doc, const char *name)
{
	json_t *s = json_object_get(json_object_get(json_object_get(doc, "components"), "schemas"),
				    name);
	if (!s)
		printf("no schema %s\n", name);
	assert_non_null(s);
	return s;
}

static json_t *prop(json_t *s, const char *name)
{
	return json_object_get(json_object_get(s, "properties"), name);
}

static int in_array(json_t *a, const char *s)
{
	size_t i;
	json_t *v;
	json_array_foreach(a, i, v)
		if (json_is_string(v) && !strcmp(json_string_value(v), s))
			return 1;
	return 0;
}

static void records_follow_the_declarations(void **state)
{
	json_t *doc = load_doc(), *person = schema(doc, "Person"), *create, *patch, *c, *g;
	size_t i;
	(void)state;

	for (i = 0; i < person_schema.n; i++)
		assert_non_null(prop(person, person_schema.fields[i].name));
	assert_true(json_is_true(json_object_get(prop(person, "id"), "readOnly")));
	assert_true(json_is_true(json_object_get(schema(doc, "Version"), "readOnly")));
	assert_true(json_is_false(json_object_get(person, "additionalProperties")));
	assert_true(in_array(json_object_get(person, "required"), "id"));
	assert_true(in_array(json_object_get(person, "required"), "version"));
	assert_int_equal(json_integer_value(json_object_get(prop(person, "given_name"), "maxLength")),
			 schema_field(&person_schema, "given_name")->maxlen);

	/* read-only fields: in the answer, marked; never in a body */
	c = schema(doc, "Case");
	assert_true(json_is_true(json_object_get(prop(c, "trafficking_status"), "readOnly")));
	create = schema(doc, "CaseCreate");
	assert_null(prop(create, "trafficking_status"));
	assert_null(prop(create, "closed_on"));
	assert_null(prop(create, "id"));
	assert_true(in_array(json_object_get(create, "required"), "person_id"));
	assert_false(in_array(json_object_get(create, "required"), "status"));
	patch = schema(doc, "CasePatch");
	assert_null(json_object_get(patch, "required"));
	assert_non_null(json_object_get(prop(patch, "summary"), "anyOf"));

	/* a code list becomes an enum with every code, in order */
	g = json_object_get(schema(doc, "Code.gender"), "enum");
	assert_int_equal(json_array_size(g), cl_gender.n);
	for (i = 0; i < cl_gender.n; i++)
		assert_string_equal(json_string_value(json_array_get(g, i)), cl_gender.codes[i]);

	/* nested records of object lists */
	assert_non_null(prop(schema(doc, "IdentityDocument"), "number"));
	assert_true(in_array(json_object_get(schema(doc, "IdentityDocument"), "required"), "type"));
	assert_non_null(schema(doc, "TraffickingEvent"));
	/* the bodies of every declared item */
	assert_non_null(schema(doc, "NoteCreate"));
	assert_non_null(schema(doc, "ServicePatch"));
	assert_non_null(schema(doc, "ConsentCreate"));
	assert_null(prop(schema(doc, "ConsentCreate"), "withdrawn_on"));
	assert_non_null(schema(doc, "DirectoryServiceCreate"));
	json_decref(doc);
}

static void errors_are_problems(void **state)
{
	json_t *doc = load_doc();
	json_t *patch = json_object_get(json_object_get(json_object_get(doc, "paths"),
							"/api/v1/persons/{id}"), "patch");
	json_t *resp = json_object_get(patch, "responses");
	const char *const want[] = {"200", "401", "403", "404", "412", "413", "415", "422", "428"};
	size_t i;
	(void)state;
	assert_non_null(patch);
	for (i = 0; i < sizeof want / sizeof want[0]; i++)
		assert_non_null(json_object_get(resp, want[i]));
	assert_string_equal(json_string_value(json_object_get(json_object_get(resp, "404"), "$ref")),
			    "#/components/responses/NotFound");
	assert_non_null(json_object_get(
		json_object_get(json_object_get(json_object_get(doc, "components"), "responses"),
				"NotFound"),
		"content"));
	json_decref(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_api_route_has_an_entry),
		cmocka_unit_test(every_entry_has_a_route),
		cmocka_unit_test(document_holds_every_route),
		cmocka_unit_test(an_undocumented_route_is_caught),
		cmocka_unit_test(every_ref_resolves),
		cmocka_unit_test(records_follow_the_declarations),
		cmocka_unit_test(errors_are_problems),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
