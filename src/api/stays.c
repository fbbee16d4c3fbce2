/*
 * stays.c - admission to and discharge from a shelter: a stay is an item
 * of the person's case that names the shelter service.  The open stays
 * of a shelter are its occupied beds; its free beds (directory.c) are its
 * capacity less them, never edited by hand.
 *
 * Who: shelter.stay (a case worker or supervisor of the organisation
 * that runs the shelter), on a case that the same user may add records
 * to (case.record: own case, or one referred and accepted).  The list of
 * a shelter's stays shows case ids and dates, no names.
 */
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "api/disclose.h"
#include "api/justice.h"
#include "domain/justice.h"
#include "domain/record.h"

/* The shelter service id, run by the caller's organisation, for a
 * caller with shelter.stay; else the problem's status. */
static int shelter_load(struct req *r, const char *id, struct dir_service_row *s)
{
	int rc = strlen(id) < 64 ? store_dir_service_get(r->app->st, id, s, &r->mem)
				 : STORE_NOT_FOUND;
	if (rc != STORE_OK)
		return api_store_error(r, rc);
	if (strcmp(s->type, "shelter"))
		return reply_problem(r, 422, "not-a-shelter", "stays are kept for shelters only");
	if (strcmp(s->org_id, r->who.user.org.id) ||
	    policy_allows(ACT_SHELTER_STAY, r->who.user.role, PC_OWN_ORG) < 0)
		return reply_problem(r, 403, "forbidden",
				     "only the organisation that runs the shelter admits to it");
	return 0;
}

int api_outside_eligibility(struct req *r, const struct dir_service_row *s, const char *person_id,
			    const char *on, char *why, size_t n)
{
	static const char *const told[] = {"birth_date", "estimated_age", "gender"};
	const struct case_view *v = api_case_view(r);
	struct person_row p;
	json_t *svc, *rec = NULL;
	size_t i;
	int takes = 1;

	svc = json_loads(s->coded ? s->coded : "{}", 0, NULL);
	if (svc && store_person_get(r->app->st, person_id, &p, &r->mem) == STORE_OK)
		rec = record_open(&r->app->kr, &r->mem, p.coded, p.sealed, p.sealed_len, p.id);
	/* Only what the caller reads of the person is held against them: a
	 * refusal naming the age told a shelter the birth date its referral
	 * held back (an outside review). */
	for (i = 0; rec && i < sizeof told / sizeof told[0]; i++)
		if (!api_view_shares(v, told[i]))
			json_object_del(rec, told[i]);
	if (rec)
		takes = justice_shelter_takes_json(svc, rec, on, why, n);
	json_decref(rec);
	json_decref(svc);
	return !takes;
}

/* The shelter's capacity (capacity_max), or -1 when it is not known. */
static long shelter_capacity(const struct dir_service_row *s)
{
	json_t *rec = json_loads(s->coded, 0, NULL);
	json_t *max = json_object_get(rec, "capacity_max");
	long cap = json_is_integer(max) ? (long)json_integer_value(max) : -1;
	json_decref(rec);
	return cap;
}

static void write_stay(struct req *r, jsonw *w, const struct item_row *it, json_t *rec)
{
	char record[64];
	size_t i;

	snprintf(record, sizeof record, "cases/%s", it->case_id);
	jw_object(w);
	jw_kstr(w, "id", it->id);
	jw_kint(w, "version", it->version);
	jw_kstr(w, "kind", "stay");
	jw_kstr(w, "service_id", it->service_id);
	jw_kstr(w, "person_id", it->person_id);
	jw_kstr(w, "status", it->status);
	for (i = 0; i < stay_schema.n; i++) {
		const struct field *f = &stay_schema.fields[i];
		json_t *v = json_object_get(rec, f->name);
		if (!v)
			continue;
		if (f->cls == FC_CODED) {
			jw_key(w, f->name);
			jw_value(w, v);
		} else {
			char name[64];
			snprintf(name, sizeof name, "stay.%s", f->name);
			api_write_sealed_as(r, w, record, name, f->name, v);
		}
	}
	jw_kstr(w, "created_by", it->created_by);
	jw_kstr(w, "created_at", it->created_at);
	jw_kstr(w, "updated_at", it->updated_at);
	jw_end(w);
}

