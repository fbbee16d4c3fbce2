/*
 * items.c - SQL for the records that hang off a case or a person: notes,
 * screenings, status decisions, services, plans, follow-ups, events and
 * consents.  Their filterable values (status, due date, assignee) are
 * columns; the rest is coded JSON and a sealed blob.
 */
#include <stdio.h>
#include <string.h>

#include "store/store_internal.h"

static const char SQL_INSERT[] =
	"INSERT INTO items(id, kind, case_id, person_id, org_id, version, status, due, assigned_to,"
	" at, coded, sealed, created_by, created_at, updated_at, service_id)"
	" VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)";
static const char SQL_GET[] = "SELECT " ITEM_COLS " FROM items WHERE id = ?1";
static const char SQL_UPDATE[] =
	"UPDATE items SET version = ?2, status = ?3, due = ?4, assigned_to = ?5, coded = ?6,"
	" sealed = ?7, updated_at = ?8 WHERE id = ?1 AND version = ?9";
static const char SQL_EXISTS[] = "SELECT 1 FROM items WHERE id = ?1";
/* In time order; `at` has whole seconds, so things that happened within
 * one second keep the order they were written in (rowid), not the order of
 * their random ids. */
static const char SQL_OF_CASE[] =
	"SELECT " ITEM_COLS " FROM items WHERE case_id = ?1 ORDER BY at, rowid LIMIT 2000";
static const char SQL_OF_CASE_KIND[] =
	"SELECT " ITEM_COLS " FROM items WHERE case_id = ?1 AND kind = ?2 ORDER BY at, rowid"
	" LIMIT 2000";
static const char SQL_OF_PERSON[] =
	"SELECT " ITEM_COLS " FROM items WHERE person_id = ?1 AND kind = ?2 ORDER BY at, rowid"
	" LIMIT 2000";
static const char SQL_DUE_ALL[] =
	"SELECT " ITEM_COLS " FROM items WHERE kind = ?1 AND org_id = ?2 AND due < ?3"
	" AND status IN ('due', 'planned', 'in_progress', 'open') ORDER BY due, id LIMIT 500";
static const char SQL_DUE_MINE[] =
	"SELECT " ITEM_COLS " FROM items WHERE kind = ?1 AND assigned_to = ?4 AND due < ?3"
	" AND org_id = ?2 AND status IN ('due', 'planned', 'in_progress', 'open')"
	" ORDER BY due, id LIMIT 500";

static const char *or_null(const char *s)
{
	return s && *s ? s : NULL;
}

int store_item_read(db_stmt *s, struct item_row *it, arena *a)
{
	size_t n = db_col_bytes(s, 11);
	char *coded = arena_strndup(a, db_col_text(s, 10), db_col_bytes(s, 10));
	unsigned char *sealed = NULL;

	if (!coded)
		return STORE_ERROR;
	if (!db_col_null(s, 11)) {
		sealed = arena_alloc(a, n ? n : 1);
		if (!sealed)
			return STORE_ERROR;
		memcpy(sealed, db_col_blob(s, 11), n);
	}
	store_col_copy(s, 0, it->id, sizeof it->id);
	store_col_copy(s, 1, it->kind, sizeof it->kind);
	store_col_copy(s, 2, it->case_id, sizeof it->case_id);
	store_col_copy(s, 3, it->person_id, sizeof it->person_id);
	store_col_copy(s, 4, it->org_id, sizeof it->org_id);
	it->version = db_col_int(s, 5);
	store_col_copy(s, 6, it->status, sizeof it->status);
	store_col_copy(s, 7, it->due, sizeof it->due);
	store_col_copy(s, 8, it->assigned_to, sizeof it->assigned_to);
	store_col_copy(s, 9, it->at, sizeof it->at);
	it->coded = coded;
	it->sealed = sealed;
	it->sealed_len = sealed ? n : 0;
	store_col_copy(s, 12, it->created_by, sizeof it->created_by);
	store_col_copy(s, 13, it->created_at, sizeof it->created_at);
	store_col_copy(s, 14, it->updated_at, sizeof it->updated_at);
	store_col_copy(s, 15, it->service_id, sizeof it->service_id);
	return STORE_OK;
}

