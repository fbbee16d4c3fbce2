/*
 * suppress.h - small-cell suppression of a table of counts, primary and
 * complementary.  Pure: no HTTP, no SQL.
 *
 * The table is an n-dimensional cube of counts (the cells of a GROUP BY
 * over n dimensions) extended by a margin along every dimension: along
 * dimension j, coordinates 0..len[j]-1 are the dimension's values and
 * coordinate len[j] is "all values" (the margin).  So the entry with every
 * coordinate at its margin is the grand total, an entry with exactly one
 * coordinate not at its margin is a 1-D margin, and so on.  Publishers
 * print the cells, the 1-D margins and the grand total; the higher-order
 * margins take part in the algorithm as if published (conservative).
 *
 *   primary        every entry (cell or margin) with 1 <= count < k
 *   complementary  repeated until nothing changes:
 *     - a line (entries sharing all coordinates but one, its margin
 *       included) with exactly one suppressed entry: the smallest other
 *       non-zero cell of the line is suppressed, or the line's margin when
 *       it has no other non-zero cell;
 *     - a slab (the cells sharing one value of one dimension, whose sum is
 *       a published 1-D margin) with exactly one suppressed cell while its
 *       margin is published: likewise, the smallest other non-zero cell of
 *       the slab, else the margin;
 *     - the whole table (whose sum is the grand total) likewise.
 * At the fixed point no suppressed entry is the only unknown of any of
 * those sums, so none can be worked back by subtraction.  Zero cells are
 * never suppressed (an absent combination is known to be zero).
 *
 * Margins of dimensions whose values overlap (a case with two exploitation
 * types counts in both) are not sums of their cells; suppress_fill_margins
 * sums, and the caller may then overwrite the published margins with the
 * exact distinct counts.  Treating them as sums only suppresses more.
 *
 * Storage belongs to the caller: `count` and `supp` hold
 * suppress_cube_size() entries each.
 */
#ifndef HIMOYA_SUPPRESS_H
#define HIMOYA_SUPPRESS_H

#include <stddef.h>

#define SUPPRESS_MAX_DIMS 8
#define SUPPRESS_MAX_ENTRIES ((size_t)1 << 20)

struct supp_cube {
	size_t ndim;
	size_t len[SUPPRESS_MAX_DIMS];    /* values along each dimension (>= 1) */
	size_t stride[SUPPRESS_MAX_DIMS]; /* of the extended cube (len + 1) */
	size_t size;                      /* entries in all */
	long long *count;
	unsigned char *supp;              /* 1 = suppressed */
};

/* Entries of the extended cube, or 0 when ndim > SUPPRESS_MAX_DIMS, a len
 * is 0, or there would be more than SUPPRESS_MAX_ENTRIES. */
size_t suppress_cube_size(size_t ndim, const size_t *len);

/* Set the cube up over caller storage (zeroed by the caller); 0, or -1 as
 * suppress_cube_size would answer 0.  ndim 0 is a table of one entry, the
 * grand total. */
int suppress_cube_init(struct supp_cube *c, size_t ndim, const size_t *len, long long *count,
		       unsigned char *supp);

/* The entry at coord (coord[j] in 0..len[j], len[j] meaning the margin). */
size_t suppress_index(const struct supp_cube *c, const size_t *coord);

/* Coordinate j of entry idx. */
size_t suppress_coord(const struct supp_cube *c, size_t idx, size_t j);

/* 1 when every coordinate of idx is a value (a cell, not a margin). */
int suppress_is_cell(const struct supp_cube *c, size_t idx);

/* Every margin entry as the sum of the cells below it. */
void suppress_fill_margins(struct supp_cube *c);

/* Primary and complementary suppression to the fixed point; k >= 2.
 * Returns how many cells (not margins) are suppressed. */
size_t suppress_apply(struct supp_cube *c, long long k);

#endif
