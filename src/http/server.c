/*
 * server.c - libmicrohttpd glue: request lifecycle, body collection with
 * a cap, the security headers, and a clean stop on SIGTERM/SIGINT.
 *
 * MHD calls the access handler several times per request: once when the
 * headers are in (we only set up the request: answering here would make
 * MHD close the connection after one response), once per chunk of body,
 * and once more with no data, when the handler is dispatched.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <pthread.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <stdatomic.h>
#include <microhttpd.h>

#include "http/router.h"
#include "http/server.h"

#define REQ_ARENA_CAP (64u << 20) /* hard cap on one request's scratch memory */
/* A body declared over the cap is answered (413) as soon as its head is
 * in; what the client still sends is then read and thrown away, up to
 * this much, by the watchdog (lingering).  A chunked body over the cap
 * is read and thrown away up to this much before the 413 goes out; beyond
 * it we answer at once and let MHD close the connection. */
#define DRAIN_MAX (16u << 20)

static const char CSP[] =
	"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
	"connect-src 'self'; font-src 'self'; object-src 'none'; frame-ancestors 'none'; "
	"base-uri 'none'; form-action 'self'";

/* A connection's head deadline (see server.h), kept by the watchdog. */
struct conn_watch {
	struct conn_watch *prev, *next;
	int fd;
	int64_t deadline_ms; /* 0: none (a head is in, or it was cut already) */
	int linger;          /* answered before its body: drain it after MHD closes */
};

/* A connection answered before its body came (413), kept open by the
 * watchdog after MHD let go of it, reading and throwing away what the
 * client still sends: closing a socket with unread data resets it, and
 * the client, still writing, would never read the answer. */
#define LINGER_MAX 64
#define LINGER_MS 5000

struct lingering {
	int fd;
	int64_t until_ms;
	size_t drained;
};

struct server_ctx {
	const struct http_config *cfg;
	http_dispatch_fn dispatch;
	struct app *app;
	int tls;
	/* the watchdog: every open connection, under watch_lock */
	pthread_mutex_t watch_lock;
	struct conn_watch *watched;
	int watch_stop;
	pthread_t watchdog;
	struct lingering linger[LINGER_MAX];
	unsigned nlinger;
};

/* ---- head deadlines ------------------------------------------------------ */

static const char HEAD_TIMEOUT_REPLY[] =
	"HTTP/1.1 408 Request Timeout\r\n"
	"Content-Type: application/problem+json\r\n"
	"Content-Length: 109\r\n"
	"Connection: close\r\n"
	"Cache-Control: no-store\r\n"
	"X-Content-Type-Options: nosniff\r\n"
	"\r\n"
	"{\"type\":\"request-timeout\",\"title\":\"Request Timeout\",\"status\":408,"
	"\"detail\":\"the request head came too slowly\"}";

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static struct conn_watch *watch_of(struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	return ci ? ci->socket_context : NULL;
}

/* Set c's deadline to after_ms from now, or none with after_ms < 0. */
static void watch_set(struct server_ctx *sc, struct MHD_Connection *c, int64_t after_ms)
{
	struct conn_watch *w = watch_of(c);
	if (!w)
		return;
	pthread_mutex_lock(&sc->watch_lock);
	w->deadline_ms = after_ms < 0 ? 0 : now_ms() + after_ms;
	pthread_mutex_unlock(&sc->watch_lock);
}

/* Until the request line: the idle timeout and a head's time. */
static int64_t before_line_ms(const struct server_ctx *sc)
{
	return ((int64_t)sc->cfg->timeout_secs + sc->cfg->head_timeout_secs) * 1000;
}

