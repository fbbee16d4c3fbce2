// Duplicates in the register (issue 16 item 2): one survivor registered
// twice in one organisation as Ҷумъаев and Джумаев, the birth date typed
// day-first once and month-first once.  Registration warns when asked;
// the pair is listed with its score and reasons (names read through the
// audited road); merged, the reports count one person; undone, everything
// is as before; "not the same" is remembered; another organisation sees
// none of it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer, signInAll } from '../lib/server.mjs';
import { sqlite } from '../lib/datadir.mjs';

const PW = 'duplicates test password';
const V1 = '/api/v1';
const users = [
  ['iom', 'cw', 'caseworker'], ['iom', 'sup', 'supervisor'], ['iom', 'hot', 'hotline'],
  ['ngo2', 'b.cw', 'caseworker'], ['ngo2', 'b.sup', 'supervisor'],
].map(([org, login, role]) => ({ org, login, role, password: PW }));

let srv;
const as = {};
const uid = {};

before(async () => {
  srv = await startServer({ users, orgs: [{ code: 'ngo2', name: 'NGO Two', type: 'NGO' }] });
  await signInAll(srv, users, PW, as, uid);
});

after(async () => {
  if (srv) {
    await srv.stop();
    srv.cleanup();
  }
});

async function ok(who, method, path, body, status = [200, 201]) {
  const r = await as[who].req(method, path, body);
  assert.ok([].concat(status).includes(r.status), `${who} ${method} ${path}: ${r.status} ${r.text}`);
  return r.json;
}

// A person with an assistance consent and a case.
async function register(who, person, query = '') {
  const p = await ok(who, 'POST', `${V1}/persons${query}`, person);
  await ok(who, 'POST', `${V1}/persons/${p.id}/consents`, { purpose: 'assistance', method: 'written' });
  const c = await ok(who, 'POST', `${V1}/cases`, { person_id: p.id, exploitation_types: ['ForcedLabour'] });
  return { id: p.id, case_id: c.id };
}

const first = { given_name: 'Фаррух', family_name: 'Ҷумъаев', birth_date: '1990-03-04', gender: 'Masculine',
  region_of_origin: 'TJ-KT' };
const second = { given_name: 'Фаррух', family_name: 'Джумаев', birth_date: '1990-04-03', gender: 'Masculine',
  region_of_origin: 'TJ-KT' };
// Unrelated persons, enough for the own organisation's figures to be shown (k = 11).
const others = [
  ['Мадина', 'Ҳасанова', '1985-01-17', 'Feminine'], ['Зарина', 'Каримова', '1999-11-02', 'Feminine'],
  ['Бахтиёр', 'Назаров', '1978-06-23', 'Masculine'], ['Нилуфар', 'Раҳимова', '2002-09-30', 'Feminine'],
  ['Сорбон', 'Шарипов', '1993-12-11', 'Masculine'], ['Гулноза', 'Исмоилова', '1988-02-08', 'Feminine'],
  ['Дилшод', 'Юсупов', '1981-07-15', 'Masculine'], ['Парвина', 'Саидова', '1996-05-27', 'Feminine'],
  ['Умед', 'Қодиров', '1975-10-05', 'Masculine'], ['Шаҳноза', 'Мирзоева', '2000-03-19', 'Feminine'],
  ['Фирдавс', 'Бобоев', '1991-08-21', 'Masculine'], ['Малика', 'Азимова', '1983-04-12', 'Feminine'],
].map(([given_name, family_name, birth_date, gender]) => ({ given_name, family_name, birth_date, gender }));

const persons = async () => (await ok('sup', 'GET', `${V1}/reports/summary`)).persons;
const openPairs = async (who = 'cw') => (await ok(who, 'GET', `${V1}/duplicates`)).items;
const personCount = () => Number(sqlite(join(srv.data, 'himoya.db'), 'SELECT count(*) FROM persons').trim());

let a, b, pair, merge;

