/*
 * store.h - everything the layers above know about storage.
 *
 * One writer connection, guarded by a mutex, runs every change inside
 * BEGIN IMMEDIATE (store_begin .. store_commit); a pool of reader
 * connections serves reads, each with its own cached prepared statements.
 * Migrations run in store_open (unless it opens the database as it is:
 * enum store_open_mode).  The SQL lives in the store_*.c files
 * beside this header and nowhere else; the backend is behind db.h.
 *
 * The store never sees plaintext PII: persons arrive sealed, with their
 * blind-index keys already computed (api/, crypto/).
 *
 * Return codes: STORE_OK, or one of the negative codes below.  Output
 * strings are copied into caller-provided structs or the caller's arena.
 */
#ifndef HIMOYA_STORE_H
#define HIMOYA_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/crypto.h"
#include "domain/principal.h" /* ID_LEN, TS_LEN, struct org, user, session */
#include "util/arena.h"

enum {
	STORE_OK = 0,
	STORE_NOT_FOUND = -1,
	STORE_CONFLICT = -2, /* uniqueness violated */
	STORE_STALE = -3,    /* version mismatch on update */
	STORE_ERROR = -4,
	STORE_UNAVAILABLE = -5, /* the database cannot be reached: try again later */
	STORE_BUSY = -6,        /* the database is locked past the busy timeout */
};


typedef struct store store;
typedef struct store_tx store_tx;
struct audit_row;

/* How store_open takes the database: an existing one, upgraded to this
 * program's schema (its migrations run); a new one made (create); or an
 * existing one as it is, at whatever schema from STORE_SCHEMA_AS_IS_MIN to
 * this program's (no migration: backup, doctor, audit verify, restore;
 * a database newer than the program is refused in every mode). */
enum store_open_mode {
	STORE_OPEN_UPGRADE = 0,
	STORE_OPEN_CREATE = 1,
	STORE_OPEN_AS_IS = 2,
};
/* The oldest schema opened as it is: its audit log has its keyed anchor
 * and its index of reads (migrations 9 and 10), all the commands that
 * open as it is read beside the records. */
#define STORE_SCHEMA_AS_IS_MIN 10

/* Open the database at path as `mode` says, start `readers` reader
 * connections.  `kr` must outlive the store.  STORE_UNAVAILABLE when the
 * database cannot be reached, STORE_ERROR otherwise, with why in err. */
int store_open(const char *path, const keyring *kr, unsigned readers, int mode,
	       store **out, char *err, size_t errlen);
/* The schema version of this program (its last migration). */
long store_schema_latest(void);
/* The schema version of an open store when it was opened (0: made by
 * store_open) and now (after the migrations it ran, if any). */
void store_schema(store *st, long *was, long *is);
/* The schema version of the database at path (a file or a URL), read
 * without the key and without changing anything: STORE_OK, or
 * STORE_UNAVAILABLE / STORE_ERROR with why in err (0 when it holds no
 * himoya database). */
int store_schema_of(const char *path, long *version, char *err, size_t errlen);
/* Flush the audit queue and close everything. */
void store_close(store *st);

/* A write transaction: takes the writer (blocking), BEGIN IMMEDIATE. */
store_tx *store_begin(store *st);
/* The same, but NULL at once when the writer is busy (in this process or
 * another): for writes that may be skipped, such as the stamp of a
 * session's last use, which must not hold a request up behind a writer
 * waiting out a lock. */
store_tx *store_try_begin(store *st);
/* store_begin for a transaction of many writes (the knowledge base's
 * seed, an import): on PostgreSQL its writes are sent without waiting for
 * each answer (db_pipeline), a failed one failing the commit. */
store_tx *store_begin_many(store *st);
/* This thread's writes count their wait for the writer from since_us
 * (CLOCK_MONOTONIC, in microseconds), not from their store_begin, until
 * set to 0: what a request waited in a queue before it asked is part of
 * its bound (DB_BUSY_TIMEOUT_MS in all). */
void store_wait_since(int64_t since_us);
/* When this thread's wait began: the request's arrival, or now. */
int64_t store_wait_began(void);
int store_commit(store_tx *tx);   /* releases the writer in every case */
void store_rollback(store_tx *tx);

/* Bulk loading (`himoya demo`) of persons, cases and their
 * items.  store_bulk_begin drops the secondary indexes of persons, cases,
 * items, person_keys and the report facts (a load never reads them; they
 * are remade at the end in one sorted pass each, instead of one random
 * insertion per row; a new person's keys go in by store_person_keys_add),
 * makes one small index of its own (the status decisions by case, for the
 * report refresh of each transaction; dropped at the end), gives the
 * writer a large page cache and stops checking foreign keys on it: the
 * loader must insert consistent rows (persons before their cases, cases
 * before their items).
 * store_bulk_end makes the indexes again and restores the settings.
 * Between them the writer holds the file alone (the store closes its
 * readers and checkpointer; SQLite keeps a rollback journal, not a WAL, and
 * does not wait for the disk): a power cut there loses a demo folder.  The dropped
 * definitions are kept in meta, so that store_open remakes them after a
 * stop in between.  Not for use while another process serves the
 * folder (its lists would be slow, not wrong). */
int store_bulk_begin(store *st);
int store_bulk_end(store *st);

/* The head of the audit chain as shown to people: the newest entry's seq
 * and the first AUDIT_DIGEST_HEX hex digits of its MAC, which commits to
 * every entry up to it.  Printed by `audit verify` and `backup` so that a
 * copy kept elsewhere can anchor the log ("SEQ:HEX"). */
#define AUDIT_DIGEST_HEX 32
struct audit_head {
	int64_t seq;
	char digest[AUDIT_DIGEST_HEX + 1];
};

