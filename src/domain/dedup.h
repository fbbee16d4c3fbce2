/*
 * dedup.h - duplicates in one organisation's register, over the record
 * linkage of linkage.h (which this wraps and does not change).
 *
 * A person's opened record (coded and sealed members together, the JSON
 * of schema/person.c) becomes a link_person: given, family and
 * patronymic names, date of birth (or the year from the estimated age),
 * gender, region and district of origin, the address, and the first
 * phone and identity document as opaque tokens that the caller makes (a
 * keyed blind index: the domain never sees the key).
 *
 * The model that weighs a pair's comparisons is estimated by EM over the
 * organisation's candidate pairs (link_em) when there are enough of them
 * to learn from (DEDUP_EM_MIN); below that, and for the one-against-few
 * check at registration, dedup_model_prior() gives the starting values
 * linkage's EM uses (agreement likely among matches, disagreement among
 * non-matches) with a prior share of matches DEDUP_PRIOR_P.  A pair is a
 * candidate when its weight reaches the model's threshold (probability
 * 0.5).
 *
 * Pure: no I/O, no allocation.
 */
#ifndef HIMOYA_DEDUP_H
#define HIMOYA_DEDUP_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/linkage.h"

#define DEDUP_EM_MIN 500     /* candidate pairs needed to estimate the model */
#define DEDUP_PRIOR_P 0.01   /* prior share of matches among candidate pairs */

/* Fill p from rec (strings point into rec); tokens may be NULL.
 * year_now turns an estimated age into a birth year. */
void dedup_link_person(json_t *rec, int year_now, const unsigned char *phone_token,
		       const unsigned char *document_token, struct link_person *p);

/* The model without data. */
void dedup_model_prior(struct link_model *m);

/* One comparison of a pair, as the review screen shows it: the person
 * field (schema/person.c name, or "locality" for district and
 * postcode), the level ("equal", "close", "similar", "typo", "year",
 * "partial", "different") and its weight in bits (log2 m/u). */
struct dedup_reason {
	const char *field;
	const char *level;
	double weight;
};

/* The reasons of a pair's levels, present fields only, strongest
 * (largest absolute weight) first; returns how many (<= LINK_FIELDS). */
size_t dedup_reasons(const struct link_model *m, const uint8_t levels[LINK_FIELDS],
		     struct dedup_reason out[LINK_FIELDS]);

#endif
