/*
 * demo.c - `himoya demo --data DIR [--persons N] [--seed S]`: a data
 * folder to try Himoya with.  It creates the folder (as `init` does) and
 * marks it as a demo folder, then adds the organisations of a fictional
 * referral network, users of every role with one published password, and
 * N synthetic persons (default 200) with their consents, cases,
 * screenings, identification decisions, services, support plans,
 * follow-ups, notes and timeline events, and the partners' service
 * directory (demo_directory.c, made once, whatever --persons says).
 *
 * The records are built as the API builds them (api/records.h seals them
 * by field class, person_blind_keys indexes the names and phones) and in
 * the same JSON shapes and columns as api/cases.c and api/items.c, so the
 * server reads them back like its own.  One seed gives the same content
 * on a given day (dates count back from today; ids and nonces are
 * random).  The content comes from demo_records.c and demo_names.c.
 *
 * It is fast: the rows go in batches, each batch one transaction, while a
 * second thread builds the next batch.  The organisations and users are
 * audited one by one, as `org add` and `user add` do; the bulk load is
 * audited by one summary entry (action "demo-load", fields "persons=N")
 * written in the transaction of the first batch.
 *
 * A folder that demo did not create is refused: the demo password is
 * public and must never reach a real installation.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <sodium.h>

#include "api/api.h"
#include "api/pprlnet.h"
#include "api/rows.h"
#include "cli/cli.h"
#include "cli/demo_directory.h"
#include "cli/demo_justice.h"
#include "cli/demo_hotline.h"
#include "cli/demo_records.h"
#include "cli/demo_training.h"
#include "cli/demo_library.h"
#include "domain/pwrules.h"
#include "fields.h"

#define DEMO_PERSONS_DEFAULT 200
#define DEMO_PERSONS_MAX 10000000UL
#define DEMO_BATCH 2000       /* persons built at a time */
#define DEMO_TX_BATCHES 5     /* batches per transaction: 10000 persons */

struct demo_org {
	const char *code, *name, *type;
	unsigned share;      /* relative share of the persons it registers (0: none) */
	const char *region;  /* where it works, NULL: everywhere */
	int shelter;         /* takes mostly survivors of sexual exploitation */
	const char *sector;  /* code list "sector" (issue 15) */
};

struct demo_user {
	const char *login, *org, *role;
};

/* The first is the organisation `init` makes. */
static const struct demo_org demo_orgs[] = {
	{"iom", "IOM Tajikistan", "IGO", 50, NULL, 0, "igo"},
	{"ngo-ozod", "NGO Ozod, Dushanbe (fictional)", "NGO", 14, NULL, 0, "ngo"},
	{"ngo-nur", "NGO Nur, Khujand (fictional)", "NGO", 14, "TJ-SU", 0, "ngo"},
	{"ngo-umed", "NGO Umed, Bokhtar (fictional)", "NGO", 13, "TJ-KT", 0, "ngo"},
	{"shelter-panoh", "Panoh shelter for survivors of trafficking, Dushanbe (fictional)", "NGO",
	 9, NULL, 1, "ngo"},
	{"police-du", "Police, Dushanbe, anti-trafficking unit (fictional)", "LawEnforcement", 0,
	 NULL, 0, "police"},
	{"prosecutor", "Prosecutor General's Office, trafficking cases (fictional)",
	 "CentralGovernmentOrganisation", 0, NULL, 0, "prosecution"},
	{"border-police", "Border police, Dushanbe airport post (fictional)", "LawEnforcement", 0,
	 NULL, 0, "border"},
	/* More partners of the service directory (demo_directory.c). */
	{"shelter-sipar", "Sipar shelter for men, Bokhtar (fictional)", "NGO", 0, NULL, 0, "ngo"},
	{"legal-adolat", "Adolat legal aid centre, Dushanbe (fictional)", "LegalService", 0, NULL,
	 0, "legal_aid"},
	{"psc-ravon", "Ravon psychosocial centre, Dushanbe (fictional)", "NGO", 0, NULL, 0, "ngo"},
	{"migration-service", "Migration Service, Ministry of Labour (fictional)",
	 "ImmigrationService", 0, NULL, 0, "migration"},
	{"tvet-hunar", "Hunar vocational training centres (fictional)", "SchoolOrCollege", 0, NULL,
	 0, "education"},
	{"med-shifo", "Shifo medical centres (fictional)", "HealthServiceOrganisation", 0, NULL, 0,
	 "health"},
	/* The NRM's other law-enforcement entry points (issue 15). */
	{"customs", "Customs Service, Dushanbe airport (fictional)", "LawEnforcement", 0, NULL, 0,
	 "customs"},
	{"drug-control", "Drug Control Agency, trafficking unit (fictional)", "LawEnforcement", 0,
	 NULL, 0, "drug_control"},
};

