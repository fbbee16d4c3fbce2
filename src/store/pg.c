/*
 * pg.c - the PostgreSQL driver behind db.h (libpq).
 *
 * The store's SQL is written once, in the subset both databases speak,
 * with parameters numbered ?1, ?2...; this driver rewrites them to $1,
 * $2 and prepares each statement once per connection, as a named
 * server-side statement, on its first use (the cache is keyed by the SQL
 * constant's address, as in sqlite.c).  A statement is prepared at its
 * first step, with the types of that step's values: integers as bigint,
 * blobs as bytea, text as text, nulls left for the server to infer from
 * where they stand (a parameter number the SQL skips is declared text);
 * values of other types later prepare it again.  PostgreSQL infers a
 * parameter's type at its first mention, so the store's SQL mentions a
 * nullable filter first where its type shows: "(col = ?1 OR ?1 IS NULL)",
 * or "CAST(?1 AS TEXT) IS NULL OR EXISTS (...)" where the null should
 * spare the subquery; "?1 IS NULL OR ..." fails to prepare with a null
 * bound (42P08/42P18, logged by the server).  Text and integers travel
 * as text, blobs in binary.
 * Results come back as text (bytea as hex, decoded on demand).
 *
 * What SQLite gives and PostgreSQL does not, made here:
 * - writers one at a time: db_begin takes a transaction-scoped advisory
 *   lock, so write transactions (and the audit chain they extend) follow
 *   one order across every server on the database, like BEGIN IMMEDIATE;
 * - a one-row INSERT whose key is taken fails alone, as in SQLite, and
 *   the transaction goes on (the group commit of contacts holds many
 *   requests' rows in one): the driver adds ON CONFLICT DO NOTHING and
 *   reports DB_CONSTRAINT when no row went in (a savepoint per statement
 *   would make each a subtransaction: an import of 10,000 rows took 331 s);
 * - reader connections see one snapshot per transaction (REPEATABLE READ).
 * A bulk load (db_bulk on: the demo, migrate; db_pipeline: the seed of
 * the knowledge base, an import) would otherwise wait
 * for one round trip per statement: inside its transactions, a write whose
 * result the caller does not read (INSERT, UPDATE or DELETE without
 * RETURNING) is sent in libpq's pipeline mode and db_step answers at once;
 * the results are collected, in order, before the next statement that
 * returns rows, at db_changes (which reads one), at COMMIT, and every
 * PIPE_MAX statements.  A deferred statement that failed (or a one-row
 * INSERT whose key was taken, DB_CONSTRAINT when not deferred) fails the
 * transaction: the collecting call and the COMMIT report it with that
 * statement's text, and the COMMIT rolls back, so no write is acknowledged
 * that was not committed.
 * A connection that broke (a failover) is reset at the next statement
 * outside a transaction; libpq's multi-host URL finds the new primary.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <stdint.h>
#include <inttypes.h>
#include <libpq-fe.h>

#include "store/db_driver.h"

#define STMT_SLOTS 256   /* power of two, as sqlite.c */
#define MAX_PARAMS 32766 /* SQLite's limit, which the store keeps to */
#define BYTEA_OID 17
#define TEXT_OID 25
#define INT8_OID 20
/* Deferred statements at most between two collections: their results
 * (a few dozen bytes each) stay far below what the server's socket holds,
 * so it never stops reading while we are still sending. */
#define PIPE_MAX 256
/* Any constant names the writers' lock: it is held for a transaction. */
#define WRITER_KEY "7078696"
#define WRITER_LOCK "SELECT pg_advisory_xact_lock(" WRITER_KEY ")"

struct db_stmt {
	struct db_head head;
	const char *sql;     /* the caller's constant: the cache key */
	char *text;          /* the SQL with $N */
	unsigned char *used; /* [nparams + 1]: the $N the text has */
	char name[16];       /* the server-side statement's name; "" before the first step */
	unsigned gen;        /* the connection generation it was prepared in */
	/* Per parameter, [nparams] in one allocation (vals owns it): */
	Oid *types;          /* the types it was prepared with */
	Oid *bound;          /* the types of the values bound now */
	int nparams;         /* the highest $N */
	int write;           /* INSERT, UPDATE, DELETE (or WITH): sets db_changes */
	int insert;          /* a one-row INSERT given ON CONFLICT DO NOTHING */
	int deferrable;      /* INSERT, UPDATE, DELETE without RETURNING: no rows to read */
	db *owner;
	int bind_err;        /* the first failed bind since the prepare */
	const char **vals;
	int *lens;
	int *fmts;
	char **owned;        /* copies of text and the digits of integers */
	PGresult *res;
	int row, nrows, ran;
	unsigned char **blobs;   /* decoded bytea of the current row, per column */
	size_t *blens;
	int nblobs;
};

