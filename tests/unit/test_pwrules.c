/*
 * test_pwrules.c - unit tests of src/domain/pwrules.c: the length counts
 * characters, not bytes; the common list is compiled in, several hundred
 * long, and matched without regard to case in Latin, Cyrillic and the
 * Tajik letters; near misses and good passphrases pass; logins.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "domain/pwrules.h"

static void test_length_in_characters(void **state)
{
	(void)state;
	assert_int_equal(pwrules_check("elevenchars"), PW_TOO_SHORT);
	assert_int_equal(pwrules_check("twelve-chars"), PW_OK);
	/* eleven Tajik letters are 22 bytes, still too short */
	assert_int_equal(pwrules_check("ҷҷҷҷҷҷҷҷҷҷҷ"), PW_TOO_SHORT);
	assert_int_equal(pwrules_check("ҷҷҷҷҷҷҷҷҷҷҷҷ"), PW_OK);
	assert_int_equal(pwrules_check(""), PW_TOO_SHORT);
	assert_int_equal(pwrules_check("tab\there-and-more"), PW_NOT_TEXT);
	assert_int_equal(pwrules_check("\xff\xfe-not-utf8-at-all"), PW_NOT_TEXT);
}

static void test_too_long(void **state)
{
	char big[PASSWORD_MAX_BYTES + 2];
	(void)state;
	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	assert_int_equal(pwrules_check(big), PW_TOO_LONG);
}

static void test_common_any_case(void **state)
{
	(void)state;
	assert_int_equal(pwrules_check("qwertyuiop123"), PW_COMMON);
	assert_int_equal(pwrules_check("QwErTyUiOp123"), PW_COMMON);
	assert_int_equal(pwrules_check("Password2025"), PW_COMMON);
	assert_int_equal(pwrules_check("ЙЦУКЕНГШЩЗХЪ"), PW_COMMON);
	assert_int_equal(pwrules_check("йцукенгшщзхъ"), PW_COMMON);
	assert_int_equal(pwrules_check("ТОҶИКИСТОН123"), PW_COMMON);
	assert_int_equal(pwrules_check("Тоҷикистон2025"), PW_COMMON);
	assert_int_equal(pwrules_check("gfhjkm123456"), PW_COMMON);
	assert_true(pwrules_is_common("123456"));
	assert_true(pwrules_is_common("ПАРОЛЬ"));
	/* near misses pass */
	assert_int_equal(pwrules_check("qwertyuiop1234x"), PW_OK);
	assert_int_equal(pwrules_check("Боғи нав дар Хуҷанд"), PW_OK);
	assert_false(pwrules_is_common("# common passwords"));
}

static void test_list_size(void **state)
{
	size_t lines = 0, i;
	(void)state;
	for (i = 0; i < common_passwords_txt_len; i++)
		lines += common_passwords_txt[i] == '\n';
	assert_true(lines >= 300);
}

static void test_logins(void **state)
{
	(void)state;
	assert_true(account_login_ok("zarina.k@iom"));
	assert_false(account_login_ok("z"));
	assert_false(account_login_ok("has space"));
	assert_false(account_login_ok("зарина"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_length_in_characters),
		cmocka_unit_test(test_too_long),
		cmocka_unit_test(test_common_any_case),
		cmocka_unit_test(test_list_size),
		cmocka_unit_test(test_logins),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
