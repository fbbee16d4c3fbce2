/*
 * users.c - the users of the administrator's own organisation: list,
 * create (with a one-time password, answered once), change role,
 * disable (every session and token ends at once), enable, unlock,
 * reset the second factor, reset the password (its sessions and tokens
 * end); and POST /me/password,
 * the change of one's own password (forced after a one-time password).
 *
 * An administrator never sees or touches a user of another organisation:
 * such an id answers 404.  Every change is audited as users/ID.  Argon2id
 * runs on the password worker, never on a request thread.
 */
#include <stdio.h>
#include <string.h>
#include <sodium.h>

#include "api/api.h"
#include "domain/pwrules.h"
#include "fields.h"

#define USERS_LIST_MAX 2000

static const char *const admins[] = {"admin", NULL};

static int admin_only(struct req *r)
{
	if (!api_role_in(r, admins))
		return reply_problem(r, 403, "forbidden", "only an administrator manages users");
	return 0;
}

/* ---- the password worker ------------------------------------------------ */

static void pw_resume(pw_job *job, void *arg)
{
	struct req *r = arg;
	r->phase = job->busy ? API_PW_BUSY : API_PW_DONE;
	http_resume(r);
}

int api_pw_suspend(struct req *r, pw_job *job, char client[64], void *task)
{
	/* Each client address (an IPv6 /64) gets its fair share of the
	 * workers: a flood from some cannot keep the others out. */
	api_client_of(r->addr, client);
	job->client = client;
	job->done = pw_resume;
	job->arg = r;
	r->async = task;
	r->phase = API_PW_WAITING;
	http_suspend(r);
	if (pw_pool_submit(job) != 0) {
		r->phase = API_PW_BUSY;
		http_resume(r);
	}
	return HTTP_SUSPENDED;
}

int api_pw_submit(struct req *r, struct api_pw_task *t)
{
	t->job.password = t->password;
	if (t->new_password[0])
		t->job.new_password = t->new_password;
	t->job.hash_out = t->hash;
	return api_pw_suspend(r, &t->job, t->client, t);
}

void api_pw_wipe(struct api_pw_task *t)
{
	sodium_memzero(t->password, sizeof t->password);
	sodium_memzero(t->new_password, sizeof t->new_password);
	sodium_memzero(t->hash, sizeof t->hash);
}

void api_password_new(char out[24], const struct pw_context *ctx)
{
	do
		password_generate(out);
	while (pwrules_check(out, ctx) != PW_OK);
}

/* The rules of a password for user u of this server. */
static struct pw_context pw_context_of(const struct req *r, const struct user *u)
{
	struct pw_context ctx = {u->login, u->org.code, u->org.name, r->app->demo_folder};
	return ctx;
}

/* The answer when the worker could not take the job. */
static int pw_busy(struct req *r, struct api_pw_task *t)
{
	api_pw_wipe(t);
	reply_header(r, "Retry-After", "1");
	return reply_problem(r, 503, "busy", "the server is busy; try again in a moment");
}

/* ---- reading bodies ------------------------------------------------------ */

/* The body's members must be among allowed (NULL-terminated) and strings. */
static int string_members(struct req *r, json_t *body, const char *const *allowed)
{
	const char *key;
	json_t *v;

	json_object_foreach(body, key, v) {
		const char *const *a;
		for (a = allowed; *a && strcmp(*a, key); a++)
			;
		if (!*a)
			return reply_problemf(r, 422, "unknown-field", "%s: is not a field here", key);
		if (!json_is_string(v))
			return reply_problemf(r, 422, "invalid-value", "%s: must be a string", key);
	}
	return 0;
}

/* A required role member; NULL with the problem set. */
static const char *role_member(struct req *r, json_t *body)
{
	json_t *v = json_object_get(body, "role");

	if (!v) {
		reply_problem(r, 422, "missing-field", "role: is required");
		return NULL;
	}
	if (!codelist_has(&cl_role, json_string_value(v))) {
		reply_problem(r, 422, "invalid-value", "role: not a role (GET /api/v1/roles)");
		return NULL;
	}
	return json_string_value(v);
}

/* A body that must be empty or absent. */
static int no_fields(struct req *r)
{
	if (r->body.len && !req_json_object(r))
		return r->status;
	if (r->body_json && json_object_size(r->body_json))
		return reply_problem(r, 422, "unknown-field", "this action takes no fields");
	return 0;
}

/* ---- answers ------------------------------------------------------------- */

