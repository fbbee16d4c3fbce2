/*
 * pprl.h - the SQL of network matching (api/pprlnet.c): the table of
 * encodings that the organisations of one installation match against,
 * and the questions asked (for the rate limit).
 *
 * A row of pprl_encodings is one consenting person of one organisation:
 * the organisation, an opaque handle (a keyed MAC of the person id, so
 * that the row can be replaced or removed and no
 * one can tell the person from it), the person id sealed (for the audit
 * entry of the organisation whose person was matched; opened by the
 * server only), the encoding (domain/pprl.h) and the day the consent
 * behind it ends ("" for none), and its audience: the organisations the
 * person's consents let it be matched by.  No name, date of birth or
 * person id in clear.
 *
 * The audience is one entry for each consent behind the row, separated
 * by ';': "CODE|TYPE|UNTIL", the consent's recipient organisation (code)
 * and type, each empty when the consent names none, and its last day
 * (empty: no end).  A consent naming only the shelter makes the row the
 * shelter's to match, no one else's; an empty audience, no one's (the
 * rows of before migration 27).
 */
#ifndef HIMOYA_STORE_PPRL_H
#define HIMOYA_STORE_PPRL_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/crypto.h"
#include "domain/pprl.h"
#include "store/store.h"

#define PPRL_HANDLE_BYTES BLIND_BYTES
#define PPRL_AUDIENCE_MAX 1024 /* bytes of an audience, its '\0' in */

struct pprl_row {
	const char *org_id;
	const unsigned char *handle; /* PPRL_HANDLE_BYTES */
	const unsigned char *ref;    /* the sealed person id */
	size_t ref_len;
	const unsigned char *clk;    /* PPRL_BYTES */
	const char *expires;         /* "" when none */
	const char *audience;        /* see above */
	const char *updated_at;
};

/* Insert or replace the row of the handle (a transfer changes org_id). */
int store_pprl_put(store_tx *tx, const struct pprl_row *row);
/* Remove it (STORE_OK also when there was none). */
int store_pprl_drop(store_tx *tx, const unsigned char *handle);

/* What a person's row was made from (pprl_stamps, also keyed by the
 * handle): a keyed hash of the person's record and consents' versions,
 * the matching key and the year (api/pprlnet.c), whether an encoding was
 * put, and the first day on which the consents' dates may change the row
 * ("" for none).  The pass at start re-encodes only the persons whose
 * stamp differs, is missing or is due, or whose row went missing. */
#define PPRL_STAMP_BYTES 16
struct pprl_stamp_row {
	const unsigned char *handle, *stamp; /* PPRL_HANDLE_BYTES, PPRL_STAMP_BYTES */
	int encoded;
	const char *recheck, *updated_at;
	int has_row; /* read only: the handle has a row in pprl_encodings */
};
int store_pprl_stamp_put(store_tx *tx, const struct pprl_stamp_row *row);
int store_pprl_stamp_drop(store_tx *tx, const unsigned char *handle);
/* Every stamp to fn (pointers valid during the call), in no order. */
int store_pprl_stamps_each(store *st, int (*fn)(void *ctx, const struct pprl_stamp_row *row),
			   void *ctx);
/* Remove the handle's stamp and row while the stamp is still `stamp`
 * (the pass's sweep of persons it no longer reads: a refresh since has
 * written another). */
int store_pprl_forget(store_tx *tx, const unsigned char *handle, const unsigned char *stamp);
/* Remove the rows without a stamp (a refresh writes both at once: these
 * are from before migration 26, or not this program's). */
int store_pprl_drop_unstamped(store_tx *tx);
/* Every row whose consent lasts on today, to fn (pointers valid during
 * the call); a non-zero return stops with STORE_ERROR. */
int store_pprl_each(store *st, const char *today,
		    int (*fn)(void *ctx, const struct pprl_row *row), void *ctx);
/* The persons not merged away with a consent, one row for each of their
 * consents (in any state), a person's rows together, persons in the
 * order they were stored. */
struct pprl_source {
	const char *person_id, *org_id, *updated_at;
	int64_t version;
	const char *consent_id, *consent_status;
	int64_t consent_version;
};
int store_pprl_sources(store *st, int (*fn)(void *ctx, const struct pprl_source *row), void *ctx);
/* The same for the persons ids[0 .. n) in a write transaction, each one's
 * rows together, in the order of ids: what a refresh checks before it writes (on PostgreSQL
 * after taking each person's refresh lock: two servers' refreshes of one
 * person follow each other). */
int store_pprl_sources_tx(store_tx *tx, const char *const *ids, size_t n,
			  int (*fn)(void *ctx, const struct pprl_source *row), void *ctx);

/* A question asked by user_id at `at` (questions of anyone before
 * `before` are forgotten: the rate limit needs the last hour, the audit
 * log keeps them all); how many since `since`. */
int store_pprl_question_add(store_tx *tx, const char *user_id, const char *at, const char *before);
int store_pprl_questions_since(store *st, const char *user_id, const char *since, int64_t *n);
/* How many the users of org_id asked since `since`. */
int store_pprl_questions_org_since(store *st, const char *org_id, const char *since, int64_t *n);

#endif
