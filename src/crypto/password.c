/*
 * password.c - Argon2id password hashes and the password worker pool.
 * Hashes use OWASP's minimum Argon2id setting (19 MiB, 2 passes, one
 * lane) in libsodium's self-describing string form, so the parameters can
 * be raised later without breaking stored hashes.  Each verification costs
 * tens of milliseconds and 19 MiB, so the server never runs one on a
 * request thread: it queues a job for a fixed pool of low-priority workers
 * behind a bounded FIFO, and a full queue is answered at once with "busy"
 * instead of piling up memory and latency.
 */
#include <assert.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <sodium.h>

#include "crypto/crypto.h"

#define PW_OPSLIMIT 2ULL
#define PW_MEMLIMIT ((size_t)19 * 1024 * 1024)
#define PW_WORKER_NICE 10

_Static_assert(PASSWORD_HASH_MAX >= crypto_pwhash_STRBYTES, "hash string size");

int password_hash(const char *password, char out[PASSWORD_HASH_MAX])
{
	if (crypto_pwhash_str_alg(out, password, strlen(password), PW_OPSLIMIT,
				  PW_MEMLIMIT, crypto_pwhash_ALG_ARGON2ID13) != 0)
		return -1;
	return 0;
}

int password_verify(const char *stored, const char *password)
{
	if (stored == NULL || password == NULL)
		return 0;
	return crypto_pwhash_str_verify(stored, password, strlen(password)) == 0;
}

/* ---- dummy hash for unknown logins ------------------------------------- */

/*
 * Used only if hashing the dummy fails for lack of memory: a hash with the
 * same parameters of a random password nobody kept, so verifying against
 * it still costs what a real verification costs.
 */
static const char dummy_fallback[] =
	"$argon2id$v=19$m=19456,t=2,p=1$"
	"E+s/eOjxLkKlWCqLHb7oKg$"
	"nd7jJ/WfPBVBe16x+rI+XZLnm73peFNbrxbC4WQVYf4";

static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;
static char dummy_hash[PASSWORD_HASH_MAX];

static void dummy_make(void)
{
	char pw[44];

	random_token(pw);
	if (password_hash(pw, dummy_hash) != 0) {
		_Static_assert(sizeof dummy_fallback <= sizeof dummy_hash,
			       "fallback fits");
		memcpy(dummy_hash, dummy_fallback, sizeof dummy_fallback);
	}
	sodium_memzero(pw, sizeof pw);
}

const char *password_dummy_hash(void)
{
	pthread_once(&dummy_once, dummy_make);
	return dummy_hash;
}

/* ---- worker pool ------------------------------------------------------- */

/* Serialises pw_pool_start and pw_pool_stop against each other. */
static pthread_mutex_t pool_life = PTHREAD_MUTEX_INITIALIZER;

/* The one pool of the process, guarded by `lock`. */
static struct {
	pthread_mutex_t lock;
	pthread_cond_t wake;   /* signalled when a job arrives or on stop */
	pw_job *head, *tail;   /* FIFO of waiting jobs */
	unsigned waiting;      /* jobs in the FIFO */
	unsigned queue_max;
	pthread_t *threads;
	unsigned nthreads;
	int running;
	int stopping;
} pool = {
	.lock = PTHREAD_MUTEX_INITIALIZER,
	.wake = PTHREAD_COND_INITIALIZER,
};

/* Take the oldest job; caller holds the lock. */
static pw_job *pool_pop(void)
{
	pw_job *job = pool.head;

	if (job != NULL) {
		pool.head = job->next;
		if (pool.head == NULL)
			pool.tail = NULL;
		job->next = NULL;
		pool.waiting--;
	}
	return job;
}

