/*
 * lockout.c - failed logins counted in the database (store/limits.c), so
 * that every server on one database counts the same failures and ends a
 * lock at the same second.
 *
 * A login is named by a keyed hash (the installation key's blind-index
 * key, so that every server derives the same one and the database holds
 * no login in clear) of its first LOGIN_MAX - 1 bytes, case folded in
 * ASCII: a longer login finds its own row again.  Rows are deleted once
 * they protect nothing (no lock, no failure within lock_secs): the table
 * holds no more than the logins tried in the last lock_secs, and no
 * other traffic can make it forget a lock or a recent count.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "domain/lockout.h"
#include "store/store.h"

#define LOGIN_MAX 128
/* Sign-ins being checked at once on this server, each of another login
 * (the password workers take fewer); a hold older than HOLD_SECS is
 * taken as lost (a request that never came back). */
#define HOLDS_MAX 256
#define HOLD_SECS 60

struct hold {
	unsigned char key[LIMIT_KEY_BYTES];
	int64_t since; /* 0: free */
};

struct lockout {
	store *st;
	const keyring *kr;
	unsigned max_failures;
	unsigned lock_secs;
	pthread_mutex_t mu;
	struct hold holds[HOLDS_MAX];
};

static void login_key(const struct lockout *l, const char *s, unsigned char key[LIMIT_KEY_BYTES])
{
	char folded[LOGIN_MAX];
	size_t n;

	for (n = 0; n < LOGIN_MAX - 1 && s[n]; n++) {
		char c = s[n];
		folded[n] = c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
	}
	blind_index(l->kr, "lockout", folded, n, key);
}

struct lockout *lockout_new(store *st, const keyring *kr, unsigned max_failures,
			    unsigned lock_secs)
{
	struct lockout *l = calloc(1, sizeof *l);

	if (!l)
		return NULL;
	l->st = st;
	l->kr = kr;
	l->max_failures = max_failures;
	l->lock_secs = lock_secs;
	if (pthread_mutex_init(&l->mu, NULL) != 0) {
		free(l);
		return NULL;
	}
	return l;
}

void lockout_free(struct lockout *l)
{
	if (!l)
		return;
	pthread_mutex_destroy(&l->mu);
	free(l);
}

/* Hold key for an attempt being checked: 1 when held now, 0 when another
 * attempt holds it, -1 when every hold is taken. */
static int hold_take(struct lockout *l, const unsigned char *key, int64_t now)
{
	struct hold *free_slot = NULL;
	size_t i;
	int rc = 1;

	pthread_mutex_lock(&l->mu);
	for (i = 0; i < HOLDS_MAX; i++) {
		struct hold *h = &l->holds[i];
		if (h->since && now - h->since >= HOLD_SECS)
			h->since = 0;
		if (!h->since) {
			if (!free_slot)
				free_slot = h;
		} else if (!memcmp(h->key, key, LIMIT_KEY_BYTES)) {
			rc = 0;
			break;
		}
	}
	if (rc == 1 && !free_slot)
		rc = -1;
	if (rc == 1) {
		memcpy(free_slot->key, key, LIMIT_KEY_BYTES);
		free_slot->since = now > 0 ? now : 1;
	}
	pthread_mutex_unlock(&l->mu);
	return rc;
}

static void hold_drop(struct lockout *l, const unsigned char *key)
{
	size_t i;

	pthread_mutex_lock(&l->mu);
	for (i = 0; i < HOLDS_MAX; i++)
		if (l->holds[i].since && !memcmp(l->holds[i].key, key, LIMIT_KEY_BYTES)) {
			l->holds[i].since = 0;
			break;
		}
	pthread_mutex_unlock(&l->mu);
}

int64_t lockout_begin(struct lockout *l, const char *login, int64_t now)
{
	unsigned char key[LIMIT_KEY_BYTES];
	int64_t left;
	int held;

	login_key(l, login, key);
	if (store_login_locked(l->st, key, now, &left) != STORE_OK)
		return LOCKOUT_ERROR;
	if (left > 0)
		return left;
	held = hold_take(l, key, now);
	if (held < 0)
		return LOCKOUT_ERROR;
	if (held)
		return 0;
	/* A guess sent beside one being checked: refused unchecked, and
	 * counted, as the one being checked may well fail too. */
	if (store_login_attempt(l->st, key, l->max_failures, l->lock_secs, now, &left) != STORE_OK)
		return LOCKOUT_ERROR;
	return left > 0 ? left : LOCKOUT_IN_FLIGHT;
}

int lockout_fail(struct lockout *l, const char *login, int64_t now)
{
	unsigned char key[LIMIT_KEY_BYTES];
	int64_t left;
	int rc;

	login_key(l, login, key);
	rc = store_login_attempt(l->st, key, l->max_failures, l->lock_secs, now, &left);
	hold_drop(l, key);
	return rc == STORE_OK ? 0 : -1;
}

int lockout_fail_tx(const struct lockout *l, struct store_tx *tx, const char *login, int64_t now)
{
	unsigned char key[LIMIT_KEY_BYTES];
	int64_t left;

	login_key(l, login, key);
	return store_login_attempt_tx(tx, key, l->max_failures, l->lock_secs, now, &left) ==
			       STORE_OK
		       ? 0
		       : -1;
}

void lockout_end(struct lockout *l, const char *login)
{
	unsigned char key[LIMIT_KEY_BYTES];

	login_key(l, login, key);
	hold_drop(l, key);
}

int64_t lockout_attempt(struct lockout *l, const char *login, int64_t now)
{
	unsigned char key[LIMIT_KEY_BYTES];
	int64_t left;

	login_key(l, login, key);
	if (store_login_attempt(l->st, key, l->max_failures, l->lock_secs, now, &left) != STORE_OK)
		return LOCKOUT_ERROR;
	return left;
}

int lockout_clear_tx(const struct lockout *l, store_tx *tx, const char *login)
{
	unsigned char key[LIMIT_KEY_BYTES];

	login_key(l, login, key);
	return store_login_clear(tx, key) == STORE_OK ? 0 : -1;
}

int64_t lockout_locked(struct lockout *l, const char *login, int64_t now)
{
	unsigned char key[LIMIT_KEY_BYTES];
	int64_t left;

	login_key(l, login, key);
	if (store_login_locked(l->st, key, now, &left) != STORE_OK)
		return LOCKOUT_ERROR;
	return left;
}
