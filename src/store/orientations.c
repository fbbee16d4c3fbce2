/*
 * orientations.c - pre-departure orientation sessions (migration 20):
 * when, where, and how many attended, never who.  The record is coded
 * JSON (schema/prevention.c: every field a code, a date or a count).
 */
#include <string.h>

#include "store/reports.h"
#include "store/store_internal.h"

static const char SQL_INSERT[] =
	"INSERT INTO orientations(id, org_id, version, held_on, coded, created_by, created_at,"
	" updated_at) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
static const char SQL_LIST[] =
	"SELECT id, org_id, version, held_on, coded, coalesce(created_by, ''), created_at, updated_at"
	" FROM orientations WHERE org_id = ?1 ORDER BY held_on DESC, id DESC LIMIT ?2";

int store_orientation_insert(store_tx *tx, const struct orientation_row *o)
{
	db_stmt *s = db_prepare(tx->d, SQL_INSERT);
	int rc;

	if (!s)
		return STORE_ERROR;
	db_bind_str(s, 1, o->id);
	db_bind_str(s, 2, o->org_id);
	db_bind_int(s, 3, o->version);
	db_bind_str(s, 4, o->held_on);
	db_bind_str(s, 5, o->coded);
	db_bind_str(s, 6, o->created_by[0] ? o->created_by : NULL);
	db_bind_str(s, 7, o->created_at);
	db_bind_str(s, 8, o->updated_at);
	rc = db_step(s);
	db_reset(s);
	return rc == DB_DONE ? STORE_OK : rc == DB_CONSTRAINT ? STORE_CONFLICT : STORE_ERROR;
}

int store_orientations_list(store *st, const char *org_id, size_t limit,
			    struct orientation_row **rows, size_t *n, arena *a)
{
	db *d = store_reader_get(st);
	db_stmt *s = db_prepare(d, SQL_LIST);
	struct orientation_row *out;
	size_t cap = 16;
	int rc = DB_ERROR;

	*n = 0;
	out = arena_alloc(a, cap * sizeof *out);
	if (s && out) {
		db_bind_str(s, 1, org_id);
		db_bind_int(s, 2, (int64_t)limit);
		while ((rc = db_step(s)) == DB_ROW) {
			struct orientation_row *o = store_grow(a, out, &cap, *n, sizeof *out);
			if (!o) {
				rc = DB_ERROR;
				break;
			}
			out = o;
			o = &out[*n];
			memset(o, 0, sizeof *o);
			store_col_copy(s, 0, o->id, sizeof o->id);
			store_col_copy(s, 1, o->org_id, sizeof o->org_id);
			o->version = db_col_int(s, 2);
			store_col_copy(s, 3, o->held_on, sizeof o->held_on);
			o->coded = arena_strdup(a, db_col_text(s, 4));
			store_col_copy(s, 5, o->created_by, sizeof o->created_by);
			store_col_copy(s, 6, o->created_at, sizeof o->created_at);
			store_col_copy(s, 7, o->updated_at, sizeof o->updated_at);
			if (!o->coded) {
				rc = DB_ERROR;
				break;
			}
			(*n)++;
		}
		db_reset(s);
	}
	store_reader_put(st, d);
	*rows = out;
	return rc == DB_DONE ? STORE_OK : STORE_ERROR;
}
