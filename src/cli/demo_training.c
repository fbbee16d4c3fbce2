/*
 * demo_training.c - training events of `himoya demo`: workshops on
 * identification and referral for police, prosecutors, border guards,
 * migration officers, health and social workers and NGO staff, with
 * pre- and post-test scores; see demo_training.h.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "api/api.h"
#include "api/plan.h"
#include "api/rows.h"
#include "cli/demo.h"
#include "cli/demo_training.h"
#include "store/plan.h"
#include "store/reports.h"

struct demo_event {
	const char *topic, *place, *organiser;
	int months_ago;     /* start, before today */
	int days;           /* length */
	unsigned people;
	/* agency types of the audience, by weight */
	const char *agencies[4];
	unsigned weights[4];
};

static const struct demo_event events[] = {
	{"Identification of victims of trafficking: indicators and first contact",
	 "Dushanbe, IOM training room", "iom", 16, 3, 24,
	 {"LawEnforcement", "CentralGovernmentOrganisation", "NGO", "ImmigrationService"},
	 {50, 15, 20, 15}},
	{"National Referral Mechanism: roles, consent and referral forms", "Khujand, city hall",
	 "ngo-nur", 13, 2, 18,
	 {"NGO", "LocalGovernmentOrganisation", "LawEnforcement", "HealthServiceOrganisation"},
	 {40, 25, 20, 15}},
	{"Trafficking cases in court: evidence and the victim as witness", "Dushanbe, Prosecutor's office",
	 "prosecutor", 11, 2, 16,
	 {"CentralGovernmentOrganisation", "LawEnforcement", "LegalService", "NGO"},
	 {55, 25, 10, 10}},
	{"Border screening of returning migrants", "Dushanbe airport", "border-police", 9, 1, 20,
	 {"LawEnforcement", "ImmigrationService", "NGO", "HealthServiceOrganisation"},
	 {60, 25, 10, 5}},
	{"Psychosocial first aid for survivors", "Bokhtar, NGO Umed", "ngo-umed", 7, 3, 14,
	 {"NGO", "HealthServiceOrganisation", "SchoolOrCollege", "LocalGovernmentOrganisation"},
	 {45, 30, 15, 10}},
	{"Safe migration counselling and hotline referrals", "Dushanbe, IOM training room", "iom",
	 5, 2, 22,
	 {"NGO", "LocalGovernmentOrganisation", "ImmigrationService", "SchoolOrCollege"},
	 {40, 25, 20, 15}},
	{"Labour exploitation: inspection and recruitment agencies", "Khujand, Migration Service",
	 "migration-service", 3, 2, 17,
	 {"ImmigrationService", "CentralGovernmentOrganisation", "NGO", "LawEnforcement"},
	 {45, 20, 20, 15}},
	{"Case management and data protection", "Dushanbe, IOM training room", "iom", 1, 2, 15,
	 {"NGO", "IGO", "HealthServiceOrganisation", "LegalService"},
	 {55, 20, 15, 10}},
};

/* Study visits (issue 18): an event whose place is the city, with the
 * country visited, the host and the purpose. */
static const struct demo_visit {
	struct demo_event ev;
	const char *country, *host, *purpose;
} visits[] = {
	{{"Study visit: how the referral mechanism of Kazakhstan works", "Almaty", "iom", 4, 5, 12,
	  {"LawEnforcement", "CentralGovernmentOrganisation", "ImmigrationService", "NGO"},
	  {35, 25, 20, 20}},
	 "KZ", "Interagency anti-trafficking commission (sample host)",
	 "Referral between police, shelters and the migration service across a border"},
};

#define NEVENTS (sizeof events / sizeof events[0])
#define NVISITS (sizeof visits / sizeof visits[0])

