/*
 * kanon.c - k-anonymity by greedy generalisation and suppression; see
 * kanon.h.  Values are interned per attribute (an id per distinct string,
 * 0 for missing), and classes are counted in one pass over the rows with
 * a hash table of id tuples, so that trying every attribute's next level
 * at each step stays linear in the rows.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "domain/kanon.h"

/* ---- interning ---------------------------------------------------------- */

struct intern {
	const char **slot_key;  /* open addressing, cap slots */
	unsigned *slot_id;
	size_t cap;
	const char **by_id;     /* id -> string; by_id[0] = KANON_MISSING */
	size_t n, by_id_cap;
};

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ull;   /* FNV-1a */
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ull;
	}
	return h;
}

static int is_missing(const char *v)
{
	return !v || !*v || !strcmp(v, KANON_MISSING);
}

static void intern_free(struct intern *in)
{
	free(in->slot_key);
	free(in->slot_id);
	free(in->by_id);
	memset(in, 0, sizeof *in);
}

static int intern_reset(struct intern *in)
{
	intern_free(in);
	in->cap = 1024;
	in->slot_key = calloc(in->cap, sizeof *in->slot_key);
	in->slot_id = calloc(in->cap, sizeof *in->slot_id);
	in->by_id_cap = 64;
	in->by_id = malloc(in->by_id_cap * sizeof *in->by_id);
	if (!in->slot_key || !in->slot_id || !in->by_id)
		return -1;
	in->by_id[0] = KANON_MISSING;
	in->n = 1;
	return 0;
}

static int intern_grow(struct intern *in)
{
	size_t cap = in->cap * 2, i, j;
	const char **keys = calloc(cap, sizeof *keys);
	unsigned *ids = calloc(cap, sizeof *ids);

	if (!keys || !ids) {
		free(keys);
		free(ids);
		return -1;
	}
	for (i = 0; i < in->cap; i++) {
		if (!in->slot_key[i])
			continue;
		for (j = hash_str(in->slot_key[i]) & (cap - 1); keys[j]; j = (j + 1) & (cap - 1))
			;
		keys[j] = in->slot_key[i];
		ids[j] = in->slot_id[i];
	}
	free(in->slot_key);
	free(in->slot_id);
	in->slot_key = keys;
	in->slot_id = ids;
	in->cap = cap;
	return 0;
}

/* The id of v (0 for missing); -1 when out of memory. */
static long intern_id(struct intern *in, const char *v)
{
	size_t j;

	if (is_missing(v))
		return 0;
	for (j = hash_str(v) & (in->cap - 1); in->slot_key[j]; j = (j + 1) & (in->cap - 1))
		if (!strcmp(in->slot_key[j], v))
			return in->slot_id[j];
	if (in->n >= in->by_id_cap) {
		const char **b = realloc(in->by_id, in->by_id_cap * 2 * sizeof *b);
		if (!b)
			return -1;
		in->by_id = b;
		in->by_id_cap *= 2;
	}
	in->slot_key[j] = v;
	in->slot_id[j] = (unsigned)in->n;
	in->by_id[in->n] = v;
	in->n++;
	if (in->n * 2 > in->cap && intern_grow(in))
		return -1;
	return (long)(in->n - 1);
}

/* ---- the state of a run ------------------------------------------------- */

struct slot {
	uint64_t h;
	size_t row;             /* a row of the class (its representative) */
	size_t count;           /* 0: empty slot */
};

struct run {
	const struct kanon_attr *attrs;
	size_t nrows, nattrs;
	const char **orig;     /* level-0 values, copied from the table */
	unsigned *id;          /* nrows * nattrs current ids */
	struct intern *in;     /* per attribute: the values at its current level */
	unsigned *id0;         /* nrows * nattrs ids of the level-0 values */
	struct intern *in0;    /* per attribute: the level-0 values */
	unsigned *level;
	unsigned char *small;  /* per row: in a class smaller than k */
	struct slot *slots;    /* the classes, open addressing */
	size_t nslots;
	size_t *slot_of;       /* per row: its class's slot */
	/* A trial: attribute `alt_attr` (or none, -1) read from alt[]. */
	long alt_attr;
	unsigned *alt;
	struct intern alt_in;
};

static const char *value_at(const struct kanon_attr *a, const char *v, unsigned level)
{
	const char *g;

	if (is_missing(v) || level > a->levels)
		return KANON_MISSING;
	if (level == 0)
		return v;
	if (!a->generalise)
		return KANON_MISSING;
	g = a->generalise(v, level, a->ctx);
	return g ? g : KANON_MISSING;
}

/* Intern attribute a's values at level into ids[i] (stride apart).  The
 * level-0 values are interned once (in0, id0); a level above maps each
 * distinct level-0 value once, then every row by its level-0 id. */
