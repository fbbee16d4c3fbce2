// Data exchange end to end, on records registered through the API only
// (no demo data): persons, consents, cases and status decisions made as a
// case worker and a supervisor would, then found in both exports.  The
// HTCDS CSV is read back and every column and value checked against the
// standard's own field list (../shared/reference/htcds-2.0-fields.csv);
// the CTDC CSV against k, CTDC's code lists, no non-victim and no person
// twice.  And a demo-made and an API-made person, consent and case are
// stored alike (the exports once matched only the demo's consent shape).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { inflateRawSync } from 'node:zlib';
import { startServer, signInAll, initArgs } from '../lib/server.mjs';
import { run, sqlite } from '../lib/datadir.mjs';
import { assertProblem } from '../lib/hostile.mjs';

const V1 = '/api/v1';
const PW = 'exchange test password';
const K = 11;
const users = [['cw', 'caseworker'], ['sup', 'supervisor'], ['an', 'analyst'], ['hot', 'hotline']]
  .map(([login, role]) => ({ login, role, password: PW }));

// The reference files sit beside the project (../shared); a git worktree
// is one level further down.
function reference(name) {
  for (const base of ['..', join('..', '..')]) {
    const p = join(process.cwd(), base, 'shared', 'reference', name);
    if (existsSync(p)) return readFileSync(p, 'utf8');
  }
  throw new Error('reference file not found: ' + name);
}
const codes = JSON.parse(reference('codes.json'));
const HTCDS = new Map(reference('htcds-2.0-fields.csv').trim().split(/\r?\n/).slice(1).map((line) => {
  const [field, core, type, ...rest] = line.split(',');
  return [field, { core, type, values: rest.join(',') }];
}));
const TOOLKIT = reference('htcds-2.0-toolkit-columns.txt').split(/\r?\n/).map((l) => l.trim())
  .filter((l) => l && !l.startsWith('#'))
  .map((c) => (c === 'vic_TraffickinStatusDecisionMakingOrg' ? 'vic_TraffickingStatusDecisionMakingOrg' : c));

let srv;
const as = {};
const day = (offset) => new Date(Date.now() + offset * 86400000).toISOString().slice(0, 10);
const today = () => day(0);

before(async () => {
  srv = await startServer({ users });
  await signInAll(srv, users, PW, as);
});

after(async () => {
  if (srv) {
    await srv.stop();
    srv.cleanup();
  }
});

// RFC 4180, written independently of the server.
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
    cell += c; i++;
  }
  return rows;
}

const objects = (rows) => rows.slice(1).map((r) => Object.fromEntries(rows[0].map((c, j) => [c, r[j]])));

async function ok(who, method, path, body, status = 201) {
  const r = await as[who].req(method, V1 + path, body);
  assert.equal(r.status, status, `${method} ${path}: ${r.text}`);
  return r.json;
}

// ---- registering through the API ---------------------------------------------

const BORN = '1990-03-01';
const STARTED = '2020-01-10';

async function register({ gender = 'Masculine', stats = true, decision = 'ActualVictimOfTrafficking',
  cases = 1, name }) {
  const p = await ok('cw', 'POST', '/persons', {
    given_name: name, family_name: 'Тестов', gender, citizenship: 'TJ', birth_date: BORN,
    education: 'BachelorOrEquivalentLevel', region_of_origin: 'TJ-DU', marital_status: 'Single',
  });
  await ok('cw', 'POST', `/persons/${p.id}/consents`, { purpose: 'assistance', method: 'written' });
  if (stats)
    await ok('cw', 'POST', `/persons/${p.id}/consents`, { purpose: 'statistics', method: 'written' });
  const ids = [];
  for (let i = 0; i < cases; i++) {
    const body = {
      person_id: p.id, exploitation_types: ['ForcedLabour'], labour_sector: 'F',
      countries_of_exploitation: ['RU', 'KZ'], means_of_control: ['DebtBondage', 'WithholdsDocuments'],
      recruitment_method: 'ThroughFriendsOrSocialEvents', recruiter_relation: 'Acquainted',
      perpetrator_roles: ['Kidnapper', 'Exploiter'], exploitation_start: STARTED,
      trafficking_events: [{ type: 'Recruitment', country: 'TJ', date: '2019-12-01' },
        { type: 'Exploitation', country: 'RU', date: STARTED }],
    };
    if (i) body.previous_case_id = ids[i - 1];
    const c = await ok('cw', 'POST', '/cases', body);
    ids.push(c.id);
    // Isolation and confinement at destination: movement restricted.
    await ok('cw', 'POST', `/cases/${c.id}/screenings`,
      { instrument: 'delphi-adult-labour', answers: { 'D5-S3': 'yes', 'D4-S1': 'yes' } });
    if (decision)
      await ok('sup', 'POST', `/cases/${c.id}/status-decisions`,
        { status: decision, date: today() });
  }
  return { id: p.id, name, cases: ids };
}