static const struct demo_user demo_users[] = {
	{"admin", "iom", "admin"},
	{"supervisor", "iom", "supervisor"},
	{"caseworker", "iom", "caseworker"},
	{"caseworker2", "iom", "caseworker"},
	{"caseworker3", "iom", "caseworker"},
	{"hotline", "iom", "hotline"},
	{"analyst", "iom", "analyst"},
	{"trainer", "iom", "trainer"},
	{"ngo.worker", "ngo-ozod", "caseworker"},
	{"ngo.supervisor", "ngo-ozod", "supervisor"},
	{"khujand.worker", "ngo-nur", "caseworker"},
	{"khujand.supervisor", "ngo-nur", "supervisor"},
	{"bokhtar.worker", "ngo-umed", "caseworker"},
	{"bokhtar.supervisor", "ngo-umed", "supervisor"},
	{"shelter.worker", "shelter-panoh", "caseworker"},
	{"shelter.supervisor", "shelter-panoh", "supervisor"},
	{"police.focal", "police-du", "focal_point"},
	{"prosecutor.focal", "prosecutor", "focal_point"},
	{"border.focal", "border-police", "focal_point"},
	{"sipar.worker", "shelter-sipar", "caseworker"},
	{"adolat.lawyer", "legal-adolat", "caseworker"},
	{"ravon.worker", "psc-ravon", "caseworker"},
	{"migration.focal", "migration-service", "focal_point"},
	{"hunar.focal", "tvet-hunar", "focal_point"},
	{"shifo.focal", "med-shifo", "focal_point"},
	{"customs.focal", "customs", "focal_point"},
	{"drugs.focal", "drug-control", "focal_point"},
};

#define NORGS (sizeof demo_orgs / sizeof demo_orgs[0])
#define NUSERS (sizeof demo_users / sizeof demo_users[0])

/* Audit what the demo adds, as `org add` and `user add` do: accounts
 * never appear without a trace in the log. */
static int demo_audit(store_tx *tx, const char *action, const char *record, const char *fields)
{
	struct audit_entry e = {NULL, NULL, action, record, fields, "cli"};
	return store_audit_append(tx, &e);
}

/* The contact its referral partners call (fictional: +992 44 600 90 NN,
 * nrm@CODE.example), set as PATCH /orgs sets it, when none is set. */
static int set_org_contact(store_tx *tx, const struct org *o, size_t index)
{
	char phone[32], email[96];

	snprintf(phone, sizeof phone, "+992 44 600 90 %02zu", index + 10);
	snprintf(email, sizeof email, "nrm@%s.example", o->code);
	return store_org_contact_set(tx, o->id, phone, email) == STORE_OK ? 0 : -1;
}

static int add_org(store *st, const struct demo_org *o, size_t index)
{
	char id[ID_LEN], record[64];
	struct org_contact oc;
	store_tx *tx;
	struct org have = {0};
	int sector, contact;

	if (store_org_by_code(st, o->code, &have) == STORE_OK) {
		/* made by `init` (the first organisation), or by an earlier
		 * demo: its sector and contact when it has none */
		sector = !have.sector[0];
		contact = store_org_contact_get(st, have.id, &oc) == STORE_OK && !oc.phone[0];
		if (!sector && !contact)
			return 0;
		tx = store_begin(st);
		if (!tx)
			return -1;
		snprintf(record, sizeof record, "orgs/%s", have.id);
		if ((sector && store_org_update(tx, have.id, have.name, have.type, o->sector, NULL) !=
				       STORE_OK) ||
		    (contact && set_org_contact(tx, &have, index)) ||
		    demo_audit(tx, "update", record,
			       sector && contact ? "sector,contact_phone,contact_email"
			       : sector	  ? "sector"
					  : "contact_phone,contact_email") != STORE_OK)
			goto fail;
		return store_commit(tx) == STORE_OK ? 0 : -1;
	}
	tx = store_begin(st);
	if (!tx)
		return -1;
	if (store_org_add(tx, o->code, o->name, o->type, id) != STORE_OK ||
	    store_org_update(tx, id, o->name, o->type, o->sector, NULL) != STORE_OK)
		goto fail;
	snprintf(have.id, sizeof have.id, "%s", id);
	snprintf(have.code, sizeof have.code, "%s", o->code);
	if (set_org_contact(tx, &have, index))
		goto fail;
	snprintf(record, sizeof record, "orgs/%s", id);
	if (demo_audit(tx, "create", record, "code,name,type,sector,contact_phone,contact_email") !=
	    STORE_OK)
		goto fail;
	return store_commit(tx) == STORE_OK ? 0 : -1;
fail:
	store_rollback(tx);
	return -1;
}

