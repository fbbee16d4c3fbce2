/*
 * rows.h - the store rows of a person, a case and a consent, made from
 * their records: the one road from a validated record to what the store
 * keeps.  The API's handlers and `himoya demo` both call these, so that a
 * row is shaped in one place (the exports once matched only the demo's
 * hand-copied consent shape and missed every consent the API recorded).
 *
 * Each function fills the row's derived columns and its coded and sealed
 * parts from rec; the caller sets id, org_id, version and timestamps
 * before (the id is sealed in).  coded and sealed point into the arena.
 */
#ifndef HIMOYA_API_ROWS_H
#define HIMOYA_API_ROWS_H

#include <jansson.h>

#include "crypto/crypto.h"
#include "store/store.h"
#include "util/arena.h"

/* A person: coded/sealed, and its blind-index keys into keys[0..max)
 * (*nkeys how many).  0, or -1 when out of memory. */
int rows_person_seal(const keyring *kr, arena *a, json_t *rec, struct person_row *p,
		     struct blind_key *keys, size_t max, size_t *nkeys);

/* A case: the filterable columns (person_id, status, stage,
 * trafficking_status, assigned_to, previous_case_id, opened_on,
 * closed_on) from rec, then coded/sealed.  0, or -1 (memory). */
int rows_case_seal(const keyring *kr, arena *a, json_t *rec, struct case_row *c);

/* Only the columns of a case from its record (rows_case_seal's first step). */
void rows_case_columns_from_json(json_t *rec, struct case_row *c);

/* The columns of a case back into its record (the inverse of the above). */
void rows_case_columns_to_json(const struct case_row *c, json_t *rec);

/* A consent item: status "active", or "withdrawn" once withdrawn_on is
 * set; due = expires ("" when none); then coded/sealed.  Queries test
 * these columns without opening the consent.  0, or -1 (memory). */
int rows_consent_seal(const keyring *kr, arena *a, json_t *rec, struct item_row *it);

#endif
