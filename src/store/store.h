/*
 * store.h - everything the layers above know about storage.
 *
 * One writer connection, guarded by a mutex, runs every change inside
 * BEGIN IMMEDIATE (store_begin .. store_commit); a pool of reader
 * connections serves reads, each with its own cached prepared statements.
 * Migrations run in store_open.  The SQL lives in the store_*.c files
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
#include "util/arena.h"

enum {
	STORE_OK = 0,
	STORE_NOT_FOUND = -1,
	STORE_CONFLICT = -2, /* uniqueness violated */
	STORE_STALE = -3,    /* version mismatch on update */
	STORE_ERROR = -4,
};

#define ID_LEN 27   /* 26 characters of base32 + NUL */
#define TS_LEN 32   /* "2026-11-29T07:50:19Z" */

typedef struct store store;
typedef struct store_tx store_tx;

/* Open the database at path (creating it when `create`), run migrations,
 * start `readers` reader connections.  `kr` must outlive the store. */
int store_open(const char *path, const keyring *kr, unsigned readers, int create,
	       store **out, char *err, size_t errlen);
/* Flush the audit queue and close everything. */
void store_close(store *st);

/* A write transaction: takes the writer (blocking), BEGIN IMMEDIATE. */
store_tx *store_begin(store *st);
int store_commit(store_tx *tx);   /* releases the writer in every case */
void store_rollback(store_tx *tx);

/* Bulk loading (`himoya demo`, imports) of persons, cases and their
 * items.  store_bulk_begin drops the secondary indexes of persons, cases
 * and items (a load never reads them; they are remade at the end in one
 * sorted pass each, instead of one random insertion per row), gives the
 * writer a large page cache and stops checking foreign keys on it: the
 * loader must insert consistent rows (persons before their cases, cases
 * before their items).
 * store_bulk_end makes the indexes again and restores the settings.
 * Every transaction between them is as durable as ever; the dropped
 * definitions are kept in meta, so that store_open remakes them after a
 * crash in between.  Not for use while another process serves the
 * folder (its lists would be slow, not wrong). */
int store_bulk_begin(store *st);
int store_bulk_end(store *st);

/* A consistent online copy of the database (still encrypted). */
int store_backup(store *st, const char *path, char *err, size_t errlen);

/* Current time as RFC 3339 UTC, and as seconds. */
void store_now(char out[TS_LEN]);
int64_t store_unix_now(void);
/* A new random opaque id. */
void store_new_id(char out[ID_LEN]);

/* Installation facts kept beside the schema (table meta), e.g. "demo"
 * for a folder made by `himoya demo`.  store_meta_get copies the value
 * (truncated) into out: STORE_OK or STORE_NOT_FOUND.  store_meta_set
 * refuses the store's own keys (schema_version, audit_head,
 * bulk_indexes). */
int store_meta_get(store *st, const char *key, char *out, size_t outlen);
int store_meta_set(store_tx *tx, const char *key, const char *value);

/* ---- organisations and users ------------------------------------------ */

struct org {
	char id[ID_LEN];
	char code[64];
	char name[256];
	char type[64];
};

struct user {
	char id[ID_LEN];
	char login[128];
	char role[32];
	char pwhash[PASSWORD_HASH_MAX];
	int totp_enabled;
	int64_t totp_step;        /* last accepted TOTP time step (no replay) */
	unsigned char totp_sealed[TOTP_SECRET_BYTES + SEAL_OVERHEAD];
	size_t totp_sealed_len;  /* 0 when no secret is set */
	int disabled;
	struct org org;
};

int store_org_add(store_tx *tx, const char *code, const char *name, const char *type,
		  char id_out[ID_LEN]);
int store_org_by_code(store *st, const char *code, struct org *o);
int store_user_add(store_tx *tx, const char *org_id, const char *login, const char *role,
		   const char *pwhash, char id_out[ID_LEN]);
int store_user_by_login(store *st, const char *login, struct user *u);
int store_user_by_id(store *st, const char *id, struct user *u);
int store_user_set_totp(store_tx *tx, const char *user_id, const unsigned char *sealed,
			size_t len, int enabled);
int store_user_set_totp_step(store_tx *tx, const char *user_id, int64_t step);
int store_user_set_password(store_tx *tx, const char *user_id, const char *pwhash);

/* Whether a role must use a second factor; and setting it. */
int store_role_requires_totp(store *st, const char *role);
int store_role_set_totp(store_tx *tx, const char *role, int required);

/* ---- sessions and API tokens (ids are stored as keyed hashes) --------- */

struct session {
	char csrf[44];
	int64_t created;
	int64_t seen;
	int totp_pending; /* logged in, must still enrol a second factor */
};

int store_session_add(store_tx *tx, const unsigned char id[HASH_BYTES], const char *user_id,
		      const char *csrf, int totp_pending, int64_t now);
/* The session and its user; STORE_NOT_FOUND when absent or idle past
 * idle_secs (an idle one is deleted at the next touch or sweep). */
int store_session_get(store *st, const unsigned char id[HASH_BYTES], int64_t now,
		      int64_t idle_secs, struct session *s, struct user *u);
int store_session_touch(store_tx *tx, const unsigned char id[HASH_BYTES], int64_t now);
int store_session_clear_pending(store_tx *tx, const unsigned char id[HASH_BYTES]);
int store_session_delete(store_tx *tx, const unsigned char id[HASH_BYTES]);
int store_session_sweep(store_tx *tx, int64_t now, int64_t idle_secs);

int store_token_add(store_tx *tx, const unsigned char id[HASH_BYTES], const char *user_id,
		    const char *label);
int store_token_get(store *st, const unsigned char id[HASH_BYTES], struct user *u);

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
};

/* One blind-index entry: kind ("name", "name3", "phone", ...) + MAC. */
struct blind_key {
	const char *kind;
	unsigned char mac[BLIND_BYTES];
};

int store_person_insert(store_tx *tx, const struct person_row *p);
/* Fills p; coded and sealed point into the arena. */
int store_person_get(store *st, const char *id, struct person_row *p, arena *a);
/* Update when the stored version equals p->version - 1. */
int store_person_update(store_tx *tx, const struct person_row *p);
int store_person_keys_set(store_tx *tx, const char *person_id, const struct blind_key *keys,
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
};

int store_case_insert(store_tx *tx, const struct case_row *c);
int store_case_get(store *st, const char *id, struct case_row *c, arena *a);
/* Update when the stored version equals c->version - 1. */
int store_case_update(store_tx *tx, const struct case_row *c);
/* Rows into an arena array; *n rows. */
int store_case_list(store *st, const struct case_filter *f, struct case_row **rows, size_t *n,
		    arena *a);
/* Cases of the persons in ids (at most 64), of one organisation. */
int store_case_list_persons(store *st, const char *org_id, char (*ids)[ID_LEN], size_t nids,
			    struct case_row **rows, size_t *n, arena *a);

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
/* Open items of a kind due before `before` (YYYY-MM-DD), of one org, for
 * one assignee (NULL: all), oldest due first. */
int store_items_due(store *st, const char *kind, const char *org_id, const char *assigned_to,
		    const char *before, struct item_row **rows, size_t *n, arena *a);

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
 * first altered or missing entry in msg. */
int store_audit_verify(store *st, char *msg, size_t msglen, int64_t *entries);

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

#endif
