// Hostile input: every bad body answers an application/problem+json 4xx
// with the right type, and nothing is stored (no person found by name, the
// audit chain no longer).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startServer, Client } from '../lib/server.mjs';
import { assertProblem, rawRequest, asFetchLike, auditCount } from '../lib/hostile.mjs';

const PW = 'caseworker-pass-1';
let srv;
let c;

before(async () => {
  srv = await startServer({ users: [{ login: 'cw', role: 'caseworker', password: PW }] });
  c = new Client(srv.url);
  const r = await c.login('cw', PW);
  assert.equal(r.status, 200, r.text);
});

after(async () => {
  if (!srv) return;
  await srv.stop();
  srv.cleanup();
});

const post = (body, headers) => c.req('POST', '/api/v1/persons', body, headers);

// No person of that name exists in the caller's organisation.
async function noneNamed(name) {
  const r = await c.req('GET', `/api/v1/persons?q=${encodeURIComponent(name)}`);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.items, [], `nothing stored under ${name}`);
}

// Run the refusals, then check that the audit chain did not grow.
async function storesNothing(fn) {
  const before = await auditCount(srv.data);
  await fn();
  assert.equal(await auditCount(srv.data), before, 'refused requests leave no audit entry');
}

const authHeaders = () => ({ cookie: c.cookie, 'x-csrf-token': c.csrf, 'content-type': 'application/json' });

test('bodies over 1 MiB answer 413 body-too-large, and the server stays well', async () => {
  await storesNothing(async () => {
    // Valid JSON if it were read: one name, then whitespace.
    const big = (n) => Buffer.concat([Buffer.from('{"given_name":"Bigbodyova"}'), Buffer.alloc(n, 0x20)]);
    for (const [size, chunked] of [[2e6, false], [10e6, false], [2e6, true], [10e6, true]]) {
      const r = await rawRequest(srv.url, { method: 'POST', path: '/api/v1/persons', headers: authHeaders(),
        body: big(size), chunked });
      assertProblem(asFetchLike(r), 413, 'body-too-large', `${size / 1e6} MB${chunked ? ' chunked' : ''}`);
    }
    // Through fetch on a pooled connection, too.
    const f = await fetch(srv.url + '/api/v1/persons', { method: 'POST', headers: authHeaders(), body: big(2e6) });
    assert.equal(f.status, 413);
    assert.match(f.headers.get('content-type'), /^application\/problem\+json/);
    assert.equal((await f.json()).type, 'body-too-large');
    // One byte over the cap is over; exactly the cap is read (and judged on its content).
    const over = await rawRequest(srv.url, { method: 'POST', path: '/api/v1/persons', headers: authHeaders(),
      body: big((1 << 20) - 27 + 1) });
    assertProblem(asFetchLike(over), 413, 'body-too-large', 'cap + 1');
    await noneNamed('Bigbodyova');
  });
  const exact = await rawRequest(srv.url, { method: 'POST', path: '/api/v1/persons', headers: authHeaders(),
    body: Buffer.concat([Buffer.from('{"given_name":"Capsizeova"}'), Buffer.alloc((1 << 20) - 27, 0x20)]) });
  assert.equal(exact.status, 201, `a body of exactly 1 MiB is accepted: ${exact.text}`);
  assert.equal((await c.req('GET', '/api/v1/health')).status, 200);
});

test('an absurd declared length is refused before the body is sent', async () => {
  // With Expect: 100-continue a client waits: the 413 must come instead of 100.
  const head = await new Promise((resolve, reject) => {
    const u = new URL(srv.url);
    const s = net.connect(Number(u.port), u.hostname);
    let got = '';
    s.setTimeout(5000, () => { s.destroy(); reject(new Error('no answer: ' + got)); });
    s.on('data', (d) => { got += d; if (got.includes('\r\n\r\n') && /"status":413/.test(got)) { s.destroy(); resolve(got); } });
    s.on('end', () => resolve(got));
    s.on('error', (e) => (got ? resolve(got) : reject(e)));
    s.write(`POST /api/v1/persons HTTP/1.1\r\nHost: x\r\nCookie: ${c.cookie}\r\nX-CSRF-Token: ${c.csrf}\r\n` +
      'Content-Type: application/json\r\nContent-Length: 107374182400\r\nExpect: 100-continue\r\n\r\n');
  });
  assert.match(head, /^HTTP\/1\.1 413 /, head.slice(0, 80));
  assert.ok(!head.includes('100 Continue'), 'no 100 Continue for a body we will refuse');
  assert.match(head, /content-type: application\/problem\+json/i);
});

