/*
 * test_stdexport.c - unit tests of src/domain/stdexport (every CTDC age
 * band at both edges, the band -> majorityStatus hierarchy for every
 * band, majority at 17/18, years across birthdays and leap days, ages
 * from a date of birth or an estimate, years of registration, code
 * mappings of the schema's declarations) and of kanon_local (local
 * suppression: k reached, the cheapest cell chosen, the age band given up
 * before majority status, rows dropped only when nothing else works).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/kanon.h"
#include "domain/stdexport.h"
#include "fields.h"

static void test_every_band(void **state)
{
	static const struct { int lo, hi; const char *band, *majority; } want[] = {
		{0, 8, "0--8", "Minor"},     {9, 17, "9--17", "Minor"},
		{18, 20, "18--20", "Adult"}, {21, 23, "21--23", "Adult"},
		{24, 26, "24--26", "Adult"}, {27, 29, "27--29", "Adult"},
		{30, 38, "30--38", "Adult"}, {39, 47, "39--47", "Adult"},
		{48, 130, "48+", "Adult"},
	};
	size_t i;

	(void)state;
	assert_int_equal(sizeof want / sizeof want[0], STD_AGE_BANDS);
	for (i = 0; i < STD_AGE_BANDS; i++) {
		assert_string_equal(std_age_band(want[i].lo), want[i].band);
		assert_string_equal(std_age_band(want[i].hi), want[i].band);
		assert_string_equal(std_age_band_at((unsigned)i), want[i].band);
		/* The hierarchy: band -> majorityStatus, agreeing with the age. */
		assert_string_equal(std_age_band_majority(want[i].band), want[i].majority);
		assert_string_equal(std_majority(want[i].lo), want[i].majority);
		assert_string_equal(std_majority(want[i].hi), want[i].majority);
	}
	assert_null(std_age_band(-1));
	assert_null(std_age_band_at(STD_AGE_BANDS));
	assert_null(std_majority(-1));
	assert_null(std_age_band_majority("18--29"));
	assert_null(std_age_band_majority(NULL));
	assert_null(std_age_band_majority("-99"));
}

static void test_years(void **state)
{
	(void)state;
	assert_int_equal(std_years_between("2000-05-10", "2018-05-09"), 17);
	assert_int_equal(std_years_between("2000-05-10", "2018-05-10"), 18);
	assert_int_equal(std_years_between("2000-02-29", "2001-02-28"), 0);
	assert_int_equal(std_years_between("2000-02-29", "2001-03-01"), 1);
	assert_int_equal(std_years_between("2020-01-01", "2019-12-31"), -1);
	assert_int_equal(std_years_between("1850-01-01", "2020-01-01"), -1);
	assert_int_equal(std_years_between("2020-13-01", "2021-01-01"), -1);
	assert_int_equal(std_years_between(NULL, "2021-01-01"), -1);
}

static void test_ages(void **state)
{
	int age, ax;

	(void)state;
	std_ages("2000-06-01", -1, "2016-01-01", "2019-06-01", &age, &ax);
	assert_int_equal(age, 19);
	assert_int_equal(ax, 15);
	std_ages(NULL, 30, "2015-01-01", "2020-06-01", &age, &ax);
	assert_int_equal(age, 30);
	assert_int_equal(ax, 25);
	std_ages(NULL, 3, "2000-01-01", "2020-06-01", &age, &ax);   /* before birth */
	assert_int_equal(age, 3);
	assert_int_equal(ax, -1);
	std_ages(NULL, -1, NULL, "2020-06-01", &age, &ax);
	assert_int_equal(age, -1);
	assert_int_equal(ax, -1);
	std_ages("2000-06-01", -1, NULL, "2020-06-01", &age, &ax);
	assert_int_equal(age, 20);
	assert_int_equal(ax, -1);
}

static void test_year(void **state)
{
	char y[5];

	(void)state;
	assert_string_equal(std_year("2024-05-01", y), "2024");
	assert_null(std_year("1899-12-31", y));
	assert_null(std_year("2024-02-30", y));
	assert_null(std_year(NULL, y));
}