/* 409 when an admission on `in` falls in a stay of the person that has
 * ended (in any shelter), or comes before one (a stay is open from its
 * admission on): a person sleeps in one shelter a night.  A stay still
 * open is refused inside the admission's transaction. */
static int stay_overlap(struct req *r, const char *person_id, const char *in)
{
	struct item_row *rows;
	size_t n = 0, i;

	if (store_items_of_person(r->app->st, person_id, "stay", &rows, &n, &r->mem) != STORE_OK)
		return api_store_error(r, STORE_ERROR);
	for (i = 0; i < n; i++) {
		json_t *rec = json_loads(rows[i].coded, 0, NULL);
		const char *from = json_string_value(json_object_get(rec, "admitted_on"));
		const char *to = json_string_value(json_object_get(rec, "discharged_on"));
		int overlaps = from && to && strcmp(to, in) > 0;

		if (overlaps)
			reply_problemf(r, 409, "stay-overlap",
				       "admitted_on: the person stayed in a shelter from %.10s to %.10s; "
				       "an admission is on or after the last discharge",
				       from, to);
		json_decref(rec);
		if (overlaps)
			return r->status;
	}
	return 0;
}

/* POST /directory/services/{id}/stays {case_id, admitted_on,
 * admission_reason, notes?} */
int api_stays_create(struct req *r)
{
	struct dir_service_row s;
	struct case_row c;
	struct item_row it;
	struct record_error e;
	char record[64];
	json_t *body, *rec;
	char open_in[sizeof s.id] = "";
	long cap, open = 0;
	store_tx *tx;
	jsonw w;
	int rc;

	if (shelter_load(r, r->params[0], &s))
		return r->status;
	body = req_json_object(r);
	if (!body)
		return r->status;
	if (record_validate(&stay_schema, body, RECORD_CREATE, &e))
		return reply_problem(r, 422, e.type, e.detail);
	if (api_case_load(r, json_string_value(json_object_get(body, "case_id")), &c))
		return r->status; /* 404: no case the caller may see */
	if (!api_case_may(r, ACT_CASE_RECORD))
		return reply_problem(r, 403, "forbidden", "you cannot add to this case");
	if (api_dates_after_birth(r, c.person_id, &stay_schema, body) ||
	    stay_overlap(r, c.person_id, json_string_value(json_object_get(body, "admitted_on"))))
		return r->status;
	cap = shelter_capacity(&s);
	if (cap < 0)
		return reply_problem(r, 409, "capacity-unknown",
				     "the shelter has no capacity_max: set it first");
	/* A reason for an exception not asked for would be kept unread. */
	if (json_object_get(body, "eligibility_reason") &&
	    !json_is_true(json_object_get(body, "eligibility_override")))
		return reply_problem_field(r, 422, "invalid-value", "eligibility_reason",
					   "eligibility_reason: only with \"eligibility_override\": true");
	/* A man in a women's shelter, an adult among children: asked first,
	 * admitted only when the worker says so (eligibility_override). */
	if (!json_is_true(json_object_get(body, "eligibility_override"))) {
		char why[160];
		if (api_outside_eligibility(r, &s, c.person_id,
					    json_string_value(json_object_get(body, "admitted_on")), why,
					    sizeof why))
			return reply_problem_field(r, 409, "eligibility-mismatch",
						   justice_shelter_field(why), why);
	} else if (!json_object_get(body, "eligibility_reason")) {
		/* The exception says why, for whoever reads the stay later (one
		 * of spaces only is refused as any empty text, by the schema). */
		return reply_problem_field(r, 422, "missing-field", "eligibility_reason",
					   "eligibility_reason: why the person is admitted although "
					   "the shelter does not take them");
	}
	rec = json_deep_copy(body);
	if (!rec)
		return reply_problem(r, 500, "internal", "out of memory");
	api_item_new(r, &it, "stay", c.id, c.person_id);
	snprintf(it.service_id, sizeof it.service_id, "%s", s.id);
	if (justice_stay_seal(&r->app->kr, &r->mem, rec, &it)) {
		json_decref(rec);
		return reply_problem(r, 500, "internal", "out of memory");
	}
	/* The count and the insert in one write transaction: two admissions
	 * at once cannot both take the last bed. */
	tx = store_begin(r->app->st);
	rc = tx ? store_stays_open_count_tx(tx, s.id, &open) : STORE_ERROR;
	if (rc == STORE_OK && open >= cap) {
		store_rollback(tx);
		json_decref(rec);
		return reply_problem(r, 409, "beds-full", "the shelter has no free bed");
	}
	if (rc == STORE_OK && store_stay_open_of(tx, c.person_id, open_in, sizeof open_in) != 0) {
		store_rollback(tx);
		json_decref(rec);
		return reply_problem(r, 409, "already-admitted",
				     strcmp(open_in, s.id) ? "the person stays in another shelter: "
							     "discharge them there first"
							   : "the person stays in this shelter");
	}
	if (rc == STORE_OK)
		rc = store_item_insert(tx, &it);
	snprintf(record, sizeof record, "stays/%s", it.id);
	if (rc == STORE_OK)
		rc = api_audit_write(r, tx, "admit", record, "admitted_on,admission_reason");
	if ((rc = api_tx_end(r, tx, rc))) {
		json_decref(rec);
		return rc;
	}
	reply_json_begin(r, 201, &w);
	write_stay(r, &w, &it, rec);
	jw_finish(&w);
	api_set_etag(r, it.version);
	api_set_location(r, "stays", it.id);
	json_decref(rec);
	return 201;
}

