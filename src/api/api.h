/*
 * api.h - what the resource handlers (api/<resource>.c) share: the routing
 * table, authorisation helpers, and output of stored JSON through the
 * escaping writer.
 */
#ifndef HIMOYA_API_H
#define HIMOYA_API_H

#include <jansson.h>

#include "api/app.h"
#include "api/records.h"
#include "domain/policy.h"
#include "domain/linkage.h"
#include "http/request.h"
#include "http/router.h"

extern const struct route api_routes[];
extern const size_t api_routes_count;

/* A session ended or a user's sign-in changed: forget cached sign-ins. */
void api_auth_changed(void);

/* 1 when the caller's role requires a second factor that this
 * authentication lacks: a bearer token (never), or a session in which no
 * factor was confirmed (opened before the role came to require one). */
int api_second_factor_missing(const struct req *r);

/* 1 when the caller's role is one of the NULL-terminated list. */
int api_role_in(const struct req *r, const char *const *roles);

/* What holds between the caller and a record of the own organisation
 * (PC_OWN_ORG, and PC_AUTHORITY for an authority's user), and whether
 * the policy lets the caller do `act` there: for creating records. */
policy_relation api_own_relation(const struct req *r);

/* The names of obj's members, comma-separated, for the audit's "fields"
 * (never a value); a name that does not fit whole is left out, and what
 * follows it. */
void api_member_names(json_t *obj, char *out, size_t outlen);
int api_may_own(const struct req *r, enum policy_action act);


/* Audit helpers: the principal and address come from the request. */
void api_audit_read(struct req *r, const char *record, const char *fields);
/* The audit record of a look-up of a phone number by its blind key
 * ("phones/" and 32 hex digits). */
#define API_PHONE_RECORD_LEN 40
void api_phone_record(const unsigned char key[BLIND_BYTES], char out[API_PHONE_RECORD_LEN]);
int api_audit_write(struct req *r, store_tx *tx, const char *action, const char *record,
		    const char *fields);

/* The client an address stands for, in rate limits and fair shares:
 * itself, or for IPv6 its /64 (one subscriber's network hands out many
 * addresses). */
void api_client_of(const char *addr, char out[64]);

/* Parse an If-Match header ("3" or "\"3\"") into a version; 428/412
 * problems are set when it is absent or unusable.  Returns 0 or status. */
int api_if_match(struct req *r, int64_t *version);

/* End a write transaction: commit when rc is STORE_OK, else roll back.
 * 0 on success; otherwise the problem is set (503 when tx is NULL) and
 * its status returned.  Before the commit, the owners of the case and
 * person the change was decided on (api_owner_seen) are read again in
 * the transaction: one changed since (a transfer accepted, a merge made
 * meanwhile) rolls the change back, 409 `moved` or `merged`. */
int api_tx_end(struct req *r, store_tx *tx, int rc);
/* Note the owner of a case (person 0) or person (person 1), and whether
 * the person was merged into another, as the caller's access to it was
 * decided (api_case_reach, api_person_load); org_id NULL: the owner is
 * not what the access rests on (a recipient's, through a referral that
 * a transfer hands over), only the person's merge is checked. */
enum owned { OWNED_CASE, OWNED_PERSON, OWNED_ITEM }; /* store_owner_tx's kinds */
/* In a change's transaction: STORE_OK while the owners noted still hold,
 * STORE_STALE (what changed noted) when one does not, STORE_ERROR; then
 * api_owners_reply sets its 409 (`moved`, `merged`) and returns the
 * status, or 0 when nothing changed (api_tx_end does both; a group
 * commit's job calls the first, its request the second). */
int api_owners_hold(struct req *r, store_tx *tx);
int api_owners_reply(struct req *r);
void api_owner_seen(struct req *r, enum owned kind, const char *id, const char *org_id, int merged);

/* For an action that takes no fields: 0 when the body is empty or {},
 * else the problem's status (a field sent is 422 unknown-field: it was
 * taken and ignored). */
