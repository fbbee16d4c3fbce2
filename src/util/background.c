/*
 * background.c - the server's background passes (background.h).
 */
#include "util/background.h"

#include <time.h>

int bg_start(struct background *p, void *(*fn)(void *), void *arg)
{
	pthread_mutex_lock(&p->lock);
	p->stop = 0;
	pthread_mutex_unlock(&p->lock);
	p->started = pthread_create(&p->thread, NULL, fn, arg) == 0;
	return p->started ? 0 : -1;
}

int bg_stopping(struct background *p)
{
	int stop;

	pthread_mutex_lock(&p->lock);
	stop = p->stop;
	pthread_mutex_unlock(&p->lock);
	return stop;
}

int bg_sleep(struct background *p, unsigned seconds)
{
	struct timespec until;
	int stop;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += seconds;
	pthread_mutex_lock(&p->lock);
	while (!p->stop && pthread_cond_timedwait(&p->cond, &p->lock, &until) == 0)
		;
	stop = p->stop;
	pthread_mutex_unlock(&p->lock);
	return stop;
}

void bg_stop(struct background *p)
{
	if (!p->started)
		return;
	pthread_mutex_lock(&p->lock);
	p->stop = 1;
	pthread_cond_broadcast(&p->cond);
	pthread_mutex_unlock(&p->lock);
	pthread_join(p->thread, NULL);
	p->started = 0;
}
