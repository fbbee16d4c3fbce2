// Referrals between organisations of the NRM: the consent a referral
// needs, the hostile view of another organisation (nothing at all until a
// referral is accepted, then only the shared fields, and nothing again
// once the consent is withdrawn), the lifecycle of a referral (inbox and
// outbox, accept, decline, complete, withdraw), the figures, the
// decisions due of a police focal point, the access log, and transfers.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, signInAll } from '../lib/server.mjs';
import { assertProblem } from '../lib/hostile.mjs';
import { poll, sqlite, serveDir } from '../lib/datadir.mjs';
import { join } from 'node:path';

const PW = 'referral test password';
const orgs = [
  { code: 'ngo2', name: 'NGO Two', type: 'NGO' },
  { code: 'ngo3', name: 'NGO Three', type: 'NGO' },
  { code: 'police', name: 'Police Anti-Trafficking Unit', type: 'LawEnforcement' },
];
// a.* are of the case's organisation (iom), b.* of the NGO it is referred
// to, c.* of an unrelated NGO, p.* of the police.
const users = [
  ['iom', 'a.cw', 'caseworker'], ['iom', 'a.sup', 'supervisor'], ['iom', 'a.hot', 'hotline'],
  ['iom', 'a.adm', 'admin'],
  ['ngo2', 'b.cw', 'caseworker'], ['ngo2', 'b.sup', 'supervisor'], ['ngo2', 'b.hot', 'hotline'],
  ['ngo2', 'b.fp', 'focal_point'], ['ngo2', 'b.an', 'analyst'], ['ngo2', 'b.adm', 'admin'],
  ['ngo3', 'c.cw', 'caseworker'],
  ['police', 'p.fp', 'focal_point'], ['police', 'p.cw', 'caseworker'],
].map(([org, login, role]) => ({ org, login, role, password: PW }));

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

// ---- helpers ---------------------------------------------------------------

const V1 = '/api/v1';
const day = (offset) => new Date(Date.now() + offset * 86400000).toISOString().slice(0, 10);
const today = () => day(0);
const sorted = (o) => Object.keys(o).sort();

async function newPerson(who, body) {
  const r = await as[who].req('POST', V1 + '/persons', body);
  assert.equal(r.status, 201, 'person: ' + r.text);
  return r.json.id;
}

async function consent(who, pid, body) {
  const r = await as[who].req('POST', `${V1}/persons/${pid}/consents`, body);
  assert.equal(r.status, 201, 'consent: ' + r.text);
  return r.json;
}

async function withdrawConsent(who, id) {
  const r = await as[who].req('POST', `${V1}/consents/${id}/withdraw`);
  assert.equal(r.status, 200, 'withdraw consent: ' + r.text);
  assert.equal(r.json.state, 'withdrawn');
}

// A person of a.cw's organisation with a consent to assistance and an
// open case; `referral` adds a consent to referral (to anyone unless a
// body is given).
async function openCase({ who = 'a.cw', person = { given_name: 'Нигина', family_name: 'Шарипова' },
  fields = {}, referral } = {}) {
  const pid = await newPerson(who, person);
  await consent(who, pid, { purpose: 'assistance', method: 'written' });
  let ref = null;
  if (referral)
    ref = await consent(who, pid, referral === true ? { purpose: 'referral', method: 'written' } : referral);
  const r = await as[who].req('POST', V1 + '/cases', { person_id: pid, ...fields });
  assert.equal(r.status, 201, 'case: ' + r.text);
  return { id: r.json.id, pid, consent: ref, version: r.json.version };
}

const refer = (who, caseId, toOrg, extra = {}) => as[who].req('POST', V1 + '/referrals',
  { case_id: caseId, to_org: toOrg, service_type: 'legal', reason: 'needs a lawyer', share: ['gender'],
    ...extra });

async function referOk(who, caseId, toOrg, extra) {
  const r = await refer(who, caseId, toOrg, extra);
  assert.equal(r.status, 201, 'referral: ' + r.text);
  return r.json;
}

const act = (who, refId, action, body) => as[who].req('POST', `${V1}/referrals/${refId}/${action}`, body);

async function actOk(who, refId, action, body) {
  const r = await act(who, refId, action, body);
  assert.equal(r.status, 200, `${action}: ${r.text}`);
  return r.json;
}

const get = (who, path) => as[who].req('GET', V1 + path);

// Every way a user of another organisation could reach the case or its
// person, answering as if they did not exist.  Name and secret are texts
// of the case that must never appear in any answer.
const CASE_PATHS = ['', '/timeline', '/services', '/screenings', '/status-decisions', '/notes', '/plans',
  '/followups', '/access-log'];

async function assertUnreachable(who, { id, pid, names = [], secrets = [] }, ownIds = []) {
  const seen = [];
  const keep = (r) => { seen.push(r.text); return r; };
  for (const p of CASE_PATHS)
    assertProblem(keep(await get(who, `/cases/${id}${p}`)), 404, 'not-found', `${who} GET /cases/ID${p}`);
  assertProblem(keep(await get(who, `/persons/${pid}`)), 404, 'not-found', `${who} GET person`);
  assertProblem(keep(await get(who, `/persons/${pid}/consents`)), 404, 'not-found', `${who} consents`);
  // Writes answer the same.
  for (const [method, p, body] of [
    ['PATCH', '', { summary: 'x' }], ['POST', '/close', { reason: 'duplicate' }], ['POST', '/reopen'],
    ['POST', '/services', { type: 'legal', status: 'planned' }], ['POST', '/notes', { type: 'note', text: 'x' }],
    ['POST', '/screenings', { instrument: 'delphi-adult-labour', answers: { 'D1-S1': 'yes' } }],
    ['POST', '/status-decisions', { status: 'PossibleVictimOfTrafficking', date: today() }],
    ['POST', '/transfer', { to_org: 'ngo3' }],
  ])
    assertProblem(keep(await as[who].req(method, `${V1}/cases/${id}${p}`, body, { 'if-match': '"1"' })),
      404, 'not-found', `${who} ${method} /cases/ID${p}`);
  assertProblem(keep(await as[who].req('PATCH', `${V1}/persons/${pid}`, { gender: 'Feminine' },
    { 'if-match': '"1"' })), 404, 'not-found', `${who} PATCH person`);

  // Lists and searches, with every filter: the case is in none of them,
  // and the counts are those of the caller's own cases.
  const lists = ['', '?status=Active', '?status=Closed', '?stage=contact', '?stage=referral',
    '?stage=assistance', '?assigned=me', `?assigned=${uid['a.cw']}`, `?person_id=${pid}`, '?limit=200'];
  for (const n of names) lists.push('?q=' + encodeURIComponent(n));
  for (const q of lists) {
    const r = keep(await get(who, '/cases' + q));
    if (r.status === 403) continue; // a role without case lists at all
    assert.equal(r.status, 200, `${who} GET /cases${q}: ${r.text}`);
    assert.ok(!r.json.items.some((c) => c.id === id), `${who} GET /cases${q} lists the case`);
    assert.ok(!r.json.items.some((c) => c.person?.id === pid || c.person_id === pid),
      `${who} GET /cases${q} shows the person`);
    for (const c of r.json.items) assert.ok(ownIds.includes(c.id), `${who} GET /cases${q}: only own cases`);
    if (q === '?limit=200') assert.equal(r.json.items.length, ownIds.length, `${who} count`);
  }
  for (const n of names) {
    const r = keep(await get(who, '/persons?q=' + encodeURIComponent(n)));
    if (r.status === 403) continue;
    assert.equal(r.status, 200, r.text);
    assert.ok(!r.json.items.some((p) => p.id === pid), `${who} finds the person by ${n}`);
  }
  // The audit trail of the records.
  for (const rec of [`cases/${id}`, `persons/${pid}`]) {
    const r = keep(await get(who, '/audit?record=' + rec));
    if (r.status === 403) continue; // a role without the audit log
    assertProblem(r, 404, 'not-found', `${who} audit of ${rec}`);
  }
  for (const text of seen)
    for (const s of [...names, ...secrets]) assert.ok(!text.includes(s), `${who}: an answer holds ${s}`);
}

// ---- consent ---------------------------------------------------------------

test('a referral needs a current consent that covers its recipient', async () => {
  const check = async (label, consentBody, want) => {
    const c = await openCase();
    if (consentBody) {
      const k = await consent('a.cw', c.pid, consentBody.body ?? consentBody);
      if (consentBody.withdraw) await withdrawConsent('a.cw', k.id);
    }
    for (const [to, status] of Object.entries(want)) {
      const r = await refer('a.cw', c.id, to);
      if (status === 409) {
        assertProblem(r, 409, 'consent-required', `${label} -> ${to}`);
      } else {
        assert.equal(r.status, 201, `${label} -> ${to}: ${r.text}`);
        assert.equal(r.json.status, 'sent');
        assert.equal(r.json.to_org.code, to);
      }
    }
    // A refused referral leaves the case where it was.
    if (Object.values(want).every((s) => s === 409))
      assert.equal((await get('a.cw', `/cases/${c.id}`)).json.stage, 'contact', label);
  };
  const written = (o) => ({ method: 'written', ...o });

  await check('no consent to referral', null, { ngo2: 409, police: 409 });
  await check('an expired consent', written({ purpose: 'referral', given_on: day(-60), expires: day(-1) }),
    { ngo2: 409, police: 409 });
  await check('assistance only', written({ purpose: 'assistance' }), { ngo2: 409, police: 409 });
  await check('statistics and research are not referral', written({ purpose: 'statistics' }), { ngo2: 409 });
  await check('a withdrawn consent', { body: written({ purpose: 'referral' }), withdraw: true },
    { ngo2: 409, police: 409 });
  await check('consent to ngo2 only', written({ purpose: 'referral', recipient_org: 'ngo2' }),
    { police: 409, ngo3: 409, ngo2: 201 });
  await check('consent to NGOs only', written({ purpose: 'referral', recipient_type: 'NGO' }),
    { police: 409, ngo2: 201, ngo3: 201 });
  await check('consent to law enforcement only',
    written({ purpose: 'referral', recipient_type: 'LawEnforcement' }), { ngo2: 409, police: 201 });
  await check('consent to referral to anyone', written({ purpose: 'referral' }),
    { ngo2: 201, ngo3: 201, police: 201 });
  await check('consent expiring today', written({ purpose: 'referral', given_on: day(-10), expires: today() }),
    { ngo2: 201 });
  await check('law_enforcement purpose', written({ purpose: 'law_enforcement' }),
    { ngo2: 409, ngo3: 409, police: 201 });
  await check('law_enforcement purpose, another police force named',
    written({ purpose: 'law_enforcement', recipient_org: 'ngo2' }), { police: 409 });
});

test('a consent naming an organisation and a type it is not of is refused: it would cover no one', async () => {
  const pid = await newPerson('a.cw', { given_name: 'Малика', family_name: 'Набиева' });
  const r = await as['a.cw'].req('POST', `${V1}/persons/${pid}/consents`,
    { purpose: 'referral', method: 'written', recipient_org: 'ngo2', recipient_type: 'LawEnforcement' });
  assertProblem(r, 422, 'invalid-value', 'ngo2 is an NGO');
  assert.equal(r.json.field, 'recipient_type');
  assert.deepEqual((await get('a.cw', `/persons/${pid}/consents`)).json.items, [], 'nothing recorded');
  await consent('a.cw', pid, { purpose: 'referral', method: 'written', recipient_org: 'ngo2', recipient_type: 'NGO' });
});

test('a referral names a real organisation other than the sender, and shareable fields', async () => {
  const c = await openCase({ referral: true });
  assertProblem(await refer('a.cw', c.id, 'nosuch'), 422, 'invalid-value', 'unknown organisation');
  assertProblem(await refer('a.cw', c.id, 'iom'), 422, 'invalid-value', 'to itself');
  assertProblem(await refer('a.cw', c.id, 'ngo2', { share: [] }), 422, 'invalid-value', 'empty share');
  assertProblem(await refer('a.cw', c.id, 'ngo2', { share: ['password'] }), 422, 'invalid-value', 'bad share');
  assertProblem(await refer('a.cw', c.id, 'ngo2', { share: Array(64).fill('given_name') }), 422, 'invalid-value', 'a field named twice');
  assertProblem(await refer('a.cw', c.id, 'ngo2', { colour: 'red' }), 422, 'unknown-field');
  assertProblem(await refer('a.cw', c.id, 'ngo2', { due: 'soon' }), 422, 'invalid-value');
  assertProblem(await refer('a.cw', c.id, 'ngo2', { service_id: 'nosuchservice' }), 422, 'invalid-value',
    'a service that is not in the directory');
  // Every signed-in user can list the organisations to refer to.
  const o = await get('b.an', '/orgs');
  assert.equal(o.status, 200, o.text);
  assert.deepEqual(o.json.items.map((x) => x.code).sort(), ['iom', 'ngo2', 'ngo3', 'police']);
  assert.deepEqual(Object.keys(o.json.items[0]).sort(), ['code', 'contact_email', 'contact_phone', 'managed', 'name', 'sector', 'settles', 'type']);
  // Another organisation cannot refer a case it does not see.
  assertProblem(await refer('b.cw', c.id, 'ngo3'), 404, 'not-found');
  // Roles that may read but not refer.
  assertProblem(await refer('a.hot', c.id, 'ngo2'), 403, 'forbidden');
  assert.equal((await get('a.cw', `/cases/${c.id}`)).json.stage, 'contact');
});

// ---- hostile: what another organisation sees --------------------------------

