/*
 * records.h - turning a declared record (schema/fields.h) into what the
 * store keeps and back: coded fields as clear JSON, pii and sensitive
 * fields as one sealed JSON blob bound to the record's id.  Used by every
 * resource and by the command line's demo and import.
 */
#ifndef HIMOYA_RECORDS_H
#define HIMOYA_RECORDS_H

#include <jansson.h>

#include "crypto/crypto.h"
#include "fields.h"
#include "util/arena.h"
#include "util/jsonw.h"

/* Split rec by class: *coded gets the clear JSON text, *sealed the sealed
 * secret part (NULL with *sealed_len 0 when there is none), both in the
 * arena.  Returns 0, or -1 when out of memory. */
int record_seal(const keyring *kr, arena *a, const struct resource_schema *rs, json_t *rec,
		const char *id, const char **coded, const unsigned char **sealed,
		size_t *sealed_len);

/* The one sealer: secret's compact JSON sealed to id into the arena
 * (*sealed, *sealed_len); the plaintext is wiped.  0, or -1 (memory). */
int record_seal_json(const keyring *kr, arena *a, json_t *secret, const char *id,
		     const unsigned char **sealed, size_t *sealed_len);

/* The whole record again (new reference), or NULL when the sealed part
 * does not open under this key and id. */
json_t *record_open(const keyring *kr, arena *a, const char *coded, const unsigned char *sealed,
		    size_t sealed_len, const char *id);

/* Write the declared coded members of rec, in declaration order, as
 * members of the object being written.  Sealed members leave only
 * through api_write_fields() and its kin (api/disclose.h), which audit. */
void record_write_coded(jsonw *w, const struct resource_schema *rs, json_t *rec);

/* Comma-separated names of the pii and sensitive fields present. */
void record_secret_fields(const struct resource_schema *rs, json_t *rec, char *out, size_t outlen);

/* Write a jansson value through the escaping writer. */
void jw_value(jsonw *w, json_t *v);

#endif
