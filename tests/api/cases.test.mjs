// /api/v1/cases and the records of a case: consent before a case opens,
// reading and updating with versions, the status rules (close and reopen
// only through their actions), the list with filters, paging and name
// search across scripts, services, plans and follow-ups, what another
// organisation sees (nothing), the audit of reads and encryption at rest.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer, signInAll } from '../lib/server.mjs';
import { assertProblem } from '../lib/hostile.mjs';
import { rawFiles, poll, sqlite } from '../lib/datadir.mjs';

const PW = 'case register password';
const users = [
  ['cw', 'caseworker'], ['cw2', 'caseworker'], ['sup', 'supervisor'], ['hot', 'hotline'],
  ['fp', 'focal_point'], ['an', 'analyst'], ['pager', 'caseworker'], ['fupager', 'caseworker'],
].map(([login, role]) => ({ login, role, password: PW }));
users.push({ org: 'ngo1', login: 'ngo.cw', role: 'caseworker', password: PW });
users.push({ org: 'ngo1', login: 'ngo.sup', role: 'supervisor', password: PW });

let srv;
const as = {};
const uid = {};

before(async () => {
  srv = await startServer({ users, orgs: [{ code: 'ngo1', name: 'NGO One', type: 'NGO' }] });
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

async function newPerson(who = 'cw', body = { given_name: 'Фарида', family_name: 'Саидова' }) {
  const r = await as[who].req('POST', V1 + '/persons', body);
  assert.equal(r.status, 201, 'person: ' + r.text);
  return r.json.id;
}

async function consent(who, personId, body = { purpose: 'assistance', method: 'written' }) {
  const r = await as[who].req('POST', `${V1}/persons/${personId}/consents`, body);
  assert.equal(r.status, 201, 'consent: ' + r.text);
  return r.json;
}

// A person with a current assistance consent and an open case.
async function openCase(who = 'cw', extra = {}, person) {
  const personId = person ?? await newPerson(who);
  if (!person) await consent(who, personId);
  const r = await as[who].req('POST', V1 + '/cases', { person_id: personId, ...extra });
  assert.equal(r.status, 201, 'case: ' + r.text);
  return r.json;
}

const getCase = (who, id) => as[who].req('GET', `${V1}/cases/${id}`);
const patchCase = (who, id, body, version) => as[who].req('PATCH', `${V1}/cases/${id}`, body,
  version === undefined ? {} : { 'if-match': `"${version}"` });

// ---- consent first ---------------------------------------------------------

test('a case opens only with a current consent to assistance', async () => {
  const pid = await newPerson('cw', { given_name: 'Малика', family_name: 'Назарова' });
  const open = () => as.cw.req('POST', V1 + '/cases', { person_id: pid });

  assertProblem(await open(), 409, 'consent-required', 'no consent at all');

  // Expired: given two years ago, ran out last year.
  const expired = await consent('cw', pid,
    { purpose: 'assistance', method: 'written', given_on: day(-730), expires: day(-365) });
  assert.equal(expired.state, 'expired');
  assertProblem(await open(), 409, 'consent-required', 'expired consent');
  // Ran out yesterday: still expired.
  await consent('cw', pid, { purpose: 'assistance', method: 'verbal_witnessed', given_on: day(-30),
    expires: day(-1) });
  assertProblem(await open(), 409, 'consent-required', 'consent expired yesterday');

  // Withdrawn.
  const w = await consent('cw', pid, { purpose: 'assistance', method: 'written' });
  assert.equal(w.state, 'active');
  const wd = await as.cw.req('POST', `${V1}/consents/${w.id}/withdraw`);
  assert.equal(wd.status, 200, wd.text);
  assert.equal(wd.json.state, 'withdrawn');
  assert.equal(wd.json.withdrawn_on, today());
  assert.equal(wd.json.version, 2);
  assertProblem(await open(), 409, 'consent-required', 'withdrawn consent');

  // Another purpose does not stand in for assistance.
  for (const purpose of ['referral', 'law_enforcement', 'statistics', 'research'])
    await consent('cw', pid, { purpose, method: 'written' });
  assertProblem(await open(), 409, 'consent-required', 'consent for other purposes only');

  // Assistance by another organisation only is no consent to this one.
  await consent('cw', pid, { purpose: 'assistance', method: 'written', recipient_org: 'ngo1' });
  assertProblem(await open(), 409, 'consent-required', 'assistance by another organisation');

  // Nothing was opened by the refusals.
  const none = await as.cw.req('GET', `${V1}/cases?person_id=${pid}`);
  assert.equal(none.status, 200, none.text);
  assert.deepEqual(none.json.items, []);

  // Expiring today is still current.
  await consent('cw', pid, { purpose: 'assistance', method: 'written', given_on: day(-10),
    expires: today() });
  const r = await open();
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.status, 'Active');
  assert.equal(r.json.stage, 'contact');
  assert.equal(r.json.opened_on, today());
  assert.equal(r.json.assigned_to, uid.cw);
  assert.equal(r.json.person_id, pid);
  assert.equal(r.json.version, 1);
  assert.equal('trafficking_status' in r.json, false);
  assert.equal('closed_on' in r.json, false);
  assert.equal(r.headers.get('etag'), '"1"');
  assert.equal(r.headers.get('location'), `${V1}/cases/${r.json.id}`);
  assert.match(r.json.id, /^[A-Za-z0-9_-]{16,}$/);
  assert.equal(r.json.person.family_name, 'Назарова');
});

test('a consent to assistance naming this organisation opens a case', async () => {
  const pid = await newPerson('cw');
  await consent('cw', pid, { purpose: 'assistance', method: 'written', recipient_org: 'iom' });
  const r = await as.cw.req('POST', V1 + '/cases', { person_id: pid });
  assert.equal(r.status, 201, r.text);
});

test('consents: states, withdrawing twice, future dates, and who may see them', async () => {
  const pid = await newPerson('cw');
  const active = await consent('cw', pid);
  const expired = await consent('cw', pid,
    { purpose: 'assistance', method: 'written', given_on: '2020-01-01', expires: '2021-01-01' });
  const gone = await consent('cw', pid, { purpose: 'referral', method: 'electronic' });
  const wd = await as.cw.req('POST', `${V1}/consents/${gone.id}/withdraw`);
  assert.equal(wd.status, 200, wd.text);
  assertProblem(await as.cw.req('POST', `${V1}/consents/${gone.id}/withdraw`), 409,
    'already-withdrawn', 'withdraw twice');

  const l = await as.cw.req('GET', `${V1}/persons/${pid}/consents`);
  assert.equal(l.status, 200, l.text);
  assert.equal(l.json.next, null);
  const state = Object.fromEntries(l.json.items.map((c) => [c.id, c.state]));
  assert.deepEqual(state, { [active.id]: 'active', [expired.id]: 'expired', [gone.id]: 'withdrawn' });
  assert.equal(l.json.items.find((c) => c.id === active.id).given_on, today());

  // Refused consents.
  const bad = [
    [{ purpose: 'marketing', method: 'written' }, 'invalid-value'],
    [{ purpose: 'assistance' }, 'missing-field'],
    [{ purpose: 'assistance', method: 'written', recipient_org: 'no-such-org' }, 'invalid-value'],
    [{ purpose: 'assistance', method: 'written', given_on: day(-1), expires: day(-2) }, 'invalid-value'],
    [{ purpose: 'assistance', method: 'written', expires: day(-1) }, 'invalid-value'], // given today
    [{ purpose: 'assistance', method: 'written', given_on: day(2) }, 'invalid-value'],
    [{ purpose: 'assistance', method: 'written', withdrawn_on: today() }, 'read-only-field'],
    [{ purpose: 'assistance', method: 'written', colour: 'red' }, 'unknown-field'],
  ];
  for (const [body, type] of bad)
    assertProblem(await as.cw.req('POST', `${V1}/persons/${pid}/consents`, body), 422, type,
      JSON.stringify(body));
  assertProblem(await as.cw.req('POST', `${V1}/consents/${active.id}/withdraw`, { reason: 'x' }), 422,
    'unknown-field', 'withdraw with a body');

  // Another organisation sees neither the person's consents nor the consent.
  for (const who of ['ngo.cw', 'ngo.sup', 'an']) {
    assertProblem(await as[who].req('GET', `${V1}/persons/${pid}/consents`), 404, 'not-found', who);
    assertProblem(await as[who].req('POST', `${V1}/persons/${pid}/consents`,
      { purpose: 'assistance', method: 'written' }), 404, 'not-found', who);
    assertProblem(await as[who].req('POST', `${V1}/consents/${active.id}/withdraw`), 404,
      'not-found', who);
  }
  // The focal point reads but does not record consent.
  assert.equal((await as.fp.req('GET', `${V1}/persons/${pid}/consents`)).status, 200);
  assertProblem(await as.fp.req('POST', `${V1}/consents/${active.id}/withdraw`), 403, 'forbidden');
  const again = await as.cw.req('GET', `${V1}/persons/${pid}/consents`);
  assert.equal(again.json.items.find((c) => c.id === active.id).state, 'active');
});

test('a case\'s dates are not before the person\'s birth (case, record, stay); unknown births hold nothing', async () => {
  const pid = await newPerson('cw', { given_name: 'Нодира', family_name: 'Born', birth_date: '1998-06-15' });
  await consent('cw', pid);
  const early = await as.cw.req('POST', V1 + '/cases', { person_id: pid, exploitation_start: '1998-06-14' });
  assertProblem(early, 422, 'invalid-value');
  assert.equal(early.json.field, 'exploitation_start');
  assert.match(early.json.detail, /before the person's date of birth/);
  assert.doesNotMatch(early.json.detail, /1998/, 'the date of birth is not told');
  const c = await as.cw.req('POST', V1 + '/cases', { person_id: pid, exploitation_start: '1998-06-15' });
  assert.equal(c.status, 201, c.text);
  assertProblem(await as.cw.req('PATCH', `${V1}/cases/${c.json.id}`, { opened_on: '1990-01-01' },
    { 'if-match': `"${c.json.version}"` }), 422, 'invalid-value');
  const svc = await as.cw.req('POST', `${V1}/cases/${c.json.id}/services`, { type: 'legal', status: 'planned', start: '1997-01-01' });
  assertProblem(svc, 422, 'invalid-value', svc.text);
  assertProblem(await as.sup.req('POST', `${V1}/cases/${c.json.id}/status-decisions`,
    { status: 'PossibleVictimOfTrafficking', date: '1998-01-01' }), 422, 'invalid-value', 'a decision dated before the birth');
  // No date of birth: no such check.
  const nobirth = await newPerson('cw', { given_name: 'Нодира', family_name: 'Unborn' });
  await consent('cw', nobirth);
  assert.equal((await as.cw.req('POST', V1 + '/cases', { person_id: nobirth, exploitation_start: '1950-01-01' })).status, 201);
});

test('records made at once on one case are all made: none is refused 412 for the case\'s stage another moved', async () => {
  const pid = await newPerson('cw');
  await consent('cw', pid);
  for (let round = 0; round < 3; round++) {
    const { id } = await openCase('cw', {}, pid);
    const made = await Promise.all([
      ...Array.from({ length: 4 }, () => as.cw.req('POST', `${V1}/cases/${id}/services`, { type: 'legal', status: 'planned' })),
      ...Array.from({ length: 4 }, () => as.sup.req('POST', `${V1}/cases/${id}/services`, { type: 'medical', status: 'planned' })),
      as.cw.req('POST', `${V1}/cases/${id}/notes`, { type: 'note', text: 'at once' })]);
    for (const m of made) assert.equal(m.status, 201, `round ${round}: ${m.text}`);
    assert.equal((await as.cw.req('GET', `${V1}/cases/${id}/services`)).json.items.length, 8);
    const tl = (await as.cw.req('GET', `${V1}/cases/${id}/timeline`)).json.items;
    assert.ok(tl.filter((e) => e.type === 'stage_changed').length <= 1, 'the stage moved once: ' + JSON.stringify(tl.map((e) => e.type)));
  }
});

test('opening a case: refused bodies and roles', async () => {
  const pid = await newPerson('cw');
  await consent('cw', pid);
  const other = await newPerson('cw');
  await consent('cw', other);
  const earlier = await openCase('cw', {}, other);
  const ngoPerson = await newPerson('ngo.cw');
  await consent('ngo.cw', ngoPerson);
  const bad = [
    [{}, 'missing-field'],
    [{ person_id: 'AAAAAAAAAAAAAAAAAAAAAAAAAA' }, 'invalid-value'],
    [{ person_id: ngoPerson }, 'invalid-value'],
    [{ person_id: pid, status: 'Closed' }, 'invalid-value'],
    [{ person_id: pid, status: 'Open' }, 'invalid-value'],
    [{ person_id: pid, stage: 'nowhere' }, 'invalid-value'],
    [{ person_id: pid, trafficking_status: 'ActualVictimOfTrafficking' }, 'read-only-field'],
    [{ person_id: pid, closed_on: '2024-01-01' }, 'read-only-field'],
    [{ person_id: pid, closure_reason: 'duplicate' }, 'read-only-field'],
    [{ person_id: pid, exploitation_types: ['Slavery'] }, 'invalid-value'],
    [{ person_id: pid, countries_of_exploitation: ['Russia'] }, 'invalid-value'],
    [{ person_id: pid, assigned_to: uid['ngo.cw'] }, 'invalid-value'],
    [{ person_id: pid, assigned_to: uid.an }, 'invalid-value'],
    [{ person_id: pid, previous_case_id: earlier.id }, 'invalid-value'],
    [{ person_id: pid, favourite: 1 }, 'unknown-field'],
    // an end before its beginning (a screen opened one so)
    [{ person_id: pid, exploitation_start: '2026-10-10', exploitation_end: '2026-05-01' }, 'invalid-value'],
  ];
  for (const [body, type] of bad)
    assertProblem(await as.cw.req('POST', V1 + '/cases', body), 422, type, JSON.stringify(body));
  for (const who of ['fp', 'an'])
    assertProblem(await as[who].req('POST', V1 + '/cases', { person_id: pid }), 403, 'forbidden', who);
  // Another organisation cannot open a case on this person.
  assertProblem(await as['ngo.cw'].req('POST', V1 + '/cases', { person_id: pid }), 422, 'invalid-value');
  assert.deepEqual((await as.cw.req('GET', `${V1}/cases?person_id=${pid}`)).json.items, []);

  // A supervisor's case is not assigned by default; the hotline may open one.
  const s = await as.sup.req('POST', V1 + '/cases', { person_id: pid, assigned_to: uid.cw2 });
  assert.equal(s.status, 201, s.text);
  assert.equal(s.json.assigned_to, uid.cw2);
  const h = await as.hot.req('POST', V1 + '/cases', { person_id: pid, status: 'FollowUp' });
  assert.equal(h.status, 201, h.text);
  assert.equal(h.json.status, 'FollowUp');
  assert.equal('assigned_to' in h.json, false);
});

// ---- read and update -------------------------------------------------------

test('get and patch: ETag, 428 without If-Match, 412 stale, version + 1', async () => {
  const c = await openCase('cw');
  const id = c.id;
  const g = await getCase('cw', id);
  assert.equal(g.status, 200, g.text);
  assert.equal(g.headers.get('etag'), '"1"');
  assert.deepEqual(g.json, c);
  for (const who of ['sup', 'hot', 'fp', 'cw2'])
    assert.equal((await getCase(who, id)).status, 200, who);
  assertProblem(await getCase('cw', 'AAAAAAAAAAAAAAAAAAAAAAAAAA'), 404, 'not-found');

  const change = { summary: 'Worked on a building site in Tver without pay.',
    exploitation_types: ['ForcedLabour'], countries_of_exploitation: ['RU'] };
  assertProblem(await patchCase('cw', id, change), 428, 'precondition-required', 'no If-Match');
  assertProblem(await patchCase('cw', id, change, 2), 412, 'version-conflict', 'If-Match from the future');
  assertProblem(await patchCase('cw', id, change, 0), 412, 'version-conflict', 'If-Match 0');
  let r = await as.cw.req('PATCH', `${V1}/cases/${id}`, change, { 'if-match': 'garbage' });
  assertProblem(r, 412, 'version-conflict', 'If-Match garbage');
  assert.equal((await getCase('cw', id)).json.version, 1);

  r = await patchCase('cw', id, change, 1);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.version, 2);
  assert.equal(r.headers.get('etag'), '"2"');
  for (const [k, v] of Object.entries(change)) assert.deepEqual(r.json[k], v, k);
  assert.equal(r.json.created_at, c.created_at);
  assert.deepEqual((await getCase('cw', id)).json, r.json);

  // Version 1 is stale now.
  assertProblem(await patchCase('cw', id, { summary: 'other' }, 1), 412, 'version-conflict', 'stale');
  assert.equal((await getCase('cw', id)).json.summary, change.summary);

  // Concurrent patches of one version: exactly one wins.
  const rs = await Promise.all(Array.from({ length: 5 }, (_, i) =>
    patchCase('cw', id, { summary: 'variant ' + i }, 2)));
  assert.deepEqual(rs.map((x) => x.status).sort(), [200, 412, 412, 412, 412]);
  assert.equal((await getCase('cw', id)).json.version, 3);
});

test('patch refuses what the rules forbid and leaves the case as it was', async () => {
  const c = await openCase('cw');
  const id = c.id;
  const otherCase = await openCase('cw');
  const ngoCase = await openCase('ngo.cw');
  const refusals = [
    [{ person_id: otherCase.person_id }, 'invalid-value'],
    [{ status: 'Closed' }, 'invalid-transition'],
    [{ status: 'ClosedReferred' }, 'invalid-transition'],
    [{ status: 'Pending' }, 'invalid-value'],
    [{ status: null }, 'invalid-value'],
    [{ stage: null }, 'invalid-value'],
    [{ opened_on: null }, 'invalid-value'],
    [{ trafficking_status: 'ActualVictimOfTrafficking' }, 'read-only-field'],
    [{ trafficking_status: null }, 'read-only-field'],
    [{ closure_reason: 'duplicate' }, 'read-only-field'],
    [{ closed_on: today() }, 'read-only-field'],
    [{ shoe_size: 42 }, 'unknown-field'],
    [{ id: 'x' }, 'unknown-field'],
    [{ version: 9 }, 'unknown-field'],
    [{ stage: 'nowhere' }, 'invalid-value'],
    [{ exploitation_types: ['Slavery'] }, 'invalid-value'],
    [{ exploitation_types: 'ForcedLabour' }, 'invalid-value'],
    [{ labour_sector: 'Z' }, 'invalid-value'],
    [{ countries_of_exploitation: ['ru'] }, 'invalid-value'],
    [{ countries_of_exploitation: ['RUS'] }, 'invalid-value'],
    [{ opened_on: '2024-02-30' }, 'invalid-value'],
    [{ previous_case_id: otherCase.id }, 'invalid-value'],
    [{ previous_case_id: ngoCase.id }, 'invalid-value'],
    [{ previous_case_id: id }, 'invalid-value'],
    [{ assigned_to: uid['ngo.cw'] }, 'invalid-value'],
    [{ assigned_to: uid.an }, 'invalid-value'],
    [{ assigned_to: 'AAAAAAAAAAAAAAAAAAAAAAAAAA' }, 'invalid-value'],
  ];
  for (const [body, type] of refusals)
    assertProblem(await patchCase('cw', id, body, 1), 422, type, JSON.stringify(body));
  assertProblem(await as.cw.req('PATCH', `${V1}/cases/${id}`, '[1]', { 'if-match': '"1"' }), 400,
    'invalid-json');
  const g = await getCase('cw', id);
  assert.equal(g.json.version, 1);
  assert.deepEqual(g.json, c);

  // Who may not change it.
  for (const who of ['hot', 'fp'])
    assertProblem(await patchCase(who, id, { summary: 'x' }, 1), 403, 'forbidden', who);
  for (const who of ['an', 'ngo.cw', 'ngo.sup'])
    assertProblem(await patchCase(who, id, { summary: 'x' }, 1), 404, 'not-found', who);
  assert.equal((await getCase('cw', id)).json.version, 1);
});

test('patch: FollowUp and back, stage by hand, a colleague, an earlier case of the person', async () => {
  const first = await openCase('cw');
  const c = await openCase('cw', {}, first.person_id);
  const id = c.id;
  let r = await patchCase('cw', id, { status: 'FollowUp' }, 1);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.status, 'FollowUp');
  r = await patchCase('sup', id, { status: 'Active', stage: 'referral' }, 2);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.status, 'Active');
  assert.equal(r.json.stage, 'referral');
  r = await patchCase('cw', id, { assigned_to: uid.cw2, previous_case_id: first.id }, 3);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.assigned_to, uid.cw2);
  assert.equal(r.json.previous_case_id, first.id);
  assert.equal(r.json.version, 4);
  // Unassigning is allowed.
  r = await patchCase('cw', id, { assigned_to: null }, 4);
  assert.equal(r.status, 200, r.text);
  assert.equal('assigned_to' in r.json, false);

  const t = await as.cw.req('GET', `${V1}/cases/${id}/timeline`);
  assert.equal(t.status, 200, t.text);
  const types = t.json.items.map((e) => e.type);
  assert.deepEqual(types.filter((x) => x !== 'stage_changed' && x !== 'assigned'), ['opened']);
  const stage = t.json.items.find((e) => e.type === 'stage_changed');
  assert.deepEqual({ from: stage.data.from, to: stage.data.to }, { from: 'contact', to: 'referral' });
  const assigned = t.json.items.filter((e) => e.type === 'assigned').map((e) => e.data.to);
  assert.ok(assigned.includes(uid.cw2), JSON.stringify(t.json.items));
});

