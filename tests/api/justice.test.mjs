// The criminal-justice track and shelter stays (issue 15, items 3 and 5):
// a proceeding moves from report to conviction and the indicator report
// counts it; stages out of order, an unknown article and a sentence
// without a conviction are refused; perpetrators and proceedings are read
// in full by an authority's focal point and the owning supervisor only;
// a stay changes a shelter's free beds; risk and safety reviews come due.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, usersOf, signInAll } from '../lib/server.mjs';
import { sqlite, serveDir } from '../lib/datadir.mjs';
import { join } from 'node:path';

const PW = 'justice track password';
const V1 = '/api/v1';
const users = usersOf(PW, [
  ['i.cw', 'caseworker', 'iom'], ['i.sup', 'supervisor', 'iom'], ['i.hot', 'hotline', 'iom'],
  ['i.an', 'analyst', 'iom'],
  ['p.fp', 'focal_point', 'police'],
  ['n.sup', 'supervisor', 'ngo2'], ['n.cw', 'caseworker', 'ngo2'],
]);

let srv;
const as = {};

before(async () => {
  srv = await startServer({
    users, conf: 'report_k = 2\n',
    orgs: [{ code: 'police', name: 'Police', type: 'LawEnforcement' }, { code: 'ngo2', name: 'NGO Two', type: 'NGO' }],
  });
  await signInAll(srv, users, PW, as);
});

after(async () => {
  if (srv) {
    await srv.stop();
    srv.cleanup();
  }
});

const day = (n) => new Date(Date.now() - n * 86400000).toISOString().slice(0, 10);

async function must(who, method, path, body, status = 201, headers = {}) {
  const r = await as[who].req(method, V1 + path, body, headers);
  assert.equal(r.status, status, `${who} ${method} ${path}: ${r.text}`);
  return r.json;
}

function problem(r, status, type) {
  assert.equal(r.status, status, r.text);
  assert.match(r.headers.get('content-type') || '', /^application\/problem\+json/);
  if (type) assert.equal(r.json.type, type, r.text);
}

// A case of IOM for forced labour, referred to the police and accepted.
async function policeCase() {
  const p = await must('i.cw', 'POST', '/persons', { given_name: 'Фарида', family_name: 'Каримова', gender: 'Feminine' });
  await must('i.cw', 'POST', `/persons/${p.id}/consents`, { purpose: 'assistance', method: 'written' });
  await must('i.cw', 'POST', `/persons/${p.id}/consents`, { purpose: 'referral', method: 'written' });
  const c = await must('i.cw', 'POST', '/cases', { person_id: p.id, exploitation_types: ['ForcedLabour'] });
  const f = await must('i.cw', 'POST', '/referrals',
    { case_id: c.id, to_org: 'police', service_type: 'legal', reason: 'investigation', share: ['gender'] });
  await must('p.fp', 'POST', `/referrals/${f.id}/accept`, undefined, 200);
  return { cid: c.id, pid: p.id };
}

async function move(who, id, version, body, status = 200) {
  return as[who].req('PATCH', `${V1}/proceedings/${id}`, body, { 'if-match': `"${version}"` })
    .then((r) => { assert.equal(r.status, status, r.text); return r; });
}

test('a proceeding moves from report to conviction and the indicator report counts it', async () => {
  const before = await must('i.sup', 'GET', `/reports/indicators?from=${day(30)}&to=${day(0)}`, undefined, 200);
  assert.ok(before.criminal_justice, 'the report has the table');
  assert.equal(before.criminal_justice.rows.length, 0);
  for (const [who, fx] of [['p.fp', await policeCase()], ['i.sup', await policeCase()]]) {
    const number = 'CN-' + Math.random().toString(36).slice(2);
    let p = await must(who, 'POST', `/cases/${fx.cid}/proceedings`,
      { article: '130.1', reported_on: day(20), case_number: number, victim_role: 'injured_party',
        protection_measures: ['identity_confidential'] });
    assert.equal(p.stage, 'reported');
    assert.equal(p.case_number, number);
    p = (await move(who, p.id, 1, { investigation_on: day(15) })).json;
    assert.equal(p.stage, 'investigation');
    p = (await move(who, p.id, 2, { court_on: day(10) })).json;
    assert.equal(p.stage, 'court');
    p = (await move(who, p.id, 3, { verdict: 'conviction', verdict_on: day(5), sentence: '8 years' })).json;
    assert.equal(p.stage, 'conviction');
    assert.equal(p.version, 4);
  }
  const rep = await must('i.sup', 'GET', `/reports/indicators?from=${day(30)}&to=${day(0)}`, undefined, 200);
  const cell = (m) => rep.criminal_justice.rows.find((x) => x.measure === m && x.exploitation === 'ForcedLabour');
  assert.deepEqual(rep.criminal_justice.by, ['measure', 'exploitation']);
  for (const m of ['investigation', 'prosecution', 'conviction'])
    assert.equal(cell(m)?.count, 2, `${m}: ${JSON.stringify(rep.criminal_justice)}`);
  // Outside the period, none.
  const old = await must('i.sup', 'GET', `/reports/indicators?from=${day(400)}&to=${day(300)}`, undefined, 200);
  assert.equal(old.criminal_justice.rows.length, 0);
  // The analyst, over every organisation, gets the table too.
  const an = await must('i.an', 'GET', `/reports/indicators?from=${day(30)}&to=${day(0)}`, undefined, 200);
  assert.ok(an.criminal_justice.rows.length > 0);
});