int api_body_none(struct req *r);

/* A list answer, {"items":[...],"next":...}: api_list_begin opens it (200)
 * up to the items' array; api_list_end closes it with next (a cursor, or
 * NULL for the last page). */
void api_list_begin(struct req *r, jsonw *w);
int api_list_end(jsonw *w, const char *next);

/* Answer for a store error that is not a rule of the request: 503 with
 * Retry-After when the database is unreachable (database-unavailable) or
 * locked (busy), as store_failure tells (STORE_BUSY stays 503 busy when
 * it tells nothing), 500 for any other failure. */
int api_store_error(struct req *r, int rc);

/* Bytes of a request body to a route that needs no sign-in (ROUTE_PUBLIC:
 * the public form, the sign-in itself) or to no route at all. */
#define API_PUBLIC_BODY_MAX 2048
/* The body cap of a request for the HTTP server, from the routing table
 * (0: the configured one). */
size_t api_body_cap(unsigned method, const char *path);
/* Bytes of a file uploaded to a ROUTE_UPLOAD route (the library's), above
 * the configured body_max. */
#define API_UPLOAD_BODY_MAX ((size_t)20 << 20)

/* Items on a page of a list, unless ?limit= asks otherwise, and at most. */
#define PAGE_DEFAULT 50
#define PAGE_MAX 200

/* The paging of a list: ?limit= (1 to max; *limit keeps its default when
 * absent) and ?cursor= (the sort key and id of the last item seen, sealed
 * by api_cursor_seal: it tells nothing of the row it points after, and a
 * made-up one is refused; key and id stay "" without one).  0, or the 422
 * problem's status. */
int api_page(struct req *r, size_t max, size_t *limit, char *key, size_t keylen,
	     char *id, size_t idlen);
/* A sealed cursor of KEY.ID into out (outlen >= API_CURSOR_LEN). */
#define API_CURSOR_LEN 160
void api_cursor_seal(struct req *r, const char *key, const char *id, char *out, size_t outlen);

/* The period of figures over every organisation, widened to whole
 * months (from to the first day of its month, to to the last or today;
 * either may be NULL and stays so).  0, or -1 out of memory. */
int api_month_period(arena *a, const char **from, const char **to);

/* A query argument that filters a list by a code of cl: *out is the code,
 * or NULL when the argument is absent or empty.  0, or the 422 problem's
 * status. */
struct codelist;
int api_query_code(struct req *r, const char *name, const struct codelist *cl, const char **out);


/* Handlers, one file per resource. */
int api_health(struct req *r);
int api_static(struct req *r);
int api_session_create(struct req *r);
int api_session_delete(struct req *r);
/* Set-Cookie that makes the browser forget its session. */
void api_session_cookie_clear(struct req *r);
int api_me(struct req *r);
int api_me_totp_begin(struct req *r);
int api_me_totp_confirm(struct req *r);
/* The blind-index keys of a person record of org_id (names, phones) into
 * keys[]; returns how many.  Keys are made per organisation. */
size_t person_blind_keys(const keyring *kr, const char *org_id, json_t *rec,
			 struct blind_key *keys, size_t max);
/* The keys a name query looks up: each word whole and as a beginning. */
size_t person_query_keys(const keyring *kr, const char *org_id, const char *q,
			 struct blind_key *keys, size_t max);
/* The same for the names a referral shares (shared: those fields of the
 * person alone), under the recipient's domain; and the keys of a query of
 * the recipient's, each with the query's word it is of (word_of). */
size_t referral_name_keys(const keyring *kr, const char *to_org, json_t *shared,
			  struct blind_key *keys, size_t max);
size_t referral_query_keys(const keyring *kr, const char *org_id, const char *q,
			   struct blind_key *keys, unsigned char *word_of, size_t max);
/* Keep the names a referral shares with its recipient (api/referrals.c):
 * of one referral, in tx (person: its opened record, or NULL to read it);
 * of every referral of a person whose names changed (rec, the record as
 * changed), in tx; of every referral (at start: a change that did not
 * pass here, a merge, mended). */
