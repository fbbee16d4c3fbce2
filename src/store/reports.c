/*
 * reports.c - the facts the reports count (rp_cases, rp_codes,
 * rp_services; migration 8) and the queries over them; see reports.h.
 * Every query is a constant: the API aggregates the streamed rows, so
 * that any combination of dimensions needs no SQL of its own.
 */
#include <string.h>

#include "store/reports.h"
#include "store/table.h"

/* ---- refreshing -------------------------------------------------------- */

static const char SQL_PENDING[] = "SELECT EXISTS(SELECT 1 FROM rp_dirty)";
/* Who made the decision a marked case carries: the newest of its
 * decisions with the case's status (two decisions of one second stay
 * apart by created_at), found for all the marked cases in one pass, not
 * one search per case: a bulk load (store_bulk_begin) has dropped
 * items_case, and a search per case was then a scan of every item per
 * case (himoya demo --persons 10000 did not end in ten minutes); the
 * load keeps an index of the decisions alone (store.c, bulk_begin), so
 * that this pass no longer reads every item stored so far either. */
static const char SQL_SCAN_CASES[] =
	"WITH dec AS (SELECT i.case_id, json_extract(i.coded, '$.decided_by') AS by,"
	"  row_number() OVER (PARTITION BY i.case_id ORDER BY i.at DESC, i.created_at DESC) AS k"
	"  FROM rp_dirty d JOIN cases c ON c.id = d.id JOIN items i ON i.case_id = c.id"
	"  WHERE d.kind = 'case' AND i.kind = 'status_decision'"
	"  AND json_extract(i.coded, '$.status') = c.trafficking_status)"
	"SELECT c.id, c.org_id, o.type, c.person_id, c.opened_on, c.closed_on, c.status, c.stage,"
	" c.trafficking_status, p.coded, p.sealed, o.sector, dec.by"
	" FROM rp_dirty d JOIN cases c ON c.id = d.id JOIN persons p ON p.id = c.person_id"
	" JOIN orgs o ON o.id = c.org_id LEFT JOIN dec ON dec.case_id = c.id AND dec.k = 1"
	" WHERE d.kind = 'case'";

/* A case is "reintegrated" while one of its follow-ups (items i) is a
 * reintegration follow-up done: the one definition, used below both to
 * set the mark from the marked follow-ups and to count a case's all.
 * ("|| ''" keeps SQLite on items_case rather than the kind and status
 * index, as a unary + did, in SQL PostgreSQL reads too.) */
#define REINTEGRATION_DONE \
	"i.kind || '' = 'followup' AND i.status || '' = 'done'" \
	" AND i.coded LIKE '%\"reintegration\":true%'"

/* A new case starts without the mark and a case keeps its own: only a
 * follow-up changes it, and every write of one marks it (and its case)
 * in rp_dirty; store_report_derive then sets it again. */
static const char SQL_FACT_PUT[] =
	"INSERT INTO rp_cases(case_id, org_id, org_type, person_id, opened_on, closed_on, status,"
	" stage, sex, age_band, region, nationality, trafficking_status, reintegrated, rkey,"
	" identification, sector)"
	" VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, 0, ?14, ?15, ?16)"
	" ON CONFLICT(case_id) DO UPDATE SET org_id = excluded.org_id,"
	" org_type = excluded.org_type, person_id = excluded.person_id,"
	" opened_on = excluded.opened_on, closed_on = excluded.closed_on, status = excluded.status,"
	" stage = excluded.stage, sex = excluded.sex, age_band = excluded.age_band,"
	" region = excluded.region, nationality = excluded.nationality,"
	" trafficking_status = excluded.trafficking_status, rkey = excluded.rkey,"
	" identification = excluded.identification, sector = excluded.sector";
/* What the facts of the marked rows derive by SQL alone: the codes of
 * the marked cases, and the marked services and follow-ups (after the
 * marked cases' rows are made, so that their n exist). */
