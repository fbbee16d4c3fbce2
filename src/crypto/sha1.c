/*
 * sha1.c - SHA-1 and HMAC-SHA1 behind sha1.h, written for TOTP only.  A
 * straightforward reading of RFC 3174: 512-bit blocks, an 80-word message
 * schedule, four rounds of twenty steps, big-endian length padding.  No
 * speed tricks: a TOTP check hashes a few dozen bytes.  Every buffer that
 * held key material or message words is wiped before it goes out of scope.
 */
#include <string.h>

#include <sodium.h>

#include "crypto/sha1.h"

static uint32_t rol32(uint32_t x, unsigned n)
{
	return (x << n) | (x >> (32 - n));
}

static uint32_t load_be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static void store_be32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

/* Process one 64-byte block into the chaining state (RFC 3174 6.1). */
static void sha1_block(uint32_t h[5], const unsigned char *p)
{
	uint32_t w[80];
	uint32_t a, b, c, d, e, f, k, t;
	int i;

	for (i = 0; i < 16; i++)
		w[i] = load_be32(p + 4 * i);
	for (i = 16; i < 80; i++)
		w[i] = rol32(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);

	a = h[0];
	b = h[1];
	c = h[2];
	d = h[3];
	e = h[4];
	for (i = 0; i < 80; i++) {
		if (i < 20) {
			f = (b & c) | (~b & d);
			k = 0x5A827999u;
		} else if (i < 40) {
			f = b ^ c ^ d;
			k = 0x6ED9EBA1u;
		} else if (i < 60) {
			f = (b & c) | (b & d) | (c & d);
			k = 0x8F1BBCDCu;
		} else {
			f = b ^ c ^ d;
			k = 0xCA62C1D6u;
		}
		t = rol32(a, 5) + f + e + k + w[i];
		e = d;
		d = c;
		c = rol32(b, 30);
		b = a;
		a = t;
	}
	h[0] += a;
	h[1] += b;
	h[2] += c;
	h[3] += d;
	h[4] += e;
	sodium_memzero(w, sizeof w);
}

void sha1_init(sha1_ctx *c)
{
	c->h[0] = 0x67452301u;
	c->h[1] = 0xEFCDAB89u;
	c->h[2] = 0x98BADCFEu;
	c->h[3] = 0x10325476u;
	c->h[4] = 0xC3D2E1F0u;
	c->total = 0;
	c->used = 0;
}

void sha1_update(sha1_ctx *c, const void *data, size_t len)
{
	const unsigned char *p = data;

	if (len == 0)
		return; /* data may be NULL then */
	c->total += len;
	if (c->used > 0) {
		size_t take = SHA1_BLOCK_BYTES - c->used;
		if (take > len)
			take = len;
		memcpy(c->block + c->used, p, take);
		c->used += take;
		p += take;
		len -= take;
		if (c->used < SHA1_BLOCK_BYTES)
			return;
		sha1_block(c->h, c->block);
		c->used = 0;
	}
	while (len >= SHA1_BLOCK_BYTES) {
		sha1_block(c->h, p);
		p += SHA1_BLOCK_BYTES;
		len -= SHA1_BLOCK_BYTES;
	}
	if (len > 0) {
		memcpy(c->block, p, len);
		c->used = len;
	}
}

void sha1_final(sha1_ctx *c, unsigned char out[SHA1_BYTES])
{
	uint64_t bits = c->total * 8;
	int i;

	/* pad: one 1 bit, zeros up to 56 mod 64, then the 64-bit length */
	c->block[c->used++] = 0x80;
	if (c->used > SHA1_BLOCK_BYTES - 8) {
		memset(c->block + c->used, 0, SHA1_BLOCK_BYTES - c->used);
		sha1_block(c->h, c->block);
		c->used = 0;
	}
	memset(c->block + c->used, 0, SHA1_BLOCK_BYTES - 8 - c->used);
	store_be32(c->block + 56, (uint32_t)(bits >> 32));
	store_be32(c->block + 60, (uint32_t)bits);
	sha1_block(c->h, c->block);

	for (i = 0; i < 5; i++)
		store_be32(out + 4 * i, c->h[i]);
	sodium_memzero(c, sizeof *c);
}

void sha1(const void *data, size_t len, unsigned char out[SHA1_BYTES])
{
	sha1_ctx c;

	sha1_init(&c);
	sha1_update(&c, data, len);
	sha1_final(&c, out);
}

void hmac_sha1(const unsigned char *key, size_t keylen, const void *msg,
	       size_t len, unsigned char out[SHA1_BYTES])
{
	unsigned char k0[SHA1_BLOCK_BYTES] = {0};
	unsigned char pad[SHA1_BLOCK_BYTES];
	unsigned char inner[SHA1_BYTES];
	sha1_ctx c;
	size_t i;

	if (keylen > SHA1_BLOCK_BYTES)
		sha1(key, keylen, k0);
	else if (keylen > 0)
		memcpy(k0, key, keylen);

	/* inner = H((K0 ^ ipad) || msg) */
	for (i = 0; i < SHA1_BLOCK_BYTES; i++)
		pad[i] = k0[i] ^ 0x36;
	sha1_init(&c);
	sha1_update(&c, pad, sizeof pad);
	sha1_update(&c, msg, len);
	sha1_final(&c, inner);

	/* out = H((K0 ^ opad) || inner) */
	for (i = 0; i < SHA1_BLOCK_BYTES; i++)
		pad[i] = k0[i] ^ 0x5c;
	sha1_init(&c);
	sha1_update(&c, pad, sizeof pad);
	sha1_update(&c, inner, sizeof inner);
	sha1_final(&c, out);

	sodium_memzero(k0, sizeof k0);
	sodium_memzero(pad, sizeof pad);
	sodium_memzero(inner, sizeof inner);
}