test('another organisation sees nothing until a referral is accepted, then only the shared fields',
  async () => {
    const names = ['Холматова', 'Kholmatova', 'Зарина', 'Zarina'];
    const secrets = ['SECRET-SUMMARY-7731', 'Гиссар, кӯчаи 5', '+992935551234', '935551234', 'A1234567'];
    const c = await openCase({
      person: {
        given_name: 'Зарина', family_name: 'Холматова', birth_date: '1999-04-02', gender: 'Feminine',
        citizenship: 'TJ', phones: ['+992 93 555 12 34'], address: 'Гиссар, кӯчаи 5',
        identity_documents: [{ type: 'national_passport', number: 'A1234567' }],
      },
      fields: {
        exploitation_types: ['ForcedLabour'], countries_of_exploitation: ['RU'],
        summary: 'SECRET-SUMMARY-7731 recruited through a fake agency',
      },
      referral: true,
    });
    const target = { id: c.id, pid: c.pid, names, secrets };
    // A's own records on the case, which a recipient must never see.
    const aService = await as['a.cw'].req('POST', `${V1}/cases/${c.id}/services`,
      { type: 'medical', status: 'planned', notes: 'SECRET-SUMMARY-7731 clinic' });
    assert.equal(aService.status, 201, aService.text);
    assert.equal((await as['a.cw'].req('POST', `${V1}/cases/${c.id}/notes`,
      { type: 'note', text: 'A private note' })).status, 201);

    // B's own case, so that B's lists are not empty.
    const own = await openCase({ who: 'b.cw', person: { given_name: 'Бахром', family_name: 'Бобоев' } });
    const bOwn = [own.id];

    // 1. No referral at all.
    for (const who of ['b.cw', 'b.sup', 'b.hot', 'b.fp', 'b.an', 'b.adm', 'c.cw', 'p.fp'])
      await assertUnreachable(who, target, who.startsWith('b.') ? bOwn : []);

    // 2. Sent, not accepted: still nothing.
    const share = ['given_name', 'gender', 'citizenship', 'exploitation_types', 'countries_of_exploitation',
      'status'];
    const ref = await referOk('a.cw', c.id, 'ngo2', { share });
    assert.deepEqual(ref.share, share);
    assert.equal(ref.case_id, c.id);
    assert.equal(ref.from_org.code, 'iom');
    const inbox = await get('b.cw', '/referrals?box=in');
    assert.ok(inbox.json.items.some((f) => f.id === ref.id && f.status === 'sent'), 'in the inbox');
    for (const who of ['b.cw', 'b.sup', 'b.fp'])
      await assertUnreachable(who, target, bOwn);

    // 3. Accepted: the shared fields, exactly.
    const acc = await actOk('b.cw', ref.id, 'accept');
    assert.equal(acc.status, 'accepted');
    assert.ok(acc.responded_at);
    const caseKeys = ['countries_of_exploitation', 'exploitation_types', 'id', 'person', 'referral_id',
      'shared_view', 'status', 'version'];
    const personKeys = ['citizenship', 'gender', 'given_name', 'id'];
    for (const who of ['b.cw', 'b.sup', 'b.fp']) {
      const r = await get(who, `/cases/${c.id}`);
      assert.equal(r.status, 200, `${who}: ${r.text}`);
      assert.deepEqual(sorted(r.json), caseKeys, `${who}: the case's keys`);
      assert.deepEqual(sorted(r.json.person), personKeys, `${who}: the person's keys`);
      assert.equal(r.json.shared_view, true);
      assert.equal(r.json.referral_id, ref.id);
      assert.equal(r.json.status, 'Active');
      assert.deepEqual(r.json.exploitation_types, ['ForcedLabour']);
      assert.deepEqual(r.json.countries_of_exploitation, ['RU']);
      assert.deepEqual(r.json.person, { id: c.pid, given_name: 'Зарина', gender: 'Feminine', citizenship: 'TJ' });
      for (const s of [...secrets, 'Холматова']) assert.ok(!r.text.includes(s), `${who}: ${s} in the case`);

      const p = await get(who, `/persons/${c.pid}`);
      assert.equal(p.status, 200, p.text);
      assert.deepEqual(sorted(p.json), ['citizenship', 'gender', 'given_name', 'id', 'referral_id',
        'shared_view', 'version'], `${who}: the person's keys`);
      assert.equal(p.json.given_name, 'Зарина');
      for (const s of [...secrets, 'Холматова', '1999']) assert.ok(!p.text.includes(s), `${who}: ${s}`);
      // Still not the person's consents, nor the audit.
      assertProblem(await get(who, `/persons/${c.pid}/consents`), 404, 'not-found');
    }
    assertProblem(await get('b.sup', `/audit?record=cases/${c.id}`), 404, 'not-found');
    // Roles that do not receive referrals, and other organisations, still see nothing.
    for (const who of ['b.hot', 'b.an', 'b.adm', 'c.cw', 'p.fp'])
      await assertUnreachable(who, target, who.startsWith('b.') ? bOwn : []);

    // The list of B holds it, in the shared view, with filters on shared fields.
    for (const q of ['', '?status=Active', `?person_id=${c.pid}`]) {
      const l = await get('b.cw', '/cases' + q);
      assert.equal(l.status, 200, l.text);
      const item = l.json.items.find((x) => x.id === c.id);
      assert.ok(item, 'listed: ' + q);
      assert.deepEqual(sorted(item), caseKeys, 'listed keys ' + q);
      assert.deepEqual(sorted(item.person), personKeys);
      for (const s of [...secrets, 'Холматова']) assert.ok(!l.text.includes(s), `list ${q}: ${s}`);
    }
    assert.equal((await get('b.cw', '/cases')).json.items.length, 2, 'own case and the referred one');
    // A filter on a field the referral holds back (stage, assignee) does
    // not reach the case, whatever its value: else the filter would tell.
    for (const q of ['?stage=referral', '?stage=contact', `?assigned=${uid['a.cw']}`,
      `?status=Active&stage=referral&person_id=${c.pid}`]) {
      const l = await get('b.cw', '/cases' + q);
      assert.equal(l.status, 200, l.text);
      assert.ok(!l.json.items.some((x) => x.id === c.id), 'filtered on a field not shared: ' + q);
    }

    // B's timeline and records: B's own only (the acceptance so far).
    const ownOnly = async (label) => {
      const t = await get('b.cw', `/cases/${c.id}/timeline`);
      assert.equal(t.status, 200, t.text);
      for (const e of t.json.items) {
        assert.ok([uid['b.cw'], uid['b.sup'], uid['b.fp']].includes(e.created_by), `${label}: ${JSON.stringify(e)}`);
        assert.equal(e.org, 'ngo2', label);
      }
      for (const s of [...secrets, 'A private note']) assert.ok(!t.text.includes(s), `${label}: ${s}`);
      return t.json.items;
    };
    let tl = await ownOnly('after accepting');
    assert.deepEqual(tl.map((e) => e.type), ['referral']);
    for (const p of ['/services', '/notes', '/screenings', '/status-decisions', '/plans', '/followups']) {
      const r = await get('b.cw', `/cases/${c.id}${p}`);
      assert.equal(r.status, 200, r.text);
      assert.deepEqual(r.json.items, [], `B sees none of A's ${p}`);
    }

    // B adds a service and a note; A sees them on A's timeline with B's organisation.
    const bService = await as['b.cw'].req('POST', `${V1}/cases/${c.id}/services`,
      { type: 'legal', status: 'in_progress', provider_org: 'ngo2' });
    assert.equal(bService.status, 201, bService.text);
    const bNote = await as['b.cw'].req('POST', `${V1}/cases/${c.id}/notes`,
      { type: 'legal_step', text: 'B filed the claim' });
    assert.equal(bNote.status, 201, bNote.text);
    tl = await ownOnly('after adding');
    assert.deepEqual(tl.map((e) => e.id).filter((x) => x === bService.json.id || x === bNote.json.id).length, 2);
    const bServices = await get('b.cw', `/cases/${c.id}/services`);
    assert.deepEqual(bServices.json.items.map((s) => s.id), [bService.json.id]);

    const at = await get('a.cw', `/cases/${c.id}/timeline`);
    assert.equal(at.status, 200, at.text);
    const bs = at.json.items.find((e) => e.id === bService.json.id);
    const bn = at.json.items.find((e) => e.id === bNote.json.id);
    assert.ok(bs && bn, 'A sees B\'s records');
    assert.equal(bs.org, 'ngo2');
    assert.equal(bs.created_by, uid['b.cw']);
    assert.equal(bn.org, 'ngo2');
    assert.equal(bn.data.text, 'B filed the claim');
    assert.equal(at.json.items.find((e) => e.id === aService.json.id).org, 'iom');
    const as2 = await get('a.cw', `/cases/${c.id}/services`);
    assert.deepEqual(as2.json.items.map((s) => s.id).sort(), [aService.json.id, bService.json.id].sort());

    // B may not change, close, screen or decide on A's case, nor touch A's records.
    const cur = (await get('a.cw', `/cases/${c.id}`)).json.version;
    assertProblem(await as['b.cw'].req('PATCH', `${V1}/cases/${c.id}`, { summary: 'B was here' },
      { 'if-match': `"${cur}"` }), 403, 'forbidden', 'PATCH');
    assertProblem(await as['b.sup'].req('PATCH', `${V1}/cases/${c.id}`, { status: 'FollowUp' },
      { 'if-match': `"${cur}"` }), 403, 'forbidden', 'PATCH by supervisor');
    assertProblem(await as['b.cw'].req('POST', `${V1}/cases/${c.id}/close`, { reason: 'duplicate' }), 403,
      'forbidden', 'close');
    assertProblem(await as['b.sup'].req('POST', `${V1}/cases/${c.id}/close`, { reason: 'duplicate' }), 403,
      'forbidden', 'close by supervisor');
    assertProblem(await as['b.cw'].req('POST', `${V1}/cases/${c.id}/screenings`,
      { instrument: 'delphi-adult-labour', answers: { 'D1-S1': 'yes' } }), 403, 'forbidden', 'screen');
    assertProblem(await as['b.fp'].req('POST', `${V1}/cases/${c.id}/status-decisions`,
      { status: 'PossibleVictimOfTrafficking', date: today() }), 403, 'forbidden',
    'an NGO focal point decides nothing');
    assertProblem(await refer('b.cw', c.id, 'ngo3'), 403, 'forbidden', 'B refers onwards');
    assertProblem(await as['b.cw'].req('PATCH', `${V1}/services/${aService.json.id}`, { status: 'cancelled' },
      { 'if-match': '"1"' }), 404, 'not-found', 'A\'s service is not B\'s to see');
    const bPatch = await as['b.cw'].req('PATCH', `${V1}/services/${bService.json.id}`, { status: 'completed' },
      { 'if-match': '"1"' });
    assert.equal(bPatch.status, 200, 'B updates its own service: ' + bPatch.text);
    const after = await get('a.cw', `/cases/${c.id}`);
    assert.equal(after.json.summary, 'SECRET-SUMMARY-7731 recruited through a fake agency');
    assert.equal(after.json.version, cur, 'nothing changed the case');

    // The access log: B's reads and writes, nothing of A's own; B may not read it.
    assertProblem(await get('b.cw', `/cases/${c.id}/access-log`), 403, 'forbidden');
    assertProblem(await get('b.sup', `/cases/${c.id}/access-log`), 403, 'forbidden');
    const log = await poll(async () => {
      const r = await get('a.sup', `/cases/${c.id}/access-log`);
      assert.equal(r.status, 200, r.text);
      const its = r.json.items;
      return its.some((e) => e.record === `persons/${c.pid}` && e.action === 'read') &&
        its.some((e) => e.record === `cases/${c.id}` && e.action === 'read') ? r.json : null;
    }, { timeout: 3000 });
    assert.ok(log, 'the access log shows B\'s reads');
    for (const e of log.items) {
      assert.ok(['ngo2'].includes(e.org), `only other organisations: ${JSON.stringify(e)}`);
      assert.ok(['b.cw', 'b.sup', 'b.fp'].includes(e.user), JSON.stringify(e));
    }
    const users = new Set(log.items.map((e) => e.user));
    for (const u of ['b.cw', 'b.sup', 'b.fp']) assert.ok(users.has(u), `${u} is in the access log`);
    assert.ok(log.items.some((e) => e.record === `services/${bService.json.id}` && e.action === 'create'));
    assert.ok(log.items.some((e) => e.record === `services/${bService.json.id}` && e.action === 'update'));
    assert.ok(log.items.some((e) => e.record === `notes/${bNote.json.id}` && e.action === 'create'));
    assert.ok(log.items.some((e) => e.action === 'read' && e.record === `cases/${c.id}` && e.user === 'b.cw'));
    // It names the fields B read: the shared ones, never those held back.
    for (const e of log.items.filter((x) => x.action === 'read')) {
      const fields = e.fields ? e.fields.split(',') : [];
      // (a sealed field of a record on the case is named kind.field: B's own records)
      for (const f of fields)
        assert.ok([...share, 'timeline', 'services', 'notes', 'screenings', 'plans', 'followups'].includes(f) ||
          /^(note|service|plan|followup)\./.test(f),
          `the access log says B read ${f}: ${JSON.stringify(e)}`);
    }
    assert.equal((await get('a.cw', `/cases/${c.id}/access-log`)).status, 200, 'caseworkers of A read it');
    assertProblem(await get('a.hot', `/cases/${c.id}/access-log`), 403, 'forbidden', 'hotline of A');

    // 4. A withdraws the consent: B sees nothing again, everywhere.
    await withdrawConsent('a.cw', c.consent.id);
    for (const who of ['b.cw', 'b.sup', 'b.fp', 'b.hot'])
      await assertUnreachable(who, target, bOwn);
    assertProblem(await as['b.cw'].req('PATCH', `${V1}/services/${bService.json.id}`, { status: 'cancelled' },
      { 'if-match': '"2"' }), 404, 'not-found', 'nor its own records on the case');
    // The referral itself stays in both boxes (its status unchanged).
    const still = await get('b.cw', `/referrals/${ref.id}`);
    assert.equal(still.status, 200, still.text);
    assert.equal(still.json.status, 'accepted');
  });

test('a field is shown only when shared: the summary, the family name', async () => {
  const c = await openCase({
    person: { given_name: 'Далер', family_name: 'Курбонов', birth_date: '1990-01-01' },
    fields: { summary: 'shared summary text' }, referral: true,
  });
  const ref = await referOk('a.cw', c.id, 'ngo3', { share: ['summary', 'family_name'] });
  await actOk('c.cw', ref.id, 'accept');
  const r = await get('c.cw', `/cases/${c.id}`);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(sorted(r.json), ['id', 'person', 'referral_id', 'shared_view', 'summary', 'version']);
  assert.equal(r.json.summary, 'shared summary text');
  assert.deepEqual(r.json.person, { id: c.pid, family_name: 'Курбонов' });
  const p = await get('c.cw', `/persons/${c.pid}`);
  assert.deepEqual(sorted(p.json), ['family_name', 'id', 'referral_id', 'shared_view', 'version']);
  const log = await poll(async () => {
    const l = await get('a.cw', `/cases/${c.id}/access-log`);
    return l.json.items.some((e) => e.record === `cases/${c.id}`) ? l.json.items : null;
  }, { timeout: 3000 });
  assert.ok(log, 'the read is logged');
  assert.deepEqual(log.filter((e) => e.record === `cases/${c.id}`).map((e) => e.fields), ['summary']);
  assert.ok(log.filter((e) => e.record === `persons/${c.pid}`).every((e) => e.fields === 'family_name'));
  // Another organisation with no referral of its own still sees nothing.
  await assertUnreachable('b.cw', { id: c.id, pid: c.pid, names: ['Курбонов'], secrets: ['shared summary'] },
    (await get('b.cw', '/cases')).json.items.map((x) => x.id));
});

// ---- the lifecycle ---------------------------------------------------------

test('inbox and outbox, status filter and overdue', async () => {
  const c1 = await openCase({ referral: true });
  const c2 = await openCase({ referral: true });
  const late = await referOk('a.cw', c1.id, 'ngo3', { due: day(-2), urgency: 'high' });
  const soon = await referOk('a.cw', c2.id, 'ngo3', { due: day(10) });
  assert.equal(late.urgency, 'high');
  assert.equal(late.due, day(-2));
  assert.equal(soon.urgency, 'normal');
  // The NRM stage moves to referral when one is sent.
  for (const c of [c1, c2]) assert.equal((await get('a.cw', `/cases/${c.id}`)).json.stage, 'referral');
  const tl = await get('a.cw', `/cases/${c1.id}/timeline`);
  assert.ok(tl.json.items.some((e) => e.type === 'referral' && e.data.referral_id === late.id));

  const ids = (r) => { assert.equal(r.status, 200, r.text); return r.json.items.map((f) => f.id); };
  const inC = ids(await get('c.cw', '/referrals?box=in'));
  assert.ok(inC.includes(late.id) && inC.includes(soon.id));
  assert.deepEqual(ids(await get('c.cw', '/referrals')), inC, 'the inbox by default');
  assert.ok(!ids(await get('c.cw', '/referrals?box=out')).includes(late.id));
  const outA = ids(await get('a.cw', '/referrals?box=out'));
  assert.ok(outA.includes(late.id) && outA.includes(soon.id));
  assert.ok(!ids(await get('a.cw', '/referrals?box=in')).includes(late.id));
  assert.ok(!ids(await get('b.cw', '/referrals?box=in')).includes(late.id), 'not in another inbox');
  assert.ok(ids(await get('c.cw', '/referrals?box=in&status=sent')).includes(late.id));
  assert.ok(!ids(await get('c.cw', '/referrals?box=in&status=accepted')).includes(late.id));
  const overdue = ids(await get('c.cw', '/referrals?box=in&overdue=1'));
  assert.ok(overdue.includes(late.id) && !overdue.includes(soon.id), 'only the late one is overdue');
  const overdueOut = ids(await get('a.cw', '/referrals?box=out&overdue=1'));
  assert.ok(overdueOut.includes(late.id) && !overdueOut.includes(soon.id));
  assertProblem(await get('c.cw', '/referrals?box=sideways'), 422, 'invalid-value');
  assertProblem(await get('c.cw', '/referrals?status=lost'), 422, 'invalid-value');
  for (const who of ['b.an', 'b.adm'])
    assertProblem(await get(who, '/referrals?box=in'), 403, 'forbidden', who);
  // One referral by id: to the two organisations only, and not to every role.
  assert.equal((await get('c.cw', `/referrals/${late.id}`)).status, 200);
  assert.equal((await get('a.cw', `/referrals/${late.id}`)).json.reason, 'needs a lawyer');
  assertProblem(await get('b.cw', `/referrals/${late.id}`), 404, 'not-found', 'another organisation');
  assertProblem(await get('p.fp', `/referrals/${late.id}`), 404, 'not-found', 'another organisation');
  for (const who of ['b.an', 'b.adm']) {
    const mine = await referOk('a.cw', c2.id, 'ngo2');
    assertProblem(await get(who, `/referrals/${mine.id}`), 403, 'forbidden', `${who} reads a referral`);
  }
  // An accepted referral past its due date is still overdue; a declined one is not.
  await actOk('c.cw', late.id, 'accept');
  assert.ok(ids(await get('c.cw', '/referrals?box=in&overdue=1')).includes(late.id));
  assert.ok(ids(await get('c.cw', '/referrals?box=in&status=accepted')).includes(late.id));
});

