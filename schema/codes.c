/*
 * codes.c - code lists from reference/codes.json (HTCDS 2.0, CTDC, HSDS)
 * used by the declared fields, and the roles and organisation types.
 */
#include <string.h>

#include "fields.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define CODELIST(var, name, arr) const struct codelist var = {name, arr, COUNT(arr)}

static const char *const gender_codes[] = {
	"Feminine", "Masculine", "TransgenderFeminine", "TransgenderMasculine",
	"NonConforming", "NonSpecifiedUnknown",
};
static const char *const org_type_codes[] = {
	"NGO", "LawEnforcement", "HealthServiceOrganisation", "CentralGovernmentOrganisation",
	"LocalGovernmentOrganisation", "ImmigrationService", "LegalService", "CorporateBusiness",
	"SchoolOrCollege", "IGO",
};
static const char *const role_codes[] = {
	"admin", "supervisor", "caseworker", "hotline", "focal_point", "analyst", "trainer",
};

CODELIST(cl_gender, "gender", gender_codes);
CODELIST(cl_org_type, "org_type", org_type_codes);
CODELIST(cl_role, "roles", role_codes);

const struct codelist *const all_codelists[] = {&cl_gender, &cl_org_type, &cl_role};
const size_t all_codelists_count = COUNT(all_codelists);

int codelist_has(const struct codelist *cl, const char *code)
{
	size_t i;
	for (i = 0; i < cl->n; i++)
		if (strcmp(cl->codes[i], code) == 0)
			return 1;
	return 0;
}

const struct field *schema_field(const struct resource_schema *rs, const char *name)
{
	size_t i;
	for (i = 0; i < rs->n; i++)
		if (strcmp(rs->fields[i].name, name) == 0)
			return &rs->fields[i];
	return NULL;
}
