// Idempotency keys: a change sent again with the key it was first sent
// with is answered again, not made twice (the hotline's call saved twice
// after its answer was lost on a weak link, or a retry that reaches the
// other server after a failover).  The same key with another request is
// refused and changes nothing; a problem is not kept; keys are the user's
// own; a replayed answer is the record as it is now, read under the
// permissions of now (its sealed fields audited as any read); an answer
// that is not a record (an action, a one-time secret) is never kept.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer, signInAll, Client } from '../lib/server.mjs';
import { assertProblem } from '../lib/hostile.mjs';
import { sqlite, pgUrlOf } from '../lib/datadir.mjs';

const PW = 'idempotency test password';
const V1 = '/api/v1';
const orgs = [{ code: 'ngo2', name: 'Second NGO', type: 'NGO' }];
const users = [
  { login: 'hot', role: 'hotline' }, { login: 'hot2', role: 'hotline' },
  { login: 'b.cw', role: 'caseworker', org: 'ngo2' }, { login: 'sign-out', role: 'caseworker' },
  { login: 'cw', role: 'caseworker' }, { login: 'sup', role: 'supervisor' },
  { login: 'cw3', role: 'caseworker' }, { login: 'adm', role: 'admin' },
  { login: 'b.sup', role: 'supervisor', org: 'ngo2' }, { login: 'b.hot', role: 'hotline', org: 'ngo2' },
].map((u) => ({ ...u, password: PW }));
let srv, as;

before(async () => {
  srv = await startServer({ users, orgs });
  ({ as } = await signInAll(srv, users, PW));
});

after(async () => {
  await srv.stop();
  srv.cleanup();
});

const db = () => join(srv.data, 'himoya.db');
const count = (table) => Number(sqlite(db(), `SELECT count(*) FROM ${table}`).trim());
const call = { channel: 'phone', call_type: 'data', language: 'tg', caller_kind: 'anonymous', notes: 'a call about a passport kept by an employer' };

test('a contact saved twice with one key is logged once, and the second answer is the first', async () => {
  const before = count('contacts');
  const key = { 'idempotency-key': 'call-7f3a9c' };
  const first = await as.hot.req('POST', V1 + '/contacts', call, key);
  assert.equal(first.status, 201, first.text);
  assert.equal(first.headers.get('idempotent-replayed'), null);
  const again = await as.hot.req('POST', V1 + '/contacts', call, key);
  assert.equal(again.status, 201, again.text);
  assert.equal(again.headers.get('idempotent-replayed'), 'true');
  assert.equal(again.json.id, first.json.id);
  assert.deepEqual(again.json, first.json);
  assert.equal(again.headers.get('location'), first.headers.get('location'));
  assert.equal(count('contacts'), before + 1, 'one contact, not two');
  // Without a key, or with another, it is a new call.
  assert.equal((await as.hot.req('POST', V1 + '/contacts', call)).status, 201);
  assert.equal((await as.hot.req('POST', V1 + '/contacts', call, { 'idempotency-key': '"call-7f3a9d"' })).status, 201);
  assert.equal(count('contacts'), before + 3);
  // The same key as a structured field's string is the same key.
  const quoted = await as.hot.req('POST', V1 + '/contacts', call, { 'idempotency-key': '"call-7f3a9c"' });
  assert.equal(quoted.json.id, first.json.id);
  assert.equal(count('contacts'), before + 3);
});

test('the same key with another body, path or method is refused and changes nothing', async () => {
  const key = { 'idempotency-key': 'k-other-body' };
  const first = await as.hot.req('POST', V1 + '/contacts', call, key);
  assert.equal(first.status, 201, first.text);
  const before = count('contacts');
  assertProblem(await as.hot.req('POST', V1 + '/contacts', { ...call, notes: 'another call' }, key), 422, 'idempotency-key-reused');
  assertProblem(await as.hot.req('POST', V1 + '/contacts?x=1', call, key), 400, 'invalid-query', 'x is no parameter');
  const pkey = { 'idempotency-key': 'k-other-query' };
  const person = { given_name: 'Шодӣ', family_name: 'Каримов' };
  assert.equal((await as.cw.req('POST', V1 + '/persons', person, pkey)).status, 201);
  assertProblem(await as.cw.req('POST', V1 + '/persons?duplicates=register', person, pkey), 422, 'idempotency-key-reused');
  assertProblem(await as.hot.req('PATCH', `${V1}/contacts/${first.json.id}`, { notes: 'x' }, { ...key, 'if-match': '"1"' }), 422, 'idempotency-key-reused');
  assert.equal(count('contacts'), before);
});