static const char *const SQL_DERIVE[] = {
	"DELETE FROM rp_codes WHERE n IN (SELECT c.n FROM rp_dirty d"
	" JOIN rp_cases c ON c.case_id = d.id WHERE d.kind = 'case')",
	"INSERT INTO rp_codes(dim, n, code)"
	" SELECT 'exploitation', c.n, j.value FROM rp_dirty d JOIN cases k ON k.id = d.id"
	" JOIN rp_cases c ON c.case_id = k.id, json_each(k.coded, '$.exploitation_types') j"
	" WHERE d.kind = 'case' AND j.type = 'text' ON CONFLICT DO NOTHING",
	"INSERT INTO rp_codes(dim, n, code)"
	" SELECT 'country', c.n, j.value FROM rp_dirty d JOIN cases k ON k.id = d.id"
	" JOIN rp_cases c ON c.case_id = k.id, json_each(k.coded, '$.countries_of_exploitation') j"
	" WHERE d.kind = 'case' AND j.type = 'text' ON CONFLICT DO NOTHING",
	"DELETE FROM rp_services WHERE item_id IN (SELECT id FROM rp_dirty WHERE kind = 'service')",
	/* Delivered: in progress or completed; on the day it started. */
	"INSERT INTO rp_services(item_id, n, type, on_date)"
	" SELECT i.id, c.n, json_extract(i.coded, '$.type'),"
	" substr(coalesce(json_extract(i.coded, '$.start'), i.at), 1, 10)"
	" FROM rp_dirty d JOIN items i ON i.id = d.id JOIN rp_cases c ON c.case_id = i.case_id"
	" WHERE d.kind = 'service' AND i.status IN ('in_progress', 'completed')"
	" AND json_extract(i.coded, '$.type') IS NOT NULL",
	/* Reintegrated: a case whose marked follow-ups are not all
	 * reintegrations done may have lost the mark; count its follow-ups
	 * again (through items_case; a case that has no mark, as every new
	 * one, is never counted).  Then a marked reintegration done sets
	 * it.  Both walk the marked follow-ups by id alone, so that a bulk
	 * load (store_bulk_begin drops items_case) can refresh its rows. */
	"UPDATE rp_cases SET reintegrated = CASE WHEN EXISTS(SELECT 1 FROM items i"
	" WHERE i.case_id = rp_cases.case_id AND " REINTEGRATION_DONE ") THEN 1 ELSE 0 END"
	" WHERE reintegrated = 1 AND case_id IN (SELECT i.case_id FROM rp_dirty d"
	" JOIN items i ON i.id = d.id WHERE d.kind = 'followup' AND (" REINTEGRATION_DONE ") IS NOT TRUE)",
	"UPDATE rp_cases SET reintegrated = 1 WHERE reintegrated = 0 AND case_id IN"
	" (SELECT i.case_id FROM rp_dirty d JOIN items i ON i.id = d.id"
	" WHERE d.kind = 'followup' AND " REINTEGRATION_DONE ")",
	"DELETE FROM rp_followups WHERE item_id IN (SELECT id FROM rp_dirty WHERE kind = 'followup')",
	"INSERT INTO rp_followups(item_id, n, due)"
	" SELECT i.id, c.n, i.due FROM rp_dirty d JOIN items i ON i.id = d.id"
	" JOIN rp_cases c ON c.case_id = i.case_id"
	" WHERE d.kind = 'followup' AND i.status = 'due' AND i.due IS NOT NULL",
	"DELETE FROM rp_dirty",
};

static const char *col_or_null(db_stmt *s, int i)
{
	return db_col_null(s, i) ? NULL : db_col_text(s, i);
}

int store_report_pending(store *st)
{
	db *d = store_reader_get(st);
	int64_t any;
	int rc = table_int(db_prepare(d, SQL_PENDING), &any);

	store_reader_put(st, d);
	return rc != STORE_OK ? -1 : any ? 1 : 0;
}

