// Training events and their participants: a trainer records an event and
// its participants (never named), changes it with If-Match; a supervisor
// of the same organisation does too; the analyst, a case worker and
// another organisation's trainer see nothing (404) and change nothing;
// hostile bodies (unknown field, a name, scores out of range, 10 MB,
// malformed JSON, stale version) are refused; the indicator report counts
// the people trained by agency type and sex and the mean score gain.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, signInAll } from '../lib/server.mjs';
import { assertProblem } from '../lib/hostile.mjs';

const PW = 'training test password';
const orgs = [{ code: 'ngo2', name: 'NGO Two (training test)', type: 'NGO' }];
const users = [
  ['iom', 'trainer', 'trainer'], ['iom', 'sup', 'supervisor'], ['iom', 'an', 'analyst'],
  ['iom', 'cw', 'caseworker'], ['iom', 'adm', 'admin'], ['ngo2', 'trainer2', 'trainer'], ['ngo2', 'sup2', 'supervisor'],
].map(([org, login, role]) => ({ org, login, role, password: PW }));

let srv;
const as = {};
const V1 = '/api/v1';

before(async () => {
  srv = await startServer({ users, orgs });
  await signInAll(srv, users, PW, as);
});

after(async () => {
  if (srv) {
    await srv.stop();
    srv.cleanup();
  }
});

const EVENT = { topic: 'Выявление жертв торговли людьми', start: '2026-03-02', end: '2026-03-04', place: 'Хуҷанд', organiser_org: 'ngo2' };

async function newEvent(who = 'trainer', body = EVENT) {
  const r = await as[who].req('POST', V1 + '/trainings', body);
  assert.equal(r.status, 201, r.text);
  return r;
}

test('a trainer records an event, reads it back, lists it and changes it with If-Match', async () => {
  const r = await newEvent();
  const ev = r.json;
  assert.equal(ev.version, 1);
  assert.equal(ev.topic, EVENT.topic);
  assert.equal(ev.start, '2026-03-02');
  assert.equal(ev.end, '2026-03-04');
  assert.equal(ev.organiser_org, 'ngo2');
  assert.equal(ev.organiser.type, 'NGO');
  assert.equal(ev.participants, 0);
  assert.equal(r.headers.get('location'), `/api/v1/trainings/${ev.id}`);
  assert.equal(r.headers.get('etag'), '"1"');

  let g = await as.trainer.req('GET', `${V1}/trainings/${ev.id}`);
  assert.equal(g.status, 200);
  assert.deepEqual(g.json, ev);
  const list = await as.trainer.req('GET', V1 + '/trainings');
  assert.equal(list.status, 200);
  assert.ok(list.json.items.some((x) => x.id === ev.id));
  assert.ok('next' in list.json);

  assertProblem(await as.trainer.req('PATCH', `${V1}/trainings/${ev.id}`, { place: 'Душанбе' }), 428, 'precondition-required');
  let p = await as.trainer.req('PATCH', `${V1}/trainings/${ev.id}`, { place: 'Душанбе' }, { 'if-match': '"1"' });
  assert.equal(p.status, 200, p.text);
  assert.equal(p.json.place, 'Душанбе');
  assert.equal(p.json.version, 2);
  assert.equal(p.json.topic, EVENT.topic, 'other fields kept');
  assertProblem(await as.trainer.req('PATCH', `${V1}/trainings/${ev.id}`, { place: 'Бохтар' }, { 'if-match': '"1"' }),
    412, 'version-conflict');
  p = await as.sup.req('PATCH', `${V1}/trainings/${ev.id}`, { topic: 'Иной' }, { 'if-match': '"2"' });
  assert.equal(p.status, 200, 'a supervisor of the organisation edits too: ' + p.text);
  assertProblem(await as.trainer.req('PATCH', `${V1}/trainings/${ev.id}`, { place: null }, { 'if-match': '"3"' }),
    422, 'invalid-value');
  assertProblem(await as.trainer.req('PATCH', `${V1}/trainings/${ev.id}`, { end: '2026-03-01' }, { 'if-match': '"3"' }),
    422, 'invalid-value');
  g = await as.trainer.req('GET', `${V1}/trainings/${ev.id}`);
  assert.equal(g.json.version, 3, 'refused changes changed nothing');
});

