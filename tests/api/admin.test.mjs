// Administration through the API: the users of the administrator's own
// organisation (every action, audited), the forced change of a one-time
// password, offboarding that ends an open session and a token at once,
// organisations with their sector, role policies, and the password rules
// (length and the common-password list) in the API and the command line.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer, Client, himoya } from '../lib/server.mjs';
import { sqlite } from '../lib/datadir.mjs';
import { assertProblem, totpCode, totpStep, makeToken } from '../lib/hostile.mjs';

const V1 = '/api/v1';
const PW = {
  admin: 'administrator-pass-1',
  cw: 'caseworker-pass-12',
  other: 'other-org-password-1',
  admin2: 'other-admin-password-1',
};

let srv;
let db;

before(async () => {
  srv = await startServer({
    orgs: [{ code: 'ngo2', name: 'Other NGO', type: 'NGO' }],
    users: [
      { login: 'admin1', role: 'admin', password: PW.admin },
      { login: 'cw1', role: 'caseworker', password: PW.cw },
      { org: 'ngo2', login: 'other1', role: 'caseworker', password: PW.other },
      { org: 'ngo2', login: 'admin2', role: 'admin', password: PW.admin2 },
    ],
  });
  db = join(srv.data, 'himoya.db');
});

after(async () => {
  if (!srv) return;
  await srv.stop();
  srv.cleanup();
});

async function signedIn(login, password) {
  const c = new Client(srv.url);
  const r = await c.login(login, password);
  assert.equal(r.status, 200, `login ${login}: ${r.text}`);
  return c;
}

// The audit entries (action, record, fields) written for a record.
function audited(record) {
  return sqlite(db, `SELECT action || '|' || coalesce(fields, '') FROM audit WHERE record = '${record}' ORDER BY seq`)
    .trim().split('\n').filter((l) => l !== '');
}

const userCount = () => Number(sqlite(db, 'SELECT count(*) FROM users').trim());
const idOf = (login) => sqlite(db, `SELECT id FROM users WHERE login = '${login}'`).trim();

test('only an administrator manages users; the list is of the own organisation', async () => {
  const cw = await signedIn('cw1', PW.cw);
  assertProblem(await cw.req('GET', V1 + '/users'), 403, 'forbidden');
  assertProblem(await cw.req('POST', V1 + '/users', { login: 'x1', role: 'caseworker' }), 403, 'forbidden');
  assertProblem(await cw.req('POST', `${V1}/users/${idOf('admin1')}/disable`), 403, 'forbidden');
  const adm = await signedIn('admin1', PW.admin);
  const r = await adm.req('GET', V1 + '/users');
  assert.equal(r.status, 200, r.text);
  const logins = r.json.items.map((u) => u.login).sort();
  assert.deepEqual(logins, ['admin1', 'cw1'], 'users of another organisation are not listed');
  const cw1 = r.json.items.find((u) => u.login === 'cw1');
  assert.deepEqual(Object.keys(cw1).sort(),
    ['created', 'disabled', 'id', 'locked', 'login', 'must_change_password', 'role', 'totp_enabled']);
  assert.equal(cw1.disabled, false);
  assert.equal(cw1.locked, false);
  assert.equal(cw1.must_change_password, false);
  assert.match(cw1.created, /^\d{4}-\d\d-\d\dT/);
});

