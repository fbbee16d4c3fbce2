// "Is this person known to another organisation of the network?" (issue 16
// item 4, the server half): only encodings meet, the answer names
// organisations and nothing about the person, question and answer are
// audited, the organisation matched sees that it was, and a hostile or
// curious user learns nothing more.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { appendFileSync, writeFileSync } from 'node:fs';
import { startServer, signInAll } from '../lib/server.mjs';
import { sqlite, pgUrlOf, serveDir } from '../lib/datadir.mjs';

const PW = 'pprlnet test password';
const V1 = '/api/v1';
const users = [
  ['iom', 'cw', 'caseworker'], ['iom', 'cw2', 'caseworker'], ['iom', 'sup', 'supervisor'],
  ['iom', 'hot', 'hotline'], ['iom', 'ana', 'analyst'],
  ['ngo2', 'b.cw', 'caseworker'], ['ngo2', 'b.sup', 'supervisor'],
  ['ngo3', 'c.cw', 'caseworker'], ['ngo3', 'ngo3-filler', 'caseworker'],
].map(([org, login, role]) => ({ org, login, role, password: PW }));

let srv;
const as = {};
const uid = {};
const P = {};

before(async () => {
  srv = await startServer({
    users,
    orgs: [{ code: 'ngo2', name: 'NGO Two', type: 'NGO' }, { code: 'ngo3', name: 'NGO Three', type: 'NGO' }],
  });
  await signInAll(srv, users, PW, as, uid);
});

after(async () => {
  if (srv) {
    await srv.stop();
    srv.cleanup();
  }
});

async function ok(who, method, path, body, status = [200, 201]) {
  const r = await as[who].req(method, path, body);
  assert.ok([].concat(status).includes(r.status), `${who} ${method} ${path}: ${r.status} ${r.text}`);
  return r.json;
}

async function register(who, [given, family, birth, gender], purposes) {
  const p = await ok(who, 'POST', `${V1}/persons`, { given_name: given, family_name: family, birth_date: birth, gender });
  const consents = [];
  for (const purpose of purposes) {
    consents.push((await ok(who, 'POST', `${V1}/persons/${p.id}/consents`, { purpose, method: 'written' })).id);
  }
  return { id: p.id, consents };
}

const ask = (who, id, body) => as[who].req('POST', `${V1}/persons/${id}/known-elsewhere`, body);

function problem(r, status, type) {
  assert.equal(r.status, status, r.text);
  assert.match(r.headers.get('content-type'), /application\/problem\+json/);
  if (type) assert.equal(r.json.type, type, r.text);
}

// Unrelated persons, so that the threshold is read from a network of some size.
const crowd = [
  ['Мадина', 'Ҳасанова', '1985-01-17', 'Feminine'], ['Зарина', 'Каримова', '1999-11-02', 'Feminine'],
  ['Бахтиёр', 'Назаров', '1978-06-23', 'Masculine'], ['Нилуфар', 'Раҳимова', '2002-09-30', 'Feminine'],
  ['Сорбон', 'Шарипов', '1993-12-11', 'Masculine'], ['Гулноза', 'Исмоилова', '1988-02-08', 'Feminine'],
  ['Дилшод', 'Юсупов', '1981-07-15', 'Masculine'], ['Парвина', 'Саидова', '1996-05-27', 'Feminine'],
  ['Рустам', 'Олимов', '1975-10-05', 'Masculine'], ['Шаҳло', 'Тоирова', '2000-03-19', 'Feminine'],
];

