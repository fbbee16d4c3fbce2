/*
 * test_record.c - unit tests of src/domain/record.c against the person
 * fields of schema/person.c: validation on create and patch (unknown
 * fields, wrong types, lengths counted in characters, control characters,
 * calendar dates, phone lists, code lists, country codes, null), the split
 * into coded and secret members, patching, and the list of PII fields.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "domain/record.h"
#include "fields.h"

/* ---- helpers ----------------------------------------------------------- */

static json_t *obj(const char *text)
{
	json_error_t je;
	json_t *j = json_loads(text, 0, &je);
	if (!j)
		fail_msg("bad test JSON (%s): %s", je.text, text);
	return j;
}

/* Validate text as JSON; returns the result and leaves the error in *e. */
static int check(const char *text, enum record_mode mode, struct record_error *e)
{
	json_t *j = obj(text);
	int rc;

	memset(e, 0, sizeof *e);
	rc = record_validate(&person_schema, j, mode, e);
	json_decref(j);
	return rc;
}

static void ok_create(const char *text)
{
	struct record_error e;
	if (check(text, RECORD_CREATE, &e) != 0)
		fail_msg("refused on create (%s): %s", e.detail, text);
}

static void ok_patch(const char *text)
{
	struct record_error e;
	if (check(text, RECORD_PATCH, &e) != 0)
		fail_msg("refused on patch (%s): %s", e.detail, text);
}

/* Refused on create and on patch, with this type and field. */
static void bad(const char *text, const char *type, const char *field)
{
	struct record_error e;

	if (check(text, RECORD_CREATE, &e) == 0)
		fail_msg("accepted on create: %s", text);
	assert_non_null(e.type);
	assert_string_equal(e.type, type);
	assert_string_equal(e.field, field);
	assert_non_null(strstr(e.detail, field));
	if (check(text, RECORD_PATCH, &e) == 0)
		fail_msg("accepted on patch: %s", text);
	assert_string_equal(e.type, type);
	assert_string_equal(e.field, field);
}

/* {"key": "s"} with s repeated n times */
static json_t *repeated(const char *key, const char *s, size_t n)
{
	size_t len = strlen(s), i;
	char *text = malloc(len * n + 1);
	json_t *j;

	assert_non_null(text);
	for (i = 0; i < n; i++)
		memcpy(text + i * len, s, len);
	text[len * n] = '\0';
	j = json_object();
	json_object_set_new(j, key, json_string(text));
	free(text);
	return j;
}

static int validate_new(json_t *j, enum record_mode mode, struct record_error *e)
{
	int rc = record_validate(&person_schema, j, mode, e);
	json_decref(j);
	return rc;
}

