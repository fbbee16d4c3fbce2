/*
 * dedup.c - the SQL of duplicates in the register; see dedup.h.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "store/dedup.h"
#include "store/table.h"

static const char SQL_PERSONS[] =
	"SELECT id, version, coded, sealed, created_at, updated_at FROM persons"
	" WHERE org_id = ?1 AND merged_into IS NULL ORDER BY id";

struct persons_each {
	const char *org_id;
	int (*fn)(void *ctx, const struct person_row *p);
	void *ctx;
};

static int person_each(void *ctx, db_stmt *s)
{
	struct persons_each *e = ctx;
	struct person_row p;

	memset(&p, 0, sizeof p);
	store_col_copy(s, 0, p.id, sizeof p.id);
	snprintf(p.org_id, sizeof p.org_id, "%s", e->org_id);
	p.version = db_col_int(s, 1);
	p.coded = db_col_text(s, 2);
	p.sealed = db_col_blob(s, 3);
	p.sealed_len = db_col_bytes(s, 3);
	store_col_copy(s, 4, p.created_at, sizeof p.created_at);
	store_col_copy(s, 5, p.updated_at, sizeof p.updated_at);
	return e->fn(e->ctx, &p);
}

int store_dedup_persons(store *st, const char *org_id,
			int (*fn)(void *ctx, const struct person_row *p), void *ctx)
{
	struct persons_each e = {org_id, fn, ctx};

	return table_each_texts(st, SQL_PERSONS, &org_id, 1, person_each, &e);
}

static const char SQL_PAIR_PUT[] =
	"INSERT INTO dup_pairs(id, org_id, a, b, score, weight, reasons, status, found_at)"
	" VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, 'open', ?8)"
	" ON CONFLICT(a, b) DO UPDATE SET score = excluded.score, weight = excluded.weight,"
	" reasons = excluded.reasons WHERE dup_pairs.status = 'open'";

int store_dedup_pair_put(store_tx *tx, const struct dup_pair_row *p)
{
	db_stmt *s = db_prepare(tx->d, SQL_PAIR_PUT);

	if (!s)
		return STORE_ERROR;
	db_bind_str(s, 1, p->id);
	db_bind_str(s, 2, p->org_id);
	db_bind_str(s, 3, p->a);
	db_bind_str(s, 4, p->b);
	db_bind_int(s, 5, p->score);
	db_bind_int(s, 6, p->weight);
	db_bind_str(s, 7, p->reasons);
	db_bind_str(s, 8, p->found_at);
	return store_step_done(s) == STORE_OK ? STORE_OK : STORE_ERROR;
}

/* The pairs as read; they are written by the statements above and below. */
static const struct column pair_cols[] = {
	TCOL(struct dup_pair_row, id, COL_TEXT, COL_FIXED),
	TCOL(struct dup_pair_row, org_id, COL_TEXT, COL_FIXED),
	TCOL(struct dup_pair_row, a, COL_TEXT, COL_FIXED),
	TCOL(struct dup_pair_row, b, COL_TEXT, COL_FIXED),
	TCOL(struct dup_pair_row, score, COL_INT, 0),
	TCOL(struct dup_pair_row, weight, COL_INT, 0),
	TCOL(struct dup_pair_row, reasons, COL_JSON, 0),
	TCOL(struct dup_pair_row, status, COL_TEXT, 0),
	TCOL(struct dup_pair_row, found_at, COL_TEXT, COL_FIXED),
	TCOL(struct dup_pair_row, decided_by, COL_OPT, 0),
	TCOL(struct dup_pair_row, decided_at, COL_OPT, 0),
	TCOL(struct dup_pair_row, merge_id, COL_OPT, 0),
};
static struct table pairs = TABLE("dup_pairs", pair_cols);

/* Open pairs whose persons both still stand; decided ones as they are. */
static struct table_query q_pairs = TABLE_QUERY_AS(pairs, "d", "FROM dup_pairs d"
	" JOIN persons x ON x.id = d.a JOIN persons y ON y.id = d.b"
	" WHERE d.org_id = ?1 AND d.status = ?2"
	" AND (d.status <> 'open' OR (x.merged_into IS NULL AND y.merged_into IS NULL))"
	" AND (CAST(?6 AS TEXT) IS NULL OR d.score < ?4 OR (d.score = ?4 AND (d.found_at > ?5"
	"  OR (d.found_at = ?5 AND d.id > ?6))))"
	" ORDER BY d.score DESC, d.found_at, d.id LIMIT ?3", NULL);

