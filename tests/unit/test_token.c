/*
 * test_token.c - unit tests of src/domain/token.c: a token's life (90
 * days by default, never more than 366), its expiry given as a date or a
 * UTC time, the format of times, and labels.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "domain/token.h"

#define NOW 1700000000 /* 2023-11-14T22:13:20Z */
#define DAY 86400

static void test_expiry_days(void **state)
{
	(void)state;
	assert_true(token_expiry_days(NOW, TOKEN_DAYS_DEFAULT) == NOW + 90 * DAY);
	assert_true(token_expiry_days(NOW, 1) == NOW + DAY);
	assert_true(token_expiry_days(NOW, TOKEN_DAYS_MAX) == NOW + 366 * DAY);
	assert_true(token_expiry_days(NOW, 0) == -1);
	assert_true(token_expiry_days(NOW, -5) == -1);
	assert_true(token_expiry_days(NOW, TOKEN_DAYS_MAX + 1) == -1);
}

static void test_expiry_parse(void **state)
{
	int64_t t = 0;

	(void)state;
	assert_int_equal(token_expiry_parse("2023-12-01", NOW, &t), 0);
	assert_true(t == 1701388800); /* 2023-12-01T00:00:00Z */
	assert_int_equal(token_expiry_parse("2023-12-01T12:30:05Z", NOW, &t), 0);
	assert_true(t == 1701388800 + 12 * 3600 + 30 * 60 + 5);
	/* one second after now is fine; now is not */
	assert_int_equal(token_expiry_parse("2023-11-14T22:13:21Z", NOW, &t), 0);
	assert_int_equal(token_expiry_parse("2023-11-14T22:13:20Z", NOW, &t), -2);
	/* the past, and past the longest life */
	assert_int_equal(token_expiry_parse("2020-01-01", NOW, &t), -2);
	assert_int_equal(token_expiry_parse("2024-11-14T22:13:20Z", NOW, &t), 0); /* 366 days */
	assert_int_equal(token_expiry_parse("2024-11-14T22:13:21Z", NOW, &t), -2);
	/* not times */
	assert_int_equal(token_expiry_parse(NULL, NOW, &t), -1);
	assert_int_equal(token_expiry_parse("", NOW, &t), -1);
	assert_int_equal(token_expiry_parse("tomorrow", NOW, &t), -1);
	assert_int_equal(token_expiry_parse("2023-02-30", NOW, &t), -1);
	assert_int_equal(token_expiry_parse("2023-12-01T24:00:00Z", NOW, &t), -1);
	assert_int_equal(token_expiry_parse("2023-12-01T12:00:00+01:00", NOW, &t), -1);
	assert_int_equal(token_expiry_parse("2023-12-01 12:00:00Z", NOW, &t), -1);
	assert_int_equal(token_expiry_parse("+2023-12-01", NOW, &t), -1);
}

static void test_time_format(void **state)
{
	char out[TOKEN_TIME_LEN];

	(void)state;
	token_time_format(NOW, out);
	assert_string_equal(out, "2023-11-14T22:13:20Z");
	token_time_format(0, out);
	assert_string_equal(out, "1970-01-01T00:00:00Z");
}

static void test_label(void **state)
{
	char long_label[TOKEN_LABEL_MAX * 2 + 2];

	(void)state;
	assert_int_equal(token_label_ok("nightly export"), 1);
	assert_int_equal(token_label_ok("Ҳисобот ҳар шаб"), 1);
	assert_int_equal(token_label_ok(""), 0);
	assert_int_equal(token_label_ok(NULL), 0);
	assert_int_equal(token_label_ok("a\nb"), 0);
	assert_int_equal(token_label_ok("a\tb"), 0);
	assert_int_equal(token_label_ok("a\x7f"), 0);
	assert_int_equal(token_label_ok("\xff\xfe"), 0);
	/* TOKEN_LABEL_MAX characters, not bytes: 100 two-byte letters pass */
	memset(long_label, 0, sizeof long_label);
	for (int i = 0; i < TOKEN_LABEL_MAX; i++)
		memcpy(long_label + 2 * i, "\xd2\xb3", 2); /* ҳ */
	assert_int_equal(token_label_ok(long_label), 1);
	memcpy(long_label + 2 * TOKEN_LABEL_MAX, "x", 2);
	assert_int_equal(token_label_ok(long_label), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_expiry_days),
		cmocka_unit_test(test_expiry_parse),
		cmocka_unit_test(test_time_format),
		cmocka_unit_test(test_label),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
