/*
 * plan.c - the national Action Plan's rows; see plan.h.
 */
#include <string.h>

#include "store/plan.h"
#include "store/store_internal.h"

static const char SQL_PLAN_PUT[] =
	"INSERT INTO plans(code, coordinator_org, coded, loaded_at) VALUES(?1, ?2, ?3, ?4)"
	" ON CONFLICT(code) DO UPDATE SET coordinator_org = excluded.coordinator_org,"
	" coded = excluded.coded, loaded_at = excluded.loaded_at";
static const char SQL_ACTIVITY_PUT[] =
	"INSERT INTO plan_activities(id, plan, number, responsible_org, coded)"
	" VALUES(?1, ?2, ?3, ?4, ?5) ON CONFLICT(plan, number) DO UPDATE SET"
	" responsible_org = excluded.responsible_org, coded = excluded.coded";
static const char SQL_PLAN_GET[] =
	"SELECT p.code, p.coordinator_org, o.code, p.coded, p.loaded_at FROM plans p"
	" JOIN orgs o ON o.id = p.coordinator_org WHERE ?1 IS NULL OR p.code = ?1"
	" ORDER BY p.loaded_at DESC, p.rowid DESC LIMIT 1";
#define ACTIVITY_COLS \
	"a.id, a.plan, a.number, a.responsible_org, a.coded," \
	" (SELECT r.coded FROM plan_reports r WHERE r.activity_id = a.id" \
	"  ORDER BY r.created_at DESC, r.rowid DESC LIMIT 1)," \
	" (SELECT count(*) FROM plan_reports r WHERE r.activity_id = a.id)"
static const char SQL_ACTIVITIES[] =
	"SELECT " ACTIVITY_COLS " FROM plan_activities a WHERE a.plan = ?1 ORDER BY a.number, a.id";
static const char SQL_ACTIVITY_GET[] =
	"SELECT " ACTIVITY_COLS " FROM plan_activities a WHERE a.id = ?1";
static const char SQL_REPORT_INSERT[] =
	"INSERT INTO plan_reports(id, activity_id, org_id, coded, created_by, created_at)"
	" VALUES(?1, ?2, ?3, ?4, ?5, ?6)";

static int done(db_stmt *s)
{
	int rc = db_step(s);
	db_reset(s);
	return rc == DB_DONE ? STORE_OK : rc == DB_CONSTRAINT ? STORE_CONFLICT : STORE_ERROR;
}

int store_plan_put(store_tx *tx, const struct plan_row *p)
{
	db_stmt *s = db_prepare(tx->d, SQL_PLAN_PUT);
	if (!s)
		return STORE_ERROR;
	db_bind_str(s, 1, p->code);
	db_bind_str(s, 2, p->coordinator_org);
	db_bind_str(s, 3, p->coded);
	db_bind_str(s, 4, p->loaded_at);
	return done(s);
}

int store_plan_activity_put(store_tx *tx, const struct plan_activity_row *a)
{
	db_stmt *s = db_prepare(tx->d, SQL_ACTIVITY_PUT);
	if (!s)
		return STORE_ERROR;
	db_bind_str(s, 1, a->id);
	db_bind_str(s, 2, a->plan);
	db_bind_str(s, 3, a->number);
	db_bind_str(s, 4, a->responsible_org);
	db_bind_str(s, 5, a->coded);
	return done(s);
}

int store_plan_get(store *st, const char *code, struct plan_row *p, arena *a)
{
	db *d = store_reader_get(st);
	db_stmt *s = db_prepare(d, SQL_PLAN_GET);
	int rc = STORE_ERROR;

	memset(p, 0, sizeof *p);
	if (s) {
		db_bind_str(s, 1, code);
		switch (db_step(s)) {
		case DB_ROW:
			store_col_copy(s, 0, p->code, sizeof p->code);
			store_col_copy(s, 1, p->coordinator_org, sizeof p->coordinator_org);
			store_col_copy(s, 2, p->coordinator_code, sizeof p->coordinator_code);
			p->coded = arena_strdup(a, db_col_text(s, 3));
			store_col_copy(s, 4, p->loaded_at, sizeof p->loaded_at);
			rc = p->coded ? STORE_OK : STORE_ERROR;
			break;
		case DB_DONE:
			rc = STORE_NOT_FOUND;
			break;
		default:
			break;
		}
		db_reset(s);
	}
	store_reader_put(st, d);
	return rc;
}

static int read_activity(db_stmt *s, struct plan_activity_row *r, arena *a)
{
	memset(r, 0, sizeof *r);
	store_col_copy(s, 0, r->id, sizeof r->id);
	store_col_copy(s, 1, r->plan, sizeof r->plan);
	store_col_copy(s, 2, r->number, sizeof r->number);
	store_col_copy(s, 3, r->responsible_org, sizeof r->responsible_org);
	r->coded = arena_strdup(a, db_col_text(s, 4));
	r->last_report = db_col_null(s, 5) ? NULL : arena_strdup(a, db_col_text(s, 5));
	r->reports = db_col_int(s, 6);
	return r->coded && (db_col_null(s, 5) || r->last_report) ? STORE_OK : STORE_ERROR;
}

int store_plan_activities(store *st, const char *plan, struct plan_activity_row **rows,
			  size_t *n, arena *a)
{
	db *d = store_reader_get(st);
	db_stmt *s = db_prepare(d, SQL_ACTIVITIES);
	struct plan_activity_row *out;
	size_t cap = 32;
	int rc = DB_ERROR;

	*n = 0;
	out = arena_alloc(a, cap * sizeof *out);
	if (s && out) {
		db_bind_str(s, 1, plan);
		while ((rc = db_step(s)) == DB_ROW) {
			struct plan_activity_row *g = store_grow(a, out, &cap, *n, sizeof *out);
			if (!g || read_activity(s, &g[*n], a) != STORE_OK) {
				rc = DB_ERROR;
				break;
			}
			out = g;
			(*n)++;
		}
		db_reset(s);
	}
	store_reader_put(st, d);
	*rows = out;
	return rc == DB_DONE ? STORE_OK : STORE_ERROR;
}

int store_plan_activity_get(store *st, const char *id, struct plan_activity_row *row, arena *a)
{
	db *d = store_reader_get(st);
	db_stmt *s = db_prepare(d, SQL_ACTIVITY_GET);
	int rc = STORE_ERROR;

	if (s) {
		db_bind_str(s, 1, id);
		switch (db_step(s)) {
		case DB_ROW: rc = read_activity(s, row, a); break;
		case DB_DONE: rc = STORE_NOT_FOUND; break;
		default: break;
		}
		db_reset(s);
	}
	store_reader_put(st, d);
	return rc;
}

int store_plan_report_insert(store_tx *tx, const char *id, const char *activity_id,
			     const char *org_id, const char *coded, const char *created_by,
			     const char *created_at)
{
	db_stmt *s = db_prepare(tx->d, SQL_REPORT_INSERT);
	if (!s)
		return STORE_ERROR;
	db_bind_str(s, 1, id);
	db_bind_str(s, 2, activity_id);
	db_bind_str(s, 3, org_id);
	db_bind_str(s, 4, coded);
	db_bind_str(s, 5, created_by);
	db_bind_str(s, 6, created_at);
	return done(s);
}
