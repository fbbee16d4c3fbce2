// Hotline contacts, hostile: a non-data contact keeps no personal field
// even when sent (in the answer AND in the database), an anonymous
// contact works, the earlier-contacts lookup finds a number in any format,
// another organisation sees nothing (404) and finds nothing by number,
// caller flags expire, attach puts a contact on a case's timeline,
// If-Match and unknown fields, roles, the supervisor's figures, audit of
// PII reads, and no number or note in clear in the database or its WAL.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, signInAll } from '../lib/server.mjs';
import { assertProblem } from '../lib/hostile.mjs';
import { rawFiles, sqlite, poll } from '../lib/datadir.mjs';

const PW = 'call centre test password';
const orgs = [{ code: 'ngo2', name: 'NGO Two', type: 'NGO' }];
const users = [
  ['iom', 'hot', 'hotline'], ['iom', 'hot2', 'hotline'], ['iom', 'sup', 'supervisor'],
  ['iom', 'cw', 'caseworker'], ['iom', 'an', 'analyst'], ['iom', 'adm', 'admin'],
  ['ngo2', 'x.hot', 'hotline'], ['ngo2', 'x.sup', 'supervisor'], ['ngo2', 'x.cw', 'caseworker'],
].map(([org, login, role]) => ({ org, login, role, password: PW }));

const V1 = '/api/v1';
const PHONE = '+992 93 123 45 67';
const NOTE = 'Canary-note-Зарина-7731';
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
const day = (offset) => new Date(Date.now() + offset * 86400000).toISOString().slice(0, 10);

async function logContact(who, body, status = 201) {
  const r = await as[who].req('POST', V1 + '/contacts', body);
  assert.equal(r.status, status, 'contact: ' + r.text);
  return r.json;
}

test('a data contact is logged with its codes, sealed notes and number', async () => {
  const c = await logContact('hot', {
    channel: 'phone', call_type: 'data', caller_kind: 'relative', duration_s: 340, language: 'tg',
    caller_country: 'RU', caller_region: 'Moscow oblast', topics: ['job_offer_check', 'legal'],
    indicators: ['deception', 'retention_of_identity_documents'], action: 'info_given',
    notes: NOTE, caller_phone: PHONE, started_at: '2026-01-05T08:30:00Z',
  });
  assert.equal(c.version, 1);
  assert.equal(c.caller_phone, PHONE);
  assert.equal(c.notes, NOTE);
  assert.equal(c.operator, uid.hot);
  assert.deepEqual(c.topics, ['job_offer_check', 'legal']);
  const row = sqlite(db(), `SELECT channel, call_type, started_at, duration_s, topics, action,
    operator_id, phone_key IS NOT NULL, sealed IS NOT NULL FROM contacts WHERE id = '${c.id}'`).trim();
  assert.equal(row, `phone|data|2026-01-05T08:30:00Z|340| job_offer_check legal |info_given|${uid.hot}|1|1`);
  const coded = sqlite(db(), `SELECT coded FROM contacts WHERE id = '${c.id}'`);
  assert.ok(!coded.includes('Canary') && !coded.includes('123'), 'coded JSON holds no PII: ' + coded);
  const got = await as.hot.req('GET', `${V1}/contacts/${c.id}`);
  assert.equal(got.status, 200);
  assert.equal(got.headers.get('etag'), '"1"');
  assert.equal(got.json.notes, NOTE);
  assert.equal(got.json.caller_phone, PHONE);
  // The read of the PII is audited.
  const audited = await poll(() => sqlite(db(),
    `SELECT fields FROM audit_log WHERE action = 'read' AND record = 'contacts/${c.id}'`).trim());
  assert.match(audited, /notes/);
  assert.match(audited, /caller_phone/);
});