/* A participant's role, likely for the agency type. */
static const char *role_for(struct demo_rng *r, const char *agency)
{
	static const char *const law[] = {"police_officer", "border_guard", "customs_officer",
					  "drug_control_officer"};
	static const unsigned law_w[] = {55, 20, 15, 10};

	if (!strcmp(agency, "LawEnforcement"))
		return law[demo_rng_weighted(r, law_w, 4)];
	if (!strcmp(agency, "CentralGovernmentOrganisation"))
		return demo_rng_pct(r, 60) ? "prosecutor" : demo_rng_pct(r, 50) ? "judge"
										  : "government_official";
	if (!strcmp(agency, "ImmigrationService"))
		return demo_rng_pct(r, 60) ? "migration_officer" : "labour_inspector";
	if (!strcmp(agency, "LocalGovernmentOrganisation"))
		return demo_rng_pct(r, 60) ? "social_worker" : "government_official";
	if (!strcmp(agency, "HealthServiceOrganisation"))
		return "health_worker";
	if (!strcmp(agency, "SchoolOrCollege"))
		return "teacher";
	if (!strcmp(agency, "NGO") || !strcmp(agency, "IGO"))
		return demo_rng_pct(r, 70) ? "ngo_staff" : "social_worker";
	return "other";
}

/* The sector of a participant's agency, from its type and the role. */
static const char *sector_for(const char *agency, const char *role)
{
	static const struct {
		const char *key, *sector;
	} by_role[] = {
		{"border_guard", "border"}, {"customs_officer", "customs"},
		{"drug_control_officer", "drug_control"}, {"police_officer", "police"},
		{"prosecutor", "prosecution"}, {"judge", "court"},
		{"migration_officer", "migration"}, {"labour_inspector", "labour"},
	}, by_agency[] = {
		{"NGO", "ngo"}, {"IGO", "igo"}, {"HealthServiceOrganisation", "health"},
		{"LegalService", "legal_aid"}, {"SchoolOrCollege", "education"},
		{"LocalGovernmentOrganisation", "social_protection"},
		{"CentralGovernmentOrganisation", "ministry"},
	};
	size_t i;

	for (i = 0; i < sizeof by_role / sizeof by_role[0]; i++)
		if (!strcmp(role, by_role[i].key))
			return by_role[i].sector;
	for (i = 0; i < sizeof by_agency / sizeof by_agency[0]; i++)
		if (!strcmp(agency, by_agency[i].key))
			return by_agency[i].sector;
	return "other";
}

