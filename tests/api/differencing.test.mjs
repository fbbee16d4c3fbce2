// No pair of allowed questions recovers a small count (issue 10, finding
// #2 and its class), checked by brute force on `himoya demo` data whose
// true counts the test reads from the report facts (rp_cases, rp_codes,
// rp_services: an exact source, the same rows the server counts).
//
// The analyst's questions are enumerated: every dimension and the pairs
// of them a report needs, every filter (victims, each region, own and each
// organisation type), every period the analyst can name (the default, each
// year, each quarter, and every whole-month range of one year: the server
// counts the analyst's figures by whole months), and the indicator report
// over the same filters and periods.  Then:
//   - related pairs: for two questions of the same breakdown where one's
//     cases are a subset of the other's (a filter added, a shorter period),
//     no cell's published difference equals its true difference when that
//     is 1..k-1 (the attack of finding #2: victims=0 minus victims=1);
//   - every pair: no difference or sum of two published numbers, of any
//     answers, equals the true count of any cell under k (1..k-1) of any
//     question asked; no single answer publishes one either.
// A supervisor's figures of the own organisation stay exact.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { Client, initArgs } from '../lib/server.mjs';
import { run, tempDir, serveDir } from '../lib/datadir.mjs';

const PW = 'himoya-demo-2026';
const V1 = '/api/v1';
const K = 11;
let dir, data, srv, db;
const as = {};

function rows(sql) {
  const r = spawnSync('sqlite3', ['-json', db, sql], { encoding: 'utf8', timeout: 20000, maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error('sqlite3: ' + r.stderr);
  return r.stdout.trim() ? JSON.parse(r.stdout) : [];
}

before(async () => {
  dir = tempDir('himoya-diff-');
  data = join(dir, 'demo');
  const r = run(['demo', '--data', data, ...initArgs(), '--persons', '400', '--seed', '23'], { timeout: 120000 });
  assert.equal(r.code, 0, r.err);
  db = join(data, 'himoya.db');
  srv = await serveDir(data);
  for (const login of ['analyst', 'supervisor', 'ngo.supervisor']) {
    const c = new Client(srv.url);
    const res = await c.login(login, PW);
    assert.equal(res.status, 200, login + ': ' + res.text);
    as[login] = c;
  }
  // One report first, so that the facts are up to date before they are read.
  assert.equal((await as.analyst.req('GET', V1 + '/reports/summary')).status, 200);
});

after(async () => {
  if (srv) await srv.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

// Requests a few at a time.
async function pool(items, n, fn) {
  const out = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: n }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], i);
    }
  }));
  return out;
}

// ---- the true counts ----------------------------------------------------------

let facts; // { cases, own, codes: {exploitation: Map, country: Map}, services }

function loadFacts(ownOrgCode) {
  const own = rows(`SELECT id FROM orgs WHERE code = '${ownOrgCode}'`)[0].id;
  const cases = rows(`SELECT n, org_id, org_type, opened_on, status, stage, sex, age_band, region, nationality,
    trafficking_status FROM rp_cases`);
  const codes = { exploitation: new Map(), country: new Map() };
  for (const { dim, n, code } of rows('SELECT dim, n, code FROM rp_codes')) {
    const m = codes[dim];
    if (!m) continue;
    if (!m.has(n)) m.set(n, []);
    m.get(n).push(code);
  }
  const services = rows('SELECT n, type, on_date FROM rp_services');
  return { cases, own, codes, services };
}

const VICTIM = new Set(['PossibleVictimOfTrafficking', 'ActualVictimOfTrafficking']);

// The values of one case along a dimension (null: unknown), [] when the
// case does not count (no service in the period).
function values(c, dim, from, to) {
  switch (dim) {
    case 'month': return [c.opened_on.slice(0, 7)];
    case 'org': return [c.org_id === facts.own ? 'own' : c.org_type];
    case 'exploitation':
    case 'country': {
      const v = facts.codes[dim].get(c.n);
      return v ? [...new Set(v)] : [null];
    }
    case 'service_type': {
      const v = facts.services.filter((s) => s.n === c.n && s.on_date >= from && s.on_date <= to).map((s) => s.type);
      return [...new Set(v)];
    }
    default: return [c[dim] ?? null];
  }
}

