/*
 * pprl.c - hardened Bloom-filter encodings (CLK) and their Dice
 * similarity; see pprl.h.
 */
#include <assert.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sodium.h>

#include "domain/namekey.h"
#include "domain/pprl.h"

static void hmac_label(unsigned char out[32], const unsigned char *secret, size_t len,
		       const char *label)
{
	crypto_auth_hmacsha256_state st;
	crypto_auth_hmacsha256_init(&st, secret, len);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)label, strlen(label));
	crypto_auth_hmacsha256_final(&st, out);
	sodium_memzero(&st, sizeof st);
}

int pprl_key_derive(struct pprl_key *key, const unsigned char *secret, size_t len)
{
	unsigned char seed[32];
	unsigned i;

	if (len < PPRL_SECRET_MIN)
		return -1;
	hmac_label(key->hash, secret, len, "himoya pprl v1 hash");
	crypto_auth_hmacsha256_init(&key->keyed, key->hash, sizeof key->hash);
	hmac_label(seed, secret, len, "himoya pprl v1 permutation");
	for (i = 0; i < 2 * PPRL_BITS; i++)
		key->perm[i] = (unsigned short)i;
	/* Fisher-Yates with a keyed stream (ChaCha20 of the seed). */
	{
		uint32_t rnd[2 * PPRL_BITS];
		static const unsigned char nonce[crypto_stream_chacha20_NONCEBYTES];
		crypto_stream_chacha20((unsigned char *)rnd, sizeof rnd, nonce, seed);
		for (i = 2 * PPRL_BITS - 1; i > 0; i--) {
			/* 32 random bits modulo at most 2048: bias below 2^-20 */
			unsigned j = rnd[i] % (i + 1);
			unsigned short t = key->perm[i];
			key->perm[i] = key->perm[j];
			key->perm[j] = t;
		}
		sodium_memzero(rnd, sizeof rnd);
	}
	sodium_memzero(seed, sizeof seed);
	return 0;
}

void pprl_key_wipe(struct pprl_key *key)
{
	sodium_memzero(key, sizeof *key);
}

/* Set k bits for one token of the field tagged `tag`. */
static void add_token(const struct pprl_key *key, unsigned char bits[PPRL_BITS / 8], char tag,
		      const char *tok, size_t len, unsigned k)
{
	unsigned char mac[32];
	unsigned round = 0, i = 0;

	while (i < k) {
		crypto_auth_hmacsha256_state st = key->keyed;
		unsigned char head[2] = {(unsigned char)tag, (unsigned char)round++};
		unsigned j;
		crypto_auth_hmacsha256_update(&st, head, sizeof head);
		crypto_auth_hmacsha256_update(&st, (const unsigned char *)tok, len);
		crypto_auth_hmacsha256_final(&st, mac);
		sodium_memzero(&st, sizeof st);
		for (j = 0; j + 1 < sizeof mac && i < k; j += 2, i++) {
			unsigned pos = ((unsigned)mac[j] << 8 | mac[j + 1]) % PPRL_BITS;
			bits[pos / 8] |= (unsigned char)(1u << (pos % 8));
		}
	}
	sodium_memzero(mac, sizeof mac);
}

/* Bigrams of text padded with '_' at both ends; k bits each. */
static void add_bigrams(const struct pprl_key *key, unsigned char bits[PPRL_BITS / 8], char tag,
			const char *text, unsigned k)
{
	char padded[80];
	size_t n, i;

	if (!text || !text[0])
		return;
	n = (size_t)snprintf(padded, sizeof padded, "_%s_", text);
	if (n >= sizeof padded)
		n = sizeof padded - 1;
	for (i = 0; i + 1 < n; i++)
		add_token(key, bits, tag, padded + i, 2, k);
}

static void add_whole(const struct pprl_key *key, unsigned char bits[PPRL_BITS / 8], char tag,
		      const char *text, unsigned k)
{
	if (text && text[0])
		add_token(key, bits, tag, text, strlen(text), k);
}

/* Digits only (phone, document). */
static void digits_of(const char *s, char *out, size_t cap)
{
	size_t n = 0;
	for (; s && *s && n + 1 < cap; s++) {
		unsigned char c = (unsigned char)*s;
		if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z'))
			out[n++] = (char)c;
		else if (c >= 'A' && c <= 'Z')
			out[n++] = (char)(c - 'A' + 'a');
	}
	out[n] = '\0';
}