/* A date n days from today (UTC), YYYY-MM-DD. */
static void date_from_today(int days, char out[11])
{
	time_t t = time(NULL) + (time_t)days * 86400;
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

/* ---- validation ------------------------------------------------------ */

static void test_validate_full_record(void **state)
{
	const char *full =
		"{\"given_name\": \"Рустам\", \"family_name\": \"Қодиров\","
		" \"patronymic\": \"Аҳмадович\", \"aliases\": [\"Rustam\", \"Рустами Қ.\"],"
		" \"birth_date\": \"1990-05-17\", \"gender\": \"Masculine\","
		" \"citizenship\": \"TJ\", \"phones\": [\"+992 93 123 45 67\", \"(992) 900-12-34-56\"]}";

	(void)state;
	ok_create(full);
	ok_patch(full);
	ok_create("{}");
	/* An empty change is refused (it would answer the record under an
	 * update that names no field). */
	{
		struct record_error e;
		assert_int_equal(check("{}", RECORD_PATCH, &e), -1);
		assert_string_equal(e.type, "empty-patch");
		assert_int_equal(check("{}", RECORD_CREATE, &e), 0);
	}
	ok_create("{\"given_name\": \"A\"}");
	ok_create("{\"aliases\": []}");
	ok_create("{\"phones\": []}");
}

static void test_validate_unknown_field(void **state)
{
	(void)state;
	bad("{\"nickname\": \"x\"}", "unknown-field", "nickname");
	bad("{\"given_name\": \"A\", \"id\": \"123\"}", "unknown-field", "id");
	bad("{\"Given_Name\": \"A\"}", "unknown-field", "Given_Name");
	bad("{\"\": \"A\"}", "unknown-field", "");
}

static void test_validate_unknown_field_long_name(void **state)
{
	struct record_error e;
	char key[500];
	json_t *j = json_object();

	(void)state;
	memset(key, 'k', sizeof key - 1);
	key[sizeof key - 1] = '\0';
	json_object_set_new(j, key, json_string("x"));
	assert_int_equal(validate_new(j, RECORD_CREATE, &e), -1);
	assert_string_equal(e.type, "unknown-field");
	assert_int_equal(strlen(e.field), sizeof e.field - 1);
	assert_true(strlen(e.detail) < sizeof e.detail);
}

static void test_validate_wrong_types(void **state)
{
	(void)state;
	bad("{\"given_name\": 5}", "invalid-value", "given_name");
	bad("{\"given_name\": [\"A\"]}", "invalid-value", "given_name");
	bad("{\"given_name\": {\"a\": 1}}", "invalid-value", "given_name");
	bad("{\"family_name\": true}", "invalid-value", "family_name");
	bad("{\"patronymic\": 1.5}", "invalid-value", "patronymic");
	bad("{\"birth_date\": 19900517}", "invalid-value", "birth_date");
	bad("{\"gender\": [\"Feminine\"]}", "invalid-value", "gender");
	bad("{\"gender\": 1}", "invalid-value", "gender");
	bad("{\"citizenship\": 762}", "invalid-value", "citizenship");
	bad("{\"phones\": \"+992 93 123 45 67\"}", "invalid-value", "phones");
	bad("{\"phones\": [992931234567]}", "invalid-value", "phones");
	bad("{\"aliases\": \"Rustam\"}", "invalid-value", "aliases");
	bad("{\"aliases\": [1]}", "invalid-value", "aliases");
	bad("{\"aliases\": [[\"x\"]]}", "invalid-value", "aliases");
	bad("{\"aliases\": {}}", "invalid-value", "aliases");
}

static void test_validate_empty_text(void **state)
{
	(void)state;
	bad("{\"given_name\": \"\"}", "invalid-value", "given_name");
	bad("{\"aliases\": [\"ok\", \"\"]}", "invalid-value", "aliases");
}

static void test_validate_length_in_characters(void **state)
{
	struct record_error e;

	(void)state;
	/* 100 Cyrillic letters are 200 bytes but 100 characters: accepted */
	assert_int_equal(validate_new(repeated("given_name", "Ж", 100), RECORD_CREATE, &e), 0);
	assert_int_equal(validate_new(repeated("family_name", "ҷ", 100), RECORD_CREATE, &e), 0);
	assert_int_equal(validate_new(repeated("given_name", "a", 100), RECORD_CREATE, &e), 0);
	/* Four-byte characters count one each */
	assert_int_equal(validate_new(repeated("patronymic", "\xf0\x9f\x98\x80", 100),
				      RECORD_CREATE, &e), 0);
	/* 101 characters are too many, in any script */
	assert_int_equal(validate_new(repeated("given_name", "Ж", 101), RECORD_CREATE, &e), -1);
	assert_string_equal(e.field, "given_name");
	assert_non_null(strstr(e.detail, "too long"));
	assert_int_equal(validate_new(repeated("given_name", "a", 101), RECORD_PATCH, &e), -1);
	assert_string_equal(e.field, "given_name");
}

static void test_validate_alias_length(void **state)
{
	struct record_error e;
	char item[201 * 2 + 1];
	json_t *j, *list;
	int i;

	(void)state;
	for (i = 0; i < 200; i++)
		memcpy(item + 2 * i, "Ҳ", 2);
	item[400] = '\0';
	j = json_object();
	list = json_array();
	json_array_append_new(list, json_string(item));
	json_object_set_new(j, "aliases", list);
	assert_int_equal(validate_new(j, RECORD_CREATE, &e), 0);

	memcpy(item + 400, "Ҳ", 2);
	item[402] = '\0';
	j = json_object();
	list = json_array();
	json_array_append_new(list, json_string(item));
	json_object_set_new(j, "aliases", list);
	assert_int_equal(validate_new(j, RECORD_CREATE, &e), -1);
	assert_string_equal(e.field, "aliases");
}

static void test_validate_list_sizes(void **state)
{
	struct record_error e;
	json_t *j, *list;
	int i;

	(void)state;
	j = json_object();
	list = json_array();
	for (i = 0; i < 20; i++)
		json_array_append_new(list, json_string("alias"));
	json_object_set_new(j, "aliases", list);
	assert_int_equal(validate_new(json_incref(j), RECORD_CREATE, &e), 0);
	json_array_append_new(list, json_string("one too many"));
	assert_int_equal(validate_new(j, RECORD_CREATE, &e), -1);
	assert_string_equal(e.field, "aliases");
	assert_non_null(strstr(e.detail, "too many"));

	j = json_object();
	list = json_array();
	for (i = 0; i < 10; i++)
		json_array_append_new(list, json_string("+992 93 000 00 00"));
	json_object_set_new(j, "phones", list);
	assert_int_equal(validate_new(json_incref(j), RECORD_CREATE, &e), 0);
	json_array_append_new(list, json_string("+992 93 000 00 01"));
	assert_int_equal(validate_new(j, RECORD_CREATE, &e), -1);
	assert_string_equal(e.field, "phones");
}

static void test_validate_control_chars(void **state)
{
	(void)state;
	bad("{\"given_name\": \"Ali\\u0001\"}", "invalid-value", "given_name");
	bad("{\"given_name\": \"Ali\\nBaba\"}", "invalid-value", "given_name");
	bad("{\"family_name\": \"\\tTab\"}", "invalid-value", "family_name");
	bad("{\"family_name\": \"Del\\u007f\"}", "invalid-value", "family_name");
	bad("{\"patronymic\": \"cr\\r\"}", "invalid-value", "patronymic");
	bad("{\"aliases\": [\"fine\", \"bell\\u0007\"]}", "invalid-value", "aliases");
	/* C1 controls (U+0080..U+009F) are control characters as well */
	bad("{\"given_name\": \"Ali\\u0085\"}", "invalid-value", "given_name");
	bad("{\"given_name\": \"\\u009bAli\"}", "invalid-value", "given_name");
	/* Letters just past them are fine */
	ok_create("{\"given_name\": \"\\u00a0Ali \\u00e9\"}");
}

/* Free text (a case note) may span lines; other controls stay out. */
static void test_validate_free_text_lines(void **state)
{
	struct record_error e;
	json_t *j;
	(void)state;
	j = obj("{\"type\": \"note\", \"text\": \"Called her.\\r\\nShe is safe.\\n\\tNext: Monday\"}");
	assert_int_equal(record_validate(&note_schema, j, RECORD_CREATE, &e), 0);
	json_decref(j);
	j = obj("{\"type\": \"note\", \"text\": \"bell\\u0007\"}");
	assert_int_equal(record_validate(&note_schema, j, RECORD_CREATE, &e), -1);
	assert_string_equal(e.field, "text");
	json_decref(j);
}

static void test_validate_dates(void **state)
{
	char today[11], tomorrow[11], next_year[11], yesterday[11];
	char text[64];

	(void)state;
	ok_create("{\"birth_date\": \"2024-02-29\"}");
	ok_create("{\"birth_date\": \"2000-02-29\"}");
	ok_create("{\"birth_date\": \"1900-01-01\"}");
	ok_create("{\"birth_date\": \"1999-12-31\"}");
	ok_create("{\"birth_date\": \"2023-02-28\"}");
	bad("{\"birth_date\": \"2023-02-29\"}", "invalid-value", "birth_date");
	bad("{\"birth_date\": \"1900-02-29\"}", "invalid-value", "birth_date");
	bad("{\"birth_date\": \"2100-02-29\"}", "invalid-value", "birth_date");
	bad("{\"birth_date\": \"1899-12-31\"}", "invalid-value", "birth_date");
	bad("{\"birth_date\": \"0000-01-01\"}", "invalid-value", "birth_date");
	bad("{\"birth_date\": \"2023-04-31\"}", "invalid-value", "birth_date");
	bad("{\"birth_date\": \"2023-13-01\"}", "invalid-value", "birth_date");
	bad("{\"birth_date\": \"2023-00-10\"}", "invalid-value", "birth_date");
	bad("{\"birth_date\": \"2023-01-00\"}", "invalid-value", "birth_date");
	bad("{\"birth_date\": \"2023-01-32\"}", "invalid-value", "birth_date");
	bad("{\"birth_date\": \"2023-1-5\"}", "invalid-value", "birth_date");
	bad("{\"birth_date\": \"2023/01/05\"}", "invalid-value", "birth_date");
	bad("{\"birth_date\": \"05.01.2023\"}", "invalid-value", "birth_date");
	bad("{\"birth_date\": \"2023-01-05T00:00:00Z\"}", "invalid-value", "birth_date");
	bad("{\"birth_date\": \" 2023-01-05\"}", "invalid-value", "birth_date");
	bad("{\"birth_date\": \"2023-01-0x\"}", "invalid-value", "birth_date");
	bad("{\"birth_date\": \"+023-01-05\"}", "invalid-value", "birth_date");
	bad("{\"birth_date\": \"\"}", "invalid-value", "birth_date");
	bad("{\"birth_date\": \"9999-12-31\"}", "invalid-value", "birth_date");

	/* Today is the last day allowed; tomorrow is in the future */
	date_from_today(0, today);
	date_from_today(-1, yesterday);
	date_from_today(1, tomorrow);
	date_from_today(366, next_year);
	snprintf(text, sizeof text, "{\"birth_date\": \"%s\"}", yesterday);
	ok_create(text);
	snprintf(text, sizeof text, "{\"birth_date\": \"%s\"}", today);
	ok_create(text);
	snprintf(text, sizeof text, "{\"birth_date\": \"%s\"}", tomorrow);
	bad(text, "invalid-value", "birth_date");
	snprintf(text, sizeof text, "{\"birth_date\": \"%s\"}", next_year);
	bad(text, "invalid-value", "birth_date");
}

static void test_date_valid_past(void **state)
{
	(void)state;
	assert_true(date_valid_past("2024-02-29"));
	assert_false(date_valid_past("2023-02-29"));
	assert_false(date_valid_past("1899-12-31"));
	assert_true(date_valid_past("1900-01-01"));
	assert_false(date_valid_past("3000-01-01"));
	assert_false(date_valid_past(""));
	assert_false(date_valid_past("2024-02-2"));
	assert_false(date_valid_past("2024-02-290"));
	assert_false(date_valid_past("2024-06-31"));
	assert_true(date_valid_past("2024-12-31"));
}

static void test_validate_phones(void **state)
{
	struct record_error e;
	json_t *j, *list;

	(void)state;
	ok_create("{\"phones\": [\"+992931234567\"]}");
	ok_create("{\"phones\": [\"1234567\"]}");                    /* 7 digits */
	ok_create("{\"phones\": [\"123456789012345\"]}");            /* 15 digits */
	ok_create("{\"phones\": [\"+7 (495) 123-45-67\", \"93.123.45.67\"]}");
	bad("{\"phones\": [\"123456\"]}", "invalid-value", "phones"); /* 6 digits */
	bad("{\"phones\": [\"1234567890123456\"]}", "invalid-value", "phones"); /* 16 */
	bad("{\"phones\": [\"+992 93 CALL ME\"]}", "invalid-value", "phones");
	bad("{\"phones\": [\"+992931234567\", \"x\"]}", "invalid-value", "phones");
	bad("{\"phones\": [\"\"]}", "invalid-value", "phones");
	bad("{\"phones\": [\"992931234567;\"]}", "invalid-value", "phones");
	bad("{\"phones\": [\"99293\\n1234567\"]}", "invalid-value", "phones");
	bad("{\"phones\": [\"\\u0661\\u0662\\u0663\\u0664\\u0665\\u0666\\u0667\"]}",
	    "invalid-value", "phones");
	bad("{\"phones\": [null]}", "invalid-value", "phones");

	/* A number of at most 15 digits padded past the declared 32 characters */
	j = json_object();
	list = json_array();
	json_array_append_new(list,
			      json_string("+992 - - - - - - - - - - - - - - - - - 931234567"));
	json_object_set_new(j, "phones", list);
	assert_int_equal(validate_new(j, RECORD_CREATE, &e), -1);
	assert_string_equal(e.field, "phones");
	/* Exactly 32 characters is fine */
	ok_create("{\"phones\": [\"+992 (93) 123-45-67 -- -- -- -- \"]}");
	bad("{\"phones\": [\"+992 (93) 123-45-67 -- -- -- --  \"]}", "invalid-value", "phones");
}

static void test_validate_gender(void **state)
{
	static const char *const good[] = {
		"Feminine", "Masculine", "TransgenderFeminine", "TransgenderMasculine",
		"NonConforming", "NonSpecifiedUnknown",
	};
	char text[128];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof good / sizeof good[0]; i++) {
		snprintf(text, sizeof text, "{\"gender\": \"%s\"}", good[i]);
		ok_create(text);
		ok_patch(text);
	}
	bad("{\"gender\": \"feminine\"}", "invalid-value", "gender");
	bad("{\"gender\": \"Female\"}", "invalid-value", "gender");
	bad("{\"gender\": \"\"}", "invalid-value", "gender");
	bad("{\"gender\": \"Feminine \"}", "invalid-value", "gender");
	bad("{\"gender\": \"NGO\"}", "invalid-value", "gender"); /* another list's code */
}

