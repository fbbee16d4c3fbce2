/*
 * test_store_conformance.c - the contract of the store_* functions, written
 * against store/store.h alone, so that it holds for every driver behind
 * db.h: records not found, version conflicts, unique keys, the order of
 * lists and their cursors, what a list shows under an organisation's
 * scope (its own, and what live referrals give it) and the figures it
 * counts, meta, accounts, sessions and tokens, the justice track's links
 * and stays, transfers, the audit chain with its verification, the
 * library (products, numbered versions, withdrawal, filters and paging),
 * the knowledge base (versions, list and search order) and the limits
 * that servers share (lockouts, rate counters, one-time ids), and the
 * Action Plan (loads, activities, the last report winning), and
 * duplicates (pairs, not-the-same, merge and its undoing), and the network
 * matching's rows, stamps and the pass's reads.
 *
 * (store/reports.h declares the trainings, store/library.h and store/kb.h
 * the library and the knowledge base: store functions too.)
 *
 * Every test runs once per driver of the table `drivers` (a function that
 * opens a fresh, empty store); a PostgreSQL driver adds one line there.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "crypto/crypto.h"
#include "store/dedup.h"
#include "store/kb.h"
#include "store/library.h"
#include "store/plan.h"
#include "store/pprl.h"
#include "store/reports.h"
#include "store/store.h"
#include "store/db.h" /* only to make and drop the PostgreSQL fixtures' databases */
#include "util/arena.h"

struct fixture {
	char dir[64];
	char dbname[32]; /* PostgreSQL: the test's own database */
	keyring kr;
	store *st;
	arena a;
	char org[ID_LEN], org2[ID_LEN], user[ID_LEN], user2[ID_LEN];
};

/* ---- the drivers ------------------------------------------------------ */

/* SQLite: a database file in a new temporary folder. */
static int open_sqlite(struct fixture *f)
{
	char path[128], err[256] = "";
	int rc;

	snprintf(f->dir, sizeof f->dir, "/tmp/himoya-conform-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(path, sizeof path, "%s/himoya.db", f->dir);
	rc = store_open(path, &f->kr, 2, 1, &f->st, err, sizeof err);
	if (rc != STORE_OK)
		print_error("store_open: %s\n", err);
	return rc == STORE_OK ? 0 : -1;
}

static void close_sqlite(struct fixture *f)
{
	static const char *const files[] = {"himoya.db", "himoya.db-wal", "himoya.db-shm",
					    "himoya.db-journal"};
	char path[160];
	size_t i;

	store_close(f->st);
	for (i = 0; i < sizeof files / sizeof files[0]; i++) {
		snprintf(path, sizeof path, "%s/%s", f->dir, files[i]);
		unlink(path);
	}
	rmdir(f->dir);
}

/* PostgreSQL: a new database in the cluster HIMOYA_TEST_PG names (the
 * URL of its postgres database; tests/pg/with-cluster.sh makes one). */
static int pg_admin(const char *sql)
{
	const char *url = getenv("HIMOYA_TEST_PG");
	char err[256];
	db *d;
	int rc;

	if (!url || db_open(url, DB_WRITE, &d, err, sizeof err) != DB_OK)
		return -1;
	rc = db_exec(d, sql);
	if (rc != DB_OK)
		print_error("%s: %s\n", sql, db_errmsg(d));
	db_close(d);
	return rc == DB_OK ? 0 : -1;
}

/* The cluster's URL with the path (the database) replaced by name. */
static int pg_url(const char *name, char *out, size_t outlen)
{
	const char *url = getenv("HIMOYA_TEST_PG"), *host, *path;

	if (!url || !(host = strstr(url, "://")))
		return -1;
	host += 3;
	path = host + strcspn(host, "/?");
	snprintf(out, outlen, "%.*s/%s%s", (int)(path - url), url, name,
		 path + strcspn(path, "?"));
	return 0;
}

static int open_pg(struct fixture *f)
{
	static unsigned serial;
	char sql[96], url[1024], err[256] = "";
	int rc;

	snprintf(f->dbname, sizeof f->dbname, "conform_%ld_%u", (long)getpid(), ++serial);
	snprintf(sql, sizeof sql, "CREATE DATABASE %s", f->dbname);
	if (pg_admin(sql) != 0 || pg_url(f->dbname, url, sizeof url) != 0)
		return -1;
	rc = store_open(url, &f->kr, 2, 1, &f->st, err, sizeof err);
	if (rc != STORE_OK)
		print_error("store_open: %s\n", err);
	return rc == STORE_OK ? 0 : -1;
}

static void close_pg(struct fixture *f)
{
	char sql[96];

	store_close(f->st);
	snprintf(sql, sizeof sql, "DROP DATABASE %s", f->dbname);
	pg_admin(sql);
}

static const struct driver {
	const char *name;
	int (*open)(struct fixture *f);
	void (*close)(struct fixture *f);
} drivers[] = {
	{"sqlite", open_sqlite, close_sqlite},
	{"postgresql", open_pg, close_pg},
};

static const struct driver *driver;

/* ---- fixtures and helpers ----------------------------------------------- */

/* A fresh store with two organisations, a user in each. */
static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	store_tx *tx;
	int rc = STORE_ERROR;

	if (!f)
		return -1;
	randombytes_buf(&f->kr, sizeof f->kr);
	if (driver->open(f) != 0) {
		free(f);
		return -1;
	}
	arena_init(&f->a, 8u << 20);
	tx = store_begin(f->st);
	if (tx && store_org_add(tx, "ngo1", "Shelter One", "NGO", f->org) == STORE_OK &&
	    store_org_add(tx, "ngo2", "Shelter Two", "NGO", f->org2) == STORE_OK &&
	    store_user_add(tx, f->org, "dilnoza", "caseworker", "$argon2id$fake", f->user) ==
		    STORE_OK &&
	    store_user_add(tx, f->org2, "rustam", "caseworker", "$argon2id$fake", f->user2) ==
		    STORE_OK)
		rc = store_commit(tx);
	else if (tx)
		store_rollback(tx);
	*state = f;
	return rc == STORE_OK ? 0 : -1;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	arena_free(&f->a);
	driver->close(f);
	keyring_wipe(&f->kr);
	free(f);
	return 0;
}

static store_tx *begin(struct fixture *f)
{
	store_tx *tx = store_begin(f->st);
	assert_non_null(tx);
	return tx;
}

static void commit(store_tx *tx)
{
	assert_int_equal(store_commit(tx), STORE_OK);
}

static const unsigned char SEALED[] = "sealed bytes\0with a zero";

static void person_make(struct person_row *p, const char *org, const char *at)
{
	memset(p, 0, sizeof *p);
	store_new_id(p->id);
	snprintf(p->org_id, sizeof p->org_id, "%s", org);
	p->version = 1;
	p->coded = "{\"gender\":\"Feminine\"}";
	p->sealed = SEALED;
	p->sealed_len = sizeof SEALED;
	snprintf(p->created_at, sizeof p->created_at, "%s", at);
	snprintf(p->updated_at, sizeof p->updated_at, "%s", at);
}

static void person_add(struct fixture *f, const char *org, const char *at, char id[ID_LEN])
{
	struct person_row p;
	store_tx *tx = begin(f);

	person_make(&p, org, at);
	assert_int_equal(store_person_insert(tx, &p), STORE_OK);
	commit(tx);
	memcpy(id, p.id, ID_LEN);
}

static void case_make(struct case_row *c, const char *org, const char *person, const char *at)
{
	memset(c, 0, sizeof *c);
	store_new_id(c->id);
	snprintf(c->org_id, sizeof c->org_id, "%s", org);
	snprintf(c->person_id, sizeof c->person_id, "%s", person);
	c->version = 1;
	snprintf(c->status, sizeof c->status, "open");
	snprintf(c->stage, sizeof c->stage, "identification");
	snprintf(c->opened_on, sizeof c->opened_on, "2026-01-01");
	c->coded = "{}";
	snprintf(c->created_at, sizeof c->created_at, "%s", at);
	snprintf(c->updated_at, sizeof c->updated_at, "%s", at);
}

static void case_add(struct fixture *f, const char *org, const char *person, const char *at,
		     char id[ID_LEN])
{
	struct case_row c;
	store_tx *tx = begin(f);

	case_make(&c, org, person, at);
	assert_int_equal(store_case_insert(tx, &c), STORE_OK);
	commit(tx);
	memcpy(id, c.id, ID_LEN);
}

static void item_make(struct item_row *it, const char *kind, const char *org, const char *case_id,
		      const char *person, const char *at)
{
	memset(it, 0, sizeof *it);
	store_new_id(it->id);
	snprintf(it->kind, sizeof it->kind, "%s", kind);
	snprintf(it->org_id, sizeof it->org_id, "%s", org);
	snprintf(it->case_id, sizeof it->case_id, "%s", case_id ? case_id : "");
	snprintf(it->person_id, sizeof it->person_id, "%s", person);
	it->version = 1;
	snprintf(it->at, sizeof it->at, "%s", at);
	it->coded = "{}";
	snprintf(it->created_at, sizeof it->created_at, "%s", at);
	snprintf(it->updated_at, sizeof it->updated_at, "%s", at);
}

static void service_make(struct dir_service_row *r, const char *org, const char *name);

/* ---- not found ------------------------------------------------------------ */

static void test_not_found(void **state)
{
	struct fixture *f = *state;
	struct person_row p;
	struct case_row c;
	struct item_row it;
	struct referral_row r;
	struct contact_row ct;
	struct callback_row cb;
	struct org o;
	struct user u;
	struct token_row t;
	char v[64];

	assert_int_equal(store_person_get(f->st, "absent", &p, &f->a), STORE_NOT_FOUND);
	assert_int_equal(store_case_get(f->st, "absent", &c, &f->a), STORE_NOT_FOUND);
	assert_int_equal(store_item_get(f->st, "absent", &it, &f->a), STORE_NOT_FOUND);
	assert_int_equal(store_referral_get(f->st, "absent", &r, &f->a), STORE_NOT_FOUND);
	assert_int_equal(store_contact_get(f->st, "absent", &ct, &f->a), STORE_NOT_FOUND);
	assert_int_equal(store_callback_get(f->st, "absent", &cb, &f->a), STORE_NOT_FOUND);
	assert_int_equal(store_org_by_id(f->st, "absent", &o), STORE_NOT_FOUND);
	assert_int_equal(store_org_by_code(f->st, "absent", &o), STORE_NOT_FOUND);
	assert_int_equal(store_user_by_id(f->st, "absent", &u), STORE_NOT_FOUND);
	assert_int_equal(store_user_by_login(f->st, "absent", &u), STORE_NOT_FOUND);
	assert_int_equal(store_token_by_id(f->st, "absent", &t), STORE_NOT_FOUND);
	assert_int_equal(store_meta_get(f->st, "absent", v, sizeof v), STORE_NOT_FOUND);
	/* What is there is found, field for field. */
	assert_int_equal(store_org_by_code(f->st, "ngo2", &o), STORE_OK);
	assert_string_equal(o.id, f->org2);
	assert_string_equal(o.name, "Shelter Two");
	assert_int_equal(store_user_by_login(f->st, "dilnoza", &u), STORE_OK);
	assert_string_equal(u.id, f->user);
	assert_string_equal(u.org.id, f->org);
	assert_string_equal(u.role, "caseworker");
	/* in any case, answered with the login as it was made */
	assert_int_equal(store_user_by_login(f->st, "DilNOZA", &u), STORE_OK);
	assert_string_equal(u.id, f->user);
	assert_string_equal(u.login, "dilnoza");
}

/* ---- unique keys ---------------------------------------------------------- */

static void test_unique_keys(void **state)
{
	struct fixture *f = *state;
	char id[ID_LEN], person[ID_LEN], kase[ID_LEN];
	unsigned char hash[HASH_BYTES] = {1, 2, 3};
	struct person_row p;
	struct case_row c;
	struct item_row it;
	store_tx *tx;

	tx = begin(f);
	assert_int_equal(store_org_add(tx, "ngo1", "Again", "NGO", id), STORE_CONFLICT);
	store_rollback(tx);
	tx = begin(f);
	assert_int_equal(store_user_add(tx, f->org2, "dilnoza", "admin", "x", id), STORE_CONFLICT);
	store_rollback(tx);
	/* a login is taken whatever its case (migration 34) */
	tx = begin(f);
	assert_int_equal(store_user_add(tx, f->org2, "Dilnoza", "admin", "x", id), STORE_CONFLICT);
	store_rollback(tx);
	tx = begin(f);
	assert_int_equal(store_user_add(tx, f->org2, "RUSTAM", "admin", "x", id), STORE_CONFLICT);
	store_rollback(tx);

	person_make(&p, f->org, "2026-01-01T00:00:00Z");
	tx = begin(f);
	assert_int_equal(store_person_insert(tx, &p), STORE_OK);
	assert_int_equal(store_person_insert(tx, &p), STORE_CONFLICT);
	commit(tx);
	memcpy(person, p.id, ID_LEN);

	case_make(&c, f->org, person, "2026-01-01T00:00:00Z");
	tx = begin(f);
	assert_int_equal(store_case_insert(tx, &c), STORE_OK);
	assert_int_equal(store_case_insert(tx, &c), STORE_CONFLICT);
	commit(tx);
	memcpy(kase, c.id, ID_LEN);

	item_make(&it, "perpetrator", f->org, NULL, person, "2026-01-01T00:00:00Z");
	tx = begin(f);
	assert_int_equal(store_item_insert(tx, &it), STORE_OK);
	assert_int_equal(store_item_insert(tx, &it), STORE_CONFLICT);
	assert_int_equal(store_perpetrator_link(tx, it.id, kase, f->org, "2026-01-02T00:00:00Z"),
			 STORE_OK);
	assert_int_equal(store_perpetrator_link(tx, it.id, kase, f->org, "2026-01-03T00:00:00Z"),
			 STORE_CONFLICT);
	commit(tx);

	tx = begin(f);
	assert_int_equal(store_token_add(tx, hash, f->user, "cli", 2000000000, id), STORE_OK);
	assert_int_equal(store_token_add(tx, hash, f->user, "cli", 2000000000, (char[ID_LEN]){0}),
			 STORE_CONFLICT);
	commit(tx);
	tx = begin(f);
	assert_int_equal(store_token_revoke(tx, id), STORE_OK);
	assert_int_equal(store_token_revoke(tx, id), STORE_CONFLICT);
	assert_int_equal(store_token_revoke(tx, "absent"), STORE_NOT_FOUND);
	commit(tx);
}

/* ---- versions ------------------------------------------------------------- */

static void test_versions(void **state)
{
	struct fixture *f = *state;
	char person[ID_LEN], kase[ID_LEN];
	struct person_row p;
	struct case_row c, c2;
	struct item_row it, *rows;
	size_t n;
	store_tx *tx;

	person_add(f, f->org, "2026-01-01T00:00:00Z", person);
	assert_int_equal(store_person_get(f->st, person, &p, &f->a), STORE_OK);
	assert_int_equal(p.version, 1);
	assert_int_equal(p.sealed_len, sizeof SEALED);
	assert_memory_equal(p.sealed, SEALED, sizeof SEALED);
	assert_string_equal(p.merged_into, "");

	case_make(&c, f->org, person, "2026-01-01T00:00:00Z");
	memcpy(kase, c.id, ID_LEN);
	item_make(&it, "note", f->org, c.id, person, "2026-01-01T00:00:00Z");
	tx = begin(f);
	assert_int_equal(store_case_insert(tx, &c), STORE_OK);
	assert_int_equal(store_item_insert(tx, &it), STORE_OK);
	commit(tx);

	/* Version 2 over 1 goes; 2 again, or 5, is stale; an absent id is
	 * not found. */
	tx = begin(f);
	p.version = 2;
	p.coded = "{}";
	assert_int_equal(store_person_update(tx, &p), STORE_OK);
	assert_int_equal(store_person_update(tx, &p), STORE_STALE);
	c.version = 2;
	snprintf(c.status, sizeof c.status, "closed");
	snprintf(c.closed_on, sizeof c.closed_on, "2026-02-01");
	snprintf(c.updated_at, sizeof c.updated_at, "2026-02-01T00:00:00Z");
	assert_int_equal(store_case_update(tx, &c), STORE_OK);
	assert_int_equal(store_case_update(tx, &c), STORE_STALE);
	c.version = 5;
	assert_int_equal(store_case_update(tx, &c), STORE_STALE);
	it.version = 2;
	snprintf(it.status, sizeof it.status, "done");
	it.sealed = SEALED;
	it.sealed_len = sizeof SEALED;
	assert_int_equal(store_item_update(tx, &it), STORE_OK);
	assert_int_equal(store_item_update(tx, &it), STORE_STALE);
	snprintf(it.id, sizeof it.id, "absent");
	assert_int_equal(store_item_update(tx, &it), STORE_NOT_FOUND);
	snprintf(c.id, sizeof c.id, "absent");
	assert_int_equal(store_case_update(tx, &c), STORE_NOT_FOUND);
	snprintf(p.id, sizeof p.id, "absent");
	assert_int_equal(store_person_update(tx, &p), STORE_NOT_FOUND);
	commit(tx);

	assert_int_equal(store_person_get(f->st, person, &p, &f->a), STORE_OK);
	assert_int_equal(p.version, 2);
	assert_string_equal(p.coded, "{}");
	assert_int_equal(store_case_get(f->st, kase, &c2, &f->a), STORE_OK);
	assert_int_equal(c2.version, 2);
	assert_string_equal(c2.status, "closed");
	assert_string_equal(c2.closed_on, "2026-02-01");
	assert_string_equal(c2.trafficking_status, "");
	assert_string_equal(c2.created_at, "2026-01-01T00:00:00Z");
	assert_string_equal(c2.updated_at, "2026-02-01T00:00:00Z");
	/* A case with no sealed part reads back an empty one, not NULL. */
	assert_non_null(c2.sealed);
	assert_int_equal(c2.sealed_len, 0);
	assert_int_equal(store_items_of_case(f->st, kase, "note", &rows, &n, &f->a), STORE_OK);
	assert_int_equal(n, 1);
	assert_int_equal(rows[0].version, 2);
	assert_string_equal(rows[0].status, "done");
	assert_int_equal(rows[0].sealed_len, sizeof SEALED);
	assert_memory_equal(rows[0].sealed, SEALED, sizeof SEALED);
	assert_string_equal(rows[0].due, "");
	assert_string_equal(rows[0].case_id, kase);
	assert_string_equal(rows[0].service_id, "");
}

