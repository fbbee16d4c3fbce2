// A sealed field cannot leave without an audit entry.  Every pii and
// sensitive field of every kind of record is filled, through the API, with
// a canary (a value that appears nowhere else); then every route of the
// routing table (the OpenAPI document, which tests/unit/test_openapi.c
// holds equal to the table) is called as users of every role and of three
// organisations: GET with every id that fits each path parameter, and
// PATCH with an empty body.  Whenever an answer holds a canary, the audit
// must hold a read of that record's field by that user, written after the
// request was made.  A handler that writes a sealed value past
// api/disclose.h fails here.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, signInAll } from '../lib/server.mjs';
import { sqlSession } from '../lib/datadir.mjs';

const PW = 'sealed walk password';
const V1 = '/api/v1';
const orgs = [
  { code: 'ngo2', name: 'NGO Two', type: 'NGO' },
  { code: 'police', name: 'Police Anti-Trafficking Unit', type: 'LawEnforcement' },
];
const users = [
  ['iom', 'a.cw', 'caseworker'], ['iom', 'a.sup', 'supervisor'], ['iom', 'a.hot', 'hotline'],
  ['iom', 'a.adm', 'admin'], ['iom', 'a.an', 'analyst'], ['iom', 'a.tr', 'trainer'],
  ['ngo2', 'b.cw', 'caseworker'], ['ngo2', 'b.sup', 'supervisor'], ['ngo2', 'b.adm', 'admin'],
  ['police', 'p.fp', 'focal_point'],
].map(([org, login, role]) => ({ org, login, role, password: PW }));

let srv;
const as = {};
const uid = {};
const ids = {};       // path segment before a parameter -> ids to try
const canaries = [];  // {value, records: [record names], field}
const queries = [];   // GET paths with a query that show sealed values

const rnd = () => Math.random().toString(36).slice(2, 10);
const digits = () => String(Math.floor(1e7 + Math.random() * 9e7));
const today = () => new Date().toISOString().slice(0, 10);

// A canary text of a record's field; audited under one of records as field.
function canary(records, field, value) {
  const v = value ?? `Zq${field.replace(/[^a-z]/g, '')}${rnd()}`;
  canaries.push({ value: v, records, field });
  return v;
}

function remember(segment, id) {
  (ids[segment] ||= []).push(id);
}

async function ok(who, method, path, body, status = [200, 201]) {
  const r = await as[who].req(method, path, body);
  assert.ok([].concat(status).includes(r.status), `${who} ${method} ${path}: ${r.status} ${r.text}`);
  return r.json;
}

before(async () => {
  srv = await startServer({ users, orgs });
  await signInAll(srv, users, PW, as, uid);
});

after(async () => {
  session?.close();
  if (srv) {
    await srv.stop();
    srv.cleanup();
  }
});

