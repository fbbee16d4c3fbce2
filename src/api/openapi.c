/*
 * openapi.c - GET /api/v1/openapi.json: the OpenAPI 3.1 document of every
 * route of api_routes[] under /api/, generated when first asked from the
 * routing table, the documentation entries beside it (api/openapi_ops.c),
 * the field declarations (schema/), and the generated code lists.
 *
 * components.schemas holds:
 *   - Code.<list>: one enum per code list (all_codelists[]);
 *   - for each declared record of openapi_records[]: Name (the answer,
 *     with its envelope: id, version, timestamps; readOnly where the
 *     server sets them), NameCreate and NamePatch (the bodies: no read-only
 *     field, unknown fields refused, required fields only on create, null
 *     removes a field on patch), and the nested records of object lists;
 *   - ShareableField: the case and person fields a referral may share;
 *   - the shapes of openapi_shapes[] (envelopes, HSDS views, commands).
 * Security: a session cookie (with X-CSRF-Token on every change) or a
 * bearer token; routes with ROUTE_PUBLIC have `security: []`.  Errors are
 * application/problem+json (RFC 9457) and listed where they apply.
 *
 * The text is built once and kept for the life of the process.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/openapi.h"
#include "fields.h"

#define SCHEMAS "#/components/schemas/"

static char gen_why[256];

static void gen_fail(const char *fmt, ...)
{
	va_list ap;
	if (gen_why[0])
		return;
	va_start(ap, fmt);
	vsnprintf(gen_why, sizeof gen_why, fmt, ap);
	va_end(ap);
}

/* JSON text in which ' stands for " (so that the tables stay readable). */
static json_t *fragment(const char *what, const char *text)
{
	json_error_t e;
	json_t *j;
	char *s = strdup(text), *p;

	if (!s) {
		gen_fail("%s: out of memory", what);
		return NULL;
	}
	for (p = s; *p; p++)
		if (*p == '\'')
			*p = '"';
	j = json_loads(s, JSON_REJECT_DUPLICATES, &e);
	free(s);
	if (!j)
		gen_fail("%s: %s (column %d)", what, e.text, e.column);
	return j;
}

static json_t *ref_to(const char *kind, const char *name)
{
	char target[160];
	snprintf(target, sizeof target, "#/components/%s/%s", kind, name);
	return json_pack("{s:s}", "$ref", target);
}

static json_t *schema_ref(const char *name)
{
	return ref_to("schemas", name);
}

/* "identity_document" -> "IdentityDocument" */
static void pascal(const char *in, char *out, size_t outlen)
{
	size_t n = 0;
	int up = 1;
	for (; *in && n + 1 < outlen; in++) {
		if (*in == '_') {
			up = 1;
			continue;
		}
		out[n++] = up && *in >= 'a' && *in <= 'z' ? (char)(*in - 'a' + 'A') : *in;
		up = 0;
	}
	out[n] = '\0';
}

/* ---- records from the field declarations ----------------------------- */

enum rec_mode { MODE_ANSWER, MODE_CREATE, MODE_PATCH };

static json_t *record_object(const struct resource_schema *rs, enum rec_mode mode,
			     json_t *schemas, const char *only);

static json_t *text_schema(size_t maxlen)
{
	json_t *s = json_pack("{s:s,s:i}", "type", "string", "minLength", 1);
	if (maxlen)
		json_object_set_new(s, "maxLength", json_integer((json_int_t)maxlen));
	return s;
}

static json_t *code_ref(const struct field *f)
{
	char name[96];
	if (!f->codes) {
		gen_fail("%s: a coded field without a code list", f->name);
		return json_object();
	}
	snprintf(name, sizeof name, "Code.%s", f->codes->name);
	return schema_ref(name);
}

static json_t *list_of(json_t *items, size_t maxitems)
{
	json_t *s = json_pack("{s:s,s:o}", "type", "array", "items", items);
	if (maxitems)
		json_object_set_new(s, "maxItems", json_integer((json_int_t)maxitems));
	return s;
}

