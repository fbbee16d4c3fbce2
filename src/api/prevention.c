/*
 * prevention.c - prevention without a trafficking case: a person
 * registered with consent (a woman migrant, a returnee, a family member
 * left behind; person.beneficiary_group) receives prevention services
 * (TVET, counselling, information sessions); the household of a family
 * left behind is recorded with its members, who is abroad and where, and
 * its dependence on remittances, and assessed on IOM's Determinants of
 * Migrant Vulnerability model.  All are items of the person
 * (schema/prevention.c), made by rows_item_seal like every item, their
 * sealed fields read through the audited road under "persons/ID".
 *
 * Who: prevention.record (policy.c) writes; reading follows person.read
 * in the own organisation.  Every write needs the person's active consent
 * to assistance: there is no case to rest on.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/disclose.h"
#include "api/records.h"
#include "api/rows.h"
#include "domain/consent.h"
#include "domain/record.h"
#include "store/reports.h"

static json_t *item_open(struct req *r, const struct item_row *it)
{
	return record_open(&r->app->kr, &r->mem, it->coded, it->sealed, it->sealed_len, it->id);
}

/* 1 when the person has a consent to assistance active today. */
static int consented(struct req *r, const char *person_id)
{
	struct item_row *rows;
	size_t n = 0, i;
	char today[11];
	int yes = 0;

	if (store_items_of_person(r->app->st, person_id, "consent", &rows, &n, &r->mem) != STORE_OK)
		return 0;
	consent_today(today);
	for (i = 0; i < n && !yes; i++) {
		json_t *c = item_open(r, &rows[i]);
		yes = c && consent_covers(c, "assistance", NULL, NULL, today);
		json_decref(c);
	}
	return yes;
}

/* ---- the kinds' hooks (api.h), for create here and item_patch ---------- */

int api_prevention_may(struct req *r, const struct item_row *it)
{
	struct person_row p;

	if (api_person_load(r, it->person_id, &p, PERSON_TO_WRITE))
		return r->status;
	if (policy_allows(ACT_PREVENTION_RECORD, r->who.user.role, PC_OWN_ORG) < 0)
		return reply_problem(r, 403, "forbidden", "your role cannot record prevention");
	return 0;
}

int api_prevention_consented(struct req *r, const char *person_id, json_t *body, json_t *was)
{
	(void)body;
	(void)was;
	if (!consented(r, person_id))
		return reply_problem(r, 409, "consent-required",
				     "the person has no active consent to assistance");
	return 0;
}

int api_prevention_service_check(struct req *r, const char *person_id, json_t *body,
				 json_t *was)
{
	int rc = api_prevention_consented(r, person_id, body, was);
	return rc ? rc : api_provider_check(r, person_id, body, was);
}

/* An assessment's household is the one it had, or on create the one of
 * the path (POST /households/{id}/assessments). */
int api_assessment_check(struct req *r, const char *person_id, json_t *body, json_t *was)
{
	const char *h = json_string_value(json_object_get(body, "household_id"));
	const char *had = was ? json_string_value(json_object_get(was, "household_id")) : r->params[0];
	int rc = api_prevention_consented(r, person_id, body, was);

	if (rc)
		return rc;
	if (!json_object_get(body, "household_id") || (h && had && !strcmp(h, had)))
		return 0;
	return reply_problem_field(r, 422, "invalid-value", "household_id",
				   "household_id: an assessment stays with its household");
}

/* Validate the body against the kind's fields, seal it as a new item of
 * person p, insert it with its audit entry, answer 201.  check: the kind's
 * test of the body (api.h), the same as item_patch's. */
