/*
 * api.c - the dispatcher: route, authenticate, check CSRF, call the
 * handler.  Authentication is a session cookie (with X-CSRF-Token on every
 * change) or an API bearer token.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sodium.h>

#include "api/api.h"
#include "api/disclose.h"
#include "api/openapi.h"
#include "codelists.h"

#define SESSION_COOKIE "himoya_session"
#define TOUCH_EVERY 60 /* seconds between writes of a session's last use (left to the
                        * audit flusher while the writer is busy: store_touch_later) */

static int cookie_value(struct req *r, char *out, size_t outlen)
{
	const char *h = req_header(r, "Cookie");
	size_t n = strlen(SESSION_COOKIE);

	while (h && *h) {
		while (*h == ' ' || *h == ';')
			h++;
		if (!strncmp(h, SESSION_COOKIE, n) && h[n] == '=') {
			const char *v = h + n + 1;
			size_t len = strcspn(v, ";");
			if (len == 0 || len >= outlen)
				return -1;
			memcpy(out, v, len);
			out[len] = '\0';
			return 0;
		}
		h = strchr(h, ';');
	}
	return -1;
}

/*
 * A small cache of recent authentications per request thread, so that a
 * busy integration or user does not cost a database query per request.
 * An entry answers only within the second (of the clock) in which it was
 * read from the database; every sign-out or change of a user's second
 * factor in this process empties all caches at once (the generation).
 * So a change made by another server on the same database, or by the
 * command line (a sign-out, a revoked token, a disabled user, a changed
 * password or role), takes effect here in less than a second.
 */
#define AUTH_CACHE_SLOTS 64
#define AUTH_CACHE_SECS 1

struct auth_cached {
	unsigned char id[HASH_BYTES];
	int64_t until;             /* answers while now < until */
	unsigned long generation;
	struct principal who;
};

static _Atomic unsigned long auth_generation = 1;
static _Thread_local struct auth_cached auth_cache[AUTH_CACHE_SLOTS];

void api_auth_changed(void)
{
	auth_generation++;
}

static struct auth_cached *auth_slot(const unsigned char id[HASH_BYTES])
{
	return &auth_cache[id[0] % AUTH_CACHE_SLOTS];
}

static int auth_cache_get(const unsigned char id[HASH_BYTES], int64_t now, struct principal *who)
{
	struct auth_cached *c = auth_slot(id);
	if (c->until <= now || c->generation != auth_generation ||
	    sodium_memcmp(c->id, id, HASH_BYTES) != 0)
		return 0;
	*who = c->who;
	return 1;
}

/* Cache who until AUTH_CACHE_SECS from now, and never from `end` on (the
 * first second a token is refused). */
static void auth_cache_put(const unsigned char id[HASH_BYTES], int64_t now, int64_t end,
			   const struct principal *who)
{
	struct auth_cached *c = auth_slot(id);
	memcpy(c->id, id, HASH_BYTES);
	c->until = now + AUTH_CACHE_SECS < end ? now + AUTH_CACHE_SECS : end;
	c->generation = auth_generation;
	c->who = *who;
}

/* Fill r->who from the bearer token or the session cookie; -1 when the
 * database could not say (busy, or a connection lost in a failover):
 * that is no answer to the credentials, so not a 401. */
