/*
 * response.c - building responses: headers, JSON, problems (RFC 9457),
 * and the request accessors.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <microhttpd.h>

#include "http/request.h"

int req_own_json(struct req *r, json_t *j)
{
	if (r->nowned == (int)(sizeof r->owned / sizeof r->owned[0])) {
		json_decref(j);
		return -1;
	}
	r->owned[r->nowned++] = j;
	return 0;
}

const char *req_query(struct req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

static enum MHD_Result query_arg(void *cls, enum MHD_ValueKind kind, const char *key,
				  const char *value)
{
	buf *out = cls;
	(void)kind;
	buf_puts(out, key);
	buf_putc(out, '=');
	buf_puts(out, value ? value : "");
	buf_putc(out, '&');
	return MHD_YES;
}

void req_query_string(struct req *r, buf *out)
{
	MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, query_arg, out);
}

struct header_count {
	const char *name;
	int n;
};

static enum MHD_Result count_header(void *cls, enum MHD_ValueKind kind, const char *key,
				    const char *value)
{
	struct header_count *c = cls;
	(void)kind;
	(void)value;
	c->n += !strcasecmp(key, c->name);
	return MHD_YES;
}

int req_header_count(struct req *r, const char *name)
{
	struct header_count c = {name, 0};
	MHD_get_connection_values(r->conn, MHD_HEADER_KIND, count_header, &c);
	return c.n;
}

struct query_seen {
	const char *name[QUERY_ARGS_SEEN];
	size_t n;
	enum query_fault (*check)(const void *ctx, const char *name, const char *value);
	const void *ctx;
	int strict;
	const char *odd;
	enum query_fault why;
};

static enum MHD_Result query_seen(void *cls, enum MHD_ValueKind kind, const char *key,
				  const char *value)
{
	struct query_seen *q = cls;
	size_t i;
	(void)kind;
	if (!*key && (!value || !*value)) /* "?&limit=50": a query built by hand */
		return MHD_YES;
	if (!q->strict && (!*key || !value || !*value))
		return MHD_YES; /* a page's link may carry "?utm=": no filter of ours */
	q->odd = key;
	if (!*key) {
		q->why = QUERY_NAMELESS;
		return MHD_NO;
	}
	/* "?status=" or "?status": a filter that filters nothing, which a
	 * client building "person_id=" from nothing would not see. */
	if (!value || !*value) {
		q->why = QUERY_EMPTY;
		return MHD_NO;
	}
	for (i = 0; i < q->n; i++)
		if (!strcmp(q->name[i], key)) {
			q->why = QUERY_TWICE;
			return MHD_NO;
		}
	if (q->check && (q->why = q->check(q->ctx, key, value)) != QUERY_FINE)
		return MHD_NO;
	q->odd = NULL;
	if (q->n < QUERY_ARGS_SEEN)
		q->name[q->n++] = key;
	return MHD_YES;
}

const char *req_query_odd(struct req *r,
			  enum query_fault (*check)(const void *ctx, const char *name,
						    const char *value),
			  const void *ctx, int strict, enum query_fault *why)
{
	struct query_seen q;

	q.n = 0;
	q.strict = strict;
	q.check = check;
	q.ctx = ctx;
	q.odd = NULL;
	q.why = QUERY_FINE;
	MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, query_seen, &q);
	*why = q.why;
	return q.odd;
}

struct query_arg {
	const char *name, *value;
};

struct query_all {
	struct query_arg arg[QUERY_ARGS_SEEN];
	const char *const *skip;
	size_t n;
};

static enum MHD_Result query_all(void *cls, enum MHD_ValueKind kind, const char *key,
				 const char *value)
{
	struct query_all *q = cls;
	const char *const *s;
	(void)kind;
	for (s = q->skip; s && *s; s++)
		if (!strcmp(*s, key))
			return MHD_YES;
	if (*key && q->n < QUERY_ARGS_SEEN) {
		q->arg[q->n].name = key;
		q->arg[q->n++].value = value ? value : "";
	}
	return MHD_YES;
}

static int query_arg_cmp(const void *a, const void *b)
{
	return strcmp(((const struct query_arg *)a)->name, ((const struct query_arg *)b)->name);
}

/* Each name and value with its length before it: a value holding '&' or
 * '=' reads as no other set of arguments. */
const char *req_query_canon(struct req *r, const char *const *skip)
{
	struct query_all q;
	size_t i, len = 1;
	char *out, *p;

	q.n = 0;
	q.skip = skip;
	MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, query_all, &q);
	qsort(q.arg, q.n, sizeof q.arg[0], query_arg_cmp);
	for (i = 0; i < q.n; i++)
		len += strlen(q.arg[i].name) + strlen(q.arg[i].value) + 2 * 21 + 2;
	out = p = arena_alloc(&r->mem, len);
	if (!out)
		return NULL;
	*p = '\0';
	for (i = 0; i < q.n; i++) /* len counts each piece: never cut */
		p += snprintf(p, len - (size_t)(p - out), "%zu:%s=%zu:%s;", strlen(q.arg[i].name),
			      q.arg[i].name, strlen(q.arg[i].value), q.arg[i].value);
	return out;
}