test('a new user gets a one-time password, shown once, and must change it before anything else', async () => {
  const adm = await signedIn('admin1', PW.admin);
  const r = await adm.req('POST', V1 + '/users', { login: 'zarina', role: 'caseworker' });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.login, 'zarina');
  assert.equal(r.json.role, 'caseworker');
  assert.equal(r.json.must_change_password, true);
  assert.match(r.json.password, /^[A-Za-z0-9]{20}$/);
  const once = r.json.password;
  assert.deepEqual(audited(`users/${r.json.id}`), ['create|login,role,password']);
  const listed = (await adm.req('GET', V1 + '/users')).json.items.find((u) => u.login === 'zarina');
  assert.equal(listed.password, undefined, 'the list never shows a password');
  assert.ok(!sqlite(db, 'SELECT pwhash FROM users WHERE login = \'zarina\'').includes(once), 'stored hashed');

  const z = new Client(srv.url);
  const li = await z.login('zarina', once);
  assert.equal(li.status, 200, li.text);
  assert.equal(li.json.password_change_required, true);
  assertProblem(await z.req('GET', V1 + '/cases'), 403, 'password-change-required');
  assertProblem(await z.req('POST', V1 + '/me/totp'), 403, 'password-change-required');
  const me = await z.req('GET', V1 + '/me');
  assert.equal(me.status, 200);
  assert.equal(me.json.password_change_required, true);

  // The rules: length, the common list (in any case), not the same, the right current one.
  assertProblem(await z.req('POST', V1 + '/me/password', { current: once, new: 'short-pass1' }), 422, 'weak-password');
  assertProblem(await z.req('POST', V1 + '/me/password', { current: once, new: 'QwertyUiop123' }), 422, 'weak-password');
  assertProblem(await z.req('POST', V1 + '/me/password', { current: once, new: 'ТОҶИКИСТОН2025' }), 422, 'weak-password');
  assertProblem(await z.req('POST', V1 + '/me/password', { current: once, new: once }), 422, 'weak-password');
  assertProblem(await z.req('POST', V1 + '/me/password', { current: once }), 422, 'missing-field');
  assertProblem(await z.req('POST', V1 + '/me/password', { current: once, new: 'x'.repeat(20), extra: 1 }), 422, 'unknown-field');
  assertProblem(await z.req('POST', V1 + '/me/password', { current: 'not-the-password', new: 'a-fresh-strong-one-1' }),
    403, 'wrong-password');
  const ok = await z.req('POST', V1 + '/me/password', { current: once, new: 'Зарина-пароли-нав 7' });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.json.password_change_required, false);
  assert.equal((await z.req('GET', V1 + '/cases')).status, 200, 'the session works on');
  assert.equal(Number(sqlite(db, `SELECT count(*) FROM audit WHERE action = 'password-change' AND user_id = '${idOf('zarina')}'`).trim()), 1);
  assertProblem(await new Client(srv.url).login('zarina', once), 401, 'invalid-credentials', 'the one-time password is spent');
  assert.equal((await new Client(srv.url).login('zarina', 'Зарина-пароли-нав 7')).status, 200);
});

