/*
 * fuzz_body.c - the request-body path without a network.
 *
 * The input is parsed the way http/body.c parses a request body
 * (body_parse_object: one JSON object, no duplicate keys, no NUL), checked
 * against the fields of every resource (schema/) in both modes, split by
 * sensitivity class, patched onto an empty record (and, for persons, onto
 * a copy of a valid person) and written out through the escaping writer,
 * whose output must parse back to the same value.  The same bytes are
 * also decoded as the public form's application/x-www-form-urlencoded
 * body (body_parse_form) under the same checks.  They also go
 * through the UTF-8 validator (against an independent decoder written
 * here) and the name and phone keys.  Every check that fails abort()s,
 * which libFuzzer reports as a crash.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "domain/namekey.h"
#include "domain/record.h"
#include "http/request.h"
#include "util/buf.h"
#include "util/jsonw.h"
#include "util/utf8.h"

#define INPUT_MAX (64 * 1024) /* bodies past this add time, not paths */
#define OUT_CAP (4 * 1024 * 1024)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                  \
	do {                                                                         \
		if (!(cond)) {                                                       \
			fprintf(stderr, "fuzz_body: check failed at %s:%d: %s\n", __FILE__, \
				__LINE__, #cond);                                    \
			abort();                                                     \
		}                                                                    \
	} while (0)

/* ---- UTF-8: utf8.c against a decoder written from RFC 3629 ------------- */

/* Length of the well-formed sequence at s, 0 if none: decode, then refuse
 * overlongs, surrogates and code points past U+10FFFF. */
static size_t ref_char_len(const unsigned char *s, size_t n)
{
	uint32_t cp;
	size_t len, i;

	if (n == 0)
		return 0;
	if (s[0] < 0x80)
		return 1;
	if ((s[0] & 0xe0) == 0xc0) {
		len = 2;
		cp = s[0] & 0x1f;
	} else if ((s[0] & 0xf0) == 0xe0) {
		len = 3;
		cp = s[0] & 0x0f;
	} else if ((s[0] & 0xf8) == 0xf0) {
		len = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000))
		return 0;
	if ((cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return len;
}

static void fuzz_utf8(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, chars = 0;
	int ok = 1;

	CHECK(utf8_char_len(s, 0) == 0);
	while (i < n) {
		size_t k = utf8_char_len(s + i, n - i);
		CHECK(k == ref_char_len(u + i, n - i));
		if (!k || u[i] == 0)
			ok = 0;
		if (!k) {
			i++;
			continue;
		}
		chars++;
		i += k;
	}
	CHECK(utf8_valid(s, n) == ok);
	if (ok)
		CHECK(utf8_count(s, n) == chars);
}

/* ---- name and phone keys ------------------------------------------------ */

static void check_key(const char *key, size_t len)
{
	size_t i;

	CHECK(len >= 2 && len < NAMEKEY_MAX);
	CHECK(strlen(key) == len);
	for (i = 0; i < len; i++)
		CHECK(key[i] >= 'a' && key[i] <= 'z');
}

static void fuzz_names(const char *s, size_t n, const char *cstr)
{
	char keys[NAMEKEY_WORDS][NAMEKEY_MAX], again[NAMEKEY_WORDS][NAMEKEY_MAX];
	char one[NAMEKEY_MAX], phone[24];
	size_t nk, i, j, len, cl = strlen(cstr);

	nk = namekey_words(cstr, keys, NAMEKEY_WORDS);
	CHECK(nk <= NAMEKEY_WORDS);
	if (!utf8_valid(cstr, cl))
		CHECK(nk == 0);
	for (i = 0; i < nk; i++) {
		check_key(keys[i], strlen(keys[i]));
		for (j = 0; j < i; j++)
			CHECK(strcmp(keys[i], keys[j]) != 0);
	}
	/* The same name gives the same keys; a smaller max takes a prefix. */
	CHECK(namekey_words(cstr, again, NAMEKEY_WORDS) == nk);
	for (i = 0; i < nk; i++)
		CHECK(strcmp(keys[i], again[i]) == 0);
	if (nk > 1) {
		CHECK(namekey_words(cstr, again, 1) == 1);
		CHECK(strcmp(again[0], keys[0]) == 0);
	}

	/* The raw bytes, not NUL-terminated: the whole span is one word. */
	len = namekey_word(s, n, one);
	if (len)
		check_key(one, len);
	else
		CHECK(one[0] == '\0');

	len = phone_key(cstr, phone);
	CHECK(strlen(phone) == len);
	if (len) {
		CHECK(len >= 7 && len <= 15);
		for (i = 0; i < len; i++)
			CHECK(phone[i] >= '0' && phone[i] <= '9');
	}
}

/* ---- the body ----------------------------------------------------------- */

/* Every string jansson hands out is valid UTF-8 without NUL. */
static void check_strings(json_t *v)
{
	const char *key;
	json_t *item;
	size_t i;

	switch (json_typeof(v)) {
	case JSON_OBJECT:
		json_object_foreach(v, key, item) {
			CHECK(utf8_valid(key, strlen(key)));
			check_strings(item);
		}
		break;
	case JSON_ARRAY:
		json_array_foreach(v, i, item)
			check_strings(item);
		break;
	case JSON_STRING:
		CHECK(strlen(json_string_value(v)) == json_string_length(v));
		CHECK(utf8_valid(json_string_value(v), json_string_length(v)));
		break;
	default:
		break;
	}
}

/* json_equal, except that a real written as "%.17g" may come back as an
 * integer ("1" for 1.0): numbers compare by value. */
static int same_value(json_t *a, json_t *b)
{
	const char *key;
	json_t *item;
	size_t i;

	if (json_is_number(a) && json_is_number(b)) {
		if (json_is_integer(a) && json_is_integer(b))
			return json_integer_value(a) == json_integer_value(b);
		return json_number_value(a) == json_number_value(b);
	}
	if (json_typeof(a) != json_typeof(b))
		return 0;
	switch (json_typeof(a)) {
	case JSON_OBJECT:
		if (json_object_size(a) != json_object_size(b))
			return 0;
		json_object_foreach(a, key, item) {
			json_t *other = json_object_get(b, key);
			if (!other || !same_value(item, other))
				return 0;
		}
		return 1;
	case JSON_ARRAY:
		if (json_array_size(a) != json_array_size(b))
			return 0;
		json_array_foreach(a, i, item)
			if (!same_value(item, json_array_get(b, i)))
				return 0;
		return 1;
	default:
		return json_equal(a, b);
	}
}

static int depth_of(json_t *v)
{
	const char *key;
	json_t *item;
	size_t i;
	int d = 0, k;

	if (json_is_object(v)) {
		json_object_foreach(v, key, item) {
			k = depth_of(item);
			d = k > d ? k : d;
		}
		return d + 1;
	}
	if (json_is_array(v)) {
		json_array_foreach(v, i, item) {
			k = depth_of(item);
			d = k > d ? k : d;
		}
		return d + 1;
	}
	return 0;
}

/* Write v through jw_value; the output must be JSON that reads back as v.
 * Values nested deeper than the writer's stack must be refused. */
static void check_roundtrip(json_t *v)
{
	json_error_t e;
	json_t *back;
	jsonw w;
	buf b;

	buf_init(&b, OUT_CAP);
	jw_init(&w, &b);
	jw_value(&w, v);
	jw_finish(&w);
	CHECK(w.depth == 0);
	CHECK(strlen(b.data) == b.len);
	if (depth_of(v) > JW_MAX_DEPTH) {
		CHECK(!buf_ok(&b));
		buf_free(&b);
		return;
	}
	CHECK(buf_ok(&b));
	CHECK(utf8_valid(b.data, b.len));
	/* The writer escapes < > & so that JSON cannot close an HTML context. */
	CHECK(!memchr(b.data, '<', b.len) && !memchr(b.data, '>', b.len) &&
	      !memchr(b.data, '&', b.len));
	back = json_loadb(b.data, b.len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &e);
	if (!back)
		fprintf(stderr, "fuzz_body: writer output does not parse: %s: %.*s\n", e.text,
			(int)(b.len > 400 ? 400 : b.len), b.data);
	CHECK(back);
	CHECK(same_value(v, back));
	json_decref(back);
	buf_free(&b);
}

/* A valid stored person, to patch onto. */
static json_t *base_person(void)
{
	static const char person[] =
		"{\"given_name\":\"Фаррух\",\"family_name\":\"Ҷумъаев\",\"patronymic\":\"Азизович\","
		"\"aliases\":[\"Jumaev\"],\"birth_date\":\"1990-05-01\",\"gender\":\"Masculine\","
		"\"citizenship\":\"TJ\",\"phones\":[\"+992 93 123 45 67\"]}";
	struct record_error e;
	json_t *j = json_loads(person, 0, NULL);

	CHECK(j && record_validate(&person_schema, j, RECORD_CREATE, &e) == 0);
	return j;
}

static void check_split(const struct resource_schema *rs, json_t *obj)
{
	json_t *coded, *secret, *v;
	const char *key;
	size_t known = 0;

	record_split(rs, obj, &coded, &secret);
	CHECK(coded && secret);
	json_object_foreach(obj, key, v) {
		const struct field *f = schema_field(rs, key);
		if (!f || json_is_null(v)) {
			CHECK(!json_object_get(coded, key) && !json_object_get(secret, key));
			continue;
		}
		known++;
		CHECK(json_object_get(f->cls == FC_CODED ? coded : secret, key) == v);
		CHECK(!json_object_get(f->cls == FC_CODED ? secret : coded, key));
	}
	CHECK(json_object_size(coded) + json_object_size(secret) == known);
	check_roundtrip(coded);
	check_roundtrip(secret);
	json_decref(coded);
	json_decref(secret);
}

/* Patch onto base (consumed): null members go, the others are taken as
 * they are, and a valid record with a valid patch stays valid. */
static void check_patch(const struct resource_schema *rs, json_t *base, json_t *patch)
{
	struct record_error e;
	const char *key;
	json_t *v;

	record_patch(base, patch);
	json_object_foreach(patch, key, v) {
		if (json_is_null(v))
			CHECK(!json_object_get(base, key));
		else
			CHECK(json_object_get(base, key) == v);
	}
	/* An empty record is no patch (empty-patch), whatever it came from. */
	memset(&e, 0, sizeof e);
	if (json_object_size(base) && record_validate(rs, base, RECORD_PATCH, &e) != 0)
		fprintf(stderr, "fuzz_body: patched %s invalid: %s\n", rs->name, e.detail);
	CHECK(!json_object_size(base) || record_validate(rs, base, RECORD_PATCH, &e) == 0);
	check_split(rs, base);
	check_roundtrip(base);
	json_decref(base);
}

/* The body against one resource's fields, as the API would take it. */
static void check_record(const struct resource_schema *rs, json_t *body)
{
	struct record_error e;
	char pii[512];
	int created, patched;

	/* e.field may be "": {"": 1} names an unknown field with no name. */
	memset(&e, 0, sizeof e);
	created = record_validate(rs, body, RECORD_CREATE, &e);
	CHECK(created == 0 || created == -1);
	if (created)
		CHECK(e.type && strlen(e.field) < sizeof e.field && e.detail[0]);
	memset(&e, 0, sizeof e);
	patched = record_validate(rs, body, RECORD_PATCH, &e);
	CHECK(patched == 0 || patched == -1);
	if (patched)
		CHECK(e.type && strlen(e.field) < sizeof e.field && e.detail[0]);
	/* Create is the stricter mode, but for the empty body: a patch that
	 * names no field is refused (empty-patch). */
	if (created == 0)
		CHECK(patched == 0 || (json_object_size(body) == 0 && !strcmp(e.type, "empty-patch")));

	check_split(rs, body);
	record_pii_fields(rs, body, pii, sizeof pii);
	CHECK(strlen(pii) < sizeof pii);

	if (patched == 0) {
		check_patch(rs, json_object(), body);
		if (rs == &person_schema)
			check_patch(rs, base_person(), body);
	}
}

static void fuzz_body(const char *s, size_t n)
{
	static const struct resource_schema *const schemas[] = {
		&person_schema, &case_schema, &note_schema, &decision_schema,
		&service_schema, &plan_schema, &followup_schema, &consent_schema,
		&contact_schema, &caller_flag_schema, &callback_schema, &callback_request_schema,
	};
	char why[512];
	json_t *body;
	size_t i;

	/* The public form's urlencoded bodies (body_parse_form). */
	why[0] = '\0';
	body = body_parse_form(s, n, why, sizeof why);
	if (!body) {
		CHECK(why[0] != '\0' && strlen(why) < sizeof why);
	} else {
		CHECK(json_is_object(body));
		check_strings(body);
		check_roundtrip(body);
		check_record(&callback_request_schema, body);
		json_decref(body);
	}

	why[0] = '\0';
	body = body_parse_object(s, n, why, sizeof why);
	if (!body) {
		CHECK(why[0] != '\0' && strlen(why) < sizeof why);
		return;
	}
	CHECK(json_is_object(body));
	check_strings(body);
	check_roundtrip(body);
	for (i = 0; i < sizeof schemas / sizeof schemas[0]; i++)
		check_record(schemas[i], body);
	json_decref(body);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *copy;

	if (size > INPUT_MAX)
		return 0;
	fuzz_utf8((const char *)data, size);

	copy = malloc(size + 1);
	if (!copy)
		return 0;
	memcpy(copy, data, size);
	copy[size] = '\0';
	fuzz_names((const char *)data, size, copy);
	free(copy);

	fuzz_body((const char *)data, size);
	return 0;
}
