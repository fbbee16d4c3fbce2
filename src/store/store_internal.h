/*
 * store_internal.h - what the store_*.c files share and nothing above sees:
 * the store struct, the reader pool and the transaction.
 */
#ifndef HIMOYA_STORE_INTERNAL_H
#define HIMOYA_STORE_INTERNAL_H

#include <pthread.h>

#include "store/db.h"
#include "store/store.h"

struct audit_queued;
struct audit_chunk;
struct audit_pending;

/* A last use not stamped at once (stamps.c). */
#define STAMPS_MAX 128
struct stamp {
	char token[ID_LEN];        /* a token's public id, or "" for a session */
	unsigned char session[HASH_BYTES];
	int64_t at;
};

struct store {
	const keyring *kr;
	char path[4096];
	long schema_was, schema_is; /* the schema version at open, and after its migrations */

	pthread_mutex_t wlock;     /* the one writer */
	db *writer;
	int64_t audit_seq;         /* chain head, guarded by wlock */
	unsigned char audit_mac[HASH_BYTES];
	int audit_head_ok;         /* the stored head authenticated (or log empty) */

	pthread_mutex_t rlock;     /* the reader pool */
	pthread_cond_t rfree;
	db **readers;
	unsigned nreaders, navail;

	pthread_mutex_t qlock;     /* queued read audits */
	pthread_cond_t qcond;
	struct audit_queued *qhead, **qtail;
	struct audit_chunk *qchunks; /* the blocks they live in, newest first */
	size_t qlen;
	int qstop;
	pthread_t qthread;
	int qthread_started;
	db *ck;                    /* the checkpointer's own connection */
	pthread_cond_t ckcond;     /* wakes it to stop; with qlock */
	pthread_t ckthread;
	int ckthread_started;      /* qstop (under qlock) stops it too */
	int ckstop;                /* stops it alone (a bulk load); qlock */
	int alone;                 /* a bulk load closed readers and checkpointer */
	int64_t ridx_at;           /* audit_reads caught up (ms, monotonic); wlock */
	int ridx_behind;           /* batches not in audit_reads yet; qlock */
	struct audit_pending *ridx_mem; /* their (rkey, seq) pairs as flushed; wlock */
	_Atomic int64_t flush_last_us; /* duration of the last batch of reads (metrics) */
	_Atomic uint64_t flushes;      /* batches committed */
	_Atomic int audit_failing;     /* the last batch could not be written */
	struct stamp stamps[STAMPS_MAX]; /* last uses to write; qlock */
	size_t nstamps;
};

struct store_tx {
	store *st;
	db *d;
	int many; /* store_begin_many: pipelined */
};

void stamps_flush(store *st);

db *store_reader_get(store *st);
void store_reader_put(store *st, db *d);

int store_migrate(db *d, char *err, size_t errlen);
/* The same inside the caller's open transaction (migrate's copy makes the
 * schema and the rows in one). */
int store_migrate_in(db *d, char *err, size_t errlen);
/* The schema version of the database (0: a new, empty file). */
long store_schema_version(db *d);
int store_audit_load_head(store *st);
/* At open, after the migrations (from: the version found before them):
 * a new database (from 0) gets its genesis entry and keyed anchor; one
 * without an anchor (made before anchors existed) gets it at its head
 * when the keyed head names its newest entry (or, with a genesis, when
 * its log is empty and it holds no records); any other keeps lacking it,
 * for `audit verify` to report. */
int audit_anchor_ensure(store *st, long from, char *err, size_t errlen);
/* The authenticated head stored in d (seq 0 and "" when it does not
 * authenticate or is absent): 0, or -1 on a database error. */
int audit_head_read(const keyring *kr, db *d, struct audit_head *h);
/* The watermark of audit_reads, "SEQ:TAG" keyed like the head: format
 * it (out: 96 bytes), and parse it (-1 when malformed or forged). */
void audit_mark_format(const keyring *kr, int64_t seq, char out[96]);
int audit_mark_parse(const keyring *kr, const char *v, int64_t *seq);
void *store_audit_flusher(void *arg);
void store_audit_flush(store *st);

/* Reads are chained in batches: one entry of action "reads" whose fields
 * hold one line per read (audit.c).  One read decoded; NULL for null. */
struct audit_read {
	const char *action, *at, *user_id, *org_id, *record, *fields, *addr;
	const char *mac; /* hex MAC of the line */
};
/* Decode the line [line, line + n) (no newline) into dst (n + 9 bytes at
 * least); -1 when malformed. */
int audit_line_decode(const char *line, size_t n, char *dst, struct audit_read *out);
/* The derived index audit_reads(rkey, seq) of the batches (audit_reads.c):
 * its key of a record, and bringing it up to the chain inside tx. */