test('keys are each user\'s own: another user\'s same key is another change, and never sees the first answer', async () => {
  const key = { 'idempotency-key': 'shared-looking-key' };
  const a = await as.hot.req('POST', V1 + '/contacts', call, key);
  const b = await as.hot2.req('POST', V1 + '/contacts', call, key);
  assert.equal(a.status, 201);
  assert.equal(b.status, 201, b.text);
  assert.notEqual(a.json.id, b.json.id);
  assert.equal(b.headers.get('idempotent-replayed'), null);
});

test('a problem is not kept: the key may be sent again once the request is right', async () => {
  const key = { 'idempotency-key': 'fix-and-retry' };
  const before = count('contacts');
  assertProblem(await as.hot.req('POST', V1 + '/contacts', { ...call, channel: 'pigeon' }, key), 422, 'invalid-value');
  // The key was freed, but it now names the corrected request: the first
  // that succeeds is the one kept.
  const ok = await as.hot.req('POST', V1 + '/contacts', call, key);
  assert.equal(ok.status, 201, ok.text);
  assert.equal((await as.hot.req('POST', V1 + '/contacts', call, key)).json.id, ok.json.id);
  assert.equal(count('contacts'), before + 1);
});

test('a bad key is a clear problem and changes nothing', async () => {
  const before = count('contacts');
  for (const k of ['', 'x'.repeat(129), 'with space', 'quote"inside', 'кириллица']) {
    let r;
    try {
      r = await as.hot.req('POST', V1 + '/contacts', call, { 'idempotency-key': k });
    } catch (e) { // fetch refuses a header of letters beyond Latin-1 itself
      assert.match(String(e), /ByteString/);
      continue;
    }
    assertProblem(r, 400, 'invalid-header', JSON.stringify(k));
  }
  assert.equal(count('contacts'), before);
});

test('a change still being made is not made again: 409 with Retry-After', async () => {
  sqlite(db(), 'DELETE FROM idempotency');
  const key = { 'idempotency-key': 'slow-one' };
  const first = await as.hot.req('POST', V1 + '/contacts', call, key);
  assert.equal(first.status, 201);
  const before = count('contacts');
  // As when the first is still being made (or its server stopped before
  // it answered): the row is "running".
  sqlite(db(), 'UPDATE idempotency SET status = 0, answer = NULL');
  const busy = await as.hot.req('POST', V1 + '/contacts', call, key);
  assertProblem(busy, 409, 'in-progress');
  assert.match(busy.headers.get('retry-after') ?? '', /^\d+$/);
  assert.match(busy.json.detail, /still being made/);
  // Whatever the request: no one knows yet whether the first was made.
  assertProblem(await as.hot.req('POST', V1 + '/contacts', { ...call, notes: 'changed' }, key), 409, 'in-progress');
  sqlite(db(), 'UPDATE idempotency SET started = started - 3600');
  const stale = await as.hot.req('POST', V1 + '/contacts', call, key);
  assertProblem(stale, 409, 'in-progress');
  assert.match(stale.json.detail, /did not finish/);
  assert.equal(count('contacts'), before, 'never made twice');
});

test('a person registered twice with one key is one person; the replay shows the same record', async () => {
  const before = count('persons');
  const body = { given_name: 'Зарина', family_name: 'Ҷумъаева', gender: 'Feminine', birth_date: '1994-03-02' };
  const key = { 'idempotency-key': 'reg-1' };
  const first = await as.cw.req('POST', V1 + '/persons', body, key);
  assert.equal(first.status, 201, first.text);
  const again = await as.cw.req('POST', V1 + '/persons', body, key);
  assert.equal(again.status, 201);
  assert.deepEqual(again.json, first.json);
  assert.equal(count('persons'), before + 1);
  // A change with If-Match, sent twice: the second is the first's answer,
  // not a 412 for the version the first moved on.
  const patch = { 'idempotency-key': 'reg-1-patch', 'if-match': first.headers.get('etag') };
  const p1 = await as.cw.req('PATCH', `${V1}/persons/${first.json.id}`, { given_name: 'Zarina' }, patch);
  assert.equal(p1.status, 200, p1.text);
  const p2 = await as.cw.req('PATCH', `${V1}/persons/${first.json.id}`, { given_name: 'Zarina' }, patch);
  assert.equal(p2.status, 200, p2.text);
  assert.equal(p2.json.version, p1.json.version);
});

