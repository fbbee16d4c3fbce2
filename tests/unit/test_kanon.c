/*
 * test_kanon.c - unit tests of src/domain/kanon: k-anonymity reached on
 * small and large tables (checked by kanon_check and by counting here),
 * generalisation before suppression, the suppression budget, dropping
 * the rows that cannot be kept, missing values as values, the check
 * catching a table that is not k-anonymous, and 100 000 rows in time.
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

#include "domain/kanon.h"

/* ---- hierarchies of the tests ------------------------------------------- */

/* Age in years "0".."99": level 1 a decade "20-29", level 2 "0-17"/"18+". */
static const char *gen_age(const char *v, unsigned level, void *ctx)
{
	static const char *const decades[] = {"0-9", "10-19", "20-29", "30-39", "40-49",
					      "50-59", "60-69", "70-79", "80-89", "90-99"};
	long n = strtol(v, NULL, 10);

	(void)ctx;
	if (n < 0 || n > 99)
		return NULL;
	return level == 1 ? decades[n / 10] : n < 18 ? "0-17" : "18+";
}

/* Country: level 1 its region. */
static const char *gen_country(const char *v, unsigned level, void *ctx)
{
	(void)ctx;
	(void)level;
	if (!strcmp(v, "TJ") || !strcmp(v, "KZ") || !strcmp(v, "UZ") || !strcmp(v, "KG"))
		return "CentralAsia";
	if (!strcmp(v, "RU"))
		return "EasternEurope";
	return "Other";
}

static const struct kanon_attr attrs3[] = {
	{"age", 2, gen_age, NULL},
	{"sex", 0, NULL, NULL},
	{"country", 1, gen_country, NULL},
};

static const char *const ages[] = {
	"0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "15", "16",
	"17", "18", "19", "20", "21", "22", "23", "24", "25", "26", "27", "28", "29", "30", "31",
	"32", "33", "34", "35", "36", "37", "38", "39", "40", "41", "42", "43", "44", "45", "46",
	"47", "48", "49", "50", "51", "52", "53", "54", "55", "56", "57", "58", "59", "60", "61",
};
static const char *const sexes[] = {"F", "M"};
static const char *const countries[] = {"RU", "RU", "RU", "KZ", "TJ", "AE", "SA", "TR", "UZ"};

static uint64_t rng_state;
static unsigned rng(unsigned n)
{
	rng_state = rng_state * 6364136223846793005ull + 1442695040888963407ull;
	return (unsigned)((rng_state >> 33) % n);
}

static const char **make_cells(size_t nrows, int with_missing)
{
	const char **c = malloc(nrows * 3 * sizeof *c);
	size_t i;

	assert_non_null(c);
	for (i = 0; i < nrows; i++) {
		c[i * 3] = ages[rng(sizeof ages / sizeof ages[0])];
		c[i * 3 + 1] = sexes[rng(2)];
		c[i * 3 + 2] = countries[rng(sizeof countries / sizeof countries[0])];
		if (with_missing && rng(10) == 0)
			c[i * 3 + rng(3)] = rng(2) ? NULL : KANON_MISSING;
	}
	return c;
}

/* Count every combination here, independently of kanon_check. */
static void assert_k_anonymous(const char **cells, size_t nrows, size_t nattrs,
			       const unsigned char *dropped, unsigned k)
{
	size_t i, j, a, same;

	for (i = 0; i < nrows; i++) {
		if (dropped && dropped[i])
			continue;
		for (a = 0; a < nattrs; a++) {
			assert_non_null(cells[i * nattrs + a]);     /* published: never NULL */
			assert_true(cells[i * nattrs + a][0] != '\0');
		}
		same = 0;
		for (j = 0; j < nrows; j++) {
			if (dropped && dropped[j])
				continue;
			for (a = 0; a < nattrs; a++)
				if (strcmp(cells[i * nattrs + a], cells[j * nattrs + a]))
					break;
			same += a == nattrs;
		}
		if (same < k)
			fail_msg("row %zu: its combination occurs %zu times (k = %u)", i, same, k);
	}
}

/* ---- tests --------------------------------------------------------------- */

static void test_small_table(void **state)
{
	const size_t n = 300;
	const char **cells;
	struct kanon_table t;
	struct kanon_result res;
	unsigned level[3];
	unsigned char dropped[300];

	(void)state;
	rng_state = 1;
	cells = make_cells(n, 1);
	t = (struct kanon_table){n, 3, cells};
	assert_false(kanon_check(&t, NULL, 11));   /* raw ages: surely not 11-anonymous */
	res = (struct kanon_result){level, dropped, 0, 0, 0};
	assert_int_equal(kanon_run(attrs3, &t, 11, 0.05, &res), 0);
	assert_true(kanon_check(&t, dropped, 11));
	assert_k_anonymous(cells, n, 3, dropped, 11);
	assert_true(res.steps > 0);
	assert_true(level[0] >= 1);                /* ages were generalised */
	assert_true(res.suppressed <= n / 20 + 11);
	free(cells);
}

