// The NRM as the agencies work it (issue 15): a focal point of an
// authority is an entry point (registers, records consent, opens, screens,
// refers); the deciding body of a status decision comes from the deciding
// organisation, never from the body; a child is flagged from the dates; a
// minor consents through a guardian; a child's case takes best-interests
// assessments; organisations have sectors and reports group by them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client } from '../lib/server.mjs';

const V1 = '/api/v1';
const PW = 'nrm entry points password';
const USERS = [
  ['police', 'police.fp', 'focal_point'],
  ['police', 'police.cw', 'caseworker'],
  ['ngo1', 'ngo.cw', 'caseworker'],
  ['ngo1', 'ngo.sup', 'supervisor'],
  ['iom', 'iom.sup', 'supervisor'],
  ['iom', 'iom.fp', 'focal_point'],
  ['iom', 'iom.analyst', 'analyst'],
  ['pros', 'pros.fp', 'focal_point'],
];
let srv;
const as = {};

before(async () => {
  srv = await startServer({
    orgs: [
      { code: 'police', name: 'Police', type: 'LawEnforcement', sector: 'police' },
      { code: 'ngo1', name: 'NGO One', type: 'NGO', sector: 'ngo' },
      { code: 'pros', name: 'Prosecutor', type: 'CentralGovernmentOrganisation', sector: 'prosecution' },
    ],
    users: USERS.map(([org, login, role]) => ({ org, login, role, password: PW })),
    conf: 'report_k = 2\n',
  });
  for (const [, login] of USERS) {
    as[login] = new Client(srv.url);
    const r = await as[login].login(login, PW);
    assert.equal(r.status, 200, login + ': ' + r.text);
  }
});

after(async () => {
  if (srv) {
    await srv.stop();
    srv.cleanup();
  }
});

const day = (d) => d.toISOString().slice(0, 10);
const today = () => day(new Date());
// The date `years` years (and `days` days) before today.
function ago(years, days = 0) {
  const d = new Date();
  d.setUTCFullYear(d.getUTCFullYear() - years);
  d.setUTCDate(d.getUTCDate() - days);
  return day(d);
}

async function must(who, method, path, body, status = 201) {
  const r = await as[who].req(method, V1 + path, body);
  assert.equal(r.status, status, `${who} ${method} ${path}: ${r.text}`);
  return r.json;
}

function problem(r, status, type) {
  assert.equal(r.status, status, r.text);
  assert.match(r.headers.get('content-type') || '', /^application\/problem\+json/);
  if (type) assert.equal(r.json.type, type, r.text);
  return r.json;
}

// A person of who's organisation with an assistance consent and an open case.
async function openCase(who, person = {}, kase = {}, consent = {}) {
  const p = await must(who, 'POST', '/persons', { given_name: 'Мадина', family_name: 'Каримова', gender: 'Feminine', ...person });
  await must(who, 'POST', `/persons/${p.id}/consents`, { purpose: 'assistance', method: 'written', ...consent });
  const c = await must(who, 'POST', '/cases', { person_id: p.id, ...kase });
  return { pid: p.id, id: c.id };
}

const SCREEN = { instrument: 'delphi-adult-labour', answers: { 'D5-S1': 'yes', 'D5-S4': 'yes', 'D4-S1': 'yes', 'D1-S1': 'no' } };