static int add_user(store *st, const struct demo_user *du, const char *hash)
{
	char id[ID_LEN], record[64];
	struct user u;
	struct org org;
	store_tx *tx;

	if (store_user_by_login(st, du->login, &u) == STORE_OK)
		return 0;
	if (store_org_by_code(st, du->org, &org) != STORE_OK)
		return -1;
	tx = store_begin(st);
	if (!tx)
		return -1;
	if (store_user_add(tx, org.id, du->login, du->role, hash, id) != STORE_OK)
		goto fail;
	snprintf(record, sizeof record, "users/%s", id);
	if (demo_audit(tx, "create", record, "login,role,org") != STORE_OK)
		goto fail;
	return store_commit(tx) == STORE_OK ? 0 : -1;
fail:
	store_rollback(tx);
	return -1;
}

/* The folder's mark: DEMO_UNFINISHED until the run has ended well, so
 * that a run killed or failed half-way leaves a folder serve refuses
 * (it would serve persons without their contacts, trainings or network
 * matching, and say nothing). */
static int mark_demo(store *st, unsigned long long seed, int finished)
{
	char v[64];
	store_tx *tx = store_begin(st);
	if (!tx)
		return -1;
	snprintf(v, sizeof v, "%s by himoya demo, seed %llu", finished ? "created" : DEMO_UNFINISHED,
		 seed);
	if (store_meta_set(tx, DEMO_META_KEY, v) != STORE_OK) {
		store_rollback(tx);
		return -1;
	}
	return store_commit(tx) == STORE_OK ? 0 : -1;
}

/* True once a run has begun to fill the folder: its organisations are
 * the first thing it adds.  The demo is loaded once; a folder marked but
 * still empty (a first run stopped before adding anything) may be filled. */
static int demo_loaded(store *st)
{
	struct org have;
	size_t i;

	for (i = 0; i < NORGS; i++)
		if (store_org_by_code(st, demo_orgs[i].code, &have) == STORE_OK)
			return 1;
	return 0;
}

/* The authorities with a focal point, who record the official decisions. */
static int load_authorities(store *st, struct demo_network *net)
{
	size_t i, k;

	for (i = 0; i < NORGS; i++) {
		struct demo_authority *a;
		struct org o;
		if (!policy_org_is_authority(demo_orgs[i].type))
			continue;
		if (store_org_by_code(st, demo_orgs[i].code, &o) != STORE_OK ||
		    net->nauthorities >= DEMO_AUTHORITIES_MAX)
			return -1;
		a = &net->authorities[net->nauthorities++];
		snprintf(a->id, sizeof a->id, "%s", o.id);
		a->code = demo_orgs[i].code;
		a->type = demo_orgs[i].type;
		a->sector = demo_orgs[i].sector;
		for (k = 0; k < NUSERS; k++) {
			struct user u;
			if (strcmp(demo_users[k].org, a->code) || strcmp(demo_users[k].role, "focal_point"))
				continue;
			if (store_user_by_login(st, demo_users[k].login, &u) != STORE_OK)
				return -1;
			snprintf(a->focal, sizeof a->focal, "%s", u.id);
		}
		if (!a->focal[0])
			return -1;
	}
	return 0;
}

