/*
 * test_suppress.c - unit tests of src/domain/suppress.c: primary
 * suppression of 1..k-1, zero cells left alone, a worked 2-D example,
 * the margin taken when a line has no other cell, sizes and limits, and
 * an independent recovery check over many random tables of 1 to 4
 * dimensions: with the published numbers (cells, 1-D margins, grand
 * total) no suppressed number is the only unknown of any published sum,
 * so none can be worked back by subtraction.
 *
 * And src/domain/cellkey.c, the cell-key method of the figures across
 * organisations: record keys fixed by the key and the id, zero stays
 * zero, no count 1..k-1 published as itself, every published value 0 or
 * a multiple of k within k of the count, the same cell key the same
 * answer, unbiased over the table's columns, and, by brute force over
 * every pair of counts and many cell keys, no difference or sum of two
 * published values equal to a true difference or sum under k.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "domain/cellkey.h"
#include "domain/suppress.h"

#define K 11

struct table {
	struct supp_cube c;
	long long *count;
	unsigned char *supp;
};

static void table_make(struct table *t, size_t ndim, const size_t *len)
{
	size_t size = suppress_cube_size(ndim, len);
	assert_true(size > 0);
	t->count = calloc(size, sizeof *t->count);
	t->supp = calloc(size, 1);
	assert_non_null(t->count);
	assert_non_null(t->supp);
	assert_int_equal(suppress_cube_init(&t->c, ndim, len, t->count, t->supp), 0);
}

static void table_free(struct table *t)
{
	free(t->count);
	free(t->supp);
}

/* ---- the independent check ----------------------------------------------
 * Written from the published numbers only: for each cell its coordinates
 * and count or "suppressed"; the 1-D margins; the total.  Indexing is done
 * here again with its own arithmetic, not through suppress_index. */

struct published {
	size_t ndim, len[4];
	size_t ncells;
	long long *cell;          /* -1 when suppressed */
	long long *margin[4];     /* -1 when suppressed */
	long long total;          /* -1 when suppressed */
};

static size_t cell_offset(const struct published *p, const size_t *coord)
{
	size_t j, off = 0, mul = 1;
	for (j = 0; j < p->ndim; j++) {
		off += coord[j] * mul;
		mul *= p->len[j];
	}
	return off;
}

static void publish(const struct table *t, struct published *p)
{
	size_t j, off, coord[4], full[4];

	memset(p, 0, sizeof *p);
	p->ndim = t->c.ndim;
	p->ncells = 1;
	for (j = 0; j < p->ndim; j++) {
		p->len[j] = t->c.len[j];
		p->ncells *= p->len[j];
		full[j] = p->len[j];
	}
	p->cell = calloc(p->ncells, sizeof *p->cell);
	for (off = 0; off < p->ncells; off++) {
		size_t rest = off, idx;
		for (j = 0; j < p->ndim; j++) {
			coord[j] = rest % p->len[j];
			rest /= p->len[j];
		}
		idx = suppress_index(&t->c, coord);
		p->cell[off] = t->supp[idx] ? -1 : t->count[idx];
	}
	for (j = 0; j < p->ndim; j++) {
		size_t v, i;
		p->margin[j] = calloc(p->len[j], sizeof **p->margin);
		for (v = 0; v < p->len[j]; v++) {
			size_t idx;
			for (i = 0; i < p->ndim; i++)
				coord[i] = full[i];
			coord[j] = v;
			idx = suppress_index(&t->c, coord);
			p->margin[j][v] = t->supp[idx] ? -1 : t->count[idx];
		}
	}
	p->total = t->supp[suppress_index(&t->c, full)] ? -1 : t->count[suppress_index(&t->c, full)];
}

static void published_free(struct published *p)
{
	size_t j;
	free(p->cell);
	for (j = 0; j < p->ndim; j++)
		free(p->margin[j]);
}

/* A published sum: how many of its numbers (sum included) are unknown.
 * Exactly one unknown is recoverable by subtraction. */
static void expect_not_one_unknown(size_t unknown, const char *what)
{
	if (unknown == 1)
		fail_msg("a suppressed number is recoverable from %s", what);
}