test('malformed JSON answers 400 invalid-json', async () => {
  await storesNothing(async () => {
    for (const body of [
      '{"given_name":', '{given_name:"Malformova"}', "{'given_name':'Malformova'}",
      '{"given_name":"Malformova",}', '{"given_name":"Malformova"} x',
      '{"given_name":"Malformova"}{"given_name":"Malformova"}', '{"given_name":"Malformova"',
      '{"given_name":"Malformova\n"}', '{"given_name":NaN}', '\uFEFF{"given_name":"Malformova"}',
      '{"given_name":"\\ud800Malformova"}', '{"given_name":"\\x41"}',
      '['.repeat(100000), '{"a":'.repeat(50000),
    ]) {
      assertProblem(await post(body), 400, 'invalid-json', JSON.stringify(body.slice(0, 40)));
    }
    await noneNamed('Malformova');
  });
});

test('invalid UTF-8 inside a JSON string answers 400', async () => {
  await storesNothing(async () => {
    const wrap = (bytes) => Buffer.concat([Buffer.from('{"given_name":"Utfova'), Buffer.from(bytes), Buffer.from('"}')]);
    for (const bytes of [[0xff], [0xfe, 0xff], [0xc0, 0xaf], [0xe0, 0x80, 0xaf], [0xed, 0xa0, 0x80],
      [0xf4, 0x90, 0x80, 0x80], [0xd0], [0x80], [0xf0, 0x9f, 0x98]]) {
      assertProblem(await post(wrap(bytes)), 400, 'invalid-json', `bytes ${Buffer.from(bytes).toString('hex')}`);
    }
    await noneNamed('Utfova');
  });
});

test('duplicate keys, arrays, scalars, NUL and empty bodies answer 400', async () => {
  await storesNothing(async () => {
    assertProblem(await post('{"given_name":"Dupova","given_name":"Dupovb"}'), 400, 'invalid-json', 'duplicate key');
    assertProblem(await post('{"given_name":"Dupova","family_name":"X","given_name":"Dupova"}'), 400, 'invalid-json',
      'duplicate key, same value');
    assertProblem(await post('[{"given_name":"Arrayova"}]'), 400, 'invalid-json', 'array');
    for (const s of ['"Scalarova"', '42', 'null', 'true'])
      assertProblem(await post(s), 400, 'invalid-json', s);
    assertProblem(await post('{"given_name":"Nulova\\u0000x"}'), 400, 'invalid-json', '\\u0000');
    assertProblem(await post('{"given_name":"Nulova"}\u0000'), 400, 'invalid-json', 'NUL after the object');
    assertProblem(await post(''), 400, 'invalid-json', 'empty body');
    const none = await fetch(srv.url + '/api/v1/persons', { method: 'POST', headers: authHeaders() });
    assertProblem({ status: none.status, headers: none.headers, json: await none.json(), text: '' }, 400,
      'invalid-json', 'no body at all');
    for (const n of ['Dupova', 'Dupovb', 'Arrayova', 'Scalarova', 'Nulova']) await noneNamed(n);
  });
});

test('unknown fields answer 422 unknown-field; clients cannot set server fields', async () => {
  await storesNothing(async () => {
    for (const extra of [{ nickname: 'x' }, { id: 'aaaaaaaaaaaaaaaa' }, { version: 7 }, { org_id: 'x' },
      { created_at: '2020-01-01T00:00:00Z' }, { __proto__x: 1 }, { GIVEN_NAME: 'Unknownova' }, { '': 1 }]) {
      assertProblem(await post({ given_name: 'Unknownova', ...extra }), 422, 'unknown-field', JSON.stringify(extra));
    }
    assertProblem(await post('{"given_name":"Unknownova","__proto__":{"admin":true}}'), 422, 'unknown-field',
      '__proto__');
    await noneNamed('Unknownova');
  });
});

