/*
 * table.c - statements, binds and reads made from a table's column list
 * (table.h).  Everything here is driver-neutral: it writes SQL text with
 * ?N placeholders and moves values through db.h.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/table.h"

static pthread_mutex_t make_lock = PTHREAD_MUTEX_INITIALIZER;

#define SQL_MAX 4096

/* A statement being written into a fixed buffer; overflow is remembered. */
struct sqlbuf {
	char s[SQL_MAX];
	size_t n;
	int over;
};

__attribute__((format(printf, 2, 3)))
static void sql_add(struct sqlbuf *b, const char *fmt, ...)
{
	va_list ap;
	int k;

	if (b->over)
		return;
	va_start(ap, fmt);
	k = vsnprintf(b->s + b->n, sizeof b->s - b->n, fmt, ap);
	va_end(ap);
	if (k < 0 || (size_t)k >= sizeof b->s - b->n)
		b->over = 1;
	else
		b->n += (size_t)k;
}

static char *sql_done(struct sqlbuf *b)
{
	return b->over ? NULL : strdup(b->s);
}

static const struct column *version_col(const struct table *t)
{
	size_t i;
	for (i = 0; i < t->ncols; i++)
		if (t->cols[i].flags & COL_VERSION)
			return &t->cols[i];
	return NULL;
}

static int make(struct table *t)
{
	struct sqlbuf cols = {0}, ins = {0}, get = {0}, upd = {0}, ex = {0};
	const struct column *v = version_col(t);
	size_t i;
	int k = 0;

	if (!t->ncols || !(t->cols[0].flags & COL_FIXED))
		return -1; /* the id comes first and is never updated */
	for (i = 0; i < t->ncols; i++)
		if (!(t->cols[i].flags & COL_WRITE))
			sql_add(&cols, "%s%s", cols.n ? ", " : "", t->cols[i].name);
	sql_add(&ins, "INSERT INTO %s(", t->name);
	for (i = 0; i < t->ncols; i++)
		if (!(t->cols[i].flags & COL_READ))
			sql_add(&ins, "%s%s", k++ ? ", " : "", t->cols[i].name);
	sql_add(&ins, ") VALUES(");
	for (i = 1; i <= (size_t)k; i++)
		sql_add(&ins, "%s?%zu", i > 1 ? ", " : "", i);
	sql_add(&ins, ")");
	sql_add(&get, "SELECT %s FROM %s WHERE %s = ?1", cols.s, t->name, t->cols[0].name);
	sql_add(&ex, "SELECT 1 FROM %s WHERE %s = ?1", t->name, t->cols[0].name);
	t->cols_sql = sql_done(&cols);
	t->insert_sql = sql_done(&ins);
	t->get_sql = sql_done(&get);
	t->exists_sql = sql_done(&ex);
	if (!t->cols_sql || !t->insert_sql || !t->get_sql || !t->exists_sql)
		return -1;
	if (!v)
		return 0;
	/* ?1 is the id, then the columns written in order, then the version
	 * expected: the order table_update binds them in. */
	sql_add(&upd, "UPDATE %s SET ", t->name);
	k = 1;
	for (i = 1; i < t->ncols; i++)
		if (!(t->cols[i].flags & (COL_FIXED | COL_READ | COL_SCOPE | COL_WRITE))) {
			sql_add(&upd, "%s%s = ?%d", k > 1 ? ", " : "", t->cols[i].name, k + 1);
			k++;
		}
	sql_add(&upd, " WHERE %s = ?1", t->cols[0].name);
	for (i = 1; i < t->ncols; i++)
		if (t->cols[i].flags & COL_SCOPE)
			sql_add(&upd, " AND %s = ?%d", t->cols[i].name, ++k);
	sql_add(&upd, " AND %s = ?%d", v->name, k + 1);
	t->update_sql = sql_done(&upd);
	return t->update_sql ? 0 : -1;
}

int table_sql(struct table *t)
{
	int rc = 0;

	if (atomic_load_explicit(&t->made, memory_order_acquire))
		return 0;
	pthread_mutex_lock(&make_lock);
	if (!atomic_load_explicit(&t->made, memory_order_relaxed)) {
		rc = make(t);
		if (rc == 0)
			atomic_store_explicit(&t->made, 1, memory_order_release);
	}
	pthread_mutex_unlock(&make_lock);
	return rc;
}

