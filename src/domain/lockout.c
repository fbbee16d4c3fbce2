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
#include <stdlib.h>
#include <string.h>

#include "domain/lockout.h"
#include "store/store.h"

#define LOGIN_MAX 128

struct lockout {
	store *st;
	const keyring *kr;
	unsigned max_failures;
	unsigned lock_secs;
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
	return l;
}

void lockout_free(struct lockout *l)
{
	free(l);
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
