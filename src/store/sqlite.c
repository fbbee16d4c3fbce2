/*
 * sqlite.c - the SQLite driver behind db.h.
 *
 * Every connection runs in WAL mode with synchronous=FULL, so that a
 * commit that returned is on disk, and foreign keys on.  Readers are
 * opened read-only.  Prepared statements are cached per connection in a
 * small open-addressing table keyed by the SQL constant's address.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <stdint.h>
#include <time.h>
#include <unistd.h>
#include <sqlite3.h>

#include "store/db_driver.h"

#define STMT_SLOTS 256 /* power of two; more distinct statements than we have */

struct db_stmt {
	struct db_head head;
	const char *sql;
	sqlite3_stmt *st;
	db *owner;
	int bind_rc; /* the first failed bind since the prepare, or SQLITE_OK */
};

struct db {
	struct db_head head;
	sqlite3 *h;
	time_t cut_at; /* the WAL last cut back (sq_checkpoint) */
	struct db_stmt slots[STMT_SLOTS];
};

static int db_status_of(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_OK: return DB_OK;
	case SQLITE_ROW: return DB_ROW;
	case SQLITE_DONE: return DB_DONE;
	case SQLITE_CONSTRAINT: return DB_CONSTRAINT;
	case SQLITE_BUSY: case SQLITE_LOCKED: return DB_BUSY;
	default: return DB_ERROR;
	}
}

/* Process-wide settings, before SQLite initialises itself: no memory
 * statistics, whose global mutex every allocation would otherwise take. */