test('setup: the same man at iom (Ҷумъаев) and ngo2 (Dzhumaev, day and month swapped), others around', async () => {
  P.iom = await register('cw', ['Фаррух', 'Ҷумъаев', '1994-03-07', 'Masculine'], ['referral']);
  P.ngo2 = await register('b.cw', ['Farrukh', 'Dzhumaev', '1994-07-03', 'Masculine'], ['referral', 'assistance']);
  P.ngo2.case = (await ok('b.cw', 'POST', `${V1}/cases`, { person_id: P.ngo2.id })).id;
  // Russian spelling at ngo3, but only an assistance consent: never in the network.
  P.ngo3 = await register('c.cw', ['Фаррух', 'Джумаев', '1994-03-07', 'Masculine'], ['assistance']);
  // A second registration of him in iom itself (its own duplicate, not the network's business).
  P.iomTwin = await register('cw', ['Фаррух', 'Джумаев', '1994-07-03', 'Masculine'], ['law_enforcement']);
  P.unrelated = await register('cw', ['Носир', 'Давлатов', '1970-12-25', 'Masculine'], ['referral']);
  P.noConsent = await register('cw', ['Фаррух', 'Ҷумъаев', '1994-03-07', 'Masculine'], []);
  P.assistanceOnly = await register('cw', ['Фаррух', 'Ҷумъаев', '1994-03-07', 'Masculine'], ['assistance']);
  // Consent to anonymous statistics (and research) is not consent to be
  // named to another organisation: never in the network either.
  P.statsOnly = await register('cw', ['Фаррух', 'Ҷумъаев', '1994-03-07', 'Masculine'], ['statistics', 'research']);
  for (const [i, c] of crowd.entries()) {
    await register(i % 2 ? 'cw' : 'b.cw', c, ['referral']);
    await register('c.cw', [c[0], c[1] + 'а', '1960-01-0' + (i % 9 + 1), c[3]], ['referral']);
  }
});

