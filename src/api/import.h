/*
 * import.h - loading the mapped rows of a legacy sheet (domain/import.h)
 * into an organisation's register, as one audited action of a named
 * admin or supervisor, through the roads the API's handlers take: the
 * same record validation and rules as POST /persons, /persons/{id}/consents,
 * /cases and /cases/{id}/status-decisions, the same rows_* sealing and
 * blind indexes, the same duplicate machinery.
 *
 * api_import_check() refuses rows (their problems go into the row) and
 * finds likely duplicates, writing nothing; api_import_write() then
 * writes every row not refused in ONE transaction, or nothing.
 */
#ifndef HIMOYA_API_IMPORT_H
#define HIMOYA_API_IMPORT_H

#include <stddef.h>
#include <stdint.h>

#include "api/app.h"
#include "domain/import.h"
#include "domain/linkage.h"
#include "store/store.h"

struct import_line {
	unsigned long line;          /* of the file: the row's first line */
	struct import_row row;       /* mapped; its problems when refused */
	int refused;
	/* filled by api_import_check() for a row not refused */
	char person_id[ID_LEN], case_id[ID_LEN];
	char owner_id[ID_LEN];       /* assigned_to, "" for none */
	int dup;                     /* a likely duplicate: proposed, see below */
	unsigned long dup_line;      /* of an earlier row of the file, or 0 */
	size_t dup_index;            /* that row's index in lines */
	char dup_person[ID_LEN];     /* of a registered person, or "" */
	double dup_score;
	uint8_t dup_lv[LINK_FIELDS]; /* the comparison levels */
};

struct import_job {
	struct app *app;
	struct user actor;           /* an admin or supervisor of the organisation */
	struct import_line *lines;
	size_t n;
	/* A likely duplicate is held out of the register (not created twice)
	 * unless register_dups: then it is registered and the pair proposed
	 * in the duplicates list, for a person to merge or keep apart. */
	int register_dups;
	/* counts */
	size_t refused, duplicates, persons, cases;
};

/* 1 when the user may import into their organisation (the policy's
 * ACT_IMPORT). */
int api_import_allowed(const struct user *u);

/* Validate every row not yet refused and find the duplicates; 0, or -1
 * when the store could not be read. */
int api_import_check(struct import_job *j);

/* Write the rows not refused and not held, with their pairs (when
 * register_dups), and the one audit entry of the import, in one
 * transaction; 0, or -1 (nothing written). */
int api_import_write(struct import_job *j);

#endif