struct scan_each {
	int (*fn)(void *ctx, const struct rp_source *src);
	void *ctx;
};

static int case_each(void *ctx, db_stmt *s)
{
	struct scan_each *e = ctx;
	struct rp_source src;

	src.case_id = db_col_text(s, 0);
	src.org_id = db_col_text(s, 1);
	src.org_type = db_col_text(s, 2);
	src.person_id = db_col_text(s, 3);
	src.opened_on = db_col_text(s, 4);
	src.closed_on = col_or_null(s, 5);
	src.status = db_col_text(s, 6);
	src.stage = db_col_text(s, 7);
	src.trafficking_status = col_or_null(s, 8);
	src.person_coded = db_col_text(s, 9);
	src.person_sealed = db_col_blob(s, 10);
	src.person_sealed_len = db_col_bytes(s, 10);
	src.decided_by = col_or_null(s, 12);
	src.org_sector = col_or_null(s, 11);
	return e->fn(e->ctx, &src);
}

int store_report_scan_cases(store_tx *tx, int (*fn)(void *ctx, const struct rp_source *src),
			    void *ctx)
{
	struct scan_each e = {fn, ctx};

	/* PostgreSQL plans this from rp_dirty's statistics: never analysed,
	 * the table is taken for one row, and the decisions (dec) are
	 * computed again for each marked case, a scan of every item each
	 * (himoya demo --persons 100000 was still in it after 10 minutes).
	 * ANALYZE counts the rows this transaction has marked. */
	if (!db_is_sqlite(tx->d) && db_exec(tx->d, "ANALYZE rp_dirty") != DB_OK)
		return STORE_ERROR;
	return table_each(db_prepare(tx->d, SQL_SCAN_CASES), case_each, &e);
}

int store_report_fact_put(store_tx *tx, const struct rp_fact *f)
{
	db_stmt *s = db_prepare(tx->d, SQL_FACT_PUT);

	if (!s)
		return STORE_ERROR;
	db_bind_str(s, 1, f->case_id);
	db_bind_str(s, 2, f->org_id);
	db_bind_str(s, 3, f->org_type);
	db_bind_str(s, 4, f->person_id);
	db_bind_str(s, 5, f->opened_on);
	db_bind_str(s, 6, f->closed_on);
	db_bind_str(s, 7, f->status);
	db_bind_str(s, 8, f->stage);
	db_bind_str(s, 9, f->sex);
	db_bind_str(s, 10, f->age_band);
	db_bind_str(s, 11, f->region);
	db_bind_str(s, 12, f->nationality);
	db_bind_str(s, 13, f->trafficking_status);
	db_bind_int(s, 14, (int64_t)f->rkey);
	db_bind_str(s, 15, f->identification);
	db_bind_str(s, 16, f->sector);
	return store_step_done(s) == STORE_OK ? STORE_OK : STORE_ERROR;
}

int store_report_derive(store_tx *tx)
{
	size_t i;

	for (i = 0; i < sizeof SQL_DERIVE / sizeof SQL_DERIVE[0]; i++)
		if (store_step_done(db_prepare(tx->d, SQL_DERIVE[i])) != STORE_OK)
			return STORE_ERROR;
	return STORE_OK;
}

/* ---- reading ----------------------------------------------------------- */

/* ?3 organisation, ?4 region, ?5 organisation type, ?6 victims only. */
#define CASE_FILTERS \
	" AND (c.org_id = ?3 OR ?3 IS NULL) AND (c.region = ?4 OR ?4 IS NULL)" \
	" AND (c.org_type = ?5 OR ?5 IS NULL)" \
	" AND (?6 = 0 OR c.trafficking_status IN" \
	" ('PossibleVictimOfTrafficking', 'ActualVictimOfTrafficking'))"

