/*
 * screening.c - tallying the answers to a weighted indicator set by
 * dimension and strength, applying the ILO/EC combination rule to each
 * dimension, and the adult or child rule to the dimensions, to give a
 * suggested classification.  Only a suggestion: see screening.h.
 */
#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "domain/screening.h"
#include "domain/stdexport.h"

/* ---- names -------------------------------------------------------------- */

static const char *const answer_names[] = {
	[ANS_YES] = "yes", [ANS_NO] = "no", [ANS_UNKNOWN] = "unknown",
	[ANS_DECLINED] = "declined",
};

int screening_answer_parse(const char *s, enum answer *out)
{
	size_t i;

	if (!s)
		return -1;
	for (i = 0; i < sizeof answer_names / sizeof answer_names[0]; i++) {
		if (strcmp(s, answer_names[i]) == 0) {
			*out = (enum answer)i;
			return 0;
		}
	}
	return -1;
}

static int answer_valid(enum answer a)
{
	return a == ANS_YES || a == ANS_NO || a == ANS_UNKNOWN || a == ANS_DECLINED;
}

const char *screening_answer_name(enum answer a)
{
	return answer_valid(a) ? answer_names[a] : "?";
}

const char *screening_suggestion_name(enum suggestion s)
{
	switch (s) {
	case SUGGESTION_NONE: return "none";
	case SUGGESTION_EXPLOITATION: return "exploitation";
	case SUGGESTION_TRAFFICKING: return "trafficking";
	}
	return "?";
}

/* ---- the rule ----------------------------------------------------------- */

