// The callback queue and the public "request a call back" form, hostile:
// booking (by number or contact), due/overdue/open/done states,
// assignment and outcome with If-Match, another organisation's users
// (404), and the public form: one fixed 202 body whatever is sent (valid,
// invalid, bot, duplicate), 429 past the per-address limit, 413 over the
// size cap, nothing stored for bots, the hotline_org setting, and no
// number or message in clear in the database or its WAL.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, usersOf, signInAll, Client } from '../lib/server.mjs';
import { assertProblem } from '../lib/hostile.mjs';
import { rawFiles, sqlite, sleep, serveDir, run, writeConf, poll } from '../lib/datadir.mjs';

const PW = 'callback test password';
const orgs = [{ code: 'ngo2', name: 'NGO Two', type: 'NGO' }];
const users = usersOf(PW, [
  ['hot', 'hotline', 'iom'], ['hot2', 'hotline', 'iom'], ['sup', 'supervisor', 'iom'],
  ['cw', 'caseworker', 'iom'], ['an', 'analyst', 'iom'],
  ['x.hot', 'hotline', 'ngo2'], ['x.sup', 'supervisor', 'ngo2'],
]);

const V1 = '/api/v1';
const PUBLIC = V1 + '/public/callback-requests';
let srv;
const as = {};
const uid = {};

before(async () => {
  srv = await startServer({ users, orgs });
  await signInAll(srv, users, PW, as, uid);
});

after(async () => {
  if (srv) {
    await srv.stop();
    srv.cleanup();
  }
});

const db = () => srv.data + '/himoya.db';
const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

async function book(who, body, status = 201) {
  const r = await as[who].req('POST', V1 + '/callbacks', body);
  assert.equal(r.status, status, 'callback: ' + r.text);
  if (status === 201) {
    // Where the new callback is, as for persons, cases and contacts.
    assert.equal(r.headers.get('location'), `${V1}/callbacks/${r.json.id}`);
    assert.equal(r.headers.get('etag'), `"${r.json.version}"`);
  }
  return r.json;
}

