// Prevention without a trafficking case (issue #18, item 2): a family
// member left behind is registered with consent and given TVET, counselling
// or information sessions; her household is recorded with its members, who
// is abroad and where, and its dependence on remittances, and assessed on
// IOM's Determinants of Migrant Vulnerability (factors at four levels,
// risk or protective).  Names and amounts are sealed; writes need consent
// and prevention.record; others' records are 404; bad input is a 422 and
// changes nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer, signInAll, usersOf } from '../lib/server.mjs';
import { assertProblem } from '../lib/hostile.mjs';
import { sqlite } from '../lib/datadir.mjs';

const PW = 'prevention test password';
const V1 = '/api/v1';
const users = usersOf(PW, [['cw', 'caseworker'], ['hot', 'hotline'], ['an', 'analyst'], ['cw2', 'caseworker', 'ngo']]);
let srv, as;

before(async () => {
  srv = await startServer({ users, orgs: [{ code: 'ngo', name: 'Other NGO', type: 'NGO' }] });
  ({ as } = await signInAll(srv, users, PW));
});

after(async () => {
  await srv.stop();
  srv.cleanup();
});

async function ok(who, method, path, body) {
  const r = await as[who].req(method, path, body);
  assert.ok(r.status === 200 || r.status === 201, `${method} ${path}: ${r.status} ${r.text}`);
  return r.json;
}

const household = {
  region: 'TJ-KT', district: 'Восеъ',
  members: [
    { name: 'Гулбаҳор Назарова', relation: 'head', sex: 'Feminine', birth_year: 1986 },
    { name: 'Фирдавс Назаров', relation: 'spouse', sex: 'Masculine', birth_year: 1983, abroad: true, country: 'RU', sends_remittances: true },
    { name: 'Мадина Назарова', relation: 'child', sex: 'Feminine', birth_year: 2012 },
  ],
  remittance_dependence: 'main_income', remittance_monthly: 2750, currency: 'TJS',
};
const assessment = {
  date: '2026-11-20', rating: 'high',
  factors: [
    { level: 'Individual', kind: 'risk', factor: 'No income of her own' },
    { level: 'Household', kind: 'risk', factor: 'Depends on one remittance sender' },
    { level: 'Community', kind: 'protective', factor: 'Active mahalla women\'s group' },
    { level: 'Structural', kind: 'risk', factor: 'Few jobs in the district' },
  ],
};

