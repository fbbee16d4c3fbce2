/*
 * dedup.c - a person's record as linkage sees it, the prior model and
 * the reasons of a pair; see dedup.h.
 */
#include <math.h>
#include <string.h>

#include "domain/dedup.h"

static const char *str(json_t *rec, const char *name)
{
	return json_string_value(json_object_get(rec, name));
}

void dedup_link_person(json_t *rec, int year_now, const unsigned char *phone_token,
		       const unsigned char *document_token, struct link_person *p)
{
	json_t *age = json_object_get(rec, "estimated_age");

	memset(p, 0, sizeof *p);
	p->given_name = str(rec, "given_name");
	p->family_name = str(rec, "family_name");
	p->patronymic = str(rec, "patronymic");
	p->birth_date = str(rec, "birth_date");
	if (json_is_integer(age) && json_integer_value(age) >= 0 && json_integer_value(age) < 130)
		p->birth_year_estimate = year_now - (int)json_integer_value(age);
	p->sex = str(rec, "gender");
	p->region = str(rec, "region_of_origin");
	p->district = str(rec, "district_of_origin");
	p->address = str(rec, "address");
	p->phone_token = phone_token;
	p->document_token = document_token;
}

void dedup_model_prior(struct link_model *m)
{
	int f;
	unsigned l;

	memset(m, 0, sizeof *m);
	m->p = DEDUP_PRIOR_P;
	for (f = 0; f < LINK_FIELDS; f++) {
		unsigned n = link_field_levels((enum link_field)f);
		for (l = 0; l < n; l++) {
			m->m[f][l] = l == 0 ? 0.9 : 0.1 / (n - 1);
			m->u[f][l] = l + 1 == n ? 0.9 : 0.1 / (n - 1);
		}
	}
	m->threshold = log2((1 - m->p) / m->p);
}

/* The person field a linkage field compares. */
static const char *const field_names[LINK_FIELDS] = {
	[LF_GIVEN] = "given_name", [LF_FAMILY] = "family_name", [LF_PATRONYMIC] = "patronymic",
	[LF_BIRTH] = "birth_date", [LF_SEX] = "gender", [LF_PHONE] = "phones",
	[LF_DOCUMENT] = "identity_documents", [LF_ADDRESS] = "address",
	[LF_LOCALITY] = "locality", [LF_REGION] = "region_of_origin",
};

static const char *level_name(enum link_field f, unsigned level)
{
	static const char *const dates[] = {"equal", "typo", "year", "different"};
	static const char *const names[] = {"equal", "close", "similar", "different"};
	unsigned n = link_field_levels(f);

	if (f == LF_BIRTH && level < 4)
		return dates[level];
	if (level == 0)
		return "equal";
	if (level + 1 >= n)
		return "different";
	if (f == LF_GIVEN || f == LF_FAMILY || f == LF_PATRONYMIC)
		return names[level];
	return "partial";
}

size_t dedup_reasons(const struct link_model *m, const uint8_t levels[LINK_FIELDS],
		     struct dedup_reason out[LINK_FIELDS])
{
	size_t n = 0, i, j;
	int f;

	for (f = 0; f < LINK_FIELDS; f++) {
		if (levels[f] == LINK_MISSING)
			continue;
		out[n].field = field_names[f];
		out[n].level = level_name((enum link_field)f, levels[f]);
		out[n].weight = log2(m->m[f][levels[f]] / m->u[f][levels[f]]);
		n++;
	}
	/* Insertion sort: at most LINK_FIELDS entries. */
	for (i = 1; i < n; i++) {
		struct dedup_reason x = out[i];
		for (j = i; j > 0 && fabs(out[j - 1].weight) < fabs(x.weight); j--)
			out[j] = out[j - 1];
		out[j] = x;
	}
	return n;
}
