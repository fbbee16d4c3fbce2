/*
 * library.c - /api/v1/library: the knowledge library, the programme's
 * guides, brochures, SOPs and training manuals for the agencies, each
 * with numbered versions of its file (issue 18).
 *
 * library.read: everyone signed in, of any organisation (nothing here is
 * about a person); library.edit: the trainers and supervisors of the
 * organisation that keeps the product.  Creating a product, uploading a
 * version and withdrawing are audited writes.  A download is audited as a
 * read ("library/ID", "file vN"), queued like reads of PII: a guide is
 * not personal data, but an internal SOP that reaches the wrong hands is
 * a question the programme must be able to answer, and a queued read
 * costs no write transaction.
 *
 * A version's file is the request body as it is (any Content-Type but
 * JSON's: the type is sniffed from the bytes), capped at LIBRARY_FILE_MAX
 * by the routing table (api_body_cap) so a larger one is refused from its
 * Content-Length before it is read.  It is sealed under the installation
 * key, bound to "library/ID/N", like the PII beside it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "api/api.h"
#include "codelists.h"
#include "domain/library.h"
#include "domain/record.h"
#include "api/library.h"
#include "store/library.h"
#include "util/utf8.h"

#define VERSIONS_MAX 500

/* ---- output -------------------------------------------------------------- */

/* ",a,b," as a JSON array of codes. */
static void write_list(jsonw *w, const char *key, const char *joined)
{
	const char *p = joined, *comma;

	jw_key(w, key);
	jw_array(w);
	while (*p) {
		if (*p == ',') {
			p++;
			continue;
		}
		comma = strchr(p, ',');
		if (!comma)
			comma = p + strlen(p);
		jw_strn(w, p, (size_t)(comma - p));
		p = comma;
	}
	jw_end(w);
}

static void write_version(jsonw *w, const char *key, const struct library_version *v)
{
	if (key)
		jw_key(w, key);
	jw_object(w);
	jw_kint(w, "n", v->n);
	jw_kstr(w, "file_name", v->file_name);
	jw_kstr(w, "content_type", v->content_type);
	jw_kint(w, "size", v->size);
	jw_kstr(w, "sha256", v->sha256);
	jw_kstr(w, "note", v->note);
	jw_kstr(w, "uploaded_by", v->uploaded_by_login[0] ? v->uploaded_by_login : NULL);
	jw_kstr(w, "uploaded_at", v->uploaded_at);
	jw_end(w);
}

static void write_product(jsonw *w, const struct library_product *p,
			  const struct library_version *versions, size_t nversions, int with_versions)
{
	json_t *coded = json_loads(p->coded, 0, NULL);
	static const char *const titles[] = {"title_tg", "title_ru", "title_en"};
	size_t i;

	jw_object(w);
	jw_kstr(w, "id", p->id);
	jw_kint(w, "version", p->current);
	jw_kstr(w, "kind", p->kind);
	for (i = 0; i < 3; i++)
		jw_kstr(w, titles[i], json_string_value(json_object_get(coded, titles[i])));
	write_list(w, "audience", p->audience);
	write_list(w, "languages", p->languages);
	jw_kstr(w, "org", p->org_code);
	jw_kbool(w, "withdrawn", p->withdrawn_at[0] != '\0');
	jw_kstr(w, "withdrawn_at", p->withdrawn_at[0] ? p->withdrawn_at : NULL);
	if (p->current > 0) {
		write_version(w, "current", &p->cur);
	} else {
		jw_key(w, "current");
		jw_null(w);
	}
	if (with_versions) {
		jw_key(w, "versions");
		jw_array(w);
		for (i = 0; i < nversions; i++)
			write_version(w, NULL, &versions[i]);
		jw_end(w);
	}
	jw_kstr(w, "created_at", p->created_at);
	jw_kstr(w, "updated_at", p->updated_at);
	jw_end(w);
	json_decref(coded);
}

