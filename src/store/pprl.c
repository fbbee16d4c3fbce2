/*
 * pprl.c - the SQL of network matching; see pprl.h.
 */
#include <string.h>

#include "store/pprl.h"
#include "store/table.h"

static const char SQL_PUT[] =
	"INSERT INTO pprl_encodings(org_id, handle, ref, clk, expires, updated_at, audience)"
	" VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)"
	" ON CONFLICT(handle) DO UPDATE SET org_id = excluded.org_id, ref = excluded.ref, clk = excluded.clk,"
	" expires = excluded.expires, updated_at = excluded.updated_at, audience = excluded.audience";

int store_pprl_put(store_tx *tx, const struct pprl_row *row)
{
	db_stmt *s = db_prepare(tx->d, SQL_PUT);

	if (!s)
		return STORE_ERROR;
	db_bind_str(s, 1, row->org_id);
	db_bind_blob(s, 2, row->handle, PPRL_HANDLE_BYTES);
	db_bind_blob(s, 3, row->ref, row->ref_len);
	db_bind_blob(s, 4, row->clk, PPRL_BYTES);
	db_bind_str(s, 5, row->expires ? row->expires : "");
	db_bind_str(s, 6, row->updated_at);
	db_bind_str(s, 7, row->audience ? row->audience : "");
	return store_step_done(s) == STORE_OK ? STORE_OK : STORE_ERROR;
}

static const char SQL_DROP[] = "DELETE FROM pprl_encodings WHERE handle = ?1";
static const char SQL_QUESTIONS_PRUNE[] = "DELETE FROM pprl_questions WHERE asked_at < ?1";

/* Run sql (a constant: statements are cached by its address) with ?1
 * bound to the n bytes at v (n 0: a string). */
static int run1(store_tx *tx, const char *sql, const void *v, size_t n)
{
	db_stmt *s = db_prepare(tx->d, sql);

	if (!s)
		return STORE_ERROR;
	if (n)
		db_bind_blob(s, 1, v, n);
	else
		db_bind_str(s, 1, v);
	return store_step_done(s) == STORE_OK ? STORE_OK : STORE_ERROR;
}

int store_pprl_drop(store_tx *tx, const unsigned char *handle)
{
	return run1(tx, SQL_DROP, handle, PPRL_HANDLE_BYTES);
}

/* ---- the stamps ---------------------------------------------------------- */

static const char SQL_STAMP_PUT[] =
	"INSERT INTO pprl_stamps(handle, stamp, encoded, recheck, updated_at)"
	" VALUES(?1, ?2, ?3, ?4, ?5)"
	" ON CONFLICT(handle) DO UPDATE SET stamp = excluded.stamp, encoded = excluded.encoded,"
	" recheck = excluded.recheck, updated_at = excluded.updated_at";
static const char SQL_STAMP_DROP[] = "DELETE FROM pprl_stamps WHERE handle = ?1";
static const char SQL_STAMPS[] =
	"SELECT s.handle, s.stamp, s.encoded, s.recheck, s.updated_at,"
	" CASE WHEN e.handle IS NULL THEN 0 ELSE 1 END"
	" FROM pprl_stamps s LEFT JOIN pprl_encodings e ON e.handle = s.handle";
static const char SQL_FORGET_ROW[] =
	"DELETE FROM pprl_encodings WHERE handle = ?1 AND EXISTS"
	" (SELECT 1 FROM pprl_stamps s WHERE s.handle = ?1 AND s.stamp = ?2)";
static const char SQL_FORGET_STAMP[] = "DELETE FROM pprl_stamps WHERE handle = ?1 AND stamp = ?2";
static const char SQL_DROP_UNSTAMPED[] =
	"DELETE FROM pprl_encodings WHERE NOT EXISTS"
	" (SELECT 1 FROM pprl_stamps s WHERE s.handle = pprl_encodings.handle)";

int store_pprl_stamp_put(store_tx *tx, const struct pprl_stamp_row *row)
{
	db_stmt *s = db_prepare(tx->d, SQL_STAMP_PUT);

	if (!s)
		return STORE_ERROR;
	db_bind_blob(s, 1, row->handle, PPRL_HANDLE_BYTES);
	db_bind_blob(s, 2, row->stamp, PPRL_STAMP_BYTES);
	db_bind_int(s, 3, row->encoded ? 1 : 0);
	db_bind_str(s, 4, row->recheck);
	db_bind_str(s, 5, row->updated_at);
	return store_step_done(s) == STORE_OK ? STORE_OK : STORE_ERROR;
}