static int authenticate(struct req *r)
{
	struct app *app = r->app;
	const char *auth = req_header(r, "Authorization");
	int64_t now = store_unix_now();
	char tok[128];

	r->who.kind = AUTH_NONE;
	if (auth && !strncasecmp(auth, "Bearer ", 7)) {
		unsigned char h[HASH_BYTES];
		struct token_row t;
		token_hash(&app->kr, auth + 7, h);
		int rc;
		if (auth_cache_get(h, now, &r->who) && r->who.kind == AUTH_TOKEN)
			return 0;
		r->who.kind = AUTH_NONE;
		/* Revoked and expired tokens are not found. */
		rc = store_token_get(app->st, h, now, &r->who.user, &t);
		if (rc != STORE_OK)
			return rc == STORE_NOT_FOUND ? 0 : -1;
		r->who.kind = AUTH_TOKEN;
		auth_cache_put(h, now, t.expires, &r->who);
		if (now - t.last_used >= TOUCH_EVERY) {
			store_tx *tx = store_try_begin(app->st);
			if (tx) {
				store_token_touch(tx, t.id, now);
				store_commit(tx);
			} else {
				store_touch_later(app->st, t.id, NULL, now);
			}
		}
		return 0;
	}
	if (cookie_value(r, tok, sizeof tok) == 0) {
		token_hash(&app->kr, tok, r->who.session_id);
		sodium_memzero(tok, sizeof tok);
		int rc;
		if (auth_cache_get(r->who.session_id, now, &r->who) && r->who.kind == AUTH_COOKIE)
			return 0;
		r->who.kind = AUTH_NONE;
		rc = store_session_get(app->st, r->who.session_id, now, app->cfg.session_idle_secs,
				       &r->who.session, &r->who.user);
		if (rc != STORE_OK)
			return rc == STORE_NOT_FOUND ? 0 : -1;
		r->who.kind = AUTH_COOKIE;
		auth_cache_put(r->who.session_id, now, INT64_MAX, &r->who);
		if (now - r->who.session.seen >= TOUCH_EVERY) {
			store_tx *tx = store_try_begin(app->st);
			if (tx) {
				store_session_touch(tx, r->who.session_id, now);
				store_commit(tx);
			} else {
				store_touch_later(app->st, NULL, r->who.session_id, now);
			}
		}
	}
	return 0;
}

static int csrf_ok(struct req *r)
{
	const char *sent = req_header(r, "X-CSRF-Token");
	size_t n = strlen(r->who.session.csrf);
	return sent && strlen(sent) == n && n > 0 &&
	       sodium_memcmp(sent, r->who.session.csrf, n) == 0;
}

/* A handler is done (unless suspended): the sealed fields its answer
 * shows get their read entries (api/disclose.h). */
static int handled(struct req *r, int rc)
{
	if (rc != HTTP_SUSPENDED)
		api_disclosures_flush(r);
	return rc;
}

/* A route's handler, on an offload thread (http/offload.c). */
static int run_route(struct req *r)
{
	int rc;

	store_failure_clear();
	store_wait_since((int64_t)r->began.tv_sec * 1000000 + r->began.tv_nsec / 1000);
	if ((rc = api_idem_begin(r)) == 0) {
		rc = r->route->fn(r);
		if (rc != HTTP_SUSPENDED && !r->disclose_failed)
			api_idem_end(r);
	}
	rc = handled(r, rc);
	store_wait_since(0);
	return rc;
}

/* The documented operation of each API route (api/openapi_ops.c), whose
 * query parameters are the ones a request may send. */
static const struct openapi_op **route_ops;
static pthread_once_t route_ops_once = PTHREAD_ONCE_INIT;

static void route_ops_make(void)
{
	size_t i;

	route_ops = calloc(api_routes_count, sizeof *route_ops);
	for (i = 0; route_ops && i < api_routes_count; i++)
		route_ops[i] = openapi_op_find(api_routes[i].methods, api_routes[i].pattern);
}

static const struct openapi_param *query_param(const struct openapi_op *op, const char *name)
{
	const struct openapi_param *q;

	for (q = op->query; q && q->name; q++)
		if (!strcmp(q->name, name))
			return q;
	return NULL;
}

/* Whether value is one the declared schema s takes, for the two shapes a
 * handler read loosely (an outside review: all=0 and overdue=yes taken for
 * no filter, limit=+1 for 1): an enum ("{'enum':['me','all']}", exactly
 * one of them) and an integer (digits alone, within its minimum and
 * maximum).  Other shapes are their handler's to check. */
static int schema_takes(const char *s, const char *value)
{
	if (!strncmp(s, "{'enum':[", 9)) {
		const char *p = s + 9, *end;
		size_t n = strlen(value);

		for (; *p == '\''; p = end + 1 + (end[1] == ',')) {
			if (!(end = strchr(p + 1, '\'')))
				return 1; /* not a shape this reads */
			if ((size_t)(end - p - 1) == n && !strncmp(p + 1, value, n))
				return 1;
		}
		return 0;
	}
	if (!strncmp(s, "{'type':'integer'", 17)) {
		const char *min = strstr(s, "'minimum':"), *max = strstr(s, "'maximum':");
		size_t n = strlen(value);
		long long v;

		if (!n || n > 12 || strspn(value, "0123456789") != n)
			return 0;
		v = strtoll(value, NULL, 10);
		return (!min || v >= strtoll(min + 10, NULL, 10)) &&
		       (!max || v <= strtoll(max + 10, NULL, 10));
	}
	return 1;
}

