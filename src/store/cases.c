/*
 * cases.c - SQL for cases.  The list query is composed once per
 * combination of filters (status, stage, assignee, person, cursor) so that
 * each combination is one cached prepared statement using its own index.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_internal.h"

#define CASE_COLS \
	"id, org_id, person_id, version, status, stage, coalesce(trafficking_status, '')," \
	" coalesce(assigned_to, ''), coalesce(previous_case_id, ''), opened_on," \
	" coalesce(closed_on, ''), coded, sealed, created_at, updated_at"

static const char SQL_INSERT[] =
	"INSERT INTO cases(id, org_id, person_id, version, status, stage, trafficking_status,"
	" assigned_to, previous_case_id, opened_on, closed_on, coded, sealed, created_at, updated_at)"
	" VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)";
static const char SQL_GET[] = "SELECT " CASE_COLS " FROM cases WHERE id = ?1";
static const char SQL_UPDATE[] =
	"UPDATE cases SET version = ?2, status = ?3, stage = ?4, trafficking_status = ?5,"
	" assigned_to = ?6, previous_case_id = ?7, opened_on = ?8, closed_on = ?9, coded = ?10,"
	" sealed = ?11, updated_at = ?12 WHERE id = ?1 AND version = ?13";
static const char SQL_EXISTS[] = "SELECT 1 FROM cases WHERE id = ?1";

enum {
	F_STATUS = 1, F_STAGE = 2, F_ASSIGNED = 4, F_PERSON = 8, F_AFTER = 16, F_REFERRED = 32,
	F_COMBOS = 64
};

static char *list_sql[F_COMBOS];
static pthread_once_t list_once = PTHREAD_ONCE_INIT;

/* The scope: the organisation's cases, and those referred to it under a
 * live referral (as REFERRAL_LIVE in referrals.c).  Not one WHERE with
 * "org_id = ?1 OR id IN (...)": SQLite answers that OR by fetching every
 * row of both sides and sorting them all, which for an organisation with
 * 47 000 cases is 110 ms a page.  Instead each side takes its own first
 * page (the organisation's in the order of its index) and the union of
 * the two is sorted, at most 2 x LIMIT rows (bench/referrals.sh).  A case
 * of the organisation's own that was also referred to it counts once. */
#define LIST_ORDER " ORDER BY updated_at DESC, id DESC LIMIT ?8"
#define LIST_REFERRED \
	"id IN (SELECT f.case_id FROM referrals f WHERE f.to_org = ?10 AND f.status = 'accepted'" \
	" AND f.kind = 'referral' AND EXISTS (SELECT 1 FROM items c WHERE c.id = f.consent_id" \
	" AND c.status = 'active' AND (c.due IS NULL OR c.due >= ?9))) AND org_id <> ?1"

static void list_sql_build(void)
{
	unsigned m;
	for (m = 0; m < F_COMBOS; m++) {
		char w[512], q[4096];
		int len;
		snprintf(w, sizeof w, "%s%s%s%s%s",
			 m & F_STATUS ? " AND status = ?2" : "",
			 m & F_STAGE ? " AND stage = ?3" : "",
			 m & F_ASSIGNED ? " AND assigned_to = ?4" : "",
			 m & F_PERSON ? " AND person_id = ?5" : "",
			 m & F_AFTER ? " AND (updated_at < ?6 OR (updated_at = ?6 AND id < ?7))" : "");
		if (m & F_REFERRED)
			len = snprintf(q, sizeof q,
				       "SELECT * FROM (SELECT " CASE_COLS " FROM cases WHERE org_id = ?1%s"
				       LIST_ORDER ") UNION ALL SELECT * FROM (SELECT " CASE_COLS
				       " FROM cases WHERE " LIST_REFERRED "%s" LIST_ORDER ")" LIST_ORDER,
				       w, w);
		else
			len = snprintf(q, sizeof q,
				       "SELECT " CASE_COLS " FROM cases WHERE org_id = ?1%s" LIST_ORDER, w);
		list_sql[m] = len > 0 && (size_t)len < sizeof q ? strdup(q) : NULL;
	}
}

/* The sealed part; a case without a sensitive field has none, and the
 * column is NOT NULL, so that is an empty blob (a NULL pointer would bind
 * NULL). */
static void bind_sealed(db_stmt *s, int i, const struct case_row *c)
{
	static const unsigned char none[1];
	if (c->sealed && c->sealed_len)
		db_bind_blob(s, i, c->sealed, c->sealed_len);
	else
		db_bind_blob(s, i, none, 0);
}

