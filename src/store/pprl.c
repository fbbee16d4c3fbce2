/*
 * pprl.c - the SQL of network matching; see pprl.h.
 */
#include <string.h>

#include "store/pprl.h"
#include "store/table.h"

static const char SQL_PUT[] =
	"INSERT INTO pprl_encodings(org_id, handle, ref, clk, expires, updated_at)"
	" VALUES(?1, ?2, ?3, ?4, ?5, ?6)"
	" ON CONFLICT(handle) DO UPDATE SET org_id = excluded.org_id, ref = excluded.ref, clk = excluded.clk,"
	" expires = excluded.expires, updated_at = excluded.updated_at";

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
	return store_step_done(s) == STORE_OK ? STORE_OK : STORE_ERROR;
}

static const char SQL_DROP[] = "DELETE FROM pprl_encodings WHERE handle = ?1";
static const char SQL_DROP_OLDER[] = "DELETE FROM pprl_encodings WHERE updated_at < ?1";
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

int store_pprl_drop_older(store_tx *tx, const char *before)
{
	return run1(tx, SQL_DROP_OLDER, before, 0);
}

static const char SQL_EACH[] =
	"SELECT org_id, handle, ref, clk, expires, updated_at FROM pprl_encodings"
	" WHERE expires = '' OR expires >= ?1";

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
	return e->fn(e->ctx, &row);
}

int store_pprl_each(store *st, const char *today,
		    int (*fn)(void *ctx, const struct pprl_row *row), void *ctx)
{
	struct pprl_each e = {fn, ctx};

	return table_each_texts(st, SQL_EACH, &today, 1, encoding_each, &e);
}

static const char SQL_CONSENTING[] =
	"SELECT p.id FROM persons p WHERE p.merged_into IS NULL AND EXISTS (SELECT 1 FROM items i"
	" WHERE i.person_id = p.id AND i.kind = 'consent' AND i.status = 'active')"
	" ORDER BY p.rowid"; /* the order rows lie in: the pass reads each near the last */

struct consenting_each {
	int (*fn)(void *ctx, const char *person_id);
	void *ctx;
};

static int consenting_each(void *ctx, db_stmt *s)
{
	struct consenting_each *e = ctx;

	return e->fn(e->ctx, db_col_text(s, 0));
}

int store_pprl_consenting(store *st, int (*fn)(void *ctx, const char *person_id), void *ctx)
{
	struct consenting_each e = {fn, ctx};

	return table_each_texts(st, SQL_CONSENTING, NULL, 0, consenting_each, &e);
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

int store_pprl_questions_since(store *st, const char *user_id, const char *since, int64_t *n)
{
	db *d = store_reader_get(st);
	db_stmt *s = db_prepare(d, SQL_QUESTIONS);
	int rc;

	if (s) {
		db_bind_str(s, 1, user_id);
		db_bind_str(s, 2, since);
	}
	rc = table_int(s, n);
	store_reader_put(st, d);
	return rc;
}
