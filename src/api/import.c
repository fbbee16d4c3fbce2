/*
 * import.c - a legacy sheet's rows into the register: the API's rules
 * and roads, one transaction; see import.h.
 *
 * The import acts as its named user would through the API: a request
 * of theirs is made here (no connection, address "cli"), so that the
 * audit entries, the timeline event of an opened case and the duplicate
 * check are the handlers' own functions, and every row is shaped by
 * rows_* (api/rows.h) as POST /persons, /consents, /cases and
 * /status-decisions shape it.  The rules the handlers apply are applied
 * here in the same words: a name is needed, a case is opened only with a
 * consent to assistance (a minor's given by a guardian), a new case is
 * Active or FollowUp (or closed with a reason, as a closed legacy case
 * arrives), its worker is a colleague who may hold cases.
 *
 * A status decision of the sheet is the importing organisation's own, as
 * the API derives who decided (a sheet naming another body has the row
 * refused: an authority records its own decisions), dated the
 * day of the import.
 *
 * Duplicates: each row is compared with the organisation's registered
 * persons (api_dedup_candidates, as POST /persons?duplicates=check does)
 * and with the earlier rows of the file (the linkage's own blocking,
 * the same prior model and threshold).  The pair table names two
 * registered persons, so a likely duplicate is registered with its case
 * and the pair goes to the open list for a person to decide (merge,
 * not the same); it is never silently a second person.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>

#include "api/api.h"
#include "api/records.h"
#include "api/import.h"
#include "api/rows.h"
#include "codelists.h"
#include "domain/casework.h"
#include "domain/consent.h"
#include "domain/dedup.h"
#include "domain/record.h"
#include "domain/stdexport.h"

#define ROW_ARENA (64u << 20)
#define ROWS_PER_RESET 128   /* rows between two resets of the arena: freeing it
				for every row made the allocator hand pages back
				and forth (brk) for a third of the time */
#define MAX_KEYS 512

int api_import_allowed(const struct user *u)
{
	return !u->disabled && policy_allows(ACT_IMPORT, u->role, PC_OWN_ORG) >= 0;
}

/* A request of the importing user, as the handlers see one. */
static void job_req(struct import_job *j, struct req *r)
{
	memset(r, 0, sizeof *r);
	arena_init(&r->mem, ROW_ARENA);
	r->app = j->app;
	r->who.kind = AUTH_TOKEN;
	r->who.user = j->actor;
	snprintf(r->addr, sizeof r->addr, "cli");
}

static void req_reset(struct req *r)
{
	arena_free(&r->mem);
	arena_init(&r->mem, ROW_ARENA);
}

/* ---- the rules of the handlers ------------------------------------------ */

/* The sheet's column of a person or case field, for a problem's line. */
static const char *column_of(const struct import_row *row, const char *field)
{
	const struct import_column *c;

	(void)row;
	if (!strcmp(field, "phones"))
		return "prs_MobilePhone";
	if (!strcmp(field, "address"))
		return "prs_MailingStreet";
	for (c = import_columns; c->name; c++)
		if (c->field && !strcmp(c->field, field))
			return c->name;
	return field;
}

static void refuse(struct import_line *l, const char *column, const char *reason)
{
	import_row_problem(&l->row, column, reason);
	l->refused = 1;
}

static int person_named(json_t *rec)
{
	return json_object_get(rec, "given_name") || json_object_get(rec, "family_name");
}

/* The person, as POST /persons checks it. */
static void check_person(struct import_line *l)
{
	struct record_error e;
	json_t *p = l->row.person;

	if (record_validate(&person_schema, p, RECORD_CREATE, &e)) {
		refuse(l, column_of(&l->row, e.field), e.detail);
		return;
	}
	if (!person_named(p))
		refuse(l, "prs_FirstName", "prs_FirstName or prs_SecondName: give at least one name");
}

/* The consent, as POST /persons/{id}/consents checks it: a minor's is
 * given by a guardian, which a sheet's yes does not say. */
static void check_consent(struct import_line *l, const char *today)
{
	struct record_error e;
	const char *born, *why = NULL;
	int minor = 0;

	if (!l->row.consent) {
		refuse(l, "con_Consent", "a case is opened only with the person's consent to "
		       "assistance (con_Consent yes), as the API asks");
		return;
	}
	if (record_validate(&consent_schema, l->row.consent, RECORD_CREATE, &e)) {
		refuse(l, "con_Consent", e.detail);
		return;
	}
	born = json_string_value(json_object_get(l->row.person, "birth_date"));
	if (born) {
		int age = std_years_between(born, today);
		minor = age >= 0 && age < 18;
	}
	if (consent_giver_problem(l->row.consent, minor, &why))
		refuse(l, "con_Consent", why ? why : "a minor's consent is given by a guardian");
}