test('accept, decline, complete and withdraw: who, from which status, and the access each leaves', async () => {
  const mk = async () => {
    const c = await openCase({ referral: true });
    const f = await referOk('a.cw', c.id, 'ngo2');
    return { c, f };
  };
  const sees = async (c) => (await get('b.cw', `/cases/${c.id}`)).status;

  // Accept: only the recipient's roles that answer referrals, only once.
  const one = await mk();
  assert.equal(await sees(one.c), 404, 'pending: no access');
  assertProblem(await act('a.cw', one.f.id, 'accept'), 403, 'forbidden', 'the sender accepts');
  assertProblem(await act('a.sup', one.f.id, 'accept'), 403, 'forbidden', 'the sender accepts');
  for (const who of ['b.hot', 'b.an', 'b.adm'])
    assertProblem(await act(who, one.f.id, 'accept'), 403, 'forbidden', `${who} accepts`);
  assertProblem(await act('c.cw', one.f.id, 'accept'), 404, 'not-found', 'a third organisation');
  assertProblem(await act('b.cw', one.f.id, 'accept', { note: 'x' }), 422, 'unknown-field');
  const acc = await actOk('b.sup', one.f.id, 'accept');
  assert.equal(acc.status, 'accepted');
  assert.equal(acc.version, 2);
  assert.equal(await sees(one.c), 200, 'accepted: access');
  assertProblem(await act('b.cw', one.f.id, 'accept'), 409, 'invalid-transition', 'accepted twice');
  assertProblem(await act('b.cw', one.f.id, 'decline', { reason: 'late' }), 409, 'invalid-transition');

  // Complete: by the recipient, from accepted, with feedback; then no access.
  assertProblem(await act('a.cw', one.f.id, 'complete'), 403, 'forbidden', 'the sender completes');
  assertProblem(await act('b.cw', one.f.id, 'complete', { feedback: '' }), 422, 'invalid-value');
  const done = await actOk('b.cw', one.f.id, 'complete', { feedback: 'legal aid given, claim filed' });
  assert.equal(done.status, 'completed');
  assert.equal(done.feedback, 'legal aid given, claim filed');
  // A completed referral gives no access: access needs an accepted referral
  // (REFERRAL_LIVE in store/referrals.c), so the recipient's work ends there.
  assert.equal(await sees(one.c), 404, 'completed: no access');
  const l = await get('b.cw', '/cases');
  assert.ok(!l.json.items.some((x) => x.id === one.c.id), 'completed: not listed');
  assertProblem(await act('b.cw', one.f.id, 'complete'), 409, 'invalid-transition', 'completed twice');
  assertProblem(await act('a.cw', one.f.id, 'withdraw'), 409, 'invalid-transition', 'withdraw a completed one');
  assert.equal((await get('a.cw', `/referrals/${one.f.id}`)).json.feedback, 'legal aid given, claim filed');

  // Decline: a reason is required; then no access, and no answer after.
  const two = await mk();
  assertProblem(await act('b.cw', two.f.id, 'decline'), 422, 'missing-field', 'no reason');
  assertProblem(await act('b.cw', two.f.id, 'decline', {}), 422, 'missing-field', 'no reason');
  assertProblem(await act('b.cw', two.f.id, 'decline', { reason: 7 }), 422, 'invalid-value');
  assertProblem(await act('a.cw', two.f.id, 'decline', { reason: 'x' }), 403, 'forbidden', 'the sender declines');
  assertProblem(await act('b.cw', two.f.id, 'complete'), 409, 'invalid-transition', 'complete a sent one');
  const dec = await actOk('b.cw', two.f.id, 'decline', { reason: 'no lawyer free this month' });
  assert.equal(dec.status, 'declined');
  assert.equal(dec.decline_reason, 'no lawyer free this month');
  assert.equal(await sees(two.c), 404, 'declined: no access');
  assertProblem(await act('b.cw', two.f.id, 'accept'), 409, 'invalid-transition', 'accept a declined one');
  assertProblem(await act('a.cw', two.f.id, 'withdraw'), 409, 'invalid-transition', 'withdraw a declined one');

  // Withdraw by the sender, from sent: the recipient cannot accept it after.
  const three = await mk();
  assertProblem(await act('b.cw', three.f.id, 'withdraw'), 403, 'forbidden', 'the recipient withdraws');
  assertProblem(await act('a.hot', three.f.id, 'withdraw'), 403, 'forbidden', 'a hotline operator withdraws');
  const wd = await actOk('a.cw', three.f.id, 'withdraw', { reason: 'the person moved' });
  assert.equal(wd.status, 'withdrawn');
  assert.equal(wd.withdraw_reason, 'the person moved');
  assertProblem(await act('b.cw', three.f.id, 'accept'), 409, 'invalid-transition');
  assert.equal(await sees(three.c), 404);

  // Withdraw from accepted: the recipient loses access at once.
  const four = await mk();
  await actOk('b.cw', four.f.id, 'accept');
  assert.equal(await sees(four.c), 200);
  await actOk('a.sup', four.f.id, 'withdraw');
  assert.equal(await sees(four.c), 404, 'withdrawn: no access');
  assert.equal((await get('b.cw', `/persons/${four.c.pid}`)).status, 404);
  assertProblem(await act('b.cw', four.f.id, 'complete'), 409, 'invalid-transition');
  const inbox = await get('b.cw', '/referrals?box=in&status=withdrawn');
  assert.ok(inbox.json.items.some((f) => f.id === four.f.id));

  // Accepting needs the consent to stand then: withdrawn meanwhile, 409;
  // a new consent given, the referral is accepted under it.
  const five = await mk();
  await withdrawConsent('a.cw', five.c.consent.id);
  assertProblem(await act('b.cw', five.f.id, 'accept'), 409, 'consent-required', 'consent gone');
  assert.equal((await get('b.cw', `/referrals/${five.f.id}`)).json.status, 'sent');
  await consent('a.cw', five.c.pid, { purpose: 'referral', method: 'written', recipient_org: 'ngo2' });
  await actOk('b.cw', five.f.id, 'accept');
  assert.equal(await sees(five.c), 200, 'accepted under the new consent');
});

test('referral figures: counts by status, accepted, completed and the median days to an answer', async () => {
  // Fresh activity of a.sup's organisation joins what earlier tests left.
  const c1 = await openCase({ referral: true });
  const c2 = await openCase({ referral: true });
  const f1 = await referOk('a.sup', c1.id, 'ngo3');
  const f2 = await referOk('a.sup', c2.id, 'ngo3');
  await actOk('c.cw', f1.id, 'accept');
  await actOk('c.cw', f1.id, 'complete');
  await actOk('c.cw', f2.id, 'decline', { reason: 'full' });

  for (const [who, box] of [['a.cw', 'out'], ['c.cw', 'in'], ['b.cw', 'in']]) {
    const list = await get(who, `/referrals?box=${box}`);
    const st = await get(who, `/referrals/stats?box=${box}`);
    assert.equal(st.status, 200, st.text);
    assert.equal(st.json.box, box);
    const items = list.json.items;
    const count = (s) => items.filter((f) => f.status === s).length;
    assert.equal(st.json.total, items.length, `${who} total`);
    assert.deepEqual(st.json.by_status, {
      sent: count('sent'), accepted: count('accepted'), declined: count('declined'),
      completed: count('completed'), withdrawn: count('withdrawn'),
    }, `${who} by status`);
    assert.equal(st.json.accepted, count('accepted') + count('completed'));
    assert.equal(st.json.completed, count('completed'));
    assert.equal(typeof st.json.median_days_to_response, 'number', `${who}: ${st.text}`);
    assert.ok(st.json.median_days_to_response >= 0 && st.json.median_days_to_response < 1,
      'answered within the test');
  }
  const out = await get('a.cw', '/referrals/stats');
  assert.equal(out.json.box, 'out', 'the outbox by default');
  assert.ok(out.json.completed >= 1 && out.json.by_status.declined >= 1);
  // An organisation that never answered has no median.
  const none = await get('p.cw', '/referrals/stats?box=out');
  assert.equal(none.status, 200, none.text);
  assert.equal(none.json.total, 0);
  assert.equal(none.json.median_days_to_response, null);
  for (const who of ['b.an', 'b.adm', 'b.hot'])
    assertProblem(await get(who, '/referrals/stats'), 403, 'forbidden', who);
  assertProblem(await get('a.cw', '/referrals/stats?box=all'), 422, 'invalid-value');
});

test('decisions due: a police focal point sees an accepted referral until it records a decision',
  async () => {
    const c = await openCase({ referral: { purpose: 'law_enforcement', method: 'written' } });
    const f = await referOk('a.cw', c.id, 'police', { share: ['gender', 'status', 'trafficking_status'] });
    const due = async () => {
      const r = await get('p.fp', '/referrals/decisions-due');
      assert.equal(r.status, 200, r.text);
      return r.json.items.map((x) => x.id);
    };
    assert.ok(!(await due()).includes(f.id), 'not while only sent');
    await actOk('p.fp', f.id, 'accept');
    assert.ok((await due()).includes(f.id), 'due once accepted');
    for (const who of ['p.cw', 'b.an'])
      assertProblem(await get(who, '/referrals/decisions-due'), 403, 'forbidden', who);
    assert.ok(!(await get('b.sup', '/referrals/decisions-due')).json.items.some((x) => x.id === f.id));

    const body = { status: 'PossibleVictimOfTrafficking', date: today(), reference: 'UVD-17' };
    // A caseworker of the police may not decide; its focal point may.
    assertProblem(await as['p.cw'].req('POST', `${V1}/cases/${c.id}/status-decisions`, body), 403, 'forbidden');
    const d = await as['p.fp'].req('POST', `${V1}/cases/${c.id}/status-decisions`, body);
    assert.equal(d.status, 201, d.text);
    assert.equal(d.json.status, 'PossibleVictimOfTrafficking');
    assert.ok(!(await due()).includes(f.id), 'gone once decided');

    // The owner sees the decision and the case carries it.
    const own = await get('a.cw', `/cases/${c.id}`);
    assert.equal(own.json.trafficking_status, 'PossibleVictimOfTrafficking');
    assert.equal(own.json.stage, 'referral', 'a decision does not move the stage back');
    const ds = await get('a.cw', `/cases/${c.id}/status-decisions`);
    assert.deepEqual(ds.json.items.map((x) => x.id), [d.json.id]);
    const at = await get('a.cw', `/cases/${c.id}/timeline`);
    assert.equal(at.json.items.find((e) => e.id === d.json.id).org, 'police');
    // The police sees the shared trafficking status.
    const pv = await get('p.fp', `/cases/${c.id}`);
    assert.equal(pv.json.trafficking_status, 'PossibleVictimOfTrafficking');
    assert.equal(pv.json.shared_view, true);
    // Recorded in the access log as a police write.
    const log = await get('a.sup', `/cases/${c.id}/access-log`);
    assert.ok(log.json.items.some((e) => e.user === 'p.fp' && e.org === 'police' &&
      e.record === `status_decisions/${d.json.id}` && e.action === 'create'), log.text);
  });

// ---- transfers -------------------------------------------------------------

test('a transfer needs consent and moves the case and the person to the recipient', async () => {
  const person = { given_name: 'Парвина', family_name: 'Юсуфова', birth_date: '2001-05-05' };
  const c = await openCase({ person, fields: { summary: 'transfer summary' } });
  const transfer = (who, body = { to_org: 'ngo2' }) =>
    as[who].req('POST', `${V1}/cases/${c.id}/transfer`, body);

  assertProblem(await transfer('a.cw'), 409, 'consent-required', 'no consent');
  await consent('a.cw', c.pid, { purpose: 'referral', method: 'written', recipient_org: 'ngo3' });
  assertProblem(await transfer('a.cw'), 409, 'consent-required', 'consent to another recipient');
  await consent('a.cw', c.pid, { purpose: 'referral', method: 'written', recipient_org: 'ngo2' });
  assertProblem(await transfer('b.cw'), 404, 'not-found', 'the recipient asks for it');
  assertProblem(await transfer('a.hot'), 403, 'forbidden', 'a hotline operator');
  assertProblem(await transfer('a.cw', { to_org: 'nosuch' }), 422, 'invalid-value');
  // Referred first (its names shared): once transferred, a search by name
  // lists the case once, as B's own.
  await actOk('b.cw', (await referOk('a.cw', c.id, 'ngo2', { share: ['given_name', 'family_name'] })).id, 'accept');
  const t = await transfer('a.cw');
  assert.equal(t.status, 201, t.text);
  assert.equal(t.json.kind, 'transfer');
  assert.equal(t.json.status, 'sent');

  // Pending: the recipient sees no more than its referral's share yet, the sender still everything.
  assert.equal((await get('b.cw', `/cases/${c.id}`)).json.shared_view, true);
  assert.equal((await get('a.cw', `/cases/${c.id}`)).status, 200);

  const acc = await actOk('b.cw', t.json.id, 'accept');
  assert.equal(acc.status, 'completed', 'a transfer is done once accepted');

  // B owns it now: the whole case, the person by name.
  const bc = await get('b.cw', `/cases/${c.id}`);
  assert.equal(bc.status, 200, bc.text);
  assert.equal(bc.json.shared_view, undefined);
  assert.equal(bc.json.summary, 'transfer summary');
  assert.equal(bc.json.person.family_name, 'Юсуфова');
  const bp = await get('b.cw', `/persons/${c.pid}`);
  assert.equal(bp.status, 200, bp.text);
  assert.equal(bp.json.shared_view, undefined);
  assert.equal(bp.json.birth_date, '2001-05-05');
  for (const q of ['Юсуфова', 'Yusufova', 'Парвина']) {
    const s = await get('b.cw', '/persons?q=' + encodeURIComponent(q));
    assert.ok(s.json.items.some((p) => p.id === c.pid), `B finds the person by ${q}`);
    const cs = await get('b.cw', '/cases?q=' + encodeURIComponent(q));
    assert.equal(cs.json.items.filter((x) => x.id === c.id).length, 1, `B finds the case once by ${q}`);
  }
  assert.ok((await get('b.cw', '/cases')).json.items.some((x) => x.id === c.id));
  const tl = await get('b.cw', `/cases/${c.id}/timeline`);
  assert.ok(tl.json.items.some((e) => e.type === 'opened'), 'the whole history came along');
  const cur = bc.json.version;
  const p = await as['b.cw'].req('PATCH', `${V1}/cases/${c.id}`, { summary: 'B now' }, { 'if-match': `"${cur}"` });
  assert.equal(p.status, 200, p.text);
  assert.equal((await get('b.cw', `/persons/${c.pid}/consents`)).status, 200, 'the consents came along');

  // A has nothing left.
  await assertUnreachable('a.cw', { id: c.id, pid: c.pid, names: ['Юсуфова', 'Yusufova', 'Парвина'],
    secrets: ['transfer summary', 'B now'] }, (await get('a.cw', '/cases?limit=200')).json.items.map((x) => x.id));
  assertProblem(await act('a.cw', t.json.id, 'withdraw'), 409, 'invalid-transition');
});

