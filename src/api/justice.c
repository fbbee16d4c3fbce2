/*
 * justice.c - the criminal-justice track of a case: perpetrators (HTCDS
 * 2.0 per_RoleInProcess, per_RoleDetails; names and identifiers sealed,
 * found through blind keys of their own) linked to one or more cases, and
 * criminal proceedings whose stages move from report to verdict.
 *
 * Who: justice.read and justice.record in the policy table (an
 * authority's focal points, the owning organisation's supervisor), on
 * every proceeding and perpetrator of the case, whoever recorded it (the
 * track is the authorities' together, unlike the records of assistance
 * that a recipient of a referral keeps apart).  Anyone else who reads the
 * case sees that a proceeding or a perpetrator is there (id, kind,
 * "restricted": true) and nothing of it.  Reads of
 * sealed fields go through api/disclose.h; every write is audited.
 */
#include <stdio.h>
#include <string.h>
#include <sodium.h>

#include "api/api.h"
#include "api/disclose.h"
#include "api/justice.h"
#include "domain/consent.h"
#include "domain/justice.h"
#include "domain/record.h"
#include "domain/stdexport.h"

#define PERPETRATOR_KEYS_MAX 256

/* ---- rows (shared with the demo) --------------------------------------- */

static const char *str_of(json_t *rec, const char *name)
{
	return json_string_value(json_object_get(rec, name));
}

/* The dates of a proceeding record, for domain/justice.h. */
static void proceeding_dates(json_t *rec, struct proceeding_dates *d)
{
	d->reported_on = str_of(rec, "reported_on");
	d->investigation_on = str_of(rec, "investigation_on");
	d->court_on = str_of(rec, "court_on");
	d->verdict_on = str_of(rec, "verdict_on");
	d->verdict = str_of(rec, "verdict");
	d->has_sentence = json_object_get(rec, "sentence") != NULL;
}

int justice_proceeding_seal(const keyring *kr, arena *a, json_t *rec, struct item_row *it,
			    char *why, size_t whylen)
{
	struct proceeding_dates d;

	proceeding_dates(rec, &d);
	if (justice_check(&d, why, whylen))
		return -1;
	snprintf(it->status, sizeof it->status, "%s", justice_stage(&d));
	if (d.reported_on && date_valid(d.reported_on))
		snprintf(it->at, sizeof it->at, "%sT00:00:00Z", d.reported_on);
	return record_seal(kr, a, &proceeding_schema, rec, it->id, &it->coded, &it->sealed,
			   &it->sealed_len)
		       ? -2
		       : 0;
}

int justice_perpetrator_seal(const keyring *kr, arena *a, json_t *rec, struct item_row *it,
			     struct blind_key *keys, size_t max, size_t *nkeys)
{
	*nkeys = perpetrator_blind_keys(kr, it->org_id, rec, keys, max);
	return record_seal(kr, a, &perpetrator_schema, rec, it->id, &it->coded, &it->sealed,
			   &it->sealed_len);
}

int justice_stay_seal(const keyring *kr, arena *a, json_t *rec, struct item_row *it)
{
	const char *in = str_of(rec, "admitted_on");
	snprintf(it->status, sizeof it->status, "%s",
		 json_object_get(rec, "discharged_on") ? "discharged" : "open");
	if (in && date_valid(in))
		snprintf(it->at, sizeof it->at, "%sT00:00:00Z", in);
	return record_seal(kr, a, &stay_schema, rec, it->id, &it->coded, &it->sealed,
			   &it->sealed_len);
}

