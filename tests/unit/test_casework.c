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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_identification),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