test('spelling variants across two organisations are found; the answer names organisations only', async () => {
  const r = await ask('cw', P.iom.id);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(Object.keys(r.json).sort(), ['asked_at', 'known']);
  assert.match(r.json.asked_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.deepEqual(r.json.known.map((k) => k.org), ['ngo2']);
  for (const k of r.json.known) assert.deepEqual(Object.keys(k).sort(), ['contact', 'name', 'org']);
  assert.equal(r.json.known[0].name, 'NGO Two');
  // Nothing of the person at ngo2: no id, no name, no score.
  assert.ok(!r.text.includes(P.ngo2.id) && !/Dzhumaev|score|dice|count/i.test(r.text), r.text);
  // And the other way round, from ngo2, with the Latin spelling.
  const back = await ask('b.cw', P.ngo2.id);
  assert.equal(back.status, 200, back.text);
  assert.deepEqual(back.json.known.map((k) => k.org), ['iom']);
});

test('an organisation is never told about its own persons; an unrelated person is not found', async () => {
  const twin = await ask('cw', P.iomTwin.id);
  assert.equal(twin.status, 200, twin.text);
  assert.deepEqual(twin.json.known.map((k) => k.org), ['ngo2']);
  const none = await ask('sup', P.unrelated.id);
  assert.equal(none.status, 200, none.text);
  assert.deepEqual(none.json.known, []);
});

test('a person without a referral or law enforcement consent is refused (409) and changes nothing', async () => {
  const before = sqlite(join(srv.data, 'himoya.db'), 'SELECT count(*) FROM pprl_questions');
  problem(await ask('cw', P.noConsent.id), 409, 'consent-required');
  problem(await ask('cw', P.assistanceOnly.id), 409, 'consent-required');
  problem(await ask('cw', P.statsOnly.id), 409, 'consent-required');
  assert.equal(sqlite(join(srv.data, 'himoya.db'), 'SELECT count(*) FROM pprl_questions'), before);
  // ngo3's Джумаев (assistance only) is not in the network: nobody names ngo3;
  // and iom's statistics-only one is not named to ngo2.
  const r = await ask('cw', P.iom.id);
  assert.ok(!r.json.known.some((k) => k.org === 'ngo3'), r.text);
  const back = await ask('b.cw', P.ngo2.id);
  assert.deepEqual(back.json.known.map((k) => k.org), ['iom']);
  const db = join(srv.data, 'himoya.db');
  assert.equal(Number(sqlite(db, 'SELECT count(*) FROM pprl_encodings')), 4 + 2 * crowd.length, 'no row for statistics');
});

test('another organisation, another role, a bad body: 404, 403, 422 as problems', async () => {
  problem(await ask('b.cw', P.iom.id), 404);
  problem(await ask('c.cw', P.unrelated.id), 404);
  problem(await ask('hot', P.iom.id), 403, 'forbidden');
  problem(await ask('ana', P.iom.id), 404);
  problem(await ask('cw', 'no-such-person'), 404);
  problem(await ask('cw', P.iom.id, { org: 'ngo2' }), 422, 'unknown-field');
  problem(await ask('cw', P.iom.id, '{"a":1,"a":2}'), 400);
});

test('the matching table holds encodings only: no name, birth date or person id in the database', async () => {
  const db = join(srv.data, 'himoya.db');
  const cols = sqlite(db, pgUrlOf(srv.data)
    ? "SELECT string_agg(column_name, ',' ORDER BY ordinal_position) FROM information_schema.columns"
      + " WHERE table_name = 'pprl_encodings'"
    : "SELECT group_concat(name) FROM pragma_table_info('pprl_encodings')").trim();
  assert.equal(cols, 'org_id,handle,ref,clk,expires,updated_at,audience');
  const dump = sqlite(db, 'SELECT org_id, hex(handle), hex(ref), hex(clk), expires, audience FROM pprl_encodings');
  const raw = sqlite(db, "SELECT CAST(handle AS TEXT) || CAST(ref AS TEXT) || CAST(clk AS TEXT) FROM pprl_encodings");
  const hex = (s) => Buffer.from(s, 'utf8').toString('hex').toUpperCase();
  for (const s of ['Ҷумъаев', 'Dzhumaev', 'Farrukh', 'Фаррух', '1994-03-07', '19940307', P.iom.id, P.ngo2.id]) {
    assert.ok(!dump.includes(s) && !dump.includes(hex(s)) && !raw.includes(s), `${s} in the matching table`);
  }
  // Written at the day only: a time to the second would tie a row to its
  // person's or consent's change.
  for (const t of ['pprl_encodings', 'pprl_stamps']) {
    assert.equal(sqlite(db, `SELECT count(*) FROM ${t} WHERE updated_at NOT LIKE '%T00:00:00Z'`).trim(), '0', t);
  }
  // One row per consenting person of the network, none for those without.
  const n = Number(sqlite(db, 'SELECT count(*) FROM pprl_encodings'));
  assert.equal(n, 4 + 2 * crowd.length);
  // Balanced: every encoding has exactly half of its bits set.
  const clk = sqlite(db, 'SELECT hex(clk) FROM pprl_encodings LIMIT 1').trim();
  const ones = [...Buffer.from(clk, 'hex')].reduce((a, b) => a + b.toString(2).replace(/0/g, '').length, 0);
  assert.equal(clk.length, 512);
  assert.equal(ones, 1024);
});

test('audit: the question and the answer in the asking organisation; the matched one sees who matched it', async () => {
  const mine = await ok('sup', 'GET', `${V1}/audit?record=persons/${P.iom.id}`);
  const askEntry = mine.items.find((e) => e.action === 'known-elsewhere-ask');
  assert.ok(askEntry && askEntry.user === 'cw' && askEntry.org === 'iom', JSON.stringify(mine.items));
  const answers = mine.items.filter((e) => e.action === 'known-elsewhere-answer');
  assert.ok(answers.length >= 1 && answers.every((e) => e.fields === 'known:ngo2'), JSON.stringify(answers));
  const none = await ok('sup', 'GET', `${V1}/audit?record=persons/${P.unrelated.id}`);
  assert.ok(none.items.some((e) => e.action === 'known-elsewhere-answer' && e.fields === 'known:none'));
  // ngo2's own log of its person: matched by iom, by no user and no person of iom.
  const theirs = await ok('b.sup', 'GET', `${V1}/audit?record=persons/${P.ngo2.id}`);
  const matched = theirs.items.filter((e) => e.action === 'known-elsewhere-matched');
  assert.ok(matched.length >= 1, JSON.stringify(theirs.items));
  for (const e of matched) {
    assert.equal(e.fields, 'matched-by:iom');
    assert.ok(!e.user, JSON.stringify(e));
    assert.ok(!JSON.stringify(e).includes(P.iom.id));
  }
  // and in the access log of ngo2's case (who outside the organisation touched it)
  const access = await ok('b.cw', 'GET', `${V1}/cases/${P.ngo2.case}/access-log`);
  const seen = access.items.filter((e) => e.action === 'known-elsewhere-matched');
  assert.ok(seen.length >= 1 && seen.every((e) => e.org === 'iom' && !e.user), JSON.stringify(access.items));
});

test('a withdrawn consent takes the person out of the network at once; a new one brings them back', async () => {
  await ok('b.cw', 'POST', `${V1}/consents/${P.ngo2.consents[0]}/withdraw`);
  let r = await ask('cw', P.iom.id);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.known, []);
  problem(await ask('b.cw', P.ngo2.id), 409, 'consent-required');
  const c = await ok('b.cw', 'POST', `${V1}/persons/${P.ngo2.id}/consents`, { purpose: 'referral', method: 'written' });
  P.ngo2.consents = [c.id];
  r = await ask('cw', P.iom.id);
  assert.deepEqual(r.json.known.map((k) => k.org), ['ngo2']);
});

