/*
 * duplicates.c - duplicates in the register: the linkage pass over an
 * organisation's persons (in the background, on demand, and for each
 * registration), GET /duplicates, and the decisions: merge, undo a
 * merge, not the same.
 *
 * Persons are sealed, so the pass opens them here, in the server, and
 * keeps nothing opened: each becomes a link_record of folded keys
 * (domain/linkage.h through domain/dedup.h), compared within the
 * organisation only.  Phones and documents are compared as blind indexes
 * made per organisation for this pass (never stored).  A pair found is
 * kept with its score and reasons (field and level names, weights: no
 * personal value) in dup_pairs (store/dedup.h).
 *
 * The list shows the names, birth date and coded fields of both persons
 * of each pair, so that a case worker can compare them: every sealed
 * value goes out through api/disclose.h and is audited as a read of that
 * person.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "util/background.h"
#include "api/api.h"
#include "api/pprlnet.h"
#include "api/disclose.h"
#include "api/metrics.h"
#include "domain/dedup.h"
#include "domain/namekey.h"
#include "store/dedup.h"

#define CHECK_MAX 20         /* persons a registration is compared with */
#define RANDOM_PAIRS 20000   /* most random pairs that start u in the EM */
#define PASS_INTERVAL 600    /* seconds between background passes */
#define SCRATCH_CAP (64u << 20)

/* ---- a person as the linkage sees it -------------------------------------- */

int api_dedup_year(void)
{
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	return tm.tm_year + 1900;
}