int justice_shelter_takes_json(json_t *svc, json_t *person, const char *on, char *why,
			       size_t whylen)
{
	const char *genders[8];
	json_t *g = json_object_get(svc, "genders_served");
	json_t *amin = json_object_get(svc, "minimum_age"), *amax = json_object_get(svc, "maximum_age");
	const char *born = str_of(person, "birth_date");
	json_t *est = json_object_get(person, "estimated_age");
	size_t n = 0, i;
	long age = -1;
	char today[11];

	for (i = 0; i < json_array_size(g) && n < sizeof genders / sizeof genders[0]; i++)
		if (json_is_string(json_array_get(g, i)))
			genders[n++] = json_string_value(json_array_get(g, i));
	consent_today(today);
	if (born && date_valid(born))
		age = std_years_between(born, on && date_valid(on) ? on : today);
	else if (json_is_integer(est))
		age = (long)json_integer_value(est);
	return justice_shelter_takes(genders, n, json_is_integer(amin) ? (long)json_integer_value(amin) : -1,
				     json_is_integer(amax) ? (long)json_integer_value(amax) : -1,
				     str_of(person, "gender"), age, why, whylen);
}

/* Copy perpetrator row (of the old owner, from) into a record of the
 * caller's organisation in tx: its fields as they are, sealed and keyed
 * anew; *copy gets the new id.  STORE_OK or an error. */
static int perpetrator_copy(struct req *r, store_tx *tx, const struct item_row *row,
			    char copy[ID_LEN])
{
	struct blind_key *keys = arena_alloc(&r->mem, PERPETRATOR_KEYS_MAX * sizeof *keys);
	char record[64], fields[256];
	struct item_row it;
	json_t *rec;
	size_t nkeys;
	int rc;

	if (!keys || !(rec = record_open(&r->app->kr, &r->mem, row->coded, row->sealed,
					 row->sealed_len, row->id)))
		return STORE_ERROR;
	api_item_new(r, &it, "perpetrator", NULL, NULL);
	rc = justice_perpetrator_seal(&r->app->kr, &r->mem, rec, &it, keys, PERPETRATOR_KEYS_MAX,
				      &nkeys) ? STORE_ERROR : STORE_OK;
	record_secret_fields(&perpetrator_schema, rec, fields, sizeof fields);
	json_decref(rec);
	if (rc == STORE_OK)
		rc = store_item_insert(tx, &it);
	if (rc == STORE_OK)
		rc = store_perpetrator_keys_set(tx, it.id, keys, nkeys);
	snprintf(record, sizeof record, "perpetrators/%s", it.id);
	if (rc == STORE_OK)
		rc = api_audit_write(r, tx, "create", record, fields);
	sodium_memzero(keys, PERPETRATOR_KEYS_MAX * sizeof *keys);
	memcpy(copy, it.id, ID_LEN);
	return rc;
}

/* After a transfer from from_org: the perpetrators of the person's cases
 * that it gave the caller's organisation get their name keys made again
 * under its domain (a search by name finds them there); one the old
 * owner keeps (linked to another of its cases too) is copied, as it is
 * now, into a record of the new owner's, which the moved cases link to
 * instead (the new owner read the old owner's later edits of it and
 * could neither open nor change it: an outside review).  One
 * transaction. */