static void write_user_row(struct req *r, jsonw *w, const struct user_row *u)
{
	jw_object(w);
	jw_kstr(w, "id", u->id);
	jw_kstr(w, "login", u->login);
	jw_kstr(w, "role", u->role);
	jw_kbool(w, "disabled", u->disabled);
	jw_kbool(w, "totp_enabled", u->totp_enabled);
	/* a failure of the database shows as locked rather than hide a lock */
	jw_kbool(w, "locked", lockout_locked(r->app->lockout, u->login, store_unix_now()) != 0);
	jw_kbool(w, "must_change_password", u->must_change_password);
	jw_kstr(w, "created", u->created);
}

static void row_of(const struct user *u, struct user_row *row)
{
	memset(row, 0, sizeof *row);
	snprintf(row->id, sizeof row->id, "%s", u->id);
	snprintf(row->login, sizeof row->login, "%s", u->login);
	snprintf(row->role, sizeof row->role, "%s", u->role);
	row->disabled = u->disabled;
	row->totp_enabled = u->totp_enabled;
	row->must_change_password = u->must_change_password;
}

/* Answer one user as the list shows it (created is not in struct user:
 * read the row again), with the one-time password when given. */
static int answer_user(struct req *r, int status, const char *user_id, const char *password)
{
	struct user_row *rows = NULL, row;
	struct user u;
	size_t n = 0, i;
	jsonw w;

	if (store_user_by_id(r->app->st, user_id, &u) != STORE_OK)
		return api_store_error(r, STORE_ERROR);
	row_of(&u, &row);
	if (store_user_list(r->app->st, u.org.id, USERS_LIST_MAX, &rows, &n, &r->mem) == STORE_OK)
		for (i = 0; i < n; i++)
			if (!strcmp(rows[i].id, u.id))
				memcpy(row.created, rows[i].created, sizeof row.created);
	sodium_memzero(u.pwhash, sizeof u.pwhash);
	reply_json_begin(r, status, &w);
	write_user_row(r, &w, &row);
	if (password)
		jw_kstr(&w, "password", password);
	jw_finish(&w);
	return status;
}

/* The user of the path, of the caller's organisation; 0, or the 404. */
static int target_user(struct req *r, struct user *u)
{
	const char *id = r->params[0];
	int rc = strlen(id) < ID_LEN ? store_user_by_id(r->app->st, id, u) : STORE_NOT_FOUND;

	if (rc == STORE_OK && strcmp(u->org.id, r->who.user.org.id))
		rc = STORE_NOT_FOUND;
	if (rc == STORE_NOT_FOUND)
		return reply_problem(r, 404, "not-found", "no such user in your organisation");
	if (rc != STORE_OK)
		return api_store_error(r, rc);
	return 0;
}

/* ---- GET /users ---------------------------------------------------------- */

int api_users_list(struct req *r)
{
	struct user_row *rows;
	size_t n = 0, i;
	jsonw w;

	if (admin_only(r))
		return r->status;
	if (store_user_list(r->app->st, r->who.user.org.id, USERS_LIST_MAX, &rows, &n, &r->mem) !=
	    STORE_OK)
		return api_store_error(r, STORE_ERROR);
	api_audit_read(r, "users", NULL);
	api_list_begin(r, &w);
	for (i = 0; i < n; i++) {
		write_user_row(r, &w, &rows[i]);
		jw_end(&w);
	}
	return api_list_end(&w, NULL);
}

/* ---- POST /users --------------------------------------------------------- */

struct user_create {
	struct api_pw_task t; /* first: the task is r->async */
	char login[65];
	char role[32];
};

static const char *const create_fields[] = {"login", "role", NULL};

static int create_start(struct req *r)
{
	struct user_create *c;
	const char *login, *role;
	json_t *body, *v;
	struct user existing;

	if (admin_only(r))
		return r->status;
	if (r->who.kind != AUTH_COOKIE)
		return reply_problem(r, 403, "forbidden", "sign in to manage users");
	body = req_json_object(r);
	if (!body || string_members(r, body, create_fields))
		return r->status;
	v = json_object_get(body, "login");
	if (!v)
		return reply_problem(r, 422, "missing-field", "login: is required");
	login = json_string_value(v);
	if (!account_login_ok(login))
		return reply_problem(r, 422, "invalid-value",
				     "login: 2 to 64 letters, digits, . _ - @");
	if (!(role = role_member(r, body)))
		return r->status;
	if (store_user_by_login(r->app->st, login, &existing) == STORE_OK)
		return reply_problem(r, 409, "login-taken", "this login is taken");
	c = arena_alloc(&r->mem, sizeof *c);
	if (!c)
		return reply_problem(r, 500, "internal", "out of memory");
	snprintf(c->login, sizeof c->login, "%s", login);
	snprintf(c->role, sizeof c->role, "%s", role);
	{
		struct pw_context ctx = pw_context_of(r, &r->who.user);
		ctx.login = c->login;
		api_password_new(c->t.password, &ctx);
	}
	return api_pw_submit(r, &c->t);
}