/* A consistent online copy of the database (still encrypted) into path,
 * a new file made mode 0600 before anything is written to it (refused
 * when it exists); a copy that fails leaves no file behind, nor a
 * journal.  head (may be NULL) gets the copy's audit head, seq 0 and ""
 * when its head does not authenticate. */
int store_backup(store *st, const char *path, struct audit_head *head, char *err,
		 size_t errlen);

/* The value of a meta key in the SQLite database file at path, read
 * without opening it as a store (read-only: no migration, no key):
 * STORE_OK, STORE_NOT_FOUND (no such key), or STORE_ERROR (no himoya
 * database there, a value longer than outlen, a PostgreSQL URL). */
int store_file_meta(const char *path, const char *key, char *out, size_t outlen);
/* 1 when the file at path is a copy of this database (a backup of it):
 * its audit anchor, keyed with the installation's key and written once
 * when the database was made, is this database's; else 0 (another
 * installation's, or no himoya database at all). */
int store_backup_ours(store *st, const char *path);

/* After a backup to path (absolute): meta.last_backup is now,
 * meta.last_backup_file is path, and an audit entry "backup" says so. */
int store_backup_note(store *st, const char *path);
/* The time of the last backup (RFC 3339), STORE_NOT_FOUND when none. */
int store_last_backup(store *st, char out[TS_LEN]);
/* The file of the last backup (as given to store_backup_note), "" and
 * STORE_NOT_FOUND when none was noted (a backup made before it was). */
int store_last_backup_file(store *st, char *out, size_t outlen);
/* Sizes of the database file and of its write-ahead log (0 when none). */
int store_files(store *st, int64_t *db_bytes, int64_t *wal_bytes);
/* PRAGMA integrity_check: STORE_OK with "ok" in msg, else its first line. */
int store_integrity(store *st, char *msg, size_t msglen);
/* The database file at path (a backup), opened read-only and not
 * changed: STORE_OK and "ok" in msg when SQLite's integrity_check finds
 * nothing wrong and it holds a himoya schema, else STORE_ERROR and why
 * (integrity_check's first line, SQLite's error, "no himoya database"). */
int store_file_check(const char *path, char *msg, size_t msglen);
/* The time of the newest audit entry, STORE_NOT_FOUND when none. */
int store_newest_audit(store *st, char out[TS_LEN]);
/* Read audits waiting in memory, the duration of the last batch written
 * (microseconds) and the number of batches written (metrics). */
void store_audit_stats(store *st, size_t *queued, int64_t *last_flush_us, uint64_t *flushes);
/* 1 while the last batch of reads could not be written (the disk full):
 * its entries are kept for the next try, and the API refuses what would
 * be read unaudited. */
int store_audit_failing(store *st);

/* Current time as RFC 3339 UTC, and as seconds. */
void store_now(char out[TS_LEN]);
int64_t store_unix_now(void);
/* A new random opaque id. */
void store_new_id(char out[ID_LEN]);
/* The same, but its first STORE_ID_PLACE_BITS bits (five characters)
 * are `place` (below 2^STORE_ID_PLACE_BITS), in the ids' byte order; the
 * other 103 are random.  A bulk load that gives its records increasing
 * places appends to the id indexes: with random ids every transaction
 * touched nearly every page of them, a cost that grew with the square of
 * the load (its loading phase at 100,000 persons 23.7 -> 20.5 s, at 300,000 116 ->
 * 65 s).  For the demo's fictional records only: a place says when in the
 * load a record was made, and records given one place belong together,
 * which real records must not tell. */
#define STORE_ID_PLACE_BITS 25
void store_new_id_placed(char out[ID_LEN], uint32_t place);

/* Installation facts kept beside the schema (table meta), e.g. "demo"
 * for a folder made by `himoya demo`.  store_meta_get copies the value
 * (truncated) into out: STORE_OK or STORE_NOT_FOUND.  store_meta_set
 * refuses the store's own keys (schema_version, audit_head,
 * bulk_indexes). */
int store_meta_get(store *st, const char *key, char *out, size_t outlen);
int store_meta_set(store_tx *tx, const char *key, const char *value);

/* ---- organisations and users ------------------------------------------ */

/* struct org and struct user are in domain/principal.h. */

/* A user as the administrator's list shows it. */
struct user_row {
	char id[ID_LEN];
	char login[128];
	char role[32];
	int disabled;
	int totp_enabled;
	int must_change_password;
	char created[TS_LEN];
};

int store_org_add(store_tx *tx, const char *code, const char *name, const char *type,
		  char id_out[ID_LEN]);
int store_org_by_code(store *st, const char *code, struct org *o);
int store_org_by_id(store *st, const char *id, struct org *o);
int store_user_add(store_tx *tx, const char *org_id, const char *login, const char *role,
		   const char *pwhash, char id_out[ID_LEN]);
/* Logins are one whatever their case: store_user_add answers
 * STORE_CONFLICT for a login taken in any case, store_user_by_login finds
 * one in any case (migration 34: of two logins of before that differ only
 * in case, each is found in its exact case only). */
int store_user_by_login(store *st, const char *login, struct user *u);
int store_user_by_id(store *st, const char *id, struct user *u);
int store_user_set_totp(store_tx *tx, const char *user_id, const unsigned char *sealed,
			size_t len, int enabled);
/* Record `step` as the user's last accepted TOTP step, only when it is
 * later than the stored one (compare-and-set inside the write
 * transaction): STORE_OK when taken, STORE_STALE when that step or a
 * later one was taken already (a replayed or raced code). */
int store_user_take_totp_step(store_tx *tx, const char *user_id, int64_t step);
/* A new password hash; must_change: a one-time password, to be changed
 * at the next sign-in before anything else. */
