/*
 * session.c - signing in and out, the current user, and enrolment of the
 * second factor (TOTP).
 *
 * Password checks run on the password worker (crypto/password.c): the
 * handler suspends the connection, the worker resumes it, and the handler
 * is called again to finish.  Request threads never run Argon2id, so a
 * storm of logins cannot stall other requests.
 *
 * A sign-in reads its login's lock and writes nothing before the password
 * is checked (domain/lockout.h): a failure is then counted, a success
 * writes its session.  Neither a locked login nor an unknown one makes
 * the server open a write transaction before a failure to count.  The
 * count is a job of the group commit (store/commit.h): the request waits
 * suspended, not on a request thread, and a storm of wrong passwords is
 * counted many to a transaction, so that it keeps neither the request
 * threads nor the writer from the other requests (on PostgreSQL a count
 * of its own took a request thread for a whole durable commit).
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sodium.h>

#include "api/api.h"
#include "api/metrics.h"

/* The phases of a sign-in are those of any password work (api_pw_suspend). */
enum {
	LOGIN_START = API_PW_START,
	LOGIN_CHECKED = API_PW_DONE,
	LOGIN_BUSY = API_PW_BUSY,
	LOGIN_COUNTING, /* a failure being counted (the group commit) */
	LOGIN_COUNTED,
};

struct login {
	pw_job job;
	struct store_job count; /* the failure's count */
	struct req *r;
	const char *fail_type, *fail_detail;
	int fail_audited;       /* a "login-failed" entry goes with the answer */
	struct user user;
	int found;
	char password[1025];
	char totp[16];
	char login[129];
	char client[64];
};

static const char *const login_fields[] = {"login", "password", "totp", NULL};

static int only_fields(struct req *r, json_t *o, const char *const *allowed)
{
	const char *key;
	json_t *v;
	json_object_foreach(o, key, v) {
		const char *const *a;
		for (a = allowed; *a; a++)
			if (!strcmp(*a, key))
				break;
		if (!*a)
			return reply_problemf(r, 422, "unknown-field", "%s: is not a field here", key);
	}
	return 0;
}

/* Copy a string member into out; 0, or a problem status. */
static int take_string(struct req *r, json_t *o, const char *name, char *out, size_t outlen,
		       int required)
{
	json_t *v = json_object_get(o, name);
	size_t n;
	if (!v) {
		if (!required)
			return 0;
		return reply_problemf(r, 422, "missing-field", "%s: is required", name);
	}
	if (!json_is_string(v))
		return reply_problemf(r, 422, "invalid-value", "%s: must be a string", name);
	n = json_string_length(v);
	if (n == 0 || n >= outlen)
		return reply_problemf(r, 422, "invalid-value", "%s: has a wrong length", name);
	memcpy(out, json_string_value(v), n);
	out[n] = '\0';
	sodium_memzero((char *)json_string_value(v), n);
	return 0;
}

static void write_user(jsonw *w, const struct user *u)
{
	jw_key(w, "user");
	jw_object(w);
	jw_kstr(w, "id", u->id);
	jw_kstr(w, "login", u->login);
	jw_kstr(w, "role", u->role);
	jw_kbool(w, "totp_enabled", u->totp_enabled);
	jw_key(w, "org");
	jw_object(w);
	jw_kstr(w, "id", u->org.id);
	jw_kstr(w, "code", u->org.code);
	jw_kstr(w, "name", u->org.name);
	jw_kstr(w, "type", u->org.type);
	jw_kstr(w, "sector", u->org.sector[0] ? u->org.sector : NULL);
	jw_kbool(w, "authority", policy_org_is_authority(u->org.type));
	jw_end(w);
	jw_end(w);
}

static int login_start(struct req *r)
{
	struct app *app = r->app;
	struct login *l;
	json_t *body = req_json_object(r);
	int64_t left;

	if (!body)
		return r->status;
	l = arena_alloc(&r->mem, sizeof *l);
	if (!l)
		return reply_problem(r, 500, "internal", "out of memory");
	if (only_fields(r, body, login_fields) ||
	    take_string(r, body, "login", l->login, sizeof l->login, 1) ||
	    take_string(r, body, "password", l->password, sizeof l->password, 1) ||
	    take_string(r, body, "totp", l->totp, sizeof l->totp, 0)) {
		sodium_memzero(l->password, sizeof l->password);
		return r->status;
	}
	sodium_memzero(r->body.data, r->body.len);
	left = lockout_begin(app->lockout, l->login, store_unix_now());
	if (left == LOCKOUT_ERROR) {
		sodium_memzero(l->password, sizeof l->password);
		return api_store_error(r, STORE_BUSY);
	}
	if (left == LOCKOUT_IN_FLIGHT) {
		sodium_memzero(l->password, sizeof l->password);
		reply_header(r, "Retry-After", "1");
		return reply_problem(r, 429, "locked",
				     "another sign-in of this login is being checked; try again in a moment");
	}
	if (left > 0) {
		char *ra = arena_alloc(&r->mem, 24);
		sodium_memzero(l->password, sizeof l->password);
		if (ra) {
			snprintf(ra, 24, "%lld", (long long)left);
			reply_header(r, "Retry-After", ra);
		}
		return reply_problem(r, 429, "locked",
				     "too many failed sign-ins for this login; try again later");
	}
	l->found = store_user_by_login(app->st, l->login, &l->user) == STORE_OK;
	l->job.stored = l->found ? l->user.pwhash : password_dummy_hash();
	l->job.password = l->password;
	return api_pw_suspend(r, &l->job, l->client, l);
}