/* The product with every version (newest first). */
static int reply_product(struct req *r, int status, const char *id)
{
	struct library_product p;
	struct library_version *v;
	size_t n = 0;
	jsonw w;
	int rc = store_library_get(r->app->st, id, &p, &r->mem);

	if (rc == STORE_OK)
		rc = store_library_versions(r->app->st, id, VERSIONS_MAX, &v, &n, &r->mem);
	if (rc == STORE_NOT_FOUND)
		return reply_problem(r, 404, "not-found", "no such knowledge product");
	if (rc != STORE_OK)
		return api_store_error(r, rc);
	reply_json_begin(r, status, &w);
	write_product(&w, &p, v, n, 1);
	jw_finish(&w);
	api_set_etag(r, p.current);
	return status;
}

/* ---- reading ------------------------------------------------------------- */

/* GET /library?kind=&audience=&language=&cursor=&limit= */
int api_library_list(struct req *r)
{
	char after_key[TS_LEN] = "", after_id[ID_LEN] = "";
	struct library_filter f;
	struct library_product *rows;
	size_t n = 0, i, limit = PAGE_DEFAULT;
	jsonw w;

	if (policy_allows(ACT_LIBRARY_READ, r->who.user.role, 0) < 0)
		return reply_problem(r, 404, "not-found", "no such resource");
	memset(&f, 0, sizeof f);
	if (api_query_code(r, "kind", &cl_knowledge_kind, &f.kind) ||
	    api_query_code(r, "audience", &cl_knowledge_audience, &f.audience) ||
	    api_query_code(r, "language", &cl_languages, &f.language) ||
	    api_page(r, PAGE_MAX, &limit, after_key, sizeof after_key, after_id, sizeof after_id))
		return r->status;
	if (after_id[0]) {
		f.after_updated = after_key;
		f.after_id = after_id;
	}
	if (store_library_list(r->app->st, &f, limit + 1, &rows, &n, &r->mem) != STORE_OK)
		return api_store_error(r, STORE_ERROR);
	api_list_begin(r, &w);
	for (i = 0; i < n && i < limit; i++)
		/* A product whose first file was refused is its keepers' to
		 * finish, nobody else's to see. */
		if (rows[i].current > 0 || !strcmp(rows[i].org_id, r->who.user.org.id))
			write_product(&w, &rows[i], NULL, 0, 0);
	if (n > limit) {
		char next[API_CURSOR_LEN];
		api_cursor_seal(r, rows[limit - 1].updated_at, rows[limit - 1].id, next, sizeof next);
		return api_list_end(&w, next);
	}
	return api_list_end(&w, NULL);
}

int api_library_get(struct req *r)
{
	if (policy_allows(ACT_LIBRARY_READ, r->who.user.role, 0) < 0)
		return reply_problem(r, 404, "not-found", "no such knowledge product");
	return reply_product(r, 200, r->params[0]);
}

struct opened {
	struct req *r;
	const char *ad;
};

/* Open the sealed file into the answer's body, in place: the body first
 * takes as many bytes (to hold the room), then the plaintext over them,
 * so a 20 MiB file is not held twice. */
static int open_file(void *ctx, const void *sealed, size_t len)
{
	struct opened *o = ctx;
	buf *out = &o->r->out;
	size_t start = out->len;

	if (len < SEAL_OVERHEAD)
		return STORE_ERROR;
	buf_add(out, sealed, len - SEAL_OVERHEAD);
	if (!buf_ok(out) ||
	    seal_decrypt(&o->r->app->kr, sealed, len, o->ad, (unsigned char *)out->data + start) != 0) {
		buf_reset(out);
		return STORE_ERROR;
	}
	return STORE_OK;
}

/* A Content-Disposition for name: an ASCII fallback and the UTF-8 name
 * percent-encoded (RFC 6266), or NULL when the arena is full. */