test('registration with duplicates=check warns of a likely duplicate and registers nothing', async () => {
  for (const o of others) await register('cw', o);
  a = await register('cw', first);
  const before = personCount();
  const r = await as.cw.req('POST', `${V1}/persons?duplicates=check`, second);
  assert.equal(r.status, 409, r.text);
  assert.match(r.headers.get('content-type'), /^application\/problem\+json/);
  assert.equal(r.json.type, 'likely-duplicate');
  assert.equal(r.json.candidates[0].id, a.id);
  assert.ok(r.json.candidates[0].score >= 0.5 && r.json.candidates[0].score <= 1, r.text);
  assert.equal(personCount(), before, 'nothing registered');
  // A person like nobody registers even when checked.
  const fresh = await as.cw.req('POST', `${V1}/persons?duplicates=check`,
    { given_name: 'Ситора', family_name: 'Ёрова', birth_date: '1970-01-01' });
  assert.equal(fresh.status, 201, fresh.text);
  const bad = await as.cw.req('POST', `${V1}/persons?duplicates=maybe`, second);
  assert.equal(bad.status, 422, bad.text);
  assert.equal(personCount(), before + 1);
});

test('registered anyway, the pair is listed with its score and the comparisons that drove it', async () => {
  b = await register('cw', second, '?duplicates=register');
  const items = await openPairs();
  pair = items.find((p) => p.persons.some((x) => x.id === a.id) && p.persons.some((x) => x.id === b.id));
  assert.ok(pair, JSON.stringify(items));
  assert.equal(items.length, 1, 'the unrelated persons are no pairs: ' + JSON.stringify(items));
  assert.equal(pair.status, 'open');
  assert.ok(pair.score >= 0.5, String(pair.score));
  const level = Object.fromEntries(pair.reasons.map((x) => [x.field, x.level]));
  assert.equal(level.family_name, 'equal', 'Ҷумъаев = Джумаев');
  assert.equal(level.given_name, 'equal');
  assert.equal(level.birth_date, 'typo', 'day and month swapped');
  const names = pair.persons.map((x) => x.family_name).sort();
  assert.deepEqual(names, ['Джумаев', 'Ҷумъаев']);
  // Each name shown is a read of that person in the audit.
  let reads = 0;
  for (let i = 0; i < 50 && reads < 2; i++) {
    await new Promise((ok2) => setTimeout(ok2, 100));
    reads = Number(sqlite(join(srv.data, 'himoya.db'),
      `SELECT count(DISTINCT record) FROM audit_log WHERE action = 'read' AND user_id = '${uid.cw}'` +
      ` AND record IN ('persons/${a.id}', 'persons/${b.id}') AND fields LIKE '%family_name%'`).trim());
  }
  assert.equal(reads, 2, 'both persons\' reads audited');
});

test('who may review: the own organisation\'s case workers and supervisors only', async () => {
  assert.equal((await openPairs('sup')).length, 1);
  const hot = await as.hot.req('GET', `${V1}/duplicates`);
  assert.equal(hot.status, 403, hot.text);
  // Another organisation sees none of it and cannot act on it.
  assert.deepEqual(await openPairs('b.cw'), []);
  for (const [path, body] of [[`/duplicates/${pair.id}/merge`, { survivor: a.id }],
    [`/duplicates/${pair.id}/distinct`, {}]]) {
    const r = await as['b.sup'].req('POST', V1 + path, body);
    assert.equal(r.status, 404, r.text);
  }
  const scan = await ok('b.cw', 'POST', `${V1}/duplicates/scan`, {});
  assert.equal(scan.found, 0);
  assert.deepEqual(await openPairs('b.cw'), []);
});

