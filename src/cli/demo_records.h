/*
 * demo_records.h - building the synthetic persons of `himoya demo` with
 * everything that hangs off them, as sealed store rows ready to insert
 * (demo_records.c).  Building touches no store: a batch can be built on
 * one thread while another batch is being written.
 */
#ifndef HIMOYA_CLI_DEMO_RECORDS_H
#define HIMOYA_CLI_DEMO_RECORDS_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/crypto.h"
#include "indicators.h"
#include "store/store.h"
#include "util/arena.h"

#define DEMO_ORGS_MAX 8
#define DEMO_WORKERS_MAX 4

/* An organisation that registers persons, and who works there. */
struct demo_org_ref {
	char id[ID_LEN];
	const char *code;
	unsigned share;          /* relative share of the persons */
	const char *region;      /* home region (ISO 3166-2:TJ), NULL: everywhere */
	int shelter;             /* a shelter: mostly sexual exploitation, servitude */
	char workers[DEMO_WORKERS_MAX][ID_LEN]; /* case workers (user ids) */
	size_t nworkers;         /* >= 1 */
	char supervisor[ID_LEN]; /* records the organisation's own assessments */
	const char *type, *sector; /* HTCDS org_Type and sector ("" when none) */
};

#define DEMO_AUTHORITIES_MAX 8

/* An authority whose focal point records identification decisions: the
 * deciding body of a decision is its organisation's (casework_decider). */
struct demo_authority {
	char id[ID_LEN];
	const char *code, *type, *sector;
	char focal[ID_LEN];      /* the focal point (user id) */
};

struct demo_network {
	struct demo_org_ref orgs[DEMO_ORGS_MAX];
	size_t norgs;
	struct demo_authority authorities[DEMO_AUTHORITIES_MAX];
	size_t nauthorities;
};

/* What every batch is built from; read-only once initialised.  kr and
 * net must outlive it. */
struct demo_gen {
	const keyring *kr;
	const struct demo_network *net;
	uint64_t seed;
	int64_t today;      /* days since 1970-01-01, UTC */
	int64_t now_secs;   /* seconds of today so far */
	const struct indicator_set *delphi;
	const struct pprl_key *pk; /* the network matching's keys, or NULL: no encodings */
	char consent_today[11];    /* as the matching's refresh counts consents */
	size_t persons;            /* of the whole load: each person's place among the ids */
};

/* The rows of a batch of persons.  Arrays grow with realloc; the JSON
 * and sealed bytes they point to live in `mem`.  keys[key_first[i] ..
 * key_first[i] + key_count[i]) are the blind-index keys of persons[i].
 * Cases come in insertion order (an earlier case before the case that
 * names it as previous_case_id). */
struct demo_batch {
	arena mem;
	struct person_row *persons;
	size_t np, cap_p;
	size_t *key_first, *key_count;  /* cap_kf of each */
	size_t cap_kf;
	struct blind_key *keys;
	size_t nk, cap_k;
	struct case_row *cases;
	size_t nc, cap_c;
	struct item_row *items;
	size_t ni, cap_i;
	struct pprl_encoding *enc; /* the rows and stamps of the matching table */
	size_t ne, cap_e;
};

struct demo_totals {
	size_t persons, cases, items, encodings;
};

/* pk (may be NULL) is the network matching's: each consenting person's
 * encoding is then built with the person (api/pprlnet.h, the refresh's
 * own functions), not read back from the store after the load. */
void demo_gen_init(struct demo_gen *g, const keyring *kr, const struct demo_network *net,
		   const struct pprl_key *pk, uint64_t seed, size_t persons);

void demo_batch_init(struct demo_batch *b);
/* Build persons first .. first + count - 1 of the seed into b (emptied
 * first).  Returns 0, or -1 when out of memory. */
int demo_batch_build(const struct demo_gen *g, struct demo_batch *b, size_t first, size_t count);
/* Empty b, keeping its arrays for the next batch. */
void demo_batch_reset(struct demo_batch *b);
void demo_batch_free(struct demo_batch *b);
void demo_totals_add(struct demo_totals *t, const struct demo_batch *b);

#endif
