// Screenings and identification decisions of a case: the ILO/EC combination
// rule through the API on its edge cases (real codes of the
// delphi-adult-labour set, schema/indicators.c), refused screenings, the
// suggestion that never sets the trafficking status, and who may record an
// official status decision.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, usersOf, signInAll } from '../lib/server.mjs';
import { assertProblem } from '../lib/hostile.mjs';
import { rawFiles } from '../lib/datadir.mjs';

const PW = 'screening test password';
const users = usersOf(PW, [
  ['cw', 'caseworker'], ['sup', 'supervisor'], ['hot', 'hotline'], ['fp', 'focal_point'],
  ['an', 'analyst'],
  ['ngo.cw', 'caseworker', 'ngo1'], ['ngo.fp', 'focal_point', 'ngo1'],
  ['pol.cw', 'caseworker', 'police'], ['pol.fp', 'focal_point', 'police'], ['pol.hot', 'hotline', 'police'],
]);

let srv;
const as = {};

before(async () => {
  srv = await startServer({
    users,
    orgs: [
      { code: 'ngo1', name: 'NGO One', type: 'NGO' },
      { code: 'police', name: 'Anti-trafficking police unit', type: 'LawEnforcement' },
    ],
  });
  await signInAll(srv, users, PW, as);
});

after(async () => {
  if (srv) {
    await srv.stop();
    srv.cleanup();
  }
});

const V1 = '/api/v1';
const today = () => new Date().toISOString().slice(0, 10);
const DIMS = ['D1', 'D2', 'D3', 'D4', 'D5', 'D6'];

async function openCase(who = 'cw') {
  const p = await as[who].req('POST', V1 + '/persons', { given_name: 'Бахтиёр', family_name: 'Холов' });
  assert.equal(p.status, 201, p.text);
  const k = await as[who].req('POST', `${V1}/persons/${p.json.id}/consents`,
    { purpose: 'assistance', method: 'written' });
  assert.equal(k.status, 201, k.text);
  const c = await as[who].req('POST', V1 + '/cases', { person_id: p.json.id });
  assert.equal(c.status, 201, c.text);
  return c.json;
}

let shared;
async function sharedCase() {
  shared ??= (await openCase()).id;
  return shared;
}

const yes = (...codes) => Object.fromEntries(codes.map((c) => [c, 'yes']));

// Screen on a case, expect 201, check the answers are echoed exactly.
async function screen(answers, { child, caseId, who = 'cw' } = {}) {
  const id = caseId ?? await sharedCase();
  const body = { instrument: 'delphi-adult-labour', answers };
  if (child !== undefined) body.child = child;
  const r = await as[who].req('POST', `${V1}/cases/${id}/screenings`, body);
  assert.equal(r.status, 201, JSON.stringify(body) + ': ' + r.text);
  assert.deepEqual(r.json.answers, answers, 'answers echoed exactly');
  assert.equal(r.json.instrument, 'delphi-adult-labour');
  assert.equal(r.json.child, child === true);
  assert.deepEqual(Object.keys(r.json.dimensions).sort(), DIMS);
  for (const d of DIMS) assert.equal(typeof r.json.dimensions[d], 'boolean', d);
  assert.ok(['trafficking', 'exploitation', 'none'].includes(r.json.suggestion));
  assert.equal(r.json.case_id, id);
  return r.json;
}

// The positive dimensions of a result, e.g. ['D1', 'D4'].
const positive = (r) => DIMS.filter((d) => r.dimensions[d]);

// ---- one dimension: the combination rule ------------------------------------

test('a dimension: 1 strong alone is not enough, 2 strong are', async () => {
  let r = await screen(yes('D1-S1'));
  assert.deepEqual(positive(r), []);
  assert.equal(r.suggestion, 'none');
  r = await screen(yes('D4-S1'));
  assert.deepEqual(positive(r), [], 'D4 with its one strong item only');
  r = await screen(yes('D5-S1'));
  assert.deepEqual(positive(r), []);
  r = await screen(yes('D5-S1', 'D5-S2'));
  assert.deepEqual(positive(r), ['D5']);
  r = await screen(yes('D5-S1', 'D5-S2', 'D5-S3', 'D5-S4'));
  assert.deepEqual(positive(r), ['D5']);
  // A strong item of one dimension does not help another.
  r = await screen(yes('D1-S1', 'D2-S1'));
  assert.deepEqual(positive(r), []);
});

