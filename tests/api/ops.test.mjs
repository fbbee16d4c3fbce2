// Running Himoya for years (issue 13, items 4 and 5): GET /metrics for the
// machine itself or the metrics token, log lines without personal data,
// `himoya doctor`, and a restore drill: a backup taken while writes run,
// restored into a new folder, holds every write acknowledged before it.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, chmodSync, writeFileSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Client, initArgs, PG } from '../lib/server.mjs';
import { run, runAsync, tempDir, serveDir, sqlite, writeConf } from '../lib/datadir.mjs';

const V1 = '/api/v1';
const PW = 'himoya-demo-2026';
const dirs = [];
const servers = [];
after(async () => {
  for (const s of servers) await s.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function demoDir(persons = 30) {
  const root = tempDir('himoya-ops-');
  dirs.push(root);
  const data = join(root, 'data');
  const r = run(['demo', '--data', data, ...initArgs(), '--persons', String(persons), '--seed', '5'], { timeout: 120000 });
  assert.equal(r.code, 0, r.err);
  return { root, data };
}

async function signIn(url, login) {
  const c = new Client(url);
  const r = await c.login(login, PW);
  assert.equal(r.status, 200, r.text);
  return c;
}

function metric(text, name) {
  const m = new RegExp('^' + name.replace(/[{}"=]/g, (x) => '\\' + x) + ' (\\S+)$', 'm').exec(text);
  return m ? Number(m[1]) : undefined;
}

test('GET /metrics: Prometheus text for this machine or the token, counting what happens',
  { skip: PG ? 'himoya backup is SQLite\'s; PostgreSQL is backed up with pg_dump' : false }, async () => {
  const { data } = demoDir(20);
  const token = 'm'.repeat(20) + 'Tok3n-for-the-scraper-42';
  writeConf(data, `metrics_token = ${token}\n`);
  const s = await serveDir(data);
  servers.push(s);
  let r = await fetch(s.url + '/metrics');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /^text\/plain; version=0\.0\.4/);
  let text = await r.text();
  for (const family of ['himoya_http_requests_total', 'himoya_http_request_duration_seconds',
    'himoya_signins_total', 'himoya_audit_queue_depth', 'himoya_audit_flush_seconds',
    'himoya_database_bytes', 'himoya_wal_bytes', 'himoya_backup_age_seconds'])
    assert.match(text, new RegExp(`^# TYPE ${family} `, 'm'), family);
  assert.equal(metric(text, 'himoya_backup_age_seconds'), -1, 'no backup yet');
  assert.ok(metric(text, 'himoya_database_bytes') > 0);
  const okBefore = metric(text, 'himoya_signins_total{result="ok"}');
  const failedBefore = metric(text, 'himoya_signins_total{result="failed"}');

  // A proxy's request (even from this machine) needs the token.
  r = await fetch(s.url + '/metrics', { headers: { 'x-forwarded-for': '203.0.113.9' } });
  assert.equal(r.status, 403);
  assert.match(r.headers.get('content-type'), /problem\+json/);
  r = await fetch(s.url + '/metrics', { headers: { 'x-forwarded-for': '203.0.113.9', authorization: 'Bearer nope' } });
  assert.equal(r.status, 403);
  r = await fetch(s.url + '/metrics', { headers: { 'x-forwarded-for': '203.0.113.9', authorization: 'Bearer ' + token } });
  assert.equal(r.status, 200);

  // Sign-ins, reads and a missing record move their counters.
  const cw = await signIn(s.url, 'caseworker');
  assert.equal((await new Client(s.url).login('caseworker', 'wrong password')).status, 401);
  const cases = await cw.req('GET', V1 + '/cases?limit=3');
  assert.equal(cases.status, 200);
  assert.equal((await cw.req('GET', V1 + '/cases/aaaaaaaaaaaaaaaaaaaaaaaaaa')).status, 404);
  text = await (await fetch(s.url + '/metrics')).text();
  assert.equal(metric(text, 'himoya_signins_total{result="ok"}'), okBefore + 1);
  assert.equal(metric(text, 'himoya_signins_total{result="failed"}'), failedBefore + 1);
  assert.ok(metric(text, 'himoya_http_requests_total{class="cases",code="200"}') >= 1);
  assert.ok(metric(text, 'himoya_http_requests_total{class="cases",code="404"}') >= 1);
  assert.ok(metric(text, 'himoya_http_request_duration_seconds_count') >= 5);
  // Route classes, never paths: no id reaches the metrics.
  assert.ok(!text.includes('aaaaaaaaaaaaaaaaaaaaaaaaaa'));
  assert.ok(!/class="[^"]*\//.test(text));
  // A backup shows in the backup age.
  const b = run(['backup', '--data', data, '--to', join(data, '..', 'b1.bak')]);
  assert.equal(b.code, 0, b.err);
  text = await (await fetch(s.url + '/metrics')).text();
  const age = metric(text, 'himoya_backup_age_seconds');
  assert.ok(age >= 0 && age < 120, 'backup age ' + age);
});

test('the server\'s log has one line per event and no personal data', async () => {
  const { data } = demoDir(40);
  const s = await serveDir(data);
  servers.push(s);
  const cw = await signIn(s.url, 'caseworker');
  await new Client(s.url).login('caseworker', 'a wrong one');
  await new Client(s.url).login('no.such.user', 'a wrong one');
  // Read every person the caseworker may see: their names and phones are
  // what must never reach the log.
  const secrets = new Set();
  let cursor = '';
  for (let page = 0; page < 10; page++) {
    const r = await cw.req('GET', `${V1}/cases?limit=50${cursor}`);
    assert.equal(r.status, 200);
    for (const c of r.json.items) {
      const p = await cw.req('GET', `${V1}/persons/${c.person_id}`);
      if (p.status !== 200) continue;
      for (const k of ['given_name', 'family_name', 'patronymic']) if (p.json[k]) secrets.add(p.json[k]);
      for (const ph of p.json.phones || []) secrets.add(ph);
      await cw.req('GET', `${V1}/persons?q=${encodeURIComponent(p.json.family_name || p.json.given_name)}`);
    }
    if (!r.json.next) break;
    cursor = '&cursor=' + encodeURIComponent(r.json.next);
  }
  assert.ok(secrets.size > 20, 'names read: ' + secrets.size);
  await s.stop();
  const log = s.log();
  const lines = log.split('\n').filter(Boolean);
  assert.ok(lines.some((l) => /^himoya: event=start /.test(l)), log);
  assert.ok(lines.some((l) => /^himoya: event=signin result=failed/.test(l)), log);
  assert.ok(lines.some((l) => /^himoya: event=stop /.test(l)), log);
  for (const v of secrets) assert.ok(!log.includes(v), `the log holds ${v}`);
  assert.ok(!log.includes('no.such.user'), 'no login names either');
});

// A flood of refused requests (a password spray against a locked login
// here; an outage's 503s alike) writes at most 10 lines of a kind a
// second, then says how many it left out: before, one line each.
test('the log: a flood of refused sign-ins writes at most 10 lines a second, and counts the rest',
  async () => {
  const { data } = demoDir(5);
  writeConf(data, 'lockout_failures = 3\n');
  const s = await serveDir(data);
  servers.push(s);
  for (let i = 0; i < 3; i++) await new Client(s.url).login('hotline', 'a wrong one');
  const t0 = Date.now();
  const answers = [];
  for (let batch = 0; batch < 15; batch++) // fewer at once than max_connections_per_address
    answers.push(...await Promise.all(Array.from({ length: 10 }, () =>
      new Client(s.url).login('hotline', 'a wrong one'))));
  const took = Date.now() - t0;
  assert.ok(answers.every((r) => r.status === 429), [...new Set(answers.map((r) => r.status))].join(' '));
  await s.stop();
  const lines = s.log().split('\n');
  const shown = lines.filter((l) => /^himoya: event=signin /.test(l)).length;
  const counted = lines.map((l) => /^himoya: (\d+) more event=signin lines left out of the log$/.exec(l))
    .filter(Boolean).reduce((n, m) => n + Number(m[1]), 0);
  const seconds = Math.ceil(took / 1000) + 2;
  assert.ok(shown <= 10 * seconds, `${shown} lines for 153 refused sign-ins in ${took} ms`);
  // Every refusal is in the log, shown or counted (the last second's
  // count may be cut off by the stop).
  assert.ok(shown + counted >= 153 - 10 * 2 || took > 15000, `${shown} shown, ${counted} counted`);
});

test('himoya doctor: one line per problem, non-zero until all is well',
  { skip: PG ? 'himoya backup is SQLite\'s; PostgreSQL is backed up with pg_dump' : false }, async () => {
  const { root, data } = demoDir(5);
  let r = run(['doctor', '--data', data]);
  assert.equal(r.code, 1, r.out);
  assert.match(r.out, /^problem: no backup was made/m);
  assert.match(r.out, /^ok: the key opens the database; audit chain intact/m);
  assert.match(r.out, /^ok: database integrity_check: ok$/m);
  assert.match(r.out, /^1 problem$/m);
  assert.equal(run(['backup', '--data', data, '--to', join(root, 'd.bak')]).code, 0);
  r = run(['doctor', '--data', data]);
  assert.equal(r.code, 0, r.out);
  assert.match(r.out, /^all checks passed$/m);
  chmodSync(data, 0o755);
  chmodSync(join(data, 'himoya.key'), 0o644);
  r = run(['doctor', '--data', data]);
  assert.equal(r.code, 1);
  assert.match(r.out, /^problem: folder .* has mode 0755/m);
  assert.match(r.out, /^problem: key file has mode 0644/m);
  chmodSync(data, 0o700);
  chmodSync(join(data, 'himoya.key'), 0o600);
  // Another installation's key: the chain does not verify.
  const other = join(root, 'other');
  assert.equal(run(['init', '--data', other, '--org-code', 'oo', '--org-name', 'O', '--org-type', 'NGO', ...initArgs()]).code, 0);
  copyFileSync(join(data, 'himoya.key'), join(root, 'key.saved'));
  copyFileSync(join(other, 'himoya.key'), join(data, 'himoya.key'));
  r = run(['doctor', '--data', data]);
  assert.equal(r.code, 1);
  assert.match(r.out, /^problem: (audit chain broken|the key does not open)/m);
  copyFileSync(join(root, 'key.saved'), join(data, 'himoya.key'));
  assert.match(run(['doctor', '--data', data]).out, /^ok: \d+ organisations, none a look-alike of another$/m);
  // Organisations made before the look-alike rules: a second police by
  // another case, a name with a right-to-left override.
  const db = join(data, 'himoya.db');
  const police = sqlite(db, "SELECT code || '|' || name FROM orgs WHERE code = 'police-du'").trim().split('|');
  sqlite(db, `INSERT INTO orgs(id, code, name, type, created_at) VALUES('lookalike0000000000000000a', 'Police_DU', '${police[1].toUpperCase()}', 'NGO', '2026-01-01T00:00:00Z'),`
    + ` ('lookalike0000000000000000b', 'rtl-org', 'x' || char(8238) || 'yz', 'NGO', '2026-01-01T00:00:00Z')`);
  r = run(['doctor', '--data', data]);
  assert.equal(r.code, 1);
  assert.match(r.out, /^problem: organisations (police-du and Police_DU|Police_DU and police-du) could be taken for one another/m);
  assert.match(r.out, /^problem: organisation rtl-org: name: no control, format or invisible characters/m);
  sqlite(db, "DELETE FROM orgs WHERE id LIKE 'lookalike%'");
  assert.equal(run(['doctor', '--data', join(root, 'nowhere')]).code, 1);
  assert.equal(run(['doctor']).code, 2);
  assert.equal(run(['doctor', '--data', data, '--backup-hours', '0']).code, 2);
});

test('himoya doctor: a PostgreSQL it cannot reach, and its password readable by others', () => {
  const root = tempDir('himoya-ops-');
  dirs.push(root);
  const data = join(root, 'data');
  assert.equal(run(['init', '--data', data, '--org-code', 'oo', '--org-name', 'O', '--org-type', 'NGO',
    ...initArgs()]).code, 0);
  // Nothing listens on port 1: the database is down, not the key wrong.
  const secret = 'Pg-Secret-7f3a9';
  const conf = join(data, 'himoya.conf');
  writeFileSync(conf, `database = postgresql://himoya:${secret}@127.0.0.1:1/himoya?connect_timeout=5\n`);
  chmodSync(conf, 0o644);
  let r = run(['doctor', '--data', data]);
  assert.equal(r.code, 1, r.out);
  assert.match(r.out, /^problem: the database could not be reached/m);
  assert.doesNotMatch(r.out, /the key does not open/);
  assert.match(r.err, /postgresql: cannot connect: .*127\.0\.0\.1/);
  assert.match(r.out, /^problem: \S*himoya\.conf holds a secret \(a database password or the metrics token\) and has mode 0644/m);
  assert.ok(!(r.out + r.err).includes(secret), 'the password is never printed');
  chmodSync(conf, 0o600);
  r = run(['doctor', '--data', data]);
  assert.equal(r.code, 1, r.out);
  assert.match(r.out, /^ok: \S*himoya\.conf holds a secret .* and has mode 0600$/m);
  assert.match(r.out, /^problem: the database could not be reached/m);
  // Without a password in it, the file's mode is not the doctor's concern.
  writeFileSync(conf, 'database = postgresql://himoya@127.0.0.1:1/himoya?connect_timeout=5\n');
  chmodSync(conf, 0o644);
  r = run(['doctor', '--data', data]);
  assert.doesNotMatch(r.out, /himoya\.conf holds/);
  // Any secret: an old URL left in a comment, the metrics token.
  for (const extra of [`# old: database = postgresql://himoya:${secret}@10.0.0.9/himoya\n`, 'metrics_token = abcdefghijklmnopqrstuvwxyz012345\n']) {
    writeFileSync(conf, 'database = postgresql://himoya@127.0.0.1:1/himoya?connect_timeout=5\n' + extra);
    r = run(['doctor', '--data', data]);
    assert.match(r.out, /^problem: \S*himoya\.conf holds a secret/m, extra);
    assert.ok(!(r.out + r.err).includes(secret), 'the password is never printed');
  }
  // The /etc layout: the settings in a file of their own, named with
  // --config as for serve; the doctor reads the database from it and
  // checks that file's mode.
  const etc = join(root, 'etc-himoya.conf');
  writeFileSync(etc, `database = postgresql://himoya:${secret}@127.0.0.1:1/himoya?connect_timeout=5\n`);
  chmodSync(etc, 0o644);
  writeFileSync(conf, '');
  r = run(['doctor', '--data', data, '--config', etc]);
  assert.match(r.out, /^problem: the database could not be reached/m);
  assert.ok(r.out.includes(`problem: ${etc} holds a secret`), r.out);
  r = run(['doctor', '--data', data, '--config', join(root, 'nowhere.conf')]);
  assert.equal(r.code, 2);
  assert.match(r.err, /--config .*nowhere\.conf: no such file/);
});

test('restore drill: a backup made while writes run holds every write acknowledged before it',
  { skip: PG ? 'himoya backup is SQLite\'s; PostgreSQL is backed up with pg_dump' : false }, async () => {
  const { root, data } = demoDir(10);
  const s = await serveDir(data);
  servers.push(s);
  const cw = await signIn(s.url, 'caseworker');
  const acked = []; // [id, time acknowledged]
  let stop = false;
  const writer = (async () => {
    for (let i = 0; !stop; i++) {
      const r = await cw.req('POST', V1 + '/persons', { given_name: 'Drill', family_name: 'Person' + i });
      assert.equal(r.status, 201, r.text);
      acked.push([r.json.id, Date.now()]);
    }
  })();
  await new Promise((ok) => setTimeout(ok, 700));
  const backupStarted = Date.now();
  const b = await runAsync(['backup', '--data', data, '--to', join(root, 'drill.bak')], { timeout: 60000 });
  assert.equal(b.code, 0, b.err);
  await new Promise((ok) => setTimeout(ok, 500));
  stop = true;
  await writer;
  const before = acked.filter(([, t]) => t < backupStarted).map(([id]) => id);
  assert.ok(before.length >= 5, 'writes before the backup: ' + before.length);
  assert.ok(acked.length > before.length, 'writes went on during and after the backup');
  const head = /audit head (\d+:[0-9a-f]+)/.exec(b.out)[1];

  // Restore into a new folder holding only the key.
  const fresh = join(root, 'restored');
  mkdirSync(fresh, { mode: 0o700 });
  copyFileSync(join(data, 'himoya.key'), join(fresh, 'himoya.key'));
  chmodSync(join(fresh, 'himoya.key'), 0o600);
  const rr = run(['restore', '--from', join(root, 'drill.bak'), '--data', fresh, '--expect-head', head]);
  assert.equal(rr.code, 0, rr.err + rr.out);
  const ids = new Set(sqlite(join(fresh, 'himoya.db'), 'SELECT id FROM persons').split('\n').filter(Boolean));
  const lost = before.filter((id) => !ids.has(id));
  assert.deepEqual(lost, [], 'acknowledged writes missing from the backup');
  // And the restored folder serves them.
  const s2 = await serveDir(fresh);
  servers.push(s2);
  const cw2 = await signIn(s2.url, 'caseworker');
  const one = await cw2.req('GET', `${V1}/persons/${before.at(-1)}`);
  assert.equal(one.status, 200, one.text);
  assert.equal(one.json.given_name, 'Drill');
});
