/*
 * rows.c - records into store rows, for the API and the demo alike; see
 * rows.h.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/records.h"
#include "api/rows.h"
#include "domain/casework.h"
#include "domain/record.h"
#include "domain/screening.h"
#include "store/reports.h"
#include "fields.h"

int rows_person_seal(const keyring *kr, arena *a, json_t *rec, struct person_row *p,
		     struct blind_key *keys, size_t max, size_t *nkeys)
{
	*nkeys = keys ? person_blind_keys(kr, p->org_id, rec, keys, max) : 0;
	return record_seal(kr, a, &person_schema, rec, p->id, &p->coded, &p->sealed,
			   &p->sealed_len);
}

static void copy_str(json_t *rec, const char *field, char *dst, size_t n)
{
	const char *v = json_string_value(json_object_get(rec, field));
	snprintf(dst, n, "%s", v ? v : "");
}

/* The fields of a case kept in columns of its row: always written back,
 * or (optional) left out when empty. */
static const struct case_column {
	const char *name;
	size_t offset, size;
	int optional;
} case_columns[] = {
	{"person_id", offsetof(struct case_row, person_id), sizeof ((struct case_row *)0)->person_id, 0},
	{"status", offsetof(struct case_row, status), sizeof ((struct case_row *)0)->status, 0},
	{"stage", offsetof(struct case_row, stage), sizeof ((struct case_row *)0)->stage, 0},
	{"opened_on", offsetof(struct case_row, opened_on), sizeof ((struct case_row *)0)->opened_on, 0},
	{"trafficking_status", offsetof(struct case_row, trafficking_status),
	 sizeof ((struct case_row *)0)->trafficking_status, 1},
	{"assigned_to", offsetof(struct case_row, assigned_to),
	 sizeof ((struct case_row *)0)->assigned_to, 1},
	{"previous_case_id", offsetof(struct case_row, previous_case_id),
	 sizeof ((struct case_row *)0)->previous_case_id, 1},
	{"closed_on", offsetof(struct case_row, closed_on), sizeof ((struct case_row *)0)->closed_on, 1},
};
#define NCASE_COLUMNS (sizeof case_columns / sizeof case_columns[0])

void rows_case_columns_from_json(json_t *rec, struct case_row *c)
{
	size_t i;

	for (i = 0; i < NCASE_COLUMNS; i++)
		copy_str(rec, case_columns[i].name, (char *)c + case_columns[i].offset,
			 case_columns[i].size);
}

int rows_case_column(const struct case_row *c, const char *name, const char **value)
{
	size_t i;

	for (i = 0; i < NCASE_COLUMNS; i++)
		if (!strcmp(case_columns[i].name, name)) {
			const char *v = (const char *)c + case_columns[i].offset;
			*value = case_columns[i].optional && !v[0] ? NULL : v;
			return 1;
		}
	return 0;
}

int rows_case_seal(const keyring *kr, arena *a, json_t *rec, struct case_row *c)
{
	rows_case_columns_from_json(rec, c);
	return record_seal(kr, a, &case_schema, rec, c->id, &c->coded, &c->sealed,
			   &c->sealed_len);
}

void rows_case_columns_to_json(const struct case_row *c, json_t *rec)
{
	size_t i;

	for (i = 0; i < NCASE_COLUMNS; i++) {
		const char *v;
		rows_case_column(c, case_columns[i].name, &v);
		if (v)
			json_object_set_new(rec, case_columns[i].name, json_string(v));
		else
			json_object_del(rec, case_columns[i].name);
	}
}

int rows_consent_seal(const keyring *kr, arena *a, json_t *rec, struct item_row *it)
{
	snprintf(it->status, sizeof it->status, "%s",
		 json_object_get(rec, "withdrawn_on") ? "withdrawn" : "active");
	copy_str(rec, "expires", it->due, sizeof it->due);
	return record_seal(kr, a, &consent_schema, rec, it->id, &it->coded, &it->sealed,
			   &it->sealed_len);
}

/* What each item kind copies out of its record into columns. */
static const struct item_columns {
	const char *kind;
	const struct resource_schema *rs;
	const char *status_field, *due_field, *assigned_field;
	const char *at_field; /* the date that places it on the timeline */
} item_columns[] = {
	{"note", &note_schema, NULL, NULL, NULL, "date"},
	{"service", &service_schema, "status", NULL, NULL, "start"},
	{"plan", &plan_schema, NULL, "review_on", NULL, "start"},
	{"followup", &followup_schema, "status", "due", "assigned_to", NULL},
	{"status_decision", &decision_schema, "status", NULL, NULL, "date"},
	{"best_interests", &best_interests_schema, NULL, "review_on", NULL, "date"},
	{"risk", &risk_schema, "status", "review_on", "assigned_to", "assessed_on"},
	{"safety", &safety_schema, "status", "review_on", "assigned_to", "agreed_on"},
	/* Prevention, items of a person (api/prevention.c). */
	{"prevention_service", &prevention_service_schema, "status", NULL, NULL, "start"},
	{"household", &household_schema, NULL, NULL, NULL, NULL},
	{"domv_assessment", &assessment_schema, "rating", NULL, NULL, "date"},
};

static const struct item_columns *columns_of(const char *kind)
{
	size_t i;
	for (i = 0; i < sizeof item_columns / sizeof item_columns[0]; i++)
		if (!strcmp(item_columns[i].kind, kind))
			return &item_columns[i];
	return NULL;
}

const struct resource_schema *rows_item_schema(const char *kind)
{
	const struct item_columns *k = columns_of(kind);
	return k ? k->rs : NULL;
}

void rows_item_at(struct item_row *it, const char *date)
{
	if (date && date_valid(date) && strncmp(it->at, date, 10) != 0)
		snprintf(it->at, sizeof it->at, "%sT00:00:00Z", date);
}