test('a transfer is refused while the person has another open case here; their closed cases go along', async () => {
  const c = await openCase({ referral: true });
  const second = await as['a.cw'].req('POST', V1 + '/cases', { person_id: c.pid });
  assert.equal(second.status, 201, second.text);
  const refused = await as['a.cw'].req('POST', `${V1}/cases/${second.json.id}/transfer`, { to_org: 'ngo2' });
  assertProblem(refused, 409, 'person-has-other-cases');
  assert.match(refused.json.detail, /close it first/);
  assertProblem(await as['a.cw'].req('POST', `${V1}/cases/${c.id}/transfer`, { to_org: 'ngo2' }), 409,
    'person-has-other-cases');
  // Closed, the earlier case goes with the person and the case transferred
  // (an outside review: a closed case held the person here for good).
  const note = await as['a.cw'].req('POST', `${V1}/cases/${c.id}/notes`, { type: 'note', text: 'EARLIER-CASE-NOTE' });
  assert.equal(note.status, 201, note.text);
  await consent('a.cw', c.pid, { purpose: 'referral', method: 'written', recipient_org: 'ngo3' });
  const early = await referOk('a.cw', c.id, 'ngo3');
  const due = await as['a.cw'].req('POST', `${V1}/cases/${c.id}/followups`, { due: day(5), assigned_to: uid['a.cw'] });
  assert.equal(due.status, 201, due.text);
  assert.equal((await as['a.cw'].req('POST', `${V1}/cases/${c.id}/close`, { reason: 'duplicate' })).status, 200);
  await consent('a.cw', c.pid, { purpose: 'referral', method: 'written', recipient_org: 'ngo2' });
  const t = await as['a.cw'].req('POST', `${V1}/cases/${second.json.id}/transfer`, { to_org: 'ngo2' });
  assert.equal(t.status, 201, t.text);
  await actOk('b.cw', t.json.id, 'accept');
  for (const id of [c.id, second.json.id]) {
    assertProblem(await get('a.cw', `/cases/${id}`), 404, 'not-found', 'the old owner: ' + id);
    assert.equal((await get('b.cw', `/cases/${id}`)).status, 200, 'the new owner: ' + id);
  }
  assert.equal((await get('b.cw', `/cases/${c.id}`)).json.status, 'Closed');
  // The closed case's referrals and work go along too: its open referral is
  // the new owner's to follow and withdraw, the old owner reads no feedback
  // given after; its open follow-up is the accepting worker's.
  assert.equal((await get('b.cw', `/referrals/${early.id}`)).json.handed_over, true);
  assertProblem(await get('a.cw', `/referrals/${early.id}`), 404, 'not-found');
  await actOk('c.cw', early.id, 'accept');
  await actOk('c.cw', early.id, 'complete', { feedback: 'FEEDBACK-AFTER-TRANSFER' });
  assertProblem(await get('a.cw', `/referrals/${early.id}`), 404, 'not-found');
  assert.match((await get('b.cw', `/referrals/${early.id}`)).text, /FEEDBACK-AFTER-TRANSFER/);
  const fu = await get('b.cw', `/followups/${due.json.id}`);
  assert.equal(fu.json.assigned_to, uid['b.cw'], fu.text);
  assert.equal((await get('b.cw', `/cases/${c.id}`)).json.assigned_to, uid['b.cw']);
  const n = await get('b.cw', `/notes/${note.json.id}`);
  assert.equal(n.json.org, 'ngo2', n.text);
  assert.equal(n.json.read_only, undefined, n.text);
  const mine = await get('b.cw', `/cases?person_id=${c.pid}`);
  assert.equal(mine.json.items.length, 2, mine.text);
});

test('a transfer whose consent is withdrawn before it is accepted moves nothing', async () => {
  const c = await openCase({ referral: true });
  const t = await as['a.cw'].req('POST', `${V1}/cases/${c.id}/transfer`, { to_org: 'ngo2' });
  assert.equal(t.status, 201, t.text);
  await withdrawConsent('a.cw', c.consent.id);
  assertProblem(await act('b.cw', t.json.id, 'accept'), 409, 'consent-required');
  assert.equal((await get('a.cw', `/cases/${c.id}`)).status, 200, 'A keeps the case');
  assert.equal((await get('b.cw', `/cases/${c.id}`)).status, 404);
  assert.equal((await get('b.cw', `/persons/${c.pid}`)).status, 404);
  assert.equal((await get('a.cw', `/referrals/${t.json.id}`)).json.status, 'sent');
});

// ---- the hostile review of 2026-12 (issue 10, findings 3, 4 and 14) ----------

test('a recipient\'s case list: no cursor names a case it cannot see, filters only on shared fields', async () => {
  // Cases of iom referred to ngo3 with only given_name shared, and one
  // that shares its status: a status filter shows the latter, and no
  // `next` may point past what the page showed.
  const hidden = [];
  for (let i = 0; i < 3; i++) {
    const c = await openCase({ referral: true });
    const f = await referOk('a.cw', c.id, 'ngo3', { share: ['given_name', 'exploitation_types'] });
    await actOk('c.cw', f.id, 'accept');
    hidden.push(c.id);
  }
  const shown = await openCase({ referral: true });
  const fs = await referOk('a.cw', shown.id, 'ngo3', { share: ['given_name', 'status'] });
  await actOk('c.cw', fs.id, 'accept');
  for (const limit of [1, 2, 3, 50]) {
    let cursor = null;
    const got = [];
    for (let page = 0; page < 10; page++) {
      const r = await get('c.cw', `/cases?status=Active&limit=${limit}` + (cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''));
      assert.equal(r.status, 200, r.text);
      for (const id of hidden)
        assert.ok(!r.text.includes(id), `limit ${limit}: a hidden case is named: ${r.text}`);
      got.push(...r.json.items.map((c) => c.id));
      if (r.json.next) {
        assert.ok(r.json.items.length > 0, `limit ${limit}: an empty page with a next cursor`);
        assert.ok(!r.json.next.includes(r.json.items.at(-1).id) && !/\d{4}-\d\d-\d\dT/.test(r.json.next),
          'the cursor is sealed: no id, no time: ' + r.json.next);
      }
      cursor = r.json.next;
      if (!cursor) break;
    }
    assert.ok(got.includes(shown.id), `limit ${limit}: the shared case is listed`);
    for (const id of hidden) assert.ok(!got.includes(id));
  }
});

test('a recipient finds a referred case by the names shared with it, in any script, and by no other', async () => {
  // ngo2's own search reads its own blind index, which iom's persons are
  // not in: the referred cases are found by their shared names instead.
  const person = { given_name: 'Шаҳноза', family_name: 'Ғоибназарова' };
  const both = await openCase({ person, referral: true });
  await actOk('b.cw', (await referOk('a.cw', both.id, 'ngo2', { share: ['given_name', 'family_name'] })).id, 'accept');
  const first = await openCase({ person, referral: true });
  await actOk('b.cw', (await referOk('a.cw', first.id, 'ngo2', { share: ['given_name'] })).id, 'accept');
  const none = await openCase({ person, referral: true });
  await actOk('b.cw', (await referOk('a.cw', none.id, 'ngo2', { share: ['gender'] })).id, 'accept');
  const pending = await openCase({ person, referral: true });
  await referOk('a.cw', pending.id, 'ngo2', { share: ['given_name', 'family_name'] }); // not accepted
  const ids = async (who, q) => {
    const r = await get(who, '/cases?q=' + encodeURIComponent(q));
    assert.equal(r.status, 200, r.text);
    return r.json.items.map((c) => c.id);
  };
  // The family name, shared by one referral only, in Latin and by its beginning.
  for (const q of ['Ғоибназарова', 'Goibnazarova', 'Гоибназар', 'Shahnoza Goibnazarova']) {
    const got = await ids('b.cw', q);
    assert.ok(got.includes(both.id), `${q}: the case sharing both names: ${got}`);
    for (const c of [first, none, pending]) assert.ok(!got.includes(c.id), `${q}: ${c.id} shares no family name`);
  }
  // The given name: both referrals that share it.
  const got = await ids('b.cw', 'Shahnoza');
  assert.ok(got.includes(both.id) && got.includes(first.id), String(got));
  assert.ok(!got.includes(none.id) && !got.includes(pending.id), String(got));
  // What is listed is the share: no family name for the one that holds it back.
  const r = await get('b.cw', '/cases?q=Shahnoza');
  const item = r.json.items.find((c) => c.id === first.id);
  assert.ok(item && !JSON.stringify(item).includes('Ғоибназарова'), JSON.stringify(item));
  // Another NGO, and the sender's own search, as before.
  assert.deepEqual(await ids('c.cw', 'Goibnazarova'), []);
  assert.ok((await ids('a.cw', 'Goibnazarova')).includes(none.id));
});

test('a recipient\'s search follows the shared names: renamed, found by the new name and not the old; made again after the start', async () => {
  const c = await openCase({ person: { given_name: 'Дилафрӯз', family_name: 'Ҳамроқулова' }, referral: true });
  const db = join(srv.data, 'himoya.db');
  const keysOf = (id) => Number(sqlite(db, `SELECT count(*) FROM referral_names WHERE referral_id = '${id}'`).trim());
  const f = await referOk('a.cw', c.id, 'ngo2', { share: ['given_name', 'family_name'] });
  assert.equal(keysOf(f.id), 0, 'sent, not accepted: no key of the recipient\'s yet');
  await actOk('b.cw', f.id, 'accept');
  assert.ok(keysOf(f.id) > 0);
  // Declined or withdrawn: none kept (nor made again at a rename).
  const c2 = await openCase({ person: { given_name: 'Мавлуда', family_name: 'Сайфиддинова' }, referral: true });
  const f2 = await referOk('a.cw', c2.id, 'ngo2', { share: ['given_name', 'family_name'] });
  await actOk('b.cw', f2.id, 'accept');
  assert.ok(keysOf(f2.id) > 0);
  await actOk('a.cw', f2.id, 'withdraw', { reason: 'no longer needed' });
  assert.equal(keysOf(f2.id), 0, 'withdrawn: no key');
  const p2 = await get('a.cw', `/persons/${c2.pid}`);
  assert.equal((await as['a.cw'].req('PATCH', `${V1}/persons/${c2.pid}`, { family_name: 'Раҳмонбердиева' }, { 'if-match': `"${p2.json.version}"` })).status, 200);
  assert.equal(keysOf(f2.id), 0, 'not made again at a rename');
  // The consent withdrawn while the referral stands accepted: none either.
  const c3 = await openCase({ person: { given_name: 'Sitora', family_name: 'Boboeva' }, referral: true });
  const f3 = await referOk('a.cw', c3.id, 'ngo2', { share: ['given_name', 'family_name'] });
  await actOk('b.cw', f3.id, 'accept');
  assert.ok(keysOf(f3.id) > 0);
  await withdrawConsent('a.cw', c3.consent.id);
  assert.equal(keysOf(f3.id), 0, 'the consent withdrawn: no key');
  const ids = async (q) => {
    const r = await get('b.cw', '/cases?q=' + encodeURIComponent(q));
    assert.equal(r.status, 200, r.text);
    return r.json.items.map((x) => x.id);
  };
  assert.ok((await ids('Hamroqulova')).includes(c.id));
  const p = await get('a.cw', `/persons/${c.pid}`);
  const ren = await as['a.cw'].req('PATCH', `${V1}/persons/${c.pid}`, { family_name: 'Сафарова' }, { 'if-match': `"${p.json.version}"` });
  assert.equal(ren.status, 200, ren.text);
  assert.ok((await ids('Safarova Dilafruz')).includes(c.id), 'the new name');
  assert.ok(!(await ids('Hamroqulova')).includes(c.id), 'not the old one');
  // Kept as blind keys of the recipient's: the names are nowhere in clear.
  const dump = sqlite(db, "SELECT org_id || key FROM referral_names");
  assert.ok(!dump.includes('Сафарова') && !/safarova/i.test(dump));
  // Emptied behind the server (as a folder from before the index): made
  // again at the next start.
  await srv.stop();
  sqlite(db, 'DELETE FROM referral_names');
  const s2 = await serveDir(srv.data, { port: new URL(srv.url).port });
  srv.stop = s2.stop;
  for (const who of ['a.cw', 'b.cw']) assert.equal((await as[who].login(who, PW)).status, 200);
  // Made in the background once the server listens.
  assert.ok(await poll(() => /event=referral_names referrals=[1-9]\d* ms=\d+\n/.test(s2.log()), { timeout: 10000 }),
    s2.log());
  assert.ok((await ids('Safarova')).includes(c.id), 'found again after the start');
});

test('a merge moves the recipient\'s keys with the referral to the survivor\'s names; its undo moves them back', async () => {
  // The referred person is registered again as Рустамҷон; merged into that
  // record, the referred case is the survivor's and is found by the
  // survivor's given name, not only after the next start.
  const birth = { birth_date: '1987-02-14', gender: 'Masculine', region_of_origin: 'TJ-KT' };
  const c = await openCase({ person: { given_name: 'Рустам', family_name: 'Абдуллоев', ...birth }, referral: true });
  const f = await referOk('a.cw', c.id, 'ngo2', { share: ['given_name', 'family_name'] });
  await actOk('b.cw', f.id, 'accept');
  const db = join(srv.data, 'himoya.db');
  const keysOf = () => Number(sqlite(db, `SELECT count(*) FROM referral_names WHERE referral_id = '${f.id}'`).trim());
  const own = keysOf();
  assert.ok(own > 0);
  const r = await as['a.cw'].req('POST', `${V1}/persons?duplicates=register`,
    { given_name: 'Рустамҷон', family_name: 'Абдуллоев', ...birth });
  assert.equal(r.status, 201, r.text);
  const survivor = r.json.id;
  const pairs = (await get('a.cw', '/duplicates')).json.items;
  const pair = pairs.find((p) => p.persons.some((x) => x.id === c.pid) && p.persons.some((x) => x.id === survivor));
  assert.ok(pair, JSON.stringify(pairs));
  const ids = async (q) => {
    const res = await get('b.cw', '/cases?q=' + encodeURIComponent(q));
    assert.equal(res.status, 200, res.text);
    return res.json.items.map((x) => x.id);
  };
  assert.ok((await ids('Rustam Abdulloev')).includes(c.id));
  assert.ok(!(await ids('Rustamjon')).includes(c.id), 'not the other record\'s name before the merge');
  const m = await as['a.cw'].req('POST', `${V1}/duplicates/${pair.id}/merge`, { survivor });
  assert.equal(m.status, 200, m.text);
  assert.ok((await ids('Rustamjon Abdulloev')).includes(c.id), 'the survivor\'s name finds the moved case');
  assert.ok(keysOf() > own, 'the longer given name\'s keys');
  const u = await as['a.cw'].req('POST', `${V1}/merges/${m.json.id}/undo`);
  assert.equal(u.status, 200, u.text);
  assert.ok(!(await ids('Rustamjon')).includes(c.id), 'undone: the survivor\'s name no longer');
  assert.ok((await ids('Rustam Abdulloev')).includes(c.id), 'undone: the person\'s own name again');
  assert.equal(keysOf(), own, 'undone: the person\'s own keys, made in the undo');
});

test('a referral resting on a consent that a merge brought and its undo took back gives no access', async () => {
  // A has a case and no consent to law enforcement; B, the same person
  // registered twice, has one.  Merged into A, A's case is referred to
  // the police on B's consent; the merge undone, the consent is B's again.
  const birth = { birth_date: '1979-11-03', gender: 'Masculine', region_of_origin: 'TJ-SU' };
  const c = await openCase({ person: { given_name: 'Ҳамза', family_name: 'Ғафуров', ...birth } });
  const b = await as['a.cw'].req('POST', `${V1}/persons?duplicates=register`,
    { given_name: 'Ҳамза', family_name: 'Гафуров', ...birth });
  assert.equal(b.status, 201, b.text);
  await consent('a.cw', b.json.id, { purpose: 'law_enforcement', method: 'written', recipient_org: 'police' });
  const pair = (await get('a.cw', '/duplicates')).json.items
    .find((p) => p.persons.some((x) => x.id === c.pid) && p.persons.some((x) => x.id === b.json.id));
  assert.ok(pair, 'the pair');
  const m = await as['a.cw'].req('POST', `${V1}/duplicates/${pair.id}/merge`, { survivor: c.pid });
  assert.equal(m.status, 200, m.text);
  const f = await referOk('a.cw', c.id, 'police', { share: ['family_name'] });
  await actOk('p.fp', f.id, 'accept');
  assert.equal((await get('p.fp', `/cases/${c.id}`)).status, 200, 'read under the merged consent');
  const u = await as['a.sup'].req('POST', `${V1}/merges/${m.json.id}/undo`);
  assert.equal(u.status, 200, u.text);
  assertProblem(await get('p.fp', `/cases/${c.id}`), 404, 'not-found', 'the consent is another person\'s again');
  assertProblem(await get('p.fp', `/persons/${c.pid}`), 404, 'not-found');
  const listed = await get('p.fp', '/cases');
  assert.ok(!listed.json.items.some((x) => x.id === c.id), 'not listed either');
  assert.equal((await get('a.cw', `/cases/${c.id}/consent-check?to_org=police`)).json.covered, false);
});

