/*
 * persons.c - SQL for persons and their blind-index keys.  Everything
 * personal is already sealed when it gets here.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/table.h"

static const struct column person_cols[] = {
	TCOL(struct person_row, id, COL_TEXT, COL_FIXED),
	TCOL(struct person_row, org_id, COL_TEXT, COL_FIXED),
	TCOL(struct person_row, version, COL_INT, COL_VERSION),
	TCOL(struct person_row, coded, COL_JSON, 0),
	TCOL2(struct person_row, sealed, COL_SEALED, 0, sealed_len),
	TCOL(struct person_row, created_at, COL_TEXT, COL_FIXED),
	TCOL(struct person_row, updated_at, COL_TEXT, 0),
	TCOL(struct person_row, merged_into, COL_OPT, COL_READ), /* set by dedup.c */
};
static struct table persons = TABLE("persons", person_cols);

static const char SQL_KEYS_DEL[] = "DELETE FROM person_keys WHERE person_id = ?1";
static const char SQL_KEYS_ADD[] =
	"INSERT INTO person_keys(key, person_id, weight) VALUES(?3, ?1, ?2)"
	" ON CONFLICT(key, person_id) DO UPDATE SET weight = max(person_keys.weight, excluded.weight)";

/* How much a match of each kind of key counts in a search's ranking: a
 * whole name word most, a phone or document next, a name's beginning
 * least.  The kind itself is in the key: each kind is its own HMAC
 * domain. */
static int key_weight(const char *kind)
{
	if (!strcmp(kind, "name"))
		return 4;
	if (!strcmp(kind, "phone") || !strcmp(kind, "doc"))
		return 3;
	return 1;
}

int store_person_insert(store_tx *tx, const struct person_row *p)
{
	return table_insert(tx, &persons, p);
}

int store_person_get(store *st, const char *id, struct person_row *p, arena *a)
{
	return table_get(st, &persons, id, p, a);
}

int store_person_update(store_tx *tx, const struct person_row *p)
{
	return table_update(tx, &persons, p);
}

int store_person_keys_add(store_tx *tx, const char *person_id, const struct blind_key *keys,
			  size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		db_stmt *s = db_prepare(tx->d, SQL_KEYS_ADD);
		if (!s)
			return STORE_ERROR;
		db_bind_str(s, 1, person_id);
		db_bind_int(s, 2, key_weight(keys[i].kind));
		db_bind_blob(s, 3, keys[i].mac, BLIND_BYTES);
		if (store_step_done(s) != STORE_OK)
			return STORE_ERROR;
	}
	return STORE_OK;
}

int store_person_keys_set(store_tx *tx, const char *person_id, const struct blind_key *keys,
			  size_t n)
{
	if (store_write_texts(tx->d, SQL_KEYS_DEL, &person_id, 1) != STORE_OK)
		return STORE_ERROR;
	return store_person_keys_add(tx, person_id, keys, n);
}

/* ---- the name search ---------------------------------------------------
 *
 * A person's score is the sum of the weights of the query's keys they have
 * (key_weight).  The answer is the best persons by score and, among equal
 * scores, the most recently changed.  Summing every posting of the query's
 * keys costs what the register holds (a common surname has thousands per
 * 100,000 persons); instead the postings are read in the primary key's
 * order (key, person_id), a batch at a time, and the reading stops as soon
 * as the best cannot change:
 *
 *  1. each key's first FIND_BATCH postings; a key with fewer is short, and
 *     now read whole;
 *  2. the persons of the short keys are scored in full: their postings in
 *     the long keys are looked up, FIND_PROBE persons a statement;
 *  3. the long keys' postings are merged in person-id order and each person
 *     scored as the merge passes it.  A person not met yet has a greater id
 *     and can score at most U, the weights of the long keys not read to
 *     their end; once the pool's K-th best scores more than U, or as much
 *     with a smaller id, the best K are known and the walk stops.
 *
 * K is FIND_POOL: the best 200 by score, ties by id, then ordered by their
 * last change, as the one GROUP BY over every posting did (its ties were
 * cut at 200 too).  After FIND_BUDGET postings of the long keys, K becomes
 * the `max` asked for: those are still the best by score, but equal scores
 * past them are taken in id order instead of by their last change.  So a
 * common surname costs about 200 postings, a given name and a surname
 * about max divided by the share of the surname's persons with that given
 * name, whatever the register's size.  The one case that still reads every
 * posting of its long keys: several common words that fewer than `max`
 * persons share (no early proof that nobody else has them all). */

