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

/* Migration 24, the same SQL on both drivers; the WHERE is the one of
 * the queries in store/items.c, which a partial index must repeat. */
#define OPEN_ITEMS_WHERE " WHERE status IN ('due', 'planned', 'in_progress', 'open')"
#define OPEN_ITEMS_INDEXES \
	"CREATE INDEX items_open_org ON items(org_id, kind, due, id)" OPEN_ITEMS_WHERE ";" \
	"CREATE INDEX items_open_assigned ON items(assigned_to, kind, org_id, due, id)" \
	OPEN_ITEMS_WHERE ";"

/* Migration 30, the same SQL on both drivers. */
#define CALLBACKS_CONTACT \
	"CREATE INDEX callbacks_contact ON callbacks(contact_id) WHERE contact_id IS NOT NULL;"

/* Migration 31, the same SQL on both drivers: what a transfer moves now
 * (store_case_move), moved for the transfers made before.  A case's
 * records that a former owner made while it owned the case (up to the
 * transfer's acceptance) are the current owner's; a person's own records
 * (consents, prevention, households) are the person's organisation's; a
 * person merged into another is the organisation's of that one. */
#define TRANSFERS_REOWN \
	"UPDATE items SET org_id = (SELECT c.org_id FROM cases c WHERE c.id = items.case_id)" \
	" WHERE case_id IS NOT NULL AND EXISTS (SELECT 1 FROM referrals f" \
	"  WHERE f.case_id = items.case_id AND f.kind = 'transfer' AND f.status = 'completed'" \
	"  AND f.from_org = items.org_id AND items.created_at <= coalesce(f.responded_at, f.updated_at));" \
	"UPDATE items SET org_id = (SELECT p.org_id FROM persons p WHERE p.id = items.person_id)" \
	" WHERE case_id IS NULL AND person_id IS NOT NULL" \
	" AND org_id <> (SELECT p.org_id FROM persons p WHERE p.id = items.person_id);" \
	"UPDATE persons SET org_id = (SELECT s.org_id FROM persons s WHERE s.id = persons.merged_into)" \
	" WHERE merged_into IS NOT NULL" \
	" AND org_id <> (SELECT s.org_id FROM persons s WHERE s.id = persons.merged_into);"

/* Migration 32: a call on a case's timeline is the record of the
 * organisation whose contact it shows (migration 31 gave those of
 * transferred cases to the new owner, which cannot open the call); a
 * call of another organisation than its case's, or its person's, is
 * unlinked from them (as a transfer now does). */
#define CONTACT_ITEMS_OWN(contact_id) \
	"UPDATE items SET org_id = (SELECT ct.org_id FROM contacts ct WHERE ct.id = " contact_id ")" \
	" WHERE kind = 'contact' AND EXISTS (SELECT 1 FROM contacts ct WHERE ct.id = " contact_id \
	"  AND ct.org_id <> items.org_id);" \
	"UPDATE contacts SET case_id = NULL, person_id = NULL, version = version + 1" \
	" WHERE (case_id IS NOT NULL AND org_id <> (SELECT c.org_id FROM cases c WHERE c.id = contacts.case_id))" \
	" OR (person_id IS NOT NULL AND org_id <> (SELECT p.org_id FROM persons p WHERE p.id = contacts.person_id));"

/* Migration 33: a stay is the record of the organisation that runs its
 * shelter (a transfer by the shelter's own organisation had given the
 * stays of the case to the new owner, where nobody could discharge them). */
#define STAYS_OWN \
	"UPDATE items SET org_id = (SELECT s.org_id FROM dir_services s WHERE s.id = items.service_id)" \
	" WHERE kind = 'stay' AND EXISTS (SELECT 1 FROM dir_services s" \
	"  WHERE s.id = items.service_id AND s.org_id <> items.org_id);"

/* Migration 34: an event of a case's history is the record of the
 * organisation of the user who made it (transfers had given the old
 * owner's to the new owner, whose timeline said it had done them). */
#define EVENTS_OWN \
	"UPDATE items SET org_id = (SELECT u.org_id FROM users u WHERE u.id = items.created_by)" \
	" WHERE kind = 'event' AND EXISTS (SELECT 1 FROM users u" \
	"  WHERE u.id = items.created_by AND u.org_id <> items.org_id);"

/* Migration 35: logins are one whatever their case (Sup1 is sup1).
 * login_key is the login in lower case (logins are ASCII), unique.  Two
 * logins of before that differ only in case keep a NULL key, so that the
 * migration never fails on them: each still signs in with its exact case
 * only, and no new login takes either's case-folded form
 * (store_user_add).  The column's type is each driver's. */
#define LOGIN_KEY(type) \
	"ALTER TABLE users ADD COLUMN login_key " type ";" \
	"UPDATE users SET login_key = lower(login) WHERE NOT EXISTS (SELECT 1 FROM users x" \
	" WHERE lower(x.login) = lower(users.login) AND x.id <> users.id);" \
	"CREATE UNIQUE INDEX users_login_lower ON users(login_key);"

/* SQLite's json_set for a text value at a path of keys ('$.a.b'), which
 * the transfer's SQL uses (store_case_move), on PostgreSQL: made with
 * migration 31 there (replacing the one the tests' template had made). */
#define PG_JSON_SET \
	"CREATE OR REPLACE FUNCTION json_set(doc text, path text, v text) RETURNS text" \
	" LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $f$" \
	"  SELECT jsonb_set(doc::jsonb, string_to_array(substr(path, 3), '.')," \
	"   coalesce(to_jsonb(v), 'null'::jsonb))::text" \
	"$f$;"

