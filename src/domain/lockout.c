/*
 * lockout.c - a bounded open-addressing table of recent login failures.
 *
 * A slot holds a keyed hash of the login (SipHash under a key drawn at
 * start, so that no one can aim many logins at one probe window), its
 * failures in a row and when the last came, and the end of its lock.
 * Forgetting a slot would hand its login a fresh count, so a slot is
 * given to another login only when it holds nothing to protect: not
 * locked, and no failure within the last lock_secs (or none at all).
 * When every slot of a newcomer's probe window is protected, the
 * newcomer is refused as if locked, until the stalest of them frees:
 * other traffic can delay a sign-in, never reopen guessing.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>

#include "domain/lockout.h"

#define SLOTS (1u << 16) /* 2 MiB of 32-byte slots */
#define PROBE 64
#define LOGIN_MAX 128

struct slot {
	uint64_t key;         /* 0: free */
	unsigned failures;
	int64_t last_fail;
	int64_t locked_until;
};

struct lockout {
	pthread_mutex_t lock;
	unsigned max_failures;
	unsigned lock_secs;
	unsigned char hash_key[crypto_shorthash_KEYBYTES];
	struct slot slots[SLOTS];
};

/* Logins are told apart by their first LOGIN_MAX - 1 bytes, case folded
 * in ASCII: a longer login must find its own slot again. */
static uint64_t login_key(const struct lockout *l, const char *s)
{
	unsigned char folded[LOGIN_MAX], h[crypto_shorthash_BYTES];
	uint64_t k = 0;
	size_t i, n;

	for (n = 0; n < LOGIN_MAX - 1 && s[n]; n++) {
		unsigned char c = (unsigned char)s[n];
		folded[n] = c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
	}
	crypto_shorthash(h, folded, n, l->hash_key);
	for (i = 0; i < sizeof h; i++)
		k = k << 8 | h[i];
	return k ? k : 1; /* 0 marks a free slot */
}

/* The second from which s holds nothing to protect. */
static int64_t free_from(const struct lockout *l, const struct slot *s)
{
	int64_t t = s->locked_until;
	if (s->failures && s->last_fail + (int64_t)l->lock_secs > t)
		t = s->last_fail + (int64_t)l->lock_secs;
	return t;
}

/* Find the login's slot; with `create`, take a free slot or the one free
 * for longest in the probe window.  NULL when there is none; with
 * `create`, *wait is then the seconds until one frees. */
static struct slot *find(struct lockout *l, uint64_t key, int create, int64_t now,
			 int64_t *wait)
{
	struct slot *best = NULL;
	int64_t best_from = 0;
	unsigned i;

	for (i = 0; i < PROBE; i++) {
		struct slot *s = &l->slots[(key + i) % SLOTS];
		int64_t from;
		if (s->key == key)
			return s;
		if (!s->key) { /* slots are never emptied: the login is not further on */
			best = s;
			best_from = INT64_MIN;
			break;
		}
		from = free_from(l, s);
		if (!best || from < best_from) {
			best = s;
			best_from = from;
		}
	}
	if (!create)
		return NULL;
	if (best_from > now) {
		*wait = best_from - now;
		return NULL;
	}
	memset(best, 0, sizeof *best);
	best->key = key;
	return best;
}

struct lockout *lockout_new(unsigned max_failures, unsigned lock_secs)
{
	struct lockout *l;

	if (sodium_init() < 0)
		return NULL;
	l = calloc(1, sizeof *l);
	if (!l)
		return NULL;
	pthread_mutex_init(&l->lock, NULL);
	l->max_failures = max_failures;
	l->lock_secs = lock_secs;
	randombytes_buf(l->hash_key, sizeof l->hash_key);
	return l;
}

void lockout_free(struct lockout *l)
{
	if (!l)
		return;
	pthread_mutex_destroy(&l->lock);
	sodium_memzero(l->hash_key, sizeof l->hash_key);
	free(l);
}

int64_t lockout_attempt(struct lockout *l, const char *login, int64_t now)
{
	uint64_t key = login_key(l, login);
	struct slot *s;
	int64_t left = 0;

	pthread_mutex_lock(&l->lock);
	s = find(l, key, 1, now, &left);
	if (s && s->locked_until > now) {
		left = s->locked_until - now;
	} else if (s) {
		/* A lock that ran out, or a last failure lock_secs ago or
		 * more: start counting afresh. */
		if (s->locked_until || now - s->last_fail >= (int64_t)l->lock_secs) {
			s->locked_until = 0;
			s->failures = 0;
		}
		s->failures++;
		s->last_fail = now;
		if (s->failures >= l->max_failures)
			s->locked_until = now + l->lock_secs;
	}
	pthread_mutex_unlock(&l->lock);
	return left;
}

void lockout_clear(struct lockout *l, const char *login)
{
	uint64_t key = login_key(l, login);
	struct slot *s;

	pthread_mutex_lock(&l->lock);
	s = find(l, key, 0, 0, NULL);
	if (s) { /* the slot stays taken, so that probe chains stay whole */
		s->failures = 0;
		s->locked_until = 0;
	}
	pthread_mutex_unlock(&l->lock);
}

int64_t lockout_locked(struct lockout *l, const char *login, int64_t now)
{
	uint64_t key = login_key(l, login);
	struct slot *s;
	int64_t left = 0;

	pthread_mutex_lock(&l->lock);
	s = find(l, key, 0, now, NULL);
	if (s && s->locked_until > now)
		left = s->locked_until - now;
	pthread_mutex_unlock(&l->lock);
	return left;
}