struct db {
	struct db_head head;
	PGconn *c;
	enum db_mode mode;
	unsigned gen;        /* bumped at every reset: statements are prepared again */
	unsigned next_name;
	int64_t changes;
	int txn;             /* between the caller's BEGIN and its COMMIT or ROLLBACK */
	int bulk;            /* db_bulk on: writes in a transaction are pipelined */
	/* The statements sent in pipeline mode whose results are not read yet,
	 * and the first failure met among them in this transaction. */
	struct pending {
		const char *text;
		int insert;
	} pipe[PIPE_MAX];
	int npipe;
	int piping;          /* in libpq's pipeline mode */
	int pipe_rc;         /* DB_OK, or the failure the transaction ends with */
	char err[512];
	struct db_stmt slots[STMT_SLOTS];
};

static void set_err(db *d, const char *msg)
{
	size_t n;

	snprintf(d->err, sizeof d->err, "%s", msg ? msg : "unknown error");
	n = strlen(d->err);
	while (n > 0 && (d->err[n - 1] == '\n' || d->err[n - 1] == ' '))
		d->err[--n] = '\0';
}

/* A failure's status: DB_UNAVAILABLE when the connection is gone (the
 * server stopped, or failed over) or the server cannot serve now
 * (connection exceptions, shutting down or starting, or a writer's server
 * that became a standby), for the caller to answer "try again". */
static int status_of(const db *d, const PGresult *r)
{
	const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;

	if (PQstatus(d->c) == CONNECTION_BAD)
		return DB_UNAVAILABLE;
	if (!state)
		return DB_ERROR;
	if (!strncmp(state, "08", 2) || !strcmp(state, "57P01") || !strcmp(state, "57P02") ||
	    !strcmp(state, "57P03") || (d->mode == DB_WRITE && !strcmp(state, "25006")))
		return DB_UNAVAILABLE;
	if (strncmp(state, "23", 2) == 0)
		return DB_CONSTRAINT;
	/* serialization failure, deadlock, lock timeout */
	if (!strcmp(state, "40001") || !strcmp(state, "40P01") || !strcmp(state, "55P03"))
		return DB_BUSY;
	return DB_ERROR;
}

/* Run SQL without parameters; DB_OK or the failure's status. */
static int run(db *d, const char *sql)
{
	PGresult *r = PQexec(d->c, sql);
	ExecStatusType st = PQresultStatus(r);
	int rc = DB_OK;

	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK && st != PGRES_EMPTY_QUERY) {
		set_err(d, PQresultErrorMessage(r)[0] ? PQresultErrorMessage(r) : PQerrorMessage(d->c));
		rc = status_of(d, r);
	}
	PQclear(r);
	return rc;
}

static void notice_quiet(void *arg, const char *msg)
{
	(void)arg;
	(void)msg; /* NOTICEs ("relation exists, skipping") are not errors */
}

static int session_setup(db *d)
{
	/* A writer waits at most as long as SQLite's busy timeout. */
	if (run(d, "SET lock_timeout = '10s'; SET client_min_messages = warning") != DB_OK)
		return DB_ERROR;
	if (d->mode == DB_READ)
		return run(d, "SET default_transaction_read_only = on;"
			      " SET default_transaction_isolation = 'repeatable read'");
	return DB_OK;
}

int db_url_ok(const char *url)
{
	char *msg = NULL;
	PQconninfoOption *o = PQconninfoParse(url, &msg);

	PQfreemem(msg);
	if (!o)
		return 0;
	PQconninfoFree(o);
	return 1;
}

int db_url_has_password(const char *url)
{
	PQconninfoOption *o = PQconninfoParse(url, NULL), *p;
	int has = 0;

	for (p = o; p && p->keyword; p++)
		if (!strcmp(p->keyword, "password") && p->val && *p->val)
			has = 1;
	PQconninfoFree(o);
	return has;
}

/* Every occurrence of the URL's password in msg becomes "***". */
static void password_hide(char *msg, const char *url)
{
	PQconninfoOption *o = PQconninfoParse(url, NULL), *p;
	const char *pw = NULL;
	char *at;
	size_t n;

	for (p = o; p && p->keyword; p++)
		if (!strcmp(p->keyword, "password") && p->val && *p->val)
			pw = p->val;
	n = pw ? strlen(pw) : 0;
	while (n && (at = strstr(msg, pw)) != NULL) {
		size_t rest = strlen(at + n);
		memcpy(at, "***", 3);
		memmove(at + 3, at + n, rest + 1);
	}
	PQconninfoFree(o);
}

static int pg_open(const char *url, enum db_mode mode, db **out, char *err, size_t errlen)
{
	db *d = calloc(1, sizeof *d);

	*out = NULL;
	if (!d) {
		snprintf(err, errlen, "out of memory");
		return DB_ERROR;
	}
	d->head.drv = &db_pg;
	d->mode = mode;
	/* libpq's message about a URL it cannot parse quotes the URL, and
	 * with it the password: say only that it cannot be read. */
	if (!db_url_ok(url)) {
		snprintf(err, errlen, "postgresql: the database URL cannot be read (see libpq's"
			 " connection URIs; the URL is not shown, as it may hold a password)");
		free(d);
		return DB_ERROR;
	}
	d->c = PQconnectdb(url);
	if (PQstatus(d->c) != CONNECTION_OK) {
		const char *m = PQerrorMessage(d->c);
		size_t n = strlen(m);
		while (n > 0 && m[n - 1] == '\n')
			n--;
		/* The URL may carry a password: name the database by its driver
		 * only, and hide the password should libpq quote it.  Down,
		 * unknown or refusing (libpq's words say which): unavailable. */
		snprintf(err, errlen, "postgresql: cannot connect: %.*s", (int)n, m);
		password_hide(err, url);
		PQfinish(d->c);
		free(d);
		return DB_UNAVAILABLE;
	}
	PQsetNoticeProcessor(d->c, notice_quiet, NULL);
	if (session_setup(d) != DB_OK) {
		snprintf(err, errlen, "postgresql: %s", d->err);
		PQfinish(d->c);
		free(d);
		return DB_ERROR;
	}
	*out = d;
	return DB_OK;
}

