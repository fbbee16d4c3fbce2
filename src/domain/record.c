/*
 * record.c - validation and splitting of records after their field
 * declarations.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "domain/iso3166.h"
#include "domain/record.h"
#include "util/utf8.h"

static int fail(struct record_error *e, const char *type, const char *field, const char *detail)
{
	size_t n, len = strlen(detail);
	e->type = type;
	snprintf(e->field, sizeof e->field, "%s", field);
	snprintf(e->detail, sizeof e->detail, "%s: ", field);
	/* Append by hand, cut to fit: gcc -O3 refuses a snprintf that may
	 * truncate a nested item's detail (-Werror=format-truncation). */
	n = strlen(e->detail);
	if (len > sizeof e->detail - 1 - n)
		len = sizeof e->detail - 1 - n;
	memcpy(e->detail + n, detail, len);
	e->detail[n + len] = '\0';
	return -1;
}

static int is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int date_month_days(int y, int m)
{
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	return mdays[m - 1] + (m == 2 && is_leap(y));
}

int date_parse(const char *s, int *y, int *m, int *d)
{
	int i;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return 0;
	for (i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return 0;
	*y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	*m = (s[5] - '0') * 10 + (s[6] - '0');
	*d = (s[8] - '0') * 10 + (s[9] - '0');
	if (*y < 1900 || *y > 2199 || *m < 1 || *m > 12 || *d < 1)
		return 0;
	return *d <= date_month_days(*y, *m);
}

int date_valid(const char *s)
{
	int y, m, d;
	return date_parse(s, &y, &m, &d);
}

int date_valid_past(const char *s)
{
	char today[11];
	time_t t = time(NULL);
	struct tm tm;

	if (!date_valid(s))
		return 0;
	/* The programme's day (its zone is the process's: consent_zone_set),
	 * as every other "today": in UTC, a date of today was "in the future"
	 * for hours each day east of UTC, and tomorrow was past west of it. */
	localtime_r(&t, &tm);
	strftime(today, sizeof today, "%Y-%m-%d", &tm);
	return strcmp(s, today) <= 0;
}

/* A clock a few minutes fast (an operator's computer) is not an error. */
#define DATETIME_SKEW_SECS 300

int datetime_valid(const char *s, int future_ok)
{
	static const int at[] = {11, 12, 14, 15, 17, 18};
	char date[11], limit[21];
	time_t t;
	struct tm tm;
	size_t i;

	if (strlen(s) != 20 || s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[19] != 'Z')
		return 0;
	memcpy(date, s, 10);
	date[10] = '\0';
	if (!date_valid(date))
		return 0;
	for (i = 0; i < sizeof at / sizeof at[0]; i++)
		if (s[at[i]] < '0' || s[at[i]] > '9')
			return 0;
	if ((s[11] - '0') * 10 + (s[12] - '0') > 23 || s[14] > '5' || s[17] > '5')
		return 0;
	if (future_ok)
		return 1;
	t = time(NULL) + DATETIME_SKEW_SECS;
	gmtime_r(&t, &tm);
	strftime(limit, sizeof limit, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return strcmp(s, limit) <= 0;
}

/* Free text (a note, a summary: fields of TEXT_FREE_MIN characters or
 * more) may run over several lines; a name or a code never does. */
#define TEXT_FREE_MIN 1000

/* Text: a string of 1..maxlen characters without control characters
 * (but line breaks and tabs in free text). */
/* U+202A..U+202E (embeddings, overrides) and U+2066..U+2069 (isolates):
 * they make a text show otherwise than it reads (an outside review stored
 * a phone number shown as another than the one dialled). */
size_t record_direction_control(const char *s)
{
	const unsigned char *c = (const unsigned char *)s;

	return c[0] == 0xe2 && ((c[1] == 0x80 && c[2] >= 0xaa && c[2] <= 0xae) ||
				(c[1] == 0x81 && c[2] >= 0xa6 && c[2] <= 0xa9)) ? 3 : 0;
}

int record_text_ok(const char *s, size_t maxlen, const char **why)
{
	size_t n = strlen(s), i;
	int word = 0;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c != ' ' && c != '\n' && c != '\r' && c != '\t')
			word = 1;
		if (maxlen >= TEXT_FREE_MIN && (c == '\n' || c == '\r' || c == '\t'))
			continue;
		/* C0, DEL, and C1 (U+0080..U+009F, encoded C2 80..C2 9F) */
		if (c < 0x20 || c == 0x7f ||
		    (c == 0xc2 && i + 1 < n && (unsigned char)s[i + 1] <= 0x9f)) {
			*why = "must not contain control characters";
			return 0;
		}
		if (c == 0xe2 && record_direction_control(s + i)) {
			*why = "must not contain text-direction controls (U+202A-U+202E, U+2066-U+2069)";
			return 0;
		}
	}
	if (!word) { /* nothing, or spaces only */
		*why = "must not be empty";
		return 0;
	}
	if (utf8_count(s, n) > maxlen) {
		*why = "is too long";
		return 0;
	}
	return 1;
}