int api_referral_names_put(const keyring *kr, store *st, store_tx *tx,
			   const struct referral_row *f, json_t *person, arena *a);
int api_referral_names_person(struct req *r, store_tx *tx, const char *person_id, json_t *rec);
struct dup_merge_row;
/* In the transaction of a merge, or of its undo (undo != 0), after the
 * rows moved: the moved referrals' keys, of the person they now rest on. */
int api_referral_names_merge(struct req *r, store_tx *tx, const struct dup_merge_row *m, int undo);
/* Every referral's keys made again, in the background (serve's start). */
void api_referral_names_start(struct app *app);
void api_referral_names_stop(void);
int api_persons_create(struct req *r);
int api_persons_search(struct req *r);
int api_person_get(struct req *r);
int api_person_patch(struct req *r);
int api_schema(struct req *r);
/* GET /openapi.json (openapi.c, documented in openapi_ops.c). */
int api_openapi(struct req *r);

/* Cases (cases.c), shared with the records of a case (items.c). */

/* How the caller reaches the case in hand (domain/policy.h). */
struct case_view {
	policy_relation rel;
	int limited;               /* sees only the fields the referral shares */
	json_t *share;             /* those field names, when reached by referral */
	struct referral_row ref;   /* the referral, when reached by one */
};

/* Load a case the caller may read (by the policy's case.read); 0, or the
 * 404 already set.  The caller's view is kept for api_case_may(). */
int api_case_load(struct req *r, const char *id, struct case_row *c);
/* The same for a case read already (a page's cases read together). */
int api_case_reach(struct req *r, const struct case_row *c);
const struct case_view *api_case_view(struct req *r);
/* 1 when the policy allows act on the loaded case. */
int api_case_may(struct req *r, enum policy_action act);
/* 1 when the view may show field (always, unless limited to a share). */
int api_view_shares(const struct case_view *v, const char *field);
/* The whole case record (columns and opened fields); caller decrefs. */
json_t *api_case_open_record(struct req *r, const struct case_row *c);
int api_case_event(struct req *r, store_tx *tx, const struct case_row *c, const char *type,
		   json_t *extra);
int api_person_has_consent(struct req *r, const char *person_id, const char *purpose,
			   const char *org_code, const char *org_type);
void api_set_etag(struct req *r, int64_t version);
/* Location: /api/v1/<collection>/<id>, of a record made (201), which a
 * replay of its create reads again (api/idempotency.c). */
void api_set_location(struct req *r, const char *collection, const char *id);
/* A kind's further test of the body of a new item (was NULL) or of a
 * change (was: the record before it) of person_id's item: 0, or the
 * problem's status (items.c's item_kind, prevention.c). */
typedef int (*api_item_check)(struct req *r, const char *person_id, json_t *body, json_t *was);
/* provider_org, when sent: the code of an organisation of the directory
 * (a case's services, prevention services). */
int api_provider_check(struct req *r, const char *person_id, json_t *body, json_t *was);
/* Whether a directory service takes the person (justice_shelter_takes over
 * the service's genders_served, minimum_age, maximum_age and the person's
 * gender and age; stays.c): 0 when it does, or when the service or the
 * person does not say; else 1 with why[] (justice_shelter_field names the
 * service's field).  Refused at a shelter's admission, warned of at a
 * referral; why[] goes only to a user who may add to or refer the case.
 * The age is the one on the day `on` (NULL: today); only what the caller
 * reads of the person (the case's view) is held against them. */
int api_outside_eligibility(struct req *r, const struct dir_service_row *s, const char *person_id,
			    const char *on, char *why, size_t n);
/* An item as an answer's object (items.c): its fixed members, then the
 * fields of rs (NULL: none) from rec, sealed ones through the audited road
 * under its case ("cases/ID"), or its person's when it has no case. */
