// The exports on `himoya demo` data: the k-anonymised CTDC CSV checked
// independently here (every quasi-identifier combination counts >= k,
// every missing value is -99, suppressed rows cannot be singled out),
// the HTCDS CSV (the standard's header, pseudonymous ids, no name or
// phone), cases.xlsx read back with zlib (no formula, PII only with
// export.pii), who is refused what, hostile queries, injected formulas
// neutralised, and one audit entry per export.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { run, tempDir, serveDir, sqlite, poll } from '../lib/datadir.mjs';
import { Client, initArgs } from '../lib/server.mjs';
import { unzip, sheetRows } from '../lib/xlsx.mjs';
import { assertProblem, totpCode, totpStep, awaitFreshStep } from '../lib/hostile.mjs';

const V1 = '/api/v1';
const DEMO_PASSWORD = 'himoya-demo-2026';
const K = 11;
const codes = JSON.parse(readFileSync(join(process.cwd(), 'schema', 'codes.json'), 'utf8'));
const CTDC_COLUMNS = codes.ctdc_legacy_columns;
const QI = ['yearOfRegistration', 'gender', 'ageBroad', 'majorityStatus', 'majorityStatusAtExploit',
  'citizenship', 'CountryOfExploitation', 'typeOfExploitConcatenated'];
// The HTCDS header is checked column by column against the standard in
// exchange.test.mjs; here, by name.
const INJECTED = {
  given_name: '=HYPERLINK("http://x")',
  family_name: "+cmd|' /C calc'!A0",
  patronymic: '@SUM(1)',
};

let srv, dir;
const tok = {};

function token(login) {
  const t = run(['token', 'create', '--data', dir, '--login', login]);
  assert.equal(t.code, 0, t.err);
  return t.out.trim().split('\n').pop();
}

async function get(who, path) {
  const res = await fetch(srv.url + path, { headers: { authorization: 'Bearer ' + tok[who] } });
  const body = Buffer.from(await res.arrayBuffer());
  const text = body.toString('utf8');
  let json = null;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  return { status: res.status, headers: res.headers, body, text, json };
}

// RFC 4180, written independently of the server: quoted cells with
// doubled quotes, CRLF row ends.
function parseCsv(text) {
  const rows = [];
  let row = [], cell = '', i = 0, quoted = false;
  while (i < text.length) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i += 2; continue; }
      if (c === '"') { quoted = false; i++; continue; }
      cell += c; i++; continue;
    }
    if (c === '"' && cell === '') { quoted = true; i++; continue; }
    if (c === ',') { row.push(cell); cell = ''; i++; continue; }
    if (c === '\r' && text[i + 1] === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; i += 2; continue; }
    assert.notEqual(c, '\n', 'a bare LF outside quotes');
    cell += c; i++;
  }
  assert.equal(cell, '', 'the file ends with CRLF');
  assert.equal(row.length, 0, 'the file ends with CRLF');
  return rows;
}

function exportAudits() {
  return sqlite(join(dir, 'himoya.db'),
    "SELECT u.login || '|' || a.action || '|' || a.record || '|' || a.fields FROM audit a " +
    "JOIN users u ON u.id = a.user_id WHERE a.record LIKE 'exports/%' ORDER BY a.seq")
    .split('\n').filter(Boolean);
}

before(async () => {
  dir = join(tempDir(), 'demo');
  const r = run(['demo', '--data', dir, ...initArgs(), '--persons', '600', '--seed', '5'], { timeout: 120000 });
  assert.equal(r.code, 0, r.err);
  for (const login of ['supervisor', 'analyst', 'caseworker', 'admin', 'hotline', 'ngo.supervisor',
    'police.focal'])
    tok[login] = token(login);
  srv = await serveDir(dir);
});

after(async () => {
  if (srv) await srv.stop();
});

// ---- CTDC ------------------------------------------------------------------------

