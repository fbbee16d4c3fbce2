/*
 * indicators.h - screening indicator sets, compiled in as data.
 *
 * Two sets:
 *   - "delphi-adult-labour": the ILO/European Commission operational
 *     indicators of trafficking in human beings (2009), the list for
 *     adults trafficked for labour exploitation, one entry per row of
 *     reference/indicators-delphi-adult-labour.csv.  Each item carries a
 *     dimension (1..6, D1..D6) and a strength (strong, medium, weak);
 *     domain/screening.c combines the answers by the published rule.
 *   - "ilo-forced-labour": the ILO 11 indicators of forced labour (2012),
 *     the hotline's short checklist.  Not weighted: dimension 0 and
 *     STRENGTH_UNWEIGHTED, so no combination rule applies to it.
 *
 * Codes are stable and are what gets stored; labels are for display.
 * The English labels of the Delphi set are the CSV's, verbatim; the
 * Tajik and Russian ones are the project's and want a native speaker's
 * review.  Everything here is static, read-only data: nothing to free.
 */
#ifndef HIMOYA_INDICATORS_H
#define HIMOYA_INDICATORS_H

#include <stddef.h>

#include "fields.h"

#define INDICATOR_DIMENSIONS 6

enum indicator_strength {
	STRENGTH_UNWEIGHTED = 0,  /* the ILO 11 checklist */
	STRENGTH_STRONG,
	STRENGTH_MEDIUM,
	STRENGTH_WEAK,
};

struct indicator {
	const char *code;               /* "D1-S1"; for ILO 11 "deception" */
	int dimension;                  /* 1..6; 0 when unweighted */
	enum indicator_strength strength;
	const char *label_tg, *label_ru, *label_en;
};

struct indicator_set {
	const char *id;                 /* "delphi-adult-labour" */
	const struct indicator *items;
	size_t n;
};

/* A dimension of the Delphi lists: number 1..6, code "D1".."D6". */
struct indicator_dimension {
	int number;
	const char *code;
	const char *label_tg, *label_ru, *label_en;
};

extern const struct indicator_set delphi_adult_labour;
extern const struct indicator_set ilo_forced_labour;
extern const struct indicator_set *const all_indicator_sets[];
extern const size_t all_indicator_sets_count;

/* indicator_dimensions[k] is dimension k + 1. */
extern const struct indicator_dimension indicator_dimensions[INDICATOR_DIMENSIONS];

/* The set with this id, or NULL (also for id == NULL). */
const struct indicator_set *indicator_set_find(const char *id);

/* The item of set with this code (exact, case-sensitive), or NULL. */
const struct indicator *indicator_find(const struct indicator_set *set, const char *code);

/* indicator_find(indicator_set_find(set_id), code), NULL when either is
 * unknown. */
const struct indicator *indicator_lookup(const char *set_id, const char *code);

/* 1 when every item of set has a dimension 1..6 and a strength, i.e. the
 * combination rule applies to it. */
int indicator_set_weighted(const struct indicator_set *set);

/* "strong", "medium", "weak", "unweighted"; "?" for a value out of range. */
const char *indicator_strength_name(enum indicator_strength s);

/* Indicator code -> the CTDC column its "yes" sets (schema/indicators.c). */
extern const struct std_value indicator_ctdc[];

#endif
