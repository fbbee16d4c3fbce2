/*
 * disclose.c - sealed values into answers, and their read audit; see
 * disclose.h.  The ledger lives in the request's arena: a short list of
 * records, each with the comma-separated names of the fields shown.
 */
#include <string.h>

#include <sodium.h>

#include "api/api.h"
#include "api/disclose.h"

#define LEDGER_FIELDS 512

struct disclosed {
	struct disclosed *next;
	char *record;
	char fields[LEDGER_FIELDS];
	size_t used;
	int truncated;
};

static int has_field(const struct disclosed *d, const char *field, size_t n)
{
	const char *p = d->fields;
	while (*p) {
		size_t len = strcspn(p, ",");
		if (len == n && !memcmp(p, field, n))
			return 1;
		p += len;
		if (*p == ',')
			p++;
	}
	return 0;
}

void api_disclose(struct req *r, const char *record, const char *field)
{
	struct disclosed *d;
	size_t n = strlen(field);

	for (d = r->disclosed; d; d = d->next)
		if (!strcmp(d->record, record))
			break;
	if (!d) {
		d = arena_alloc(&r->mem, sizeof *d);
		if (!d || !(d->record = arena_strdup(&r->mem, record))) {
			/* Out of memory: nothing may leave unaudited. */
			r->disclose_failed = 1;
			return;
		}
		d->next = r->disclosed;
		r->disclosed = d;
	}
	if (n == 0 || has_field(d, field, n))
		return;
	if (d->used + n + 2 > sizeof d->fields) {
		/* "*" says that more fields were shown than the entry names */
		if (!d->truncated && d->used + 3 <= sizeof d->fields) {
			memcpy(d->fields + d->used, d->used ? ",*" : "*", d->used ? 3 : 2);
			d->used += d->used ? 2 : 1;
		}
		d->truncated = 1;
		return;
	}
	if (d->used)
		d->fields[d->used++] = ',';
	memcpy(d->fields + d->used, field, n + 1);
	d->used += n;
}

/* A value the caller sent in this very request (a create or a change
 * echoed back) is not a read of anything it did not know. */
static int sent_by_caller(struct req *r, const char *name, json_t *v)
{
	json_t *sent = r->body_json ? json_object_get(r->body_json, name) : NULL;
	return sent && json_equal(sent, v);
}

void api_write_sealed_as(struct req *r, jsonw *w, const char *record, const char *audit_name,
			 const char *name, json_t *v)
{
	if (!v)
		return;
	if (!sent_by_caller(r, name, v))
		api_disclose(r, record, audit_name);
	jw_key(w, name);
	jw_value(w, v);
}

void api_write_sealed(struct req *r, jsonw *w, const char *record, const char *name, json_t *v)
{
	api_write_sealed_as(r, w, record, name, name, v);
}

void api_write_sealed_str(struct req *r, jsonw *w, const char *record, const char *name,
			  const char *s)
{
	json_t *sent = r->body_json ? json_object_get(r->body_json, name) : NULL;
	if (!s || !*s)
		return;
	if (!json_is_string(sent) || strcmp(json_string_value(sent), s))
		api_disclose(r, record, name);
	jw_kstr(w, name, s);
}

void api_write_sealed_raw(struct req *r, jsonw *w, const char *record, const char *name,
			  const char *raw, size_t len)
{
	api_disclose(r, record, name);
	jw_key(w, name);
	jw_raw_json(w, raw, len);
}

size_t api_write_fields_as(struct req *r, jsonw *w, const char *record, const char *prefix,
			   const struct resource_schema *rs, json_t *rec, field_filter keep,
			   const void *ctx)
{
	size_t i, sealed = 0;
	char name[96];

	for (i = 0; i < rs->n; i++) {
		const struct field *f = &rs->fields[i];
		json_t *v = json_object_get(rec, f->name);
		if (!v || (keep && !keep(ctx, f->name)))
			continue;
		if (f->cls == FC_CODED) {
			jw_key(w, f->name);
			jw_value(w, v);
			continue;
		}
		if (prefix)
			snprintf(name, sizeof name, "%s.%s", prefix, f->name);
		api_write_sealed_as(r, w, record, prefix ? name : f->name, f->name, v);
		sealed++;
	}
	return sealed;
}

size_t api_write_fields(struct req *r, jsonw *w, const char *record,
			const struct resource_schema *rs, json_t *rec, field_filter keep,
			const void *ctx)
{
	return api_write_fields_as(r, w, record, NULL, rs, rec, keep, ctx);
}

int api_raw_record_open(struct req *r, struct raw_record *rr, const char *coded,
			const unsigned char *sealed, size_t sealed_len, const char *ad)
{
	if (sealed_len < SEAL_OVERHEAD)
		return -1;
	rr->len = sealed_len - SEAL_OVERHEAD;
	rr->text = arena_alloc(&r->mem, rr->len + 1);
	if (!rr->text || seal_decrypt(&r->app->kr, sealed, sealed_len, ad, rr->text) != 0)
		return -1;
	if (rawjson_members(coded, strlen(coded), rr->coded, RAW_MEMBERS_MAX, &rr->ncoded) != 0 ||
	    rawjson_members((const char *)rr->text, rr->len, rr->sealed, RAW_MEMBERS_MAX,
			    &rr->nsealed) != 0) {
		sodium_memzero(rr->text, rr->len);
		return -1;
	}
	return 0;
}

void api_raw_record_close(struct raw_record *rr)
{
	sodium_memzero(rr->text, rr->len);
}

void api_write_fields_raw(struct req *r, jsonw *w, const char *record,
			  const struct resource_schema *rs, const struct raw_record *rr,
			  field_filter keep, const void *ctx)
{
	const struct rawjson_member *m;
	size_t i;

	for (i = 0; i < rs->n; i++) {
		const struct field *f = &rs->fields[i];
		if (keep && !keep(ctx, f->name))
			continue;
		if (f->cls != FC_CODED) {
			if ((m = rawjson_find(rr->sealed, rr->nsealed, f->name)))
				api_write_sealed_raw(r, w, record, f->name, m->value, m->len);
		} else if ((m = rawjson_find(rr->coded, rr->ncoded, f->name))) {
			jw_key(w, f->name);
			jw_raw_json(w, m->value, m->len);
		}
	}
}

void api_disclosures_flush(struct req *r)
{
	struct disclosed *d;
	if (r->disclose_failed) {
		r->disclosed = NULL;
		reply_problem(r, 500, "internal", "out of memory");
		return;
	}
	if (r->status >= 400 || r->status == 0)
		return;
	for (d = r->disclosed; d; d = d->next)
		api_audit_read(r, d->record, d->fields);
	r->disclosed = NULL;
}
