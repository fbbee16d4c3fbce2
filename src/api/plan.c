/*
 * plan.c - the national Action Plan on counter-trafficking as data: a
 * plan is loaded from a JSON file (`himoya plan load`, POST /plan by a
 * supervisor of its coordinating organisation), agencies report progress
 * on their own activities, and everyone concerned sees each activity's
 * status (domain/plan.h: done, on track, late, not started) on the plan
 * page and in the XLSX for the interagency meeting.  Nothing here is
 * about a person: the fields are coded, none sealed (schema/plan.c).
 *
 * The file: {"plan": CODE, "coordinator": ORG CODE, "title_tg"?,
 * "title_ru"?, "title_en"?, "sample"?, "activities": [ACTIVITY, ...]},
 * each activity as schema/plan.c declares it, "responsible" an
 * organisation's code.  Loading again updates the activities by number
 * and keeps their reports.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/plan.h"
#include "domain/consent.h"
#include "domain/plan.h"
#include "domain/record.h"
#include "store/plan.h"
#include "util/sheet.h"

#define PLAN_ACTIVITIES_MAX 500

static const char *const plan_top[] = {"plan", "coordinator", "title_tg", "title_ru", "title_en",
				       "sample", "activities", NULL};

static int code_ok(const char *s)
{
	size_t n = s ? strlen(s) : 0, i;
	if (n < 1 || n > 64)
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-' ||
		      s[i] == '_' || s[i] == '.'))
			return 0;
	return 1;
}

int api_plan_load(store *st, store_tx *tx, json_t *file, const char *now, struct org *coordinator,
		  char *err, size_t errlen)
{
	json_t *acts = json_object_get(file, "activities"), *v, *title;
	const char *key, *plan = json_string_value(json_object_get(file, "plan"));
	struct plan_row p;
	struct record_error e;
	size_t i, j;
	char *coded;
	int rc;

	json_object_foreach(file, key, v) {
		const char *const *k;
		for (k = plan_top; *k && strcmp(*k, key); k++)
			;
		if (!*k)
			return snprintf(err, errlen, "%.60s: is not a field of a plan", key), -1;
		if (!strncmp(key, "title_", 6) && (!json_is_string(v) || json_string_length(v) > 500))
			return snprintf(err, errlen, "%s: a text of at most 500 characters", key), -1;
	}
	if (!code_ok(plan))
		return snprintf(err, errlen, "plan: a code of a-z, 0-9, - _ . (1 to 64)"), -1;
	if (json_object_get(file, "sample") && !json_is_boolean(json_object_get(file, "sample")))
		return snprintf(err, errlen, "sample: true or false"), -1;
	if (store_org_by_code(st, json_string_value(json_object_get(file, "coordinator")) ?
					  json_string_value(json_object_get(file, "coordinator")) : "",
			      coordinator) != STORE_OK)
		return snprintf(err, errlen, "coordinator: the code of an organisation"), -1;
	if (!json_is_array(acts) || !json_array_size(acts) ||
	    json_array_size(acts) > PLAN_ACTIVITIES_MAX)
		return snprintf(err, errlen, "activities: a list of 1 to %d activities",
				PLAN_ACTIVITIES_MAX), -1;
	json_array_foreach(acts, i, v) {
		struct org o;
		if (!json_is_object(v))
			return snprintf(err, errlen, "activities[%zu]: an object", i), -1;
		if (record_validate(&plan_activity_schema, v, RECORD_CREATE, &e))
			return snprintf(err, errlen, "activities[%zu].%s", i, e.detail), -1;
		if (store_org_by_code(st, json_string_value(json_object_get(v, "responsible")), &o) !=
		    STORE_OK)
			return snprintf(err, errlen,
					"activities[%zu].responsible: the code of an organisation", i), -1;
		for (j = 0; j < i; j++)
			if (!strcmp(json_string_value(json_object_get(json_array_get(acts, j), "number")),
				    json_string_value(json_object_get(v, "number"))))
				return snprintf(err, errlen, "activities[%zu].number: given twice", i), -1;
	}
	memset(&p, 0, sizeof p);
	snprintf(p.code, sizeof p.code, "%s", plan);
	snprintf(p.coordinator_org, sizeof p.coordinator_org, "%s", coordinator->id);
	snprintf(p.loaded_at, sizeof p.loaded_at, "%s", now);
	title = json_pack("{s:O?,s:O?,s:O?,s:b}", "title_tg", json_object_get(file, "title_tg"),
			  "title_ru", json_object_get(file, "title_ru"), "title_en",
			  json_object_get(file, "title_en"), "sample",
			  json_is_true(json_object_get(file, "sample")));
	coded = title ? json_dumps(title, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	json_decref(title);
	if (!coded)
		return snprintf(err, errlen, "out of memory"), -2;
	p.coded = coded;
	rc = store_plan_put(tx, &p);
	free(coded);
	json_array_foreach(acts, i, v) {
		struct plan_activity_row a;
		struct org o;
		if (rc != STORE_OK)
			break;
		memset(&a, 0, sizeof a);
		store_new_id(a.id);
		snprintf(a.plan, sizeof a.plan, "%s", plan);
		snprintf(a.number, sizeof a.number, "%s", json_string_value(json_object_get(v, "number")));
		if (store_org_by_code(st, json_string_value(json_object_get(v, "responsible")), &o) !=
		    STORE_OK) {
			rc = STORE_ERROR;
			break;
		}
		snprintf(a.responsible_org, sizeof a.responsible_org, "%s", o.id);
		coded = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS);
		a.coded = coded;
		rc = coded ? store_plan_activity_put(tx, &a) : STORE_ERROR;
		free(coded);
	}
	if (rc != STORE_OK)
		return snprintf(err, errlen, "the plan could not be stored"), -2;
	return 0;
}

/* ---- the plan as the API shows it -------------------------------------- */