test('a change of name takes effect: renamed to someone else, the person is no longer found', async () => {
  const p = await ok('b.cw', 'GET', `${V1}/persons/${P.ngo2.id}`);
  const r0 = await as['b.cw'].req('PATCH', `${V1}/persons/${P.ngo2.id}`, { given_name: 'Бобур', family_name: 'Ашуров', birth_date: '1971-01-30' },
    { 'if-match': `"${p.version}"` });
  assert.equal(r0.status, 200, r0.text);
  const r = await ask('cw', P.iom.id);
  assert.deepEqual(r.json.known, []);
});

test('the encodings are rebuilt at start: a table emptied behind the server comes back', async () => {
  await srv.stop();
  const db = join(srv.data, 'himoya.db');
  sqlite(db, 'DELETE FROM pprl_encodings');
  const s = await serveDir(srv.data, { port: new URL(srv.url).port });
  srv.stop = s.stop;
  for (let i = 0; ; i++) {
    const n = await fetch(srv.url + '/api/v1/health').then(() => Number(sqlite(db, 'SELECT count(*) FROM pprl_encodings')), () => 0);
    if (n === 4 + 2 * crowd.length) break;
    assert.ok(i < 100, `the catch-up did not restore the encodings: ${n}`);
    await new Promise((k) => setTimeout(k, 100));
  }
});

// The server as test 'rebuilt at start' left it running, stopped and started
// again with its log: the pass at start's counts once it has ended.
async function restartCounting(state = 'done') {
  await srv.stop();
  const s = await serveDir(srv.data, { port: new URL(srv.url).port });
  srv.stop = s.stop;
  const log = s.log;
  for (let i = 0; ; i++) {
    const m = /catch_up=(\w+) encoded=(\d+) unchanged=(\d+) removed=(\d+)/.exec(log());
    if (m && await fetch(srv.url + '/api/v1/health').then((r) => r.ok, () => false)) {
      assert.equal(m[1], state, log());
      return { encoded: Number(m[2]), unchanged: Number(m[3]), removed: Number(m[4]) };
    }
    assert.ok(i < 200, 'the pass at start did not end: ' + log());
    await new Promise((k) => setTimeout(k, 50));
  }
}

