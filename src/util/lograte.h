/*
 * lograte.h - log lines that a flood cannot multiply.
 *
 * An outage fails every statement of every request, and a password spray
 * fails every sign-in: one line each would bury what else the log says
 * (9,400 lines in 15 s of PostgreSQL down).  A kind of line goes through
 * a lograte: at most `per_sec` of them a second, and once the second
 * is over, one line saying how many were left out (at the next line of
 * its kind, or at lograte_tick, whichever comes first).
 */
#ifndef HIMOYA_UTIL_LOGRATE_H
#define HIMOYA_UTIL_LOGRATE_H

#include <pthread.h>
#include <stdarg.h>
#include <time.h>

struct lograte {
	const char *what; /* "SQL errors": named in the line of those left out */
	unsigned per_sec;
	pthread_mutex_t lock;
	time_t second;
	unsigned shown;
	unsigned long left_out;
	struct lograte *next; /* on the list lograte_tick reads, once used */
	int listed;           /* under lograte.c's list lock */
};

#define LOGRATE_INIT(what, per_sec) {what, per_sec, PTHREAD_MUTEX_INITIALIZER, 0, 0, 0, NULL, 0}

/* Write "himoya: " and the line (no newline needed) to standard error
 * unless this second's share is spent. */
void lograte_print(struct lograte *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The same with a va_list, the line after prefix (formatted only when
 * shown). */
void lograte_vprint(struct lograte *l, const char *prefix, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));
/* Say how many lines each kind left out in the seconds that are over, or
 * in all when `all` (at a stop): from a thread that wakes up often (the
 * audit flusher), so that the count of a flood's last second is not kept
 * until the next flood. */
void lograte_tick(int all);

#endif