test('a dimension: 1 strong with 1 weak or 1 medium is positive', async () => {
  let r = await screen(yes('D1-S1', 'D1-W1'));
  assert.deepEqual(positive(r), ['D1']);
  r = await screen(yes('D1-S1', 'D1-M8'));
  assert.deepEqual(positive(r), ['D1']);
  r = await screen(yes('D2-S1', 'D2-M9'));
  assert.deepEqual(positive(r), ['D2']);
  r = await screen(yes('D4-S1', 'D4-W1'));
  assert.deepEqual(positive(r), ['D4']);
  r = await screen(yes('D5-S4', 'D5-W1'));
  assert.deepEqual(positive(r), ['D5']);
  // The weak item of another dimension does not count.
  r = await screen(yes('D1-S1', 'D3-W1'));
  assert.deepEqual(positive(r), []);
});

test('a dimension: 3 medium, or 2 medium and 1 weak, are positive; 2 medium alone are not', async () => {
  let r = await screen(yes('D3-M1', 'D3-M2', 'D3-M3'));
  assert.deepEqual(positive(r), ['D3']);
  r = await screen(yes('D3-M12', 'D3-M13', 'D3-M14'));
  assert.deepEqual(positive(r), ['D3']);
  r = await screen(yes('D3-M1', 'D3-M2', 'D3-W1'));
  assert.deepEqual(positive(r), ['D3']);
  r = await screen(yes('D6-M4', 'D6-M5', 'D6-W2'));
  assert.deepEqual(positive(r), ['D6']);
  r = await screen(yes('D3-M1', 'D3-M2'));
  assert.deepEqual(positive(r), [], '2 medium only');
  r = await screen(yes('D6-M1', 'D6-M2'));
  assert.deepEqual(positive(r), [], '2 medium only');
  r = await screen(yes('D3-M1', 'D3-W1', 'D3-W2'));
  assert.deepEqual(positive(r), [], '1 medium and 2 weak');
  r = await screen(yes('D6-W1', 'D6-W2'));
  assert.deepEqual(positive(r), [], '2 weak');
  r = await screen(yes('D3-M1', 'D6-M1', 'D6-W1'));
  assert.deepEqual(positive(r), [], 'mediums of two dimensions do not add up');
  r = await screen({});
  assert.deepEqual(positive(r), []);
  assert.equal(r.suggestion, 'none');
});

test('"no", "unknown" and "declined" count as absent', async () => {
  let r = await screen({ 'D1-S1': 'yes', 'D1-W1': 'unknown', 'D1-M1': 'declined', 'D1-M2': 'no' });
  assert.deepEqual(positive(r), []);
  r = await screen({ 'D3-M1': 'yes', 'D3-M2': 'yes', 'D3-M3': 'unknown', 'D3-W1': 'declined' });
  assert.deepEqual(positive(r), []);
  r = await screen({ 'D5-S1': 'yes', 'D5-S2': 'no' });
  assert.deepEqual(positive(r), []);
  // All of a trafficking profile, but exploitation not confirmed: none.
  r = await screen({ 'D1-S1': 'yes', 'D1-W1': 'yes', 'D4-S1': 'unknown', 'D4-M1': 'declined',
    'D4-M2': 'no', 'D5-S1': 'yes', 'D5-S2': 'yes' });
  assert.deepEqual(positive(r), ['D1', 'D5']);
  assert.equal(r.suggestion, 'none');
  // Everything answered other than "yes": nothing.
  const all = {};
  const codes = ['D1-S1', 'D2-S1', 'D3-M1', 'D4-S1', 'D5-S1', 'D6-M1'];
  codes.forEach((c, i) => { all[c] = ['no', 'unknown', 'declined'][i % 3]; });
  r = await screen(all);
  assert.deepEqual(positive(r), []);
  assert.equal(r.suggestion, 'none');
});

// ---- the dimensions together -------------------------------------------------