#define FIND_KEYS 16     /* keys of one search, as before */
#define FIND_BATCH 256   /* postings of a key read at a time */
#define FIND_BATCH_MAX 8192 /* a long key's batch doubles each time, up to this */
#define FIND_POOL 200    /* best candidates ordered by their last change */
#define FIND_BUDGET 4096 /* long keys' postings read before K drops to max */
#define FIND_PROBE 32    /* persons looked up in a key by one statement */

static const char SQL_POSTINGS[] =
	"SELECT person_id FROM person_keys WHERE key = ?1 AND person_id > ?2"
	" ORDER BY person_id LIMIT ?3";
#define IN32 " IN (?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17," \
	" ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31, ?32, ?33)"
static const char SQL_PROBE[] = "SELECT person_id FROM person_keys WHERE key = ?1 AND person_id" IN32;
static const char SQL_RECENT[] = "SELECT id, updated_at FROM persons WHERE org_id = ?1 AND id" IN32;
/* On PostgreSQL every id of a probe or of the pool in one statement (a
 * round trip costs more than the rows: db_bind_text_array). */
#define ANY2 " = ANY(CAST(?2 AS TEXT[]))"
static const char SQL_PROBE_ANY[] = "SELECT person_id FROM person_keys WHERE key = ?1 AND person_id" ANY2;
static const char SQL_RECENT_ANY[] = "SELECT id, updated_at FROM persons WHERE org_id = ?1 AND id" ANY2;

struct find_key {
	const unsigned char *mac;
	int weight;
	char (*ids)[ID_LEN]; /* the batch read, in id order */
	size_t cap;          /* the batch asked for (ids' room) */
	size_t n, at;        /* ids in the batch; the next one to merge */
	int more;            /* postings may follow the batch */
	int whole;           /* short: read whole by the first batch */
};

struct find_hit {
	char id[ID_LEN];
	int score;
	char updated_at[TS_LEN];
};

struct find {
	db *d;
	struct find_key k[FIND_KEYS];
	size_t nk;
	char (*known)[ID_LEN]; /* the short keys' persons, sorted, scored */
	size_t nknown;
	struct find_hit pool[FIND_POOL]; /* best first: score, then id */
	size_t npool;
	size_t read; /* long keys' postings merged */
};

static int cmp_id(const void *a, const void *b)
{
	return strcmp(a, b);
}

static int has_id(char (*ids)[ID_LEN], size_t n, const char *id)
{
	return n && bsearch(id, ids, n, ID_LEN, cmp_id) != NULL;
}

/* The next batch of key k's postings, after its last one.  A key walked
 * past its first batch is a long one: each later batch is twice the last
 * (up to FIND_BATCH_MAX), so that several common words that few persons
 * share, whose postings are all read, cost a few statements rather than
 * one per 256 postings (on PostgreSQL a round trip each: "Zarina Saidova"
 * at 1,000,000 persons took 20 ms, four times another name).  The walk
 * still merges one posting at a time and stops where it did. */
