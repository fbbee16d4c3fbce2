/*
 * lockout.h - counting failed logins per login name, in the database.
 *
 * After `max_failures` failures in a row a login is locked for
 * `lock_secs`; a success clears its count.  An attempt counts as a failure
 * from the moment it starts, so that guesses sent in parallel cannot all
 * be checked before the first of them fails.  Only that login is affected:
 * other users go on logging in.  Failures count in a row while each
 * comes within `lock_secs` of the one before.  The counts live in the
 * database (store/limits.c): every server on it sees the same counts
 * and locks at once.  Thread-safe.
 */
#ifndef HIMOYA_LOCKOUT_H
#define HIMOYA_LOCKOUT_H

#include <stdint.h>

#include "crypto/crypto.h"

struct lockout;
struct store;
struct store_tx;

/* The database could not be read or written: refuse the attempt (503). */
#define LOCKOUT_ERROR (-1)

struct lockout *lockout_new(struct store *st, const keyring *kr, unsigned max_failures,
			    unsigned lock_secs);
void lockout_free(struct lockout *l);
/* Start an attempt: the seconds the login stays locked, or 0 when it may
 * try, the attempt then counted as a failure until lockout_clear_tx();
 * LOCKOUT_ERROR when the count could not be taken. */
int64_t lockout_attempt(struct lockout *l, const char *login, int64_t now);
/* The seconds the login stays locked at now, or 0; counts nothing;
 * LOCKOUT_ERROR on a failure of the database. */
int64_t lockout_locked(struct lockout *l, const char *login, int64_t now);
/* The attempt succeeded (or an administrator unlocked the login):
 * forget the login's failures, within tx, the transaction that records
 * it.  -1 when the database failed. */
int lockout_clear_tx(const struct lockout *l, struct store_tx *tx, const char *login);

#endif
