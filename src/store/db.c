/*
 * db.c - the front of db.h: picks the driver from the database's name
 * (a postgresql:// URL is PostgreSQL, anything else a SQLite file) and
 * calls through its table.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/db_driver.h"
#include "util/lograte.h"

#define DRV(x) (((const struct db_head *)(x))->drv)

/* Per thread, as a connection is used by one thread at a time: the
 * request that met the failure asks on the thread that met it. */
static _Thread_local int last_failure;

static int noted(int rc)
{
	if (rc == DB_BUSY || rc == DB_ERROR || rc == DB_UNAVAILABLE)
		last_failure = rc;
	return rc;
}

/* At most 10 lines a second (util/lograte.h): an outage fails every
 * statement of every request. */
static struct lograte sql_errors = LOGRATE_INIT("SQL errors", 10);

void db_log(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	lograte_vprint(&sql_errors, "SQL error: ", fmt, ap);
	va_end(ap);
}

int db_last_failure(void) { return last_failure; }
void db_failure_clear(void) { last_failure = 0; }

int db_is_url(const char *path)
{
	return strncmp(path, "postgresql://", 13) == 0 || strncmp(path, "postgres://", 11) == 0;
}

int db_open(const char *path, enum db_mode mode, db **out, char *err, size_t errlen)
{
	return noted((db_is_url(path) ? &db_pg : &db_sqlite)->open(path, mode, out, err, errlen));
}

int db_is_sqlite(db *d) { return DRV(d) == &db_sqlite; }

void db_close(db *d)
{
	if (d)
		DRV(d)->close(d);
}

const char *db_errmsg(db *d) { return DRV(d)->errmsg(d); }
int db_exec(db *d, const char *sql) { return noted(DRV(d)->exec(d, sql)); }
db_stmt *db_prepare(db *d, const char *sql) { return DRV(d)->prepare(d, sql); }
void db_bind_text(db_stmt *s, int i, const char *v, size_t n) { DRV(s)->bind_text(s, i, v, n); }

void db_bind_str(db_stmt *s, int i, const char *v)
{
	if (v)
		DRV(s)->bind_text(s, i, v, strlen(v));
	else
		DRV(s)->bind_null(s, i);
}

void db_bind_blob(db_stmt *s, int i, const void *v, size_t n) { DRV(s)->bind_blob(s, i, v, n); }
void db_bind_int(db_stmt *s, int i, int64_t v) { DRV(s)->bind_int(s, i, v); }
void db_bind_null(db_stmt *s, int i) { DRV(s)->bind_null(s, i); }

void db_bind_text_array(db_stmt *s, int i, const char *const *v, size_t n)
{
	if (DRV(s)->bind_text_array)
		DRV(s)->bind_text_array(s, i, v, n);
	else
		DRV(s)->bind_null(s, 0); /* no parameter 0: the step fails */
}

int db_has_arrays(db *d) { return DRV(d)->bind_text_array != NULL; }
int db_params(db_stmt *s) { return DRV(s)->params(s); }
int db_step(db_stmt *s) { return noted(DRV(s)->step(s)); }
const char *db_col_text(db_stmt *s, int i) { return DRV(s)->col_text(s, i); }
const void *db_col_blob(db_stmt *s, int i) { return DRV(s)->col_blob(s, i); }
size_t db_col_bytes(db_stmt *s, int i) { return DRV(s)->col_bytes(s, i); }
int64_t db_col_int(db_stmt *s, int i) { return DRV(s)->col_int(s, i); }
int db_col_null(db_stmt *s, int i) { return DRV(s)->col_null(s, i); }
int db_col_type(db_stmt *s, int i) { return DRV(s)->col_type(s, i); }
void db_reset(db_stmt *s) { DRV(s)->reset(s); }
int64_t db_changes(db *d) { return DRV(d)->changes(d); }
int db_begin(db *d) { return noted(DRV(d)->begin(d)); }
static int begin_wait(db *d, int ms)
{
	return DRV(d)->begin_wait ? DRV(d)->begin_wait(d, ms) : DRV(d)->begin(d);
}

int db_begin_wait(db *d, int ms) { return noted(begin_wait(d, ms)); }
/* Not noted: a write that may be skipped is no failure to report. */
int db_begin_nowait(db *d) { return begin_wait(d, 0); }
int db_commit(db *d) { return noted(DRV(d)->commit(d)); }
void db_rollback(db *d) { DRV(d)->rollback(d); }
int db_bulk(db *d, int on) { return DRV(d)->bulk(d, on); }
int db_loaded(db *d) { return DRV(d)->loaded ? DRV(d)->loaded(d) : DB_OK; }
int db_pipeline(db *d, int on) { return DRV(d)->pipeline ? DRV(d)->pipeline(d, on) : DB_OK; }
int db_autocheckpoint(db *d, int on) { return DRV(d)->autocheckpoint(d, on); }
int db_checkpoint(db *d, int *left) { return DRV(d)->checkpoint(d, left); }
int db_table_exists(db *d, const char *table) { return DRV(d)->table_exists(d, table); }

int db_backup_to(db *d, const char *path, char *err, size_t errlen)
{
	return DRV(d)->backup_to(d, path, err, errlen);
}

/* Each driver says where its catalog lists a table's secondary indexes;
 * dropping them and keeping their definitions is the same on both. */
int db_indexes_drop(db *d, const char *table, char **saved)
{
	db_stmt *s = db_prepare(d, DRV(d)->indexes_sql);
	char names[32][128];
	size_t n = 0, i, have = *saved ? strlen(*saved) : 0;
	int rc;

	if (!s)
		return DB_ERROR;
	db_bind_str(s, 1, table);
	while ((rc = db_step(s)) == DB_ROW && n < 32) {
		const char *sql = db_col_text(s, 1);
		size_t len = strlen(sql);
		char *grown = realloc(*saved, have + len + 3);
		if (!grown) {
			db_reset(s);
			return DB_ERROR;
		}
		memcpy(grown + have, sql, len);
		memcpy(grown + have + len, ";\n", 3);
		have += len + 2;
		*saved = grown;
		snprintf(names[n++], sizeof names[0], "%s", db_col_text(s, 0));
	}
	db_reset(s);
	if (rc != DB_DONE && rc != DB_ROW)
		return DB_ERROR;
	for (i = 0; i < n; i++) {
		char drop[sizeof names[0] + 24];
		/* A name from the catalog, quoted: identifiers cannot be bound. */
		snprintf(drop, sizeof drop, "DROP INDEX \"%.127s\"", names[i]);
		if (strchr(names[i], '"') || db_exec(d, drop) != DB_OK)
			return DB_ERROR;
	}
	return DB_OK;
}
