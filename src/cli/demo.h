/*
 * demo.h - what the files of `himoya demo` share: a small deterministic
 * random number generator (splitmix64), and the synthetic names, phones,
 * documents and places of demo_names.c.
 *
 * Everything a demo person is made of comes from a generator seeded with
 * (--seed, the person's number), so that one seed gives the same persons
 * whatever the batch size or the thread that made them.  Nothing here is
 * secret or random in the cryptographic sense: record ids and the nonces
 * of sealed values still come from libsodium.
 */
#ifndef HIMOYA_CLI_DEMO_H
#define HIMOYA_CLI_DEMO_H

#include <stddef.h>
#include <stdint.h>

struct demo_rng {
	uint64_t s;
};

/* splitmix64 (Steele, Lea, Flood 2014): one add, three xor-shift-multiplies. */
static inline uint64_t demo_rng_next(struct demo_rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15u);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

/* A generator for stream `n` of a seed: the streams do not overlap in
 * practice (the states differ by a mixed, not a consecutive, value). */
static inline void demo_rng_init(struct demo_rng *r, uint64_t seed, uint64_t n)
{
	struct demo_rng m = {seed ^ (n * 0xd1b54a32d192ed03u)};
	r->s = demo_rng_next(&m);
}

/* Uniform in [0, n) for n > 0 (the bias of the modulo is below 2^-40
 * for the small n used here). */
static inline unsigned demo_rng_below(struct demo_rng *r, unsigned n)
{
	return (unsigned)(demo_rng_next(r) % n);
}

/* 1 with probability pct / 100. */
static inline int demo_rng_pct(struct demo_rng *r, unsigned pct)
{
	return demo_rng_below(r, 100) < pct;
}

/* An index into weights[0..n) drawn in proportion to the weights. */
unsigned demo_rng_weighted(struct demo_rng *r, const unsigned *weights, size_t n);

/* ---- names (demo_names.c) ------------------------------------------------ */

/* How a person's names are written, as they arrive in real records. */
enum demo_script {
	SCRIPT_TAJIK,   /* Tajik Cyrillic: Ҷумъаев */
	SCRIPT_RUSSIAN, /* Russian Cyrillic with stand-ins: Джумаев */
	SCRIPT_LEGACY,  /* Tajik with legacy-font letters: Љумъаев */
	SCRIPT_LATIN,   /* one of several transliterations: Jumaev, Dzhumaev, Djumaev */
};

#define DEMO_NAME_MAX 160

struct demo_names {
	char given[DEMO_NAME_MAX];
	char family[DEMO_NAME_MAX];
	char patronymic[DEMO_NAME_MAX]; /* "" when the person gives none */
	char alias[DEMO_NAME_MAX];      /* "" when none */
	enum demo_script script;
};

/* The names of a person of this sex (female 1 or 0), written in a script
 * drawn from r. */
void demo_names_make(struct demo_rng *r, int female, struct demo_names *out);

/* A phone number of Tajikistan (+992 9X XXX XX XX) in one of the formats
 * people write it in; sometimes a Russian mobile (+7 9XX ...) instead. */
void demo_phone_make(struct demo_rng *r, char *out, size_t outlen);

/* A fictional identity document number for a type of
 * identity_document_type. */
void demo_document_number(struct demo_rng *r, const char *type, char *out, size_t outlen);

/* A district of a region of origin (ISO 3166-2:TJ code), in Tajik. */
const char *demo_district(struct demo_rng *r, const char *region);

/* A town or city of a country of exploitation (alpha-2), as case workers
 * write it; "" for a country without a list. */
const char *demo_city(struct demo_rng *r, const char *country);

/* A fictional home address in a district, in Tajik. */
void demo_address(struct demo_rng *r, const char *district, char *out, size_t outlen);

#endif