#define CASE_COLS \
	"c.n, c.org_id, c.org_type, c.opened_on, c.status, c.stage, c.sex, c.age_band," \
	" c.region, c.nationality, c.trafficking_status, c.rkey, c.identification, c.sector"

static const char SQL_Q_CASES[] =
	"SELECT " CASE_COLS " FROM rp_cases c"
	" WHERE c.opened_on >= ?1 AND c.opened_on <= ?2" CASE_FILTERS;
static const char SQL_Q_CASES_ANY[] =
	"SELECT " CASE_COLS " FROM rp_cases c WHERE 1 = 1" CASE_FILTERS;
/* The codes of every case: the caller keeps those of the cases it counts. */
static const char SQL_Q_EXPLOITATION[] =
	"SELECT n, code FROM rp_codes WHERE dim = 'exploitation'";
static const char SQL_Q_COUNTRY[] =
	"SELECT n, code FROM rp_codes WHERE dim = 'country'";
static const char SQL_Q_SERVICES[] =
	"SELECT n, type FROM rp_services WHERE on_date >= ?1 AND on_date <= ?2";
static const char SQL_Q_REINTEGRATION[] =
	"SELECT count(*), coalesce(sum(c.reintegrated), 0), coalesce(sum(c.rkey), 0),"
	" coalesce(sum(c.reintegrated * c.rkey), 0)"
	" FROM rp_cases c WHERE c.closed_on >= ?1 AND c.closed_on <= ?2" CASE_FILTERS;
/* A referral counts for an organisation that sent or received it; the
 * type filter is the sender's. */
static const char SQL_Q_REFERRALS[] =
	"SELECT t.type, f.status, f.id FROM referrals f JOIN orgs t ON t.id = f.to_org"
	" JOIN orgs o ON o.id = f.from_org"
	" WHERE f.kind = 'referral' AND f.created_at >= ?1 AND f.created_at <= ?2 || 'T23:59:59Z'"
	" AND (f.from_org = ?3 OR f.to_org = ?3 OR ?3 IS NULL) AND (o.type = ?5 OR ?5 IS NULL)"
	" AND (CAST(?4 AS TEXT) IS NULL OR EXISTS(SELECT 1 FROM rp_cases c WHERE c.case_id = f.case_id"
	" AND c.region = ?4)) AND ?6 = ?6";
static const char SQL_Q_CONTACTS[] =
	"SELECT k.channel, k.call_type, k.id FROM contacts k JOIN orgs o ON o.id = k.org_id"
	" WHERE k.started_at >= ?1 AND k.started_at <= ?2 || 'T23:59:59Z'"
	" AND (k.org_id = ?3 OR ?3 IS NULL) AND (o.type = ?5 OR ?5 IS NULL)"
	" AND (?4 = ?4 OR ?4 IS NULL) AND ?6 = ?6";
#define TRAINING_FILTERS \
	" WHERE t.start_on >= ?1 AND t.start_on <= ?2" \
	" AND (t.org_id = ?3 OR ?3 IS NULL) AND (o.type = ?5 OR ?5 IS NULL)" \
	" AND (?4 = ?4 OR ?4 IS NULL) AND ?6 = ?6"
static const char SQL_Q_TRAINED[] =
	"SELECT p.agency_type, p.sex, p.id FROM training_participants p"
	" JOIN trainings t ON t.id = p.training_id JOIN orgs o ON o.id = t.org_id" TRAINING_FILTERS;
static const char SQL_Q_TRAINING_GAIN[] =
	"SELECT p.post_score - p.pre_score, p.id FROM training_participants p"
	" JOIN trainings t ON t.id = p.training_id JOIN orgs o ON o.id = t.org_id" TRAINING_FILTERS
	" AND p.pre_score IS NOT NULL AND p.post_score IS NOT NULL";
static const char SQL_Q_TRAINING_EVENTS[] =
	"SELECT t.id FROM trainings t JOIN orgs o ON o.id = t.org_id" TRAINING_FILTERS;