/* The case worker of cas_CaseOwner: a colleague who may hold cases. */
static void check_owner(struct req *r, struct import_line *l)
{
	struct user u;

	if (!l->row.owner[0])
		return;
	if (store_user_by_login(r->app->st, l->row.owner, &u) != STORE_OK ||
	    !api_assignee_ok(r, u.id)) {
		refuse(l, "cas_CaseOwner", "no colleague of this login in the organisation who "
		       "may hold cases");
		return;
	}
	memcpy(l->owner_id, u.id, ID_LEN);
}

/* The case, as POST /cases checks it, then closed as a legacy case may
 * arrive (with its reason, as POST /cases/{id}/close asks). */
static void check_case(struct req *r, struct import_line *l, const char *today)
{
	struct record_error e;
	json_t *c = l->row.kase, *reason = json_incref(json_object_get(c, "closure_reason"));
	char status[32];
	int closed;

	snprintf(status, sizeof status, "%s",
		 json_string_value(json_object_get(c, "status")) ? json_string_value(
			 json_object_get(c, "status")) : "");
	closed = !strcmp(status, "Closed") || !strcmp(status, "ClosedReferred");

	json_object_del(c, "closure_reason");   /* set by closing, never sent */
	json_object_set_new(c, "person_id", json_string(l->person_id));
	if (closed)
		json_object_set_new(c, "status", json_string("Active"));
	if (record_validate(&case_schema, c, RECORD_CREATE, &e)) {
		refuse(l, column_of(&l->row, e.field), e.detail);
		json_decref(reason);
		return;
	}
	if (reason && !closed) {
		refuse(l, "cas_ReasonForCaseClosure", "a reason for closure of a case that is open");
	} else if (closed && !reason) {
		refuse(l, "cas_ReasonForCaseClosure", "a closed case needs its reason for closure");
	} else if (closed) {
		json_object_set_new(c, "status", json_string(status));
		json_object_set(c, "closure_reason", reason);
		json_object_set_new(c, "closed_on", json_string(today));
	}
	json_decref(reason);
	check_owner(r, l);
	if (!json_object_get(c, "status"))
		json_object_set_new(c, "status", json_string("Active"));
	if (!json_object_get(c, "stage"))
		json_object_set_new(c, "stage", json_string(closed ? "closure" : "contact"));
	if (!json_object_get(c, "opened_on"))
		json_object_set_new(c, "opened_on", json_string(today));
	if (l->owner_id[0])
		json_object_set_new(c, "assigned_to", json_string(l->owner_id));
}

/* The status decision: the sheet's, made before Himoya. */
static void check_decision(struct req *r, struct import_line *l, const char *today)
{
	struct record_error e;
	json_t *d = l->row.decision, *sent;
	const char *by, *mine;

	if (!d)
		return;
	sent = json_pack("{s:O, s:s}", "status", json_object_get(d, "status"), "date", today);
	if (!sent || record_validate(&decision_schema, sent, RECORD_CREATE, &e)) {
		refuse(l, "vic_TraffickingStatus", sent ? e.detail : "out of memory");
		json_decref(sent);
		return;
	}
	json_decref(sent);
	json_object_set_new(d, "date", json_string(today));
	/* Who decided is the importing organisation, as the API derives it
	 * (POST /status-decisions refuses decided_by): an NGO's sheet cannot
	 * record a police identification.  A sheet that names another body
	 * has the row refused: that body records its own decision. */
	by = json_string_value(json_object_get(d, "decided_by"));
	mine = casework_decider(r->who.user.org.type, r->who.user.org.sector);
	if (by && strcmp(by, mine)) {
		char why[200];
		snprintf(why, sizeof why, "%s: a decision is recorded by the body that made it; "
			 "an import records %s's own (%s): leave the cell empty, or let %s record it",
			 by, r->who.user.org.code, mine, by);
		refuse(l, "vic_TraffickinStatusDecisionMakingOrg", why);
		return;
	}
	json_object_set_new(d, "decided_by", json_string(mine));
	json_object_set_new(d, "decided_by_org", json_string(r->who.user.org.code));
	json_object_set(l->row.kase, "trafficking_status", json_object_get(d, "status"));
	if (!json_object_get(l->row.kase, "closed_on"))
		json_object_set_new(l->row.kase, "stage",
				    json_string(casework_stage_after(
					    json_string_value(json_object_get(l->row.kase, "stage")),
					    EV_DECISION)));
}

/* ---- duplicates ------------------------------------------------------------ */

struct infile {
	struct import_job *j;
	size_t *idx;            /* record k is line idx[k] */
	struct link_model m;
};

struct infile_ctx {
	struct infile *f;
	const struct link_record *recs;
};