static int phone_ok(const char *s, size_t maxlen)
{
	size_t digits = 0;
	if (strlen(s) > maxlen)
		return 0;
	for (; *s; s++) {
		if (*s >= '0' && *s <= '9')
			digits++;
		else if (!strchr(" +()-.", *s))
			return 0;
	}
	return digits >= 7 && digits <= 15;
}

/* An assigned ISO 3166-1 alpha-2 code: "XX" is two capitals and no country. */
static int country_ok(json_t *v)
{
	return json_is_string(v) && iso3166_has(json_string_value(v));
}

/* Ids are 26 characters of lower-case base32 (store_new_id). */
static int id_ok(const char *s)
{
	size_t i;
	for (i = 0; s[i]; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '2' && s[i] <= '7')))
			return 0;
	return i == 26;
}

static int value_ok(const struct field *f, json_t *v, struct record_error *e)
{
	const char *why = NULL;
	size_t i;
	json_t *item;

	switch (f->type) {
	case FT_TEXT:
		if (!json_is_string(v))
			return fail(e, "invalid-value", f->name, "must be a string");
		if (!record_text_ok(json_string_value(v), f->maxlen, &why))
			return fail(e, "invalid-value", f->name, why);
		return 0;
	case FT_DATE:
		if (f->future_ok) {
			if (!json_is_string(v) || !date_valid(json_string_value(v)))
				return fail(e, "invalid-value", f->name,
					    "must be a date written YYYY-MM-DD");
			return 0;
		}
		/* No such day (31.02) is said apart from a day to come: the
		 * screens told "not in the future" for both. */
		if (!json_is_string(v) || !date_valid(json_string_value(v)))
			return fail(e, "invalid-value", f->name,
				    "must be a date written YYYY-MM-DD");
		if (!date_valid_past(json_string_value(v)))
			return fail(e, "invalid-value", f->name,
				    "must be a past date (today at the latest)");
		return 0;
	case FT_DATETIME:
		if (!json_is_string(v) || !datetime_valid(json_string_value(v), f->future_ok))
			return fail(e, "invalid-value", f->name,
				    f->future_ok ? "must be a time written YYYY-MM-DDTHH:MM:SSZ"
						 : "must be a past time written YYYY-MM-DDTHH:MM:SSZ");
		return 0;
	case FT_BOOL:
		if (!json_is_boolean(v))
			return fail(e, "invalid-value", f->name, "must be true or false");
		return 0;
	case FT_ID:
		if (!json_is_string(v) || !id_ok(json_string_value(v)))
			return fail(e, "invalid-value", f->name, "must be the id of a record");
		return 0;
	case FT_OBJECT_LIST:
		if (!json_is_array(v))
			return fail(e, "invalid-value", f->name, "must be a list");
		if (json_array_size(v) > f->maxitems)
			return fail(e, "invalid-value", f->name, "has too many items");
		json_array_foreach(v, i, item) {
			struct record_error sub;
			if (!json_is_object(item))
				return fail(e, "invalid-value", f->name, "items must be objects");
			if (record_validate(f->sub, item, RECORD_CREATE, &sub)) {
				char inner[sizeof sub.detail + 32];
				snprintf(inner, sizeof inner, "item %zu: %s", i + 1, sub.detail);
				return fail(e, sub.type, f->name, inner);
			}
		}
		return 0;
	case FT_COUNTRY_LIST:
		if (!json_is_array(v))
			return fail(e, "invalid-value", f->name, "must be a list");
		if (json_array_size(v) > f->maxitems)
			return fail(e, "invalid-value", f->name, "has too many items");
		json_array_foreach(v, i, item)
			if (!country_ok(item))
				return fail(e, "invalid-value", f->name,
					    "items must be ISO 3166 alpha-2 codes such as RU");
		return 0;
	case FT_CODE:
		if (!json_is_string(v) || !codelist_has(f->codes, json_string_value(v)))
			return fail(e, "invalid-value", f->name, "is not a value of its code list");
		return 0;
	case FT_COUNTRY:
		if (!country_ok(v))
			return fail(e, "invalid-value", f->name,
				    "must be an ISO 3166 alpha-2 country code such as TJ");
		return 0;
	case FT_INT:
		if (!json_is_integer(v) || json_integer_value(v) < f->min ||
		    json_integer_value(v) > f->max)
			return fail(e, "invalid-value", f->name, "is not an integer in range");
		return 0;
	case FT_TEXT_LIST:
	case FT_CODE_LIST:
	case FT_PHONE_LIST:
		if (!json_is_array(v))
			return fail(e, "invalid-value", f->name, "must be a list");
		if (json_array_size(v) > f->maxitems)
			return fail(e, "invalid-value", f->name, "has too many items");
		json_array_foreach(v, i, item) {
			if (!json_is_string(item))
				return fail(e, "invalid-value", f->name, "items must be strings");
			if (f->type == FT_CODE_LIST && !codelist_has(f->codes, json_string_value(item)))
				return fail(e, "invalid-value", f->name,
					    "has a value outside its code list");
			if (f->type == FT_PHONE_LIST &&
			    !phone_ok(json_string_value(item), f->maxlen))
				return fail(e, "invalid-value", f->name,
					    "items must be phone numbers of 7 to 15 digits");
			if (f->type == FT_TEXT_LIST &&
			    !record_text_ok(json_string_value(item), f->maxlen, &why))
				return fail(e, "invalid-value", f->name, why);
		}
		return 0;
	}
	return fail(e, "invalid-value", f->name, "has an unknown type");
}