static int run_ids(struct run *r, size_t a, unsigned level, struct intern *in, unsigned *ids,
		   size_t stride)
{
	const struct intern *base = &r->in0[a];
	unsigned *map;
	size_t i, v;

	if (intern_reset(in))
		return -1;
	map = malloc(base->n * sizeof *map);
	if (!map)
		return -1;
	map[0] = 0;   /* missing stays missing */
	for (v = 1; v < base->n; v++) {
		long id = intern_id(in, value_at(&r->attrs[a], base->by_id[v], level));
		if (id < 0) {
			free(map);
			return -1;
		}
		map[v] = (unsigned)id;
	}
	for (i = 0; i < r->nrows; i++)
		ids[i * stride] = map[r->id0[i * r->nattrs + a]];
	free(map);
	return 0;
}

/* Intern the level-0 values of every attribute (in0, id0). */
static int run_base(struct run *r)
{
	size_t i, a;

	for (a = 0; a < r->nattrs; a++) {
		if (intern_reset(&r->in0[a]))
			return -1;
		for (i = 0; i < r->nrows; i++) {
			long id = intern_id(&r->in0[a], r->orig[i * r->nattrs + a]);
			if (id < 0)
				return -1;
			r->id0[i * r->nattrs + a] = (unsigned)id;
		}
	}
	return 0;
}

static unsigned run_id(const struct run *r, size_t row, size_t a)
{
	return (long)a == r->alt_attr ? r->alt[row] : r->id[row * r->nattrs + a];
}

static uint64_t run_hash(const struct run *r, size_t row)
{
	uint64_t h = 0x9e3779b97f4a7c15ull;
	size_t a;

	for (a = 0; a < r->nattrs; a++) {
		h ^= run_id(r, row, a) + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
		h *= 0xff51afd7ed558ccdull;
	}
	return h ^ (h >> 33);
}

static int run_same(const struct run *r, size_t x, size_t y)
{
	size_t a;

	for (a = 0; a < r->nattrs; a++)
		if (run_id(r, x, a) != run_id(r, y, a))
			return 0;
	return 1;
}

/* Count the classes (with the trial attribute, if any) and mark the rows
 * of classes smaller than k; returns how many rows those are.  O(rows). */
static size_t run_count(struct run *r, unsigned k)
{
	size_t i, j, outliers = 0, mask = r->nslots - 1;

	memset(r->slots, 0, r->nslots * sizeof *r->slots);
	for (i = 0; i < r->nrows; i++) {
		uint64_t h = run_hash(r, i);
		for (j = h & mask; r->slots[j].count; j = (j + 1) & mask)
			if (r->slots[j].h == h && run_same(r, r->slots[j].row, i))
				break;
		if (!r->slots[j].count) {
			r->slots[j].h = h;
			r->slots[j].row = i;
		}
		r->slots[j].count++;
		r->slot_of[i] = j;
	}
	for (i = 0; i < r->nrows; i++) {
		r->small[i] = r->slots[r->slot_of[i]].count < k;
		outliers += r->small[i];
	}
	return outliers;
}

/* The attribute to lift next: the one whose lifting leaves the fewest rows
 * in small classes (ties: the one with the most distinct values now);
 * -1 when every one is all missing already. */
static long run_pick(struct run *r, unsigned k, int *err)
{
	size_t a, best_out = 0, best_n = 0;
	long best = -1;

	for (a = 0; a < r->nattrs; a++) {
		size_t out;

		if (r->level[a] > r->attrs[a].levels)
			continue;
		if (run_ids(r, a, r->level[a] + 1, &r->alt_in, r->alt, 1)) {
			*err = 1;
			return -1;
		}
		r->alt_attr = (long)a;
		out = run_count(r, k);
		r->alt_attr = -1;
		if (best < 0 || out < best_out || (out == best_out && r->in[a].n > best_n)) {
			best = (long)a;
			best_out = out;
			best_n = r->in[a].n;
		}
	}
	return best;
}

static void run_free(struct run *r)
{
	size_t a;

	if (r->in)
		for (a = 0; a < r->nattrs; a++)
			intern_free(&r->in[a]);
	if (r->in0)
		for (a = 0; a < r->nattrs; a++)
			intern_free(&r->in0[a]);
	intern_free(&r->alt_in);
	free(r->in);
	free(r->in0);
	free(r->id0);
	free(r->orig);
	free(r->id);
	free(r->small);
	free(r->slots);
	free(r->slot_of);
	free(r->alt);
}

