/*
 * policy.c - the table of actions and rules; see policy.h.  The README's
 * table of actions and rules is written from this table.
 */
#include <string.h>

#include "domain/policy.h"

static const char *const workers[] = {"caseworker", "supervisor", NULL};
static const char *const readers[] = {"caseworker", "supervisor", "hotline", "focal_point", NULL};
static const char *const recipients[] = {"caseworker", "supervisor", "focal_point", NULL};
static const char *const supervisors[] = {"supervisor", NULL};
static const char *const focal_points[] = {"focal_point", NULL};
static const char *const person_editors[] = {"caseworker", "supervisor", NULL};
static const char *const contact_readers[] = {"hotline", "supervisor", "caseworker", NULL};
static const char *const contact_loggers[] = {"hotline", "supervisor", NULL};
static const char *const report_all[] = {"analyst", NULL};
static const char *const trainers[] = {"trainer", "supervisor", NULL};
static const char *const importers[] = {"admin", "supervisor", NULL};
static const char *const entry_staff[] = {"caseworker", "supervisor", "hotline", NULL};
static const char *const shelter_workers[] = {"caseworker", "supervisor", NULL};
static const char *const plan_readers[] = {"supervisor", "caseworker", "focal_point", "analyst",
					   "trainer", "admin", NULL};
static const char *const everyone[] = {"admin", "supervisor", "caseworker", "hotline",
				       "focal_point", "analyst", "trainer", NULL};

const struct policy_entry policy_table[ACT_COUNT] = {
	{ACT_CASE_READ, "case.read", {
		{readers, PC_OWN_ORG},
		{recipients, PC_REFERRAL_ACCEPTED | PC_CONSENTED_FIELDS},
	}, 2},
	/* An authority's focal point corrects what its authority registered
	 * (a misspelt name, a wrong date): the person and the case it opened. */
	{ACT_CASE_UPDATE, "case.update", {
		{workers, PC_OWN_ORG},
		{focal_points, PC_OWN_ORG | PC_AUTHORITY},
	}, 2},
	{ACT_CASE_CLOSE, "case.close", {
		{workers, PC_OWN_ORG},
	}, 1},
	{ACT_CASE_RECORD, "case.record", {
		{workers, PC_OWN_ORG},
		{recipients, PC_REFERRAL_ACCEPTED | PC_CASE_OPEN},
	}, 2},
	{ACT_CASE_SCREEN, "case.screen", {
		{workers, PC_OWN_ORG | PC_CASE_OPEN},
		{focal_points, PC_OWN_ORG | PC_CASE_OPEN | PC_AUTHORITY},
	}, 2},
	{ACT_CASE_DECIDE, "case.decide", {
		{supervisors, PC_OWN_ORG},
		{focal_points, PC_OWN_ORG | PC_AUTHORITY},
		{focal_points, PC_REFERRAL_ACCEPTED | PC_AUTHORITY},
	}, 3},
	{ACT_CASE_REFER, "case.refer", {
		{workers, PC_OWN_ORG | PC_CASE_OPEN},
		{focal_points, PC_OWN_ORG | PC_CASE_OPEN | PC_AUTHORITY},
	}, 2},
	{ACT_CASE_ACCESS_LOG, "case.access_log", {
		{workers, PC_OWN_ORG},
		/* an authority's entry point sees who read the cases it opened */
		{focal_points, PC_OWN_ORG | PC_AUTHORITY},
	}, 2},
	{ACT_PERSON_READ, "person.read", {
		{readers, PC_OWN_ORG},
		{recipients, PC_REFERRAL_ACCEPTED | PC_CONSENTED_FIELDS},
	}, 2},
	{ACT_PERSON_UPDATE, "person.update", {
		{person_editors, PC_OWN_ORG},
		{focal_points, PC_OWN_ORG | PC_AUTHORITY},
	}, 2},
	{ACT_REFERRAL_RESPOND, "referral.respond", {
		{recipients, 0},
	}, 1},
	{ACT_CONTACT_READ, "contact.read", {
		{contact_readers, PC_OWN_ORG},
	}, 1},
	{ACT_CONTACT_LOG, "contact.log", {
		{contact_loggers, PC_OWN_ORG},
	}, 1},
	{ACT_CONTACT_STATS, "contact.stats", {
		{supervisors, PC_OWN_ORG},
	}, 1},
	{ACT_REPORT_SUMMARY, "report.summary", {
		{report_all, 0},
		{supervisors, PC_OWN_ORG},
	}, 2},
	{ACT_REPORT_INDICATORS, "report.indicators", {
		{report_all, 0},
		{supervisors, PC_OWN_ORG},
	}, 2},
	{ACT_TRAINING_EDIT, "training.edit", {
		{trainers, PC_OWN_ORG},
	}, 1},
	{ACT_TRAINING_READ, "training.read", {
		{trainers, PC_OWN_ORG},
	}, 1},
	/* The knowledge base is the programme's, not one organisation's. */
	{ACT_KB_EDIT, "kb.edit", {
		{supervisors, 0},
	}, 1},
	{ACT_EXPORT_ANONYMOUS, "export.anonymous", {
		{report_all, 0},
		{supervisors, PC_OWN_ORG},
	}, 2},
	{ACT_EXPORT_ROWS, "export.rows", {
		{supervisors, PC_OWN_ORG},
	}, 1},
	{ACT_EXPORT_PII, "export.pii", {
		{supervisors, PC_OWN_ORG | PC_SECOND_FACTOR},
	}, 1},

	/* ---- the NRM's entry points (issue 15) ----
	 * Victims meet the mechanism first at the police, the border or the
	 * airport: a focal point of an authority registers the person, records
	 * the consent, opens the case, screens and refers (case.screen and
	 * case.refer above have the same focal-point rule). */
	{ACT_PERSON_CREATE, "person.create", {
		{entry_staff, PC_OWN_ORG},
		{focal_points, PC_OWN_ORG | PC_AUTHORITY},
	}, 2},
	{ACT_CASE_OPEN, "case.open", {
		{entry_staff, PC_OWN_ORG},
		{focal_points, PC_OWN_ORG | PC_AUTHORITY},
	}, 2},
	{ACT_CONSENT_RECORD, "consent.record", {
		{entry_staff, PC_OWN_ORG},
		{focal_points, PC_OWN_ORG | PC_AUTHORITY},
	}, 2},
	/* The criminal-justice track: an authority's focal points and the
	 * owning organisation's supervisor; everyone else who reads the case
	 * sees only that a proceeding or a perpetrator is there. */
	{ACT_JUSTICE_READ, "justice.read", {
		{supervisors, PC_OWN_ORG},
		{focal_points, PC_OWN_ORG | PC_AUTHORITY},
		{focal_points, PC_REFERRAL_ACCEPTED | PC_AUTHORITY},
	}, 3},
	{ACT_JUSTICE_RECORD, "justice.record", {
		{supervisors, PC_OWN_ORG},
		{focal_points, PC_OWN_ORG | PC_AUTHORITY},
		{focal_points, PC_REFERRAL_ACCEPTED | PC_AUTHORITY},
	}, 3},
	/* The relation is to the shelter (the service's organisation); the
	 * person's case must also allow case.record. */
	{ACT_SHELTER_STAY, "shelter.stay", {
		{shelter_workers, PC_OWN_ORG},
	}, 1},
	{ACT_PERSON_DEDUP, "person.dedup", {
		{workers, PC_OWN_ORG},
	}, 1},
	{ACT_REPORT_LIVELIHOOD, "report.livelihood", {
		{report_all, 0},
		{supervisors, PC_OWN_ORG},
	}, 2},
	{ACT_PREVENTION_RECORD, "prevention.record", {
		{workers, PC_OWN_ORG},
	}, 1},
	{ACT_PLAN_READ, "plan.read", {
		{plan_readers, 0},
	}, 1},
	{ACT_PLAN_EDIT, "plan.edit", {
		{supervisors, PC_OWN_ORG},
	}, 1},
	{ACT_PLAN_REPORT, "plan.report", {
		{recipients, PC_OWN_ORG},
	}, 1},
	/* A legacy sheet brought in by the M&E work's responsible: the
	 * organisation's admin or supervisor, into the own register only. */
	{ACT_IMPORT, "import", {
		{importers, PC_OWN_ORG},
	}, 1},
	/* The library is the network's: everyone signed in reads it; the
	 * trainers and supervisors of the organisation that keeps a product
	 * add its versions and withdraw it. */
	{ACT_LIBRARY_READ, "library.read", {
		{everyone, 0},
	}, 1},
	{ACT_LIBRARY_EDIT, "library.edit", {
		{trainers, PC_OWN_ORG},
	}, 1},
	/* Network matching by encodings (api/pprlnet.c): the person's own
	 * organisation, case workers and supervisors only; never through a
	 * referral (a recipient asking would probe the sender's network). */
	{ACT_PERSON_KNOWN_ELSEWHERE, "person.known_elsewhere", {
		{workers, PC_OWN_ORG},
	}, 1},
};

