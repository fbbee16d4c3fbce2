// GET /api/v1/openapi.json: a valid OpenAPI 3.1 document (checked with
// @seriousme/openapi-schema-validator) that holds every route of the
// routing table under /api/ (read from src/api/routes.c itself, so a new
// route without documentation fails here), whose every $ref resolves, and
// whose schemas real answers of the server satisfy (ajv, draft 2020-12):
// a person, a consent, a case, a note, lists, the directory, and
// problem+json errors.  Hostile checks show the schemas refuse what the
// server refuses (an unknown field, a missing member).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Validator } from '@seriousme/openapi-schema-validator';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { startServer, Client, usersOf, signInAll } from '../lib/server.mjs';
import { assertProblem } from '../lib/hostile.mjs';

const PW = 'openapi test password';
const users = usersOf(PW, [
  ['cw', 'caseworker'], ['sup', 'supervisor'], ['adm', 'admin'], ['hot', 'hotline'], ['tr', 'trainer'],
  ['ngo.cw', 'caseworker', 'ngo2'],
]);

const V1 = '/api/v1';
let srv;
let doc;
const as = {};

before(async () => {
  srv = await startServer({ users, orgs: [{ code: 'ngo2', name: 'NGO Two', type: 'NGO' }] });
  await signInAll(srv, users, PW, as);
  const r = await as.cw.req('GET', V1 + '/openapi.json');
  assert.equal(r.status, 200, r.text);
  assert.match(r.headers.get('content-type'), /^application\/json/);
  doc = r.json;
});

after(async () => {
  if (srv) {
    await srv.stop();
    srv.cleanup();
  }
});

// ---- the routing table, read from its source -------------------------------

function routesOfTable() {
  const src = readFileSync(join(process.cwd(), 'src', 'api', 'routes.c'), 'utf8');
  const body = src.slice(src.indexOf('api_routes[] = {'));
  const re = /\{\s*(M_[A-Z_]+(?:\s*\|\s*M_[A-Z_]+)*)\s*,\s*(V1\s*)?"([^"]*)"\s*,\s*(\w+)\s*,\s*([^}]*)\}/g;
  const out = [];
  for (const m of body.matchAll(re)) {
    const path = (m[2] ? '/api/v1' : '') + m[3];
    for (const method of m[1].split('|').map((s) => s.trim().slice(2).toLowerCase())) {
      out.push({ method, path, handler: m[4], public: /ROUTE_PUBLIC/.test(m[5]) });
    }
  }
  return out;
}

const shape = (p) => p.replace(/\{[^}]*\}/g, '{}');
const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

function operations(d) {
  const ops = [];
  for (const [path, item] of Object.entries(d.paths)) {
    for (const m of METHODS) if (item[m]) ops.push({ path, method: m, op: item[m] });
  }
  return ops;
}

// "#/a/b~1c" in d
function pointer(d, ref) {
  assert.ok(ref.startsWith('#/'), 'a local $ref: ' + ref);
  let v = d;
  for (const part of ref.slice(2).split('/')) {
    const k = part.replace(/~1/g, '/').replace(/~0/g, '~');
    if (v === null || typeof v !== 'object' || !(k in v)) return undefined;
    v = v[k];
  }
  return v;
}

function refsOf(v, out = []) {
  if (Array.isArray(v)) v.forEach((x) => refsOf(x, out));
  else if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      if (k === '$ref' && typeof x === 'string') out.push(x);
      else refsOf(x, out);
    }
  }
  return out;
}

// ---- the document ---------------------------------------------------------------

test('the document needs a sign-in like every non-public route', async () => {
  const anon = new Client(srv.url);
  assertProblem(await anon.req('GET', V1 + '/openapi.json'), 401, 'unauthenticated');
  const t = await as.adm.req('GET', V1 + '/openapi.json');
  assert.equal(t.status, 200);
  assert.deepEqual(t.json, doc, 'the same document for every caller');
});

test('it is a valid OpenAPI 3.1 document', async () => {
  assert.equal(doc.openapi, '3.1.0');
  const v = new Validator();
  const res = await v.validate(structuredClone(doc));
  assert.equal(res.valid, true, JSON.stringify(res.errors, null, 1)?.slice(0, 3000));
  assert.equal(v.version, '3.1');
});