static void on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
			  enum MHD_ConnectionNotificationCode code)
{
	struct server_ctx *sc = cls;
	struct conn_watch *w = *socket_context;

	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		const union MHD_ConnectionInfo *ci =
			MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
		w = calloc(1, sizeof *w);
		if (!w || !ci) { /* unwatched: the idle timeout still holds */
			free(w);
			return;
		}
		w->fd = ci->connect_fd;
		w->deadline_ms = now_ms() + before_line_ms(sc);
		pthread_mutex_lock(&sc->watch_lock);
		w->next = sc->watched;
		if (w->next)
			w->next->prev = w;
		sc->watched = w;
		pthread_mutex_unlock(&sc->watch_lock);
		*socket_context = w;
		return;
	}
	/* Closed: MHD closes the socket only after this returns, so the
	 * watchdog never touches a descriptor that could be reused. */
	if (!w)
		return;
	pthread_mutex_lock(&sc->watch_lock);
	if (w->linger && sc->nlinger < LINGER_MAX) {
		int fd = dup(w->fd);
		if (fd >= 0) {
			shutdown(fd, SHUT_WR); /* the answer is out: end it */
			sc->linger[sc->nlinger++] = (struct lingering){fd, now_ms() + LINGER_MS, 0};
		}
	}
	if (w->prev)
		w->prev->next = w->next;
	else
		sc->watched = w->next;
	if (w->next)
		w->next->prev = w->prev;
	pthread_mutex_unlock(&sc->watch_lock);
	free(w);
	*socket_context = NULL;
}

/* Read and drop what a lingering connection has; 0 when it is done with
 * (the client's end, an error, or enough). */
static int linger_drain(struct lingering *l)
{
	char sink[16384];
	for (;;) {
		ssize_t n = recv(l->fd, sink, sizeof sink, MSG_DONTWAIT);
		if (n > 0) {
			l->drained += (size_t)n;
			if (l->drained > DRAIN_MAX)
				return 0;
			continue;
		}
		return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR);
	}
}

/* Cut the connections whose head is late: a 408 over plain HTTP (MHD
 * writes nothing while it reads a head), then a shutdown, which MHD sees
 * as the client's end and closes.  Caller holds watch_lock. */
static void watchdog_cut(struct server_ctx *sc, int64_t now)
{
	struct conn_watch *w;

	for (w = sc->watched; w; w = w->next) {
		if (!w->deadline_ms || w->deadline_ms > now)
			continue;
		if (!sc->tls)
			(void)!send(w->fd, HEAD_TIMEOUT_REPLY, sizeof HEAD_TIMEOUT_REPLY - 1,
				    MSG_DONTWAIT | MSG_NOSIGNAL);
		shutdown(w->fd, SHUT_RDWR);
		w->deadline_ms = 0;
	}
}

/* The watchdog thread: head deadlines and lingering closes, waking on a
 * lingering connection's data or every quarter second. */
static void *watchdog_run(void *arg)
{
	struct server_ctx *sc = arg;
	struct pollfd pfd[LINGER_MAX];

	pthread_mutex_lock(&sc->watch_lock);
	while (!sc->watch_stop) {
		unsigned i, n = sc->nlinger;
		int64_t now;

		for (i = 0; i < n; i++)
			pfd[i] = (struct pollfd){.fd = sc->linger[i].fd, .events = POLLIN};
		pthread_mutex_unlock(&sc->watch_lock);
		(void)poll(pfd, n, 250);
		pthread_mutex_lock(&sc->watch_lock);
		now = now_ms();
		watchdog_cut(sc, now);
		/* Only the watchdog removes lingering entries, and new ones
		 * are appended: the first n are those polled. */
		for (i = n; i-- > 0;) {
			struct lingering *l = &sc->linger[i];
			int keep = l->until_ms > now;
			if (keep && pfd[i].revents)
				keep = linger_drain(l);
			if (keep)
				continue;
			close(l->fd);
			*l = sc->linger[--sc->nlinger];
		}
	}
	for (; sc->nlinger > 0; sc->nlinger--)
		close(sc->linger[sc->nlinger - 1].fd);
	pthread_mutex_unlock(&sc->watch_lock);
	return NULL;
}

/* After the daemons stopped (every connection closed). */
static void watchdog_stop(struct server_ctx *sc)
{
	pthread_mutex_lock(&sc->watch_lock);
	sc->watch_stop = 1;
	pthread_mutex_unlock(&sc->watch_lock);
	pthread_join(sc->watchdog, NULL);
	pthread_mutex_destroy(&sc->watch_lock);
}

static enum http_method method_of(const char *m)
{
	if (!strcmp(m, "GET") || !strcmp(m, "HEAD"))
		return M_GET;
	if (!strcmp(m, "POST"))
		return M_POST;
	if (!strcmp(m, "PATCH"))
		return M_PATCH;
	if (!strcmp(m, "PUT"))
		return M_PUT;
	if (!strcmp(m, "DELETE"))
		return M_DELETE;
	return M_OTHER;
}

