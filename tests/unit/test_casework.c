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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_identification),
		cmocka_unit_test(test_decider),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
