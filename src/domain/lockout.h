/*
 * lockout.h - counting failed logins per login name.
 *
 * After `max_failures` failures in a row a login is locked for
 * `lock_secs`; a success clears its count.  An attempt counts as a failure
 * from the moment it starts, so that guesses sent in parallel cannot all
 * be checked before the first of them fails.  Only that login is affected:
 * other users go on logging in.  Failures count in a row while each
 * comes within `lock_secs` of the one before.  The table is bounded, yet
 * no other traffic can make it forget a lock or a recent count: when
 * the part of it a newcomer may use holds only those, the newcomer is
 * refused as if locked (never longer than `lock_secs`).  Thread-safe.
 */
#ifndef HIMOYA_LOCKOUT_H
#define HIMOYA_LOCKOUT_H

#include <stdint.h>

struct lockout;

struct lockout *lockout_new(unsigned max_failures, unsigned lock_secs);
void lockout_free(struct lockout *l);
/* Start an attempt: the seconds the login stays locked, or 0 when it may
 * try, the attempt then counted as a failure until lockout_clear(). */
int64_t lockout_attempt(struct lockout *l, const char *login, int64_t now);
/* The seconds the login stays locked at now, or 0; counts nothing. */
int64_t lockout_locked(struct lockout *l, const char *login, int64_t now);
/* The attempt succeeded (or an administrator unlocked the login):
 * forget the login's failures. */
void lockout_clear(struct lockout *l, const char *login);

#endif
