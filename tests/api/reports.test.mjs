// Reports over `himoya demo` data: the summary's small-cell suppression
// (the own organisation's figures) checked independently here from the
// published numbers (no count 1..k-1 is shown; no suppressed number is the
// only unknown of any published sum, so none can be worked back by
// subtraction), and the cell-key perturbation of the figures across
// organisations (every number 0 or a multiple of k, within k of the count;
// differencing.test.mjs tries every pair); the analyst sees aggregates
// only and never an agency's name; a supervisor only the own
// organisation's figures; every bad parameter is a 422 problem; the
// figures follow new cases; the indicator report as JSON, CSV and XLSX;
// and k from the configuration.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Client, initArgs } from '../lib/server.mjs';
import { assertProblem } from '../lib/hostile.mjs';
import { run, tempDir, serveDir, sqlite, writeConf } from '../lib/datadir.mjs';
import { unzip, sheetRows, sheetNames } from '../lib/xlsx.mjs';

const PW = 'himoya-demo-2026';
const V1 = '/api/v1';
let dir, data, srv;
const as = {};

async function signIn(login) {
  const c = new Client(srv.url);
  const r = await c.login(login, PW);
  assert.equal(r.status, 200, login + ': ' + r.text);
  as[login] = c;
}

before(async () => {
  dir = tempDir('himoya-reports-');
  data = join(dir, 'demo');
  const r = run(['demo', '--data', data, ...initArgs(), '--persons', '700', '--seed', '11'], { timeout: 120000 });
  assert.equal(r.code, 0, r.err);
  srv = await serveDir(data);
  for (const login of ['analyst', 'supervisor', 'ngo.supervisor', 'caseworker', 'admin', 'trainer', 'hotline',
    'police.focal'])
    await signIn(login);
});