static void stmt_clear(db_stmt *s)
{
	int i;

	PQclear(s->res);
	s->res = NULL;
	s->ran = 0;
	s->row = -1;
	s->nrows = 0;
	for (i = 0; i < s->nblobs; i++) {
		PQfreemem(s->blobs[i]);
		s->blobs[i] = NULL;
	}
}

static void binds_clear(db_stmt *s)
{
	int i;

	for (i = 0; i < s->nparams; i++) {
		free(s->owned[i]);
		s->owned[i] = NULL;
		s->vals[i] = NULL;
		s->lens[i] = 0;
		s->fmts[i] = 0;
		s->bound[i] = 0;
	}
	s->bind_err = 0;
}

static void pg_close(db *d)
{
	size_t i;

	if (!d)
		return;
	for (i = 0; i < STMT_SLOTS; i++) {
		db_stmt *s = &d->slots[i];
		if (!s->sql)
			continue;
		stmt_clear(s);
		binds_clear(s);
		free(s->text);
		free(s->used);
		free(s->vals);
		free(s->blobs);
		free(s->blens);
	}
	PQfinish(d->c);
	free(d);
}

static const char *pg_errmsg(db *d)
{
	return d->err[0] ? d->err : PQerrorMessage(d->c);
}

/* After a failover the connection is gone: reset it (libpq tries every
 * host of the URL again) when the caller has no transaction open on it.
 * A connection that broke inside one stays broken, so that the rest of
 * that transaction fails instead of running outside it, until the caller
 * ends it (its status is then PQTRANS_UNKNOWN, not PQTRANS_IDLE: d->txn
 * tells). */
static int reconnect(db *d)
{
	if (d->txn || PQstatus(d->c) == CONNECTION_OK)
		return 0;
	PQreset(d->c);
	if (PQstatus(d->c) != CONNECTION_OK)
		return -1;
	d->gen++;
	return session_setup(d) == DB_OK ? 0 : -1;
}

static int starts(const char *sql, const char *word)
{
	return !strncasecmp(sql, word, strlen(word));
}

/* COMMIT; a transaction a failed statement aborted answers it with
 * ROLLBACK, which is no commit. */
static int commit_run(db *d)
{
	PGresult *r = PQexec(d->c, "COMMIT");
	int rc = DB_OK;

	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		set_err(d, PQresultErrorMessage(r)[0] ? PQresultErrorMessage(r) : PQerrorMessage(d->c));
		rc = status_of(d, r);
	} else if (strcmp(PQcmdStatus(r), "COMMIT") != 0) {
		set_err(d, "the transaction was rolled back (a statement of it failed)");
		rc = DB_ERROR;
	}
	PQclear(r);
	return rc;
}

/* A deferred statement's failure: kept (the first one) for the rest of
 * the transaction, with the statement that caused it. */
static void pipe_fail(db *d, int rc, const char *msg, const char *text)
{
	char why[300];

	if (d->pipe_rc != DB_OK)
		return;
	d->pipe_rc = rc == DB_CONSTRAINT ? DB_ERROR : rc;
	snprintf(why, sizeof why, "%s", msg && *msg ? msg : "unknown error");
	why[strcspn(why, "\n")] = '\0';
	snprintf(d->err, sizeof d->err, "%s (a statement of this bulk transaction, sent without"
		 " waiting: the transaction is rolled back), in: %.100s", why, text);
	db_log("%s\n  in: %.200s", d->err, text);
}

/* Collect the results of the statements sent in pipeline mode and leave
 * it: DB_OK, or the transaction's failure (also when met earlier). */
