/*
 * idempotency.c - a change sent again is answered, not made twice.
 *
 * On a weak link the answer to a change can be lost after the change was
 * made: the hotline operator sees an error and saves the call again, and
 * it is logged twice (or a server fails over between the two).  A client
 * that sends `Idempotency-Key: K` with a change (POST, PATCH, PUT,
 * DELETE, signed in) gets, for every later request of the same user with
 * the same K within IDEM_KEEP_SECS, the first answer again (with
 * `Idempotent-Replayed: true`) instead of a second change:
 *
 *  - the same key with another method, target or body: 422
 *    `idempotency-key-reused`, nothing done;
 *  - while the first is still being made: 409 `in-progress` with
 *    Retry-After (the two may reach two servers: the key is claimed in
 *    the database, store_idem_claim);
 *  - a first answer that was a problem (4xx, 5xx) is not kept: the change
 *    was not made, and the key may be sent again.
 *
 * The kept answer may hold sealed fields, so it is sealed (under the key's
 * hash) and kept a day at most; the keys themselves are keyed hashes.  A
 * replayed answer writes the read entries of the sealed fields it shows
 * as the first did (api/disclose.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>

#include "api/api.h"
#include "api/disclose.h"

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

/* The first answer again: status, type, headers, body, and the read
 * entries of what it shows. */
static int replay(struct req *r, const struct idem_row *row, const unsigned char key[])
{
	char ad[2 * LIMIT_KEY_BYTES + 1];
	unsigned char *plain;
	json_t *a, *v;
	size_t i, n;

	ad_of(key, ad);
	if (row->answer_len <= SEAL_OVERHEAD ||
	    !(plain = arena_alloc(&r->mem, row->answer_len - SEAL_OVERHEAD + 1)) ||
	    seal_decrypt(&r->app->kr, row->answer, row->answer_len, ad, plain) != 0)
		return reply_problem(r, 500, "internal", "the first answer cannot be opened");
	n = row->answer_len - SEAL_OVERHEAD;
	a = json_loadb((const char *)plain, n, 0, NULL);
	sodium_memzero(plain, n);
	if (!json_is_object(a)) {
		json_decref(a);
		return reply_problem(r, 500, "internal", "the first answer cannot be read");
	}
	buf_reset(&r->out);
	r->status = (int)json_integer_value(json_object_get(a, "status"));
	r->content_type = arena_strdup(&r->mem, json_string_value(json_object_get(a, "type")) ?
							json_string_value(json_object_get(a, "type")) :
							"application/json");
	buf_add(&r->out, json_string_value(json_object_get(a, "body")),
		json_string_length(json_object_get(a, "body")));
	json_array_foreach(json_object_get(a, "headers"), i, v)
		reply_header(r, json_string_value(json_array_get(v, 0)),
			     json_string_value(json_array_get(v, 1)));
	reply_header(r, "Idempotent-Replayed", "true");
	json_array_foreach(json_object_get(a, "read"), i, v)
		api_audit_read(r, json_string_value(json_array_get(v, 0)),
			       json_string_value(json_array_get(v, 1)));
	sodium_memzero((void *)json_string_value(json_object_get(a, "body")),
		       json_string_length(json_object_get(a, "body")));
	json_decref(a);
	return r->status;
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

	if (r->idem_seen++ || !h || r->method == M_GET || r->who.kind == AUTH_NONE)
		return 0;
	n = strlen(h);
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
	if (sodium_memcmp(row.request, request, sizeof request) != 0)
		return reply_problem(r, 422, "idempotency-key-reused",
				     "Idempotency-Key: this key was sent with another request; "
				     "a new change needs a new key");
	if (row.status == 0) {
		reply_header(r, "Retry-After", "1");
		if (now - row.started > IDEM_RUNNING_SECS)
			return reply_problem(r, 409, "in-progress",
					     "the first request with this key did not finish: "
					     "look whether its change was saved before making it "
					     "again with a new key");
		return reply_problem(r, 409, "in-progress",
				     "the first request with this key is still being made");
	}
	return replay(r, &row, key);
}

/* The answer to keep: what replay() gives back. */
static json_t *answer_of(struct req *r)
{
	json_t *a = json_pack("{s:i,s:s,s:s#,s:[],s:o}", "status", r->status, "type",
			      r->content_type ? r->content_type : "application/json", "body",
			      r->out.data ? r->out.data : "", r->out.len, "headers", "read",
			      api_disclosures_list(r));
	json_t *hs = json_object_get(a, "headers");
	int i;

	for (i = 0; a && i < r->nhdr; i++)
		if (strcasecmp(r->hdr_name[i], "Set-Cookie"))
			json_array_append_new(hs, json_pack("[s,s]", r->hdr_name[i],
							    r->hdr_value[i]));
	return a;
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