const people = { victims: [], others: [] };

test('persons, consents, cases and decisions registered through the API', async () => {
  for (let i = 0; i < 13; i++) people.victims.push(await register({ name: `Жертва${i}` }));
  // Re-trafficked: two victim cases, one person.
  people.victims.push(await register({ name: 'Дубль', cases: 2, decision: 'PossibleVictimOfTrafficking' }));
  for (let i = 0; i < 3; i++)
    people.others.push(await register({ name: `Нежертва${i}`, gender: 'Feminine', decision: 'NotAVictimOfTrafficking' }));
  people.others.push(await register({ name: 'Нерешено', gender: 'Feminine', decision: null }));
  people.noConsent = [await register({ name: 'Безсогласия0', stats: false }),
    await register({ name: 'Безсогласия1', stats: false })];
  assert.equal(people.victims.length, 14);
});

// ---- HTCDS 2.0 -------------------------------------------------------------------

const ISO2 = /^[A-Z]{2}$/;

// Every column a 2.0 field or hmy_; every value one the standard allows.
function checkHtcds(rows) {
  const header = rows[0];
  assert.equal(new Set(header).size, header.length, 'no column twice');
  for (const col of header)
    assert.ok(HTCDS.has(col) || /^hmy_[A-Z][A-Za-z]+$/.test(col), `${col}: not an HTCDS 2.0 field`);
  for (const [i, row] of rows.slice(1).entries()) {
    assert.equal(row.length, header.length, `row ${i}`);
    for (const [j, v] of row.entries()) {
      const f = HTCDS.get(header[j]);
      if (!f || v === '') continue;
      const where = `row ${i} ${header[j]} = ${v}`;
      if (/Picklist/.test(f.type)) {
        const parts = /Multiselect/.test(f.type) || header[j].startsWith('hte_') ? v.split(';') : [v];
        if (/ISO 3166/.test(f.values)) parts.forEach((x) => assert.match(x, ISO2, where));
        else if (!/ISO 639/.test(f.values)) {
          const allowed = new Set(f.values.split(';'));
          parts.forEach((x) => assert.ok(allowed.has(x), where));
        }
      } else if (f.type === 'Date') {
        v.split(header[j].startsWith('hte_') ? ';' : '\u0000')
          .forEach((x) => assert.match(x, /^\d{4}-\d{2}-\d{2}$/, where));
      } else if (f.type === 'Number') {
        assert.match(v, /^\d+$/, where);
      } else if (header[j] === 'hte_Country') {
        v.split(';').forEach((x) => assert.match(x, ISO2, where));
      }
    }
  }
}

