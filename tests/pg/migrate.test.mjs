// himoya migrate --from DIR --to postgresql://...: a SQLite installation
// copied into PostgreSQL, checked by the command itself and then used
// through the API as the same installation.  Runs under
// tests/pg/with-cluster.sh (HIMOYA_TEST_PG).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync } from 'node:fs';
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { Client, PG, pgDatabase } from '../lib/server.mjs';
import { run, tempDir, serveDir, sqlite, poll, BIN } from '../lib/datadir.mjs';

const PASSWORD = 'himoya-demo-2026';
const dir = tempDir();
const data = join(dir, 'demo');
const servers = [];
after(async () => { for (const s of servers) await s.stop(); });

async function casesSeen(srv) {
  const c = new Client(srv.url);
  const r = await c.req('POST', '/api/v1/session', { login: 'caseworker', password: PASSWORD });
  assert.equal(r.status, 200, r.text);
  c.csrf = r.json.csrf_token;
  const ids = [];
  let next = '/api/v1/cases?limit=100';
  while (next) {
    const page = await c.req('GET', next);
    assert.equal(page.status, 200, page.text);
    ids.push(...page.json.items.map((x) => x.id));
    next = page.json.next ? '/api/v1/cases?limit=100&cursor=' + encodeURIComponent(page.json.next) : null;
  }
  return { c, ids: ids.sort() };
}

test('a SQLite demo copied into PostgreSQL serves the same cases and the same audit chain', { skip: !PG && 'HIMOYA_TEST_PG is not set' }, async () => {
  const d = run(['demo', '--data', data, '--persons', '60', '--seed', '3'], { timeout: 120000 });
  assert.equal(d.code, 0, d.err);
  const before = await serveDir(data);
  servers.push(before);
  const seen = await casesSeen(before);
  assert.ok(seen.ids.length > 10);
  // Not while a server writes: its later writes would stay behind.  The
  // target stays empty (the migrate below into it succeeds).
  const url = pgDatabase();
  const busy = run(['migrate', '--from', data, '--to', url], { timeout: 60000 });
  assert.equal(busy.code, 2, busy.out + busy.err);
  assert.match(busy.err, /a himoya server is serving this folder: stop every server first/);
  await before.stop();
  const head = run(['audit', 'verify', '--data', data]);
  assert.equal(head.code, 0, head.err);

  const m = run(['migrate', '--from', data, '--to', url], { timeout: 120000 });
  assert.equal(m.code, 0, m.out + m.err);
  assert.match(m.out, /audit chain of the copy intact: \d+ entries/);
  assert.match(m.out, /every table holds as many rows in the copy as in the source/);
  assert.match(m.out, /database = postgresql:/);
  // Vacuumed and analysed, as after any bulk load: the planner has its
  // statistics and the pages are marked all-visible before a server comes.
  assert.equal(psql(url, "SELECT count(*) FROM pg_stat_user_tables WHERE relname IN ('persons', 'person_keys', 'cases', 'items')"
    + ' AND last_vacuum IS NOT NULL AND last_analyze IS NOT NULL'), '4');

  // Twice into the same database: refused, nothing changed.
  const again = run(['migrate', '--from', data, '--to', url], { timeout: 60000 });
  assert.equal(again.code, 1);
  assert.match(again.err, /already holds a himoya database/);

  // The SQLite database is not served again by mistake (before the
  // database line is added): its writes would never reach PostgreSQL.
  const stale = run(['serve', '--data', data, '--listen', '127.0.0.1:1'], { timeout: 10000 });
  assert.equal(stale.code, 1, stale.out + stale.err);
  assert.match(stale.err, /was copied to PostgreSQL by himoya migrate/);
  // Nor written by any other command (its writes would be lost as well).
  for (const args of [['user', 'add', '--data', data, '--org', 'iom', '--login', 'late', '--role', 'caseworker'],
    ['org', 'add', '--data', data, '--code', 'late', '--name', 'Late NGO', '--type', 'NGO']]) {
    const w = run(args);
    assert.equal(w.code, 1, args.join(' ') + ': ' + w.out);
    assert.match(w.err, /was copied to PostgreSQL by himoya migrate .*: add the database line migrate printed to \S+\/himoya\.conf/);
  }

  // Served from PostgreSQL: the same cases, the same chain, and it writes.
  appendFileSync(join(data, 'himoya.conf'), `database = ${url}\n`);
  const after1 = await serveDir(data);
  servers.push(after1);
  const seen2 = await casesSeen(after1);
  assert.deepEqual(seen2.ids, seen.ids);
  const p = await seen2.c.req('POST', '/api/v1/persons', { given_name: 'Фарида', family_name: 'Раҳимова' });
  assert.equal(p.status, 201, p.text);
  await after1.stop();
  const v = run(['audit', 'verify', '--data', data]);
  assert.equal(v.code, 0, v.out + v.err);
  const n1 = Number(head.out.match(/intact: (\d+) entries/)[1]);
  const n2 = Number(v.out.match(/intact: (\d+) entries/)[1]);
  assert.ok(n2 > n1, `the chain grew on PostgreSQL from ${n1} to ${n2}`);
  // The rows really are in PostgreSQL (the folder's conf now names it).
  assert.ok(Number(sqlite(join(data, 'himoya.db'), 'SELECT count(*) FROM persons').trim()) > 60);
});

