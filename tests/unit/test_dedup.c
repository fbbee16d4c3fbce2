/*
 * test_dedup.c - a person record as the duplicates pass sees it
 * (domain/dedup.h): the registration of one survivor as Ҷумъаев and as
 * Джумаев with day and month swapped passes the prior model's threshold,
 * with the comparisons that drove it; other persons do not.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "domain/dedup.h"

static void make(const char *json, struct link_record *r)
{
	json_t *rec = json_loads(json, 0, NULL);
	struct link_person p;

	assert_non_null(rec);
	dedup_link_person(rec, 2026, NULL, NULL, &p);
	link_record_make(r, &p);
	json_decref(rec);
}

static const char *level_of(const struct dedup_reason *rs, size_t n, const char *field)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (!strcmp(rs[i].field, field))
			return rs[i].level;
	return NULL;
}

static void test_same_person_across_scripts(void **state)
{
	struct link_record a, b;
	struct link_model m;
	struct dedup_reason rs[LINK_FIELDS];
	uint8_t lv[LINK_FIELDS];
	size_t n, i;

	(void)state;
	make("{\"given_name\":\"Фаррух\",\"family_name\":\"Ҷумъаев\",\"birth_date\":\"1990-03-04\","
	     "\"gender\":\"Masculine\",\"region_of_origin\":\"TJ-KT\"}", &a);
	make("{\"given_name\":\"Фаррух\",\"family_name\":\"Джумаев\",\"birth_date\":\"1990-04-03\","
	     "\"gender\":\"Masculine\",\"region_of_origin\":\"TJ-KT\"}", &b);
	link_compare(&a, &b, lv);
	dedup_model_prior(&m);
	assert_true(link_weight(&m, lv) >= m.threshold);
	assert_true(link_probability(&m, lv) > 0.9);
	n = dedup_reasons(&m, lv, rs);
	assert_string_equal(level_of(rs, n, "family_name"), "equal");
	assert_string_equal(level_of(rs, n, "given_name"), "equal");
	assert_string_equal(level_of(rs, n, "birth_date"), "typo");
	assert_string_equal(level_of(rs, n, "gender"), "equal");
	assert_null(level_of(rs, n, "phones")); /* absent on both: not a reason */
	for (i = 1; i < n; i++) /* strongest first */
		assert_true(rs[i - 1].weight * rs[i - 1].weight >= rs[i].weight * rs[i].weight);
}

static void test_others_are_not(void **state)
{
	struct link_record a, b, c;
	struct link_model m;
	uint8_t lv[LINK_FIELDS];

	(void)state;
	dedup_model_prior(&m);
	make("{\"given_name\":\"Фаррух\",\"family_name\":\"Ҷумъаев\",\"birth_date\":\"1990-03-04\"}", &a);
	/* Another given name and birth date, the same family. */
	make("{\"given_name\":\"Зарина\",\"family_name\":\"Джумаева\",\"birth_date\":\"1985-11-20\"}", &b);
	link_compare(&a, &b, lv);
	assert_true(link_weight(&m, lv) < m.threshold);
	/* The same names, a birth date far off: not enough alone. */
	make("{\"given_name\":\"Фаррух\",\"family_name\":\"Ҷумъаев\",\"birth_date\":\"1961-08-15\"}", &c);
	link_compare(&a, &c, lv);
	assert_true(link_weight(&m, lv) < m.threshold);
}

static void test_estimated_age(void **state)
{
	json_t *rec = json_loads("{\"given_name\":\"Умед\",\"estimated_age\":30}", 0, NULL);
	struct link_person p;

	(void)state;
	dedup_link_person(rec, 2026, NULL, NULL, &p);
	assert_int_equal(p.birth_year_estimate, 1996);
	assert_string_equal(p.given_name, "Умед");
	assert_null(p.family_name);
	json_decref(rec);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_person_across_scripts),
		cmocka_unit_test(test_others_are_not),
		cmocka_unit_test(test_estimated_age),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
