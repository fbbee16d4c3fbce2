/*
 * audit.c - the append-only, hash-chained audit log.
 *
 * Each entry carries the MAC of the previous one and its own MAC, a keyed
 * BLAKE2b (key from the installation key file, not in the database) over
 * the previous MAC, its sequence number and every field, each with its
 * length.  The newest sequence number and MAC are also kept in meta, so
 * that deleting the newest entries shows as well: `himoya audit verify`
 * names the first entry that was altered, removed or inserted.
 *
 * Writes are audited inside their own transaction.  Reads of PII are
 * queued and a flusher thread commits them in groups: one fsync for many
 * reads keeps auditing off the read path's critical cost.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sodium.h>

#include "store/store_internal.h"

#define AUDIT_QUEUE_MAX 100000  /* queued reads before readers wait */
#define AUDIT_FLUSH_MS 20

/* A queued read: one allocation holding the entry and its strings. */
struct audit_queued {
	struct audit_queued *next;
	char at[TS_LEN];
	struct audit_entry e;
	char text[];
};

static const char SQL_INSERT[] =
	"INSERT INTO audit(seq, at, user_id, org_id, action, record, fields, addr, prev, mac)"
	" VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";
static const char SQL_HEAD_GET[] = "SELECT value FROM meta WHERE key = 'audit_head'";
static const char SQL_HEAD_SET[] =
	"INSERT INTO meta(key, value) VALUES('audit_head', ?1)"
	" ON CONFLICT(key) DO UPDATE SET value = excluded.value";
static const char SQL_LAST[] = "SELECT seq, mac FROM audit ORDER BY seq DESC LIMIT 1";
static const char SQL_ALL[] =
	"SELECT seq, at, user_id, org_id, action, record, fields, addr, prev, mac"
	" FROM audit ORDER BY seq";
static const char SQL_FOR_RECORD[] =
	"SELECT a.seq, a.at, a.user_id, coalesce(u.login, ''), coalesce(o.code, ''),"
	" a.action, a.record, coalesce(a.fields, ''), coalesce(a.addr, '')"
	" FROM audit a LEFT JOIN users u ON u.id = a.user_id LEFT JOIN orgs o ON o.id = a.org_id"
	" WHERE a.record = ?1 ORDER BY a.seq DESC LIMIT ?2";

static void mac_field(crypto_generichash_state *h, const char *s)
{
	unsigned char len[4];
	uint32_t n = s ? (uint32_t)strlen(s) : 0xffffffffu;
	len[0] = (unsigned char)(n >> 24);
	len[1] = (unsigned char)(n >> 16);
	len[2] = (unsigned char)(n >> 8);
	len[3] = (unsigned char)n;
	crypto_generichash_update(h, len, 4);
	if (s)
		crypto_generichash_update(h, (const unsigned char *)s, strlen(s));
}

static void audit_mac(const keyring *kr, const unsigned char prev[HASH_BYTES], int64_t seq,
		      const char *at, const struct audit_entry *e, unsigned char out[HASH_BYTES])
{
	crypto_generichash_state h;
	unsigned char sq[8];
	int i;

	for (i = 0; i < 8; i++)
		sq[i] = (unsigned char)((uint64_t)seq >> (56 - 8 * i));
	crypto_generichash_init(&h, kr->audit, KEY_BYTES, HASH_BYTES);
	crypto_generichash_update(&h, prev, HASH_BYTES);
	crypto_generichash_update(&h, sq, 8);
	mac_field(&h, at);
	mac_field(&h, e->user_id);
	mac_field(&h, e->org_id);
	mac_field(&h, e->action);
	mac_field(&h, e->record);
	mac_field(&h, e->fields);
	mac_field(&h, e->addr);
	crypto_generichash_final(&h, out, HASH_BYTES);
}

/* The head is "SEQ:MAC:TAG" where TAG is a keyed hash of SEQ and MAC under
 * its own domain: whoever deletes the newest entries cannot point the head
 * at the new last entry without the key. */
static void head_tag(const keyring *kr, int64_t seq, const unsigned char mac[HASH_BYTES],
		     unsigned char out[HASH_BYTES])
{
	crypto_generichash_state h;
	char num[24];
	snprintf(num, sizeof num, "%" PRId64, seq);
	crypto_generichash_init(&h, kr->audit, KEY_BYTES, HASH_BYTES);
	crypto_generichash_update(&h, (const unsigned char *)"himoya-audit-head", 17);
	crypto_generichash_update(&h, (const unsigned char *)num, strlen(num) + 1);
	crypto_generichash_update(&h, mac, HASH_BYTES);
	crypto_generichash_final(&h, out, HASH_BYTES);
}