void api_perpetrators_rekey(struct req *r, const char *person_id, const char *from_org)
{
	struct case_filter cf = {0};
	struct case_row *cases;
	char (*from)[ID_LEN] = NULL, (*to)[ID_LEN] = NULL;
	size_t nc = 0, ncopied = 0, i, j, k;
	store_tx *tx;
	int rc = STORE_OK;

	cf.org_id = r->who.user.org.id;
	cf.person_id = person_id;
	cf.limit = 200;
	if (store_case_list(r->app->st, &cf, &cases, &nc, &r->mem) != STORE_OK ||
	    !(from = arena_alloc(&r->mem, 64 * ID_LEN)) || !(to = arena_alloc(&r->mem, 64 * ID_LEN)) ||
	    !(tx = store_begin(r->app->st)))
		return;
	for (i = 0; i < nc && rc == STORE_OK; i++) {
		struct item_row *rows;
		size_t n = 0;

		if (store_perpetrators_of_case(r->app->st, cases[i].id, &rows, &n, &r->mem) != STORE_OK)
			continue;
		for (j = 0; j < n && rc == STORE_OK; j++) {
			struct blind_key keys[PERPETRATOR_KEYS_MAX];
			json_t *rec;
			size_t nkeys;

			if (from_org && !strcmp(rows[j].org_id, from_org)) {
				for (k = 0; k < ncopied && strcmp(from[k], rows[j].id); k++)
					;
				if (k == ncopied) { /* the first moved case linked to it */
					if (ncopied == 64)
						continue;
					memcpy(from[k], rows[j].id, ID_LEN);
					rc = perpetrator_copy(r, tx, &rows[j], to[k]);
					ncopied++;
				}
				if (rc == STORE_OK)
					rc = store_perpetrator_relink(tx, from[k], to[k], cases[i].id);
				continue;
			}
			if (strcmp(rows[j].org_id, r->who.user.org.id) ||
			    !(rec = record_open(&r->app->kr, &r->mem, rows[j].coded, rows[j].sealed,
						rows[j].sealed_len, rows[j].id)))
				continue;
			nkeys = perpetrator_blind_keys(&r->app->kr, rows[j].org_id, rec, keys,
						       PERPETRATOR_KEYS_MAX);
			json_decref(rec);
			rc = store_perpetrator_keys_set(tx, rows[j].id, keys, nkeys);
		}
	}
	if (rc == STORE_OK)
		store_commit(tx);
	else
		store_rollback(tx);
}

/* ---- shared by the handlers -------------------------------------------- */

/* The declared fields of rec: coded as they are, sealed through the
 * audited road under record as "<kind>.<field>". */
static void write_fields(struct req *r, jsonw *w, const char *record, const char *kind,
			 const struct resource_schema *rs, json_t *rec)
{
	size_t i;
	for (i = 0; i < rs->n; i++) {
		const struct field *f = &rs->fields[i];
		json_t *v = json_object_get(rec, f->name);
		char name[96];
		if (!v)
			continue;
		if (f->cls == FC_CODED) {
			jw_key(w, f->name);
			jw_value(w, v);
			continue;
		}
		snprintf(name, sizeof name, "%s.%s", kind, f->name);
		api_write_sealed_as(r, w, record, name, f->name, v);
	}
}

/* What one who may not read it sees of a record: that it is there. */
static void write_restricted(jsonw *w, const struct item_row *it)
{
	jw_object(w);
	jw_kstr(w, "id", it->id);
	jw_kstr(w, "kind", it->kind);
	if (it->case_id[0])
		jw_kstr(w, "case_id", it->case_id);
	jw_key(w, "restricted");
	jw_bool(w, 1);
	jw_end(w);
}

static void write_tail(jsonw *w, const struct item_row *it)
{
	jw_kstr(w, "created_by", it->created_by);
	jw_kstr(w, "created_at", it->created_at);
	jw_kstr(w, "updated_at", it->updated_at);
	jw_end(w);
}

/* The caller's relation to a perpetrator of its own organisation. */
static policy_relation own_relation(struct req *r)
{
	return PC_OWN_ORG | (policy_org_is_authority(r->who.user.org.type) ? PC_AUTHORITY : 0);
}

static json_t *item_open(struct req *r, const struct item_row *it)
{
	return record_open(&r->app->kr, &r->mem, it->coded, it->sealed, it->sealed_len, it->id);
}


/* ---- perpetrators ------------------------------------------------------ */

static void write_perpetrator(struct req *r, jsonw *w, const struct item_row *it, json_t *rec,
			      const char (*cases)[ID_LEN], size_t ncases)
{
	char record[64];
	size_t i;

	snprintf(record, sizeof record, "perpetrators/%s", it->id);
	jw_object(w);
	jw_kstr(w, "id", it->id);
	jw_kint(w, "version", it->version);
	jw_kstr(w, "kind", "perpetrator");
	write_fields(r, w, record, "perpetrator", &perpetrator_schema, rec);
	if (cases) {
		jw_key(w, "cases");
		jw_array(w);
		for (i = 0; i < ncases; i++)
			jw_str(w, cases[i]);
		jw_end(w);
	}
	write_tail(w, it);
}