const D1 = yes('D1-S1', 'D1-W1');
const D2 = yes('D2-S1', 'D2-M1');
const D3 = yes('D3-M1', 'D3-M2', 'D3-M3');
const D4 = yes('D4-S1', 'D4-M1');
const D5 = yes('D5-S1', 'D5-S2');
const D6 = yes('D6-M1', 'D6-M2', 'D6-W1');

test('D4 alone suggests exploitation; recruitment, D4 and means suggest trafficking', async () => {
  let r = await screen(D4);
  assert.deepEqual(positive(r), ['D4']);
  assert.equal(r.suggestion, 'exploitation');
  r = await screen({ ...D1, ...D4, ...D5 });
  assert.deepEqual(positive(r), ['D1', 'D4', 'D5']);
  assert.equal(r.suggestion, 'trafficking');
  r = await screen({ ...D3, ...D4, ...D6 });
  assert.deepEqual(positive(r), ['D3', 'D4', 'D6']);
  assert.equal(r.suggestion, 'trafficking');
  r = await screen({ ...D2, ...D4, ...D6 });
  assert.equal(r.suggestion, 'trafficking');
  r = await screen({ ...D1, ...D2, ...D3, ...D4, ...D5, ...D6 });
  assert.deepEqual(positive(r), DIMS);
  assert.equal(r.suggestion, 'trafficking');
  // Means at destination without recruitment: exploitation only.
  r = await screen({ ...D4, ...D5, ...D6 });
  assert.equal(r.suggestion, 'exploitation');
  // Recruitment and means without exploitation: none.
  r = await screen({ ...D1, ...D5 });
  assert.deepEqual(positive(r), ['D1', 'D5']);
  assert.equal(r.suggestion, 'none');
  // One item short of D4 (1 strong alone): none.
  r = await screen({ ...D1, 'D4-S1': 'yes', ...D5 });
  assert.deepEqual(positive(r), ['D1', 'D5']);
  assert.equal(r.suggestion, 'none');
});

test('a child needs no means: D1 + D4 is trafficking for a child, exploitation for an adult', async () => {
  let r = await screen({ ...D1, ...D4 }, { child: true });
  assert.deepEqual(positive(r), ['D1', 'D4']);
  assert.equal(r.suggestion, 'trafficking');
  r = await screen({ ...D1, ...D4 }, { child: false });
  assert.equal(r.suggestion, 'exploitation');
  r = await screen({ ...D1, ...D4 });
  assert.equal(r.suggestion, 'exploitation', 'adult when child is not given');
  r = await screen({ ...D3, ...D4 }, { child: true });
  assert.equal(r.suggestion, 'trafficking');
  // A child still needs exploitation and recruitment.
  r = await screen({ ...D1, ...D5 }, { child: true });
  assert.equal(r.suggestion, 'none');
  r = await screen({ ...D4, ...D5 }, { child: true });
  assert.equal(r.suggestion, 'exploitation');
});

// ---- refused screenings -------------------------------------------------------

