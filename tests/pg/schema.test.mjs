// The PostgreSQL baseline (src/store/pg_baseline.sql) against SQLite's schema
// after the last migration: every table, column (name, type class, NOT
// NULL, primary key, default), reference, UNIQUE, named index, view and
// trigger on each side exists on the other, every text column sorts
// bytewise, and the added rowid columns stand exactly where SQLite has an
// implicit rowid.  Then the compatibility functions (json_extract,
// json_each, json_array_length, two-argument max/min), the audit_log view
// and the report triggers give, on the same rows, what SQLite gives.  In a
// throwaway cluster (tests/pg/cluster.sh).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { run, tempDir } from '../lib/datadir.mjs';

const PSQL = '/usr/lib/postgresql/15/bin/psql';
const DUMP = process.env.PG_BASELINE_DUMP;
// import.meta.dirname is Node 20's; Debian 12 has Node 18.
const CLUSTER = join(dirname(fileURLToPath(import.meta.url)), 'cluster.sh');

let pgdir;
let url;
let data;
let sqliteDb;

function cluster(args) {
  const r = spawnSync(CLUSTER, args, { encoding: 'utf8', timeout: 120000 });
  assert.equal(r.status, 0, 'cluster.sh ' + args[0] + ': ' + r.stderr);
  return r.stdout.trim();
}

function psql(sql, { input } = {}) {
  const args = ['-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1', url];
  if (input === undefined) args.push('-c', sql);
  else args.push('--single-transaction', '-f', '-');
  const r = spawnSync(PSQL, args, { encoding: 'utf8', input, timeout: 60000 });
  if (r.status !== 0) throw new Error('psql: ' + r.stderr);
  return r.stdout;
}

// Rows of a query as JSON objects, from either side.
function pgRows(sql) {
  const out = psql(`SELECT coalesce(json_agg(row_to_json(q)), '[]') FROM (${sql}) q`).trim();
  return JSON.parse(out);
}
function liteRows(db, sql) {
  const r = spawnSync('sqlite3', ['-json', db, sql], { encoding: 'utf8', timeout: 10000 });
  if (r.status !== 0) throw new Error('sqlite3: ' + r.stderr);
  return r.stdout.trim() ? JSON.parse(r.stdout) : [];
}

before(() => {
  assert.ok(DUMP, 'PG_BASELINE_DUMP names the pg-baseline-dump program');
  pgdir = mkdtempSync('/tmp/himoya-pg-');
  chmodSync(pgdir, 0o755);
  const base = cluster(['start', pgdir]);
  url = cluster(['createdb', base, 'himoya']);
  const dump = spawnSync(DUMP, { encoding: 'utf8' });
  assert.equal(dump.status, 0, dump.stderr);
  psql(null, { input: dump.stdout });
  data = join(tempDir('himoya-pgschema-'), 'd');
  const r = run(['init', '--data', data, '--org-code', 'iom', '--org-name', 'IOM', '--org-type', 'IGO']);
  assert.equal(r.code, 0, r.err);
  sqliteDb = join(data, 'himoya.db');
});

after(() => {
  if (pgdir) spawnSync(CLUSTER, ['stop', pgdir], { timeout: 60000 });
  if (data) rmSync(join(data, '..'), { recursive: true, force: true });
});

// ---- the two schemas, described alike -------------------------------

const TYPE_CLASS = { INTEGER: 'int', BIGINT: 'int', TEXT: 'text', BLOB: 'blob', BYTEA: 'blob' };

