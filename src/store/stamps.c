/*
 * stamps.c - last-use stamps of tokens and sessions that could not be
 * written at once.
 *
 * A request stamps its token's or session's last use only when the
 * writer is free at once (api/api.c, store_try_begin), so that a read
 * never waits behind a write.  When the writer is busy (another
 * process's write lock, a long import) the stamp is kept here, and the
 * audit flusher, which waits for the writer anyway, writes it after its
 * next batch, in a transaction of its own: a token used only while the
 * database was locked still shows its last use, and a session in use is
 * not taken for idle.
 *
 * One stamp per token or session, the latest; at most STAMPS_MAX of
 * them.  Past that a stamp is dropped (and written at a later use):
 * these are not the audit log, which records every use on its own.
 */
#include "store/store_internal.h"

#include <stdio.h>
#include <string.h>

static int same(const struct stamp *s, const char *token, const unsigned char *session)
{
	if (token)
		return s->token[0] && strcmp(s->token, token) == 0;
	return !s->token[0] && memcmp(s->session, session, HASH_BYTES) == 0;
}

/* Keep (qlock held) the stamp, or a later time for one kept already. */
static void keep(store *st, const char *token, const unsigned char *session, int64_t at)
{
	size_t i;
	struct stamp *s;

	for (i = 0; i < st->nstamps; i++) {
		if (same(&st->stamps[i], token, session)) {
			if (at > st->stamps[i].at)
				st->stamps[i].at = at;
			return;
		}
	}
	if (st->nstamps == STAMPS_MAX)
		return;
	s = &st->stamps[st->nstamps++];
	memset(s, 0, sizeof *s);
	if (token)
		snprintf(s->token, sizeof s->token, "%s", token);
	else
		memcpy(s->session, session, HASH_BYTES);
	s->at = at;
}

void store_touch_later(store *st, const char *token_id, const unsigned char *session_id,
		       int64_t now)
{
	pthread_mutex_lock(&st->qlock);
	keep(st, token_id, session_id, now);
	pthread_mutex_unlock(&st->qlock);
}

/* Write the kept stamps, in a transaction of their own so that a failure
 * costs no audit batch; on a failure they are kept for the next try. */
void stamps_flush(store *st)
{
	struct stamp taken[STAMPS_MAX];
	store_tx *tx;
	size_t n, i;
	int rc = STORE_OK;

	pthread_mutex_lock(&st->qlock);
	n = st->nstamps;
	memcpy(taken, st->stamps, n * sizeof *taken);
	st->nstamps = 0;
	pthread_mutex_unlock(&st->qlock);
	if (!n)
		return;
	tx = store_begin(st);
	if (!tx)
		rc = STORE_ERROR;
	for (i = 0; i < n && rc == STORE_OK; i++) {
		if (taken[i].token[0])
			rc = store_token_touch(tx, taken[i].token, taken[i].at);
		else
			rc = store_session_touch(tx, taken[i].session, taken[i].at);
	}
	if (tx && rc != STORE_OK)
		store_rollback(tx);
	else if (tx)
		rc = store_commit(tx);
	if (rc == STORE_OK)
		return;
	pthread_mutex_lock(&st->qlock);
	for (i = 0; i < n; i++)
		keep(st, taken[i].token[0] ? taken[i].token : NULL, taken[i].session, taken[i].at);
	pthread_mutex_unlock(&st->qlock);
}