test('HTCDS CSV: 2.0 fields and values only, the registered cases found, pseudonymous', async () => {
  const res = await as.sup.req('GET', V1 + '/exports/htcds.csv');
  assert.equal(res.status, 200, res.text);
  const rows = parseCsv(res.text);
  checkHtcds(rows);
  const data = objects(rows);
  // Every case of a person consenting to statistics, and no other.
  const withStats = [...people.victims, ...people.others];
  assert.equal(data.length, withStats.reduce((n, p) => n + p.cases.length, 0));
  assert.equal(Number(res.headers.get('x-export-rows')), data.length);
  for (const p of [...withStats, ...people.noConsent]) {
    assert.ok(!res.text.includes(p.name), 'no name');
    assert.ok(!res.text.includes(p.id), 'no internal person id');
    for (const c of p.cases) assert.ok(!res.text.includes(c), 'no internal case id');
  }
  assert.ok(!res.text.includes(BORN), 'no date of birth');
  const victim = data.find((r) => r.vic_TraffickingStatus === 'ActualVictimOfTrafficking');
  assert.equal(victim.org_Type, 'NGO', 'IGO is no 2.0 org_Type');
  assert.equal(victim.hmy_OrgType, 'IGO', 'the original type beside it');
  // HTCDS core con_Consent: each row rests on a standing consent.
  assert.ok(data.every((r) => r.con_Consent === 'true'), 'con_Consent on every row');
  assert.equal(victim.prs_HighestLevelOfEducation, 'BachelorsOrEquivalentLevel');
  assert.equal(victim.vic_ForcedLabourIndustry, 'F_Construction');
  assert.equal(victim.prs_Citizenship, 'TJ');
  assert.equal(victim.vic_LocationOfExploitation, 'RU;KZ');
  assert.equal(victim.vic_MethodsOfControl, 'DebtBondage;WithholdsDocuments');
  // Decided by IOM's supervisor: IOM's own assessment (issue 15).
  assert.equal(victim.vic_TraffickingStatusDecisionMakingOrg, 'Other');
  assert.equal(victim.vic_AgeWhenTrafficked, '29');
  assert.equal(victim.hte_Type, 'Recruitment;Exploitation');
  assert.equal(victim.hte_Country, 'TJ;RU');
  assert.match(victim.hmy_CaseId, /^[0-9a-f]{32}$/);
  assert.match(victim.hmy_PersonId, /^[0-9a-f]{32}$/);
  assert.equal(new Set(data.map((r) => r.hmy_CaseId)).size, data.length, 'one row per case');
  // The re-trafficked person: two rows, one pseudonym, the later naming the earlier.
  const twice = data.filter((r) => r.hmy_PreviousCaseId);
  assert.equal(twice.length, 1);
  const first = data.find((r) => r.hmy_CaseId === twice[0].hmy_PreviousCaseId);
  assert.ok(first, 'the earlier case is exported under the same pseudonym');
  assert.equal(first.hmy_PersonId, twice[0].hmy_PersonId);
  assert.equal(data.filter((r) => r.vic_TraffickingStatus === 'NotAVictimOfTrafficking').length, 3);

  // The analyst: every organisation, the same pseudonyms, never cases.xlsx.
  const an = await as.an.req('GET', V1 + '/exports/htcds.csv');
  assert.equal(an.status, 200, an.text);
  const anRows = parseCsv(an.text);
  checkHtcds(anRows);
  assert.deepEqual(objects(anRows).map((r) => r.hmy_CaseId).sort(), data.map((r) => r.hmy_CaseId).sort());
  assertProblem(await as.an.req('GET', V1 + '/exports/cases.xlsx'), 403, 'forbidden');
  assertProblem(await as.cw.req('GET', V1 + '/exports/htcds.csv'), 403, 'forbidden');
  assertProblem(await as.sup.req('GET', V1 + '/exports/htcds.xlsx?from=2024-02-30'), 422, 'invalid-value');
});

