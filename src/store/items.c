/*
 * items.c - SQL for the records that hang off a case or a person: notes,
 * screenings, status decisions, services, plans, follow-ups, events and
 * consents.  Their filterable values (status, due date, assignee) are
 * columns; the rest is coded JSON and a sealed blob.
 */
#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "store/table.h"

static const struct column item_cols[] = {
	TCOL(struct item_row, id, COL_TEXT, COL_FIXED),
	TCOL(struct item_row, kind, COL_TEXT, COL_FIXED),
	TCOL(struct item_row, case_id, COL_OPT, COL_FIXED),
	TCOL(struct item_row, person_id, COL_OPT, COL_FIXED),
	TCOL(struct item_row, org_id, COL_TEXT, COL_FIXED),
	TCOL(struct item_row, version, COL_INT, COL_VERSION),
	TCOL(struct item_row, status, COL_OPT, 0),
	TCOL(struct item_row, due, COL_OPT, 0),
	TCOL(struct item_row, assigned_to, COL_OPT, 0),
	TCOL(struct item_row, at, COL_TEXT, COL_FIXED),
	TCOL(struct item_row, coded, COL_JSON, 0),
	TCOL2(struct item_row, sealed, COL_BLOB, 0, sealed_len),
	TCOL(struct item_row, created_by, COL_OPT, COL_FIXED),
	TCOL(struct item_row, created_at, COL_TEXT, COL_FIXED),
	TCOL(struct item_row, updated_at, COL_TEXT, 0),
	TCOL(struct item_row, service_id, COL_OPT, COL_FIXED),
};
struct table store_items = TABLE("items", item_cols);

/* In time order; `at` has whole seconds, so things that happened within
 * one second keep the order they were written in (rowid), not the order of
 * their random ids. */
static struct table_query of_case = TABLE_QUERY(store_items,
	"FROM items WHERE case_id = ?1 ORDER BY at, rowid LIMIT 2000");
static struct table_query of_case_kind = TABLE_QUERY(store_items,
	"FROM items WHERE case_id = ?1 AND kind = ?2 ORDER BY at, rowid LIMIT 2000");
static struct table_query of_person = TABLE_QUERY(store_items,
	"FROM items WHERE person_id = ?1 AND kind = ?2 ORDER BY at, rowid LIMIT 2000");
/* The open items of a kind due before ?3, in (due, id) order after the
 * cursor (?5, ?6; "" and "" for the first page).  The partial indexes
 * items_open_org and items_open_assigned (migration 24) hold exactly these
 * rows in this order, so a page reads its rows and stops: the range
 * `due >= ?5 AND due < ?3` is the index's, and only the items of the
 * cursor's own day are passed over by id. */
#define DUE_OPEN " AND status IN ('due', 'planned', 'in_progress', 'open')"
#define DUE_PAGE " AND due >= ?5 AND (due > ?5 OR id > ?6) ORDER BY due, id LIMIT ?7"
static struct table_query due_all = TABLE_QUERY(store_items,
	"FROM items WHERE kind = ?1 AND org_id = ?2 AND due < ?3" DUE_OPEN DUE_PAGE);
static struct table_query due_mine = TABLE_QUERY(store_items,
	"FROM items WHERE kind = ?1 AND assigned_to = ?4 AND due < ?3"
	" AND org_id = ?2" DUE_OPEN DUE_PAGE);

int store_item_insert(store_tx *tx, const struct item_row *it)
{
	return table_insert(tx, &store_items, it);
}

int store_item_get(store *st, const char *id, struct item_row *it, arena *a)
{
	return table_get(st, &store_items, id, it, a);
}

int store_item_update(store_tx *tx, const struct item_row *it)
{
	return table_update(tx, &store_items, it);
}

int store_items_of_case(store *st, const char *case_id, const char *kind,
			struct item_row **rows, size_t *n, arena *a)
{
	struct table_query *q = kind ? &of_case_kind : &of_case;
	db *d = store_reader_get(st);
	db_stmt *s = db_prepare(d, table_query_sql(q));

	if (s) {
		db_bind_str(s, 1, case_id);
		if (kind)
			db_bind_str(s, 2, kind);
	}
	return table_query_collect_pool(st, d, s, q, sizeof **rows, 2000, (void **)rows, n, a);
}

int store_items_of_person(store *st, const char *person_id, const char *kind,
			  struct item_row **rows, size_t *n, arena *a)
{
	db *d = store_reader_get(st);
	db_stmt *s = db_prepare(d, table_query_sql(&of_person));

	if (s) {
		db_bind_str(s, 1, person_id);
		db_bind_str(s, 2, kind);
	}
	return table_query_collect_pool(st, d, s, &of_person, sizeof **rows, 2000, (void **)rows,
					n, a);
}

int store_items_due(store *st, const struct items_due_filter *f, struct item_row **rows,
		    size_t *n, arena *a)
{
	struct table_query *q = f->assigned_to ? &due_mine : &due_all;
	db *d;
	db_stmt *s;

	assert(f->limit > 0);
	d = store_reader_get(st);
	s = db_prepare(d, table_query_sql(q));
	if (s) {
		db_bind_str(s, 1, f->kind);
		db_bind_str(s, 2, f->org_id);
		db_bind_str(s, 3, f->before);
		if (f->assigned_to)
			db_bind_str(s, 4, f->assigned_to);
		db_bind_str(s, 5, f->after_due ? f->after_due : "");
		db_bind_str(s, 6, f->after_id ? f->after_id : "");
		db_bind_int(s, 7, (int64_t)f->limit);
	}
	return table_query_collect_pool(st, d, s, q, sizeof **rows, f->limit, (void **)rows, n, a);
}