static enum query_fault query_check(const void *ctx, const char *name, const char *value)
{
	const struct openapi_param *q = query_param(ctx, name);

	if (!q)
		return QUERY_UNKNOWN;
	return schema_takes(q->schema, value) ? QUERY_FINE : QUERY_BAD;
}

/* 422 for a value the parameter does not take, saying which it takes. */
static int reply_bad_query_value(struct req *r, const struct openapi_op *op, const char *name)
{
	const char *s = query_param(op, name)->schema;
	char took[160];
	size_t n = 0;

	if (!strncmp(s, "{'enum':[", 9)) {
		for (s += 9; *s && *s != ']' && n + 2 < sizeof took; s++)
			if (*s != '\'')
				took[n++] = *s == ',' ? '|' : *s;
		took[n] = '\0';
		return reply_problemf(r, 422, "invalid-value", "%.64s: one of %s", name, took);
	}
	return reply_problemf(r, 422, "invalid-value",
			      "%.64s: a whole number, written with digits alone, in its range", name);
}

/* The route's operation in the OpenAPI document, whose query parameters
 * are the only ones it takes; NULL (any) for a route outside /api/ or one
 * not documented. */
static const struct openapi_op *route_op(const struct route *rt)
{
	if (strncmp(rt->pattern, "/api/", 5))
		return NULL;
	pthread_once(&route_ops_once, route_ops_make);
	return route_ops ? route_ops[rt - api_routes] : NULL;
}