void api_item_write(struct req *r, jsonw *w, const struct item_row *it,
		    const struct resource_schema *rs, json_t *rec);
/* 1 (and a 409 `merged` set) when person p was merged into another: a
 * merged-away record takes no case, consent, record or change (persons.c). */
int api_person_merged(struct req *r, const struct person_row *p);
/* 0, or a 422 for the first date of rec (a field of rs) that falls
 * before the person's date of birth, when it is known and the caller
 * reads it (a referral that holds it back is not told it by a refusal). */
int api_dates_after_birth(struct req *r, const char *person_id, const struct resource_schema *rs,
			  json_t *rec);
/* That 409 `merged`, set; its status returned. */
int api_reply_merged(struct req *r);
/* Load the person id names, of the caller's organisation and readable by
 * its role (404 as if none otherwise); to write on it, also not merged away
 * (409 `merged`).  0, or the status replied (persons.c). */
enum person_use { PERSON_TO_READ, PERSON_TO_WRITE };
int api_person_load(struct req *r, const char *id, struct person_row *p, enum person_use use);
/* Fill the fixed parts of a new item of the caller's organisation (items.c):
 * a fresh id, version 1, now, the caller as its author.  case_id and
 * person_id may be NULL (none). */
void api_item_new(struct req *r, struct item_row *it, const char *kind, const char *case_id,
		  const char *person_id);
/* 1 (and a 403 set) when a record of a case is another organisation's:
 * the case's owner sees its recipients' records and does not change them
 * (a transfer gives the new owner its former owner's records: they are
 * its own then) (items.c). */
int api_record_of_other(struct req *r, const struct item_row *it);
/* Whose item it is, as members of its JSON: "org", its organisation's
 * code, and "read_only" when the caller may not change it (a recipient's
 * record on the owner's page: api_record_of_other), so that a screen
 * offers no change it would refuse (items.c). */
void api_item_org(struct req *r, jsonw *w, const struct item_row *it);
/* The Location of a new item whose kind has a path of its own (items.c). */
void api_item_located(struct req *r, const struct item_row *it);
/* 1 when user_id may be given work of the caller's organisation: an
 * active case worker, supervisor, hotline operator or focal point of it. */
int api_assignee_ok(struct req *r, const char *user_id);

int api_cases_create(struct req *r);
int api_cases_list(struct req *r);
int api_case_get(struct req *r);
int api_case_patch(struct req *r);
int api_case_close(struct req *r);
int api_case_reopen(struct req *r);
int api_case_timeline(struct req *r);
int api_best_interests_create(struct req *r);
int api_best_interests_list(struct req *r);
int api_best_interests_patch(struct req *r);
int api_best_interests_get(struct req *r);
int api_notes_create(struct req *r);
int api_notes_list(struct req *r);
int api_note_patch(struct req *r);
int api_note_get(struct req *r);
int api_services_create(struct req *r);
int api_services_list(struct req *r);
int api_service_patch(struct req *r);
int api_service_get(struct req *r);
int api_plans_create(struct req *r);
int api_plans_list(struct req *r);
int api_plan_patch(struct req *r);
int api_case_plan_get(struct req *r);
int api_followups_create(struct req *r);
int api_followups_list(struct req *r);
int api_followup_patch(struct req *r);
int api_followup_get(struct req *r);
int api_followups_due(struct req *r);
int api_screenings_create(struct req *r);
int api_screenings_list(struct req *r);
int api_screening_get(struct req *r);
int api_decisions_create(struct req *r);
int api_decisions_list(struct req *r);
int api_decision_get(struct req *r);
int api_consents_create(struct req *r);
int api_consents_list(struct req *r);
int api_consent_get(struct req *r);
int api_consent_withdraw(struct req *r);

