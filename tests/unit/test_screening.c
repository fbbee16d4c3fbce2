/*
 * test_screening.c - unit tests of schema/indicators and
 * src/domain/screening: the combination rule at every edge of every
 * dimension (and exhaustively against an independent statement of it),
 * answers other than "yes" counting as absent, the suggestion for every
 * combination of positive dimensions for adults and children, rejected
 * input (unknown and duplicate codes, bad answers, the unweighted ILO
 * checklist), and the tables themselves: counts and strengths per
 * dimension as in reference/indicators-delphi-adult-labour.csv, valid
 * codes, and labels present in Tajik, Russian and English.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "domain/screening.h"
#include "indicators.h"
#include "util/utf8.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define MAXN 128

/* ---- helpers ------------------------------------------------------------ */

/* A list of answers being built up by a test. */
struct answers {
	const char *codes[MAXN];
	enum answer ans[MAXN];
	size_t n;
};

static void add(struct answers *a, const char *code, enum answer ans)
{
	assert_true(a->n < MAXN);
	assert_non_null(indicator_find(&delphi_adult_labour, code));
	a->codes[a->n] = code;
	a->ans[a->n] = ans;
	a->n++;
}

static void add_yes(struct answers *a, const char *code)
{
	add(a, code, ANS_YES);
}

static void eval(const struct answers *a, int child, struct screening_result *r)
{
	char err[256] = "";

	if (screening_evaluate(&delphi_adult_labour, a->codes, a->ans, a->n, child, r, err,
			       sizeof err) != 0)
		fail_msg("screening_evaluate failed: %s", err);
}

/* Evaluates a and checks that dimension dim (1..6) is positive or not,
 * and that no other dimension is positive. */
static void assert_only_dim(const struct answers *a, int dim, int positive)
{
	struct screening_result r;
	int k;

	eval(a, 0, &r);
	for (k = 1; k <= INDICATOR_DIMENSIONS; k++) {
		int want = k == dim ? positive : 0;
		if (r.dim[k - 1].positive != want)
			fail_msg("D%d: positive=%d, expected %d", k, r.dim[k - 1].positive, want);
	}
}

/* The n-th item (0-based) of dimension dim with strength s, or NULL. */
static const char *nth(int dim, enum indicator_strength s, size_t n)
{
	size_t i;

	for (i = 0; i < delphi_adult_labour.n; i++) {
		const struct indicator *it = &delphi_adult_labour.items[i];
		if (it->dimension == dim && it->strength == s && n-- == 0)
			return it->code;
	}
	return NULL;
}

static size_t count_of(int dim, enum indicator_strength s)
{
	size_t i, c = 0;

	for (i = 0; i < delphi_adult_labour.n; i++)
		if (delphi_adult_labour.items[i].dimension == dim &&
		    delphi_adult_labour.items[i].strength == s)
			c++;
	return c;
}

/* Adds s strong, m medium and w weak items of dim answered yes. */
static void add_mix(struct answers *a, int dim, size_t s, size_t m, size_t w)
{
	size_t i;

	for (i = 0; i < s; i++)
		add_yes(a, nth(dim, STRENGTH_STRONG, i));
	for (i = 0; i < m; i++)
		add_yes(a, nth(dim, STRENGTH_MEDIUM, i));
	for (i = 0; i < w; i++)
		add_yes(a, nth(dim, STRENGTH_WEAK, i));
}

/* ---- the rule per dimension: named edge cases --------------------------- */

static void test_no_answers(void **state)
{
	struct screening_result r;
	struct answers a = {0};
	int k;

	(void)state;
	eval(&a, 0, &r);
	for (k = 0; k < INDICATOR_DIMENSIONS; k++) {
		assert_false(r.dim[k].positive);
		assert_int_equal(r.dim[k].yes, 0);
		assert_int_equal(r.dim[k].answered, 0);
	}
	assert_int_equal(r.suggestion, SUGGESTION_NONE);
	assert_int_equal(r.answered, 0);
	assert_int_equal(r.unanswered, delphi_adult_labour.n);

	/* NULL arrays are fine when n is 0 */
	assert_int_equal(screening_evaluate(&delphi_adult_labour, NULL, NULL, 0, 1, &r, NULL, 0),
			 0);
	assert_int_equal(r.suggestion, SUGGESTION_NONE);
}

static void test_one_strong_only_negative(void **state)
{
	struct answers a = {0};

	(void)state;
	add_yes(&a, "D1-S1");
	assert_only_dim(&a, 1, 0);
	a.n = 0;
	add_yes(&a, "D5-S3");
	assert_only_dim(&a, 5, 0);
	a.n = 0;
	add_yes(&a, "D4-S1");
	assert_only_dim(&a, 4, 0);
}

static void test_two_strong_positive(void **state)
{
	struct answers a = {0};

	(void)state;
	add_yes(&a, "D5-S1");
	add_yes(&a, "D5-S4");
	assert_only_dim(&a, 5, 1);
}