static int create(struct req *r, const struct person_row *p, const char *kind,
		  api_item_check check)
{
	const struct resource_schema *rs = rows_item_schema(kind);
	struct record_error e;
	struct item_row it;
	char record[64], fields[512];
	store_tx *tx;
	json_t *body;
	jsonw w;
	int rc;

	if (policy_allows(ACT_PREVENTION_RECORD, r->who.user.role, PC_OWN_ORG) < 0)
		return reply_problem(r, 403, "forbidden", "your role cannot record prevention");
	body = r->body_json ? r->body_json : req_json_object(r);
	if (!body)
		return r->status;
	if (record_validate(rs, body, RECORD_CREATE, &e))
		return reply_problem(r, 422, e.type, e.detail);
	if ((rc = check(r, p->id, body, NULL)))
		return rc;
	api_item_new(r, &it, kind, NULL, p->id);
	if (rows_item_seal(&r->app->kr, &r->mem, body, &it))
		return reply_problem(r, 500, "internal", "out of memory");
	record_secret_fields(rs, body, fields, sizeof fields);
	snprintf(record, sizeof record, "%ss/%s", kind, it.id);
	tx = store_begin(r->app->st);
	if (!tx)
		return api_store_error(r, STORE_BUSY);
	rc = store_item_insert(tx, &it);
	if (rc == STORE_OK)
		rc = api_audit_write(r, tx, "create", record, fields);
	if ((rc = api_tx_end(r, tx, rc)))
		return rc;
	reply_json_begin(r, 201, &w);
	api_item_write(r, &w, &it, rs, body);
	jw_finish(&w);
	api_set_etag(r, it.version);
	api_item_located(r, &it);
	return 201;
}

/* The person's items of a kind; household_id: only the assessments of
 * that household, or NULL. */
static int list(struct req *r, const struct person_row *p, const char *kind,
		const char *household_id)
{
	const struct resource_schema *rs = rows_item_schema(kind);
	struct item_row *rows;
	size_t n = 0, i;
	jsonw w;

	if (store_items_of_person(r->app->st, p->id, kind, &rows, &n, &r->mem) != STORE_OK)
		return api_store_error(r, STORE_ERROR);
	api_list_begin(r, &w);
	for (i = 0; i < n; i++) {
		json_t *rec = item_open(r, &rows[i]);
		const char *h = json_string_value(json_object_get(rec, "household_id"));
		if (rec && (!household_id || (h && !strcmp(h, household_id))))
			api_item_write(r, &w, &rows[i], rs, rec);
		json_decref(rec);
	}
	return api_list_end(&w, NULL);
}

int api_prevention_services_create(struct req *r)
{
	struct person_row p;
	if (api_person_load(r, r->params[0], &p, PERSON_TO_WRITE))
		return r->status;
	return create(r, &p, "prevention_service", api_prevention_service_check);
}

int api_prevention_services_list(struct req *r)
{
	struct person_row p;
	if (api_person_load(r, r->params[0], &p, PERSON_TO_READ))
		return r->status;
	return list(r, &p, "prevention_service", NULL);
}

int api_households_create(struct req *r)
{
	struct person_row p;
	if (api_person_load(r, r->params[0], &p, PERSON_TO_WRITE))
		return r->status;
	return create(r, &p, "household", api_prevention_consented);
}

int api_households_list(struct req *r)
{
	struct person_row p;
	if (api_person_load(r, r->params[0], &p, PERSON_TO_READ))
		return r->status;
	return list(r, &p, "household", NULL);
}

/* A household by id, of a person the caller reads. */
static int household_load(struct req *r, const char *id, struct item_row *hh,
			  struct person_row *p, enum person_use use)
{
	int rc = store_item_get(r->app->st, id, hh, &r->mem);
	if (rc != STORE_OK || strcmp(hh->kind, "household"))
		return api_store_error(r, rc == STORE_OK ? STORE_NOT_FOUND : rc);
	return api_person_load(r, hh->person_id, p, use);
}

int api_assessments_create(struct req *r)
{
	struct item_row hh;
	struct person_row p;
	json_t *body;

	if (household_load(r, r->params[0], &hh, &p, PERSON_TO_WRITE))
		return r->status;
	/* The household is the path's: set it when not sent. */
	body = req_json_object(r);
	if (!body)
		return r->status;
	if (!json_object_get(body, "household_id"))
		json_object_set_new(body, "household_id", json_string(hh.id));
	return create(r, &p, "domv_assessment", api_assessment_check);
}

int api_assessments_list(struct req *r)
{
	struct item_row hh;
	struct person_row p;

	if (household_load(r, r->params[0], &hh, &p, PERSON_TO_READ))
		return r->status;
	return list(r, &p, "domv_assessment", hh.id);
}

/* ---- pre-departure orientation sessions ------------------------------ */