static void client_addr(struct MHD_Connection *c, char *out, size_t n)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr *sa = ci ? ci->client_addr : NULL;

	snprintf(out, n, "unknown");
	if (!sa)
		return;
	if (sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, out,
			  (socklen_t)n);
	else if (sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, out,
			  (socklen_t)n);
}

/* A handler that sets Cache-Control itself (the public pages) keeps it;
 * every other answer built by a handler is no-store. */
static int sets_cache_control(const struct req *r)
{
	int i;
	for (i = 0; i < r->nhdr; i++)
		if (!strcasecmp(r->hdr_name[i], "Cache-Control"))
			return 1;
	return 0;
}

static void add_security_headers(struct MHD_Response *resp, const struct req *r, int tls)
{
	MHD_add_response_header(resp, "Content-Security-Policy", CSP);
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	MHD_add_response_header(resp, "Cross-Origin-Opener-Policy", "same-origin");
	MHD_add_response_header(resp, "Cross-Origin-Resource-Policy", "same-origin");
	MHD_add_response_header(resp, "Permissions-Policy",
				"camera=(), microphone=(), geolocation=(), interest-cohort=()");
	if (tls)
		MHD_add_response_header(resp, "Strict-Transport-Security", "max-age=31536000");
	if (!r->static_data && !sets_cache_control(r))
		MHD_add_response_header(resp, "Cache-Control", "no-store");
}

static void wipe_free(void *p)
{
	if (p) {
		explicit_bzero(p, malloc_usable_size(p));
		free(p);
	}
}

/*
 * A stop answers what it has begun.  libmicrohttpd must not be stopped
 * while a connection is suspended (it aborts the process), and a change
 * already committed should reach its client.  So from the signal on, new
 * requests are answered 503 and their connections closed, changes still
 * queued for the offload threads are answered 503, and the stop waits
 * until every suspended connection is resumed (each wait in them is
 * bounded: the writer's 10 s, a password hash) and their answers are out.
 */
static atomic_int stopping;
static atomic_int suspended; /* connections suspended now */
static atomic_int inflight;  /* requests dispatched and not completed */
/* A stop waits on `drained` for the two counts to reach 0. */
static pthread_mutex_t drain_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t drained = PTHREAD_COND_INITIALIZER;

/* One fewer of count; the stop told when it is waiting. */
static void drain(atomic_int *count)
{
	if (atomic_fetch_sub(count, 1) == 1 && atomic_load(&stopping)) {
		pthread_mutex_lock(&drain_lock);
		pthread_cond_broadcast(&drained);
		pthread_mutex_unlock(&drain_lock);
	}
}

int http_stopping(void)
{
	return atomic_load(&stopping);
}

static enum MHD_Result send_reply(struct server_ctx *sc, struct req *r)
{
	struct MHD_Response *resp;
	enum MHD_Result ret;
	int i;

	if (r->static_data) {
		resp = MHD_create_response_from_buffer(r->static_len, (void *)r->static_data,
						       MHD_RESPMEM_PERSISTENT);
	} else {
		size_t len;
		char *body = buf_detach(&r->out, &len);
		/* Answers carry personal data: wiped when MHD is done with them. */
		resp = MHD_create_response_from_buffer_with_free_callback(len, body, wipe_free);
		if (!resp)
			wipe_free(body);
	}
	if (!resp)
		return MHD_NO;
	if (r->content_type)
		MHD_add_response_header(resp, "Content-Type", r->content_type);
	for (i = 0; i < r->nhdr; i++)
		MHD_add_response_header(resp, r->hdr_name[i], r->hdr_value[i]);
	add_security_headers(resp, r, sc->tls);
	ret = MHD_queue_response(r->conn, (unsigned)(r->status ? r->status : 500), resp);
	MHD_destroy_response(resp);
	if (sc->cfg->observe) {
		struct timespec now;
		clock_gettime(CLOCK_MONOTONIC, &now);
		sc->cfg->observe(r, (double)(now.tv_sec - r->began.tv_sec) +
					    (double)(now.tv_nsec - r->began.tv_nsec) / 1e9);
	}
	return ret;
}