static int pipe_collect(db *d)
{
	int i = 0, nulls = 0;
	PGresult *r;

	if (!d->piping)
		return d->pipe_rc;
	if (PQpipelineSync(d->c) != 1) {
		pipe_fail(d, DB_UNAVAILABLE, PQerrorMessage(d->c), d->npipe ? d->pipe[0].text : "");
		d->npipe = 0;
		return d->pipe_rc;
	}
	for (;;) {
		ExecStatusType st;
		r = PQgetResult(d->c);
		if (!r) {
			/* One NULL ends each statement's results; two in a row, or
			 * a connection gone, mean the sync will never come. */
			if (++nulls > 1 || PQstatus(d->c) == CONNECTION_BAD) {
				pipe_fail(d, DB_UNAVAILABLE, PQerrorMessage(d->c),
					  i < d->npipe ? d->pipe[i].text : "");
				break;
			}
			continue;
		}
		nulls = 0;
		st = PQresultStatus(r);
		if (st == PGRES_PIPELINE_SYNC) {
			PQclear(r);
			break;
		}
		if (i < d->npipe) {
			if (st == PGRES_COMMAND_OK) {
				d->changes = strtoll(PQcmdTuples(r), NULL, 10);
				if (d->pipe[i].insert && d->changes == 0)
					pipe_fail(d, DB_CONSTRAINT, "a row with this key exists (UNIQUE constraint)",
						  d->pipe[i].text);
			} else if (st != PGRES_PIPELINE_ABORTED) {
				pipe_fail(d, status_of(d, r), PQresultErrorMessage(r), d->pipe[i].text);
			}
		}
		i++;
		PQclear(r);
	}
	d->npipe = 0;
	if (PQexitPipelineMode(d->c) == 1)
		d->piping = 0;
	else
		pipe_fail(d, DB_UNAVAILABLE, PQerrorMessage(d->c), "");
	return d->pipe_rc;
}

/* Send s in pipeline mode: DB_DONE, or the transaction's failure. */
static int pipe_send(db *d, db_stmt *s)
{
	if (!d->piping) {
		if (PQenterPipelineMode(d->c) != 1) {
			set_err(d, PQerrorMessage(d->c));
			return DB_ERROR;
		}
		d->piping = 1;
	}
	if (PQsendQueryPrepared(d->c, s->name, s->nparams, s->vals, s->lens, s->fmts, 0) != 1) {
		pipe_fail(d, PQstatus(d->c) == CONNECTION_BAD ? DB_UNAVAILABLE : DB_ERROR,
			  PQerrorMessage(d->c), s->text);
		pipe_collect(d);
		return d->pipe_rc;
	}
	d->pipe[d->npipe].text = s->text;
	d->pipe[d->npipe].insert = s->insert;
	if (++d->npipe == PIPE_MAX && pipe_collect(d) != DB_OK)
		return d->pipe_rc;
	return DB_DONE;
}

/* Leave pipeline mode, the results unread (the transaction is rolled back). */
static void pipe_discard(db *d)
{
	int rc = d->pipe_rc;

	d->pipe_rc = DB_OK;
	pipe_collect(d);
	d->pipe_rc = rc;
}

/* The store also opens and ends transactions with db_exec (audit.c). */
static int pg_exec(db *d, const char *sql)
{
	int rc;

	reconnect(d);
	if (starts(sql, "ROLLBACK")) {
		pipe_discard(d);
		d->pipe_rc = DB_OK;
	} else if ((rc = pipe_collect(d)) != DB_OK) {
		if (starts(sql, "COMMIT") || starts(sql, "END")) {
			run(d, "ROLLBACK");
			d->txn = 0;
			d->pipe_rc = DB_OK;
		}
		return rc;
	}
	rc = starts(sql, "COMMIT") && !strchr(sql, ';') ? commit_run(d) : run(d, sql);
	if (starts(sql, "BEGIN"))
		d->txn = rc == DB_OK;
	else if (starts(sql, "COMMIT") || starts(sql, "ROLLBACK") || starts(sql, "END"))
		d->txn = 0;
	return rc;
}

/* ?N -> $N outside quotes; the highest N, and which numbers appear. */
static char *translate(const char *sql, int *nparams, unsigned char *used)
{
	size_t n = strlen(sql);
	char *out = malloc(n + 1), *o = out;
	const char *p = sql;
	char quote = 0;

	if (!out)
		return NULL;
	*nparams = 0;
	while (*p) {
		if (quote) {
			if (*p == quote)
				quote = 0;
			*o++ = *p++;
			continue;
		}
		if (*p == '\'' || *p == '"') {
			quote = *p;
			*o++ = *p++;
			continue;
		}
		if (*p == '?' && p[1] >= '0' && p[1] <= '9') {
			int v = 0;
			*o++ = '$';
			p++;
			while (*p >= '0' && *p <= '9') {
				v = v * 10 + (*p - '0');
				*o++ = *p++;
			}
			if (v < 1 || v > MAX_PARAMS) {
				free(out);
				return NULL;
			}
			if (used)
				used[v] = 1;
			if (v > *nparams)
				*nparams = v;
			continue;
		}
		*o++ = *p++;
	}
	*o = '\0';
	return out;
}

/* A one-row INSERT ... VALUES that says nothing of conflicts. */
static int is_insert(const char *sql)
{
	while (*sql == ' ' || *sql == '\n' || *sql == '\t')
		sql++;
	return !strncmp(sql, "INSERT", 6) && strstr(sql, " VALUES") && !strstr(sql, "ON CONFLICT") &&
	       !strstr(sql, "RETURNING") && !strstr(sql, "SELECT");
}