test('migrate refuses what it cannot copy, and says why', { skip: !PG && 'HIMOYA_TEST_PG is not set' }, async () => {
  const src = join(dir, 'small');
  assert.equal(run(['init', '--data', src]).code, 0);
  let r = run(['migrate', '--from', src, '--to', join(dir, 'file.db')]);
  assert.equal(r.code, 2);
  assert.match(r.err, /postgresql:\/\//);
  r = run(['migrate', '--from', join(dir, 'nowhere'), '--to', pgDatabase()]);
  assert.equal(r.code, 2);
  // A broken chain is not copied.
  sqlite(join(src, 'himoya.db'), "UPDATE audit SET action = 'x' WHERE seq = 1");
  r = run(['migrate', '--from', src, '--to', pgDatabase()]);
  assert.equal(r.code, 1);
  assert.match(r.err, /BROKEN/);
});

// One line of psql's unaligned output.
function psql(url, sql) {
  const r = spawnSync('psql', [url, '-XAtc', sql], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim();
}

test('a migrate killed inside its copy leaves the target empty, and the next one succeeds', { skip: !PG && 'HIMOYA_TEST_PG is not set' }, async () => {
  const src = join(dir, 'killed');
  const d = run(['demo', '--data', src, '--persons', '300', '--seed', '5'], { timeout: 120000 });
  assert.equal(d.code, 0, d.err);
  const url = pgDatabase();
  const child = spawn(BIN, ['migrate', '--from', src, '--to', url], { stdio: 'ignore' });
  const exited = new Promise((ok) => child.once('exit', ok));
  // Killed once it copies rows (the schema is made in the same
  // transaction: before, it was committed first and stayed).
  const inside = await poll(() => child.exitCode === null && Number(psql(url, 'SELECT count(*) FROM pg_stat_activity' +
    " WHERE datname = current_database() AND xact_start IS NOT NULL AND pid <> pg_backend_pid()" +
    " AND query ILIKE 'INSERT INTO %' AND query NOT ILIKE 'INSERT INTO meta%'")) > 0,
  { timeout: 30000, every: 5 });
  child.kill('SIGKILL');
  await exited;
  assert.ok(inside, 'the migrate was seen inside its transaction');
  // PostgreSQL ends the dead client's transaction: nothing of it stays.
  await poll(() => psql(url, 'SELECT count(*) FROM pg_stat_activity' +
    ' WHERE datname = current_database() AND pid <> pg_backend_pid()') === '0', { timeout: 10000, every: 50 });
  assert.equal(psql(url, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"), '0',
    'the target holds no table of the killed migrate');
  const again = run(['migrate', '--from', src, '--to', url], { timeout: 120000 });
  assert.equal(again.code, 0, again.out + again.err);
  assert.match(again.out, /every table holds as many rows in the copy as in the source/);
});