static enum MHD_Result too_large(struct server_ctx *sc, struct req *r, size_t cap)
{
	struct conn_watch *w = watch_of(r->conn);

	if (w) {
		pthread_mutex_lock(&sc->watch_lock);
		w->linger = 1;
		pthread_mutex_unlock(&sc->watch_lock);
	}
	buf_free(&r->body);
	reply_problemf(r, 413, "body-too-large", "the request body is larger than %zu bytes", cap);
	r->answered = 1;
	return send_reply(sc, r);
}

/* A new request's state, made as soon as its request line is in (MHD's
 * URI log callback, which sees the target before any decoding): the
 * target is checked here, once for every route. */
static struct req *req_new(struct server_ctx *sc, const char *target)
{
	struct req *r = calloc(1, sizeof *r);

	if (!r)
		return NULL;
	arena_init(&r->mem, REQ_ARENA_CAP);
	buf_init(&r->body, sc->cfg->body_max);
	buf_init(&r->out, 64u << 20);
	r->app = sc->app;
	r->target = target ? router_check_target(target) : TARGET_OK;
	clock_gettime(CLOCK_MONOTONIC, &r->began);
	return r;
}

static void *on_request_line(void *cls, const char *target, struct MHD_Connection *c)
{
	struct server_ctx *sc = cls;
	watch_set(sc, c, (int64_t)sc->cfg->head_timeout_secs * 1000);
	return req_new(sc, target);
}

/* The request's head is in: fill in what MHD parsed.  A declared body
 * over the cap is answered at once, before any of it is read. */
static enum MHD_Result on_head(struct server_ctx *sc, struct MHD_Connection *c, struct req *r,
			       const char *url, const char *method)
{
	const char *cl;
	size_t cap;

	r->conn = c;
	r->method = method_of(method);
	r->method_name = method;
	r->path = url;
	r->started = 1;
	watch_set(sc, c, -1);
	client_addr(c, r->addr, sizeof r->addr);
	cap = sc->cfg->body_cap ? sc->cfg->body_cap(r->method, url) : 0;
	if (!cap)
		cap = sc->cfg->body_max;
	buf_free(&r->body);
	buf_init(&r->body, cap);
	cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
	if (cl) {
		char *end;
		unsigned long long v = strtoull(cl, &end, 10);
		if (!*cl || *end || v > cap) {
			r->body_too_large = 1;
			return too_large(sc, r, cap);
		}
	}
	return MHD_YES;
}

/* A target that failed router_check_target(). */
static enum MHD_Result bad_target(struct server_ctx *sc, struct req *r)
{
	if (r->target == TARGET_BAD_QUERY)
		reply_problem(r, 400, "invalid-query",
			      "the query string is not properly escaped UTF-8 (or holds a NUL)");
	else
		reply_problem(r, 400, "invalid-path",
			      "the path is not properly escaped UTF-8 (or holds a NUL)");
	r->answered = 1;
	return send_reply(sc, r);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
				  const char *method, const char *version,
				  const char *upload, size_t *upload_size, void **con_cls)
{
	struct server_ctx *sc = cls;
	struct req *r = *con_cls;
	int rc;

	(void)version;
	if (!r) {
		r = req_new(sc, NULL);
		if (!r)
			return MHD_NO;
		*con_cls = r;
	}
	if (!r->started)
		return on_head(sc, c, r, url, method);
	if (*upload_size) {
		if (!r->body_too_large) {
			buf_add(&r->body, upload, *upload_size);
			if (!buf_ok(&r->body)) {
				r->body_too_large = 1;
				buf_free(&r->body);
			}
		} else {
			r->dropped += *upload_size;
		}
		*upload_size = 0;
		if (r->body_too_large && r->dropped > DRAIN_MAX && !r->answered)
			return too_large(sc, r, r->body.cap);
		return MHD_YES;
	}
	if (r->answered)
		return MHD_YES;
	if (r->body_too_large)
		return too_large(sc, r, r->body.cap);
	if (r->target != TARGET_OK)
		return bad_target(sc, r);
	if (!r->dispatched) {
		r->dispatched = 1;
		atomic_fetch_add(&inflight, 1);
		if (atomic_load(&stopping)) {
			reply_problem(r, 503, "busy", "the server is stopping: try again");
			reply_header(r, "Connection", "close");
			r->answered = 1;
			return send_reply(sc, r);
		}
	}
	rc = sc->dispatch(r);
	if (rc == HTTP_SUSPENDED)
		return MHD_YES;
	r->answered = 1;
	return send_reply(sc, r);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	struct server_ctx *sc = cls;
	struct req *r = *con_cls;
	(void)toe;
	watch_set(sc, c, before_line_ms(sc));
	if (!r)
		return;
	if (r->dispatched)
		drain(&inflight);
	if (r->body_json)
		json_decref(r->body_json);
	while (r->nowned > 0)
		json_decref(r->owned[--r->nowned]);
	buf_free(&r->body);
	buf_free(&r->out);
	arena_free(&r->mem);
	free(r);
	*con_cls = NULL;
}