int store_item_insert(store_tx *tx, const struct item_row *it)
{
	db_stmt *s = db_prepare(tx->d, SQL_INSERT);
	int rc;

	if (!s)
		return STORE_ERROR;
	db_bind_str(s, 1, it->id);
	db_bind_str(s, 2, it->kind);
	db_bind_str(s, 3, or_null(it->case_id));
	db_bind_str(s, 4, or_null(it->person_id));
	db_bind_str(s, 5, it->org_id);
	db_bind_int(s, 6, it->version);
	db_bind_str(s, 7, or_null(it->status));
	db_bind_str(s, 8, or_null(it->due));
	db_bind_str(s, 9, or_null(it->assigned_to));
	db_bind_str(s, 10, it->at);
	db_bind_str(s, 11, it->coded);
	if (it->sealed)
		db_bind_blob(s, 12, it->sealed, it->sealed_len);
	else
		db_bind_null(s, 12);
	db_bind_str(s, 13, or_null(it->created_by));
	db_bind_str(s, 14, it->created_at);
	db_bind_str(s, 15, it->updated_at);
	db_bind_str(s, 16, or_null(it->service_id));
	rc = db_step(s);
	db_reset(s);
	if (rc == DB_DONE)
		return STORE_OK;
	return rc == DB_CONSTRAINT ? STORE_CONFLICT : STORE_ERROR;
}

int store_item_get(store *st, const char *id, struct item_row *it, arena *a)
{
	db *d = store_reader_get(st);
	db_stmt *s = db_prepare(d, SQL_GET);
	int rc = STORE_ERROR;

	if (s) {
		db_bind_str(s, 1, id);
		rc = db_step(s);
		if (rc == DB_ROW)
			rc = store_item_read(s, it, a);
		else
			rc = rc == DB_DONE ? STORE_NOT_FOUND : STORE_ERROR;
		db_reset(s);
	}
	store_reader_put(st, d);
	return rc;
}

int store_item_update(store_tx *tx, const struct item_row *it)
{
	db_stmt *s = db_prepare(tx->d, SQL_UPDATE);

	if (!s)
		return STORE_ERROR;
	db_bind_str(s, 1, it->id);
	db_bind_int(s, 2, it->version);
	db_bind_str(s, 3, or_null(it->status));
	db_bind_str(s, 4, or_null(it->due));
	db_bind_str(s, 5, or_null(it->assigned_to));
	db_bind_str(s, 6, it->coded);
	if (it->sealed)
		db_bind_blob(s, 7, it->sealed, it->sealed_len);
	else
		db_bind_null(s, 7);
	db_bind_str(s, 8, it->updated_at);
	db_bind_int(s, 9, it->version - 1);
	return store_step_versioned(tx, s, SQL_EXISTS, it->id);
}

int store_items_collect(store *st, db *d, db_stmt *s, size_t limit, struct item_row **rows,
		   size_t *n, arena *a)
{
	struct item_row *out;
	size_t cap = 16;
	int rc;

	*n = 0;
	*rows = NULL;
	out = arena_alloc(a, cap * sizeof *out);
	while (out && (rc = db_step(s)) == DB_ROW && *n < limit) {
		out = store_grow(a, out, &cap, *n, sizeof *out);
		if (!out)
			break;
		if (store_item_read(s, &out[*n], a) != STORE_OK) {
			out = NULL;
			break;
		}
		(*n)++;
	}
	if (!out)
		rc = DB_ERROR;
	db_reset(s);
	store_reader_put(st, d);
	*rows = out;
	return rc == DB_DONE || rc == DB_ROW ? STORE_OK : STORE_ERROR;
}

int store_items_of_case(store *st, const char *case_id, const char *kind,
			struct item_row **rows, size_t *n, arena *a)
{
	db *d = store_reader_get(st);
	db_stmt *s = db_prepare(d, kind ? SQL_OF_CASE_KIND : SQL_OF_CASE);
	if (!s) {
		store_reader_put(st, d);
		return STORE_ERROR;
	}
	db_bind_str(s, 1, case_id);
	if (kind)
		db_bind_str(s, 2, kind);
	return store_items_collect(st, d, s, 2000, rows, n, a);
}

int store_items_of_person(store *st, const char *person_id, const char *kind,
			  struct item_row **rows, size_t *n, arena *a)
{
	db *d = store_reader_get(st);
	db_stmt *s = db_prepare(d, SQL_OF_PERSON);
	if (!s) {
		store_reader_put(st, d);
		return STORE_ERROR;
	}
	db_bind_str(s, 1, person_id);
	db_bind_str(s, 2, kind);
	return store_items_collect(st, d, s, 2000, rows, n, a);
}

int store_items_due(store *st, const char *kind, const char *org_id, const char *assigned_to,
		    const char *before, struct item_row **rows, size_t *n, arena *a)
{
	db *d = store_reader_get(st);
	db_stmt *s = db_prepare(d, assigned_to ? SQL_DUE_MINE : SQL_DUE_ALL);
	if (!s) {
		store_reader_put(st, d);
		return STORE_ERROR;
	}
	db_bind_str(s, 1, kind);
	db_bind_str(s, 2, org_id);
	db_bind_str(s, 3, before);
	if (assigned_to)
		db_bind_str(s, 4, assigned_to);
	return store_items_collect(st, d, s, 500, rows, n, a);
}
