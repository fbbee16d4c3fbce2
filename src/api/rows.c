/*
 * rows.c - records into store rows, for the API and the demo alike; see
 * rows.h.
 */
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "api/records.h"
#include "api/rows.h"
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

void rows_case_columns_from_json(json_t *rec, struct case_row *c)
{
	copy_str(rec, "person_id", c->person_id, sizeof c->person_id);
	copy_str(rec, "status", c->status, sizeof c->status);
	copy_str(rec, "stage", c->stage, sizeof c->stage);
	copy_str(rec, "trafficking_status", c->trafficking_status, sizeof c->trafficking_status);
	copy_str(rec, "assigned_to", c->assigned_to, sizeof c->assigned_to);
	copy_str(rec, "previous_case_id", c->previous_case_id, sizeof c->previous_case_id);
	copy_str(rec, "opened_on", c->opened_on, sizeof c->opened_on);
	copy_str(rec, "closed_on", c->closed_on, sizeof c->closed_on);
}

int rows_case_seal(const keyring *kr, arena *a, json_t *rec, struct case_row *c)
{
	rows_case_columns_from_json(rec, c);
	return record_seal(kr, a, &case_schema, rec, c->id, &c->coded, &c->sealed,
			   &c->sealed_len);
}

static void set_or_del(json_t *rec, const char *key, const char *v)
{
	if (v[0])
		json_object_set_new(rec, key, json_string(v));
	else
		json_object_del(rec, key);
}

void rows_case_columns_to_json(const struct case_row *c, json_t *rec)
{
	json_object_set_new(rec, "person_id", json_string(c->person_id));
	json_object_set_new(rec, "status", json_string(c->status));
	json_object_set_new(rec, "stage", json_string(c->stage));
	json_object_set_new(rec, "opened_on", json_string(c->opened_on));
	set_or_del(rec, "trafficking_status", c->trafficking_status);
	set_or_del(rec, "assigned_to", c->assigned_to);
	set_or_del(rec, "previous_case_id", c->previous_case_id);
	set_or_del(rec, "closed_on", c->closed_on);
}

int rows_consent_seal(const keyring *kr, arena *a, json_t *rec, struct item_row *it)
{
	snprintf(it->status, sizeof it->status, "%s",
		 json_object_get(rec, "withdrawn_on") ? "withdrawn" : "active");
	copy_str(rec, "expires", it->due, sizeof it->due);
	return record_seal(kr, a, &consent_schema, rec, it->id, &it->coded, &it->sealed,
			   &it->sealed_len);
}
