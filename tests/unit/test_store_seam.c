/*
 * test_store_seam.c - what lies under and beside the store's functions:
 * the driver's handling of a failed bind (kept, and returned by the step
 * instead of running the statement), and the group commit (store/commit.h):
 * jobs committed together, a failing job failing alone, every job told,
 * what was queued committed before a stop returns, and a group that cannot
 * have the writer failing together.
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

#include "store/commit.h"
#include "store/db.h"
#include "store/store.h"

struct fixture {
	char dir[64], path[128];
	keyring kr;
	store *st;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	char err[256] = "";

	if (!f)
		return -1;
	snprintf(f->dir, sizeof f->dir, "/tmp/himoya-seam-XXXXXX");
	if (!mkdtemp(f->dir)) {
		free(f);
		return -1;
	}
	snprintf(f->path, sizeof f->path, "%s/himoya.db", f->dir);
	randombytes_buf(&f->kr, sizeof f->kr);
	if (store_open(f->path, &f->kr, 2, 1, &f->st, err, sizeof err) != STORE_OK) {
		print_error("store_open: %s\n", err);
		free(f);
		return -1;
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	static const char *const side[] = {"", "-wal", "-shm", "-journal"};
	struct fixture *f = *state;
	char p[160];
	size_t i;

	store_close(f->st);
	for (i = 0; i < sizeof side / sizeof side[0]; i++) {
		snprintf(p, sizeof p, "%s%s", f->path, side[i]);
		unlink(p);
	}
	rmdir(f->dir);
	free(f);
	return 0;
}

/* ---- a failed bind ---------------------------------------------------- */

static const char SQL_ONE[] = "SELECT ?1";

static void test_bind_error_kept(void **state)
{
	struct fixture *f = *state;
	char err[256];
	db *d;
	db_stmt *s;

	assert_int_equal(db_open(f->path, DB_READ, &d, err, sizeof err), DB_OK);
	s = db_prepare(d, SQL_ONE);
	assert_non_null(s);
	assert_int_equal(db_params(s), 1);
	/* ?2 is not a parameter of the statement: the bind fails, a later
	 * good one does not hide it, and the step refuses to run. */
	db_bind_str(s, 2, "lost");
	db_bind_str(s, 1, "kept");
	assert_int_equal(db_step(s), DB_ERROR);
	db_reset(s);
	assert_int_equal(db_step(s), DB_ERROR);
	/* A new prepare starts clean. */
	s = db_prepare(d, SQL_ONE);
	assert_non_null(s);
	db_bind_str(s, 1, "kept");
	assert_int_equal(db_step(s), DB_ROW);
	assert_string_equal(db_col_text(s, 0), "kept");
	db_reset(s);
	s = db_prepare(d, SQL_ONE);
	db_bind_int(s, 0, 1); /* parameters count from 1 */
	assert_int_equal(db_step(s), DB_ERROR);
	db_close(d);
}

/* ---- the group commit ----------------------------------------------------- */

/* A job that stores one meta key (or fails, when bad), and is told once. */
struct meta_job {
	struct store_job job;
	char key[32];
	int bad;
	pthread_mutex_t *lock;
	pthread_cond_t *cond;
	int *told;
	int rc_seen;
};

static int meta_write(store_tx *tx, struct store_job *sj)
{
	struct meta_job *j = (struct meta_job *)sj;

	if (j->bad)
		return STORE_CONFLICT;
	return store_meta_set(tx, j->key, "1");
}

static void meta_done(struct store_job *sj)
{
	struct meta_job *j = (struct meta_job *)sj;

	pthread_mutex_lock(j->lock);
	j->rc_seen = j->job.rc;
	(*j->told)++;
	pthread_cond_signal(j->cond);
	pthread_mutex_unlock(j->lock);
}

#define NJOBS 40