/* The criminal-justice track (justice.c) and shelter stays (stays.c). */
int api_perpetrators_create(struct req *r);
int api_perpetrators_list(struct req *r);
int api_perpetrators_search(struct req *r);
int api_perpetrator_get(struct req *r);
int api_perpetrator_patch(struct req *r);
int api_proceedings_create(struct req *r);
int api_proceedings_list(struct req *r);
int api_proceeding_get(struct req *r);
int api_proceeding_patch(struct req *r);
int api_risks_create(struct req *r);
int api_risks_list(struct req *r);
int api_risk_patch(struct req *r);
int api_risk_get(struct req *r);
int api_safety_plans_create(struct req *r);
int api_safety_plans_list(struct req *r);
int api_safety_plan_patch(struct req *r);
int api_safety_plan_get(struct req *r);
int api_stays_create(struct req *r);
int api_stays_list(struct req *r);
int api_stay_get(struct req *r);
int api_stay_discharge(struct req *r);
/* 1 when the caller reads the loaded case's justice records in full. */
int api_justice_full(struct req *r);
/* After a transfer's acceptance from from_org: the name keys of the
 * perpetrators it moved with the person's cases, under the new owner's
 * domain; one the old owner keeps is copied for the new owner, whose
 * cases link to the copy. */
void api_perpetrators_rekey(struct req *r, const char *person_id, const char *from_org);
/* A proceeding's fields in the timeline's data, when the caller may. */
void api_justice_timeline_data(struct req *r, jsonw *w, const struct item_row *it, json_t *rec);
/* Free beds of a shelter from its open stays (*occupied), or -1 when
 * it is not a shelter or has no capacity_max. */
long api_shelter_free_beds(struct req *r, const struct dir_service_row *s, long *occupied);

/* Referrals (referrals.c). */
int api_referrals_create(struct req *r);
int api_referrals_list(struct req *r);
int api_referral_get(struct req *r);
int api_referral_accept(struct req *r);
int api_referral_decline(struct req *r);
int api_referral_complete(struct req *r);
int api_referral_withdraw(struct req *r);
int api_case_transfer(struct req *r);
int api_case_access_log(struct req *r);
int api_referrals_stats(struct req *r);
int api_referrals_decisions_due(struct req *r);
int api_referral_consent_check(struct req *r);
int api_referral_share_presets(struct req *r);
/* Make a person's blind index again for the organisation now holding it. */
int api_person_rekey(struct req *r, const char *person_id);
/* The service directory (directory.c).  The fill and key helpers are
 * shared with `himoya demo`: fill sets a row's columns and coded JSON
 * (and a location's sealed address) from a validated record whose id is
 * in the row already (status defaults to "active"); keys are the search
 * keys of a service's and its organisation's names, in the arena. */
int api_dir_service_fill(arena *a, const keyring *kr, json_t *rec, struct dir_service_row *row);
int api_dir_location_fill(arena *a, const keyring *kr, json_t *rec, struct dir_location_row *row);
size_t api_dir_service_keys(arena *a, const char *name, const char *org_name, const char **keys,
			    size_t max);
int api_dir_services_list(struct req *r);
int api_dir_services_create(struct req *r);
int api_dir_service_get(struct req *r);
int api_dir_service_patch(struct req *r);
int api_dir_service_transfer(struct req *r);
int api_dir_service_transfer_accept(struct req *r);
int api_dir_service_transfer_cancel(struct req *r);
int api_dir_locations_create(struct req *r);
int api_dir_location_get(struct req *r);
int api_dir_export(struct req *r);
int api_dir_import(struct req *r);
/* The safe-migration knowledge base (kb.c; shared parts in api/kb.h). */
int api_kb_list(struct req *r);
int api_kb_create(struct req *r);
int api_kb_gaps(struct req *r);
int api_kb_get(struct req *r);
int api_kb_patch(struct req *r);
int api_kb_history(struct req *r);
/* The public pages without login (public.c). */
int api_public_home(struct req *r);
int api_public_kb(struct req *r);
int api_public_kb_article(struct req *r);
int api_public_callback(struct req *r);
/* The fixed thank-you page (202, HTML, tg/ru/en) that answers a callback
 * request sent by the public form (application/x-www-form-urlencoded). */
