/*
 * test_policy.c - the permission table: rules decide single records as
 * documented, scopes compile the same rules, and the README's table lists
 * every action (its path comes as argv[1]).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/policy.h"

static const char *readme_path;

static void test_case_read(void **state)
{
	(void)state;
	assert_true(policy_allows(ACT_CASE_READ, "caseworker", PC_OWN_ORG) >= 0);
	assert_true(policy_allows(ACT_CASE_READ, "hotline", PC_OWN_ORG) >= 0);
	assert_int_equal(policy_allows(ACT_CASE_READ, "caseworker", 0), -1);
	assert_int_equal(policy_allows(ACT_CASE_READ, "analyst", PC_OWN_ORG), -1);
	assert_int_equal(policy_allows(ACT_CASE_READ, "admin", PC_OWN_ORG), -1);
	assert_int_equal(policy_allows(ACT_CASE_READ, "trainer", PC_OWN_ORG), -1);
	/* Through a referral: allowed, limited to the shared fields. */
	assert_true(policy_allows(ACT_CASE_READ, "focal_point", PC_REFERRAL_ACCEPTED) &
		    PC_CONSENTED_FIELDS);
	/* The hotline does not receive referrals. */
	assert_int_equal(policy_allows(ACT_CASE_READ, "hotline", PC_REFERRAL_ACCEPTED), -1);
	/* Own organisation wins over referral: not limited. */
	assert_false(policy_allows(ACT_CASE_READ, "caseworker", PC_OWN_ORG | PC_REFERRAL_ACCEPTED) &
		     PC_CONSENTED_FIELDS);
}

static void test_changes(void **state)
{
	(void)state;
	assert_true(policy_allows(ACT_CASE_UPDATE, "supervisor", PC_OWN_ORG) >= 0);
	assert_int_equal(policy_allows(ACT_CASE_UPDATE, "focal_point", PC_OWN_ORG), -1);
	assert_int_equal(policy_allows(ACT_CASE_UPDATE, "caseworker", PC_REFERRAL_ACCEPTED), -1);
	assert_true(policy_allows(ACT_CASE_RECORD, "focal_point",
				  PC_REFERRAL_ACCEPTED | PC_CASE_OPEN) >= 0);
	assert_int_equal(policy_allows(ACT_CASE_RECORD, "focal_point", PC_REFERRAL_ACCEPTED), -1);
	assert_int_equal(policy_allows(ACT_CASE_SCREEN, "caseworker", PC_OWN_ORG), -1);
	assert_true(policy_allows(ACT_CASE_SCREEN, "caseworker", PC_OWN_ORG | PC_CASE_OPEN) >= 0);
	assert_true(policy_allows(ACT_CASE_REFER, "caseworker", PC_OWN_ORG | PC_CASE_OPEN) >= 0);
	assert_int_equal(policy_allows(ACT_CASE_REFER, "hotline", PC_OWN_ORG | PC_CASE_OPEN), -1);
}

static void test_decide(void **state)
{
	(void)state;
	assert_true(policy_allows(ACT_CASE_DECIDE, "supervisor", PC_OWN_ORG) >= 0);
	assert_int_equal(policy_allows(ACT_CASE_DECIDE, "caseworker", PC_OWN_ORG | PC_AUTHORITY), -1);
	assert_int_equal(policy_allows(ACT_CASE_DECIDE, "focal_point", PC_OWN_ORG), -1);
	assert_true(policy_allows(ACT_CASE_DECIDE, "focal_point", PC_OWN_ORG | PC_AUTHORITY) >= 0);
	assert_true(policy_allows(ACT_CASE_DECIDE, "focal_point",
				  PC_REFERRAL_ACCEPTED | PC_AUTHORITY) >= 0);
	assert_int_equal(policy_allows(ACT_CASE_DECIDE, "supervisor", PC_REFERRAL_ACCEPTED), -1);
	assert_true(policy_org_is_authority("LawEnforcement"));
	assert_true(policy_org_is_authority("CentralGovernmentOrganisation"));
	assert_false(policy_org_is_authority("NGO"));
	assert_false(policy_org_is_authority("IGO"));
}