test('callbacks are booked by number or by contact, with a sealed safe-to-call note', async () => {
  const cb = await book('hot', { phone: '+992 93 555 66 77', due: '2031-05-01T13:00:00Z',
    safe_note: 'only after 18:00, not the husband', language: 'tg', assigned_to: uid.hot2 });
  assert.equal(cb.source, 'operator');
  assert.equal(cb.state, 'open');
  assert.equal(cb.phone_masked, '•••• 66 77');
  assert.equal(cb.phone, undefined, 'the full number only on GET of one callback');
  assert.equal(cb.assigned_to, uid.hot2);
  const one = await as.hot2.req('GET', `${V1}/callbacks/${cb.id}`);
  assert.equal(one.status, 200);
  assert.equal(one.json.phone, '+992 93 555 66 77');
  assert.equal(one.json.safe_note, 'only after 18:00, not the husband');
  assert.equal(one.headers.get('etag'), '"1"');
  const audited = sqlite(db(), `SELECT count(*) FROM audit WHERE record = 'callbacks/${cb.id}' AND action = 'create'`);
  assert.equal(audited.trim(), '1');
  // By contact: the number comes from the contact.
  const c = await as.hot.req('POST', V1 + '/contacts', { channel: 'viber', call_type: 'data', caller_phone: '0935556688' });
  assert.equal(c.status, 201, c.text);
  const byContact = await book('hot', { contact_id: c.json.id, due: '2031-05-02T09:00:00Z' });
  assert.equal(byContact.contact_id, c.json.id);
  assert.equal(byContact.phone_masked, '•••• 66 88');
  // The contact read again shows the callback booked with it, to who
  // works callbacks; a case worker reads the contact without it.
  const read = await as.hot2.req('GET', `${V1}/contacts/${c.json.id}`);
  assert.equal(read.status, 200, read.text);
  assert.equal(read.json.callback?.id, byContact.id, read.text);
  assert.equal(read.json.callback.phone, undefined, 'the number only on GET of the callback');
  const cwRead = await as.cw.req('GET', `${V1}/contacts/${c.json.id}`);
  assert.equal(cwRead.status, 200, cwRead.text);
  assert.equal(cwRead.json.callback, undefined, cwRead.text);
  assertProblem(await as['x.hot'].req('GET', `${V1}/contacts/${c.json.id}`), 404, 'not-found');
  const anon = await as.hot.req('POST', V1 + '/contacts', { channel: 'phone', call_type: 'data' });
  assertProblem(await as.hot.req('POST', V1 + '/callbacks', { contact_id: anon.json.id, due: '2031-05-02T09:00:00Z' }),
    422, 'missing-field');
  // Hostile bodies.
  const noPhone = await as.hot.req('POST', V1 + '/callbacks', { due: '2031-05-02T09:00:00Z' });
  assertProblem(noPhone, 422, 'missing-field');
  assert.equal(noPhone.json.field, 'phone', 'the problem names the field a form marks');
  assertProblem(await as.hot.req('POST', V1 + '/callbacks', { phone: 'call me', due: '2031-05-02T09:00:00Z' }),
    422, 'invalid-value');
  assertProblem(await as.hot.req('POST', V1 + '/callbacks', { phone: '931234567' }), 422, 'missing-field');
  // A cursor the list did not hand out (sealed) is refused, not a place.
  for (const path of ['/callbacks?cursor=1.5', '/contacts?cursor=2026-01-01T00:00:00Z.aaaa'])
    assertProblem(await as.hot.req('GET', V1 + path), 422, 'invalid-value', path);
  // A day and more ago is a slip (the wrong day or year typed): refused.
  const longAgo = new Date(Date.now() - 6 * 86400000).toISOString().slice(0, 19) + 'Z';
  const past = await as.hot.req('POST', V1 + '/callbacks', { phone: '931234567', due: longAgo });
  assertProblem(past, 422, 'invalid-value');
  assert.equal(past.json.field, 'due');
  assertProblem(await as.hot.req('POST', V1 + '/callbacks', { phone: '931234567', due: '2031-02-30T09:00:00Z' }),
    422, 'invalid-value');
  assertProblem(await as.hot.req('POST', V1 + '/callbacks', { phone: '931234567', due: '2031-05-02T09:00:00Z',
    colour: 'red' }), 422, 'unknown-field');
  assertProblem(await as.hot.req('POST', V1 + '/callbacks', { phone: '931234567', due: '2031-05-02T09:00:00Z',
    safe_note: 'x'.repeat(501) }), 422, 'invalid-value');
  assertProblem(await as.hot.req('POST', V1 + '/callbacks', { phone: '931234567', due: '2031-05-02T09:00:00Z',
    assigned_to: uid['x.hot'] }), 422, 'invalid-value');
  assertProblem(await as.hot.req('POST', V1 + '/callbacks', { phone: '931234567', due: '2031-05-02T09:00:00Z',
    assigned_to: uid.cw }), 422, 'invalid-value');
  assertProblem(await as.hot.req('POST', V1 + '/callbacks', { phone: '931234567', due: '2031-05-02T09:00:00Z',
    done: true }), 422, 'invalid-value');
});