static void test_strong_and_weak_positive(void **state)
{
	struct answers a = {0};

	(void)state;
	add_yes(&a, "D1-S1");
	add_yes(&a, "D1-W1");
	assert_only_dim(&a, 1, 1);
	a.n = 0;
	add_yes(&a, "D4-S1");
	add_yes(&a, "D4-W1");
	assert_only_dim(&a, 4, 1);
	a.n = 0;
	add_yes(&a, "D5-S2");
	add_yes(&a, "D5-W1");
	assert_only_dim(&a, 5, 1);
}

static void test_strong_and_medium_positive(void **state)
{
	struct answers a = {0};

	(void)state;
	add_yes(&a, "D1-S1");
	add_yes(&a, "D1-M7");
	assert_only_dim(&a, 1, 1);
	a.n = 0;
	add_yes(&a, "D2-S1");
	add_yes(&a, "D2-M9");
	assert_only_dim(&a, 2, 1);
	a.n = 0;
	add_yes(&a, "D4-M3");
	add_yes(&a, "D4-S1");
	assert_only_dim(&a, 4, 1);
}

static void test_three_medium_positive(void **state)
{
	static const char *const d[INDICATOR_DIMENSIONS][3] = {
		{"D1-M1", "D1-M2", "D1-M3"}, {"D2-M1", "D2-M5", "D2-M9"},
		{"D3-M1", "D3-M13", "D3-M14"}, {"D4-M1", "D4-M2", "D4-M7"},
		{"D5-M1", "D5-M5", "D5-M10"}, {"D6-M1", "D6-M3", "D6-M5"},
	};
	int k;

	(void)state;
	for (k = 0; k < INDICATOR_DIMENSIONS; k++) {
		struct answers a = {0};
		add_yes(&a, d[k][0]);
		add_yes(&a, d[k][1]);
		assert_only_dim(&a, k + 1, 0);  /* two are not enough */
		add_yes(&a, d[k][2]);
		assert_only_dim(&a, k + 1, 1);
	}
}

static void test_two_medium_and_weak_positive(void **state)
{
	struct answers a = {0};

	(void)state;
	add_yes(&a, "D3-M2");
	add_yes(&a, "D3-M4");
	add_yes(&a, "D3-W2");
	assert_only_dim(&a, 3, 1);
	a.n = 0;
	add_yes(&a, "D6-W1");
	add_yes(&a, "D6-M1");
	add_yes(&a, "D6-M2");
	assert_only_dim(&a, 6, 1);
	a.n = 0;
	add_yes(&a, "D1-M1");
	add_yes(&a, "D1-M8");
	add_yes(&a, "D1-W1");
	assert_only_dim(&a, 1, 1);
}

static void test_two_medium_only_negative(void **state)
{
	struct answers a = {0};

	(void)state;
	add_yes(&a, "D4-M1");
	add_yes(&a, "D4-M2");
	assert_only_dim(&a, 4, 0);
	a.n = 0;
	add_yes(&a, "D6-M4");
	add_yes(&a, "D6-M5");
	assert_only_dim(&a, 6, 0);
}

static void test_two_weak_one_medium_negative(void **state)
{
	struct answers a = {0};

	(void)state;
	add_yes(&a, "D3-W1");
	add_yes(&a, "D3-W2");
	add_yes(&a, "D3-M6");
	assert_only_dim(&a, 3, 0);
	a.n = 0;
	add_yes(&a, "D6-W1");
	add_yes(&a, "D6-W2");
	add_yes(&a, "D6-M3");
	assert_only_dim(&a, 6, 0);
}

static void test_weak_only_negative(void **state)
{
	struct answers a = {0};

	(void)state;
	/* every weak item of the whole set, yes: at most 2 in a dimension */
	for (size_t i = 0; i < delphi_adult_labour.n; i++)
		if (delphi_adult_labour.items[i].strength == STRENGTH_WEAK)
			add_yes(&a, delphi_adult_labour.items[i].code);
	assert_int_equal(a.n, 7);  /* D1 1, D3 2, D4 1, D5 1, D6 2 */
	assert_only_dim(&a, 0, 0);
}

