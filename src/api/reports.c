/*
 * reports.c - GET /reports/summary and GET /reports/indicators: counts
 * over the report facts (store/reports.h), small cells suppressed with
 * primary and complementary suppression (domain/suppress.h).
 *
 * The facts are refreshed from the cases, persons and services changed
 * since the last pass before every report (api_report_refresh); a case's
 * age band comes from the person's sealed date of birth at the date the
 * case was opened, or the coded estimated age.
 *
 * Rows stream from constant queries and are counted here, so that any
 * combination of dimensions costs one pass over the cases plus one over
 * the codes of each multi-valued dimension asked for (exploitation
 * types, countries, services), whatever the combination.
 *
 * Who sees what: report.summary / report.indicators in the policy table.
 * A rule without conditions (analyst) counts every organisation of the
 * installation; a rule of the own organisation (supervisor) counts that
 * organisation's cases only.  No answer ever names an organisation: the
 * "org" dimension is its HTCDS type, or "own" for the caller's.
 *
 * Every table and every figure passes one guard before it is written
 * (report_guard, figure_guard; the writers assert it): figures across
 * organisations are perturbed by the cell-key method (domain/cellkey.h),
 * whatever the filters, breakdown and period, so that no pair of answers
 * recovers a small count; the own organisation's figures stay exact, with
 * small cells suppressed (domain/suppress.h).
 */
#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/api.h"
#include "domain/casework.h"
#include "domain/stdexport.h"
#include "codelists.h"
#include "domain/cellkey.h"
#include "domain/consent.h"
#include "domain/record.h"
#include "domain/suppress.h"
#include "store/reports.h"
#include "util/sheet.h"

#include <sodium.h>

#define REPORT_MAX_BY 4
#define REPORT_MAX_VALUES 512
/* A hidden count in a file, whatever hid it: a count under k, or a larger
 * one hidden so that a small one cannot be worked out ("<k" would be false
 * for the second kind, and telling the kinds apart would say more). */
#define HIDDEN_MARK "x"

/* ---- refreshing the facts ------------------------------------------------ */

/* Age bands and whole years: domain/stdexport.h, the one definition the
 * exports use too. */

struct refresh_ctx {
	const keyring *kr;
	store_tx *tx;
	arena scratch;
	unsigned char ckey[CELLKEY_KEYBYTES]; /* of the record keys */
};