/* An activity with its status from its newest report. */
struct shown {
	const struct plan_activity_row *row;
	json_t *rec, *last;
	const char *status;
};

static void shown_open(struct shown *s, const struct plan_activity_row *row, const char *today)
{
	json_t *v;
	s->row = row;
	s->rec = json_loads(row->coded, 0, NULL);
	s->last = row->last_report ? json_loads(row->last_report, 0, NULL) : NULL;
	v = json_object_get(s->last, "value");
	s->status = plan_status(json_string_value(json_object_get(s->rec, "deadline")),
				json_integer_value(json_object_get(s->rec, "target")), s->last != NULL,
				json_integer_value(v), today);
}

static void shown_close(struct shown *s)
{
	json_decref(s->rec);
	json_decref(s->last);
}

/* The plan asked for (?plan=CODE, or the last loaded) with its
 * activities; 0, or the problem's status. */
static int plan_load(struct req *r, struct plan_row *p, struct plan_activity_row **rows, size_t *n)
{
	const char *code = req_query(r, "plan");
	int rc;

	if (policy_allows(ACT_PLAN_READ, r->who.user.role, 0) < 0)
		return reply_problem(r, 404, "not-found", "no such resource");
	rc = store_plan_get(r->app->st, code, p, &r->mem);
	if (rc == STORE_NOT_FOUND)
		return reply_problem(r, 404, "not-found", "no plan is loaded");
	if (rc != STORE_OK ||
	    store_plan_activities(r->app->st, p->code, rows, n, &r->mem) != STORE_OK)
		return api_store_error(r, STORE_ERROR);
	return 0;
}

