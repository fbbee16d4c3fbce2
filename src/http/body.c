/*
 * body.c - strict JSON request bodies through jansson.
 *
 * A body must be declared application/json (a charset, if named, UTF-8),
 * be valid UTF-8 (jansson checks), hold exactly one object, repeat no key
 * (JSON_REJECT_DUPLICATES) and carry no NUL characters (jansson refuses
 * \u0000 unless asked).
 * The public callback form may also send
 * application/x-www-form-urlencoded, decoded under the same rules.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "http/request.h"
#include "util/utf8.h"

/* The parameters after a media type: a charset, when one is named, is
 * UTF-8 (RFC 8259 8.1); a body declared latin1 is not taken for one. */
static int charset_ok(const char *p)
{
	while (*p) {
		p += strspn(p, " ;");
		if (!strncasecmp(p, "charset=", 8)) {
			const char *v = p + 8 + (p[8] == '"');
			size_t n = strcspn(v, "\"; ");
			return (n == 5 && !strncasecmp(v, "utf-8", 5)) ||
			       (n == 4 && !strncasecmp(v, "utf8", 4));
		}
		p += strcspn(p, ";");
	}
	return 1;
}

static int is_type(const char *ct, const char *type)
{
	size_t n = strlen(type);
	if (!ct || strncasecmp(ct, type, n) != 0)
		return 0;
	ct += n;
	while (*ct == ' ')
		ct++;
	return *ct == '\0' || (*ct == ';' && charset_ok(ct + 1));
}

static int is_json_type(const char *ct)
{
	return is_type(ct, "application/json");
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

/* ---- application/x-www-form-urlencoded (the public form) --------------- */

#define FORM_FIELDS_MAX 32

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Percent-decode s[0..n) ('+' is a space) into out, which holds n + 1;
 * the decoded length, or -1 on a bad escape or a NUL. */
static long form_decode(const char *s, size_t n, char *out)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++) {
		char c = s[i];
		if (c == '+') {
			c = ' ';
		} else if (c == '%') {
			int hi = i + 2 < n ? hex_digit(s[i + 1]) : -1;
			int lo = i + 2 < n ? hex_digit(s[i + 2]) : -1;
			if (hi < 0 || lo < 0)
				return -1;
			c = (char)(hi * 16 + lo);
			i += 2;
		}
		if (c == '\0')
			return -1;
		out[k++] = c;
	}
	out[k] = '\0';
	return (long)k;
}

json_t *body_parse_form(const char *data, size_t len, char *why, size_t whylen)
{
	json_t *obj = json_object();
	char *name = NULL, *value = NULL;
	size_t pos = 0, fields = 0;

	if (!obj || !(name = malloc(len + 1)) || !(value = malloc(len + 1))) {
		snprintf(why, whylen, "out of memory");
		goto fail;
	}
	while (pos < len) {
		const char *part = data + pos, *amp = memchr(part, '&', len - pos), *eq;
		size_t plen = amp ? (size_t)(amp - part) : len - pos;
		long nl, vl;
		json_t *v;

		pos += plen + 1;
		if (plen == 0)
			continue;
		if (++fields > FORM_FIELDS_MAX) {
			snprintf(why, whylen, "too many fields");
			goto fail;
		}
		eq = memchr(part, '=', plen);
		nl = form_decode(part, eq ? (size_t)(eq - part) : plen, name);
		vl = eq ? form_decode(eq + 1, plen - (size_t)(eq - part) - 1, value) : 0;
		if (!eq)
			value[0] = '\0';
		if (nl <= 0 || vl < 0) {
			snprintf(why, whylen, "a field is not properly encoded");
			goto fail;
		}
		if (json_object_get(obj, name)) {
			snprintf(why, whylen, "a field is given twice");
			goto fail;
		}
		if (!utf8_valid(name, (size_t)nl) || !utf8_valid(value, (size_t)vl) ||
		    !(v = json_stringn(value, (size_t)vl)) || json_object_set_new(obj, name, v) != 0) {
			snprintf(why, whylen, "a field is not valid UTF-8");
			goto fail;
		}
	}
	free(name);
	free(value);
	return obj;
fail:
	free(name);
	free(value);
	json_decref(obj);
	return NULL;
}

json_t *req_form_object(struct req *r)
{
	const char *ct = req_header(r, "Content-Type");
	char why[256];
	json_t *j;

	if (!is_type(ct, "application/x-www-form-urlencoded"))
		return req_json_object(r);
	j = body_parse_form(r->body.data ? r->body.data : "", r->body.len, why, sizeof why);
	if (!j) {
		reply_problem(r, 400, "invalid-form", why);
		return NULL;
	}
	r->body_json = j;
	return j;
}
