/*
 * persons.c - /api/v1/persons: create, read, patch (If-Match), and find
 * by name across scripts.
 *
 * Fields are validated against schema/person.c.  Coded fields are stored
 * in clear; pii and sensitive ones are serialised and sealed with the
 * person's id as associated data.  Name words and phone numbers become
 * keyed blind indexes.  Every read of a person's PII is audited with the
 * fields it returned.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>

#include "api/api.h"
#include "api/pprlnet.h"
#include "api/disclose.h"
#include "api/rows.h"
#include "api/justice.h"
#include "domain/namekey.h"
#include "domain/record.h"
#include "domain/consent.h"
#include "domain/policy.h"

#define MAX_KEYS 512
#define NAME_PREFIX_MIN NAMEKEY_PREFIX_MIN
#define SEARCH_MAX 50
#define SEARCH_DEFAULT 20


/* The blind index of one search key of `kind` in an organisation: the
 * organisation is part of the HMAC domain, so that equal names in two
 * organisations give unrelated keys and a search cannot leave its own. */
static void org_blind_index(const keyring *kr, const char *scope, const char *kind,
			    const char *org_id, const char *key, size_t len,
			    unsigned char out[BLIND_BYTES])
{
	char domain[80];
	snprintf(domain, sizeof domain, "%s%s/%s", scope, kind, org_id);
	blind_index(kr, domain, key, len, out);
}

/* Blind-index keys of every indexed field of a record of rs; scope
 * prefixes the HMAC domain ("" for persons), so that the names of two
 * kinds of record never find each other. */
static size_t blind_keys_of(const keyring *kr, const struct resource_schema *rs,
			    const char *scope, const char *org_id, json_t *rec,
			    struct blind_key *keys, size_t max)
{
	size_t i, n = 0;

	for (i = 0; i < rs->n; i++) {
		const struct field *f = &rs->fields[i];
		json_t *v = json_object_get(rec, f->name), *item, *one;
		size_t k, count;

		if (!v || f->index == NX_NONE)
			continue;
		one = json_is_array(v) ? NULL : v;
		count = json_is_array(v) ? json_array_size(v) : 1;
		for (k = 0; k < count; k++) {
			item = one ? one : json_array_get(v, k);
			if (!json_is_string(item))
				continue;
			if (f->index == NX_NAME) {
				char w[NAMEKEY_WORDS][NAMEKEY_MAX];
				size_t nw = namekey_words(json_string_value(item), w, NAMEKEY_WORDS), j;
				for (j = 0; j < nw && n < max; j++) {
					size_t len = strlen(w[j]), p;
					keys[n].kind = "name";
					org_blind_index(kr, scope, "name", org_id, w[j], len,
						keys[n++].mac);
					/* Beginnings of the word, so that a part of a
					 * name finds it ("Rakh" finds Rakhimov). */
					for (p = NAME_PREFIX_MIN; p < len && n < max; p++) {
						keys[n].kind = "prefix";
						org_blind_index(kr, scope, "prefix", org_id, w[j],
								p, keys[n++].mac);
					}
				}
				sodium_memzero(w, sizeof w);
			} else if (f->index == NX_PHONE && n < max) {
				char p[24];
				size_t len = phone_key(json_string_value(item), p);
				if (len) {
					keys[n].kind = "phone";
					org_blind_index(kr, scope, "phone", org_id, p, len, keys[n].mac);
					n++;
				}
			}
		}
	}
	return n;
}

size_t person_blind_keys(const keyring *kr, const char *org_id, json_t *rec,
			 struct blind_key *keys, size_t max)
{
	return blind_keys_of(kr, &person_schema, "", org_id, rec, keys, max);
}

size_t perpetrator_blind_keys(const keyring *kr, const char *org_id, json_t *rec,
			      struct blind_key *keys, size_t max)
{
	return blind_keys_of(kr, &perpetrator_schema, "perpetrator-", org_id, rec, keys, max);
}

static int visible(struct req *r, const struct person_row *p)
{
	return !strcmp(p->org_id, r->who.user.org.id) &&
	       policy_allows(ACT_PERSON_READ, r->who.user.role, PC_OWN_ORG) >= 0;
}