test('refused screenings: codes, answers, instruments, fields', async () => {
  const id = await sharedCase();
  const post = (body) => as.cw.req('POST', `${V1}/cases/${id}/screenings`, body);
  const before = (await as.cw.req('GET', `${V1}/cases/${id}/screenings`)).json.items.length;
  const badAnswers = [
    { 'D7-S1': 'yes' }, { 'D1-S9': 'yes' }, { 'd1-s1': 'yes' }, { 'D1-S1 ': 'yes' }, { '': 'yes' },
    { abuse_of_vulnerability: 'yes' },
    { 'D1-S1': 'Yes' }, { 'D1-S1': 'YES' }, { 'D1-S1': 'y' }, { 'D1-S1': true }, { 'D1-S1': 1 },
    { 'D1-S1': null }, { 'D1-S1': '' }, { 'D1-S1': ['yes'] }, { 'D1-S1': 'maybe' },
    { 'D1-S1': 'yes', 'D1-W1': 'sometimes' },
  ];
  for (const answers of badAnswers)
    assertProblem(await post({ instrument: 'delphi-adult-labour', answers }), 422, 'invalid-value',
      JSON.stringify(answers));
  for (const instrument of ['delphi-child', 'Delphi-Adult-Labour', 'ilo-forced-labour', '', 7, null])
    assertProblem(await post({ instrument, answers: yes('D1-S1') }), 422, 'invalid-value',
      'instrument ' + JSON.stringify(instrument));
  assertProblem(await post({ answers: yes('D1-S1') }), 422, 'invalid-value', 'no instrument');
  assertProblem(await post({ instrument: 'delphi-adult-labour' }), 422, 'invalid-value', 'no answers');
  for (const answers of [['D1-S1'], 'D1-S1', null, 3])
    assertProblem(await post({ instrument: 'delphi-adult-labour', answers }), 422, 'invalid-value',
      'answers ' + JSON.stringify(answers));
  for (const child of ['yes', 1, null])
    assertProblem(await post({ instrument: 'delphi-adult-labour', answers: {}, child }), 422,
      'invalid-value', 'child ' + JSON.stringify(child));
  assertProblem(await post({ instrument: 'delphi-adult-labour', answers: {}, suggestion: 'trafficking' }),
    422, 'unknown-field');
  assertProblem(await post({ instrument: 'delphi-adult-labour', answers: {}, dimensions: {} }),
    422, 'unknown-field');
  // The same code twice in the raw JSON.
  const dup = await as.cw.req('POST', `${V1}/cases/${id}/screenings`,
    '{"instrument":"delphi-adult-labour","answers":{"D1-S1":"yes","D1-S1":"no"}}');
  assert.ok(dup.status === 400 || dup.status === 422, dup.text);
  assertProblem(await as.cw.req('POST', `${V1}/cases/${id}/screenings`, '{"instrument":'), 400,
    'invalid-json');
  const after = (await as.cw.req('GET', `${V1}/cases/${id}/screenings`)).json.items.length;
  assert.equal(after, before, 'no refused screening was stored');
});

test('who screens: caseworker and supervisor; not the hotline, focal point, analyst or others', async () => {
  const id = await sharedCase();
  const body = { instrument: 'delphi-adult-labour', answers: D4 };
  assert.equal((await as.sup.req('POST', `${V1}/cases/${id}/screenings`, body)).status, 201);
  for (const who of ['hot', 'fp'])
    assertProblem(await as[who].req('POST', `${V1}/cases/${id}/screenings`, body), 403, 'forbidden', who);
  for (const who of ['an', 'ngo.cw', 'pol.fp']) {
    assertProblem(await as[who].req('POST', `${V1}/cases/${id}/screenings`, body), 404, 'not-found', who);
    assertProblem(await as[who].req('GET', `${V1}/cases/${id}/screenings`), 404, 'not-found', who);
  }
});

// ---- the suggestion and the case ---------------------------------------------

test('a suggestion never sets the trafficking status; the stage moves from contact to screening', async () => {
  const c = await openCase();
  const id = c.id;
  assert.equal(c.stage, 'contact');
  const answers = { ...D1, ...D4, ...D5, 'D6-W2': 'unknown' };
  const s = await screen(answers, { caseId: id });
  assert.equal(s.suggestion, 'trafficking');
  let g = await as.cw.req('GET', `${V1}/cases/${id}`);
  assert.equal(g.status, 200, g.text);
  assert.equal('trafficking_status' in g.json, false, 'no trafficking status from a suggestion');
  assert.equal(g.json.stage, 'screening');
  assert.equal(g.json.status, 'Active');
  const v = g.json.version;
  assert.ok(v >= 2, 'moving the stage is a new version');

  // A second screening: still no status, the stage stays.
  const s2 = await screen({ ...D3, ...D4, ...D6 }, { caseId: id, child: true });
  assert.equal(s2.suggestion, 'trafficking');
  g = await as.cw.req('GET', `${V1}/cases/${id}`);
  assert.equal('trafficking_status' in g.json, false);
  assert.equal(g.json.stage, 'screening');
  assert.equal(g.json.version, v);
  // Nor is it in the list of cases.
  const l = await as.cw.req('GET', `${V1}/cases?limit=200`);
  assert.equal('trafficking_status' in l.json.items.find((x) => x.id === id), false);

  // The screenings, read back, hold the answers as given.
  const list = await as.cw.req('GET', `${V1}/cases/${id}/screenings`);
  assert.equal(list.status, 200, list.text);
  assert.deepEqual(list.json.items.map((x) => x.id), [s.id, s2.id]);
  assert.deepEqual(list.json.items[0].answers, answers);
  assert.equal(list.json.items[0].suggestion, 'trafficking');
  assert.deepEqual(list.json.items[0].dimensions, s.dimensions);
  assert.equal(list.json.items[1].child, true);

  // The timeline shows the screenings with their result but not the answers.
  const t = await as.cw.req('GET', `${V1}/cases/${id}/timeline`);
  const shown = t.json.items.filter((e) => e.kind === 'screening');
  assert.equal(shown.length, 2);
  assert.equal(shown[0].data.suggestion, 'trafficking');
  assert.equal('answers' in shown[0].data, false);

  // The answers are sealed in the files.
  const needle = Buffer.from('"D6-W2":"unknown"');
  for (const [name, buf] of Object.entries(rawFiles(srv.data)))
    assert.equal(buf.includes(needle), false, 'answers in clear in ' + name);
});