static int create_finish(struct req *r, struct user_create *c)
{
	char id[ID_LEN], record[64];
	store_tx *tx;
	int rc;

	if (!c->t.job.ok) {
		api_pw_wipe(&c->t);
		return reply_problem(r, 500, "internal", "the password could not be hashed");
	}
	tx = store_begin(r->app->st);
	rc = tx ? store_user_add(tx, r->who.user.org.id, c->login, c->role, c->t.hash, id)
		: STORE_ERROR;
	if (rc == STORE_OK)
		rc = store_user_set_password(tx, id, c->t.hash, 1);
	if (rc == STORE_OK) {
		snprintf(record, sizeof record, "users/%s", id);
		rc = api_audit_write(r, tx, "create", record, "login,role,password");
	}
	if (rc == STORE_CONFLICT) {
		store_rollback(tx);
		api_pw_wipe(&c->t);
		return reply_problem(r, 409, "login-taken", "this login is taken");
	}
	if ((rc = api_tx_end(r, tx, rc))) {
		api_pw_wipe(&c->t);
		return rc;
	}
	rc = answer_user(r, 201, id, c->t.password);
	api_pw_wipe(&c->t);
	return rc;
}

int api_users_create(struct req *r)
{
	switch (r->phase) {
	case API_PW_START:
		return create_start(r);
	case API_PW_DONE:
		return create_finish(r, r->async);
	case API_PW_BUSY:
		return pw_busy(r, r->async);
	default:
		return reply_problem(r, 500, "internal", "unexpected state");
	}
}

/* ---- actions on one user -------------------------------------------------- */

/* Run one audited change of a user in a transaction; `change` does the
 * writes.  Then forget cached sign-ins and answer the user. */
typedef int (*user_change_fn)(store_tx *tx, const struct user *u, const void *arg);

static int user_action(struct req *r, const struct user *u, user_change_fn change,
		       const void *arg, const char *action, const char *fields)
{
	char record[64];
	store_tx *tx = store_begin(r->app->st);
	int rc = tx ? change(tx, u, arg) : STORE_ERROR;

	if (rc == STORE_OK) {
		snprintf(record, sizeof record, "users/%s", u->id);
		rc = api_audit_write(r, tx, action, record, fields);
	}
	if ((rc = api_tx_end(r, tx, rc)))
		return rc;
	api_auth_changed();
	return answer_user(r, 200, u->id, NULL);
}

/* Load the path's user for an action that is not for one's own account. */
static int target_other(struct req *r, struct user *u, const char *what)
{
	if (admin_only(r) || target_user(r, u))
		return r->status;
	if (!strcmp(u->id, r->who.user.id))
		return reply_problemf(r, 409, "own-account",
				      "you cannot %s your own account: ask another administrator",
				      what);
	return 0;
}

static int change_role(store_tx *tx, const struct user *u, const void *arg)
{
	return store_user_set_role(tx, u->id, arg);
}

static const char *const role_fields[] = {"role", NULL};

int api_user_role(struct req *r)
{
	const char *role;
	json_t *body;
	struct user u;

	if (target_other(r, &u, "change the role of"))
		return r->status;
	body = req_json_object(r);
	if (!body || string_members(r, body, role_fields) || !(role = role_member(r, body)))
		return r->status;
	return user_action(r, &u, change_role, role, "update", "role");
}

/* Offboarding: the account, its sessions and its tokens end at once. */
int api_user_change_disable(store_tx *tx, const struct user *u, const void *arg)
{
	int rc = store_user_set_disabled(tx, u->id, 1);
	(void)arg;
	if (rc == STORE_OK)
		rc = store_user_sessions_end(tx, u->id, NULL);
	if (rc == STORE_OK)
		rc = store_user_tokens_revoke(tx, u->id);
	return rc;
}

int api_user_disable(struct req *r)
{
	struct user u;

	if (target_other(r, &u, "disable") || no_fields(r))
		return r->status;
	return user_action(r, &u, api_user_change_disable, NULL, "disable", "disabled,sessions,tokens");
}