/* A strong item answered anything but yes does not count. */
static void test_non_yes_strong_absent(void **state)
{
	static const enum answer others[] = {ANS_NO, ANS_UNKNOWN, ANS_DECLINED};
	size_t i;

	(void)state;
	for (i = 0; i < COUNT(others); i++) {
		struct answers a = {0};
		struct screening_result r;

		/* 1 strong yes + 1 strong other: only one strong counts */
		add_yes(&a, "D5-S1");
		add(&a, "D5-S2", others[i]);
		assert_only_dim(&a, 5, 0);

		/* strong other + medium yes: the medium alone is not enough */
		a.n = 0;
		add(&a, "D1-S1", others[i]);
		add_yes(&a, "D1-M1");
		assert_only_dim(&a, 1, 0);
		eval(&a, 0, &r);
		assert_int_equal(r.dim[0].strong, 0);
		assert_int_equal(r.dim[0].medium, 1);
		assert_int_equal(r.dim[0].yes, 1);
		assert_int_equal(r.dim[0].answered, 2);

		/* every item of the set answered the same non-yes answer */
		a.n = 0;
		for (size_t j = 0; j < delphi_adult_labour.n; j++)
			add(&a, delphi_adult_labour.items[j].code, others[i]);
		assert_only_dim(&a, 0, 0);
		eval(&a, 1, &r);
		assert_int_equal(r.suggestion, SUGGESTION_NONE);
		assert_int_equal(r.answered, delphi_adult_labour.n);
		assert_int_equal(r.unanswered, 0);
		assert_int_equal(r.yes, 0);
	}
}

/* ---- the rule per dimension: exhaustive --------------------------------- */

/* The rule restated as its minimal positive combinations: positive when
 * (strong, medium, weak) is at least one of these in every component. */
static int oracle_positive(size_t s, size_t m, size_t w)
{
	static const size_t minimal[][3] = {
		{2, 0, 0}, {1, 1, 0}, {1, 0, 1}, {0, 3, 0}, {0, 2, 1},
	};
	size_t i;

	for (i = 0; i < COUNT(minimal); i++)
		if (s >= minimal[i][0] && m >= minimal[i][1] && w >= minimal[i][2])
			return 1;
	return 0;
}

static void test_rule_exhaustive(void **state)
{
	int dim;
	size_t cases = 0;

	(void)state;
	for (dim = 1; dim <= INDICATOR_DIMENSIONS; dim++) {
		size_t ns = count_of(dim, STRENGTH_STRONG);
		size_t nm = count_of(dim, STRENGTH_MEDIUM);
		size_t nw = count_of(dim, STRENGTH_WEAK);
		size_t s, m, w;

		for (s = 0; s <= ns && s <= 3; s++)
			for (m = 0; m <= nm && m <= 4; m++)
				for (w = 0; w <= nw && w <= 3; w++) {
					struct answers a = {0};
					struct screening_result r;
					struct screening_dimension *d = &r.dim[dim - 1];

					add_mix(&a, dim, s, m, w);
					eval(&a, 0, &r);
					if (d->positive != oracle_positive(s, m, w))
						fail_msg("D%d s=%zu m=%zu w=%zu: positive=%d", dim,
							 s, m, w, d->positive);
					assert_int_equal(d->strong, s);
					assert_int_equal(d->medium, m);
					assert_int_equal(d->weak, w);
					assert_int_equal(d->yes, s + m + w);
					assert_int_equal(d->answered, s + m + w);
					assert_int_equal(d->items, ns + nm + nw);
					cases++;
				}
	}
	assert_true(cases > 100);
}

/* ---- the suggestion ----------------------------------------------------- */

/* Answers that make exactly dimension dim positive. */
static void make_positive(struct answers *a, int dim)
{
	switch (dim) {
	case 1: add_yes(a, "D1-S1"); add_yes(a, "D1-M1"); break;
	case 2: add_yes(a, "D2-S1"); add_yes(a, "D2-M2"); break;
	case 3: add_yes(a, "D3-M1"); add_yes(a, "D3-M2"); add_yes(a, "D3-M3"); break;
	case 4: add_yes(a, "D4-S1"); add_yes(a, "D4-M1"); break;
	case 5: add_yes(a, "D5-S1"); add_yes(a, "D5-S2"); break;
	case 6: add_yes(a, "D6-M1"); add_yes(a, "D6-M2"); add_yes(a, "D6-W1"); break;
	default: fail();
	}
}

static enum suggestion suggestion_of(const int *dims, size_t n, int child)
{
	struct answers a = {0};
	struct screening_result r;
	size_t i;

	for (i = 0; i < n; i++)
		make_positive(&a, dims[i]);
	eval(&a, child, &r);
	for (i = 0; i < n; i++)
		assert_true(r.dim[dims[i] - 1].positive);
	assert_int_equal(r.child, child);
	return r.suggestion;
}

static void test_suggestion_d4_alone(void **state)
{
	static const int d[] = {4};

	(void)state;
	assert_int_equal(suggestion_of(d, COUNT(d), 0), SUGGESTION_EXPLOITATION);
	assert_int_equal(suggestion_of(d, COUNT(d), 1), SUGGESTION_EXPLOITATION);
}

static void test_suggestion_d1_d4_d5(void **state)
{
	static const int d[] = {1, 4, 5};

	(void)state;
	assert_int_equal(suggestion_of(d, COUNT(d), 0), SUGGESTION_TRAFFICKING);
	assert_int_equal(suggestion_of(d, COUNT(d), 1), SUGGESTION_TRAFFICKING);
}

