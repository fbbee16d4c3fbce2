/*
 * cellkey.c - record keys, cell keys and the perturbation table of the
 * cell-key method; see cellkey.h for what it promises and why the table
 * rounds to multiples of k.
 */
#include <assert.h>
#include <string.h>

#include <sodium.h>

#include "domain/cellkey.h"

_Static_assert(CELLKEY_KEYBYTES == crypto_shorthash_KEYBYTES, "SipHash key size");

void cellkey_derive(const unsigned char parent[32], unsigned char key[CELLKEY_KEYBYTES])
{
	static const char ctx[] = "himoya/report-cell-key/v1";

	crypto_generichash(key, CELLKEY_KEYBYTES, (const unsigned char *)ctx, sizeof ctx - 1,
			   parent, 32);
}

uint32_t cellkey_record(const unsigned char key[CELLKEY_KEYBYTES], const char *id)
{
	unsigned char h[crypto_shorthash_BYTES];

	crypto_shorthash(h, (const unsigned char *)id, strlen(id), key);
	return (uint32_t)h[0] | (uint32_t)h[1] << 8 | (uint32_t)h[2] << 16 | (uint32_t)h[3] << 24;
}

/*
 * The perturbation table: row r = n mod k, column b = the top 8 bits of
 * the cell key.  The first round(256 r / k) columns of row r go up to the
 * next multiple of k (offset k - r), the others down (offset -r); row 0
 * is all zeros.  It is a function of (r, b, k) alone, so it is computed
 * rather than stored: k comes from the configuration.
 */
long long cellkey_offset(long long n, uint32_t cell_key, long long k)
{
	long long r, up;
	unsigned b = cell_key >> 24;

	assert(k >= 2 && n >= 0);
	r = n % k;
	up = (r * CELLKEY_BUCKETS * 2 + k) / (2 * k);
	return (long long)b < up ? k - r : -r;
}

long long cellkey_publish(long long n, uint32_t cell_key, long long k)
{
	return n + cellkey_offset(n, cell_key, k);
}

void cellkey_fill_margins(const struct supp_cube *c, uint32_t *key)
{
	size_t j, idx, t;

	/* As suppress_fill_margins: after step j, a margin entry of j holds
	 * the sum along j of what the steps before it summed. */
	for (j = 0; j < c->ndim; j++) {
		size_t st = c->stride[j], L = c->len[j];
		for (idx = 0; idx < c->size; idx++) {
			uint32_t sum = 0;
			if (suppress_coord(c, idx, j) != L)
				continue;
			for (t = 0; t < L; t++)
				sum += key[idx - (L - t) * st];
			key[idx] = sum;
		}
	}
}

void cellkey_apply(struct supp_cube *c, const uint32_t *key, long long k)
{
	size_t idx;

	for (idx = 0; idx < c->size; idx++) {
		c->count[idx] = cellkey_publish(c->count[idx], key[idx], k);
		c->supp[idx] = 0;
	}
}
