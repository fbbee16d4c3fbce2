/*
 * key.c - the installation key behind crypto.h.  The master key is 32
 * random bytes in a file of mode 0600 that is created once (O_EXCL, so an
 * existing key is never overwritten) and refused on load when group or
 * others could read it.  The sub-keys for sealing, blind indexes, the
 * audit chain and tokens are derived from it with crypto_kdf; the master
 * key itself is wiped as soon as they exist.  Also here: library start-up
 * and the random helpers.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <malloc.h>
#include <stdlib.h>
#include <jansson.h>
#include <oath.h>
#include <sodium.h>

#include "crypto/crypto.h"

/*
 * The KDF context and the sub-key ids are part of the data format: every
 * sealed value and every blind index depends on them.  Never change them
 * for an existing installation.
 */
#define KDF_CONTEXT "himoya01"

enum subkey_id {
	SUBKEY_SEAL = 1,
	SUBKEY_BLIND = 2,
	SUBKEY_AUDIT = 3,
	SUBKEY_TOKEN = 4,
	SUBKEY_FORM = 5,
	SUBKEY_PPRL = 6,
};

_Static_assert(KEY_BYTES == crypto_kdf_KEYBYTES, "master key size");
_Static_assert(sizeof(KDF_CONTEXT) - 1 == crypto_kdf_CONTEXTBYTES,
	       "kdf context must be 8 characters");
_Static_assert(KEY_BYTES >= crypto_kdf_BYTES_MIN &&
	       KEY_BYTES <= crypto_kdf_BYTES_MAX, "sub-key size");

#define TOKEN_RAW_BYTES 32
_Static_assert(sodium_base64_ENCODED_LEN(TOKEN_RAW_BYTES,
	       sodium_base64_VARIANT_URLSAFE_NO_PADDING) == 44,
	       "random_token writes 43 chars + NUL");

/* jansson's memory holds opened records and request bodies (names,
 * phones, narratives): every block it frees is wiped first. */
static void *json_alloc(size_t n)
{
	return malloc(n);
}

static void json_free_wiped(void *p)
{
	if (p) {
		sodium_memzero(p, malloc_usable_size(p));
		free(p);
	}
}

int crypto_init(void)
{
	/* sodium_init: 0 initialised now, 1 already, -1 failure */
	if (sodium_init() < 0 || oath_init() != OATH_OK)
		return -1;
	json_set_alloc_funcs(json_alloc, json_free_wiped);
	return 0;
}

void random_bytes(void *buf, size_t n)
{
	randombytes_buf(buf, n);
}

void random_token(char out[44])
{
	unsigned char raw[TOKEN_RAW_BYTES];

	randombytes_buf(raw, sizeof raw);
	sodium_bin2base64(out, 44, raw, sizeof raw,
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof raw);
}

void keyring_wipe(keyring *kr)
{
	sodium_memzero(kr, sizeof *kr);
}

/* ---- file helpers ------------------------------------------------------ */

static int write_full(int fd, const unsigned char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Read up to n bytes; returns the count read (short only at end of file)
 * or -1 on error. */
static ssize_t read_full(int fd, unsigned char *p, size_t n)
{
	size_t got = 0;

	while (got < n) {
		ssize_t r = read(fd, p + got, n - got);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (r == 0)
			break;
		got += (size_t)r;
	}
	return (ssize_t)got;
}

/* Make the new directory entry durable: fsync the directory holding path.
 * Without it a crash right after `init` could lose the key file, and with
 * it every sealed value. */
static int fsync_parent_dir(const char *path)
{
	char dir[4096];
	const char *slash = strrchr(path, '/');
	int fd, rc, n;

	if (slash == NULL)
		n = snprintf(dir, sizeof dir, ".");
	else if (slash == path)
		n = snprintf(dir, sizeof dir, "/");
	else
		n = snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
	if (n < 0 || (size_t)n >= sizeof dir) {
		errno = ENAMETOOLONG;
		return -1;
	}
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	rc = fsync(fd);
	close(fd);
	return rc;
}

int key_file_create(const char *path)
{
	unsigned char key[KEY_BYTES];
	int fd, saved;

	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return -1;

	randombytes_buf(key, sizeof key);
	if (write_full(fd, key, sizeof key) != 0 || fsync(fd) != 0)
		goto fail;
	sodium_memzero(key, sizeof key);
	if (close(fd) != 0) {
		fd = -1;
		goto fail;
	}
	if (fsync_parent_dir(path) != 0) {
		fd = -1;
		goto fail;
	}
	return 0;

fail:
	saved = errno;
	sodium_memzero(key, sizeof key);
	if (fd >= 0)
		close(fd);
	unlink(path); /* we created it (O_EXCL): leave no half-written key */
	errno = saved;
	return -1;
}

__attribute__((format(printf, 3, 4)))
static void set_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

static int derive(unsigned char sub[KEY_BYTES], enum subkey_id id,
		  const unsigned char master[KEY_BYTES])
{
	return crypto_kdf_derive_from_key(sub, KEY_BYTES, (uint64_t)id,
					  KDF_CONTEXT, master);
}

int key_file_load(const char *path, keyring *kr, char *err, size_t errlen)
{
	unsigned char master[KEY_BYTES + 1]; /* +1 to notice a longer file */
	struct stat st;
	ssize_t got;
	int fd, rc = -1;

	sodium_memzero(kr, sizeof *kr);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		set_err(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	/* fstat on the open descriptor: the checks apply to what we read */
	if (fstat(fd, &st) != 0) {
		set_err(err, errlen, "%s: %s", path, strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		set_err(err, errlen, "%s: not a regular file", path);
		goto out;
	}
	if (st.st_mode & 077) {
		set_err(err, errlen,
			"%s: mode %03o lets group or others read the key; "
			"run chmod 600", path, (unsigned)(st.st_mode & 0777));
		goto out;
	}
	if (st.st_size != KEY_BYTES) {
		set_err(err, errlen, "%s: expected %d bytes, found %lld",
			path, KEY_BYTES, (long long)st.st_size);
		goto out;
	}
	got = read_full(fd, master, sizeof master);
	if (got < 0) {
		set_err(err, errlen, "%s: %s", path, strerror(errno));
		goto out;
	}
	if (got != KEY_BYTES) {
		set_err(err, errlen, "%s: expected %d bytes, read %zd",
			path, KEY_BYTES, got);
		goto out;
	}
	if (derive(kr->seal, SUBKEY_SEAL, master) != 0 ||
	    derive(kr->blind, SUBKEY_BLIND, master) != 0 ||
	    derive(kr->audit, SUBKEY_AUDIT, master) != 0 ||
	    derive(kr->token, SUBKEY_TOKEN, master) != 0 ||
	    derive(kr->form, SUBKEY_FORM, master) != 0 ||
	    derive(kr->pprl, SUBKEY_PPRL, master) != 0) {
		set_err(err, errlen, "%s: key derivation failed", path);
		goto out;
	}
	rc = 0;

out:
	sodium_memzero(master, sizeof master);
	if (rc != 0)
		keyring_wipe(kr);
	close(fd);
	return rc;
}