void http_suspend(struct req *r)
{
	if (http_offload_keep(r))
		return;
	atomic_fetch_add(&suspended, 1);
	MHD_suspend_connection(r->conn);
}

void http_resume(struct req *r)
{
	MHD_resume_connection(r->conn);
	drain(&suspended);
}

/* a at or after b */
static int after(const struct timespec *a, const struct timespec *b)
{
	return a->tv_sec > b->tv_sec || (a->tv_sec == b->tv_sec && a->tv_nsec >= b->tv_nsec);
}

/* Wait on `drained` until *count is 0, or until the deadline (of
 * CLOCK_REALTIME, the condition's clock) when one is given; 0 when it is. */
static int drain_wait(atomic_int *count, const struct timespec *deadline)
{
	pthread_mutex_lock(&drain_lock);
	while (atomic_load(count) > 0) {
		struct timespec now, at;
		clock_gettime(CLOCK_REALTIME, &now);
		if (deadline && after(&now, deadline))
			break;
		at = now;
		at.tv_sec += 10;
		if (deadline && after(&at, deadline))
			at = *deadline;
		if (pthread_cond_timedwait(&drained, &drain_lock, &at) == ETIMEDOUT &&
		    !(deadline && after(&at, deadline)))
			fprintf(stderr, "himoya: stopping: %d requests still wait\n",
				atomic_load(count));
	}
	pthread_mutex_unlock(&drain_lock);
	return atomic_load(count) > 0 ? -1 : 0;
}

/* Wait (the signal taken) for what was begun: see `stopping`. */
static void stop_gently(void)
{
	struct timespec out;

	atomic_store(&stopping, 1);
	http_offload_stop();
	drain_wait(&suspended, NULL);
	/* Their answers on their way out (2 s at most). */
	clock_gettime(CLOCK_REALTIME, &out);
	out.tv_sec += 2;
	drain_wait(&inflight, &out);
}

/* Parse host:port into a sockaddr; 0 on success. */
static int parse_listen(const char *s, struct sockaddr_storage *ss, socklen_t *len, int *v6,
			char *err, size_t errlen)
{
	char host[128];
	const char *colon, *port;
	char *end;
	unsigned long p;

	memset(ss, 0, sizeof *ss);
	*v6 = 0;
	if (s[0] == '[') {
		const char *close = strchr(s, ']');
		if (!close || close[1] != ':' || (size_t)(close - s - 1) >= sizeof host)
			goto bad;
		memcpy(host, s + 1, (size_t)(close - s - 1));
		host[close - s - 1] = '\0';
		port = close + 2;
		*v6 = 1;
	} else {
		colon = strrchr(s, ':');
		if (!colon || (size_t)(colon - s) >= sizeof host || colon == s)
			goto bad;
		memcpy(host, s, (size_t)(colon - s));
		host[colon - s] = '\0';
		port = colon + 1;
	}
	errno = 0;
	p = strtoul(port, &end, 10);
	if (!*port || *end || errno || p == 0 || p > 65535)
		goto bad;
	if (*v6) {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;
		a->sin6_family = AF_INET6;
		a->sin6_port = htons((uint16_t)p);
		if (inet_pton(AF_INET6, host, &a->sin6_addr) != 1)
			goto bad;
		*len = sizeof *a;
	} else {
		struct sockaddr_in *a = (struct sockaddr_in *)ss;
		a->sin_family = AF_INET;
		a->sin_port = htons((uint16_t)p);
		if (inet_pton(AF_INET, host, &a->sin_addr) != 1)
			goto bad;
		*len = sizeof *a;
	}
	return 0;
bad:
	snprintf(err, errlen, "bad listen address '%s': expected IPv4:PORT or [IPv6]:PORT", s);
	return -1;
}

