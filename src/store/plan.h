/*
 * plan.h - the national Action Plan's rows (migration 20): plans,
 * activities, progress reports.  Strings point into the arena passed.
 */
#ifndef HIMOYA_STORE_PLAN_H
#define HIMOYA_STORE_PLAN_H

#include "store/store.h"

struct plan_row {
	char code[65];
	char coordinator_org[ID_LEN];
	char coordinator_code[65];
	const char *coded;          /* {"title_tg","title_ru","title_en","sample"} */
	char loaded_at[TS_LEN];
};

struct plan_activity_row {
	char id[ID_LEN];
	char plan[65];
	char number[17];
	char responsible_org[ID_LEN];
	const char *coded;          /* the activity as loaded (schema/plan.c) */
	const char *last_report;    /* the newest report's coded JSON, or NULL */
	long long reports;
};

/* A progress report on an activity: coded is {"period","value","note"?}. */
struct plan_report_row {
	char id[ID_LEN];
	char activity_id[ID_LEN];
	char org_id[ID_LEN];        /* the reporting agency */
	const char *coded;
	char created_by[ID_LEN];
	char created_at[TS_LEN];
};

/* Insert the plan or replace its coordinator and title. */
int store_plan_put(store_tx *tx, const struct plan_row *p);
/* Insert an activity, or update the one of the same plan and number (its
 * id and reports stay). */
int store_plan_activity_put(store_tx *tx, const struct plan_activity_row *a);
/* The plan of code, or the last loaded when code is NULL. */
int store_plan_get(store *st, const char *code, struct plan_row *p, arena *a);
/* Its activities by number, each with its newest report. */
int store_plan_activities(store *st, const char *plan, struct plan_activity_row **rows,
			  size_t *n, arena *a);
int store_plan_activity_get(store *st, const char *id, struct plan_activity_row *row, arena *a);
int store_plan_report_insert(store_tx *tx, const char *id, const char *activity_id,
			     const char *org_id, const char *coded, const char *created_by,
			     const char *created_at);
/* One report by id. */
int store_plan_report_get(store *st, const char *id, struct plan_report_row *row, arena *a);

#endif