// The first sheet of an xlsx file: its rows of shared or inline strings.
function xlsxRows(buf) {
  let eocd = buf.length - 22;
  while (eocd >= 0 && buf.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  const count = buf.readUInt16LE(eocd + 10);
  let off = buf.readUInt32LE(eocd + 16);
  const files = {};
  for (let i = 0; i < count; i++) {
    const method = buf.readUInt16LE(off + 10), csize = buf.readUInt32LE(off + 20);
    const nlen = buf.readUInt16LE(off + 28), elen = buf.readUInt16LE(off + 30), clen = buf.readUInt16LE(off + 32);
    const loff = buf.readUInt32LE(off + 42);
    const name = buf.subarray(off + 46, off + 46 + nlen).toString('utf8');
    const data = loff + 30 + buf.readUInt16LE(loff + 26) + buf.readUInt16LE(loff + 28);
    const raw = buf.subarray(data, data + csize);
    files[name] = (method === 0 ? raw : inflateRawSync(raw)).toString('utf8');
    off += 46 + nlen + elen + clen;
  }
  const shared = [...(files['xl/sharedStrings.xml'] || '').matchAll(/<si>(.*?)<\/si>/gs)]
    .map((m) => [...m[1].matchAll(/<t[^>]*>(.*?)<\/t>/gs)].map((t) => t[1]).join(''));
  const sheet = files['xl/worksheets/sheet1.xml'];
  const colOf = (ref) => [...ref.replace(/\d+$/, '')].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0) - 1;
  return [...sheet.matchAll(/<row[^>]*>(.*?)<\/row>/gs)].map((m) => {
    const row = [];
    for (const c of m[1].matchAll(/<c ([^>]*?)(?:\/>|>(.*?)<\/c>)/gs)) {
      const ref = /r="([A-Z]+\d+)"/.exec(c[1])[1];
      const v = /<v>(.*?)<\/v>/s.exec(c[2] || '');
      const t = /<t[^>]*>(.*?)<\/t>/s.exec(c[2] || '');
      row[colOf(ref)] = / t="s"/.test(' ' + c[1]) && v ? shared[Number(v[1])] : t ? t[1] : v ? v[1] : '';
    }
    return Array.from(row, (x) => x ?? '');
  });
}

test('HTCDS xlsx: the toolkit\'s columns first, in its order, then the same rows as the CSV', async () => {
  const res = await fetch(srv.url + V1 + '/exports/htcds.xlsx', { headers: { cookie: as.sup.cookie } });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /spreadsheetml/);
  const rows = xlsxRows(Buffer.from(await res.arrayBuffer()));
  assert.deepEqual(rows[0].slice(0, TOOLKIT.length), TOOLKIT);
  const csv = parseCsv((await as.sup.req('GET', V1 + '/exports/htcds.csv')).text);
  assert.deepEqual([...rows[0]].sort(), [...new Set([...TOOLKIT, ...csv[0]])].sort());
  assert.equal(rows.length, csv.length);
  const consent = rows[0].indexOf('con_Consent');
  for (const r of rows.slice(1)) assert.equal(r[consent], 'true', 'the toolkit\'s con_Consent is filled');
  // The toolkit's personal columns stay blank.
  for (const col of ['prs_FirstName', 'prs_SecondName', 'prs_Birthdate', 'prs_MobilePhone']) {
    const j = rows[0].indexOf(col);
    for (const r of rows.slice(1)) assert.equal(r[j] || '', '', col);
  }
});

// ---- CTDC ------------------------------------------------------------------------

const QI = ['yearOfRegistration', 'gender', 'ageBroad', 'majorityStatus', 'majorityStatusAtExploit',
  'citizenship', 'CountryOfExploitation', 'typeOfExploitConcatenated'];

function checkCtdc(text) {
  const rows = parseCsv(text);
  assert.deepEqual(rows[0], codes.ctdc_legacy_columns);
  const data = objects(rows);
  const groups = new Map();
  for (const r of data) {
    const key = JSON.stringify(QI.map((q) => r[q]));
    groups.set(key, (groups.get(key) || 0) + 1);
    assert.ok(['-99', ...codes.ctdc_conventions.age_broad].includes(r.ageBroad), r.ageBroad);
    assert.ok(['-99', ...codes.ctdc_conventions.majority_status].includes(r.majorityStatus));
    assert.ok(['-99', ...codes.ctdc_conventions.majority_status].includes(r.majorityStatusAtExploit));
    assert.ok(['-99', 'Female', 'Male', 'Transgender/NonConforming'].includes(r.gender), r.gender);
    assert.ok(r.citizenship === '-99' || ISO2.test(r.citizenship), r.citizenship);
    assert.ok(r.CountryOfExploitation === '-99' || ISO2.test(r.CountryOfExploitation), 'one country');
    assert.ok(r.yearOfRegistration === '-99' || /^\d{4}$/.test(r.yearOfRegistration));
    for (const [c, v] of Object.entries(r)) {
      assert.notEqual(v, '', `${c}: -99 for missing`);
      if (/^(is|meansOfControl|typeOfLabour|typeOfSex|recruiterRelation)/.test(c) && !/Concatenated$/.test(c))
        assert.ok(['0', '1', '-99'].includes(v), `${c} = ${v}`);
    }
  }
  for (const [key, n] of groups) assert.ok(n >= K, `${key}: ${n} < k`);
  return data;
}

