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