// { tables: { name: { rowid, cols: { name: { type, notnull, pk } }, fks: [..] } },
//   indexes: { name: 'table(cols)[ partial]' }, views: [..], triggers: ['table.name'] }
function liteSchema(db) {
  const s = { tables: {}, indexes: {}, views: [], triggers: [] };
  for (const t of liteRows(db, "SELECT name, sql FROM sqlite_master WHERE type = 'table'"
    + " AND name NOT LIKE 'sqlite_%' ORDER BY name")) {
    const cols = {};
    let alias = false;
    for (const c of liteRows(db, `SELECT name, type, "notnull" AS nn, pk, dflt_value AS dflt`
      + ` FROM pragma_table_info('${t.name}')`)) {
      cols[c.name] = { type: TYPE_CLASS[c.type.toUpperCase()] ?? c.type, notnull: c.nn === 1 || c.pk > 0, pk: c.pk,
        dflt: c.dflt };
      if (c.pk === 1 && c.type.toUpperCase() === 'INTEGER') alias = true;
    }
    const pks = Object.values(cols).filter((c) => c.pk > 0).length;
    if (pks !== 1) alias = false; // only a lone INTEGER PRIMARY KEY is the rowid
    const fks = liteRows(db, `SELECT "table" AS ref, "from" AS col, "to" AS refcol, on_delete`
      + ` FROM pragma_foreign_key_list('${t.name}')`)
      .map((f) => `${f.col}->${f.ref}(${f.refcol}) ${f.on_delete}`).sort();
    const uniques = liteRows(db, `SELECT (SELECT group_concat(name, ', ') FROM pragma_index_info(l.name)) AS cols`
      + ` FROM pragma_index_list('${t.name}') l WHERE l.origin = 'u'`).map((u) => u.cols).sort();
    s.tables[t.name] = { rowid: !/WITHOUT ROWID/i.test(t.sql) && !alias, cols, fks, uniques };
  }
  for (const i of liteRows(db, "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'index'"
    + ' AND sql IS NOT NULL ORDER BY name')) {
    const cols = liteRows(db, `SELECT name FROM pragma_index_info('${i.name}') ORDER BY seqno`)
      .map((c) => c.name);
    s.indexes[i.name] = `${/^CREATE UNIQUE/i.test(i.sql) ? 'unique ' : ''}${i.tbl_name}(${cols.join(', ')})`
      + (/\bWHERE\b/i.test(i.sql) ? ' partial' : '');
  }
  s.views = liteRows(db, "SELECT name FROM sqlite_master WHERE type = 'view' ORDER BY name").map((v) => v.name);
  s.triggers = liteRows(db, "SELECT tbl_name || '.' || name AS t FROM sqlite_master WHERE type = 'trigger'"
    + ' ORDER BY 1').map((t) => t.t);
  return s;
}

