/*
 * reports.h - the store of the reports (store/reports.c) and of the
 * training events (store/trainings.c).
 *
 * Reports count facts kept as columns (migration 8): rp_cases (one row
 * per case: organisation, dates, status, stage, sex, age band, region,
 * nationality, trafficking status), rp_codes (the codes of a case's
 * multi-valued dimensions, "exploitation" and "country") and rp_services
 * (services delivered: type and date), keyed by the case's small integer
 * n.  The API layer makes them from the rows triggers marked as changed,
 * because an age band needs the sealed date of birth that only it can
 * open.
 *
 * Queries stream rows to a callback: every text column is a pointer that
 * stays valid during the call only (NULL for SQL null).  A callback that
 * answers non-zero stops the walk (the function then answers STORE_ERROR).
 */
#ifndef HIMOYA_STORE_REPORTS_H
#define HIMOYA_STORE_REPORTS_H

#include "store/store.h"

/* ---- refreshing the facts ---------------------------------------------- */

/* A case with its person, as the refresh reads it. */
struct rp_source {
	const char *case_id, *org_id, *org_type, *person_id, *opened_on, *closed_on;
	const char *status, *stage, *trafficking_status;
	const char *decided_by;   /* of the case's newest status decision, or NULL */
	const char *org_sector;   /* the organisation's sector, or NULL */
	const char *person_coded;
	const unsigned char *person_sealed;
	size_t person_sealed_len;
};

/* 1 when a case, person or service changed since the facts were last
 * made (triggers mark them in rp_dirty), 0 when none did, negative on
 * error. */
int store_report_pending(store *st);

/* The marked cases, with their persons. */
int store_report_scan_cases(store_tx *tx, int (*fn)(void *ctx, const struct rp_source *src),
			    void *ctx);

/* The facts of one case (replacing what was there); the case's codes,
 * services and follow-ups follow in store_report_derive. */
struct rp_fact {
	const char *case_id, *org_id, *org_type, *person_id, *opened_on, *closed_on;
	const char *status, *stage, *trafficking_status;
	const char *sex, *age_band, *region, *nationality;  /* NULL when unknown */
	const char *identification; /* "official", "presumed" or NULL (domain/casework.h) */
	const char *sector;         /* the organisation's sector, or NULL (migration 16) */
	uint32_t rkey;  /* the case's record key (domain/cellkey.h; migration 13) */
};
int store_report_fact_put(store_tx *tx, const struct rp_fact *f);
/* After the marked cases' facts are put: their codes, the marked services
 * (delivered ones: in progress or completed) and follow-ups (still due),
 * by SQL alone; then forget every mark. */
int store_report_derive(store_tx *tx);

/* ---- reading the facts ------------------------------------------------- */

/* Filters shared by every report query; NULL means any. */
struct rp_filter {
	const char *from, *to;    /* YYYY-MM-DD, inclusive (required) */
	const char *org_id;       /* one organisation */
	const char *region;       /* of the person's origin */
	const char *org_type;     /* HTCDS org_Type of the case's organisation */
	int victims_only;         /* trafficking status Possible/Actual only */
};

enum rp_query {
	/* n, org_id, org_type, opened_on, status, stage, sex, age_band,
	 * region, nationality, trafficking_status, rkey, identification,
	 * sector: cases opened in the period */
	RPQ_CASES,
	/* the same columns: every case in the filters, whatever its date */
	RPQ_CASES_ANY_DATE,
	/* n, code: exploitation types of every case (the caller keeps those
	 * of the cases it counts) */
	RPQ_EXPLOITATION,
	/* n, code: countries of exploitation of every case */
	RPQ_COUNTRY,
	/* n, type: services delivered in the period, of every case */
	RPQ_SERVICES,
	/* Each of the following answers one row per record counted, with the
	 * record's id last: the caller counts, and sums the record keys of
	 * the figures across organisations (domain/cellkey.h). */
	/* to_type, status, id: referrals made in the period */
	RPQ_REFERRALS,
	/* channel, call_type, id: hotline contacts in the period */
	RPQ_CONTACTS,
	/* agency_type, sex, id: participants of trainings starting in the period */
	RPQ_TRAINED,
	/* gain (post - pre), id: participants with both scores, of trainings
	 * starting in the period */
	RPQ_TRAINING_GAIN,
	/* id: training events starting in the period */
	RPQ_TRAINING_EVENTS,
	/* id: follow-ups still due whose date is before the period's end */
	RPQ_OVERDUE,
	/* closed, with_followup, key_closed, key_with: cases closed in the
	 * period, how many of them had a reintegration follow-up done, and
	 * the sums of the record keys (rkey) of each (one row) */
	RPQ_REINTEGRATION,
	/* measure, exploitation, key: the criminal proceedings whose
	 * investigation was opened ("investigation"), that were sent to court
	 * ("prosecution") or ended in a conviction ("conviction") in the
	 * period; exploitation is the case's one type, "Multiple" or
	 * "Unknown" (so that each proceeding counts once per measure) */
	RPQ_JUSTICE,
	/* person_id: the persons of the cases opened in the period, each
	 * once (a person merged into another counts under the survivor,
	 * whose id its cases carry: store/dedup.h) */
	RPQ_PERSONS,
	/* Livelihood (vocational courses and business start-up grants),
	 * each with the person's sex and region and the record's id last: */
	/* type, completion, sex, region, id: courses and grants delivered
	 * (started) in the period */
	RPQ_LIVELIHOOD_COMPLETION,
	/* months_after, employment, sex, region, id: livelihood follow-ups
	 * done in the period */
	RPQ_LIVELIHOOD_EMPLOYMENT,
	/* months_after, business_running (yes, no), sex, region, id: the
	 * follow-ups of start-up grants done in the period */
	RPQ_LIVELIHOOD_BUSINESS,
	/* id: study visits (trainings of kind study_visit) starting in the
	 * period; id: their participants (issue 18) */
	RPQ_STUDY_VISITS,
	RPQ_STUDY_VISITORS,
};

