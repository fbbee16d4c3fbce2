/*
 * admin.c - health, the field schema, role policies (second factor per
 * role) and the audit trail of one record.
 */
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "fields.h"

int api_health(struct req *r)
{
	jsonw w;
	reply_json_begin(r, 200, &w);
	jw_object(&w);
	jw_kstr(&w, "status", "ok");
	jw_finish(&w);
	return 200;
}

static const char *class_name(enum field_class c)
{
	return c == FC_PII ? "pii" : c == FC_SENSITIVE ? "sensitive" : "coded";
}

static const char *type_name(enum field_type t)
{
	static const char *const names[] = {"text", "text_list", "date", "code", "code_list",
					    "country", "integer", "phone_list"};
	return names[t];
}

static void write_schema(jsonw *w, const struct resource_schema *rs)
{
	size_t i, k;

	jw_key(w, rs->name);
	jw_array(w);
	for (i = 0; i < rs->n; i++) {
		const struct field *f = &rs->fields[i];
		jw_object(w);
		jw_kstr(w, "name", f->name);
		jw_kstr(w, "type", type_name(f->type));
		jw_kstr(w, "class", class_name(f->cls));
		jw_kbool(w, "required", f->required);
		if (f->maxlen)
			jw_kint(w, "max_length", (int64_t)f->maxlen);
		if (f->maxitems)
			jw_kint(w, "max_items", (int64_t)f->maxitems);
		if (f->codes) {
			jw_key(w, "codes");
			jw_array(w);
			for (k = 0; k < f->codes->n; k++)
				jw_str(w, f->codes->codes[k]);
			jw_end(w);
		}
		jw_key(w, "label");
		jw_object(w);
		jw_kstr(w, "tg", f->label_tg);
		jw_kstr(w, "ru", f->label_ru);
		jw_kstr(w, "en", f->label_en);
		jw_end(w);
		jw_end(w);
	}
	jw_end(w);
}

int api_schema(struct req *r)
{
	jsonw w;
	reply_json_begin(r, 200, &w);
	jw_object(&w);
	write_schema(&w, &person_schema);
	jw_finish(&w);
	return 200;
}

static const char *const admins[] = {"admin", NULL};

int api_roles_list(struct req *r)
{
	jsonw w;
	size_t i;

	if (!api_role_in(r, admins))
		return reply_problem(r, 403, "forbidden", "only an administrator manages roles");
	reply_json_begin(r, 200, &w);
	jw_object(&w);
	jw_key(&w, "items");
	jw_array(&w);
	for (i = 0; i < cl_role.n; i++) {
		jw_object(&w);
		jw_kstr(&w, "role", cl_role.codes[i]);
		jw_kbool(&w, "require_totp", store_role_requires_totp(r->app->st, cl_role.codes[i]));
		jw_end(&w);
	}
	jw_end(&w);
	jw_key(&w, "next");
	jw_null(&w);
	jw_finish(&w);
	return 200;
}

int api_role_set(struct req *r)
{
	const char *role = r->params[0], *key;
	json_t *body, *v, *req_totp = NULL;
	char record[64];
	store_tx *tx;
	int rc;
	jsonw w;

	if (!api_role_in(r, admins))
		return reply_problem(r, 403, "forbidden", "only an administrator manages roles");
	if (!codelist_has(&cl_role, role))
		return reply_problem(r, 404, "not-found", "no such role");
	body = req_json_object(r);
	if (!body)
		return r->status;
	json_object_foreach(body, key, v) {
		if (strcmp(key, "require_totp"))
			return reply_problemf(r, 422, "unknown-field", "%s: is not a field here", key);
		req_totp = v;
	}
	if (!json_is_boolean(req_totp))
		return reply_problem(r, 422, "invalid-value", "require_totp: must be true or false");
	snprintf(record, sizeof record, "roles/%s", role);
	tx = store_begin(r->app->st);
	if (!tx)
		return reply_problem(r, 503, "busy", "try again");
	rc = store_role_set_totp(tx, role, json_is_true(req_totp));
	if (rc == STORE_OK)
		rc = api_audit_write(r, tx, "update", record, "require_totp");
	if (rc != STORE_OK) {
		store_rollback(tx);
		return api_store_error(r, rc);
	}
	if (store_commit(tx) != STORE_OK)
		return api_store_error(r, STORE_ERROR);
	reply_json_begin(r, 200, &w);
	jw_object(&w);
	jw_kstr(&w, "role", role);
	jw_kbool(&w, "require_totp", json_is_true(req_totp));
	jw_finish(&w);
	return 200;
}

static const char *const auditors[] = {"admin", "supervisor", NULL};

/* GET /audit?record=persons/ID: who did what to one record of the
 * caller's organisation. */
int api_audit_list(struct req *r)
{
	const char *record = req_query(r, "record");
	struct audit_row *rows;
	struct person_row p;
	size_t n = 0, i;
	jsonw w;

	if (!api_role_in(r, auditors))
		return reply_problem(r, 403, "forbidden", "your role cannot read the audit log");
	if (!record || strncmp(record, "persons/", 8) || strlen(record) > 80)
		return reply_problem(r, 422, "invalid-value", "record: give persons/ID");
	if (store_person_get(r->app->st, record + 8, &p, &r->mem) != STORE_OK ||
	    strcmp(p.org_id, r->who.user.org.id))
		return reply_problem(r, 404, "not-found", "no such record");
	rows = arena_alloc(&r->mem, 200 * sizeof *rows);
	if (!rows || store_audit_for_record(r->app->st, record, rows, 200, &n) != STORE_OK)
		return api_store_error(r, STORE_ERROR);
	reply_json_begin(r, 200, &w);
	jw_object(&w);
	jw_key(&w, "items");
	jw_array(&w);
	for (i = 0; i < n; i++) {
		jw_object(&w);
		jw_kint(&w, "seq", rows[i].seq);
		jw_kstr(&w, "at", rows[i].at);
		jw_kstr(&w, "user", rows[i].login);
		jw_kstr(&w, "org", rows[i].org_code);
		jw_kstr(&w, "action", rows[i].action);
		jw_kstr(&w, "record", rows[i].record);
		jw_kstr(&w, "fields", rows[i].fields);
		jw_kstr(&w, "addr", rows[i].addr);
		jw_end(&w);
	}
	jw_end(&w);
	jw_key(&w, "next");
	jw_null(&w);
	jw_finish(&w);
	return 200;
}