test('a merge whose person went to another organisation goes with it: the old owner neither undoes it nor merges again, and is shown no name', async () => {
  const birth = { birth_date: '1992-08-19', gender: 'Feminine', region_of_origin: 'TJ-DU' };
  const c = await openCase({ person: { given_name: 'Мавҷуда', family_name: 'Раҳмонова', ...birth } });
  const b = await as['a.cw'].req('POST', `${V1}/persons?duplicates=register`,
    { given_name: 'Мавжуда', family_name: 'Рахмонова', ...birth });
  assert.equal(b.status, 201, b.text);
  const pairOf = async (status = '') => (await get('a.cw', '/duplicates' + status)).json.items
    .find((p) => p.persons.some((x) => x.id === c.pid) && p.persons.some((x) => x.id === b.json.id));
  const pair = await pairOf();
  const m = await as['a.cw'].req('POST', `${V1}/duplicates/${pair.id}/merge`, { survivor: c.pid });
  assert.equal(m.status, 200, m.text);
  // The case, and with it the person, goes to NGO Two, which renames her.
  await consent('a.cw', c.pid, { purpose: 'referral', method: 'written', recipient_org: 'ngo2' });
  const t = await as['a.cw'].req('POST', `${V1}/cases/${c.id}/transfer`, { to_org: 'ngo2' });
  assert.equal(t.status, 201, t.text);
  await actOk('b.cw', t.json.id, 'accept');
  const p = await get('b.cw', `/persons/${c.pid}`);
  assert.equal((await as['b.cw'].req('PATCH', `${V1}/persons/${c.pid}`, { family_name: 'Hiddenova' },
    { 'if-match': `"${p.json.version}"` })).status, 200);
  // The merge and its pair went with her: not on the old owner's list.
  assert.equal(await pairOf('?status=merged'), undefined);
  assert.ok(!(await get('a.cw', '/duplicates?status=merged')).text.includes('Hiddenova'));
  // The old owner cannot undo it (the new owner's records): nothing moved.
  assertProblem(await as['a.sup'].req('POST', `${V1}/merges/${m.json.id}/undo`), 404, 'not-found', 'the undo');
  assert.equal((await get('b.cw', `/cases/${c.id}`)).json.person_id, c.pid);
  assert.equal((await get('b.cw', `/persons/${c.pid}`)).json.family_name, 'Hiddenova');
  // An open pair one of whose persons went since is not merged either.
  const birth2 = { birth_date: '1988-02-27', gender: 'Feminine', region_of_origin: 'TJ-GB' };
  const d = await openCase({ person: { given_name: 'Гулчеҳра', family_name: 'Шоева', ...birth2 } });
  const e = await as['a.cw'].req('POST', `${V1}/persons?duplicates=register`,
    { given_name: 'Гулчехра', family_name: 'Шоева', ...birth2 });
  assert.equal(e.status, 201, e.text);
  await consent('a.cw', d.pid, { purpose: 'referral', method: 'written', recipient_org: 'ngo2' });
  const t2 = await as['a.cw'].req('POST', `${V1}/cases/${d.id}/transfer`, { to_org: 'ngo2' });
  await actOk('b.cw', t2.json.id, 'accept');
  const open = (await get('a.cw', '/duplicates')).json.items
    .find((x) => x.persons.some((y) => y.id === d.pid) && x.persons.some((y) => y.id === e.json.id));
  assert.deepEqual(open.persons.find((y) => y.id === d.pid), { id: d.pid, transferred: true });
  const m2 = await as['a.cw'].req('POST', `${V1}/duplicates/${open.id}/merge`, { survivor: e.json.id });
  assertProblem(m2, 409, undefined, 'a merge with a person gone');
  assert.equal((await get('b.cw', `/cases/${d.id}`)).json.person_id, d.pid, 'the case stays hers');
});

test('a transfer hands the case\'s open referrals to the new owner; the old one reads no new name through them', async () => {
  const c = await openCase({ person: { given_name: 'Нозанин', family_name: 'Қурбонова' }, referral: true });
  const police = await referOk('a.cw', c.id, 'police', { share: ['family_name'] });
  await actOk('p.fp', police.id, 'accept');
  const fu = await as['a.cw'].req('POST', `${V1}/cases/${c.id}/followups`, { due: today() });
  assert.equal(fu.status, 201, fu.text);
  await consent('a.cw', c.pid, { purpose: 'referral', method: 'written', recipient_org: 'ngo2' });
  const t = await as['a.cw'].req('POST', `${V1}/cases/${c.id}/transfer`, { to_org: 'ngo2' });
  assert.equal(t.status, 201, t.text);
  await actOk('b.cw', t.json.id, 'accept');
  const p = await get('b.cw', `/persons/${c.pid}`);
  assert.equal((await as['b.cw'].req('PATCH', `${V1}/persons/${c.pid}`, { family_name: 'Protectedova' },
    { 'if-match': `"${p.json.version}"` })).status, 200);
  // The old owner: neither the police referral nor the new name.
  assertProblem(await get('a.cw', `/referrals/${police.id}`), 404, 'not-found');
  const out = await get('a.cw', '/referrals?box=out');
  assert.ok(!out.text.includes('Protectedova') && !out.json.items.some((x) => x.id === police.id), out.text);
  const tr = await get('a.cw', `/referrals/${t.json.id}`);
  assert.equal(tr.status, 200, tr.text);
  assert.ok(!tr.text.includes('Protectedova') && tr.json.person === undefined, tr.text);
  assertProblem(await act('a.cw', police.id, 'withdraw', {}), 404, 'not-found');
  // The former owner's records are the new owner's to carry on (and its
  // screens offer it: not read_only).
  const before = await get('b.cw', `/followups/${fu.json.id}`);
  assert.equal(before.json.org, 'ngo2', 'the new owner\'s now');
  assert.equal(before.json.read_only, undefined, before.text);
  const done = await as['b.cw'].req('PATCH', `${V1}/followups/${fu.json.id}`, { status: 'done' },
    { 'if-match': `"${fu.json.version}"` });
  assert.equal(done.status, 200, done.text);
  // The new owner follows it, and withdraws it: the police read no more.
  const mine = await get('b.cw', '/referrals?box=out');
  const inherited = mine.json.items.find((x) => x.id === police.id);
  assert.ok(inherited, mine.text);
  // It says so, to be reviewed; the police are not told, and are no
  // longer given the old owner's user to ask.
  assert.equal(inherited.handed_over, true, 'the new owner is told it was handed over');
  assert.equal(inherited.sender.login, undefined, 'no login of the former owner');
  const atPolice = await get('p.fp', `/referrals/${police.id}`);
  assert.equal(atPolice.json.handed_over, undefined, atPolice.text);
  assert.equal(atPolice.json.sender.login, undefined, atPolice.text);
  const fresh = await referOk('b.cw', c.id, 'police', { share: ['gender'] });
  assert.equal(fresh.handed_over, undefined, 'one the new owner sends');
  assert.equal(fresh.sender.login, 'b.cw');
  await actOk('b.cw', fresh.id, 'withdraw', {});
  assert.equal((await get('p.fp', `/cases/${c.id}`)).status, 200);
  await actOk('b.cw', police.id, 'withdraw', { reason: 'the shelter takes it over' });
  assertProblem(await get('p.fp', `/cases/${c.id}`), 404, 'not-found');
  // The case's history says who did what: the old owner sent the police
  // referral and the transfer, the new owner withdrew it.
  const tl = (await get('b.cw', `/cases/${c.id}/timeline`)).json.items;
  const sent = tl.filter((e) => e.data && e.data.referral_id === police.id);
  assert.ok(sent.length >= 2, JSON.stringify(sent));
  assert.equal(sent.find((e) => e.data.status === 'sent').org, 'iom', 'sent by the old owner');
  assert.equal(sent.find((e) => e.data.status === 'withdrawn').org, 'ngo2', 'withdrawn by the new owner');
  assert.equal(tl.find((e) => e.data && e.data.referral_id === t.json.id && e.data.status === 'sent').org, 'iom');
  // Events a transfer gave the new owner before this release are their
  // makers' again at the next start (migration 34).
  const ev = sent.find((e) => e.data.status === 'sent');
  await srv.stop();
  const db = join(srv.data, 'himoya.db');
  sqlite(db, `UPDATE items SET org_id = (SELECT id FROM orgs WHERE code = 'ngo2') WHERE id = '${ev.id}';`
    + "UPDATE meta SET value = '33' WHERE key = 'schema_version';"
    + 'DROP INDEX users_login_lower; ALTER TABLE users DROP COLUMN login_key;'); // what migration 35 made, so that it runs again
  const s2 = await serveDir(srv.data, { port: new URL(srv.url).port });
  srv.stop = s2.stop;
  for (const u of users) assert.equal((await as[u.login].login(u.login, PW)).status, 200);
  const again = (await get('b.cw', `/cases/${c.id}/timeline`)).json.items.find((e) => e.id === ev.id);
  assert.equal(again.org, 'iom', JSON.stringify(again));
});

// A call logged by the case owner's hotline, attached to the case.
async function callOnCase(caseId) {
  const k = await as['a.hot'].req('POST', `${V1}/contacts`, { channel: 'phone', call_type: 'data',
    topics: ['exploitation_report'], notes: 'CALL-NOTES-5521', caller_phone: '+992935552121' });
  assert.equal(k.status, 201, k.text);
  const a = await as['a.hot'].req('POST', `${V1}/contacts/${k.json.id}/attach`, { case_id: caseId });
  assert.equal(a.status, 200, a.text);
  return k.json.id;
}

async function callStaysHotlines(caseId, call) {
  const tl = await get('b.cw', `/cases/${caseId}/timeline`);
  const ev = tl.json.items.find((i) => i.kind === 'contact');
  assert.ok(ev, tl.text);
  assert.equal(ev.org, 'iom', 'the hotline that took the call');
  assert.equal(ev.data.contact_id, call);
  assert.ok(!tl.text.includes('CALL-NOTES') && !tl.text.includes('5552121'), tl.text);
  assertProblem(await get('b.cw', `/contacts/${call}`), 404, 'not-found', 'the call is not the new owner\'s');
  // The hotline's log keeps the call, no longer linked to the case or person now another's.
  const kept = await get('a.hot', `/contacts/${call}`);
  assert.equal(kept.status, 200, 'the call is still its hotline\'s');
  assert.equal(kept.json.case_id, undefined, kept.text);
  assert.equal(kept.json.person_id, undefined, kept.text);
  const found = await get('a.hot', `/contacts?phone=${encodeURIComponent('+992935552121')}`);
  assert.equal(found.status, 200, found.text);
  assert.ok(!found.text.includes(caseId), found.text);
}

test('a transfer gives the new owner the old owner\'s records: the old owner, made a recipient again, reads and changes none of them', async () => {
  const c = await openCase({ person: { given_name: 'Гулноза', family_name: 'Сафарова' }, referral: true });
  const note = await as['a.cw'].req('POST', `${V1}/cases/${c.id}/notes`, { type: 'note', text: 'IOM-OLD-NOTE-7712' });
  assert.equal(note.status, 201, note.text);
  const hh = await as['a.cw'].req('POST', `${V1}/persons/${c.pid}/households`,
    { region: 'TJ-DU', members: [{ name: 'Брат', relation: 'sibling' }] });
  assert.equal(hh.status, 201, hh.text);
  const call = await callOnCase(c.id);
  await consent('a.cw', c.pid, { purpose: 'referral', method: 'written', recipient_org: 'ngo2' });
  const t = await as['a.cw'].req('POST', `${V1}/cases/${c.id}/transfer`, { to_org: 'ngo2' });
  assert.equal(t.status, 201, t.text);
  await actOk('b.cw', t.json.id, 'accept');
  // The call on the timeline stays the hotline's that took it, as the call itself.
  await callStaysHotlines(c.id, call);
  // The new owner's, case records and the person's own alike.
  for (const path of [`/notes/${note.json.id}`, `/households/${hh.json.id}`]) {
    const got = await get('b.cw', path);
    assert.equal(got.json.org, 'ngo2', path);
    assert.equal(got.json.read_only, undefined, path);
  }
  const edited = await as['b.cw'].req('PATCH', `${V1}/notes/${note.json.id}`, { text: 'NGO2-EDIT-4410' },
    { 'if-match': `"${note.json.version}"` });
  assert.equal(edited.status, 200, edited.text);
  // Referred back to the old owner, sharing the initials only: it reads its
  // own new records of the case, not the ones it made as the owner.
  await consent('b.cw', c.pid, { purpose: 'referral', method: 'written', recipient_org: 'iom' });
  const back = await referOk('b.cw', c.id, 'iom', { share: ['initials'] });
  await actOk('a.cw', back.id, 'accept');
  assert.equal((await get('a.cw', `/cases/${c.id}`)).status, 200);
  const old = await get('a.cw', `/notes/${note.json.id}`);
  assertProblem(old, 404, 'not-found', 'its record as the former owner');
  assert.ok(!old.text.includes('NGO2-EDIT'));
  const tl = await get('a.cw', `/cases/${c.id}/timeline`);
  assert.ok(!tl.text.includes('NGO2-EDIT') && !tl.text.includes('IOM-OLD-NOTE'), tl.text);
  assertProblem(await as['a.cw'].req('PATCH', `${V1}/notes/${note.json.id}`, { text: 'x' },
    { 'if-match': `"${edited.json.version}"` }), 404, 'not-found');
  const mine = await as['a.cw'].req('POST', `${V1}/cases/${c.id}/notes`, { type: 'note', text: 'IOM-AS-RECIPIENT' });
  assert.equal(mine.status, 201, mine.text);
  assert.equal((await get('a.cw', `/notes/${mine.json.id}`)).json.org, 'iom');
  const seen = await get('b.cw', `/notes/${mine.json.id}`);
  assert.equal(seen.json.read_only, true, 'the recipient\'s, on the owner\'s page');
});

test('a transfer made before this release gives the new owner its old records at the next start (migration 31)', async () => {
  const c = await openCase({ person: { given_name: 'Малика', family_name: 'Раҳимова' }, referral: true });
  const note = await as['a.cw'].req('POST', `${V1}/cases/${c.id}/notes`, { type: 'note', text: 'BEFORE-31' });
  assert.equal(note.status, 201, note.text);
  const hh = await as['a.cw'].req('POST', `${V1}/persons/${c.pid}/households`,
    { region: 'TJ-DU', members: [{ name: 'Модар', relation: 'parent' }] });
  assert.equal(hh.status, 201, hh.text);
  const call = await callOnCase(c.id);
  await consent('a.cw', c.pid, { purpose: 'referral', method: 'written', recipient_org: 'ngo2' });
  const t = await as['a.cw'].req('POST', `${V1}/cases/${c.id}/transfer`, { to_org: 'ngo2' });
  assert.equal(t.status, 201, t.text);
  await actOk('b.cw', t.json.id, 'accept');
  // The folder as a transfer left it before: the records still the old
  // owner's, the schema at 30 (migration 31 gives the call to the new
  // owner too, and 32 gives it back).
  await srv.stop();
  const db = join(srv.data, 'himoya.db');
  sqlite(db, `UPDATE items SET org_id = (SELECT id FROM orgs WHERE code = 'iom') WHERE id IN ('${note.json.id}', '${hh.json.id}');`
    + `UPDATE contacts SET case_id = '${c.id}', person_id = '${c.pid}' WHERE id = '${call}';`
    + "UPDATE meta SET value = '30' WHERE key = 'schema_version';"
    + 'DROP INDEX users_login_lower; ALTER TABLE users DROP COLUMN login_key;'); // what migration 35 made, so that it runs again
  assert.match(sqlite(db, `SELECT o.code FROM items i JOIN orgs o ON o.id = i.org_id WHERE i.id = '${note.json.id}'`), /iom/);
  const s2 = await serveDir(srv.data, { port: new URL(srv.url).port });
  srv.stop = s2.stop;
  for (const who of ['a.cw', 'b.cw', 'a.hot']) assert.equal((await as[who].login(who, PW)).status, 200);
  for (const path of [`/notes/${note.json.id}`, `/households/${hh.json.id}`]) {
    const got = await get('b.cw', path);
    assert.equal(got.json.org, 'ngo2', path + ': ' + got.text);
    assert.equal(got.json.read_only, undefined, path);
  }
  await callStaysHotlines(c.id, call);
  assert.match(sqlite(db, "SELECT value FROM meta WHERE key = 'schema_version'"), /^3[2-9]/);
});