static void bind_case(db_stmt *s, const struct case_row *c)
{
	db_bind_str(s, 1, c->id);
	db_bind_str(s, 2, c->org_id);
	db_bind_str(s, 3, c->person_id);
	db_bind_int(s, 4, c->version);
	db_bind_str(s, 5, c->status);
	db_bind_str(s, 6, c->stage);
	db_bind_str(s, 7, c->trafficking_status[0] ? c->trafficking_status : NULL);
	db_bind_str(s, 8, c->assigned_to[0] ? c->assigned_to : NULL);
	db_bind_str(s, 9, c->previous_case_id[0] ? c->previous_case_id : NULL);
	db_bind_str(s, 10, c->opened_on);
	db_bind_str(s, 11, c->closed_on[0] ? c->closed_on : NULL);
	db_bind_str(s, 12, c->coded);
	bind_sealed(s, 13, c);
	db_bind_str(s, 14, c->created_at);
	db_bind_str(s, 15, c->updated_at);
}

/* Read CASE_COLS into c, copying the JSON and blob into the arena. */
static int read_case(db_stmt *s, struct case_row *c, arena *a)
{
	size_t n = db_col_bytes(s, 12);
	char *coded = arena_strndup(a, db_col_text(s, 11), db_col_bytes(s, 11));
	unsigned char *sealed = arena_alloc(a, n ? n : 1);

	if (!coded || !sealed)
		return STORE_ERROR;
	if (n)
		memcpy(sealed, db_col_blob(s, 12), n);
	store_col_copy(s, 0, c->id, sizeof c->id);
	store_col_copy(s, 1, c->org_id, sizeof c->org_id);
	store_col_copy(s, 2, c->person_id, sizeof c->person_id);
	c->version = db_col_int(s, 3);
	store_col_copy(s, 4, c->status, sizeof c->status);
	store_col_copy(s, 5, c->stage, sizeof c->stage);
	store_col_copy(s, 6, c->trafficking_status, sizeof c->trafficking_status);
	store_col_copy(s, 7, c->assigned_to, sizeof c->assigned_to);
	store_col_copy(s, 8, c->previous_case_id, sizeof c->previous_case_id);
	store_col_copy(s, 9, c->opened_on, sizeof c->opened_on);
	store_col_copy(s, 10, c->closed_on, sizeof c->closed_on);
	c->coded = coded;
	c->sealed = sealed;
	c->sealed_len = n;
	store_col_copy(s, 13, c->created_at, sizeof c->created_at);
	store_col_copy(s, 14, c->updated_at, sizeof c->updated_at);
	return STORE_OK;
}

int store_case_insert(store_tx *tx, const struct case_row *c)
{
	db_stmt *s = db_prepare(tx->d, SQL_INSERT);
	int rc;
	if (!s)
		return STORE_ERROR;
	bind_case(s, c);
	rc = db_step(s);
	db_reset(s);
	if (rc == DB_DONE)
		return STORE_OK;
	return rc == DB_CONSTRAINT ? STORE_CONFLICT : STORE_ERROR;
}

int store_case_get(store *st, const char *id, struct case_row *c, arena *a)
{
	db *d = store_reader_get(st);
	db_stmt *s = db_prepare(d, SQL_GET);
	int rc = STORE_ERROR;

	if (s) {
		db_bind_str(s, 1, id);
		rc = db_step(s);
		if (rc == DB_ROW)
			rc = read_case(s, c, a);
		else
			rc = rc == DB_DONE ? STORE_NOT_FOUND : STORE_ERROR;
		db_reset(s);
	}
	store_reader_put(st, d);
	return rc;
}

int store_case_update(store_tx *tx, const struct case_row *c)
{
	db_stmt *s = db_prepare(tx->d, SQL_UPDATE);

	if (!s)
		return STORE_ERROR;
	db_bind_str(s, 1, c->id);
	db_bind_int(s, 2, c->version);
	db_bind_str(s, 3, c->status);
	db_bind_str(s, 4, c->stage);
	db_bind_str(s, 5, c->trafficking_status[0] ? c->trafficking_status : NULL);
	db_bind_str(s, 6, c->assigned_to[0] ? c->assigned_to : NULL);
	db_bind_str(s, 7, c->previous_case_id[0] ? c->previous_case_id : NULL);
	db_bind_str(s, 8, c->opened_on);
	db_bind_str(s, 9, c->closed_on[0] ? c->closed_on : NULL);
	db_bind_str(s, 10, c->coded);
	bind_sealed(s, 11, c);
	db_bind_str(s, 12, c->updated_at);
	db_bind_int(s, 13, c->version - 1);
	return store_step_versioned(tx, s, SQL_EXISTS, c->id);
}