test('a replayed answer that shows sealed fields writes their read entries again', async () => {
  const p = await as.cw.req('POST', V1 + '/persons', { given_name: 'Fotima', family_name: 'Rahimova', gender: 'Feminine' });
  assert.equal(p.status, 201, p.text);
  // The supervisor changes the person: the answer shows the sealed names
  // it did not send, a read of them, audited.
  const reads = () => Number(sqlite(db(), `SELECT count(*) FROM audit_log WHERE action = 'read' AND record = 'persons/${p.json.id}' AND fields LIKE '%given_name%'`).trim());
  const settled = async (want) => {
    for (const end = Date.now() + 3000; reads() < want && Date.now() < end;) await new Promise((res) => setTimeout(res, 25));
    return reads();
  };
  const key = { 'idempotency-key': 'sup-change', 'if-match': p.headers.get('etag') };
  const n0 = reads();
  const first = await as.sup.req('PATCH', `${V1}/persons/${p.json.id}`, { gender: 'Masculine' }, key);
  assert.equal(first.status, 200, first.text);
  assert.equal(first.json.given_name, 'Fotima');
  const n1 = await settled(n0 + 1);
  assert.equal(n1, n0 + 1, 'the first answer read the sealed names');
  const again = await as.sup.req('PATCH', `${V1}/persons/${p.json.id}`, { gender: 'Masculine' }, key);
  assert.equal(again.headers.get('idempotent-replayed'), 'true');
  assert.equal(again.json.given_name, 'Fotima');
  assert.equal(await settled(n1 + 1), n1 + 1, 'the replay audits the read again');
});

test('the kept answers are sealed: no name or phone in clear in the table', async () => {
  const key = { 'idempotency-key': 'sealed-check' };
  const r = await as.hot.req('POST', V1 + '/contacts', { ...call, caller_kind: 'self', caller_phone: '+992935551234', notes: 'Canary-Idem-Note' }, key);
  assert.equal(r.status, 201, r.text);
  const hex = (c) => (pgUrlOf(srv.data) ? `encode(${c}, 'hex')` : `hex(${c})`);
  const dump = sqlite(db(), `SELECT ${hex('key')} || ${hex('request')} || ${hex('answer')} FROM idempotency`).toUpperCase();
  assert.ok(dump.length > 1000, 'the answers are there');
  for (const secret of ['935551234', 'Canary-Idem-Note', 'sealed-check', r.json.id]) {
    assert.ok(!dump.includes(Buffer.from(secret).toString('hex').toUpperCase()), secret);
  }
});

test('after a change of role the key names a new change, judged by the policy afresh', async () => {
  const body = { given_name: 'Нилуфар', family_name: 'Каримова' };
  const key = { 'idempotency-key': 'before-the-role-changed' };
  const first = await as.cw3.req('POST', V1 + '/persons', body, key);
  assert.equal(first.status, 201, first.text);
  const id = sqlite(db(), "SELECT id FROM users WHERE login = 'cw3'").trim();
  const r = await as.adm.req('POST', `${V1}/users/${id}/role`, { role: 'analyst' });
  assert.equal(r.status, 200, r.text);
  for (const end = Date.now() + 3000; Date.now() < end;) { // the auth cache: within a second
    const me = await as.cw3.req('GET', V1 + '/me');
    if (me.json?.user?.role === 'analyst') break;
    await new Promise((res) => setTimeout(res, 100));
  }
  const again = await as.cw3.req('POST', V1 + '/persons', body, key);
  assertProblem(again, 403, 'forbidden', 'an analyst registers no one, replay or not');
  assert.equal(again.headers.get('idempotent-replayed'), null);
});