static int role_in(const char *role, const char *const *roles)
{
	for (; *roles; roles++)
		if (!strcmp(*roles, role))
			return 1;
	return 0;
}

int policy_allows(enum policy_action action, const char *role, policy_relation rel)
{
	const struct policy_entry *e;
	size_t i;

	if ((unsigned)action >= ACT_COUNT)
		return -1;
	e = &policy_table[action];
	for (i = 0; i < e->n; i++) {
		unsigned need = e->rules[i].conds & ~(unsigned)PC_CONSENTED_FIELDS;
		if (role_in(role, e->rules[i].roles) && (rel & need) == need)
			return (int)e->rules[i].conds;
	}
	return -1;
}

size_t policy_scopes(enum policy_action action, const char *role, unsigned out[POLICY_RULES_MAX])
{
	const struct policy_entry *e;
	size_t i, n = 0;

	if ((unsigned)action >= ACT_COUNT)
		return 0;
	e = &policy_table[action];
	for (i = 0; i < e->n && n < POLICY_RULES_MAX; i++)
		if (role_in(role, e->rules[i].roles))
			out[n++] = e->rules[i].conds;
	return n;
}

int policy_org_is_authority(const char *org_type)
{
	return !strcmp(org_type, "LawEnforcement") ||
	       !strcmp(org_type, "CentralGovernmentOrganisation") ||
	       !strcmp(org_type, "LocalGovernmentOrganisation") ||
	       !strcmp(org_type, "ImmigrationService");
}