// Every sealed field of every kind, through the API, as its users make it.
async function makeRecords() {
  const tokenAt = Date.now();
  const form = await (await fetch(srv.url + V1 + '/public/form-token')).json();

  // A person with every pii and sensitive field.
  const pid = (await ok('a.cw', 'POST', V1 + '/persons', { given_name: 'Placeholder' })).id;
  const P = [`persons/${pid}`];
  const phone = '+992 ' + digits();
  canary(P, 'phones', phone);
  const person = {
    given_name: canary(P, 'given_name'), family_name: canary(P, 'family_name'),
    patronymic: canary(P, 'patronymic'), aliases: [canary(P, 'aliases')],
    birth_date: canary(P, 'birth_date', '1971-02-03'),
    district_of_origin: canary(P, 'district_of_origin'), phones: [phone],
    identity_documents: [{ type: 'national_passport', number: canary(P, 'identity_documents') }],
    address: canary(P, 'address'),
  };
  const pv = await ok('a.cw', 'GET', `${V1}/persons/${pid}`);
  const r = await as['a.cw'].req('PATCH', `${V1}/persons/${pid}`, person, { 'if-match': `"${pv.version}"` });
  assert.equal(r.status, 200, r.text);
  remember('persons', pid);
  queries.push(`${V1}/persons?q=${encodeURIComponent(person.family_name)}`,
    `${V1}/cases?q=${encodeURIComponent(person.family_name)}`);

  // The same person registered again: the pair is listed for review with
  // both persons' names (GET /duplicates, and the answers of its actions).
  const twin = (await ok('a.cw', 'POST', V1 + '/persons', {
    given_name: person.given_name, family_name: person.family_name,
    patronymic: person.patronymic, birth_date: '1971-03-02',
  })).id;
  P.push(`persons/${twin}`);
  remember('persons', twin);
  const pairs = (await ok('a.cw', 'GET', V1 + '/duplicates')).items;
  assert.ok(pairs.length >= 1, 'the twin is a likely duplicate');
  for (const x of pairs) remember('duplicates', x.id);

  // Consents (their notes), to assistance, referral and law enforcement.
  for (const purpose of ['assistance', 'referral', 'law_enforcement']) {
    const c = await ok('a.cw', 'POST', `${V1}/persons/${pid}/consents`,
      { purpose, method: 'written', notes: canary(P, 'consent.notes') });
    remember('consents', c.id);
  }

  // Prevention records of the person (no case): a service, a household
  // with its members and remittances, and its DoMV assessment.
  const ps = await ok('a.cw', 'POST', `${V1}/persons/${pid}/prevention-services`,
    { type: 'tvet', status: 'planned', trade: canary(P, 'prevention_service.trade'), notes: canary(P, 'prevention_service.notes') });
  remember('prevention-services', ps.id);
  const remit = canary(P, 'household.remittance_monthly', String(1000000 + Math.floor(Math.random() * 8999999)));
  const hh = await ok('a.cw', 'POST', `${V1}/persons/${pid}/households`, {
    district: canary(P, 'household.district'), remittance_monthly: Number(remit), notes: canary(P, 'household.notes'),
    members: [{ name: canary(P, 'household.members'), relation: 'spouse', abroad: true, country: 'RU' }] });
  remember('households', hh.id);
  const da = await ok('a.cw', 'POST', `${V1}/households/${hh.id}/assessments`, {
    date: today(), rating: 'medium', notes: canary(P, 'domv_assessment.notes'),
    factors: [{ level: 'Household', kind: 'risk', factor: canary(P, 'domv_assessment.factors') }] });
  remember('assessments', da.id);

  // A case with its sealed fields, and a record of every kind.
  const C = (cid) => [`cases/${cid}`];
  const caseBody = { person_id: pid };
  const cs = await ok('a.cw', 'POST', V1 + '/cases', caseBody);
  const cid = cs.id;
  const cpatch = { summary: canary(C(cid), 'summary'), recruitment_place: canary(C(cid), 'recruitment_place') };
  const rp = await as['a.cw'].req('PATCH', `${V1}/cases/${cid}`, cpatch, { 'if-match': `"${cs.version}"` });
  assert.equal(rp.status, 200, rp.text);
  remember('cases', cid);
  const note = await ok('a.cw', 'POST', `${V1}/cases/${cid}/notes`, { type: 'note', text: canary(C(cid), 'note.text') });
  remember('notes', note.id);
  const svc = await ok('a.cw', 'POST', `${V1}/cases/${cid}/services`,
    { type: 'legal', status: 'planned', notes: canary(C(cid), 'service.notes') });
  remember('services', svc.id);
  // A start-up grant: its trade and amount are the person's (sealed); it
  // schedules its livelihood follow-ups.
  const amount = canary(C(cid), 'service.grant_amount', digits());
  const grant = await ok('a.cw', 'POST', `${V1}/cases/${cid}/services`,
    { type: 'business_startup_grant', status: 'completed', start: today(), end: today(),
      trade: canary(C(cid), 'service.trade'), grant_amount: Number(amount), currency: 'USD' });
  remember('services', grant.id);
  const plan = await ok('a.cw', 'POST', `${V1}/cases/${cid}/plans`,
    { type: 'SocialCare', notes: canary(C(cid), 'plan.notes'), goals: [{ goal: canary(C(cid), 'plan.goals') }] });
  remember('plans', plan.id);
  const fu = await ok('a.cw', 'POST', `${V1}/cases/${cid}/followups`,
    { due: today(), outcome: canary(C(cid), 'followup.outcome') });
  remember('followups', fu.id);
  await ok('a.sup', 'POST', `${V1}/cases/${cid}/status-decisions`,
    { status: 'PossibleVictimOfTrafficking', date: today(), reference: canary(C(cid), 'status_decision.reference') });

  // The criminal-justice track, by the owning organisation's supervisor:
  // a perpetrator (names in its own record) and a proceeding; a risk
  // assessment and a safety plan.
  const PR = (id) => [`perpetrators/${id}`];
  const perp = await ok('a.sup', 'POST', `${V1}/cases/${cid}/perpetrators`,
    { given_name: 'Placeholder', role_in_process: ['RecruiterOrIntermediary'] });
  const perpBody = { given_name: canary(PR(perp.id), 'perpetrator.given_name'),
    family_name: canary(PR(perp.id), 'perpetrator.family_name'),
    aliases: [canary(PR(perp.id), 'perpetrator.aliases')],
    identifiers: [canary(PR(perp.id), 'perpetrator.identifiers')],
    role_details: canary(PR(perp.id), 'perpetrator.role_details') };
  const pp = await as['a.sup'].req('PATCH', `${V1}/perpetrators/${perp.id}`, perpBody, { 'if-match': '"1"' });
  assert.equal(pp.status, 200, pp.text);
  remember('perpetrators', perp.id);
  queries.push(`${V1}/perpetrators?q=${encodeURIComponent(perpBody.family_name)}`);
  const proc = await ok('a.sup', 'POST', `${V1}/cases/${cid}/proceedings`,
    { article: '130.1', reported_on: today(), case_number: canary(C(cid), 'proceeding.case_number'),
      notes: canary(C(cid), 'proceeding.notes'), protection_measures: ['relocation'] });
  remember('proceedings', proc.id);
  const risk = await ok('a.cw', 'POST', `${V1}/cases/${cid}/risk-assessments`,
    { level: 'high', assessed_on: today(), review_on: today(), threats: canary(C(cid), 'risk.threats') });
  remember('risk-assessments', risk.id);
  const safety = await ok('a.cw', 'POST', `${V1}/cases/${cid}/safety-plans`,
    { agreed_on: today(), review_on: today(), measures: canary(C(cid), 'safety.measures'),
      emergency_contacts: canary(C(cid), 'safety.emergency_contacts') });
  remember('safety-plans', safety.id);

  // A referral to ngo2 sharing everything, accepted; one to the police.
  const share = ['given_name', 'family_name', 'patronymic', 'aliases', 'birth_date', 'phones',
    'district_of_origin', 'identity_documents', 'address', 'summary', 'recruitment_place'];
  const ref = await ok('a.cw', 'POST', V1 + '/referrals',
    { case_id: cid, to_org: 'ngo2', service_type: 'legal', reason: 'Placeholder', share });
  remember('referrals', ref.id);
  await ok('b.sup', 'POST', `${V1}/referrals/${ref.id}/accept`, undefined, 200);
  const pref = await ok('a.cw', 'POST', V1 + '/referrals',
    { case_id: cid, to_org: 'police', service_type: 'legal', share: ['given_name'],
      reason: 'R' + rnd() });
  canaries.push({ value: pref.reason, records: [`referrals/${pref.id}`], field: 'reason' });
  remember('referrals', pref.id);

  // The hotline: a contact, a callback, a caller flag.
  const cphone = '+992 ' + digits();
  const contact = await ok('a.hot', 'POST', V1 + '/contacts', { channel: 'phone', call_type: 'data',
    caller_kind: 'self', caller_phone: cphone, notes: 'Placeholder', caller_region: 'Placeholder' });
  const K = [`contacts/${contact.id}`];
  canary(K, 'caller_phone', cphone);
  const kv = await ok('a.hot', 'GET', `${V1}/contacts/${contact.id}`);
  const kp = await as['a.hot'].req('PATCH', `${V1}/contacts/${contact.id}`,
    { notes: canary(K, 'notes'), caller_region: canary(K, 'caller_region') }, { 'if-match': `"${kv.version}"` });
  assert.equal(kp.status, 200, kp.text);
  remember('contacts', contact.id);
  const cbPhone = '+992 ' + digits();
  const safeNote = 'SafeNote' + rnd();
  const cb = await ok('a.hot', 'POST', V1 + '/callbacks', { phone: cbPhone, due: '2031-05-02T09:00:00Z', safe_note: safeNote });
  canary([`callbacks/${cb.id}`], 'phone', cbPhone);
  canary([`callbacks/${cb.id}`], 'safe_note', safeNote);
  remember('callbacks', cb.id);
  const flag = await ok('a.hot', 'POST', V1 + '/caller-flags', { phone: cphone, flag: 'at_risk', until: today(),
    note: 'Placeholder' });
  remember('caller-flags', flag.id);
  queries.push(`${V1}/contacts?phone=${encodeURIComponent(cphone)}`);
  // The note of the flag is written once, at creation: make another flag
  // whose note is a canary, read back only by others than its author.
  const flag2 = await as['a.hot'].req('POST', V1 + '/caller-flags', { phone: cphone, flag: 'safe_hours_only',
    until: today(), note: 'FlagNote' + rnd() });
  if (flag2.status === 201)
    canaries.push({ value: flag2.json.note, records: [`caller_flags/${flag2.json.id}`], field: 'note' });

  // The public form: a request from a frightened caller.
  const wait = 3200 - (Date.now() - tokenAt);
  if (wait > 0) await new Promise((res) => setTimeout(res, wait));
  const pubPhone = '+992 ' + digits();
  const pub = await fetch(srv.url + V1 + '/public/callback-requests', {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ phone: pubPhone, message: 'PubMsg' + rnd(), preferred_time: 'PubTime' + rnd(),
      token: form.token }),
  });
  assert.equal(pub.status, 202);
  const queue = await ok('a.hot', 'GET', V1 + '/callbacks');
  for (const item of queue.items || []) {
    if (item.message && item.message.startsWith('PubMsg')) {
      const recs = [`callbacks/${item.id}`];
      canaries.push({ value: item.message, records: recs, field: 'message' });
      canaries.push({ value: item.preferred_time, records: recs, field: 'preferred_time' });
      canaries.push({ value: pubPhone, records: recs, field: 'phone' });
      remember('callbacks', item.id);
    }
  }

  // A shelter of ngo2 with beds, where ngo2 admits the referred person.
  const beds = await ok('b.sup', 'POST', V1 + '/directory/services',
    { name: 'Walk beds', type: 'shelter', capacity_max: 3 });
  const stay = await ok('b.cw', 'POST', `${V1}/directory/services/${beds.id}/stays`,
    { case_id: cid, admitted_on: today(), admission_reason: 'safety', notes: canary(C(cid), 'stay.notes') });
  remember('stays', stay.id);
  remember('services', beds.id);

  // A shelter of ngo2 with its address.
  const shelter = await ok('b.sup', 'POST', V1 + '/directory/services', { name: 'Walk shelter', type: 'shelter' });
  await ok('b.sup', 'POST', `${V1}/directory/services/${shelter.id}/locations`,
    { kind: 'physical', name: 'Walk house', address: 'Placeholder', region: 'TJ-DU' });
  remember('services', shelter.id);
  queries.push(`${V1}/directory/services?search=Walk`, `${V1}/callbacks`,
    `${V1}/referrals?box=out`, `${V1}/followups?assigned=all`);
  // The address canary: a second location, made by its own staff.
  const addr = 'Addr' + rnd();
  const loc2 = await ok('b.sup', 'POST', `${V1}/directory/services/${shelter.id}/locations`,
    { kind: 'physical', name: 'Walk house 2', address: addr, region: 'TJ-DU' });
  canaries.push({ value: addr, records: [`directory/locations/${loc2.id}`], field: 'address' });
}