test('a replay reads the record as it is now: after the case went to another organisation, nothing of it', async () => {
  const p = await as.cw.req('POST', V1 + '/persons', { given_name: 'Гулру', family_name: 'Назарова', birth_date: '1990-01-01' });
  assert.equal(p.status, 201, p.text);
  const key = { 'idempotency-key': 'before-transfer', 'if-match': p.headers.get('etag') };
  const first = await as.cw.req('PATCH', `${V1}/persons/${p.json.id}`, { district_of_origin: 'Kulob' }, key);
  assert.equal(first.status, 200, first.text);
  const a = await as.cw.req('POST', `${V1}/persons/${p.json.id}/consents`, { purpose: 'assistance', method: 'written' });
  assert.equal(a.status, 201, a.text);
  const c = await as.cw.req('POST', V1 + '/cases', { person_id: p.json.id });
  assert.equal(c.status, 201, c.text);
  const k = await as.cw.req('POST', `${V1}/persons/${p.json.id}/consents`, { purpose: 'referral', method: 'written', recipient_org: 'ngo2' });
  assert.equal(k.status, 201, k.text);
  const t = await as.cw.req('POST', `${V1}/cases/${c.json.id}/transfer`, { to_org: 'ngo2' });
  assert.equal(t.status, 201, t.text);
  const acc = await as['b.cw'].req('POST', `${V1}/referrals/${t.json.id}/accept`, {});
  assert.equal(acc.status, 200, acc.text);
  assert.equal((await as.cw.req('GET', `${V1}/persons/${p.json.id}`)).status, 404, 'gone from the first organisation');
  const again = await as.cw.req('PATCH', `${V1}/persons/${p.json.id}`, { district_of_origin: 'Kulob' }, key);
  assertProblem(again, 404, 'not-found', 'the replay shows nothing the caller cannot read now');
  assert.ok(!again.text.includes('Назарова') && !again.text.includes('1990-01-01'));
});

test('a PATCH replayed after someone else changed the record answers the record as it is now', async () => {
  const p = await as.cw.req('POST', V1 + '/persons', { given_name: 'Shahlo', family_name: 'Testova' });
  const key = { 'idempotency-key': 'patch-then-other', 'if-match': p.headers.get('etag') };
  const first = await as.cw.req('PATCH', `${V1}/persons/${p.json.id}`, { given_name: 'Shahlo2' }, key);
  assert.equal(first.status, 200, first.text);
  const other = await as.sup.req('PATCH', `${V1}/persons/${p.json.id}`, { family_name: 'Changed' }, { 'if-match': first.headers.get('etag') });
  assert.equal(other.status, 200, other.text);
  const again = await as.cw.req('PATCH', `${V1}/persons/${p.json.id}`, { given_name: 'Shahlo2' }, key);
  assert.equal(again.status, 200, again.text);
  assert.equal(again.headers.get('idempotent-replayed'), 'true');
  assert.equal(again.json.family_name, 'Changed');
  assert.equal(again.headers.get('etag'), other.headers.get('etag'));
});

test('an answer that is not a record is never kept: a one-time password is not given twice', async () => {
  const id = sqlite(db(), "SELECT id FROM users WHERE login = 'hot2'").trim();
  const key = { 'idempotency-key': 'reset-once' };
  const first = await as.adm.req('POST', `${V1}/users/${id}/reset-password`, {}, key);
  assert.equal(first.status, 200, first.text);
  const again = await as.adm.req('POST', `${V1}/users/${id}/reset-password`, {}, key);
  assertProblem(again, 409, 'already-made');
  assert.equal(again.headers.get('idempotent-replayed'), 'true');
  for (const v of Object.values(first.json)) if (typeof v === 'string' && v.length >= 8) assert.ok(!again.text.includes(v), 'no secret again');
});

test('a sign-out sent again with the same key signs out again (DELETE takes no key)', async () => {
  const c = new Client(srv.url);
  assert.equal((await c.login('sign-out', PW)).status, 200);
  assert.equal((await c.req('DELETE', V1 + '/session', undefined, { 'idempotency-key': 'bye' })).status, 204);
  assert.equal((await c.login('sign-out', PW)).status, 200);
  const second = await c.req('DELETE', V1 + '/session', undefined, { 'idempotency-key': 'bye' });
  assert.equal(second.status, 204);
  assert.equal(second.headers.get('idempotent-replayed'), null);
  assert.equal((await c.req('GET', V1 + '/me')).status, 401);
});