test('a merge moves cases and consents to the survivor and the reports count one person', async () => {
  const beforeP = await persons();
  const beforeTotal = (await ok('sup', 'GET', `${V1}/reports/summary`)).total;
  assert.equal(beforeP, others.length + 2);
  let r = await as.cw.req('POST', `${V1}/duplicates/${pair.id}/merge`, { survivor: 'x'.repeat(26) });
  assert.equal(r.status, 422, r.text);
  r = await as.cw.req('POST', `${V1}/duplicates/${pair.id}/merge`, { survivor: a.id, also: 1 });
  assert.equal(r.status, 422, r.text);
  merge = await ok('cw', 'POST', `${V1}/duplicates/${pair.id}/merge`, { survivor: a.id });
  assert.equal(merge.survivor, a.id);
  assert.equal(merge.merged, b.id);
  const gone = await ok('cw', 'GET', `${V1}/persons/${b.id}`);
  assert.equal(gone.merged_into, a.id);
  const found = (await ok('cw', 'GET', `${V1}/persons?q=${encodeURIComponent('Джумаев')}`)).items.map((p) => p.id);
  assert.ok(found.includes(a.id) && !found.includes(b.id), 'a search finds the survivor: ' + found);
  const cases = (await ok('cw', 'GET', `${V1}/cases?person_id=${a.id}`)).items.map((c) => c.id).sort();
  assert.deepEqual(cases, [a.case_id, b.case_id].sort());
  assert.equal((await ok('cw', 'GET', `${V1}/persons/${a.id}/consents`)).items.length, 2);
  assert.equal((await ok('cw', 'GET', `${V1}/cases?person_id=${b.id}`)).items.length, 0);
  assert.equal(await persons(), beforeP - 1);
  assert.equal((await ok('sup', 'GET', `${V1}/reports/summary`)).total, beforeTotal, 'cases are still cases');
  assert.deepEqual(await openPairs(), []);
  const merged = (await ok('cw', 'GET', `${V1}/duplicates?status=merged`)).items;
  assert.equal(merged.length, 1);
  assert.equal(merged[0].merge_id, merge.id);
  // Decided once: a second merge of the pair is a conflict.
  r = await as.cw.req('POST', `${V1}/duplicates/${pair.id}/merge`, { survivor: b.id });
  assert.equal(r.status, 409, r.text);
  // The merged person's audit references follow the survivor.
  const audit = (await ok('sup', 'GET', `${V1}/audit?record=persons/${a.id}`)).items;
  assert.ok(audit.some((e) => e.record === `persons/${b.id}` && e.action === 'create'), JSON.stringify(audit));
  assert.ok(audit.every((e, i) => i === 0 || audit[i - 1].seq >= e.seq), 'newest first');
  // Both persons' audit trails say so.
  const trail = sqlite(join(srv.data, 'himoya.db'),
    `SELECT record FROM audit WHERE action = 'merge' ORDER BY record`).trim().split('\n').sort();
  assert.deepEqual(trail, [`persons/${a.id}`, `persons/${b.id}`].sort());
});

test('undoing the merge puts everything back as before', async () => {
  const other = await as['b.sup'].req('POST', `${V1}/merges/${merge.id}/undo`);
  assert.equal(other.status, 404, other.text);
  const undone = await ok('sup', 'POST', `${V1}/merges/${merge.id}/undo`);
  assert.ok(undone.undone_at);
  const back = await ok('cw', 'GET', `${V1}/persons/${b.id}`);
  assert.equal(back.merged_into, undefined);
  assert.deepEqual((await ok('cw', 'GET', `${V1}/cases?person_id=${b.id}`)).items.map((c) => c.id), [b.case_id]);
  assert.deepEqual((await ok('cw', 'GET', `${V1}/cases?person_id=${a.id}`)).items.map((c) => c.id), [a.case_id]);
  assert.equal((await ok('cw', 'GET', `${V1}/persons/${a.id}/consents`)).items.length, 1);
  assert.equal((await ok('cw', 'GET', `${V1}/persons/${b.id}/consents`)).items.length, 1);
  assert.equal(await persons(), others.length + 2);
  const open = await openPairs();
  assert.equal(open.length, 1);
  assert.equal(open[0].id, pair.id);
  assert.equal(open[0].status, 'open');
  const audit = (await ok('sup', 'GET', `${V1}/audit?record=persons/${a.id}`)).items;
  assert.ok(!audit.some((e) => e.record === `persons/${b.id}`), 'the references go back too');
  const again = await as.sup.req('POST', `${V1}/merges/${merge.id}/undo`);
  assert.equal(again.status, 409, again.text);
});

