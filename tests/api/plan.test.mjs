// The national Action Plan as data (issue #18, item 3): the sample plan is
// loaded from its file by `himoya plan load` and again by the API (a
// supervisor of the coordinating organisation only); agencies report on
// their own activities and not on others'; each activity's status (done,
// on track, late, not started) shows on GET /plan and in the XLSX for the
// interagency meeting; a plan file with a mistake is refused whole.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, signInAll, himoya } from '../lib/server.mjs';
import { assertProblem } from '../lib/hostile.mjs';
import { sqlite } from '../lib/datadir.mjs';
import { unzip, sheetRows } from '../lib/xlsx.mjs';

const PW = 'plan test password';
const V1 = '/api/v1';
const orgs = [
  { code: 'police-du', name: 'Police', type: 'LawEnforcement' }, { code: 'prosecutor', name: 'Prosecutor', type: 'LawEnforcement' },
  { code: 'migration-service', name: 'Migration Service', type: 'CentralGovernmentOrganisation' },
  { code: 'ngo-ozod', name: 'Ozod', type: 'NGO' },
];
const users = [
  { login: 'sup', role: 'supervisor' }, { login: 'cw', role: 'caseworker' },
  { login: 'police', role: 'focal_point', org: 'police-du' }, { login: 'police.sup', role: 'supervisor', org: 'police-du' },
  { login: 'hot', role: 'hotline' }, { login: 'an', role: 'analyst' },
].map((u) => ({ ...u, password: PW }));
const samplePath = join(process.cwd(), 'schema', 'plan-sample.json');
const sample = JSON.parse(readFileSync(samplePath, 'utf8'));
let srv, as;

before(async () => {
  srv = await startServer({ users, orgs });
  ({ as } = await signInAll(srv, users, PW));
});

after(async () => {
  await srv.stop();
  srv.cleanup();
});

const plan = async (who = 'sup') => {
  const r = await as[who].req('GET', V1 + '/plan');
  assert.equal(r.status, 200, r.text);
  return r.json;
};
const byNumber = (p, n) => p.activities.find((a) => a.number === n);

test('the sample plan loads from its file; every activity is marked a sample', async () => {
  assertProblem(await as.sup.req('GET', V1 + '/plan'), 404, 'not-found', 'no plan yet');
  const r = himoya(['plan', 'load', '--data', srv.data, '--file', samplePath]);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /Loaded plan sample-ctip-2022-2024: 5 activities/);
  const p = await plan('police');
  assert.equal(p.coordinator, 'iom');
  assert.equal(p.sample, true);
  assert.equal(p.activities.length, 5);
  for (const a of p.activities) {
    assert.equal(a.sample, true);
    assert.match(a.text_en, /placeholder/);
  }
  // Deadlines of 2022-2024 are past and nothing is reported: all late.
  assert.deepEqual([...new Set(p.activities.map((a) => a.status))], ['late']);
  assert.equal(byNumber(p, '1.1').own, true, 'the police see their own activity');
  const audit = sqlite(join(srv.data, 'himoya.db'), "SELECT action || ' ' || record FROM audit WHERE record LIKE 'plans/%'");
  assert.match(audit, /load plans\/sample-ctip-2022-2024/);
});

test('agencies report on their own activities; statuses follow; the XLSX shows them', async () => {
  const p = await plan();
  const a11 = byNumber(p, '1.1'), a12 = byNumber(p, '1.2');
  // The police report on 1.1 (reached its target) and not on 1.2 (the prosecutor's).
  const rep = await as.police.req('POST', `${V1}/plan/activities/${a11.id}/reports`, { period: '2022-H2', value: 41, note: 'Four courses' });
  assert.equal(rep.status, 201, rep.text);
  assertProblem(await as.police.req('POST', `${V1}/plan/activities/${a12.id}/reports`, { period: '2023-H1', value: 1 }), 403, 'forbidden');
  assertProblem(await as.cw.req('POST', `${V1}/plan/activities/${a12.id}/reports`, { period: '2023-H1', value: 1 }), 403, 'forbidden');
  // The coordinator's supervisor reports a partial value on 1.2: still late.
  assert.equal((await as.sup.req('POST', `${V1}/plan/activities/${a12.id}/reports`, { period: '2023-H1', value: 0, note: 'Draft under review' })).status, 201);
  for (const [body, what] of [[{ period: '2023-H1' }, 'no value'], [{ period: '2023-H1', value: -1 }, 'a negative value'],
    [{ period: '2023-H1', value: 1, extra: 1 }, 'an unknown field']])
    assertProblem(await as.police.req('POST', `${V1}/plan/activities/${a11.id}/reports`, body), 422, undefined, what);
  assertProblem(await as.police.req('POST', `${V1}/plan/activities/nosuchactivity/reports`, { period: 'x', value: 1 }), 404);

  const q = await plan();
  assert.equal(byNumber(q, '1.1').status, 'done');
  assert.equal(byNumber(q, '1.1').last_report.value, 41);
  assert.equal(byNumber(q, '1.2').status, 'late');

  const res = await fetch(srv.url + V1 + '/plan/report.xlsx', { headers: { cookie: as.an.cookie } });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /spreadsheetml/);
  const files = unzip(Buffer.from(await res.arrayBuffer()));
  const rows = sheetRows(files['xl/worksheets/sheet1.xml']);
  assert.deepEqual(rows[0].map((c) => c.text).slice(0, 3), ['number', 'activity', 'responsible']);
  const status = Object.fromEntries(rows.slice(1).map((r) => [r[0].text, r[10].text]));
  assert.equal(status['1.1'], 'Done');
  assert.equal(status['1.2'], 'Late', 'an activity reported late is late in the XLSX');
  const row12 = rows.find((r) => r[0].text === '1.2');
  assert.equal(row12[2].text, 'prosecutor');
  assert.equal(row12[9].text, '2023-H1');
  const tg = await fetch(srv.url + V1 + '/plan/report.xlsx?lang=tg', { headers: { cookie: as.an.cookie } });
  const tgRows = sheetRows(unzip(Buffer.from(await tg.arrayBuffer()))['xl/worksheets/sheet1.xml']);
  assert.equal(tgRows.find((r) => r[0].text === '1.2')[10].text, 'Мӯҳлат гузашт');
  assert.match(tgRows.find((r) => r[0].text === '1.2')[1].text, /Чорабинии намунавӣ/);
  assertProblem(await as.an.req('GET', V1 + '/plan/report.xlsx?lang=fr'), 422, 'invalid-value');
  assert.equal((await as.hot.req('GET', V1 + '/plan')).status, 404, 'the hotline has no plan');
});