/* The hotline: hotline and supervisor log, a case worker reads, the
 * supervisor alone sees the figures; all within the organisation. */
static void test_contacts(void **state)
{
	(void)state;
	assert_true(policy_allows(ACT_CONTACT_LOG, "hotline", PC_OWN_ORG) >= 0);
	assert_true(policy_allows(ACT_CONTACT_LOG, "supervisor", PC_OWN_ORG) >= 0);
	assert_int_equal(policy_allows(ACT_CONTACT_LOG, "caseworker", PC_OWN_ORG), -1);
	assert_true(policy_allows(ACT_CONTACT_READ, "caseworker", PC_OWN_ORG) >= 0);
	assert_int_equal(policy_allows(ACT_CONTACT_READ, "analyst", PC_OWN_ORG), -1);
	assert_int_equal(policy_allows(ACT_CONTACT_READ, "focal_point", PC_OWN_ORG), -1);
	assert_int_equal(policy_allows(ACT_CONTACT_READ, "hotline", PC_REFERRAL_ACCEPTED), -1);
	assert_true(policy_allows(ACT_CONTACT_STATS, "supervisor", PC_OWN_ORG) >= 0);
	assert_int_equal(policy_allows(ACT_CONTACT_STATS, "hotline", PC_OWN_ORG), -1);
}

/* The knowledge base is the programme's: any supervisor edits it, no one else. */
static void test_kb_edit(void **state)
{
	(void)state;
	assert_true(policy_allows(ACT_KB_EDIT, "supervisor", 0) >= 0);
	assert_true(policy_allows(ACT_KB_EDIT, "supervisor", PC_OWN_ORG) >= 0);
	assert_int_equal(policy_allows(ACT_KB_EDIT, "hotline", PC_OWN_ORG), -1);
	assert_int_equal(policy_allows(ACT_KB_EDIT, "caseworker", PC_OWN_ORG), -1);
	assert_int_equal(policy_allows(ACT_KB_EDIT, "admin", PC_OWN_ORG), -1);
	assert_int_equal(policy_allows(ACT_KB_EDIT, "analyst", PC_OWN_ORG), -1);
}

/* Exports: the analyst takes only the anonymised one, of every
 * organisation; rows need a supervisor; PII also a second factor. */
static void test_exports(void **state)
{
	unsigned out[POLICY_RULES_MAX];
	(void)state;
	assert_true(policy_allows(ACT_EXPORT_ANONYMOUS, "analyst", 0) >= 0);
	assert_int_equal(policy_scopes(ACT_EXPORT_ANONYMOUS, "analyst", out), 1);
	assert_int_equal(out[0], 0);
	assert_int_equal(policy_allows(ACT_EXPORT_ANONYMOUS, "supervisor", 0), -1);
	assert_true(policy_allows(ACT_EXPORT_ANONYMOUS, "supervisor", PC_OWN_ORG) >= 0);
	assert_int_equal(policy_allows(ACT_EXPORT_ANONYMOUS, "caseworker", PC_OWN_ORG), -1);
	assert_int_equal(policy_allows(ACT_EXPORT_ROWS, "analyst", PC_OWN_ORG), -1);
	assert_int_equal(policy_allows(ACT_EXPORT_ROWS, "caseworker", PC_OWN_ORG), -1);
	assert_int_equal(policy_allows(ACT_EXPORT_ROWS, "admin", PC_OWN_ORG), -1);
	assert_true(policy_allows(ACT_EXPORT_ROWS, "supervisor", PC_OWN_ORG) >= 0);
	assert_int_equal(policy_allows(ACT_EXPORT_PII, "supervisor", PC_OWN_ORG), -1);
	assert_true(policy_allows(ACT_EXPORT_PII, "supervisor", PC_OWN_ORG | PC_SECOND_FACTOR) >= 0);
	assert_int_equal(policy_allows(ACT_EXPORT_PII, "analyst", PC_OWN_ORG | PC_SECOND_FACTOR), -1);
	/* Duplicates: the own organisation's case workers and supervisors. */
	assert_true(policy_allows(ACT_PERSON_DEDUP, "caseworker", PC_OWN_ORG) >= 0);
	assert_true(policy_allows(ACT_PERSON_DEDUP, "supervisor", PC_OWN_ORG) >= 0);
	assert_int_equal(policy_allows(ACT_PERSON_DEDUP, "caseworker", 0), -1);
	assert_int_equal(policy_allows(ACT_PERSON_DEDUP, "caseworker", PC_REFERRAL_ACCEPTED), -1);
	assert_int_equal(policy_allows(ACT_PERSON_DEDUP, "hotline", PC_OWN_ORG), -1);
	assert_int_equal(policy_allows(ACT_PERSON_DEDUP, "focal_point", PC_OWN_ORG), -1);
	assert_int_equal(policy_allows(ACT_PERSON_DEDUP, "analyst", PC_OWN_ORG), -1);
}

