/*
 * items.c - the records of a case: notes, services, support plans and
 * follow-ups (one table-driven handler set), screenings, status
 * decisions, the person's consents, the overdue follow-ups of a worker,
 * and the case's timeline that shows them all in order.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>

#include "api/api.h"
#include "api/pprlnet.h"
#include "api/rows.h"
#include "api/disclose.h"
#include "domain/casework.h"
#include "domain/consent.h"
#include "domain/record.h"
#include "domain/screening.h"

/* How each kind of record of a case behaves. */
struct item_kind {
	const char *kind;          /* items.kind */
	const char *plural;        /* the path segment (NULL: made and listed elsewhere) */
	const char *self;          /* that of one: /api/v1/<self>/{id} (GET, PATCH) */
	const struct resource_schema *rs;
	const char *default_status; /* of "status", when not sent */
	const char *assigned_field; /* who takes it: the case's assignee when not sent */
	int moves_stage;            /* 1: EV_SERVICE, 2: EV_RETURN */
	int child_only;             /* only in the case of a child */
	/* An item of a person without a case (prevention.c): who may change
	 * it, 0 or the problem's status; NULL for the records of a case. */
	int (*person_may)(struct req *r, const struct item_row *it);
	/* The kind's further test of a body, or NULL (api.h's api_item_check). */
	api_item_check check;
	/* A record of a person that is not changed by PATCH (a consent). */
	int of_person;
	/* How it is written when not by api_item_write with rs. */
	void (*write)(struct req *r, jsonw *w, const struct item_row *it, json_t *rec);
};

static void write_screening(struct req *r, jsonw *w, const struct item_row *it, json_t *rec);
static int followup_check(struct req *r, const char *person_id, json_t *body, json_t *was);
static void write_consent_now(struct req *r, jsonw *w, const struct item_row *it, json_t *rec);

/* The columns each kind fills from its record are rows.c's (one table for
 * the API and the demo). */
static const struct item_kind kinds[] = {
	{.kind = "note", .plural = "notes", .self = "notes", .rs = &note_schema},
	{.kind = "service", .plural = "services", .self = "services", .rs = &service_schema,
	 .moves_stage = 1, .check = api_provider_check},
	{.kind = "plan", .plural = "plans", .self = "plans", .rs = &plan_schema},
	{.kind = "followup", .plural = "followups", .self = "followups", .rs = &followup_schema,
	 .default_status = "due", .assigned_field = "assigned_to", .moves_stage = 2,
	 .check = followup_check},
	{.kind = "best_interests", .plural = "best-interests", .self = "best-interests",
	 .rs = &best_interests_schema, .child_only = 1},
	/* Sealed, with a review date on the overdue list (GET /followups). */
	{.kind = "risk", .plural = "risk-assessments", .self = "risk-assessments",
	 .rs = &risk_schema, .default_status = "due", .assigned_field = "assigned_to"},
	{.kind = "safety", .plural = "safety-plans", .self = "safety-plans", .rs = &safety_schema,
	 .default_status = "due", .assigned_field = "assigned_to"},
	/* Prevention's items of a person (prevention.c): changed here, made
	 * and listed there. */
	{.kind = "prevention_service", .self = "prevention-services",
	 .rs = &prevention_service_schema, .person_may = api_prevention_may,
	 .check = api_prevention_service_check},
	{.kind = "household", .self = "households", .rs = &household_schema,
	 .person_may = api_prevention_may, .check = api_prevention_consented},
	{.kind = "domv_assessment", .self = "domv-assessments", .rs = &assessment_schema,
	 .person_may = api_prevention_may, .check = api_assessment_check},
	/* Made and listed by their own code below, read one by one here. */
	{.kind = "screening", .plural = "screenings", .self = "screenings",
	 .write = write_screening},
	{.kind = "status_decision", .self = "status-decisions", .rs = &decision_schema},
	{.kind = "consent", .self = "consents", .of_person = 1, .write = write_consent_now},
};

/* The kinds whose due dates make the overdue list. */
static const char *const due_kinds[] = {"followup", "risk", "safety"};

static const char *const item_writers[] = {"caseworker", "supervisor", NULL};