/* Every declared mapping of the schema, through std_value. */
static void test_values(void **state)
{
	static const struct std_value map[] = {{"IGO", "NGO"}, {"X", NULL}, {NULL, NULL}};
	const struct field *f;

	(void)state;
	assert_string_equal(std_value(map, "IGO"), "NGO");
	assert_string_equal(std_value(map, "NGO"), "NGO");
	assert_null(std_value(map, "X"));
	assert_null(std_value(map, NULL));
	assert_string_equal(std_value(NULL, "A"), "A");
	assert_string_equal(std_value(htcds_org_type_values, "IGO"), "NGO");
	f = schema_field(&person_schema, "education");
	assert_non_null(f);
	assert_string_equal(f->htcds, "prs_HighestLevelOfEducation");
	assert_string_equal(std_value(f->htcds_values, "BachelorOrEquivalentLevel"),
			    "BachelorsOrEquivalentLevel");
	assert_string_equal(std_value(f->htcds_values, "MasterOrEquivalentLevel"),
			    "MastersOrEquivalentLevel");
	f = schema_field(&case_schema, "labour_sector");
	assert_string_equal(std_value(f->htcds_values, "F"), "F_Construction");
	assert_string_equal(std_value(f->ctdc_values, "F"), "typeOfLabourConstruction");
	assert_string_equal(std_value(f->ctdc_values, "G"), "typeOfLabourOther");
	f = schema_field(&person_schema, "gender");
	assert_string_equal(f->ctdc, "gender");
	assert_string_equal(std_value(f->ctdc_values, "Feminine"), "Female");
	assert_null(std_value(f->ctdc_values, "NonSpecifiedUnknown"));
	f = schema_field(&case_schema, "perpetrator_roles");
	assert_string_equal(std_value(f->ctdc_values, "Kidnapper"), "isAbduction");
}

/* Every code of a declared list has a spelling the standard knows: each
 * ISIC section maps to a 2.0 value and to a CTDC column. */
static void test_every_code_mapped(void **state)
{
	const struct field *f = schema_field(&case_schema, "labour_sector");
	size_t i;

	(void)state;
	for (i = 0; i < f->codes->n; i++) {
		const char *c = f->codes->codes[i];
		assert_string_not_equal(std_value(f->htcds_values, c), c);
		assert_string_not_equal(std_value(f->ctdc_values, c), c);
	}
	f = schema_field(&case_schema, "exploitation_types");
	for (i = 0; i < f->codes->n; i++)
		assert_int_equal(strncmp(std_value(f->ctdc_values, f->codes->codes[i]), "is", 2), 0);
	f = schema_field(&case_schema, "means_of_control");
	for (i = 0; i < f->codes->n; i++)
		assert_int_equal(strncmp(std_value(f->ctdc_values, f->codes->codes[i]),
					 "meansOfControl", 14), 0);
}

/* ---- kanon_local ------------------------------------------------------------ */

static int classes_ok(const struct kanon_table *t, const unsigned char *dropped, unsigned k)
{
	return kanon_check(t, dropped, k);
}

/* 20 rows alike and one odd in the cheapest column: only that cell goes. */
static void test_local_cheapest_cell(void **state)
{
	const char *cells[21 * 3];
	const struct kanon_local_attr la[3] = {{3, -1}, {1, -1}, {3, -1}};
	unsigned char dropped[21];
	size_t per[3];
	struct kanon_local_result res = {dropped, per, 0, 0};
	struct kanon_table t = {21, 3, cells};
	size_t i;

	(void)state;
	for (i = 0; i < 21; i++) {
		cells[i * 3] = "F";
		cells[i * 3 + 1] = i == 20 ? "AF" : "RU";
		cells[i * 3 + 2] = "Adult";
	}
	/* The odd row suppressed alone would be a class of one: 10 more rows
	 * already missing that column make its class. */
	for (i = 0; i < 10; i++)
		cells[i * 3 + 1] = KANON_MISSING;
	assert_int_equal(kanon_local(&t, la, 10, &res), 0);
	assert_true(classes_ok(&t, dropped, 10));
	assert_int_equal(res.cells_suppressed, 1);
	assert_int_equal(per[1], 1);
	assert_int_equal(res.dropped_rows, 0);
	assert_string_equal(cells[20 * 3 + 1], KANON_MISSING);
	assert_string_equal(cells[20 * 3], "F");
}

/* The band goes before majority status: rows of rare bands join their
 * majority's class with the band missing (the generalisation). */