function checkCtdc(res) {
  assert.equal(res.status, 200, res.text);
  assert.match(res.headers.get('content-type'), /^text\/csv; charset=utf-8/);
  assert.match(res.headers.get('content-disposition'), /attachment; filename="ctdc.csv"/);
  const rows = parseCsv(res.text);
  assert.deepEqual(rows[0], CTDC_COLUMNS, 'the legacy columns of reference/codes.json, in order');
  const data = rows.slice(1);
  assert.equal(data.length, Number(res.headers.get('x-export-rows')));
  for (const [i, row] of data.entries()) {
    assert.equal(row.length, CTDC_COLUMNS.length, `row ${i}: every column`);
    for (const [j, v] of row.entries()) {
      assert.notEqual(v, '', `row ${i} ${CTDC_COLUMNS[j]}: a missing value is -99, never empty`);
      assert.ok(!/^[=+@\t\r-]/.test(v) || v === '-99', `row ${i} ${CTDC_COLUMNS[j]}: ${v}`);
    }
  }
  // Every combination of the quasi-identifiers, counted here.
  const idx = QI.map((q) => CTDC_COLUMNS.indexOf(q));
  assert.ok(idx.every((j) => j >= 0));
  const count = new Map();
  for (const row of data) {
    const key = JSON.stringify(idx.map((j) => row[j]));
    count.set(key, (count.get(key) || 0) + 1);
  }
  for (const [key, n] of count) assert.ok(n >= K, `combination ${key} occurs ${n} times (k = ${K})`);
  // Every subset of them too (the marginals of any cross-tabulation).
  for (let mask = 1; mask < (1 << idx.length); mask++) {
    const sub = idx.filter((_, b) => mask & (1 << b));
    const c = new Map();
    for (const row of data) {
      const key = JSON.stringify(sub.map((j) => row[j]));
      c.set(key, (c.get(key) || 0) + 1);
    }
    for (const [key, n] of c) assert.ok(n >= K, `marginal ${key}: ${n}`);
  }
  // Suppressed rows (every quasi-identifier -99) are k or more, or none:
  // no suppressed row can be told apart from the others.
  const allMissing = data.filter((row) => idx.every((j) => row[j] === '-99')).length;
  assert.ok(allMissing === 0 || allMissing >= K, `rows missing every quasi-identifier: ${allMissing}`);
  // Values come from the published code lists and bands.
  const ageCol = CTDC_COLUMNS.indexOf('ageBroad');
  const bands = new Set([...codes.ctdc_conventions.age_broad, '-99']);
  for (const row of data) assert.ok(bands.has(row[ageCol]), row[ageCol]);
  const g = CTDC_COLUMNS.indexOf('gender');
  for (const row of data) assert.ok(['Female', 'Male', 'Transgender/NonConforming', '-99'].includes(row[g]));
  for (const col of ['isForcedLabour', 'isSexualExploit', 'meansOfControlDebtBondage', 'recruiterRelationUnknown']) {
    const j = CTDC_COLUMNS.indexOf(col);
    for (const row of data) assert.ok(['0', '1', '-99'].includes(row[j]), `${col}: ${row[j]}`);
  }
  return data;
}

test('the analyst takes the CTDC export of every organisation, k-anonymous and -99 for missing', async () => {
  const res = await get('analyst', V1 + '/exports/ctdc.csv');
  const data = checkCtdc(res);
  assert.ok(data.length >= K, `rows: ${data.length}`);
  assert.equal(Number(res.headers.get('x-export-k')), K);
  // Only persons with a current consent to statistics: fewer rows than cases.
  const cases = Number(sqlite(join(dir, 'himoya.db'), 'SELECT count(*) FROM cases').trim());
  assert.ok(data.length + Number(res.headers.get('x-export-dropped')) < cases);
  // The supervisor's export is of the own organisation: no more rows.
  const own = checkCtdc(await get('supervisor', V1 + '/exports/ctdc.csv'));
  assert.ok(own.length <= data.length);
  // A period: only cases opened in it.
  const year = new Date().getUTCFullYear();
  const inYear = checkCtdc(await get('analyst', `${V1}/exports/ctdc.csv?from=${year}-01-01&to=${year}-12-31`));
  const yc = CTDC_COLUMNS.indexOf('yearOfRegistration');
  for (const row of inYear) assert.ok([String(year), '-99'].includes(row[yc]), row[yc]);
  const none = checkCtdc(await get('analyst', V1 + '/exports/ctdc.csv?from=2199-01-01'));
  assert.equal(none.length, 0);
});

