/*
 * test_crypto.c - unit tests of src/crypto: the key file and its mode
 * checks, sealing and its failure cases, blind indexes, token hashes,
 * Argon2id passwords and the password worker pool, and TOTP (liboath's
 * codes under our window and replay rules) and base32 against their RFC
 * test vectors.  Each
 * test runs in a fresh temporary directory for its key files.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "crypto/crypto.h"

/* ---- fixtures ---------------------------------------------------------- */

struct fixture {
	char dir[64];
	char path[128];  /* DIR/himoya.key, not yet created */
	char path2[128]; /* DIR/other.key, not yet created */
};

static int fixture_setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);

	if (f == NULL)
		return -1;
	snprintf(f->dir, sizeof f->dir, "/tmp/himoya-test-XXXXXX");
	if (mkdtemp(f->dir) == NULL) {
		free(f);
		return -1;
	}
	snprintf(f->path, sizeof f->path, "%s/himoya.key", f->dir);
	snprintf(f->path2, sizeof f->path2, "%s/other.key", f->dir);
	*state = f;
	return 0;
}

static int fixture_teardown(void **state)
{
	struct fixture *f = *state;

	unlink(f->path);
	unlink(f->path2);
	rmdir(f->dir);
	free(f);
	return 0;
}

static void load_new_keyring(const char *path, keyring *kr)
{
	char err[256];

	assert_int_equal(key_file_create(path), 0);
	assert_int_equal(key_file_load(path, kr, err, sizeof err), 0);
}

/* ---- key file ---------------------------------------------------------- */

static void test_key_create_mode_0600(void **state)
{
	struct fixture *f = *state;
	struct stat st;

	assert_int_equal(key_file_create(f->path), 0);
	assert_int_equal(stat(f->path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(st.st_size, KEY_BYTES);
}

static void test_key_create_refuses_existing(void **state)
{
	struct fixture *f = *state;
	keyring a, b;
	char err[256];

	load_new_keyring(f->path, &a);
	errno = 0;
	assert_int_equal(key_file_create(f->path), -1);
	assert_int_equal(errno, EEXIST);
	/* the existing key was not touched */
	assert_int_equal(key_file_load(f->path, &b, err, sizeof err), 0);
	assert_memory_equal(&a, &b, sizeof a);
	keyring_wipe(&a);
	keyring_wipe(&b);
}

static void test_key_load_refuses_0644(void **state)
{
	struct fixture *f = *state;
	keyring kr;
	char err[256] = "";

	assert_int_equal(key_file_create(f->path), 0);
	assert_int_equal(chmod(f->path, 0644), 0);
	memset(&kr, 0xff, sizeof kr);
	assert_int_equal(key_file_load(f->path, &kr, err, sizeof err), -1);
	assert_non_null(strstr(err, "mode"));
	/* nothing usable is left behind */
	assert_true(sodium_is_zero((const unsigned char *)&kr, sizeof kr));

	assert_int_equal(chmod(f->path, 0640), 0);
	assert_int_equal(key_file_load(f->path, &kr, err, sizeof err), -1);
	assert_int_equal(chmod(f->path, 0604), 0);
	assert_int_equal(key_file_load(f->path, &kr, err, sizeof err), -1);
	assert_int_equal(chmod(f->path, 0400), 0);
	assert_int_equal(key_file_load(f->path, &kr, NULL, 0), 0);
	keyring_wipe(&kr);
}

static void test_key_load_refuses_wrong_size(void **state)
{
	struct fixture *f = *state;
	unsigned char junk[KEY_BYTES + 1] = {0};
	keyring kr;
	char err[256] = "";
	int fd;

	fd = open(f->path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, junk, KEY_BYTES - 1), KEY_BYTES - 1);
	close(fd);
	assert_int_equal(key_file_load(f->path, &kr, err, sizeof err), -1);
	assert_non_null(strstr(err, "bytes"));

	fd = open(f->path2, O_WRONLY | O_CREAT | O_EXCL, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, junk, sizeof junk), (ssize_t)sizeof junk);
	close(fd);
	assert_int_equal(key_file_load(f->path2, &kr, err, sizeof err), -1);
}

static void test_key_load_missing(void **state)
{
	struct fixture *f = *state;
	keyring kr;
	char err[256] = "";

	assert_int_equal(key_file_load(f->path, &kr, err, sizeof err), -1);
	assert_non_null(strstr(err, f->path));
}