static void test_local_band_to_majority(void **state)
{
	enum { N = 33 };
	const char *cells[N * 2];
	const struct kanon_local_attr la[2] = {{3, -1}, {1, 0}};   /* band; majority with band */
	unsigned char dropped[N];
	struct kanon_local_result res = {dropped, NULL, 0, 0};
	struct kanon_table t = {N, 2, cells};
	size_t i;

	(void)state;
	for (i = 0; i < N; i++) {
		cells[i * 2] = i < 12 ? "30--38" : i < 24 ? "48+" : i < 27 ? "18--20"
			     : i < 30 ? "21--23" : KANON_MISSING;
		cells[i * 2 + 1] = "Adult";
	}
	/* Three rows of the band missing with Adult already: with the six
	 * rare rows they make a class of nine. */
	assert_int_equal(kanon_local(&t, la, 9, &res), 0);
	assert_true(classes_ok(&t, dropped, 9));
	for (i = 24; i < 30; i++) {
		assert_string_equal(cells[i * 2], KANON_MISSING);
		assert_string_equal(cells[i * 2 + 1], "Adult");   /* majority kept */
	}
	assert_int_equal(res.cells_suppressed, 6);
	assert_int_equal(res.dropped_rows, 0);
}

/* Fewer rows than k: every row dropped; k = 1 changes nothing. */
static void test_local_edges(void **state)
{
	const char *cells[4] = {"a", "b", "c", "d"};
	const struct kanon_local_attr la[2] = {{1, -1}, {1, -1}};
	unsigned char dropped[2];
	struct kanon_local_result res = {dropped, NULL, 0, 0};
	struct kanon_table t = {2, 2, cells};

	(void)state;
	assert_int_equal(kanon_local(&t, la, 1, &res), 0);
	assert_int_equal(res.cells_suppressed, 0);
	assert_int_equal(res.dropped_rows, 0);
	assert_int_equal(kanon_local(&t, la, 3, &res), 0);
	assert_int_equal(res.dropped_rows, 2);
	assert_int_equal(kanon_local(&t, la, 0, &res), -1);
}

/* A random table of 20 000 rows: k reached, most cells kept. */
static void test_local_random(void **state)
{
	enum { N = 20000, M = 4 };
	static const char *const a[] = {"F", "M", "T"};
	static const char *const b[] = {"0--8", "9--17", "18--20", "21--23", "24--26", "27--29",
					"30--38", "39--47", "48+"};
	static const char *const c[] = {"TJ", "UZ", "AF", "KG", "RU"};
	static const char *const d[] = {"2019", "2020", "2021", "2022", "2023", "2024"};
	const struct kanon_local_attr la[M] = {{3, -1}, {3, -1}, {3, -1}, {1, -1}};
	const char **cells = malloc(N * M * sizeof *cells);
	unsigned char *dropped = malloc(N);
	size_t per[M];
	struct kanon_local_result res = {dropped, per, 0, 0};
	struct kanon_table t = {N, M, cells};
	unsigned long x = 12345;
	size_t i;

	(void)state;
	for (i = 0; i < N; i++) {
		x = x * 6364136223846793005ul + 1442695040888963407ul;
		cells[i * M] = a[(x >> 33) % 100 < 60 ? 1 : (x >> 33) % 100 < 99 ? 0 : 2];
		cells[i * M + 1] = b[(x >> 20) % 9];
		cells[i * M + 2] = c[(x >> 40) % 100 < 90 ? 0 : (x >> 12) % 5];
		cells[i * M + 3] = d[(x >> 50) % 6];
	}
	assert_int_equal(kanon_local(&t, la, 11, &res), 0);
	assert_true(classes_ok(&t, dropped, 11));
	fprintf(stderr, "suppressed %zu cells, dropped %zu rows\n", res.cells_suppressed,
		res.dropped_rows);
	assert_true(res.cells_suppressed < N * M / 20);
	assert_true(res.dropped_rows < N / 100);
	free(cells);
	free(dropped);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_band),
		cmocka_unit_test(test_years),
		cmocka_unit_test(test_ages),
		cmocka_unit_test(test_year),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_every_code_mapped),
		cmocka_unit_test(test_local_cheapest_cell),
		cmocka_unit_test(test_local_band_to_majority),
		cmocka_unit_test(test_local_edges),
		cmocka_unit_test(test_local_random),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