// One connection for the hundreds of questions below (lib/datadir.mjs).
let session;
const db = () => (session ??= sqlSession(srv.data + '/himoya.db'));

async function auditMax() {
  return Number((await db().query('SELECT coalesce(max(seq), 0) FROM audit')).trim());
}

// Read entries of a user after seq, as [record, fields] pairs.
async function readsAfter(seq, userId) {
  const out = await db().query(
    `SELECT record || char(9) || coalesce(fields, '') FROM audit_log WHERE seq > ${seq}` +
    ` AND action = 'read' AND user_id = '${userId}'`);
  return out.split('\n').filter(Boolean).map((l) => l.split('\t'));
}

async function auditedBy(seq, userId, c) {
  const end = Date.now() + 2000;
  for (;;) {
    const found = (await readsAfter(seq, userId)).some(([record, fields]) =>
      c.records.includes(record) && fields.split(',').some((f) => f === c.field || f === '*'));
    if (found || Date.now() > end) return found;
    await new Promise((res) => setTimeout(res, 25));
  }
}

// The concrete paths of a route: each {param} by every id that fits the
// segment before it (all known ids when none is known for it).
function expand(path) {
  const parts = path.split('/');
  let outs = [''];
  for (let i = 1; i < parts.length; i++) {
    const seg = parts[i];
    if (/^\{.*\}$/.test(seg)) {
      const cands = ids[parts[i - 1]] || Object.values(ids).flat();
      outs = outs.flatMap((o) => cands.map((id) => `${o}/${id}`));
    } else {
      outs = outs.map((o) => `${o}/${seg}`);
    }
  }
  return outs;
}