test('a family member left behind: consent, then TVET, a household and its DoMV assessment', async () => {
  const p = await ok('cw', 'POST', V1 + '/persons', { given_name: 'Гулбаҳор', family_name: 'Назарова', gender: 'Feminine', beneficiary_group: 'family_left_behind' });
  assert.equal(p.beneficiary_group, 'family_left_behind');
  // Without consent nothing is recorded.
  assertProblem(await as.cw.req('POST', `${V1}/persons/${p.id}/households`, household), 409, 'consent-required');
  assertProblem(await as.cw.req('POST', `${V1}/persons/${p.id}/prevention-services`, { type: 'tvet', status: 'planned' }), 409, 'consent-required');
  await ok('cw', 'POST', `${V1}/persons/${p.id}/consents`, { purpose: 'assistance', method: 'written' });
  const svc = await ok('cw', 'POST', `${V1}/persons/${p.id}/prevention-services`,
    { type: 'tvet', status: 'in_progress', start: '2026-10-01', trade: 'Tailoring', provider_org: 'iom' });
  assert.equal(svc.kind, 'prevention_service');
  await ok('cw', 'POST', `${V1}/persons/${p.id}/prevention-services`, { type: 'information_session', status: 'completed', start: '2026-09-12' });
  assert.equal((await ok('cw', 'GET', `${V1}/persons/${p.id}/prevention-services`)).items.length, 2);
  assert.equal((await ok('cw', 'GET', `${V1}/cases`)).items.length, 0, 'no case was opened');

  const hh = await ok('cw', 'POST', `${V1}/persons/${p.id}/households`, household);
  assert.deepEqual(hh.members, household.members);
  assert.equal(hh.remittance_monthly, 2750);
  const a = await ok('cw', 'POST', `${V1}/households/${hh.id}/assessments`, assessment);
  assert.equal(a.household_id, hh.id);
  assert.equal(a.rating, 'high');
  assert.deepEqual(a.factors, assessment.factors);
  const listed = await ok('cw', 'GET', `${V1}/households/${hh.id}/assessments`);
  assert.deepEqual(listed.items.map((x) => x.id), [a.id]);
  // Each by its own path, as listed; the path of another kind finds none.
  for (const [path, item] of [['/prevention-services/', svc], ['/households/', hh], ['/domv-assessments/', a]]) {
    const one = await as.cw.req('GET', V1 + path + item.id);
    assert.equal(one.status, 200, one.text);
    assert.deepEqual(one.json, item, path);
    assert.equal(one.headers.get('etag'), `"${item.version}"`);
  }
  assertProblem(await as.cw.req('GET', `${V1}/households/${a.id}`), 404, 'not-found');
  assertProblem(await as.cw.req('GET', `${V1}/notes/${hh.id}`), 404, 'not-found');
  assert.equal((await ok('cw', 'GET', `${V1}/persons/${p.id}/households`)).items[0].members[1].country, 'RU');

  // Sealed at rest: no member's name, amount or factor in the clear.
  const db = join(srv.data, 'himoya.db');
  const rows = sqlite(db, `SELECT coded FROM items WHERE person_id = '${p.id}' AND kind IN ('household', 'domv_assessment', 'prevention_service')`);
  for (const secret of ['Фирдавс', '2750', 'remittance sender', 'Tailoring', 'Восеъ'])
    assert.ok(!rows.includes(secret), `${secret} in the clear: ${rows}`);
  assert.match(rows, /"rating":"high"/);
  // Reading the members and the factors is audited under the person (the
  // read entries reach the chain a moment later).
  let audit = '';
  for (const end = Date.now() + 3000; Date.now() < end && !/domv_assessment\.factors/.test(audit);) {
    await new Promise((ok) => setTimeout(ok, 100));
    audit = sqlite(db, `SELECT group_concat(fields, ' ') FROM audit_log WHERE record = 'persons/${p.id}' AND action = 'read'`);
  }
  assert.match(audit, /household\.members/);
  assert.match(audit, /domv_assessment\.factors/);
});

test('others see nothing; roles without prevention.record cannot write; bad input changes nothing', async () => {
  const p = await ok('cw', 'POST', V1 + '/persons', { given_name: 'Саодат', beneficiary_group: 'returnee' });
  await ok('cw', 'POST', `${V1}/persons/${p.id}/consents`, { purpose: 'assistance', method: 'written' });
  const hh = await ok('cw', 'POST', `${V1}/persons/${p.id}/households`, household);
  for (const path of [`/persons/${p.id}/households`, `/persons/${p.id}/prevention-services`, `/households/${hh.id}/assessments`]) {
    assert.equal((await as.cw2.req('GET', V1 + path)).status, 404, 'another organisation: ' + path);
    assert.equal((await as.an.req('GET', V1 + path)).status, 404, 'the analyst: ' + path);
    assert.equal((await as.cw2.req('POST', V1 + path, {})).status, 404);
  }
  assertProblem(await as.cw2.req('GET', `${V1}/households/${hh.id}`), 404, 'not-found');
  assertProblem(await as.an.req('GET', `${V1}/households/${hh.id}`), 404, 'not-found');
  assertProblem(await as.hot.req('POST', `${V1}/persons/${p.id}/households`, household), 403, 'forbidden');
  const before = sqlite(join(srv.data, 'himoya.db'), "SELECT count(*) FROM items").trim();
  for (const [path, body, what] of [
    [`/households/${hh.id}/assessments`, { ...assessment, factors: [{ level: 'Galactic', kind: 'risk', factor: 'x' }] }, 'unknown level'],
    [`/households/${hh.id}/assessments`, { ...assessment, factors: [{ level: 'Household', kind: 'maybe', factor: 'x' }] }, 'unknown kind'],
    [`/households/${hh.id}/assessments`, { ...assessment, rating: undefined }, 'no rating'],
    [`/households/${hh.id}/assessments`, { ...assessment, household_id: p.id }, 'another household'],
    [`/persons/${p.id}/households`, { ...household, members: [{ relation: 'head' }] }, 'a member without a name'],
    [`/persons/${p.id}/households`, { ...household, members: [{ name: 'X', relation: 'head', country: 'Russia' }] }, 'a country name'],
    [`/persons/${p.id}/households`, { ...household, wealth: 'lots' }, 'an unknown field'],
    [`/persons/${p.id}/prevention-services`, { type: 'shelter', status: 'planned' }, 'a case service type'],
  ]) {
    const r = await as.cw.req('POST', V1 + path, body);
    assert.equal(r.status, 422, `${what}: ${r.text}`);
    assertProblem(r, 422, undefined, what);
  }
  assert.equal(sqlite(join(srv.data, 'himoya.db'), "SELECT count(*) FROM items").trim(), before);
  assertProblem(await as.cw.req('POST', `${V1}/persons/${p.id}`, { beneficiary_group: 'alien' }), 405, undefined, 'not a route');
});