static void check_recovery(const struct published *p)
{
	size_t j, v, off, coord[4];

	/* total = sum of all cells */
	{
		size_t unknown = p->total < 0;
		for (off = 0; off < p->ncells; off++)
			unknown += p->cell[off] < 0;
		if (p->ndim > 0)
			expect_not_one_unknown(unknown, "the total over all cells");
	}
	for (j = 0; j < p->ndim; j++) {
		/* total = sum of the margins of dimension j */
		size_t unknown = p->total < 0;
		for (v = 0; v < p->len[j]; v++)
			unknown += p->margin[j][v] < 0;
		expect_not_one_unknown(unknown, "the total over a dimension's margins");
		/* margin(j, v) = sum of the cells with value v along j */
		for (v = 0; v < p->len[j]; v++) {
			size_t u = p->margin[j][v] < 0;
			for (off = 0; off < p->ncells; off++) {
				size_t rest = off, i;
				for (i = 0; i < p->ndim; i++) {
					coord[i] = rest % p->len[i];
					rest /= p->len[i];
				}
				if (coord[j] == v)
					u += p->cell[cell_offset(p, coord)] < 0;
			}
			expect_not_one_unknown(u, "a 1-D margin");
		}
	}
	/* Two dimensions: every row and column is such a slab already; with
	 * three or more, lines of cells have no published sum. */
}

/* Every nonzero count under K is hidden; zero is never hidden. */
static void check_primary(const struct table *t)
{
	size_t idx;
	for (idx = 0; idx < t->c.size; idx++) {
		if (t->count[idx] >= 1 && t->count[idx] < K)
			assert_true(t->supp[idx]);
		if (t->count[idx] == 0)
			assert_false(t->supp[idx]);
	}
}

/* ---- tests --------------------------------------------------------------- */

static void test_sizes(void **state)
{
	size_t len[SUPPRESS_MAX_DIMS + 1] = {2, 3, 4};
	(void)state;
	assert_int_equal(suppress_cube_size(0, len), 1);
	assert_int_equal(suppress_cube_size(1, len), 3);
	assert_int_equal(suppress_cube_size(3, len), 3 * 4 * 5);
	len[1] = 0;
	assert_int_equal(suppress_cube_size(3, len), 0);
	len[0] = len[1] = len[2] = 200;
	assert_int_equal(suppress_cube_size(3, len), 0); /* 201^3 > the cap */
	for (size_t j = 0; j <= SUPPRESS_MAX_DIMS; j++)
		len[j] = 1;
	assert_int_equal(suppress_cube_size(SUPPRESS_MAX_DIMS + 1, len), 0);
	assert_int_equal(suppress_cube_size(SUPPRESS_MAX_DIMS, len), (size_t)1 << SUPPRESS_MAX_DIMS);
}

static void test_fill_margins(void **state)
{
	size_t len[2] = {2, 3}, c[2];
	struct table t;
	long long v = 1;
	(void)state;
	table_make(&t, 2, len);
	for (c[1] = 0; c[1] < 3; c[1]++)
		for (c[0] = 0; c[0] < 2; c[0]++)
			t.count[suppress_index(&t.c, c)] = v++; /* 1..6 */
	suppress_fill_margins(&t.c);
	c[0] = 2; c[1] = 0;
	assert_int_equal(t.count[suppress_index(&t.c, c)], 1 + 2);
	c[0] = 0; c[1] = 3;
	assert_int_equal(t.count[suppress_index(&t.c, c)], 1 + 3 + 5);
	c[0] = 2; c[1] = 3;
	assert_int_equal(t.count[suppress_index(&t.c, c)], 21);
	assert_true(suppress_is_cell(&t.c, 0));
	assert_false(suppress_is_cell(&t.c, suppress_index(&t.c, c)));
	table_free(&t);
}

static void set2(struct table *t, size_t a, size_t b, long long v)
{
	size_t c[2] = {a, b};
	t->count[suppress_index(&t->c, c)] = v;
}

static int supp2(const struct table *t, size_t a, size_t b)
{
	size_t c[2] = {a, b};
	return t->supp[suppress_index(&t->c, c)];
}

/* A worked example:      f    m
 *              RU       40   25
 *              KZ        3   30
 *              AE       20   50
 * 3 is hidden; its row (KZ) then loses 30 (the only other cell), its
 * column (f) loses 20 (smaller than 40); then row AE has one hidden cell
 * (20) and loses 50, and column m has two.  RU stays whole. */
