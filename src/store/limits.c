/*
 * limits.c - what several servers on one database share besides the
 * records: failed sign-ins per login (the lockout), counters of rate
 * limits, one-time ids (the public form's tokens) and idempotency keys
 * (the first answer to a change sent again).  Each call is one
 * short write transaction, so that two `himoya serve` on one database
 * count as one service.  Keys arrive as keyed hashes (store.h).
 */
#include <stdint.h>
#include <string.h>

#include "store/store_internal.h"

/* Rows that protect nothing any more go with the next write of their kind. */
static const char SQL_FAIL_PRUNE[] = "DELETE FROM login_failures WHERE free_at <= ?1";
static const char SQL_FAIL_GET[] =
	"SELECT failures, last_fail, locked_until FROM login_failures WHERE key = ?1";
static const char SQL_FAIL_PUT[] =
	"INSERT INTO login_failures(key, failures, last_fail, locked_until, free_at)"
	" VALUES(?1, ?2, ?3, ?4, max(?4, ?3 + ?5))"
	" ON CONFLICT(key) DO UPDATE SET failures = excluded.failures,"
	" last_fail = excluded.last_fail, locked_until = excluded.locked_until,"
	" free_at = excluded.free_at";
static const char SQL_FAIL_CLEAR[] = "DELETE FROM login_failures WHERE key = ?1";

static const char SQL_RATE_PRUNE[] = "DELETE FROM rate_counters WHERE start <= ?1";
/* One statement: a window that ran out starts again at 1; the count stops
 * one past the limit (the right-hand sides all see the old row). */
static const char SQL_RATE_HIT[] =
	"INSERT INTO rate_counters(key, start, n) VALUES(?1, ?2, 1)"
	" ON CONFLICT(key) DO UPDATE SET"
	" start = CASE WHEN ?2 - rate_counters.start >= ?3 THEN ?2 ELSE rate_counters.start END,"
	" n = CASE WHEN ?2 - rate_counters.start >= ?3 THEN 1"
	" ELSE min(rate_counters.n + 1, ?4 + 1) END"
	" RETURNING n";

static const char SQL_ONCE_PRUNE[] = "DELETE FROM once_used WHERE expires < ?1";
static const char SQL_ONCE_ADD[] =
	"INSERT INTO once_used(id, expires) VALUES(?1, ?2) ON CONFLICT(id) DO NOTHING";

static const char SQL_IDEM_PRUNE[] = "DELETE FROM idempotency WHERE expires < ?1";
static const char SQL_IDEM_ADD[] =
	"INSERT INTO idempotency(key, request, expires, started, status)"
	" VALUES(?1, ?2, ?3, ?4, 0) ON CONFLICT(key) DO NOTHING";
static const char SQL_IDEM_GET[] =
	"SELECT request, started, status, answer FROM idempotency WHERE key = ?1";
static const char SQL_IDEM_DONE[] =
	"UPDATE idempotency SET status = ?2, answer = ?3 WHERE key = ?1 AND status = 0";
static const char SQL_IDEM_DROP[] = "DELETE FROM idempotency WHERE key = ?1 AND status = 0";

/* A write transaction whose first step deletes the rows of prune_sql
 * older than `before`, and the statement sql prepared in it; NULL (and
 * no transaction) when either fails. */
static db_stmt *begin_pruned(store *st, store_tx **tx, const char *prune_sql, int64_t before,
			     const char *sql)
{
	db_stmt *s;

	*tx = store_begin(st);
	if (!*tx)
		return NULL;
	s = db_prepare((*tx)->d, prune_sql);
	if (s)
		db_bind_int(s, 1, before);
	if (store_step_done(s) == STORE_OK && (s = db_prepare((*tx)->d, sql)) != NULL)
		return s;
	store_rollback(*tx);
	*tx = NULL;
	return NULL;
}

static int finish(store_tx *tx, int rc)
{
	if (rc == STORE_OK)
		return store_commit(tx);
	store_rollback(tx);
	return rc;
}