static const char SQL_Q_STUDY_VISITS[] =
	"SELECT t.id FROM trainings t JOIN orgs o ON o.id = t.org_id" TRAINING_FILTERS
	" AND t.kind = 'study_visit'";
static const char SQL_Q_STUDY_VISITORS[] =
	"SELECT p.id FROM training_participants p"
	" JOIN trainings t ON t.id = p.training_id JOIN orgs o ON o.id = t.org_id" TRAINING_FILTERS
	" AND t.kind = 'study_visit'";

static const char SQL_Q_OVERDUE[] =
	"SELECT f.item_id FROM rp_followups f JOIN rp_cases c ON c.n = f.n"
	" WHERE f.due < ?2" CASE_FILTERS;

static const char SQL_Q_JUSTICE[] =
	"SELECT m.measure, CASE"
	"  WHEN json_array_length(k.coded, '$.exploitation_types') = 1"
	"  THEN json_extract(k.coded, '$.exploitation_types[0]')"
	"  WHEN json_array_length(k.coded, '$.exploitation_types') > 1 THEN 'Multiple'"
	"  ELSE 'Unknown' END, i.id || m.measure"
	" FROM items i JOIN cases k ON k.id = i.case_id JOIN rp_cases c ON c.case_id = i.case_id"
	" CROSS JOIN (SELECT 'investigation' AS measure, '$.investigation_on' AS path"
	"  UNION ALL SELECT 'prosecution', '$.court_on'"
	"  UNION ALL SELECT 'conviction', '$.verdict_on') m"
	" WHERE i.kind = 'proceeding' AND json_extract(i.coded, m.path) >= ?1"
	" AND json_extract(i.coded, m.path) <= ?2"
	" AND (m.measure <> 'conviction' OR json_extract(i.coded, '$.verdict') = 'conviction')"
	CASE_FILTERS;
static const char SQL_Q_PERSONS[] =
	"SELECT DISTINCT c.person_id FROM rp_cases c"
	" WHERE c.opened_on >= ?1 AND c.opened_on <= ?2" CASE_FILTERS;

/* Livelihood: the services are the delivered ones (rp_services); a
 * follow-up is one of a livelihood service (months_after set), done. */
static const char SQL_Q_LIVELIHOOD_COMPLETION[] =
	"SELECT s.type, json_extract(i.coded, '$.completion'), c.sex, c.region, s.item_id"
	" FROM rp_services s JOIN rp_cases c ON c.n = s.n JOIN items i ON i.id = s.item_id"
	" WHERE s.type IN ('vocational_training', 'business_startup_grant')"
	" AND s.on_date >= ?1 AND s.on_date <= ?2" CASE_FILTERS;
#define LIVELIHOOD_DONE \
	" FROM items f JOIN rp_cases c ON c.case_id = f.case_id" \
	" WHERE f.kind = 'followup' AND f.status = 'done'" \
	" AND json_extract(f.coded, '$.months_after') IS NOT NULL" \
	" AND json_extract(f.coded, '$.done_on') >= ?1" \
	" AND json_extract(f.coded, '$.done_on') <= ?2" CASE_FILTERS
static const char SQL_Q_LIVELIHOOD_EMPLOYMENT[] =
	"SELECT json_extract(f.coded, '$.months_after'), json_extract(f.coded, '$.employment'),"
	" c.sex, c.region, f.id" LIVELIHOOD_DONE;
static const char SQL_Q_LIVELIHOOD_BUSINESS[] =
	"SELECT json_extract(f.coded, '$.months_after'),"
	" CASE CAST(json_extract(f.coded, '$.business_running') AS TEXT)"
	" WHEN '1' THEN 'yes' WHEN '0' THEN 'no' END,"
	" c.sex, c.region, f.id" LIVELIHOOD_DONE
	" AND EXISTS(SELECT 1 FROM items g WHERE g.id = json_extract(f.coded, '$.service_id')"
	" AND g.kind = 'service' AND json_extract(g.coded, '$.type') = 'business_startup_grant')";

