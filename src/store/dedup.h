/*
 * dedup.h - the SQL side of duplicates in the register (migration 19):
 * the persons of an organisation streamed to the linkage pass, the
 * candidate pairs it finds, the decisions on them, and merges that can
 * be undone as a whole.  api/duplicates.c is the only caller.
 *
 * A pair names two persons a < b (ids compared as strings) of one
 * organisation.  Its status is "open" (proposed), "distinct" (not the
 * same: a later pass never proposes it again) or "merged".  A merge moves
 * every case, item (consents and person-level records), contact and
 * referral of the merged person to the survivor, lists each row it moved
 * in dup_merge_rows and points the merged person at the survivor
 * (merged_into); undoing it moves exactly the listed rows back.
 */
#ifndef HIMOYA_STORE_DEDUP_H
#define HIMOYA_STORE_DEDUP_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

struct dup_pair_row {
	char id[ID_LEN];
	char org_id[ID_LEN];
	char a[ID_LEN], b[ID_LEN];
	int64_t score;              /* probability of a match, in thousandths */
	int64_t weight;             /* the match weight (log2 odds), in hundredths */
	const char *reasons;        /* JSON array of the comparisons (no PII) */
	char status[12];            /* open, distinct, merged */
	char found_at[TS_LEN];
	char decided_by[ID_LEN];    /* "" while open */
	char decided_at[TS_LEN];
	char merge_id[ID_LEN];      /* "" unless merged */
};

struct dup_merge_row {
	char id[ID_LEN];
	char org_id[ID_LEN];
	char pair_id[ID_LEN];
	char survivor[ID_LEN], merged[ID_LEN];
	char by_user[ID_LEN];
	char at[TS_LEN];
	char undone_by[ID_LEN];     /* "" while it stands */
	char undone_at[TS_LEN];
};

/* The persons of org_id not merged into another, each handed to fn with
 * coded and sealed valid during the call only.  A non-zero return of fn
 * stops the walk (STORE_ERROR). */
int store_dedup_persons(store *st, const char *org_id,
			int (*fn)(void *ctx, const struct person_row *p), void *ctx);

/* Record a candidate pair (p->a < p->b), or refresh the score and
 * reasons of an open one; a decided pair is left as it was.  p->id is
 * used only when the pair is new. */
int store_dedup_pair_put(store_tx *tx, const struct dup_pair_row *p);

/* The pairs of an organisation of one status, best score first, then
 * oldest (at most max; open pairs only while neither person is merged
 * into another); with after, those that follow it in that order (its
 * score, found_at and id are read). */
int store_dedup_pairs_list(store *st, const char *org_id, const char *status,
			   const struct dup_pair_row *after, size_t max,
			   struct dup_pair_row **rows, size_t *n, arena *a);
int store_dedup_pair_get(store *st, const char *id, struct dup_pair_row *p, arena *a);

/* Mark an open pair distinct: STORE_STALE when it is not open. */
int store_dedup_pair_distinct(store_tx *tx, const char *id, const char *user_id,
			      const char *at);

/* Merge m->merged into m->survivor for the open pair m->pair_id:
 * STORE_STALE when the pair is not open or either person is already
 * merged into another. */
int store_dedup_merge(store_tx *tx, const struct dup_merge_row *m);
int store_dedup_merge_get(store *st, const char *id, struct dup_merge_row *m);
/* Undo a merge that stands: rows back, person unmerged, pair open
 * again.  STORE_STALE when it was undone, or when a later merge that
 * stands involves either person (undo that one first). */
int store_dedup_unmerge(store_tx *tx, const char *merge_id, const char *user_id, const char *at);

/* The persons merged into person_id (at most max ids). */
int store_dedup_merged_into(store *st, const char *person_id, char (*ids)[ID_LEN], size_t max,
			    size_t *n);

/* The referrals a merge moved to its survivor (at most max ids). */
int store_dedup_moved_referrals(store *st, const char *merge_id, char (*ids)[ID_LEN], size_t max,
				size_t *n);

#endif
