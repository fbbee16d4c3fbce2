/*
 * casework.h - the rules of case work that are not fields: how the NRM
 * stage moves forward as things happen, and which status changes a case
 * allows.  Who may do what is in policy.h.  Pure: no HTTP,
 * no SQL.
 */
#ifndef HIMOYA_CASEWORK_H
#define HIMOYA_CASEWORK_H

/* What moves the NRM stage: the stage an event implies. */
enum case_event {
	EV_SCREENING,   /* a screening was recorded */
	EV_DECISION,    /* an identification decision was recorded */
	EV_REFERRAL,    /* a referral was sent */
	EV_SERVICE,     /* a service was planned or delivered */
	EV_RETURN,      /* a return or reintegration step, or follow-up */
	EV_CLOSURE,     /* the case was closed */
};

/* The stage after `event` happens at stage `current`: the stage the event
 * implies when it lies ahead of current, else current (stages never move
 * back by themselves; a person may set them by hand). */
const char *casework_stage_after(const char *current, enum case_event event);

/* Index of a stage in the NRM order (contact = 0 ... closure = 6), or -1. */
int casework_stage_rank(const char *stage);

/* 1 when a case of status `from` may be closed with `to` (Closed or
 * ClosedReferred). */
int casework_may_close(const char *from, const char *to);
/* 1 when a case of status `from` may be reopened. */
int casework_may_reopen(const char *from);
/* 1 when a status may be set by a plain update (Active <-> FollowUp). */
int casework_may_set_status(const char *from, const char *to);

/* How a case's person counts among victims, from the case's trafficking
 * status and the body that made its newest decision (HTCDS codes):
 * "official" (an actual victim, decided by an authority: Police,
 * CourtOrProsecution or NonPoliceGovernmentalOrganization), "presumed"
 * (a possible victim, or an actual one decided by an NGO or another
 * body), or NULL (not a victim, or undecided). */
const char *casework_identification(const char *trafficking_status, const char *decided_by);

/* 1 when decided_by (code list trafficking_status_decider) is an
 * authority, whose decisions are official; 0 for an organisation's own
 * assessment (NGO, Other) or none. */
int casework_decider_official(const char *decided_by);

/* The body that makes a status decision, as HTCDS codes it, from the
 * deciding user's organisation (its HTCDS type and its sector, "" when
 * none): never chosen by the user (issue 15).  An authority's decision is
 * Police (law enforcement: police, border, customs, drug control),
 * CourtOrProsecution (a prosecution or court sector) or
 * NonPoliceGovernmentalOrganization (a ministry, migration service);
 * anyone else's is an assessment: NGO, or Other (IOM and the rest). */
const char *casework_decider(const char *org_type, const char *sector);

/* ---- livelihood: vocational courses and business start-up grants ------ */

/* The follow-ups of a livelihood service, in months after it ended. */
#define CASEWORK_LIVELIHOOD_CHECKS 3
extern const int casework_livelihood_months[CASEWORK_LIVELIHOOD_CHECKS]; /* 3, 6, 12 */

/* 1 when a service of this type is followed up as a livelihood
 * (vocational_training, business_startup_grant). */
int casework_is_livelihood(const char *service_type);

/* The date `months` months after `date` (YYYY-MM-DD) into out[11]; a day
 * past the end of the month becomes its last day (31 Aug + 6 = 28 Feb).
 * 0, or -1 when date is not a date or months is out of 0..600. */
int casework_months_after(const char *date, int months, char out[11]);

#endif
