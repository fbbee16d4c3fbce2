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

#define PPRL_ASK_PER_HOUR 20 /* questions a user may ask the network an hour */
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
 * their encoding while a referral or statistics consent is active and
 * the person is not merged away, else none.  pk NULL: nothing.  Call it
 * after a change of the person, a consent, a merge or a transfer is
 * committed.  STORE_OK or a store error. */
int api_pprl_refresh(store *st, const keyring *kr, const struct pprl_key *pk,
		     const char *person_id);
/* The same from a handler (a failure is logged; the catch-up at the next
 * start repairs it). */
void api_pprl_refresh_req(struct req *r, const char *person_id);

/* Every consenting person refreshed, then rows not written by this pass
 * removed; *encoded (may be NULL) gets how many were encoded.  The demo
 * calls it with 2 workers (the store needs a reader for each); `serve`
 * runs it in the background at start with one, beside the requests. */
int api_pprl_catch_up(store *st, const keyring *kr, const struct pprl_key *pk, unsigned workers,
		      size_t *encoded);
void api_pprl_start(struct app *app);
void api_pprl_stop(void);

/* POST /api/v1/persons/{id}/known-elsewhere */
int api_person_known_elsewhere(struct req *r);

#endif