static void test_key_subkeys_distinct(void **state)
{
	struct fixture *f = *state;
	keyring a, b, again;
	char err[256];

	load_new_keyring(f->path, &a);
	load_new_keyring(f->path2, &b);
	assert_memory_not_equal(a.seal, a.blind, KEY_BYTES);
	assert_memory_not_equal(a.seal, a.audit, KEY_BYTES);
	assert_memory_not_equal(a.seal, a.token, KEY_BYTES);
	assert_memory_not_equal(a.blind, a.audit, KEY_BYTES);
	assert_memory_not_equal(a.blind, a.token, KEY_BYTES);
	assert_memory_not_equal(a.audit, a.token, KEY_BYTES);
	assert_memory_not_equal(a.seal, b.seal, KEY_BYTES);
	/* derivation is deterministic */
	assert_int_equal(key_file_load(f->path, &again, err, sizeof err), 0);
	assert_memory_equal(&a, &again, sizeof a);

	keyring_wipe(&a);
	assert_true(sodium_is_zero((const unsigned char *)&a, sizeof a));
	keyring_wipe(&b);
	keyring_wipe(&again);
}

/* Pins the KDF context and sub-key ids: changing either would make every
 * stored sealed value and blind index unreadable. */
static void test_key_derivation_pinned(void **state)
{
	struct fixture *f = *state;
	unsigned char master[KEY_BYTES];
	unsigned char want[KEY_BYTES];
	keyring kr;
	char err[256];
	int fd, i;

	for (i = 0; i < KEY_BYTES; i++)
		master[i] = (unsigned char)i;
	fd = open(f->path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, master, sizeof master), (ssize_t)sizeof master);
	close(fd);
	assert_int_equal(key_file_load(f->path, &kr, err, sizeof err), 0);

	crypto_kdf_derive_from_key(want, KEY_BYTES, 1, "himoya01", master);
	assert_memory_equal(kr.seal, want, KEY_BYTES);
	crypto_kdf_derive_from_key(want, KEY_BYTES, 2, "himoya01", master);
	assert_memory_equal(kr.blind, want, KEY_BYTES);
	crypto_kdf_derive_from_key(want, KEY_BYTES, 3, "himoya01", master);
	assert_memory_equal(kr.audit, want, KEY_BYTES);
	crypto_kdf_derive_from_key(want, KEY_BYTES, 4, "himoya01", master);
	assert_memory_equal(kr.token, want, KEY_BYTES);
	keyring_wipe(&kr);
}

/* ---- random ------------------------------------------------------------ */