/* The nested record of an object list, as its own component. */
static json_t *sub_ref(const struct resource_schema *sub, json_t *schemas)
{
	char name[96];
	pascal(sub->name, name, sizeof name);
	if (!json_object_get(schemas, name))
		json_object_set_new(schemas, name, record_object(sub, MODE_CREATE, schemas, NULL));
	return schema_ref(name);
}

static json_t *field_schema(const struct field *f, json_t *schemas)
{
	switch (f->type) {
	case FT_TEXT:
		return text_schema(f->maxlen);
	case FT_TEXT_LIST:
		return list_of(text_schema(f->maxlen), f->maxitems);
	case FT_DATE:
		return json_pack("{s:s,s:s}", "type", "string", "format", "date");
	case FT_DATETIME:
		return json_pack("{s:s,s:s}", "type", "string", "format", "date-time");
	case FT_CODE:
		return code_ref(f);
	case FT_CODE_LIST:
		return list_of(code_ref(f), f->maxitems);
	case FT_COUNTRY:
		return schema_ref("Country");
	case FT_COUNTRY_LIST:
		return list_of(schema_ref("Country"), f->maxitems);
	case FT_INT:
		return json_pack("{s:s,s:I,s:I}", "type", "integer", "minimum", (json_int_t)f->min,
				 "maximum", (json_int_t)f->max);
	case FT_PHONE_LIST: {
		json_t *p = json_pack("{s:s,s:s}", "type", "string", "pattern", "^[0-9 +().-]+$");
		if (f->maxlen)
			json_object_set_new(p, "maxLength", json_integer((json_int_t)f->maxlen));
		return list_of(p, f->maxitems);
	}
	case FT_BOOL:
		return json_pack("{s:s}", "type", "boolean");
	case FT_ID:
		return schema_ref("Id");
	case FT_OBJECT_LIST:
		if (!f->sub) {
			gen_fail("%s: an object list without its fields", f->name);
			return json_object();
		}
		return list_of(sub_ref(f->sub, schemas), f->maxitems);
	default:
		/* A new field type must be described here before it is served. */
		gen_fail("%s: field type %d has no JSON Schema in api/openapi.c", f->name,
			 (int)f->type);
		return json_object();
	}
}

static const char *class_name(enum field_class c)
{
	return c == FC_PII ? "pii" : c == FC_SENSITIVE ? "sensitive" : "coded";
}

/* 1 when name is one of the comma-separated names (always when NULL). */
static int named(const char *only, const char *name)
{
	size_t n = strlen(name);
	const char *p = only;
	if (!only)
		return 1;
	while (*p) {
		size_t len = strcspn(p, ",");
		if (len == n && !strncmp(p, name, n))
			return 1;
		p += len;
		if (*p)
			p++;
	}
	return 0;
}

static json_t *record_object(const struct resource_schema *rs, enum rec_mode mode,
			     json_t *schemas, const char *only)
{
	json_t *props = json_object(), *required = json_array();
	json_t *obj = json_pack("{s:s,s:o,s:b}", "type", "object", "properties", props,
				"additionalProperties", 0);
	size_t i;

	for (i = 0; i < rs->n; i++) {
		const struct field *f = &rs->fields[i];
		json_t *s, *p;
		if (f->readonly && mode != MODE_ANSWER)
			continue; /* refused in bodies: 422 read-only-field */
		if (!named(only, f->name))
			continue;
		s = field_schema(f, schemas);
		if (mode == MODE_PATCH && !f->required) {
			p = json_pack("{s:[o,{s:s}]}", "anyOf", s, "type", "null");
		} else {
			p = s;
		}
		if (json_object_get(p, "$ref")) {
			/* Keep the $ref alone: annotations go beside it in allOf. */
			p = json_pack("{s:[o]}", "allOf", p);
		}
		json_object_set_new(p, "title", json_string(f->label_en));
		json_object_set_new(p, "x-labels", json_pack("{s:s,s:s,s:s}", "tg", f->label_tg,
							     "ru", f->label_ru, "en", f->label_en));
		json_object_set_new(p, "x-class", json_string(class_name(f->cls)));
		if (f->readonly)
			json_object_set_new(p, "readOnly", json_true());
		json_object_set_new(props, f->name, p);
		if (mode == MODE_CREATE && f->required)
			json_array_append_new(required, json_string(f->name));
	}
	if (json_array_size(required))
		json_object_set_new(obj, "required", required);
	else
		json_decref(required);
	json_object_set_new(obj, "x-record", json_string(rs->name));
	return obj;
}