// The exact table of a question, with the period the answer states:
// Map(JSON of the cell's values -> count), margins, total.
function truth(q, from, to) {
  const by = q.by ? q.by.split(',') : [];
  const service = by.includes('service_type');
  const cells = new Map();
  const margins = Object.fromEntries(by.map((d) => [d, new Map()]));
  let total = 0;
  for (const c of facts.cases) {
    if (!service && (c.opened_on < from || c.opened_on > to)) continue;
    if (q.victims === '1' && !VICTIM.has(c.trafficking_status)) continue;
    if (q.region && c.region !== q.region) continue;
    if (q.org === 'own' && c.org_id !== facts.own) continue;
    if (q.org && q.org !== 'own' && c.org_type !== q.org) continue;
    const vals = by.map((d) => values(c, d, from, to));
    if (vals.some((v) => v.length === 0)) continue;
    total++;
    by.forEach((d, j) => { for (const v of vals[j]) margins[d].set(v, (margins[d].get(v) || 0) + 1); });
    if (!by.length) continue;
    // every combination of the case's values
    const combos = vals.reduce((acc, vs) => acc.flatMap((a) => vs.map((v) => [...a, v])), [[]]);
    for (const combo of combos) {
      const key = JSON.stringify(combo);
      cells.set(key, (cells.get(key) || 0) + 1);
    }
  }
  return { cells, margins, total };
}

// ---- the questions ------------------------------------------------------------

const BYS = ['', 'sex', 'age_band', 'status', 'stage', 'month', 'region', 'org', 'nationality', 'trafficking_status',
  'exploitation', 'country', 'service_type', 'month,trafficking_status', 'month,sex', 'region,sex', 'org,sex',
  'sex,age_band', 'trafficking_status,region', 'exploitation,sex', 'service_type,sex', 'org,trafficking_status',
  'stage,status,org,sex'];

function query(q) {
  const p = new URLSearchParams();
  if (q.by) p.set('by', q.by);
  for (const f of ['victims', 'region', 'org', 'from', 'to']) if (q[f]) p.set(f, q[f]);
  return p.toString();
}

function questions() {
  const regions = [...new Set(facts.cases.map((c) => c.region).filter(Boolean))].sort();
  const types = [...new Set(facts.cases.map((c) => c.org_type))].sort();
  const years = [...new Set(facts.cases.map((c) => c.opened_on.slice(0, 4)))].sort();
  const filters = [{}, { victims: '0' }, { victims: '1' }, ...regions.map((region) => ({ region })),
    { org: 'own' }, ...types.map((org) => ({ org })), { victims: '1', region: regions[0] }, { victims: '1', org: 'own' }];
  const periods = [{}, ...years.map((y) => ({ from: `${y}-01-01`, to: `${y}-12-31` }))];
  const quarters = years.flatMap((y) => ['01', '04', '07', '10'].map((m) => {
    const end = { '01': '03-31', '04': '06-30', '07': '09-30', 10: '12-31' }[m];
    return { from: `${y}-${m}-01`, to: `${y}-${end}` };
  }));
  // Every whole-month range of the year with the most cases.
  const perYear = years.map((y) => [y, facts.cases.filter((c) => c.opened_on.startsWith(y)).length]);
  const busy = perYear.sort((a, b) => b[1] - a[1])[0][0];
  const months = [];
  for (let a = 1; a <= 12; a++)
    for (let b = a; b <= 12; b++) {
      const mm = (m) => String(m).padStart(2, '0');
      months.push({ from: `${busy}-${mm(a)}-01`, to: `${busy}-${mm(b)}-${b === 2 ? 28 : [4, 6, 9, 11].includes(b) ? 30 : 31}` });
    }
  const qs = [];
  for (const by of BYS) for (const f of filters) for (const p of periods) qs.push({ by, ...f, ...p });
  for (const by of ['', 'trafficking_status', 'sex', 'region'])
    for (const f of [{}, { victims: '1' }])
      for (const p of [...quarters, ...months]) qs.push({ by, ...f, ...p });
  return { qs, filters, periods: [...periods, ...quarters] };
}

// Every published number of an answer, keyed by cell.
function published(ans) {
  const by = ans.by;
  const cells = new Map();
  for (const r of ans.rows) cells.set(JSON.stringify(by.map((d) => r[d] ?? null)), r.count);
  const margins = Object.fromEntries(by.map((d) => [d, new Map()]));
  if (by.length === 1) for (const [key, n] of cells) margins[by[0]].set(JSON.parse(key)[0], n);
  else if (ans.margins) for (const d of by) for (const m of ans.margins[d]) margins[d].set(m[d] ?? null, m.count);
  return { cells, margins, total: ans.total };
}

