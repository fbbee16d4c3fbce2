/*
 * password.c - Argon2id password hashes and the password worker pool.
 * Hashes use OWASP's minimum Argon2id setting (19 MiB, 2 passes, one
 * lane) in libsodium's self-describing string form, so the parameters can
 * be raised later without breaking stored hashes.  Each verification costs
 * tens of milliseconds and 19 MiB, so the server never runs one on a
 * request thread: it queues a job for a fixed pool of low-priority workers
 * behind a bounded queue shared fairly among client addresses (one FIFO
 * per client, taken round robin), and a full queue is answered at once
 * with "busy" instead of piling up memory and latency.
 */
#include <assert.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
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

void password_generate(char out[24])
{
	static const char alphabet[] = "abcdefghijkmnpqrstuvwxyzACDEFGHJKLMNPQRTUVWXY346789";
	size_t i;
	for (i = 0; i < 20; i++)
		out[i] = alphabet[randombytes_uniform(sizeof alphabet - 1)];
	out[20] = '\0';
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

/* The waiting jobs of one client, oldest first. */
struct pw_client {
	char key[64];          /* the client string ("" for NULL), cut to 63 bytes */
	pw_job *head, *tail;
	unsigned n;
};

/* The one pool of the process, guarded by `lock`. */
static struct {
	pthread_mutex_t lock;
	pthread_cond_t wake;   /* signalled when a job arrives or on stop */
	struct pw_client *clients; /* queue_max of them, the first nclients waiting */
	unsigned nclients;
	unsigned turn;         /* the client whose job is taken next */
	unsigned waiting;      /* jobs in all queues */
	unsigned queue_max;
	pthread_t *threads;
	unsigned nthreads;
	int running;
	int stopping;
} pool = {
	.lock = PTHREAD_MUTEX_INITIALIZER,
	.wake = PTHREAD_COND_INITIALIZER,
};

static const char *client_key(const pw_job *job)
{
	return job->client ? job->client : "";
}

/* Drop client i once it waits for nothing; caller holds the lock. */
static void client_drop_if_empty(unsigned i)
{
	if (pool.clients[i].n > 0)
		return;
	pool.clients[i] = pool.clients[--pool.nclients];
	if (pool.turn > i) /* keep the rotation where it was */
		pool.turn--;
}

/* Take the next client's oldest job, round robin; caller holds the lock. */
static pw_job *pool_pop(void)
{
	struct pw_client *c;
	pw_job *job;
	unsigned i;

	if (pool.nclients == 0)
		return NULL;
	i = pool.turn % pool.nclients;
	c = &pool.clients[i];
	job = c->head;
	c->head = job->next;
	if (c->head == NULL)
		c->tail = NULL;
	job->next = NULL;
	c->n--;
	pool.waiting--;
	pool.turn = i + 1;
	if (c->n == 0) {
		pool.clients[i] = pool.clients[--pool.nclients];
		pool.turn = i; /* the one moved here is next */
	}
	return job;
}

/* Remove and return the newest job of client i; caller holds the lock. */
static pw_job *pool_take_newest(unsigned i)
{
	struct pw_client *c = &pool.clients[i];
	pw_job *job = c->tail, *p;

	if (c->head == job) {
		c->head = c->tail = NULL;
	} else {
		for (p = c->head; p->next != job; p = p->next)
			;
		p->next = NULL;
		c->tail = p;
	}
	c->n--;
	pool.waiting--;
	client_drop_if_empty(i);
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
		while (pool.nclients == 0 && !pool.stopping)
			pthread_cond_wait(&pool.wake, &pool.lock);
		job = pool_pop();
		stopping = pool.stopping;
		pthread_mutex_unlock(&pool.lock);

		if (job == NULL)
			break; /* stopping and nothing left */
		/* at stop, drain the queue without hashing: every job still
		 * gets its answer, a refusal */
		job->ok = stopping ? 0 : !job->stored || password_verify(job->stored, job->password);
		if (job->ok && job->hash_out)
			job->ok = password_hash(job->new_password ? job->new_password : job->password,
						job->hash_out) == 0;
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
	free(pool.clients);
	pool.clients = NULL;
	pool.nclients = pool.turn = 0;
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
	pool.clients = calloc(queue_max, sizeof *pool.clients);
	if (pool.threads == NULL || pool.clients == NULL) {
		free(pool.threads);
		free(pool.clients);
		pool.threads = NULL;
		pool.clients = NULL;
		pthread_mutex_unlock(&pool.lock);
		pthread_mutex_unlock(&pool_life);
		return -1;
	}
	pool.running = 1;
	pool.stopping = 0;
	pool.queue_max = queue_max;
	pool.nclients = pool.turn = 0;
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
	const char *key;
	pw_job *out = NULL;
	unsigned i, mine, greediest = 0;

	assert(job != NULL && job->done != NULL);
	if (job == NULL || job->done == NULL)
		return -1;
	key = client_key(job);
	job->busy = 0;

	pthread_mutex_lock(&pool.lock);
	if (!pool.running || pool.stopping) {
		pthread_mutex_unlock(&pool.lock);
		return -1;
	}
	for (mine = 0; mine < pool.nclients; mine++)
		if (!strncmp(pool.clients[mine].key, key, sizeof pool.clients[mine].key - 1))
			break;
	if (pool.waiting >= pool.queue_max) {
		unsigned have = mine < pool.nclients ? pool.clients[mine].n : 0;
		for (i = 1; i < pool.nclients; i++)
			if (pool.clients[i].n > pool.clients[greediest].n)
				greediest = i;
		if (pool.nclients == 0 || pool.clients[greediest].n <= have + 1) {
			pthread_mutex_unlock(&pool.lock);
			return -1;
		}
		out = pool_take_newest(greediest);
		for (mine = 0; mine < pool.nclients; mine++) /* the table moved */
			if (!strncmp(pool.clients[mine].key, key, sizeof pool.clients[mine].key - 1))
				break;
	}
	if (mine == pool.nclients)
		pool.clients[pool.nclients++] = (struct pw_client){{0}, NULL, NULL, 0};
	if (!pool.clients[mine].key[0])
		snprintf(pool.clients[mine].key, sizeof pool.clients[mine].key, "%s", key);
	job->next = NULL;
	if (pool.clients[mine].tail != NULL)
		pool.clients[mine].tail->next = job;
	else
		pool.clients[mine].head = job;
	pool.clients[mine].tail = job;
	pool.clients[mine].n++;
	pool.waiting++;
	pthread_cond_signal(&pool.wake);
	pthread_mutex_unlock(&pool.lock);
	if (out) {
		out->ok = 0;
		out->busy = 1;
		out->done(out, out->arg); /* may free out */
	}
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