test('the queue: due today, overdue, open, done, assigned to me', async () => {
  const now = Date.now();
  const endOfDay = new Date(new Date(now).toISOString().slice(0, 10) + 'T00:00:00Z').getTime() + 86400000;
  const soon = now + 120000;
  const overdue = await book('hot', { phone: '93 000 11 01', due: iso(now - 3600000) });
  const dueToday = await book('hot', { phone: '93 000 11 02', due: iso(soon), assigned_to: uid.hot });
  const later = await book('hot', { phone: '93 000 11 03', due: iso(now + 5 * 86400000) });
  assert.equal(overdue.state, 'overdue');
  assert.equal(later.state, 'open');
  assert.equal(dueToday.state, soon < endOfDay ? 'due' : 'open');
  const ids = async (q) => (await as.hot.req('GET', `${V1}/callbacks${q}`)).json.items.map((i) => i.id);
  assert.ok((await ids('?state=overdue')).includes(overdue.id));
  assert.ok(!(await ids('?state=overdue')).includes(later.id));
  if (soon < endOfDay) {
    assert.ok((await ids('?state=due')).includes(dueToday.id));
    assert.ok(!(await ids('?state=due')).includes(overdue.id));
  }
  assert.ok(!(await ids('?state=due')).includes(later.id));
  const open = await ids('');
  for (const c of [overdue, dueToday, later]) assert.ok(open.includes(c.id));
  assert.deepEqual(await ids('?state=open&assigned=me'), [dueToday.id]);
  // Mark one done with its outcome; a stale version is refused.
  const p = await as.hot.req('PATCH', `${V1}/callbacks/${overdue.id}`, { outcome: 'reached', done: true },
    { 'if-match': '"1"' });
  assert.equal(p.status, 200, p.text);
  assert.equal(p.json.state, 'done');
  assert.equal(p.json.version, 2);
  assert.ok(p.json.done_at);
  assertProblem(await as.hot.req('PATCH', `${V1}/callbacks/${overdue.id}`, { outcome: 'no_answer' },
    { 'if-match': '"1"' }), 412, 'version-conflict');
  assertProblem(await as.hot.req('PATCH', `${V1}/callbacks/${overdue.id}`, { outcome: 'no_answer' }), 428,
    'precondition-required');
  assertProblem(await as.hot.req('PATCH', `${V1}/callbacks/${overdue.id}`, { outcome: 'fine' }, { 'if-match': '"2"' }),
    422, 'invalid-value');
  assertProblem(await as.hot.req('PATCH', `${V1}/callbacks/${overdue.id}`, { safe_note: 'x' }, { 'if-match': '"2"' }),
    422, 'read-only-field');
  assertProblem(await as.hot.req('PATCH', `${V1}/callbacks/${overdue.id}`, { priority: 1 }, { 'if-match': '"2"' }),
    422, 'unknown-field');
  assert.ok(!(await ids('?state=overdue')).includes(overdue.id));
  assert.ok((await ids('?state=done')).includes(overdue.id));
  assert.ok((await ids('?state=all')).includes(overdue.id));
  // Reassign and move.
  const m = await as.hot.req('PATCH', `${V1}/callbacks/${later.id}`,
    { assigned_to: uid.hot2, due: iso(now - 60000) }, { 'if-match': '"1"' });
  assert.equal(m.status, 200, m.text);
  assert.equal(m.json.state, 'overdue');
  assert.equal((await as.hot2.req('GET', `${V1}/callbacks?assigned=me&state=overdue`)).json.items[0].id, later.id);
  // The supervisor's figures count them.
  const s = await as.sup.req('GET', `${V1}/contacts/stats`);
  assert.ok(s.json.callbacks.overdue >= 1 && s.json.callbacks.open >= 2, JSON.stringify(s.json.callbacks));
  assertProblem(await as.hot.req('GET', `${V1}/callbacks?state=soon`), 422, 'invalid-value');
  // Every callback of the organisation is listed, page after page.
  const org = sqlite(db(), `SELECT org_id FROM users WHERE id = '${uid.hot}'`).trim();
  const stored = Number(sqlite(db(), `SELECT count(*) FROM callbacks WHERE org_id = '${org}'`).trim());
  assert.ok(stored >= 5);
  const seen = [];
  let next = '';
  for (let page = 0; page < 20; page++) {
    const r = await as.hot.req('GET', `${V1}/callbacks?state=all&limit=2${next}`);
    assert.equal(r.status, 200, r.text);
    seen.push(...r.json.items.map((i) => i.id));
    if (!r.json.next) break;
    next = '&cursor=' + encodeURIComponent(r.json.next);
  }
  assert.equal(new Set(seen).size, stored);
  assert.equal((await as.hot.req('GET', `${V1}/callbacks?state=all`)).json.items.length, stored);
  assertProblem(await as.hot.req('GET', `${V1}/callbacks?cursor=nonsense`), 422, 'invalid-value');
});

test("another organisation's users see no callback; other roles none at all", async () => {
  const cb = await book('hot', { phone: '93 000 22 01', due: '2031-01-01T10:00:00Z', safe_note: 'evenings' });
  for (const who of ['x.hot', 'x.sup']) {
    assertProblem(await as[who].req('GET', `${V1}/callbacks/${cb.id}`), 404, 'not-found', who);
    assertProblem(await as[who].req('PATCH', `${V1}/callbacks/${cb.id}`, { done: true }, { 'if-match': '"1"' }),
      404, 'not-found', who);
    const q = await as[who].req('GET', `${V1}/callbacks?state=all`);
    assert.equal(q.status, 200);
    assert.deepEqual(q.json.items, [], who);
  }
  for (const who of ['cw', 'an']) {
    assertProblem(await as[who].req('GET', `${V1}/callbacks`), 404, 'not-found', who);
    assertProblem(await as[who].req('GET', `${V1}/callbacks/${cb.id}`), 404, 'not-found', who);
    assertProblem(await as[who].req('POST', V1 + '/callbacks', { phone: '931234567', due: '2031-05-02T09:00:00Z' }),
      404, 'not-found', who);
  }
});

// ---- the public form ---------------------------------------------------------

const post = (url, body, type = 'application/json') => fetch(url + PUBLIC, {
  method: 'POST', headers: { 'content-type': type }, body,
}).then(async (res) => ({ status: res.status, text: await res.text(), headers: res.headers }));