/* Migration 25, the same SQL on both drivers. */
#define ITEMS_DUE_DROP \
	"DROP INDEX IF EXISTS items_due;" \
	"CREATE INDEX items_proceedings ON items(case_id) WHERE kind = 'proceeding';"

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
	/* 6: the hotline.  A contact's codes, times and counts are columns
	 * (the reports count them; topics are codes between spaces,
	 * " legal other ", or " "); notes and the caller's number are sealed,
	 * the number is found through phone_key, a blind index made per
	 * organisation (NULL when none was given).  A caller flag holds only
	 * that key, a code and a date.  Callbacks carry their own sealed
	 * number, so that a public request needs no contact. */
	"CREATE TABLE contacts("
	"  id TEXT PRIMARY KEY, org_id TEXT NOT NULL REFERENCES orgs(id),"
	"  version INTEGER NOT NULL, channel TEXT NOT NULL, call_type TEXT NOT NULL,"
	"  started_at TEXT NOT NULL, duration_s INTEGER, language TEXT,"
	"  topics TEXT NOT NULL, action TEXT,"
	"  case_id TEXT REFERENCES cases(id), person_id TEXT REFERENCES persons(id),"
	"  operator_id TEXT REFERENCES users(id), phone_key BLOB,"
	"  coded TEXT NOT NULL, sealed BLOB,"
	"  created_at TEXT NOT NULL, updated_at TEXT NOT NULL) STRICT;"
	"CREATE INDEX contacts_org_started ON contacts(org_id, started_at, id);"
	"CREATE INDEX contacts_phone ON contacts(phone_key, started_at) WHERE phone_key IS NOT NULL;"
	"CREATE INDEX contacts_case ON contacts(case_id) WHERE case_id IS NOT NULL;"
	"CREATE TABLE caller_flags("
	"  id TEXT PRIMARY KEY, org_id TEXT NOT NULL REFERENCES orgs(id),"
	"  phone_key BLOB NOT NULL, flag TEXT NOT NULL, until TEXT NOT NULL,"
	"  sealed BLOB, created_by TEXT REFERENCES users(id), created_at TEXT NOT NULL) STRICT;"
	"CREATE INDEX caller_flags_phone ON caller_flags(phone_key, until);"
	"CREATE TABLE callbacks("
	"  id TEXT PRIMARY KEY, org_id TEXT NOT NULL REFERENCES orgs(id),"
	"  version INTEGER NOT NULL, source TEXT NOT NULL, done INTEGER NOT NULL,"
	"  due TEXT NOT NULL, language TEXT, assigned_to TEXT REFERENCES users(id),"
	"  outcome TEXT, contact_id TEXT REFERENCES contacts(id), phone_key BLOB,"
	"  sealed BLOB, created_by TEXT REFERENCES users(id),"
	"  created_at TEXT NOT NULL, updated_at TEXT NOT NULL, done_at TEXT) STRICT;"
	"CREATE INDEX callbacks_org_due ON callbacks(org_id, done, due, id);"
	"CREATE INDEX callbacks_phone ON callbacks(phone_key) WHERE phone_key IS NOT NULL;",
	/* 7: the safe-migration knowledge base.  Articles are public text
	 * (no PII): title and body per language in clear, sources as a JSON
	 * list.  Every saved version is kept whole in kb_history; the search
	 * keys (domain/namekey.h, cross-script) are in clear as the
	 * directory's are (store/kb.c). */
	"CREATE TABLE kb_articles("
	"  id TEXT PRIMARY KEY, version INTEGER NOT NULL,"
	"  country TEXT NOT NULL, topic TEXT NOT NULL, status TEXT NOT NULL,"
	"  reviewed_on TEXT,"
	"  title_tg TEXT NOT NULL, title_ru TEXT NOT NULL, title_en TEXT NOT NULL,"
	"  body_tg TEXT NOT NULL, body_ru TEXT NOT NULL, body_en TEXT NOT NULL,"
	"  sources TEXT NOT NULL, updated_by TEXT,"
	"  created_at TEXT NOT NULL, updated_at TEXT NOT NULL) STRICT;"
	"CREATE INDEX kb_articles_country ON kb_articles(country, topic, id);"
	"CREATE INDEX kb_articles_topic ON kb_articles(topic, country, id);"
	"CREATE TABLE kb_history("
	"  article_id TEXT NOT NULL REFERENCES kb_articles(id) ON DELETE CASCADE,"
	"  version INTEGER NOT NULL, at TEXT NOT NULL, user_id TEXT,"
	"  action TEXT NOT NULL, fields TEXT NOT NULL, snapshot TEXT NOT NULL,"
	"  PRIMARY KEY(article_id, version)) STRICT;"
	"CREATE TABLE kb_keys("
	"  key TEXT NOT NULL,"
	"  article_id TEXT NOT NULL REFERENCES kb_articles(id) ON DELETE CASCADE,"
	"  weight INTEGER NOT NULL,"
	"  PRIMARY KEY(key, article_id)) STRICT, WITHOUT ROWID;"
	"CREATE INDEX kb_keys_article ON kb_keys(article_id);",
	/* 8: training events and their participants (not named: agency type,
	 * sex, role and test scores only), and the facts the reports count.
	 * rp_* hold one row per case (and per code of its multi-valued
	 * dimensions, per service delivered) with the codes as columns, keyed
	 * by a small integer n so that counting joins nothing: an age band
	 * needs the sealed date of birth, so the API makes them again from
	 * the rows that triggers mark in rp_dirty (store/reports.c). */
	"CREATE TABLE trainings("
	"  id TEXT PRIMARY KEY, org_id TEXT NOT NULL REFERENCES orgs(id),"
	"  version INTEGER NOT NULL, topic TEXT NOT NULL, start_on TEXT NOT NULL,"
	"  end_on TEXT NOT NULL, place TEXT NOT NULL,"
	"  organiser_org TEXT NOT NULL REFERENCES orgs(id), created_by TEXT REFERENCES users(id),"
	"  created_at TEXT NOT NULL, updated_at TEXT NOT NULL) STRICT;"
	"CREATE INDEX trainings_org_start ON trainings(org_id, start_on, id);"
	"CREATE INDEX trainings_start ON trainings(start_on);"
	"CREATE TABLE training_participants("
	"  id TEXT PRIMARY KEY, training_id TEXT NOT NULL REFERENCES trainings(id),"
	"  agency_type TEXT NOT NULL, sex TEXT NOT NULL, role TEXT NOT NULL,"
	"  pre_score INTEGER, post_score INTEGER, created_by TEXT REFERENCES users(id),"
	"  created_at TEXT NOT NULL) STRICT;"
	"CREATE INDEX training_participants_training ON training_participants(training_id, id);"
	"CREATE TABLE rp_cases("
	"  n INTEGER PRIMARY KEY, case_id TEXT NOT NULL UNIQUE, org_id TEXT NOT NULL,"
	"  org_type TEXT NOT NULL, person_id TEXT NOT NULL, opened_on TEXT NOT NULL, closed_on TEXT,"
	"  status TEXT NOT NULL, stage TEXT NOT NULL, sex TEXT, age_band TEXT, region TEXT,"
	"  nationality TEXT, trafficking_status TEXT, reintegrated INTEGER NOT NULL) STRICT;"
	/* Covering: a summary reads the index alone, in order of the day. */
	"CREATE INDEX rp_cases_opened ON rp_cases(opened_on, org_id, org_type, status, stage, sex,"
	"  age_band, region, nationality, trafficking_status);"
	"CREATE INDEX rp_cases_closed ON rp_cases(closed_on) WHERE closed_on IS NOT NULL;"
	"CREATE TABLE rp_codes("
	"  dim TEXT NOT NULL, n INTEGER NOT NULL, code TEXT NOT NULL,"
	"  PRIMARY KEY(dim, n, code)) STRICT, WITHOUT ROWID;"
	"CREATE INDEX rp_codes_n ON rp_codes(n);"
	"CREATE TABLE rp_services("
	"  item_id TEXT PRIMARY KEY, n INTEGER NOT NULL, type TEXT NOT NULL,"
	"  on_date TEXT NOT NULL) STRICT;"
	"CREATE INDEX rp_services_date ON rp_services(on_date, n, type);"
	"CREATE TABLE rp_followups("
	"  item_id TEXT PRIMARY KEY, n INTEGER NOT NULL, due TEXT NOT NULL) STRICT;"
	"CREATE INDEX rp_followups_due ON rp_followups(due, n);"
	/* What changed since the facts were last made: every write of a
	 * case, of a person (its cases), of a service and of a follow-up (and
	 * its case: "reintegrated") marks it here. */
	"CREATE TABLE rp_dirty(kind TEXT NOT NULL, id TEXT NOT NULL,"
	"  PRIMARY KEY(kind, id)) STRICT, WITHOUT ROWID;"
	"CREATE TRIGGER rp_case_ins AFTER INSERT ON cases BEGIN"
	"  INSERT OR IGNORE INTO rp_dirty(kind, id) VALUES('case', NEW.id); END;"
	"CREATE TRIGGER rp_case_upd AFTER UPDATE ON cases BEGIN"
	"  INSERT OR IGNORE INTO rp_dirty(kind, id) VALUES('case', NEW.id); END;"
	"CREATE TRIGGER rp_person_upd AFTER UPDATE ON persons BEGIN"
	"  INSERT OR IGNORE INTO rp_dirty(kind, id)"
	"  SELECT 'case', id FROM cases WHERE person_id = NEW.id; END;"
	"CREATE TRIGGER rp_service_ins AFTER INSERT ON items WHEN NEW.kind = 'service' BEGIN"
	"  INSERT OR IGNORE INTO rp_dirty(kind, id) VALUES('service', NEW.id); END;"
	"CREATE TRIGGER rp_service_upd AFTER UPDATE ON items WHEN NEW.kind = 'service' BEGIN"
	"  INSERT OR IGNORE INTO rp_dirty(kind, id) VALUES('service', NEW.id); END;"
	"CREATE TRIGGER rp_followup_ins AFTER INSERT ON items WHEN NEW.kind = 'followup' BEGIN"
	"  INSERT OR IGNORE INTO rp_dirty(kind, id) VALUES('followup', NEW.id);"
	"  INSERT OR IGNORE INTO rp_dirty(kind, id) VALUES('case', NEW.case_id); END;"
	"CREATE TRIGGER rp_followup_upd AFTER UPDATE ON items WHEN NEW.kind = 'followup' BEGIN"
	"  INSERT OR IGNORE INTO rp_dirty(kind, id) VALUES('followup', NEW.id);"
	"  INSERT OR IGNORE INTO rp_dirty(kind, id) VALUES('case', NEW.case_id); END;"
	"INSERT INTO rp_dirty(kind, id) SELECT 'case', id FROM cases;"
	"INSERT INTO rp_dirty(kind, id) SELECT 'service', id FROM items WHERE kind = 'service';"
	"INSERT INTO rp_dirty(kind, id) SELECT 'followup', id FROM items WHERE kind = 'followup';",
	/* 9: read audits in batches (store/audit.c): one chained entry of
	 * action "reads" per flush, a line per read in its fields.
	 * audit_reads is the derived index of which batches hold reads of a
	 * record (rkey: 63 bits of a hash of the record), caught up lazily
	 * (store/audit_reads.c).  audit_log shows every entry with the reads
	 * of a batch as rows of their own (n: the place in the batch, 0 for
	 * other entries) for sqlite3 and the tests; values are shown as
	 * stored (a byte below 0x20 or a backslash escaped as \xHH).  The
	 * view splits lines with SQLite's instr() and char(); a PostgreSQL
	 * driver would define it with strpos() and chr(). */
	"CREATE TABLE audit_reads("
	"  rkey INTEGER NOT NULL, seq INTEGER NOT NULL,"
	"  PRIMARY KEY(rkey, seq)) STRICT, WITHOUT ROWID;"
	"CREATE VIEW audit_log(seq, n, at, user_id, org_id, action, record, fields, addr) AS"
	" WITH RECURSIVE lines(seq, n, line, rest) AS ("
	"  SELECT seq, 0, '', fields FROM audit WHERE action = 'reads'"
	"  UNION ALL"
	"  SELECT seq, n + 1, substr(rest, 1, instr(rest, char(10)) - 1),"
	"   substr(rest, instr(rest, char(10)) + 1) FROM lines WHERE instr(rest, char(10)) > 0),"
	" v1(seq, n, action, r) AS (SELECT seq, n, substr(line, 1, instr(line, char(9)) - 1),"
	"  substr(line, instr(line, char(9)) + 1) FROM lines WHERE n > 0),"
	" v2(seq, n, action, at, r) AS (SELECT seq, n, action, substr(r, 1, instr(r, char(9)) - 1),"
	"  substr(r, instr(r, char(9)) + 1) FROM v1),"
	" v3(seq, n, action, at, user_id, r) AS (SELECT seq, n, action, at,"
	"  substr(r, 1, instr(r, char(9)) - 1), substr(r, instr(r, char(9)) + 1) FROM v2),"
	" v4(seq, n, action, at, user_id, org_id, r) AS (SELECT seq, n, action, at, user_id,"
	"  substr(r, 1, instr(r, char(9)) - 1), substr(r, instr(r, char(9)) + 1) FROM v3),"
	" v5(seq, n, action, at, user_id, org_id, record, r) AS (SELECT seq, n, action, at, user_id,"
	"  org_id, substr(r, 1, instr(r, char(9)) - 1), substr(r, instr(r, char(9)) + 1) FROM v4),"
	" v6(seq, n, action, at, user_id, org_id, record, fields, r) AS (SELECT seq, n, action, at,"
	"  user_id, org_id, record, substr(r, 1, instr(r, char(9)) - 1),"
	"  substr(r, instr(r, char(9)) + 1) FROM v5),"
	" v7(seq, n, action, at, user_id, org_id, record, fields, addr) AS (SELECT seq, n, action,"
	"  at, user_id, org_id, record, fields, substr(r, 1, instr(r, char(9)) - 1) FROM v6)"
	" SELECT seq, 0, at, user_id, org_id, action, record, fields, addr FROM audit"
	"  WHERE action <> 'reads'"
	" UNION ALL"
	" SELECT seq, n, at, nullif(user_id, '\\N'), nullif(org_id, '\\N'), action,"
	"  nullif(record, '\\N'), nullif(fields, '\\N'), nullif(addr, '\\N') FROM v7;",
	/* 10: audit completeness.  No SQL: the keyed anchor of the audit log
	 * (meta 'audit_anchor') needs the key, so store_open writes it, with a
	 * genesis entry in a new database, or at the head of a database made
	 * before anchors existed when its keyed head holds (store/audit.c,
	 * audit_anchor_ensure).  Not tied to this version: databases made
	 * while 10-13 were empty placeholders are at 13 already. */
	"",
	/* 11: accounts.  API tokens get a public id (to list and revoke them
	 * by; the primary key is the keyed hash of the secret), an expiry and
	 * the time of their last use.  Tokens made before this migration
	 * expire 90 days after it.  A session remembers whether a second
	 * factor was confirmed in it (a code at sign-in, or enrolment), so
	 * that a role that comes to require one refuses the sessions opened
	 * before.  randomblob() and strftime('%s') are SQLite's; a PostgreSQL
	 * driver would use gen_random_bytes() and extract(epoch ...). */
	"ALTER TABLE tokens ADD COLUMN public_id TEXT;"
	"ALTER TABLE tokens ADD COLUMN expires_at INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE tokens ADD COLUMN last_used_at INTEGER;"
	"UPDATE tokens SET public_id = lower(hex(randomblob(13))),"
	"  expires_at = CAST(strftime('%s', 'now') AS INTEGER) + 90 * 86400;"
	"CREATE UNIQUE INDEX tokens_public_id ON tokens(public_id);"
	"CREATE INDEX tokens_user ON tokens(user_id);"
	"ALTER TABLE sessions ADD COLUMN totp_confirmed INTEGER NOT NULL DEFAULT 0;",
	/* 12: a service's organisation (who reads a shelter's address) moves
	 * only by a transfer that the owning organisation accepts: the
	 * organisation it is offered to waits here. */
	"ALTER TABLE dir_services ADD COLUMN transfer_to TEXT REFERENCES orgs(id);",
	/* 13: reports: the record key of each case (domain/cellkey.h), a
	 * keyed hash of its id that only the API layer can compute, so the
	 * refresh sets it: every case is marked to be made again.  The
	 * summary's covering index carries it. */
	"ALTER TABLE rp_cases ADD COLUMN rkey INTEGER NOT NULL DEFAULT 0;"
	"DROP INDEX rp_cases_opened;"
	"CREATE INDEX rp_cases_opened ON rp_cases(opened_on, org_id, org_type, status, stage, sex,"
	"  age_band, region, nationality, trafficking_status, rkey);"
	"INSERT OR IGNORE INTO rp_dirty(kind, id) SELECT 'case', id FROM cases;",
	/* 14: reports: officially identified victims apart from presumed ones
	 * (domain/casework.h casework_identification), from the newest status
	 * decision; the covering index carries it; every case made again. */
	"ALTER TABLE rp_cases ADD COLUMN identification TEXT;"
	"DROP INDEX rp_cases_opened;"
	"CREATE INDEX rp_cases_opened ON rp_cases(opened_on, org_id, org_type, status, stage, sex,"
	"  age_band, region, nationality, trafficking_status, rkey, identification);"
	"INSERT OR IGNORE INTO rp_dirty(kind, id) SELECT 'case', id FROM cases;",
	/* 15: administration in the browser.  An organisation has a sector
	 * (code list "sector") and remembers the organisation whose
	 * administrator made it (that one may edit it); a user given a
	 * one-time password must change it at the next sign-in. */
	"ALTER TABLE orgs ADD COLUMN sector TEXT;"
	"ALTER TABLE orgs ADD COLUMN created_by_org TEXT REFERENCES orgs(id);"
	"ALTER TABLE users ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0;",
	/* 16: the NRM as the agencies work it (issue 15).  A status decision's
	 * deciding body is now derived from the deciding user's organisation
	 * (domain/casework.h casework_decider): the decisions recorded before
	 * keep the body their user chose and are marked so.  Reports group by
	 * the sector of the case's organisation; a change of an
	 * organisation's type or sector makes its cases' facts again. */
	"UPDATE items SET coded = json_set(coded, '$.before_rule', json('true'))"
	"  WHERE kind = 'status_decision';"
	"ALTER TABLE rp_cases ADD COLUMN sector TEXT;"
	"CREATE TRIGGER rp_org_upd AFTER UPDATE OF type, sector ON orgs BEGIN"
	"  INSERT OR IGNORE INTO rp_dirty(kind, id)"
	"  SELECT 'case', id FROM cases WHERE org_id = NEW.id; END;"
	"INSERT OR IGNORE INTO rp_dirty(kind, id) SELECT 'case', id FROM cases;",
	/* 17: an organisation's contact for its referral partners (the phone
	 * and e-mail a recipient of its referrals calls back on). */
	"ALTER TABLE orgs ADD COLUMN contact_phone TEXT;"
	"ALTER TABLE orgs ADD COLUMN contact_email TEXT;",
	/* 18: the criminal-justice track and
	 * shelter stays.  A perpetrator is an item of kind "perpetrator" with
	 * no case, linked to one or more cases here, its names found through
	 * blind keys like a person's (their own HMAC domain).  A shelter stay
	 * is an item of kind "stay" that names its shelter service: the open
	 * stays of a shelter are its occupied beds. */
	"ALTER TABLE items ADD COLUMN service_id TEXT REFERENCES dir_services(id);"
	"CREATE INDEX items_service ON items(service_id, status) WHERE service_id IS NOT NULL;"
	"CREATE TABLE perpetrator_cases("
	"  case_id TEXT NOT NULL REFERENCES cases(id),"
	"  perpetrator_id TEXT NOT NULL REFERENCES items(id),"
	"  org_id TEXT NOT NULL REFERENCES orgs(id), created_at TEXT NOT NULL,"
	"  PRIMARY KEY(case_id, perpetrator_id)) STRICT, WITHOUT ROWID;"
	"CREATE INDEX perpetrator_cases_perpetrator ON perpetrator_cases(perpetrator_id);"
	"CREATE TABLE perpetrator_keys("
	"  key BLOB NOT NULL,"
	"  perpetrator_id TEXT NOT NULL REFERENCES items(id),"
	"  weight INTEGER NOT NULL,"
	"  PRIMARY KEY(key, perpetrator_id)) STRICT, WITHOUT ROWID;"
	"CREATE INDEX perpetrator_keys_perpetrator ON perpetrator_keys(perpetrator_id);",
	/* 19: duplicates in the register (issue
	 * 16).  A person merged into another keeps its row, pointing at the
	 * survivor (merged_into); dup_pairs holds the candidate pairs of an
	 * organisation found by record linkage (domain/dedup.h), with their
	 * score (thousandths of a probability), weight (hundredths of a bit)
	 * and the comparisons that drove it (field and level names
	 * only, nothing personal), and what was decided: open, distinct
	 * (not the same: never proposed again) or merged.  A merge lists
	 * every row it moved to the survivor in dup_merge_rows, so that
	 * undoing it moves exactly those back. */
	"ALTER TABLE persons ADD COLUMN merged_into TEXT REFERENCES persons(id);"
	"CREATE INDEX persons_merged ON persons(merged_into) WHERE merged_into IS NOT NULL;"
	"CREATE TABLE dup_pairs("
	"  id TEXT NOT NULL UNIQUE, org_id TEXT NOT NULL REFERENCES orgs(id),"
	"  a TEXT NOT NULL REFERENCES persons(id), b TEXT NOT NULL REFERENCES persons(id),"
	"  score INTEGER NOT NULL, weight INTEGER NOT NULL, reasons TEXT NOT NULL,"
	"  status TEXT NOT NULL, found_at TEXT NOT NULL,"
	"  decided_by TEXT REFERENCES users(id), decided_at TEXT, merge_id TEXT,"
	"  PRIMARY KEY(a, b)) STRICT;"
	"CREATE INDEX dup_pairs_org ON dup_pairs(org_id, status, score);"
	"CREATE INDEX dup_pairs_b ON dup_pairs(b);"
	"CREATE TABLE dup_merges("
	"  id TEXT PRIMARY KEY, org_id TEXT NOT NULL REFERENCES orgs(id),"
	"  pair_id TEXT NOT NULL, survivor TEXT NOT NULL REFERENCES persons(id),"
	"  merged TEXT NOT NULL REFERENCES persons(id), by_user TEXT REFERENCES users(id),"
	"  at TEXT NOT NULL, undone_by TEXT REFERENCES users(id), undone_at TEXT) STRICT;"
	"CREATE INDEX dup_merges_org ON dup_merges(org_id, at);"
	"CREATE TABLE dup_merge_rows("
	"  merge_id TEXT NOT NULL REFERENCES dup_merges(id), tbl TEXT NOT NULL, row_id TEXT NOT NULL,"
	"  PRIMARY KEY(merge_id, tbl, row_id)) STRICT, WITHOUT ROWID;",
	/* 20: pre-departure orientation sessions: a date and coded JSON
	 * (place, region, destination, attendance counts), never a name. */
	"CREATE TABLE orientations("
	"  id TEXT PRIMARY KEY, org_id TEXT NOT NULL REFERENCES orgs(id),"
	"  version INTEGER NOT NULL, held_on TEXT NOT NULL, coded TEXT NOT NULL,"
	"  created_by TEXT REFERENCES users(id), created_at TEXT NOT NULL,"
	"  updated_at TEXT NOT NULL) STRICT;"
	"CREATE INDEX orientations_org ON orientations(org_id, held_on, id);"
	/* and the national Action Plan as data (store/plan.c): a plan with
	 * its coordinating organisation, its activities by number, and the
	 * agencies' progress reports.  Nothing in them is about a person. */
	"CREATE TABLE plans(code TEXT PRIMARY KEY, coordinator_org TEXT NOT NULL REFERENCES orgs(id),"
	"  coded TEXT NOT NULL, loaded_at TEXT NOT NULL) STRICT;"
	"CREATE TABLE plan_activities(id TEXT PRIMARY KEY, plan TEXT NOT NULL REFERENCES plans(code),"
	"  number TEXT NOT NULL, responsible_org TEXT NOT NULL REFERENCES orgs(id),"
	"  coded TEXT NOT NULL, UNIQUE(plan, number)) STRICT;"
	"CREATE TABLE plan_reports(id TEXT PRIMARY KEY,"
	"  activity_id TEXT NOT NULL REFERENCES plan_activities(id), org_id TEXT NOT NULL,"
	"  coded TEXT NOT NULL, created_by TEXT, created_at TEXT NOT NULL) STRICT;"
	"CREATE INDEX plan_reports_activity ON plan_reports(activity_id, created_at);",
	/* knowledge library, study visits */
	/* 21: the knowledge library (store/library.c): the programme's guides,
	 * brochures, SOPs and training manuals, each with its numbered
	 * versions.  A version's file is sealed like PII (its nonce and tag
	 * in the blob), bound to the product and number: it is nobody's
	 * personal data, but an internal SOP names shelters' procedures and
	 * the agencies' contacts.  audience and languages are lists written
	 * ",a,b," so that one LIKE finds a member in either SQL.  A
	 * withdrawn product keeps its row and its versions.  And a study
	 * visit is a training of its own kind, with its country, host and
	 * purpose (the city is its place), and a participant's agency may
	 * also be told by its sector. */
	"CREATE TABLE library_products("
	"  id TEXT PRIMARY KEY, org_id TEXT NOT NULL REFERENCES orgs(id),"
	"  kind TEXT NOT NULL, audience TEXT NOT NULL, languages TEXT NOT NULL,"
	"  coded TEXT NOT NULL, current INTEGER NOT NULL DEFAULT 0,"
	"  withdrawn_at TEXT, withdrawn_by TEXT REFERENCES users(id),"
	"  created_by TEXT REFERENCES users(id), created_at TEXT NOT NULL,"
	"  updated_at TEXT NOT NULL) STRICT;"
	"CREATE INDEX library_products_updated ON library_products(updated_at, id);"
	"CREATE TABLE library_versions("
	"  product_id TEXT NOT NULL REFERENCES library_products(id), n INTEGER NOT NULL,"
	"  file_name TEXT NOT NULL, content_type TEXT NOT NULL, size INTEGER NOT NULL,"
	"  sha256 TEXT NOT NULL, sealed BLOB NOT NULL, note TEXT,"
	"  uploaded_by TEXT REFERENCES users(id), uploaded_at TEXT NOT NULL,"
	"  PRIMARY KEY(product_id, n)) STRICT;"
	"ALTER TABLE trainings ADD COLUMN kind TEXT NOT NULL DEFAULT 'training';"
	"ALTER TABLE trainings ADD COLUMN country TEXT;"
	"ALTER TABLE trainings ADD COLUMN host TEXT;"
	"ALTER TABLE trainings ADD COLUMN purpose TEXT;"
	/* a participant's agency also by its sector (police, border, customs...) */
	"ALTER TABLE training_participants ADD COLUMN sector TEXT;",
	/* 22 (branch pprlnet): matching across organisations without names
	 * (store/pprl.h).  One encoding per consenting person: the
	 * organisation, an opaque keyed handle, the person id sealed, the
	 * encoding, and when the consent behind it ends; no name, birth date
	 * or person id in clear.  pprl_questions holds who asked when (the
	 * rate limit), nothing about the person asked about. */
	"CREATE TABLE pprl_encodings("
	"  org_id TEXT NOT NULL REFERENCES orgs(id), handle BLOB NOT NULL, ref BLOB NOT NULL,"
	"  clk BLOB NOT NULL, expires TEXT NOT NULL, updated_at TEXT NOT NULL,"
	"  PRIMARY KEY(handle)) STRICT, WITHOUT ROWID;"
	"CREATE TABLE pprl_questions(user_id TEXT NOT NULL, asked_at TEXT NOT NULL) STRICT;"
	"CREATE INDEX pprl_questions_user ON pprl_questions(user_id, asked_at);",
	/* sessions (branch sessions) */
	/* 23: what several servers on one database share (store/limits.c):
	 * failed sign-ins per login, counters of rate limits per window,
	 * and the public form's tokens already used.  Keys are keyed
	 * hashes (no login or client address in clear); free_at / expires
	 * say when a row protects nothing any more and may be deleted. */
	"CREATE TABLE login_failures("
	"  key BLOB PRIMARY KEY, failures INTEGER NOT NULL, last_fail INTEGER NOT NULL,"
	"  locked_until INTEGER NOT NULL, free_at INTEGER NOT NULL) STRICT;"
	"CREATE INDEX login_failures_free ON login_failures(free_at);"
	"CREATE TABLE rate_counters("
	"  key BLOB PRIMARY KEY, start INTEGER NOT NULL, n INTEGER NOT NULL) STRICT;"
	"CREATE INDEX rate_counters_start ON rate_counters(start);"
	"CREATE TABLE once_used("
	"  id BLOB PRIMARY KEY, expires INTEGER NOT NULL) STRICT;"
	"CREATE INDEX once_used_expires ON once_used(expires);",
	/* 24 (branch scale): the due follow-ups and reviews (GET /followups,
	 * store_items_due) read only the open items of one organisation or
	 * assignee, in due order.  items_due(kind, assigned_to, due) held every
	 * item of a kind, open or done, so the organisation's list visited each
	 * follow-up it ever had and sorted them all (1.2 s at 1,000,000
	 * persons); these hold the open ones only, in the list's order, and the
	 * list stops at its limit (bench/scale.sh). */
	OPEN_ITEMS_INDEXES,
	/* 25: items_due(kind, assigned_to, due) lost its list to migration
	 * 24; what still read it were scans of one kind by the exports and
	 * the reports, which read a kind's items in index order and fetched
	 * each row apart: at 100,000 persons the done livelihood follow-ups
	 * took 1.3 s through it and 0.5 s by a scan of the table, and at 1,000,000 the
	 * standing consents 11.4 s through it and 6.3 s by a scan.  The one kind too
	 * rare to scan for, court proceedings (the justice report), has an
	 * index of its own.  Every item written updates one index fewer. */
	ITEMS_DUE_DROP,
	/* 26: what each person's row of the matching table was made from
	 * (store/pprl.h): the pass at start re-encodes only the persons whose
	 * records, consents, matching key or year changed since (it
	 * re-encoded every consenting person at every start: 81 s at
	 * 1,000,000 persons, and a table's worth of rewritten rows). */
	"CREATE TABLE pprl_stamps("
	"  handle BLOB NOT NULL, stamp BLOB NOT NULL, encoded INTEGER NOT NULL,"
	"  recheck TEXT NOT NULL, updated_at TEXT NOT NULL,"
	"  PRIMARY KEY(handle)) STRICT, WITHOUT ROWID;",
	/* 27: the organisations each row may be matched by (store/pprl.h):
	 * a referral consent naming one recipient put the person in every
	 * organisation's answers.  The rows of before stay unseen until the
	 * pass at start makes them again (the stamps' encoder changed). */
	"ALTER TABLE pprl_encodings ADD COLUMN audience TEXT NOT NULL DEFAULT '';",
	/* 28: idempotency keys (store_idem_claim): a change sent again after
	 * its answer was lost on a weak link is answered once more, not made
	 * twice, whichever server the second reaches. */
	"CREATE TABLE idempotency("
	"  key BLOB PRIMARY KEY, request BLOB NOT NULL, expires INTEGER NOT NULL,"
	"  started INTEGER NOT NULL, status INTEGER NOT NULL, answer BLOB) STRICT, WITHOUT ROWID;"
	"CREATE INDEX idempotency_expires ON idempotency(expires);",
	/* 29: the names each referral shares, as blind keys of its recipient
	 * (store_referral_names_set): the recipient's search by name reads
	 * them instead of opening every person referred to it (2,000 at
	 * most, 50 us each, and none past them). */
	"CREATE TABLE referral_names("
	"  org_id TEXT NOT NULL, key BLOB NOT NULL, referral_id TEXT NOT NULL,"
	"  case_id TEXT NOT NULL, PRIMARY KEY(org_id, key, referral_id)) STRICT, WITHOUT ROWID;"
	"CREATE INDEX referral_names_referral ON referral_names(referral_id);",
	/* 30: the callback booked with a contact, which the contact's read
	 * shows (store_callback_of_contact). */
	CALLBACKS_CONTACT,
	/* 31: what a transfer moves, for those made before (TRANSFERS_REOWN). */
	TRANSFERS_REOWN,
	/* 32: a call on a timeline is its hotline's record (CONTACT_ITEMS_OWN). */
	CONTACT_ITEMS_OWN("json_extract(items.coded, '$.contact_id')"),
	/* 33: a stay is its shelter's record (STAYS_OWN). */
	STAYS_OWN,
	/* 34: an event is the record of whoever made it (EVENTS_OWN). */
	EVENTS_OWN,
	/* 35: logins unique without regard to case (LOGIN_KEY). */
	LOGIN_KEY("TEXT"),
};