int record_validate(const struct resource_schema *rs, json_t *obj, enum record_mode mode,
		    struct record_error *e)
{
	const char *key;
	json_t *v;
	size_t i;

	/* A change that changes nothing is refused: it would answer the
	 * whole record under an update that names no field. */
	if (mode == RECORD_PATCH && json_object_size(obj) == 0)
		return fail(e, "empty-patch", "body", "names no field to change");
	json_object_foreach(obj, key, v) {
		const struct field *f = schema_field(rs, key);
		if (!f)
			return fail(e, "unknown-field", key, "is not a field of this record");
		if (f->readonly)
			return fail(e, "read-only-field", key, "is set by the server");
		if (json_is_null(v)) {
			if (mode == RECORD_PATCH && !f->required)
				continue;
			return fail(e, "invalid-value", key, "must not be null");
		}
		if (value_ok(f, v, e))
			return -1;
	}
	if (mode == RECORD_CREATE)
		for (i = 0; i < rs->n; i++)
			if (rs->fields[i].required && !json_object_get(obj, rs->fields[i].name))
				return fail(e, "missing-field", rs->fields[i].name, "is required");
	/* An end before its start, a review before the assessment: the
	 * dates of one record in their order (a PATCH that sends one of the
	 * two is checked again on the record it makes). */
	for (i = 0; i < rs->n; i++) {
		const struct field *f = &rs->fields[i];
		const char *late, *early;
		char why[96];
		if (!f->not_before)
			continue;
		late = json_string_value(json_object_get(obj, f->name));
		early = json_string_value(json_object_get(obj, f->not_before));
		if (late && early && strcmp(late, early) < 0) {
			snprintf(why, sizeof why, "is before %s", f->not_before);
			return fail(e, "invalid-value", f->name, why);
		}
	}
	return 0;
}

void record_split(const struct resource_schema *rs, json_t *obj, json_t **coded, json_t **secret)
{
	const char *key;
	json_t *v;

	*coded = json_object();
	*secret = json_object();
	json_object_foreach(obj, key, v) {
		const struct field *f = schema_field(rs, key);
		if (!f || json_is_null(v))
			continue;
		json_object_set(f->cls == FC_CODED ? *coded : *secret, key, v);
	}
}

void record_patch(json_t *base, json_t *patch)
{
	const char *key;
	json_t *v;

	json_object_foreach(patch, key, v) {
		if (json_is_null(v))
			json_object_del(base, key);
		else
			json_object_set(base, key, v);
	}
}

void record_pii_fields(const struct resource_schema *rs, json_t *obj, char *out, size_t outlen)
{
	size_t i, used = 0;

	out[0] = '\0';
	for (i = 0; i < rs->n; i++) {
		const struct field *f = &rs->fields[i];
		int n;
		if (f->cls != FC_PII || !json_object_get(obj, f->name))
			continue;
		n = snprintf(out + used, outlen - used, "%s%s", used ? "," : "", f->name);
		if (n < 0 || (size_t)n >= outlen - used) {
			out[used] = '\0'; /* drop the cut name: whole names only */
			break;
		}
		used += (size_t)n;
	}
}
