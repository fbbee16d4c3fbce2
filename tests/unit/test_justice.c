/*
 * test_justice.c - domain/justice.h: the stages of a criminal proceeding
 * in their order, the dates of a shelter stay, free beds.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "domain/justice.h"

static void stage_is(const char *rep, const char *inv, const char *court, const char *verdict,
		     const char *on, const char *want)
{
	struct proceeding_dates d = {rep, inv, court, on, verdict, 0};
	char why[160];
	assert_int_equal(justice_check(&d, why, sizeof why), 0);
	assert_string_equal(justice_stage(&d), want);
}

static void refused(struct proceeding_dates d, const char *field)
{
	char why[160] = "";
	assert_int_equal(justice_check(&d, why, sizeof why), -1);
	if (strncmp(why, field, strlen(field)))
		fail_msg("reason \"%s\" does not name %s", why, field);
}

static void test_stages(void **state)
{
	(void)state;
	stage_is("2026-01-02", NULL, NULL, NULL, NULL, "reported");
	stage_is("2026-01-02", "2026-01-02", NULL, NULL, NULL, "investigation");
	stage_is("2026-01-02", "2026-01-05", "2026-03-01", NULL, NULL, "court");
	stage_is("2026-01-02", "2026-01-05", "2026-03-01", "conviction", "2026-06-01", "conviction");
	stage_is("2026-01-02", "2026-01-05", "2026-03-01", "acquittal", "2026-06-01", "acquittal");
	stage_is("2026-01-02", "", "", "", "", "reported");
}

static void test_order(void **state)
{
	(void)state;
	refused((struct proceeding_dates){"2026-01-02", NULL, "2026-02-01", NULL, NULL, 0}, "court_on");
	refused((struct proceeding_dates){NULL, "2026-01-02", NULL, NULL, NULL, 0}, "investigation_on");
	refused((struct proceeding_dates){"2026-01-02", "2026-01-01", NULL, NULL, NULL, 0},
		"investigation_on");
	refused((struct proceeding_dates){"2026-01-02", "2026-01-03", "2026-01-04", "2026-01-03",
					  "conviction", 0},
		"verdict_on");
	refused((struct proceeding_dates){"2026-01-02", "2026-01-03", "2026-01-04", NULL,
					  "conviction", 0},
		"verdict_on");
	refused((struct proceeding_dates){"2026-01-02", "2026-01-03", "2026-01-04", "2026-01-05",
					  NULL, 0},
		"verdict");
	refused((struct proceeding_dates){"2026-01-02", "2026-01-03", "2026-01-04", "2026-01-05",
					  "acquittal", 1},
		"sentence");
	refused((struct proceeding_dates){"2026-01-02", NULL, NULL, NULL, NULL, 1}, "sentence");
}

static void test_stays(void **state)
{
	(void)state;
	assert_int_equal(justice_stay_dates_ok("2026-01-02", "2026-01-02"), 0);
	assert_int_equal(justice_stay_dates_ok("2026-01-02", "2026-02-01"), 0);
	assert_int_equal(justice_stay_dates_ok("2026-01-02", "2026-01-01"), -1);
	assert_int_equal(justice_stay_dates_ok(NULL, "2026-01-01"), -1);
	assert_int_equal(justice_free_beds(10, 3), 7);
	assert_int_equal(justice_free_beds(2, 2), 0);
	assert_int_equal(justice_free_beds(2, 5), 0);
	assert_int_equal(justice_free_beds(-1, 0), -1);
}

/* Whom a shelter takes: what differs is said, what is not known is not
 * held against the person. */
static void test_shelter_takes(void **state)
{
	static const char *const women[] = {"Feminine", "TransgenderFeminine"};
	char why[160] = "";
	(void)state;

	assert_int_equal(justice_shelter_takes(women, 2, 18, -1, "Feminine", 30, why, sizeof why), 1);
	assert_int_equal(justice_shelter_takes(women, 2, 18, -1, "TransgenderFeminine", 18, why, sizeof why), 1);
	assert_int_equal(justice_shelter_takes(women, 2, 18, -1, "Masculine", 30, why, sizeof why), 0);
	assert_string_equal(why, "the shelter takes genders_served Feminine, ...; the person's gender is Masculine");
	assert_int_equal(justice_shelter_takes(women, 2, 18, -1, "Feminine", 17, why, sizeof why), 0);
	assert_string_equal(why, "the shelter takes from minimum_age 18; the person is 17");
	assert_int_equal(justice_shelter_takes(NULL, 0, -1, 17, "Masculine", 18, why, sizeof why), 0);
	assert_string_equal(why, "the shelter takes up to maximum_age 17; the person is 18");
	/* Not known: no gender, no age; a service that says nothing. */
	assert_int_equal(justice_shelter_takes(women, 2, 18, -1, NULL, -1, why, sizeof why), 1);
	assert_int_equal(justice_shelter_takes(NULL, 0, -1, -1, "Masculine", 5, why, sizeof why), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stages),
		cmocka_unit_test(test_order),
		cmocka_unit_test(test_stays),
		cmocka_unit_test(test_shelter_takes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
