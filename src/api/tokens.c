/*
 * tokens.c - API tokens for integrations, managed by an administrator:
 * GET /tokens (never the secrets), POST /tokens (the secret is answered
 * once), POST /tokens/{id}/revoke.  An administrator manages the tokens
 * of the users of the own organisation only, and only from a signed-in
 * session: a token that could make tokens would outlive its expiry.
 * Every change is audited; so is every list.
 */
#include <stdio.h>
#include <string.h>
#include <sodium.h>

#include "api/api.h"
#include "domain/token.h"

#define TOKENS_LIST_MAX 500

static const char *const admins[] = {"admin", NULL};

static int admin_only(struct req *r)
{
	if (!api_role_in(r, admins))
		return reply_problem(r, 403, "forbidden", "only an administrator manages API tokens");
	return 0;
}

static void write_time_or_null(jsonw *w, const char *key, int64_t t)
{
	char ts[TOKEN_TIME_LEN];

	jw_key(w, key);
	if (t <= 0) {
		jw_null(w);
		return;
	}
	token_time_format(t, ts);
	jw_str(w, ts);
}

/* One token as lists show it, never its secret; the object is left
 * open for the caller to add to and end. */
static void write_token(jsonw *w, const struct token_row *t, int64_t now)
{
	jw_object(w);
	jw_kstr(w, "id", t->id);
	jw_kstr(w, "login", t->login);
	jw_kstr(w, "label", t->label);
	jw_kstr(w, "created", t->created);
	write_time_or_null(w, "expires", t->expires);
	write_time_or_null(w, "last_used", t->last_used);
	jw_kbool(w, "revoked", t->revoked);
	jw_kbool(w, "expired", t->expires <= now);
}

int api_tokens_list(struct req *r)
{
	const char *login = req_query(r, "login");
	struct token_row *rows;
	int64_t now = store_unix_now();
	size_t n = 0, i;
	jsonw w;

	if (admin_only(r))
		return r->status;
	if (login && (!*login || strlen(login) > 128))
		return reply_problem(r, 422, "invalid-value", "login: has a wrong length");
	if (store_token_list(r->app->st, r->who.user.org.id, login, TOKENS_LIST_MAX, &rows, &n,
			     &r->mem) != STORE_OK)
		return api_store_error(r, STORE_ERROR);
	api_audit_read(r, "tokens", login ? "login" : NULL);
	api_list_begin(r, &w);
	for (i = 0; i < n; i++) {
		write_token(&w, &rows[i], now);
		jw_end(&w);
	}
	return api_list_end(&w, NULL);
}

/* The members of POST /tokens: login, and label and expires if given.
 * 0, or the problem's status. */
static int create_body(struct req *r, json_t *body, const char **login, const char **label,
		       int64_t now, int64_t *expires)
{
	const char *key;
	json_t *v;

	*login = NULL;
	*label = "";
	*expires = token_expiry_days(now, TOKEN_DAYS_DEFAULT);
	json_object_foreach(body, key, v) {
		if (strcmp(key, "login") && strcmp(key, "label") && strcmp(key, "expires"))
			return reply_problemf(r, 422, "unknown-field", "%s: is not a field here", key);
		if (!json_is_string(v))
			return reply_problemf(r, 422, "invalid-value", "%s: must be a string", key);
	}
	v = json_object_get(body, "login");
	if (!v)
		return reply_problem(r, 422, "missing-field", "login: is required");
	*login = json_string_value(v);
	if (!**login || strlen(*login) > 128)
		return reply_problem(r, 422, "invalid-value", "login: has a wrong length");
	v = json_object_get(body, "label");
	if (v) {
		*label = json_string_value(v);
		if (!token_label_ok(*label))
			return reply_problemf(r, 422, "invalid-value",
					      "label: 1 to %d characters of text", TOKEN_LABEL_MAX);
	}
	v = json_object_get(body, "expires");
	if (v) {
		int rc = token_expiry_parse(json_string_value(v), now, expires);
		if (rc == -1)
			return reply_problem(r, 422, "invalid-value",
					     "expires: give YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ");
		if (rc != 0)
			return reply_problemf(r, 422, "invalid-value",
					      "expires: must be after now and within %d days",
					      TOKEN_DAYS_MAX);
	}
	return 0;
}

/* Whether a role reads records of persons (policy: persons, cases or the
 * hotline's contacts, of its own organisation or by referral). */
static int reads_personal_data(const char *role)
{
	static const enum policy_action acts[] = {ACT_PERSON_READ, ACT_CASE_READ};
	size_t i;
	for (i = 0; i < sizeof acts / sizeof acts[0]; i++)
		if (policy_allows(acts[i], role, PC_OWN_ORG) >= 0 ||
		    policy_allows(acts[i], role, PC_REFERRAL_ACCEPTED) >= 0)
			return 1;
	return !strcmp(role, "hotline");
}

