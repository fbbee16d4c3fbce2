/*
 * persons.c - SQL for persons and their blind-index keys.  Everything
 * personal is already sealed when it gets here.
 */
#include <stdio.h>
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

int store_person_keys_set(store_tx *tx, const char *person_id, const struct blind_key *keys,
			  size_t n)
{
	db_stmt *s = db_prepare(tx->d, SQL_KEYS_DEL);
	size_t i;
	int rc;

	if (!s)
		return STORE_ERROR;
	db_bind_str(s, 1, person_id);
	rc = db_step(s);
	db_reset(s);
	if (rc != DB_DONE)
		return STORE_ERROR;
	for (i = 0; i < n; i++) {
		s = db_prepare(tx->d, SQL_KEYS_ADD);
		if (!s)
			return STORE_ERROR;
		db_bind_str(s, 1, person_id);
		db_bind_int(s, 2, key_weight(keys[i].kind));
		db_bind_blob(s, 3, keys[i].mac, BLIND_BYTES);
		rc = db_step(s);
		db_reset(s);
		if (rc != DB_DONE)
			return STORE_ERROR;
	}
	return STORE_OK;
}

/* Up to 16 keys are matched in one statement.  Keys are made per
 * organisation (the organisation is part of their HMAC domain), so the
 * matches are already the caller's organisation's; the join checks it
 * again and orders the best 200 by their last change among equal scores. */
static const char SQL_FIND[] =
	"SELECT t.person_id, t.hits FROM ("
	"  SELECT person_id, sum(weight) AS hits FROM person_keys"
	"  WHERE key IN (?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9,"
	"   ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)"
	"  GROUP BY person_id ORDER BY hits DESC LIMIT 200) t"
	" JOIN persons p ON p.id = t.person_id AND p.org_id = ?1"
	" ORDER BY t.hits DESC, p.updated_at DESC LIMIT ?18";

int store_person_find(store *st, const char *org_id, const struct blind_key *keys, size_t n,
		      char (*ids)[ID_LEN], int *hits, size_t max, size_t *found)
{
	db *d;
	db_stmt *s;
	size_t i;
	int rc;

	*found = 0;
	if (n == 0)
		return STORE_OK;
	if (n > 16)
		n = 16;
	d = store_reader_get(st);
	s = db_prepare(d, SQL_FIND);
	if (!s) {
		store_reader_put(st, d);
		return STORE_ERROR;
	}
	db_bind_str(s, 1, org_id);
	for (i = 0; i < 16; i++) {
		const struct blind_key *k = &keys[i < n ? i : 0];
		db_bind_blob(s, (int)i + 2, k->mac, BLIND_BYTES);
	}
	db_bind_int(s, 18, (int64_t)max);
	while ((rc = db_step(s)) == DB_ROW && *found < max) {
		store_col_copy(s, 0, ids[*found], ID_LEN);
		hits[*found] = (int)db_col_int(s, 1);
		(*found)++;
	}
	db_reset(s);
	store_reader_put(st, d);
	return rc == DB_DONE || rc == DB_ROW ? STORE_OK : STORE_ERROR;
}

/* PERSONS_AT_ONCE ids a statement; the slots a shorter batch leaves are
 * bound to its first id again. */
#define P8(a) "?" #a "1, ?" #a "2, ?" #a "3, ?" #a "4, ?" #a "5, ?" #a "6, ?" #a "7, ?" #a "8"
static struct table_query by_ids = TABLE_QUERY(persons,
	"FROM persons WHERE id IN (" P8() ", " P8(1) ", " P8(2) ", " P8(3) ", " P8(4) ", " P8(5)
	", " P8(6) ", " P8(7) ")");

/* The parameter of slot i (0..63) in by_ids: ?1..?8, ?11..?18, ... ?71..?78. */
static int by_ids_param(size_t i)
{
	return (int)((i / 8) * 10 + i % 8 + 1);
}

int store_persons_get(store *st, const char *const *ids, size_t n, struct person_row *out,
		      unsigned char *found, arena *a)
{
	struct person_row *rows;
	size_t from, i, k, got;
	db *d;
	db_stmt *s;
	int rc = STORE_OK;

	memset(found, 0, n);
	if (n == 0)
		return STORE_OK;
	d = store_reader_get(st);
	for (from = 0; from < n && rc == STORE_OK; from += PERSONS_AT_ONCE) {
		size_t batch = n - from < PERSONS_AT_ONCE ? n - from : PERSONS_AT_ONCE;
		void *got_rows;

		s = db_prepare(d, table_query_sql(&by_ids));
		if (!s) {
			rc = STORE_ERROR;
			break;
		}
		for (i = 0; i < PERSONS_AT_ONCE; i++)
			db_bind_str(s, by_ids_param(i), ids[from + (i < batch ? i : 0)]);
		rc = table_query_collect(s, &by_ids, sizeof *rows, PERSONS_AT_ONCE, &got_rows, &got,
					 a);
		rows = got_rows;
		/* A page may show one person's cases several times. */
		for (k = 0; rc == STORE_OK && k < got; k++)
			for (i = from; i < from + batch; i++)
				if (!found[i] && !strcmp(ids[i], rows[k].id)) {
					out[i] = rows[k];
					found[i] = 1;
				}
	}
	store_reader_put(st, d);
	return rc;
}
