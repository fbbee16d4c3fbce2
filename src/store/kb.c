/*
 * kb.c - SQL for the safe-migration knowledge base: articles, their
 * history (every saved version whole) and their search keys.
 *
 * Articles are public text, written for migrants and their families, so
 * nothing here is sealed and the search keys (cross-script word keys of
 * domain/namekey.h and their beginnings, made by api/kb.c) are kept in
 * clear, as the directory's are.  The base is small (tens to hundreds of
 * articles), so a search is one statement: the articles sharing at least
 * one key with the query, those matching most query words first, then
 * by weight (a title word or a country name outweighs a body word).
 */
#include <string.h>

#include "store/kb.h"
#include "store/table.h"

#define KB_ROW struct kb_row
static const struct column article_cols[] = {
	TCOL(KB_ROW, id, COL_TEXT, COL_FIXED),
	TCOL(KB_ROW, version, COL_INT, COL_VERSION),
	TCOL(KB_ROW, country, COL_TEXT, 0),
	TCOL(KB_ROW, topic, COL_TEXT, 0),
	TCOL(KB_ROW, status, COL_TEXT, 0),
	TCOL(KB_ROW, reviewed_on, COL_OPT, 0),
	TCOLN(KB_ROW, title[0], "title_tg", COL_JSON, 0),
	TCOLN(KB_ROW, title[1], "title_ru", COL_JSON, 0),
	TCOLN(KB_ROW, title[2], "title_en", COL_JSON, 0),
	TCOLN(KB_ROW, body[0], "body_tg", COL_JSON, 0),
	TCOLN(KB_ROW, body[1], "body_ru", COL_JSON, 0),
	TCOLN(KB_ROW, body[2], "body_en", COL_JSON, 0),
	TCOL(KB_ROW, sources, COL_JSON, 0),
	TCOL(KB_ROW, updated_by, COL_OPT, 0),
	TCOL(KB_ROW, created_at, COL_TEXT, 0), /* an update writes it as it was */
	TCOL(KB_ROW, updated_at, COL_TEXT, 0),
};
static struct table articles = TABLE("kb_articles", article_cols);
_Static_assert(KB_LANGS == 3, "the article columns name three languages");

#define KB_WHERE \
	" (a.country = ?1 OR ?1 IS NULL) AND (a.topic = ?2 OR ?2 IS NULL)" \
	" AND (a.status = ?3 OR ?3 IS NULL)"

/* The rank follows the article's columns: 0 in a list. */
static int read_score(db_stmt *s, int i, void *row, arena *a)
{
	(void)a;
	((struct kb_row *)row)->score = db_col_int(s, i);
	return STORE_OK;
}

static struct table_query q_get =
	TABLE_QUERY_AS(articles, "a", ", 0 FROM kb_articles a WHERE a.id = ?1", read_score);
static struct table_query q_list = TABLE_QUERY_AS(articles, "a",
	", 0 FROM kb_articles a WHERE" KB_WHERE
	" ORDER BY a.country, a.topic, a.id LIMIT ?4 OFFSET ?5", read_score);
static struct table_query q_search = TABLE_QUERY_AS(articles, "a",
	", h.score FROM kb_articles a JOIN ("
	"  SELECT article_id, count(*) AS hits, sum(weight) AS score FROM kb_keys"
	"  WHERE key IN (?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13) GROUP BY article_id"
	") h ON h.article_id = a.id WHERE" KB_WHERE
	" ORDER BY h.hits DESC, h.score DESC, a.country, a.topic, a.id LIMIT ?4 OFFSET ?5",
	read_score);
static const char SQL_KB_EXISTS[] = "SELECT 1 FROM kb_articles WHERE id = ?1";
static const char SQL_KB_COUNT[] = "SELECT count(*) FROM kb_articles";
static const char SQL_KEYS_DEL[] = "DELETE FROM kb_keys WHERE article_id = ?1";
static const char SQL_KEYS_ADD[] =
	"INSERT INTO kb_keys(key, article_id, weight) VALUES(?2, ?1, ?3)"
	" ON CONFLICT(key, article_id) DO UPDATE SET weight = max(kb_keys.weight, excluded.weight)";

/* A saved version as inserted: the version, then the article it is of.
 * The version comes first, so a read (which skips the article) fills a
 * bare struct kb_history_row. */
struct history_row {
	struct kb_history_row h;
	const char *article_id;
};