test('stages out of order, an unknown article and a sentence without conviction are refused', async () => {
  const fx = await policeCase();
  const url = `${V1}/cases/${fx.cid}/proceedings`;
  const fp = as['p.fp'];
  problem(await fp.req('POST', url, { article: '999', reported_on: day(3) }), 422, 'invalid-value');
  problem(await fp.req('POST', url, { article: '130.1', reported_on: day(3), court_on: day(2) }), 422, 'stage-order');
  problem(await fp.req('POST', url, { article: '130.1', reported_on: day(3), investigation_on: day(4) }), 422,
    'stage-order');
  problem(await fp.req('POST', url, { article: '130.1', reported_on: day(3), investigation_on: day(2),
    court_on: day(1), verdict: 'acquittal', verdict_on: day(1), sentence: '2 years' }), 422, 'stage-order');
  problem(await fp.req('POST', url, { article: '130.1' }), 422);
  problem(await fp.req('POST', url, { article: '130.1', reported_on: day(3), stage: 'court' }), 422, 'unknown-field');
  const list = await must('p.fp', 'GET', `/cases/${fx.cid}/proceedings`, undefined, 200);
  assert.equal(list.items.length, 0, 'nothing was written');
  const p = await must('p.fp', 'POST', `/cases/${fx.cid}/proceedings`, { article: '132', reported_on: day(3) });
  problem(await fp.req('PATCH', `${V1}/proceedings/${p.id}`, { court_on: day(1) }, { 'if-match': '"1"' }), 422, 'stage-order');
  problem(await fp.req('PATCH', `${V1}/proceedings/${p.id}`, { investigation_on: day(2) }), 428);
  const again = await must('p.fp', 'GET', `/cases/${fx.cid}/proceedings`, undefined, 200);
  assert.equal(again.items[0].version, 1, 'unchanged');
});