test('a body that is not declared application/json answers 415', async () => {
  await storesNothing(async () => {
    const body = JSON.stringify({ given_name: 'Typeova' });
    for (const ct of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x',
      'application/jsonp', 'application/json-patch+json', 'text/json', 'application/javascript',
      'application/json; charset=latin1', 'application/json;charset="windows-1251"']) {
      assertProblem(await post(body, { 'content-type': ct }), 415, 'unsupported-media-type', ct);
    }
    const bare = await fetch(srv.url + '/api/v1/persons', {
      method: 'POST', headers: { cookie: c.cookie, 'x-csrf-token': c.csrf },
      body: new Blob([body]), // a Blob without a type: no Content-Type header
    });
    assert.equal(bare.status, 415);
    assert.equal((await bare.json()).type, 'unsupported-media-type');
    await noneNamed('Typeova');
  });
  // UTF-8 named is UTF-8.
  for (const ct of ['application/json; charset=utf-8', 'application/json;charset="UTF-8"', 'application/json; charset=utf8'])
    assert.equal((await post(JSON.stringify({ given_name: 'Charsetova' }), { 'content-type': ct })).status, 201, ct);
  const ok = await post({ given_name: 'Charsetova' }, { 'content-type': 'Application/JSON; charset=utf-8' });
  assert.equal(ok.status, 201, `a charset parameter is fine: ${ok.text}`);
});

test('invalid values answer 422 invalid-value', async () => {
  const year = new Date().getUTCFullYear();
  const tomorrow = new Date(Date.now() + 86400e3).toISOString().slice(0, 10);
  await storesNothing(async () => {
    const cases = [
      ['a 10 000-character name', { given_name: 'Longova' + 'a'.repeat(10000) }],
      ['101 characters', { given_name: 'L'.repeat(101) }],
      ['control character', { given_name: 'Ctrlova\u0007' }],
      ['tab', { given_name: 'Ctrlova\tx' }],
      ['empty name', { given_name: '' }],
      ['a name of spaces only', { given_name: '   ' }],
      ['a right-to-left override', { given_name: 'Bidiova\u202eavoidiB' }],
      ['a direction isolate', { given_name: '\u2066Isolova\u2069' }],
      ['null on create', { given_name: null, family_name: 'Nullova' }],
      ['2023-02-30', { given_name: 'Dateova', birth_date: '2023-02-30' }],
      ['2023-13-01', { given_name: 'Dateova', birth_date: '2023-13-01' }],
      ['2023-00-10', { given_name: 'Dateova', birth_date: '2023-00-10' }],
      ['2023-02-29 (not a leap year)', { given_name: 'Dateova', birth_date: '2023-02-29' }],
      ['1900-02-29 (not a leap year)', { given_name: 'Dateova', birth_date: '1900-02-29' }],
      ['tomorrow', { given_name: 'Dateova', birth_date: tomorrow }],
      ['next year', { given_name: 'Dateova', birth_date: `${year + 1}-01-01` }],
      ['far future', { given_name: 'Dateova', birth_date: '9999-12-31' }],
      ['short date', { given_name: 'Dateova', birth_date: '2023-2-3' }],
      ['date-time', { given_name: 'Dateova', birth_date: '2003-02-03T00:00:00Z' }],
      ['dotted date', { given_name: 'Dateova', birth_date: '03.02.2003' }],
      ['date as number', { given_name: 'Dateova', birth_date: 20030203 }],
      ['gender X', { given_name: 'Genderova', gender: 'X' }],
      ['gender lower case', { given_name: 'Genderova', gender: 'feminine' }],
      ['gender with space', { given_name: 'Genderova', gender: 'Feminine ' }],
      ['gender as list', { given_name: 'Genderova', gender: ['Feminine'] }],
      ['name as number', { given_name: 12345 }],
      ['name as object', { given_name: { first: 'Typeova' } }],
      ['name as list', { given_name: ['Typeova'] }],
      ['name as boolean', { given_name: true }],
      ['aliases as string', { given_name: 'Typeova', aliases: 'Typeovna' }],
      ['aliases of numbers', { given_name: 'Typeova', aliases: [1, 2] }],
      ['phones as string', { given_name: 'Typeova', phones: '+992 900 00 00 00' }],
      ['phone with letters', { given_name: 'Typeova', phones: ['call me'] }],
      ['phone too short', { given_name: 'Typeova', phones: ['12345'] }],
      ['citizenship lower case', { given_name: 'Typeova', citizenship: 'tj' }],
      ['citizenship alpha-3', { given_name: 'Typeova', citizenship: 'TJK' }],
      ['too many aliases', { given_name: 'Typeova', aliases: Array.from({ length: 21 }, (_, i) => `Alias${i}`) }],
    ];
    for (const [what, body] of cases) {
      const r = await post(body);
      assertProblem(r, 422, 'invalid-value', what);
      assert.ok(r.text.length < 2000, `${what}: the problem does not echo the whole input`);
    }
    // Without any name a person is refused as well.
    assertProblem(await post({ gender: 'Feminine' }), 422, 'missing-field', 'no name');
    assertProblem(await post({}), 422, 'missing-field', 'empty object');
    for (const n of ['Longova', 'Ctrlova', 'Nullova', 'Dateova', 'Genderova', 'Typeova']) await noneNamed(n);
  });
  // Limits count characters, not bytes; real dates pass.
  const cyr = await post({ given_name: 'Ж'.repeat(100), birth_date: '2000-02-29', gender: 'Feminine', citizenship: 'TJ' });
  assert.equal(cyr.status, 201, `100 Cyrillic letters and a leap day are valid: ${cyr.text}`);
});