int store_user_set_password(store_tx *tx, const char *user_id, const char *pwhash,
			    int must_change);
/* The users of one organisation by login, at most max, in the arena. */
int store_user_list(store *st, const char *org_id, size_t max, struct user_row **rows,
		    size_t *n, arena *a);
int store_user_set_role(store_tx *tx, const char *user_id, const char *role);
int store_user_set_disabled(store_tx *tx, const char *user_id, int disabled);
/* End every session of a user (but `keep`, a session id hash, or NULL). */
int store_user_sessions_end(store_tx *tx, const char *user_id, const unsigned char *keep);
/* Revoke every live token of a user. */
int store_user_tokens_revoke(store_tx *tx, const char *user_id);
/* Every organisation by name, at most max, in the arena (with sector and
 * created_by). */
int store_org_list(store *st, size_t max, struct org **rows, size_t *n, arena *a);
/* Set name, type and sector ("" or NULL: none) of an organisation, and
 * who made it (kept once set; "" or NULL: unchanged). */
int store_org_update(store_tx *tx, const char *id, const char *name, const char *type,
		     const char *sector, const char *created_by);

/* An organisation's contact for its referral partners ("" when none). */
struct org_contact {
	char phone[64];
	char email[256];
};
int store_org_contact_get(store *st, const char *org_id, struct org_contact *c);
/* Set the contact; NULL leaves a member unchanged, "" clears it. */
int store_org_contact_set(store_tx *tx, const char *org_id, const char *phone, const char *email);

/* Whether a role must use a second factor; and setting it. */
int store_role_requires_totp(store *st, const char *role);
int store_role_set_totp(store_tx *tx, const char *role, int required);

/* ---- sessions and API tokens (ids are stored as keyed hashes) --------- */

/* struct session is in domain/principal.h. */
int store_session_add(store_tx *tx, const unsigned char id[HASH_BYTES], const char *user_id,
		      const char *csrf, int totp_pending, int totp_confirmed, int64_t now);
/* The session and its user; STORE_NOT_FOUND when absent or idle past
 * idle_secs (an idle one is deleted at the next touch or sweep). */
int store_session_get(store *st, const unsigned char id[HASH_BYTES], int64_t now,
		      int64_t idle_secs, struct session *s, struct user *u);
int store_session_touch(store_tx *tx, const unsigned char id[HASH_BYTES], int64_t now);
/* A second factor was enrolled and confirmed in this session: it is no
 * longer pending, and it counts as confirmed. */
int store_session_confirm_totp(store_tx *tx, const unsigned char id[HASH_BYTES]);
int store_session_delete(store_tx *tx, const unsigned char id[HASH_BYTES]);
int store_session_sweep(store_tx *tx, int64_t now, int64_t idle_secs);

/* An API token as lists show it; the secret is never stored (only its
 * keyed hash, which no function here returns). */
struct token_row {
	char id[ID_LEN];       /* public id: lists and revocation name it */
	char user_id[ID_LEN];
	char login[128];
	char org_id[ID_LEN];
	char label[404];
	char created[TS_LEN];
	int64_t expires;       /* unix seconds: refused from then on */
	int64_t last_used;     /* unix seconds, 0 when never used */
	int revoked;
};

/* Store a new token under the keyed hash of its secret; its public id
 * goes to id_out.  STORE_CONFLICT when the hash exists. */
int store_token_add(store_tx *tx, const unsigned char hash[HASH_BYTES], const char *user_id,
		    const char *label, int64_t expires, char id_out[ID_LEN]);
/* The user of a token that is live at `now` (not revoked, not expired,
 * its user not disabled), and the token (t may be NULL);
 * STORE_NOT_FOUND otherwise. */
int store_token_get(store *st, const unsigned char hash[HASH_BYTES], int64_t now, struct user *u,
		    struct token_row *t);
int store_token_by_id(store *st, const char *id, struct token_row *t);
/* Tokens newest first, at most max, in the arena: of users of org_id
 * and of login, each when not NULL. */
int store_token_list(store *st, const char *org_id, const char *login, size_t max,
		     struct token_row **rows, size_t *n, arena *a);
/* Note a use of the token (by public id) at now. */
int store_token_touch(store_tx *tx, const char *id, int64_t now);
/* A token's (token_id) or else a session's last use, when no writer was
 * free to stamp it at once: written soon after by the audit flusher,
 * which waits for the writer (stamps.c).  A stamp never goes back in
 * time. */
void store_touch_later(store *st, const char *token_id, const unsigned char *session_id,
		       int64_t now);
/* Revoke for good: STORE_NOT_FOUND, or STORE_CONFLICT when revoked
 * already. */
int store_token_revoke(store_tx *tx, const char *id);

/* ---- persons ---------------------------------------------------------- */

struct person_row {
	char id[ID_LEN];
	char org_id[ID_LEN];
	int64_t version;
	const char *coded;           /* JSON object of the coded fields */
	const unsigned char *sealed; /* sealed JSON of pii/sensitive fields */
	size_t sealed_len;
	char created_at[TS_LEN];
	char updated_at[TS_LEN];
	char merged_into[ID_LEN];    /* "" unless merged into another (store/dedup.h) */
};

/* One blind-index entry: kind ("name", "name3", "phone", ...) + MAC. */
struct blind_key {
	const char *kind;
	unsigned char mac[BLIND_BYTES];
};

int store_person_insert(store_tx *tx, const struct person_row *p);
/* Fills p; coded and sealed point into the arena. */
int store_person_get(store *st, const char *id, struct person_row *p, arena *a);
/* The persons of ids[0..n), n of any size, 64 to a statement (one on
 * PostgreSQL): a page of a list reads its persons in one or a few round
 * trips, not one each.  out[i] is the person of ids[i] and found[i] says
 * whether one has that id.  Both are the caller's, of n entries. */