static int login_step(struct req *r);

static struct login *login_of_count(struct store_job *j)
{
	return (struct login *)(void *)((char *)j - offsetof(struct login, count));
}

/* On the group's thread, in its transaction. */
static int count_write(store_tx *tx, struct store_job *j)
{
	struct login *l = login_of_count(j);

	return lockout_fail_tx(l->r->app->lockout, tx, l->login, store_unix_now()) == 0
		       ? STORE_OK
		       : STORE_ERROR;
}

/* Committed (or not: count.rc): the login's next attempt may be checked,
 * and this one is answered. */
static void count_done(struct store_job *j)
{
	struct login *l = login_of_count(j);
	struct req *r = l->r;

	lockout_end(r->app->lockout, l->login);
	r->phase = LOGIN_COUNTED; /* l lives in its request, gone once resumed */
	http_resume(r);
}

/* A failed attempt (its answer's type and detail set in l): counted
 * against the login, the request suspended until the count is committed. */
static int login_count(struct req *r, struct login *l)
{
	l->r = r;
	l->count.write = count_write;
	l->count.done = count_done;
	if (!r->app->commits) {
		l->count.rc = lockout_fail(r->app->lockout, l->login, store_unix_now()) == 0
				      ? STORE_OK
				      : STORE_ERROR;
		r->phase = LOGIN_COUNTED;
		return login_step(r);
	}
	r->phase = LOGIN_COUNTING;
	http_suspend(r);
	if (store_group_submit(r->app->commits, &l->count) != STORE_OK) {
		lockout_end(r->app->lockout, l->login);
		l->count.rc = STORE_ERROR;
		r->phase = LOGIN_COUNTED;
		http_resume(r);
	}
	return HTTP_SUSPENDED;
}

/* A failed attempt: counted against the login (its one write), and
 * audited as a failure of the user when the login is one. */
static int login_fail(struct req *r, struct login *l, const char *type, const char *detail)
{
	l->fail_type = type;
	l->fail_detail = detail;
	l->fail_audited = 1;
	return login_count(r, l);
}

/* The answer to a failed attempt once counted. */
static int login_counted(struct req *r)
{
	struct login *l = r->async;
	struct audit_entry e = {l->found ? l->user.id : NULL, l->found ? l->user.org.id : NULL,
				"login-failed", NULL, NULL, r->addr};

	if (l->count.rc != STORE_OK)
		return api_store_error(r, l->count.rc == STORE_UNAVAILABLE ? STORE_UNAVAILABLE
									 : STORE_BUSY);
	if (l->fail_audited)
		store_audit_enqueue(r->app->st, &e);
	return reply_problem(r, 401, l->fail_type, l->fail_detail);
}

/* The attempt ends without a failure to count (a success, or an answer
 * that checked nothing). */
static int login_end(struct req *r, struct login *l, int status)
{
	lockout_end(r->app->lockout, l->login);
	return status;
}

