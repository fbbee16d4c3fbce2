/*
 * audit_reads.c - finding the reads of a record in the batches of the
 * audit chain (audit.c writes them).
 *
 * audit_reads(rkey, seq) says that batch entry seq holds at least one
 * read of a record whose key is rkey (63 bits of SipHash of the record
 * name, so a collision costs a look at a batch, never a wrong answer: the
 * lines are matched on the record itself).  It is derived data, written
 * in large sorted runs: by the flusher every few seconds or when idle, and
 * by every lookup before it looks (audit_sync), up to the seq kept in
 * meta 'audit_reads_upto'.  A lookup also scans the batches past that
 * seq, so that an index behind the chain (or emptied, to be rebuilt)
 * gives the same answer.  The watermark is keyed ("SEQ:TAG", audit.c):
 * one raised without the key, to hide the reads of the batches it would
 * skip, is not trusted, and the index is made again from the chain.
 * `audit verify` checks the index against the chain (audit_reads_check):
 * every read of a batch up to the watermark has its row, and every row
 * names a batch with a read of its record.
 */
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>

#include "store/store_internal.h"

static const char SQL_BATCHES_AFTER[] =
	"SELECT seq, fields FROM audit WHERE seq > ?1 AND action = 'reads' ORDER BY seq";
static const char SQL_BATCHES_COUNT[] =
	"SELECT count(*) FROM audit WHERE seq > ?1 AND action = 'reads'";
/* INSERT INTO audit_reads(rkey, seq) VALUES (?1, ?2), (?3, ?4), ... ON
 * CONFLICT DO NOTHING, for INDEX_AT_ONCE pairs: a catch-up after a busy
 * second writes thousands of rows, which one by one were a round trip
 * each on PostgreSQL. */
#define INDEX_AT_ONCE 64
static char sql_index_add_many[64 + INDEX_AT_ONCE * 16];
static pthread_once_t index_add_once = PTHREAD_ONCE_INIT;

static void index_add_make(void)
{
	size_t at = (size_t)snprintf(sql_index_add_many, sizeof sql_index_add_many,
				     "INSERT INTO audit_reads(rkey, seq) VALUES");
	int i;

	for (i = 0; i < INDEX_AT_ONCE; i++)
		at += (size_t)snprintf(sql_index_add_many + at, sizeof sql_index_add_many - at,
				       "%s(?%d, ?%d)", i ? ", " : "", 2 * i + 1, 2 * i + 2);
	snprintf(sql_index_add_many + at, sizeof sql_index_add_many - at, " ON CONFLICT DO NOTHING");
}

/* Insert pairs[0..n) into the index, INDEX_AT_ONCE a statement (the last
 * one repeats its last pair, which the conflict clause lets be): DB_DONE,
 * or the failing step's code. */
static int index_add(db *d, const struct audit_pair *pairs, size_t n)
{
	size_t i, k;
	db_stmt *s;
	int rc = DB_DONE;

	pthread_once(&index_add_once, index_add_make);
	for (i = 0; rc == DB_DONE && i < n; i += INDEX_AT_ONCE) {
		if (!(s = db_prepare(d, sql_index_add_many)))
			return DB_ERROR;
		for (k = 0; k < INDEX_AT_ONCE; k++) {
			const struct audit_pair *p = &pairs[i + k < n ? i + k : n - 1];
			db_bind_int(s, (int)(2 * k + 1), p->rkey);
			db_bind_int(s, (int)(2 * k + 2), p->seq);
		}
		rc = db_step(s);
		db_reset(s);
	}
	return rc;
}
static const char SQL_INDEX_FIND[] =
	"SELECT seq FROM audit_reads WHERE rkey = ?1 AND seq <= ?2 ORDER BY seq DESC LIMIT ?3";
static const char SQL_TAIL[] = "SELECT seq FROM audit WHERE seq > ?1 AND action = 'reads'";
static const char SQL_BATCH[] = "SELECT fields FROM audit WHERE seq = ?1 AND action = 'reads'";
static const char SQL_LOGIN[] = "SELECT login FROM users WHERE id = ?1";
static const char SQL_ORG_CODE[] = "SELECT code FROM orgs WHERE id = ?1";

