/*
 * record.h - checking a JSON record against its declared fields
 * (schema/fields.h) and splitting it by sensitivity class.  Pure: no
 * HTTP, no SQL.
 */
#ifndef HIMOYA_RECORD_H
#define HIMOYA_RECORD_H

#include <jansson.h>

#include "fields.h"

struct record_error {
	const char *type;   /* "unknown-field", "invalid-value", "missing-field" */
	char field[64];
	char detail[256];
};

enum record_mode { RECORD_CREATE, RECORD_PATCH };

/* 1 when s is a text of a field of maxlen characters: not empty nor
 * spaces only, no control character (line breaks and tabs only in a free
 * text), no text-direction control; else 0 and *why says which. */
int record_text_ok(const char *s, size_t maxlen, const char **why);
/* 3 when s begins with a text-direction control (U+202A-U+202E,
 * U+2066-U+2069, three bytes in UTF-8), else 0. */
size_t record_direction_control(const char *s);

/* 0 when every member of obj is a declared field with a valid value
 * (in RECORD_PATCH, null is also allowed and means "remove", and obj must
 * name at least one field: "empty-patch"), and every required field is
 * present on create; else -1 and e is filled. */
int record_validate(const struct resource_schema *rs, json_t *obj, enum record_mode mode,
		    struct record_error *e);

/* New objects with the members of obj whose field is coded (clear) and
 * pii or sensitive (to be sealed).  The caller owns both references. */
void record_split(const struct resource_schema *rs, json_t *obj, json_t **coded,
		  json_t **secret);

/* Apply a validated patch onto base (null members remove). */
void record_patch(json_t *base, json_t *patch);

/* Names of the pii fields present in obj, comma-separated, into out. */
void record_pii_fields(const struct resource_schema *rs, json_t *obj, char *out, size_t outlen);

/* 1 when s is a real calendar date YYYY-MM-DD in 1900..2199. */
int date_valid(const char *s);

/* The same, also giving the date's year, month (1-12) and day. */
int date_parse(const char *s, int *y, int *m, int *d);

/* The days of month m (1-12) of year y. */
int date_month_days(int y, int m);

/* 1 when s is a real calendar date YYYY-MM-DD between 1900-01-01 and
 * the programme's today (consent_zone_set) inclusive. */
int date_valid_past(const char *s);

/* 1 when s is a UTC time YYYY-MM-DDTHH:MM:SSZ on a real date in
 * 1900..2199; unless future_ok, no later than now (and a few minutes of
 * clock skew). */
int datetime_valid(const char *s, int future_ok);

#endif