int store_dedup_pairs_list(store *st, const char *org_id, const char *status,
			   const struct dup_pair_row *after, size_t max,
			   struct dup_pair_row **rows, size_t *n, arena *a)
{
	db *d = store_reader_get(st);
	db_stmt *s = db_prepare(d, table_query_sql(&q_pairs));

	if (s) {
		db_bind_str(s, 1, org_id);
		db_bind_str(s, 2, status);
		db_bind_int(s, 3, (int64_t)max);
		db_bind_int(s, 4, after ? after->score : 0);
		db_bind_str(s, 5, after ? after->found_at : NULL);
		db_bind_str(s, 6, after ? after->id : NULL);
	}
	return table_query_collect_pool(st, d, s, &q_pairs, sizeof **rows, SIZE_MAX,
					(void **)rows, n, a);
}

int store_dedup_pair_get(store *st, const char *id, struct dup_pair_row *p, arena *a)
{
	return table_get(st, &pairs, id, p, a);
}

/* One statement with bound text parameters, run to its end; *changes
 * gets the rows it changed (may be NULL). */
static int run(store_tx *tx, const char *sql, const char *const *params, size_t np,
	       int64_t *changes)
{
	if (store_write_texts(tx->d, sql, params, np) != STORE_OK)
		return STORE_ERROR;
	if (changes)
		*changes = db_changes(tx->d);
	return STORE_OK;
}

static const char SQL_DISTINCT[] =
	"UPDATE dup_pairs SET status = 'distinct', decided_by = ?2, decided_at = ?3"
	" WHERE id = ?1 AND status = 'open'";

int store_dedup_pair_distinct(store_tx *tx, const char *id, const char *user_id, const char *at)
{
	const char *p[] = {id, user_id, at};
	int64_t n = 0;
	int rc = run(tx, SQL_DISTINCT, p, 3, &n);
	return rc != STORE_OK ? rc : n == 1 ? STORE_OK : STORE_STALE;
}

/* The tables whose rows follow a person, each with a row id and a
 * person_id column, and the statements that move them (constants: the
 * driver keeps prepared statements by the address of their text).  An
 * undo takes back the rows still on the survivor (a transfer since left
 * the old owner's calls unlinked: they stay so). */
#define MOVED(t) \
	{t, "INSERT INTO dup_merge_rows(merge_id, tbl, row_id)" \
	    " SELECT ?1, '" t "', id FROM " t " WHERE person_id = ?2", \
	 "UPDATE " t " SET person_id = ?2 WHERE person_id = ?1", \
	 "UPDATE " t " SET person_id = (SELECT merged FROM dup_merges WHERE id = ?1)" \
	 " WHERE id IN (SELECT row_id FROM dup_merge_rows WHERE merge_id = ?1 AND tbl = '" t "')" \
	 " AND person_id = (SELECT survivor FROM dup_merges WHERE id = ?1)"}
static const struct {
	const char *table, *list, *move, *back;
} moved[] = {MOVED("cases"), MOVED("items"), MOVED("contacts"), MOVED("referrals")};
#define NMOVED (sizeof moved / sizeof moved[0])

/* Both persons unmerged and still the pair's organisation's (one
 * transferred since is another organisation's: an outside review merged
 * it back). */
static const char SQL_MERGE_CLAIM[] =
	"UPDATE dup_pairs SET status = 'merged', decided_by = ?2, decided_at = ?3, merge_id = ?4"
	" WHERE id = ?1 AND status = 'open'"
	" AND NOT EXISTS(SELECT 1 FROM persons WHERE id IN (?5, ?6)"
	"  AND (merged_into IS NOT NULL OR org_id <> dup_pairs.org_id))"
	" AND ((a = ?5 AND b = ?6) OR (a = ?6 AND b = ?5))";
