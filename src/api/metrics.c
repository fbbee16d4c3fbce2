/*
 * metrics.c - what the server counts, for GET /metrics (the Prometheus
 * text format, version 0.0.4), and its log lines.
 *
 * Requests are counted by route class (the first path segment of the
 * matched route under /api/v1/, "public", "ui" for the compiled-in files,
 * "unmatched" for anything else: never the path as sent, so no id and no
 * query reaches the metrics) and status, with a latency histogram;
 * sign-ins by result; the audit queue, the database files and the age of
 * the last backup are read when scraped.  Counters are atomics: a
 * request thread never takes a lock to count.
 *
 * /metrics answers the loopback (a request that no proxy forwarded) and
 * anyone who sends the configured metrics_token as a bearer token.
 *
 * Log lines go to standard error, one per event ("himoya: event=... k=v"),
 * which journald keeps under systemd.  They never carry personal data:
 * ids, codes, counts and route classes only.
 */
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <sodium.h>

#include "api/api.h"
#include "api/metrics.h"
#include "util/lograte.h"

#define CLASS_MAX 64
#define CLASS_LEN 32

/* The statuses counted one by one; others fall into "other". */
static const int statuses[] = {200, 201, 202, 204, 304, 400, 401, 403, 404, 405, 408, 409, 412,
			       413, 415, 422, 428, 429, 500, 503};
#define NSTATUS (sizeof statuses / sizeof statuses[0])