/* Members and required names of extra (taken) into a body's schema. */
static void merge_extra(json_t *obj, json_t *extra)
{
	json_t *req = json_object_get(obj, "required"), *v;
	size_t i;

	if (!extra)
		return;
	json_object_update(json_object_get(obj, "properties"),
			   json_object_get(extra, "properties"));
	json_array_foreach(json_object_get(extra, "required"), i, v) {
		if (!req) {
			req = json_array();
			json_object_set_new(obj, "required", req);
		}
		json_array_append(req, v);
	}
	json_decref(extra);
}

static void add_records(json_t *schemas)
{
	size_t i;
	char name[96];

	for (i = 0; i < openapi_records_count; i++) {
		const struct openapi_record *rd = &openapi_records[i];
		if (rd->envelope) {
			json_t *obj = record_object(rd->rs, MODE_ANSWER, schemas, NULL);
			json_t *env = fragment(rd->name, rd->envelope);
			json_t *props = json_object_get(obj, "properties"), *req;
			if (env) {
				json_object_update(props, json_object_get(env, "properties"));
				req = json_object_get(env, "required");
				if (req)
					json_object_set(obj, "required", req);
				else
					json_object_del(obj, "required");
				json_decref(env);
			}
			json_object_set_new(schemas, rd->name, obj);
		}
		if (rd->bodies & REC_CREATE) {
			json_t *obj = record_object(rd->rs, MODE_CREATE, schemas, rd->only);
			snprintf(name, sizeof name, "%sCreate", rd->name);
			if (rd->extra)
				merge_extra(obj, fragment(name, rd->extra));
			json_object_set_new(schemas, name, obj);
		}
		if (rd->bodies & REC_PATCH) {
			snprintf(name, sizeof name, "%sPatch", rd->name);
			json_object_set_new(schemas, name,
					    record_object(rd->rs, MODE_PATCH, schemas, rd->only));
		}
	}
}

static void add_codelists(json_t *schemas)
{
	size_t i, k;
	char name[96];

	for (i = 0; i < all_codelists_count; i++) {
		const struct codelist *cl = all_codelists[i];
		json_t *e = json_array(), *labels = json_object();
		for (k = 0; k < cl->n; k++) {
			json_array_append_new(e, json_string(cl->codes[k]));
			json_object_set_new(labels, cl->codes[k],
					    json_pack("{s:s,s:s,s:s}", "tg", cl->labels[k].tg, "ru",
						      cl->labels[k].ru, "en", cl->labels[k].en));
		}
		snprintf(name, sizeof name, "Code.%s", cl->name);
		json_object_set_new(schemas, name,
				    json_pack("{s:s,s:o,s:s,s:o}", "type", "string", "enum", e,
					      "description", "a code of its list (GET /api/v1/schema)",
					      "x-labels", labels));
	}
}

/* The fields a referral may share: every declared case and person field. */
static void add_shareable(json_t *schemas)
{
	const struct resource_schema *const from[] = {&case_schema, &person_schema};
	json_t *e = json_array();
	size_t i, k;

	for (k = 0; k < 2; k++)
		for (i = 0; i < from[k]->n; i++) {
			json_t *name = json_string(from[k]->fields[i].name);
			size_t j;
			json_t *v;
			int seen = 0;
			json_array_foreach(e, j, v)
				seen |= json_equal(v, name);
			if (seen)
				json_decref(name);
			else
				json_array_append_new(e, name);
		}
	json_array_append_new(e, json_string("initials")); /* api/referrals.c shareable() */
	json_object_set_new(schemas, "ShareableField",
			    json_pack("{s:s,s:o,s:s}", "type", "string", "enum", e, "description",
				      "a declared field of a case or a person, or initials (of "
				      "the person's names, shown in the recipient's inbox)"));
}