static void test_suggestion_d3_d4_d6(void **state)
{
	static const int d[] = {3, 4, 6};

	(void)state;
	assert_int_equal(suggestion_of(d, COUNT(d), 0), SUGGESTION_TRAFFICKING);
}

static void test_suggestion_d2_d4_d5(void **state)
{
	static const int d[] = {2, 4, 5};

	(void)state;
	assert_int_equal(suggestion_of(d, COUNT(d), 0), SUGGESTION_TRAFFICKING);
}

static void test_suggestion_no_d4_none(void **state)
{
	static const int d[] = {1, 5};
	static const int all_but_4[] = {1, 2, 3, 5, 6};

	(void)state;
	assert_int_equal(suggestion_of(d, COUNT(d), 0), SUGGESTION_NONE);
	assert_int_equal(suggestion_of(d, COUNT(d), 1), SUGGESTION_NONE);
	assert_int_equal(suggestion_of(all_but_4, COUNT(all_but_4), 0), SUGGESTION_NONE);
	assert_int_equal(suggestion_of(all_but_4, COUNT(all_but_4), 1), SUGGESTION_NONE);
}

static void test_suggestion_child_needs_no_means(void **state)
{
	static const int d[] = {1, 4};
	static const int d3[] = {3, 4};

	(void)state;
	assert_int_equal(suggestion_of(d, COUNT(d), 0), SUGGESTION_EXPLOITATION);
	assert_int_equal(suggestion_of(d, COUNT(d), 1), SUGGESTION_TRAFFICKING);
	assert_int_equal(suggestion_of(d3, COUNT(d3), 0), SUGGESTION_EXPLOITATION);
	assert_int_equal(suggestion_of(d3, COUNT(d3), 1), SUGGESTION_TRAFFICKING);
}

static void test_suggestion_means_without_recruitment(void **state)
{
	static const int d[] = {4, 5, 6};

	(void)state;
	assert_int_equal(suggestion_of(d, COUNT(d), 0), SUGGESTION_EXPLOITATION);
	assert_int_equal(suggestion_of(d, COUNT(d), 1), SUGGESTION_EXPLOITATION);
}

/* Every subset of positive dimensions, adult and child, against the rule
 * restated. */
static void test_suggestion_matrix(void **state)
{
	unsigned mask;

	(void)state;
	for (mask = 0; mask < 64; mask++) {
		int dims[INDICATOR_DIMENSIONS], p[INDICATOR_DIMENSIONS + 1] = {0};
		size_t n = 0;
		int child;

		for (int k = 1; k <= INDICATOR_DIMENSIONS; k++)
			if (mask & (1u << (k - 1))) {
				dims[n++] = k;
				p[k] = 1;
			}
		for (child = 0; child <= 1; child++) {
			enum suggestion want = SUGGESTION_NONE;
			if (p[4]) {
				int recruit = p[1] || p[2] || p[3];
				int means = p[5] || p[6];
				want = recruit && (means || child) ? SUGGESTION_TRAFFICKING
								   : SUGGESTION_EXPLOITATION;
			}
			enum suggestion got = suggestion_of(dims, n, child);
			if (got != want)
				fail_msg("mask %02x child %d: %s, expected %s", mask, child,
					 screening_suggestion_name(got),
					 screening_suggestion_name(want));
		}
	}
}

static void test_counts(void **state)
{
	struct answers a = {0};
	struct screening_result r;

	(void)state;
	add_yes(&a, "D1-S1");
	add(&a, "D1-M1", ANS_NO);
	add(&a, "D2-M2", ANS_UNKNOWN);
	add(&a, "D5-S1", ANS_DECLINED);
	add_yes(&a, "D5-W1");
	add_yes(&a, "D5-M3");
	eval(&a, 0, &r);
	assert_int_equal(r.answered, 6);
	assert_int_equal(r.unanswered, delphi_adult_labour.n - 6);
	assert_int_equal(r.yes, 3);
	assert_int_equal(r.no, 1);
	assert_int_equal(r.unknown, 1);
	assert_int_equal(r.declined, 1);
	assert_int_equal(r.dim[0].answered, 2);
	assert_int_equal(r.dim[0].yes, 1);
	assert_int_equal(r.dim[0].strong, 1);
	assert_int_equal(r.dim[1].answered, 1);
	assert_int_equal(r.dim[1].yes, 0);
	assert_int_equal(r.dim[4].answered, 3);
	assert_int_equal(r.dim[4].yes, 2);
	assert_int_equal(r.dim[4].strong, 0);
	assert_int_equal(r.dim[4].medium, 1);
	assert_int_equal(r.dim[4].weak, 1);
	assert_false(r.dim[4].positive);
	assert_int_equal(r.dim[0].items, 10);
	assert_int_equal(r.dim[4].items, 15);
}

/* ---- rejected input ----------------------------------------------------- */