test('pre-departure orientation sessions: counts of who came, never names; the organisation\'s own', async () => {
  const s = await ok('cw', 'POST', V1 + '/orientations', { date: '2026-11-10', place: 'Jamoat centre, Vose', region: 'TJ-KT', destination: 'RU', women: 23, men: 41 });
  assert.equal(s.women, 23);
  assert.equal(s.destination, 'RU');
  const mine = await ok('cw', 'GET', V1 + '/orientations');
  assert.deepEqual(mine.items.map((x) => x.id), [s.id]);
  assert.equal((await ok('cw2', 'GET', V1 + '/orientations')).items.length, 0, 'another organisation sees none');
  assert.equal((await as.hot.req('GET', V1 + '/orientations')).status, 404);
  assert.equal((await as.an.req('POST', V1 + '/orientations', { date: '2026-11-10', place: 'x', women: 1, men: 1 })).status, 404);
  for (const [body, what] of [
    [{ date: '2026-11-10', place: 'x', women: 1, men: 1, names: ['Someone'] }, 'names are not a field'],
    [{ date: '2026-11-10', place: 'x', women: -1, men: 1 }, 'a negative count'],
    [{ date: '2026-11-10', place: 'x', women: 1 }, 'no count of men'],
    [{ date: '2999-01-01', place: 'x', women: 1, men: 1 }, 'a date ahead'],
    [{ date: '2026-11-10', place: 'x', women: 1, men: 1, destination: 'Russia' }, 'a country name'],
  ]) assertProblem(await as.cw.req('POST', V1 + '/orientations', body), 422, undefined, what);
  assert.equal((await ok('cw', 'GET', V1 + '/orientations')).items.length, 1);
});

