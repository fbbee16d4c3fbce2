/*
 * seal.c - sealing of PII at rest, keyed blind indexes and token hashes.
 * A sealed value is nonce (24 random bytes) || XChaCha20-Poly1305-IETF
 * ciphertext and tag; the record id goes in as associated data so that a
 * sealed value copied onto another record does not open.  Random 192-bit
 * nonces are safe to draw without a counter for any number of values.
 * Blind indexes are HMAC-SHA-256 under their own sub-key, with a domain
 * prefix so that a name and a phone number never share an index value.
 */
#include <string.h>

#include <sodium.h>

#include "crypto/crypto.h"

#define NONCE_BYTES crypto_aead_xchacha20poly1305_ietf_NPUBBYTES

_Static_assert(KEY_BYTES == crypto_aead_xchacha20poly1305_ietf_KEYBYTES,
	       "seal key size");
_Static_assert(SEAL_OVERHEAD == crypto_aead_xchacha20poly1305_ietf_NPUBBYTES +
	       crypto_aead_xchacha20poly1305_ietf_ABYTES, "seal overhead");
_Static_assert(KEY_BYTES == crypto_auth_hmacsha256_KEYBYTES, "hmac key size");
_Static_assert(BLIND_BYTES <= crypto_auth_hmacsha256_BYTES, "blind size");
_Static_assert(HASH_BYTES >= crypto_generichash_BYTES_MIN &&
	       HASH_BYTES <= crypto_generichash_BYTES_MAX, "hash size");
_Static_assert(KEY_BYTES >= crypto_generichash_KEYBYTES_MIN &&
	       KEY_BYTES <= crypto_generichash_KEYBYTES_MAX, "token key size");

static size_t ad_len(const char *ad)
{
	return ad == NULL ? 0 : strlen(ad);
}

void seal_encrypt(const keyring *kr, const unsigned char *pt, size_t len,
		  const char *ad, unsigned char *out)
{
	unsigned long long clen;

	randombytes_buf(out, NONCE_BYTES);
	crypto_aead_xchacha20poly1305_ietf_encrypt(
		out + NONCE_BYTES, &clen, pt, len,
		(const unsigned char *)ad, ad_len(ad), NULL, out, kr->seal);
}

int seal_decrypt(const keyring *kr, const unsigned char *ct, size_t len,
		 const char *ad, unsigned char *out)
{
	unsigned long long mlen;

	if (ct == NULL || len < SEAL_OVERHEAD)
		return -1;
	/* on failure libsodium leaves no unauthenticated plaintext in out */
	if (crypto_aead_xchacha20poly1305_ietf_decrypt(
		    out, &mlen, NULL, ct + NONCE_BYTES, len - NONCE_BYTES,
		    (const unsigned char *)ad, ad_len(ad), ct, kr->seal) != 0)
		return -1;
	return 0;
}

void blind_index(const keyring *kr, const char *domain, const char *key,
		 size_t keylen, unsigned char out[BLIND_BYTES])
{
	crypto_auth_hmacsha256_state st;
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	const unsigned char zero = 0;

	crypto_auth_hmacsha256_init(&st, kr->blind, KEY_BYTES);
	/* domain is a C string, so domain || 0 || key is unambiguous */
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)domain,
				      strlen(domain));
	crypto_auth_hmacsha256_update(&st, &zero, 1);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)key, keylen);
	crypto_auth_hmacsha256_final(&st, mac);
	memcpy(out, mac, BLIND_BYTES);
	sodium_memzero(mac, sizeof mac);
	sodium_memzero(&st, sizeof st);
}

void token_hash(const keyring *kr, const char *token, unsigned char out[HASH_BYTES])
{
	crypto_generichash(out, HASH_BYTES, (const unsigned char *)token,
			   strlen(token), kr->token, KEY_BYTES);
}
