/*
 * linkage.h - record linkage: which records of two lists (or of one list)
 * are the same person, after Fellegi and Sunter (1969).
 *
 * A pair of records is compared field by field; each comparison gives a
 * level (0 = full agreement, then weaker agreements, the last level is
 * disagreement; LINK_MISSING when either side lacks the value).  The
 * vector of levels is a pattern.  Each field f and level l has two
 * probabilities: m[f][l], of that level among true matches, and u[f][l],
 * among non-matches.  A pair's match weight is the sum over its present
 * fields of log2(m/u); with the share p of matches among the compared
 * pairs, its probability of being a match is p*M / (p*M + (1-p)*U).  The
 * m, u and p are not set by hand: link_em() estimates them by
 * expectation-maximisation over the patterns of the compared pairs
 * (conditional independence of the fields given the match status; u is
 * started from random pairs, m from fixed guesses).
 *
 * Comparators (linkage.c):
 *   names (given, family, patronymic): the cross-script keys of namekey.h
 *     (Ҷумъаев = Джумаев = Dzhumaev); level 0 when the keys are equal, then
 *     Jaro-Winkler on the folded Latin key >= 0.92, >= 0.80, else
 *     disagreement.  Given and family names written in each other's place
 *     are compared crossed when that agrees better.
 *   birth date: exact; a typo (day and month swapped, one digit wrong,
 *     two adjacent digits transposed, the year off by one); the year only
 *     (or the estimated age consistent within 2 years); different.
 *   sex, region: equal or not.  Phone and document: equal or not of opaque
 *     tokens (the server's keyed blind indexes; the CLI's hashes of the
 *     normalised values).
 *   address (street and house number, one comparison, since the parts of
 *     one address go together and would be counted twice as separate
 *     fields): street text agreeing (Jaro-Winkler >= 0.90) and the number
 *     not disagreeing; the street but another number; the number only;
 *     neither.
 *   locality (postcode and district/suburb, one comparison): every part
 *     known on both sides agrees; some part agrees (or the postcode is one
 *     digit or one transposition off); none.
 *
 * Blocking: only pairs sharing at least one of LINK_KEYS blocking keys
 * are compared, so that recall does not depend on one field: family name
 * + given initial + birth year; given name + family initial + postcode;
 * birth date (day and month in either order) + family initial; document;
 * phone; postcode + street number; both names in either order + birth
 * year; district + family name + given initial; family name + given
 * initial + birth day and month; given name + birth date; patronymic +
 * birth date; each of the two names, whichever field holds it, + the
 * other's initial + birth day and month (two keys); district + address +
 * street number; given name + patronymic + family initial; given name +
 * patronymic + street number.  A pair sharing several keys is compared
 * once.  A block with more than max_block_pairs pairs is
 * skipped for its key (the other keys still reach its pairs).
 *
 * Pure: no I/O, no global state.  Memory is malloc'd inside and freed
 * before each call returns; the records belong to the caller.
 */
#ifndef HIMOYA_LINKAGE_H
#define HIMOYA_LINKAGE_H

#include <stddef.h>
#include <stdint.h>

enum link_field {
	LF_GIVEN, LF_FAMILY, LF_PATRONYMIC, LF_BIRTH, LF_SEX, LF_PHONE, LF_DOCUMENT,
	LF_ADDRESS, LF_LOCALITY, LF_REGION,
	LINK_FIELDS
};
#define LINK_LEVELS 4     /* most levels a field has */
#define LINK_MISSING 0xff /* level of a field absent on either side */
#define LINK_KEYS 16      /* blocking keys */
#define LINK_TOKEN_BYTES 16

/* Birth-date comparison levels (link_compare_dates). */
enum link_date_level {
	LINK_DATE_EXACT, LINK_DATE_TYPO, LINK_DATE_YEAR, LINK_DATE_DIFFERENT
};

/* One person as given: UTF-8 text, NULL or "" when unknown. */
struct link_person {
	const char *given_name, *family_name, *patronymic;
	const char *birth_date;  /* YYYYMMDD, YYYY-MM-DD or DD.MM.YYYY */
	int birth_year_estimate; /* from an estimated age; 0 unknown */
	const char *sex;         /* f/female/Feminine/ж..., m/male/Masculine/м... */
	const char *region, *district, *street_number, *address, *postcode;
	/* LINK_TOKEN_BYTES bytes each, compared for equality only; NULL none */
	const unsigned char *phone_token, *document_token;
};

/* A person prepared for comparison: fixed size, no pointers, so an array
 * of them is one allocation.  Strings are folded keys, NUL-terminated,
 * "" when unknown. */