static const struct item_kind *kind_of(const char *kind)
{
	size_t i;
	for (i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		if (!strcmp(kinds[i].kind, kind))
			return &kinds[i];
	return NULL;
}

static const char *str_of(json_t *rec, const char *field)
{
	return field ? json_string_value(json_object_get(rec, field)) : NULL;
}

/* The record under which reading an item is audited: its case (so that
 * the case's access log shows it), or the person for a consent; the
 * fields are named "<kind>.<field>". */
static const char *item_record(struct req *r, const struct item_row *it)
{
	char *rec = arena_alloc(&r->mem, 64);
	if (rec)
		snprintf(rec, 64, it->case_id[0] ? "cases/%s" : "persons/%s",
			 it->case_id[0] ? it->case_id : it->person_id);
	return rec ? rec : "";
}

/* Write the declared fields of an item: coded ones as they are, sealed
 * ones through the audited road, named "<kind>.<field>" in the entry. */
static void write_item_fields(struct req *r, jsonw *w, const struct item_row *it,
			      const struct resource_schema *rs, json_t *rec)
{
	api_write_fields_as(r, w, item_record(r, it), it->kind, rs, rec, NULL, NULL);
}

/* The members of an item without a declared schema (screenings, events):
 * those of its coded JSON as they are, the opened ones (the sealed part)
 * through the audited road.  skip: a member left out, or NULL. */
static void write_item_members(struct req *r, jsonw *w, const struct item_row *it, json_t *rec,
			       const char *skip)
{
	json_t *coded = json_loads(it->coded, 0, NULL), *v;
	const char *record = item_record(r, it), *key;
	char name[96];

	json_object_foreach(rec, key, v) {
		if (skip && !strcmp(key, skip))
			continue;
		if (json_object_get(coded, key)) {
			jw_key(w, key);
			jw_value(w, v);
			continue;
		}
		snprintf(name, sizeof name, "%s.%s", it->kind, key);
		api_write_sealed_as(r, w, record, name, key, v);
	}
	json_decref(coded);
}

/* The code of the organisation that made a record ("" if it cannot be
 * read): the caller's own, or the last other one this thread read (a
 * case's records come in runs of one recipient's, and an organisation's
 * code never changes: PATCH /orgs/{code} takes the rest). */
static const char *org_code_of(struct req *r, const char *org_id)
{
	static _Thread_local char last_id[ID_LEN], last_code[sizeof ((struct org *)0)->code];
	struct org o;

	if (!strcmp(org_id, r->who.user.org.id))
		return r->who.user.org.code;
	if (strcmp(last_id, org_id)) {
		if (store_org_by_id(r->app->st, org_id, &o) != STORE_OK)
			return "";
		snprintf(last_id, sizeof last_id, "%s", org_id);
		snprintf(last_code, sizeof last_code, "%s", o.code);
	}
	return last_code;
}

void api_item_org(struct req *r, jsonw *w, const struct item_row *it)
{
	jw_kstr(w, "org", org_code_of(r, it->org_id));
	if (strcmp(it->org_id, r->who.user.org.id)) /* as api_record_of_other decides */
		jw_kbool(w, "read_only", 1);
}

void api_item_write(struct req *r, jsonw *w, const struct item_row *it,
		    const struct resource_schema *rs, json_t *rec)
{
	jw_object(w);
	jw_kstr(w, "id", it->id);
	jw_kint(w, "version", it->version);
	jw_kstr(w, "kind", it->kind);
	if (it->case_id[0])
		jw_kstr(w, "case_id", it->case_id);
	if (it->person_id[0])
		jw_kstr(w, "person_id", it->person_id);
	if (rs)
		write_item_fields(r, w, it, rs, rec);
	jw_kstr(w, "at", it->at);
	jw_kstr(w, "created_by", it->created_by);
	api_item_org(r, w, it);
	jw_kstr(w, "created_at", it->created_at);
	jw_kstr(w, "updated_at", it->updated_at);
	jw_end(w);
}

void api_item_new(struct req *r, struct item_row *it, const char *kind, const char *case_id,
		  const char *person_id)
{
	memset(it, 0, sizeof *it);
	store_new_id(it->id);
	snprintf(it->kind, sizeof it->kind, "%s", kind);
	snprintf(it->case_id, sizeof it->case_id, "%s", case_id ? case_id : "");
	snprintf(it->person_id, sizeof it->person_id, "%s", person_id ? person_id : "");
	snprintf(it->org_id, sizeof it->org_id, "%s", r->who.user.org.id);
	it->version = 1;
	store_now(it->created_at);
	memcpy(it->updated_at, it->created_at, TS_LEN);
	memcpy(it->at, it->created_at, TS_LEN);
	snprintf(it->created_by, sizeof it->created_by, "%s", r->who.user.id);
}

/* A timeline event for a stage that moved from `from` to the case's stage. */
static int stage_event(struct req *r, store_tx *tx, const struct case_row *c, const char *from)
{
	json_t *extra;
	int rc;

	if (!from || !strcmp(from, c->stage))
		return STORE_OK;
	extra = json_pack("{s:s,s:s}", "from", from, "to", c->stage);
	rc = api_case_event(r, tx, c, "stage_changed", extra);
	json_decref(extra);
	return rc;
}

/* Insert the items an item brings with it (a livelihood service's
 * follow-ups), each with its audit entry. */
static int extra_insert(struct req *r, store_tx *tx, const struct item_row *extra, size_t n)
{
	char record[64];
	size_t i;
	int rc = STORE_OK;

	for (i = 0; i < n && rc == STORE_OK; i++) {
		if (snprintf(record, sizeof record, "%ss/%s", extra[i].kind,
			     extra[i].id) >= (int)sizeof record)
			return STORE_ERROR;
		rc = store_item_insert(tx, &extra[i]);
		if (rc == STORE_OK)
			rc = api_audit_write(r, tx, "create", record, "");
	}
	return rc;
}

/* The follow-ups a livelihood service schedules at 3, 6 and 12 months
 * after its end (rows_livelihood_followup), into fu[0..*n), sealed:
 * none when the case already has a follow-up of this service (a change
 * of the service does not schedule them twice), nor for another service.
 * Assigned as a new follow-up is.  0, or the problem's status. */
static int livelihood_followups(struct req *r, const struct case_row *c,
				const struct item_row *svc, json_t *rec, const char *assignee,
				struct item_row fu[CASEWORK_LIVELIHOOD_CHECKS], size_t *n)
{
	struct item_row *rows;
	size_t have = 0, i;
	json_t *f;

	*n = 0;
	if (!(f = rows_livelihood_followup(rec, svc->id, 0, assignee)))
		return 0;
	json_decref(f);
	if (store_items_of_case(r->app->st, c->id, "followup", &rows, &have, &r->mem) != STORE_OK)
		return api_store_error(r, STORE_ERROR);
	for (i = 0; i < have; i++) {
		json_t *coded = json_loads(rows[i].coded, 0, NULL);
		const char *sid = json_string_value(json_object_get(coded, "service_id"));
		int same = sid && !strcmp(sid, svc->id);
		json_decref(coded);
		if (same)
			return 0;
	}
	for (i = 0; i < CASEWORK_LIVELIHOOD_CHECKS; i++) {
		f = rows_livelihood_followup(rec, svc->id, i, assignee);
		api_item_new(r, &fu[i], "followup", c->id, c->person_id);
		if (!f || rows_item_seal(&r->app->kr, &r->mem, f, &fu[i])) {
			json_decref(f);
			return reply_problem(r, 500, "internal", "out of memory");
		}
		json_decref(f);
	}
	*n = CASEWORK_LIVELIHOOD_CHECKS;
	return 0;
}

/* Who takes a new follow-up of case c: the case's assignee when the case
 * is the caller's organisation's; a recipient of a referral gets its own
 * record, assigned to itself (the owner's assignee is not shared with it). */
static const char *default_assignee(struct req *r, const struct case_row *c)
{
	return c->assigned_to[0] && !strcmp(c->org_id, r->who.user.org.id) ? c->assigned_to
									 : r->who.user.id;
}

static int case_move(struct req *r, struct case_row *c, enum case_event ev, const char *status);

/* A case's move by a record made: its event, and the trafficking status
 * it sets (NULL: none). */
struct case_change {
	enum case_event ev;
	const char *status;
};

/* Save case c, moved by ch from stage_from (a STAGE_LEN buffer).  When
 * another change of the case came first (a record made at the same time
 * that moved it too: the second was answered 412 though it sent no
 * If-Match, an outside review), the move is made again, in this
 * transaction, on the case as it is now; *moved 0 when there is then
 * nothing to move. */
#define STAGE_LEN 32
static int case_save_move(struct req *r, store_tx *tx, struct case_row *c,
			  const struct case_change *ch, char stage_from[STAGE_LEN], int *moved)
{
	int rc = store_case_update(tx, c);

	*moved = 1;
	/* A status set by a decision is not set again: whether an authority
	 * decided meanwhile was read before (an outside review: an
	 * organisation's assessment made again on the case overwrote the
	 * police's decision come first); it is sent again, read anew. */
	if (rc != STORE_STALE || ch->status)
		return rc;
	if (store_case_get_tx(tx, c->id, c, &r->mem) != STORE_OK)
		return STORE_ERROR;
	snprintf(stage_from, STAGE_LEN, "%s", c->stage);
	if (!(*moved = case_move(r, c, ch->ev, ch->status)))
		return STORE_OK;
	return store_case_update(tx, c);
}

/* Insert it, move the case by ch (NULL: none) from stage_from when asked,
 * audit, commit, reply 201 with the item. */
static int item_commit(struct req *r, struct case_row *c, struct item_row *it,
		       const struct resource_schema *rs, json_t *rec, const char *fields,
		       const struct case_change *ch, char stage_from[STAGE_LEN],
		       const struct item_row *extra, size_t nextra)
{
	char record[64];
	store_tx *tx;
	jsonw w;
	int rc, moved = 0;

	snprintf(record, sizeof record, "%ss/%s", it->kind, it->id);
	tx = store_begin(r->app->st);
	if (!tx)
		return api_store_error(r, STORE_BUSY);
	rc = store_item_insert(tx, it);
	if (rc == STORE_OK)
		rc = extra_insert(r, tx, extra, nextra);
	if (rc == STORE_OK && c && ch)
		rc = case_save_move(r, tx, c, ch, stage_from, &moved);
	if (rc == STORE_OK && moved) {
		char crec[64];
		snprintf(crec, sizeof crec, "cases/%s", c->id);
		rc = stage_event(r, tx, c, stage_from);
		if (rc == STORE_OK)
			rc = api_audit_write(r, tx, "update", crec, "stage,trafficking_status");
	}
	if (rc == STORE_OK)
		rc = api_audit_write(r, tx, "create", record, fields);
	if ((rc = api_tx_end(r, tx, rc)))
		return rc;
	reply_json_begin(r, 201, &w);
	api_item_write(r, &w, it, rs, rec);
	jw_finish(&w);
	api_set_etag(r, it->version);
	api_item_located(r, it);
	return 201;
}

/* Move the case's stage for an event and, when status is not NULL, set
 * its trafficking status; 1 when it changed (then c is ready to be saved
 * with a new version). */
static int case_move(struct req *r, struct case_row *c, enum case_event ev, const char *status)
{
	char next[sizeof c->stage];
	json_t *rec;

	/* a copy: the stage after may be c->stage itself */
	snprintf(next, sizeof next, "%s", casework_stage_after(c->stage, ev));
	if (!strcmp(next, c->stage) && (!status || !strcmp(status, c->trafficking_status)))
		return 0;
	rec = api_case_open_record(r, c);
	if (!rec)
		return 0;
	json_object_set_new(rec, "stage", json_string(next));
	snprintf(c->stage, sizeof c->stage, "%s", next);
	if (status) {
		json_object_set_new(rec, "trafficking_status", json_string(status));
		snprintf(c->trafficking_status, sizeof c->trafficking_status, "%s", status);
	}
	c->version++;
	store_now(c->updated_at);
	if (record_seal(&r->app->kr, &r->mem, &case_schema, rec, c->id, &c->coded, &c->sealed,
			&c->sealed_len)) {
		json_decref(rec);
		return 0;
	}
	json_decref(rec);
	return 1;
}

/* ---- notes, services, plans, follow-ups ------------------------------ */

/* A service's provider, when the body names one, is an organisation of
 * the directory (GET /orgs: its code), not free text; 0 when it is. */
int api_provider_check(struct req *r, const char *person_id, json_t *body, json_t *was)
{
	json_t *v = json_object_get(body, "provider_org");
	struct org o;

	(void)person_id;
	(void)was;
	if (!v || json_is_null(v) ||
	    (json_is_string(v) && store_org_by_code(r->app->st, json_string_value(v), &o) == STORE_OK))
		return 0;
	return reply_problem_field(r, 422, "invalid-value", "provider_org",
				   "provider_org: the code of an organisation of the directory");
}

static int screening_age_of(struct req *r, const struct case_row *c, struct screening_age *out);
static int case_of_child(struct req *r, const struct case_row *c, int *child);

/* 1 when id is absent, or a service of case c the caller sees. */
/* The fields of a case's record that name another record of the case
 * (a follow-up's service and plan): each must be one of the case the
 * caller reads (a recipient named another case's, of another
 * organisation: an outside review). */
static const struct {
	const char *field, *kind, *problem;
} case_refs[] = {
	{"service_id", "service", "service_id: a service of this case"},
	{"plan_id", "plan", "plan_id: a plan of this case"},
};

static int record_of_case(struct req *r, const struct case_row *c, const char *kind,
			  const char *id)
{
	struct item_row s;

	if (!id)
		return 1;
	return store_item_get(r->app->st, id, &s, &r->mem) == STORE_OK &&
	       !strcmp(s.kind, kind) && !strcmp(s.case_id, c->id) &&
	       (!strcmp(s.org_id, r->who.user.org.id) || !strcmp(c->org_id, r->who.user.org.id));
}

int api_dates_after_birth(struct req *r, const char *person_id, const struct resource_schema *rs,
			  json_t *rec)
{
	struct person_row p;
	json_t *prec;
	const char *born;
	size_t i;
	int rc = 0, dated = 0;

	for (i = 0; i < rs->n && !dated; i++) /* most changes carry no date: no read */
		dated = rs->fields[i].type == FT_DATE && json_is_string(json_object_get(rec, rs->fields[i].name));
	if (!dated || !api_view_shares(api_case_view(r), "birth_date") ||
	    store_person_get(r->app->st, person_id, &p, &r->mem) != STORE_OK ||
	    !(prec = record_open(&r->app->kr, &r->mem, p.coded, p.sealed, p.sealed_len, p.id)))
		return 0;
	born = str_of(prec, "birth_date");
	for (i = 0; born && date_valid(born) && !rc && i < rs->n; i++) {
		const char *v = rs->fields[i].type == FT_DATE ? str_of(rec, rs->fields[i].name) : NULL;
		if (v && date_valid(v) && strcmp(v, born) < 0)
			rc = reply_problemf(r, 422, "invalid-value",
					    "%s: is before the person's date of birth",
					    rs->fields[i].name);
	}
	json_decref(prec);
	return rc;
}

/* 0, or the 422 replied for the first field of case_refs in rec (only
 * those body sends, when body is not NULL) that names no such record. */
static int refs_of_case(struct req *r, const struct case_row *c, json_t *body, json_t *rec)
{
	size_t i;

	for (i = 0; i < sizeof case_refs / sizeof case_refs[0]; i++)
		if ((!body || json_object_get(body, case_refs[i].field)) &&
		    !record_of_case(r, c, case_refs[i].kind, str_of(rec, case_refs[i].field)))
			return reply_problem_field(r, 422, "invalid-value", case_refs[i].field,
						   case_refs[i].problem);
	return 0;
}

static int items_create(struct req *r, const char *kind)
{
	const struct item_kind *k = kind_of(kind);
	char stage_from[STAGE_LEN];
	struct case_change ch = {EV_SERVICE, NULL};
	struct case_row c;
	struct item_row it, fu[CASEWORK_LIVELIHOOD_CHECKS];
	struct record_error e;
	char fields[512];
	json_t *body, *rec;
	size_t nfu = 0;
	int rc, moved = 0;

	if (api_case_load(r, r->params[0], &c))
		return r->status;
	if (!api_case_may(r, ACT_CASE_RECORD))
		return reply_problem(r, 403, "forbidden", "you cannot add to this case");
	body = req_json_object(r);
	if (!body)
		return r->status;
	if (record_validate(k->rs, body, RECORD_CREATE, &e))
		return reply_problem(r, 422, e.type, e.detail);
	if ((rc = api_dates_after_birth(r, c.person_id, k->rs, body)))
		return rc;
	if (k->check && (rc = k->check(r, c.person_id, body, NULL)))
		return rc;
	/* Only to a caller who reads the date of birth: a refusal told a
	 * referral that holds it back whether the person is a child. */
	if (k->child_only && api_view_shares(api_case_view(r), "birth_date")) {
		int child = 0;
		if (case_of_child(r, &c, &child))
			return r->status;
		if (!child)
			return reply_problem(r, 409, "not-a-child",
					     "this record is for the case of a child: the dates "
					     "and the screenings say the person is no child");
	}
	rec = json_deep_copy(body);
	if (!rec)
		return reply_problem(r, 500, "internal", "out of memory");
	if (k->default_status && !json_object_get(rec, "status"))
		json_object_set_new(rec, "status", json_string(k->default_status));
	if (k->assigned_field && !json_object_get(rec, k->assigned_field))
		json_object_set_new(rec, k->assigned_field, json_string(default_assignee(r, &c)));
	if (k->assigned_field && !api_assignee_ok(r, str_of(rec, k->assigned_field))) {
		json_decref(rec);
		return reply_problem(r, 422, "invalid-value",
				     "assigned_to: a user of your organisation who takes work");
	}
	if (refs_of_case(r, &c, NULL, rec)) {
		json_decref(rec);
		return r->status;
	}
	api_item_new(r, &it, k->kind, c.id, c.person_id);
	if (rows_item_seal(&r->app->kr, &r->mem, rec, &it)) {
		json_decref(rec);
		return reply_problem(r, 500, "internal", "out of memory");
	}
	if (!strcmp(k->kind, "service") &&
	    livelihood_followups(r, &c, &it, rec, default_assignee(r, &c), fu, &nfu)) {
		json_decref(rec);
		return r->status;
	}
	snprintf(stage_from, sizeof stage_from, "%s", c.stage);
	ch.ev = k->moves_stage == 2 ? EV_RETURN : EV_SERVICE;
	moved = (k->moves_stage == 1 ||
		 (k->moves_stage == 2 && json_is_true(json_object_get(rec, "reintegration")))) &&
		case_move(r, &c, ch.ev, NULL);
	record_secret_fields(k->rs, rec, fields, sizeof fields);
	rc = item_commit(r, &c, &it, k->rs, rec, fields, moved ? &ch : NULL, stage_from, fu, nfu);
	json_decref(rec);
	return rc;
}

/* A follow-up given the day it was done is done: its status says so when
 * the body says nothing of it, and may not say otherwise (one given
 * done_on alone stayed due: on the overdue list, and handed to the new
 * owner's worker by a transfer). */
static int followup_check(struct req *r, const char *person_id, json_t *body, json_t *was)
{
	json_t *done_on = json_object_get(body, "done_on"), *status = json_object_get(body, "status");

	(void)person_id;
	if (!done_on && was && json_is_string(json_object_get(was, "done_on")) && status)
		done_on = json_object_get(was, "done_on");
	if (!json_is_string(done_on))
		return 0;
	if (!status)
		return json_object_set_new(body, "status", json_string("done")) == 0
			       ? 0 : reply_problem(r, 500, "internal", "out of memory");
	if (json_is_string(status) && strcmp(json_string_value(status), "done"))
		return reply_problem(r, 422, "invalid-value",
				     "done_on: only a follow-up that is done (status done) has the "
				     "day it was done; send done_on null with another status");
	return 0;
}

/* A record of the case the caller does not see: one made by another
 * organisation, when the caller reaches the case through a referral (the
 * owner sees the recipients' records on its timeline; a recipient sees
 * only its own). */
static int hidden(struct req *r, const struct item_row *it)
{
	const struct case_view *v = api_case_view(r);
	return v && !(v->rel & PC_OWN_ORG) && strcmp(it->org_id, r->who.user.org.id);
}

/* Open an item's record, or NULL. */
static json_t *item_open(struct req *r, const struct item_row *it)
{
	return record_open(&r->app->kr, &r->mem, it->coded, it->sealed, it->sealed_len, it->id);
}

static int items_list(struct req *r, const char *kind)
{
	const struct item_kind *k = kind_of(kind);
	struct case_row c;
	struct item_row *rows;
	char record[64];
	size_t n = 0, i;
	jsonw w;

	if (api_case_load(r, r->params[0], &c))
		return r->status;
	if (store_items_of_case(r->app->st, c.id, k->kind, &rows, &n, &r->mem) != STORE_OK)
		return api_store_error(r, STORE_ERROR);
	reply_json_begin(r, 200, &w);
	jw_object(&w);
	jw_key(&w, "items");
	jw_array(&w);
	for (i = 0; i < n; i++) {
		json_t *rec = hidden(r, &rows[i]) ? NULL : item_open(r, &rows[i]);
		if (!rec)
			continue;
		api_item_write(r, &w, &rows[i], k->rs, rec);
		json_decref(rec);
	}
	jw_end(&w);
	jw_key(&w, "next");
	jw_null(&w);
	jw_finish(&w);
	snprintf(record, sizeof record, "cases/%s", c.id);
	if (n)
		api_disclose(r, record, k->plural);
	return 200;
}

/* Load an item of kind k by id that the caller may change: a record of a
 * case, with its case, both visible to the caller (a recipient of the case
 * does not see the owner's records, not even that they exist); or an item
 * of a person without a case, by the kind's person_may. */
static int item_load(struct req *r, const struct item_kind *k, struct item_row *it,
		     struct case_row *c)
{
	int rc = store_item_get(r->app->st, r->params[0], it, &r->mem);
	if (rc != STORE_OK || strcmp(it->kind, k->kind) || !it->case_id[0] != !!k->person_may)
		return api_store_error(r, rc == STORE_OK ? STORE_NOT_FOUND : rc);
	if (k->person_may)
		return k->person_may(r, it);
	if (api_case_load(r, it->case_id, c))
		return r->status;
	if (hidden(r, it))
		return api_store_error(r, STORE_NOT_FOUND);
	if (!api_case_may(r, ACT_CASE_RECORD))
		return reply_problem(r, 403, "forbidden", "you cannot change this record");
	return api_record_of_other(r, it) ? r->status : 0;
}

int api_record_of_other(struct req *r, const struct item_row *it)
{
	if (!strcmp(it->org_id, r->who.user.org.id))
		return 0;
	reply_problem(r, 403, "forbidden", "this record is another organisation's: only it changes it");
	return 1;
}

void api_item_located(struct req *r, const struct item_row *it)
{
	const struct item_kind *k = kind_of(it->kind);

	if (k)
		api_set_location(r, k->self, it->id);
}

/* One item, read as its list reads it: of a case the caller reads (a
 * recipient of the case never the owner's records), or of a person of the
 * caller's organisation.  Its sealed fields are audited as any read. */
static int item_get(struct req *r, const char *kind)
{
	const struct item_kind *k = kind_of(kind);
	struct person_row p;
	struct item_row it;
	struct case_row c;
	char record[64];
	json_t *rec;
	jsonw w;
	int rc, of_person;

	of_person = k->person_may || k->of_person;
	rc = store_item_get(r->app->st, r->params[0], &it, &r->mem);
	if (rc != STORE_OK || strcmp(it.kind, k->kind) || !it.case_id[0] != !!of_person)
		return api_store_error(r, rc == STORE_OK ? STORE_NOT_FOUND : rc);
	if (of_person ? api_person_load(r, it.person_id, &p, PERSON_TO_READ) : api_case_load(r, it.case_id, &c))
		return r->status;
	if (!of_person && hidden(r, &it))
		return api_store_error(r, STORE_NOT_FOUND);
	if (!(rec = item_open(r, &it)))
		return reply_problem(r, 500, "internal", "the record cannot be opened");
	reply_json_begin(r, 200, &w);
	if (k->write)
		k->write(r, &w, &it, rec);
	else
		api_item_write(r, &w, &it, k->rs, rec);
	jw_finish(&w);
	json_decref(rec);
	api_set_etag(r, it.version);
	if (!of_person && k->plural) {
		snprintf(record, sizeof record, "cases/%s", c.id);
		api_disclose(r, record, k->plural);
	}
	return 200;
}

/* PATCH of an item (If-Match): the kind's fields, the whole record valid
 * after the change, the kind's own test; the change audited with the
 * names of the fields. */
static int item_patch(struct req *r, const char *kind)
{
	const struct item_kind *k = kind_of(kind);
	struct item_row it, fu[CASEWORK_LIVELIHOOD_CHECKS];
	struct case_row c;
	struct record_error e;
	char record[64], fields[512];
	json_t *body, *rec;
	size_t nfu = 0;
	int64_t want;
	store_tx *tx;
	jsonw w;
	int rc;

	if (item_load(r, k, &it, &c))
		return r->status;
	if (api_if_match(r, &want))
		return r->status;
	body = req_json_object(r);
	if (!body)
		return r->status;
	if (record_validate(k->rs, body, RECORD_PATCH, &e))
		return reply_problem(r, 422, e.type, e.detail);
	if (it.case_id[0] && (rc = api_dates_after_birth(r, it.person_id, k->rs, body)))
		return rc;
	if (want != it.version)
		return api_store_error(r, STORE_STALE);
	rec = item_open(r, &it);
	if (!rec)
		return reply_problem(r, 500, "internal", "the record cannot be opened");
	if (k->check && k->check(r, it.person_id, body, rec)) {
		json_decref(rec);
		return r->status;
	}
	record_patch(rec, body);
	if (record_validate(k->rs, rec, RECORD_CREATE, &e)) {
		json_decref(rec);
		return reply_problem(r, 422, e.type, e.detail);
	}
	if (k->assigned_field && json_object_get(body, k->assigned_field) &&
	    !api_assignee_ok(r, str_of(rec, k->assigned_field))) {
		json_decref(rec);
		return reply_problem(r, 422, "invalid-value",
				     "assigned_to: a user of your organisation who takes work");
	}
	if (refs_of_case(r, &c, body, rec)) {
		json_decref(rec);
		return r->status;
	}
	it.version = want + 1;
	store_now(it.updated_at);
	if (rows_item_seal(&r->app->kr, &r->mem, rec, &it)) {
		json_decref(rec);
		return reply_problem(r, 500, "internal", "out of memory");
	}
	/* A course or grant given its end date now schedules its follow-ups. */
	if (!strcmp(k->kind, "service") &&
	    livelihood_followups(r, &c, &it, rec, default_assignee(r, &c), fu, &nfu)) {
		json_decref(rec);
		return r->status;
	}
	api_member_names(body, fields, sizeof fields);
	snprintf(record, sizeof record, "%ss/%s", it.kind, it.id);
	tx = store_begin(r->app->st);
	rc = tx ? store_item_update(tx, &it) : STORE_ERROR;
	if (rc == STORE_OK)
		rc = api_audit_write(r, tx, "update", record, fields);
	if (rc == STORE_OK)
		rc = extra_insert(r, tx, fu, nfu);
	if ((rc = api_tx_end(r, tx, rc))) {
		json_decref(rec);
		return rc;
	}
	reply_json_begin(r, 200, &w);
	api_item_write(r, &w, &it, k->rs, rec);
	jw_finish(&w);
	api_set_etag(r, it.version);
	json_decref(rec);
	return 200;
}

int api_notes_create(struct req *r) { return items_create(r, "note"); }
int api_notes_list(struct req *r) { return items_list(r, "note"); }
int api_note_patch(struct req *r) { return item_patch(r, "note"); }
int api_note_get(struct req *r) { return item_get(r, "note"); }
int api_services_create(struct req *r) { return items_create(r, "service"); }
int api_services_list(struct req *r) { return items_list(r, "service"); }
int api_service_patch(struct req *r) { return item_patch(r, "service"); }
int api_service_get(struct req *r) { return item_get(r, "service"); }
int api_plans_create(struct req *r) { return items_create(r, "plan"); }
int api_plans_list(struct req *r) { return items_list(r, "plan"); }
int api_plan_patch(struct req *r) { return item_patch(r, "plan"); }
int api_case_plan_get(struct req *r) { return item_get(r, "plan"); }
int api_followups_create(struct req *r) { return items_create(r, "followup"); }
int api_followups_list(struct req *r) { return items_list(r, "followup"); }
int api_followup_patch(struct req *r) { return item_patch(r, "followup"); }
int api_followup_get(struct req *r) { return item_get(r, "followup"); }
int api_risks_create(struct req *r) { return items_create(r, "risk"); }
int api_risks_list(struct req *r) { return items_list(r, "risk"); }
int api_risk_patch(struct req *r) { return item_patch(r, "risk"); }
int api_risk_get(struct req *r) { return item_get(r, "risk"); }
int api_safety_plans_create(struct req *r) { return items_create(r, "safety"); }
int api_safety_plans_list(struct req *r) { return items_list(r, "safety"); }
int api_safety_plan_patch(struct req *r) { return item_patch(r, "safety"); }
int api_safety_plan_get(struct req *r) { return item_get(r, "safety"); }

static int cmp_due(const void *a, const void *b)
{
	const struct item_row *x = a, *y = b;
	int c = strcmp(x->due, y->due);
	return c ? c : strcmp(x->id, y->id);
}

/* A row of a due list, to put them in the order of their cases. */
struct due_ref {
	const char *case_id;
	size_t i;
};

static int cmp_case(const void *a, const void *b)
{
	const struct due_ref *x = a, *y = b;
	int c = strcmp(x->case_id, y->case_id);
	return c ? c : (x->i > y->i) - (x->i < y->i);
}

/* reach[i]: whether the caller still reaches the case of rows[i].  Each
 * case is read once, however many of its items are due (the list is in
 * due order, so the items of a case are apart), and all of them together
 * (store_cases_get: one round trip on PostgreSQL, not one a case). */
static int due_reach(struct req *r, const struct item_row *rows, size_t n, int *reach)
{
	struct due_ref *ref = arena_alloc(&r->mem, (n + 1) * sizeof *ref);
	const char **ids = arena_alloc(&r->mem, (n + 1) * sizeof *ids);
	struct case_row *cases = arena_alloc(&r->mem, (n + 1) * sizeof *cases);
	unsigned char *found = arena_alloc(&r->mem, n + 1);
	size_t i, nc = 0, *at = arena_alloc(&r->mem, (n + 1) * sizeof *at);

	if (!ref || !ids || !cases || !found || !at)
		return -1;
	for (i = 0; i < n; i++) {
		ref[i].case_id = rows[i].case_id;
		ref[i].i = i;
	}
	qsort(ref, n, sizeof *ref, cmp_case);
	for (i = 0; i < n; i++) {
		if (i == 0 || strcmp(ref[i].case_id, ref[i - 1].case_id))
			ids[nc++] = ref[i].case_id;
		at[i] = nc - 1;
	}
	if (store_cases_get(r->app->st, ids, nc, cases, found, &r->mem) != STORE_OK)
		return -1;
	for (i = 0; i < n; i++)
		reach[ref[i].i] = i > 0 && at[i] == at[i - 1]
					  ? reach[ref[i - 1].i]
					  : found[at[i]] && api_case_reach(r, &cases[at[i]]) == 0;
	return 0;
}

#define DUE_KINDS (sizeof due_kinds / sizeof due_kinds[0])
/* How many times a page of due items asks the store for more rows when
 * the caller no longer reaches the cases of some (as the case list). */
#define DUE_ROUNDS 20

/* One read of the due list: up to `want` items of each due kind after
 * the cursor in f, merged into (due, id) order.  Only the merged rows up
 * to the first kind's last row are certainly in order (a kind that filled
 * its `want` may have more before the others' later rows): *n counts
 * those, and *more says whether rows may follow them. */
static int due_read(struct req *r, struct items_due_filter *f, size_t want,
		    struct item_row **out, size_t *n, int *more)
{
	struct item_row *part[DUE_KINDS], *all;
	const struct item_row *edge = NULL;
	size_t np[DUE_KINDS], i, total = 0;

	f->limit = want;
	for (i = 0; i < DUE_KINDS; i++) {
		f->kind = due_kinds[i];
		if (store_items_due(r->app->st, f, &part[i], &np[i], &r->mem) != STORE_OK)
			return api_store_error(r, STORE_ERROR);
		if (np[i] == want && (!edge || cmp_due(&part[i][want - 1], edge) < 0))
			edge = &part[i][want - 1];
		total += np[i];
	}
	all = arena_alloc(&r->mem, (total + 1) * sizeof *all);
	if (!all)
		return reply_problem(r, 500, "internal", "out of memory");
	for (*n = 0, i = 0; i < DUE_KINDS; i++) {
		size_t k;
		for (k = 0; k < np[i]; k++)
			if (!edge || cmp_due(&part[i][k], edge) <= 0)
				all[(*n)++] = part[i][k];
	}
	qsort(all, *n, sizeof *all, cmp_due);
	*out = all;
	*more = edge != NULL;
	return 0;
}

/* A page of the open items of every due kind (follow-ups, and the reviews
 * of risk assessments and safety plans) due before f->before, after the
 * cursor in f, in (due, id) order, of cases the caller still reaches: up to
 * limit + 1 of them into shown[] (one more than the page tells that a next
 * page exists).  The rows left out never shape the answer (the next
 * cursor is the last item shown), so the store is asked again past them
 * until the page is full or the list ends. */
static int due_page(struct req *r, struct items_due_filter *f, size_t limit,
		    struct item_row *shown, size_t *nshown)
{
	int round, more = 1;

	*nshown = 0;
	for (round = 0; round < DUE_ROUNDS && more && *nshown <= limit; round++) {
		struct item_row *rows = NULL;
		size_t n = 0, i;
		int *reach;

		if (due_read(r, f, limit + 1, &rows, &n, &more))
			return r->status;
		reach = arena_alloc(&r->mem, (n + 1) * sizeof *reach);
		if (!reach || due_reach(r, rows, n, reach))
			return reply_problem(r, 500, "internal", "out of memory");
		for (i = 0; i < n && *nshown <= limit; i++)
			if (reach[i])
				shown[(*nshown)++] = rows[i];
		if (n) {
			f->after_due = rows[n - 1].due;
			f->after_id = rows[n - 1].id;
		}
	}
	return 0;
}

int api_best_interests_create(struct req *r) { return items_create(r, "best_interests"); }
int api_best_interests_list(struct req *r) { return items_list(r, "best_interests"); }
int api_best_interests_patch(struct req *r) { return item_patch(r, "best_interests"); }
int api_best_interests_get(struct req *r) { return item_get(r, "best_interests"); }
int api_prevention_service_patch(struct req *r) { return item_patch(r, "prevention_service"); }
int api_prevention_service_get(struct req *r) { return item_get(r, "prevention_service"); }
int api_household_patch(struct req *r) { return item_patch(r, "household"); }
int api_household_get(struct req *r) { return item_get(r, "household"); }
int api_assessment_patch(struct req *r) { return item_patch(r, "domv_assessment"); }
int api_assessment_get(struct req *r) { return item_get(r, "domv_assessment"); }
int api_screening_get(struct req *r) { return item_get(r, "screening"); }
int api_decision_get(struct req *r) { return item_get(r, "status_decision"); }
int api_consent_get(struct req *r) { return item_get(r, "consent"); }

/* GET /followups?assigned=me|all&before=&limit=&cursor=: open follow-ups
 * (and reviews of risk assessments and safety plans, by their kind) of the
 * caller's organisation due before today (overdue) or before a date, a
 * page at a time in (due, id) order. */
int api_followups_due(struct req *r)
{
	const char *assigned = req_query(r, "assigned"), *before = req_query(r, "before");
	struct items_due_filter f = {0};
	struct item_row *shown;
	char today[11], after_due[TS_LEN] = "", after_id[ID_LEN] = "";
	size_t n = 0, i, limit = PAGE_DEFAULT;
	jsonw w;

	if (!api_role_in(r, item_writers))
		return reply_problem(r, 403, "forbidden", "your role has no follow-ups");
	consent_today(today);
	if (before && !date_valid(before))
		return reply_problem(r, 422, "invalid-value", "before: a date YYYY-MM-DD");
	if (api_page(r, PAGE_MAX, &limit, after_due, sizeof after_due, after_id,
			    sizeof after_id))
		return r->status;
	if (*after_due && !date_valid(after_due))
		return reply_problem(r, 422, "invalid-value", "cursor: not a cursor of this list");
	if (!assigned || !strcmp(assigned, "me"))
		assigned = r->who.user.id;
	else if (!strcmp(assigned, "all"))
		assigned = NULL;
	f.org_id = r->who.user.org.id;
	f.assigned_to = assigned;
	f.before = before ? before : today;
	f.after_due = after_due;
	f.after_id = after_id;
	shown = arena_alloc(&r->mem, (limit + 1) * sizeof *shown);
	if (!shown)
		return reply_problem(r, 500, "internal", "out of memory");
	/* Only follow-ups of cases the caller still reaches: a recipient's
	 * own follow-ups drop out when its access ends (consent withdrawn,
	 * referral closed, case transferred). */
	if (due_page(r, &f, limit, shown, &n))
		return r->status;
	r->view = NULL;
	reply_json_begin(r, 200, &w);
	jw_object(&w);
	jw_key(&w, "items");
	jw_array(&w);
	for (i = 0; i < n && i < limit; i++) {
		json_t *rec = json_loads(shown[i].coded, 0, NULL); /* no sealed outcome in a list */
		if (!rec)
			continue;
		api_item_write(r, &w, &shown[i], kind_of(shown[i].kind)->rs, rec);
		json_decref(rec);
	}
	jw_end(&w);
	jw_key(&w, "next");
	if (n > limit) {
		char next[API_CURSOR_LEN];
		api_cursor_seal(r, shown[limit - 1].due, shown[limit - 1].id, next, sizeof next);
		jw_str(&w, next);
	} else {
		jw_null(&w);
	}
	jw_finish(&w);
	return 200;
}

/* ---- screenings ------------------------------------------------------ */

static const char *const screening_fields[] = {"instrument", "answers", "child", NULL};

static int only(struct req *r, json_t *o, const char *const *allowed)
{
	const char *key;
	json_t *v;
	json_object_foreach(o, key, v) {
		const char *const *a;
		for (a = allowed; *a && strcmp(*a, key); a++)
			;
		if (!*a)
			return reply_problemf(r, 422, "unknown-field", "%s: is not a field here", key);
	}
	return 0;
}

static void write_screening(struct req *r, jsonw *w, const struct item_row *it, json_t *rec)
{
	jw_object(w);
	jw_kstr(w, "id", it->id);
	jw_kint(w, "version", it->version);
	jw_kstr(w, "kind", "screening");
	jw_kstr(w, "case_id", it->case_id);
	write_item_members(r, w, it, rec, NULL);
	jw_kstr(w, "at", it->at);
	jw_kstr(w, "created_by", it->created_by);
	api_item_org(r, w, it);
	jw_kstr(w, "created_at", it->created_at);
	jw_end(w);
}

/* The date of recruitment of a case: its first trafficking event of type
 * Recruitment with a date; NULL when none. */
static const char *recruited_on(json_t *crec)
{
	const char *best = NULL;
	size_t i;
	json_t *ev;

	json_array_foreach(json_object_get(crec, "trafficking_events"), i, ev) {
		const char *type = str_of(ev, "type"), *date = str_of(ev, "date");
		if (type && date && !strcmp(type, "Recruitment") && (!best || strcmp(date, best) < 0))
			best = date;
	}
	return best;
}

/* Whether the person of case c was a child at recruitment, from the
 * person's birth date or estimated age and the case's dates (the answer
 * shows the reason, never the birth date). */
static int screening_age_of(struct req *r, const struct case_row *c, struct screening_age *out)
{
	struct person_row p;
	json_t *person, *crec, *est;
	char today[11];
	int rc = store_person_get(r->app->st, c->person_id, &p, &r->mem);

	if (rc != STORE_OK)
		return api_store_error(r, rc);
	person = record_open(&r->app->kr, &r->mem, p.coded, p.sealed, p.sealed_len, p.id);
	crec = api_case_open_record(r, c);
	if (!person || !crec) {
		json_decref(person);
		json_decref(crec);
		return reply_problem(r, 500, "internal", "the record cannot be opened");
	}
	est = json_object_get(person, "estimated_age");
	consent_today(today);
	screening_child_age(str_of(person, "birth_date"),
			    json_is_integer(est) ? (long)json_integer_value(est) : -1, c->opened_on,
			    recruited_on(crec), str_of(crec, "exploitation_start"), today, out);
	json_decref(person);
	json_decref(crec);
	return 0;
}

/* Whether case c is a child's: the dates say so, or (no age known) its
 * newest screening was made as a child's. */
static int case_of_child(struct req *r, const struct case_row *c, int *child)
{
	struct screening_age a;
	struct item_row *rows;
	size_t n = 0;

	if (screening_age_of(r, c, &a))
		return r->status;
	*child = a.known && a.child;
	if (a.known)
		return 0;
	if (store_items_of_case(r->app->st, c->id, "screening", &rows, &n, &r->mem) != STORE_OK)
		return api_store_error(r, STORE_ERROR);
	if (n) {
		json_t *coded = json_loads(rows[n - 1].coded, 0, NULL);
		*child = json_is_true(json_object_get(coded, "child"));
		json_decref(coded);
	}
	return 0;
}

/* {"basis":..., "age":n, "at":event, "on":date} or {"basis":"stated"}. */
int api_screenings_create(struct req *r)
{
	struct screening_age age;
	const struct indicator_set *set;
	struct screening_result res;
	struct case_row c;
	struct item_row it;
	const char *instrument, *key, **codes;
	char stage_from[STAGE_LEN];
	const struct case_change ch = {EV_SCREENING, NULL};
	enum answer *answers;
	json_t *body, *ans, *v, *rec, *reason;
	char err[200], record[64];
	size_t n, i = 0;
	int child = 0, moved, rc;
	store_tx *tx;
	jsonw w;

	if (api_case_load(r, r->params[0], &c))
		return r->status;
	if (!api_case_may(r, ACT_CASE_SCREEN))
		return reply_problem(r, 403, "forbidden", "you cannot screen in this case");
	body = req_json_object(r);
	if (!body)
		return r->status;
	if (only(r, body, screening_fields))
		return r->status;
	instrument = json_string_value(json_object_get(body, "instrument"));
	set = instrument ? indicator_set_find(instrument) : NULL;
	if (!set || !indicator_set_weighted(set))
		return reply_problem(r, 422, "invalid-value",
				     "instrument: use delphi-adult-labour");
	if (json_object_get(body, "child")) {
		if (!json_is_boolean(json_object_get(body, "child")))
			return reply_problem(r, 422, "invalid-value", "child: true or false");
		child = json_is_true(json_object_get(body, "child"));
	}
	/* The dates decide; a stated flag counts only when no age is known. */
	if (screening_age_of(r, &c, &age))
		return r->status;
	if (age.known && json_object_get(body, "child") && child != age.child)
		return reply_problemf(r, 422, "invalid-value",
				      "child: the dates say %s (age %d at %s on %s)",
				      age.child ? "a child" : "an adult", age.age, age.event, age.on);
	if (age.known)
		child = age.child;
	ans = json_object_get(body, "answers");
	if (!json_is_object(ans))
		return reply_problem(r, 422, "invalid-value", "answers: an object of code: answer");
	n = json_object_size(ans);
	codes = arena_alloc(&r->mem, (n + 1) * sizeof *codes);
	answers = arena_alloc(&r->mem, (n + 1) * sizeof *answers);
	if (!codes || !answers)
		return reply_problem(r, 500, "internal", "out of memory");
	json_object_foreach(ans, key, v) {
		if (screening_answer_parse(json_string_value(v), &answers[i]) != 0)
			return reply_problemf(r, 422, "invalid-value",
					      "answers.%.60s: yes, no, unknown or declined", key);
		codes[i++] = key;
	}
	if (screening_evaluate(set, codes, answers, n, child, &res, err, sizeof err) != 0)
		return reply_problemf(r, 422, "invalid-value", "answers: %s", err);

	/* The suggestion and per-dimension results are codes; the answers
	 * themselves are sensitive and sealed. */
	api_item_new(r, &it, "screening", c.id, c.person_id);
	reason = rows_child_reason_json(&age, json_object_get(body, "child") != NULL);
	rc = rows_screening_seal(&r->app->kr, &r->mem, set, codes, answers, n, &res, reason, &it);
	json_decref(reason);
	if (rc)
		return reply_problem(r, 500, "internal", "out of memory");
	snprintf(stage_from, sizeof stage_from, "%s", c.stage);
	moved = case_move(r, &c, ch.ev, NULL);
	snprintf(record, sizeof record, "screenings/%s", it.id);
	tx = store_begin(r->app->st);
	rc = tx ? store_item_insert(tx, &it) : STORE_ERROR;
	if (rc == STORE_OK && moved)
		rc = case_save_move(r, tx, &c, &ch, stage_from, &moved);
	if (rc == STORE_OK && moved)
		rc = stage_event(r, tx, &c, stage_from);
	if (rc == STORE_OK)
		rc = api_audit_write(r, tx, "create", record, "answers");
	if ((rc = api_tx_end(r, tx, rc)))
		return rc;
	/* Answered as stored. */
	rec = item_open(r, &it);
	if (!rec)
		return reply_problem(r, 500, "internal", "the record cannot be opened");
	reply_json_begin(r, 201, &w);
	write_screening(r, &w, &it, rec);
	jw_finish(&w);
	json_decref(rec);
	api_item_located(r, &it);
	return 201;
}

int api_screenings_list(struct req *r)
{
	struct case_row c;
	struct item_row *rows;
	char record[64];
	size_t n = 0, i;
	jsonw w;

	if (api_case_load(r, r->params[0], &c))
		return r->status;
	if (store_items_of_case(r->app->st, c.id, "screening", &rows, &n, &r->mem) != STORE_OK)
		return api_store_error(r, STORE_ERROR);
	reply_json_begin(r, 200, &w);
	jw_object(&w);
	jw_key(&w, "items");
	jw_array(&w);
	for (i = 0; i < n; i++) {
		json_t *rec = hidden(r, &rows[i]) ? NULL : item_open(r, &rows[i]);
		if (!rec)
			continue;
		write_screening(r, &w, &rows[i], rec);
		json_decref(rec);
	}
	jw_end(&w);
	jw_key(&w, "next");
	jw_null(&w);
	jw_finish(&w);
	snprintf(record, sizeof record, "cases/%s", c.id);
	if (n)
		api_disclose(r, record, "screenings");
	return 200;
}

/* ---- status decisions ------------------------------------------------ */

/* 1 when an authority has decided on the case: its decision is official
 * and stays the case's status whatever an organisation assesses later. */
static int official_decision_of(struct req *r, const char *case_id)
{
	struct item_row *rows;
	size_t n = 0, i;
	int yes = 0;

	if (store_items_of_case(r->app->st, case_id, "status_decision", &rows, &n, &r->mem) != STORE_OK)
		return 0;
	for (i = 0; i < n && !yes; i++) {
		json_t *d = json_loads(rows[i].coded ? rows[i].coded : "{}", 0, NULL);
		yes = casework_decider_official(json_string_value(json_object_get(d, "decided_by")));
		json_decref(d);
	}
	return yes;
}

int api_decisions_create(struct req *r)
{
	char stage_from[STAGE_LEN];
	struct case_change ch = {EV_DECISION, NULL};
	struct case_row c;
	struct item_row it;
	struct record_error e;
	json_t *body, *rec;
	const char *status;
	int rc;

	if (api_case_load(r, r->params[0], &c))
		return r->status;
	if (!api_case_may(r, ACT_CASE_DECIDE))
		return reply_problem(r, 403, "forbidden",
				     "only an authority's focal point (an official decision) or "
				     "a supervisor (the organisation's own assessment, a presumed "
				     "status) records this");
	body = req_json_object(r);
	if (!body)
		return r->status;
	if (record_validate(&decision_schema, body, RECORD_CREATE, &e))
		return reply_problem(r, 422, e.type, e.detail);
	if ((rc = api_dates_after_birth(r, c.person_id, &decision_schema, body)))
		return rc;
	/* Who decided is the deciding user's organisation: an authority's
	 * decision carries the authority and its reference, anyone else's is
	 * their own assessment (a presumed status, casework_identification). */
	if (policy_org_is_authority(r->who.user.org.type) && !json_object_get(body, "reference"))
		return reply_problem_field(r, 422, "missing-field", "reference",
					   "reference: an authority's decision carries its reference");
	rec = json_deep_copy(body);
	json_object_set_new(rec, "decided_by",
			    json_string(casework_decider(r->who.user.org.type, r->who.user.org.sector)));
	json_object_set_new(rec, "decided_by_org", json_string(r->who.user.org.code));
	api_item_new(r, &it, "status_decision", c.id, c.person_id);
	status = json_string_value(json_object_get(rec, "status"));
	/* An organisation's assessment after an authority's decision is kept
	 * with the case's decisions; the case's status stays the authority's. */
	if (!casework_decider_official(json_string_value(json_object_get(rec, "decided_by"))) &&
	    official_decision_of(r, c.id)) {
		json_object_set_new(rec, "case_status_kept", json_true());
		if (rows_item_seal(&r->app->kr, &r->mem, rec, &it)) {
			json_decref(rec);
			return reply_problem(r, 500, "internal", "out of memory");
		}
		rc = item_commit(r, &c, &it, &decision_schema, rec, "reference", NULL, NULL, NULL, 0);
		json_decref(rec);
		return rc;
	}
	if (rows_item_seal(&r->app->kr, &r->mem, rec, &it)) {
		json_decref(rec);
		return reply_problem(r, 500, "internal", "out of memory");
	}
	/* The case carries the newest decision; history stays in the items. */
	snprintf(stage_from, sizeof stage_from, "%s", c.stage);
	ch.status = status;
	rc = item_commit(r, &c, &it, &decision_schema, rec, "reference",
			 case_move(r, &c, ch.ev, ch.status) ? &ch : NULL, stage_from, NULL, 0);
	json_decref(rec);
	return rc;
}

int api_decisions_list(struct req *r)
{
	struct case_row c;
	struct item_row *rows;
	size_t n = 0, i;
	jsonw w;

	if (api_case_load(r, r->params[0], &c))
		return r->status;
	if (store_items_of_case(r->app->st, c.id, "status_decision", &rows, &n, &r->mem) != STORE_OK)
		return api_store_error(r, STORE_ERROR);
	reply_json_begin(r, 200, &w);
	jw_object(&w);
	jw_key(&w, "items");
	jw_array(&w);
	for (i = 0; i < n; i++) {
		json_t *rec = hidden(r, &rows[i]) ? NULL : item_open(r, &rows[i]);
		if (!rec)
			continue;
		api_item_write(r, &w, &rows[i], &decision_schema, rec);
		json_decref(rec);
	}
	jw_end(&w);
	jw_key(&w, "next");
	jw_null(&w);
	jw_finish(&w);
	return 200;
}

/* ---- consents -------------------------------------------------------- */


/* Whether person p is under 18 today, from the birth date or the age
 * estimated when the person was registered (0 when unknown). */
static int person_is_minor(struct req *r, const struct person_row *p, int *minor)
{
	struct screening_age a;
	json_t *rec = record_open(&r->app->kr, &r->mem, p->coded, p->sealed, p->sealed_len, p->id);
	json_t *est = json_object_get(rec, "estimated_age");
	char today[11], registered[11];

	if (!rec)
		return reply_problem(r, 500, "internal", "the record cannot be opened");
	consent_today(today);
	snprintf(registered, sizeof registered, "%.10s", p->created_at);
	screening_child_age(str_of(rec, "birth_date"),
			    json_is_integer(est) ? (long)json_integer_value(est) : -1, registered,
			    NULL, NULL, today, &a);
	*minor = a.known && a.child;
	json_decref(rec);
	return 0;
}

static void write_consent(struct req *r, jsonw *w, const struct item_row *it, json_t *rec,
			  const char *today)
{
	jw_object(w);
	jw_kstr(w, "id", it->id);
	jw_kint(w, "version", it->version);
	jw_kstr(w, "person_id", it->person_id);
	write_item_fields(r, w, it, &consent_schema, rec);
	jw_kstr(w, "state", consent_state(rec, today));
	jw_kstr(w, "created_by", it->created_by);
	api_item_org(r, w, it);
	jw_kstr(w, "created_at", it->created_at);
	jw_kstr(w, "updated_at", it->updated_at);
	jw_end(w);
}

/* Seal a consent, insert or update it with its audit entry, and answer
 * with it (status 201 for a new one, 200 for a change). */
static int consent_save(struct req *r, struct item_row *it, json_t *rec, int is_new,
			const char *action, const char *fields, const char *today)
{
	char record[64];
	store_tx *tx;
	jsonw w;
	int rc;

	if (rows_consent_seal(&r->app->kr, &r->mem, rec, it))
		return reply_problem(r, 500, "internal", "out of memory");
	snprintf(record, sizeof record, "consents/%s", it->id);
	tx = store_begin(r->app->st);
	rc = !tx ? STORE_ERROR : is_new ? store_item_insert(tx, it) : store_item_update(tx, it);
	if (rc == STORE_OK && !is_new && strcmp(it->status, "active"))
		rc = store_referral_names_drop_consent(tx, it->id); /* api/referrals.c */
	if (rc == STORE_OK)
		rc = api_audit_write(r, tx, action, record, fields);
	if ((rc = api_tx_end(r, tx, rc)))
		return rc;
	api_pprl_refresh_req(r, it->person_id);
	reply_json_begin(r, is_new ? 201 : 200, &w);
	write_consent(r, &w, it, rec, today);
	jw_finish(&w);
	if (is_new)
		api_item_located(r, it);
	return is_new ? 201 : 200;
}

static void write_consent_now(struct req *r, jsonw *w, const struct item_row *it, json_t *rec)
{
	char today[11];

	consent_today(today);
	write_consent(r, w, it, rec, today);
}

int api_consents_create(struct req *r)
{
	struct person_row p;
	struct item_row it;
	struct record_error e;
	struct org o;
	char today[11];
	json_t *body, *rec;
	const char *to_org, *to_type, *bad, *why;
	int minor = 0, rc;

	if (api_person_load(r, r->params[0], &p, PERSON_TO_WRITE))
		return r->status;
	if (!api_may_own(r, ACT_CONSENT_RECORD))
		return reply_problem(r, 403, "forbidden", "your role cannot record consent");
	body = req_json_object(r);
	if (!body)
		return r->status;
	if (record_validate(&consent_schema, body, RECORD_CREATE, &e))
		return reply_problem(r, 422, e.type, e.detail);
	/* Given today (in the programme's zone) unless said: set after the
	 * validation, whose "not in the future" reads UTC's day (east of UTC
	 * the programme's today is UTC's tomorrow for some hours), and then
	 * held to the schema's order: no expiry before it. */
	consent_today(today);
	if (!json_object_get(body, "given_on")) {
		const char *exp = json_string_value(json_object_get(body, "expires"));
		if (exp && strcmp(exp, today) < 0)
			return reply_problem_field(r, 422, "invalid-value", "expires",
						   "expires: is before the consent was given");
		json_object_set_new(body, "given_on", json_string(today));
	}
	to_org = json_string_value(json_object_get(body, "recipient_org"));
	if (to_org && store_org_by_code(r->app->st, to_org, &o) != STORE_OK)
		return reply_problem(r, 422, "invalid-value", "recipient_org: no such organisation");
	/* Both must hold of a recipient (consent_covers): an organisation
	 * of another type would make a consent that covers no one. */
	to_type = json_string_value(json_object_get(body, "recipient_type"));
	if (to_org && to_type && strcmp(o.type, to_type))
		return reply_problem_field(r, 422, "invalid-value", "recipient_type",
					   "recipient_type: the organisation named is of another type");
	if (person_is_minor(r, &p, &minor))
		return r->status;
	if ((bad = consent_giver_problem(body, minor, &why)))
		return reply_problem_field(r, 422, minor ? "guardian-required" : "invalid-value", bad,
					   why);
	rec = json_deep_copy(body);
	api_item_new(r, &it, "consent", NULL, p.id);
	rc = consent_save(r, &it, rec, 1, "create",
			  json_object_get(rec, "guardian_name")
				  ? "purpose,recipient_org,method,guardian_name"
				  : "purpose,recipient_org,method",
			  today);
	json_decref(rec);
	return rc;
}

int api_consents_list(struct req *r)
{
	struct person_row p;
	struct item_row *rows;
	char today[11];
	size_t n = 0, i;
	jsonw w;

	if (api_person_load(r, r->params[0], &p, PERSON_TO_READ))
		return r->status;
	if (store_items_of_person(r->app->st, p.id, "consent", &rows, &n, &r->mem) != STORE_OK)
		return api_store_error(r, STORE_ERROR);
	consent_today(today);
	reply_json_begin(r, 200, &w);
	jw_object(&w);
	jw_key(&w, "items");
	jw_array(&w);
	for (i = 0; i < n; i++) {
		json_t *rec = item_open(r, &rows[i]);
		if (!rec)
			continue;
		write_consent(r, &w, &rows[i], rec, today);
		json_decref(rec);
	}
	jw_end(&w);
	jw_key(&w, "next");
	jw_null(&w);
	jw_finish(&w);
	return 200;
}

int api_consent_withdraw(struct req *r)
{
	struct item_row it;
	struct person_row p;
	char today[11];
	json_t *rec;
	int rc;

	rc = store_item_get(r->app->st, r->params[0], &it, &r->mem);
	if (rc != STORE_OK || strcmp(it.kind, "consent"))
		return api_store_error(r, rc == STORE_OK ? STORE_NOT_FOUND : rc);
	if (api_person_load(r, it.person_id, &p, PERSON_TO_READ))
		return r->status;
	if (!api_may_own(r, ACT_CONSENT_RECORD))
		return reply_problem(r, 403, "forbidden", "your role cannot record consent");
	if (r->body.len && !req_json_object(r))
		return r->status;
	if (r->body_json && json_object_size(r->body_json))
		return reply_problem(r, 422, "unknown-field", "withdraw takes no fields");
	rec = item_open(r, &it);
	if (!rec)
		return reply_problem(r, 500, "internal", "the record cannot be opened");
	if (json_object_get(rec, "withdrawn_on")) {
		json_decref(rec);
		return reply_problem(r, 409, "already-withdrawn", "this consent was withdrawn");
	}
	consent_today(today);
	json_object_set_new(rec, "withdrawn_on", json_string(today));
	it.version++;
	store_now(it.updated_at);
	rc = consent_save(r, &it, rec, 0, "withdraw", "withdrawn_on", today);
	json_decref(rec);
	return rc;
}

/* ---- the timeline ---------------------------------------------------- */

static const struct resource_schema *schema_of_kind(const char *kind)
{
	const struct item_kind *k = kind_of(kind);
	if (k)
		return k->rs;
	if (!strcmp(kind, "status_decision"))
		return &decision_schema;
	if (!strcmp(kind, "stay"))
		return &stay_schema;
	return NULL;
}

/* The timeline type of an item: its kind, or for notes and events the
 * type they carry. */
static const char *timeline_type(const struct item_row *it, json_t *rec)
{
	if (!strcmp(it->kind, "note") || !strcmp(it->kind, "event"))
		return json_string_value(json_object_get(rec, "type"));
	if (!strcmp(it->kind, "followup"))
		return "follow_up";
	if (!strcmp(it->kind, "stay"))
		return "shelter_stay";
	if (!strcmp(it->kind, "proceeding"))
		return "legal_step";
	if (!strcmp(it->kind, "risk"))
		return "assessment";
	if (!strcmp(it->kind, "safety"))
		return "safety_plan";
	return it->kind;
}

int api_case_timeline(struct req *r)
{
	struct case_row c;
	struct item_row *rows;
	char record[64];
	size_t n = 0, i;
	jsonw w;

	if (api_case_load(r, r->params[0], &c))
		return r->status;
	if (store_items_of_case(r->app->st, c.id, NULL, &rows, &n, &r->mem) != STORE_OK)
		return api_store_error(r, STORE_ERROR);
	reply_json_begin(r, 200, &w);
	jw_object(&w);
	jw_key(&w, "items");
	jw_array(&w);
	for (i = 0; i < n; i++) {
		const struct resource_schema *rs = schema_of_kind(rows[i].kind);
		json_t *rec = hidden(r, &rows[i]) ? NULL : item_open(r, &rows[i]);
		const char *type;
		if (!rec)
			continue;
		type = timeline_type(&rows[i], rec);
		jw_object(&w);
		jw_kstr(&w, "id", rows[i].id);
		jw_kstr(&w, "kind", rows[i].kind);
		jw_kstr(&w, "type", type ? type : rows[i].kind);
		jw_kstr(&w, "at", rows[i].at);
		jw_kstr(&w, "created_by", rows[i].created_by);
		jw_kstr(&w, "org", org_code_of(r, rows[i].org_id));
		jw_key(&w, "data");
		jw_object(&w);
		if (!strcmp(rows[i].kind, "proceeding")) /* its fields only to justice.read */
			api_justice_timeline_data(r, &w, &rows[i], rec);
		else if (rs)
			write_item_fields(r, &w, &rows[i], rs, rec);
		else /* answers are read on the screening itself */
			write_item_members(r, &w, &rows[i], rec, "answers");
		jw_end(&w);
		jw_end(&w);
		json_decref(rec);
	}
	jw_end(&w);
	jw_key(&w, "next");
	jw_null(&w);
	jw_finish(&w);
	snprintf(record, sizeof record, "cases/%s", c.id);
	api_disclose(r, record, "timeline");
	return 200;
}
