/*
 * justice.h - the rows of the criminal-justice track and of shelter
 * stays, made from their records: the one road shared by the handlers
 * (api/justice.c, api/stays.c) and `himoya demo`.  The caller sets the
 * row's id, kind, case, person, org, version and timestamps first (the id
 * is sealed in); coded and sealed point into the arena.
 */
#ifndef HIMOYA_API_JUSTICE_H
#define HIMOYA_API_JUSTICE_H

#include <jansson.h>

#include "crypto/crypto.h"
#include "store/store.h"
#include "util/arena.h"

/* A proceeding: its stages checked in order (domain/justice.h), the
 * stage into status, the report date into at, then sealed.  0; -1 with
 * the reason in why when the stages are out of order; -2 (memory). */
int justice_proceeding_seal(const keyring *kr, arena *a, json_t *rec, struct item_row *it,
			    char *why, size_t whylen);

/* A perpetrator: sealed, with its blind keys (own HMAC domain) into
 * keys[0..max).  0, or -1 (memory). */
int justice_perpetrator_seal(const keyring *kr, arena *a, json_t *rec, struct item_row *it,
			     struct blind_key *keys, size_t max, size_t *nkeys);

/* A stay: status "open" until discharged_on is set, then "discharged";
 * at = the admission; then sealed.  0, or -1 (memory). */
int justice_stay_seal(const keyring *kr, arena *a, json_t *rec, struct item_row *it);

/* Whether the shelter service svc (its genders_served, minimum_age,
 * maximum_age) takes the person of the opened record person (gender;
 * age on the day `on`, NULL today, from birth_date, else estimated_age):
 * justice_shelter_takes.  1, or 0 with why[]. */
int justice_shelter_takes_json(json_t *svc, json_t *person, const char *on, char *why,
			       size_t whylen);

/* Keys of a perpetrator's names (api/persons.c, beside the persons'). */
size_t perpetrator_blind_keys(const keyring *kr, const char *org_id, json_t *rec,
			      struct blind_key *keys, size_t max);
size_t perpetrator_query_keys(const keyring *kr, const char *org_id, const char *q,
			      struct blind_key *keys, size_t max);

#endif