int store_persons_get(store *st, const char *const *ids, size_t n, struct person_row *out,
		      unsigned char *found, arena *a);
/* Update when the stored version equals p->version - 1. */
int store_person_update(store_tx *tx, const struct person_row *p);
int store_person_keys_set(store_tx *tx, const char *person_id, const struct blind_key *keys,
			  size_t n);
/* The keys of a person inserted in this transaction, who has none yet:
 * no search by person_id (a bulk load has dropped person_keys_person). */
int store_person_keys_add(store_tx *tx, const char *person_id, const struct blind_key *keys,
			  size_t n);
/* Ids of persons of org_id matching the most of the given keys, best
 * first; writes up to max ids and their hit counts. */
int store_person_find(store *st, const char *org_id, const struct blind_key *keys, size_t n,
		      char (*ids)[ID_LEN], int *hits, size_t max, size_t *found);

/* ---- cases ------------------------------------------------------------ */

struct case_row {
	char id[ID_LEN];
	char org_id[ID_LEN];
	char person_id[ID_LEN];
	int64_t version;
	char status[24];
	char stage[32];
	char trafficking_status[40];  /* "" when none decided */
	char assigned_to[ID_LEN];     /* "" when nobody */
	char previous_case_id[ID_LEN];
	char opened_on[11];
	char closed_on[11];
	const char *coded;            /* JSON object of the coded fields */
	const unsigned char *sealed;  /* sealed JSON of the sensitive fields */
	size_t sealed_len;
	char created_at[TS_LEN];
	char updated_at[TS_LEN];
};

/* Filters of a case list; NULL or "" means any.  Pages run newest change
 * first; after_at/after_id are the last row of the previous page. */
struct case_filter {
	const char *org_id;
	const char *status;
	const char *stage;
	const char *assigned_to;
	const char *person_id;
	const char *after_at;
	const char *after_id;
	size_t limit;
	/* Scope: cases of org_id, and (when referred_to is set) cases
	 * referred to that organisation whose referral was accepted and
	 * whose consent stands on `today`. */
	const char *referred_to;
	const char *today;
};

int store_case_insert(store_tx *tx, const struct case_row *c);
int store_case_get(store *st, const char *id, struct case_row *c, arena *a);
/* The same as the transaction sees it. */
int store_case_get_tx(store_tx *tx, const char *id, struct case_row *c, arena *a);
/* The cases of ids[0..n), as store_persons_get: a few statements (one on
 * PostgreSQL) for a page's cases, not one each. */
int store_cases_get(store *st, const char *const *ids, size_t n, struct case_row *out,
		    unsigned char *found, arena *a);
/* Update when the stored version equals c->version - 1. */
int store_case_update(store_tx *tx, const struct case_row *c);
/* The organisation of a case (kind 0), a person (1) or an item (2) as it
 * is in the transaction, into org; *merged (for a person) 1 when it was
 * merged into another.  STORE_OK, STORE_NOT_FOUND or STORE_ERROR. */
int store_owner_tx(store_tx *tx, int kind, const char *id, char org[ID_LEN], int *merged);
/* Rows into an arena array; *n rows, without their sealed fields (sealed
 * none, sealed_len 0: store_case_get reads them). */
int store_case_list(store *st, const struct case_filter *f, struct case_row **rows, size_t *n,
		    arena *a);
/* Cases of the persons in ids (at most 64), of one organisation, the most
 * recently changed first: at most limit rows (200 at most), without their
 * sealed fields (as store_case_list). */
int store_case_list_persons(store *st, const char *org_id, char (*ids)[ID_LEN], size_t nids,
			    size_t limit, struct case_row **rows, size_t *n, arena *a);

/* ---- items: records of a case or a person ----------------------------- */

struct item_row {
	char id[ID_LEN];
	char kind[24];               /* "note", "service", "consent", ... */
	char case_id[ID_LEN];        /* "" for person-level items */
	char person_id[ID_LEN];
	char org_id[ID_LEN];
	int64_t version;
	char status[32];
	char due[11];
	char assigned_to[ID_LEN];
	char at[TS_LEN];             /* when it happened: the timeline's order */
	const char *coded;
	const unsigned char *sealed; /* may be NULL */
	size_t sealed_len;
	char created_by[ID_LEN];
	char created_at[TS_LEN];
	char updated_at[TS_LEN];
	char service_id[64];         /* (DIR_ID_LEN) a shelter stay's service, else "" (set at insert) */
};

int store_item_insert(store_tx *tx, const struct item_row *it);
int store_item_get(store *st, const char *id, struct item_row *it, arena *a);
int store_item_update(store_tx *tx, const struct item_row *it);
/* Items of a case (kind NULL: all kinds), oldest first. */
int store_items_of_case(store *st, const char *case_id, const char *kind,
			struct item_row **rows, size_t *n, arena *a);
/* Items of a person of one kind (consents). */
int store_items_of_person(store *st, const char *person_id, const char *kind,
			  struct item_row **rows, size_t *n, arena *a);
/* A page of the open items of a kind due before `before` (YYYY-MM-DD),
 * of one org, for one assignee (NULL: all): at most `limit` (> 0) of them
 * in (due, id) order, after the item (after_due, after_id) when these are
 * set (NULL or "": from the first). */
struct items_due_filter {
	const char *kind;
	const char *org_id;
	const char *assigned_to;
	const char *before;
	const char *after_due;
	const char *after_id;
	size_t limit;
};
int store_items_due(store *st, const struct items_due_filter *f, struct item_row **rows,
		    size_t *n, arena *a);