test('the pass at start re-encodes what changed behind the server only, and removes what lost its consent', async () => {
  const db = join(srv.data, 'himoya.db');
  const rows = () => Number(sqlite(db, 'SELECT count(*) FROM pprl_encodings'));
  const n = rows();
  assert.equal(n, 4 + 2 * crowd.length);
  // Nothing changed: nothing encoded again, nothing removed.  Every person
  // with a consent not withdrawn was read (ngo3's has an assistance
  // consent only: read, never encoded).
  let c = await restartCounting();
  assert.deepEqual(c, { encoded: 0, unchanged: c.unchanged, removed: 0 });
  assert.ok(c.unchanged > n, JSON.stringify(c));
  const persons = c.unchanged;
  // A change whose refresh was lost (the server stopped between the two):
  // that person alone is encoded again.
  await srv.stop();
  sqlite(db, `UPDATE persons SET updated_at = '2001-01-01T00:00:00Z' WHERE id = '${P.iom.id}'`);
  c = await restartCounting();
  assert.deepEqual(c, { encoded: 1, unchanged: persons - 1, removed: 0 });
  // A row gone missing, and a stamp gone missing: each made again.
  await srv.stop();
  sqlite(db, 'DELETE FROM pprl_encodings WHERE handle = (SELECT handle FROM pprl_stamps WHERE encoded = 1 ORDER BY handle LIMIT 1)');
  assert.equal(rows(), n - 1);
  c = await restartCounting();
  assert.deepEqual(c, { encoded: 1, unchanged: persons - 1, removed: 0 });
  assert.equal(rows(), n);
  await srv.stop();
  sqlite(db, 'DELETE FROM pprl_stamps WHERE handle = (SELECT handle FROM pprl_stamps WHERE encoded = 1 ORDER BY handle DESC LIMIT 1)');
  c = await restartCounting();
  assert.deepEqual(c, { encoded: 1, unchanged: persons - 1, removed: 0 });
  // A consent withdrawn behind the server (its person's only one): the
  // person is out of the network; and a row no stamp backs (left by an
  // older version, or by hand) is removed.
  await srv.stop();
  sqlite(db, `UPDATE items SET status = 'withdrawn', version = version + 1 WHERE id = '${P.iomTwin.consents[0]}'`);
  const blob = pgUrlOf(srv.data) ? "decode(md5(random()::text), 'hex')" : 'randomblob(16)';
  sqlite(db, `INSERT INTO pprl_encodings(org_id, handle, ref, clk, expires, updated_at) SELECT org_id, ${blob}, ref, clk, expires, updated_at FROM pprl_encodings ORDER BY handle LIMIT 1`);
  assert.equal(rows(), n + 1);
  c = await restartCounting();
  assert.deepEqual(c, { encoded: 0, unchanged: persons - 1, removed: 1 });
  assert.equal(rows(), n - 1);
  // A record that cannot be opened fails the pass and keeps what it had,
  // but the rest of the pass goes on: a withdrawal lost behind the server
  // is still removed.  Mended, the pass completes again.
  await srv.stop();
  const pg = pgUrlOf(srv.data);
  const sealed = sqlite(db, `SELECT ${pg ? "encode(sealed, 'hex')" : 'hex(sealed)'} FROM persons WHERE id = '${P.iom.id}'`).trim();
  const unhex = (h) => (pg ? `decode('${h}', 'hex')` : `X'${h}'`);
  sqlite(db, `UPDATE persons SET sealed = ${unhex('00'.repeat(sealed.length / 2))}, updated_at = '2001-01-02T00:00:00Z' WHERE id = '${P.iom.id}'`);
  sqlite(db, `UPDATE items SET status = 'withdrawn', version = version + 1 WHERE id = '${P.unrelated.consents[0]}'`);
  c = await restartCounting('incomplete');
  assert.deepEqual(c, { encoded: 0, unchanged: persons - 3, removed: 1 });
  assert.equal(rows(), n - 2);
  await srv.stop();
  sqlite(db, `UPDATE persons SET sealed = ${unhex(sealed)} WHERE id = '${P.iom.id}'`);
  c = await restartCounting();
  assert.deepEqual(c, { encoded: 1, unchanged: persons - 3, removed: 0 });
  c = await restartCounting();
  assert.deepEqual(c, { encoded: 0, unchanged: persons - 2, removed: 0 });
  // Another matching secret: every row is made again with it.
  await srv.stop();
  const secret = join(srv.data, 'pprl.secret');
  writeFileSync(secret, 'a secret shared by the installations of a network\n', { mode: 0o600 });
  appendFileSync(join(srv.data, 'himoya.conf'), `pprl_secret = ${secret}\n`);
  const before = sqlite(db, 'SELECT count(*) FROM pprl_encodings e JOIN pprl_stamps s ON s.handle = e.handle');
  c = await restartCounting();
  assert.deepEqual(c, { encoded: n - 2, unchanged: 0, removed: 0 });
  assert.equal(sqlite(db, 'SELECT count(*) FROM pprl_encodings e JOIN pprl_stamps s ON s.handle = e.handle'), before);
  // and the network answers as before with it
  const r = await ask('b.cw', P.ngo2.id);
  assert.equal(r.status, 200, r.text);
});