static void add_shapes(json_t *schemas)
{
	size_t i;
	for (i = 0; i < openapi_shapes_count; i++) {
		json_t *s = fragment(openapi_shapes[i].name, openapi_shapes[i].schema);
		if (json_object_get(schemas, openapi_shapes[i].name))
			gen_fail("%s: declared twice", openapi_shapes[i].name);
		if (s)
			json_object_set_new(schemas, openapi_shapes[i].name, s);
	}
}

/* ---- responses, parameters, security ---------------------------------- */

static const struct {
	int status;
	const char *name, *description;
} problems[] = {
	{400, "BadRequest", "the body is not well-formed JSON (invalid-json)"},
	{401, "Unauthorized", "not signed in (unauthenticated), or wrong credentials"},
	{403, "Forbidden",
	 "X-CSRF-Token missing or wrong (csrf), a second factor to set up first, or the role may "
	 "not act on a record it can see (forbidden)"},
	{404, "NotFound", "no such record, or not visible to the caller (not-found)"},
	{409, "Conflict", "the record's state or a rule refuses it (conflict, consent-required, "
			  "invalid-transition, ...)"},
	{412, "PreconditionFailed", "If-Match names an older version (version-conflict)"},
	{413, "ContentTooLarge",
	 "the body is larger than body_max_bytes (body-too-large), or an export would be "
	 "(export-too-large)"},
	{415, "UnsupportedMediaType", "the body is not application/json (unsupported-media-type), "
				      "or a file of a type the library does not take (unsupported-type)"},
	{422, "UnprocessableContent",
	 "a field is unknown, missing, read-only or invalid (unknown-field, missing-field, "
	 "read-only-field, invalid-value)"},
	{428, "PreconditionRequired", "If-Match is missing (precondition-required)"},
	{429, "TooManyRequests", "too many attempts; try again later (locked, rate-limited)"},
	{503, "ServiceUnavailable", "the database or the sign-in queue is busy, or the database does not"
	 " answer; try again after Retry-After (busy, database-unavailable)"},
};

static const char *problem_name(int status)
{
	size_t i;
	for (i = 0; i < sizeof problems / sizeof problems[0]; i++)
		if (problems[i].status == status)
			return problems[i].name;
	return NULL;
}

static json_t *components_responses(void)
{
	json_t *out = json_object();
	size_t i;
	for (i = 0; i < sizeof problems / sizeof problems[0]; i++)
		json_object_set_new(out, problems[i].name,
				    json_pack("{s:s,s:{s:{s:o}}}", "description", problems[i].description,
					      "content", "application/problem+json", "schema",
					      schema_ref("Problem")));
	return out;
}

static json_t *components_security(void)
{
	return json_pack(
		"{s:{s:s,s:s,s:s,s:s},s:{s:s,s:s,s:s},s:{s:s,s:s,s:s,s:s}}",
		"cookieSession", "type", "apiKey", "in", "cookie", "name", "himoya_session",
		"description", "the session cookie set by POST /api/v1/session",
		"bearerToken", "type", "http", "scheme", "bearer", "description",
		"an API token made with `himoya token create`",
		"csrfToken", "type", "apiKey", "in", "header", "name", "X-CSRF-Token", "description",
		"the csrf_token of the session; required with the cookie on every change");
}

static json_t *components_parameters(void)
{
	return json_pack("{s:{s:s,s:s,s:b,s:s,s:{s:s,s:s}},s:{s:s,s:s,s:b,s:s,s:{s:s,s:s}}}",
			 "IfMatch", "name", "If-Match", "in", "header", "required", 1,
			 "description",
			 "the version read (the ETag, \"VERSION\"); 428 without, 412 when stale",
			 "schema", "type", "string", "pattern", "^\"?[0-9]+\"?$",
			 "IdempotencyKey", "name", "Idempotency-Key", "in", "header", "required", 0,
			 "description",
			 "POST and PATCH: a key of the client's for this change (1-128 visible "
			 "characters, no quote inside; a structured field's quoted string is the same "
			 "key): the same user sending the same request with it again within a day is "
			 "answered (`Idempotent-Replayed: true`), not changed twice: the record as it is "
			 "now, read under the permissions of now, with the first's status; 409 "
			 "`already-made` when the first answer was not a record (it is never kept); with "
			 "another request 422 `idempotency-key-reused`; while the first is still being "
			 "made 409 `in-progress`; a first answer that was a problem is not kept",
			 "schema", "type", "string", "pattern", "^\"?[!#-\\[\\]-~]{1,128}\"?$");
}