test('a non-data contact stores no personal field even when sent', async () => {
  for (const kind of ['silent', 'hang_up', 'wrong_number', 'test', 'abusive']) {
    const c = await logContact('hot', {
      channel: 'whatsapp', call_type: kind, duration_s: 12, language: 'ru', caller_kind: 'self',
      caller_country: 'TJ', caller_region: 'Sughd', topics: ['emergency'], indicators: ['isolation'],
      action: 'info_given', notes: NOTE + kind, caller_phone: '+992 90 555 44 33',
      kb_articles: ['a1'], callback: { due: '2030-01-01T10:00:00Z', safe_note: 'never' },
    });
    assert.deepEqual(Object.keys(c).sort(),
      ['call_type', 'channel', 'created_at', 'duration_s', 'id', 'language', 'operator', 'started_at',
        'updated_at', 'version'], kind);
    const row = sqlite(db(), `SELECT sealed IS NULL, phone_key IS NULL, case_id IS NULL,
      person_id IS NULL, action IS NULL, topics, coded FROM contacts WHERE id = '${c.id}'`).trim();
    const [noSeal, noKey, noCase, noPerson, noAction, topics, coded] = row.split('|');
    assert.deepEqual([noSeal, noKey, noCase, noPerson, noAction, topics], ['1', '1', '1', '1', '1', ' '], kind);
    assert.deepEqual(Object.keys(JSON.parse(coded)).sort(),
      ['call_type', 'channel', 'duration_s', 'language', 'operator', 'started_at'], kind);
    const got = await as.hot.req('GET', `${V1}/contacts/${c.id}`);
    assert.equal(got.json.notes, undefined);
    assert.equal(got.json.caller_phone, undefined);
  }
  // No callback was booked for any of them.
  assert.equal(sqlite(db(), 'SELECT count(*) FROM callbacks').trim(), '0');
  // Nor can personal details be added to one later.
  const c = await logContact('hot', { channel: 'phone', call_type: 'hang_up' });
  const p = await as.hot.req('PATCH', `${V1}/contacts/${c.id}`, { notes: 'x' }, { 'if-match': '"1"' });
  assertProblem(p, 422, 'invalid-value');
  const ok = await as.hot.req('PATCH', `${V1}/contacts/${c.id}`, { duration_s: 3 }, { 'if-match': '"1"' });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.json.duration_s, 3);
});

