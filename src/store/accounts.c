/*
 * accounts.c - SQL for organisations, users, role policies, sessions and
 * API tokens.  Session and token ids arrive already hashed.
 */
#include <stdint.h>
#include <string.h>

#include "store/table.h"

static const char SQL_ORG_ADD[] =
	"INSERT INTO orgs(id, code, name, type, created_at) VALUES(?1, ?2, ?3, ?4, ?5)";

/* Organisations as read here, by the directory and by the hotline; they
 * are written by the statements of this file. */
static const struct column org_cols[] = {
	TCOL(struct org, id, COL_TEXT, COL_FIXED),
	TCOL(struct org, code, COL_TEXT, COL_FIXED),
	TCOL(struct org, name, COL_TEXT, 0),
	TCOL(struct org, type, COL_TEXT, 0),
	TCOL(struct org, sector, COL_OPT, 0),
	TCOLN(struct org, created_by, "created_by_org", COL_OPT, 0),
};
struct table store_orgs = TABLE("orgs", org_cols);
static struct table_query q_org_by_code = TABLE_QUERY(store_orgs, "FROM orgs WHERE code = ?1");
static struct table_query q_org_list =
	TABLE_QUERY(store_orgs, "FROM orgs ORDER BY name, code LIMIT ?1");
/* A login is taken whatever its case: by the unique login_key, and by a
 * login of before migration 34 that kept no key (it clashed with another
 * only by case): then nothing is inserted. */
static const char SQL_USER_ADD[] =
	"INSERT INTO users(id, org_id, login, role, pwhash, created_at, login_key)"
	" SELECT ?1, ?2, ?3, ?4, ?5, ?6, lower(?3) WHERE NOT EXISTS (SELECT 1 FROM users"
	"  WHERE login_key IS NULL AND lower(login) = lower(?3))";
/* Users as read; written by the statements of this file. */
static const struct column user_cols[] = {
	TCOL(struct user, id, COL_TEXT, COL_FIXED),
	TCOL(struct user, login, COL_TEXT, COL_FIXED),
	TCOL(struct user, role, COL_TEXT, 0),
	TCOL(struct user, pwhash, COL_TEXT, 0),
	TCOL(struct user, totp_enabled, COL_BOOL, 0),
	TCOLN2(struct user, totp_sealed, "totp", COL_SOME_BYTES, 0, totp_sealed_len),
	TCOL(struct user, disabled, COL_BOOL, 0),
	TCOL(struct user, totp_step, COL_INT, 0),
	TCOL(struct user, must_change_password, COL_BOOL, 0),
};
static struct table users = TABLE("users", user_cols);

/* After a user's columns: the organisation's, and whether the role
 * requires a second factor (USER_MORE_N columns). */
#define USER_MORE \
	", o.id, o.code, o.name, o.type, o.sector," \
	" coalesce((SELECT rp.require_totp FROM role_policy rp WHERE rp.role = u.role), 0)"
#define USER_MORE_N 6
#define USER_FROM " FROM users u JOIN orgs o ON o.id = u.org_id"

static int read_user_more(db_stmt *s, int i, void *row, arena *a)
{
	struct user *u = row;

	(void)a;
	memset(&u->org, 0, sizeof u->org);
	store_col_copy(s, i, u->org.id, sizeof u->org.id);
	store_col_copy(s, i + 1, u->org.code, sizeof u->org.code);
	store_col_copy(s, i + 2, u->org.name, sizeof u->org.name);
	store_col_copy(s, i + 3, u->org.type, sizeof u->org.type);
	store_col_copy(s, i + 4, u->org.sector, sizeof u->org.sector);
	u->totp_required = (int)db_col_int(s, i + 5);
	return STORE_OK;
}

/* A login in any case; one of the clashing pairs migration 34 left
 * without a key only in its exact case. */
static struct table_query q_user_by_login =
	TABLE_QUERY_AS(users, "u", USER_MORE USER_FROM " WHERE u.login_key = lower(?1)"
		       " OR (u.login_key IS NULL AND u.login = ?1)", read_user_more);