static void test_validate_citizenship(void **state)
{
	(void)state;
	ok_create("{\"citizenship\": \"TJ\"}");
	ok_create("{\"citizenship\": \"RU\"}");
	ok_create("{\"citizenship\": \"UZ\"}");
	bad("{\"citizenship\": \"tj\"}", "invalid-value", "citizenship");
	bad("{\"citizenship\": \"Tj\"}", "invalid-value", "citizenship");
	bad("{\"citizenship\": \"TJK\"}", "invalid-value", "citizenship");
	bad("{\"citizenship\": \"T\"}", "invalid-value", "citizenship");
	bad("{\"citizenship\": \"\"}", "invalid-value", "citizenship");
	bad("{\"citizenship\": \"T1\"}", "invalid-value", "citizenship");
	bad("{\"citizenship\": \"ТЈ\"}", "invalid-value", "citizenship"); /* Cyrillic */
	bad("{\"citizenship\": [\"TJ\"]}", "invalid-value", "citizenship");
	/* two capitals, but no country */
	bad("{\"citizenship\": \"XX\"}", "invalid-value", "citizenship");
	bad("{\"citizenship\": \"AA\"}", "invalid-value", "citizenship");
	ok_create("{\"citizenship\": \"MD\"}"); /* any country, not only the listed ones */
	ok_create("{\"citizenship\": \"ZW\"}");
}