int kanon_run(const struct kanon_attr *attrs, struct kanon_table *t, unsigned k,
	      double max_suppress, struct kanon_result *res)
{
	struct run r;
	size_t i, a, budget, outliers, all_missing = 0;
	int rc = -1, err = 0;

	if (k < 1 || !t || !res)
		return -1;
	memset(&r, 0, sizeof r);
	r.attrs = attrs;
	r.nrows = t->nrows;
	r.nattrs = t->nattrs;
	r.level = res->level;
	r.alt_attr = -1;
	res->suppressed = res->dropped_rows = 0;
	res->steps = 0;
	for (a = 0; a < r.nattrs; a++)
		r.level[a] = 0;
	if (r.nrows)
		memset(res->dropped, 0, r.nrows);
	if (r.nrows == 0 || r.nattrs == 0)
		return 0;
	if (r.nrows > SIZE_MAX / r.nattrs / sizeof *r.id / 4)
		return -1;
	for (r.nslots = 16; r.nslots < r.nrows * 2; r.nslots *= 2)
		;
	r.orig = malloc(r.nrows * r.nattrs * sizeof *r.orig);
	r.id = malloc(r.nrows * r.nattrs * sizeof *r.id);
	r.in = calloc(r.nattrs, sizeof *r.in);
	r.id0 = malloc(r.nrows * r.nattrs * sizeof *r.id0);
	r.in0 = calloc(r.nattrs, sizeof *r.in0);
	r.small = malloc(r.nrows);
	r.slots = malloc(r.nslots * sizeof *r.slots);
	r.slot_of = malloc(r.nrows * sizeof *r.slot_of);
	r.alt = malloc(r.nrows * sizeof *r.alt);
	if (!r.orig || !r.id || !r.in || !r.id0 || !r.in0 || !r.small || !r.slots || !r.slot_of ||
	    !r.alt)
		goto out;
	memcpy(r.orig, t->cells, r.nrows * r.nattrs * sizeof *r.orig);
	if (run_base(&r))
		goto out;
	for (a = 0; a < r.nattrs; a++)
		if (run_ids(&r, a, 0, &r.in[a], r.id + a, r.nattrs))
			goto out;

	if (max_suppress < 0)
		max_suppress = 0;
	budget = (size_t)(max_suppress * (double)r.nrows);
	for (;;) {
		long pick;

		outliers = run_count(&r, k);
		if (outliers <= budget)
			break;
		pick = run_pick(&r, k, &err);
		if (err)
			goto out;
		if (pick < 0)
			break;
		r.level[pick]++;
		res->steps++;
		if (run_ids(&r, (size_t)pick, r.level[pick], &r.in[pick], r.id + pick, r.nattrs))
			goto out;
	}
	(void)run_count(&r, k);   /* r.small of the levels kept (trials overwrote it) */

	/* Suppress what is left in small classes: every quasi-identifier
	 * missing.  Those rows join the class of rows missing every one. */
	for (i = 0; i < r.nrows; i++) {
		unsigned *row = r.id + i * r.nattrs;
		if (r.small[i]) {
			memset(row, 0, r.nattrs * sizeof *row);
			res->suppressed++;
		}
		for (a = 0; a < r.nattrs && row[a] == 0; a++)
			;
		all_missing += a == r.nattrs;
	}
	if (all_missing > 0 && all_missing < k) {
		for (i = 0; i < r.nrows; i++) {
			unsigned *row = r.id + i * r.nattrs;
			for (a = 0; a < r.nattrs && row[a] == 0; a++)
				;
			if (a == r.nattrs) {
				res->dropped[i] = 1;
				res->dropped_rows++;
			}
		}
	}
	for (i = 0; i < r.nrows; i++)
		for (a = 0; a < r.nattrs; a++)
			t->cells[i * r.nattrs + a] = r.in[a].by_id[r.id[i * r.nattrs + a]];
	rc = 0;
out:
	run_free(&r);
	return rc;
}

/* ---- the independent check ---------------------------------------------- */

static int cmp_check(const void *x, const void *y, void *ctx)
{
	const struct kanon_table *t = ctx;
	const char *const *a = t->cells + *(const size_t *)x * t->nattrs;
	const char *const *b = t->cells + *(const size_t *)y * t->nattrs;
	size_t i;

	for (i = 0; i < t->nattrs; i++) {
		const char *va = is_missing(a[i]) ? KANON_MISSING : a[i];
		const char *vb = is_missing(b[i]) ? KANON_MISSING : b[i];
		int c = strcmp(va, vb);
		if (c)
			return c;
	}
	return 0;
}

int kanon_check(const struct kanon_table *t, const unsigned char *dropped, unsigned k)
{
	size_t *order, n = 0, i, start;
	int ok = 1;

	if (t->nrows == 0)
		return 1;
	order = malloc(t->nrows * sizeof *order);
	if (!order)
		return 0;
	for (i = 0; i < t->nrows; i++)
		if (!dropped || !dropped[i])
			order[n++] = i;
	qsort_r(order, n, sizeof *order, cmp_check, (void *)t);
	for (start = 0; start < n && ok; start = i) {
		for (i = start + 1; i < n && !cmp_check(&order[start], &order[i], (void *)t); i++)
			;
		if (i - start < k)
			ok = 0;
	}
	free(order);
	return ok;
}