int api_dispatch(struct req *r)
{
	const struct route *rt;
	int is_api = !strncmp(r->path, "/api/", 5);

	store_failure_clear(); /* api_store_error asks what this request met */
	if (http_offload_done(r))
		return http_offload(r, NULL);
	if (r->route) { /* resumed after a suspension: a change goes on off this thread too */
		if (r->method != M_GET || (r->route->flags & ROUTE_WRITES))
			return http_offload(r, run_route);
		return handled(r, r->route->fn(r));
	}
	switch (router_match(api_routes, api_routes_count, r, &rt)) {
	case ROUTE_NO_PATH:
		if (!is_api && r->method == M_GET)
			return api_static(r);
		return reply_problem(r, 404, "not-found", "no such resource");
	case ROUTE_NO_METHOD: {
		char *allow = arena_alloc(&r->mem, 64);
		if (allow) {
			router_allow(router_methods(api_routes, api_routes_count, r->path), allow, 64);
			reply_header(r, "Allow", allow);
		}
		return reply_problemf(r, 405, "method-not-allowed",
				      "%s is not allowed here", r->method_name);
	}
	case ROUTE_NO_MEMORY:
		return reply_problem(r, 500, "internal", "out of memory");
	case ROUTE_FOUND:
		break;
	}
	r->route = rt;
	if (!(rt->flags & ROUTE_PUBLIC)) {
		if (authenticate(r) != 0) {
			if (rt->fn == api_session_delete) /* signing out: forget it here at least */
				api_session_cookie_clear(r);
			return api_store_error(r, STORE_BUSY);
		}
		if (r->who.kind == AUTH_NONE)
			return reply_problem(r, 401, "unauthenticated", "sign in first");
		if (r->who.kind == AUTH_COOKIE && r->method != M_GET && !(rt->flags & ROUTE_NO_CSRF) &&
		    !csrf_ok(r))
			return reply_problem(r, 403, "csrf",
					     "the X-CSRF-Token header is missing or wrong");
		if (r->who.kind == AUTH_COOKIE && r->who.user.must_change_password &&
		    !(rt->flags & ROUTE_PASSWORD))
			return reply_problem(r, 403, "password-change-required",
					     "change your one-time password before going on");
		if (r->who.kind == AUTH_COOKIE && r->who.session.totp_pending &&
		    !(rt->flags & ROUTE_PENDING))
			return reply_problem(r, 403, "totp-enrolment-required",
					     "set up a second factor before going on");
		if (api_second_factor_missing(r) &&
		    !((rt->flags & ROUTE_PENDING) && r->who.kind == AUTH_COOKIE))
			return reply_problem(r, 401, "second-factor-required",
					     r->who.kind == AUTH_TOKEN
					     ? "this role requires a second factor, which a token cannot "
					       "give: sign in with your code instead"
					     : "your role now requires a second factor: sign in again "
					       "with your code");
		/* Nothing is read that the audit log cannot note (an outside
		 * review filled the disk and read names and phones, unaudited). */
		if (store_audit_failing(r->app->st) && rt->fn != api_session_delete) {
			reply_header(r, "Retry-After", "30");
			return reply_problem(r, 503, "audit-unavailable",
					     "the audit log cannot be written now (is the disk full?): "
					     "nothing is read or changed until it can; try again later");
		}
	}
	/* One value a name: a second would be ignored, and the answer would
	 * not be to the question asked (status=Active&status=Closed); only the
	 * names the request takes (a misspelt STATUS= filtered nothing,
	 * silently); and each with a value (person_id= listed every case). */
	{
		const struct openapi_op *op = route_op(rt);
		enum query_fault why;
		/* pages outside the API (op NULL) take no filter of ours: a
		 * link to one may carry "?utm=" */
		const char *odd = req_query_odd(r, op ? query_check : NULL, op, op != NULL, &why);
		if (odd && why == QUERY_NAMELESS)
			return reply_problem(r, 400, "invalid-query", "a query parameter has no name");
		if (odd && why == QUERY_EMPTY) /* a value, empty: as the handlers' 422 */
			return reply_problemf(r, 422, "invalid-value",
					      "%.64s: has no value; give one, or leave it out", odd);
		if (odd && why == QUERY_BAD)
			return reply_bad_query_value(r, op, odd);
		if (odd && why == QUERY_TWICE)
			return reply_problemf(r, 400, "invalid-query",
					      "%.64s: given more than once; give it once", odd);
		if (odd)
			return reply_problemf(r, 400, "invalid-query",
					      "%.64s: is not a parameter of this request", odd);
	}
	/* A change may wait for the database's writer (and so may the few
	 * GETs that write: an export's audit entry, a report's refresh, an
	 * audit lookup's catch-up): off the request thread, so that the reads
	 * it serves do not wait with it. */
	if (r->method != M_GET || (rt->flags & ROUTE_WRITES))
		return http_offload(r, run_route);
	return handled(r, rt->fn(r));
}

/*
 * The role's requirement is read with the principal at each request (not
 * only at sign-in), so that a role that comes to require a second factor
 * refuses its tokens and the sessions opened before, until a factor is
 * confirmed in them.  A session still to enrol (totp_pending) has its own
 * answer above.
 */
int api_second_factor_missing(const struct req *r)
{
	if (!r->who.user.totp_required)
		return 0;
	if (r->who.kind == AUTH_TOKEN)
		return 1;
	return r->who.kind == AUTH_COOKIE && !r->who.session.totp_pending &&
	       !r->who.session.totp_confirmed;
}

int api_role_in(const struct req *r, const char *const *roles)
{
	for (; *roles; roles++)
		if (!strcmp(r->who.user.role, *roles))
			return 1;
	return 0;
}

policy_relation api_own_relation(const struct req *r)
{
	return PC_OWN_ORG | (policy_org_is_authority(r->who.user.org.type) ? PC_AUTHORITY : 0);
}

void api_member_names(json_t *obj, char *out, size_t outlen)
{
	const char *key;
	json_t *v;
	size_t used = 0;

	out[0] = '\0';
	json_object_foreach(obj, key, v) {
		int n = snprintf(out + used, outlen - used, "%s%s", used ? "," : "", key);
		if (n < 0 || (size_t)n >= outlen - used) {
			out[used] = '\0';
			break;
		}
		used += (size_t)n;
	}
}

int api_may_own(const struct req *r, enum policy_action act)
{
	return policy_allows(act, r->who.user.role, api_own_relation(r)) >= 0;
}