static void test_validate_null(void **state)
{
	struct record_error e;
	const char *fields[] = {"given_name", "family_name", "patronymic", "aliases",
				"birth_date", "gender", "citizenship", "phones"};
	char text[128];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof fields / sizeof fields[0]; i++) {
		snprintf(text, sizeof text, "{\"%s\": null}", fields[i]);
		assert_int_equal(check(text, RECORD_CREATE, &e), -1);
		assert_string_equal(e.type, "invalid-value");
		assert_string_equal(e.field, fields[i]);
		assert_int_equal(check(text, RECORD_PATCH, &e), 0);
	}
	/* null does not excuse an unknown field */
	assert_int_equal(check("{\"nickname\": null}", RECORD_PATCH, &e), -1);
	assert_string_equal(e.type, "unknown-field");
	/* A valid null beside an invalid value still fails */
	assert_int_equal(check("{\"gender\": null, \"citizenship\": \"tj\"}", RECORD_PATCH, &e),
			 -1);
	assert_string_equal(e.field, "citizenship");
}

/* A schema with a required field, to cover missing-field. */
static const struct field req_fields[] = {
	{ .name = "code", .type = FT_TEXT, .cls = FC_CODED, .required = 1, .maxlen = 10 },
	{ .name = "count", .type = FT_INT, .cls = FC_CODED, .min = 0, .max = 10 },
};
static const struct resource_schema req_schema = {"thing", req_fields, 2};

