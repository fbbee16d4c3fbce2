/*
 * test_store.c - unit tests of src/store on a temporary SQLite database:
 * opening and migrating (twice), organisations and users, sessions with
 * idle expiry, API tokens, role policies, persons with optimistic
 * versions, blind-index search with its ranking and organisation scope,
 * and the audit chain: appended, verified, tampered with through a second
 * connection, queued and flushed on close, and carried over by a backup.
 * Every test gets a fresh folder with its own key file and database.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "crypto/crypto.h"
#include "store/store.h"
#include "store/store_internal.h"
#include "util/arena.h"

#define NOW 1700000000

struct fixture {
	char dir[64];
	char key[128];
	char db[128];
	char copy[128];
	keyring kr;
	store *st;
	char org[ID_LEN];
	char org2[ID_LEN];
	char user[ID_LEN];
};

/* ---- fixtures ---------------------------------------------------------- */

static void remove_db(const char *path)
{
	static const char *const sides[] = {"-wal", "-shm", "-journal"};
	char side[160];
	size_t i;

	unlink(path);
	for (i = 0; i < sizeof sides / sizeof *sides; i++)
		if (snprintf(side, sizeof side, "%s%s", path, sides[i]) < (int)sizeof side)
			unlink(side);
}

static int open_store(struct fixture *f, int create)
{
	char err[256] = "";
	int rc = store_open(f->db, &f->kr, 2, create, &f->st, err, sizeof err);
	if (rc != STORE_OK)
		print_error("store_open: %s\n", err);
	return rc;
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	char err[256];

	if (!f)
		return -1;
	snprintf(f->dir, sizeof f->dir, "/tmp/himoya-store-XXXXXX");
	if (!mkdtemp(f->dir)) {
		free(f);
		return -1;
	}
	snprintf(f->key, sizeof f->key, "%s/himoya.key", f->dir);
	snprintf(f->db, sizeof f->db, "%s/himoya.db", f->dir);
	snprintf(f->copy, sizeof f->copy, "%s/backup.db", f->dir);
	if (key_file_create(f->key) != 0 || key_file_load(f->key, &f->kr, err, sizeof err) != 0 ||
	    open_store(f, 1) != STORE_OK) {
		free(f);
		return -1;
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	char other[160];

	snprintf(other, sizeof other, "%s/other.key", f->dir);
	unlink(other);
	store_close(f->st);
	keyring_wipe(&f->kr);
	remove_db(f->db);
	remove_db(f->copy);
	unlink(f->key);
	rmdir(f->dir);
	free(f);
	return 0;
}

static int group_setup(void **state)
{
	(void)state;
	return crypto_init();
}

/* ---- helpers ----------------------------------------------------------- */

/* Two organisations and one user in the first. */
static void add_accounts(struct fixture *f)
{
	store_tx *tx = store_begin(f->st);

	assert_non_null(tx);
	assert_int_equal(store_org_add(tx, "ngo1", "Shelter One", "NGO", f->org), STORE_OK);
	assert_int_equal(store_org_add(tx, "police", "Police Unit", "LawEnforcement", f->org2),
			 STORE_OK);
	assert_int_equal(store_user_add(tx, f->org, "dilnoza", "caseworker", "$argon2id$fake",
					f->user), STORE_OK);
	assert_int_equal(store_commit(tx), STORE_OK);
}

/* Run one statement through a connection of our own, as an intruder or
 * another process would. */
static void sql_exec(const char *path, const char *sql)
{
	sqlite3 *h;
	char *msg = NULL;

	assert_int_equal(sqlite3_open(path, &h), SQLITE_OK);
	sqlite3_busy_timeout(h, 5000);
	if (sqlite3_exec(h, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg ? msg : "?");
	sqlite3_close(h);
}

static int64_t sql_int(const char *path, const char *sql)
{
	sqlite3 *h;
	sqlite3_stmt *s;
	int64_t v = -1;

	assert_int_equal(sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(h, sql, -1, &s, NULL), SQLITE_OK);
	if (sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	sqlite3_close(h);
	return v;
}

static void key_of(const struct fixture *f, const char *kind, const char *word,
		   struct blind_key *k)
{
	k->kind = kind;
	blind_index(&f->kr, kind, word, strlen(word), k->mac);
}

static void person_insert(struct fixture *f, const char *org, char id[ID_LEN],
			  const char *updated_at)
{
	static const unsigned char sealed[] = "not really sealed";
	struct person_row p;
	store_tx *tx;

	memset(&p, 0, sizeof p);
	store_new_id(id);
	snprintf(p.id, sizeof p.id, "%s", id);
	snprintf(p.org_id, sizeof p.org_id, "%s", org);
	p.version = 1;
	p.coded = "{\"gender\":\"Feminine\"}";
	p.sealed = sealed;
	p.sealed_len = sizeof sealed;
	snprintf(p.created_at, sizeof p.created_at, "%s", updated_at);
	snprintf(p.updated_at, sizeof p.updated_at, "%s", updated_at);
	tx = store_begin(f->st);
	assert_non_null(tx);
	assert_int_equal(store_person_insert(tx, &p), STORE_OK);
	assert_int_equal(store_commit(tx), STORE_OK);
}

/* Placed ids keep the format of random ones and sort by their place,
 * whatever their random part; two of one place still differ. */
static void test_new_id_placed(void **state)
{
	static const char alphabet[] = "abcdefghijklmnopqrstuvwxyz234567";
	static const uint32_t places[] = {0, 1, 31, 32, 33, 1000, 99999, (1u << 20) + 7,
					  (1u << STORE_ID_PLACE_BITS) - 2, (1u << STORE_ID_PLACE_BITS) - 1};
	char prev[ID_LEN] = "", id[ID_LEN], twin[ID_LEN], random_id[ID_LEN];
	size_t i, k;

	(void)state;
	store_new_id(random_id);
	for (i = 0; i < sizeof places / sizeof places[0]; i++) {
		for (k = 0; k < 20; k++) {
			store_new_id_placed(id, places[i]);
			assert_int_equal(strlen(id), strlen(random_id));
			assert_int_equal(strspn(id, alphabet), strlen(id));
			if (prev[0])
				assert_true(strcmp(prev, id) < 0 || !strncmp(prev, id, 5));
			store_new_id_placed(twin, places[i]);
			assert_memory_equal(id, twin, 5);
			assert_string_not_equal(id, twin);
		}
		memcpy(prev, id, ID_LEN);
	}
	store_new_id_placed(id, 0);
	store_new_id_placed(twin, 1);
	assert_true(strcmp(id, twin) < 0);
	store_new_id_placed(id, 31);
	store_new_id_placed(twin, 32);
	assert_true(strcmp(id, twin) < 0); /* "...7" before "...a2" */
}

static void audit_add(struct fixture *f, const char *action, const char *record)
{
	struct audit_entry e = {f->user, f->org, action, record, "given_name", "127.0.0.1"};
	store_tx *tx = store_begin(f->st);

	assert_non_null(tx);
	assert_int_equal(store_audit_append(tx, &e), STORE_OK);
	assert_int_equal(store_commit(tx), STORE_OK);
}

static int64_t verify_ok(struct fixture *f)
{
	char msg[256] = "";
	int64_t n = -1;

	if (store_audit_verify(f->st, msg, sizeof msg, &n) != 0)
		fail_msg("audit verify: %s", msg);
	return n;
}

/* ---- opening ------------------------------------------------------------ */

static void test_open_and_reopen(void **state)
{
	struct fixture *f = *state;
	int64_t version;
	struct org o;

	add_accounts(f);
	version = sql_int(f->db, "SELECT CAST(value AS INTEGER) FROM meta"
				 " WHERE key = 'schema_version'");
	assert_true(version >= 1);
	store_close(f->st);
	f->st = NULL;

	/* Reopening runs no migration again and keeps the data */
	assert_int_equal(open_store(f, 0), STORE_OK);
	assert_int_equal(store_org_by_code(f->st, "ngo1", &o), STORE_OK);
	store_close(f->st);
	f->st = NULL;
	assert_int_equal(open_store(f, 1), STORE_OK);
	assert_int_equal(sql_int(f->db, "SELECT CAST(value AS INTEGER) FROM meta"
					" WHERE key = 'schema_version'"), version);
	assert_int_equal(sql_int(f->db, "SELECT count(*) FROM orgs"), 2);
}

static void test_open_missing(void **state)
{
	struct fixture *f = *state;
	char path[160], err[256] = "";
	store *st = (store *)f; /* must be reset to NULL */

	snprintf(path, sizeof path, "%s/absent.db", f->dir);
	assert_int_equal(store_open(path, &f->kr, 1, 0, &st, err, sizeof err), STORE_ERROR);
	assert_null(st);
	assert_true(strlen(err) > 0);
	assert_int_equal(access(path, F_OK), -1); /* not created */
}

static void test_open_newer_schema(void **state)
{
	struct fixture *f = *state;
	char err[256] = "", sql[128];
	int64_t version;
	store *st;

	store_close(f->st);
	f->st = NULL;
	version = sql_int(f->db, "SELECT CAST(value AS INTEGER) FROM meta"
				 " WHERE key = 'schema_version'");
	sql_exec(f->db, "UPDATE meta SET value = '9999' WHERE key = 'schema_version'");
	assert_int_equal(store_open(f->db, &f->kr, 1, 0, &st, err, sizeof err), STORE_ERROR);
	assert_non_null(strstr(err, "newer"));
	snprintf(sql, sizeof sql, "UPDATE meta SET value = '%lld' WHERE key = 'schema_version'",
		 (long long)version);
	sql_exec(f->db, sql);
	assert_int_equal(open_store(f, 0), STORE_OK);
}

/* A bulk load (himoya demo) stopped under schema 24, whose saved indexes
 * hold items_due, which migration 25 drops: the next open remakes the
 * load's indexes first, then migrates (with the migration first, the open
 * failed on "no such index: items_due"). */
static void test_bulk_unfinished_then_migrated(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(store_bulk_begin(f->st), STORE_OK);
	store_close(f->st);
	f->st = NULL;
	assert_int_equal(sql_int(f->db, "SELECT count(*) FROM sqlite_master"
					" WHERE name IN ('items_case', 'items_proceedings')"), 0);
	sql_exec(f->db, "UPDATE meta SET value = replace(value,"
			" 'CREATE INDEX items_proceedings ON items(case_id) WHERE kind = ''proceeding''',"
			" 'CREATE INDEX items_due ON items(kind, assigned_to, due)')"
			" WHERE key = 'bulk_indexes';"
			"UPDATE meta SET value = '24' WHERE key = 'schema_version';"
			"DROP TABLE pprl_stamps;" /* and what migrations 26 to 30 made */
			"ALTER TABLE pprl_encodings DROP COLUMN audience;"
			"DROP TABLE idempotency; DROP TABLE referral_names;"
			"DROP INDEX callbacks_contact;" /* and migration 35's */
			"DROP INDEX users_login_lower; ALTER TABLE users DROP COLUMN login_key;");
	assert_int_equal(sql_int(f->db, "SELECT count(*) FROM meta WHERE key = 'bulk_indexes'"
					" AND value LIKE '%items_due%'"
					" AND value NOT LIKE '%items_proceedings%'"), 1);
	assert_int_equal(open_store(f, 0), STORE_OK);
	assert_int_equal(sql_int(f->db, "SELECT count(*) FROM sqlite_master WHERE name = 'items_due'"),
			 0);
	assert_int_equal(sql_int(f->db, "SELECT count(*) FROM sqlite_master"
					" WHERE name IN ('items_case', 'items_proceedings')"), 2);
	assert_int_equal(sql_int(f->db, "SELECT count(*) FROM meta WHERE key = 'bulk_indexes'"), 0);
	assert_true(sql_int(f->db, "SELECT CAST(value AS INTEGER) FROM meta"
				   " WHERE key = 'schema_version'") >= 25);
}

/* A folder of before migration 35 whose logins differ only in case
 * (sup1 and Sup1, made by two organisations' administrators): the
 * migration does not fail; each keeps signing in in its exact case, the
 * others in any case; no new login takes any of their case-folded forms. */
static void test_logins_clashing_by_case_migrate(void **state)
{
	struct fixture *f = *state;
	char id[ID_LEN];
	struct user u;
	store_tx *tx;

	add_accounts(f);
	store_close(f->st);
	f->st = NULL;
	sql_exec(f->db, "DROP INDEX users_login_lower; ALTER TABLE users DROP COLUMN login_key;"
			"UPDATE meta SET value = '34' WHERE key = 'schema_version';");
	sql_exec(f->db, "INSERT INTO users(id, org_id, login, role, pwhash, created_at)"
			" SELECT 'u-sup1', org_id, 'sup1', 'supervisor', 'x', created_at FROM users;"
			"INSERT INTO users(id, org_id, login, role, pwhash, created_at)"
			" SELECT 'u-Sup1', org_id, 'Sup1', 'supervisor', 'x', created_at FROM users"
			" WHERE login = 'dilnoza';");
	assert_int_equal(open_store(f, 0), STORE_OK);
	assert_true(sql_int(f->db, "SELECT CAST(value AS INTEGER) FROM meta"
					" WHERE key = 'schema_version'") >= 35);
	assert_int_equal(sql_int(f->db, "SELECT count(*) FROM users WHERE login_key IS NULL"), 2);
	assert_int_equal(store_user_by_login(f->st, "DILNOZA", &u), STORE_OK);
	assert_string_equal(u.id, f->user);
	assert_int_equal(store_user_by_login(f->st, "sup1", &u), STORE_OK);
	assert_string_equal(u.id, "u-sup1");
	assert_int_equal(store_user_by_login(f->st, "Sup1", &u), STORE_OK);
	assert_string_equal(u.id, "u-Sup1");
	assert_int_equal(store_user_by_login(f->st, "SUP1", &u), STORE_NOT_FOUND);
	tx = store_begin(f->st);
	assert_int_equal(store_user_add(tx, f->org, "SUP1", "caseworker", "x", id), STORE_CONFLICT);
	assert_int_equal(store_user_add(tx, f->org, "Dilnoza", "caseworker", "x", id), STORE_CONFLICT);
	assert_int_equal(store_user_add(tx, f->org, "Zarina", "caseworker", "x", id), STORE_OK);
	assert_int_equal(store_user_add(tx, f->org, "zarina", "caseworker", "x", id), STORE_CONFLICT);
	store_rollback(tx);
}

/* ---- organisations and users ------------------------------------------ */

static void test_orgs_and_users(void **state)
{
	struct fixture *f = *state;
	char id[ID_LEN];
	struct user u;
	struct org o;
	store_tx *tx;

	add_accounts(f);
	assert_int_equal(strlen(f->org), ID_LEN - 1);
	assert_string_not_equal(f->org, f->org2);

	assert_int_equal(store_org_by_code(f->st, "police", &o), STORE_OK);
	assert_string_equal(o.id, f->org2);
	assert_string_equal(o.code, "police");
	assert_string_equal(o.name, "Police Unit");
	assert_string_equal(o.type, "LawEnforcement");
	assert_int_equal(store_org_by_code(f->st, "nope", &o), STORE_NOT_FOUND);

	assert_int_equal(store_user_by_login(f->st, "dilnoza", &u), STORE_OK);
	assert_string_equal(u.id, f->user);
	assert_string_equal(u.login, "dilnoza");
	assert_string_equal(u.role, "caseworker");
	assert_string_equal(u.pwhash, "$argon2id$fake");
	assert_int_equal(u.totp_enabled, 0);
	assert_int_equal(u.totp_sealed_len, 0);
	assert_int_equal(u.disabled, 0);
	assert_string_equal(u.org.id, f->org);
	assert_string_equal(u.org.code, "ngo1");
	assert_string_equal(u.org.name, "Shelter One");
	assert_int_equal(store_user_by_id(f->st, f->user, &u), STORE_OK);
	assert_string_equal(u.login, "dilnoza");
	assert_int_equal(store_user_by_login(f->st, "nobody", &u), STORE_NOT_FOUND);
	assert_int_equal(store_user_by_id(f->st, "nope", &u), STORE_NOT_FOUND);

	/* Duplicate org code and login, also in another org */
	tx = store_begin(f->st);
	assert_non_null(tx);
	assert_int_equal(store_org_add(tx, "ngo1", "Again", "NGO", id), STORE_CONFLICT);
	assert_int_equal(store_user_add(tx, f->org, "dilnoza", "admin", "h", id), STORE_CONFLICT);
	assert_int_equal(store_user_add(tx, f->org2, "dilnoza", "admin", "h", id),
			 STORE_CONFLICT);
	/* A user of an organisation that does not exist */
	assert_int_equal(store_user_add(tx, "no-such-org", "x", "admin", "h", id),
			 STORE_CONFLICT);
	/* The transaction is still usable after the refusals */
	assert_int_equal(store_user_add(tx, f->org2, "farrukh", "analyst", "h2", id), STORE_OK);
	assert_int_equal(store_commit(tx), STORE_OK);
	assert_int_equal(store_user_by_login(f->st, "farrukh", &u), STORE_OK);
	assert_string_equal(u.org.code, "police");
}

static void test_user_rollback(void **state)
{
	struct fixture *f = *state;
	char id[ID_LEN];
	struct user u;
	store_tx *tx;

	add_accounts(f);
	tx = store_begin(f->st);
	assert_non_null(tx);
	assert_int_equal(store_user_add(tx, f->org, "ghost", "admin", "h", id), STORE_OK);
	store_rollback(tx);
	assert_int_equal(store_user_by_login(f->st, "ghost", &u), STORE_NOT_FOUND);
}

static void test_user_updates(void **state)
{
	struct fixture *f = *state;
	unsigned char sealed[TOTP_SECRET_BYTES + SEAL_OVERHEAD];
	struct user u;
	store_tx *tx;

	add_accounts(f);
	memset(sealed, 0x5a, sizeof sealed);
	tx = store_begin(f->st);
	assert_non_null(tx);
	assert_int_equal(store_user_set_totp(tx, f->user, sealed, sizeof sealed, 1), STORE_OK);
	assert_int_equal(store_user_take_totp_step(tx, f->user, 56666666), STORE_OK);
	/* compare-and-set: the same step again, or an older one, is refused */
	assert_int_equal(store_user_take_totp_step(tx, f->user, 56666666), STORE_STALE);
	assert_int_equal(store_user_take_totp_step(tx, f->user, 56666665), STORE_STALE);
	assert_int_equal(store_user_set_password(tx, f->user, "$argon2id$new", 1), STORE_OK);
	assert_int_equal(store_commit(tx), STORE_OK);
	assert_int_equal(store_user_by_id(f->st, f->user, &u), STORE_OK);
	assert_int_equal(u.totp_enabled, 1);
	assert_int_equal(u.totp_sealed_len, sizeof sealed);
	assert_memory_equal(u.totp_sealed, sealed, sizeof sealed);
	assert_int_equal(u.totp_step, 56666666);
	assert_string_equal(u.pwhash, "$argon2id$new");
	assert_int_equal(u.must_change_password, 1);

	tx = store_begin(f->st);
	assert_non_null(tx);
	assert_int_equal(store_user_set_totp(tx, f->user, NULL, 0, 0), STORE_OK);
	assert_int_equal(store_commit(tx), STORE_OK);
	assert_int_equal(store_user_by_id(f->st, f->user, &u), STORE_OK);
	assert_int_equal(u.totp_enabled, 0);
	assert_int_equal(u.totp_sealed_len, 0);
}

/* ---- role policy ---------------------------------------------------------- */

static void test_role_policy(void **state)
{
	struct fixture *f = *state;
	store_tx *tx;

	assert_int_equal(store_role_requires_totp(f->st, "admin"), 0);
	tx = store_begin(f->st);
	assert_non_null(tx);
	assert_int_equal(store_role_set_totp(tx, "admin", 1), STORE_OK);
	assert_int_equal(store_role_set_totp(tx, "analyst", 7), STORE_OK);
	assert_int_equal(store_commit(tx), STORE_OK);
	assert_int_equal(store_role_requires_totp(f->st, "admin"), 1);
	assert_int_equal(store_role_requires_totp(f->st, "analyst"), 1);
	assert_int_equal(store_role_requires_totp(f->st, "caseworker"), 0);

	tx = store_begin(f->st);
	assert_non_null(tx);
	assert_int_equal(store_role_set_totp(tx, "admin", 0), STORE_OK);
	assert_int_equal(store_commit(tx), STORE_OK);
	assert_int_equal(store_role_requires_totp(f->st, "admin"), 0);
	assert_int_equal(store_role_requires_totp(f->st, "analyst"), 1);
}

/* ---- sessions and tokens ---------------------------------------------- */

static void test_sessions(void **state)
{
	struct fixture *f = *state;
	unsigned char sid[HASH_BYTES], other[HASH_BYTES];
	struct session s;
	struct user u;
	store_tx *tx;

	add_accounts(f);
	token_hash(&f->kr, "session-token", sid);
	token_hash(&f->kr, "other-token", other);
	tx = store_begin(f->st);
	assert_non_null(tx);
	assert_int_equal(store_session_add(tx, sid, f->user, "csrf-value", 1, 0, NOW), STORE_OK);
	assert_int_equal(store_commit(tx), STORE_OK);

	assert_int_equal(store_session_get(f->st, sid, NOW, 1800, &s, &u), STORE_OK);
	assert_string_equal(s.csrf, "csrf-value");
	assert_int_equal(s.totp_pending, 1);
	assert_int_equal(s.totp_confirmed, 0);
	assert_int_equal(u.totp_required, 0);
	assert_int_equal(s.created, NOW);
	assert_int_equal(s.seen, NOW);
	assert_string_equal(u.id, f->user);
	assert_string_equal(u.login, "dilnoza");
	assert_string_equal(u.org.code, "ngo1");
	assert_int_equal(store_session_get(f->st, other, NOW, 1800, &s, &u), STORE_NOT_FOUND);

	/* Idle expiry: exactly idle_secs is still fine, one more is not */
	assert_int_equal(store_session_get(f->st, sid, NOW + 1800, 1800, &s, &u), STORE_OK);
	assert_int_equal(store_session_get(f->st, sid, NOW + 1801, 1800, &s, &u),
			 STORE_NOT_FOUND);

	/* A touch moves the idle window */
	tx = store_begin(f->st);
	assert_non_null(tx);
	assert_int_equal(store_session_touch(tx, sid, NOW + 1000), STORE_OK);
	assert_int_equal(store_session_confirm_totp(tx, sid), STORE_OK);
	assert_int_equal(store_commit(tx), STORE_OK);
	assert_int_equal(store_session_get(f->st, sid, NOW + 2500, 1800, &s, &u), STORE_OK);
	assert_int_equal(s.seen, NOW + 1000);
	assert_int_equal(s.created, NOW);
	assert_int_equal(s.totp_pending, 0);
	assert_int_equal(s.totp_confirmed, 1);

	/* The role's requirement comes with the user */
	sql_exec(f->db, "INSERT INTO role_policy(role, require_totp) VALUES('caseworker', 1)");
	assert_int_equal(store_session_get(f->st, sid, NOW + 1000, 1800, &s, &u), STORE_OK);
	assert_int_equal(u.totp_required, strcmp(u.role, "caseworker") == 0);
	sql_exec(f->db, "DELETE FROM role_policy");

	/* A disabled user's session is gone */
	sql_exec(f->db, "UPDATE users SET disabled = 1");
	assert_int_equal(store_session_get(f->st, sid, NOW + 1000, 1800, &s, &u),
			 STORE_NOT_FOUND);
	sql_exec(f->db, "UPDATE users SET disabled = 0");
	assert_int_equal(store_session_get(f->st, sid, NOW + 1000, 1800, &s, &u), STORE_OK);

	/* Delete */
	tx = store_begin(f->st);
	assert_non_null(tx);
	assert_int_equal(store_session_delete(tx, sid), STORE_OK);
	assert_int_equal(store_commit(tx), STORE_OK);
	assert_int_equal(store_session_get(f->st, sid, NOW + 1000, 1800, &s, &u),
			 STORE_NOT_FOUND);
}

static void test_session_sweep(void **state)
{
	struct fixture *f = *state;
	static const char nobody_sid[HASH_BYTES + 1] = "0123456789abcdef0123456789abcdef";
	unsigned char a[HASH_BYTES], b[HASH_BYTES];
	struct session s;
	struct user u;
	store_tx *tx;

	add_accounts(f);
	token_hash(&f->kr, "a", a);
	token_hash(&f->kr, "b", b);
	tx = store_begin(f->st);
	assert_non_null(tx);
	assert_int_equal(store_session_add(tx, a, f->user, "c1", 0, 0, NOW), STORE_OK);
	assert_int_equal(store_session_add(tx, b, f->user, "c2", 0, 1, NOW + 5000), STORE_OK);
	/* The same id twice is a conflict */
	assert_int_equal(store_session_add(tx, a, f->user, "c3", 0, 0, NOW), STORE_CONFLICT);
	/* A session of an unknown user is refused */
	assert_int_equal(store_session_add(tx, (const unsigned char *)nobody_sid, "no-such-user",
					   "c", 0, 0, NOW), STORE_CONFLICT);
	assert_int_equal(store_session_sweep(tx, NOW + 6000, 1800), STORE_OK);
	assert_int_equal(store_commit(tx), STORE_OK);
	assert_int_equal(sql_int(f->db, "SELECT count(*) FROM sessions"), 1);
	assert_int_equal(store_session_get(f->st, b, NOW + 6000, 1800, &s, &u), STORE_OK);
	assert_int_equal(store_session_get(f->st, a, NOW, 1800, &s, &u), STORE_NOT_FOUND);
}

static void test_tokens(void **state)
{
	struct fixture *f = *state;
	unsigned char tid[HASH_BYTES], other[HASH_BYTES];
	char id[ID_LEN], id2[ID_LEN];
	struct token_row t, *rows;
	struct user u;
	store_tx *tx;
	size_t n;
	arena a;

	add_accounts(f);
	token_hash(&f->kr, "api-token", tid);
	token_hash(&f->kr, "api-token2", other);
	tx = store_begin(f->st);
	assert_non_null(tx);
	assert_int_equal(store_token_add(tx, tid, f->user, "export script", NOW + 100, id),
			 STORE_OK);
	assert_int_equal(store_token_add(tx, tid, f->user, "again", NOW + 100, id2), STORE_CONFLICT);
	assert_int_equal(store_commit(tx), STORE_OK);
	assert_int_equal(strlen(id), ID_LEN - 1);

	assert_int_equal(store_token_get(f->st, tid, NOW, &u, &t), STORE_OK);
	assert_string_equal(u.id, f->user);
	assert_string_equal(u.org.id, f->org);
	assert_string_equal(t.id, id);
	assert_string_equal(t.label, "export script");
	assert_int_equal(t.expires, NOW + 100);
	assert_int_equal(t.last_used, 0);
	assert_int_equal(store_token_get(f->st, other, NOW, &u, NULL), STORE_NOT_FOUND);

	/* Expired: refused from its expiry on */
	assert_int_equal(store_token_get(f->st, tid, NOW + 99, &u, NULL), STORE_OK);
	assert_int_equal(store_token_get(f->st, tid, NOW + 100, &u, NULL), STORE_NOT_FOUND);

	/* Disabled users do not authenticate */
	sql_exec(f->db, "UPDATE users SET disabled = 1");
	assert_int_equal(store_token_get(f->st, tid, NOW, &u, NULL), STORE_NOT_FOUND);
	sql_exec(f->db, "UPDATE users SET disabled = 0");

	/* Touch, list, revoke (once) */
	tx = store_begin(f->st);
	assert_non_null(tx);
	assert_int_equal(store_token_touch(tx, id, NOW + 7), STORE_OK);
	assert_int_equal(store_commit(tx), STORE_OK);
	arena_init(&a, 1u << 20);
	assert_int_equal(store_token_list(f->st, f->org, NULL, 10, &rows, &n, &a), STORE_OK);
	assert_int_equal(n, 1);
	assert_string_equal(rows[0].login, "dilnoza");
	assert_int_equal(rows[0].last_used, NOW + 7);
	assert_int_equal(store_token_list(f->st, f->org, "nobody", 10, &rows, &n, &a), STORE_OK);
	assert_int_equal(n, 0);
	assert_int_equal(store_token_list(f->st, "other-org", NULL, 10, &rows, &n, &a), STORE_OK);
	assert_int_equal(n, 0);
	arena_free(&a);
	tx = store_begin(f->st);
	assert_non_null(tx);
	assert_int_equal(store_token_revoke(tx, id), STORE_OK);
	assert_int_equal(store_token_revoke(tx, id), STORE_CONFLICT);
	assert_int_equal(store_token_revoke(tx, "no-such-token"), STORE_NOT_FOUND);
	assert_int_equal(store_commit(tx), STORE_OK);
	assert_int_equal(store_token_get(f->st, tid, NOW, &u, NULL), STORE_NOT_FOUND);
	assert_int_equal(store_token_by_id(f->st, id, &t), STORE_OK);
	assert_int_equal(t.revoked, 1);
	/* Nothing stores the clear token */
	assert_int_equal(sql_int(f->db, "SELECT count(*) FROM tokens WHERE id = 'api-token'"), 0);
}

/* ---- persons ---------------------------------------------------------- */

static void test_person_versions(void **state)
{
	struct fixture *f = *state;
	static const unsigned char sealed2[] = {0, 1, 2, 3, 0, 255};
	struct person_row p, q;
	char id[ID_LEN];
	store_tx *tx;
	arena a;

	add_accounts(f);
	arena_init(&a, 1 << 20);
	person_insert(f, f->org, id, "2024-01-01T00:00:00Z");

	assert_int_equal(store_person_get(f->st, id, &p, &a), STORE_OK);
	assert_string_equal(p.id, id);
	assert_string_equal(p.org_id, f->org);
	assert_int_equal(p.version, 1);
	assert_string_equal(p.coded, "{\"gender\":\"Feminine\"}");
	assert_int_equal(p.sealed_len, sizeof "not really sealed");
	assert_memory_equal(p.sealed, "not really sealed", p.sealed_len);
	assert_string_equal(p.created_at, "2024-01-01T00:00:00Z");
	assert_int_equal(store_person_get(f->st, "absent", &q, &a), STORE_NOT_FOUND);

	/* Version 2 over version 1, with binary sealed bytes */
	q = p;
	q.version = 2;
	q.coded = "{}";
	q.sealed = sealed2;
	q.sealed_len = sizeof sealed2;
	snprintf(q.updated_at, sizeof q.updated_at, "2024-02-02T00:00:00Z");
	tx = store_begin(f->st);
	assert_non_null(tx);
	assert_int_equal(store_person_update(tx, &q), STORE_OK);
	/* Writing version 2 again is stale: the stored one is 2 already */
	assert_int_equal(store_person_update(tx, &q), STORE_STALE);
	/* So is skipping ahead */
	q.version = 5;
	assert_int_equal(store_person_update(tx, &q), STORE_STALE);
	/* An absent record is not found, whatever the version */
	snprintf(q.id, sizeof q.id, "no-such-person");
	q.version = 2;
	assert_int_equal(store_person_update(tx, &q), STORE_NOT_FOUND);
	assert_int_equal(store_commit(tx), STORE_OK);

	assert_int_equal(store_person_get(f->st, id, &p, &a), STORE_OK);
	assert_int_equal(p.version, 2);
	assert_string_equal(p.coded, "{}");
	assert_int_equal(p.sealed_len, sizeof sealed2);
	assert_memory_equal(p.sealed, sealed2, sizeof sealed2);
	assert_string_equal(p.updated_at, "2024-02-02T00:00:00Z");
	assert_string_equal(p.created_at, "2024-01-01T00:00:00Z");

	/* The same id twice is a conflict */
	tx = store_begin(f->st);
	assert_non_null(tx);
	p.version = 1;
	assert_int_equal(store_person_insert(tx, &p), STORE_CONFLICT);
	store_rollback(tx);
	arena_free(&a);
}

static void test_person_get_small_arena(void **state)
{
	struct fixture *f = *state;
	struct person_row p;
	char id[ID_LEN];
	arena a;

	add_accounts(f);
	person_insert(f, f->org, id, "2024-01-01T00:00:00Z");
	arena_init(&a, 0);
	assert_int_equal(store_person_get(f->st, id, &p, &a), STORE_ERROR);
	arena_free(&a);
	/* The reader went back to the pool: the next read works */
	arena_init(&a, 1 << 16);
	assert_int_equal(store_person_get(f->st, id, &p, &a), STORE_OK);
	arena_free(&a);
}

static void test_person_find(void **state)
{
	struct fixture *f = *state;
	char a[ID_LEN], b[ID_LEN], c[ID_LEN], d[ID_LEN], other[ID_LEN];
	struct blind_key k[5], q[20];
	char ids[8][ID_LEN];
	int hits[8];
	size_t found;
	store_tx *tx;
	int i;

	add_accounts(f);
	key_of(f, "name", "rustam", &k[0]);
	key_of(f, "name", "qodirov", &k[1]);
	key_of(f, "phone", "992931234567", &k[2]);
	key_of(f, "name", "ahmad", &k[3]);
	key_of(f, "name", "zarina", &k[4]);

	person_insert(f, f->org, a, "2024-01-01T00:00:00Z");  /* rustam qodirov + phone */
	person_insert(f, f->org, b, "2024-01-02T00:00:00Z");  /* rustam */
	person_insert(f, f->org, c, "2024-01-03T00:00:00Z");  /* rustam ahmad */
	person_insert(f, f->org, d, "2024-01-04T00:00:00Z");  /* zarina */
	person_insert(f, f->org2, other, "2024-01-05T00:00:00Z"); /* all, other org */
	tx = store_begin(f->st);
	assert_non_null(tx);
	assert_int_equal(store_person_keys_set(tx, a, k, 3), STORE_OK);
	assert_int_equal(store_person_keys_set(tx, b, k, 1), STORE_OK);
	q[0] = k[0];
	q[1] = k[3];
	assert_int_equal(store_person_keys_set(tx, c, q, 2), STORE_OK);
	assert_int_equal(store_person_keys_set(tx, d, &k[4], 1), STORE_OK);
	assert_int_equal(store_person_keys_set(tx, other, k, 5), STORE_OK);
	assert_int_equal(store_commit(tx), STORE_OK);

	/* rustam + qodirov + phone: a first (two name words weigh 4 each, a
	 * phone 3); then c and b with one name word each, the more recently
	 * updated first */
	assert_int_equal(store_person_find(f->st, f->org, k, 3, ids, hits, 8, &found), STORE_OK);
	assert_int_equal(found, 3);
	assert_string_equal(ids[0], a);
	assert_int_equal(hits[0], 11);
	assert_string_equal(ids[1], c);
	assert_int_equal(hits[1], 4);
	assert_string_equal(ids[2], b);
	assert_int_equal(hits[2], 4);

	/* rustam + ahmad: c has both */
	q[0] = k[0];
	q[1] = k[3];
	assert_int_equal(store_person_find(f->st, f->org, q, 2, ids, hits, 8, &found), STORE_OK);
	assert_int_equal(found, 3);
	assert_string_equal(ids[0], c);
	assert_int_equal(hits[0], 8);

	/* max limits the answer */
	assert_int_equal(store_person_find(f->st, f->org, k, 3, ids, hits, 1, &found), STORE_OK);
	assert_int_equal(found, 1);
	assert_string_equal(ids[0], a);

	/* Org scoping: the other org only sees its own person */
	assert_int_equal(store_person_find(f->st, f->org2, k, 3, ids, hits, 8, &found), STORE_OK);
	assert_int_equal(found, 1);
	assert_string_equal(ids[0], other);
	assert_int_equal(hits[0], 11);
	assert_int_equal(store_person_find(f->st, "no-org", k, 3, ids, hits, 8, &found), STORE_OK);
	assert_int_equal(found, 0);

	/* Nothing asked, nothing found; an unknown key finds nothing */
	assert_int_equal(store_person_find(f->st, f->org, k, 0, ids, hits, 8, &found), STORE_OK);
	assert_int_equal(found, 0);
	key_of(f, "name", "nobody", &q[0]);
	assert_int_equal(store_person_find(f->st, f->org, q, 1, ids, hits, 8, &found), STORE_OK);
	assert_int_equal(found, 0);

	/* Keys of the same word but another kind do not match */
	key_of(f, "phone", "rustam", &q[0]);
	assert_int_equal(store_person_find(f->st, f->org, q, 1, ids, hits, 8, &found), STORE_OK);
	assert_int_equal(found, 0);

	/* More than 16 keys: the first 16 count, no failure */
	for (i = 0; i < 20; i++)
		key_of(f, "name", i == 0 ? "zarina" : "filler", &q[i]);
	assert_int_equal(store_person_find(f->st, f->org, q, 20, ids, hits, 8, &found), STORE_OK);
	assert_int_equal(found, 1);
	assert_string_equal(ids[0], d);

	/* Setting keys replaces the old ones; duplicates are one */
	tx = store_begin(f->st);
	assert_non_null(tx);
	q[0] = k[4];
	q[1] = k[4];
	assert_int_equal(store_person_keys_set(tx, a, q, 2), STORE_OK);
	assert_int_equal(store_commit(tx), STORE_OK);
	assert_int_equal(store_person_find(f->st, f->org, &k[4], 1, ids, hits, 8, &found),
			 STORE_OK);
	assert_int_equal(found, 2);
	assert_int_equal(hits[0], 4);
	assert_int_equal(hits[1], 4);
	assert_int_equal(store_person_find(f->st, f->org, k, 3, ids, hits, 8, &found), STORE_OK);
	assert_int_equal(found, 2); /* c and b only */
	for (i = 0; i < (int)found; i++)
		assert_string_not_equal(ids[i], a);
}

/* ---- audit ------------------------------------------------------------- */

static void test_audit_intact(void **state)
{
	struct fixture *f = *state;
	struct audit_row rows[8];
	size_t found;

	add_accounts(f);
	assert_int_equal(verify_ok(f), 1); /* the genesis entry of the new database */
	audit_add(f, "create", "persons/p1");
	audit_add(f, "read", "persons/p1");
	audit_add(f, "update", "persons/p2");
	{
		/* An entry with every optional field null */
		struct audit_entry e = {NULL, NULL, "startup", NULL, NULL, NULL};
		store_tx *tx = store_begin(f->st);
		assert_non_null(tx);
		assert_int_equal(store_audit_append(tx, &e), STORE_OK);
		assert_int_equal(store_commit(tx), STORE_OK);
	}
	assert_int_equal(verify_ok(f), 5);

	assert_int_equal(store_audit_for_record(f->st, "persons/p1", rows, 8, &found), STORE_OK);
	assert_int_equal(found, 2);
	assert_int_equal(rows[0].seq, 3); /* newest first */
	assert_string_equal(rows[0].action, "read");
	assert_string_equal(rows[0].login, "dilnoza");
	assert_string_equal(rows[0].org_code, "ngo1");
	assert_string_equal(rows[0].fields, "given_name");
	assert_string_equal(rows[0].addr, "127.0.0.1");
	assert_string_equal(rows[1].action, "create");
	assert_int_equal(store_audit_for_record(f->st, "persons/p1", rows, 1, &found), STORE_OK);
	assert_int_equal(found, 1);
	assert_int_equal(store_audit_for_record(f->st, "persons/none", rows, 8, &found),
			 STORE_OK);
	assert_int_equal(found, 0);

	/* A rolled-back append leaves no trace in the chain */
	{
		struct audit_entry e = {NULL, NULL, "lost", NULL, NULL, NULL};
		store_tx *tx = store_begin(f->st);
		assert_non_null(tx);
		assert_int_equal(store_audit_append(tx, &e), STORE_OK);
		store_rollback(tx);
	}
	assert_int_equal(verify_ok(f), 5);
	audit_add(f, "after-rollback", NULL);
	assert_int_equal(verify_ok(f), 6);

	/* Survives a reopen */
	store_close(f->st);
	f->st = NULL;
	assert_int_equal(open_store(f, 0), STORE_OK);
	assert_int_equal(verify_ok(f), 6);
	audit_add(f, "after-reopen", NULL);
	assert_int_equal(verify_ok(f), 7);
}

static void expect_tampered(struct fixture *f, const char *needle)
{
	char msg[256] = "";
	int64_t n = -1;

	assert_int_equal(store_audit_verify(f->st, msg, sizeof msg, &n), -1);
	if (!strstr(msg, needle))
		fail_msg("verify said \"%s\", expected it to name \"%s\"", msg, needle);
}

static void test_audit_tamper_field(void **state)
{
	struct fixture *f = *state;

	add_accounts(f);
	audit_add(f, "create", "persons/p1");
	audit_add(f, "read", "persons/p1");
	audit_add(f, "read", "persons/p2");
	assert_int_equal(verify_ok(f), 4);
	sql_exec(f->db, "UPDATE audit SET action = 'nothing' WHERE seq = 3");
	expect_tampered(f, "entry 3 ");
	sql_exec(f->db, "UPDATE audit SET action = 'read' WHERE seq = 3");
	assert_int_equal(verify_ok(f), 4);
	/* Hiding who did it is tampering too */
	sql_exec(f->db, "UPDATE audit SET user_id = NULL WHERE seq = 4");
	expect_tampered(f, "entry 4 ");
}

static void test_audit_tamper_delete(void **state)
{
	struct fixture *f = *state;

	add_accounts(f);
	audit_add(f, "a", NULL);
	audit_add(f, "b", NULL);
	audit_add(f, "c", NULL);
	audit_add(f, "d", NULL);
	sql_exec(f->db, "DELETE FROM audit WHERE seq = 2");
	expect_tampered(f, "entry 2 ");
}

static void test_audit_tamper_truncate(void **state)
{
	struct fixture *f = *state;

	add_accounts(f);
	audit_add(f, "a", NULL);
	audit_add(f, "b", NULL);
	audit_add(f, "c", NULL);
	/* Removing the newest entries shows through the head kept in meta */
	sql_exec(f->db, "DELETE FROM audit WHERE seq >= 2");
	expect_tampered(f, "entry 2 ");
}

static void test_audit_tamper_rewrite_chain(void **state)
{
	struct fixture *f = *state;

	add_accounts(f);
	audit_add(f, "a", NULL);
	audit_add(f, "b", NULL);
	/* Copying one entry's MAC over another cannot pass either */
	sql_exec(f->db, "UPDATE audit SET mac = (SELECT mac FROM audit WHERE seq = 2)"
			" WHERE seq = 1");
	expect_tampered(f, "entry 1 ");
}

static void test_audit_tamper_head(void **state)
{
	struct fixture *f = *state;

	add_accounts(f);
	audit_add(f, "a", NULL);
	audit_add(f, "b", NULL);
	assert_int_equal(verify_ok(f), 3);
	/* A head pointing at entry 1 without the key's tag */
	sql_exec(f->db, "UPDATE meta SET value = '1:' || hex((SELECT mac FROM audit"
			" WHERE seq = 1)) || ':' || hex(zeroblob(32)) WHERE key = 'audit_head'");
	expect_tampered(f, "head");
	/* No head at all beside existing entries */
	sql_exec(f->db, "DELETE FROM meta WHERE key = 'audit_head'");
	expect_tampered(f, "head");
	/* The log keeps growing after the damage, and verify still reports
	 * it: the store must not write a good head over a chain it could not
	 * authenticate. */
	audit_add(f, "c", NULL);
	assert_int_equal(sql_int(f->db, "SELECT max(seq) FROM audit"), 4);
	expect_tampered(f, "head");
	store_close(f->st);
	f->st = NULL;
	assert_int_equal(open_store(f, 0), STORE_OK);
	audit_add(f, "d", NULL);
	expect_tampered(f, "head");
}

static void test_audit_tamper_truncate_and_head(void **state)
{
	struct fixture *f = *state;

	add_accounts(f);
	audit_add(f, "a", NULL);
	audit_add(f, "read-of-victim", NULL);
	audit_add(f, "c", NULL);
	/* Cut the newest entries and the head that would betray it; the
	 * server's next entry must not make the shortened log look intact. */
	sql_exec(f->db, "DELETE FROM audit WHERE seq >= 2;"
			" DELETE FROM meta WHERE key = 'audit_head'");
	audit_add(f, "next", NULL);
	expect_tampered(f, "head");
}

static void test_audit_enqueue_flush(void **state)
{
	struct fixture *f = *state;
	int i;

	add_accounts(f);
	audit_add(f, "create", "persons/p1");
	for (i = 0; i < 5; i++) {
		struct audit_entry e = {f->user, f->org, "read", "persons/p1", "given_name,phones",
					"10.0.0.1"};
		store_audit_enqueue(f->st, &e);
	}
	/* Closing flushes whatever is still queued, as batches of reads (one
	 * chained entry of action "reads" each, a line per read). */
	store_close(f->st);
	f->st = NULL;
	assert_int_equal(open_store(f, 0), STORE_OK);
	assert_int_equal(verify_ok(f),
			 2 + sql_int(f->db, "SELECT count(*) FROM audit WHERE action = 'reads'"));
	assert_int_equal(sql_int(f->db, "SELECT count(*) FROM audit WHERE action = 'read'"), 0);
	assert_int_equal(sql_int(f->db, "SELECT count(*) FROM audit_log WHERE action = 'read'"
					" AND fields = 'given_name,phones' AND addr = '10.0.0.1'"
					" AND record = 'persons/p1'"), 5);
	/* Enqueued and appended entries interleave into one chain; a null
	 * user, record, fields and address stay null. */
	{
		struct audit_entry e = {NULL, NULL, "read", NULL, NULL, NULL};
		store_audit_enqueue(f->st, &e);
	}
	audit_add(f, "update", "persons/p1");
	store_close(f->st);
	f->st = NULL;
	assert_int_equal(open_store(f, 0), STORE_OK);
	assert_int_equal(verify_ok(f), sql_int(f->db, "SELECT max(seq) FROM audit"));
	assert_int_equal(sql_int(f->db, "SELECT count(*) FROM audit_log WHERE action = 'read'"
					" AND user_id IS NULL AND record IS NULL AND fields IS NULL"
					" AND addr IS NULL"), 1);
}

/* A batch of reads the database cannot take (the disk full) is kept and
 * written once it can: none is lost, and meanwhile the store says so
 * (the API refuses what it would read unaudited). */
static void test_audit_full_disk_keeps_reads(void **state)
{
	struct fixture *f = *state;
	char fields[600], sql[64];
	size_t queued = 0;
	int64_t last;
	uint64_t flushes;
	int i;

	add_accounts(f);
	audit_add(f, "create", "persons/p1");
	memset(fields, 'x', sizeof fields - 1);
	fields[sizeof fields - 1] = '\0';
	snprintf(sql, sizeof sql, "PRAGMA max_page_count = %lld",
		 (long long)sql_int(f->db, "PRAGMA page_count"));
	assert_int_equal(db_exec(f->st->writer, sql), 0);
	for (i = 0; i < 3000; i++) {
		struct audit_entry e = {f->user, f->org, "read", "persons/p1", fields, NULL};
		store_audit_enqueue(f->st, &e);
	}
	store_audit_flush(f->st);
	assert_int_equal(store_audit_failing(f->st), 1);
	store_audit_stats(f->st, &queued, &last, &flushes);
	assert_int_equal(queued, 3000);
	/* Read again meanwhile: after those kept. */
	{
		struct audit_entry e = {f->user, f->org, "read", "persons/p2", "phones", NULL};
		store_audit_enqueue(f->st, &e);
	}
	assert_int_equal(db_exec(f->st->writer, "PRAGMA max_page_count = 1073741823"), 0);
	store_audit_flush(f->st);
	assert_int_equal(store_audit_failing(f->st), 0);
	store_audit_stats(f->st, &queued, &last, &flushes);
	assert_int_equal(queued, 0);
	store_close(f->st);
	f->st = NULL;
	assert_int_equal(open_store(f, 0), STORE_OK);
	assert_true(verify_ok(f) > 0);
	assert_int_equal(sql_int(f->db, "SELECT count(*) FROM audit_log WHERE action = 'read'"
					" AND record = 'persons/p1'"), 3000);
	assert_int_equal(sql_int(f->db, "SELECT count(*) FROM audit_log WHERE action = 'read'"
					" AND record = 'persons/p2'"), 1);
}

static void test_audit_many_queued(void **state)
{
	struct fixture *f = *state;
	int i;

	add_accounts(f);
	for (i = 0; i < 1000; i++) {
		struct audit_entry e = {f->user, f->org, "read", "persons/x", NULL, NULL};
		store_audit_enqueue(f->st, &e);
	}
	store_close(f->st);
	f->st = NULL;
	assert_int_equal(open_store(f, 0), STORE_OK);
	/* A few batches (the flusher may take some while they are queued). */
	assert_true(verify_ok(f) < 100);
	assert_int_equal(sql_int(f->db, "SELECT count(*) FROM audit_log WHERE action = 'read'"
					" AND record = 'persons/x'"), 1000);
}

/* Reads are found through the derived index, whether it has caught up or
 * not, and lose no value on the way (escaped characters included). */
static void test_audit_reads_lookup(void **state)
{
	struct fixture *f = *state;
	struct audit_row *rows = calloc(50, sizeof *rows);
	char msg[256] = "";
	size_t n = 0;
	int64_t entries;
	int i;

	assert_non_null(rows);
	add_accounts(f);
	audit_add(f, "create", "persons/p1");
	for (i = 0; i < 30; i++) {
		struct audit_entry e = {f->user, f->org, "read", i % 3 ? "persons/p1" : "persons/p2",
					i == 7 ? "given_name,a\tb\\c" : "given_name",
					"10.0.0.1"};
		store_audit_enqueue(f->st, &e);
	}
	assert_int_equal(store_audit_for_record(f->st, "persons/p1", rows, 50, &n), STORE_OK);
	assert_int_equal(n, 21); /* 20 reads and the create */
	assert_string_equal(rows[0].action, "read");
	assert_string_equal(rows[0].login, "dilnoza");
	assert_string_equal(rows[0].org_code, "ngo1");
	assert_string_equal(rows[0].addr, "10.0.0.1");
	assert_string_equal(rows[0].record, "persons/p1");
	assert_string_equal(rows[20].action, "create");
	for (i = 0; i < 20; i++)
		assert_true(rows[i].seq >= rows[i + 1].seq);
	for (i = 0; i < 20 && strcmp(rows[i].fields, "given_name,a\tb\\c"); i++)
		;
	assert_true(i < 20);
	/* The lookup caught the index up to the head. */
	assert_int_equal(sql_int(f->db, "SELECT value FROM meta WHERE key = 'audit_reads_upto'"),
			 sql_int(f->db, "SELECT max(seq) FROM audit"));
	/* At most max, newest first. */
	assert_int_equal(store_audit_for_record(f->st, "persons/p1", rows, 5, &n), STORE_OK);
	assert_int_equal(n, 5);
	assert_string_equal(rows[4].action, "read");
	/* Emptied, the index is rebuilt alike; behind, the chain fills in. */
	sql_exec(f->db, "DELETE FROM audit_reads; UPDATE meta SET value = '0'"
			" WHERE key = 'audit_reads_upto'");
	assert_int_equal(store_audit_for_record(f->st, "persons/p2", rows, 50, &n), STORE_OK);
	assert_int_equal(n, 10);
	assert_true(sql_int(f->db, "SELECT count(*) FROM audit_reads") >= 1);
	/* A read whose line was changed no longer verifies, and is named. */
	sql_exec(f->db, "UPDATE audit SET fields = replace(fields, '10.0.0.1', '10.0.0.9')"
			" WHERE action = 'reads'");
	assert_int_equal(store_audit_verify(f->st, msg, sizeof msg, &entries), -1);
	if (!strstr(msg, "was altered: read 1 of its batch"))
		fail_msg("verify said \"%s\"", msg);
	free(rows);
}

/* ---- completeness: nothing cut from the start, the end or the middle ---- */

/* Finding 7: emptying the log and its head left "intact: 0 entries". */
static void test_audit_emptied(void **state)
{
	struct fixture *f = *state;

	add_accounts(f);
	audit_add(f, "create", "persons/p1");
	audit_add(f, "read", "persons/p1");
	sql_exec(f->db, "DELETE FROM audit; DELETE FROM meta WHERE key = 'audit_head'");
	expect_tampered(f, "entry 1 is missing");
	/* Without the keyed anchor either: still no log a database can lack */
	sql_exec(f->db, "DELETE FROM meta WHERE key = 'audit_anchor'");
	expect_tampered(f, "anchor is missing");
	/* The store must not start a fresh log over the cut one on reopen */
	store_close(f->st);
	f->st = NULL;
	assert_int_equal(open_store(f, 0), STORE_OK);
	audit_add(f, "next", NULL);
	expect_tampered(f, "anchor is missing");
	assert_int_equal(sql_int(f->db, "SELECT count(*) FROM audit WHERE action = 'genesis'"), 0);
}

/* A new database starts its log with a genesis entry and a keyed anchor. */
static void test_audit_genesis(void **state)
{
	struct fixture *f = *state;
	char msg[256] = "";
	struct audit_head h;
	int64_t n = -1;

	assert_int_equal(verify_ok(f), 1);
	assert_int_equal(sql_int(f->db, "SELECT count(*) FROM audit WHERE seq = 1"
					" AND action = 'genesis'"), 1);
	assert_int_equal(sql_int(f->db, "SELECT count(*) FROM meta WHERE key = 'audit_anchor'"), 1);
	/* The anchor is keyed: pointing it elsewhere is seen */
	sql_exec(f->db, "UPDATE meta SET value = '2' || substr(value, 2) WHERE key = 'audit_anchor'");
	expect_tampered(f, "anchor was altered");
	/* Reopening a database does not write a second genesis */
	sql_exec(f->db, "UPDATE meta SET value = '1' || substr(value, 2) WHERE key = 'audit_anchor'");
	store_close(f->st);
	f->st = NULL;
	assert_int_equal(open_store(f, 0), STORE_OK);
	assert_int_equal(store_audit_verify_head(f->st, NULL, &h, msg, sizeof msg, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(h.seq, 1);
	assert_int_equal(strlen(h.digest), 32);
	/* An empty file is not a himoya database to be made afresh */
	{
		char path[160], err[256] = "";
		store *st = NULL;
		FILE *e;
		snprintf(path, sizeof path, "%s/empty.db", f->dir);
		e = fopen(path, "wb");
		assert_non_null(e);
		fclose(e);
		assert_int_equal(store_open(path, &f->kr, 1, 0, &st, err, sizeof err), STORE_ERROR);
		assert_non_null(strstr(err, "not a himoya database"));
		remove_db(path);
	}
}

/* An anchor kept outside (seq and digest printed by verify and backup)
 * catches what only the key's holder can do: a log rolled back to an
 * earlier, consistent state, or rewritten from scratch. */
static void test_audit_expect_head(void **state)
{
	struct fixture *f = *state;
	char msg[256] = "", err[256] = "", early[64], late[64], wrong[64];
	struct audit_head h, hb;
	store *copy;
	int64_t n;

	add_accounts(f);
	audit_add(f, "a", NULL);
	assert_int_equal(store_audit_verify_head(f->st, NULL, &h, msg, sizeof msg, &n), 0);
	snprintf(early, sizeof early, "%lld:%s", (long long)h.seq, h.digest);
	assert_int_equal(store_backup(f->st, f->copy, &hb, err, sizeof err), STORE_OK);
	assert_int_equal(hb.seq, h.seq);
	assert_string_equal(hb.digest, h.digest);
	audit_add(f, "b", NULL);
	audit_add(f, "c", NULL);
	assert_int_equal(store_audit_verify_head(f->st, NULL, &h, msg, sizeof msg, &n), 0);
	snprintf(late, sizeof late, "%lld:%s", (long long)h.seq, h.digest);
	/* The live log holds both anchors (a short prefix is enough) */
	assert_int_equal(store_audit_verify_head(f->st, early, NULL, msg, sizeof msg, &n), 0);
	assert_int_equal(store_audit_verify_head(f->st, late, NULL, msg, sizeof msg, &n), 0);
	late[strlen(late) - 10] = '\0';
	assert_int_equal(store_audit_verify_head(f->st, late, NULL, msg, sizeof msg, &n), 0);
	snprintf(late, sizeof late, "%lld:%s", (long long)h.seq, h.digest);
	snprintf(wrong, sizeof wrong, "%s", late);
	wrong[strlen(wrong) - 1] = wrong[strlen(wrong) - 1] == '0' ? '1' : '0';
	assert_int_equal(store_audit_verify_head(f->st, wrong, NULL, msg, sizeof msg, &n), -1);
	assert_non_null(strstr(msg, "does not match the expected head"));
	/* The earlier copy verifies on its own, but not against the later anchor */
	assert_int_equal(store_open(f->copy, &f->kr, 1, 0, &copy, err, sizeof err), STORE_OK);
	assert_int_equal(store_audit_verify_head(copy, NULL, NULL, msg, sizeof msg, &n), 0);
	assert_int_equal(store_audit_verify_head(copy, early, NULL, msg, sizeof msg, &n), 0);
	assert_int_equal(store_audit_verify_head(copy, late, NULL, msg, sizeof msg, &n), -1);
	if (!strstr(msg, "ends at entry"))
		fail_msg("verify said \"%s\"", msg);
	/* Malformed anchors are refused, not taken as a match */
	assert_int_equal(store_audit_verify_head(copy, "3", NULL, msg, sizeof msg, &n), -1);
	assert_int_equal(store_audit_verify_head(copy, "3:abc", NULL, msg, sizeof msg, &n), -1);
	assert_int_equal(store_audit_verify_head(copy, "x:0123456789abcdef", NULL, msg, sizeof msg,
						 &n), -1);
	store_close(copy);
}

/* A database from before the anchor existed gets one on its first open,
 * over a chain whose keyed head matches; not over an emptied one. */
static void test_audit_legacy_adopted(void **state)
{
	struct fixture *f = *state;

	add_accounts(f);
	audit_add(f, "a", NULL);
	audit_add(f, "b", NULL);
	store_close(f->st);
	f->st = NULL;
	/* As it was before anchors: no anchor, a plain watermark (adoption
	 * does not depend on the schema version; later migrations add columns
	 * that cannot be added twice, so the version stays). */
	sql_exec(f->db, "DELETE FROM meta WHERE key = 'audit_anchor';"
			" INSERT OR REPLACE INTO meta(key, value) VALUES('audit_reads_upto', '3');");
	assert_int_equal(open_store(f, 0), STORE_OK);
	assert_int_equal(verify_ok(f), 4); /* and an entry "anchor" that says so */
	assert_int_equal(sql_int(f->db, "SELECT count(*) FROM meta WHERE key = 'audit_anchor'"), 1);
	assert_int_equal(sql_int(f->db, "SELECT count(*) FROM audit WHERE seq = 4"
					" AND action = 'anchor' AND fields = 'at=3'"), 1);
	audit_add(f, "c", NULL);
	assert_int_equal(verify_ok(f), 5);
	/* At schema 13 too: databases made while 10-13 were placeholders */
	store_close(f->st);
	f->st = NULL;
	sql_exec(f->db, "DELETE FROM meta WHERE key = 'audit_anchor'");
	assert_int_equal(open_store(f, 0), STORE_OK);
	assert_int_equal(verify_ok(f), 6);
	/* Cut from the start, then the anchor removed: anchored again at
	 * the head, but the walk from entry 1 still finds the cut */
	sql_exec(f->db, "DELETE FROM audit WHERE seq <= 2");
	store_close(f->st);
	f->st = NULL;
	sql_exec(f->db, "DELETE FROM meta WHERE key = 'audit_anchor'");
	assert_int_equal(open_store(f, 0), STORE_OK);
	expect_tampered(f, "entry 1 is missing");

	/* Emptied before the upgrade, in a database that holds records */
	store_close(f->st);
	f->st = NULL;
	sql_exec(f->db, "DELETE FROM audit; DELETE FROM meta WHERE key IN ('audit_anchor',"
			" 'audit_head')");
	assert_int_equal(open_store(f, 0), STORE_OK);
	expect_tampered(f, "anchor is missing");
	audit_add(f, "d", NULL);
	expect_tampered(f, "anchor is missing");
}

/* The derived index of reads is checked against the chain, and a lookup
 * trusts only a keyed watermark. */
static void test_audit_reads_index_checked(void **state)
{
	struct fixture *f = *state;
	struct audit_row *rows = calloc(50, sizeof *rows);
	size_t n = 0;
	int i;

	assert_non_null(rows);
	add_accounts(f);
	for (i = 0; i < 20; i++) {
		struct audit_entry e = {f->user, f->org, "read", i % 2 ? "persons/p1" : "persons/p2",
					"given_name", "10.0.0.1"};
		store_audit_enqueue(f->st, &e);
	}
	assert_int_equal(store_audit_for_record(f->st, "persons/p1", rows, 50, &n), STORE_OK);
	assert_int_equal(n, 10);
	verify_ok(f);
	/* A row removed from the index: verify names it */
	sql_exec(f->db, "DELETE FROM audit_reads WHERE seq = (SELECT max(seq) FROM audit_reads)");
	expect_tampered(f, "audit_reads");
	assert_int_equal(store_audit_for_record(f->st, "persons/p1", rows, 50, &n), STORE_OK);
	store_audit_reindex(f->st);
	verify_ok(f);
	/* A row that points at a batch without that record */
	sql_exec(f->db, "INSERT INTO audit_reads(rkey, seq) SELECT 12345, max(seq) FROM audit"
			" WHERE action = 'reads'");
	expect_tampered(f, "audit_reads");
	assert_int_equal(store_audit_reindex(f->st), STORE_OK);
	verify_ok(f);
	/* A watermark raised past rows it does not have is not trusted: the
	 * lookup finds every read in the chain, and the index is rebuilt */
	sql_exec(f->db, "DELETE FROM audit_reads; UPDATE meta SET value = '999'"
			" WHERE key = 'audit_reads_upto'");
	expect_tampered(f, "audit_reads");
	assert_int_equal(store_audit_for_record(f->st, "persons/p1", rows, 50, &n), STORE_OK);
	assert_int_equal(n, 10);
	assert_int_equal(store_audit_for_record(f->st, "persons/p2", rows, 50, &n), STORE_OK);
	assert_int_equal(n, 10);
	verify_ok(f);
	free(rows);
}

/* ---- backup ------------------------------------------------------------ */

static void test_backup(void **state)
{
	struct fixture *f = *state;
	char err[256] = "", id[ID_LEN];
	struct person_row p;
	struct user u;
	store *copy;
	int64_t n = 0;
	char msg[256];
	arena a;

	add_accounts(f);
	person_insert(f, f->org, id, "2024-01-01T00:00:00Z");
	audit_add(f, "create", "persons/p1");
	{
		struct audit_entry e = {f->user, f->org, "read", "persons/p1", NULL, NULL};
		store_audit_enqueue(f->st, &e);
	}
	assert_int_equal(store_backup(f->st, f->copy, NULL, err, sizeof err), STORE_OK);
	/* One file, in rollback-journal mode, nothing beside it */
	assert_int_equal(sql_int(f->copy, "PRAGMA journal_mode") == -1, 0);

	assert_int_equal(store_open(f->copy, &f->kr, 1, 0, &copy, err, sizeof err), STORE_OK);
	assert_int_equal(store_audit_verify(copy, msg, sizeof msg, &n), 0);
	assert_int_equal(n, 3); /* genesis, create, and the queued read before the copy */
	assert_int_equal(store_user_by_login(copy, "dilnoza", &u), STORE_OK);
	arena_init(&a, 1 << 16);
	assert_int_equal(store_person_get(copy, id, &p, &a), STORE_OK);
	assert_int_equal(p.version, 1);
	arena_free(&a);
	store_close(copy);

	/* The original goes on independently */
	audit_add(f, "after-backup", NULL);
	assert_int_equal(verify_ok(f), 4);

	/* Backup to a place that cannot be written */
	assert_int_equal(store_backup(f->st, "/nonexistent-dir/x/backup.db", NULL, err, sizeof err),
			 STORE_ERROR);
	assert_true(strlen(err) > 0);
}

static void test_backup_other_key(void **state)
{
	struct fixture *f = *state;
	char err[256] = "", key2[160], msg[256] = "";
	keyring kr2;
	store *copy;
	int64_t n;

	add_accounts(f);
	audit_add(f, "a", NULL);
	assert_int_equal(store_backup(f->st, f->copy, NULL, err, sizeof err), STORE_OK);
	/* Opened with another installation's key, the chain does not verify */
	snprintf(key2, sizeof key2, "%s/other.key", f->dir);
	assert_int_equal(key_file_create(key2), 0);
	assert_int_equal(key_file_load(key2, &kr2, err, sizeof err), 0);
	assert_int_equal(store_open(f->copy, &kr2, 1, 0, &copy, err, sizeof err), STORE_OK);
	assert_int_equal(store_audit_verify(copy, msg, sizeof msg, &n), -1);
	assert_true(strlen(msg) > 0);
	store_close(copy);
	keyring_wipe(&kr2);
	unlink(key2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_new_id_placed),
		cmocka_unit_test_setup_teardown(test_open_and_reopen, setup, teardown),
		cmocka_unit_test_setup_teardown(test_open_missing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_open_newer_schema, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bulk_unfinished_then_migrated, setup, teardown),
		cmocka_unit_test_setup_teardown(test_logins_clashing_by_case_migrate, setup, teardown),
		cmocka_unit_test_setup_teardown(test_orgs_and_users, setup, teardown),
		cmocka_unit_test_setup_teardown(test_user_rollback, setup, teardown),
		cmocka_unit_test_setup_teardown(test_user_updates, setup, teardown),
		cmocka_unit_test_setup_teardown(test_role_policy, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sessions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_session_sweep, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tokens, setup, teardown),
		cmocka_unit_test_setup_teardown(test_person_versions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_person_get_small_arena, setup, teardown),
		cmocka_unit_test_setup_teardown(test_person_find, setup, teardown),
		cmocka_unit_test_setup_teardown(test_audit_intact, setup, teardown),
		cmocka_unit_test_setup_teardown(test_audit_tamper_field, setup, teardown),
		cmocka_unit_test_setup_teardown(test_audit_tamper_delete, setup, teardown),
		cmocka_unit_test_setup_teardown(test_audit_tamper_truncate, setup, teardown),
		cmocka_unit_test_setup_teardown(test_audit_tamper_rewrite_chain, setup, teardown),
		cmocka_unit_test_setup_teardown(test_audit_tamper_head, setup, teardown),
		cmocka_unit_test_setup_teardown(test_audit_tamper_truncate_and_head, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_audit_enqueue_flush, setup, teardown),
		cmocka_unit_test_setup_teardown(test_audit_full_disk_keeps_reads, setup, teardown),
		cmocka_unit_test_setup_teardown(test_audit_many_queued, setup, teardown),
		cmocka_unit_test_setup_teardown(test_audit_reads_lookup, setup, teardown),
		cmocka_unit_test_setup_teardown(test_audit_emptied, setup, teardown),
		cmocka_unit_test_setup_teardown(test_audit_genesis, setup, teardown),
		cmocka_unit_test_setup_teardown(test_audit_expect_head, setup, teardown),
		cmocka_unit_test_setup_teardown(test_audit_legacy_adopted, setup, teardown),
		cmocka_unit_test_setup_teardown(test_audit_reads_index_checked, setup, teardown),
		cmocka_unit_test_setup_teardown(test_backup, setup, teardown),
		cmocka_unit_test_setup_teardown(test_backup_other_key, setup, teardown),
	};

	return cmocka_run_group_tests(tests, group_setup, NULL);
}