test('perpetrators and proceedings: in full to the authority and the owning supervisor, existence to others', async () => {
  const fx = await policeCase();
  const name = 'Рустам' + Math.random().toString(36).slice(2, 7);
  const number = 'CN-' + Math.random().toString(36).slice(2);
  const perp = await must('p.fp', 'POST', `/cases/${fx.cid}/perpetrators`,
    { given_name: name, family_name: 'Саидов', role_in_process: ['RecruiterOrIntermediary', 'Exploiter'],
      role_details: 'promised work in Moscow' });
  const proc = await must('p.fp', 'POST', `/cases/${fx.cid}/proceedings`,
    { article: '130.1', reported_on: day(2), case_number: number });
  // The police read them, and find the perpetrator by name in another script.
  const got = await must('p.fp', 'GET', `/perpetrators/${perp.id}`, undefined, 200);
  assert.equal(got.given_name, name);
  assert.deepEqual(got.cases, [fx.cid]);
  const found = await must('p.fp', 'GET', `/perpetrators?q=${encodeURIComponent('Saidov')}`, undefined, 200);
  assert.ok(found.items.some((x) => x.id === perp.id), 'found across scripts');
  // The owning organisation's supervisor reads both in the case.
  const sup = await as['i.sup'].req('GET', `${V1}/cases/${fx.cid}/perpetrators`);
  assert.equal(sup.json.items[0].given_name, name);
  const supp = await as['i.sup'].req('GET', `${V1}/cases/${fx.cid}/proceedings`);
  assert.equal(supp.json.items[0].case_number, number);
  // One by its own path, as the list shows it.
  const one = await as['i.sup'].req('GET', `${V1}/proceedings/${proc.id}`);
  assert.equal(one.status, 200, one.text);
  assert.deepEqual(one.json, supp.json.items[0]);
  assert.equal(one.headers.get('etag'), `"${proc.version}"`);
  // The owner's case worker and hotline operator see only that they exist.
  for (const who of ['i.cw', 'i.hot']) {
    for (const kind of ['perpetrators', 'proceedings']) {
      const r = await as[who].req('GET', `${V1}/cases/${fx.cid}/${kind}`);
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json.items.length, 1);
      assert.equal(r.json.items[0].restricted, true);
      assert.ok(!r.text.includes(name) && !r.text.includes(number), `${who} ${kind}: ${r.text}`);
    }
    const p1 = await as[who].req('GET', `${V1}/proceedings/${proc.id}`);
    assert.equal(p1.status, 200, p1.text);
    assert.equal(p1.json.restricted, true);
    assert.ok(!p1.text.includes(number), p1.text);
    const t = await as[who].req('GET', `${V1}/cases/${fx.cid}/timeline`);
    assert.ok(t.json.items.some((x) => x.kind === 'proceeding'), 'the timeline shows the proceeding');
    assert.ok(!t.text.includes(number), 'but not its number');
    problem(await as[who].req('GET', `${V1}/perpetrators/${perp.id}`), 404, 'not-found');
    problem(await as[who].req('POST', `${V1}/cases/${fx.cid}/proceedings`, { article: '130.1', reported_on: day(1) }),
      403, 'forbidden');
  }
  // Another organisation, which does not see the case, sees nothing.
  for (const who of ['n.sup', 'n.cw']) {
    problem(await as[who].req('GET', `${V1}/cases/${fx.cid}/proceedings`), 404);
    problem(await as[who].req('GET', `${V1}/cases/${fx.cid}/perpetrators`), 404);
    problem(await as[who].req('GET', `${V1}/perpetrators/${perp.id}`), 404);
    problem(await as[who].req('GET', `${V1}/proceedings/${proc.id}`), 404);
    problem(await as[who].req('PATCH', `${V1}/proceedings/${proc.id}`, { investigation_on: day(1) },
      { 'if-match': '"1"' }), 404);
  }
  // A perpetrator linked to a second case; linking twice is a conflict.
  const fx2 = await policeCase();
  await must('p.fp', 'POST', `/cases/${fx2.cid}/perpetrators`, { perpetrator_id: perp.id });
  problem(await as['p.fp'].req('POST', `${V1}/cases/${fx2.cid}/perpetrators`, { perpetrator_id: perp.id }), 409);
  const both = await must('p.fp', 'GET', `/perpetrators/${perp.id}`, undefined, 200);
  assert.deepEqual(both.cases.sort(), [fx.cid, fx2.cid].sort());
  problem(await as['p.fp'].req('POST', `${V1}/cases/${fx2.cid}/perpetrators`, { role_in_process: ['Pirate'] }), 422);
});

