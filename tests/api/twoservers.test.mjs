// Two `himoya serve` on one data folder behave as one service: a session
// and a bearer token from one work on the other; a sign-out, a revoked
// token, a disabled user and a changed password on one are refused by
// the other within the stated bound (1 s); failed sign-ins spread over
// both lock the login on both; the public form's rate limit counts
// requests to both, and its token is used up on both; writes from both at
// once leave one whole audit chain (`himoya audit verify` exit 0) with
// every entry counted; a change sent again to the other server with its
// Idempotency-Key is answered as the first, not made twice.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer, Client } from '../lib/server.mjs';
import { run, serveDir, sqlite, sleep } from '../lib/datadir.mjs';
import { assertProblem, makeToken } from '../lib/hostile.mjs';

const V1 = '/api/v1';
const PW = 'correct horse battery';
const LOCK_AFTER = 4;
const BOUND_MS = 1100; // the auth cache answers within one second of a read
const users = [
  ['cw', 'caseworker'], ['cw2', 'caseworker'], ['victim', 'caseworker'], ['gone', 'caseworker'],
  ['pw', 'caseworker'], ['adm', 'admin'],
].map(([login, role]) => ({ login, role, password: PW }));

let A;
let B;
const db = () => join(A.data, 'himoya.db');
const q = (sql) => sqlite(db(), sql).trim();

before(async () => {
  A = await startServer({ users, conf: `lockout_failures = ${LOCK_AFTER}\n` });
  B = await serveDir(A.data);
});

after(async () => {
  if (B) await B.stop();
  if (A) {
    await A.stop();
    A.cleanup();
  }
});

const on = (srv, c) => { c.url = srv.url; return c; };

test('a session and a token from one server work on the other; sign-out and revocation reach it', async () => {
  const c = new Client(A.url);
  assert.equal((await c.login('cw', PW)).status, 200);
  on(B, c);
  const me = await c.req('GET', V1 + '/me');
  assert.equal(me.status, 200, me.text);
  assert.equal(me.json.user.login, 'cw');
  // a change on B with the CSRF token A gave
  const p = await c.req('POST', V1 + '/persons', { given_name: 'Ҷӯрабек', family_name: 'Ҳақназаров' });
  assert.equal(p.status, 201, p.text);
  assertProblem(await c.req('POST', V1 + '/persons', { given_name: 'А' }, { 'x-csrf-token': 'wrong' }),
    403, 'csrf');
  // signed out on A: refused on B within the bound
  on(A, c);
  assert.equal((await c.req('DELETE', V1 + '/session')).status, 204);
  on(B, c);
  await sleep(BOUND_MS);
  assertProblem(await c.req('GET', V1 + '/me'), 401, 'unauthenticated', 'signed out on A, asked B');

  // A bearer token (made by the command line) on both; revoked through A.
  const t = new Client(B.url);
  t.token = makeToken(A.data, 'cw2');
  assert.equal((await t.req('GET', V1 + '/me')).status, 200);
  assert.equal((await on(A, t).req('GET', V1 + '/me')).status, 200);
  const adm = new Client(A.url);
  assert.equal((await adm.login('adm', PW)).status, 200);
  const list = await adm.req('GET', V1 + '/tokens?login=cw2');
  assert.equal(list.status, 200, list.text);
  assert.equal(list.json.items.length, 1);
  assert.equal((await adm.req('POST', `${V1}/tokens/${list.json.items[0].id}/revoke`, {})).status, 200);
  await sleep(BOUND_MS);
  assertProblem(await on(B, t).req('GET', V1 + '/me'), 401, 'unauthenticated', 'revoked on A, used on B');

  // A user disabled through B is out of A.
  const g = new Client(A.url);
  const gl = await g.login('gone', PW);
  assert.equal(gl.status, 200);
  assert.equal((await g.req('GET', V1 + '/me')).status, 200);
  on(B, adm);
  assert.equal((await adm.req('POST', `${V1}/users/${gl.json.user.id}/disable`, {})).status, 200);
  await sleep(BOUND_MS);
  assertProblem(await g.req('GET', V1 + '/me'), 401, 'unauthenticated', 'disabled on B, asked A');

  // A password changed on A ends the user's other sessions, on B too.
  const onA = new Client(A.url);
  const onB = new Client(B.url);
  assert.equal((await onA.login('pw', PW)).status, 200);
  assert.equal((await onB.login('pw', PW)).status, 200);
  assert.equal((await onB.req('GET', V1 + '/me')).status, 200);
  const ch = await onA.req('POST', V1 + '/me/password', { current: PW, new: 'Zarafshon-daryo-2026' });
  assert.equal(ch.status, 200, ch.text);
  await sleep(BOUND_MS);
  assertProblem(await onB.req('GET', V1 + '/me'), 401, 'unauthenticated', 'password changed on A, asked B');
  assert.equal((await on(B, onA).req('GET', V1 + '/me')).status, 200, 'the session that changed it stays');
});

