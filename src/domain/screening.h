/*
 * screening.h - the suggested classification of a screening, from the
 * answers to an indicator set (schema/indicators.h).  Pure: no HTTP, no
 * SQL, no allocation except the jansson object screening_result_json
 * hands to its caller.
 *
 * The module only SUGGESTS.  Its result is a hint shown to the case
 * worker next to the answers; it never sets, and must never be used to
 * set, a case's official trafficking status (PossibleVictimOfTrafficking,
 * ActualVictimOfTrafficking, NotAVictimOfTrafficking), which is a
 * separate human decision recorded with its deciding body and date.
 *
 * The rule is the published one of the ILO/EC operational indicators
 * (2009, reference/README.md):
 *   - a dimension D1..D6 is positive when its items answered "yes"
 *     include at least 2 strong; or 1 strong and at least 1 medium or
 *     weak; or at least 3 medium; or 2 medium and at least 1 weak.  "no",
 *     "unknown" and "declined" count as absent.
 *   - adult: trafficking when (D1 or D2 or D3) and D4 and (D5 or D6);
 *     exploitation when D4 without that; else none.
 *   - child (under 18 at recruitment): the means are not required, so
 *     trafficking when (D1 or D2 or D3) and D4; exploitation when D4
 *     without recruitment; else none.
 *
 * Approximation for children: the published child lists (like the adult
 * sexual-exploitation list) weigh some items differently from the adult
 * labour list.  This module has only the adult labour list and uses its
 * weights for children too; a child's dimensions may therefore come out
 * differently from a screening with the child list.
 */
#ifndef HIMOYA_SCREENING_H
#define HIMOYA_SCREENING_H

#include <stddef.h>

#include <jansson.h>

#include "indicators.h"

enum answer { ANS_YES, ANS_NO, ANS_UNKNOWN, ANS_DECLINED };

enum suggestion { SUGGESTION_NONE, SUGGESTION_EXPLOITATION, SUGGESTION_TRAFFICKING };

/* One dimension's tally.  strong + medium + weak == yes. */
struct screening_dimension {
	int positive;          /* 1 when the combination rule holds */
	unsigned yes;          /* items of the dimension answered "yes" */
	unsigned strong, medium, weak;  /* of those, by strength */
	unsigned answered;     /* items of the dimension given any answer */
	unsigned items;        /* items of the dimension in the set */
};

struct screening_result {
	struct screening_dimension dim[INDICATOR_DIMENSIONS];  /* dim[0] is D1 */
	int child;                   /* the mode the suggestion was made in */
	enum suggestion suggestion;
	size_t answered;             /* items given any answer (all four count) */
	size_t unanswered;           /* items of the set not in the answers */
	size_t yes, no, unknown, declined;  /* answered, by answer */
};

/* "yes", "no", "unknown", "declined" (exact, lower case) into *out: 0;
 * anything else (NULL included): -1 and *out untouched. */
int screening_answer_parse(const char *s, enum answer *out);

/* "yes", "no", "unknown", "declined"; "?" for a value out of range. */
const char *screening_answer_name(enum answer a);

/* "trafficking", "exploitation", "none"; "?" for a value out of range. */
const char *screening_suggestion_name(enum suggestion s);

/*
 * Evaluate n answers to set: codes[i] was answered answers[i].  child is
 * 1 when the person was under 18 at recruitment (see above), else 0.
 *
 * Returns 0 and fills *out; or -1 with a message in err (when err is not
 * NULL and errlen > 0) when set is not weighted (the ILO 11 checklist),
 * a code is NULL or not in set, a code appears twice, or an answer is
 * out of range.  *out is zeroed first, so on -1 it holds no result.
 * Codes and answers may be NULL when n is 0.  Unanswered items of the
 * set simply count as absent.
 */
int screening_evaluate(const struct indicator_set *set, const char *const *codes,
		       const enum answer *answers, size_t n, int child,
		       struct screening_result *out, char *err, size_t errlen);

/* {"dimensions":{"D1":bool,...,"D6":bool},"suggestion":"..."}, the shape
 * of POST /cases/{id}/screenings (API.md).  New reference: the caller
 * owns it.  NULL when out of memory. */
json_t *screening_result_json(const struct screening_result *r);

/* Which answered items made each dimension positive: {"D4":["D4-S1",...]}
 * with the items of set answered "yes" of every positive dimension of r
 * (the answers evaluated into r).  The items are what the person said:
 * the caller seals them like the answers.  New reference; NULL when out
 * of memory. */
json_t *screening_because_json(const struct indicator_set *set, const char *const *codes,
			       const enum answer *answers, size_t n,
			       const struct screening_result *r);

/* A child is a person under 18 at recruitment (issue 15): the age is
 * reckoned from the date of birth, else from the age estimated when the
 * case opened, at the date of recruitment, else at the start of the
 * exploitation, else at the screening. */
struct screening_age {
	int known;           /* 1 when an age could be reckoned */
	int child;           /* 1 when that age is under 18 */
	int age;             /* the age then, -1 when unknown */
	const char *basis;   /* "birth_date" or "estimated_age"; NULL when unknown */
	const char *event;   /* "recruitment", "exploitation_start" or "screening" */
	char on[11];         /* the date the age is reckoned at */
};

/* Fill *out from the person's birth date (NULL when unknown), the age
 * estimated at the case's opening (-1 when none), the case's opening,
 * recruitment and exploitation dates (NULL when unknown) and today, all
 * YYYY-MM-DD. */
void screening_child_age(const char *birth, long estimated, const char *opened,
			 const char *recruited, const char *exploitation_start, const char *today,
			 struct screening_age *out);

#endif