test('an anonymous contact needs only channel and call type', async () => {
  const c = await logContact('hot', { channel: 'telegram', call_type: 'data' });
  assert.equal(c.caller_kind, 'anonymous');
  assert.match(c.started_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.equal(c.caller_phone, undefined);
  assert.equal(sqlite(db(), `SELECT sealed IS NULL, phone_key IS NULL FROM contacts WHERE id = '${c.id}'`).trim(), '1|1');
  await logContact('hot', { channel: 'telegram' }, 422);
  await logContact('hot', { channel: 'pigeon', call_type: 'data' }, 422);
  await logContact('hot', { channel: 'phone', call_type: 'data', started_at: '2999-01-01T00:00:00Z' }, 422);
  await logContact('hot', { channel: 'phone', call_type: 'data', started_at: '2026-13-01T00:00:00Z' }, 422);
});

test('a refused contact names the field at fault, for the form to mark', async () => {
  const cases = [
    [{ channel: 'pigeon', call_type: 'data' }, 'channel'],
    [{ channel: 'phone', call_type: 'data', caller_phone: '12' }, 'caller_phone'],
    [{ channel: 'phone', call_type: 'data', callback: { due: '2031-05-02T09:00:00Z' } }, 'caller_phone'],
  ];
  for (const [body, field] of cases) {
    const r = await as.hot.req('POST', `${V1}/contacts`, body);
    assertProblem(r, 422);
    assert.equal(r.json.field, field, r.text);
  }
});

test('the earlier contacts of a number are found whatever its format', async () => {
  const number = '93 777 12 34';
  const first = await logContact('hot', { channel: 'phone', call_type: 'data', caller_phone: '+992 93 777 12 34',
    topics: ['safe_migration'], action: 'info_given', started_at: '2026-02-01T09:00:00Z' });
  const second = await logContact('hot2', { channel: 'viber', call_type: 'data', caller_phone: '0937771234',
    topics: ['exploitation_report'], action: 'referred', started_at: '2026-03-01T09:00:00Z' });
  await logContact('hot', { channel: 'phone', call_type: 'data', caller_phone: '+992 93 777 12 35' });
  for (const typed of ['+992 93 777 12 34', '992937771234', '93-777-12-34', '0937771234', '(93) 777-1234',
    '00992937771234', number]) {
    const r = await as.hot.req('GET', `${V1}/contacts?phone=${encodeURIComponent(typed)}`);
    assert.equal(r.status, 200, typed + ': ' + r.text);
    assert.deepEqual(r.json.items.map((i) => i.id), [second.id, first.id], typed);
    assert.equal(r.json.summary.count, 2);
    assert.equal(r.json.summary.first, '2026-02-01T09:00:00Z');
    assert.equal(r.json.summary.last, '2026-03-01T09:00:00Z');
    assert.deepEqual(r.json.summary.topics.sort(), ['exploitation_report', 'safe_migration']);
    assert.equal(r.json.summary.last_action, 'referred');
    assert.deepEqual(r.json.flags, []);
    assert.equal(r.json.next, null);
    for (const it of r.json.items) {
      assert.equal(it.caller_phone, undefined, 'a list never shows the number');
      assert.equal(it.notes, undefined);
    }
  }
  // The three spellings of one number.
  for (const typed of ['+992 93 123 45 67', '992931234567', '93-123-45-67']) {
    const r = await as.hot.req('GET', `${V1}/contacts?phone=${encodeURIComponent(typed)}`);
    assert.equal(r.json.summary.count, 1, typed);
  }
  const none = await as.hot.req('GET', `${V1}/contacts?phone=${encodeURIComponent('+992 00 000 00 00')}`);
  assert.deepEqual([none.json.items, none.json.summary.count, none.json.summary.first,
    none.json.summary.last_action], [[], 0, null, null]);
  assertProblem(await as.hot.req('GET', `${V1}/contacts?phone=abc`), 422, 'invalid-value');
  assertProblem(await as.hot.req('GET', `${V1}/contacts?phone=${'9'.repeat(40)}`), 422, 'invalid-value');
  // The caseworker reads contacts too; the lookup is audited.
  const cw = await as.cw.req('GET', `${V1}/contacts?phone=992937771234`);
  assert.equal(cw.json.summary.count, 2);
  const audited = await poll(() => sqlite(db(),
    `SELECT count(*) FROM audit_log WHERE action = 'read' AND record LIKE 'phones/%' AND fields = 'caller_phone' AND user_id = '${uid.cw}'`).trim() !== '0');
  assert.ok(audited);
});

test("another organisation's hotline sees none of these contacts, nor finds them by number", async () => {
  const c = await logContact('hot', { channel: 'phone', call_type: 'data', caller_phone: PHONE, notes: NOTE });
  for (const who of ['x.hot', 'x.sup', 'x.cw']) {
    assertProblem(await as[who].req('GET', `${V1}/contacts/${c.id}`), 404, 'not-found', who);
    assertProblem(await as[who].req('PATCH', `${V1}/contacts/${c.id}`, { notes: 'mine' }, { 'if-match': '"1"' }),
      404, 'not-found', who);
    assertProblem(await as[who].req('POST', `${V1}/contacts/${c.id}/attach`, { case_id: 'a'.repeat(26) }),
      404, 'not-found', who);
    for (const typed of [PHONE, '992931234567', '93-123-45-67']) {
      const r = await as[who].req('GET', `${V1}/contacts?phone=${encodeURIComponent(typed)}`);
      assert.equal(r.status, 200);
      assert.equal(r.json.summary.count, 0, who + ' ' + typed);
    }
    const list = await as[who].req('GET', `${V1}/contacts`);
    assert.equal(list.json.items.length, 0, who);
  }
  // Their own contact of the same number stays theirs.
  await logContact('x.hot', { channel: 'phone', call_type: 'data', caller_phone: PHONE });
  const mine = await as.hot.req('GET', `${V1}/contacts?phone=992931234567`);
  assert.ok(mine.json.items.every((i) => i.operator !== uid['x.hot']));
  const theirs = await as['x.hot'].req('GET', `${V1}/contacts?phone=992931234567`);
  assert.equal(theirs.json.summary.count, 1);
});

test('roles: analysts and admins do not see contacts; a caseworker reads but does not log', async () => {
  const c = await logContact('hot', { channel: 'phone', call_type: 'data' });
  for (const who of ['an', 'adm']) {
    assertProblem(await as[who].req('POST', V1 + '/contacts', { channel: 'phone', call_type: 'data' }), 404, 'not-found');
    assertProblem(await as[who].req('GET', `${V1}/contacts/${c.id}`), 404, 'not-found');
    assertProblem(await as[who].req('GET', `${V1}/contacts?phone=992931234567`), 404, 'not-found');
    assertProblem(await as[who].req('GET', `${V1}/contacts/stats`), 404, 'not-found');
    assertProblem(await as[who].req('GET', `${V1}/caller-flags?phone=992931234567`), 404, 'not-found');
  }
  assertProblem(await as.cw.req('POST', V1 + '/contacts', { channel: 'phone', call_type: 'data' }), 403, 'forbidden');
  assert.equal((await as.cw.req('GET', `${V1}/contacts/${c.id}`)).status, 200);
  assertProblem(await as.cw.req('PATCH', `${V1}/contacts/${c.id}`, { duration_s: 1 }, { 'if-match': '"1"' }), 403, 'forbidden');
  assertProblem(await as.hot.req('GET', `${V1}/contacts/stats`), 403, 'forbidden');
  // Unauthenticated.
  const anon = new Client(srv.url);
  assertProblem(await anon.req('GET', `${V1}/contacts?phone=992931234567`), 401, 'unauthenticated');
});

test('PATCH needs If-Match, refuses a stale one, unknown and read-only fields', async () => {
  const c = await logContact('hot', { channel: 'phone', call_type: 'data', caller_phone: '93 100 20 30' });
  assertProblem(await as.hot.req('PATCH', `${V1}/contacts/${c.id}`, { notes: 'a' }), 428, 'precondition-required');
  const ok = await as.hot.req('PATCH', `${V1}/contacts/${c.id}`,
    { notes: 'he will call again', topics: ['legal'], action: 'referred' }, { 'if-match': '"1"' });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.json.version, 2);
  assert.equal(ok.json.notes, 'he will call again');
  assert.equal(ok.headers.get('etag'), '"2"');
  assert.equal(sqlite(db(), `SELECT topics, action FROM contacts WHERE id = '${c.id}'`).replace(/\n$/, ''), ' legal |referred');
  assertProblem(await as.hot.req('PATCH', `${V1}/contacts/${c.id}`, { notes: 'lost' }, { 'if-match': '"1"' }),
    412, 'version-conflict');
  assertProblem(await as.hot.req('PATCH', `${V1}/contacts/${c.id}`, { nickname: 'x' }, { 'if-match': '"2"' }),
    422, 'unknown-field');
  assertProblem(await as.hot.req('PATCH', `${V1}/contacts/${c.id}`, { operator: uid.hot2 }, { 'if-match': '"2"' }),
    422, 'read-only-field');
  assertProblem(await as.hot.req('PATCH', `${V1}/contacts/${c.id}`, { topics: ['gossip'] }, { 'if-match': '"2"' }),
    422, 'invalid-value');
  assertProblem(await as.hot.req('PATCH', `${V1}/contacts/${c.id}`, '{"notes":"a","notes":"b"}', { 'if-match': '"2"' }),
    400, 'invalid-json');
  assertProblem(await as.hot.req('PATCH', `${V1}/contacts/${c.id}`, { notes: 'x'.repeat(10 * 1024 * 1024) },
    { 'if-match': '"2"' }), 413, 'body-too-large');
  // Removing the number takes its blind index away with it.
  const rm = await as.hot.req('PATCH', `${V1}/contacts/${c.id}`, { caller_phone: null }, { 'if-match': '"2"' });
  assert.equal(rm.status, 200, rm.text);
  assert.equal(sqlite(db(), `SELECT phone_key IS NULL FROM contacts WHERE id = '${c.id}'`).trim(), '1');
  const gone = await as.hot.req('GET', `${V1}/contacts?phone=931002030`);
  assert.equal(gone.json.summary.count, 0);
});