static struct table_query q_user_by_id =
	TABLE_QUERY_AS(users, "u", USER_MORE USER_FROM " WHERE u.id = ?1", read_user_more);
static const char SQL_USER_SET_TOTP[] =
	"UPDATE users SET totp = ?2, totp_enabled = ?3 WHERE id = ?1";
/* Compare-and-set: only a later step is taken, so that of two sign-ins
 * with one code only the first to commit changes the row. */
static const char SQL_USER_TAKE_STEP[] =
	"UPDATE users SET totp_step = ?2 WHERE id = ?1 AND totp_step < ?2";
static const char SQL_USER_SET_PW[] =
	"UPDATE users SET pwhash = ?2, must_change_password = ?3 WHERE id = ?1";
/* Users as an organisation's list shows them (read only). */
static const struct column user_row_cols[] = {
	TCOL(struct user_row, id, COL_TEXT, COL_FIXED),
	TCOL(struct user_row, login, COL_TEXT, 0),
	TCOL(struct user_row, role, COL_TEXT, 0),
	TCOL(struct user_row, disabled, COL_BOOL, 0),
	TCOL(struct user_row, totp_enabled, COL_BOOL, 0),
	TCOL(struct user_row, must_change_password, COL_BOOL, 0),
	TCOLN(struct user_row, created, "created_at", COL_TEXT, 0),
};
static struct table user_rows = TABLE("users", user_row_cols);
static struct table_query q_user_list =
	TABLE_QUERY(user_rows, "FROM users WHERE org_id = ?1 ORDER BY login LIMIT ?2");
static const char SQL_USER_SET_ROLE[] = "UPDATE users SET role = ?2 WHERE id = ?1";
static const char SQL_USER_SET_DISABLED[] = "UPDATE users SET disabled = ?2 WHERE id = ?1";
static const char SQL_USER_SESSIONS_END[] =
	"DELETE FROM sessions WHERE user_id = ?1 AND (id <> ?2 OR ?2 IS NULL)";
static const char SQL_USER_TOKENS_REVOKE[] =
	"UPDATE tokens SET revoked = 1 WHERE user_id = ?1 AND revoked = 0";
static const char SQL_ORG_UPDATE[] =
	"UPDATE orgs SET name = ?2, type = ?3, sector = nullif(?4, ''),"
	" created_by_org = coalesce(created_by_org, nullif(?5, '')) WHERE id = ?1";
static const char SQL_ROLE_GET[] = "SELECT require_totp FROM role_policy WHERE role = ?1";
static const char SQL_ROLE_SET[] =
	"INSERT INTO role_policy(role, require_totp) VALUES(?1, ?2)"
	" ON CONFLICT(role) DO UPDATE SET require_totp = excluded.require_totp";
static const char SQL_SESSION_ADD[] =
	"INSERT INTO sessions(id, user_id, csrf, totp_pending, totp_confirmed, created_at, seen_at)"
	" VALUES(?1, ?2, ?3, ?4, ?6, ?5, ?5)";
/* The user, then the session (at users.ncols + USER_MORE_N). */
static struct table_query q_session = TABLE_QUERY_AS(users, "u", USER_MORE
	", s.csrf, s.totp_pending, s.created_at, s.seen_at, s.totp_confirmed FROM sessions s"
	" JOIN users u ON u.id = s.user_id JOIN orgs o ON o.id = u.org_id WHERE s.id = ?1",
	read_user_more);
static const char SQL_SESSION_TOUCH[] = "UPDATE sessions SET seen_at = max(seen_at, ?2) WHERE id = ?1";
static const char SQL_SESSION_CONFIRM[] =
	"UPDATE sessions SET totp_pending = 0, totp_confirmed = 1 WHERE id = ?1";
static const char SQL_SESSION_DEL[] = "DELETE FROM sessions WHERE id = ?1";
static const char SQL_SESSION_SWEEP[] = "DELETE FROM sessions WHERE seen_at < ?1";
static const char SQL_TOKEN_ADD[] =
	"INSERT INTO tokens(id, user_id, label, created_at, public_id, expires_at)"
	" VALUES(?1, ?2, ?3, ?4, ?5, ?6)";