test('the exports over every organisation are of whole months and do not count what they leave out', async () => {
  // Two exports a day apart, with the counts of the rows left out, gave the
  // victims of one day (an outside review).
  const day = new Date(Date.now() - 40 * 86400000).toISOString().slice(0, 10);
  const first = day.slice(0, 8) + '01';
  const [y, m] = day.split('-').map(Number);
  const last = `${day.slice(0, 8)}${new Date(Date.UTC(y, m, 0)).getUTCDate()}`;
  for (const path of ['/exports/ctdc.csv', '/exports/htcds.csv']) {
    const res = await get('analyst', `${V1}${path}?from=${day}&to=${day}`);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.headers.get('x-export-from'), first, path);
    assert.equal(res.headers.get('x-export-to'), last, path);
    assert.equal(res.headers.get('x-export-dropped'), null, path);
    assert.equal(res.headers.get('x-export-dropped-no-consent'), null, path);
    const month = await get('analyst', `${V1}${path}?from=${first}&to=${last}`);
    assert.equal(res.headers.get('x-export-rows'), month.headers.get('x-export-rows'), 'the same as the month');
  }
  // A supervisor's own organisation: the day asked, with the counts.
  const own = await get('supervisor', `${V1}/exports/ctdc.csv?from=${day}&to=${day}`);
  assert.equal(own.headers.get('x-export-from'), day);
  assert.equal(own.headers.get('x-export-to'), day);
  assert.notEqual(own.headers.get('x-export-dropped'), null);
  assert.notEqual(own.headers.get('x-export-dropped-no-consent'), null);
});

test('who may not export is refused, and bad periods are refused before any work', async () => {
  for (const [who, path] of [
    ['analyst', '/exports/cases.xlsx'], ['caseworker', '/exports/htcds.xlsx'],
    ['caseworker', '/exports/htcds.csv'], ['caseworker', '/exports/cases.xlsx'],
    ['caseworker', '/exports/ctdc.csv'], ['hotline', '/exports/cases.xlsx'],
    ['admin', '/exports/htcds.csv'], ['admin', '/exports/ctdc.csv'], ['police.focal', '/exports/cases.xlsx'],
  ]) {
    const res = await get(who, V1 + path);
    assertProblem(res, 403, 'forbidden', `${who} ${path}`);
  }
  const anon = await fetch(srv.url + V1 + '/exports/ctdc.csv');
  assert.equal(anon.status, 401);
  for (const q of ['from=2024-02-30', 'to=yesterday', 'from=2025-01-02&to=2025-01-01', 'from=2025-1-1',
    'to=' + 'x'.repeat(5000)]) {
    for (const p of ['/exports/ctdc.csv', '/exports/htcds.csv', '/exports/cases.xlsx']) {
      const who = p.endsWith('ctdc.csv') ? 'analyst' : 'supervisor';
      assertProblem(await get(who, `${V1}${p}?${q}`), 422, 'invalid-value', `${p}?${q.slice(0, 30)}`);
    }
  }
  assertProblem(await get('supervisor', V1 + '/exports/cases.xlsx?pii=yes'), 422, 'invalid-value');
  // Without a second factor (a bearer token), no personal data.
  assertProblem(await get('supervisor', V1 + '/exports/cases.xlsx?pii=1'), 403, 'forbidden');
  // Writes are not routes of the exports.
  const post = await fetch(srv.url + V1 + '/exports/ctdc.csv', { method: 'POST',
    headers: { authorization: 'Bearer ' + tok.analyst } });
  assert.ok([404, 405].includes(post.status), String(post.status));
});