const char *table_query_sql(struct table_query *q)
{
	char *sql = atomic_load_explicit(&q->sql, memory_order_acquire);
	struct sqlbuf b = {0};

	if (sql)
		return sql;
	if (table_sql(q->t) != 0)
		return NULL;
	pthread_mutex_lock(&make_lock);
	sql = atomic_load_explicit(&q->sql, memory_order_relaxed);
	if (!sql) {
		size_t i;
		int k = 0;
		if (q->alias) {
			sql_add(&b, "SELECT ");
			for (i = 0; i < q->t->ncols; i++)
				if (!(q->t->cols[i].flags & COL_WRITE))
					sql_add(&b, "%s%s.%s", k++ ? ", " : "", q->alias,
						q->t->cols[i].name);
			sql_add(&b, "%s%s", q->tail[0] == ',' ? "" : " ", q->tail);
		} else {
			sql_add(&b, "SELECT %s %s", q->t->cols_sql, q->tail);
		}
		sql = sql_done(&b);
		atomic_store_explicit(&q->sql, sql, memory_order_release);
	}
	pthread_mutex_unlock(&make_lock);
	return sql;
}

/* ---- binding and reading ---------------------------------------------- */

static void bind_col(db_stmt *s, int i, const struct column *c, const void *row)
{
	static const unsigned char none[1];
	const char *p = (const char *)row + c->off;

	switch (c->kind) {
	case COL_TEXT:
		db_bind_str(s, i, p);
		break;
	case COL_OPT:
		db_bind_str(s, i, *p ? p : NULL);
		break;
	case COL_INT:
		db_bind_int(s, i, *(const int64_t *)(const void *)p);
		break;
	case COL_BOOL:
		db_bind_int(s, i, *(const int *)(const void *)p ? 1 : 0);
		break;
	case COL_COUNT:
		if (*(const int64_t *)(const void *)p >= 0)
			db_bind_int(s, i, *(const int64_t *)(const void *)p);
		else
			db_bind_null(s, i);
		break;
	case COL_JSON:
		db_bind_str(s, i, *(const char *const *)(const void *)p);
		break;
	case COL_TEXTN: {
		const char *v = *(const char *const *)(const void *)p;
		db_bind_str(s, i, v && *v ? v : NULL);
		break;
	}
	case COL_WORDS: {
		const char *v = *(const char *const *)(const void *)p;
		db_bind_str(s, i, v && *v ? v : " ");
		break;
	}
	case COL_BLOB:
	case COL_BLOB0:
	case COL_SEALED: {
		const unsigned char *v = *(const unsigned char *const *)(const void *)p;
		size_t n = *(const size_t *)(const void *)((const char *)row + c->aux);
		if (v && (n || c->kind == COL_BLOB))
			db_bind_blob(s, i, v, n);
		else if (c->kind == COL_SEALED)
			db_bind_blob(s, i, none, 0);
		else
			db_bind_null(s, i);
		break;
	}
	case COL_BYTES:
		db_bind_blob(s, i, p, c->size);
		break;
	case COL_HAS_BYTES:
		if (*(const int *)(const void *)((const char *)row + c->aux))
			db_bind_blob(s, i, p, c->size);
		else
			db_bind_null(s, i);
		break;
	case COL_SOME_BYTES: {
		size_t n = *(const size_t *)(const void *)((const char *)row + c->aux);
		if (n && n <= c->size)
			db_bind_blob(s, i, p, n);
		else
			db_bind_null(s, i);
		break;
	}
	}
}

int table_bind(db_stmt *s, const struct table *t, const void *row, unsigned skip, int first)
{
	size_t i;

	for (i = 0; i < t->ncols; i++)
		if (!(t->cols[i].flags & skip))
			bind_col(s, first++, &t->cols[i], row);
	return first;
}