static void test_random_token(void **state)
{
	char a[44], b[44];
	size_t i;

	(void)state;
	random_token(a);
	random_token(b);
	assert_int_equal(strlen(a), 43);
	assert_string_not_equal(a, b);
	for (i = 0; i < 43; i++) {
		char c = a[i];
		assert_true((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
			    (c >= '0' && c <= '9') || c == '-' || c == '_');
	}
}

/* ---- seal -------------------------------------------------------------- */

static void test_seal_round_trip(void **state)
{
	struct fixture *f = *state;
	const char msg[] = "Гулнора Раҳимова";
	unsigned char ct[sizeof msg + SEAL_OVERHEAD];
	unsigned char ct2[sizeof msg + SEAL_OVERHEAD];
	unsigned char pt[sizeof msg];
	unsigned char empty_ct[SEAL_OVERHEAD];
	keyring kr;

	load_new_keyring(f->path, &kr);
	seal_encrypt(&kr, (const unsigned char *)msg, sizeof msg, "person:42", ct);
	assert_int_equal(seal_decrypt(&kr, ct, sizeof ct, "person:42", pt), 0);
	assert_memory_equal(pt, msg, sizeof msg);
	/* the plaintext does not show through */
	assert_null(memmem(ct, sizeof ct, "Гулнора", strlen("Гулнора")));

	/* a fresh nonce every time: equal values do not seal equal */
	seal_encrypt(&kr, (const unsigned char *)msg, sizeof msg, "person:42", ct2);
	assert_memory_not_equal(ct, ct2, sizeof ct);

	/* NULL ad */
	seal_encrypt(&kr, (const unsigned char *)msg, sizeof msg, NULL, ct);
	assert_int_equal(seal_decrypt(&kr, ct, sizeof ct, NULL, pt), 0);
	assert_memory_equal(pt, msg, sizeof msg);

	/* empty plaintext: exactly the overhead */
	seal_encrypt(&kr, NULL, 0, "x", empty_ct);
	assert_int_equal(seal_decrypt(&kr, empty_ct, sizeof empty_ct, "x", pt), 0);
	keyring_wipe(&kr);
}

static void test_seal_tamper_fails(void **state)
{
	struct fixture *f = *state;
	const char msg[] = "+992 90 123 45 67";
	unsigned char ct[sizeof msg + SEAL_OVERHEAD];
	unsigned char pt[sizeof msg];
	keyring kr;
	size_t i;

	load_new_keyring(f->path, &kr);
	seal_encrypt(&kr, (const unsigned char *)msg, sizeof msg, "person:7", ct);
	/* flipping one bit anywhere - nonce, body or tag - is detected */
	for (i = 0; i < sizeof ct; i++) {
		ct[i] ^= 0x01;
		assert_int_equal(seal_decrypt(&kr, ct, sizeof ct, "person:7", pt), -1);
		ct[i] ^= 0x01;
	}
	assert_int_equal(seal_decrypt(&kr, ct, sizeof ct, "person:7", pt), 0);
	/* truncated by one byte */
	assert_int_equal(seal_decrypt(&kr, ct, sizeof ct - 1, "person:7", pt), -1);
	keyring_wipe(&kr);
}

static void test_seal_wrong_ad_fails(void **state)
{
	struct fixture *f = *state;
	const char msg[] = "secret";
	unsigned char ct[sizeof msg + SEAL_OVERHEAD];
	unsigned char pt[sizeof msg];
	keyring kr;

	load_new_keyring(f->path, &kr);
	seal_encrypt(&kr, (const unsigned char *)msg, sizeof msg, "person:1", ct);
	assert_int_equal(seal_decrypt(&kr, ct, sizeof ct, "person:2", pt), -1);
	assert_int_equal(seal_decrypt(&kr, ct, sizeof ct, "person:10", pt), -1);
	assert_int_equal(seal_decrypt(&kr, ct, sizeof ct, NULL, pt), -1);
	assert_int_equal(seal_decrypt(&kr, ct, sizeof ct, "", pt), -1);
	keyring_wipe(&kr);
}

static void test_seal_wrong_key_fails(void **state)
{
	struct fixture *f = *state;
	const char msg[] = "secret";
	unsigned char ct[sizeof msg + SEAL_OVERHEAD];
	unsigned char pt[sizeof msg];
	keyring a, b;

	load_new_keyring(f->path, &a);
	load_new_keyring(f->path2, &b);
	seal_encrypt(&a, (const unsigned char *)msg, sizeof msg, "r", ct);
	assert_int_equal(seal_decrypt(&b, ct, sizeof ct, "r", pt), -1);
	keyring_wipe(&a);
	keyring_wipe(&b);
}

static void test_seal_short_input_fails(void **state)
{
	struct fixture *f = *state;
	unsigned char ct[SEAL_OVERHEAD] = {0};
	unsigned char pt[1];
	keyring kr;
	size_t len;

	load_new_keyring(f->path, &kr);
	for (len = 0; len < SEAL_OVERHEAD; len++)
		assert_int_equal(seal_decrypt(&kr, ct, len, NULL, pt), -1);
	assert_int_equal(seal_decrypt(&kr, NULL, 0, NULL, pt), -1);
	/* right length, but all zeros: not a valid tag */
	assert_int_equal(seal_decrypt(&kr, ct, sizeof ct, NULL, pt), -1);
	keyring_wipe(&kr);
}

/* ---- blind index and token hash ---------------------------------------- */

static void test_blind_index(void **state)
{
	struct fixture *f = *state;
	unsigned char x[BLIND_BYTES], y[BLIND_BYTES];
	keyring a, b;

	load_new_keyring(f->path, &a);
	load_new_keyring(f->path2, &b);

	blind_index(&a, "name", "rahimova", 8, x);
	blind_index(&a, "name", "rahimova", 8, y);
	assert_memory_equal(x, y, BLIND_BYTES);

	/* differs by domain */
	blind_index(&a, "phone", "rahimova", 8, y);
	assert_memory_not_equal(x, y, BLIND_BYTES);
	/* differs by key */
	blind_index(&b, "name", "rahimova", 8, y);
	assert_memory_not_equal(x, y, BLIND_BYTES);
	/* differs by search key, and only keylen bytes count */
	blind_index(&a, "name", "rahimov", 7, y);
	assert_memory_not_equal(x, y, BLIND_BYTES);
	blind_index(&a, "name", "rahimovaXYZ", 8, y);
	assert_memory_equal(x, y, BLIND_BYTES);
	/* the separator keeps domain and key apart */
	blind_index(&a, "ab", "c", 1, x);
	blind_index(&a, "a", "bc", 2, y);
	assert_memory_not_equal(x, y, BLIND_BYTES);

	keyring_wipe(&a);
	keyring_wipe(&b);
}

/* The blind index is HMAC-SHA-256(blind, domain || 0 || key), truncated:
 * pin the construction, since stored indexes depend on it. */
static void test_blind_index_construction(void **state)
{
	struct fixture *f = *state;
	unsigned char got[BLIND_BYTES];
	unsigned char full[crypto_auth_hmacsha256_BYTES];
	const unsigned char msg[] = "phone\0" "992901234567";
	crypto_auth_hmacsha256_state st;
	keyring kr;

	load_new_keyring(f->path, &kr);
	blind_index(&kr, "phone", "992901234567", 12, got);
	crypto_auth_hmacsha256_init(&st, kr.blind, KEY_BYTES);
	crypto_auth_hmacsha256_update(&st, msg, sizeof msg - 1);
	crypto_auth_hmacsha256_final(&st, full);
	assert_memory_equal(got, full, BLIND_BYTES);
	keyring_wipe(&kr);
}

static void test_token_hash(void **state)
{
	struct fixture *f = *state;
	unsigned char x[HASH_BYTES], y[HASH_BYTES];
	char tok[44];
	keyring a, b;

	load_new_keyring(f->path, &a);
	load_new_keyring(f->path2, &b);
	random_token(tok);
	token_hash(&a, tok, x);
	token_hash(&a, tok, y);
	assert_memory_equal(x, y, HASH_BYTES);
	token_hash(&b, tok, y);
	assert_memory_not_equal(x, y, HASH_BYTES);
	tok[0] = tok[0] == 'A' ? 'B' : 'A';
	token_hash(&a, tok, y);
	assert_memory_not_equal(x, y, HASH_BYTES);
	keyring_wipe(&a);
	keyring_wipe(&b);
}

/* ---- passwords --------------------------------------------------------- */

static char shared_hash[PASSWORD_HASH_MAX]; /* of "correct horse" */

static void test_password_hash_verify(void **state)
{
	char h2[PASSWORD_HASH_MAX];

	(void)state;
	assert_int_equal(password_hash("correct horse", shared_hash), 0);
	assert_non_null(strstr(shared_hash, "$argon2id$"));
	assert_non_null(strstr(shared_hash, "m=19456,t=2,"));
	assert_int_equal(password_verify(shared_hash, "correct horse"), 1);
	assert_int_equal(password_verify(shared_hash, "correct hors"), 0);
	assert_int_equal(password_verify(shared_hash, "Correct horse"), 0);
	assert_int_equal(password_verify(shared_hash, ""), 0);
	assert_int_equal(password_verify("", "correct horse"), 0);
	assert_int_equal(password_verify("garbage", "correct horse"), 0);
	assert_int_equal(password_verify(NULL, "x"), 0);
	/* salted: the same password hashes differently */
	assert_int_equal(password_hash("correct horse", h2), 0);
	assert_string_not_equal(shared_hash, h2);
}

static void test_password_dummy(void **state)
{
	const char *d = password_dummy_hash();
	char tok[44];

	(void)state;
	assert_non_null(d);
	assert_ptr_equal(d, password_dummy_hash());
	/* same cost as a real hash, so timing does not tell */
	assert_non_null(strstr(d, "$argon2id$v=19$m=19456,t=2,p=1$"));
	random_token(tok);
	assert_int_equal(password_verify(d, tok), 0);
	assert_int_equal(password_verify(d, ""), 0);
}

/* ---- password pool ----------------------------------------------------- */

struct gate {
	pthread_mutex_t m;
	pthread_cond_t c;
	int entered; /* the blocking job reached its callback */
	int open;    /* the blocking job may return */
	int done;    /* callbacks run */
	int calls[8];
};

static struct gate gate = {
	.m = PTHREAD_MUTEX_INITIALIZER,
	.c = PTHREAD_COND_INITIALIZER,
};

static void gate_reset(void)
{
	pthread_mutex_lock(&gate.m);
	gate.entered = gate.open = gate.done = 0;
	memset(gate.calls, 0, sizeof gate.calls);
	pthread_mutex_unlock(&gate.m);
}

/* arg is the job's index; no cmocka asserts here: not the test thread */
static void done_count(pw_job *job, void *arg)
{
	(void)job;
	pthread_mutex_lock(&gate.m);
	gate.calls[(intptr_t)arg]++;
	gate.done++;
	pthread_cond_broadcast(&gate.c);
	pthread_mutex_unlock(&gate.m);
}

/* Holds the only worker until the test opens the gate. */
static void done_block(pw_job *job, void *arg)
{
	(void)job;
	pthread_mutex_lock(&gate.m);
	gate.entered = 1;
	gate.calls[(intptr_t)arg]++;
	gate.done++;
	pthread_cond_broadcast(&gate.c);
	while (!gate.open)
		pthread_cond_wait(&gate.c, &gate.m);
	pthread_mutex_unlock(&gate.m);
}

static void gate_wait_entered(void)
{
	pthread_mutex_lock(&gate.m);
	while (!gate.entered)
		pthread_cond_wait(&gate.c, &gate.m);
	pthread_mutex_unlock(&gate.m);
}

static void gate_open(void)
{
	pthread_mutex_lock(&gate.m);
	gate.open = 1;
	pthread_cond_broadcast(&gate.c);
	pthread_mutex_unlock(&gate.m);
}

static void gate_wait_done(int n)
{
	pthread_mutex_lock(&gate.m);
	while (gate.done < n)
		pthread_cond_wait(&gate.c, &gate.m);
	pthread_mutex_unlock(&gate.m);
}

static void job_init(pw_job *j, const char *stored, const char *pw,
		     pw_done_fn done, intptr_t idx)
{
	memset(j, 0, sizeof *j);
	j->stored = stored;
	j->password = pw;
	j->ok = -1;
	j->done = done;
	j->arg = (void *)idx;
}

static void test_pool_bounded_queue(void **state)
{
	pw_job j[5];
	int i;

	(void)state;
	if (shared_hash[0] == '\0')
		assert_int_equal(password_hash("correct horse", shared_hash), 0);
	gate_reset();
	assert_int_equal(pw_pool_start(0, 2), -1);
	assert_int_equal(pw_pool_start(1, 0), -1);
	assert_int_equal(pw_pool_start(1, 2), 0);
	assert_int_equal(pw_pool_start(1, 2), -1); /* already running */

	job_init(&j[0], shared_hash, "correct horse", done_block, 0);
	job_init(&j[1], shared_hash, "correct horse", done_count, 1);
	job_init(&j[2], shared_hash, "wrong", done_count, 2);
	job_init(&j[3], shared_hash, "correct horse", done_count, 3);
	job_init(&j[4], shared_hash, "correct horse", done_count, 4);

	/* j0 occupies the only worker, j1 and j2 fill the queue ... */
	assert_int_equal(pw_pool_submit(&j[0]), 0);
	gate_wait_entered();
	assert_int_equal(pw_pool_submit(&j[1]), 0);
	assert_int_equal(pw_pool_submit(&j[2]), 0);
	/* ... so j3 and j4 are refused at once */
	assert_int_equal(pw_pool_submit(&j[3]), -1);
	assert_int_equal(pw_pool_submit(&j[4]), -1);

	gate_open();
	gate_wait_done(3);
	assert_int_equal(j[0].ok, 1);
	assert_int_equal(j[1].ok, 1);
	assert_int_equal(j[2].ok, 0);
	assert_int_equal(j[3].ok, -1);
	assert_int_equal(j[4].ok, -1);
	for (i = 0; i < 3; i++)
		assert_int_equal(gate.calls[i], 1);
	assert_int_equal(gate.calls[3] + gate.calls[4], 0);

	/* the queue has room again */
	assert_int_equal(pw_pool_submit(&j[3]), 0);
	gate_wait_done(4);
	assert_int_equal(j[3].ok, 1);

	pw_pool_stop();
	assert_int_equal(pw_pool_submit(&j[4]), -1); /* stopped */
	pw_pool_stop(); /* harmless twice */
}

/* Issue 10 #11: one client flooding the queue cannot keep another out.
 * The other's job takes the place of the flood's newest (answered busy)
 * and is served in turn, not after the whole flood. */
static int order[16], norder;

static void done_order(pw_job *job, void *arg)
{
	(void)job;
	pthread_mutex_lock(&gate.m);
	order[norder++] = (int)(intptr_t)arg;
	gate.calls[(intptr_t)arg]++;
	gate.done++;
	pthread_cond_broadcast(&gate.c);
	pthread_mutex_unlock(&gate.m);
}

static void test_pool_fair_share(void **state)
{
	pw_job j[8];
	int i, pos = -1;

	(void)state;
	if (shared_hash[0] == '\0')
		assert_int_equal(password_hash("correct horse", shared_hash), 0);
	gate_reset();
	norder = 0;
	assert_int_equal(pw_pool_start(1, 4), 0);
	job_init(&j[0], shared_hash, "x", done_block, 0);
	j[0].client = "flood";
	assert_int_equal(pw_pool_submit(&j[0]), 0);
	gate_wait_entered();
	for (i = 1; i <= 5; i++) {
		job_init(&j[i], shared_hash, "x", done_order, i);
		j[i].client = "flood";
	}
	for (i = 1; i <= 4; i++)
		assert_int_equal(pw_pool_submit(&j[i]), 0);
	assert_int_equal(pw_pool_submit(&j[5]), -1); /* the flood only pushes itself out */
	job_init(&j[6], shared_hash, "correct horse", done_order, 6);
	j[6].client = "real";
	assert_int_equal(pw_pool_submit(&j[6]), 0);
	/* the flood's newest made room, answered busy at once */
	gate_wait_done(2);
	assert_int_equal(j[4].busy, 1);
	assert_int_equal(gate.calls[4], 1);
	gate_open();
	gate_wait_done(6);
	assert_int_equal(j[6].ok, 1);
	assert_int_equal(j[6].busy, 0);
	for (i = 0; i < norder; i++)
		if (order[i] == 6)
			pos = i;
	/* order[0] is the evicted j4; the real one is served first or second */
	assert_true(pos >= 1 && pos <= 2);
	pw_pool_stop();
}

static void test_pool_many_threads(void **state)
{
	pw_job j[6];
	int i;

	(void)state;
	if (shared_hash[0] == '\0')
		assert_int_equal(password_hash("correct horse", shared_hash), 0);
	gate_reset();
	assert_int_equal(pw_pool_start(3, 8), 0);
	for (i = 0; i < 6; i++) {
		job_init(&j[i], shared_hash, i % 2 ? "nope" : "correct horse",
			 done_count, i);
		assert_int_equal(pw_pool_submit(&j[i]), 0);
	}
	gate_wait_done(6);
	for (i = 0; i < 6; i++) {
		assert_int_equal(j[i].ok, i % 2 ? 0 : 1);
		assert_int_equal(gate.calls[i], 1);
	}
	pw_pool_stop();
}

static void *stopper(void *unused)
{
	(void)unused;
	pw_pool_stop();
	return NULL;
}

/* Jobs still waiting at stop get their callback, with ok = 0 unless a
 * worker took them first. */
static void test_pool_stop_drains(void **state)
{
	struct timespec pause = {0, 100 * 1000 * 1000};
	pthread_t t;
	pw_job j[3];
	int i;

	(void)state;
	if (shared_hash[0] == '\0')
		assert_int_equal(password_hash("correct horse", shared_hash), 0);
	gate_reset();
	assert_int_equal(pw_pool_start(1, 4), 0);
	job_init(&j[0], shared_hash, "correct horse", done_block, 0);
	job_init(&j[1], shared_hash, "correct horse", done_count, 1);
	job_init(&j[2], shared_hash, "correct horse", done_count, 2);
	assert_int_equal(pw_pool_submit(&j[0]), 0);
	gate_wait_entered();
	assert_int_equal(pw_pool_submit(&j[1]), 0);
	assert_int_equal(pw_pool_submit(&j[2]), 0);

	assert_int_equal(pthread_create(&t, NULL, stopper, NULL), 0);
	nanosleep(&pause, NULL); /* let the stop begin; either order is valid */
	gate_open();
	assert_int_equal(pthread_join(t, NULL), 0);

	/* stop returned only after every job had its answer */
	assert_int_equal(gate.done, 3);
	assert_int_equal(j[0].ok, 1);
	for (i = 0; i < 3; i++)
		assert_int_equal(gate.calls[i], 1);
	for (i = 1; i < 3; i++)
		assert_true(j[i].ok == 0 || j[i].ok == 1);
	/* the pool can be started again */
	assert_int_equal(pw_pool_start(1, 1), 0);
	pw_pool_stop();
}

/* ---- TOTP -------------------------------------------------------------- */

static const unsigned char rfc_secret[] = "12345678901234567890";

static void test_totp_rfc6238(void **state)
{
	/* RFC 6238 appendix B, SHA-1: all 8 digits, and the 6 we use */
	static const struct {
		uint64_t t;
		const char *code8;
	} v[] = {
		{59ULL, "94287082"},
		{1111111109ULL, "07081804"},
		{1111111111ULL, "14050471"},
		{1234567890ULL, "89005924"},
		{2000000000ULL, "69279037"},
		{20000000000ULL, "65353130"},
	};
	char out[9];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof v / sizeof v[0]; i++) {
		assert_int_equal(totp_code(rfc_secret, 20, v[i].t / 30, 8, out), 0);
		assert_string_equal(out, v[i].code8);
		assert_int_equal(totp_code(rfc_secret, 20, v[i].t / 30, 6, out), 0);
		assert_string_equal(out, v[i].code8 + 2);
	}
	/* digits outside 6..8 are refused, with an empty code */
	assert_int_equal(totp_code(rfc_secret, 20, 1, 5, out), -1);
	assert_string_equal(out, "");
	assert_int_equal(totp_code(rfc_secret, 20, 1, 9, out), -1);
	assert_string_equal(out, "");
}