static void head_format(const keyring *kr, int64_t seq, const unsigned char mac[HASH_BYTES],
			char out[160])
{
	char hex[HASH_BYTES * 2 + 1], thex[HASH_BYTES * 2 + 1];
	unsigned char tag[HASH_BYTES];
	head_tag(kr, seq, mac, tag);
	sodium_bin2hex(hex, sizeof hex, mac, HASH_BYTES);
	sodium_bin2hex(thex, sizeof thex, tag, HASH_BYTES);
	snprintf(out, 160, "%" PRId64 ":%s:%s", seq, hex, thex);
}

/* Parse and authenticate the head; -1 when malformed or forged. */
static int head_parse(const keyring *kr, const char *v, int64_t *seq, unsigned char mac[HASH_BYTES])
{
	unsigned char tag[HASH_BYTES], want[HASH_BYTES];
	const char *colon;
	char *end;
	size_t n;
	long long s = strtoll(v, &end, 10);

	if (end == v || *end != ':' || s < 0)
		return -1;
	colon = strchr(end + 1, ':');
	if (!colon || sodium_hex2bin(mac, HASH_BYTES, end + 1, (size_t)(colon - end - 1), NULL, &n,
				     NULL) != 0 || n != HASH_BYTES)
		return -1;
	if (sodium_hex2bin(tag, HASH_BYTES, colon + 1, strlen(colon + 1), NULL, &n, NULL) != 0 ||
	    n != HASH_BYTES)
		return -1;
	head_tag(kr, s, mac, want);
	if (sodium_memcmp(tag, want, HASH_BYTES) != 0)
		return -1;
	*seq = s;
	return 0;
}

/* Load the chain head from meta (the writer lock is held or not needed). */
int store_audit_load_head(store *st)
{
	db_stmt *s = db_prepare(st->writer, SQL_HEAD_GET);
	int rc;

	if (!s)
		return STORE_ERROR;
	st->audit_seq = 0;
	memset(st->audit_mac, 0, HASH_BYTES);
	st->audit_head_ok = 0;
	rc = db_step(s);
	if (rc == DB_ROW && head_parse(st->kr, db_col_text(s, 0), &st->audit_seq, st->audit_mac) == 0) {
		db_reset(s);
		st->audit_head_ok = 1;
		return STORE_OK;
	}
	db_reset(s);
	if (rc != DB_ROW && rc != DB_DONE)
		return STORE_ERROR;
	/* No head, or an altered one: go on from the newest entry, so that
	 * the log keeps growing; `audit verify` reports the damage.  The head
	 * is not rewritten then (audit_insert): a fresh good head over a
	 * chain cut short would hide the cut.  An empty log is a new one. */
	s = db_prepare(st->writer, SQL_LAST);
	if (!s)
		return STORE_ERROR;
	rc = db_step(s);
	if (rc == DB_ROW && db_col_bytes(s, 1) == HASH_BYTES) {
		st->audit_seq = db_col_int(s, 0);
		memcpy(st->audit_mac, db_col_blob(s, 1), HASH_BYTES);
	}
	st->audit_head_ok = rc == DB_DONE;
	db_reset(s);
	return rc == DB_ROW || rc == DB_DONE ? STORE_OK : STORE_ERROR;
}

/* Store the chain head (the newest entry) in meta; the writer lock is held. */
static int audit_write_head(store *st, db *d)
{
	char head[160];
	db_stmt *s;
	int rc;

	if (!st->audit_head_ok)
		return STORE_OK; /* a damaged head stays damaged for `audit verify` */
	head_format(st->kr, st->audit_seq, st->audit_mac, head);
	s = db_prepare(d, SQL_HEAD_SET);
	if (!s)
		return STORE_ERROR;
	db_bind_str(s, 1, head);
	rc = db_step(s);
	db_reset(s);
	return rc == DB_DONE ? STORE_OK : STORE_ERROR;
}

/* Insert one entry and move the chain in memory; the writer lock is held.
 * The caller writes the head once it has inserted its entries. */
