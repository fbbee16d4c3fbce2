/*
 * lockout.h - counting failed logins per login name, in the database.
 *
 * After `max_failures` failures in a row a login is locked for
 * `lock_secs`; a success clears its count.  Only that login is affected:
 * other users go on logging in.  Failures count in a row while each
 * comes within `lock_secs` of the one before.  The counts live in the
 * database (store/limits.c): every server on it sees the same counts
 * and locks at once.  Thread-safe.
 *
 * A sign-in writes only its failure: lockout_begin reads the lock and
 * writes nothing, so that neither a locked login nor a right password
 * makes the server write before the password is checked.  Guesses sent
 * in parallel are held back in memory instead: while one attempt of a
 * login is being checked on this server, another is refused and counted
 * as a failure (written), so a burst cannot have more passwords checked
 * than the count allows (plus one in flight per server).
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
/* lockout_begin: another attempt of the login is being checked here; this
 * one was refused and counted as a failure (429, try again in a moment). */
#define LOCKOUT_IN_FLIGHT (-2)

struct lockout *lockout_new(struct store *st, const keyring *kr, unsigned max_failures,
			    unsigned lock_secs);
void lockout_free(struct lockout *l);
/* Start an attempt: the seconds the login stays locked, or 0 when it may
 * try, the attempt then counted as a failure until lockout_clear_tx();
 * LOCKOUT_ERROR when the count could not be taken. */
int64_t lockout_attempt(struct lockout *l, const char *login, int64_t now);
/* Begin a sign-in of login: the seconds it stays locked (nothing written),
 * LOCKOUT_IN_FLIGHT, LOCKOUT_ERROR, or 0: the attempt may be checked, and
 * is held until lockout_fail() (a wrong password: counted) or
 * lockout_end() (anything else; after a success, lockout_clear_tx()). */
int64_t lockout_begin(struct lockout *l, const char *login, int64_t now);
/* The attempt begun failed: count it (the only write of a failed
 * sign-in) and let the login's next attempt be checked.  -1 when the
 * database failed. */
int lockout_fail(struct lockout *l, const char *login, int64_t now);
/* The same count within tx (the group commit's, so that a storm of wrong
 * passwords waits for the writer on the group's thread, not on request
 * threads), the attempt still held: lockout_end() after tx commits (or
 * fails) lets the login's next attempt be checked.  -1 when the database
 * failed. */
int lockout_fail_tx(const struct lockout *l, struct store_tx *tx, const char *login, int64_t now);
/* The attempt begun is over without a failure to count (or its count is
 * committed, lockout_fail_tx). */
void lockout_end(struct lockout *l, const char *login);
/* The seconds the login stays locked at now, or 0; counts nothing;
 * LOCKOUT_ERROR on a failure of the database. */
int64_t lockout_locked(struct lockout *l, const char *login, int64_t now);
/* The attempt succeeded (or an administrator unlocked the login):
 * forget the login's failures, within tx, the transaction that records
 * it.  -1 when the database failed. */
int lockout_clear_tx(const struct lockout *l, struct store_tx *tx, const char *login);

#endif