test('a merge undone takes back an assessment made since of a household it moved; a transfer takes the persons merged into its person', async () => {
  const birth = { birth_date: '1988-04-09', gender: 'Feminine', region_of_origin: 'TJ-SU' };
  const c1 = await openCase({ person: { given_name: 'Зарина', family_name: 'Тестова', ...birth }, referral: true });
  const p2 = await newPerson('a.cw', { given_name: 'Zarina', family_name: 'Testova', ...birth,
    phones: ['+992931119988'] });
  await consent('a.cw', p2, { purpose: 'assistance', method: 'written' });
  const hh = await as['a.cw'].req('POST', `${V1}/persons/${p2}/households`,
    { region: 'TJ-DU', members: [{ name: 'Brother X', relation: 'sibling' }] });
  assert.equal(hh.status, 201, hh.text);
  const pair = (await get('a.cw', '/duplicates')).json.items
    .find((p) => p.persons.some((x) => x.id === c1.pid) && p.persons.some((x) => x.id === p2));
  assert.ok(pair, 'the pair');
  let m = await as['a.sup'].req('POST', `${V1}/duplicates/${pair.id}/merge`, { survivor: c1.pid });
  assert.equal(m.status, 200, m.text);
  const d = await as['a.cw'].req('POST', `${V1}/households/${hh.json.id}/assessments`,
    { date: '2026-12-01', rating: 'low', notes: 'DOMV-OF-P2-HOUSEHOLD' });
  assert.equal(d.status, 201, d.text);
  const u = await as['a.sup'].req('POST', `${V1}/merges/${m.json.id}/undo`);
  assert.equal(u.status, 200, u.text);
  const back = await get('a.cw', `/households/${hh.json.id}/assessments`);
  assert.ok(back.json.items.some((x) => x.id === d.json.id), 'back with its household: ' + back.text);
  assert.equal((await get('a.cw', `/domv-assessments/${d.json.id}`)).json.person_id, p2);

  // Merged again, then the survivor's case is transferred: the merged-away
  // record (its phone) goes with it, the old owner reads it no more.
  const again = (await get('a.cw', '/duplicates')).json.items.find((p) => p.id === pair.id);
  assert.equal(again.status, 'open', JSON.stringify(again));
  const call = await as['a.hot'].req('POST', `${V1}/contacts`, { channel: 'phone', call_type: 'data',
    person_id: p2, notes: 'CALL-OF-P2' });
  assert.equal(call.status, 201, call.text);
  m = await as['a.sup'].req('POST', `${V1}/duplicates/${pair.id}/merge`, { survivor: c1.pid });
  assert.equal(m.status, 200, m.text);
  await consent('a.cw', c1.pid, { purpose: 'referral', method: 'written', recipient_org: 'ngo2' });
  const t = await as['a.cw'].req('POST', `${V1}/cases/${c1.id}/transfer`, { to_org: 'ngo2' });
  assert.equal(t.status, 201, t.text);
  await actOk('b.cw', t.json.id, 'accept');
  const left = await get('a.cw', `/persons/${p2}`);
  assertProblem(left, 404, 'not-found', 'the merged-away record went with its person');
  assert.ok(!left.text.includes('9988'));
  const moved = await get('b.cw', `/persons/${p2}`);
  assert.equal(moved.status, 200, moved.text);
  assert.equal(moved.json.merged_into, c1.pid);

  // The merge went with them: a wrong one is the new owner's to undo, not the old owner's.
  assertProblem(await as['a.sup'].req('POST', `${V1}/merges/${m.json.id}/undo`), 404, 'not-found');
  assert.ok(!(await get('a.sup', '/duplicates?status=merged')).json.items.some((p) => p.id === pair.id));
  const theirs = (await get('b.sup', '/duplicates?status=merged')).json.items.find((p) => p.id === pair.id);
  assert.ok(theirs, 'the merged pair is on the new owner\'s list');
  assert.equal(theirs.merge_id, m.json.id);
  const undone = await as['b.sup'].req('POST', `${V1}/merges/${m.json.id}/undo`);
  assert.equal(undone.status, 200, undone.text);
  const apart = await get('b.cw', `/persons/${p2}`);
  assert.equal(apart.status, 200, apart.text);
  assert.equal(apart.json.merged_into, undefined, apart.text);
  assert.equal((await get('b.cw', `/households/${hh.json.id}`)).json.person_id, p2, 'its household back with it');
  assertProblem(await get('a.cw', `/persons/${p2}`), 404, 'not-found', 'still the new owner\'s');
  // Found by the new owner's search under its own keys (the record merged
  // away kept the old owner's, and was not found once apart).
  const byName = await get('b.cw', `/persons?q=${encodeURIComponent('Zarina Testova')}`);
  assert.ok(byName.json.items.some((x) => x.id === p2), byName.text);
  const reopened = (await get('b.sup', '/duplicates')).json.items.find((p) => p.id === pair.id);
  assert.equal(reopened && reopened.status, 'open');
  // The old owner's call of the record stays its log, unlinked: the undo does not link it again.
  const kept = await get('a.hot', `/contacts/${call.json.id}`);
  assert.equal(kept.status, 200, kept.text);
  assert.equal(kept.json.person_id, undefined, kept.text);
});

test('a transfer is not accepted once its person was merged, or a merge of it undone, since it was sent; nor does the old owner undo after', async () => {
  const birth = { birth_date: '1990-06-15', gender: 'Feminine', region_of_origin: 'TJ-KT' };
  const twins = async (family) => {
    const c = await openCase({ person: { given_name: 'Мадина', family_name: family, ...birth }, referral: true });
    const q = await as['a.cw'].req('POST', `${V1}/persons?duplicates=register`,
      { given_name: 'Madina', family_name: family === 'Пулатова' ? 'Pulatova' : 'Saidzoda', ...birth });
    assert.equal(q.status, 201, q.text);
    await consent('a.cw', c.pid, { purpose: 'referral', method: 'written', recipient_org: 'ngo2' });
    await consent('a.cw', q.json.id, { purpose: 'assistance', method: 'written' });
    await consent('a.cw', q.json.id, { purpose: 'referral', method: 'written', recipient_org: 'ngo2' });
    assert.equal((await as['a.sup'].req('POST', `${V1}/duplicates/scan`, {})).status, 200);
    const pair = (await get('a.sup', '/duplicates?limit=200')).json.items
      .find((p) => p.persons.some((x) => x.id === c.pid) && p.persons.some((x) => x.id === q.json.id));
    assert.ok(pair, 'the pair');
    return { c, q: q.json.id, pair };
  };
  // Merged after the transfer was sent: the record offered is not the one that would move.
  const one = await twins('Пулатова');
  const t1 = await as['a.cw'].req('POST', `${V1}/cases/${one.c.id}/transfer`, { to_org: 'ngo2' });
  assert.equal(t1.status, 201, t1.text);
  await new Promise((res) => setTimeout(res, 1100)); // the merge a second later than the sending
  const m1 = await as['a.sup'].req('POST', `${V1}/duplicates/${one.pair.id}/merge`, { survivor: one.q });
  assert.equal(m1.status, 200, m1.text);
  assertProblem(await act('b.cw', t1.json.id, 'accept'), 409, 'invalid-transition');
  assertProblem(await get('b.cw', `/persons/${one.q}`), 404, 'not-found', 'nothing moved');
  // Undone since: refused too.
  const u1 = await as['a.sup'].req('POST', `${V1}/merges/${m1.json.id}/undo`);
  assert.equal(u1.status, 200, u1.text);
  assertProblem(await act('b.cw', t1.json.id, 'accept'), 409, 'invalid-transition');
  // The old owner's undo racing the acceptance: one of the two, never both.
  for (let round = 0; round < 4; round++) {
    const two = await twins(round % 2 ? 'Пулатова' : 'Саидзода');
    const m = await as['a.sup'].req('POST', `${V1}/duplicates/${two.pair.id}/merge`, { survivor: two.c.pid });
    assert.equal(m.status, 200, m.text);
    await new Promise((res) => setTimeout(res, 1100));
    const t = await as['a.cw'].req('POST', `${V1}/cases/${two.c.id}/transfer`, { to_org: 'ngo2' });
    assert.equal(t.status, 201, t.text);
    await new Promise((res) => setTimeout(res, 1100));
    const [u, acc] = await Promise.all([as['a.sup'].req('POST', `${V1}/merges/${m.json.id}/undo`),
      act('b.cw', t.json.id, 'accept')]);
    assert.ok(!(u.status === 200 && acc.status === 200), `round ${round}: both made: ${u.text} | ${acc.text}`);
    assert.ok(u.status === 200 || acc.status === 200, `round ${round}: neither: ${u.text} | ${acc.text}`);
    if (acc.status === 200) assert.ok([404, 409].includes(u.status), u.text);
    else assertProblem(acc, 409, 'invalid-transition');
  }
});

test('the old owner\'s writes while its transfer is accepted: each is the new owner\'s to change, or refused 409 moved', async () => {
  // The old owner's check reads the case on a reader, its write comes in a
  // transaction after: an acceptance between the two left notes answered
  // 201 on the new owner's case as the old owner's, which nobody could change.
  let refused = 0;
  for (let round = 0; round < 6; round++) {
    const c = await openCase({ person: { given_name: 'Шаҳло', family_name: 'Race' + round }, referral: true });
    await consent('a.cw', c.pid, { purpose: 'referral', method: 'written', recipient_org: 'ngo2' });
    const t = await as['a.cw'].req('POST', `${V1}/cases/${c.id}/transfer`, { to_org: 'ngo2' });
    assert.equal(t.status, 201, t.text);
    const notes = Array.from({ length: 12 }, (_, i) => as['a.cw'].req('POST', `${V1}/cases/${c.id}/notes`,
      { type: 'note', text: `RACE-${round}-${i}` }));
    const [accepted, ...made] = await Promise.all([act('b.cw', t.json.id, 'accept'), ...notes]);
    assert.equal(accepted.status, 200, accepted.text);
    for (const n of made) {
      if (n.status === 409) {
        assertProblem(n, 409, 'moved');
        refused++;
        continue;
      }
      if (n.status === 404) continue; // read after the acceptance: not the old owner's case
      assert.equal(n.status, 201, n.text);
      const seen = await get('b.cw', `/notes/${n.json.id}`);
      assert.equal(seen.status, 200, seen.text);
      assert.equal(seen.json.org, 'ngo2', 'the new owner\'s: ' + seen.text);
      assert.equal(seen.json.read_only, undefined, seen.text);
    }
  }
});

test('a recipient not shown the date of birth is not told it by a refusal of a date before it', async () => {
  const c = await openCase({ person: { given_name: 'Малоҳат', family_name: 'Born', birth_date: '2001-03-03' }, referral: true });
  const f = await referOk('a.cw', c.id, 'ngo2'); // shares the gender only
  await actOk('b.cw', f.id, 'accept');
  const svc = await as['b.cw'].req('POST', `${V1}/cases/${c.id}/services`, { type: 'legal', status: 'planned', start: '2000-01-01' });
  assert.equal(svc.status, 201, svc.text);
  const own = await as['a.cw'].req('POST', `${V1}/cases/${c.id}/services`, { type: 'legal', status: 'planned', start: '2000-01-01' });
  assertProblem(own, 422, 'invalid-value', 'the owner, who reads it, is told');
  // Nor whether the person is a child: a best-interests record is not refused to it as "no child".
  const bia = await as['b.cw'].req('POST', `${V1}/cases/${c.id}/best-interests`, { date: today(), child_heard: true, outcome: 'shelter' });
  assert.notEqual(bia.status, 409, bia.text);
  const shared = await referOk('a.cw', c.id, 'ngo3', { share: ['gender', 'birth_date'] });
  await actOk('c.cw', shared.id, 'accept');
  assertProblem(await as['c.cw'].req('POST', `${V1}/cases/${c.id}/services`, { type: 'legal', status: 'planned', start: '2000-01-01' }),
    422, 'invalid-value', 'a recipient shown it is told');
});

test('a transfer takes its own fields only: the case is in the path, everything is shared, no service', async () => {
  const c = await openCase({ referral: true });
  for (const extra of [{ case_id: 'x'.repeat(26) }, { share: ['given_name'] }, { service_type: 'shelter' }]) {
    const r = await as['a.cw'].req('POST', `${V1}/cases/${c.id}/transfer`, { to_org: 'ngo2', ...extra });
    assertProblem(r, 422, 'unknown-field', JSON.stringify(extra));
  }
  assertProblem(await as['a.cw'].req('POST', `${V1}/cases/${c.id}/transfer`, {}), 422, 'missing-field', 'no to_org');
  // A reason is a text as every other: no direction control, not spaces only.
  for (const reason of ['see \u202enosaer', '   '])
    assertProblem(await as['a.cw'].req('POST', `${V1}/cases/${c.id}/transfer`, { to_org: 'ngo2', reason }),
      422, 'invalid-value', JSON.stringify(reason));
  const out = (await get('a.cw', '/referrals?box=out')).json.items;
  assert.ok(!out.some((f) => f.case_id === c.id), 'nothing sent');
});

test('a merge racing a transfer\'s acceptance: the case never goes without its person, nor with another\'s', async () => {
  for (let round = 0; round < 4; round++) {
    const family = 'Мерж' + 'абвг'[round];
    const c = await openCase({ person: { given_name: 'Наргис', family_name: family, birth_date: '1991-01-0' + (round + 1) }, referral: true });
    const twin = await as['a.cw'].req('POST', `${V1}/persons?duplicates=register`,
      { given_name: 'Наргис', family_name: family, birth_date: '1991-01-0' + (round + 1) });
    assert.equal(twin.status, 201, twin.text);
    await consent('a.cw', c.pid, { purpose: 'referral', method: 'written', recipient_org: 'ngo2' });
    const t = await as['a.cw'].req('POST', `${V1}/cases/${c.id}/transfer`, { to_org: 'ngo2' });
    assert.equal(t.status, 201, t.text);
    assert.equal((await as['a.sup'].req('POST', `${V1}/duplicates/scan`, {})).status, 200);
    const pair = (await get('a.sup', '/duplicates')).json.items
      .find((p) => p.persons.some((x) => x.id === c.pid) && p.persons.some((x) => x.id === twin.json.id));
    assert.ok(pair, 'the pair is proposed');
    const [m, acc] = await Promise.all([
      as['a.sup'].req('POST', `${V1}/duplicates/${pair.id}/merge`, { survivor: twin.json.id }),
      act('b.cw', t.json.id, 'accept')]);
    // Both may be made, one after the other: a merge read before the
    // acceptance moves the case to the record kept, which then goes with it.
    assert.ok([200, 409].includes(m.status), m.text);
    if (acc.status === 200) {
      const k = await get('b.cw', `/cases/${c.id}`);
      assert.equal((await get('b.cw', `/persons/${k.json.person_id}`)).status, 200, 'the case\'s person is the new owner\'s');
      assertProblem(await get('a.cw', `/persons/${k.json.person_id}`), 404, 'not-found');
    } else {
      assertProblem(acc, 409, 'invalid-transition', `round ${round}`);
      assertProblem(await get('b.cw', `/cases/${c.id}`), 404, 'not-found');
    }
  }
});

test('hotline calls logged of the person while its transfer is accepted: none stays linked to the moved person', async () => {
  for (let round = 0; round < 4; round++) {
    const c = await openCase({ person: { given_name: 'Зулфия', family_name: 'Call' + round }, referral: true });
    await consent('a.cw', c.pid, { purpose: 'referral', method: 'written', recipient_org: 'ngo2' });
    const t = await as['a.cw'].req('POST', `${V1}/cases/${c.id}/transfer`, { to_org: 'ngo2' });
    assert.equal(t.status, 201, t.text);
    const calls = Array.from({ length: 6 }, (_, i) => as['a.hot'].req('POST', `${V1}/contacts`,
      { channel: 'phone', call_type: 'data', person_id: c.pid, notes: `CALL-${round}-${i}` }));
    const [acc, ...made] = await Promise.all([act('b.cw', t.json.id, 'accept'), ...calls]);
    assert.equal(acc.status, 200, acc.text);
    for (const m of made) {
      if (m.status === 409) { assertProblem(m, 409, 'moved'); continue; }
      if (m.status === 422) continue; // checked after the acceptance: not a person of the hotline's
      assert.equal(m.status, 201, m.text);
      const kept = await get('a.hot', `/contacts/${m.json.id}`);
      assert.equal(kept.json.person_id, undefined, `round ${round}: ${kept.text}`);
    }
  }
});