int64_t audit_rkey(const char *record)
{
	static const unsigned char key[crypto_shorthash_KEYBYTES] = "himoya-audit-rds";
	unsigned char h[crypto_shorthash_BYTES];
	uint64_t v = 0;
	int i;

	crypto_shorthash(h, (const unsigned char *)record, strlen(record), key);
	for (i = 0; i < 8; i++)
		v = v << 8 | h[i];
	return (int64_t)(v & INT64_MAX);
}

/* The keyed watermark into *upto, 0 when absent or not authentic
 * (nothing of the index is trusted then): 1, 0 when not authentic, -1 on
 * a database error. */
static int upto_read(const keyring *kr, db *d, int64_t *upto)
{
	db_stmt *s = meta_select(d, "audit_reads_upto");
	int rc = store_step_row(s);

	*upto = 0;
	if (rc != STORE_OK)
		return rc == STORE_NOT_FOUND ? 1 : -1;
	rc = audit_mark_parse(kr, db_col_text(s, 0), upto) == 0;
	db_reset(s);
	if (!rc)
		*upto = 0;
	return rc;
}

void audit_pairs_add(struct audit_pairs *p, int64_t rkey, int64_t seq)
{
	if (p->oom)
		return;
	/* a batch often reads one record many times */
	if (p->n > 0 && p->v[p->n - 1].rkey == rkey && p->v[p->n - 1].seq == seq)
		return;
	if (p->n == p->cap) {
		size_t c = p->cap ? p->cap * 2 : 4096;
		struct audit_pair *q = realloc(p->v, c * sizeof *q);
		if (!q) {
			p->oom = 1;
			return;
		}
		p->v = q;
		p->cap = c;
	}
	p->v[p->n].rkey = rkey;
	p->v[p->n].seq = seq;
	p->n++;
}

