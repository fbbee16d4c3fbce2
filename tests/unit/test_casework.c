/*
 * test_casework.c - domain/casework.h: how a case's person counts among
 * victims (officially identified apart from presumed).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "domain/casework.h"
#include "domain/plan.h"

static void expect(const char *status, const char *by, const char *want)
{
	const char *got = casework_identification(status, by);
	if (want == NULL ? got != NULL : got == NULL || strcmp(got, want) != 0)
		fail_msg("%s by %s: %s, not %s", status ? status : "(none)", by ? by : "(none)",
			 got ? got : "(none)", want ? want : "(none)");
}

static void test_identification(void **state)
{
	(void)state;
	/* Official: an actual victim, decided by an authority. */
	expect("ActualVictimOfTrafficking", "Police", "official");
	expect("ActualVictimOfTrafficking", "CourtOrProsecution", "official");
	expect("ActualVictimOfTrafficking", "NonPoliceGovernmentalOrganization", "official");
	/* Presumed: possible, or actual by another body. */
	expect("ActualVictimOfTrafficking", "NGO", "presumed");
	expect("ActualVictimOfTrafficking", "Other", "presumed");
	expect("ActualVictimOfTrafficking", NULL, "presumed");
	expect("PossibleVictimOfTrafficking", "Police", "presumed");
	expect("PossibleVictimOfTrafficking", NULL, "presumed");
	/* Not counted. */
	expect("NotAVictimOfTrafficking", "Police", NULL);
	expect(NULL, NULL, NULL);
	expect("", "Police", NULL);
}

/* The deciding body comes from the organisation, never from the user:
 * only an authority's decision is an authority's. */
static void test_decider(void **state)
{
	(void)state;
	assert_string_equal(casework_decider("LawEnforcement", "police"), "Police");
	assert_string_equal(casework_decider("LawEnforcement", "customs"), "Police");
	assert_string_equal(casework_decider("LawEnforcement", ""), "Police");
	assert_string_equal(casework_decider("CentralGovernmentOrganisation", "prosecution"),
			    "CourtOrProsecution");
	assert_string_equal(casework_decider("LawEnforcement", "court"), "CourtOrProsecution");
	assert_string_equal(casework_decider("ImmigrationService", "migration"),
			    "NonPoliceGovernmentalOrganization");
	assert_string_equal(casework_decider("NGO", "ngo"), "NGO");
	/* A sector claims nothing without an authority's type. */
	assert_string_equal(casework_decider("NGO", "prosecution"), "NGO");
	assert_string_equal(casework_decider("IGO", "igo"), "Other");
	assert_string_equal(casework_decider("HealthServiceOrganisation", "police"), "Other");
	expect("ActualVictimOfTrafficking", casework_decider("IGO", "igo"), "presumed");
	expect("ActualVictimOfTrafficking", casework_decider("LawEnforcement", "border"), "official");
}

static void due(const char *date, int months, const char *want)
{
	char out[11] = "";
	int rc = casework_months_after(date, months, out);
	if (want ? rc != 0 || strcmp(out, want) : rc != -1)
		fail_msg("%s + %d months: %s (%d), not %s", date ? date : "(none)", months, out, rc,
			 want ? want : "an error");
}

static void test_livelihood(void **state)
{
	(void)state;
	assert_true(casework_is_livelihood("vocational_training"));
	assert_true(casework_is_livelihood("business_startup_grant"));
	assert_false(casework_is_livelihood("legal"));
	assert_false(casework_is_livelihood(NULL));
	assert_int_equal(casework_livelihood_months[0], 3);
	assert_int_equal(casework_livelihood_months[1], 6);
	assert_int_equal(casework_livelihood_months[2], 12);
	due("2026-01-15", 3, "2026-04-15");
	due("2026-10-20", 3, "2027-01-20");
	due("2026-12-31", 12, "2027-12-31");
	due("2026-08-31", 6, "2027-02-28"); /* the month's last day */
	due("2027-08-31", 6, "2028-02-29");
	due("2026-11-30", 3, "2027-02-28");
	due("2026-02-30", 3, NULL);
	due("2026-01-15", -1, NULL);
	due(NULL, 3, NULL);
}

/* An Action Plan activity's status (domain/plan.h). */
static void test_plan_status(void **state)
{
	(void)state;
	assert_string_equal(plan_status("2024-12-31", 10, 1, 10, "2026-01-01"), "done");
	assert_string_equal(plan_status("2024-12-31", 10, 1, 12, "2024-06-01"), "done");
	assert_string_equal(plan_status("2024-12-31", 10, 1, 9, "2025-01-01"), "late");
	assert_string_equal(plan_status("2024-12-31", 10, 0, 0, "2025-01-01"), "late");
	assert_string_equal(plan_status("2024-12-31", 10, 1, 9, "2024-12-31"), "on_track");
	assert_string_equal(plan_status("2024-12-31", 10, 0, 0, "2024-12-31"), "not_started");
	assert_string_equal(plan_status("2024-12-31", 0, 0, 0, "2024-01-01"), "not_started");
	assert_string_equal(plan_status("2024-12-31", 0, 1, 0, "2025-01-01"), "done");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_identification),
		cmocka_unit_test(test_decider),
		cmocka_unit_test(test_livelihood),
		cmocka_unit_test(test_plan_status),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