test('a first name alone names no one: too little to ask is refused, look-alikes are not matched', async () => {
  // The outsider's probes: a shared first name and a sound-alike surname
  // with another birth date, or another surname with the same date, named
  // IOM (or a shelter) before the floor.
  await register('cw', ['Зарина', 'Ҷумъаева', '1994-03-07', 'Feminine'], ['referral']);
  const thin = await register('c.cw', ['Zarina', 'Xqzwvtplk', undefined, 'Feminine'], ['referral']);
  problem(await ask('c.cw', thin.id), 422, 'not-enough-to-match');
  for (const probe of [['Zarina', 'Jumaeva', '1970-01-01', 'Feminine'], ['Зарина', 'Шукурова', '1994-03-07', 'Feminine']]) {
    const p = await register('c.cw', probe, ['referral']);
    const r = await ask('c.cw', p.id);
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json.known, [], `${probe.join(' ')}: ${r.text}`);
  }
  // The same woman, in Latin with day and month swapped, is found.
  const same = await register('c.cw', ['Zarina', 'Dzhumaeva', '1994-07-03', 'Feminine'], ['referral']);
  const r = await ask('c.cw', same.id);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.known.map((k) => k.org), ['iom']);
});

test('rate limit: a user asks at most 20 questions an hour, then 429 with Retry-After', async () => {
  await signInAll(srv, users.filter((u) => u.login === 'cw2'), PW, as, uid);
  const db = join(srv.data, 'himoya.db');
  sqlite(db, "INSERT INTO pprl_questions(user_id, asked_at) VALUES('someone', '2000-01-01T00:00:00Z')");
  for (let i = 0; i < 20; i++) {
    const r = await ask('cw2', P.unrelated.id);
    assert.equal(r.status, 200, `question ${i + 1}: ${r.text}`);
  }
  const r = await ask('cw2', P.unrelated.id);
  problem(r, 429, 'rate-limited');
  assert.equal(r.headers.get('retry-after'), '3600');
  // Questions older than the hour are not kept (the audit log has them).
  assert.equal(sqlite(db, "SELECT count(*) FROM pprl_questions WHERE asked_at < '2001'").trim(), '0');
  // Another user of the organisation is not held back by it.
  assert.equal((await ask('sup', P.unrelated.id)).status, 200);
});

// A consent that names its recipient (an organisation, or a type of one)
// lets only that recipient match the person; and a match is told both
// ways (the answer, the audit entry of the other), so both persons'
// consents must name the other organisation.
test('a consent naming its recipient: only that organisation finds the person, and only if its own person names it back', async () => {
  const man = ['Самандар', 'Қодиров', '1991-04-12', 'Masculine'];
  const latin = ['Samandar', 'Kodirov', '1991-04-12', 'Masculine'];
  const consent = (who, id, body) => ok(who, 'POST', `${V1}/persons/${id}/consents`, { method: 'written', ...body });
  // At ngo3, for ngo2 only; at iom and at ngo2, for anyone.
  const p3 = await register('c.cw', man, []);
  await consent('c.cw', p3.id, { purpose: 'referral', recipient_org: 'ngo2' });
  const pIom = await register('sup', latin, ['referral']);
  const p2 = await register('b.sup', man, ['referral']);
  let r = await ask('sup', pIom.id);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.known.map((k) => k.org), ['ngo2'], 'iom is not named in ngo3\'s consent: ' + r.text);
  r = await ask('b.sup', p2.id);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.known.map((k) => k.org).sort(), ['iom', 'ngo3']);
  // ngo3 asking about its person: iom's is open to ngo3, but ngo3's own
  // person's consent does not name iom, so iom is not told of it either.
  r = await ask('c.cw', p3.id);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.known.map((k) => k.org), ['ngo2']);
  const theirs = await ok('sup', 'GET', `${V1}/audit?record=persons/${pIom.id}`);
  assert.ok(!theirs.items.some((e) => e.action === 'known-elsewhere-matched' && e.fields === 'matched-by:ngo3'),
    JSON.stringify(theirs.items));

  // By the type of organisation: a consent for NGOs is found by ngo2 and
  // ngo3 (NGOs), not by iom (an IGO).
  const woman = ['Мунира', 'Ғафорова', '1987-08-21', 'Feminine'];
  const w2 = await register('b.sup', woman, []);
  await consent('b.sup', w2.id, { purpose: 'referral', recipient_type: 'NGO' });
  const wIom = await register('sup', woman, ['referral']);
  const w3 = await register('c.cw', woman, ['referral']);
  r = await ask('sup', wIom.id);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.known.map((k) => k.org), ['ngo3']);
  r = await ask('c.cw', w3.id);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.known.map((k) => k.org).sort(), ['iom', 'ngo2']);

  // A second consent, for anyone, opens the person to all; its
  // withdrawal closes it again.
  const open = await consent('c.cw', p3.id, { purpose: 'law_enforcement' });
  r = await ask('sup', pIom.id);
  assert.deepEqual(r.json.known.map((k) => k.org).sort(), ['ngo2', 'ngo3']);
  await ok('c.cw', 'POST', `${V1}/consents/${open.id}/withdraw`);
  r = await ask('sup', pIom.id);
  assert.deepEqual(r.json.known.map((k) => k.org), ['ngo2']);

  // The table holds the recipients' codes and types, nothing of the person.
  const db = join(srv.data, 'himoya.db');
  const audiences = sqlite(db, 'SELECT DISTINCT audience FROM pprl_encodings ORDER BY 1').trim().split('\n');
  assert.ok(audiences.includes('ngo2||') && audiences.includes('|NGO|') && audiences.includes('||'), audiences.join(' / '));
});

