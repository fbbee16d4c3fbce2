/*
 * request.h - one HTTP request as the handlers see it.
 *
 * The request owns an arena (freed when the connection's request
 * completes), the capped request body, the matched route parameters, the
 * authenticated principal, and the response being built.  Handlers set
 * the response with reply_json()/reply_problem() and return; the server
 * turns it into an MHD response in one place.
 */
#ifndef HIMOYA_REQUEST_H
#define HIMOYA_REQUEST_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include <jansson.h>

#include "domain/principal.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/jsonw.h"

struct MHD_Connection;
struct app;
struct route;
struct disclosed;

#define HTTP_SUSPENDED 0 /* a handler's return: call me again after resume */

enum http_method { M_GET = 1, M_POST = 2, M_PATCH = 4, M_PUT = 8, M_DELETE = 16, M_OTHER = 32 };

#define MAX_PARAMS 4
#define MAX_HEADERS 8

struct req {
	arena mem;
	struct app *app;
	struct timespec began;        /* when its request line came (CLOCK_MONOTONIC) */
	struct MHD_Connection *conn;
	enum http_method method;
	const char *method_name;
	const char *path;             /* without the query string */
	char addr[64];                /* client address, for the audit log */

	buf body;                     /* capped at the configured body_max */
	json_t *body_json;            /* parsed body, released with the request */
	json_t *owned[4];             /* more JSON released with the request */
	int nowned;
	int body_too_large;
	size_t dropped;               /* bytes of an oversized body thrown away */
	int answered;                 /* a response was queued early */
	int started;                  /* the head was seen by the access handler */
	int dispatched;               /* handed to the dispatcher (server.c counts it) */
	int target;                   /* enum target_check of the raw target */

	const char *params[MAX_PARAMS];
	int nparams;
	struct principal who;

	/* response */
	int status;
	buf out;
	const char *content_type;
	const char *hdr_name[MAX_HEADERS];
	const char *hdr_value[MAX_HEADERS];
	int nhdr;
	const unsigned char *static_data; /* a compiled-in file instead of out */
	size_t static_len;

	/* A handler may suspend the connection (to wait for the password
	 * worker) by returning HTTP_SUSPENDED; it is then called again. */
	const struct route *route;
	int phase;
	void *async;
	int offload;                  /* run off the request thread (http/offload.c) */
	int offloads;                 /* how many times: after the first, a handler goes on */
	int offload_rc;               /* and the answer it gave there */

	/* The api layer's view of the record in hand (how the caller reaches
	 * it), in the arena. */
	void *view;
	/* The owners of the case and person a change was decided on (api.c
	 * api_owner_seen), in the arena. */
	void *owners;
	/* The sealed fields written into the answer, per record (api/disclose.h):
	 * their read entries are queued when the handler is done. */
	struct disclosed *disclosed;
	int disclose_failed;
	/* The Idempotency-Key this change claimed (api/idempotency.c), and
	 * whether the header was looked at (a handler may run twice). */
	void *idem;
	int idem_seen;
};

/* Release j (a reference the caller hands over) when the request ends;
 * 0, or -1 (and j released now) when the request holds too many. */
int req_own_json(struct req *r, json_t *j);

/* Query-string argument, or NULL. */
const char *req_query(struct req *r, const char *name);
/* Request header, or NULL. */
const char *req_header(struct req *r, const char *name);
/* Append the query's arguments to out as name=value&..., in the order
 * sent (decoded). */
void req_query_string(struct req *r, buf *out);
/* How many times the header name was sent. */
int req_header_count(struct req *r, const char *name);
/* The name of the first query argument at fault, and *why: one without
 * a name ("?=x"), or without a value ("?status=", "?status"; both only
 * when strict, else such pieces are passed over), one sent a
 * second time (req_query would read the first and ignore the rest; the
 * first QUERY_ARGS_SEEN names are compared), or one check(ctx, name,
 * value) finds at fault (an unknown name, a value the name does not take;
 * check NULL: every name and value will do); NULL when none is, in one
 * pass.  Empty pieces ("?&limit=50") are no arguments. */
#define QUERY_ARGS_SEEN 64
enum query_fault { QUERY_FINE, QUERY_NAMELESS, QUERY_EMPTY, QUERY_TWICE, QUERY_UNKNOWN, QUERY_BAD };
const char *req_query_odd(struct req *r,
			  enum query_fault (*check)(const void *ctx, const char *name,
						    const char *value),
			  const void *ctx, int strict, enum query_fault *why);

/* The query's arguments but those named in skip (NULL-ended), in name
 * order, each name and value after its length ("1:a=1:1;1:b=1:2;"), in
 * the request's arena; NULL when out of memory.  Values as decoded; a
 * name given twice is refused before. */
const char *req_query_canon(struct req *r, const char *const *skip);

/* Add a response header (name and value are copied). */
void reply_header(struct req *r, const char *name, const char *value);
/* Start a JSON response: returns the writer positioned at top level. */
void reply_json_begin(struct req *r, int status, jsonw *w);
/* An RFC 9457 problem: type is a short slug, detail a sentence for people.
 * Returns status so that handlers can `return reply_problem(...)`.
 * A 422 whose detail starts "name: " (the convention of every validation
 * message) also carries "field": "name", so a form can mark that field. */
int reply_problem(struct req *r, int status, const char *type, const char *detail);
/* The same with the field at fault named explicitly (NULL: none), for a
 * detail that does not start with it.  A detail past PROBLEM_DETAIL_MAX
 * bytes, or a field past PROBLEM_FIELD_MAX, is cut with an ellipsis. */
#define PROBLEM_DETAIL_MAX 512
#define PROBLEM_FIELD_MAX 128
int reply_problem_field(struct req *r, int status, const char *type, const char *field,
			const char *detail);
int reply_problemf(struct req *r, int status, const char *type, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Parse the body as one JSON object: rejects non-JSON content types (415),
 * invalid UTF-8, duplicate keys, NUL characters and trailing data (400).
 * On failure the problem is already set and NULL is returned.  The caller
 * json_decref()s the result (api helpers do it through the arena). */
json_t *req_json_object(struct req *r);

/* The network-free part of req_json_object (and what fuzz/fuzz_body.c
 * drives): parse data[0..len) as one JSON object under the same rules.
 * Returns a new reference the caller json_decref()s, or NULL with a
 * sentence for people in why[0..whylen) (always NUL-terminated). */
json_t *body_parse_object(const char *data, size_t len, char *why, size_t whylen);

/* For the public form only: the body as req_json_object, or, declared
 * application/x-www-form-urlencoded, decoded into an object of strings
 * under the same rules (valid UTF-8, no NUL, no name twice). */
json_t *req_form_object(struct req *r);
/* The network-free part: decode data[0..len) (name=value&...). */
json_t *body_parse_form(const char *data, size_t len, char *why, size_t whylen);

#endif