/* Link an existing perpetrator of the caller's organisation to case c. */
static int perpetrator_link(struct req *r, const struct case_row *c, const char *id)
{
	struct item_row it;
	char record[64];
	store_tx *tx;
	json_t *rec;
	jsonw w;
	int rc = store_item_get(r->app->st, id, &it, &r->mem);

	if (rc != STORE_OK || strcmp(it.kind, "perpetrator") ||
	    strcmp(it.org_id, r->who.user.org.id))
		return reply_problem(r, 422, "invalid-value",
				     "perpetrator_id: no perpetrator of your organisation");
	/* still the organisation's when linked (a transfer may take it) */
	api_owner_seen(r, OWNED_ITEM, it.id, it.org_id, 0);
	rec = item_open(r, &it);
	if (!rec)
		return reply_problem(r, 500, "internal", "the record cannot be opened");
	snprintf(record, sizeof record, "cases/%s", c->id);
	tx = store_begin(r->app->st);
	rc = tx ? store_perpetrator_link(tx, it.id, c->id, r->who.user.org.id, it.updated_at)
		: STORE_ERROR;
	if (rc == STORE_CONFLICT) {
		store_rollback(tx);
		json_decref(rec);
		return reply_problem(r, 409, "conflict", "this perpetrator is linked to the case");
	}
	if (rc == STORE_OK)
		rc = api_audit_write(r, tx, "link", record, "perpetrators");
	if ((rc = api_tx_end(r, tx, rc))) {
		json_decref(rec);
		return rc;
	}
	reply_json_begin(r, 201, &w);
	write_perpetrator(r, &w, &it, rec, NULL, 0);
	jw_finish(&w);
	api_set_location(r, "perpetrators", it.id);
	json_decref(rec);
	return 201;
}

/* POST /cases/{id}/perpetrators: a new perpetrator linked to the case,
 * or {"perpetrator_id"} to link one the organisation recorded before. */
int api_perpetrators_create(struct req *r)
{
	struct blind_key *keys;
	struct case_row c;
	struct item_row it;
	struct record_error e;
	char record[64], fields[512];
	size_t nkeys = 0;
	json_t *body, *rec, *link;
	store_tx *tx;
	jsonw w;
	int rc;

	if (api_case_load(r, r->params[0], &c))
		return r->status;
	if (!api_case_may(r, ACT_JUSTICE_RECORD))
		return reply_problem(r, 403, "forbidden",
				     "only an authority's focal point or the supervisor records this");
	body = req_json_object(r);
	if (!body)
		return r->status;
	if ((link = json_object_get(body, "perpetrator_id"))) {
		if (json_object_size(body) != 1 || !json_is_string(link))
			return reply_problem(r, 422, "invalid-value",
					     "perpetrator_id: an id, and nothing beside it");
		return perpetrator_link(r, &c, json_string_value(link));
	}
	if (record_validate(&perpetrator_schema, body, RECORD_CREATE, &e))
		return reply_problem(r, 422, e.type, e.detail);
	rec = json_deep_copy(body);
	keys = arena_alloc(&r->mem, PERPETRATOR_KEYS_MAX * sizeof *keys);
	if (!rec || !keys) {
		json_decref(rec);
		return reply_problem(r, 500, "internal", "out of memory");
	}
	api_item_new(r, &it, "perpetrator", NULL, NULL);
	if (justice_perpetrator_seal(&r->app->kr, &r->mem, rec, &it, keys, PERPETRATOR_KEYS_MAX,
				     &nkeys)) {
		json_decref(rec);
		return reply_problem(r, 500, "internal", "out of memory");
	}
	record_secret_fields(&perpetrator_schema, rec, fields, sizeof fields);
	tx = store_begin(r->app->st);
	rc = tx ? store_item_insert(tx, &it) : STORE_ERROR;
	if (rc == STORE_OK)
		rc = store_perpetrator_keys_set(tx, it.id, keys, nkeys);
	if (rc == STORE_OK)
		rc = store_perpetrator_link(tx, it.id, c.id, r->who.user.org.id, it.created_at);
	snprintf(record, sizeof record, "perpetrators/%s", it.id);
	if (rc == STORE_OK)
		rc = api_audit_write(r, tx, "create", record, fields);
	snprintf(record, sizeof record, "cases/%s", c.id);
	if (rc == STORE_OK)
		rc = api_audit_write(r, tx, "link", record, "perpetrators");
	sodium_memzero(keys, PERPETRATOR_KEYS_MAX * sizeof *keys);
	if ((rc = api_tx_end(r, tx, rc))) {
		json_decref(rec);
		return rc;
	}
	reply_json_begin(r, 201, &w);
	write_perpetrator(r, &w, &it, rec, NULL, 0);
	jw_finish(&w);
	api_set_etag(r, it.version);
	api_set_location(r, "perpetrators", it.id);
	json_decref(rec);
	return 201;
}