after(async () => {
  if (srv) await srv.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const get = (who, path) => as[who].req('GET', V1 + path);

// ---- the independent check ---------------------------------------------------

// Every published number of a summary answer: cells (rows), the 1-D
// margins (the rows themselves for one dimension) and the total.
function relations(ans) {
  const { by, rows } = ans;
  const rels = [];
  const value = (n) => (n === null ? null : n);
  if (by.length === 0) return rels;
  // total = sum of all cells
  rels.push({ what: 'total over cells', sum: value(ans.total), terms: rows.map((r) => value(r.count)) });
  if (by.length >= 2) {
    for (const d of by) {
      const margins = ans.margins[d];
      // total = sum of a dimension's margins
      rels.push({ what: `total over ${d} margins`, sum: value(ans.total), terms: margins.map((m) => value(m.count)) });
      // margin(d, v) = sum of the cells with d = v
      for (const m of margins) {
        rels.push({
          what: `margin ${d}=${m[d]}`, sum: value(m.count),
          terms: rows.filter((r) => r[d] === m[d]).map((r) => value(r.count)),
        });
      }
      // every margin with a cell also appears as a margin
      for (const r of rows) assert.ok(margins.some((m) => m[d] === r[d]), `a margin for ${d}=${r[d]}`);
    }
  }
  return rels;
}

// A figure across organisations: 0 or a multiple of k, less than k from
// the true count.
function near(p, t, k, label) {
  assert.ok(Number.isInteger(p) && p % k === 0, `${label}: ${p} is not a multiple of k=${k}`);
  assert.ok(Math.abs(p - t) < k, `${label}: ${p} is k or more from ${t}`);
}

function checkPerturbed(ans, label) {
  const k = ans.k;
  const shown = [ans.total, ...ans.rows.map((r) => r.count)];
  if (ans.margins) for (const d of ans.by) shown.push(...ans.margins[d].map((m) => m.count));
  for (const n of shown) assert.ok(Number.isInteger(n) && n % k === 0, `${label}: ${n} is not 0 or a multiple of k`);
  for (const r of ans.rows) assert.ok(r.count > 0, `${label}: zero cells are left out`);
  assert.equal(ans.suppressed, 0, `${label}: nothing suppressed`);
  if (ans.by.length >= 2)
    for (const d of ans.by) for (const r of ans.rows) assert.ok(ans.margins[d].some((m) => m[d] === r[d]), `a margin for ${d}=${r[d]}`);
  return 0;
}

function checkSuppressed(ans, label) {
  const k = ans.k;
  if (ans.protection === 'cell-key') return checkPerturbed(ans, label);
  assert.equal(ans.protection, 'suppression', label);
  const shown = [ans.total, ...ans.rows.map((r) => r.count)];
  if (ans.margins) for (const d of ans.by) shown.push(...ans.margins[d].map((m) => m.count));
  for (const n of shown) {
    if (n === null) continue;
    assert.ok(Number.isInteger(n), `${label}: counts are integers`);
    assert.ok(n === 0 || n >= k, `${label}: a published count ${n} is under k=${k}`);
  }
  let suppressed = 0;
  for (const r of ans.rows) {
    if (r.count === null) suppressed++;
    else assert.ok(r.count > 0, `${label}: zero cells are left out`);
  }
  assert.equal(ans.suppressed, suppressed, `${label}: "suppressed" counts the null cells`);
  for (const rel of relations(ans)) {
    const unknown = (rel.sum === null ? 1 : 0) + rel.terms.filter((n) => n === null).length;
    assert.notEqual(unknown, 1, `${label}: one suppressed number in ${rel.what} can be worked back`);
  }
  return suppressed;
}

const COMBOS = ['sex', 'age_band', 'sex,age_band', 'exploitation', 'country', 'exploitation,country',
  'status,stage', 'month', 'month,sex', 'org', 'org,sex', 'region,sex', 'service_type', 'service_type,sex',
  'nationality', 'sex,age_band,region', 'exploitation,sex,age_band', 'stage,status,org,sex',
  'trafficking_status,sex'];

test('summary: no small count is shown and no suppressed one can be worked back (analyst, demo data)', async () => {
  let total = 0;
  for (const by of COMBOS) {
    for (const extra of ['', '&victims=1', '&from=2025-01-01&to=2025-12-31']) {
      const r = await get('analyst', `/reports/summary?by=${by}${extra}`);
      assert.equal(r.status, 200, `${by}: ${r.text}`);
      assert.equal(r.json.k, 11);
      assert.deepEqual(r.json.by, by.split(','));
      assert.equal(r.json.scope, 'all');
      assert.equal(r.json.protection, 'cell-key');
      checkSuppressed(r.json, by + extra);
      // The own organisation's figures: suppressed, exact.
      const own = await get('ngo.supervisor', `/reports/summary?by=${by}${extra}`);
      assert.equal(own.status, 200, `${by}: ${own.text}`);
      assert.equal(own.json.protection, 'suppression');
      total += checkSuppressed(own.json, 'own ' + by + extra);
    }
  }
  assert.ok(total > 10, 'demo data has small cells to suppress: ' + total);
});

test('summary: the counts are the cases, checked against the database', async () => {
  const db = join(data, 'himoya.db');
  const cases = Number(sqlite(db, 'SELECT count(*) FROM cases').trim());
  let r = await get('analyst', '/reports/summary');
  assert.equal(r.status, 200, r.text);
  near(r.json.total, cases, 11, 'total');
  assert.deepEqual(r.json.rows, []);
  // One dimension with only large cells: each within k of its count.
  r = await get('analyst', '/reports/summary?by=status');
  const byStatus = sqlite(db, 'SELECT status, count(*) FROM cases GROUP BY status').trim().split('\n')
    .map((l) => l.split('|'));
  for (const [status, n] of byStatus) {
    const row = r.json.rows.find((x) => x.status === status);
    assert.ok(row, status);
    near(row.count, Number(n), 11, status);
  }
  // A period narrows by the date the case was opened.
  const from = '2025-03-01', to = '2025-08-31';
  const inPeriod = Number(sqlite(db, `SELECT count(*) FROM cases WHERE opened_on BETWEEN '${from}' AND '${to}'`).trim());
  r = await get('analyst', `/reports/summary?from=${from}&to=${to}`);
  near(r.json.total, inPeriod, 11, 'period');
  assert.equal(r.json.from, from);
  assert.equal(r.json.to, to);
});

test('analyst: aggregates only, no rows and no agency names', async () => {
  for (const path of ['/cases', '/persons?q=Шарипова', '/referrals?box=in', '/followups', '/trainings',
    '/directory/export']) {
    const r = await get('analyst', path);
    assert.ok(r.status === 403 || r.status === 404, `${path} answers ${r.status}`);
  }
  const names = sqlite(join(data, 'himoya.db'), 'SELECT code, name FROM orgs').trim().split('\n')
    .flatMap((l) => l.split('|')).filter((s) => s.length > 3);
  assert.ok(names.includes('ngo-ozod'));
  for (const path of ['/reports/summary?by=org,sex', '/reports/summary?by=org,month', '/reports/indicators',
    '/reports/indicators?format=csv']) {
    const r = await get('analyst', path);
    assert.equal(r.status, 200, r.text);
    for (const name of names) assert.ok(!r.text.includes(name), `${path} names ${name}`);
  }
  const r = await get('analyst', '/reports/summary?by=org');
  const types = new Set(['own', 'NGO', 'LawEnforcement', 'IGO', 'CentralGovernmentOrganisation', 'LegalService',
    'HealthServiceOrganisation', 'ImmigrationService', 'SchoolOrCollege', 'LocalGovernmentOrganisation']);
  for (const row of r.json.rows) assert.ok(types.has(row.org), 'an organisation type: ' + row.org);
  assert.ok(r.json.rows.some((x) => x.org === 'own'), 'the own organisation as "own"');
  assert.ok(r.json.rows.some((x) => x.org === 'NGO'), 'the NGOs together');
});

test('roles without reports: 404; signed out: 401', async () => {
  for (const who of ['caseworker', 'admin', 'trainer', 'hotline', 'police.focal']) {
    assertProblem(await get(who, '/reports/summary?by=sex'), 404, 'not-found', who);
    assertProblem(await get(who, '/reports/indicators'), 404, 'not-found', who);
  }
  const anon = new Client(srv.url);
  assertProblem(await anon.req('GET', V1 + '/reports/summary'), 401, 'unauthenticated');
});

test('bad parameters are 422 problems', async () => {
  const bad = ['by=shoe_size', 'by=sex,sex', 'by=sex,,age_band', 'by=sex,age_band,region,status,stage', 'by=SEX',
    'from=2025-13-01', 'from=yesterday', 'to=2025-02-30', 'from=2025-05-01&to=2025-04-01', 'region=TJ-XX',
    'region=', 'org=ngo-ozod', 'org=Police', 'victims=2', 'by=' + 'x'.repeat(5000)];
  for (const q of bad) {
    const r = await get('analyst', '/reports/summary?' + q);
    assertProblem(r, 422, 'invalid-value', q.slice(0, 60));
  }
  for (const q of ['format=pdf', 'format=', 'from=1', 'org=x']) assertProblem(await get('analyst', '/reports/indicators?' + q), 422, 'invalid-value', q);
});

test('a supervisor gets only the own organisation\'s figures', async () => {
  const db = join(data, 'himoya.db');
  const count = (code) => Number(sqlite(db,
    `SELECT count(*) FROM cases c JOIN orgs o ON o.id = c.org_id WHERE o.code = '${code}'`).trim());
  const ngo = count('ngo-ozod'), iom = count('iom');
  assert.ok(ngo >= 11 && iom >= 11 && ngo !== iom, `demo cases: ngo ${ngo}, iom ${iom}`);
  let r = await get('ngo.supervisor', '/reports/summary?by=org');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.scope, 'own');
  assert.equal(r.json.total, ngo);
  assert.deepEqual(r.json.rows.map((x) => x.org), ['own']);
  r = await get('supervisor', '/reports/summary');
  assert.equal(r.json.total, iom);
  // Asking for every NGO, or for another kind, still gives the own figures only.
  r = await get('ngo.supervisor', '/reports/summary?org=NGO');
  assert.equal(r.json.total, ngo);
  r = await get('ngo.supervisor', '/reports/summary?org=IGO');
  assert.equal(r.json.total, 0);
  r = await get('ngo.supervisor', '/reports/indicators');
  assert.equal(r.json.scope, 'own');
  assert.ok(r.json.identified.total === null || r.json.identified.total <= ngo);
  checkSuppressed((await get('ngo.supervisor', '/reports/summary?by=sex,age_band')).json, 'ngo sex,age_band');
  // The analyst narrows to one kind of organisation.
  r = await get('analyst', '/reports/summary?org=own');
  near(r.json.total, iom, 11, 'org=own');
});

test('the figures follow a new case and a changed person', async () => {
  const before = (await get('supervisor', '/reports/summary')).json.total;
  const cw = as.caseworker;
  let r = await cw.req('POST', V1 + '/persons', { given_name: 'Мадина', family_name: 'Ҳасанова', gender: 'Feminine',
    birth_date: '2001-04-05', region_of_origin: 'TJ-KT' });
  assert.equal(r.status, 201, r.text);
  const pid = r.json.id;
  r = await cw.req('POST', `${V1}/persons/${pid}/consents`, { purpose: 'assistance', method: 'written' });
  assert.equal(r.status, 201, r.text);
  r = await cw.req('POST', V1 + '/cases', { person_id: pid, exploitation_types: ['ForcedLabour'], countries_of_exploitation: ['RU'] });
  assert.equal(r.status, 201, r.text);
  const after = (await get('supervisor', '/reports/summary')).json.total;
  assert.equal(after, before + 1);
  const db = join(data, 'himoya.db');
  const fact = () => sqlite(db, `SELECT sex, age_band, region FROM rp_cases WHERE person_id = '${pid}'`).trim();
  assert.equal(fact(), 'Feminine|' + ageBand('2001-04-05') + '|TJ-KT');
  r = await cw.req('GET', `${V1}/persons/${pid}`);
  r = await cw.req('PATCH', `${V1}/persons/${pid}`, { region_of_origin: 'TJ-SU' }, { 'if-match': `"${r.json.version}"` });
  assert.equal(r.status, 200, r.text);
  await get('supervisor', '/reports/summary');
  assert.match(fact(), /\|TJ-SU$/);
});

function ageBand(born) {
  const now = new Date();
  const b = new Date(born);
  let age = now.getUTCFullYear() - b.getUTCFullYear();
  if (now.getUTCMonth() < b.getUTCMonth() || (now.getUTCMonth() === b.getUTCMonth() && now.getUTCDate() < b.getUTCDate())) age--;
  const bands = [[8, '0--8'], [17, '9--17'], [20, '18--20'], [23, '21--23'], [26, '24--26'], [29, '27--29'],
    [38, '30--38'], [47, '39--47']];
  for (const [top, name] of bands) if (age <= top) return name;
  return '48+';
}

test('indicator report: JSON sections suppressed; CSV and XLSX', async () => {
  let r = await get('analyst', '/reports/indicators');
  assert.equal(r.status, 200, r.text);
  const ind = r.json;
  assert.equal(ind.k, 11);
  assert.equal(ind.protection, 'cell-key');
  for (const key of ['identified', 'identified_exploitation', 'assisted', 'referrals', 'hotline'])
    checkSuppressed({ ...ind[key], k: ind.k, protection: ind.protection }, key);
  checkSuppressed({ ...ind.trainings.participants, k: ind.k, protection: ind.protection }, 'trainings');
  assert.deepEqual(ind.identified.by, ['sex', 'age_band']);
  assert.deepEqual(ind.assisted.by, ['service_type']);
  assert.deepEqual(ind.referrals.by, ['agency_type', 'status']);
  assert.deepEqual(ind.hotline.by, ['channel', 'call_type']);
  const events = Number(sqlite(join(data, 'himoya.db'), 'SELECT count(*) FROM trainings').trim());
  assert.ok(events >= 1);
  near(ind.trainings.events, events, 11, 'events');
  assert.ok(ind.trainings.participants.total >= 11, 'demo trainings have participants');
  // The mean gain, independently from the database.
  const db = join(data, 'himoya.db');
  const [scored, gain] = sqlite(db,
    'SELECT count(*), sum(post_score - pre_score) FROM training_participants WHERE pre_score IS NOT NULL AND post_score IS NOT NULL')
    .trim().split('|').map(Number);
  near(ind.trainings.scored, scored, 11, 'scored');
  // In whole points for the analyst: an exact mean would tell how many were scored.
  assert.equal(ind.trainings.mean_gain, Math.round(gain / scored), `${ind.trainings.mean_gain} vs ${gain / scored}`);
  const re = ind.reintegration;
  assert.ok(re.closed > 0 && re.with_followup <= re.closed);
  assert.ok(Math.abs(re.share - re.with_followup / re.closed) < 0.001, 'the share of the published figures');
  // Closed cases, those with a reintegration follow-up done, and the
  // follow-ups overdue, independently from the database.
  const n = (sql) => Number(sqlite(db, sql).trim());
  const closed = n('SELECT count(*) FROM cases WHERE closed_on IS NOT NULL');
  const reint = n(`SELECT count(DISTINCT c.id) FROM cases c JOIN items i ON i.case_id = c.id WHERE c.closed_on IS NOT NULL
    AND i.kind = 'followup' AND i.status = 'done' AND i.coded LIKE '%"reintegration":true%'`);
  const today = new Date().toISOString().slice(0, 10);
  const overdue = n(`SELECT count(*) FROM items WHERE kind = 'followup' AND status = 'due' AND due < '${today}'`);
  assert.ok(closed >= 11 && reint >= 11 && overdue >= 11, `demo: ${closed} closed, ${reint} reintegrated, ${overdue} overdue`);
  near(re.closed, closed, 11, 'closed');
  if (re.with_followup < re.closed) near(re.with_followup, reint, 11, 'with_followup');
  near(ind.followups_overdue, overdue, 11, 'overdue');
  const assisted = n("SELECT count(DISTINCT case_id) FROM items WHERE kind = 'service' AND status IN ('in_progress', 'completed')");
  near(ind.assisted.total, assisted, 11, 'cases with a service delivered');
  const exploited = n(`SELECT count(*) FROM cases WHERE trafficking_status IN ('PossibleVictimOfTrafficking', 'ActualVictimOfTrafficking')`);
  near(ind.identified.total, exploited, 11, 'possible and actual victims');
  assert.equal(ind.identified_exploitation.total, ind.identified.total, 'the same cases, the same answer');

  r = await get('analyst', '/reports/indicators?format=csv');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /^text\/csv/);
  assert.match(r.headers.get('content-disposition') || '', /filename="indicators_\d{4}-\d{2}-\d{2}_\d{4}-\d{2}-\d{2}\.csv"/);
  assert.match(r.text, /Identified by sex and age/);
  assert.match(r.text, /\r\nProtection of small counts,Random rounding to a multiple of k \(cell key\),protection\r\n/);
  assert.doesNotMatch(r.text, /,x,/, 'nothing suppressed across organisations: perturbed');
  const own = await get('ngo.supervisor', '/reports/indicators?format=csv');
  // Hidden counts read "x", never "<k": a complement is not under k.
  assert.match(own.text, /,x,/, 'the own organisation: hidden cells as x');
  assert.doesNotMatch(own.text, /<\d/, 'no hidden count claims to be under k');
  assert.match(r.text, /People trained/);
  for (const line of r.text.split('\r\n')) assert.doesNotMatch(line, /^[=+\-@]/, 'no formula in a CSV cell');

  const res = await fetch(srv.url + V1 + '/reports/indicators?format=xlsx', { headers: { cookie: as.analyst.cookie } });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /spreadsheetml/);
  const bytes = new Uint8Array(await res.arrayBuffer());
  assert.equal(String.fromCharCode(bytes[0], bytes[1]), 'PK', 'a zip (XLSX) file');
});