test('the validator is not a rubber stamp: a broken copy is refused', async () => {
  const broken = structuredClone(doc);
  delete broken.paths[V1 + '/persons'].post.responses;
  broken.paths[V1 + '/persons'].get.parameters[0].in = 'body';
  const res = await new Validator().validate(broken);
  assert.equal(res.valid, false);
});

test('every route of the routing table under /api/ is documented with its method, and nothing else', () => {
  const routes = routesOfTable().filter((r) => r.path.startsWith('/api/'));
  assert.ok(routes.length >= 60, 'routes read from routes.c: ' + routes.length);
  const byShape = new Map();
  for (const { path, method, op } of operations(doc)) byShape.set(method + ' ' + shape(path), { path, op });
  const missing = [];
  for (const r of routes) {
    const hit = byShape.get(r.method + ' ' + shape(r.path));
    if (!hit || hit.op['x-undocumented']) { missing.push(`${r.method.toUpperCase()} ${r.path} (${r.handler})`); continue; }
    assert.ok(hit.op.operationId, r.path + ': operationId');
    assert.ok(hit.op.summary, r.path + ': summary');
    assert.ok(Array.isArray(hit.op.tags) && hit.op.tags.length, r.path + ': tags');
    if (r.public) assert.deepEqual(hit.op.security, [], r.path + ': public, security []');
    else assert.ok(hit.op.security.length >= 2 && hit.op.security.every((s) => Object.keys(s).length),
      r.path + ': cookie or bearer');
  }
  assert.deepEqual(missing, [], 'routes without documentation (add them to src/api/openapi_ops.c)');
  const routed = new Set(routes.map((r) => r.method + ' ' + shape(r.path)));
  const extra = [...byShape.keys()].filter((k) => !routed.has(k));
  assert.deepEqual(extra, [], 'documented paths that no route serves');
  const ids = operations(doc).map((o) => o.op.operationId);
  assert.equal(new Set(ids).size, ids.length, 'operationIds are unique');
});

test('every create answers with the Location of a record to read again, but those that cannot', () => {
  // A change sent again with its Idempotency-Key is answered by reading
  // its Location (api/idempotency.c); without one it is 409 already-made.
  const none = [
    // the answer is a one-time secret, or an action on another record
    'orgCreate', 'userCreate', 'tokenCreate', 'caseTransfer', 'libraryUpload',
  ].sort();
  const got = [];
  for (const item of Object.values(doc.paths))
    for (const op of Object.values(item)) {
      const created = op.responses?.['201'];
      if (created && !(created.headers || {}).Location) got.push(op.operationId);
    }
  assert.deepEqual(got.sort(), none);
});

test('path templates name their parameters, and every parameter is declared', () => {
  for (const { path, op } of operations(doc)) {
    const names = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
    const declared = (op.parameters || []).filter((p) => p.in === 'path').map((p) => p.name);
    assert.deepEqual(declared.sort(), names.sort(), path);
  }
  assert.ok(doc.paths[V1 + '/persons/{id}'], '/persons/{id}');
  assert.ok(doc.paths[V1 + '/roles/{role}'], '/roles/{role}');
});

test('every $ref resolves', () => {
  const refs = refsOf(doc);
  assert.ok(refs.length > 100);
  const bad = [...new Set(refs)].filter((r) => pointer(doc, r) === undefined);
  assert.deepEqual(bad, []);
});

test('changes made with a cookie need the CSRF token; errors are problem+json where they apply', () => {
  const patch = doc.paths[V1 + '/persons/{id}'].patch;
  assert.deepEqual(patch.security, [{ cookieSession: [], csrfToken: [] }, { bearerToken: [] }]);
  for (const s of ['401', '403', '404', '412', '413', '415', '422', '428']) assert.ok(patch.responses[s], 'PATCH person ' + s);
  const get = doc.paths[V1 + '/persons/{id}'].get;
  assert.deepEqual(get.security, [{ cookieSession: [] }, { bearerToken: [] }]);
  assert.equal(get.responses['412'], undefined, 'no If-Match on a read');
  assert.ok(doc.paths[V1 + '/session'].post.responses['429'], 'sign-in lockout');
  assert.ok(doc.paths[V1 + '/cases'].post.responses['409'], 'consent-required');
  for (const { path, method, op } of operations(doc)) {
    for (const [status, resp] of Object.entries(op.responses)) {
      if (!(Number(status) >= 400)) continue;
      const r = resp.$ref ? pointer(doc, resp.$ref) : resp;
      assert.ok(r.content['application/problem+json'], `${method} ${path} ${status}`);
      assert.equal(r.content['application/problem+json'].schema.$ref, '#/components/schemas/Problem');
    }
  }
  assert.equal(doc.components.securitySchemes.cookieSession.in, 'cookie');
  assert.equal(doc.components.securitySchemes.bearerToken.scheme, 'bearer');
  assert.equal(doc.components.securitySchemes.csrfToken.name, 'X-CSRF-Token');
});