static void db_configure(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

static int sq_open(const char *path, enum db_mode mode, db **out, char *err, size_t errlen)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	int flags = SQLITE_OPEN_NOMUTEX;
	db *d;
	int rc;

	pthread_once(&once, db_configure);
	*out = NULL;
	flags |= mode == DB_WRITE ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
				  : SQLITE_OPEN_READONLY;
	d = calloc(1, sizeof *d);
	if (!d) {
		snprintf(err, errlen, "out of memory");
		return DB_ERROR;
	}
	d->head.drv = &db_sqlite;
	rc = sqlite3_open_v2(path, &d->h, flags, NULL);
	if (rc != SQLITE_OK)
		goto fail;
	sqlite3_busy_timeout(d->h, DB_BUSY_TIMEOUT_MS);
	sqlite3_extended_result_codes(d->h, 1);
	if (mode == DB_WRITE)
		rc = sqlite3_exec(d->h, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
				  " PRAGMA foreign_keys=ON; PRAGMA secure_delete=ON;"
				  " PRAGMA wal_autocheckpoint=10000; PRAGMA cache_size=-16384;" /* as sq_bulk(d, 0) */
				  /* SQLite reuses a WAL from its start but never shrinks the
				   * file: cut back to 64 MB each time it starts over (an
				   * outside review saw 637 MB beside a 36 MB database) */
				  " PRAGMA journal_size_limit=67108864;",
				  NULL, NULL, NULL);
	else /* A reader's pages as the writer's: the default 2 MB held fewer
	      * than one due list reads (GET /followups: 1,500 items and their
	      * cases), so each request read them again from the file. */
		rc = sqlite3_exec(d->h, "PRAGMA foreign_keys=ON; PRAGMA query_only=ON;"
				  " PRAGMA cache_size=-16384;",
				  NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		goto fail;
	*out = d;
	return DB_OK;
fail:
	snprintf(err, errlen, "%s: %s", path, d->h ? sqlite3_errmsg(d->h) : "cannot open");
	sqlite3_close(d->h);
	free(d);
	return DB_ERROR;
}

static void sq_close(db *d)
{
	size_t i;
	if (!d)
		return;
	for (i = 0; i < STMT_SLOTS; i++)
		sqlite3_finalize(d->slots[i].st);
	sqlite3_close(d->h);
	free(d);
}

static const char *sq_errmsg(db *d)
{
	return sqlite3_errmsg(d->h);
}

static int sq_exec(db *d, const char *sql)
{
	return db_status_of(sqlite3_exec(d->h, sql, NULL, NULL, NULL));
}

static db_stmt *sq_prepare(db *d, const char *sql)
{
	uintptr_t h = (uintptr_t)sql;
	size_t i, n;

	if (!sql)
		return NULL; /* a statement that could not be made (out of memory) */
	h ^= h >> 17;
	h *= 0x9e3779b97f4a7c15u;
	i = (size_t)(h >> 40) & (STMT_SLOTS - 1);
	for (n = 0; n < STMT_SLOTS; n++, i = (i + 1) & (STMT_SLOTS - 1)) {
		struct db_stmt *s = &d->slots[i];
		if (s->sql == sql) {
			sqlite3_reset(s->st);
			sqlite3_clear_bindings(s->st);
			s->bind_rc = SQLITE_OK;
			return s;
		}
		if (!s->sql) {
			if (sqlite3_prepare_v3(d->h, sql, -1, SQLITE_PREPARE_PERSISTENT,
					       &s->st, NULL) != SQLITE_OK) {
				db_log("%s", sqlite3_errmsg(d->h));
				return NULL;
			}
			s->head.drv = &db_sqlite;
			s->sql = sql;
			s->owner = d;
			s->bind_rc = SQLITE_OK;
			return s;
		}
	}
	fprintf(stderr, "himoya: statement cache full\n");
	return NULL;
}

/* Keep the first failed bind (a parameter number past the statement's,
 * a value too large): db_step reports it instead of running the statement
 * with that parameter left null. */
static void bind_rc(db_stmt *s, int rc)
{
	if (rc != SQLITE_OK && s->bind_rc == SQLITE_OK)
		s->bind_rc = rc;
}

static void sq_bind_text(db_stmt *s, int i, const char *v, size_t n)
{
	bind_rc(s, n > INT32_MAX ? SQLITE_TOOBIG
				 : sqlite3_bind_text(s->st, i, v, (int)n, SQLITE_STATIC));
}

static void sq_bind_blob(db_stmt *s, int i, const void *v, size_t n)
{
	bind_rc(s, n > INT32_MAX ? SQLITE_TOOBIG
				 : sqlite3_bind_blob(s->st, i, v, (int)n, SQLITE_STATIC));
}

static void sq_bind_int(db_stmt *s, int i, int64_t v)
{
	bind_rc(s, sqlite3_bind_int64(s->st, i, v));
}

static void sq_bind_null(db_stmt *s, int i)
{
	bind_rc(s, sqlite3_bind_null(s->st, i));
}

static int sq_params(db_stmt *s)
{
	return sqlite3_bind_parameter_count(s->st);
}

static int sq_step(db_stmt *s)
{
	int rc;

	if (s->bind_rc != SQLITE_OK) {
		db_log("a bind: %s", sqlite3_errstr(s->bind_rc));
		return DB_ERROR;
	}
	rc = db_status_of(sqlite3_step(s->st));
	if (rc == DB_ERROR)
		db_log("%s", sqlite3_errmsg(s->owner->h));
	return rc;
}

static const char *sq_col_text(db_stmt *s, int i)
{
	const unsigned char *t = sqlite3_column_text(s->st, i);
	return t ? (const char *)t : "";
}

static const void *sq_col_blob(db_stmt *s, int i)
{
	return sqlite3_column_blob(s->st, i);
}

static size_t sq_col_bytes(db_stmt *s, int i)
{
	return (size_t)sqlite3_column_bytes(s->st, i);
}

static int64_t sq_col_int(db_stmt *s, int i)
{
	return sqlite3_column_int64(s->st, i);
}

static int sq_col_null(db_stmt *s, int i)
{
	return sqlite3_column_type(s->st, i) == SQLITE_NULL;
}

static int sq_col_type(db_stmt *s, int i)
{
	switch (sqlite3_column_type(s->st, i)) {
	case SQLITE_NULL: return DB_T_NULL;
	case SQLITE_INTEGER: return DB_T_INT;
	case SQLITE_BLOB: return DB_T_BLOB;
	default: return DB_T_TEXT; /* text, and the reals no table holds */
	}
}

static void sq_reset(db_stmt *s)
{
	sqlite3_reset(s->st);
}

static int64_t sq_changes(db *d)
{
	return sqlite3_changes64(d->h);
}

static int sq_begin(db *d)
{
	return sq_exec(d, "BEGIN IMMEDIATE");
}

static int sq_begin_wait(db *d, int ms)
{
	int rc;

	sqlite3_busy_timeout(d->h, ms);
	rc = sq_begin(d);
	sqlite3_busy_timeout(d->h, DB_BUSY_TIMEOUT_MS);
	return rc;
}

static int sq_commit(db *d)
{
	return sq_exec(d, "COMMIT");
}

static void sq_rollback(db *d)
{
	if (!sqlite3_get_autocommit(d->h))
		sqlite3_exec(d->h, "ROLLBACK", NULL, NULL, NULL);
}

/* The journal a bulk load writes: none of WAL's second copy of every
 * page (the frames, then the checkpoint's copy into the file), only the
 * old content of the pages a transaction changes (few: a load appends),
 * in a rollback journal beside the file, so that a rollback still works
 * and a load killed in a commit is rolled back at the next open (one in
 * memory left such a folder "malformed").  Only a connection holding the
 * file alone can leave WAL (store_bulk_begin closes the store's others);
 * when another process holds it, the load stays in WAL, slower, and
 * says so. */
static int journal_set(db *d, const char *mode)
{
	sqlite3_stmt *s;
	char sql[64];
	int ok = 0;

	snprintf(sql, sizeof sql, "PRAGMA journal_mode=%s", mode);
	sqlite3_busy_timeout(d->h, 0);
	if (sqlite3_prepare_v2(d->h, sql, -1, &s, NULL) == SQLITE_OK) {
		if (sqlite3_step(s) == SQLITE_ROW) {
			const char *now = (const char *)sqlite3_column_text(s, 0);
			ok = now && !strcasecmp(now, mode);
		}
		sqlite3_finalize(s);
	}
	sqlite3_busy_timeout(d->h, DB_BUSY_TIMEOUT_MS);
	return ok;
}

static int sq_bulk(db *d, int on)
{
	/* Foreign keys are checked by the loader that builds consistent rows;
	 * the pragma only takes effect outside a transaction.  A bulk load
	 * fills a new folder (the demo): it does not wait for the disk at
	 * each commit (a crash loses the folder, not a user's write), and
	 * remakes its indexes sorting with a helper thread. */
	if (on) {
		if (!journal_set(d, "truncate"))
			fprintf(stderr, "himoya: another process has the database open: the bulk load"
					" keeps the write-ahead log (slower)\n");
		return sq_exec(d, "PRAGMA cache_size=-262144; PRAGMA foreign_keys=OFF;"
			       " PRAGMA wal_autocheckpoint=1000; PRAGMA synchronous=OFF; PRAGMA threads=2;");
	}
	if (sq_exec(d, "PRAGMA cache_size=-16384; PRAGMA foreign_keys=ON;"
		    " PRAGMA wal_autocheckpoint=10000; PRAGMA synchronous=FULL; PRAGMA threads=0;")
	    != DB_OK || !journal_set(d, "wal"))
		return DB_ERROR;
	return DB_OK;
}

/* The pages past which a commit checkpoints by itself (the writer's own
 * default, and db_bulk's). */
#define AUTOCHECKPOINT_PAGES 10000

static int sq_autocheckpoint(db *d, int on)
{
	sqlite3_wal_autocheckpoint(d->h, on ? AUTOCHECKPOINT_PAGES : 0);
	return DB_OK;
}

/* A WAL past this many frames, all copied into the database, is cut back
 * to nothing once in a while: SQLite starts a WAL over only when no
 * reader uses it, which under a steady load may be never (an outside
 * review saw 637 MB beside a 36 MB database; 60 s of four writers here
 * made 5.7 GB), and journal_size_limit shrinks it only then.  The cut
 * holds new writers back while it waits for the WAL's readers: at most
 * WAL_CUT_WAIT_MS, at most every WAL_CUT_EVERY_S (tried every 100 ms, it
 * cost logging a contact its p99, 14 ms to 114 ms, and writes half
 * their rate). */
#define WAL_CUT_FRAMES 16384 /* 64 MB of 4 KB pages */
#define WAL_CUT_WAIT_MS 20
#define WAL_CUT_EVERY_S 10

static int sq_checkpoint(db *d, int *left)
{
	int log = 0, done = 0;
	int rc = sqlite3_wal_checkpoint_v2(d->h, NULL, SQLITE_CHECKPOINT_PASSIVE, &log, &done);
	time_t now = time(NULL);

	if (rc == SQLITE_OK && log >= WAL_CUT_FRAMES && done >= log &&
	    now - d->cut_at >= WAL_CUT_EVERY_S) {
		d->cut_at = now;
		sqlite3_busy_timeout(d->h, WAL_CUT_WAIT_MS);
		if (sqlite3_wal_checkpoint_v2(d->h, NULL, SQLITE_CHECKPOINT_TRUNCATE, &log, &done) ==
		    SQLITE_OK)
			log = done = 0;
		sqlite3_busy_timeout(d->h, DB_BUSY_TIMEOUT_MS);
	}
	*left = log > done ? log - done : 0;
	return rc == SQLITE_OK || rc == SQLITE_BUSY ? DB_OK : DB_ERROR;
}

/* A table's secondary indexes (those SQLite made for a primary key or a
 * UNIQUE constraint have no sql): name and definition, for
 * db_indexes_drop. */
static const char SQL_INDEXES[] =
	"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ?1"
	" AND sql IS NOT NULL ORDER BY name";

/* A copy that failed: the file and the journal SQLite made beside it. */
static void backup_discard(const char *path)
{
	char journal[4200];

	snprintf(journal, sizeof journal, "%s-journal", path);
	unlink(journal);
	unlink(path);
}

static int sq_backup_to(db *d, const char *path, char *err, size_t errlen)
{
	sqlite3 *dst = NULL;
	sqlite3_backup *bk;
	int rc, fd;

	/* The file is made here, empty and readable by its owner only, before
	 * SQLite writes a page: SQLite made it 0644 under a umask of 022 (it
	 * was chmod'ed after the copy, and a copy that failed left it so),
	 * and gives its journal the mode of the file. */
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return DB_ERROR;
	}
	close(fd);
	rc = sqlite3_open_v2(path, &dst, SQLITE_OPEN_READWRITE, NULL);
	bk = rc == SQLITE_OK ? sqlite3_backup_init(dst, "main", d->h, "main") : NULL;
	if (!bk) {
		snprintf(err, errlen, "%s: %s", path, sqlite3_errmsg(dst));
		sqlite3_close(dst);
		backup_discard(path);
		return DB_ERROR;
	}
	/* Every page in one step, under one read transaction: in WAL mode
	 * the server's writers go on beside it, and the copy is the snapshot
	 * of its start.  In steps, each write another process made between
	 * two steps restarted the copy: under a busy server it never ended. */
	do {
		rc = sqlite3_backup_step(bk, -1);
		if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
			sqlite3_sleep(20);
	} while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
	sqlite3_backup_finish(bk);
	if (rc != SQLITE_DONE) {
		snprintf(err, errlen, "backup: %s", sqlite3_errstr(rc));
		sqlite3_close(dst);
		backup_discard(path);
		return DB_ERROR;
	}
	/* The copy is a plain rollback-journal file: one file, nothing beside it. */
	rc = sqlite3_exec(dst, "PRAGMA journal_mode=DELETE;", NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		snprintf(err, errlen, "backup: %s", sqlite3_errmsg(dst));
	sqlite3_close(dst);
	if (rc != SQLITE_OK)
		backup_discard(path);
	return rc == SQLITE_OK ? DB_OK : DB_ERROR;
}

static const char SQL_TABLE[] =
	"SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?1";

static int sq_table_exists(db *d, const char *table)
{
	db_stmt *s = sq_prepare(d, SQL_TABLE);
	int n;

	if (!s)
		return -1;
	sq_bind_text(s, 1, table, strlen(table));
	n = sq_step(s) == DB_ROW ? sq_col_int(s, 0) > 0 : -1;
	sq_reset(s);
	return n;
}

/* SQLite's lock bytes in the database file (its os_unix.c): the pending
 * byte at 1 GiB, then the reserved byte and the shared range. */
#define LOCK_BYTES_AT 0x40000000L
#define LOCK_BYTES 512L

long db_file_user(const char *path)
{
	struct flock fl;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);

	if (fd < 0)
		return 0;
	memset(&fl, 0, sizeof fl);
	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_SET;
	fl.l_start = LOCK_BYTES_AT;
	fl.l_len = LOCK_BYTES;
	if (fcntl(fd, F_GETLK, &fl) != 0)
		fl.l_type = F_UNLCK;
	close(fd);
	return fl.l_type == F_UNLCK ? 0 : fl.l_pid > 0 ? (long)fl.l_pid : -1;
}

const struct db_driver db_sqlite = {
	.open = sq_open, .close = sq_close, .errmsg = sq_errmsg, .exec = sq_exec,
	.prepare = sq_prepare, .bind_text = sq_bind_text, .bind_blob = sq_bind_blob,
	.bind_int = sq_bind_int, .bind_null = sq_bind_null, .params = sq_params,
	.step = sq_step, .col_text = sq_col_text, .col_blob = sq_col_blob,
	.col_bytes = sq_col_bytes, .col_int = sq_col_int, .col_null = sq_col_null,
	.col_type = sq_col_type,
	.reset = sq_reset, .changes = sq_changes, .begin = sq_begin, .commit = sq_commit,
	.rollback = sq_rollback, .bulk = sq_bulk, .autocheckpoint = sq_autocheckpoint,
	.checkpoint = sq_checkpoint, .indexes_sql = SQL_INDEXES, .begin_wait = sq_begin_wait,
	.table_exists = sq_table_exists, .backup_to = sq_backup_to,
};