static void *pool_worker(void *unused)
{
	(void)unused;
	/* On Linux a nice value belongs to the thread, so this lowers only
	 * the worker: request threads win the CPU during a login storm.
	 * Lowering one's own priority needs no privilege; if it fails the
	 * worker still works, just at normal priority. */
	(void)setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), PW_WORKER_NICE);

	for (;;) {
		pw_job *job;
		int stopping;

		pthread_mutex_lock(&pool.lock);
		while (pool.head == NULL && !pool.stopping)
			pthread_cond_wait(&pool.wake, &pool.lock);
		job = pool_pop();
		stopping = pool.stopping;
		pthread_mutex_unlock(&pool.lock);

		if (job == NULL)
			break; /* stopping and nothing left */
		/* at stop, drain the queue without hashing: every job still
		 * gets its answer, a refusal */
		job->ok = stopping ? 0 : password_verify(job->stored, job->password);
		job->done(job, job->arg); /* may free job: do not touch it after */
	}
	return NULL;
}

/* Wake all workers with `stopping` set, join the first n, reset the pool. */
static void pool_join(unsigned n)
{
	unsigned i;

	pthread_mutex_lock(&pool.lock);
	pool.stopping = 1;
	pthread_cond_broadcast(&pool.wake);
	pthread_mutex_unlock(&pool.lock);

	for (i = 0; i < n; i++)
		pthread_join(pool.threads[i], NULL);

	pthread_mutex_lock(&pool.lock);
	free(pool.threads);
	pool.threads = NULL;
	pool.nthreads = 0;
	pool.head = pool.tail = NULL;
	pool.waiting = 0;
	pool.running = 0;
	pool.stopping = 0;
	pthread_mutex_unlock(&pool.lock);
}

int pw_pool_start(unsigned threads, unsigned queue_max)
{
	sigset_t all, old;
	unsigned i;
	int rc = 0;

	if (threads == 0 || queue_max == 0)
		return -1;

	pthread_mutex_lock(&pool_life);
	pthread_mutex_lock(&pool.lock);
	if (pool.running) {
		pthread_mutex_unlock(&pool.lock);
		pthread_mutex_unlock(&pool_life);
		return -1;
	}
	pool.threads = calloc(threads, sizeof *pool.threads);
	if (pool.threads == NULL) {
		pthread_mutex_unlock(&pool.lock);
		pthread_mutex_unlock(&pool_life);
		return -1;
	}
	pool.running = 1;
	pool.stopping = 0;
	pool.queue_max = queue_max;
	pool.head = pool.tail = NULL;
	pool.waiting = 0;
	pthread_mutex_unlock(&pool.lock);

	/* Workers block every signal, so SIGTERM and friends are delivered
	 * to the server's own threads, never to one deep in Argon2id. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	for (i = 0; i < threads; i++) {
		if (pthread_create(&pool.threads[i], NULL, pool_worker, NULL) != 0) {
			rc = -1;
			break;
		}
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);

	if (rc != 0) {
		pool_join(i);
	} else {
		pthread_mutex_lock(&pool.lock);
		pool.nthreads = threads;
		pthread_mutex_unlock(&pool.lock);
	}
	pthread_mutex_unlock(&pool_life);
	return rc;
}

int pw_pool_submit(pw_job *job)
{
	assert(job != NULL && job->done != NULL);
	if (job == NULL || job->done == NULL)
		return -1;

	pthread_mutex_lock(&pool.lock);
	if (!pool.running || pool.stopping || pool.waiting >= pool.queue_max) {
		pthread_mutex_unlock(&pool.lock);
		return -1;
	}
	job->next = NULL;
	if (pool.tail != NULL)
		pool.tail->next = job;
	else
		pool.head = job;
	pool.tail = job;
	pool.waiting++;
	pthread_cond_signal(&pool.wake);
	pthread_mutex_unlock(&pool.lock);
	return 0;
}

void pw_pool_stop(void)
{
	unsigned n;
	int running;

	pthread_mutex_lock(&pool_life);
	pthread_mutex_lock(&pool.lock);
	running = pool.running;
	n = pool.nthreads;
	pthread_mutex_unlock(&pool.lock);
	if (running)
		pool_join(n);
	pthread_mutex_unlock(&pool_life);
}
