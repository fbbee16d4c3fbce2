// The knowledge library (issue 18, not the hotline's knowledge base: that
// is kb.test.mjs) and study visits.  A trainer adds a product, uploads a
// PDF as version 1 and a DOCX as version 2; the list shows the current
// version, the history both, and the old version downloads byte for byte.
// Bad uploads (empty, wrong type, JSON, 21 MB declared, stale `after`,
// unknown product or version) are problems that change nothing.  A
// hotline operator adds nothing; another organisation's users read and
// download but do not upload; a withdrawn product leaves the list and
// keeps its files.  A study visit is a training of its own kind, listed
// apart with ?kind= and counted in its own row of the indicator report.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer, signInAll } from '../lib/server.mjs';
import { assertProblem, rawRequest, asFetchLike } from '../lib/hostile.mjs';
import { sqlite } from '../lib/datadir.mjs';

const PW = 'library test password';
const orgs = [{ code: 'ngo2', name: 'NGO Two (library test)', type: 'NGO' }];
const users = [
  ['iom', 'trainer', 'trainer'], ['iom', 'sup', 'supervisor'], ['iom', 'hot', 'hotline'],
  ['iom', 'an', 'analyst'], ['ngo2', 'trainer2', 'trainer'], ['ngo2', 'cw2', 'caseworker'],
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

// Small files of each kind, recognisable by their first bytes.
const pdf = (text) => new Uint8Array(Buffer.from(`%PDF-1.4\n% ${text}\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n`, 'latin1'));
function docx(text) {
  const head = Buffer.from('PK\x03\x04\x14\x00\x00\x00\x08\x00', 'latin1');
  return new Uint8Array(Buffer.concat([head, Buffer.alloc(20), Buffer.from('[Content_Types].xml'),
    Buffer.from(text), Buffer.from('PK\x01\x02word/document.xml', 'latin1')]));
}
const png = () => new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 73, 72, 68, 82]);

const PRODUCT = {
  kind: 'sop', title_tg: 'Тартиби равонасозии қурбониён', title_ru: 'Порядок перенаправления жертв',
  audience: ['law_enforcement', 'caseworkers'], languages: ['tg', 'ru'],
};

async function newProduct(body = PRODUCT, who = 'trainer') {
  const r = await as[who].req('POST', V1 + '/library', body);
  assert.equal(r.status, 201, r.text);
  return r.json;
}

function upload(who, id, bytes, query, type = 'application/octet-stream') {
  return as[who].req('POST', `${V1}/library/${id}/versions?${query}`, bytes, { 'content-type': type });
}

async function download(who, id, n) {
  const c = as[who];
  const res = await fetch(`${srv.url}${V1}/library/${id}/versions/${n}`, { headers: { cookie: c.cookie } });
  return { status: res.status, headers: res.headers, bytes: new Uint8Array(await res.arrayBuffer()) };
}

async function state(id) {
  const r = await as.trainer.req('GET', `${V1}/library/${id}`);
  assert.equal(r.status, 200, r.text);
  return r.json;
}