/* ---- the criminal-justice track and shelter stays (store/justice.c) -- */

/* Link perpetrator to a case (org: who linked it); STORE_CONFLICT when
 * linked already. */
int store_perpetrator_link(store_tx *tx, const char *perpetrator_id, const char *case_id,
			   const char *org_id, const char *at);
/* The link of perpetrator from_id to a case made the link of to_id. */
int store_perpetrator_relink(store_tx *tx, const char *from_id, const char *to_id,
			     const char *case_id);
/* The perpetrators linked to a case, oldest link first. */
int store_perpetrators_of_case(store *st, const char *case_id, struct item_row **rows,
			       size_t *n, arena *a);
/* The ids of the cases a perpetrator is linked to (at most max). */
int store_perpetrator_cases(store *st, const char *perpetrator_id, char (*ids)[ID_LEN],
			    size_t max, size_t *n);
int store_perpetrator_keys_set(store_tx *tx, const char *perpetrator_id,
			       const struct blind_key *keys, size_t n);
/* Ids of perpetrators of org_id matching the most of the keys, best first. */
int store_perpetrator_find(store *st, const char *org_id, const struct blind_key *keys,
			   size_t n, char (*ids)[ID_LEN], size_t max, size_t *found);
/* Stays of a shelter service: open ones only (open_only) or all, newest
 * admission first. */
int store_stays_of_service(store *st, const char *service_id, int open_only,
			   struct item_row **rows, size_t *n, arena *a);
/* How many stays of the service are open (its occupied beds). */
int store_stays_open_count(store *st, const char *service_id, long *n);
/* The same inside a write transaction (to refuse an overfull admission). */
int store_stays_open_count_tx(store_tx *tx, const char *service_id, long *n);
/* 1 when the person has an open stay (in any shelter: its service's id
 * in service_id), 0 when not, <0 error. */
int store_stay_open_of(store_tx *tx, const char *person_id, char *service_id, size_t len);

/* ---- referrals between organisations --------------------------------- */

struct referral_row {
	char id[ID_LEN];
	char kind[12];               /* "referral" or "transfer" */
	char case_id[ID_LEN];
	char person_id[ID_LEN];
	char from_org[ID_LEN];
	char to_org[ID_LEN];
	char consent_id[ID_LEN];     /* the consent it rests on ("" for none) */
	char status[16];             /* sent, accepted, declined, completed, withdrawn */
	char urgency[16];
	char due[11];
	int64_t version;
	const char *share;           /* JSON list of the field names shared */
	const char *coded;           /* JSON of the other coded fields */
	const unsigned char *sealed; /* reason, feedback, decline reason */
	size_t sealed_len;
	char created_by[ID_LEN];
	char created_at[TS_LEN];
	char updated_at[TS_LEN];
	char responded_at[TS_LEN];
	struct org from, to;         /* filled by reads */
};

int store_referral_insert(store_tx *tx, const struct referral_row *f);
int store_referral_get(store *st, const char *id, struct referral_row *f, arena *a);
/* Update when the stored version equals f->version - 1. */
int store_referral_update(store_tx *tx, const struct referral_row *f);

/* The names a referral shares with its recipient, as blind keys under the
 * recipient's domain (api/referrals.c makes them), for the recipient's
 * search by name: set replaces the referral's; find gives the referrals
 * and cases of up to max postings of one key of org_id's; the ids are of
 * the kind "referral" referrals of the person's cases (a person's names
 * changed), or of every one (the rebuild at start). */
struct referral_name_hit {
	char referral_id[ID_LEN];
	char case_id[ID_LEN];
	unsigned words; /* the caller's: which words of the query it met */
};
int store_referral_names_set(store_tx *tx, const struct referral_row *f,
			     const struct blind_key *keys, size_t n);
/* A consent no longer stands: the referrals resting on it keep no key. */
int store_referral_names_drop_consent(store_tx *tx, const char *consent_id);
int store_referral_names_find(store *st, const char *org_id, const unsigned char key[BLIND_BYTES],
			      size_t max, struct referral_name_hit **hits, size_t *n, arena *a);
int store_referral_ids_of_person(store *st, const char *person_id, char (*ids)[ID_LEN],
				 size_t max, size_t *n);
int store_referral_ids_all(store *st, const char *after, char (*ids)[ID_LEN], size_t max,
			   size_t *n);
/* Referrals received by (in = 1) or sent by (in = 0) org_id, newest
 * first; status NULL for any; overdue_before: only those still open and
 * due before that date. */
int store_referrals_list(store *st, const char *org_id, int in, const char *status,
			 const char *overdue_before, struct referral_row **rows, size_t *n,
			 arena *a);
/* The accepted referral of a case (or, with case_id NULL, of any case of
 * person_id) to org_id whose consent stands on `today`: STORE_OK and *f,
 * or STORE_NOT_FOUND.  This is the whole of another organisation's
 * access to a case. */
int store_referral_access(store *st, const char *case_id, const char *person_id,
			  const char *org_id, const char *today, struct referral_row *f, arena *a);
/* Move a case from from_org, its owner, to org_id (a transfer accepted by
 * assignee, who then works on it and its open records; NULL: no one new),
 * with the records
 * its owner made of the case, the person's own records (consents,
 * prevention), the persons merged into it, and the case's open referrals
 * to others (the new owner follows and withdraws them; those to it are
 * completed; its other transfers waiting lapse); STORE_NOT_FOUND, nothing
 * moved, when the case is no longer from_org's (another transfer went
 * first), STORE_CONFLICT when it is no longer person_id's or the person
 * was merged away, or a merge of the person was made or undone since
 * sent_at (when the transfer was sent: the person is not the one
 * offered), STORE_STALE while the person has another open case not of
 * org_id (closed ones move along). */
