/*
 * audit.c - the append-only, hash-chained audit log.
 *
 * Each entry carries the MAC of the previous one and its own MAC, a keyed
 * BLAKE2b (key from the installation key file, not in the database) over
 * the previous MAC, its sequence number and every field, each with its
 * length.  The newest sequence number and MAC are also kept in meta (the
 * keyed head), so that deleting the newest entries shows as well; and a
 * keyed anchor in meta names the entry the log is known to reach: the
 * genesis entry written when the database was made (or the head of a
 * database made before anchors, when first opened).  So the log cannot
 * be emptied or cut from either end or the middle unseen: `himoya audit
 * verify` names the first entry that was altered, removed or inserted,
 * checks the derived index audit_reads against the batches, and prints
 * the head for a copy kept elsewhere (--expect-head), which is what
 * catches whoever holds the key rewriting or rolling back the whole log.
 *
 * Writes are audited inside their own transaction, one entry each.  Reads
 * of PII (and failed sign-ins) are queued and a flusher thread commits
 * them every few milliseconds as ONE entry of action "reads" whose fields
 * column holds a line per read:
 *
 *   action TAB at TAB user TAB org TAB record TAB fields TAB addr TAB mac LF
 *
 * each value escaped (a byte below 0x20, 0x7f or a backslash as \xHH; a
 * null as \N), mac being a keyed BLAKE2b-128 of the batch's seq, the read's
 * place in the batch and its line up to the mac.  The entry's MAC covers the whole payload;
 * the line MACs let `audit verify` name the read inside a batch that no
 * longer matches.  One row per batch keeps the random-key index of
 * audit(record) off the hot path; the derived table audit_reads, caught
 * up lazily (audit_reads.c), finds the batches that hold a record.
 */
#include <inttypes.h>
#include <stdalign.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sodium.h>

#include "store/store_internal.h"
#include "util/buf.h"
#include "util/lograte.h"

#define AUDIT_QUEUE_MAX 100000  /* queued reads before readers wait */
#define AUDIT_QUEUE_HIGH 20000  /* queued reads that make the flusher hurry */
#define AUDIT_FLUSH_MS 20
#define AUDIT_INDEX_MS 5000     /* audit_reads caught up at least this often */
#define READ_MAC_BYTES 16

/* A queued read: the entry and its strings, carved from a chunk (the
 * flusher frees a few chunks a batch rather than every read). */
struct audit_queued {
	struct audit_queued *next;
	char at[TS_LEN];
	struct audit_entry e;
	char text[];
};

#define AUDIT_CHUNK 65536

struct audit_chunk {
	struct audit_chunk *next;
	size_t used, cap;
	alignas(max_align_t) unsigned char data[];
};

static const char SQL_INSERT[] =
	"INSERT INTO audit(seq, at, user_id, org_id, action, record, fields, addr, prev, mac)"
	" VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";
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
	/* in the order of the table's columns, as audit_insert binds them */
	const char *v[] = {at, e->user_id, e->org_id, e->action, e->record, e->fields, e->addr};
	crypto_generichash_state h;
	unsigned char sq[8];
	int i;

	for (i = 0; i < 8; i++)
		sq[i] = (unsigned char)((uint64_t)seq >> (56 - 8 * i));
	crypto_generichash_init(&h, kr->audit, KEY_BYTES, HASH_BYTES);
	crypto_generichash_update(&h, prev, HASH_BYTES);
	crypto_generichash_update(&h, sq, 8);
	for (i = 0; i < 7; i++)
		mac_field(&h, v[i]);
	crypto_generichash_final(&h, out, HASH_BYTES);
}

/* The MAC of one read of batch seq, at place idx (from 1): over its line
 * up to and with the tab before the MAC (the encoding is one to one). */
static void read_mac(const keyring *kr, int64_t seq, uint32_t idx, const char *text, size_t n,
		     unsigned char out[READ_MAC_BYTES])
{
	crypto_generichash_state h;
	unsigned char b[17 + 12];
	int i;

	memcpy(b, "himoya-audit-read", 17);
	for (i = 0; i < 8; i++)
		b[17 + i] = (unsigned char)((uint64_t)seq >> (56 - 8 * i));
	for (i = 0; i < 4; i++)
		b[25 + i] = (unsigned char)(idx >> (24 - 8 * i));
	crypto_generichash_init(&h, kr->audit, KEY_BYTES, READ_MAC_BYTES);
	crypto_generichash_update(&h, b, sizeof b);
	crypto_generichash_update(&h, (const unsigned char *)text, n);
	crypto_generichash_final(&h, out, READ_MAC_BYTES);
}

/* 1 when the MAC ending the line [line, line + n) of read idx (from 1)
 * of batch seq matches. */
static int audit_line_ok(const keyring *kr, int64_t seq, uint32_t idx, const char *line,
			 size_t n)
{
	unsigned char mac[READ_MAC_BYTES], got[READ_MAC_BYTES];
	const char *tab = n ? memrchr(line, '\t', n) : NULL;
	size_t len;

	if (!tab || sodium_hex2bin(got, sizeof got, tab + 1, n - (size_t)(tab + 1 - line), NULL,
				   &len, NULL) != 0 || len != sizeof got)
		return 0;
	read_mac(kr, seq, idx, line, (size_t)(tab + 1 - line), mac);
	return sodium_memcmp(mac, got, sizeof mac) == 0;
}