test('paging: the list pages with next', async () => {
  for (let i = 0; i < 4; i++) await newEvent('trainer2', { ...EVENT, start: `2025-0${i + 1}-10`, end: `2025-0${i + 1}-11` });
  const seen = new Set();
  let cursor = '';
  for (let page = 0; page < 10; page++) {
    const r = await as.trainer2.req('GET', `${V1}/trainings?limit=2${cursor ? '&cursor=' + encodeURIComponent(cursor) : ''}`);
    assert.equal(r.status, 200, r.text);
    for (const x of r.json.items) {
      assert.ok(!seen.has(x.id), 'no event twice');
      seen.add(x.id);
    }
    if (!r.json.next) break;
    cursor = r.json.next;
  }
  assert.equal(seen.size, 4);
  assertProblem(await as.trainer2.req('GET', `${V1}/trainings?cursor=nonsense`), 422, 'invalid-value');
  assertProblem(await as.trainer2.req('GET', `${V1}/trainings?limit=0`), 422, 'invalid-value');
});

test('participants: agency type, sex, role and scores; never a name', async () => {
  const ev = (await newEvent()).json;
  const url = `${V1}/trainings/${ev.id}/participants`;
  let r = await as.trainer.req('POST', url, { agency_type: 'LawEnforcement', sex: 'Feminine', role: 'police_officer', pre_score: 40, post_score: 75 });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.gain, 35);
  assert.equal(r.json.agency_type, 'LawEnforcement');
  r = await as.trainer.req('POST', url, { agency_type: 'NGO', sex: 'Masculine', role: 'ngo_staff' });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.pre_score, null);
  assert.equal(r.json.gain, null);
  for (const [body, type] of [
    [{ agency_type: 'NGO', sex: 'Masculine', role: 'ngo_staff', given_name: 'Фарход' }, 'unknown-field'],
    [{ agency_type: 'NGO', sex: 'Masculine', role: 'ngo_staff', name: 'x' }, 'unknown-field'],
    [{ agency_type: 'NGO', sex: 'Masculine', role: 'ngo_staff', pre_score: 101 }, 'invalid-value'],
    [{ agency_type: 'NGO', sex: 'Masculine', role: 'ngo_staff', post_score: -1 }, 'invalid-value'],
    [{ agency_type: 'NGO', sex: 'Masculine', role: 'ngo_staff', post_score: '50' }, 'invalid-value'],
    [{ agency_type: 'Mafia', sex: 'Masculine', role: 'ngo_staff' }, 'invalid-value'],
    [{ agency_type: 'NGO', sex: 'm', role: 'ngo_staff' }, 'invalid-value'],
    [{ agency_type: 'NGO', sex: 'Masculine', role: 'boss' }, 'invalid-value'],
    [{ agency_type: 'NGO', sex: 'Masculine' }, 'missing-field'],
  ]) assertProblem(await as.trainer.req('POST', url, body), 422, type, JSON.stringify(body));
  const list = await as.trainer.req('GET', url);
  assert.equal(list.status, 200);
  assert.equal(list.json.items.length, 2);
  assert.equal(list.json.next, null);
  const g = await as.trainer.req('GET', `${V1}/trainings/${ev.id}`);
  assert.equal(g.json.participants, 2);
});

test('hostile bodies change nothing', async () => {
  const before = (await as.trainer.req('GET', V1 + '/trainings?limit=200')).json.items.length;
  const bad = [
    [{ ...EVENT, extra: 1 }, 422, 'unknown-field'],
    [{ ...EVENT, start: '2026-02-30' }, 422, 'invalid-value'],
    [{ ...EVENT, end: '2026-03-01' }, 422, 'invalid-value'],
    [{ ...EVENT, organiser_org: 'nobody' }, 422, 'invalid-value'],
    [{ ...EVENT, topic: 'x'.repeat(201) }, 422, 'invalid-value'],
    [{ ...EVENT, topic: '' }, 422, 'invalid-value'],
    [{ ...EVENT, place: 7 }, 422, 'invalid-value'],
    [{ topic: 'a', start: '2026-01-01', end: '2026-01-02', place: 'b' }, 422, 'missing-field'],
  ];
  for (const [body, status, type] of bad)
    assertProblem(await as.trainer.req('POST', V1 + '/trainings', body), status, type, JSON.stringify(body).slice(0, 80));
  assertProblem(await as.trainer.req('POST', V1 + '/trainings', '{"topic":'), 400, 'invalid-json');
  assertProblem(await as.trainer.req('POST', V1 + '/trainings', '{"topic":"a","topic":"b"}'), 400, 'invalid-json');
  assertProblem(await as.trainer.req('POST', V1 + '/trainings', JSON.stringify({ ...EVENT, topic: 'x'.repeat(10 << 20) })),
    413, 'body-too-large');
  assertProblem(await as.trainer.req('POST', V1 + '/trainings', 'topic=a', { 'content-type': 'application/x-www-form-urlencoded' }),
    415, 'unsupported-media-type');
  const after = (await as.trainer.req('GET', V1 + '/trainings?limit=200')).json.items.length;
  assert.equal(after, before);
});

