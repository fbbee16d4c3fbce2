// /api/v1/persons: create, read, patch with versions, name search across
// scripts, who may see and register persons, and encryption at rest.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, Client, signInAll } from '../lib/server.mjs';
import { run, rawFiles, pgUrlOf } from '../lib/datadir.mjs';

const PW = 'correct horse battery';
const users = [
  ['cw', 'caseworker'], ['sup', 'supervisor'], ['hot', 'hotline'], ['fp', 'focal_point'],
  ['an', 'analyst'], ['tr', 'trainer'], ['adm', 'admin'],
].map(([login, role]) => ({ login, role, password: PW }));
users.push({ org: 'ngo1', login: 'ngo.cw', role: 'caseworker', password: PW });

let srv;
const as = {};

before(async () => {
  srv = await startServer({ users, orgs: [{ code: 'ngo1', name: 'NGO One', type: 'NGO' }] });
  await signInAll(srv, users, PW, as);
});

after(async () => {
  if (srv) {
    await srv.stop();
    srv.cleanup();
  }
});

const tajik = {
  given_name: 'Ҷӯрабек',
  family_name: 'Ҳақназаров',
  patronymic: 'Ғуломқодирович',
  aliases: ['Ҷура', 'Қодирӣ', 'Jo‘rabek'],
  birth_date: '1991-07-30',
  gender: 'Masculine',
  citizenship: 'TJ',
  phones: ['+992 91 234 56 78', '(992) 900-11-22-33'],
};

const create = (who, body) => as[who].req('POST', '/api/v1/persons', body);

