/*
 * orientations.c - pre-departure orientation sessions (migration 20):
 * when, where, and how many attended, never who.  The record is coded
 * JSON (schema/prevention.c: every field a code, a date or a count).
 */
#include <stdint.h>

#include "store/reports.h"
#include "store/table.h"

static const struct column orientation_cols[] = {
	TCOL(struct orientation_row, id, COL_TEXT, COL_FIXED),
	TCOL(struct orientation_row, org_id, COL_TEXT, COL_FIXED),
	TCOL(struct orientation_row, version, COL_INT, COL_VERSION),
	TCOL(struct orientation_row, held_on, COL_TEXT, 0),
	TCOL(struct orientation_row, coded, COL_JSON, 0),
	TCOL(struct orientation_row, created_by, COL_OPT, COL_FIXED),
	TCOL(struct orientation_row, created_at, COL_TEXT, COL_FIXED),
	TCOL(struct orientation_row, updated_at, COL_TEXT, 0),
};
static struct table orientations = TABLE("orientations", orientation_cols);
static struct table_query q_list = TABLE_QUERY(orientations,
	"FROM orientations WHERE org_id = ?1 ORDER BY held_on DESC, id DESC LIMIT ?2");

int store_orientation_insert(store_tx *tx, const struct orientation_row *o)
{
	return table_insert(tx, &orientations, o);
}

int store_orientation_get(store *st, const char *id, struct orientation_row *o, arena *a)
{
	return table_get(st, &orientations, id, o, a);
}

int store_orientations_list(store *st, const char *org_id, size_t limit,
			    struct orientation_row **rows, size_t *n, arena *a)
{
	return table_query_list_pool(st, &q_list, org_id, limit, sizeof **rows, (void **)rows, n,
				     a);
}
