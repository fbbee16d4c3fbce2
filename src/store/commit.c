/*
 * commit.c - the group commit (commit.h): a queue of jobs and the one
 * thread that commits them in groups.
 */
#include <pthread.h>
#include <stdlib.h>

#include "store/commit.h"
#include "store/store_internal.h"

struct store_group {
	store *st;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct store_job *head, **tail;
	pthread_t thread;
	int stop;
};

/* Run the jobs from j (to the end of the list) in one transaction.
 * *blame is set when a job's write failed (not the database's begin or
 * commit). */
static int group_tx(store *st, struct store_job *j, int one, int *blame)
{
	store_tx *tx;
	int rc;

	store_failure_clear();
	/* The bound counts from the oldest job's submission: a job that
	 * waited behind a group that could not have the writer does not
	 * wait the whole bound again. */
	store_wait_since(j->since);
	tx = store_begin(st);
	store_wait_since(0);
	rc = tx ? STORE_OK : STORE_ERROR;

	*blame = 0;
	for (; j && rc == STORE_OK; j = one ? NULL : j->next)
		*blame = (rc = j->write(tx, j)) != STORE_OK;
	if (tx) {
		if (rc == STORE_OK)
			rc = store_commit(tx);
		else
			store_rollback(tx);
	}
	/* What the database said, for the jobs' requests: the failure is
	 * known on this thread only (store_failure), and busy or unreachable
	 * is "try again" (503), not a fault (500). */
	if (rc == STORE_ERROR && store_failure() != STORE_ERROR)
		rc = store_failure();
	return rc;
}

/* Commit one group; every job's rc is set.  When a job's write failed,
 * the others are tried again one by one, so that one bad job does not
 * fail its group; not when the writer could not be had or the commit
 * failed (a lock held elsewhere, an outage), which each alone would meet
 * again, waiting out the bound once more. */
static void group_write(store *st, struct store_job *batch)
{
	struct store_job *j;
	int blame;
	int rc = group_tx(st, batch, 0, &blame);

	if (rc == STORE_OK || !batch->next || !blame) {
		for (j = batch; j; j = j->next)
			j->rc = rc;
		return;
	}
	for (j = batch; j; j = j->next)
		j->rc = group_tx(st, j, 1, &blame);
}

static void *group_main(void *arg)
{
	store_group *g = arg;

	for (;;) {
		struct store_job *batch, *j, *next;
		size_t n = 0;

		pthread_mutex_lock(&g->lock);
		while (!g->head && !g->stop)
			pthread_cond_wait(&g->cond, &g->lock);
		if (!g->head) {
			pthread_mutex_unlock(&g->lock);
			break;
		}
		batch = g->head;
		for (j = batch; j->next && ++n < STORE_GROUP_MAX; j = j->next)
			;
		g->head = j->next;
		if (!g->head)
			g->tail = &g->head;
		j->next = NULL;
		pthread_mutex_unlock(&g->lock);

		group_write(g->st, batch);
		for (j = batch; j; j = next) {
			next = j->next; /* j may be gone once told */
			j->done(j);
		}
	}
	return NULL;
}

int store_group_start(store *st, store_group **out)
{
	store_group *g = calloc(1, sizeof *g);

	*out = NULL;
	if (!g)
		return STORE_ERROR;
	g->st = st;
	g->tail = &g->head;
	pthread_mutex_init(&g->lock, NULL);
	pthread_cond_init(&g->cond, NULL);
	if (pthread_create(&g->thread, NULL, group_main, g) != 0) {
		pthread_cond_destroy(&g->cond);
		pthread_mutex_destroy(&g->lock);
		free(g);
		return STORE_ERROR;
	}
	*out = g;
	return STORE_OK;
}

int store_group_submit(store_group *g, struct store_job *j)
{
	int rc = STORE_OK;

	pthread_mutex_lock(&g->lock);
	if (g->stop) {
		rc = STORE_ERROR;
	} else {
		j->next = NULL;
		j->since = store_wait_began();
		*g->tail = j;
		g->tail = &j->next;
		pthread_cond_signal(&g->cond);
	}
	pthread_mutex_unlock(&g->lock);
	return rc;
}

void store_group_stop(store_group *g)
{
	if (!g)
		return;
	pthread_mutex_lock(&g->lock);
	g->stop = 1;
	pthread_cond_signal(&g->cond);
	pthread_mutex_unlock(&g->lock);
	pthread_join(g->thread, NULL);
	pthread_cond_destroy(&g->cond);
	pthread_mutex_destroy(&g->lock);
	free(g);
}
