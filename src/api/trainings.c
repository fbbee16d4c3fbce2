/*
 * trainings.c - /api/v1/trainings: capacity building events (topic,
 * dates, place, organiser) and their participants (agency type, sex,
 * role, pre- and post-test scores; never a name).  A study visit
 * (/study-visits, issue 18) is an event of its own kind, with the
 * country it goes to, its host organisation and purpose; its place is
 * the city.  Both share the list (?kind=), the record and participants.
 *
 * training.edit and training.read in the policy table: trainers and
 * supervisors, of the organisation that keeps the record.  The analyst
 * sees no event, only the indicator report's aggregates.  A record the
 * caller may not read answers 404; one read but not editable 403.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "codelists.h"
#include "domain/record.h"
#include "store/reports.h"

#define PARTICIPANTS_MAX 2000

static void write_training(jsonw *w, const struct training_row *t)
{
	jw_object(w);
	jw_kstr(w, "id", t->id);
	jw_kint(w, "version", t->version);
	jw_kstr(w, "topic", t->topic);
	jw_kstr(w, "start", t->start_on);
	jw_kstr(w, "end", t->end_on);
	jw_kstr(w, "place", t->place);
	jw_kstr(w, "organiser_org", t->organiser.code);
	jw_key(w, "organiser");
	jw_object(w);
	jw_kstr(w, "code", t->organiser.code);
	jw_kstr(w, "name", t->organiser.name);
	jw_kstr(w, "type", t->organiser.type);
	jw_end(w);
	jw_kint(w, "participants", t->participants);
	jw_kstr(w, "kind", t->kind[0] ? t->kind : "training");
	if (!strcmp(t->kind, "study_visit")) {
		jw_kstr(w, "country", t->country);
		jw_kstr(w, "host", t->host);
		jw_kstr(w, "purpose", t->purpose && *t->purpose ? t->purpose : NULL);
	}
	jw_kstr(w, "created_at", t->created_at);
	jw_kstr(w, "updated_at", t->updated_at);
	jw_end(w);
}

static void write_participant(jsonw *w, const struct participant_row *p)
{
	jw_object(w);
	jw_kstr(w, "id", p->id);
	jw_kstr(w, "training_id", p->training_id);
	jw_kstr(w, "agency_type", p->agency_type);
	jw_kstr(w, "sex", p->sex);
	jw_kstr(w, "role", p->role);
	jw_kstr(w, "sector", p->sector[0] ? p->sector : NULL);
	jw_key(w, "pre_score");
	if (p->pre_score >= 0)
		jw_int(w, p->pre_score);
	else
		jw_null(w);
	jw_key(w, "post_score");
	if (p->post_score >= 0)
		jw_int(w, p->post_score);
	else
		jw_null(w);
	jw_key(w, "gain");
	if (p->pre_score >= 0 && p->post_score >= 0)
		jw_int(w, p->post_score - p->pre_score);
	else
		jw_null(w);
	jw_kstr(w, "created_at", p->created_at);
	jw_end(w);
}

static int reply_training(struct req *r, int status, const struct training_row *t)
{
	jsonw w;
	reply_json_begin(r, status, &w);
	write_training(&w, t);
	jw_finish(&w);
	api_set_etag(r, t->version);
	return status;
}

/* Load a training the caller may read: 0, or the 404 set. */
static int load(struct req *r, const char *id, struct training_row *t)
{
	policy_relation rel = 0;

	if (store_training_get(r->app->st, id, t, &r->mem) != STORE_OK)
		return reply_problem(r, 404, "not-found", "no such training");
	if (!strcmp(t->org_id, r->who.user.org.id))
		rel |= PC_OWN_ORG;
	if (policy_allows(ACT_TRAINING_READ, r->who.user.role, rel) < 0)
		return reply_problem(r, 404, "not-found", "no such training");
	return 0;
}