static void copy_field(json_t *rec, const char *field, char *dst, size_t n)
{
	if (field)
		copy_str(rec, field, dst, n);
	else
		dst[0] = '\0';
}

int rows_item_seal(const keyring *kr, arena *a, json_t *rec, struct item_row *it)
{
	const struct item_columns *k = columns_of(it->kind);

	if (!k)
		return -2;
	copy_field(rec, k->status_field, it->status, sizeof it->status);
	copy_field(rec, k->due_field, it->due, sizeof it->due);
	copy_field(rec, k->assigned_field, it->assigned_to, sizeof it->assigned_to);
	if (k->at_field)
		rows_item_at(it, json_string_value(json_object_get(rec, k->at_field)));
	return record_seal(kr, a, k->rs, rec, it->id, &it->coded, &it->sealed, &it->sealed_len);
}

int rows_screening_seal(const keyring *kr, arena *a, const struct indicator_set *set,
			const char *const *codes, const enum answer *answers, size_t n,
			const struct screening_result *res, json_t *child_reason,
			struct item_row *it)
{
	json_t *coded, *result, *secret, *ans;
	char *cs;
	size_t i;
	int rc = -1;

	result = screening_result_json(res);
	coded = json_pack("{s:s,s:b}", "instrument", set->id, "child", res->child);
	ans = json_object();
	for (i = 0; ans && i < n; i++)
		json_object_set_new(ans, codes[i], json_string(screening_answer_name(answers[i])));
	secret = json_pack("{s:o,s:o}", "answers", ans,
			   "because", screening_because_json(set, codes, answers, n, res));
	if (result && coded && secret) {
		json_object_update(coded, result);
		if (child_reason)
			json_object_set(coded, "child_reason", child_reason);
		cs = json_dumps(coded, JSON_COMPACT | JSON_SORT_KEYS);
		it->coded = cs ? arena_strdup(a, cs) : NULL;
		free(cs);
		if (it->coded && !record_seal_json(kr, a, secret, it->id, &it->sealed,
						   &it->sealed_len))
			rc = 0;
	}
	snprintf(it->status, sizeof it->status, "%s", screening_suggestion_name(res->suggestion));
	json_decref(result);
	json_decref(coded);
	json_decref(secret);
	return rc;
}

json_t *rows_child_reason_json(const struct screening_age *a, int stated)
{
	if (!a->known)
		return json_pack("{s:s}", "basis", stated ? "stated" : "unknown");
	return json_pack("{s:s,s:i,s:s,s:s}", "basis", a->basis, "age", a->age, "at", a->event,
			 "on", a->on);
}

/* " code code " from a list of codes (validated), in the arena. */
static const char *topics_column(arena *a, json_t *topics)
{
	size_t i, len = 1, used = 1;
	json_t *v;
	char *s;

	json_array_foreach(topics, i, v)
		len += strlen(json_string_value(v)) + 1;
	s = arena_alloc(a, len + 1);
	if (!s)
		return NULL;
	s[0] = ' ';
	json_array_foreach(topics, i, v) {
		size_t n = strlen(json_string_value(v));
		memcpy(s + used, json_string_value(v), n);
		s[used + n] = ' ';
		used += n + 1;
	}
	s[used] = '\0';
	return s;
}

int rows_contact_seal(const keyring *kr, arena *a, json_t *rec, struct contact_row *c)
{
	json_t *topics = json_object_get(rec, "topics"), *d = json_object_get(rec, "duration_s");
	const char *phone = json_string_value(json_object_get(rec, "caller_phone"));

	copy_str(rec, "channel", c->channel, sizeof c->channel);
	copy_str(rec, "call_type", c->call_type, sizeof c->call_type);
	copy_str(rec, "started_at", c->started_at, sizeof c->started_at);
	c->duration_s = d ? json_integer_value(d) : -1;
	copy_str(rec, "language", c->language, sizeof c->language);
	copy_str(rec, "action", c->action, sizeof c->action);
	copy_str(rec, "case_id", c->case_id, sizeof c->case_id);
	copy_str(rec, "person_id", c->person_id, sizeof c->person_id);
	copy_str(rec, "operator", c->operator_id, sizeof c->operator_id);
	c->topics = topics ? topics_column(a, topics) : " ";
	c->has_phone = phone && api_phone_blind(kr, c->org_id, phone, c->phone_key) == 0;
	if (!c->topics ||
	    record_seal(kr, a, &contact_schema, rec, c->id, &c->coded, &c->sealed, &c->sealed_len))
		return -1;
	return 0;
}

json_t *rows_livelihood_followup(json_t *service, const char *service_id, size_t i,
				 const char *assigned_to)
{
	const char *end = json_string_value(json_object_get(service, "end"));
	const char *status = json_string_value(json_object_get(service, "status"));
	char due[11];

	if (i >= CASEWORK_LIVELIHOOD_CHECKS ||
	    !casework_is_livelihood(json_string_value(json_object_get(service, "type"))) ||
	    (status && !strcmp(status, "cancelled")) ||
	    casework_months_after(end, casework_livelihood_months[i], due))
		return NULL;
	return json_pack("{s:s,s:i,s:s,s:s,s:s}", "due", due, "months_after",
			 casework_livelihood_months[i], "service_id", service_id, "status", "due",
			 "assigned_to", assigned_to);
}

int rows_orientation(arena *a, json_t *rec, struct orientation_row *o)
{
	char *coded = json_dumps(rec, JSON_COMPACT | JSON_SORT_KEYS);

	copy_str(rec, "date", o->held_on, sizeof o->held_on);
	o->coded = coded ? arena_strdup(a, coded) : NULL;
	free(coded);
	return o->coded ? 0 : -1;
}