test('CTDC CSV: one row per victim, the newest case, k, CTDC\'s lists, no non-victim', async () => {
  const res = await as.an.req('GET', V1 + '/exports/ctdc.csv');
  assert.equal(res.status, 200, res.text);
  const data = checkCtdc(res.text);
  // 14 victims with a statistics consent: the re-trafficked one once, the
  // three non-victims and the undecided one not at all.
  assert.equal(data.length, people.victims.length);
  assert.equal(Number(res.headers.get('x-export-rows')), data.length);
  assert.equal(Number(res.headers.get('x-export-k')), K);
  // The counts of what the file leaves out are the own organisation's
  // (its supervisor's): over every organisation they counted a day's victims.
  assert.equal(res.headers.get('x-export-dropped-no-consent'), null);
  const own = await as.sup.req('GET', V1 + '/exports/ctdc.csv');
  assert.equal(Number(own.headers.get('x-export-dropped-no-consent')), people.noConsent.length);
  assert.ok(data.every((r) => r.gender === 'Male'), 'the non-victims (all women) are not exported');
  const r = data[0];
  assert.equal(r.yearOfRegistration, today().slice(0, 4));
  assert.equal(r.ageBroad, '30--38');
  assert.equal(r.majorityStatus, 'Adult');
  assert.equal(r.citizenship, 'TJ');
  assert.equal(r.CountryOfExploitation, 'RU');
  assert.equal(r.isForcedLabour, '1');
  assert.equal(r.isSexualExploit, '0');
  assert.equal(r.typeOfExploitConcatenated, 'ForcedLabour');
  assert.equal(r.typeOfLabourConstruction, '1');
  assert.equal(r.typeOfLabourConcatenated, 'Construction');
  assert.equal(r.typeOfSexProstitution, '-99');
  assert.equal(r.meansOfControlDebtBondage, '1');
  assert.equal(r.meansOfControlWithholdsDocuments, '1');
  assert.equal(r.meansOfControlThreats, '0');
  assert.equal(r.meansOfControlRestrictsMovement, '1', 'from the screening');
  assert.equal(r.meansOfControlConcatenated, 'DebtBondage;RestrictsMovement;WithholdsDocuments');
  assert.equal(r.meansOfControlNotSpecified, '0');
  assert.equal(r.isAbduction, '1');
  assert.equal(r.RecruiterRelationship, 'Friend');
  assert.equal(r.recruiterRelationFriend, '1');
  assert.equal(r.recruiterRelationUnknown, '0');

  // A victim whose statistics consent is withdrawn leaves the export.
  const gone = people.victims[0];
  const list = await ok('cw', 'GET', `/persons/${gone.id}/consents`, undefined, 200);
  const stat = list.items.find((c) => c.purpose === 'statistics');
  await ok('cw', 'POST', `/consents/${stat.id}/withdraw`, undefined, 200);
  const after = await as.an.req('GET', V1 + '/exports/ctdc.csv');
  const rest = checkCtdc(after.text);
  assert.equal(rest.length, people.victims.length - 1);
  const ownAfter = await as.sup.req('GET', V1 + '/exports/ctdc.csv');
  assert.equal(Number(ownAfter.headers.get('x-export-dropped-no-consent')), people.noConsent.length + 1);
});

// ---- one road to a row: the demo stores as the API does ----------------------------

