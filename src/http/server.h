/*
 * server.h - the HTTP server on libmicrohttpd.
 *
 * Connections are kept alive (a handler is only ever called once the
 * whole request is in, never on MHD's first call), bounded in number
 * overall and per client address, timed out when idle, and request bodies
 * are capped (413 past the cap, at once when the declared length is over
 * it).  A request head has a deadline that trickled bytes do not move:
 * its request line must come within timeout_secs + head_timeout_secs of
 * the connection opening or of the previous answer, and its headers
 * within head_timeout_secs of the request line; past it the connection
 * gets a 408 (over plain HTTP) and is closed.  Every response gets the security
 * headers.  http_serve() returns after SIGTERM or SIGINT.
 */
#ifndef HIMOYA_SERVER_H
#define HIMOYA_SERVER_H

#include <stddef.h>

#include "http/request.h"

struct http_config {
	char listen[128];        /* "127.0.0.1:8080", "[::1]:8080", "0.0.0.0:8080" */
	unsigned threads;
	unsigned max_connections;
	unsigned max_per_ip;
	unsigned timeout_secs;      /* idle: MHD's timeout, reset by every byte */
	unsigned head_timeout_secs; /* a request head must be in this long after its request line */
	size_t body_max;
	char tls_cert[1024];     /* PEM files; both set means HTTPS */
	char tls_key[1024];
	/* The body cap of a request (method, path) (0: body_max): smaller
	 * for a route open to anyone, larger for a file upload; taken as
	 * soon as the head is in: a declared
	 * Content-Length over it is refused at once, and a chunked body
	 * stops at it.  NULL for none. */
	size_t (*body_cap)(unsigned method, const char *path);
	/* Told of every answer queued, with the seconds since its request
	 * line (metrics); NULL for none. */
	void (*observe)(const struct req *r, double seconds);
};

/* Called once the request is complete; returns HTTP_SUSPENDED after
 * suspending the connection, anything else when the response is set. */
typedef int (*http_dispatch_fn)(struct req *r);

/* Parse "host:port" into cfg-independent form; 0 when valid. */
int http_parse_listen(const char *s, char *err, size_t errlen);

/* Serve until a signal; 0 on a clean stop, -1 when it cannot start. */
int http_serve(const struct http_config *cfg, http_dispatch_fn dispatch, struct app *app,
	       char *err, size_t errlen);

/* Resume a connection suspended by a handler (any thread). */
void http_resume(struct req *r);
/* Suspend the current connection (from a handler). */
void http_suspend(struct req *r);

/* 1 once a stop has begun (the signal taken). */
int http_stopping(void);

/* Handlers that may wait (http/offload.c): n threads to run them. */
int http_offload_start(unsigned n);
void http_offload_stop(void);
/* Run fn(r) on one of them, the connection suspended meanwhile, and
 * HTTP_SUSPENDED; when resumed, the dispatcher finds http_offload_done
 * and calls this again for fn's answer.  fn runs here when none runs. */
int http_offload(struct req *r, http_dispatch_fn fn);
int http_offload_done(const struct req *r);
int http_offload_keep(struct req *r);

#endif