/* A list of the track's records of case c: each in full through `one`
 * for a reader with justice.read, else only that it is there. */
static int reply_track_list(struct req *r, struct item_row *rows, size_t n,
			    void (*one)(struct req *r, jsonw *w, const struct item_row *it,
					json_t *rec))
{
	int full = api_case_may(r, ACT_JUSTICE_READ);
	size_t i;
	jsonw w;

	reply_json_begin(r, 200, &w);
	jw_object(&w);
	jw_key(&w, "items");
	jw_array(&w);
	for (i = 0; i < n; i++) {
		json_t *rec;
		if (!full) {
			write_restricted(&w, &rows[i]);
			continue;
		}
		rec = item_open(r, &rows[i]);
		if (!rec)
			continue;
		one(r, &w, &rows[i], rec);
		json_decref(rec);
	}
	jw_end(&w);
	jw_key(&w, "next");
	jw_null(&w);
	jw_finish(&w);
	return 200;
}

static void write_perpetrator_in_list(struct req *r, jsonw *w, const struct item_row *it,
				      json_t *rec)
{
	write_perpetrator(r, w, it, rec, NULL, 0);
}

/* GET /cases/{id}/perpetrators */
int api_perpetrators_list(struct req *r)
{
	struct case_row c;
	struct item_row *rows;
	size_t n = 0;

	if (api_case_load(r, r->params[0], &c))
		return r->status;
	if (store_perpetrators_of_case(r->app->st, c.id, &rows, &n, &r->mem) != STORE_OK)
		return api_store_error(r, STORE_ERROR);
	return reply_track_list(r, rows, n, write_perpetrator_in_list);
}

/* A perpetrator of the caller's organisation that the caller may read
 * (act), or the 404. */
static int perpetrator_load(struct req *r, const char *id, enum policy_action act,
			    struct item_row *it)
{
	int rc = store_item_get(r->app->st, id, it, &r->mem);
	if (rc != STORE_OK || strcmp(it->kind, "perpetrator") ||
	    strcmp(it->org_id, r->who.user.org.id) ||
	    policy_allows(ACT_JUSTICE_READ, r->who.user.role, own_relation(r)) < 0)
		return api_store_error(r, rc == STORE_OK ? STORE_NOT_FOUND : rc);
	if (policy_allows(act, r->who.user.role, own_relation(r)) < 0)
		return reply_problem(r, 403, "forbidden", "your role cannot change this record");
	api_owner_seen(r, OWNED_ITEM, it->id, it->org_id, 0);
	return 0;
}

