// The permission matrix: every role, in the case's own organisation and in
// another one, against every action on a case, for every relation a user
// can have to the case.  The expected answer of each cell comes from the
// table below, written out by hand from src/domain/policy.c: a change of
// the policy must change this table too, or this test fails.
//
//   not visible (no case.read / person.read)   404
//   visible, action not allowed                403
//   allowed                                    2xx
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, signInAll } from '../lib/server.mjs';

// ---- the policy, mirrored from src/domain/policy.c ---------------------------

const OWN = 1, ASSIGNED = 2, OPEN = 4, REF = 8, AUTH = 32; // enum policy_cond
const workers = ['caseworker', 'supervisor'];
const readers = ['caseworker', 'supervisor', 'hotline', 'focal_point'];
const recipients = ['caseworker', 'supervisor', 'focal_point'];
const supervisors = ['supervisor'];
const focalPoints = ['focal_point'];
const supervisorsAdmins = ['supervisor', 'admin'];
const entryStaff = ['caseworker', 'supervisor', 'hotline'];

// action -> rules [roles, conditions that must all hold]; any rule allows.
const POLICY = {
  'case.read': [[readers, OWN], [recipients, REF]],
  'case.update': [[workers, OWN], [focalPoints, OWN | AUTH]],
  'case.close': [[workers, OWN]],
  'case.record': [[workers, OWN], [recipients, REF | OPEN]],
  'case.screen': [[workers, OWN | OPEN], [focalPoints, OWN | OPEN | AUTH]],
  'case.decide': [[supervisors, OWN], [focalPoints, OWN | AUTH], [focalPoints, REF | AUTH]],
  'case.refer': [[workers, OWN | OPEN], [focalPoints, OWN | OPEN | AUTH]],
  'case.access_log': [[workers, OWN], [supervisorsAdmins, OWN], [focalPoints, OWN | AUTH]],
  'person.read': [[readers, OWN], [recipients, REF]],
  'person.update': [[workers, OWN], [focalPoints, OWN | AUTH]],
  // The NRM's entry points (issue 15).
  'person.create': [[entryStaff, OWN], [focalPoints, OWN | AUTH]],
  'case.open': [[entryStaff, OWN], [focalPoints, OWN | AUTH]],
  'consent.record': [[entryStaff, OWN], [focalPoints, OWN | AUTH]],
  // The criminal-justice track and shelters (issue 15).
  'justice.read': [[supervisors, OWN], [focalPoints, OWN | AUTH], [focalPoints, REF | AUTH]],
  'justice.record': [[supervisors, OWN], [focalPoints, OWN | AUTH], [focalPoints, REF | AUTH]],
  'shelter.stay': [[workers, OWN]], // OWN: of the shelter (each actor's organisation runs one)
};
// GET /cases is open to these roles (case_readers in src/api/cases.c).
const LIST_ROLES = ['caseworker', 'supervisor', 'hotline', 'focal_point'];

const allows = (action, role, rel) => POLICY[action].some(([roles, need]) => roles.includes(role) &&
  (rel & need) === need);

const ROLES = ['admin', 'supervisor', 'caseworker', 'hotline', 'focal_point', 'analyst', 'trainer'];

// The organisations: the case's own (IOM, an IGO: no authority) and the
// police (law enforcement: an authority for identification decisions).
const ORG_A = 'iom';
const ORG_B = 'police';

// Relations of the acting user to the case: who owns the case, where the
// actor sits, what referral there is, and what then holds (the policy's
// relation while the case is open).
const RELATIONS = {
  'own org': { owner: ORG_A, actor: ORG_A, rel: OWN | OPEN },
  'own org (authority)': { owner: ORG_B, actor: ORG_B, rel: OWN | OPEN | AUTH },
  'other org': { owner: ORG_A, actor: ORG_B, rel: OPEN | AUTH },
  'referred-accepted': { owner: ORG_A, actor: ORG_B, referral: 'accepted', rel: REF | OPEN | AUTH },
  'referred-pending': { owner: ORG_A, actor: ORG_B, referral: 'sent', rel: OPEN | AUTH },
  'consent withdrawn': { owner: ORG_A, actor: ORG_B, referral: 'withdrawn-consent', rel: OPEN | AUTH },
};