// Every (published, true) pair of an answer: cells, margins, total.
function entries(pub, tru) {
  const out = [['total', pub.total, tru.total]];
  const keys = new Set([...pub.cells.keys(), ...tru.cells.keys()]);
  for (const key of keys) out.push(['cell ' + key, pub.cells.has(key) ? pub.cells.get(key) : 0, tru.cells.get(key) || 0]);
  for (const d of Object.keys(tru.margins)) {
    const vals = new Set([...pub.margins[d].keys(), ...tru.margins[d].keys()]);
    for (const v of vals)
      out.push([`margin ${d}=${v}`, pub.margins[d].has(v) ? pub.margins[d].get(v) : 0, tru.margins[d].get(v) || 0]);
  }
  return out;
}

// q2's cases are a subset of q1's (same breakdown).
function nested(q1, q2) {
  if (q1.victims === '1' && q2.victims !== '1') return false;
  if (q1.region && q1.region !== q2.region) return false;
  if (q1.org && q1.org !== q2.org) return false;
  return q2.from >= q1.from && q2.to <= q1.to;
}

test('the analyst: no difference or sum of two allowed answers gives a small true count', async () => {
  facts = loadFacts('iom');
  const { qs, filters, periods } = questions();
  const answers = await pool(qs, 4, async (q) => {
    const r = await as.analyst.req('GET', `${V1}/reports/summary?${query(q)}`);
    assert.equal(r.status, 200, `${query(q)}: ${r.text}`);
    assert.equal(r.json.scope, 'all');
    return r.json;
  });
  const small = new Map(); // true count under k -> a cell that has it
  const numbers = new Map(); // published number -> where
  const asked = answers.map((ans, i) => {
    const q = { ...qs[i], from: ans.from, to: ans.to };
    const tru = truth(q, ans.from, ans.to);
    const ent = entries(published(ans), tru);
    for (const [what, p, t] of ent) {
      if (t >= 1 && t < K && !small.has(t)) small.set(t, `${query(qs[i])} ${what}`);
      if (p !== null && !numbers.has(p)) numbers.set(p, `${query(qs[i])} ${what}`);
      assert.ok(p === null || p !== t || t === 0 || t >= K, `${query(qs[i])} ${what}: the small count ${t} is published`);
    }
    return { q, ent: new Map(ent.map(([what, p, t]) => [what, [p, t]])) };
  });
  assert.ok(small.size >= 5, 'the demo data has small cells: ' + [...small.keys()]);

  // Related pairs: the same breakdown, one question's cases within the other's.
  const byBy = new Map();
  for (const a of asked) {
    if (!byBy.has(a.q.by)) byBy.set(a.q.by, []);
    byBy.get(a.q.by).push(a);
  }
  const found = [];
  for (const group of byBy.values())
    for (const A of group)
      for (const B of group) {
        if (A === B || !nested(A.q, B.q)) continue;
        for (const [what, [pa, ta]] of A.ent) {
          const b = B.ent.get(what);
          const [pb, tb] = b || [0, 0];
          const d = ta - tb;
          if (d >= 1 && d < K && pa !== null && pb !== null && pa - pb === d)
            found.push(`${query(A.q)} minus ${query(B.q)}, ${what}: ${pa} - ${pb} = ${d}, the true count`);
        }
      }
  assert.deepEqual(found.slice(0, 10), [], `${found.length} small counts recovered by subtraction`);

  // Every pair of published numbers, of any answers.
  const hits = [];
  for (const [t, where] of small)
    for (const [a, at] of numbers) {
      if (numbers.has(a - t)) hits.push(`${a} (${at}) - ${a - t} (${numbers.get(a - t)}) = ${t}, the count of ${where}`);
      if (numbers.has(t - a)) hits.push(`${a} (${at}) + ${t - a} (${numbers.get(t - a)}) = ${t}, the count of ${where}`);
    }
  assert.deepEqual(hits.slice(0, 10), [], `${hits.length} pairs of published numbers give a small true count`);

  // The indicator report over the same filters and periods: its numbers
  // join the others, and no pair gives a small count either.
  const iq = [];
  for (const f of filters) if (!f.victims) for (const p of periods) iq.push({ ...f, ...p });
  const ind = await pool(iq, 4, async (q) => {
    const r = await as.analyst.req('GET', `${V1}/reports/indicators?${query(q)}`);
    assert.equal(r.status, 200, `${query(q)}: ${r.text}`);
    return r.json;
  });
  const inums = new Map(numbers);
  const walk = (v, where) => {
    if (typeof v === 'number' && Number.isInteger(v) && !where.endsWith('.k') && !where.endsWith('.share')
      && !where.endsWith('.mean_gain')) {
      if (!inums.has(v)) inums.set(v, where);
    } else if (v && typeof v === 'object') for (const [key, x] of Object.entries(v)) walk(x, `${where}.${key}`);
  };
  ind.forEach((ans, i) => walk(ans, `indicators?${query(iq[i])}`));
  const ihits = [];
  for (const [t, where] of small)
    for (const [a, at] of inums) {
      if (inums.has(a - t)) ihits.push(`${a} (${at}) - ${a - t} (${inums.get(a - t)}) = ${t}, the count of ${where}`);
      if (inums.has(t - a)) ihits.push(`${a} (${at}) + ${t - a} (${inums.get(t - a)}) = ${t}, the count of ${where}`);
    }
  assert.deepEqual(ihits.slice(0, 10), [], `${ihits.length} pairs with the indicator report give a small true count`);
});

