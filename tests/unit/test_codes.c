/*
 * test_codes.c - unit tests of the generated code lists (tools/gen_codes.py
 * over schema/codes.json and schema/labels.json) and their lookups in
 * schema/codes.c: every list has codes, every code has Tajik, Russian and
 * English labels in valid UTF-8, Tajik labels use the Tajik letters where
 * the words have them and Russian labels never do, the names callers rely
 * on exist, and codelist_by_name / codelist_has find what is there and
 * nothing else.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "codelists.h"
#include "util/utf8.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* ---- helpers ----------------------------------------------------------- */

/* The letters of Tajik Cyrillic that Russian lacks, lower and upper case. */
static const char *const tajik_letters[] = {
	"ғ", "Ғ", "ӣ", "Ӣ", "қ", "Қ", "ӯ", "Ӯ", "ҳ", "Ҳ", "ҷ", "Ҷ",
};

/* Legacy-font stand-ins (њ ќ ў ї ѓ љ) that must not reach a label. */
static const char *const legacy_letters[] = {
	"њ", "Њ", "ќ", "Ќ", "ў", "Ў", "ї", "Ї", "ѓ", "Ѓ", "љ", "Љ",
};

static int has_any(const char *s, const char *const *set, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (strstr(s, set[i]))
			return 1;
	return 0;
}

static int has_tajik_letter(const char *s)
{
	return has_any(s, tajik_letters, COUNT(tajik_letters));
}

/* The labels of code in list, which must exist. */
static const struct code_label *label_of(const char *list, const char *code)
{
	const struct codelist *cl = codelist_by_name(list);
	size_t i;

	assert_non_null(cl);
	for (i = 0; i < cl->n; i++)
		if (strcmp(cl->codes[i], code) == 0)
			return &cl->labels[i];
	fail_msg("%s: no code %s", list, code);
	return NULL;
}

static void assert_label_ok(const char *list, const char *code, const char *text)
{
	if (!text || !text[0] || !utf8_valid(text, strlen(text)))
		fail_msg("%s.%s: empty or invalid label", list, code);
	if (has_any(text, legacy_letters, COUNT(legacy_letters)))
		fail_msg("%s.%s: legacy-font letter in \"%s\"", list, code, text);
}

/* ---- the lists --------------------------------------------------------- */

static void test_every_list_has_codes(void **state)
{
	size_t i, j;
	(void)state;

	assert_true(all_codelists_count >= 39);
	for (i = 0; i < all_codelists_count; i++) {
		const struct codelist *cl = all_codelists[i];
		assert_non_null(cl->name);
		assert_true(cl->n > 0);
		assert_non_null(cl->codes);
		assert_non_null(cl->labels);
		for (j = 0; j < cl->n; j++) {
			assert_non_null(cl->codes[j]);
			assert_true(cl->codes[j][0] != '\0');
		}
		/* names are unique, so codelist_by_name finds this very list */
		assert_ptr_equal(codelist_by_name(cl->name), cl);
	}
}

static void test_every_code_has_three_labels(void **state)
{
	size_t i, j;
	(void)state;

	for (i = 0; i < all_codelists_count; i++) {
		const struct codelist *cl = all_codelists[i];
		for (j = 0; j < cl->n; j++) {
			const struct code_label *l = &cl->labels[j];
			assert_label_ok(cl->name, cl->codes[j], l->tg);
			assert_label_ok(cl->name, cl->codes[j], l->ru);
			assert_label_ok(cl->name, cl->codes[j], l->en);
			if (has_tajik_letter(l->ru))
				fail_msg("%s.%s: Tajik letter in Russian \"%s\"",
				         cl->name, cl->codes[j], l->ru);
		}
	}
}