static int is_write(const char *sql)
{
	while (*sql == ' ' || *sql == '\n' || *sql == '\t')
		sql++;
	return !strncmp(sql, "INSERT", 6) || !strncmp(sql, "UPDATE", 6) ||
	       !strncmp(sql, "DELETE", 6) || !strncmp(sql, "WITH", 4);
}

static int starts_word(const char *sql, const char *word)
{
	while (*sql == ' ' || *sql == '\n' || *sql == '\t')
		sql++;
	return starts(sql, word);
}

/* Whether the statement must be prepared (again) for the values bound:
 * not yet in this connection, or a value of a type it was not made for. */
static int needs_prepare(const db_stmt *s)
{
	int i;

	if (!s->name[0] || s->gen != s->owner->gen)
		return 1;
	for (i = 0; i < s->nparams; i++)
		if (s->used[i + 1] && s->bound[i] && s->bound[i] != s->types[i])
			return 1;
	return 0;
}

static int stmt_prepare(db *d, db_stmt *s)
{
	PGresult *r;
	int i, ok;

	if (s->name[0] && s->gen == d->gen) {
		char drop[40];
		snprintf(drop, sizeof drop, "DEALLOCATE %s", s->name);
		run(d, drop);
	}
	for (i = 0; i < s->nparams; i++)
		s->types[i] = !s->used[i + 1] ? TEXT_OID : s->bound[i];
	snprintf(s->name, sizeof s->name, "h%u", d->next_name++);
	r = PQprepare(d->c, s->name, s->text, s->nparams, s->types);
	ok = PQresultStatus(r) == PGRES_COMMAND_OK;
	if (!ok) {
		set_err(d, PQresultErrorMessage(r));
		s->name[0] = '\0';
	}
	PQclear(r);
	if (!ok)
		return -1;
	s->gen = d->gen;
	return 0;
}

/* The $N text of sql and room for its parameters. */
static int stmt_alloc(db_stmt *s, const char *sql)
{
	char *probe = translate(sql, &s->nparams, NULL);
	size_t k;

	free(probe);
	if (!probe)
		return -1;
	k = (size_t)s->nparams + 1;
	s->used = calloc(k, 1);
	s->vals = calloc(k, sizeof *s->vals + sizeof *s->lens + sizeof *s->fmts + sizeof *s->owned +
				    2 * sizeof *s->types);
	if (!s->used || !s->vals)
		goto fail;
	s->lens = (int *)(s->vals + k);
	s->fmts = s->lens + k;
	s->owned = (char **)(void *)(s->fmts + k);
	s->types = (Oid *)(void *)(s->owned + k);
	s->bound = s->types + k;
	s->text = translate(sql, &s->nparams, s->used);
	if (s->text && is_insert(sql)) {
		static const char tail[] = " ON CONFLICT DO NOTHING";
		size_t n = strlen(s->text);
		char *t = realloc(s->text, n + sizeof tail);
		if (!t) {
			free(s->text);
			s->text = NULL;
		} else {
			memcpy(t + n, tail, sizeof tail);
			s->text = t;
		}
	}
	if (s->text)
		return 0;
fail:
	free(s->used);
	free(s->vals);
	s->used = NULL;
	s->vals = NULL;
	return -1;
}

static db_stmt *pg_prepare(db *d, const char *sql)
{
	uintptr_t h = (uintptr_t)sql;
	size_t i, n;

	if (!sql)
		return NULL;
	reconnect(d);
	h ^= h >> 17;
	h *= 0x9e3779b97f4a7c15u;
	i = (size_t)(h >> 40) & (STMT_SLOTS - 1);
	for (n = 0; n < STMT_SLOTS; n++, i = (i + 1) & (STMT_SLOTS - 1)) {
		db_stmt *s = &d->slots[i];
		if (s->sql == sql) {
			stmt_clear(s);
			binds_clear(s);
			return s;
		}
		if (!s->sql) {
			if (stmt_alloc(s, sql) != 0) {
				db_log("a parameter number out of range");
				return NULL;
			}
			s->head.drv = &db_pg;
			s->sql = sql;
			s->owner = d;
			s->row = -1;
			s->write = is_write(sql);
			s->insert = is_insert(sql);
			s->deferrable = s->write && !starts_word(sql, "WITH") && !strstr(sql, "RETURNING");
			return s;
		}
	}
	fprintf(stderr, "himoya: statement cache full\n");
	return NULL;
}

static int bind_slot(db_stmt *s, int i)
{
	if (i < 1 || i > s->nparams) {
		if (!s->bind_err)
			s->bind_err = 1;
		return -1;
	}
	free(s->owned[i - 1]);
	s->owned[i - 1] = NULL;
	s->bound[i - 1] = 0;
	return i - 1;
}

static void pg_bind_text(db_stmt *s, int i, const char *v, size_t n)
{
	int k = bind_slot(s, i);
	char *copy;

	if (k < 0)
		return;
	if (!v) {
		s->vals[k] = NULL;
		return;
	}
	/* Text goes as a C string: a copy ends it at n. */
	copy = n < INT32_MAX ? malloc(n + 1) : NULL;
	if (!copy) {
		s->bind_err = 1;
		return;
	}
	memcpy(copy, v, n);
	copy[n] = '\0';
	s->owned[k] = copy;
	s->vals[k] = copy;
	s->lens[k] = (int)n;
	s->fmts[k] = 0;
	s->bound[k] = TEXT_OID;
}

