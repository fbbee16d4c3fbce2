/*
 * background.h - the server's background passes, each on a thread of its own.
 *
 * A pass (the recipients' name keys made again after a start, the
 * network's encodings caught up, the duplicate scan every few minutes)
 * is started once the server listens and asked to stop before the store
 * closes.  It reads bg_stopping between its steps, or sleeps in
 * bg_sleep, which a stop cuts short.
 */
#ifndef HIMOYA_UTIL_BACKGROUND_H
#define HIMOYA_UTIL_BACKGROUND_H

#include <pthread.h>

struct background {
	pthread_t thread;
	int started;
	int stop; /* under lock */
	pthread_mutex_t lock;
	pthread_cond_t cond;
};

#define BACKGROUND_INIT {.lock = PTHREAD_MUTEX_INITIALIZER, .cond = PTHREAD_COND_INITIALIZER}

/* Start fn(arg) on a thread of its own: 0, or -1 (no thread was made). */
int bg_start(struct background *p, void *(*fn)(void *), void *arg);
/* Whether the pass was asked to stop. */
int bg_stopping(struct background *p);
/* Wait seconds, or until asked to stop: whether it was. */
int bg_sleep(struct background *p, unsigned seconds);
/* Ask the pass to stop and wait for its end (nothing if it never began). */
void bg_stop(struct background *p);

#endif