int api_public_thanks(struct req *r);
/* The page of a form the database could not take (503, Retry-After, the
 * hotline at its top), in the reader's language. */
int api_public_unavailable(struct req *r);

/* The hotline (contacts.c, callbacks.c). */
int api_contacts_create(struct req *r);
int api_contacts_list(struct req *r);
int api_contacts_stats(struct req *r);
int api_contact_get(struct req *r);
int api_contact_patch(struct req *r);
int api_contact_attach(struct req *r);
int api_caller_flags_create(struct req *r);
int api_caller_flags_list(struct req *r);
int api_caller_flag_get(struct req *r);
int api_callbacks_create(struct req *r);
int api_callbacks_list(struct req *r);
int api_callback_get(struct req *r);
int api_callback_patch(struct req *r);
int api_public_callback_request(struct req *r);
int api_public_form_token_get(struct req *r);
/* The blind index of a phone number in an organisation (the persons'
 * phone index: normalised digits, domain per organisation); 0, or -1
 * when phone is not a number.  Shared with `himoya demo`. */
int api_phone_blind(const keyring *kr, const char *org_id, const char *phone,
		    unsigned char out[BLIND_BYTES]);
/* "•••• 45 67": the last four digits of a number, for the queue. */
void api_phone_masked(const char *phone, char *out, size_t outlen);
/* Booking a callback (POST /callbacks, or inside POST /contacts):
 * validate obj (due, safe_note, language, assigned_to), fill c for the
 * caller's organisation and seal the number and note (*secret: the
 * opened part, owned by the request); 0, or the problem set and its
 * status.  Then api_callback_insert within the caller's transaction
 * (audited), and api_callback_write to answer (full: with the number). */
int api_callback_prepare(struct req *r, json_t *obj, const char *phone, const char *contact_id,
			 struct callback_row *c, json_t **secret);
int api_callback_insert(struct req *r, store_tx *tx, const struct callback_row *c, json_t *secret);
/* The callback booked with a contact, for a caller who works callbacks:
 * 1 and *c, *secret (owned by the request) when there is one. */
int api_callback_of_contact(struct req *r, const char *contact_id, struct callback_row *c,
			    json_t **secret);
void api_callback_write(struct req *r, jsonw *w, const struct callback_row *c, json_t *secret,
			int full);
/* At `himoya serve` start: the form key and the hotline organisation
 * (config hotline_org, else the first organisation); -1 and a message
 * when the configured code names none. */
int api_public_form_init(struct app *app, char *err, size_t errlen);
/* A fresh opaque token for the public callback form (43 characters and a
 * NUL: outlen >= 44); its length, or 0 before api_public_form_init.  A
 * token is accepted from 3 seconds to 2 hours after it was issued. */
size_t api_public_form_token(char *out, size_t outlen);

/* API tokens (tokens.c). */
int api_tokens_list(struct req *r);
int api_tokens_create(struct req *r);
int api_token_revoke(struct req *r);

/* Argon2id work of a request on the password worker (users.c): verify
 * `password` against job.stored (when set), then hash new_password (or
 * password) into hash (when hash_out is set).  api_pw_submit suspends
 * the request; the handler is called again with r->phase API_PW_DONE
 * (job.ok tells) or API_PW_BUSY (answer 503).  Allocate the task in
 * r->mem (zeroed) and keep the handler's state beside it. */
enum { API_PW_START = 0, API_PW_WAITING, API_PW_DONE, API_PW_BUSY };
struct api_pw_task {
	pw_job job;
	char client[64];
	char password[1025];
	char new_password[1025];
	char hash[PASSWORD_HASH_MAX];
};
int api_pw_submit(struct req *r, struct api_pw_task *t);
/* The hand-off under api_pw_submit and sign-in: give job to the workers
 * with the client's fair-share key (written into client), keep task in
 * r->async and suspend r; r->phase goes API_PW_WAITING, then API_PW_DONE
 * or API_PW_BUSY.  Returns HTTP_SUSPENDED. */