test('no sealed value reaches an answer without its read audit, on any route, for any user', async () => {
  await makeRecords();
  assert.ok(canaries.length >= 25, 'canaries in every kind: ' + canaries.length);
  const doc = (await as['a.adm'].req('GET', V1 + '/openapi.json')).json;
  const routes = [];
  for (const [path, ops] of Object.entries(doc.paths))
    for (const method of Object.keys(ops))
      if (method === 'get' || method === 'patch') routes.push([method.toUpperCase(), path]);
  assert.ok(routes.length > 40, 'the routing table: ' + routes.length);

  const calls = [];
  for (const [method, path] of routes)
    for (const p of expand(path)) calls.push([method, p]);
  for (const p of queries) calls.push(['GET', p]);

  const seen = new Set();
  const missing = [];
  let requests = 0;
  let seq = await auditMax();
  for (const who of Object.keys(as)) {
    for (const [method, p] of calls) {
      const r = await as[who].req(method, p, method === 'PATCH' ? {} : undefined,
        method === 'PATCH' ? { 'if-match': '"1"' } : {});
      requests++;
      if (method === 'PATCH')
        assert.ok(r.status >= 400, `${who} PATCH ${p} with {} changed something: ${r.status}`);
      const shown = canaries.filter((c) => r.text.includes(c.value));
      if (!shown.length) continue;
      // Read entries since the last answer that showed a canary: this
      // answer's must be among them.
      for (const c of shown) {
        seen.add(c.value);
        if (!(await auditedBy(seq, uid[who], c)))
          missing.push(`${who} ${method} ${p}: ${c.field} of ${c.records[0]} shown, no read entry`);
      }
      seq = await auditMax();
    }
  }
  // Then every action (a POST on a record: close, reopen, withdraw,
  // accept, complete, transfer, attach...) and every create, with an empty
  // body, by every user: an answer that shows a sealed value has its read
  // entry too.  After the reads, since actions change the records; the
  // administrator's own routes (users, orgs, tokens, me) hold no sealed
  // value and would lock the walkers out.
  const admin = /^\/api\/v1\/(users|orgs|roles|tokens|me|session|public)(\/|$)/;
  const posts = [];
  for (const [path, ops] of Object.entries(doc.paths))
    if (ops.post && !admin.test(path)) for (const p of expand(path)) posts.push(p);
  assert.ok(posts.length > 40, 'actions: ' + posts.length);
  let acted = 0;
  for (const who of Object.keys(as)) {
    for (const p of posts) {
      const r = await as[who].req('POST', p, {});
      requests++;
      if (r.status < 300) acted++;
      const shown = canaries.filter((x) => r.text.includes(x.value));
      if (!shown.length) continue;
      for (const c of shown)
        if (!(await auditedBy(seq, uid[who], c)))
          missing.push(`${who} POST ${p}: ${c.field} of ${c.records[0]} shown, no read entry`);
      seq = await auditMax();
    }
  }
  assert.ok(acted > 5, 'actions that did something: ' + acted);
  assert.deepEqual(missing, [], missing.join('\n'));
  // The walk did reach sealed values of every kind (else it proves nothing).
  const unseen = canaries.filter((c) => !seen.has(c.value)).map((c) => `${c.field} of ${c.records[0]}`);
  assert.deepEqual(unseen, [], 'canaries no route showed: ' + unseen.join(', '));
  assert.ok(requests > 300, 'requests made: ' + requests);
});