static int reply_perpetrator(struct req *r, int status, const struct item_row *it, json_t *rec)
{
	char cases[64][ID_LEN];
	size_t n = 0;
	jsonw w;

	if (store_perpetrator_cases(r->app->st, it->id, cases, 64, &n) != STORE_OK)
		return api_store_error(r, STORE_ERROR);
	reply_json_begin(r, status, &w);
	write_perpetrator(r, &w, it, rec, (const char (*)[ID_LEN])cases, n);
	jw_finish(&w);
	api_set_etag(r, it->version);
	return status;
}

/* GET /perpetrators/{id} */
int api_perpetrator_get(struct req *r)
{
	struct item_row it;
	json_t *rec;
	int rc;

	if (perpetrator_load(r, r->params[0], ACT_JUSTICE_READ, &it))
		return r->status;
	rec = item_open(r, &it);
	if (!rec)
		return reply_problem(r, 500, "internal", "the record cannot be opened");
	rc = reply_perpetrator(r, 200, &it, rec);
	json_decref(rec);
	return rc;
}

/* PATCH /perpetrators/{id} (If-Match) */
int api_perpetrator_patch(struct req *r)
{
	struct blind_key *keys;
	struct item_row it;
	struct record_error e;
	char record[64], fields[512];
	json_t *body, *rec;
	size_t nkeys = 0;
	int64_t want;
	store_tx *tx;
	int rc;

	if (perpetrator_load(r, r->params[0], ACT_JUSTICE_RECORD, &it))
		return r->status;
	if (api_if_match(r, &want))
		return r->status;
	body = req_json_object(r);
	if (!body)
		return r->status;
	if (record_validate(&perpetrator_schema, body, RECORD_PATCH, &e))
		return reply_problem(r, 422, e.type, e.detail);
	if (want != it.version)
		return api_store_error(r, STORE_STALE);
	rec = item_open(r, &it);
	keys = arena_alloc(&r->mem, PERPETRATOR_KEYS_MAX * sizeof *keys);
	if (!rec || !keys) {
		json_decref(rec);
		return reply_problem(r, 500, "internal", "the record cannot be opened");
	}
	record_patch(rec, body);
	if (record_validate(&perpetrator_schema, rec, RECORD_CREATE, &e)) {
		json_decref(rec);
		return reply_problem(r, 422, e.type, e.detail);
	}
	it.version = want + 1;
	store_now(it.updated_at);
	if (justice_perpetrator_seal(&r->app->kr, &r->mem, rec, &it, keys, PERPETRATOR_KEYS_MAX,
				     &nkeys)) {
		json_decref(rec);
		return reply_problem(r, 500, "internal", "out of memory");
	}
	api_member_names(body, fields, sizeof fields);
	snprintf(record, sizeof record, "perpetrators/%s", it.id);
	tx = store_begin(r->app->st);
	rc = tx ? store_item_update(tx, &it) : STORE_ERROR;
	if (rc == STORE_OK)
		rc = store_perpetrator_keys_set(tx, it.id, keys, nkeys);
	if (rc == STORE_OK)
		rc = api_audit_write(r, tx, "update", record, fields);
	sodium_memzero(keys, PERPETRATOR_KEYS_MAX * sizeof *keys);
	if ((rc = api_tx_end(r, tx, rc))) {
		json_decref(rec);
		return rc;
	}
	rc = reply_perpetrator(r, 200, &it, rec);
	json_decref(rec);
	return rc;
}

/* GET /perpetrators?q=NAME: the organisation's perpetrators whose names
 * meet the query in any script, best first. */
