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

struct store {
	const keyring *kr;
	char path[4096];

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
	size_t qlen;
	int qstop;
	pthread_t qthread;
	int qthread_started;
};

struct store_tx {
	store *st;
	db *d;
};

db *store_reader_get(store *st);
void store_reader_put(store *st, db *d);

int store_migrate(db *d, char *err, size_t errlen);
int store_audit_load_head(store *st);
void *store_audit_flusher(void *arg);
void store_audit_flush(store *st);

/* An arena array of `size`-byte elements holding n of cap: the array with
 * room for one more (moved to a block twice as large when full; the old
 * one stays in the arena), or NULL when the arena has no room. */
void *store_grow(arena *a, void *arr, size_t *cap, size_t n, size_t size);

/* Copy a column into a fixed buffer, truncating (NUL-terminated). */
void store_col_copy(db_stmt *s, int i, char *out, size_t outlen);

#endif