/* Upper-case letters and digits of a document number. */
static size_t document_key(const char *s, char out[64])
{
	size_t n = 0;
	for (; s && *s && n + 1 < 64; s++) {
		unsigned char ch = (unsigned char)*s;
		if (ch >= 'a' && ch <= 'z')
			ch = (unsigned char)(ch - 'a' + 'A');
		if ((ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9'))
			out[n++] = (char)ch;
	}
	out[n] = '\0';
	return n;
}

/* The link record of an opened person record; the phone and document
 * tokens are blind indexes in this organisation's own domain. */
void api_dedup_record(const keyring *kr, const char *org_id, json_t *rec, int year,
		      struct link_record *out)
{
	unsigned char phone_tok[BLIND_BYTES], doc_tok[BLIND_BYTES];
	const unsigned char *phone = NULL, *doc = NULL;
	const char *v;
	char domain[64], key[64];
	struct link_person lp;
	size_t len;

	v = json_string_value(json_array_get(json_object_get(rec, "phones"), 0));
	if (v && (len = phone_key(v, key)) > 0) {
		snprintf(domain, sizeof domain, "dedup-phone/%s", org_id);
		blind_index(kr, domain, key, len, phone_tok);
		phone = phone_tok;
	}
	v = json_string_value(json_object_get(
		json_array_get(json_object_get(rec, "identity_documents"), 0), "number"));
	if (v && (len = document_key(v, key)) > 0) {
		snprintf(domain, sizeof domain, "dedup-doc/%s", org_id);
		blind_index(kr, domain, key, len, doc_tok);
		doc = doc_tok;
	}
	dedup_link_person(rec, year, phone, doc, &lp);
	link_record_make(out, &lp);
	sodium_memzero(key, sizeof key);
}

/* The reasons of a pair as JSON (constants and numbers only) into a. */
static char *reasons_json(arena *a, const struct link_model *m, const uint8_t lv[LINK_FIELDS])
{
	struct dedup_reason rs[LINK_FIELDS];
	size_t n = dedup_reasons(m, lv, rs), i, used = 0, cap = 96 * LINK_FIELDS + 4;
	char *out = arena_alloc(a, cap);

	if (!out)
		return NULL;
	out[used++] = '[';
	for (i = 0; i < n; i++) {
		int k = snprintf(out + used, cap - used,
				 "%s{\"field\":\"%s\",\"level\":\"%s\",\"weight\":%.2f}", i ? "," : "",
				 rs[i].field, rs[i].level, rs[i].weight);
		if (k < 0 || (size_t)k >= cap - used)
			return NULL;
		used += (size_t)k;
	}
	out[used++] = ']';
	out[used] = '\0';
	return out;
}

/* Put the pair of persons x and y with these levels (a < b by id). */
int api_dedup_pair_put(store_tx *tx, arena *a, const char *org_id, const char *x,
		       const char *y, const struct link_model *m, const uint8_t lv[LINK_FIELDS],
		       const char *now)
{
	struct dup_pair_row p;
	double prob = link_probability(m, lv);

	memset(&p, 0, sizeof p);
	store_new_id(p.id);
	snprintf(p.org_id, sizeof p.org_id, "%s", org_id);
	snprintf(p.a, sizeof p.a, "%s", strcmp(x, y) < 0 ? x : y);
	snprintf(p.b, sizeof p.b, "%s", strcmp(x, y) < 0 ? y : x);
	p.score = (int64_t)(prob * 1000 + 0.5);
	p.weight = (int64_t)(link_weight(m, lv) * 100 + (link_weight(m, lv) < 0 ? -0.5 : 0.5));
	p.reasons = reasons_json(a, m, lv);
	snprintf(p.found_at, sizeof p.found_at, "%s", now);
	if (!p.reasons)
		return STORE_ERROR;
	return store_dedup_pair_put(tx, &p);
}

/* ---- the pass over one organisation --------------------------------------- */

struct pass {
	const keyring *kr;
	const char *org_id;
	int year;
	struct link_record *recs;
	char (*ids)[ID_LEN];
	size_t n, cap;
	/* The blocking runs twice: first every candidate pair's pattern
	 * goes into pt (to learn the model), then the pairs at or over the
	 * model's threshold are kept, so that memory holds the records and
	 * the few likely pairs, never every compared pair. */
	int keep;
	struct link_model model;
	uint64_t compared;
	struct cand {
		uint32_t i, j;
		uint8_t lv[LINK_FIELDS];
	} *pairs;
	size_t npairs, pcap;
	struct link_patterns pt;
	arena scratch;
};

static int pass_person(void *ctx, const struct person_row *p)
{
	struct pass *x = ctx;
	json_t *rec;

	if (x->n == x->cap) {
		size_t cap = x->cap ? x->cap * 2 : 256;
		void *r = realloc(x->recs, cap * sizeof *x->recs);
		void *i = r ? realloc(x->ids, cap * sizeof *x->ids) : NULL;
		if (r)
			x->recs = r;
		if (!i)
			return 1;
		x->ids = i;
		x->cap = cap;
	}
	rec = record_open(x->kr, &x->scratch, p->coded, p->sealed, p->sealed_len, p->id);
	if (!rec)
		return 0; /* a record that does not open is left out, not fatal */
	api_dedup_record(x->kr, x->org_id, rec, x->year, &x->recs[x->n]);
	json_decref(rec);
	memcpy(x->ids[x->n], p->id, ID_LEN);
	x->n++;
	/* The scratch arena holds only the plaintext buffers, wiped. */
	arena_free(&x->scratch);
	arena_init(&x->scratch, SCRATCH_CAP);
	return 0;
}

static int pass_pair(void *ctx, uint32_t i, uint32_t j)
{
	struct pass *x = ctx;
	uint8_t lv[LINK_FIELDS];
	struct cand *c;

	link_compare(&x->recs[i], &x->recs[j], lv);
	if (!x->keep) {
		link_patterns_add(&x->pt, lv, 1);
		x->compared++;
		return 0;
	}
	if (link_weight(&x->model, lv) < x->model.threshold)
		return 0;
	if (x->npairs == x->pcap) {
		size_t cap = x->pcap ? x->pcap * 2 : 1024;
		void *p = realloc(x->pairs, cap * sizeof *x->pairs);
		if (!p)
			return -1;
		x->pairs = p;
		x->pcap = cap;
	}
	c = &x->pairs[x->npairs++];
	c->i = i;
	c->j = j;
	memcpy(c->lv, lv, sizeof lv);
	return 0;
}

/* The model of this organisation: EM over its candidate pairs when there
 * are enough, else the prior. */
static void pass_model(struct pass *x, struct link_model *m)
{
	struct link_patterns random;
	size_t k, count;

	dedup_model_prior(m);
	if (x->compared < DEDUP_EM_MIN || x->pt.failed)
		return;
	link_patterns_init(&random);
	count = x->n * 4 < RANDOM_PAIRS ? x->n * 4 : RANDOM_PAIRS;
	for (k = 0; k < count; k++) {
		uint32_t i = randombytes_uniform((uint32_t)x->n);
		uint32_t j = randombytes_uniform((uint32_t)x->n);
		uint8_t lv[LINK_FIELDS];
		if (i == j)
			continue;
		link_compare(&x->recs[i], &x->recs[j], lv);
		link_patterns_add(&random, lv, 1);
	}
	if (link_em(m, &x->pt, &random, DEDUP_PRIOR_P) != 0)
		dedup_model_prior(m);
	link_patterns_free(&random);
}

int api_dedup_pass(store *st, const keyring *kr, const char *org_id, size_t *found)
{
	struct pass x;
	struct link_model m;
	struct link_stats stats;
	char now[TS_LEN];
	store_tx *tx = NULL;
	size_t k;
	int rc = STORE_ERROR;

	*found = 0;
	memset(&x, 0, sizeof x);
	x.kr = kr;
	x.org_id = org_id;
	x.year = api_dedup_year();
	arena_init(&x.scratch, SCRATCH_CAP);
	link_patterns_init(&x.pt);
	if (store_dedup_persons(st, org_id, pass_person, &x) != STORE_OK)
		goto out;
	if (x.n >= 2 && link_block_pairs(x.recs, x.n, NULL, 0, 0, pass_pair, &x, &stats) != 0)
		goto out;
	pass_model(&x, &m);
	x.model = m;
	x.keep = 1;
	if (x.n >= 2 && link_block_pairs(x.recs, x.n, NULL, 0, 0, pass_pair, &x, &stats) != 0)
		goto out;
	store_now(now);
	if (!(tx = store_begin(st)))
		goto out;
	rc = STORE_OK;
	for (k = 0; k < x.npairs && rc == STORE_OK; k++) {
		const struct cand *c = &x.pairs[k];
		rc = api_dedup_pair_put(tx, &x.scratch, org_id, x.ids[c->i], x.ids[c->j], &m, c->lv, now);
		(*found)++;
	}
	if (rc == STORE_OK)
		rc = store_commit(tx);
	else
		store_rollback(tx);
out:
	if (x.recs)
		sodium_memzero(x.recs, x.cap * sizeof *x.recs);
	free(x.recs);
	free(x.ids);
	free(x.pairs);
	link_patterns_free(&x.pt);
	arena_free(&x.scratch);
	return rc;
}

/* ---- one record against the register (registration) ---------------------- */

size_t api_dedup_candidates(struct req *r, json_t *rec, const char *self_id,
			    struct dedup_candidate *out, size_t max)
{
	const char *org = r->who.user.org.id;
	struct blind_key *all = arena_alloc(&r->mem, 512 * sizeof *all), keys[16];
	char (*ids)[ID_LEN] = arena_alloc(&r->mem, CHECK_MAX * ID_LEN);
	int hits[CHECK_MAX];
	struct link_record me, them;
	struct link_model m;
	size_t nall, nkeys = 0, found = 0, i, n = 0, k;
	int year = api_dedup_year();

	if (!all || !ids)
		return 0;
	/* Whole name words and phones: a name's beginnings would crowd the
	 * sixteen keys one query matches. */
	nall = person_blind_keys(&r->app->kr, org, rec, all, 512);
	for (i = 0; i < nall && nkeys < 16; i++)
		if (strcmp(all[i].kind, "prefix"))
			keys[nkeys++] = all[i];
	if (store_person_find(r->app->st, org, keys, nkeys, ids, hits, CHECK_MAX, &found) !=
	    STORE_OK)
		return 0;
	dedup_model_prior(&m);
	api_dedup_record(&r->app->kr, org, rec, year, &me);
	for (i = 0; i < found && n < max; i++) {
		struct person_row p;
		struct dedup_candidate c;
		json_t *other;

		if (self_id && !strcmp(ids[i], self_id))
			continue;
		if (store_person_get(r->app->st, ids[i], &p, &r->mem) != STORE_OK ||
		    strcmp(p.org_id, org) || p.merged_into[0])
			continue;
		other = record_open(&r->app->kr, &r->mem, p.coded, p.sealed, p.sealed_len, p.id);
		if (!other)
			continue;
		api_dedup_record(&r->app->kr, org, other, year, &them);
		json_decref(other);
		memset(&c, 0, sizeof c);
		link_compare(&me, &them, c.lv);
		if (link_weight(&m, c.lv) < m.threshold)
			continue;
		memcpy(c.id, p.id, ID_LEN);
		c.score = link_probability(&m, c.lv);
		for (k = n; k > 0 && out[k - 1].score < c.score; k--)
			out[k] = out[k - 1];
		out[k] = c;
		n++;
	}
	sodium_memzero(&me, sizeof me);
	sodium_memzero(&them, sizeof them);
	return n;
}

int api_dedup_check(struct req *r, json_t *rec)
{
	struct dedup_candidate c[8];
	size_t n = api_dedup_candidates(r, rec, NULL, c, 8), i;
	char detail[160];
	jsonw w;

	if (n == 0)
		return 0;
	snprintf(detail, sizeof detail,
		 "%zu registered person%s may be this one: compare, or send again with "
		 "duplicates=register", n, n == 1 ? "" : "s");
	reply_json_begin(r, 409, &w);
	r->content_type = "application/problem+json";
	jw_object(&w);
	jw_kstr(&w, "type", "likely-duplicate");
	jw_kstr(&w, "title", "Conflict");
	jw_kint(&w, "status", 409);
	jw_kstr(&w, "detail", detail);
	jw_key(&w, "candidates");
	jw_array(&w);
	for (i = 0; i < n; i++) {
		char num[16];
		jw_object(&w);
		jw_kstr(&w, "id", c[i].id);
		jw_key(&w, "score");
		snprintf(num, sizeof num, "%.3f", c[i].score);
		jw_raw(&w, num, strlen(num));
		jw_end(&w);
	}
	jw_end(&w);
	jw_finish(&w);
	return 409;
}

void api_dedup_registered(struct req *r, const char *person_id, json_t *rec)
{
	struct dedup_candidate c[CHECK_MAX];
	size_t n = api_dedup_candidates(r, rec, person_id, c, CHECK_MAX), i;
	struct link_model m;
	char now[TS_LEN];
	store_tx *tx;
	int rc = STORE_OK;

	if (n == 0 || !(tx = store_begin(r->app->st)))
		return;
	dedup_model_prior(&m);
	store_now(now);
	for (i = 0; i < n && rc == STORE_OK; i++)
		rc = api_dedup_pair_put(tx, &r->mem, r->who.user.org.id, person_id, c[i].id, &m, c[i].lv, now);
	if (rc == STORE_OK)
		store_commit(tx);
	else
		store_rollback(tx);
}

/* ---- the background pass -------------------------------------------------- */

static struct {
	struct background pass;
	store *st;
	const keyring *kr;
} bg = {.pass = BACKGROUND_INIT};

static void pass_all(void)
{
	struct org *orgs;
	size_t n = 0, i, found;
	arena a;

	arena_init(&a, SCRATCH_CAP);
	if (store_dir_orgs(bg.st, 10000, &orgs, &n, &a) == STORE_OK)
		for (i = 0; i < n; i++)
			if (api_dedup_pass(bg.st, bg.kr, orgs[i].id, &found) != STORE_OK)
				api_log_event("dedup", "org=%s status=failed", orgs[i].code);
	arena_free(&a);
}

static void *background(void *arg)
{
	(void)arg;
	while (!bg_sleep(&bg.pass, PASS_INTERVAL))
		pass_all();
	return NULL;
}

void api_dedup_start(struct app *app)
{
	bg.st = app->st;
	bg.kr = &app->kr;
	bg_start(&bg.pass, background, NULL);
}

void api_dedup_stop(void)
{
	bg_stop(&bg.pass);
}

/* ---- the routes ----------------------------------------------------------- */

static int may_review(struct req *r)
{
	return policy_allows(ACT_PERSON_DEDUP, r->who.user.role, PC_OWN_ORG) >= 0;
}

/* One person of a pair, for comparing: the names and birth date (sealed,
 * audited) and the coded fields that tell people apart. */
static void write_side(struct req *r, jsonw *w, const char *id)
{
	static const char *const sealed[] = {"given_name", "family_name", "patronymic",
					     "birth_date", NULL};
	static const char *const coded[] = {"gender", "estimated_age", "citizenship",
					    "region_of_origin", NULL};
	struct person_row p;
	char record[64];
	json_t *rec;
	size_t i;

	jw_object(w);
	jw_kstr(w, "id", id);
	/* A person since transferred to another organisation is theirs: its
	 * id alone (an outside review read the new owner's names here). */
	if (store_person_get(r->app->st, id, &p, &r->mem) != STORE_OK) {
		rec = NULL;
	} else if (strcmp(p.org_id, r->who.user.org.id)) {
		jw_kbool(w, "transferred", 1);
		rec = NULL;
	} else {
		rec = record_open(&r->app->kr, &r->mem, p.coded, p.sealed, p.sealed_len, p.id);
	}
	if (rec) {
		snprintf(record, sizeof record, "persons/%s", id);
		for (i = 0; sealed[i]; i++)
			api_write_sealed(r, w, record, sealed[i], json_object_get(rec, sealed[i]));
		for (i = 0; coded[i]; i++) {
			json_t *v = json_object_get(rec, coded[i]);
			if (v) {
				jw_key(w, coded[i]);
				jw_value(w, v);
			}
		}
		jw_kstr(w, "created_at", p.created_at);
		if (p.merged_into[0])
			jw_kstr(w, "merged_into", p.merged_into);
		json_decref(rec);
	}
	jw_end(w);
}

static void write_score(jsonw *w, const char *key, int64_t v, int scale)
{
	char num[32];
	snprintf(num, sizeof num, scale == 1000 ? "%.3f" : "%.2f", (double)v / scale);
	jw_key(w, key);
	jw_raw(w, num, strlen(num));
}

static void write_pair(struct req *r, jsonw *w, const struct dup_pair_row *p)
{
	jw_object(w);
	jw_kstr(w, "id", p->id);
	jw_kstr(w, "status", p->status);
	write_score(w, "score", p->score, 1000);
	write_score(w, "weight", p->weight, 100);
	jw_key(w, "reasons");
	jw_raw_json(w, p->reasons, strlen(p->reasons));
	jw_kstr(w, "found_at", p->found_at);
	if (p->decided_at[0]) {
		jw_kstr(w, "decided_by", p->decided_by);
		jw_kstr(w, "decided_at", p->decided_at);
	}
	if (p->merge_id[0])
		jw_kstr(w, "merge_id", p->merge_id);
	jw_key(w, "persons");
	jw_array(w);
	write_side(r, w, p->a);
	write_side(r, w, p->b);
	jw_end(w);
	jw_end(w);
}

/* GET /duplicates?status=open|distinct|merged[&limit=&cursor=]: a page
 * of pairs, best score first; the cursor holds the last pair's score,
 * when it was found and its id. */
int api_duplicates_list(struct req *r)
{
	const char *status = req_query(r, "status");
	struct dup_pair_row *rows, after;
	char key[64] = "", id[ID_LEN] = "", next[API_CURSOR_LEN];
	size_t n, i, limit = PAGE_DEFAULT;
	long long score;
	int used = 0;
	jsonw w;

	if (!may_review(r))
		return reply_problem(r, 403, "forbidden", "your role does not review duplicates");
	if (!status)
		status = "open";
	if (strcmp(status, "open") && strcmp(status, "distinct") && strcmp(status, "merged"))
		return reply_problem(r, 422, "invalid-value", "status: open, distinct or merged");
	if (api_page(r, PAGE_MAX, &limit, key, sizeof key, id, sizeof id))
		return r->status;
	memset(&after, 0, sizeof after);
	if (id[0]) {
		if (sscanf(key, "%lld:%n", &score, &used) != 1 || !used ||
		    strlen(key + used) >= sizeof after.found_at)
			return reply_problem(r, 422, "invalid-value", "cursor: not one of this list");
		after.score = score;
		snprintf(after.found_at, sizeof after.found_at, "%s", key + used);
		snprintf(after.id, sizeof after.id, "%s", id);
	}
	if (store_dedup_pairs_list(r->app->st, r->who.user.org.id, status, id[0] ? &after : NULL,
				   limit + 1, &rows, &n, &r->mem) != STORE_OK)
		return api_store_error(r, STORE_ERROR);
	api_list_begin(r, &w);
	for (i = 0; i < n && i < limit; i++)
		write_pair(r, &w, &rows[i]);
	if (n <= limit)
		return api_list_end(&w, NULL);
	snprintf(key, sizeof key, "%lld:%s", (long long)rows[limit - 1].score,
		 rows[limit - 1].found_at);
	api_cursor_seal(r, key, rows[limit - 1].id, next, sizeof next);
	return api_list_end(&w, next);
}

/* POST /duplicates/scan: the pass over the own organisation, now. */
int api_duplicates_scan(struct req *r)
{
	size_t found;
	jsonw w;

	if (!may_review(r))
		return reply_problem(r, 403, "forbidden", "your role does not review duplicates");
	if (api_body_none(r))
		return r->status;
	if (api_dedup_pass(r->app->st, &r->app->kr, r->who.user.org.id, &found) != STORE_OK)
		return reply_problem(r, 503, "busy", "the pass could not run: try again");
	reply_json_begin(r, 200, &w);
	jw_object(&w);
	jw_kint(&w, "found", (int64_t)found);
	jw_finish(&w);
	return 200;
}

/* The pair of the path, of the caller's organisation (else 404). */
static int pair_of(struct req *r, struct dup_pair_row *p)
{
	int rc = store_dedup_pair_get(r->app->st, r->params[0], p, &r->mem);
	if (rc == STORE_OK && strcmp(p->org_id, r->who.user.org.id))
		rc = STORE_NOT_FOUND;
	if (rc != STORE_OK)
		return api_store_error(r, rc);
	if (!may_review(r))
		return reply_problem(r, 403, "forbidden", "your role does not review duplicates");
	return 0;
}

static int reply_pair(struct req *r, const char *id)
{
	struct dup_pair_row p;
	jsonw w;

	if (store_dedup_pair_get(r->app->st, id, &p, &r->mem) != STORE_OK)
		return api_store_error(r, STORE_ERROR);
	reply_json_begin(r, 200, &w);
	write_pair(r, &w, &p);
	jw_finish(&w);
	return 200;
}

static int stale(struct req *r, int rc, const char *detail)
{
	return rc == STORE_STALE ? reply_problem(r, 409, "conflict", detail)
				 : api_store_error(r, rc);
}

/* POST /duplicates/{id}/distinct: not the same person. */
int api_duplicate_distinct(struct req *r)
{
	struct dup_pair_row p;
	char record[64], now[TS_LEN];
	store_tx *tx;
	int rc;

	if ((rc = pair_of(r, &p)))
		return rc;
	if (api_body_none(r))
		return r->status;
	store_now(now);
	snprintf(record, sizeof record, "duplicates/%s", p.id);
	if (!(tx = store_begin(r->app->st)))
		return api_store_error(r, STORE_BUSY);
	rc = store_dedup_pair_distinct(tx, p.id, r->who.user.id, now);
	if (rc == STORE_OK)
		rc = api_audit_write(r, tx, "distinct", record, NULL);
	if (rc != STORE_OK) {
		store_rollback(tx);
		return stale(r, rc, "the pair is decided already");
	}
	if (store_commit(tx) != STORE_OK)
		return api_store_error(r, STORE_ERROR);
	return reply_pair(r, p.id);
}

static void write_merge(jsonw *w, const struct dup_merge_row *m)
{
	jw_object(w);
	jw_kstr(w, "id", m->id);
	jw_kstr(w, "pair_id", m->pair_id);
	jw_kstr(w, "survivor", m->survivor);
	jw_kstr(w, "merged", m->merged);
	jw_kstr(w, "at", m->at);
	if (m->undone_at[0])
		jw_kstr(w, "undone_at", m->undone_at);
	jw_end(w);
}

/* Audit a merge or its undoing on both persons. */
static int audit_merge(struct req *r, store_tx *tx, const char *action,
		       const struct dup_merge_row *m)
{
	char record[64];
	int rc;

	snprintf(record, sizeof record, "persons/%s", m->merged);
	rc = api_audit_write(r, tx, action, record, "merged_into");
	snprintf(record, sizeof record, "persons/%s", m->survivor);
	if (rc == STORE_OK)
		rc = api_audit_write(r, tx, action, record, NULL);
	return rc;
}

/* POST /duplicates/{id}/merge {"survivor": ID}: the other person of the
 * pair is merged into the survivor. */
int api_duplicate_merge(struct req *r)
{
	struct dup_pair_row p;
	struct dup_merge_row m;
	const char *survivor, *key;
	json_t *body, *v;
	store_tx *tx;
	jsonw w;
	int rc;

	if ((rc = pair_of(r, &p)))
		return rc;
	body = req_json_object(r);
	if (!body)
		return r->status;
	json_object_foreach(body, key, v) {
		if (strcmp(key, "survivor"))
			return reply_problem_field(r, 422, "unknown-field", key,
						   "only survivor is taken");
	}
	if (json_object_get(body, "survivor") && !json_is_string(json_object_get(body, "survivor")))
		return reply_problem_field(r, 422, "invalid-value", "survivor",
					   "survivor: the id of the person kept, a string");
	survivor = json_string_value(json_object_get(body, "survivor"));
	if (!survivor)
		return reply_problem(r, 422, "missing-field", "survivor: the id of the person kept");
	if (strcmp(survivor, p.a) && strcmp(survivor, p.b))
		return reply_problem(r, 422, "invalid-value", "survivor: one of the pair's persons");
	memset(&m, 0, sizeof m);
	store_new_id(m.id);
	snprintf(m.org_id, sizeof m.org_id, "%s", p.org_id);
	snprintf(m.pair_id, sizeof m.pair_id, "%s", p.id);
	snprintf(m.survivor, sizeof m.survivor, "%s", survivor);
	snprintf(m.merged, sizeof m.merged, "%s", strcmp(survivor, p.a) ? p.a : p.b);
	snprintf(m.by_user, sizeof m.by_user, "%s", r->who.user.id);
	store_now(m.at);
	if (!(tx = store_begin(r->app->st)))
		return api_store_error(r, STORE_BUSY);
	{
		/* One person sleeps in one shelter: not two open stays after
		 * the merge (an outside review); the one of the record not kept
		 * is discharged first, or the two are two people. */
		char in[2][DIR_ID_LEN];
		int a = store_stay_open_of(tx, m.survivor, in[0], sizeof in[0]);
		int b = store_stay_open_of(tx, m.merged, in[1], sizeof in[1]);
		if (a < 0 || b < 0) {
			store_rollback(tx);
			return api_store_error(r, STORE_ERROR);
		}
		if (a && b) {
			store_rollback(tx);
			return reply_problem(r, 409, "already-admitted",
					     "both records stay in a shelter now: discharge the stay of "
					     "the record not kept first (or they are two people)");
		}
	}
	rc = store_dedup_merge(tx, &m);
	if (rc == STORE_OK)
		rc = api_referral_names_merge(r, tx, &m, 0);
	if (rc == STORE_OK)
		rc = audit_merge(r, tx, "merge", &m);
	if (rc != STORE_OK) {
		store_rollback(tx);
		return stale(r, rc, "the pair is decided already, or a person of it is merged or "
				    "was transferred to another organisation");
	}
	if (store_commit(tx) != STORE_OK)
		return api_store_error(r, STORE_ERROR);
	api_pprl_refresh_req(r, m.survivor);
	api_pprl_refresh_req(r, m.merged);
	reply_json_begin(r, 200, &w);
	write_merge(&w, &m);
	jw_finish(&w);
	return 200;
}

/* POST /merges/{id}/undo */
int api_merge_undo(struct req *r)
{
	struct dup_merge_row m;
	store_tx *tx;
	jsonw w;
	int rc = store_dedup_merge_get(r->app->st, r->params[0], &m);

	if (rc == STORE_OK && strcmp(m.org_id, r->who.user.org.id))
		rc = STORE_NOT_FOUND;
	if (rc != STORE_OK)
		return api_store_error(r, rc);
	if (!may_review(r))
		return reply_problem(r, 403, "forbidden", "your role does not review duplicates");
	if (api_body_none(r))
		return r->status;
	if (!(tx = store_begin(r->app->st)))
		return api_store_error(r, STORE_BUSY);
	store_now(m.undone_at);
	snprintf(m.undone_by, sizeof m.undone_by, "%s", r->who.user.id);
	rc = store_dedup_unmerge(tx, m.id, m.undone_by, m.undone_at);
	if (rc == STORE_OK)
		rc = api_referral_names_merge(r, tx, &m, 1);
	if (rc == STORE_OK)
		rc = audit_merge(r, tx, "unmerge", &m);
	if (rc != STORE_OK) {
		store_rollback(tx);
		return stale(r, rc, "undone already, a later merge of these persons stands (undo "
				    "that first), or a person or case of it was transferred to "
				    "another organisation since");
	}
	if (store_commit(tx) != STORE_OK)
		return api_store_error(r, STORE_ERROR);
	api_pprl_refresh_req(r, m.survivor);
	api_pprl_refresh_req(r, m.merged);
	reply_json_begin(r, 200, &w);
	write_merge(&w, &m);
	jw_finish(&w);
	return 200;
}
