/*
 * contacts.c - the hotline's contacts (/api/v1/contacts): log one while
 * the caller talks, find the earlier contacts of a number whatever its
 * format, change one (If-Match), attach it to a case's timeline, the
 * supervisor's figures; and the time-limited flags on a caller's number
 * (/api/v1/caller-flags).
 *
 * Anonymous is the default: nothing but the channel and the call type is
 * required.  A non-data contact (silent, hang-up, wrong number, test,
 * abusive) keeps only channel, call type, time, duration, language and
 * operator: every other field is dropped before anything is stored.  The
 * caller's number and the notes are sealed; the number is found again
 * through a keyed blind index of its normalised digits, made per
 * organisation, so that no search leaves the organisation.  New contacts
 * are committed in groups by one writer thread (one fsync for many
 * operators), each answered only once its group is durable.  Every read
 * of a contact's PII, every lookup of a number and every write is
 * audited.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sodium.h>

#include "api/api.h"
#include "api/rows.h"
#include "api/disclose.h"
#include "http/server.h"
#include "store/kb.h"
#include "codelists.h"
#include "domain/consent.h"
#include "domain/namekey.h"
#include "domain/record.h"

#define LOOKUP_MAX 200     /* earlier contacts of one number shown */
#define STATS_DAYS_MAX 366

/* The fields a non-data contact keeps (operator is set by the server). */
static const char *const non_data_keeps[] = {"channel", "call_type", "started_at", "duration_s",
					     "language", NULL};

static int in_list(const char *s, const char *const *list)
{
	for (; *list; list++)
		if (!strcmp(*list, s))
			return 1;
	return 0;
}

static int is_data_call(const char *call_type)
{
	return call_type && !strcmp(call_type, "data");
}

/* ---- shared with callbacks.c and the demo ------------------------------ */

int api_phone_blind(const keyring *kr, const char *org_id, const char *phone,
		    unsigned char out[BLIND_BYTES])
{
	char digits[24], domain[64];
	size_t n = phone ? phone_key(phone, digits) : 0;

	if (!n)
		return -1;
	/* The domain of the persons' phone index (api/persons.c): a number
	 * gives one key per organisation, the same for a person and a call. */
	snprintf(domain, sizeof domain, "phone/%s", org_id);
	blind_index(kr, domain, digits, n, out);
	return 0;
}

void api_phone_masked(const char *phone, char *out, size_t outlen)
{
	char digits[24];
	size_t n = phone ? phone_key(phone, digits) : 0;

	if (n < 4) {
		snprintf(out, outlen, "••••");
		return;
	}
	snprintf(out, outlen, "•••• %.2s %.2s", digits + n - 4, digits + n - 2);
}

/* 0 when the caller's role reaches contacts at all (own organisation);
 * otherwise the 404 is set: to others the resource does not exist. */
static int may_read(struct req *r)
{
	if (policy_allows(ACT_CONTACT_READ, r->who.user.role, PC_OWN_ORG) >= 0)
		return 0;
	return reply_problem(r, 404, "not-found", "no such resource");
}

/* may_read, and the caller may log: 403 for a reader who may not. */
static int may_log(struct req *r)
{
	if (may_read(r))
		return r->status;
	if (policy_allows(ACT_CONTACT_LOG, r->who.user.role, PC_OWN_ORG) < 0)
		return reply_problem(r, 403, "forbidden", "your role cannot log hotline contacts");
	return 0;
}

static int bad_record(struct req *r, const struct record_error *e)
{
	return reply_problem(r, 422, e->type, e->detail);
}

/* Drop every field a non-data contact does not keep. */
static void strip_non_data(json_t *rec)
{
	const char *key;
	json_t *v;
	void *tmp;

	json_object_foreach_safe(rec, tmp, key, v)
		if (!in_list(key, non_data_keeps) && strcmp(key, "operator"))
			json_object_del(rec, key);
}

/* The case_id and person_id of rec must be records of the caller's
 * organisation, and kb_articles ids of knowledge-base articles (stored in
 * clear, so never free text such as a caller's name); 0, or the 422 set. */