function pgSchema() {
  const s = { tables: {}, indexes: {}, views: [], triggers: [], collations: [] };
  const cols = pgRows(`SELECT c.table_name AS t, c.column_name AS name, c.data_type AS type,
      c.is_nullable = 'NO' AS notnull, c.collation_name AS coll, c.is_identity = 'YES' AS ident,
      regexp_replace(c.column_default, '::[a-z ]+$', '') AS dflt,
      coalesce(array_position(k.conkey, c.ordinal_position::smallint), 0) AS pk
    FROM information_schema.columns c
    JOIN information_schema.tables t ON t.table_name = c.table_name AND t.table_schema = c.table_schema
    LEFT JOIN pg_constraint k ON k.conrelid = ('public.' || c.table_name)::regclass AND k.contype = 'p'
    WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'
    ORDER BY c.table_name, c.ordinal_position`);
  for (const c of cols) {
    const t = (s.tables[c.t] ??= { rowid: false, cols: {}, fks: [], uniques: [] });
    if (c.name === 'rowid' && c.type === 'bigint' && c.ident) {
      t.rowid = true;
      continue;
    }
    t.cols[c.name] = { type: TYPE_CLASS[c.type.toUpperCase()] ?? c.type, notnull: c.notnull, pk: c.pk,
      dflt: c.dflt };
    if (c.type === 'text' && c.coll !== 'C') s.collations.push(`${c.t}.${c.name}`);
  }
  for (const f of pgRows(`SELECT conrelid::regclass::text AS t, a.attname AS col,
      confrelid::regclass::text AS ref, b.attname AS refcol,
      CASE confdeltype WHEN 'c' THEN 'CASCADE' WHEN 'n' THEN 'SET NULL' WHEN 'r' THEN 'RESTRICT'
        WHEN 'd' THEN 'SET DEFAULT' ELSE 'NO ACTION' END AS on_delete
    FROM pg_constraint k
    JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = k.conkey[1]
    JOIN pg_attribute b ON b.attrelid = k.confrelid AND b.attnum = k.confkey[1]
    WHERE k.contype = 'f' AND k.connamespace = 'public'::regnamespace`)) {
    s.tables[f.t].fks.push(`${f.col}->${f.ref}(${f.refcol}) ${f.on_delete}`);
  }
  for (const u of pgRows(`SELECT conrelid::regclass::text AS t,
      array_to_string(array(SELECT a.attname FROM unnest(k.conkey) WITH ORDINALITY c(n, i)
        JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = c.n ORDER BY c.i), ', ') AS cols
    FROM pg_constraint k WHERE k.contype = 'u' AND k.connamespace = 'public'::regnamespace`)) {
    s.tables[u.t].uniques.push(u.cols);
  }
  for (const t of Object.values(s.tables)) {
    t.fks.sort();
    t.uniques.sort();
  }
  // Named indexes: not those PostgreSQL makes for a key or UNIQUE constraint.
  for (const i of pgRows(`SELECT i.relname AS name, t.relname AS tbl, x.indisunique AS uniq,
      x.indpred IS NOT NULL AS partial,
      array(SELECT pg_get_indexdef(x.indexrelid, k, true) FROM generate_series(1, x.indnkeyatts) k) AS cols
    FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
    WHERE t.relnamespace = 'public'::regnamespace
      AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid)`)) {
    s.indexes[i.name] = `${i.uniq ? 'unique ' : ''}${i.tbl}(${i.cols.join(', ')})${i.partial ? ' partial' : ''}`;
  }
  s.views = pgRows("SELECT table_name AS v FROM information_schema.views WHERE table_schema = 'public'"
    + ' ORDER BY 1').map((v) => v.v);
  s.triggers = pgRows(`SELECT DISTINCT event_object_table || '.' || trigger_name AS t
    FROM information_schema.triggers WHERE trigger_schema = 'public' ORDER BY 1`).map((t) => t.t);
  return s;
}

// Every difference between two descriptions, one line each.
function differences(lite, pg) {
  const d = [];
  const names = (o) => Object.keys(o).sort();
  for (const t of names(lite.tables)) if (!pg.tables[t]) d.push(`table ${t} missing in PostgreSQL`);
  for (const t of names(pg.tables)) if (!lite.tables[t]) d.push(`table ${t} missing in SQLite`);
  for (const t of names(lite.tables).filter((n) => pg.tables[n])) {
    const a = lite.tables[t];
    const b = pg.tables[t];
    if (a.rowid !== b.rowid) d.push(`table ${t}: rowid column ${b.rowid ? 'added' : 'missing'}`);
    for (const c of names(a.cols)) {
      if (!b.cols[c]) d.push(`column ${t}.${c} missing in PostgreSQL`);
      else {
        for (const k of ['type', 'notnull', 'pk', 'dflt']) {
          if (a.cols[c][k] !== b.cols[c][k]) {
            d.push(`column ${t}.${c}: ${k} ${a.cols[c][k]} in SQLite, ${b.cols[c][k]} in PostgreSQL`);
          }
        }
      }
    }
    for (const c of names(b.cols)) if (!a.cols[c]) d.push(`column ${t}.${c} missing in SQLite`);
    if (a.uniques.join('; ') !== b.uniques.join('; ')) d.push(`table ${t}: UNIQUE ${a.uniques.join('; ')} in SQLite, ${b.uniques.join('; ')} in PostgreSQL`);
    if (a.fks.join() !== b.fks.join()) d.push(`table ${t}: references ${a.fks.join('; ')} in SQLite, ${b.fks.join('; ')} in PostgreSQL`);
  }
  for (const i of names(lite.indexes)) {
    if (!pg.indexes[i]) d.push(`index ${i} missing in PostgreSQL`);
    else if (lite.indexes[i] !== pg.indexes[i]) d.push(`index ${i}: ${lite.indexes[i]} in SQLite, ${pg.indexes[i]} in PostgreSQL`);
  }
  for (const i of names(pg.indexes)) if (!lite.indexes[i]) d.push(`index ${i} missing in SQLite`);
  for (const k of ['views', 'triggers']) {
    for (const v of lite[k]) if (!pg[k].includes(v)) d.push(`${k.slice(0, -1)} ${v} missing in PostgreSQL`);
    for (const v of pg[k]) if (!lite[k].includes(v)) d.push(`${k.slice(0, -1)} ${v} missing in SQLite`);
  }
  for (const c of pg.collations ?? []) d.push(`column ${c} does not sort bytewise (COLLATE "C")`);
  return d;
}