/* Write one person: id, version, the coded and the opened fields (these
 * through the audited road). */
static void write_person(struct req *r, jsonw *w, const struct person_row *p, json_t *coded,
			 json_t *secret)
{
	char record[64];
	const char *key;
	size_t i;

	snprintf(record, sizeof record, "persons/%s", p->id);
	jw_object(w);
	jw_kstr(w, "id", p->id);
	jw_kint(w, "version", p->version);
	for (i = 0; i < person_schema.n; i++) {
		key = person_schema.fields[i].name;
		if (person_schema.fields[i].cls == FC_CODED) {
			json_t *v = json_object_get(coded, key);
			if (v) {
				jw_key(w, key);
				jw_value(w, v);
			}
		} else {
			api_write_sealed(r, w, record, key, json_object_get(secret, key));
		}
	}
	jw_kstr(w, "created_at", p->created_at);
	jw_kstr(w, "updated_at", p->updated_at);
	if (p->merged_into[0])
		jw_kstr(w, "merged_into", p->merged_into);
	jw_end(w);
}

static json_t *open_secret(struct req *r, const struct person_row *p)
{
	size_t n;
	unsigned char *pt;
	json_t *j;

	if (p->sealed_len < SEAL_OVERHEAD)
		return NULL;
	n = p->sealed_len - SEAL_OVERHEAD;
	pt = arena_alloc(&r->mem, n + 1);
	if (!pt || seal_decrypt(&r->app->kr, p->sealed, p->sealed_len, p->id, pt) != 0)
		return NULL;
	j = json_loadb((const char *)pt, n, 0, NULL);
	sodium_memzero(pt, n);
	return j;
}

/* Seal the secret part of rec into row (arena memory). */
/* Seal rec into row, and its blind-index keys into keys (the demo's
 * road too: api/rows.h). */
static int seal_row(struct req *r, json_t *rec, struct person_row *row, struct blind_key *keys,
		    size_t *nkeys)
{
	return rows_person_seal(&r->app->kr, &r->mem, rec, row, keys, MAX_KEYS, nkeys);
}

static int bad_record(struct req *r, const struct record_error *e)
{
	return reply_problem(r, 422, e->type, e->detail);
}

static int has_name(json_t *rec)
{
	return json_object_get(rec, "given_name") || json_object_get(rec, "family_name") ||
	       json_array_size(json_object_get(rec, "aliases")) > 0;
}

/* Reply with the record just written, with its ETag. */
static int reply_person(struct req *r, int status, const struct person_row *row, json_t *rec)
{
	json_t *coded, *secret;
	char *etag = arena_alloc(&r->mem, 32);
	jsonw w;

	record_split(&person_schema, rec, &coded, &secret);
	reply_json_begin(r, status, &w);
	write_person(r, &w, row, coded, secret);
	jw_finish(&w);
	json_decref(coded);
	json_decref(secret);
	if (etag) {
		snprintf(etag, 32, "\"%lld\"", (long long)row->version);
		reply_header(r, "ETag", etag);
	}
	return status;
}

int api_persons_create(struct req *r)
{
	struct blind_key *keys;
	struct record_error e;
	struct person_row row;
	char record[64], fields[512];
	const char *dup;
	json_t *body;
	store_tx *tx;
	size_t nkeys;
	int rc;

	if (!api_may_own(r, ACT_PERSON_CREATE))
		return reply_problem(r, 403, "forbidden", "your role cannot register persons");
	body = req_json_object(r);
	if (!body)
		return r->status;
	if (record_validate(&person_schema, body, RECORD_CREATE, &e))
		return bad_record(r, &e);
	if (!has_name(body))
		return reply_problem_field(r, 422, "missing-field", "given_name",
					   "given_name, family_name or aliases: give at least one name");
	dup = req_query(r, "duplicates"); /* check or register (api_dispatch) */
	if (dup && !strcmp(dup, "check") && (rc = api_dedup_check(r, body)))
		return rc;
	memset(&row, 0, sizeof row);
	store_new_id(row.id);
	snprintf(row.org_id, sizeof row.org_id, "%s", r->who.user.org.id);
	row.version = 1;
	store_now(row.created_at);
	memcpy(row.updated_at, row.created_at, TS_LEN);
	keys = arena_alloc(&r->mem, MAX_KEYS * sizeof *keys);
	if (!keys || seal_row(r, body, &row, keys, &nkeys))
		return reply_problem(r, 500, "internal", "out of memory");
	snprintf(record, sizeof record, "persons/%s", row.id);
	record_pii_fields(&person_schema, body, fields, sizeof fields);

	tx = store_begin(r->app->st);
	if (!tx)
		return api_store_error(r, STORE_BUSY);
	rc = store_person_insert(tx, &row);
	if (rc == STORE_OK)
		rc = store_person_keys_add(tx, row.id, keys, nkeys);
	if (rc == STORE_OK)
		rc = api_audit_write(r, tx, "create", record, fields);
	if ((rc = api_tx_end(r, tx, rc)))
		return rc;
	api_dedup_registered(r, row.id, body);
	api_set_location(r, "persons", row.id);
	return reply_person(r, 201, &row, body);
}