static int read_col(db_stmt *s, int i, const struct column *c, void *row, arena *a)
{
	char *p = (char *)row + c->off;
	size_t n;

	switch (c->kind) {
	case COL_TEXT:
	case COL_OPT:
		store_col_copy(s, i, p, c->size);
		break;
	case COL_INT:
		*(int64_t *)(void *)p = db_col_int(s, i);
		break;
	case COL_BOOL:
		*(int *)(void *)p = (int)db_col_int(s, i);
		break;
	case COL_COUNT:
		*(int64_t *)(void *)p = db_col_null(s, i) ? -1 : db_col_int(s, i);
		break;
	case COL_TEXTN:
		if (db_col_null(s, i)) {
			*(const char **)(void *)p = "";
			break;
		}
		/* fall through */
	case COL_JSON:
	case COL_WORDS: {
		char *v = arena_strndup(a, db_col_text(s, i), db_col_bytes(s, i));
		if (!v)
			return STORE_ERROR;
		*(const char **)(void *)p = v;
		break;
	}
	case COL_BLOB:
	case COL_BLOB0:
	case COL_SEALED: {
		unsigned char *v = NULL;
		n = 0;
		if (c->kind == COL_SEALED || (c->kind == COL_BLOB && !db_col_null(s, i)) ||
		    (c->kind == COL_BLOB0 && db_col_bytes(s, i))) {
			n = db_col_bytes(s, i);
			v = arena_alloc(a, n ? n : 1);
			if (!v)
				return STORE_ERROR;
			if (n)
				memcpy(v, db_col_blob(s, i), n);
		}
		*(const unsigned char **)(void *)p = v;
		*(size_t *)(void *)((char *)row + c->aux) = n;
		break;
	}
	case COL_BYTES:
	case COL_HAS_BYTES:
		n = db_col_bytes(s, i);
		memset(p, 0, c->size);
		if (n == c->size)
			memcpy(p, db_col_blob(s, i), n);
		if (c->kind == COL_HAS_BYTES)
			*(int *)(void *)((char *)row + c->aux) = n == c->size;
		break;
	case COL_SOME_BYTES:
		n = db_col_bytes(s, i);
		if (n > c->size)
			n = 0;
		memset(p, 0, c->size);
		if (n)
			memcpy(p, db_col_blob(s, i), n);
		*(size_t *)(void *)((char *)row + c->aux) = n;
		break;
	}
	return STORE_OK;
}

int table_read_at(db_stmt *s, const struct table *t, int first, void *row, arena *a)
{
	size_t i;

	for (i = 0; i < t->ncols; i++)
		if (!(t->cols[i].flags & COL_WRITE) &&
		    read_col(s, first++, &t->cols[i], row, a) != STORE_OK)
			return -1;
	return first;
}

/* ---- generic statements ----------------------------------------------- */

int table_insert(store_tx *tx, struct table *t, const void *row)
{
	db_stmt *s;
	int rc;

	if (table_sql(t) != 0 || !(s = db_prepare(tx->d, t->insert_sql)))
		return STORE_ERROR;
	table_bind(s, t, row, COL_READ, 1);
	rc = db_step(s);
	db_reset(s);
	if (rc == DB_DONE)
		return STORE_OK;
	return rc == DB_CONSTRAINT ? STORE_CONFLICT : STORE_ERROR;
}

int table_get_on(db *d, struct table *t, const char *id, void *row, arena *a)
{
	struct table_query q = {t, "", NULL, NULL, NULL};
	db_stmt *s;

	if (table_sql(t) != 0 || !(s = db_prepare(d, t->get_sql)))
		return STORE_ERROR;
	db_bind_str(s, 1, id);
	return table_query_row(s, &q, row, a);
}

int table_get(store *st, struct table *t, const char *id, void *row, arena *a)
{
	db *d = store_reader_get(st);
	int rc = table_get_on(d, t, id, row, a);

	store_reader_put(st, d);
	return rc;
}

int table_update(store_tx *tx, struct table *t, const void *row)
{
	const struct column *v = version_col(t);
	db_stmt *s;
	size_t i;
	int next;

	if (!v || table_sql(t) != 0 || !(s = db_prepare(tx->d, t->update_sql)))
		return STORE_ERROR;
	bind_col(s, 1, &t->cols[0], row);
	next = table_bind(s, t, row, COL_FIXED | COL_READ | COL_SCOPE | COL_WRITE, 2);
	for (i = 1; i < t->ncols; i++)
		if (t->cols[i].flags & COL_SCOPE)
			bind_col(s, next++, &t->cols[i], row);
	db_bind_int(s, next, *(const int64_t *)(const void *)((const char *)row + v->off) - 1);
	return store_step_versioned(tx, s, t->exists_sql,
				    (const char *)row + t->cols[0].off);
}