static const char *jstr(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static int refresh_case(void *ctx, const struct rp_source *src)
{
	struct refresh_ctx *x = ctx;
	json_t *person = record_open(x->kr, &x->scratch, src->person_coded, src->person_sealed,
				     src->person_sealed_len, src->person_id);
	struct rp_fact f = {0};
	int age = -1, rc;

	f.case_id = src->case_id;
	f.org_id = src->org_id;
	f.org_type = src->org_type;
	f.person_id = src->person_id;
	f.opened_on = src->opened_on;
	f.closed_on = src->closed_on;
	f.status = src->status;
	f.stage = src->stage;
	f.trafficking_status = src->trafficking_status;
	f.identification = casework_identification(src->trafficking_status, src->decided_by);
	f.sector = src->org_sector;
	if (person) {
		json_t *est = json_object_get(person, "estimated_age");
		f.sex = jstr(person, "gender");
		f.region = jstr(person, "region_of_origin");
		f.nationality = jstr(person, "citizenship");
		age = std_years_between(jstr(person, "birth_date"), src->opened_on);
		if (age < 0 && json_is_integer(est))
			age = (int)json_integer_value(est);
	}
	f.age_band = std_age_band(age);
	f.rkey = cellkey_record(x->ckey, src->case_id);
	rc = store_report_fact_put(x->tx, &f);
	json_decref(person);
	arena_free(&x->scratch);
	return rc != STORE_OK;
}

int api_report_refresh_tx(store_tx *tx, const keyring *kr)
{
	struct refresh_ctx x;
	int rc;

	x.kr = kr;
	x.tx = tx;
	cellkey_derive(kr->blind, x.ckey);
	arena_init(&x.scratch, 1u << 20);
	rc = store_report_scan_cases(x.tx, refresh_case, &x);
	if (rc == STORE_OK)
		rc = store_report_derive(x.tx);
	arena_free(&x.scratch);
	sodium_memzero(x.ckey, sizeof x.ckey);
	return rc == STORE_OK ? 0 : -1;
}

int api_report_refresh(store *st, const keyring *kr)
{
	store_tx *tx;
	int rc = store_report_pending(st);

	if (rc <= 0)
		return rc;
	tx = store_begin(st);
	if (!tx)
		return -1;
	if (api_report_refresh_tx(tx, kr) != 0) {
		store_rollback(tx);
		return -1;
	}
	return store_commit(tx) == STORE_OK ? 0 : -1;
}

/* ---- tables of counts ---------------------------------------------------- */

/* The values met along one dimension; NULL stands for "unknown". */
struct dimvals {
	const char *name;
	const char *v[REPORT_MAX_VALUES];
	size_t n;
	int has_null;
	size_t null_at;
};

/* A table ready to print: values sorted, cube counted, then guarded
 * (report_guard: perturbed or suppressed) before any writer reads it. */
struct table {
	size_t ndim;
	struct dimvals *dim[REPORT_MAX_BY];
	struct supp_cube c;
	uint32_t *key;        /* cell keys beside c.count (figures across organisations) */
	size_t suppressed;
	int ok;
	int guarded;
};

/* Index of s along d, added when new; -1 when the dimension is full. */
static long dim_intern(arena *a, struct dimvals *d, const char *s)
{
	size_t i;

	if (!s) {
		if (d->has_null)
			return (long)d->null_at;
	} else {
		for (i = 0; i < d->n; i++)
			if (d->v[i] && d->v[i][0] == s[0] && !strcmp(d->v[i], s))
				return (long)i;
	}
	if (d->n == REPORT_MAX_VALUES)
		return -1;
	if (s) {
		d->v[d->n] = arena_strdup(a, s);
		if (!d->v[d->n])
			return -1;
	} else {
		d->v[d->n] = NULL;
		d->has_null = 1;
		d->null_at = d->n;
	}
	return (long)d->n++;
}

static int cmp_value(const void *a, const void *b)
{
	const char *x = *(const char *const *)a, *y = *(const char *const *)b;
	if (!x || !y)
		return !x - !y; /* unknown last */
	/* Numbers first by value, so that age band 9--17 comes before 18--20. */
	if (x[0] >= '0' && x[0] <= '9' && y[0] >= '0' && y[0] <= '9') {
		long a1 = strtol(x, NULL, 10), b1 = strtol(y, NULL, 10);
		if (a1 != b1)
			return a1 < b1 ? -1 : 1;
	}
	return strcmp(x, y);
}

/* Sort d's values; remap[old] = new. */
static void dim_sort(struct dimvals *d, size_t *remap)
{
	const char *sorted[REPORT_MAX_VALUES];
	size_t i, j;

	memcpy(sorted, d->v, d->n * sizeof *sorted);
	qsort(sorted, d->n, sizeof *sorted, cmp_value);
	for (i = 0; i < d->n; i++)
		for (j = 0; j < d->n; j++)
			if (sorted[j] == d->v[i]) {
				remap[i] = j;
				break;
			}
	memcpy(d->v, sorted, d->n * sizeof *sorted);
}

/* Set up t's cube over the (sorted) dimensions, with cell keys when
 * keys; -1 when too large. */
static int table_alloc(arena *a, struct table *t, int keys)
{
	size_t len[REPORT_MAX_BY], j, size;
	long long *count;
	unsigned char *supp;

	for (j = 0; j < t->ndim; j++)
		len[j] = t->dim[j]->n ? t->dim[j]->n : 1;
	size = suppress_cube_size(t->ndim, len);
	if (!size)
		return -1;
	count = arena_alloc(a, size * sizeof *count);
	supp = arena_alloc(a, size);
	if (!count || !supp)
		return -1;
	if (keys && !(t->key = arena_alloc(a, size * sizeof *t->key)))
		return -1;
	return suppress_cube_init(&t->c, t->ndim, len, count, supp);
}

/* ---- the summary's dimensions -------------------------------------------- */

enum dim_src { DS_COL, DS_MONTH, DS_ORG, DS_EXPLOITATION, DS_COUNTRY, DS_SERVICE };

struct dim_def {
	const char *name;
	enum dim_src src;
	int col;        /* column of RPQ_CASES for DS_COL */
};

static const struct dim_def dim_defs[] = {
	{"sex", DS_COL, 6},
	{"age_band", DS_COL, 7},
	{"exploitation", DS_EXPLOITATION, 0},
	{"country", DS_COUNTRY, 0},
	{"status", DS_COL, 4},
	{"stage", DS_COL, 5},
	{"month", DS_MONTH, 3},
	{"region", DS_COL, 8},
	{"org", DS_ORG, 2},
	{"service_type", DS_SERVICE, 0},
	{"nationality", DS_COL, 9},
	{"trafficking_status", DS_COL, 10},
	{"identification", DS_COL, 12},
	{"sector", DS_COL, 13},
};
#define NDIMS (sizeof dim_defs / sizeof dim_defs[0])

static const struct dim_def *dim_find(const char *name, size_t len)
{
	size_t i;
	for (i = 0; i < NDIMS; i++)
		if (strlen(dim_defs[i].name) == len && !strncmp(dim_defs[i].name, name, len))
			return &dim_defs[i];
	return NULL;
}

/* One multi-valued dimension's (case, value) pairs. */
struct pair {
	unsigned cas;
	unsigned val;
};

struct multi {
	struct pair *p;
	size_t n, cap;
	size_t *start;    /* per case: first pair (after sorting), ncases + 1 */
};

struct agg {
	arena *a;
	const char *own_org;
	size_t ndim;
	const struct dim_def *def[REPORT_MAX_BY];
	struct dimvals *dim[REPORT_MAX_BY];
	/* cases */
	unsigned *vals;   /* ndim per case, for single-valued dimensions */
	uint32_t *rkeys;  /* per case: its record key, when keys */
	int keys;
	size_t ncases, cap;
	int *slot;        /* by the case's n: its index + 1, 0 when not counted */
	size_t nslots;
	struct multi multi[REPORT_MAX_BY];
	int failed;       /* 1 out of memory, 2 too many values */
};

static void agg_free(struct agg *g)
{
	size_t j;
	free(g->vals);
	free(g->rkeys);
	free(g->slot);
	for (j = 0; j < REPORT_MAX_BY; j++) {
		free(g->multi[j].p);
		free(g->multi[j].start);
	}
}

/* The case number n of a row (a positive integer), or 0. */
static size_t case_n(const char *s)
{
	char *end;
	long long n;

	if (!s)
		return 0;
	n = strtoll(s, &end, 10);
	return *end || n <= 0 || n > (1ll << 30) ? 0 : (size_t)n;
}

static int agg_case(void *ctx, const char *const *cols, size_t ncols)
{
	struct agg *g = ctx;
	size_t j;

	size_t n = case_n(cols[0]);

	(void)ncols;
	if (!n)
		return 0;
	if (g->ncases == g->cap) {
		size_t cap = g->cap ? g->cap * 2 : 4096;
		void *vals = realloc(g->vals, cap * (g->ndim ? g->ndim : 1) * sizeof *g->vals);
		if (!vals)
			return g->failed = 1;
		g->vals = vals;
		if (g->keys) {
			void *rk = realloc(g->rkeys, cap * sizeof *g->rkeys);
			if (!rk)
				return g->failed = 1;
			g->rkeys = rk;
		}
		g->cap = cap;
	}
	if (n >= g->nslots) {
		size_t ns = g->nslots ? g->nslots : 4096;
		int *slot;
		while (ns <= n)
			ns *= 2;
		slot = realloc(g->slot, ns * sizeof *slot);
		if (!slot)
			return g->failed = 1;
		memset(slot + g->nslots, 0, (ns - g->nslots) * sizeof *slot);
		g->slot = slot;
		g->nslots = ns;
	}
	g->slot[n] = (int)g->ncases + 1;
	if (g->keys)
		g->rkeys[g->ncases] = cols[11] ? (uint32_t)strtoull(cols[11], NULL, 10) : 0;
	for (j = 0; j < g->ndim; j++) {
		const struct dim_def *d = g->def[j];
		const char *v = NULL;
		char month[8];
		long idx;
		switch (d->src) {
		case DS_COL:
			v = cols[d->col];
			break;
		case DS_MONTH:
			if (cols[3]) {
				snprintf(month, sizeof month, "%.7s", cols[3]);
				v = month;
			}
			break;
		case DS_ORG:
			v = cols[1] && g->own_org && !strcmp(cols[1], g->own_org) ? "own" : cols[2];
			break;
		default:
			continue;
		}
		idx = dim_intern(g->a, g->dim[j], v);
		if (idx < 0)
			return g->failed = 2;
		g->vals[g->ncases * g->ndim + j] = (unsigned)idx;
	}
	g->ncases++;
	return 0;
}

static long agg_lookup(const struct agg *g, const char *num)
{
	size_t n = case_n(num);
	return n && n < g->nslots ? (long)g->slot[n] - 1 : -1;
}

struct multi_ctx {
	struct agg *g;
	size_t j;
};

static int agg_pair(void *ctx, const char *const *cols, size_t ncols)
{
	struct multi_ctx *m = ctx;
	struct agg *g = m->g;
	struct multi *mu = &g->multi[m->j];
	long c, v;

	(void)ncols;
	if (!cols[0] || !cols[1] || (c = agg_lookup(g, cols[0])) < 0)
		return 0;
	v = dim_intern(g->a, g->dim[m->j], cols[1]);
	if (v < 0)
		return g->failed = 2;
	if (mu->n == mu->cap) {
		size_t cap = mu->cap ? mu->cap * 2 : 1024;
		struct pair *p = realloc(mu->p, cap * sizeof *p);
		if (!p)
			return g->failed = 1;
		mu->p = p;
		mu->cap = cap;
	}
	mu->p[mu->n].cas = (unsigned)c;
	mu->p[mu->n].val = (unsigned)v;
	mu->n++;
	return 0;
}

static int cmp_pair(const void *a, const void *b)
{
	const struct pair *x = a, *y = b;
	if (x->cas != y->cas)
		return x->cas < y->cas ? -1 : 1;
	return x->val < y->val ? -1 : x->val > y->val;
}

/* Sort and de-duplicate a dimension's pairs and index them by case. */
static int multi_index(struct agg *g, struct multi *mu)
{
	size_t i, n = 0, c;

	if (mu->n)
		qsort(mu->p, mu->n, sizeof *mu->p, cmp_pair);
	for (i = 0; i < mu->n; i++)
		if (!n || mu->p[i].cas != mu->p[n - 1].cas || mu->p[i].val != mu->p[n - 1].val)
			mu->p[n++] = mu->p[i];
	mu->n = n;
	mu->start = calloc(g->ncases + 1, sizeof *mu->start);
	if (!mu->start)
		return -1;
	for (i = 0, c = 0; c <= g->ncases; c++) {
		while (i < n && mu->p[i].cas < c)
			i++;
		mu->start[c] = i;
	}
	return 0;
}

/* Count every case into the cube: the cells of all its combinations, and
 * the exact 1-D margins and total (a case counts once in each); with
 * keys, add its record key alike. */
static void agg_count(struct agg *g, struct table *t, size_t remap[][REPORT_MAX_VALUES],
		      long long **margin, uint32_t **mkey, long long *total, uint32_t *tkey)
{
	size_t c, j;

	for (c = 0; c < g->ncases; c++) {
		unsigned single[REPORT_MAX_BY];
		const struct pair *list[REPORT_MAX_BY];
		size_t nlist[REPORT_MAX_BY], pos[REPORT_MAX_BY], coord[REPORT_MAX_BY];
		uint32_t rk;
		int skip = 0;

		for (j = 0; j < g->ndim; j++) {
			const struct dim_def *d = g->def[j];
			if (d->src == DS_EXPLOITATION || d->src == DS_COUNTRY || d->src == DS_SERVICE) {
				struct multi *mu = &g->multi[j];
				list[j] = mu->p + mu->start[c];
				nlist[j] = mu->start[c + 1] - mu->start[c];
				if (!nlist[j]) {
					/* No service in the period: not counted.  No code:
					 * counted as unknown. */
					if (d->src == DS_SERVICE) {
						skip = 1;
						break;
					}
					single[j] = (unsigned)dim_intern(g->a, g->dim[j], NULL);
					list[j] = NULL;
					nlist[j] = 1;
				}
			} else {
				single[j] = g->vals[c * g->ndim + j];
				list[j] = NULL;
				nlist[j] = 1;
			}
		}
		if (skip)
			continue;
		rk = g->keys ? g->rkeys[c] : 0;
		(*total)++;
		*tkey += rk;
		for (j = 0; j < g->ndim; j++) {
			size_t i, v;
			for (i = 0; i < nlist[j]; i++) {
				v = remap[j][list[j] ? list[j][i].val : single[j]];
				margin[j][v]++;
				mkey[j][v] += rk;
			}
			pos[j] = 0;
		}
		/* Every combination of the case's values (an odometer). */
		for (;;) {
			for (j = 0; j < g->ndim; j++)
				coord[j] = remap[j][list[j] ? list[j][pos[j]].val : single[j]];
			{
				size_t idx = suppress_index(&t->c, coord);
				t->c.count[idx]++;
				if (t->key)
					t->key[idx] += rk;
			}
			for (j = 0; j < g->ndim; j++) {
				if (++pos[j] < nlist[j])
					break;
				pos[j] = 0;
			}
			if (j == g->ndim)
				break;
		}
	}
}

/* ---- requests ------------------------------------------------------------ */

struct scope {
	int all;                 /* every organisation: perturbed figures */
	const char *own_org;
	struct rp_filter f;
	long long k;
	unsigned char ckey[CELLKEY_KEYBYTES]; /* of the record keys, when all */
};

/* Figures over every organisation are counted by whole months: the
 * period is widened to the first day of from's month and the last day of
 * to's, and the answer says so.  Otherwise two periods a day apart would
 * give, by subtraction, the cases of one day, and a day of one
 * organisation or region is often one person.  Months subtracted from
 * each other recover nothing either: the figures are perturbed by their
 * cell keys (report_guard).  The exports over every organisation widen
 * theirs so too (api/exports.c). */
int api_month_period(arena *a, const char **from, const char **to)
{
	char now[11];
	int y, m, d;

	consent_today(now);
	if (*from) {
		char *f = arena_alloc(a, 11);
		if (!f)
			return -1;
		memcpy(f, *from, 8);
		memcpy(f + 8, "01", 3);
		*from = f;
	}
	if (*to) {
		char *t = arena_alloc(a, 11);
		if (!t || !date_parse(*to, &y, &m, &d))
			return -1;
		snprintf(t, 11, "%.8s%02d", *to, date_month_days(y, m));
		if (strcmp(t, now) > 0) /* the month so far: nothing is known past today */
			memcpy(t, now, 11);
		*to = t;
	}
	return 0;
}

/* Permission, period, region and org; 0 or the problem's status. */
static int scope_of(struct req *r, enum policy_action act, struct scope *s)
{
	unsigned rules[POLICY_RULES_MAX];
	size_t n = policy_scopes(act, r->who.user.role, rules), i;
	const char *from = req_query(r, "from"), *to = req_query(r, "to");
	const char *region = req_query(r, "region"), *org = req_query(r, "org");
	char *t;

	memset(s, 0, sizeof *s);
	if (!n)
		return reply_problem(r, 404, "not-found", "no such resource");
	for (i = 0; i < n; i++)
		if (rules[i] == 0)
			s->all = 1;
	s->own_org = r->who.user.org.id;
	if (!s->all)
		s->f.org_id = s->own_org;
	else
		cellkey_derive(r->app->kr.blind, s->ckey);
	s->k = r->app->cfg.report_k >= 2 ? r->app->cfg.report_k : 11;
	if (from && !date_valid(from))
		return reply_problem(r, 422, "invalid-value", "from: a date YYYY-MM-DD");
	if (to && !date_valid(to))
		return reply_problem(r, 422, "invalid-value", "to: a date YYYY-MM-DD");
	if (!to) {
		t = arena_alloc(&r->mem, 11);
		if (!t)
			return reply_problem(r, 500, "internal", "out of memory");
		consent_today(t);
		to = t;
	}
	if (!from)
		from = "1900-01-01";
	if (strcmp(from, to) > 0)
		return reply_problem(r, 422, "invalid-value", "from is after to");
	if (s->all && api_month_period(&r->mem, &from, &to) != 0)
		return reply_problem(r, 500, "internal", "out of memory");
	s->f.from = from;
	s->f.to = to;
	if (region) {
		if (!codelist_has(&cl_tj_regions_iso3166_2, region))
			return reply_problem(r, 422, "invalid-value", "region: a region code (TJ-DU, ...)");
		s->f.region = region;
	}
	if (org) {
		if (!strcmp(org, "own"))
			s->f.org_id = s->own_org;
		else if (codelist_has(&cl_org_type, org))
			s->f.org_type = org;
		else
			return reply_problem(r, 422, "invalid-value",
					     "org: own, or an organisation type (NGO, IGO, ...)");
	}
	if (api_report_refresh(r->app->st, &r->app->kr) < 0)
		return reply_problem(r, 503, "busy", "the report figures could not be brought up to date");
	return 0;
}

/* Count the cases of the scope into a table over defs (with cell keys
 * when the scope is every organisation), not yet guarded. */
static int summary_table(struct req *r, const struct scope *s, const struct dim_def *const *defs,
			 size_t ndim, int victims_only, struct table *t)
{
	struct agg g;
	struct rp_filter f = s->f;
	size_t j, i;
	int has_service = 0, rc = 0;
	unsigned want = 1; /* the case's n */
	size_t (*remap)[REPORT_MAX_VALUES];
	long long *margin[REPORT_MAX_BY], total = 0;
	uint32_t *mkey[REPORT_MAX_BY], tkey = 0;

	memset(&g, 0, sizeof g);
	memset(t, 0, sizeof *t);
	g.a = &r->mem;
	g.own_org = s->own_org;
	g.keys = s->all;
	if (g.keys)
		want |= 1u << 11;
	g.ndim = t->ndim = ndim;
	f.victims_only = victims_only;
	remap = arena_alloc(&r->mem, REPORT_MAX_BY * sizeof *remap);
	if (!remap)
		return reply_problem(r, 500, "internal", "out of memory");
	for (j = 0; j < ndim; j++) {
		g.def[j] = defs[j];
		g.dim[j] = t->dim[j] = arena_alloc(&r->mem, sizeof *g.dim[j]);
		if (!g.dim[j])
			return reply_problem(r, 500, "internal", "out of memory");
		g.dim[j]->name = defs[j]->name;
		has_service |= defs[j]->src == DS_SERVICE;
		if (defs[j]->src == DS_COL)
			want |= 1u << defs[j]->col;
		else if (defs[j]->src == DS_MONTH)
			want |= 1u << 3;
		else if (defs[j]->src == DS_ORG)
			want |= 1u << 1 | 1u << 2;
	}
	/* With services, the period is the services' and a case counts
	 * whenever it was opened. */
	if (store_report_query(r->app->st, has_service ? RPQ_CASES_ANY_DATE : RPQ_CASES, &f, want,
			       agg_case, &g) != STORE_OK) {
		rc = g.failed == 2 ? reply_problem(r, 422, "too-many-values",
						   "a dimension has too many values")
				   : api_store_error(r, STORE_ERROR);
		goto out;
	}
	for (j = 0; j < ndim; j++) {
		enum rp_query q;
		struct multi_ctx m = {&g, j};
		switch (defs[j]->src) {
		case DS_EXPLOITATION: q = RPQ_EXPLOITATION; break;
		case DS_COUNTRY: q = RPQ_COUNTRY; break;
		case DS_SERVICE: q = RPQ_SERVICES; break;
		default: continue;
		}
		if (store_report_query(r->app->st, q, &f, 0, agg_pair, &m) != STORE_OK ||
		    multi_index(&g, &g.multi[j])) {
			rc = g.failed == 2 ? reply_problem(r, 422, "too-many-values",
							   "a dimension has too many values")
					   : api_store_error(r, STORE_ERROR);
			goto out;
		}
	}
	/* Cases with no code of a dimension count as unknown there. */
	for (j = 0; j < ndim; j++)
		if (defs[j]->src == DS_EXPLOITATION || defs[j]->src == DS_COUNTRY)
			for (i = 0; i < g.ncases; i++)
				if (g.multi[j].start[i] == g.multi[j].start[i + 1]) {
					if (dim_intern(&r->mem, g.dim[j], NULL) < 0) {
						rc = reply_problem(r, 422, "too-many-values",
								   "a dimension has too many values");
						goto out;
					}
					break;
				}
	for (j = 0; j < ndim; j++)
		dim_sort(g.dim[j], remap[j]);
	if (table_alloc(&r->mem, t, g.keys)) {
		rc = reply_problem(r, 422, "too-many-combinations",
				   "these dimensions make too many combinations; ask for fewer");
		goto out;
	}
	for (j = 0; j < ndim; j++) {
		margin[j] = arena_alloc(&r->mem, (g.dim[j]->n + 1) * sizeof **margin);
		mkey[j] = arena_alloc(&r->mem, (g.dim[j]->n + 1) * sizeof **mkey);
		if (!margin[j] || !mkey[j]) {
			rc = reply_problem(r, 500, "internal", "out of memory");
			goto out;
		}
	}
	agg_count(&g, t, remap, margin, mkey, &total, &tkey);
	suppress_fill_margins(&t->c);
	if (t->key)
		cellkey_fill_margins(&t->c, t->key);
	/* The published margins are exact counts of cases (a case with two
	 * codes of a dimension counts once in its total), and their cell keys
	 * the sums over those same cases. */
	{
		size_t coord[REPORT_MAX_BY], v, idx;
		for (j = 0; j < ndim; j++)
			coord[j] = t->c.len[j];
		idx = suppress_index(&t->c, coord);
		t->c.count[idx] = total;
		if (t->key)
			t->key[idx] = tkey;
		for (j = 0; j < ndim && ndim > 1; j++)
			for (v = 0; v < g.dim[j]->n; v++) {
				size_t m;
				for (m = 0; m < ndim; m++)
					coord[m] = t->c.len[m];
				coord[j] = v;
				idx = suppress_index(&t->c, coord);
				t->c.count[idx] = margin[j][v];
				if (t->key)
					t->key[idx] = mkey[j][v];
			}
	}
	t->ok = 1;
out:
	agg_free(&g);
	return rc;
}

/* A table of a query answering one row per record, the record's id in
 * its last column: ndim single-valued dimensions read from the columns
 * col[0..ndim), margins are sums; with cell keys when the scope is every
 * organisation. */
struct flat_ctx {
	arena *a;
	const struct scope *s;
	struct table *t;
	const size_t *col;
	unsigned *v;      /* rows * ndim value indexes */
	uint32_t *key;
	size_t rows, cap;
	int failed;       /* 1 out of memory, 2 too many values */
};

static int flat_row(void *ctx, const char *const *cols, size_t ncols)
{
	struct flat_ctx *x = ctx;
	size_t j, ndim = x->t->ndim;

	if (x->rows == x->cap) {
		size_t cap = x->cap ? x->cap * 2 : 256;
		unsigned *v = realloc(x->v, cap * ndim * sizeof *v);
		uint32_t *key;
		if (!v)
			return x->failed = 1;
		x->v = v;
		if (!(key = realloc(x->key, cap * sizeof *key)))
			return x->failed = 1;
		x->key = key;
		x->cap = cap;
	}
	for (j = 0; j < ndim; j++) {
		long i = dim_intern(x->a, x->t->dim[j], cols[x->col[j]]);
		if (i < 0)
			return x->failed = 2;
		x->v[x->rows * ndim + j] = (unsigned)i;
	}
	x->key[x->rows] = x->s->all && cols[ncols - 1] ? cellkey_record(x->s->ckey, cols[ncols - 1])
						       : 0;
	x->rows++;
	return 0;
}

static int flat_table(struct req *r, const struct scope *s, enum rp_query q,
		      const char *const *names, const size_t *col, size_t ndim, struct table *t)
{
	struct flat_ctx x = {0};
	size_t (*remap)[REPORT_MAX_VALUES], i, j;
	int rc = 0;

	assert(ndim >= 1 && ndim <= REPORT_MAX_BY);
	memset(t, 0, sizeof *t);
	x.a = &r->mem;
	x.s = s;
	x.t = t;
	x.col = col;
	t->ndim = ndim;
	remap = arena_alloc(&r->mem, ndim * sizeof *remap);
	if (!remap)
		return reply_problem(r, 500, "internal", "out of memory");
	for (j = 0; j < ndim; j++) {
		t->dim[j] = arena_alloc(&r->mem, sizeof *t->dim[j]);
		if (!t->dim[j])
			return reply_problem(r, 500, "internal", "out of memory");
		t->dim[j]->name = names[j];
	}
	if (store_report_query(r->app->st, q, &s->f, 0, flat_row, &x) != STORE_OK) {
		rc = x.failed == 2 ? reply_problem(r, 422, "too-many-values",
						   "a dimension has too many values")
				   : api_store_error(r, STORE_ERROR);
		goto out;
	}
	for (j = 0; j < ndim; j++)
		dim_sort(t->dim[j], remap[j]);
	if (table_alloc(&r->mem, t, s->all)) {
		rc = reply_problem(r, 500, "internal", "table too large");
		goto out;
	}
	for (i = 0; i < x.rows; i++) {
		size_t coord[REPORT_MAX_BY], idx;
		for (j = 0; j < ndim; j++)
			coord[j] = remap[j][x.v[i * ndim + j]];
		idx = suppress_index(&t->c, coord);
		t->c.count[idx]++;
		if (t->key)
			t->key[idx] += x.key[i];
	}
	suppress_fill_margins(&t->c);
	if (t->key)
		cellkey_fill_margins(&t->c, t->key);
	t->ok = 1;
out:
	free(x.v);
	free(x.key);
	return rc;
}

/* A table of a query answering (value, value, id) rows. */
static int simple_table(struct req *r, const struct scope *s, enum rp_query q, const char *d1,
			const char *d2, struct table *t)
{
	static const size_t col[] = {0, 1};
	const char *names[2];

	names[0] = d1;
	names[1] = d2;
	return flat_table(r, s, q, names, col, 2, t);
}

/* ---- writing tables ------------------------------------------------------ */

static void jw_count(jsonw *w, const struct table *t, size_t idx)
{
	if (t->c.supp[idx])
		jw_null(w);
	else
		jw_int(w, t->c.count[idx]);
}

static size_t total_index(const struct table *t)
{
	size_t coord[REPORT_MAX_BY], j;
	for (j = 0; j < t->ndim; j++)
		coord[j] = t->c.len[j];
	return suppress_index(&t->c, coord);
}

/* Calls fn for every non-zero cell, first dimension slowest. */
static void table_cells(const struct table *t, void (*fn)(void *ctx, const size_t *coord,
							  size_t idx),
			void *ctx)
{
	size_t coord[REPORT_MAX_BY] = {0}, j;

	if (!t->ndim)
		return;
	for (;;) {
		size_t idx = suppress_index(&t->c, coord);
		if (t->c.count[idx] > 0 && t->dim[0]->n)
			fn(ctx, coord, idx);
		for (j = t->ndim; j-- > 0;) {
			if (++coord[j] < t->c.len[j])
				break;
			coord[j] = 0;
		}
		if (j == (size_t)-1)
			break;
	}
}

struct jw_cells {
	jsonw *w;
	const struct table *t;
};

static void jw_cell(void *ctx, const size_t *coord, size_t idx)
{
	struct jw_cells *x = ctx;
	size_t j;

	jw_object(x->w);
	for (j = 0; j < x->t->ndim; j++)
		jw_kstr(x->w, x->t->dim[j]->name, x->t->dim[j]->v[coord[j]]);
	jw_key(x->w, "count");
	jw_count(x->w, x->t, idx);
	jw_end(x->w);
}

/* seen[j][v] = 1 when a cell with value v along dimension j is published
 * (not zero), in one pass over the cube. */
static void values_in_cells(const struct table *t, unsigned char seen[][REPORT_MAX_VALUES])
{
	size_t idx, j;

	for (j = 0; j < t->ndim; j++)
		memset(seen[j], 0, REPORT_MAX_VALUES);
	for (idx = 0; idx < t->c.size; idx++)
		if ((t->c.count[idx] > 0 || t->c.supp[idx]) && suppress_is_cell(&t->c, idx))
			for (j = 0; j < t->ndim; j++)
				seen[j][suppress_coord(&t->c, idx, j)] = 1;
}

/* "by", "rows", "margins" (two dimensions or more), "total",
 * "suppressed", as members of the open object.  A margin is written when
 * it is not zero or a cell of its value is (perturbed apart, a margin may
 * come out 0 beside a cell that does not). */
static void jw_table(jsonw *w, const struct table *t)
{
	struct jw_cells x = {w, t};
	size_t j, v;

	assert(t->guarded);
	jw_key(w, "by");
	jw_array(w);
	for (j = 0; j < t->ndim; j++)
		jw_str(w, t->dim[j]->name);
	jw_end(w);
	jw_key(w, "rows");
	jw_array(w);
	table_cells(t, jw_cell, &x);
	jw_end(w);
	if (t->ndim >= 2) {
		unsigned char seen[REPORT_MAX_BY][REPORT_MAX_VALUES];
		values_in_cells(t, seen);
		jw_key(w, "margins");
		jw_object(w);
		for (j = 0; j < t->ndim; j++) {
			jw_key(w, t->dim[j]->name);
			jw_array(w);
			for (v = 0; v < t->dim[j]->n; v++) {
				size_t coord[REPORT_MAX_BY], m, idx;
				for (m = 0; m < t->ndim; m++)
					coord[m] = t->c.len[m];
				coord[j] = v;
				idx = suppress_index(&t->c, coord);
				if (!t->c.count[idx] && !seen[j][v])
					continue;
				jw_object(w);
				jw_kstr(w, t->dim[j]->name, t->dim[j]->v[v]);
				jw_key(w, "count");
				jw_count(w, t, idx);
				jw_end(w);
			}
			jw_end(w);
		}
		jw_end(w);
	}
	jw_key(w, "total");
	jw_count(w, t, total_index(t));
	jw_kint(w, "suppressed", (int64_t)t->suppressed);
}

/*
 * A filter (region, org) publishes nothing that the same query without
 * the filter, counted along the filter's dimension, suppresses.  Else
 * asking for a region alone would publish the count that table hides as
 * a complement (it is at least k), and the suppressed region beside it
 * would follow by subtraction from the margins.  With services the count
 * is the margin of that dimension x service type (cases with a service in
 * the period).  *hidden is set when the filtered answer must show nothing.
 */
static int filter_hidden(struct req *r, const struct scope *s, const struct dim_def *dim,
			 const struct dim_def *service, const char *const *values, int victims_only,
			 int *hidden)
{
	const struct dim_def *check[2] = {dim, service};
	struct scope all = *s;
	struct table t;
	size_t v, i, coord[2];
	int rc;

	if (dim->src == DS_ORG) {
		all.f.org_id = s->all ? NULL : s->own_org;
		all.f.org_type = NULL;
	} else {
		all.f.region = NULL;
	}
	if ((rc = summary_table(r, &all, check, service ? 2 : 1, victims_only, &t)))
		return rc;
	suppress_apply(&t.c, s->k);
	for (v = 0; v < t.dim[0]->n; v++)
		for (i = 0; values[i]; i++)
			if (t.dim[0]->v[v] && !strcmp(t.dim[0]->v[v], values[i])) {
				coord[0] = v;
				coord[1] = service ? t.c.len[1] : 0;
				*hidden |= t.c.supp[suppress_index(&t.c, coord)];
			}
	return 0;
}

/* Index of value v (NULL: unknown) along dimension d of a table, or -1. */
static long value_at(const struct dimvals *d, const char *v)
{
	size_t i;
	for (i = 0; i < d->n; i++)
		if (v ? d->v[i] && !strcmp(d->v[i], v) : !d->v[i])
			return (long)i;
	return -1;
}

/*
 * victims=1 beside the same table without it: each entry of the filtered
 * table is the sum of the victim statuses of the same line of the table
 * by trafficking_status, and the unfiltered figure is the line's margin,
 * so publishing it states the sum of the victims and (by difference) of
 * the others.  It is hidden when either sum would have exactly one
 * unknown, one suppressed cell of that line of the table by
 * trafficking_status (else victims=0 minus victims=1 works back a count
 * that table hides); the entries so hidden get their complements in t.  Sets *hidden when the joint table cannot be
 * made (too many dimensions): then nothing is published.
 */
static int victims_hidden(struct req *r, const struct scope *s, const struct dim_def *const *defs,
			  size_t ndim, struct table *t, int *hidden)
{
	const struct dim_def *jdefs[REPORT_MAX_BY];
	size_t j, sj = ndim, jn = ndim, idx, v, coord[REPORT_MAX_BY];
	struct table joint;
	int rc, marked = 0;

	for (j = 0; j < ndim; j++) {
		jdefs[j] = defs[j];
		if (defs[j] == &dim_defs[11])
			sj = j;
	}
	if (sj == ndim) {
		if (ndim == REPORT_MAX_BY) {
			*hidden = 1;
			return 0;
		}
		jdefs[jn++] = &dim_defs[11];
	}
	if ((rc = summary_table(r, s, jdefs, jn, 0, &joint)))
		return rc;
	suppress_apply(&joint.c, s->k);
	for (idx = 0; idx < t->c.size; idx++) {
		size_t from, to;
		int bad = 0;
		if (t->c.supp[idx] || t->c.count[idx] <= 0)
			continue;
		for (j = 0; j < ndim; j++) {
			size_t c = suppress_coord(&t->c, idx, j);
			long at;
			if (c == t->c.len[j]) {
				coord[j] = joint.c.len[j];
				continue;
			}
			at = value_at(joint.dim[j], t->dim[j]->v[c]);
			if (at < 0) {
				bad = 1; /* not in the joint table: hide to be safe */
				break;
			}
			coord[j] = (size_t)at;
		}
		if (!bad) {
			/* The statuses of the line (the one the entry is at, when
			 * the table is by trafficking_status itself). */
			size_t sv = 0, sn = 0;
			from = 0;
			to = joint.c.len[sj];
			if (sj < ndim && coord[sj] != joint.c.len[sj]) {
				from = coord[sj];
				to = from + 1;
			}
			for (v = 0; v < joint.c.len[sj]; v++) {
				int victim = joint.dim[sj]->v[v] &&
					     (!strcmp(joint.dim[sj]->v[v], "ActualVictimOfTrafficking") ||
					      !strcmp(joint.dim[sj]->v[v], "PossibleVictimOfTrafficking"));
				coord[sj] = v;
				if (!joint.c.supp[suppress_index(&joint.c, coord)])
					continue;
				if (v >= from && v < to && from + 1 == to)
					bad = 1; /* the entry's own cell */
				if (victim)
					sv++;
				else
					sn++;
			}
			bad |= sv == 1 || sn == 1;
		}
		if (bad) {
			t->c.supp[idx] = 1;
			marked = 1;
		}
	}
	if (marked)
		suppress_apply(&t->c, s->k);
	return 0;
}

static int filter_guard(struct req *r, const struct scope *s, const struct dim_def *const *defs,
			size_t ndim, int victims_only, struct table *t)
{
	const struct dim_def *service = NULL;
	const char *values[3] = {NULL, NULL, NULL};
	size_t j, idx;
	int rc, hidden = 0;

	for (j = 0; j < ndim; j++)
		if (defs[j]->src == DS_SERVICE)
			service = defs[j];
	if (s->f.region) {
		values[0] = s->f.region;
		if ((rc = filter_hidden(r, s, &dim_defs[7], service, values, victims_only, &hidden)))
			return rc;
	}
	if (s->f.org_type) {
		/* The org dimension shows the caller's organisation as "own". */
		values[0] = s->f.org_type ? s->f.org_type : "own";
		values[1] = s->f.org_type && !strcmp(r->who.user.org.type, s->f.org_type) ? "own" : NULL;
		if ((rc = filter_hidden(r, s, &dim_defs[8], service, values, victims_only, &hidden)))
			return rc;
	}
	if (victims_only && !hidden && (rc = victims_hidden(r, s, defs, ndim, t, &hidden)))
		return rc;
	t->suppressed = 0;
	if (!hidden) {
		for (idx = 0; idx < t->c.size; idx++)
			if (t->c.supp[idx] && suppress_is_cell(&t->c, idx))
				t->suppressed++;
		return 0;
	}
	for (idx = 0; idx < t->c.size; idx++) {
		if (t->c.count[idx] > 0)
			t->c.supp[idx] = 1;
		if (t->c.supp[idx] && suppress_is_cell(&t->c, idx))
			t->suppressed++;
	}
	return 0;
}

/*
 * The one guard of every table of every report, whatever its filters,
 * breakdown and period; the writers publish nothing it has not passed.
 *
 * Figures across organisations (the analyst's) are perturbed by the
 * cell-key method (domain/cellkey.h): every cell, margin and total is
 * published as 0 or a multiple of k from the record keys of the cases it
 * counts, so that the difference or sum of any two answers (victims=0
 * minus victims=1, two periods, a region against the whole) is never a
 * count 1..k-1.  No filter needs a rule of its own.
 *
 * The own organisation's figures (a supervisor's) stay exact: small
 * cells suppressed with their complements, and a region or org filter
 * publishing nothing the unfiltered table hides (filter_guard).  defs is
 * NULL for the tables that take no filter check (the indicator report's
 * referrals, hotline and trainings).
 */
static int report_guard(struct req *r, const struct scope *s, struct table *t,
			const struct dim_def *const *defs, size_t ndim, int victims_only)
{
	int rc;

	assert(t->ok && !t->guarded);
	if (s->all) {
		assert(t->key);
		cellkey_apply(&t->c, t->key, s->k);
		t->suppressed = 0;
	} else {
		t->suppressed = suppress_apply(&t->c, s->k);
		if (defs && (rc = filter_guard(r, s, defs, ndim, victims_only, t)))
			return rc;
	}
	t->guarded = 1;
	return 0;
}

static int persons_figure(struct req *r, const struct scope *s, int victims_only,
			  long long *value, int *shown);

/* GET /reports/summary?from=&to=&by=D1,D2&region=&org=&victims=0|1 */
int api_reports_summary(struct req *r)
{
	const char *by = req_query(r, "by");
	const char *victims = req_query(r, "victims");
	const struct dim_def *defs[REPORT_MAX_BY];
	size_t ndim = 0, j;
	struct scope s;
	struct table t;
	long long persons = 0;
	int rc, persons_shown = 0;
	jsonw w;

	if ((rc = scope_of(r, ACT_REPORT_SUMMARY, &s)))
		return rc;
	if (by && *by) {
		const char *p = by;
		for (;;) {
			size_t len = strcspn(p, ",");
			const struct dim_def *d = dim_find(p, len);
			if (!d)
				return reply_problemf(r, 422, "invalid-value",
						      "by: unknown dimension '%.*s'", (int)(len > 40 ? 40 : len), p);
			for (j = 0; j < ndim; j++)
				if (defs[j] == d)
					return reply_problemf(r, 422, "invalid-value",
							      "by: '%s' named twice", d->name);
			if (ndim == REPORT_MAX_BY)
				return reply_problemf(r, 422, "invalid-value",
						      "by: at most %d dimensions", REPORT_MAX_BY);
			defs[ndim++] = d;
			if (!p[len])
				break;
			p += len + 1;
		}
	}
	if ((rc = summary_table(r, &s, defs, ndim, victims && !strcmp(victims, "1"), &t)) ||
	    (rc = report_guard(r, &s, &t, defs, ndim, victims && !strcmp(victims, "1"))) ||
	    (rc = persons_figure(r, &s, victims && !strcmp(victims, "1"), &persons,
				 &persons_shown)))
		return rc;
	reply_json_begin(r, 200, &w);
	jw_object(&w);
	jw_kint(&w, "k", s.k);
	jw_kstr(&w, "from", s.f.from);
	jw_kstr(&w, "to", s.f.to);
	jw_kstr(&w, "scope", s.all ? "all" : "own");
	jw_kstr(&w, "protection", s.all ? "cell-key" : "suppression");
	jw_table(&w, &t);
	jw_key(&w, "persons");
	if (persons_shown)
		jw_int(&w, persons);
	else
		jw_null(&w);
	jw_finish(&w);
	return 200;
}

/* ---- the indicator report ------------------------------------------------ */

/* A figure alone: the records counted and the sum of their record keys,
 * then what figure_guard lets out. */
struct figure {
	long long n;
	uint32_t key;
	long long value;  /* published when shown */
	int shown;
	int guarded;
};

struct figure_ctx {
	const struct scope *s;
	struct figure *f;
	long long sum;    /* of the first column, with two columns */
};

/* One row per record, its id last. */
static int figure_row(void *ctx, const char *const *cols, size_t ncols)
{
	struct figure_ctx *x = ctx;
	const char *id = cols[ncols - 1];

	x->f->n++;
	if (x->s->all && id)
		x->f->key += cellkey_record(x->s->ckey, id);
	if (ncols == 2 && cols[0])
		x->sum += strtoll(cols[0], NULL, 10);
	return 0;
}

static int four_numbers(void *ctx, const char *const *cols, size_t ncols)
{
	long long *x = ctx;
	size_t i;
	for (i = 0; i < 4 && i < ncols; i++)
		x[i] = cols[i] ? strtoll(cols[i], NULL, 10) : 0;
	return 0;
}

struct indicators {
	struct table identified;       /* sex x age band */
	struct table by_status;        /* identification: official, presumed */
	struct table exploitation;     /* exploitation type */
	struct table assisted;         /* service type */
	struct table referrals;        /* agency type x status */
	struct table hotline;          /* channel x call type */
	struct table trained;          /* agency type x sex */
	struct table justice;          /* measure x exploitation type */
	struct figure closed, reintegrated, scored, events, overdue;
	/* study visits among the events, and their participants (issue 18) */
	struct figure visits, visitors;
	long long gain_sum;
	int share_shown, gain_shown;
	int gain_whole;               /* the analyst's mean gain in whole points */
};

/* A count alone is published when 0 or at least k. */
static int shown(long long n, long long k)
{
	return n == 0 || n >= k;
}

/* The guard of a figure alone, as report_guard of a table: across
 * organisations perturbed by its cell key, else exact when 0 or at
 * least k (or always, when exact says so: the own training events). */
static void figure_guard(const struct scope *s, struct figure *f, int exact)
{
	if (s->all) {
		f->value = cellkey_publish(f->n, f->key, s->k);
		f->shown = 1;
	} else {
		f->value = f->n;
		f->shown = exact || shown(f->n, s->k);
	}
	f->guarded = 1;
}

static int figure_query(struct req *r, const struct scope *s, enum rp_query q, struct figure *f,
			long long *sum)
{
	struct figure_ctx x = {s, f, 0};

	if (store_report_query(r->app->st, q, &s->f, 0, figure_row, &x) != STORE_OK)
		return api_store_error(r, STORE_ERROR);
	if (sum)
		*sum = x.sum;
	return 0;
}

/* The summary's "persons": the persons of the cases opened in the period
 * (each once, whatever their cases; a merged duplicate once), a figure
 * guarded like the others.  Not split by the table's dimensions: a
 * person's cases may fall in several cells. */
static int persons_figure(struct req *r, const struct scope *s, int victims_only,
			  long long *value, int *shown)
{
	struct figure f;
	struct scope q = *s;
	int rc;

	memset(&f, 0, sizeof f);
	q.f.victims_only = victims_only;
	if ((rc = figure_query(r, &q, RPQ_PERSONS, &f, NULL)))
		return rc;
	figure_guard(s, &f, 0);
	*value = f.value;
	*shown = f.shown;
	return 0;
}

/* The reintegration share and the mean gain, from the guarded figures. */
static void indicators_guard(const struct scope *s, struct indicators *in)
{
	figure_guard(s, &in->closed, 0);
	figure_guard(s, &in->reintegrated, 0);
	figure_guard(s, &in->scored, 0);
	figure_guard(s, &in->events, 1);
	figure_guard(s, &in->visits, 1);
	figure_guard(s, &in->visitors, 0);
	figure_guard(s, &in->overdue, 0);
	if (s->all) {
		/* Perturbed apart, a part may come out above its whole. */
		if (in->reintegrated.value > in->closed.value)
			in->reintegrated.value = in->closed.value;
		in->share_shown = in->closed.value > 0;
		in->gain_shown = in->scored.n >= s->k && in->scored.value >= s->k;
		/* Whole points: an exact mean of whole gains tells how many
		 * were scored (sum / n has few solutions), and two periods'
		 * then tell a small group's count and gain by difference. */
		in->gain_whole = 1;
	} else {
		/* Published only when both the cases with a follow-up and those
		 * without are 0 or at least k (else either could be worked back
		 * from the other and the closed count). */
		in->reintegrated.shown = in->closed.shown && in->reintegrated.shown &&
					 shown(in->closed.n - in->reintegrated.n, s->k);
		in->share_shown = in->reintegrated.shown && in->closed.n > 0;
		in->gain_shown = in->scored.n >= s->k;
	}
}

static double share_of(const struct indicators *in)
{
	return (double)in->reintegrated.value / (double)in->closed.value;
}

static double mean_gain(const struct indicators *in)
{
	double m = (double)in->gain_sum / (double)in->scored.n;
	return in->gain_whole ? (double)(long long)(m + (m < 0 ? -0.5 : 0.5)) : m;
}

static int indicators_compute(struct req *r, const struct scope *s, struct indicators *in)
{
	static const struct dim_def *const by_sex_age[] = {&dim_defs[0], &dim_defs[1]};
	static const struct dim_def *const by_expl[] = {&dim_defs[2]};
	static const struct dim_def *const by_service[] = {&dim_defs[9]};
	static const struct dim_def *const by_status[] = {&dim_defs[12]};
	long long re[4] = {0};
	int rc;

	memset(in, 0, sizeof *in);
	if ((rc = summary_table(r, s, by_sex_age, 2, 1, &in->identified)) ||
	    (rc = report_guard(r, s, &in->identified, by_sex_age, 2, 1)) ||
	    (rc = summary_table(r, s, by_status, 1, 1, &in->by_status)) ||
	    (rc = report_guard(r, s, &in->by_status, by_status, 1, 1)) ||
	    (rc = summary_table(r, s, by_expl, 1, 1, &in->exploitation)) ||
	    (rc = report_guard(r, s, &in->exploitation, by_expl, 1, 1)) ||
	    (rc = summary_table(r, s, by_service, 1, 0, &in->assisted)) ||
	    (rc = report_guard(r, s, &in->assisted, by_service, 1, 0)) ||
	    (rc = simple_table(r, s, RPQ_REFERRALS, "agency_type", "status", &in->referrals)) ||
	    (rc = report_guard(r, s, &in->referrals, NULL, 0, 0)) ||
	    (rc = simple_table(r, s, RPQ_CONTACTS, "channel", "call_type", &in->hotline)) ||
	    (rc = report_guard(r, s, &in->hotline, NULL, 0, 0)) ||
	    (rc = simple_table(r, s, RPQ_TRAINED, "agency_type", "sex", &in->trained)) ||
	    (rc = report_guard(r, s, &in->trained, NULL, 0, 0)) ||
	    (rc = simple_table(r, s, RPQ_JUSTICE, "measure", "exploitation", &in->justice)) ||
	    (rc = report_guard(r, s, &in->justice, NULL, 0, 0)) ||
	    (rc = figure_query(r, s, RPQ_TRAINING_GAIN, &in->scored, &in->gain_sum)) ||
	    (rc = figure_query(r, s, RPQ_TRAINING_EVENTS, &in->events, NULL)) ||
	    (rc = figure_query(r, s, RPQ_STUDY_VISITS, &in->visits, NULL)) ||
	    (rc = figure_query(r, s, RPQ_STUDY_VISITORS, &in->visitors, NULL)) ||
	    (rc = figure_query(r, s, RPQ_OVERDUE, &in->overdue, NULL)))
		return rc;
	if (store_report_query(r->app->st, RPQ_REINTEGRATION, &s->f, 0, four_numbers, re) != STORE_OK)
		return api_store_error(r, STORE_ERROR);
	in->closed.n = re[0];
	in->reintegrated.n = re[1];
	in->closed.key = (uint32_t)re[2];
	in->reintegrated.key = (uint32_t)re[3];
	indicators_guard(s, in);
	return 0;
}

static void jw_num_or_null(jsonw *w, int show, double v)
{
	char num[32];
	if (!show) {
		jw_null(w);
		return;
	}
	snprintf(num, sizeof num, "%.3f", v);
	jw_raw(w, num, strlen(num));
}

static void jw_figure(jsonw *w, const char *key, const struct figure *f)
{
	assert(f->guarded);
	jw_key(w, key);
	if (f->shown)
		jw_int(w, f->value);
	else
		jw_null(w);
}

static void jw_sub(jsonw *w, const char *key, const struct table *t)
{
	jw_key(w, key);
	jw_object(w);
	jw_table(w, t);
	jw_end(w);
}

static void indicators_json(struct req *r, const struct scope *s, const struct indicators *in)
{
	jsonw w;

	reply_json_begin(r, 200, &w);
	jw_object(&w);
	jw_kint(&w, "k", s->k);
	jw_kstr(&w, "from", s->f.from);
	jw_kstr(&w, "to", s->f.to);
	jw_kstr(&w, "scope", s->all ? "all" : "own");
	jw_kstr(&w, "protection", s->all ? "cell-key" : "suppression");
	jw_sub(&w, "identified", &in->identified);
	jw_sub(&w, "identified_by_status", &in->by_status);
	jw_sub(&w, "identified_exploitation", &in->exploitation);
	jw_sub(&w, "assisted", &in->assisted);
	jw_sub(&w, "referrals", &in->referrals);
	jw_sub(&w, "hotline", &in->hotline);
	/* Investigations, prosecutions and convictions in the period. */
	jw_sub(&w, "criminal_justice", &in->justice);
	jw_key(&w, "reintegration");
	jw_object(&w);
	jw_figure(&w, "closed", &in->closed);
	jw_figure(&w, "with_followup", &in->reintegrated);
	jw_key(&w, "share");
	jw_num_or_null(&w, in->share_shown, in->share_shown ? share_of(in) : 0);
	jw_end(&w);
	jw_figure(&w, "followups_overdue", &in->overdue);
	jw_key(&w, "trainings");
	jw_object(&w);
	jw_figure(&w, "events", &in->events);
	/* a row of their own: study visits are among the events */
	jw_figure(&w, "study_visits", &in->visits);
	jw_figure(&w, "study_visit_participants", &in->visitors);
	jw_sub(&w, "participants", &in->trained);
	jw_figure(&w, "scored", &in->scored);
	jw_key(&w, "mean_gain");
	jw_num_or_null(&w, in->gain_shown, in->gain_shown ? mean_gain(in) : 0);
	jw_end(&w);
	jw_finish(&w);
}

/* ---- the indicator report as a sheet ------------------------------------- */

/*
 * The same tables as the JSON, for people: sheet names, headers, row names
 * and the values of the dimensions in the language asked for (lang=tg|ru|en,
 * English when none is asked), the words from the list "report_terms" and
 * the code lists of schema/labels.json.  The codes stay beside them, for
 * machines: a table's second header row holds its columns' codes, and the
 * last sheet, "Codes", pairs every value shown with its code.
 */

/* The code list that labels each dimension of the indicator tables; a
 * dimension without one (age bands) is shown as it is. */
static const struct {
	const char *dim;
	const struct codelist *cl;
} dim_lists[] = {
	{"sex", &cl_gender},
	{"identification", &cl_report_terms},
	{"measure", &cl_report_terms},
	{"exploitation", &cl_type_of_exploitation},
	{"service_type", &cl_assistance_service_types},
	{"agency_type", &cl_org_type},
	{"status", &cl_referral_status},
	{"channel", &cl_hotline_channel},
	{"call_type", &cl_hotline_call_type},
};

/* A value met in a table, for the codes sheet. */
struct shown_code {
	const char *dim, *code, *label;
};

struct sheet_out {
	struct sheet *sh;
	int li;                 /* 0 tg, 1 ru, 2 en */
	long long k;
	arena *mem;
	struct shown_code *codes;
	size_t ncodes, cap;
	const struct table *t;  /* the table being written */
};

static const char *term(const struct sheet_out *o, const char *code)
{
	const char *label = codelist_label(&cl_report_terms, code, o->li);
	assert(label); /* every word the report uses is in schema/labels.json */
	return label ? label : code;
}

/* A dimension's value as a person reads it: its label, an age band with a
 * dash ("9–17"), "unknown" in the language; arena-owned or static. */
static const char *value_label(struct sheet_out *o, const char *dim, const char *code)
{
	size_t i, len;
	const char *label, *dash;
	char *out;

	if (!code)
		return term(o, "unknown");
	for (i = 0; i < sizeof dim_lists / sizeof dim_lists[0]; i++) {
		if (strcmp(dim_lists[i].dim, dim))
			continue;
		label = codelist_label(dim_lists[i].cl, code, o->li);
		return label ? label : code;
	}
	dash = strstr(code, "--");
	len = strlen(code) + 2; /* "--" becomes the three bytes of an en dash */
	if (!dash || !(out = arena_alloc(o->mem, len)))
		return code;
	snprintf(out, len, "%.*s\xe2\x80\x93%s", (int)(dash - code), code, dash + 2);
	return out;
}

/* Remember a value shown (once per dimension and code). */
static void remember(struct sheet_out *o, const char *dim, const char *code, const char *label)
{
	struct shown_code *grown;
	size_t i;

	for (i = 0; i < o->ncodes; i++)
		if (!strcmp(o->codes[i].dim, dim) && !strcmp(o->codes[i].code, code))
			return;
	if (o->ncodes == o->cap) {
		o->cap = o->cap ? o->cap * 2 : 64;
		grown = arena_alloc(o->mem, o->cap * sizeof *grown);
		if (!grown)
			return; /* the codes sheet is shorter; the tables are whole */
		if (o->ncodes)
			memcpy(grown, o->codes, o->ncodes * sizeof *grown);
		o->codes = grown;
	}
	o->codes[o->ncodes++] = (struct shown_code){dim, code, label};
}

static void sheet_count(struct sheet_out *o, const struct table *t, size_t idx)
{
	if (t->c.supp[idx]) {
		sheet_text(o->sh, HIDDEN_MARK);
	} else {
		sheet_int(o->sh, t->c.count[idx]);
	}
}

static void sheet_cell(void *ctx, const size_t *coord, size_t idx)
{
	struct sheet_out *o = ctx;
	const struct table *t = o->t;
	size_t j;

	for (j = 0; j < t->ndim; j++) {
		const char *code = t->dim[j]->v[coord[j]];
		const char *label = value_label(o, t->dim[j]->name, code);
		sheet_text(o->sh, label);
		remember(o, t->dim[j]->name, code ? code : "unknown", label);
	}
	sheet_count(o, t, idx);
	sheet_row_end(o->sh);
}

/* A table: a header row in the language, a row of the columns' codes,
 * a row per cell, the total. */
static void sheet_table(struct sheet_out *o, const char *title, const struct table *t)
{
	size_t j;

	assert(t->guarded);
	sheet_tab(o->sh, term(o, title));
	for (j = 0; j < t->ndim; j++)
		sheet_text(o->sh, term(o, t->dim[j]->name));
	sheet_text(o->sh, term(o, "count"));
	sheet_row_end(o->sh);
	for (j = 0; j < t->ndim; j++)
		sheet_text(o->sh, t->dim[j]->name);
	sheet_text(o->sh, "count");
	sheet_row_end(o->sh);
	o->t = t;
	table_cells(t, sheet_cell, o);
	sheet_text(o->sh, term(o, "total"));
	for (j = 1; j < t->ndim; j++)
		sheet_text(o->sh, NULL);
	sheet_count(o, t, total_index(t));
	sheet_row_end(o->sh);
}

/* A row of a two-column sheet: the name in the language, the value, the
 * name's code. */
static void sheet_pair(struct sheet_out *o, const char *name, const char *value)
{
	sheet_text(o->sh, term(o, name));
	sheet_text(o->sh, value);
	sheet_text(o->sh, name);
	sheet_row_end(o->sh);
}

static void sheet_head(struct sheet_out *o, const char *title)
{
	sheet_tab(o->sh, term(o, title));
	sheet_text(o->sh, term(o, "parameter"));
	sheet_text(o->sh, term(o, "value"));
	sheet_text(o->sh, term(o, "code"));
	sheet_row_end(o->sh);
	sheet_text(o->sh, "label");
	sheet_text(o->sh, "value");
	sheet_text(o->sh, "code");
	sheet_row_end(o->sh);
}

static void sheet_figure(struct sheet_out *o, const char *name, const struct figure *f)
{
	assert(f->guarded);
	sheet_text(o->sh, term(o, name));
	if (f->shown)
		sheet_int(o->sh, f->value);
	else
		sheet_text(o->sh, HIDDEN_MARK);
	sheet_text(o->sh, name);
	sheet_row_end(o->sh);
}

static void sheet_share(struct sheet_out *o, const char *name, int shown_, double v)
{
	sheet_text(o->sh, term(o, name));
	if (shown_)
		sheet_num(o->sh, v);
	else
		sheet_text(o->sh, NULL);
	sheet_text(o->sh, name);
	sheet_row_end(o->sh);
}

static void sheet_codes(struct sheet_out *o)
{
	size_t i;

	sheet_tab(o->sh, term(o, "codes"));
	sheet_text(o->sh, term(o, "column"));
	sheet_text(o->sh, term(o, "code"));
	sheet_text(o->sh, term(o, "label"));
	sheet_row_end(o->sh);
	sheet_text(o->sh, "column");
	sheet_text(o->sh, "code");
	sheet_text(o->sh, "label");
	sheet_row_end(o->sh);
	for (i = 0; i < o->ncodes; i++) {
		sheet_text(o->sh, o->codes[i].dim);
		sheet_text(o->sh, o->codes[i].code);
		sheet_text(o->sh, o->codes[i].label);
		sheet_row_end(o->sh);
	}
}

static int indicators_sheet(struct req *r, const struct scope *s, const struct indicators *in,
			    enum sheet_kind kind, int li)
{
	struct sheet_out o = {.li = li, .k = s->k, .mem = &r->mem};
	char k[24];
	const char *ext = kind == SHEET_CSV ? "csv" : "xlsx";
	char *disp;

	o.sh = sheet_new(kind, NULL);
	if (!o.sh)
		return reply_problem(r, 500, "internal", "cannot write the sheet");
	sheet_head(&o, "period");
	sheet_pair(&o, "from", s->f.from);
	sheet_pair(&o, "to", s->f.to);
	sheet_pair(&o, "scope", term(&o, s->all ? "scope_all" : "scope_own"));
	sheet_pair(&o, "protection", term(&o, s->all ? "protection_cell_key" : "protection_suppression"));
	snprintf(k, sizeof k, "%lld", s->k);
	sheet_pair(&o, "k", k);
	sheet_table(&o, "identified_sex_age", &in->identified);
	sheet_table(&o, "identified_status", &in->by_status);
	sheet_table(&o, "identified_exploitation", &in->exploitation);
	sheet_table(&o, "assisted_service", &in->assisted);
	sheet_table(&o, "referrals_agency", &in->referrals);
	sheet_table(&o, "hotline_contacts", &in->hotline);
	sheet_table(&o, "criminal_justice", &in->justice);
	sheet_table(&o, "people_trained", &in->trained);
	sheet_head(&o, "other_figures");
	sheet_figure(&o, "closed_cases", &in->closed);
	sheet_figure(&o, "closed_reintegrated", &in->reintegrated);
	sheet_share(&o, "reintegration_share", in->share_shown, in->share_shown ? share_of(in) : 0);
	sheet_figure(&o, "followups_overdue", &in->overdue);
	sheet_figure(&o, "training_events", &in->events);
	sheet_figure(&o, "study_visits", &in->visits);
	sheet_figure(&o, "study_visit_participants", &in->visitors);
	sheet_figure(&o, "participants_scored", &in->scored);
	sheet_share(&o, "mean_gain", in->gain_shown, in->gain_shown ? mean_gain(in) : 0);
	sheet_codes(&o);
	buf_reset(&r->out);
	if (sheet_finish(o.sh, &r->out)) {
		sheet_free(o.sh);
		return reply_problem(r, 500, "internal", "cannot write the sheet");
	}
	sheet_free(o.sh);
	r->status = 200;
	r->content_type = kind == SHEET_CSV ? "text/csv; charset=utf-8"
					    : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
	/* The period in the name: files of several periods side by side. */
	disp = arena_alloc(&r->mem, 80);
	if (disp)
		snprintf(disp, 80, "attachment; filename=\"indicators_%.10s_%.10s.%s\"", s->f.from, s->f.to, ext);
	reply_header(r, "Content-Disposition", disp ? disp : "attachment");
	return 200;
}

/* lang=tg|ru|en: the language of a sheet's words (English when absent);
 * 0, 1 or 2, or -1 for anything else. */
static int sheet_lang(const char *lang)
{
	static const char *const langs[] = {"tg", "ru", "en"};
	int i;
	if (!lang)
		return 2;
	for (i = 0; i < 3; i++)
		if (!strcmp(lang, langs[i]))
			return i;
	return -1;
}

/* GET /reports/indicators?from=&to=&format=json|csv|xlsx&lang=&region=&org= */
int api_reports_indicators(struct req *r)
{
	const char *format = req_query(r, "format");
	int li = sheet_lang(req_query(r, "lang"));
	struct indicators *in;
	struct scope s;
	int rc;

	if ((rc = scope_of(r, ACT_REPORT_INDICATORS, &s)))
		return rc;
	if (li < 0)
		return reply_problem(r, 422, "invalid-value", "lang: tg, ru or en");
	in = arena_alloc(&r->mem, sizeof *in);
	if (!in)
		return reply_problem(r, 500, "internal", "out of memory");
	if ((rc = indicators_compute(r, &s, in)))
		return rc;
	if (!format || !strcmp(format, "json")) {
		indicators_json(r, &s, in);
		return 200;
	}
	return indicators_sheet(r, &s, in, !strcmp(format, "csv") ? SHEET_CSV : SHEET_XLSX, li);
}

/* ---- the livelihood report ----------------------------------------------- */

/* GET /reports/livelihood?from=&to=&org=&by=sex|region: vocational
 * courses and business start-up grants delivered in the period by
 * completion, and the livelihood follow-ups done in it (3, 6 and 12
 * months after) by employment and, for grants, by whether the business
 * still runs; each by the person's sex or region of origin.  Region is a
 * dimension here, not a filter: a region filter over a breakdown by
 * region would publish nothing new, and over one by sex it would open
 * cells the table by region guards. */
int api_reports_livelihood(struct req *r)
{
	static const size_t by_sex[] = {0, 1, 2}, by_region[] = {0, 1, 3};
	static const struct {
		const char *key;
		enum rp_query q;
		const char *d0, *d1;
	} parts[] = {
		{"completion", RPQ_LIVELIHOOD_COMPLETION, "service_type", "completion"},
		{"employment", RPQ_LIVELIHOOD_EMPLOYMENT, "months_after", "employment"},
		{"business", RPQ_LIVELIHOOD_BUSINESS, "months_after", "business_running"},
	};
	struct table t[sizeof parts / sizeof parts[0]];
	const char *by = req_query(r, "by");
	const size_t *col;
	struct scope s;
	size_t i;
	int rc;
	jsonw w;

	if ((rc = scope_of(r, ACT_REPORT_LIVELIHOOD, &s)))
		return rc;
	if (s.f.region)
		return reply_problem(r, 422, "invalid-value",
				     "region: not a filter of this report; ask by=region");
	if (!by)
		by = "sex";
	col = !strcmp(by, "sex") ? by_sex : by_region;
	for (i = 0; i < sizeof parts / sizeof parts[0]; i++) {
		const char *names[3];
		names[0] = parts[i].d0;
		names[1] = parts[i].d1;
		names[2] = by;
		if ((rc = flat_table(r, &s, parts[i].q, names, col, 3, &t[i])) ||
		    (rc = report_guard(r, &s, &t[i], NULL, 0, 0)))
			return rc;
	}
	reply_json_begin(r, 200, &w);
	jw_object(&w);
	jw_kint(&w, "k", s.k);
	jw_kstr(&w, "from", s.f.from);
	jw_kstr(&w, "to", s.f.to);
	jw_kstr(&w, "scope", s.all ? "all" : "own");
	jw_kstr(&w, "protection", s.all ? "cell-key" : "suppression");
	for (i = 0; i < sizeof parts / sizeof parts[0]; i++)
		jw_sub(&w, parts[i].key, &t[i]);
	jw_finish(&w);
	return 200;
}