/* The organisations that register persons, with their workers. */
static int load_network(store *st, struct demo_network *net)
{
	size_t i, k;

	memset(net, 0, sizeof *net);
	for (i = 0; i < NORGS; i++) {
		struct demo_org_ref *ref;
		struct org o;
		if (!demo_orgs[i].share)
			continue;
		if (store_org_by_code(st, demo_orgs[i].code, &o) != STORE_OK ||
		    net->norgs >= DEMO_ORGS_MAX)
			return -1;
		ref = &net->orgs[net->norgs++];
		snprintf(ref->id, sizeof ref->id, "%s", o.id);
		ref->code = demo_orgs[i].code;
		ref->share = demo_orgs[i].share;
		ref->region = demo_orgs[i].region;
		ref->shelter = demo_orgs[i].shelter;
		ref->type = demo_orgs[i].type;
		ref->sector = demo_orgs[i].sector;
		for (k = 0; k < NUSERS; k++) {
			struct user u;
			if (strcmp(demo_users[k].org, ref->code))
				continue;
			if (store_user_by_login(st, demo_users[k].login, &u) != STORE_OK)
				return -1;
			if (!strcmp(u.role, "caseworker") && ref->nworkers < DEMO_WORKERS_MAX)
				snprintf(ref->workers[ref->nworkers++], ID_LEN, "%s", u.id);
			else if (!strcmp(u.role, "supervisor"))
				snprintf(ref->supervisor, ID_LEN, "%s", u.id);
		}
		if (!ref->nworkers || !ref->supervisor[0])
			return -1;
	}
	return net->norgs && load_authorities(st, net) == 0 ? 0 : -1;
}

/* ---- the bulk load --------------------------------------------------------- */

/* The rows of a batch into an open transaction: persons with their keys,
 * then cases (an earlier case before the one naming it), then items, then
 * the consenting persons' rows of the network matching. */
static int insert_batch(store_tx *tx, const struct demo_batch *b)
{
	char now[TS_LEN];
	size_t i;
	int rc = STORE_OK;

	for (i = 0; rc == STORE_OK && i < b->np; i++) {
		rc = store_person_insert(tx, &b->persons[i]);
		if (rc == STORE_OK)
			rc = store_person_keys_add(tx, b->persons[i].id, b->keys + b->key_first[i],
						   b->key_count[i]);
	}
	for (i = 0; rc == STORE_OK && i < b->nc; i++)
		rc = store_case_insert(tx, &b->cases[i]);
	for (i = 0; rc == STORE_OK && i < b->ni; i++)
		rc = store_item_insert(tx, &b->items[i]);
	if (b->ne)
		store_now(now);
	for (i = 0; rc == STORE_OK && i < b->ne; i++)
		rc = api_pprl_encoding_write(tx, &b->enc[i], now, 1);
	return rc;
}

/* Batches are built by DEMO_BUILDERS threads of their own, up to
 * DEMO_AHEAD ahead of the one going into the store, so that building goes
 * on while a transaction refreshes its report facts and commits (with one
 * batch ahead, either side waited for the other at every batch).  Each
 * person is drawn from the seed and its number alone, so batches build
 * in any order and on any thread alike.  Building is most of the load's
 * CPU (sealing, JSON, the encodings): one builder kept the writer waiting
 * with a core to spare. */
#define DEMO_BUILDERS 2
#define DEMO_AHEAD 4

struct builder {
	const struct demo_gen *g;
	struct demo_batch b[DEMO_AHEAD];
	size_t n, nb;              /* persons, batches */
	pthread_mutex_t lock;
	pthread_cond_t cond;
	size_t held[DEMO_AHEAD];   /* batch k + 1 once built into slot k % DEMO_AHEAD: under lock */
	size_t next, stored;       /* batches claimed by a builder, stored: under lock */
	int failed, stop;          /* under lock */
};

static int build_one(struct builder *w, size_t k)
{
	size_t first = k * DEMO_BATCH;
	size_t count = w->n - first < DEMO_BATCH ? w->n - first : DEMO_BATCH;
	return demo_batch_build(w->g, &w->b[k % DEMO_AHEAD], first, count);
}

/* Each builder claims the next batch, waits for its slot to be stored,
 * and builds it. */
static void *build_thread(void *arg)
{
	struct builder *w = arg;
	size_t k;
	int rc = 0;

	while (rc == 0) {
		pthread_mutex_lock(&w->lock);
		k = w->next++;
		while (!w->stop && k < w->nb && k - w->stored >= DEMO_AHEAD)
			pthread_cond_wait(&w->cond, &w->lock);
		rc = w->stop || k >= w->nb;
		pthread_mutex_unlock(&w->lock);
		if (rc)
			break;
		rc = build_one(w, k);
		pthread_mutex_lock(&w->lock);
		if (rc == 0)
			w->held[k % DEMO_AHEAD] = k + 1;
		else
			w->failed = 1;
		pthread_cond_broadcast(&w->cond);
		pthread_mutex_unlock(&w->lock);
	}
	return NULL;
}

