/*
 * cellkey.h - the cell-key method (ABS, Eurostat) for counts published
 * across organisations, so that no pair of answers recovers a small
 * count.
 *
 * Every record (a case, a contact, a referral, a training participant,
 * ...) has a fixed random record key, a 32-bit number: a keyed hash
 * (SipHash-2-4) of its id under a key derived from the installation's
 * key, so that nobody without the key can compute it and it needs no
 * column of its own.  The cell key of a count is the sum of the record
 * keys of the records counted, modulo 2^32 (the "sum mod 1" of the
 * method, in 32-bit fixed point): the same set of records, whichever
 * question counted it, has the same cell key.
 *
 * The published value comes from a fixed perturbation table looked up by
 * (n mod k, the top 8 bits of the cell key): the count goes down to the
 * multiple of k below it or up to the one above it, up with probability
 * (n mod k) / k (rounded to 1/256), so that on average the published
 * value is the count.  Hence:
 *   - a count is published as 0 or a multiple of k, and differs from the
 *     true count by less than k;
 *   - zero stays zero (an empty cell has no record to protect), a count
 *     that is a multiple of k is published exactly;
 *   - a count 1..k-1 is published as 0 or k, never as itself;
 *   - the same question always gets the same answer;
 *   - the difference or the sum of any two published values is 0 or a
 *     multiple of k, so no pair of answers, however related, gives a
 *     count 1..k-1: the guarantee holds by construction, not by chance.
 *     (A table with small offsets, as statistical offices publish with
 *     k = 3 or 5, gives the exact difference whenever two related cells
 *     happen to draw the same offset.)
 * Published values are not additive: a total is perturbed from its own
 * cell key, not summed from its perturbed cells.
 *
 * Pure: no HTTP, no SQL; libsodium for the keyed hash.
 */
#ifndef HIMOYA_CELLKEY_H
#define HIMOYA_CELLKEY_H

#include <stddef.h>
#include <stdint.h>

#include "domain/suppress.h"

#define CELLKEY_KEYBYTES 16
#define CELLKEY_BUCKETS 256  /* columns of the perturbation table */

/* The record-key key, derived from a secret of the installation (the
 * caller passes a sub-key of the master key, 32 bytes). */
void cellkey_derive(const unsigned char parent[32], unsigned char key[CELLKEY_KEYBYTES]);

/* The record key of the record with this id (NUL-terminated). */
uint32_t cellkey_record(const unsigned char key[CELLKEY_KEYBYTES], const char *id);

/* The offset the perturbation table gives a count n >= 0 with this cell
 * key (n + offset is published); k >= 2. */
long long cellkey_offset(long long n, uint32_t cell_key, long long k);

/* The published value of a count n >= 0 with this cell key; k >= 2. */
long long cellkey_publish(long long n, uint32_t cell_key, long long k);

/* Every margin entry of the cube's keys (c->size of them, the cells
 * filled) as the sum of the cell keys below it, as suppress_fill_margins
 * does for counts.  Exact for dimensions whose values do not overlap. */
void cellkey_fill_margins(const struct supp_cube *c, uint32_t *key);

/* Replace every count of the cube (cells and margins) by its published
 * value from key[] and clear every suppression mark. */
void cellkey_apply(struct supp_cube *c, const uint32_t *key, long long k);

#endif