static void write_orientation(jsonw *w, const struct orientation_row *o, json_t *rec)
{
	const char *key;
	json_t *v;

	jw_object(w);
	jw_kstr(w, "id", o->id);
	jw_kint(w, "version", o->version);
	json_object_foreach(rec, key, v) {
		jw_key(w, key);
		jw_value(w, v);
	}
	jw_kstr(w, "created_by", o->created_by);
	jw_kstr(w, "created_at", o->created_at);
	jw_end(w);
}

/* Whether the caller keeps orientation sessions: 0, or the 404 sent (a
 * role that keeps none is not told they exist). */
static int orientation_may(struct req *r)
{
	if (policy_allows(ACT_PREVENTION_RECORD, r->who.user.role, PC_OWN_ORG) < 0)
		return reply_problem(r, 404, "not-found", "no such resource");
	return 0;
}

/* POST /orientations: a session of the caller's organisation, its
 * attendance as counts (every field coded: nothing to seal). */
int api_orientations_create(struct req *r)
{
	struct orientation_row o;
	struct record_error e;
	char record[64];
	store_tx *tx;
	json_t *body;
	jsonw w;
	int rc;

	if (orientation_may(r))
		return r->status;
	body = req_json_object(r);
	if (!body)
		return r->status;
	if (record_validate(&orientation_schema, body, RECORD_CREATE, &e))
		return reply_problem(r, 422, e.type, e.detail);
	memset(&o, 0, sizeof o);
	store_new_id(o.id);
	snprintf(o.org_id, sizeof o.org_id, "%s", r->who.user.org.id);
	snprintf(o.created_by, sizeof o.created_by, "%s", r->who.user.id);
	o.version = 1;
	store_now(o.created_at);
	memcpy(o.updated_at, o.created_at, TS_LEN);
	if (rows_orientation(&r->mem, body, &o))
		return reply_problem(r, 500, "internal", "out of memory");
	snprintf(record, sizeof record, "orientations/%s", o.id);
	tx = store_begin(r->app->st);
	if (!tx)
		return api_store_error(r, STORE_BUSY);
	rc = store_orientation_insert(tx, &o);
	if (rc == STORE_OK)
		rc = api_audit_write(r, tx, "create", record, "");
	if ((rc = api_tx_end(r, tx, rc)))
		return rc;
	reply_json_begin(r, 201, &w);
	write_orientation(&w, &o, body);
	jw_finish(&w);
	api_set_etag(r, o.version);
	api_set_location(r, "orientations", o.id);
	return 201;
}

/* GET /orientations: the organisation's sessions, newest first. */
int api_orientations_list(struct req *r)
{
	struct orientation_row *rows;
	size_t n = 0, i;
	jsonw w;

	if (orientation_may(r))
		return r->status;
	if (store_orientations_list(r->app->st, r->who.user.org.id, 500, &rows, &n, &r->mem) !=
	    STORE_OK)
		return api_store_error(r, STORE_ERROR);
	api_list_begin(r, &w);
	for (i = 0; i < n; i++) {
		json_t *rec = json_loads(rows[i].coded, 0, NULL);
		if (!rec)
			continue;
		write_orientation(&w, &rows[i], rec);
		json_decref(rec);
	}
	return api_list_end(&w, NULL);
}

/* GET /orientations/{id}: one session as the list shows it, to whom the
 * list shows it (another organisation's is not found). */
int api_orientation_get(struct req *r)
{
	struct orientation_row o;
	json_t *rec;
	jsonw w;
	int rc;

	if (orientation_may(r))
		return r->status;
	rc = store_orientation_get(r->app->st, r->params[0], &o, &r->mem);
	if (rc == STORE_OK && strcmp(o.org_id, r->who.user.org.id))
		rc = STORE_NOT_FOUND;
	if (rc != STORE_OK)
		return api_store_error(r, rc);
	if (!(rec = json_loads(o.coded, 0, NULL)))
		return reply_problem(r, 500, "internal", "the record cannot be read");
	reply_json_begin(r, 200, &w);
	write_orientation(&w, &o, rec);
	jw_finish(&w);
	json_decref(rec);
	api_set_etag(r, o.version);
	return 200;
}