int api_perpetrators_search(struct req *r)
{
	const char *q = req_query(r, "q");
	struct blind_key keys[8];
	char ids[50][ID_LEN];
	size_t nkeys, found = 0, i;
	jsonw w;

	if (policy_allows(ACT_JUSTICE_READ, r->who.user.role, own_relation(r)) < 0)
		return reply_problem(r, 403, "forbidden", "your role does not see perpetrators");
	if (!q || !*q || strlen(q) > 200)
		return reply_problem(r, 422, "invalid-value", "q: a name to search for");
	nkeys = perpetrator_query_keys(&r->app->kr, r->who.user.org.id, q, keys, 8);
	if (store_perpetrator_find(r->app->st, r->who.user.org.id, keys, nkeys, ids, 50, &found) !=
	    STORE_OK)
		return api_store_error(r, STORE_ERROR);
	sodium_memzero(keys, sizeof keys);
	reply_json_begin(r, 200, &w);
	jw_object(&w);
	jw_key(&w, "items");
	jw_array(&w);
	for (i = 0; i < found; i++) {
		struct item_row it;
		json_t *rec;
		if (store_item_get(r->app->st, ids[i], &it, &r->mem) != STORE_OK)
			continue;
		rec = item_open(r, &it);
		if (!rec)
			continue;
		write_perpetrator(r, &w, &it, rec, NULL, 0);
		json_decref(rec);
	}
	jw_end(&w);
	jw_key(&w, "next");
	jw_null(&w);
	jw_finish(&w);
	return 200;
}

/* ---- criminal proceedings ---------------------------------------------- */

static void write_proceeding(struct req *r, jsonw *w, const struct item_row *it, json_t *rec)
{
	char record[64];

	snprintf(record, sizeof record, "cases/%s", it->case_id);
	jw_object(w);
	jw_kstr(w, "id", it->id);
	jw_kint(w, "version", it->version);
	jw_kstr(w, "kind", "proceeding");
	jw_kstr(w, "case_id", it->case_id);
	jw_kstr(w, "stage", it->status);
	write_fields(r, w, record, "proceeding", &proceeding_schema, rec);
	api_item_org(r, w, it);
	write_tail(w, it);
}

/* 1 when the caller sees a proceeding or perpetrator of the loaded case in
 * full (used by the timeline of api/items.c too). */
int api_justice_full(struct req *r)
{
	return api_case_may(r, ACT_JUSTICE_READ);
}

/* Write an item of the justice track in the timeline's data: its fields
 * when the caller may read them, else nothing. */
void api_justice_timeline_data(struct req *r, jsonw *w, const struct item_row *it, json_t *rec)
{
	char record[64];
	if (!api_justice_full(r))
		return;
	snprintf(record, sizeof record, "cases/%s", it->case_id);
	jw_kstr(w, "stage", it->status);
	write_fields(r, w, record, "proceeding", &proceeding_schema, rec);
}

static int proceeding_save(struct req *r, struct item_row *it, json_t *rec, json_t *fields_of,
			   int is_new)
{
	char record[64], fields[512], why[160];
	store_tx *tx;
	jsonw w;
	int rc = justice_proceeding_seal(&r->app->kr, &r->mem, rec, it, why, sizeof why);

	if (rc == -1)
		return reply_problem(r, 422, "stage-order", why);
	if (rc)
		return reply_problem(r, 500, "internal", "out of memory");
	api_member_names(fields_of, fields, sizeof fields);
	snprintf(record, sizeof record, "proceedings/%s", it->id);
	tx = store_begin(r->app->st);
	rc = !tx ? STORE_ERROR : is_new ? store_item_insert(tx, it) : store_item_update(tx, it);
	if (rc == STORE_OK)
		rc = api_audit_write(r, tx, is_new ? "create" : "update", record, fields);
	if ((rc = api_tx_end(r, tx, rc)))
		return rc;
	reply_json_begin(r, is_new ? 201 : 200, &w);
	write_proceeding(r, &w, it, rec);
	jw_finish(&w);
	api_set_etag(r, it->version);
	if (is_new)
		api_set_location(r, "proceedings", it->id);
	return is_new ? 201 : 200;
}