static const struct column merge_cols[] = {
	TCOL(struct dup_merge_row, id, COL_TEXT, COL_FIXED),
	TCOL(struct dup_merge_row, org_id, COL_TEXT, COL_FIXED),
	TCOL(struct dup_merge_row, pair_id, COL_TEXT, COL_FIXED),
	TCOL(struct dup_merge_row, survivor, COL_TEXT, COL_FIXED),
	TCOL(struct dup_merge_row, merged, COL_TEXT, COL_FIXED),
	TCOL(struct dup_merge_row, by_user, COL_TEXT, COL_FIXED),
	TCOL(struct dup_merge_row, at, COL_TEXT, COL_FIXED),
	TCOL(struct dup_merge_row, undone_by, COL_OPT, COL_READ), /* set by an undo */
	TCOL(struct dup_merge_row, undone_at, COL_OPT, COL_READ),
};
static struct table merges = TABLE("dup_merges", merge_cols);

static const char SQL_MERGE_PERSON[] =
	"UPDATE persons SET merged_into = ?2, updated_at = ?3 WHERE id = ?1 AND merged_into IS NULL";

int store_dedup_merge(store_tx *tx, const struct dup_merge_row *m)
{
	const char *claim[] = {m->pair_id, m->by_user, m->at, m->id, m->survivor, m->merged};
	const char *person[] = {m->merged, m->survivor, m->at};
	int64_t n = 0;
	size_t i;
	int rc;

	if ((rc = run(tx, SQL_MERGE_CLAIM, claim, 6, &n)) != STORE_OK)
		return rc;
	if (n != 1)
		return STORE_STALE;
	/* The pair was claimed: a refused row is an error, not a conflict. */
	if ((rc = table_insert(tx, &merges, m)) != STORE_OK)
		return STORE_ERROR;
	for (i = 0; i < NMOVED; i++) {
		const char *rows[] = {m->id, m->merged};
		const char *move[] = {m->merged, m->survivor};
		if ((rc = run(tx, moved[i].list, rows, 2, NULL)) != STORE_OK ||
		    (rc = run(tx, moved[i].move, move, 2, NULL)) != STORE_OK)
			return rc;
	}
	if ((rc = run(tx, SQL_MERGE_PERSON, person, 3, &n)) != STORE_OK)
		return rc;
	return n == 1 ? STORE_OK : STORE_STALE;
}

int store_dedup_merge_get(store *st, const char *id, struct dup_merge_row *m)
{
	return table_get(st, &merges, id, m, NULL);
}

/* A merge stands, no later merge that stands involves its persons, and
 * neither person nor a case it moved has gone to another organisation
 * since (the undo would take the new owner's records back). */
static const char SQL_UNMERGE_CLAIM[] =
	"UPDATE dup_merges SET undone_by = ?2, undone_at = ?3 WHERE id = ?1 AND undone_at IS NULL"
	/* still the undoer's organisation's: a transfer accepted meanwhile
	 * takes the merge along (an outside review's undo by the old owner
	 * was made after it) */
	" AND org_id = (SELECT u.org_id FROM users u WHERE u.id = ?2)"
	" AND NOT EXISTS(SELECT 1 FROM dup_merges l WHERE l.undone_at IS NULL"
	"  AND l.rowid > dup_merges.rowid AND (l.survivor IN (dup_merges.survivor, dup_merges.merged)"
	"  OR l.merged IN (dup_merges.survivor, dup_merges.merged)))"
	" AND NOT EXISTS(SELECT 1 FROM persons p WHERE p.id IN (dup_merges.survivor, dup_merges.merged)"
	"  AND p.org_id <> dup_merges.org_id)"
	" AND NOT EXISTS(SELECT 1 FROM dup_merge_rows m JOIN cases c ON c.id = m.row_id"
	"  WHERE m.merge_id = dup_merges.id AND m.tbl = 'cases' AND c.org_id <> dup_merges.org_id)";
static const char SQL_UNMERGE_PERSON[] =
	"UPDATE persons SET merged_into = NULL, updated_at = ?2"
	" WHERE id = (SELECT merged FROM dup_merges WHERE id = ?1)";
