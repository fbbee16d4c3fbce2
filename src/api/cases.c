/*
 * cases.c - /api/v1/cases: open, list with filters and paging, read,
 * update with If-Match, assign, close with a reason, reopen, and the
 * case's timeline.
 *
 * A case belongs to the organisation that opened it and is visible to
 * the roles the policy's case.read names in that organisation.  Opening a case needs
 * the person's current consent to assistance.  Every change leaves an
 * event on the timeline and an audit entry.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "api/api.h"
#include "api/disclose.h"
#include "api/rows.h"
#include "util/rawjson.h"
#include "domain/casework.h"
#include "domain/consent.h"
#include "domain/namekey.h"
#include "domain/policy.h"
#include "domain/record.h"
#include "codelists.h"



/* What holds between the caller and a case, as the policy's relation. */
static policy_relation case_relation(struct req *r, const struct case_row *c)
{
	policy_relation rel = 0;
	if (!strcmp(c->org_id, r->who.user.org.id))
		rel |= PC_OWN_ORG;
	if (c->assigned_to[0] && !strcmp(c->assigned_to, r->who.user.id))
		rel |= PC_ASSIGNED;
	if (!strcmp(c->status, "Active") || !strcmp(c->status, "FollowUp"))
		rel |= PC_CASE_OPEN;
	if (policy_org_is_authority(r->who.user.org.type))
		rel |= PC_AUTHORITY;
	return rel;
}

int api_case_load(struct req *r, const char *id, struct case_row *c)
{
	int rc = store_case_get(r->app->st, id, c, &r->mem);

	if (rc != STORE_OK)
		return api_store_error(r, rc);
	return api_case_reach(r, c);
}

int api_case_reach(struct req *r, const struct case_row *c)
{
	struct case_view *v;
	char today[11];
	int allowed;

	v = arena_alloc(&r->mem, sizeof *v);
	if (!v)
		return reply_problem(r, 500, "internal", "out of memory");
	v->rel = case_relation(r, c);
	if (!(v->rel & PC_OWN_ORG)) {
		consent_today(today);
		if (store_referral_access(r->app->st, c->id, NULL, r->who.user.org.id, today, &v->ref,
					  &r->mem) == STORE_OK) {
			v->rel |= PC_REFERRAL_ACCEPTED;
			v->share = json_loads(v->ref.share, 0, NULL);
		}
	}
	allowed = policy_allows(ACT_CASE_READ, r->who.user.role, v->rel);
	if (allowed < 0) {
		json_decref(v->share);
		return api_store_error(r, STORE_NOT_FOUND);
	}
	v->limited = (allowed & PC_CONSENTED_FIELDS) != 0;
	if (v->share && req_own_json(r, v->share) != 0)
		v->share = NULL;
	r->view = v;
	/* What a change of the case rests on: its owner (a transfer accepted
	 * meanwhile), and its person (merged meanwhile, the case went to the
	 * record kept: a stay racing the merge was left on the merged-away
	 * person, a second shelter at once).  A recipient's access rests on
	 * its referral, which a transfer hands over with the case. */
	if (v->rel & PC_OWN_ORG)
		api_owner_seen(r, OWNED_CASE, c->id, c->org_id, 0);
	api_owner_seen(r, OWNED_PERSON, c->person_id, NULL, 0);
	return 0;
}

const struct case_view *api_case_view(struct req *r)
{
	return r->view;
}

int api_case_may(struct req *r, enum policy_action act)
{
	const struct case_view *v = r->view;
	return v && policy_allows(act, r->who.user.role, v->rel) >= 0;
}

int api_view_shares(const struct case_view *v, const char *field)
{
	size_t i;
	json_t *f;
	if (!v || !v->limited)
		return 1;
	json_array_foreach(v->share, i, f)
		if (json_is_string(f) && !strcmp(json_string_value(f), field))
			return 1;
	return 0;
}

void api_set_etag(struct req *r, int64_t version)
{
	char etag[32];

	snprintf(etag, sizeof etag, "\"%lld\"", (long long)version);
	reply_header(r, "ETag", etag);
}

void api_set_location(struct req *r, const char *collection, const char *id)
{
	char loc[160];

	snprintf(loc, sizeof loc, "/api/v1/%s/%s", collection, id);
	reply_header(r, "Location", loc);
}

json_t *api_case_open_record(struct req *r, const struct case_row *c)
{
	json_t *rec = record_open(&r->app->kr, &r->mem, c->coded, c->sealed, c->sealed_len, c->id);
	if (rec)
		rows_case_columns_to_json(c, rec);
	return rec;
}

/* Seal rec into c (columns, coded, sealed): the demo's road too. */
static int case_seal(struct req *r, json_t *rec, struct case_row *c)
{
	return rows_case_seal(&r->app->kr, &r->mem, rec, c);
}

/* The filterable columns of a record, without sealing it. */
static void case_json_to_columns(json_t *rec, struct case_row *c)
{
	rows_case_columns_from_json(rec, c);
}

static int view_keeps(const void *ctx, const char *name)
{
	return api_view_shares(ctx, name);
}