static int find_batch(struct find *f, struct find_key *k)
{
	char after[ID_LEN] = "";
	db_stmt *s;
	int rc;

	if (k->n) {
		memcpy(after, k->ids[k->n - 1], ID_LEN);
		if (k->cap < FIND_BATCH_MAX) {
			void *more = realloc(k->ids, 2 * k->cap * ID_LEN);
			if (!more)
				return STORE_ERROR;
			k->ids = more;
			k->cap *= 2;
		}
	}
	if (!(s = db_prepare(f->d, SQL_POSTINGS)))
		return STORE_ERROR;
	db_bind_blob(s, 1, k->mac, BLIND_BYTES);
	db_bind_str(s, 2, after);
	db_bind_int(s, 3, (int64_t)k->cap);
	k->at = 0;
	rc = table_ids(s, k->ids, k->cap, &k->n);
	k->more = k->n == k->cap;
	return rc;
}

/* Keep (id, score) if it is among the best FIND_POOL. */
static void pool_add(struct find *f, const char *id, int score)
{
	size_t i = f->npool;

	while (i > 0 && (f->pool[i - 1].score < score ||
			 (f->pool[i - 1].score == score && strcmp(f->pool[i - 1].id, id) > 0)))
		i--;
	if (i >= FIND_POOL)
		return;
	if (f->npool == FIND_POOL)
		f->npool--;
	memmove(&f->pool[i + 1], &f->pool[i], (f->npool - i) * sizeof f->pool[0]);
	memset(&f->pool[i], 0, sizeof f->pool[i]);
	memcpy(f->pool[i].id, id, ID_LEN);
	f->pool[i].score = score;
	f->npool++;
}

/* Whether the best k are known: nobody not met yet (id after `pos`,
 * score at most u) can pass the k-th. */
static int pool_settled(const struct find *f, size_t k, int u, const char *pos)
{
	const struct find_hit *h;

	if (k == 0 || f->npool < k)
		return 0;
	h = &f->pool[k - 1];
	return h->score > u || (h->score == u && strcmp(h->id, pos) <= 0);
}

/* Add to scores[] the weight of key k for each of the ids[0..n) it has
 * (a short key's persons past the long key's first batch). */
static int find_probe(struct find *f, const struct find_key *k, char (*ids)[ID_LEN], size_t n,
		      int *scores)
{
	size_t i, j, step = db_has_arrays(f->d) ? n : FIND_PROBE;
	const char **list = NULL;
	int rc = DB_DONE;

	if (step == n && !(list = malloc(n * sizeof *list)))
		return STORE_ERROR;
	for (i = 0; i < n && (rc == DB_DONE || rc == DB_ROW); i += step) {
		db_stmt *s = db_prepare(f->d, list ? SQL_PROBE_ANY : SQL_PROBE);
		if (!s) {
			free(list);
			return STORE_ERROR;
		}
		db_bind_blob(s, 1, k->mac, BLIND_BYTES);
		if (list) {
			for (j = 0; j < n; j++)
				list[j] = ids[j];
			db_bind_text_array(s, 2, list, n);
		} else {
			for (j = 0; j < FIND_PROBE; j++)
				db_bind_str(s, (int)j + 2, ids[i + j < n ? i + j : i]);
		}
		while ((rc = db_step(s)) == DB_ROW) {
			char (*hit)[ID_LEN] = bsearch(db_col_text(s, 0), f->known, f->nknown, ID_LEN,
						      cmp_id);
			if (hit)
				scores[hit - f->known] += k->weight;
		}
		db_reset(s);
	}
	free(list);
	return rc == DB_DONE ? STORE_OK : STORE_ERROR;
}

