/*
 * stdexport.h - the arithmetic and hierarchies of the standard exports
 * (HTCDS 2.0, CTDC) and of the reports: whole years between two days,
 * the age at registration and at the start of the exploitation, CTDC's
 * broad age bands (reference/codes.json ctdc_conventions.age_broad) and
 * the one generalisation CTDC publishes above them (a band to
 * majorityStatus), the year of registration, and a field's code as a
 * standard spells it (schema/fields.h std_value tables).
 *
 * Pure: no I/O, no allocation; every string handed back is static or
 * the caller's.  One age-band function for every caller.
 */
#ifndef HIMOYA_STDEXPORT_H
#define HIMOYA_STDEXPORT_H

#include "fields.h"

/* CTDC's missing value. */
#define STD_MISSING "-99"

/* Whole years from the day `from` to the day `to` (YYYY-MM-DD), or -1
 * when either is not a date or the span is negative or over 130. */
int std_years_between(const char *from, const char *to);

/* The age when the case opened (*age) and when the exploitation began
 * (*age_exploit), -1 when unknown: from the date of birth `birth`, else
 * from the age `est` estimated at the opening (-1: none), the age at the
 * start then only in whole years back from the opening.  start and birth
 * may be NULL. */
void std_ages(const char *birth, long est, const char *start, const char *opened, int *age,
	      int *age_exploit);

/* The number of CTDC age bands, and the band of an age: "0--8", "9--17",
 * "18--20", "21--23", "24--26", "27--29", "30--38", "39--47", "48+";
 * NULL for a negative (unknown) age. */
#define STD_AGE_BANDS 9
const char *std_age_band(int age);
/* The band at index i (0 .. STD_AGE_BANDS - 1), or NULL. */
const char *std_age_band_at(unsigned i);

/* CTDC majorityStatus of an age: "Minor" under 18, "Adult", NULL unknown. */
const char *std_majority(int age);
/* The generalisation of an age band: its majorityStatus, NULL when v is
 * no band. */
const char *std_age_band_majority(const char *band);

/* The year of a date ("2024" of "2024-05-01") into out, or NULL when the
 * date is not one between 1900 and 2199. */
const char *std_year(const char *date, char out[5]);

/* code as the map spells it: the mapped value, code itself when the map
 * has no entry (or map is NULL).  NULL code gives NULL. */
const char *std_value(const struct std_value *map, const char *code);

#endif