int64_t audit_rkey(const char *record);
int audit_reads_catch_up(store_tx *tx);
/* Note a read of record in batch seq as it is flushed (the writer lock is
 * held), then the batch itself: the next catch-up inserts these pairs
 * without reading the batches back, when they account for every batch
 * past the index (else it reads the batches).  Freed by store_close. */
void audit_pending_read(store *st, int64_t seq, const char *record);
void audit_pending_batch(store *st);
/* A batch noted was not written: the pairs noted are not to be trusted. */
void audit_pending_incomplete(store *st);
void audit_pending_free(store *st);
/* A (record key, batch seq) pair of the index, and a growing array. */
struct audit_pair {
	int64_t rkey, seq;
};
struct audit_pairs {
	struct audit_pair *v;
	size_t n, cap;
	int oom;
};
void audit_pairs_add(struct audit_pairs *p, int64_t rkey, int64_t seq);
/* Check the index audit_reads in d (inside the caller's read snapshot)
 * against the pairs of the chain's batches (sorted here), the chain
 * holding `entries` entries: 0, or -1 and a message. */
int audit_reads_check(const keyring *kr, db *d, struct audit_pairs *chain, int64_t entries,
		      char *msg, size_t msglen);
/* The audit entries a query selects, after audit_sync: its parameters
 * ?1 .. ?n are the texts v[0 .. n) and ?n+1 is max; its columns seq, at,
 * user_id, login, org code, action, record, fields, addr.  At most max
 * rows into rows from rows[0] (*found of them). */
int audit_rows_query(store *st, const char *sql, const char *const *v, size_t n,
		     struct audit_row *rows, size_t max, size_t *found);
/* A monotonic clock in microseconds. */
int64_t store_clock_us(void);
/* Flush the queue and catch the index up, so that a lookup sees every
 * read made before it. */
int audit_sync(store *st);
/* Merge the reads of the given records (by organisations other than
 * not_org when it is not NULL) into rows[0..*found), which holds other
 * entries newest first; keeps the max newest (seq, then place in batch). */
int audit_reads_merge(store *st, const char *const *records, size_t nrec, const char *not_org,
		      struct audit_row *rows, size_t max, size_t *found);

/* An arena array of `size`-byte elements holding n of cap: the array with
 * room for one more (moved to a block twice as large when full; the old
 * one stays in the arena), or NULL when the arena has no room. */
void *store_grow(arena *a, void *arr, size_t *cap, size_t n, size_t size);

/* The value of a meta key: a prepared statement on d with the key bound,
 * whose one row (none when the key is absent) is the value. */
db_stmt *meta_select(db *d, const char *key);
/* Set a meta key on d (in the caller's transaction): STORE_OK, STORE_ERROR. */
int meta_put(db *d, const char *key, const char *value);
/* s, or NULL when s is NULL or "" (an optional value bound as SQL NULL). */
const char *store_or_null(const char *s);
/* Step a bound write to its end and reset it: STORE_OK, STORE_CONFLICT
 * (a unique key, reference or check), or STORE_ERROR (also for a NULL s,
 * a statement that did not prepare). */
int store_step_done(db_stmt *s);
/* Run a write whose parameters ?1 .. ?n are the texts v[0 .. n) (NULL
 * binds SQL NULL): store_step_done's codes. */
int store_write_texts(db *d, const char *sql, const char *const *v, size_t n);
/* Step a bound read of one row: STORE_OK with the row ready (the caller
 * reads it, then resets s), or STORE_NOT_FOUND or STORE_ERROR (also for
 * a NULL s) with s reset. */
int store_step_row(db_stmt *s);
/* Copy a column into a fixed buffer, truncating (NUL-terminated). */
void store_col_copy(db_stmt *s, int i, char *out, size_t outlen);
/* Run a bound "UPDATE ... WHERE id = ? AND version = ?" and say how it
 * went: STORE_OK (one row), STORE_STALE (the record is there at another
 * version: sql_exists finds id), STORE_NOT_FOUND, STORE_CONFLICT (a
 * constraint) or STORE_ERROR. */
int store_step_versioned(store_tx *tx, db_stmt *s, const char *sql_exists, const char *id);

/* The PostgreSQL baseline (store/pg_baseline.sql, compiled in by
 * tools/gen_blob.py): every statement that makes a fresh PostgreSQL
 * database equal to SQLite's at PG_BASELINE_VERSION, for PQexec; the
 * driver then records that version in meta. */
extern const char pg_baseline[];
#define PG_BASELINE_VERSION 23
/* The PostgreSQL form of migration PG_BASELINE_VERSION + 1 + i
 * (store/migrate.c); NULL after the last. */
const char *pg_migration_after(size_t i);

#endif