// The weak passwords of the outside review, each refused with the rule
// that refused it, in the API and on the command line alike.
const WEAK = [
  ['            ', /at least 6 different characters/],
  ['111111111111', /at least 6 different characters/],
  ['aaaaaaaaaaaa', /at least 6 different characters/],
  ['abcabcabcabc', /at least 6 different characters/],
  ['123456789012', /sequence .* or a repetition/],
  ['abcdefabcdef', /sequence .* or a repetition/],
  ['my-CW1-passphrase', /must not contain the login/],
  ['IOM Tajikistan', /organisation's code or name/],
  ['iom tajikistan office', /organisation's code or name/],
  ['himoya-demo-2026', /demo's published password/],
];

test('weak passwords are refused by POST /me/password, saying which rule', async () => {
  const c = await signedIn('cw1', PW.cw);
  for (const [pw, why] of WEAK) {
    const r = await c.req('POST', V1 + '/me/password', { current: PW.cw, new: pw });
    assertProblem(r, 422, 'weak-password', JSON.stringify(pw));
    assert.match(r.json.detail, why, JSON.stringify(pw));
  }
  // the same passwords are no error for another login of another organisation...
  const o = await signedIn('other1', PW.other);
  const fine = await o.req('POST', V1 + '/me/password', { current: PW.other, new: 'my-CW1-passphrase' });
  assert.equal(fine.status, 200, fine.text);
  assert.equal((await o.req('POST', V1 + '/me/password', { current: 'my-CW1-passphrase', new: PW.other })).status, 200);
  // ...and the one-time passwords the server makes follow the rules too
  const adm = await signedIn('admin1', PW.admin);
  const made = await adm.req('POST', V1 + '/users', { login: 'rules1', role: 'caseworker' });
  assert.equal(made.status, 201, made.text);
  assert.doesNotMatch(made.json.password, /rules1|iom/i);
});

test('logins are one whatever their case: no second login by case, sign-in and lockout in any case', async () => {
  const adm = await signedIn('admin1', PW.admin);
  assertProblem(await adm.req('POST', V1 + '/users', { login: 'CW1', role: 'caseworker' }), 409, 'login-taken');
  // nor from another organisation, whose administrator cannot see cw1
  const adm2 = await signedIn('admin2', PW.admin2);
  assertProblem(await adm2.req('POST', V1 + '/users', { login: 'Cw1', role: 'caseworker' }), 409, 'login-taken');
  assertProblem(await adm.req('POST', V1 + '/orgs', { code: 'ngo9', name: 'Ninth NGO', type: 'NGO', sector: 'ngo', admin_login: 'ADMIN2' }),
    409, 'login-taken');
  const r = himoya(['user', 'add', '--data', srv.data, '--org', 'ngo2', '--login', 'Admin1', '--role', 'caseworker']);
  assert.equal(r.code, 1);
  assert.match(r.err, /this login is taken/);
  assert.equal(Number(sqlite(db, "SELECT count(*) FROM users WHERE lower(login) IN ('cw1', 'admin1')").trim()), 2);
  // the sign-in takes any case and answers the login as it was made
  const c = new Client(srv.url);
  const li = await c.login('CW1', PW.cw);
  assert.equal(li.status, 200, li.text);
  assert.equal(li.json.user.login, 'cw1');
  // one lockout for every case of a login
  const made = await adm.req('POST', V1 + '/users', { login: 'Sup7', role: 'supervisor' });
  assert.equal(made.status, 201, made.text);
  for (let i = 0; i < 10; i++) await new Client(srv.url).login(i % 2 ? 'SUP7' : 'sup7', 'wrong-password-' + i);
  assertProblem(await new Client(srv.url).login('Sup7', made.json.password), 429, 'locked');
  assert.equal((await adm.req('POST', `${V1}/users/${made.json.id}/unlock`)).status, 200);
  assert.equal((await new Client(srv.url).login('sUP7', made.json.password)).status, 200);
});

test('bad input to POST /users changes nothing', async () => {
  const adm = await signedIn('admin1', PW.admin);
  const n = userCount();
  assertProblem(await adm.req('POST', V1 + '/users', { login: 'nobody1' }), 422, 'missing-field');
  assertProblem(await adm.req('POST', V1 + '/users', { role: 'caseworker' }), 422, 'missing-field');
  assertProblem(await adm.req('POST', V1 + '/users', { login: 'nobody1', role: 'king' }), 422, 'invalid-value');
  assertProblem(await adm.req('POST', V1 + '/users', { login: 'no body', role: 'caseworker' }), 422, 'invalid-value');
  assertProblem(await adm.req('POST', V1 + '/users', { login: 'x', role: 'caseworker' }), 422, 'invalid-value');
  assertProblem(await adm.req('POST', V1 + '/users', { login: 'nobody1', role: 'caseworker', password: 'mine-mine-mine' }),
    422, 'unknown-field');
  assertProblem(await adm.req('POST', V1 + '/users', { login: 'nobody1', role: 7 }), 422, 'invalid-value');
  assertProblem(await adm.req('POST', V1 + '/users', { login: 'other1', role: 'caseworker' }), 409, 'login-taken');
  assertProblem(await adm.req('POST', V1 + '/users', '{"login":"nobody1",'), 400);
  assert.equal(userCount(), n);
});

test('role change: audited, checked, never the own account', async () => {
  const adm = await signedIn('admin1', PW.admin);
  const id = idOf('cw1');
  assertProblem(await adm.req('POST', `${V1}/users/${id}/role`, { role: 'emperor' }), 422, 'invalid-value');
  assertProblem(await adm.req('POST', `${V1}/users/${id}/role`, {}), 422, 'missing-field');
  assertProblem(await adm.req('POST', `${V1}/users/${idOf('admin1')}/role`, { role: 'caseworker' }), 409, 'own-account');
  const r = await adm.req('POST', `${V1}/users/${id}/role`, { role: 'supervisor' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.role, 'supervisor');
  const cw = await signedIn('cw1', PW.cw);
  assert.equal((await cw.req('GET', V1 + '/me')).json.user.role, 'supervisor');
  assert.equal((await adm.req('POST', `${V1}/users/${id}/role`, { role: 'caseworker' })).status, 200);
  assert.deepEqual(audited(`users/${id}`), ['create|login,role,org', 'update|role', 'update|role']);
});

test('a user of another organisation is untouchable: 404 for every action, nothing changed', async () => {
  const adm = await signedIn('admin1', PW.admin);
  const id = idOf('other1');
  const before = sqlite(db, `SELECT role, disabled, pwhash FROM users WHERE id = '${id}'`);
  for (const action of ['disable', 'enable', 'unlock', 'reset-totp', 'reset-password']) {
    assertProblem(await adm.req('POST', `${V1}/users/${id}/${action}`), 404, 'not-found', action);
  }
  assertProblem(await adm.req('POST', `${V1}/users/${id}/role`, { role: 'admin' }), 404, 'not-found');
  assertProblem(await adm.req('POST', `${V1}/users/nonexistent/disable`), 404, 'not-found');
  assert.equal(sqlite(db, `SELECT role, disabled, pwhash FROM users WHERE id = '${id}'`), before);
  assert.deepEqual(audited(`users/${id}`), ['create|login,role,org'], 'only its creation on the command line');
  assert.equal((await signedIn('other1', PW.other)).cookie !== null, true);
});

test('disable ends an open session and a token at once; enable lets the user sign in again', async () => {
  const adm = await signedIn('admin1', PW.admin);
  const made = await adm.req('POST', V1 + '/users', { login: 'leaver', role: 'caseworker' });
  assert.equal(made.status, 201);
  const u = new Client(srv.url);
  assert.equal((await u.login('leaver', made.json.password)).status, 200);
  assert.equal((await u.req('POST', V1 + '/me/password', { current: made.json.password, new: 'departing-own-password-9' })).status, 200);
  // An administrator makes no token for a user who reads personal data:
  // the integration's token is made on the server.
  assertProblem(await adm.req('POST', V1 + '/tokens', { login: 'leaver', label: 'integration' }), 403, 'forbidden');
  const bearer = new Client(srv.url);
  bearer.token = makeToken(srv.data, 'leaver');
  // Both work, and are in the sign-in caches.
  assert.equal((await u.req('GET', V1 + '/cases')).status, 200);
  assert.equal((await bearer.req('GET', V1 + '/cases')).status, 200);
  assert.equal((await u.req('GET', V1 + '/me')).status, 200);

  const off = await adm.req('POST', `${V1}/users/${made.json.id}/disable`);
  assert.equal(off.status, 200, off.text);
  assert.equal(off.json.disabled, true);
  assertProblem(await u.req('GET', V1 + '/cases'), 401, 'unauthenticated', 'the open session ends at once');
  assertProblem(await bearer.req('GET', V1 + '/cases'), 401, 'unauthenticated', 'the token ends at once');
  assertProblem(await new Client(srv.url).login('leaver', 'departing-own-password-9'), 401, 'invalid-credentials');
  const toks = (await adm.req('GET', V1 + '/tokens?login=leaver')).json.items;
  assert.ok(toks.length === 1 && toks[0].revoked, 'the token is revoked, not only refused');
  assert.equal(Number(sqlite(db, `SELECT count(*) FROM sessions WHERE user_id = '${made.json.id}'`).trim()), 0);

  const on = await adm.req('POST', `${V1}/users/${made.json.id}/enable`);
  assert.equal(on.status, 200);
  assert.equal(on.json.disabled, false);
  assert.equal((await new Client(srv.url).login('leaver', 'departing-own-password-9')).status, 200);
  assertProblem(await bearer.req('GET', V1 + '/cases'), 401, 'unauthenticated', 'a revoked token stays revoked');
  assertProblem(await adm.req('POST', `${V1}/users/${idOf('admin1')}/disable`), 409, 'own-account');
  assertProblem(await adm.req('POST', `${V1}/users/${made.json.id}/disable`, { now: true }), 422, 'unknown-field');
  assert.deepEqual(audited(`users/${made.json.id}`),
    ['create|login,role,password', 'disable|disabled,sessions,tokens', 'enable|disabled']);
});

test('unlock ends the lockout of a login', async () => {
  const adm = await signedIn('admin1', PW.admin);
  const made = await adm.req('POST', V1 + '/users', { login: 'forgetful', role: 'hotline' });
  for (let i = 0; i < 10; i++) await new Client(srv.url).login('forgetful', 'wrong-password-' + i);
  assertProblem(await new Client(srv.url).login('forgetful', made.json.password), 429, 'locked');
  let row = (await adm.req('GET', V1 + '/users')).json.items.find((x) => x.login === 'forgetful');
  assert.equal(row.locked, true);
  const r = await adm.req('POST', `${V1}/users/${made.json.id}/unlock`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.locked, false);
  row = (await adm.req('GET', V1 + '/users')).json.items.find((x) => x.login === 'forgetful');
  assert.equal(row.locked, false);
  assert.equal((await new Client(srv.url).login('forgetful', made.json.password)).status, 200);
  assert.deepEqual(audited(`users/${made.json.id}`), ['create|login,role,password', 'unlock|lockout']);
});

test('reset the second factor and the password', async () => {
  const adm = await signedIn('admin1', PW.admin);
  const made = await adm.req('POST', V1 + '/users', { login: 'phoneless', role: 'caseworker' });
  const u = await signedIn('phoneless', made.json.password);
  assert.equal((await u.req('POST', V1 + '/me/password', { current: made.json.password, new: 'no-phone-password-1' })).status, 200);
  const begin = await u.req('POST', V1 + '/me/totp');
  assert.equal(begin.status, 200, begin.text);
  const conf = await u.req('POST', V1 + '/me/totp/confirm', { code: totpCode(begin.json.secret, totpStep()) });
  assert.equal(conf.status, 200, conf.text);
  assertProblem(await new Client(srv.url).login('phoneless', 'no-phone-password-1'), 401, 'totp-required');

  const r = await adm.req('POST', `${V1}/users/${made.json.id}/reset-totp`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.totp_enabled, false);
  assertProblem(await u.req('GET', V1 + '/me'), 401, 'unauthenticated', 'its sessions end');
  assert.equal((await new Client(srv.url).login('phoneless', 'no-phone-password-1')).status, 200, 'no code asked');

  // A token of the user (an integration's), which a reset must stop too.
  const bearer = new Client(srv.url);
  bearer.token = makeToken(srv.data, 'phoneless');
  assert.equal((await bearer.req('GET', V1 + '/cases')).status, 200);
  const p = await adm.req('POST', `${V1}/users/${made.json.id}/reset-password`);
  assert.equal(p.status, 200, p.text);
  assertProblem(await bearer.req('GET', V1 + '/cases'), 401, 'unauthenticated', 'the token ends at once');
  const toks = (await adm.req('GET', V1 + '/tokens?login=phoneless')).json.items;
  assert.ok(toks.length === 1 && toks[0].revoked, 'the token is revoked, not only refused');
  assert.match(p.json.password, /^[A-Za-z0-9]{20}$/);
  assert.equal(p.json.must_change_password, true);
  assertProblem(await new Client(srv.url).login('phoneless', 'no-phone-password-1'), 401, 'invalid-credentials');
  const again = await new Client(srv.url).login('phoneless', p.json.password);
  assert.equal(again.status, 200);
  assert.equal(again.json.password_change_required, true);
  assert.deepEqual(audited(`users/${made.json.id}`),
    ['create|login,role,password', 'totp-reset|totp,sessions', 'password-reset|password,sessions,tokens']);
});

test('organisations: create with a sector and a first administrator, edit, and no reach into another', async () => {
  const adm = await signedIn('admin1', PW.admin);
  const nOrgs = () => Number(sqlite(db, 'SELECT count(*) FROM orgs').trim());
  const n = nOrgs();
  const base = { code: 'shelter1', name: 'Хонаи амн', type: 'NGO', sector: 'shelter' };
  assertProblem(await adm.req('POST', V1 + '/orgs', { ...base, sector: 'bakery' }), 422, 'invalid-value');
  assertProblem(await adm.req('POST', V1 + '/orgs', { ...base, type: 'Shelter' }), 422, 'invalid-value');
  assertProblem(await adm.req('POST', V1 + '/orgs', { code: 'shelter1', name: 'x', type: 'NGO' }), 422, 'missing-field');
  assertProblem(await adm.req('POST', V1 + '/orgs', { ...base, code: 'bad code' }), 422, 'invalid-value');
  assertProblem(await adm.req('POST', V1 + '/orgs', { ...base, name: '' }), 422, 'invalid-value');
  assertProblem(await adm.req('POST', V1 + '/orgs', { ...base, code: 'ngo2' }), 409, 'conflict');
  assertProblem(await adm.req('POST', V1 + '/orgs', { ...base, admin_login: 'cw1' }), 409, 'login-taken');
  assertProblem(await adm.req('POST', V1 + '/orgs', { ...base, color: 'red' }), 422, 'unknown-field');
  assert.equal(nOrgs(), n, 'nothing made');

  const r = await adm.req('POST', V1 + '/orgs', { ...base, admin_login: 'shelteradmin' });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.sector, 'shelter');
  assert.equal(r.json.managed, true);
  assert.equal(r.json.admin.login, 'shelteradmin');
  assert.match(r.json.admin.password, /^[A-Za-z0-9]{20}$/);
  assert.deepEqual(audited(`orgs/${r.json.id}`), ['create|code,name,type,sector']);
  assert.deepEqual(audited(`users/${r.json.admin.id}`), ['create|login,role,password']);
  // The new organisation's administrator manages its own users, and only those.
  const sa = new Client(srv.url);
  assert.equal((await sa.login('shelteradmin', r.json.admin.password)).status, 200);
  assertProblem(await sa.req('GET', V1 + '/users'), 403, 'password-change-required');
  assert.equal((await sa.req('POST', V1 + '/me/password', { current: r.json.admin.password, new: 'паноҳгоҳ-маъмур-2025' })).status, 200);
  assert.deepEqual((await sa.req('GET', V1 + '/users')).json.items.map((u) => u.login), ['shelteradmin']);
  assert.ok(!(await adm.req('GET', V1 + '/users')).json.items.some((u) => u.login === 'shelteradmin'));
  assertProblem(await adm.req('POST', `${V1}/users/${r.json.admin.id}/reset-password`), 404, 'not-found');

  const p = await adm.req('PATCH', V1 + '/orgs/shelter1', { name: 'Паноҳгоҳи «Умед»', sector: 'legal_aid' });
  assert.equal(p.status, 200, p.text);
  assert.equal(p.json.name, 'Паноҳгоҳи «Умед»');
  assert.equal(p.json.sector, 'legal_aid');
  assert.equal(p.json.type, 'NGO');
  assertProblem(await adm.req('PATCH', V1 + '/orgs/shelter1', {}), 422, 'empty-patch');
  assertProblem(await adm.req('PATCH', V1 + '/orgs/shelter1', { type: 'Bakery' }), 422, 'invalid-value');
  assertProblem(await adm.req('PATCH', V1 + '/orgs/shelter1', { code: 'renamed' }), 422, 'unknown-field');
  assertProblem(await adm.req('PATCH', V1 + '/orgs/nope', { name: 'x' }), 404, 'not-found');
  assert.deepEqual(audited(`orgs/${r.json.id}`), ['create|code,name,type,sector', 'update|name,sector']);
  // Look-alikes: a code but for case, a name but for case and spacing.
  assertProblem(await adm.req('POST', V1 + '/orgs', { ...base, code: 'NGO2', name: 'Fresh' }), 409, 'conflict');
  assertProblem(await adm.req('POST', V1 + '/orgs', { ...base, code: 'fresh', name: '  other   ngo ' }), 409, 'conflict');
  assertProblem(await adm.req('PATCH', V1 + '/orgs/shelter1', { name: 'OTHER NGO' }), 409, 'conflict');
  assert.equal(nOrgs(), n + 1, 'no look-alike made');

  // Another organisation's administrator (ngo2, not the installation's
  // own): edits its own contact, never its name, type or sector (its
  // decisions and the consents naming a type depend on them), adds no
  // organisation, and reaches no other (an outside review turned the
  // police into an NGO and made a front NGO).
  const a2 = await signedIn('admin2', PW.admin2);
  const mine = await a2.req('GET', V1 + '/orgs');
  const me = mine.json.items.find((o) => o.code === 'ngo2');
  assert.equal(me.managed, true);
  assert.equal(me.settles, false);
  assert.equal(mine.json.items.find((o) => o.code === 'iom').managed, false);
  for (const body of [{ type: 'LawEnforcement' }, { sector: 'police' }, { name: 'Police Unit' }]) {
    const x = await a2.req('PATCH', V1 + '/orgs/ngo2', body);
    assertProblem(x, 403, 'forbidden', JSON.stringify(body));
    assert.equal(x.json.field, Object.keys(body)[0]);
  }
  const c2 = await a2.req('PATCH', V1 + '/orgs/ngo2', { name: 'Other NGO', type: 'NGO', contact_phone: '+992 37 221 00 00' });
  assert.equal(c2.status, 200, 'the same values and a contact: ' + c2.text);
  assert.equal(c2.json.type, 'NGO');
  assertProblem(await a2.req('PATCH', V1 + '/orgs/iom', { contact_phone: '+992 37 221 00 01' }), 404, 'not-found');
  assertProblem(await a2.req('POST', V1 + '/orgs', { ...base, code: 'front', name: 'Front NGO' }), 403, 'forbidden');
  assert.equal(nOrgs(), n + 1);
  // Nor through the directory's import (HSDS), which adds the
  // organisations a document names: a second "police" made so by another
  // NGO's administrator in an outside review.
  const hsds = (orgs, services = []) => ({ organizations: orgs, services, locations: [], service_at_locations: [] });
  const imp = await a2.req('POST', V1 + '/directory/import',
    hsds([{ id: 'police-fake', name: 'Police, anti-trafficking unit', type: 'LawEnforcement' }]));
  assertProblem(imp, 403, 'forbidden');
  assertProblem(await a2.req('POST', V1 + '/directory/import',
    hsds([], [{ id: 'svc-1', organization_id: 'made-up', name: 'x' }])), 422, 'invalid-value');
  assert.equal(nOrgs(), n + 1, 'nothing added by the import');
  // Look-alikes the reviewer made: a code but for _ or a trailing dot, a
  // name with a control or invisible character, a right-to-left override,
  // a Cyrillic letter in a Latin word, an accent, an odd space.
  for (const [o, status] of [
    [{ code: 'ngo_2', name: 'Fresh two' }, 409],
    [{ code: 'ngo2.', name: 'Fresh three' }, 409],
    [{ code: 'fresh4', name: 'Other\u000bNGO' }, 422],
    [{ code: 'fresh5', name: '\u202eOGN rehtO' }, 422],
    [{ code: 'fresh6', name: 'Other\u3164NGO' }, 422],
    [{ code: 'fresh7', name: 'Other НGO' }, 422],
    [{ code: 'fresh8', name: 'Othér NGO' }, 409],
    [{ code: 'fresh9', name: 'Other\u1680NGO' }, 409],
    // and in the third review: whole words of look-alike letters, spacing
    // and punctuation, 0 for O, l for I
    [{ code: 'f10', name: '\u0406\u041e\u041c Tajikistan' }, 409],
    [{ code: 'f11', name: '\u0399\u039f\u039c Tajikistan' }, 409],
    [{ code: 'f12', name: 'IOM-Tajikistan' }, 409],
    [{ code: 'f13', name: 'lOM Tajikistan' }, 409],
    [{ code: 'f14', name: 'OtherNGO.' }, 409],
    [{ code: 'i0m', name: 'Fresh ten' }, 409],
  ]) {
    const body = { ...base, ...o };
    assertProblem(await adm.req('POST', V1 + '/orgs', body), status, undefined, JSON.stringify(o));
  }
  const impLike = await adm.req('POST', V1 + '/directory/import', hsds([{ id: 'NGO-2', name: 'Fresh', type: 'NGO' }]));
  assertProblem(impLike, 422, 'invalid-value', 'an import look-alike');
  assert.equal(nOrgs(), n + 1, 'no look-alike made');
  // The installation's own administrator names and types any organisation.
  const t2 = await adm.req('PATCH', V1 + '/orgs/ngo2', { sector: 'ngo' });
  assert.equal(t2.status, 200, t2.text);
  const own = await adm.req('PATCH', V1 + '/orgs/iom', { sector: 'igo' });
  assert.equal(own.status, 200, own.text);
  const list = (await adm.req('GET', V1 + '/orgs')).json.items;
  assert.equal(list.find((o) => o.code === 'iom').sector, 'igo');
  assert.equal(list.find((o) => o.code === 'ngo2').sector, 'ngo');
  assert.equal(list.find((o) => o.code === 'ngo2').managed, true);
  assert.equal(list.find((o) => o.code === 'ngo2').settles, true);
  const cw = await signedIn('cw1', PW.cw);
  assertProblem(await cw.req('POST', V1 + '/orgs', { ...base, code: 'cw-org' }), 403, 'forbidden');
  assertProblem(await cw.req('PATCH', V1 + '/orgs/iom', { name: 'mine' }), 403, 'forbidden');
});

test('role policies: set and read, audited', async () => {
  const adm = await signedIn('admin1', PW.admin);
  assert.equal((await adm.req('PUT', V1 + '/roles/trainer', { require_totp: true })).status, 200);
  const roles = (await adm.req('GET', V1 + '/roles')).json.items;
  assert.equal(roles.find((x) => x.role === 'trainer').require_totp, true);
  assertProblem(await adm.req('PUT', V1 + '/roles/trainer', { require_totp: 'yes' }), 422, 'invalid-value');
  assert.equal((await adm.req('PUT', V1 + '/roles/trainer', { require_totp: false })).status, 200);
  assert.deepEqual(audited('roles/trainer'), ['update|require_totp', 'update|require_totp']);
  assert.ok(roles.every((x) => x.settles === true), 'the home organisation\'s administrator sets them');
  // A role's rule holds in every organisation: another organisation's
  // administrator reads it and changes nothing (it turned the home
  // organisation's supervisors' second factor off: an outside review).
  const other = await signedIn('admin2', PW.admin2);
  const theirs = (await other.req('GET', V1 + '/roles')).json.items;
  assert.ok(theirs.every((x) => x.settles === false), JSON.stringify(theirs));
  assert.equal((await adm.req('PUT', V1 + '/roles/supervisor', { require_totp: true })).status, 200);
  for (const body of [{ require_totp: false }, { require_totp: true }]) {
    assertProblem(await other.req('PUT', V1 + '/roles/caseworker', body), 403, 'forbidden');
    assertProblem(await other.req('PUT', V1 + '/roles/supervisor', body), 403, 'forbidden');
  }
  const after = (await adm.req('GET', V1 + '/roles')).json.items;
  assert.equal(after.find((x) => x.role === 'supervisor').require_totp, true);
  assert.equal(after.find((x) => x.role === 'caseworker').require_totp, false);
  assert.equal((await adm.req('PUT', V1 + '/roles/supervisor', { require_totp: false })).status, 200);
  assert.deepEqual(audited('roles/caseworker'), []);
});

test('the command line applies the same password rules', () => {
  const add = (login, pw) => himoya(['user', 'add', '--data', srv.data, '--org', 'iom', '--login', login,
    '--role', 'caseworker', '--password-stdin'], pw + '\n');
  let r = add('cliuser', 'eleven-char');
  assert.equal(r.code, 2);
  assert.match(r.err, /at least 12 characters/);
  r = add('cliuser', 'Password2025');
  assert.equal(r.code, 2);
  assert.match(r.err, /common passwords/);
  r = add('cliuser', 'ЙЦУКЕНГШЩЗХЪ');
  assert.equal(r.code, 2, 'Cyrillic keyboard rows are common too, in any case');
  for (const [pw, why] of WEAK) {
    r = add('cw1xyz', pw.replace('CW1', 'cw1xyz'));
    assert.equal(r.code, 2, JSON.stringify(pw));
    assert.match(r.err, why, JSON.stringify(pw));
  }
  assert.equal(Number(sqlite(db, "SELECT count(*) FROM users WHERE login = 'cw1xyz'").trim()), 0);
  r = add('cliuser', 'a-long-and-rare-password');
  assert.equal(r.code, 0, r.err);
  r = himoya(['user', 'add', '--data', srv.data, '--org', 'iom', '--login', 'cligen', '--role', 'caseworker']);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /One-time password/);
  assert.equal(sqlite(db, "SELECT must_change_password FROM users WHERE login = 'cligen'").trim(), '1');
});

test('the home organisation handed to another by the command line: its administrators settle organisations, the first\'s no longer', async () => {
  const adm = await signedIn('admin1', PW.admin);
  const adm2 = await signedIn('admin2', PW.admin2);
  const fresh = (code) => ({ code, name: `Org ${code}`, type: 'NGO', sector: 'shelter' });
  assertProblem(await adm2.req('POST', V1 + '/orgs', fresh('home-a')), 403, 'forbidden');
  let r = himoya(['org', 'home', '--data', srv.data, '--code', 'nosuch']);
  assert.equal(r.code, 1);
  assert.match(r.err, /no organisation with code 'nosuch'/);
  r = himoya(['org', 'home', '--data', srv.data]);
  assert.equal(r.code, 2);
  r = himoya(['org', 'home', '--data', srv.data, '--code', 'ngo2']);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^Home organisation: ngo2 \(was iom\)$/m);
  const ngo2 = sqlite(db, "SELECT id FROM orgs WHERE code = 'ngo2'").trim();
  assert.deepEqual(audited(`orgs/${ngo2}`).filter((a) => a.startsWith('home')), ['home|home']);
  // Read at each request: no restart needed.
  const made = await adm2.req('POST', V1 + '/orgs', fresh('home-b'));
  assert.equal(made.status, 201, made.text);
  assertProblem(await adm.req('POST', V1 + '/orgs', fresh('home-c')), 403, 'forbidden');
  const settles = async (c) => (await c.req('GET', V1 + '/orgs')).json.items.find((o) => o.code === 'home-b').settles;
  assert.equal(await settles(adm2), true);
  assert.equal(await settles(adm), false);
  r = himoya(['org', 'home', '--data', srv.data, '--code', 'ngo2']);
  assert.equal(r.code, 0);
  assert.match(r.out, /already/);
  r = himoya(['org', 'home', '--data', srv.data, '--code', 'iom']);
  assert.equal(r.code, 0, r.err);
  assert.equal((await adm.req('POST', V1 + '/orgs', fresh('home-d'))).status, 201);
});