test('the key\'s header: spaces around it are not part of it; sent twice is refused', async () => {
  const first = await as.hot.req('POST', V1 + '/contacts', call, { 'idempotency-key': 'spaced' });
  assert.equal(first.status, 201);
  const spaced = await as.hot.req('POST', V1 + '/contacts', call, { 'idempotency-key': ' spaced\t' });
  assert.equal(spaced.json.id, first.json.id);
  const h = new Headers({ 'content-type': 'application/json', cookie: as.hot.cookie, 'x-csrf-token': as.hot.csrf });
  h.append('idempotency-key', 'one');
  h.append('idempotency-key', 'two');
  // fetch folds the two into "one, two": a comma is no part of a key
  const r = await fetch(srv.url + V1 + '/contacts', { method: 'POST', headers: h, body: JSON.stringify(call) });
  assert.equal(r.status, 400);
});

test('a referral sent twice with one key is one referral; an action sent again is already made, not made twice', async () => {
  const p = await as.cw.req('POST', V1 + '/persons', { given_name: 'Мунира', family_name: 'Раҷабова' });
  for (const purpose of ['assistance', 'referral']) {
    const k = await as.cw.req('POST', `${V1}/persons/${p.json.id}/consents`, { purpose, method: 'written' });
    assert.equal(k.status, 201, k.text);
  }
  const c = await as.cw.req('POST', V1 + '/cases', { person_id: p.json.id });
  assert.equal(c.status, 201, c.text);
  const body = { case_id: c.json.id, to_org: 'ngo2', service_type: 'legal', reason: 'needs a lawyer', share: ['gender'] };
  const key = { 'idempotency-key': 'refer-once' };
  const n = () => Number(sqlite(db(), `SELECT count(*) FROM referrals WHERE case_id = '${c.json.id}'`).trim());
  const first = await as.cw.req('POST', V1 + '/referrals', body, key);
  assert.equal(first.status, 201, first.text);
  assert.equal(first.headers.get('location'), `/api/v1/referrals/${first.json.id}`);
  const again = await as.cw.req('POST', V1 + '/referrals', body, key);
  assert.equal(again.status, 201, again.text);
  assert.equal(again.headers.get('idempotent-replayed'), 'true');
  assert.equal(again.json.id, first.json.id);
  assert.equal(n(), 1);
  const accept = { 'idempotency-key': 'accept-once' };
  const acc = await as['b.cw'].req('POST', `${V1}/referrals/${first.json.id}/accept`, {}, accept);
  assert.equal(acc.status, 200, acc.text);
  const acc2 = await as['b.cw'].req('POST', `${V1}/referrals/${first.json.id}/accept`, {}, accept);
  assertProblem(acc2, 409, 'already-made');
  assert.equal((await as['b.cw'].req('GET', `${V1}/referrals/${first.json.id}`)).json.status, 'accepted');
});

test('a question sent again with its key is asked again, never answered "already made"', async () => {
  const p = await as.cw.req('POST', V1 + '/persons', { given_name: 'Зулфия', family_name: 'Назарова', birth_date: '1994-06-02' });
  assert.equal(p.status, 201, p.text);
  for (const purpose of ['assistance', 'referral']) {
    const k = await as.cw.req('POST', `${V1}/persons/${p.json.id}/consents`, { purpose, method: 'written' });
    assert.equal(k.status, 201, k.text);
  }
  for (const path of [`/persons/${p.json.id}/known-elsewhere`, '/duplicates/scan']) {
    const key = { 'idempotency-key': 'ask-' + path.length };
    const first = await as.cw.req('POST', V1 + path, {}, key);
    assert.equal(first.status, 200, `${path}: ${first.text}`);
    const again = await as.cw.req('POST', V1 + path, {}, key);
    assert.equal(again.status, 200, `${path} again: ${again.text}`);
    assert.equal(again.headers.get('idempotent-replayed'), null, path);
    assert.deepEqual(Object.keys(again.json).sort(), Object.keys(first.json).sort(), path);
  }
  const doc = (await as.cw.req('GET', V1 + '/openapi.json')).json;
  const params = (op) => (op.parameters || []).map((x) => x.$ref || x.name).join(' ');
  assert.ok(!/IdempotencyKey/.test(params(doc.paths['/api/v1/persons/{id}/known-elsewhere'].post)));
  assert.ok(/IdempotencyKey/.test(params(doc.paths['/api/v1/persons'].post)));
});