test('who may see and change: analyst, case worker, admin and another organisation see nothing', async () => {
  const ev = (await newEvent()).json;
  for (const who of ['an', 'cw', 'adm', 'trainer2', 'sup2']) {
    assertProblem(await as[who].req('GET', `${V1}/trainings/${ev.id}`), 404, 'not-found', who);
    assertProblem(await as[who].req('GET', `${V1}/trainings/${ev.id}/participants`), 404, 'not-found', who);
    assertProblem(await as[who].req('PATCH', `${V1}/trainings/${ev.id}`, { place: 'x' }, { 'if-match': '"1"' }), 404, 'not-found', who);
    assertProblem(await as[who].req('POST', `${V1}/trainings/${ev.id}/participants`,
      { agency_type: 'NGO', sex: 'Masculine', role: 'ngo_staff' }), 404, 'not-found', who);
  }
  for (const who of ['an', 'cw', 'adm']) {
    assertProblem(await as[who].req('POST', V1 + '/trainings', EVENT), 403, 'forbidden', who);
    const r = await as[who].req('GET', V1 + '/trainings');
    assertProblem(r, 404, 'not-found', who);
  }
  const other = (await as.trainer2.req('GET', V1 + '/trainings?limit=200')).json.items;
  assert.ok(!other.some((x) => x.id === ev.id), 'another organisation\'s list does not show it');
  assertProblem(await as.trainer.req('GET', `${V1}/trainings/aaaaaaaaaaaaaaaaaaaaaaaaaa`), 404, 'not-found');
  const g = await as.trainer.req('GET', `${V1}/trainings/${ev.id}`);
  assert.equal(g.json.version, 1, 'unchanged');
  assert.equal(g.json.participants, 0);
  const anon = new Client(srv.url);
  assertProblem(await anon.req('GET', V1 + '/trainings'), 401, 'unauthenticated');
});

test('the indicator report counts people trained by agency type and sex, and the mean gain', async () => {
  const ev = (await newEvent('trainer', { ...EVENT, start: '2024-05-06', end: '2024-05-07' })).json;
  const gains = [];
  for (let i = 0; i < 12; i++) {
    const pre = 30 + i, post = 50 + 2 * i;
    gains.push(post - pre);
    const r = await as.trainer.req('POST', `${V1}/trainings/${ev.id}/participants`,
      { agency_type: 'ImmigrationService', sex: 'Feminine', role: 'government_official', pre_score: pre, post_score: post });
    assert.equal(r.status, 201, r.text);
  }
  await as.trainer.req('POST', `${V1}/trainings/${ev.id}/participants`,
    { agency_type: 'HealthServiceOrganisation', sex: 'Masculine', role: 'health_worker', pre_score: 10, post_score: 90 });
  const r = await as.an.req('GET', V1 + '/reports/indicators?from=2024-05-01&to=2024-05-31');
  assert.equal(r.status, 200, r.text);
  const tr = r.json.trainings;
  // The analyst's figures across organisations: each 0 or a multiple of
  // k = 11, less than 11 from the count (the cell-key method).
  assert.equal(r.json.protection, 'cell-key');
  const near = (p, t, what) => assert.ok(p % 11 === 0 && Math.abs(p - t) < 11, `${what}: ${p} for ${t}`);
  near(tr.events, 1, 'events');
  const cell = (agency, sex) => tr.participants.rows.find((x) => x.agency_type === agency && x.sex === sex);
  const one = cell('HealthServiceOrganisation', 'Masculine');
  assert.ok(!one || one.count === 11, 'one person is never published as 1');
  const twelve = cell('ImmigrationService', 'Feminine').count;
  near(twelve, 12, 'twelve');
  near(tr.participants.total, 13, 'total');
  // 13 - 12 would give the one person away: the difference is 0 or 11.
  assert.notEqual(tr.participants.total - twelve, 1);
  assert.equal(tr.participants.suppressed, 0);
  near(tr.scored, 13, 'scored');
  const mean = (gains.reduce((a, b) => a + b, 0) + 80) / 13;
  // Whole points (an exact mean of whole gains would tell how many were scored).
  assert.equal(tr.mean_gain, Math.round(mean), `${tr.mean_gain} vs ${mean}`);
  assert.ok(!r.text.includes('NGO Two'), 'no organisation names');
  // Another period: none of it.
  const other = await as.an.req('GET', V1 + '/reports/indicators?from=2023-01-01&to=2023-12-31');
  assert.equal(other.json.trainings.events, 0);
  assert.equal(other.json.trainings.mean_gain, null);
});