static int links_ok(struct req *r, json_t *rec)
{
	const char *case_id = json_string_value(json_object_get(rec, "case_id"));
	const char *person_id = json_string_value(json_object_get(rec, "person_id"));
	json_t *told = json_object_get(rec, "kb_articles"), *v;
	size_t i;

	json_array_foreach(told, i, v) {
		int rc = store_kb_exists(r->app->st, json_string_value(v));
		if (rc == STORE_ERROR)
			return api_store_error(r, rc);
		if (rc != STORE_OK)
			return reply_problem(r, 422, "invalid-value",
					     "kb_articles: the ids of knowledge-base articles");
	}

	if (case_id) {
		struct case_row c;
		if (store_case_get(r->app->st, case_id, &c, &r->mem) != STORE_OK ||
		    strcmp(c.org_id, r->who.user.org.id))
			return reply_problem(r, 422, "invalid-value",
					     "case_id: no such case in your organisation");
		api_owner_seen(r, OWNED_CASE, c.id, c.org_id, 0);
	}
	if (person_id) {
		struct person_row p;
		if (store_person_get(r->app->st, person_id, &p, &r->mem) != STORE_OK ||
		    strcmp(p.org_id, r->who.user.org.id))
			return reply_problem(r, 422, "invalid-value",
					     "person_id: no such person in your organisation");
		if (api_person_merged(r, &p))
			return r->status;
		api_owner_seen(r, OWNED_PERSON, p.id, p.org_id, 0);
	}
	return 0;
}

/* Fill the row's columns, sealed part and phone key from a validated,
 * complete record; id, org, version and times are the caller's. */
static int contact_fill(struct req *r, json_t *rec, struct contact_row *c)
{
	return rows_contact_seal(&r->app->kr, &r->mem, rec, c);
}

static void write_contact(struct req *r, jsonw *w, const struct contact_row *c, json_t *rec)
{
	char record[64];

	snprintf(record, sizeof record, "contacts/%s", c->id);
	jw_object(w);
	jw_kstr(w, "id", c->id);
	jw_kint(w, "version", c->version);
	api_write_fields(r, w, record, &contact_schema, rec, NULL, NULL);
	jw_kstr(w, "created_at", c->created_at);
	jw_kstr(w, "updated_at", c->updated_at);
}

static int reply_contact(struct req *r, int status, const struct contact_row *c, json_t *rec,
			 const struct callback_row *cb, json_t *cb_rec)
{
	jsonw w;

	reply_json_begin(r, status, &w);
	write_contact(r, &w, c, rec);
	if (cb) {
		jw_key(&w, "callback");
		api_callback_write(r, &w, cb, cb_rec, 0);
	}
	jw_end(&w);
	jw_finish(&w);
	api_set_etag(r, c->version);
	return status;
}

/* Load a contact of the caller's organisation: 0, or the 404 set. */
static int contact_load(struct req *r, const char *id, struct contact_row *c)
{
	int rc = store_contact_get(r->app->st, id, c, &r->mem);
	if (rc == STORE_OK && strcmp(c->org_id, r->who.user.org.id))
		rc = STORE_NOT_FOUND;
	return rc == STORE_OK ? 0 : api_store_error(r, rc);
}

/* ---- POST /contacts: group commit ------------------------------------------ */

/*
 * An operator logs a contact while the caller talks, and a hotline has
 * many operators: the durable commit (an fsync) would be most of each
 * request.  So a request prepares its rows (validation, sealing, blind
 * index) on its own thread, suspends its connection and submits a job to
 * the server's group commit (store/commit.h), which commits it with the
 * others queued, then resumes the connection, which answers.
 */

enum { CREATE_START = 0, CREATE_WAITING, CREATE_DONE };

struct contact_job {
	struct store_job job;         /* first: the group hands it back */
	struct req *r;
	struct contact_row c;
	struct callback_row cb;
	int has_cb;
	json_t *rec, *cb_secret;      /* owned by the request */
	char record[64], fields[256];
};

static int job_write(store_tx *tx, struct store_job *sj)
{
	struct contact_job *j = (struct contact_job *)sj;
	/* the case and person it names still the organisation's (a transfer
	 * accepted meanwhile left a new call linked to a moved person) */
	int rc = api_owners_hold(j->r, tx);

	if (rc == STORE_OK)
		rc = store_contact_insert(tx, &j->c);
	if (rc == STORE_OK)
		rc = api_audit_write(j->r, tx, "create", j->record, j->fields);
	if (rc == STORE_OK && j->has_cb)
		rc = api_callback_insert(j->r, tx, &j->cb, j->cb_secret);
	return rc;
}

static void job_done(struct store_job *sj)
{
	struct contact_job *j = (struct contact_job *)sj;

	j->r->phase = CREATE_DONE; /* j lives in its request, gone once resumed */
	http_resume(j->r);
}