// ---- HTCDS -----------------------------------------------------------------------

test('HTCDS: the standard\'s field names, pseudonymous ids, no names, phones or internal ids', async () => {
  const res = await get('supervisor', V1 + '/exports/htcds.csv');
  assert.equal(res.status, 200, res.text);
  assert.match(res.headers.get('content-type'), /^text\/csv/);
  const rows = parseCsv(res.text);
  const HTCDS_COLUMNS = rows[0];
  const col = (name) => { const j = HTCDS_COLUMNS.indexOf(name); assert.ok(j >= 0, name); return j; };
  for (const old of ['prs_Nationality', 'vic_LabourIndustry', 'vic_CountriesOfExploitation', 'cas_Id', 'prs_Id'])
    assert.ok(!HTCDS_COLUMNS.includes(old), `${old}: not a 2.0 field`);
  const data = rows.slice(1);
  assert.ok(data.length > 0);
  assert.equal(data.length, Number(res.headers.get('x-export-rows')));
  for (const row of data) {
    assert.equal(row.length, HTCDS_COLUMNS.length);
    assert.match(row[col('hmy_CaseId')], /^[0-9a-f]{32}$/, 'a case pseudonym');
    assert.match(row[col('hmy_PersonId')], /^[0-9a-f]{32}$/, 'a person pseudonym');
    assert.equal(row[col('org_Type')], 'NGO', 'org_Type: IOM (IGO) as a 2.0 type');
    assert.equal(row[col('hmy_OrgType')], 'IGO', 'the original type beside it');
    for (const v of row) assert.ok(!/^[=+@\t\r-]/.test(v), v);
  }
  assert.equal(new Set(data.map((r) => r[0])).size, data.length, 'one row per case');
  // Stable across exports of the installation.
  const again = parseCsv((await get('supervisor', V1 + '/exports/htcds.csv')).text).slice(1);
  assert.deepEqual(again.map((r) => r[0]).sort(), data.map((r) => r[0]).sort());

  // No name, phone, document or internal id of the organisation's persons.
  const list = await get('supervisor', V1 + '/cases?limit=40');
  assert.equal(list.status, 200, list.text);
  let checked = 0;
  for (const c of list.json.items) {
    assert.ok(!res.text.includes(c.id), 'no internal case id');
    assert.ok(!res.text.includes(c.person_id), 'no internal person id');
    const p = await get('supervisor', `${V1}/persons/${c.person_id}`);
    assert.equal(p.status, 200, p.text);
    for (const f of ['given_name', 'family_name', 'patronymic']) {
      const v = p.json[f];
      if (typeof v === 'string' && v.length >= 3) {
        assert.ok(!res.text.includes(v), `${f} ${v} is not exported`);
        checked++;
      }
    }
    for (const ph of p.json.phones || []) {
      assert.ok(!res.text.includes(ph), 'no phone');
      assert.ok(!res.text.includes(ph.replace(/\D/g, '')), 'no phone digits');
    }
    for (const d of p.json.identity_documents || []) assert.ok(!res.text.includes(d.number), 'no document');
    if (p.json.birth_date) assert.ok(!res.text.includes(p.json.birth_date), 'no birth date');
  }
  assert.ok(checked >= 20, `names checked: ${checked}`);

  // Another organisation's supervisor exports other cases only.
  const ngo = parseCsv((await get('ngo.supervisor', V1 + '/exports/htcds.csv')).text);
  assert.deepEqual(ngo[0], HTCDS_COLUMNS);
  const mine = new Set(data.map((r) => r[0]));
  for (const r of ngo.slice(1)) {
    assert.ok(!mine.has(r[0]), 'no case of another organisation');
    assert.equal(r[col('org_Type')], 'NGO');
    assert.equal(r[col('hmy_OrgType')], '', 'an NGO needs no mapping');
  }
});

