/*
 * commit.h - group commit: many writers' jobs committed in one
 * transaction, one fsync for all.
 *
 * A request (or any producer) prepares its rows on its own thread, then
 * submits a job; the group's one thread takes every job queued (up to
 * STORE_GROUP_MAX), runs their write functions inside one write
 * transaction and commits it, then calls each job's done function with
 * its result.  No job is told it is done before its commit.  A group that
 * fails is retried one job per transaction, so that one bad job fails
 * alone.  The group is an object owned by whoever starts it (the server);
 * there is no global state.
 */
#ifndef HIMOYA_STORE_COMMIT_H
#define HIMOYA_STORE_COMMIT_H

#include "store/store.h"

#define STORE_GROUP_MAX 256

typedef struct store_group store_group;

/* A job: embed it in the producer's own struct.  write runs on the
 * group's thread inside the transaction (STORE_OK or an error code);
 * done runs on the same thread after the commit or rollback, with rc
 * set, and is the last the group touches of the job. */
struct store_job {
	int (*write)(store_tx *tx, struct store_job *j);
	void (*done)(struct store_job *j);
	int rc;
	struct store_job *next;
	int64_t since;   /* the request's arrival, or the submission (store_group_submit sets it) */
};

/* Start a group writing into st: STORE_OK or STORE_ERROR. */
int store_group_start(store *st, store_group **out);
/* Queue a job: STORE_OK, or STORE_ERROR when the group is stopping (done
 * is then not called). */
int store_group_submit(store_group *g, struct store_job *j);
/* Commit what is queued, stop the thread and free the group (NULL: no-op). */
void store_group_stop(store_group *g);

#endif