static void test_scopes(void **state)
{
	unsigned out[POLICY_RULES_MAX];
	(void)state;
	assert_int_equal(policy_scopes(ACT_CASE_READ, "caseworker", out), 2);
	assert_int_equal(out[0], PC_OWN_ORG);
	assert_true(out[1] & PC_REFERRAL_ACCEPTED);
	assert_int_equal(policy_scopes(ACT_CASE_READ, "hotline", out), 1);
	assert_int_equal(policy_scopes(ACT_CASE_READ, "analyst", out), 0);
	assert_int_equal(policy_scopes(ACT_COUNT, "caseworker", out), 0);
	assert_int_equal(policy_allows(ACT_COUNT, "caseworker", PC_OWN_ORG), -1);
}

/* Reports: the analyst over every organisation, a supervisor over the
 * own; trainings: trainers and supervisors of the organisation. */
static void test_reports_trainings(void **state)
{
	unsigned out[POLICY_RULES_MAX];
	(void)state;
	assert_int_equal(policy_scopes(ACT_REPORT_SUMMARY, "analyst", out), 1);
	assert_int_equal(out[0], 0);
	assert_int_equal(policy_scopes(ACT_REPORT_SUMMARY, "supervisor", out), 1);
	assert_int_equal(out[0], PC_OWN_ORG);
	assert_int_equal(policy_scopes(ACT_REPORT_INDICATORS, "caseworker", out), 0);
	assert_int_equal(policy_scopes(ACT_REPORT_SUMMARY, "admin", out), 0);
	assert_int_equal(policy_scopes(ACT_REPORT_SUMMARY, "trainer", out), 0);
	assert_int_equal(policy_scopes(ACT_REPORT_LIVELIHOOD, "analyst", out), 1);
	assert_int_equal(out[0], 0);
	assert_int_equal(policy_scopes(ACT_REPORT_LIVELIHOOD, "supervisor", out), 1);
	assert_int_equal(out[0], PC_OWN_ORG);
	assert_int_equal(policy_scopes(ACT_REPORT_LIVELIHOOD, "caseworker", out), 0);
	assert_int_equal(policy_scopes(ACT_REPORT_LIVELIHOOD, "trainer", out), 0);
	/* Prevention: case workers and supervisors of the person's organisation. */
	assert_true(policy_allows(ACT_PREVENTION_RECORD, "caseworker", PC_OWN_ORG) >= 0);
	assert_true(policy_allows(ACT_PREVENTION_RECORD, "supervisor", PC_OWN_ORG) >= 0);
	assert_int_equal(policy_allows(ACT_PREVENTION_RECORD, "caseworker", 0), -1);
	assert_int_equal(policy_allows(ACT_PREVENTION_RECORD, "caseworker", PC_REFERRAL_ACCEPTED), -1);
	assert_int_equal(policy_allows(ACT_PREVENTION_RECORD, "hotline", PC_OWN_ORG), -1);
	assert_int_equal(policy_allows(ACT_PREVENTION_RECORD, "analyst", PC_OWN_ORG), -1);
	assert_int_equal(policy_allows(ACT_PREVENTION_RECORD, "focal_point", PC_OWN_ORG), -1);
	/* The Action Plan: read by the agencies' staff, edited by a supervisor
	 * of the coordinating organisation, reported on by the responsible one. */
	assert_true(policy_allows(ACT_PLAN_READ, "focal_point", 0) >= 0);
	assert_true(policy_allows(ACT_PLAN_READ, "analyst", 0) >= 0);
	assert_int_equal(policy_allows(ACT_PLAN_READ, "hotline", PC_OWN_ORG), -1);
	assert_true(policy_allows(ACT_PLAN_EDIT, "supervisor", PC_OWN_ORG) >= 0);
	assert_int_equal(policy_allows(ACT_PLAN_EDIT, "supervisor", 0), -1);
	assert_int_equal(policy_allows(ACT_PLAN_EDIT, "caseworker", PC_OWN_ORG), -1);
	assert_int_equal(policy_allows(ACT_PLAN_EDIT, "admin", PC_OWN_ORG), -1);
	assert_true(policy_allows(ACT_PLAN_REPORT, "focal_point", PC_OWN_ORG) >= 0);
	assert_true(policy_allows(ACT_PLAN_REPORT, "caseworker", PC_OWN_ORG) >= 0);
	assert_int_equal(policy_allows(ACT_PLAN_REPORT, "focal_point", 0), -1);
	assert_int_equal(policy_allows(ACT_PLAN_REPORT, "analyst", PC_OWN_ORG), -1);
	/* the knowledge library: the network reads, trainers keep */
	assert_true(policy_allows(ACT_LIBRARY_READ, "hotline", 0) >= 0);
	assert_true(policy_allows(ACT_LIBRARY_READ, "focal_point", 0) >= 0);
	assert_true(policy_allows(ACT_LIBRARY_READ, "analyst", 0) >= 0);
	assert_true(policy_allows(ACT_LIBRARY_READ, "admin", 0) >= 0);
	assert_int_equal(policy_allows(ACT_LIBRARY_READ, "nobody", PC_OWN_ORG), -1);
	assert_true(policy_allows(ACT_LIBRARY_EDIT, "trainer", PC_OWN_ORG) >= 0);
	assert_true(policy_allows(ACT_LIBRARY_EDIT, "supervisor", PC_OWN_ORG) >= 0);
	assert_int_equal(policy_allows(ACT_LIBRARY_EDIT, "trainer", 0), -1);
	assert_int_equal(policy_allows(ACT_LIBRARY_EDIT, "hotline", PC_OWN_ORG), -1);
	assert_int_equal(policy_allows(ACT_LIBRARY_EDIT, "caseworker", PC_OWN_ORG), -1);
	assert_int_equal(policy_allows(ACT_LIBRARY_EDIT, "admin", PC_OWN_ORG), -1);
	/* Known elsewhere: case workers and supervisors of the person's own
	 * organisation; no one through a referral, no other role. */
	assert_true(policy_allows(ACT_PERSON_KNOWN_ELSEWHERE, "caseworker", PC_OWN_ORG) >= 0);
	assert_true(policy_allows(ACT_PERSON_KNOWN_ELSEWHERE, "supervisor", PC_OWN_ORG) >= 0);
	assert_int_equal(policy_allows(ACT_PERSON_KNOWN_ELSEWHERE, "caseworker", 0), -1);
	assert_int_equal(policy_allows(ACT_PERSON_KNOWN_ELSEWHERE, "caseworker",
				       PC_REFERRAL_ACCEPTED | PC_CASE_OPEN), -1);
	assert_int_equal(policy_allows(ACT_PERSON_KNOWN_ELSEWHERE, "focal_point",
				       PC_OWN_ORG | PC_AUTHORITY), -1);
	assert_int_equal(policy_allows(ACT_PERSON_KNOWN_ELSEWHERE, "hotline", PC_OWN_ORG), -1);
	assert_int_equal(policy_allows(ACT_PERSON_KNOWN_ELSEWHERE, "analyst", PC_OWN_ORG), -1);
	assert_int_equal(policy_allows(ACT_PERSON_KNOWN_ELSEWHERE, "admin", PC_OWN_ORG), -1);
	assert_true(policy_allows(ACT_TRAINING_EDIT, "trainer", PC_OWN_ORG) >= 0);
	assert_int_equal(policy_allows(ACT_TRAINING_EDIT, "trainer", 0), -1);
	assert_true(policy_allows(ACT_TRAINING_READ, "supervisor", PC_OWN_ORG) >= 0);
	assert_int_equal(policy_allows(ACT_TRAINING_READ, "analyst", PC_OWN_ORG), -1);
	assert_int_equal(policy_allows(ACT_TRAINING_EDIT, "caseworker", PC_OWN_ORG), -1);
	/* The analyst never reaches a row. */
	assert_int_equal(policy_allows(ACT_CASE_READ, "analyst", PC_OWN_ORG), -1);
	assert_int_equal(policy_allows(ACT_PERSON_READ, "analyst", PC_OWN_ORG), -1);
}

