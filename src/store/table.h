/*
 * table.h - each table of the store described once: a column table per
 * row struct (name, kind, offset, size), from which the column lists, the
 * INSERT, the get-by-id and the versioned UPDATE are made, and through
 * which rows are bound and read.  The SQL made here is plain text with
 * ?N placeholders and goes through db.h only, so a second driver needs
 * nothing of this file.
 *
 * Conventions a described table keeps: its first column is its primary
 * key "id" (text), and a versioned table has one column of kind COL_INT
 * flagged COL_VERSION.  Statements are made once, at first use, and kept
 * for the life of the process (db_prepare caches by the SQL's address).
 */
#ifndef HIMOYA_TABLE_H
#define HIMOYA_TABLE_H

#include <stdatomic.h>
#include <stddef.h>

#include "store/store_internal.h"

enum col_kind {
	COL_TEXT,    /* char[size], bound as it is */
	COL_OPT,     /* char[size]; "" is bound as NULL, NULL read as "" */
	COL_INT,     /* int64_t */
	COL_BOOL,    /* int */
	COL_COUNT,   /* int64_t that is SQL NULL when negative (read as -1) */
	COL_JSON,    /* const char *, NOT NULL text; read into the arena */
	COL_TEXTN,   /* const char *, text that may be NULL: NULL and "" are bound
		      * as NULL, NULL is read as "" (into the arena) */
	COL_WORDS,   /* the same for codes between spaces: none is " " */
	COL_BLOB,    /* const unsigned char * and its size_t length at aux: NULL
		      * pointer <-> SQL NULL */
	COL_SEALED,  /* the same for a NOT NULL column: no data is an empty
		      * blob, and a read always gives a pointer */
	COL_BLOB0,   /* as COL_BLOB, but an empty blob is none (NULL) both ways */
	COL_BYTES,   /* unsigned char[size], a fixed-size blob */
	COL_HAS_BYTES, /* unsigned char[size] present when the int at aux is
			* not 0, else SQL NULL (read sets the int) */
	COL_SOME_BYTES, /* unsigned char[size] holding the size_t at aux bytes;
			 * 0 is SQL NULL, and a longer value reads as 0 */
};

enum {
	COL_FIXED = 1,   /* written by the insert, never by an update */
	COL_VERSION = 2, /* the row's version (COL_INT) */
	COL_READ = 4,    /* only read: written by neither (set elsewhere) */
	COL_SCOPE = 8,   /* COL_FIXED, and an update matches it too (the row
			  * must still be the organisation's) */
	COL_WRITE = 16,  /* only written, by the insert: never selected nor
			  * read (a large blob read by a query of its own) */
};

struct column {
	const char *name;
	unsigned char kind, flags;
	size_t off, size, aux;
};