test('a stay changes the shelter\'s free beds; bad admissions and discharges are refused', async () => {
  const shelter = await must('n.sup', 'POST', '/directory/services', { name: 'Beds', type: 'shelter', capacity_max: 2 });
  assert.equal(shelter.capacity.available, 2);
  const byHand = await as['n.sup'].req('PATCH', `${V1}/directory/services/${shelter.id}`, { capacity_available: 1 },
    { 'if-match': '"1"' });
  problem(byHand, 422, 'invalid-value');
  // Cases of ngo2's own.
  const cases = [];
  for (let i = 0; i < 3; i++) {
    const p = await must('n.cw', 'POST', '/persons', { given_name: 'Гулнора' + i });
    await must('n.cw', 'POST', `/persons/${p.id}/consents`, { purpose: 'assistance', method: 'written' });
    cases.push((await must('n.cw', 'POST', '/cases', { person_id: p.id })).id);
  }
  const stays = `${V1}/directory/services/${shelter.id}/stays`;
  const a = await must('n.cw', 'POST', `/directory/services/${shelter.id}/stays`,
    { case_id: cases[0], admitted_on: day(10), admission_reason: 'safety', notes: 'ground floor' });
  assert.equal(a.status, 'open');
  let s = await must('n.cw', 'GET', `/directory/services/${shelter.id}`, undefined, 200);
  assert.equal(s.capacity.available, 1);
  assert.equal(s.capacity.occupied, 1);
  problem(await as['n.cw'].req('POST', stays, { case_id: cases[0], admitted_on: day(9), admission_reason: 'safety' }),
    409, 'already-admitted');
  await must('n.cw', 'POST', `/directory/services/${shelter.id}/stays`,
    { case_id: cases[1], admitted_on: day(9), admission_reason: 'no_housing' });
  problem(await as['n.cw'].req('POST', stays, { case_id: cases[2], admitted_on: day(8), admission_reason: 'safety' }),
    409, 'beds-full');
  s = await must('n.cw', 'GET', `/directory/services/${shelter.id}`, undefined, 200);
  assert.equal(s.capacity.available, 0);
  // Discharge: not before the admission; then a bed is free again.
  problem(await as['n.cw'].req('POST', `${V1}/stays/${a.id}/discharge`,
    { discharged_on: day(11), discharge_reason: 'reintegrated' }), 422, 'invalid-value');
  problem(await as['n.cw'].req('POST', `${V1}/stays/${a.id}/discharge`, { discharged_on: day(1) }), 422);
  const d = await must('n.cw', 'POST', `/stays/${a.id}/discharge`,
    { discharged_on: day(1), discharge_reason: 'reintegrated' }, 200);
  assert.equal(d.status, 'discharged');
  // Answered as GET /stays/{id} shows it: the admission's sealed notes are
  // not in it (they reached a new operator of the shelter so: an outside review).
  assert.equal(d.notes, undefined, JSON.stringify(d));
  assert.deepEqual(d, await must('n.cw', 'GET', `/stays/${a.id}`, undefined, 200));
  problem(await as['n.cw'].req('POST', `${V1}/stays/${a.id}/discharge`,
    { discharged_on: day(1), discharge_reason: 'reintegrated' }), 409, 'already-discharged');
  s = await must('n.cw', 'GET', `/directory/services/${shelter.id}`, undefined, 200);
  assert.equal(s.capacity.available, 1);
  const list = await must('n.cw', 'GET', `/directory/services/${shelter.id}/stays`, undefined, 200);
  assert.equal(list.occupied, 1);
  assert.equal(list.free, 1);
  // Another organisation neither admits to this shelter nor lists it.
  problem(await as['i.cw'].req('POST', stays, { case_id: cases[2], admitted_on: day(1), admission_reason: 'safety' }),
    403, 'forbidden');
  problem(await as['i.cw'].req('GET', stays), 403, 'forbidden');
  // A case the shelter's worker does not see: 404.
  const other = await policeCase();
  problem(await as['n.cw'].req('POST', stays, { case_id: other.cid, admitted_on: day(1), admission_reason: 'safety' }), 404);
});

test('a person stays in one shelter at a time: an admission in another while a stay is open, or dated into or before an ended one, is refused', async () => {
  const one = await must('n.sup', 'POST', '/directory/services', { name: 'One', type: 'shelter', capacity_max: 5 });
  const two = await must('n.sup', 'POST', '/directory/services', { name: 'Two', type: 'shelter', capacity_max: 5 });
  const p = await must('n.cw', 'POST', '/persons', { given_name: 'Зарина' });
  await must('n.cw', 'POST', `/persons/${p.id}/consents`, { purpose: 'assistance', method: 'written' });
  const c = await must('n.cw', 'POST', '/cases', { person_id: p.id });
  const admit = (svc, on) => as['n.cw'].req('POST', `${V1}/directory/services/${svc.id}/stays`,
    { case_id: c.id, admitted_on: day(on), admission_reason: 'safety' });
  const because = await as['n.cw'].req('POST', `${V1}/directory/services/${one.id}/stays`,
    { case_id: c.id, admitted_on: day(20), admission_reason: 'safety', eligibility_override: false, eligibility_reason: 'why not' });
  problem(because, 422, 'invalid-value');
  assert.equal(because.json.field, 'eligibility_reason');
  const first = await admit(one, 20);
  assert.equal(first.status, 201, first.text);
  const elsewhere = await admit(two, 15);
  problem(elsewhere, 409, 'already-admitted');
  assert.match(elsewhere.json.detail, /another shelter/);
  await must('n.cw', 'POST', `/stays/${first.json.id}/discharge`, { discharged_on: day(10), discharge_reason: 'reintegrated' }, 200);
  for (const on of [15, 11, 25]) { // inside the ended stay, its last night, before it began
    const r = await admit(two, on);
    problem(r, 409, 'stay-overlap');
    assert.match(r.json.detail, new RegExp(`${day(20)} to ${day(10)}`));
  }
  const lists = await must('n.cw', 'GET', `/directory/services/${two.id}/stays?all=1`, undefined, 200);
  assert.equal(lists.items.length, 0, 'nothing admitted');
  // Not before the person's birth.
  const young = await must('n.cw', 'POST', '/persons', { given_name: 'Ситора', birth_date: day(7000) });
  await must('n.cw', 'POST', `/persons/${young.id}/consents`, { purpose: 'assistance', method: 'written' });
  const yc = await must('n.cw', 'POST', '/cases', { person_id: young.id });
  problem(await as['n.cw'].req('POST', `${V1}/directory/services/${one.id}/stays`,
    { case_id: yc.id, admitted_on: day(7001), admission_reason: 'safety' }), 422, 'invalid-value');
  const next = await admit(two, 10); // on the day of the discharge: a move from one to the other
  assert.equal(next.status, 201, next.text);
});

