/*
 * admin.c - health, the field schema, role policies (second factor per
 * role) and the audit trail of one record.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "store/dedup.h"
#include "fields.h"
#include "indicators.h"

/* 200 while the database answers; 503 when it does not (PostgreSQL down
 * or failing over), so that a load balancer sends requests elsewhere. */
int api_health(struct req *r)
{
	jsonw w;

	if (store_ping(r->app->st) != STORE_OK) {
		reply_header(r, "Retry-After", "5");
		return reply_problem(r, 503, "database-unavailable", "the database does not answer");
	}
	if (store_audit_failing(r->app->st)) {
		reply_header(r, "Retry-After", "30");
		return reply_problem(r, 503, "audit-unavailable",
				     "the audit log cannot be written (is the disk full?)");
	}
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
					    "country", "integer", "phone_list", "boolean", "id",
					    "object_list", "country_list", "datetime"};
	return (size_t)t < sizeof names / sizeof names[0] ? names[t] : "unknown";
}

static void write_fields(jsonw *w, const struct resource_schema *rs)
{
	size_t i;

	jw_array(w);
	for (i = 0; i < rs->n; i++) {
		const struct field *f = &rs->fields[i];
		jw_object(w);
		jw_kstr(w, "name", f->name);
		jw_kstr(w, "type", type_name(f->type));
		jw_kstr(w, "class", class_name(f->cls));
		jw_kbool(w, "required", f->required);
		if (f->readonly)
			jw_kbool(w, "read_only", 1);
		if (f->future_ok)
			jw_kbool(w, "future_allowed", 1);
		if (f->not_before)
			jw_kstr(w, "not_before", f->not_before);
		if (f->maxlen)
			jw_kint(w, "max_length", (int64_t)f->maxlen);
		if (f->maxitems)
			jw_kint(w, "max_items", (int64_t)f->maxitems);
		if (f->type == FT_INT) {
			jw_kint(w, "minimum", f->min);
			jw_kint(w, "maximum", f->max);
		}
		if (f->codes)
			jw_kstr(w, "codes", f->codes->name);
		if (f->sub) {
			jw_key(w, "fields");
			write_fields(w, f->sub);
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

static void write_labels(jsonw *w, const char *tg, const char *ru, const char *en)
{
	jw_kstr(w, "tg", tg);
	jw_kstr(w, "ru", ru);
	jw_kstr(w, "en", en);
}

/* The screening questionnaires: every item with its dimension ("D1",
 * weighted sets only), strength and labels, and the dimensions' names. */
static void write_indicator_sets(jsonw *w)
{
	size_t i, k;

	jw_object(w);
	for (i = 0; i < all_indicator_sets_count; i++) {
		const struct indicator_set *set = all_indicator_sets[i];
		int weighted = indicator_set_weighted(set);
		jw_key(w, set->id);
		jw_object(w);
		if (weighted) {
			jw_key(w, "dimensions");
			jw_array(w);
			for (k = 0; k < INDICATOR_DIMENSIONS; k++) {
				const struct indicator_dimension *d = &indicator_dimensions[k];
				jw_object(w);
				jw_kstr(w, "code", d->code);
				write_labels(w, d->label_tg, d->label_ru, d->label_en);
				jw_end(w);
			}
			jw_end(w);
		}
		jw_key(w, "items");
		jw_array(w);
		for (k = 0; k < set->n; k++) {
			const struct indicator *it = &set->items[k];
			jw_object(w);
			jw_kstr(w, "code", it->code);
			if (weighted)
				jw_kstr(w, "dimension", indicator_dimensions[it->dimension - 1].code);
			jw_kstr(w, "strength", indicator_strength_name(it->strength));
			write_labels(w, it->label_tg, it->label_ru, it->label_en);
			jw_end(w);
		}
		jw_end(w);
		jw_end(w);
	}
	jw_end(w);
}

static const struct resource_schema *const resources[] = {
	&person_schema, &case_schema, &note_schema, &decision_schema, &service_schema,
	&plan_schema, &followup_schema, &consent_schema, &best_interests_schema,
	&directory_service_schema, &directory_location_schema,
	&contact_schema, &caller_flag_schema, &callback_schema, &callback_request_schema,
	&training_schema, &participant_schema,
	&perpetrator_schema, &proceeding_schema, &risk_schema, &safety_schema, &stay_schema,
	&discharge_schema,
	&prevention_service_schema, &household_schema, &assessment_schema, &orientation_schema,
	&plan_activity_schema, &plan_report_schema,
	&study_visit_schema, &library_schema,
};

/* GET /schema: every declared record with its fields, every code list
 * with its labels, and the screening indicator sets, so that forms are
 * built from the declarations. */
int api_schema(struct req *r)
{
	size_t i, k;
	jsonw w;

	reply_json_begin(r, 200, &w);
	jw_object(&w);
	jw_key(&w, "resources");
	jw_object(&w);
	for (i = 0; i < sizeof resources / sizeof resources[0]; i++) {
		jw_key(&w, resources[i]->name);
		write_fields(&w, resources[i]);
	}
	jw_end(&w);
	jw_key(&w, "codes");
	jw_object(&w);
	for (i = 0; i < all_codelists_count; i++) {
		const struct codelist *cl = all_codelists[i];
		jw_key(&w, cl->name);
		jw_array(&w);
		for (k = 0; k < cl->n; k++) {
			jw_object(&w);
			jw_kstr(&w, "code", cl->codes[k]);
			jw_kstr(&w, "tg", cl->labels[k].tg);
			jw_kstr(&w, "ru", cl->labels[k].ru);
			jw_kstr(&w, "en", cl->labels[k].en);
			jw_end(&w);
		}
		jw_end(&w);
	}
	jw_end(&w);
	jw_key(&w, "indicators");
	write_indicator_sets(&w);
	jw_finish(&w);
	return 200;
}

static const char *const admins[] = {"admin", NULL};

int api_roles_list(struct req *r)
{
	jsonw w;
	size_t i;
	int home;

	if (!api_role_in(r, admins))
		return reply_problem(r, 403, "forbidden", "only an administrator manages roles");
	home = api_caller_is_home(r);
	api_list_begin(r, &w);
	for (i = 0; i < cl_role.n; i++) {
		jw_object(&w);
		jw_kstr(&w, "role", cl_role.codes[i]);
		jw_kbool(&w, "require_totp", store_role_requires_totp(r->app->st, cl_role.codes[i]));
		jw_kbool(&w, "settles", home);
		jw_end(&w);
	}
	return api_list_end(&w, NULL);
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
	/* A role's rule holds in every organisation: the installation's
	 * (another organisation's admin turned the second factor off for
	 * the home organisation's supervisors: an outside review). */
	if (!api_caller_is_home(r))
		return reply_problem(r, 403, "forbidden",
				     "a role's rule holds in every organisation: the administrators "
				     "of the installation's own organisation set it");
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
		return api_store_error(r, STORE_BUSY);
	rc = store_role_set_totp(tx, role, json_is_true(req_totp));
	if (rc == STORE_OK)
		rc = api_audit_write(r, tx, "update", record, "require_totp");
	if ((rc = api_tx_end(r, tx, rc)))
		return rc;
	api_auth_changed(); /* cached sign-ins hold the role's old requirement */
	reply_json_begin(r, 200, &w);
	jw_object(&w);
	jw_kstr(&w, "role", role);
	jw_kbool(&w, "require_totp", json_is_true(req_totp));
	jw_finish(&w);
	return 200;
}

static const char *const auditors[] = {"admin", "supervisor", NULL};

/* 1 when record (persons/, cases/, contacts/, callbacks/ or
 * caller_flags/ and an id) is of the caller's organisation, 0 when absent
 * or another's, -1 when not such a name. */
static int audit_record_ours(struct req *r, const char *record)
{
	const char *org = r->who.user.org.id;
	struct person_row p;
	struct case_row c;
	struct contact_row k;
	struct callback_row b;
	struct caller_flag_row f;

	if (!strncmp(record, "persons/", 8))
		return store_person_get(r->app->st, record + 8, &p, &r->mem) == STORE_OK &&
		       !strcmp(p.org_id, org);
	if (!strncmp(record, "cases/", 6))
		return store_case_get(r->app->st, record + 6, &c, &r->mem) == STORE_OK &&
		       !strcmp(c.org_id, org);
	/* The hotline's: who read a caller's number or a requester's message. */
	if (!strncmp(record, "contacts/", 9))
		return store_contact_get(r->app->st, record + 9, &k, &r->mem) == STORE_OK &&
		       !strcmp(k.org_id, org);
	if (!strncmp(record, "callbacks/", 10))
		return store_callback_get(r->app->st, record + 10, &b, &r->mem) == STORE_OK &&
		       !strcmp(b.org_id, org);
	if (!strncmp(record, "caller_flags/", 13))
		return store_flag_get(r->app->st, record + 13, &f, &r->mem) == STORE_OK &&
		       !strcmp(f.org_id, org);
	return -1;
}

static int seq_newest_first(const void *x, const void *y)
{
	const struct audit_row *a = x, *b = y;
	return a->seq < b->seq ? 1 : a->seq > b->seq ? -1 : 0;
}

/* The audit references of a person follow a merge: the entries of the
 * persons merged into it (store/dedup.h), each under its own record,
 * join its own, newest first, at most max in all. */
static int audit_add_merged(struct req *r, const char *record, struct audit_row *rows,
			    size_t max, size_t *n)
{
	char merged[16][ID_LEN], name[64];
	struct audit_row *more;
	size_t nm = 0, i, k, got;

	if (strncmp(record, "persons/", 8) ||
	    store_dedup_merged_into(r->app->st, record + 8, merged, 16, &nm) != STORE_OK)
		return strncmp(record, "persons/", 8) ? STORE_OK : STORE_ERROR;
	if (nm == 0)
		return STORE_OK;
	more = arena_alloc(&r->mem, max * sizeof *more);
	if (!more)
		return STORE_ERROR;
	for (i = 0; i < nm; i++) {
		snprintf(name, sizeof name, "persons/%.*s", ID_LEN - 1, merged[i]);
		if (store_audit_for_record(r->app->st, name, more, max, &got) != STORE_OK)
			return STORE_ERROR;
		for (k = 0; k < got; k++) {
			if (*n < max) {
				rows[(*n)++] = more[k];
			} else {
				qsort(rows, *n, sizeof *rows, seq_newest_first);
				if (more[k].seq > rows[max - 1].seq)
					rows[max - 1] = more[k];
			}
		}
	}
	qsort(rows, *n, sizeof *rows, seq_newest_first);
	return STORE_OK;
}

/* GET /audit?record=persons/ID, cases/ID, contacts/ID, callbacks/ID or
 * caller_flags/ID: who did what to one record of the caller's
 * organisation (and, for a person, to the persons merged into it); or
 * ?phone=NUMBER: who of it looked that number up. */
int api_audit_list(struct req *r)
{
	const char *record = req_query(r, "record"), *phone = req_query(r, "phone");
	char by_phone[API_PHONE_RECORD_LEN];
	struct audit_row *rows;
	size_t n = 0, i;
	int ours;
	jsonw w;

	if (!api_role_in(r, auditors))
		return reply_problem(r, 403, "forbidden", "your role cannot read the audit log");
	if (phone && record)
		return reply_problem(r, 422, "invalid-value", "give record or phone, not both");
	if (phone) {
		unsigned char key[BLIND_BYTES];
		if (strlen(phone) > 32 || api_phone_blind(&r->app->kr, r->who.user.org.id, phone, key))
			return reply_problem(r, 422, "invalid-value", "phone: not a phone number");
		api_phone_record(key, by_phone);
		record = by_phone;
		ours = 1; /* the key is the caller's organisation's own */
	} else {
		ours = record && strlen(record) <= 80 ? audit_record_ours(r, record) : -1;
	}
	if (ours < 0)
		return reply_problem(r, 422, "invalid-value",
				     "record: give persons/ID, cases/ID, contacts/ID, callbacks/ID or "
				     "caller_flags/ID (or phone=NUMBER)");
	if (!ours)
		return reply_problem(r, 404, "not-found", "no such record");
	rows = arena_alloc(&r->mem, 200 * sizeof *rows);
	if (!rows || store_audit_for_record(r->app->st, record, rows, 200, &n) != STORE_OK ||
	    audit_add_merged(r, record, rows, 200, &n) != STORE_OK)
		return api_store_error(r, STORE_ERROR);
	api_list_begin(r, &w);
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
	return api_list_end(&w, NULL);
}