async function formToken(url) {
  const r = await fetch(url + V1 + '/public/form-token');
  assert.equal(r.status, 200);
  const j = await r.json();
  assert.match(j.token, /^[A-Za-z0-9_-]{43}$/);
  return j.token;
}

const publicCount = () => Number(sqlite(db(), "SELECT count(*) FROM callbacks WHERE source = 'public'").trim());

test('the public form answers the same whatever it is sent, drops bots, and limits each address', async () => {
  const before = publicCount();
  // Over the size cap: 413 (and not counted against the address).
  const big = await post(srv.url, JSON.stringify({ phone: '931234567', message: 'x'.repeat(5000) }));
  assert.equal(big.status, 413);
  const huge = await post(srv.url, 'x'.repeat(10 * 1024 * 1024));
  assert.equal(huge.status, 413);
  const token = await formToken(srv.url);
  const early = await formToken(srv.url);
  await sleep(3200);
  const early2 = await formToken(srv.url); // too fresh when used at once
  const answers = [];
  // 1. a bot that fills the honeypot
  answers.push(await post(srv.url, JSON.stringify({ phone: '+992 92 888 77 01', token, website: 'http://spam-bot.example/9f3a' })));
  // 2. a bot without a token
  answers.push(await post(srv.url, JSON.stringify({ phone: '+992 92 888 77 02' })));
  // 3. a bot too fast (its token was issued a moment ago)
  answers.push(await post(srv.url, JSON.stringify({ phone: '+992 92 888 77 03', token: early2 })));
  // 4. invalid input with a good token, form-encoded: not a number, a field too long
  answers.push(await post(srv.url, new URLSearchParams({ phone: 'call me maybe', token: early,
    preferred_time: 'x'.repeat(65) }).toString(), 'application/x-www-form-urlencoded'));
  // 5. a real request, form-encoded, in Tajik
  const message = 'Писарам дар Маскав кор мекунад, шиносномаашро гирифтанд.\nЛутфан занг занед.';
  const form = new URLSearchParams({ phone: '+992 92 888 77 05', preferred_time: 'баъд аз соати 18',
    language: 'tg', message, token, website: '' }).toString();
  answers.push(await post(srv.url, form, 'application/x-www-form-urlencoded'));
  for (const a of answers) {
    assert.equal(a.status, 202, a.text);
    assert.ok(!a.text.includes('888') && !a.text.includes('шиносномаашро'), 'never echoes');
  }
  // One fixed body for JSON, one fixed page for forms, whatever was sent.
  for (const a of answers.slice(0, 3)) assert.equal(a.text, '{"status":"received"}');
  assert.equal(answers[3].text, answers[4].text);
  assert.match(answers[4].headers.get('content-type'), /^text\/html/);
  assert.match(answers[4].text, /class="thanks"/);
  // 6. over the limit of 5 per address
  const limited = await post(srv.url, JSON.stringify({ phone: '+992 92 888 77 06', token }));
  assert.equal(limited.status, 429);
  assert.equal(limited.headers.get('retry-after'), '600');
  // Only the real request was stored, in the hotline organisation's queue, source public.
  assert.equal(publicCount(), before + 1);
  const q = await as.hot.req('GET', `${V1}/callbacks?state=all`);
  const mine = q.json.items.filter((i) => i.source === 'public');
  assert.equal(mine.length, 1);
  assert.equal(mine[0].phone_masked, '•••• 77 05');
  assert.equal(mine[0].language, 'tg');
  assert.equal(mine[0].preferred_time, 'баъд аз соати 18');
  assert.equal(mine[0].message, message.replace('\n', ' '));
  assert.ok(['due', 'overdue'].includes(mine[0].state));
  const full = await as.hot.req('GET', `${V1}/callbacks/${mine[0].id}`);
  assert.equal(full.json.phone, '+992 92 888 77 05');
  assert.deepEqual((await as['x.hot'].req('GET', `${V1}/callbacks?state=all`)).json.items, []);
  // Nothing of the bots was kept, nor any number in clear.
  const files = Object.values(rawFiles(srv.data));
  for (const s of ['92 888 77', '928887701', '928887703', 'шиносномаашро', 'баъд аз соати', 'spam-bot.example',
    '93 555 66 77', 'not the husband'])
    assert.ok(!files.some((b) => b.includes(Buffer.from(s))), 'in clear: ' + s);
});

