/*
 * pprl.h - privacy-preserving record linkage: one hardened Bloom-filter
 * encoding (a cryptographic long-term key, CLK, after Schnell et al. 2011)
 * per person, keyed by a secret the agencies share, compared by Dice
 * similarity.  Agencies exchange encodings, never names.
 *
 * Encoding: each field gives tokens (bigrams of the cross-script name keys
 * of namekey.h, so Ҷумъаев and Dzhumaev share them; bigrams of the birth
 * date written year then day and month in ascending order, so a swap of
 * day and month changes nothing, plus the year; bigrams of the address
 * parts, postcode, phone and document; sex and region whole).  Each token
 * sets k bits of a PPRL_BITS-bit filter, k per field; the positions come
 * from HMAC-SHA-256(hash key, field tag || token) read as 10-bit numbers
 * (random hashing: no double-hashing pattern to exploit).
 *
 * Hardening against frequency attacks: the filter is balanced (its
 * complement appended, so every encoding has exactly PPRL_BITS ones out of
 * 2 * PPRL_BITS, whatever the name's length or frequency) and the 2 *
 * PPRL_BITS positions are permuted by a permutation drawn from the secret.
 * Without the secret an attacker can neither compute the encoding of a
 * guessed name nor tell which bit came from which bigram.
 *
 * The keys are derived from the secret by HMAC-SHA-256 with distinct
 * labels; wipe them with pprl_key_wipe().  No global state.
 */
#ifndef HIMOYA_PPRL_H
#define HIMOYA_PPRL_H

#include <stddef.h>

#include <sodium.h>

#include "domain/linkage.h"

#define PPRL_BITS 1024                 /* filter before balancing */
#define PPRL_BYTES (2 * PPRL_BITS / 8) /* an encoding, balanced */
#define PPRL_SECRET_MIN 16             /* bytes of shared secret, at least */

struct pprl_key {
	unsigned char hash[32];
	crypto_auth_hmacsha256_state keyed; /* HMAC of hash, keyed once: copied per token */
	unsigned short perm[2 * PPRL_BITS]; /* position i of the output takes bit perm[i] */
};

/* Derive the keys from the shared secret; -1 when it is shorter than
 * PPRL_SECRET_MIN bytes. */
int pprl_key_derive(struct pprl_key *key, const unsigned char *secret, size_t len);
void pprl_key_wipe(struct pprl_key *key);

/* The encoding of one person (fields as for linkage; the tokens of phone
 * and document are not used: pass their normalised text below). */
void pprl_encode(const struct pprl_key *key, const struct link_person *p, const char *phone,
		 const char *document, unsigned char out[PPRL_BYTES]);

/* Dice similarity 2|a & b| / (|a| + |b|) of two encodings, in [0, 1]. */
double pprl_dice(const unsigned char a[PPRL_BYTES], const unsigned char b[PPRL_BYTES]);
/* Its parts, for comparing one encoding with many: the ones of a, and the
 * ones of a & b (Dice = 2 common / (ones a + ones b)). */
unsigned pprl_ones(const unsigned char a[PPRL_BYTES]);
unsigned pprl_common(const unsigned char a[PPRL_BYTES], const unsigned char b[PPRL_BYTES]);

/* The Dice threshold read from the data, as `himoya pprl link` and the
 * server's network matching use it: the similarities of random pairs of
 * a (na encodings) and b (nb; both > 0) are nearly all non-matches, with
 * mean mu and deviation sd; over na * nb pairs a normal tail exceeds
 * mu + z sd with z = sqrt(2 ln(na nb + 2)) about once, so a pair above
 * that is not explained by chance.  Kept within [0.5, 0.99].  20,000
 * pairs drawn by a fixed generator: the same lists give the same value. */
double pprl_threshold(const unsigned char *a, size_t na, const unsigned char *b, size_t nb);

#endif
