/*
 * idempotency.c - a change sent again is answered, not made twice.
 *
 * On a weak link the answer to a change can be lost after the change was
 * made: the hotline operator sees an error and saves the call again, and
 * it is logged twice (or a server fails over between the two).  A client
 * that sends `Idempotency-Key: K` with a POST or PATCH (signed in) gets,
 * for every later request of the same user (in the same role and
 * organisation) with the same K within IDEM_KEEP_SECS, an answer to the
 * first instead of a second change (`Idempotent-Replayed: true`):
 *
 *  - a first that made or changed a record (a 2xx with Location, or a
 *    PATCH): the record as it is now, read through its own GET route, so
 *    under the permissions of now, its sealed fields audited as any read,
 *    with the first's status;
 *  - a first whose answer is not a record to read again (an action, a
 *    one-time secret such as a token or a password): 409 `already-made`,
 *    the answer itself never kept;
 *  - while the first is still being made, whatever the request: 409
 *    `in-progress` with Retry-After (the two may reach two servers: the
 *    key is claimed in the database, store_idem_claim); once it is a
 *    minute old, the same without Retry-After (its server stopped: it may
 *    or may not be made);
 *  - the same key with another method, target or body, the first made:
 *    422 `idempotency-key-reused`, nothing done;
 *  - a first answer that was a problem (4xx, 5xx) is not kept: the change
 *    was not made, and the key may be sent again.
 *
 * Kept per key: the first's status, and the path to read again sealed;
 * the keys and requests as keyed hashes; for a day.  DELETE and PUT are
 * idempotent as they are (a sign-out sent again signs out again), and so
 * is a question asked by POST (ROUTE_QUESTION: is this person known
 * elsewhere, which pairs are likely duplicates): sent again with its key,
 * it is asked again, never answered "already made".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>

#include "api/api.h"
#include "http/router.h"

#define IDEM_KEY_MAX 128
#define IDEM_KEEP_SECS 86400
/* A first still running after this long never finished (its server
 * stopped): it may or may not have been made. */
#define IDEM_RUNNING_SECS 60

struct idem {
	unsigned char key[LIMIT_KEY_BYTES];
};

static int key_ok(const char *k, size_t n)
{
	size_t i;
	if (n < 1 || n > IDEM_KEY_MAX)
		return 0;
	for (i = 0; i < n; i++)
		if (k[i] < 0x21 || k[i] > 0x7e || k[i] == '"' || k[i] == '\\')
			return 0;
	return 1;
}

/* The request as a keyed hash: method, path, query and body. */
static void request_hash(struct req *r, unsigned char out[LIMIT_KEY_BYTES])
{
	buf b;

	buf_init(&b, r->body.len + strlen(r->path) + 65536); /* the query's arguments fit MHD's own buffer */
	buf_puts(&b, r->method_name);
	buf_putc(&b, '\n');
	buf_puts(&b, r->path);
	buf_putc(&b, '\n');
	req_query_string(r, &b);
	buf_putc(&b, '\n');
	buf_add(&b, r->body.data ? r->body.data : "", r->body.len);
	if (b.overflow) /* never equal to a request's hash: every try refused */
		random_bytes(out, LIMIT_KEY_BYTES);
	else
		blind_index(&r->app->kr, "idempotency:request", b.data, b.len, out);
	buf_free(&b);
}

static void ad_of(const unsigned char key[LIMIT_KEY_BYTES], char ad[2 * LIMIT_KEY_BYTES + 1])
{
	sodium_bin2hex(ad, 2 * LIMIT_KEY_BYTES + 1, key, LIMIT_KEY_BYTES);
}

/* Read the record at path (the first's Location, or the path a PATCH
 * changed) through its own GET route, as the caller is now; the first's
 * status when it is there.  0 when there is no such route. */
static int read_again(struct req *r, const char *path, int status)
{
	enum http_method method = r->method;
	const char *method_name = r->method_name, *was = r->path;
	const struct route *rt;
	int rc;

	r->method = M_GET;
	r->method_name = "GET";
	r->path = path;
	r->nparams = 0;
	r->view = NULL;
	if (router_match(api_routes, api_routes_count, r, &rt) != ROUTE_FOUND ||
	    (rt->flags & ROUTE_WRITES)) {
		r->method = method;
		r->method_name = method_name;
		r->path = was;
		return 0;
	}
	r->route = rt;
	buf_reset(&r->out);
	r->nhdr = 0;
	r->status = 0;
	rc = rt->fn(r);
	if (rc == 200) {
		r->status = rc = status;
		if (status == 201)
			reply_header(r, "Location", path);
	}
	reply_header(r, "Idempotent-Replayed", "true");
	return rc;
}

/* The first answer again, as the record is now (read_again), or 409 when
 * it was not a record. */
static int replay(struct req *r, const struct idem_row *row, const unsigned char key[])
{
	char ad[2 * LIMIT_KEY_BYTES + 1];
	unsigned char *plain;
	json_t *a;
	const char *read;
	size_t n;
	int rc = 0;

	ad_of(key, ad);
	if (row->answer_len <= SEAL_OVERHEAD ||
	    !(plain = arena_alloc(&r->mem, row->answer_len - SEAL_OVERHEAD + 1)) ||
	    seal_decrypt(&r->app->kr, row->answer, row->answer_len, ad, plain) != 0)
		return reply_problem(r, 500, "internal", "the first answer cannot be opened");
	n = row->answer_len - SEAL_OVERHEAD;
	a = json_loadb((const char *)plain, n, 0, NULL);
	read = json_string_value(json_object_get(a, "read"));
	if (read && (read = arena_strdup(&r->mem, read)) != NULL)
		rc = read_again(r, read, row->status);
	json_decref(a);
	if (rc)
		return rc;
	reply_header(r, "Idempotent-Replayed", "true");
	return reply_problemf(r, 409, "already-made",
			      "the change sent with this key was made (%d); its answer is not sent "
			      "again: read the record to see where it stands", row->status);
}

