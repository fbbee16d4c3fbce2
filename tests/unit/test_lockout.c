/*
 * test_lockout.c - unit tests of src/domain/lockout.c: every attempt
 * counts as a failure until cleared; locking after N in a row, only for
 * that login and whatever its case; the seconds left, expiry with a fake
 * clock, clearing on success, long logins, a flood of distinct logins
 * against the bounded table (which forgets neither a lock nor a recent
 * count), and several threads at once.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "domain/lockout.h"

#define T0 1700000000 /* a fixed "now" */

/* n attempts that all fail; each must have been allowed. */
static void fail_n(struct lockout *l, const char *login, unsigned n, int64_t now)
{
	unsigned i;
	for (i = 0; i < n; i++)
		assert_int_equal(lockout_attempt(l, login, now), 0);
}

/* lockout_locked tells without counting; lockout_clear (unlock) ends it. */
static void test_locked_query_and_unlock(void **state)
{
	struct lockout *l = lockout_new(3, 600);

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
	lockout_clear(l, "dilnoza");
	assert_int_equal(lockout_locked(l, "dilnoza", T0 + 10), 0);
	assert_int_equal(lockout_attempt(l, "dilnoza", T0 + 10), 0);
	lockout_free(l);
}

static void test_locks_after_n(void **state)
{
	struct lockout *l = lockout_new(5, 900);

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
	struct lockout *l = lockout_new(3, 60);

	(void)state;
	lockout_clear(l, "nobody"); /* harmless */
	assert_int_equal(lockout_attempt(l, "nobody", T0), 0);
	assert_int_equal(lockout_attempt(l, "", T0), 0);
	lockout_free(l);
	lockout_free(NULL);
}

static void test_other_logins_unaffected(void **state)
{
	struct lockout *l = lockout_new(3, 600);

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
	struct lockout *l = lockout_new(3, 600);

	(void)state;
	fail_n(l, "Admin", 1, T0);
	fail_n(l, "ADMIN", 1, T0);
	fail_n(l, "admin", 1, T0);
	assert_int_equal(lockout_attempt(l, "aDmIn", T0), 600);
	assert_int_equal(lockout_attempt(l, "admin", T0), 600);
	lockout_clear(l, "ADMIN");
	assert_int_equal(lockout_attempt(l, "admin", T0), 0);
	lockout_free(l);
}

static void test_remaining_counts_down(void **state)
{
	struct lockout *l = lockout_new(2, 300);

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
	struct lockout *l = lockout_new(3, 300);

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
	struct lockout *l = lockout_new(3, 300);

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
	struct lockout *l = lockout_new(3, 300);

	(void)state;
	fail_n(l, "u", 2, T0);
	lockout_clear(l, "u");
	fail_n(l, "u", 2, T0);
	lockout_clear(l, "u");
	fail_n(l, "u", 3, T0); /* 2 + 2 were not in a row: allowed */
	assert_int_equal(lockout_attempt(l, "u", T0), 300);
	lockout_clear(l, "u");
	fail_n(l, "u", 3, T0);
	assert_int_equal(lockout_attempt(l, "u", T0), 300);
	lockout_free(l);
}

static void test_one_failure_limit(void **state)
{
	struct lockout *l = lockout_new(1, 10);

	(void)state;
	fail_n(l, "u", 1, T0);
	assert_int_equal(lockout_attempt(l, "u", T0), 10);
	lockout_free(l);
}

static void test_long_logins(void **state)
{
	char a[300], b[300];
	struct lockout *l = lockout_new(3, 600);

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
	lockout_clear(l, b);
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
	struct lockout *l = lockout_new(3, 600);
	char login[32];
	int i;

	(void)state;
	/* Two failures for the first login, long ago */
	fail_n(l, "early", 2, T0);
	/* 100 000 distinct logins, each failing, at later times */
	for (i = 0; i < 100000; i++) {
		snprintf(login, sizeof login, "user%d", i);
		assert_int_equal(lockout_attempt(l, login, T0 + 1 + i), 0);
	}
	/* Recent ones still count, and new logins still lock */
	snprintf(login, sizeof login, "user%d", 99999);
	fail_n(l, login, 2, T0 + 100500);
	assert_int_equal(lockout_attempt(l, login, T0 + 100500), 600);
	/* The early login's two old failures no longer count (else this
	 * would be its third failure and the next attempt refused). */
	fail_n(l, "early", 1, T0 + 200000);
	assert_int_equal(lockout_attempt(l, "early", T0 + 200000), 0);
	fail_n(l, "fresh", 3, T0 + 200003);
	assert_int_equal(lockout_attempt(l, "fresh", T0 + 200003), 600);
	lockout_clear(l, "never-seen");
	lockout_free(l);
}

