/*
 * lockout.c - a bounded open-addressing table of recent login failures.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "domain/lockout.h"

#define SLOTS 4096
#define LOGIN_MAX 128

struct slot {
	char login[LOGIN_MAX];
	unsigned failures;
	int64_t last_fail;
	int64_t locked_until;
};

struct lockout {
	pthread_mutex_t lock;
	unsigned max_failures;
	unsigned lock_secs;
	struct slot slots[SLOTS];
};

/* Logins are told apart by their first LOGIN_MAX - 1 bytes, the part a
 * slot keeps: a longer login must find its own truncated slot again. */
static uint32_t hash_login(const char *s)
{
	uint32_t h = 2166136261u;
	size_t i;
	for (i = 0; i < LOGIN_MAX - 1 && s[i]; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 'A' && c <= 'Z')
			c = (unsigned char)(c + 32);
		h = (h ^ c) * 16777619u;
	}
	return h;
}

static int same_login(const char *a, const char *b)
{
	size_t i;
	for (i = 0; i < LOGIN_MAX - 1; i++) {
		char x = a[i] >= 'A' && a[i] <= 'Z' ? (char)(a[i] + 32) : a[i];
		char y = b[i] >= 'A' && b[i] <= 'Z' ? (char)(b[i] + 32) : b[i];
		if (x != y)
			return 0;
		if (!x)
			return 1;
	}
	return 1;
}

/* Find the login's slot; with `create`, take a free or the stalest slot
 * within the probe window. */
static struct slot *find(struct lockout *l, const char *login, int create)
{
	uint32_t h = hash_login(login);
	struct slot *stalest = NULL;
	unsigned i;

	for (i = 0; i < 64; i++) {
		struct slot *s = &l->slots[(h + i) % SLOTS];
		if (s->login[0] && same_login(s->login, login))
			return s;
		if (!s->login[0]) {
			if (!create)
				return NULL;
			stalest = s;
			break;
		}
		if (!stalest || s->last_fail < stalest->last_fail)
			stalest = s;
	}
	if (!create || !stalest)
		return NULL;
	memset(stalest, 0, sizeof *stalest);
	strncpy(stalest->login, login, LOGIN_MAX - 1);
	return stalest;
}

struct lockout *lockout_new(unsigned max_failures, unsigned lock_secs)
{
	struct lockout *l = calloc(1, sizeof *l);
	if (!l)
		return NULL;
	pthread_mutex_init(&l->lock, NULL);
	l->max_failures = max_failures;
	l->lock_secs = lock_secs;
	return l;
}

void lockout_free(struct lockout *l)
{
	if (!l)
		return;
	pthread_mutex_destroy(&l->lock);
	free(l);
}

int64_t lockout_attempt(struct lockout *l, const char *login, int64_t now)
{
	struct slot *s;
	int64_t left = 0;

	pthread_mutex_lock(&l->lock);
	s = find(l, login, 1);
	if (s && s->locked_until > now) {
		left = s->locked_until - now;
	} else if (s) {
		if (s->locked_until) { /* the lock ran out: start counting afresh */
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
	struct slot *s;

	pthread_mutex_lock(&l->lock);
	s = find(l, login, 0);
	if (s) { /* keep the login in its slot, so that probe chains stay whole */
		s->failures = 0;
		s->locked_until = 0;
	}
	pthread_mutex_unlock(&l->lock);
}