/* An item's sealed part is NULL when none was written, and stays what was
 * written (a person-level item has no case). */
static void test_item_sealed_null(void **state)
{
	struct fixture *f = *state;
	char person[ID_LEN];
	struct item_row it, got;
	store_tx *tx;

	person_add(f, f->org, "2026-01-01T00:00:00Z", person);
	item_make(&it, "consent", f->org, NULL, person, "2026-01-01T00:00:00Z");
	tx = begin(f);
	assert_int_equal(store_item_insert(tx, &it), STORE_OK);
	commit(tx);
	assert_int_equal(store_item_get(f->st, it.id, &got, &f->a), STORE_OK);
	assert_null(got.sealed);
	assert_int_equal(got.sealed_len, 0);
	assert_string_equal(got.case_id, "");
	assert_string_equal(got.person_id, person);
	assert_string_equal(got.kind, "consent");
	assert_string_equal(got.coded, "{}");
}

/* Perpetrators are items linked to cases; stays are items of a shelter
 * service; a transfer moves a case and its person. */
static void test_justice_and_transfer(void **state)
{
	struct fixture *f = *state;
	char person[ID_LEN], kase[ID_LEN], cases_of[4][ID_LEN];
	struct item_row p1, p2, stay, *rows;
	struct dir_service_row svc;
	struct case_row c;
	struct person_row p;
	long open;
	size_t n;
	store_tx *tx;

	person_add(f, f->org, "2026-01-01T00:00:00Z", person);
	case_add(f, f->org, person, "2026-01-01T00:00:00Z", kase);
	item_make(&p1, "perpetrator", f->org, NULL, "", "2026-01-02T00:00:00Z");
	item_make(&p2, "perpetrator", f->org, NULL, "", "2026-01-01T00:00:00Z");
	service_make(&svc, f->org, "Shelter");
	item_make(&stay, "stay", f->org, kase, person, "2026-01-05T00:00:00Z");
	snprintf(stay.status, sizeof stay.status, "open");
	memcpy(stay.service_id, svc.id, ID_LEN);
	tx = begin(f);
	assert_int_equal(store_item_insert(tx, &p1), STORE_OK);
	assert_int_equal(store_item_insert(tx, &p2), STORE_OK);
	assert_int_equal(store_perpetrator_link(tx, p1.id, kase, f->org, "2026-01-03T00:00:00Z"),
			 STORE_OK);
	assert_int_equal(store_perpetrator_link(tx, p2.id, kase, f->org, "2026-01-04T00:00:00Z"),
			 STORE_OK);
	assert_int_equal(store_dir_service_insert(tx, &svc), STORE_OK);
	assert_int_equal(store_stays_open_count_tx(tx, svc.id, &open), STORE_OK);
	assert_int_equal(open, 0);
	assert_int_equal(store_item_insert(tx, &stay), STORE_OK);
	assert_int_equal(store_stays_open_count_tx(tx, svc.id, &open), STORE_OK);
	assert_int_equal(open, 1);
	{
		char in[sizeof svc.id] = "";
		assert_int_equal(store_stay_open_of(tx, person, in, sizeof in), 1);
		assert_string_equal(in, svc.id);
		assert_int_equal(store_stay_open_of(tx, "absent", in, sizeof in), 0);
	}
	commit(tx);

	/* Linked perpetrators by when they were made (not when linked). */
	assert_int_equal(store_perpetrators_of_case(f->st, kase, &rows, &n, &f->a), STORE_OK);
	assert_int_equal(n, 2);
	assert_string_equal(rows[0].id, p2.id);
	assert_string_equal(rows[1].id, p1.id);
	assert_int_equal(store_perpetrator_cases(f->st, p1.id, cases_of, 4, &n), STORE_OK);
	assert_int_equal(n, 1);
	assert_string_equal(cases_of[0], kase);
	assert_int_equal(store_stays_of_service(f->st, svc.id, 1, &rows, &n, &f->a), STORE_OK);
	assert_int_equal(n, 1);
	assert_string_equal(rows[0].service_id, svc.id);
	assert_int_equal(store_stays_open_count(f->st, svc.id, &open), STORE_OK);
	assert_int_equal(open, 1);

	/* The transfer: only from the case's owner (another transfer accepted
	 * first leaves it nothing to give); then the case and its person are
	 * the other organisation's. */
	tx = begin(f);
	assert_int_equal(store_case_move(tx, kase, person, f->org2, f->org, NULL,
					 "2026-01-31T00:00:00Z", "2026-02-01T00:00:00Z"),
			 STORE_NOT_FOUND);
	assert_int_equal(store_case_move(tx, kase, person, f->org, f->org2, NULL,
					 "2026-01-31T00:00:00Z", "2026-02-01T00:00:00Z"),
			 STORE_OK);
	commit(tx);
	assert_int_equal(store_case_get(f->st, kase, &c, &f->a), STORE_OK);
	assert_string_equal(c.org_id, f->org2);
	assert_string_equal(c.updated_at, "2026-02-01T00:00:00Z");
	assert_int_equal(store_person_get(f->st, person, &p, &f->a), STORE_OK);
	assert_string_equal(p.org_id, f->org2);
}

/* ---- lists: order, cursors, scope ----------------------------------------- */

static void test_case_list_order_and_cursor(void **state)
{
	struct fixture *f = *state;
	char person[ID_LEN], ids[5][ID_LEN], other[ID_LEN];
	struct case_filter cf = {0};
	struct case_row *rows;
	size_t n, i;
	static const char *const at[5] = {"2026-01-03T00:00:00Z", "2026-01-01T00:00:00Z",
					  "2026-01-05T00:00:00Z", "2026-01-02T00:00:00Z",
					  "2026-01-04T00:00:00Z"};

	person_add(f, f->org, "2026-01-01T00:00:00Z", person);
	for (i = 0; i < 5; i++)
		case_add(f, f->org, person, at[i], ids[i]);
	person_add(f, f->org2, "2026-01-01T00:00:00Z", other);
	case_add(f, f->org2, other, "2026-01-09T00:00:00Z", (char[ID_LEN]){0});

	/* Newest change first, and only the organisation's own. */
	cf.org_id = f->org;
	cf.limit = 3;
	assert_int_equal(store_case_list(f->st, &cf, &rows, &n, &f->a), STORE_OK);
	assert_int_equal(n, 3);
	assert_string_equal(rows[0].id, ids[2]);
	assert_string_equal(rows[1].id, ids[4]);
	assert_string_equal(rows[2].id, ids[0]);
	/* The next page starts after the last row. */
	cf.after_at = arena_strdup(&f->a, rows[2].updated_at);
	cf.after_id = arena_strdup(&f->a, rows[2].id);
	assert_int_equal(store_case_list(f->st, &cf, &rows, &n, &f->a), STORE_OK);
	assert_int_equal(n, 2);
	assert_string_equal(rows[0].id, ids[3]);
	assert_string_equal(rows[1].id, ids[1]);
	/* Filters narrow it. */
	memset(&cf, 0, sizeof cf);
	cf.org_id = f->org2;
	cf.limit = 50;
	cf.status = "closed";
	assert_int_equal(store_case_list(f->st, &cf, &rows, &n, &f->a), STORE_OK);
	assert_int_equal(n, 0);
	cf.status = "open";
	assert_int_equal(store_case_list(f->st, &cf, &rows, &n, &f->a), STORE_OK);
	assert_int_equal(n, 1);
	/* The cases of a set of persons, of one organisation. */
	{
		char pids[2][ID_LEN];
		memcpy(pids[0], person, ID_LEN);
		memcpy(pids[1], other, ID_LEN);
		assert_int_equal(store_case_list_persons(f->st, f->org, pids, 2, 200, &rows, &n,
							 &f->a),
				 STORE_OK);
		assert_int_equal(n, 5);
		assert_string_equal(rows[0].id, ids[2]);
		assert_string_equal(rows[4].id, ids[1]);
		/* A case with sealed fields: the list leaves them out, the
		 * case read whole has them.  At most limit rows, newest first. */
		{
			struct case_row sc, whole;
			store_tx *tx = begin(f);
			case_make(&sc, f->org, person, "2026-02-01T00:00:00Z");
			sc.sealed = SEALED;
			sc.sealed_len = sizeof SEALED;
			assert_int_equal(store_case_insert(tx, &sc), STORE_OK);
			commit(tx);
			assert_int_equal(store_case_list_persons(f->st, f->org, pids, 2, 2, &rows, &n,
								 &f->a),
					 STORE_OK);
			assert_int_equal(n, 2);
			assert_string_equal(rows[0].id, sc.id);
			assert_int_equal(rows[0].sealed_len, 0);
			assert_string_equal(rows[1].id, ids[2]);
			assert_int_equal(store_case_get(f->st, sc.id, &whole, &f->a), STORE_OK);
			assert_int_equal(whole.sealed_len, sizeof SEALED);
		}
	}
}

/* A referral's names for its recipient: set replaces the referral's keys,
 * find reads one key of one organisation's, and the referrals of a
 * person's cases, or all of them in id order, are listed. */
static void test_referral_names(void **state)
{
	struct fixture *f = *state;
	char person[ID_LEN], person2[ID_LEN], kase[ID_LEN], kase2[ID_LEN], ids[4][ID_LEN];
	struct referral_name_hit *hits;
	struct referral_row r, r2;
	struct blind_key keys[3];
	size_t n, i;
	store_tx *tx;

	person_add(f, f->org, "2026-01-01T00:00:00Z", person);
	person_add(f, f->org, "2026-01-01T00:00:00Z", person2);
	case_add(f, f->org, person, "2026-01-01T00:00:00Z", kase);
	case_add(f, f->org, person2, "2026-01-01T00:00:00Z", kase2);
	memset(&r, 0, sizeof r);
	store_new_id(r.id);
	snprintf(r.kind, sizeof r.kind, "referral");
	memcpy(r.case_id, kase, ID_LEN);
	memcpy(r.person_id, person, ID_LEN);
	memcpy(r.from_org, f->org, ID_LEN);
	memcpy(r.to_org, f->org2, ID_LEN);
	snprintf(r.status, sizeof r.status, "sent");
	snprintf(r.urgency, sizeof r.urgency, "normal");
	r.version = 1;
	r.share = "[\"given_name\"]";
	r.coded = "{}";
	snprintf(r.created_at, sizeof r.created_at, "2026-01-02T00:00:00Z");
	snprintf(r.updated_at, sizeof r.updated_at, "2026-01-02T00:00:00Z");
	r2 = r;
	store_new_id(r2.id);
	memcpy(r2.case_id, kase2, ID_LEN);
	memcpy(r2.person_id, person2, ID_LEN);
	for (i = 0; i < 3; i++) {
		memset(keys[i].mac, (int)(0x10 + i), BLIND_BYTES);
		keys[i].kind = "name";
	}
	tx = begin(f);
	assert_int_equal(store_referral_insert(tx, &r), STORE_OK);
	assert_int_equal(store_referral_insert(tx, &r2), STORE_OK);
	assert_int_equal(store_referral_names_set(tx, &r, keys, 2), STORE_OK);
	assert_int_equal(store_referral_names_set(tx, &r2, keys + 1, 2), STORE_OK);
	commit(tx);
	/* key 1 is both referrals', key 0 the first's; org (the sender) has none */
	assert_int_equal(store_referral_names_find(f->st, f->org2, keys[1].mac, 10, &hits, &n, &f->a),
			 STORE_OK);
	assert_int_equal(n, 2);
	assert_int_equal(store_referral_names_find(f->st, f->org2, keys[0].mac, 10, &hits, &n, &f->a),
			 STORE_OK);
	assert_int_equal(n, 1);
	assert_string_equal(hits[0].referral_id, r.id);
	assert_string_equal(hits[0].case_id, kase);
	assert_int_equal(store_referral_names_find(f->st, f->org, keys[0].mac, 10, &hits, &n, &f->a),
			 STORE_OK);
	assert_int_equal(n, 0);
	assert_int_equal(store_referral_names_find(f->st, f->org2, keys[1].mac, 1, &hits, &n, &f->a),
			 STORE_OK);
	assert_int_equal(n, 1); /* max */
	/* set replaces: the first referral now has key 2 alone */
	tx = begin(f);
	assert_int_equal(store_referral_names_set(tx, &r, keys + 2, 1), STORE_OK);
	commit(tx);
	assert_int_equal(store_referral_names_find(f->st, f->org2, keys[0].mac, 10, &hits, &n, &f->a),
			 STORE_OK);
	assert_int_equal(n, 0);
	assert_int_equal(store_referral_names_find(f->st, f->org2, keys[2].mac, 10, &hits, &n, &f->a),
			 STORE_OK);
	assert_int_equal(n, 2);
	/* by person (through its cases), and all in id order, paged */
	assert_int_equal(store_referral_ids_of_person(f->st, person2, ids, 4, &n), STORE_OK);
	assert_int_equal(n, 1);
	assert_string_equal(ids[0], r2.id);
	assert_int_equal(store_referral_ids_all(f->st, "", ids, 1, &n), STORE_OK);
	assert_int_equal(n, 1);
	assert_string_equal(ids[0], strcmp(r.id, r2.id) < 0 ? r.id : r2.id);
	assert_int_equal(store_referral_ids_all(f->st, ids[0], ids + 1, 4, &n), STORE_OK);
	assert_int_equal(n, 1);
	assert_string_equal(ids[1], strcmp(r.id, r2.id) < 0 ? r2.id : r.id);
}

/* A case of org is seen by org2 while a referral to org2 is accepted and
 * its consent stands; not before, not after the consent ends. */
static void test_case_scope_referred(void **state)
{
	struct fixture *f = *state;
	char person[ID_LEN], kase[ID_LEN];
	struct case_filter cf = {0};
	struct case_row *rows;
	struct item_row consent;
	struct referral_row r, got;
	size_t n;
	store_tx *tx;

	person_add(f, f->org, "2026-01-01T00:00:00Z", person);
	case_add(f, f->org, person, "2026-01-01T00:00:00Z", kase);
	item_make(&consent, "consent", f->org, NULL, person, "2026-01-01T00:00:00Z");
	snprintf(consent.status, sizeof consent.status, "active");
	snprintf(consent.due, sizeof consent.due, "2026-06-30");
	memset(&r, 0, sizeof r);
	store_new_id(r.id);
	snprintf(r.kind, sizeof r.kind, "referral");
	memcpy(r.case_id, kase, ID_LEN);
	memcpy(r.person_id, person, ID_LEN);
	memcpy(r.from_org, f->org, ID_LEN);
	memcpy(r.to_org, f->org2, ID_LEN);
	memcpy(r.consent_id, consent.id, ID_LEN);
	snprintf(r.status, sizeof r.status, "sent");
	snprintf(r.urgency, sizeof r.urgency, "normal");
	r.version = 1;
	r.share = "[]";
	r.coded = "{}";
	snprintf(r.created_at, sizeof r.created_at, "2026-01-02T00:00:00Z");
	snprintf(r.updated_at, sizeof r.updated_at, "2026-01-02T00:00:00Z");
	tx = begin(f);
	assert_int_equal(store_item_insert(tx, &consent), STORE_OK);
	assert_int_equal(store_referral_insert(tx, &r), STORE_OK);
	assert_int_equal(store_referral_insert(tx, &r), STORE_CONFLICT);
	commit(tx);

	cf.org_id = f->org2;
	cf.referred_to = f->org2;
	cf.today = "2026-03-01";
	cf.limit = 50;
	assert_int_equal(store_case_list(f->st, &cf, &rows, &n, &f->a), STORE_OK);
	assert_int_equal(n, 0); /* sent, not accepted */
	assert_int_equal(store_referral_access(f->st, kase, NULL, f->org2, "2026-03-01", &got,
					       &f->a),
			 STORE_NOT_FOUND);

	tx = begin(f);
	r.version = 2;
	snprintf(r.status, sizeof r.status, "accepted");
	assert_int_equal(store_referral_update(tx, &r), STORE_OK);
	assert_int_equal(store_referral_update(tx, &r), STORE_STALE);
	commit(tx);
	assert_int_equal(store_case_list(f->st, &cf, &rows, &n, &f->a), STORE_OK);
	assert_int_equal(n, 1);
	assert_string_equal(rows[0].id, kase);
	assert_int_equal(store_referral_access(f->st, kase, NULL, f->org2, "2026-03-01", &got,
					       &f->a),
			 STORE_OK);
	assert_string_equal(got.id, r.id);
	assert_string_equal(got.from.code, "ngo1");
	assert_string_equal(got.to.code, "ngo2");
	assert_int_equal(store_referral_access(f->st, NULL, person, f->org2, "2026-03-01", &got,
					       &f->a),
			 STORE_OK);
	/* The consent ended: the scope is the organisation's own again. */
	cf.today = "2026-07-01";
	assert_int_equal(store_case_list(f->st, &cf, &rows, &n, &f->a), STORE_OK);
	assert_int_equal(n, 0);
	assert_int_equal(store_referral_access(f->st, kase, NULL, f->org2, "2026-07-01", &got,
					       &f->a),
			 STORE_NOT_FOUND);
	/* Without referred_to the scope is never widened. */
	cf.today = "2026-03-01";
	cf.referred_to = NULL;
	assert_int_equal(store_case_list(f->st, &cf, &rows, &n, &f->a), STORE_OK);
	assert_int_equal(n, 0);
	/* The lists of referrals: received and sent. */
	{
		struct referral_row *fr;
		assert_int_equal(store_referrals_list(f->st, f->org2, 1, NULL, NULL, &fr, &n,
						      &f->a), STORE_OK);
		assert_int_equal(n, 1);
		assert_int_equal(store_referrals_list(f->st, f->org2, 0, NULL, NULL, &fr, &n,
						      &f->a), STORE_OK);
		assert_int_equal(n, 0);
		assert_int_equal(store_referrals_list(f->st, f->org, 0, "accepted", NULL, &fr, &n,
						      &f->a), STORE_OK);
		assert_int_equal(n, 1);
		assert_int_equal(fr[0].version, 2);
	}
}