test('a police focal point registers, screens and refers a person to an NGO, which accepts', async () => {
  const p = await must('police.fp', 'POST', '/persons', { given_name: 'Фарида', family_name: 'Саидова', gender: 'Feminine' });
  // No case without a consent to assistance, for a focal point as for anyone.
  problem(await as['police.fp'].req('POST', V1 + '/cases', { person_id: p.id }), 409, 'consent-required');
  await must('police.fp', 'POST', `/persons/${p.id}/consents`, { purpose: 'assistance', method: 'written' });
  const c = await must('police.fp', 'POST', '/cases', { person_id: p.id });
  const s = await must('police.fp', 'POST', `/cases/${c.id}/screenings`, SCREEN);
  assert.equal(s.dimensions.D5, true);
  // Nor a referral without a consent to it.
  problem(await as['police.fp'].req('POST', V1 + '/referrals',
    { case_id: c.id, to_org: 'ngo1', service_type: 'shelter', reason: 'needs a shelter', share: ['gender'] }),
  409, 'consent-required');
  await must('police.fp', 'POST', `/persons/${p.id}/consents`, { purpose: 'referral', method: 'written', recipient_org: 'ngo1' });
  const f = await must('police.fp', 'POST', '/referrals',
    { case_id: c.id, to_org: 'ngo1', service_type: 'shelter', reason: 'needs a shelter', share: ['gender', 'status'] });
  assert.equal(f.status, 'sent');
  const inbox = await must('ngo.cw', 'GET', '/referrals?box=in', undefined, 200);
  assert.ok(inbox.items.some((x) => x.id === f.id));
  const acc = await must('ngo.cw', 'POST', `/referrals/${f.id}/accept`, undefined, 200);
  assert.equal(acc.status, 'accepted');
  const seen = await must('ngo.cw', 'GET', `/cases/${c.id}`, undefined, 200);
  assert.equal(seen.id, c.id);
  const kase = await must('police.fp', 'GET', `/cases/${c.id}`, undefined, 200);
  assert.equal(kase.stage, 'referral');
  // The sender withdraws a referral of its own.
  const f2 = await must('police.fp', 'POST', '/referrals',
    { case_id: c.id, to_org: 'ngo1', service_type: 'legal', reason: 'legal aid', share: ['gender'] });
  await must('police.fp', 'POST', `/referrals/${f2.id}/withdraw`, undefined, 200);
});

test('a focal point of an organisation that is no authority is no entry point', async () => {
  problem(await as['iom.fp'].req('POST', V1 + '/persons', { given_name: 'Нодир', gender: 'Masculine' }), 403, 'forbidden');
  const { id, pid } = await openCase('iom.sup');
  problem(await as['iom.fp'].req('POST', `${V1}/persons/${pid}/consents`, { purpose: 'referral', method: 'written' }), 403, 'forbidden');
  problem(await as['iom.fp'].req('POST', V1 + '/cases', { person_id: pid }), 403, 'forbidden');
  problem(await as['iom.fp'].req('POST', `${V1}/cases/${id}/screenings`, SCREEN), 403, 'forbidden');
  problem(await as['iom.fp'].req('POST', V1 + '/referrals', { case_id: id, to_org: 'ngo1', share: ['gender'] }), 403, 'forbidden');
  // An authority's focal point does not open a case of another organisation's person.
  problem(await as['police.fp'].req('POST', V1 + '/cases', { person_id: pid }), 422, 'invalid-value');
});

test('the deciding body comes from the organisation: an NGO supervisor cannot record an authority\'s decision', async () => {
  const { id } = await openCase('ngo.sup');
  const path = `${V1}/cases/${id}/status-decisions`;
  for (const by of ['Police', 'CourtOrProsecution', 'NGO']) {
    const p = problem(await as['ngo.sup'].req('POST', path,
      { status: 'ActualVictimOfTrafficking', decided_by: by, date: today(), reference: 'X-1' }), 422, 'read-only-field');
    assert.match(p.detail, /decided_by/);
  }
  assert.equal((await must('ngo.sup', 'GET', `/cases/${id}/status-decisions`, undefined, 200)).items.length, 0,
    'a refused decision changes nothing');
  const d = await must('ngo.sup', 'POST', `/cases/${id}/status-decisions`,
    { status: 'ActualVictimOfTrafficking', date: today() });
  assert.equal(d.decided_by, 'NGO');
  assert.equal(d.decided_by_org, 'ngo1');
  assert.equal(d.before_rule, undefined);

  // An authority's decision carries the authority and its reference.
  const pc = await openCase('police.fp');
  problem(await as['police.fp'].req('POST', `${V1}/cases/${pc.id}/status-decisions`,
    { status: 'ActualVictimOfTrafficking', date: today() }), 422, 'missing-field');
  const pd = await must('police.fp', 'POST', `/cases/${pc.id}/status-decisions`,
    { status: 'ActualVictimOfTrafficking', date: today(), reference: 'UVD-2026-7' });
  assert.equal(pd.decided_by, 'Police');
  assert.equal(pd.decided_by_org, 'police');
  assert.equal(pd.reference, 'UVD-2026-7');
  // A prosecutor's: CourtOrProsecution.
  const xc = await openCase('pros.fp');
  const xd = await must('pros.fp', 'POST', `/cases/${xc.id}/status-decisions`,
    { status: 'ActualVictimOfTrafficking', date: today(), reference: 'PR-12' });
  assert.equal(xd.decided_by, 'CourtOrProsecution');
  // IOM's assessment is IOM's own (Other): a presumed status.
  const ic = await openCase('iom.sup');
  const id2 = await must('iom.sup', 'POST', `/cases/${ic.id}/status-decisions`,
    { status: 'ActualVictimOfTrafficking', date: today() });
  assert.equal(id2.decided_by, 'Other');
});