int store_login_attempt_tx(store_tx *tx, const unsigned char key[LIMIT_KEY_BYTES],
			   unsigned max_failures, unsigned lock_secs, int64_t now, int64_t *left)
{
	int64_t failures = 0, last_fail = 0, locked_until = 0;
	db_stmt *s = db_prepare(tx->d, SQL_FAIL_PRUNE);
	int step;

	*left = 0;
	if (s)
		db_bind_int(s, 1, now);
	if (store_step_done(s) != STORE_OK || (s = db_prepare(tx->d, SQL_FAIL_GET)) == NULL)
		return STORE_ERROR;
	db_bind_blob(s, 1, key, LIMIT_KEY_BYTES);
	step = db_step(s);
	if (step == DB_ROW) {
		failures = db_col_int(s, 0);
		last_fail = db_col_int(s, 1);
		locked_until = db_col_int(s, 2);
	}
	db_reset(s);
	if (step != DB_ROW && step != DB_DONE)
		return STORE_ERROR;
	if (locked_until > now) {
		*left = locked_until - now;
		return STORE_OK; /* the refused try counts nothing */
	}
	/* A lock that ran out, or a last failure lock_secs ago or more:
	 * start counting afresh. */
	if (locked_until || now - last_fail >= (int64_t)lock_secs) {
		failures = 0;
		locked_until = 0;
	}
	failures++;
	if (failures >= (int64_t)max_failures)
		locked_until = now + lock_secs;
	s = db_prepare(tx->d, SQL_FAIL_PUT);
	if (s) {
		db_bind_blob(s, 1, key, LIMIT_KEY_BYTES);
		db_bind_int(s, 2, failures);
		db_bind_int(s, 3, now);
		db_bind_int(s, 4, locked_until);
		db_bind_int(s, 5, lock_secs);
	}
	return store_step_done(s);
}

int store_login_attempt(store *st, const unsigned char key[LIMIT_KEY_BYTES], unsigned max_failures,
			unsigned lock_secs, int64_t now, int64_t *left)
{
	store_tx *tx = store_begin(st);

	*left = 0;
	if (!tx)
		return STORE_ERROR;
	return finish(tx, store_login_attempt_tx(tx, key, max_failures, lock_secs, now, left));
}

int store_login_locked(store *st, const unsigned char key[LIMIT_KEY_BYTES], int64_t now,
		       int64_t *left)
{
	db *d = store_reader_get(st);
	db_stmt *s = db_prepare(d, SQL_FAIL_GET);
	int rc = STORE_ERROR, step;

	*left = 0;
	if (s) {
		db_bind_blob(s, 1, key, LIMIT_KEY_BYTES);
		step = db_step(s);
		if (step == DB_ROW && db_col_int(s, 2) > now)
			*left = db_col_int(s, 2) - now;
		rc = step == DB_ROW || step == DB_DONE ? STORE_OK : STORE_ERROR;
		db_reset(s);
	}
	store_reader_put(st, d);
	return rc;
}

int store_login_clear(store_tx *tx, const unsigned char key[LIMIT_KEY_BYTES])
{
	db_stmt *s = db_prepare(tx->d, SQL_FAIL_CLEAR);

	if (s)
		db_bind_blob(s, 1, key, LIMIT_KEY_BYTES);
	return store_step_done(s);
}

int store_rate_hit(store *st, const unsigned char key[LIMIT_KEY_BYTES], unsigned max,
		   unsigned window_secs, int64_t now, int *allowed)
{
	store_tx *tx;
	db_stmt *s = begin_pruned(st, &tx, SQL_RATE_PRUNE, now - (int64_t)window_secs, SQL_RATE_HIT);
	int rc;

	*allowed = 0;
	if (!s)
		return STORE_ERROR;
	db_bind_blob(s, 1, key, LIMIT_KEY_BYTES);
	db_bind_int(s, 2, now);
	db_bind_int(s, 3, window_secs);
	db_bind_int(s, 4, max);
	if (db_step(s) == DB_ROW) {
		*allowed = db_col_int(s, 0) <= (int64_t)max;
		rc = db_step(s) == DB_DONE ? STORE_OK : STORE_ERROR;
	} else {
		rc = STORE_ERROR;
	}
	db_reset(s);
	return finish(tx, rc);
}