static const double buckets[] = {0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
#define NBUCKET (sizeof buckets / sizeof buckets[0])

/* What each request may log, a flood's worth at most (util/lograte.h):
 * an outage answers every request 503, a password spray fails every
 * sign-in.  /metrics counts them all. */
static struct lograte error_lines = LOGRATE_INIT("event=error lines", 10);
static struct lograte signin_lines = LOGRATE_INIT("event=signin lines", 10);

static char classes[CLASS_MAX][CLASS_LEN];
static size_t nclasses;
static atomic_flag classes_made = ATOMIC_FLAG_INIT;
static _Atomic int classes_ready;

static _Atomic uint64_t requests[CLASS_MAX][NSTATUS + 1];
static _Atomic uint64_t latency[NBUCKET + 1]; /* the last: +Inf */
static _Atomic uint64_t latency_us_sum;
static _Atomic uint64_t signins[4];
static const char *const signin_results[] = {"ok", "failed", "locked", "busy"};

/* The class of a route pattern: the segment after /api/v1/, or the first. */
static void class_of_pattern(const char *pattern, char out[CLASS_LEN])
{
	const char *p = pattern;
	size_t n;

	if (!strncmp(p, "/api/v1/", 8))
		p += 8;
	else if (*p == '/')
		p++;
	n = strcspn(p, "/");
	if (n == 0 || n >= CLASS_LEN)
		snprintf(out, CLASS_LEN, "root");
	else
		snprintf(out, CLASS_LEN, "%.*s", (int)n, p);
}

static size_t class_add(const char *name)
{
	size_t i;
	for (i = 0; i < nclasses; i++)
		if (!strcmp(classes[i], name))
			return i;
	if (nclasses == CLASS_MAX)
		return CLASS_MAX - 1;
	snprintf(classes[nclasses], CLASS_LEN, "%s", name);
	return nclasses++;
}

/* The classes, made once from the routing table (first caller makes them;
 * others wait the few microseconds it takes). */
static void classes_make(void)
{
	size_t i;
	char c[CLASS_LEN];

	if (classes_ready)
		return;
	if (atomic_flag_test_and_set(&classes_made)) {
		while (!classes_ready)
			;
		return;
	}
	class_add("unmatched");
	class_add("ui");
	for (i = 0; i < api_routes_count; i++) {
		class_of_pattern(api_routes[i].pattern, c);
		class_add(c);
	}
	classes_ready = 1;
}

static size_t class_index(const struct req *r)
{
	char c[CLASS_LEN];
	size_t i;

	classes_make();
	if (!r->route)
		return strncmp(r->path ? r->path : "", "/api/", 5) && r->method == M_GET ? 1 : 0;
	class_of_pattern(r->route->pattern, c);
	for (i = 0; i < nclasses; i++)
		if (!strcmp(classes[i], c))
			return i;
	return 0;
}

static size_t status_index(int status)
{
	size_t i;
	for (i = 0; i < NSTATUS; i++)
		if (statuses[i] == status)
			return i;
	return NSTATUS;
}

void api_metrics_observe(const struct req *r, double seconds)
{
	size_t b;
	int status = r->status ? r->status : 500;

	requests[class_index(r)][status_index(status)]++;
	for (b = 0; b < NBUCKET && seconds > buckets[b]; b++)
		;
	latency[b]++;
	latency_us_sum += (uint64_t)(seconds * 1e6);
	if (status >= 500)
		lograte_print(&error_lines, "event=error status=%d class=%s", status,
			      classes[class_index(r)]);
}

void api_metrics_signin(int status)
{
	int i = status == 200 ? 0 : status == 429 ? 2 : status == 503 ? 3 : 1;
	signins[i]++;
	if (i == 2)
		lograte_print(&signin_lines, "event=signin result=locked");
	else if (i == 1)
		lograte_print(&signin_lines, "event=signin result=failed status=%d", status);
}

void api_log_event(const char *event, const char *fmt, ...)
{
	char line[512];
	va_list ap;
	int n = snprintf(line, sizeof line, "himoya: event=%s ", event);

	if (n < 0 || (size_t)n >= sizeof line)
		return;
	va_start(ap, fmt);
	vsnprintf(line + n, sizeof line - (size_t)n, fmt, ap);
	va_end(ap);
	fprintf(stderr, "%s\n", line);
}

/* A request from this machine that no proxy forwarded. */
static int from_loopback(struct req *r)
{
	int lo = !strncmp(r->addr, "127.", 4) || !strcmp(r->addr, "::1") ||
		 !strncmp(r->addr, "::ffff:127.", 11);
	return lo && !req_header(r, "X-Forwarded-For") && !req_header(r, "Forwarded") &&
	       !req_header(r, "X-Real-IP");
}

static int token_ok(struct req *r)
{
	const char *want = r->app->cfg.metrics_token, *h = req_header(r, "Authorization");
	size_t n = strlen(want);

	if (n == 0 || !h || strncasecmp(h, "Bearer ", 7))
		return 0;
	h += 7;
	return strlen(h) == n && sodium_memcmp(h, want, n) == 0;
}

static void line(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void line(buf *b, const char *fmt, ...)
{
	char tmp[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	buf_puts(b, tmp);
	buf_puts(b, "\n");
}

static int64_t age_of(const char *ts)
{
	struct tm tm = {0};
	if (!ts[0] || !strptime(ts, "%Y-%m-%dT%H:%M:%SZ", &tm))
		return -1;
	return store_unix_now() - (int64_t)timegm(&tm);
}

int api_metrics(struct req *r)
{
	size_t i, j, queued;
	int64_t db_bytes, wal_bytes, flush_us;
	uint64_t flushes, cum = 0;
	char last[TS_LEN];
	buf *b = &r->out;

	if (!from_loopback(r) && !token_ok(r))
		return reply_problem(r, 403, "forbidden",
				     "metrics are served to this machine, or with the metrics token");
	classes_make();
	buf_reset(b);
	r->status = 200;
	r->content_type = "text/plain; version=0.0.4; charset=utf-8";
	r->static_data = NULL;
	line(b, "# HELP himoya_http_requests_total Requests answered, by route class and status.");
	line(b, "# TYPE himoya_http_requests_total counter");
	for (i = 0; i < nclasses; i++)
		for (j = 0; j <= NSTATUS; j++) {
			uint64_t v = requests[i][j];
			if (!v)
				continue;
			if (j < NSTATUS)
				line(b, "himoya_http_requests_total{class=\"%s\",code=\"%d\"} %llu",
				     classes[i], statuses[j], (unsigned long long)v);
			else
				line(b, "himoya_http_requests_total{class=\"%s\",code=\"other\"} %llu",
				     classes[i], (unsigned long long)v);
		}
	line(b, "# HELP himoya_http_request_duration_seconds Time from the request line to the answer.");
	line(b, "# TYPE himoya_http_request_duration_seconds histogram");
	for (i = 0; i < NBUCKET; i++) {
		cum += latency[i];
		line(b, "himoya_http_request_duration_seconds_bucket{le=\"%g\"} %llu", buckets[i],
		     (unsigned long long)cum);
	}
	cum += latency[NBUCKET];
	line(b, "himoya_http_request_duration_seconds_bucket{le=\"+Inf\"} %llu",
	     (unsigned long long)cum);
	line(b, "himoya_http_request_duration_seconds_sum %.6f", (double)latency_us_sum / 1e6);
	line(b, "himoya_http_request_duration_seconds_count %llu", (unsigned long long)cum);
	line(b, "# HELP himoya_signins_total Sign-ins by result (locked: refused by the lockout).");
	line(b, "# TYPE himoya_signins_total counter");
	for (i = 0; i < 4; i++)
		line(b, "himoya_signins_total{result=\"%s\"} %llu", signin_results[i],
		     (unsigned long long)signins[i]);
	store_audit_stats(r->app->st, &queued, &flush_us, &flushes);
	line(b, "# HELP himoya_audit_queue_depth Reads waiting to be written to the audit log.");
	line(b, "# TYPE himoya_audit_queue_depth gauge");
	line(b, "himoya_audit_queue_depth %zu", queued);
	line(b, "# HELP himoya_audit_flush_seconds Time the last batch of reads took to commit.");
	line(b, "# TYPE himoya_audit_flush_seconds gauge");
	line(b, "himoya_audit_flush_seconds %.6f", (double)flush_us / 1e6);
	line(b, "# HELP himoya_audit_flushes_total Batches of reads committed.");
	line(b, "# TYPE himoya_audit_flushes_total counter");
	line(b, "himoya_audit_flushes_total %llu", (unsigned long long)flushes);
	if (store_files(r->app->st, &db_bytes, &wal_bytes) == STORE_OK) {
		line(b, "# HELP himoya_database_bytes Size of the database file.");
		line(b, "# TYPE himoya_database_bytes gauge");
		line(b, "himoya_database_bytes %lld", (long long)db_bytes);
		line(b, "# HELP himoya_wal_bytes Size of the database's write-ahead log.");
		line(b, "# TYPE himoya_wal_bytes gauge");
		line(b, "himoya_wal_bytes %lld", (long long)wal_bytes);
	}
	line(b, "# HELP himoya_backup_age_seconds Seconds since the last backup (-1: none yet).");
	line(b, "# TYPE himoya_backup_age_seconds gauge");
	store_last_backup(r->app->st, last);
	line(b, "himoya_backup_age_seconds %lld", (long long)age_of(last));
	if (b->overflow)
		return reply_problem(r, 500, "internal", "the metrics do not fit");
	return 200;
}