static int audit_insert(store *st, db *d, const char *at, const struct audit_entry *e)
{
	unsigned char mac[HASH_BYTES];
	int64_t seq = st->audit_seq + 1;
	db_stmt *s;
	int rc;

	audit_mac(st->kr, st->audit_mac, seq, at, e, mac);
	s = db_prepare(d, SQL_INSERT);
	if (!s)
		return STORE_ERROR;
	db_bind_int(s, 1, seq);
	db_bind_str(s, 2, at);
	db_bind_str(s, 3, e->user_id);
	db_bind_str(s, 4, e->org_id);
	db_bind_str(s, 5, e->action);
	db_bind_str(s, 6, e->record);
	db_bind_str(s, 7, e->fields);
	db_bind_str(s, 8, e->addr);
	db_bind_blob(s, 9, st->audit_mac, HASH_BYTES);
	db_bind_blob(s, 10, mac, HASH_BYTES);
	rc = db_step(s);
	db_reset(s);
	if (rc != DB_DONE)
		return STORE_ERROR;
	st->audit_seq = seq;
	memcpy(st->audit_mac, mac, HASH_BYTES);
	return STORE_OK;
}

int store_audit_append(store_tx *tx, const struct audit_entry *e)
{
	char at[TS_LEN];
	int rc;
	store_now(at);
	rc = audit_insert(tx->st, tx->d, at, e);
	return rc == STORE_OK ? audit_write_head(tx->st, tx->d) : rc;
}

/* Copy s (may be NULL) to *at, moving *at past it; the new copy or NULL. */
static const char *pack(char **at, const char *s)
{
	char *p;
	size_t n;
	if (!s)
		return NULL;
	n = strlen(s) + 1;
	p = *at;
	memcpy(p, s, n);
	*at += n;
	return p;
}

static size_t len0(const char *s)
{
	return s ? strlen(s) + 1 : 0;
}

void store_audit_enqueue(store *st, const struct audit_entry *e)
{
	size_t n = len0(e->user_id) + len0(e->org_id) + len0(e->action) + len0(e->record) +
		   len0(e->fields) + len0(e->addr);
	struct audit_queued *q = malloc(sizeof *q + n);
	char *at;

	if (!q)
		return;
	q->next = NULL;
	store_now(q->at);
	at = q->text;
	q->e.user_id = pack(&at, e->user_id);
	q->e.org_id = pack(&at, e->org_id);
	q->e.action = pack(&at, e->action);
	q->e.record = pack(&at, e->record);
	q->e.fields = pack(&at, e->fields);
	q->e.addr = pack(&at, e->addr);
	pthread_mutex_lock(&st->qlock);
	*st->qtail = q;
	st->qtail = &q->next;
	st->qlen++;
	if (st->qlen >= 256)
		pthread_cond_signal(&st->qcond);
	/* Back-pressure rather than unbounded memory if the disk stalls. */
	while (st->qlen > AUDIT_QUEUE_MAX && !st->qstop) {
		pthread_mutex_unlock(&st->qlock);
		struct timespec ts = {0, 1000000};
		nanosleep(&ts, NULL);
		pthread_mutex_lock(&st->qlock);
	}
	pthread_mutex_unlock(&st->qlock);
}

/* Commit everything queued so far in one transaction. */
void store_audit_flush(store *st)
{
	struct audit_queued *list, *q;
	store_tx *tx;
	int ok = 1;

	pthread_mutex_lock(&st->qlock);
	list = st->qhead;
	st->qhead = NULL;
	st->qtail = &st->qhead;
	st->qlen = 0;
	pthread_mutex_unlock(&st->qlock);
	if (!list)
		return;
	tx = store_begin(st);
	for (q = list; q && tx; q = q->next) {
		if (audit_insert(st, tx->d, q->at, &q->e) != STORE_OK) {
			ok = 0;
			break;
		}
	}
	if (tx && ok && audit_write_head(st, tx->d) != STORE_OK)
		ok = 0;
	if (!tx || !ok || store_commit(tx) != STORE_OK) {
		if (tx && !ok)
			store_rollback(tx);
		fprintf(stderr, "himoya: could not write the audit log; read entries lost\n");
	}
	while (list) {
		q = list->next;
		free(list);
		list = q;
	}
}

void *store_audit_flusher(void *arg)
{
	store *st = arg;

	pthread_mutex_lock(&st->qlock);
	while (!st->qstop) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += AUDIT_FLUSH_MS * 1000000L;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		if (!st->qhead)
			pthread_cond_timedwait(&st->qcond, &st->qlock, &ts);
		if (st->qhead) {
			pthread_mutex_unlock(&st->qlock);
			store_audit_flush(st);
			pthread_mutex_lock(&st->qlock);
		}
	}
	pthread_mutex_unlock(&st->qlock);
	return NULL;
}