test('versions: upload v1 and v2, the list shows the current one, the old one downloads byte for byte', async () => {
  const p = await newProduct();
  assert.equal(p.version, 0);
  assert.equal(p.current, null);
  assert.deepEqual(p.audience, ['law_enforcement', 'caseworkers']);
  assert.deepEqual(p.languages, ['tg', 'ru']);
  assert.equal(p.org, 'iom');

  const v1 = pdf('first edition');
  let r = await upload('trainer', p.id, v1, 'after=0&file_name=' + encodeURIComponent('../../Тартиб 2025.pdf') + '&note=' + encodeURIComponent('нахустин нашр'));
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.version, 1);
  assert.equal(r.json.current.n, 1);
  assert.equal(r.json.current.content_type, 'application/pdf');
  assert.equal(r.json.current.file_name, 'Тартиб 2025.pdf', 'no folder part, Cyrillic kept');
  assert.equal(r.json.current.size, v1.length);
  assert.equal(r.json.current.note, 'нахустин нашр');
  assert.equal(r.json.current.uploaded_by, 'trainer');

  const v2 = docx('second edition');
  r = await upload('sup', p.id, v2, 'after=1&file_name=evil.exe');
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.current.n, 2);
  assert.equal(r.json.current.content_type,
    'application/vnd.openxmlformats-officedocument.wordprocessingml.document');
  assert.equal(r.json.current.file_name, 'evil.exe.docx', 'the extension follows the bytes');
  assert.deepEqual(r.json.versions.map((v) => v.n), [2, 1]);

  const list = await as.trainer.req('GET', V1 + '/library');
  assert.equal(list.status, 200, list.text);
  const row = list.json.items.find((x) => x.id === p.id);
  assert.equal(row.current.n, 2);
  assert.equal(row.versions, undefined, 'the list carries the current version only');

  const d1 = await download('trainer', p.id, 1);
  assert.equal(d1.status, 200);
  assert.equal(d1.headers.get('content-type'), 'application/pdf');
  assert.match(d1.headers.get('content-disposition'), /^attachment; filename="[^"]+\.pdf"; filename\*=UTF-8''%D0%A2/);
  assert.deepEqual(d1.bytes, v1, 'the old version, byte for byte');
  const d2 = await download('trainer', p.id, 2);
  assert.deepEqual(d2.bytes, v2);

  // Sealed at rest: the file's text is not in the database.
  const hit = sqlite(join(srv.data, 'himoya.db'),
    "SELECT count(*) FROM library_versions WHERE instr(sealed, CAST('first edition' AS BLOB)) > 0");
  assert.equal(hit.trim(), '0');
  // Audited: the create, the uploads; the download as a read.
  const auditOf = () => sqlite(join(srv.data, 'himoya.db'),
    `SELECT action || ' ' || coalesce(fields, '') FROM audit_log WHERE record = 'library/${p.id}' ORDER BY seq, n`);
  let audit = auditOf();
  for (let i = 0; i < 30 && !/read file v1/.test(audit); i++) {
    await new Promise((ok) => setTimeout(ok, 100));
    audit = auditOf();
  }
  assert.match(audit, /create/);
  assert.match(audit, /upload file v1/);
  assert.match(audit, /upload file v2/);
  assert.match(audit, /read file v1/, audit);
});

test('bad uploads are problems and change nothing', async () => {
  const p = await newProduct({ ...PRODUCT, kind: 'brochure', title_tg: undefined, title_en: 'Safe migration leaflet' });
  let r = await upload('trainer', p.id, pdf('v1'), 'after=0&file_name=a.pdf');
  assert.equal(r.status, 201, r.text);
  const before = await state(p.id);

  assertProblem(await upload('trainer', p.id, new Uint8Array(0), 'after=1'), 422, 'empty-file', 'empty');
  assertProblem(await upload('trainer', p.id, new Uint8Array(Buffer.from('#!/bin/sh\nrm -rf /\n')), 'after=1&file_name=a.pdf'),
    415, 'unsupported-type', 'a script named .pdf');
  assertProblem(await upload('trainer', p.id, new Uint8Array(Buffer.from('PK\x03\x04' + 'x'.repeat(80), 'latin1')), 'after=1'),
    415, 'unsupported-type', 'a plain zip');
  assertProblem(await upload('trainer', p.id, '{"a":1}', 'after=1', 'application/json'), 415, 'unsupported-type', 'JSON');
  assertProblem(await upload('trainer', p.id, pdf('v2'), 'after=0'), 409, 'version-conflict', 'stale after');
  assertProblem(await upload('trainer', p.id, pdf('v2'), 'after=5'), 409, 'version-conflict', 'after ahead');
  assertProblem(await upload('trainer', p.id, pdf('v2'), ''), 422, 'invalid-value', 'no after');
  assertProblem(await upload('trainer', p.id, pdf('v2'), 'after=x'), 422, 'invalid-value', 'after not a number');
  assertProblem(await upload('trainer', 'NOSUCHPRODUCT', pdf('v2'), 'after=0'), 404, 'not-found', 'unknown product');

  // Over the cap: refused from the declared length, before the body is read.
  const big = await rawRequest(srv.url, {
    method: 'POST', path: `${V1}/library/${p.id}/versions?after=1`,
    headers: { cookie: as.trainer.cookie, 'x-csrf-token': as.trainer.csrf, 'content-type': 'application/pdf',
      'content-length': String(21 * 1024 * 1024) },
  });
  assertProblem(asFetchLike(big), 413, undefined, '21 MB declared');
  // Under the cap but over the JSON bodies' 1 MB: taken.
  const large = new Uint8Array(3 * 1024 * 1024);
  large.set(pdf('large'));
  r = await upload('trainer', p.id, large, 'after=1&file_name=large.pdf');
  assert.equal(r.status, 201, r.text);
  const d = await download('trainer', p.id, 2);
  assert.equal(d.bytes.length, large.length);
  assert.ok(Buffer.from(d.bytes).equals(Buffer.from(large)));

  const now = await state(p.id);
  assert.deepEqual(now.versions.map((v) => v.n), [2, 1], 'only the good upload made a version');
  assert.equal(before.versions.length, 1);

  assertProblem(await as.trainer.req('GET', `${V1}/library/NOSUCHPRODUCT`), 404, 'not-found');
  const miss = await download('trainer', p.id, 3);
  assert.equal(miss.status, 404);
  assert.equal((await download('trainer', 'NOSUCHPRODUCT', 1)).status, 404);

  // Bad products.
  assertProblem(await as.trainer.req('POST', V1 + '/library', { ...PRODUCT, title_tg: undefined, title_ru: undefined }),
    422, 'invalid-value', 'no title');
  assertProblem(await as.trainer.req('POST', V1 + '/library', { ...PRODUCT, kind: 'novel' }), 422, undefined, 'kind');
  assertProblem(await as.trainer.req('POST', V1 + '/library', { ...PRODUCT, audience: [] }), 422, undefined, 'no audience');
  assertProblem(await as.trainer.req('POST', V1 + '/library', { ...PRODUCT, secret: 1 }), 422, 'unknown-field');
  assertProblem(await as.trainer.req('GET', V1 + '/library?kind=novel'), 422, 'invalid-value');
});