int store_case_move(store_tx *tx, const char *case_id, const char *person_id,
		    const char *from_org, const char *org_id, const char *assignee, const char *sent_at,
		    const char *now);

/* Audit entries about a case, its person and its records that were made
 * by users of other organisations than owner_org, newest first. */
int store_audit_outside(store *st, const char *case_id, const char *person_id,
			const char *owner_org, struct audit_row *rows, size_t max, size_t *found);

/* ---- service directory (directory.c) ---------------------------------- */

/* Directory ids may come from another HSDS system (UUIDs): up to 63 of
 * the characters a route parameter takes. */
#define DIR_ID_LEN 64
#define DIR_QUERY_KEYS 8 /* most search keys of one directory query */

/* A service.  regions and languages are the codes it serves between
 * spaces (" TJ-DU TJ-SU "), made by the caller; org is filled by reads
 * (the organisation joined). */
struct dir_service_row {
	char id[DIR_ID_LEN];
	char org_id[ID_LEN];
	struct org org;
	int64_t version;
	char type[32];
	char status[24];
	const char *name;
	const char *regions;
	const char *languages;
	const char *coded;           /* JSON object of the declared fields */
	char created_at[TS_LEN];
	char updated_at[TS_LEN];
	char transfer_to[ID_LEN];    /* a transfer waiting for the owner's accept, or "" */
};

struct dir_location_row {
	char id[DIR_ID_LEN];
	char service_id[DIR_ID_LEN];
	char org_id[ID_LEN];         /* the service's organisation */
	int64_t version;
	char kind[16];               /* hsds_location_type as stored */
	char region[8];              /* "" when none */
	const char *coded;
	const unsigned char *sealed; /* the sealed address; NULL when none */
	size_t sealed_len;
	char created_at[TS_LEN];
	char updated_at[TS_LEN];
};

/* Filters of the directory list; NULL or "" means any.  Every one of the
 * nkeys search words must match a service: keys[i] one of its keys (its
 * name's or organisation's words or their beginnings), or, when
 * kinds[i] is not NULL, the service's type is one of the codes that
 * kinds[i] lists between spaces (" shelter legal ": a generic word such
 * as "приют").  Rows come by name, then id. */
struct dir_filter {
	const char *type, *status, *org_id, *region, *language;
	const char *keys[DIR_QUERY_KEYS];
	const char *kinds[DIR_QUERY_KEYS];
	size_t nkeys;
	size_t limit, offset;
};

int store_dir_service_insert(store_tx *tx, const struct dir_service_row *s);
/* Update when the stored version equals s->version - 1 and s->org_id is
 * the stored organisation (an update never moves a service: STORE_STALE). */
int store_dir_service_update(store_tx *tx, const struct dir_service_row *s);
/* Ownership of a service (and of its locations' addresses) moves only by
 * a transfer: _transfer records (or, with to_org_id NULL, cancels) the
 * organisation it is offered to, when the stored version is `version`
 * (which it bumps); _move, when the owning organisation accepts, gives
 * the service and its locations to that organisation. */
int store_dir_service_transfer(store_tx *tx, const char *id, int64_t version, const char *to_org_id,
			       const char *now);
int store_dir_service_move(store_tx *tx, const char *id, int64_t version, const char *now);
int store_dir_service_get(store *st, const char *id, struct dir_service_row *s, arena *a);
int store_dir_service_get_tx(store_tx *tx, const char *id, struct dir_service_row *s, arena *a);
/* Replace the search keys (NUL-terminated strings) of a service. */
int store_dir_service_keys_set(store_tx *tx, const char *service_id, const char *const *keys,
			       size_t n);
/* One page of services into an arena array, and how many match in all. */
int store_dir_service_list(store *st, const struct dir_filter *f, struct dir_service_row **rows,
			   size_t *n, int64_t *total, arena *a);
int store_dir_location_insert(store_tx *tx, const struct dir_location_row *l);
int store_dir_location_update(store_tx *tx, const struct dir_location_row *l);
int store_dir_location_get_tx(store_tx *tx, const char *id, struct dir_location_row *l,
			      arena *a);
int store_dir_location_get(store *st, const char *id, struct dir_location_row *l, arena *a);
/* The locations of a service (at most 200), oldest first. */
int store_dir_locations_of(store *st, const char *service_id, struct dir_location_row **rows,
			   size_t *n, arena *a);
/* Every location (at most max), by service. */
int store_dir_locations_all(store *st, size_t max, struct dir_location_row **rows, size_t *n,
			    arena *a);
/* Every organisation (at most max), by code. */
int store_dir_orgs(store *st, size_t max, struct org **rows, size_t *n, arena *a);
/* The organisation of this code, made (with name and type) when there is
 * none; *created tells which.  Inside tx, so an import sees its own. */
int store_dir_org_ensure(store_tx *tx, const char *code, const char *name, const char *type,
			 struct org *o, int *created);

/* ---- the hotline (contacts.c) ---------------------------------------- */

/* A contact: the columns the lists and reports use, the coded JSON and
 * the sealed notes and number.  phone_key is the number's blind index
 * in the organisation (has_phone 0: none given). */
struct contact_row {
	char id[ID_LEN];
	char org_id[ID_LEN];
	int64_t version;
	char channel[16];
	char call_type[16];
	char started_at[TS_LEN];
	int64_t duration_s;          /* -1 when not given */
	char language[8];            /* "" when not given */
	const char *topics;          /* codes between spaces: " legal other ", or " " */
	char action[24];
	char case_id[ID_LEN];
	char person_id[ID_LEN];
	char operator_id[ID_LEN];
	int has_phone;
	unsigned char phone_key[BLIND_BYTES];
	const char *coded;
	const unsigned char *sealed; /* NULL when nothing is sealed */
	size_t sealed_len;
	char created_at[TS_LEN];
	char updated_at[TS_LEN];
};