/* Step 2: score the short keys' persons in full, into the pool. */
static int find_known(struct find *f)
{
	char (*probe)[ID_LEN] = NULL;
	int *scores = NULL, rc = STORE_OK;
	size_t i, j, n = 0, np;

	for (j = 0; j < f->nk; j++)
		if ((f->k[j].whole = !f->k[j].more))
			n += f->k[j].n;
	f->known = malloc((n + 1) * ID_LEN);
	probe = malloc((n + 1) * ID_LEN);
	scores = calloc(n + 1, sizeof *scores);
	if (!f->known || !probe || !scores) {
		rc = STORE_ERROR;
		goto out;
	}
	for (j = 0; j < f->nk; j++)
		if (f->k[j].whole && f->k[j].n) {
			memcpy(f->known[f->nknown], f->k[j].ids, f->k[j].n * ID_LEN);
			f->nknown += f->k[j].n;
		}
	qsort(f->known, f->nknown, ID_LEN, cmp_id);
	for (i = 0, n = 0; i < f->nknown; i++)
		if (n == 0 || strcmp(f->known[i], f->known[n - 1]))
			memmove(f->known[n++], f->known[i], ID_LEN);
	f->nknown = n;
	for (j = 0; j < f->nk && rc == STORE_OK; j++) {
		struct find_key *k = &f->k[j];
		for (i = 0, np = 0; i < f->nknown; i++) {
			/* In the batch read, or past it (a long key's): look up. */
			if (has_id(k->ids, k->n, f->known[i]))
				scores[i] += k->weight;
			else if (k->more && strcmp(f->known[i], k->ids[k->n - 1]) > 0)
				memcpy(probe[np++], f->known[i], ID_LEN);
		}
		if (np)
			rc = find_probe(f, k, probe, np, scores);
	}
	for (i = 0; i < f->nknown && rc == STORE_OK; i++)
		pool_add(f, f->known[i], scores[i]);
out:
	free(probe);
	free(scores);
	return rc;
}

/* Step 3: merge the long keys' postings until the best k are known (k
 * drops from FIND_POOL to max after FIND_BUDGET postings); *k_out is the
 * k that holds. */
static int find_walk(struct find *f, size_t max, size_t *k_out)
{
	char pos[ID_LEN] = "";

	for (;;) {
		const char *low = NULL;
		int u = 0, score = 0;
		size_t j;

		for (j = 0; j < f->nk; j++) {
			struct find_key *k = &f->k[j];
			if (k->whole)
				continue;
			if (k->at == k->n && k->more && find_batch(f, k) != STORE_OK)
				return STORE_ERROR;
			if (k->at < k->n) {
				u += k->weight;
				if (!low || strcmp(k->ids[k->at], low) < 0)
					low = k->ids[k->at];
			}
		}
		if (!low || pool_settled(f, FIND_POOL, u, pos)) {
			*k_out = FIND_POOL;
			return STORE_OK;
		}
		if (f->read >= FIND_BUDGET && pool_settled(f, max, u, pos)) {
			*k_out = max;
			return STORE_OK;
		}
		memcpy(pos, low, ID_LEN);
		for (j = 0; j < f->nk; j++) {
			struct find_key *k = &f->k[j];
			if (!k->whole && k->at < k->n && !strcmp(k->ids[k->at], pos)) {
				score += k->weight;
				k->at++;
				f->read++;
			}
		}
		if (!has_id(f->known, f->nknown, pos))
			pool_add(f, pos, score);
	}
}

static int cmp_hit(const void *a, const void *b)
{
	const struct find_hit *x = a, *y = b;
	int c;

	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	c = strcmp(y->updated_at, x->updated_at);
	return c ? c : strcmp(x->id, y->id);
}

static int cmp_hit_ptr_id(const void *a, const void *b)
{
	return strcmp((*(struct find_hit *const *)a)->id, (*(struct find_hit *const *)b)->id);
}

static int cmp_id_hit_ptr(const void *key, const void *elem)
{
	return strcmp(key, (*(struct find_hit *const *)elem)->id);
}

/* The pool's first n persons of org_id, their last change read; those of
 * another organisation (none: keys are made per organisation) dropped.
 * Each answer's row finds its person by id in a sorted view of the
 * statement's persons (a walk of them for each row was 40,000 string
 * comparisons a search on PostgreSQL, 8% of the case list by name). */