int api_idem_begin(struct req *r)
{
	const char *h = req_header(r, "Idempotency-Key");
	unsigned char key[LIMIT_KEY_BYTES], request[LIMIT_KEY_BYTES];
	char scoped[2 * ID_LEN + 64 + IDEM_KEY_MAX + 4];
	struct idem_row row;
	struct idem *st;
	int64_t now = (int64_t)time(NULL);
	size_t n;
	int first = 0;

	if (r->idem_seen++ || !h || !(r->method & (M_POST | M_PATCH)) || r->who.kind == AUTH_NONE ||
	    (r->route->flags & ROUTE_QUESTION))
		return 0;
	if (req_header_count(r, "Idempotency-Key") > 1)
		return reply_problem(r, 400, "invalid-header", "Idempotency-Key: sent more than once");
	while (*h == ' ' || *h == '\t') /* RFC 9110 5.5: not part of the value */
		h++;
	n = strlen(h);
	while (n && (h[n - 1] == ' ' || h[n - 1] == '\t'))
		n--;
	if (n >= 2 && h[0] == '"' && h[n - 1] == '"') { /* as a structured field's string */
		h++;
		n -= 2;
	}
	if (!key_ok(h, n))
		return reply_problem(r, 400, "invalid-header",
				     "Idempotency-Key: 1 to 128 visible characters, no quote inside");
	/* The user as they are now: after a change of role or organisation
	 * the key names a new change, which the policy judges afresh (a
	 * replay answers without asking the policy again). */
	snprintf(scoped, sizeof scoped, "%s\n%s\n%s\n%.*s", r->who.user.id, r->who.user.role,
		 r->who.user.org.id, (int)n, h);
	blind_index(&r->app->kr, "idempotency:key", scoped, strlen(scoped), key);
	request_hash(r, request);
	if (store_idem_claim(r->app->st, key, request, now + IDEM_KEEP_SECS, now, &first, &row,
			     &r->mem) != STORE_OK)
		return api_store_error(r, STORE_BUSY);
	if (first) {
		if (!(st = arena_alloc(&r->mem, sizeof *st))) {
			store_idem_drop(r->app->st, key);
			return reply_problem(r, 500, "internal", "out of memory");
		}
		memcpy(st->key, key, sizeof key);
		r->idem = st;
		return 0;
	}
	/* A first not finished comes first: whatever this request is, the
	 * client cannot know yet whether the first was made. */
	if (row.status == 0) {
		if (now - row.started > IDEM_RUNNING_SECS)
			return reply_problem(r, 409, "in-progress",
					     "the first request with this key did not finish: "
					     "look whether its change was saved before making it "
					     "again with a new key");
		reply_header(r, "Retry-After", "1");
		return reply_problem(r, 409, "in-progress",
				     "the first request with this key is still being made");
	}
	if (sodium_memcmp(row.request, request, sizeof request) != 0)
		return reply_problem(r, 422, "idempotency-key-reused",
				     "Idempotency-Key: this key was sent with another request, "
				     "which was made; a new change needs a new key");
	return replay(r, &row, key);
}

/* What is kept, sealed, of the first answer: the path to read again (its
 * Location, or the record a PATCH changed), never the answer itself (a
 * one-time secret, a record the caller may not read later).  Its status
 * is the row's own column (store_idem_done). */
static json_t *answer_of(struct req *r)
{
	const char *read = NULL;
	int i;

	for (i = 0; i < r->nhdr; i++)
		if (!strcasecmp(r->hdr_name[i], "Location") &&
		    !strncmp(r->hdr_value[i], "/api/v1/", 8))
			read = r->hdr_value[i];
	if (!read && r->method == M_PATCH)
		read = r->path;
	return json_pack("{s:s?}", "read", read);
}

void api_idem_end(struct req *r)
{
	struct idem *st = r->idem;
	char ad[2 * LIMIT_KEY_BYTES + 1], *text;
	unsigned char *sealed;
	size_t n;
	json_t *a;

	if (!st)
		return;
	r->idem = NULL;
	if (r->status < 200 || r->status >= 300 || r->static_data) {
		store_idem_drop(r->app->st, st->key);
		return;
	}
	/* The change was made: from here a failure leaves the key
	 * "running", so that a second try is told so, never made twice. */
	a = answer_of(r);
	text = a ? json_dumps(a, JSON_COMPACT) : NULL;
	json_decref(a);
	if (!text)
		return;
	n = strlen(text);
	ad_of(st->key, ad);
	if ((sealed = malloc(n + SEAL_OVERHEAD)) != NULL) {
		seal_encrypt(&r->app->kr, (const unsigned char *)text, n, ad, sealed);
		if (store_idem_done(r->app->st, st->key, r->status, sealed, n + SEAL_OVERHEAD) !=
		    STORE_OK)
			fprintf(stderr, "himoya: an idempotency key's answer could not be kept\n");
		free(sealed);
	}
	sodium_memzero(text, n);
	free(text);
}
