/*
 * crypto.h - the installation key, sealing of PII, keyed blind indexes,
 * password hashing and TOTP.  Everything here sits on libsodium, except
 * the RFC 6238 codes, which come from liboath (OATH Toolkit).
 *
 * One master key (32 bytes) lives in DATA/himoya.key, mode 0600, never in
 * the database.  Sub-keys are derived from it with crypto_kdf so that the
 * sealing key, the blind-index key and the audit MAC key are independent.
 * Secrets are wiped with sodium_memzero when they are dropped.
 */
#ifndef HIMOYA_CRYPTO_H
#define HIMOYA_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

#define KEY_BYTES 32
#define BLIND_BYTES 16          /* truncated HMAC kept in the index */
#define SEAL_OVERHEAD (24 + 16) /* nonce + tag */
#define HASH_BYTES 32

typedef struct keyring {
	unsigned char seal[KEY_BYTES];  /* XChaCha20-Poly1305 key for PII */
	unsigned char blind[KEY_BYTES]; /* HMAC key for blind indexes */
	unsigned char audit[KEY_BYTES]; /* MAC key of the audit chain */
	unsigned char token[KEY_BYTES]; /* MAC key for token/session ids */
	unsigned char form[KEY_BYTES];  /* MAC key of the public form's anti-bot tokens */
	unsigned char pprl[KEY_BYTES];  /* network matching secret, unless pprl_secret names one */
} keyring;

/* Must be called once before anything else; returns 0 on success. */
int crypto_init(void);

/* Create DIR/himoya.key with a fresh random key, mode 0600, O_EXCL.
 * Returns 0, or -1 with errno set. */
int key_file_create(const char *path);
/* Read the key file and derive the sub-keys.  Refuses a file readable by
 * group or others.  Returns 0, or -1 and writes a reason into err. */
int key_file_load(const char *path, keyring *kr, char *err, size_t errlen);
void keyring_wipe(keyring *kr);

/* Seal plaintext under kr->seal with a random nonce.  `ad` (may be NULL)
 * is bound as associated data: pass the record id so that a sealed value
 * cannot be moved to another record.  out must hold len + SEAL_OVERHEAD. */
void seal_encrypt(const keyring *kr, const unsigned char *pt, size_t len,
		  const char *ad, unsigned char *out);
/* Open a sealed value.  out must hold len - SEAL_OVERHEAD bytes.
 * Returns 0, or -1 when the value was tampered with or is too short. */
int seal_decrypt(const keyring *kr, const unsigned char *ct, size_t len,
		 const char *ad, unsigned char *out);

/* Keyed blind index of a normalised search key: HMAC(kr->blind, domain ||
 * 0 || key), truncated to BLIND_BYTES.  `domain` separates kinds of keys
 * ("name", "phone", ...) so equal strings of different kinds differ. */
void blind_index(const keyring *kr, const char *domain, const char *key,
		 size_t keylen, unsigned char out[BLIND_BYTES]);

/* Keyed hash used for stored token and session ids (never store them in
 * clear).  out is HASH_BYTES. */
void token_hash(const keyring *kr, const char *token, unsigned char out[HASH_BYTES]);

/* Fill buf with n random bytes; random_token writes a URL-safe base64
 * string of 32 random bytes (43 chars + NUL) into out[44]. */
void random_bytes(void *buf, size_t n);
void random_token(char out[44]);

/* ---- passwords (Argon2id) -------------------------------------------- */

#define PASSWORD_HASH_MAX 128

/* Hash a password into the libsodium string form.  Returns 0 or -1 (out
 * of memory).  Slow on purpose: call from the password worker or the CLI. */
int password_hash(const char *password, char out[PASSWORD_HASH_MAX]);
/* A new random password of 20 characters without look-alikes (read
 * aloud over a phone, typed on one) into out[24]. */
void password_generate(char out[24]);
/* 1 when the password matches, 0 when not. */
int password_verify(const char *stored, const char *password);
/* A hash of a random password, to verify against for unknown logins so
 * that timing does not tell which logins exist. */
