/*
 * copy.c - copy a SQLite installation into an empty PostgreSQL database
 * (himoya migrate --from DIR --to postgresql://...).
 *
 * The target gets its schema from the driver's own migrations, then every
 * table's rows as they are, in one transaction: the audit chain, sealed
 * blobs and report tables byte for byte, so that the same key opens the
 * copy and verifies its chain.  Foreign keys and the report triggers are
 * set aside for the copy (session_replication_role = replica: rows arrive
 * table by table, consistent only as a whole).  Then each identity column
 * is moved past the highest value copied, and the caller checks the
 * chain and every table's count on both sides (store_copy_counts).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_internal.h"

#define MAX_TABLES 128
#define MAX_COLS 64
/* The room of a table's SELECT or INSERT: its column names twice, and the rest. */
#define SQL_ROOM (64 * MAX_COLS * 2 + 256)

struct table_copy {
	char name[64];
	char cols[MAX_COLS][64];
	int ncols, identity[MAX_COLS];
	char *select, *insert; /* kept until the connections close: db_prepare's keys */
};

struct copy {
	struct table_copy t[MAX_TABLES];
	int n;
};

static const char SQL_PG_TABLES[] =
	"SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
	" AND table_type = 'BASE TABLE' ORDER BY table_name";
static const char SQL_PG_COLS[] =
	"SELECT column_name, is_identity FROM information_schema.columns"
	" WHERE table_schema = current_schema() AND table_name = ?1 ORDER BY ordinal_position";
static const char SQL_SQLITE_HAS[] =
	"SELECT count(*) FROM pragma_table_info(?1) WHERE name = ?2";
static const char SQL_SQLITE_NCOLS[] = "SELECT count(*) FROM pragma_table_info(?1)";

static int ident_ok(const char *s)
{
	if (!*s || strlen(s) >= 64)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
			return 0;
	return 1;
}

/* The count a query gives, its ?1 and ?2 the texts a and b where not
 * NULL: -1 when it fails. */
static long long count_of(db *d, const char *sql_static, const char *a, const char *b)
{
	db_stmt *s = db_prepare(d, sql_static);
	long long n = -1;

	if (s && a)
		db_bind_str(s, 1, a);
	if (s && b)
		db_bind_str(s, 2, b);
	if (store_step_row(s) == STORE_OK) {
		n = db_col_int(s, 0);
		db_reset(s);
	}
	return n;
}

/* The tables and columns of the target, matched against the source's. */
static int plan(db *src, db *dst, struct copy *c, char *err, size_t errlen)
{
	db_stmt *s = db_prepare(dst, SQL_PG_TABLES);
	int i, rc;

	if (!s)
		goto dberr;
	while ((rc = db_step(s)) == DB_ROW && c->n < MAX_TABLES) {
		const char *name = db_col_text(s, 0);
		if (!ident_ok(name)) {
			db_reset(s);
			snprintf(err, errlen, "unexpected table name in the target: %.60s", name);
			return -1;
		}
		snprintf(c->t[c->n++].name, sizeof c->t[0].name, "%s", name);
	}
	db_reset(s);
	if (rc != DB_DONE)
		goto dberr;
	for (i = 0; i < c->n; i++) {
		struct table_copy *t = &c->t[i];
		int k, found = 0, src_cols;
		size_t len, cap = SQL_ROOM;
		char *sel, *ins;

		s = db_prepare(dst, SQL_PG_COLS);
		if (!s)
			goto dberr;
		db_bind_str(s, 1, t->name);
		while ((rc = db_step(s)) == DB_ROW && t->ncols < MAX_COLS) {
			if (!ident_ok(db_col_text(s, 0)))
				break;
			snprintf(t->cols[t->ncols], sizeof t->cols[0], "%s", db_col_text(s, 0));
			t->identity[t->ncols++] = !strcmp(db_col_text(s, 1), "YES");
		}
		db_reset(s);
		if (rc != DB_DONE) {
			snprintf(err, errlen, "%s: cannot read its columns in the target", t->name);
			return -1;
		}
		/* Every source column must have its place in the target. */
		src_cols = (int)count_of(src, SQL_SQLITE_NCOLS, t->name, NULL);
		if (src_cols < 0) {
			snprintf(err, errlen, "%s: cannot read its columns in the source: %s", t->name,
				 db_errmsg(src));
			return -1;
		}
		for (k = 0; k < t->ncols; k++)
			found += count_of(src, SQL_SQLITE_HAS, t->name, t->cols[k]) > 0;
		/* The target's extra column is SQLite's implicit rowid, copied too. */
		if (src_cols <= 0 || found != src_cols) {
			snprintf(err, errlen, "table %s: the two schemas differ (%d of its %d columns"
				 " found in the target)", t->name, found, src_cols);
			return -1;
		}
		/* Either made is freed with the plan (copy_free). */
		sel = t->select = malloc(cap);
		ins = t->insert = malloc(cap);
		if (!sel || !ins) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		len = (size_t)snprintf(sel, cap, "SELECT ");
		for (k = 0; k < t->ncols; k++)
			len += (size_t)snprintf(sel + len, cap - len, "%s%s", k ? ", " : "", t->cols[k]);
		snprintf(sel + len, cap - len, " FROM %s", t->name);
		len = (size_t)snprintf(ins, cap, "INSERT INTO %s(", t->name);
		for (k = 0; k < t->ncols; k++)
			len += (size_t)snprintf(ins + len, cap - len, "%s%s", k ? ", " : "", t->cols[k]);
		len += (size_t)snprintf(ins + len, cap - len, ") OVERRIDING SYSTEM VALUE VALUES(");
		for (k = 0; k < t->ncols; k++)
			len += (size_t)snprintf(ins + len, cap - len, "%s?%d", k ? ", " : "", k + 1);
		snprintf(ins + len, cap - len, ")");
	}
	return 0;
dberr:
	snprintf(err, errlen, "%s", db_errmsg(dst));
	return -1;
}