/* Validate and prepare the rows of a new contact into a job. */
static int create_prepare(struct req *r, struct contact_job *j)
{
	struct record_error e;
	json_t *body, *callback;
	const char *phone;

	body = req_json_object(r);
	if (!body)
		return r->status;
	/* The number and notes live on sealed; no clear copy lingers. */
	sodium_memzero(r->body.data, r->body.len);
	callback = json_object_get(body, "callback");
	if (callback) {
		json_incref(callback);
		json_object_del(body, "callback");
		if (req_own_json(r, callback))
			return reply_problem(r, 500, "internal", "out of memory");
	}
	if (record_validate(&contact_schema, body, RECORD_CREATE, &e))
		return bad_record(r, &e);
	if (!is_data_call(json_string_value(json_object_get(body, "call_type")))) {
		strip_non_data(body);
		callback = NULL;
	} else if (!json_object_get(body, "caller_kind")) {
		json_object_set_new(body, "caller_kind", json_string("anonymous"));
	}
	if (!json_object_get(body, "started_at")) {
		char now[TS_LEN];
		store_now(now);
		json_object_set_new(body, "started_at", json_string(now));
	}
	json_object_set_new(body, "operator", json_string(r->who.user.id));
	phone = json_string_value(json_object_get(body, "caller_phone"));
	if (phone && !phone_key(phone, (char[24]){0}))
		return reply_problem(r, 422, "invalid-value",
				     "caller_phone: not a phone number (7 to 15 digits)");
	if (links_ok(r, body))
		return r->status;
	if (callback) {
		if (!phone)
			return reply_problem_field(r, 422, "missing-field", "caller_phone",
						   "callback: give the caller_phone to call back");
		if (!json_object_get(body, "action"))
			json_object_set_new(body, "action", json_string("callback_booked"));
	}

	store_new_id(j->c.id);
	snprintf(j->c.org_id, sizeof j->c.org_id, "%s", r->who.user.org.id);
	snprintf(j->c.operator_id, sizeof j->c.operator_id, "%s", r->who.user.id);
	j->c.version = 1;
	store_now(j->c.created_at);
	memcpy(j->c.updated_at, j->c.created_at, TS_LEN);
	if (contact_fill(r, body, &j->c))
		return reply_problem(r, 500, "internal", "out of memory");
	if (callback && api_callback_prepare(r, callback, phone, j->c.id, &j->cb, &j->cb_secret))
		return r->status;
	j->has_cb = callback != NULL;
	j->rec = body;
	record_pii_fields(&contact_schema, body, j->fields, sizeof j->fields);
	snprintf(j->record, sizeof j->record, "contacts/%s", j->c.id);
	return 0;
}

int api_contacts_create(struct req *r)
{
	struct contact_job *j = r->async;

	if (r->phase == CREATE_DONE) {
		if (j->job.rc != STORE_OK)
			return api_owners_reply(r) ? r->status : api_store_error(r, j->job.rc);
		api_set_location(r, "contacts", j->c.id);
		return reply_contact(r, 201, &j->c, j->rec, j->has_cb ? &j->cb : NULL, j->cb_secret);
	}
	if (may_log(r))
		return r->status;
	j = arena_alloc(&r->mem, sizeof *j);
	if (!j)
		return reply_problem(r, 500, "internal", "out of memory");
	memset(j, 0, sizeof *j);
	j->r = r;
	j->job.write = job_write;
	j->job.done = job_done;
	if (create_prepare(r, j))
		return r->status;
	r->async = j;
	r->phase = CREATE_WAITING;
	http_suspend(r);
	if (!r->app->commits || store_group_submit(r->app->commits, &j->job) != STORE_OK) {
		j->job.rc = STORE_ERROR;
		r->phase = CREATE_DONE;
		http_resume(r);
	}
	return HTTP_SUSPENDED;
}

/* ---- GET /contacts/{id}, PATCH -------------------------------------- */

/* The case and the person a contact is about are its columns: a merge
 * and its undo move them there, not in the sealed record (which kept the
 * merged-away person: an outside review read it, and saw a PATCH write it
 * back and an attach to the survivor's case refused). */
static void links_of_columns(json_t *rec, const struct contact_row *c)
{
	if (c->case_id[0])
		json_object_set_new(rec, "case_id", json_string(c->case_id));
	else
		json_object_del(rec, "case_id");
	if (c->person_id[0])
		json_object_set_new(rec, "person_id", json_string(c->person_id));
	else
		json_object_del(rec, "person_id");
}

static json_t *contact_open(struct req *r, const struct contact_row *c)
{
	json_t *rec = record_open(&r->app->kr, &r->mem, c->coded, c->sealed, c->sealed_len, c->id);
	if (rec && req_own_json(r, rec))
		return NULL;
	if (rec)
		links_of_columns(rec, c);
	return rec;
}

int api_contact_get(struct req *r)
{
	struct callback_row cb;
	struct contact_row c;
	json_t *rec, *cb_rec = NULL;
	int has_cb;

	if (may_read(r) || contact_load(r, r->params[0], &c))
		return r->status;
	rec = contact_open(r, &c);
	if (!rec)
		return reply_problem(r, 500, "internal", "the record cannot be opened");
	/* The callback booked with it, as the create answered (a save sent
	 * again after its answer was lost reads this, api/idempotency.c). */
	has_cb = api_callback_of_contact(r, c.id, &cb, &cb_rec);
	return reply_contact(r, 200, &c, rec, has_cb ? &cb : NULL, has_cb ? cb_rec : NULL);
}