int store_pprl_stamp_drop(store_tx *tx, const unsigned char *handle)
{
	return run1(tx, SQL_STAMP_DROP, handle, PPRL_HANDLE_BYTES);
}

int store_pprl_forget(store_tx *tx, const unsigned char *handle, const unsigned char *stamp)
{
	const char *sql[] = {SQL_FORGET_ROW, SQL_FORGET_STAMP};
	size_t i;

	for (i = 0; i < 2; i++) {
		db_stmt *s = db_prepare(tx->d, sql[i]);
		if (!s)
			return STORE_ERROR;
		db_bind_blob(s, 1, handle, PPRL_HANDLE_BYTES);
		db_bind_blob(s, 2, stamp, PPRL_STAMP_BYTES);
		if (store_step_done(s) != STORE_OK)
			return STORE_ERROR;
	}
	return STORE_OK;
}

int store_pprl_drop_unstamped(store_tx *tx)
{
	return store_step_done(db_prepare(tx->d, SQL_DROP_UNSTAMPED)) == STORE_OK ? STORE_OK
										  : STORE_ERROR;
}

struct stamps_each {
	int (*fn)(void *ctx, const struct pprl_stamp_row *row);
	void *ctx;
};

static int stamp_each(void *ctx, db_stmt *s)
{
	struct stamps_each *e = ctx;
	struct pprl_stamp_row row;

	if (db_col_bytes(s, 0) != PPRL_HANDLE_BYTES || db_col_bytes(s, 1) != PPRL_STAMP_BYTES)
		return 0; /* not a row this program wrote: no stamp, re-encoded */
	row.handle = db_col_blob(s, 0);
	row.stamp = db_col_blob(s, 1);
	row.encoded = (int)db_col_int(s, 2);
	row.recheck = db_col_text(s, 3);
	row.updated_at = db_col_text(s, 4);
	row.has_row = (int)db_col_int(s, 5);
	return e->fn(e->ctx, &row);
}

int store_pprl_stamps_each(store *st, int (*fn)(void *ctx, const struct pprl_stamp_row *row),
			   void *ctx)
{
	struct stamps_each e = {fn, ctx};

	return table_each_texts(st, SQL_STAMPS, NULL, 0, stamp_each, &e);
}

static const char SQL_EACH[] =
	"SELECT org_id, handle, ref, clk, expires, updated_at, audience FROM pprl_encodings"
	" WHERE (expires = '' OR expires >= ?1) AND audience <> ''";

struct pprl_each {
	int (*fn)(void *ctx, const struct pprl_row *row);
	void *ctx;
};

static int encoding_each(void *ctx, db_stmt *s)
{
	struct pprl_each *e = ctx;
	struct pprl_row row;

	if (db_col_bytes(s, 1) != PPRL_HANDLE_BYTES || db_col_bytes(s, 3) != PPRL_BYTES)
		return 0; /* not a row this program wrote */
	row.org_id = db_col_text(s, 0);
	row.handle = db_col_blob(s, 1);
	row.ref = db_col_blob(s, 2);
	row.ref_len = db_col_bytes(s, 2);
	row.clk = db_col_blob(s, 3);
	row.expires = db_col_text(s, 4);
	row.updated_at = db_col_text(s, 5);
	row.audience = db_col_text(s, 6);
	return e->fn(e->ctx, &row);
}

int store_pprl_each(store *st, const char *today,
		    int (*fn)(void *ctx, const struct pprl_row *row), void *ctx)
{
	struct pprl_each e = {fn, ctx};

	return table_each_texts(st, SQL_EACH, &today, 1, encoding_each, &e);
}

/* The persons' consents in any state: what a refresh reads
 * (api/pprlnet.c).  CROSS JOIN keeps SQLite's order, persons first, each
 * person's consents by items_person: its planner scanned every item for
 * the few consents (9.8 s at 1,000,000 persons; 5.2 s so). */
#define SOURCES_SELECT "SELECT p.id, p.org_id, p.version, p.updated_at, i.id, i.version, i.status"
static const char SQL_SOURCES[] = SOURCES_SELECT
	" FROM persons p CROSS JOIN items i"
	" WHERE i.person_id = p.id AND i.kind = 'consent' AND p.merged_into IS NULL"
	" ORDER BY p.rowid"; /* the order rows lie in; a person's rows together */

struct sources_each {
	int (*fn)(void *ctx, const struct pprl_source *row);
	void *ctx;
};

