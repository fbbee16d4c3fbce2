/*
 * lograte.c - log lines that a flood cannot multiply (lograte.h).
 */
#include <stdarg.h>
#include <stdio.h>

#include "util/lograte.h"

static pthread_mutex_t list_lock = PTHREAD_MUTEX_INITIALIZER;
static struct lograte *list;

/* (l->lock held) The count of the second that is over, or of this one
 * too when `all`. */
static void left_out_say(struct lograte *l, time_t now, int all)
{
	if (l->left_out && (all || now != l->second)) {
		fprintf(stderr, "himoya: %lu more %s left out of the log\n", l->left_out, l->what);
		l->left_out = 0;
	}
}

void lograte_print(struct lograte *l, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	lograte_vprint(l, "", fmt, ap);
	va_end(ap);
}

void lograte_vprint(struct lograte *l, const char *prefix, const char *fmt, va_list ap)
{
	time_t now = time(NULL);

	/* Listed before its own lock is taken: lograte_tick takes the two
	 * in the other order. */
	pthread_mutex_lock(&list_lock);
	if (!l->listed) {
		l->next = list;
		list = l;
		l->listed = 1;
	}
	pthread_mutex_unlock(&list_lock);
	pthread_mutex_lock(&l->lock);
	left_out_say(l, now, 0);
	if (now != l->second) {
		l->second = now;
		l->shown = 0;
	}
	if (l->shown < l->per_sec) {
		char line[512];
		l->shown++;
		vsnprintf(line, sizeof line, fmt, ap);
		fprintf(stderr, "himoya: %s%s\n", prefix, line);
	} else {
		l->left_out++;
	}
	pthread_mutex_unlock(&l->lock);
}

void lograte_tick(int all)
{
	time_t now = time(NULL);
	struct lograte *l;

	pthread_mutex_lock(&list_lock);
	for (l = list; l; l = l->next) {
		pthread_mutex_lock(&l->lock);
		left_out_say(l, now, all);
		pthread_mutex_unlock(&l->lock);
	}
	pthread_mutex_unlock(&list_lock);
}
