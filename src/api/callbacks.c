/*
 * callbacks.c - the hotline's callback queue (/api/v1/callbacks): book a
 * callback for a number or a contact, with a safe-to-call note; the
 * queue of due, overdue, open and done ones; assignment and outcome.
 * And the public "request a call back" form
 * (/api/v1/public/callback-requests), without login.
 *
 * The public form answers 202 with one fixed body whatever it was sent
 * (valid, invalid, a bot, a duplicate): the thank-you page of public.c
 * for a form-encoded body (a browser without script), else a fixed JSON
 * object.  It never echoes, and it tells
 * nothing about other callers.  Only a body over the cap (413) and an
 * address over its rate (429) answer otherwise.  A submission counts
 * when it carries a valid anti-bot token (a MAC under the installation's
 * form key over its issue time, 3 s to 2 h old) and an empty honeypot;
 * it lands in the queue of the hotline organisation (config hotline_org,
 * default the first organisation) with source "public".
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <sodium.h>

#include "api/api.h"
#include "api/disclose.h"
#include "domain/consent.h"
#include "domain/namekey.h"
#include "domain/record.h"


#define RATE_MAX 5                /* requests per address per window */
#define RATE_WINDOW 600           /* seconds */
#define TOKEN_MIN_AGE 3           /* seconds: a person takes longer to type */
#define TOKEN_MAX_AGE 7200
#define TOKEN_RAW 32              /* issue time 8 + nonce 8 + MAC 16 */
#define TOKEN_MAC 16

static const char ACCEPTED_BODY[] = "{\"status\":\"received\"}";

/* ---- who may ------------------------------------------------------------ */

/* Callbacks are the hotline's work: to anyone else they do not exist. */
static int may_work(struct req *r)
{
	if (policy_allows(ACT_CONTACT_LOG, r->who.user.role, PC_OWN_ORG) >= 0)
		return 0;
	return reply_problem(r, 404, "not-found", "no such resource");
}

static int bad_record(struct req *r, const struct record_error *e)
{
	return reply_problem(r, 422, e->type, e->detail);
}

/* A user of the caller's organisation who works callbacks. */
static int assignee_ok(struct req *r, const char *user_id)
{
	struct user u;
	return store_user_by_id(r->app->st, user_id, &u) == STORE_OK &&
	       !strcmp(u.org.id, r->who.user.org.id) && !u.disabled &&
	       policy_allows(ACT_CONTACT_LOG, u.role, PC_OWN_ORG) >= 0;
}

/* A callback due a day and more ago is a slip (the wrong day, month or
 * year typed): it would arrive overdue, and an outside review's did.
 * One due an hour ago is a call to return now. */
