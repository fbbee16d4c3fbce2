/*
 * plan.c - the status of an Action Plan activity; see plan.h.
 */
#include <string.h>

#include "domain/plan.h"

const char *plan_status(const char *deadline, long long target, int reported, long long value,
			const char *today)
{
	if (reported && value >= target)
		return "done";
	if (deadline && today && strcmp(deadline, today) < 0)
		return "late";
	return reported ? "on_track" : "not_started";
}
