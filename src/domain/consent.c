/*
 * consent.c - consent coverage; see consent.h.  Dates compare as strings
 * because they are all YYYY-MM-DD.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "domain/consent.h"

static const char *str(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

int consent_zone_set(const char *name)
{
	char path[300];

	/* A zone name is a relative path under the zoneinfo folder: letters,
	 * digits, '_', '+', '-' and '/' between parts, never "..". */
	if (!name || !*name || *name == '/' || strlen(name) > 200 || strstr(name, "..") ||
	    strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_+-/") !=
		    strlen(name))
		return -1;
	snprintf(path, sizeof path, "/usr/share/zoneinfo/%s", name);
	if (access(path, R_OK) != 0)
		return -1;
	if (setenv("TZ", name, 1) != 0)
		return -1;
	tzset();
	return 0;
}

void consent_today(char out[11])
{
	time_t t = time(NULL);
	struct tm tm;
	localtime_r(&t, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

void consent_day_end(char out[32])
{
	time_t t = time(NULL);
	struct tm tm;

	localtime_r(&t, &tm);
	tm.tm_mday += 1;
	tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
	tm.tm_isdst = -1;
	t = mktime(&tm);
	gmtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

const char *consent_state(json_t *consent, const char *today)
{
	const char *withdrawn = str(consent, "withdrawn_on");
	const char *expires = str(consent, "expires");
	const char *given = str(consent, "given_on");

	if (withdrawn)
		return "withdrawn";
	if (expires && strcmp(expires, today) < 0)
		return "expired";
	if (given && strcmp(given, today) > 0)
		return "future";
	return "active";
}

int consent_covers(json_t *consent, const char *purpose, const char *org_code,
		   const char *org_type, const char *today)
{
	const char *p = str(consent, "purpose");
	const char *to_org = str(consent, "recipient_org");
	const char *to_type = str(consent, "recipient_type");

	if (!p || strcmp(p, purpose) || strcmp(consent_state(consent, today), "active"))
		return 0;
	if (to_org && (!org_code || strcmp(to_org, org_code)))
		return 0;
	if (to_type && (!org_type || strcmp(to_type, org_type)))
		return 0;
	return 1;
}

const char *consent_giver_problem(json_t *consent, int minor, const char **why)
{
	const char *by = json_string_value(json_object_get(consent, "given_by"));
	int representative = by && strcmp(by, "person");

	if (minor && !representative) {
		*why = "a minor's consent is given by a guardian or legal representative";
		return "given_by";
	}
	if (!representative) {
		*why = json_object_get(consent, "guardian_name") ||
				json_object_get(consent, "guardian_relation")
			       ? "a guardian is named only when given_by is guardian or "
				 "legal_representative"
			       : NULL;
		return *why ? "given_by" : NULL;
	}
	if (!json_object_get(consent, "guardian_name")) {
		*why = "the guardian or legal representative is named";
		return "guardian_name";
	}
	if (!json_object_get(consent, "guardian_relation")) {
		*why = "the guardian's relation to the person is recorded";
		return "guardian_relation";
	}
	return NULL;
}