static void test_items_order(void **state)
{
	struct fixture *f = *state;
	char person[ID_LEN], kase[ID_LEN], ids[3][ID_LEN];
	struct item_row it, *rows;
	size_t n, i;
	store_tx *tx;
	static const char *const at[3] = {"2026-01-02T00:00:00Z", "2026-01-01T00:00:00Z",
					  "2026-01-02T00:00:00Z"};
	static const char *const due[3] = {"2026-03-01", "2026-02-01", "2026-04-01"};
	struct items_due_filter due_all = {"followup", f->org, NULL, "2026-03-15", NULL, NULL, 10};
	struct items_due_filter due_mine = {"followup", f->org, f->user, "2026-12-31", NULL, NULL, 10};
	struct items_due_filter due_other = {"followup", f->org2, NULL, "2026-12-31", NULL, NULL, 10};

	person_add(f, f->org, "2026-01-01T00:00:00Z", person);
	case_add(f, f->org, person, "2026-01-01T00:00:00Z", kase);
	tx = begin(f);
	for (i = 0; i < 3; i++) {
		item_make(&it, "followup", f->org, kase, person, at[i]);
		snprintf(it.status, sizeof it.status, "due");
		snprintf(it.due, sizeof it.due, "%s", due[i]);
		if (i == 2)
			memcpy(it.assigned_to, f->user, ID_LEN);
		assert_int_equal(store_item_insert(tx, &it), STORE_OK);
		memcpy(ids[i], it.id, ID_LEN);
	}
	commit(tx);
	/* The timeline: by time, then in the order written. */
	assert_int_equal(store_items_of_case(f->st, kase, NULL, &rows, &n, &f->a), STORE_OK);
	assert_int_equal(n, 3);
	assert_string_equal(rows[0].id, ids[1]);
	assert_string_equal(rows[1].id, ids[0]);
	assert_string_equal(rows[2].id, ids[2]);
	assert_int_equal(store_items_of_case(f->st, kase, "note", &rows, &n, &f->a), STORE_OK);
	assert_int_equal(n, 0);
	/* Due before a date: oldest due first; one assignee's. */
	assert_int_equal(store_items_due(f->st, &due_all, &rows, &n, &f->a), STORE_OK);
	assert_int_equal(n, 2);
	assert_string_equal(rows[0].id, ids[1]);
	assert_string_equal(rows[1].id, ids[0]);
	assert_int_equal(store_items_due(f->st, &due_mine, &rows, &n, &f->a), STORE_OK);
	assert_int_equal(n, 1);
	assert_string_equal(rows[0].id, ids[2]);
	assert_int_equal(store_items_due(f->st, &due_other, &rows, &n, &f->a), STORE_OK);
	assert_int_equal(n, 0);
	/* A page of one, then the next after it: (due, id) order, none twice. */
	due_all.limit = 1;
	assert_int_equal(store_items_due(f->st, &due_all, &rows, &n, &f->a), STORE_OK);
	assert_int_equal(n, 1);
	assert_string_equal(rows[0].id, ids[1]);
	due_all.after_due = due[1];
	due_all.after_id = ids[1];
	assert_int_equal(store_items_due(f->st, &due_all, &rows, &n, &f->a), STORE_OK);
	assert_int_equal(n, 1);
	assert_string_equal(rows[0].id, ids[0]);
	due_all.after_due = due[0];
	due_all.after_id = ids[0];
	assert_int_equal(store_items_due(f->st, &due_all, &rows, &n, &f->a), STORE_OK);
	assert_int_equal(n, 0);
}

/* ---- the name search at scale -------------------------------------------
 *
 * store_person_find reads the postings of the query's keys a batch at a
 * time and stops once the best cannot change; its answer is compared with
 * the one every posting gives (what the single GROUP BY computed): the
 * scores summed in full, the best 200 by score (ties by id), those by
 * their last change, the first `max`.  Six thousand persons, so that the
 * common keys are read in several batches and past the reading budget. */

#define SCALE_N 6000

struct scale_person {
	char id[ID_LEN];
	char updated_at[TS_LEN];
	unsigned keys; /* bit b: has key b */
};

/* The keys: 0 a common surname (two in three), 1 a given name (one in
 * four), 2 a patronymic (one in seven), 3 a longer surname's beginning
 * (one in 75, weight 1), 4 and 5 two halves that few persons share. */
static int scale_has(size_t i, unsigned b)
{
	switch (b) {
	case 0: return i % 3 != 0;
	case 1: return i % 4 == 0;
	case 2: return i % 7 == 0;
	case 3: return i % 75 == 0;
	case 4: return i % 2 == 0;
	default: return i % 2 == 1 || i % 97 == 0;
	}
}

static void scale_key(struct blind_key *k, unsigned b)
{
	k->kind = b == 3 ? "prefix" : "name";
	memset(k->mac, 0xa0 + (int)b, BLIND_BYTES);
}

static int scale_score(const struct scale_person *p, const unsigned *q, size_t nq)
{
	int s = 0;
	for (size_t j = 0; j < nq; j++)
		if (p->keys & (1u << q[j]))
			s += q[j] == 3 ? 1 : 4;
	return s;
}

struct scale_ref {
	const struct scale_person *p;
	int score;
};

static int ref_by_score(const void *a, const void *b)
{
	const struct scale_ref *x = a, *y = b;
	return x->score != y->score ? (x->score > y->score ? -1 : 1) : strcmp(x->p->id, y->p->id);
}

static int ref_by_recent(const void *a, const void *b)
{
	const struct scale_ref *x = a, *y = b;
	int c;
	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	c = strcmp(y->p->updated_at, x->p->updated_at);
	return c ? c : strcmp(x->p->id, y->p->id);
}

/* The answer from every posting; returns how many (at most max). */
static size_t scale_reference(const struct scale_person *ps, size_t n, const unsigned *q, size_t nq,
			      size_t max, struct scale_ref *out)
{
	struct scale_ref *all = calloc(n, sizeof *all);
	size_t i, k = 0;

	assert_non_null(all);
	for (i = 0; i < n; i++) {
		all[k].p = &ps[i];
		all[k].score = scale_score(&ps[i], q, nq);
		k += all[k].score > 0;
	}
	qsort(all, k, sizeof *all, ref_by_score);
	if (k > 200)
		k = 200;
	qsort(all, k, sizeof *all, ref_by_recent);
	if (k > max)
		k = max;
	memcpy(out, all, k * sizeof *out);
	free(all);
	return k;
}

static void scale_find(struct fixture *f, const unsigned *q, size_t nq, size_t max,
		       char (*ids)[ID_LEN], int *hits, size_t *found)
{
	struct blind_key keys[8];
	for (size_t j = 0; j < nq; j++)
		scale_key(&keys[j], q[j]);
	assert_int_equal(store_person_find(f->st, f->org, keys, nq, ids, hits, max, found), STORE_OK);
}

static void test_person_find_scale(void **state)
{
	struct fixture *f = *state;
	struct scale_person *ps = calloc(SCALE_N + 1, sizeof *ps);
	struct scale_ref ref[64];
	char ids[64][ID_LEN];
	int hits[64];
	size_t i, j, n, found;
	store_tx *tx;
	/* The queries: a common surname; with its beginning; given name,
	 * surname, patronymic and beginning (one person has all four); two
	 * words that few share; a given name and a patronymic. */
	static const unsigned q1[] = {0}, q2[] = {0, 3}, q3[] = {1, 0, 2, 3}, q4[] = {4, 5},
			      q5[] = {1, 2};

	assert_non_null(ps);
	tx = begin(f);
	for (i = 0; i <= SCALE_N; i++) {
		struct person_row p;
		struct blind_key keys[6];
		unsigned sec = (unsigned)((i * 7919) % 86400), b;
		size_t nk = 0;
		char at[TS_LEN];

		/* The last one is the person searched for: every key of q3,
		 * changed longest ago (no help from recency). */
		if (i == SCALE_N)
			snprintf(at, sizeof at, "2025-01-01T00:00:00Z");
		else
			snprintf(at, sizeof at, "2026-01-01T%02u:%02u:%02uZ", sec / 3600, sec / 60 % 60,
				 sec % 60);
		person_make(&p, f->org, at);
		assert_int_equal(store_person_insert(tx, &p), STORE_OK);
		memcpy(ps[i].id, p.id, ID_LEN);
		memcpy(ps[i].updated_at, at, TS_LEN);
		for (b = 0; b < 6; b++)
			if (i == SCALE_N ? b < 4 : scale_has(i, b)) {
				scale_key(&keys[nk++], b);
				ps[i].keys |= 1u << b;
			}
		assert_int_equal(store_person_keys_set(tx, p.id, keys, nk), STORE_OK);
	}
	commit(tx);
	n = SCALE_N + 1;

	/* Within the budget (a common surname and its beginning; a given name
	 * and a patronymic, read to their end): the same answer as from every
	 * posting, the order among equal scores too. */
	{
		const unsigned *qs[] = {q1, q2, q5};
		const size_t nqs[] = {1, 2, 2};
		for (size_t t = 0; t < 3; t++) {
			for (size_t m = 0; m < 3; m++) {
				size_t max = m == 0 ? 20 : m == 1 ? 64 : 1, want;
				want = scale_reference(ps, n, qs[t], nqs[t], max, ref);
				scale_find(f, qs[t], nqs[t], max, ids, hits, &found);
				assert_int_equal(found, want);
				for (j = 0; j < found; j++) {
					assert_string_equal(ids[j], ref[j].p->id);
					assert_int_equal(hits[j], ref[j].score);
				}
			}
		}
	}
	/* Past the budget (three words that 143 persons share and the person
	 * searched for has with a fourth; two words that 31 persons share):
	 * the best by score are still the best, only the order among equal
	 * scores may differ from the answer of every posting (by id, not by
	 * the last change). */
	{
		const unsigned *qs[] = {q3, q4};
		const size_t nqs[] = {4, 2};
		for (size_t t = 0; t < 2; t++) {
			size_t want = scale_reference(ps, n, qs[t], nqs[t], 20, ref);
			scale_find(f, qs[t], nqs[t], 20, ids, hits, &found);
			assert_int_equal(found, want);
			for (j = 0; j < found; j++) {
				assert_int_equal(hits[j], ref[j].score);
				for (i = 0; i < n && strcmp(ps[i].id, ids[j]); i++)
					;
				assert_true(i < n);
				assert_int_equal(scale_score(&ps[i], qs[t], nqs[t]), hits[j]);
				assert_true(j == 0 || strcmp(ids[j], ids[j - 1]) != 0);
			}
		}
	}
	/* The person searched for first, whatever the many who share three
	 * of the four words. */
	scale_find(f, q3, 4, 20, ids, hits, &found);
	assert_string_equal(ids[0], ps[SCALE_N].id);
	assert_int_equal(hits[0], 13);
	assert_int_equal(hits[1], 12);
	free(ps);
}

static void contact_make(struct contact_row *c, const char *org, const char *started)
{
	memset(c, 0, sizeof *c);
	store_new_id(c->id);
	snprintf(c->org_id, sizeof c->org_id, "%s", org);
	c->version = 1;
	snprintf(c->channel, sizeof c->channel, "phone");
	snprintf(c->call_type, sizeof c->call_type, "information");
	snprintf(c->started_at, sizeof c->started_at, "%s", started);
	c->duration_s = -1;
	c->topics = " legal ";
	c->coded = "{}";
	snprintf(c->created_at, sizeof c->created_at, "%s", started);
	snprintf(c->updated_at, sizeof c->updated_at, "%s", started);
}

static void test_contacts(void **state)
{
	struct fixture *f = *state;
	struct contact_row c, got, *rows;
	struct contact_filter cf = {0};
	char ids[4][ID_LEN];
	size_t n, i;
	store_tx *tx;
	static const char *const at[4] = {"2026-01-02T10:00:00Z", "2026-01-01T10:00:00Z",
					  "2026-01-04T10:00:00Z", "2026-01-03T10:00:00Z"};

	tx = begin(f);
	for (i = 0; i < 4; i++) {
		contact_make(&c, f->org, at[i]);
		if (i == 1) {
			c.has_phone = 1;
			memset(c.phone_key, 7, sizeof c.phone_key);
			c.sealed = SEALED;
			c.sealed_len = sizeof SEALED;
			c.duration_s = 90;
		}
		assert_int_equal(store_contact_insert(tx, &c), STORE_OK);
		memcpy(ids[i], c.id, ID_LEN);
	}
	assert_int_equal(store_contact_insert(tx, &c), STORE_CONFLICT);
	contact_make(&c, f->org2, "2026-01-05T10:00:00Z");
	assert_int_equal(store_contact_insert(tx, &c), STORE_OK);
	commit(tx);

	assert_int_equal(store_contact_get(f->st, ids[1], &got, &f->a), STORE_OK);
	assert_int_equal(got.has_phone, 1);
	assert_int_equal(got.duration_s, 90);
	assert_int_equal(got.sealed_len, sizeof SEALED);
	assert_memory_equal(got.sealed, SEALED, sizeof SEALED);
	assert_string_equal(got.topics, " legal ");
	assert_int_equal(store_contact_get(f->st, ids[0], &got, &f->a), STORE_OK);
	assert_int_equal(got.has_phone, 0);
	assert_int_equal(got.duration_s, -1);
	assert_null(got.sealed);

	/* Newest first, paged by cursor, the organisation's own only. */
	cf.org_id = f->org;
	cf.limit = 2;
	assert_int_equal(store_contacts_list(f->st, &cf, &rows, &n, &f->a), STORE_OK);
	assert_int_equal(n, 2);
	assert_string_equal(rows[0].id, ids[2]);
	assert_string_equal(rows[1].id, ids[3]);
	cf.after_at = arena_strdup(&f->a, rows[1].started_at);
	cf.after_id = arena_strdup(&f->a, rows[1].id);
	assert_int_equal(store_contacts_list(f->st, &cf, &rows, &n, &f->a), STORE_OK);
	assert_int_equal(n, 2);
	assert_string_equal(rows[0].id, ids[0]);
	assert_string_equal(rows[1].id, ids[1]);
	/* By the number's key. */
	memset(c.phone_key, 7, sizeof c.phone_key);
	assert_int_equal(store_contacts_by_phone(f->st, f->org, c.phone_key, 10, &rows, &n, &f->a),
			 STORE_OK);
	assert_int_equal(n, 1);
	assert_string_equal(rows[0].id, ids[1]);
	assert_int_equal(store_contacts_by_phone(f->st, f->org2, c.phone_key, 10, &rows, &n,
						 &f->a), STORE_OK);
	assert_int_equal(n, 0);

	/* The figures count the organisation's own in [from, to) only. */
	{
		struct contact_stats cs;
		assert_int_equal(store_contact_stats(f->st, f->org, "2026-01-01T00:00:00Z",
						     "2026-01-04T00:00:00Z", "2026-01-10T00:00:00Z",
						     "2026-01-11T00:00:00Z", &cs, &f->a),
				 STORE_OK);
		assert_int_equal(cs.total, 3);
		assert_int_equal(cs.n_day, 3);
		assert_string_equal(cs.by_day[0].key, "2026-01-01");
		assert_int_equal(cs.n_channel, 1);
		assert_int_equal(cs.by_channel[0].n, 3);
		assert_int_equal(cs.cb_open, 0);
		assert_int_equal(store_contact_stats(f->st, f->org2, "2026-01-01T00:00:00Z",
						     "2026-02-01T00:00:00Z", "2026-01-10T00:00:00Z",
						     "2026-01-11T00:00:00Z", &cs, &f->a),
				 STORE_OK);
		assert_int_equal(cs.total, 1);
	}

	/* Versions. */
	tx = begin(f);
	assert_int_equal(store_contact_get(f->st, ids[0], &got, &f->a), STORE_OK);
	got.version = 2;
	assert_int_equal(store_contact_update(tx, &got), STORE_OK);
	assert_int_equal(store_contact_update(tx, &got), STORE_STALE);
	snprintf(got.id, sizeof got.id, "absent");
	assert_int_equal(store_contact_update(tx, &got), STORE_NOT_FOUND);
	commit(tx);
}