// The indicator report as a file in the language asked for (issue 12):
// sheet names, headers, row names and the dimensions' values in Russian,
// the codes kept (a second header row of column codes, a codes sheet of
// every value shown), the period in the file's name; a language the
// server does not speak is a 422 naming lang.
test('the indicator report in Russian: CSV and XLSX with Russian words, codes kept', async () => {
  const q = 'from=2020-01-01&to=2026-06-30';
  const r = await get('ngo.supervisor', `/reports/indicators?format=csv&lang=ru&${q}`);
  assert.equal(r.status, 200, r.text);
  assert.match(r.headers.get('content-disposition') || '', /filename="indicators_2020-01-01_2026-06-30\.csv"/);
  const blocks = r.text.split('\r\n\r\n').map((b) => b.split('\r\n').filter(Boolean));
  const block = (title) => blocks.find((b) => b[0] === title);
  assert.deepEqual(block('Период').slice(1, 3), ['Параметр,Значение,Код', 'label,value,code']);
  assert.ok(block('Период').includes('Охват,Своя организация,scope'));
  const sexAge = block('Выявленные — пол и возраст');
  assert.ok(sexAge, 'the sex and age table has its Russian name: ' + blocks.map((b) => b[0]).join(' | '));
  assert.deepEqual(sexAge.slice(1, 3), ['Пол,Возрастная группа,Число', 'sex,age_band,count']);
  assert.ok(sexAge.slice(3).some((l) => /^(Женский|Мужской),\d+–\d+,/.test(l)), sexAge.join('\n'));
  assert.match(sexAge.at(-1), /^Итого,,/);
  const hotline = block('Обращения на горячую линию');
  assert.deepEqual(hotline.slice(1, 3), ['Канал,Тип звонка,Число', 'channel,call_type,count']);
  assert.ok(hotline.slice(3, -1).every((l) => !/^(phone|whatsapp|telegram|in_person),/.test(l)), 'channels by their Russian names');
  const codes = block('Коды');
  assert.deepEqual(codes.slice(1, 3), ['Столбец,Код,Название', 'column,code,label']);
  assert.ok(codes.includes('sex,Feminine,Женский'), codes.join('\n'));
  assert.ok(codes.includes('exploitation,ForcedLabour,Принудительный труд'), codes.join('\n'));
  assert.ok(codes.includes('age_band,18--20,18–20') || codes.some((l) => /^age_band,\d+--\d+,\d+–\d+$/.test(l)));
  for (const b of blocks.filter((x) => x[0] !== 'Коды')) {
    for (const line of b.slice(3)) assert.doesNotMatch(line, /^(Feminine|Masculine|ForcedLabour|\d+--\d+),/, 'no code where a label belongs');
  }
  for (const line of r.text.split('\r\n')) assert.doesNotMatch(line, /^[=+\-@]/, 'no formula in a CSV cell');

  const res = await fetch(`${srv.url}${V1}/reports/indicators?format=xlsx&lang=ru&${q}`, { headers: { cookie: as['ngo.supervisor'].cookie } });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-disposition') || '', /filename="indicators_2020-01-01_2026-06-30\.xlsx"/);
  const files = unzip(Buffer.from(await res.arrayBuffer()));
  const names = sheetNames(files);
  assert.deepEqual(names, ['Период', 'Выявленные — пол и возраст', 'Выявленные по статусу',
    'Выявленные — эксплуатация', 'Помощь по видам услуг', 'Перенаправления по органам',
    'Обращения на горячую линию', 'Уголовное преследование', 'Обученные', 'Другие показатели', 'Коды']);
  const rows = (i) => sheetRows(files[`xl/worksheets/sheet${i + 1}.xml`]).map((row) => row.map((c) => c.text));
  assert.deepEqual(rows(1).slice(0, 2), [['Пол', 'Возрастная группа', 'Число'], ['sex', 'age_band', 'count']]);
  assert.ok(rows(1).slice(2).some((row) => ['Женский', 'Мужской'].includes(row[0])), JSON.stringify(rows(1)));
  const identified = rows(2).slice(2, -1).map((row) => row[0]);
  assert.ok(identified.length > 0 && identified.every((x) => ['Официально установленные', 'Предполагаемые', 'Неизвестно'].includes(x)),
    identified.join(', '));
  const codeRows = rows(10);
  assert.deepEqual(codeRows.slice(0, 2), [['Столбец', 'Код', 'Название'], ['column', 'code', 'label']]);
  assert.ok(codeRows.some((row) => row.join('|') === 'sex|Feminine|Женский'), JSON.stringify(codeRows));
  assert.ok(codeRows.some((row) => row[0] === 'exploitation' && row[1] === 'ForcedLabour' && row[2] === 'Принудительный труд'));

  // Tajik and English name the same sheets in their words; a language
  // not served is refused.
  const tg = await get('ngo.supervisor', `/reports/indicators?format=csv&lang=tg&${q}`);
  assert.match(tg.text, /^Давра\r\n/);
  assert.match(tg.text, /\r\nҶинс,Гурӯҳи синну сол,Шумора\r\nsex,age_band,count\r\n/);
  const en = await get('ngo.supervisor', `/reports/indicators?format=csv&lang=en&${q}`);
  assert.match(en.text, /\r\nSex,Age band,Count\r\nsex,age_band,count\r\n/);
  for (const bad of ['de', 'RU', '']) {
    const p = await get('ngo.supervisor', `/reports/indicators?format=csv&lang=${bad}`);
    assertProblem(p, 422, 'invalid-value', `lang=${bad}`);
    assert.equal(p.json.field, 'lang');
  }
});