static int pair_cmp(const void *a, const void *b)
{
	const struct audit_pair *x = a, *y = b;
	if (x->rkey != y->rkey)
		return x->rkey < y->rkey ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Sort v[0..n) in (rkey, seq) order and drop repeats: how many are left. */
static size_t pairs_sort_unique(struct audit_pair *v, size_t n)
{
	size_t i, w;

	if (n > 1)
		qsort(v, n, sizeof *v, pair_cmp);
	for (i = 0, w = 0; i < n; i++)
		if (w == 0 || pair_cmp(&v[w - 1], &v[i]) != 0)
			v[w++] = v[i];
	return w;
}

/* Scratch room for decoding a line of n bytes. */
static char *scratch(char **buf, size_t *cap, size_t n)
{
	if (n + 9 > *cap) {
		size_t c = *cap ? *cap : 1024;
		char *p;
		while (c < n + 9)
			c *= 2;
		p = realloc(*buf, c);
		if (!p)
			return NULL;
		*buf = p;
		*cap = c;
	}
	return *buf;
}

/* The pairs of the batches this process flushed since the index was last
 * caught up to `from`. */
struct audit_pending {
	struct audit_pairs got;
	int64_t from, batches;
};

void audit_pending_read(store *st, int64_t seq, const char *record)
{
	struct audit_pending *p = st->ridx_mem;

	if (!p || !record)
		return;
	audit_pairs_add(&p->got, audit_rkey(record), seq);
	if (p->got.oom)
		p->from = -1; /* incomplete: read the batches instead */
}

void audit_pending_incomplete(store *st)
{
	if (st->ridx_mem)
		st->ridx_mem->from = -1; /* read the batches instead */
}

void audit_pending_batch(store *st)
{
	if (st->ridx_mem)
		st->ridx_mem->batches++;
}

void audit_pending_free(store *st)
{
	if (st->ridx_mem)
		free(st->ridx_mem->got.v);
	free(st->ridx_mem);
	st->ridx_mem = NULL;
}

/* Start noting pairs afresh from seq. */
static void pending_reset(store *st, int64_t from)
{
	struct audit_pending *p = st->ridx_mem;

	if (!p && (p = st->ridx_mem = calloc(1, sizeof *p)) == NULL)
		return;
	p->got.n = 0;
	p->got.oom = 0;
	p->batches = 0;
	p->from = from;
	if (p->got.cap > 65536) { /* give back what a burst took */
		free(p->got.v);
		p->got.v = NULL;
		p->got.cap = 0;
	}
}

/* 1 when the pairs noted account for every batch after upto: noted from
 * upto on, and as many batches as the chain holds after it (a batch of a
 * rolled-back flush, or of another process, makes the counts differ). */
static int pending_complete(store *st, db *d, int64_t upto)
{
	struct audit_pending *p = st->ridx_mem;
	db_stmt *s;
	int ok;

	if (!p || p->from != upto || !(s = db_prepare(d, SQL_BATCHES_COUNT)))
		return 0;
	db_bind_int(s, 1, upto);
	ok = db_step(s) == DB_ROW && db_col_int(s, 0) == p->batches;
	db_reset(s);
	return ok;
}

int audit_reads_catch_up(store_tx *tx)
{
	store *st = tx->st;
	db *d = tx->d;
	int64_t upto;
	struct audit_pairs got = {0};
	struct audit_pair *pairs = NULL;
	size_t np = 0, bcap = 0;
	char *buf = NULL, num[96];
	db_stmt *s;
	int rc = DB_DONE, ok = 1, mine = 1;

	if (upto_read(st->kr, d, &upto) < 0)
		return STORE_ERROR;
	if (upto < st->audit_seq && pending_complete(st, d, upto)) {
		pairs = st->ridx_mem->got.v;
		np = st->ridx_mem->got.n;
		mine = 0;
	} else if (upto < st->audit_seq) {
		s = db_prepare(d, SQL_BATCHES_AFTER);
		if (!s)
			return STORE_ERROR;
		db_bind_int(s, 1, upto);
		while (ok && (rc = db_step(s)) == DB_ROW) {
			int64_t seq = db_col_int(s, 0);
			const char *p = db_col_text(s, 1), *nl;
			for (; ok && (nl = strchr(p, '\n')) != NULL; p = nl + 1) {
				struct audit_read r;
				char *b = scratch(&buf, &bcap, (size_t)(nl - p));
				if (!b) {
					ok = 0;
					break;
				}
				if (audit_line_decode(p, (size_t)(nl - p), b, &r) != 0 || !r.record)
					continue; /* audit verify reports a damaged line */
				audit_pairs_add(&got, audit_rkey(r.record), seq);
				ok = !got.oom;
			}
		}
		db_reset(s);
		free(buf);
		pairs = got.v;
		np = got.n;
		if (!ok || rc != DB_DONE) {
			free(pairs);
			return STORE_ERROR;
		}
	}
	if (upto < st->audit_seq) {
		/* Sorted, the inserts walk the B-tree once from left to right. */
		np = pairs_sort_unique(pairs, np);
		if (!mine)
			st->ridx_mem->got.n = np;
		rc = index_add(d, pairs, np);
		if (mine)
			free(pairs);
		if (rc != DB_DONE)
			return STORE_ERROR;
		audit_mark_format(st->kr, st->audit_seq, num);
		if (meta_put(d, "audit_reads_upto", num) != STORE_OK)
			return STORE_ERROR;
	}
	pending_reset(st, st->audit_seq);
	st->ridx_at = store_clock_us() / 1000;
	pthread_mutex_lock(&st->qlock);
	st->ridx_behind = 0;
	pthread_mutex_unlock(&st->qlock);
	return STORE_OK;
}

/* ---- lookups ------------------------------------------------------------ */

struct seqs {
	int64_t *v;
	size_t n, cap;
};

static int seqs_add(struct seqs *q, int64_t v)
{
	if (q->n == q->cap) {
		size_t c = q->cap ? q->cap * 2 : 64;
		int64_t *p = realloc(q->v, c * sizeof *p);
		if (!p)
			return -1;
		q->v = p;
		q->cap = c;
	}
	q->v[q->n++] = v;
	return 0;
}

/* Add the seqs a query selects (its first column) to q, its parameters
 * ?1 .. ?n being v[0 .. n): 0, or -1. */
static int seqs_select(db *d, const char *sql, const int64_t *v, int n, struct seqs *q)
{
	db_stmt *s = db_prepare(d, sql);
	int i, rc = DB_ERROR, ok = s != NULL;

	for (i = 0; ok && i < n; i++)
		db_bind_int(s, i + 1, v[i]);
	while (ok && (rc = db_step(s)) == DB_ROW)
		ok = seqs_add(q, db_col_int(s, 0)) == 0;
	if (s)
		db_reset(s);
	return ok && rc == DB_DONE ? 0 : -1;
}

static int seq_desc(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x > y ? -1 : x < y;
}

static void copy(char *out, size_t outlen, const char *v)
{
	snprintf(out, outlen, "%s", v ? v : "");
}

/* One column of a one-row query by id into out ("" when none, or when
 * id is NULL); not run again while id is the one in last, the id of the
 * call before (a batch is mostly one user's, of one organisation). */
static void lookup(db *d, const char *sql, const char *id, char last[ID_LEN], char *out,
		   size_t outlen)
{
	db_stmt *s;

	if (id && !strcmp(id, last))
		return;
	copy(last, ID_LEN, id);
	out[0] = '\0';
	if (!id || !(s = db_prepare(d, sql)))
		return;
	db_bind_str(s, 1, id);
	if (db_step(s) == DB_ROW)
		store_col_copy(s, 0, out, outlen);
	db_reset(s);
}

static int wanted(const struct audit_read *r, const char *const *records, size_t nrec,
		  const char *not_org)
{
	size_t i;
	if (!r->record || (not_org && (!r->org_id || !strcmp(r->org_id, not_org))))
		return 0;
	for (i = 0; i < nrec; i++)
		if (!strcmp(r->record, records[i]))
			return 1;
	return 0;
}

/* The reads of the batches in q (newest first) into out, newest first. */
static int collect(db *d, const struct seqs *q, const char *const *records, size_t nrec,
		   const char *not_org, struct audit_row *out, size_t max, size_t *nout)
{
	struct {
		const char *p;
		size_t n;
	} *hits = NULL;
	size_t hcap = 0, bcap = 0, i;
	char *buf = NULL, last_user[ID_LEN] = "", last_org[ID_LEN] = "", login[128] = "",
	     code[64] = "";
	int ok = 1;

	*nout = 0;
	for (i = 0; ok && i < q->n && *nout < max; i++) {
		db_stmt *s = db_prepare(d, SQL_BATCH);
		const char *p, *nl;
		size_t nh = 0;
		int rc;

		if (!s) {
			ok = 0;
			break;
		}
		db_bind_int(s, 1, q->v[i]);
		rc = store_step_row(s);
		if (rc != STORE_OK) {
			ok = rc == STORE_NOT_FOUND;
			continue;
		}
		/* Find the matching lines first: they are listed newest last. */
		for (p = db_col_text(s, 0); ok && (nl = strchr(p, '\n')) != NULL; p = nl + 1) {
			struct audit_read r;
			char *b = scratch(&buf, &bcap, (size_t)(nl - p));
			if (!b) {
				ok = 0;
				break;
			}
			if (audit_line_decode(p, (size_t)(nl - p), b, &r) != 0 ||
			    !wanted(&r, records, nrec, not_org))
				continue;
			if (nh == hcap) {
				size_t c = hcap ? hcap * 2 : 64;
				void *h = realloc(hits, c * sizeof *hits);
				if (!h) {
					ok = 0;
					break;
				}
				hits = h;
				hcap = c;
			}
			hits[nh].p = p;
			hits[nh].n = (size_t)(nl - p);
			nh++;
		}
		while (ok && nh > 0 && *nout < max) {
			struct audit_row *o = &out[*nout];
			struct audit_read r;
			nh--;
			/* buf already holds room for the longest line of the batch */
			if (audit_line_decode(hits[nh].p, hits[nh].n, buf, &r) != 0)
				continue;
			(*nout)++;
			o->seq = q->v[i];
			copy(o->at, sizeof o->at, r.at);
			copy(o->user_id, sizeof o->user_id, r.user_id);
			copy(o->action, sizeof o->action, r.action);
			copy(o->record, sizeof o->record, r.record);
			copy(o->fields, sizeof o->fields, r.fields);
			copy(o->addr, sizeof o->addr, r.addr);
			lookup(d, SQL_LOGIN, r.user_id, last_user, login, sizeof login);
			lookup(d, SQL_ORG_CODE, r.org_id, last_org, code, sizeof code);
			copy(o->login, sizeof o->login, login);
			copy(o->org_code, sizeof o->org_code, code);
		}
		db_reset(s);
	}
	free(hits);
	free(buf);
	return ok ? 0 : -1;
}

int audit_reads_merge(store *st, const char *const *records, size_t nrec, const char *not_org,
		      struct audit_row *rows, size_t max, size_t *found)
{
	struct seqs q = {0};
	struct audit_row *reads = NULL, *out = NULL;
	size_t nr = 0, i, a, b, n;
	db *d;
	int64_t upto;
	int ok;

	if (max == 0)
		return STORE_OK;
	d = store_reader_get(st);
	/* One snapshot: the index up to `upto`, the batches after it. */
	if (db_exec(d, "BEGIN") != DB_OK) {
		store_reader_put(st, d);
		return STORE_ERROR;
	}
	ok = upto_read(st->kr, d, &upto) >= 0;
	for (i = 0; ok && i < nrec; i++) {
		/* Each batch found holds a read of the record; with not_org
		 * its reads may all be the owner's, so look at every one. */
		int64_t v[3] = {audit_rkey(records[i]), upto, not_org ? INT64_MAX : (int64_t)max};
		ok = seqs_select(d, SQL_INDEX_FIND, v, 3, &q) == 0;
	}
	ok = ok && seqs_select(d, SQL_TAIL, &upto, 1, &q) == 0;
	if (ok) {
		if (q.n > 1)
			qsort(q.v, q.n, sizeof *q.v, seq_desc);
		for (i = 0, n = 0; i < q.n; i++)
			if (n == 0 || q.v[n - 1] != q.v[i])
				q.v[n++] = q.v[i];
		q.n = n;
		reads = malloc(max * sizeof *reads);
		ok = reads && collect(d, &q, records, nrec, not_org, reads, max, &nr) == 0;
	}
	db_exec(d, "COMMIT");
	store_reader_put(st, d);
	free(q.v);
	if (ok && nr > 0 && !(out = malloc(max * sizeof *out)))
		ok = 0;
	if (ok && nr > 0) {
		/* Both lists are newest first; a batch's seq is its reads'. */
		for (a = 0, b = 0, n = 0; n < max && (a < *found || b < nr); n++)
			if (b >= nr || (a < *found && rows[a].seq > reads[b].seq))
				out[n] = rows[a++];
			else
				out[n] = reads[b++];
		if (n)
			memcpy(rows, out, n * sizeof *rows);
		*found = n;
	}
	free(out);
	free(reads);
	return ok ? STORE_OK : STORE_ERROR;
}

/* ---- checking the index against the chain -------------------------------- */

static const char SQL_INDEX_ALL[] = "SELECT rkey, seq FROM audit_reads ORDER BY rkey, seq";

int audit_reads_check(const keyring *kr, db *d, struct audit_pairs *chain, int64_t entries,
		      char *msg, size_t msglen)
{
	db_stmt *s;
	size_t i;
	int64_t upto;
	int rc = upto_read(kr, d, &upto), bad = 0;

	if (rc < 0) {
		snprintf(msg, msglen, "cannot read the index of reads (audit_reads)");
		return -1;
	}
	if (rc == 0 || upto > entries) {
		snprintf(msg, msglen, "the watermark of the index of reads (audit_reads) was altered:"
			 " run `himoya audit reindex`");
		return -1;
	}
	chain->n = pairs_sort_unique(chain->v, chain->n);

	/* Both in (rkey, seq) order: one merge. */
	s = db_prepare(d, SQL_INDEX_ALL);
	if (!s) {
		snprintf(msg, msglen, "cannot read the index of reads (audit_reads)");
		return -1;
	}
	i = 0;
	while (!bad && (rc = db_step(s)) == DB_ROW) {
		struct audit_pair row = {db_col_int(s, 0), db_col_int(s, 1)};
		int c = 1;
		/* reads of the chain before this row must all be indexed already */
		while (i < chain->n && (c = pair_cmp(&chain->v[i], &row)) < 0) {
			if (chain->v[i].seq <= upto) {
				bad = 2;
				break;
			}
			i++;
		}
		if (bad)
			break;
		if (i < chain->n && c == 0)
			i++;
		else {
			snprintf(msg, msglen, "the index of reads (audit_reads) has a row for batch %"
				 PRId64 " that no read of the chain matches: run `himoya audit"
				 " reindex`", row.seq);
			bad = 1;
		}
	}
	db_reset(s);
	if (!bad && rc != DB_DONE) {
		snprintf(msg, msglen, "cannot read the index of reads (audit_reads)");
		return -1;
	}
	while (!bad && i < chain->n && chain->v[i].seq > upto)
		i++;
	if (!bad && i < chain->n)
		bad = 2;
	if (bad == 2)
		snprintf(msg, msglen, "the index of reads (audit_reads) lacks a read of batch %"
			 PRId64 " (rows were deleted: GET /audit would not list it): run `himoya"
			 " audit reindex`", chain->v[i].seq);
	return bad ? -1 : 0;
}