static int source_each(void *ctx, db_stmt *s)
{
	struct sources_each *e = ctx;
	struct pprl_source row;

	row.person_id = db_col_text(s, 0);
	row.org_id = db_col_text(s, 1);
	row.version = db_col_int(s, 2);
	row.updated_at = db_col_text(s, 3);
	row.consent_id = db_col_text(s, 4);
	row.consent_version = db_col_int(s, 5);
	row.consent_status = db_col_text(s, 6);
	return e->fn(e->ctx, &row);
}

int store_pprl_sources(store *st, int (*fn)(void *ctx, const struct pprl_source *row), void *ctx)
{
	struct sources_each e = {fn, ctx};

	return table_each_texts(st, SQL_SOURCES, NULL, 0, source_each, &e);
}

/* The same for some persons, in a write transaction, each person's rows
 * together and the persons in the order asked (a refresh's check:
 * api/pprlnet.c).  On PostgreSQL each
 * person's refresh lock is taken first (a transaction-level advisory
 * lock, in id order), so that two servers' refreshes of one person, one
 * writing what it read before the other's change, follow each other;
 * SQLite's one writer does that by itself. */
#define SOURCES_JOIN SOURCES_SELECT \
	" FROM persons p JOIN items i ON i.person_id = p.id AND i.kind = 'consent'"
static const char SQL_SOURCES_ONE[] = SOURCES_JOIN " WHERE p.id = ?1 AND p.merged_into IS NULL";
static const char SQL_SOURCES_ANY[] = SOURCES_JOIN
	" WHERE p.id = ANY(CAST(?1 AS TEXT[])) AND p.merged_into IS NULL"
	" ORDER BY array_position(CAST(?1 AS TEXT[]), p.id)";
static const char SQL_REFRESH_LOCKS[] =
	"SELECT count(pg_advisory_xact_lock(hashtext('himoya pprl ' || x)))"
	" FROM (SELECT DISTINCT x FROM unnest(CAST(?1 AS TEXT[])) AS x ORDER BY x) AS l";

int store_pprl_sources_tx(store_tx *tx, const char *const *ids, size_t n,
			  int (*fn)(void *ctx, const struct pprl_source *row), void *ctx)
{
	struct sources_each e = {fn, ctx};
	db_stmt *s;
	size_t i;

	if (!n)
		return STORE_OK;
	if (db_has_arrays(tx->d)) {
		int64_t locked;
		s = db_prepare(tx->d, SQL_REFRESH_LOCKS);
		if (s)
			db_bind_text_array(s, 1, ids, n);
		if (table_int(s, &locked) != STORE_OK)
			return STORE_ERROR;
		s = db_prepare(tx->d, SQL_SOURCES_ANY);
		if (s)
			db_bind_text_array(s, 1, ids, n);
		return table_each(s, source_each, &e);
	}
	for (i = 0; i < n; i++) {
		s = db_prepare(tx->d, SQL_SOURCES_ONE);
		if (s)
			db_bind_str(s, 1, ids[i]);
		if (table_each(s, source_each, &e) != STORE_OK)
			return STORE_ERROR;
	}
	return STORE_OK;
}

static const char SQL_QUESTION[] = "INSERT INTO pprl_questions(user_id, asked_at) VALUES(?1, ?2)";

int store_pprl_question_add(store_tx *tx, const char *user_id, const char *at, const char *before)
{
	const char *v[] = {user_id, at};

	if (run1(tx, SQL_QUESTIONS_PRUNE, before, 0) != STORE_OK ||
	    store_write_texts(tx->d, SQL_QUESTION, v, 2) != STORE_OK)
		return STORE_ERROR;
	return STORE_OK;
}

static const char SQL_QUESTIONS[] =
	"SELECT count(*) FROM pprl_questions WHERE user_id = ?1 AND asked_at >= ?2";
static const char SQL_QUESTIONS_ORG[] =
	"SELECT count(*) FROM users u JOIN pprl_questions q ON q.user_id = u.id"
	" WHERE u.org_id = ?1 AND q.asked_at >= ?2";

static int questions_count(store *st, const char *sql, const char *who, const char *since,
			   int64_t *n)
{
	db *d = store_reader_get(st);
	db_stmt *s = db_prepare(d, sql);
	int rc;

	if (s) {
		db_bind_str(s, 1, who);
		db_bind_str(s, 2, since);
	}
	rc = table_int(s, n);
	store_reader_put(st, d);
	return rc;
}

int store_pprl_questions_since(store *st, const char *user_id, const char *since, int64_t *n)
{
	return questions_count(st, SQL_QUESTIONS, user_id, since, n);
}

int store_pprl_questions_org_since(store *st, const char *org_id, const char *since, int64_t *n)
{
	return questions_count(st, SQL_QUESTIONS_ORG, org_id, since, n);
}
