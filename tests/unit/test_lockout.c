/*
 * test_lockout.c - unit tests of src/domain/lockout.c on a temporary
 * database: every attempt counts as a failure until cleared; locking
 * after N in a row, only for that login and whatever its case; the
 * seconds left, expiry with a fake clock, clearing on success, long
 * logins, a flood of distinct logins (which forgets neither a lock nor a
 * recent count, and whose stale rows go), several threads at once, and
 * two stores on one database counting as one (two servers).
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
#include <unistd.h>
#include <sqlite3.h>

#include "domain/lockout.h"
#include "store/store.h"

#define T0 1700000000 /* a fixed "now" */

/* One database per test (cmocka runs the tests one after another). */
static struct {
	char dir[64], key[128], db[128];
	keyring kr;
	store *st, *st2;
} fx;

static int setup(void **state)
{
	char err[256];

	(void)state;
	snprintf(fx.dir, sizeof fx.dir, "/tmp/himoya-lockout-XXXXXX");
	if (!mkdtemp(fx.dir))
		return -1;
	snprintf(fx.key, sizeof fx.key, "%s/himoya.key", fx.dir);
	snprintf(fx.db, sizeof fx.db, "%s/himoya.db", fx.dir);
	if (key_file_create(fx.key) != 0 || key_file_load(fx.key, &fx.kr, err, sizeof err) != 0 ||
	    store_open(fx.db, &fx.kr, 2, 1, &fx.st, err, sizeof err) != STORE_OK ||
	    store_open(fx.db, &fx.kr, 2, 0, &fx.st2, err, sizeof err) != STORE_OK) {
		print_error("setup: %s\n", err);
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	static const char *const side[] = {"", "-wal", "-shm"};
	char path[160];
	size_t i;

	(void)state;
	store_close(fx.st2);
	store_close(fx.st);
	keyring_wipe(&fx.kr);
	for (i = 0; i < 3; i++) {
		snprintf(path, sizeof path, "%s%s", fx.db, side[i]);
		unlink(path);
	}
	unlink(fx.key);
	rmdir(fx.dir);
	return 0;
}

static struct lockout *open_lockout(unsigned max_failures, unsigned lock_secs)
{
	return lockout_new(fx.st, &fx.kr, max_failures, lock_secs);
}

/* A success or an unlock: the failures go in a transaction of st (as in
 * the one that records the sign-in). */
static int clear(store *st, struct lockout *l, const char *login)
{
	store_tx *tx = store_begin(st);

	if (!tx)
		return -1;
	if (lockout_clear_tx(l, tx, login) != 0) {
		store_rollback(tx);
		return -1;
	}
	return store_commit(tx) == STORE_OK ? 0 : -1;
}

/* Rows in the table of failures, read through a connection of its own. */
static int failure_rows(void)
{
	sqlite3 *h;
	sqlite3_stmt *s;
	int n = -1;

	if (sqlite3_open_v2(fx.db, &h, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_prepare_v2(h, "SELECT count(*) FROM login_failures", -1, &s, NULL) == SQLITE_OK) {
		if (sqlite3_step(s) == SQLITE_ROW)
			n = sqlite3_column_int(s, 0);
		sqlite3_finalize(s);
	}
	sqlite3_close(h);
	return n;
}

/* n attempts that all fail; each must have been allowed. */
static void fail_n(struct lockout *l, const char *login, unsigned n, int64_t now)
{
	unsigned i;
	for (i = 0; i < n; i++)
		assert_int_equal(lockout_attempt(l, login, now), 0);
}

/* lockout_locked tells without counting; lockout_clear_tx (unlock) ends it. */
static void test_locked_query_and_unlock(void **state)
{
	struct lockout *l = open_lockout(3, 600);

	(void)state;
	assert_non_null(l);
	assert_int_equal(lockout_locked(l, "dilnoza", T0), 0);
	fail_n(l, "dilnoza", 2, T0);
	assert_int_equal(lockout_locked(l, "dilnoza", T0), 0);
	/* asking a hundred times counts nothing */
	for (int i = 0; i < 100; i++)
		assert_int_equal(lockout_locked(l, "dilnoza", T0), 0);
	assert_int_equal(lockout_attempt(l, "dilnoza", T0), 0);
	assert_int_equal(lockout_locked(l, "dilnoza", T0 + 10), 590);
	assert_int_equal(lockout_locked(l, "DILNOZA", T0 + 10), 590);
	assert_int_equal(lockout_locked(l, "other", T0 + 10), 0);
	assert_int_equal(lockout_locked(l, "dilnoza", T0 + 600), 0);
	clear(fx.st, l, "dilnoza");
	assert_int_equal(lockout_locked(l, "dilnoza", T0 + 10), 0);
	assert_int_equal(lockout_attempt(l, "dilnoza", T0 + 10), 0);
	lockout_free(l);
}

static void test_locks_after_n(void **state)
{
	struct lockout *l = open_lockout(5, 900);

	(void)state;
	assert_non_null(l);
	fail_n(l, "ali", 5, T0);
	/* the sixth attempt is refused, with the seconds left */
	assert_int_equal(lockout_attempt(l, "ali", T0), 900);
	assert_int_equal(lockout_attempt(l, "ali", T0), 900);
	lockout_free(l);
}

static void test_unknown_login(void **state)
{
	struct lockout *l = open_lockout(3, 60);

	(void)state;
	clear(fx.st, l, "nobody"); /* harmless */
	assert_int_equal(lockout_attempt(l, "nobody", T0), 0);
	assert_int_equal(lockout_attempt(l, "", T0), 0);
	lockout_free(l);
	lockout_free(NULL);
}

static void test_other_logins_unaffected(void **state)
{
	struct lockout *l = open_lockout(3, 600);

	(void)state;
	fail_n(l, "victim", 3, T0);
	assert_true(lockout_attempt(l, "victim", T0) > 0);
	assert_int_equal(lockout_attempt(l, "victim2", T0), 0);
	assert_int_equal(lockout_attempt(l, "victi", T0), 0);
	assert_int_equal(lockout_attempt(l, "admin", T0), 0);
	/* Failures of others do not add up */
	fail_n(l, "a", 1, T0);
	fail_n(l, "b", 1, T0);
	fail_n(l, "c", 1, T0);
	fail_n(l, "a", 2, T0);
	fail_n(l, "b", 2, T0);
	fail_n(l, "c", 2, T0);
	assert_true(lockout_attempt(l, "a", T0) > 0);
	assert_true(lockout_attempt(l, "victim", T0) > 0);
	lockout_free(l);
}

static void test_case_insensitive(void **state)
{
	struct lockout *l = open_lockout(3, 600);

	(void)state;
	fail_n(l, "Admin", 1, T0);
	fail_n(l, "ADMIN", 1, T0);
	fail_n(l, "admin", 1, T0);
	assert_int_equal(lockout_attempt(l, "aDmIn", T0), 600);
	assert_int_equal(lockout_attempt(l, "admin", T0), 600);
	clear(fx.st, l, "ADMIN");
	assert_int_equal(lockout_attempt(l, "admin", T0), 0);
	lockout_free(l);
}

static void test_remaining_counts_down(void **state)
{
	struct lockout *l = open_lockout(2, 300);

	(void)state;
	fail_n(l, "u", 2, T0);
	assert_int_equal(lockout_attempt(l, "u", T0), 300);
	assert_int_equal(lockout_attempt(l, "u", T0 + 1), 299);
	assert_int_equal(lockout_attempt(l, "u", T0 + 120), 180);
	/* Attempts while locked neither extend the lock nor count */
	assert_int_equal(lockout_attempt(l, "u", T0 + 299), 1);
	lockout_free(l);
}

static void test_expiry(void **state)
{
	struct lockout *l = open_lockout(3, 300);

	(void)state;
	fail_n(l, "u", 3, T0);
	assert_int_equal(lockout_attempt(l, "u", T0 + 299), 1);
	/* At lock_secs the lock is over; counting starts afresh */
	assert_int_equal(lockout_attempt(l, "u", T0 + 300), 0);
	assert_int_equal(lockout_attempt(l, "u", T0 + 301), 0);
	assert_int_equal(lockout_attempt(l, "u", T0 + 302), 0);
	assert_int_equal(lockout_attempt(l, "u", T0 + 302), 300);
	lockout_free(l);
}

static void test_expiry_long_after(void **state)
{
	struct lockout *l = open_lockout(3, 300);

	(void)state;
	/* The lock runs out while nobody asks; the next attempt is the first
	 * of a new series, not the fourth of the old one. */
	fail_n(l, "u", 3, T0);
	fail_n(l, "u", 3, T0 + 100000);
	assert_int_equal(lockout_attempt(l, "u", T0 + 100000), 300);
	lockout_free(l);
}

static void test_clear_resets(void **state)
{
	struct lockout *l = open_lockout(3, 300);

	(void)state;
	fail_n(l, "u", 2, T0);
	clear(fx.st, l, "u");
	fail_n(l, "u", 2, T0);
	clear(fx.st, l, "u");
	fail_n(l, "u", 3, T0); /* 2 + 2 were not in a row: allowed */
	assert_int_equal(lockout_attempt(l, "u", T0), 300);
	clear(fx.st, l, "u");
	fail_n(l, "u", 3, T0);
	assert_int_equal(lockout_attempt(l, "u", T0), 300);
	lockout_free(l);
}

static void test_one_failure_limit(void **state)
{
	struct lockout *l = open_lockout(1, 10);

	(void)state;
	fail_n(l, "u", 1, T0);
	assert_int_equal(lockout_attempt(l, "u", T0), 10);
	lockout_free(l);
}

static void test_long_logins(void **state)
{
	char a[300], b[300];
	struct lockout *l = open_lockout(3, 600);

	(void)state;
	/* Logins of 127, 128 and 299 bytes are locked like short ones */
	memset(a, 'x', sizeof a);
	a[127] = '\0';
	fail_n(l, a, 3, T0);
	assert_int_equal(lockout_attempt(l, a, T0), 600);

	memset(b, 'y', sizeof b);
	b[128] = '\0';
	fail_n(l, b, 3, T0);
	assert_int_equal(lockout_attempt(l, b, T0), 600);
	clear(fx.st, l, b);
	assert_int_equal(lockout_attempt(l, b, T0), 0);

	memset(b, 'z', sizeof b);
	b[sizeof b - 1] = '\0';
	fail_n(l, b, 3, T0);
	assert_int_equal(lockout_attempt(l, b, T0), 600);
	/* Upper case of a long login is the same login */
	memset(b, 'Z', sizeof b - 1);
	assert_int_equal(lockout_attempt(l, b, T0), 600);
	lockout_free(l);
}

static void test_many_logins(void **state)
{
	struct lockout *l = open_lockout(3, 600);
	char login[32];
	int i;

	(void)state;
	/* Two failures for the first login, long ago */
	fail_n(l, "early", 2, T0);
	/* 300 distinct logins, each failing, at later times */
	for (i = 0; i < 300; i++) {
		snprintf(login, sizeof login, "user%d", i);
		assert_int_equal(lockout_attempt(l, login, T0 + 1 + i), 0);
	}
	/* Recent ones still count, and new logins still lock */
	snprintf(login, sizeof login, "user%d", 299);
	fail_n(l, login, 2, T0 + 500);
	assert_int_equal(lockout_attempt(l, login, T0 + 500), 600);
	/* The early login's two old failures no longer count (else this
	 * would be its third failure and the next attempt refused). */
	fail_n(l, "early", 1, T0 + 200000);
	assert_int_equal(lockout_attempt(l, "early", T0 + 200000), 0);
	fail_n(l, "fresh", 3, T0 + 200003);
	assert_int_equal(lockout_attempt(l, "fresh", T0 + 200003), 600);
	/* the flood's rows protected nothing any more: they are gone */
	assert_int_equal(failure_rows(), 2);
	assert_int_equal(clear(fx.st, l, "never-seen"), 0);
	lockout_free(l);
}

/* Finding #8 of issue 10: a lock must outlive any amount of other traffic.
 * 11 wrong passwords lock a login; then a flood of failed sign-ins with
 * other logins must not free it, and the right password must still be
 * refused until the lock runs out. */
static void test_lock_not_evicted(void **state)
{
	struct lockout *l = open_lockout(10, 900);
	char login[32];
	int i;

	(void)state;
	fail_n(l, "victim", 10, T0);
	assert_int_equal(lockout_attempt(l, "victim", T0), 900);
	for (i = 0; i < 400; i++) {
		snprintf(login, sizeof login, "junk%d", i);
		(void)lockout_attempt(l, login, T0 + 1 + i / 2);
	}
	assert_int_equal(lockout_attempt(l, "victim", T0 + 300), 600);
	lockout_free(l);
}

/* Nor can other traffic reset a count short of the lock: 9 guesses, a
 * flood, and the 10th guess still locks. */
static void test_count_not_evicted(void **state)
{
	struct lockout *l = open_lockout(10, 900);
	char login[32];
	int i;

	(void)state;
	fail_n(l, "victim", 9, T0);
	for (i = 0; i < 400; i++) {
		snprintf(login, sizeof login, "junk%d", i);
		(void)lockout_attempt(l, login, T0 + 1 + i / 2);
	}
	fail_n(l, "victim", 1, T0 + 300);
	assert_int_equal(lockout_attempt(l, "victim", T0 + 300), 900);
	lockout_free(l);
}

/* Two stores on one database (two servers): failures spread over both
 * lock on both, with the same seconds left; an unlock on one frees the
 * login on the other. */
static void test_two_servers(void **state)
{
	struct lockout *a = open_lockout(4, 900);
	struct lockout *b = lockout_new(fx.st2, &fx.kr, 4, 900);
	int i;

	(void)state;
	for (i = 0; i < 4; i++)
		assert_int_equal(lockout_attempt(i % 2 ? b : a, "shared", T0 + i), 0);
	assert_int_equal(lockout_attempt(a, "shared", T0 + 10), 893);
	assert_int_equal(lockout_attempt(b, "SHARED", T0 + 10), 893);
	assert_int_equal(lockout_locked(b, "shared", T0 + 10), 893);
	assert_int_equal(clear(fx.st2, b, "shared"), 0);
	assert_int_equal(lockout_locked(a, "shared", T0 + 10), 0);
	assert_int_equal(lockout_attempt(a, "shared", T0 + 10), 0);
	lockout_free(b);
	lockout_free(a);
}

/* Failures in a row are counted while each comes within lock_secs of the
 * one before; an older count starts afresh. */
static void test_old_failures_decay(void **state)
{
	struct lockout *l = open_lockout(3, 300);

	(void)state;
	fail_n(l, "u", 2, T0);
	fail_n(l, "u", 2, T0 + 300);
	assert_int_equal(lockout_attempt(l, "u", T0 + 301), 0);
	assert_int_equal(lockout_attempt(l, "u", T0 + 301), 300);
	lockout_free(l);
}

struct worker {
	struct lockout *l;
	int id;
};

static void *hammer(void *arg)
{
	struct worker *w = arg;
	char login[32];
	int i;

	for (i = 0; i < 100; i++) {
		snprintf(login, sizeof login, "t%d-%d", w->id, i % 50);
		(void)lockout_attempt(w->l, login, T0 + i);
		if (i % 7 == 0)
			clear(fx.st, w->l, login);
	}
	return NULL;
}

static void test_threads(void **state)
{
	struct lockout *l = open_lockout(5, 60);
	struct worker w[4];
	pthread_t t[4];
	int i;

	(void)state;
	for (i = 0; i < 4; i++) {
		w[i].l = l;
		w[i].id = i;
		assert_int_equal(pthread_create(&t[i], NULL, hammer, &w[i]), 0);
	}
	for (i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	fail_n(l, "after", 5, T0);
	assert_int_equal(lockout_attempt(l, "after", T0), 60);
	lockout_free(l);
}

/* PRAGMA data_version of h: it moves when another connection commits. */
static int data_version(sqlite3 *h)
{
	sqlite3_stmt *s;
	int v = -1;

	if (sqlite3_prepare_v2(h, "PRAGMA data_version", -1, &s, NULL) == SQLITE_OK) {
		if (sqlite3_step(s) == SQLITE_ROW)
			v = sqlite3_column_int(s, 0);
		sqlite3_finalize(s);
	}
	return v;
}

/* A sign-in begun writes nothing: on a free login, an unknown one, a
 * locked one, nor when it ends without a failure.  A failure is its one
 * write; a guess beside one being checked is refused and counted; a hold
 * that never came back is taken again after a minute. */
static void test_begin_writes_nothing(void **state)
{
	struct lockout *l = open_lockout(3, 600);
	sqlite3 *h;
	int v;

	(void)state;
	assert_non_null(l);
	assert_int_equal(sqlite3_open_v2(fx.db, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	v = data_version(h);
	assert_int_equal(lockout_begin(l, "farhod", T0), 0);
	lockout_end(l, "farhod");
	assert_int_equal(lockout_begin(l, "nobody", T0), 0);
	lockout_end(l, "nobody");
	assert_int_equal(data_version(h), v);
	assert_int_equal(failure_rows(), 0);

	assert_int_equal(lockout_begin(l, "farhod", T0), 0);
	assert_int_equal(lockout_begin(l, "FARHOD", T0), LOCKOUT_IN_FLIGHT);
	assert_int_equal(failure_rows(), 1);
	assert_int_equal(lockout_fail(l, "farhod", T0), 0);
	assert_int_equal(lockout_begin(l, "farhod", T0), 0);
	assert_int_equal(lockout_fail(l, "farhod", T0), 0);
	v = data_version(h);
	assert_int_equal(lockout_begin(l, "farhod", T0 + 1), 599);
	assert_int_equal(lockout_begin(l, "farhod", T0 + 2), 598);
	assert_int_equal(data_version(h), v);

	assert_int_equal(lockout_begin(l, "zarina", T0), 0);
	assert_int_equal(lockout_begin(l, "zarina", T0 + 60), 0);
	lockout_end(l, "zarina");
	assert_int_equal(lockout_locked(l, "zarina", T0 + 60), 0);
	sqlite3_close(h);
	lockout_free(l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_locks_after_n, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unknown_login, setup, teardown),
		cmocka_unit_test_setup_teardown(test_other_logins_unaffected, setup, teardown),
		cmocka_unit_test_setup_teardown(test_case_insensitive, setup, teardown),
		cmocka_unit_test_setup_teardown(test_remaining_counts_down, setup, teardown),
		cmocka_unit_test_setup_teardown(test_expiry, setup, teardown),
		cmocka_unit_test_setup_teardown(test_expiry_long_after, setup, teardown),
		cmocka_unit_test_setup_teardown(test_clear_resets, setup, teardown),
		cmocka_unit_test_setup_teardown(test_one_failure_limit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_long_logins, setup, teardown),
		cmocka_unit_test_setup_teardown(test_many_logins, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lock_not_evicted, setup, teardown),
		cmocka_unit_test_setup_teardown(test_count_not_evicted, setup, teardown),
		cmocka_unit_test_setup_teardown(test_two_servers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_old_failures_decay, setup, teardown),
		cmocka_unit_test_setup_teardown(test_threads, setup, teardown),
		cmocka_unit_test_setup_teardown(test_locked_query_and_unlock, setup, teardown),
		cmocka_unit_test_setup_teardown(test_begin_writes_nothing, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