test('a note sent twice with one key is one note, and a follow-up\'s change sent again answers the follow-up', async () => {
  const p = await as.cw.req('POST', V1 + '/persons', { given_name: 'Фарангис', family_name: 'Ашурова' });
  const k = await as.cw.req('POST', `${V1}/persons/${p.json.id}/consents`, { purpose: 'assistance', method: 'written' });
  assert.equal(k.status, 201, k.text);
  const c = await as.cw.req('POST', V1 + '/cases', { person_id: p.json.id });
  assert.equal(c.status, 201, c.text);
  const notes = () => Number(sqlite(db(), `SELECT count(*) FROM items WHERE case_id = '${c.json.id}' AND kind = 'note'`).trim());
  const key = { 'idempotency-key': 'note-once' };
  const body = { type: 'note', text: 'the employer keeps the passport' };
  const first = await as.cw.req('POST', `${V1}/cases/${c.json.id}/notes`, body, key);
  assert.equal(first.status, 201, first.text);
  const again = await as.cw.req('POST', `${V1}/cases/${c.json.id}/notes`, body, key);
  assert.equal(again.status, 201, again.text);
  assert.equal(again.headers.get('idempotent-replayed'), 'true');
  assert.equal(again.headers.get('location'), first.headers.get('location'));
  assert.deepEqual(again.json, first.json);
  assert.equal(notes(), 1);
  const fu = await as.cw.req('POST', `${V1}/cases/${c.json.id}/followups`, { due: '2027-01-15' });
  assert.equal(fu.status, 201, fu.text);
  const change = { 'idempotency-key': 'fu-done', 'if-match': `"${fu.json.version}"` };
  const done = await as.cw.req('PATCH', `${V1}/followups/${fu.json.id}`, { status: 'done' }, change);
  assert.equal(done.status, 200, done.text);
  const done2 = await as.cw.req('PATCH', `${V1}/followups/${fu.json.id}`, { status: 'done' }, change);
  assert.equal(done2.status, 200, done2.text);
  assert.equal(done2.headers.get('idempotent-replayed'), 'true');
  assert.equal(done2.json.version, done.json.version, 'changed once');
  assert.equal(done2.json.status, 'done');
});

test('a call saved with a callback and sent again is answered with its callback, booked once', async () => {
  const key = { 'idempotency-key': 'call-with-callback' };
  const body = { ...call, caller_phone: '+992 93 700 11 22', callback: { due: '2031-03-01T08:00:00Z' } };
  const n = () => Number(sqlite(db(), 'SELECT count(*) FROM callbacks').trim());
  const before = n();
  const first = await as.hot.req('POST', V1 + '/contacts', body, key);
  assert.equal(first.status, 201, first.text);
  assert.ok(first.json.callback?.id, first.text);
  const again = await as.hot.req('POST', V1 + '/contacts', body, key);
  assert.equal(again.status, 201, again.text);
  assert.equal(again.headers.get('idempotent-replayed'), 'true');
  assert.equal(again.json.callback?.id, first.json.callback.id, again.text);
  assert.equal(n(), before + 1);
});

// The creates that answered 201 without a Location (there was no GET of
// one of their records), so that sent again they were 409 already-made.
// Each now answers with the Location of a GET of one, which shows the
// record as its list does, to whom the list shows it.

const today = () => new Date().toISOString().slice(0, 10);

// POST body to path twice with one key: one record (the list, counted by
// count(), grows by one), the second answer that record read again at the
// first's Location.  The first answer.
async function madeOnce(who, path, body, key, count) {
  const before = await count();
  const first = await as[who].req('POST', V1 + path, body, { 'idempotency-key': key });
  assert.equal(first.status, 201, first.text);
  const loc = first.headers.get('location');
  assert.ok(loc && loc.endsWith('/' + first.json.id), `${path}: Location ${loc}`);
  const again = await as[who].req('POST', V1 + path, body, { 'idempotency-key': key });
  assert.equal(again.status, 201, `${path} again: ${again.text}`);
  assert.equal(again.headers.get('idempotent-replayed'), 'true');
  assert.equal(again.json.id, first.json.id);
  assert.equal(again.headers.get('location'), loc);
  assert.deepEqual(again.json, first.json);
  assert.equal(await count(), before + 1, `${path}: one record, not two`);
  return first;
}

