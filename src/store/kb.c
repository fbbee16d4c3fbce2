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
#include "store/store_internal.h"

#define KB_COLS \
	"a.id, a.version, a.country, a.topic, a.status, coalesce(a.reviewed_on, '')," \
	" a.title_tg, a.title_ru, a.title_en, a.body_tg, a.body_ru, a.body_en, a.sources," \
	" coalesce(a.updated_by, ''), a.created_at, a.updated_at"
#define KB_WHERE \
	" (?1 IS NULL OR a.country = ?1) AND (?2 IS NULL OR a.topic = ?2)" \
	" AND (?3 IS NULL OR a.status = ?3)"

static const char SQL_KB_INSERT[] =
	"INSERT INTO kb_articles(id, version, country, topic, status, reviewed_on, title_tg,"
	" title_ru, title_en, body_tg, body_ru, body_en, sources, updated_by, created_at,"
	" updated_at) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)";
static const char SQL_KB_UPDATE[] =
	"UPDATE kb_articles SET version = ?2, country = ?3, topic = ?4, status = ?5,"
	" reviewed_on = ?6, title_tg = ?7, title_ru = ?8, title_en = ?9, body_tg = ?10,"
	" body_ru = ?11, body_en = ?12, sources = ?13, updated_by = ?14, created_at = ?15,"
	" updated_at = ?16 WHERE id = ?1 AND version = ?17";
static const char SQL_KB_EXISTS[] = "SELECT 1 FROM kb_articles WHERE id = ?1";
static const char SQL_KB_GET[] = "SELECT " KB_COLS ", 0 FROM kb_articles a WHERE a.id = ?1";
static const char SQL_KB_LIST[] =
	"SELECT " KB_COLS ", 0 FROM kb_articles a WHERE" KB_WHERE
	" ORDER BY a.country, a.topic, a.id LIMIT ?4 OFFSET ?5";
static const char SQL_KB_SEARCH[] =
	"SELECT " KB_COLS ", h.score FROM kb_articles a JOIN ("
	"  SELECT article_id, count(*) AS hits, sum(weight) AS score FROM kb_keys"
	"  WHERE key IN (?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13) GROUP BY article_id"
	") h ON h.article_id = a.id WHERE" KB_WHERE
	" ORDER BY h.hits DESC, h.score DESC, a.country, a.topic, a.id LIMIT ?4 OFFSET ?5";
static const char SQL_KB_COUNT[] = "SELECT count(*) FROM kb_articles";
static const char SQL_KEYS_DEL[] = "DELETE FROM kb_keys WHERE article_id = ?1";
static const char SQL_KEYS_ADD[] =
	"INSERT INTO kb_keys(key, article_id, weight) VALUES(?2, ?1, ?3)"
	" ON CONFLICT(key, article_id) DO UPDATE SET weight = max(weight, excluded.weight)";
static const char SQL_HIST_ADD[] =
	"INSERT INTO kb_history(article_id, version, at, user_id, action, fields, snapshot)"
	" VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)";
static const char SQL_HIST_LIST[] =
	"SELECT h.version, h.at, coalesce(h.user_id, ''), coalesce(u.login, ''), h.action,"
	" h.fields, h.snapshot FROM kb_history h LEFT JOIN users u ON u.id = h.user_id"
	" WHERE h.article_id = ?1 ORDER BY h.version DESC LIMIT 500";

static const char *or_null(const char *s)
{
	return s && *s ? s : NULL;
}

static int done(db_stmt *s)
{
	int rc = db_step(s);
	db_reset(s);
	if (rc == DB_DONE)
		return STORE_OK;
	return rc == DB_CONSTRAINT ? STORE_CONFLICT : STORE_ERROR;
}

static void bind_article(db_stmt *s, const struct kb_row *k)
{
	int i;

	db_bind_str(s, 1, k->id);
	db_bind_int(s, 2, k->version);
	db_bind_str(s, 3, k->country);
	db_bind_str(s, 4, k->topic);
	db_bind_str(s, 5, k->status);
	db_bind_str(s, 6, or_null(k->reviewed_on));
	for (i = 0; i < KB_LANGS; i++) {
		db_bind_str(s, 7 + i, k->title[i]);
		db_bind_str(s, 10 + i, k->body[i]);
	}
	db_bind_str(s, 13, k->sources);
	db_bind_str(s, 14, or_null(k->updated_by));
	db_bind_str(s, 15, k->created_at);
	db_bind_str(s, 16, k->updated_at);
}

