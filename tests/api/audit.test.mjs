// The audit log: writes and PII reads are recorded, `himoya audit verify`
// accepts an intact chain and names the first entry that was altered,
// removed or cut off.  Reads are chained in batches (one entry of action
// "reads" per flush, a line per read): verify names the read inside a batch
// that no longer matches, and GET /audit finds every read of a record
// through the derived index audit_reads, caught up or not.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, Client, usersOf, signInAll, PG } from '../lib/server.mjs';
import { run, poll, sqlite, serveDir } from '../lib/datadir.mjs';

const PW = 'audit test password';
const users = usersOf(PW, [['cw', 'caseworker'], ['sup', 'supervisor'], ['an', 'analyst']]);
const servers = [];
after(async () => {
  for (const s of servers) {
    await s.stop();
    s.cleanup();
  }
});

async function start() {
  const s = await startServer({ users });
  servers.push(s);
  const { as } = await signInAll(s, users, PW);
  return { s, as };
}

const verify = (data) => run(['audit', 'verify', '--data', data]);
const db = (s) => join(s.data, 'himoya.db');
const count = (s) => Number(sqlite(db(s), 'SELECT count(*) FROM audit').trim());

// A stopped data folder with writes and reads in its audit log.
async function folderWithActivity() {
  const { s, as } = await start();
  const c = await as.cw.req('POST', '/api/v1/persons',
    { given_name: 'Дилноза', family_name: 'Раҳимова', phones: ['+992 92 777 00 11'] });
  assert.equal(c.status, 201, c.text);
  const path = '/api/v1/persons/' + c.json.id;
  assert.equal((await as.cw.req('GET', path)).status, 200);
  assert.equal((await as.cw.req('PATCH', path, { birth_date: '2001-01-01' }, { 'if-match': '"1"' })).status, 200);
  assert.equal((await as.cw.req('GET', path)).status, 200);
  await s.stop();
  assert.equal(s.proc.exitCode, 0, s.log());
  const v = verify(s.data);
  assert.equal(v.code, 0, v.out + v.err);
  return s;
}