test('a change made on one server and sent again to the other with its Idempotency-Key is answered, not made twice', async () => {
  const c = new Client(A.url);
  assert.equal((await c.login('cw2', PW)).status, 200);
  const body = { given_name: 'Малика', family_name: 'Шарипова' };
  const key = { 'idempotency-key': 'failover-retry-1' };
  const n = () => Number(q("SELECT count(*) FROM persons"));
  const before = n();
  const first = await c.req('POST', V1 + '/persons', body, key);
  assert.equal(first.status, 201, first.text);
  on(B, c); // the first answer was lost; the retry reaches the other server
  const again = await c.req('POST', V1 + '/persons', body, key);
  assert.equal(again.status, 201, again.text);
  assert.equal(again.headers.get('idempotent-replayed'), 'true');
  assert.equal(again.json.id, first.json.id);
  assert.equal(n(), before + 1);
  assertProblem(await c.req('POST', V1 + '/persons', { ...body, given_name: 'Малика2' }, key), 422, 'idempotency-key-reused');
});

test('failed sign-ins alternating between the servers lock the login on both', async () => {
  for (let i = 0; i < LOCK_AFTER; i++) {
    const r = await new Client(i % 2 ? B.url : A.url).login('victim', 'wrong password ' + i);
    assertProblem(r, 401, 'invalid-credentials', `failure ${i + 1}`);
  }
  const la = await new Client(A.url).login('victim', PW);
  const lb = await new Client(B.url).login('victim', PW);
  assertProblem(la, 429, 'locked', 'the right password on A');
  assertProblem(lb, 429, 'locked', 'the right password on B');
  // The lock ends at the same second on both.
  const ra = Number(la.headers.get('retry-after'));
  const rb = Number(lb.headers.get('retry-after'));
  assert.ok(ra > 0 && Math.abs(ra - rb) <= 1, `Retry-After ${ra} and ${rb}`);
  // An unlock on B frees the login on A.
  const adm = new Client(B.url);
  assert.equal((await adm.login('adm', PW)).status, 200);
  const id = (await adm.req('GET', V1 + '/users')).json.items.find((u) => u.login === 'victim').id;
  assert.equal((await on(A, adm).req('GET', V1 + '/users')).json.items.find((u) => u.login === 'victim').locked, true);
  assert.equal((await on(B, adm).req('POST', `${V1}/users/${id}/unlock`, {})).status, 200);
  assert.equal((await new Client(A.url).login('victim', PW)).status, 200);
});

const PUBLIC = V1 + '/public/callback-requests';
const post = (srv, body) => fetch(srv.url + PUBLIC, {
  method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
}).then(async (res) => ({ status: res.status, text: await res.text(), headers: res.headers }));
const formToken = async (srv) => (await (await fetch(srv.url + V1 + '/public/form-token')).json()).token;
const publicCount = () => Number(q("SELECT count(*) FROM callbacks WHERE source = 'public'"));

test('the public form: a token from A is good on B once; the rate limit counts both servers', async () => {
  const before = publicCount();
  const t1 = await formToken(A);
  const t2 = await formToken(B);
  await sleep(3200); // a token is good from 3 s after it was issued
  // A's token on B, then again on A with another number: kept once only.
  assert.equal((await post(B, { phone: '+992 92 777 66 01', token: t1 })).status, 202);
  assert.equal(publicCount(), before + 1, "A's token accepted by B");
  assert.equal((await post(A, { phone: '+992 92 777 66 02', token: t1 })).status, 202);
  assert.equal(publicCount(), before + 1, 'a token used on B is used up on A');
  // B's token on A.
  assert.equal((await post(A, { phone: '+992 92 777 66 03', token: t2 })).status, 202);
  assert.equal(publicCount(), before + 2);
  // Five requests per address per ten minutes, wherever they went: three
  // so far (B, A, A), two more (B, A), then refused by both.
  assert.equal((await post(B, { phone: '+992 92 777 66 04' })).status, 202);
  assert.equal((await post(A, { phone: '+992 92 777 66 05' })).status, 202);
  assertProblem(await post(B, { phone: '+992 92 777 66 06' }).then((r) => ({ ...r, json: JSON.parse(r.text) })),
    429, 'rate-limited', 'the sixth request, on B');
  assertProblem(await post(A, { phone: '+992 92 777 66 07' }).then((r) => ({ ...r, json: JSON.parse(r.text) })),
    429, 'rate-limited', 'the seventh request, on A');
  assert.equal(publicCount(), before + 2);
});