test('public form over JSON: duplicates are not queued twice, malformed bodies answer the same', async () => {
  // A fresh server (a fresh rate limit), serving with hotline_org = ngo2.
  const s2 = await startServer({ users: [{ org: 'ngo2', login: 'n.hot', role: 'hotline', password: PW }], orgs });
  try {
    await s2.stop();
    writeConf(s2.data, 'hotline_org = ngo2\n');
    const served = await serveDir(s2.data);
    try {
      const token = await formToken(served.url);
      await sleep(3200);
      const body = JSON.stringify({ phone: '0927770001', message: 'help', token, website: '' });
      const a = await post(served.url, body);
      const b = await post(served.url, body);
      const c = await post(served.url, '{"phone": "0927770001", "phone": "1"}');
      const d = await post(served.url, 'phone=0927770001', 'text/plain');
      const forged = token.slice(0, 20) + (token[20] === 'A' ? 'B' : 'A') + token.slice(21);
      const e = await post(served.url, JSON.stringify({ phone: '0927770002', token: forged }));
      for (const r of [a, b, c, d, e]) {
        assert.equal(r.status, 202);
        assert.equal(r.text, '{"status":"received"}');
      }
      await served.stop();
      const rows = sqlite(join(s2.data, 'himoya.db'),
        "SELECT o.code FROM callbacks c JOIN orgs o ON o.id = c.org_id WHERE c.source = 'public'").trim();
      assert.equal(rows, 'ngo2', 'one request, in the configured organisation');
    } finally {
      await served.stop();
    }
    // A hotline_org that names no organisation stops the server at once.
    writeConf(s2.data, 'hotline_org = nowhere\n');
    const bad = run(['serve', '--data', s2.data, '--listen', '127.0.0.1:1']);
    assert.notEqual(bad.code, 0);
    assert.match(bad.err, /hotline_org/);
    writeConf(s2.data, 'hotline_org =\n');
    assert.notEqual(run(['serve', '--data', s2.data, '--listen', '127.0.0.1:1']).code, 0);
  } finally {
    s2.cleanup();
  }
});

test('who looked a number up, and who read a callback, is answered by the audit log to the organisation', async () => {
  const number = '+992 93 444 21 09';
  const k = await as.hot.req('POST', V1 + '/contacts', { channel: 'phone', call_type: 'data', caller_phone: number });
  assert.equal(k.status, 201, k.text);
  assert.equal((await as.hot2.req('GET', `${V1}/contacts?phone=${encodeURIComponent('992934442109')}`)).status, 200);
  assert.equal((await as.hot2.req('GET', `${V1}/caller-flags?phone=${encodeURIComponent(number)}`)).status, 200);
  const cb = await book('hot', { phone: number, due: '2031-05-01T13:00:00Z' });
  assert.equal((await as.hot2.req('GET', `${V1}/callbacks/${cb.id}`)).status, 200);
  // The number in any spelling names the same look-ups.
  const looked = await poll(async () => {
    const r = await as.sup.req('GET', `${V1}/audit?phone=${encodeURIComponent('0934442109'.replace(/^0/, '+992 '))}`);
    assert.equal(r.status, 200, r.text);
    return r.json.items.filter((e) => e.user === 'hot2').length >= 2 ? r.json.items : null;
  }, { timeout: 5000 });
  assert.ok(looked.some((e) => e.fields === 'caller_phone'), JSON.stringify(looked));
  assert.ok(looked.some((e) => e.fields === 'phone'), JSON.stringify(looked));
  assert.ok(!JSON.stringify(looked).includes('4442109'), 'the number itself is not in the log');
  const reads = await poll(async () => {
    const r = await as.sup.req('GET', `${V1}/audit?record=callbacks/${cb.id}`);
    assert.equal(r.status, 200, r.text);
    return r.json.items.some((e) => e.user === 'hot2') ? r.json.items : null;
  }, { timeout: 5000 });
  assert.ok(reads.some((e) => e.action === 'create'), JSON.stringify(reads));
  assert.equal((await as.sup.req('GET', `${V1}/audit?record=contacts/${k.json.id}`)).status, 200);
  // Another organisation: its own key, none of these; the records 404.
  const theirs = await as['x.sup'].req('GET', `${V1}/audit?phone=${encodeURIComponent(number)}`);
  assert.equal(theirs.status, 200, theirs.text);
  assert.deepEqual(theirs.json.items, []);
  assertProblem(await as['x.sup'].req('GET', `${V1}/audit?record=callbacks/${cb.id}`), 404, 'not-found');
  assertProblem(await as['x.sup'].req('GET', `${V1}/audit?record=contacts/${k.json.id}`), 404, 'not-found');
  assertProblem(await as.sup.req('GET', `${V1}/audit?phone=abc`), 422, 'invalid-value');
  assertProblem(await as.sup.req('GET', `${V1}/audit?phone=${encodeURIComponent(number)}&record=cases/x`), 422, 'invalid-value');
  assertProblem(await as.hot.req('GET', `${V1}/audit?phone=${encodeURIComponent(number)}`), 403, 'forbidden');
});