static struct audit_entry audit_entry_of(struct req *r, const char *action, const char *record,
					 const char *fields)
{
	struct audit_entry e = {0};
	if (r->who.kind != AUTH_NONE) {
		e.user_id = r->who.user.id;
		e.org_id = r->who.user.org.id;
	}
	e.action = action;
	e.record = record;
	e.fields = fields && *fields ? fields : NULL;
	e.addr = r->addr;
	return e;
}

void api_audit_read(struct req *r, const char *record, const char *fields)
{
	struct audit_entry e = audit_entry_of(r, "read", record, fields);
	store_audit_enqueue(r->app->st, &e);
}

int api_audit_write(struct req *r, store_tx *tx, const char *action, const char *record,
		    const char *fields)
{
	struct audit_entry e = audit_entry_of(r, action, record, fields);
	return store_audit_append(tx, &e);
}

int api_if_match(struct req *r, int64_t *version)
{
	const char *h = req_header(r, "If-Match");
	char *end;
	long long v;
	int quoted = 0;

	if (!h)
		return reply_problem(r, 428, "precondition-required",
				     "send If-Match with the version you read");
	/* RFC 9110 13.1.1: If-Match compares strongly, and a weak tag
	 * never matches. */
	if ((*h == 'W' || *h == 'w') && h[1] == '/')
		return reply_problem(r, 412, "version-conflict",
				     "If-Match takes the version as sent in ETag, not a weak tag");
	if (*h == '"') {
		h++;
		quoted = 1;
	}
	/* Digits only (strtoll would take a sign or spaces), and a closing
	 * quote exactly when there was an opening one. */
	if (*h < '0' || *h > '9')
		return reply_problem(r, 412, "version-conflict", "If-Match is not a version of this record");
	v = strtoll(h, &end, 10);
	if (v < 1 || strcmp(end, quoted ? "\"" : ""))
		return reply_problem(r, 412, "version-conflict", "If-Match is not a version of this record");
	*version = v;
	return 0;
}

/* The owners a request's change was decided on: a check on a reader,
 * then the write in a transaction of its own, between which a transfer
 * may be accepted (an outside review: the old owner's notes, follow-ups
 * and consents made then were answered 201, and stuck on the new owner's
 * case as records nobody could change). */
#define OWNERS_SEEN 4
enum owners_changed {
	CHANGED_NONE, CHANGED_CASE_MOVED, CHANGED_PERSON_MOVED, CHANGED_ITEM_MOVED, CHANGED_MERGED
};
struct owners {
	size_t n;
	enum owners_changed changed;
	struct owner {
		enum owned kind;
		int merged;
		char id[ID_LEN], org[ID_LEN];
	} e[OWNERS_SEEN];
};

void api_owner_seen(struct req *r, enum owned kind, const char *id, const char *org_id, int merged)
{
	struct owners *o = r->owners;
	size_t i;

	if (!o) {
		if (!(o = arena_alloc(&r->mem, sizeof *o)))
			return;
		o->n = 0;
		o->changed = CHANGED_NONE;
		r->owners = o;
	}
	for (i = 0; i < o->n; i++)
		if (o->e[i].kind == kind && !strcmp(o->e[i].id, id)) {
			if (!o->e[i].org[0] && org_id) /* its owner too, now */
				snprintf(o->e[i].org, ID_LEN, "%s", org_id);
			return;
		}
	if (o->n == OWNERS_SEEN) /* a list's page: no change is made of it */
		return;
	o->e[o->n].kind = kind;
	o->e[o->n].merged = merged;
	snprintf(o->e[o->n].id, ID_LEN, "%s", id);
	snprintf(o->e[o->n].org, ID_LEN, "%s", org_id ? org_id : "");
	o->n++;
}

int api_owners_hold(struct req *r, store_tx *tx)
{
	struct owners *o = r->owners;
	char org[ID_LEN];
	size_t i;
	int merged;

	for (i = 0; o && i < o->n; i++) {
		int rc = store_owner_tx(tx, (int)o->e[i].kind, o->e[i].id, org, &merged);
		if (rc == STORE_ERROR)
			return rc;
		if (rc == STORE_NOT_FOUND || (o->e[i].org[0] && strcmp(org, o->e[i].org))) {
			o->changed = o->e[i].kind == OWNED_PERSON ? CHANGED_PERSON_MOVED
				   : o->e[i].kind == OWNED_CASE ? CHANGED_CASE_MOVED : CHANGED_ITEM_MOVED;
			return STORE_STALE;
		}
		if (merged && !o->e[i].merged) {
			o->changed = CHANGED_MERGED;
			return STORE_STALE;
		}
	}
	return STORE_OK;
}