test('"not the same" is remembered: the pass does not propose the pair again', async () => {
  const d = await ok('cw', 'POST', `${V1}/duplicates/${pair.id}/distinct`);
  assert.equal(d.status, 'distinct');
  assert.equal(d.decided_by, uid.cw);
  assert.deepEqual(await openPairs(), []);
  await ok('sup', 'POST', `${V1}/duplicates/scan`, {});
  assert.deepEqual(await openPairs(), []);
  const distinct = (await ok('cw', 'GET', `${V1}/duplicates?status=distinct`)).items;
  assert.deepEqual(distinct.map((p) => p.id), [pair.id]);
  // A third registration, in Latin letters, is found by the pass with both.
  const third = await ok('cw', 'POST', `${V1}/persons`,
    { given_name: 'Farrukh', family_name: 'Dzhumaev', birth_date: '1990-03-04', gender: 'Masculine' });
  await ok('sup', 'POST', `${V1}/duplicates/scan`, {});
  const open = await openPairs();
  assert.ok(open.length >= 1 && open.every((p) => p.persons.some((x) => x.id === third.id)), JSON.stringify(open));
  assert.ok(open.some((p) => p.persons.some((x) => x.id === a.id)));
  assert.deepEqual(await openPairs('b.sup'), []);
  const bad = await as.cw.req('GET', `${V1}/duplicates?status=maybe`);
  assert.equal(bad.status, 422, bad.text);
});

test('a merge of two records that each stay in a shelter now is refused until one is discharged', async () => {
  const x = await register('cw', { given_name: 'Шаҳром', family_name: 'Раҳмонов', birth_date: '1987-05-05', gender: 'Masculine' });
  const y = await register('cw', { given_name: 'Shahrom', family_name: 'Rahmonov', birth_date: '1987-05-05', gender: 'Masculine' });
  const beds = [];
  for (const name of ['Panoh A', 'Panoh B'])
    beds.push(await ok('sup', 'POST', `${V1}/directory/services`, { name, type: 'shelter', capacity_max: 3 }));
  const day = (n) => new Date(Date.now() - n * 86400000).toISOString().slice(0, 10);
  await ok('cw', 'POST', `${V1}/directory/services/${beds[0].id}/stays`, { case_id: x.case_id, admitted_on: day(9), admission_reason: 'safety' });
  const sy = await ok('cw', 'POST', `${V1}/directory/services/${beds[1].id}/stays`, { case_id: y.case_id, admitted_on: day(8), admission_reason: 'safety' });
  await ok('sup', 'POST', `${V1}/duplicates/scan`, {});
  const p = (await openPairs()).find((q) => q.persons.some((o) => o.id === x.id) && q.persons.some((o) => o.id === y.id));
  assert.ok(p, 'the pair is proposed');
  const r = await as.cw.req('POST', `${V1}/duplicates/${p.id}/merge`, { survivor: x.id });
  assert.equal(r.status, 409, r.text);
  assert.equal(r.json.type, 'already-admitted');
  assert.equal((await ok('cw', 'GET', `${V1}/persons/${y.id}`)).merged_into, undefined, 'nothing merged');
  await ok('cw', 'POST', `${V1}/stays/${sy.id}/discharge`, { discharged_on: day(8), discharge_reason: 'other' });
  const m = await ok('cw', 'POST', `${V1}/duplicates/${p.id}/merge`, { survivor: x.id });
  assert.equal(m.merged, y.id);
});

test('a merge racing an admission of the record merged away: never two shelters at once', async () => {
  const day = (n) => new Date(Date.now() - n * 86400000).toISOString().slice(0, 10);
  const beds = [];
  for (const name of ['Race A', 'Race B'])
    beds.push(await ok('sup', 'POST', `${V1}/directory/services`, { name, type: 'shelter', capacity_max: 20 }));
  const names = [['Ҷамшед', 'Ҳакимов'], ['Ориф', 'Собиров'], ['Илҳом', 'Валиев'], ['Фарид', 'Каримзода']];
  for (const [i, [g, f]] of names.entries()) {
    const born = `198${i}-02-0${i + 1}`;
    const x = await register('cw', { given_name: g, family_name: f, birth_date: born, gender: 'Masculine' });
    const y = await register('cw', { given_name: g, family_name: f + ' ', birth_date: born, gender: 'Masculine' }, '?duplicates=register');
    await ok('cw', 'POST', `${V1}/directory/services/${beds[0].id}/stays`, { case_id: x.case_id, admitted_on: day(9), admission_reason: 'safety' });
    await ok('sup', 'POST', `${V1}/duplicates/scan`, {});
    const p = (await openPairs()).find((q) => q.persons.some((o) => o.id === x.id) && q.persons.some((o) => o.id === y.id));
    assert.ok(p, 'the pair is proposed');
    const [m, s] = await Promise.all([
      as.sup.req('POST', `${V1}/duplicates/${p.id}/merge`, { survivor: x.id }),
      as.cw.req('POST', `${V1}/directory/services/${beds[1].id}/stays`, { case_id: y.case_id, admitted_on: day(8), admission_reason: 'safety' }),
    ]);
    const open = [];
    for (const b of beds) {
      const l = await ok('cw', 'GET', `${V1}/directory/services/${b.id}/stays`);
      open.push(...l.items.filter((st) => st.person_id === x.id || st.person_id === y.id));
    }
    if (m.status === 200) {
      assert.equal(open.length, 1, `round ${i}: merged, one shelter: ${s.status} ${s.text}`);

    } else {
      assert.equal(m.status, 409, m.text);
      assert.equal(s.status, 201, s.text);
    }
  }
});

