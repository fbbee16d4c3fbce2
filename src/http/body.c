/*
 * body.c - strict JSON request bodies through jansson.
 *
 * A body must be declared application/json, be valid UTF-8 (jansson
 * checks), hold exactly one object, repeat no key (JSON_REJECT_DUPLICATES)
 * and carry no NUL characters (jansson refuses \u0000 unless asked).
 */
#include <stdio.h>
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

json_t *body_parse_object(const char *data, size_t len, char *why, size_t whylen)
{
	json_error_t e;
	json_t *j;

	if (len == 0) {
		snprintf(why, whylen, "the request body is empty");
		return NULL;
	}
	j = json_loadb(data, len, JSON_REJECT_DUPLICATES, &e);
	if (!j) {
		snprintf(why, whylen, "%s (line %d, column %d)", e.text, e.line, e.column);
		return NULL;
	}
	if (!json_is_object(j)) {
		json_decref(j);
		snprintf(why, whylen, "the body must be a JSON object");
		return NULL;
	}
	return j;
}

json_t *req_json_object(struct req *r)
{
	char why[512];
	json_t *j;

	if (!is_json_type(req_header(r, "Content-Type"))) {
		reply_problem(r, 415, "unsupported-media-type", "send the body as application/json");
		return NULL;
	}
	j = body_parse_object(r->body.data, r->body.len, why, sizeof why);
	if (!j) {
		reply_problem(r, 400, "invalid-json", why);
		return NULL;
	}
	r->body_json = j;
	return j;
}