static void test_tajik_letters_where_expected(void **state)
{
	const struct codelist *ts = codelist_by_name("trafficking_status");
	size_t i;
	(void)state;

	/* "қурбонии ... савдои одамон": every status has them */
	assert_non_null(ts);
	for (i = 0; i < ts->n; i++)
		if (!has_tajik_letter(ts->labels[i].tg))
			fail_msg("trafficking_status.%s: \"%s\" lacks Tajik letters",
			         ts->codes[i], ts->labels[i].tg);

	assert_string_equal(label_of("gender", "Feminine")->tg, "Зан");
	assert_string_equal(label_of("gender", "Masculine")->tg, "Мард");
	assert_true(has_tajik_letter(label_of("gender", "NonConforming")->tg));
	assert_true(has_tajik_letter(label_of("type_of_exploitation", "ForcedLabour")->tg));
	assert_true(has_tajik_letter(label_of("countries", "TJ")->tg));
	assert_true(has_tajik_letter(label_of("countries", "UZ")->tg));

	assert_string_equal(label_of("type_of_exploitation", "ForcedLabour")->ru,
	                    "Принудительный труд");
	assert_string_equal(label_of("type_of_exploitation", "SexualExploitation")->ru,
	                    "Сексуальная эксплуатация");
	assert_string_equal(label_of("methods_of_control", "DebtBondage")->ru, "Долговая кабала");
	assert_string_equal(label_of("gender", "Feminine")->en, "Female");
}

static void test_names_callers_use(void **state)
{
	(void)state;

	assert_string_equal(cl_gender.name, "gender");
	assert_string_equal(cl_org_type.name, "org_type");
	assert_string_equal(cl_role.name, "roles");
	assert_ptr_equal(codelist_by_name("roles"), &cl_role);
	assert_int_equal(cl_role.n, 7);
	/* hotline_call_type is flattened: data first, then the non-data kinds */
	assert_int_equal(cl_hotline_call_type.n, 6);
	assert_string_equal(cl_hotline_call_type.codes[0], "data");
	assert_string_equal(cl_hotline_call_type.codes[5], "abusive");
	/* reference data that is not a code list stays out */
	assert_null(codelist_by_name("ctdc_legacy_columns"));
	assert_null(codelist_by_name("hsds_core_tables"));
	assert_null(codelist_by_name("_source"));
}

/* ---- lookups ----------------------------------------------------------- */

static void test_codelist_by_name(void **state)
{
	(void)state;

	assert_ptr_equal(codelist_by_name("gender"), &cl_gender);
	assert_non_null(codelist_by_name("countries"));
	assert_null(codelist_by_name("nope"));
	assert_null(codelist_by_name(""));
	assert_null(codelist_by_name("Gender"));
	assert_null(codelist_by_name("gende"));
}

static void test_codelist_has(void **state)
{
	const struct codelist *countries = codelist_by_name("countries");
	const struct codelist *dest = codelist_by_name("main_destination_countries");
	size_t i;
	(void)state;

	assert_true(codelist_has(&cl_gender, "Feminine"));
	assert_true(codelist_has(&cl_gender, "NonSpecifiedUnknown"));
	assert_false(codelist_has(&cl_gender, "feminine"));
	assert_false(codelist_has(&cl_gender, "Feminin"));
	assert_false(codelist_has(&cl_gender, ""));
	assert_true(codelist_has(&cl_org_type, "LawEnforcement"));
	assert_true(codelist_has(&cl_role, "focal_point"));
	assert_false(codelist_has(&cl_role, "root"));
	assert_true(codelist_has(codelist_by_name("hsds_service_status"), "temporarily closed"));

	/* every main destination has a country name */
	assert_non_null(countries);
	assert_non_null(dest);
	for (i = 0; i < dest->n; i++)
		assert_true(codelist_has(countries, dest->codes[i]));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_list_has_codes),
		cmocka_unit_test(test_every_code_has_three_labels),
		cmocka_unit_test(test_tajik_letters_where_expected),
		cmocka_unit_test(test_names_callers_use),
		cmocka_unit_test(test_codelist_by_name),
		cmocka_unit_test(test_codelist_has),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