static void test_group_commit(void **state)
{
	struct fixture *f = *state;
	pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
	pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
	struct meta_job jobs[NJOBS];
	store_group *g;
	int told = 0, i;
	char v[8];

	assert_int_equal(store_group_start(f->st, &g), STORE_OK);
	memset(jobs, 0, sizeof jobs);
	for (i = 0; i < NJOBS; i++) {
		jobs[i].job.write = meta_write;
		jobs[i].job.done = meta_done;
		jobs[i].job.rc = -99;
		snprintf(jobs[i].key, sizeof jobs[i].key, "job%d", i);
		jobs[i].bad = i == 7;
		jobs[i].lock = &lock;
		jobs[i].cond = &cond;
		jobs[i].told = &told;
		assert_int_equal(store_group_submit(g, &jobs[i].job), STORE_OK);
	}
	pthread_mutex_lock(&lock);
	while (told < NJOBS)
		pthread_cond_wait(&cond, &lock);
	pthread_mutex_unlock(&lock);

	/* The bad job failed alone; every other one is committed. */
	for (i = 0; i < NJOBS; i++) {
		if (i == 7) {
			assert_int_equal(jobs[i].rc_seen, STORE_CONFLICT);
			assert_int_equal(store_meta_get(f->st, jobs[i].key, v, sizeof v),
					 STORE_NOT_FOUND);
		} else {
			assert_int_equal(jobs[i].rc_seen, STORE_OK);
			assert_int_equal(store_meta_get(f->st, jobs[i].key, v, sizeof v), STORE_OK);
		}
	}
	store_group_stop(g);
}

/* A job queued before the stop is committed, and told, before the stop returns. */
static void test_group_stop(void **state)
{
	struct fixture *f = *state;
	pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
	pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
	struct meta_job j;
	store_group *g;
	int told = 0;
	char v[8];

	memset(&j, 0, sizeof j);
	j.job.write = meta_write;
	j.job.done = meta_done;
	snprintf(j.key, sizeof j.key, "before-stop");
	j.lock = &lock;
	j.cond = &cond;
	j.told = &told;
	assert_int_equal(store_group_start(f->st, &g), STORE_OK);
	assert_int_equal(store_group_submit(g, &j.job), STORE_OK);
	store_group_stop(g);
	assert_int_equal(told, 1);
	assert_int_equal(j.rc_seen, STORE_OK);
	assert_int_equal(store_meta_get(f->st, "before-stop", v, sizeof v), STORE_OK);
	store_group_stop(NULL);
}

/* Jobs queued while another process holds the write lock fail together
 * once the bound (10 s) is out: the group is not tried again job by job,
 * each waiting out the bound once more (4 jobs took 50 s). */
static void test_group_locked(void **state)
{
	struct fixture *f = *state;
	pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
	pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
	struct meta_job jobs[4];
	struct timespec t0, t1;
	store_group *g;
	char err[256];
	double took;
	db *other;
	int told = 0, i;

	assert_int_equal(db_open(f->path, DB_WRITE, &other, err, sizeof err), DB_OK);
	assert_int_equal(db_begin(other), DB_OK);
	assert_int_equal(store_group_start(f->st, &g), STORE_OK);
	memset(jobs, 0, sizeof jobs);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < 4; i++) {
		jobs[i].job.write = meta_write;
		jobs[i].job.done = meta_done;
		snprintf(jobs[i].key, sizeof jobs[i].key, "locked%d", i);
		jobs[i].lock = &lock;
		jobs[i].cond = &cond;
		jobs[i].told = &told;
		assert_int_equal(store_group_submit(g, &jobs[i].job), STORE_OK);
	}
	pthread_mutex_lock(&lock);
	while (told < 4)
		pthread_cond_wait(&cond, &lock);
	pthread_mutex_unlock(&lock);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	db_rollback(other);
	db_close(other);
	store_group_stop(g);
	took = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	for (i = 0; i < 4; i++)
		assert_int_not_equal(jobs[i].rc_seen, STORE_OK);
	/* One group, or two when the first job was taken alone: 10-20 s. */
	if (took > 25.0)
		fail_msg("4 jobs under a lock were answered after %.1f s", took);
}

/* An outage fails every statement: the log shows at most 10 a second. */
static void test_log_bounded(void **state)
{
	char path[] = "/tmp/himoya-seam-log-XXXXXX", line[256];
	int fd = mkstemp(path), saved = dup(2), i, lines = 0;
	FILE *f;

	(void)state;
	assert_true(fd >= 0 && saved >= 0);
	fflush(stderr);
	dup2(fd, 2);
	for (i = 0; i < 500; i++)
		db_log("no connection to the server (%d)", i);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	f = fdopen(fd, "r");
	assert_non_null(f);
	rewind(f);
	while (fgets(line, sizeof line, f))
		lines++;
	fclose(f);
	unlink(path);
	/* 500 in well under a second, or across one change of second. */
	if (lines < 1 || lines > 21)
		fail_msg("%d lines for 500 SQL errors", lines);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_bind_error_kept, setup, teardown),
		cmocka_unit_test_setup_teardown(test_group_commit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_group_stop, setup, teardown),
		cmocka_unit_test_setup_teardown(test_group_locked, setup, teardown),
		cmocka_unit_test(test_log_bounded),
	};

	if (crypto_init() != 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
