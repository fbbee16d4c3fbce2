// A hostile review of the hotline desk, the knowledge base, the public
// pages, reports, exports and trainings, over `himoya demo` data: users of
// other organisations and of the wrong roles try to read, change, attach,
// list and look up what is not theirs (every answer 404 where the record
// is not theirs, indistinguishable from an id that does not exist); the
// public form is sent every kind of malformed, replayed and forged input
// and must answer the same bytes each time; knowledge-base text is tried
// as HTML; reports are tried for small cells and differencing; exports
// for roles and formulas.  Every refused request must be an
// application/problem+json answer and change nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { Client, initArgs } from '../lib/server.mjs';
import { assertProblem, makeToken, rawRequest, asFetchLike } from '../lib/hostile.mjs';
import { run, tempDir, serveDir, sqlite, sleep, poll } from '../lib/datadir.mjs';

const PW = 'himoya-demo-2026';
const V1 = '/api/v1';
const PUBLIC = V1 + '/public/callback-requests';
let dir, data, srv;
const as = {};

const db = () => join(data, 'himoya.db');
const q1 = (sql) => sqlite(db(), sql).trim();
const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
// The server's day: the demo's folder keeps the programme's zone,
// Asia/Dushanbe (UTC+5 all year), so that from 19:00 UTC on its day is
// already tomorrow's (a flag "until today" was refused then).
const today = () => new Date(Date.now() + 5 * 3600e3).toISOString().slice(0, 10);

async function signIn(login) {
  const c = new Client(srv.url);
  const r = await c.login(login, PW);
  assert.equal(r.status, 200, login + ': ' + r.text);
  as[login] = c;
  return c;
}

// The rows of the tables an attack could change, to compare before/after.
function counts() {
  return q1('SELECT (SELECT count(*) FROM contacts), (SELECT count(*) FROM callbacks),' +
    ' (SELECT count(*) FROM caller_flags), (SELECT count(*) FROM kb_history), (SELECT count(*) FROM trainings),' +
    ' (SELECT count(*) FROM training_participants), (SELECT count(*) FROM items),' +
    ' (SELECT sum(version) FROM contacts), (SELECT sum(version) FROM callbacks),' +
    " (SELECT sum(version) FROM kb_articles), (SELECT count(*) FROM audit WHERE action <> 'reads')");
}

before(async () => {
  dir = tempDir('himoya-hostile-');
  data = join(dir, 'demo');
  const r = run(['demo', '--data', data, ...initArgs(), '--persons', '250', '--seed', '23'], { timeout: 120000 });
  assert.equal(r.code, 0, r.err);
  // The demo has hotline operators and a trainer at IOM only: give another
  // organisation its own.
  for (const [login, org, role] of [['ozod.hotline', 'ngo-ozod', 'hotline'], ['ozod.trainer', 'ngo-ozod', 'trainer'],
    ['ozod.analyst', 'ngo-ozod', 'analyst']]) {
    const u = run(['user', 'add', '--data', data, '--org', org, '--login', login, '--role', role, '--password-stdin'],
      { input: PW + '\n' });
    assert.equal(u.code, 0, u.err);
  }
  srv = await serveDir(data);
  for (const login of ['hotline', 'supervisor', 'caseworker', 'analyst', 'trainer', 'admin', 'ozod.hotline',
    'ozod.trainer', 'ozod.analyst', 'ngo.supervisor', 'ngo.worker', 'police.focal'])
    await signIn(login);
});