static int may_edit(struct req *r, const struct training_row *t)
{
	policy_relation rel = !strcmp(t->org_id, r->who.user.org.id) ? PC_OWN_ORG : 0;
	return policy_allows(ACT_TRAINING_EDIT, r->who.user.role, rel) >= 0;
}

static int is_visit(const struct training_row *t)
{
	return !strcmp(t->kind, "study_visit");
}

/* The schema of t's kind: a study visit has its own fields. */
static const struct resource_schema *schema_of(const struct training_row *t)
{
	return is_visit(t) ? &study_visit_schema : &training_schema;
}

/* A study visit's country, host and purpose from a validated record. */
static int fill_visit(struct req *r, json_t *rec, struct training_row *t)
{
	const char *country = json_string_value(json_object_get(rec, "country"));
	const char *host = json_string_value(json_object_get(rec, "host"));
	const char *purpose = json_string_value(json_object_get(rec, "purpose"));

	if (!country || !host || !*host)
		return reply_problem(r, 422, "invalid-value", "host must not be empty");
	snprintf(t->country, sizeof t->country, "%s", country);
	t->host = arena_strdup(&r->mem, host);
	t->purpose = arena_strdup(&r->mem, purpose ? purpose : "");
	if (!t->host || !t->purpose)
		return reply_problem(r, 500, "internal", "out of memory");
	return 0;
}

/* Fill t's fields from a validated record (all present); 0 or 422. */
static int fill(struct req *r, json_t *rec, struct training_row *t)
{
	const char *topic = json_string_value(json_object_get(rec, "topic"));
	const char *start = json_string_value(json_object_get(rec, "start"));
	const char *end = json_string_value(json_object_get(rec, "end"));
	const char *place = json_string_value(json_object_get(rec, "place"));
	const char *org = json_string_value(json_object_get(rec, "organiser_org"));
	struct org o;

	if (!topic || !*topic || !place || !*place)
		return reply_problem(r, 422, "invalid-value", "topic and place must not be empty");
	if (!start || !end || strcmp(start, end) > 0)
		return reply_problem_field(r, 422, "invalid-value", "end", "end: is before start");
	if (!org || store_org_by_code(r->app->st, org, &o) != STORE_OK)
		return reply_problem(r, 422, "invalid-value", "organiser_org: no organisation of this code");
	t->topic = arena_strdup(&r->mem, topic);
	t->place = arena_strdup(&r->mem, place);
	if (!t->topic || !t->place)
		return reply_problem(r, 500, "internal", "out of memory");
	snprintf(t->start_on, sizeof t->start_on, "%s", start);
	snprintf(t->end_on, sizeof t->end_on, "%s", end);
	snprintf(t->organiser_org, sizeof t->organiser_org, "%s", o.id);
	t->organiser = o;
	return is_visit(t) ? fill_visit(r, rec, t) : 0;
}

/* A new event of the kind: POST /trainings {topic, start, end, place,
 * organiser_org}, POST /study-visits {topic, start, end, country, place
 * (the city), host, purpose?, organiser_org}. */
static int create_event(struct req *r, const char *kind)
{
	struct training_row t;
	struct record_error e;
	char record[64];
	json_t *body;
	store_tx *tx;
	int rc;

	if (policy_allows(ACT_TRAINING_EDIT, r->who.user.role, PC_OWN_ORG) < 0)
		return reply_problem(r, 403, "forbidden", "your role records no trainings");
	body = req_json_object(r);
	if (!body)
		return r->status;
	memset(&t, 0, sizeof t);
	snprintf(t.kind, sizeof t.kind, "%s", kind);
	if (record_validate(schema_of(&t), body, RECORD_CREATE, &e))
		return reply_problem(r, 422, e.type, e.detail);
	if (fill(r, body, &t))
		return r->status;
	store_new_id(t.id);
	snprintf(t.org_id, sizeof t.org_id, "%s", r->who.user.org.id);
	snprintf(t.created_by, sizeof t.created_by, "%s", r->who.user.id);
	t.version = 1;
	store_now(t.created_at);
	memcpy(t.updated_at, t.created_at, sizeof t.updated_at);
	snprintf(record, sizeof record, "trainings/%s", t.id);
	tx = store_begin(r->app->st);
	rc = tx ? store_training_insert(tx, &t) : STORE_ERROR;
	if (rc == STORE_OK)
		rc = api_audit_write(r, tx, "create", record, NULL);
	if (api_tx_end(r, tx, rc))
		return r->status;
	api_set_location(r, "trainings", t.id);
	return reply_training(r, 201, &t);
}