test('creation refuses unknown fields, bad numbers, foreign cases and malformed bodies', async () => {
  assertProblem(await as.hot.req('POST', V1 + '/contacts', { channel: 'phone', call_type: 'data', name: 'Ali' }),
    422, 'unknown-field');
  assertProblem(await as.hot.req('POST', V1 + '/contacts', { channel: 'phone', call_type: 'data', caller_phone: '12' }),
    422, 'invalid-value');
  assertProblem(await as.hot.req('POST', V1 + '/contacts', { channel: 'phone', call_type: 'data',
    case_id: 'a'.repeat(26) }), 422, 'invalid-value');
  assertProblem(await as.hot.req('POST', V1 + '/contacts', { channel: 'phone', call_type: 'data',
    notes: 'n'.repeat(4001) }), 422, 'invalid-value');
  assertProblem(await as.hot.req('POST', V1 + '/contacts', '{"channel":"phone",'), 400, 'invalid-json');
  assertProblem(await as.hot.req('POST', V1 + '/contacts', 'channel=phone', { 'content-type': 'text/plain' }),
    415, 'unsupported-media-type');
  assertProblem(await as.hot.req('POST', V1 + '/contacts', { channel: 'phone', call_type: 'data',
    callback: { due: '2030-01-01T10:00:00Z' } }), 422, 'missing-field');
  assertProblem(await as.hot.req('POST', V1 + '/contacts', { channel: 'phone', call_type: 'data',
    caller_phone: PHONE, callback: { due: 'tomorrow' } }), 422, 'invalid-value');
  assertProblem(await as.hot.req('POST', V1 + '/contacts', { channel: 'phone', call_type: 'data',
    caller_phone: PHONE, callback: { due: '2030-01-01T10:00:00Z', outcome: 'reached' } }), 422, 'invalid-value');
});