static int find_recent(struct find *f, const char *org_id, size_t n)
{
	size_t i, j, kept = 0, step = db_has_arrays(f->d) ? FIND_POOL : FIND_PROBE;
	const char *list[FIND_POOL];
	struct find_hit *by_id[FIND_POOL], **hit;
	int rc = DB_DONE;

	for (i = 0; i < n && rc == DB_DONE; i += step) {
		db_stmt *s = db_prepare(f->d, step == FIND_POOL ? SQL_RECENT_ANY : SQL_RECENT);
		if (!s)
			return STORE_ERROR;
		db_bind_str(s, 1, org_id);
		if (step == FIND_POOL) {
			for (j = 0; j < n; j++)
				list[j] = f->pool[j].id;
			db_bind_text_array(s, 2, list, n);
		} else {
			for (j = 0; j < FIND_PROBE; j++)
				db_bind_str(s, (int)j + 2, f->pool[i + j < n ? i + j : i].id);
		}
		for (j = i; j < n && j < i + step; j++)
			by_id[j - i] = &f->pool[j];
		qsort(by_id, j - i, sizeof *by_id, cmp_hit_ptr_id);
		while ((rc = db_step(s)) == DB_ROW)
			if ((hit = bsearch(db_col_text(s, 0), by_id, j - i, sizeof *by_id,
					   cmp_id_hit_ptr)))
				store_col_copy(s, 1, (*hit)->updated_at, TS_LEN);
		db_reset(s);
	}
	if (rc != DB_DONE)
		return STORE_ERROR;
	for (i = 0; i < n; i++)
		if (f->pool[i].updated_at[0])
			f->pool[kept++] = f->pool[i];
	f->npool = kept;
	qsort(f->pool, f->npool, sizeof f->pool[0], cmp_hit);
	return STORE_OK;
}

int store_person_find(store *st, const char *org_id, const struct blind_key *keys, size_t n,
		      char (*ids)[ID_LEN], int *hits, size_t max, size_t *found)
{
	struct find *f;
	size_t i, j, k = 0;
	int rc = STORE_OK;

	*found = 0;
	if (n == 0 || max == 0)
		return STORE_OK;
	if (max > FIND_POOL)
		max = FIND_POOL;
	f = calloc(1, sizeof *f);
	if (!f)
		return STORE_ERROR;
	/* Each key once (a word given twice counts once, as in an IN list). */
	for (i = 0; i < n && i < FIND_KEYS; i++) {
		for (j = 0; j < f->nk && memcmp(f->k[j].mac, keys[i].mac, BLIND_BYTES); j++)
			;
		if (j < f->nk)
			continue;
		f->k[f->nk].mac = keys[i].mac;
		f->k[f->nk].weight = key_weight(keys[i].kind);
		f->k[f->nk].cap = FIND_BATCH;
		if (!(f->k[f->nk++].ids = malloc(FIND_BATCH * ID_LEN))) {
			rc = STORE_ERROR;
			goto out;
		}
	}
	f->d = store_reader_get(st);
	for (j = 0; j < f->nk && rc == STORE_OK; j++)
		rc = find_batch(f, &f->k[j]);
	if (rc == STORE_OK)
		rc = find_known(f);
	if (rc == STORE_OK)
		rc = find_walk(f, max, &k);
	if (rc == STORE_OK)
		rc = find_recent(f, org_id, k < f->npool ? k : f->npool);
	store_reader_put(st, f->d);
	for (i = 0; rc == STORE_OK && i < f->npool && i < max; i++) {
		memcpy(ids[i], f->pool[i].id, ID_LEN);
		hits[i] = f->pool[i].score;
		(*found)++;
	}
out:
	for (j = 0; j < f->nk; j++)
		free(f->k[j].ids);
	free(f->known);
	free(f);
	return rc;
}

static struct table_query by_ids[2] = TABLE_BY_IDS(persons, "persons");

int store_persons_get(store *st, const char *const *ids, size_t n, struct person_row *out,
		      unsigned char *found, arena *a)
{
	return table_get_ids(st, by_ids, sizeof *out, offsetof(struct person_row, id), ids, n, out,
			     found, a);
}