static void test_worked_example(void **state)
{
	size_t len[2] = {3, 2};
	struct table t;
	size_t n;
	(void)state;
	table_make(&t, 2, len);
	set2(&t, 0, 0, 40); set2(&t, 0, 1, 25);
	set2(&t, 1, 0, 3);  set2(&t, 1, 1, 30);
	set2(&t, 2, 0, 20); set2(&t, 2, 1, 50);
	suppress_fill_margins(&t.c);
	n = suppress_apply(&t.c, K);
	assert_true(supp2(&t, 1, 0));
	assert_true(supp2(&t, 1, 1));
	assert_true(supp2(&t, 2, 0));
	assert_true(supp2(&t, 2, 1));
	assert_false(supp2(&t, 0, 0));
	assert_false(supp2(&t, 0, 1));
	assert_int_equal(n, 4);
	/* margins stay published: each row and column has two unknowns */
	assert_false(supp2(&t, 1, 2));
	assert_false(supp2(&t, 3, 0));
	assert_false(supp2(&t, 3, 2));
	{
		struct published p;
		publish(&t, &p);
		check_recovery(&p);
		published_free(&p);
	}
	table_free(&t);
}

/* A row whose only non-zero cell is small: the row's margin (equal to
 * it) goes too, and then a second row's margin to protect the column of
 * margins. */
static void test_margin_when_alone(void **state)
{
	size_t len[2] = {3, 2};
	struct table t;
	struct published p;
	(void)state;
	table_make(&t, 2, len);
	set2(&t, 0, 0, 5);  set2(&t, 0, 1, 0);
	set2(&t, 1, 0, 30); set2(&t, 1, 1, 40);
	set2(&t, 2, 0, 60); set2(&t, 2, 1, 70);
	suppress_fill_margins(&t.c);
	suppress_apply(&t.c, K);
	assert_true(supp2(&t, 0, 0));
	assert_false(supp2(&t, 0, 1)); /* zero stays */
	assert_true(supp2(&t, 0, 2));  /* the row's margin (5) is under k anyway */
	check_primary(&t);
	publish(&t, &p);
	check_recovery(&p);
	published_free(&p);
	table_free(&t);
}

/* One dimension: a single small cell takes the next smallest with it. */
static void test_one_dimension(void **state)
{
	size_t len[1] = {4}, c[1];
	struct table t;
	struct published p;
	static const long long v[4] = {100, 4, 30, 12};
	(void)state;
	table_make(&t, 1, len);
	for (c[0] = 0; c[0] < 4; c[0]++)
		t.count[suppress_index(&t.c, c)] = v[c[0]];
	suppress_fill_margins(&t.c);
	assert_int_equal(suppress_apply(&t.c, K), 2);
	c[0] = 1; assert_true(t.supp[suppress_index(&t.c, c)]);
	c[0] = 3; assert_true(t.supp[suppress_index(&t.c, c)]);  /* 12 < 30 */
	c[0] = 0; assert_false(t.supp[suppress_index(&t.c, c)]);
	c[0] = 4; assert_false(t.supp[suppress_index(&t.c, c)]); /* the total stays */
	publish(&t, &p);
	check_recovery(&p);
	published_free(&p);
	table_free(&t);
}

/* No dimension: the total alone, hidden when small. */
static void test_total_only(void **state)
{
	struct table t;
	(void)state;
	table_make(&t, 0, NULL);
	t.count[0] = 7;
	assert_int_equal(suppress_apply(&t.c, K), 1); /* the total is the one cell */
	assert_true(t.supp[0]);
	t.count[0] = 11;
	t.supp[0] = 0;
	suppress_apply(&t.c, K);
	assert_false(t.supp[0]);
	table_free(&t);
}

/* Nothing small: nothing hidden. */
static void test_nothing_small(void **state)
{
	size_t len[2] = {2, 2};
	struct table t;
	(void)state;
	table_make(&t, 2, len);
	set2(&t, 0, 0, 11); set2(&t, 0, 1, 12);
	set2(&t, 1, 0, 0);  set2(&t, 1, 1, 50);
	suppress_fill_margins(&t.c);
	assert_int_equal(suppress_apply(&t.c, K), 0);
	for (size_t i = 0; i < t.c.size; i++)
		assert_false(t.supp[i]);
	table_free(&t);
}