// The GET of one at loc, as who: the record as it stands in items.
async function readAsListed(who, loc, items) {
  const one = await as[who].req('GET', loc);
  assert.equal(one.status, 200, `${who} ${loc}: ${one.text}`);
  const listed = items.find((x) => x.id === one.json.id);
  assert.ok(listed, `${loc}: in the list of ${who}`);
  assert.deepEqual(one.json, listed);
  return one;
}

test('an orientation session sent twice with one key is one session; its GET of one is the list\'s, for its organisation only', async () => {
  const list = async (who = 'cw') => (await as[who].req('GET', V1 + '/orientations')).json.items;
  const body = { date: '2026-11-10', place: 'Jamoat centre, Vose', region: 'TJ-KT', destination: 'RU', women: 23, men: 41 };
  const first = await madeOnce('cw', '/orientations', body, 'orientation-once', async () => (await list()).length);
  const loc = first.headers.get('location');
  assert.equal(loc, `${V1}/orientations/${first.json.id}`);
  const one = await readAsListed('cw', loc, await list());
  assert.equal(one.headers.get('etag'), '"1"');
  assertProblem(await as['b.cw'].req('GET', loc), 404, 'not-found', 'another organisation\'s');
  assertProblem(await as.hot.req('GET', loc), 404, 'not-found', 'a role that lists none');
});

test('a plan report sent twice with one key is one report; its GET of one is the plan\'s last report, for whoever reads the plan', async () => {
  const plan = {
    plan: 'idem-plan', coordinator: 'iom', title_en: 'Idempotency test plan',
    activities: [{ number: '1.1', text_en: 'Train the hotline', responsible: 'iom', deadline: '2031-12-31', target: 10 }],
  };
  const loaded = await as.sup.req('POST', V1 + '/plan', plan);
  assert.equal(loaded.status, 200, loaded.text);
  const activity = async (who = 'sup') => {
    const p = await as[who].req('GET', V1 + '/plan?plan=idem-plan');
    assert.equal(p.status, 200, p.text);
    return p.json.activities[0];
  };
  const a = await activity();
  const body = { period: '2026-H1', value: 4, note: 'four of ten trained' };
  const first = await madeOnce('sup', `/plan/activities/${a.id}/reports`, body, 'plan-report-once',
    async () => (await activity()).reports);
  const loc = first.headers.get('location');
  assert.equal(loc, `${V1}/plan/reports/${first.json.id}`);
  // The plan's only list of reports is each activity's newest.
  for (const who of ['sup', 'b.cw']) {
    const one = await as[who].req('GET', loc);
    assert.equal(one.status, 200, `${who}: ${one.text}`);
    assert.deepEqual(one.json, first.json);
    const { id, activity_id: of, created_at: at, ...shown } = one.json;
    assert.deepEqual(shown, (await activity(who)).last_report, who);
    assert.equal(of, a.id);
    assert.ok(id && at);
  }
  assertProblem(await as.hot.req('GET', loc), 404, 'not-found', 'a role that does not read the plan');
});

test('a shelter stay sent twice with one key is one stay; its GET of one is the shelter\'s list\'s, to the shelter\'s workers only', async () => {
  const s = await as.sup.req('POST', V1 + '/directory/services', { name: 'Idempotency shelter', type: 'shelter', capacity_max: 4 });
  assert.equal(s.status, 201, s.text);
  const p = await as.cw.req('POST', V1 + '/persons', { given_name: 'Малика', family_name: 'Саидова' });
  const k = await as.cw.req('POST', `${V1}/persons/${p.json.id}/consents`, { purpose: 'assistance', method: 'written' });
  assert.equal(k.status, 201, k.text);
  const c = await as.cw.req('POST', V1 + '/cases', { person_id: p.json.id });
  assert.equal(c.status, 201, c.text);
  const stays = `/directory/services/${s.json.id}/stays`;
  const list = async () => (await as.cw.req('GET', V1 + stays + '?all=1')).json.items;
  const body = { case_id: c.json.id, admitted_on: today(), admission_reason: 'safety' };
  const first = await madeOnce('cw', stays, body, 'stay-once', async () => (await list()).length);
  const loc = first.headers.get('location');
  assert.equal(loc, `${V1}/stays/${first.json.id}`);
  const one = await readAsListed('cw', loc, await list());
  assert.equal(one.headers.get('etag'), '"1"');
  assertProblem(await as['b.cw'].req('GET', loc), 404, 'not-found', 'another organisation\'s');
  // A role of the shelter's organisation that its list refuses (403).
  assertProblem(await as.hot.req('GET', V1 + stays), 403, 'forbidden');
  assertProblem(await as.hot.req('GET', loc), 403, 'forbidden');
});

