/*
 * import.h - a row of a legacy HTCDS 2.0 toolkit sheet (one row per case,
 * reference/htcds-2.0-toolkit-columns.txt) as Himoya records: a person, a
 * case, a consent, a status decision.
 *
 * Columns are found by header name (trimmed, any case; the toolkit's own
 * typo vic_TraffickinStatusDecisionMakingOrg and the fields list's
 * spelling both accepted), in any order; a column this table does not
 * know is ignored (and reported so by the caller).  Values are mapped to
 * Himoya's codes through the declared fields' own code lists
 * (schema/): a code as Himoya writes it, the value the HTCDS export
 * writes for it (fields' htcds_values, so that what the export wrote
 * comes back as the same code), or a code's label in Tajik, Russian or
 * English, any case.  Multi-select cells are split on ';' (the toolkit's
 * and the export's separator) or '|'.
 *
 * Dates: YYYY-MM-DD; dd.mm.yyyy (d.m.yyyy too); d/m/yyyy is always read
 * day first (as IOM's forms and a Russian or British Excel write it), so
 * 03/04/1990 is 3 April and 04/13/1990 is refused, never turned around;
 * a time after the date ("0:00", as Excel adds) is dropped.  Anything
 * else is refused.
 *
 * This maps values only: the records it makes still go through
 * record_validate() (domain/record.h) and the API's rules in the caller.
 * Pure: no I/O; the JSON made belongs to the row (import_row_free).
 */
#ifndef HIMOYA_IMPORT_H
#define HIMOYA_IMPORT_H

#include <jansson.h>
#include <stddef.h>

#include "fields.h"

#define IMPORT_PROBLEMS_MAX 16
#define IMPORT_COLUMNS_MAX 128

/* What a known column becomes. */
enum import_target {
	IT_NOT_KEPT,      /* a toolkit column Himoya has no field for */
	IT_PERSON,        /* a person field */
	IT_CASE,          /* a case field */
	IT_PHONE,         /* one more of the person's phones */
	IT_ADDRESS,       /* a part of the person's address */
	IT_CONSENT,       /* con_Consent: yes gives a consent to assistance */
	IT_STATUS,        /* vic_TraffickingStatus: a status decision */
	IT_DECIDER,       /* who made that decision */
	IT_OWNER,         /* cas_CaseOwner: the login of a colleague */
};

struct import_column {
	const char *name;        /* as the toolkit spells it */
	enum import_target target;
	const char *field;       /* IT_PERSON, IT_CASE: the field's name */
};

/* The header: for each cell the column it names, NULL when unknown. */
struct import_header {
	const struct import_column *col[IMPORT_COLUMNS_MAX];
	size_t n;
	size_t known;            /* cells that name a known column */
};

/* Read the header cells; 0, or -1 with why in err (a column named twice,
 * too many columns, no name column). */
int import_header_read(struct import_header *h, const char *const *cells, size_t n, char *err,
		       size_t errlen);

/* The table, NULL-ended (exposed for the tests and the README). */
extern const struct import_column import_columns[];
const struct import_column *import_column_find(const char *name);

struct import_problem {
	char column[48];
	char reason[200];
};

struct import_row {
	json_t *person;          /* the person record */
	json_t *kase;            /* the case record (no person_id yet) */
	json_t *consent;         /* a consent to assistance, or NULL (not given) */
	json_t *decision;        /* {"status", "decided_by"?}, or NULL */
	char owner[128];         /* cas_CaseOwner: a login, "" when none */
	struct import_problem *problems; /* NULL until the first; at most
					    IMPORT_PROBLEMS_MAX (a 100,000-row
					    sheet keeps only its refusals) */
	size_t nproblems;
	size_t refusals;         /* every refusal, kept or not (memory, cap) */
};

/* Map one data row (cells in the header's order) into r; today is
 * YYYY-MM-DD (the consent's date).  0 when no value was refused, else -1
 * and r->problems lists every refusal (as many as fit).  Call
 * import_row_free() after either. */
int import_row_map(const struct import_header *h, const char *const *cells, size_t n,
		   const char *today, struct import_row *r);
void import_row_free(struct import_row *r);

/* Add a problem to r (column, reason). */
void import_row_problem(struct import_row *r, const char *column, const char *reason);

/* A date as the toolkit's users write it into out (YYYY-MM-DD); 0, or -1
 * with why (static text). */
int import_date(const char *in, char out[11], const char **why);

/* The code of list cl that v names (a code, a value of the standard map
 * std, a label in any UI language; any case), or NULL. */
const char *import_code(const struct codelist *cl, const struct std_value *std, const char *v);

/* 1 yes, 0 no, -1 neither: yes, y, true, 1, x, да, ҳа, ha, and the
 * consent methods (written, verbal_witnessed, electronic) as yes;
 * no, n, false, 0, нет, не, empty as no.  *method gets the method
 * ("written" unless the cell named one). */
int import_consent_value(const char *v, const char **method);

#endif