int api_user_change_enable(store_tx *tx, const struct user *u, const void *arg)
{
	(void)arg;
	return store_user_set_disabled(tx, u->id, 0);
}

int api_user_enable(struct req *r)
{
	struct user u;

	if (target_other(r, &u, "enable") || no_fields(r))
		return r->status;
	return user_action(r, &u, api_user_change_enable, NULL, "enable", "disabled");
}

/* The login's failures go in the transaction that audits the unlock. */
static int unlock_login(store_tx *tx, const struct user *u, const void *lockout)
{
	return lockout_clear_tx(lockout, tx, u->login) == 0 ? STORE_OK : STORE_ERROR;
}

int api_user_unlock(struct req *r)
{
	struct user u;

	if (admin_only(r) || target_user(r, &u) || no_fields(r))
		return r->status;
	return user_action(r, &u, unlock_login, r->app->lockout, "unlock", "lockout");
}

/* A lost phone: the factor goes, and so do the sessions it opened. */
static int change_reset_totp(store_tx *tx, const struct user *u, const void *arg)
{
	int rc = store_user_set_totp(tx, u->id, NULL, 0, 0);
	(void)arg;
	if (rc == STORE_OK)
		rc = store_user_sessions_end(tx, u->id, NULL);
	return rc;
}

int api_user_reset_totp(struct req *r)
{
	struct user u;

	if (target_other(r, &u, "reset the second factor of") || no_fields(r))
		return r->status;
	return user_action(r, &u, change_reset_totp, NULL, "totp-reset", "totp,sessions");
}

/* ---- POST /users/{id}/reset-password -------------------------------------- */

struct user_reset {
	struct api_pw_task t;
	struct user u;
};

/* A reset is for an account that may be in other hands: every way in
 * ends, its sessions and its API tokens (which a change of one's own
 * password keeps: the user knew the old one). */
int api_user_change_password(store_tx *tx, const struct user *u, const void *arg)
{
	int rc = store_user_set_password(tx, u->id, arg, 1);
	if (rc == STORE_OK)
		rc = store_user_sessions_end(tx, u->id, NULL);
	if (rc == STORE_OK)
		rc = store_user_tokens_revoke(tx, u->id);
	return rc;
}

static int reset_finish(struct req *r, struct user_reset *c)
{
	char record[64];
	store_tx *tx;
	int rc;

	if (!c->t.job.ok) {
		api_pw_wipe(&c->t);
		return reply_problem(r, 500, "internal", "the password could not be hashed");
	}
	tx = store_begin(r->app->st);
	rc = tx ? api_user_change_password(tx, &c->u, c->t.hash) : STORE_ERROR;
	if (rc == STORE_OK && lockout_clear_tx(r->app->lockout, tx, c->u.login) != 0)
		rc = STORE_ERROR;
	if (rc == STORE_OK) {
		snprintf(record, sizeof record, "users/%s", c->u.id);
		rc = api_audit_write(r, tx, "password-reset", record, "password,sessions,tokens");
	}
	if ((rc = api_tx_end(r, tx, rc))) {
		api_pw_wipe(&c->t);
		return rc;
	}
	api_auth_changed();
	rc = answer_user(r, 200, c->u.id, c->t.password);
	api_pw_wipe(&c->t);
	sodium_memzero(c->u.pwhash, sizeof c->u.pwhash);
	return rc;
}

int api_user_reset_password(struct req *r)
{
	struct user_reset *c;

	switch (r->phase) {
	case API_PW_START:
		break;
	case API_PW_DONE:
		return reset_finish(r, r->async);
	case API_PW_BUSY:
		return pw_busy(r, r->async);
	default:
		return reply_problem(r, 500, "internal", "unexpected state");
	}
	c = arena_alloc(&r->mem, sizeof *c);
	if (!c)
		return reply_problem(r, 500, "internal", "out of memory");
	if (target_other(r, &c->u, "reset the password of") || no_fields(r))
		return r->status;
	if (r->who.kind != AUTH_COOKIE)
		return reply_problem(r, 403, "forbidden", "sign in to manage users");
	{
		struct pw_context ctx = pw_context_of(r, &c->u);
		api_password_new(c->t.password, &ctx);
	}
	return api_pw_submit(r, &c->t);
}

/* ---- POST /me/password ---------------------------------------------------- */

static const char *const me_password_fields[] = {"current", "new", NULL};