after(async () => {
  if (srv) await srv.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

// ---- contacts, callbacks, caller flags across organisations ---------------------

const PHONE = '+992 93 777 12 34';
const OTHERS = ['ozod.hotline', 'ngo.supervisor', 'ngo.worker', 'police.focal', 'analyst', 'trainer', 'admin',
  'ozod.analyst', 'ozod.trainer'];

test('another organisation, or a role without the right, cannot reach IOM\'s contacts, callbacks or flags', async () => {
  const hot = as.hotline;
  const c = await hot.req('POST', V1 + '/contacts', {
    channel: 'phone', call_type: 'data', caller_phone: PHONE, notes: 'husband is the recruiter',
    topics: ['exploitation_report'], callback: { due: iso(Date.now() + 3600e3), safe_note: 'not the husband' },
  });
  assert.equal(c.status, 201, c.text);
  const flag = await hot.req('POST', V1 + '/caller-flags', { phone: PHONE, flag: 'at_risk', until: today(),
    note: 'threatened' });
  assert.equal(flag.status, 201, flag.text);
  const cbId = c.json.callback.id;
  const ozodCase = q1("SELECT c.id FROM cases c JOIN orgs o ON o.id = c.org_id WHERE o.code = 'ngo-ozod' LIMIT 1");
  assert.ok(ozodCase, 'a case of NGO Ozod');
  const guess = '0'.repeat(c.json.id.length);
  const before = counts();

  for (const who of OTHERS) {
    const u = as[who];
    const tries = [
      ['GET', `/contacts/${c.json.id}`], ['GET', `/contacts/${guess}`],
      ['PATCH', `/contacts/${c.json.id}`, { notes: 'x' }, { 'if-match': '"1"' }],
      ['POST', `/contacts/${c.json.id}/attach`, { case_id: ozodCase }],
      ['GET', `/callbacks/${cbId}`], ['GET', `/callbacks/${guess}`],
      ['PATCH', `/callbacks/${cbId}`, { done: true }, { 'if-match': '"1"' }],
    ];
    const bodies = {};
    for (const [m, p, b, h] of tries) {
      const r = await u.req(m, V1 + p, b, h);
      assertProblem(r, 404, 'not-found', `${who} ${m} ${p}`);
      assert.ok(!r.text.includes('777') && !r.text.includes('husband'), `${who} ${p}: no leak`);
      const key = m + ' ' + p.split('/')[1];
      (bodies[key] ||= new Set()).add(r.text.replace(/"instance":"[^"]*",?/, ''));
    }
    // A real id of another organisation and an id that never existed answer alike.
    for (const [key, set] of Object.entries(bodies))
      assert.equal(set.size, 1, `${who} ${key}: one answer for a foreign and a made-up id ${[...set]}`);
    // The lookup by number finds nothing of IOM's (when the role may look up at all).
    for (const fmt of [PHONE, '992937771234', '93-777-12-34']) {
      const look = await u.req('GET', `${V1}/contacts?phone=${encodeURIComponent(fmt)}`);
      if (look.status === 200) {
        assert.equal(look.json.summary.count, 0, `${who}: no earlier contacts`);
        assert.deepEqual(look.json.flags, [], `${who}: no flags`);
      } else {
        assertProblem(look, 404, 'not-found', `${who} lookup`);
      }
      const flags = await u.req('GET', `${V1}/caller-flags?phone=${encodeURIComponent(fmt)}`);
      if (flags.status === 200) assert.deepEqual(flags.json.items, [], `${who}: no flags`);
      else assertProblem(flags, 404, 'not-found', `${who} flags`);
    }
    const list = await u.req('GET', V1 + '/contacts?limit=200');
    if (list.status === 200) assert.ok(!list.json.items.some((i) => i.id === c.json.id), `${who}: not listed`);
    else assertProblem(list, 404, 'not-found', `${who} list`);
    const cbs = await u.req('GET', V1 + '/callbacks?state=all&limit=200');
    if (cbs.status === 200) assert.ok(!cbs.json.items.some((i) => i.id === cbId), `${who}: callback not listed`);
    else assertProblem(cbs, 404, 'not-found', `${who} callbacks`);
    // Booking a callback on IOM's contact, or flagging through it.
    const book = await u.req('POST', V1 + '/callbacks', { contact_id: c.json.id, due: iso(Date.now() + 7200e3) });
    assert.ok([404, 422].includes(book.status), `${who} books on a foreign contact: ${book.status}`);
    assertProblem(book, book.status);
    assert.ok(!book.text.includes('777'));
  }
  // The other organisation's own operator sees its own (empty) figures only.
  const stats = await as['ngo.supervisor'].req('GET', V1 + '/contacts/stats');
  assert.equal(stats.status, 200, stats.text);
  assert.equal(stats.json.total, 0, 'NGO Ozod logged no contact');
  assert.equal(counts(), before, 'nothing changed');
  // Looking up a number's flags is audited like looking up its contacts,
  // even when no flag carries a note.
  // (under the number's keyed hash, phones/..., by the field read)
  const lookups = (field) => Number(q1(`SELECT count(*) FROM audit_log WHERE record LIKE 'phones/%' AND fields = '${field}'`));
  const [f0, c0] = [lookups('phone'), lookups('caller_phone')];
  assert.equal((await as.caseworker.req('GET', `${V1}/caller-flags?phone=${encodeURIComponent('+992 93 000 99 88')}`)).status, 200);
  assert.equal((await as.caseworker.req('GET', `${V1}/contacts?phone=${encodeURIComponent('+992 93 000 99 88')}`)).status, 200);
  assert.equal(await poll(() => lookups('phone') === f0 + 1 && lookups('caller_phone') === c0 + 1,
    { timeout: 3000, every: 50 }), true, 'both lookups audited');
  // IOM's own caseworker reads but may not change.
  const cw = as.caseworker;
  assert.equal((await cw.req('GET', `${V1}/contacts/${c.json.id}`)).status, 200);
  assertProblem(await cw.req('PATCH', `${V1}/contacts/${c.json.id}`, { notes: 'x' }, { 'if-match': '"1"' }),
    403, 'forbidden');
  assertProblem(await cw.req('GET', `${V1}/callbacks/${cbId}`), 404, 'not-found');
  assert.equal(counts(), before, 'nothing changed');
});

test('links to another organisation\'s case or person are refused at creation, patch and attach', async () => {
  const hot = as.hotline;
  const [ozodCase, ozodPerson] = q1("SELECT c.id || '|' || c.person_id FROM cases c JOIN orgs o ON o.id = c.org_id" +
    " WHERE o.code = 'ngo-ozod' LIMIT 1").split('|');
  const ownCase = q1("SELECT c.id FROM cases c JOIN orgs o ON o.id = c.org_id WHERE o.code = 'iom' LIMIT 1");
  const before = counts();
  const e1 = await hot.req('POST', V1 + '/contacts', { channel: 'phone', call_type: 'data', case_id: ozodCase });
  const e2 = await hot.req('POST', V1 + '/contacts', { channel: 'phone', call_type: 'data', person_id: ozodPerson });
  const e3 = await hot.req('POST', V1 + '/contacts', { channel: 'phone', call_type: 'data', case_id: 'a'.repeat(ozodCase.length) });
  assertProblem(e1, 422, 'invalid-value');
  assertProblem(e2, 422, 'invalid-value');
  assertProblem(e3, 422, 'invalid-value');
  assert.equal(e1.json.detail, e3.json.detail, 'a foreign case reads as one that does not exist');
  assert.equal(counts(), before);

  const c = await hot.req('POST', V1 + '/contacts', { channel: 'whatsapp', call_type: 'data' });
  assert.equal(c.status, 201, c.text);
  const mid = counts();
  assertProblem(await hot.req('PATCH', `${V1}/contacts/${c.json.id}`, { case_id: ozodCase }, { 'if-match': '"1"' }),
    422, 'invalid-value');
  assertProblem(await hot.req('PATCH', `${V1}/contacts/${c.json.id}`, { person_id: ozodPerson }, { 'if-match': '"1"' }),
    422, 'invalid-value');
  assertProblem(await hot.req('PATCH', `${V1}/contacts/${c.json.id}`, { operator: 'x' }, { 'if-match': '"1"' }),
    422);
  assertProblem(await hot.req('PATCH', `${V1}/contacts/${c.json.id}`, { notes: 'x' }, { 'if-match': '"7"' }),
    412, 'version-conflict');
  assertProblem(await hot.req('PATCH', `${V1}/contacts/${c.json.id}`, { notes: 'x' }), 428);
  assertProblem(await hot.req('PATCH', `${V1}/contacts/${c.json.id}`, { secret_field: 'x' }, { 'if-match': '"1"' }),
    422, 'unknown-field');
  const at1 = await hot.req('POST', `${V1}/contacts/${c.json.id}/attach`, { case_id: ozodCase });
  const at2 = await hot.req('POST', `${V1}/contacts/${c.json.id}/attach`, { case_id: 'a'.repeat(ozodCase.length) });
  assertProblem(at1, 422, 'invalid-value');
  assertProblem(at2, 422, 'invalid-value');
  assert.equal(at1.json.detail, at2.json.detail);
  assertProblem(await hot.req('POST', `${V1}/contacts/${c.json.id}/attach`, { case_id: ownCase, extra: 1 }),
    422, 'unknown-field');
  assertProblem(await hot.req('POST', `${V1}/contacts/${c.json.id}/attach`, '{"case_id":"a","case_id":"b"}'),
    400, 'invalid-json');
  assert.equal(counts(), mid, 'nothing changed');
  // kb_articles is kept in clear (codes): it takes article ids, never free
  // text such as the caller's name and number.
  const leak = 'Zarina Karimova +992 93 123 45 67';
  assertProblem(await hot.req('POST', V1 + '/contacts', { channel: 'phone', call_type: 'data', kb_articles: [leak] }),
    422, 'invalid-value');
  assertProblem(await hot.req('PATCH', `${V1}/contacts/${c.json.id}`, { kb_articles: [leak] }, { 'if-match': '"1"' }),
    422, 'invalid-value');
  assert.equal(counts(), mid, 'nothing changed');
  assert.equal(q1("SELECT count(*) FROM contacts WHERE coded LIKE '%Zarina%'"), '0');
  const told = (await hot.req('GET', V1 + '/kb?limit=2')).json.items.map((i) => i.id);
  const withKb = await hot.req('POST', V1 + '/contacts', { channel: 'phone', call_type: 'data', kb_articles: told });
  assert.equal(withKb.status, 201, withKb.text);
  assert.deepEqual(withKb.json.kb_articles, told);
  // Attached to the own organisation's case: on its timeline, codes only.
  const ok = await hot.req('POST', `${V1}/contacts/${c.json.id}/attach`, { case_id: ownCase });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.json.case_id, ownCase);
});

test('a non-data contact never takes personal details, not even later by PATCH', async () => {
  const hot = as.hotline;
  const c = await hot.req('POST', V1 + '/contacts', { channel: 'phone', call_type: 'silent',
    caller_phone: '+992 93 111 22 33', notes: 'heard a name', caller_region: 'Vahdat', topics: ['emergency'] });
  assert.equal(c.status, 201, c.text);
  for (const f of ['caller_phone', 'notes', 'caller_region', 'topics', 'caller_kind'])
    assert.ok(!(f in c.json) || c.json[f] === null, `${f} dropped`);
  const ownCase = q1("SELECT c.id FROM cases c JOIN orgs o ON o.id = c.org_id WHERE o.code = 'iom' LIMIT 1");
  const before = counts();
  for (const body of [{ notes: 'later' }, { caller_phone: '+992 93 111 22 33' }, { caller_region: 'Vahdat' },
    { case_id: ownCase }, { topics: ['legal'] }, { indicators: ['isolation'] }, { kb_articles: ['x'] }]) {
    const r = await hot.req('PATCH', `${V1}/contacts/${c.json.id}`, body, { 'if-match': '"1"' });
    assert.ok(r.status === 422, `${JSON.stringify(body)}: ${r.status} ${r.text}`);
    assertProblem(r, 422);
  }
  assertProblem(await hot.req('POST', `${V1}/contacts/${c.json.id}/attach`, { case_id: ownCase }), 409);
  // A callback for the silent caller's number through the contact: it has none.
  assertProblem(await hot.req('POST', V1 + '/callbacks', { contact_id: c.json.id, due: iso(Date.now() + 3600e3) }),
    422, 'missing-field');
  assert.equal(counts(), before, 'nothing changed');
  // The number is nowhere: no earlier contact of it.
  const look = await hot.req('GET', `${V1}/contacts?phone=${encodeURIComponent('+992 93 111 22 33')}`);
  assert.equal(look.json.summary.count, 0);
  const g = await hot.req('GET', `${V1}/contacts/${c.json.id}`);
  assert.ok(!g.text.includes('heard a name') && !g.text.includes('111'));
});

// ---- the public form ---------------------------------------------------------------

const publicCount = () => Number(q1("SELECT count(*) FROM callbacks WHERE source = 'public'"));
// A fresh per-address allowance of the public form: its counters are in the
// database (shared by every server on it) and outlast a restart, so they go too.
const restart = async () => {
  await srv.stop();
  sqlite(join(data, 'himoya.db'), 'DELETE FROM rate_counters;');
  srv = await serveDir(data);
};
const rawPost = (body, type, extra = {}) => rawRequest(srv.url, { method: 'POST', path: PUBLIC,
  headers: type ? { 'content-type': type, ...extra } : extra, body });
async function formToken() {
  const r = await fetch(srv.url + V1 + '/public/form-token');
  assert.equal(r.status, 200);
  return (await r.json()).token;
}

test('the public form answers the same bytes whatever it is sent, keeps nothing of bad requests', async () => {
  await restart();
  const tokens = [];
  for (let i = 0; i < 12; i++) tokens.push(await formToken());
  await sleep(3200);
  const before = publicCount();
  const json = 'application/json';
  const form = 'application/x-www-form-urlencoded';
  const enc = (o) => new URLSearchParams(o).toString();
  // A token from the far future: the issue time moved forward, MAC kept.
  const raw = Buffer.from(tokens[0], 'base64url');
  raw.writeBigUInt64BE(BigInt(Math.floor(Date.now() / 1000) + 86400 * 365), 0);
  const future = raw.toString('base64url');
  const cases = [
    // JSON bodies
    [JSON.stringify({ phone: '+992 90 000 00 01', token: tokens[1], website: '', message: 'y'.repeat(501) }), json],
    [Buffer.concat([Buffer.from('{"phone":"+992 90 000 00 02","token":"' + tokens[2] + '","message":"'),
      Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('"}')]), json],
    ['{"phone":"+992 90 000 00 03","token":"' + tokens[3] + '","message":"a\\u0000b"}', json],
    ['{"phone":"+992 90 000 00 04","phone":"+992 90 000 00 44","token":"' + tokens[4] + '"}', json],
    [JSON.stringify({ phone: '+992 90 000 00 05' }), json],
    [JSON.stringify({ phone: '+992 90 000 00 06', token: future }), json],
  ];
  const forms = [
    [enc({ phone: '+992 90 000 00 07', token: tokens[5], website: 'http://bot' }), form],
    ['phone=%2B992900000008&phone=%2B992900000088&token=' + tokens[6], form],
    ['phone=%2B992900000009&token=' + tokens[7] + '&message=%00x', form],
    ['phone=%2B992900000010&token=' + tokens[8] + '&message=%C3%28', form],
    [enc({ phone: '+992 90 000 00 11', token: tokens[9], language: 'en\r\nSet-Cookie: a=b' }), form],
    [enc({ phone: '<script>alert(1)</script>', token: tokens[10] }), form],
  ];
  const answers = [];
  for (const [b, t] of cases.slice(0, 5)) answers.push(asFetchLike(await rawPost(b, t)));
  await restart(); // a fresh per-address allowance
  answers.push(asFetchLike(await rawPost(...cases[5])));
  for (const [b, t] of forms.slice(0, 4)) answers.push(asFetchLike(await rawPost(b, t)));
  await restart();
  for (const [b, t] of forms.slice(4)) answers.push(asFetchLike(await rawPost(b, t)));
  const jsonAnswers = answers.slice(0, 6), formAnswers = answers.slice(6);
  for (const a of answers) {
    assert.equal(a.status, 202, a.text);
    assert.equal(a.headers['set-cookie'], undefined, 'no cookie');
    for (const leak of ['000 00', '90000', 'script', 'Set-Cookie', 'bot', 'yyyy'])
      assert.ok(!a.text.includes(leak), 'never echoes: ' + leak);
  }
  for (const a of jsonAnswers) assert.equal(a.text, jsonAnswers[0].text);
  for (const a of formAnswers) assert.equal(a.text, formAnswers[0].text);
  for (const a of jsonAnswers) assert.equal(a.headers['content-type'], jsonAnswers[0].headers['content-type']);
  for (const a of formAnswers) assert.equal(a.headers['content-type'], formAnswers[0].headers['content-type']);
  // The language would have been a valid request but for its injected header.
  assert.equal(publicCount(), before, 'nothing of these was kept');
  // The one good token left makes one request; the same token again (a
  // replay, another number) is not kept.
  const good = await rawPost(JSON.stringify({ phone: '+992 90 000 00 12', token: tokens[11] }), json);
  const replay = await rawPost(JSON.stringify({ phone: '+992 90 000 00 13', token: tokens[11] }), json);
  assert.equal(good.text, jsonAnswers[0].text);
  assert.equal(replay.text, jsonAnswers[0].text);
  assert.equal(publicCount(), before + 1, 'a token is good for one request only');
  // The audit of the kept request does not record where the caller was.
  const kept = q1("SELECT id FROM callbacks WHERE source = 'public' ORDER BY created_at DESC, rowid DESC LIMIT 1");
  assert.equal(q1(`SELECT count(*) FROM audit WHERE record = 'callbacks/${kept}'`), '1');
  assert.equal(q1(`SELECT count(*) FROM audit WHERE record = 'callbacks/${kept}' AND addr IS NOT NULL`), '0',
    'no client address of a public request in the audit');
  await rawPost(JSON.stringify({ phone: '+992 90 000 00 16' }), json);
  // Past the limit of the address: 429 as a problem, nothing kept.
  const limited = asFetchLike(await rawPost(JSON.stringify({ phone: '+992 90 000 00 14', token: tokens[11] }), json));
  assertProblem(limited, 429, 'rate-limited');
  assert.equal(publicCount(), before + 1);
  // Over the size cap: 413 problem, even with a valid-looking body.
  await restart();
  const big = asFetchLike(await rawPost(JSON.stringify({ phone: '+992 90 000 00 15', token: tokens[1],
    message: 'z'.repeat(2100) }), json));
  assertProblem(big, 413, 'body-too-large');
  const huge = asFetchLike(await rawPost('x'.repeat(10 * 1024 * 1024), json));
  assert.equal(huge.status, 413);
  assert.ok(!big.text.includes('zzz'));
  assert.equal(publicCount(), before + 1);
  // The queue never shows a public request to another organisation.
  const other = await new Client(srv.url);
  assert.equal((await other.login('ozod.hotline', PW)).status, 200);
  const q = await other.req('GET', V1 + '/callbacks?state=all&limit=200');
  assert.ok(!q.json.items.some((i) => i.source === 'public'));
  for (const login of Object.keys(as)) await signIn(login);
});

// ---- knowledge base -----------------------------------------------------------------

const XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>"\'&';
const article = (over = {}) => ({
  country: 'KZ', topic: 'documents_taken', status: 'published',
  title: { tg: 'T ' + XSS, ru: 'Р ' + XSS, en: 'E ' + XSS },
  body: { tg: 'Далел ' + XSS + ' [[source:1]]', ru: 'Факт ' + XSS + ' [[source:1]]', en: 'Fact ' + XSS + ' [[source:1]]' },
  sources: [{ title: 'S ' + XSS, publisher: 'P ' + XSS, url: 'https://example.org/a?b=1&c=2', accessed: '2026-01-15' }],
  ...over,
});

test('knowledge base: only supervisors write; drafts unseen; HTML escaped; stale versions and huge bodies refused', async () => {
  const before = counts();
  for (const who of ['hotline', 'caseworker', 'analyst', 'trainer', 'admin', 'police.focal']) {
    const r = await as[who].req('POST', V1 + '/kb', article());
    assertProblem(r, 403, 'forbidden', who);
  }
  const pub = (await as.hotline.req('GET', V1 + '/kb?limit=1')).json.items[0];
  const pa = await as.hotline.req('GET', `${V1}/kb/${pub.id}`);
  for (const who of ['hotline', 'caseworker', 'analyst']) {
    assertProblem(await as[who].req('PATCH', `${V1}/kb/${pub.id}`, { status: 'archived' },
      { 'if-match': pa.headers.get('etag') }), 403, 'forbidden', who);
    assertProblem(await as[who].req('GET', `${V1}/kb/${pub.id}/history`), 403, 'forbidden', who);
  }
  // javascript: and quote-breaking source addresses are refused.
  for (const url of ['javascript:alert(1)', 'https://x.org/"onmouseover="a', 'data:text/html,<b>'])
    assertProblem(await as.supervisor.req('POST', V1 + '/kb', article({ sources: [{ title: 't', url, accessed: '2026-01-01' }] })),
      422, 'invalid-value', url);
  // 10 MB body; a body over 20,000 characters; an unknown field.
  const huge = await as.supervisor.req('POST', V1 + '/kb', JSON.stringify(article({ body: { tg: 'a'.repeat(10 << 20), ru: 'b', en: 'c' } })));
  assertProblem(huge, 413);
  assertProblem(await as.supervisor.req('POST', V1 + '/kb', article({ body: { tg: 'a'.repeat(20001), ru: 'b', en: 'c' } })), 422);
  assertProblem(await as.supervisor.req('POST', V1 + '/kb', article({ author: 'me' })), 422, 'unknown-field');
  assert.equal(counts(), before, 'nothing changed');

  // A draft with HTML everywhere: unseen by the hotline, then published.
  const d = await as.supervisor.req('POST', V1 + '/kb', article({ status: 'draft' }));
  assert.equal(d.status, 201, d.text);
  assertProblem(await as.hotline.req('GET', `${V1}/kb/${d.json.id}`), 404, 'not-found');
  assertProblem(await as.hotline.req('GET', `${V1}/kb/${d.json.id}/history`), 404, 'not-found');
  assertProblem(await as.hotline.req('PATCH', `${V1}/kb/${d.json.id}`, { status: 'published' }, { 'if-match': '"1"' }),
    404, 'not-found');
  assert.ok(!(await as.hotline.req('GET', V1 + '/kb?status=draft&limit=200')).json.items.some((i) => i.id === d.json.id));
  assert.equal((await fetch(`${srv.url}/public/kb/${d.json.id}?lang=en`)).status, 404);
  const p = await as.supervisor.req('PATCH', `${V1}/kb/${d.json.id}`, { status: 'published' }, { 'if-match': '"1"' });
  assert.equal(p.status, 200, p.text);
  // A stale version is refused and changes nothing.
  const mid = counts();
  assertProblem(await as.supervisor.req('PATCH', `${V1}/kb/${d.json.id}`, { status: 'archived' }, { 'if-match': '"1"' }),
    412, 'version-conflict');
  assertProblem(await as.supervisor.req('PATCH', `${V1}/kb/${d.json.id}`, { status: 'archived' }), 428);
  assert.equal(counts(), mid);
  // The API gives the text back as JSON data, the public pages escape it.
  const api = await as.hotline.req('GET', `${V1}/kb/${d.json.id}`);
  assert.match(api.headers.get('content-type'), /^application\/json/);
  assert.equal(api.json.title.en, 'E ' + XSS);
  for (const lang of ['tg', 'ru', 'en']) {
    for (const path of [`/public/kb/${d.json.id}?lang=${lang}`, `/public/kb?q=${encodeURIComponent('<script>')}&lang=${lang}`,
      `/public/kb?country=KZ&lang=${lang}`, `/public/kb?q=${encodeURIComponent('"><script>alert(1)</script>')}&lang=${lang}`]) {
      const r = await fetch(srv.url + path);
      const html = await r.text();
      assert.equal(r.status, 200, path);
      assert.ok(!/<script|<img|<[a-z]+[^>]*\son[a-z]+=|javascript:/i.test(html), `${path}: no live markup`);
      assert.ok(!html.includes('"\'&<'), path);
    }
  }
  const page = await (await fetch(`${srv.url}/public/kb/${d.json.id}?lang=en`)).text();
  assert.ok(page.includes('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;'), 'the title escaped');
  assert.ok(page.includes('href="https://example.org/a?b=1&amp;c=2"'), 'the source address escaped');
  // A language that is not one of ours, or one that tries to break out.
  const l = await fetch(`${srv.url}/public/?lang=${encodeURIComponent('en"><script>')}`);
  assert.equal(l.status, 200);
  assert.ok(!(await l.text()).includes('<script'));
  const h = await fetch(`${srv.url}/public/?lang=en%0d%0aSet-Cookie:%20a=b`);
  assert.equal(h.headers.get('set-cookie'), null);
});

// ---- reports --------------------------------------------------------------------

const k = 11;
function assertNoSmall(ans, what) {
  const shown = [ans.total, ...ans.rows.map((r) => r.count)];
  if (ans.margins) for (const d of ans.by) shown.push(...ans.margins[d].map((m) => m.count));
  for (const n of shown) assert.ok(n === null || n === 0 || n >= ans.k, `${what}: ${n} published`);
}

test('reports: the analyst never sees an agency, a small region or a small cell; others are refused', async () => {
  const names = q1("SELECT group_concat(name, '|') FROM orgs").split('|');
  const codes = q1("SELECT group_concat(code, '|') FROM orgs").split('|');
  const byOrg = await as.analyst.req('GET', V1 + '/reports/summary?by=org,sex');
  assert.equal(byOrg.status, 200, byOrg.text);
  assert.equal(byOrg.json.k, k);
  for (const n of [...names, ...codes]) assert.ok(!byOrg.text.includes(n), `no agency named: ${n}`);
  assertNoSmall(byOrg.json, 'by=org,sex');
  const regions = [...new Set((await as.analyst.req('GET', V1 + '/reports/summary?by=region')).json.rows
    .map((r) => r.region).filter(Boolean))];
  for (const region of regions) {
    for (const by of ['sex', 'age_band,sex', 'exploitation', 'org', 'nationality']) {
      for (const extra of ['', '&victims=1', '&org=NGO', '&org=LawEnforcement', '&from=2025-01-01']) {
        const r = await as.analyst.req('GET', `${V1}/reports/summary?by=${by}&region=${region}${extra}`);
        assert.equal(r.status, 200, r.text);
        assertNoSmall(r.json, `${region} ${by}${extra}`);
      }
    }
  }
  for (const who of ['hotline', 'caseworker', 'trainer', 'admin', 'police.focal']) {
    assertProblem(await as[who].req('GET', V1 + '/reports/summary?by=sex'), 404, 'not-found', who);
    assertProblem(await as[who].req('GET', V1 + '/reports/indicators'), 404, 'not-found', who);
  }
  for (const bad of ['by=sex,sex', 'by=name', 'by=sex&from=2026-13-01', 'region=TJ-XX', 'org=ngo-ozod',
    'by=a,b,c,d,e', 'victims=2', 'from=2027-01-01&to=2026-01-01'])
    assertProblem(await as.analyst.req('GET', `${V1}/reports/summary?${bad}`), 422, undefined, bad);
  // A supervisor counts only the own organisation, and cannot ask for another's.
  const own = await as['ngo.supervisor'].req('GET', V1 + '/reports/summary?by=org');
  assert.equal(own.json.scope, 'own');
  for (const r of own.json.rows) assert.equal(r.org, 'own');
  const other = await as['ngo.supervisor'].req('GET', V1 + '/reports/summary?org=IGO');
  assert.ok(other.json.total === 0 || other.json.total === null, 'no IGO case is the NGO supervisor\'s');
});

// Linear attack across two answers: the 2-D table by=D,region and the 1-D
// table by=D filtered to one region.  Every published number of either is
// known; every relation (a line sums to its margin, the margins to the
// total) is an equation; an equation with one unknown left solves it.  No
// suppressed cell of the region may be worked back.
test('reports: a region filter and the same region in a 2-D table do not together reveal a suppressed cell', async () => {
  const key = (d, r) => JSON.stringify([d, r]);
  for (const dim of ['sex', 'age_band', 'nationality', 'status', 'stage', 'trafficking_status']) {
    for (const extra of ['', '&victims=1']) {
      const two = (await as.analyst.req('GET', `${V1}/reports/summary?by=${dim},region${extra}`)).json;
      const known = new Map();
      const eqs = [];
      const cells = new Map();
      for (const row of two.rows) {
        cells.set(key(row[dim], row.region), row);
        if (row.count !== null) known.set(key(row[dim], row.region), row.count);
      }
      const dvals = two.margins[dim].map((m) => m[dim]);
      const rvals = two.margins.region.map((m) => m.region);
      for (const m of two.margins.region)
        eqs.push({ sum: m.count, terms: dvals.map((d) => key(d, m.region)).filter((k2) => cells.has(k2)) });
      for (const m of two.margins[dim])
        eqs.push({ sum: m.count, terms: rvals.map((r) => key(m[dim], r)).filter((k2) => cells.has(k2)) });
      for (const region of rvals) {
        if (region === null) continue;
        const one = (await as.analyst.req('GET', `${V1}/reports/summary?by=${dim}&region=${region}${extra}`)).json;
        for (const row of one.rows) if (row.count !== null) known.set(key(row[dim], region), row.count);
        eqs.push({ sum: one.total, terms: one.rows.map((row) => key(row[dim], region)) });
      }
      // Propagate.
      for (let changed = true; changed;) {
        changed = false;
        for (const e of eqs) {
          if (e.sum === null) continue;
          const unknown = e.terms.filter((t) => !known.has(t));
          if (unknown.length === 1) {
            const v = e.sum - e.terms.filter((t) => known.has(t)).reduce((a, t) => a + known.get(t), 0);
            known.set(unknown[0], v);
            changed = true;
          }
        }
      }
      for (const [k2, v] of known)
        assert.ok(v === 0 || v >= two.k, `${dim}${extra}: cell ${k2} worked back as ${v}`);
    }
  }
});

// Two overlapping queries whose difference is a small count: the total of
// cases opened from day D on, minus the total from day D+1 on, would be
// the number opened on day D, published by neither.  Figures over every
// organisation are therefore counted by whole months (the answer says
// which period it counted); months subtracted from each other remain a
// known limit (README).
test('reports: differencing by shifting the period one day', async () => {
  const one = await as.analyst.req('GET', `${V1}/reports/summary?by=sex&from=2026-03-17&to=2026-05-02`);
  assert.equal(one.status, 200, one.text);
  assert.equal(one.json.from, '2026-03-01');
  assert.equal(one.json.to, '2026-05-31');
  const days = q1("SELECT group_concat(d, '|') FROM (SELECT DISTINCT substr(opened_on, 1, 10) AS d FROM cases" +
    ' ORDER BY d DESC LIMIT 40) days').split('|');
  const next = (d) => new Date(Date.parse(d + 'T00:00:00Z') + 86400e3).toISOString().slice(0, 10);
  let leaked = null;
  for (const d of days) {
    const a = await as.analyst.req('GET', `${V1}/reports/summary?by=sex&from=${d}`);
    const b = await as.analyst.req('GET', `${V1}/reports/summary?by=sex&from=${next(d)}`);
    if (a.json.total === null || b.json.total === null) continue;
    const diff = a.json.total - b.json.total;
    if (diff >= 1 && diff < k) {
      const sexes = {};
      for (const r of a.json.rows) {
        const rb = b.json.rows.find((x) => x.sex === r.sex);
        if (r.count !== null && rb && rb.count !== null && r.count - rb.count > 0) sexes[r.sex] = r.count - rb.count;
      }
      leaked = { day: d, opened: diff, sexes };
      break;
    }
  }
  assert.equal(leaked, null, `a small count worked back: ${JSON.stringify(leaked)}`);
});

// ---- exports --------------------------------------------------------------------

test('exports: row exports refused to every role but the supervisor; PII never through a token; each audited', async () => {
  const exports = () => Number(q1("SELECT count(*) FROM audit WHERE action = 'export'"));
  const before = exports();
  for (const who of ['analyst', 'ozod.analyst', 'hotline', 'caseworker', 'trainer', 'admin', 'police.focal', 'ngo.worker']) {
    // The analyst takes the pseudonymous HTCDS rows (below), never cases.xlsx.
    const paths = who.endsWith('analyst') ? [] : ['/exports/htcds.csv', '/exports/htcds.xlsx'];
    for (const p of [...paths, '/exports/cases.xlsx', '/exports/cases.xlsx?pii=1']) {
      const r = await as[who].req('GET', V1 + p);
      assert.ok([403, 404].includes(r.status), `${who} ${p}: ${r.status}`);
      assertProblem(r, r.status);
      assert.ok(!/cas_Id|case_id/.test(r.text));
    }
  }
  for (const who of ['hotline', 'caseworker', 'trainer', 'admin']) {
    const r = await as[who].req('GET', V1 + '/exports/ctdc.csv');
    assert.ok([403, 404].includes(r.status), `${who} ctdc: ${r.status}`);
  }
  // The supervisor with an API token: rows yes, PII no.
  const tok = makeToken(data, 'supervisor');
  const hdr = { authorization: 'Bearer ' + tok };
  const pii = await fetch(srv.url + V1 + '/exports/cases.xlsx?pii=1', { headers: hdr });
  assert.equal(pii.status, 403);
  assert.match(pii.headers.get('content-type'), /^application\/problem\+json/);
  // ... nor with a cookie session without a second factor.
  assertProblem(await as.supervisor.req('GET', V1 + '/exports/cases.xlsx?pii=1'), 403, 'forbidden');
  assert.equal(exports(), before, 'refused exports leave no entry');
  const n0 = exports();
  for (const p of ['/exports/htcds.csv', '/exports/cases.xlsx', '/exports/ctdc.csv']) {
    const r = await fetch(srv.url + V1 + p, { headers: hdr });
    assert.equal(r.status, 200, p);
    await r.arrayBuffer();
  }
  const a = await fetch(srv.url + V1 + '/exports/ctdc.csv', { headers: { authorization: 'Bearer ' + makeToken(data, 'analyst') } });
  assert.equal(a.status, 200);
  const csv = await a.text();
  for (const n of q1("SELECT group_concat(name, '|') FROM orgs").split('|')) assert.ok(!csv.includes(n));
  // The analyst's HTCDS rows: organisations by type only, no agency name or code.
  const h = await fetch(srv.url + V1 + '/exports/htcds.csv', { headers: { authorization: 'Bearer ' + makeToken(data, 'analyst') } });
  assert.equal(h.status, 200);
  const htcds = await h.text();
  for (const n of q1("SELECT group_concat(name || '|' || code, '|') FROM orgs").split('|'))
    assert.ok(n.length < 3 || !htcds.includes(n), n);
  assert.equal(exports(), n0 + 5, 'one audit entry per export');
});

test('exports: formula injection through every free text that reaches an export is neutralised', async () => {
  // Free text that reaches an export: a person's names and phones (cases.xlsx
  // with PII), a training's topic and place (nowhere: counted only).  The
  // CSV exports carry codes only: a code list refuses a formula.
  const cw = as.caseworker;
  const inj = ['=1+1', '+1+1', '-1+1', '@SUM(A1)', '\t=1', ' =1', '＝1', '﹦1'];
  // The coded fields of a case (what the CSV exports carry) refuse a formula.
  const ownCase = q1("SELECT c.id FROM cases c JOIN orgs o ON o.id = c.org_id WHERE o.code = 'iom' LIMIT 1");
  const before = counts();
  for (const f of ['labour_sector', 'recruitment_method', 'recruiter_relation']) {
    for (const v of inj.slice(0, 4)) {
      const g = await cw.req('GET', `${V1}/cases/${ownCase}`);
      const r = await cw.req('PATCH', `${V1}/cases/${ownCase}`, { [f]: v }, { 'if-match': g.headers.get('etag') });
      assertProblem(r, 422, 'invalid-value', `${f} = ${v}`);
    }
  }
  for (const f of ['exploitation_types', 'means_of_control', 'countries_of_exploitation']) {
    const g = await cw.req('GET', `${V1}/cases/${ownCase}`);
    assertProblem(await cw.req('PATCH', `${V1}/cases/${ownCase}`, { [f]: ['=1+1'] }, { 'if-match': g.headers.get('etag') }),
      422, 'invalid-value', f);
  }
  assert.equal(counts(), before, 'nothing changed');
  const t = await as.trainer.req('POST', V1 + '/trainings', { topic: '=HYPERLINK("http://x")', start: '2026-01-01',
    end: '2026-01-02', place: '@SUM(1)', organiser_org: 'iom' });
  assert.equal(t.status, 201, t.text);
  for (const fmt of ['csv', 'json']) {
    const r = await as.analyst.req('GET', `${V1}/reports/indicators?format=${fmt}`);
    assert.equal(r.status, 200);
    assert.ok(!r.text.includes('HYPERLINK') && !r.text.includes('@SUM'), `indicators ${fmt}`);
  }
});

// ---- trainings -------------------------------------------------------------------

test('trainings: only trainers and supervisors of the organisation write; scores 0-100; no unknown field', async () => {
  const tr = as.trainer;
  const t = await tr.req('POST', V1 + '/trainings', { topic: 'Identification', start: '2026-02-01', end: '2026-02-03',
    place: 'Dushanbe', organiser_org: 'iom' });
  assert.equal(t.status, 201, t.text);
  const id = t.json.id;
  const before = counts();
  for (const who of ['hotline', 'caseworker', 'analyst', 'admin', 'police.focal']) {
    const r = await as[who].req('POST', V1 + '/trainings', { topic: 'x', start: '2026-02-01', end: '2026-02-01',
      place: 'y', organiser_org: 'iom' });
    assert.ok([403, 404].includes(r.status), `${who}: ${r.status}`);
    assertProblem(r, r.status);
    assertProblem(await as[who].req('GET', `${V1}/trainings/${id}`), 404, 'not-found', who);
  }
  for (const who of ['ozod.trainer', 'ngo.supervisor']) {
    assertProblem(await as[who].req('GET', `${V1}/trainings/${id}`), 404, 'not-found', who);
    assertProblem(await as[who].req('PATCH', `${V1}/trainings/${id}`, { place: 'x' }, { 'if-match': '"1"' }), 404,
      'not-found', who);
    assertProblem(await as[who].req('POST', `${V1}/trainings/${id}/participants`, { agency_type: 'NGO', sex: 'Feminine',
      role: 'ngo_staff' }), 404, 'not-found', who);
    assertProblem(await as[who].req('GET', `${V1}/trainings/${id}/participants`), 404, 'not-found', who);
    const list = await as[who].req('GET', V1 + '/trainings?limit=200');
    assert.ok(!list.json.items.some((i) => i.id === id), `${who}: not listed`);
  }
  const P = `${V1}/trainings/${id}/participants`;
  const base = { agency_type: 'NGO', sex: 'Feminine', role: 'ngo_staff' };
  for (const bad of [{ pre_score: -1 }, { post_score: 101 }, { pre_score: 50.5 }, { pre_score: '50' },
    { post_score: 1e10 }, { name: 'Zarina' }, { phone: '+992 93 000 00 00' }, { sex: 'X' }, { role: 'spy' }])
    assertProblem(await tr.req('POST', P, { ...base, ...bad }), 422, undefined, JSON.stringify(bad));
  for (const bad of [{ start: '2026-02-05' }, { organiser_org: 'nowhere' }, { secret: 1 }, { topic: '' }])
    assertProblem(await tr.req('PATCH', `${V1}/trainings/${id}`, bad, { 'if-match': '"1"' }), 422, undefined,
      JSON.stringify(bad));
  assertProblem(await tr.req('PATCH', `${V1}/trainings/${id}`, { place: 'x' }, { 'if-match': '"9"' }), 412);
  assert.equal(counts(), before, 'nothing changed');
  const ok = await tr.req('POST', P, { ...base, pre_score: 0, post_score: 100 });
  assert.equal(ok.status, 201, ok.text);
  assert.equal(ok.json.gain, 100);
});

// ---- every error is a problem --------------------------------------------------

test('malformed bodies to every new write answer problem+json and change nothing', async () => {
  const before = counts();
  const writes = [
    ['hotline', 'POST', '/contacts'], ['hotline', 'POST', '/callbacks'], ['hotline', 'POST', '/caller-flags'],
    ['supervisor', 'POST', '/kb'], ['trainer', 'POST', '/trainings'],
  ];
  const bodies = [
    ['{"channel":"phone","channel":"sms"}', 'application/json', 400],
    [Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]), 'application/json', 400],
    ['{"a":"\\u0000"}', 'application/json', 400],
    ['channel=phone', 'application/x-www-form-urlencoded', 415],
    ['[]', 'application/json', 400],
    ['{"notes":"' + 'n'.repeat(2 << 20) + '"}', 'application/json', 413],
  ];
  for (const [who, m, p] of writes) {
    for (const [b, ct, status] of bodies) {
      const r = await as[who].req(m, V1 + p, b, { 'content-type': ct });
      assertProblem(r, status, undefined, `${who} ${p} ${ct} ${String(b).slice(0, 30)}`);
    }
  }
  assert.equal(counts(), before, 'nothing changed');
  // And the audit chain still holds.
  await srv.stop();
  assert.equal(run(['audit', 'verify', '--data', data]).code, 0);
  srv = await serveDir(data);
  await poll(async () => (await fetch(srv.url + '/api/v1/health')).ok);
});
