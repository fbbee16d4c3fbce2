-- pg_baseline.sql - the PostgreSQL baseline: in one file of statements
-- (compiled in as the string pg_baseline by tools/gen_blob.py), the
-- schema a fresh PostgreSQL database gets, equal to SQLite's after
-- migration PG_BASELINE_VERSION (store/migrate.c), so that the SQL the
-- store sends runs on either.  The driver runs it once on an empty
-- database and then records the version; later migrations apply to both.
--
-- How SQLite's schema is carried over:
--   INTEGER -> BIGINT, BLOB -> BYTEA, TEXT -> TEXT COLLATE "C" (bytewise
--   order and comparison, as SQLite's, whatever the database's locale);
--   STRICT and WITHOUT ROWID dropped; every key, reference, default and
--   index kept under its name.
--   A table with a rowid in SQLite gets one here (the store orders by it:
--   the order rows were written in), its last column.  Of the two
--   INTEGER PRIMARY KEY columns, audit.seq is always given by the store
--   and rp_cases.n never is (it is numbered on insert, as SQLite does).
--   The rp_* triggers become trigger functions, INSERT OR IGNORE
--   becoming ON CONFLICT DO NOTHING (and a NULL case_id, which SQLite's
--   OR IGNORE skips as a NOT NULL violation, skipped explicitly); the
--   audit_log view splits its lines with string_to_table and split_part.
--   The SQLite functions the store's SQL calls are defined first, with
--   SQLite's results: json_extract and json_each with SQLite's paths
--   ('$', '.key', '."key"', '[N]'; a string unquoted, true/false as 1/0,
--   a JSON null or a missing member as NULL, an array or object as its
--   text), json_array_length, and max/min of two integers.
-- tests/pg/schema.test.mjs checks it against the SQLite schema, table by
-- table and column by column, and these functions against SQLite's.
--
-- ---- SQLite's functions ---------------------------------------
-- The value at an SQLite JSON path (NULL when absent).
CREATE FUNCTION sqlite_json_at(doc json, path text) RETURNS json
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $f$
DECLARE
  rest text := path;
  m text[];
  v json := doc;
BEGIN
  IF left(rest, 1) <> '$' THEN
    RAISE EXCEPTION 'bad JSON path: %', path USING ERRCODE = '22023';
  END IF;
  rest := substr(rest, 2);
  WHILE rest <> '' LOOP
    IF left(rest, 2) = '."' THEN
      m := regexp_match(rest, '^\."([^"]*)"(.*)$');
    ELSIF left(rest, 1) = '.' THEN
      m := regexp_match(rest, '^\.([^.\[]+)(.*)$');
    ELSIF left(rest, 1) = '[' THEN
      m := regexp_match(rest, '^\[([0-9]+)\](.*)$');
      IF m IS NOT NULL THEN
        IF json_typeof(v) <> 'array' THEN
          RETURN NULL;
        END IF;
        v := v -> m[1]::int;
        IF v IS NULL THEN
          RETURN NULL;
        END IF;
        rest := m[2];
        CONTINUE;
      END IF;
    ELSE
      m := NULL;
    END IF;
    IF m IS NULL THEN
      RAISE EXCEPTION 'bad JSON path: %', path USING ERRCODE = '22023';
    END IF;
    IF json_typeof(v) <> 'object' THEN
      RETURN NULL;
    END IF;
    v := v -> m[1];
    IF v IS NULL THEN
      RETURN NULL;
    END IF;
    rest := m[2];
  END LOOP;
  RETURN v;
END
$f$;
CREATE FUNCTION sqlite_json_value(v json) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $f$
  SELECT CASE json_typeof(v)
    WHEN 'string' THEN v #>> '{}'
    WHEN 'number' THEN v::text
    WHEN 'boolean' THEN CASE WHEN v::text = 'true' THEN '1' ELSE '0' END
    WHEN 'null' THEN NULL
    ELSE v::text END
$f$;
CREATE FUNCTION sqlite_json_type(v json) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $f$
  SELECT CASE json_typeof(v)
    WHEN 'string' THEN 'text'
    WHEN 'number' THEN CASE WHEN v::text ~ '^-?[0-9]+$' THEN 'integer' ELSE 'real' END
    WHEN 'boolean' THEN v::text
    ELSE json_typeof(v) END