int http_parse_listen(const char *s, char *err, size_t errlen)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int v6;
	return parse_listen(s, &ss, &len, &v6, err, errlen);
}

static char *read_file(const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	buf b;
	char chunk[4096];
	size_t n;

	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	buf_init(&b, 1u << 20);
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_add(&b, chunk, n);
	fclose(f);
	if (!buf_ok(&b)) {
		buf_free(&b);
		snprintf(err, errlen, "%s: too large", path);
		return NULL;
	}
	return buf_detach(&b, NULL);
}

#define HTTP_MAX_DAEMONS 16

/* A listening TCP socket on ss; with reuse, one of a SO_REUSEPORT group.
 * -1 (errno set) when it cannot be bound. */
static int listen_on(const struct sockaddr_storage *ss, socklen_t slen, int v6, int reuse)
{
	int fd = socket(ss->ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0), on = 1, e;

	if (fd < 0)
		return -1;
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on) != 0 ||
	    (reuse && setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &on, sizeof on) != 0) ||
	    (v6 && setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof on) != 0) ||
	    bind(fd, (const struct sockaddr *)ss, slen) != 0 || listen(fd, SOMAXCONN) != 0) {
		e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

/* One daemon (and its one thread) on the listening socket fd. */
static struct MHD_Daemon *daemon_on(struct server_ctx *sc, unsigned flags, int fd,
				    unsigned conn_limit, unsigned per_ip, const char *cert,
				    const char *key)
{
	const struct http_config *cfg = sc->cfg;

	if (sc->tls)
		return MHD_start_daemon(flags, 0, NULL, NULL, on_request, sc,
					MHD_OPTION_LISTEN_SOCKET, (MHD_socket)fd,
					MHD_OPTION_CONNECTION_LIMIT, conn_limit,
					MHD_OPTION_PER_IP_CONNECTION_LIMIT, per_ip,
					MHD_OPTION_CONNECTION_TIMEOUT, cfg->timeout_secs,
					MHD_OPTION_NOTIFY_COMPLETED, on_completed, sc,
					MHD_OPTION_URI_LOG_CALLBACK, on_request_line, sc,
					MHD_OPTION_NOTIFY_CONNECTION, on_connection, sc,
					MHD_OPTION_HTTPS_MEM_CERT, cert,
					MHD_OPTION_HTTPS_MEM_KEY, key,
					MHD_OPTION_END);
	return MHD_start_daemon(flags, 0, NULL, NULL, on_request, sc,
				MHD_OPTION_LISTEN_SOCKET, (MHD_socket)fd,
				MHD_OPTION_CONNECTION_LIMIT, conn_limit,
				MHD_OPTION_PER_IP_CONNECTION_LIMIT, per_ip,
				MHD_OPTION_CONNECTION_TIMEOUT, cfg->timeout_secs,
				MHD_OPTION_NOTIFY_COMPLETED, on_completed, sc,
				MHD_OPTION_URI_LOG_CALLBACK, on_request_line, sc,
				MHD_OPTION_NOTIFY_CONNECTION, on_connection, sc,
				MHD_OPTION_END);
}

/* cfg->threads daemons of one thread each, each on its own socket of a
 * SO_REUSEPORT group: the kernel spreads new connections over them.  (A
 * libmicrohttpd thread pool shares one listening socket, and whichever
 * thread wakes first may accept a whole burst of connections: under
 * bench/run.sh's wrk, one thread of two at times served all 64, for half
 * the requests/s.)  The connection bounds are split evenly among them. */
int http_serve(const struct http_config *cfg, http_dispatch_fn dispatch, struct app *app,
	       char *err, size_t errlen)
{
	struct server_ctx sc = {.cfg = cfg, .dispatch = dispatch, .app = app};
	struct sockaddr_storage ss;
	socklen_t slen;
	struct MHD_Daemon *d[HTTP_MAX_DAEMONS];
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL |
			 MHD_ALLOW_SUSPEND_RESUME | MHD_USE_TURBO;
	unsigned n = cfg->threads < 1 ? 1 : cfg->threads > HTTP_MAX_DAEMONS ? HTTP_MAX_DAEMONS
									      : cfg->threads;
	unsigned conn_limit = (cfg->max_connections + n - 1) / n;
	unsigned per_ip = (cfg->max_per_ip + n - 1) / n;
	unsigned i, started = 0;
	char *cert = NULL, *key = NULL;
	sigset_t set;
	int v6, sig, fd, bound;

	if (parse_listen(cfg->listen, &ss, &slen, &v6, err, errlen))
		return -1;
	if (v6)
		flags |= MHD_USE_IPv6;
	if (cfg->tls_cert[0] || cfg->tls_key[0]) {
		if (MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES) {
			snprintf(err, errlen, "this libmicrohttpd has no TLS support");
			return -1;
		}
		struct stat st;

		/* The private key as the folder's key: the server's alone (one
		 * readable by all was taken: an outside review). */
		if (stat(cfg->tls_key, &st) == 0 && (st.st_mode & 077)) {
			snprintf(err, errlen, "%s: the TLS private key is readable by other users: "
					      "chmod 600 it (and keep it owned by the server's user)",
				 cfg->tls_key);
			return -1;
		}
		cert = read_file(cfg->tls_cert, err, errlen);
		key = cert ? read_file(cfg->tls_key, err, errlen) : NULL;
		if (!cert || !key) {
			free(cert);
			return -1;
		}
		flags |= MHD_USE_TLS;
		sc.tls = 1;
	}

	/* Signals are taken with sigwait below; block them before MHD's
	 * threads start so that they inherit the mask. */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	pthread_mutex_init(&sc.watch_lock, NULL);
	if (pthread_create(&sc.watchdog, NULL, watchdog_run, &sc) != 0) {
		snprintf(err, errlen, "cannot start the watchdog thread");
		free(cert);
		free(key);
		return -1;
	}

	/* A plain socket first: it fails when anything (another himoya in
	 * its own SO_REUSEPORT group too) listens there already. */
	fd = listen_on(&ss, slen, v6, 0);
	if (fd >= 0)
		close(fd);
	bound = fd >= 0;
	for (i = 0; fd >= 0 && i < n; i++) {
		fd = listen_on(&ss, slen, v6, 1);
		d[i] = fd >= 0 ? daemon_on(&sc, flags, fd, conn_limit, per_ip, cert, key) : NULL;
		if (!d[i]) {
			/* Not closed here: whether libmicrohttpd closed it
			 * already is not said, and the process ends. */
			fd = -1;
		} else {
			started++;
		}
	}
	/* Twice the request threads (4 at least) to run changes: those
	 * waiting for the writer do not keep the others from starting. */
	if (started < n || http_offload_start(n < 2 ? 4 : 2 * n) != 0) {
		http_offload_stop();
		for (i = 0; i < started; i++)
			MHD_stop_daemon(d[i]);
		if (bound && sc.tls && started == 0) /* the address was free: the pair did not load */
			snprintf(err, errlen, "cannot serve TLS on %s: %s and %s do not load as a PEM "
					      "certificate and its own private key",
				 cfg->listen, cfg->tls_cert, cfg->tls_key);
		else
			snprintf(err, errlen, "cannot listen on %s (address in use or not permitted?)",
				 cfg->listen);
		watchdog_stop(&sc);
		free(cert);
		free(key);
		return -1;
	}
	fprintf(stderr, "himoya: serving on %s://%s\n", sc.tls ? "https" : "http", cfg->listen);
	do
		sigwait(&set, &sig);
	while (sig != SIGTERM && sig != SIGINT);
	fprintf(stderr, "himoya: stopping\n");
	stop_gently();
	for (i = 0; i < n; i++)
		MHD_stop_daemon(d[i]);
	watchdog_stop(&sc);
	free(cert);
	free(key);
	return 0;
}