/* Batch k, once built (by a builder, or here without one). */
static struct demo_batch *batch_wait(struct builder *w, size_t k, int threaded)
{
	int failed;

	if (!threaded)
		return build_one(w, k) == 0 ? &w->b[k % DEMO_AHEAD] : NULL;
	pthread_mutex_lock(&w->lock);
	while (w->held[k % DEMO_AHEAD] != k + 1 && !w->failed)
		pthread_cond_wait(&w->cond, &w->lock);
	failed = w->held[k % DEMO_AHEAD] != k + 1;
	pthread_mutex_unlock(&w->lock);
	return failed ? NULL : &w->b[k % DEMO_AHEAD];
}

static void batch_done(struct builder *w, size_t k, int stop)
{
	pthread_mutex_lock(&w->lock);
	w->stored = k + 1;
	w->stop |= stop;
	pthread_cond_broadcast(&w->cond);
	pthread_mutex_unlock(&w->lock);
}

/* Build and insert n persons; a transaction holds DEMO_TX_BATCHES
 * batches.  The summary audit entry goes into the first transaction, so
 * no demo row is ever stored without it. */
static int load_persons(store *st, const struct demo_gen *g, size_t n, struct demo_totals *tot)
{
	struct builder w = {0};
	pthread_t th[DEMO_BUILDERS];
	store_tx *tx = NULL;
	char summary[64];
	size_t i, k, threaded = 0;
	int rc = 0;

	w.g = g;
	w.n = n;
	w.nb = (n + DEMO_BATCH - 1) / DEMO_BATCH;
	for (i = 0; i < DEMO_AHEAD; i++)
		demo_batch_init(&w.b[i]);
	pthread_mutex_init(&w.lock, NULL);
	pthread_cond_init(&w.cond, NULL);
	snprintf(summary, sizeof summary, "persons=%zu", n);
	while (threaded < DEMO_BUILDERS && pthread_create(&th[threaded], NULL, build_thread, &w) == 0)
		threaded++;
	for (k = 0; rc == 0 && k < w.nb; k++) {
		struct demo_batch *cur = batch_wait(&w, k, threaded > 0);
		if (!cur)
			rc = -1;
		if (rc == 0 && !tx) {
			tx = store_begin(st);
			if (!tx || (k == 0 && demo_audit(tx, "demo-load", NULL, summary) != STORE_OK))
				rc = -1;
		}
		if (rc == 0 && insert_batch(tx, cur) != STORE_OK)
			rc = -1;
		if (rc == 0 && ((k + 1) % DEMO_TX_BATCHES == 0 || k + 1 == w.nb)) {
			/* The report facts of the transaction's rows while they
			 * are in the cache, by the server's own refresh. */
			if (api_report_refresh_tx(tx, g->kr) != 0) {
				store_rollback(tx);
				rc = -1;
			} else if (store_commit(tx) != STORE_OK) {
				rc = -1;
			}
			tx = NULL;
		}
		if (rc == 0)
			demo_totals_add(tot, cur);
		batch_done(&w, k, rc != 0);
	}
	batch_done(&w, w.nb, 1);
	for (i = 0; i < threaded; i++)
		pthread_join(th[i], NULL);
	if (tx)
		store_rollback(tx);
	if (rc)
		fprintf(stderr, "himoya: the demo persons could not all be stored\n");
	for (i = 0; i < DEMO_AHEAD; i++)
		demo_batch_free(&w.b[i]);
	pthread_mutex_destroy(&w.lock);
	pthread_cond_destroy(&w.cond);
	return rc;
}

/* ---- one person known to two organisations -------------------------------- */

/* The same woman registered by IOM in Tajik Cyrillic and by NGO Ozod in
 * Latin, her birth date typed day-first once and month-first once, each
 * with a consent for referral and an open case: "Known to
 * another organisation?" on either case names the other (api/pprlnet.c).  Written by the rows the API writes
 * (api/rows.h) and encoded by the API's own refresh. */