int table_query_read(db_stmt *s, const struct table_query *q, void *row, arena *a)
{
	int next = table_read_at(s, q->t, 0, row, a);

	if (next < 0)
		return STORE_ERROR;
	return q->more ? q->more(s, next, row, a) : STORE_OK;
}

int table_query_row(db_stmt *s, const struct table_query *q, void *row, arena *a)
{
	int rc = db_step(s);

	if (rc == DB_ROW)
		rc = table_query_read(s, q, row, a);
	else
		rc = rc == DB_DONE ? STORE_NOT_FOUND : STORE_ERROR;
	db_reset(s);
	return rc;
}

int table_query_get(db *d, struct table_query *q, const char *key, void *row, arena *a)
{
	db_stmt *s = db_prepare(d, table_query_sql(q));

	if (!s)
		return STORE_ERROR;
	if (key)
		db_bind_str(s, 1, key);
	return table_query_row(s, q, row, a);
}

int table_query_collect(db_stmt *s, const struct table_query *q, size_t size, size_t limit,
			void **rows, size_t *n, arena *a)
{
	size_t cap = 16;
	char *out = arena_alloc(a, cap * size);
	int rc = DB_ERROR;

	*n = 0;
	while (out && (rc = db_step(s)) == DB_ROW && *n < limit) {
		out = store_grow(a, out, &cap, *n, size);
		if (!out || table_query_read(s, q, out + *n * size, a) != STORE_OK) {
			out = NULL;
			break;
		}
		(*n)++;
	}
	if (!out)
		rc = DB_ERROR;
	db_reset(s);
	*rows = out;
	return rc == DB_DONE || rc == DB_ROW ? STORE_OK : STORE_ERROR;
}

int table_query_get_pool(store *st, struct table_query *q, const char *key, void *row,
			 arena *a)
{
	db *d = store_reader_get(st);
	int rc = table_query_get(d, q, key, row, a);

	store_reader_put(st, d);
	return rc;
}

int table_query_collect_pool(store *st, db *d, db_stmt *s, const struct table_query *q,
			     size_t size, size_t limit, void **rows, size_t *n, arena *a)
{
	int rc = STORE_ERROR;

	*n = 0;
	*rows = NULL;
	if (s)
		rc = table_query_collect(s, q, size, limit, rows, n, a);
	store_reader_put(st, d);
	return rc;
}

int table_query_list_pool(store *st, struct table_query *q, const char *key, size_t limit,
			  size_t size, void **rows, size_t *n, arena *a)
{
	db *d = store_reader_get(st);
	const char *sql = table_query_sql(q);
	db_stmt *s = sql ? db_prepare(d, sql) : NULL;
	int next = 1;

	if (s) {
		if (key)
			db_bind_str(s, next++, key);
		if (db_params(s) >= next)
			db_bind_int(s, next, (int64_t)limit);
	}
	return table_query_collect_pool(st, d, s, q, size, limit, rows, n, a);
}

/* ---- rows handed over one by one, ids, one number ----------------------- */

int table_each(db_stmt *s, int (*fn)(void *ctx, db_stmt *s), void *ctx)
{
	int rc;

	if (!s)
		return STORE_ERROR;
	while ((rc = db_step(s)) == DB_ROW) {
		if (fn(ctx, s)) {
			rc = DB_ERROR;
			break;
		}
	}
	db_reset(s);
	return rc == DB_DONE ? STORE_OK : STORE_ERROR;
}

int table_each_pool(store *st, db *d, db_stmt *s, int (*fn)(void *ctx, db_stmt *s), void *ctx)
{
	int rc = table_each(s, fn, ctx);

	store_reader_put(st, d);
	return rc;
}