static void test_callbacks_and_flags(void **state)
{
	struct fixture *f = *state;
	struct callback_row cb, got, *rows;
	struct callback_filter cf = {0};
	struct contact_row contact;
	struct caller_flag_row fl, *frows;
	unsigned char key[BLIND_BYTES];
	char ids[3][ID_LEN], found[ID_LEN];
	size_t n, i;
	store_tx *tx;
	static const char *const due[3] = {"2026-01-03T09:00:00Z", "2026-01-01T09:00:00Z",
					   "2026-01-02T09:00:00Z"};

	memset(key, 5, sizeof key);
	tx = begin(f);
	contact_make(&contact, f->org, "2026-01-01T00:00:00Z");
	assert_int_equal(store_contact_insert(tx, &contact), STORE_OK);
	for (i = 0; i < 3; i++) {
		memset(&cb, 0, sizeof cb);
		store_new_id(cb.id);
		memcpy(cb.org_id, f->org, ID_LEN);
		cb.version = 1;
		snprintf(cb.source, sizeof cb.source, i == 2 ? "public" : "operator");
		snprintf(cb.due, sizeof cb.due, "%s", due[i]);
		snprintf(cb.created_at, sizeof cb.created_at, "2026-01-01T0%zu:00:00Z", i);
		snprintf(cb.updated_at, sizeof cb.updated_at, "2026-01-01T00:00:00Z");
		if (i < 2) /* two booked with the contact, the second later */
			memcpy(cb.contact_id, contact.id, ID_LEN);
		if (i == 2) {
			cb.has_phone = 1;
			memcpy(cb.phone_key, key, sizeof key);
		}
		assert_int_equal(store_callback_insert(tx, &cb), STORE_OK);
		memcpy(ids[i], cb.id, ID_LEN);
	}
	assert_int_equal(store_callback_open_find(tx, f->org, key, "public", found), STORE_OK);
	assert_string_equal(found, ids[2]);
	assert_int_equal(store_callback_open_find(tx, f->org, key, "operator", found),
			 STORE_NOT_FOUND);
	assert_int_equal(store_callback_open_find(tx, f->org2, key, "public", found),
			 STORE_NOT_FOUND);
	commit(tx);
	/* The newest booked with a contact. */
	assert_int_equal(store_callback_of_contact(f->st, contact.id, &got, &f->a), STORE_OK);
	assert_string_equal(got.id, ids[1]);
	assert_int_equal(store_callback_of_contact(f->st, "absent", &got, &f->a), STORE_NOT_FOUND);

	/* By due time, then paged after the last one. */
	cf.org_id = f->org;
	cf.done = -1;
	cf.limit = 2;
	assert_int_equal(store_callbacks_list(f->st, &cf, &rows, &n, &f->a), STORE_OK);
	assert_int_equal(n, 2);
	assert_string_equal(rows[0].id, ids[1]);
	assert_string_equal(rows[1].id, ids[2]);
	assert_int_equal(rows[1].has_phone, 1);
	assert_memory_equal(rows[1].phone_key, key, sizeof key);
	assert_int_equal(rows[0].has_phone, 0);
	cf.after_due = arena_strdup(&f->a, rows[1].due);
	cf.after_id = arena_strdup(&f->a, rows[1].id);
	assert_int_equal(store_callbacks_list(f->st, &cf, &rows, &n, &f->a), STORE_OK);
	assert_int_equal(n, 1);
	assert_string_equal(rows[0].id, ids[0]);

	/* Done at version 2; stale after; another organisation's update of it
	 * does not match. */
	assert_int_equal(store_callback_get(f->st, ids[1], &got, &f->a), STORE_OK);
	tx = begin(f);
	got.version = 2;
	got.done = 1;
	snprintf(got.done_at, sizeof got.done_at, "2026-01-01T10:00:00Z");
	assert_int_equal(store_callback_update(tx, &got), STORE_OK);
	assert_int_equal(store_callback_update(tx, &got), STORE_STALE);
	got.version = 3;
	memcpy(got.org_id, f->org2, ID_LEN);
	assert_int_equal(store_callback_update(tx, &got), STORE_STALE);
	commit(tx);
	assert_int_equal(store_callback_get(f->st, ids[1], &got, &f->a), STORE_OK);
	assert_int_equal(got.version, 2);
	assert_int_equal(got.done, 1);
	assert_string_equal(got.org_id, f->org);
	cf.after_due = cf.after_id = NULL;
	cf.done = 0;
	cf.limit = 10;
	assert_int_equal(store_callbacks_list(f->st, &cf, &rows, &n, &f->a), STORE_OK);
	assert_int_equal(n, 2);

	/* Flags of a number: those whose date is today or later. */
	memset(&fl, 0, sizeof fl);
	store_new_id(fl.id);
	memcpy(fl.org_id, f->org, ID_LEN);
	memcpy(fl.phone_key, key, sizeof key);
	snprintf(fl.flag, sizeof fl.flag, "abusive");
	snprintf(fl.until, sizeof fl.until, "2026-02-01");
	snprintf(fl.created_at, sizeof fl.created_at, "2026-01-01T00:00:00Z");
	tx = begin(f);
	assert_int_equal(store_flag_insert(tx, &fl), STORE_OK);
	assert_int_equal(store_flag_insert(tx, &fl), STORE_CONFLICT);
	commit(tx);
	assert_int_equal(store_flags_active(f->st, f->org, key, "2026-02-01", &frows, &n, &f->a),
			 STORE_OK);
	assert_int_equal(n, 1);
	assert_string_equal(frows[0].flag, "abusive");
	assert_memory_equal(frows[0].phone_key, key, sizeof key);
	assert_null(frows[0].sealed);
	assert_int_equal(store_flags_active(f->st, f->org, key, "2026-02-02", &frows, &n, &f->a),
			 STORE_OK);
	assert_int_equal(n, 0);
	assert_int_equal(store_flags_active(f->st, f->org2, key, "2026-01-15", &frows, &n, &f->a),
			 STORE_OK);
	assert_int_equal(n, 0);
}

static void service_make(struct dir_service_row *r, const char *org, const char *name)
{
	memset(r, 0, sizeof *r);
	store_new_id(r->id);
	snprintf(r->org_id, sizeof r->org_id, "%s", org);
	r->version = 1;
	snprintf(r->type, sizeof r->type, "shelter");
	snprintf(r->status, sizeof r->status, "active");
	r->name = name;
	r->regions = " TJ-DU ";
	r->languages = " tg ru ";
	r->coded = "{}";
	snprintf(r->created_at, sizeof r->created_at, "2026-01-01T00:00:00Z");
	snprintf(r->updated_at, sizeof r->updated_at, "2026-01-01T00:00:00Z");
}

static void test_directory(void **state)
{
	struct fixture *f = *state;
	struct dir_service_row a, b, got, *rows;
	struct dir_location_row l, lg, *lrows;
	struct dir_filter df = {0};
	int64_t total;
	size_t n;
	store_tx *tx;

	service_make(&a, f->org, "Zarina shelter");
	service_make(&b, f->org2, "Amal legal aid");
	memset(&l, 0, sizeof l);
	store_new_id(l.id);
	memcpy(l.service_id, a.id, ID_LEN);
	memcpy(l.org_id, f->org, ID_LEN);
	l.version = 1;
	snprintf(l.kind, sizeof l.kind, "physical");
	l.coded = "{}";
	l.sealed = SEALED;
	l.sealed_len = sizeof SEALED;
	snprintf(l.created_at, sizeof l.created_at, "2026-01-01T00:00:00Z");
	snprintf(l.updated_at, sizeof l.updated_at, "2026-01-01T00:00:00Z");
	tx = begin(f);
	assert_int_equal(store_dir_service_insert(tx, &a), STORE_OK);
	assert_int_equal(store_dir_service_insert(tx, &b), STORE_OK);
	assert_int_equal(store_dir_service_insert(tx, &b), STORE_CONFLICT);
	assert_int_equal(store_dir_location_insert(tx, &l), STORE_OK);
	assert_int_equal(store_dir_location_get_tx(tx, l.id, &lg, &f->a), STORE_OK);
	assert_int_equal(lg.sealed_len, sizeof SEALED);
	assert_string_equal(lg.region, "");
	assert_int_equal(store_dir_location_get_tx(tx, "absent", &lg, &f->a), STORE_NOT_FOUND);
	commit(tx);

	assert_int_equal(store_dir_service_get(f->st, a.id, &got, &f->a), STORE_OK);
	assert_string_equal(got.name, "Zarina shelter");
	assert_string_equal(got.org.code, "ngo1");
	assert_string_equal(got.org.id, f->org);
	assert_string_equal(got.transfer_to, "");
	assert_int_equal(store_dir_service_get(f->st, "absent", &got, &f->a), STORE_NOT_FOUND);

	/* By name; the total counts every match, the page holds limit. */
	df.limit = 1;
	assert_int_equal(store_dir_service_list(f->st, &df, &rows, &n, &total, &f->a), STORE_OK);
	assert_int_equal(total, 2);
	assert_int_equal(n, 1);
	assert_string_equal(rows[0].id, b.id);
	assert_string_equal(rows[0].org.code, "ngo2");
	df.offset = 1;
	assert_int_equal(store_dir_service_list(f->st, &df, &rows, &n, &total, &f->a), STORE_OK);
	assert_int_equal(n, 1);
	assert_string_equal(rows[0].id, a.id);
	df.offset = 0;
	df.limit = 10;
	df.org_id = f->org2;
	assert_int_equal(store_dir_service_list(f->st, &df, &rows, &n, &total, &f->a), STORE_OK);
	assert_int_equal(total, 1);

	/* Versions; an update never moves a service to another organisation. */
	tx = begin(f);
	a.version = 2;
	a.name = "Zarina shelter (Dushanbe)";
	assert_int_equal(store_dir_service_update(tx, &a), STORE_OK);
	assert_int_equal(store_dir_service_update(tx, &a), STORE_STALE);
	a.version = 3;
	memcpy(a.org_id, f->org2, ID_LEN);
	assert_int_equal(store_dir_service_update(tx, &a), STORE_STALE);
	l.version = 2;
	assert_int_equal(store_dir_location_update(tx, &l), STORE_OK);
	assert_int_equal(store_dir_location_update(tx, &l), STORE_STALE);
	commit(tx);
	assert_int_equal(store_dir_service_get(f->st, a.id, &got, &f->a), STORE_OK);
	assert_int_equal(got.version, 2);
	assert_string_equal(got.org_id, f->org);
	assert_string_equal(got.name, "Zarina shelter (Dushanbe)");
	assert_int_equal(store_dir_locations_of(f->st, a.id, &lrows, &n, &f->a), STORE_OK);
	assert_int_equal(n, 1);
	assert_int_equal(lrows[0].version, 2);
	assert_int_equal(store_dir_locations_of(f->st, b.id, &lrows, &n, &f->a), STORE_OK);
	assert_int_equal(n, 0);
}

static void test_trainings(void **state)
{
	struct fixture *f = *state;
	struct training_row t, got, *rows;
	struct participant_row p, *prows;
	char ids[3][ID_LEN];
	size_t n, i;
	store_tx *tx;
	static const char *const start[3] = {"2026-03-01", "2026-01-01", "2026-02-01"};

	tx = begin(f);
	for (i = 0; i < 3; i++) {
		memset(&t, 0, sizeof t);
		store_new_id(t.id);
		memcpy(t.org_id, f->org, ID_LEN);
		t.version = 1;
		t.topic = "Identification";
		t.place = "Dushanbe";
		snprintf(t.start_on, sizeof t.start_on, "%s", start[i]);
		snprintf(t.end_on, sizeof t.end_on, "%s", start[i]);
		memcpy(t.organiser_org, f->org2, ID_LEN);
		snprintf(t.created_at, sizeof t.created_at, "2026-01-01T00:00:00Z");
		snprintf(t.updated_at, sizeof t.updated_at, "2026-01-01T00:00:00Z");
		assert_int_equal(store_training_insert(tx, &t), STORE_OK);
		memcpy(ids[i], t.id, ID_LEN);
	}
	assert_int_equal(store_training_insert(tx, &t), STORE_CONFLICT);
	memset(&p, 0, sizeof p);
	store_new_id(p.id);
	memcpy(p.training_id, ids[0], ID_LEN);
	snprintf(p.agency_type, sizeof p.agency_type, "NGO");
	snprintf(p.sex, sizeof p.sex, "Feminine");
	snprintf(p.role, sizeof p.role, "social_worker");
	p.pre_score = -1;
	p.post_score = 80;
	snprintf(p.created_at, sizeof p.created_at, "2026-03-01T00:00:00Z");
	assert_int_equal(store_participant_insert(tx, &p), STORE_OK);
	commit(tx);

	assert_int_equal(store_training_get(f->st, ids[0], &got, &f->a), STORE_OK);
	assert_string_equal(got.topic, "Identification");
	assert_string_equal(got.organiser.code, "ngo2");
	assert_int_equal(got.participants, 1);
	assert_string_equal(got.created_by, "");
	assert_int_equal(store_training_get(f->st, "absent", &got, &f->a), STORE_NOT_FOUND);
	assert_int_equal(store_participants_list(f->st, ids[0], 10, &prows, &n, &f->a), STORE_OK);
	assert_int_equal(n, 1);
	assert_int_equal(prows[0].pre_score, -1);
	assert_int_equal(prows[0].post_score, 80);

	/* Newest start first, then after the cursor. */
	assert_int_equal(store_trainings_list(f->st, f->org, NULL, NULL, NULL, 2, &rows, &n, &f->a),
			 STORE_OK);
	assert_int_equal(n, 2);
	assert_string_equal(rows[0].id, ids[0]);
	assert_string_equal(rows[1].id, ids[2]);
	assert_int_equal(rows[1].participants, 0);
	assert_int_equal(store_trainings_list(f->st, f->org, NULL, rows[1].start_on, rows[1].id, 2, &rows,
					      &n, &f->a), STORE_OK);
	assert_int_equal(n, 1);
	assert_string_equal(rows[0].id, ids[1]);
	assert_int_equal(store_trainings_list(f->st, f->org2, NULL, NULL, NULL, 10, &rows, &n, &f->a),
			 STORE_OK);
	assert_int_equal(n, 0);

	tx = begin(f);
	got.version = 2;
	got.place = "Khujand";
	assert_int_equal(store_training_update(tx, &got), STORE_OK);
	assert_int_equal(store_training_update(tx, &got), STORE_STALE);
	snprintf(got.id, sizeof got.id, "absent");
	assert_int_equal(store_training_update(tx, &got), STORE_NOT_FOUND);
	commit(tx);
	assert_int_equal(store_training_get(f->st, ids[0], &got, &f->a), STORE_OK);
	assert_string_equal(got.place, "Khujand");
	assert_int_equal(got.version, 2);
}

/* ---- the library, the knowledge base, limits ------------------------------ */

static void product_make(struct library_product *p, const char *org, const char *user,
			 const char *kind, const char *audience, const char *at)
{
	memset(p, 0, sizeof *p);
	store_new_id(p->id);
	snprintf(p->org_id, sizeof p->org_id, "%s", org);
	snprintf(p->kind, sizeof p->kind, "%s", kind);
	p->audience = audience;
	p->languages = ",tg,ru,";
	p->coded = "{\"title_en\":\"Signs\"}";
	snprintf(p->created_by, sizeof p->created_by, "%s", user);
	snprintf(p->created_at, sizeof p->created_at, "%s", at);
	snprintf(p->updated_at, sizeof p->updated_at, "%s", at);
}

static void version_make(struct library_version *v, const char *product, int64_t n,
			 const char *user, const char *note, const char *at)
{
	memset(v, 0, sizeof *v);
	snprintf(v->product_id, sizeof v->product_id, "%s", product); /* "absent" too */
	v->n = n;
	v->file_name = "signs.pdf";
	snprintf(v->content_type, sizeof v->content_type, "application/pdf");
	v->size = 24;
	snprintf(v->sha256, sizeof v->sha256, "%064d", 0);
	v->note = note;
	if (user)
		snprintf(v->uploaded_by, sizeof v->uploaded_by, "%s", user);
	snprintf(v->uploaded_at, sizeof v->uploaded_at, "%s", at);
}

struct file_seen {
	unsigned char bytes[64];
	size_t n;
};

static int file_take(void *ctx, const void *sealed, size_t len)
{
	struct file_seen *fs = ctx;

	fs->n = len < sizeof fs->bytes ? len : sizeof fs->bytes;
	memcpy(fs->bytes, sealed, fs->n);
	return STORE_OK;
}