test('the same question always gets the same answer', async () => {
  const q = '/reports/summary?by=month,trafficking_status&victims=1';
  const a = await as.analyst.req('GET', V1 + q);
  const b = await as.analyst.req('GET', V1 + q);
  assert.equal(a.status, 200, a.text);
  assert.deepEqual(a.json, b.json);
  // The same cases asked another way: the same number.
  const t1 = (await as.analyst.req('GET', V1 + '/reports/summary?by=sex')).json.total;
  const t2 = (await as.analyst.req('GET', V1 + '/reports/summary?by=month,region')).json.total;
  const t3 = (await as.analyst.req('GET', V1 + '/reports/summary')).json.total;
  assert.equal(t1, t3);
  assert.equal(t2, t3);
});

test('a supervisor\'s figures of the own organisation stay exact', async () => {
  facts = loadFacts('iom');
  for (const by of ['', 'sex', 'month', 'trafficking_status']) {
    for (const extra of [{}, { victims: '1' }, { from: '2025-01-01', to: '2025-12-31' }]) {
      const q = { by, ...extra };
      const r = await as.supervisor.req('GET', `${V1}/reports/summary?${query(q)}`);
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json.scope, 'own');
      const tru = truth({ ...q, org: 'own' }, r.json.from, r.json.to);
      for (const [what, p, t] of entries(published(r.json), tru)) {
        if (p !== null) assert.equal(p, t, `${query(q)} ${what}: exact`);
        else assert.ok(t >= 1, `${query(q)} ${what}: suppressed, not perturbed`);
      }
    }
  }
});

test('a supervisor: victims=0 minus victims=1 gives no small count of non-victims', async () => {
  // The own organisation's figures are exact, so the guard is suppression:
  // an entry of the victims=1 table is published only when the same line of
  // the table by trafficking_status hides nothing.
  const found = [];
  let compared = 0;
  for (const by of ['', 'sex', 'month', 'region', 'month,sex']) {
    const get = async (victims) => {
      const r = await as.supervisor.req('GET', `${V1}/reports/summary?${query({ by, victims })}`);
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json.scope, 'own');
      return published(r.json);
    };
    const all = await get('0'), vic = await get('1');
    const pairs = [['total', all.total, vic.total]];
    for (const [key, n] of all.cells) pairs.push(['cell ' + key, n, vic.cells.has(key) ? vic.cells.get(key) : 0]);
    for (const d of Object.keys(all.margins))
      for (const [v, n] of all.margins[d]) pairs.push([`margin ${d}=${v}`, n, vic.margins[d].has(v) ? vic.margins[d].get(v) : 0]);
    for (const [what, a, b] of pairs) {
      if (a === null || b === null) continue;
      compared++;
      if (a - b >= 1 && a - b < K) found.push(`by=${by} ${what}: ${a} - ${b} = ${a - b}`);
    }
  }
  assert.ok(compared >= 10, 'enough figures compared: ' + compared);
  assert.deepEqual(found.slice(0, 10), [], `${found.length} small non-victim counts by difference`);
});