test('hotline calls attached to the case while its transfer is accepted: none stays linked to the moved case', async () => {
  for (let round = 0; round < 5; round++) {
    const c = await openCase({ person: { given_name: 'Мунира', family_name: 'Attach' + round }, referral: true });
    await consent('a.cw', c.pid, { purpose: 'referral', method: 'written', recipient_org: 'ngo2' });
    const calls = [];
    for (let i = 0; i < 4; i++) {
      const k = await as['a.hot'].req('POST', `${V1}/contacts`, { channel: 'phone', call_type: 'data',
        notes: `ATTACH-${round}-${i}` });
      assert.equal(k.status, 201, k.text);
      calls.push(k.json.id);
    }
    const t = await as['a.cw'].req('POST', `${V1}/cases/${c.id}/transfer`, { to_org: 'ngo2' });
    assert.equal(t.status, 201, t.text);
    const [acc, ...made] = await Promise.all([act('b.cw', t.json.id, 'accept'),
      ...calls.map((id) => as['a.hot'].req('POST', `${V1}/contacts/${id}/attach`, { case_id: c.id }))]);
    assert.equal(acc.status, 200, acc.text);
    for (const [i, m] of made.entries()) {
      if (m.status === 409) { assertProblem(m, 409, 'moved'); continue; }
      if (m.status === 422) continue; // checked after the acceptance: not a case of the hotline's
      assert.equal(m.status, 200, m.text);
      const kept = await get('a.hot', `/contacts/${calls[i]}`);
      assert.equal(kept.json.case_id, undefined, `round ${round}: ${kept.text}`);
      assert.equal(kept.json.person_id, undefined, `round ${round}: ${kept.text}`);
    }
  }
});

test('an answer and a withdrawal at once: one is made, the other is told the referral changed (409, never 412)', async () => {
  for (let round = 0; round < 6; round++) {
    const c = await openCase({ person: { given_name: 'Мижгона', family_name: 'Both' + round }, referral: true });
    let id;
    if (round % 2) {
      await consent('a.cw', c.pid, { purpose: 'referral', method: 'written', recipient_org: 'ngo2' });
      const t = await as['a.cw'].req('POST', `${V1}/cases/${c.id}/transfer`, { to_org: 'ngo2' });
      assert.equal(t.status, 201, t.text);
      id = t.json.id;
    } else {
      id = (await referOk('a.cw', c.id, 'ngo2')).id;
    }
    const [acc, wd] = await Promise.all([act('b.cw', id, 'accept'), act('a.cw', id, 'withdraw')]);
    // A referral accepted may then be withdrawn (both made); a transfer
    // accepted is done.
    assert.ok(acc.status === 200 || wd.status === 200, `round ${round}: ${acc.text} | ${wd.text}`);
    for (const lost of [acc, wd].filter((x) => x.status !== 200)) {
      assertProblem(lost, 409, 'invalid-transition', `round ${round}`);
      assert.doesNotMatch(lost.json.detail, /another (open )?case/, lost.text);
    }
    if (round % 2) assert.notEqual(acc.status, wd.status, 'a transfer: one of the two');
  }
});

test('the old owner withdraws its referral to a third while the transfer is accepted: one of the two orders, never both', async () => {
  for (let round = 0; round < 8; round++) {
    const c = await openCase({ person: { given_name: 'Сабрина', family_name: 'Handed' + round }, referral: true });
    const third = await referOk('a.cw', c.id, 'ngo3');
    await consent('a.cw', c.pid, { purpose: 'referral', method: 'written', recipient_org: 'ngo2' });
    const t = await as['a.cw'].req('POST', `${V1}/cases/${c.id}/transfer`, { to_org: 'ngo2' });
    assert.equal(t.status, 201, t.text);
    const [acc, wd] = await Promise.all([act('b.cw', t.json.id, 'accept'), act('a.cw', third.id, 'withdraw')]);
    assert.equal(acc.status, 200, acc.text);
    const now = await get('b.cw', `/referrals/${third.id}`);
    if (wd.status === 200) {
      // Withdrawn first: the old owner's, ended, not handed over.
      assert.equal(now.status, 404, `round ${round}: ${now.text}`);
    } else {
      assert.ok([404, 409].includes(wd.status), wd.text);
      assert.match(wd.headers.get('content-type'), /^application\/problem\+json/);
      assert.equal(now.status, 200, now.text);
      assert.equal(now.json.status, 'sent', `round ${round}: handed over and still open`);
      assert.equal(now.json.handed_over, true);
    }
  }
});

test('two transfers of one case: the first accepted takes it, the other lapses; the accepting worker takes on its open work', async () => {
  const c = await openCase({ person: { given_name: 'Фарангис', family_name: 'Саидова' },
    fields: { assigned_to: uid['a.cw'] } });
  await consent('a.cw', c.pid, { purpose: 'referral', method: 'written', recipient_type: 'NGO' });
  const fu = await as['a.cw'].req('POST', `${V1}/cases/${c.id}/followups`, { due: day(-1), assigned_to: uid['a.cw'] });
  assert.equal(fu.status, 201, fu.text);
  const t2 = await as['a.cw'].req('POST', `${V1}/cases/${c.id}/transfer`, { to_org: 'ngo2' });
  const t3 = await as['a.cw'].req('POST', `${V1}/cases/${c.id}/transfer`, { to_org: 'ngo3' });
  assert.equal(t2.status, 201, t2.text);
  assert.equal(t3.status, 201, t3.text);
  await actOk('b.cw', t2.json.id, 'accept');
  const note = await as['b.cw'].req('POST', `${V1}/cases/${c.id}/notes`, { type: 'note', text: 'NGO2-AFTER-TAKING-OVER' });
  assert.equal(note.status, 201, note.text);
  // The old owner's second request is no longer its to make.
  assert.equal((await get('c.cw', `/referrals/${t3.json.id}`)).json.status, 'withdrawn');
  assertProblem(await act('c.cw', t3.json.id, 'accept'), 409, 'invalid-transition');
  assertProblem(await get('c.cw', `/cases/${c.id}`), 404, 'not-found');
  assert.equal((await get('b.cw', `/cases/${c.id}`)).status, 200, 'still the first taker\'s');
  // The worker who accepted holds the case and its due follow-up (the old
  // owner's assignee is of another organisation).
  assert.equal((await get('b.cw', `/cases/${c.id}`)).json.assigned_to, uid['b.cw']);
  assert.equal((await get('b.cw', `/followups/${fu.json.id}`)).json.assigned_to, uid['b.cw']);
  const due = await get('b.cw', '/followups');
  assert.ok(due.json.items.some((x) => x.id === fu.json.id), 'in its own due list: ' + due.text);
});

test('a transfer is not accepted while the person has got another case at the sender since', async () => {
  const c = await openCase({ person: { given_name: 'Санавбар', family_name: 'Давлатова' } });
  await consent('a.cw', c.pid, { purpose: 'referral', method: 'written', recipient_org: 'ngo2' });
  const t = await as['a.cw'].req('POST', `${V1}/cases/${c.id}/transfer`, { to_org: 'ngo2' });
  assert.equal(t.status, 201, t.text);
  const second = await as['a.cw'].req('POST', `${V1}/cases`, { person_id: c.pid, summary: 'a second case' });
  assert.equal(second.status, 201, second.text);
  const acc = await act('b.cw', t.json.id, 'accept');
  assertProblem(acc, 409, 'person-has-other-cases', 'accepted with a case left behind');
  assert.match(acc.json.detail, /another open case at the sending organisation/);
  assert.equal((await get('a.cw', `/persons/${c.pid}`)).status, 200, 'the person stays');
  assertProblem(await get('b.cw', `/persons/${c.pid}`), 404, 'not-found');
  assert.equal((await get('a.cw', `/cases/${c.id}`)).json.shared_view, undefined);
});

test('a merge undone takes back what was made on a moved case since: a referral on the survivor\'s consent ends', async () => {
  // A has a consent to the police; B, the same person registered twice,
  // has the case.  Merged into A, B's case is referred on A's consent;
  // undone, the case is B's again, and B never consented.
  const birth = { birth_date: '1983-06-12', gender: 'Masculine', region_of_origin: 'TJ-KT' };
  const a = await newPerson('a.cw', { given_name: 'Шерзод', family_name: 'Назаров', ...birth });
  await consent('a.cw', a, { purpose: 'law_enforcement', method: 'written', recipient_org: 'police' });
  const c = await openCase({ person: { given_name: 'Шерзод', family_name: 'Назаров', ...birth } });
  const pair = (await get('a.cw', '/duplicates')).json.items
    .find((p) => p.persons.some((x) => x.id === a) && p.persons.some((x) => x.id === c.pid));
  assert.ok(pair, 'the pair');
  const call = await as['a.hot'].req('POST', `${V1}/contacts`, { channel: 'phone', call_type: 'data', person_id: c.pid });
  assert.equal(call.status, 201, call.text);
  const m = await as['a.cw'].req('POST', `${V1}/duplicates/${pair.id}/merge`, { survivor: a });
  assert.equal(m.status, 200, m.text);
  // The call is the survivor's now, as read and as changed; it goes onto
  // the survivor's case (the moved one).
  assert.equal((await get('a.hot', `/contacts/${call.json.id}`)).json.person_id, a);
  assert.ok((await get('a.hot', '/contacts?limit=50')).json.items
    .some((x) => x.id === call.json.id && x.person_id === a), 'in the list too');
  const act2 = await as['a.hot'].req('PATCH', `${V1}/contacts/${call.json.id}`, { action: 'referred' },
    { 'if-match': `"${call.json.version}"` });
  assert.equal(act2.status, 200, act2.text);
  assert.equal(act2.json.person_id, a, 'a change does not write the merged-away person back');
  const att = await as['a.hot'].req('POST', `${V1}/contacts/${call.json.id}/attach`, { case_id: c.id });
  assert.equal(att.status, 200, att.text);
  // A call logged after the merge, about no one yet, put on the moved case.
  const later = await as['a.hot'].req('POST', `${V1}/contacts`, { channel: 'phone', call_type: 'data' });
  assert.equal(later.status, 201, later.text);
  const att2 = await as['a.hot'].req('POST', `${V1}/contacts/${later.json.id}/attach`, { case_id: c.id });
  assert.equal(att2.json.person_id, a, att2.text);
  const f = await referOk('a.cw', c.id, 'police', { share: ['family_name', 'summary'] });
  await actOk('p.fp', f.id, 'accept');
  assert.equal((await get('p.fp', `/cases/${c.id}`)).status, 200);
  // The merged-away record takes nothing while merged.
  assertProblem(await as['a.cw'].req('POST', `${V1}/cases`, { person_id: c.pid }), 409, 'merged');
  assertProblem(await as['a.cw'].req('POST', `${V1}/persons/${c.pid}/consents`,
    { purpose: 'assistance', method: 'written' }), 409, 'merged');
  const old = await get('a.cw', `/persons/${c.pid}`);
  assertProblem(await as['a.cw'].req('PATCH', `${V1}/persons/${c.pid}`, { gender: 'Feminine' },
    { 'if-match': `"${old.json.version}"` }), 409, 'merged');
  // Nor any other write that names it (one loader for them all).
  for (const [path, body] of [['prevention-services', { type: 'tvet', status: 'planned' }],
    ['households', { members: [] }], ['known-elsewhere', {}]])
    assertProblem(await as['a.cw'].req('POST', `${V1}/persons/${c.pid}/${path}`, body), 409, 'merged', path);
  assertProblem(await as['a.hot'].req('POST', `${V1}/contacts`,
    { channel: 'phone', call_type: 'data', person_id: c.pid }), 409, 'merged', 'a call about it');
  assert.equal((await get('a.cw', `/persons/${c.pid}/prevention-services`)).status, 200, 'read still');
  const u = await as['a.sup'].req('POST', `${V1}/merges/${m.json.id}/undo`);
  assert.equal(u.status, 200, u.text);
  assertProblem(await get('p.fp', `/cases/${c.id}`), 404, 'not-found', 'B never consented');
  // The call attached to the moved case since follows it back, person and all.
  for (const id of [call.json.id, later.json.id]) {
    const called = (await get('a.hot', `/contacts/${id}`)).json;
    assert.deepEqual([called.case_id, called.person_id], [c.id, c.pid], id === later.json.id ? 'the later call' : 'the call');
  }
  assert.ok(!(await get('p.fp', '/cases')).json.items.some((x) => x.id === c.id));
  assert.equal((await get('a.cw', `/referrals/${f.id}`)).json.case_id, c.id);
});

test('transferred there and back: the first recipient reads no name given after, and the old owner withdraws nothing', async () => {
  const c = await openCase({ person: { given_name: 'Зулфия', family_name: 'Раҳимзода' } });
  await consent('a.cw', c.pid, { purpose: 'referral', method: 'written', recipient_org: 'ngo2' });
  // A referral to the organisation that then takes the case over.
  const r = await referOk('a.cw', c.id, 'ngo2', { share: ['family_name'] });
  await actOk('b.cw', r.id, 'accept');
  const t1 = await as['a.cw'].req('POST', `${V1}/cases/${c.id}/transfer`, { to_org: 'ngo2' });
  assert.equal(t1.status, 201, t1.text);
  await actOk('b.cw', t1.json.id, 'accept');
  // The referral to it is done: the recipient holds the case.
  assert.equal((await get('b.cw', `/referrals/${r.id}`)).json.status, 'completed');
  assertProblem(await act('a.cw', r.id, 'withdraw', {}), 409, 'invalid-transition', 'nothing left to withdraw');
  // Back to iom, which renames her.
  await consent('b.cw', c.pid, { purpose: 'referral', method: 'written', recipient_org: 'iom' });
  const t2 = await as['b.cw'].req('POST', `${V1}/cases/${c.id}/transfer`, { to_org: 'iom' });
  assert.equal(t2.status, 201, t2.text);
  await actOk('a.cw', t2.json.id, 'accept');
  const p = await get('a.cw', `/persons/${c.pid}`);
  assert.equal((await as['a.cw'].req('PATCH', `${V1}/persons/${c.pid}`, { family_name: 'Iomafterova' },
    { 'if-match': `"${p.json.version}"` })).status, 200);
  for (const path of [`/referrals/${t1.json.id}`, `/referrals/${t2.json.id}`, '/referrals?box=in', '/referrals?box=out']) {
    const res = await get('b.cw', path);
    assert.equal(res.status, 200, res.text);
    assert.ok(!res.text.includes('Iomafterova'), `${path}: ${res.text}`);
  }
  assertProblem(await get('b.cw', `/persons/${c.pid}`), 404, 'not-found');
});

test('a recipient reads the referral\'s reason only while the referral and the consent stand', async () => {
  const reason = 'Shelter at 14 Rudaki street, call +992 93 555 01 02';
  // The consent is withdrawn after the referral was accepted.
  const c1 = await openCase({ referral: true });
  const f1 = await referOk('a.cw', c1.id, 'ngo3', { reason });
  assert.equal((await get('c.cw', `/referrals/${f1.id}`)).json.reason, reason, 'while it stands');
  await actOk('c.cw', f1.id, 'accept');
  await withdrawConsent('a.cw', c1.consent.id);
  let r = await get('c.cw', `/referrals/${f1.id}`);
  assert.equal(r.status, 200, 'the recipient still sees that there was a referral');
  assert.ok(!r.text.includes(reason), 'no reason once the consent is gone: ' + r.text);
  r = await get('c.cw', '/referrals?box=in');
  assert.ok(!r.text.includes(reason), 'nor in the inbox');
  assert.equal((await get('a.cw', `/referrals/${f1.id}`)).json.reason, reason, 'the sender keeps it');
  // The sender withdraws the referral.
  const c2 = await openCase({ referral: true });
  const f2 = await referOk('a.cw', c2.id, 'ngo3', { reason });
  await actOk('a.cw', f2.id, 'withdraw', { reason: 'found another lawyer, 14 Rudaki' });
  r = await get('c.cw', `/referrals/${f2.id}`);
  assert.equal(r.json.status, 'withdrawn');
  assert.ok(!r.text.includes(reason) && !r.text.includes('14 Rudaki'), r.text);
  // The reading of a reason is audited.
  await poll(() => Number(sqlite(srv.data + '/himoya.db', `SELECT count(*) FROM audit_log WHERE action = 'read'` +
    ` AND record = 'referrals/${f1.id}' AND user_id = '${uid['c.cw']}' AND fields LIKE '%reason%'`).trim()) > 0);
  assert.ok(Number(sqlite(srv.data + '/himoya.db', `SELECT count(*) FROM audit_log WHERE action = 'read'` +
    ` AND record = 'referrals/${f1.id}' AND user_id = '${uid['c.cw']}' AND fields LIKE '%reason%'`).trim()) > 0,
  'the recipient\'s read of the reason is in the audit');
});