static char *disposition(struct req *r, const char *name)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = strlen(name), i, o;
	char *d = arena_alloc(&r->mem, 64 + 4 * n);

	if (!d)
		return NULL;
	o = (size_t)snprintf(d, 32, "attachment; filename=\"");
	for (i = 0; i < n; i++)
		d[o++] = (unsigned char)name[i] < 0x80 ? name[i] : '_';
	o += (size_t)snprintf(d + o, 32, "\"; filename*=UTF-8''");
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)name[i];
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    c == '.' || c == '_' || c == '-') {
			d[o++] = (char)c;
		} else {
			d[o++] = '%';
			d[o++] = hex[c >> 4];
			d[o++] = hex[c & 15];
		}
	}
	d[o] = '\0';
	return d;
}

/* GET /library/{id}/versions/{n}: the file of that version. */
int api_library_file(struct req *r)
{
	struct library_product p;
	struct library_version v;
	struct opened o;
	char record[64], fields[32], ad[64], *end;
	long long n;
	int rc;

	if (policy_allows(ACT_LIBRARY_READ, r->who.user.role, 0) < 0)
		return reply_problem(r, 404, "not-found", "no such knowledge product");
	n = strtoll(r->params[1], &end, 10);
	if (!*r->params[1] || *end || n < 1)
		return reply_problem(r, 404, "not-found", "no such version");
	rc = store_library_get(r->app->st, r->params[0], &p, &r->mem);
	if (rc != STORE_OK)
		return rc == STORE_NOT_FOUND
			       ? reply_problem(r, 404, "not-found", "no such knowledge product")
			       : api_store_error(r, rc);
	snprintf(ad, sizeof ad, "library/%s/%lld", p.id, n);
	o.r = r;
	o.ad = ad;
	buf_reset(&r->out);
	rc = store_library_file(r->app->st, p.id, n, &v, &r->mem, open_file, &o);
	if (rc == STORE_NOT_FOUND)
		return reply_problem(r, 404, "not-found", "no such version");
	if (rc != STORE_OK) {
		buf_reset(&r->out);
		return api_store_error(r, STORE_ERROR);
	}
	snprintf(record, sizeof record, "library/%s", p.id);
	snprintf(fields, sizeof fields, "file v%lld", n);
	api_audit_read(r, record, fields);
	r->status = 200;
	r->content_type = arena_strdup(&r->mem, v.content_type);
	r->static_data = NULL;
	reply_header(r, "Content-Disposition", disposition(r, v.file_name));
	return 200;
}

/* ---- writing ------------------------------------------------------------- */

/* ",a,b," of a validated list of codes, in the arena. */
static const char *joined(arena *a, json_t *list)
{
	buf b;
	json_t *v;
	size_t i;
	char *out;

	buf_init(&b, 4096);
	buf_putc(&b, ',');
	json_array_foreach(list, i, v) {
		buf_puts(&b, json_string_value(v));
		buf_putc(&b, ',');
	}
	out = buf_ok(&b) ? arena_strdup(a, b.data) : NULL;
	buf_free(&b);
	return out;
}

static int product_fail(struct record_error *e, const char *field, const char *detail)
{
	e->type = "invalid-value";
	snprintf(e->field, sizeof e->field, "%s", field);
	snprintf(e->detail, sizeof e->detail, "%s", detail);
	return -1;
}

int library_product_from(json_t *body, struct library_product *p, arena *a,
			 struct record_error *e)
{
	static const char *const titles[] = {"title_tg", "title_ru", "title_en"};
	json_t *coded;
	char *dump;
	size_t i;

	if (record_validate(&library_schema, body, RECORD_CREATE, e))
		return -1;
	coded = json_object();
	if (!coded)
		return product_fail(e, "", "out of memory");
	for (i = 0; i < 3; i++) {
		const char *t = json_string_value(json_object_get(body, titles[i]));
		if (t && *t)
			json_object_set_new(coded, titles[i], json_string(t));
	}
	if (!json_object_size(coded)) {
		json_decref(coded);
		return product_fail(e, "title_en", "a title in at least one language");
	}
	if (!json_array_size(json_object_get(body, "audience"))) {
		json_decref(coded);
		return product_fail(e, "audience", "audience: at least one");
	}
	if (!json_array_size(json_object_get(body, "languages"))) {
		json_decref(coded);
		return product_fail(e, "languages", "languages: at least one");
	}
	dump = json_dumps(coded, JSON_COMPACT);
	json_decref(coded);
	p->coded = dump ? arena_strdup(a, dump) : NULL;
	free(dump);
	snprintf(p->kind, sizeof p->kind, "%s", json_string_value(json_object_get(body, "kind")));
	p->audience = joined(a, json_object_get(body, "audience"));
	p->languages = joined(a, json_object_get(body, "languages"));
	if (!p->coded || !p->audience || !p->languages)
		return product_fail(e, "", "out of memory");
	return 0;
}

