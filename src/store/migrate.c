/*
 * migrate.c - versioned schema migrations, run in order at every start.
 *
 * Migration N is applied when meta.schema_version < N, inside one
 * transaction with the version bump.  Never edit a released migration:
 * add the next one.  Tables are STRICT; the SQL stays in the subset that
 * PostgreSQL also speaks (STRICT is dropped by a PostgreSQL driver).
 */
#include <stdio.h>
#include <stdlib.h>

#include "store/store_internal.h"

static const char *const migrations[] = {
	/* 1: accounts, persons, audit */
	"CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;"
	"CREATE TABLE orgs("
	"  id TEXT PRIMARY KEY, code TEXT NOT NULL UNIQUE, name TEXT NOT NULL,"
	"  type TEXT NOT NULL, created_at TEXT NOT NULL) STRICT;"
	"CREATE TABLE users("
	"  id TEXT PRIMARY KEY, org_id TEXT NOT NULL REFERENCES orgs(id),"
	"  login TEXT NOT NULL UNIQUE, role TEXT NOT NULL, pwhash TEXT NOT NULL,"
	"  totp BLOB, totp_enabled INTEGER NOT NULL DEFAULT 0, totp_step INTEGER NOT NULL DEFAULT 0,"
	"  disabled INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL) STRICT;"
	"CREATE TABLE role_policy(role TEXT PRIMARY KEY, require_totp INTEGER NOT NULL) STRICT;"
	"CREATE TABLE sessions("
	"  id BLOB PRIMARY KEY, user_id TEXT NOT NULL REFERENCES users(id),"
	"  csrf TEXT NOT NULL, totp_pending INTEGER NOT NULL,"
	"  created_at INTEGER NOT NULL, seen_at INTEGER NOT NULL) STRICT;"
	"CREATE TABLE tokens("
	"  id BLOB PRIMARY KEY, user_id TEXT NOT NULL REFERENCES users(id),"
	"  label TEXT, created_at TEXT NOT NULL, revoked INTEGER NOT NULL DEFAULT 0) STRICT;"
	"CREATE TABLE persons("
	"  id TEXT PRIMARY KEY, org_id TEXT NOT NULL REFERENCES orgs(id),"
	"  version INTEGER NOT NULL, coded TEXT NOT NULL, sealed BLOB NOT NULL,"
	"  created_at TEXT NOT NULL, updated_at TEXT NOT NULL) STRICT;"
	"CREATE TABLE person_keys("
	"  key BLOB NOT NULL,"
	"  person_id TEXT NOT NULL REFERENCES persons(id) ON DELETE CASCADE,"
	"  weight INTEGER NOT NULL,"
	"  PRIMARY KEY(key, person_id)) STRICT, WITHOUT ROWID;"
	"CREATE INDEX person_keys_person ON person_keys(person_id);"
	"CREATE TABLE audit("
	"  seq INTEGER PRIMARY KEY, at TEXT NOT NULL, user_id TEXT, org_id TEXT,"
	"  action TEXT NOT NULL, record TEXT, fields TEXT, addr TEXT,"
	"  prev BLOB NOT NULL, mac BLOB NOT NULL) STRICT;"
	"CREATE INDEX audit_record ON audit(record, seq);",

	/* 2: the case register.  A case's filterable codes are columns; the
	 * rest of it is coded JSON and a sealed blob, like a person.  Every
	 * record that hangs off a case or a person (screening, decision,
	 * service, plan, follow-up, note, event, consent) is an item of a
	 * kind, with the columns that work lists filter on. */
	"CREATE TABLE cases("
	"  id TEXT PRIMARY KEY, org_id TEXT NOT NULL REFERENCES orgs(id),"
	"  person_id TEXT NOT NULL REFERENCES persons(id), version INTEGER NOT NULL,"
	"  status TEXT NOT NULL, stage TEXT NOT NULL, trafficking_status TEXT,"
	"  assigned_to TEXT REFERENCES users(id), previous_case_id TEXT REFERENCES cases(id),"
	"  opened_on TEXT NOT NULL, closed_on TEXT,"
	"  coded TEXT NOT NULL, sealed BLOB NOT NULL,"
	"  created_at TEXT NOT NULL, updated_at TEXT NOT NULL) STRICT;"
	"CREATE INDEX cases_org ON cases(org_id, updated_at, id);"
	"CREATE INDEX cases_org_status ON cases(org_id, status, updated_at, id);"
	"CREATE INDEX cases_org_stage ON cases(org_id, stage, updated_at, id);"
	"CREATE INDEX cases_org_assigned ON cases(org_id, assigned_to, updated_at, id);"
	"CREATE INDEX cases_person ON cases(person_id);"
	"CREATE TABLE items("
	"  id TEXT PRIMARY KEY, kind TEXT NOT NULL,"
	"  case_id TEXT REFERENCES cases(id), person_id TEXT REFERENCES persons(id),"
	"  org_id TEXT NOT NULL REFERENCES orgs(id), version INTEGER NOT NULL,"
	"  status TEXT, due TEXT, assigned_to TEXT, at TEXT NOT NULL,"
	"  coded TEXT NOT NULL, sealed BLOB, created_by TEXT,"
	"  created_at TEXT NOT NULL, updated_at TEXT NOT NULL) STRICT;"
	"CREATE INDEX items_case ON items(case_id, at, id);"
	"CREATE INDEX items_person ON items(person_id, kind);"
	"CREATE INDEX items_due ON items(kind, assigned_to, due);",

	/* 3: the name search joins every person whose key matched to check
	 * the organisation and rank by recency.  Through the primary key that
	 * is two seeks per candidate (index, then table row); this covering
	 * index answers it from one small index (persons/api: bench/cases.sh,
	 * 100k persons, search requests/s 85 -> 150 on 2 cores). */
	"CREATE INDEX persons_id_org ON persons(id, org_id, updated_at);",

	/* 4: referrals between organisations of the NRM.  A referral shares
	 * a named set of fields of one case while the consent it rests on
	 * stands; a transfer (kind "transfer") moves the case on acceptance. */
	"CREATE TABLE referrals("
	"  id TEXT PRIMARY KEY, kind TEXT NOT NULL,"
	"  case_id TEXT NOT NULL REFERENCES cases(id),"
	"  person_id TEXT NOT NULL REFERENCES persons(id),"
	"  from_org TEXT NOT NULL REFERENCES orgs(id), to_org TEXT NOT NULL REFERENCES orgs(id),"
	"  consent_id TEXT REFERENCES items(id),"
	"  status TEXT NOT NULL, urgency TEXT NOT NULL, due TEXT, version INTEGER NOT NULL,"
	"  share TEXT NOT NULL, coded TEXT NOT NULL, sealed BLOB,"
	"  created_by TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,"
	"  responded_at TEXT) STRICT;"
	"CREATE INDEX referrals_to ON referrals(to_org, status, case_id);"
	"CREATE INDEX referrals_from ON referrals(from_org, status);"
	"CREATE INDEX referrals_case ON referrals(case_id);",

	/* 5: the service directory (HSDS 3.x services and locations).  The
	 * columns are what its list filters on; regions and languages are
	 * codes between spaces; a location's address is sealed.  Search keys
	 * of public names are kept in clear (store/directory.c). */
	"CREATE TABLE dir_services("
	"  id TEXT PRIMARY KEY, org_id TEXT NOT NULL REFERENCES orgs(id),"
	"  version INTEGER NOT NULL, type TEXT NOT NULL, status TEXT NOT NULL,"
	"  name TEXT NOT NULL, regions TEXT NOT NULL, languages TEXT NOT NULL,"
	"  coded TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL) STRICT;"
	"CREATE INDEX dir_services_name ON dir_services(name, id);"
	"CREATE INDEX dir_services_org ON dir_services(org_id);"
	"CREATE TABLE dir_service_keys("
	"  key TEXT NOT NULL,"
	"  service_id TEXT NOT NULL REFERENCES dir_services(id) ON DELETE CASCADE,"
	"  PRIMARY KEY(key, service_id)) STRICT, WITHOUT ROWID;"
	"CREATE INDEX dir_service_keys_service ON dir_service_keys(service_id);"
	"CREATE TABLE dir_locations("
	"  id TEXT PRIMARY KEY,"
	"  service_id TEXT NOT NULL REFERENCES dir_services(id) ON DELETE CASCADE,"
	"  org_id TEXT NOT NULL REFERENCES orgs(id), version INTEGER NOT NULL,"
	"  kind TEXT NOT NULL, region TEXT, coded TEXT NOT NULL, sealed BLOB,"
	"  created_at TEXT NOT NULL, updated_at TEXT NOT NULL) STRICT;"
	"CREATE INDEX dir_locations_service ON dir_locations(service_id);"
	"CREATE INDEX dir_locations_region ON dir_locations(region, service_id);",
	/* 6: hotline contacts, caller flags, callbacks (reserved) */
	"",
	/* 7: safe-migration knowledge base (reserved) */
	"",
	/* 8: training events and participants (reserved) */
	"",
	/* 9: read audits in batches (reserved) */
	"",
};