int store_audit_verify(store *st, char *msg, size_t msglen, int64_t *entries)
{
	unsigned char prev[HASH_BYTES] = {0}, mac[HASH_BYTES], head_mac[HASH_BYTES];
	int64_t expect = 1, head_seq = 0;
	db *d = store_reader_get(st);
	db_stmt *s;
	int rc, bad = 0, have_head;

	*entries = 0;
	s = db_prepare(d, SQL_HEAD_GET);
	if (!s) {
		store_reader_put(st, d);
		snprintf(msg, msglen, "cannot read the audit log");
		return -1;
	}
	rc = db_step(s);
	have_head = rc == DB_ROW && head_parse(st->kr, db_col_text(s, 0), &head_seq, head_mac) == 0;
	if (rc == DB_ROW && !have_head) {
		db_reset(s);
		store_reader_put(st, d);
		snprintf(msg, msglen, "the audit head was altered");
		return -1;
	}
	db_reset(s);

	s = db_prepare(d, SQL_ALL);
	while (!bad && s && (rc = db_step(s)) == DB_ROW) {
		int64_t seq = db_col_int(s, 0);
		struct audit_entry e;
		char at[TS_LEN];

		if (seq != expect) {
			snprintf(msg, msglen, "audit entry %" PRId64 " is missing (next found: %" PRId64 ")",
				 expect, seq);
			bad = 1;
			break;
		}
		store_col_copy(s, 1, at, sizeof at);
		e.user_id = db_col_null(s, 2) ? NULL : db_col_text(s, 2);
		e.org_id = db_col_null(s, 3) ? NULL : db_col_text(s, 3);
		e.action = db_col_text(s, 4);
		e.record = db_col_null(s, 5) ? NULL : db_col_text(s, 5);
		e.fields = db_col_null(s, 6) ? NULL : db_col_text(s, 6);
		e.addr = db_col_null(s, 7) ? NULL : db_col_text(s, 7);
		audit_mac(st->kr, prev, seq, at, &e, mac);
		if (db_col_bytes(s, 8) != HASH_BYTES || memcmp(db_col_blob(s, 8), prev, HASH_BYTES) ||
		    db_col_bytes(s, 9) != HASH_BYTES || memcmp(db_col_blob(s, 9), mac, HASH_BYTES)) {
			snprintf(msg, msglen, "audit entry %" PRId64 " was altered", seq);
			bad = 1;
			break;
		}
		memcpy(prev, mac, HASH_BYTES);
		expect++;
	}
	if (s)
		db_reset(s);
	store_reader_put(st, d);
	*entries = expect - 1;
	if (bad)
		return -1;
	if (!s || (rc != DB_DONE && rc != DB_ROW)) {
		snprintf(msg, msglen, "cannot read the audit log");
		return -1;
	}
	if (expect - 1 == 0 && !have_head)
		return 0;
	if (!have_head || head_seq != expect - 1 || memcmp(head_mac, prev, HASH_BYTES)) {
		if (have_head && head_seq > expect - 1)
			snprintf(msg, msglen, "audit entry %" PRId64 " is missing (log ends early)",
				 expect);
		else
			snprintf(msg, msglen, "audit head does not match entry %" PRId64, expect - 1);
		return -1;
	}
	return 0;
}

int store_audit_for_record(store *st, const char *record, struct audit_row *rows, size_t max,
			   size_t *found)
{
	db *d = store_reader_get(st);
	db_stmt *s = db_prepare(d, SQL_FOR_RECORD);
	int rc = DB_ERROR;

	*found = 0;
	if (s) {
		db_bind_str(s, 1, record);
		db_bind_int(s, 2, (int64_t)max);
		while ((rc = db_step(s)) == DB_ROW && *found < max) {
			struct audit_row *r = &rows[(*found)++];
			r->seq = db_col_int(s, 0);
			store_col_copy(s, 1, r->at, sizeof r->at);
			store_col_copy(s, 2, r->user_id, sizeof r->user_id);
			store_col_copy(s, 3, r->login, sizeof r->login);
			store_col_copy(s, 4, r->org_code, sizeof r->org_code);
			store_col_copy(s, 5, r->action, sizeof r->action);
			store_col_copy(s, 6, r->record, sizeof r->record);
			store_col_copy(s, 7, r->fields, sizeof r->fields);
			store_col_copy(s, 8, r->addr, sizeof r->addr);
		}
		db_reset(s);
	}
	store_reader_put(st, d);
	return rc == DB_DONE || rc == DB_ROW ? STORE_OK : STORE_ERROR;
}