/* Append one value, escaped, then sep. */
static void buf_value(buf *b, const char *s, char sep)
{
	static const char hex[] = "0123456789abcdef";
	const char *run = s, *p;

	if (!s) {
		buf_add(b, "\\N", 2);
		buf_putc(b, sep);
		return;
	}
	for (p = s; *p; p++) {
		unsigned char c = (unsigned char)*p;
		char esc[4] = {'\\', 'x', hex[c >> 4], hex[c & 15]};

		if (c >= 0x20 && c != 0x7f && c != '\\')
			continue;
		buf_add(b, run, (size_t)(p - run));
		buf_add(b, esc, sizeof esc);
		run = p + 1;
	}
	buf_add(b, run, (size_t)(p - run));
	buf_putc(b, sep);
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

int audit_line_decode(const char *line, size_t n, char *dst, struct audit_read *out)
{
	const char **slot[8] = {&out->action, &out->at, &out->user_id, &out->org_id,
				&out->record, &out->fields, &out->addr, &out->mac};
	const char *p = line, *end = line + n;
	int k;

	for (k = 0; k < 8; k++) {
		const char *v = p;
		char *o = dst;
		while (p < end && *p != '\t')
			p++;
		if ((k < 7) != (p < end)) /* seven tabs, the last value runs to the end */
			return -1;
		if (p - v == 2 && v[0] == '\\' && v[1] == 'N') {
			*slot[k] = NULL;
		} else {
			for (; v < p; v++) {
				if (*v != '\\') {
					*o++ = *v;
					continue;
				}
				if (p - v < 4 || v[1] != 'x' || hexval(v[2]) < 0 || hexval(v[3]) < 0)
					return -1;
				*o++ = (char)(hexval(v[2]) << 4 | hexval(v[3]));
				v += 3;
			}
			*o++ = '\0';
			*slot[k] = dst;
			dst = o;
		}
		p++;
	}
	return 0;
}

/* The head is "SEQ:MAC:TAG" where TAG is a keyed hash of SEQ and MAC under
 * its own domain: whoever deletes the newest entries cannot point the head
 * at the new last entry without the key.  The anchor (the entry the log
 * is known to reach: its genesis, or where a database from before anchors
 * was first opened) has the same form under another domain, so that
 * neither can stand in for the other; the watermark of audit_reads is
 * "SEQ:TAG" under a third. */
#define DOMAIN_HEAD "himoya-audit-head"
#define DOMAIN_ANCHOR "himoya-audit-anchor"
#define DOMAIN_MARK "himoya-audit-reads-upto"

static void head_tag(const keyring *kr, const char *domain, int64_t seq,
		     const unsigned char *mac, unsigned char out[HASH_BYTES])
{
	crypto_generichash_state h;
	char num[24];
	snprintf(num, sizeof num, "%" PRId64, seq);
	crypto_generichash_init(&h, kr->audit, KEY_BYTES, HASH_BYTES);
	crypto_generichash_update(&h, (const unsigned char *)domain, strlen(domain));
	crypto_generichash_update(&h, (const unsigned char *)num, strlen(num) + 1);
	if (mac)
		crypto_generichash_update(&h, mac, HASH_BYTES);
	crypto_generichash_final(&h, out, HASH_BYTES);
}

/* "SEQ:MAC:TAG", or "SEQ:TAG" when mac is NULL (the watermark). */
static void head_format(const keyring *kr, const char *domain, int64_t seq,
			const unsigned char *mac, char *out, size_t outlen)
{
	char hex[HASH_BYTES * 2 + 1] = "", thex[HASH_BYTES * 2 + 1];
	unsigned char tag[HASH_BYTES];
	head_tag(kr, domain, seq, mac, tag);
	if (mac)
		sodium_bin2hex(hex, sizeof hex, mac, HASH_BYTES);
	sodium_bin2hex(thex, sizeof thex, tag, HASH_BYTES);
	snprintf(out, outlen, "%" PRId64 ":%s%s%s", seq, hex, mac ? ":" : "", thex);
}

/* Parse and authenticate what head_format made (with a MAC when mac is
 * not NULL); -1 when malformed or forged. */
static int head_parse(const keyring *kr, const char *domain, const char *v, int64_t *seq,
		      unsigned char *mac)
{
	unsigned char want[HASH_BYTES], tag[HASH_BYTES];
	const char *colon, *thex;
	char *end;
	size_t n;
	long long s = strtoll(v, &end, 10);

	if (end == v || *end != ':' || s < 0)
		return -1;
	thex = end + 1;
	if (mac) {
		colon = strchr(thex, ':');
		if (!colon || sodium_hex2bin(mac, HASH_BYTES, thex, (size_t)(colon - thex), NULL,
					     &n, NULL) != 0 || n != HASH_BYTES)
			return -1;
		thex = colon + 1;
	}
	head_tag(kr, domain, s, mac, want);
	if (sodium_hex2bin(tag, HASH_BYTES, thex, strlen(thex), NULL, &n, NULL) != 0 ||
	    n != HASH_BYTES || sodium_memcmp(tag, want, HASH_BYTES) != 0)
		return -1;
	*seq = s;
	return 0;
}

void audit_mark_format(const keyring *kr, int64_t seq, char out[96])
{
	head_format(kr, DOMAIN_MARK, seq, NULL, out, 96);
}

int audit_mark_parse(const keyring *kr, const char *v, int64_t *seq)
{
	return head_parse(kr, DOMAIN_MARK, v, seq, NULL);
}

static void digest_hex(const unsigned char mac[HASH_BYTES], char out[AUDIT_DIGEST_HEX + 1])
{
	sodium_bin2hex(out, AUDIT_DIGEST_HEX + 1, mac, AUDIT_DIGEST_HEX / 2);
}

/* Read and authenticate a head or the anchor: 1 when authentic, 0 when
 * absent, -1 when altered, -2 on a database error. */
static int keyed_get(const keyring *kr, db *d, const char *key, const char *domain,
		     int64_t *seq, unsigned char mac[HASH_BYTES])
{
	db_stmt *s = meta_select(d, key);
	int rc = store_step_row(s);

	if (rc != STORE_OK)
		return rc == STORE_NOT_FOUND ? 0 : -2;
	rc = head_parse(kr, domain, db_col_text(s, 0), seq, mac) == 0 ? 1 : -1;
	db_reset(s);
	return rc;
}

int audit_head_read(const keyring *kr, db *d, struct audit_head *h)
{
	unsigned char mac[HASH_BYTES];
	int rc = keyed_get(kr, d, "audit_head", DOMAIN_HEAD, &h->seq, mac);

	h->digest[0] = '\0';
	if (rc == 1)
		digest_hex(mac, h->digest);
	else
		h->seq = 0;
	return rc == -2 ? -1 : 0;
}

/* The newest entry's seq and MAC into *seq and mac, left as they are
 * when the log is empty or the MAC is not HASH_BYTES long: 0, or -1 on a
 * database error. */
static int last_entry(db *d, int64_t *seq, unsigned char mac[HASH_BYTES])
{
	db_stmt *s = db_prepare(d, SQL_LAST);
	int rc = store_step_row(s);

	if (rc != STORE_OK)
		return rc == STORE_NOT_FOUND ? 0 : -1;
	if (db_col_bytes(s, 1) == HASH_BYTES) {
		*seq = db_col_int(s, 0);
		memcpy(mac, db_col_blob(s, 1), HASH_BYTES);
	}
	db_reset(s);
	return 0;
}

/* Load the chain head from meta (the writer lock is held or not needed). */
int store_audit_load_head(store *st)
{
	int rc;

	st->audit_seq = 0;
	memset(st->audit_mac, 0, HASH_BYTES);
	st->audit_head_ok = 0;
	rc = keyed_get(st->kr, st->writer, "audit_head", DOMAIN_HEAD, &st->audit_seq, st->audit_mac);
	if (rc == 1) {
		st->audit_head_ok = 1;
		return STORE_OK;
	}
	if (rc == -2)
		return STORE_ERROR;
	/* No head, or an altered one: go on from the newest entry, so that
	 * the log keeps growing; `audit verify` reports the damage.  The head
	 * is not rewritten then (audit_insert): a fresh good head over a
	 * chain cut short would hide the cut.  Not even over an empty log:
	 * a new database writes its first head with its genesis entry
	 * (audit_anchor_ensure), so an empty log without a head was emptied. */
	return last_entry(st->writer, &st->audit_seq, st->audit_mac) == 0 ? STORE_OK : STORE_ERROR;
}

/* Store the chain head (the newest entry) in meta; the writer lock is held. */
static int audit_write_head(store *st, db *d)
{
	char head[160];

	if (!st->audit_head_ok)
		return STORE_OK; /* a damaged head stays damaged for `audit verify` */
	head_format(st->kr, DOMAIN_HEAD, st->audit_seq, st->audit_mac, head, sizeof head);
	return meta_put(d, "audit_head", head);
}

/* Insert one entry and move the chain in memory; the writer lock is held.
 * The caller writes the head once it has inserted its entries. */
static int audit_insert(store *st, db *d, const char *at, const struct audit_entry *e)
{
	const char *v[] = {at, e->user_id, e->org_id, e->action, e->record, e->fields, e->addr};
	unsigned char mac[HASH_BYTES];
	int64_t seq = st->audit_seq + 1;
	db_stmt *s;
	int i;

	audit_mac(st->kr, st->audit_mac, seq, at, e, mac);
	s = db_prepare(d, SQL_INSERT);
	if (!s)
		return STORE_ERROR;
	db_bind_int(s, 1, seq);
	for (i = 0; i < 7; i++)
		db_bind_str(s, i + 2, v[i]);
	db_bind_blob(s, 9, st->audit_mac, HASH_BYTES);
	db_bind_blob(s, 10, mac, HASH_BYTES);
	if (store_step_done(s) != STORE_OK)
		return STORE_ERROR; /* a conflict as well: no record of the caller's clashed */
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

/* Commit tx when rc is STORE_OK, else roll it back: STORE_OK when it
 * committed, else STORE_ERROR. */
static int commit_if_ok(store_tx *tx, int rc)
{
	if (rc != STORE_OK) {
		store_rollback(tx);
		return STORE_ERROR;
	}
	return store_commit(tx);
}

/* ---- the anchor ---------------------------------------------------------- */

/* Whether a database holds anything a log would have recorded. */
static const char SQL_HAS_RECORDS[] =
	"SELECT EXISTS(SELECT 1 FROM orgs) OR EXISTS(SELECT 1 FROM users)"
	" OR EXISTS(SELECT 1 FROM persons) OR EXISTS(SELECT 1 FROM cases)"
	" OR EXISTS(SELECT 1 FROM items) OR EXISTS(SELECT 1 FROM contacts)"
	" OR EXISTS(SELECT 1 FROM referrals) OR EXISTS(SELECT 1 FROM callbacks)";

/* One integer of a one-row query; -1 on error. */
static int64_t query_int(db *d, const char *sql)
{
	db_stmt *s = db_prepare(d, sql);
	int64_t v = -1;
	if (!s)
		return -1;
	if (db_step(s) == DB_ROW)
		v = db_col_int(s, 0);
	db_reset(s);
	return v;
}

static int anchor_write(store *st, db *d)
{
	char v[160];
	head_format(st->kr, DOMAIN_ANCHOR, st->audit_seq, st->audit_mac, v, sizeof v);
	return meta_put(d, "audit_anchor", v);
}

/* The first entry of a log, chained from zeros, with a random id of the
 * database: no two logs share their first MAC. */
static int genesis_write(store_tx *tx)
{
	store *st = tx->st;
	unsigned char id[16];
	char fields[64], hex[sizeof id * 2 + 1];
	struct audit_entry e = {NULL, NULL, "genesis", NULL, fields, NULL};

	randombytes_buf(id, sizeof id);
	sodium_bin2hex(hex, sizeof hex, id, sizeof id);
	snprintf(fields, sizeof fields, "database=%s", hex);
	st->audit_seq = 0;
	memset(st->audit_mac, 0, HASH_BYTES);
	st->audit_head_ok = 1; /* the one place an empty log starts a head */
	if (store_audit_append(tx, &e) != STORE_OK)
		return STORE_ERROR;
	return anchor_write(st, tx->d);
}

/* A database from before anchors: the watermark of audit_reads was a bare
 * number; it gets its tag (trusted as the chain is, once). */
static int mark_adopt(store *st, db *d)
{
	db_stmt *s = meta_select(d, "audit_reads_upto");
	char v[96], *end;
	long long upto;
	int rc = store_step_row(s);

	if (rc != STORE_OK)
		return rc == STORE_NOT_FOUND ? STORE_OK : STORE_ERROR;
	upto = strtoll(db_col_text(s, 0), &end, 10);
	rc = *end == '\0' && upto >= 0 && upto <= st->audit_seq;
	db_reset(s);
	if (!rc)
		return STORE_OK; /* not a bare number: caught up afresh, as when none */
	audit_mark_format(st->kr, upto, v);
	return meta_put(d, "audit_reads_upto", v);
}

/* 1 when the keyed head (loaded) names the newest entry, seq and MAC. */
static int head_is_last(store *st, db *d)
{
	unsigned char mac[HASH_BYTES];
	int64_t seq = -1;

	return st->audit_head_ok && last_entry(d, &seq, mac) == 0 && seq == st->audit_seq &&
	       memcmp(mac, st->audit_mac, HASH_BYTES) == 0;
}

/* A log without an anchor whose keyed head names its newest entry: a
 * database from before anchors (or one whose anchor alone was removed:
 * nothing is hidden by anchoring it again, since `audit verify` still
 * walks every entry from the first).  The anchor is made at the head,
 * and an entry says so in the chain. */
static int anchor_adopt(store_tx *tx)
{
	store *st = tx->st;
	char fields[48];
	struct audit_entry e = {NULL, NULL, "anchor", NULL, fields, NULL};

	snprintf(fields, sizeof fields, "at=%" PRId64, st->audit_seq);
	if (anchor_write(st, tx->d) != STORE_OK || mark_adopt(st, tx->d) != STORE_OK)
		return STORE_ERROR;
	return store_audit_append(tx, &e);
}

int audit_anchor_ensure(store *st, long from, char *err, size_t errlen)
{
	unsigned char mac[HASH_BYTES];
	int64_t seq;
	store_tx *tx;
	int rc = STORE_OK;
	int have = keyed_get(st->kr, st->writer, "audit_anchor", DOMAIN_ANCHOR, &seq, mac);

	if (have == -2) {
		snprintf(err, errlen, "cannot read the audit anchor");
		return STORE_ERROR;
	}
	if (have) { /* 1 or -1: there is one, authentic or not */
		if (store_audit_load_head(st) == STORE_OK)
			return STORE_OK;
		snprintf(err, errlen, "cannot read the audit chain head");
		return STORE_ERROR;
	}
	tx = store_begin(st); /* loads the head */
	if (!tx) {
		snprintf(err, errlen, "cannot write the audit anchor");
		return STORE_ERROR;
	}
	if (from == 0) {
		rc = genesis_write(tx);
	} else if (st->audit_head_ok && st->audit_seq > 0 && head_is_last(st, tx->d)) {
		rc = anchor_adopt(tx);
	} else if (!st->audit_head_ok && st->audit_seq == 0 &&
		   query_int(tx->d, SQL_HAS_RECORDS) == 0) {
		rc = genesis_write(tx); /* an empty log over an empty database */
	}
	/* Otherwise the log was emptied or cut, or the key is another one:
	 * no anchor, for `audit verify` to report. */
	if (commit_if_ok(tx, rc) != STORE_OK) {
		snprintf(err, errlen, "cannot write the audit anchor");
		return STORE_ERROR;
	}
	return STORE_OK;
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
	size_t al = alignof(max_align_t);
	size_t n = sizeof(struct audit_queued) + len0(e->user_id) + len0(e->org_id) +
		   len0(e->action) + len0(e->record) + len0(e->fields) + len0(e->addr);
	struct audit_chunk *c;
	struct audit_queued *q;
	char stamp[TS_LEN], *at;

	n = (n + al - 1) & ~(al - 1);
	store_now(stamp);
	pthread_mutex_lock(&st->qlock);
	c = st->qchunks;
	if (!c || c->cap - c->used < n) {
		size_t cap = n > AUDIT_CHUNK ? n : AUDIT_CHUNK;
		c = malloc(sizeof *c + cap);
		if (!c) {
			pthread_mutex_unlock(&st->qlock);
			fprintf(stderr, "himoya: out of memory; a read entry was lost\n");
			return;
		}
		c->used = 0;
		c->cap = cap;
		c->next = st->qchunks;
		st->qchunks = c;
	}
	q = (struct audit_queued *)(void *)(c->data + c->used);
	c->used += n;
	q->next = NULL;
	memcpy(q->at, stamp, TS_LEN);
	at = q->text;
	q->e.user_id = pack(&at, e->user_id);
	q->e.org_id = pack(&at, e->org_id);
	q->e.action = pack(&at, e->action);
	q->e.record = pack(&at, e->record);
	q->e.fields = pack(&at, e->fields);
	q->e.addr = pack(&at, e->addr);
	*st->qtail = q;
	st->qtail = &q->next;
	st->qlen++;
	if (st->qlen == AUDIT_QUEUE_HIGH)
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

static void free_chunks(struct audit_chunk *c)
{
	while (c) {
		struct audit_chunk *next = c->next;
		free(c);
		c = next;
	}
}

/* Take the whole queue (qlock held): its entries and their chunks. */
static struct audit_queued *take_queue(store *st, struct audit_chunk **chunks)
{
	struct audit_queued *list = st->qhead;
	*chunks = st->qchunks;
	st->qchunks = NULL;
	st->qhead = NULL;
	st->qtail = &st->qhead;
	st->qlen = 0;
	return list;
}

/* Put back a batch that could not be written, before what was queued
 * since (an outside review filled the disk: the reads served meanwhile
 * were never written, and the log said they were lost). */
static void requeue(store *st, struct audit_queued *list, struct audit_chunk *chunks)
{
	struct audit_queued *tail = list;
	struct audit_chunk *last = chunks;
	size_t n = 0;

	if (!list) {
		free_chunks(chunks);
		return;
	}
	for (n = 1; tail->next; tail = tail->next)
		n++;
	while (last && last->next)
		last = last->next;
	pthread_mutex_lock(&st->qlock);
	tail->next = st->qhead;
	if (!st->qhead)
		st->qtail = &tail->next;
	st->qhead = list;
	st->qlen += n;
	if (last) {
		last->next = st->qchunks;
		st->qchunks = chunks;
	}
	pthread_mutex_unlock(&st->qlock);
}

/* The end of a flush's transaction: its batch written, or put back and
 * the log's failure told (reads of personal data are refused meanwhile:
 * store_audit_failing).  STORE_OK or STORE_ERROR. */
static int flush_end(store_tx *tx, int rc, struct audit_queued *list, struct audit_chunk *chunks)
{
	store *st = tx->st;

	if (commit_if_ok(tx, rc) == STORE_OK) {
		free_chunks(chunks);
		if (st->audit_failing) {
			st->audit_failing = 0;
			fprintf(stderr, "himoya: event=audit_log_written: the read entries kept "
					"meanwhile are written\n");
		}
		return STORE_OK;
	}
	audit_pending_incomplete(st); /* its pairs name a batch that is not there */
	if (list && !st->audit_failing)
		fprintf(stderr, "himoya: event=audit_log_failed: could not write the audit log (is "
				"the disk full? see himoya doctor): its read entries are kept, and "
				"reads of personal data are refused until it can be written\n");
	if (list)
		st->audit_failing = 1;
	requeue(st, list, chunks);
	return STORE_ERROR;
}

int store_audit_failing(store *st)
{
	return st->audit_failing;
}

/* Write the queued reads of list as one batch entry inside tx: 1 when one
 * was written, 0 when none was queued, -1 on error.  Taken under the
 * writer lock, so that batches are chained in the order their reads were
 * queued whoever flushes. */
static int audit_flush_tx(store_tx *tx, struct audit_queued *list)
{
	store *st = tx->st;
	struct audit_queued *q;
	struct audit_entry e = {NULL, NULL, "reads", NULL, NULL, NULL};
	buf b;
	char at[TS_LEN];
	int64_t seq = st->audit_seq + 1;
	uint32_t idx = 0;
	int rc;

	if (!list)
		return 0;
	buf_init(&b, SIZE_MAX / 2);
	for (q = list; q && buf_ok(&b); q = q->next) {
		/* in the order audit_line_decode reads them back */
		const char *v[] = {q->e.action, q->at, q->e.user_id, q->e.org_id, q->e.record,
				   q->e.fields, q->e.addr};
		unsigned char mac[READ_MAC_BYTES];
		char hex[READ_MAC_BYTES * 2 + 1];
		size_t start = b.len;
		int k;

		for (k = 0; k < 7; k++)
			buf_value(&b, v[k], '\t');
		if (!buf_ok(&b))
			break;
		read_mac(st->kr, seq, ++idx, b.data + start, b.len - start, mac);
		audit_pending_read(st, seq, q->e.record);
		sodium_bin2hex(hex, sizeof hex, mac, sizeof mac);
		buf_add(&b, hex, sizeof hex - 1);
		buf_putc(&b, '\n');
	}
	if (!buf_ok(&b)) {
		buf_free(&b);
		return -1;
	}
	e.fields = b.data;
	store_now(at);
	rc = audit_insert(st, tx->d, at, &e);
	buf_free(&b);
	if (rc != STORE_OK)
		return -1;
	audit_pending_batch(st);
	pthread_mutex_lock(&st->qlock);
	st->ridx_behind = 1;
	pthread_mutex_unlock(&st->qlock);
	return 1;
}

/* Commit everything queued so far as one batch entry, bringing the index
 * of reads up to date every AUDIT_INDEX_MS in the same transaction. */
void store_audit_flush(store *st)
{
	struct audit_queued *list;
	struct audit_chunk *chunks;
	int64_t started;
	store_tx *tx;
	int rc;

	pthread_mutex_lock(&st->qlock);
	rc = st->qhead != NULL;
	pthread_mutex_unlock(&st->qlock);
	if (!rc)
		return;
	started = store_clock_us();
	tx = store_begin(st);
	if (!tx) {
		/* The database does not answer (busy, restarting, failing
		 * over): the entries stay queued for the next flush. */
		fprintf(stderr, "himoya: could not write the audit log yet; its read entries are"
			" kept for the next try\n");
		return;
	}
	pthread_mutex_lock(&st->qlock);
	list = take_queue(st, &chunks);
	pthread_mutex_unlock(&st->qlock);
	rc = audit_flush_tx(tx, list);
	if (rc > 0 && store_clock_us() / 1000 - st->ridx_at >= AUDIT_INDEX_MS)
		audit_reads_catch_up(tx); /* derived data: a failure is caught up later */
	if (rc > 0 && audit_write_head(st, tx->d) != STORE_OK)
		rc = -1;
	if (flush_end(tx, rc < 0 ? STORE_ERROR : STORE_OK, list, chunks) == STORE_OK) {
		st->flush_last_us = store_clock_us() - started;
		st->flushes++;
	}
}

void store_audit_stats(store *st, size_t *queued, int64_t *last_flush_us, uint64_t *flushes)
{
	pthread_mutex_lock(&st->qlock);
	*queued = st->qlen;
	pthread_mutex_unlock(&st->qlock);
	*last_flush_us = st->flush_last_us;
	*flushes = st->flushes;
}

int audit_sync(store *st)
{
	store_tx *tx = store_begin(st);
	struct audit_queued *list;
	struct audit_chunk *chunks;
	int rc;

	if (!tx)
		return STORE_ERROR;
	pthread_mutex_lock(&st->qlock);
	list = take_queue(st, &chunks);
	pthread_mutex_unlock(&st->qlock);
	rc = audit_flush_tx(tx, list);
	if (rc >= 0 && audit_reads_catch_up(tx) != STORE_OK)
		rc = -1;
	if (rc > 0 && audit_write_head(st, tx->d) != STORE_OK)
		rc = -1;
	return flush_end(tx, rc < 0 ? STORE_ERROR : STORE_OK, list, chunks);
}

void *store_audit_flusher(void *arg)
{
	store *st = arg;

	struct timespec ts;

	pthread_mutex_lock(&st->qlock);
	clock_gettime(CLOCK_REALTIME, &ts);
	while (!st->qstop) {
		/* One batch per AUDIT_FLUSH_MS at most, counted from the start
		 * of the last one, so that a busy server commits (and fsyncs)
		 * 50 times a second, not once per disk round trip; sooner only
		 * when the queue nears its bound or the store closes. */
		ts.tv_nsec += AUDIT_FLUSH_MS * 1000000L;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		while (!st->qstop && st->qlen < AUDIT_QUEUE_HIGH &&
		       pthread_cond_timedwait(&st->qcond, &st->qlock, &ts) == 0)
			;
		clock_gettime(CLOCK_REALTIME, &ts);
		lograte_tick(0);
		if (st->nstamps) {
			pthread_mutex_unlock(&st->qlock);
			stamps_flush(st);
			pthread_mutex_lock(&st->qlock);
		}
		if (st->qhead) {
			pthread_mutex_unlock(&st->qlock);
			store_audit_flush(st);
			pthread_mutex_lock(&st->qlock);
		} else if (st->ridx_behind && !st->qstop) {
			/* Idle: index the batches written since the last time. */
			store_tx *tx;
			pthread_mutex_unlock(&st->qlock);
			tx = store_begin(st);
			if (tx)
				commit_if_ok(tx, audit_reads_catch_up(tx));
			pthread_mutex_lock(&st->qlock);
			st->ridx_behind = 0; /* when it failed, the next lookup catches up */
		}
	}
	pthread_mutex_unlock(&st->qlock);
	return NULL;
}

/* Check every read of batch seq; 0 when all match, else 1 and a message
 * naming the batch entry and the first read that does not match.  The
 * records read go to pairs, for the check of the index. */
static int batch_check(const keyring *kr, int64_t seq, const char *payload,
		       struct audit_pairs *pairs, char *msg, size_t msglen)
{
	const char *p = payload ? payload : "", *nl;
	char *text = malloc(strlen(p) + 9);
	uint32_t idx = 0;
	int bad = 0;

	if (!text) {
		snprintf(msg, msglen, "out of memory checking audit entry %" PRId64, seq);
		return 1;
	}
	for (; *p && !bad; p = nl + 1) {
		struct audit_read r;
		int decoded;
		nl = strchr(p, '\n');
		idx++;
		if (!nl) {
			snprintf(msg, msglen,
				 "audit entry %" PRId64 " was altered: read %" PRIu32
				 " of its batch is cut short", seq, idx);
			bad = 1;
			break;
		}
		decoded = audit_line_decode(p, (size_t)(nl - p), text, &r) == 0;
		if (audit_line_ok(kr, seq, idx, p, (size_t)(nl - p))) {
			if (decoded && r.record)
				audit_pairs_add(pairs, audit_rkey(r.record), seq);
			continue;
		} else if (!decoded) {
			snprintf(msg, msglen,
				 "audit entry %" PRId64 " was altered: read %" PRIu32
				 " of its batch is malformed", seq, idx);
			bad = 1;
		} else {
			snprintf(msg, msglen,
				 "audit entry %" PRId64 " was altered: read %" PRIu32
				 " of its batch (%s %s at %s by %s) does not match: changed, removed or"
				 " inserted",
				 seq, idx, r.action ? r.action : "-", r.record ? r.record : "-",
				 r.at ? r.at : "-", r.user_id ? r.user_id : "-");
			bad = 1;
		}
	}
	free(text);
	return bad;
}

/* An anchor given from outside: "SEQ:HEX", HEX 16 to 64 hex digits. */
static int expect_parse(const char *v, int64_t *seq, char hex[HASH_BYTES * 2 + 1])
{
	char *end;
	long long s = strtoll(v, &end, 10);
	size_t n, i;

	if (end == v || *end != ':' || s < 1 || v[0] == '-' || v[0] == '+')
		return -1;
	n = strlen(end + 1);
	if (n < 16 || n > HASH_BYTES * 2)
		return -1;
	for (i = 0; i < n; i++) {
		char c = end[1 + i];
		if (c >= 'A' && c <= 'F')
			c = (char)(c - 'A' + 'a');
		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
			return -1;
		hex[i] = c;
	}
	hex[n] = '\0';
	*seq = s;
	return 0;
}

/* What the walk of the chain found. */
struct walk {
	int64_t entries;
	unsigned char last[HASH_BYTES];   /* MAC of the newest entry */
	int64_t anchor_seq, expect_seq;
	unsigned char anchor_mac[HASH_BYTES];
	unsigned char at_anchor[HASH_BYTES], at_expect[HASH_BYTES]; /* as found */
	struct audit_pairs pairs;
};

/* Walk every entry in order from 1: 0, or -1 and a message. */
static int chain_walk(const keyring *kr, db *d, struct walk *w, char *msg, size_t msglen)
{
	unsigned char prev[HASH_BYTES] = {0}, mac[HASH_BYTES];
	int64_t expect = 1;
	db_stmt *s = db_prepare(d, SQL_ALL);
	int rc = DB_ERROR, bad = 0;

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
		audit_mac(kr, prev, seq, at, &e, mac);
		if (!strcmp(e.action, "reads") &&
		    batch_check(kr, seq, e.fields, &w->pairs, msg, msglen)) {
			bad = 1;
			break;
		}
		if (db_col_bytes(s, 8) != HASH_BYTES || memcmp(db_col_blob(s, 8), prev, HASH_BYTES) ||
		    db_col_bytes(s, 9) != HASH_BYTES || memcmp(db_col_blob(s, 9), mac, HASH_BYTES)) {
			if (!strcmp(e.action, "reads"))
				snprintf(msg, msglen,
					 "audit entry %" PRId64 " was altered (a batch of reads: reads"
					 " after its last one removed, or another of its columns changed)",
					 seq);
			else
				snprintf(msg, msglen, "audit entry %" PRId64 " was altered", seq);
			bad = 1;
			break;
		}
		if (seq == w->anchor_seq)
			memcpy(w->at_anchor, mac, HASH_BYTES);
		if (seq == w->expect_seq)
			memcpy(w->at_expect, mac, HASH_BYTES);
		memcpy(prev, mac, HASH_BYTES);
		expect++;
	}
	if (s)
		db_reset(s);
	w->entries = expect - 1;
	memcpy(w->last, prev, HASH_BYTES);
	if (bad)
		return -1;
	if (!s || rc != DB_DONE || w->pairs.oom) {
		snprintf(msg, msglen, w->pairs.oom ? "out of memory checking the audit log"
						   : "cannot read the audit log");
		return -1;
	}
	return 0;
}

/* The whole check, inside one read snapshot of d. */
static int verify_in(const keyring *kr, db *d, const char *expect, struct walk *w,
		     char *msg, size_t msglen)
{
	unsigned char head_mac[HASH_BYTES];
	char want[HASH_BYTES * 2 + 1] = "", got[HASH_BYTES * 2 + 1];
	int64_t head_seq = 0;
	int anchor, head;

	if (expect && expect_parse(expect, &w->expect_seq, want) != 0) {
		snprintf(msg, msglen, "the expected head is not SEQ:HEX (16 to 64 hex digits)");
		return -1;
	}
	anchor = keyed_get(kr, d, "audit_anchor", DOMAIN_ANCHOR, &w->anchor_seq, w->anchor_mac);
	head = keyed_get(kr, d, "audit_head", DOMAIN_HEAD, &head_seq, head_mac);
	if (anchor == -2 || head == -2) {
		snprintf(msg, msglen, "cannot read the audit log");
		return -1;
	}
	if (anchor == 0) {
		snprintf(msg, msglen, "the audit anchor is missing: the log was emptied, cut from its"
			 " start or replaced (every database has one from its first entry on)");
		return -1;
	}
	if (anchor < 0) {
		snprintf(msg, msglen, "the audit anchor was altered (or the key is not this"
			 " database's)");
		return -1;
	}
	if (head < 0) {
		snprintf(msg, msglen, "the audit head was altered");
		return -1;
	}
	if (chain_walk(kr, d, w, msg, msglen) != 0)
		return -1;
	if (w->entries < w->anchor_seq) {
		snprintf(msg, msglen, "audit entry %" PRId64 " is missing (the log ends at entry %"
			 PRId64 ", before its anchor at entry %" PRId64 ")",
			 w->entries + 1, w->entries, w->anchor_seq);
		return -1;
	}
	if (memcmp(w->at_anchor, w->anchor_mac, HASH_BYTES)) {
		snprintf(msg, msglen, "audit entry %" PRId64 " does not match the anchor",
			 w->anchor_seq);
		return -1;
	}
	if (head == 0) {
		snprintf(msg, msglen, "the audit head is missing");
		return -1;
	}
	if (head_seq != w->entries || memcmp(head_mac, w->last, HASH_BYTES)) {
		if (head_seq > w->entries)
			snprintf(msg, msglen, "audit entry %" PRId64 " is missing (log ends early)",
				 w->entries + 1);
		else
			snprintf(msg, msglen, "audit head does not match entry %" PRId64, w->entries);
		return -1;
	}
	if (expect && w->expect_seq > w->entries) {
		snprintf(msg, msglen, "the log ends at entry %" PRId64 ", before the expected head"
			 " %s: entries were cut, or this is an older copy", w->entries, expect);
		return -1;
	}
	if (expect) {
		sodium_bin2hex(got, sizeof got, w->at_expect, HASH_BYTES);
		if (strncmp(got, want, strlen(want)) != 0) {
			snprintf(msg, msglen, "audit entry %" PRId64 " does not match the expected head:"
				 " the log was rewritten up to it, or this is another database",
				 w->expect_seq);
			return -1;
		}
	}
	return audit_reads_check(kr, d, &w->pairs, w->entries, msg, msglen);
}

int store_audit_verify_head(store *st, const char *expect, struct audit_head *head, char *msg,
			    size_t msglen, int64_t *entries)
{
	struct walk w;
	db *d = store_reader_get(st);
	int rc;

	memset(&w, 0, sizeof w);
	w.anchor_seq = w.expect_seq = -1;
	if (head) {
		head->seq = 0;
		head->digest[0] = '\0';
	}
	*entries = 0;
	msg[0] = '\0';
	/* One snapshot: a server writing beside us moves neither end. */
	if (db_exec(d, "BEGIN") != DB_OK) {
		store_reader_put(st, d);
		snprintf(msg, msglen, "cannot read the audit log");
		return -1;
	}
	rc = verify_in(st->kr, d, expect, &w, msg, msglen);
	db_exec(d, "COMMIT");
	store_reader_put(st, d);
	free(w.pairs.v);
	*entries = w.entries;
	if (rc != 0)
		return -1;
	if (head) {
		head->seq = w.entries;
		digest_hex(w.last, head->digest);
	}
	return 0;
}

int store_audit_verify(store *st, char *msg, size_t msglen, int64_t *entries)
{
	return store_audit_verify_head(st, NULL, NULL, msg, msglen, entries);
}

int store_audit_reindex(store *st)
{
	store_tx *tx = store_begin(st);
	int rc;

	if (!tx)
		return STORE_ERROR;
	audit_pending_free(st); /* the index is made from the chain alone */
	rc = db_exec(tx->d, "DELETE FROM audit_reads; DELETE FROM meta"
			    " WHERE key = 'audit_reads_upto'") == DB_OK ? STORE_OK : STORE_ERROR;
	if (rc == STORE_OK)
		rc = audit_reads_catch_up(tx);
	return commit_if_ok(tx, rc);
}

int audit_rows_query(store *st, const char *sql, const char *const *v, size_t n,
		     struct audit_row *rows, size_t max, size_t *found)
{
	db *d;
	db_stmt *s;
	size_t i;
	int rc = DB_ERROR;

	*found = 0;
	if (audit_sync(st) != STORE_OK)
		return STORE_ERROR;
	d = store_reader_get(st);
	s = db_prepare(d, sql);
	if (s) {
		for (i = 0; i < n; i++)
			db_bind_str(s, (int)i + 1, v[i]);
		db_bind_int(s, (int)n + 1, (int64_t)max);
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

int store_audit_for_record(store *st, const char *record, struct audit_row *rows, size_t max,
			   size_t *found)
{
	int rc = audit_rows_query(st, SQL_FOR_RECORD, &record, 1, rows, max, found);

	return rc != STORE_OK ? rc : audit_reads_merge(st, &record, 1, NULL, rows, max, found);
}

/* Whether this store's key is the one its database was made under: the
 * keyed audit anchor verifies (1), does not (0: another installation's
 * key, or an altered anchor), or cannot be read (-1).  A database without
 * an anchor yet (being made) answers 1. */
int store_key_opens(store *st)
{
	unsigned char mac[HASH_BYTES];
	int64_t seq;
	int rc;

	pthread_mutex_lock(&st->wlock);
	rc = keyed_get(st->kr, st->writer, "audit_anchor", DOMAIN_ANCHOR, &seq, mac);
	pthread_mutex_unlock(&st->wlock);
	return rc == -2 ? -1 : rc != -1;
}
