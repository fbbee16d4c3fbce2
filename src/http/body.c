/*
 * body.c - strict JSON request bodies through jansson.
 *
 * A body must be declared application/json, be valid UTF-8 (jansson
 * checks), hold exactly one object, repeat no key (JSON_REJECT_DUPLICATES)
 * and carry no NUL characters (jansson refuses \u0000 unless asked).
 */
#include <string.h>
#include <strings.h>

#include "http/request.h"

static int is_json_type(const char *ct)
{
	size_t n = strlen("application/json");
	if (!ct || strncasecmp(ct, "application/json", n) != 0)
		return 0;
	ct += n;
	while (*ct == ' ')
		ct++;
	return *ct == '\0' || *ct == ';';
}

json_t *req_json_object(struct req *r)
{
	json_error_t e;
	json_t *j;

	if (!is_json_type(req_header(r, "Content-Type"))) {
		reply_problem(r, 415, "unsupported-media-type", "send the body as application/json");
		return NULL;
	}
	if (r->body.len == 0) {
		reply_problem(r, 400, "invalid-json", "the request body is empty");
		return NULL;
	}
	j = json_loadb(r->body.data, r->body.len, JSON_REJECT_DUPLICATES, &e);
	if (!j) {
		reply_problemf(r, 400, "invalid-json", "%s (line %d, column %d)", e.text, e.line,
			       e.column);
		return NULL;
	}
	if (!json_is_object(j)) {
		json_decref(j);
		reply_problem(r, 400, "invalid-json", "the body must be a JSON object");
		return NULL;
	}
	r->body_json = j;
	return j;
}