static json_t *components_headers(void)
{
	return json_pack("{s:{s:s,s:{s:s,s:s}},s:{s:s,s:{s:s}}}", "ETag", "description",
			 "the record's version, quoted: send it back in If-Match (not sent with a shared "
			 "view, which cannot be changed)", "schema", "type",
			 "string", "pattern", "^\"[0-9]+\"$", "Location", "description",
			 "the path of the new record", "schema", "type", "string");
}

/* ---- operations -------------------------------------------------------- */

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

/* The n-th name of a comma-separated list of path parameter names. */
static void param_name(const char *names, size_t n, char *out, size_t outlen)
{
	const char *p = names ? names : "id";
	size_t len;
	while (n-- && p) {
		p = strchr(p, ',');
		if (p)
			p++;
	}
	if (!p) {
		snprintf(out, outlen, "id%zu", n + 2);
		return;
	}
	len = strcspn(p, ",");
	snprintf(out, outlen, "%.*s", (int)len, p);
}

/* "/api/v1/cases/{}" -> "/api/v1/cases/{id}"; the parameters into params. */
static void path_template(const char *pattern, const char *names, char *out, size_t outlen,
			  json_t *params)
{
	size_t used = 0, n = 0;
	const char *p;
	char name[64];

	for (p = pattern; *p && used + 1 < outlen; p++) {
		if (p[0] == '{' && p[1] == '}') {
			int k;
			param_name(names, n++, name, sizeof name);
			k = snprintf(out + used, outlen - used, "{%s}", name);
			if (k < 0 || (size_t)k >= outlen - used)
				break;
			used += (size_t)k;
			p++;
			json_array_append_new(
				params, json_pack("{s:s,s:s,s:b,s:{s:s,s:s}}", "name", name, "in", "path",
						  "required", 1, "schema", "type", "string", "pattern",
						  "^[A-Za-z0-9_.-]{1,128}$"));
			continue;
		}
		out[used++] = *p;
	}
	out[used] = '\0';
}

static json_t *security_of(unsigned method, unsigned flags)
{
	if (flags & ROUTE_PUBLIC)
		return json_array();
	if (method != M_GET && !(flags & ROUTE_NO_CSRF))
		return json_pack("[{s:[],s:[]},{s:[]}]", "cookieSession", "csrfToken", "bearerToken");
	return json_pack("[{s:[]},{s:[]}]", "cookieSession", "bearerToken");
}

static const char *status_text(int status)
{
	switch (status) {
	case 200: return "OK";
	case 201: return "Created";
	case 202: return "Accepted";
	case 204: return "No Content";
	default: return "Success";
	}
}