// The columns and JSON shapes of persons, consents and cases in a database,
// as facts that must hold whoever wrote the rows.
function shapes(db) {
  const q = (sql) => sqlite(db, sql).trim().split('\n').filter(Boolean);
  const out = {};
  out.consentStatus = q("SELECT DISTINCT status FROM items WHERE kind = 'consent' ORDER BY 1");
  out.consentBad = q("SELECT id FROM items WHERE kind = 'consent' AND (" +
    "(status = 'withdrawn') <> (json_extract(coded, '$.withdrawn_on') IS NOT NULL)" +
    " OR coalesce(due, '') <> coalesce(json_extract(coded, '$.expires'), ''))");
  out.consentKeys = q("SELECT DISTINCT key FROM items, json_each(items.coded) WHERE kind = 'consent' ORDER BY 1");
  out.caseBad = q('SELECT id FROM cases WHERE ' + ['person_id', 'status', 'stage', 'opened_on']
    .map((c) => `${c} IS DISTINCT FROM json_extract(coded, '$.${c}')`).join(' OR ') +
    " OR coalesce(trafficking_status, '') <> coalesce(json_extract(coded, '$.trafficking_status'), '')");
  out.caseTypes = q('SELECT DISTINCT typeof(coded) || typeof(sealed) || typeof(status) FROM cases');
  out.personTypes = q('SELECT DISTINCT typeof(coded) || typeof(sealed) FROM persons');
  out.personKeysOk = q("SELECT DISTINCT key FROM persons, json_each(persons.coded) ORDER BY 1");
  // Every item kind: its columns are its record's, it sits on the timeline
  // at its own date (or when it was made, on that day), coded/sealed typed
  // alike.
  const cols = {
    note: { at: 'date' }, service: { status: 'status', at: 'start' },
    plan: { due: 'review_on', at: 'start' }, followup: { status: 'status', due: 'due', assigned_to: 'assigned_to' },
    status_decision: { status: 'status', at: 'date' }, screening: { status: 'suggestion' },
  };
  // Hotline contacts: the columns are the record's.
  out.contactBad = q("SELECT id FROM contacts WHERE channel IS DISTINCT FROM json_extract(coded, '$.channel')" +
    " OR call_type IS DISTINCT FROM json_extract(coded, '$.call_type') OR started_at IS DISTINCT FROM json_extract(coded, '$.started_at')" +
    " OR coalesce(duration_s, -1) IS DISTINCT FROM coalesce(CAST(json_extract(coded, '$.duration_s') AS INTEGER), -1)" +
    " OR coalesce(language, '') <> coalesce(json_extract(coded, '$.language'), '')" +
    " OR coalesce(action, '') <> coalesce(json_extract(coded, '$.action'), '')" +
    " OR operator_id IS DISTINCT FROM json_extract(coded, '$.operator')" +
    " OR topics <> ' ' || coalesce((SELECT group_concat(value, ' ') || ' ' FROM json_each(coded, '$.topics')), '')");
  out.contactCount = Number(q('SELECT count(*) FROM contacts')[0]);
  out.itemBad = {};
  out.itemKeys = {};
  out.itemTypes = {};
  for (const [kind, c] of Object.entries(cols)) {
    const where = [];
    for (const col of ['status', 'due', 'assigned_to'])
      where.push(`coalesce(${col}, '') <> coalesce(json_extract(coded, '$.${c[col] ?? '-'}'), '')`);
    if (c.at)
      where.push(`(json_extract(coded, '$.${c.at}') IS NOT NULL AND substr(at, 1, 10) <> json_extract(coded, '$.${c.at}'))`);
    out.itemBad[kind] = q(`SELECT id FROM items WHERE kind = '${kind}' AND (${where.join(' OR ')})`);
    out.itemKeys[kind] = q(`SELECT DISTINCT key FROM items, json_each(items.coded) WHERE kind = '${kind}' ORDER BY 1`);
    out.itemTypes[kind] = q(`SELECT DISTINCT typeof(coded) || typeof(sealed) FROM items WHERE kind = '${kind}'`);
  }
  return out;
}

