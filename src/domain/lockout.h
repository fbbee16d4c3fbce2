/*
 * lockout.h - counting failed logins per login name.
 *
 * After `max_failures` failures in a row a login is locked for
 * `lock_secs`; a success clears its count.  Only that login is affected:
 * other users go on logging in.  The table is bounded: when it is full
 * the entry with the oldest failure is forgotten.  Thread-safe.
 */
#ifndef HIMOYA_LOCKOUT_H
#define HIMOYA_LOCKOUT_H

#include <stdint.h>

struct lockout;

struct lockout *lockout_new(unsigned max_failures, unsigned lock_secs);
void lockout_free(struct lockout *l);
/* Seconds the login stays locked (0 when it may try). */
int64_t lockout_remaining(struct lockout *l, const char *login, int64_t now);
void lockout_fail(struct lockout *l, const char *login, int64_t now);
void lockout_clear(struct lockout *l, const char *login);

#endif
