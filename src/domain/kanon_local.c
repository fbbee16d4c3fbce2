/*
 * kanon_local.c - k-anonymity by local suppression (kanon.h): only the
 * cells that single a row out are set missing, chosen pattern by pattern
 * from the cheapest.
 *
 * Every row starts unsettled except those already in a class of at least
 * k.  Then the suppression patterns (sets of attributes to set missing,
 * respecting each attribute's `with`) are tried from the cheapest (sum of
 * the attributes' costs; fewer cells first on a tie).  Under a pattern S
 * the unsettled rows are projected (S's cells missing) and grouped with
 * the settled rows that already read the same; a group of at least k
 * settles its unsettled rows under S.  Settled rows never change and
 * groups only grow, so every class stays at least k.  Rows that no
 * pattern settles (even all missing) are dropped.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "domain/kanon.h"

#define LOCAL_ATTRS_MAX 12

struct keyed {
	uint32_t v[LOCAL_ATTRS_MAX];
	size_t row;
	int settled;
};

static size_t keyed_width;   /* bytes of v compared: set before each sort */

static int cmp_keyed(const void *a, const void *b)
{
	const struct keyed *x = a, *y = b;
	int c = memcmp(x->v, y->v, keyed_width);
	if (c)
		return c;
	return x->row < y->row ? -1 : x->row > y->row;
}

static int is_missing(const char *s)
{
	return !s || !strcmp(s, KANON_MISSING);
}

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

/* Codes of one column: 0 missing, 1.. the distinct values. */
static int intern_column(const struct kanon_table *t, size_t col, uint32_t *codes)
{
	size_t cap = 16, i;
	const char **slot;
	uint32_t *id, next = 1;

	while (cap < 2 * t->nrows + 2)
		cap *= 2;
	slot = calloc(cap, sizeof *slot);
	id = calloc(cap, sizeof *id);
	if (!slot || !id) {
		free(slot);
		free(id);
		return -1;
	}
	for (i = 0; i < t->nrows; i++) {
		const char *v = t->cells[i * t->nattrs + col];
		size_t h;
		if (is_missing(v)) {
			codes[i * t->nattrs + col] = 0;
			continue;
		}
		for (h = hash_str(v) & (cap - 1); slot[h] && strcmp(slot[h], v); h = (h + 1) & (cap - 1))
			;
		if (!slot[h]) {
			slot[h] = v;
			id[h] = next++;
		}
		codes[i * t->nattrs + col] = id[h];
	}
	free(slot);
	free(id);
	return 0;
}

struct pattern {
	unsigned mask, cost, cells;
};

static int cmp_pattern(const void *a, const void *b)
{
	const struct pattern *x = a, *y = b;
	if (x->cost != y->cost)
		return x->cost < y->cost ? -1 : 1;
	if (x->cells != y->cells)
		return x->cells < y->cells ? -1 : 1;
	return x->mask < y->mask ? -1 : x->mask > y->mask;
}

static size_t patterns_make(const struct kanon_local_attr *la, size_t m, struct pattern *p)
{
	unsigned mask, c;
	size_t n = 0;

	for (mask = 0; mask < (1u << m); mask++) {
		int ok = 1;
		p[n].mask = mask;
		p[n].cost = p[n].cells = 0;
		for (c = 0; c < m; c++) {
			if (!(mask & (1u << c)))
				continue;
			if (la[c].with >= 0 && !(mask & (1u << la[c].with)))
				ok = 0;
			p[n].cost += la[c].cost;
			p[n].cells++;
		}
		if (ok)
			n++;
	}
	qsort(p, n, sizeof *p, cmp_pattern);
	return n;
}

int kanon_local(struct kanon_table *t, const struct kanon_local_attr *la, unsigned k,
		struct kanon_local_result *res)
{
	size_t n = t->nrows, m = t->nattrs, i, j, np, pi, nk, unsettled = n;
	uint32_t *codes = NULL;
	unsigned char *settled = NULL;
	struct keyed *ks = NULL;
	struct pattern *pats = NULL;
	int rc = -1;

	if (k < 1 || m == 0 || m > LOCAL_ATTRS_MAX)
		return -1;
	memset(res->dropped, 0, n ? n : 1);
	res->cells_suppressed = res->dropped_rows = 0;
	if (res->suppressed_per_attr)
		memset(res->suppressed_per_attr, 0, m * sizeof *res->suppressed_per_attr);
	codes = malloc((n ? n : 1) * m * sizeof *codes);
	settled = calloc(n ? n : 1, 1);
	ks = malloc((n ? n : 1) * sizeof *ks);
	pats = malloc(((size_t)1 << m) * sizeof *pats);
	if (!codes || !settled || !ks || !pats)
		goto out;
	for (j = 0; j < m; j++)
		if (intern_column(t, j, codes))
			goto out;
	np = patterns_make(la, m, pats);
	keyed_width = m * sizeof(uint32_t);

	for (pi = 0; pi < np && unsettled; pi++) {
		unsigned mask = pats[pi].mask;
		size_t g;

		/* The unsettled rows projected, and the settled ones that
		 * already read missing wherever the pattern would. */
		nk = 0;
		for (i = 0; i < n; i++) {
			const uint32_t *row = codes + i * m;
			if (settled[i]) {
				int fits = 1;
				for (j = 0; j < m && fits; j++)
					if ((mask & (1u << j)) && row[j])
						fits = 0;
				if (!fits || mask == 0)
					continue;
			}
			memset(ks[nk].v, 0, sizeof ks[nk].v);
			for (j = 0; j < m; j++)
				ks[nk].v[j] = (mask & (1u << j)) ? 0 : row[j];
			ks[nk].row = i;
			ks[nk].settled = settled[i];
			nk++;
		}
		qsort(ks, nk, sizeof *ks, cmp_keyed);
		for (g = 0; g < nk;) {
			size_t e = g + 1, open = !ks[g].settled;
			while (e < nk && !memcmp(ks[e].v, ks[g].v, keyed_width)) {
				open += !ks[e].settled;
				e++;
			}
			if (open && e - g >= k) {
				for (i = g; i < e; i++) {
					size_t r = ks[i].row;
					if (settled[r])
						continue;
					for (j = 0; j < m; j++)
						if ((mask & (1u << j)) && codes[r * m + j]) {
							codes[r * m + j] = 0;
							t->cells[r * m + j] = KANON_MISSING;
							res->cells_suppressed++;
							if (res->suppressed_per_attr)
								res->suppressed_per_attr[j]++;
						}
					settled[r] = 1;
					unsettled--;
				}
			}
			g = e;
		}
	}
	for (i = 0; i < n; i++)
		if (!settled[i]) {
			res->dropped[i] = 1;
			res->dropped_rows++;
		}
	rc = 0;
out:
	free(codes);
	free(settled);
	free(ks);
	free(pats);
	return rc;
}