static void test_validate_required(void **state)
{
	struct record_error e;
	json_t *j;

	(void)state;
	j = obj("{\"count\": 3}");
	assert_int_equal(record_validate(&req_schema, j, RECORD_CREATE, &e), -1);
	assert_string_equal(e.type, "missing-field");
	assert_string_equal(e.field, "code");
	assert_int_equal(record_validate(&req_schema, j, RECORD_PATCH, &e), 0);
	json_decref(j);

	j = obj("{\"code\": null}");
	assert_int_equal(record_validate(&req_schema, j, RECORD_PATCH, &e), -1);
	assert_string_equal(e.field, "code");
	json_decref(j);

	j = obj("{\"code\": \"x\", \"count\": 10}");
	assert_int_equal(record_validate(&req_schema, j, RECORD_CREATE, &e), 0);
	json_decref(j);
	j = obj("{\"code\": \"x\", \"count\": 11}");
	assert_int_equal(record_validate(&req_schema, j, RECORD_CREATE, &e), -1);
	assert_string_equal(e.field, "count");
	json_decref(j);
	j = obj("{\"code\": \"x\", \"count\": -1}");
	assert_int_equal(record_validate(&req_schema, j, RECORD_CREATE, &e), -1);
	json_decref(j);
	j = obj("{\"code\": \"x\", \"count\": \"1\"}");
	assert_int_equal(record_validate(&req_schema, j, RECORD_CREATE, &e), -1);
	json_decref(j);
	j = obj("{\"code\": \"x\", \"count\": 1.0}");
	assert_int_equal(record_validate(&req_schema, j, RECORD_CREATE, &e), -1);
	json_decref(j);
}