static json_t *success_response(const struct openapi_op *op)
{
	json_t *resp = json_pack("{s:s}", "description", status_text(op->status));
	json_t *headers = json_object(), *schema = NULL;

	if (op->response && (op->flags & DOC_LIST)) {
		schema = json_pack("{s:[o,{s:s,s:{s:{s:s,s:o}}}]}", "allOf", schema_ref("List"),
				   "type", "object", "properties", "items", "type", "array", "items",
				   schema_ref(op->response));
		if (op->flags & DOC_PAGED)
			json_object_set_new(resp, "description",
					    json_string("a page; `next` is the cursor of the next "
							"page (pass ?cursor=), null on the last"));
	} else if (op->response) {
		schema = schema_ref(op->response);
	}
	if (op->flags & DOC_FILE) {
		json_t *content = json_object();
		static const char *const types[] = {
			"application/pdf",
			"application/vnd.openxmlformats-officedocument.wordprocessingml.document",
			"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
			"application/vnd.oasis.opendocument.text", "image/png", "image/jpeg"};
		size_t i;
		for (i = 0; i < sizeof types / sizeof types[0]; i++)
			json_object_set_new(content, types[i],
					    json_pack("{s:{s:s,s:s}}", "schema", "type", "string",
						      "contentMediaType", types[i]));
		json_object_set_new(resp, "content", content);
		json_object_set_new(headers, "Content-Disposition",
				    json_pack("{s:s,s:{s:s}}", "description",
					      "attachment, with the file's name (filename*: UTF-8)",
					      "schema", "type", "string"));
	}
	if (schema || (op->flags & (DOC_CSV | DOC_XLSX))) {
		json_t *content = json_object();
		if (schema)
			json_object_set_new(content, "application/json",
					    json_pack("{s:o}", "schema", schema));
		if (op->flags & DOC_CSV)
			json_object_set_new(content, "text/csv",
					    json_pack("{s:{s:s,s:s}}", "schema", "type", "string",
						      "description",
						      "UTF-8 CSV; cells that could be read as a formula "
						      "are neutralised"));
		if (op->flags & DOC_XLSX)
			json_object_set_new(
				content,
				"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
				json_pack("{s:{s:s,s:s}}", "schema", "type", "string", "contentMediaType",
					  "application/vnd.openxmlformats-officedocument."
					  "spreadsheetml.sheet"));
		json_object_set_new(resp, "content", content);
	}
	if (op->flags & DOC_ETAG)
		json_object_set_new(headers, "ETag", ref_to("headers", "ETag"));
	if (op->flags & DOC_LOCATION)
		json_object_set_new(headers, "Location", ref_to("headers", "Location"));
	if (json_object_size(headers))
		json_object_set_new(resp, "headers", headers);
	else
		json_decref(headers);
	return resp;
}

/* The problems an operation may answer, by status. */
struct problem_set {
	unsigned char on[600];
};

static void add_problem(struct problem_set *ps, int status)
{
	if (!problem_name(status))
		gen_fail("%d: no problem response is declared", status);
	else
		ps->on[status] = 1;
}

/* Into responses, in the order of the statuses. */
static void put_problems(json_t *responses, const struct problem_set *ps)
{
	char key[8];
	size_t i;
	for (i = 0; i < sizeof problems / sizeof problems[0]; i++) {
		if (!ps->on[problems[i].status])
			continue;
		snprintf(key, sizeof key, "%d", problems[i].status);
		json_object_set_new(responses, key, ref_to("responses", problems[i].name));
	}
}