static int copy_table(db *src, db *dst, struct table_copy *t, long long *rows, char *err,
		      size_t errlen)
{
	db_stmt *r = db_prepare(src, t->select), *w;
	int rc, k;

	if (!r) {
		snprintf(err, errlen, "%s: %s", t->name, db_errmsg(src));
		return -1;
	}
	*rows = 0;
	while ((rc = db_step(r)) == DB_ROW) {
		w = db_prepare(dst, t->insert);
		if (!w)
			break;
		for (k = 0; k < t->ncols; k++) {
			switch (db_col_type(r, k)) {
			case DB_T_NULL: db_bind_null(w, k + 1); break;
			case DB_T_INT: db_bind_int(w, k + 1, db_col_int(r, k)); break;
			case DB_T_BLOB: {
				/* An empty blob reads as NULL: bind it as empty. */
				const void *b = db_col_blob(r, k);
				db_bind_blob(w, k + 1, b ? b : "", db_col_bytes(r, k));
				break;
			}
			default:
				db_bind_text(w, k + 1, db_col_text(r, k), db_col_bytes(r, k));
			}
		}
		if (db_step(w) != DB_DONE) {
			db_reset(w);
			db_reset(r);
			snprintf(err, errlen, "%s, row %lld: %s", t->name, *rows + 1, db_errmsg(dst));
			return -1;
		}
		db_reset(w);
		(*rows)++;
	}
	db_reset(r);
	if (rc != DB_DONE) {
		snprintf(err, errlen, "%s: %s", t->name, db_errmsg(src));
		return -1;
	}
	/* The next identity value past every copied one. */
	for (k = 0; k < t->ncols; k++) {
		char sql[512];
		if (!t->identity[k])
			continue;
		snprintf(sql, sizeof sql,
			 "SELECT setval(pg_get_serial_sequence('%s', '%s'),"
			 " (SELECT coalesce(max(%s), 0) + 1 FROM %s), false)",
			 t->name, t->cols[k], t->cols[k], t->name);
		if (db_exec(dst, sql) != DB_OK) {
			snprintf(err, errlen, "%s: %s", t->name, db_errmsg(dst));
			return -1;
		}
	}
	return 0;
}

static void copy_free(struct copy *c)
{
	int i;

	for (i = 0; i < c->n; i++) {
		free(c->t[i].select);
		free(c->t[i].insert);
	}
	free(c);
}