int api_pw_suspend(struct req *r, pw_job *job, char client[64], void *task);
/* Wipe the task's secrets. */
void api_pw_wipe(struct api_pw_task *t);
/* A one-time password (20 random letters and digits) that follows the
 * password rules for ctx (domain/pwrules.h): one that happens to contain
 * a short login or code is drawn again. */
struct pw_context;
void api_password_new(char out[24], const struct pw_context *ctx);

/* Users of the administrator's organisation (users.c). */
int api_users_list(struct req *r);
int api_users_create(struct req *r);
int api_user_role(struct req *r);
int api_user_disable(struct req *r);
int api_user_enable(struct req *r);
int api_user_unlock(struct req *r);
int api_user_reset_totp(struct req *r);
int api_user_reset_password(struct req *r);
/* The writes of those actions, in the caller's transaction, shared with
 * the command line (cli/accounts.c), which audits them alike:
 * disable (the account, its sessions and tokens end; arg unused), enable
 * (arg unused), and a reset password (arg: the new hash, a one-time
 * password; its sessions end and its tokens are revoked). */
int api_user_change_disable(store_tx *tx, const struct user *u, const void *arg);
int api_user_change_enable(store_tx *tx, const struct user *u, const void *arg);
int api_user_change_password(store_tx *tx, const struct user *u, const void *arg);
int api_me_password(struct req *r);
/* Organisations (orgs.c; the list in admin.c). */
/* Another organisation than except_id (NULL: none) whose code is code
 * but for case, or whose name is name but for case, width and spacing
 * (Unicode NFKC case folding): "code" or "name", else NULL.  A look-alike
 * would let a consent, a referral or a reader take one for the other. */
const char *api_org_lookalike(store *st, const char *code, const char *name,
			      const char *except_id);
/* (and "store" when the organisations could not be read) */
/* Whether the caller may add organisations and set their name, type and
 * sector: an administrator of the installation's own organisation (the
 * first, made by himoya init). */
int api_caller_settles_orgs(struct req *r);
/* The caller is of the installation's own organisation (store_org_home),
 * which settles what concerns the whole network. */
int api_caller_is_home(struct req *r);

/* Idempotency keys (api/idempotency.c), around a change's handler: begin
 * answers 0 to go on (the key, if one was sent, claimed), else the status
 * of the answer it gave (the first answer again, or a problem); end keeps
 * the answer for the key, or frees the key when it was a problem. */
int api_idem_begin(struct req *r);
void api_idem_end(struct req *r);
int api_orgs_create(struct req *r);
int api_org_patch(struct req *r);

int api_roles_list(struct req *r);
int api_orgs_list(struct req *r);
int api_role_set(struct req *r);
int api_audit_list(struct req *r);

/* Reports (reports.c) and training events (trainings.c). */
int api_reports_summary(struct req *r);
int api_reports_indicators(struct req *r);
int api_reports_livelihood(struct req *r);
/* Prevention without a case (prevention.c). */
int api_prevention_services_create(struct req *r);
int api_prevention_services_list(struct req *r);
int api_households_create(struct req *r);
int api_households_list(struct req *r);
int api_assessments_create(struct req *r);
int api_assessments_list(struct req *r);
/* Changed by items.c's item_patch, with the hooks below. */
int api_prevention_service_patch(struct req *r);
int api_prevention_service_get(struct req *r);
int api_household_patch(struct req *r);
int api_household_get(struct req *r);
int api_assessment_patch(struct req *r);
int api_assessment_get(struct req *r);
/* Who may change an item of a person without a case: the person read in
 * the own organisation, prevention.record.  0, or the problem's status. */
int api_prevention_may(struct req *r, const struct item_row *it);
/* The kinds' tests of a body (api_item_check): the person's active consent
 * to assistance for every one; a prevention service's provider is known;
 * an assessment stays with its household. */