/* Contacts of an organisation, newest first; from/to bound started_at
 * (from inclusive, to exclusive; NULL or "" for none), after_at/after_id
 * are the last row of the previous page. */
struct contact_filter {
	const char *org_id;
	const char *from, *to;
	const char *after_at, *after_id;
	size_t limit;
};

struct contact_count {
	const char *key;
	int64_t n;
};

/* The figures of an organisation's contacts started in [from, to), and
 * its callbacks not done (overdue: due before now; due: from now to
 * day_end).  by_topics counts the stored topic strings, to be split. */
struct contact_stats {
	int64_t total;
	struct contact_count *by_day, *by_channel, *by_call_type, *by_action, *by_topics;
	size_t n_day, n_channel, n_call_type, n_action, n_topics;
	int64_t cb_open, cb_due, cb_overdue;
};

int store_contact_insert(store_tx *tx, const struct contact_row *c);
int store_contact_get(store *st, const char *id, struct contact_row *c, arena *a);
/* Update when the stored version equals c->version - 1 (and the org). */
int store_contact_update(store_tx *tx, const struct contact_row *c);
int store_contacts_by_phone(store *st, const char *org_id, const unsigned char key[BLIND_BYTES],
			    size_t max, struct contact_row **rows, size_t *n, arena *a);
int store_contacts_list(store *st, const struct contact_filter *f, struct contact_row **rows,
			size_t *n, arena *a);
int store_contact_stats(store *st, const char *org_id, const char *from, const char *to,
			const char *now, const char *day_end, struct contact_stats *cs, arena *a);

/* A flag on a caller's number, shown until its date (inclusive). */
struct caller_flag_row {
	char id[ID_LEN];
	char org_id[ID_LEN];
	unsigned char phone_key[BLIND_BYTES];
	char flag[24];
	char until[11];
	const unsigned char *sealed; /* the note; NULL when none */
	size_t sealed_len;
	char created_by[ID_LEN];
	char created_at[TS_LEN];
};

int store_flag_insert(store_tx *tx, const struct caller_flag_row *f);
/* One flag by id, whatever its organisation or date. */
int store_flag_get(store *st, const char *id, struct caller_flag_row *f, arena *a);
/* The flags of a number in an organisation whose date is today or later. */
int store_flags_active(store *st, const char *org_id, const unsigned char key[BLIND_BYTES],
		       const char *today, struct caller_flag_row **rows, size_t *n, arena *a);

/* A callback: source "operator" or "public"; the number, the safe-to-call
 * note (and a public request's preferred time and message) are sealed. */
struct callback_row {
	char id[ID_LEN];
	char org_id[ID_LEN];
	int64_t version;
	char source[12];
	int done;
	char due[TS_LEN];
	char language[8];
	char assigned_to[ID_LEN];
	char outcome[24];
	char contact_id[ID_LEN];
	int has_phone;
	unsigned char phone_key[BLIND_BYTES];
	const unsigned char *sealed;
	size_t sealed_len;
	char created_by[ID_LEN];
	char created_at[TS_LEN];
	char updated_at[TS_LEN];
	char done_at[TS_LEN];
};

/* Callbacks of an organisation by due time; done -1 for any, due in
 * [due_from, due_before) when given, after_due/after_id for paging. */
struct callback_filter {
	const char *org_id;
	int done;
	const char *due_from, *due_before;
	const char *assigned_to;
	const char *after_due, *after_id;
	size_t limit;
};

int store_callback_insert(store_tx *tx, const struct callback_row *c);
int store_callback_get(store *st, const char *id, struct callback_row *c, arena *a);
/* The newest callback booked with a contact: STORE_OK, STORE_NOT_FOUND. */
int store_callback_of_contact(store *st, const char *contact_id, struct callback_row *c,
			      arena *a);
/* Update (done, due, assignment, outcome) when the stored version equals
 * c->version - 1. */
int store_callback_update(store_tx *tx, const struct callback_row *c);
int store_callbacks_list(store *st, const struct callback_filter *f, struct callback_row **rows,
			 size_t *n, arena *a);
/* STORE_OK (and its id) when the organisation has a callback of this
 * source not done for the number, STORE_NOT_FOUND when not. */
int store_callback_open_find(store_tx *tx, const char *org_id,
			     const unsigned char key[BLIND_BYTES], const char *source,
			     char id[ID_LEN]);
/* Set a callback's updated_at (the public form asked again). */
int store_callback_touch(store_tx *tx, const char *id, const char *updated_at);
/* The installation's own organisation: the one `himoya org home` named
 * (store_org_home_set), else the one made first (by `himoya init`). */
int store_org_home(store *st, struct org *o);
int store_org_home_set(store_tx *tx, const char *org_id);

/* ---- audit ------------------------------------------------------------ */

struct audit_entry {
	const char *user_id; /* NULL for the system */
	const char *org_id;
	const char *action;  /* "read", "create", "update", "login", ... */
	const char *record;  /* "persons/ID" or NULL */
	const char *fields;  /* comma-separated field names or NULL */
	const char *addr;    /* client address or NULL */
};

/* Append inside a write transaction (writes are audited atomically). */
int store_audit_append(store_tx *tx, const struct audit_entry *e);
/* Queue an entry of a read; a background thread commits queued entries
 * in groups within a few milliseconds (and store_close flushes them). */