test('a contact with a callback books it in the queue', async () => {
  const c = await logContact('hot', { channel: 'phone', call_type: 'data', caller_phone: '93 444 55 66',
    callback: { due: '2030-01-02T13:00:00Z', safe_note: 'only after 18:00, not the husband', language: 'tg' } });
  assert.equal(c.action, 'callback_booked');
  assert.equal(c.callback.contact_id, c.id);
  assert.equal(c.callback.safe_note, 'only after 18:00, not the husband');
  assert.equal(c.callback.phone_masked, '•••• 55 66');
  assert.equal(c.callback.state, 'open');
  assert.equal(c.callback.phone, undefined);
  const q = await as.hot2.req('GET', V1 + '/callbacks?state=all');
  assert.ok(q.json.items.some((i) => i.id === c.callback.id));
});

test('attach puts a contact on the timeline of a case of the same organisation', async () => {
  const p = await as.cw.req('POST', V1 + '/persons', { given_name: 'Нигина', family_name: 'Шарипова' });
  assert.equal(p.status, 201, p.text);
  assert.equal((await as.cw.req('POST', `${V1}/persons/${p.json.id}/consents`,
    { purpose: 'assistance', method: 'verbal_witnessed' })).status, 201);
  const k = await as.cw.req('POST', V1 + '/cases', { person_id: p.json.id });
  assert.equal(k.status, 201, k.text);
  const c = await logContact('hot', { channel: 'phone', call_type: 'data', topics: ['exploitation_report'],
    indicators: ['debt_bondage'], notes: NOTE });
  const a = await as.hot.req('POST', `${V1}/contacts/${c.id}/attach`, { case_id: k.json.id });
  assert.equal(a.status, 200, a.text);
  assert.equal(a.json.case_id, k.json.id);
  assert.equal(a.json.person_id, p.json.id);
  assert.equal(a.json.action, 'attached_to_case');
  assert.equal(a.json.version, 2);
  const tl = await as.cw.req('GET', `${V1}/cases/${k.json.id}/timeline`);
  const ev = tl.json.items.find((i) => i.kind === 'contact');
  assert.ok(ev, 'on the timeline: ' + tl.text);
  assert.equal(ev.type, 'contact');
  assert.equal(ev.data.contact_id, c.id);
  assert.deepEqual(ev.data.topics, ['exploitation_report']);
  assert.equal(ev.data.notes, undefined, 'the timeline carries no notes');
  assertProblem(await as.hot.req('POST', `${V1}/contacts/${c.id}/attach`, { case_id: k.json.id }), 409, 'conflict');
  // Hostile: unknown field, a case of nowhere, a case of another organisation, a non-data contact.
  assertProblem(await as.hot.req('POST', `${V1}/contacts/${c.id}/attach`, { case_id: k.json.id, x: 1 }), 422, 'unknown-field');
  assertProblem(await as.hot.req('POST', `${V1}/contacts/${c.id}/attach`, {}), 422, 'missing-field');
  const xp = await as['x.cw'].req('POST', V1 + '/persons', { given_name: 'Бахтиёр' });
  await as['x.cw'].req('POST', `${V1}/persons/${xp.json.id}/consents`, { purpose: 'assistance', method: 'written' });
  const xk = await as['x.cw'].req('POST', V1 + '/cases', { person_id: xp.json.id });
  assert.equal(xk.status, 201);
  const c2 = await logContact('hot', { channel: 'phone', call_type: 'data' });
  assertProblem(await as.hot.req('POST', `${V1}/contacts/${c2.id}/attach`, { case_id: xk.json.id }), 422, 'invalid-value');
  const silent = await logContact('hot', { channel: 'phone', call_type: 'silent' });
  assertProblem(await as.hot.req('POST', `${V1}/contacts/${silent.id}/attach`, { case_id: k.json.id }), 409,
    'invalid-transition');
  // A contact created with a case_id of the organisation links it too.
  const linked = await logContact('hot', { channel: 'phone', call_type: 'data', case_id: k.json.id });
  assert.equal(linked.case_id, k.json.id);
  // A contact about one person does not go onto another person's case.
  const other = await as.cw.req('POST', V1 + '/persons', { given_name: 'Зарина', family_name: 'Ҳасанова' });
  assert.equal(other.status, 201, other.text);
  const about = await logContact('hot', { channel: 'phone', call_type: 'data', person_id: other.json.id });
  assertProblem(await as.hot.req('POST', `${V1}/contacts/${about.id}/attach`, { case_id: k.json.id }), 409, 'conflict');
  const still = await as.hot.req('GET', `${V1}/contacts/${about.id}`);
  assert.equal(still.json.case_id ?? null, null, 'nothing changed');
});