static void pg_bind_blob(db_stmt *s, int i, const void *v, size_t n)
{
	int k = bind_slot(s, i);

	if (k < 0)
		return;
	if (n > INT32_MAX) {
		s->bind_err = 1;
		return;
	}
	s->vals[k] = v; /* NULL binds null, as sqlite3_bind_blob */
	s->lens[k] = (int)n;
	s->fmts[k] = 1;
	s->bound[k] = v ? BYTEA_OID : 0;
}

static void pg_bind_int(db_stmt *s, int i, int64_t v)
{
	int k = bind_slot(s, i);
	char *digits;

	if (k < 0)
		return;
	digits = malloc(24);
	if (!digits) {
		s->bind_err = 1;
		return;
	}
	snprintf(digits, 24, "%" PRId64, v);
	s->owned[k] = digits;
	s->vals[k] = digits;
	s->lens[k] = 0;
	s->fmts[k] = 0;
	s->bound[k] = INT8_OID;
}

/* An array literal: {"a","b"}, each element quoted, " and \ escaped. */
static void pg_bind_text_array(db_stmt *s, int i, const char *const *v, size_t n)
{
	int k = bind_slot(s, i);
	size_t len = 2, j;
	char *lit, *o;

	if (k < 0)
		return;
	for (j = 0; j < n; j++) {
		const char *c;
		len += 3;
		for (c = v[j]; *c; c++)
			len += 1 + (*c == '"' || *c == '\\');
	}
	lit = len < INT32_MAX ? malloc(len + 1) : NULL;
	if (!lit) {
		s->bind_err = 1;
		return;
	}
	o = lit;
	*o++ = '{';
	for (j = 0; j < n; j++) {
		const char *c;
		if (j)
			*o++ = ',';
		*o++ = '"';
		for (c = v[j]; *c; c++) {
			if (*c == '"' || *c == '\\')
				*o++ = '\\';
			*o++ = *c;
		}
		*o++ = '"';
	}
	*o++ = '}';
	*o = '\0';
	s->owned[k] = lit;
	s->vals[k] = lit;
	s->lens[k] = (int)(o - lit);
	s->fmts[k] = 0;
	s->bound[k] = TEXT_OID;
}

static void pg_bind_null(db_stmt *s, int i)
{
	int k = bind_slot(s, i);

	if (k >= 0)
		s->vals[k] = NULL;
}

static int pg_params(db_stmt *s)
{
	return s->nparams;
}

static int execute(db_stmt *s)
{
	db *d = s->owner;
	ExecStatusType st;
	PGresult *r;

	r = PQexecPrepared(d->c, s->name, s->nparams, s->vals, s->lens, s->fmts, 0);
	st = PQresultStatus(r);
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
		int rc = status_of(d, r);
		set_err(d, r && PQresultErrorMessage(r)[0] ? PQresultErrorMessage(r) : PQerrorMessage(d->c));
		PQclear(r);
		if (rc != DB_CONSTRAINT)
			db_log("%s\n  in: %.200s", d->err, s->text);
		return rc;
	}
	if (s->write || PQcmdTuples(r)[0])
		d->changes = strtoll(PQcmdTuples(r), NULL, 10);
	if (s->insert && d->changes == 0) {
		/* The row's key was taken: ON CONFLICT DO NOTHING kept the
		 * transaction going, as SQLite's failed statement does. */
		PQclear(r);
		set_err(d, "a row with this key exists (UNIQUE constraint)");
		return DB_CONSTRAINT;
	}
	s->res = r;
	s->nrows = st == PGRES_TUPLES_OK ? PQntuples(r) : 0;
	s->row = -1;
	s->ran = 1;
	if (st == PGRES_TUPLES_OK && PQnfields(r) > s->nblobs) {
		int nf = PQnfields(r), i;
		unsigned char **b = realloc(s->blobs, (size_t)nf * sizeof *b);
		size_t *l;
		if (!b)
			return DB_ERROR;
		s->blobs = b;
		l = realloc(s->blens, (size_t)nf * sizeof *l);
		if (!l)
			return DB_ERROR;
		s->blens = l;
		for (i = s->nblobs; i < nf; i++)
			s->blobs[i] = NULL;
		s->nblobs = nf;
	}
	return DB_OK;
}

