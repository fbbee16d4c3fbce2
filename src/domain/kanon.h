/*
 * kanon.h - k-anonymity of a table of records by generalisation, then
 * suppression (for the CTDC export).
 *
 * The table has one row per record and one column per quasi-identifier
 * (attributes that, combined, could single a person out: year, sex, age
 * band, citizenship, country of exploitation, ...).  Each attribute has a
 * hierarchy: level 0 is the value itself, levels 1..levels are broader
 * values given by its generalise() function (an age band -> a broader
 * band, a country -> its region or "other", a year -> a period), and the
 * level after the last is KANON_MISSING for every row.
 *
 * kanon_run() generalises greedily (after Datafly, Sweeney 1998): while
 * the rows in classes (rows sharing every quasi-identifier value) smaller
 * than k are more than the suppression budget, it lifts by one level the
 * attribute whose lifting leaves the fewest rows in small classes (ties:
 * the one with the most distinct values); then it suppresses the rows
 * still in small classes (every quasi-identifier set to KANON_MISSING)
 * and, when the class of rows missing every quasi-identifier is itself
 * smaller than k, drops those rows.  Afterwards every combination of
 * quasi-identifier values among the rows kept occurs at least k times; a
 * missing value counts as a value like any other.
 *
 * Pure: no I/O, no global state.  Memory is malloc'd inside and freed
 * before returning, except the strings generalise() hands back, which
 * belong to the caller (static, or kept by ctx).
 */
#ifndef HIMOYA_KANON_H
#define HIMOYA_KANON_H

#include <stddef.h>

#define KANON_MISSING "-99"

struct kanon_attr {
	const char *name;
	unsigned levels;   /* generalisation levels above 0, before missing */
	/* The value at level 1..levels of the level-0 value v (never
	 * KANON_MISSING: that is the level after).  Must be a function of
	 * (v, level) alone, and must map equal values of level - 1 to equal
	 * values.  NULL generalise: only missing is above level 0. */
	const char *(*generalise)(const char *v, unsigned level, void *ctx);
	void *ctx;
};

struct kanon_table {
	size_t nrows, nattrs;
	/* nrows * nattrs values, row after row; NULL or KANON_MISSING is a
	 * missing value.  kanon_run() replaces them by the published values. */
	const char **cells;
};

struct kanon_result {
	unsigned *level;        /* per attribute: the level used (levels + 1: all missing) */
	unsigned char *dropped; /* per row: 1 when the row must be left out */
	size_t suppressed;      /* rows whose quasi-identifiers were all set missing */
	size_t dropped_rows;    /* rows left out */
	unsigned steps;         /* generalisation steps taken */
};

/* Make t k-anonymous.  max_suppress is the share of rows (0..1) that may
 * be suppressed instead of generalising further.  res->level must hold
 * nattrs entries and res->dropped nrows (both owned by the caller).
 * Returns 0, or -1 (out of memory, k < 1; t unchanged then). */
int kanon_run(const struct kanon_attr *attrs, struct kanon_table *t, unsigned k,
	      double max_suppress, struct kanon_result *res);

/* 1 when every combination of values of the rows not dropped (dropped
 * may be NULL: none) occurs at least k times.  The independent check the
 * tests and the export use after kanon_run(). */
int kanon_check(const struct kanon_table *t, const unsigned char *dropped, unsigned k);

/* ---- local suppression (kanon_local.c) ------------------------------------
 *
 * The same guarantee reached without generalising whole columns: only the
 * cells that single a row out are set to KANON_MISSING, the cheapest
 * pattern of cells first (see kanon_local.c).  An attribute may require
 * another to be missing whenever it is (`with`): an age band may go while
 * majority status stays (the band generalised to its majority), majority
 * status only with the band. */
struct kanon_local_attr {
	unsigned cost;   /* information lost by one missing cell of it (>= 1) */
	int with;        /* -1, or the attribute that must be missing when this one is */
};

struct kanon_local_result {
	unsigned char *dropped;       /* per row, caller's: 1 when the row must be left out */
	size_t *suppressed_per_attr;  /* per attribute, caller's (may be NULL) */
	size_t cells_suppressed;      /* cells set missing that held a value */
	size_t dropped_rows;
};

/* Make t k-anonymous by local suppression (at most 12 attributes); cells
 * are replaced in place.  0, or -1 (out of memory, bad arguments). */
int kanon_local(struct kanon_table *t, const struct kanon_local_attr *attrs, unsigned k,
		struct kanon_local_result *res);

#endif
