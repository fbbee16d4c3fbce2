/*
 * cases.c - SQL for cases.  The list query is composed once per
 * combination of filters (status, stage, assignee, person, cursor) so that
 * each combination is one cached prepared statement using its own index.
 */
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/table.h"

static const struct column case_cols[] = {
	TCOL(struct case_row, id, COL_TEXT, COL_FIXED),
	TCOL(struct case_row, org_id, COL_TEXT, COL_FIXED),
	TCOL(struct case_row, person_id, COL_TEXT, COL_FIXED),
	TCOL(struct case_row, version, COL_INT, COL_VERSION),
	TCOL(struct case_row, status, COL_TEXT, 0),
	TCOL(struct case_row, stage, COL_TEXT, 0),
	TCOL(struct case_row, trafficking_status, COL_OPT, 0),
	TCOL(struct case_row, assigned_to, COL_OPT, 0),
	TCOL(struct case_row, previous_case_id, COL_OPT, 0),
	TCOL(struct case_row, opened_on, COL_TEXT, 0),
	TCOL(struct case_row, closed_on, COL_OPT, 0),
	TCOL(struct case_row, coded, COL_JSON, 0),
	TCOL2(struct case_row, sealed, COL_SEALED, 0, sealed_len),
	TCOL(struct case_row, created_at, COL_TEXT, COL_FIXED),
	TCOL(struct case_row, updated_at, COL_TEXT, 0),
};
static struct table cases = TABLE("cases", case_cols);

static const char *const SQL_OWNER[3] = {
	"SELECT org_id, 0 FROM cases WHERE id = ?1",
	"SELECT org_id, CASE WHEN merged_into IS NULL THEN 0 ELSE 1 END FROM persons WHERE id = ?1",
	"SELECT org_id, 0 FROM items WHERE id = ?1",
};

int store_owner_tx(store_tx *tx, int kind, const char *id, char org[ID_LEN], int *merged)
{
	db_stmt *s = kind >= 0 && kind < 3 ? db_prepare(tx->d, SQL_OWNER[kind]) : NULL;
	int rc;

	if (!s)
		return STORE_ERROR;
	db_bind_str(s, 1, id);
	rc = store_step_row(s);
	if (rc == STORE_OK) {
		store_col_copy(s, 0, org, ID_LEN);
		*merged = db_col_int(s, 1) != 0;
		db_reset(s);
	}
	return rc;
}

enum {
	F_STATUS = 1, F_STAGE = 2, F_ASSIGNED = 4, F_PERSON = 8, F_AFTER = 16, F_REFERRED = 32,
	F_COMBOS = 64
};

static char *list_sql[F_COMBOS];
static char *persons_sql[2]; /* store_case_list_persons: IN list, array */
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
	" AND c.status = 'active' AND (c.due IS NULL OR c.due >= ?9)" \
	" AND c.person_id = f.person_id)) AND org_id <> ?1"

/* The cases of up to 64 persons found by name (store_case_list_persons),
 * in a list's columns.  "org_id || ''" keeps the organisation's index out
 * of it: with it SQLite walked all of the organisation's cases in
 * updated_at order to spare a sort of the few found through cases_person
 * (1.8 s at 100,000 persons; bench/scale.sh).  On PostgreSQL the persons
 * are one array (db_bind_text_array); its planner takes cases_person for
 * them without the SQLite's detour. */
#define P8(a) "?" #a "0, ?" #a "1, ?" #a "2, ?" #a "3, ?" #a "4, ?" #a "5, ?" #a "6, ?" #a "7"
#define PERSONS_WHERE_IN \
	"FROM cases WHERE org_id || '' = ?1 AND person_id IN (" \
	P8(1) ", " P8(2) ", " P8(3) ", " P8(4) ", " P8(5) ", " P8(6) ", " P8(7) ", " P8(8) ")" \
	" ORDER BY updated_at DESC, id DESC LIMIT ?2"
#define PERSONS_WHERE_ANY \
	"FROM cases WHERE org_id = ?1 AND person_id = ANY(CAST(?2 AS TEXT[]))" \
	" ORDER BY updated_at DESC, id DESC LIMIT ?3"

/* The columns of a list: the table's, but the sealed fields, which no
 * list shows, left out ("NULL AS sealed", read as none): on PostgreSQL
 * they came back hex-encoded, 1.1 kB of the 2.5 kB of each row. */
