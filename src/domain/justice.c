/*
 * justice.c - stages of a criminal proceeding, dates of a shelter stay;
 * see justice.h.
 */
#include <stdio.h>
#include <string.h>

#include "domain/justice.h"

static int set(const char *s)
{
	return s && *s;
}

const char *justice_stage(const struct proceeding_dates *d)
{
	if (set(d->verdict_on) && set(d->verdict))
		return d->verdict;
	if (set(d->court_on))
		return "court";
	if (set(d->investigation_on))
		return "investigation";
	return "reported";
}

int justice_check(const struct proceeding_dates *d, char *why, size_t whylen)
{
	/* Each stage after its predecessor, which must be there. */
	static const char *const names[] = {"reported_on", "investigation_on", "court_on",
					    "verdict_on"};
	static const char *const missing[] = {NULL, "the crime was not reported",
					      "the investigation was not opened",
					      "the case was not sent to court"};
	const char *dates[4] = {d->reported_on, d->investigation_on, d->court_on, d->verdict_on};
	size_t i;

	for (i = 1; i < 4; i++) {
		if (!set(dates[i]))
			continue;
		if (!set(dates[i - 1])) {
			snprintf(why, whylen, "%s: %s", names[i], missing[i]);
			return -1;
		}
		if (strcmp(dates[i], dates[i - 1]) < 0) {
			snprintf(why, whylen, "%s: before %s", names[i], names[i - 1]);
			return -1;
		}
	}
	if (set(d->verdict) != set(d->verdict_on)) {
		snprintf(why, whylen, "%s", set(d->verdict) ? "verdict_on: a verdict has a date"
							    : "verdict: a verdict date needs the verdict");
		return -1;
	}
	if (d->has_sentence && !(set(d->verdict) && !strcmp(d->verdict, "conviction"))) {
		snprintf(why, whylen, "sentence: only after a conviction");
		return -1;
	}
	return 0;
}

int justice_stay_dates_ok(const char *admitted, const char *discharged)
{
	return set(admitted) && set(discharged) && strcmp(discharged, admitted) >= 0 ? 0 : -1;
}

long justice_free_beds(long capacity, long occupied)
{
	if (capacity < 0)
		return -1;
	return occupied >= capacity ? 0 : capacity - occupied;
}

int justice_shelter_takes(const char *const *genders, size_t ngenders, long min_age,
			  long max_age, const char *gender, long age, char *why, size_t whylen)
{
	size_t i;

	if (gender && ngenders) {
		for (i = 0; i < ngenders; i++)
			if (genders[i] && !strcmp(gender, genders[i]))
				break;
		if (i == ngenders) {
			snprintf(why, whylen, "the shelter takes genders_served %s%s; the person's "
				 "gender is %s", genders[0] ? genders[0] : "",
				 ngenders > 1 ? ", ..." : "", gender);
			return 0;
		}
	}
	if (age >= 0 && min_age >= 0 && age < min_age) {
		snprintf(why, whylen, "the shelter takes from minimum_age %ld; the person is %ld",
			 min_age, age);
		return 0;
	}
	if (age >= 0 && max_age >= 0 && age > max_age) {
		snprintf(why, whylen, "the shelter takes up to maximum_age %ld; the person is %ld",
			 max_age, age);
		return 0;
	}
	return 1;
}

const char *justice_shelter_field(const char *why)
{
	static const char *const fields[] = {"genders_served", "minimum_age", "maximum_age"};
	size_t i;

	for (i = 0; i < sizeof fields / sizeof fields[0]; i++)
		if (strstr(why, fields[i]))
			return fields[i];
	return "genders_served";
}