static const struct demo_twin {
	const char *org, *login, *given, *family, *birth, *purpose;
} demo_twins[] = {
	{"iom", "caseworker", "Зарина", "Ҷумъаева", "1994-03-07", "referral"},
	{"ngo-ozod", "ngo.worker", "Zarina", "Dzhumaeva", "1994-07-03", "referral"},
};

static int add_twin(store *st, const keyring *kr, const struct demo_twin *t, char id[ID_LEN])
{
	struct blind_key keys[64];
	struct person_row p;
	struct case_row c;
	struct item_row it, ev;
	struct org o;
	struct user u;
	store_tx *tx;
	json_t *rec, *consent, *kase;
	char record[64];
	size_t nkeys = 0;
	arena a;
	int rc = -1;

	if (store_org_by_code(st, t->org, &o) != STORE_OK ||
	    store_user_by_login(st, t->login, &u) != STORE_OK)
		return -1;
	arena_init(&a, 1u << 20);
	memset(&p, 0, sizeof p);
	store_new_id(p.id);
	snprintf(p.org_id, sizeof p.org_id, "%s", o.id);
	p.version = 1;
	store_now(p.created_at);
	memcpy(p.updated_at, p.created_at, TS_LEN);
	rec = json_pack("{s:s, s:s, s:s, s:s}", "given_name", t->given, "family_name", t->family,
			"birth_date", t->birth, "gender", "Feminine");
	memset(&it, 0, sizeof it);
	store_new_id(it.id);
	snprintf(it.kind, sizeof it.kind, "consent");
	snprintf(it.person_id, sizeof it.person_id, "%s", p.id);
	snprintf(it.org_id, sizeof it.org_id, "%s", o.id);
	it.version = 1;
	memcpy(it.created_at, p.created_at, TS_LEN);
	memcpy(it.updated_at, p.created_at, TS_LEN);
	memcpy(it.at, p.created_at, TS_LEN);
	snprintf(it.created_by, sizeof it.created_by, "%s", u.id);
	consent = json_pack("{s:s, s:s, s:s#}", "purpose", t->purpose, "method", "written",
			    "given_on", p.created_at, (int)10);
	/* An open case, assigned to the worker, so the case page shows the
	 * question. */
	memset(&c, 0, sizeof c);
	store_new_id(c.id);
	snprintf(c.org_id, sizeof c.org_id, "%s", o.id);
	snprintf(c.person_id, sizeof c.person_id, "%s", p.id);
	c.version = 1;
	snprintf(c.status, sizeof c.status, "Active");
	snprintf(c.stage, sizeof c.stage, "assistance");
	snprintf(c.assigned_to, sizeof c.assigned_to, "%s", u.id);
	snprintf(c.opened_on, sizeof c.opened_on, "%.10s", p.created_at);
	memcpy(c.created_at, p.created_at, TS_LEN);
	memcpy(c.updated_at, p.created_at, TS_LEN);
	/* with its "opened" event, as api_case_event writes it */
	memcpy(&ev, &it, sizeof ev);
	store_new_id(ev.id);
	snprintf(ev.kind, sizeof ev.kind, "event");
	snprintf(ev.case_id, sizeof ev.case_id, "%s", c.id);
	ev.coded = "{\"type\":\"opened\"}";
	ev.sealed = NULL;
	ev.sealed_len = 0;
	kase = json_pack("{s:[s]}", "exploitation_types", "ForcedLabour");
	if (kase)
		rows_case_columns_to_json(&c, kase);
	if (rec && consent &&
	    rows_person_seal(kr, &a, rec, &p, keys, sizeof keys / sizeof keys[0], &nkeys) == 0 &&
	    rows_consent_seal(kr, &a, consent, &it) == 0 && kase &&
	    rows_case_seal(kr, &a, kase, &c) == 0 && (tx = store_begin(st))) {
		snprintf(record, sizeof record, "persons/%s", p.id);
		rc = store_person_insert(tx, &p);
		if (rc == STORE_OK)
			rc = store_person_keys_add(tx, p.id, keys, nkeys);
		if (rc == STORE_OK)
			rc = store_item_insert(tx, &it);
		if (rc == STORE_OK)
			rc = store_case_insert(tx, &c);
		if (rc == STORE_OK)
			rc = store_item_insert(tx, &ev);
		if (rc == STORE_OK)
			rc = demo_audit(tx, "create", record, "given_name,family_name,birth_date");
		if (rc == STORE_OK)
			rc = api_report_refresh_tx(tx, kr);
		if (rc == STORE_OK)
			rc = store_commit(tx) == STORE_OK ? 0 : -1;
		else
			store_rollback(tx);
	}
	json_decref(rec);
	json_decref(consent);
	json_decref(kase);
	arena_free(&a);
	memcpy(id, p.id, ID_LEN);
	return rc;
}