/* Run a report query; fn gets ncols text columns (numbers as text).
 * want: a bit per column the caller reads (0: all); the others are NULL,
 * so that a pass over every case converts only what is counted. */
int store_report_query(store *st, enum rp_query q, const struct rp_filter *f, unsigned want,
		       int (*fn)(void *ctx, const char *const *cols, size_t ncols), void *ctx);

/* ---- training events (store/trainings.c) ------------------------------- */

struct training_row {
	char id[ID_LEN];
	char org_id[ID_LEN];           /* the organisation that keeps the record */
	int64_t version;
	const char *topic;
	char start_on[11];
	char end_on[11];
	const char *place;
	char organiser_org[ID_LEN];
	struct org organiser;          /* filled by reads */
	int64_t participants;          /* filled by reads */
	char created_by[ID_LEN];
	char created_at[TS_LEN];
	char updated_at[TS_LEN];
	/* "training", or "study_visit" with the fields below (else empty) */
	char kind[16];
	char country[3];               /* ISO 3166 alpha-2 */
	const char *host;
	const char *purpose;
};

struct participant_row {
	char id[ID_LEN];
	char training_id[ID_LEN];
	char agency_type[64];
	char sex[32];
	char role[32];
	char sector[32];               /* code list "sector", "" when not told */
	int64_t pre_score;             /* -1 when none */
	int64_t post_score;            /* -1 when none */
	char created_at[TS_LEN];
};

int store_training_insert(store_tx *tx, const struct training_row *t);
/* Update when the stored version equals t->version - 1. */
int store_training_update(store_tx *tx, const struct training_row *t);
int store_training_get(store *st, const char *id, struct training_row *t, arena *a);
/* Trainings of org_id (of that kind; NULL: any), newest start first;
 * after_start/after_id are the last row of the previous page (NULL for
 * the first). */
int store_trainings_list(store *st, const char *org_id, const char *kind,
			 const char *after_start, const char *after_id, size_t limit,
			 struct training_row **rows, size_t *n, arena *a);
int store_participant_insert(store_tx *tx, const struct participant_row *p);
/* One participant by id; its training says who may read it. */
int store_participant_get(store *st, const char *id, struct participant_row *p, arena *a);
/* The participants of a training (at most max), oldest first. */
int store_participants_list(store *st, const char *training_id, size_t max,
			    struct participant_row **rows, size_t *n, arena *a);

/* ---- pre-departure orientation sessions (store/orientations.c) ---------- */

/* One session: coded is its record as JSON (every field coded: no person
 * is named), held_on its date. */
struct orientation_row {
	char id[ID_LEN];
	char org_id[ID_LEN];
	int64_t version;
	char held_on[11];
	const char *coded;
	char created_by[ID_LEN];
	char created_at[TS_LEN], updated_at[TS_LEN];
};

int store_orientation_insert(store_tx *tx, const struct orientation_row *o);
/* One session by id, of whichever organisation. */
int store_orientation_get(store *st, const char *id, struct orientation_row *o, arena *a);
/* The organisation's sessions, newest first, at most limit; in a. */
int store_orientations_list(store *st, const char *org_id, size_t limit,
			    struct orientation_row **rows, size_t *n, arena *a);

#endif