static int pg_step(db_stmt *s)
{
	int i;

	if (s->bind_err) {
		fprintf(stderr, "himoya: SQL bind error: parameter out of range or too large\n");
		return DB_ERROR;
	}
	if (!s->ran) {
		db *d = s->owner;
		int rc, defer = d->bulk && d->txn && s->deferrable;
		if (d->pipe_rc != DB_OK)
			return d->pipe_rc;
		/* What went before is read first, unless this one is deferred too
		 * and prepared already (a prepare waits for its answer). */
		if ((!defer || needs_prepare(s)) && pipe_collect(d) != DB_OK)
			return d->pipe_rc;
		if (needs_prepare(s) && stmt_prepare(s->owner, s) != 0) {
			db_log("%s\n  in: %.300s", s->owner->err, s->text);
			return PQstatus(s->owner->c) == CONNECTION_BAD ? DB_UNAVAILABLE : DB_ERROR;
		}
		if (defer) {
			rc = pipe_send(d, s);
			if (rc != DB_DONE)
				return rc;
			s->ran = 1;
			s->nrows = 0;
			s->row = -1;
			return DB_DONE;
		}
		rc = execute(s);
		/* The same for a read outside a transaction: it is asked again
		 * on a new connection (a write is not: it may have been done). */
		if (rc == DB_UNAVAILABLE && !s->write && !s->owner->txn &&
		    PQstatus(s->owner->c) == CONNECTION_BAD && reconnect(s->owner) == 0 &&
		    stmt_prepare(s->owner, s) == 0)
			rc = execute(s);
		if (rc != DB_OK)
			return rc;
	}
	for (i = 0; i < s->nblobs; i++) {
		PQfreemem(s->blobs[i]);
		s->blobs[i] = NULL;
	}
	if (s->row + 1 >= s->nrows) {
		s->row = s->nrows;
		return DB_DONE;
	}
	s->row++;
	return DB_ROW;
}

static int in_row(db_stmt *s, int i)
{
	return s->res && s->row >= 0 && s->row < s->nrows && i >= 0 && i < PQnfields(s->res);
}

static const char *pg_col_text(db_stmt *s, int i)
{
	return in_row(s, i) ? PQgetvalue(s->res, s->row, i) : "";
}

/* A bytea column's value, decoded once per row. */
static const unsigned char *blob_of(db_stmt *s, int i, size_t *len)
{
	if (!in_row(s, i) || PQgetisnull(s->res, s->row, i)) {
		*len = 0;
		return NULL;
	}
	if (PQftype(s->res, i) != BYTEA_OID) {
		*len = (size_t)PQgetlength(s->res, s->row, i);
		return (const unsigned char *)PQgetvalue(s->res, s->row, i);
	}
	if (!s->blobs[i]) {
		s->blobs[i] = PQunescapeBytea((const unsigned char *)PQgetvalue(s->res, s->row, i),
					      &s->blens[i]);
		if (!s->blobs[i]) {
			*len = 0;
			return NULL;
		}
	}
	*len = s->blens[i];
	return s->blobs[i];
}

static const void *pg_col_blob(db_stmt *s, int i)
{
	size_t n;
	const unsigned char *b = blob_of(s, i, &n);
	/* SQLite gives NULL for an empty blob; so do we. */
	return n ? b : NULL;
}

static size_t pg_col_bytes(db_stmt *s, int i)
{
	size_t n;

	blob_of(s, i, &n);
	return n;
}

static int64_t pg_col_int(db_stmt *s, int i)
{
	const char *v;

	if (!in_row(s, i) || PQgetisnull(s->res, s->row, i))
		return 0;
	v = PQgetvalue(s->res, s->row, i);
	if (v[0] == 't' && !v[1])
		return 1;
	if (v[0] == 'f' && !v[1])
		return 0;
	return strtoll(v, NULL, 10);
}

static int pg_col_null(db_stmt *s, int i)
{
	return !in_row(s, i) || PQgetisnull(s->res, s->row, i);
}

static int pg_col_type(db_stmt *s, int i)
{
	if (pg_col_null(s, i))
		return DB_T_NULL;
	switch (PQftype(s->res, i)) {
	case BYTEA_OID: return DB_T_BLOB;
	case INT8_OID: case 23: case 21: return DB_T_INT; /* int8, int4, int2 */
	default: return DB_T_TEXT;
	}
}

static void pg_reset(db_stmt *s)
{
	stmt_clear(s);
}

/* The count of a deferred statement is read: collect its result. */
static int64_t pg_changes(db *d)
{
	if (pipe_collect(d) != DB_OK)
		return 0;
	return d->changes;
}

/* Take the writers' lock (the transaction begun) within ms: at once or
 * not at all when ms is 0, else with the lock timeout lowered for that
 * statement alone (the session's is the whole bound, DB_BUSY_TIMEOUT_MS). */
static int writer_lock(db *d, int ms)
{
	char sql[160];
	PGresult *r;
	int rc;

	if (ms >= DB_BUSY_TIMEOUT_MS)
		return run(d, WRITER_LOCK);
	if (ms > 0) {
		snprintf(sql, sizeof sql, "SET LOCAL lock_timeout = '%dms'; %s;"
			 " SET LOCAL lock_timeout = '%dms'", ms, WRITER_LOCK, DB_BUSY_TIMEOUT_MS);
		return run(d, sql);
	}
	r = PQexec(d->c, "SELECT pg_try_advisory_xact_lock(" WRITER_KEY ")");
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		set_err(d, PQresultErrorMessage(r));
		rc = status_of(d, r);
	} else {
		rc = PQgetvalue(r, 0, 0)[0] == 't' ? DB_OK : DB_BUSY;
		if (rc != DB_OK)
			set_err(d, "the writers' lock is held elsewhere");
	}
	PQclear(r);
	return rc;
}