/* The NRM's entry points (issue 15): a focal point of an authority
 * registers, records consent, opens, screens and refers in its own
 * organisation, like a case worker; one of any other organisation does
 * none of it, nor through a referral. */
static void test_entry_points(void **state)
{
	static const enum policy_action entry[] = {ACT_PERSON_CREATE, ACT_CASE_OPEN,
						    ACT_CONSENT_RECORD};
	static const enum policy_action work[] = {ACT_CASE_SCREEN, ACT_CASE_REFER};
	const unsigned fp = PC_OWN_ORG | PC_AUTHORITY;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof entry / sizeof entry[0]; i++) {
		assert_true(policy_allows(entry[i], "focal_point", fp) >= 0);
		assert_int_equal(policy_allows(entry[i], "focal_point", PC_OWN_ORG), -1);
		assert_int_equal(policy_allows(entry[i], "focal_point",
					       PC_REFERRAL_ACCEPTED | PC_AUTHORITY), -1);
		assert_true(policy_allows(entry[i], "caseworker", PC_OWN_ORG) >= 0);
		assert_true(policy_allows(entry[i], "supervisor", PC_OWN_ORG) >= 0);
		assert_true(policy_allows(entry[i], "hotline", PC_OWN_ORG) >= 0);
		assert_int_equal(policy_allows(entry[i], "caseworker", 0), -1);
		assert_int_equal(policy_allows(entry[i], "analyst", fp), -1);
		assert_int_equal(policy_allows(entry[i], "trainer", fp), -1);
		assert_int_equal(policy_allows(entry[i], "admin", fp), -1);
	}
	for (i = 0; i < sizeof work / sizeof work[0]; i++) {
		assert_true(policy_allows(work[i], "focal_point", fp | PC_CASE_OPEN) >= 0);
		assert_int_equal(policy_allows(work[i], "focal_point", fp), -1);
		assert_int_equal(policy_allows(work[i], "focal_point", PC_OWN_ORG | PC_CASE_OPEN), -1);
		assert_int_equal(policy_allows(work[i], "focal_point",
					       PC_REFERRAL_ACCEPTED | PC_CASE_OPEN | PC_AUTHORITY), -1);
		assert_int_equal(policy_allows(work[i], "hotline", fp | PC_CASE_OPEN), -1);
	}
	/* The focal point corrects what its authority registered (the person,
	 * the case), not what another organisation did; closing stays with
	 * the case workers. */
	assert_true(policy_allows(ACT_PERSON_UPDATE, "focal_point", fp) >= 0);
	assert_true(policy_allows(ACT_CASE_UPDATE, "focal_point", fp) >= 0);
	assert_int_equal(policy_allows(ACT_PERSON_UPDATE, "focal_point", PC_OWN_ORG), -1);
	assert_int_equal(policy_allows(ACT_CASE_UPDATE, "focal_point", PC_OWN_ORG), -1);
	assert_int_equal(policy_allows(ACT_PERSON_UPDATE, "focal_point",
				       PC_REFERRAL_ACCEPTED | PC_AUTHORITY), -1);
	assert_int_equal(policy_allows(ACT_CASE_CLOSE, "focal_point", fp), -1);
}