int api_prevention_consented(struct req *r, const char *person_id, json_t *body, json_t *was);
int api_prevention_service_check(struct req *r, const char *person_id, json_t *body,
				 json_t *was);
int api_assessment_check(struct req *r, const char *person_id, json_t *body, json_t *was);
int api_orientations_create(struct req *r);
int api_orientations_list(struct req *r);
int api_orientation_get(struct req *r);
/* The national Action Plan (plan.c). */
int api_plan_get(struct req *r);
int api_plan_post(struct req *r);
int api_plan_report(struct req *r);
int api_plan_report_get(struct req *r);
int api_plan_xlsx(struct req *r);
/* Bring the report facts up to date with the cases, persons and services
 * changed since the last pass (also run by `himoya demo`); 0 or -1. */
int api_report_refresh(store *st, const keyring *kr);
/* The same inside an open write transaction (the demo's bulk load makes
 * the facts of each batch before committing it, while its rows are in
 * the cache); the caller commits or rolls back. */
int api_report_refresh_tx(store_tx *tx, const keyring *kr);
int api_trainings_create(struct req *r);
int api_trainings_list(struct req *r);
int api_training_get(struct req *r);
int api_training_patch(struct req *r);
int api_participants_create(struct req *r);
int api_participants_list(struct req *r);
int api_participant_get(struct req *r);

/* Exports (exports.c): HTCDS rows, the k-anonymised CTDC table, cases.xlsx. */
int api_export_htcds(struct req *r);
int api_export_htcds_xlsx(struct req *r);
int api_export_ctdc(struct req *r);
int api_export_cases_xlsx(struct req *r);

/* Duplicates in the register (duplicates.c). */
int api_duplicates_list(struct req *r);
int api_duplicates_scan(struct req *r);
int api_duplicate_merge(struct req *r);
int api_duplicate_distinct(struct req *r);
int api_merge_undo(struct req *r);
/* The linkage pass over one organisation's persons: the candidate pairs
 * go to the list (decided pairs stay as decided); *found counts them. */
int api_dedup_pass(store *st, const keyring *kr, const char *org_id, size_t *found);
/* Before a registration: 0 when rec is like no registered person of the
 * caller's organisation, else the 409 likely-duplicate problem (with the
 * candidates' ids and scores) is set and its status returned. */
int api_dedup_check(struct req *r, json_t *rec);
/* After a registration: the pairs of the new person go to the list. */
void api_dedup_registered(struct req *r, const char *person_id, json_t *rec);
/* The background pass over every organisation (`himoya serve`). */
void api_dedup_start(struct app *app);
void api_dedup_stop(void);
/* The pieces of the above that `himoya import` (api/import.c) uses too:
 * this year (an estimated age's birth year); the link record of an
 * opened person record, its phone and document as blind indexes of the
 * organisation; the registered persons of the caller's organisation that
 * rec may be, scored with the prior model, best first, those at or over
 * its threshold (self_id skipped; at most max); and a pair put in the
 * list (x, y in any order). */
struct dedup_candidate {
	char id[ID_LEN];
	double score;
	uint8_t lv[LINK_FIELDS];
};
int api_dedup_year(void);
void api_dedup_record(const keyring *kr, const char *org_id, json_t *rec, int year,
		      struct link_record *out);
size_t api_dedup_candidates(struct req *r, json_t *rec, const char *self_id,
			    struct dedup_candidate *out, size_t max);
int api_dedup_pair_put(store_tx *tx, arena *a, const char *org_id, const char *x,
		       const char *y, const struct link_model *m, const uint8_t lv[LINK_FIELDS],
		       const char *now);

/* The knowledge library and study visits (library.c, trainings.c). */
int api_library_list(struct req *r);
int api_library_create(struct req *r);
int api_library_get(struct req *r);
int api_library_upload(struct req *r);
int api_library_file(struct req *r);
int api_library_withdraw(struct req *r);
int api_study_visits_create(struct req *r);

#endif