static void test_k1_changes_nothing(void **state)
{
	const char *cells[] = {"30", "F", "RU", "41", "M", NULL};
	struct kanon_table t = {2, 3, cells};
	unsigned level[3];
	unsigned char dropped[2];
	struct kanon_result res = {level, dropped, 0, 0, 0};

	(void)state;
	assert_int_equal(kanon_run(attrs3, &t, 1, 0, &res), 0);
	assert_string_equal(cells[0], "30");
	assert_string_equal(cells[2], "RU");
	assert_string_equal(cells[5], KANON_MISSING);   /* missing is published as -99 */
	assert_int_equal(res.steps, 0);
	assert_int_equal(res.suppressed + res.dropped_rows, 0);
}

static void test_generalise_before_suppress(void **state)
{
	/* 12 women of 20..31 from Russia, each age once: with k = 2,
	 * generalising the age to decades is enough, nobody is suppressed. */
	const char *cells[12 * 3];
	struct kanon_table t = {12, 3, cells};
	unsigned level[3];
	unsigned char dropped[12];
	struct kanon_result res = {level, dropped, 0, 0, 0};
	size_t i;

	(void)state;
	for (i = 0; i < 12; i++) {
		cells[i * 3] = ages[20 + i];
		cells[i * 3 + 1] = "F";
		cells[i * 3 + 2] = "RU";
	}
	assert_int_equal(kanon_run(attrs3, &t, 2, 0, &res), 0);
	assert_true(kanon_check(&t, dropped, 2));
	assert_int_equal(res.suppressed, 0);
	assert_int_equal(res.dropped_rows, 0);
	assert_int_equal(level[0], 1);
	assert_int_equal(level[1], 0);
	assert_int_equal(level[2], 0);
	assert_string_equal(cells[0], "20-29");
	assert_string_equal(cells[11 * 3], "30-39");
}

static void test_budget_suppresses_outliers(void **state)
{
	/* 20 identical rows and one outlier: with a budget, the outlier is
	 * suppressed rather than everyone generalised, and as it is alone
	 * missing everything, it is dropped. */
	const char *cells[21 * 3];
	struct kanon_table t = {21, 3, cells};
	unsigned level[3];
	unsigned char dropped[21];
	struct kanon_result res = {level, dropped, 0, 0, 0};
	size_t i;

	(void)state;
	for (i = 0; i < 21; i++) {
		cells[i * 3] = "25";
		cells[i * 3 + 1] = "M";
		cells[i * 3 + 2] = "RU";
	}
	cells[20 * 3] = "61";
	cells[20 * 3 + 2] = "SA";
	assert_int_equal(kanon_run(attrs3, &t, 5, 0.1, &res), 0);
	assert_int_equal(res.steps, 0);
	assert_int_equal(res.suppressed, 1);
	assert_int_equal(res.dropped_rows, 1);
	assert_true(dropped[20]);
	assert_string_equal(cells[0], "25");
	assert_true(kanon_check(&t, dropped, 5));
}

static void test_fewer_rows_than_k(void **state)
{
	const char *cells[] = {"30", "F", "RU", "30", "F", "RU", "30", "F", "RU"};
	struct kanon_table t = {3, 3, cells};
	unsigned level[3];
	unsigned char dropped[3];
	struct kanon_result res = {level, dropped, 0, 0, 0};

	(void)state;
	assert_int_equal(kanon_run(attrs3, &t, 11, 0.05, &res), 0);
	assert_int_equal(res.dropped_rows, 3);
	assert_true(dropped[0] && dropped[1] && dropped[2]);
	assert_true(kanon_check(&t, dropped, 11));
	assert_int_equal(kanon_run(attrs3, &t, 0, 0.05, &res), -1);
}

static void test_check_catches(void **state)
{
	const char *cells[] = {"a", "x", "a", "x", "b", "x"};
	struct kanon_table t = {3, 2, cells};
	unsigned char dropped[3] = {0, 0, 1};

	(void)state;
	assert_true(kanon_check(&t, NULL, 1));
	assert_false(kanon_check(&t, NULL, 2));
	assert_true(kanon_check(&t, dropped, 2));
	/* NULL and "-99" are the same missing value. */
	cells[4] = NULL;
	cells[0] = KANON_MISSING;
	cells[2] = "";
	dropped[2] = 0;
	assert_true(kanon_check(&t, dropped, 3));
}

static void test_large_table_in_time(void **state)
{
	const size_t n = 100000;
	const char **cells;
	struct kanon_table t;
	unsigned level[3];
	unsigned char *dropped = malloc(n);
	struct kanon_result res = {level, dropped, 0, 0, 0};
	struct timespec t0, t1;
	double secs;

	(void)state;
	rng_state = 7;
	cells = make_cells(n, 1);
	t = (struct kanon_table){n, 3, cells};
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(kanon_run(attrs3, &t, 11, 0.05, &res), 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	assert_true(kanon_check(&t, dropped, 11));
	assert_true(secs < 2.0);
	/* With 100 000 rows most raw combinations are large: little changes. */
	assert_true(res.suppressed < n / 20);
	free(cells);
	free(dropped);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_small_table),
		cmocka_unit_test(test_k1_changes_nothing),
		cmocka_unit_test(test_generalise_before_suppress),
		cmocka_unit_test(test_budget_suppresses_outliers),
		cmocka_unit_test(test_fewer_rows_than_k),
		cmocka_unit_test(test_check_catches),
		cmocka_unit_test(test_large_table_in_time),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