/* RFC 4226 appendix D: HOTP of the counters 0 to 9 (a TOTP code is the
 * HOTP of the time step). */
static void test_hotp_rfc4226(void **state)
{
	static const char *const want[] = {"755224", "287082", "359152", "969429", "338314",
					   "254676", "287922", "162583", "399871", "520489"};
	char out[7];
	uint64_t c;

	(void)state;
	for (c = 0; c < 10; c++) {
		assert_int_equal(totp_code(rfc_secret, 20, c, 6, out), 0);
		assert_string_equal(out, want[c]);
	}
}

static void code_str(uint64_t step, char out[7])
{
	assert_int_equal(totp_code(rfc_secret, 20, step, 6, out), 0);
}

static void test_totp_verify_window(void **state)
{
	const uint64_t now = 1111111111ULL; /* step 37037037 */
	const uint64_t s = now / 30;
	char c[7];
	int d;

	(void)state;
	for (d = -1; d <= 1; d++) {
		code_str(s + (uint64_t)(int64_t)d, c);
		assert_int_equal(totp_verify(rfc_secret, 20, c, now), 1);
	}
	code_str(s - 2, c);
	assert_int_equal(totp_verify(rfc_secret, 20, c, now), 0);
	code_str(s + 2, c);
	assert_int_equal(totp_verify(rfc_secret, 20, c, now), 0);

	/* RFC value at t = 1111111111 is 050471, leading zero kept */
	assert_int_equal(totp_verify(rfc_secret, 20, "050471", now), 1);
	assert_int_equal(totp_verify(rfc_secret, 20, "50471", now), 0);
	assert_int_equal(totp_verify(rfc_secret, 20, "0504710", now), 0);
	assert_int_equal(totp_verify(rfc_secret, 20, "05047a", now), 0);
	assert_int_equal(totp_verify(rfc_secret, 20, " 50471", now), 0);
	assert_int_equal(totp_verify(rfc_secret, 20, "", now), 0);
	assert_int_equal(totp_verify(rfc_secret, 20, NULL, now), 0);
	/* another secret does not accept it */
	assert_int_equal(totp_verify((const unsigned char *)"12345678901234567891",
				     20, "050471", now), 0);

	/* near the epoch there is no step -1 */
	code_str(0, c);
	assert_int_equal(totp_verify(rfc_secret, 20, c, 5), 1);
	code_str(1, c);
	assert_int_equal(totp_verify(rfc_secret, 20, c, 5), 1);
}