/* PostgreSQL starts at the schema of migration PG_BASELINE_VERSION,
 * made at once by pg_baseline (pg_baseline.sql); each migration after it is
 * written for both: pg_after[i] is migration PG_BASELINE_VERSION + 1 + i. */
static const char *const pg_after[] = {
	OPEN_ITEMS_INDEXES, /* 24 */
	ITEMS_DUE_DROP,     /* 25 */
	"CREATE TABLE pprl_stamps(" /* 26 */
	"  handle BYTEA NOT NULL, stamp BYTEA NOT NULL, encoded BIGINT NOT NULL,"
	"  recheck TEXT COLLATE \"C\" NOT NULL, updated_at TEXT COLLATE \"C\" NOT NULL,"
	"  PRIMARY KEY(handle));",
	"ALTER TABLE pprl_encodings ADD COLUMN audience TEXT COLLATE \"C\" NOT NULL DEFAULT '';", /* 27 */
	"CREATE TABLE idempotency(" /* 28 */
	"  key BYTEA PRIMARY KEY, request BYTEA NOT NULL, expires BIGINT NOT NULL,"
	"  started BIGINT NOT NULL, status BIGINT NOT NULL, answer BYTEA);"
	"CREATE INDEX idempotency_expires ON idempotency(expires);",
	"CREATE TABLE referral_names(" /* 29 */
	"  org_id TEXT COLLATE \"C\" NOT NULL, key BYTEA NOT NULL,"
	"  referral_id TEXT COLLATE \"C\" NOT NULL, case_id TEXT COLLATE \"C\" NOT NULL,"
	"  PRIMARY KEY(org_id, key, referral_id));"
	"CREATE INDEX referral_names_referral ON referral_names(referral_id);",
	CALLBACKS_CONTACT, /* 30 */
	PG_JSON_SET TRANSFERS_REOWN, /* 31 */
	CONTACT_ITEMS_OWN("(items.coded::json ->> 'contact_id')"), /* 32 */
	STAYS_OWN, /* 33 */
	EVENTS_OWN, /* 34 */
	LOGIN_KEY("TEXT COLLATE \"C\""), /* 35 */
	NULL,
};