static const char *col_dup(db_stmt *s, int i, arena *a)
{
	return arena_strndup(a, db_col_text(s, i), db_col_bytes(s, i));
}

static int read_article(db_stmt *s, struct kb_row *k, arena *a)
{
	int i;

	memset(k, 0, sizeof *k);
	store_col_copy(s, 0, k->id, sizeof k->id);
	k->version = db_col_int(s, 1);
	store_col_copy(s, 2, k->country, sizeof k->country);
	store_col_copy(s, 3, k->topic, sizeof k->topic);
	store_col_copy(s, 4, k->status, sizeof k->status);
	store_col_copy(s, 5, k->reviewed_on, sizeof k->reviewed_on);
	for (i = 0; i < KB_LANGS; i++) {
		k->title[i] = col_dup(s, 6 + i, a);
		k->body[i] = col_dup(s, 9 + i, a);
		if (!k->title[i] || !k->body[i])
			return STORE_ERROR;
	}
	k->sources = col_dup(s, 12, a);
	if (!k->sources)
		return STORE_ERROR;
	store_col_copy(s, 13, k->updated_by, sizeof k->updated_by);
	store_col_copy(s, 14, k->created_at, sizeof k->created_at);
	store_col_copy(s, 15, k->updated_at, sizeof k->updated_at);
	k->score = db_col_int(s, 16);
	return STORE_OK;
}

int store_kb_insert(store_tx *tx, const struct kb_row *k)
{
	db_stmt *s = db_prepare(tx->d, SQL_KB_INSERT);
	if (!s)
		return STORE_ERROR;
	bind_article(s, k);
	return done(s);
}

int store_kb_update(store_tx *tx, const struct kb_row *k)
{
	db_stmt *s = db_prepare(tx->d, SQL_KB_UPDATE);

	if (!s)
		return STORE_ERROR;
	bind_article(s, k);
	db_bind_int(s, 17, k->version - 1);
	return store_step_versioned(tx, s, SQL_KB_EXISTS, k->id);
}

int store_kb_exists(store *st, const char *id)
{
	db *d = store_reader_get(st);
	db_stmt *s = db_prepare(d, SQL_KB_EXISTS);
	int rc;

	if (!s) {
		store_reader_put(st, d);
		return STORE_ERROR;
	}
	db_bind_str(s, 1, id);
	rc = db_step(s);
	db_reset(s);
	store_reader_put(st, d);
	return rc == DB_ROW ? STORE_OK : rc == DB_DONE ? STORE_NOT_FOUND : STORE_ERROR;
}

int store_kb_get(store *st, const char *id, struct kb_row *k, arena *a)
{
	db *d = store_reader_get(st);
	db_stmt *s = db_prepare(d, SQL_KB_GET);
	int rc = STORE_ERROR;

	if (s) {
		db_bind_str(s, 1, id);
		rc = db_step(s);
		if (rc == DB_ROW)
			rc = read_article(s, k, a);
		else
			rc = rc == DB_DONE ? STORE_NOT_FOUND : STORE_ERROR;
		db_reset(s);
	}
	store_reader_put(st, d);
	return rc;
}

int store_kb_keys_set(store_tx *tx, const char *article_id, const struct kb_key *keys, size_t n)
{
	db_stmt *s = db_prepare(tx->d, SQL_KEYS_DEL);
	size_t i;
	int rc;

	if (!s)
		return STORE_ERROR;
	db_bind_str(s, 1, article_id);
	rc = done(s);
	for (i = 0; rc == STORE_OK && i < n; i++) {
		s = db_prepare(tx->d, SQL_KEYS_ADD);
		if (!s)
			return STORE_ERROR;
		db_bind_str(s, 1, article_id);
		db_bind_str(s, 2, keys[i].key);
		db_bind_int(s, 3, keys[i].weight);
		rc = done(s);
	}
	return rc;
}