// What holds between the actor and a record it makes in its own
// organisation: own, and authority for the police's users.
const actorRel = (rel) => OWN | (rel & AUTH);
const ownsCase = (rel) => (rel & OWN) !== 0;

// Status of an action on a case for role under rel.
function expected(action, role, rel) {
  const visible = allows('case.read', role, rel);
  switch (action) {
    case 'register person': return allows('person.create', role, actorRel(rel)) ? 201 : 403;
    case 'record consent':
      if (!ownsCase(rel) || !allows('person.read', role, OWN)) return 404;
      return allows('consent.record', role, rel) ? 201 : 403;
    case 'open case':
      if (!allows('case.open', role, actorRel(rel))) return 403;
      return ownsCase(rel) ? 201 : 422;
    case 'read case': return visible ? 200 : 404;
    case 'list': return LIST_ROLES.includes(role) ? (visible ? 'listed' : 'not listed') : 403;
    case 'read person': return allows('person.read', role, rel) ? 200 : 404;
    // A person is changed only by its own organisation: others get 404.
    case 'correct person':
      if (!ownsCase(rel) || !allows('person.read', role, rel)) return 404;
      return allows('person.update', role, rel) ? 200 : 403;
    // Others who see the case see that a proceeding is there, not what.
    case 'read proceeding': return !visible ? 404 : allows('justice.read', role, rel) ? 'full' : 'restricted';
    // The shelter is checked first (it is the actor's own), then the case.
    case 'admit to shelter':
      if (!allows('shelter.stay', role, OWN)) return 403;
      if (!visible) return 404;
      return allows('case.record', role, rel) ? 201 : 403;
    default: {
      const [act, ok] = {
        'access-log': ['case.access_log', 200],
        'add service': ['case.record', 201],
        screening: ['case.screen', 201],
        'status decision': ['case.decide', 201],
        'record proceeding': ['justice.record', 201],
        refer: ['case.refer', 201],
        'update case': ['case.update', 200],
        close: ['case.close', 200],
      }[action];
      if (!visible) return 404;
      return allows(act, role, rel) ? ok : 403;
    }
  }
}

// In this order: the ones that change the case last, closing at the end
// (the case stays open, as the relations above assume, until then).
const ACTIONS = ['read case', 'list', 'read person', 'access-log', 'add service', 'screening',
  'status decision', 'read proceeding', 'record proceeding', 'admit to shelter', 'refer', 'register person',
  'record consent', 'open case', 'correct person', 'update case', 'close'];

// ---- the server --------------------------------------------------------------

const PW = 'permission matrix password';
const login = (org, role) => `${org}.${role}`;
const users = [];
for (const org of [ORG_A, ORG_B])
  for (const role of ROLES) users.push({ org, login: login(org, role), role, password: PW });

let srv;
const as = {};
const shelters = {}; // organisation -> its shelter's id

before(async () => {
  srv = await startServer({
    users,
    orgs: [{ code: ORG_B, name: 'Police', type: 'LawEnforcement' }, { code: 'ngo9', name: 'NGO Nine', type: 'NGO' }],
  });
  await signInAll(srv, users, PW, as);
  for (const org of [ORG_A, ORG_B]) {
    const r = await as[login(org, 'supervisor')].req('POST', '/api/v1/directory/services',
      { name: `Shelter of ${org}`, type: 'shelter', capacity_max: 1000 });
    assert.equal(r.status, 201, r.text);
    shelters[org] = r.json.id;
  }
});

after(async () => {
  if (srv) {
    await srv.stop();
    srv.cleanup();
  }
});

const V1 = '/api/v1';
const today = () => new Date().toISOString().slice(0, 10);

async function must(who, method, path, body, status = 201) {
  const r = await as[who].req(method, V1 + path, body);
  assert.equal(r.status, status, `${who} ${method} ${path}: ${r.text}`);
  return r.json;
}