test('a shelter handed to another organisation takes its stays along: its new operator lists and discharges them', async () => {
  const shelter = await must('n.sup', 'POST', '/directory/services', { name: 'Handed over', type: 'shelter', capacity_max: 3 });
  const p = await must('n.cw', 'POST', '/persons', { given_name: 'Нилуфар' });
  await must('n.cw', 'POST', `/persons/${p.id}/consents`, { purpose: 'assistance', method: 'written' });
  const c = await must('n.cw', 'POST', '/cases', { person_id: p.id });
  const stay = await must('n.cw', 'POST', `/directory/services/${shelter.id}/stays`,
    { case_id: c.id, admitted_on: day(5), admission_reason: 'safety' });
  const v = (await must('n.sup', 'GET', `/directory/services/${shelter.id}`, undefined, 200)).version;
  await must('n.sup', 'POST', `/directory/services/${shelter.id}/transfer`, { to_org: 'iom' }, 200, { 'if-match': `"${v}"` });
  await must('n.sup', 'POST', `/directory/services/${shelter.id}/transfer/accept`, undefined, 200);
  // The new operator: the resident listed, one bed taken, discharged.
  const list = await must('i.sup', 'GET', `/directory/services/${shelter.id}/stays`, undefined, 200);
  assert.ok(list.items.some((x) => x.id === stay.id), JSON.stringify(list));
  assert.equal(list.occupied, 1);
  assert.equal((await must('i.sup', 'GET', `/stays/${stay.id}`, undefined, 200)).status, 'open');
  const d = await must('i.sup', 'POST', `/stays/${stay.id}/discharge`,
    { discharged_on: day(1), discharge_reason: 'reintegrated' }, 200);
  assert.equal(d.status, 'discharged');
  // The old operator no longer reaches them.
  problem(await as['n.cw'].req('GET', `${V1}/stays/${stay.id}`), 404, 'not-found');
  problem(await as['n.cw'].req('GET', `${V1}/directory/services/${shelter.id}/stays`), 403, 'forbidden');
});