int api_person_load(struct req *r, const char *id, struct person_row *p, enum person_use use)
{
	int rc = store_person_get(r->app->st, id, p, &r->mem);

	if (rc != STORE_OK || !visible(r, p))
		return api_store_error(r, rc == STORE_OK ? STORE_NOT_FOUND : rc);
	api_owner_seen(r, OWNED_PERSON, p->id, p->org_id, p->merged_into[0] != 0);
	return use == PERSON_TO_WRITE && api_person_merged(r, p) ? r->status : 0;
}

int api_person_merged(struct req *r, const struct person_row *p)
{
	if (!p->merged_into[0])
		return 0;
	api_reply_merged(r);
	return 1;
}

int api_reply_merged(struct req *r)
{
	return reply_problem_field(r, 409, "merged", "person_id",
				   "this person was merged into another record: work on that one "
				   "(or undo the merge first)");
}

int api_person_rekey(struct req *r, const char *person_id)
{
	struct blind_key *keys = arena_alloc(&r->mem, MAX_KEYS * sizeof *keys);
	struct person_row p;
	json_t *rec;
	store_tx *tx;
	size_t n;
	int rc;

	if (!keys || store_person_get(r->app->st, person_id, &p, &r->mem) != STORE_OK)
		return STORE_ERROR;
	rec = record_open(&r->app->kr, &r->mem, p.coded, p.sealed, p.sealed_len, p.id);
	if (!rec)
		return STORE_ERROR;
	n = person_blind_keys(&r->app->kr, p.org_id, rec, keys, MAX_KEYS);
	json_decref(rec);
	tx = store_begin(r->app->st);
	if (!tx)
		return STORE_ERROR;
	rc = store_person_keys_set(tx, p.id, keys, n);
	if (rc != STORE_OK) {
		store_rollback(tx);
		return rc;
	}
	return store_commit(tx);
}

/* A person of another organisation, reached through an accepted referral
 * of one of their cases while the consent stands: the shared fields. */
static int person_get_shared(struct req *r, const struct person_row *p)
{
	struct referral_row f;
	json_t *rec, *share, *v;
	char today[11], record[64];
	size_t i;
	jsonw w;

	consent_today(today);
	if (store_referral_access(r->app->st, NULL, p->id, r->who.user.org.id, today, &f,
				  &r->mem) != STORE_OK ||
	    policy_allows(ACT_PERSON_READ, r->who.user.role, PC_REFERRAL_ACCEPTED) < 0)
		return api_store_error(r, STORE_NOT_FOUND);
	rec = record_open(&r->app->kr, &r->mem, p->coded, p->sealed, p->sealed_len, p->id);
	share = json_loads(f.share, 0, NULL);
	if (!rec || !share) {
		json_decref(rec);
		json_decref(share);
		return reply_problem(r, 500, "internal", "the record cannot be opened");
	}
	reply_json_begin(r, 200, &w);
	jw_object(&w);
	jw_kstr(&w, "id", p->id);
	jw_kint(&w, "version", p->version);
	jw_kbool(&w, "shared_view", 1);
	jw_kstr(&w, "referral_id", f.id);
	snprintf(record, sizeof record, "persons/%s", p->id);
	json_array_foreach(share, i, v) {
		const char *name = json_string_value(v);
		const struct field *fd = name ? schema_field(&person_schema, name) : NULL;
		json_t *val = fd ? json_object_get(rec, name) : NULL;
		if (!val)
			continue;
		if (fd->cls == FC_CODED) {
			jw_key(&w, name);
			jw_value(&w, val);
		} else {
			api_write_sealed(r, &w, record, name, val);
		}
	}
	jw_finish(&w);
	json_decref(rec);
	json_decref(share);
	return 200;
}