test('the list comes a page at a time: every pair once, best first, the cursor bound to its filter', async () => {
  // One man registered five ways in another organisation: ten pairs.
  const ways = ['Ҷумъаев', 'Джумаев', 'Jumaev', 'Dzhumaev', 'Джумъаев'];
  for (const f of ways) {
    await ok('b.cw', 'POST', `${V1}/persons?duplicates=register`, { given_name: 'Рустам', family_name: f,
      birth_date: '1987-09-12', gender: 'Masculine', region_of_origin: 'TJ-SU' });
  }
  await ok('b.sup', 'POST', `${V1}/duplicates/scan`, {});
  const all = (await ok('b.cw', 'GET', `${V1}/duplicates?limit=200`)).items;
  assert.ok(all.length >= 4, `pairs found: ${all.length}`);
  const seen = [];
  let page = await ok('b.cw', 'GET', `${V1}/duplicates?limit=3`);
  const firstNext = page.next;
  assert.ok(firstNext, 'a next page is offered');
  for (;;) {
    assert.ok(page.items.length <= 3);
    seen.push(...page.items.map((p) => p.id));
    if (!page.next) break;
    page = await ok('b.cw', 'GET', `${V1}/duplicates?limit=3&cursor=${encodeURIComponent(page.next)}`);
  }
  assert.deepEqual(seen, all.map((p) => p.id), 'the pages hold the list, in its order, each pair once');
  for (let i = 1; i < all.length; i++) assert.ok(all[i - 1].score >= all[i].score, 'best score first');
  // A cursor is the list's it came from: not another status's, nor another user's.
  for (const [who, q] of [['b.cw', 'status=distinct&'], ['b.sup', '']]) {
    const r = await as[who].req('GET', `${V1}/duplicates?${q}limit=3&cursor=${encodeURIComponent(firstNext)}`);
    assert.equal(r.status, 422, `${who} ${q}: ${r.text}`);
    assert.match(r.headers.get('content-type'), /^application\/problem\+json/);
  }
  for (const bad of ['limit=0', 'limit=201', 'cursor=made-up']) {
    const r = await as['b.cw'].req('GET', `${V1}/duplicates?${bad}`);
    assert.equal(r.status, 422, `${bad}: ${r.text}`);
  }
  // Actions take their own fields only, of their types.
  for (const [path, body, type] of [[`${V1}/duplicates/scan`, { x: 1 }, 'unknown-field'],
    [`${V1}/duplicates/${all[0].id}/distinct`, { reason: 'x' }, 'unknown-field'],
    [`${V1}/duplicates/${all[0].id}/merge`, { survivor: 123 }, 'invalid-value'],
    [`${V1}/duplicates/${all[0].id}/merge`, {}, 'missing-field']]) {
    const r = await as['b.sup'].req('POST', path, body);
    assert.equal(r.status, 422, `${path}: ${r.text}`);
    assert.equal(r.json.type, type, r.text);
  }
  assert.equal((await ok('b.cw', 'GET', `${V1}/duplicates?limit=200`)).items.length, all.length, 'nothing decided');
  // The own organisation's list holds none of them.
  const mine = (await ok('cw', 'GET', `${V1}/duplicates?limit=200`)).items;
  assert.ok(!mine.some((p) => seen.includes(p.id)));
});