test('a demo-made and an API-made person, consent and case are stored alike', async () => {
  // Through the API: a consent that expires, one withdrawn.
  const p = await register({ name: 'Формы', stats: false, decision: null });
  await ok('cw', 'POST', `/persons/${p.id}/consents`,
    { purpose: 'research', method: 'written', expires: day(300) });
  const w = await ok('cw', 'POST', `/persons/${p.id}/consents`, { purpose: 'referral', method: 'written' });
  await ok('cw', 'POST', `/consents/${w.id}/withdraw`, undefined, 200);
  // Every kind of item on a case, as a case worker records them (an
  // earlier date than today, so that the timeline's place shows).
  const c = (await ok('cw', 'POST', '/cases', { person_id: p.id, exploitation_types: ['ForcedLabour'] })).id;
  await ok('cw', 'POST', `/cases/${c}/screenings`,
    { instrument: 'delphi-adult-labour', answers: { 'D5-S3': 'yes', 'D4-S1': 'no' } });
  await ok('cw', 'POST', `/cases/${c}/notes`, { type: 'note', date: day(-20), text: 'Позвонила сама.' });
  const plan = await ok('cw', 'POST', `/cases/${c}/plans`, { type: 'SocialCare', start: day(-15), review_on: day(60),
    goals: [{ goal: 'Документы', due: day(30), status: 'open' }] });
  await ok('cw', 'POST', `/cases/${c}/services`, { type: 'medical', status: 'in_progress', start: day(-10),
    provider_org: 'iom', cost: 300, currency: 'TJS' });
  await ok('cw', 'POST', `/cases/${c}/followups`, { due: day(20), plan_id: plan.id, reintegration: false });
  await ok('sup', 'POST', `/cases/${c}/status-decisions`,
    { status: 'PossibleVictimOfTrafficking', date: day(-5) });
  await ok('hot', 'POST', '/contacts', { channel: 'phone', call_type: 'data', language: 'tg',
    topics: ['job_offer_check', 'legal'], action: 'info_given', started_at: day(-1) + 'T08:30:00Z' });
  await ok('hot', 'POST', '/contacts', { channel: 'phone', call_type: 'silent' });
  const dir = mkdtempSync(join(tmpdir(), 'himoya-shapes-'));
  try {
    const demoDb = join(dir, 'd', 'himoya.db');
    const r = run(['demo', '--data', join(dir, 'd'), ...initArgs(), '--persons', '60', '--seed', '3'], { timeout: 120000 });
    assert.equal(r.code, 0, r.err);
    const demo = shapes(demoDb), api = shapes(join(srv.data, 'himoya.db'));
    for (const s of [demo, api]) {
      assert.ok(s.consentStatus.every((v) => ['active', 'withdrawn'].includes(v)), s.consentStatus.join());
      assert.deepEqual(s.consentBad, [], 'status and due follow the consent');
      assert.deepEqual(s.caseBad, [], 'the columns of a case are its record');
    }
    assert.ok(demo.consentStatus.includes('active') && api.consentStatus.includes('active'));
    assert.ok(api.consentStatus.includes('withdrawn'));
    assert.deepEqual(demo.caseTypes, api.caseTypes);
    assert.deepEqual(demo.personTypes, api.personTypes);
    // Coded members: no personal field in clear, in either; the same keys.
    for (const k of [...demo.personKeysOk, ...api.personKeysOk])
      assert.ok(!['given_name', 'family_name', 'patronymic', 'birth_date', 'phones', 'address'].includes(k), k);
    for (const k of api.consentKeys) assert.ok(demo.consentKeys.includes(k) || k === 'expires', k);
    for (const s of [demo, api]) {
      assert.ok(s.contactCount > 0);
      assert.deepEqual(s.contactBad, [], 'a contact\'s columns are its record');
    }
    for (const kind of Object.keys(api.itemBad)) {
      assert.ok(api.itemKeys[kind].length && demo.itemKeys[kind].length, kind + ' made by both');
      for (const s of [demo, api])
        assert.deepEqual(s.itemBad[kind], [], kind + ': columns and place follow the record');
      for (const t of api.itemTypes[kind]) assert.ok(demo.itemTypes[kind].includes(t), `${kind}: ${t} only from the API`);
      for (const k of api.itemKeys[kind]) assert.ok(demo.itemKeys[kind].includes(k), `${kind}: ${k} only from the API`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