/* Store a changed contact (version already the next one), audited. */
static int contact_save(struct req *r, struct contact_row *c, json_t *rec, const char *fields,
			const struct case_row *timeline_case)
{
	char record[64];
	store_tx *tx;
	int rc;

	store_now(c->updated_at);
	if (contact_fill(r, rec, c))
		return reply_problem(r, 500, "internal", "out of memory");
	snprintf(record, sizeof record, "contacts/%s", c->id);
	tx = store_begin(r->app->st);
	if (!tx)
		return api_tx_end(r, tx, STORE_ERROR);
	rc = store_contact_update(tx, c);
	if (rc == STORE_OK)
		rc = api_audit_write(r, tx, "update", record, fields);
	if (rc == STORE_OK && timeline_case) {
		/* On the case's timeline as a record of kind "contact": its
		 * codes only, never the notes or the number. */
		struct item_row it;
		json_t *ev = json_object();
		char *s;
		api_item_new(r, &it, "contact", timeline_case->id, timeline_case->person_id);
		snprintf(it.org_id, sizeof it.org_id, "%s", c->org_id);
		snprintf(it.at, sizeof it.at, "%s", c->started_at);
		memcpy(it.created_at, c->updated_at, TS_LEN);
		memcpy(it.updated_at, c->updated_at, TS_LEN);
		json_object_set_new(ev, "contact_id", json_string(c->id));
		json_object_set_new(ev, "channel", json_string(c->channel));
		json_object_set_new(ev, "call_type", json_string(c->call_type));
		json_object_set_new(ev, "started_at", json_string(c->started_at));
		if (json_object_get(rec, "topics"))
			json_object_set(ev, "topics", json_object_get(rec, "topics"));
		if (json_object_get(rec, "indicators"))
			json_object_set(ev, "indicators", json_object_get(rec, "indicators"));
		if (c->action[0])
			json_object_set_new(ev, "action", json_string(c->action));
		s = json_dumps(ev, JSON_COMPACT | JSON_SORT_KEYS);
		json_decref(ev);
		it.coded = s ? arena_strdup(&r->mem, s) : NULL;
		free(s);
		rc = it.coded ? store_item_insert(tx, &it) : STORE_ERROR;
		if (rc == STORE_OK) {
			char crec[64];
			snprintf(crec, sizeof crec, "cases/%s", timeline_case->id);
			rc = api_audit_write(r, tx, "update", crec, "contact");
		}
	}
	return api_tx_end(r, tx, rc);
}

int api_contact_patch(struct req *r)
{
	struct contact_row c;
	struct record_error e;
	json_t *body, *rec;
	char fields[256];
	const char *key, *phone;
	json_t *v;
	int64_t want;

	if (may_read(r) || contact_load(r, r->params[0], &c))
		return r->status;
	if (may_log(r) || api_if_match(r, &want))
		return r->status;
	body = req_json_object(r);
	if (!body)
		return r->status;
	if (record_validate(&contact_schema, body, RECORD_PATCH, &e))
		return bad_record(r, &e);
	if (want != c.version)
		return api_store_error(r, STORE_STALE);
	rec = contact_open(r, &c);
	if (!rec)
		return reply_problem(r, 500, "internal", "the record cannot be opened");
	record_patch(rec, body);
	if (!json_object_get(rec, "channel") || !json_object_get(rec, "call_type"))
		return reply_problem(r, 422, "invalid-value", "channel and call_type cannot be removed");
	if (!json_object_get(rec, "started_at"))
		json_object_set_new(rec, "started_at", json_string(c.started_at));
	if (!is_data_call(json_string_value(json_object_get(rec, "call_type")))) {
		json_object_foreach(body, key, v)
			if (!json_is_null(v) && !in_list(key, non_data_keeps))
				return reply_problem(r, 422, "invalid-value",
						     "a non-data contact takes no personal details");
		strip_non_data(rec);
	}
	phone = json_string_value(json_object_get(rec, "caller_phone"));
	if (phone && !phone_key(phone, (char[24]){0}))
		return reply_problem(r, 422, "invalid-value",
				     "caller_phone: not a phone number (7 to 15 digits)");
	if (links_ok(r, body))
		return r->status;
	c.version++;
	api_member_names(body, fields, sizeof fields);
	if (contact_save(r, &c, rec, fields, NULL))
		return r->status;
	return reply_contact(r, 200, &c, rec, NULL, NULL);
}

/* ---- POST /contacts/{id}/attach ---------------------------------------- */