static const char SQL_VERSION[] = "SELECT value FROM meta WHERE key = 'schema_version'";
static const char SQL_HAS_META[] =
	"SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'meta'";
static const char SQL_SET_VERSION[] =
	"INSERT INTO meta(key, value) VALUES('schema_version', ?1)"
	" ON CONFLICT(key) DO UPDATE SET value = excluded.value";

static long schema_version(db *d)
{
	db_stmt *s = db_prepare(d, SQL_HAS_META);
	long v = 0;
	if (!s || db_step(s) != DB_ROW || db_col_int(s, 0) == 0) {
		if (s)
			db_reset(s);
		return 0;
	}
	db_reset(s);
	s = db_prepare(d, SQL_VERSION);
	if (s && db_step(s) == DB_ROW)
		v = strtol(db_col_text(s, 0), NULL, 10);
	if (s)
		db_reset(s);
	return v;
}

int store_migrate(db *d, char *err, size_t errlen)
{
	long have = schema_version(d);
	long want = (long)(sizeof migrations / sizeof migrations[0]);
	long v;

	if (have > want) {
		snprintf(err, errlen, "database schema %ld is newer than this program (%ld)", have, want);
		return STORE_ERROR;
	}
	for (v = have; v < want; v++) {
		char num[24];
		db_stmt *s;
		if (db_begin(d) != DB_OK || db_exec(d, migrations[v]) != DB_OK) {
			snprintf(err, errlen, "migration %ld: %s", v + 1, db_errmsg(d));
			db_rollback(d);
			return STORE_ERROR;
		}
		snprintf(num, sizeof num, "%ld", v + 1);
		s = db_prepare(d, SQL_SET_VERSION);
		if (!s) {
			db_rollback(d);
			return STORE_ERROR;
		}
		db_bind_str(s, 1, num);
		if (db_step(s) != DB_DONE || db_commit(d) != DB_OK) {
			snprintf(err, errlen, "migration %ld: %s", v + 1, db_errmsg(d));
			db_rollback(d);
			return STORE_ERROR;
		}
	}
	return STORE_OK;
}
