/*
 * casework.c - rules of case work; see casework.h.
 */
#include <string.h>

#include <stdio.h>

#include "domain/casework.h"
#include "domain/policy.h"
#include "domain/record.h"

static const char *const stages[] = {
	"contact", "screening", "identification", "referral", "assistance",
	"return_reintegration", "closure",
};

int casework_stage_rank(const char *stage)
{
	size_t i;
	for (i = 0; i < sizeof stages / sizeof stages[0]; i++)
		if (!strcmp(stages[i], stage))
			return (int)i;
	return -1;
}

const char *casework_stage_after(const char *current, enum case_event event)
{
	static const char *const implied[] = {
		[EV_SCREENING] = "screening",
		[EV_DECISION] = "identification",
		[EV_REFERRAL] = "referral",
		[EV_SERVICE] = "assistance",
		[EV_RETURN] = "return_reintegration",
		[EV_CLOSURE] = "closure",
	};
	const char *next = implied[event];
	return casework_stage_rank(next) > casework_stage_rank(current) ? next : current;
}

static int is_open(const char *status)
{
	return !strcmp(status, "Active") || !strcmp(status, "FollowUp");
}

int casework_may_close(const char *from, const char *to)
{
	return is_open(from) && (!strcmp(to, "Closed") || !strcmp(to, "ClosedReferred"));
}

int casework_may_reopen(const char *from)
{
	return !strcmp(from, "Closed") || !strcmp(from, "ClosedReferred");
}

int casework_may_set_status(const char *from, const char *to)
{
	return is_open(from) && is_open(to);
}

int casework_decider_official(const char *decided_by)
{
	static const char *const authorities[] = {"Police", "CourtOrProsecution",
						  "NonPoliceGovernmentalOrganization"};
	size_t i;

	for (i = 0; decided_by && i < sizeof authorities / sizeof authorities[0]; i++)
		if (!strcmp(decided_by, authorities[i]))
			return 1;
	return 0;
}

const char *casework_identification(const char *trafficking_status, const char *decided_by)
{
	if (!trafficking_status)
		return NULL;
	if (!strcmp(trafficking_status, "PossibleVictimOfTrafficking"))
		return "presumed";
	if (strcmp(trafficking_status, "ActualVictimOfTrafficking"))
		return NULL;
	return casework_decider_official(decided_by) ? "official" : "presumed";
}

const char *casework_decider(const char *org_type, const char *sector)
{
	if (!policy_org_is_authority(org_type))
		return !strcmp(org_type, "NGO") ? "NGO" : "Other";
	if (!strcmp(sector, "prosecution") || !strcmp(sector, "court"))
		return "CourtOrProsecution";
	if (!strcmp(org_type, "LawEnforcement"))
		return "Police";
	return "NonPoliceGovernmentalOrganization";
}

/* ---- livelihood ------------------------------------------------------ */

const int casework_livelihood_months[CASEWORK_LIVELIHOOD_CHECKS] = {3, 6, 12};

int casework_is_livelihood(const char *service_type)
{
	return service_type && (!strcmp(service_type, "vocational_training") ||
				!strcmp(service_type, "business_startup_grant"));
}

int casework_months_after(const char *date, int months, char out[11])
{
	int y, m, d, last;

	if (!date || months < 0 || months > 600 || !date_parse(date, &y, &m, &d))
		return -1;
	m += months;
	y += (m - 1) / 12;
	m = (m - 1) % 12 + 1;
	last = date_month_days(y, m);
	if (d > last)
		d = last;
	snprintf(out, 11, "%04d-%02d-%02d", y, m, d);
	return 0;
}