test('caller flags are shown until their date only', async () => {
  const number = '+992 91 222 33 44';
  const f = await as.hot.req('POST', V1 + '/caller-flags', { phone: number, flag: 'at_risk', until: day(0),
    note: 'husband may answer' });
  assert.equal(f.status, 201, f.text);
  assert.equal(f.json.flag, 'at_risk');
  const f2 = await as.hot.req('POST', V1 + '/caller-flags', { phone: '912223344', flag: 'safe_hours_only',
    until: day(30) });
  assert.equal(f2.status, 201, f2.text);
  assertProblem(await as.hot.req('POST', V1 + '/caller-flags', { phone: number, flag: 'at_risk', until: day(-1) }),
    422, 'invalid-value');
  assertProblem(await as.hot.req('POST', V1 + '/caller-flags', { phone: number, flag: 'vip', until: day(1) }),
    422, 'invalid-value');
  assertProblem(await as.hot.req('POST', V1 + '/caller-flags', { phone: number, flag: 'at_risk', until: day(1), x: 1 }),
    422, 'unknown-field');
  assertProblem(await as.cw.req('POST', V1 + '/caller-flags', { phone: number, flag: 'at_risk', until: day(1) }),
    403, 'forbidden');
  let r = await as.hot.req('GET', `${V1}/caller-flags?phone=${encodeURIComponent('0912223344')}`);
  assert.deepEqual(r.json.items.map((i) => i.flag).sort(), ['at_risk', 'safe_hours_only']);
  assert.equal(r.json.items.find((i) => i.flag === 'at_risk').note, 'husband may answer');
  const lookup = await as.hot.req('GET', `${V1}/contacts?phone=${encodeURIComponent('91-222-33-44')}`);
  assert.equal(lookup.json.flags.length, 2);
  // Another organisation does not see them.
  r = await as['x.hot'].req('GET', `${V1}/caller-flags?phone=912223344`);
  assert.deepEqual(r.json.items, []);
  // A flag whose date has passed is no longer shown (its date moved back in the database).
  // (The server may be writing: wait for the lock rather than fail.)
  sqlite(db(), `PRAGMA busy_timeout = 10000; UPDATE caller_flags SET until = '${day(-1)}' WHERE id = '${f.json.id}'`);
  r = await as.hot.req('GET', `${V1}/caller-flags?phone=912223344`);
  assert.deepEqual(r.json.items.map((i) => i.flag), ['safe_hours_only']);
  assertProblem(await as.hot.req('GET', `${V1}/caller-flags`), 422, 'missing-field');
  // The note is sealed.
  assert.ok(!rawHas('husband may answer'));
});