test('the next plan through the API: the coordinator\'s supervisor only; a faulty file changes nothing', async () => {
  const next = { ...sample, plan: 'ctip-2025-2027', title_en: 'SAMPLE: the next plan', activities: sample.activities.slice(0, 2).map((a) => ({ ...a, deadline: '2027-12-31' })) };
  assertProblem(await as['police.sup'].req('POST', V1 + '/plan', next), 403, 'forbidden', 'another organisation cannot load a new plan');
  // Nor one naming itself: the last loaded plan is the one every agency
  // sees, so a new one is for the coordinator in force or the home organisation.
  assertProblem(await as['police.sup'].req('POST', V1 + '/plan', { ...next, plan: 'police-plan', coordinator: 'police-du' }), 403, 'forbidden', 'a supervisor elsewhere cannot replace the national plan');
  assert.equal((await plan()).plan, 'sample-ctip-2022-2024');
  assert.equal((await as.police.req('POST', V1 + '/plan', next)).status, 404, 'a focal point does not edit the plan');
  assert.equal((await as.cw.req('POST', V1 + '/plan', next)).status, 404);
  const before = sqlite(join(srv.data, 'himoya.db'), 'SELECT count(*) FROM plan_activities').trim();
  for (const [body, what] of [
    [{ ...next, activities: [...next.activities, { ...next.activities[0] }] }, 'a number twice'],
    [{ ...next, activities: [{ ...next.activities[0], responsible: 'nobody' }] }, 'an unknown agency'],
    [{ ...next, activities: [{ ...next.activities[0], deadline: '2027-02-30' }] }, 'a bad date'],
    [{ ...next, plan: 'Bad Code!' }, 'a bad plan code'],
    [{ ...next, budget: 1 }, 'an unknown field'],
    [{ ...next, activities: [] }, 'no activity'],
  ]) assertProblem(await as.sup.req('POST', V1 + '/plan', body), 422, 'invalid-value', what);
  assert.equal(sqlite(join(srv.data, 'himoya.db'), 'SELECT count(*) FROM plan_activities').trim(), before);
  const r = await as.sup.req('POST', V1 + '/plan', next);
  assert.equal(r.status, 200, r.text);
  const p = await plan();
  assert.equal(p.plan, 'ctip-2025-2027');
  assert.deepEqual(p.activities.map((a) => a.status), ['not_started', 'not_started']);
  // The old plan is still there by its code, its reports kept; its coordinator alone reloads it.
  const old = await as.sup.req('GET', V1 + '/plan?plan=sample-ctip-2022-2024');
  assert.equal(byNumber(old.json, '1.1').status, 'done');
  assertProblem(await as['police.sup'].req('POST', V1 + '/plan', sample), 403, 'forbidden');
  // The home organisation names no other coordinator through the API.
  assertProblem(await as.sup.req('POST', V1 + '/plan', { ...next, plan: 'ctip-police', coordinator: 'police-du' }), 422, 'invalid-value');
});

test('a plan coordinated elsewhere: its coordinator loads the next one, and no one else', async () => {
  const file = join(srv.data, 'police-plan.json');
  const mine = { ...sample, plan: 'ctip-2028-2030', coordinator: 'police-du', activities: sample.activities.slice(0, 1).map((a) => ({ ...a, deadline: '2030-12-31' })) };
  writeFileSync(file, JSON.stringify(mine));
  const r = himoya(['plan', 'load', '--data', srv.data, '--file', file]);
  assert.equal(r.code, 0, r.err);
  assert.equal((await plan()).coordinator, 'police-du');
  const after = { ...mine, plan: 'ctip-2031-2033', activities: mine.activities.map((a) => ({ ...a, deadline: '2033-12-31' })) };
  const ok = await as['police.sup'].req('POST', V1 + '/plan', after);
  assert.equal(ok.status, 200, ok.text);
  assert.equal((await plan('police')).plan, 'ctip-2031-2033');
  // The home organisation may still load a plan of its own.
  const home = await as.sup.req('POST', V1 + '/plan', { ...after, plan: 'ctip-home', coordinator: 'iom' });
  assert.equal(home.status, 200, home.text);
  assertProblem(await as['police.sup'].req('POST', V1 + '/plan', { ...after, plan: 'ctip-2034' }), 403, 'forbidden', 'no longer the coordinator in force');
});