int store_kb_history_add(store_tx *tx, const char *article_id, const struct kb_history_row *h)
{
	db_stmt *s = db_prepare(tx->d, SQL_HIST_ADD);
	if (!s)
		return STORE_ERROR;
	db_bind_str(s, 1, article_id);
	db_bind_int(s, 2, h->version);
	db_bind_str(s, 3, h->at);
	db_bind_str(s, 4, or_null(h->user_id));
	db_bind_str(s, 5, h->action);
	db_bind_str(s, 6, h->fields);
	db_bind_str(s, 7, h->snapshot);
	return done(s);
}

int store_kb_history(store *st, const char *article_id, struct kb_history_row **rows, size_t *n,
		     arena *a)
{
	size_t cap = 16;
	struct kb_history_row *out = arena_alloc(a, cap * sizeof *out);
	db *d = store_reader_get(st);
	db_stmt *s = db_prepare(d, SQL_HIST_LIST);
	int rc = DB_ERROR;

	*n = 0;
	if (s && out) {
		db_bind_str(s, 1, article_id);
		while ((rc = db_step(s)) == DB_ROW) {
			struct kb_history_row *h;
			out = store_grow(a, out, &cap, *n, sizeof *out);
			if (!out) {
				rc = DB_ERROR;
				break;
			}
			h = &out[*n];
			memset(h, 0, sizeof *h);
			h->version = db_col_int(s, 0);
			store_col_copy(s, 1, h->at, sizeof h->at);
			store_col_copy(s, 2, h->user_id, sizeof h->user_id);
			store_col_copy(s, 3, h->user_login, sizeof h->user_login);
			store_col_copy(s, 4, h->action, sizeof h->action);
			h->fields = col_dup(s, 5, a);
			h->snapshot = col_dup(s, 6, a);
			if (!h->fields || !h->snapshot) {
				rc = DB_ERROR;
				break;
			}
			(*n)++;
		}
	}
	if (s)
		db_reset(s);
	store_reader_put(st, d);
	*rows = out;
	return rc == DB_DONE ? STORE_OK : STORE_ERROR;
}

int store_kb_list(store *st, const struct kb_filter *f, struct kb_row **rows, size_t *n,
		  arena *a)
{
	struct kb_row *out;
	db *d;
	db_stmt *s;
	size_t i;
	int rc = DB_ERROR;

	*n = 0;
	*rows = NULL;
	if (f->nkeys > KB_QUERY_KEYS || f->limit == 0)
		return f->limit == 0 ? STORE_OK : STORE_ERROR;
	out = arena_alloc(a, f->limit * sizeof *out);
	if (!out)
		return STORE_ERROR;
	d = store_reader_get(st);
	s = db_prepare(d, f->nkeys ? SQL_KB_SEARCH : SQL_KB_LIST);
	if (s) {
		db_bind_str(s, 1, f->country); /* "" is a filter: general */
		db_bind_str(s, 2, or_null(f->topic));
		db_bind_str(s, 3, or_null(f->status));
		db_bind_int(s, 4, (int64_t)f->limit);
		db_bind_int(s, 5, (int64_t)f->offset);
		if (f->nkeys)
			for (i = 0; i < KB_QUERY_KEYS; i++)
				db_bind_str(s, 6 + (int)i, i < f->nkeys ? f->keys[i] : NULL);
		while (*n < f->limit && (rc = db_step(s)) == DB_ROW) {
			if (read_article(s, &out[*n], a) != STORE_OK) {
				rc = DB_ERROR;
				break;
			}
			(*n)++;
		}
		db_reset(s);
	}
	store_reader_put(st, d);
	*rows = out;
	return rc == DB_DONE || rc == DB_ROW ? STORE_OK : STORE_ERROR;
}

int store_kb_count(store *st, int64_t *n)
{
	db *d = store_reader_get(st);
	db_stmt *s = db_prepare(d, SQL_KB_COUNT);
	int rc = STORE_ERROR;

	if (s) {
		if (db_step(s) == DB_ROW) {
			*n = db_col_int(s, 0);
			rc = STORE_OK;
		}
		db_reset(s);
	}
	store_reader_put(st, d);
	return rc;
}
