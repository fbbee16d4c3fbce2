/*
 * pprlnet.h - matching across the organisations of the network without
 * names (api/pprlnet.c): the encodings kept current and the question
 * POST /persons/{id}/known-elsewhere.
 */
#ifndef HIMOYA_API_PPRLNET_H
#define HIMOYA_API_PPRLNET_H

#include <stddef.h>

#include "api/app.h"
#include "domain/pprl.h"
#include "http/request.h"
#include "store/pprl.h"

#define PPRL_ASK_PER_HOUR 20 /* questions a user may ask the network an hour */
/* and all the users of an organisation together (its administrator
 * makes users at will: a limit per user alone bounded nothing) */
#define PPRL_ASK_PER_ORG_HOUR 100
/* The least Dice similarity that names an organisation, whatever the
 * data-driven threshold (pprl_threshold) of the lists would be. */
#define PPRL_NETWORK_FLOOR 0.95

/* The matching keys: from the file secret_file (the `pprl_secret`
 * setting: at least PPRL_SECRET_MIN bytes, mode 0600) when given, else
 * from kr's pprl sub-key.  NULL with a reason in err.  Free with
 * api_pprl_key_free (wipes). */
struct pprl_key *api_pprl_key_load(const keyring *kr, const char *secret_file, char *err,
				   size_t errlen);
void api_pprl_key_free(struct pprl_key *key);

/* Make the person's row of the matching table what it should be now:
 * their encoding while a referral or law enforcement consent is active and
 * the person is not merged away, else none.  pk NULL: nothing.  Call it
 * after a change of the person, a consent, a merge or a transfer is
 * committed.  STORE_OK or a store error; *put (may be NULL) is added 1
 * when a row was put. */
int api_pprl_refresh(store *st, const keyring *kr, const struct pprl_key *pk,
		     const char *person_id, size_t *put);
/* The same from a handler (a failure is logged; the catch-up at the next
 * start repairs it). */
void api_pprl_refresh_req(struct req *r, const char *person_id);

/* The pass at start, in the background beside the requests: each person
 * with a consent not withdrawn whose stamp (store/pprl.h) differs from
 * what their records make now, or is due, is refreshed; then the rows of
 * persons it no longer reads are removed. */
void api_pprl_start(struct app *app);

/* A person's row of the matching table as a refresh computes it, from
 * records in hand (the demo's builder has them before they are sealed):
 * start from a zeroed encoding, fold in each of the person's opened
 * consents (today: consent_today), then encode (person NULL: merged away,
 * or not opened because no consent counted).  consenting is then 1 when
 * there is a row to put, 0 when the handle's row is to be dropped. */
struct pprl_encoding {
	int consenting;
	char org_id[ID_LEN];
	unsigned char handle[PPRL_HANDLE_BYTES], clk[PPRL_BYTES];
	unsigned char ref[ID_LEN + SEAL_OVERHEAD];
	size_t ref_len;
	char expires[11];
	char audience[PPRL_AUDIENCE_MAX]; /* store/pprl.h */
	/* What the row is made from (store/pprl.h): stamped when the person
	 * is one the pass at start reads (a consent not withdrawn, not merged
	 * away); the consents' hashes folded in any order; the first day
	 * their dates may change the row. */
	int stamped;
	unsigned char consents[PPRL_STAMP_BYTES], stamp[PPRL_STAMP_BYTES];
	char recheck[11];
};
void api_pprl_consent_add(struct pprl_encoding *e, json_t *consent, const char today[11]);
/* Whether an audience (store/pprl.h) lets the organisation of that code
 * and type match the row on today. */
int api_pprl_audience_admits(const char *audience, const char *org_code, const char *org_type,
			     const char today[11]);
/* Each of the person's consent records, in any state and order, by its
 * item columns. */
void api_pprl_consent_seen(struct pprl_encoding *e, const char *id, int64_t version,
			   const char *status);
void api_pprl_encode(const keyring *kr, const struct pprl_key *pk, const char *person_id,
		     const char *org_id, json_t *person, struct pprl_encoding *e);
/* The stamp, from the person row's columns and the consents seen (after
 * them). */
void api_pprl_stamp(const struct pprl_key *pk, const char *person_id, const char *org_id,
		    int64_t version, const char *updated_at, struct pprl_encoding *e);
/* The row put (or dropped) in an open transaction with its stamp, at now;
 * first: a person made in this transaction (the demo's load), whose
 * handle can have no row yet: nothing to drop. */
int api_pprl_encoding_write(store_tx *tx, const struct pprl_encoding *e, const char *now,
			    int first);
void api_pprl_stop(void);

/* POST /api/v1/persons/{id}/known-elsewhere */
int api_person_known_elsewhere(struct req *r);

#endif