/* GET /directory/services/{id}/stays[?all=1]: open stays (all with
 * all=1), newest first, with the shelter's beds. */
int api_stays_list(struct req *r)
{
	const char *all = req_query(r, "all");
	struct dir_service_row s;
	struct item_row *rows;
	size_t n = 0, i;
	long cap, open = 0;
	jsonw w;

	if (shelter_load(r, r->params[0], &s))
		return r->status;
	if (store_stays_of_service(r->app->st, s.id, !all /* only "1" (api_dispatch) */, &rows, &n,
				   &r->mem) != STORE_OK ||
	    store_stays_open_count(r->app->st, s.id, &open) != STORE_OK)
		return api_store_error(r, STORE_ERROR);
	cap = shelter_capacity(&s);
	reply_json_begin(r, 200, &w);
	jw_object(&w);
	jw_kint(&w, "occupied", open);
	jw_key(&w, "free");
	if (cap >= 0)
		jw_int(&w, justice_free_beds(cap, open));
	else
		jw_null(&w);
	jw_key(&w, "items");
	jw_array(&w);
	for (i = 0; i < n; i++) {
		json_t *coded = json_loads(rows[i].coded, 0, NULL); /* no sealed notes in a list */
		if (!coded)
			continue;
		write_stay(r, &w, &rows[i], coded);
		json_decref(coded);
	}
	jw_end(&w);
	jw_key(&w, "next");
	jw_null(&w);
	jw_finish(&w);
	return 200;
}

/* The stay of the path and its shelter, as the shelter's list would show
 * it: another organisation's stay is not found, and a role without
 * shelter.stay is refused (403) as by the list. */
static int stay_load(struct req *r, struct item_row *it, struct dir_service_row *s)
{
	int rc = store_item_get(r->app->st, r->params[0], it, &r->mem);

	if (rc != STORE_OK || strcmp(it->kind, "stay") || strcmp(it->org_id, r->who.user.org.id))
		return api_store_error(r, rc == STORE_OK ? STORE_NOT_FOUND : rc);
	return shelter_load(r, it->service_id, s);
}