test('a women\'s shelter asks before it admits a man, an adult shelter before a child; the exception is kept', async () => {
  const shelter = await must('n.sup', 'POST', '/directory/services',
    { name: 'Women only', type: 'shelter', capacity_max: 5, genders_served: ['Feminine'], minimum_age: 18 });
  assert.deepEqual(shelter.genders_served, ['Feminine']);
  problem(await as['n.sup'].req('POST', `${V1}/directory/services`,
    { name: 'Bad ages', type: 'shelter', capacity_max: 5, minimum_age: 18, maximum_age: 12 }), 422, 'invalid-value');
  const open = async (person, consent = { method: 'written' }) => {
    const p = await must('n.cw', 'POST', '/persons', person);
    await must('n.cw', 'POST', `/persons/${p.id}/consents`, { purpose: 'assistance', ...consent });
    return (await must('n.cw', 'POST', '/cases', { person_id: p.id })).id;
  };
  const man = await open({ given_name: 'Фарҳод', gender: 'Masculine', estimated_age: 30 });
  const girl = await open({ given_name: 'Мадина', gender: 'Feminine', birth_date: day(365 * 15) },
    { method: 'guardian', given_by: 'guardian', guardian_name: 'Зебо Раҳимова', guardian_relation: 'mother' });
  const woman = await open({ given_name: 'Гулбаҳор', gender: 'Feminine', birth_date: day(365 * 30) });
  const unknown = await open({ given_name: 'Сабо' });
  const stays = `${V1}/directory/services/${shelter.id}/stays`;
  const body = (case_id, more = {}) => ({ case_id, admitted_on: day(1), admission_reason: 'safety', ...more });
  let r = await as['n.cw'].req('POST', stays, body(man));
  problem(r, 409, 'eligibility-mismatch');
  assert.equal(r.json.field, 'genders_served');
  assert.match(r.json.detail, /genders_served Feminine.*Masculine/);
  assert.doesNotMatch(r.json.detail, /Фарҳод/, 'no name in the answer');
  r = await as['n.cw'].req('POST', stays, body(girl));
  problem(r, 409, 'eligibility-mismatch');
  assert.equal(r.json.field, 'minimum_age');
  assert.match(r.json.detail, /minimum_age 18; the person is 1[45]/);
  // Nothing was admitted by the refusals.
  let s = await must('n.cw', 'GET', `/directory/services/${shelter.id}`, undefined, 200);
  assert.equal(s.capacity.occupied, 0);
  // Whom the shelter takes, and whom nothing is known about, go in.
  await must('n.cw', 'POST', `/directory/services/${shelter.id}/stays`, body(woman));
  await must('n.cw', 'POST', `/directory/services/${shelter.id}/stays`, body(unknown));
  // The worker admits the man anyway (no other bed tonight): kept with the stay.
  // Not without saying why.
  problem(await as['n.cw'].req('POST', stays, body(man, { eligibility_override: true })), 422, 'missing-field');
  problem(await as['n.cw'].req('POST', stays, body(man, { eligibility_override: true, eligibility_reason: '   ' })), 422, 'invalid-value');
  const anyway = await must('n.cw', 'POST', `/directory/services/${shelter.id}/stays`,
    body(man, { eligibility_override: true, eligibility_reason: 'no other bed tonight' }));
  assert.equal(anyway.eligibility_override, true);
  const list = await must('n.cw', 'GET', `/directory/services/${shelter.id}/stays`, undefined, 200);
  assert.equal(list.occupied, 3);
  assert.deepEqual(list.items.filter((x) => x.eligibility_override).map((x) => x.id), [anyway.id]);
});

test('eligibility holds against the person only what the admitting worker reads, and the age on the day of admission', async () => {
  const shelter = await must('n.sup', 'POST', '/directory/services',
    { name: 'Young women', type: 'shelter', capacity_max: 5, genders_served: ['Feminine'], maximum_age: 25 });
  const stays = `${V1}/directory/services/${shelter.id}/stays`;
  // Turned 26 ten days ago: 25 on an admission a month ago.
  const born = new Date();
  born.setUTCFullYear(born.getUTCFullYear() - 26);
  born.setUTCDate(born.getUTCDate() - 10);
  const p = await must('n.cw', 'POST', '/persons', { given_name: 'Шабнам', gender: 'Feminine', birth_date: born.toISOString().slice(0, 10) });
  await must('n.cw', 'POST', `/persons/${p.id}/consents`, { purpose: 'assistance', method: 'written' });
  const c = await must('n.cw', 'POST', '/cases', { person_id: p.id });
  problem(await as['n.cw'].req('POST', stays, { case_id: c.id, admitted_on: day(0), admission_reason: 'safety' }), 409, 'eligibility-mismatch');
  await must('n.cw', 'POST', `/directory/services/${shelter.id}/stays`, { case_id: c.id, admitted_on: day(30), admission_reason: 'safety' });
  // A case referred to the shelter's organisation sharing the gender only:
  // its age is not held against the person, nor told.
  const q = await must('i.cw', 'POST', '/persons', { given_name: 'Муниса', gender: 'Feminine', birth_date: day(365 * 40) });
  await must('i.cw', 'POST', `/persons/${q.id}/consents`, { purpose: 'assistance', method: 'written' });
  await must('i.cw', 'POST', `/persons/${q.id}/consents`, { purpose: 'referral', method: 'written' });
  const qc = await must('i.cw', 'POST', '/cases', { person_id: q.id });
  const f = await must('i.cw', 'POST', '/referrals', { case_id: qc.id, to_org: 'ngo2', service_type: 'shelter', reason: 'a bed', share: ['gender'] });
  await must('n.cw', 'POST', `/referrals/${f.id}/accept`, undefined, 200);
  const in_ = await as['n.cw'].req('POST', stays, { case_id: qc.id, admitted_on: day(1), admission_reason: 'safety' });
  assert.equal(in_.status, 201, in_.text);
  assert.doesNotMatch(in_.text, /the person is \d/);
});

