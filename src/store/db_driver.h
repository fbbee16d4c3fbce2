/*
 * db_driver.h - what a driver behind db.h provides (after Redis's ae.h:
 * one file per backend, one table of functions each).  db.c picks the
 * driver when a database is opened and calls through the table; every
 * driver's struct db and struct db_stmt start with the table's address.
 */
#ifndef HIMOYA_DB_DRIVER_H
#define HIMOYA_DB_DRIVER_H

#include "store/db.h"

struct db_driver {
	int (*open)(const char *path, enum db_mode mode, db **out, char *err, size_t errlen);
	void (*close)(db *d);
	const char *(*errmsg)(db *d);
	int (*exec)(db *d, const char *sql);
	db_stmt *(*prepare)(db *d, const char *sql);
	void (*bind_text)(db_stmt *s, int i, const char *v, size_t n);
	void (*bind_blob)(db_stmt *s, int i, const void *v, size_t n);
	void (*bind_int)(db_stmt *s, int i, int64_t v);
	void (*bind_null)(db_stmt *s, int i);
	int (*params)(db_stmt *s);
	int (*step)(db_stmt *s);
	const char *(*col_text)(db_stmt *s, int i);
	const void *(*col_blob)(db_stmt *s, int i);
	size_t (*col_bytes)(db_stmt *s, int i);
	int64_t (*col_int)(db_stmt *s, int i);
	int (*col_null)(db_stmt *s, int i);
	int (*col_type)(db_stmt *s, int i);
	void (*reset)(db_stmt *s);
	int64_t (*changes)(db *d);
	int (*begin)(db *d);
	int (*commit)(db *d);
	void (*rollback)(db *d);
	int (*bulk)(db *d, int on);
	int (*loaded)(db *d); /* NULL: nothing to do after a bulk load */
	int (*pipeline)(db *d, int on); /* NULL: no round trips to save */
	int (*autocheckpoint)(db *d, int on);
	int (*checkpoint)(db *d, int *left);
	/* The secondary indexes of table ?1: rows (name, definition). */
	const char *indexes_sql;
	int (*table_exists)(db *d, const char *table);
	int (*backup_to)(db *d, const char *path, char *err, size_t errlen);
	/* A begin that waits at most ms for another's lock (NULL: begin). */
	int (*begin_wait)(db *d, int ms);
	/* n strings as one array parameter (NULL: the driver has no arrays). */
	void (*bind_text_array)(db_stmt *s, int i, const char *const *v, size_t n);
};

/* The first member of every driver's struct db and struct db_stmt. */
struct db_head {
	const struct db_driver *drv;
};

extern const struct db_driver db_sqlite;
extern const struct db_driver db_pg;

#endif