struct link_record {
	char given[24], family[24], patronymic[20];
	char address[32], district[24];
	char street[8], postcode[8], region[12];
	uint64_t phone, document; /* 0 none */
	uint16_t year;            /* 0 unknown */
	uint8_t month, day;       /* as written (a typo may give 13 or 0) */
	uint16_t year_estimate;   /* 0 unknown */
	uint8_t sex;              /* 0 unknown, 1 female, 2 male */
};

/* Prepare r from p.  Never fails: what cannot be read is unknown. */
void link_record_make(struct link_record *r, const struct link_person *p);

/* Jaro-Winkler similarity of two byte strings, in [0, 1]; 1 for two equal
 * non-empty strings, 0 when either is empty.  Prefix scale 0.1, at most 4
 * characters of common prefix. */
double link_jaro_winkler(const char *a, const char *b);

/* Level of two birth dates (year, month, day as written; 0 unknown). */
enum link_date_level link_compare_dates(unsigned y1, unsigned m1, unsigned d1,
					unsigned y2, unsigned m2, unsigned d2);

/* The levels of a pair, one per field (LINK_MISSING where absent). */
void link_compare(const struct link_record *a, const struct link_record *b,
		  uint8_t levels[LINK_FIELDS]);

/* Number of levels of field f. */
unsigned link_field_levels(enum link_field f);
const char *link_field_name(enum link_field f);

/* ---- patterns and the model --------------------------------------------- */

/* Counts of the distinct patterns seen.  Caller-owned; link_patterns_free
 * releases what link_patterns_add allocated. */
struct link_patterns {
	uint32_t *code;   /* hash table of pattern codes, 0 = empty slot */
	uint64_t *count;
	size_t cap, used;
	uint64_t total;
	int failed;       /* out of memory: the table stopped growing */
};
void link_patterns_init(struct link_patterns *pt);
void link_patterns_add(struct link_patterns *pt, const uint8_t levels[LINK_FIELDS], uint64_t n);
void link_patterns_free(struct link_patterns *pt);
uint32_t link_pattern_code(const uint8_t levels[LINK_FIELDS]);
void link_pattern_levels(uint32_t code, uint8_t levels[LINK_FIELDS]);

struct link_model {
	double p;                               /* share of matches */
	double m[LINK_FIELDS][LINK_LEVELS];
	double u[LINK_FIELDS][LINK_LEVELS];
	double threshold;  /* match weight at which the probability is 0.5 */
	unsigned iterations;
};

/* Estimate the model by EM over pt.  u starts from `random` (patterns of
 * random pairs: mostly non-matches) when it has any, m from fixed
 * guesses, p from p0 (0 < p0 < 1).  Returns 0, or -1 when pt is empty. */
int link_em(struct link_model *model, const struct link_patterns *pt,
	    const struct link_patterns *random, double p0);

/* The match weight of a pattern (sum of log2 m/u over present fields). */
double link_weight(const struct link_model *model, const uint8_t levels[LINK_FIELDS]);
/* Its probability of being a match. */
double link_probability(const struct link_model *model, const uint8_t levels[LINK_FIELDS]);

/* ---- blocking and the whole run ----------------------------------------- */

/* Called once per candidate pair; i indexes a, j indexes b (or a again in
 * a deduplication, with i < j).  A non-zero return stops the run and is
 * returned. */
typedef int (*link_pair_fn)(void *ctx, uint32_t i, uint32_t j);

struct link_stats {
	uint64_t candidates;     /* pairs compared */
	uint64_t skipped_blocks; /* blocks over max_block_pairs */
	uint64_t matches;        /* pairs handed to the match callback */
};

/* Every candidate pair once.  b NULL: pairs within a.  Returns 0, -1 out
 * of memory, or what fn returned. */
int link_block_pairs(const struct link_record *a, size_t na, const struct link_record *b,
		     size_t nb, uint64_t max_block_pairs, link_pair_fn fn, void *ctx,
		     struct link_stats *st);

/* Called for each pair judged a match: weight >= threshold. */
typedef int (*link_match_fn)(void *ctx, uint32_t i, uint32_t j, double weight);

struct link_options {
	uint64_t max_block_pairs; /* 0: 10000 */
	int use_threshold;        /* 1: threshold below, else the model's */
	double threshold;
	uint64_t seed;            /* for the random pairs that start u */
};

/* Compare the candidate pairs, estimate the model (written to *model),
 * then hand every pair at or over the threshold to `match` (in blocking
 * order, not sorted).  b NULL for a deduplication of a.  Returns 0, -1
 * (out of memory, or no candidate pair to learn from), or what `match`
 * returned. */
int link_run(const struct link_record *a, size_t na, const struct link_record *b, size_t nb,
	     const struct link_options *opt, struct link_model *model, link_match_fn match,
	     void *ctx, struct link_stats *st);

#endif