int store_once(store *st, const unsigned char id[LIMIT_KEY_BYTES], int64_t expires, int64_t now,
	       int *first)
{
	store_tx *tx;
	db_stmt *s = begin_pruned(st, &tx, SQL_ONCE_PRUNE, now, SQL_ONCE_ADD);
	int rc;

	*first = 0;
	if (!s)
		return STORE_ERROR;
	db_bind_blob(s, 1, id, LIMIT_KEY_BYTES);
	db_bind_int(s, 2, expires);
	rc = store_step_done(s);
	if (rc == STORE_OK)
		*first = db_changes(tx->d) == 1;
	return finish(tx, rc);
}

int store_idem_claim(store *st, const unsigned char key[LIMIT_KEY_BYTES],
		     const unsigned char request[LIMIT_KEY_BYTES], int64_t expires, int64_t now,
		     int *first, struct idem_row *row, arena *a)
{
	store_tx *tx;
	db_stmt *s = begin_pruned(st, &tx, SQL_IDEM_PRUNE, now, SQL_IDEM_ADD);
	int rc;

	*first = 0;
	memset(row, 0, sizeof *row);
	if (!s)
		return STORE_ERROR;
	db_bind_blob(s, 1, key, LIMIT_KEY_BYTES);
	db_bind_blob(s, 2, request, LIMIT_KEY_BYTES);
	db_bind_int(s, 3, expires);
	db_bind_int(s, 4, now);
	rc = store_step_done(s);
	if (rc == STORE_OK && !(*first = db_changes(tx->d) == 1)) {
		s = db_prepare(tx->d, SQL_IDEM_GET);
		if (s)
			db_bind_blob(s, 1, key, LIMIT_KEY_BYTES);
		if ((rc = store_step_row(s)) == STORE_OK) {
			size_t n = db_col_bytes(s, 3);
			if (db_col_bytes(s, 0) == LIMIT_KEY_BYTES)
				memcpy(row->request, db_col_blob(s, 0), LIMIT_KEY_BYTES);
			row->started = db_col_int(s, 1);
			row->status = (int)db_col_int(s, 2);
			if (n) {
				unsigned char *copy = arena_alloc(a, n);
				if (copy)
					memcpy(copy, db_col_blob(s, 3), n);
				else
					rc = STORE_ERROR;
				row->answer = copy;
				row->answer_len = copy ? n : 0;
			}
			db_reset(s);
		}
	}
	return finish(tx, rc);
}

/* One statement on key in a transaction of its own. */
static int idem_write(store *st, const char *sql, const unsigned char key[LIMIT_KEY_BYTES],
		      int status, const unsigned char *answer, size_t len)
{
	store_tx *tx = store_begin(st);
	db_stmt *s;

	if (!tx)
		return STORE_ERROR;
	s = db_prepare(tx->d, sql);
	if (s) {
		db_bind_blob(s, 1, key, LIMIT_KEY_BYTES);
		if (answer) {
			db_bind_int(s, 2, status);
			db_bind_blob(s, 3, answer, len);
		}
	}
	return finish(tx, store_step_done(s));
}

int store_idem_done(store *st, const unsigned char key[LIMIT_KEY_BYTES], int status,
		    const unsigned char *answer, size_t len)
{
	return idem_write(st, SQL_IDEM_DONE, key, status, answer, len);
}

int store_idem_drop(store *st, const unsigned char key[LIMIT_KEY_BYTES])
{
	return idem_write(st, SQL_IDEM_DROP, key, 0, NULL, 0);
}