static void test_totp_verify_once(void **state)
{
	const uint64_t now = 1111111111ULL;
	const uint64_t s = now / 30;
	uint64_t matched = 0;
	char c[7];

	(void)state;
	code_str(s, c);
	assert_int_equal(totp_verify_once(rfc_secret, 20, c, now, 0, &matched), 1);
	assert_true(matched == s);
	/* replay of the same code is refused */
	assert_int_equal(totp_verify_once(rfc_secret, 20, c, now, matched, &matched), 0);
	/* an older code in the window after a newer one was used: refused */
	code_str(s - 1, c);
	assert_int_equal(totp_verify_once(rfc_secret, 20, c, now, s, &matched), 0);
	/* the next step is fine */
	code_str(s + 1, c);
	assert_int_equal(totp_verify_once(rfc_secret, 20, c, now, s, &matched), 1);
	assert_true(matched == s + 1);
}

/* ---- base32 ------------------------------------------------------------ */

static void test_base32_rfc4648(void **state)
{
	static const char *const plain[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
	static const char *const enc[] = {"", "MY", "MZXQ", "MZXW6", "MZXW6YQ",
					  "MZXW6YTB", "MZXW6YTBOI"};
	unsigned char buf[16];
	char out[32];
	size_t i;

	(void)state;
	for (i = 0; i < 7; i++) {
		size_t n = strlen(plain[i]);

		base32_encode((const unsigned char *)plain[i], n, out, sizeof out);
		assert_string_equal(out, enc[i]);
		assert_int_equal(base32_decode(enc[i], buf, sizeof buf), (int)n);
		assert_memory_equal(buf, plain[i], n);
	}
	/* forgiving input: lowercase, spaces, padding */
	assert_int_equal(base32_decode("mzxw 6ytb oi======", buf, sizeof buf), 6);
	assert_memory_equal(buf, "foobar", 6);
	assert_int_equal(base32_decode("MZXW6===", buf, sizeof buf), 3);
	assert_memory_equal(buf, "foo", 3);
}

static void test_base32_round_trip(void **state)
{
	unsigned char secret[TOTP_SECRET_BYTES], back[TOTP_SECRET_BYTES];
	char b32[TOTP_B32_LEN];
	int k;

	(void)state;
	for (k = 0; k < 50; k++) {
		totp_secret_new(secret);
		base32_encode(secret, sizeof secret, b32, sizeof b32);
		assert_int_equal(strlen(b32), TOTP_B32_LEN - 1);
		assert_int_equal(base32_decode(b32, back, sizeof back),
				 TOTP_SECRET_BYTES);
		assert_memory_equal(secret, back, sizeof secret);
	}
	/* the RFC 6238 secret in its usual base32 form */
	base32_encode(rfc_secret, 20, b32, sizeof b32);
	assert_string_equal(b32, "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
}

static void test_base32_rejects(void **state)
{
	unsigned char buf[16];
	char out[4];

	(void)state;
	assert_int_equal(base32_decode("MZXW1", buf, sizeof buf), -1); /* '1' */
	assert_int_equal(base32_decode("MZXW0", buf, sizeof buf), -1); /* '0' */
	assert_int_equal(base32_decode("MZXW8", buf, sizeof buf), -1);
	assert_int_equal(base32_decode("MZ!XW", buf, sizeof buf), -1);
	assert_int_equal(base32_decode("MZ-XW", buf, sizeof buf), -1);
	assert_int_equal(base32_decode("MZXW\n", buf, sizeof buf), -1);
	assert_int_equal(base32_decode("MZXW\xc3\x89", buf, sizeof buf), -1);
	/* overflow: "foobar" does not fit in 5 bytes */
	assert_int_equal(base32_decode("MZXW6YTBOI", buf, 5), -1);
	assert_int_equal(base32_decode("MZXW6YTBOI", buf, 6), 6);
	assert_int_equal(base32_decode("MY", buf, 0), -1);
	assert_int_equal(base32_decode("", buf, 0), 0);
	/* encode refuses a too small buffer with an empty string */
	base32_encode((const unsigned char *)"foo", 3, out, sizeof out);
	assert_string_equal(out, "");
}

/* ---- runner ------------------------------------------------------------ */

static int group_setup(void **state)
{
	(void)state;
	return crypto_init();
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, fixture_setup, fixture_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_key_create_mode_0600),
		T(test_key_create_refuses_existing),
		T(test_key_load_refuses_0644),
		T(test_key_load_refuses_wrong_size),
		T(test_key_load_missing),
		T(test_key_subkeys_distinct),
		T(test_key_derivation_pinned),
		cmocka_unit_test(test_random_token),
		T(test_seal_round_trip),
		T(test_seal_tamper_fails),
		T(test_seal_wrong_ad_fails),
		T(test_seal_wrong_key_fails),
		T(test_seal_short_input_fails),
		T(test_blind_index),
		T(test_blind_index_construction),
		T(test_token_hash),
		cmocka_unit_test(test_password_hash_verify),
		cmocka_unit_test(test_password_dummy),
		cmocka_unit_test(test_pool_bounded_queue),
		cmocka_unit_test(test_pool_fair_share),
		cmocka_unit_test(test_pool_many_threads),
		cmocka_unit_test(test_pool_stop_drains),
		cmocka_unit_test(test_totp_rfc6238),
		cmocka_unit_test(test_hotp_rfc4226),
		cmocka_unit_test(test_totp_verify_window),
		cmocka_unit_test(test_totp_verify_once),
		cmocka_unit_test(test_base32_rfc4648),
		cmocka_unit_test(test_base32_round_trip),
		cmocka_unit_test(test_base32_rejects),
	};

	return cmocka_run_group_tests(tests, group_setup, NULL);
}