test('an organisation\'s assessment after an authority\'s decision is kept, and the case keeps the authority\'s status', async () => {
  const { id, pid } = await openCase('ngo.sup');
  await must('ngo.sup', 'POST', `/persons/${pid}/consents`, { purpose: 'referral', method: 'written', recipient_org: 'police' });
  const f = await must('ngo.sup', 'POST', '/referrals',
    { case_id: id, to_org: 'police', service_type: 'legal', reason: 'to give a statement', share: ['gender'] });
  await must('police.fp', 'POST', `/referrals/${f.id}/accept`, undefined, 200);
  await must('police.fp', 'POST', `/cases/${id}/status-decisions`,
    { status: 'NotAVictimOfTrafficking', date: today(), reference: 'UVD-706' });
  assert.equal((await must('ngo.sup', 'GET', `/cases/${id}`, undefined, 200)).trafficking_status, 'NotAVictimOfTrafficking');
  // The NGO disagrees: its assessment is recorded, flagged, and the case keeps the police's decision.
  const a = await must('ngo.sup', 'POST', `/cases/${id}/status-decisions`, { status: 'ActualVictimOfTrafficking', date: today() });
  assert.equal(a.decided_by, 'NGO');
  assert.equal(a.case_status_kept, true);
  assert.equal((await must('ngo.sup', 'GET', `/cases/${id}`, undefined, 200)).trafficking_status, 'NotAVictimOfTrafficking');
  const ds = (await must('ngo.sup', 'GET', `/cases/${id}/status-decisions`, undefined, 200)).items;
  assert.deepEqual(ds.map((d) => [d.status, d.decided_by]).sort(),
    [['ActualVictimOfTrafficking', 'NGO'], ['NotAVictimOfTrafficking', 'Police']]);
  // Without an authority's decision, the NGO's assessment is the case's status.
  const other = await openCase('ngo.sup');
  const b = await must('ngo.sup', 'POST', `/cases/${other.id}/status-decisions`, { status: 'ActualVictimOfTrafficking', date: today() });
  assert.equal(b.case_status_kept, undefined);
  assert.equal((await must('ngo.sup', 'GET', `/cases/${other.id}`, undefined, 200)).trafficking_status, 'ActualVictimOfTrafficking');
});