static void day_of(time_t t, char out[11])
{
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

int demo_training_load(store *st, uint64_t seed, size_t *nevents, size_t *nparticipants)
{
	struct org iom, organiser;
	struct training_row *have;
	size_t n = 0, i;
	arena a;
	store_tx *tx;
	struct demo_rng r;
	time_t now = time(NULL);
	char fields[64];
	struct audit_entry e = {NULL, NULL, "create", "trainings/demo", NULL, "cli"};
	int rc = STORE_OK;

	*nevents = *nparticipants = 0;
	if (store_org_by_code(st, "iom", &iom) != STORE_OK) {
		fprintf(stderr, "himoya: the demo organisation iom is missing\n");
		return -1;
	}
	arena_init(&a, 1u << 20);
	if (store_trainings_list(st, iom.id, NULL, NULL, NULL, 1, &have, &n, &a) != STORE_OK) {
		arena_free(&a);
		fprintf(stderr, "himoya: cannot read the trainings\n");
		return -1;
	}
	arena_free(&a);
	if (n)
		return 0;
	demo_rng_init(&r, seed, 0x747261696e696e67ull);
	tx = store_begin(st);
	if (!tx)
		return -1;
	for (i = 0; i < NEVENTS + NVISITS && rc == STORE_OK; i++) {
		const struct demo_visit *vis = i < NEVENTS ? NULL : &visits[i - NEVENTS];
		const struct demo_event *ev = vis ? &vis->ev : &events[i];
		struct training_row t;
		time_t start = now - (time_t)ev->months_ago * 30 * 86400;
		unsigned p;

		memset(&t, 0, sizeof t);
		if (store_org_by_code(st, ev->organiser, &organiser) != STORE_OK)
			organiser = iom;
		store_new_id(t.id);
		snprintf(t.org_id, sizeof t.org_id, "%s", iom.id);
		t.version = 1;
		t.topic = ev->topic;
		t.place = ev->place;
		day_of(start, t.start_on);
		day_of(start + (time_t)(ev->days - 1) * 86400, t.end_on);
		snprintf(t.organiser_org, sizeof t.organiser_org, "%s", organiser.id);
		snprintf(t.kind, sizeof t.kind, "%s", vis ? "study_visit" : "training");
		if (vis) {
			snprintf(t.country, sizeof t.country, "%s", vis->country);
			t.host = vis->host;
			t.purpose = vis->purpose;
		}
		store_now(t.created_at);
		memcpy(t.updated_at, t.created_at, sizeof t.updated_at);
		rc = store_training_insert(tx, &t);
		for (p = 0; p < ev->people && rc == STORE_OK; p++) {
			struct participant_row pr;
			const char *agency = ev->agencies[demo_rng_weighted(&r, ev->weights, 4)];
			int female = demo_rng_pct(&r, !strcmp(agency, "LawEnforcement") ? 20 : 55);
			int pre = 30 + (int)demo_rng_below(&r, 40);
			int post = pre + 5 + (int)demo_rng_below(&r, 30);

			memset(&pr, 0, sizeof pr);
			store_new_id(pr.id);
			snprintf(pr.training_id, sizeof pr.training_id, "%s", t.id);
			snprintf(pr.agency_type, sizeof pr.agency_type, "%s", agency);
			snprintf(pr.sex, sizeof pr.sex, "%s", female ? "Feminine" : "Masculine");
			snprintf(pr.role, sizeof pr.role, "%s", role_for(&r, agency));
			snprintf(pr.sector, sizeof pr.sector, "%s", sector_for(agency, pr.role));
			/* A few missed one of the tests. */
			pr.pre_score = demo_rng_pct(&r, 95) ? pre : -1;
			pr.post_score = demo_rng_pct(&r, 93) ? (post > 100 ? 100 : post) : -1;
			store_now(pr.created_at);
			rc = store_participant_insert(tx, &pr);
			(*nparticipants)++;
		}
		(*nevents)++;
	}
	snprintf(fields, sizeof fields, "events=%zu,participants=%zu", *nevents, *nparticipants);
	e.fields = fields;
	if (rc == STORE_OK)
		rc = store_audit_append(tx, &e);
	if (rc != STORE_OK) {
		store_rollback(tx);
		fprintf(stderr, "himoya: cannot add the demo trainings\n");
		*nevents = *nparticipants = 0;
		return -1;
	}
	return store_commit(tx) == STORE_OK ? 0 : -1;
}

/* Pre-departure orientation sessions of NGO Ozod and IOM in the regions
 * people leave from, made into rows as the API makes them
 * (rows_orientation). */
static const struct {
	const char *org, *place, *region, *destination;
	unsigned months_ago, women, men;
} orientations[] = {
	{"ngo-ozod", "Jamoat centre, Vose (fictional)", "TJ-KT", "RU", 1, 23, 41},
	{"ngo-ozod", "District hall, Kulob (fictional)", "TJ-KT", "RU", 3, 12, 55},
	{"iom", "Migrant resource centre, Dushanbe (fictional)", "TJ-DU", "KZ", 2, 30, 26},
	{"ngo-nur", "College hall, Khujand (fictional)", "TJ-SU", "AE", 4, 19, 8},
	{"ngo-umed", "Jamoat centre, Bokhtar (fictional)", "TJ-KT", "RU", 5, 9, 37},
};

int demo_orientations_load(store *st, size_t *n)
{
	time_t now = time(NULL);
	struct audit_entry e = {NULL, NULL, "create", "orientations/demo", NULL, "cli"};
	store_tx *tx;
	arena a;
	size_t i;
	int rc = STORE_OK;

	*n = 0;
	arena_init(&a, 1u << 16);
	tx = store_begin(st);
	if (!tx) {
		arena_free(&a);
		return -1;
	}
	for (i = 0; i < sizeof orientations / sizeof orientations[0] && rc == STORE_OK; i++) {
		struct orientation_row o;
		struct org org;
		char day[11];
		json_t *rec;

		if (store_org_by_code(st, orientations[i].org, &org) != STORE_OK)
			continue;
		day_of(now - (time_t)orientations[i].months_ago * 30 * 86400, day);
		rec = json_pack("{s:s,s:s,s:s,s:s,s:i,s:i}", "date", day, "place", orientations[i].place,
				"region", orientations[i].region, "destination",
				orientations[i].destination, "women", orientations[i].women, "men",
				orientations[i].men);
		memset(&o, 0, sizeof o);
		store_new_id(o.id);
		snprintf(o.org_id, sizeof o.org_id, "%s", org.id);
		o.version = 1;
		store_now(o.created_at);
		memcpy(o.updated_at, o.created_at, TS_LEN);
		rc = rec && !rows_orientation(&a, rec, &o) ? store_orientation_insert(tx, &o) : STORE_ERROR;
		json_decref(rec);
		(*n)++;
	}
	if (rc == STORE_OK)
		rc = store_audit_append(tx, &e);
	arena_free(&a);
	if (rc != STORE_OK) {
		store_rollback(tx);
		*n = 0;
		return -1;
	}
	return store_commit(tx) == STORE_OK ? 0 : -1;
}

/* The sample Action Plan, through the loader of `himoya plan load` and
 * POST /plan, with a progress report of the police on their first
 * activity (done) and none on the others (late, by their deadlines). */
int demo_plan_load(store *st, size_t *n)
{
	struct audit_entry e = {NULL, NULL, "create", "plans/sample-ctip-2022-2024", NULL, "cli"};
	struct plan_activity_row *rows;
	struct plan_row have;
	struct org coord, police;
	char err[300], now[TS_LEN], id[ID_LEN];
	json_error_t je;
	json_t *file;
	store_tx *tx;
	arena a;
	size_t i;
	int rc;

	*n = 0;
	arena_init(&a, 1u << 16);
	rc = store_plan_get(st, "sample-ctip-2022-2024", &have, &a);
	arena_free(&a);
	if (rc == STORE_OK)
		return 0;
	file = json_loadb(plan_sample_json, plan_sample_json_len, JSON_REJECT_DUPLICATES, &je);
	tx = file ? store_begin(st) : NULL;
	if (!tx) {
		json_decref(file);
		return -1;
	}
	store_now(now);
	rc = api_plan_load(st, tx, file, now, &coord, err, sizeof err);
	*n = json_array_size(json_object_get(file, "activities"));
	json_decref(file);
	if (rc != 0 || store_audit_append(tx, &e) != STORE_OK || store_commit(tx) != STORE_OK) {
		store_rollback(tx);
		fprintf(stderr, "himoya: the sample plan: %s\n", rc ? err : "not stored");
		*n = 0;
		return -1;
	}
	/* The police report on theirs. */
	arena_init(&a, 1u << 16);
	if (store_org_by_code(st, "police-du", &police) == STORE_OK &&
	    store_plan_activities(st, "sample-ctip-2022-2024", &rows, &i, &a) == STORE_OK && i &&
	    (tx = store_begin(st))) {
		char record[64];
		struct audit_entry r = {NULL, police.id, "create", record, NULL, "cli"};
		store_new_id(id);
		snprintf(record, sizeof record, "plan_reports/%s", id);
		/* The shape POST /plan/activities/{id}/reports stores. */
		rc = store_plan_report_insert(tx, id, rows[0].id, police.id,
					      "{\"note\":\"Sample report\",\"period\":\"2022-H2\",\"value\":41}",
					      NULL, now);
		if (rc != STORE_OK || store_audit_append(tx, &r) != STORE_OK ||
		    store_commit(tx) != STORE_OK)
			store_rollback(tx);
	}
	arena_free(&a);
	return 0;
}

int demo_reports_refresh(store *st, const keyring *kr)
{
	if (api_report_refresh(st, kr) != 0) {
		fprintf(stderr, "himoya: cannot make the report figures\n");
		return -1;
	}
	return 0;
}