// ---- identification decisions -------------------------------------------------

// The deciding body is never sent: it comes from the deciding user's
// organisation (issue 15).
const decision = (status, date, reference) => {
  const d = { status, date };
  if (reference) d.reference = reference;
  return d;
};

test('status decisions: the supervisor records; caseworker, hotline and an NGO focal point may not', async () => {
  const c = await openCase();
  const id = c.id;
  const path = `${V1}/cases/${id}/status-decisions`;
  const body = decision('PossibleVictimOfTrafficking', '2024-01-10', 'No. 17/2024');
  for (const who of ['cw', 'hot', 'fp'])
    assertProblem(await as[who].req('POST', path, body), 403, 'forbidden', who);
  for (const who of ['an', 'ngo.cw', 'ngo.fp', 'pol.fp'])
    assertProblem(await as[who].req('POST', path, body), 404, 'not-found', who);
  let g = await as.cw.req('GET', `${V1}/cases/${id}`);
  assert.equal('trafficking_status' in g.json, false);
  assert.equal(g.json.version, 1);

  const bad = [
    [{ ...body, status: 'Victim' }, 'invalid-value'],
    [{ ...body, status: 'possiblevictimoftrafficking' }, 'invalid-value'],
    [{ ...body, decided_by: 'Neighbour' }, 'read-only-field'],
    [{ ...body, decided_by: 'Police' }, 'read-only-field'],
    [{ ...body, decided_by_org: 'police' }, 'read-only-field'],
    [{ ...body, before_rule: true }, 'read-only-field'],
    [{ ...body, date: '2024-02-30' }, 'invalid-value'],
    [{ ...body, date: '2999-01-01' }, 'invalid-value'],
    [{ status: body.status }, 'missing-field'],
    [{ date: body.date }, 'missing-field'],
    [{ ...body, suggestion: 'trafficking' }, 'unknown-field'],
  ];
  for (const [b, type] of bad)
    assertProblem(await as.sup.req('POST', path, b), 422, type, JSON.stringify(b));

  let r = await as.sup.req('POST', path, body);
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.status, 'PossibleVictimOfTrafficking');
  assert.equal(r.json.decided_by, 'Other', 'IOM\'s own assessment');
  assert.equal(r.json.decided_by_org, 'iom');
  assert.equal(r.json.date, '2024-01-10');
  assert.equal(r.json.reference, 'No. 17/2024');
  const first = r.json.id;
  g = await as.cw.req('GET', `${V1}/cases/${id}`);
  assert.equal(g.json.trafficking_status, 'PossibleVictimOfTrafficking');
  assert.equal(g.json.stage, 'identification');

  r = await as.sup.req('POST', path, decision('ActualVictimOfTrafficking', '2024-03-05',
    'Court 2-115/24'));
  assert.equal(r.status, 201, r.text);
  const second = r.json.id;

  const l = await as.cw.req('GET', path);
  assert.equal(l.status, 200, l.text);
  assert.deepEqual(l.json.items.map((x) => x.id), [first, second], 'history kept in order');
  assert.deepEqual(l.json.items.map((x) => x.status),
    ['PossibleVictimOfTrafficking', 'ActualVictimOfTrafficking']);
  assert.equal(l.json.items[1].reference, 'Court 2-115/24');
  g = await as.cw.req('GET', `${V1}/cases/${id}`);
  assert.equal(g.json.trafficking_status, 'ActualVictimOfTrafficking', 'the case carries the newest');
  assert.equal(g.json.stage, 'identification');
  // The hotline and focal point of the organisation read the history.
  assert.equal((await as.hot.req('GET', path)).status, 200);
  assert.equal((await as.fp.req('GET', path)).status, 200);
  assertProblem(await as['ngo.cw'].req('GET', path), 404, 'not-found');

  // The status is still not set by hand, and a screening does not undo it.
  assertProblem(await as.cw.req('PATCH', `${V1}/cases/${id}`,
    { trafficking_status: 'NotAVictimOfTrafficking' }, { 'if-match': `"${g.json.version}"` }),
  422, 'read-only-field');
  await screen({}, { caseId: id });
  g = await as.cw.req('GET', `${V1}/cases/${id}`);
  assert.equal(g.json.trafficking_status, 'ActualVictimOfTrafficking');
  assert.equal(g.json.stage, 'identification', 'a screening does not move the stage back');

  const t = await as.cw.req('GET', `${V1}/cases/${id}/timeline`);
  const decisions = t.json.items.filter((e) => e.kind === 'status_decision');
  assert.deepEqual(decisions.map((e) => e.data.status),
    ['PossibleVictimOfTrafficking', 'ActualVictimOfTrafficking']);
});

