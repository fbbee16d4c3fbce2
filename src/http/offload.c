/*
 * offload.c - handlers that may wait, run off the request threads.
 *
 * Each request thread serves many connections.  A handler that waits on
 * it (a write waiting for the database's writer: another process's lock,
 * a long import, a failover) makes every other connection of that thread
 * wait too, reads included.  Such a request is suspended instead and its
 * handler run here, on one of a few threads of its own; the connection
 * is resumed with its answer set, and the request thread goes on serving
 * the others meanwhile.
 *
 * A handler run here may suspend the request again for work of its own
 * (a password hash, the group commit): its http_suspend() then keeps the
 * suspension already in place, and its own resume ends it.
 */
#include <pthread.h>
#include <stdlib.h>

#include "http/server.h"

/* r->offload */
enum { OFFLOAD_NONE, OFFLOAD_HELD, OFFLOAD_DONE };

struct job {
	struct req *r;
	http_dispatch_fn fn;
	struct job *next;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t more = PTHREAD_COND_INITIALIZER;
static struct job *head, **tail = &head;
#define OFFLOAD_MAX 16

static pthread_t threads[OFFLOAD_MAX];
static unsigned nthreads;
static int pool_closing; /* http_offload_stop: no new jobs; not http_stopping() */

static void *run(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&lock);
	for (;;) {
		struct job *j;
		struct req *r;
		int rc;

		while (!head && !pool_closing)
			pthread_cond_wait(&more, &lock);
		if (!head)
			break;
		j = head;
		head = j->next;
		if (!head)
			tail = &head;
		pthread_mutex_unlock(&lock);
		r = j->r;
		/* Not begun when the server stops: try again (elsewhere).  A
		 * handler going on after a wait of its own is let finish. */
		if (http_stopping() && r->offloads == 1)
			rc = reply_problem(r, 503, "busy", "the server is stopping: try again");
		else
			rc = j->fn(r);
		free(j);
		/* Suspended again by the handler: r is its business now
		 * (and may be resumed and gone already). */
		if (rc != HTTP_SUSPENDED) {
			r->offload_rc = rc;
			r->offload = OFFLOAD_DONE;
			http_resume(r);
		}
		pthread_mutex_lock(&lock);
	}
	pthread_mutex_unlock(&lock);
	return NULL;
}

int http_offload_start(unsigned n)
{
	if (n > OFFLOAD_MAX)
		n = OFFLOAD_MAX;
	pool_closing = 0;
	for (nthreads = 0; nthreads < n; nthreads++)
		if (pthread_create(&threads[nthreads], NULL, run, NULL) != 0)
			break;
	return nthreads == n ? 0 : -1;
}

/* The jobs queued are run first: each resumes its connection. */
void http_offload_stop(void)
{
	unsigned i;

	pthread_mutex_lock(&lock);
	pool_closing = 1;
	pthread_cond_broadcast(&more);
	pthread_mutex_unlock(&lock);
	for (i = 0; i < nthreads; i++)
		pthread_join(threads[i], NULL);
	nthreads = 0;
}

int http_offload_done(const struct req *r)
{
	return r->offload == OFFLOAD_DONE;
}

/* A handler run here suspending the request for work of its own: the
 * suspension in place becomes its own.  1 when it was one of ours. */
int http_offload_keep(struct req *r)
{
	if (r->offload != OFFLOAD_HELD)
		return 0;
	r->offload = OFFLOAD_NONE;
	return 1;
}

int http_offload(struct req *r, http_dispatch_fn fn)
{
	struct job *j;

	if (r->offload == OFFLOAD_DONE) {
		r->offload = OFFLOAD_NONE;
		return r->offload_rc;
	}
	j = malloc(sizeof *j);
	pthread_mutex_lock(&lock);
	if (!j || !nthreads || pool_closing) {
		pthread_mutex_unlock(&lock);
		free(j);
		return fn(r);
	}
	r->offloads++;
	j->r = r;
	j->fn = fn;
	j->next = NULL;
	http_suspend(r);
	r->offload = OFFLOAD_HELD;
	*tail = j;
	tail = &j->next;
	pthread_cond_signal(&more);
	pthread_mutex_unlock(&lock);
	return HTTP_SUSPENDED;
}