/* The criminal-justice track: an authority's focal point (its own case or
 * one referred to it) and the owning supervisor; no case worker, hotline
 * operator or analyst, and no focal point of a non-authority.  Shelter
 * stays: the shelter's case workers and supervisors. */
static void test_justice(void **state)
{
	static const enum policy_action acts[] = {ACT_JUSTICE_READ, ACT_JUSTICE_RECORD};
	size_t i;
	(void)state;
	for (i = 0; i < 2; i++) {
		enum policy_action a = acts[i];
		assert_true(policy_allows(a, "supervisor", PC_OWN_ORG) >= 0);
		assert_int_equal(policy_allows(a, "supervisor", PC_REFERRAL_ACCEPTED | PC_AUTHORITY), -1);
		assert_true(policy_allows(a, "focal_point", PC_OWN_ORG | PC_AUTHORITY) >= 0);
		assert_true(policy_allows(a, "focal_point", PC_REFERRAL_ACCEPTED | PC_AUTHORITY) >= 0);
		assert_int_equal(policy_allows(a, "focal_point", PC_REFERRAL_ACCEPTED), -1);
		assert_int_equal(policy_allows(a, "focal_point", PC_OWN_ORG), -1);
		assert_int_equal(policy_allows(a, "caseworker", PC_OWN_ORG | PC_AUTHORITY), -1);
		assert_int_equal(policy_allows(a, "hotline", PC_OWN_ORG), -1);
		assert_int_equal(policy_allows(a, "analyst", PC_OWN_ORG | PC_AUTHORITY), -1);
		assert_int_equal(policy_allows(a, "admin", PC_OWN_ORG | PC_AUTHORITY), -1);
	}
	assert_true(policy_allows(ACT_SHELTER_STAY, "caseworker", PC_OWN_ORG) >= 0);
	assert_true(policy_allows(ACT_SHELTER_STAY, "supervisor", PC_OWN_ORG) >= 0);
	assert_int_equal(policy_allows(ACT_SHELTER_STAY, "caseworker", PC_REFERRAL_ACCEPTED), -1);
	assert_int_equal(policy_allows(ACT_SHELTER_STAY, "focal_point", PC_OWN_ORG), -1);
	assert_int_equal(policy_allows(ACT_SHELTER_STAY, "hotline", PC_OWN_ORG), -1);
}