// A fresh open case of the relation's owner, with the referral the
// relation needs; returns its ids and the owner's caseworker.
async function fixture(relation) {
  const owner = login(relation.owner, 'caseworker');
  const p = await must(owner, 'POST', '/persons', { given_name: 'Шахло', family_name: 'Мирзоева', gender: 'Feminine' });
  await must(owner, 'POST', `/persons/${p.id}/consents`, { purpose: 'assistance', method: 'written' });
  const k = await must(owner, 'POST', `/persons/${p.id}/consents`, { purpose: 'referral', method: 'written' });
  const c = await must(owner, 'POST', '/cases', { person_id: p.id });
  // A proceeding, recorded by the owning organisation's supervisor.
  await must(login(relation.owner, 'supervisor'), 'POST', `/cases/${c.id}/proceedings`,
    { article: '130.1', reported_on: today(), case_number: 'CN-SECRET-1' });
  if (relation.referral) {
    const f = await must(owner, 'POST', '/referrals',
      { case_id: c.id, to_org: ORG_B, service_type: 'legal', reason: 'identification', share: ['gender', 'status'] });
    if (relation.referral !== 'sent') await must(login(ORG_B, 'caseworker'), 'POST', `/referrals/${f.id}/accept`,
      undefined, 200);
    if (relation.referral === 'withdrawn-consent')
      await must(owner, 'POST', `/consents/${k.id}/withdraw`, undefined, 200);
  }
  return { id: c.id, pid: p.id, owner };
}

// Do action as who on the fixture; the status, or for the list whether
// the case is in it.
async function perform(action, who, fx) {
  const c = as[who];
  const path = `${V1}/cases/${fx.id}`;
  let r;
  switch (action) {
    case 'read case': r = await c.req('GET', path); break;
    case 'list':
      r = await c.req('GET', `${V1}/cases?person_id=${fx.pid}`);
      if (r.status === 200) return r.json.items.some((x) => x.id === fx.id) ? 'listed' : 'not listed';
      break;
    case 'read person': r = await c.req('GET', `${V1}/persons/${fx.pid}`); break;
    case 'access-log': r = await c.req('GET', `${path}/access-log`); break;
    case 'add service': r = await c.req('POST', `${path}/services`, { type: 'legal', status: 'planned' }); break;
    case 'screening':
      r = await c.req('POST', `${path}/screenings`, { instrument: 'delphi-adult-labour', answers: { 'D1-S1': 'yes' } });
      break;
    case 'status decision':
      r = await c.req('POST', `${path}/status-decisions`,
        { status: 'PossibleVictimOfTrafficking', date: today(), reference: 'M-1' });
      break;
    case 'register person':
      r = await c.req('POST', `${V1}/persons`, { given_name: 'Бахтиёр', gender: 'Masculine' });
      break;
    case 'record consent':
      r = await c.req('POST', `${V1}/persons/${fx.pid}/consents`, { purpose: 'law_enforcement', method: 'written' });
      break;
    case 'open case': r = await c.req('POST', `${V1}/cases`, { person_id: fx.pid }); break;
    case 'refer':
      r = await c.req('POST', `${V1}/referrals`, { case_id: fx.id, to_org: 'ngo9', share: ['gender'] });
      break;
    case 'read proceeding':
      r = await c.req('GET', `${path}/proceedings`);
      if (r.status === 200) {
        assert.equal(r.json.items.length, 1, `${who} ${action}: ${r.text}`);
        const full = r.text.includes('CN-SECRET-1');
        assert.equal(r.json.items[0].restricted === true, !full, `${who} ${action}: ${r.text}`);
        return full ? 'full' : 'restricted';
      }
      break;
    case 'record proceeding':
      r = await c.req('POST', `${path}/proceedings`, { article: '132', reported_on: today() });
      break;
    case 'admit to shelter': {
      const org = users.find((u) => u.login === who).org;
      r = await c.req('POST', `${V1}/directory/services/${shelters[org]}/stays`,
        { case_id: fx.id, admitted_on: today(), admission_reason: 'safety' });
      break;
    }
    case 'update case': {
      // The current version, as the owner reads it.
      const cur = await as[fx.owner].req('GET', path);
      r = await c.req('PATCH', path, { summary: `changed by ${who}` }, { 'if-match': `"${cur.json.version}"` });
      break;
    }
    case 'correct person': {
      const cur = await as[fx.owner].req('GET', `${V1}/persons/${fx.pid}`);
      r = await c.req('PATCH', `${V1}/persons/${fx.pid}`, { patronymic: `Каримович ${who}` },
        { 'if-match': `"${cur.json.version}"` });
      break;
    }
    case 'close': r = await c.req('POST', `${path}/close`, { reason: 'duplicate' }); break;
    default: throw new Error(action);
  }
  if (r.status >= 400) {
    // Refusals are problems of the right kind.
    assert.match(r.headers.get('content-type') || '', /^application\/problem\+json/, `${who} ${action}`);
    const slug = { 403: 'forbidden', 404: 'not-found', 422: 'invalid-value' }[r.status];
    if (slug) assert.equal(r.json.type, slug, `${who} ${action}: ${r.text}`);
  }
  return r.status;
}