static void test_unknown_code_rejected(void **state)
{
	static const char *const bad[] = {"D7-S1", "d1-s1", "D1-S2", "", "D1-S1 ", "deception"};
	size_t i;

	(void)state;
	for (i = 0; i < COUNT(bad); i++) {
		const char *codes[] = {"D1-S1", bad[i]};
		enum answer ans[] = {ANS_YES, ANS_YES};
		struct screening_result r;
		char err[128] = "";

		assert_int_equal(screening_evaluate(&delphi_adult_labour, codes, ans, 2, 0, &r, err,
						    sizeof err), -1);
		assert_non_null(strstr(err, "unknown indicator"));
		assert_int_equal(r.answered, 0);  /* zeroed: no partial result */
		assert_int_equal(r.suggestion, SUGGESTION_NONE);
	}
}

static void test_duplicate_rejected(void **state)
{
	const char *codes[] = {"D4-S1", "D4-M1", "D4-S1"};
	enum answer ans[] = {ANS_YES, ANS_YES, ANS_NO};
	struct screening_result r;
	char err[128] = "";

	(void)state;
	assert_int_equal(screening_evaluate(&delphi_adult_labour, codes, ans, 3, 0, &r, err,
					    sizeof err), -1);
	assert_non_null(strstr(err, "D4-S1"));
	assert_non_null(strstr(err, "twice"));

	/* a duplicate with the same answer, too */
	ans[2] = ANS_YES;
	assert_int_equal(screening_evaluate(&delphi_adult_labour, codes, ans, 3, 0, &r, NULL, 0),
			 -1);
}

static void test_other_bad_input(void **state)
{
	const char *codes[] = {"D4-S1", NULL};
	enum answer ans[] = {ANS_YES, ANS_YES};
	const char *ilo[] = {"deception"};
	struct screening_result r;
	char err[128] = "";
	char tiny[4] = "xxx";

	(void)state;
	/* NULL code */
	assert_int_equal(screening_evaluate(&delphi_adult_labour, codes, ans, 2, 0, &r, err,
					    sizeof err), -1);
	/* answer out of range */
	codes[1] = "D4-M1";
	ans[1] = (enum answer)7;
	assert_int_equal(screening_evaluate(&delphi_adult_labour, codes, ans, 2, 0, &r, err,
					    sizeof err), -1);
	assert_non_null(strstr(err, "invalid answer"));
	/* arrays missing for n > 0 */
	assert_int_equal(screening_evaluate(&delphi_adult_labour, NULL, ans, 1, 0, &r, err,
					    sizeof err), -1);
	/* the ILO checklist has no combination rule */
	ans[0] = ANS_YES;
	assert_int_equal(screening_evaluate(&ilo_forced_labour, ilo, ans, 1, 0, &r, err,
					    sizeof err), -1);
	assert_non_null(strstr(err, "ilo-forced-labour"));
	assert_int_equal(screening_evaluate(NULL, NULL, NULL, 0, 0, &r, err, sizeof err), -1);
	/* a short error buffer is truncated, not overrun */
	assert_int_equal(screening_evaluate(NULL, NULL, NULL, 0, 0, &r, tiny, sizeof tiny), -1);
	assert_int_equal(strlen(tiny), 3);
}

/* ---- names and JSON ----------------------------------------------------- */

static void test_answer_parse(void **state)
{
	static const struct { const char *s; enum answer a; } good[] = {
		{"yes", ANS_YES}, {"no", ANS_NO}, {"unknown", ANS_UNKNOWN},
		{"declined", ANS_DECLINED},
	};
	static const char *const bad[] = {"", "Yes", "YES", "y", "n", "yes ", "true", "1",
					  "decline", "unknow"};
	enum answer a;
	size_t i;

	(void)state;
	for (i = 0; i < COUNT(good); i++) {
		a = (enum answer)99;
		assert_int_equal(screening_answer_parse(good[i].s, &a), 0);
		assert_int_equal(a, good[i].a);
		assert_string_equal(screening_answer_name(a), good[i].s);
	}
	for (i = 0; i < COUNT(bad); i++) {
		a = ANS_NO;
		assert_int_equal(screening_answer_parse(bad[i], &a), -1);
		assert_int_equal(a, ANS_NO);
	}
	assert_int_equal(screening_answer_parse(NULL, &a), -1);
	assert_string_equal(screening_answer_name((enum answer)9), "?");
}

static void test_suggestion_names(void **state)
{
	(void)state;
	assert_string_equal(screening_suggestion_name(SUGGESTION_TRAFFICKING), "trafficking");
	assert_string_equal(screening_suggestion_name(SUGGESTION_EXPLOITATION), "exploitation");
	assert_string_equal(screening_suggestion_name(SUGGESTION_NONE), "none");
	assert_string_equal(screening_suggestion_name((enum suggestion)9), "?");
}