/* ---- split, patch, pii list ------------------------------------------- */

static void test_record_split(void **state)
{
	json_t *j, *coded, *secret;

	(void)state;
	j = obj("{\"given_name\": \"Рустам\", \"family_name\": \"Қодиров\","
		" \"patronymic\": \"Аҳмадович\", \"aliases\": [\"R\"],"
		" \"birth_date\": \"1990-05-17\", \"gender\": \"Masculine\","
		" \"citizenship\": \"TJ\", \"phones\": [\"+992 93 123 45 67\"]}");
	record_split(&person_schema, j, &coded, &secret);
	assert_non_null(coded);
	assert_non_null(secret);
	assert_int_equal(json_object_size(coded), 2);
	assert_string_equal(json_string_value(json_object_get(coded, "gender")), "Masculine");
	assert_string_equal(json_string_value(json_object_get(coded, "citizenship")), "TJ");
	assert_int_equal(json_object_size(secret), 6);
	assert_string_equal(json_string_value(json_object_get(secret, "given_name")), "Рустам");
	assert_non_null(json_object_get(secret, "family_name"));
	assert_non_null(json_object_get(secret, "patronymic"));
	assert_non_null(json_object_get(secret, "aliases"));
	assert_string_equal(json_string_value(json_object_get(secret, "birth_date")),
			    "1990-05-17");
	assert_true(json_is_array(json_object_get(secret, "phones")));
	/* Nothing secret in the clear part and nothing coded in the secret */
	assert_null(json_object_get(coded, "given_name"));
	assert_null(json_object_get(coded, "phones"));
	assert_null(json_object_get(coded, "birth_date"));
	assert_null(json_object_get(secret, "gender"));
	assert_null(json_object_get(secret, "citizenship"));
	/* The parts own their references: dropping the source is safe */
	json_decref(j);
	assert_string_equal(json_string_value(json_object_get(secret, "family_name")),
			    "Қодиров");
	json_decref(coded);
	json_decref(secret);
}

static void test_record_split_skips_null_and_unknown(void **state)
{
	json_t *j, *coded, *secret;

	(void)state;
	j = obj("{\"given_name\": null, \"gender\": null, \"other\": 1, \"phones\": []}");
	record_split(&person_schema, j, &coded, &secret);
	assert_int_equal(json_object_size(coded), 0);
	assert_int_equal(json_object_size(secret), 1);
	assert_non_null(json_object_get(secret, "phones"));
	json_decref(j);
	json_decref(coded);
	json_decref(secret);

	j = json_object();
	record_split(&person_schema, j, &coded, &secret);
	assert_int_equal(json_object_size(coded), 0);
	assert_int_equal(json_object_size(secret), 0);
	json_decref(j);
	json_decref(coded);
	json_decref(secret);
}