test('the baseline has every table, column, reference, index, view and trigger of SQLite, and no other', () => {
  const lite = liteSchema(sqliteDb);
  const pg = pgSchema();
  assert.ok(Object.keys(lite.tables).length >= 40, 'SQLite tables read');
  assert.ok(Object.keys(lite.indexes).length >= 50, 'SQLite indexes read');
  assert.deepEqual(differences(lite, pg), []);
});

test('the comparison sees a column, index or rowid missing on either side', () => {
  const lite = liteSchema(sqliteDb);
  const pg = pgSchema();
  const copy = (o) => JSON.parse(JSON.stringify(o));
  let p = copy(pg);
  delete p.tables.cases.cols.closed_on;
  assert.deepEqual(differences(lite, p), ['column cases.closed_on missing in PostgreSQL']);
  let l = copy(lite);
  delete l.tables.users.cols.must_change_password;
  assert.deepEqual(differences(l, pg), ['column users.must_change_password missing in SQLite']);
  p = copy(pg);
  p.tables.audit.cols.prev.type = 'text';
  assert.deepEqual(differences(lite, p), ['column audit.prev: type blob in SQLite, text in PostgreSQL']);
  p = copy(pg);
  p.tables.trainings.cols.kind.dflt = null;
  assert.deepEqual(differences(lite, p), ["column trainings.kind: dflt 'training' in SQLite, null in PostgreSQL"]);
  p = copy(pg);
  p.tables.plan_activities.uniques = [];
  assert.deepEqual(differences(lite, p), ['table plan_activities: UNIQUE plan, number in SQLite,  in PostgreSQL']);
  p = copy(pg);
  delete p.indexes.contacts_phone;
  assert.deepEqual(differences(lite, p), ['index contacts_phone missing in PostgreSQL']);
  p = copy(pg);
  p.tables.items.rowid = false;
  assert.deepEqual(differences(lite, p), ['table items: rowid column missing']);
  p = copy(pg);
  p.triggers = p.triggers.filter((t) => t !== 'orgs.rp_org_upd');
  assert.deepEqual(differences(lite, p), ['trigger orgs.rp_org_upd missing in PostgreSQL']);
});

test('rowid numbers rows in the order they are written, and rp_cases.n numbers itself', () => {
  psql(`INSERT INTO orgs(id, code, name, type, created_at) VALUES
      ('o2', 'b', 'B', 'NGO', '2026-01-01'), ('o1', 'a', 'A', 'NGO', '2026-01-01');
    INSERT INTO rp_cases(case_id, org_id, org_type, person_id, opened_on, status, stage, reintegrated)
      VALUES('c1', 'o1', 'NGO', 'p1', '2026-01-01', 'open', 'intake', 0),
            ('c2', 'o1', 'NGO', 'p1', '2026-01-01', 'open', 'intake', 0)`);
  assert.deepEqual(pgRows("SELECT id FROM orgs WHERE id IN ('o1', 'o2') ORDER BY created_at, rowid").map((r) => r.id),
    ['o2', 'o1']);
  const n = pgRows("SELECT n FROM rp_cases ORDER BY case_id").map((r) => r.n);
  assert.ok(n[0] >= 1 && n[1] > n[0], JSON.stringify(n));
  psql("DELETE FROM rp_cases; DELETE FROM rp_dirty; DELETE FROM orgs WHERE id IN ('o1', 'o2')");
});