static const char *const person_names[] = {"given_name", "family_name", "birth_date", NULL};

static int names_only(const void *ctx, const char *name)
{
	const char *const *n;
	(void)ctx;
	for (n = person_names; *n; n++)
		if (!strcmp(*n, name))
			return 1;
	return 0;
}

/* The person of a case, beside it: the names for the owner, the shared
 * fields for a reader limited to a referral's share (read audited).  p is
 * the person read before (a list reads a page's persons at once), or NULL
 * to read it here; none written when there is no such person. */
static void write_case_person(struct req *r, jsonw *w, const char *person_id,
			      const struct person_row *p, const struct case_view *v)
{
	struct person_row one;
	json_t *rec;
	char record[64];

	if (!p) {
		if (store_person_get(r->app->st, person_id, &one, &r->mem) != STORE_OK)
			return;
		p = &one;
	}
	rec = record_open(&r->app->kr, &r->mem, p->coded, p->sealed, p->sealed_len, p->id);
	if (!rec)
		return;
	snprintf(record, sizeof record, "persons/%s", p->id);
	jw_key(w, "person");
	jw_object(w);
	jw_kstr(w, "id", p->id);
	if (v && v->limited)
		api_write_fields(r, w, record, &person_schema, rec, view_keeps, v);
	else
		api_write_fields(r, w, record, &person_schema, rec, names_only, NULL);
	jw_end(w);
	json_decref(rec);
}

/* A case with its person beside it: person is the one read before, or
 * NULL to read it here (a list passes a page's persons, read at once). */
static void write_case(struct req *r, jsonw *w, const struct case_row *c, json_t *rec,
		       const struct person_row *person, const struct case_view *v)
{
	char record[64];

	snprintf(record, sizeof record, "cases/%s", c->id);
	jw_object(w);
	jw_kstr(w, "id", c->id);
	jw_kint(w, "version", c->version);
	if (v && v->limited) {
		/* Reached through a referral: the shared fields and nothing
		 * else of the case; the person's shared fields beside them. */
		jw_kbool(w, "shared_view", 1);
		jw_kstr(w, "referral_id", v->ref.id);
		api_write_fields(r, w, record, &case_schema, rec, view_keeps, v);
		write_case_person(r, w, c->person_id, person, v);
		jw_end(w);
		return;
	}
	api_write_fields(r, w, record, &case_schema, rec, NULL, NULL);
	write_case_person(r, w, c->person_id, person, NULL);
	jw_kstr(w, "created_at", c->created_at);
	jw_kstr(w, "updated_at", c->updated_at);
	jw_end(w);
}

static int reply_case(struct req *r, int status, const struct case_row *c, json_t *rec)
{
	jsonw w;
	reply_json_begin(r, status, &w);
	write_case(r, &w, c, rec, NULL, api_case_view(r));
	jw_finish(&w);
	api_set_etag(r, c->version);
	return status;
}