static json_t *operation(const struct openapi_op *op, const struct route *rt, unsigned method,
			 json_t *path_params)
{
	json_t *o = json_object(), *params = json_deep_copy(path_params), *responses;
	int has_query = op->query && op->query[0].name;
	int has_path = json_array_size(path_params) > 0;
	int public = (rt->flags & ROUTE_PUBLIC) != 0;
	struct problem_set ps;
	char key[8];
	const struct openapi_param *q;

	json_object_set_new(o, "operationId", json_string(op->operation_id));
	json_object_set_new(o, "summary", json_string(op->summary));
	if (op->description)
		json_object_set_new(o, "description", json_string(op->description));
	json_object_set_new(o, "tags", json_pack("[s]", op->tag));
	json_object_set_new(o, "security", security_of(method, rt->flags));
	if (op->flags & DOC_IF_MATCH)
		json_array_append_new(params, ref_to("parameters", "IfMatch"));
	/* api/idempotency.c: a question is asked again */
	if ((method & (M_POST | M_PATCH)) && !public && !(rt->flags & ROUTE_QUESTION))
		json_array_append_new(params, ref_to("parameters", "IdempotencyKey"));
	for (q = op->query; q && q->name; q++) {
		json_t *s = fragment(op->operation_id, q->schema);
		json_array_append_new(params,
				      json_pack("{s:s,s:s,s:b,s:s,s:o}", "name", q->name, "in", "query",
						"required", q->required, "description",
						q->description ? q->description : q->name, "schema",
						s ? s : json_object()));
	}
	if (json_array_size(params))
		json_object_set_new(o, "parameters", params);
	else
		json_decref(params);
	if (op->request) {
		json_t *content = json_pack("{s:{s:o}}", "application/json", "schema",
					    schema_ref(op->request));
		if (op->flags & DOC_FORM)
			json_object_set_new(content, "application/x-www-form-urlencoded",
					    json_pack("{s:o}", "schema", schema_ref(op->request)));
		json_object_set_new(o, "requestBody",
				    json_pack("{s:b,s:o}", "required",
					      !(op->flags & DOC_BODY_OPTIONAL), "content", content));
	}

	if (op->flags & DOC_UPLOAD)
		json_object_set_new(
			o, "requestBody",
			json_pack("{s:b,s:s,s:{s:{s:{s:s,s:s}}}}", "required", 1, "description",
				  "the file itself: PDF, DOCX, XLSX, ODT, PNG or JPEG (the type is "
				  "read from its bytes), at most 20 MiB; never JSON",
				  "content", "application/octet-stream", "schema", "type", "string",
				  "contentMediaType", "application/octet-stream"));

	responses = json_object();
	snprintf(key, sizeof key, "%d", op->status);
	json_object_set_new(responses, key, success_response(op));
	memset(&ps, 0, sizeof ps);
	if (op->request && !(op->flags & DOC_QUIET_BODY)) {
		add_problem(&ps, 400);
		add_problem(&ps, 415);
	}
	if (op->flags & DOC_UPLOAD)
		add_problem(&ps, 415);
	if (op->request || (op->flags & (DOC_TOO_LARGE | DOC_UPLOAD)))
		add_problem(&ps, 413);
	if (!public) {
		add_problem(&ps, 401);
		if (!((rt->flags & ROUTE_PENDING) && method == M_GET))
			add_problem(&ps, 403);
	}
	if (has_path || (op->flags & DOC_NOT_FOUND))
		add_problem(&ps, 404);
	if (op->flags & DOC_CONFLICT)
		add_problem(&ps, 409);
	if (op->flags & DOC_IF_MATCH) {
		add_problem(&ps, 412);
		add_problem(&ps, 428);
	}
	if ((op->request && !(op->flags & DOC_QUIET_BODY)) || has_query)
		add_problem(&ps, 422);
	if (op->flags & DOC_RATE)
		add_problem(&ps, 429);
	if (method != M_GET)
		add_problem(&ps, 503);
	put_problems(responses, &ps);
	json_object_set_new(o, "responses", responses);
	if (public)
		json_object_set_new(o, "x-public", json_true());
	if (op->flags & DOC_PAGED)
		json_object_set_new(o, "x-paged", json_true());
	return o;
}

/* A route that has no entry in openapi_ops[]: in the document all the
 * same, marked, so that the tests name it. */
static json_t *undocumented(const struct route *rt, unsigned method, json_t *path_params,
			    const char *path)
{
	char id[300];
	size_t i;
	snprintf(id, sizeof id, "undocumented_%s_%.250s", method_key(method), path);
	for (i = 0; id[i]; i++)
		if (!((id[i] >= 'a' && id[i] <= 'z') || (id[i] >= 'A' && id[i] <= 'Z') ||
		      (id[i] >= '0' && id[i] <= '9')))
			id[i] = '_';
	return json_pack("{s:s,s:s,s:O,s:o,s:{s:{s:s}},s:b}", "operationId", id, "summary",
			 "not documented: add an entry to openapi_ops[] (api/openapi_ops.c)",
			 "parameters", path_params, "security", security_of(method, rt->flags),
			 "responses", "default", "description", "not documented", "x-undocumented",
			 1);
}

static json_t *paths_of_routes(const struct route *table, size_t count)
{
	json_t *paths = json_object();
	size_t i;
	unsigned m;

	for (i = 0; i < count; i++) {
		const struct route *rt = &table[i];
		if (strncmp(rt->pattern, "/api/", 5))
			continue; /* /health and the UI's files */
		for (m = 1; m < M_OTHER; m <<= 1) {
			const struct openapi_op *op;
			json_t *item, *params;
			char path[256];
			if (!(rt->methods & m) || !method_key(m))
				continue;
			op = openapi_op_find(m, rt->pattern);
			params = json_array();
			path_template(rt->pattern, op ? op->param : NULL, path, sizeof path, params);
			item = json_object_get(paths, path);
			if (!item) {
				item = json_object();
				json_object_set_new(paths, path, item);
			}
			json_object_set_new(item, method_key(m),
					    op ? operation(op, rt, m, params)
					       : undocumented(rt, m, params, path));
			json_decref(params);
		}
	}
	return paths;
}

