/*
 * exports.c - the SQL of the exports; see exports.h.
 */
#include <stddef.h>

#include "store/exports.h"
#include "store/table.h"

/* The case, its person, its organisation's type, its newest status
 * decision, and its newest referrals out of and into the organisation
 * (the other organisation's type and the day). */
#define EXPORT_BASE \
	"c.id, c.org_id, c.person_id, c.status, c.stage, c.trafficking_status," \
	" c.previous_case_id, c.assigned_to, c.opened_on, c.closed_on, c.coded," \
	" p.coded, p.sealed, c.sealed, o.type"
#define EXPORT_NOT_LINKED EXPORT_BASE ", '', '', '', '', ''"
#define EXPORT_COLS EXPORT_BASE "," \
	" (SELECT i.coded FROM items i WHERE i.case_id = c.id AND i.kind = 'status_decision'" \
	"  ORDER BY i.at DESC, i.id DESC LIMIT 1)," \
	EXPORT_REFERRAL("f.to_org", "f.from_org") "," \
	EXPORT_REFERRAL("f.from_org", "f.to_org")

#define EXPORT_REFERRAL(other, own) \
	" (SELECT x.type FROM referrals f JOIN orgs x ON x.id = " other \
	"  WHERE f.case_id = c.id AND " own " = c.org_id ORDER BY f.created_at DESC, f.id DESC LIMIT 1)," \
	" (SELECT substr(f.created_at, 1, 10) FROM referrals f" \
	"  WHERE f.case_id = c.id AND " own " = c.org_id ORDER BY f.created_at DESC, f.id DESC LIMIT 1)"

#define EXPORT_FROM \
	" FROM cases c JOIN persons p ON p.id = c.person_id JOIN orgs o ON o.id = c.org_id"
#define EXPORT_PERIOD " c.opened_on >= ?2 AND c.opened_on <= ?3"
#define EXPORT_ORDER " ORDER BY c.opened_on, c.id"

static const char SQL_CASES_ALL[] =
	"SELECT " EXPORT_COLS EXPORT_FROM " WHERE" EXPORT_PERIOD EXPORT_ORDER;
static const char SQL_CASES_ORG[] =
	"SELECT " EXPORT_COLS EXPORT_FROM " WHERE c.org_id = ?1 AND" EXPORT_PERIOD EXPORT_ORDER;
static const char SQL_CASES_ALL_ANY[] =
	"SELECT " EXPORT_NOT_LINKED EXPORT_FROM " WHERE" EXPORT_PERIOD;
static const char SQL_CASES_ORG_ANY[] =
	"SELECT " EXPORT_NOT_LINKED EXPORT_FROM " WHERE c.org_id = ?1 AND" EXPORT_PERIOD;

/* The consents standing by their columns (api/rows.h shapes them):
 * status 'active' until withdrawn, due = the expiry.  The purpose and
 * the day are checked by the caller on the coded JSON. */
static const char SQL_CONSENTS[] =
	"SELECT person_id, coded FROM items WHERE kind = 'consent' AND status = 'active'"
	" AND (due IS NULL OR due = '' OR due >= ?1)";

struct export_each {
	export_row_fn row;
	export_consent_fn consent;
	export_record_fn record;
	void *arg;
};

static int case_each(void *ctx, db_stmt *s)
{
	struct export_each *e = ctx;
	struct export_row row;

	row.case_id = db_col_text(s, 0);
	row.org_id = db_col_text(s, 1);
	row.person_id = db_col_text(s, 2);
	row.status = db_col_text(s, 3);
	row.stage = db_col_text(s, 4);
	row.trafficking_status = db_col_text(s, 5);
	row.previous_case_id = db_col_text(s, 6);
	row.assigned_to = db_col_text(s, 7);
	row.opened_on = db_col_text(s, 8);
	row.closed_on = db_col_text(s, 9);
	row.case_coded = db_col_text(s, 10);
	row.person_coded = db_col_text(s, 11);
	row.person_sealed = db_col_blob(s, 12);
	row.person_sealed_len = db_col_bytes(s, 12);
	row.case_sealed = db_col_blob(s, 13);
	row.case_sealed_len = db_col_bytes(s, 13);
	row.org_type = db_col_text(s, 14);
	row.decision_coded = db_col_text(s, 15);
	row.referred_type = db_col_text(s, 16);
	row.referred_on = db_col_text(s, 17);
	row.referring_type = db_col_text(s, 18);
	row.referring_on = db_col_text(s, 19);
	return e->row(e->arg, &row);
}

int store_export_cases(store *st, const char *org_id, const char *from, const char *to,
		       int ordered, export_row_fn fn, void *arg)
{
	static const char *const sql[2][2] = {{SQL_CASES_ALL_ANY, SQL_CASES_ORG_ANY},
					      {SQL_CASES_ALL, SQL_CASES_ORG}};
	struct export_each e = {.row = fn, .arg = arg};
	db *d = store_reader_get(st);
	db_stmt *s = db_prepare(d, sql[!!ordered][org_id != NULL]);

	if (s) {
		if (org_id)
			db_bind_str(s, 1, org_id);
		db_bind_str(s, 2, from ? from : "0000-01-01");
		db_bind_str(s, 3, to ? to : "9999-12-31");
	}
	return table_each_pool(st, d, s, case_each, &e);
}

static int consent_each(void *ctx, db_stmt *s)
{
	struct export_each *e = ctx;

	return e->consent(e->arg, db_col_text(s, 0), db_col_text(s, 1));
}

int store_export_consents(store *st, const char *today, export_consent_fn fn, void *arg)
{
	struct export_each e = {.consent = fn, .arg = arg};

	return table_each_texts(st, SQL_CONSENTS, &today, 1, consent_each, &e);
}

/* Screenings (their answers sealed) and hotline contacts linked to a case. */
static const char SQL_SCREENINGS[] =
	"SELECT case_id, id, coded, sealed FROM items WHERE kind = 'screening' AND case_id <> ''";
static const char SQL_CONTACTS[] =
	"SELECT case_id, id, coded, sealed FROM contacts WHERE case_id IS NOT NULL";

static int record_each(void *ctx, db_stmt *s)
{
	struct export_each *e = ctx;

	return e->record(e->arg, db_col_text(s, 0), db_col_text(s, 1), db_col_text(s, 2),
			 db_col_blob(s, 3), db_col_bytes(s, 3));
}

int store_export_case_records(store *st, enum export_record kind, export_record_fn fn, void *arg)
{
	struct export_each e = {.record = fn, .arg = arg};

	return table_each_texts(st, kind == EXPORT_SCREENINGS ? SQL_SCREENINGS : SQL_CONTACTS,
				NULL, 0, record_each, &e);
}