/* Step s to the end, collecting rows into an arena array. */
static int collect_cases(db_stmt *s, size_t limit, struct case_row **rows, size_t *n, arena *a)
{
	struct case_row *out = arena_alloc(a, (limit ? limit : 1) * sizeof *out);
	int rc;

	*n = 0;
	*rows = out;
	if (!out)
		return STORE_ERROR;
	while ((rc = db_step(s)) == DB_ROW && *n < limit) {
		if (read_case(s, &out[*n], a) != STORE_OK)
			return STORE_ERROR;
		(*n)++;
	}
	return rc == DB_DONE || rc == DB_ROW ? STORE_OK : STORE_ERROR;
}

static int set(const char *s)
{
	return s && *s;
}

int store_case_list(store *st, const struct case_filter *f, struct case_row **rows, size_t *n,
		    arena *a)
{
	unsigned m = 0;
	db *d;
	db_stmt *s;
	int rc;

	pthread_once(&list_once, list_sql_build);
	m |= set(f->status) ? F_STATUS : 0;
	m |= set(f->stage) ? F_STAGE : 0;
	m |= set(f->assigned_to) ? F_ASSIGNED : 0;
	m |= set(f->person_id) ? F_PERSON : 0;
	m |= set(f->after_at) && set(f->after_id) ? F_AFTER : 0;
	m |= set(f->referred_to) && set(f->today) ? F_REFERRED : 0;
	if (!list_sql[m])
		return STORE_ERROR;
	d = store_reader_get(st);
	s = db_prepare(d, list_sql[m]);
	if (!s) {
		store_reader_put(st, d);
		return STORE_ERROR;
	}
	db_bind_str(s, 1, f->org_id);
	if (m & F_STATUS)
		db_bind_str(s, 2, f->status);
	if (m & F_STAGE)
		db_bind_str(s, 3, f->stage);
	if (m & F_ASSIGNED)
		db_bind_str(s, 4, f->assigned_to);
	if (m & F_PERSON)
		db_bind_str(s, 5, f->person_id);
	if (m & F_AFTER) {
		db_bind_str(s, 6, f->after_at);
		db_bind_str(s, 7, f->after_id);
	}
	db_bind_int(s, 8, (int64_t)f->limit);
	if (m & F_REFERRED) {
		db_bind_str(s, 9, f->today);
		db_bind_str(s, 10, f->referred_to);
	}
	rc = collect_cases(s, f->limit, rows, n, a);
	db_reset(s);
	store_reader_put(st, d);
	return rc;
}

#define P8(a) "?" #a "0, ?" #a "1, ?" #a "2, ?" #a "3, ?" #a "4, ?" #a "5, ?" #a "6, ?" #a "7"
static const char SQL_BY_PERSONS[] =
	"SELECT " CASE_COLS " FROM cases WHERE org_id = ?1 AND person_id IN ("
	P8(1) ", " P8(2) ", " P8(3) ", " P8(4) ", " P8(5) ", " P8(6) ", " P8(7) ", " P8(8) ")"
	" ORDER BY updated_at DESC, id DESC LIMIT 200";

int store_case_list_persons(store *st, const char *org_id, char (*ids)[ID_LEN], size_t nids,
			    struct case_row **rows, size_t *n, arena *a)
{
	db *d;
	db_stmt *s;
	size_t i;
	int rc;

	*n = 0;
	*rows = NULL;
	if (nids == 0)
		return STORE_OK;
	if (nids > 64)
		nids = 64;
	d = store_reader_get(st);
	s = db_prepare(d, SQL_BY_PERSONS);
	if (!s) {
		store_reader_put(st, d);
		return STORE_ERROR;
	}
	db_bind_str(s, 1, org_id);
	for (i = 0; i < 64; i++)
		db_bind_str(s, (int)(10 + (i / 8) * 10 + i % 8), ids[i < nids ? i : 0]);
	rc = collect_cases(s, 200, rows, n, a);
	db_reset(s);
	store_reader_put(st, d);
	return rc;
}