/* As SQLite's: a writer waits at most ms for the writers' lock. */
static int pg_begin_wait(db *d, int ms)
{
	int rc;

	reconnect(d);
	/* A server restarted or failed over since this connection's last
	 * statement: the connection learns it only now.  Nothing has begun,
	 * so begin again on a new one. */
	rc = run(d, "BEGIN");
	if (rc != DB_OK && PQstatus(d->c) == CONNECTION_BAD)
		rc = reconnect(d) == 0 ? run(d, "BEGIN") : DB_UNAVAILABLE;
	if (rc != DB_OK)
		return rc;
	if (d->mode == DB_WRITE) {
		rc = writer_lock(d, ms);
		if (rc != DB_OK) {
			run(d, "ROLLBACK");
			return rc;
		}
	}
	d->txn = 1;
	return DB_OK;
}

static int pg_begin(db *d)
{
	return pg_begin_wait(d, DB_BUSY_TIMEOUT_MS);
}

/* A deferred statement that failed fails the COMMIT: the transaction is
 * rolled back and its error (naming the statement) kept for db_errmsg. */
static int pg_commit(db *d)
{
	int rc = pipe_collect(d);

	d->txn = 0;
	d->pipe_rc = DB_OK;
	if (rc != DB_OK) {
		char kept[sizeof d->err];
		memcpy(kept, d->err, sizeof kept);
		run(d, "ROLLBACK");
		memcpy(d->err, kept, sizeof kept);
		return rc;
	}
	return commit_run(d);
}

static void pg_rollback(db *d)
{
	pipe_discard(d);
	d->pipe_rc = DB_OK;
	d->txn = 0;
	if (PQtransactionStatus(d->c) != PQTRANS_IDLE)
		run(d, "ROLLBACK");
}

/* PostgreSQL needs none of SQLite's bulk tuning or checkpoints; a bulk
 * load's writes are pipelined (see the top of this file), and so are
 * those of a transaction of many writes (db_pipeline). */
static int pg_bulk(db *d, int on)
{
	int rc = pipe_collect(d);

	d->bulk = on;
	return rc;
}

static int pg_loaded(db *d)
{
	return run(d, "VACUUM (ANALYZE)");
}

static int pg_autocheckpoint(db *d, int on)
{
	(void)d;
	(void)on;
	return DB_OK;
}

static int pg_checkpoint(db *d, int *left)
{
	(void)d;
	*left = 0;
	return DB_OK;
}

/* A table's secondary indexes (not those behind a primary key or a
 * UNIQUE constraint): name and definition, for db_indexes_drop. */
static const char SQL_INDEXES[] =
	"SELECT i.indexname, i.indexdef FROM pg_indexes i"
	" WHERE i.schemaname = current_schema() AND i.tablename = ?1"
	" AND NOT EXISTS (SELECT 1 FROM pg_constraint c"
	"  WHERE c.conindid = (quote_ident(i.schemaname) || '.' || quote_ident(i.indexname))::regclass)"
	" ORDER BY i.indexname";

static const char SQL_TABLE[] =
	"SELECT count(*) FROM information_schema.tables"
	" WHERE table_schema = current_schema() AND table_name = ?1";

static int pg_table_exists(db *d, const char *table)
{
	db_stmt *s = pg_prepare(d, SQL_TABLE);
	int n;

	if (!s)
		return -1;
	pg_bind_text(s, 1, table, strlen(table));
	n = pg_step(s) == DB_ROW ? pg_col_int(s, 0) > 0 : -1;
	pg_reset(s);
	return n;
}

static int pg_backup_to(db *d, const char *path, char *err, size_t errlen)
{
	(void)d;
	snprintf(err, errlen, "%s: a PostgreSQL database is backed up with PostgreSQL's own tools"
		 " (pg_dump, pg_basebackup), not himoya backup", path);
	return DB_ERROR;
}

const struct db_driver db_pg = {
	.open = pg_open, .close = pg_close, .errmsg = pg_errmsg, .exec = pg_exec,
	.prepare = pg_prepare, .bind_text = pg_bind_text, .bind_blob = pg_bind_blob,
	.bind_int = pg_bind_int, .bind_null = pg_bind_null, .params = pg_params,
	.step = pg_step, .col_text = pg_col_text, .col_blob = pg_col_blob,
	.col_bytes = pg_col_bytes, .col_int = pg_col_int, .col_null = pg_col_null,
	.col_type = pg_col_type,
	.reset = pg_reset, .changes = pg_changes, .begin = pg_begin, .commit = pg_commit,
	.begin_wait = pg_begin_wait,
	.rollback = pg_rollback, .bulk = pg_bulk, .loaded = pg_loaded, .pipeline = pg_bulk, .autocheckpoint = pg_autocheckpoint,
	.checkpoint = pg_checkpoint, .indexes_sql = SQL_INDEXES,
	.table_exists = pg_table_exists, .backup_to = pg_backup_to,
	.bind_text_array = pg_bind_text_array,
};