/* A legacy sheet comes in through an admin or a supervisor of the
 * organisation, into its own register only. */
static void test_import(void **state)
{
	static const char *const no[] = {"caseworker", "hotline", "focal_point", "analyst",
					  "trainer"};
	size_t i;

	(void)state;
	assert_true(policy_allows(ACT_IMPORT, "admin", PC_OWN_ORG) >= 0);
	assert_true(policy_allows(ACT_IMPORT, "supervisor", PC_OWN_ORG) >= 0);
	assert_int_equal(policy_allows(ACT_IMPORT, "admin", 0), -1);
	assert_int_equal(policy_allows(ACT_IMPORT, "supervisor", PC_REFERRAL_ACCEPTED), -1);
	for (i = 0; i < sizeof no / sizeof no[0]; i++)
		assert_int_equal(policy_allows(ACT_IMPORT, no[i], PC_OWN_ORG | PC_AUTHORITY), -1);
}

/* Every action of the table is in the README's table, by name. */
static void test_readme_lists_every_action(void **state)
{
	FILE *f = fopen(readme_path, "r");
	char *text;
	long n;
	size_t i;

	(void)state;
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	text = calloc(1, (size_t)n + 1);
	assert_non_null(text);
	assert_int_equal(fread(text, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	for (i = 0; i < ACT_COUNT; i++) {
		char cell[64];
		assert_int_equal(policy_table[i].action, i);
		snprintf(cell, sizeof cell, "| `%s`", policy_table[i].name);
		if (!strstr(text, cell))
			fail_msg("README.md has no row for %s", policy_table[i].name);
	}
	free(text);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_case_read),
		cmocka_unit_test(test_changes),
		cmocka_unit_test(test_decide),
		cmocka_unit_test(test_contacts),
		cmocka_unit_test(test_scopes),
		cmocka_unit_test(test_kb_edit),
		cmocka_unit_test(test_exports),
		cmocka_unit_test(test_reports_trainings),
		cmocka_unit_test(test_entry_points),
		cmocka_unit_test(test_readme_lists_every_action),
		cmocka_unit_test(test_justice),
		cmocka_unit_test(test_import),
	};
	readme_path = argc > 1 ? argv[1] : "README.md";
	return cmocka_run_group_tests(tests, NULL, NULL);
}