static json_t *tags(void)
{
	json_t *t = json_array(), *seen = json_object();
	size_t i;
	for (i = 0; i < openapi_ops_count; i++) {
		if (json_object_get(seen, openapi_ops[i].tag))
			continue;
		json_object_set_new(seen, openapi_ops[i].tag, json_true());
		json_array_append_new(t, json_pack("{s:s}", "name", openapi_ops[i].tag));
	}
	json_decref(seen);
	return t;
}

static json_t *document(const struct route *table, size_t count)
{
	json_t *schemas = json_object(), *doc;

	add_codelists(schemas);
	add_shapes(schemas);
	add_shareable(schemas);
	add_records(schemas);
	doc = json_pack(
		"{s:s,s:s,s:{s:s,s:s,s:s,s:{s:s,s:s}},s:[{s:s}],s:o,s:o,s:{s:o,s:o,s:o,s:o,s:o}}",
		"openapi", "3.1.0", "jsonSchemaDialect", "https://spec.openapis.org/oas/3.1/dialect/base",
		"info", "title", "Himoya API", "version", "1",
		"description",
		"The JSON API of Himoya, generated from its routing table and field declarations. "
		"Lists answer {\"items\":[...],\"next\":CURSOR or null}; records carry id and version; "
		"errors are application/problem+json (RFC 9457). A record the caller may not see "
		"answers 404.",
		"license", "name", "AGPL-3.0-or-later", "identifier", "AGPL-3.0-or-later",
		"servers", "url", "/",
		"tags", tags(),
		"paths", paths_of_routes(table, count),
		"components", "schemas", schemas, "responses", components_responses(), "parameters",
		components_parameters(), "headers", components_headers(), "securitySchemes",
		components_security());
	if (!doc)
		gen_fail("the document could not be assembled");
	return doc;
}

const struct openapi_op *openapi_op_find(unsigned method, const char *pattern)
{
	size_t i;
	for (i = 0; i < openapi_ops_count; i++)
		if (openapi_ops[i].method == method && !strcmp(openapi_ops[i].pattern, pattern))
			return &openapi_ops[i];
	return NULL;
}

static pthread_mutex_t gen_lock = PTHREAD_MUTEX_INITIALIZER;

char *openapi_generate_for(const struct route *table, size_t count, char *why, size_t whylen)
{
	json_t *doc;
	char *text = NULL;

	pthread_mutex_lock(&gen_lock);
	gen_why[0] = '\0';
	doc = document(table, count);
	if (doc && !gen_why[0])
		text = json_dumps(doc, JSON_COMPACT);
	if (!text && !gen_why[0])
		gen_fail("out of memory");
	if (!text && why)
		snprintf(why, whylen, "%s", gen_why);
	pthread_mutex_unlock(&gen_lock);
	json_decref(doc);
	return text;
}

char *openapi_generate(char *why, size_t whylen)
{
	return openapi_generate_for(api_routes, api_routes_count, why, whylen);
}

/* ---- the handler ---------------------------------------------------------- */

static pthread_once_t once = PTHREAD_ONCE_INIT;
static char *cached;

static void build_once(void)
{
	char why[256];
	cached = openapi_generate(why, sizeof why);
	if (!cached)
		fprintf(stderr, "himoya: the OpenAPI document cannot be made: %s\n", why);
}

int api_openapi(struct req *r)
{
	jsonw w;

	pthread_once(&once, build_once);
	if (!cached)
		return reply_problem(r, 500, "internal", "the OpenAPI document cannot be made");
	reply_json_begin(r, 200, &w);
	jw_raw(&w, cached, strlen(cached));
	jw_finish(&w);
	return 200;
}
