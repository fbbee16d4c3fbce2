/*
 * rows.h - the store rows of a person, a case and its items, made from
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
#include "domain/screening.h"
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
/* 1 when the case field name is kept in a column of the row, with *value
 * what rows_case_columns_to_json puts in the record (NULL: left out);
 * 0 when it lives in the coded or sealed JSON. */
int rows_case_column(const struct case_row *c, const char *name, const char **value);

/* A consent item: status "active", or "withdrawn" once withdrawn_on is
 * set; due = expires ("" when none); then coded/sealed.  Queries test
 * these columns without opening the consent.  0, or -1 (memory). */
int rows_consent_seal(const keyring *kr, arena *a, json_t *rec, struct item_row *it);

/* An item of a declared kind (it->kind: note, service, plan, followup,
 * status_decision; of a person: prevention_service, household,
 * domv_assessment): the columns its kind copies from rec (status, due,
 * assigned_to), its place on the timeline (it->at moves to the record's
 * own date, unless that is the day it was made), then coded/sealed.
 * 0, -1 (memory), or -2 when the kind is not one of these. */
int rows_item_seal(const keyring *kr, arena *a, json_t *rec, struct item_row *it);

/* The declared schema of an item kind above, or NULL. */
const struct resource_schema *rows_item_schema(const char *kind);

/* Place an item at date (YYYY-MM-DD) on the timeline, as rows_item_seal
 * does; NULL or an invalid date leaves it->at as it is. */
void rows_item_at(struct item_row *it, const char *date);

/* A hotline contact: its columns (channel, call_type, started_at,
 * duration_s (-1 when not given), language, action, case_id, person_id,
 * operator, topics as " code code "), the caller's phone key under
 * c->org_id, then coded/sealed.  0, or -1 (memory). */
int rows_contact_seal(const keyring *kr, arena *a, json_t *rec, struct contact_row *c);

/* A screening item: coded {"instrument","child","child_reason"} and the
 * result's codes (screening_result_json), sealed {"answers","because"}
 * (the answered items that made each dimension positive); status is the
 * suggestion.  child_reason (borrowed) is rows_child_reason_json's, NULL
 * for none.  0, or -1 (memory). */
int rows_screening_seal(const keyring *kr, arena *a, const struct indicator_set *set,
			const char *const *codes, const enum answer *answers, size_t n,
			const struct screening_result *res, json_t *child_reason,
			struct item_row *it);

/* Why a screening's child flag is what it is: {"basis","age","at","on"}
 * from the reckoned age, else {"basis":"stated"|"unknown"}.  New
 * reference. */
json_t *rows_child_reason_json(const struct screening_age *a, int stated);

/* A pre-departure orientation session (store/reports.h): held_on from
 * rec's date and coded = rec (every field coded), in the arena; the
 * caller sets id, org, version and times.  0, or -1 (memory). */
struct orientation_row;
int rows_orientation(arena *a, json_t *rec, struct orientation_row *o);


/* Follow-up i (0 .. CASEWORK_LIVELIHOOD_CHECKS - 1) of a livelihood
 * service (domain/casework.h): {"due": end + 3, 6 or 12 months,
 * "months_after", "service_id", "status": "due", "assigned_to"} as a new
 * reference, or NULL when the service is not a livelihood, has no end
 * date or was cancelled.  The API and the demo schedule them alike. */
json_t *rows_livelihood_followup(json_t *service, const char *service_id, size_t i,
				 const char *assigned_to);

#endif