const char *req_header(struct req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

/* Copies in the request's arena: a handler may pass its own buffers, and
 * the answer may be sent from another thread (http/offload.c). */
void reply_header(struct req *r, const char *name, const char *value)
{
	const char *n, *v;

	if (r->nhdr == MAX_HEADERS)
		return;
	n = arena_strdup(&r->mem, name);
	v = arena_strdup(&r->mem, value);
	if (!n || !v)
		return;
	r->hdr_name[r->nhdr] = n;
	r->hdr_value[r->nhdr] = v;
	r->nhdr++;
}

void reply_json_begin(struct req *r, int status, jsonw *w)
{
	buf_reset(&r->out);
	r->status = status;
	r->content_type = "application/json";
	r->static_data = NULL;
	jw_init(w, &r->out);
}

static const char *status_title(int status)
{
	switch (status) {
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 409: return "Conflict";
	case 412: return "Precondition Failed";
	case 413: return "Content Too Large";
	case 415: return "Unsupported Media Type";
	case 422: return "Unprocessable Content";
	case 428: return "Precondition Required";
	case 429: return "Too Many Requests";
	case 503: return "Service Unavailable";
	default: return "Internal Server Error";
	}
}

/* The field a 422 detail is about, by the house convention that such a
 * detail starts "name: " (record_validate() writes them so, and so do the
 * handlers' own checks): name, or a nested "callback.due".  Copied into
 * out (size n); 0 when the detail names no single field. */
static int problem_field_of(const char *detail, char *out, size_t n)
{
	size_t i = 0;

	if (!detail || !((detail[0] >= 'a' && detail[0] <= 'z') || detail[0] == '_'))
		return 0;
	while ((detail[i] >= 'a' && detail[i] <= 'z') || (detail[i] >= '0' && detail[i] <= '9') ||
	       detail[i] == '_' || detail[i] == '.')
		i++;
	if (detail[i] != ':' || detail[i + 1] != ' ' || i >= n)
		return 0;
	memcpy(out, detail, i);
	out[i] = '\0';
	return 1;
}

/* How many bytes of s[0..n) end at a character's end: a message cut by
 * snprintf may end inside a Cyrillic letter. */
static size_t whole_chars(const char *s, size_t n)
{
	size_t start = n, want;
	unsigned char lead;

	while (start > 0 && n - start < 4 && ((unsigned char)s[start - 1] & 0xc0) == 0x80)
		start--;
	if (start == 0)
		return n;
	lead = (unsigned char)s[start - 1];
	want = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
	return n - (start - 1) < want ? start - 1 : n;
}

/* s cut to at most max bytes, at a character's end (a problem never
 * echoes a caller's 5,000-byte name back, nor half a letter). */
static const char *capped(struct req *r, const char *s, size_t max)
{
	size_t n = strlen(s), keep;
	char *c;

	keep = whole_chars(s, n < max ? n : max);
	if (keep == n)
		return s;
	c = arena_alloc(&r->mem, keep + 4);
	if (!c)
		return "";
	memcpy(c, s, keep);
	memcpy(c + keep, "\xe2\x80\xa6", 4); /* an ellipsis, and the NUL */
	return c;
}

int reply_problem_field(struct req *r, int status, const char *type, const char *field,
			const char *detail)
{
	jsonw w;
	int i;

	/* A 503 says when to try again (RFC 9110 10.2.3): in a second,
	 * unless the handler said. */
	for (i = 0; status == 503 && i < r->nhdr; i++)
		if (!strcasecmp(r->hdr_name[i], "Retry-After"))
			break;
	if (status == 503 && i == r->nhdr)
		reply_header(r, "Retry-After", "1");
	reply_json_begin(r, status, &w);
	r->content_type = "application/problem+json";
	jw_object(&w);
	jw_kstr(&w, "type", type);
	jw_kstr(&w, "title", status_title(status));
	jw_kint(&w, "status", status);
	if (detail)
		jw_kstr(&w, "detail", capped(r, detail, PROBLEM_DETAIL_MAX));
	if (field)
		jw_kstr(&w, "field", capped(r, field, PROBLEM_FIELD_MAX));
	jw_finish(&w);
	return status;
}

int reply_problem(struct req *r, int status, const char *type, const char *detail)
{
	char field[64];

	if (status == 422 && problem_field_of(detail, field, sizeof field))
		return reply_problem_field(r, status, type, field, detail);
	return reply_problem_field(r, status, type, NULL, detail);
}

int reply_problemf(struct req *r, int status, const char *type, const char *fmt, ...)
{
	char detail[4 * PROBLEM_DETAIL_MAX]; /* capped at a character's start after */
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(detail, sizeof detail, fmt, ap);
	va_end(ap);
	return reply_problem(r, status, type, detail);
}