static void test_library(void **state)
{
	struct fixture *f = *state;
	struct library_product p[3], got, *rows;
	struct library_version v, *vrows;
	struct library_filter flt = {0};
	struct file_seen fs = {0};
	char lo[ID_LEN], hi[ID_LEN];
	size_t n;
	store_tx *tx;

	product_make(&p[0], f->org, f->user, "guide", ",police,ngo,", "2026-01-01T00:00:00Z");
	product_make(&p[1], f->org, f->user, "guide", ",ngo,", "2026-01-02T00:00:00Z");
	product_make(&p[2], f->org2, f->user2, "video", ",police,", "2026-01-02T00:00:00Z");
	p[2].languages = ",en,";
	tx = begin(f);
	assert_int_equal(store_library_insert(tx, &p[0]), STORE_OK);
	assert_int_equal(store_library_insert(tx, &p[1]), STORE_OK);
	assert_int_equal(store_library_insert(tx, &p[2]), STORE_OK);
	assert_int_equal(store_library_insert(tx, &p[2]), STORE_CONFLICT);
	commit(tx);
	memcpy(hi, strcmp(p[1].id, p[2].id) > 0 ? p[1].id : p[2].id, ID_LEN);
	memcpy(lo, strcmp(p[1].id, p[2].id) > 0 ? p[2].id : p[1].id, ID_LEN);

	assert_int_equal(store_library_get(f->st, "absent", &got, &f->a), STORE_NOT_FOUND);
	assert_int_equal(store_library_get(f->st, p[2].id, &got, &f->a), STORE_OK);
	assert_string_equal(got.org_code, "ngo2");
	assert_string_equal(got.audience, ",police,");
	assert_string_equal(got.languages, ",en,");
	assert_int_equal(got.current, 0);
	assert_string_equal(got.withdrawn_at, "");
	assert_string_equal(got.created_by, f->user2);

	/* Versions come one after the other: a number taken or skipped is
	 * stale, an absent product not found; each bumps the product. */
	tx = begin(f);
	version_make(&v, p[0].id, 1, f->user, "first", "2026-02-01T00:00:00Z");
	assert_int_equal(store_library_add_version(tx, &v, SEALED, sizeof SEALED), STORE_OK);
	assert_int_equal(store_library_add_version(tx, &v, SEALED, sizeof SEALED), STORE_STALE);
	v.n = 3;
	assert_int_equal(store_library_add_version(tx, &v, SEALED, sizeof SEALED), STORE_STALE);
	version_make(&v, "absent", 1, f->user, NULL, "2026-02-01T00:00:00Z");
	assert_int_equal(store_library_add_version(tx, &v, SEALED, sizeof SEALED), STORE_NOT_FOUND);
	version_make(&v, p[0].id, 2, NULL, NULL, "2026-02-02T00:00:00Z");
	assert_int_equal(store_library_add_version(tx, &v, SEALED, 3), STORE_OK);
	commit(tx);

	assert_int_equal(store_library_get(f->st, p[0].id, &got, &f->a), STORE_OK);
	assert_int_equal(got.current, 2);
	assert_string_equal(got.updated_at, "2026-02-02T00:00:00Z");
	assert_int_equal(got.cur.n, 2);
	assert_null(got.cur.note);
	assert_string_equal(got.cur.uploaded_by, "");
	assert_string_equal(got.cur.uploaded_by_login, "");
	assert_string_equal(got.cur.file_name, "signs.pdf");
	assert_int_equal(store_library_versions(f->st, p[0].id, 10, &vrows, &n, &f->a), STORE_OK);
	assert_int_equal(n, 2);
	assert_int_equal(vrows[0].n, 2);
	assert_int_equal(vrows[1].n, 1);
	assert_string_equal(vrows[1].note, "first");
	assert_string_equal(vrows[1].uploaded_by_login, "dilnoza");
	assert_int_equal(vrows[1].size, 24);
	assert_int_equal(store_library_versions(f->st, p[0].id, 1, &vrows, &n, &f->a), STORE_OK);
	assert_int_equal(n, 1);
	assert_int_equal(vrows[0].n, 2);
	assert_int_equal(store_library_versions(f->st, p[1].id, 10, &vrows, &n, &f->a), STORE_OK);
	assert_int_equal(n, 0);
	assert_int_equal(store_library_file(f->st, p[0].id, 1, &v, &f->a, file_take, &fs), STORE_OK);
	assert_int_equal(fs.n, sizeof SEALED);
	assert_memory_equal(fs.bytes, SEALED, sizeof SEALED);
	assert_string_equal(v.note, "first");
	assert_int_equal(store_library_file(f->st, p[0].id, 2, &v, &f->a, file_take, &fs), STORE_OK);
	assert_int_equal(fs.n, 3);
	assert_int_equal(store_library_file(f->st, p[0].id, 3, &v, &f->a, file_take, &fs),
			 STORE_NOT_FOUND);

	/* Newest change first, the larger id first on a tie; the cursor and
	 * the filters. */
	assert_int_equal(store_library_list(f->st, &flt, 10, &rows, &n, &f->a), STORE_OK);
	assert_int_equal(n, 3);
	assert_string_equal(rows[0].id, p[0].id);
	assert_int_equal(rows[0].cur.n, 2);
	assert_string_equal(rows[1].id, hi);
	assert_string_equal(rows[2].id, lo);
	assert_int_equal(rows[2].current, 0);
	assert_int_equal(store_library_list(f->st, &flt, 2, &rows, &n, &f->a), STORE_OK);
	assert_int_equal(n, 2);
	flt.after_updated = rows[1].updated_at;
	flt.after_id = rows[1].id;
	assert_int_equal(store_library_list(f->st, &flt, 10, &rows, &n, &f->a), STORE_OK);
	assert_int_equal(n, 1);
	assert_string_equal(rows[0].id, lo);
	memset(&flt, 0, sizeof flt);
	flt.kind = "video";
	assert_int_equal(store_library_list(f->st, &flt, 10, &rows, &n, &f->a), STORE_OK);
	assert_int_equal(n, 1);
	assert_string_equal(rows[0].id, p[2].id);
	flt.kind = NULL;
	flt.audience = "police";
	assert_int_equal(store_library_list(f->st, &flt, 10, &rows, &n, &f->a), STORE_OK);
	assert_int_equal(n, 2);
	assert_string_equal(rows[0].id, p[0].id);
	assert_string_equal(rows[1].id, p[2].id);
	flt.language = "ru";
	assert_int_equal(store_library_list(f->st, &flt, 10, &rows, &n, &f->a), STORE_OK);
	assert_int_equal(n, 1);
	assert_string_equal(rows[0].id, p[0].id);

	/* A withdrawn product leaves the list, once, and takes no version. */
	tx = begin(f);
	assert_int_equal(store_library_withdraw(tx, p[1].id, f->user, "2026-03-01T00:00:00Z"),
			 STORE_OK);
	assert_int_equal(store_library_withdraw(tx, p[1].id, f->user, "2026-03-02T00:00:00Z"),
			 STORE_STALE);
	assert_int_equal(store_library_withdraw(tx, "absent", f->user, "2026-03-02T00:00:00Z"),
			 STORE_NOT_FOUND);
	version_make(&v, p[1].id, 1, f->user, NULL, "2026-03-03T00:00:00Z");
	assert_int_equal(store_library_add_version(tx, &v, SEALED, sizeof SEALED), STORE_STALE);
	commit(tx);
	assert_int_equal(store_library_get(f->st, p[1].id, &got, &f->a), STORE_OK);
	assert_string_equal(got.withdrawn_at, "2026-03-01T00:00:00Z");
	assert_string_equal(got.updated_at, "2026-03-01T00:00:00Z");
	memset(&flt, 0, sizeof flt);
	assert_int_equal(store_library_list(f->st, &flt, 10, &rows, &n, &f->a), STORE_OK);
	assert_int_equal(n, 2);
	assert_string_equal(rows[0].id, p[0].id);
	assert_string_equal(rows[1].id, p[2].id);
}

static void article_make(struct kb_row *k, const char *country, const char *topic,
			 const char *status, const char *title)
{
	memset(k, 0, sizeof *k);
	store_new_id(k->id);
	k->version = 1;
	snprintf(k->country, sizeof k->country, "%s", country);
	snprintf(k->topic, sizeof k->topic, "%s", topic);
	snprintf(k->status, sizeof k->status, "%s", status);
	k->title[KB_TG] = title;
	k->title[KB_RU] = title;
	k->title[KB_EN] = title;
	k->body[KB_TG] = "матн";
	k->body[KB_RU] = "текст";
	k->body[KB_EN] = "text";
	k->sources = "[]";
	snprintf(k->created_at, sizeof k->created_at, "2026-01-01T00:00:00Z");
	snprintf(k->updated_at, sizeof k->updated_at, "2026-01-01T00:00:00Z");
}

static void test_kb(void **state)
{
	struct fixture *f = *state;
	struct kb_row k[3], got, *rows;
	struct kb_filter flt = {0};
	static const struct kb_key keys0[] = {{"work", 1}, {"visa", 1}};
	static const struct kb_key keys1[] = {{"work", 5}};
	static const struct kb_key keys2[] = {{"work", 1}, {"visa", 1}, {"visa", 3}};
	int64_t count = -1;
	size_t n;
	store_tx *tx;

	article_make(&k[0], "RU", "work", "published", "Work in Russia");
	article_make(&k[1], "", "visa", "draft", "Papers");
	article_make(&k[2], "KZ", "work", "published", "Work in Kazakhstan");
	snprintf(k[2].reviewed_on, sizeof k[2].reviewed_on, "2026-01-05");
	memcpy(k[2].updated_by, f->user, ID_LEN);
	tx = begin(f);
	assert_int_equal(store_kb_insert(tx, &k[0]), STORE_OK);
	assert_int_equal(store_kb_insert(tx, &k[1]), STORE_OK);
	assert_int_equal(store_kb_insert(tx, &k[2]), STORE_OK);
	assert_int_equal(store_kb_insert(tx, &k[2]), STORE_CONFLICT);
	assert_int_equal(store_kb_keys_set(tx, k[0].id, keys0, 2), STORE_OK);
	assert_int_equal(store_kb_keys_set(tx, k[1].id, keys1, 1), STORE_OK);
	assert_int_equal(store_kb_keys_set(tx, k[2].id, keys2, 3), STORE_OK);
	commit(tx);
	assert_int_equal(store_kb_count(f->st, &count), STORE_OK);
	assert_int_equal(count, 3);
	assert_int_equal(store_kb_exists(f->st, k[1].id), STORE_OK);
	assert_int_equal(store_kb_exists(f->st, "absent"), STORE_NOT_FOUND);
	assert_int_equal(store_kb_get(f->st, "absent", &got, &f->a), STORE_NOT_FOUND);
	assert_int_equal(store_kb_get(f->st, k[2].id, &got, &f->a), STORE_OK);
	assert_string_equal(got.title[KB_EN], "Work in Kazakhstan");
	assert_string_equal(got.body[KB_TG], "матн");
	assert_string_equal(got.reviewed_on, "2026-01-05");
	assert_string_equal(got.updated_by, f->user);
	assert_int_equal(got.score, 0);
	assert_int_equal(store_kb_get(f->st, k[1].id, &got, &f->a), STORE_OK);
	assert_string_equal(got.reviewed_on, "");
	assert_string_equal(got.updated_by, "");

	/* Versioned updates. */
	tx = begin(f);
	got.version = 2;
	got.title[KB_EN] = "Papers to keep";
	assert_int_equal(store_kb_update(tx, &got), STORE_OK);
	assert_int_equal(store_kb_update(tx, &got), STORE_STALE);
	snprintf(got.id, sizeof got.id, "absent");
	assert_int_equal(store_kb_update(tx, &got), STORE_NOT_FOUND);
	commit(tx);
	assert_int_equal(store_kb_get(f->st, k[1].id, &got, &f->a), STORE_OK);
	assert_int_equal(got.version, 2);
	assert_string_equal(got.title[KB_EN], "Papers to keep");

	/* A list by country, topic, id; a filter; a page. */
	flt.limit = 10;
	assert_int_equal(store_kb_list(f->st, &flt, &rows, &n, &f->a), STORE_OK);
	assert_int_equal(n, 3);
	assert_string_equal(rows[0].id, k[1].id);
	assert_string_equal(rows[1].id, k[2].id);
	assert_string_equal(rows[2].id, k[0].id);
	flt.status = "published";
	flt.offset = 1;
	assert_int_equal(store_kb_list(f->st, &flt, &rows, &n, &f->a), STORE_OK);
	assert_int_equal(n, 1);
	assert_string_equal(rows[0].id, k[0].id);
	flt.status = NULL;
	flt.offset = 0;
	flt.country = "";
	assert_int_equal(store_kb_list(f->st, &flt, &rows, &n, &f->a), STORE_OK);
	assert_int_equal(n, 1);
	assert_string_equal(rows[0].id, k[1].id);

	/* A search: most words matched first, then the weight (a key set
	 * twice keeps its larger weight), then country, topic, id. */
	flt.country = NULL;
	flt.keys[0] = "work";
	flt.keys[1] = "visa";
	flt.nkeys = 2;
	assert_int_equal(store_kb_list(f->st, &flt, &rows, &n, &f->a), STORE_OK);
	assert_int_equal(n, 3);
	assert_string_equal(rows[0].id, k[2].id);
	assert_int_equal(rows[0].score, 4);
	assert_string_equal(rows[1].id, k[0].id);
	assert_int_equal(rows[1].score, 2);
	assert_string_equal(rows[2].id, k[1].id);
	assert_int_equal(rows[2].score, 5);
	flt.limit = 1;
	flt.offset = 1;
	assert_int_equal(store_kb_list(f->st, &flt, &rows, &n, &f->a), STORE_OK);
	assert_int_equal(n, 1);
	assert_string_equal(rows[0].id, k[0].id);
}

/* ---- waiting for the writer ---------------------------------------------- */

struct begin_try {
	store *st;
	double took;
	int got;
};

static double now_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void *begin_try_run(void *arg)
{
	struct begin_try *b = arg;
	double t0 = now_s();
	store_tx *tx = store_begin(b->st);

	b->took = now_s() - t0;
	b->got = tx != NULL;
	if (tx)
		store_rollback(tx);
	return NULL;
}

/* SQLite: writes queued behind a write lock another connection holds each
 * give up after the busy timeout (DB_BUSY_TIMEOUT_MS, 10 s) in all, the
 * wait for the store's own writer included: the second of two waited 10 s
 * for the first, then 10 s for the lock.  (PostgreSQL has no busy timeout:
 * a write waits for the row locks it needs.) */