/* GET's fast path.  The coded column and the opened secret are JSON this
 * program wrote: their members are spliced into the reply in schema order,
 * as write_person writes them, without building jansson trees to write
 * them out again (bench/run.sh: the parse was ~15% of the read's CPU).
 * 1 when answered; 0 to take the jansson path (text it cannot split). */
static int reply_person_raw(struct req *r, const struct person_row *p)
{
	struct raw_record rr;
	char record[64];
	jsonw w;

	if (api_raw_record_open(r, &rr, p->coded, p->sealed, p->sealed_len, p->id) != 0)
		return 0;
	snprintf(record, sizeof record, "persons/%s", p->id);
	reply_json_begin(r, 200, &w);
	jw_object(&w);
	jw_kstr(&w, "id", p->id);
	jw_kint(&w, "version", p->version);
	api_write_fields_raw(r, &w, record, &person_schema, &rr, NULL, NULL);
	jw_kstr(&w, "created_at", p->created_at);
	jw_kstr(&w, "updated_at", p->updated_at);
	if (p->merged_into[0])
		jw_kstr(&w, "merged_into", p->merged_into);
	jw_end(&w);
	jw_finish(&w);
	api_raw_record_close(&rr);
	return 1;
}

int api_person_get(struct req *r)
{
	struct person_row p;
	json_t *coded, *secret;
	char *etag;
	jsonw w;
	int rc;

	rc = store_person_get(r->app->st, r->params[0], &p, &r->mem);
	if (rc == STORE_OK && strcmp(p.org_id, r->who.user.org.id))
		return person_get_shared(r, &p);
	if (rc != STORE_OK || !visible(r, &p))
		return api_store_error(r, rc == STORE_OK ? STORE_NOT_FOUND : rc);
	if (reply_person_raw(r, &p))
		goto etag;
	coded = json_loads(p.coded, 0, NULL);
	secret = open_secret(r, &p);
	if (!coded || !secret) {
		json_decref(coded);
		json_decref(secret);
		return reply_problem(r, 500, "internal", "the record cannot be opened");
	}
	reply_json_begin(r, 200, &w);
	write_person(r, &w, &p, coded, secret);
	jw_finish(&w);
	json_decref(coded);
	json_decref(secret);
etag:
	etag = arena_alloc(&r->mem, 32);
	if (etag) {
		snprintf(etag, 32, "\"%lld\"", (long long)p.version);
		reply_header(r, "ETag", etag);
	}
	return 200;
}