test('list by period, paged newest first', async () => {
  for (let i = 0; i < 5; i++)
    await logContact('hot2', { channel: 'email', call_type: 'data', started_at: `2025-06-0${i + 1}T10:00:00Z` });
  const seen = [];
  let cursor = '';
  for (let page = 0; page < 10; page++) {
    const r = await as.hot.req('GET', `${V1}/contacts?from=2025-06-01&to=2025-06-05&limit=2${cursor}`);
    assert.equal(r.status, 200, r.text);
    seen.push(...r.json.items.map((i) => i.started_at));
    if (!r.json.next) break;
    cursor = '&cursor=' + encodeURIComponent(r.json.next);
  }
  assert.deepEqual(seen, ['2025-06-05T10:00:00Z', '2025-06-04T10:00:00Z', '2025-06-03T10:00:00Z',
    '2025-06-02T10:00:00Z', '2025-06-01T10:00:00Z']);
  assertProblem(await as.hot.req('GET', `${V1}/contacts?from=yesterday`), 422, 'invalid-value');
  assertProblem(await as.hot.req('GET', `${V1}/contacts?cursor=nonsense`), 422, 'invalid-value');
  // A period that ends before it begins is refused, not answered "no calls".
  assertProblem(await as.hot.req('GET', `${V1}/contacts?from=2026-12-01&to=2026-01-01`), 422, 'invalid-value');
  assertProblem(await as.hot.req('GET', `${V1}/contacts?limit=0`), 422, 'invalid-value');
});

test("the supervisor's figures count contacts by day, channel, topic, type and action", async () => {
  const r = await as.sup.req('GET', `${V1}/contacts/stats?from=2025-06-01&to=2025-06-07`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.from, '2025-06-01');
  assert.equal(r.json.to, '2025-06-07');
  assert.equal(r.json.total, 5);
  assert.equal(r.json.by_day.length, 7);
  assert.deepEqual(r.json.by_day.slice(0, 2), [{ day: '2025-06-01', count: 1 }, { day: '2025-06-02', count: 1 }]);
  assert.equal(r.json.by_day[6].count, 0);
  assert.equal(r.json.by_channel.email, 5);
  assert.equal(r.json.by_channel.phone, 0);
  assert.equal(r.json.by_call_type.data, 5);
  assert.ok('callbacks' in r.json && 'overdue' in r.json.callbacks);
  const all = await as.sup.req('GET', `${V1}/contacts/stats`);
  assert.equal(all.status, 200);
  assert.equal(all.json.by_day.length, 30);
  const nonData = ['silent', 'hang_up', 'wrong_number', 'test', 'abusive'].reduce((s, k) => s + all.json.by_call_type[k], 0);
  assert.ok(nonData >= 6 && all.json.by_call_type.silent >= 2, JSON.stringify(all.json.by_call_type));
  assert.ok(all.json.by_topic.exploitation_report >= 1);
  // Another organisation's supervisor counts only their own.
  const x = await as['x.sup'].req('GET', `${V1}/contacts/stats?from=2025-06-01&to=2025-06-07`);
  assert.equal(x.json.total, 0);
  assertProblem(await as.sup.req('GET', `${V1}/contacts/stats?from=2025-06-08&to=2025-06-01`), 422, 'invalid-value');
  assertProblem(await as.sup.req('GET', `${V1}/contacts/stats?from=2020-01-01&to=2025-06-01`), 422, 'invalid-value');
});

function rawHas(text) {
  const files = rawFiles(srv.data);
  const needle = Buffer.from(text, 'utf8');
  return Object.values(files).some((b) => b.includes(needle));
}

test('a grep of the database and its WAL finds no number and no note', async () => {
  for (const s of [NOTE, '931234567', '93 123 45 67', '937771234', '93 777 12 34', '+992 93', 'he will call again',
    'only after 18:00', 'Moscow oblast'])
    assert.ok(!rawHas(s), `found in clear: ${s}`);
});
