/*
 * test_dirterms.c - the generic words for the kinds of assistance: every
 * spelling of the directory search hint's examples names the shelter, in
 * Tajik, Russian and Latin; labels and synonyms in three languages; words
 * common to many kinds and short beginnings name none; every kind in the
 * data file is a code of assistance_service_types.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include <jansson.h>

#include "codelists.h"
#include "domain/dirterms.h"
#include "domain/namekey.h"

extern const char dir_terms_json[];
extern const unsigned long dir_terms_json_len;

/* The kinds that the word `word` names, as "a b c" in table order. */
static const char *kinds(const char *word, char *out, size_t outlen)
{
	char key[NAMEKEY_MAX];
	const char *types[16];
	size_t n, i;

	out[0] = '\0';
	if (!namekey_word(word, strlen(word), key))
		return out;
	n = dirterms_types(key, types, 16);
	for (i = 0; i < n; i++) {
		if (i)
			strncat(out, " ", outlen - strlen(out) - 1);
		strncat(out, types[i], outlen - strlen(out) - 1);
	}
	return out;
}

static void assert_kind(const char *word, const char *want)
{
	char got[256];
	kinds(word, got, sizeof got);
	if (strcmp(got, want) != 0)
		fail_msg("%s: named \"%s\", want \"%s\"", word, got, want);
}

static void test_hint_examples(void **state)
{
	(void)state;
	assert_kind("Паноҳгоҳ", "shelter");
	assert_kind("Панохгох", "shelter");
	assert_kind("Panohgoh", "shelter");
	assert_kind("панохгохи", "shelter"); /* an ending after the stem */
}

static void test_three_languages(void **state)
{
	(void)state;
	assert_kind("приют", "shelter");
	assert_kind("Приюты", "shelter");
	assert_kind("убежище", "shelter");
	assert_kind("shelter", "shelter");
	assert_kind("Shelters", "shelter");
	assert_kind("юрист", "legal");
	assert_kind("ҳуқуқшинос", "legal");
	assert_kind("huquqshinos", "legal");
	assert_kind("lawyer", "legal");
	assert_kind("Юридическая", "legal");
	assert_kind("врач", "medical");
	assert_kind("тиббӣ", "medical");
}

static void test_no_kind(void **state)
{
	(void)state;
	assert_kind("помощь", "");     /* in many labels: ignored */
	assert_kind("assistance", "");
	assert_kind("кӯмаки", "");
	assert_kind("pan", "");        /* shorter than DIRTERMS_STEM_MIN */
	assert_kind("Zarafshon", "");
	assert_kind("Shifobakhsh", "");
	assert_kind("Vakhsh", "");
}

/* Every kind the data file names is a code; so the table is not empty. */
static void test_data_kinds_are_codes(void **state)
{
	json_t *doc = json_loadb(dir_terms_json, dir_terms_json_len, JSON_REJECT_DUPLICATES, NULL);
	const char *k;
	json_t *v;
	(void)state;
	assert_non_null(doc);
	json_object_foreach(doc, k, v) {
		if (k[0] == '_')
			continue;
		if (!codelist_has(&cl_assistance_service_types, k))
			fail_msg("%s: not a code of assistance_service_types", k);
		assert_true(json_is_array(v));
	}
	json_decref(doc);
	assert_true(dirterms_count() > 50);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hint_examples),
		cmocka_unit_test(test_three_languages),
		cmocka_unit_test(test_no_kind),
		cmocka_unit_test(test_data_kinds_are_codes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