test('a transfer takes the perpetrators recorded on the person\'s cases alone; one of another case stays its recorder\'s', async () => {
  const mk = async (given) => {
    const p = await must('i.cw', 'POST', '/persons', { given_name: given });
    await must('i.cw', 'POST', `/persons/${p.id}/consents`, { purpose: 'assistance', method: 'written' });
    await must('i.cw', 'POST', `/persons/${p.id}/consents`, { purpose: 'referral', method: 'written' });
    return { pid: p.id, cid: (await must('i.cw', 'POST', '/cases', { person_id: p.id })).id };
  };
  const a = await mk('Гулрухсор');
  const b = await mk('Дилафрӯз');
  const own = await must('i.sup', 'POST', `/cases/${a.cid}/perpetrators`, { given_name: 'Хуршед', family_name: 'Ғаффоров', role_in_process: ['Exploiter'] });
  const shared = await must('i.sup', 'POST', `/cases/${a.cid}/perpetrators`, { given_name: 'Бобур', family_name: 'Шукуров', role_in_process: ['Exploiter'] });
  await must('i.sup', 'POST', `/cases/${b.cid}/perpetrators`, { perpetrator_id: shared.id });
  const t = await must('i.cw', 'POST', `/cases/${a.cid}/transfer`, { to_org: 'ngo2' });
  await must('n.cw', 'POST', `/referrals/${t.id}/accept`, undefined, 200);
  // The perpetrator of the moved case alone: the new owner's, found by name.
  problem(await as['i.sup'].req('GET', `${V1}/perpetrators/${own.id}`), 404, 'not-found');
  problem(await as['i.sup'].req('PATCH', `${V1}/perpetrators/${own.id}`, { role_details: 'x' }, { 'if-match': '"1"' }), 404);
  const got = await must('n.sup', 'GET', `/perpetrators/${own.id}`, undefined, 200);
  assert.deepEqual(got.cases, [a.cid]);
  const found = await must('n.sup', 'GET', `/perpetrators?q=${encodeURIComponent('Gaffarov')}`, undefined, 200);
  assert.ok(found.items.some((x) => x.id === own.id), JSON.stringify(found));
  // The one of another of the old owner's cases too stays its record, of
  // that case alone; the new owner's case has a copy of it as it was, its
  // own to open and change, which the old owner's later edits do not reach.
  const kept = await must('i.sup', 'GET', `/perpetrators/${shared.id}`, undefined, 200);
  assert.deepEqual(kept.cases, [b.cid]);
  problem(await as['n.sup'].req('GET', `${V1}/perpetrators/${shared.id}`), 404, 'not-found');
  const onCase = (await must('n.sup', 'GET', `/cases/${a.cid}/perpetrators`, undefined, 200)).items;
  assert.ok(!onCase.some((x) => x.id === shared.id), JSON.stringify(onCase));
  const copy = onCase.find((x) => x.family_name === 'Шукуров');
  assert.ok(copy, JSON.stringify(onCase));
  const mine = await must('n.sup', 'GET', `/perpetrators/${copy.id}`, undefined, 200);
  assert.deepEqual(mine.cases, [a.cid]);
  await must('i.sup', 'PATCH', `/perpetrators/${shared.id}`, { aliases: ['IOM-LATER-ALIAS'] }, 200,
    { 'if-match': `"${kept.version}"` });
  const after = await must('n.sup', 'GET', `/cases/${a.cid}/perpetrators`, undefined, 200);
  assert.ok(!JSON.stringify(after).includes('IOM-LATER-ALIAS'), 'the old owner\'s edit stays its own');
  await must('n.sup', 'PATCH', `/perpetrators/${copy.id}`, { role_details: 'NGO2-NOTE' }, 200,
    { 'if-match': `"${mine.version}"` });
  const byName = await must('n.sup', 'GET', `/perpetrators?q=${encodeURIComponent('Shukurov')}`, undefined, 200);
  assert.ok(byName.items.some((x) => x.id === copy.id), JSON.stringify(byName));
  assert.ok(!JSON.stringify(await must('i.sup', 'GET', `/perpetrators/${shared.id}`, undefined, 200)).includes('NGO2-NOTE'));
});