/* POST /cases/{id}/proceedings */
int api_proceedings_create(struct req *r)
{
	struct case_row c;
	struct item_row it;
	struct record_error e;
	json_t *body, *rec;
	int rc;

	if (api_case_load(r, r->params[0], &c))
		return r->status;
	if (!api_case_may(r, ACT_JUSTICE_RECORD))
		return reply_problem(r, 403, "forbidden",
				     "only an authority's focal point or the supervisor records this");
	body = req_json_object(r);
	if (!body)
		return r->status;
	if (record_validate(&proceeding_schema, body, RECORD_CREATE, &e))
		return reply_problem(r, 422, e.type, e.detail);
	if (api_dates_after_birth(r, c.person_id, &proceeding_schema, body))
		return r->status;
	rec = json_deep_copy(body);
	if (!rec)
		return reply_problem(r, 500, "internal", "out of memory");
	api_item_new(r, &it, "proceeding", c.id, c.person_id);
	rc = proceeding_save(r, &it, rec, body, 1);
	json_decref(rec);
	return rc;
}

/* GET /cases/{id}/proceedings */
int api_proceedings_list(struct req *r)
{
	struct case_row c;
	struct item_row *rows;
	size_t n = 0;

	if (api_case_load(r, r->params[0], &c))
		return r->status;
	if (store_items_of_case(r->app->st, c.id, "proceeding", &rows, &n, &r->mem) != STORE_OK)
		return api_store_error(r, STORE_ERROR);
	return reply_track_list(r, rows, n, write_proceeding);
}

/* The proceeding of the path, of a case the caller sees: 0, or the
 * problem set. */
static int proceeding_load(struct req *r, struct item_row *it, struct case_row *c)
{
	int rc = store_item_get(r->app->st, r->params[0], it, &r->mem);

	if (rc != STORE_OK || strcmp(it->kind, "proceeding"))
		return api_store_error(r, rc == STORE_OK ? STORE_NOT_FOUND : rc);
	return api_case_load(r, it->case_id, c) ? r->status : 0;
}

/* GET /proceedings/{id}: as the case's list shows it (its existence alone
 * without justice.read). */
int api_proceeding_get(struct req *r)
{
	struct case_row c;
	struct item_row it;
	json_t *rec = NULL;
	jsonw w;

	if (proceeding_load(r, &it, &c))
		return r->status;
	if (api_case_may(r, ACT_JUSTICE_READ) && !(rec = item_open(r, &it)))
		return reply_problem(r, 500, "internal", "the record cannot be opened");
	reply_json_begin(r, 200, &w);
	if (rec)
		write_proceeding(r, &w, &it, rec);
	else
		write_restricted(&w, &it);
	jw_finish(&w);
	if (rec)
		api_set_etag(r, it.version);
	json_decref(rec);
	return 200;
}

/* PATCH /proceedings/{id} (If-Match): the next stage, a verdict, the
 * victim's role and protection. */
int api_proceeding_patch(struct req *r)
{
	struct case_row c;
	struct item_row it;
	struct record_error e;
	json_t *body, *rec;
	int64_t want;
	int rc;

	if (proceeding_load(r, &it, &c))
		return r->status;
	if (!api_case_may(r, ACT_JUSTICE_RECORD))
		return reply_problem(r, 403, "forbidden", "you cannot change this proceeding");
	if (api_record_of_other(r, &it))
		return r->status;
	if (api_if_match(r, &want))
		return r->status;
	body = req_json_object(r);
	if (!body)
		return r->status;
	if (record_validate(&proceeding_schema, body, RECORD_PATCH, &e))
		return reply_problem(r, 422, e.type, e.detail);
	if (api_dates_after_birth(r, it.person_id, &proceeding_schema, body))
		return r->status;
	if (want != it.version)
		return api_store_error(r, STORE_STALE);
	rec = item_open(r, &it);
	if (!rec)
		return reply_problem(r, 500, "internal", "the record cannot be opened");
	record_patch(rec, body);
	if (record_validate(&proceeding_schema, rec, RECORD_CREATE, &e)) {
		json_decref(rec);
		return reply_problem(r, 422, e.type, e.detail);
	}
	it.version = want + 1;
	store_now(it.updated_at);
	rc = proceeding_save(r, &it, rec, body, 0);
	json_decref(rec);
	return rc;
}