test('components follow the field declarations of GET /schema', async () => {
  const s = (await as.cw.req('GET', V1 + '/schema')).json;
  const schemas = doc.components.schemas;
  const names = { person: 'Person', case: 'Case', note: 'Note', service: 'Service', plan: 'Plan',
    followup: 'Followup', consent: 'Consent', status_decision: 'StatusDecision' };
  for (const [res, comp] of Object.entries(names)) {
    for (const f of s.resources[res]) {
      const p = schemas[comp].properties[f.name];
      assert.ok(p, `${comp}.${f.name}`);
      if (f.read_only) {
        assert.equal(p.readOnly, true, `${comp}.${f.name} readOnly`);
        if (schemas[comp + 'Create']) assert.equal(schemas[comp + 'Create'].properties[f.name], undefined);
      } else if (schemas[comp + 'Create']) {
        const c = schemas[comp + 'Create'].properties[f.name];
        assert.ok(c, `${comp}Create.${f.name}`);
        if (f.max_length && f.type === 'text') assert.equal(c.maxLength, f.max_length, `${comp}Create.${f.name} maxLength`);
        assert.equal((schemas[comp + 'Create'].required || []).includes(f.name), f.required, `${comp}Create.${f.name} required`);
        if (f.codes) assert.equal(JSON.stringify(c).includes(`Code.${f.codes}`), true, `${comp}Create.${f.name} code list`);
      }
    }
  }
  const described = new Set(Object.values(schemas).map((x) => x['x-record']).filter(Boolean));
  for (const res of Object.keys(s.resources)) assert.ok(described.has(res), `the declared record ${res} has a component`);
  for (const [list, codes] of Object.entries(s.codes)) {
    assert.deepEqual(schemas['Code.' + list].enum, codes.map((c) => c.code), 'Code.' + list);
  }
  assert.equal(schemas.Person.properties.id.readOnly, true);
  assert.equal(schemas.Version.readOnly, true);
  for (const k of ['Problem', 'List', 'DirectoryService', 'DirectoryLocation', 'Referral']) assert.ok(schemas[k], k);
});

// ---- real answers against their declared schemas ------------------------------

let ajv;
function ajvOf() {
  if (ajv) return ajv;
  ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema(structuredClone(doc), 'openapi.json');
  return ajv;
}