test('a child\'s screening is flagged from the dates, with the reason', async () => {
  // 20 today, recruited five years ago: 15 then, a child.
  const recruited = ago(5);
  const child = await openCase('police.fp', { birth_date: ago(20, 10) },
    { trafficking_events: [{ type: 'Recruitment', country: 'RU', date: recruited }] });
  problem(await as['police.fp'].req('POST', `${V1}/cases/${child.id}/screenings`, { ...SCREEN, child: false }),
    422, 'invalid-value');
  const s = await must('police.fp', 'POST', `/cases/${child.id}/screenings`, SCREEN);
  assert.equal(s.child, true);
  assert.deepEqual(s.child_reason, { basis: 'birth_date', age: 15, at: 'recruitment', on: recruited });
  assert.ok(!JSON.stringify(s).includes(ago(20, 10)), 'the reason never shows the birth date');
  // The items that made each positive dimension positive.
  assert.deepEqual(s.because, { D5: ['D5-S1', 'D5-S4'] });
  const listed = await must('police.fp', 'GET', `/cases/${child.id}/screenings`, undefined, 200);
  assert.deepEqual(listed.items[0].child_reason, s.child_reason);
  assert.deepEqual(listed.items[0].because, s.because);

  // The same person recruited a year ago: an adult (19).
  const adult = await openCase('police.fp', { birth_date: ago(20, 10) },
    { trafficking_events: [{ type: 'Recruitment', date: ago(1) }] });
  const a = await must('police.fp', 'POST', `/cases/${adult.id}/screenings`, SCREEN);
  assert.equal(a.child, false);
  assert.equal(a.child_reason.age, 19);
  // An estimated age at the opening, and the exploitation's start.
  const est = await openCase('police.fp', { estimated_age: 19 }, { exploitation_start: ago(3) });
  const e = await must('police.fp', 'POST', `/cases/${est.id}/screenings`, SCREEN);
  assert.equal(e.child, true);
  assert.deepEqual(e.child_reason, { basis: 'estimated_age', age: 16, at: 'exploitation_start', on: ago(3) });
  // Nothing known: the screener's statement counts, and says so.
  const none = await openCase('police.fp');
  const n = await must('police.fp', 'POST', `/cases/${none.id}/screenings`, { ...SCREEN, child: true });
  assert.equal(n.child, true);
  assert.deepEqual(n.child_reason, { basis: 'stated' });
  const n2 = await must('police.fp', 'POST', `/cases/${none.id}/screenings`, SCREEN);
  assert.equal(n2.child, false);
  assert.deepEqual(n2.child_reason, { basis: 'unknown' });
});

test('a minor consents through a guardian or legal representative', async () => {
  const p = await must('ngo.cw', 'POST', '/persons', { given_name: 'Зарина', gender: 'Feminine', birth_date: ago(14) });
  const path = `${V1}/persons/${p.id}/consents`;
  let r = problem(await as['ngo.cw'].req('POST', path, { purpose: 'assistance', method: 'written' }), 422, 'guardian-required');
  assert.equal(r.field, 'given_by');
  problem(await as['ngo.cw'].req('POST', path, { purpose: 'assistance', method: 'guardian', given_by: 'guardian' }),
    422, 'guardian-required');
  r = problem(await as['ngo.cw'].req('POST', path,
    { purpose: 'assistance', method: 'guardian', given_by: 'guardian', guardian_name: 'Гулнора Раҳимова' }), 422, 'guardian-required');
  assert.equal(r.field, 'guardian_relation');
  problem(await as['ngo.cw'].req('POST', path, { purpose: 'assistance', method: 'guardian', given_by: 'guardian',
    guardian_name: 'Гулнора Раҳимова', guardian_relation: 'aunt' }), 422, 'invalid-value');
  assert.equal((await must('ngo.cw', 'GET', `/persons/${p.id}/consents`, undefined, 200)).items.length, 0);
  const k = await must('ngo.cw', 'POST', `/persons/${p.id}/consents`, { purpose: 'assistance', method: 'guardian',
    given_by: 'guardian', guardian_name: 'Гулнора Раҳимова', guardian_relation: 'mother' });
  assert.equal(k.guardian_name, 'Гулнора Раҳимова');
  assert.equal(k.guardian_relation, 'mother');
  assert.equal(k.state, 'active');
  // An adult's own consent names no guardian.
  const q = await must('ngo.cw', 'POST', '/persons', { given_name: 'Шодӣ', gender: 'Masculine', birth_date: ago(30) });
  problem(await as['ngo.cw'].req('POST', `${V1}/persons/${q.id}/consents`,
    { purpose: 'assistance', method: 'written', guardian_name: 'Someone' }), 422, 'invalid-value');
  await must('ngo.cw', 'POST', `/persons/${q.id}/consents`, { purpose: 'assistance', method: 'written' });
});