int api_contact_attach(struct req *r)
{
	struct contact_row c;
	struct case_row k;
	const char *case_id, *key;
	json_t *body, *rec, *v;

	if (may_read(r) || contact_load(r, r->params[0], &c) || may_log(r))
		return r->status;
	body = req_json_object(r);
	if (!body)
		return r->status;
	json_object_foreach(body, key, v)
		if (strcmp(key, "case_id"))
			return reply_problemf(r, 422, "unknown-field", "%s: is not a field of this action",
					      key);
	case_id = json_string_value(json_object_get(body, "case_id"));
	if (!case_id)
		return reply_problem(r, 422, "missing-field", "case_id: is required");
	if (!is_data_call(c.call_type))
		return reply_problem(r, 409, "invalid-transition",
				     "a non-data contact cannot be attached to a case");
	if (strlen(case_id) >= ID_LEN ||
	    store_case_get(r->app->st, case_id, &k, &r->mem) != STORE_OK ||
	    strcmp(k.org_id, r->who.user.org.id) ||
	    policy_allows(ACT_CASE_READ, r->who.user.role, PC_OWN_ORG) < 0)
		return reply_problem(r, 422, "invalid-value",
				     "case_id: no such case in your organisation");
	if (!strcmp(c.case_id, k.id))
		return reply_problem(r, 409, "conflict", "the contact is on this case already");
	/* Still the organisation's case and person when the link is written
	 * (an attach racing a transfer's acceptance linked the old owner's
	 * call to the moved case and person: an outside review). */
	api_owner_seen(r, OWNED_CASE, k.id, k.org_id, 0);
	api_owner_seen(r, OWNED_PERSON, k.person_id, k.org_id, 0);
	rec = contact_open(r, &c);
	if (!rec)
		return reply_problem(r, 500, "internal", "the record cannot be opened");
	{
		/* A contact about one person does not go onto another's case. */
		const char *pid = json_string_value(json_object_get(rec, "person_id"));
		if (pid && strcmp(pid, k.person_id))
			return reply_problem(r, 409, "conflict",
					     "the contact is about another person than this case");
	}
	json_object_set_new(rec, "case_id", json_string(k.id));
	if (!json_object_get(rec, "person_id"))
		json_object_set_new(rec, "person_id", json_string(k.person_id));
	if (!json_object_get(rec, "action"))
		json_object_set_new(rec, "action", json_string("attached_to_case"));
	c.version++;
	if (contact_save(r, &c, rec, "case_id", &k))
		return r->status;
	return reply_contact(r, 200, &c, rec, NULL, NULL);
}

/* ---- GET /contacts ------------------------------------------------------ */

/* A list item: the coded fields only (no notes, no number). */
static void write_contact_item(struct req *r, jsonw *w, const struct contact_row *c)
{
	json_t *coded = json_loads(c->coded, 0, NULL);

	if (coded)
		links_of_columns(coded, c);
	write_contact(r, w, c, coded);
	jw_end(w);
	json_decref(coded);
}

/* One flag; its note is opened (PII: audited, unless the caller just
 * sent it). */
static void write_flag(struct req *r, jsonw *w, const struct caller_flag_row *f)
{
	char record[64];
	json_t *note;

	jw_object(w);
	jw_kstr(w, "id", f->id);
	jw_kstr(w, "flag", f->flag);
	jw_kstr(w, "until", f->until);
	if (f->sealed) {
		note = record_open(&r->app->kr, &r->mem, "{}", f->sealed, f->sealed_len, f->id);
		snprintf(record, sizeof record, "caller_flags/%s", f->id);
		if (note)
			api_write_sealed(r, w, record, "note", json_object_get(note, "note"));
		json_decref(note);
	}
	jw_kstr(w, "created_by", f->created_by);
	jw_kstr(w, "created_at", f->created_at);
	jw_end(w);
}

/* The active flags of a number. */
static int write_flags(struct req *r, jsonw *w, const unsigned char key[BLIND_BYTES])
{
	struct caller_flag_row *rows;
	char today[11];
	size_t n = 0, i;

	consent_today(today);
	if (store_flags_active(r->app->st, r->who.user.org.id, key, today, &rows, &n, &r->mem) !=
	    STORE_OK)
		return -1;
	jw_array(w);
	for (i = 0; i < n; i++)
		write_flag(r, w, &rows[i]);
	jw_end(w);
	return 0;
}

/* The audit record of a look-up of a number: "phones/" and its blind key
 * in hex, which GET /audit?phone= makes again from the number (a record
 * of "contacts" alone could not say whose number was looked up: an
 * outside review). */
void api_phone_record(const unsigned char key[BLIND_BYTES], char out[API_PHONE_RECORD_LEN])
{
	memcpy(out, "phones/", 7);
	sodium_bin2hex(out + 7, API_PHONE_RECORD_LEN - 7, key, 16);
}