void pprl_encode(const struct pprl_key *key, const struct link_person *p, const char *phone,
		 const char *document, unsigned char out[PPRL_BYTES])
{
	unsigned char bits[PPRL_BITS / 8];
	struct link_record r;
	char buf[64];
	unsigned i;

	memset(bits, 0, sizeof bits);
	link_record_make(&r, p);
	add_bigrams(key, bits, 'g', r.given, 14);
	add_bigrams(key, bits, 'f', r.family, 14);
	add_bigrams(key, bits, 'p', r.patronymic, 8);
	if (r.year && r.month && r.day) {
		unsigned lo = r.month < r.day ? r.month : r.day, hi = r.month < r.day ? r.day : r.month;
		snprintf(buf, sizeof buf, "%04u%02u%02u", r.year % 10000, lo % 100, hi % 100);
		add_bigrams(key, bits, 'd', buf, 10);
	}
	if (r.year || r.year_estimate) {
		snprintf(buf, sizeof buf, "%u", r.year ? r.year : r.year_estimate);
		add_whole(key, bits, 'y', buf, 10);
	}
	if (r.sex) {
		snprintf(buf, sizeof buf, "%u", r.sex);
		add_whole(key, bits, 's', buf, 6);
	}
	add_bigrams(key, bits, 'a', r.address, 5);
	add_bigrams(key, bits, 'c', r.district, 6);
	add_bigrams(key, bits, 'z', r.postcode, 7);
	add_whole(key, bits, 'n', r.street, 8);
	add_whole(key, bits, 'r', r.region, 6);
	digits_of(phone, buf, sizeof buf);
	add_bigrams(key, bits, 't', buf, 6);
	digits_of(document, buf, sizeof buf);
	add_bigrams(key, bits, 'i', buf, 8);

	/* Balance (bit i and, at PPRL_BITS + i, its complement), permute. */
	memset(out, 0, PPRL_BYTES);
	for (i = 0; i < 2 * PPRL_BITS; i++) {
		unsigned src = key->perm[i], bit;
		bit = src < PPRL_BITS ? (bits[src / 8] >> (src % 8)) & 1
				      : !((bits[(src - PPRL_BITS) / 8] >> ((src - PPRL_BITS) % 8)) & 1);
		out[i / 8] |= (unsigned char)(bit << (i % 8));
	}
	sodium_memzero(bits, sizeof bits);
	sodium_memzero(&r, sizeof r);
	sodium_memzero(buf, sizeof buf);
}

/* The popcount instruction where the processor has it (x86-64 only
 * since 2008): several times faster than the portable bit trick. */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define PPRL_CLONES __attribute__((target_clones("popcnt", "default")))
#else
#define PPRL_CLONES
#endif

PPRL_CLONES unsigned pprl_common(const unsigned char a[PPRL_BYTES], const unsigned char b[PPRL_BYTES])
{
	unsigned both = 0, i;
	for (i = 0; i < PPRL_BYTES; i += 8) {
		uint64_t x, y;
		memcpy(&x, a + i, 8);
		memcpy(&y, b + i, 8);
		both += (unsigned)__builtin_popcountll(x & y);
	}
	return both;
}

unsigned pprl_ones(const unsigned char a[PPRL_BYTES])
{
	return pprl_common(a, a);
}

double pprl_dice(const unsigned char a[PPRL_BYTES], const unsigned char b[PPRL_BYTES])
{
	unsigned na = pprl_ones(a), nb = pprl_ones(b);
	return na + nb ? 2.0 * pprl_common(a, b) / (na + nb) : 0.0;
}

double pprl_threshold(const unsigned char *a, size_t na, const unsigned char *b, size_t nb)
{
	double sum = 0, sq = 0, mu, sd, z, n = 0;
	uint64_t s = 0x70726c6cull;
	size_t t;

	assert(na > 0 && nb > 0);
	for (t = 0; t < 20000; t++) {
		size_t i, j;
		double d;
		s = s * 6364136223846793005ull + 1442695040888963407ull;
		i = (size_t)(s >> 33) % na;
		s = s * 6364136223846793005ull + 1442695040888963407ull;
		j = (size_t)(s >> 33) % nb;
		d = pprl_dice(a + i * PPRL_BYTES, b + j * PPRL_BYTES);
		sum += d;
		sq += d * d;
		n++;
	}
	mu = sum / n;
	sd = sqrt(fmax(sq / n - mu * mu, 0));
	z = sqrt(2 * log((double)na * (double)nb + 2));
	return fmin(fmax(mu + z * sd, 0.5), 0.99);
}