/* GET /plan[?plan=CODE] */
int api_plan_get(struct req *r)
{
	struct plan_row p;
	struct plan_activity_row *rows;
	size_t n = 0, i;
	char today[11];
	json_t *title, *v;
	const char *key;
	jsonw w;

	if (plan_load(r, &p, &rows, &n))
		return r->status;
	consent_today(today);
	title = json_loads(p.coded, 0, NULL);
	reply_json_begin(r, 200, &w);
	jw_object(&w);
	jw_kstr(&w, "plan", p.code);
	jw_kstr(&w, "coordinator", p.coordinator_code);
	json_object_foreach(title, key, v) {
		jw_key(&w, key);
		jw_value(&w, v);
	}
	jw_kstr(&w, "today", today);
	jw_key(&w, "activities");
	jw_array(&w);
	for (i = 0; i < n; i++) {
		struct shown s;
		shown_open(&s, &rows[i], today);
		jw_object(&w);
		jw_kstr(&w, "id", rows[i].id);
		json_object_foreach(s.rec, key, v) {
			jw_key(&w, key);
			jw_value(&w, v);
		}
		jw_kbool(&w, "own", !strcmp(rows[i].responsible_org, r->who.user.org.id));
		if (s.last) {
			jw_key(&w, "last_report");
			jw_value(&w, s.last);
		}
		jw_kint(&w, "reports", rows[i].reports);
		jw_kstr(&w, "status", s.status);
		jw_end(&w);
		shown_close(&s);
	}
	jw_end(&w);
	jw_finish(&w);
	json_decref(title);
	return 200;
}

/* POST /plan: a supervisor of the coordinating organisation loads a plan
 * (or the next one) from its JSON; a new plan, the coordinator of the plan
 * in force or the installation's own organisation. */
int api_plan_post(struct req *r)
{
	struct plan_row old;
	struct org coord;
	char err[300], now[TS_LEN], record[96];
	const char *code;
	store_tx *tx;
	json_t *body;
	jsonw w;
	int rc;

	if (policy_allows(ACT_PLAN_EDIT, r->who.user.role, PC_OWN_ORG) < 0)
		return reply_problem(r, 404, "not-found", "no such resource");
	body = req_json_object(r);
	if (!body)
		return r->status;
	code = json_string_value(json_object_get(body, "plan"));
	/* A plan already loaded is its coordinator's to change.  A new one
	 * becomes the plan every agency sees (GET /plan shows the last
	 * loaded): it is for the coordinator of the plan in force, or the
	 * installation's own organisation, not for any supervisor (an
	 * outside review replaced the national plan from an NGO). */
	if (code && store_plan_get(r->app->st, code, &old, &r->mem) == STORE_OK) {
		if (strcmp(old.coordinator_org, r->who.user.org.id))
			return reply_problem(r, 403, "forbidden", "this plan is its coordinator's");
	} else if (!api_caller_is_home(r) &&
		   !(store_plan_get(r->app->st, NULL, &old, &r->mem) == STORE_OK &&
		     !strcmp(old.coordinator_org, r->who.user.org.id))) {
		return reply_problem(r, 403, "forbidden",
				     "a new plan is loaded by the coordinator of the plan in force");
	}
	store_now(now);
	tx = store_begin(r->app->st);
	if (!tx)
		return api_store_error(r, STORE_BUSY);
	rc = api_plan_load(r->app->st, tx, body, now, &coord, err, sizeof err);
	if (rc == 0 && strcmp(coord.id, r->who.user.org.id)) {
		store_rollback(tx);
		return reply_problem(r, 422, "invalid-value",
				     "coordinator: your own organisation (it edits the plan)");
	}
	if (rc) {
		store_rollback(tx);
		return reply_problem(r, rc == -1 ? 422 : 500, rc == -1 ? "invalid-value" : "internal",
				     err);
	}
	snprintf(record, sizeof record, "plans/%s", code);
	rc = api_audit_write(r, tx, "load", record, "");
	if ((rc = api_tx_end(r, tx, rc)))
		return rc;
	reply_json_begin(r, 200, &w);
	jw_object(&w);
	jw_kstr(&w, "plan", code);
	jw_kint(&w, "activities", (int64_t)json_array_size(json_object_get(body, "activities")));
	jw_finish(&w);
	return 200;
}

/* A report as its create answers it and GET /plan/reports/{id} reads
 * it: rec is its coded record (the "last_report" of GET /plan). */
