/*
 * consent.h - whether a person's consent covers a use of their data.
 *
 * A consent is given for one purpose (assistance, referral,
 * law_enforcement, statistics, research), optionally to one named
 * organisation (recipient_org, an organisation code) or to a kind of
 * organisation (recipient_type, an HTCDS org_Type); without either it
 * covers any recipient.  It lasts from given_on until it expires or is
 * withdrawn.  Pure: works on the consent's JSON fields.
 */
#ifndef HIMOYA_CONSENT_H
#define HIMOYA_CONSENT_H

#include <jansson.h>

/* "active", "expired", "withdrawn" or "future" on `today` (YYYY-MM-DD). */
const char *consent_state(json_t *consent, const char *today);

/* 1 when the consent is active on today, is for purpose, and covers the
 * recipient (org_code and org_type may be NULL when no recipient is
 * concerned, as for assistance by the organisation that holds it). */
int consent_covers(json_t *consent, const char *purpose, const char *org_code,
		   const char *org_type, const char *today);

/* Who gave the consent (issue 15): a minor's consent (minor = 1) is given
 * by a guardian or a legal representative, and a consent given by one
 * names them (guardian_name) and their relation (guardian_relation).
 * NULL when the consent fits; else the field at fault, with a sentence
 * in *why. */
const char *consent_giver_problem(json_t *consent, int minor, const char **why);

/* The programme's time zone (an IANA name such as "Asia/Dushanbe", checked
 * against the system's zoneinfo), set once at start before any thread:
 * "today" and "due today" are reckoned in it.  -1 for an unknown zone.
 * Until it is set, the system's zone applies. */
int consent_zone_set(const char *name);

/* Today in the programme's time zone as YYYY-MM-DD. */
void consent_today(char out[11]);

/* The start of tomorrow in the programme's time zone, as a UTC timestamp
 * "YYYY-MM-DDTHH:MM:SSZ": where "due today" ends. */
void consent_day_end(char out[32]);

#endif