test('a course that ended, a husband who came back, an assessment corrected: PATCH with If-Match, under the create\'s rules', async () => {
  const p = await ok('cw', 'POST', V1 + '/persons', { given_name: 'Нилуфар', family_name: 'Раҳимова', gender: 'Feminine', beneficiary_group: 'family_left_behind' });
  await ok('cw', 'POST', `${V1}/persons/${p.id}/consents`, { purpose: 'assistance', method: 'written' });
  const svc = await ok('cw', 'POST', `${V1}/persons/${p.id}/prevention-services`, { type: 'tvet', status: 'in_progress', start: '2026-09-01', trade: 'Tailoring' });
  const hh = await ok('cw', 'POST', `${V1}/persons/${p.id}/households`, household);
  const hh2 = await ok('cw', 'POST', `${V1}/persons/${p.id}/households`, household);
  const a = await ok('cw', 'POST', `${V1}/households/${hh.id}/assessments`, assessment);
  const patch = (who, path, body, version) => as[who].req('PATCH', V1 + path, body, version === undefined ? {} : { 'if-match': `"${version}"` });

  // The course ended.
  let r = await patch('cw', `/prevention-services/${svc.id}`, { status: 'completed', end: '2026-11-30' }, 1);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.version, 2);
  assert.equal(r.json.status, 'completed');
  assert.equal(r.json.trade, 'Tailoring', 'what was not sent stays');
  // Stale, missing If-Match, bad value, another organisation, a role without prevention.record.
  assertProblem(await patch('cw', `/prevention-services/${svc.id}`, { status: 'planned' }, 1), 412);
  assertProblem(await patch('cw', `/prevention-services/${svc.id}`, { status: 'planned' }), 428);
  assertProblem(await patch('cw', `/prevention-services/${svc.id}`, { status: 'finished-ish' }, 2), 422);
  // An end before the start, a provider that is no organisation: refused, as on create.
  assertProblem(await patch('cw', `/prevention-services/${svc.id}`, { end: '2026-08-01' }, 2), 422);
  assertProblem(await patch('cw', `/prevention-services/${svc.id}`, { provider_org: '<script>' }, 2), 422);
  assertProblem(await as.cw.req('POST', `${V1}/persons/${p.id}/prevention-services`,
    { type: 'tvet', status: 'completed', start: '2026-12-01', end: '2026-11-01' }), 422);
  assertProblem(await as.cw.req('POST', `${V1}/persons/${p.id}/prevention-services`,
    { type: 'tvet', status: 'planned', provider_org: 'Hunar' }), 422);
  assertProblem(await patch('cw2', `/prevention-services/${svc.id}`, { status: 'planned' }, 2), 404);
  assertProblem(await patch('hot', `/prevention-services/${svc.id}`, { status: 'planned' }, 2), 403);
  // A household's id is not a prevention service's.
  assertProblem(await patch('cw', `/prevention-services/${hh.id}`, { status: 'planned' }, 1), 404);
  assert.equal((await ok('cw', 'GET', `${V1}/persons/${p.id}/prevention-services`)).items[0].status, 'completed');

  // The husband came back from Russia: the household changes, sealed as before.
  const members = household.members.map((m) => (m.relation === 'spouse' ? { ...m, abroad: false, country: undefined, sends_remittances: false } : m))
    .map((m) => Object.fromEntries(Object.entries(m).filter(([, v]) => v !== undefined)));
  r = await patch('cw', `/households/${hh.id}`, { members, remittance_dependence: 'none', remittance_monthly: null }, 1);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.remittance_dependence, 'none');
  assert.equal(r.json.remittance_monthly, undefined, 'null removes a field');
  assert.ok(!sqlite(join(srv.data, 'himoya.db'), `SELECT coded FROM items WHERE id = '${hh.id}'`).includes('Фирдавс'), 'members stay sealed');

  // An assessment is corrected, but stays with its household.
  assertProblem(await patch('cw', `/domv-assessments/${a.id}`, { household_id: hh2.id }, 1), 422);
  r = await patch('cw', `/domv-assessments/${a.id}`, { rating: 'medium' }, 1);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.household_id, hh.id);

  // Consent withdrawn: nothing more is changed.
  const consents = (await ok('cw', 'GET', `${V1}/persons/${p.id}/consents`)).items;
  await ok('cw', 'POST', `${V1}/consents/${consents[0].id}/withdraw`, {});
  assertProblem(await patch('cw', `/prevention-services/${svc.id}`, { status: 'planned' }, 2), 409, 'consent-required');

  // Each change is audited with the fields' names, no value.
  const audit = sqlite(join(srv.data, 'himoya.db'),
    `SELECT action, record, fields FROM audit_log WHERE record IN ('prevention_services/${svc.id}', 'households/${hh.id}') AND action = 'update'`);
  assert.equal(audit.trim().split('\n').length, 2, audit);
  assert.ok(!audit.includes('Tailoring'));
});