// A refresh runs after the change it follows commits; one that fails (a
// full disk, a stop) leaves the row stale until the next start.  The
// answer checks each row it would name against the store first, so a
// withdrawn consent names no one even then, and the stale row is mended.
test('a row left stale by a failed refresh is checked at the question: a withdrawn person is not named', async () => {
  if (pgUrlOf(srv.data)) return; // the failure is made with an SQLite trigger
  const who = ['Бобомурод', 'Ятимов', '1989-02-14', 'Masculine'];
  const mine = await register('sup', who, ['referral']);
  const theirs = await register('b.sup', who, ['referral']);
  let r = await ask('b.sup', theirs.id);
  assert.deepEqual(r.json.known.map((k) => k.org), ['iom']);
  const db = join(srv.data, 'himoya.db');
  const rows = () => Number(sqlite(db, 'SELECT count(*) FROM pprl_encodings'));
  const before = rows();
  sqlite(db, "CREATE TRIGGER stale BEFORE DELETE ON pprl_encodings BEGIN SELECT RAISE(ABORT, 'refresh lost'); END;");
  const w = await as.sup.req('POST', `${V1}/consents/${mine.consents[0]}/withdraw`);
  sqlite(db, 'DROP TRIGGER stale');
  assert.equal(w.status, 200, w.text); // the withdrawal itself is committed
  assert.equal(rows(), before, 'the refresh failed: the row is still there');
  r = await ask('b.sup', theirs.id);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.known, [], 'a withdrawn person named: ' + r.text);
  assert.equal(rows(), before - 1, 'the stale row was mended');
  const audit = await ok('sup', 'GET', `${V1}/audit?record=persons/${mine.id}`);
  assert.equal(audit.items.filter((e) => e.action === 'known-elsewhere-matched').length, 1, 'only the first question matched it');
});

test('an organisation asks at most 100 questions an hour whatever its number of users', async () => {
  const db = join(srv.data, 'himoya.db');
  const now = new Date().toISOString().slice(0, 19) + 'Z';
  // ngo3's other users asked 100 between them in the last hour.
  sqlite(db, `INSERT INTO pprl_questions(user_id, asked_at) SELECT u.id, '${now}' FROM users u,`
    + ` (WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < 100) SELECT i FROM k) AS n`
    + ` WHERE u.login = 'ngo3-filler'`);
  assert.ok(Number(sqlite(db, `SELECT count(*) FROM pprl_questions WHERE asked_at = '${now}'`)) >= 100);
  const p = await register('c.cw', ['Дилноза', 'Қурбонова', '1992-10-09', 'Feminine'], ['referral']);
  const r = await ask('c.cw', p.id);
  problem(r, 429, 'rate-limited');
  assert.match(r.json.detail, /per organisation/);
  assert.equal(r.headers.get('retry-after'), '3600');
  // Another organisation is not held back by it.
  const q = await register('b.sup', ['Дилноза', 'Қурбонова', '1992-10-09', 'Feminine'], ['referral']);
  assert.equal((await ask('b.sup', q.id)).status, 200);
});