int table_each_texts(store *st, const char *sql, const char *const *v, size_t n,
		     int (*fn)(void *ctx, db_stmt *s), void *ctx)
{
	db *d = store_reader_get(st);
	db_stmt *s = db_prepare(d, sql);
	size_t i;

	for (i = 0; s && i < n; i++)
		db_bind_str(s, (int)i + 1, v[i]);
	return table_each_pool(st, d, s, fn, ctx);
}

int table_exists(store *st, const char *sql, const char *const *v, size_t n)
{
	db *d = store_reader_get(st);
	db_stmt *s = db_prepare(d, sql);
	size_t i;
	int rc;

	for (i = 0; s && i < n; i++)
		db_bind_str(s, (int)i + 1, v[i]);
	rc = store_step_row(s);
	if (rc == STORE_OK)
		db_reset(s);
	store_reader_put(st, d);
	return rc;
}

int table_ids(db_stmt *s, char (*ids)[ID_LEN], size_t max, size_t *n)
{
	int rc;

	*n = 0;
	if (!s)
		return STORE_ERROR;
	while ((rc = db_step(s)) == DB_ROW && *n < max)
		store_col_copy(s, 0, ids[(*n)++], ID_LEN);
	db_reset(s);
	return rc == DB_DONE || rc == DB_ROW ? STORE_OK : STORE_ERROR;
}

int table_ids_pool(store *st, db *d, db_stmt *s, char (*ids)[ID_LEN], size_t max, size_t *n)
{
	int rc = table_ids(s, ids, max, n);

	store_reader_put(st, d);
	return rc;
}

int table_ids_of(store *st, const char *sql, const char *text, char (*ids)[ID_LEN], size_t max,
		 size_t *n)
{
	db *d = store_reader_get(st);
	db_stmt *s = db_prepare(d, sql);

	if (s) {
		db_bind_str(s, 1, text);
		db_bind_int(s, 2, (int64_t)max);
	}
	return table_ids_pool(st, d, s, ids, max, n);
}

int table_int(db_stmt *s, int64_t *v)
{
	int rc;

	*v = 0;
	if (!s)
		return STORE_ERROR;
	rc = db_step(s);
	if (rc == DB_ROW)
		*v = db_col_int(s, 0);
	db_reset(s);
	return rc == DB_ROW ? STORE_OK : STORE_ERROR;
}

/* The parameter of slot i (0..63) of TABLE_BY_IDS's IN: ?1..?8, ?11..?18,
 * ... ?71..?78. */
static int by_ids_param(size_t i)
{
	return (int)((i / 8) * 10 + i % 8 + 1);
}

int table_get_ids(store *st, struct table_query by_ids[2], size_t size, size_t id_off,
		  const char *const *ids, size_t n, void *out, unsigned char *found, arena *a)
{
	size_t from, i, k, got, at_once;
	db *d;
	int rc = STORE_OK;

	memset(found, 0, n);
	if (n == 0)
		return STORE_OK;
	d = store_reader_get(st);
	at_once = db_has_arrays(d) ? n : TABLE_AT_ONCE;
	for (from = 0; from < n && rc == STORE_OK; from += at_once) {
		size_t batch = n - from < at_once ? n - from : at_once;
		struct table_query *q = &by_ids[db_has_arrays(d)];
		const char *sql = table_query_sql(q);
		db_stmt *s = sql ? db_prepare(d, sql) : NULL;
		char *rows;
		void *got_rows;

		if (!s) {
			rc = STORE_ERROR;
			break;
		}
		if (db_has_arrays(d))
			db_bind_text_array(s, 1, ids, n);
		else
			for (i = 0; i < TABLE_AT_ONCE; i++)
				db_bind_str(s, by_ids_param(i), ids[from + (i < batch ? i : 0)]);
		rc = table_query_collect(s, q, size, at_once, &got_rows, &got, a);
		rows = got_rows;
		/* One id may be asked for several times (a page may show one
		 * person's cases several times). */
		for (k = 0; rc == STORE_OK && k < got; k++) {
			const char *id = rows + k * size + id_off;
			for (i = from; i < from + batch; i++)
				if (!found[i] && !strcmp(ids[i], id)) {
					memcpy((char *)out + i * size, rows + k * size, size);
					found[i] = 1;
				}
		}
	}
	store_reader_put(st, d);
	return rc;
}