static void test_record_patch(void **state)
{
	json_t *base, *patch;

	(void)state;
	base = obj("{\"given_name\": \"A\", \"family_name\": \"B\", \"gender\": \"Feminine\"}");
	patch = obj("{\"given_name\": \"C\", \"family_name\": null, \"patronymic\": null,"
		    " \"phones\": [\"1234567\"]}");
	record_patch(base, patch);
	assert_string_equal(json_string_value(json_object_get(base, "given_name")), "C");
	assert_null(json_object_get(base, "family_name"));
	assert_null(json_object_get(base, "patronymic"));
	assert_string_equal(json_string_value(json_object_get(base, "gender")), "Feminine");
	assert_true(json_is_array(json_object_get(base, "phones")));
	assert_int_equal(json_object_size(base), 3);
	json_decref(patch);
	/* base holds its own references */
	assert_string_equal(json_string_value(json_object_get(base, "given_name")), "C");
	/* An empty patch changes nothing */
	patch = json_object();
	record_patch(base, patch);
	assert_int_equal(json_object_size(base), 3);
	json_decref(patch);
	json_decref(base);
}

static void test_record_pii_fields(void **state)
{
	char out[256];
	json_t *j;

	(void)state;
	j = obj("{\"phones\": [], \"gender\": \"Feminine\", \"given_name\": \"A\","
		" \"birth_date\": \"2000-01-01\", \"citizenship\": \"TJ\"}");
	record_pii_fields(&person_schema, j, out, sizeof out);
	/* Schema order, pii only */
	assert_string_equal(out, "given_name,birth_date,phones");
	/* Too small: whole names only, never a cut one */
	record_pii_fields(&person_schema, j, out, 11);
	assert_string_equal(out, "given_name");
	record_pii_fields(&person_schema, j, out, 10);
	assert_string_equal(out, "");
	record_pii_fields(&person_schema, j, out, 1);
	assert_string_equal(out, "");
	json_decref(j);

	j = obj("{\"gender\": \"Feminine\", \"citizenship\": \"TJ\"}");
	snprintf(out, sizeof out, "junk");
	record_pii_fields(&person_schema, j, out, sizeof out);
	assert_string_equal(out, "");
	json_decref(j);

	j = obj("{\"given_name\": \"A\", \"family_name\": \"B\", \"patronymic\": \"C\","
		" \"aliases\": [], \"birth_date\": \"2000-01-01\", \"phones\": []}");
	record_pii_fields(&person_schema, j, out, sizeof out);
	assert_string_equal(out, "given_name,family_name,patronymic,aliases,birth_date,phones");
	json_decref(j);
}

static void test_schema_lookup(void **state)
{
	const struct field *f;

	(void)state;
	f = schema_field(&person_schema, "gender");
	assert_non_null(f);
	assert_int_equal(f->cls, FC_CODED);
	assert_ptr_equal(f->codes, &cl_gender);
	assert_null(schema_field(&person_schema, "nope"));
	assert_true(codelist_has(&cl_gender, "Feminine"));
	assert_false(codelist_has(&cl_gender, "feminine"));
	assert_true(codelist_has(&cl_role, "caseworker"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_validate_full_record),
		cmocka_unit_test(test_validate_unknown_field),
		cmocka_unit_test(test_validate_unknown_field_long_name),
		cmocka_unit_test(test_validate_wrong_types),
		cmocka_unit_test(test_validate_empty_text),
		cmocka_unit_test(test_validate_length_in_characters),
		cmocka_unit_test(test_validate_alias_length),
		cmocka_unit_test(test_validate_list_sizes),
		cmocka_unit_test(test_validate_control_chars),
		cmocka_unit_test(test_validate_free_text_lines),
		cmocka_unit_test(test_validate_dates),
		cmocka_unit_test(test_date_valid_past),
		cmocka_unit_test(test_validate_phones),
		cmocka_unit_test(test_validate_gender),
		cmocka_unit_test(test_validate_citizenship),
		cmocka_unit_test(test_validate_null),
		cmocka_unit_test(test_validate_required),
		cmocka_unit_test(test_record_split),
		cmocka_unit_test(test_record_split_skips_null_and_unknown),
		cmocka_unit_test(test_record_patch),
		cmocka_unit_test(test_record_pii_fields),
		cmocka_unit_test(test_schema_lookup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