test('a number is shown as it is dialled: direction controls are refused by the API and dropped from the public form', async () => {
  // U+202E shows "+992 93 123 45 67" for the digits "76 54 321 39 299+" (an outside review).
  const spoof = '\u202e76 54 321 39 299+';
  const r = await as.hot.req('POST', V1 + '/callbacks', { phone: spoof, due: '2031-05-01T13:00:00Z' });
  assert.equal(r.status, 422, r.text);
  assert.match(r.headers.get('content-type'), /^application\/problem\+json/);
  assert.match(r.json.detail, /direction/);
  const k = await as.hot.req('POST', V1 + '/contacts', { channel: 'phone', call_type: 'data', caller_phone: spoof });
  assert.equal(k.status, 422, k.text);
  const n = await as.hot.req('POST', V1 + '/contacts', { channel: 'phone', call_type: 'data', notes: 'a\u2067b' });
  assert.equal(n.status, 422, n.text);

  const s2 = await startServer({ users: [{ org: 'ngo2', login: 'n.hot', role: 'hotline', password: PW }], orgs });
  try {
    await s2.stop();
    writeConf(s2.data, 'hotline_org = ngo2\n');
    const served = await serveDir(s2.data);
    try {
      const token = await formToken(served.url);
      await sleep(3200);
      const a = await post(served.url, JSON.stringify({ phone: '\u202e0927770009', message: 'help \u202eme', token, website: '' }));
      assert.equal(a.status, 202);
      const hot = new Client(served.url);
      assert.equal((await hot.login('n.hot', PW)).status, 200);
      const q = await hot.req('GET', V1 + '/callbacks');
      assert.equal(q.status, 200, q.text);
      const got = q.json.items.find((x) => x.source === 'public');
      assert.ok(got, q.text);
      const one = await hot.req('GET', `${V1}/callbacks/${got.id}`);
      assert.equal(one.json.phone, '0927770009', 'kept, without the control');
      assert.equal(one.json.message, 'help me');
    } finally {
      await served.stop();
    }
  } finally {
    s2.cleanup();
  }
});

// Issue 10, finding #9: the answer's timing must not tell whether a number
// already waits.  Both paths do the same work: one row written, one audit
// entry, one commit (a rollback is much faster than a commit).
test('public form: a number already queued costs the same writes and commit as a new one', async () => {
  const s2 = await startServer({ users: [{ login: 'h9', role: 'hotline', password: PW }] });
  try {
    const [t1, t2, t3] = [await formToken(s2.url), await formToken(s2.url), await formToken(s2.url)];
    await sleep(3200);
    const dbf = join(s2.data, 'himoya.db');
    const audits = () => Number(sqlite(dbf, "SELECT count(*) FROM audit WHERE record LIKE 'callbacks/%'").trim());
    const updated = () => sqlite(dbf, "SELECT updated_at FROM callbacks WHERE source = 'public'").trim();
    const a0 = audits();
    assert.equal((await post(s2.url, JSON.stringify({ phone: '0927779901', message: 'first', token: t1 }))).status, 202);
    const a1 = audits();
    assert.equal(a1, a0 + 1, 'a new number: one audit entry');
    const u1 = updated();
    await sleep(1100);
    assert.equal((await post(s2.url, JSON.stringify({ phone: '0927779901', message: 'again', token: t2 }))).status, 202);
    assert.equal(audits(), a1 + 1, 'a queued number: one audit entry too, committed');
    assert.notEqual(updated(), u1, 'and one row written: the waiting request is touched');
    const rows = sqlite(dbf, "SELECT count(*) FROM callbacks WHERE source = 'public'").trim();
    assert.equal(rows, '1', 'still queued once');
    assert.equal((await post(s2.url, JSON.stringify({ phone: '0927779902', token: t3 }))).status, 202);
    assert.equal(audits(), a1 + 2);
  } finally {
    await s2.stop();
    s2.cleanup();
  }
});