test('risk assessments and safety plans are sealed and their reviews come due', async () => {
  const p = await must('i.cw', 'POST', '/persons', { given_name: 'Нигина' });
  await must('i.cw', 'POST', `/persons/${p.id}/consents`, { purpose: 'assistance', method: 'written' });
  const c = await must('i.cw', 'POST', '/cases', { person_id: p.id });
  const risk = await must('i.cw', 'POST', `/cases/${c.id}/risk-assessments`,
    { level: 'high', assessed_on: day(40), review_on: day(10), threats: 'the recruiter calls the family' });
  const plan = await must('i.cw', 'POST', `/cases/${c.id}/safety-plans`,
    { agreed_on: day(40), review_on: day(5), measures: 'new SIM card' });
  const due = await must('i.cw', 'GET', '/followups?assigned=all', undefined, 200);
  const kinds = due.items.map((x) => x.kind);
  assert.ok(kinds.includes('risk') && kinds.includes('safety'), JSON.stringify(due));
  assert.ok(!JSON.stringify(due).includes('SIM card'), 'no sealed text in the list');
  const r = await as['i.cw'].req('PATCH', `${V1}/risk-assessments/${risk.id}`, { status: 'done' }, { 'if-match': '"1"' });
  assert.equal(r.status, 200, r.text);
  const after = await must('i.cw', 'GET', '/followups?assigned=all', undefined, 200);
  assert.ok(!after.items.some((x) => x.id === risk.id));
  assert.ok(after.items.some((x) => x.id === plan.id));
  problem(await as['i.cw'].req('POST', `${V1}/cases/${c.id}/risk-assessments`,
    { level: 'extreme', assessed_on: day(1), review_on: day(0), threats: 'x' }), 422);
});

test('a shelter that transfers the case of a person in its beds still discharges them; the new owner sees the stay', async () => {
  const shelter = await must('n.sup', 'POST', '/directory/services', { name: 'Own beds', type: 'shelter', capacity_max: 3 });
  const p = await must('n.cw', 'POST', '/persons', { given_name: 'Шаҳло', family_name: 'Назарова', gender: 'Feminine' });
  await must('n.cw', 'POST', `/persons/${p.id}/consents`, { purpose: 'assistance', method: 'written' });
  await must('n.cw', 'POST', `/persons/${p.id}/consents`, { purpose: 'referral', method: 'written' });
  const c = await must('n.cw', 'POST', '/cases', { person_id: p.id });
  const stay = await must('n.cw', 'POST', `/directory/services/${shelter.id}/stays`,
    { case_id: c.id, admitted_on: day(6), admission_reason: 'safety' });
  const t = await must('n.cw', 'POST', `/cases/${c.id}/transfer`, { to_org: 'iom' });
  await must('i.cw', 'POST', `/referrals/${t.id}/accept`, undefined, 200);
  // The shelter's stay is the shelter's: listed, read and discharged by it.
  const list = await must('n.cw', 'GET', `/directory/services/${shelter.id}/stays`, undefined, 200);
  assert.equal(list.occupied, 1);
  assert.ok(list.items.some((s) => s.id === stay.id));
  await must('n.cw', 'GET', `/stays/${stay.id}`, undefined, 200);
  // The new owner sees it on the case, as a record of the shelter's, and cannot discharge it.
  const tl = await must('i.cw', 'GET', `/cases/${c.id}/timeline`, undefined, 200);
  assert.ok(tl.items.some((e) => e.id === stay.id || e.record_id === stay.id || JSON.stringify(e).includes(stay.id)), JSON.stringify(tl));
  problem(await as['i.cw'].req('POST', `${V1}/stays/${stay.id}/discharge`,
    { discharged_on: day(1), discharge_reason: 'transferred' }), 404);
  // A stay a transfer gave the new owner before this release is its
  // shelter's again at the next start (migration 33).
  await srv.stop();
  const db = join(srv.data, 'himoya.db');
  sqlite(db, `UPDATE items SET org_id = (SELECT id FROM orgs WHERE code = 'iom') WHERE id = '${stay.id}';`
    + "UPDATE meta SET value = '32' WHERE key = 'schema_version';"
    + 'DROP INDEX users_login_lower; ALTER TABLE users DROP COLUMN login_key;'); // what migration 35 made, so that it runs again
  const s2 = await serveDir(srv.data, { port: new URL(srv.url).port });
  srv.stop = s2.stop;
  for (const u of users) assert.equal((await as[u.login].login(u.login, PW)).status, 200);
  const d = await must('n.cw', 'POST', `/stays/${stay.id}/discharge`,
    { discharged_on: day(1), discharge_reason: 'transferred' }, 200);
  assert.equal(d.status, 'discharged');
  assert.equal((await must('n.cw', 'GET', `/directory/services/${shelter.id}/stays`, undefined, 200)).occupied, 0);
});