int api_owners_reply(struct req *r)
{
	static const char *const moved[] = {
		[CHANGED_CASE_MOVED] = "this case has just been transferred to another organisation: "
				       "nothing was saved",
		[CHANGED_PERSON_MOVED] = "this person's record has just been transferred to another "
					 "organisation: nothing was saved",
		[CHANGED_ITEM_MOVED] = "this record has just been transferred to another organisation "
				       "with its case: nothing was saved",
	};
	const struct owners *o = r->owners;

	if (!o || o->changed == CHANGED_NONE)
		return 0;
	if (o->changed == CHANGED_MERGED)
		return api_reply_merged(r);
	return reply_problem(r, 409, "moved", moved[o->changed]);
}

int api_tx_end(struct req *r, store_tx *tx, int rc)
{
	if (!tx)
		return api_store_error(r, STORE_BUSY);
	if (rc == STORE_OK && (rc = api_owners_hold(r, tx)) == STORE_STALE && api_owners_reply(r)) {
		store_rollback(tx);
		return r->status;
	}
	if (rc != STORE_OK) {
		store_rollback(tx);
		return api_store_error(r, rc);
	}
	if (store_commit(tx) != STORE_OK)
		return api_store_error(r, STORE_ERROR);
	return 0;
}

/* Cursors: "KEY.ID" encrypted under the installation's key, base64url,
 * so that `next` tells nothing of the row it points after (its time, its
 * id), and a cursor made up is refused (a plain "X.Y" was taken as a
 * place in the list).  The associated data says which list it is of: the
 * path, the user who asked and the filter (every argument but the cursor
 * and the page's size), so that a cursor is a place in that list only
 * (one taken to another filter, list or user positioned its page). */
#define CURSOR_PLAIN (TS_LEN + ID_LEN + 2)

static const char *cursor_ad(struct req *r)
{
	static const char *const not_filter[] = {"cursor", "limit", NULL};
	const char *q = req_query_canon(r, not_filter);
	size_t n = q ? strlen(r->path) + strlen(r->who.user.id) + strlen(q) + 16 : 0;
	char *ad = n ? arena_alloc(&r->mem, n) : NULL;

	if (!ad)
		return NULL;
	snprintf(ad, n, "list-cursor\n%s\n%s\n%s", r->path, r->who.user.id, q);
	return ad;
}