/* k is a parameter: with k = 3, 2 is hidden and 3 is not. */
static void test_other_k(void **state)
{
	size_t len[1] = {3}, c[1];
	struct table t;
	(void)state;
	table_make(&t, 1, len);
	c[0] = 0; t.count[suppress_index(&t.c, c)] = 2;
	c[0] = 1; t.count[suppress_index(&t.c, c)] = 3;
	c[0] = 2; t.count[suppress_index(&t.c, c)] = 9;
	suppress_fill_margins(&t.c);
	assert_int_equal(suppress_apply(&t.c, 3), 2);
	c[0] = 0; assert_true(t.supp[suppress_index(&t.c, c)]);
	c[0] = 1; assert_true(t.supp[suppress_index(&t.c, c)]);  /* complementary */
	c[0] = 2; assert_false(t.supp[suppress_index(&t.c, c)]);
	table_free(&t);
}

static unsigned long long rng_state = 0x9e3779b97f4a7c15ull;

static unsigned rnd(unsigned below)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (unsigned)(rng_state % below);
}

/* Many random sparse tables of small counts, 1 to 4 dimensions: primary
 * rule and the recovery check hold at the fixed point every time. */
static void test_random_tables(void **state)
{
	unsigned iter;
	(void)state;
	for (iter = 0; iter < 3000; iter++) {
		size_t ndim = 1 + rnd(4), len[4], j, idx;
		struct table t;
		struct published p;
		unsigned zero_pct = rnd(80), big_pct = rnd(70);

		for (j = 0; j < ndim; j++)
			len[j] = 1 + rnd(ndim >= 3 ? 4 : 7);
		table_make(&t, ndim, len);
		for (idx = 0; idx < t.c.size; idx++) {
			if (!suppress_is_cell(&t.c, idx) || rnd(100) < zero_pct)
				continue;
			t.count[idx] = rnd(100) < big_pct ? 11 + rnd(60) : 1 + rnd(10);
		}
		suppress_fill_margins(&t.c);
		suppress_apply(&t.c, K);
		check_primary(&t);
		publish(&t, &p);
		check_recovery(&p);
		published_free(&p);
		table_free(&t);
	}
}

/* The check itself can fail: a table with one hidden cell in a published
 * row is caught. */
static void test_check_catches(void **state)
{
	size_t len[2] = {2, 2};
	struct table t;
	struct published p;
	size_t unknown;
	(void)state;
	table_make(&t, 2, len);
	set2(&t, 0, 0, 5); set2(&t, 0, 1, 30);
	set2(&t, 1, 0, 40); set2(&t, 1, 1, 50);
	suppress_fill_margins(&t.c);
	{
		size_t c[2] = {0, 0};
		t.supp[suppress_index(&t.c, c)] = 1; /* primary only, by hand */
	}
	publish(&t, &p);
	/* row 0 of dimension 0: margin 35 published, one cell hidden */
	unknown = (p.margin[0][0] < 0) + (p.cell[0] < 0) + (p.cell[2] < 0);
	assert_int_equal(unknown, 1);
	published_free(&p);
	table_free(&t);
}

/* ---- the cell-key method ------------------------------------------------ */

static void test_cellkey_record(void **state)
{
	unsigned char parent[32], key[CELLKEY_KEYBYTES], other[CELLKEY_KEYBYTES];
	(void)state;
	memset(parent, 7, sizeof parent);
	cellkey_derive(parent, key);
	parent[0] ^= 1;
	cellkey_derive(parent, other);
	assert_memory_not_equal(key, other, CELLKEY_KEYBYTES);
	/* fixed per record, different between records and between keys */
	assert_int_equal(cellkey_record(key, "01J0000000000000000000000A"),
			 cellkey_record(key, "01J0000000000000000000000A"));
	assert_int_not_equal(cellkey_record(key, "01J0000000000000000000000A"),
			     cellkey_record(key, "01J0000000000000000000000B"));
	assert_int_not_equal(cellkey_record(key, "01J0000000000000000000000A"),
			     cellkey_record(other, "01J0000000000000000000000A"));
}