test('k comes from the configuration (report_k)', async () => {
  await srv.stop();
  writeConf(data, 'report_k = 5\n');
  srv = await serveDir(data);
  for (const login of Object.keys(as)) await signIn(login);
  const r = await get('analyst', '/reports/summary?by=sex,age_band');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.k, 5);
  checkSuppressed(r.json, 'k=5');
  writeConf(data, 'report_k = 1\n');
  const bad = run(['serve', '--data', data, '--listen', '127.0.0.1:1'], { timeout: 5000 });
  assert.equal(bad.signal, null, 'refused at once, not served');
  assert.notEqual(bad.code, 0, 'k under 2 is refused');
  assert.match(bad.err, /report_k/);
  writeConf(data, '');
});

// The reintegration mark of a case is set and cleared by its follow-ups
// alone (store/reports.c): a reintegration follow-up that stops being done
// clears it when it was the case's only one, and sets it again once done.
// The rows are changed behind the server, as any write of a follow-up
// does (the triggers mark it and its case); the next report refreshes.
test('reintegrated follows a reintegration follow-up undone and done again', async () => {
  const db = join(data, 'himoya.db');
  const q = (sql) => sqlite(db, 'PRAGMA busy_timeout = 5000; ' + sql).trim().split('\n').pop();
  const done = `i.kind = 'followup' AND i.status = 'done' AND i.coded LIKE '%"reintegration":true%'`;
  const fid = q(`SELECT i.id FROM items i WHERE ${done} AND (SELECT count(*) FROM items j
    WHERE j.case_id = i.case_id AND ${done.replaceAll('i.', 'j.')}) = 1 LIMIT 1`);
  assert.match(fid, /^[a-z0-9]{26}$/, 'the demo has a case with one reintegration follow-up done');
  const cid = q(`SELECT case_id FROM items WHERE id = '${fid}'`);
  const mark = async () => {
    assert.equal((await get('analyst', '/reports/indicators')).status, 200);
    return q(`SELECT reintegrated FROM rp_cases WHERE case_id = '${cid}'`);
  };
  const wrong = `SELECT count(*) FROM rp_cases c WHERE reintegrated != CASE WHEN EXISTS(SELECT 1 FROM items i
    WHERE i.case_id = c.case_id AND ${done}) THEN 1 ELSE 0 END`;
  assert.equal(await mark(), '1');
  q(`UPDATE items SET status = 'due' WHERE id = '${fid}'`);
  assert.equal(await mark(), '0', 'undone: the case has no reintegration follow-up done');
  assert.equal(q(wrong), '0');
  q(`UPDATE items SET status = 'done' WHERE id = '${fid}'`);
  assert.equal(await mark(), '1', 'done again');
  assert.equal(q(wrong), '0', 'every case as the definition says');
});