static void test_result_json(void **state)
{
	static const int d[] = {1, 4, 5};
	struct answers a = {0};
	struct screening_result r;
	json_t *j;
	char *s;
	size_t i;

	(void)state;
	for (i = 0; i < COUNT(d); i++)
		make_positive(&a, d[i]);
	eval(&a, 0, &r);
	j = screening_result_json(&r);
	assert_non_null(j);
	s = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
	assert_string_equal(s, "{\"dimensions\":{\"D1\":true,\"D2\":false,\"D3\":false,"
			       "\"D4\":true,\"D5\":true,\"D6\":false},"
			       "\"suggestion\":\"trafficking\"}");
	free(s);
	json_decref(j);
}

/* The items answered yes of each positive dimension, and of no other. */
static void test_because_json(void **state)
{
	struct answers a = {0};
	struct screening_result r;
	json_t *j;
	char *s;

	(void)state;
	add_yes(&a, "D5-S1");
	add_yes(&a, "D5-S4");
	add(&a, "D5-M1", ANS_NO);
	add_yes(&a, "D4-S1"); /* one strong alone: D4 stays negative */
	eval(&a, 0, &r);
	j = screening_because_json(&delphi_adult_labour, a.codes, a.ans, a.n, &r);
	assert_non_null(j);
	s = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
	assert_string_equal(s, "{\"D5\":[\"D5-S1\",\"D5-S4\"]}");
	free(s);
	json_decref(j);
}

/* A child is under 18 at recruitment: from the birth date, else from the
 * age estimated at the case's opening; at recruitment, else at the start
 * of the exploitation, else today. */
static void test_child_age(void **state)
{
	struct screening_age g;

	(void)state;
	/* Born 2008-03-01, recruited 2024-02-28: 15, a child, though 18 now. */
	screening_child_age("2008-03-01", -1, "2026-05-01", "2024-02-28", "2024-06-01",
			    "2026-12-06", &g);
	assert_true(g.known);
	assert_true(g.child);
	assert_int_equal(g.age, 15);
	assert_string_equal(g.basis, "birth_date");
	assert_string_equal(g.event, "recruitment");
	assert_string_equal(g.on, "2024-02-28");
	/* No recruitment date: the start of the exploitation, 18 that day. */
	screening_child_age("2008-03-01", -1, "2026-05-01", NULL, "2026-03-01", "2026-12-06", &g);
	assert_false(g.child);
	assert_int_equal(g.age, 18);
	assert_string_equal(g.event, "exploitation_start");
	/* Neither: today. */
	screening_child_age("2010-01-01", -1, "2026-05-01", NULL, NULL, "2026-12-06", &g);
	assert_true(g.child);
	assert_string_equal(g.event, "screening");
	assert_string_equal(g.on, "2026-12-06");
	/* Estimated 19 at the opening in 2026, recruited in 2023: 16 then. */
	screening_child_age(NULL, 19, "2026-05-01", "2023-04-01", NULL, "2026-12-06", &g);
	assert_true(g.known);
	assert_true(g.child);
	assert_int_equal(g.age, 16);
	assert_string_equal(g.basis, "estimated_age");
	/* Estimated 17 at the opening, screened a year and a half later: 18. */
	screening_child_age(NULL, 17, "2025-05-01", NULL, NULL, "2026-12-06", &g);
	assert_false(g.child);
	assert_int_equal(g.age, 18);
	/* Nothing known. */
	screening_child_age(NULL, -1, "2025-05-01", "2023-04-01", NULL, "2026-12-06", &g);
	assert_false(g.known);
	assert_false(g.child);
	assert_null(g.basis);
	/* A recruitment before the birth answers unknown, not a negative age. */
	screening_child_age("2010-01-01", -1, "2025-05-01", "2009-04-01", NULL, "2026-12-06", &g);
	assert_false(g.known);
}

/* ---- the tables --------------------------------------------------------- */

static void test_table_count(void **state)
{
	(void)state;
	/* the data rows of reference/indicators-delphi-adult-labour.csv */
	assert_int_equal(delphi_adult_labour.n, 67);
	assert_string_equal(delphi_adult_labour.id, "delphi-adult-labour");
	assert_int_equal(ilo_forced_labour.n, 11);
	assert_string_equal(ilo_forced_labour.id, "ilo-forced-labour");
}

/* Strong, medium and weak items per dimension, counted in the CSV. */
static void test_table_strengths_per_dimension(void **state)
{
	static const size_t want[INDICATOR_DIMENSIONS][3] = {
		/* strong medium weak */
		{1, 8, 1},    /* D1 */
		{1, 9, 0},    /* D2 */
		{0, 14, 2},   /* D3 */
		{1, 7, 1},    /* D4 */
		{4, 10, 1},   /* D5 */
		{0, 5, 2},    /* D6 */
	};
	int k;

	(void)state;
	for (k = 1; k <= INDICATOR_DIMENSIONS; k++) {
		if (count_of(k, STRENGTH_STRONG) != want[k - 1][0] ||
		    count_of(k, STRENGTH_MEDIUM) != want[k - 1][1] ||
		    count_of(k, STRENGTH_WEAK) != want[k - 1][2])
			fail_msg("D%d: %zu strong, %zu medium, %zu weak", k,
				 count_of(k, STRENGTH_STRONG), count_of(k, STRENGTH_MEDIUM),
				 count_of(k, STRENGTH_WEAK));
	}
}