static char *list_cols(void)
{
	size_t i, cap, len = 0;
	char *out;

	for (i = 0; i < cases.ncols; i++)
		len += strlen(case_cols[i].name) + sizeof "NULL AS , ";
	out = malloc(len + 1);
	if (!out)
		return NULL;
	for (i = 0, cap = len + 1, len = 0; i < cases.ncols; i++)
		len += (size_t)snprintf(out + len, cap - len, "%s%s%s", i ? ", " : "",
					case_cols[i].kind == COL_SEALED ? "NULL AS " : "",
					case_cols[i].name);
	return out;
}

static void list_sql_build(void)
{
	char *cols;
	unsigned m;

	if (table_sql(&cases) != 0 || (cols = list_cols()) == NULL)
		return;
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
				       "SELECT * FROM (SELECT %s FROM cases WHERE org_id = ?1%s"
				       LIST_ORDER ") own UNION ALL SELECT * FROM (SELECT %s"
				       " FROM cases WHERE " LIST_REFERRED "%s" LIST_ORDER ") referred" LIST_ORDER,
				       cols, w, cols, w);
		else
			len = snprintf(q, sizeof q,
				       "SELECT %s FROM cases WHERE org_id = ?1%s" LIST_ORDER, cols, w);
		list_sql[m] = len > 0 && (size_t)len < sizeof q ? strdup(q) : NULL;
	}
	for (m = 0; m < 2; m++) {
		char q[4096];
		int len = snprintf(q, sizeof q, "SELECT %s %s", cols,
				   m ? PERSONS_WHERE_ANY : PERSONS_WHERE_IN);
		persons_sql[m] = len > 0 && (size_t)len < sizeof q ? strdup(q) : NULL;
	}
	free(cols);
}

int store_case_insert(store_tx *tx, const struct case_row *c)
{
	return table_insert(tx, &cases, c);
}

int store_case_get(store *st, const char *id, struct case_row *c, arena *a)
{
	return table_get(st, &cases, id, c, a);
}

int store_case_get_tx(store_tx *tx, const char *id, struct case_row *c, arena *a)
{
	return table_get_on(tx->d, &cases, id, c, a);
}

int store_case_update(store_tx *tx, const struct case_row *c)
{
	return table_update(tx, &cases, c);
}

/* How a list's rows are read: the table's columns (list_sql's "NULL AS
 * sealed" reads as none). */
static struct table_query list_rows = TABLE_QUERY(cases, "");

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
	if (s) {
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
	}
	return table_query_collect_pool(st, d, s, &list_rows, sizeof **rows, f->limit,
					(void **)rows, n, a);
}


int store_case_list_persons(store *st, const char *org_id, char (*ids)[ID_LEN], size_t nids,
			    size_t limit, struct case_row **rows, size_t *n, arena *a)
{
	db *d;
	db_stmt *s;
	size_t i;
	int any;

	*n = 0;
	*rows = NULL;
	if (nids == 0)
		return STORE_OK;
	if (nids > 64)
		nids = 64;
	if (limit == 0 || limit > 200)
		limit = 200;
	pthread_once(&list_once, list_sql_build);
	d = store_reader_get(st);
	any = db_has_arrays(d);
	s = persons_sql[any] ? db_prepare(d, persons_sql[any]) : NULL;
	if (s) {
		db_bind_str(s, 1, org_id);
		db_bind_int(s, any ? 3 : 2, (int64_t)limit);
	}
	if (s && any) {
		const char *list[64];
		for (i = 0; i < nids; i++)
			list[i] = ids[i];
		db_bind_text_array(s, 2, list, nids);
	} else if (s) {
		for (i = 0; i < 64; i++)
			db_bind_str(s, (int)(10 + (i / 8) * 10 + i % 8), ids[i < nids ? i : 0]);
	}
	return table_query_collect_pool(st, d, s, &list_rows, sizeof **rows, limit, (void **)rows,
					n, a);
}

static struct table_query by_ids[2] = TABLE_BY_IDS(cases, "cases");

int store_cases_get(store *st, const char *const *ids, size_t n, struct case_row *out,
		    unsigned char *found, arena *a)
{
	return table_get_ids(st, by_ids, sizeof *out, offsetof(struct case_row, id), ids, n, out,
			     found, a);
}
