/*
 * justice.h - the rules of a criminal proceeding and a shelter stay that
 * need no request: the stages of a proceeding in their order, and the
 * dates of a stay.  Pure: no HTTP, no SQL, no jansson.
 *
 * A proceeding moves through four stages, each a date: reported,
 * investigation opened, sent to court, verdict (conviction or acquittal,
 * with a sentence only after a conviction).  A stage may be recorded only
 * when the one before it is, on the same day or later.
 */
#ifndef HIMOYA_JUSTICE_H
#define HIMOYA_JUSTICE_H

#include <stddef.h>

/* A proceeding's dates and verdict: NULL (or "") when not recorded. */
struct proceeding_dates {
	const char *reported_on, *investigation_on, *court_on, *verdict_on;
	const char *verdict;       /* "conviction", "acquittal" or NULL */
	int has_sentence;
};

/* The stage reached: "reported", "investigation", "court", "conviction"
 * or "acquittal".  Call only on dates that justice_check accepts. */
const char *justice_stage(const struct proceeding_dates *d);

/* 0 when the stages are in order; else -1 with a one-line reason in why
 * (e.g. "court_on: the investigation was not opened"). */
int justice_check(const struct proceeding_dates *d, char *why, size_t whylen);

/* 0 when a stay admitted on `admitted` may end on `discharged` (the same
 * day or later); -1 otherwise. */
int justice_stay_dates_ok(const char *admitted, const char *discharged);

/* Free beds of a shelter of `capacity` with `occupied` open stays (never
 * below zero); -1 when the capacity is not known (capacity < 0). */
long justice_free_beds(long capacity, long occupied);

/* Whether a shelter that takes the genders genders[0..ngenders-1] (none:
 * any) and ages min_age..max_age (-1: no bound) takes a person of gender
 * (NULL: not known) and age (-1: not known): 1, or 0 with why[] saying
 * what differs.  What is not known is not held against the person. */
int justice_shelter_takes(const char *const *genders, size_t ngenders, long min_age,
			  long max_age, const char *gender, long age, char *why, size_t whylen);

/* The service's field that a refusal of justice_shelter_takes names
 * ("genders_served", "minimum_age", "maximum_age"), from its why[]. */
const char *justice_shelter_field(const char *why);

#endif
