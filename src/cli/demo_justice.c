/*
 * demo_justice.c - the criminal-justice track and protection of
 * `himoya demo`: for some identified victims of each organisation, the
 * perpetrators (a recruiter who recruited several of them is linked to
 * each of their cases) and a criminal proceeding at a stage between a
 * report and a verdict, recorded by the organisation's supervisor; a risk
 * assessment and a safety plan, some of whose reviews are overdue; and
 * in the shelter, the stays of its own cases (some discharged), within
 * its beds.
 *
 * Rows are made by api/justice.h, the functions the API's handlers call
 * (stages checked in order, names keyed in the perpetrators' own blind
 * index), and sealed records of risk and safety by record_seal as
 * api/items.c seals them.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <jansson.h>
#include <sodium.h>

#include "api/api.h"
#include "api/justice.h"
#include "cli/demo.h"
#include "cli/demo_justice.h"
#include "fields.h"

#define CASES_PER_ORG 40
#define KEYS_MAX 256

/* Days since 1970-01-01 as YYYY-MM-DD. */
static void day_str(int64_t days, char out[11])
{
	time_t t = (time_t)(days * 86400);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

struct ctx {
	store *st;
	store_tx *tx;
	const keyring *kr;
	arena *a;
	struct demo_rng rng;
	int64_t today;
	struct demo_justice_totals *t;
};

/* An item of case c made by user `by` of the case's organisation. */
static void item_new(struct item_row *it, const char *kind, const struct case_row *c,
		     const char *by, int64_t day)
{
	char d[11];
	memset(it, 0, sizeof *it);
	store_new_id(it->id);
	snprintf(it->kind, sizeof it->kind, "%s", kind);
	if (c) {
		snprintf(it->case_id, sizeof it->case_id, "%s", c->id);
		snprintf(it->person_id, sizeof it->person_id, "%s", c->person_id);
		snprintf(it->org_id, sizeof it->org_id, "%s", c->org_id);
	}
	snprintf(it->created_by, sizeof it->created_by, "%s", by);
	it->version = 1;
	day_str(day, d);
	snprintf(it->created_at, sizeof it->created_at, "%sT09:30:00Z", d);
	memcpy(it->updated_at, it->created_at, TS_LEN);
	memcpy(it->at, it->created_at, TS_LEN);
}

static void set_day(json_t *rec, const char *name, int64_t day)
{
	char d[11];
	day_str(day, d);
	json_object_set_new(rec, name, json_string(d));
}

/* A perpetrator of case c (org's own), returned in it. */
static int perpetrator_add(struct ctx *x, const struct case_row *c, const char *by,
			   struct item_row *it)
{
	static const char *const roles[] = {"RecruiterOrIntermediary", "Exploiter", "Transporter",
					    "BrokerTravelAgent", "Abuser"};
	static const char *const details[] = {
		"Offered construction work in Moscow through a messenger group; took the passports on arrival.",
		"Owner of the workshop; kept the wages back as debt for travel and lodging.",
		"Drove the group across the border; said the papers would be ready later.",
	};
	struct blind_key keys[KEYS_MAX];
	struct demo_names nm;
	json_t *rec = json_object(), *rl = json_array();
	size_t nkeys = 0;
	int rc;

	demo_names_make(&x->rng, demo_rng_pct(&x->rng, 20), &nm);
	json_object_set_new(rec, "given_name", json_string(nm.given));
	json_object_set_new(rec, "family_name", json_string(nm.family));
	if (nm.alias[0])
		json_object_set_new(rec, "aliases", json_pack("[s]", nm.alias));
	json_object_set_new(rec, "citizenship",
			    json_string(demo_rng_pct(&x->rng, 70) ? "TJ" : "RU"));
	json_array_append_new(rl, json_string(roles[demo_rng_below(&x->rng, 5)]));
	json_object_set_new(rec, "role_in_process", rl);
	json_object_set_new(rec, "role_details",
			    json_string(details[demo_rng_below(&x->rng, 3)]));
	item_new(it, "perpetrator", NULL, by, x->today - 60);
	snprintf(it->org_id, sizeof it->org_id, "%s", c->org_id);
	rc = justice_perpetrator_seal(x->kr, x->a, rec, it, keys, KEYS_MAX, &nkeys) ? STORE_ERROR
										       : STORE_OK;
	if (rc == STORE_OK)
		rc = store_item_insert(x->tx, it);
	if (rc == STORE_OK)
		rc = store_perpetrator_keys_set(x->tx, it->id, keys, nkeys);
	if (rc == STORE_OK)
		rc = store_perpetrator_link(x->tx, it->id, c->id, c->org_id, it->created_at);
	sodium_memzero(keys, sizeof keys);
	json_decref(rec);
	x->t->perpetrators += rc == STORE_OK;
	return rc;
}

/* A proceeding of case c at a stage chosen by k (0..5). */
static int proceeding_add(struct ctx *x, const struct case_row *c, const char *by, unsigned k)
{
	static const char *const articles[] = {"130.1", "130.1", "132", "130.1", "167"};
	struct item_row it;
	json_t *rec = json_object();
	int64_t start = x->today - 300 + (int64_t)demo_rng_below(&x->rng, 120);
	char why[160], num[32];
	int rc;

	snprintf(num, sizeof num, "%u/%04u-ҶС", 100 + demo_rng_below(&x->rng, 800),
		 2025 + (unsigned)(k & 1));
	json_object_set_new(rec, "case_number", json_string(num));
	json_object_set_new(rec, "article", json_string(articles[k % 5]));
	set_day(rec, "reported_on", start);
	json_object_set_new(rec, "victim_role",
			    json_string(k % 3 ? "injured_party" : "witness"));
	if (k >= 1)
		set_day(rec, "investigation_on", start + 10);
	if (k >= 2) {
		set_day(rec, "court_on", start + 120);
		json_object_set_new(rec, "protection_measures",
				    json_pack("[s,s]", "identity_confidential", "closed_hearing"));
	}
	if (k >= 3) {
		json_object_set_new(rec, "verdict", json_string(k == 5 ? "acquittal" : "conviction"));
		set_day(rec, "verdict_on", start + 200);
		if (k != 5)
			json_object_set_new(rec, "sentence",
					    json_string(k == 3 ? "7 years of imprisonment"
							       : "10 years of imprisonment, confiscation"));
	}
	item_new(&it, "proceeding", c, by, start);
	rc = justice_proceeding_seal(x->kr, x->a, rec, &it, why, sizeof why) ? STORE_ERROR
									     : store_item_insert(x->tx, &it);
	json_decref(rec);
	x->t->proceedings += rc == STORE_OK;
	return rc;
}

/* A risk assessment and a safety plan of case c; review dates behind or
 * ahead of today. */
static int protection_add(struct ctx *x, const struct case_row *c, const char *by)
{
	struct item_row it;
	json_t *risk = json_object(), *plan = json_object();
	int64_t review = x->today - 20 + (int64_t)demo_rng_below(&x->rng, 60);
	const char *who = c->assigned_to[0] ? c->assigned_to : by;
	int rc;

	json_object_set_new(risk, "level", json_string(demo_rng_pct(&x->rng, 40) ? "high" : "medium"));
	set_day(risk, "assessed_on", x->today - 90);
	set_day(risk, "review_on", review);
	json_object_set_new(risk, "status", json_string("due"));
	json_object_set_new(risk, "assigned_to", json_string(who));
	json_object_set_new(risk, "threats",
			    json_string("The recruiter's relatives live in the same district and "
					"asked the family where she is."));
	item_new(&it, "risk", c, by, x->today - 90);
	snprintf(it.status, sizeof it.status, "due");
	day_str(review, it.due);
	snprintf(it.assigned_to, sizeof it.assigned_to, "%s", who);
	rc = record_seal(x->kr, x->a, &risk_schema, risk, it.id, &it.coded, &it.sealed,
			 &it.sealed_len) ? STORE_ERROR : store_item_insert(x->tx, &it);
	set_day(plan, "agreed_on", x->today - 88);
	set_day(plan, "review_on", review + 14);
	json_object_set_new(plan, "status", json_string("due"));
	json_object_set_new(plan, "assigned_to", json_string(who));
	json_object_set_new(plan, "measures",
			    json_string("New SIM card; no social media; the case worker calls "
					"first; meetings at the office only."));
	item_new(&it, "safety", c, by, x->today - 88);
	snprintf(it.status, sizeof it.status, "due");
	day_str(review + 14, it.due);
	snprintf(it.assigned_to, sizeof it.assigned_to, "%s", who);
	if (rc == STORE_OK)
		rc = record_seal(x->kr, x->a, &safety_schema, plan, it.id, &it.coded, &it.sealed,
				 &it.sealed_len) ? STORE_ERROR : store_item_insert(x->tx, &it);
	json_decref(risk);
	json_decref(plan);
	x->t->protection += rc == STORE_OK ? 2 : 0;
	return rc;
}

/* Stays of the shelter's own cases: up to its beds open, some more
 * discharged. */
static int stays_add(struct ctx *x, const struct demo_org_ref *o, struct case_row *cases,
		     size_t n)
{
	static const char *const in_why[] = {"safety", "no_housing", "recovery", "awaiting_return"};
	static const char *const out_why[] = {"reintegrated", "returned_home", "transferred"};
	struct dir_filter f = {0};
	struct dir_service_row *svc;
	size_t ns = 0, i;
	long open = 0, cap;
	json_t *srec;
	int64_t total = 0;
	int rc = STORE_OK;

	f.type = "shelter";
	f.org_id = o->id;
	f.limit = 1;
	if (store_dir_service_list(x->st, &f, &svc, &ns, &total, x->a) != STORE_OK || !ns)
		return STORE_OK; /* no shelter service: no stays */
	srec = json_loads(svc[0].coded, 0, NULL);
	if (!srec)
		return STORE_ERROR;
	cap = json_integer_value(json_object_get(srec, "capacity_max"));
	for (i = 0; rc == STORE_OK && i < n; i++) {
		struct item_row it;
		struct person_row p;
		json_t *rec, *person = NULL;
		int64_t in = x->today - 10 - (int64_t)demo_rng_below(&x->rng, 150);
		int leave = open >= cap - 2 || demo_rng_pct(&x->rng, 45);
		char why[160];
		int takes;

		/* Only persons the shelter takes (the check of POST .../stays). */
		if (store_person_get(x->st, cases[i].person_id, &p, x->a) == STORE_OK)
			person = record_open(x->kr, x->a, p.coded, p.sealed, p.sealed_len, p.id);
		takes = person && justice_shelter_takes_json(srec, person, NULL, why, sizeof why);
		json_decref(person);
		if (!takes)
			continue;
		rec = json_object();

		json_object_set_new(rec, "case_id", json_string(cases[i].id));
		set_day(rec, "admitted_on", in);
		json_object_set_new(rec, "admission_reason", json_string(in_why[i % 4]));
		if (leave) {
			set_day(rec, "discharged_on", in + 5 + (int64_t)demo_rng_below(&x->rng, 5));
			json_object_set_new(rec, "discharge_reason", json_string(out_why[i % 3]));
		}
		item_new(&it, "stay", &cases[i], o->workers[0], in);
		snprintf(it.service_id, sizeof it.service_id, "%s", svc[0].id);
		rc = justice_stay_seal(x->kr, x->a, rec, &it) ? STORE_ERROR
							      : store_item_insert(x->tx, &it);
		json_decref(rec);
		open += !leave;
		x->t->stays += rc == STORE_OK;
	}
	json_decref(srec);
	return rc;
}

static int org_load(struct ctx *x, const struct demo_org_ref *o)
{
	struct case_filter f = {0};
	struct case_row *rows;
	struct item_row recruiter;
	size_t n = 0, i, k = 0;
	int rc = STORE_OK, have_recruiter = 0;

	f.org_id = o->id;
	f.limit = CASES_PER_ORG;
	if (store_case_list(x->st, &f, &rows, &n, x->a) != STORE_OK)
		return STORE_ERROR;
	for (i = 0; rc == STORE_OK && i < n; i++) {
		const struct case_row *c = &rows[i];
		if (!c->trafficking_status[0] || !strcmp(c->trafficking_status,
							  "NotAVictimOfTrafficking"))
			continue;
		if (k % 2 == 0)
			rc = protection_add(x, c, o->supervisor);
		if (rc == STORE_OK && k < 12) {
			struct item_row p;
			rc = perpetrator_add(x, c, o->supervisor, &p);
			/* One recruiter of several of them. */
			if (rc == STORE_OK && have_recruiter)
				rc = store_perpetrator_link(x->tx, recruiter.id, c->id, c->org_id,
							    recruiter.created_at);
			else if (rc == STORE_OK) {
				recruiter = p;
				have_recruiter = 1;
			}
			if (rc == STORE_OK)
				rc = proceeding_add(x, c, o->supervisor, k % 6);
		}
		k++;
	}
	if (rc == STORE_OK && o->shelter)
		rc = stays_add(x, o, rows, n);
	return rc;
}

int demo_justice_load(store *st, const keyring *kr, const struct demo_network *net, uint64_t seed,
		      int64_t today, struct demo_justice_totals *t)
{
	struct audit_entry e = {NULL, NULL, "create", "justice/demo", NULL, "cli"};
	struct ctx x;
	arena a;
	size_t i;
	int rc = STORE_OK;

	memset(t, 0, sizeof *t);
	arena_init(&a, (size_t)1 << 28);
	x.st = st;
	x.kr = kr;
	x.a = &a;
	x.today = today;
	x.t = t;
	demo_rng_init(&x.rng, seed, 0x6a757374u);
	x.tx = store_begin(st);
	if (!x.tx) {
		arena_free(&a);
		return -1;
	}
	for (i = 0; rc == STORE_OK && i < net->norgs; i++)
		rc = org_load(&x, &net->orgs[i]);
	if (rc == STORE_OK)
		rc = store_audit_append(x.tx, &e);
	if (rc == STORE_OK)
		rc = store_commit(x.tx);
	else
		store_rollback(x.tx);
	arena_free(&a);
	return rc == STORE_OK ? 0 : -1;
}