/* The twins, each encoded by the server's own refresh (the load's
 * persons were encoded as they were built); *encoded += those put. */
static int load_twins(store *st, const keyring *kr, const struct pprl_key *pk, size_t *encoded)
{
	char id[ID_LEN];
	size_t i;
	int rc = 0;

	for (i = 0; rc == 0 && i < sizeof demo_twins / sizeof demo_twins[0]; i++) {
		rc = add_twin(st, kr, &demo_twins[i], id);
		if (rc == 0 && api_pprl_refresh(st, kr, pk, id, encoded) != STORE_OK)
			rc = -1;
	}
	return rc;
}

/* ---- the command ---------------------------------------------------------- */

static int parse_count(const char *s, const char *name, unsigned long long max,
		       unsigned long long *out)
{
	char *end;
	unsigned long long v;

	if (!s)
		return 0;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (*s < '0' || *s > '9' || errno || *end || v > max) {
		fprintf(stderr, "himoya: %s takes a whole number from 0 to %llu\n", name, max);
		return -1;
	}
	*out = v;
	return 0;
}

static double seconds_since(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

int cmd_demo(struct cli_opts *o)
{
	static const char *const allowed[] = {"--data", "--persons", "--seed", "--database", NULL};
	const char *dir = cli_opt(o, "--data"), *database = cli_opt(o, "--database");
	unsigned long long persons = DEMO_PERSONS_DEFAULT, seed = 1;
	char hash[PASSWORD_HASH_MAX], marker[128];
	struct demo_network net;
	struct demo_gen g;
	struct demo_totals tot;
	struct demo_justice_totals jt = {0};
	struct timespec t0;
	struct datadir d;
	struct stat sb;
	size_t i, dir_services = 0, dir_locations = 0;
	size_t train_events = 0, train_people = 0, orientation_sessions = 0, plan_activities = 0;
	size_t lib_products = 0, lib_versions = 0;
	size_t hl_contacts = 0, hl_callbacks = 0, hl_flags = 0, matching = 0;
	struct pprl_key *pk = NULL;
	char err[256];
	int created = 0, failed = 0;

	if (cli_opts_check(o, allowed, NULL))
		return 2;
	if (!dir) {
		fprintf(stderr, "himoya: --data DIR is required\n");
		return 2;
	}
	if (parse_count(cli_opt(o, "--persons"), "--persons", DEMO_PERSONS_MAX, &persons) ||
	    parse_count(cli_opt(o, "--seed"), "--seed", ~0ULL, &seed))
		return 2;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (stat(dir, &sb) != 0) {
		char *argv[] = {"--data", (char *)dir, "--database", (char *)database, NULL};
		struct cli_opts io = {database ? 4 : 2, argv};
		if (cmd_init(&io) != 0)
			return 1;
		created = 1;
	} else if (database) {
		fprintf(stderr, "himoya: --database is for a new folder; %s exists\n", dir);
		return 2;
	}
	if (datadir_open(&d, dir, 2))
		return 1;
	if (created ? mark_demo(d.st, seed, 0) != 0
		    : store_meta_get(d.st, DEMO_META_KEY, marker, sizeof marker) != STORE_OK) {
		fprintf(stderr, created ? "himoya: cannot mark %s as a demo folder\n"
					: "himoya: %s was not created by `himoya demo`: refusing to add "
					  "demo users with a published password to it (give a new "
					  "folder)\n", dir);
		datadir_close(&d);
		return 1;
	}
	if (!created && demo_loaded(d.st) && !strncmp(marker, DEMO_UNFINISHED, strlen(DEMO_UNFINISHED))) {
		fprintf(stderr, "himoya: %s holds a demo that was stopped before it ended (%s): delete "
				"the folder and run himoya demo again\n", dir, marker);
		datadir_close(&d);
		return 1;
	}
	if (!created && demo_loaded(d.st)) {
		fprintf(stderr, "himoya: %s already holds the demo data (%s): a second run would "
				"add a second copy of every person; give a new folder, or delete "
				"this one first\n", dir, marker);
		datadir_close(&d);
		return 1;
	}
	/* Argon2id is slow on purpose: one hash serves every demo user. */
	if (password_hash(PASSWORD_DEMO, hash) != 0) {
		datadir_close(&d);
		return 1;
	}
	for (i = 0; i < NORGS; i++)
		if (add_org(d.st, &demo_orgs[i], i) != 0)
			failed = 1;
	for (i = 0; i < NUSERS; i++)
		if (add_user(d.st, &demo_users[i], hash) != 0)
			failed = 1;
	sodium_memzero(hash, sizeof hash);
	memset(&tot, 0, sizeof tot);
	if (!failed && demo_directory_load(d.st, &d.kr, &dir_services, &dir_locations) != 0)
		failed = 1;
	if (!failed && persons) {
		if (load_network(d.st, &net) != 0) {
			failed = 1;
		} else if (!(pk = api_pprl_key_load(&d.kr, NULL, err, sizeof err))) {
			fprintf(stderr, "himoya: %s\n", err);
			failed = 1;
		} else {
			demo_gen_init(&g, &d.kr, &net, pk, seed, (size_t)persons);
			if (store_bulk_begin(d.st) != STORE_OK ||
			    load_persons(d.st, &g, (size_t)persons, &tot) != 0)
				failed = 1;
			if (store_bulk_end(d.st) != STORE_OK)
				failed = 1;
		}
	}
	if (!failed && persons && demo_justice_load(d.st, &d.kr, &net, seed, g.today, &jt) != 0)
		failed = 1;
	if (!failed && demo_hotline_load(d.st, &d.kr, seed, &hl_contacts, &hl_callbacks, &hl_flags) != 0)
		failed = 1;
	if (!failed && demo_training_load(d.st, seed, &train_events, &train_people) != 0)
		failed = 1;
	if (!failed && train_events && demo_orientations_load(d.st, &orientation_sessions) != 0)
		failed = 1;
	if (!failed && demo_plan_load(d.st, &plan_activities) != 0)
		failed = 1;
	if (!failed && demo_library_load(d.st, &d.kr, &lib_products, &lib_versions) != 0)
		failed = 1;
	if (!failed && demo_reports_refresh(d.st, &d.kr) != 0)
		failed = 1;
	if (!failed && persons && load_twins(d.st, &d.kr, pk, &matching) != 0)
		failed = 1;
	api_pprl_key_free(pk);
	if (!failed && mark_demo(d.st, seed, 1) != 0)
		failed = 1;
	datadir_close(&d);
	if (failed) {
		fprintf(stderr, "himoya: some demo records could not be added\n");
		return 1;
	}
	printf("Demo data folder: %s (seed %llu): %zu persons, %zu cases, %zu records of cases "
	       "and consents, in %.1f s\n", dir, seed, tot.persons, tot.cases, tot.items,
	       seconds_since(&t0));
	if (dir_services)
		printf("Service directory: %zu services of the referral partners, %zu locations\n",
		       dir_services, dir_locations);
	if (jt.proceedings || jt.stays)
		printf("Justice and protection: %zu perpetrators, %zu criminal proceedings, %zu risk "
		       "assessments and safety plans, %zu shelter stays\n", jt.perpetrators,
		       jt.proceedings, jt.protection, jt.stays);
	if (hl_contacts)
		printf("Hotline: %zu contacts, %zu callbacks, %zu caller flags\n", hl_contacts,
		       hl_callbacks, hl_flags);
	if (persons)
		printf("Network matching: %zu encodings of consenting persons (Zarina Dzhumaeva is known "
		       "to iom and ngo-ozod)\n", tot.encodings + matching);
	if (train_events)
		printf("Trainings: %zu events, %zu participants\n", train_events, train_people);
	if (orientation_sessions)
		printf("Pre-departure orientation: %zu sessions\n", orientation_sessions);
	if (plan_activities)
		printf("Action Plan: the sample plan (placeholder activities), %zu activities\n",
		       plan_activities);
	if (lib_products)
		printf("Library: %zu sample products (marked as samples), %zu file versions\n",
		       lib_products, lib_versions);
	printf("Demo users (password for all: %s):\n", PASSWORD_DEMO);
	for (i = 0; i < NUSERS; i++)
		printf("  %-18s %-12s %s\n", demo_users[i].login, demo_users[i].role, demo_users[i].org);
	return 0;
}