const esc = (s) => s.replace(/~/g, '~0').replace(/\//g, '~1');

// The validator of the body of (method, templated path, status).
function answerSchema(method, path, status) {
  const op = doc.paths[path]?.[method];
  assert.ok(op, `${method} ${path} is documented`);
  let resp = op.responses[String(status)];
  assert.ok(resp, `${method} ${path} documents ${status}`);
  let ptr = `#/paths/${esc(path)}/${method}/responses/${status}`;
  if (resp.$ref) { ptr = resp.$ref; resp = pointer(doc, resp.$ref); }
  const type = status >= 400 ? 'application/problem+json' : 'application/json';
  assert.ok(resp.content?.[type], `${method} ${path} ${status}: ${type}`);
  return ajvOf().compile({ $ref: `openapi.json${ptr}/content/${esc(type)}/schema` });
}

function requestSchema(method, path) {
  const ptr = `#/paths/${esc(path)}/${method}/requestBody/content/application~1json/schema`;
  assert.ok(pointer(doc, ptr), `${method} ${path} has a JSON body`);
  return ajvOf().compile({ $ref: 'openapi.json' + ptr });
}

function conforms(res, method, path, what = '') {
  const v = answerSchema(method, path, res.status);
  const where = `${what || method + ' ' + path} ${res.status}`;
  assert.equal(v(res.json), true, `${where}: ${JSON.stringify(v.errors)} in ${res.text.slice(0, 500)}`);
  const headers = doc.paths[path][method].responses[String(res.status)].headers || {};
  if (headers.ETag && !res.json.shared_view) assert.match(res.headers.get('etag') || '', /^"[0-9]+"$/, where + ': the documented ETag');
  if (headers.Location) assert.match(res.headers.get('location') || '', /^\/api\/v1\//, where + ': the documented Location');
  if (res.status >= 400) assert.match(res.headers.get('content-type'), /^application\/problem\+json/);
  else assert.match(res.headers.get('content-type'), /^application\/json/);
}

const person = {
  given_name: 'Ҷӯрабек', family_name: 'Ҳақназаров', aliases: ['Jo‘rabek'], birth_date: '1991-07-30',
  gender: 'Masculine', citizenship: 'TJ', phones: ['+992 91 234 56 78'],
  identity_documents: [{ type: 'national_passport', number: 'A1234567', issuing_country: 'TJ' }],
};

test('a person, a consent, a case, a note and their lists answer as documented', async () => {
  assert.equal(requestSchema('post', V1 + '/persons')(person), true, 'the body sent is a PersonCreate');
  let r = await as.cw.req('POST', V1 + '/persons', person);
  assert.equal(r.status, 201, r.text);
  conforms(r, 'post', V1 + '/persons');
  const pid = r.json.id;
  r = await as.cw.req('GET', `${V1}/persons/${pid}`);
  conforms(r, 'get', V1 + '/persons/{id}');
  r = await as.cw.req('PATCH', `${V1}/persons/${pid}`, { patronymic: 'Ғуломович', aliases: null }, { 'if-match': '"1"' });
  assert.equal(r.status, 200, r.text);
  conforms(r, 'patch', V1 + '/persons/{id}');
  r = await as.cw.req('GET', `${V1}/persons?q=${encodeURIComponent('Jurabek')}`);
  assert.equal(r.status, 200);
  assert.ok(r.json.items.length >= 1);
  conforms(r, 'get', V1 + '/persons');

  r = await as.cw.req('POST', `${V1}/persons/${pid}/consents`, { purpose: 'assistance', method: 'written' });
  assert.equal(r.status, 201, r.text);
  conforms(r, 'post', V1 + '/persons/{id}/consents');
  conforms(await as.cw.req('GET', r.headers.get('location')), 'get', V1 + '/consents/{id}');
  r = await as.cw.req('GET', `${V1}/persons/${pid}/consents`);
  conforms(r, 'get', V1 + '/persons/{id}/consents');

  const caseBody = { person_id: pid, exploitation_types: ['ForcedLabour'], countries_of_exploitation: ['RU'] };
  assert.equal(requestSchema('post', V1 + '/cases')(caseBody), true, 'a CaseCreate');
  r = await as.cw.req('POST', V1 + '/cases', caseBody);
  assert.equal(r.status, 201, r.text);
  conforms(r, 'post', V1 + '/cases');
  const cid = r.json.id;
  r = await as.cw.req('GET', `${V1}/cases/${cid}`);
  conforms(r, 'get', V1 + '/cases/{id}');
  r = await as.cw.req('GET', `${V1}/cases?limit=1`);
  conforms(r, 'get', V1 + '/cases');
  r = await as.cw.req('POST', `${V1}/cases/${cid}/notes`, { type: 'note', text: 'Первая встреча.\nВсё спокойно.' });
  assert.equal(r.status, 201, r.text);
  conforms(r, 'post', V1 + '/cases/{id}/notes');
  conforms(await as.cw.req('GET', r.headers.get('location')), 'get', V1 + '/notes/{id}');
  r = await as.cw.req('POST', `${V1}/cases/${cid}/services`, { type: 'shelter', status: 'in_progress', cost: 100, currency: 'TJS' });
  assert.equal(r.status, 201, r.text);
  conforms(r, 'post', V1 + '/cases/{id}/services');
  conforms(await as.cw.req('GET', r.headers.get('location')), 'get', V1 + '/services/{id}');
  r = await as.cw.req('GET', `${V1}/cases/${cid}/timeline`);
  assert.equal(r.status, 200);
  conforms(r, 'get', V1 + '/cases/{id}/timeline');
  r = await as.cw.req('POST', `${V1}/cases/${cid}/close`, { reason: 'assistance_completed' });
  assert.equal(r.status, 200, r.text);
  conforms(r, 'post', V1 + '/cases/{id}/close');
});

test('screenings, decisions, referrals and the shared view of another organisation answer as documented', async () => {
  let r = await as.cw.req('POST', V1 + '/persons', { given_name: 'Нигина', family_name: 'Шарипова', birth_date: '1990-01-02' });
  const pid = r.json.id;
  for (const purpose of ['assistance', 'referral'])
    assert.equal((await as.cw.req('POST', `${V1}/persons/${pid}/consents`, { purpose, method: 'written' })).status, 201);
  r = await as.cw.req('POST', V1 + '/cases', { person_id: pid, summary: 'Вербовка через Telegram.' });
  const cid = r.json.id;
  r = await as.cw.req('POST', `${V1}/cases/${cid}/screenings`, { instrument: 'delphi-adult-labour', answers: { 'D1-S1': 'yes', 'D4-S1': 'no' } });
  assert.equal(r.status, 201, r.text);
  conforms(r, 'post', V1 + '/cases/{id}/screenings');
  conforms(await as.cw.req('GET', r.headers.get('location')), 'get', V1 + '/screenings/{id}');
  conforms(await as.cw.req('GET', `${V1}/cases/${cid}/screenings`), 'get', V1 + '/cases/{id}/screenings');
  r = await as.sup.req('POST', `${V1}/cases/${cid}/status-decisions`,
    { status: 'PossibleVictimOfTrafficking', date: new Date().toISOString().slice(0, 10) });
  assert.equal(r.status, 201, r.text);
  conforms(r, 'post', V1 + '/cases/{id}/status-decisions');
  conforms(await as.cw.req('GET', r.headers.get('location')), 'get', V1 + '/status-decisions/{id}');
  const body = { case_id: cid, to_org: 'ngo2', service_type: 'shelter', reason: 'Нужен приют.', urgency: 'high',
    share: ['given_name', 'status', 'summary'] };
  assert.equal(requestSchema('post', V1 + '/referrals')(body), true, 'a ReferralCreate');
  assert.equal(requestSchema('post', V1 + '/referrals')({ ...body, share: ['password'] }), false, 'share names declared fields');
  r = await as.cw.req('POST', V1 + '/referrals', body);
  assert.equal(r.status, 201, r.text);
  conforms(r, 'post', V1 + '/referrals');
  const rid = r.json.id;
  conforms(await as.cw.req('GET', V1 + '/referrals?box=out'), 'get', V1 + '/referrals');
  conforms(await as.cw.req('GET', V1 + '/referrals/stats?box=out'), 'get', V1 + '/referrals/stats');
  r = await as['ngo.cw'].req('POST', `${V1}/referrals/${rid}/accept`);
  assert.equal(r.status, 200, r.text);
  conforms(r, 'post', V1 + '/referrals/{id}/accept');
  r = await as['ngo.cw'].req('GET', `${V1}/cases/${cid}`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.shared_view, true);
  conforms(r, 'get', V1 + '/cases/{id}', 'the shared view of a referred case');
  r = await as['ngo.cw'].req('GET', `${V1}/persons/${pid}`);
  assert.equal(r.status, 200, r.text);
  conforms(r, 'get', V1 + '/persons/{id}', 'the shared view of a referred person');
  conforms(await as.cw.req('GET', `${V1}/cases/${cid}/access-log`), 'get', V1 + '/cases/{id}/access-log');
  r = await as['ngo.cw'].req('POST', `${V1}/referrals/${rid}/accept`);
  assertProblem(r, 409, 'invalid-transition');
  conforms(r, 'post', V1 + '/referrals/{id}/accept');
});

test('session, me, organisations, roles, the directory and the field schema answer as documented', async () => {
  const c = new Client(srv.url);
  const s = await c.login('sup', PW);
  conforms(s, 'post', V1 + '/session');
  conforms(await as.cw.req('GET', V1 + '/me'), 'get', V1 + '/me');
  conforms(await as.cw.req('GET', V1 + '/orgs'), 'get', V1 + '/orgs');
  conforms(await as.adm.req('GET', V1 + '/roles'), 'get', V1 + '/roles');
  const tok = await as.adm.req('POST', V1 + '/tokens', { login: 'tr', label: 'openapi' });
  assert.equal(tok.status, 201, tok.text);
  conforms(tok, 'post', V1 + '/tokens');
  conforms(await as.adm.req('GET', V1 + '/tokens'), 'get', V1 + '/tokens');
  conforms(await as.adm.req('POST', `${V1}/tokens/${tok.json.id}/revoke`, {}), 'post', V1 + '/tokens/{id}/revoke');
  conforms(await as.adm.req('POST', `${V1}/tokens/${tok.json.id}/revoke`, {}), 'post', V1 + '/tokens/{id}/revoke');
  conforms(await as.adm.req('POST', V1 + '/tokens', { login: 'tr', expires: 'soon' }), 'post', V1 + '/tokens');
  conforms(await as.cw.req('GET', V1 + '/schema'), 'get', V1 + '/schema');
  const body = { name: 'Паноҳгоҳи муваққатӣ', type: 'shelter', languages: ['tg', 'ru'], capacity_max: 10 };
  let r = await as.adm.req('POST', V1 + '/directory/services', body);
  assert.equal(r.status, 201, r.text);
  {
    conforms(r, 'post', V1 + '/directory/services');
    r = await as.adm.req('POST', `${V1}/directory/services/${r.json.id}/locations`, { kind: 'physical', address: 'кӯчаи Рӯдакӣ 1', region: 'TJ-DU', city: 'Душанбе' });
    assert.equal(r.status, 201, r.text);
    conforms(r, 'post', V1 + '/directory/services/{id}/locations');
  }
  r = await as.cw.req('GET', V1 + '/directory/services');
  assert.equal(r.status, 200);
  conforms(r, 'get', V1 + '/directory/services');
  r = await as.adm.req('GET', V1 + '/directory/export');
  conforms(r, 'get', V1 + '/directory/export');
});

test('hotline contacts, callbacks, flags, the public form and the knowledge base answer as documented', async () => {
  const due = new Date(Date.now() + 86400000).toISOString().replace(/\.\d+Z$/, 'Z');
  const body = { channel: 'phone', call_type: 'data', caller_kind: 'relative', duration_s: 340, language: 'tg',
    topics: ['job_offer_check'], notes: 'Звонила сестра.', caller_phone: '+992 93 555 12 34',
    callback: { due, safe_note: 'после 18:00' } };
  assert.equal(requestSchema('post', V1 + '/contacts')(body), true, 'a ContactCreate with a booking');
  let r = await as.hot.req('POST', V1 + '/contacts', body);
  assert.equal(r.status, 201, r.text);
  conforms(r, 'post', V1 + '/contacts');
  const id = r.json.id;
  conforms(await as.hot.req('GET', `${V1}/contacts/${id}`), 'get', V1 + '/contacts/{id}');
  r = await as.hot.req('PATCH', `${V1}/contacts/${id}`, { action: 'info_given' }, { 'if-match': '"1"' });
  assert.equal(r.status, 200, r.text);
  conforms(r, 'patch', V1 + '/contacts/{id}');
  r = await as.hot.req('GET', `${V1}/contacts?phone=${encodeURIComponent('992935551234')}`);
  assert.equal(r.status, 200, r.text);
  conforms(r, 'get', V1 + '/contacts', 'the contacts of a number');
  conforms(await as.hot.req('GET', V1 + '/contacts?limit=1'), 'get', V1 + '/contacts');
  r = await as.hot.req('POST', V1 + '/caller-flags', { phone: '+992 93 555 12 34', flag: 'at_risk',
    until: new Date(Date.now() + 7 * 86400000).toISOString().slice(0, 10) });
  assert.equal(r.status, 201, r.text);
  conforms(r, 'post', V1 + '/caller-flags');
  conforms(await as.hot.req('GET', `${V1}/caller-flags?phone=992935551234`), 'get', V1 + '/caller-flags');
  r = await as.hot.req('POST', V1 + '/callbacks', { phone: '+992 93 000 11 22', due, language: 'ru' });
  assert.equal(r.status, 201, r.text);
  conforms(r, 'post', V1 + '/callbacks');
  const cb = r.json.id;
  conforms(await as.hot.req('GET', V1 + '/callbacks?state=all'), 'get', V1 + '/callbacks');
  conforms(await as.hot.req('GET', `${V1}/callbacks/${cb}`), 'get', V1 + '/callbacks/{id}');
  r = await as.hot.req('PATCH', `${V1}/callbacks/${cb}`, { done: true, outcome: 'reached' }, { 'if-match': '"1"' });
  assert.equal(r.status, 200, r.text);
  conforms(r, 'patch', V1 + '/callbacks/{id}');
  assert.equal(requestSchema('patch', V1 + '/callbacks/{id}')({ phone: '1' }), false, 'the number cannot be changed');

  const anon = new Client(srv.url);
  r = await anon.req('GET', V1 + '/public/form-token');
  conforms(r, 'get', V1 + '/public/form-token');
  r = await anon.req('POST', V1 + '/public/callback-requests', { phone: '931234567', token: r.json.token });
  assert.equal(r.status, 202, r.text);
  conforms(r, 'post', V1 + '/public/callback-requests');
  assert.deepEqual(doc.paths[V1 + '/public/callback-requests'].post.security, []);

  r = await as.cw.req('GET', V1 + '/kb?lang=ru');
  assert.equal(r.status, 200, r.text);
  conforms(r, 'get', V1 + '/kb');
  const art = { topic: 'general', country: 'RU', title: { tg: 'Сарлавҳа', ru: 'Заголовок', en: 'Title' },
    body: { tg: 'Матн.', ru: 'Текст.', en: 'Text.' } };
  assert.equal(requestSchema('post', V1 + '/kb')(art), true, 'a KbArticleCreate');
  r = await as.sup.req('POST', V1 + '/kb', art);
  assert.equal(r.status, 201, r.text);
  conforms(r, 'post', V1 + '/kb');
  const kid = r.json.id;
  conforms(await as.sup.req('GET', `${V1}/kb/${kid}`), 'get', V1 + '/kb/{id}');
  conforms(await as.sup.req('GET', `${V1}/kb/${kid}/history`), 'get', V1 + '/kb/{id}/history');
  conforms(await as.sup.req('GET', V1 + '/kb/gaps'), 'get', V1 + '/kb/gaps');
});

test('trainings, participants, reports and the audit trail answer as documented', async () => {
  const body = { topic: 'Выявление жертв', start: '2026-03-02', end: '2026-03-03', place: 'Хуҷанд', organiser_org: 'iom' };
  assert.equal(requestSchema('post', V1 + '/trainings')(body), true, 'a TrainingCreate');
  let r = await as.tr.req('POST', V1 + '/trainings', body);
  assert.equal(r.status, 201, r.text);
  conforms(r, 'post', V1 + '/trainings');
  const tid = r.json.id;
  r = await as.tr.req('PATCH', `${V1}/trainings/${tid}`, { place: 'Душанбе' }, { 'if-match': '"1"' });
  assert.equal(r.status, 200, r.text);
  conforms(r, 'patch', V1 + '/trainings/{id}');
  r = await as.tr.req('POST', `${V1}/trainings/${tid}/participants`,
    { agency_type: 'LawEnforcement', sex: 'Feminine', role: 'police_officer', pre_score: 40, post_score: 75 });
  assert.equal(r.status, 201, r.text);
  conforms(r, 'post', V1 + '/trainings/{id}/participants');
  await as.tr.req('POST', `${V1}/trainings/${tid}/participants`, { agency_type: 'NGO', sex: 'Masculine', role: 'ngo_staff' });
  conforms(await as.tr.req('GET', `${V1}/trainings/${tid}/participants`), 'get', V1 + '/trainings/{id}/participants');
  conforms(await as.tr.req('GET', V1 + '/trainings'), 'get', V1 + '/trainings');
  conforms(await as.tr.req('GET', `${V1}/trainings/${tid}`), 'get', V1 + '/trainings/{id}');

  r = await as.sup.req('GET', V1 + '/reports/summary?by=sex,age_band');
  assert.equal(r.status, 200, r.text);
  conforms(r, 'get', V1 + '/reports/summary');
  r = await as.sup.req('GET', V1 + '/reports/indicators');
  assert.equal(r.status, 200, r.text);
  conforms(r, 'get', V1 + '/reports/indicators');
  r = await as.sup.req('GET', V1 + '/reports/summary?by=shoe_size');
  assertProblem(r, 422, 'invalid-value');
  conforms(r, 'get', V1 + '/reports/summary');

  r = await as.cw.req('POST', V1 + '/persons', { given_name: 'Зарина' });
  r = await as.sup.req('GET', `${V1}/audit?record=persons/${r.json.id}`);
  assert.equal(r.status, 200, r.text);
  conforms(r, 'get', V1 + '/audit');
});

test('files answer with a documented media type', async () => {
  const files = [
    [as.sup, V1 + '/reports/indicators?format=csv', V1 + '/reports/indicators'],
    [as.sup, V1 + '/reports/indicators?format=xlsx', V1 + '/reports/indicators'],
    [as.sup, V1 + '/exports/htcds.csv', V1 + '/exports/htcds.csv'],
    [as.sup, V1 + '/exports/ctdc.csv', V1 + '/exports/ctdc.csv'],
    [as.sup, V1 + '/exports/cases.xlsx', V1 + '/exports/cases.xlsx'],
  ];
  for (const [who, url, path] of files) {
    const r = await who.req('GET', url);
    assert.equal(r.status, 200, url + ': ' + r.text.slice(0, 300));
    const type = r.headers.get('content-type').split(';')[0].trim();
    const content = doc.paths[path].get.responses['200'].content;
    assert.ok(content[type], `${url}: ${type} is one of ${Object.keys(content)}`);
  }
});

test('problem+json errors answer as documented', async () => {
  let r = await as.cw.req('GET', `${V1}/persons/aaaaaaaaaaaaaaaaaaaaaaaaaa`);
  assertProblem(r, 404, 'not-found');
  conforms(r, 'get', V1 + '/persons/{id}');
  r = await as.cw.req('POST', V1 + '/persons', { given_name: 'Али', ssn: '1' });
  assertProblem(r, 422, 'unknown-field');
  conforms(r, 'post', V1 + '/persons');
  r = await as.cw.req('POST', V1 + '/persons', { given_name: 'Али' });
  const pid = r.json.id;
  r = await as.cw.req('PATCH', `${V1}/persons/${pid}`, { given_name: 'Алӣ' });
  assertProblem(r, 428, 'precondition-required');
  conforms(r, 'patch', V1 + '/persons/{id}');
  r = await as.cw.req('PATCH', `${V1}/persons/${pid}`, { given_name: 'Алӣ' }, { 'if-match': '"7"' });
  assertProblem(r, 412, 'version-conflict');
  conforms(r, 'patch', V1 + '/persons/{id}');
  r = await as.cw.req('POST', V1 + '/persons', '{"given_name":', { 'content-type': 'application/json' });
  assertProblem(r, 400, 'invalid-json');
  conforms(r, 'post', V1 + '/persons');
  r = await new Client(srv.url).req('GET', V1 + '/cases');
  assertProblem(r, 401, 'unauthenticated');
  conforms(r, 'get', V1 + '/cases');
});

test('the schemas refuse what the server refuses', () => {
  const create = requestSchema('post', V1 + '/persons');
  assert.equal(create({ ...person, ssn: '123' }), false, 'an unknown field');
  assert.equal(create({ given_name: 'x'.repeat(101) }), false, 'longer than maxLength');
  assert.equal(create({ gender: 'Martian' }), false, 'a code outside its list');
  assert.equal(create({ trafficking_status: 'x' }), false);
  assert.equal(requestSchema('post', V1 + '/cases')({ status: 'Active' }), false, 'person_id is required');
  assert.equal(requestSchema('post', V1 + '/cases')({ person_id: 'x', trafficking_status: 'ActualVictimOfTrafficking' }), false,
    'a read-only field in a body');
  const answer = answerSchema('get', V1 + '/persons/{id}', 200);
  assert.equal(answer({ id: 'abcdefghijklmnopqrstuvwxyz', version: 1, secret: 1 }), false, 'an undocumented member');
  assert.equal(answer({ version: 1 }), false, 'no id');
  const problem = answerSchema('get', V1 + '/persons/{id}', 404);
  assert.equal(problem({ type: 'not-found', title: 'Not Found' }), false, 'a problem without status');
});