#define TOKEN_COLS \
	"t.public_id, t.user_id, u.login, u.org_id, coalesce(t.label, ''), t.created_at," \
	" t.expires_at, coalesce(t.last_used_at, 0), t.revoked"
/* The user, then the token (at users.ncols + USER_MORE_N). */
static struct table_query q_token = TABLE_QUERY_AS(users, "u", USER_MORE ", " TOKEN_COLS
	" FROM tokens t JOIN users u ON u.id = t.user_id JOIN orgs o ON o.id = u.org_id"
	" WHERE t.id = ?1 AND t.revoked = 0 AND t.expires_at > ?2", read_user_more);
static const char SQL_TOKEN_BY_ID[] =
	"SELECT " TOKEN_COLS " FROM tokens t JOIN users u ON u.id = t.user_id WHERE t.public_id = ?1";
static const char SQL_TOKEN_LIST[] =
	"SELECT " TOKEN_COLS " FROM tokens t JOIN users u ON u.id = t.user_id"
	" WHERE (u.org_id = ?1 OR ?1 IS NULL) AND (lower(u.login) = lower(?2) OR ?2 IS NULL)"
	" ORDER BY t.created_at DESC, t.public_id LIMIT ?3";
static const char SQL_TOKEN_TOUCH[] = "UPDATE tokens SET last_used_at = max(coalesce(last_used_at, 0), ?2)"
	" WHERE public_id = ?1";
static const char SQL_TOKEN_REVOKE[] =
	"UPDATE tokens SET revoked = 1 WHERE public_id = ?1 AND revoked = 0";

int store_org_add(store_tx *tx, const char *code, const char *name, const char *type,
		  char id_out[ID_LEN])
{
	char now[TS_LEN];
	const char *v[] = {id_out, code, name, type, now};

	store_new_id(id_out);
	store_now(now);
	return store_write_texts(tx->d, SQL_ORG_ADD, v, 5);
}

int store_org_by_code(store *st, const char *code, struct org *o)
{
	return table_query_get_pool(st, &q_org_by_code, code, o, NULL);
}

int store_org_by_id(store *st, const char *id, struct org *o)
{
	return table_get(st, &store_orgs, id, o, NULL);
}

int store_user_add(store_tx *tx, const char *org_id, const char *login, const char *role,
		   const char *pwhash, char id_out[ID_LEN])
{
	char now[TS_LEN];
	const char *v[] = {id_out, org_id, login, role, pwhash, now};
	int rc;

	store_new_id(id_out);
	store_now(now);
	rc = store_write_texts(tx->d, SQL_USER_ADD, v, 6);
	return rc == STORE_OK && db_changes(tx->d) != 1 ? STORE_CONFLICT : rc;
}

/* Read TOKEN_COLS starting at column `at`. */
static void read_token(db_stmt *s, int at, struct token_row *t)
{
	memset(t, 0, sizeof *t);
	store_col_copy(s, at + 0, t->id, sizeof t->id);
	store_col_copy(s, at + 1, t->user_id, sizeof t->user_id);
	store_col_copy(s, at + 2, t->login, sizeof t->login);
	store_col_copy(s, at + 3, t->org_id, sizeof t->org_id);
	store_col_copy(s, at + 4, t->label, sizeof t->label);
	store_col_copy(s, at + 5, t->created, sizeof t->created);
	t->expires = db_col_int(s, at + 6);
	t->last_used = db_col_int(s, at + 7);
	t->revoked = (int)db_col_int(s, at + 8);
}

/* A write of one row: ?1 its id, and ?2, when the statement has one, the
 * value (text, or else the integer). */
static int write_one(store_tx *tx, const char *sql, const char *id, const char *text,
		     int64_t value)
{
	db_stmt *s = db_prepare(tx->d, sql);
	if (!s)
		return STORE_ERROR;
	db_bind_str(s, 1, id);
	if (text)
		db_bind_str(s, 2, text);
	else if (db_params(s) >= 2)
		db_bind_int(s, 2, value);
	return store_step_done(s);
}

/* A write of one session: ?1 its id, and ?2, when the statement has one,
 * a time. */