static int login_finish(struct req *r)
{
	struct app *app = r->app;
	struct login *l = r->async;
	char token[44], csrf[44];
	unsigned char sid[HASH_BYTES];
	char *cookie;
	int pending = 0, rc;
	store_tx *tx;
	jsonw w;

	sodium_memzero(l->password, sizeof l->password);
	if (!l->found || !l->job.ok || l->user.disabled)
		return login_fail(r, l, "invalid-credentials", "wrong login or password");
	if (l->user.totp_enabled) {
		unsigned char secret[TOTP_SECRET_BYTES];
		uint64_t step = 0;
		int ok;
		/* Counted: without the code, the password alone was tried. */
		if (!l->totp[0]) {
			l->fail_type = "totp-required";
			l->fail_detail = "enter the code of your authenticator app";
			return login_count(r, l);
		}
		if (l->user.totp_sealed_len != sizeof secret + SEAL_OVERHEAD ||
		    seal_decrypt(&app->kr, l->user.totp_sealed, l->user.totp_sealed_len, l->user.id,
				 secret) != 0)
			return login_end(r, l,
					 reply_problem(r, 500, "internal",
						       "the second factor cannot be read"));
		ok = totp_verify_once(secret, sizeof secret, l->totp, (uint64_t)store_unix_now(),
				      (uint64_t)l->user.totp_step, &step);
		sodium_memzero(secret, sizeof secret);
		if (!ok)
			return login_fail(r, l, "totp-invalid", "the code is wrong or was used already");
		l->user.totp_step = (int64_t)step;
	} else if (l->user.totp_required) {
		pending = 1;
	}

	random_token(token);
	random_token(csrf);
	token_hash(&app->kr, token, sid);
	tx = store_begin(app->st);
	if (!tx)
		return login_end(r, l, api_store_error(r, STORE_BUSY));
	/* The step is taken with compare-and-set in this transaction: of
	 * sign-ins racing with one code, only the first to get here wins. */
	rc = l->user.totp_enabled ? store_user_take_totp_step(tx, l->user.id, l->user.totp_step)
				  : STORE_OK;
	if (rc == STORE_STALE) {
		store_rollback(tx);
		sodium_memzero(token, sizeof token);
		return login_fail(r, l, "totp-invalid", "the code is wrong or was used already");
	}
	if (rc == STORE_OK)
		rc = store_session_add(tx, sid, l->user.id, csrf, pending, l->user.totp_enabled,
				       store_unix_now());
	/* The login's failures go with the sign-in let through. */
	if (rc == STORE_OK && lockout_clear_tx(app->lockout, tx, l->login) != 0)
		rc = STORE_ERROR;
	if (rc == STORE_OK) {
		r->who.kind = AUTH_COOKIE;
		r->who.user = l->user;
		rc = api_audit_write(r, tx, "login", NULL, NULL);
	}
	if ((rc = api_tx_end(r, tx, rc))) {
		sodium_memzero(token, sizeof token);
		return login_end(r, l, rc);
	}
	lockout_end(app->lockout, l->login);

	cookie = arena_alloc(&r->mem, 160);
	if (cookie) {
		snprintf(cookie, 160, "himoya_session=%s; Path=/; HttpOnly; SameSite=Strict%s", token,
			 app->secure_cookies ? "; Secure" : "");
		reply_header(r, "Set-Cookie", cookie);
	}
	sodium_memzero(token, sizeof token);
	reply_json_begin(r, 200, &w);
	jw_object(&w);
	write_user(&w, &l->user);
	jw_kstr(&w, "csrf_token", csrf);
	jw_kbool(&w, "totp_enrolment_required", pending);
	jw_kbool(&w, "password_change_required", l->user.must_change_password);
	jw_finish(&w);
	return 200;
}

/* POST /session, counted by its result when it is answered. */
int api_session_create(struct req *r)
{
	int rc = login_step(r);
	if (rc != HTTP_SUSPENDED && (rc == 200 || rc == 401 || rc == 429 || rc == 503))
		api_metrics_signin(rc);
	return rc;
}

static int login_step(struct req *r)
{
	switch (r->phase) {
	case LOGIN_START:
		return login_start(r);
	case LOGIN_CHECKED:
		return login_finish(r);
	case LOGIN_COUNTED:
		return login_counted(r);
	case LOGIN_BUSY:
		reply_header(r, "Retry-After", "1");
		return login_end(r, r->async,
				 reply_problem(r, 503, "busy",
					       "too many sign-ins at once; try again in a moment"));
	default:
		return reply_problem(r, 500, "internal", "unexpected sign-in state");
	}
}