static void write_report(jsonw *w, const char *id, const char *activity_id, json_t *rec,
			 const char *created_at)
{
	jw_object(w);
	jw_kstr(w, "id", id);
	jw_kstr(w, "activity_id", activity_id);
	jw_kstr(w, "period", json_string_value(json_object_get(rec, "period")));
	jw_kint(w, "value", json_integer_value(json_object_get(rec, "value")));
	if (json_object_get(rec, "note"))
		jw_kstr(w, "note", json_string_value(json_object_get(rec, "note")));
	jw_kstr(w, "created_at", created_at);
	jw_end(w);
}

/* POST /plan/activities/{id}/reports: the responsible agency reports on
 * its own activity (the coordinator's supervisors on any). */
int api_plan_report(struct req *r)
{
	struct plan_activity_row a;
	struct plan_row p;
	struct record_error e;
	char id[ID_LEN], now[TS_LEN], record[64];
	json_t *body;
	char *coded;
	store_tx *tx;
	jsonw w;
	int rc, own, coordinator;

	if (policy_allows(ACT_PLAN_READ, r->who.user.role, 0) < 0 ||
	    store_plan_activity_get(r->app->st, r->params[0], &a, &r->mem) != STORE_OK ||
	    store_plan_get(r->app->st, a.plan, &p, &r->mem) != STORE_OK)
		return reply_problem(r, 404, "not-found", "no such activity");
	own = !strcmp(a.responsible_org, r->who.user.org.id);
	coordinator = !strcmp(p.coordinator_org, r->who.user.org.id);
	if (!(own && policy_allows(ACT_PLAN_REPORT, r->who.user.role, PC_OWN_ORG) >= 0) &&
	    !(coordinator && policy_allows(ACT_PLAN_EDIT, r->who.user.role, PC_OWN_ORG) >= 0))
		return reply_problem(r, 403, "forbidden",
				     "an agency reports on its own activities only");
	body = req_json_object(r);
	if (!body)
		return r->status;
	if (record_validate(&plan_report_schema, body, RECORD_CREATE, &e))
		return reply_problem(r, 422, e.type, e.detail);
	store_new_id(id);
	store_now(now);
	coded = json_dumps(body, JSON_COMPACT | JSON_SORT_KEYS);
	if (!coded)
		return reply_problem(r, 500, "internal", "out of memory");
	snprintf(record, sizeof record, "plan_reports/%s", id);
	tx = store_begin(r->app->st);
	if (!tx) {
		free(coded);
		return api_store_error(r, STORE_BUSY);
	}
	rc = store_plan_report_insert(tx, id, a.id, r->who.user.org.id, coded, r->who.user.id, now);
	free(coded);
	if (rc == STORE_OK)
		rc = api_audit_write(r, tx, "create", record, "");
	if ((rc = api_tx_end(r, tx, rc)))
		return rc;
	reply_json_begin(r, 201, &w);
	write_report(&w, id, a.id, body, now);
	jw_finish(&w);
	api_set_location(r, "plan/reports", id);
	return 201;
}

/* GET /plan/reports/{id}: one report, to whoever reads the plan (plan.read,
 * as GET /plan, which shows every activity's newest report to all the
 * agencies). */
int api_plan_report_get(struct req *r)
{
	struct plan_report_row rep;
	json_t *rec;
	jsonw w;
	int rc;

	if (policy_allows(ACT_PLAN_READ, r->who.user.role, 0) < 0)
		return reply_problem(r, 404, "not-found", "no such resource");
	rc = store_plan_report_get(r->app->st, r->params[0], &rep, &r->mem);
	if (rc != STORE_OK)
		return api_store_error(r, rc);
	if (!(rec = json_loads(rep.coded, 0, NULL)))
		return reply_problem(r, 500, "internal", "the record cannot be read");
	reply_json_begin(r, 200, &w);
	write_report(&w, rep.id, rep.activity_id, rec, rep.created_at);
	jw_finish(&w);
	json_decref(rec);
	return 200;
}

/* ---- the XLSX for the interagency meeting ------------------------------ */