static int infile_cb(void *arg, uint32_t a, uint32_t b)
{
	struct infile_ctx *x = arg;
	struct import_job *j = x->f->j;
	uint8_t lv[LINK_FIELDS];
	struct import_line *early, *late;
	double p;

	link_compare(&x->recs[a], &x->recs[b], lv);
	if (link_weight(&x->f->m, lv) < x->f->m.threshold)
		return 0;
	early = &j->lines[x->f->idx[a < b ? a : b]];
	late = &j->lines[x->f->idx[a < b ? b : a]];
	p = link_probability(&x->f->m, lv);
	/* The later row is the one proposed; a registered match outranks a
	 * match in the file, a likelier one a less likely one. */
	if (late->dup && (late->dup_person[0] || late->dup_score >= p))
		return 0;
	late->dup = 1;
	late->dup_line = early->line;
	late->dup_index = (size_t)(early - j->lines);
	late->dup_person[0] = '\0';
	late->dup_score = p;
	memcpy(late->dup_lv, lv, LINK_FIELDS);
	return 0;
}

/* Rows like an earlier row of the file. */
static int dedup_in_file(struct import_job *j)
{
	struct link_record *recs = calloc(j->n ? j->n : 1, sizeof *recs);
	size_t *idx = calloc(j->n ? j->n : 1, sizeof *idx), k = 0, i;
	struct infile f;
	struct infile_ctx x;
	struct link_stats stats;
	int year = api_dedup_year(), rc = 0;

	if (!recs || !idx) {
		free(recs);
		free(idx);
		return -1;
	}
	for (i = 0; i < j->n; i++) {
		if (j->lines[i].refused)
			continue;
		api_dedup_record(&j->app->kr, j->actor.org.id, j->lines[i].row.person, year,
				 &recs[k]);
		idx[k++] = i;
	}
	f.j = j;
	f.idx = idx;
	dedup_model_prior(&f.m);
	x.f = &f;
	x.recs = recs;
	if (k >= 2 && link_block_pairs(recs, k, NULL, 0, 0, infile_cb, &x, &stats) != 0)
		rc = -1;
	sodium_memzero(recs, j->n * sizeof *recs);
	free(recs);
	free(idx);
	return rc;
}

/* ---- check -------------------------------------------------------------- */

int api_import_check(struct import_job *j)
{
	struct req r;
	char today[11];
	size_t i;

	consent_today(today);
	job_req(j, &r);
	for (i = 0; i < j->n; i++) {
		struct import_line *l = &j->lines[i];
		struct dedup_candidate c[8];   /* the best of the first few found */

		if (i % ROWS_PER_RESET == 0)
			req_reset(&r);
		if (l->row.refusals)
			l->refused = 1;
		if (l->refused)
			continue;
		store_new_id(l->person_id);
		store_new_id(l->case_id);
		check_person(l);
		if (!l->refused)
			check_consent(l, today);
		if (!l->refused)
			check_case(&r, l, today);
		if (!l->refused)
			check_decision(&r, l, today);
		if (l->refused)
			continue;
		if (api_dedup_candidates(&r, l->row.person, NULL, c, 8) > 0) {
			l->dup = 1;
			memcpy(l->dup_person, c[0].id, ID_LEN);
			l->dup_score = c[0].score;
			memcpy(l->dup_lv, c[0].lv, LINK_FIELDS);
		}
	}
	arena_free(&r.mem);
	if (dedup_in_file(j))
		return -1;
	j->refused = j->duplicates = 0;
	for (i = 0; i < j->n; i++) {
		j->refused += j->lines[i].refused != 0;
		j->duplicates += !j->lines[i].refused && j->lines[i].dup;
	}
	return 0;
}

/* ---- write -------------------------------------------------------------- */

static int write_person(struct req *r, store_tx *tx, struct import_line *l)
{
	struct blind_key *keys = arena_alloc(&r->mem, MAX_KEYS * sizeof *keys);
	struct person_row p;
	char record[64], fields[512];
	size_t nkeys;
	int rc;

	memset(&p, 0, sizeof p);
	memcpy(p.id, l->person_id, ID_LEN);
	snprintf(p.org_id, sizeof p.org_id, "%s", r->who.user.org.id);
	p.version = 1;
	store_now(p.created_at);
	memcpy(p.updated_at, p.created_at, TS_LEN);
	if (!keys || rows_person_seal(&r->app->kr, &r->mem, l->row.person, &p, keys, MAX_KEYS,
				      &nkeys))
		return STORE_ERROR;
	snprintf(record, sizeof record, "persons/%s", p.id);
	record_pii_fields(&person_schema, l->row.person, fields, sizeof fields);
	rc = store_person_insert(tx, &p);
	if (rc == STORE_OK)
		rc = store_person_keys_add(tx, p.id, keys, nkeys);
	if (rc == STORE_OK)
		rc = api_audit_write(r, tx, "create", record, fields);
	return rc;
}