/* Codes are "D<dim>-<S|M|W><n>", agreeing with dimension and strength,
 * numbered 1, 2, ... within their dimension and strength, and unique. */
static void test_table_codes(void **state)
{
	size_t i, j;

	(void)state;
	assert_true(indicator_set_weighted(&delphi_adult_labour));
	assert_false(indicator_set_weighted(&ilo_forced_labour));
	for (i = 0; i < delphi_adult_labour.n; i++) {
		const struct indicator *it = &delphi_adult_labour.items[i];
		char want[16];
		char letter;
		size_t ordinal = 0;

		assert_true(it->dimension >= 1 && it->dimension <= INDICATOR_DIMENSIONS);
		switch (it->strength) {
		case STRENGTH_STRONG: letter = 'S'; break;
		case STRENGTH_MEDIUM: letter = 'M'; break;
		case STRENGTH_WEAK: letter = 'W'; break;
		default: fail_msg("%s: strength %d", it->code, (int)it->strength); return;
		}
		for (j = 0; j < i; j++)
			if (delphi_adult_labour.items[j].dimension == it->dimension &&
			    delphi_adult_labour.items[j].strength == it->strength)
				ordinal++;
		snprintf(want, sizeof want, "D%d-%c%zu", it->dimension, letter, ordinal + 1);
		assert_string_equal(it->code, want);
		assert_ptr_equal(indicator_find(&delphi_adult_labour, it->code), it);
		assert_ptr_equal(indicator_lookup("delphi-adult-labour", it->code), it);
	}
	for (i = 0; i < delphi_adult_labour.n; i++)
		for (j = i + 1; j < delphi_adult_labour.n; j++)
			assert_string_not_equal(delphi_adult_labour.items[i].code,
						delphi_adult_labour.items[j].code);
}

/* The ILO 11 codes of reference/codes.json, in its order. */
static void test_table_ilo(void **state)
{
	static const char *const codes[] = {
		"abuse_of_vulnerability", "deception", "restriction_of_movement", "isolation",
		"physical_and_sexual_violence", "intimidation_and_threats",
		"retention_of_identity_documents", "withholding_of_wages", "debt_bondage",
		"abusive_working_and_living_conditions", "excessive_overtime",
	};
	size_t i;

	(void)state;
	assert_int_equal(ilo_forced_labour.n, COUNT(codes));
	for (i = 0; i < COUNT(codes); i++) {
		assert_string_equal(ilo_forced_labour.items[i].code, codes[i]);
		assert_int_equal(ilo_forced_labour.items[i].dimension, 0);
		assert_int_equal(ilo_forced_labour.items[i].strength, STRENGTH_UNWEIGHTED);
	}
}

static int has_ascii_letter(const char *s)
{
	for (; *s; s++)
		if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z'))
			return 1;
	return 0;
}

/* 1 when s contains one of the n strings. */
static int has_any(const char *s, const char *const *needles, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strstr(s, needles[i]))
			return 1;
	return 0;
}

/* Tajik letters, and the legacy-font letters that stood in for them. */
static const char *const tajik_letters[] = {
	"Ғ", "ғ", "Ӣ", "ӣ", "Қ", "қ", "Ӯ", "ӯ", "Ҳ", "ҳ", "Ҷ", "ҷ",
};
static const char *const legacy_letters[] = {"Њ", "Ќ", "Ў", "Ї", "Ѓ", "Љ", "њ", "ќ", "ў", "ї", "ѓ", "љ"};

static void check_labels(const char *what, const char *tg, const char *ru, const char *en)
{
	const char *l[] = {tg, ru, en};
	size_t i;

	for (i = 0; i < COUNT(l); i++) {
		if (!l[i] || !l[i][0])
			fail_msg("%s: label %zu empty", what, i);
		if (!utf8_valid(l[i], strlen(l[i])))
			fail_msg("%s: label %zu not UTF-8", what, i);
		if (l[i][0] == ' ' || l[i][strlen(l[i]) - 1] == ' ' || strstr(l[i], "  "))
			fail_msg("%s: label %zu has stray spaces", what, i);
	}
	/* Cyrillic without Latin look-alikes; Russian without Tajik letters;
	 * Tajik without legacy-font letters */
	if (has_ascii_letter(tg) || has_ascii_letter(ru))
		fail_msg("%s: Latin letters in a Cyrillic label", what);
	if (has_any(ru, tajik_letters, COUNT(tajik_letters)))
		fail_msg("%s: Tajik letters in the Russian label", what);
	if (has_any(tg, legacy_letters, COUNT(legacy_letters)))
		fail_msg("%s: legacy-font letters in the Tajik label", what);
	if (strcmp(tg, ru) == 0)
		fail_msg("%s: Tajik and Russian labels are the same", what);
}