int api_person_patch(struct req *r)
{
	struct person_row p;
	struct record_error e;
	struct blind_key *keys;
	json_t *body, *rec, *coded, *secret;
	char record[64], fields[512];
	int64_t want;
	store_tx *tx;
	size_t nkeys;
	int rc;

	if (api_person_load(r, r->params[0], &p, PERSON_TO_READ))
		return r->status;
	if (policy_allows(ACT_PERSON_UPDATE, r->who.user.role, api_own_relation(r)) < 0)
		return reply_problem(r, 403, "forbidden", "your role cannot change persons");
	if (api_person_merged(r, &p))
		return r->status;
	if (api_if_match(r, &want))
		return r->status;
	body = req_json_object(r);
	if (!body)
		return r->status;
	if (record_validate(&person_schema, body, RECORD_PATCH, &e))
		return bad_record(r, &e);
	if (want != p.version)
		return api_store_error(r, STORE_STALE);
	coded = json_loads(p.coded, 0, NULL);
	secret = open_secret(r, &p);
	if (!coded || !secret) {
		json_decref(coded);
		json_decref(secret);
		return reply_problem(r, 500, "internal", "the record cannot be opened");
	}
	rec = coded;
	json_object_update(rec, secret);
	json_decref(secret);
	record_patch(rec, body);
	if (!has_name(rec)) {
		json_decref(rec);
		return reply_problem_field(r, 422, "missing-field", "given_name",
					   "a person keeps at least one name");
	}
	p.version = want + 1;
	store_now(p.updated_at);
	keys = arena_alloc(&r->mem, MAX_KEYS * sizeof *keys);
	if (!keys || seal_row(r, rec, &p, keys, &nkeys)) {
		json_decref(rec);
		return reply_problem(r, 500, "internal", "out of memory");
	}
	snprintf(record, sizeof record, "persons/%s", p.id);
	api_member_names(body, fields, sizeof fields);
	tx = store_begin(r->app->st);
	rc = tx ? store_person_update(tx, &p) : STORE_ERROR;
	if (rc == STORE_OK)
		rc = store_person_keys_set(tx, p.id, keys, nkeys);
	if (rc == STORE_OK) /* the names its referrals share, as they are now */
		rc = api_referral_names_person(r, tx, p.id, rec);
	if (rc == STORE_OK)
		rc = api_audit_write(r, tx, "update", record, fields);
	if ((rc = api_tx_end(r, tx, rc))) {
		json_decref(rec);
		return rc;
	}
	api_pprl_refresh_req(r, p.id);
	rc = reply_person(r, 200, &p, rec);
	json_decref(rec);
	return rc;
}

/* word_of (NULL, or max of them): the query's word each key is of. */
static size_t query_keys_of(const keyring *kr, const char *scope, const char *org_id,
			    const char *q, struct blind_key *keys, unsigned char *word_of,
			    size_t max)
{
	char words[NAMEKEY_WORDS][NAMEKEY_MAX];
	size_t nw = namekey_words(q, words, NAMEKEY_WORDS), i, n = 0;

	for (i = 0; i < nw && n + 2 <= max; i++) {
		size_t len = strlen(words[i]);
		if (word_of)
			word_of[n] = (unsigned char)i;
		keys[n].kind = "name";
		org_blind_index(kr, scope, "name", org_id, words[i], len, keys[n++].mac);
		if (len >= NAME_PREFIX_MIN) {
			if (word_of)
				word_of[n] = (unsigned char)i;
			keys[n].kind = "prefix";
			org_blind_index(kr, scope, "prefix", org_id, words[i], len,
					keys[n++].mac);
		}
	}
	sodium_memzero(words, sizeof words);
	return n;
}

size_t person_query_keys(const keyring *kr, const char *org_id, const char *q,
			 struct blind_key *keys, size_t max)
{
	return query_keys_of(kr, "", org_id, q, keys, NULL, max);
}

/* The names a referral shares, under its recipient's own domain
 * ("referral-"): a recipient's keys find only what was shared with it. */
size_t referral_name_keys(const keyring *kr, const char *to_org, json_t *shared,
			  struct blind_key *keys, size_t max)
{
	return blind_keys_of(kr, &person_schema, "referral-", to_org, shared, keys, max);
}

size_t referral_query_keys(const keyring *kr, const char *org_id, const char *q,
			   struct blind_key *keys, unsigned char *word_of, size_t max)
{
	return query_keys_of(kr, "referral-", org_id, q, keys, word_of, max);
}

size_t perpetrator_query_keys(const keyring *kr, const char *org_id, const char *q,
			      struct blind_key *keys, size_t max)
{
	return query_keys_of(kr, "perpetrator-", org_id, q, keys, NULL, max);
}

/* A person's date of birth agrees with the one searched for: equal, or
 * the same year or month when only "YYYY" or "YYYY-MM" was given. */
static int birth_matches(json_t *secret, const char *want)
{
	const char *have = json_string_value(json_object_get(secret, "birth_date"));
	return have && !strncmp(have, want, strlen(want));
}

static int birth_query_ok(const char *b)
{
	size_t n = strlen(b), i;
	char day[11];

	if (n != 4 && n != 7 && n != 10)
		return 0;
	for (i = 0; i < n; i++)
		if (!(i == 4 || i == 7 ? b[i] == '-' : b[i] >= '0' && b[i] <= '9'))
			return 0;
	/* A month or a day that is none (1994-13 found no one, silently):
	 * the part given, completed with the first day, is a date. */
	snprintf(day, sizeof day, "%.*s%s", (int)n, b, n == 4 ? "-01-01" : n == 7 ? "-01" : "");
	return date_valid(day);
}