static int write_consent(struct req *r, store_tx *tx, struct import_line *l)
{
	struct item_row it;
	char record[64];
	int rc;

	api_item_new(r, &it, "consent", NULL, l->person_id);
	if (rows_consent_seal(&r->app->kr, &r->mem, l->row.consent, &it))
		return STORE_ERROR;
	snprintf(record, sizeof record, "consents/%s", it.id);
	rc = store_item_insert(tx, &it);
	if (rc == STORE_OK)
		rc = api_audit_write(r, tx, "create", record, "purpose,recipient_org,method");
	return rc;
}

static int write_case(struct req *r, store_tx *tx, struct import_line *l)
{
	struct case_row c;
	char record[64], fields[512];
	int rc;

	memset(&c, 0, sizeof c);
	memcpy(c.id, l->case_id, ID_LEN);
	snprintf(c.org_id, sizeof c.org_id, "%s", r->who.user.org.id);
	c.version = 1;
	store_now(c.created_at);
	memcpy(c.updated_at, c.created_at, TS_LEN);
	if (rows_case_seal(&r->app->kr, &r->mem, l->row.kase, &c))
		return STORE_ERROR;
	snprintf(record, sizeof record, "cases/%s", c.id);
	record_secret_fields(&case_schema, l->row.kase, fields, sizeof fields);
	rc = store_case_insert(tx, &c);
	if (rc == STORE_OK)
		rc = api_case_event(r, tx, &c, "opened", NULL);
	if (rc == STORE_OK && l->row.decision) {
		struct item_row it;
		char drec[64];
		api_item_new(r, &it, "status_decision", c.id, c.person_id);
		if (rows_item_seal(&r->app->kr, &r->mem, l->row.decision, &it))
			return STORE_ERROR;
		snprintf(drec, sizeof drec, "status_decisions/%s", it.id);
		rc = store_item_insert(tx, &it);
		if (rc == STORE_OK)
			rc = api_audit_write(r, tx, "create", drec, "reference");
	}
	if (rc == STORE_OK)
		rc = api_audit_write(r, tx, "create", record, fields);
	return rc;
}

static int write_pair(struct req *r, store_tx *tx, struct import_job *j, struct import_line *l,
		      const char *now)
{
	struct link_model m;
	const char *other = l->dup_person[0] ? l->dup_person : j->lines[l->dup_index].person_id;

	dedup_model_prior(&m);
	return api_dedup_pair_put(tx, &r->mem, r->who.user.org.id, l->person_id, other, &m,
				  l->dup_lv, now);
}

int api_import_write(struct import_job *j)
{
	struct req r;
	char summary[160], now[TS_LEN];
	store_tx *tx;
	size_t i, persons = 0, cases = 0;
	int rc = STORE_OK;

	for (i = 0; i < j->n; i++)
		if (!j->lines[i].refused && (!j->lines[i].dup || j->register_dups)) {
			persons++;
			cases++;
		}
	snprintf(summary, sizeof summary, "persons=%zu,cases=%zu,duplicates=%zu,%s=%zu",
		 persons, cases, j->duplicates, "refused", j->refused);
	job_req(j, &r);
	store_now(now);
	tx = store_begin_many(j->app->st);
	if (!tx) {
		arena_free(&r.mem);
		return -1;
	}
	rc = api_audit_write(&r, tx, "import", NULL, summary);
	for (i = 0; i < j->n && rc == STORE_OK; i++) {
		struct import_line *l = &j->lines[i];
		if (l->refused || (l->dup && !j->register_dups))
			continue;
		rc = write_person(&r, tx, l);
		if (rc == STORE_OK)
			rc = write_consent(&r, tx, l);
		if (rc == STORE_OK)
			rc = write_case(&r, tx, l);
		if (i % ROWS_PER_RESET == ROWS_PER_RESET - 1)
			req_reset(&r);
	}
	/* The pairs last: an earlier row of the file is written by now. */
	for (i = 0; i < j->n && rc == STORE_OK && j->register_dups; i++)
		if (!j->lines[i].refused && j->lines[i].dup) {
			rc = write_pair(&r, tx, j, &j->lines[i], now);
			if (i % ROWS_PER_RESET == ROWS_PER_RESET - 1)
				req_reset(&r);
		}
	if (rc == STORE_OK)
		rc = store_commit(tx);
	else
		store_rollback(tx);
	arena_free(&r.mem);
	if (rc != STORE_OK)
		return -1;
	j->persons = persons;
	j->cases = cases;
	return 0;
}