/* POST /library {kind, title_tg?, title_ru?, title_en?, audience, languages} */
int api_library_create(struct req *r)
{
	struct library_product p;
	struct record_error e;
	char record[64];
	json_t *body;
	store_tx *tx;
	int rc;

	if (!api_may_own(r, ACT_LIBRARY_EDIT))
		return reply_problem(r, 403, "forbidden", "your role adds nothing to the library");
	body = req_json_object(r);
	if (!body)
		return r->status;
	memset(&p, 0, sizeof p);
	if (library_product_from(body, &p, &r->mem, &e))
		return reply_problem_field(r, 422, e.type, e.field[0] ? e.field : NULL, e.detail);
	store_new_id(p.id);
	snprintf(p.org_id, sizeof p.org_id, "%s", r->who.user.org.id);
	snprintf(p.created_by, sizeof p.created_by, "%s", r->who.user.id);
	store_now(p.created_at);
	memcpy(p.updated_at, p.created_at, sizeof p.updated_at);
	snprintf(record, sizeof record, "library/%s", p.id);
	tx = store_begin(r->app->st);
	rc = tx ? store_library_insert(tx, &p) : STORE_ERROR;
	if (rc == STORE_OK)
		rc = api_audit_write(r, tx, "create", record, NULL);
	if (api_tx_end(r, tx, rc))
		return r->status;
	api_set_location(r, "library", p.id);
	return reply_product(r, 201, p.id);
}

/* Load a product the caller may change: 0, or the problem set. */
static int load_editable(struct req *r, struct library_product *p)
{
	int rc = store_library_get(r->app->st, r->params[0], p, &r->mem);
	policy_relation rel;

	if (rc == STORE_NOT_FOUND || policy_allows(ACT_LIBRARY_READ, r->who.user.role, 0) < 0)
		return reply_problem(r, 404, "not-found", "no such knowledge product");
	if (rc != STORE_OK)
		return api_store_error(r, rc);
	rel = !strcmp(p->org_id, r->who.user.org.id) ? PC_OWN_ORG : 0;
	if (policy_allows(ACT_LIBRARY_EDIT, r->who.user.role, rel) < 0)
		return reply_problem(r, 403, "forbidden",
				     "only the trainers and supervisors of the organisation that "
				     "keeps this product change it");
	if (p->withdrawn_at[0])
		return reply_problem(r, 409, "withdrawn", "this knowledge product was withdrawn");
	return 0;
}

/* The query's after= (the current version the uploader saw); 0 or 422. */
static int read_after(struct req *r, int64_t *after)
{
	const char *s = req_query(r, "after");
	char *end;
	long long v;

	if (!s || !*s)
		return reply_problem(r, 422, "invalid-value",
				     "after: the version this upload follows (0 for the first)");
	v = strtoll(s, &end, 10);
	if (*end || v < 0)
		return reply_problem(r, 422, "invalid-value", "after: a version number");
	*after = v;
	return 0;
}

