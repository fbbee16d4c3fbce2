/*
 * records.c - sealing and opening declared records; see records.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>

#include "api/records.h"
#include "domain/record.h"

/* A copy of a jansson dump in the arena; the dump is wiped and freed. */
static char *dump_to_arena(arena *a, json_t *j, size_t flags)
{
	char *s = json_dumps(j, flags), *copy;
	size_t n;
	if (!s)
		return NULL;
	n = strlen(s);
	copy = arena_strndup(a, s, n);
	sodium_memzero(s, n);
	free(s);
	return copy;
}

int record_seal_json(const keyring *kr, arena *a, json_t *secret, const char *id,
		     const unsigned char **sealed, size_t *sealed_len)
{
	char *s = json_dumps(secret, JSON_COMPACT);
	unsigned char *ct;
	size_t n;

	*sealed = NULL;
	*sealed_len = 0;
	if (!s)
		return -1;
	n = strlen(s);
	ct = arena_alloc(a, n + SEAL_OVERHEAD);
	if (ct) {
		seal_encrypt(kr, (const unsigned char *)s, n, id, ct);
		*sealed = ct;
		*sealed_len = n + SEAL_OVERHEAD;
	}
	sodium_memzero(s, n);
	free(s);
	return ct ? 0 : -1;
}

int record_seal(const keyring *kr, arena *a, const struct resource_schema *rs, json_t *rec,
		const char *id, const char **coded, const unsigned char **sealed,
		size_t *sealed_len)
{
	json_t *clear, *secret;
	char *c;
	int rc = -1;

	record_split(rs, rec, &clear, &secret);
	c = dump_to_arena(a, clear, JSON_COMPACT | JSON_SORT_KEYS);
	*sealed = NULL;
	*sealed_len = 0;
	if (!c)
		goto out;
	*coded = c;
	if (json_object_size(secret) == 0) {
		rc = 0;
		goto out;
	}
	rc = record_seal_json(kr, a, secret, id, sealed, sealed_len);
out:
	json_decref(clear);
	json_decref(secret);
	return rc;
}

json_t *record_open(const keyring *kr, arena *a, const char *coded, const unsigned char *sealed,
		    size_t sealed_len, const char *id)
{
	json_t *rec = json_loads(coded, 0, NULL), *secret;
	unsigned char *pt;
	size_t n;

	if (!rec || !json_is_object(rec)) {
		json_decref(rec);
		return NULL;
	}
	if (!sealed || sealed_len == 0)
		return rec;
	if (sealed_len < SEAL_OVERHEAD)
		goto bad;
	n = sealed_len - SEAL_OVERHEAD;
	pt = arena_alloc(a, n + 1);
	if (!pt || seal_decrypt(kr, sealed, sealed_len, id, pt) != 0)
		goto bad;
	secret = json_loadb((const char *)pt, n, 0, NULL);
	sodium_memzero(pt, n);
	if (!secret)
		goto bad;
	json_object_update(rec, secret);
	json_decref(secret);
	return rec;
bad:
	json_decref(rec);
	return NULL;
}

void record_write_coded(jsonw *w, const struct resource_schema *rs, json_t *rec)
{
	size_t i;
	for (i = 0; i < rs->n; i++) {
		json_t *v = json_object_get(rec, rs->fields[i].name);
		if (v && rs->fields[i].cls == FC_CODED) {
			jw_key(w, rs->fields[i].name);
			jw_value(w, v);
		}
	}
}

void record_secret_fields(const struct resource_schema *rs, json_t *rec, char *out, size_t outlen)
{
	size_t i, used = 0;

	out[0] = '\0';
	for (i = 0; i < rs->n; i++) {
		const struct field *f = &rs->fields[i];
		int n;
		if (f->cls == FC_CODED || !json_object_get(rec, f->name))
			continue;
		n = snprintf(out + used, outlen - used, "%s%s", used ? "," : "", f->name);
		if (n < 0 || (size_t)n >= outlen - used) {
			out[used] = '\0';
			break;
		}
		used += (size_t)n;
	}
}

void jw_value(jsonw *w, json_t *v)
{
	const char *key;
	json_t *item;
	size_t i;

	switch (json_typeof(v)) {
	case JSON_OBJECT:
		jw_object(w);
		json_object_foreach(v, key, item) {
			jw_key(w, key);
			jw_value(w, item);
		}
		jw_end(w);
		break;
	case JSON_ARRAY:
		jw_array(w);
		json_array_foreach(v, i, item)
			jw_value(w, item);
		jw_end(w);
		break;
	case JSON_STRING:
		jw_strn(w, json_string_value(v), json_string_length(v));
		break;
	case JSON_INTEGER:
		jw_int(w, json_integer_value(v));
		break;
	case JSON_REAL: {
		char num[64];
		snprintf(num, sizeof num, "%.17g", json_real_value(v));
		jw_raw(w, num, strlen(num));
		break;
	}
	case JSON_TRUE:
		jw_bool(w, 1);
		break;
	case JSON_FALSE:
		jw_bool(w, 0);
		break;
	case JSON_NULL:
		jw_null(w);
		break;
	}
}