static const struct column history_cols[] = {
	TCOL(struct history_row, article_id, COL_JSON, COL_FIXED | COL_WRITE),
	TCOLN(struct history_row, h.version, "version", COL_INT, COL_FIXED),
	TCOLN(struct history_row, h.at, "at", COL_TEXT, COL_FIXED),
	TCOLN(struct history_row, h.user_id, "user_id", COL_OPT, COL_FIXED),
	TCOLN(struct history_row, h.action, "action", COL_TEXT, COL_FIXED),
	TCOLN(struct history_row, h.fields, "fields", COL_JSON, COL_FIXED),
	TCOLN(struct history_row, h.snapshot, "snapshot", COL_JSON, COL_FIXED),
};
static struct table history = TABLE("kb_history", history_cols);

/* The login of whoever saved the version follows its columns. */
static int read_login(db_stmt *s, int i, void *row, arena *a)
{
	struct kb_history_row *h = row;

	(void)a;
	store_col_copy(s, i, h->user_login, sizeof h->user_login);
	return STORE_OK;
}

static struct table_query q_history = TABLE_QUERY_AS(history, "h",
	", coalesce(u.login, '') FROM kb_history h LEFT JOIN users u ON u.id = h.user_id"
	" WHERE h.article_id = ?1 ORDER BY h.version DESC LIMIT 500", read_login);

int store_kb_insert(store_tx *tx, const struct kb_row *k)
{
	return table_insert(tx, &articles, k);
}

int store_kb_update(store_tx *tx, const struct kb_row *k)
{
	return table_update(tx, &articles, k);
}

int store_kb_exists(store *st, const char *id)
{
	return table_exists(st, SQL_KB_EXISTS, &id, 1);
}

int store_kb_get(store *st, const char *id, struct kb_row *k, arena *a)
{
	return table_query_get_pool(st, &q_get, id, k, a);
}

int store_kb_keys_set(store_tx *tx, const char *article_id, const struct kb_key *keys, size_t n)
{
	size_t i;
	int rc = store_write_texts(tx->d, SQL_KEYS_DEL, &article_id, 1);

	for (i = 0; rc == STORE_OK && i < n; i++) {
		db_stmt *s = db_prepare(tx->d, SQL_KEYS_ADD);
		if (!s)
			return STORE_ERROR;
		db_bind_str(s, 1, article_id);
		db_bind_str(s, 2, keys[i].key);
		db_bind_int(s, 3, keys[i].weight);
		rc = store_step_done(s);
	}
	return rc;
}

int store_kb_history_add(store_tx *tx, const char *article_id, const struct kb_history_row *h)
{
	struct history_row r = {*h, article_id};

	return table_insert(tx, &history, &r);
}

int store_kb_history(store *st, const char *article_id, struct kb_history_row **rows, size_t *n,
		     arena *a)
{
	return table_query_list_pool(st, &q_history, article_id, SIZE_MAX, sizeof **rows,
				     (void **)rows, n, a);
}

int store_kb_list(store *st, const struct kb_filter *f, struct kb_row **rows, size_t *n,
		  arena *a)
{
	struct table_query *q = f->nkeys ? &q_search : &q_list;
	const char *sql = table_query_sql(q);
	db *d;
	db_stmt *s;
	size_t i;

	*n = 0;
	*rows = NULL;
	if (f->nkeys > KB_QUERY_KEYS || f->limit == 0)
		return f->limit == 0 ? STORE_OK : STORE_ERROR;
	if (!sql)
		return STORE_ERROR;
	d = store_reader_get(st);
	s = db_prepare(d, sql);
	if (s) {
		db_bind_str(s, 1, f->country); /* "" is a filter: general */
		db_bind_str(s, 2, store_or_null(f->topic));
		db_bind_str(s, 3, store_or_null(f->status));
		db_bind_int(s, 4, (int64_t)f->limit);
		db_bind_int(s, 5, (int64_t)f->offset);
		if (f->nkeys)
			for (i = 0; i < KB_QUERY_KEYS; i++)
				db_bind_str(s, 6 + (int)i, i < f->nkeys ? f->keys[i] : NULL);
	}
	return table_query_collect_pool(st, d, s, q, sizeof **rows, f->limit, (void **)rows, n, a);
}

int store_kb_count(store *st, int64_t *n)
{
	db *d = store_reader_get(st);
	int rc = table_int(db_prepare(d, SQL_KB_COUNT), n);

	store_reader_put(st, d);
	return rc;
}