/* GET /persons?q=NAME[&birth_date=YYYY[-MM[-DD]]]: persons whose names
 * meet the query in any script, best match first; with a date of birth,
 * those born then first, then those whose date is not known, and none
 * born at another date. */
int api_persons_search(struct req *r)
{
	const char *q = req_query(r, "q"), *born = req_query(r, "birth_date");
	const char *limit_s = req_query(r, "limit");
	size_t limit = SEARCH_DEFAULT;
	struct blind_key keys[16];
	char (*ids)[ID_LEN];
	int hits[SEARCH_MAX];
	size_t nk, i, pass, found = 0, shown = 0;
	struct person_row *rows;
	json_t **secrets;
	const char **idv;
	unsigned char *got;
	jsonw w;

	if (policy_allows(ACT_PERSON_READ, r->who.user.role, PC_OWN_ORG) < 0)
		return reply_problem(r, 403, "forbidden", "your role cannot search persons");
	if (!q || !*q)
		return reply_problem(r, 422, "invalid-value", "q: give a name to search for");
	if (strlen(q) > 300)
		return reply_problem(r, 422, "invalid-value", "q: is too long");
	if (born && !birth_query_ok(born))
		return reply_problem(r, 422, "invalid-value", "birth_date: YYYY, YYYY-MM or YYYY-MM-DD");
	if (limit_s) {
		char *end;
		unsigned long v = strtoul(limit_s, &end, 10);
		if (*end || v < 1 || v > SEARCH_MAX)
			return reply_problemf(r, 422, "invalid-value", "limit: 1 to %d", SEARCH_MAX);
		limit = v;
	}
	nk = person_query_keys(&r->app->kr, r->who.user.org.id, q, keys, 16);
	ids = arena_alloc(&r->mem, SEARCH_MAX * sizeof *ids);
	rows = arena_alloc(&r->mem, SEARCH_MAX * sizeof *rows);
	secrets = arena_alloc(&r->mem, SEARCH_MAX * sizeof *secrets);
	idv = arena_alloc(&r->mem, SEARCH_MAX * sizeof *idv);
	got = arena_alloc(&r->mem, SEARCH_MAX);
	if (!ids || !rows || !secrets || !idv || !got)
		return reply_problem(r, 500, "internal", "out of memory");
	/* With a date of birth, take more candidates: some will not agree. */
	if (nk && store_person_find(r->app->st, r->who.user.org.id, keys, nk, ids, hits,
				    born ? SEARCH_MAX : limit, &found) != STORE_OK)
		return api_store_error(r, STORE_ERROR);
	/* The persons found, read together (one round trip, not one each). */
	for (i = 0; i < found; i++)
		idv[i] = ids[i];
	if (store_persons_get(r->app->st, idv, found, rows, got, &r->mem) != STORE_OK)
		return api_store_error(r, STORE_ERROR);
	for (i = 0; i < found; i++)
		secrets[i] = got[i] ? open_secret(r, &rows[i]) : NULL;
	reply_json_begin(r, 200, &w);
	jw_object(&w);
	jw_key(&w, "items");
	jw_array(&w);
	/* Without a date one pass in rank order; with one, matches first. */
	for (pass = born ? 0 : 1; pass < 2; pass++) {
		for (i = 0; i < found && shown < limit; i++) {
			json_t *coded;
			/* A person merged into another is found as the survivor. */
			if (!secrets[i] || rows[i].merged_into[0])
				continue;
			if (born) {
				int has = json_object_get(secrets[i], "birth_date") != NULL;
				if (pass == 0 ? !birth_matches(secrets[i], born) : has)
					continue;
			}
			coded = json_loads(rows[i].coded, 0, NULL);
			if (!coded)
				continue;
			write_person(r, &w, &rows[i], coded, secrets[i]);
			shown++;
			json_decref(coded);
		}
	}
	for (i = 0; i < found; i++)
		json_decref(secrets[i]);
	jw_end(&w);
	jw_key(&w, "next");
	jw_null(&w);
	jw_finish(&w);
	return 200;
}