__attribute__((format(printf, 3, 4)))
static void set_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (!err || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/* The published rule for one dimension, on its "yes" answers. */
static int dimension_positive(const struct screening_dimension *d)
{
	if (d->strong >= 2)
		return 1;
	if (d->strong >= 1 && d->medium + d->weak >= 1)
		return 1;
	if (d->medium >= 3)
		return 1;
	if (d->medium >= 2 && d->weak >= 1)
		return 1;
	return 0;
}

static enum suggestion suggest(const struct screening_result *r)
{
	int recruitment = r->dim[0].positive || r->dim[1].positive || r->dim[2].positive;
	int exploitation = r->dim[3].positive;
	int means = r->dim[4].positive || r->dim[5].positive;

	if (!exploitation)
		return SUGGESTION_NONE;
	if (recruitment && (means || r->child))
		return SUGGESTION_TRAFFICKING;
	return SUGGESTION_EXPLOITATION;
}

/* Counts one answer to item into its dimension and the totals. */
static void tally(struct screening_result *r, const struct indicator *item, enum answer a)
{
	struct screening_dimension *d = &r->dim[item->dimension - 1];

	d->answered++;
	r->answered++;
	switch (a) {
	case ANS_YES:
		r->yes++;
		d->yes++;
		if (item->strength == STRENGTH_STRONG)
			d->strong++;
		else if (item->strength == STRENGTH_MEDIUM)
			d->medium++;
		else
			d->weak++;
		break;
	case ANS_NO: r->no++; break;
	case ANS_UNKNOWN: r->unknown++; break;
	case ANS_DECLINED: r->declined++; break;
	}
}

int screening_evaluate(const struct indicator_set *set, const char *const *codes,
		       const enum answer *answers, size_t n, int child,
		       struct screening_result *out, char *err, size_t errlen)
{
	size_t i, j;

	assert(out);
	memset(out, 0, sizeof *out);
	if (!set || !indicator_set_weighted(set)) {
		set_err(err, errlen, "indicator set %s has no combination rule",
			set ? set->id : "(none)");
		goto fail;
	}
	if (n > 0 && (!codes || !answers)) {
		set_err(err, errlen, "answers missing");
		goto fail;
	}

	for (i = 0; i < n; i++) {
		const struct indicator *item;

		if (!codes[i]) {
			set_err(err, errlen, "indicator code missing");
			goto fail;
		}
		item = indicator_find(set, codes[i]);
		if (!item) {
			set_err(err, errlen, "unknown indicator \"%s\" in set %s", codes[i],
				set->id);
			goto fail;
		}
		/* All earlier codes are in the set and distinct, so i stays
		 * below set->n + 1 and this loop is bounded by the set's size. */
		for (j = 0; j < i; j++) {
			if (strcmp(codes[j], codes[i]) == 0) {
				set_err(err, errlen, "indicator \"%s\" answered twice", codes[i]);
				goto fail;
			}
		}
		if (!answer_valid(answers[i])) {
			set_err(err, errlen, "invalid answer to indicator \"%s\"", codes[i]);
			goto fail;
		}
		tally(out, item, answers[i]);
	}

	for (i = 0; i < set->n; i++)
		out->dim[set->items[i].dimension - 1].items++;
	for (i = 0; i < INDICATOR_DIMENSIONS; i++)
		out->dim[i].positive = dimension_positive(&out->dim[i]);
	out->unanswered = set->n - out->answered;
	out->child = child ? 1 : 0;
	out->suggestion = suggest(out);
	return 0;

fail:
	/* no partial tallies: a rejected screening has no result */
	memset(out, 0, sizeof *out);
	return -1;
}

/* ---- JSON --------------------------------------------------------------- */

json_t *screening_result_json(const struct screening_result *r)
{
	json_t *obj, *dims;
	size_t i;

	obj = json_object();
	if (!obj)
		return NULL;
	dims = json_object();
	/* json_object_set_new takes the reference even when it fails. */
	if (json_object_set_new(obj, "dimensions", dims) != 0)
		goto fail;
	for (i = 0; i < INDICATOR_DIMENSIONS; i++)
		if (json_object_set_new(dims, indicator_dimensions[i].code,
					json_boolean(r->dim[i].positive)) != 0)
			goto fail;
	if (json_object_set_new(obj, "suggestion",
				json_string(screening_suggestion_name(r->suggestion))) != 0)
		goto fail;
	return obj;
fail:
	json_decref(obj);
	return NULL;
}

json_t *screening_because_json(const struct indicator_set *set, const char *const *codes,
			       const enum answer *answers, size_t n,
			       const struct screening_result *r)
{
	json_t *obj = json_object();
	size_t i;

	if (!obj)
		return NULL;
	for (i = 0; i < n; i++) {
		const struct indicator *item = indicator_find(set, codes[i]);
		const char *dim;
		json_t *list;

		if (!item || answers[i] != ANS_YES || !r->dim[item->dimension - 1].positive)
			continue;
		dim = indicator_dimensions[item->dimension - 1].code;
		list = json_object_get(obj, dim);
		if (!list) {
			list = json_array();
			if (json_object_set_new(obj, dim, list) != 0)
				goto fail;
		}
		if (json_array_append_new(list, json_string(codes[i])) != 0)
			goto fail;
	}
	return obj;
fail:
	json_decref(obj);
	return NULL;
}

/* The age at `on` of a person estimated `est` years old on `opened`. */
static int age_from_estimate(long est, const char *opened, const char *on)
{
	int back = std_years_between(on, opened), ahead = std_years_between(opened, on);

	if (est < 0 || est > 130)
		return -1;
	if (back > 0)
		return back <= est ? (int)est - back : -1;
	return ahead >= 0 ? (int)est + ahead : (int)est;
}

void screening_child_age(const char *birth, long estimated, const char *opened,
			 const char *recruited, const char *exploitation_start, const char *today,
			 struct screening_age *out)
{
	const char *on = today;

	memset(out, 0, sizeof *out);
	out->age = -1;
	out->event = "screening";
	if (recruited && *recruited) {
		on = recruited;
		out->event = "recruitment";
	} else if (exploitation_start && *exploitation_start) {
		on = exploitation_start;
		out->event = "exploitation_start";
	}
	snprintf(out->on, sizeof out->on, "%s", on ? on : "");
	if (birth && *birth) {
		out->age = std_years_between(birth, on);
		out->basis = "birth_date";
	} else if (estimated >= 0 && opened) {
		out->age = age_from_estimate(estimated, opened, on);
		out->basis = "estimated_age";
	}
	if (out->age < 0) {
		out->basis = NULL;
		return;
	}
	out->known = 1;
	out->child = out->age < 18;
}
