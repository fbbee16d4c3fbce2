/*
 * justice.c - SQL of the criminal-justice track and the shelter stays
 * (migration 16): the links of perpetrators to cases, their blind keys
 * and search, and the stays of a shelter service.  Perpetrators,
 * proceedings and stays themselves are items (store/items.c).
 */
#include <stdio.h>
#include <string.h>

#include "store/table.h"

static const char SQL_LINK[] =
	"INSERT INTO perpetrator_cases(case_id, perpetrator_id, org_id, created_at)"
	" VALUES(?1, ?2, ?3, ?4)";
static struct table_query of_case = TABLE_QUERY(store_items,
	"FROM items WHERE id IN"
	" (SELECT perpetrator_id FROM perpetrator_cases WHERE case_id = ?1)"
	" AND kind = 'perpetrator' ORDER BY created_at, rowid LIMIT 500");
static const char SQL_CASES_OF[] =
	"SELECT case_id FROM perpetrator_cases WHERE perpetrator_id = ?1 ORDER BY created_at LIMIT ?2";
static const char SQL_KEYS_DEL[] = "DELETE FROM perpetrator_keys WHERE perpetrator_id = ?1";
static const char SQL_KEYS_ADD[] =
	"INSERT INTO perpetrator_keys(key, perpetrator_id, weight) VALUES(?3, ?1, ?2)"
	" ON CONFLICT DO NOTHING";
static const char SQL_FIND[] =
	"SELECT t.perpetrator_id FROM ("
	"  SELECT perpetrator_id, sum(weight) AS hits FROM perpetrator_keys"
	"  WHERE key IN (?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
	"  GROUP BY perpetrator_id ORDER BY hits DESC LIMIT 200) t"
	" JOIN items i ON i.id = t.perpetrator_id AND i.org_id = ?1"
	" ORDER BY t.hits DESC, i.updated_at DESC LIMIT ?10";
static struct table_query stays_open = TABLE_QUERY(store_items,
	"FROM items WHERE service_id = ?1 AND kind = 'stay' AND status = 'open'"
	" ORDER BY at DESC, rowid DESC LIMIT 1000");
static struct table_query stays_all = TABLE_QUERY(store_items,
	"FROM items WHERE service_id = ?1 AND kind = 'stay'"
	" ORDER BY at DESC, rowid DESC LIMIT 1000");
static const char SQL_STAYS_COUNT[] =
	"SELECT count(*) FROM items WHERE service_id = ?1 AND kind = 'stay' AND status = 'open'";
/* The shelter of the person's open stay: in one shelter at a time. */
static const char SQL_STAY_OPEN_OF[] =
	"SELECT service_id FROM items WHERE person_id = ?1 AND kind = 'stay' AND status = 'open'"
	" LIMIT 1";

int store_perpetrator_link(store_tx *tx, const char *perpetrator_id, const char *case_id,
			   const char *org_id, const char *at)
{
	const char *v[] = {case_id, perpetrator_id, org_id, at};

	return store_write_texts(tx->d, SQL_LINK, v, 4);
}

static const char SQL_RELINK[] =
	"UPDATE perpetrator_cases SET perpetrator_id = ?2 WHERE perpetrator_id = ?1 AND case_id = ?3";

int store_perpetrator_relink(store_tx *tx, const char *from_id, const char *to_id,
			     const char *case_id)
{
	const char *v[] = {from_id, to_id, case_id};

	return store_write_texts(tx->d, SQL_RELINK, v, 3);
}

int store_perpetrators_of_case(store *st, const char *case_id, struct item_row **rows,
			       size_t *n, arena *a)
{
	return table_query_list_pool(st, &of_case, case_id, 500, sizeof **rows, (void **)rows, n,
				     a);
}

int store_perpetrator_cases(store *st, const char *perpetrator_id, char (*ids)[ID_LEN],
			    size_t max, size_t *n)
{
	return table_ids_of(st, SQL_CASES_OF, perpetrator_id, ids, max, n);
}

static int key_weight(const char *kind)
{
	return !strcmp(kind, "name") ? 4 : 1;
}

int store_perpetrator_keys_set(store_tx *tx, const char *perpetrator_id,
			       const struct blind_key *keys, size_t n)
{
	size_t i;
	int rc = store_write_texts(tx->d, SQL_KEYS_DEL, &perpetrator_id, 1);

	for (i = 0; rc == STORE_OK && i < n; i++) {
		db_stmt *s = db_prepare(tx->d, SQL_KEYS_ADD);
		if (!s)
			return STORE_ERROR;
		db_bind_str(s, 1, perpetrator_id);
		db_bind_int(s, 2, key_weight(keys[i].kind));
		db_bind_blob(s, 3, keys[i].mac, BLIND_BYTES);
		rc = store_step_done(s);
	}
	return rc == STORE_OK ? STORE_OK : STORE_ERROR;
}

int store_perpetrator_find(store *st, const char *org_id, const struct blind_key *keys,
			   size_t n, char (*ids)[ID_LEN], size_t max, size_t *found)
{
	db *d;
	db_stmt *s;
	size_t i;

	*found = 0;
	if (n == 0)
		return STORE_OK;
	if (n > 8)
		n = 8;
	d = store_reader_get(st);
	s = db_prepare(d, SQL_FIND);
	if (s) {
		db_bind_str(s, 1, org_id);
		for (i = 0; i < 8; i++)
			db_bind_blob(s, (int)i + 2, keys[i < n ? i : 0].mac, BLIND_BYTES);
		db_bind_int(s, 10, (int64_t)max);
	}
	return table_ids_pool(st, d, s, ids, max, found);
}

int store_stays_of_service(store *st, const char *service_id, int open_only,
			   struct item_row **rows, size_t *n, arena *a)
{
	return table_query_list_pool(st, open_only ? &stays_open : &stays_all, service_id, 1000,
				     sizeof **rows, (void **)rows, n, a);
}

static int count_open(db *d, const char *service_id, long *n)
{
	db_stmt *s = db_prepare(d, SQL_STAYS_COUNT);
	int64_t v;
	int rc;

	if (s)
		db_bind_str(s, 1, service_id);
	rc = table_int(s, &v);
	*n = (long)v;
	return rc;
}

int store_stays_open_count(store *st, const char *service_id, long *n)
{
	db *d = store_reader_get(st);
	int rc = count_open(d, service_id, n);
	store_reader_put(st, d);
	return rc;
}

int store_stays_open_count_tx(store_tx *tx, const char *service_id, long *n)
{
	return count_open(tx->d, service_id, n);
}

int store_stay_open_of(store_tx *tx, const char *person_id, char *service_id, size_t len)
{
	db_stmt *s = db_prepare(tx->d, SQL_STAY_OPEN_OF);
	int rc;

	if (!s)
		return -1;
	db_bind_str(s, 1, person_id);
	rc = db_step(s);
	if (rc == DB_ROW)
		store_col_copy(s, 0, service_id, len);
	db_reset(s);
	return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}