// ---- the matrix --------------------------------------------------------------

test('the expected matrix is not trivial', () => {
  const seen = new Set();
  for (const [, rel] of Object.entries(RELATIONS))
    for (const role of ROLES)
      for (const a of ACTIONS) seen.add(String(expected(a, role, rel.rel)));
  for (const s of ['200', '201', '403', '404', '422', 'listed', 'not listed', 'full', 'restricted']) assert.ok(seen.has(s), s);
  // Spot checks that read the policy in words.
  assert.equal(expected('status decision', 'focal_point', RELATIONS['referred-accepted'].rel), 201,
    'a police focal point decides on a case referred to it');
  assert.equal(expected('status decision', 'focal_point', RELATIONS['own org'].rel), 403,
    'a focal point of a non-authority does not decide');
  assert.equal(expected('update case', 'caseworker', RELATIONS['referred-accepted'].rel), 403,
    'a recipient does not change the case');
  assert.equal(expected('read case', 'hotline', RELATIONS['referred-accepted'].rel), 404,
    'a hotline operator does not receive referrals');
  assert.equal(expected('access-log', 'admin', RELATIONS['own org'].rel), 404,
    'an admin, who may not read cases, does not reach their access log either');
  assert.equal(expected('read case', 'caseworker', RELATIONS['referred-pending'].rel), 404);
  // The NRM's entry points: an authority's focal point, not another's.
  for (const a of ['register person', 'record consent', 'open case', 'screening', 'refer'])
    assert.equal(expected(a, 'focal_point', RELATIONS['own org (authority)'].rel), 201, a);
  for (const a of ['register person', 'record consent', 'open case', 'screening', 'refer'])
    assert.equal(expected(a, 'focal_point', RELATIONS['own org'].rel), 403, a);
  assert.equal(expected('screening', 'focal_point', RELATIONS['referred-accepted'].rel), 403,
    'a recipient focal point does not screen another organisation\'s case');
  assert.equal(expected('read proceeding', 'focal_point', RELATIONS['referred-accepted'].rel), 'full',
    'the police read the proceedings of a case referred to them');
  assert.equal(expected('read proceeding', 'caseworker', RELATIONS['own org'].rel), 'restricted',
    'the owner\'s case worker sees only that there is one');
  assert.equal(expected('record proceeding', 'focal_point', RELATIONS['own org'].rel), 403,
    'a focal point of a non-authority does not record one');
  assert.equal(expected('admit to shelter', 'caseworker', RELATIONS['referred-accepted'].rel), 201,
    'a shelter admits a person referred to it');
  assert.equal(expected('read case', 'caseworker', RELATIONS['consent withdrawn'].rel), 404);
  void ASSIGNED;
});

for (const [name, relation] of Object.entries(RELATIONS)) {
  test(`permission matrix: ${name}`, async () => {
    const wrong = [];
    for (const role of ROLES) {
      const who = login(relation.actor, role);
      const fx = await fixture(relation);
      for (const action of ACTIONS) {
        const want = expected(action, role, relation.rel);
        const got = await perform(action, who, fx);
        if (got !== want) wrong.push(`${role} ${action}: got ${got}, want ${want}`);
      }
    }
    assert.deepEqual(wrong, [], `${name}: cells that differ from the policy`);
  });
}
