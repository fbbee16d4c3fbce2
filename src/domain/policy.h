/*
 * policy.h - who may do what, as data.
 *
 * Each action has rules; an action is allowed when ANY of its rules holds
 * (OR), and a rule holds when the user's role is one of the rule's roles
 * AND every condition of the rule holds for the record (AND):
 *
 *   own organisation   the record belongs to the user's organisation
 *   assigned           the case is assigned to the user
 *   case open          the case is Active or FollowUp
 *   referral accepted  the case was referred to the user's organisation,
 *                      the referral was accepted, and the person's consent
 *                      to it still stands
 *   consented fields   only the fields the referral shares (the reader
 *                      then sees those fields and nothing else)
 *   authority          the user's organisation is law enforcement or
 *                      government: its focal points decide identification
 *                      and are entry points of the NRM (register, open,
 *                      screen, refer)
 *   second factor      the user signed in with a session (not an API token)
 *                      and has a confirmed TOTP second factor
 *
 * The same table serves two ways: policy_allows() decides for one record,
 * and policy_scopes() gives the conditions under which a role reaches
 * records at all, which the store turns into the WHERE clause of lists,
 * searches and counts.  Pure: no HTTP, no SQL.
 */
#ifndef HIMOYA_POLICY_H
#define HIMOYA_POLICY_H

#include <stddef.h>

enum policy_action {
	ACT_CASE_READ,        /* see a case, its timeline and records */
	ACT_CASE_UPDATE,      /* change a case's details, assign it */
	ACT_CASE_CLOSE,       /* close or reopen */
	ACT_CASE_RECORD,      /* add services, notes, plans, follow-ups */
	ACT_CASE_SCREEN,      /* screen with indicators */
	ACT_CASE_DECIDE,      /* record an official identification decision */
	ACT_CASE_REFER,       /* refer a case, request a transfer */
	ACT_CASE_ACCESS_LOG,  /* see who outside the organisation read the case */
	ACT_PERSON_READ,      /* see a person */
	ACT_PERSON_UPDATE,    /* change a person */
	ACT_REFERRAL_RESPOND, /* accept, decline, complete a referral received */
	ACT_CONTACT_READ,     /* see hotline contacts and caller flags */
	ACT_CONTACT_LOG,      /* log and change contacts, flag callers, work callbacks */
	ACT_CONTACT_STATS,    /* the hotline's figures */
	ACT_REPORT_SUMMARY,   /* suppressed aggregates of cases (summary, dashboard) */
	ACT_REPORT_INDICATORS,/* the period's indicator report */
	ACT_TRAINING_EDIT,    /* record training events and their participants */
	ACT_TRAINING_READ,    /* see training events and participants (no PII) */
	ACT_KB_EDIT,          /* write knowledge-base articles, see their history and gaps */
	ACT_EXPORT_ANONYMOUS, /* the k-anonymised CTDC export */
	ACT_EXPORT_ROWS,      /* exports of case rows: HTCDS (pseudonymous), cases.xlsx */
	ACT_EXPORT_PII,       /* names, birth dates and phones in cases.xlsx */
	/* The NRM's entry points (issue 15): who registers, opens, consents. */
	ACT_PERSON_CREATE,    /* register a person */
	ACT_CASE_OPEN,        /* open a case of a person of the organisation */
	ACT_CONSENT_RECORD,   /* record or withdraw a person's consent */
	/* The criminal-justice track and shelters (issue 15). */
	ACT_JUSTICE_READ,     /* a case's perpetrators and proceedings in full */
	ACT_JUSTICE_RECORD,   /* record perpetrators and proceedings of a case */
	ACT_SHELTER_STAY,     /* admit to and discharge from the own shelter */
	ACT_PERSON_DEDUP,     /* review duplicates: merge, undo, not the same */
	ACT_REPORT_LIVELIHOOD,/* courses, grants and their follow-ups, counted */
	ACT_PREVENTION_RECORD,/* prevention services, households, vulnerability assessments */
	ACT_PLAN_READ,        /* the national Action Plan and its activities' status */
	ACT_PLAN_EDIT,        /* load the plan (its coordinating organisation) */
	ACT_PLAN_REPORT,      /* report progress on the own organisation's activities */
	ACT_IMPORT,           /* load a legacy sheet of persons and cases (himoya import) */
	/* The knowledge library and study visits (issue 18). */
	ACT_LIBRARY_READ,     /* list the library, download any version (no PII) */
	ACT_LIBRARY_EDIT,     /* add products, upload versions, withdraw (the keeping org) */
	ACT_PERSON_KNOWN_ELSEWHERE, /* ask whether another organisation knows the person (PPRL) */
	ACT_COUNT
};

enum policy_cond {
	PC_OWN_ORG = 1,
	PC_ASSIGNED = 2,
	PC_CASE_OPEN = 4,
	PC_REFERRAL_ACCEPTED = 8,
	PC_CONSENTED_FIELDS = 16,
	PC_AUTHORITY = 32,
	PC_SECOND_FACTOR = 64,  /* signed in (cookie session) with TOTP enabled */
};

#define POLICY_RULES_MAX 4

struct policy_rule {
	const char *const *roles;  /* NULL-terminated */
	unsigned conds;            /* OR of enum policy_cond, all must hold */
};

struct policy_entry {
	enum policy_action action;
	const char *name;          /* "case.read" */
	struct policy_rule rules[POLICY_RULES_MAX];
	size_t n;
};

extern const struct policy_entry policy_table[ACT_COUNT];

/* What holds between a user and one record: an OR of enum policy_cond
 * (PC_CONSENTED_FIELDS never appears here: it limits, it does not grant). */
typedef unsigned policy_relation;

/* The conditions of the first rule that allows `action` for `role` under
 * `rel`, or -1 when none does.  A result with PC_CONSENTED_FIELDS means
 * the user may see only the fields the referral shares. */
int policy_allows(enum policy_action action, const char *role, policy_relation rel);

/* The ways a role reaches records for `action`: up to POLICY_RULES_MAX
 * condition sets (each an AND), written to out; returns how many.  Zero
 * means the role reaches nothing. */
size_t policy_scopes(enum policy_action action, const char *role,
		     unsigned out[POLICY_RULES_MAX]);

/* 1 for organisation types whose focal points may decide (law
 * enforcement, central and local government, immigration service). */
int policy_org_is_authority(const char *org_type);

#endif
