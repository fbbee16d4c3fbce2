/*
 * openapi.h - the OpenAPI 3.1 description of the API, generated from the
 * routing table (api/routes.c), the field declarations (schema/) and the
 * code lists, with one documentation entry per route beside them
 * (api/openapi_ops.c).
 *
 * Adding a route: add its entry to openapi_ops[] with the same method and
 * pattern as in api_routes[].  A route under /api/ without an entry, or
 * an entry without a route, makes the unit test (tests/unit/test_openapi.c)
 * and the API test (tests/api/openapi.test.mjs) fail, and the document
 * marks such a route "x-undocumented".
 */
#ifndef HIMOYA_OPENAPI_H
#define HIMOYA_OPENAPI_H

#include <stddef.h>

#include "fields.h"
#include "http/router.h"

/* A query parameter: its JSON Schema as JSON text. */
struct openapi_param {
	const char *name;
	const char *schema;
	const char *description;
	int required;
};

enum openapi_flags {
	DOC_IF_MATCH = 1 << 0,      /* needs If-Match (428 without, 412 when stale) */
	DOC_ETAG = 1 << 1,          /* the answer carries ETag: "VERSION" */
	DOC_LOCATION = 1 << 2,      /* the answer carries Location */
	DOC_CONFLICT = 1 << 3,      /* may answer 409 */
	DOC_LIST = 1 << 4,          /* answers {"items":[response...],"next":...} */
	DOC_PAGED = 1 << 5,         /* ... and `next` may be a cursor for ?cursor= */
	DOC_BODY_OPTIONAL = 1 << 6, /* the JSON body may be left out */
	DOC_RATE = 1 << 7,          /* may answer 429 */
	DOC_NOT_FOUND = 1 << 8,     /* may answer 404 without a path parameter */
	DOC_QUIET_BODY = 1 << 9,    /* a body it cannot use is dropped, not refused:
				     * no 400, 415 or 422 */
	DOC_FORM = 1 << 10,         /* the body may also be a form (urlencoded) */
	DOC_CSV = 1 << 11,          /* the answer may be text/csv */
	DOC_XLSX = 1 << 12,         /* the answer may be an XLSX workbook */
	DOC_TOO_LARGE = 1 << 13,    /* may answer 413 without a body (an answer too large) */
	DOC_UPLOAD = 1 << 14,       /* the body is a file (its type sniffed), not JSON */
	DOC_FILE = 1 << 15,         /* the answer is a file of the library's types */
};

/* The documentation of one route: method and pattern exactly as in
 * api_routes[] (one method per entry). */
struct openapi_op {
	unsigned method;
	const char *pattern;
	const char *operation_id;
	const char *tag;
	const char *summary;
	const char *request;    /* components.schemas name of the JSON body, or NULL */
	int status;             /* the success status */
	const char *response;   /* components.schemas name of the answer (or of the
				 * list's items), NULL for an empty answer */
	unsigned flags;
	const struct openapi_param *query; /* ends with a NULL name; NULL for none */
	const char *param;      /* the path parameter's name; "id" when NULL */
	const char *description;
};

/* A record declared in schema/, described as components.schemas: Name
 * (the answer, when envelope is set), NameCreate and NamePatch (the
 * bodies, when asked), with only the fields named in `only` (all when
 * NULL) and the members of `extra` beside them in NameCreate. */
enum { REC_CREATE = 1, REC_PATCH = 2 };

struct openapi_record {
	const struct resource_schema *rs;
	const char *name;
	const char *envelope;   /* JSON {"properties":{...},"required":[...]} of the
				 * answer's own members, or NULL for no answer schema */
	unsigned bodies;        /* REC_CREATE | REC_PATCH */
	const char *only;       /* "a,b,c": the fields the bodies take, or NULL */
	const char *extra;      /* JSON {"properties":{...},"required":[...]} added to
				 * NameCreate, or NULL */
};

/* A shape that no field table declares (an envelope, an HSDS view, a
 * command's body): its JSON Schema as JSON text. */
struct openapi_shape {
	const char *name;
	const char *schema;
};

extern const struct openapi_op openapi_ops[];
extern const size_t openapi_ops_count;
extern const struct openapi_record openapi_records[];
extern const size_t openapi_records_count;
extern const struct openapi_shape openapi_shapes[];
extern const size_t openapi_shapes_count;

/* The entry of (one method, pattern), or NULL. */
const struct openapi_op *openapi_op_find(unsigned method, const char *pattern);

/* The whole document as compact JSON text (malloc'd; the caller frees),
 * or NULL with the reason in why. */
char *openapi_generate(char *why, size_t whylen);
/* The same for another routing table (the tests'). */
char *openapi_generate_for(const struct route *table, size_t count, char *why, size_t whylen);

#endif