static const struct {
	const char *status, *tg, *ru, *en;
} status_words[] = {
	{"done", "Иҷро шуд", "Выполнено", "Done"},
	{"on_track", "Дар ҷараён", "Выполняется по плану", "On track"},
	{"late", "Мӯҳлат гузашт", "Просрочено", "Late"},
	{"not_started", "Оғоз нашудааст", "Не начато", "Not started"},
};

static const char *status_word(const char *status, const char *lang)
{
	size_t i;
	for (i = 0; i < sizeof status_words / sizeof status_words[0]; i++)
		if (!strcmp(status_words[i].status, status))
			return !strcmp(lang, "tg") ? status_words[i].tg
			       : !strcmp(lang, "ru") ? status_words[i].ru
						     : status_words[i].en;
	return status;
}

/* The activity's text in lang, else in English. */
static const char *text_in(json_t *rec, const char *lang)
{
	char key[16];
	const char *s;
	snprintf(key, sizeof key, "text_%s", lang);
	s = json_string_value(json_object_get(rec, key));
	return s ? s : json_string_value(json_object_get(rec, "text_en"));
}

/* GET /plan/report.xlsx[?plan=CODE&lang=tg|ru|en] */
int api_plan_xlsx(struct req *r)
{
	static const char *const head[] = {"number", "activity", "responsible", "partners",
					   "deadline", "indicator", "baseline", "target",
					   "value reached", "period", "status", "sample", NULL};
	const char *lang = req_query(r, "lang");
	struct plan_row p;
	struct plan_activity_row *rows;
	struct sheet *sh;
	size_t n = 0, i, j;
	char today[11];

	if (!lang) /* else tg, ru or en (api_dispatch) */
		lang = "en";
	if (plan_load(r, &p, &rows, &n))
		return r->status;
	consent_today(today);
	sh = sheet_new(SHEET_XLSX, NULL);
	if (!sh)
		return reply_problem(r, 500, "internal", "cannot write the sheet");
	sheet_tab(sh, p.code);
	for (j = 0; head[j]; j++)
		sheet_text(sh, head[j]);
	sheet_row_end(sh);
	for (i = 0; i < n; i++) {
		struct shown s;
		json_t *partners, *v;
		struct org o;
		char list[1400] = "";
		size_t used = 0;

		shown_open(&s, &rows[i], today);
		partners = json_object_get(s.rec, "partners");
		json_array_foreach(partners, j, v) {
			int k = snprintf(list + used, sizeof list - used, "%s%s", used ? ", " : "",
					 json_string_value(v));
			if (k < 0 || (size_t)k >= sizeof list - used)
				break;
			used += (size_t)k;
		}
		sheet_text(sh, rows[i].number);
		sheet_text(sh, text_in(s.rec, lang));
		sheet_text(sh, store_org_by_id(r->app->st, rows[i].responsible_org, &o) == STORE_OK
				       ? o.code : NULL);
		sheet_text(sh, list);
		sheet_text(sh, json_string_value(json_object_get(s.rec, "deadline")));
		sheet_text(sh, json_string_value(json_object_get(s.rec, "indicator")));
		if (json_object_get(s.rec, "baseline"))
			sheet_int(sh, json_integer_value(json_object_get(s.rec, "baseline")));
		else
			sheet_text(sh, NULL);
		sheet_int(sh, json_integer_value(json_object_get(s.rec, "target")));
		if (s.last)
			sheet_int(sh, json_integer_value(json_object_get(s.last, "value")));
		else
			sheet_text(sh, NULL);
		sheet_text(sh, json_string_value(json_object_get(s.last, "period")));
		sheet_text(sh, status_word(s.status, lang));
		sheet_text(sh, json_is_true(json_object_get(s.rec, "sample")) ? "sample" : NULL);
		sheet_row_end(sh);
		shown_close(&s);
	}
	buf_reset(&r->out);
	if (sheet_finish(sh, &r->out)) {
		sheet_free(sh);
		return reply_problem(r, 500, "internal", "cannot write the sheet");
	}
	sheet_free(sh);
	r->status = 200;
	r->content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
	reply_header(r, "Content-Disposition", "attachment; filename=\"action-plan.xlsx\"");
	return 200;
}