static int due_long_past(const char *due)
{
	char before[TS_LEN];
	time_t t = time(NULL) - 86400;
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(before, sizeof before, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return strcmp(due, before) < 0;
}

/* ---- output ---------------------------------------------------------------- */

static const char *callback_state(const struct callback_row *c, const char *now,
				  const char *day_end)
{
	if (c->done)
		return "done";
	if (strcmp(c->due, now) < 0)
		return "overdue";
	if (strcmp(c->due, day_end) < 0)
		return "due";
	return "open";
}

/* The start of tomorrow in the programme's time zone, where "due today"
 * ends. */
static void day_end_now(char out[TS_LEN])
{
	consent_day_end(out);
}

void api_callback_write(struct req *r, jsonw *w, const struct callback_row *c, json_t *secret,
			int full)
{
	const char *phone = json_string_value(json_object_get(secret, "phone"));
	char now[TS_LEN], day_end[TS_LEN], masked[32], record[64];
	static const char *const texts[] = {"safe_note", "preferred_time", "message", NULL};
	size_t i;

	snprintf(record, sizeof record, "callbacks/%s", c->id);
	store_now(now);
	day_end_now(day_end);
	jw_object(w);
	jw_kstr(w, "id", c->id);
	jw_kint(w, "version", c->version);
	jw_kstr(w, "due", c->due);
	jw_kstr(w, "state", callback_state(c, now, day_end));
	jw_kstr(w, "source", c->source);
	jw_kstr(w, "language", c->language[0] ? c->language : NULL);
	for (i = 0; texts[i]; i++) {
		json_t *v = json_object_get(secret, texts[i]);
		if (v)
			api_write_sealed(r, w, record, texts[i], v);
		else if (!strcmp(texts[i], "safe_note"))
			jw_kstr(w, texts[i], NULL);
	}
	/* The last four digits tell operators apart, not who calls: shown,
	 * not read.  The whole number is read. */
	api_phone_masked(phone, masked, sizeof masked);
	jw_kstr(w, "phone_masked", phone ? masked : NULL);
	if (full && phone)
		api_write_sealed_str(r, w, record, "phone", phone);
	else if (full)
		jw_kstr(w, "phone", NULL);
	jw_kstr(w, "assigned_to", c->assigned_to[0] ? c->assigned_to : NULL);
	jw_kstr(w, "outcome", c->outcome[0] ? c->outcome : NULL);
	jw_kstr(w, "contact_id", c->contact_id[0] ? c->contact_id : NULL);
	jw_kbool(w, "done", c->done);
	jw_kstr(w, "done_at", c->done_at[0] ? c->done_at : NULL);
	jw_kstr(w, "created_at", c->created_at);
	jw_kstr(w, "updated_at", c->updated_at);
	jw_end(w);
}

/* The sealed part of a callback (number, notes), owned by the request;
 * an empty object when there is none, NULL when it does not open. */
static json_t *callback_secret(struct req *r, const struct callback_row *c)
{
	json_t *j = record_open(&r->app->kr, &r->mem, "{}", c->sealed, c->sealed_len, c->id);
	if (j && req_own_json(r, j))
		return NULL;
	return j;
}

int api_callback_of_contact(struct req *r, const char *contact_id, struct callback_row *c,
			    json_t **secret)
{
	if (policy_allows(ACT_CONTACT_LOG, r->who.user.role, PC_OWN_ORG) < 0 ||
	    store_callback_of_contact(r->app->st, contact_id, c, &r->mem) != STORE_OK ||
	    strcmp(c->org_id, r->who.user.org.id))
		return 0;
	return (*secret = callback_secret(r, c)) != NULL;
}

/* ---- booking ------------------------------------------------------------- */

/* Seal the pii members of secret into the row. */
static int callback_seal(struct req *r, struct callback_row *c, json_t *secret)
{
	const char *coded;
	return record_seal(&r->app->kr, &r->mem, &callback_schema, secret, c->id, &coded,
			   &c->sealed, &c->sealed_len);
}

int api_callback_prepare(struct req *r, json_t *obj, const char *phone, const char *contact_id,
			 struct callback_row *c, json_t **secret_out)
{
	static const char *const allowed[] = {"due", "safe_note", "language", "assigned_to", NULL};
	struct record_error e;
	const char *key, *s, *why = NULL;
	json_t *v, *secret;
	size_t i;

	*secret_out = NULL;
	if (!json_is_object(obj))
		return reply_problem(r, 422, "invalid-value", "callback: must be an object");
	if (record_validate(&callback_schema, obj, RECORD_CREATE, &e))
		return bad_record(r, &e);
	json_object_foreach(obj, key, v) {
		for (i = 0; allowed[i] && strcmp(allowed[i], key); i++)
			;
		if (!allowed[i])
			return reply_problemf(r, 422, "invalid-value", "%s: is not set when booking",
					      key);
	}
	s = json_string_value(json_object_get(obj, "assigned_to"));
	if (s && !assignee_ok(r, s))
		return reply_problem(r, 422, "invalid-value",
				     "assigned_to: no hotline user of your organisation");
	memset(c, 0, sizeof *c);
	store_new_id(c->id);
	snprintf(c->org_id, sizeof c->org_id, "%s", r->who.user.org.id);
	c->version = 1;
	snprintf(c->source, sizeof c->source, "operator");
	snprintf(c->due, sizeof c->due, "%s", json_string_value(json_object_get(obj, "due")));
	if (due_long_past(c->due))
		return reply_problem_field(r, 422, "invalid-value", "due",
					   "due: is a day or more in the past");
	s = json_string_value(json_object_get(obj, "language"));
	snprintf(c->language, sizeof c->language, "%s", s ? s : "");
	s = json_string_value(json_object_get(obj, "assigned_to"));
	snprintf(c->assigned_to, sizeof c->assigned_to, "%s", s ? s : "");
	snprintf(c->contact_id, sizeof c->contact_id, "%s", contact_id ? contact_id : "");
	snprintf(c->created_by, sizeof c->created_by, "%s", r->who.user.id);
	store_now(c->created_at);
	memcpy(c->updated_at, c->created_at, TS_LEN);
	if (!record_text_ok(phone ? phone : "", 32, &why))
		return reply_problemf(r, 422, "invalid-value", "phone: %s", why);
	if (api_phone_blind(&r->app->kr, c->org_id, phone, c->phone_key))
		return reply_problem(r, 422, "invalid-value", "phone: not a phone number");
	c->has_phone = 1;
	secret = json_object();
	if (!secret || req_own_json(r, secret))
		return reply_problem(r, 500, "internal", "out of memory");
	json_object_set_new(secret, "phone", json_string(phone));
	if (json_object_get(obj, "safe_note"))
		json_object_set(secret, "safe_note", json_object_get(obj, "safe_note"));
	if (callback_seal(r, c, secret))
		return reply_problem(r, 500, "internal", "out of memory");
	*secret_out = secret;
	return 0;
}

int api_callback_insert(struct req *r, store_tx *tx, const struct callback_row *c, json_t *secret)
{
	char record[64], fields[128];
	int rc = store_callback_insert(tx, c);

	record_pii_fields(&callback_schema, secret, fields, sizeof fields);
	snprintf(record, sizeof record, "callbacks/%s", c->id);
	if (rc == STORE_OK)
		rc = api_audit_write(r, tx, "create", record, fields);
	return rc;
}

/* ---- POST /callbacks ------------------------------------------------------ */

int api_callbacks_create(struct req *r)
{
	struct callback_row c;
	struct contact_row k;
	json_t *body, *secret, *rec;
	const char *phone, *contact_id;
	char phone_copy[64] = "", contact_copy[ID_LEN] = "";
	store_tx *tx;
	int rc;

	if (may_work(r))
		return r->status;
	body = req_json_object(r);
	if (!body)
		return r->status;
	sodium_memzero(r->body.data, r->body.len);
	phone = json_string_value(json_object_get(body, "phone"));
	contact_id = json_string_value(json_object_get(body, "contact_id"));
	if ((json_object_get(body, "phone") && !phone) ||
	    (json_object_get(body, "contact_id") && !contact_id))
		return reply_problem(r, 422, "invalid-value", "phone and contact_id are strings");
	if (phone && strlen(phone) > 32)
		return reply_problem(r, 422, "invalid-value", "phone: is too long");
	if (contact_id) {
		if (strlen(contact_id) >= ID_LEN ||
		    store_contact_get(r->app->st, contact_id, &k, &r->mem) != STORE_OK ||
		    strcmp(k.org_id, r->who.user.org.id))
			return reply_problem(r, 422, "invalid-value",
					     "contact_id: no such contact in your organisation");
		snprintf(contact_copy, sizeof contact_copy, "%s", k.id);
		if (!phone) {
			rec = record_open(&r->app->kr, &r->mem, k.coded, k.sealed, k.sealed_len, k.id);
			if (rec && json_string_value(json_object_get(rec, "caller_phone")))
				snprintf(phone_copy, sizeof phone_copy, "%s",
					 json_string_value(json_object_get(rec, "caller_phone")));
			json_decref(rec);
			if (!phone_copy[0])
				return reply_problem(r, 422, "missing-field",
						     "phone: the contact has no number; give one");
			phone = phone_copy;
		}
	}
	if (!phone)
		return reply_problem(r, 422, "missing-field", "phone: give a number or a contact_id");
	if (phone != phone_copy) {
		snprintf(phone_copy, sizeof phone_copy, "%s", phone);
		phone = phone_copy;
	}
	json_object_del(body, "phone");
	json_object_del(body, "contact_id");
	if (api_callback_prepare(r, body, phone, contact_copy[0] ? contact_copy : NULL, &c, &secret))
		return r->status;
	tx = store_begin(r->app->st);
	if (!tx)
		return api_tx_end(r, tx, STORE_ERROR);
	rc = api_callback_insert(r, tx, &c, secret);
	if ((rc = api_tx_end(r, tx, rc)))
		return rc;
	{
		jsonw w;
		api_set_location(r, "callbacks", c.id);
		reply_json_begin(r, 201, &w);
		api_callback_write(r, &w, &c, secret, 0);
		jw_finish(&w);
	}
	api_set_etag(r, c.version);
	return 201;
}

/* ---- GET /callbacks ---------------------------------------------------------- */

int api_callbacks_list(struct req *r)
{
	const char *state = req_query(r, "state"), *assigned = req_query(r, "assigned");
	char now[TS_LEN], day_end[TS_LEN], after_due[TS_LEN] = "", after_id[ID_LEN] = "";
	struct callback_filter f;
	struct callback_row *rows;
	size_t n = 0, i, limit = PAGE_DEFAULT;
	jsonw w;

	if (may_work(r))
		return r->status;
	store_now(now);
	day_end_now(day_end);
	memset(&f, 0, sizeof f);
	f.org_id = r->who.user.org.id;
	f.done = 0;
	/* state: one of its declared values, or none (api_dispatch) */
	if (!state || !strcmp(state, "open")) {
		f.done = 0;
	} else if (!strcmp(state, "due")) {
		f.due_from = now;
		f.due_before = day_end;
	} else if (!strcmp(state, "overdue")) {
		f.due_before = now;
	} else if (!strcmp(state, "done")) {
		f.done = 1;
	} else {
		f.done = -1; /* all */
	}
	if (assigned && *assigned) {
		if (!strcmp(assigned, "me"))
			assigned = r->who.user.id;
		else if (strlen(assigned) >= ID_LEN)
			return reply_problem(r, 422, "invalid-value", "assigned: me or a user id");
		f.assigned_to = assigned;
	}
	if (api_page(r, PAGE_MAX, &limit, after_due, sizeof after_due, after_id, sizeof after_id))
		return r->status;
	if (after_id[0]) {
		f.after_due = after_due;
		f.after_id = after_id;
	}
	f.limit = limit + 1;
	if (store_callbacks_list(r->app->st, &f, &rows, &n, &r->mem) != STORE_OK)
		return api_store_error(r, STORE_ERROR);
	reply_json_begin(r, 200, &w);
	jw_object(&w);
	jw_key(&w, "items");
	jw_array(&w);
	for (i = 0; i < n && i < limit; i++) {
		/* Not owned by the request, which holds only a few: released here. */
		json_t *secret = record_open(&r->app->kr, &r->mem, "{}", rows[i].sealed,
					     rows[i].sealed_len, rows[i].id);
		if (!secret)
			continue;
		api_callback_write(r, &w, &rows[i], secret, 0);
		json_decref(secret);
	}
	jw_end(&w);
	jw_key(&w, "next");
	if (n > limit) {
		char next[API_CURSOR_LEN];
		api_cursor_seal(r, rows[limit - 1].due, rows[limit - 1].id, next, sizeof next);
		jw_str(&w, next);
	} else {
		jw_null(&w);
	}
	jw_finish(&w);
	return 200;
}

/* ---- GET /callbacks/{id}, PATCH ----------------------------------------------- */

static int callback_load(struct req *r, const char *id, struct callback_row *c)
{
	int rc = store_callback_get(r->app->st, id, c, &r->mem);
	if (rc == STORE_OK && strcmp(c->org_id, r->who.user.org.id))
		rc = STORE_NOT_FOUND;
	return rc == STORE_OK ? 0 : api_store_error(r, rc);
}

int api_callback_get(struct req *r)
{
	struct callback_row c;
	json_t *secret;
	jsonw w;

	if (may_work(r) || callback_load(r, r->params[0], &c))
		return r->status;
	secret = callback_secret(r, &c);
	if (!secret)
		return reply_problem(r, 500, "internal", "the record cannot be opened");
	reply_json_begin(r, 200, &w);
	api_callback_write(r, &w, &c, secret, 1);
	jw_finish(&w);
	api_set_etag(r, c.version);
	return 200;
}

int api_callback_patch(struct req *r)
{
	static const char *const changeable[] = {"assigned_to", "outcome", "done", "due", NULL};
	struct callback_row c;
	struct record_error e;
	json_t *body, *v, *secret;
	const char *key;
	char record[64], fields[128] = "";
	size_t i, used = 0;
	int64_t want;
	store_tx *tx;
	int rc;

	if (may_work(r) || callback_load(r, r->params[0], &c) || api_if_match(r, &want))
		return r->status;
	body = req_json_object(r);
	if (!body)
		return r->status;
	if (record_validate(&callback_schema, body, RECORD_PATCH, &e))
		return bad_record(r, &e);
	json_object_foreach(body, key, v) {
		int k;
		for (i = 0; changeable[i] && strcmp(changeable[i], key); i++)
			;
		if (!changeable[i])
			return reply_problemf(r, 422, "read-only-field", "%s: cannot be changed", key);
		k = snprintf(fields + used, sizeof fields - used, "%s%s", used ? "," : "", key);
		if (k > 0 && (size_t)k < sizeof fields - used)
			used += (size_t)k;
	}
	if (want != c.version)
		return api_store_error(r, STORE_STALE);
	if ((v = json_object_get(body, "due"))) {
		if (json_is_null(v))
			return reply_problem(r, 422, "invalid-value", "due: cannot be removed");
		snprintf(c.due, sizeof c.due, "%s", json_string_value(v));
		if (due_long_past(c.due))
			return reply_problem_field(r, 422, "invalid-value", "due",
						   "due: is a day or more in the past");
	}
	if ((v = json_object_get(body, "assigned_to"))) {
		if (!json_is_null(v) && !assignee_ok(r, json_string_value(v)))
			return reply_problem(r, 422, "invalid-value",
					     "assigned_to: no hotline user of your organisation");
		snprintf(c.assigned_to, sizeof c.assigned_to, "%s",
			 json_is_null(v) ? "" : json_string_value(v));
	}
	if ((v = json_object_get(body, "outcome")))
		snprintf(c.outcome, sizeof c.outcome, "%s",
			 json_is_null(v) ? "" : json_string_value(v));
	store_now(c.updated_at);
	if ((v = json_object_get(body, "done"))) {
		int done = json_is_true(v);
		if (done && !c.done)
			memcpy(c.done_at, c.updated_at, TS_LEN);
		if (!done)
			c.done_at[0] = '\0';
		c.done = done;
	}
	c.version++;
	snprintf(record, sizeof record, "callbacks/%s", c.id);
	tx = store_begin(r->app->st);
	if (!tx)
		return api_tx_end(r, tx, STORE_ERROR);
	rc = store_callback_update(tx, &c);
	if (rc == STORE_OK)
		rc = api_audit_write(r, tx, "update", record, fields);
	if ((rc = api_tx_end(r, tx, rc)))
		return rc;
	secret = callback_secret(r, &c);
	if (!secret)
		return reply_problem(r, 500, "internal", "the record cannot be opened");
	json_object_del(secret, "phone");
	{
		jsonw w;
		reply_json_begin(r, 200, &w);
		api_callback_write(r, &w, &c, secret, 0);
		jw_finish(&w);
	}
	api_set_etag(r, c.version);
	return 200;
}

/* ---- the public form ------------------------------------------------------------ */

static const keyring *form_kr;   /* set once by api_public_form_init */
static struct org hotline;       /* the organisation taking public requests */

int api_public_form_init(struct app *app, char *err, size_t errlen)
{
	int rc;

	form_kr = &app->kr;
	if (app->cfg.hotline_org[0])
		rc = store_org_by_code(app->st, app->cfg.hotline_org, &hotline);
	else
		rc = store_org_home(app->st, &hotline);
	if (rc != STORE_OK) {
		snprintf(err, errlen, "hotline_org: no organisation with the code '%s'",
			 app->cfg.hotline_org);
		return -1;
	}
	return 0;
}

static void token_mac(const unsigned char *msg, size_t n, unsigned char mac[TOKEN_MAC])
{
	crypto_generichash(mac, TOKEN_MAC, msg, n, form_kr->form, KEY_BYTES);
}

size_t api_public_form_token(char *out, size_t outlen)
{
	unsigned char raw[TOKEN_RAW];
	uint64_t t = (uint64_t)time(NULL);
	size_t i;

	if (!form_kr || outlen < sodium_base64_ENCODED_LEN(TOKEN_RAW,
							  sodium_base64_VARIANT_URLSAFE_NO_PADDING)) {
		if (outlen)
			out[0] = '\0';
		return 0;
	}
	for (i = 0; i < 8; i++)
		raw[i] = (unsigned char)(t >> (56 - 8 * i));
	randombytes_buf(raw + 8, 8);
	token_mac(raw, 16, raw + 16);
	sodium_bin2base64(out, outlen, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	return strlen(out);
}

/* Tokens already used: a token is good for one request, so that a bot
 * cannot fetch one and send it again and again within its two hours.
 * Kept in the database (store_once) until the token expires, so that a
 * token used on one server is used up on every server of the database.
 * 1 the first time a (valid) token is seen, else 0 (and 0 when the
 * database fails: the request is dropped like a bot's). */
static int token_first_use(struct req *r, const unsigned char raw[16], int64_t issued, int64_t now)
{
	int first = 0;

	if (store_once(r->app->st, raw, issued + TOKEN_MAX_AGE, now, &first) != STORE_OK)
		return 0;
	return first;
}

/* 1 when the token is ours, between its minimum and maximum age, and not
 * used before (it is used up by this call). */
static int token_valid(struct req *r, const char *token, int64_t now)
{
	unsigned char raw[TOKEN_RAW], mac[TOKEN_MAC];
	size_t n = 0, i;
	uint64_t t = 0;

	if (!form_kr || !token || strlen(token) > 64 ||
	    sodium_base642bin(raw, sizeof raw, token, strlen(token), NULL, &n, NULL,
			      sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
	    n != TOKEN_RAW)
		return 0;
	token_mac(raw, 16, mac);
	if (sodium_memcmp(mac, raw + 16, TOKEN_MAC) != 0)
		return 0;
	for (i = 0; i < 8; i++)
		t = t << 8 | raw[i];
	return (int64_t)t + TOKEN_MIN_AGE <= now && now <= (int64_t)t + TOKEN_MAX_AGE &&
	       token_first_use(r, raw, (int64_t)t, now);
}

int api_public_form_token_get(struct req *r)
{
	char token[64];
	jsonw w;

	if (!api_public_form_token(token, sizeof token))
		return reply_problem(r, 503, "busy", "try again");
	reply_json_begin(r, 200, &w);
	jw_object(&w);
	jw_kstr(&w, "token", token);
	jw_kint(&w, "valid_after_seconds", TOKEN_MIN_AGE);
	jw_kint(&w, "valid_for_seconds", TOKEN_MAX_AGE);
	jw_finish(&w);
	return 200;
}

/* The per-address counters are in the database (store_rate_hit: one
 * UPSERT), so that the limit is the same whichever server a client
 * reaches.  The address is kept as a keyed hash only, for RATE_WINDOW.
 * 1 when this client address may send one more request now, 0 when not,
 * -1 when the database does not answer (then nothing can be recorded:
 * the sender is told so, not that they sent too much). */
static int rate_allow(struct req *r, int64_t now)
{
	unsigned char key[LIMIT_KEY_BYTES];
	char addr[64];
	int allowed = 0;

	api_client_of(r->addr, addr);
	blind_index(&r->app->kr, "rate:public-form", addr, strlen(addr), key);
	if (store_rate_hit(r->app->st, key, RATE_MAX, RATE_WINDOW, now, &allowed) != STORE_OK)
		return -1;
	return allowed;
}

/* Line breaks and tabs of a form's text become spaces, and its
 * text-direction controls go (which the API refuses: a number shown as
 * another than the one dialled; the public form keeps the request). */
static void flatten(json_t *obj, const char *name)
{
	const char *s = json_string_value(json_object_get(obj, name));
	char *copy;
	size_t i, o = 0;

	if (!s)
		return;
	copy = strdup(s);
	if (!copy)
		return;
	for (i = 0; s[i]; i++) {
		size_t skip = record_direction_control(s + i);
		if (skip) {
			i += skip - 1;
			continue;
		}
		copy[o++] = s[i] == '\r' || s[i] == '\n' || s[i] == '\t' ? ' ' : s[i];
	}
	copy[o] = '\0';
	json_object_set_new(obj, name, json_string(copy));
	free(copy);
}

/* Store a public request when it is a real one: 0 when stored or
 * silently dropped, -1 when the store failed. */
static int public_accept(struct req *r, json_t *body, int64_t now)
{
	json_t *website = json_object_get(body, "website"), *secret;
	const char *token = json_string_value(json_object_get(body, "token"));
	const char *phone, *s;
	struct record_error e;
	struct callback_row c;
	char record[64], fields[128], existing[ID_LEN];
	const char *action = "create";
	store_tx *tx;
	int rc;

	if (website && !(json_is_string(website) && !*json_string_value(website)))
		return 0; /* the honeypot: only a bot fills a hidden field */
	if (!token_valid(r, token, now))
		return 0;
	json_object_del(body, "website");
	json_object_del(body, "token");
	flatten(body, "message");
	flatten(body, "preferred_time");
	flatten(body, "phone");
	if (record_validate(&callback_request_schema, body, RECORD_CREATE, &e))
		return 0;
	phone = json_string_value(json_object_get(body, "phone"));
	memset(&c, 0, sizeof c);
	store_new_id(c.id);
	snprintf(c.org_id, sizeof c.org_id, "%s", hotline.id);
	if (api_phone_blind(&r->app->kr, c.org_id, phone, c.phone_key))
		return 0;
	c.has_phone = 1;
	c.version = 1;
	snprintf(c.source, sizeof c.source, "public");
	store_now(c.created_at);
	memcpy(c.updated_at, c.created_at, TS_LEN);
	memcpy(c.due, c.created_at, TS_LEN);
	s = json_string_value(json_object_get(body, "language"));
	snprintf(c.language, sizeof c.language, "%s", s ? s : "");
	secret = json_object();
	if (!secret || req_own_json(r, secret))
		return -1;
	json_object_set(secret, "phone", json_object_get(body, "phone"));
	if (json_object_get(body, "preferred_time"))
		json_object_set(secret, "preferred_time", json_object_get(body, "preferred_time"));
	if (json_object_get(body, "message"))
		json_object_set(secret, "message", json_object_get(body, "message"));
	if (callback_seal(r, &c, secret))
		return -1;
	record_pii_fields(&callback_schema, secret, fields, sizeof fields);
	snprintf(record, sizeof record, "callbacks/%s", c.id);
	tx = store_begin(r->app->st);
	if (!tx)
		return -1;
	/* A number already waiting for a call back is not queued twice, but
	 * the request is not dropped early either: the answer's timing would
	 * tell that the number waits (a rollback costs a fraction of a
	 * commit).  Both paths write one row and one audit entry and commit:
	 * the waiting request is touched, and its audit shows the new ask. */
	rc = store_callback_open_find(tx, c.org_id, c.phone_key, "public", existing);
	if (rc == STORE_OK) {
		snprintf(record, sizeof record, "callbacks/%s", existing);
		snprintf(fields, sizeof fields, "updated_at");
		rc = store_callback_touch(tx, existing, c.updated_at);
		action = "update";
	} else if (rc == STORE_NOT_FOUND) {
		rc = store_callback_insert(tx, &c);
	}
	if (rc == STORE_OK) {
		/* Without the client's address: it could locate the person who
		 * asked for help; the rate limit keeps a keyed hash of it for
		 * RATE_WINDOW only. */
		struct audit_entry a = {NULL, c.org_id, action, record, fields, NULL};
		rc = store_audit_append(tx, &a);
	}
	if (rc != STORE_OK) {
		store_rollback(tx);
		return -1;
	}
	return store_commit(tx) == STORE_OK ? 0 : -1;
}

int api_public_callback_request(struct req *r)
{
	const char *ct = req_header(r, "Content-Type");
	int64_t now = store_unix_now();
	int form = ct && !strncasecmp(ct, "application/x-www-form-urlencoded", 33);
	char why[128];
	json_t *body = NULL;
	int rc = 0;

	rc = rate_allow(r, now);
	if (rc < 0 && form) /* a browser without script: a page, not JSON */
		return api_public_unavailable(r);
	if (rc < 0) {
		reply_header(r, "Retry-After", "60");
		return reply_problem(r, 503, "busy", "the request could not be recorded now; try again"
				     " in a minute, or call the hotline");
	}
	if (rc == 0) {
		reply_header(r, "Retry-After", "600");
		return reply_problem(r, 429, "rate-limited",
				     "too many requests from this address; try again later");
	}
	rc = 0;
	if (form)
		body = body_parse_form(r->body.data ? r->body.data : "", r->body.len, why,
				       sizeof why);
	else if (ct && !strncasecmp(ct, "application/json", 16) && r->body.len)
		body = body_parse_object(r->body.data, r->body.len, why, sizeof why);
	if (r->body.data)
		sodium_memzero(r->body.data, r->body.len);
	if (body && json_is_object(body) && req_own_json(r, body) == 0)
		rc = public_accept(r, body, now);
	if (rc && form)
		return api_public_unavailable(r);
	if (rc)
		return api_store_error(r, STORE_BUSY);
	/* A form posted by a browser without script gets the fixed thank-you
	 * page (public.c); anything else the fixed JSON. */
	if (form)
		return api_public_thanks(r);
	buf_reset(&r->out);
	buf_add(&r->out, ACCEPTED_BODY, sizeof ACCEPTED_BODY - 1);
	r->status = 202;
	r->content_type = "application/json";
	r->static_data = NULL;
	return 202;
}