/* Earlier contacts of a number, with a summary and the active flags. */
static int contacts_of_phone(struct req *r, const char *phone)
{
	unsigned char key[BLIND_BYTES];
	char record[API_PHONE_RECORD_LEN];
	struct contact_row *rows;
	const char *last_action = NULL;
	size_t n = 0, i, k;
	int seen[16] = {0};
	jsonw w;

	if (strlen(phone) > 32 || api_phone_blind(&r->app->kr, r->who.user.org.id, phone, key))
		return reply_problem(r, 422, "invalid-value", "phone: not a phone number");
	if (store_contacts_by_phone(r->app->st, r->who.user.org.id, key, LOOKUP_MAX, &rows, &n,
				    &r->mem) != STORE_OK)
		return api_store_error(r, STORE_ERROR);
	/* Who looked up a number is itself worth knowing. */
	api_phone_record(key, record);
	api_audit_read(r, record, "caller_phone");
	reply_json_begin(r, 200, &w);
	jw_object(&w);
	jw_key(&w, "items");
	jw_array(&w);
	for (i = 0; i < n; i++) {
		write_contact_item(r, &w, &rows[i]);
		for (k = 0; k < cl_contact_topic.n && k < 16; k++) {
			char needle[48];
			snprintf(needle, sizeof needle, " %s ", cl_contact_topic.codes[k]);
			if (strstr(rows[i].topics, needle))
				seen[k] = 1;
		}
		if (!last_action && rows[i].action[0])
			last_action = rows[i].action;
	}
	jw_end(&w);
	jw_key(&w, "summary");
	jw_object(&w);
	jw_kint(&w, "count", (int64_t)n);
	jw_kstr(&w, "first", n ? rows[n - 1].started_at : NULL);
	jw_kstr(&w, "last", n ? rows[0].started_at : NULL);
	jw_key(&w, "topics");
	jw_array(&w);
	for (k = 0; k < cl_contact_topic.n && k < 16; k++)
		if (seen[k])
			jw_str(&w, cl_contact_topic.codes[k]);
	jw_end(&w);
	jw_kstr(&w, "last_action", last_action);
	jw_end(&w);
	jw_key(&w, "flags");
	if (write_flags(r, &w, key))
		return api_store_error(r, STORE_ERROR);
	jw_key(&w, "next");
	jw_null(&w);
	jw_finish(&w);
	return 200;
}

/* The start (UTC) of day s, a valid date YYYY-MM-DD, plus `days` days. */
static time_t day_start(const char *s, int days)
{
	struct tm tm = {0};
	int y, m, d;

	date_parse(s, &y, &m, &d);
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d + days;
	return timegm(&tm);
}

/* A bound of a period: a date (from: its start; to: the next day's) or a
 * time, into out; 0, or -1 when it is neither. */
static int period_bound(const char *s, int upper, char out[TS_LEN])
{
	if (date_valid(s)) {
		struct tm tm;
		time_t t = day_start(s, upper ? 1 : 0);
		gmtime_r(&t, &tm);
		strftime(out, TS_LEN, "%Y-%m-%dT00:00:00Z", &tm);
		return 0;
	}
	if (datetime_valid(s, 1)) {
		snprintf(out, TS_LEN, "%s", s);
		return 0;
	}
	return -1;
}

int api_contacts_list(struct req *r)
{
	const char *phone = req_query(r, "phone"), *from = req_query(r, "from");
	const char *to = req_query(r, "to");
	char from_ts[TS_LEN] = "", to_ts[TS_LEN] = "", after_at[TS_LEN] = "", after_id[ID_LEN] = "";
	struct contact_filter f;
	struct contact_row *rows;
	size_t n = 0, i, limit = PAGE_DEFAULT;
	jsonw w;

	if (may_read(r))
		return r->status;
	if (phone)
		return contacts_of_phone(r, phone);
	if (from && period_bound(from, 0, from_ts))
		return reply_problem(r, 422, "invalid-value", "from: not a date YYYY-MM-DD");
	if (to && period_bound(to, 1, to_ts))
		return reply_problem(r, 422, "invalid-value", "to: not a date YYYY-MM-DD");
	if (from && to && strcmp(from, to) > 0) /* an empty list would say "no calls" */
		return reply_problem(r, 422, "invalid-value", "from: after to");
	if (api_page(r, PAGE_MAX, &limit, after_at, sizeof after_at, after_id, sizeof after_id))
		return r->status;
	memset(&f, 0, sizeof f);
	f.org_id = r->who.user.org.id;
	f.from = from_ts;
	f.to = to_ts;
	f.after_at = after_at;
	f.after_id = after_id;
	f.limit = limit + 1;
	if (store_contacts_list(r->app->st, &f, &rows, &n, &r->mem) != STORE_OK)
		return api_store_error(r, STORE_ERROR);
	reply_json_begin(r, 200, &w);
	jw_object(&w);
	jw_key(&w, "items");
	jw_array(&w);
	for (i = 0; i < n && i < limit; i++)
		write_contact_item(r, &w, &rows[i]);
	jw_end(&w);
	jw_key(&w, "next");
	if (n > limit) {
		char next[API_CURSOR_LEN];
		api_cursor_seal(r, rows[limit - 1].started_at, rows[limit - 1].id, next, sizeof next);
		jw_str(&w, next);
	} else {
		jw_null(&w);
	}
	jw_finish(&w);
	return 200;
}