/* GET /stays/{id}: one stay as its shelter's list shows it (its coded
 * fields: no sealed notes, no name). */
int api_stay_get(struct req *r)
{
	struct dir_service_row s;
	struct item_row it;
	json_t *coded;
	jsonw w;

	if (stay_load(r, &it, &s))
		return r->status;
	if (!(coded = json_loads(it.coded, 0, NULL)))
		return reply_problem(r, 500, "internal", "the record cannot be read");
	reply_json_begin(r, 200, &w);
	write_stay(r, &w, &it, coded);
	jw_finish(&w);
	json_decref(coded);
	api_set_etag(r, it.version);
	return 200;
}

/* POST /stays/{id}/discharge {discharged_on, discharge_reason, notes?} */
int api_stay_discharge(struct req *r)
{
	struct dir_service_row s;
	struct item_row it;
	struct record_error e;
	char record[64];
	json_t *body, *rec, *notes;
	store_tx *tx;
	jsonw w;
	int rc;

	if (stay_load(r, &it, &s))
		return r->status;
	body = req_json_object(r);
	if (!body)
		return r->status;
	if (record_validate(&discharge_schema, body, RECORD_CREATE, &e))
		return reply_problem(r, 422, e.type, e.detail);
	if (strcmp(it.status, "open"))
		return reply_problem(r, 409, "already-discharged", "this stay has ended");
	rec = record_open(&r->app->kr, &r->mem, it.coded, it.sealed, it.sealed_len, it.id);
	if (!rec)
		return reply_problem(r, 500, "internal", "the record cannot be opened");
	if (justice_stay_dates_ok(json_string_value(json_object_get(rec, "admitted_on")),
				  json_string_value(json_object_get(body, "discharged_on")))) {
		json_decref(rec);
		return reply_problem_field(r, 422, "invalid-value", "discharged_on",
					   "discharged_on: is before the admission");
	}
	json_object_set(rec, "discharged_on", json_object_get(body, "discharged_on"));
	json_object_set(rec, "discharge_reason", json_object_get(body, "discharge_reason"));
	if ((notes = json_object_get(body, "notes")))
		json_object_set(rec, "notes", notes);
	it.version++;
	store_now(it.updated_at);
	if (justice_stay_seal(&r->app->kr, &r->mem, rec, &it)) {
		json_decref(rec);
		return reply_problem(r, 500, "internal", "out of memory");
	}
	snprintf(record, sizeof record, "stays/%s", it.id);
	tx = store_begin(r->app->st);
	rc = tx ? store_item_update(tx, &it) : STORE_ERROR;
	if (rc == STORE_OK)
		rc = api_audit_write(r, tx, "discharge", record, "discharged_on,discharge_reason");
	if ((rc = api_tx_end(r, tx, rc))) {
		json_decref(rec);
		return rc;
	}
	json_decref(rec);
	/* As GET /stays/{id} shows it: its coded fields (the answer showed the
	 * admission's sealed notes and exception to whoever discharged, a new
	 * operator of the shelter too: an outside review). */
	if (!(rec = json_loads(it.coded, 0, NULL)))
		return reply_problem(r, 500, "internal", "the record cannot be read");
	reply_json_begin(r, 200, &w);
	write_stay(r, &w, &it, rec);
	jw_finish(&w);
	json_decref(rec);
	api_set_etag(r, it.version);
	return 200;
}

/* Free beds of a shelter from its stays, for the directory (-1: none
 * known or not a shelter). */
long api_shelter_free_beds(struct req *r, const struct dir_service_row *s, long *occupied)
{
	long cap, open = 0;

	*occupied = 0;
	if (strcmp(s->type, "shelter"))
		return -1;
	cap = shelter_capacity(s);
	if (cap < 0 || store_stays_open_count(r->app->st, s->id, &open) != STORE_OK)
		return -1;
	*occupied = open;
	return justice_free_beds(cap, open);
}