/* Append a timeline event (an item of kind "event") in tx. */
int api_case_event(struct req *r, store_tx *tx, const struct case_row *c, const char *type,
		   json_t *extra)
{
	struct item_row it;
	json_t *coded = extra ? json_deep_copy(extra) : json_object();
	char *s;
	int rc;

	api_item_new(r, &it, "event", c->id, c->person_id);
	json_object_set_new(coded, "type", json_string(type));
	s = json_dumps(coded, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(coded);
	if (!s)
		return STORE_ERROR;
	it.coded = s;
	rc = store_item_insert(tx, &it);
	free(s);
	return rc;
}

int api_assignee_ok(struct req *r, const char *user_id)
{
	struct user u;
	return store_user_by_id(r->app->st, user_id, &u) == STORE_OK &&
	       !strcmp(u.org.id, r->who.user.org.id) && !u.disabled &&
	       (!strcmp(u.role, "caseworker") || !strcmp(u.role, "supervisor") ||
		!strcmp(u.role, "hotline") || !strcmp(u.role, "focal_point"));
}

int api_person_has_consent(struct req *r, const char *person_id, const char *purpose,
			   const char *org_code, const char *org_type)
{
	struct item_row *rows;
	size_t n = 0, i;
	char today[11];
	int ok = 0;

	consent_today(today);
	if (store_items_of_person(r->app->st, person_id, "consent", &rows, &n, &r->mem) != STORE_OK)
		return 0;
	for (i = 0; i < n && !ok; i++) {
		json_t *c = json_loads(rows[i].coded, 0, NULL);
		if (c && consent_covers(c, purpose, org_code, org_type, today))
			ok = 1;
		json_decref(c);
	}
	return ok;
}

int api_cases_create(struct req *r)
{
	struct case_row c, prev;
	struct person_row p;
	struct record_error e;
	char record[64], fields[512];
	json_t *body, *rec;
	store_tx *tx;
	int rc;

	if (!api_may_own(r, ACT_CASE_OPEN))
		return reply_problem(r, 403, "forbidden", "your role cannot open cases");
	body = req_json_object(r);
	if (!body)
		return r->status;
	if (record_validate(&case_schema, body, RECORD_CREATE, &e))
		return reply_problem(r, 422, e.type, e.detail);
	memset(&c, 0, sizeof c);
	rec = json_deep_copy(body);
	if (!rec)
		return reply_problem(r, 500, "internal", "out of memory");
	case_json_to_columns(rec, &c);
	json_decref(rec);
	if (store_person_get(r->app->st, c.person_id, &p, &r->mem) != STORE_OK ||
	    strcmp(p.org_id, r->who.user.org.id))
		return reply_problem(r, 422, "invalid-value", "person_id: no such person");
	if (api_person_merged(r, &p))
		return r->status;
	api_owner_seen(r, OWNED_PERSON, p.id, p.org_id, 0);
	if ((rc = api_dates_after_birth(r, p.id, &case_schema, body)))
		return rc;
	if (c.status[0] && strcmp(c.status, "Active") && strcmp(c.status, "FollowUp"))
		return reply_problem(r, 422, "invalid-value",
				     "status: a new case is Active or FollowUp");
	if (c.assigned_to[0] && !api_assignee_ok(r, c.assigned_to))
		return reply_problem(r, 422, "invalid-value", "assigned_to: no such colleague");
	if (c.previous_case_id[0] &&
	    (store_case_get(r->app->st, c.previous_case_id, &prev, &r->mem) != STORE_OK ||
	     strcmp(prev.org_id, r->who.user.org.id) || strcmp(prev.person_id, c.person_id)))
		return reply_problem(r, 422, "invalid-value",
				     "previous_case_id: no earlier case of this person");
	/* Assistance by this organisation: a consent naming no recipient, or
	 * naming this one, covers it. */
	if (!api_person_has_consent(r, c.person_id, "assistance", r->who.user.org.code,
				   r->who.user.org.type))
		return reply_problem(r, 409, "consent-required",
				     "record the person's consent to assistance before opening a case");

	rec = json_deep_copy(body);
	if (!rec)
		return reply_problem(r, 500, "internal", "out of memory");
	if (!json_object_get(rec, "status"))
		json_object_set_new(rec, "status", json_string("Active"));
	if (!json_object_get(rec, "stage"))
		json_object_set_new(rec, "stage", json_string("contact"));
	if (!json_object_get(rec, "opened_on")) {
		char today[11];
		consent_today(today);
		json_object_set_new(rec, "opened_on", json_string(today));
	}
	if (!json_object_get(rec, "assigned_to") && !strcmp(r->who.user.role, "caseworker"))
		json_object_set_new(rec, "assigned_to", json_string(r->who.user.id));
	store_new_id(c.id);
	snprintf(c.org_id, sizeof c.org_id, "%s", r->who.user.org.id);
	c.version = 1;
	store_now(c.created_at);
	memcpy(c.updated_at, c.created_at, TS_LEN);
	if (case_seal(r, rec, &c)) {
		json_decref(rec);
		return reply_problem(r, 500, "internal", "out of memory");
	}
	snprintf(record, sizeof record, "cases/%s", c.id);
	record_secret_fields(&case_schema, rec, fields, sizeof fields);

	tx = store_begin(r->app->st);
	rc = tx ? store_case_insert(tx, &c) : STORE_ERROR;
	if (rc == STORE_OK)
		rc = api_case_event(r, tx, &c, "opened", NULL);
	if (rc == STORE_OK)
		rc = api_audit_write(r, tx, "create", record, fields);
	if ((rc = api_tx_end(r, tx, rc))) {
		json_decref(rec);
		return rc;
	}
	api_set_location(r, "cases", c.id);
	rc = reply_case(r, 201, &c, rec);
	json_decref(rec);
	return rc;
}

int api_case_get(struct req *r)
{
	struct case_row c;
	char record[64];
	json_t *rec, *v;
	const char *key;
	void *tmp;

	if (api_case_load(r, r->params[0], &c))
		return r->status;
	rec = api_case_open_record(r, &c);
	if (!rec)
		return reply_problem(r, 500, "internal", "the record cannot be opened");
	/* A reader through a referral reads the shared fields only: the audit
	 * (and the owner's access log) names those and no others. */
	json_object_foreach_safe(rec, tmp, key, v)
		if (!api_view_shares(api_case_view(r), key))
			json_object_del(rec, key);
	/* Read even when no sealed field is shown (the access log says who
	 * looked at the case); the fields shown join the entry as written. */
	snprintf(record, sizeof record, "cases/%s", c.id);
	api_disclose(r, record, "");
	reply_case(r, 200, &c, rec);
	json_decref(rec);
	return 200;
}

/* Write the changed case with its events; consumes nothing. */
static int case_save(struct req *r, struct case_row *c, json_t *rec, const char *action,
		     const char *fields, const char *const *events, json_t *const *extras)
{
	char record[64];
	store_tx *tx;
	int rc, i;

	c->version++;
	store_now(c->updated_at);
	if (case_seal(r, rec, c))
		return reply_problem(r, 500, "internal", "out of memory");
	snprintf(record, sizeof record, "cases/%s", c->id);
	tx = store_begin(r->app->st);
	if (!tx)
		return api_store_error(r, STORE_BUSY);
	rc = store_case_update(tx, c);
	for (i = 0; rc == STORE_OK && events && events[i]; i++)
		rc = api_case_event(r, tx, c, events[i], extras ? extras[i] : NULL);
	if (rc == STORE_OK)
		rc = api_audit_write(r, tx, action, record, fields);
	if ((rc = api_tx_end(r, tx, rc)))
		return rc;
	return reply_case(r, 200, c, rec);
}

int api_case_patch(struct req *r)
{
	struct case_row c, prev;
	struct record_error e;
	const char *events[4] = {0};
	json_t *extras[4] = {0};
	char fields[512], old_status[24], old_stage[32], old_assigned[ID_LEN];
	json_t *body, *rec;
	int64_t want;
	int nev = 0, rc;

	if (api_case_load(r, r->params[0], &c))
		return r->status;
	if (!api_case_may(r, ACT_CASE_UPDATE))
		return reply_problem(r, 403, "forbidden", "you cannot change this case");
	if (api_if_match(r, &want))
		return r->status;
	body = req_json_object(r);
	if (!body)
		return r->status;
	if (record_validate(&case_schema, body, RECORD_PATCH, &e))
		return reply_problem(r, 422, e.type, e.detail);
	if (json_object_get(body, "person_id"))
		return reply_problem(r, 422, "invalid-value", "person_id: a case keeps its person");
	if ((rc = api_dates_after_birth(r, c.person_id, &case_schema, body)))
		return rc;
	if (want != c.version)
		return api_store_error(r, STORE_STALE);
	if (json_is_null(json_object_get(body, "stage")) ||
	    json_is_null(json_object_get(body, "status")) ||
	    json_is_null(json_object_get(body, "opened_on")))
		return reply_problem(r, 422, "invalid-value", "status, stage and opened_on cannot be removed");
	rec = api_case_open_record(r, &c);
	if (!rec)
		return reply_problem(r, 500, "internal", "the record cannot be opened");
	snprintf(old_status, sizeof old_status, "%s", c.status);
	snprintf(old_stage, sizeof old_stage, "%s", c.stage);
	snprintf(old_assigned, sizeof old_assigned, "%s", c.assigned_to);
	record_patch(rec, body);
	case_json_to_columns(rec, &c);
	if (strcmp(old_status, c.status) && !casework_may_set_status(old_status, c.status)) {
		json_decref(rec);
		return reply_problem(r, 422, "invalid-transition",
				     "status: close and reopen a case with /close and /reopen");
	}
	if (c.assigned_to[0] && strcmp(old_assigned, c.assigned_to) && !api_assignee_ok(r, c.assigned_to)) {
		json_decref(rec);
		return reply_problem(r, 422, "invalid-value", "assigned_to: no such colleague");
	}
	if (c.previous_case_id[0] &&
	    (!strcmp(c.previous_case_id, c.id) ||
	     store_case_get(r->app->st, c.previous_case_id, &prev, &r->mem) != STORE_OK ||
	     strcmp(prev.org_id, c.org_id) || strcmp(prev.person_id, c.person_id))) {
		json_decref(rec);
		return reply_problem(r, 422, "invalid-value",
				     "previous_case_id: no earlier case of this person");
	}
	if (strcmp(old_assigned, c.assigned_to)) {
		events[nev] = "assigned";
		extras[nev++] = json_pack("{s:s}", "to", c.assigned_to);
	}
	if (strcmp(old_stage, c.stage)) {
		events[nev] = "stage_changed";
		extras[nev++] = json_pack("{s:s,s:s}", "from", old_stage, "to", c.stage);
	}
	api_member_names(body, fields, sizeof fields);
	c.version = want;
	rc = case_save(r, &c, rec, "update", fields, events, extras);
	while (nev--)
		json_decref(extras[nev]);
	json_decref(rec);
	return rc;
}

static const char *const close_fields[] = {"reason", "status", NULL};

int api_case_close(struct req *r)
{
	struct case_row c;
	const char *reason, *to = "Closed", *key, *events[2] = {"closure", NULL};
	json_t *body, *rec, *v, *extra[1];
	char today[11];
	int rc;

	if (api_case_load(r, r->params[0], &c))
		return r->status;
	if (!api_case_may(r, ACT_CASE_CLOSE))
		return reply_problem(r, 403, "forbidden", "you cannot close this case");
	body = req_json_object(r);
	if (!body)
		return r->status;
	json_object_foreach(body, key, v) {
		const char *const *k;
		for (k = close_fields; *k && strcmp(*k, key); k++)
			;
		if (!*k)
			return reply_problemf(r, 422, "unknown-field", "%s: is not a field here", key);
	}
	reason = json_string_value(json_object_get(body, "reason"));
	if (!reason || !codelist_has(&cl_case_closure_reason, reason))
		return reply_problem(r, 422, "invalid-value",
				     "reason: give a closure reason from its code list");
	if (json_object_get(body, "status")) {
		to = json_string_value(json_object_get(body, "status"));
		if (!to || (strcmp(to, "Closed") && strcmp(to, "ClosedReferred")))
			return reply_problem(r, 422, "invalid-value",
					     "status: Closed or ClosedReferred");
	}
	if (!casework_may_close(c.status, to))
		return reply_problem(r, 409, "invalid-transition", "the case is already closed");
	rec = api_case_open_record(r, &c);
	if (!rec)
		return reply_problem(r, 500, "internal", "the record cannot be opened");
	consent_today(today);
	json_object_set_new(rec, "status", json_string(to));
	json_object_set_new(rec, "closure_reason", json_string(reason));
	json_object_set_new(rec, "closed_on", json_string(today));
	json_object_set_new(rec, "stage",
			    json_string(casework_stage_after(c.stage, EV_CLOSURE)));
	extra[0] = json_pack("{s:s}", "reason", reason);
	rc = case_save(r, &c, rec, "close", "status,closure_reason,closed_on", events, extra);
	json_decref(extra[0]);
	json_decref(rec);
	return rc;
}

int api_case_reopen(struct req *r)
{
	struct case_row c;
	const char *events[2] = {"reopened", NULL};
	json_t *rec;
	int rc;

	if (api_case_load(r, r->params[0], &c))
		return r->status;
	if (!api_case_may(r, ACT_CASE_CLOSE))
		return reply_problem(r, 403, "forbidden", "you cannot reopen this case");
	if (r->body.len && !req_json_object(r))
		return r->status;
	if (r->body_json && json_object_size(r->body_json))
		return reply_problem(r, 422, "unknown-field", "reopen takes no fields");
	if (!casework_may_reopen(c.status))
		return reply_problem(r, 409, "invalid-transition", "the case is open");
	rec = api_case_open_record(r, &c);
	if (!rec)
		return reply_problem(r, 500, "internal", "the record cannot be opened");
	json_object_set_new(rec, "status", json_string("Active"));
	json_object_del(rec, "closure_reason");
	json_object_del(rec, "closed_on");
	if (!strcmp(c.stage, "closure"))
		json_object_set_new(rec, "stage", json_string("assistance"));
	rc = case_save(r, &c, rec, "reopen", "status", events, NULL);
	json_decref(rec);
	return rc;
}

/* ---- the list -------------------------------------------------------- */

static int filter_ok(const char *v, const struct codelist *cl)
{
	return !v || !*v || codelist_has(cl, v);
}

/* Whether a case of a list is shown, and how.  filtered names the fields
 * the list was filtered on: a referred case is left out when its referral
 * does not share one of them, or the filter would tell what the share
 * holds back.  1 when shown (*v says how; v->share is the caller's). */
static int list_item_shown(struct req *r, const struct case_row *c, const char *const *filtered,
			   struct case_view *v)
{
	char today[11];

	memset(v, 0, sizeof *v);
	if (!strcmp(c->org_id, r->who.user.org.id))
		return 1;
	/* A case referred to the caller's organisation: its share. */
	consent_today(today);
	if (store_referral_access(r->app->st, c->id, NULL, r->who.user.org.id, today, &v->ref,
				  &r->mem) != STORE_OK)
		return 0;
	v->rel = PC_REFERRAL_ACCEPTED;
	v->limited = 1;
	v->share = json_loads(v->ref.share, 0, NULL);
	for (; *filtered && api_view_shares(v, *filtered); filtered++)
		;
	if (*filtered) {
		json_decref(v->share);
		v->share = NULL;
		return 0;
	}
	return 1;
}

/* write_list_item's fast path, for a case of the caller's own organisation
 * whose person was read with the page: the coded column and the person's
 * opened record are JSON this program wrote, spliced member by member in
 * schema order as write_case writes them from jansson trees (parsing the
 * two was 40% of the case list by name's CPU).  1 when written; 0, having
 * written nothing, for text it cannot split. */
static int write_list_item_raw(struct req *r, jsonw *w, const struct case_row *c,
			       const struct person_row *p)
{
	struct rawjson_member cm[RAW_MEMBERS_MAX];
	const struct rawjson_member *m;
	struct raw_record rr;
	char record[64];
	size_t nc, i;

	if (!p || rawjson_members(c->coded, strlen(c->coded), cm, RAW_MEMBERS_MAX, &nc) != 0 ||
	    api_raw_record_open(r, &rr, p->coded, p->sealed, p->sealed_len, p->id) != 0)
		return 0;
	snprintf(record, sizeof record, "cases/%s", c->id);
	jw_object(w);
	jw_kstr(w, "id", c->id);
	jw_kint(w, "version", c->version);
	for (i = 0; i < case_schema.n; i++) {
		const struct field *f = &case_schema.fields[i];
		const char *col;
		if (rows_case_column(c, f->name, &col)) {
			if (!col)
				continue;
			if (f->cls == FC_CODED)
				jw_kstr(w, f->name, col);
			else
				api_write_sealed_str(r, w, record, f->name, col);
		} else if (f->cls == FC_CODED && (m = rawjson_find(cm, nc, f->name))) {
			/* a list shows the coded column only: a sealed
			 * field found there was not written by this program */
			jw_key(w, f->name);
			jw_raw_json(w, m->value, m->len);
		}
	}
	snprintf(record, sizeof record, "persons/%s", p->id);
	jw_key(w, "person");
	jw_object(w);
	jw_kstr(w, "id", p->id);
	api_write_fields_raw(r, w, record, &person_schema, &rr, names_only, NULL);
	jw_end(w);
	jw_kstr(w, "created_at", c->created_at);
	jw_kstr(w, "updated_at", c->updated_at);
	jw_end(w);
	api_raw_record_close(&rr);
	return 1;
}

/* One case of a list: its coded fields (or the share of them), and its
 * person p, read with the page's others (NULL: not found among them, and
 * asked once more alone). */
static void write_list_item(struct req *r, jsonw *w, const struct case_row *c,
			    const struct person_row *p, struct case_view *v)
{
	json_t *rec;

	if (!v->limited && write_list_item_raw(r, w, c, p))
		return;
	rec = json_loads(c->coded, 0, NULL);
	if (rec) {
		rows_case_columns_to_json(c, rec);
		write_case(r, w, c, rec, p, v->limited ? v : NULL);
		json_decref(rec);
	}
	json_decref(v->share);
	v->share = NULL;
}

/* Whether the role reaches cases through referrals (policy case.read). */
static int reads_referred(struct req *r)
{
	unsigned scopes[POLICY_RULES_MAX];
	size_t n = policy_scopes(ACT_CASE_READ, r->who.user.role, scopes), i;
	for (i = 0; i < n; i++)
		if (scopes[i] & PC_REFERRAL_ACCEPTED)
			return 1;
	return 0;
}

/* How many times a list asks the store for more rows to fill a page. */
#define LIST_ROUNDS 20
/* A recipient's search by name (shared_found): postings read per key, and
 * cases checked at most. */
#define SHARED_POSTINGS_MAX 2000
#define SHARED_CANDIDATES_MAX 400

/* Whether every word searched finds a word of the names the referral
 * shares of the case's person (v: its view), as the blind index would
 * (namekey_finds, in any script).  Only shared names are compared: the
 * search tells the recipient nothing its list does not show. */
static int shared_names_found(struct req *r, const struct case_row *c, const struct case_view *v,
			      char (*qw)[NAMEKEY_MAX], size_t nq)
{
	char w[NAMEKEY_WORDS][NAMEKEY_MAX];
	unsigned char met[NAMEKEY_WORDS] = {0};
	struct person_row p;
	size_t i, j, k, m, nw, left = nq;
	json_t *rec;

	if (store_person_get(r->app->st, c->person_id, &p, &r->mem) != STORE_OK ||
	    !(rec = record_open(&r->app->kr, &r->mem, p.coded, p.sealed, p.sealed_len, p.id)))
		return 0;
	for (i = 0; left && i < person_schema.n; i++) {
		const struct field *f = &person_schema.fields[i];
		json_t *val = json_object_get(rec, f->name);
		size_t count = json_is_array(val) ? json_array_size(val) : 1;
		if (f->index != NX_NAME || !val || !api_view_shares(v, f->name))
			continue;
		for (k = 0; left && k < count; k++) {
			json_t *one = json_is_array(val) ? json_array_get(val, k) : val;
			nw = namekey_words(json_string_value(one), w, NAMEKEY_WORDS);
			for (j = 0; j < nq; j++)
				for (m = 0; !met[j] && m < nw; m++)
					if (namekey_finds(qw[j], w[m])) {
						met[j] = 1;
						left--;
					}
		}
	}
	sodium_memzero(w, sizeof w);
	json_decref(rec);
	return nq && !left;
}

/* A search by name reads the caller's organisation's blind index, which
 * another organisation's persons are not in: the cases referred to the
 * caller whose shared names the search finds are added after the n rows
 * of *rows, up to want in all, newest first.  The names each referral
 * shares are keyed for its recipient (api_referral_names_put): a case is
 * a candidate when every word of the query finds a key of one referral of
 * it; each candidate is then checked as the list shows it (a live,
 * accepted referral, its share) against the person's names as they are
 * (shared_names_found), so a key gone stale finds nothing.  Only shared
 * names are ever looked at: what the search costs tells nothing of the
 * rest. */
static int hit_cmp(const void *a, const void *b)
{
	const struct referral_name_hit *x = a, *y = b;
	int c = strcmp(x->case_id, y->case_id);
	return c ? c : strcmp(x->referral_id, y->referral_id);
}

static int newest_first(const void *a, const void *b)
{
	const struct case_row *x = a, *y = b;
	int c = strcmp(y->updated_at, x->updated_at);
	return c ? c : strcmp(y->id, x->id);
}

static int shared_found(struct req *r, const char *q, struct case_row **rows, size_t *n,
			size_t want)
{
	struct blind_key keys[2 * NAMEKEY_WORDS];
	unsigned char word_of[2 * NAMEKEY_WORDS];
	char qw[NAMEKEY_WORDS][NAMEKEY_MAX];
	size_t nq = namekey_words(q, qw, NAMEKEY_WORDS), nk, k, i, nh = 0, ncand = 0, first = *n;
	struct referral_name_hit *hits, *one[2 * NAMEKEY_WORDS];
	size_t got[2 * NAMEKEY_WORDS] = {0}, total = 0, nids = 0;
	struct case_row *all, *cand;
	const char **ids;
	unsigned char *there;
	unsigned full;
	int rc = STORE_OK;

	if (!nq || *n >= want)
		return STORE_OK;
	nk = referral_query_keys(&r->app->kr, r->who.user.org.id, q, keys, word_of,
				 2 * NAMEKEY_WORDS);
	full = nq >= 32 ? ~0u : (1u << nq) - 1;
	for (k = 0; k < nk && rc == STORE_OK; k++) {
		rc = store_referral_names_find(r->app->st, r->who.user.org.id, keys[k].mac,
					       SHARED_POSTINGS_MAX, &one[k], &got[k], &r->mem);
		total += got[k];
	}
	sodium_memzero(keys, sizeof keys);
	hits = arena_alloc(&r->mem, (total ? total : 1) * sizeof *hits);
	all = arena_alloc(&r->mem, want * sizeof *all);
	cand = arena_alloc(&r->mem, SHARED_CANDIDATES_MAX * sizeof *cand);
	ids = arena_alloc(&r->mem, SHARED_CANDIDATES_MAX * sizeof *ids);
	there = arena_alloc(&r->mem, SHARED_CANDIDATES_MAX);
	if (rc != STORE_OK || !hits || !all || !cand || !ids || !there)
		return STORE_ERROR;
	for (k = 0; k < nk; k++)
		for (i = 0; i < got[k]; i++) {
			hits[nh] = one[k][i];
			hits[nh++].words = 1u << (word_of[k] < 32 ? word_of[k] : 31);
		}
	if (*n)
		memcpy(all, *rows, *n * sizeof *all);
	/* by case and referral: a referral's words together, each case once */
	qsort(hits, nh, sizeof *hits, hit_cmp);
	for (i = 0; i < nh && nids < SHARED_CANDIDATES_MAX;) {
		size_t j = i;
		unsigned words = 0;
		int found = 0;
		for (; j < nh && !strcmp(hits[j].case_id, hits[i].case_id); j++) {
			if (j > i && strcmp(hits[j].referral_id, hits[j - 1].referral_id))
				words = 0; /* a referral's own words, not two referrals' */
			words |= hits[j].words;
			found |= (words & full) == full;
		}
		if (found)
			ids[nids++] = hits[i].case_id;
		i = j;
	}
	/* The candidates in one read (one statement on PostgreSQL, not one a
	 * case); the own organisation's are the own search's. */
	if (nids && store_cases_get(r->app->st, ids, nids, cand, there, &r->mem) != STORE_OK)
		return STORE_ERROR;
	for (i = 0; i < nids; i++)
		if (there[i] && strcmp(cand[i].org_id, r->who.user.org.id))
			cand[ncand++] = cand[i];
	/* Newest first, each checked until the page is full. */
	qsort(cand, ncand, sizeof *cand, newest_first);
	for (i = 0; i < ncand && *n < want; i++) {
		static const char *const none[] = {NULL};
		struct case_view v;
		if (!list_item_shown(r, &cand[i], none, &v))
			continue;
		if (shared_names_found(r, &cand[i], &v, qw, nq))
			all[(*n)++] = cand[i];
		json_decref(v.share);
	}
	sodium_memzero(qw, sizeof qw);
	qsort(all + first, *n - first, sizeof *all, newest_first);
	*rows = all;
	return rc;
}

int api_cases_list(struct req *r)
{
	const char *status = req_query(r, "status"), *stage = req_query(r, "stage");
	const char *assigned = req_query(r, "assigned"), *q = req_query(r, "q");
	const char *person = req_query(r, "person_id");
	struct case_filter f = {0};
	struct case_row *rows = NULL, **shown;
	struct case_view *views;
	char after_at[TS_LEN] = "", after_id[ID_LEN] = "", today[11];
	const char *filtered[4];
	size_t n = 0, i, limit = PAGE_DEFAULT, nf = 0, nshown = 0, npage;
	const char **person_ids;
	struct person_row *persons;
	unsigned char *person_found;
	int round;
	jsonw w;

	if (policy_allows(ACT_CASE_READ, r->who.user.role, PC_OWN_ORG) < 0)
		return reply_problem(r, 403, "forbidden", "your role cannot list cases");
	if (!filter_ok(status, &cl_case_status))
		return reply_problem(r, 422, "invalid-value", "status: not a case status");
	if (!filter_ok(stage, &cl_nrm_stage))
		return reply_problem(r, 422, "invalid-value", "stage: not an NRM stage");
	if (api_page(r, PAGE_MAX, &limit, after_at, sizeof after_at, after_id,
			    sizeof after_id))
		return r->status;
	if (assigned && !strcmp(assigned, "me"))
		assigned = r->who.user.id;
	if (q && *q) {
		/* By name: persons first (through the blind index), then their cases. */
		struct blind_key keys[16];
		char (*ids)[ID_LEN];
		int hits[64];
		size_t nw, found = 0;

		if (strlen(q) > 300)
			return reply_problem(r, 422, "invalid-value", "q: is too long");
		nw = person_query_keys(&r->app->kr, r->who.user.org.id, q, keys, 16);
		ids = arena_alloc(&r->mem, 64 * sizeof *ids);
		if (!ids)
			return reply_problem(r, 500, "internal", "out of memory");
		if (nw && store_person_find(r->app->st, r->who.user.org.id, keys, nw, ids, hits, 64,
					    &found) != STORE_OK)
			return api_store_error(r, STORE_ERROR);
		/* Filtered below: the first 200 (as many as the store
		 * gives); else the page (a search has no next page). */
		size_t want = (status && *status) || (stage && *stage) || (assigned && *assigned)
				      ? 200
				      : limit;
		if (store_case_list_persons(r->app->st, r->who.user.org.id, ids, found, want,
					    &rows, &n, &r->mem) != STORE_OK ||
		    (reads_referred(r) && shared_found(r, q, &rows, &n, want) != STORE_OK))
			return api_store_error(r, STORE_ERROR);
	} else {
		memset(&f, 0, sizeof f);
		f.org_id = r->who.user.org.id;
		f.status = status;
		f.stage = stage;
		f.assigned_to = assigned;
		f.person_id = person;
		f.after_at = after_at;
		f.after_id = after_id;
		f.limit = limit + 1; /* one more tells whether a next page exists */
		consent_today(today);
		if (reads_referred(r)) {
			f.referred_to = r->who.user.org.id;
			f.today = today;
		}
	}
	if (status && *status)
		filtered[nf++] = "status";
	if (stage && *stage)
		filtered[nf++] = "stage";
	if (assigned && *assigned)
		filtered[nf++] = "assigned_to";
	filtered[nf] = NULL;
	/* The page holds the cases the caller may see after the filter of
	 * shared fields; the rows left out never shape the answer (the
	 * cursor is the last case shown), so the store is asked again past
	 * them until the page is full or the list ends. */
	shown = arena_alloc(&r->mem, (limit + 1) * sizeof *shown);
	views = arena_alloc(&r->mem, (limit + 1) * sizeof *views);
	if (!shown || !views)
		return reply_problem(r, 500, "internal", "out of memory");
	for (round = 0; round < LIST_ROUNDS; round++) {
		if (!(q && *q) && store_case_list(r->app->st, &f, &rows, &n, &r->mem) != STORE_OK)
			return api_store_error(r, STORE_ERROR);
		for (i = 0; i < n && nshown <= limit; i++) {
			if (q && *q && ((status && *status && strcmp(rows[i].status, status)) ||
					(stage && *stage && strcmp(rows[i].stage, stage)) ||
					(assigned && *assigned &&
					 strcmp(rows[i].assigned_to, assigned))))
				continue;
			if (!list_item_shown(r, &rows[i], filtered, &views[nshown]))
				continue;
			shown[nshown++] = &rows[i];
		}
		if ((q && *q) || nshown > limit || n < f.limit)
			break;
		f.after_at = rows[n - 1].updated_at;
		f.after_id = rows[n - 1].id;
	}
	/* The page's persons in one round trip (or a few), not one each. */
	npage = nshown < limit ? nshown : limit;
	person_ids = arena_alloc(&r->mem, (npage + 1) * sizeof *person_ids);
	persons = arena_alloc(&r->mem, (npage + 1) * sizeof *persons);
	person_found = arena_alloc(&r->mem, npage + 1);
	if (!person_ids || !persons || !person_found) {
		for (i = 0; i < nshown; i++)
			json_decref(views[i].share);
		return reply_problem(r, 500, "internal", "out of memory");
	}
	for (i = 0; i < npage; i++)
		person_ids[i] = shown[i]->person_id;
	if (store_persons_get(r->app->st, person_ids, npage, persons, person_found, &r->mem) != STORE_OK) {
		for (i = 0; i < nshown; i++)
			json_decref(views[i].share);
		return api_store_error(r, STORE_ERROR);
	}
	reply_json_begin(r, 200, &w);
	jw_object(&w);
	jw_key(&w, "items");
	jw_array(&w);
	for (i = 0; i < npage; i++)
		write_list_item(r, &w, shown[i], person_found[i] ? &persons[i] : NULL,
				&views[i]);
	for (; i < nshown; i++)
		json_decref(views[i].share);
	jw_end(&w);
	jw_key(&w, "next");
	if (!(q && *q) && nshown > limit) {
		char next[API_CURSOR_LEN];
		api_cursor_seal(r, shown[limit - 1]->updated_at, shown[limit - 1]->id, next,
				sizeof next);
		jw_str(&w, next);
	} else {
		jw_null(&w);
	}
	jw_finish(&w);
	return 200;
}