static void test_cellkey_table(void **state)
{
	long long k, n;
	uint32_t b;
	(void)state;
	for (k = 2; k <= 40; k++) {
		for (b = 0; b < CELLKEY_BUCKETS; b++)
			assert_int_equal(cellkey_publish(0, b << 24 | 0x123456, k), 0);
		for (n = 1; n <= 5 * k; n++) {
			long long sum = 0, p;
			for (b = 0; b < CELLKEY_BUCKETS; b++) {
				p = cellkey_publish(n, b << 24 | (b * 2654435761u >> 8), k);
				assert_int_equal(p % k, 0);
				assert_true(p > n - k && p < n + k);
				if (n < k)
					assert_true(p == 0 || p == k);
				if (n % k == 0)
					assert_int_equal(p, n);
				sum += p;
			}
			/* unbiased up to the table's 1/256 steps */
			assert_true(llabs(sum - n * CELLKEY_BUCKETS) <= k);
		}
	}
	/* the same cell key, the same answer; the low bits do not matter */
	assert_int_equal(cellkey_publish(17, 0x80000000u, 11), cellkey_publish(17, 0x80ffffffu, 11));
}

/* Every pair of counts (a related pair: a cell and a cell within it, or
 * two disjoint cells) with every pair of cell keys drawn: the published
 * difference or sum never equals a true one under k. */
static void test_cellkey_no_pair(void **state)
{
	const long long k = 11;
	long long a, b;
	uint32_t ka, kb, seed = 12345;
	int i;
	(void)state;
	for (a = 0; a <= 120; a++)
		for (b = 0; b <= 120; b++)
			for (i = 0; i < 64; i++) {
				long long pa, pb;
				seed = seed * 1103515245u + 12345u;
				ka = seed;
				seed = seed * 1103515245u + 12345u;
				kb = seed;
				pa = cellkey_publish(a, ka, k);
				pb = cellkey_publish(b, kb, k);
				if (a - b >= 1 && a - b < k)
					assert_int_not_equal(pa - pb, a - b);
				if (a + b >= 1 && a + b < k)
					assert_int_not_equal(pa + pb, a + b);
				if (a >= 1 && a < k)
					assert_int_not_equal(pa, a);
			}
}

static void test_cellkey_cube(void **state)
{
	size_t len[2] = {2, 3}, size = suppress_cube_size(2, len), idx, x, y;
	long long count[12] = {0};
	unsigned char supp[12] = {0};
	uint32_t key[12] = {0};
	struct supp_cube c;
	(void)state;
	assert_int_equal(size, 12);
	assert_int_equal(suppress_cube_init(&c, 2, len, count, supp), 0);
	for (x = 0; x < 2; x++)
		for (y = 0; y < 3; y++) {
			size_t co[2] = {x, y};
			count[suppress_index(&c, co)] = (long long)(x * 3 + y);
			key[suppress_index(&c, co)] = 0x90000000u + (uint32_t)(x * 3 + y);
		}
	suppress_fill_margins(&c);
	cellkey_fill_margins(&c, key);
	{
		size_t tot[2] = {2, 3}, row[2] = {1, 3};
		/* sums modulo 2^32 */
		assert_int_equal(key[suppress_index(&c, tot)], (uint32_t)(6u * 0x90000000u + 15u));
		assert_int_equal(key[suppress_index(&c, row)], (uint32_t)(3u * 0x90000000u + 12u));
		assert_int_equal(count[suppress_index(&c, tot)], 15);
	}
	supp[0] = 1;
	cellkey_apply(&c, key, 5);
	for (idx = 0; idx < size; idx++) {
		assert_int_equal(supp[idx], 0);
		assert_int_equal(count[idx] % 5, 0);
	}
	{
		size_t zero[2] = {0, 0}, tot[2] = {2, 3};
		assert_int_equal(count[suppress_index(&c, zero)], 0);
		assert_true(count[suppress_index(&c, tot)] == 15);
	}
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sizes),
		cmocka_unit_test(test_fill_margins),
		cmocka_unit_test(test_worked_example),
		cmocka_unit_test(test_margin_when_alone),
		cmocka_unit_test(test_one_dimension),
		cmocka_unit_test(test_total_only),
		cmocka_unit_test(test_nothing_small),
		cmocka_unit_test(test_other_k),
		cmocka_unit_test(test_random_tables),
		cmocka_unit_test(test_check_catches),
		cmocka_unit_test(test_cellkey_record),
		cmocka_unit_test(test_cellkey_table),
		cmocka_unit_test(test_cellkey_no_pair),
		cmocka_unit_test(test_cellkey_cube),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
