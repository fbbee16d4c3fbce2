/*
 * rawjson.h - the top-level members of a JSON object as spans of its text,
 * for splicing JSON this program wrote (a sealed record, a coded column)
 * into a reply without building a jansson tree and writing it out again.
 *
 * The text is checked as it is walked (strings, escapes, numbers,
 * literals, nesting), so a span is always one whole JSON value.
 */
#ifndef HIMOYA_RAWJSON_H
#define HIMOYA_RAWJSON_H

#include <stddef.h>

struct rawjson_member {
	const char *key;   /* the key's text between its quotes (no escapes) */
	size_t keylen;
	const char *value; /* the value's text */
	size_t len;
};

/* Split the object in [js, js + n) into at most max members; 0 and their
 * count, or -1 when the text is not one JSON object, a key holds an
 * escape, or it has more than max members. */
int rawjson_members(const char *js, size_t n, struct rawjson_member *out, size_t max,
		    size_t *count);
/* The member named key (NUL-terminated), or NULL. */
const struct rawjson_member *rawjson_find(const struct rawjson_member *m, size_t count,
					  const char *key);

#endif