test('a best-interests assessment is recorded for a child\'s case only', async () => {
  const guardian = { method: 'guardian', given_by: 'legal_representative', guardian_name: 'Раҳим Раҳимов', guardian_relation: 'legal_guardian' };
  const child = await openCase('ngo.cw', { birth_date: ago(12) }, {}, guardian);
  const b = await must('ngo.cw', 'POST', `/cases/${child.id}/best-interests`,
    { date: today(), child_heard: true, outcome: 'family_reunification', findings: 'The aunt can care for her.' });
  assert.equal(b.outcome, 'family_reunification');
  assert.equal(b.findings, 'The aunt can care for her.');
  const list = await must('ngo.cw', 'GET', `/cases/${child.id}/best-interests`, undefined, 200);
  assert.equal(list.items.length, 1);
  const tl = await must('ngo.cw', 'GET', `/cases/${child.id}/timeline`, undefined, 200);
  assert.ok(JSON.stringify(tl).includes('best_interests'));
  const adult = await openCase('ngo.cw', { birth_date: ago(30) });
  problem(await as['ngo.cw'].req('POST', `${V1}/cases/${adult.id}/best-interests`,
    { date: today(), child_heard: true, outcome: 'shelter' }), 409, 'not-a-child');
  problem(await as['ngo.cw'].req('POST', `${V1}/cases/${child.id}/best-interests`,
    { date: today(), outcome: 'shelter' }), 422, 'missing-field');

  // Its review comes after it: on create, and on a change of either date.
  const bad = problem(await as['ngo.cw'].req('POST', `${V1}/cases/${child.id}/best-interests`,
    { date: today(), child_heard: true, outcome: 'shelter', review_on: ago(0, 1) }), 422, 'invalid-value');
  assert.match(bad.detail, /review_on/);
  const patch = (body, version) => as['ngo.cw'].req('PATCH', `${V1}/best-interests/${b.id}`, body,
    { 'if-match': `"${version}"` });
  problem(await patch({ review_on: ago(0, 1) }, 1), 422, 'invalid-value');
  const reviewed = await patch({ review_on: today() }, 1);
  assert.equal(reviewed.status, 200, reviewed.text);
  problem(await patch({ date: ago(-1) }, 2), 422, 'invalid-value');
  assert.equal((await must('ngo.cw', 'GET', `/cases/${child.id}/best-interests`, undefined, 200)).items.length, 1,
    'the refused one made nothing');
});

test('organisations have sectors; training roles and reports know them', async () => {
  const orgs = await must('iom.sup', 'GET', '/orgs', undefined, 200);
  const sectors = Object.fromEntries(orgs.items.map((o) => [o.code, o.sector]));
  assert.equal(sectors.police, 'police');
  assert.equal(sectors.pros, 'prosecution');
  const schema = await must('iom.sup', 'GET', '/schema', undefined, 200);
  for (const s of ['police', 'prosecution', 'court', 'border', 'customs', 'drug_control', 'migration', 'labour',
    'health', 'education', 'social_protection', 'ngo', 'igo'])
    assert.ok(JSON.stringify(schema).includes(`"${s}"`), s);
  for (const role of ['customs_officer', 'drug_control_officer', 'migration_officer'])
    assert.ok(JSON.stringify(schema).includes(`"${role}"`), role);
  // Cells under k are suppressed: the prosecutor gets a few more cases.
  for (let i = 0; i < 3; i++) await openCase('pros.fp');
  const sum = await must('iom.analyst', 'GET', '/reports/summary?by=sector', undefined, 200);
  assert.deepEqual(sum.by, ['sector']);
  const seen = new Set(sum.rows.map((r) => r.sector));
  for (const s of ['police', 'ngo', 'prosecution']) assert.ok(seen.has(s), `${s} in ${JSON.stringify(sum.rows)}`);
  problem(await as['iom.analyst'].req('GET', V1 + '/reports/summary?by=sectors'), 422);
});