test('permissions: the hotline adds nothing, another organisation reads but does not upload', async () => {
  assertProblem(await as.hot.req('POST', V1 + '/library', PRODUCT), 403, 'forbidden', 'hotline creates');
  assertProblem(await as.an.req('POST', V1 + '/library', PRODUCT), 403, 'forbidden', 'analyst creates');
  const p = await newProduct({ ...PRODUCT, kind: 'training_manual', title_en: 'Trainer manual' });
  const bytes = png();
  assert.equal((await upload('trainer', p.id, bytes, 'after=0&file_name=cover.png')).status, 201);
  assertProblem(await upload('hot', p.id, pdf('x'), 'after=1'), 403, 'forbidden', 'hotline uploads');
  assertProblem(await upload('trainer2', p.id, pdf('x'), 'after=1'), 403, 'forbidden', 'another org uploads');
  assertProblem(await as.trainer2.req('POST', `${V1}/library/${p.id}/withdraw`), 403, 'forbidden');
  for (const who of ['hot', 'an', 'cw2', 'trainer2']) {
    const l = await as[who].req('GET', V1 + '/library?kind=training_manual');
    assert.equal(l.status, 200, who + ': ' + l.text);
    assert.ok(l.json.items.some((x) => x.id === p.id), who + ' sees it');
    const d = await download(who, p.id, 1);
    assert.equal(d.status, 200, who);
    assert.deepEqual(d.bytes, bytes);
    assert.equal(d.headers.get('content-type'), 'image/png');
  }
  assert.equal((await state(p.id)).version, 1, 'nothing changed');
});

test('filters and withdrawal: a withdrawn product leaves the list, keeps its files', async () => {
  const p = await newProduct({ kind: 'guide', title_en: 'Guide for border guards', audience: ['border_customs'], languages: ['en'] });
  assert.equal((await upload('trainer', p.id, pdf('guide'), 'after=0&file_name=guide.pdf')).status, 201);
  const ids = async (q) => (await as.cw2.req('GET', V1 + '/library' + q)).json.items.map((x) => x.id);
  assert.ok((await ids('?audience=border_customs')).includes(p.id));
  assert.ok(!(await ids('?audience=migrants')).includes(p.id));
  assert.ok((await ids('?language=en')).includes(p.id));
  assert.ok(!(await ids('?language=uz')).includes(p.id));
  assert.ok((await ids('?kind=guide&audience=border_customs&language=en')).includes(p.id));

  const w = await as.sup.req('POST', `${V1}/library/${p.id}/withdraw`);
  assert.equal(w.status, 200, w.text);
  assert.equal(w.json.withdrawn, true);
  assert.ok(!(await ids('')).includes(p.id), 'withdrawn: not listed');
  assert.equal((await download('cw2', p.id, 1)).status, 200, 'its file is kept');
  assertProblem(await upload('trainer', p.id, pdf('again'), 'after=1'), 409, 'withdrawn');
  assertProblem(await as.sup.req('POST', `${V1}/library/${p.id}/withdraw`), 409, 'withdrawn');
  assert.equal((await state(p.id)).version, 1);
});