int api_tokens_create(struct req *r)
{
	struct app *app = r->app;
	const char *login, *label;
	int64_t now = store_unix_now(), expires;
	unsigned char h[HASH_BYTES];
	char secret[44], id[ID_LEN], record[64];
	struct token_row t;
	struct user u;
	json_t *body;
	store_tx *tx;
	int rc;
	jsonw w;

	if (admin_only(r))
		return r->status;
	if (r->who.kind != AUTH_COOKIE)
		return reply_problem(r, 403, "forbidden",
				     "a token cannot make tokens: sign in to make one");
	body = req_json_object(r);
	if (!body)
		return r->status;
	if (create_body(r, body, &login, &label, now, &expires))
		return r->status;
	rc = store_user_by_login(app->st, login, &u);
	if (rc == STORE_OK && (strcmp(u.org.id, r->who.user.org.id) || u.disabled))
		rc = STORE_NOT_FOUND;
	if (rc == STORE_NOT_FOUND)
		return reply_problem(r, 422, "invalid-value",
				     "login: no such user in your organisation");
	if (rc != STORE_OK)
		return api_store_error(r, rc);
	if (u.totp_required)
		return reply_problem(r, 422, "second-factor-required",
				     "this user's role requires a second factor, which a token "
				     "cannot give: its tokens are refused");
	/* An administrator sees no personal data: a token it made for a user
	 * who does would let it read as that user (the reads blamed on them),
	 * and would go round that user's own second factor.  Such tokens are
	 * made on the server (`himoya token create`), by whoever runs it. */
	if (reads_personal_data(u.role) || u.totp_enabled)
		return reply_problem(r, 403, "forbidden",
				     "login: this user reads personal data or signs in with a second "
				     "factor; an administrator makes tokens for analysts, trainers and "
				     "administrators only (tokens for others: himoya token create on "
				     "the server)");
	random_token(secret);
	token_hash(&app->kr, secret, h);
	tx = store_begin(app->st);
	rc = tx ? store_token_add(tx, h, u.id, label, expires, id) : STORE_ERROR;
	if (rc == STORE_OK) {
		snprintf(record, sizeof record, "tokens/%s", id);
		rc = api_audit_write(r, tx, "token-create", record, "user,label,expires");
	}
	if ((rc = api_tx_end(r, tx, rc))) {
		sodium_memzero(secret, sizeof secret);
		return rc;
	}
	memset(&t, 0, sizeof t);
	if (store_token_by_id(app->st, id, &t) != STORE_OK) {
		sodium_memzero(secret, sizeof secret);
		return api_store_error(r, STORE_ERROR);
	}
	reply_json_begin(r, 201, &w);
	write_token(&w, &t, now);
	jw_kstr(&w, "token", secret);
	jw_finish(&w);
	sodium_memzero(secret, sizeof secret);
	return 201;
}

int api_token_revoke(struct req *r)
{
	const char *id = r->params[0];
	struct token_row t;
	char record[64];
	store_tx *tx;
	int rc;
	jsonw w;

	if (admin_only(r))
		return r->status;
	if (r->body.len && !req_json_object(r))
		return r->status;
	if (r->body_json && json_object_size(r->body_json))
		return reply_problem(r, 422, "unknown-field", "revoke takes no fields");
	rc = strlen(id) < ID_LEN ? store_token_by_id(r->app->st, id, &t) : STORE_NOT_FOUND;
	if (rc == STORE_OK && strcmp(t.org_id, r->who.user.org.id))
		rc = STORE_NOT_FOUND;
	if (rc == STORE_NOT_FOUND)
		return reply_problem(r, 404, "not-found", "no such token");
	if (rc != STORE_OK)
		return api_store_error(r, rc);
	if (t.revoked)
		return reply_problem(r, 409, "already-revoked", "this token was revoked already");
	snprintf(record, sizeof record, "tokens/%s", t.id);
	tx = store_begin(r->app->st);
	rc = tx ? store_token_revoke(tx, t.id) : STORE_ERROR;
	if (rc == STORE_CONFLICT) {
		store_rollback(tx);
		return reply_problem(r, 409, "already-revoked", "this token was revoked already");
	}
	if (rc == STORE_OK)
		rc = api_audit_write(r, tx, "token-revoke", record, "revoked");
	if ((rc = api_tx_end(r, tx, rc)))
		return rc;
	api_auth_changed();
	t.revoked = 1;
	reply_json_begin(r, 200, &w);
	write_token(&w, &t, store_unix_now());
	jw_finish(&w);
	return 200;
}