test('PATCH needs If-Match (428); a stale one is 412 version-conflict and changes nothing', async () => {
  const made = await post({ given_name: 'Patchova', family_name: 'Versionzoda', gender: 'Feminine' });
  assert.equal(made.status, 201, made.text);
  const id = made.json.id;
  const path = `/api/v1/persons/${id}`;
  const got = await c.req('GET', path);
  assert.equal(got.status, 200);
  assert.equal(got.headers.get('etag'), '"1"');

  await storesNothing(async () => {
    assertProblem(await c.req('PATCH', path, { given_name: 'Hijackova' }), 428, 'precondition-required', 'no If-Match');
    // `*` would match any version: it must not bypass the check of a lost update.
    for (const im of ['"2"', '"0"', '2', '"abc"', '*', '"1', '""', '"-1"', '"99999999999999999999"', 'W/"2"'])
      assertProblem(await c.req('PATCH', path, { given_name: 'Hijackova' }, { 'if-match': im }), 412,
        'version-conflict', `If-Match ${im}`);
    // Bad bodies with the right version are refused too.
    assertProblem(await c.req('PATCH', path, { nickname: 'Hijackova' }, { 'if-match': '"1"' }), 422, 'unknown-field');
    assertProblem(await c.req('PATCH', path, { birth_date: '2023-02-30' }, { 'if-match': '"1"' }), 422, 'invalid-value');
    assertProblem(await c.req('PATCH', path, '{"given_name":"A","given_name":"B"}', { 'if-match': '"1"' }), 400,
      'invalid-json');
    assertProblem(await c.req('PATCH', path, '', { 'if-match': '"1"' }), 400, 'invalid-json', 'empty PATCH body');
    assertProblem(await c.req('PATCH', path, 'given_name=Hijackova', { 'if-match': '"1"', 'content-type': 'text/plain' }),
      415, 'unsupported-media-type');
  });

  const ok = await c.req('PATCH', path, { given_name: 'Patchovna' }, { 'if-match': '"1"' });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.json.version, 2);
  assert.equal(ok.headers.get('etag'), '"2"');

  // The version read before the change is stale now.
  const stale = await c.req('PATCH', path, { given_name: 'Hijackova', gender: 'Masculine' }, { 'if-match': '"1"' });
  assertProblem(stale, 412, 'version-conflict', 'stale If-Match');
  const now = await c.req('GET', path);
  assert.equal(now.status, 200);
  assert.equal(now.json.version, 2, 'the version is unchanged');
  assert.equal(now.json.given_name, 'Patchovna', 'the record is unchanged');
  assert.equal(now.json.gender, 'Feminine');
  assert.equal(now.json.family_name, 'Versionzoda');
  await noneNamed('Hijackova');
});