test('a focal point of a law-enforcement organisation records decisions on its cases', async () => {
  const c = await openCase('pol.cw');
  const path = `${V1}/cases/${c.id}/status-decisions`;
  // The police caseworker and hotline operator may not.
  assertProblem(await as['pol.cw'].req('POST', path, decision('PossibleVictimOfTrafficking', today())),
    403, 'forbidden');
  assertProblem(await as['pol.hot'].req('POST', path, decision('PossibleVictimOfTrafficking', today())),
    403, 'forbidden');
  // An authority's decision carries its reference.
  assertProblem(await as['pol.fp'].req('POST', path, decision('PossibleVictimOfTrafficking', today())),
    422, 'missing-field');
  const r = await as['pol.fp'].req('POST', path, decision('PossibleVictimOfTrafficking', today(), 'UVD-1'));
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.decided_by, 'Police');
  const g = await as['pol.fp'].req('GET', `${V1}/cases/${c.id}`);
  assert.equal(g.json.trafficking_status, 'PossibleVictimOfTrafficking');
  assert.equal(g.json.stage, 'identification');
  // Other organisations do not see it.
  for (const who of ['sup', 'fp', 'ngo.fp'])
    assertProblem(await as[who].req('GET', `${V1}/cases/${c.id}`), 404, 'not-found', who);
  // Not a victim, a later decision on the same day is kept after the first.
  const n = await as['pol.fp'].req('POST', path, decision('NotAVictimOfTrafficking', today(), 'UVD-2'));
  assert.equal(n.status, 201, n.text);
  const l = await as['pol.fp'].req('GET', path);
  assert.deepEqual(l.json.items.map((x) => x.status),
    ['PossibleVictimOfTrafficking', 'NotAVictimOfTrafficking']);
  assert.equal((await as['pol.cw'].req('GET', `${V1}/cases/${c.id}`)).json.trafficking_status,
    'NotAVictimOfTrafficking');
});

test('a focal point of an NGO may not record a decision on its own organisation\'s case', async () => {
  const c = await openCase('ngo.cw');
  const path = `${V1}/cases/${c.id}/status-decisions`;
  assert.equal((await as['ngo.fp'].req('GET', `${V1}/cases/${c.id}`)).status, 200, 'it sees the case');
  assertProblem(await as['ngo.fp'].req('POST', path, decision('PossibleVictimOfTrafficking', today())),
    403, 'forbidden');
  assert.equal('trafficking_status' in (await as['ngo.cw'].req('GET', `${V1}/cases/${c.id}`)).json, false);
});