static void test_begin_waits_once(void **state)
{
	struct fixture *f = *state;
	struct begin_try b[2] = {{f->st, 0, 0}, {f->st, 0, 0}};
	pthread_t th[2];
	char path[160], err[256];
	db *other;
	int i;

	if (driver->open != open_sqlite)
		skip();
	snprintf(path, sizeof path, "%s/himoya.db", f->dir);
	assert_int_equal(db_open(path, DB_WRITE, &other, err, sizeof err), DB_OK);
	assert_int_equal(db_begin(other), DB_OK);
	for (i = 0; i < 2; i++)
		assert_int_equal(pthread_create(&th[i], NULL, begin_try_run, &b[i]), 0);
	for (i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
	db_rollback(other);
	db_close(other);
	for (i = 0; i < 2; i++) {
		assert_false(b[i].got);
		if (b[i].took > 16.0)
			fail_msg("a write gave up after %.1f s (the other after %.1f s)", b[i].took,
				 b[1 - i].took);
	}
	/* And once the lock is gone, at once. */
	b[0].got = 0;
	begin_try_run(&b[0]);
	assert_true(b[0].got);
}

static void test_limits(void **state)
{
	struct fixture *f = *state;
	unsigned char key[LIMIT_KEY_BYTES], other[LIMIT_KEY_BYTES];
	int64_t left = -1;
	int allowed = -1, first = -1;
	store_tx *tx;

	memset(key, 1, sizeof key);
	memset(other, 2, sizeof other);
	/* Three failures within the lock time lock the login for it; a
	 * refused try counts nothing; another login is not touched. */
	assert_int_equal(store_login_attempt(f->st, key, 3, 60, 1000, &left), STORE_OK);
	assert_int_equal(left, 0);
	assert_int_equal(store_login_attempt(f->st, key, 3, 60, 1001, &left), STORE_OK);
	assert_int_equal(store_login_locked(f->st, key, 1001, &left), STORE_OK);
	assert_int_equal(left, 0);
	assert_int_equal(store_login_attempt(f->st, key, 3, 60, 1002, &left), STORE_OK);
	assert_int_equal(left, 0);
	assert_int_equal(store_login_locked(f->st, key, 1002, &left), STORE_OK);
	assert_int_equal(left, 60);
	assert_int_equal(store_login_attempt(f->st, key, 3, 60, 1012, &left), STORE_OK);
	assert_int_equal(left, 50);
	assert_int_equal(store_login_locked(f->st, other, 1012, &left), STORE_OK);
	assert_int_equal(left, 0);
	/* The lock runs out, and counting starts afresh. */
	assert_int_equal(store_login_attempt(f->st, key, 3, 60, 1062, &left), STORE_OK);
	assert_int_equal(left, 0);
	assert_int_equal(store_login_locked(f->st, key, 1062, &left), STORE_OK);
	assert_int_equal(left, 0);
	/* Failures far apart never lock. */
	assert_int_equal(store_login_attempt(f->st, other, 2, 60, 2000, &left), STORE_OK);
	assert_int_equal(store_login_attempt(f->st, other, 2, 60, 2060, &left), STORE_OK);
	assert_int_equal(store_login_locked(f->st, other, 2060, &left), STORE_OK);
	assert_int_equal(left, 0);
	/* A success forgets the failures. */
	assert_int_equal(store_login_attempt(f->st, key, 2, 60, 3000, &left), STORE_OK);
	tx = begin(f);
	assert_int_equal(store_login_clear(tx, key), STORE_OK);
	commit(tx);
	assert_int_equal(store_login_attempt(f->st, key, 2, 60, 3001, &left), STORE_OK);
	assert_int_equal(store_login_locked(f->st, key, 3001, &left), STORE_OK);
	assert_int_equal(left, 0);

	/* Two requests per ten seconds from the first. */
	assert_int_equal(store_rate_hit(f->st, key, 2, 10, 100, &allowed), STORE_OK);
	assert_int_equal(allowed, 1);
	assert_int_equal(store_rate_hit(f->st, key, 2, 10, 105, &allowed), STORE_OK);
	assert_int_equal(allowed, 1);
	assert_int_equal(store_rate_hit(f->st, key, 2, 10, 109, &allowed), STORE_OK);
	assert_int_equal(allowed, 0);
	assert_int_equal(store_rate_hit(f->st, other, 2, 10, 109, &allowed), STORE_OK);
	assert_int_equal(allowed, 1);
	assert_int_equal(store_rate_hit(f->st, key, 2, 10, 110, &allowed), STORE_OK);
	assert_int_equal(allowed, 1);

	/* A one-time id once, until it expires. */
	assert_int_equal(store_once(f->st, key, 500, 100, &first), STORE_OK);
	assert_int_equal(first, 1);
	assert_int_equal(store_once(f->st, key, 500, 200, &first), STORE_OK);
	assert_int_equal(first, 0);
	assert_int_equal(store_once(f->st, other, 500, 200, &first), STORE_OK);
	assert_int_equal(first, 1);
	assert_int_equal(store_once(f->st, key, 900, 501, &first), STORE_OK);
	assert_int_equal(first, 1);
}

/* Idempotency keys: claimed once; a second claim reads the row (running,
 * then done with its answer); a drop frees a running key only; the rows
 * go with their expiry. */
static void test_idempotency(void **state)
{
	struct fixture *f = *state;
	unsigned char key[LIMIT_KEY_BYTES], other[LIMIT_KEY_BYTES], req[LIMIT_KEY_BYTES];
	static const unsigned char answer[] = {0, 1, 2, 0xff, 'a', 0};
	struct idem_row row;
	int first = -1;

	memset(key, 3, sizeof key);
	memset(other, 4, sizeof other);
	memset(req, 5, sizeof req);
	assert_int_equal(store_idem_claim(f->st, key, req, 1000, 100, &first, &row, &f->a), STORE_OK);
	assert_int_equal(first, 1);
	assert_int_equal(store_idem_claim(f->st, key, other, 1000, 110, &first, &row, &f->a),
			 STORE_OK);
	assert_int_equal(first, 0);
	assert_int_equal(row.status, 0);
	assert_int_equal(row.started, 100);
	assert_null(row.answer);
	assert_memory_equal(row.request, req, sizeof req);
	/* done: the answer, byte for byte; a drop no longer frees it */
	assert_int_equal(store_idem_done(f->st, key, 201, answer, sizeof answer), STORE_OK);
	assert_int_equal(store_idem_drop(f->st, key), STORE_OK);
	assert_int_equal(store_idem_claim(f->st, key, req, 1000, 120, &first, &row, &f->a), STORE_OK);
	assert_int_equal(first, 0);
	assert_int_equal(row.status, 201);
	assert_int_equal(row.answer_len, sizeof answer);
	assert_memory_equal(row.answer, answer, sizeof answer);
	/* a running key dropped is free again; done on a dropped key does nothing */
	assert_int_equal(store_idem_claim(f->st, other, req, 1000, 130, &first, &row, &f->a), STORE_OK);
	assert_int_equal(first, 1);
	assert_int_equal(store_idem_drop(f->st, other), STORE_OK);
	assert_int_equal(store_idem_done(f->st, other, 200, answer, sizeof answer), STORE_OK);
	assert_int_equal(store_idem_claim(f->st, other, req, 1000, 140, &first, &row, &f->a), STORE_OK);
	assert_int_equal(first, 1);
	/* past its expiry the row is gone: the key is claimed anew */
	assert_int_equal(store_idem_claim(f->st, key, req, 5000, 1001, &first, &row, &f->a), STORE_OK);
	assert_int_equal(first, 1);
}

static void plan_activity_make(struct plan_activity_row *r, const char *plan, const char *number,
			       const char *org, const char *coded)
{
	memset(r, 0, sizeof *r);
	store_new_id(r->id);
	snprintf(r->plan, sizeof r->plan, "%s", plan);
	snprintf(r->number, sizeof r->number, "%s", number);
	memcpy(r->responsible_org, org, ID_LEN);
	r->coded = coded;
}

static void test_plan(void **state)
{
	struct fixture *f = *state;
	struct plan_row p, got;
	struct plan_activity_row r[3], again, *rows, one;
	char rid[4][ID_LEN];
	size_t n, i;
	store_tx *tx;

	memset(&p, 0, sizeof p);
	tx = begin(f);
	snprintf(p.code, sizeof p.code, "NAP-2025");
	memcpy(p.coordinator_org, f->org, ID_LEN);
	p.coded = "{\"title_en\":\"2025\"}";
	snprintf(p.loaded_at, sizeof p.loaded_at, "2026-01-01T00:00:00Z");
	assert_int_equal(store_plan_put(tx, &p), STORE_OK);
	snprintf(p.code, sizeof p.code, "NAP-2026");
	p.coded = "{\"title_en\":\"2026\"}";
	snprintf(p.loaded_at, sizeof p.loaded_at, "2026-02-01T00:00:00Z");
	assert_int_equal(store_plan_put(tx, &p), STORE_OK);
	commit(tx);
	/* The last loaded, or the one named. */
	assert_int_equal(store_plan_get(f->st, NULL, &got, &f->a), STORE_OK);
	assert_string_equal(got.code, "NAP-2026");
	assert_string_equal(got.coordinator_code, "ngo1");
	assert_int_equal(store_plan_get(f->st, "absent", &got, &f->a), STORE_NOT_FOUND);
	/* Loading a plan again replaces its coordinator and title. */
	tx = begin(f);
	snprintf(p.code, sizeof p.code, "NAP-2025");
	memcpy(p.coordinator_org, f->org2, ID_LEN);
	p.coded = "{\"title_en\":\"2025 again\"}";
	snprintf(p.loaded_at, sizeof p.loaded_at, "2026-03-01T00:00:00Z");
	assert_int_equal(store_plan_put(tx, &p), STORE_OK);
	commit(tx);
	assert_int_equal(store_plan_get(f->st, NULL, &got, &f->a), STORE_OK);
	assert_string_equal(got.code, "NAP-2025");
	assert_string_equal(got.coordinator_code, "ngo2");
	assert_string_equal(got.coded, "{\"title_en\":\"2025 again\"}");

	/* Activities by number (as text); the same number again updates the
	 * activity, whose id stays. */
	plan_activity_make(&r[0], "NAP-2026", "1.2", f->org, "{\"n\":12}");
	plan_activity_make(&r[1], "NAP-2026", "1.10", f->org, "{\"n\":110}");
	plan_activity_make(&r[2], "NAP-2026", "1.1", f->org2, "{\"n\":11}");
	plan_activity_make(&again, "NAP-2026", "1.2", f->org2, "{\"n\":120}");
	tx = begin(f);
	for (i = 0; i < 3; i++)
		assert_int_equal(store_plan_activity_put(tx, &r[i]), STORE_OK);
	assert_int_equal(store_plan_activity_put(tx, &again), STORE_OK);
	/* Reports: the newest wins, the later one on a tie. */
	for (i = 0; i < 4; i++)
		store_new_id(rid[i]);
	assert_int_equal(store_plan_report_insert(tx, rid[0], r[0].id, f->org, "{\"r\":1}",
						  f->user, "2026-04-02T00:00:00Z"), STORE_OK);
	assert_int_equal(store_plan_report_insert(tx, rid[1], r[0].id, f->org, "{\"r\":2}",
						  f->user, "2026-04-01T00:00:00Z"), STORE_OK);
	assert_int_equal(store_plan_report_insert(tx, rid[2], r[0].id, f->org, "{\"r\":3}",
						  NULL, "2026-04-02T00:00:00Z"), STORE_OK);
	assert_int_equal(store_plan_report_insert(tx, rid[2], r[1].id, f->org, "{\"r\":4}",
						  NULL, "2026-04-03T00:00:00Z"), STORE_CONFLICT);
	commit(tx);
	assert_int_equal(store_plan_activities(f->st, "NAP-2026", &rows, &n, &f->a), STORE_OK);
	assert_int_equal(n, 3);
	assert_string_equal(rows[0].id, r[2].id);
	assert_string_equal(rows[1].id, r[1].id);
	assert_string_equal(rows[2].id, r[0].id);
	assert_string_equal(rows[2].coded, "{\"n\":120}");
	assert_string_equal(rows[2].responsible_org, f->org2);
	assert_string_equal(rows[2].last_report, "{\"r\":3}");
	assert_int_equal(rows[2].reports, 3);
	assert_null(rows[0].last_report);
	assert_int_equal(rows[0].reports, 0);
	assert_int_equal(store_plan_activities(f->st, "NAP-2025", &rows, &n, &f->a), STORE_OK);
	assert_int_equal(n, 0);
	assert_int_equal(store_plan_activity_get(f->st, r[0].id, &one, &f->a), STORE_OK);
	assert_string_equal(one.last_report, "{\"r\":3}");
	assert_int_equal(store_plan_activity_get(f->st, again.id, &one, &f->a), STORE_NOT_FOUND);
}

struct seen_persons {
	char ids[8][ID_LEN];
	size_t n;
};

static int person_seen(void *ctx, const struct person_row *p)
{
	struct seen_persons *sp = ctx;

	if (sp->n < 8)
		memcpy(sp->ids[sp->n], p->id, ID_LEN);
	sp->n++;
	return 0;
}

static void pair_make(struct dup_pair_row *p, const char *org, const char *x, const char *y,
		      int64_t score)
{
	memset(p, 0, sizeof *p);
	store_new_id(p->id);
	memcpy(p->org_id, org, ID_LEN);
	memcpy(p->a, strcmp(x, y) < 0 ? x : y, ID_LEN);
	memcpy(p->b, strcmp(x, y) < 0 ? y : x, ID_LEN);
	p->score = score;
	p->weight = score / 10;
	p->reasons = "[]";
	snprintf(p->found_at, sizeof p->found_at, "2026-05-01T00:00:00Z");
}

static void test_dedup(void **state)
{
	struct fixture *f = *state;
	char per[3][ID_LEN], other[ID_LEN], case_id[ID_LEN], ids[4][ID_LEN];
	struct dup_pair_row p12, p13, got, *rows;
	struct dup_merge_row m, mgot;
	struct seen_persons sp = {0};
	struct case_row c;
	size_t n, i;
	store_tx *tx;

	for (i = 0; i < 3; i++)
		person_add(f, f->org, "2026-01-01T00:00:00Z", per[i]);
	person_add(f, f->org2, "2026-01-01T00:00:00Z", other);
	case_add(f, f->org, per[1], "2026-01-02T00:00:00Z", case_id);
	/* The organisation's persons, by id. */
	assert_int_equal(store_dedup_persons(f->st, f->org, person_seen, &sp), STORE_OK);
	assert_int_equal(sp.n, 3);
	assert_true(strcmp(sp.ids[0], sp.ids[1]) < 0 && strcmp(sp.ids[1], sp.ids[2]) < 0);

	/* Best score first; a pair found again is refreshed, its id kept. */
	pair_make(&p12, f->org, per[0], per[1], 900);
	pair_make(&p13, f->org, per[0], per[2], 950);
	tx = begin(f);
	assert_int_equal(store_dedup_pair_put(tx, &p12), STORE_OK);
	assert_int_equal(store_dedup_pair_put(tx, &p13), STORE_OK);
	commit(tx);
	assert_int_equal(store_dedup_pairs_list(f->st, f->org, "open", NULL, 10, &rows, &n, &f->a),
			 STORE_OK);
	assert_int_equal(n, 2);
	assert_string_equal(rows[0].id, p13.id);
	assert_string_equal(rows[1].id, p12.id);
	pair_make(&got, f->org, per[1], per[0], 990);
	tx = begin(f);
	assert_int_equal(store_dedup_pair_put(tx, &got), STORE_OK);
	commit(tx);
	assert_int_equal(store_dedup_pairs_list(f->st, f->org, "open", NULL, 10, &rows, &n, &f->a),
			 STORE_OK);
	assert_int_equal(n, 2);
	assert_string_equal(rows[0].id, p12.id);
	assert_int_equal(rows[0].score, 990);
	/* A page after a pair holds those that follow it, in the same order. */
	{
		struct dup_pair_row first = rows[0];

		assert_int_equal(store_dedup_pairs_list(f->st, f->org, "open", &first, 10, &rows, &n,
							&f->a), STORE_OK);
		assert_int_equal(n, 1);
		assert_string_equal(rows[0].id, p13.id);
		assert_int_equal(store_dedup_pairs_list(f->st, f->org, "open", &rows[0], 10, &rows,
							&n, &f->a), STORE_OK);
		assert_int_equal(n, 0);
	}
	assert_int_equal(store_dedup_pairs_list(f->st, f->org2, "open", NULL, 10, &rows, &n, &f->a),
			 STORE_OK);
	assert_int_equal(n, 0);

	/* Not the same: once, and never proposed again. */
	tx = begin(f);
	assert_int_equal(store_dedup_pair_distinct(tx, p13.id, f->user, "2026-05-02T00:00:00Z"),
			 STORE_OK);
	assert_int_equal(store_dedup_pair_distinct(tx, p13.id, f->user, "2026-05-02T00:00:00Z"),
			 STORE_STALE);
	p13.score = 999;
	assert_int_equal(store_dedup_pair_put(tx, &p13), STORE_OK);
	commit(tx);
	assert_int_equal(store_dedup_pair_get(f->st, p13.id, &got, &f->a), STORE_OK);
	assert_string_equal(got.status, "distinct");
	assert_int_equal(got.score, 950);
	assert_string_equal(got.decided_by, f->user);
	assert_int_equal(store_dedup_pair_get(f->st, "absent", &got, &f->a), STORE_NOT_FOUND);

	/* A merge moves the case and hides the merged person; once. */
	memset(&m, 0, sizeof m);
	store_new_id(m.id);
	memcpy(m.org_id, f->org, ID_LEN);
	memcpy(m.pair_id, p12.id, ID_LEN);
	memcpy(m.survivor, per[0], ID_LEN);
	memcpy(m.merged, per[1], ID_LEN);
	memcpy(m.by_user, f->user, ID_LEN);
	snprintf(m.at, sizeof m.at, "2026-05-03T00:00:00Z");
	tx = begin(f);
	assert_int_equal(store_dedup_merge(tx, &m), STORE_OK);
	commit(tx);
	tx = begin(f);
	store_new_id(m.id);
	assert_int_equal(store_dedup_merge(tx, &m), STORE_STALE);
	store_rollback(tx);
	assert_int_equal(store_dedup_pair_get(f->st, p12.id, &got, &f->a), STORE_OK);
	assert_string_equal(got.status, "merged");
	memcpy(m.id, got.merge_id, ID_LEN);
	assert_int_equal(store_dedup_merge_get(f->st, m.id, &mgot), STORE_OK);
	assert_string_equal(mgot.survivor, per[0]);
	assert_string_equal(mgot.undone_by, "");
	assert_int_equal(store_dedup_merged_into(f->st, per[0], ids, 4, &n), STORE_OK);
	assert_int_equal(n, 1);
	assert_string_equal(ids[0], per[1]);
	assert_int_equal(store_case_get(f->st, case_id, &c, &f->a), STORE_OK);
	assert_string_equal(c.person_id, per[0]);
	sp.n = 0;
	assert_int_equal(store_dedup_persons(f->st, f->org, person_seen, &sp), STORE_OK);
	assert_int_equal(sp.n, 2);

	/* Undone as a whole, once: the case back, the pair open again. */
	tx = begin(f);
	assert_int_equal(store_dedup_unmerge(tx, m.id, f->user, "2026-05-04T00:00:00Z"), STORE_OK);
	assert_int_equal(store_dedup_unmerge(tx, m.id, f->user, "2026-05-04T00:00:00Z"),
			 STORE_STALE);
	commit(tx);
	assert_int_equal(store_dedup_merge_get(f->st, m.id, &mgot), STORE_OK);
	assert_string_equal(mgot.undone_by, f->user);
	assert_int_equal(store_dedup_pair_get(f->st, p12.id, &got, &f->a), STORE_OK);
	assert_string_equal(got.status, "open");
	assert_int_equal(store_case_get(f->st, case_id, &c, &f->a), STORE_OK);
	assert_string_equal(c.person_id, per[1]);
	assert_int_equal(store_dedup_merged_into(f->st, per[0], ids, 4, &n), STORE_OK);
	assert_int_equal(n, 0);
	sp.n = 0;
	assert_int_equal(store_dedup_persons(f->st, f->org, person_seen, &sp), STORE_OK);
	assert_int_equal(sp.n, 3);
}

/* ---- meta, sessions --------------------------------------------------------- */

static void test_meta_and_sessions(void **state)
{
	struct fixture *f = *state;
	unsigned char sid[HASH_BYTES] = {9};
	struct session s;
	struct user u;
	char v[64];
	store_tx *tx;

	tx = begin(f);
	assert_int_equal(store_meta_set(tx, "demo", "1"), STORE_OK);
	assert_int_equal(store_meta_set(tx, "schema_version", "1"), STORE_ERROR);
	assert_int_equal(store_meta_set(tx, "audit_head", "1"), STORE_ERROR);
	assert_int_equal(store_session_add(tx, sid, f->user, "csrf-token", 0, 1, 1000), STORE_OK);
	commit(tx);
	assert_int_equal(store_meta_get(f->st, "demo", v, sizeof v), STORE_OK);
	assert_string_equal(v, "1");

	assert_int_equal(store_session_get(f->st, sid, 1500, 600, &s, &u), STORE_OK);
	assert_string_equal(s.csrf, "csrf-token");
	assert_int_equal(s.totp_confirmed, 1);
	assert_string_equal(u.id, f->user);
	/* Idle past the limit: gone. */
	assert_int_equal(store_session_get(f->st, sid, 1601, 600, &s, &u), STORE_NOT_FOUND);
	tx = begin(f);
	assert_int_equal(store_session_touch(tx, sid, 1590), STORE_OK);
	commit(tx);
	assert_int_equal(store_session_get(f->st, sid, 2100, 600, &s, &u), STORE_OK);
	tx = begin(f);
	assert_int_equal(store_session_delete(tx, sid), STORE_OK);
	commit(tx);
	assert_int_equal(store_session_get(f->st, sid, 2100, 600, &s, &u), STORE_NOT_FOUND);
}

static void test_accounts(void **state)
{
	struct fixture *f = *state;
	unsigned char h1[HASH_BYTES] = {1}, h2[HASH_BYTES] = {2};
	unsigned char sealed[TOTP_SECRET_BYTES + SEAL_OVERHEAD];
	struct user u;
	struct user_row *users;
	struct token_row t, *tokens;
	struct org *orgs;
	char id1[ID_LEN], id2[ID_LEN], uid[ID_LEN];
	size_t n;
	store_tx *tx;

	memset(sealed, 0xab, sizeof sealed);
	tx = begin(f);
	assert_int_equal(store_user_add(tx, f->org, "anvar", "supervisor", "h", uid), STORE_OK);
	assert_int_equal(store_user_set_totp(tx, uid, sealed, sizeof sealed, 1), STORE_OK);
	assert_int_equal(store_role_set_totp(tx, "supervisor", 1), STORE_OK);
	/* A TOTP step is taken once, and only a later one after it. */
	assert_int_equal(store_user_take_totp_step(tx, uid, 100), STORE_OK);
	assert_int_equal(store_user_take_totp_step(tx, uid, 100), STORE_STALE);
	assert_int_equal(store_user_take_totp_step(tx, uid, 99), STORE_STALE);
	assert_int_equal(store_user_take_totp_step(tx, uid, 101), STORE_OK);
	assert_int_equal(store_org_update(tx, f->org, "Shelter One", "NGO", "civil_society", f->org2),
			 STORE_OK);
	commit(tx);

	assert_int_equal(store_user_by_login(f->st, "anvar", &u), STORE_OK);
	assert_string_equal(u.id, uid);
	assert_int_equal(u.totp_enabled, 1);
	assert_int_equal(u.totp_sealed_len, sizeof sealed);
	assert_memory_equal(u.totp_sealed, sealed, sizeof sealed);
	assert_int_equal(u.totp_step, 101);
	assert_int_equal(u.totp_required, 1);
	assert_int_equal(u.disabled, 0);
	assert_string_equal(u.org.code, "ngo1");
	assert_string_equal(u.org.sector, "civil_society");
	assert_int_equal(store_user_by_id(f->st, f->user, &u), STORE_OK);
	assert_int_equal(u.totp_sealed_len, 0);
	assert_int_equal(u.totp_required, 0);
	assert_int_equal(store_role_requires_totp(f->st, "supervisor"), 1);
	assert_int_equal(store_role_requires_totp(f->st, "caseworker"), 0);

	/* The users of an organisation by login; organisations by name. */
	assert_int_equal(store_user_list(f->st, f->org, 10, &users, &n, &f->a), STORE_OK);
	assert_int_equal(n, 2);
	assert_string_equal(users[0].login, "anvar");
	assert_string_equal(users[1].login, "dilnoza");
	assert_int_equal(store_org_list(f->st, 10, &orgs, &n, &f->a), STORE_OK);
	assert_int_equal(n, 2);
	assert_string_equal(orgs[0].code, "ngo1");
	assert_string_equal(orgs[0].created_by, f->org2);
	assert_string_equal(orgs[1].sector, "");

	/* Tokens: live ones only, newest first in lists. */
	tx = begin(f);
	assert_int_equal(store_token_add(tx, h1, f->user, "one", 5000, id1), STORE_OK);
	assert_int_equal(store_token_add(tx, h2, uid, "two", 5000, id2), STORE_OK);
	commit(tx);
	assert_int_equal(store_token_get(f->st, h1, 4999, &u, &t), STORE_OK);
	assert_string_equal(u.id, f->user);
	assert_string_equal(t.id, id1);
	assert_string_equal(t.login, "dilnoza");
	assert_string_equal(t.label, "one");
	assert_int_equal(t.expires, 5000);
	assert_int_equal(store_token_get(f->st, h1, 5000, &u, NULL), STORE_NOT_FOUND);
	assert_int_equal(store_token_list(f->st, f->org, NULL, 10, &tokens, &n, &f->a), STORE_OK);
	assert_int_equal(n, 2);
	assert_int_equal(store_token_list(f->st, NULL, "anvar", 10, &tokens, &n, &f->a), STORE_OK);
	assert_int_equal(n, 1);
	assert_string_equal(tokens[0].id, id2);
	assert_int_equal(store_token_list(f->st, f->org2, NULL, 10, &tokens, &n, &f->a), STORE_OK);
	assert_int_equal(n, 0);
	/* A disabled user's token and sessions lead nowhere. */
	tx = begin(f);
	assert_int_equal(store_user_set_disabled(tx, uid, 1), STORE_OK);
	commit(tx);
	assert_int_equal(store_token_get(f->st, h2, 10, &u, NULL), STORE_NOT_FOUND);
	tx = begin(f);
	assert_int_equal(store_user_set_disabled(tx, uid, 0), STORE_OK);
	assert_int_equal(store_user_tokens_revoke(tx, uid), STORE_OK);
	commit(tx);
	assert_int_equal(store_token_get(f->st, h2, 10, &u, NULL), STORE_NOT_FOUND);
	assert_int_equal(store_token_by_id(f->st, id2, &t), STORE_OK);
	assert_int_equal(t.revoked, 1);
}

/* ---- the audit chain -------------------------------------------------------- */

static void test_audit_chain(void **state)
{
	struct fixture *f = *state;
	struct audit_row rows[8];
	struct audit_head head;
	char msg[256] = "", expect[64];
	int64_t entries = -1, before;
	size_t n;
	int i;

	assert_int_equal(store_audit_verify(f->st, msg, sizeof msg, &before), 0);
	for (i = 0; i < 3; i++) {
		struct audit_entry e = {f->user, f->org, i == 1 ? "update" : "create",
					"persons/P1", "given_name", "127.0.0.1"};
		store_tx *tx = begin(f);
		assert_int_equal(store_audit_append(tx, &e), STORE_OK);
		commit(tx);
	}
	{
		/* One appended in a transaction that is rolled back leaves no trace. */
		struct audit_entry e = {f->user, f->org, "delete", "persons/P1", NULL, NULL};
		store_tx *tx = begin(f);
		assert_int_equal(store_audit_append(tx, &e), STORE_OK);
		store_rollback(tx);
	}
	assert_int_equal(store_audit_verify(f->st, msg, sizeof msg, &entries), 0);
	assert_int_equal(entries, before + 3);

	/* Newest first, with the user's login. */
	assert_int_equal(store_audit_for_record(f->st, "persons/P1", rows, 8, &n), STORE_OK);
	assert_int_equal(n, 3);
	assert_string_equal(rows[0].action, "create");
	assert_string_equal(rows[1].action, "update");
	assert_string_equal(rows[2].action, "create");
	assert_true(rows[0].seq > rows[1].seq && rows[1].seq > rows[2].seq);
	assert_string_equal(rows[0].login, "dilnoza");
	assert_string_equal(rows[0].org_code, "ngo1");

	/* A read queued is in the chain, and found, once flushed. */
	{
		struct audit_entry e = {f->user2, f->org2, "read", "persons/P1", "given_name",
					"127.0.0.2"};
		store_audit_enqueue(f->st, &e);
	}
	assert_int_equal(store_audit_verify_head(f->st, NULL, &head, msg, sizeof msg, &entries),
			 0);
	assert_int_equal(store_audit_for_record(f->st, "persons/P1", rows, 8, &n), STORE_OK);
	assert_int_equal(n, 4);
	assert_string_equal(rows[0].action, "read");
	assert_string_equal(rows[0].login, "rustam");
	assert_int_equal(store_audit_for_record(f->st, "persons/P2", rows, 8, &n), STORE_OK);
	assert_int_equal(n, 0);

	/* The head printed anchors the chain; a wrong digest does not. */
	snprintf(expect, sizeof expect, "%lld:%.16s", (long long)head.seq, head.digest);
	assert_int_equal(store_audit_verify_head(f->st, expect, NULL, msg, sizeof msg, &entries),
			 0);
	snprintf(expect, sizeof expect, "%lld:%.16s", (long long)head.seq, "0000000000000000");
	if (strncmp(head.digest, "0000000000000000", 16) != 0)
		assert_int_equal(store_audit_verify_head(f->st, expect, NULL, msg, sizeof msg,
							 &entries), -1);
}

/* ---- persons read by the page --------------------------------------------- */

/* store_persons_get: each id gets its person whatever the order, an id
 * asked twice gets it twice, an absent id is not found, and more ids than
 * one statement takes on SQLite (64) are all answered. */
static void test_persons_get(void **state)
{
	struct fixture *f = *state;
	enum { AT_ONCE = 64, N = 2 * AT_ONCE + 7 };
	static char ids[N][ID_LEN];
	const char *ask[N + 4];
	struct person_row out[N + 4];
	unsigned char found[N + 4];
	size_t i, n = 0;

	for (i = 0; i < N; i++)
		person_add(f, i % 5 ? f->org : f->org2, "2026-01-01T00:00:00Z", ids[i]);
	/* Backwards, with one asked again, one absent among them. */
	for (i = N; i-- > 0;) {
		ask[n++] = ids[i];
		if (i == AT_ONCE)
			ask[n++] = "absent";
	}
	ask[n++] = ids[N - 1];
	ask[n++] = ids[3];
	/* What PostgreSQL's array literal must quote: found as no one. */
	ask[n++] = "a\"b\\c,{d} e";
	memset(found, 7, sizeof found);
	assert_int_equal(store_persons_get(f->st, ask, n, out, found, &f->a), STORE_OK);
	for (i = 0; i < n; i++) {
		if (!strcmp(ask[i], "absent") || i == n - 1) {
			assert_int_equal(found[i], 0);
			continue;
		}
		assert_int_equal(found[i], 1);
		assert_string_equal(out[i].id, ask[i]);
		assert_int_equal(out[i].version, 1);
		assert_int_equal(out[i].sealed_len, sizeof SEALED);
		assert_memory_equal(out[i].sealed, SEALED, sizeof SEALED);
		assert_string_equal(out[i].coded, "{\"gender\":\"Feminine\"}");
	}
	/* None asked: nothing read. */
	assert_int_equal(store_persons_get(f->st, ask, 0, out, found, &f->a), STORE_OK);
}

/* ---- a bulk load ---------------------------------------------------------- */

struct bulk_scan {
	int n;
	char by[32];
};

static int bulk_scan_case(void *ctx, const struct rp_source *src)
{
	struct bulk_scan *b = ctx;
	b->n++;
	snprintf(b->by, sizeof b->by, "%s", src->decided_by ? src->decided_by : "(none)");
	return 0;
}

/* Between store_bulk_begin and store_bulk_end (himoya demo): a new
 * person's keys go in without their person_id index, the report scan
 * finds a case's newest decision of its status without items_case, and
 * the end remakes every index, so that the keys are found and replaced
 * as the API's edits do, and a second load can begin. */
static void test_bulk_load(void **state)
{
	struct fixture *f = *state;
	static const char *const decisions[][3] = {
		{"2026-01-01T00:00:00Z", "ActualVictimOfTrafficking", "older"},
		{"2026-01-02T00:00:00Z", "ActualVictimOfTrafficking", "newest"},
		{"2026-01-03T00:00:00Z", "PossibleVictimOfTrafficking", "other status"},
	};
	char coded[3][128], ids[4][ID_LEN];
	struct blind_key keys[2];
	struct bulk_scan scan = {0};
	struct person_row p;
	struct case_row c;
	struct item_row it;
	store_tx *tx;
	int hits[4];
	size_t i, found;

	scale_key(&keys[0], 0);
	scale_key(&keys[1], 1);
	person_make(&p, f->org, "2026-01-01T00:00:00Z");
	case_make(&c, f->org, p.id, "2026-01-01T00:00:00Z");
	snprintf(c.trafficking_status, sizeof c.trafficking_status, "ActualVictimOfTrafficking");
	assert_int_equal(store_bulk_begin(f->st), STORE_OK);
	tx = begin(f);
	assert_int_equal(store_person_insert(tx, &p), STORE_OK);
	assert_int_equal(store_person_keys_add(tx, p.id, keys, 2), STORE_OK);
	assert_int_equal(store_case_insert(tx, &c), STORE_OK);
	for (i = 0; i < 3; i++) {
		item_make(&it, "status_decision", f->org, c.id, p.id, decisions[i][0]);
		snprintf(coded[i], sizeof coded[i], "{\"status\":\"%s\",\"decided_by\":\"%s\"}",
			 decisions[i][1], decisions[i][2]);
		it.coded = coded[i];
		assert_int_equal(store_item_insert(tx, &it), STORE_OK);
	}
	assert_int_equal(store_report_scan_cases(tx, bulk_scan_case, &scan), STORE_OK);
	assert_int_equal(store_report_derive(tx), STORE_OK);
	commit(tx);
	assert_int_equal(scan.n, 1);
	assert_string_equal(scan.by, "newest");
	assert_int_equal(store_bulk_end(f->st), STORE_OK);

	assert_int_equal(store_person_find(f->st, f->org, &keys[1], 1, ids, hits, 4, &found),
			 STORE_OK);
	assert_int_equal(found, 1);
	assert_string_equal(ids[0], p.id);
	tx = begin(f);
	assert_int_equal(store_person_keys_set(tx, p.id, &keys[0], 1), STORE_OK);
	commit(tx);
	assert_int_equal(store_person_find(f->st, f->org, &keys[1], 1, ids, hits, 4, &found),
			 STORE_OK);
	assert_int_equal(found, 0);
	assert_int_equal(store_person_find(f->st, f->org, &keys[0], 1, ids, hits, 4, &found),
			 STORE_OK);
	assert_int_equal(found, 1);
	/* The load's own index went with it: a second load makes it again. */
	assert_int_equal(store_bulk_begin(f->st), STORE_OK);
	assert_int_equal(store_bulk_end(f->st), STORE_OK);
}

/* store_cases_get: as store_persons_get, for the cases of a due list (more
 * than one statement takes on SQLite; one on PostgreSQL); each case whole,
 * its sealed fields too. */
static void test_cases_get(void **state)
{
	struct fixture *f = *state;
	enum { N = 70 };
	static char ids[N][ID_LEN];
	char person[ID_LEN];
	const char *ask[N + 3];
	struct case_row out[N + 3];
	unsigned char found[N + 3];
	size_t i, n = 0;

	person_add(f, f->org, "2026-01-01T00:00:00Z", person);
	for (i = 0; i < N; i++)
		case_add(f, f->org, person, "2026-01-02T00:00:00Z", ids[i]);
	for (i = N; i-- > 0;) {
		ask[n++] = ids[i];
		if (i == 40)
			ask[n++] = "absent";
	}
	ask[n++] = ids[5];
	ask[n++] = "x\"},{\\";
	memset(found, 7, sizeof found);
	assert_int_equal(store_cases_get(f->st, ask, n, out, found, &f->a), STORE_OK);
	for (i = 0; i < n; i++) {
		if (!strcmp(ask[i], "absent") || i == n - 1) {
			assert_int_equal(found[i], 0);
			continue;
		}
		assert_int_equal(found[i], 1);
		assert_string_equal(out[i].id, ask[i]);
		assert_string_equal(out[i].person_id, person);
		assert_string_equal(out[i].org_id, f->org);
		assert_string_equal(out[i].stage, "identification");
	}
	assert_int_equal(store_cases_get(f->st, ask, 0, out, found, &f->a), STORE_OK);
}

/* ---- the index of reads, written many rows a statement --------------------- */

/* A batch of reads of more records than one statement writes to the index
 * (64 a statement, the last padded): each record's read is found, and
 * audit verify finds the index whole against the chain. */
static void test_audit_reads_index(void **state)
{
	struct fixture *f = *state;
	struct audit_row rows[4];
	char record[64], msg[256] = "";
	int64_t entries;
	size_t n;
	int i;

	for (i = 0; i < 150; i++) {
		struct audit_entry e = {f->user, f->org, "read", record, "given_name", "127.0.0.1"};
		snprintf(record, sizeof record, "persons/R%03d", i);
		store_audit_enqueue(f->st, &e);
	}
	for (i = 0; i < 150; i++) {
		snprintf(record, sizeof record, "persons/R%03d", i);
		assert_int_equal(store_audit_for_record(f->st, record, rows, 4, &n), STORE_OK);
		assert_int_equal(n, 1);
		assert_string_equal(rows[0].action, "read");
	}
	assert_int_equal(store_audit_verify(f->st, msg, sizeof msg, &entries), 0);
}

/* ---- PostgreSQL: a connection the server dropped (a failover) ------------- */

/* The server process behind d, ended from another connection (waiting
 * up to 5 s for it to go), as a failover ends it. */
static int64_t backend_of(db *d)
{
	db_stmt *s = db_prepare(d, "SELECT pg_backend_pid()");
	int64_t pid = s && db_step(s) == DB_ROW ? db_col_int(s, 0) : -1;

	if (s)
		db_reset(s);
	return pid;
}

static void drop_backend(int64_t pid)
{
	char sql[96];

	snprintf(sql, sizeof sql, "SELECT pg_terminate_backend(%lld, 5000)", (long long)pid);
	assert_int_equal(pg_admin(sql), 0);
}

/* Outside a transaction the statement after the one that found the
 * connection gone runs on a new one; inside a transaction every statement
 * fails until the caller ends it, so that none of it runs outside it. */
/* ---- network matching: rows, stamps, the pass's reads -------------------- */

struct pprl_seen {
	char rows[16][160];
	size_t n;
};

static int source_note(void *ctx, const struct pprl_source *row)
{
	struct pprl_seen *c = ctx;

	assert_true(c->n < 16);
	snprintf(c->rows[c->n++], sizeof c->rows[0], "%.26s %lld %.26s %lld %s", row->person_id,
		 (long long)row->version, row->consent_id, (long long)row->consent_version,
		 row->consent_status);
	return 0;
}

static int encoding_note(void *ctx, const struct pprl_row *row)
{
	struct pprl_seen *c = ctx;

	assert_true(c->n < 16);
	snprintf(c->rows[c->n++], sizeof c->rows[0], "%c %s %s %zu %s", 'a' + row->handle[0],
		 row->expires, row->updated_at, row->ref_len, row->audience);
	return 0;
}

static int stamp_note(void *ctx, const struct pprl_stamp_row *row)
{
	struct pprl_seen *c = ctx;

	assert_true(c->n < 16);
	snprintf(c->rows[c->n++], sizeof c->rows[0], "%c %c %d %d %s %s", 'a' + row->handle[0],
		 'a' + row->stamp[0], row->encoded, row->has_row, row->recheck, row->updated_at);
	return 0;
}

static int seen_cmp(const void *a, const void *b)
{
	return strcmp(a, b);
}

/* The rows a read gave, in the order given (sorted: sort them first). */
static void seen_is(struct pprl_seen *c, int sorted, const char *const *want, size_t n)
{
	size_t i;

	if (sorted)
		qsort(c->rows, c->n, sizeof c->rows[0], seen_cmp);
	assert_int_equal(c->n, n);
	for (i = 0; i < n; i++)
		assert_string_equal(c->rows[i], want[i]);
	c->n = 0;
}

static void pprl_put_to(store_tx *tx, const char *org, unsigned char h, const char *expires,
			const char *at, const char *audience)
{
	unsigned char handle[PPRL_HANDLE_BYTES] = {h}, ref[40] = {h}, clk[PPRL_BYTES] = {h};
	struct pprl_row row = {org, handle, ref, sizeof ref, clk, expires, audience, at};

	assert_int_equal(store_pprl_put(tx, &row), STORE_OK);
}

/* A row any organisation may match. */
static void pprl_put(store_tx *tx, const char *org, unsigned char h, const char *expires,
		     const char *at)
{
	pprl_put_to(tx, org, h, expires, at, "||");
}

static void stamp_put(store_tx *tx, unsigned char h, unsigned char v, int encoded,
		      const char *recheck, const char *at)
{
	unsigned char handle[PPRL_HANDLE_BYTES] = {h}, stamp[PPRL_STAMP_BYTES] = {v};
	struct pprl_stamp_row row = {handle, stamp, encoded, recheck, at, 0};

	assert_int_equal(store_pprl_stamp_put(tx, &row), STORE_OK);
}

static void test_pprl(void **state)
{
	struct fixture *f = *state;
	static const char *const status[4] = {"active", "withdrawn", "withdrawn", "active"};
	char p[3][ID_LEN], c[4][ID_LEN], want[4][160];
	const char *w[4];
	unsigned char h[PPRL_HANDLE_BYTES] = {0}, sv[PPRL_STAMP_BYTES] = {0};
	struct pprl_seen seen = {0};
	struct item_row it;
	store_tx *tx;
	int64_t n;
	size_t i;

	/* The pass's read: every consent of each person not merged away, in
	 * any state, a person's together, persons in the order stored; other
	 * items are not consents. */
	person_add(f, f->org, "2026-01-01T00:00:00Z", p[0]);
	person_add(f, f->org, "2026-01-02T00:00:00Z", p[1]);
	person_add(f, f->org2, "2026-01-03T00:00:00Z", p[2]);
	tx = begin(f);
	for (i = 0; i < 4; i++) {
		item_make(&it, "consent", i < 3 ? f->org : f->org2, NULL, p[i < 2 ? 0 : i - 1],
			  "2026-01-04T00:00:00Z");
		it.version = (int64_t)i + 1;
		snprintf(it.status, sizeof it.status, "%s", status[i]);
		assert_int_equal(store_item_insert(tx, &it), STORE_OK);
		memcpy(c[i], it.id, ID_LEN);
	}
	item_make(&it, "note", f->org, NULL, p[0], "2026-01-05T00:00:00Z");
	assert_int_equal(store_item_insert(tx, &it), STORE_OK);
	commit(tx);
	assert_int_equal(store_pprl_sources(f->st, source_note, &seen), STORE_OK);
	for (i = 0; i < 4; i++) {
		snprintf(want[i], sizeof want[i], "%s 1 %s %zu %s", p[i < 2 ? 0 : i - 1], c[i], i + 1,
			 status[i]);
		w[i] = want[i];
	}
	assert_int_equal(seen.n, 4);
	/* p[0]'s two consents in either order, then p[1]'s, then p[2]'s */
	if (strcmp(seen.rows[0], want[0])) {
		char t[160];
		memcpy(t, seen.rows[0], sizeof t);
		memcpy(seen.rows[0], seen.rows[1], sizeof t);
		memcpy(seen.rows[1], t, sizeof t);
	}
	seen_is(&seen, 0, w, 4);
	/* The same for some persons, in a write transaction (a refresh's
	 * check), in the order asked: an unknown id gives nothing. */
	tx = begin(f);
	assert_int_equal(store_pprl_sources_tx(tx, (const char *const[]){p[2], "no-such-person", p[0]},
					       3, source_note, &seen), STORE_OK);
	commit(tx);
	assert_int_equal(seen.n, 3);
	if (strcmp(seen.rows[1], want[0])) { /* p[0]'s two in either order */
		char t[160];
		memcpy(t, seen.rows[1], sizeof t);
		memcpy(seen.rows[1], seen.rows[2], sizeof t);
		memcpy(seen.rows[2], t, sizeof t);
	}
	seen_is(&seen, 0, (const char *const[]){want[3], want[0], want[1]}, 3);

	/* Rows: put replaces the handle's row (its audience too); each gives
	 * those whose consent lasts on the day asked and that someone may
	 * match (an empty audience: no one). */
	tx = begin(f);
	pprl_put(tx, f->org, 1, "", "2026-05-01T00:00:00Z");
	pprl_put(tx, f->org, 2, "2026-03-01", "2026-05-01T00:00:00Z");
	pprl_put(tx, f->org2, 3, "2027-01-01", "2026-05-01T00:00:00Z");
	pprl_put_to(tx, f->org, 3, "2027-01-01", "2026-05-02T00:00:00Z", "shelter||;|NGO|2026-12-31");
	pprl_put_to(tx, f->org, 5, "", "2026-05-02T00:00:00Z", "");
	commit(tx);
	assert_int_equal(store_pprl_each(f->st, "2026-06-01", encoding_note, &seen), STORE_OK);
	seen_is(&seen, 1, (const char *const[]){"b  2026-05-01T00:00:00Z 40 ||",
		"d 2027-01-01 2026-05-02T00:00:00Z 40 shelter||;|NGO|2026-12-31"}, 2);
	assert_int_equal(store_pprl_each(f->st, "2026-03-01", encoding_note, &seen), STORE_OK);
	assert_int_equal(seen.n, 3);
	seen.n = 0;

	/* Stamps: their own rows, each read with whether its handle has a row. */
	tx = begin(f);
	stamp_put(tx, 1, 7, 1, "", "2026-05-01T00:00:00Z");
	stamp_put(tx, 2, 8, 1, "2026-03-01", "2026-05-01T00:00:00Z");
	stamp_put(tx, 4, 9, 0, "2026-09-01", "2026-05-01T00:00:00Z");
	stamp_put(tx, 4, 10, 0, "", "2026-05-03T00:00:00Z");
	commit(tx);
	assert_int_equal(store_pprl_stamps_each(f->st, stamp_note, &seen), STORE_OK);
	seen_is(&seen, 1, (const char *const[]){"b h 1 1  2026-05-01T00:00:00Z",
		"c i 1 1 2026-03-01 2026-05-01T00:00:00Z", "e k 0 0  2026-05-03T00:00:00Z"}, 3);

	/* The sweep: a handle's stamp and row go only while the stamp is the
	 * one the pass read (a refresh since wrote another); rows without a
	 * stamp go. */
	tx = begin(f);
	h[0] = 2;
	sv[0] = 7;
	assert_int_equal(store_pprl_forget(tx, h, sv), STORE_OK);
	commit(tx);
	assert_int_equal(store_pprl_each(f->st, "2026-01-01", encoding_note, &seen), STORE_OK);
	assert_int_equal(seen.n, 3);
	seen.n = 0;
	tx = begin(f);
	sv[0] = 8;
	assert_int_equal(store_pprl_forget(tx, h, sv), STORE_OK);
	assert_int_equal(store_pprl_drop_unstamped(tx), STORE_OK);
	commit(tx);
	assert_int_equal(store_pprl_each(f->st, "2026-01-01", encoding_note, &seen), STORE_OK);
	seen_is(&seen, 1, (const char *const[]){"b  2026-05-01T00:00:00Z 40 ||"}, 1);
	assert_int_equal(store_pprl_stamps_each(f->st, stamp_note, &seen), STORE_OK);
	seen_is(&seen, 1, (const char *const[]){"b h 1 1  2026-05-01T00:00:00Z",
		"e k 0 0  2026-05-03T00:00:00Z"}, 2);

	/* Dropping a row or a stamp that is not there is no error. */
	tx = begin(f);
	h[0] = 1;
	assert_int_equal(store_pprl_drop(tx, h), STORE_OK);
	assert_int_equal(store_pprl_stamp_drop(tx, h), STORE_OK);
	assert_int_equal(store_pprl_drop(tx, h), STORE_OK);
	h[0] = 9;
	assert_int_equal(store_pprl_stamp_drop(tx, h), STORE_OK);
	commit(tx);
	assert_int_equal(store_pprl_each(f->st, "2026-01-01", encoding_note, &seen), STORE_OK);
	assert_int_equal(seen.n, 0);
	assert_int_equal(store_pprl_stamps_each(f->st, stamp_note, &seen), STORE_OK);
	seen_is(&seen, 1, (const char *const[]){"e k 0 0  2026-05-03T00:00:00Z"}, 1);

	/* Questions: counted per user since a time; older ones pruned. */
	tx = begin(f);
	assert_int_equal(store_pprl_question_add(tx, f->user, "2026-05-01T10:00:00Z",
						 "2026-05-01T00:00:00Z"), STORE_OK);
	assert_int_equal(store_pprl_question_add(tx, f->user, "2026-05-01T11:00:00Z",
						 "2026-05-01T00:00:00Z"), STORE_OK);
	assert_int_equal(store_pprl_question_add(tx, f->user2, "2026-05-01T11:00:00Z",
						 "2026-05-01T00:00:00Z"), STORE_OK);
	commit(tx);
	assert_int_equal(store_pprl_questions_since(f->st, f->user, "2026-05-01T10:30:00Z", &n),
			 STORE_OK);
	assert_int_equal(n, 1);
	assert_int_equal(store_pprl_questions_since(f->st, f->user, "2026-05-01T00:00:00Z", &n),
			 STORE_OK);
	assert_int_equal(n, 2);
	tx = begin(f);
	assert_int_equal(store_pprl_question_add(tx, f->user2, "2026-05-02T09:00:00Z",
						 "2026-05-01T10:30:00Z"), STORE_OK);
	commit(tx);
	assert_int_equal(store_pprl_questions_since(f->st, f->user, "2026-01-01T00:00:00Z", &n),
			 STORE_OK);
	assert_int_equal(n, 1);
	/* and per organisation, through its users */
	assert_int_equal(store_pprl_questions_org_since(f->st, f->org2, "2026-01-01T00:00:00Z", &n),
			 STORE_OK);
	assert_int_equal(n, 2);
	assert_int_equal(store_pprl_questions_org_since(f->st, f->org2, "2026-05-02T00:00:00Z", &n),
			 STORE_OK);
	assert_int_equal(n, 1);
	assert_int_equal(store_pprl_questions_org_since(f->st, f->org, "2026-05-01T10:30:00Z", &n),
			 STORE_OK);
	assert_int_equal(n, 1);
}

static void test_pg_reconnect(void **state)
{
	char err[256];
	int64_t pid, again;
	db_stmt *s;
	db *d;

	(void)state;
	if (driver->open != open_pg) {
		skip();
		return;
	}
	assert_int_equal(db_open(getenv("HIMOYA_TEST_PG"), DB_WRITE, &d, err, sizeof err), DB_OK);
	pid = backend_of(d);
	assert_true(pid > 0);
	drop_backend(pid);
	assert_int_not_equal(db_exec(d, "SELECT 1"), DB_OK); /* finds it gone */
	assert_int_equal(db_exec(d, "SELECT 1"), DB_OK);
	again = backend_of(d);
	assert_true(again > 0 && again != pid);

	assert_int_equal(db_begin(d), DB_OK);
	drop_backend(again);
	assert_int_not_equal(db_exec(d, "SELECT 1"), DB_OK);
	assert_int_not_equal(db_exec(d, "SELECT 1"), DB_OK);
	s = db_prepare(d, "SELECT 2");
	assert_true(!s || db_step(s) != DB_ROW);
	if (s)
		db_reset(s);
	db_rollback(d);
	assert_int_equal(db_exec(d, "SELECT 1"), DB_OK);
	assert_true(backend_of(d) > 0);
	db_close(d);
}

/* PostgreSQL's bulk transactions pipeline the writes whose results are
 * not read (pg.c): what the caller reads in between sees them, db_changes
 * counts them, and a deferred statement that fails (a NOT NULL column, a
 * key taken) fails the COMMIT, naming the statement, with nothing of the
 * transaction kept; the connection then goes on. */
static const char SQL_T_ADD[] = "INSERT INTO bulk_t(k, v) VALUES(?1, ?2)";
static const char SQL_T_COUNT[] = "SELECT count(*) FROM bulk_t WHERE k >= ?1";
static const char SQL_T_SET[] = "UPDATE bulk_t SET v = 'y' WHERE k < ?1";

static int64_t t_count(db *d, int64_t from)
{
	db_stmt *s = db_prepare(d, SQL_T_COUNT);
	int64_t n;

	assert_non_null(s);
	db_bind_int(s, 1, from);
	assert_int_equal(db_step(s), DB_ROW);
	n = db_col_int(s, 0);
	db_reset(s);
	return n;
}

static int t_add(db *d, int64_t k, const char *v)
{
	db_stmt *s = db_prepare(d, SQL_T_ADD);
	int rc;

	assert_non_null(s);
	db_bind_int(s, 1, k);
	db_bind_str(s, 2, v);
	rc = db_step(s);
	db_reset(s);
	return rc;
}

static void test_pg_pipeline(void **state)
{
	char err[256];
	db_stmt *s;
	db *d;
	int i;

	(void)state;
	if (driver->open != open_pg) {
		skip();
		return;
	}
	assert_int_equal(db_open(getenv("HIMOYA_TEST_PG"), DB_WRITE, &d, err, sizeof err), DB_OK);
	assert_int_equal(db_exec(d, "CREATE TEMP TABLE bulk_t(k BIGINT PRIMARY KEY, v TEXT NOT NULL)"),
			 DB_OK);
	assert_int_equal(db_bulk(d, 1), DB_OK);

	/* 600 rows: more than two collections' worth, read back in between. */
	assert_int_equal(db_begin(d), DB_OK);
	for (i = 0; i < 600; i++)
		assert_int_equal(t_add(d, i, "x"), DB_DONE);
	assert_int_equal(t_count(d, 0), 600);
	s = db_prepare(d, SQL_T_SET);
	db_bind_int(s, 1, 250);
	assert_int_equal(db_step(s), DB_DONE);
	db_reset(s);
	assert_int_equal(db_changes(d), 250);
	assert_int_equal(db_commit(d), DB_OK);
	assert_int_equal(t_count(d, 0), 600);

	/* A NOT NULL column left null, among good rows: the commit fails. */
	assert_int_equal(db_begin(d), DB_OK);
	assert_int_equal(t_add(d, 1000, "x"), DB_DONE);
	/* Failed at once (not deferred) or later: either way the COMMIT. */
	i = t_add(d, 1001, NULL);
	assert_true(i == DB_DONE || i == DB_ERROR || i == DB_CONSTRAINT);
	if (i == DB_DONE)
		assert_true(t_add(d, 1002, "x") == DB_DONE);
	assert_int_not_equal(db_commit(d), DB_OK);
	assert_non_null(strstr(db_errmsg(d), "null value"));
	assert_non_null(strstr(db_errmsg(d), "INSERT INTO bulk_t"));
	assert_int_equal(t_count(d, 1000), 0);

	/* A key taken (a one-row INSERT, DB_CONSTRAINT when run alone). */
	assert_int_equal(db_begin(d), DB_OK);
	assert_int_equal(t_add(d, 2000, "x"), DB_DONE);
	i = t_add(d, 5, "x");
	assert_true(i == DB_DONE || i == DB_CONSTRAINT);
	if (i == DB_DONE)
		assert_int_not_equal(db_commit(d), DB_OK);
	else
		db_rollback(d);
	assert_int_equal(t_count(d, 1000), 0);

	/* Rolled back half-way: nothing kept, and the connection goes on. */
	assert_int_equal(db_begin(d), DB_OK);
	assert_int_equal(t_add(d, 3000, "x"), DB_DONE);
	db_rollback(d);
	assert_int_equal(t_count(d, 1000), 0);
	assert_int_equal(db_begin(d), DB_OK);
	assert_int_equal(t_add(d, 4000, "x"), DB_DONE);
	assert_int_equal(db_commit(d), DB_OK);
	assert_int_equal(t_count(d, 1000), 1);
	assert_int_equal(db_bulk(d, 0), DB_OK);
	db_close(d);
}

/* ---- running every test on every driver ------------------------------------- */

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_not_found, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unique_keys, setup, teardown),
		cmocka_unit_test_setup_teardown(test_versions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_item_sealed_null, setup, teardown),
		cmocka_unit_test_setup_teardown(test_case_list_order_and_cursor, setup, teardown),
		cmocka_unit_test_setup_teardown(test_case_scope_referred, setup, teardown),
		cmocka_unit_test_setup_teardown(test_items_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_justice_and_transfer, setup, teardown),
		cmocka_unit_test_setup_teardown(test_contacts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_callbacks_and_flags, setup, teardown),
		cmocka_unit_test_setup_teardown(test_directory, setup, teardown),
		cmocka_unit_test_setup_teardown(test_trainings, setup, teardown),
		cmocka_unit_test_setup_teardown(test_meta_and_sessions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_accounts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_audit_chain, setup, teardown),
		cmocka_unit_test_setup_teardown(test_library, setup, teardown),
		cmocka_unit_test_setup_teardown(test_kb, setup, teardown),
		cmocka_unit_test_setup_teardown(test_limits, setup, teardown),
		cmocka_unit_test_setup_teardown(test_idempotency, setup, teardown),
		cmocka_unit_test_setup_teardown(test_referral_names, setup, teardown),
		cmocka_unit_test_setup_teardown(test_begin_waits_once, setup, teardown),
		cmocka_unit_test_setup_teardown(test_plan, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dedup, setup, teardown),
		cmocka_unit_test_setup_teardown(test_person_find_scale, setup, teardown),
		cmocka_unit_test_setup_teardown(test_persons_get, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pprl, setup, teardown),
		cmocka_unit_test_setup_teardown(test_audit_reads_index, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bulk_load, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cases_get, setup, teardown),
		cmocka_unit_test(test_pg_reconnect),
		cmocka_unit_test(test_pg_pipeline),
	};
	size_t i;
	int failed = 0;

	if (crypto_init() != 0)
		return 1;
	for (i = 0; i < sizeof drivers / sizeof drivers[0]; i++) {
		driver = &drivers[i];
		/* Without a cluster (a build without PostgreSQL's server) the
		 * PostgreSQL group cannot run: say so; make check always has one. */
		if (driver->open == open_pg && !getenv("HIMOYA_TEST_PG")) {
			printf("[  SKIPPED ] the postgresql driver: HIMOYA_TEST_PG is not set\n");
			continue;
		}
		failed += _cmocka_run_group_tests(driver->name, tests, sizeof tests / sizeof tests[0],
						  NULL, NULL);
	}
	return failed ? 1 : 0;
}