test('a study visit: its own kind, listed apart, its own row in the indicator report', async () => {
  const visit = { topic: 'Study visit: NRM of Moldova', start: '2026-04-06', end: '2026-04-10', country: 'MD',
    place: 'Chișinău', host: 'National Anti-Trafficking Committee', purpose: 'See how the NRM refers victims',
    organiser_org: 'iom' };
  assertProblem(await as.trainer.req('POST', V1 + '/study-visits', { ...visit, host: undefined }), 422, undefined, 'no host');
  assertProblem(await as.trainer.req('POST', V1 + '/study-visits', { ...visit, country: 'md' }), 422, undefined, 'bad country');
  assertProblem(await as.hot.req('POST', V1 + '/study-visits', visit), 403, 'forbidden');
  const r = await as.trainer.req('POST', V1 + '/study-visits', visit);
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.kind, 'study_visit');
  assert.equal(r.json.country, 'MD');
  assert.equal(r.json.host, visit.host);
  const ev = r.json;
  const t = await as.trainer.req('POST', V1 + '/trainings',
    { topic: 'Screening', start: '2026-04-20', end: '2026-04-21', place: 'Dushanbe', organiser_org: 'iom' });
  assert.equal(t.status, 201, t.text);
  assert.equal(t.json.kind, 'training');

  for (let i = 0; i < 11; i++) {
    const p = await as.trainer.req('POST', `${V1}/trainings/${ev.id}/participants`,
      { agency_type: i % 2 ? 'LawEnforcement' : 'NGO', sex: i % 3 ? 'Masculine' : 'Feminine', role: 'police_officer',
        sector: i % 2 ? (i % 4 === 1 ? 'border' : 'police') : 'ngo' });
    assert.equal(p.status, 201, p.text);
    assert.equal(p.json.sector, i % 2 ? (i % 4 === 1 ? 'border' : 'police') : 'ngo');
  }
  assertProblem(await as.trainer.req('POST', `${V1}/trainings/${ev.id}/participants`,
    { agency_type: 'NGO', sex: 'Feminine', role: 'ngo_staff', sector: 'bakery' }), 422, undefined, 'sector');
  const parts = await as.trainer.req('GET', `${V1}/trainings/${ev.id}/participants`);
  assert.equal(parts.json.items.filter((x) => x.sector === 'border').length, 3, 'participants by sector');
  const visits = await as.trainer.req('GET', V1 + '/trainings?kind=study_visit');
  assert.deepEqual(visits.json.items.map((x) => x.id), [ev.id]);
  const trainings = await as.trainer.req('GET', V1 + '/trainings?kind=training');
  assert.ok(!trainings.json.items.some((x) => x.id === ev.id));
  assertProblem(await as.trainer.req('GET', V1 + '/trainings?kind=picnic'), 422, 'invalid-value');

  // A change keeps its visit fields; another kind's fields are refused.
  const g = await as.trainer.req('PATCH', `${V1}/trainings/${ev.id}`, { purpose: 'Referral practice' }, { 'if-match': '"1"' });
  assert.equal(g.status, 200, g.text);
  assert.equal(g.json.host, visit.host);
  assert.equal(g.json.purpose, 'Referral practice');

  const rep = await as.sup.req('GET', V1 + '/reports/indicators?from=2026-04-01&to=2026-04-30');
  assert.equal(rep.status, 200, rep.text);
  assert.equal(rep.json.trainings.events, 2);
  assert.equal(rep.json.trainings.study_visits, 1);
  assert.equal(rep.json.trainings.study_visit_participants, 11);
  const csv = await as.sup.req('GET', V1 + '/reports/indicators?from=2026-04-01&to=2026-04-30&format=csv');
  assert.match(csv.text, /Study visits/);
});