const char *password_dummy_hash(void);

/* The password worker: a small fixed pool of threads at low priority that
 * runs Argon2id jobs from a bounded queue, so that a storm of logins can
 * neither exhaust memory nor starve request threads. */
typedef struct pw_job pw_job;
typedef void (*pw_done_fn)(pw_job *job, void *arg);
struct pw_job {
	const char *stored;   /* hash to verify against (owned by caller) */
	const char *password; /* candidate (owned by caller) */
	const char *client;   /* who asks (a client address); NULL: one shared client */
	const char *new_password; /* with hash_out: hashed when the check passes */
	char *hash_out;       /* PASSWORD_HASH_MAX bytes, or NULL: verify only.
			       * With stored NULL, only hash (ok: hashed). */
	int ok;               /* result: 1 match, 0 no match */
	int busy;             /* result: 1 when pushed out of the queue unverified */
	pw_done_fn done;      /* called on the worker thread when finished */
	void *arg;
	pw_job *next;         /* queue link, private */
};
/* Start `threads` workers with a queue of at most `queue_max` waiting
 * jobs (both > 0).  Returns 0, or -1 when already running or on failure.
 * The queue is shared fairly among clients: workers take one job of each
 * waiting client in turn, and when the queue is full a job of a client
 * with fewer waiting jobs than the greediest takes the place of that
 * one's newest, whose `done` is called at once with busy = 1 (on the
 * submitting thread).  A flood from some addresses delays others by one
 * round, it cannot keep them out. */
int pw_pool_start(unsigned threads, unsigned queue_max);
/* Queue a job; returns 0, or -1 when the queue is full of jobs of clients
 * with as many waiting as this one (answer 503) or the pool is not running.  Thread-safe.  The job, its strings and `arg`
 * must stay valid until `done` has been called; `done` may free the job. */
int pw_pool_submit(pw_job *job);
/* Wake and join the workers.  Jobs still waiting get ok = 0 and their
 * `done`, on a worker thread, before this returns.  Never call it from a
 * `done` callback. */
void pw_pool_stop(void);

/* ---- TOTP (RFC 6238, SHA-1, 6 digits, 30 s) --------------------------- */

#define TOTP_SECRET_BYTES 20
/* base32 (RFC 4648, no padding) of a 20-byte secret: 32 chars + NUL */
#define TOTP_B32_LEN 33

void totp_secret_new(unsigned char secret[TOTP_SECRET_BYTES]);
/* Writes the NUL-terminated encoding, or "" when outlen is too small for
 * its (8n + 4) / 5 + 1 bytes. */
void base32_encode(const unsigned char *in, size_t n, char *out, size_t outlen);
/* Accepts either case and ignores spaces and '='.  Returns number of bytes
 * decoded, or -1 on a character outside the alphabet or when more than
 * outlen bytes would be written. */
int base32_decode(const char *in, unsigned char *out, size_t outlen);
/* The code of `digits` (6 to 8) decimal digits for time step
 * unix_time / 30, into out[digits + 1] (liboath's HOTP of the step).
 * 0, or -1 with out "" when liboath refuses. */
int totp_code(const unsigned char *secret, size_t n, uint64_t step, unsigned digits,
	      char *out);
/* 1 when `code` (6 ASCII digits) matches at now, now-30 s or now+30 s. */
int totp_verify(const unsigned char *secret, size_t n, const char *code, uint64_t unix_time);
/* totp_verify with replay protection (RFC 6238 section 5.2): only steps
 * after `last_step` (the step last accepted for this account, 0 if none)
 * count, and the matched step goes to *matched_step, to be stored as the
 * account's new last_step.  1 on a match, 0 otherwise. */
int totp_verify_once(const unsigned char *secret, size_t n, const char *code,
		     uint64_t unix_time, uint64_t last_step, uint64_t *matched_step);

#endif