/* ---- GET /contacts/stats -------------------------------------------------- */

static int64_t count_of(const struct contact_count *c, size_t n, const char *key)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (!strcmp(c[i].key, key))
			return c[i].n;
	return 0;
}

/* {CODE: N} for every code of the list. */
static void write_counts(jsonw *w, const char *name, const struct codelist *cl,
			 const struct contact_count *c, size_t n)
{
	size_t i;

	jw_key(w, name);
	jw_object(w);
	for (i = 0; i < cl->n; i++)
		jw_kint(w, cl->codes[i], count_of(c, n, cl->codes[i]));
	jw_end(w);
}

int api_contacts_stats(struct req *r)
{
	const char *from = req_query(r, "from"), *to = req_query(r, "to");
	char from_d[11], to_d[11], from_ts[TS_LEN], to_ts[TS_LEN], now[TS_LEN], day_end[TS_LEN];
	struct contact_stats cs;
	struct tm tm = {0};
	time_t t0, t1, t;
	size_t i, k;
	jsonw w;

	if (may_read(r))
		return r->status;
	if (policy_allows(ACT_CONTACT_STATS, r->who.user.role, PC_OWN_ORG) < 0)
		return reply_problem(r, 403, "forbidden", "the hotline's figures are for supervisors");
	consent_today(to_d);
	if (to && !date_valid(to))
		return reply_problem(r, 422, "invalid-value", "to: not a date YYYY-MM-DD");
	if (to)
		snprintf(to_d, sizeof to_d, "%s", to);
	t1 = day_start(to_d, 0);
	if (from && !date_valid(from))
		return reply_problem(r, 422, "invalid-value", "from: not a date YYYY-MM-DD");
	if (from) {
		snprintf(from_d, sizeof from_d, "%s", from);
		t0 = day_start(from_d, 0);
	} else {
		t0 = t1 - 29 * 86400;
		gmtime_r(&t0, &tm);
		strftime(from_d, sizeof from_d, "%Y-%m-%d", &tm);
	}
	if (t0 > t1)
		return reply_problem(r, 422, "invalid-value", "from: after to");
	if ((t1 - t0) / 86400 >= STATS_DAYS_MAX)
		return reply_problemf(r, 422, "invalid-value", "a period of at most %d days",
				      STATS_DAYS_MAX);
	period_bound(from_d, 0, from_ts);
	period_bound(to_d, 1, to_ts);
	store_now(now);
	t = time(NULL) + 86400;
	gmtime_r(&t, &tm);
	strftime(day_end, sizeof day_end, "%Y-%m-%dT00:00:00Z", &tm);
	if (store_contact_stats(r->app->st, r->who.user.org.id, from_ts, to_ts, now, day_end, &cs,
				&r->mem) != STORE_OK)
		return api_store_error(r, STORE_ERROR);

	reply_json_begin(r, 200, &w);
	jw_object(&w);
	jw_kstr(&w, "from", from_d);
	jw_kstr(&w, "to", to_d);
	jw_kint(&w, "total", cs.total);
	jw_key(&w, "by_day");
	jw_array(&w);
	for (t = t0; t <= t1; t += 86400) {
		char day[11];
		gmtime_r(&t, &tm);
		strftime(day, sizeof day, "%Y-%m-%d", &tm);
		jw_object(&w);
		jw_kstr(&w, "day", day);
		jw_kint(&w, "count", count_of(cs.by_day, cs.n_day, day));
		jw_end(&w);
	}
	jw_end(&w);
	write_counts(&w, "by_channel", &cl_hotline_channel, cs.by_channel, cs.n_channel);
	jw_key(&w, "by_topic");
	jw_object(&w);
	for (k = 0; k < cl_contact_topic.n; k++) {
		char needle[48];
		int64_t sum = 0;
		snprintf(needle, sizeof needle, " %s ", cl_contact_topic.codes[k]);
		for (i = 0; i < cs.n_topics; i++)
			if (strstr(cs.by_topics[i].key, needle))
				sum += cs.by_topics[i].n;
		jw_kint(&w, cl_contact_topic.codes[k], sum);
	}
	jw_end(&w);
	write_counts(&w, "by_call_type", &cl_hotline_call_type, cs.by_call_type, cs.n_call_type);
	write_counts(&w, "by_action", &cl_contact_action, cs.by_action, cs.n_action);
	jw_key(&w, "callbacks");
	jw_object(&w);
	jw_kint(&w, "due", cs.cb_due);
	jw_kint(&w, "overdue", cs.cb_overdue);
	jw_kint(&w, "open", cs.cb_open);
	jw_end(&w);
	jw_finish(&w);
	return 200;
}

