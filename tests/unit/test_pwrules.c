/*
 * test_pwrules.c - unit tests of src/domain/pwrules.c: the length counts
 * characters, not bytes; the common list is compiled in, several hundred
 * long, and matched without regard to case in Latin, Cyrillic and the
 * Tajik letters; near misses and good passphrases pass; too few
 * different characters, sequences and repeats, the login, the
 * organisation and the demo's password are refused; logins.
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
	assert_int_equal(pwrules_check("elevenchars", NULL), PW_TOO_SHORT);
	assert_int_equal(pwrules_check("twelve-chars", NULL), PW_OK);
	/* eleven Tajik letters are 22 bytes, still too short */
	assert_int_equal(pwrules_check("ҷҷҷҷҷҷҷҷҷҷҷ", NULL), PW_TOO_SHORT);
	assert_int_equal(pwrules_check("ҷӯғҳқӣҷӯғҳқӣ", NULL), PW_PATTERN);
	assert_int_equal(pwrules_check("ҷӯғҳқӣ ва боғ", NULL), PW_OK);
	assert_int_equal(pwrules_check("", NULL), PW_TOO_SHORT);
	assert_int_equal(pwrules_check("tab\there-and-more", NULL), PW_NOT_TEXT);
	assert_int_equal(pwrules_check("\xff\xfe-not-utf8-at-all", NULL), PW_NOT_TEXT);
}

static void test_too_long(void **state)
{
	char big[PASSWORD_MAX_BYTES + 2];
	(void)state;
	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	assert_int_equal(pwrules_check(big, NULL), PW_TOO_LONG);
}

static void test_common_any_case(void **state)
{
	(void)state;
	assert_int_equal(pwrules_check("qwertyuiop123", NULL), PW_COMMON);
	assert_int_equal(pwrules_check("QwErTyUiOp123", NULL), PW_COMMON);
	assert_int_equal(pwrules_check("Password2025", NULL), PW_COMMON);
	assert_int_equal(pwrules_check("ЙЦУКЕНГШЩЗХЪ", NULL), PW_COMMON);
	assert_int_equal(pwrules_check("йцукенгшщзхъ", NULL), PW_COMMON);
	assert_int_equal(pwrules_check("ТОҶИКИСТОН123", NULL), PW_COMMON);
	assert_int_equal(pwrules_check("Тоҷикистон2025", NULL), PW_COMMON);
	assert_int_equal(pwrules_check("gfhjkm123456", NULL), PW_COMMON);
	assert_true(pwrules_is_common("123456"));
	assert_true(pwrules_is_common("ПАРОЛЬ"));
	/* near misses pass */
	assert_int_equal(pwrules_check("qwertyuiop1234x", NULL), PW_OK);
	assert_int_equal(pwrules_check("Боғи нав дар Хуҷанд", NULL), PW_OK);
	assert_false(pwrules_is_common("# common passwords"));
}

/* The reviewer's weak passwords, each refused by the rule that names it. */
static void test_weak_shapes(void **state)
{
	(void)state;
	assert_int_equal(pwrules_check("            ", NULL), PW_FEW_DISTINCT);
	assert_int_equal(pwrules_check("111111111111", NULL), PW_FEW_DISTINCT);
	assert_int_equal(pwrules_check("aaaaaaaaaaaa", NULL), PW_FEW_DISTINCT);
	assert_int_equal(pwrules_check("AAAAAAaaaaaa", NULL), PW_FEW_DISTINCT);
	assert_int_equal(pwrules_check("abcabcabcabc", NULL), PW_FEW_DISTINCT);
	assert_int_equal(pwrules_check("ҷҷҷҷҷҷҷҷҷҷҷҷ", NULL), PW_FEW_DISTINCT);
	/* sequences up and down, digits going round */
	assert_int_equal(pwrules_check("123456789012", NULL), PW_PATTERN);
	assert_int_equal(pwrules_check("210987654321", NULL), PW_PATTERN);
	assert_int_equal(pwrules_check("abcdefghijklm", NULL), PW_PATTERN);
	assert_int_equal(pwrules_check("ZYXWVUTSRQPO", NULL), PW_PATTERN);
	assert_int_equal(pwrules_check("абвгдежзийкл", NULL), PW_PATTERN);
	/* a unit repeated, the last time in part, in any case */
	assert_int_equal(pwrules_check("abcdefabcdef", NULL), PW_PATTERN);
	assert_int_equal(pwrules_check("abcdefABCDEFa", NULL), PW_PATTERN);
	assert_int_equal(pwrules_check("mine-mine-mine", NULL), PW_FEW_DISTINCT);
	assert_int_equal(pwrules_check("mines-mines-mi", NULL), PW_PATTERN);
	/* near misses pass */
	assert_int_equal(pwrules_check("123456789012x", NULL), PW_OK);
	assert_int_equal(pwrules_check("abcdefabcdeg", NULL), PW_OK);
}

static void test_login_org_demo(void **state)
{
	const struct pw_context cw = {"cw1", "iom", "IOM Tajikistan", 0};
	const struct pw_context demo = {"cw1", "iom", "IOM Tajikistan", 1};
	const struct pw_context shortl = {"ab", "xy", "Ҳимоя", 0};
	(void)state;
	assert_int_equal(pwrules_check("cw1cw1cw1cw1", &cw), PW_FEW_DISTINCT);
	assert_int_equal(pwrules_check("my-CW1-password", &cw), PW_HAS_LOGIN);
	assert_int_equal(pwrules_check("IOM Tajikistan", &cw), PW_HAS_ORG);
	assert_int_equal(pwrules_check("iom tajikistan 2026", &cw), PW_HAS_ORG);
	assert_int_equal(pwrules_check("the Iom office door", &cw), PW_HAS_ORG);
	assert_int_equal(pwrules_check("the Iom office door", NULL), PW_OK);
	/* the demo's password: nowhere but in a demo folder */
	assert_int_equal(pwrules_check(PASSWORD_DEMO, NULL), PW_DEMO);
	assert_int_equal(pwrules_check("HIMOYA-DEMO-2026", &cw), PW_DEMO);
	assert_int_equal(pwrules_check("himoya-demo-2026!", &cw), PW_DEMO);
	assert_int_equal(pwrules_check(PASSWORD_DEMO, &demo), PW_OK);
	/* Cyrillic names without regard to case; two letters are not checked */
	assert_int_equal(pwrules_check("ҲИМОЯ дар Хуҷанд", &shortl), PW_HAS_ORG);
	assert_int_equal(pwrules_check("abxy-long-passphrase", &shortl), PW_OK);
	/* every verdict has its own sentence */
	assert_string_equal(pwrules_reason(PW_HAS_LOGIN), "the password must not contain the login");
	assert_true(strstr(pwrules_reason(PW_PATTERN), "sequence") != NULL);
	assert_true(strstr(pwrules_reason(PW_DEMO), "demo") != NULL);
	assert_true(strstr(pwrules_reason(PW_FEW_DISTINCT), "6 different") != NULL);
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
		cmocka_unit_test(test_weak_shapes),
		cmocka_unit_test(test_login_org_demo),
		cmocka_unit_test(test_list_size),
		cmocka_unit_test(test_logins),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