test('create answers 201 with Location, ETag "1" and the fields exactly', async () => {
  const r = await create('cw', tajik);
  assert.equal(r.status, 201, r.text);
  assert.match(r.headers.get('content-type'), /^application\/json/);
  const id = r.json.id;
  assert.match(id, /^[A-Za-z0-9_-]{16,}$/);
  assert.equal(r.headers.get('location'), '/api/v1/persons/' + id);
  assert.equal(r.headers.get('etag'), '"1"');
  assert.equal(r.json.version, 1);
  for (const [k, v] of Object.entries(tajik)) assert.deepEqual(r.json[k], v, k);
  assert.match(r.json.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
  assert.equal(r.json.updated_at, r.json.created_at);
  const extra = Object.keys(r.json).filter((k) => !(k in tajik) &&
    !['id', 'version', 'created_at', 'updated_at'].includes(k));
  assert.deepEqual(extra, []);

  // Ids are not sequential.
  const r2 = await create('cw', { given_name: 'Ӣсо' });
  assert.equal(r2.status, 201);
  assert.notEqual(r2.json.id, id);
  assert.deepEqual(Object.keys(r2.json).sort(), ['created_at', 'given_name', 'id', 'updated_at', 'version']);
});

test('get answers the record with its ETag', async () => {
  const c = await create('cw', tajik);
  const id = c.json.id;
  const g = await as.cw.req('GET', '/api/v1/persons/' + id);
  assert.equal(g.status, 200, g.text);
  assert.equal(g.headers.get('etag'), '"1"');
  assert.deepEqual(g.json, c.json);
  // The same organisation's supervisor and hotline see it too.
  assert.deepEqual((await as.sup.req('GET', '/api/v1/persons/' + id)).json, c.json);
  assert.equal((await as.hot.req('GET', '/api/v1/persons/' + id)).status, 200);
  const none = await as.cw.req('GET', '/api/v1/persons/AAAAAAAAAAAAAAAAAAAAAA');
  assert.equal(none.status, 404);
  assert.match(none.headers.get('content-type'), /^application\/problem\+json/);
  assert.equal(none.json.type.endsWith('not-found'), true);
});

test('create refuses invalid bodies', async () => {
  // Each with the field a form should mark (issue 12): "field" names it.
  const bad = [
    [{ given_name: 'А', favourite_colour: 'blue' }, 422, 'favourite_colour'],
    [{ gender: 'Feminine' }, 422, 'given_name'], // no name
    [{ given_name: 'А', gender: 'female' }, 422, 'gender'],
    [{ given_name: 'А', birth_date: '1991-02-30' }, 422, 'birth_date'],
    [{ given_name: 'А', phones: ['call me'] }, 422, 'phones'],
    [{ given_name: 42 }, 422, 'given_name'],
    [[{ given_name: 'А' }], 400, undefined],
  ];
  for (const [body, status, field] of bad) {
    const r = await create('cw', body);
    assert.equal(r.status, status, JSON.stringify(body) + ': ' + r.text);
    assert.match(r.headers.get('content-type'), /^application\/problem\+json/);
    assert.equal(r.json.field, field, JSON.stringify(body) + ': ' + r.text);
  }
  const r = await as.cw.req('POST', '/api/v1/persons', '{"given_name":');
  assert.equal(r.status, 400);
  // No such day is said apart from a day to come (a screen told "not in
  // the future" for 31.02).
  const noDay = await create('cw', { given_name: 'А', birth_date: '1995-02-31' });
  assert.match(noDay.json.detail, /a date written YYYY-MM-DD/);
  assert.doesNotMatch(noDay.json.detail, /past/);
  const later = await create('cw', { given_name: 'А', birth_date: `${new Date().getUTCFullYear() + 1}-06-01` });
  assert.match(later.json.detail, /a past date/);
});

test('patch needs If-Match, moves to version 2, removes a field given null', async () => {
  const c = await create('cw', tajik);
  const id = c.json.id;
  const path = '/api/v1/persons/' + id;
  let r = await as.cw.req('PATCH', path, { given_name: 'Ҷамшед' });
  assert.equal(r.status, 428, r.text);
  r = await as.cw.req('PATCH', path, { given_name: 'Ҷамшед' }, { 'if-match': '"7"' });
  assert.equal(r.status, 412, r.text);
  assert.match(r.json.type, /version-conflict/);

  r = await as.cw.req('PATCH', path, { given_name: 'Ҷамшед', patronymic: null, gender: null },
    { 'if-match': '"1"' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.version, 2);
  assert.equal(r.headers.get('etag'), '"2"');
  assert.equal(r.json.given_name, 'Ҷамшед');
  assert.equal('patronymic' in r.json, false);
  assert.equal('gender' in r.json, false);
  assert.equal(r.json.family_name, tajik.family_name);
  assert.deepEqual(r.json.phones, tajik.phones);
  assert.equal(r.json.created_at, c.json.created_at);

  const g = await as.cw.req('GET', path);
  assert.equal(g.headers.get('etag'), '"2"');
  assert.deepEqual(g.json, r.json);

  // The old version is stale now.
  r = await as.cw.req('PATCH', path, { given_name: 'Другой' }, { 'if-match': '"1"' });
  assert.equal(r.status, 412);
  // Removing every name is refused.
  r = await as.cw.req('PATCH', path, { given_name: null, family_name: null, aliases: null },
    { 'if-match': '"2"' });
  assert.equal(r.status, 422, r.text);
  r = await as.cw.req('PATCH', path, { shoe_size: 42 }, { 'if-match': '"2"' });
  assert.equal(r.status, 422, r.text);
  assert.equal((await as.cw.req('GET', path)).json.version, 2);
});

test('If-Match compares strongly: a weak tag (W/"N") never matches, the strong "N" does', async () => {
  const c = await create('sup', { given_name: 'Сарвар' });
  const path = '/api/v1/persons/' + c.json.id;
  let r = await as.sup.req('PATCH', path, { family_name: 'Каримов' }, { 'if-match': 'W/"1"' });
  assert.equal(r.status, 412, r.text);
  r = await as.sup.req('PATCH', path, { family_name: 'Каримов' }, { 'if-match': '"1"' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.version, 2);
  r = await as.sup.req('PATCH', path, { family_name: 'Раҳимов' }, { 'if-match': '"1"' });
  assert.equal(r.status, 412, r.text);
  r = await as.sup.req('PATCH', path, { family_name: 'Раҳимов' }, { 'if-match': '2' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.version, 3);
  for (const bad of ['"3', '3"', 'W/', '"x"', '"0"', '"-3"', '"+3"', '" 3"', '"3" junk', 'W/"3"', 'W/3']) {
    r = await as.sup.req('PATCH', path, { family_name: 'Нет' }, { 'if-match': bad });
    assert.equal(r.status, 412, `If-Match ${bad}: ${r.text}`);
  }
  const g = await as.sup.req('GET', path);
  assert.equal(g.json.version, 3);
  assert.equal(g.json.family_name, 'Раҳимов');
});

test('concurrent patches of one version: exactly one wins', async () => {
  const c = await create('cw', { given_name: 'Фаррух' });
  const path = '/api/v1/persons/' + c.json.id;
  const rs = await Promise.all(Array.from({ length: 6 }, (_, i) =>
    as.cw.req('PATCH', path, { family_name: 'Вариант' + i }, { 'if-match': '"1"' })));
  const codes = rs.map((r) => r.status).sort();
  assert.deepEqual(codes, [200, 412, 412, 412, 412, 412]);
  const g = await as.cw.req('GET', path);
  assert.equal(g.json.version, 2);
  assert.equal(g.json.family_name, rs.find((r) => r.status === 200).json.family_name);
});

test('search finds Ҷумъаев in every common spelling, and nothing for another name', async () => {
  const c = await create('cw', { given_name: 'Шерали', family_name: 'Ҷумъаев' });
  const id = c.json.id;
  for (const q of ['Ҷумъаев', 'Джумаев', 'Jumaev', 'Dzhumaev', 'Djumaev', 'джумъаев', 'JUMAEV']) {
    const r = await as.cw.req('GET', '/api/v1/persons?q=' + encodeURIComponent(q));
    assert.equal(r.status, 200, q + ': ' + r.text);
    const ids = r.json.items.map((p) => p.id);
    assert.ok(ids.includes(id), `q=${q} finds Ҷумъаев: ${JSON.stringify(ids)}`);
    const hit = r.json.items.find((p) => p.id === id);
    assert.equal(hit.family_name, 'Ҷумъаев');
    assert.equal(hit.given_name, 'Шерали');
    assert.equal(r.json.next, null);
  }
  for (const q of ['Karimov', 'Раҳмонов', 'Zoirov']) {
    const r = await as.cw.req('GET', '/api/v1/persons?q=' + encodeURIComponent(q));
    assert.equal(r.status, 200);
    assert.deepEqual(r.json.items, [], q);
  }
  // Another organisation does not find it.
  const o = await as['ngo.cw'].req('GET', '/api/v1/persons?q=Jumaev');
  assert.equal(o.status, 200);
  assert.deepEqual(o.json.items, []);
  assert.equal((await as.cw.req('GET', '/api/v1/persons?q=')).status, 422);
  assert.equal((await as.cw.req('GET', '/api/v1/persons')).status, 422);
});

test('search: partial names, ranking by the words that meet, narrowing by date of birth', async () => {
  const a = await create('cw', { given_name: 'Фаррух', family_name: 'Раҳимов', birth_date: '1990-03-04' });
  const b = await create('cw', { given_name: 'Farrukh', family_name: 'Rakhimov', birth_date: '1985-07-01' });
  const c = await create('cw', { given_name: 'Далер', family_name: 'Рахимов' });
  const d = await create('cw', { given_name: 'Шаҳло', family_name: 'Назарова' });
  for (const x of [a, b, c, d]) assert.equal(x.status, 201, x.text);
  const ids = async (q) => (await as.cw.req('GET', '/api/v1/persons?q=' + encodeURIComponent(q))).json.items.map((p) => p.id);

  // A beginning of the name, typed in either script, finds all three Rahimovs.
  for (const q of ['Rakh', 'Раҳ', 'Рахи', 'rahim']) {
    const got = await ids(q);
    for (const x of [a, b, c]) assert.ok(got.includes(x.json.id), q + ' finds ' + x.json.family_name);
    assert.ok(!got.includes(d.json.id), q + ' does not find Назарова');
  }
  // Given and family name together rank the two Farrukh Rahimovs above Daler.
  const both = await ids('Farrukh Rahimov');
  assert.deepEqual(both.slice(0, 2).sort(), [a.json.id, b.json.id].sort());
  assert.ok(both.indexOf(c.json.id) > 1, 'Daler Rahimov ranks below both Farrukhs');
  // With a date of birth: the person born then first, a person without a
  // known date after, a person born at another date not at all.
  const r = await as.cw.req('GET', '/api/v1/persons?q=Rahimov&birth_date=1990');
  assert.equal(r.status, 200, r.text);
  const got = r.json.items.map((p) => p.id);
  assert.equal(got[0], a.json.id);
  assert.ok(got.includes(c.json.id));
  assert.ok(!got.includes(b.json.id));
  assert.equal((await as.cw.req('GET', '/api/v1/persons?q=Rahimov&birth_date=1990-3')).status, 422);
  // A month or day that is none is refused, not an empty list.
  for (const b of ['1994-13', '1994-02-30', '1994-00'])
    assert.equal((await as.cw.req('GET', `/api/v1/persons?q=Rahimov&birth_date=${b}`)).status, 422, b);
  assert.equal((await as.cw.req('GET', '/api/v1/persons?q=Rahimov&birth_date=1996-02-29')).status, 200);
});

test('roles: analyst, trainer and admin neither see nor register persons', async () => {
  const c = await create('cw', { given_name: 'Мунира', family_name: 'Қосимова' });
  const path = '/api/v1/persons/' + c.json.id;
  for (const who of ['an', 'tr', 'adm']) {
    const g = await as[who].req('GET', path);
    assert.equal(g.status, 404, who + ': ' + g.text);
    assert.equal(g.text.includes('Мунира'), false);
    const p = await create(who, { given_name: 'Тест' });
    assert.equal(p.status, 403, who + ': ' + p.text);
    assert.match(p.headers.get('content-type'), /^application\/problem\+json/);
    const s = await as[who].req('GET', '/api/v1/persons?q=Мунира');
    assert.equal(s.status, 403, who);
    const u = await as[who].req('PATCH', path, { given_name: 'X' }, { 'if-match': '"1"' });
    assert.equal(u.status, 404, who);
  }
  // Another organisation's caseworker does not see it either.
  assert.equal((await as['ngo.cw'].req('GET', path)).status, 404);
  assert.equal((await as['ngo.cw'].req('PATCH', path, { given_name: 'X' }, { 'if-match': '"1"' })).status, 404);
  assert.equal((await as.cw.req('GET', path)).json.version, 1);
});

test('roles: hotline registers, focal_point does not; neither edits', async () => {
  const h = await create('hot', { given_name: 'Нигина', phones: ['+992 93 000 11 22'] });
  assert.equal(h.status, 201, h.text);
  const f = await create('fp', { given_name: 'Нигина' });
  assert.equal(f.status, 403, f.text);
  const path = '/api/v1/persons/' + h.json.id;
  assert.equal((await as.fp.req('GET', path)).status, 200);
  for (const who of ['hot', 'fp']) {
    const r = await as[who].req('PATCH', path, { given_name: 'X' }, { 'if-match': '"1"' });
    assert.equal(r.status, 403, who + ': ' + r.text);
  }
  const ok = await as.cw.req('PATCH', path, { family_name: 'Саидова' }, { 'if-match': '"1"' });
  assert.equal(ok.status, 200);
});

test('without sign-in or CSRF token nothing happens', async () => {
  const anon = new Client(srv.url);
  assert.equal((await anon.req('POST', '/api/v1/persons', { given_name: 'А' })).status, 401);
  assert.equal((await anon.req('GET', '/api/v1/persons?q=А')).status, 401);
  const r = await as.cw.req('POST', '/api/v1/persons', { given_name: 'А' }, { 'x-csrf-token': 'wrong' });
  assert.equal(r.status, 403);
});

test('encryption at rest: names and phones never reach the files in clear', async () => {
  const secrets = ['Зарринисо', 'Ғоибназарова', 'Зарринисо Ғоибназарова', 'Qurbonali', 'Xudoyberdiyev',
    'Гулрухсор', '+992 93 555 12 34', '935551234', '93 555 12 34', '1987-11-05'];
  const body = {
    given_name: 'Зарринисо', family_name: 'Ғоибназарова', patronymic: 'Гулрухсор',
    aliases: ['Qurbonali Xudoyberdiyev'], birth_date: '1987-11-05', phones: ['+992 93 555 12 34'],
  };
  const c = await create('cw', body);
  assert.equal(c.status, 201, c.text);
  const id = c.json.id;
  assert.equal((await as.cw.req('GET', '/api/v1/persons/' + id)).json.given_name, 'Зарринисо');
  const p = await as.cw.req('PATCH', '/api/v1/persons/' + id, { aliases: ['Qurbonali Xudoyberdiyev', 'Зарина'] },
    { 'if-match': '"1"' });
  assert.equal(p.status, 200);
  const s = await as.cw.req('GET', '/api/v1/persons?q=Xudoyberdiyev');
  assert.ok(s.json.items.some((x) => x.id === id));

  const check = (files, when) => {
    assert.ok(files['himoya.db'], when + ': himoya.db exists');
    for (const [name, buf] of Object.entries(files)) {
      for (const sec of secrets) {
        assert.equal(buf.includes(Buffer.from(sec)), false, `${when}: "${sec}" in clear in ${name}`);
        // Also as UTF-16 (not that SQLite would, but cheap to rule out).
        assert.equal(buf.includes(Buffer.from(sec, 'utf16le')), false, `${when}: "${sec}" UTF-16 in ${name}`);
      }
    }
  };
  // A control: the organisation's name (not personal data) is stored in
  // clear, so the scan does look at the bytes that hold the records.
  assert.ok(rawFiles(srv.data)['himoya.db'].includes(Buffer.from('IOM Tajikistan')) ||
    (rawFiles(srv.data)['himoya.db-wal'] ?? Buffer.alloc(0)).includes(Buffer.from('IOM Tajikistan')));
  check(rawFiles(srv.data), 'while running');
  const bak = join(srv.dir, 'persons.bak');
  const b = run(['backup', '--data', srv.data, '--to', bak]);
  if (pgUrlOf(srv.data)) {
    // PostgreSQL is backed up with its own tools: himoya backup says so.
    assert.equal(b.code === 0, false);
    assert.match(b.err, /pg_dump/);
  } else {
    assert.equal(b.code, 0, b.err);
    check({ 'himoya.db': readFileSync(bak) }, 'backup');
  }

  await srv.stop();
  assert.equal(srv.proc.exitCode, 0, 'clean exit on SIGTERM: ' + srv.log());
  check(rawFiles(srv.data), 'after SIGTERM');
  // The key file is never inside the data base.
  const key = readFileSync(join(srv.data, 'himoya.key'));
  for (const [name, buf] of Object.entries(rawFiles(srv.data)))
    assert.equal(buf.includes(key), false, 'key bytes in ' + name);
  rmSync(bak, { force: true });
});