/* ---- caller flags -------------------------------------------------------- */

int api_caller_flags_create(struct req *r)
{
	struct caller_flag_row f;
	struct record_error e;
	json_t *body, *secret;
	const char *phone, *coded;
	char today[11], record[64];
	store_tx *tx;
	jsonw w;
	int rc;

	if (may_log(r))
		return r->status;
	body = req_json_object(r);
	if (!body)
		return r->status;
	if (record_validate(&caller_flag_schema, body, RECORD_CREATE, &e))
		return bad_record(r, &e);
	consent_today(today);
	if (strcmp(json_string_value(json_object_get(body, "until")), today) < 0)
		return reply_problem(r, 422, "invalid-value", "until: must be today or later");
	memset(&f, 0, sizeof f);
	store_new_id(f.id);
	snprintf(f.org_id, sizeof f.org_id, "%s", r->who.user.org.id);
	phone = json_string_value(json_object_get(body, "phone"));
	if (api_phone_blind(&r->app->kr, f.org_id, phone, f.phone_key))
		return reply_problem(r, 422, "invalid-value", "phone: not a phone number");
	snprintf(f.flag, sizeof f.flag, "%s", json_string_value(json_object_get(body, "flag")));
	snprintf(f.until, sizeof f.until, "%s", json_string_value(json_object_get(body, "until")));
	snprintf(f.created_by, sizeof f.created_by, "%s", r->who.user.id);
	store_now(f.created_at);
	/* Only the note is sealed: the number lives on as its blind index. */
	secret = json_object();
	if (json_object_get(body, "note"))
		json_object_set(secret, "note", json_object_get(body, "note"));
	rc = record_seal(&r->app->kr, &r->mem, &caller_flag_schema, secret, f.id, &coded, &f.sealed,
			 &f.sealed_len);
	json_decref(secret);
	if (rc)
		return reply_problem(r, 500, "internal", "out of memory");
	snprintf(record, sizeof record, "caller_flags/%s", f.id);
	tx = store_begin(r->app->st);
	if (!tx)
		return api_tx_end(r, tx, STORE_ERROR);
	rc = store_flag_insert(tx, &f);
	if (rc == STORE_OK)
		rc = api_audit_write(r, tx, "create", record,
				     json_object_get(body, "note") ? "phone,note" : "phone");
	if ((rc = api_tx_end(r, tx, rc)))
		return rc;
	reply_json_begin(r, 201, &w);
	write_flag(r, &w, &f);
	jw_finish(&w);
	api_set_location(r, "caller-flags", f.id);
	return 201;
}

int api_caller_flags_list(struct req *r)
{
	const char *phone = req_query(r, "phone");
	unsigned char key[BLIND_BYTES];
	char record[API_PHONE_RECORD_LEN];
	jsonw w;

	if (may_read(r))
		return r->status;
	if (!phone)
		return reply_problem(r, 422, "missing-field", "phone: is required");
	if (strlen(phone) > 32 || api_phone_blind(&r->app->kr, r->who.user.org.id, phone, key))
		return reply_problem(r, 422, "invalid-value", "phone: not a phone number");
	/* As for the earlier contacts: who looked up a number is worth knowing. */
	api_phone_record(key, record);
	api_audit_read(r, record, "phone");
	reply_json_begin(r, 200, &w);
	jw_object(&w);
	jw_key(&w, "items");
	if (write_flags(r, &w, key))
		return api_store_error(r, STORE_ERROR);
	jw_key(&w, "next");
	jw_null(&w);
	jw_finish(&w);
	return 200;
}

/* GET /caller-flags/{id}: one flag as the list of its number shows it, to
 * whom the list shows it: the organisation's, while it is active (a flag
 * is shown until its date only). */
int api_caller_flag_get(struct req *r)
{
	struct caller_flag_row f;
	char today[11];
	jsonw w;
	int rc;

	if (may_read(r))
		return r->status;
	consent_today(today);
	rc = store_flag_get(r->app->st, r->params[0], &f, &r->mem);
	if (rc == STORE_OK && (strcmp(f.org_id, r->who.user.org.id) || strcmp(f.until, today) < 0))
		rc = STORE_NOT_FOUND;
	if (rc != STORE_OK)
		return api_store_error(r, rc);
	reply_json_begin(r, 200, &w);
	write_flag(r, &w, &f);
	jw_finish(&w);
	return 200;
}