static int session_write(store_tx *tx, const char *sql, const unsigned char id[HASH_BYTES],
			 int64_t now)
{
	db_stmt *s = db_prepare(tx->d, sql);
	if (!s)
		return STORE_ERROR;
	db_bind_blob(s, 1, id, HASH_BYTES);
	if (db_params(s) >= 2)
		db_bind_int(s, 2, now);
	return store_step_done(s);
}

static int user_get(store *st, struct table_query *q, const char *key, struct user *u)
{
	memset(u, 0, sizeof *u);
	return table_query_get_pool(st, q, key, u, NULL);
}

int store_user_by_login(store *st, const char *login, struct user *u)
{
	return user_get(st, &q_user_by_login, login, u);
}

int store_user_by_id(store *st, const char *id, struct user *u)
{
	return user_get(st, &q_user_by_id, id, u);
}

int store_user_set_totp(store_tx *tx, const char *user_id, const unsigned char *sealed,
			size_t len, int enabled)
{
	db_stmt *s = db_prepare(tx->d, SQL_USER_SET_TOTP);
	if (!s)
		return STORE_ERROR;
	db_bind_str(s, 1, user_id);
	if (sealed)
		db_bind_blob(s, 2, sealed, len);
	else
		db_bind_null(s, 2);
	db_bind_int(s, 3, enabled);
	return store_step_done(s);
}

int store_user_take_totp_step(store_tx *tx, const char *user_id, int64_t step)
{
	int rc = write_one(tx, SQL_USER_TAKE_STEP, user_id, NULL, step);
	if (rc == STORE_OK && db_changes(tx->d) != 1)
		rc = STORE_STALE;
	return rc;
}

int store_user_set_password(store_tx *tx, const char *user_id, const char *pwhash,
			    int must_change)
{
	db_stmt *s = db_prepare(tx->d, SQL_USER_SET_PW);
	if (!s)
		return STORE_ERROR;
	db_bind_str(s, 1, user_id);
	db_bind_str(s, 2, pwhash);
	db_bind_int(s, 3, must_change ? 1 : 0);
	return store_step_done(s);
}

int store_user_list(store *st, const char *org_id, size_t max, struct user_row **rows,
		    size_t *n, arena *a)
{
	return table_query_list_pool(st, &q_user_list, org_id, max, sizeof **rows, (void **)rows, n,
				     a);
}

int store_user_set_role(store_tx *tx, const char *user_id, const char *role)
{
	return write_one(tx, SQL_USER_SET_ROLE, user_id, role, 0);
}

int store_user_set_disabled(store_tx *tx, const char *user_id, int disabled)
{
	return write_one(tx, SQL_USER_SET_DISABLED, user_id, NULL, disabled ? 1 : 0);
}

int store_user_sessions_end(store_tx *tx, const char *user_id, const unsigned char *keep)
{
	db_stmt *s = db_prepare(tx->d, SQL_USER_SESSIONS_END);
	if (!s)
		return STORE_ERROR;
	db_bind_str(s, 1, user_id);
	if (keep)
		db_bind_blob(s, 2, keep, HASH_BYTES);
	else
		db_bind_null(s, 2);
	return store_step_done(s);
}

int store_user_tokens_revoke(store_tx *tx, const char *user_id)
{
	return write_one(tx, SQL_USER_TOKENS_REVOKE, user_id, NULL, 0);
}

int store_org_list(store *st, size_t max, struct org **rows, size_t *n, arena *a)
{
	return table_query_list_pool(st, &q_org_list, NULL, max, sizeof **rows, (void **)rows, n,
				     a);
}

int store_org_update(store_tx *tx, const char *id, const char *name, const char *type,
		     const char *sector, const char *created_by)
{
	const char *v[] = {id, name, type, sector ? sector : "", created_by ? created_by : ""};

	return store_write_texts(tx->d, SQL_ORG_UPDATE, v, 5);
}

static const char SQL_ORG_CONTACT_GET[] =
	"SELECT coalesce(contact_phone, ''), coalesce(contact_email, '') FROM orgs WHERE id = ?1";