// ---- cases.xlsx, injected formulas, PII with a second factor ----------------------

test('cases.xlsx: rows of the own organisation, no formula, PII only with export.pii', async () => {
  // A person whose names are formulas, with the consents and a case.
  const cw = new Client(srv.url);
  assert.equal((await cw.login('caseworker', DEMO_PASSWORD)).status, 200);
  const p = await cw.req('POST', V1 + '/persons', { ...INJECTED, gender: 'Feminine', citizenship: 'TJ',
    birth_date: '1990-05-04', phones: ['+992 93 555 12 34'] });
  assert.equal(p.status, 201, p.text);
  for (const purpose of ['assistance', 'statistics']) {
    const c = await cw.req('POST', `${V1}/persons/${p.json.id}/consents`, { purpose, method: 'written' });
    assert.equal(c.status, 201, c.text);
  }
  const kase = await cw.req('POST', V1 + '/cases', { person_id: p.json.id });
  assert.equal(kase.status, 201, kase.text);

  const res = await get('supervisor', V1 + '/exports/cases.xlsx');
  assert.equal(res.status, 200, res.text);
  assert.equal(res.headers.get('content-type'),
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  assert.equal(res.body.subarray(0, 2).toString('latin1'), 'PK');
  const files = unzip(res.body);
  const xml = files['xl/worksheets/sheet1.xml'];
  assert.ok(xml, Object.keys(files).join(' '));
  assert.ok(!/<f[\s>]/.test(xml), 'no formula element');
  const rows = sheetRows(xml);
  const head = rows[0].map((c) => c.text);
  assert.equal(head[0], 'case_id');
  assert.ok(!head.includes('given_name') && !head.includes('phones'), 'no PII columns without pii=1');
  assert.equal(rows.length - 1, Number(res.headers.get('x-export-rows')));
  const ids = rows.slice(1).map((r) => r[0].text);
  assert.ok(ids.includes(kase.json.id), 'the new case is a row');
  for (const v of Object.values(INJECTED)) assert.ok(!xml.includes(v.slice(1, 8)), 'no names');
  // Every case is of the supervisor's organisation (IOM).
  const iom = sqlite(join(dir, 'himoya.db'), "SELECT count(*) FROM cases c JOIN orgs o ON o.id = c.org_id " +
    "WHERE o.code = 'iom'").trim();
  assert.equal(rows.length - 1, Number(iom));

  // The supervisor signs in, enrols a second factor in that session and
  // may then take the personal columns.
  const sup = new Client(srv.url);
  assert.equal((await sup.login('supervisor', DEMO_PASSWORD)).status, 200);
  const before = await sup.req('GET', V1 + '/exports/cases.xlsx?pii=1');
  assertProblem(before, 403, 'forbidden', 'no second factor yet');
  const en = await sup.req('POST', V1 + '/me/totp', {});
  assert.equal(en.status, 200, en.text);
  await awaitFreshStep(8);
  const conf = await sup.req('POST', V1 + '/me/totp/confirm', { code: totpCode(en.json.secret, totpStep()) });
  assert.equal(conf.status, 200, conf.text);
  const piiRes = await fetch(srv.url + V1 + '/exports/cases.xlsx?pii=1', { headers: { cookie: sup.cookie } });
  assert.equal(piiRes.status, 200);
  const pii = unzip(Buffer.from(await piiRes.arrayBuffer()))['xl/worksheets/sheet1.xml'];
  assert.ok(!/<f[\s>]/.test(pii), 'no formula element with PII either');
  const prow = sheetRows(pii);
  const ph = prow[0].map((c) => c.text);
  for (const f of ['given_name', 'family_name', 'patronymic', 'birth_date', 'phones']) assert.ok(ph.includes(f), f);
  const mine = prow.find((r) => r[0].text === kase.json.id);
  assert.ok(mine, 'the injected person\'s row');
  for (const [f, v] of Object.entries(INJECTED)) {
    const cell = mine[ph.indexOf(f)];
    assert.equal(cell.text, v, `${f} kept as text`);
    assert.match(cell.attrs, /t="(inlineStr|s|str)"/, `${f}: a string cell`);
    assert.equal(cell.formula, false);
  }
  assert.equal(mine[ph.indexOf('birth_date')].text, '1990-05-04');
  // A bearer token of the same supervisor is still refused PII.
  assertProblem(await get('supervisor', V1 + '/exports/cases.xlsx?pii=1'), 403, 'forbidden');

  // The CSV exports never carry the names; the person is in them as codes.
  for (const [who, path] of [['supervisor', '/exports/htcds.csv'], ['analyst', '/exports/ctdc.csv']]) {
    const csv = (await get(who, V1 + path)).text;
    for (const v of Object.values(INJECTED)) {
      assert.ok(!csv.includes(v), `${path}: ${v}`);
      assert.ok(!csv.includes(v.slice(1)), `${path}: ${v}`);
    }
    for (const row of parseCsv(csv).slice(1))
      for (const cell of row) assert.ok(!/^[=+@\t\r]/.test(cell) && (!cell.startsWith('-') || cell === '-99'));
  }
  // The reading of each person's PII is in the person's trail.
  const reads = await poll(() => Number(sqlite(join(dir, 'himoya.db'),
    `SELECT count(*) FROM audit WHERE action = 'reads' AND fields LIKE '%persons/${p.json.id}%'`).trim()),
  { timeout: 3000, every: 100 });
  assert.ok(reads >= 1, 'the PII export is audited per person');
});

// ---- the audit -------------------------------------------------------------------

test('every export leaves one audit entry: who, what, period, rows', async () => {
  const beforeN = exportAudits().length;
  const c = await get('analyst', `${V1}/exports/ctdc.csv?from=2020-01-01&to=2030-12-31`);
  assert.equal(c.status, 200);
  const h = await get('supervisor', `${V1}/exports/htcds.csv?from=2021-03-01`);
  assert.equal(h.status, 200);
  const x = await get('supervisor', `${V1}/exports/cases.xlsx?to=2030-01-01`);
  assert.equal(x.status, 200);
  assertProblem(await get('analyst', V1 + '/exports/cases.xlsx'), 403, 'forbidden');
  assertProblem(await get('supervisor', V1 + '/exports/ctdc.csv?from=bad'), 422, 'invalid-value');
  const after = exportAudits();
  assert.equal(after.length, beforeN + 3, 'refused exports leave none');
  const [a1, a2, a3] = after.slice(-3);
  // Over every organisation: whole months, up to today (the programme's).
  assert.match(a1, new RegExp(`^analyst\\|export\\|exports/ctdc\\|from=2020-01-01,to=\\d{4}-\\d{2}-\\d{2},rows=${c.headers.get('x-export-rows')},k=11,suppressed=\\d+,dropped=\\d+`));
  assert.match(a2, new RegExp(`^supervisor\\|export\\|exports/htcds\\|from=2021-03-01,to=,rows=${h.headers.get('x-export-rows')}$`));
  assert.match(a3, new RegExp(`^supervisor\\|export\\|exports/cases\\|from=,to=2030-01-01,rows=${x.headers.get('x-export-rows')},pii=0$`));
  assert.ok(exportAudits().some((l) => /exports\/cases\|.*pii=1$/.test(l)), 'the PII export');
  await srv.stop();
  assert.equal(run(['audit', 'verify', '--data', dir]).code, 0);
  srv = await serveDir(dir);
});