void store_audit_enqueue(store *st, const struct audit_entry *e);
/* Walk the chain.  0 when intact; otherwise -1 and a message naming the
 * first altered or missing entry in msg.  Intact means: every entry from
 * the first to the keyed head is there, unaltered, in order; the keyed
 * anchor written when the database was made (or first opened by a
 * version that has anchors) names an entry of the chain; and the derived
 * index audit_reads agrees with the batches of reads up to its keyed
 * watermark. */
int store_audit_verify(store *st, char *msg, size_t msglen, int64_t *entries);
/* The same, and also: when expect ("SEQ:HEX", HEX 16 to 64 hex digits of
 * an earlier head) is not NULL, entry SEQ must be in the chain with a MAC
 * that begins with HEX.  head (may be NULL) gets the verified head. */
int store_audit_verify_head(store *st, const char *expect, struct audit_head *head, char *msg,
			    size_t msglen, int64_t *entries);
/* Make the index of reads again from the chain (after verify found it
 * does not match). */
int store_audit_reindex(store *st);

struct audit_row {
	int64_t seq;
	char at[TS_LEN];
	char user_id[ID_LEN];
	char login[128];
	char org_code[64];
	char action[32];
	char record[96];
	char fields[512];
	char addr[64];
};
/* Entries about one record, newest first. */
int store_audit_for_record(store *st, const char *record, struct audit_row *rows, size_t max,
			   size_t *found);

/* ---- shared limits (store/limits.c): what servers on one database share -- */

/* Keys are keyed hashes (blind_index) of a login, a client address, a
 * token's nonce: nothing in clear. */
#define LIMIT_KEY_BYTES BLIND_BYTES

/* A sign-in attempt on the login of key, counted as a failure until
 * store_login_clear: *left the seconds the login stays locked (the attempt
 * then refused and counted nothing), or 0.  After max_failures in a row,
 * each within lock_secs of the one before, the login is locked for
 * lock_secs (lockout semantics of api/session.c). */
int store_login_attempt(store *st, const unsigned char key[LIMIT_KEY_BYTES], unsigned max_failures,
			unsigned lock_secs, int64_t now, int64_t *left);
/* The same within tx (a group commit of many sign-ins' failures). */
int store_login_attempt_tx(store_tx *tx, const unsigned char key[LIMIT_KEY_BYTES],
			   unsigned max_failures, unsigned lock_secs, int64_t now, int64_t *left);
/* *left as above, counting nothing. */
int store_login_locked(store *st, const unsigned char key[LIMIT_KEY_BYTES], int64_t now,
		       int64_t *left);
/* A success (or an unlock): the login's failures are forgotten, in the
 * transaction that records it. */
int store_login_clear(store_tx *tx, const unsigned char key[LIMIT_KEY_BYTES]);
/* One more request under a limit of max per window_secs (a fixed window
 * from the first request): *allowed 1 while within it. */
int store_rate_hit(store *st, const unsigned char key[LIMIT_KEY_BYTES], unsigned max,
		   unsigned window_secs, int64_t now, int *allowed);
/* Use up a one-time id good until expires: *first 1 the first time. */
int store_once(store *st, const unsigned char id[LIMIT_KEY_BYTES], int64_t expires, int64_t now,
	       int *first);

/* Idempotency keys (api/idempotency.c): a change sent again with the key
 * it was first sent with gets the first answer instead of being made
 * twice.  key is a keyed hash of the user and the client's key, request
 * one of the method, target and body.  store_idem_claim prunes the rows
 * past their expiry, then either makes the row (*first 1: the change is
 * to be made, the row "running") or reads the one there into *row. */
struct idem_row {
	unsigned char request[LIMIT_KEY_BYTES];
	int64_t started;
	int status;                 /* 0: the first is still running */
	const unsigned char *answer; /* sealed, in the arena; NULL while running */
	size_t answer_len;
};
int store_idem_claim(store *st, const unsigned char key[LIMIT_KEY_BYTES],
		     const unsigned char request[LIMIT_KEY_BYTES], int64_t expires, int64_t now,
		     int *first, struct idem_row *row, arena *a);
/* The first answer (status and its sealed copy) kept under key. */
int store_idem_done(store *st, const unsigned char key[LIMIT_KEY_BYTES], int status,
		    const unsigned char *answer, size_t len);
/* A change that was not made (its answer a problem): the key is free
 * again. */
int store_idem_drop(store *st, const unsigned char key[LIMIT_KEY_BYTES]);

/* Copy this (SQLite) store into the empty PostgreSQL database at url:
 * its schema, then every table's rows in one transaction (copy.c).
 * report, if given, hears each table and its rows. */
typedef void (*store_copy_fn)(void *arg, const char *table, long long rows);
int store_copy_to(store *st, const char *url, store_copy_fn report, void *arg, char *err,
		  size_t errlen);
/* Every table's rows here and in the copy at url (report hears each pair);
 * *mismatches: the tables whose counts differ. */
typedef void (*store_count_fn)(void *arg, const char *table, long long here, long long there);
int store_copy_counts(store *st, const char *url, store_count_fn report, void *arg,
		      int *mismatches);

/* 1 when the key opens this database (its keyed audit anchor verifies),
 * 0 when it does not (another installation's key), -1 when unreadable. */
int store_key_opens(store *st);

/* STORE_OK when the database answers a query (the health check). */
int store_ping(store *st);

/* What a STORE_ERROR met on this thread since store_failure_clear was:
 * STORE_UNAVAILABLE (PostgreSQL down or failing over), STORE_BUSY (a
 * lock held past the busy timeout), else STORE_ERROR.  The store's
 * functions answer STORE_ERROR for every database failure; the request
 * that met it asks this to answer "try again" rather than "failed". */
int store_failure(void);
void store_failure_clear(void);

#endif
