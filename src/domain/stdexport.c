/*
 * stdexport.c - years, ages, CTDC's age bands and their one
 * generalisation, and code mappings of the standard exports; see
 * stdexport.h.
 */
#include <stdio.h>
#include <string.h>

#include "domain/record.h"
#include "domain/stdexport.h"

int std_years_between(const char *from, const char *to)
{
	int y1, m1, d1, y2, m2, d2, n;

	if (!from || !to || !date_parse(from, &y1, &m1, &d1) || !date_parse(to, &y2, &m2, &d2))
		return -1;
	n = y2 - y1 - (m2 < m1 || (m2 == m1 && d2 < d1));
	return n >= 0 && n <= 130 ? n : -1;
}

void std_ages(const char *birth, long est, const char *start, const char *opened, int *age,
	      int *age_exploit)
{
	if (birth && *birth) {
		*age = std_years_between(birth, opened);
		*age_exploit = start ? std_years_between(birth, start) : -1;
	} else if (est >= 0 && est <= 130) {
		int back = start ? std_years_between(start, opened) : -1;
		*age = (int)est;
		*age_exploit = back >= 0 && back <= *age ? *age - back : -1;
	} else {
		*age = *age_exploit = -1;
	}
}

static const char *const bands[STD_AGE_BANDS] = {
	"0--8", "9--17", "18--20", "21--23", "24--26", "27--29", "30--38", "39--47", "48+",
};
static const int band_upper[STD_AGE_BANDS - 1] = {8, 17, 20, 23, 26, 29, 38, 47};

const char *std_age_band(int age)
{
	unsigned i;

	if (age < 0)
		return NULL;
	for (i = 0; i < STD_AGE_BANDS - 1; i++)
		if (age <= band_upper[i])
			return bands[i];
	return bands[STD_AGE_BANDS - 1];
}

const char *std_age_band_at(unsigned i)
{
	return i < STD_AGE_BANDS ? bands[i] : NULL;
}

const char *std_majority(int age)
{
	return age < 0 ? NULL : age < 18 ? "Minor" : "Adult";
}

const char *std_age_band_majority(const char *band)
{
	unsigned i;

	for (i = 0; band && i < STD_AGE_BANDS; i++)
		if (!strcmp(band, bands[i]))
			return i < 2 ? "Minor" : "Adult";   /* bands 0--8 and 9--17 */
	return NULL;
}

const char *std_year(const char *date, char out[5])
{
	int y, m, d;

	if (!date || !date_parse(date, &y, &m, &d) || y < 1900 || y > 2199)
		return NULL;
	snprintf(out, 5, "%04d", y);
	return out;
}

const char *std_value(const struct std_value *map, const char *code)
{
	if (!code)
		return NULL;
	for (; map && map->code; map++)
		if (!strcmp(map->code, code))
			return map->value;
	return code;
}
