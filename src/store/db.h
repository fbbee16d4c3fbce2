/*
 * db.h - the driver interface under the store (after Redis's ae.h with one
 * file per backend): sqlite.c for a file, pg.c (libpq) for a
 * postgresql:// URL; db.c picks one at db_open.
 *
 * SQL handed to the driver stays in the common subset of SQLite and
 * PostgreSQL and numbers its parameters ?1, ?2, ... (pg.c rewrites them
 * to $1, $2).  The few SQLite functions the store's SQL calls
 * (json_extract, json_each) exist in the PostgreSQL schema too.  Statements are cached per connection, keyed
 * by the address of the SQL text, so callers pass string constants.
 *
 * A connection is used by one thread at a time; the store hands them out.
 */
#ifndef HIMOYA_DB_H
#define HIMOYA_DB_H

#include <stddef.h>
#include <stdint.h>

typedef struct db db;
typedef struct db_stmt db_stmt;

enum db_status {
	DB_OK = 0,
	DB_ROW,        /* db_step: a row is ready */
	DB_DONE,       /* db_step: no more rows */
	DB_CONSTRAINT, /* a uniqueness or check constraint failed */
	DB_BUSY,       /* the database is locked past the busy timeout */
	DB_ERROR,
	DB_UNAVAILABLE, /* the database cannot be reached (PostgreSQL down or failing over) */
};

enum db_mode { DB_READ, DB_WRITE };

/* Open (creating when mode is DB_WRITE) the database at path: a SQLite
 * file, or a PostgreSQL database named by a postgresql:// URL. */
int db_open(const char *path, enum db_mode mode, db **out, char *err, size_t errlen);
void db_close(db *d);
/* Whether path names a PostgreSQL database (postgresql:// or postgres://). */
int db_is_url(const char *path);
/* A postgresql:// URL libpq can read (1), and whether it holds a password
 * (never to be printed). */
int db_url_ok(const char *url);
int db_url_has_password(const char *url);
/* What this thread's last failed call said of the failure: DB_BUSY,
 * DB_UNAVAILABLE or DB_ERROR (0 when none since db_failure_clear), so
 * that a caller several layers up can tell "try again" from a fault. */
/* "himoya: SQL error: ..." on stderr, at most 10 lines a second (then
 * how many were left out, with the next one shown). */
void db_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int db_last_failure(void);
void db_failure_clear(void);
int db_is_sqlite(db *d);
/* 1 when the table exists, 0 when not, DB_ERROR-ish negative on failure. */
int db_table_exists(db *d, const char *table);
const char *db_errmsg(db *d);

/* Run one or more statements without parameters (migrations, pragmas). */
int db_exec(db *d, const char *sql);

/* The cached prepared statement for this SQL constant, reset and with its
 * bindings cleared; NULL on a syntax error (see db_errmsg). */
db_stmt *db_prepare(db *d, const char *sql);
/* Bound text and blobs are NOT copied: they must stay unchanged until the
 * statement is stepped for the last time (every store function binds and
 * steps within one scope).  A bind that fails (a parameter the statement
 * does not have, a value too large) is kept, the first one only, and
 * db_step returns DB_ERROR for it without running the statement, until
 * the next db_prepare. */
void db_bind_text(db_stmt *s, int i, const char *v, size_t n);
void db_bind_str(db_stmt *s, int i, const char *v); /* NULL binds null */
void db_bind_blob(db_stmt *s, int i, const void *v, size_t n);
void db_bind_int(db_stmt *s, int i, int64_t v);
void db_bind_null(db_stmt *s, int i);
/* PostgreSQL: the n strings v[0..n) as one text[] parameter, copied, for
 * "col = ANY(CAST(?i AS TEXT[]))": a list of any length in one statement
 * and one round trip, where SQLite, which has no arrays and no round
 * trips, takes "col IN (?2, ?3, ...)" a batch at a time.  A driver
 * without arrays (SQLite) fails the statement's step (a bind error);
 * db_has_arrays says which. */