int store_copy_to(store *st, const char *url, store_copy_fn report, void *arg, char *err,
		  size_t errlen)
{
	struct copy *c = calloc(1, sizeof *c);
	db *dst = NULL, *src = NULL;
	int i, rc = STORE_ERROR, has;

	if (!c) {
		snprintf(err, errlen, "out of memory");
		return STORE_ERROR;
	}
	if (!db_is_url(url)) {
		snprintf(err, errlen, "--to takes a postgresql:// URL");
		goto out;
	}
	if (db_open(url, DB_WRITE, &dst, err, errlen) != DB_OK)
		goto out;
	has = db_table_exists(dst, "meta");
	if (has != 0) {
		snprintf(err, errlen, has > 0 ? "the target database already holds a himoya database:"
			 " migrate copies into an empty one only"
			 : "cannot read the target database");
		goto out;
	}
	store_audit_flush(st);
	/* Connections of our own: the plan's SQL strings are freed after
	 * they close, so no statement cache keeps their addresses. */
	if (db_open(st->path, DB_READ, &src, err, errlen) != DB_OK)
		goto out;
	/* One snapshot of the source; one transaction in the target, the
	 * schema made in it too (PostgreSQL's DDL is transactional): a copy
	 * refused, failed or killed at any point leaves the target as empty
	 * as it was. */
	if (db_exec(src, "BEGIN") != DB_OK || db_begin(dst) != DB_OK ||
	    db_bulk(dst, 1) != DB_OK) {
		snprintf(err, errlen, "cannot begin the copy: %s", db_errmsg(dst));
		goto out;
	}
	if (db_exec(dst, "SET LOCAL session_replication_role = replica") != DB_OK) {
		snprintf(err, errlen, "the target refused session_replication_role (%s): run migrate"
			 " as the database's superuser (postgres); nothing was written", db_errmsg(dst));
		goto out;
	}
	if (store_migrate_in(dst, err, errlen) != STORE_OK)
		goto out;
	if (plan(src, dst, c, err, errlen) != 0)
		goto out;
	/* meta and the schema version the migrations wrote come from the source. */
	if (db_exec(dst, "DELETE FROM meta") != DB_OK) {
		snprintf(err, errlen, "%s", db_errmsg(dst));
		goto out;
	}
	for (i = 0; i < c->n; i++) {
		long long rows;
		if (copy_table(src, dst, &c->t[i], &rows, err, errlen) != 0)
			goto out;
		if (report)
			report(arg, c->t[i].name, rows);
	}
	if (db_commit(dst) != DB_OK) {
		snprintf(err, errlen, "commit: %s", db_errmsg(dst));
		goto out;
	}
	/* As after any bulk load, before the servers come (db_loaded).  The
	 * copy is whole without it: a failure is said, and autovacuum does
	 * it later. */
	if (db_loaded(dst) != DB_OK)
		fprintf(stderr, "himoya: the copy is made, but VACUUM (ANALYZE) failed on it (%s):"
			" run it before serving\n", db_errmsg(dst));
	rc = STORE_OK;
out:
	if (src) {
		db_exec(src, "COMMIT");
		db_close(src);
	}
	if (dst) {
		db_rollback(dst);
		db_close(dst);
	}
	copy_free(c);
	return rc;
}

/* The rows of every table in the source and in the copy at url; report
 * gets each pair, and the tables whose counts differ are counted. */
int store_copy_counts(store *st, const char *url, store_count_fn report, void *arg,
		      int *mismatches)
{
	struct copy *c = calloc(1, sizeof *c);
	db *src = NULL, *dst = NULL;
	char err[256];
	int i, rc = STORE_ERROR;

	*mismatches = 0;
	if (!c || db_open(st->path, DB_READ, &src, err, sizeof err) != DB_OK ||
	    db_open(url, DB_READ, &dst, err, sizeof err) != DB_OK || plan(src, dst, c, err, sizeof err) != 0)
		goto out;
	for (i = 0; i < c->n; i++) {
		long long a, b;
		/* The plan's select string is a key of both connections' caches
		 * until they close: reuse it for the count. */
		snprintf(c->t[i].select, SQL_ROOM, "SELECT count(*) FROM %s", c->t[i].name);
		a = count_of(src, c->t[i].select, NULL, NULL);
		b = count_of(dst, c->t[i].select, NULL, NULL);
		if (report)
			report(arg, c->t[i].name, a, b);
		if (a < 0 || a != b)
			(*mismatches)++;
	}
	rc = STORE_OK;
out:
	db_close(src);
	db_close(dst);
	if (c)
		copy_free(c);
	return rc;
}