#define COL_MEMBER_SIZE(type, m) sizeof(((type *)0)->m)
/* A column named as its member. */
#define TCOL(type, m, kind, flags) \
	{ #m, kind, flags, offsetof(type, m), COL_MEMBER_SIZE(type, m), 0 }
/* A column named otherwise than its member. */
#define TCOLN(type, m, name, kind, flags) \
	{ name, kind, flags, offsetof(type, m), COL_MEMBER_SIZE(type, m), 0 }
/* A blob column with its length member (COL_BLOB, COL_SEALED,
 * COL_SOME_BYTES), or fixed bytes with their presence flag (COL_HAS_BYTES). */
#define TCOL2(type, m, kind, flags, aux) \
	{ #m, kind, flags, offsetof(type, m), COL_MEMBER_SIZE(type, m), offsetof(type, aux) }
#define TCOLN2(type, m, name, kind, flags, aux) \
	{ name, kind, flags, offsetof(type, m), COL_MEMBER_SIZE(type, m), offsetof(type, aux) }

struct table {
	const char *name;
	const struct column *cols;
	size_t ncols;
	/* Made at first use (table_sql). */
	atomic_int made;
	char *cols_sql;   /* "id, org_id, ..." */
	char *insert_sql;
	char *get_sql;
	char *update_sql; /* NULL for a table without a version */
	char *exists_sql;
};

#define TABLE(tname, cols) \
	{ tname, cols, sizeof cols / sizeof cols[0], 0, NULL, NULL, NULL, NULL, NULL }

/* A query whose result is the table's rows: "SELECT <columns> " + tail
 * (e.g. "FROM items WHERE case_id = ?1 ORDER BY at").  With an alias,
 * each column is qualified by it ("f.id, f.kind, ..."), and the tail may
 * begin with more columns (", a.code FROM referrals f JOIN ..."), read
 * after the table's. */
struct table_query {
	struct table *t;
	const char *tail;
	_Atomic(char *) sql;
	const char *alias;
	/* Reads the tail's own columns (from column `first`) into the row;
	 * NULL when the tail has none. */
	int (*more)(db_stmt *s, int first, void *row, arena *a);
};

#define TABLE_QUERY(table, tail) { &table, tail, NULL, NULL, NULL }
#define TABLE_QUERY_AS(table, alias, tail, more) { &table, tail, NULL, alias, more }

/* Make the table's statements (once); -1 when out of memory. */
int table_sql(struct table *t);
/* The SQL of a query (made once); NULL when out of memory. */
const char *table_query_sql(struct table_query *q);

/* Bind the columns of row to parameters first, first + 1, ..., skipping
 * those whose flags meet `skip`; returns the next parameter's number. */
int table_bind(db_stmt *s, const struct table *t, const void *row, unsigned skip, int first);
/* Read the current row, its columns in the table's order from column
 * `first` on (a table joined in a query's tail), into row; text and blobs
 * that point go into the arena (which may be NULL for a table without
 * such columns).  Returns the number of the column after the table's, or
 * -1. */
int table_read_at(db_stmt *s, const struct table *t, int first, void *row, arena *a);

/* A row of a query: the table's columns, then the tail's (q->more). */
int table_query_read(db_stmt *s, const struct table_query *q, void *row, arena *a);
/* Step a bound statement of query q once: STORE_OK and its first row in
 * row, STORE_NOT_FOUND, or STORE_ERROR; resets s. */
int table_query_row(db_stmt *s, const struct table_query *q, void *row, arena *a);
/* The first row of a query whose ?1 is key (NULL: a query without
 * parameters), on connection d: STORE_OK, STORE_NOT_FOUND, STORE_ERROR. */
int table_query_get(db *d, struct table_query *q, const char *key, void *row, arena *a);

/* INSERT every column but the COL_READ ones: STORE_OK, STORE_CONFLICT
 * (a unique key or check), STORE_ERROR. */
int table_insert(store_tx *tx, struct table *t, const void *row);
/* The row of this id on connection d: STORE_OK, STORE_NOT_FOUND,
 * STORE_ERROR. */
int table_get_on(db *d, struct table *t, const char *id, void *row, arena *a);
/* The same on a reader of the pool. */
int table_get(store *st, struct table *t, const char *id, void *row, arena *a);
/* Write the columns not COL_FIXED/COL_READ/COL_SCOPE when the stored
 * version is the row's version - 1 and the COL_SCOPE columns are the
 * row's (as store_step_versioned answers). */
int table_update(store_tx *tx, struct table *t, const void *row);
/* Step s, a query of q, to its end, reading at most limit rows of `size`
 * bytes (the table's columns, then its tail's) into an arena array (grown
 * as needed); resets s. */
int table_query_collect(db_stmt *s, const struct table_query *q, size_t size, size_t limit,
			void **rows, size_t *n, arena *a);

/* The rows of ids[0..n) (n of any size), found[i] set for those there
 * are, in the order of ids whatever the statement's; the row of ids[i]
 * in out + i * size (its id, a char array, at id_off).  by_ids is a pair made
 * by TABLE_BY_IDS: on SQLite TABLE_AT_ONCE ids a statement, the slots a
 * shorter batch leaves bound to its first id again; on PostgreSQL all of
 * them in one, as one text[] (db_bind_text_array). */
#define TABLE_AT_ONCE 64
#define TABLE_P8(a) "?" #a "1, ?" #a "2, ?" #a "3, ?" #a "4, ?" #a "5, ?" #a "6, ?" #a "7, ?" #a "8"
#define TABLE_BY_IDS(table, from)                                                              \
	{TABLE_QUERY(table, "FROM " from " WHERE id IN (" TABLE_P8() ", " TABLE_P8(1) ", "     \
			    TABLE_P8(2) ", " TABLE_P8(3) ", " TABLE_P8(4) ", " TABLE_P8(5) ", " \
			    TABLE_P8(6) ", " TABLE_P8(7) ")"),                                 \
	 TABLE_QUERY(table, "FROM " from " WHERE id = ANY(CAST(?1 AS TEXT[]))")}
int table_get_ids(store *st, struct table_query by_ids[2], size_t size, size_t id_off,
		  const char *const *ids, size_t n, void *out, unsigned char *found, arena *a);

/* The tables other files of the store select from. */
extern struct table store_items;
extern struct table store_orgs; /* struct org (accounts.c) */

/* table_query_get on a reader of the pool. */
int table_query_get_pool(store *st, struct table_query *q, const char *key, void *row,
			 arena *a);
/* The rows of query q on a reader of the pool: its ?1 bound to key unless
 * key is NULL, and its next parameter, when it has one, to limit; at most
 * limit rows of `size` bytes into an arena array (table_query_collect). */
int table_query_list_pool(store *st, struct table_query *q, const char *key, size_t limit,
			  size_t size, void **rows, size_t *n, arena *a);
/* table_query_collect of a bound statement s (NULL when it did not
 * prepare: STORE_ERROR) on reader d, which goes back to the pool; *rows
 * is NULL and *n 0 unless rows were read. */
int table_query_collect_pool(store *st, db *d, db_stmt *s, const struct table_query *q,
			     size_t size, size_t limit, void **rows, size_t *n, arena *a);

/* Step the bound read s to its end, handing each row to fn(ctx, s) until
 * fn returns non-zero; resets s.  STORE_OK when every row was handed
 * over, else STORE_ERROR (also for a NULL s: it did not prepare). */
int table_each(db_stmt *s, int (*fn)(void *ctx, db_stmt *s), void *ctx);
/* The same on reader d, which goes back to the pool. */
int table_each_pool(store *st, db *d, db_stmt *s, int (*fn)(void *ctx, db_stmt *s), void *ctx);
/* The same for sql on a reader of the pool, its ?1 .. ?n bound to the
 * texts v[0 .. n) (NULL binds SQL NULL). */
int table_each_texts(store *st, const char *sql, const char *const *v, size_t n,
		     int (*fn)(void *ctx, db_stmt *s), void *ctx);
/* Whether sql, on a reader of the pool with ?1 .. ?n bound to the texts
 * v[0 .. n), reads a row: STORE_OK, STORE_NOT_FOUND or STORE_ERROR. */
int table_exists(store *st, const char *sql, const char *const *v, size_t n);
/* The first column of the rows of the bound read s (NULL: STORE_ERROR),
 * at most max, into ids (*n of them); resets s.  Rows past max are left
 * unread: STORE_OK. */
int table_ids(db_stmt *s, char (*ids)[ID_LEN], size_t max, size_t *n);
/* The same on reader d, which goes back to the pool. */
int table_ids_pool(store *st, db *d, db_stmt *s, char (*ids)[ID_LEN], size_t max, size_t *n);
/* The same for sql on a reader of the pool, ?1 bound to text and ?2 to
 * max (a LIMIT). */
int table_ids_of(store *st, const char *sql, const char *text, char (*ids)[ID_LEN], size_t max,
		 size_t *n);
/* The integer in the first column of the one row of the bound read s (a
 * count): STORE_OK, or STORE_ERROR (no row, or a NULL s) with *v 0;
 * resets s. */
int table_int(db_stmt *s, int64_t *v);

#endif
