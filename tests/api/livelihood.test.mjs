// Livelihood outcomes (issue #18, item 1): a vocational course or a
// business start-up grant given as a service records its trade, completion
// and (sealed) grant amount; once it has an end date it schedules three
// follow-ups, 3, 6 and 12 months after, that come due on the overdue list;
// a follow-up records employment, income band, business running and
// remittance dependence; GET /reports/livelihood counts completion,
// employment and business survival at each follow-up by sex or region,
// suppressed (supervisor, exact) or perturbed (analyst, cell keys) like
// every table; bad parameters are 422 problems and change nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer, signInAll } from '../lib/server.mjs';
import { assertProblem } from '../lib/hostile.mjs';
import { sqlite } from '../lib/datadir.mjs';

const PW = 'livelihood test password';
const V1 = '/api/v1';
const users = [
  { login: 'cw', role: 'caseworker' }, { login: 'sup', role: 'supervisor' },
  { login: 'an', role: 'analyst' }, { login: 'cw2', role: 'caseworker', org: 'ngo' },
].map((u) => ({ ...u, password: PW }));
let srv, as, uid;

before(async () => {
  srv = await startServer({ users, orgs: [{ code: 'ngo', name: 'Other NGO', type: 'NGO' }], conf: 'report_k = 2\n' });
  ({ as, uid } = await signInAll(srv, users, PW));
});

after(async () => {
  await srv.stop();
  srv.cleanup();
});

async function ok(who, method, path, body, headers) {
  const r = await as[who].req(method, path, body, headers);
  assert.ok(r.status === 200 || r.status === 201, `${method} ${path}: ${r.status} ${r.text}`);
  return r.json;
}

async function newCase(gender, region, who = 'cw') {
  const p = await ok(who, 'POST', V1 + '/persons', { given_name: 'Нигора', family_name: 'Раҳимова', gender, region_of_origin: region });
  await ok(who, 'POST', `${V1}/persons/${p.id}/consents`, { purpose: 'assistance', method: 'written' });
  return ok(who, 'POST', V1 + '/cases', { person_id: p.id });
}

const followupsOf = async (cid, sid) =>
  (await ok('cw', 'GET', `${V1}/cases/${cid}/followups`)).items.filter((f) => f.service_id === sid)
    .sort((a, b) => a.months_after - b.months_after);

const grant = { type: 'business_startup_grant', status: 'completed', start: '2025-01-10', end: '2025-08-31',
  trade: 'Дӯзандагӣ (sewing)', grant_amount: 14321, currency: 'USD', completion: 'completed' };

function cell(table, want) {
  return table.rows.find((row) => Object.entries(want).every(([k, v]) => row[k] === v));
}

test('a start-up grant schedules follow-ups at 3, 6 and 12 months, due on the overdue list', async () => {
  const c = await newCase('Feminine', 'TJ-KT');
  const s = await ok('cw', 'POST', `${V1}/cases/${c.id}/services`, grant);
  assert.equal(s.grant_amount, 14321);
  assert.equal(s.trade, grant.trade);
  const fu = await followupsOf(c.id, s.id);
  assert.deepEqual(fu.map((f) => [f.months_after, f.due, f.status, f.assigned_to]),
    [[3, '2025-11-30', 'due', uid.cw], [6, '2026-02-28', 'due', uid.cw], [12, '2026-08-31', 'due', uid.cw]]);
  const overdue = (await ok('cw', 'GET', V1 + '/followups?before=2026-03-01')).items.map((f) => f.id);
  assert.ok(overdue.includes(fu[0].id) && overdue.includes(fu[1].id) && !overdue.includes(fu[2].id));
  // A change of the service schedules nothing twice.
  await ok('cw', 'PATCH', `${V1}/services/${s.id}`, { completion: 'completed' }, { 'if-match': `"${s.version}"` });
  assert.equal((await followupsOf(c.id, s.id)).length, 3);
  // The amount and the trade are sealed: not in the coded part of the row.
  const coded = sqlite(join(srv.data, 'himoya.db'), `SELECT coded FROM items WHERE id = '${s.id}'`);
  assert.ok(!coded.includes('14321') && !coded.includes('sewing'), coded);
  assert.match(coded, /"completion":"completed"/);
});

test('a course gets its follow-ups once it has an end date; other services none', async () => {
  const c = await newCase('Masculine', 'TJ-SU');
  const s = await ok('cw', 'POST', `${V1}/cases/${c.id}/services`, { type: 'vocational_training', status: 'in_progress', start: '2025-03-01', trade: 'Welding' });
  assert.equal((await followupsOf(c.id, s.id)).length, 0);
  await ok('cw', 'PATCH', `${V1}/services/${s.id}`, { end: '2025-06-15', completion: 'completed', status: 'completed' }, { 'if-match': `"${s.version}"` });
  assert.deepEqual((await followupsOf(c.id, s.id)).map((f) => f.due), ['2025-09-15', '2025-12-15', '2026-06-15']);
  const legal = await ok('cw', 'POST', `${V1}/cases/${c.id}/services`, { type: 'legal', status: 'completed', start: '2025-01-01', end: '2025-02-01' });
  assert.equal((await followupsOf(c.id, legal.id)).length, 0);
  const cancelled = await ok('cw', 'POST', `${V1}/cases/${c.id}/services`, { ...grant, status: 'cancelled' });
  assert.equal((await followupsOf(c.id, cancelled.id)).length, 0);
});