static const char SQL_ORG_CONTACT_SET[] =
	"UPDATE orgs SET contact_phone = CASE WHEN ?2 = '' THEN NULL ELSE coalesce(?2, contact_phone) END,"
	" contact_email = CASE WHEN ?3 = '' THEN NULL ELSE coalesce(?3, contact_email) END WHERE id = ?1";

int store_org_contact_get(store *st, const char *org_id, struct org_contact *c)
{
	db *d = store_reader_get(st);
	db_stmt *s = db_prepare(d, SQL_ORG_CONTACT_GET);
	int rc;

	c->phone[0] = c->email[0] = '\0';
	if (s)
		db_bind_str(s, 1, org_id);
	rc = store_step_row(s);
	if (rc == STORE_OK) {
		store_col_copy(s, 0, c->phone, sizeof c->phone);
		store_col_copy(s, 1, c->email, sizeof c->email);
		db_reset(s);
	}
	store_reader_put(st, d);
	return rc;
}

int store_org_contact_set(store_tx *tx, const char *org_id, const char *phone, const char *email)
{
	const char *v[] = {org_id, phone, email};

	return store_write_texts(tx->d, SQL_ORG_CONTACT_SET, v, 3);
}

int store_role_requires_totp(store *st, const char *role)
{
	db *d = store_reader_get(st);
	db_stmt *s = db_prepare(d, SQL_ROLE_GET);
	int64_t req;

	if (s)
		db_bind_str(s, 1, role);
	table_int(s, &req); /* no policy (or an error): 0 */
	store_reader_put(st, d);
	return (int)req;
}

int store_role_set_totp(store_tx *tx, const char *role, int required)
{
	db_stmt *s = db_prepare(tx->d, SQL_ROLE_SET);
	if (!s)
		return STORE_ERROR;
	db_bind_str(s, 1, role);
	db_bind_int(s, 2, required ? 1 : 0);
	return store_step_done(s);
}

int store_session_add(store_tx *tx, const unsigned char id[HASH_BYTES], const char *user_id,
		      const char *csrf, int totp_pending, int totp_confirmed, int64_t now)
{
	db_stmt *s = db_prepare(tx->d, SQL_SESSION_ADD);
	if (!s)
		return STORE_ERROR;
	db_bind_blob(s, 1, id, HASH_BYTES);
	db_bind_str(s, 2, user_id);
	db_bind_str(s, 3, csrf);
	db_bind_int(s, 4, totp_pending);
	db_bind_int(s, 5, now);
	db_bind_int(s, 6, totp_confirmed ? 1 : 0);
	return store_step_done(s);
}

int store_session_get(store *st, const unsigned char id[HASH_BYTES], int64_t now,
		      int64_t idle_secs, struct session *ses, struct user *u)
{
	db *d = store_reader_get(st);
	db_stmt *s = db_prepare(d, table_query_sql(&q_session));
	int at = (int)users.ncols + USER_MORE_N;
	int rc;

	if (s)
		db_bind_blob(s, 1, id, HASH_BYTES);
	rc = store_step_row(s);
	if (rc == STORE_OK) {
		memset(u, 0, sizeof *u);
		table_query_read(s, &q_session, u, NULL);
		store_col_copy(s, at, ses->csrf, sizeof ses->csrf);
		ses->totp_pending = (int)db_col_int(s, at + 1);
		ses->created = db_col_int(s, at + 2);
		ses->seen = db_col_int(s, at + 3);
		ses->totp_confirmed = (int)db_col_int(s, at + 4);
		rc = now - ses->seen > idle_secs || u->disabled ? STORE_NOT_FOUND : STORE_OK;
		db_reset(s);
	}
	store_reader_put(st, d);
	return rc;
}

int store_session_touch(store_tx *tx, const unsigned char id[HASH_BYTES], int64_t now)
{
	return session_write(tx, SQL_SESSION_TOUCH, id, now);
}

int store_session_confirm_totp(store_tx *tx, const unsigned char id[HASH_BYTES])
{
	return session_write(tx, SQL_SESSION_CONFIRM, id, 0);
}