// ---- the functions, the view and the triggers, against SQLite -------

const DOCS = [
  '{"a":{"b":[1,true,"x",null,{"c":2}]},"s":"é\\"q","f":false,"n":-2.5,"e":[],"o":{}}',
  '{"types":["forced_labour","sexual"],"status":"ActualVictimOfTrafficking","k":"v"}',
  '[1,[2,3],"z"]',
  '"just a string"',
  '42',
];
const PATHS = ['$', '$.a', '$.a.b', '$.a.b[0]', '$.a.b[1]', '$.a.b[2]', '$.a.b[3]', '$.a.b[4]', '$.a.b[4].c',
  '$.a.b[9]', '$.s', '$.f', '$.n', '$.e', '$.o', '$.missing', '$.a[0]', '$[0]', '$[1]', '$[1][1]', '$.types',
  '$.types[1]', '$.status', '$."k"'];

const q = (s) => "'" + s.replace(/'/g, "''") + "'";
const valuesOf = (rows) => rows.map((r) => `(${r.map((v) => (typeof v === 'number' ? v : q(v))).join(', ')})`).join(', ');
const pairs = [];
DOCS.forEach((d, i) => PATHS.forEach((p, j) => pairs.push([i * 100 + j, d, p])));

test('json_extract gives what SQLite gives (text of numbers, 1/0 for true/false, NULL when absent)', () => {
  const sql = `SELECT x.i, json_extract(x.d, x.p) AS v FROM (VALUES ${valuesOf(pairs)}) AS x(i, d, p) ORDER BY x.i`;
  const lite = liteRows(':memory:', sql.replace('AS x(i, d, p)', 'AS x').replace(/x\.i/g, 'x.column1')
    .replace(/x\.d/g, 'x.column2').replace(/x\.p/g, 'x.column3'))
    .map((r) => ({ i: r.column1 ?? r.i, v: r.v === null ? null : String(r.v) }));
  const pg = pgRows(sql);
  assert.equal(pg.length, pairs.length);
  assert.deepEqual(pg, lite);
  // a path taken from a column, as reports.c does
  assert.deepEqual(pgRows(`SELECT json_extract('{"on":"2026-01-02"}', m.path) AS v
    FROM (SELECT '$.on' AS path UNION ALL SELECT '$.off') m ORDER BY 1`), [{ v: '2026-01-02' }, { v: null }]);
});

test('json_each gives the rows SQLite gives: key, value unquoted, type', () => {
  const docs = DOCS.map((d, i) => [i, d]);
  const each = (path) => `SELECT x.i, j.key, j.value, j.type, j.atom FROM (VALUES ${valuesOf(docs)}) AS x(i, d),`
    + ` json_each(x.d, ${q(path)}) j ORDER BY x.i, j.fullkey`;
  for (const path of ['$', '$.a.b', '$.types', '$.e', '$.o', '$.missing', '$.a.b[4]', '$.n', '$[1]']) {
    const sql = each(path);
    const lite = liteRows(':memory:', sql.replace('AS x(i, d)', 'AS x').replace(/x\.i/g, 'x.column1')
      .replace(/x\.d/g, 'x.column2'))
      .map((r) => ({ i: r.column1, key: r.key === null ? null : String(r.key),
        value: r.value === null ? null : String(r.value), type: r.type,
        atom: r.atom === null ? null : String(r.atom) }));
    assert.deepEqual(pgRows(sql), lite, path);
  }
  assert.deepEqual(pgRows(`SELECT j.value FROM json_each('{"t":["a",1,"b"]}', '$.t') j WHERE j.type = 'text'`),
    [{ value: 'a' }, { value: 'b' }]);
});

test('json_array_length and two-argument max/min give what SQLite gives', () => {
  const sql = `SELECT json_array_length('{"a":[1,2,3],"b":4}', '$.a') AS a, json_array_length('{"a":[1],"b":4}', '$.b') AS b,
    json_array_length('{"a":[1]}', '$.c') AS c, json_array_length('[1,2]') AS d,
    max(3, 5) AS e, min(3, 5) AS f, max(7, NULL) AS g, min(-1, -2) AS h`;
  const [lite] = liteRows(':memory:', sql);
  const [pg] = pgRows(sql);
  assert.deepEqual(pg, lite);
  assert.deepEqual(pg, { a: 3, b: 0, c: null, d: 2, e: 5, f: 3, g: null, h: -2 });
});

// Audit rows in the form store/audit.c writes them: a batch of reads is one
// entry whose fields hold a line per read, seven values and the line's MAC
// each ended by a tab, \N for none.
const READS = [
  ['read', '2026-03-01T10:00:00Z', 'u1', 'o1', 'persons/p1', 'name,dob', '10.0.0.1'],
  ['read', '2026-03-01T10:00:01Z', '\\N', '\\N', 'cases/c1', '\\N', '\\N'],
  ['export', '2026-03-01T10:00:02Z', 'u2', 'o2', '\\N', 'a=b\\x09c', '::1'],
].map((v) => v.join('\t') + '\t' + 'ab'.repeat(16) + '\n').join('');

function auditInserts(blob) {
  return [
    [1000, '2026-03-01T09:00:00Z', 'u1', 'o1', 'login', null, null, '10.0.0.1'],
    [1001, '2026-03-01T10:00:05Z', null, null, 'reads', null, READS, null],
    [1002, '2026-03-01T10:00:06Z', null, null, 'reads', null, '', null],
    [1003, '2026-03-01T10:00:07Z', 'u1', 'o1', 'update', 'cases/c1', 'status', '10.0.0.1'],
    [1004, '2026-03-01T10:00:08Z', null, null, 'reads', null, READS + 'trailing line without end', null],
  ].map((r) => 'INSERT INTO audit(seq, at, user_id, org_id, action, record, fields, addr, prev, mac) VALUES('
    + r.map((v) => (v === null ? 'NULL' : typeof v === 'number' ? v : q(v))).join(', ')
    + `, ${blob}, ${blob});`).join('\n');
}

test('audit_log shows the same rows as SQLite\'s, a read of a batch per row', () => {
  const lite = tempDir('himoya-pgaudit-');
  const db = join(lite, 'copy.db');
  spawnSync('sqlite3', [sqliteDb, `VACUUM INTO '${db}'`]);
  liteRows(db, auditInserts("X'00'"));
  psql(auditInserts("'\\x00'::bytea"));
  const sql = 'SELECT seq, n, at, user_id, org_id, action, record, fields, addr FROM audit_log'
    + ' WHERE seq >= 1000 ORDER BY seq, n';
  const want = liteRows(db, sql);
  rmSync(lite, { recursive: true, force: true });
  assert.equal(want.length, 2 + 3 + 3, JSON.stringify(want));
  assert.deepEqual(pgRows(sql), want);
  psql('DELETE FROM audit WHERE seq >= 1000');
});

// The same writes on both sides, then what the report triggers marked.
const TRIGGER_WRITES = [
  "INSERT INTO orgs(id, code, name, type, created_at) VALUES('o1', 'x1', 'X1', 'NGO', '2026-01-01')",
  "INSERT INTO orgs(id, code, name, type, created_at) VALUES('o2', 'x2', 'X2', 'NGO', '2026-01-01')",
  "INSERT INTO persons(id, org_id, version, coded, sealed, created_at, updated_at) VALUES('p1', 'o1', 1, '{}', BLOB, 't', 't')",
  "INSERT INTO persons(id, org_id, version, coded, sealed, created_at, updated_at) VALUES('p2', 'o2', 1, '{}', BLOB, 't', 't')",
  "INSERT INTO cases(id, org_id, person_id, version, status, stage, opened_on, coded, sealed, created_at, updated_at) VALUES('c1', 'o1', 'p1', 1, 'open', 'intake', 'd', '{}', BLOB, 't', 't')",
  "INSERT INTO cases(id, org_id, person_id, version, status, stage, opened_on, coded, sealed, created_at, updated_at) VALUES('c2', 'o2', 'p2', 1, 'open', 'intake', 'd', '{}', BLOB, 't', 't')",
  'DELETE FROM rp_dirty',
  "INSERT INTO items(id, kind, case_id, org_id, version, at, coded, created_at, updated_at) VALUES('s1', 'service', 'c1', 'o1', 1, 't', '{}', 't', 't')",
  "INSERT INTO items(id, kind, case_id, org_id, version, at, coded, created_at, updated_at) VALUES('n1', 'note', 'c1', 'o1', 1, 't', '{}', 't', 't')",
  "INSERT INTO items(id, kind, case_id, org_id, version, at, coded, created_at, updated_at) VALUES('f1', 'followup', 'c2', 'o2', 1, 't', '{}', 't', 't')",
  "INSERT INTO items(id, kind, person_id, org_id, version, at, coded, created_at, updated_at) VALUES('f2', 'followup', 'p1', 'o1', 1, 't', '{}', 't', 't')",
  "UPDATE items SET status = 'done' WHERE id IN ('f1', 'f2', 'n1')",
  "UPDATE orgs SET name = 'renamed' WHERE id = 'o1'",
  "SELECT 'after items and an org renamed', kind, id FROM rp_dirty ORDER BY kind, id",
  'DELETE FROM rp_dirty',
  "UPDATE orgs SET sector = 'police' WHERE id = 'o1'",
  "UPDATE persons SET version = 2 WHERE id = 'p2'",
  "SELECT 'after sector and person', kind, id FROM rp_dirty ORDER BY kind, id",
  'DELETE FROM rp_dirty',
  "UPDATE cases SET stage = 'closed' WHERE id = 'c1'",
  "UPDATE orgs SET type = type WHERE id = 'o2'",
  "SELECT 'after case and type', kind, id FROM rp_dirty ORDER BY kind, id",
];

test('the report triggers mark in rp_dirty what SQLite\'s mark', () => {
  const lite = tempDir('himoya-pgtrig-');
  const db = join(lite, 'copy.db');
  spawnSync('sqlite3', [sqliteDb, `VACUUM INTO '${db}'`]);
  const got = { lite: [], pg: [] };
  for (const w of TRIGGER_WRITES) {
    if (w.startsWith('SELECT')) {
      got.lite.push(liteRows(db, w.replace(/^SELECT '[^']*',/, 'SELECT')));
      got.pg.push(pgRows(w.replace(/^SELECT '[^']*',/, 'SELECT')));
    } else {
      liteRows(db, w.replaceAll('BLOB', "X'00'"));
      psql(w.replaceAll('BLOB', "'\\x00'::bytea"));
    }
  }
  rmSync(lite, { recursive: true, force: true });
  assert.deepEqual(got.pg, got.lite);
  assert.deepEqual(got.pg, [
    [{ kind: 'case', id: 'c2' }, { kind: 'followup', id: 'f1' }, { kind: 'followup', id: 'f2' },
      { kind: 'service', id: 's1' }],
    [{ kind: 'case', id: 'c1' }, { kind: 'case', id: 'c2' }],
    [{ kind: 'case', id: 'c1' }, { kind: 'case', id: 'c2' }],
  ]);
});