test('bad livelihood input is a 422 problem and changes nothing', async () => {
  const c = await newCase('Feminine', 'TJ-DU');
  const other = await newCase('Feminine', 'TJ-DU');
  const s = await ok('cw', 'POST', `${V1}/cases/${other.id}/services`, grant);
  const before = (await ok('cw', 'GET', `${V1}/cases/${c.id}/followups`)).items.length;
  for (const [body, what] of [
    [{ due: '2026-01-01', service_id: s.id }, 'a service of another case'],
    [{ due: '2026-01-01', employment: 'astronaut' }, 'an unknown employment code'],
    [{ due: '2026-01-01', months_after: 0 }, 'months_after out of range'],
    [{ due: '2026-01-01', business_running: 'yes' }, 'business_running not a boolean'],
    [{ due: '2026-01-01', income_band: 'lots' }, 'an unknown income band'],
  ]) assertProblem(await as.cw.req('POST', `${V1}/cases/${c.id}/followups`, body), 422, undefined, what);
  for (const [body, what] of [
    [{ ...grant, grant_amount: -5 }, 'a negative amount'],
    [{ ...grant, completion: 'maybe' }, 'an unknown completion'],
  ]) assertProblem(await as.cw.req('POST', `${V1}/cases/${c.id}/services`, body), 422, undefined, what);
  assert.equal((await ok('cw', 'GET', `${V1}/cases/${c.id}/followups`)).items.length, before);
  assert.equal((await ok('cw', 'GET', `${V1}/cases/${c.id}/services`)).items.length, 0);
  for (const q of ['by=age_band', 'from=2025-13-01', 'org=Martians'])
    assertProblem(await as.sup.req('GET', `${V1}/reports/livelihood?${q}`), 422, 'invalid-value', q);
  // region is a dimension here, not a filter: no parameter of this report
  assertProblem(await as.sup.req('GET', `${V1}/reports/livelihood?region=TJ-DU`), 400, 'invalid-query');
  assert.equal((await as.cw.req('GET', V1 + '/reports/livelihood')).status, 404, 'a caseworker has no reports');
  assert.equal((await as.cw2.req('GET', V1 + '/reports/livelihood')).status, 404);
});

test('a grant with its 6-month follow-up shows in the livelihood report, suppressed below k', async () => {
  const report = async (who, q = '') => {
    const r = await as[who].req('GET', `${V1}/reports/livelihood?from=2025-01-01&to=2026-12-31${q}`);
    assert.equal(r.status, 200, r.text);
    return r.json;
  };
  const want6 = { months_after: '6', business_running: 'yes', sex: 'Feminine' };
  // A second man's course: no cell of the completion table under k, none hidden as a complement.
  const m = await newCase('Masculine', 'TJ-SU');
  await ok('cw', 'POST', `${V1}/cases/${m.id}/services`, { type: 'vocational_training', status: 'completed',
    start: '2025-04-01', end: '2025-07-01', completion: 'completed', trade: 'Plumbing' });
  const grants = [];
  for (let i = 0; i < 2; i++) {
    const c = await newCase('Feminine', 'TJ-GB');
    const s = await ok('cw', 'POST', `${V1}/cases/${c.id}/services`, { ...grant, end: '2025-02-10' });
    grants.push((await followupsOf(c.id, s.id))[1]);
  }
  const done = (f) => ok('cw', 'PATCH', `${V1}/followups/${f.id}`, { status: 'done', done_on: '2025-08-12',
    employment: 'self_employed', income_band: '1000_2499_tjs', business_running: true, remittance_dependence: 'partial' },
  { 'if-match': `"${f.version}"` });
  await done(grants[0]);
  // One follow-up: under k = 2, never published.
  let r = await report('sup');
  assert.equal(r.scope, 'own');
  assert.equal(r.protection, 'suppression');
  const one = cell(r.business, want6);
  assert.ok(!one || one.count === null, JSON.stringify(r.business));
  assert.ok(r.business.suppressed >= 1 || r.business.total === null);
  await done(grants[1]);
  r = await report('sup');
  assert.deepEqual(r.business.by, ['months_after', 'business_running', 'sex']);
  assert.equal(cell(r.business, want6)?.count, 2, JSON.stringify(r.business));
  assert.equal(cell(r.employment, { months_after: '6', employment: 'self_employed', sex: 'Feminine' })?.count, 2);
  assert.ok(cell(r.completion, { service_type: 'business_startup_grant', completion: 'completed', sex: 'Feminine' })?.count >= 2, JSON.stringify(r.completion));
  // By region.
  r = await report('sup', '&by=region');
  assert.deepEqual(r.business.by, ['months_after', 'business_running', 'region']);
  assert.equal(cell(r.business, { months_after: '6', business_running: 'yes', region: 'TJ-GB' })?.count, 2);
  // The analyst: every organisation, every count 0 or a multiple of k.
  r = await report('an');
  assert.equal(r.scope, 'all');
  assert.equal(r.protection, 'cell-key');
  for (const t of [r.completion, r.employment, r.business])
    for (const row of t.rows) assert.ok(row.count === 0 || row.count % r.k === 0, JSON.stringify(row));
});