test('writes and reads are audited and the chain verifies', async () => {
  const { s, as } = await start();
  const body = { given_name: 'Фарзона', family_name: 'Ҷумъаева', birth_date: '1995-05-05',
    gender: 'Feminine', phones: ['+992 93 123 45 67'] };
  const c = await as.cw.req('POST', '/api/v1/persons', body);
  assert.equal(c.status, 201, c.text);
  const id = c.json.id;
  const record = 'persons/' + id;
  for (let i = 0; i < 2; i++)
    assert.equal((await as.cw.req('GET', '/api/v1/persons/' + id)).status, 200);

  // Read entries are committed by a background flusher: poll for them.
  const audit = async () => {
    const r = await as.sup.req('GET', '/api/v1/audit?record=' + encodeURIComponent(record));
    assert.equal(r.status, 200, r.text);
    return r.json.items;
  };
  const items = await poll(async () => {
    const it = await audit();
    return it.filter((e) => e.action === 'read').length >= 2 ? it : null;
  });
  assert.ok(items, 'two read entries appear within 2 s');
  const reads = items.filter((e) => e.action === 'read');
  assert.equal(reads.length, 2);
  for (const e of reads) {
    assert.equal(e.record, record);
    assert.equal(e.user, 'cw');
    assert.equal(e.org, 'iom');
    assert.equal(e.addr, '127.0.0.1');
    // The PII fields that were returned; not the coded gender.
    assert.deepEqual(e.fields.split(',').sort(), ['birth_date', 'family_name', 'given_name', 'phones']);
    assert.match(e.at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
  }
  const creates = items.filter((e) => e.action === 'create');
  assert.equal(creates.length, 1);
  assert.equal(creates[0].user, 'cw');
  assert.ok(creates[0].seq < reads[0].seq && creates[0].seq < reads[1].seq);
  // Newest first.
  assert.deepEqual(items.map((e) => e.seq), items.map((e) => e.seq).sort((a, b) => b - a));
  // Nothing personal in the log itself.
  for (const e of items)
    for (const v of Object.values(e))
      assert.equal(String(v).includes('Фарзона') || String(v).includes('123 45 67'), false);

  // The same in the database (sqlite3 reads it while the server runs).
  const rows = sqlite(db(s), `SELECT action || '|' || fields FROM audit_log WHERE record = '${record}' ORDER BY seq, n`)
    .trim().split('\n');
  assert.deepEqual(rows.map((x) => x.split('|')[0]), ['create', 'read', 'read']);
  assert.match(rows[1], /given_name/);
  assert.match(rows[1], /phones/);

  // A refused read is not a read; the analyst does not see the person.
  const before = count(s);
  assert.equal((await as.an.req('GET', '/api/v1/persons/' + id)).status, 404);
  assert.equal((await as.an.req('GET', '/api/v1/audit?record=' + record)).status, 403);
  assert.equal((await as.cw.req('GET', '/api/v1/audit?record=' + record)).status, 403);
  await new Promise((ok) => setTimeout(ok, 100));
  assert.equal(count(s), before);

  // A search result is a read too.
  const q = await as.cw.req('GET', '/api/v1/persons?q=Jumaeva');
  assert.ok(q.json.items.some((p) => p.id === id));
  assert.ok(await poll(async () => (await audit()).filter((e) => e.action === 'read').length === 3));

  // PATCH is audited with the fields it changed.
  const p = await as.cw.req('PATCH', '/api/v1/persons/' + id, { family_name: 'Ҷумъаева-Саидова', gender: null },
    { 'if-match': '"1"' });
  assert.equal(p.status, 200, p.text);
  const upd = (await audit()).filter((e) => e.action === 'update');
  assert.equal(upd.length, 1);
  assert.deepEqual(upd[0].fields.split(',').sort(), ['family_name', 'gender']);

  // verify works while the server runs, and after it stops.
  let v = verify(s.data);
  assert.equal(v.code, 0, v.out + v.err);
  assert.match(v.out, /audit chain intact: \d+ entries/);
  // A read just before SIGTERM is flushed, not lost.
  const n0 = count(s);
  assert.equal((await as.cw.req('GET', '/api/v1/persons/' + id)).status, 200);
  await s.stop();
  assert.equal(s.proc.exitCode, 0, s.log());
  assert.equal(count(s), n0 + 1);
  v = verify(s.data);
  assert.equal(v.code, 0, v.out + v.err);
  assert.equal(v.out.split('\n')[0], `audit chain intact: ${n0 + 1} entries`);
  assert.match(v.out, new RegExp(`^audit head ${n0 + 1}:[0-9a-f]{32}$`, 'm'));
});

test('tampering: a changed entry is named', async () => {
  const s = await folderWithActivity();
  assert.ok(count(s) >= 6);
  sqlite(db(s), "UPDATE audit SET fields = 'x' WHERE seq = 3");
  const v = verify(s.data);
  assert.notEqual(v.code, 0);
  assert.match(v.out + v.err, /audit chain BROKEN: audit entry 3 was altered/);
});

test('tampering: a deleted middle entry is named missing', async () => {
  const s = await folderWithActivity();
  const n = count(s);
  const mid = Math.floor(n / 2);
  sqlite(db(s), `DELETE FROM audit WHERE seq = ${mid}`);
  const v = verify(s.data);
  assert.notEqual(v.code, 0);
  assert.match(v.out + v.err, new RegExp(`audit entry ${mid} is missing`));
});

test('tampering: a deleted last entry is detected', async () => {
  const s = await folderWithActivity();
  const n = count(s);
  sqlite(db(s), `DELETE FROM audit WHERE seq = ${n}`);
  const v = verify(s.data);
  assert.notEqual(v.code, 0);
  assert.match(v.out + v.err, new RegExp(`audit entry ${n} is missing`));
});

test('tampering: deleting the last entry and re-pointing the head is detected', async () => {
  const s = await folderWithActivity();
  const n = count(s);
  // The head names the newest entry and carries a keyed tag; an attacker
  // without the key can copy the previous entry's MAC but not forge the tag.
  sqlite(db(s), `DELETE FROM audit WHERE seq = ${n}; UPDATE meta SET value =
    (SELECT seq || ':' || lower(hex(mac)) FROM audit WHERE seq = ${n - 1}) || ':' ||
    substr(value, length(value) - 63) WHERE key = 'audit_head'`);
  const v = verify(s.data);
  assert.notEqual(v.code, 0);
  assert.match(v.out + v.err, /the audit head was altered/);
});

test('tampering: a changed address in the first entry names entry 1', async () => {
  const s = await folderWithActivity();
  sqlite(db(s), "UPDATE audit SET addr = '10.0.0.66' WHERE seq = 1");
  const v = verify(s.data);
  assert.notEqual(v.code, 0);
  assert.match(v.out + v.err, /audit chain BROKEN: audit entry 1 was altered/);
});

test('tampering: swapped or appended entries are detected', async () => {
  const s = await folderWithActivity();
  const n = count(s);
  // Swap the fields of two entries, keeping their MACs: detected at the first.
  // (Fields as hex: the last entry is a batch of reads, lines of text.)
  const get = (seq) => sqlite(db(s), `SELECT action || '|' || coalesce(hex(fields), '') FROM audit WHERE seq = ${seq}`).trim().split('|');
  const [a2, f2] = get(2);
  const [an, fn] = get(n);
  assert.notDeepEqual([a2, f2], [an, fn]);
  const set = (seq, a, f) => sqlite(db(s), `UPDATE audit SET action = '${a}', fields = ${f ? `CAST(X'${f}' AS TEXT)` : 'NULL'} WHERE seq = ${seq}`);
  set(2, an, fn);
  set(n, a2, f2);
  let v = verify(s.data);
  assert.notEqual(v.code, 0);
  assert.match(v.out, /audit entry 2 was altered/);
  set(2, a2, f2);
  set(n, an, fn);
  v = verify(s.data);
  assert.equal(v.code, 0, 'swapped back: ' + v.out);

  // An appended entry copied from another one: its MAC cannot match.
  sqlite(db(s), `INSERT INTO audit(seq, at, user_id, org_id, action, record, fields, addr, prev, mac)
    SELECT ${n + 1}, at, user_id, org_id, action, record, fields, addr, mac, mac FROM audit WHERE seq = ${n}`);
  v = verify(s.data);
  assert.notEqual(v.code, 0);
  assert.match(v.out, new RegExp(`audit entry ${n + 1} was altered`));
});

test('the command line and the server append to one chain', async () => {
  const { s, as } = await start();
  for (let i = 0; i < 3; i++) {
    const c = await as.cw.req('POST', '/api/v1/persons', { given_name: 'Бахтиёр' + i });
    assert.equal(c.status, 201);
    assert.equal((await as.cw.req('GET', '/api/v1/persons/' + c.json.id)).status, 200);
    const r = run(['user', 'add', '--data', s.data, '--org', 'iom', '--login', 'late' + i, '--role', 'hotline',
      '--password-stdin'], { input: 'late user password\n' });
    assert.equal(r.code, 0, r.err);
    assert.equal(run(['token', 'create', '--data', s.data, '--login', 'late' + i]).code, 0);
  }
  await s.stop();
  const v = verify(s.data);
  assert.equal(v.code, 0, v.out + v.err);
  const actions = sqlite(db(s), "SELECT action FROM audit_log WHERE addr IS NOT NULL ORDER BY seq, n").trim().split('\n');
  assert.equal(actions.filter((a) => a === 'token-create').length, 3);
  assert.equal(actions.filter((a) => a === 'read').length, 3);
  const seqs = sqlite(db(s), 'SELECT seq FROM audit ORDER BY seq').trim().split('\n').map(Number);
  assert.deepEqual(seqs, seqs.map((_, i) => i + 1));
});

// ---- reads in batches ---------------------------------------------------------

// The payload of batch entry seq, byte for byte, and writing one back.
const payload = (s, seq) => Buffer.from(sqlite(db(s), `SELECT hex(fields) FROM audit WHERE seq = ${seq}`).trim(),
  'hex').toString('utf8');
const setPayload = (s, seq, text) => sqlite(db(s),
  `UPDATE audit SET fields = CAST(X'${Buffer.from(text, 'utf8').toString('hex')}' AS TEXT) WHERE seq = ${seq}`);

// A stopped folder whose largest batch holds several reads; its seq and lines.
async function folderWithBatch() {
  const { s, as } = await start();
  const c = await as.cw.req('POST', '/api/v1/persons', { given_name: 'Сабоҳат', family_name: 'Каримова' });
  assert.equal(c.status, 201, c.text);
  const rs = await Promise.all(Array.from({ length: 24 }, () => as.cw.req('GET', '/api/v1/persons/' + c.json.id)));
  for (const r of rs) assert.equal(r.status, 200);
  await s.stop();
  assert.equal(s.proc.exitCode, 0, s.log());
  assert.equal(verify(s.data).code, 0);
  const seq = Number(sqlite(db(s),
    "SELECT seq FROM audit WHERE action = 'reads' ORDER BY length(fields) DESC, seq LIMIT 1").trim());
  const lines = payload(s, seq).split('\n');
  assert.equal(lines.pop(), '', 'every line ends with a newline');
  assert.ok(lines.length >= 2, `24 concurrent reads share a batch (largest: ${lines.length})`);
  return { s, seq, lines, id: c.json.id };
}

test('reads are batched: one chained entry per flush, one line per read', async () => {
  const { s, seq, lines, id } = await folderWithBatch();
  // 24 reads, far fewer entries; each line: action, at, user, org, record, fields, addr, mac.
  assert.equal(Number(sqlite(db(s), `SELECT count(*) FROM audit_log WHERE action = 'read' AND record = 'persons/${id}'`)), 24);
  assert.ok(Number(sqlite(db(s), "SELECT count(*) FROM audit WHERE action = 'reads'")) < 24);
  assert.equal(Number(sqlite(db(s), "SELECT count(*) FROM audit WHERE action = 'read'")), 0);
  for (const l of lines) {
    const f = l.split('\t');
    assert.equal(f.length, 8, l);
    assert.equal(f[0], 'read');
    assert.equal(f[4], 'persons/' + id);
    assert.equal(f[6], '127.0.0.1');
    assert.match(f[7], /^[0-9a-f]{32}$/);
  }
  // No personal data in the batch either.
  assert.equal(payload(s, seq).includes('Сабоҳат'), false);
});

test('tampering: a changed read inside a batch is named', async () => {
  const { s, seq, lines } = await folderWithBatch();
  const k = lines.length; // the last read of the batch
  const f = lines[k - 1].split('\t');
  f[6] = '10.0.0.66';
  setPayload(s, seq, [...lines.slice(0, k - 1), f.join('\t')].join('\n') + '\n');
  const v = verify(s.data);
  assert.notEqual(v.code, 0);
  assert.match(v.out, new RegExp(`audit chain BROKEN: audit entry ${seq} was altered: read ${k} of its batch`));
});

test('tampering: a read removed from or inserted into a batch is named', async () => {
  const { s, seq, lines } = await folderWithBatch();
  // Removing the first read: the read now in its place no longer matches.
  setPayload(s, seq, lines.slice(1).join('\n') + '\n');
  let v = verify(s.data);
  assert.notEqual(v.code, 0);
  assert.match(v.out, new RegExp(`audit entry ${seq} was altered: read 1 of its batch`));
  // A copy of the first read inserted after it.
  setPayload(s, seq, [lines[0], lines[0], ...lines.slice(1)].join('\n') + '\n');
  v = verify(s.data);
  assert.notEqual(v.code, 0);
  assert.match(v.out, new RegExp(`audit entry ${seq} was altered: read 2 of its batch`));
  // Removing the last read keeps every line valid; the entry's MAC still fails.
  setPayload(s, seq, lines.slice(0, -1).join('\n') + '\n');
  v = verify(s.data);
  assert.notEqual(v.code, 0);
  assert.match(v.out, new RegExp(`audit entry ${seq} was altered`));
  // A mangled line (a tab removed) is named as well.
  setPayload(s, seq, [lines[0].replace('\t', ''), ...lines.slice(1)].join('\n') + '\n');
  v = verify(s.data);
  assert.match(v.out, new RegExp(`audit entry ${seq} was altered: read 1 of its batch is malformed`));
  // Restored, the chain verifies again.
  setPayload(s, seq, lines.join('\n') + '\n');
  v = verify(s.data);
  assert.equal(v.code, 0, v.out);
});

test('every read of a person is listed, indexed or still only in the chain', async () => {
  const { s, as } = await start();
  const c = await as.cw.req('POST', '/api/v1/persons', { given_name: 'Ширин', family_name: 'Назарова' });
  const other = await as.cw.req('POST', '/api/v1/persons', { given_name: 'Анвар' });
  const record = 'persons/' + c.json.id;
  const list = async () => {
    const r = await as.sup.req('GET', '/api/v1/audit?record=' + encodeURIComponent(record));
    assert.equal(r.status, 200, r.text);
    return r.json.items;
  };
  const reads = (items) => items.filter((e) => e.action === 'read');
  const readBatch = (n) => Promise.all(Array.from({ length: n }, (_, i) =>
    as.cw.req('GET', '/api/v1/persons/' + (i % 3 === 2 ? other.json.id : c.json.id))));

  // 30 reads (20 of this person) in a few batches; a lookup flushes the
  // queue and catches the index up first, so all are there at once.
  for (const r of await readBatch(30)) assert.equal(r.status, 200);
  let items = await list();
  assert.equal(reads(items).length, 20);
  for (const e of reads(items)) {
    assert.equal(e.record, record);
    assert.equal(e.user, 'cw');
    assert.equal(e.org, 'iom');
    assert.equal(e.addr, '127.0.0.1');
    assert.deepEqual(e.fields.split(',').sort(), ['family_name', 'given_name']);
    assert.match(e.at, /^\d{4}-\d\d-\d\dT/);
  }
  assert.deepEqual(items.map((e) => e.seq), items.map((e) => e.seq).sort((a, b) => b - a));
  assert.equal(items.filter((e) => e.action === 'create').length, 1);
  // The watermark is keyed: "SEQ:TAG".
  const upto = () => Number(sqlite(db(s), "SELECT value FROM meta WHERE key = 'audit_reads_upto'").trim().split(':')[0]);
  const head = () => Number(sqlite(db(s), 'SELECT max(seq) FROM audit').trim());
  assert.equal(upto(), head(), 'the lookup caught the index up');
  assert.ok(Number(sqlite(db(s), 'SELECT count(*) FROM audit_reads')) >= 1);

  // More reads; once the flusher has chained them, make the index forget
  // them (as if it had not caught up yet): they are found in the chain.
  // (A watermark set without the key is not trusted either: the index is
  // made again from the chain.)
  for (const r of await readBatch(15)) assert.equal(r.status, 200);
  assert.ok(await poll(() => Number(sqlite(db(s),
    `SELECT count(*) FROM audit_log WHERE record = '${record}' AND action = 'read'`)) === 30));
  const first = items[0].seq;
  // (busy_timeout: the server's flusher writes beside sqlite3.)
  sqlite(db(s), `PRAGMA busy_timeout = 5000; DELETE FROM audit_reads WHERE seq > ${first};
    UPDATE meta SET value = '${first}' WHERE key = 'audit_reads_upto'`);
  items = await list();
  assert.equal(reads(items).length, 30, 'indexed reads and reads only in the chain');
  assert.equal(upto(), head());

  // The index is derived: emptied, it is rebuilt from the batches alike.
  sqlite(db(s), "PRAGMA busy_timeout = 5000; DELETE FROM audit_reads; DELETE FROM meta WHERE key = 'audit_reads_upto'");
  const again = await list();
  assert.deepEqual(again, items);
  // (the index made again is written beside the answer: wait for it on a slow machine)
  assert.ok(await poll(() => Number(sqlite(db(s), 'SELECT count(*) FROM audit_reads')) > 0, { timeout: 10000 }),
    'the index is made again');
  // A hash collision costs a look, not a wrong answer: every key of this
  // record pointed at every batch still lists only its own reads.
  // (and at the first entry, which holds no read: whatever batches the
  // flusher happened to make, at least one such row points amiss)
  sqlite(db(s), `PRAGMA busy_timeout = 5000; INSERT INTO audit_reads(rkey, seq)
    SELECT r.rkey, a.seq FROM (SELECT DISTINCT rkey FROM audit_reads) r, audit a
    WHERE a.action = 'reads' OR a.seq = 1 ON CONFLICT DO NOTHING`);
  assert.deepEqual(await list(), items);
  // ... but verify reports index rows that no read of the chain matches,
  // and `audit reindex` makes the index again from the chain.
  let v = verify(s.data);
  assert.equal(v.code, 1, v.out);
  assert.match(v.out, /audit_reads/);
  v = run(['audit', 'reindex', '--data', s.data]);
  assert.equal(v.code, 0, v.out + v.err);
  assert.equal(verify(s.data).code, 0);
  assert.deepEqual(await list(), items);

  // The other person's list has only its own 15 reads.
  const o = await as.sup.req('GET', '/api/v1/audit?record=' + encodeURIComponent('persons/' + other.json.id));
  assert.equal(o.json.items.filter((e) => e.action === 'read').length, 15);
  assert.ok(o.json.items.every((e) => e.record === 'persons/' + other.json.id));

  // A read just made is listed at once (the lookup flushes the queue).
  assert.equal((await as.cw.req('GET', '/api/v1/persons/' + c.json.id)).status, 200);
  assert.equal(reads(await list()).length, 31);
  await s.stop();
  v = verify(s.data);
  assert.equal(v.code, 0, v.out + v.err);
});

test('a record name with control characters cannot reach the log', async () => {
  const { s, as } = await start();
  for (const bad of ['persons/%09x', 'persons/a%0Ab', 'persons/' + 'A'.repeat(200)]) {
    const r = await as.sup.req('GET', '/api/v1/audit?record=' + bad);
    assert.ok(r.status === 404 || r.status === 422, `${bad}: ${r.status}`);
    assert.match(r.headers.get('content-type'), /problem\+json/);
  }
  await s.stop();
  assert.equal(verify(s.data).code, 0);
});

// ---- completeness: nothing cut from the start, the end or the middle ----------

test('finding 7: an emptied audit log and head is BROKEN, and stays so after a restart', async () => {
  const s = await folderWithActivity();
  sqlite(db(s), "DELETE FROM audit; DELETE FROM meta WHERE key = 'audit_head'");
  let v = verify(s.data);
  assert.equal(v.code, 1, v.out);
  assert.match(v.out, /audit chain BROKEN: audit entry 1 is missing/);
  // The keyed anchor removed as well: still broken.
  sqlite(db(s), "DELETE FROM meta WHERE key = 'audit_anchor'");
  v = verify(s.data);
  assert.equal(v.code, 1, v.out);
  assert.match(v.out, /anchor is missing/);
  // A server started on it does not begin a fresh, intact-looking log.
  const s2 = await serveDir(s.data);
  const c = new Client(s2.url);
  assert.equal((await c.login('cw', PW)).status, 200);
  await s2.stop();
  v = verify(s.data);
  assert.equal(v.code, 1, v.out);
  assert.match(v.out, /anchor is missing/);
});

// It rolls the log back by copying SQLite's file: SQLite only.
test('the head is printed, and --expect-head catches a log rolled back to an earlier state',
  { skip: PG ? 'copies the SQLite file to roll the log back' : false }, async () => {
  const s = await folderWithActivity();
  let v = verify(s.data);
  const m = /^audit head (\d+):([0-9a-f]{32})$/m.exec(v.out);
  assert.ok(m, v.out);
  const early = `${m[1]}:${m[2]}`;
  assert.equal(Number(m[1]), count(s));
  // An earlier copy of the whole folder, as a root with the key could put back.
  const old = readFileSync(db(s));
  // More activity; the early anchor still holds, so does the new one.
  const s2 = await serveDir(s.data);
  const c = new Client(s2.url);
  assert.equal((await c.login('cw', PW)).status, 200);
  assert.equal((await c.req('POST', '/api/v1/persons', { given_name: 'Нилуфар' })).status, 201);
  await s2.stop();
  v = verify(s.data);
  const late = /^audit head (\d+:[0-9a-f]{32})$/m.exec(v.out)[1];
  assert.notEqual(late, early);
  for (const a of [early, late, late.slice(0, late.length - 16)]) {
    v = run(['audit', 'verify', '--data', s.data, '--expect-head', a]);
    assert.equal(v.code, 0, a + ': ' + v.out);
  }
  // Rolled back: intact on its own, not against the later anchor.
  writeFileSync(db(s), old);
  assert.equal(verify(s.data).code, 0);
  v = run(['audit', 'verify', '--data', s.data, '--expect-head', late]);
  assert.equal(v.code, 1, v.out);
  assert.match(v.out, /audit chain BROKEN: .*ends at entry/);
  // Another digest at the same seq: a rewritten log.
  const [seq, hex] = early.split(':');
  const other = `${seq}:${hex.slice(0, -1)}${hex.endsWith('0') ? '1' : '0'}`;
  v = run(['audit', 'verify', '--data', s.data, '--expect-head', other]);
  assert.equal(v.code, 1, v.out);
  assert.match(v.out, /does not match the expected head/);
  for (const bad of ['12', 'x:00', '3:abc', '3:' + 'g'.repeat(16)]) {
    v = run(['audit', 'verify', '--data', s.data, '--expect-head', bad]);
    assert.equal(v.code, 2, bad + ': ' + v.out + v.err);
  }
});

test('deleted rows of audit_reads are reported by verify', async () => {
  const { s, as } = await start();
  const c = await as.cw.req('POST', '/api/v1/persons', { given_name: 'Мавзуна' });
  const record = 'persons/' + c.json.id;
  for (const r of await Promise.all(Array.from({ length: 12 }, () => as.cw.req('GET', '/api/v1/persons/' + c.json.id))))
    assert.equal(r.status, 200);
  const list = async () => (await as.sup.req('GET', '/api/v1/audit?record=' + encodeURIComponent(record))).json.items
    .filter((e) => e.action === 'read');
  assert.equal((await list()).length, 12); // the lookup caught the index up
  await s.stop();
  assert.equal(verify(s.data).code, 0);
  sqlite(db(s), `DELETE FROM audit_reads WHERE seq = (SELECT min(seq) FROM audit_reads)`);
  const v = verify(s.data);
  assert.equal(v.code, 1, v.out);
  assert.match(v.out, /audit chain BROKEN: .*audit_reads.*lacks/);
  assert.equal(run(['audit', 'reindex', '--data', s.data]).code, 0);
  assert.equal(verify(s.data).code, 0);
});
