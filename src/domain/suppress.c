/*
 * suppress.c - primary and complementary small-cell suppression over an
 * extended cube of counts; see suppress.h for the rules.
 */
#include <assert.h>
#include <stdlib.h>

#include "domain/suppress.h"

size_t suppress_cube_size(size_t ndim, const size_t *len)
{
	size_t j, size = 1;

	if (ndim > SUPPRESS_MAX_DIMS)
		return 0;
	for (j = 0; j < ndim; j++) {
		if (len[j] == 0 || len[j] >= SUPPRESS_MAX_ENTRIES)
			return 0;
		if (size > SUPPRESS_MAX_ENTRIES / (len[j] + 1))
			return 0;
		size *= len[j] + 1;
	}
	return size;
}

int suppress_cube_init(struct supp_cube *c, size_t ndim, const size_t *len, long long *count,
		       unsigned char *supp)
{
	size_t j, size = suppress_cube_size(ndim, len);

	if (!size)
		return -1;
	c->ndim = ndim;
	c->size = size;
	c->count = count;
	c->supp = supp;
	for (j = 0; j < ndim; j++) {
		c->len[j] = len[j];
		c->stride[j] = j ? c->stride[j - 1] * (len[j - 1] + 1) : 1;
	}
	return 0;
}

size_t suppress_index(const struct supp_cube *c, const size_t *coord)
{
	size_t j, idx = 0;

	for (j = 0; j < c->ndim; j++) {
		assert(coord[j] <= c->len[j]);
		idx += coord[j] * c->stride[j];
	}
	return idx;
}

size_t suppress_coord(const struct supp_cube *c, size_t idx, size_t j)
{
	return idx / c->stride[j] % (c->len[j] + 1);
}

int suppress_is_cell(const struct supp_cube *c, size_t idx)
{
	size_t j;

	for (j = 0; j < c->ndim; j++)
		if (suppress_coord(c, idx, j) == c->len[j])
			return 0;
	return 1;
}

void suppress_fill_margins(struct supp_cube *c)
{
	size_t j, idx, t;

	/* After step j, an entry at the margin of j holds the sum along j of
	 * what steps before it summed: in the end every margin entry is the
	 * sum of the cells below it. */
	for (j = 0; j < c->ndim; j++) {
		size_t st = c->stride[j], L = c->len[j];
		for (idx = 0; idx < c->size; idx++) {
			long long sum = 0;
			if (suppress_coord(c, idx, j) != L)
				continue;
			for (t = 0; t < L; t++)
				sum += c->count[idx - (L - t) * st];
			c->count[idx] = sum;
		}
	}
}

/* A sum with its terms: when exactly one of them (sum included) is
 * suppressed, suppress the smallest other non-zero term, else the sum.
 * Returns 1 when something was suppressed. */
struct group {
	size_t nsupp;
	size_t best;       /* smallest unsuppressed non-zero term */
	long long best_count;
	int have_best;
};

static void group_start(struct group *g)
{
	g->nsupp = 0;
	g->have_best = 0;
	g->best = 0;
	g->best_count = 0;
}

static void group_term(struct group *g, const struct supp_cube *c, size_t idx)
{
	if (c->supp[idx]) {
		g->nsupp++;
		return;
	}
	if (c->count[idx] > 0 && (!g->have_best || c->count[idx] < g->best_count)) {
		g->have_best = 1;
		g->best = idx;
		g->best_count = c->count[idx];
	}
}

static int group_end(struct group *g, struct supp_cube *c, size_t sum_idx)
{
	size_t n = g->nsupp + c->supp[sum_idx];

	if (n != 1)
		return 0;
	if (g->have_best) {
		c->supp[g->best] = 1;
		return 1;
	}
	if (!c->supp[sum_idx] && c->count[sum_idx] > 0) {
		c->supp[sum_idx] = 1;
		return 1;
	}
	return 0;
}

/* Every line along dimension j. */
static int lines_pass(struct supp_cube *c, size_t j)
{
	size_t st = c->stride[j], L = c->len[j], base, t;
	int changed = 0;

	for (base = 0; base < c->size; base++) {
		struct group g;
		if (suppress_coord(c, base, j) != 0)
			continue;
		group_start(&g);
		for (t = 0; t < L; t++)
			group_term(&g, c, base + t * st);
		changed |= group_end(&g, c, base + L * st);
	}
	return changed;
}

/* Every slab (cells of one value of one dimension, summing to its 1-D
 * margin), and the whole table (summing to the grand total). */
static int slabs_pass(struct supp_cube *c, struct group *slab)
{
	size_t j, idx, nslab = 0, first[SUPPRESS_MAX_DIMS], all[SUPPRESS_MAX_DIMS];
	struct group whole;
	int changed = 0;

	for (j = 0; j < c->ndim; j++) {
		first[j] = nslab;
		nslab += c->len[j];
		all[j] = c->len[j];
	}
	for (idx = 0; idx < nslab; idx++)
		group_start(&slab[idx]);
	group_start(&whole);
	for (idx = 0; idx < c->size; idx++) {
		if (!suppress_is_cell(c, idx))
			continue;
		for (j = 0; j < c->ndim; j++)
			group_term(&slab[first[j] + suppress_coord(c, idx, j)], c, idx);
		group_term(&whole, c, idx);
	}
	for (j = 0; j < c->ndim; j++) {
		size_t v, coord[SUPPRESS_MAX_DIMS];
		for (v = 0; v < c->len[j]; v++) {
			size_t i;
			for (i = 0; i < c->ndim; i++)
				coord[i] = all[i];
			coord[j] = v;
			changed |= group_end(&slab[first[j] + v], c, suppress_index(c, coord));
		}
	}
	changed |= group_end(&whole, c, suppress_index(c, all));
	return changed;
}

size_t suppress_apply(struct supp_cube *c, long long k)
{
	struct group *slab = NULL;
	size_t idx, j, nslab = 0, n = 0;
	int changed;

	assert(k >= 2);
	for (idx = 0; idx < c->size; idx++)
		if (c->count[idx] >= 1 && c->count[idx] < k)
			c->supp[idx] = 1;
	for (j = 0; j < c->ndim; j++)
		nslab += c->len[j];
	if (c->ndim >= 2)
		slab = malloc(nslab * sizeof *slab);
	do {
		changed = 0;
		for (j = 0; j < c->ndim; j++)
			changed |= lines_pass(c, j);
		/* With two dimensions the slabs are the lines; with more, they
		 * are sums the lines do not state. */
		if (c->ndim >= 2) {
			if (!slab) {
				/* Out of memory: the safe answer is to publish no
				 * cell at all. */
				for (idx = 0; idx < c->size; idx++)
					if (c->count[idx] > 0)
						c->supp[idx] = 1;
				break;
			}
			changed |= slabs_pass(c, slab);
		}
	} while (changed);
	free(slab);
	for (idx = 0; idx < c->size; idx++)
		if (c->supp[idx] && suppress_is_cell(c, idx))
			n++;
	return n;
}