/* Copy a required string member into out[outlen]; 0, or the problem. */
static int secret_member(struct req *r, json_t *body, const char *name, char *out, size_t outlen)
{
	json_t *v = json_object_get(body, name);
	size_t n;

	if (!v)
		return reply_problemf(r, 422, "missing-field", "%s: is required", name);
	n = json_string_length(v);
	if (n == 0 || n >= outlen)
		return reply_problemf(r, 422, "invalid-value", "%s: has a wrong length", name);
	memcpy(out, json_string_value(v), n);
	out[n] = '\0';
	sodium_memzero((char *)json_string_value(v), n);
	return 0;
}

static int me_password_start(struct req *r)
{
	struct api_pw_task *t;
	enum pw_verdict verdict;
	json_t *body = req_json_object(r);
	int64_t left;

	if (!body || string_members(r, body, me_password_fields))
		return r->status;
	t = arena_alloc(&r->mem, sizeof *t);
	if (!t)
		return reply_problem(r, 500, "internal", "out of memory");
	if (secret_member(r, body, "current", t->password, sizeof t->password) ||
	    secret_member(r, body, "new", t->new_password, sizeof t->new_password)) {
		api_pw_wipe(t);
		return r->status;
	}
	sodium_memzero(r->body.data, r->body.len);
	{
		struct pw_context ctx = pw_context_of(r, &r->who.user);
		verdict = pwrules_check(t->new_password, &ctx);
	}
	if (verdict != PW_OK) {
		api_pw_wipe(t);
		return reply_problemf(r, 422, "weak-password", "new: %s", pwrules_reason(verdict));
	}
	if (!strcmp(t->new_password, t->password)) {
		api_pw_wipe(t);
		return reply_problem(r, 422, "weak-password",
				     "new: the new password must differ from the current one");
	}
	/* A stolen session must not guess the password: the check counts
	 * against the login's lockout like a sign-in. */
	left = lockout_begin(r->app->lockout, r->who.user.login, store_unix_now());
	if (left == LOCKOUT_ERROR) {
		api_pw_wipe(t);
		return api_store_error(r, STORE_BUSY);
	}
	if (left > 0 || left == LOCKOUT_IN_FLIGHT) {
		char ra[24];
		api_pw_wipe(t);
		/* as a sign-in's (api/session.c): when to try again */
		snprintf(ra, sizeof ra, "%lld", left > 0 ? (long long)left : 1LL);
		reply_header(r, "Retry-After", ra);
		return reply_problem(r, 429, "locked",
				     "too many failed attempts for this login; try again later");
	}
	t->job.stored = r->who.user.pwhash;
	return api_pw_submit(r, t);
}

static int me_password_finish(struct req *r, struct api_pw_task *t)
{
	struct user *u = &r->who.user;
	store_tx *tx;
	int rc;

	if (!t->job.ok) {
		struct audit_entry e = {u->id, u->org.id, "password-change-failed", NULL, NULL,
					r->addr};
		api_pw_wipe(t);
		if (lockout_fail(r->app->lockout, u->login, store_unix_now()) != 0)
			return api_store_error(r, STORE_BUSY);
		store_audit_enqueue(r->app->st, &e);
		return reply_problem(r, 403, "wrong-password", "current: the password is wrong");
	}
	tx = store_begin(r->app->st);
	rc = tx ? store_user_set_password(tx, u->id, t->hash, 0) : STORE_ERROR;
	/* the right password: the count of this check goes, as after a sign-in */
	if (rc == STORE_OK && lockout_clear_tx(r->app->lockout, tx, u->login) != 0)
		rc = STORE_ERROR;
	/* Every other session of the user ends: whoever knew the old
	 * password is out. */
	if (rc == STORE_OK)
		rc = store_user_sessions_end(tx, u->id,
					     r->who.kind == AUTH_COOKIE ? r->who.session_id : NULL);
	if (rc == STORE_OK)
		rc = api_audit_write(r, tx, "password-change", NULL, "password");
	api_pw_wipe(t);
	lockout_end(r->app->lockout, u->login);
	if ((rc = api_tx_end(r, tx, rc)))
		return rc;
	api_auth_changed();
	u->must_change_password = 0;
	return api_me(r);
}

int api_me_password(struct req *r)
{
	switch (r->phase) {
	case API_PW_START:
		return me_password_start(r);
	case API_PW_DONE:
		return me_password_finish(r, r->async);
	case API_PW_BUSY:
		lockout_end(r->app->lockout, r->who.user.login);
		return pw_busy(r, r->async);
	default:
		return reply_problem(r, 500, "internal", "unexpected state");
	}
}