void api_session_cookie_clear(struct req *r)
{
	reply_header(r, "Set-Cookie", "himoya_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
}

int api_session_delete(struct req *r)
{
	store_tx *tx;
	int rc = STORE_OK;

	if (r->who.kind == AUTH_COOKIE) {
		/* The browser forgets the session whatever the database says:
		 * on a shared office computer, "sign out" during an outage must
		 * not leave it signed in (the 503 says the server's copy was not
		 * ended; it ends at its expiry or the next sign-out). */
		api_session_cookie_clear(r);
		tx = store_begin(r->app->st);
		if (!tx)
			return api_store_error(r, STORE_BUSY);
		rc = store_session_delete(tx, r->who.session_id);
		if (rc == STORE_OK)
			rc = api_audit_write(r, tx, "logout", NULL, NULL);
		if (rc != STORE_OK) {
			store_rollback(tx);
			return api_store_error(r, rc);
		}
		if (store_commit(tx) != STORE_OK)
			return api_store_error(r, STORE_ERROR);
		api_auth_changed();
	}
	r->status = 204;
	return 204;
}

int api_me(struct req *r)
{
	jsonw w;
	reply_json_begin(r, 200, &w);
	jw_object(&w);
	write_user(&w, &r->who.user);
	if (r->who.kind == AUTH_COOKIE) {
		jw_kstr(&w, "csrf_token", r->who.session.csrf);
		/* A session opened before the role came to require a factor
		 * enrols here too, if the user has none yet. */
		jw_kbool(&w, "totp_enrolment_required",
			 r->who.session.totp_pending ||
			 (api_second_factor_missing(r) && !r->who.user.totp_enabled));
		jw_kbool(&w, "password_change_required", r->who.user.must_change_password);
	}
	jw_finish(&w);
	return 200;
}

int api_me_totp_begin(struct req *r)
{
	struct app *app = r->app;
	unsigned char secret[TOTP_SECRET_BYTES];
	unsigned char sealed[TOTP_SECRET_BYTES + SEAL_OVERHEAD];
	char b32[TOTP_B32_LEN], uri[256];
	store_tx *tx;
	int rc;
	jsonw w;

	if (r->who.user.totp_enabled)
		return reply_problem(r, 409, "totp-enabled", "a second factor is already set up");
	totp_secret_new(secret);
	base32_encode(secret, sizeof secret, b32, sizeof b32);
	seal_encrypt(&app->kr, secret, sizeof secret, r->who.user.id, sealed);
	sodium_memzero(secret, sizeof secret);
	tx = store_begin(app->st);
	if (!tx)
		return api_store_error(r, STORE_BUSY);
	rc = store_user_set_totp(tx, r->who.user.id, sealed, sizeof sealed, 0);
	if (rc == STORE_OK)
		rc = api_audit_write(r, tx, "totp-begin", NULL, NULL);
	if ((rc = api_tx_end(r, tx, rc)))
		return rc;
	api_auth_changed();
	snprintf(uri, sizeof uri, "otpauth://totp/Himoya:%s?secret=%s&issuer=Himoya&digits=6&period=30",
		 r->who.user.login, b32);
	reply_json_begin(r, 200, &w);
	jw_object(&w);
	jw_kstr(&w, "secret", b32);
	jw_kstr(&w, "otpauth_uri", uri);
	jw_finish(&w);
	sodium_memzero(b32, sizeof b32);
	sodium_memzero(uri, sizeof uri);
	return 200;
}

static const char *const confirm_fields[] = {"code", NULL};

int api_me_totp_confirm(struct req *r)
{
	struct app *app = r->app;
	struct user *u = &r->who.user;
	unsigned char secret[TOTP_SECRET_BYTES];
	char code[16];
	uint64_t step = 0;
	json_t *body = req_json_object(r);
	store_tx *tx;
	int ok, rc;

	if (!body)
		return r->status;
	if (only_fields(r, body, confirm_fields) || take_string(r, body, "code", code, sizeof code, 1))
		return r->status;
	if (u->totp_enabled)
		return reply_problem(r, 409, "totp-enabled", "a second factor is already set up");
	if (u->totp_sealed_len != sizeof secret + SEAL_OVERHEAD ||
	    seal_decrypt(&app->kr, u->totp_sealed, u->totp_sealed_len, u->id, secret) != 0)
		return reply_problem(r, 409, "totp-not-started", "start the set-up first");
	ok = totp_verify_once(secret, sizeof secret, code, (uint64_t)store_unix_now(), 0, &step);
	sodium_memzero(secret, sizeof secret);
	if (!ok)
		return reply_problem(r, 422, "totp-invalid", "the code is wrong");
	tx = store_begin(app->st);
	if (!tx)
		return api_store_error(r, STORE_BUSY);
	rc = store_user_take_totp_step(tx, u->id, (int64_t)step);
	if (rc == STORE_STALE) {
		store_rollback(tx);
		return reply_problem(r, 422, "totp-invalid", "the code was used already");
	}
	if (rc == STORE_OK)
		rc = store_user_set_totp(tx, u->id, u->totp_sealed, u->totp_sealed_len, 1);
	if (rc == STORE_OK && r->who.kind == AUTH_COOKIE)
		rc = store_session_confirm_totp(tx, r->who.session_id);
	if (rc == STORE_OK)
		rc = api_audit_write(r, tx, "totp-enabled", NULL, NULL);
	if ((rc = api_tx_end(r, tx, rc)))
		return rc;
	u->totp_enabled = 1;
	r->who.session.totp_pending = 0;
	r->who.session.totp_confirmed = 1;
	api_auth_changed();
	return api_me(r);
}