static const char *query_sql(enum rp_query q, size_t *ncols)
{
	switch (q) {
	case RPQ_CASES: *ncols = 14; return SQL_Q_CASES;
	case RPQ_CASES_ANY_DATE: *ncols = 14; return SQL_Q_CASES_ANY;
	case RPQ_EXPLOITATION: *ncols = 2; return SQL_Q_EXPLOITATION;
	case RPQ_COUNTRY: *ncols = 2; return SQL_Q_COUNTRY;
	case RPQ_SERVICES: *ncols = 2; return SQL_Q_SERVICES;
	case RPQ_REFERRALS: *ncols = 3; return SQL_Q_REFERRALS;
	case RPQ_CONTACTS: *ncols = 3; return SQL_Q_CONTACTS;
	case RPQ_REINTEGRATION: *ncols = 4; return SQL_Q_REINTEGRATION;
	case RPQ_TRAINED: *ncols = 3; return SQL_Q_TRAINED;
	case RPQ_TRAINING_GAIN: *ncols = 2; return SQL_Q_TRAINING_GAIN;
	case RPQ_TRAINING_EVENTS: *ncols = 1; return SQL_Q_TRAINING_EVENTS;
	case RPQ_OVERDUE: *ncols = 1; return SQL_Q_OVERDUE;
	case RPQ_JUSTICE: *ncols = 3; return SQL_Q_JUSTICE;
	case RPQ_PERSONS: *ncols = 1; return SQL_Q_PERSONS;
	case RPQ_LIVELIHOOD_COMPLETION: *ncols = 5; return SQL_Q_LIVELIHOOD_COMPLETION;
	case RPQ_LIVELIHOOD_EMPLOYMENT: *ncols = 5; return SQL_Q_LIVELIHOOD_EMPLOYMENT;
	case RPQ_LIVELIHOOD_BUSINESS: *ncols = 5; return SQL_Q_LIVELIHOOD_BUSINESS;
	case RPQ_STUDY_VISITS: *ncols = 1; return SQL_Q_STUDY_VISITS;
	case RPQ_STUDY_VISITORS: *ncols = 1; return SQL_Q_STUDY_VISITORS;
	}
	return NULL;
}

struct query_each {
	size_t ncols;
	unsigned want;
	int (*fn)(void *ctx, const char *const *cols, size_t ncols);
	void *ctx;
};

static int query_each(void *ctx, db_stmt *s)
{
	struct query_each *e = ctx;
	const char *cols[16];
	size_t i;

	for (i = 0; i < e->ncols; i++)
		cols[i] = !e->want || (e->want >> i & 1) ? col_or_null(s, (int)i) : NULL;
	return e->fn(e->ctx, cols, e->ncols);
}

int store_report_query(store *st, enum rp_query q, const struct rp_filter *f, unsigned want,
		       int (*fn)(void *ctx, const char *const *cols, size_t ncols), void *ctx)
{
	struct query_each e = {0, want, fn, ctx};
	const char *sql = query_sql(q, &e.ncols);
	size_t i;
	db *d;
	db_stmt *s;

	if (!sql)
		return STORE_ERROR;
	d = store_reader_get(st);
	s = db_prepare(d, sql);
	if (s) {
		/* Every query numbers the same filters; one that leaves some
		 * out is not given them (a bind past its parameters fails). */
		int np = db_params(s);
		const char *const str[5] = {f->from, f->to, f->org_id, f->region, f->org_type};
		for (i = 0; i < 5 && (int)i < np; i++)
			db_bind_str(s, (int)i + 1, str[i]);
		if (np >= 6)
			db_bind_int(s, 6, f->victims_only ? 1 : 0);
	}
	return table_each_pool(st, d, s, query_each, &e);
}
