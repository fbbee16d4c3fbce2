/*
 * sha1.h - SHA-1 (RFC 3174) and HMAC-SHA1 (RFC 2104), private to the
 * crypto module.  They exist only because RFC 6238 authenticator apps
 * compute HMAC-SHA1 and libsodium has no SHA-1.  SHA-1 is broken for
 * collisions; HMAC-SHA1 as used by TOTP is not affected.  Use nothing here
 * for any other purpose: reach for libsodium instead.
 */
#ifndef HIMOYA_CRYPTO_SHA1_H
#define HIMOYA_CRYPTO_SHA1_H

#include <stddef.h>
#include <stdint.h>

#define SHA1_BYTES 20
#define SHA1_BLOCK_BYTES 64

typedef struct sha1_ctx {
	uint32_t h[5];                         /* chaining state */
	uint64_t total;                        /* bytes hashed so far */
	unsigned char block[SHA1_BLOCK_BYTES]; /* pending partial block */
	size_t used;                           /* bytes in block, < 64 */
} sha1_ctx;

void sha1_init(sha1_ctx *c);
void sha1_update(sha1_ctx *c, const void *data, size_t len);
/* Writes the digest and wipes the context. */
void sha1_final(sha1_ctx *c, unsigned char out[SHA1_BYTES]);
/* One-shot digest of data. */
void sha1(const void *data, size_t len, unsigned char out[SHA1_BYTES]);
/* HMAC-SHA1 of msg under key (any length; keys over 64 bytes are hashed
 * first, per RFC 2104). */
void hmac_sha1(const unsigned char *key, size_t keylen, const void *msg,
	       size_t len, unsigned char out[SHA1_BYTES]);

#endif