test('a directory location sent twice with one key is one location; its GET of one is its service\'s, redacted for other organisations', async () => {
  const s = await as.sup.req('POST', V1 + '/directory/services', { name: 'Idempotency safe house', type: 'shelter', capacity_max: 2 });
  assert.equal(s.status, 201, s.text);
  const locations = async (who = 'sup') => (await as[who].req('GET', `${V1}/directory/services/${s.json.id}`)).json.locations;
  const address = 'Idem street 12, flat 3';
  const body = { kind: 'physical', name: 'The house', address, region: 'TJ-DU', city: 'Dushanbe' };
  const first = await madeOnce('sup', `/directory/services/${s.json.id}/locations`, body, 'location-once',
    async () => (await locations()).length);
  const loc = first.headers.get('location');
  assert.equal(loc, `${V1}/directory/locations/${first.json.id}`);
  // The service lists its locations without their service's id.
  for (const who of ['sup', 'b.sup']) {
    const one = await as[who].req('GET', loc);
    assert.equal(one.status, 200, `${who}: ${one.text}`);
    const { service_id: of, ...shown } = one.json;
    assert.equal(of, s.json.id);
    assert.deepEqual(shown, (await locations(who)).find((l) => l.id === one.json.id), who);
    assert.equal(one.headers.get('etag'), '"1"');
    assert.equal(one.text.includes(address), who === 'sup', `${who}: the shelter's address`);
  }
});

test('a caller flag sent twice with one key is one flag; its GET of one is the list\'s, for its organisation only', async () => {
  const phone = '+992 93 555 00 77';
  const list = async (who = 'hot') => (await as[who].req('GET', `${V1}/caller-flags?phone=${encodeURIComponent(phone)}`)).json.items;
  const body = { phone, flag: 'at_risk', until: today(), note: 'her brother may answer' };
  const first = await madeOnce('hot', '/caller-flags', body, 'flag-once', async () => (await list()).length);
  const loc = first.headers.get('location');
  assert.equal(loc, `${V1}/caller-flags/${first.json.id}`);
  await readAsListed('hot', loc, await list());
  await readAsListed('cw', loc, await list('cw'));
  assertProblem(await as['b.hot'].req('GET', loc), 404, 'not-found', 'another organisation\'s');
  assertProblem(await as.adm.req('GET', loc), 404, 'not-found', 'a role that lists no flags');
  // Past its date a flag is listed no more, nor read alone.
  sqlite(db(), `PRAGMA busy_timeout = 10000; UPDATE caller_flags SET until = '2020-01-01' WHERE id = '${first.json.id}'`);
  assert.equal((await list()).length, 0);
  assertProblem(await as.hot.req('GET', loc), 404, 'not-found', 'an expired flag');
});

test('a training participant sent twice with one key is one participant; its GET of one is the list\'s, for the training\'s readers only', async () => {
  const t = await as.sup.req('POST', V1 + '/trainings', { topic: 'Identifying victims', start: '2026-03-02', end: '2026-03-04', place: 'Khujand', organiser_org: 'iom' });
  assert.equal(t.status, 201, t.text);
  const path = `/trainings/${t.json.id}/participants`;
  const list = async () => (await as.sup.req('GET', V1 + path)).json.items;
  const body = { agency_type: 'LawEnforcement', sex: 'Feminine', role: 'police_officer', pre_score: 40, post_score: 70 };
  const first = await madeOnce('sup', path, body, 'participant-once', async () => (await list()).length);
  const loc = first.headers.get('location');
  assert.equal(loc, `${V1}/participants/${first.json.id}`);
  await readAsListed('sup', loc, await list());
  assertProblem(await as['b.sup'].req('GET', loc), 404, 'not-found', 'another organisation\'s training');
  assertProblem(await as.hot.req('GET', loc), 404, 'not-found', 'a role that reads no training');
});