static void test_table_labels(void **state)
{
	size_t s, i, with_tajik = 0;

	(void)state;
	for (s = 0; s < all_indicator_sets_count; s++) {
		const struct indicator_set *set = all_indicator_sets[s];
		for (i = 0; i < set->n; i++) {
			const struct indicator *it = &set->items[i];
			check_labels(it->code, it->label_tg, it->label_ru, it->label_en);
			with_tajik += has_any(it->label_tg, tajik_letters, COUNT(tajik_letters));
		}
	}
	for (i = 0; i < INDICATOR_DIMENSIONS; i++) {
		const struct indicator_dimension *d = &indicator_dimensions[i];
		char code[4];
		snprintf(code, sizeof code, "D%zu", i + 1);
		assert_int_equal(d->number, (int)i + 1);
		assert_string_equal(d->code, code);
		check_labels(d->code, d->label_tg, d->label_ru, d->label_en);
	}
	/* written with Tajik letters, not Russian stand-ins: most labels
	 * need at least one */
	assert_true(with_tajik * 10 >= (delphi_adult_labour.n + ilo_forced_labour.n) * 8);
}

static void test_lookup(void **state)
{
	(void)state;
	assert_ptr_equal(indicator_set_find("delphi-adult-labour"), &delphi_adult_labour);
	assert_ptr_equal(indicator_set_find("ilo-forced-labour"), &ilo_forced_labour);
	assert_null(indicator_set_find("delphi-child-labour"));
	assert_null(indicator_set_find(""));
	assert_null(indicator_set_find(NULL));
	assert_string_equal(indicator_lookup("delphi-adult-labour", "D5-S2")->label_en,
			    "Debt bondage");
	assert_string_equal(indicator_lookup("ilo-forced-labour", "debt_bondage")->label_ru,
			    "Долговая кабала");
	assert_null(indicator_lookup("delphi-adult-labour", "debt_bondage"));
	assert_null(indicator_lookup("ilo-forced-labour", "D5-S2"));
	assert_null(indicator_lookup("nope", "D5-S2"));
	assert_null(indicator_find(&delphi_adult_labour, NULL));
	assert_null(indicator_find(NULL, "D1-S1"));
	assert_string_equal(indicator_strength_name(STRENGTH_STRONG), "strong");
	assert_string_equal(indicator_strength_name(STRENGTH_MEDIUM), "medium");
	assert_string_equal(indicator_strength_name(STRENGTH_WEAK), "weak");
	assert_string_equal(indicator_strength_name(STRENGTH_UNWEIGHTED), "unweighted");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_because_json),
		cmocka_unit_test(test_child_age),
		cmocka_unit_test(test_no_answers),
		cmocka_unit_test(test_one_strong_only_negative),
		cmocka_unit_test(test_two_strong_positive),
		cmocka_unit_test(test_strong_and_weak_positive),
		cmocka_unit_test(test_strong_and_medium_positive),
		cmocka_unit_test(test_three_medium_positive),
		cmocka_unit_test(test_two_medium_and_weak_positive),
		cmocka_unit_test(test_two_medium_only_negative),
		cmocka_unit_test(test_two_weak_one_medium_negative),
		cmocka_unit_test(test_weak_only_negative),
		cmocka_unit_test(test_non_yes_strong_absent),
		cmocka_unit_test(test_rule_exhaustive),
		cmocka_unit_test(test_suggestion_d4_alone),
		cmocka_unit_test(test_suggestion_d1_d4_d5),
		cmocka_unit_test(test_suggestion_d3_d4_d6),
		cmocka_unit_test(test_suggestion_d2_d4_d5),
		cmocka_unit_test(test_suggestion_no_d4_none),
		cmocka_unit_test(test_suggestion_child_needs_no_means),
		cmocka_unit_test(test_suggestion_means_without_recruitment),
		cmocka_unit_test(test_suggestion_matrix),
		cmocka_unit_test(test_counts),
		cmocka_unit_test(test_unknown_code_rejected),
		cmocka_unit_test(test_duplicate_rejected),
		cmocka_unit_test(test_other_bad_input),
		cmocka_unit_test(test_answer_parse),
		cmocka_unit_test(test_suggestion_names),
		cmocka_unit_test(test_result_json),
		cmocka_unit_test(test_table_count),
		cmocka_unit_test(test_table_strengths_per_dimension),
		cmocka_unit_test(test_table_codes),
		cmocka_unit_test(test_table_ilo),
		cmocka_unit_test(test_table_labels),
		cmocka_unit_test(test_lookup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