// ---- close and reopen ------------------------------------------------------

test('close needs a reason from its list; closing twice is a conflict; reopen', async () => {
  const c = await openCase('cw');
  const id = c.id;
  const close = (body, who = 'cw') => as[who].req('POST', `${V1}/cases/${id}/close`, body);
  for (const body of [{}, { reason: 'bored' }, { reason: '' }, { reason: 3 },
    { reason: 'duplicate', status: 'Active' }, { reason: 'duplicate', status: 'FollowUp' }])
    assertProblem(await close(body), 422, 'invalid-value', JSON.stringify(body));
  assertProblem(await close({ reason: 'duplicate', when: 'now' }), 422, 'unknown-field');
  assertProblem(await close({ reason: 'duplicate' }, 'hot'), 403, 'forbidden', 'hotline');
  assertProblem(await close({ reason: 'duplicate' }, 'fp'), 403, 'forbidden', 'focal point');
  assertProblem(await close({ reason: 'duplicate' }, 'ngo.sup'), 404, 'not-found', 'other org');
  assertProblem(await close({ reason: 'duplicate' }, 'an'), 404, 'not-found', 'analyst');
  assert.equal((await getCase('cw', id)).json.status, 'Active');

  let r = await close({ reason: 'assistance_completed' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.status, 'Closed');
  assert.equal(r.json.closure_reason, 'assistance_completed');
  assert.equal(r.json.closed_on, today());
  assert.equal(r.json.stage, 'closure');
  assert.equal(r.json.version, 2);
  assert.equal(r.headers.get('etag'), '"2"');

  assertProblem(await close({ reason: 'duplicate' }), 409, 'invalid-transition', 'close twice');
  assertProblem(await close({ reason: 'duplicate', status: 'ClosedReferred' }), 409, 'invalid-transition');
  // A closed case is not reopened by a patch.
  assertProblem(await patchCase('cw', id, { status: 'Active' }, 2), 422, 'invalid-transition');
  assertProblem(await patchCase('cw', id, { status: 'FollowUp' }, 2), 422, 'invalid-transition');

  assertProblem(await as.hot.req('POST', `${V1}/cases/${id}/reopen`), 403, 'forbidden');
  assertProblem(await as['ngo.cw'].req('POST', `${V1}/cases/${id}/reopen`), 404, 'not-found');
  assertProblem(await as.cw.req('POST', `${V1}/cases/${id}/reopen`, { status: 'Active' }), 422,
    'unknown-field');
  r = await as.cw.req('POST', `${V1}/cases/${id}/reopen`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.status, 'Active');
  assert.equal('closed_on' in r.json, false);
  assert.equal('closure_reason' in r.json, false);
  assert.notEqual(r.json.stage, 'closure');
  assert.equal(r.json.version, 3);
  assertProblem(await as.cw.req('POST', `${V1}/cases/${id}/reopen`), 409, 'invalid-transition',
    'reopen an open case');

  // Closed as referred, then reopened once more by the supervisor.
  r = await close({ reason: 'referred_elsewhere', status: 'ClosedReferred' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.status, 'ClosedReferred');
  r = await as.sup.req('POST', `${V1}/cases/${id}/reopen`, {});
  assert.equal(r.status, 200, r.text);

  const t = await as.cw.req('GET', `${V1}/cases/${id}/timeline`);
  assert.equal(t.status, 200, t.text);
  const events = t.json.items.filter((e) => e.kind === 'event').map((e) => e.type)
    .filter((x) => x !== 'stage_changed');
  assert.deepEqual(events, ['opened', 'closure', 'reopened', 'closure', 'reopened']);
  const closures = t.json.items.filter((e) => e.type === 'closure');
  assert.deepEqual(closures.map((e) => e.data.reason), ['assistance_completed', 'referred_elsewhere']);
  const ats = t.json.items.map((e) => e.at);
  assert.deepEqual([...ats].sort(), ats, 'the timeline is in time order');
});

test('the timeline keeps the order things happened in, also within one second', async () => {
  for (let round = 0; round < 3; round++) {
    const c = await openCase('cw');
    const id = c.id;
    const want = ['opened'];
    for (let i = 0; i < 4; i++) {
      assert.equal((await as.cw.req('POST', `${V1}/cases/${id}/close`, { reason: 'lost_contact' })).status, 200);
      assert.equal((await as.cw.req('POST', `${V1}/cases/${id}/reopen`)).status, 200);
      want.push('closure', 'reopened');
    }
    const t = await as.cw.req('GET', `${V1}/cases/${id}/timeline`);
    assert.deepEqual(t.json.items.filter((e) => e.kind === 'event' && e.type !== 'stage_changed')
      .map((e) => e.type), want);
  }
});

// ---- the list --------------------------------------------------------------

async function walk(who, query, limit) {
  const ids = [];
  let cursor = null;
  for (let pages = 0; pages < 100; pages++) {
    const q = new URLSearchParams(query);
    q.set('limit', String(limit));
    if (cursor) q.set('cursor', cursor);
    const r = await as[who].req('GET', `${V1}/cases?${q}`);
    assert.equal(r.status, 200, r.text);
    assert.ok(r.json.items.length <= limit, 'a page holds at most limit items');
    ids.push(...r.json.items.map((c) => c.id));
    if (r.json.next === null) return ids;
    assert.equal(typeof r.json.next, 'string');
    assert.ok(r.json.items.length === limit, 'a page before the last one is full');
    cursor = r.json.next;
  }
  throw new Error('paging does not end');
}

test('list: paging with limit and cursor walks every case once and ends with next null', async () => {
  const made = [];
  for (let i = 0; i < 7; i++) made.push((await openCase('pager')).id);
  const all = await as.pager.req('GET', `${V1}/cases?limit=200`);
  assert.equal(all.status, 200, all.text);
  assert.equal(all.json.next, null);
  const total = all.json.items.map((c) => c.id);
  for (const id of made) assert.ok(total.includes(id));

  for (const limit of [3, 1, 7]) {
    const ids = await walk('pager', {}, limit);
    assert.equal(new Set(ids).size, ids.length, `no duplicates with limit=${limit}`);
    assert.deepEqual(ids, total, `the pages with limit=${limit} add up to the whole list`);
  }
  // Only the seven assigned to this caseworker, three at a time: 3 + 3 + 1.
  const mine = await walk('pager', { assigned: 'me' }, 3);
  assert.deepEqual([...mine].sort(), [...made].sort());
  const q = new URLSearchParams({ assigned: 'me', limit: '3' });
  const p1 = await as.pager.req('GET', `${V1}/cases?${q}`);
  assert.equal(p1.json.items.length, 3);
  q.set('cursor', p1.json.next);
  const p2 = await as.pager.req('GET', `${V1}/cases?${q}`);
  q.set('cursor', p2.json.next);
  const p3 = await as.pager.req('GET', `${V1}/cases?${q}`);
  assert.equal(p3.json.items.length, 1);
  assert.equal(p3.json.next, null);
  // A cursor's filter is read argument by argument: a value that holds
  // "&stage=..." is not the filter of two arguments.
  const stage = all.json.items.find((c) => c.id === made[0]).stage;
  const two = await as.pager.req('GET', `${V1}/cases?${new URLSearchParams({ assigned: 'me', stage, limit: '1' })}`);
  assert.ok(two.json.next, two.text);
  assertProblem(await as.pager.req('GET', `${V1}/cases?${new URLSearchParams({ assigned: `me&stage=${stage}`,
    limit: '1', cursor: two.json.next })}`), 422, 'invalid-value');

  // Bad paging parameters.
  for (const bad of ['limit=0', 'limit=-1', 'limit=201', 'limit=ten', 'limit=', 'cursor=garbage',
    'cursor=' + 'x'.repeat(300) + '.y', 'cursor=2024-01-01T00:00:00Z.' + 'y'.repeat(40)])
    assertProblem(await as.pager.req('GET', `${V1}/cases?${bad}`), 422, 'invalid-value', bad);
});

test('list: status, stage and assigned filters', async () => {
  const a = await openCase('cw');
  const b = await openCase('cw');
  const cl = await openCase('cw');
  assert.equal((await as.cw.req('POST', `${V1}/cases/${cl.id}/close`, { reason: 'duplicate' })).status, 200);
  assert.equal((await patchCase('cw', b.id, { stage: 'assistance', assigned_to: uid.cw2 }, 1)).status, 200);

  const list = async (who, query) => {
    const r = await as[who].req('GET', `${V1}/cases?${query}&limit=200`);
    assert.equal(r.status, 200, query + ': ' + r.text);
    return r.json.items;
  };
  let items = await list('cw', 'status=Closed');
  assert.ok(items.length >= 1);
  assert.ok(items.every((c) => c.status === 'Closed'));
  assert.ok(items.some((c) => c.id === cl.id));
  assert.ok(!items.some((c) => c.id === a.id));

  items = await list('cw', 'status=Active');
  assert.ok(items.every((c) => c.status === 'Active'));
  assert.ok(items.some((c) => c.id === a.id) && items.some((c) => c.id === b.id));
  assert.ok(!items.some((c) => c.id === cl.id));

  items = await list('cw', 'stage=assistance');
  assert.ok(items.every((c) => c.stage === 'assistance'));
  assert.ok(items.some((c) => c.id === b.id));

  items = await list('cw', 'stage=assistance&status=Active&assigned=' + uid.cw2);
  assert.ok(items.some((c) => c.id === b.id));
  assert.ok(items.every((c) => c.assigned_to === uid.cw2 && c.stage === 'assistance'));

  items = await list('cw', 'assigned=me');
  assert.ok(items.length >= 2);
  assert.ok(items.every((c) => c.assigned_to === uid.cw));
  assert.ok(items.some((c) => c.id === a.id) && !items.some((c) => c.id === b.id));
  items = await list('cw2', 'assigned=me');
  assert.ok(items.some((c) => c.id === b.id));
  assert.ok(items.every((c) => c.assigned_to === uid.cw2));

  // A list item carries the person's names but no sealed text.
  const one = (await list('cw', 'status=Active')).find((c) => c.id === a.id);
  assert.equal(one.person.given_name, 'Фарида');

  for (const bad of ['status=Open', 'status=closed', 'stage=nowhere', 'stage=Contact'])
    assertProblem(await as.cw.req('GET', `${V1}/cases?${bad}`), 422, 'invalid-value', bad);
  for (const who of ['an'])
    assertProblem(await as[who].req('GET', `${V1}/cases`), 403, 'forbidden', who);
});

test('list: q finds the case of Ҷумъаев in every script and spelling', async () => {
  const pid = await newPerson('cw', { given_name: 'Шерали', family_name: 'Ҷумъаев' });
  await consent('cw', pid);
  const c = await openCase('cw', {}, pid);
  const closed = await openCase('cw', {}, pid);
  assert.equal((await as.cw.req('POST', `${V1}/cases/${closed.id}/close`, { reason: 'duplicate' })).status, 200);
  for (const q of ['Ҷумъаев', 'Джумаев', 'Jumaev', 'Dzhumaev', 'Djumaev', 'JUMAEV', 'Шерали Jumaev']) {
    const r = await as.cw.req('GET', `${V1}/cases?q=${encodeURIComponent(q)}`);
    assert.equal(r.status, 200, q + ': ' + r.text);
    const ids = r.json.items.map((x) => x.id);
    assert.ok(ids.includes(c.id) && ids.includes(closed.id), `q=${q}: ${JSON.stringify(ids)}`);
    assert.ok(r.json.items.every((x) => x.person_id === pid), `q=${q} finds only his cases`);
    assert.equal(r.json.items.find((x) => x.id === c.id).person.family_name, 'Ҷумъаев');
    assert.equal(r.json.next, null);
  }
  // Filters still apply to a name search.
  const act = await as.cw.req('GET', `${V1}/cases?q=Jumaev&status=Active`);
  assert.deepEqual(act.json.items.map((x) => x.id), [c.id]);
  for (const q of ['Karimov', 'Раҳмонов'])
    assert.deepEqual((await as.cw.req('GET', `${V1}/cases?q=${encodeURIComponent(q)}`)).json.items, [], q);
  // Another organisation finds nothing by his name.
  const o = await as['ngo.cw'].req('GET', `${V1}/cases?q=Jumaev`);
  assert.equal(o.status, 200, o.text);
  assert.deepEqual(o.json.items, []);
  assertProblem(await as.cw.req('GET', `${V1}/cases?q=${'a'.repeat(301)}`), 422, 'invalid-value');
});

test('another organisation sees nothing of a case', async () => {
  const c = await openCase('cw', { summary: 'secret summary text' });
  const id = c.id;
  const mine = await openCase('ngo.cw');
  for (const who of ['ngo.cw', 'ngo.sup']) {
    const l = await walk(who, {}, 200);
    assert.ok(!l.includes(id), who + ' lists it');
    assert.ok(l.includes(mine.id), who + ' lists its own');
    for (const path of ['', '/timeline', '/services', '/screenings', '/status-decisions', '/notes',
      '/plans', '/followups']) {
      const r = await as[who].req('GET', `${V1}/cases/${id}${path}`);
      assertProblem(r, 404, 'not-found', `${who} GET ${path}`);
      assert.ok(!r.text.includes('secret summary'));
    }
    const posts = [
      ['/services', { type: 'legal', status: 'planned' }],
      ['/screenings', { instrument: 'delphi-adult-labour', answers: { 'D4-S1': 'yes' } }],
      ['/status-decisions', { status: 'PossibleVictimOfTrafficking', date: today() }],
      ['/notes', { type: 'note', text: 'x' }],
      ['/plans', { type: 'Legal' }],
      ['/followups', { due: today() }],
      ['/close', { reason: 'duplicate' }],
      ['/reopen', undefined],
    ];
    for (const [path, body] of posts)
      assertProblem(await as[who].req('POST', `${V1}/cases/${id}${path}`, body), 404, 'not-found',
        `${who} POST ${path}`);
  }
  // The analyst (aggregates only) sees no case either.
  assertProblem(await getCase('an', id), 404, 'not-found', 'analyst');
  assertProblem(await as.an.req('GET', `${V1}/cases/${id}/timeline`), 404, 'not-found');
  const g = await getCase('cw', id);
  assert.equal(g.json.version, 1);
  assert.equal((await as.cw.req('GET', `${V1}/cases/${id}/services`)).json.items.length, 0);
});

// ---- services, plans, follow-ups ---------------------------------------------

test('services: every assistance type, refused values, the stage moves to assistance', async () => {
  const c = await openCase('cw');
  const id = c.id;
  const types = ['shelter', 'legal', 'medical', 'psychological', 'psychosocial', 'vocational_training',
    'business_startup_grant', 'education', 'family_tracing_reintegration', 'documents',
    'return_travel', 'financial', 'other'];
  const made = [];
  for (const type of types) {
    const body = { type, status: 'planned', start: today(), end: day(30), cost: 0, currency: 'TJS',
      provider_org: 'iom' };
    const r = await as.cw.req('POST', `${V1}/cases/${id}/services`, body);
    assert.equal(r.status, 201, type + ': ' + r.text);
    for (const [k, v] of Object.entries(body)) assert.deepEqual(r.json[k], v, `${type}.${k}`);
    assert.equal(r.json.case_id, id);
    made.push(r.json.id);
  }
  const bad = [
    [{ type: 'massage', status: 'planned' }, 'invalid-value'],
    [{ type: 'Shelter', status: 'planned' }, 'invalid-value'],
    [{ type: 'legal', status: 'planned', cost: -1 }, 'invalid-value'],
    [{ type: 'legal', status: 'planned', cost: 1.5 }, 'invalid-value'],
    [{ type: 'legal', status: 'planned', cost: '100' }, 'invalid-value'],
    [{ type: 'legal', status: 'done' }, 'invalid-value'],
    [{ type: 'legal', status: 'planned', currency: 'XXX' }, 'invalid-value'],
    [{ type: 'legal', status: 'planned', start: '2024-13-01' }, 'invalid-value'],
    [{ type: 'legal' }, 'missing-field'],
    [{ status: 'planned' }, 'missing-field'],
    [{ type: 'legal', status: 'planned', colour: 'red' }, 'unknown-field'],
    // The provider is an organisation of the directory, by its code.
    [{ type: 'legal', status: 'planned', provider_org: 'Some lawyer in town' }, 'invalid-value'],
    [{ type: 'legal', status: 'planned', provider_org: 'IOM' }, 'invalid-value'],
  ];
  for (const [body, type] of bad)
    assertProblem(await as.cw.req('POST', `${V1}/cases/${id}/services`, body), 422, type,
      JSON.stringify(body));
  for (const who of ['hot', 'fp'])
    assertProblem(await as[who].req('POST', `${V1}/cases/${id}/services`, { type: 'legal', status: 'planned' }),
      403, 'forbidden', who);

  const l = await as.cw.req('GET', `${V1}/cases/${id}/services`);
  assert.equal(l.status, 200, l.text);
  assert.deepEqual(l.json.items.map((s) => s.id).sort(), [...made].sort());
  assert.deepEqual(l.json.items.map((s) => s.type).sort(), [...types].sort());
  assert.equal(l.json.next, null);
  const g = await getCase('cw', id);
  assert.equal(g.json.stage, 'assistance');
  assert.equal('trafficking_status' in g.json, false);

  // Updating a service: If-Match rules as for a case.
  const sp = `${V1}/services/${made[0]}`;
  assertProblem(await as.cw.req('PATCH', sp, { status: 'in_progress' }), 428, 'precondition-required');
  assertProblem(await as.cw.req('PATCH', sp, { status: 'in_progress' }, { 'if-match': '"2"' }), 412,
    'version-conflict');
  assertProblem(await as.cw.req('PATCH', sp, { status: 'finished' }, { 'if-match': '"1"' }), 422,
    'invalid-value');
  assertProblem(await as.cw.req('PATCH', sp, { type: null }, { 'if-match': '"1"' }), 422);
  assertProblem(await as.cw.req('PATCH', sp, { provider_org: 'a clinic' }, { 'if-match': '"1"' }), 422, 'invalid-value');
  const u = await as.cw.req('PATCH', sp, { status: 'completed', cost: 1500 }, { 'if-match': '"1"' });
  assert.equal(u.status, 200, u.text);
  assert.equal(u.json.version, 2);
  assert.equal(u.json.status, 'completed');
  assert.equal(u.json.cost, 1500);
  assertProblem(await as['ngo.cw'].req('PATCH', sp, { status: 'cancelled' }, { 'if-match': '"2"' }), 404,
    'not-found');
});

test('plans hold a list of goals; a goal needs its text', async () => {
  const c = await openCase('cw');
  const id = c.id;
  const goals = [
    { goal: 'Восстановить паспорт', due: day(30), status: 'open' },
    { goal: 'Ҳуҷҷатҳои мактаб барои фарзандон', status: 'achieved' },
    { goal: 'Find work in Khujand' },
  ];
  const r = await as.cw.req('POST', `${V1}/cases/${id}/plans`,
    { type: 'Livelihood', goals, start: today(), review_on: day(90), notes: 'plan notes' });
  assert.equal(r.status, 201, r.text);
  assert.deepEqual(r.json.goals, goals);
  assert.equal(r.json.type, 'Livelihood');

  const bad = [
    [{ type: 'Livelihood', goals: [{ due: day(3) }] }, 'goal without text'],
    [{ type: 'Livelihood', goals: [{ goal: '' }] }, 'empty goal'],
    [{ type: 'Livelihood', goals: [{ goal: 'x', status: 'maybe' }] }, 'goal status'],
    [{ type: 'Livelihood', goals: [{ goal: 'x', weight: 3 }] }, 'unknown goal field'],
    [{ type: 'Livelihood', goals: ['just a string'] }, 'goal not an object'],
    [{ type: 'Livelihood', goals: { goal: 'x' } }, 'goals not a list'],
    [{ type: 'Livelihood', goals: Array.from({ length: 31 }, () => ({ goal: 'x' })) }, 'too many goals'],
    [{ type: 'Shopping' }, 'plan type'],
    [{ goals: [{ goal: 'x' }] }, 'no type'],
    [{ type: 'Livelihood', start: day(10), review_on: day(9) }, 'review before the start'],
  ];
  for (const [body, what] of bad) {
    const b = await as.cw.req('POST', `${V1}/cases/${id}/plans`, body);
    assertProblem(b, 422, undefined, what);
  }
  const l = await as.cw.req('GET', `${V1}/cases/${id}/plans`);
  assert.equal(l.json.items.length, 1);
  assert.deepEqual(l.json.items[0].goals, goals);

  const p = await as.cw.req('PATCH', `${V1}/plans/${r.json.id}`,
    { goals: [{ goal: 'Восстановить паспорт', status: 'achieved' }] }, { 'if-match': '"1"' });
  assert.equal(p.status, 200, p.text);
  assert.deepEqual(p.json.goals, [{ goal: 'Восстановить паспорт', status: 'achieved' }]);
  assertProblem(await as.cw.req('PATCH', `${V1}/plans/${r.json.id}`, { goals: [{ status: 'open' }] },
    { 'if-match': '"2"' }), 422);
  // The review stays on or after the start, whichever of the two a change moves.
  assertProblem(await as.cw.req('PATCH', `${V1}/plans/${r.json.id}`, { review_on: day(-1) },
    { 'if-match': '"2"' }), 422, 'invalid-value', 'review moved before the start');
  assertProblem(await as.cw.req('PATCH', `${V1}/plans/${r.json.id}`, { start: day(91) },
    { 'if-match': '"2"' }), 422, 'invalid-value', 'start moved after the review');
  const moved = await as.cw.req('PATCH', `${V1}/plans/${r.json.id}`, { start: day(90) }, { 'if-match': '"2"' });
  assert.equal(moved.status, 200, moved.text);
});

test('follow-ups: the overdue list shows what is due before today and not done', async () => {
  const c = await openCase('cw');
  const id = c.id;
  const fu = async (body, who = 'cw') => {
    const r = await as[who].req('POST', `${V1}/cases/${id}/followups`, body);
    assert.equal(r.status, 201, r.text);
    return r.json;
  };
  const late = await fu({ due: day(-1) });
  assert.equal(late.status, 'due');
  assert.equal(late.assigned_to, uid.cw);
  const soon = await fu({ due: day(1) });
  const todays = await fu({ due: today() });
  const done = await fu({ due: day(-3) });
  const longAgo = await fu({ due: day(-40), assigned_to: uid.cw2 });

  assertProblem(await as.cw.req('PATCH', `${V1}/followups/${done.id}`, { status: 'done' }), 428,
    'precondition-required');
  assertProblem(await as.cw.req('PATCH', `${V1}/followups/${done.id}`, { status: 'done' },
    { 'if-match': '"3"' }), 412, 'version-conflict');
  assertProblem(await as.cw.req('PATCH', `${V1}/followups/${done.id}`, { status: 'finished' },
    { 'if-match': '"1"' }), 422, 'invalid-value');
  const d = await as.cw.req('PATCH', `${V1}/followups/${done.id}`,
    { status: 'done', done_on: today(), outcome: 'Met at home, all well' }, { 'if-match': '"1"' });
  assert.equal(d.status, 200, d.text);
  assert.equal(d.json.version, 2);
  assert.equal(d.json.status, 'done');

  const ids = async (who, query = '') => {
    const r = await as[who].req('GET', `${V1}/followups${query}`);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.next, null);
    return r.json.items.map((x) => x.id);
  };
  let mine = await ids('cw');
  assert.ok(mine.includes(late.id), 'due yesterday is overdue');
  assert.ok(!mine.includes(soon.id), 'due tomorrow is not');
  assert.ok(!mine.includes(todays.id), 'due today is not overdue yet');
  assert.ok(!mine.includes(done.id), 'a done one is not');
  assert.ok(!mine.includes(longAgo.id), 'someone else\'s is not in mine');
  assert.deepEqual(await ids('cw', '?assigned=me'), mine);
  mine = await ids('cw2');
  assert.ok(mine.includes(longAgo.id) && !mine.includes(late.id));

  // The supervisor: none of them are the supervisor's own; all of them with assigned=all.
  const supMine = await ids('sup');
  assert.ok(!supMine.includes(late.id));
  const all = await ids('sup', '?assigned=all');
  assert.ok(all.includes(late.id) && all.includes(longAgo.id));
  assert.ok(!all.includes(soon.id) && !all.includes(done.id));
  // Up to a later date.
  const ahead = await ids('sup', `?assigned=all&before=${day(2)}`);
  assert.ok(ahead.includes(soon.id) && ahead.includes(todays.id) && !ahead.includes(done.id));
  assertProblem(await as.sup.req('GET', `${V1}/followups?before=soon`), 422, 'invalid-value');

  // Another organisation's overdue list has none of them; other roles have none.
  const other = await ids('ngo.sup', '?assigned=all');
  assert.ok(!other.includes(late.id) && !other.includes(longAgo.id));
  for (const who of ['hot', 'fp', 'an'])
    assertProblem(await as[who].req('GET', `${V1}/followups`), 403, 'forbidden', who);
  assertProblem(await as['ngo.cw'].req('PATCH', `${V1}/followups/${late.id}`, { status: 'done' },
    { 'if-match': '"1"' }), 404, 'not-found');
  // A follow-up is not patched through another kind's path.
  assertProblem(await as.cw.req('PATCH', `${V1}/services/${late.id}`, { status: 'completed' },
    { 'if-match': '"1"' }), 404, 'not-found');
  assertProblem(await as.cw.req('POST', `${V1}/cases/${id}/followups`, {}), 422, 'missing-field');
  assertProblem(await as.cw.req('POST', `${V1}/cases/${id}/followups`, { due: 'tomorrow' }), 422,
    'invalid-value');

  // A follow-up given the day it was done is done, not left on the list.
  const told = await fu({ due: day(-5), done_on: day(-2) });
  assert.equal(told.status, 'done');
  const late2 = await fu({ due: day(-6) });
  const p = await as.cw.req('PATCH', `${V1}/followups/${late2.id}`, { done_on: day(-1) }, { 'if-match': '"1"' });
  assert.equal(p.status, 200, p.text);
  assert.equal(p.json.status, 'done');
  mine = await ids('cw');
  assert.ok(!mine.includes(told.id) && !mine.includes(late2.id), 'neither is overdue');
  // Not done and a day done: refused, nothing changed; reopened with done_on null.
  assertProblem(await as.cw.req('POST', `${V1}/cases/${id}/followups`, { due: day(-5), status: 'due', done_on: day(-2) }),
    422, 'invalid-value');
  assertProblem(await as.cw.req('PATCH', `${V1}/followups/${late2.id}`, { status: 'missed' }, { 'if-match': '"2"' }),
    422, 'invalid-value');
  const back = await as.cw.req('PATCH', `${V1}/followups/${late2.id}`, { status: 'due', done_on: null }, { 'if-match': '"2"' });
  assert.equal(back.status, 200, back.text);
  assert.equal(back.json.status, 'due');
  assert.equal(back.json.done_on, undefined);
  assert.ok((await ids('cw')).includes(late2.id), 'reopened: overdue again');
});

// The due list pages as the other lists: ?limit= and ?cursor=, in (due, id)
// order across the kinds that come due (follow-ups, risk and safety reviews).
test('due follow-ups: paging with limit and cursor walks every item once in (due, id) order', async () => {
  const c = await openCase('fupager');
  const made = [];
  const add = async (path, body) => {
    const r = await as.fupager.req('POST', `${V1}/cases/${c.id}/${path}`, body);
    assert.equal(r.status, 201, r.text);
    made.push(r.json.id);
  };
  for (const off of [-9, -3, -3, -3, -5, -1, -9, -3]) await add('followups', { due: day(off) });
  await add('risk-assessments', { level: 'high', assessed_on: day(-20), review_on: day(-3), threats: 'calls' });
  await add('safety-plans', { agreed_on: day(-20), review_on: day(-5), measures: 'a new SIM card' });
  await add('followups', { due: day(2) }); // not due yet

  const page = async (query) => {
    const r = await as.fupager.req('GET', `${V1}/followups?${new URLSearchParams(query)}`);
    assert.equal(r.status, 200, r.text);
    return r.json;
  };
  const whole = await page({ limit: '200' });
  assert.equal(whole.next, null);
  const ids = whole.items.map((x) => x.id);
  assert.deepEqual([...ids].sort(), made.slice(0, 10).sort(), 'the ten due items, the one not due left out');
  const key = (x) => `${x.due ?? x.review_on}|${x.id}`;
  const keys = whole.items.map(key);
  assert.deepEqual(keys, [...keys].sort(), 'in (due, id) order');
  assert.deepEqual(whole.items.map((x) => x.kind).sort().filter((k, i, a) => a.indexOf(k) === i),
    ['followup', 'risk', 'safety']);
  assert.deepEqual((await page({})).items.map((x) => x.id), ids, 'the default page holds them all');

  for (const limit of [1, 2, 3, 4, 9, 10]) {
    const seen = [];
    let cursor = null;
    for (let pages = 0; pages < 20; pages++) {
      const p = await page(cursor ? { limit, cursor } : { limit });
      assert.ok(p.items.length <= limit, `a page holds at most ${limit}`);
      seen.push(...p.items.map((x) => x.id));
      if (p.next === null) break;
      assert.equal(p.items.length, limit, 'a page before the last one is full');
      cursor = p.next;
    }
    assert.deepEqual(seen, ids, `the pages of ${limit} add up to the whole list, each item once`);
  }
  // A page of the supervisor's whole organisation pages the same way.
  const sup = await as.sup.req('GET', `${V1}/followups?assigned=all&limit=1`);
  assert.equal(sup.status, 200, sup.text);
  assert.equal(sup.json.items.length, 1);
  assert.equal(typeof sup.json.next, 'string');

  for (const bad of ['limit=0', 'limit=-1', 'limit=201', 'limit=ten', 'limit=', 'cursor=garbage',
    'cursor=' + 'x'.repeat(300) + '.y', 'cursor=2024-01-01.' + 'y'.repeat(40)])
    assertProblem(await as.fupager.req('GET', `${V1}/followups?${bad}`), 422, 'invalid-value', bad);
  // A case list's cursor is not one of this list.
  const cases = await as.fupager.req('GET', `${V1}/cases?limit=1`);
  assert.equal(typeof cases.json.next, 'string', cases.text);
  assertProblem(await as.fupager.req('GET', `${V1}/followups?cursor=${cases.json.next}`), 422,
    'invalid-value');
  // A cursor is of its list's filter and user: not a place in another filter's list, nor in
  // another user's, even of the same organisation; the page's size may change.
  const mine = await as.fupager.req('GET', `${V1}/followups?limit=1`);
  assert.equal(typeof mine.json.next, 'string', mine.text);
  for (const [who, q] of [['fupager', `assigned=all&cursor=${mine.json.next}`],
    ['fupager', `before=2099-01-01&cursor=${mine.json.next}`], ['sup', `cursor=${mine.json.next}`]])
    assertProblem(await as[who].req('GET', `${V1}/followups?${q}`), 422, 'invalid-value', `${who}: ${q}`);
  for (const q of [`cursor=${mine.json.next}`, `limit=2&cursor=${mine.json.next}`])
    assert.equal((await as.fupager.req('GET', `${V1}/followups?${q}`)).status, 200, q);
  const f1 = await as.fupager.req('GET', `${V1}/cases?status=Active&limit=1`);
  assert.equal(typeof f1.json.next, 'string', f1.text);
  assertProblem(await as.fupager.req('GET', `${V1}/cases?cursor=${f1.json.next}`), 422, 'invalid-value',
    'a filtered list\'s cursor on the whole list');
  assert.equal((await as.fupager.req('GET', `${V1}/cases?limit=1&cursor=${f1.json.next}&status=Active`)).status,
    200, 'the same filter, its arguments in another order');
});

// ---- audit and encryption ----------------------------------------------------

test('a case list writes each case as the case itself reads, names with <, > and & escaped', async () => {
  // The lists splice the stored JSON of the case and its person (a fast
  // path); the case's own answer builds it field by field: the two agree.
  const pid = await newPerson('cw', { given_name: 'Ли<b>', family_name: 'Ҳасан&<i>ова', birth_date: '1990-04-05' });
  await consent('cw', pid);
  const c = await openCase('cw', { exploitation_types: ['ForcedLabour'], labour_sector: 'F',
    countries_of_exploitation: ['RU', 'KZ'], summary: 'sealed: never in a list' }, pid);
  const one = (await getCase('cw', c.id)).json;
  for (const path of [`${V1}/cases?q=${encodeURIComponent('Ҳасан&<i>ова')}`, `${V1}/cases?person_id=${pid}`]) {
    const r = await as.cw.req('GET', path);
    assert.equal(r.status, 200, r.text);
    assert.ok(!/[<>&]/.test(r.text), `${path}: ${r.text}`);
    assert.match(r.text, /\\u003cb\\u003e/);
    const item = r.json.items.find((i) => i.id === c.id);
    assert.ok(item, `${path}: ${r.text}`);
    assert.deepEqual(item.person, { id: pid, given_name: 'Ли<b>', family_name: 'Ҳасан&<i>ова', birth_date: '1990-04-05' });
    assert.equal(item.summary, undefined, 'no sealed field in a list');
    for (const [k, v] of Object.entries(item)) if (k !== 'person') assert.deepEqual(v, one[k], k);
    for (const [k, v] of Object.entries(one)) if (k !== 'person' && k !== 'summary') assert.deepEqual(item[k], v, k);
  }
  // The person's own answer splices its stored JSON too (it wrote < raw).
  const pr = await as.cw.req('GET', `${V1}/persons/${pid}`);
  assert.equal(pr.status, 200, pr.text);
  assert.ok(!/[<>&]/.test(pr.text), pr.text);
  assert.equal(pr.json.family_name, 'Ҳасан&<i>ова');
});

test('reading a case is audited under cases/ID', async () => {
  const c = await openCase('cw', { summary: 'audited summary' });
  const record = 'cases/' + c.id;
  const db = join(srv.data, 'himoya.db');
  const q = (action) => Number(sqlite(db,
    `SELECT count(*) FROM audit_log WHERE record = '${record}' AND action = '${action}'`).trim());
  assert.equal(q('create'), 1);
  for (let i = 0; i < 2; i++) assert.equal((await getCase('sup', c.id)).status, 200);
  const reads = await poll(() => (q('read') >= 2 ? q('read') : 0), { timeout: 3000 });
  assert.equal(reads, 2, 'two read entries for the two GETs');
  const who = sqlite(db, `SELECT u.login FROM audit_log a JOIN users u ON u.id = a.user_id
    WHERE a.record = '${record}' AND a.action = 'read'`).trim().split('\n');
  assert.deepEqual(who, ['sup', 'sup']);
  // A refused read leaves no entry.
  assert.equal((await getCase('ngo.cw', c.id)).status, 404);
  assert.equal((await patchCase('cw', c.id, { summary: 'x' }, 1)).status, 200);
  await new Promise((ok) => setTimeout(ok, 300));
  assert.equal(q('read'), 2);
  assert.equal(q('update'), 1);

  // The same through GET /audit?record=cases/ID (API.md), for the organisation only.
  const a = await as.sup.req('GET', `${V1}/audit?record=${encodeURIComponent(record)}`);
  assert.equal(a.status, 200, a.text);
  const bySeq = [...a.json.items].sort((x, y) => x.seq - y.seq);
  assert.deepEqual(bySeq.map((e) => e.action), ['create', 'read', 'read', 'update']);
  assert.ok(a.json.items.every((e) => e.record === record));
  assert.deepEqual(a.json.items.filter((e) => e.action === 'read').map((e) => e.user), ['sup', 'sup']);
  assertProblem(await as['ngo.sup'].req('GET', `${V1}/audit?record=${encodeURIComponent(record)}`), 404,
    'not-found', 'audit of another organisation\'s case');
  assertProblem(await as.sup.req('GET', `${V1}/audit?record=cases/AAAAAAAAAAAAAAAAAAAAAAAAAA`), 404,
    'not-found');
  assertProblem(await as.sup.req('GET', `${V1}/audit?record=contacts/${c.id}`), 404, 'not-found', 'no contact of that id');
  assertProblem(await as.sup.req('GET', `${V1}/audit?record=trainings/${c.id}`), 422, 'invalid-value');
  assertProblem(await as.cw.req('GET', `${V1}/audit?record=${encodeURIComponent(record)}`), 403, 'forbidden');
});

test('encryption at rest: a case summary and a note never reach the files in clear', async () => {
  const summary = 'Ӯро дар Сургут ҳамчун ғулом нигоҳ медоштанд';
  const note = 'Рассказала о долговой кабале у бригадира Хамроева';
  const place = 'Хуҷанд, бозори Панҷшанбе';
  const c = await openCase('cw', { summary, recruitment_place: place });
  const n = await as.cw.req('POST', `${V1}/cases/${c.id}/notes`, { type: 'assessment', text: note });
  assert.equal(n.status, 201, n.text);
  assert.equal(n.json.text, note);
  const l = await as.cw.req('GET', `${V1}/cases/${c.id}/notes`);
  assert.equal(l.json.items[0].text, note);
  assert.equal((await getCase('cw', c.id)).json.summary, summary);
  const p = await patchCase('cw', c.id, { summary: summary + ' (2)' }, 1);
  assert.equal(p.status, 200, p.text);

  const files = rawFiles(srv.data);
  assert.ok(files['himoya.db']);
  for (const [name, buf] of Object.entries(files))
    for (const sec of [summary, note, place, 'бригадира Хамроева', 'Сургут'])
      assert.equal(buf.includes(Buffer.from(sec)), false, `"${sec}" in clear in ${name}`);
  await srv.stop();
  assert.equal(srv.proc.exitCode, 0, srv.log());
  for (const [name, buf] of Object.entries(rawFiles(srv.data)))
    for (const sec of [summary, note, place])
      assert.equal(buf.includes(Buffer.from(sec)), false, `after stop: "${sec}" in clear in ${name}`);
});