/* Finding #8 of issue 10: a lock must outlive any amount of other traffic.
 * 11 wrong passwords lock a login; then 200 000 failed sign-ins with
 * other logins (more than the table holds) must not free it, and the
 * right password must still be refused until the lock runs out. */
static void test_lock_not_evicted(void **state)
{
	struct lockout *l = lockout_new(10, 900);
	char login[32];
	int i;

	(void)state;
	fail_n(l, "victim", 10, T0);
	assert_int_equal(lockout_attempt(l, "victim", T0), 900);
	for (i = 0; i < 200000; i++) {
		snprintf(login, sizeof login, "junk%d", i);
		(void)lockout_attempt(l, login, T0 + 1 + i / 1000);
	}
	assert_int_equal(lockout_attempt(l, "victim", T0 + 300), 600);
	lockout_free(l);
}

/* Nor can other traffic reset a count short of the lock: 9 guesses, a
 * flood, and the 10th guess still locks. */
static void test_count_not_evicted(void **state)
{
	struct lockout *l = lockout_new(10, 900);
	char login[32];
	int i;

	(void)state;
	fail_n(l, "victim", 9, T0);
	for (i = 0; i < 200000; i++) {
		snprintf(login, sizeof login, "junk%d", i);
		(void)lockout_attempt(l, login, T0 + 1 + i / 1000);
	}
	fail_n(l, "victim", 1, T0 + 300);
	assert_int_equal(lockout_attempt(l, "victim", T0 + 300), 900);
	lockout_free(l);
}

/* When the table holds nothing it may forget, a newcomer is refused (as
 * if locked, for at most lock_secs) rather than a lock forgotten; once
 * the flood's failures are older than lock_secs, newcomers come in again. */
static void test_full_table_refuses_newcomers(void **state)
{
	struct lockout *l = lockout_new(10, 900);
	char login[32];
	int i, refused = 0;
	int64_t left;

	(void)state;
	for (i = 0; i < 200000; i++) {
		snprintf(login, sizeof login, "junk%d", i);
		left = lockout_attempt(l, login, T0);
		assert_true(left >= 0 && left <= 900);
		refused += left > 0;
	}
	assert_true(refused > 0);
	assert_int_equal(lockout_attempt(l, "newcomer", T0 + 900), 0);
	fail_n(l, "newcomer", 9, T0 + 900);
	assert_int_equal(lockout_attempt(l, "newcomer", T0 + 900), 900);
	lockout_free(l);
}

/* Failures in a row are counted while each comes within lock_secs of the
 * one before; an older count starts afresh. */
static void test_old_failures_decay(void **state)
{
	struct lockout *l = lockout_new(3, 300);

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

	for (i = 0; i < 20000; i++) {
		snprintf(login, sizeof login, "t%d-%d", w->id, i % 500);
		(void)lockout_attempt(w->l, login, T0 + i);
		if (i % 7 == 0)
			lockout_clear(w->l, login);
	}
	return NULL;
}

static void test_threads(void **state)
{
	struct lockout *l = lockout_new(5, 60);
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_locks_after_n),
		cmocka_unit_test(test_unknown_login),
		cmocka_unit_test(test_other_logins_unaffected),
		cmocka_unit_test(test_case_insensitive),
		cmocka_unit_test(test_remaining_counts_down),
		cmocka_unit_test(test_expiry),
		cmocka_unit_test(test_expiry_long_after),
		cmocka_unit_test(test_clear_resets),
		cmocka_unit_test(test_one_failure_limit),
		cmocka_unit_test(test_long_logins),
		cmocka_unit_test(test_many_logins),
		cmocka_unit_test(test_lock_not_evicted),
		cmocka_unit_test(test_count_not_evicted),
		cmocka_unit_test(test_full_table_refuses_newcomers),
		cmocka_unit_test(test_old_failures_decay),
		cmocka_unit_test(test_threads),
		cmocka_unit_test(test_locked_query_and_unlock),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