void api_cursor_seal(struct req *r, const char *key, const char *id, char *out, size_t outlen)
{
	char plain[CURSOR_PLAIN];
	unsigned char ct[CURSOR_PLAIN + SEAL_OVERHEAD];
	int n = snprintf(plain, sizeof plain, "%s.%s", key, id);
	const char *ad = cursor_ad(r);

	out[0] = '\0';
	if (!ad || n < 0 || (size_t)n >= sizeof plain ||
	    outlen < sodium_base64_ENCODED_LEN((size_t)n + SEAL_OVERHEAD,
					       sodium_base64_VARIANT_URLSAFE_NO_PADDING))
		return;
	seal_encrypt(&r->app->kr, (const unsigned char *)plain, (size_t)n, ad, ct);
	sodium_bin2base64(out, outlen, ct, (size_t)n + SEAL_OVERHEAD,
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

int api_body_none(struct req *r)
{
	json_t *body;
	const char *key;
	json_t *v;

	if (!r->body.len)
		return 0;
	if (!(body = req_json_object(r)))
		return r->status;
	json_object_foreach(body, key, v)
		return reply_problem_field(r, 422, "unknown-field", key,
					   "this action takes no fields");
	return 0;
}

int api_page(struct req *r, size_t max, size_t *limit, char *key, size_t keylen, char *id,
	     size_t idlen)
{
	const char *limit_s = req_query(r, "limit"), *cursor = req_query(r, "cursor"), *dot, *ad;
	unsigned char ct[CURSOR_PLAIN + SEAL_OVERHEAD];
	char plain[CURSOR_PLAIN + 1];
	size_t n;

	if (limit_s) {
		char *end;
		unsigned long v = strtoul(limit_s, &end, 10);
		if (!*limit_s || *end || v < 1 || v > max)
			return reply_problemf(r, 422, "invalid-value", "limit: 1 to %zu", max);
		*limit = v;
	}
	if (!cursor || !*cursor)
		return 0;
	if (!(ad = cursor_ad(r)))
		return reply_problem(r, 500, "internal", "out of memory");
	if (sodium_base642bin(ct, sizeof ct, cursor, strlen(cursor), NULL, &n, NULL,
			      sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
	    n <= SEAL_OVERHEAD ||
	    seal_decrypt(&r->app->kr, ct, n, ad, (unsigned char *)plain) != 0)
		return reply_problem(r, 422, "invalid-value", "cursor: not a cursor of this list");
	plain[n - SEAL_OVERHEAD] = '\0';
	dot = strrchr(plain, '.'); /* ids hold no dot; a key may */
	if (!dot || (size_t)(dot - plain) >= keylen || strlen(dot + 1) >= idlen)
		return reply_problem(r, 422, "invalid-value", "cursor: not a cursor of this list");
	memcpy(key, plain, (size_t)(dot - plain));
	key[dot - plain] = '\0';
	snprintf(id, idlen, "%s", dot + 1);
	return 0;
}

size_t api_body_cap(unsigned method, const char *path)
{
	const struct route *rt = router_find(api_routes, api_routes_count, method, path);

	/* A route anyone may call without signing in takes a small body;
	 * a request that no route takes needs none. */
	if (!rt || (rt->flags & ROUTE_PUBLIC))
		return API_PUBLIC_BODY_MAX;
	/* A file upload has its own cap, above the JSON bodies' one. */
	if (rt->flags & ROUTE_UPLOAD)
		return API_UPLOAD_BODY_MAX;
	return 0;
}

void api_list_begin(struct req *r, jsonw *w)
{
	reply_json_begin(r, 200, w);
	jw_object(w);
	jw_key(w, "items");
	jw_array(w);
}

int api_list_end(jsonw *w, const char *next)
{
	jw_end(w);
	jw_key(w, "next");
	if (next)
		jw_str(w, next);
	else
		jw_null(w);
	jw_finish(w);
	return 200;
}

int api_query_code(struct req *r, const char *name, const struct codelist *cl, const char **out)
{
	const char *v = req_query(r, name);

	*out = NULL;
	if (!v || !*v)
		return 0;
	if (!codelist_has(cl, v))
		return reply_problemf(r, 422, "invalid-value", "%s: is not a value of %s", name,
				      cl->name);
	*out = v;
	return 0;
}

int api_store_error(struct req *r, int rc)
{
	/* The database's own word on a failure: unreachable or locked is
	 * "try again", not a fault of the server. */
	if (rc == STORE_ERROR || rc == STORE_BUSY) {
		int met = store_failure();
		if (met != STORE_ERROR)
			rc = met;
	}
	switch (rc) {
	case STORE_NOT_FOUND:
		return reply_problem(r, 404, "not-found", "no such record");
	case STORE_CONFLICT:
		return reply_problem(r, 409, "conflict", "a record with this key exists");
	case STORE_STALE:
		return reply_problem(r, 412, "version-conflict",
				     "the record changed since you read it; read it again");
	case STORE_UNAVAILABLE:
		reply_header(r, "Retry-After", "5");
		return reply_problem(r, 503, "database-unavailable",
				     "the database does not answer (down or failing over); try again");
	case STORE_BUSY:
		reply_header(r, "Retry-After", "1");
		return reply_problem(r, 503, "busy", "the database is busy; try again");
	default:
		return reply_problem(r, 500, "internal", "the store failed; nothing was changed");
	}
}

void api_client_of(const char *addr, char out[64])
{
	struct in6_addr a6;

	snprintf(out, 64, "%s", addr);
	if (!strchr(addr, ':') || inet_pton(AF_INET6, addr, &a6) != 1 || IN6_IS_ADDR_V4MAPPED(&a6))
		return;
	memset(a6.s6_addr + 8, 0, 8);
	if (inet_ntop(AF_INET6, &a6, out, 60)) {
		size_t n = strlen(out);
		snprintf(out + n, 64 - n, "/64");
	}
}