$f$;
CREATE FUNCTION json_extract(doc text, path text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $f$
  SELECT sqlite_json_value(sqlite_json_at(doc::json, path))
$f$;
CREATE FUNCTION json_each(doc text, path text)
RETURNS TABLE(key text, value text, type text, atom text, fullkey text, path text)
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $f$
  WITH t(v) AS (SELECT sqlite_json_at(doc::json, json_each.path))
  SELECT (e.ord - 1)::text, sqlite_json_value(e.value), sqlite_json_type(e.value),
    CASE WHEN json_typeof(e.value) IN ('array', 'object') THEN NULL
    ELSE sqlite_json_value(e.value) END,
    json_each.path || '[' || (e.ord - 1) || ']', json_each.path
  FROM t, json_array_elements(t.v) WITH ORDINALITY e(value, ord)
  WHERE json_typeof(t.v) = 'array'
  UNION ALL
  SELECT e.key, sqlite_json_value(e.value), sqlite_json_type(e.value),
    CASE WHEN json_typeof(e.value) IN ('array', 'object') THEN NULL
    ELSE sqlite_json_value(e.value) END,
    json_each.path || '.' || e.key, json_each.path
  FROM t, json_each(t.v) e
  WHERE json_typeof(t.v) = 'object'
  UNION ALL
  SELECT NULL, sqlite_json_value(t.v), sqlite_json_type(t.v), sqlite_json_value(t.v),
    json_each.path, json_each.path
  FROM t WHERE json_typeof(t.v) NOT IN ('array', 'object')
$f$;
CREATE FUNCTION json_array_length(doc text, path text) RETURNS bigint
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $f$
  SELECT CASE WHEN v IS NULL THEN NULL WHEN json_typeof(v) = 'array' THEN json_array_length(v)
    ELSE 0 END FROM sqlite_json_at(doc::json, path) v
$f$;
CREATE FUNCTION json_array_length(doc text) RETURNS bigint
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $f$
  SELECT json_array_length(doc, '$')
$f$;
CREATE FUNCTION max(a bigint, b bigint) RETURNS bigint
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $f$
  SELECT CASE WHEN a IS NULL OR b IS NULL THEN NULL WHEN a >= b THEN a ELSE b END
$f$;
CREATE FUNCTION min(a bigint, b bigint) RETURNS bigint
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $f$
  SELECT CASE WHEN a IS NULL OR b IS NULL THEN NULL WHEN a <= b THEN a ELSE b END
$f$;
CREATE FUNCTION json_each(doc text)
RETURNS TABLE(key text, value text, type text, atom text, fullkey text, path text)
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $f$
  SELECT * FROM json_each(doc, '$')
$f$;
-- ---- tables and indexes (in an order their references allow) ----
CREATE TABLE meta(
  key TEXT COLLATE "C" PRIMARY KEY, value TEXT COLLATE "C" NOT NULL,
  rowid BIGINT GENERATED BY DEFAULT AS IDENTITY);
CREATE TABLE orgs(
  id TEXT COLLATE "C" PRIMARY KEY, code TEXT COLLATE "C" NOT NULL UNIQUE,
  name TEXT COLLATE "C" NOT NULL, type TEXT COLLATE "C" NOT NULL,
  created_at TEXT COLLATE "C" NOT NULL, sector TEXT COLLATE "C",
  created_by_org TEXT COLLATE "C" REFERENCES orgs(id), contact_phone TEXT COLLATE "C",
  contact_email TEXT COLLATE "C", rowid BIGINT GENERATED BY DEFAULT AS IDENTITY);
CREATE TABLE users(
  id TEXT COLLATE "C" PRIMARY KEY,
  org_id TEXT COLLATE "C" NOT NULL REFERENCES orgs(id),
  login TEXT COLLATE "C" NOT NULL UNIQUE, role TEXT COLLATE "C" NOT NULL,
  pwhash TEXT COLLATE "C" NOT NULL, totp BYTEA, totp_enabled BIGINT NOT NULL DEFAULT 0,
  totp_step BIGINT NOT NULL DEFAULT 0, disabled BIGINT NOT NULL DEFAULT 0,
  created_at TEXT COLLATE "C" NOT NULL, must_change_password BIGINT NOT NULL DEFAULT 0,
  rowid BIGINT GENERATED BY DEFAULT AS IDENTITY);
CREATE TABLE role_policy(
  role TEXT COLLATE "C" PRIMARY KEY, require_totp BIGINT NOT NULL,
  rowid BIGINT GENERATED BY DEFAULT AS IDENTITY);
CREATE TABLE sessions(
  id BYTEA PRIMARY KEY, user_id TEXT COLLATE "C" NOT NULL REFERENCES users(id),
  csrf TEXT COLLATE "C" NOT NULL, totp_pending BIGINT NOT NULL,
  created_at BIGINT NOT NULL, seen_at BIGINT NOT NULL,
  totp_confirmed BIGINT NOT NULL DEFAULT 0,
  rowid BIGINT GENERATED BY DEFAULT AS IDENTITY);
CREATE TABLE tokens(
  id BYTEA PRIMARY KEY, user_id TEXT COLLATE "C" NOT NULL REFERENCES users(id),
  label TEXT COLLATE "C", created_at TEXT COLLATE "C" NOT NULL,
  revoked BIGINT NOT NULL DEFAULT 0, public_id TEXT COLLATE "C",
  expires_at BIGINT NOT NULL DEFAULT 0, last_used_at BIGINT,
  rowid BIGINT GENERATED BY DEFAULT AS IDENTITY);
CREATE UNIQUE INDEX tokens_public_id ON tokens(public_id);
CREATE INDEX tokens_user ON tokens(user_id);
CREATE TABLE persons(
  id TEXT COLLATE "C" PRIMARY KEY,
  org_id TEXT COLLATE "C" NOT NULL REFERENCES orgs(id), version BIGINT NOT NULL,
  coded TEXT COLLATE "C" NOT NULL, sealed BYTEA NOT NULL,
  created_at TEXT COLLATE "C" NOT NULL, updated_at TEXT COLLATE "C" NOT NULL,
  merged_into TEXT COLLATE "C" REFERENCES persons(id),
  rowid BIGINT GENERATED BY DEFAULT AS IDENTITY);
CREATE INDEX persons_id_org ON persons(id, org_id, updated_at);
CREATE INDEX persons_merged ON persons(merged_into) WHERE merged_into IS NOT NULL;
CREATE TABLE person_keys(
  key BYTEA NOT NULL,
  person_id TEXT COLLATE "C" NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
  weight BIGINT NOT NULL, PRIMARY KEY(key, person_id));
CREATE INDEX person_keys_person ON person_keys(person_id);
CREATE TABLE audit(
  seq BIGINT PRIMARY KEY, at TEXT COLLATE "C" NOT NULL, user_id TEXT COLLATE "C",
  org_id TEXT COLLATE "C", action TEXT COLLATE "C" NOT NULL, record TEXT COLLATE "C",
  fields TEXT COLLATE "C", addr TEXT COLLATE "C", prev BYTEA NOT NULL,
  mac BYTEA NOT NULL);
CREATE INDEX audit_record ON audit(record, seq);
CREATE TABLE cases(
  id TEXT COLLATE "C" PRIMARY KEY,
  org_id TEXT COLLATE "C" NOT NULL REFERENCES orgs(id),
  person_id TEXT COLLATE "C" NOT NULL REFERENCES persons(id), version BIGINT NOT NULL,
  status TEXT COLLATE "C" NOT NULL, stage TEXT COLLATE "C" NOT NULL,
  trafficking_status TEXT COLLATE "C",
  assigned_to TEXT COLLATE "C" REFERENCES users(id),
  previous_case_id TEXT COLLATE "C" REFERENCES cases(id),
  opened_on TEXT COLLATE "C" NOT NULL, closed_on TEXT COLLATE "C",
  coded TEXT COLLATE "C" NOT NULL, sealed BYTEA NOT NULL,
  created_at TEXT COLLATE "C" NOT NULL, updated_at TEXT COLLATE "C" NOT NULL,
  rowid BIGINT GENERATED BY DEFAULT AS IDENTITY);
CREATE INDEX cases_org ON cases(org_id, updated_at, id);
CREATE INDEX cases_org_status ON cases(org_id, status, updated_at, id);
CREATE INDEX cases_org_stage ON cases(org_id, stage, updated_at, id);
CREATE INDEX cases_org_assigned ON cases(org_id, assigned_to, updated_at, id);
CREATE INDEX cases_person ON cases(person_id);
CREATE TABLE dir_services(
  id TEXT COLLATE "C" PRIMARY KEY,
  org_id TEXT COLLATE "C" NOT NULL REFERENCES orgs(id), version BIGINT NOT NULL,
  type TEXT COLLATE "C" NOT NULL, status TEXT COLLATE "C" NOT NULL,
  name TEXT COLLATE "C" NOT NULL, regions TEXT COLLATE "C" NOT NULL,
  languages TEXT COLLATE "C" NOT NULL, coded TEXT COLLATE "C" NOT NULL,
  created_at TEXT COLLATE "C" NOT NULL, updated_at TEXT COLLATE "C" NOT NULL,
  transfer_to TEXT COLLATE "C" REFERENCES orgs(id),
  rowid BIGINT GENERATED BY DEFAULT AS IDENTITY);
CREATE INDEX dir_services_name ON dir_services(name, id);
CREATE INDEX dir_services_org ON dir_services(org_id);
CREATE TABLE items(
  id TEXT COLLATE "C" PRIMARY KEY, kind TEXT COLLATE "C" NOT NULL,
  case_id TEXT COLLATE "C" REFERENCES cases(id),
  person_id TEXT COLLATE "C" REFERENCES persons(id),
  org_id TEXT COLLATE "C" NOT NULL REFERENCES orgs(id), version BIGINT NOT NULL,
  status TEXT COLLATE "C", due TEXT COLLATE "C", assigned_to TEXT COLLATE "C",
  at TEXT COLLATE "C" NOT NULL, coded TEXT COLLATE "C" NOT NULL, sealed BYTEA,
  created_by TEXT COLLATE "C", created_at TEXT COLLATE "C" NOT NULL,
  updated_at TEXT COLLATE "C" NOT NULL,
  service_id TEXT COLLATE "C" REFERENCES dir_services(id),
  rowid BIGINT GENERATED BY DEFAULT AS IDENTITY);
CREATE INDEX items_case ON items(case_id, at, id);
CREATE INDEX items_person ON items(person_id, kind);
CREATE INDEX items_due ON items(kind, assigned_to, due);
CREATE INDEX items_service ON items(service_id, status) WHERE service_id IS NOT NULL;
CREATE TABLE referrals(
  id TEXT COLLATE "C" PRIMARY KEY, kind TEXT COLLATE "C" NOT NULL,
  case_id TEXT COLLATE "C" NOT NULL REFERENCES cases(id),
  person_id TEXT COLLATE "C" NOT NULL REFERENCES persons(id),
  from_org TEXT COLLATE "C" NOT NULL REFERENCES orgs(id),
  to_org TEXT COLLATE "C" NOT NULL REFERENCES orgs(id),
  consent_id TEXT COLLATE "C" REFERENCES items(id), status TEXT COLLATE "C" NOT NULL,
  urgency TEXT COLLATE "C" NOT NULL, due TEXT COLLATE "C", version BIGINT NOT NULL,
  share TEXT COLLATE "C" NOT NULL, coded TEXT COLLATE "C" NOT NULL, sealed BYTEA,
  created_by TEXT COLLATE "C", created_at TEXT COLLATE "C" NOT NULL,
  updated_at TEXT COLLATE "C" NOT NULL, responded_at TEXT COLLATE "C",
  rowid BIGINT GENERATED BY DEFAULT AS IDENTITY);
CREATE INDEX referrals_to ON referrals(to_org, status, case_id);
CREATE INDEX referrals_from ON referrals(from_org, status);
CREATE INDEX referrals_case ON referrals(case_id);
CREATE TABLE dir_service_keys(
  key TEXT COLLATE "C" NOT NULL,
  service_id TEXT COLLATE "C" NOT NULL REFERENCES dir_services(id) ON DELETE CASCADE,
  PRIMARY KEY(key, service_id));
CREATE INDEX dir_service_keys_service ON dir_service_keys(service_id);
CREATE TABLE dir_locations(
  id TEXT COLLATE "C" PRIMARY KEY,
  service_id TEXT COLLATE "C" NOT NULL REFERENCES dir_services(id) ON DELETE CASCADE,
  org_id TEXT COLLATE "C" NOT NULL REFERENCES orgs(id), version BIGINT NOT NULL,
  kind TEXT COLLATE "C" NOT NULL, region TEXT COLLATE "C",
  coded TEXT COLLATE "C" NOT NULL, sealed BYTEA, created_at TEXT COLLATE "C" NOT NULL,
  updated_at TEXT COLLATE "C" NOT NULL, rowid BIGINT GENERATED BY DEFAULT AS IDENTITY);
CREATE INDEX dir_locations_service ON dir_locations(service_id);
CREATE INDEX dir_locations_region ON dir_locations(region, service_id);
CREATE TABLE contacts(
  id TEXT COLLATE "C" PRIMARY KEY,
  org_id TEXT COLLATE "C" NOT NULL REFERENCES orgs(id), version BIGINT NOT NULL,
  channel TEXT COLLATE "C" NOT NULL, call_type TEXT COLLATE "C" NOT NULL,
  started_at TEXT COLLATE "C" NOT NULL, duration_s BIGINT, language TEXT COLLATE "C",
  topics TEXT COLLATE "C" NOT NULL, action TEXT COLLATE "C",
  case_id TEXT COLLATE "C" REFERENCES cases(id),
  person_id TEXT COLLATE "C" REFERENCES persons(id),
  operator_id TEXT COLLATE "C" REFERENCES users(id), phone_key BYTEA,
  coded TEXT COLLATE "C" NOT NULL, sealed BYTEA, created_at TEXT COLLATE "C" NOT NULL,
  updated_at TEXT COLLATE "C" NOT NULL, rowid BIGINT GENERATED BY DEFAULT AS IDENTITY);
CREATE INDEX contacts_org_started ON contacts(org_id, started_at, id);
CREATE INDEX contacts_phone ON contacts(phone_key, started_at) WHERE phone_key IS NOT NULL;
CREATE INDEX contacts_case ON contacts(case_id) WHERE case_id IS NOT NULL;
CREATE TABLE caller_flags(
  id TEXT COLLATE "C" PRIMARY KEY,
  org_id TEXT COLLATE "C" NOT NULL REFERENCES orgs(id), phone_key BYTEA NOT NULL,
  flag TEXT COLLATE "C" NOT NULL, until TEXT COLLATE "C" NOT NULL, sealed BYTEA,
  created_by TEXT COLLATE "C" REFERENCES users(id),
  created_at TEXT COLLATE "C" NOT NULL, rowid BIGINT GENERATED BY DEFAULT AS IDENTITY);
CREATE INDEX caller_flags_phone ON caller_flags(phone_key, until);
CREATE TABLE callbacks(
  id TEXT COLLATE "C" PRIMARY KEY,
  org_id TEXT COLLATE "C" NOT NULL REFERENCES orgs(id), version BIGINT NOT NULL,
  source TEXT COLLATE "C" NOT NULL, done BIGINT NOT NULL,
  due TEXT COLLATE "C" NOT NULL, language TEXT COLLATE "C",
  assigned_to TEXT COLLATE "C" REFERENCES users(id), outcome TEXT COLLATE "C",
  contact_id TEXT COLLATE "C" REFERENCES contacts(id), phone_key BYTEA, sealed BYTEA,
  created_by TEXT COLLATE "C" REFERENCES users(id),
  created_at TEXT COLLATE "C" NOT NULL, updated_at TEXT COLLATE "C" NOT NULL,
  done_at TEXT COLLATE "C", rowid BIGINT GENERATED BY DEFAULT AS IDENTITY);
CREATE INDEX callbacks_org_due ON callbacks(org_id, done, due, id);
CREATE INDEX callbacks_phone ON callbacks(phone_key) WHERE phone_key IS NOT NULL;
CREATE TABLE kb_articles(
  id TEXT COLLATE "C" PRIMARY KEY, version BIGINT NOT NULL,
  country TEXT COLLATE "C" NOT NULL, topic TEXT COLLATE "C" NOT NULL,
  status TEXT COLLATE "C" NOT NULL, reviewed_on TEXT COLLATE "C",
  title_tg TEXT COLLATE "C" NOT NULL, title_ru TEXT COLLATE "C" NOT NULL,
  title_en TEXT COLLATE "C" NOT NULL, body_tg TEXT COLLATE "C" NOT NULL,
  body_ru TEXT COLLATE "C" NOT NULL, body_en TEXT COLLATE "C" NOT NULL,
  sources TEXT COLLATE "C" NOT NULL, updated_by TEXT COLLATE "C",
  created_at TEXT COLLATE "C" NOT NULL, updated_at TEXT COLLATE "C" NOT NULL,
  rowid BIGINT GENERATED BY DEFAULT AS IDENTITY);
CREATE INDEX kb_articles_country ON kb_articles(country, topic, id);
CREATE INDEX kb_articles_topic ON kb_articles(topic, country, id);
CREATE TABLE kb_history(
  article_id TEXT COLLATE "C" NOT NULL REFERENCES kb_articles(id) ON DELETE CASCADE,
  version BIGINT NOT NULL, at TEXT COLLATE "C" NOT NULL, user_id TEXT COLLATE "C",
  action TEXT COLLATE "C" NOT NULL, fields TEXT COLLATE "C" NOT NULL,
  snapshot TEXT COLLATE "C" NOT NULL, PRIMARY KEY(article_id, version),
  rowid BIGINT GENERATED BY DEFAULT AS IDENTITY);
CREATE TABLE kb_keys(
  key TEXT COLLATE "C" NOT NULL,
  article_id TEXT COLLATE "C" NOT NULL REFERENCES kb_articles(id) ON DELETE CASCADE,
  weight BIGINT NOT NULL, PRIMARY KEY(key, article_id));
CREATE INDEX kb_keys_article ON kb_keys(article_id);
CREATE TABLE trainings(
  id TEXT COLLATE "C" PRIMARY KEY,
  org_id TEXT COLLATE "C" NOT NULL REFERENCES orgs(id), version BIGINT NOT NULL,
  topic TEXT COLLATE "C" NOT NULL, start_on TEXT COLLATE "C" NOT NULL,
  end_on TEXT COLLATE "C" NOT NULL, place TEXT COLLATE "C" NOT NULL,
  organiser_org TEXT COLLATE "C" NOT NULL REFERENCES orgs(id),
  created_by TEXT COLLATE "C" REFERENCES users(id),
  created_at TEXT COLLATE "C" NOT NULL, updated_at TEXT COLLATE "C" NOT NULL,
  kind TEXT COLLATE "C" NOT NULL DEFAULT 'training', country TEXT COLLATE "C",
  host TEXT COLLATE "C", purpose TEXT COLLATE "C",
  rowid BIGINT GENERATED BY DEFAULT AS IDENTITY);
CREATE INDEX trainings_org_start ON trainings(org_id, start_on, id);
CREATE INDEX trainings_start ON trainings(start_on);
CREATE TABLE training_participants(
  id TEXT COLLATE "C" PRIMARY KEY,
  training_id TEXT COLLATE "C" NOT NULL REFERENCES trainings(id),
  agency_type TEXT COLLATE "C" NOT NULL, sex TEXT COLLATE "C" NOT NULL,
  role TEXT COLLATE "C" NOT NULL, pre_score BIGINT, post_score BIGINT,
  created_by TEXT COLLATE "C" REFERENCES users(id),
  created_at TEXT COLLATE "C" NOT NULL, sector TEXT COLLATE "C",
  rowid BIGINT GENERATED BY DEFAULT AS IDENTITY);
CREATE INDEX training_participants_training ON training_participants(training_id, id);
CREATE TABLE rp_cases(
  n BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  case_id TEXT COLLATE "C" NOT NULL UNIQUE, org_id TEXT COLLATE "C" NOT NULL,
  org_type TEXT COLLATE "C" NOT NULL, person_id TEXT COLLATE "C" NOT NULL,
  opened_on TEXT COLLATE "C" NOT NULL, closed_on TEXT COLLATE "C",
  status TEXT COLLATE "C" NOT NULL, stage TEXT COLLATE "C" NOT NULL,
  sex TEXT COLLATE "C", age_band TEXT COLLATE "C", region TEXT COLLATE "C",
  nationality TEXT COLLATE "C", trafficking_status TEXT COLLATE "C",
  reintegrated BIGINT NOT NULL, rkey BIGINT NOT NULL DEFAULT 0,
  identification TEXT COLLATE "C", sector TEXT COLLATE "C");
CREATE INDEX rp_cases_closed ON rp_cases(closed_on) WHERE closed_on IS NOT NULL;
CREATE INDEX rp_cases_opened ON rp_cases(opened_on, org_id, org_type, status, stage, sex, age_band, region, nationality, trafficking_status, rkey, identification);
CREATE TABLE rp_codes(
  dim TEXT COLLATE "C" NOT NULL, n BIGINT NOT NULL, code TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY(dim, n, code));
CREATE INDEX rp_codes_n ON rp_codes(n);
CREATE TABLE rp_services(
  item_id TEXT COLLATE "C" PRIMARY KEY, n BIGINT NOT NULL,
  type TEXT COLLATE "C" NOT NULL, on_date TEXT COLLATE "C" NOT NULL,
  rowid BIGINT GENERATED BY DEFAULT AS IDENTITY);
CREATE INDEX rp_services_date ON rp_services(on_date, n, type);
CREATE TABLE rp_followups(
  item_id TEXT COLLATE "C" PRIMARY KEY, n BIGINT NOT NULL,
  due TEXT COLLATE "C" NOT NULL, rowid BIGINT GENERATED BY DEFAULT AS IDENTITY);
CREATE INDEX rp_followups_due ON rp_followups(due, n);
CREATE TABLE rp_dirty(
  kind TEXT COLLATE "C" NOT NULL, id TEXT COLLATE "C" NOT NULL, PRIMARY KEY(kind, id));
CREATE TABLE audit_reads(
  rkey BIGINT NOT NULL, seq BIGINT NOT NULL, PRIMARY KEY(rkey, seq));
CREATE TABLE perpetrator_cases(
  case_id TEXT COLLATE "C" NOT NULL REFERENCES cases(id),
  perpetrator_id TEXT COLLATE "C" NOT NULL REFERENCES items(id),
  org_id TEXT COLLATE "C" NOT NULL REFERENCES orgs(id),
  created_at TEXT COLLATE "C" NOT NULL, PRIMARY KEY(case_id, perpetrator_id));
CREATE INDEX perpetrator_cases_perpetrator ON perpetrator_cases(perpetrator_id);
CREATE TABLE perpetrator_keys(
  key BYTEA NOT NULL, perpetrator_id TEXT COLLATE "C" NOT NULL REFERENCES items(id),
  weight BIGINT NOT NULL, PRIMARY KEY(key, perpetrator_id));
CREATE INDEX perpetrator_keys_perpetrator ON perpetrator_keys(perpetrator_id);
CREATE TABLE dup_pairs(
  id TEXT COLLATE "C" NOT NULL UNIQUE,
  org_id TEXT COLLATE "C" NOT NULL REFERENCES orgs(id),
  a TEXT COLLATE "C" NOT NULL REFERENCES persons(id),
  b TEXT COLLATE "C" NOT NULL REFERENCES persons(id), score BIGINT NOT NULL,
  weight BIGINT NOT NULL, reasons TEXT COLLATE "C" NOT NULL,
  status TEXT COLLATE "C" NOT NULL, found_at TEXT COLLATE "C" NOT NULL,
  decided_by TEXT COLLATE "C" REFERENCES users(id), decided_at TEXT COLLATE "C",
  merge_id TEXT COLLATE "C", PRIMARY KEY(a, b),
  rowid BIGINT GENERATED BY DEFAULT AS IDENTITY);
CREATE INDEX dup_pairs_org ON dup_pairs(org_id, status, score);
CREATE INDEX dup_pairs_b ON dup_pairs(b);
CREATE TABLE dup_merges(
  id TEXT COLLATE "C" PRIMARY KEY,
  org_id TEXT COLLATE "C" NOT NULL REFERENCES orgs(id),
  pair_id TEXT COLLATE "C" NOT NULL,
  survivor TEXT COLLATE "C" NOT NULL REFERENCES persons(id),
  merged TEXT COLLATE "C" NOT NULL REFERENCES persons(id),
  by_user TEXT COLLATE "C" REFERENCES users(id), at TEXT COLLATE "C" NOT NULL,
  undone_by TEXT COLLATE "C" REFERENCES users(id), undone_at TEXT COLLATE "C",
  rowid BIGINT GENERATED BY DEFAULT AS IDENTITY);
CREATE INDEX dup_merges_org ON dup_merges(org_id, at);
CREATE TABLE dup_merge_rows(
  merge_id TEXT COLLATE "C" NOT NULL REFERENCES dup_merges(id),
  tbl TEXT COLLATE "C" NOT NULL, row_id TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY(merge_id, tbl, row_id));
CREATE TABLE orientations(
  id TEXT COLLATE "C" PRIMARY KEY,
  org_id TEXT COLLATE "C" NOT NULL REFERENCES orgs(id), version BIGINT NOT NULL,
  held_on TEXT COLLATE "C" NOT NULL, coded TEXT COLLATE "C" NOT NULL,
  created_by TEXT COLLATE "C" REFERENCES users(id),
  created_at TEXT COLLATE "C" NOT NULL, updated_at TEXT COLLATE "C" NOT NULL,
  rowid BIGINT GENERATED BY DEFAULT AS IDENTITY);
CREATE INDEX orientations_org ON orientations(org_id, held_on, id);
CREATE TABLE plans(
  code TEXT COLLATE "C" PRIMARY KEY,
  coordinator_org TEXT COLLATE "C" NOT NULL REFERENCES orgs(id),
  coded TEXT COLLATE "C" NOT NULL, loaded_at TEXT COLLATE "C" NOT NULL,
  rowid BIGINT GENERATED BY DEFAULT AS IDENTITY);
CREATE TABLE plan_activities(
  id TEXT COLLATE "C" PRIMARY KEY,
  plan TEXT COLLATE "C" NOT NULL REFERENCES plans(code),
  number TEXT COLLATE "C" NOT NULL,
  responsible_org TEXT COLLATE "C" NOT NULL REFERENCES orgs(id),
  coded TEXT COLLATE "C" NOT NULL, UNIQUE(plan, number),
  rowid BIGINT GENERATED BY DEFAULT AS IDENTITY);
CREATE TABLE plan_reports(
  id TEXT COLLATE "C" PRIMARY KEY,
  activity_id TEXT COLLATE "C" NOT NULL REFERENCES plan_activities(id),
  org_id TEXT COLLATE "C" NOT NULL, coded TEXT COLLATE "C" NOT NULL,
  created_by TEXT COLLATE "C", created_at TEXT COLLATE "C" NOT NULL,
  rowid BIGINT GENERATED BY DEFAULT AS IDENTITY);
CREATE INDEX plan_reports_activity ON plan_reports(activity_id, created_at);
CREATE TABLE library_products(
  id TEXT COLLATE "C" PRIMARY KEY,
  org_id TEXT COLLATE "C" NOT NULL REFERENCES orgs(id), kind TEXT COLLATE "C" NOT NULL,
  audience TEXT COLLATE "C" NOT NULL, languages TEXT COLLATE "C" NOT NULL,
  coded TEXT COLLATE "C" NOT NULL, current BIGINT NOT NULL DEFAULT 0,
  withdrawn_at TEXT COLLATE "C", withdrawn_by TEXT COLLATE "C" REFERENCES users(id),
  created_by TEXT COLLATE "C" REFERENCES users(id),
  created_at TEXT COLLATE "C" NOT NULL, updated_at TEXT COLLATE "C" NOT NULL,
  rowid BIGINT GENERATED BY DEFAULT AS IDENTITY);
CREATE INDEX library_products_updated ON library_products(updated_at, id);
CREATE TABLE library_versions(
  product_id TEXT COLLATE "C" NOT NULL REFERENCES library_products(id),
  n BIGINT NOT NULL, file_name TEXT COLLATE "C" NOT NULL,
  content_type TEXT COLLATE "C" NOT NULL, size BIGINT NOT NULL,
  sha256 TEXT COLLATE "C" NOT NULL, sealed BYTEA NOT NULL, note TEXT COLLATE "C",
  uploaded_by TEXT COLLATE "C" REFERENCES users(id),
  uploaded_at TEXT COLLATE "C" NOT NULL, PRIMARY KEY(product_id, n),
  rowid BIGINT GENERATED BY DEFAULT AS IDENTITY);
CREATE TABLE pprl_encodings(
  org_id TEXT COLLATE "C" NOT NULL REFERENCES orgs(id), handle BYTEA NOT NULL,
  ref BYTEA NOT NULL, clk BYTEA NOT NULL, expires TEXT COLLATE "C" NOT NULL,
  updated_at TEXT COLLATE "C" NOT NULL, PRIMARY KEY(handle));
CREATE TABLE pprl_questions(
  user_id TEXT COLLATE "C" NOT NULL, asked_at TEXT COLLATE "C" NOT NULL,
  rowid BIGINT GENERATED BY DEFAULT AS IDENTITY);
CREATE INDEX pprl_questions_user ON pprl_questions(user_id, asked_at);
CREATE TABLE login_failures(
  key BYTEA PRIMARY KEY, failures BIGINT NOT NULL, last_fail BIGINT NOT NULL,
  locked_until BIGINT NOT NULL, free_at BIGINT NOT NULL,
  rowid BIGINT GENERATED BY DEFAULT AS IDENTITY);
CREATE INDEX login_failures_free ON login_failures(free_at);
CREATE TABLE rate_counters(
  key BYTEA PRIMARY KEY, start BIGINT NOT NULL, n BIGINT NOT NULL,
  rowid BIGINT GENERATED BY DEFAULT AS IDENTITY);
CREATE INDEX rate_counters_start ON rate_counters(start);
CREATE TABLE once_used(
  id BYTEA PRIMARY KEY, expires BIGINT NOT NULL,
  rowid BIGINT GENERATED BY DEFAULT AS IDENTITY);
CREATE INDEX once_used_expires ON once_used(expires);
-- ---- the report triggers (migrations 8, 16) and audit_log (9) ----
CREATE FUNCTION rp_mark_case() RETURNS trigger LANGUAGE plpgsql AS $f$
BEGIN
  INSERT INTO rp_dirty(kind, id) VALUES('case', NEW.id) ON CONFLICT DO NOTHING;
  RETURN NULL;
END
$f$;
CREATE TRIGGER rp_case_ins AFTER INSERT ON cases FOR EACH ROW EXECUTE FUNCTION rp_mark_case();
CREATE TRIGGER rp_case_upd AFTER UPDATE ON cases FOR EACH ROW EXECUTE FUNCTION rp_mark_case();
CREATE FUNCTION rp_mark_person_cases() RETURNS trigger LANGUAGE plpgsql AS $f$
BEGIN
  INSERT INTO rp_dirty(kind, id) SELECT 'case', id FROM cases WHERE person_id = NEW.id
    ON CONFLICT DO NOTHING;
  RETURN NULL;
END
$f$;
CREATE TRIGGER rp_person_upd AFTER UPDATE ON persons FOR EACH ROW
  EXECUTE FUNCTION rp_mark_person_cases();
CREATE FUNCTION rp_mark_service() RETURNS trigger LANGUAGE plpgsql AS $f$
BEGIN
  INSERT INTO rp_dirty(kind, id) VALUES('service', NEW.id) ON CONFLICT DO NOTHING;
  RETURN NULL;
END
$f$;
CREATE TRIGGER rp_service_ins AFTER INSERT ON items FOR EACH ROW WHEN (NEW.kind = 'service')
  EXECUTE FUNCTION rp_mark_service();
CREATE TRIGGER rp_service_upd AFTER UPDATE ON items FOR EACH ROW WHEN (NEW.kind = 'service')
  EXECUTE FUNCTION rp_mark_service();
CREATE FUNCTION rp_mark_followup() RETURNS trigger LANGUAGE plpgsql AS $f$
BEGIN
  INSERT INTO rp_dirty(kind, id) VALUES('followup', NEW.id) ON CONFLICT DO NOTHING;
  IF NEW.case_id IS NOT NULL THEN
    INSERT INTO rp_dirty(kind, id) VALUES('case', NEW.case_id) ON CONFLICT DO NOTHING;
  END IF;
  RETURN NULL;
END
$f$;
CREATE TRIGGER rp_followup_ins AFTER INSERT ON items FOR EACH ROW WHEN (NEW.kind = 'followup')
  EXECUTE FUNCTION rp_mark_followup();
CREATE TRIGGER rp_followup_upd AFTER UPDATE ON items FOR EACH ROW WHEN (NEW.kind = 'followup')
  EXECUTE FUNCTION rp_mark_followup();
CREATE FUNCTION rp_mark_org_cases() RETURNS trigger LANGUAGE plpgsql AS $f$
BEGIN
  INSERT INTO rp_dirty(kind, id) SELECT 'case', id FROM cases WHERE org_id = NEW.id
    ON CONFLICT DO NOTHING;
  RETURN NULL;
END
$f$;
CREATE TRIGGER rp_org_upd AFTER UPDATE OF type, sector ON orgs FOR EACH ROW
  EXECUTE FUNCTION rp_mark_org_cases();
CREATE VIEW audit_log(seq, n, at, user_id, org_id, action, record, fields, addr) AS
 SELECT seq, 0::bigint, at, user_id, org_id, action, record, fields, addr FROM audit
  WHERE action <> 'reads'
 UNION ALL
 SELECT a.seq, l.n, split_part(l.line, E'\t', 2), nullif(split_part(l.line, E'\t', 3), '\N'),
  nullif(split_part(l.line, E'\t', 4), '\N'), split_part(l.line, E'\t', 1),
  nullif(split_part(l.line, E'\t', 5), '\N'), nullif(split_part(l.line, E'\t', 6), '\N'),
  nullif(split_part(l.line, E'\t', 7), '\N')
  FROM audit a, string_to_table(a.fields, E'\n') WITH ORDINALITY l(line, n)
  WHERE a.action = 'reads' AND l.n <= length(a.fields) - length(replace(a.fields, E'\n', ''));
