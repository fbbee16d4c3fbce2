/*
 * plan.c - the national Action Plan's rows; see plan.h.
 */
#include <stdint.h>
#include <string.h>

#include "store/plan.h"
#include "store/table.h"

static const char SQL_PLAN_PUT[] =
	"INSERT INTO plans(code, coordinator_org, coded, loaded_at) VALUES(?1, ?2, ?3, ?4)"
	" ON CONFLICT(code) DO UPDATE SET coordinator_org = excluded.coordinator_org,"
	" coded = excluded.coded, loaded_at = excluded.loaded_at";
static const char SQL_ACTIVITY_PUT[] =
	"INSERT INTO plan_activities(id, plan, number, responsible_org, coded)"
	" VALUES(?1, ?2, ?3, ?4, ?5) ON CONFLICT(plan, number) DO UPDATE SET"
	" responsible_org = excluded.responsible_org, coded = excluded.coded";
/* Plans and activities as read; written by the upserts above. */
static const struct column plan_cols[] = {
	TCOL(struct plan_row, code, COL_TEXT, COL_FIXED),
	TCOL(struct plan_row, coordinator_org, COL_TEXT, 0),
	TCOL(struct plan_row, coded, COL_JSON, 0),
	TCOL(struct plan_row, loaded_at, COL_TEXT, 0),
};
static struct table plans = TABLE("plans", plan_cols);

static int read_coordinator(db_stmt *s, int i, void *row, arena *a)
{
	struct plan_row *p = row;

	(void)a;
	store_col_copy(s, i, p->coordinator_code, sizeof p->coordinator_code);
	return STORE_OK;
}

static struct table_query q_plan = TABLE_QUERY_AS(plans, "p", ", o.code FROM plans p"
	" JOIN orgs o ON o.id = p.coordinator_org WHERE p.code = ?1 OR ?1 IS NULL"
	" ORDER BY p.loaded_at DESC, p.rowid DESC LIMIT 1", read_coordinator);

static const struct column activity_cols[] = {
	TCOL(struct plan_activity_row, id, COL_TEXT, COL_FIXED),
	TCOL(struct plan_activity_row, plan, COL_TEXT, COL_FIXED),
	TCOL(struct plan_activity_row, number, COL_TEXT, COL_FIXED),
	TCOL(struct plan_activity_row, responsible_org, COL_TEXT, 0),
	TCOL(struct plan_activity_row, coded, COL_JSON, 0),
};
static struct table activities = TABLE("plan_activities", activity_cols);

/* After an activity's columns: its newest report and how many it has. */
static int read_reports(db_stmt *s, int i, void *row, arena *a)
{
	struct plan_activity_row *r = row;

	r->last_report = db_col_null(s, i) ? NULL : arena_strdup(a, db_col_text(s, i));
	r->reports = db_col_int(s, i + 1);
	return db_col_null(s, i) || r->last_report ? STORE_OK : STORE_ERROR;
}

#define ACTIVITY_REPORTS \
	", (SELECT r.coded FROM plan_reports r WHERE r.activity_id = a.id" \
	"  ORDER BY r.created_at DESC, r.rowid DESC LIMIT 1)," \
	" (SELECT count(*) FROM plan_reports r WHERE r.activity_id = a.id) FROM plan_activities a"
static struct table_query q_activities = TABLE_QUERY_AS(activities, "a",
	ACTIVITY_REPORTS " WHERE a.plan = ?1 ORDER BY a.number, a.id", read_reports);
static struct table_query q_activity =
	TABLE_QUERY_AS(activities, "a", ACTIVITY_REPORTS " WHERE a.id = ?1", read_reports);
static const char SQL_REPORT_INSERT[] =
	"INSERT INTO plan_reports(id, activity_id, org_id, coded, created_by, created_at)"
	" VALUES(?1, ?2, ?3, ?4, ?5, ?6)";
/* Reports as read one by one; written by SQL_REPORT_INSERT above. */
static const struct column report_cols[] = {
	TCOL(struct plan_report_row, id, COL_TEXT, COL_FIXED),
	TCOL(struct plan_report_row, activity_id, COL_TEXT, COL_FIXED),
	TCOL(struct plan_report_row, org_id, COL_TEXT, COL_FIXED),
	TCOL(struct plan_report_row, coded, COL_JSON, COL_FIXED),
	TCOL(struct plan_report_row, created_by, COL_OPT, COL_FIXED),
	TCOL(struct plan_report_row, created_at, COL_TEXT, COL_FIXED),
};
static struct table reports = TABLE("plan_reports", report_cols);

int store_plan_put(store_tx *tx, const struct plan_row *p)
{
	db_stmt *s = db_prepare(tx->d, SQL_PLAN_PUT);
	if (!s)
		return STORE_ERROR;
	table_bind(s, &plans, p, COL_READ, 1); /* ?1 to ?4: the columns in order */
	return store_step_done(s);
}

int store_plan_activity_put(store_tx *tx, const struct plan_activity_row *a)
{
	db_stmt *s = db_prepare(tx->d, SQL_ACTIVITY_PUT);
	if (!s)
		return STORE_ERROR;
	table_bind(s, &activities, a, COL_READ, 1); /* ?1 to ?5: the columns in order */
	return store_step_done(s);
}

int store_plan_get(store *st, const char *code, struct plan_row *p, arena *a)
{
	db *d = store_reader_get(st);
	db_stmt *s = db_prepare(d, table_query_sql(&q_plan));
	int rc = STORE_ERROR;

	memset(p, 0, sizeof *p);
	if (s) {
		/* NULL: the newest plan */
		db_bind_str(s, 1, code);
		rc = table_query_row(s, &q_plan, p, a);
	}
	store_reader_put(st, d);
	return rc;
}

int store_plan_activities(store *st, const char *plan, struct plan_activity_row **rows,
			  size_t *n, arena *a)
{
	return table_query_list_pool(st, &q_activities, plan, SIZE_MAX, sizeof **rows,
				     (void **)rows, n, a);
}

int store_plan_activity_get(store *st, const char *id, struct plan_activity_row *row, arena *a)
{
	return table_query_get_pool(st, &q_activity, id, row, a);
}

int store_plan_report_insert(store_tx *tx, const char *id, const char *activity_id,
			     const char *org_id, const char *coded, const char *created_by,
			     const char *created_at)
{
	const char *v[] = {id, activity_id, org_id, coded, created_by, created_at};

	return store_write_texts(tx->d, SQL_REPORT_INSERT, v, 6);
}

int store_plan_report_get(store *st, const char *id, struct plan_report_row *row, arena *a)
{
	return table_get(st, &reports, id, row, a);
}