int api_trainings_create(struct req *r)
{
	return create_event(r, "training");
}

int api_study_visits_create(struct req *r)
{
	return create_event(r, "study_visit");
}

/* GET /trainings?kind=&cursor=&limit= : the organisation's events, newest
 * start first; kind=training or study_visit keeps one kind. */
int api_trainings_list(struct req *r)
{
	char after_start[11] = "", after_id[ID_LEN] = "";
	struct training_row *rows;
	size_t n = 0, i, limit = PAGE_DEFAULT;
	const char *kind;
	jsonw w;

	if (policy_allows(ACT_TRAINING_READ, r->who.user.role, PC_OWN_ORG) < 0)
		return reply_problem(r, 404, "not-found", "no such resource");
	if (api_page(r, PAGE_MAX, &limit, after_start, sizeof after_start, after_id, sizeof after_id))
		return r->status;
	if (after_id[0] && !date_valid(after_start))
		return reply_problem(r, 422, "invalid-value", "cursor: not a cursor of this list");
	if (api_query_code(r, "kind", &cl_training_kind, &kind))
		return r->status;
	if (store_trainings_list(r->app->st, r->who.user.org.id, kind,
				 after_start[0] ? after_start : NULL,
				 after_id[0] ? after_id : NULL, limit + 1, &rows, &n,
				 &r->mem) != STORE_OK)
		return api_store_error(r, STORE_ERROR);
	api_list_begin(r, &w);
	for (i = 0; i < n && i < limit; i++)
		write_training(&w, &rows[i]);
	if (n > limit) {
		char next[API_CURSOR_LEN];
		api_cursor_seal(r, rows[limit - 1].start_on, rows[limit - 1].id, next, sizeof next);
		return api_list_end(&w, next);
	}
	return api_list_end(&w, NULL);
}

int api_training_get(struct req *r)
{
	struct training_row t;

	if (load(r, r->params[0], &t))
		return r->status;
	return reply_training(r, 200, &t);
}

/* PATCH /trainings/{id} (If-Match): any of the fields; none removable. */
int api_training_patch(struct req *r)
{
	struct training_row t;
	struct record_error e;
	char record[64];
	json_t *body, *rec, *v;
	const char *key;
	int64_t want;
	store_tx *tx;
	int rc;

	if (load(r, r->params[0], &t))
		return r->status;
	if (!may_edit(r, &t))
		return reply_problem(r, 403, "forbidden", "you cannot change this training");
	if (api_if_match(r, &want))
		return r->status;
	body = req_json_object(r);
	if (!body)
		return r->status;
	if (record_validate(schema_of(&t), body, RECORD_PATCH, &e))
		return reply_problem(r, 422, e.type, e.detail);
	json_object_foreach(body, key, v)
		if (json_is_null(v))
			return reply_problemf(r, 422, "invalid-value", "%s cannot be removed", key);
	if (want != t.version)
		return api_store_error(r, STORE_STALE);
	rec = json_pack("{s:s,s:s,s:s,s:s,s:s}", "topic", t.topic, "start", t.start_on, "end",
			t.end_on, "place", t.place, "organiser_org", t.organiser.code);
	if (!rec || req_own_json(r, rec))
		return reply_problem(r, 500, "internal", "out of memory");
	if (is_visit(&t)) {
		json_object_set_new(rec, "country", json_string(t.country));
		json_object_set_new(rec, "host", json_string(t.host));
		if (t.purpose && *t.purpose)
			json_object_set_new(rec, "purpose", json_string(t.purpose));
	}
	record_patch(rec, body);
	if (fill(r, rec, &t))
		return r->status;
	t.version = want + 1;
	store_now(t.updated_at);
	snprintf(record, sizeof record, "trainings/%s", t.id);
	tx = store_begin(r->app->st);
	rc = tx ? store_training_update(tx, &t) : STORE_ERROR;
	if (rc == STORE_OK)
		rc = api_audit_write(r, tx, "update", record, NULL);
	if (api_tx_end(r, tx, rc))
		return r->status;
	return reply_training(r, 200, &t);
}