int store_session_delete(store_tx *tx, const unsigned char id[HASH_BYTES])
{
	return session_write(tx, SQL_SESSION_DEL, id, 0);
}

int store_session_sweep(store_tx *tx, int64_t now, int64_t idle_secs)
{
	db_stmt *s = db_prepare(tx->d, SQL_SESSION_SWEEP);
	if (!s)
		return STORE_ERROR;
	db_bind_int(s, 1, now - idle_secs);
	return store_step_done(s);
}

int store_token_add(store_tx *tx, const unsigned char hash[HASH_BYTES], const char *user_id,
		    const char *label, int64_t expires, char id_out[ID_LEN])
{
	db_stmt *s = db_prepare(tx->d, SQL_TOKEN_ADD);
	char now[TS_LEN];
	if (!s)
		return STORE_ERROR;
	store_now(now);
	store_new_id(id_out);
	db_bind_blob(s, 1, hash, HASH_BYTES);
	db_bind_str(s, 2, user_id);
	db_bind_str(s, 3, label);
	db_bind_str(s, 4, now);
	db_bind_str(s, 5, id_out);
	db_bind_int(s, 6, expires);
	return store_step_done(s);
}

int store_token_get(store *st, const unsigned char hash[HASH_BYTES], int64_t now, struct user *u,
		    struct token_row *t)
{
	db *d = store_reader_get(st);
	db_stmt *s = db_prepare(d, table_query_sql(&q_token));
	int rc;

	if (s) {
		db_bind_blob(s, 1, hash, HASH_BYTES);
		db_bind_int(s, 2, now);
	}
	rc = store_step_row(s);
	if (rc == STORE_OK) {
		memset(u, 0, sizeof *u);
		table_query_read(s, &q_token, u, NULL);
		if (t)
			read_token(s, (int)users.ncols + USER_MORE_N, t);
		rc = u->disabled ? STORE_NOT_FOUND : STORE_OK;
		db_reset(s);
	}
	store_reader_put(st, d);
	return rc;
}

int store_token_by_id(store *st, const char *id, struct token_row *t)
{
	db *d = store_reader_get(st);
	db_stmt *s = db_prepare(d, SQL_TOKEN_BY_ID);
	int rc;

	if (s)
		db_bind_str(s, 1, id);
	rc = store_step_row(s);
	if (rc == STORE_OK) {
		read_token(s, 0, t);
		db_reset(s);
	}
	store_reader_put(st, d);
	return rc;
}

int store_token_list(store *st, const char *org_id, const char *login, size_t max,
		     struct token_row **rows, size_t *n, arena *a)
{
	db *d = store_reader_get(st);
	db_stmt *s = db_prepare(d, SQL_TOKEN_LIST);
	struct token_row *out = arena_alloc(a, (max ? max : 1) * sizeof *out);
	int rc = DB_ERROR;

	*n = 0;
	if (s && out) {
		db_bind_str(s, 1, org_id);
		db_bind_str(s, 2, login);
		db_bind_int(s, 3, (int64_t)max);
		while (*n < max && (rc = db_step(s)) == DB_ROW)
			read_token(s, 0, &out[(*n)++]);
		db_reset(s);
	}
	store_reader_put(st, d);
	*rows = out;
	return rc == DB_DONE || rc == DB_ROW ? STORE_OK : STORE_ERROR;
}

int store_token_touch(store_tx *tx, const char *id, int64_t now)
{
	return write_one(tx, SQL_TOKEN_TOUCH, id, NULL, now);
}

int store_token_revoke(store_tx *tx, const char *id)
{
	int rc = write_one(tx, SQL_TOKEN_REVOKE, id, NULL, 0);
	if (rc == STORE_OK && db_changes(tx->d) != 1) {
		/* nothing changed: absent, or revoked already */
		db_stmt *q = db_prepare(tx->d, SQL_TOKEN_BY_ID);
		if (!q)
			return STORE_ERROR;
		db_bind_str(q, 1, id);
		rc = db_step(q);
		db_reset(q);
		rc = rc == DB_ROW ? STORE_CONFLICT : rc == DB_DONE ? STORE_NOT_FOUND : STORE_ERROR;
	}
	return rc;
}
