/*
 * exports.h - the reads behind the exports (api/exports.c): every case of
 * a period with its person's columns, and the consents of one purpose,
 * streamed row by row to a callback so that 100 000 cases never sit in
 * memory at once.  One reader connection is held for the whole walk (a
 * consistent snapshot under WAL).
 */
#ifndef HIMOYA_STORE_EXPORTS_H
#define HIMOYA_STORE_EXPORTS_H

#include <stddef.h>

#include "store/store.h"

/* One case and its person.  Every string is valid only during the call;
 * "" stands for a null column. */
struct export_row {
	const char *case_id, *org_id, *person_id, *status, *stage, *trafficking_status;
	const char *previous_case_id, *assigned_to, *opened_on, *closed_on;
	const char *case_coded;                  /* JSON object of the coded fields */
	const char *person_coded;
	const unsigned char *person_sealed;      /* sealed pii/sensitive fields */
	size_t person_sealed_len;
	const unsigned char *case_sealed;        /* the case's sealed fields (may be NULL) */
	size_t case_sealed_len;
	const char *org_type;                    /* the type of the case's organisation */
	const char *decision_coded;              /* the newest status decision's coded JSON, "" */
	const char *referred_type, *referred_on; /* newest referral out: other org's type, day */
	const char *referring_type, *referring_on; /* newest referral in */
};

/* Return 0 to go on, anything else to stop (the walk answers STORE_ERROR). */
typedef int (*export_row_fn)(void *arg, const struct export_row *row);
typedef int (*export_consent_fn)(void *arg, const char *person_id, const char *coded);

/* The cases of org_id (NULL: of every organisation) opened on a day in
 * [from, to] (either NULL: unbounded); by opening day then id, with the
 * linked records (decision, referrals) when `ordered`, else in storage
 * order and without them ("": the fastest walk, for CTDC). */
int store_export_cases(store *st, const char *org_id, const char *from, const char *to,
		       int ordered, export_row_fn fn, void *arg);

/* The consent items standing on `today` (not withdrawn, not expired), of
 * every organisation and purpose, with the person they belong to and
 * their coded JSON (the caller tests the purpose). */
int store_export_consents(store *st, const char *today, export_consent_fn fn, void *arg);

/* The records of a case that tell how a victim was controlled: the
 * screenings (coded result, sealed answers) and the hotline contacts
 * linked to a case (coded JSON, sealed part), of every organisation. */
enum export_record { EXPORT_SCREENINGS, EXPORT_CONTACTS };
typedef int (*export_record_fn)(void *arg, const char *case_id, const char *id,
				const char *coded, const unsigned char *sealed, size_t sealed_len);
int store_export_case_records(store *st, enum export_record kind, export_record_fn fn, void *arg);

#endif