void db_bind_text_array(db_stmt *s, int i, const char *const *v, size_t n);
int db_has_arrays(db *d);
/* The number of the statement's highest parameter (?N), for a caller that
 * binds a set of filters some statements leave out. */
int db_params(db_stmt *s);
int db_step(db_stmt *s);
/* Columns of the current row, numbered from 0; valid until the next step
 * or reset. */
const char *db_col_text(db_stmt *s, int i); /* never NULL: "" for null */
const void *db_col_blob(db_stmt *s, int i);
size_t db_col_bytes(db_stmt *s, int i);
int64_t db_col_int(db_stmt *s, int i);
int db_col_null(db_stmt *s, int i);
/* What the column holds in the current row (copying rows between drivers). */
enum db_type { DB_T_NULL, DB_T_INT, DB_T_TEXT, DB_T_BLOB };
int db_col_type(db_stmt *s, int i);
void db_reset(db_stmt *s);
/* Rows changed by the last write statement. */
int64_t db_changes(db *d);

/* BEGIN IMMEDIATE / COMMIT / ROLLBACK */
int db_begin(db *d);
int db_commit(db *d);
void db_rollback(db *d);
/* How long a write waits for a lock another connection holds (SQLite's
 * busy timeout) before DB_BUSY. */
#define DB_BUSY_TIMEOUT_MS 10000

/* db_begin, but DB_BUSY after ms (at once for nowait) when another
 * connection holds the write lock (SQLite waits up to its busy timeout
 * otherwise). */
int db_begin_wait(db *d, int ms);
int db_begin_nowait(db *d);

/* Tune the connection for a bulk load (on: a large page cache, foreign
 * keys not checked; SQLite, holding the file alone, keeps a rollback
 * journal instead of WAL and does not wait for the disk) or back to normal (off); outside a
 * transaction. */
int db_bulk(db *d, int on);
/* After a bulk load (the demo's, a migrate's copy), outside a
 * transaction: PostgreSQL marks the loaded pages all-visible and makes
 * the planner's statistics (VACUUM (ANALYZE): autovacuum comes later, and
 * until it did the name search's index-only scans visited the table for
 * the rows loaded last, p99 65-386 ms at 1,000,000 persons; 24-51 ms
 * after).  Nothing on SQLite. */
int db_loaded(db *d);
/* Send the writes of this transaction whose results are not read without
 * waiting for each (PostgreSQL's pipeline mode; see pg.c) until off; at
 * the begin of a transaction and after its end.  Nothing on SQLite,
 * where a statement is no round trip. */
int db_pipeline(db *d, int on);
/* Leave checkpoints to another connection (on) or let every commit that
 * finds the WAL long do one, as SQLite does by default (off). */
int db_autocheckpoint(db *d, int on);
/* Copy what the WAL holds into the database without waiting for (or
 * blocking) readers and the writer: SQLite's PASSIVE checkpoint.  Sets
 * *left to the frames not yet copied. */
int db_checkpoint(db *d, int *left);
/* Drop the secondary indexes of a table (not those of its primary key or
 * UNIQUE constraints), appending their definitions to *saved as
 * statements ("CREATE INDEX ...;\n"), so that db_exec(d, *saved) makes
 * them again.  *saved is malloc'd (NULL or a string before the call);
 * the caller frees it. */
int db_indexes_drop(db *d, const char *table, char **saved);

/* The process id of another process that has the SQLite database file at
 * path open (a connection in WAL mode holds a shared lock on it as long as
 * it is open, whatever the name it opened: a hard link is the same file),
 * -1 when one does but its id is unknown, 0 when none does.  Only while
 * this process has no connection to the file: the close of the probe's
 * descriptor drops every POSIX lock the process holds on it. */
long db_file_user(const char *path);

/* A consistent copy of the open database into a new file at path. */
int db_backup_to(db *d, const char *path, char *err, size_t errlen);

#endif
