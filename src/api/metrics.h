/*
 * metrics.h - the server's counters (GET /metrics) and log lines; see
 * metrics.c.
 */
#ifndef HIMOYA_METRICS_H
#define HIMOYA_METRICS_H

#include "http/request.h"

/* A request was answered after `seconds` (the HTTP server's observer). */
void api_metrics_observe(const struct req *r, double seconds);
/* A sign-in ended with this status (200, 401, 429 locked, 503 busy). */
void api_metrics_signin(int status);
/* One line on standard error: "himoya: event=EVENT " and the rest.  Never
 * personal data: ids, codes and counts only. */
void api_log_event(const char *event, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* GET /metrics. */
int api_metrics(struct req *r);

#endif