const char *pg_migration_after(size_t i)
{
	return i < sizeof pg_after / sizeof pg_after[0] ? pg_after[i] : NULL;
}

_Static_assert(sizeof migrations / sizeof migrations[0] ==
	       PG_BASELINE_VERSION + sizeof pg_after / sizeof pg_after[0] - 1,
	       "a migration after the PostgreSQL baseline needs its PostgreSQL form in pg_after");

long store_schema_latest(void)
{
	return (long)(sizeof migrations / sizeof migrations[0]);
}

long store_schema_version(db *d)
{
	db_stmt *s;
	long v = 0;

	if (db_table_exists(d, "meta") <= 0)
		return 0;
	s = meta_select(d, "schema_version");
	if (store_step_row(s) == STORE_OK) {
		v = strtol(db_col_text(s, 0), NULL, 10);
		db_reset(s);
	}
	return v;
}

/* The migrations still to run, each in a transaction of its own
 * (own_tx), or all in the caller's (store_migrate_in). */
static int migrate_run(db *d, int own_tx, char *err, size_t errlen)
{
	long have = store_schema_version(d);
	long want = (long)(sizeof migrations / sizeof migrations[0]);
	long v;

	if (have > want) {
		snprintf(err, errlen, "database schema %ld is newer than this program (%ld)", have, want);
		return STORE_ERROR;
	}
	for (v = have; v < want; v++) {
		const char *sql = migrations[v];
		char num[24];

		if (!db_is_sqlite(d)) {
			sql = v < PG_BASELINE_VERSION ? pg_baseline : pg_after[v - PG_BASELINE_VERSION];
			if (v < PG_BASELINE_VERSION && v > 0) {
				snprintf(err, errlen, "a PostgreSQL database at schema %ld: it starts at %d",
					 v, PG_BASELINE_VERSION);
				return STORE_ERROR;
			}
		}
		if ((own_tx && db_begin(d) != DB_OK) || db_exec(d, sql) != DB_OK)
			goto fail;
		if (!db_is_sqlite(d) && v < PG_BASELINE_VERSION)
			v = PG_BASELINE_VERSION - 1; /* the baseline made them all */
		snprintf(num, sizeof num, "%ld", v + 1);
		if (meta_put(d, "schema_version", num) != STORE_OK ||
		    (own_tx && db_commit(d) != DB_OK))
			goto fail;
	}
	return STORE_OK;
fail:
	snprintf(err, errlen, "migration %ld: %s", v + 1, db_errmsg(d));
	if (own_tx)
		db_rollback(d);
	return STORE_ERROR;
}

int store_migrate(db *d, char *err, size_t errlen)
{
	return migrate_run(d, 1, err, errlen);
}

int store_migrate_in(db *d, char *err, size_t errlen)
{
	return migrate_run(d, 0, err, errlen);
}