test('the same change sent to both servers at once is made once: a stale version and a decided pair lose', async () => {
  const ca = new Client(A.url);
  assert.equal((await ca.login('cw', PW)).status, 200);
  const cb = new Client(B.url);
  cb.cookie = ca.cookie;
  cb.csrf = ca.csrf;
  const birth = { birth_date: '1979-02-03', gender: 'Masculine' };
  for (let round = 0; round < 5; round++) {
    // One case, changed from the same version on both servers at once.
    const p = await ca.req('POST', V1 + '/persons', { given_name: 'Бахтиёр', family_name: 'Race' + round, ...birth });
    assert.equal(p.status, 201, p.text);
    assert.equal((await ca.req('POST', `${V1}/persons/${p.json.id}/consents`, { purpose: 'assistance', method: 'written' })).status, 201);
    const c = await ca.req('POST', V1 + '/cases', { person_id: p.json.id });
    assert.equal(c.status, 201, c.text);
    const change = (cl, summary) => cl.req('PATCH', `${V1}/cases/${c.json.id}`, { summary },
      { 'if-match': `"${c.json.version}"` });
    const both = await Promise.all([change(ca, 'from A'), change(cb, 'from B')]);
    assert.deepEqual(both.map((r) => r.status).sort(), [200, 412], both.map((r) => r.text).join(' | '));
    const won = both.find((r) => r.status === 200).json.summary;
    const now = await ca.req('GET', `${V1}/cases/${c.json.id}`);
    assert.equal(now.json.summary, won);
    assert.equal(now.json.version, c.json.version + 1, 'one change made');
    // One pair of likely duplicates, merged on both at once.
    const twin = await ca.req('POST', V1 + '/persons', { given_name: 'Бахтиёр', family_name: 'Race' + round, ...birth });
    assert.equal(twin.status, 201, twin.text);
    const pair = (await ca.req('GET', V1 + '/duplicates')).json.items
      .find((x) => x.persons.some((y) => y.id === p.json.id) && x.persons.some((y) => y.id === twin.json.id));
    assert.ok(pair, 'the pair');
    const merge = (cl, survivor) => cl.req('POST', `${V1}/duplicates/${pair.id}/merge`, { survivor });
    const merged = await Promise.all([merge(ca, p.json.id), merge(cb, twin.json.id)]);
    assert.deepEqual(merged.map((r) => r.status).sort(), [200, 409], merged.map((r) => r.text).join(' | '));
    const kept = merged.find((r) => r.status === 200);
    const persons = [p.json.id, twin.json.id].map((id) => q(`SELECT coalesce(merged_into, '-') FROM persons WHERE id = '${id}'`));
    assert.equal(persons.filter((m) => m === '-').length, 1, 'one survivor: ' + persons + ' ' + kept.text);
    assert.equal(q(`SELECT count(*) FROM dup_merges WHERE pair_id = '${pair.id}' AND undone_at IS NULL`), '1');
  }
});

test('writes through both servers at once keep one audit chain', async () => {
  const N = 300;
  const ca = new Client(A.url);
  assert.equal((await ca.login('cw2', PW)).status, 200);
  const cb = new Client(B.url);
  cb.cookie = ca.cookie; // one session, both servers
  cb.csrf = ca.csrf;
  const ca2 = new Client(A.url);
  assert.equal((await ca2.login('victim', PW)).status, 200);
  const cb2 = new Client(B.url);
  assert.equal((await cb2.login('victim', PW)).status, 200);
  const clients = [ca, cb, ca2, cb2];
  const before = Number(q("SELECT count(*) FROM audit WHERE action = 'create' AND record LIKE 'persons/%'"));
  const persons = Number(q('SELECT count(*) FROM persons'));
  let next = 0;
  const worker = async (c) => {
    for (let i; (i = next++) < N;) {
      const r = await c.req('POST', V1 + '/persons', { given_name: 'Шахло', family_name: 'Раҳимова' + i });
      assert.equal(r.status, 201, r.text);
      // a read of what was just written, audited too
      assert.equal((await c.req('GET', r.headers.get('location').replace(/^.*(\/api\/)/, '$1'))).status, 200);
    }
  };
  // eight at a time: each client twice
  await Promise.all([...clients, ...clients].map(worker));
  await B.stop();
  await A.stop();
  const v = run(['audit', 'verify', '--data', A.data]);
  assert.equal(v.code, 0, v.out + v.err);
  assert.equal(Number(q('SELECT count(*) FROM persons')), persons + N);
  assert.equal(Number(q("SELECT count(*) FROM audit WHERE action = 'create' AND record LIKE 'persons/%'")), before + N);
  // no sequence number skipped or taken twice
  assert.equal(q('SELECT count(*) = max(seq) - min(seq) + 1 FROM audit'), '1');
});