/* What was made on a moved case after the merge follows its case back:
 * a referral made then rests on the case's person again (whose consents
 * are not the survivor's: an outside review found the police reading). */
#define MOVED_CASES \
	" WHERE case_id IN (SELECT row_id FROM dup_merge_rows WHERE merge_id = ?1" \
	" AND tbl = 'cases')"
static const char SQL_UNMERGE_LATER_REFERRALS[] =
	"UPDATE referrals SET person_id ="
	" (SELECT c.person_id FROM cases c WHERE c.id = referrals.case_id)" MOVED_CASES;
static const char SQL_UNMERGE_LATER_ITEMS[] =
	"UPDATE items SET person_id ="
	" (SELECT c.person_id FROM cases c WHERE c.id = items.case_id)" MOVED_CASES;
static const char SQL_UNMERGE_LATER_CONTACTS[] =
	"UPDATE contacts SET person_id ="
	" (SELECT c.person_id FROM cases c WHERE c.id = contacts.case_id)" MOVED_CASES;
/* And an assessment made since of a household the merge moved goes back
 * with its household (left with the survivor, it went with it on a
 * transfer: an outside review read it at the new owner). */
static const char SQL_UNMERGE_LATER_ASSESSMENTS[] =
	"UPDATE items SET person_id = (SELECT merged FROM dup_merges WHERE id = ?1)"
	" WHERE kind = 'domv_assessment' AND case_id IS NULL"
	" AND json_extract(coded, '$.household_id') IN (SELECT row_id FROM dup_merge_rows"
	"  WHERE merge_id = ?1 AND tbl = 'items')";
static const char SQL_UNMERGE_PAIR[] =
	"UPDATE dup_pairs SET status = 'open', decided_by = NULL, decided_at = NULL,"
	" merge_id = NULL WHERE merge_id = ?1";

int store_dedup_unmerge(store_tx *tx, const char *merge_id, const char *user_id, const char *at)
{
	const char *claim[] = {merge_id, user_id, at};
	const char *person[] = {merge_id, at};
	int64_t n = 0;
	size_t i;
	int rc;

	if ((rc = run(tx, SQL_UNMERGE_CLAIM, claim, 3, &n)) != STORE_OK)
		return rc;
	if (n != 1)
		return STORE_STALE;
	for (i = 0; i < NMOVED; i++)
		if ((rc = run(tx, moved[i].back, &merge_id, 1, NULL)) != STORE_OK)
			return rc;
	if ((rc = run(tx, SQL_UNMERGE_LATER_REFERRALS, &merge_id, 1, NULL)) != STORE_OK ||
	    (rc = run(tx, SQL_UNMERGE_LATER_ITEMS, &merge_id, 1, NULL)) != STORE_OK ||
	    (rc = run(tx, SQL_UNMERGE_LATER_CONTACTS, &merge_id, 1, NULL)) != STORE_OK ||
	    (rc = run(tx, SQL_UNMERGE_LATER_ASSESSMENTS, &merge_id, 1, NULL)) != STORE_OK)
		return rc;
	if ((rc = run(tx, SQL_UNMERGE_PERSON, person, 2, NULL)) != STORE_OK)
		return rc;
	return run(tx, SQL_UNMERGE_PAIR, &merge_id, 1, NULL);
}

static const char SQL_MERGED_INTO[] =
	"SELECT id FROM persons WHERE merged_into = ?1 ORDER BY id LIMIT ?2";

int store_dedup_merged_into(store *st, const char *person_id, char (*ids)[ID_LEN], size_t max,
			    size_t *n)
{
	return table_ids_of(st, SQL_MERGED_INTO, person_id, ids, max, n);
}

static const char SQL_MOVED_REFERRALS[] =
	"SELECT row_id FROM dup_merge_rows WHERE merge_id = ?1 AND tbl = 'referrals'"
	" ORDER BY row_id LIMIT ?2";

int store_dedup_moved_referrals(store *st, const char *merge_id, char (*ids)[ID_LEN], size_t max,
				size_t *n)
{
	return table_ids_of(st, SQL_MOVED_REFERRALS, merge_id, ids, max, n);
}