/* POST /trainings/{id}/participants {agency_type, sex, role, sector?, pre_score?,
 * post_score?} */
int api_participants_create(struct req *r)
{
	struct training_row t;
	struct participant_row p;
	struct record_error e;
	char record[64];
	json_t *body, *pre, *post;
	store_tx *tx;
	int rc;
	jsonw w;

	if (load(r, r->params[0], &t))
		return r->status;
	if (!may_edit(r, &t))
		return reply_problem(r, 403, "forbidden", "you cannot change this training");
	body = req_json_object(r);
	if (!body)
		return r->status;
	if (record_validate(&participant_schema, body, RECORD_CREATE, &e))
		return reply_problem(r, 422, e.type, e.detail);
	memset(&p, 0, sizeof p);
	store_new_id(p.id);
	snprintf(p.training_id, sizeof p.training_id, "%s", t.id);
	snprintf(p.agency_type, sizeof p.agency_type, "%s",
		 json_string_value(json_object_get(body, "agency_type")));
	snprintf(p.sex, sizeof p.sex, "%s", json_string_value(json_object_get(body, "sex")));
	snprintf(p.role, sizeof p.role, "%s", json_string_value(json_object_get(body, "role")));
	if (json_is_string(json_object_get(body, "sector")))
		snprintf(p.sector, sizeof p.sector, "%s",
			 json_string_value(json_object_get(body, "sector")));
	pre = json_object_get(body, "pre_score");
	post = json_object_get(body, "post_score");
	p.pre_score = json_is_integer(pre) ? json_integer_value(pre) : -1;
	p.post_score = json_is_integer(post) ? json_integer_value(post) : -1;
	store_now(p.created_at);
	snprintf(record, sizeof record, "trainings/%s", t.id);
	tx = store_begin(r->app->st);
	rc = tx ? store_participant_insert(tx, &p) : STORE_ERROR;
	if (rc == STORE_OK)
		rc = api_audit_write(r, tx, "create", record, "participants");
	if (api_tx_end(r, tx, rc))
		return r->status;
	reply_json_begin(r, 201, &w);
	write_participant(&w, &p);
	jw_finish(&w);
	api_set_location(r, "participants", p.id);
	return 201;
}

int api_participants_list(struct req *r)
{
	struct training_row t;
	struct participant_row *rows;
	size_t n = 0, i;
	jsonw w;

	if (load(r, r->params[0], &t))
		return r->status;
	if (store_participants_list(r->app->st, t.id, PARTICIPANTS_MAX, &rows, &n, &r->mem) !=
	    STORE_OK)
		return api_store_error(r, STORE_ERROR);
	api_list_begin(r, &w);
	for (i = 0; i < n; i++)
		write_participant(&w, &rows[i]);
	return api_list_end(&w, NULL);
}

/* GET /participants/{id}: one participant as the list of its training
 * shows it, to whoever reads that training (404 otherwise). */
int api_participant_get(struct req *r)
{
	struct participant_row p;
	struct training_row t;
	jsonw w;
	int rc = store_participant_get(r->app->st, r->params[0], &p, &r->mem);

	if (rc != STORE_OK)
		return api_store_error(r, rc);
	if (load(r, p.training_id, &t))
		return r->status;
	reply_json_begin(r, 200, &w);
	write_participant(&w, &p);
	jw_finish(&w);
	return 200;
}