test('a recipient\'s follow-up is its own: assigned to itself, listed only while it reaches the case', async () => {
  const c = await openCase({ referral: true, fields: { assigned_to: uid['a.cw'] } });
  const f = await referOk('a.cw', c.id, 'ngo3', { share: ['given_name'] });
  await actOk('c.cw', f.id, 'accept');
  const fu = await as['c.cw'].req('POST', `${V1}/cases/${c.id}/followups`, { due: today() });
  assert.equal(fu.status, 201, fu.text);
  assert.equal(fu.json.assigned_to, uid['c.cw'], 'not the owner\'s assignee');
  assert.ok(!fu.text.includes(uid['a.cw']), 'the owner\'s assignee is not shared: ' + fu.text);
  assertProblem(await as['c.cw'].req('POST', `${V1}/cases/${c.id}/followups`,
    { due: today(), assigned_to: uid['a.cw'] }), 422, 'invalid-value');
  // Its plan and service are records of this case it reads: not another
  // case's, not another organisation's.
  const other = await openCase();
  const otherPlan = await as['a.cw'].req('POST', `${V1}/cases/${other.id}/plans`, { type: 'SocialCare', goals: [{ goal: 'x' }] });
  assert.equal(otherPlan.status, 201, otherPlan.text);
  const ownerPlan = await as['a.cw'].req('POST', `${V1}/cases/${c.id}/plans`, { type: 'SocialCare', goals: [{ goal: 'y' }] });
  assert.equal(ownerPlan.status, 201, ownerPlan.text);
  for (const [who, plan] of [['c.cw', otherPlan], ['c.cw', ownerPlan], ['a.cw', otherPlan]])
    assertProblem(await as[who].req('POST', `${V1}/cases/${c.id}/followups`, { due: today(), plan_id: plan.json.id }),
      422, 'invalid-value', `${who} names ${plan === ownerPlan ? 'the owner\'s plan' : 'another case\'s plan'}`);
  assertProblem(await as['c.cw'].req('PATCH', `${V1}/followups/${fu.json.id}`, { plan_id: otherPlan.json.id },
    { 'if-match': `"${fu.json.version}"` }), 422, 'invalid-value', 'changed to another case\'s plan');
  const planned = await as['a.cw'].req('POST', `${V1}/cases/${c.id}/followups`, { due: today(), plan_id: ownerPlan.json.id });
  assert.equal(planned.status, 201, planned.text);
  let r = await get('c.cw', '/followups?assigned=all&before=2099-01-01');
  assert.ok(r.json.items.some((x) => x.id === fu.json.id), 'listed while the referral stands');
  await withdrawConsent('a.cw', c.consent.id);
  r = await get('c.cw', '/followups?assigned=all&before=2099-01-01');
  assert.ok(!r.text.includes(c.id) && !r.text.includes(fu.json.id), 'gone once the consent is: ' + r.text);
});

test('one record of a case by its own path: to whom its list shows it, as it shows it', async () => {
  const c = await openCase({ referral: true });
  const note = await as['a.cw'].req('POST', `${V1}/cases/${c.id}/notes`, { type: 'note', text: 'OWNER-NOTE-5521' });
  assert.equal(note.status, 201, note.text);
  assert.equal(note.headers.get('location'), `/api/v1/notes/${note.json.id}`);
  const mine = await get('a.cw', `/notes/${note.json.id}`);
  assert.equal(mine.status, 200, mine.text);
  assert.deepEqual(mine.json, note.json);
  assert.equal(mine.headers.get('etag'), `"${note.json.version}"`);
  assertProblem(await get('a.cw', `/plans/${note.json.id}`), 404, 'not-found', 'the path of another kind');
  await actOk('b.cw', (await referOk('a.cw', c.id, 'ngo2', { share: ['gender'] })).id, 'accept');
  // The recipient reads its own records of the case, never the owner's.
  const fu = await as['b.cw'].req('POST', `${V1}/cases/${c.id}/followups`, { due: today() });
  assert.equal(fu.status, 201, fu.text);
  assert.equal(fu.headers.get('location'), `/api/v1/followups/${fu.json.id}`);
  assert.equal((await get('b.cw', `/followups/${fu.json.id}`)).status, 200);
  const hidden = await get('b.cw', `/notes/${note.json.id}`);
  assertProblem(hidden, 404, 'not-found', 'the owner\'s note');
  assert.ok(!hidden.text.includes('OWNER-NOTE'));
  // The owner reads the recipient's, as on its timeline; another NGO neither.
  assert.equal((await get('a.cw', `/followups/${fu.json.id}`)).status, 200);
  for (const path of [`/notes/${note.json.id}`, `/followups/${fu.json.id}`])
    assertProblem(await get('c.cw', path), 404, 'not-found', 'another NGO: ' + path);
  // A screening and a consent: the owner's alone.
  const scr = await as['a.cw'].req('POST', `${V1}/cases/${c.id}/screenings`,
    { instrument: 'delphi-adult-labour', answers: { 'D1-S1': 'yes' } });
  assert.equal(scr.status, 201, scr.text);
  assert.equal(scr.headers.get('location'), `/api/v1/screenings/${scr.json.id}`);
  assert.deepEqual((await get('a.cw', `/screenings/${scr.json.id}`)).json, scr.json);
  const consentPath = `/consents/${c.consent.id}`;
  assert.equal((await get('a.cw', consentPath)).json.id, c.consent.id);
  for (const who of ['b.cw', 'c.cw']) {
    assertProblem(await get(who, `/screenings/${scr.json.id}`), 404, 'not-found', who + ' screening');
    assertProblem(await get(who, consentPath), 404, 'not-found', who + ' consent');
  }
  // The owner sees the recipient's follow-up, whose it is, and that it
  // does not change it; then tries.
  const theirs = await get('a.cw', `/followups/${fu.json.id}`);
  assert.equal(theirs.json.org, 'ngo2');
  assert.equal(theirs.json.read_only, true, theirs.text);
  const listed = (await get('a.cw', `/cases/${c.id}/followups`)).json.items.find((x) => x.id === fu.json.id);
  assert.equal(listed.read_only, true, 'in the list the case page draws');
  assert.equal(mine.json.org, 'iom');
  assert.equal(mine.json.read_only, undefined, 'the owner\'s own');
  assert.equal((await get('b.cw', `/followups/${fu.json.id}`)).json.read_only, undefined, 'the recipient\'s own');
  const tamper = await as['a.cw'].req('PATCH', `${V1}/followups/${fu.json.id}`, { status: 'done' },
    { 'if-match': `"${fu.json.version}"` });
  assertProblem(tamper, 403, 'forbidden', 'the owner changing the recipient\'s record');
  assert.equal((await get('b.cw', `/followups/${fu.json.id}`)).json.version, fu.json.version);
  const own = await as['b.cw'].req('PATCH', `${V1}/followups/${fu.json.id}`, { status: 'done' },
    { 'if-match': `"${fu.json.version}"` });
  assert.equal(own.status, 200, own.text);
  // Consent withdrawn: the recipient reaches the case no more, nor its own record of it.
  await withdrawConsent('a.cw', c.consent.id);
  assertProblem(await get('b.cw', `/followups/${fu.json.id}`), 404, 'not-found');
});

// ---- the wizard's questions: a consent check and share presets --------------

test('consent-check answers whether a consent covers the chosen recipient, to who may refer only', async () => {
  const c = await openCase();
  const check = (who, to, id = c.id) => get(who, `/cases/${id}/consent-check?to_org=${encodeURIComponent(to)}`);
  let r = await check('a.cw', 'ngo2');
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(sorted(r.json), ['consent', 'covered', 'person_id', 'purposes', 'to_org']);
  assert.equal(r.json.covered, false);
  assert.equal(r.json.consent, null);
  assert.deepEqual(r.json.purposes, ['referral']);
  assert.equal(r.json.to_org.code, 'ngo2');
  // The police may be covered by a law-enforcement consent too.
  r = await check('a.cw', 'police');
  assert.deepEqual(r.json.purposes, ['law_enforcement', 'referral']);
  // A consent to ngo3 covers ngo3, not ngo2; the answer names it.
  const k = await consent('a.cw', c.pid, { purpose: 'referral', method: 'written', recipient_org: 'ngo3' });
  r = await check('a.cw', 'ngo3');
  assert.equal(r.json.covered, true);
  assert.equal(r.json.consent.id, k.id);
  assert.equal(r.json.consent.purpose, 'referral');
  assert.equal(r.json.consent.recipient_org, 'ngo3');
  assert.equal((await check('a.cw', 'ngo2')).json.covered, false);
  // The check agrees with the send.
  assertProblem(await refer('a.cw', c.id, 'ngo2'), 409, 'consent-required');
  await referOk('a.cw', c.id, 'ngo3');
  // A withdrawn consent covers nothing.
  await withdrawConsent('a.cw', k.id);
  assert.equal((await check('a.cw', 'ngo3')).json.covered, false);
  // Bad input: no organisation, an unknown one, the own.
  assertProblem(await get('a.cw', `/cases/${c.id}/consent-check`), 422, 'invalid-value');
  assertProblem(await check('a.cw', 'nosuch'), 422, 'invalid-value');
  assertProblem(await check('a.cw', 'iom'), 422, 'invalid-value');
  // Others learn nothing: another organisation's users get 404 for the
  // case, a hotline operator of the owner may not refer.
  for (const who of ['b.cw', 'c.cw', 'p.fp'])
    assertProblem(await check(who, 'ngo3'), 404);
  assertProblem(await check('a.hot', 'ngo3'), 403, 'forbidden');
  assertProblem(await check('a.cw', 'ngo3', 'nosuchcase'), 404);
});

test('share presets are data the send accepts, for shelter, legal aid, police and medical purposes', async () => {
  const r = await get('a.cw', '/referrals/share-presets');
  assert.equal(r.status, 200, r.text);
  const presets = r.json.items;
  assert.deepEqual(presets.map((p) => p.purpose), ['shelter', 'legal_aid', 'police_investigation', 'medical']);
  const file = JSON.parse(await (await import('node:fs/promises')).readFile(
    new URL('../../schema/share-presets.json', import.meta.url), 'utf8'));
  for (const [i, p] of presets.entries()) {
    // Every field of the data file is shareable: none was left out.
    assert.deepEqual(p.fields, file.presets[i].fields, p.purpose);
    assert.ok(p.fields.length > 3, p.purpose);
    const c = await openCase({ referral: true });
    const ref = await referOk('a.cw', c.id, 'ngo2', { share: p.fields });
    assert.deepEqual(ref.share, p.fields);
  }
  // The shelter needs no account of the exploitation; the police do.
  const of = (name) => presets.find((p) => p.purpose === name).fields;
  assert.ok(!of('shelter').includes('summary') && of('police_investigation').includes('summary'));
  assert.ok(of('shelter').length < of('police_investigation').length);
});

test('the inbox says who it is about (only what was shared) and whom to ask at the sender', async () => {
  // The sender's organisation records its contact for its partners.
  assertProblem(await as['a.adm'].req('PATCH', V1 + '/orgs/iom', { contact_phone: 'call me' }), 422, 'invalid-value');
  assertProblem(await as['a.adm'].req('PATCH', V1 + '/orgs/iom', { contact_email: 'nobody' }), 422, 'invalid-value');
  let r = await as['a.adm'].req('PATCH', V1 + '/orgs/iom', { contact_phone: '+992 44 600 11 22', contact_email: 'nrm@iom.example' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.contact_phone, '+992 44 600 11 22');
  const person = { given_name: 'Зарина', family_name: 'Ҳакимова', birth_date: '1999-03-04' };
  const inbox = async (who, id) => (await get(who, '/referrals?box=in')).json.items.find((x) => x.id === id);
  // 1: names shared: the recipient reads them once it accepts, not before.
  const c1 = await openCase({ person, referral: true });
  const f1 = await referOk('a.cw', c1.id, 'ngo2', { share: ['given_name', 'family_name', 'gender'] });
  assert.deepEqual(f1.person, { given_name: 'Зарина', family_name: 'Ҳакимова' }, 'the sender sees the names');
  assert.deepEqual(f1.sender, { login: 'a.cw', phone: '+992 44 600 11 22', email: 'nrm@iom.example' });
  let got = await inbox('b.cw', f1.id);
  assert.equal(got.person, undefined, 'no name before it is accepted');
  assert.deepEqual(got.sender, f1.sender);
  await actOk('b.cw', f1.id, 'accept');
  got = await inbox('b.cw', f1.id);
  assert.deepEqual(got.person, { given_name: 'Зарина', family_name: 'Ҳакимова' });
  assert.ok(!JSON.stringify(got).includes('1999'), 'never what was not shared');
  // 2: only the family name shared: only it, even when accepted.
  const c2 = await openCase({ person, referral: true });
  const f2 = await referOk('a.cw', c2.id, 'ngo2', { share: ['family_name'] });
  await actOk('b.cw', f2.id, 'accept');
  assert.deepEqual((await inbox('b.cw', f2.id)).person, { family_name: 'Ҳакимова' });
  // 3: initials shared: the inbox shows them, before and after accepting.
  const c3 = await openCase({ person, referral: true });
  const f3 = await referOk('a.cw', c3.id, 'ngo2', { share: ['initials', 'gender'] });
  assert.deepEqual((await inbox('b.cw', f3.id)).person, { initials: 'Ҳ. З.' });
  await actOk('b.cw', f3.id, 'accept');
  assert.deepEqual((await inbox('b.cw', f3.id)).person, { initials: 'Ҳ. З.' });
  // 4: no name, no initials: nothing (the inbox shows a dash).
  const c4 = await openCase({ person, referral: true });
  const f4 = await referOk('a.cw', c4.id, 'ngo2', { share: ['gender'] });
  await actOk('b.cw', f4.id, 'accept');
  assert.equal((await inbox('b.cw', f4.id)).person, undefined);
  // A consent withdrawn ends the showing of names and initials.
  await withdrawConsent('a.cw', c3.consent.id);
  assert.equal((await inbox('b.cw', f3.id)).person, undefined);
  // Every name shown is an audited read of the person.
  const reads = () => Number(sqlite(srv.data + '/himoya.db', `SELECT count(*) FROM audit_log WHERE action = 'read'` +
    ` AND record = 'persons/${c1.pid}' AND user_id = '${uid['b.cw']}' AND fields LIKE '%given_name%'`).trim());
  await poll(() => reads() > 0);
  assert.ok(reads() > 0, 'the recipient\'s read of the names is in the audit');
});

test('a referral to a shelter that does not take the person is sent with a warning naming the field', async () => {
  const svc = async (body) => {
    const r = await as['b.sup'].req('POST', V1 + '/directory/services', { type: 'shelter', capacity_max: 4, ...body });
    assert.equal(r.status, 201, 'service: ' + r.text);
    return r.json.id;
  };
  const women = await svc({ name: 'Women only (referral test)', genders_served: ['Feminine'] });
  const youth = await svc({ name: 'Young people (referral test)', minimum_age: 16, maximum_age: 24 });
  const man = await openCase({ person: { given_name: 'Фарҳод', gender: 'Masculine', estimated_age: 30 }, referral: true });
  const shelter = { service_type: 'shelter', share: ['gender'] };

  // Sent (201), not refused: the receiving shelter decides.
  const r = await referOk('a.cw', man.id, 'ngo2', { ...shelter, service_id: women });
  assert.ok(Array.isArray(r.warnings), 'a warnings array');
  assert.equal(r.warnings.length, 1, JSON.stringify(r.warnings));
  assert.equal(r.warnings[0].type, 'eligibility-mismatch');
  assert.equal(r.warnings[0].field, 'genders_served');
  assert.match(r.warnings[0].detail, /Feminine.*Masculine/);
  assert.doesNotMatch(JSON.stringify(r.warnings), /Фарҳод/, 'no name in the warning');
  assert.equal((await as['a.cw'].req('GET', `${V1}/referrals/${r.id}`)).json.status, 'sent');

  // Too old for a young people's shelter: the age bound is named.
  const woman = await openCase({ person: { given_name: 'Гулбаҳор', gender: 'Feminine', estimated_age: 30 }, referral: true });
  const g = await referOk('a.cw', woman.id, 'ngo2', { ...shelter, service_id: youth });
  assert.deepEqual(g.warnings.map((w) => w.field), ['maximum_age']);

  // A shelter that takes her, a referral to no service: no warning.
  assert.deepEqual((await referOk('a.cw', woman.id, 'ngo2', { ...shelter, service_id: women })).warnings, []);
  assert.deepEqual((await referOk('a.cw', man.id, 'ngo2')).warnings, []);
});