int library_version_put(store_tx *tx, const keyring *kr, struct library_version *v,
			const unsigned char *data, size_t len)
{
	const struct library_type *t = library_sniff(data, len);
	unsigned char hash[crypto_hash_sha256_BYTES], *sealed;
	char ad[64], name[LIBRARY_NAME_MAX + 1];
	size_t i;
	int rc;

	if (!t)
		return STORE_ERROR;
	library_name_clean(v->file_name, t, name, sizeof name);
	v->file_name = name;
	snprintf(v->content_type, sizeof v->content_type, "%s", t->content_type);
	v->size = (int64_t)len;
	crypto_hash_sha256(hash, data, len);
	for (i = 0; i < sizeof hash; i++)
		snprintf(v->sha256 + 2 * i, 3, "%02x", hash[i]);
	snprintf(ad, sizeof ad, "library/%s/%lld", v->product_id, (long long)v->n);
	sealed = malloc(len + SEAL_OVERHEAD);
	if (!sealed)
		return STORE_ERROR;
	seal_encrypt(kr, data, len, ad, sealed);
	rc = store_library_add_version(tx, v, sealed, len + SEAL_OVERHEAD);
	free(sealed);
	v->file_name = NULL; /* it pointed into this frame */
	return rc;
}

/* POST /library/{id}/versions?after=N&file_name=NAME[&note=TEXT], the body
 * the file itself. */
int api_library_upload(struct req *r)
{
	struct library_product p;
	struct library_version v;
	const char *note = req_query(r, "note"), *ctype = r->body.len ? req_header(r, "Content-Type") : NULL;
	char record[64], fields[32];
	int64_t after = 0;
	store_tx *tx;
	int rc;

	if (load_editable(r, &p) || read_after(r, &after))
		return r->status;
	if (ctype && !strncmp(ctype, "application/json", 16))
		return reply_problem(r, 415, "unsupported-type",
				     "send the file itself as the body, not JSON");
	if (!r->body.len)
		return reply_problem(r, 422, "empty-file", "the file is empty");
	if (!library_sniff((const unsigned char *)r->body.data, r->body.len))
		return reply_problem(r, 415, "unsupported-type",
				     "the library takes PDF, DOCX, XLSX, ODT, PNG and JPEG files");
	if (note && (!utf8_valid(note, strlen(note)) || utf8_count(note, strlen(note)) > 1000))
		return reply_problem(r, 422, "invalid-value", "note: at most 1000 characters");
	if (after != p.current)
		return reply_problemf(r, 409, "version-conflict",
				      "version %lld was uploaded since: read the product again",
				      (long long)p.current);
	memset(&v, 0, sizeof v);
	memcpy(v.product_id, p.id, sizeof v.product_id);
	v.n = after + 1;
	v.file_name = req_query(r, "file_name");
	v.note = note && *note ? note : NULL;
	snprintf(v.uploaded_by, sizeof v.uploaded_by, "%s", r->who.user.id);
	store_now(v.uploaded_at);
	snprintf(record, sizeof record, "library/%s", p.id);
	snprintf(fields, sizeof fields, "file v%lld", (long long)v.n);
	tx = store_begin(r->app->st);
	rc = tx ? library_version_put(tx, &r->app->kr, &v, (const unsigned char *)r->body.data,
				      r->body.len)
		: STORE_ERROR;
	if (rc == STORE_OK)
		rc = api_audit_write(r, tx, "upload", record, fields);
	if (rc == STORE_STALE) {
		store_rollback(tx);
		return reply_problem(r, 409, "version-conflict",
				     "another version was uploaded at the same time: read the product again");
	}
	if (api_tx_end(r, tx, rc))
		return r->status;
	return reply_product(r, 201, p.id);
}

/* POST /library/{id}/withdraw: hidden from the list, kept with its files. */
int api_library_withdraw(struct req *r)
{
	struct library_product p;
	char record[64];
	store_tx *tx;
	int rc;

	if (load_editable(r, &p))
		return r->status;
	snprintf(record, sizeof record, "library/%s", p.id);
	{
		char now[TS_LEN];
		store_now(now);
		tx = store_begin(r->app->st);
		rc = tx ? store_library_withdraw(tx, p.id, r->who.user.id, now) : STORE_ERROR;
	}
	if (rc == STORE_OK)
		rc = api_audit_write(r, tx, "withdraw", record, NULL);
	if (rc == STORE_STALE) {
		store_rollback(tx);
		return reply_problem(r, 409, "withdrawn", "this knowledge product was withdrawn");
	}
	if (api_tx_end(r, tx, rc))
		return r->status;
	return reply_product(r, 200, p.id);
}
