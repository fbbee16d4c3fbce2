// /api/v1/directory: the service directory after Open Referral HSDS 3.x.
// Who may add and change services, search by type, region, language and
// text in Cyrillic and Latin, Himoya's and HSDS's paging at once, the
// redaction of shelter addresses for everyone outside the shelter's
// organisation (in lists, reads and exports), the import of an HSDS-JSON
// document (all or nothing), an export -> import round trip into a fresh
// server, the audit of every write, and the directory `himoya demo` makes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer, Client, himoya, signInAll, initArgs } from '../lib/server.mjs';
import { assertProblem } from '../lib/hostile.mjs';
import { bearer, poll, rawFiles, run, serveDir, sqlite, tempDir } from '../lib/datadir.mjs';

const PW = 'directory test password';
const V1 = '/api/v1';
const DIR = V1 + '/directory/services';
const ORGS = [
  { code: 'ngo1', name: 'NGO Ozod (test)', type: 'NGO' },
  { code: 'shelter1', name: 'Shelter Panoh (test)', type: 'NGO' },
];
const users = [
  ['admin', 'admin'], ['sup', 'supervisor'], ['cw', 'caseworker'], ['hot', 'hotline'],
  ['fp', 'focal_point'], ['an', 'analyst'], ['tr', 'trainer'],
].map(([login, role]) => ({ login, role, password: PW }));
users.push({ org: 'ngo1', login: 'ngo.sup', role: 'supervisor', password: PW });
users.push({ org: 'ngo1', login: 'ngo.cw', role: 'caseworker', password: PW });
users.push({ org: 'shelter1', login: 'sh.sup', role: 'supervisor', password: PW });
users.push({ org: 'shelter1', login: 'sh.cw', role: 'caseworker', password: PW });
users.push({ org: 'ngo1', login: 'ngo.adm', role: 'admin', password: PW });

let srv;
const as = {};

before(async () => {
  srv = await startServer({ users, orgs: ORGS });
  await signInAll(srv, users, PW, as);
});

after(async () => {
  if (srv) {
    await srv.stop();
    srv.cleanup();
  }
});

// ---- helpers ---------------------------------------------------------------

const db = () => join(srv.data, 'himoya.db');
const auditCount = (record, action) => Number(sqlite(db(),
  `SELECT count(*) FROM audit_log WHERE record = '${record}' AND action = '${action}'`).trim());
const serviceCount = () => Number(sqlite(db(), 'SELECT count(*) FROM dir_services').trim());

async function addService(who, body) {
  const r = await as[who].req('POST', DIR, body);
  assert.equal(r.status, 201, 'service: ' + r.text);
  return r.json;
}

async function addLocation(who, serviceId, body) {
  const r = await as[who].req('POST', `${DIR}/${serviceId}/locations`, body);
  assert.equal(r.status, 201, 'location: ' + r.text);
  return r.json;
}

const list = (who, query = '') => as[who].req('GET', DIR + (query ? '?' + query : ''));
const q = (params) => new URLSearchParams(params).toString();
const names = (r) => r.json.items.map((s) => s.name).sort();
const patch = (who, id, body, version) => as[who].req('PATCH', `${DIR}/${id}`, body,
  version === undefined ? {} : { 'if-match': `"${version}"` });

// A small directory every search test can count on: unique words in the
// names ("Zarafshon...") keep the tests apart from each other's services.
let fixture;
async function directory() {
  if (fixture) return fixture;
  fixture = {};
  fixture.legalDu = await addService('admin', {
    name: 'Адолат Зарафшон ёрии ҳуқуқӣ', type: 'legal', org: 'ngo1', languages: ['tg', 'ru'],
    regions_served: ['TJ-DU', 'TJ-RA'], hours: 'Mon–Fri 08:00–17:00', phone: '+992 44 600 80 01',
  });
  fixture.legalSu = await addService('admin', {
    name: 'Nur Zarafshon legal clinic', type: 'legal', org: 'ngo1', languages: ['uz', 'tg'],
    regions_served: ['TJ-SU'],
  });
  fixture.psyKt = await addService('admin', {
    name: 'Umed Zarafshon psychosocial centre', type: 'psychosocial', org: 'ngo1',
    languages: ['uz'], regions_served: ['TJ-KT'],
  });
  fixture.medical = await addService('admin', {
    name: 'Shifo Zarafshon clinic', type: 'medical', org: 'ngo1', languages: ['ru'],
  });
  // No region served, but a location in Khatlon: found by region too.
  await addLocation('admin', fixture.medical.id,
    { kind: 'physical', name: 'Shifo branch', address: 'кӯчаи Озодӣ 3, Бохтар', region: 'TJ-KT', city: 'Bokhtar' });
  return fixture;
}

// ---- declarations ----------------------------------------------------------

test('the schema declares the directory records, with the address as pii', async () => {
  const r = await as.cw.req('GET', V1 + '/schema');
  assert.equal(r.status, 200, r.text);
  const svc = r.json.resources.directory_service;
  const loc = r.json.resources.directory_location;
  assert.ok(svc && loc, Object.keys(r.json.resources).join(','));
  const field = (fs, n) => fs.find((f) => f.name === n);
  assert.equal(field(svc, 'type').codes, 'assistance_service_types');
  assert.equal(field(svc, 'status').codes, 'hsds_service_status');
  assert.equal(field(svc, 'languages').codes, 'languages');
  assert.equal(field(svc, 'regions_served').codes, 'tj_regions_iso3166_2');
  assert.equal(field(svc, 'name').required, true);
  assert.equal(field(svc, 'capacity_max').type, 'integer');
  assert.equal(field(loc, 'kind').codes, 'hsds_location_type');
  assert.equal(field(loc, 'address').class, 'pii');
  assert.equal(field(svc, 'name').label.tg, 'Номи хизмат');
});

// ---- creating ----------------------------------------------------------------

test('an administrator adds a service for any organisation, a supervisor for their own', async () => {
  const r = await as.admin.req('POST', DIR, {
    name: 'Created by admin', type: 'shelter', org: 'shelter1', capacity_max: 12,
    languages: ['tg', 'ru'], regions_served: ['TJ-DU'],
    eligibility: 'Women survivors', email: 'panoh@example.org', url: 'https://example.org',
  });
  assert.equal(r.status, 201, r.text);
  const s = r.json;
  assert.match(s.id, /^[a-z2-7]{26}$/);
  assert.equal(s.version, 1);
  assert.equal(r.headers.get('etag'), '"1"');
  assert.equal(r.headers.get('location'), `${DIR}/${s.id}`);
  assert.equal(s.status, 'active', 'status defaults to active');
  assert.equal(s.service_type, 'shelter');
  assert.deepEqual(s.organization, { id: 'shelter1', code: 'shelter1', name: 'Shelter Panoh (test)', type: 'NGO' });
  assert.equal(s.organization_id, 'shelter1');
  // A shelter's free beds come from its stays (none yet).
  assert.deepEqual(s.capacity, { available: 12, maximum: 12, occupied: 0, unit: 'beds' });
  assert.deepEqual(s.languages.map((l) => l.code), ['tg', 'ru']);
  assert.equal(s.languages[0].name, 'Tajik');
  assert.deepEqual(s.service_areas, [{ name: 'Dushanbe', extent: 'TJ-DU', extent_type: 'text' }]);
  assert.equal(s.eligibility_description, 'Women survivors');
  assert.deepEqual(s.locations, []);
  assert.equal(auditCount('directory/services/' + s.id, 'create'), 1);

  // A supervisor: their own organisation, whatever they send.
  const own = await as['ngo.sup'].req('POST', DIR, { name: 'Ozod counselling', type: 'psychosocial' });
  assert.equal(own.status, 201, own.text);
  assert.equal(own.json.organization.id, 'ngo1');
  const same = await as['ngo.sup'].req('POST', DIR, { name: 'Ozod legal', type: 'legal', org: 'ngo1' });
  assert.equal(same.status, 201, same.text);
  assertProblem(await as['ngo.sup'].req('POST', DIR, { name: 'x', type: 'legal', org: 'shelter1' }),
    403, 'forbidden', 'a supervisor for another organisation');
  assertProblem(await as.sup.req('POST', DIR, { name: 'x', type: 'legal', org: 'ngo1' }), 403,
    'forbidden', 'an IOM supervisor for an NGO');
  for (const who of ['cw', 'hot', 'fp', 'an', 'tr', 'ngo.cw'])
    assertProblem(await as[who].req('POST', DIR, { name: 'x', type: 'legal' }), 403, 'forbidden', who);

  // Bad values change nothing.
  const before = serviceCount();
  assertProblem(await as.admin.req('POST', DIR, { type: 'legal' }), 422, 'missing-field');
  assertProblem(await as.admin.req('POST', DIR, { name: 'x' }), 422, 'missing-field');
  assertProblem(await as.admin.req('POST', DIR, { name: 'x', type: 'haircut' }), 422, 'invalid-value');
  assertProblem(await as.admin.req('POST', DIR, { name: 'x', type: 'legal', colour: 'red' }), 422,
    'unknown-field');
  assertProblem(await as.admin.req('POST', DIR, { name: 'x', type: 'legal', org: 'nobody' }), 422,
    'invalid-value');
  assertProblem(await as.admin.req('POST', DIR, { name: 'x', type: 'legal', languages: ['fr'] }), 422,
    'invalid-value');
  assertProblem(await as.admin.req('POST', DIR, { name: 'x', type: 'legal', regions_served: ['TJ-XX'] }),
    422, 'invalid-value');
  assertProblem(await as.admin.req('POST', DIR,
    { name: 'x', type: 'shelter', capacity_max: 3, capacity_available: 5 }), 422, 'invalid-value');
  assertProblem(await as.admin.req('POST', DIR, { name: 'x', type: 'legal', capacity_max: -1 }), 422,
    'invalid-value');
  assertProblem(await as.admin.req('POST', DIR, { name: 'x', type: 'legal', email: 'not an address' }),
    422, 'invalid-value');
  assertProblem(await as.admin.req('POST', DIR, { name: 'x', type: 'legal', url: 'javascript:alert(1)' }),
    422, 'invalid-value');
  assertProblem(await as.admin.req('POST', DIR, { name: 'x', type: 'legal', status: 'open' }), 422,
    'invalid-value');
  assert.equal(serviceCount(), before);
});

// ---- reading and searching -------------------------------------------------

test('every signed-in role reads the directory; nobody signed out does', async () => {
  const f = await directory();
  for (const who of ['admin', 'sup', 'cw', 'hot', 'fp', 'an', 'tr', 'ngo.cw', 'sh.cw']) {
    const r = await list(who, q({ search: 'Zarafshon' }));
    assert.equal(r.status, 200, who + ': ' + r.text);
    assert.equal(r.json.total_items, 4, who);
    const one = await as[who].req('GET', `${DIR}/${f.legalDu.id}`);
    assert.equal(one.status, 200, who + ': ' + one.text);
    assert.equal(one.headers.get('etag'), `"${one.json.version}"`);
  }
  assertProblem(await new Client(srv.url).req('GET', DIR), 401, 'unauthenticated');
  assertProblem(await as.cw.req('GET', `${DIR}/aaaaaaaaaaaaaaaaaaaaaaaaaa`), 404, 'not-found');
  assertProblem(await as.cw.req('GET', `${DIR}/..x`), 404);
});

test('search by type, region, language, organisation and status', async () => {
  const f = await directory();
  const base = { search: 'Zarafshon' };
  let r = await list('hot', q({ ...base, type: 'legal' }));
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(names(r), ['Nur Zarafshon legal clinic', 'Адолат Зарафшон ёрии ҳуқуқӣ']);
  assert.ok(r.json.items.every((s) => s.service_type === 'legal'));

  r = await list('hot', q({ ...base, region: 'TJ-SU' }));
  assert.deepEqual(names(r), ['Nur Zarafshon legal clinic']);
  r = await list('hot', q({ ...base, region: 'TJ-RA' }));
  assert.deepEqual(names(r), ['Адолат Зарафшон ёрии ҳуқуқӣ']);
  // A region served, or a location in the region.
  r = await list('hot', q({ ...base, region: 'TJ-KT' }));
  assert.deepEqual(names(r), ['Shifo Zarafshon clinic', 'Umed Zarafshon psychosocial centre']);

  r = await list('hot', q({ ...base, language: 'uz' }));
  assert.deepEqual(names(r), ['Nur Zarafshon legal clinic', 'Umed Zarafshon psychosocial centre']);
  r = await list('hot', q({ ...base, language: 'uz', type: 'legal', region: 'TJ-SU' }));
  assert.deepEqual(names(r), ['Nur Zarafshon legal clinic']);
  r = await list('hot', q({ ...base, language: 'en' }));
  assert.equal(r.json.total_items, 0);
  assert.equal(r.json.empty, true);

  r = await list('hot', q({ ...base, org: 'ngo1' }));
  assert.equal(r.json.total_items, 4);
  r = await list('hot', q({ ...base, organization_id: 'shelter1' }));
  assert.equal(r.json.total_items, 0);
  r = await list('hot', q({ ...base, org: 'no-such-org' }));
  assert.equal(r.json.total_items, 0);
  r = await list('hot', q({ ...base, status: 'active' }));
  assert.equal(r.json.total_items, 4);
  r = await list('hot', q({ ...base, status: 'defunct' }));
  assert.equal(r.json.total_items, 0);

  assertProblem(await list('hot', q({ type: 'haircut' })), 422, 'invalid-value');
  assertProblem(await list('hot', q({ region: 'TJ-XX' })), 422, 'invalid-value');
  assertProblem(await list('hot', q({ language: 'fr' })), 422, 'invalid-value');
  assertProblem(await list('hot', q({ status: 'open' })), 422, 'invalid-value');
  assertProblem(await list('hot', q({ search: 'x'.repeat(301) })), 422, 'invalid-value');

  // HSDS shape of an item.
  r = await list('hot', q({ ...base, type: 'legal', region: 'TJ-DU' }));
  const s = r.json.items[0];
  assert.equal(s.id, f.legalDu.id);
  assert.deepEqual(s.organization, { id: 'ngo1', code: 'ngo1', name: 'NGO Ozod (test)', type: 'NGO' });
  assert.deepEqual(s.schedules, [{ description: 'Mon–Fri 08:00–17:00' }]);
  assert.equal(s.hours, 'Mon–Fri 08:00–17:00');
  assert.deepEqual(s.phones, [{ number: '+992 44 600 80 01' }]);
  assert.deepEqual(s.service_areas.map((a) => a.extent), ['TJ-DU', 'TJ-RA']);
  assert.equal(s.capacity, null);
  assert.equal(s.status, 'active');
});

test('text search meets Tajik, Russian and Latin spellings of a name', async () => {
  await directory();
  const found = async (search) => names(await list('cw', q({ search })));
  // Written in Tajik Cyrillic, found in Latin, Russian and by a beginning.
  for (const s of ['Adolat', 'адолат', 'ADOLAT zarafshon', 'Адол', 'Zarafshon adolat'])
    assert.deepEqual(await found(s), ['Адолат Зарафшон ёрии ҳуқуқӣ'], s);
  // Written in Latin, found in Cyrillic.
  assert.deepEqual(await found('Нур Зарафшон'), ['Nur Zarafshon legal clinic']);
  assert.deepEqual(await found('Умед'), ['Umed Zarafshon psychosocial centre']);
  assert.deepEqual(await found('Шифо'), ['Shifo Zarafshon clinic']);
  // Every word must match; the organisation's name counts too.
  assert.deepEqual(await found('Nur Umed'), []);
  assert.equal((await found('Ozod Zarafshon')).length, 4, 'by the organisation\'s name');
  assert.equal((await found('Озод Zarafshon')).length, 4, 'organisation in Cyrillic');
  // Nothing searchable in it: nothing found (not everything).
  assert.deepEqual(await found('!!'), []);
});

// Generic words name a kind of service in tg, ru and en, in any script
// (schema/labels.json and schema/directory-terms.json, folded by name
// key): the search hint's own examples find shelters whose names do not
// hold the word, and "приют Vakhsh" narrows to one.
test('generic words find a kind of service across scripts, the hint\'s examples included', async () => {
  const { catalogue } = await import('../../web/i18n.js');
  const home = await addService('admin', { name: 'Хонаи Меҳр Vakhsh (test)', type: 'shelter', org: 'shelter1' });
  const lawyer = await addService('admin', { name: 'Sino Vakhsh advice (test)', type: 'legal', org: 'ngo1' });
  const clinic = await addService('admin', { name: 'Vakhsh Shifobakhsh (test)', type: 'medical', org: 'ngo1' });
  const ids = async (search) => {
    const r = await list('cw', q({ search, per_page: 50 }));
    assert.equal(r.status, 200, search + ': ' + r.text);
    return r.json.items.map((x) => x.id);
  };
  // The hint's examples, as the UI shows them in each language.
  const hint = catalogue['dir.search_hint'];
  for (const lang of ['tg', 'ru', 'en']) {
    const examples = hint[lang].split(':')[1].split(/,|\s(?:ё|или|or)\s/u).map((w) => w.trim().replace(/\.$/, ''))
      .filter(Boolean);
    assert.deepEqual(examples, ['Паноҳгоҳ', 'Панохгох', 'Panohgoh'], lang);
    for (const word of examples) {
      const found = await ids(word);
      assert.ok(found.includes(home.id), `${lang}: ${word} finds the shelter`);
      assert.ok(!found.includes(lawyer.id) && !found.includes(clinic.id), `${lang}: ${word} finds only shelters`);
    }
  }
  const kinds = {
    shelter: ['shelter', 'Shelters', 'приют', 'Приюта', 'убежище', 'паноҳгоҳ', 'ПАНОХГОХ', 'panohgohi', 'refuge'],
    legal: ['юрист', 'Юридическая', 'ҳуқуқшинос', 'huquqshinos', 'хукукшинос', 'lawyer', 'legal', 'адвокат'],
    medical: ['medical', 'доктор', 'врач', 'Медицинская', 'тиббӣ', 'духтур'],
  };
  const of = { shelter: home.id, legal: lawyer.id, medical: clinic.id };
  for (const [kind, words] of Object.entries(kinds)) {
    for (const word of words) {
      const found = await ids(`${word} Vakhsh`);
      assert.deepEqual(found, [of[kind]], `${word} Vakhsh: ${kind} only`);
    }
  }
  // A kind word still ANDs with the other words; a name word is unchanged.
  assert.deepEqual(await ids('приют Shifobakhsh'), []);
  assert.deepEqual(await ids('Sino Vakhsh'), [lawyer.id]);
  // Words common to many kinds name none ("помощь", "assistance").
  assert.deepEqual(await ids('помощь Vakhsh'), []);
  assert.deepEqual(await ids('assistance Vakhsh'), []);
  // A short beginning is a name's beginning, not a kind ("law" is not lawyer).
  assert.deepEqual(await ids('law Vakhsh'), []);
});

test('paging answers Himoya\'s list shape and HSDS\'s page at once', async () => {
  await directory();
  const p1 = await list('an', q({ search: 'Zarafshon', per_page: 3 }));
  assert.equal(p1.status, 200, p1.text);
  const j = p1.json;
  assert.equal(j.total_items, 4);
  assert.equal(j.total_pages, 2);
  assert.equal(j.page_number, 1);
  assert.equal(j.size, 3);
  assert.equal(j.first_page, true);
  assert.equal(j.last_page, false);
  assert.equal(j.empty, false);
  assert.deepEqual(j.contents, j.items);
  assert.equal(typeof j.next, 'string');

  // The cursor and the page number lead to the same page.
  const p2 = await list('an', q({ search: 'Zarafshon', per_page: 3, cursor: j.next }));
  const p2b = await list('an', q({ search: 'Zarafshon', per_page: 3, page: 2 }));
  assert.deepEqual(p2.json, p2b.json);
  assert.equal(p2.json.page_number, 2);
  assert.equal(p2.json.size, 1);
  assert.equal(p2.json.first_page, false);
  assert.equal(p2.json.last_page, true);
  assert.equal(p2.json.next, null);
  const ids = [...j.items, ...p2.json.items].map((s) => s.id);
  assert.equal(new Set(ids).size, 4, 'no service on two pages');

  const past = await list('an', q({ search: 'Zarafshon', per_page: 3, page: 5 }));
  assert.equal(past.status, 200);
  assert.deepEqual(past.json.items, []);
  assert.equal(past.json.last_page, true);

  const none = await list('an', q({ search: 'Qwertyuiopzxc' }));
  assert.deepEqual(none.json.items, []);
  assert.deepEqual(none.json.contents, []);
  assert.equal(none.json.empty, true);
  assert.equal(none.json.total_items, 0);
  assert.equal(none.json.next, null);

  for (const bad of [{ per_page: 0 }, { per_page: 101 }, { page: 0 }, { page: 'x' }, { cursor: 'abc' }])
    assertProblem(await list('an', q(bad)), 422, 'invalid-value', JSON.stringify(bad));
});

// ---- shelters' addresses -----------------------------------------------------

const SHELTER_ADDRESS = 'кӯчаи Пинҳонӣ 5, ноҳияи Сино, Душанбе';
const SAFEHOUSE_ADDRESS = 'Safe house 9, Bokhtar';
const OFFICE_ADDRESS = 'кӯчаи Рӯдакӣ 12, Хуҷанд';

let shelterFx;
async function shelter() {
  if (shelterFx) return shelterFx;
  const s = await addService('sh.sup', {
    name: 'Panoh Kuhiston shelter for women', type: 'shelter', capacity_max: 16,
    regions_served: ['TJ-DU'],
  });
  const loc = await addLocation('sh.sup', s.id,
    { kind: 'physical', name: 'Panoh house', address: SHELTER_ADDRESS, region: 'TJ-DU', city: 'Dushanbe' });
  // Not a shelter, but its location stored as redacted: hidden as well.
  const safe = await addService('ngo.sup', { name: 'Kuhiston safe flat for witnesses', type: 'legal' });
  const safeLoc = await addLocation('ngo.sup', safe.id,
    { kind: 'redacted', address: SAFEHOUSE_ADDRESS, region: 'TJ-KT', city: 'Bokhtar' });
  // A public office: its address for everyone.
  const office = await addService('ngo.sup', { name: 'Kuhiston legal office', type: 'legal' });
  await addLocation('ngo.sup', office.id,
    { kind: 'physical', name: 'Office', address: OFFICE_ADDRESS, region: 'TJ-SU', city: 'Khujand' });
  shelterFx = { s, loc, safe, safeLoc, office };
  return shelterFx;
}

test('a shelter\'s address is shown to its own organisation only', async () => {
  const { s, loc, safe } = await shelter();
  assert.equal(loc.location_type, 'physical', 'the owner sees what it stored');
  assert.equal(loc.address, SHELTER_ADDRESS);
  assert.equal(loc.confidential, true);

  const shelterOf = (r) => r.json.items.find((x) => x.id === s.id);
  for (const who of ['sh.cw', 'sh.sup']) {
    const r = await list(who, q({ search: 'Kuhiston' }));
    const l = shelterOf(r).locations[0];
    assert.equal(l.location_type, 'physical', who);
    assert.equal(l.address, SHELTER_ADDRESS, who);
    assert.equal(l.addresses[0].address_1, SHELTER_ADDRESS, who);
    assert.equal(l.name, 'Panoh house', who);
    const one = await as[who].req('GET', `${DIR}/${s.id}`);
    assert.equal(one.json.locations[0].address, SHELTER_ADDRESS, who);
  }
  for (const who of ['ngo.cw', 'ngo.sup', 'admin', 'sup', 'hot', 'fp', 'an']) {
    for (const r of [await list(who, q({ search: 'Kuhiston' })), await list(who, q({ type: 'shelter' }))]) {
      assert.equal(r.status, 200, r.text);
      const l = shelterOf(r).locations[0];
      assert.equal(l.id, loc.id);
      assert.equal(l.location_type, 'redacted', who);
      assert.equal(l.region, 'TJ-DU');
      for (const k of ['address', 'addresses', 'name', 'confidential'])
        assert.equal(k in l, false, `${who}: ${k}`);
      assert.equal(r.text.includes(SHELTER_ADDRESS), false, who + ': the address in the answer');
    }
    const one = await as[who].req('GET', `${DIR}/${s.id}`);
    assert.equal(one.json.locations[0].location_type, 'redacted', who);
    assert.equal(one.text.includes(SHELTER_ADDRESS), false, who);
    // The redacted location of another kind of service too.
    const other = await as[who].req('GET', `${DIR}/${safe.id}`);
    if (who.startsWith('ngo.')) {
      assert.equal(other.json.locations[0].address, SAFEHOUSE_ADDRESS, who);
    } else {
      assert.equal(other.json.locations[0].location_type, 'redacted', who);
      assert.equal(other.text.includes(SAFEHOUSE_ADDRESS), false, who);
    }
  }
  // A public office address: for everyone.
  const pub = await list('sh.cw', q({ search: 'Kuhiston office' }));
  assert.equal(pub.json.items[0].locations[0].address, OFFICE_ADDRESS);
  assert.equal(pub.json.items[0].locations[0].location_type, 'physical');
});

test('reading a shelter\'s address is audited; the address is sealed at rest', async () => {
  const { loc } = await shelter();
  const record = 'directory/locations/' + loc.id;
  const reads = () => Number(sqlite(db(),
    `SELECT count(*) FROM audit_log a JOIN users u ON u.id = a.user_id WHERE a.record = '${record}'
     AND a.action = 'read' AND u.login = 'sh.cw' AND a.fields = 'address'`).trim());
  const before = reads();
  await as['sh.cw'].req('GET', `${DIR}?${q({ search: 'Panoh Kuhiston' })}`);
  assert.equal(await poll(() => reads() > before, { timeout: 3000 }), true);
  // A redacted read reads no address and leaves no entry.
  const others = () => Number(sqlite(db(),
    `SELECT count(*) FROM audit_log a JOIN users u ON u.id = a.user_id WHERE a.record = '${record}'
     AND a.action = 'read' AND u.login = 'ngo.cw'`).trim());
  await as['ngo.cw'].req('GET', `${DIR}?${q({ search: 'Panoh Kuhiston' })}`);
  await new Promise((ok) => setTimeout(ok, 300));
  assert.equal(others(), 0);
  for (const [name, buf] of Object.entries(rawFiles(srv.data)))
    for (const sec of [SHELTER_ADDRESS, SAFEHOUSE_ADDRESS, 'Пинҳонӣ'])
      assert.equal(buf.includes(Buffer.from(sec)), false, `"${sec}" in clear in ${name}`);
});

test('locations: added by the service\'s organisation (or an administrator) only', async () => {
  const { s } = await shelter();
  const path = `${DIR}/${s.id}/locations`;
  const body = { kind: 'postal', address: 'P.O. Box 1, Dushanbe', region: 'TJ-DU' };
  for (const who of ['sh.cw', 'ngo.sup', 'ngo.cw', 'sup', 'hot'])
    assertProblem(await as[who].req('POST', path, body), 403, 'forbidden', who);
  assertProblem(await as['sh.sup'].req('POST', path, { kind: 'castle' }), 422, 'invalid-value');
  assertProblem(await as['sh.sup'].req('POST', path, { address: 'x' }), 422, 'missing-field');
  assertProblem(await as['sh.sup'].req('POST', path, { kind: 'physical', region: 'XX' }), 422,
    'invalid-value');
  assertProblem(await as['sh.sup'].req('POST', path, { kind: 'physical', floor: 2 }), 422, 'unknown-field');
  assertProblem(await as['sh.sup'].req('POST', `${DIR}/aaaaaaaaaaaaaaaaaaaaaaaaaa/locations`, body), 404,
    'not-found');
  const l = await addLocation('admin', s.id, body);
  assert.equal(l.location_type, 'redacted', 'the administrator is not of the shelter');
  assert.equal(l.service_id, s.id);
  assert.equal(auditCount('directory/locations/' + l.id, 'create'), 1);
  const mine = await as['sh.cw'].req('GET', `${DIR}/${s.id}`);
  assert.ok(mine.json.locations.some((x) => x.id === l.id && x.address === 'P.O. Box 1, Dushanbe'));
});

test('a shelter whose address is hidden keeps its type', async () => {
  const { s } = await shelter();
  const cur = await as['sh.sup'].req('GET', `${DIR}/${s.id}`);
  assertProblem(await patch('sh.sup', s.id, { type: 'legal' }, cur.json.version), 409, 'conflict');
  assertProblem(await patch('admin', s.id, { type: 'legal' }, cur.json.version), 409, 'conflict');
  const imp = await as.admin.req('POST', V1 + '/directory/import',
    { services: [{ id: s.id, organization_id: 'shelter1', name: 'Renamed', service_type: 'legal' }] });
  assertProblem(imp, 422, undefined, 'by import');
  assert.equal(imp.json.index, 0);
  const after = await as['sh.cw'].req('GET', `${DIR}/${s.id}`);
  assert.equal(after.json.service_type, 'shelter');
  assert.equal(after.json.version, cur.json.version);
  // Without an address at stake, the type changes.
  const t = await addService('sh.sup', { name: 'Kuhiston temporary shelter', type: 'shelter' });
  const r = await patch('sh.sup', t.id, { type: 'psychosocial' }, 1);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.service_type, 'psychosocial');
});

// ---- changing ----------------------------------------------------------------

test('PATCH: versions, who may change what, and the audit', async () => {
  const s = await addService('sh.sup', {
    name: 'Panoh Pamir shelter', type: 'shelter', capacity_max: 10,
  });
  const record = 'directory/services/' + s.id;
  assertProblem(await patch('sh.sup', s.id, { capacity_max: 3 }), 428, 'precondition-required');
  assertProblem(await patch('sh.sup', s.id, { capacity_max: 3 }, 7), 412, 'version-conflict');

  // Services are public to read: a refused change is a 403, not a 404.
  for (const who of ['ngo.cw', 'ngo.sup', 'cw', 'sup', 'hot', 'fp', 'an'])
    assertProblem(await patch(who, s.id, { capacity_max: 3 }, 1), 403, 'forbidden', who);

  // The shelter's case worker: the capacity, nothing else.
  let r = await patch('sh.cw', s.id, { capacity_max: 9 }, 1);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.version, 2);
  assert.equal(r.headers.get('etag'), '"2"');
  assert.deepEqual(r.json.capacity, { available: 9, maximum: 9, occupied: 0, unit: 'beds' });
  assertProblem(await patch('sh.cw', s.id, { name: 'Renamed' }, 2), 403, 'forbidden');
  assertProblem(await patch('sh.cw', s.id, { capacity_available: 1 }, 2), 422, 'invalid-value',
    'a shelter\'s free beds come from its stays, not from an edit');
  assertProblem(await patch('sh.cw', s.id, { capacity_max: 1 }, 1), 412, 'version-conflict');

  // Its supervisor: everything but the organisation.
  r = await patch('sh.sup', s.id, { name: 'Panoh Pamir shelter (new house)', hours: '24/7',
    capacity_max: 12 }, 2);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.version, 3);
  assert.equal(r.json.name, 'Panoh Pamir shelter (new house)');
  assert.equal(r.json.capacity.available, 12, 'free beds follow the capacity');
  assert.equal(r.json.hours, '24/7');
  assertProblem(await patch('sh.sup', s.id, { org: 'ngo1' }, 3), 409, 'transfer-required');
  assertProblem(await patch('sh.sup', s.id, { name: null }, 3), 422, 'invalid-value');
  assertProblem(await patch('sh.sup', s.id, { status: null }, 3), 422, 'invalid-value');
  assertProblem(await patch('sh.sup', s.id, { colour: 'red' }, 3), 422, 'unknown-field');
  r = await patch('sh.sup', s.id, { hours: null, status: 'temporarily closed' }, 3);
  assert.equal(r.status, 200, r.text);
  assert.equal('hours' in r.json, false);
  assert.equal(r.json.status, 'temporarily closed');
  // The search keys follow the new name.
  assert.equal((await list('hot', q({ search: 'Pamir house' }))).json.total_items, 1);

  // An edit never moves it, not even an administrator's: a transfer that
  // the owning organisation accepts does.
  assertProblem(await patch('admin', s.id, { org: 'ngo1' }, 4), 409, 'transfer-required');
  const offer = (who, body, v) => as[who].req('POST', `${DIR}/${s.id}/transfer`, body, { 'if-match': `"${v}"` });
  assertProblem(await offer('admin', { to_org: 'nobody' }, 4), 422, 'invalid-value');
  assertProblem(await offer('sh.cw', { to_org: 'ngo1' }, 4), 403, 'forbidden');
  r = await offer('admin', { to_org: 'ngo1' }, 4);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.organization.id, 'shelter1', 'still the shelter\'s until it accepts');
  assert.equal(r.json.transfer_to, 'ngo1');
  assertProblem(await as.admin.req('POST', `${DIR}/${s.id}/transfer/accept`), 403, 'forbidden',
    'an administrator of another organisation cannot accept for the owner');
  r = await as['sh.sup'].req('POST', `${DIR}/${s.id}/transfer/accept`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.organization.id, 'ngo1');
  assertProblem(await as['sh.sup'].req('POST', `${DIR}/${s.id}/transfer/accept`), 403, 'forbidden',
    'no longer its service to give');
  assertProblem(await patch('admin', s.id, { org: 'nobody' }, 6), 409, 'transfer-required');
  assertProblem(await patch('sh.cw', s.id, { capacity_max: 5 }, 6), 403, 'forbidden',
    'no longer its organisation');
  assertProblem(await as.admin.req('PATCH', `${DIR}/aaaaaaaaaaaaaaaaaaaaaaaaaa`, { name: 'x' },
    { 'if-match': '"1"' }), 404, 'not-found');

  assert.equal(auditCount(record, 'create'), 1);
  assert.equal(auditCount(record, 'update'), 3, 'one entry per accepted change');
  assert.equal(auditCount(record, 'transfer-offer'), 1);
  assert.equal(auditCount(record, 'transfer-accept'), 1);
  const fields = sqlite(db(), `SELECT fields FROM audit WHERE record = '${record}' AND action = 'update'
    ORDER BY seq`).trim().split('\n');
  assert.deepEqual(fields[0], 'capacity_max');
});

// ---- export and import ---------------------------------------------------------

test('export: HSDS-JSON, for administrators and supervisors, redacted as any read', async () => {
  const { s, loc, safeLoc } = await shelter();
  for (const who of ['cw', 'hot', 'fp', 'an', 'ngo.cw', 'sh.cw'])
    assertProblem(await as[who].req('GET', V1 + '/directory/export'), 403, 'forbidden', who);

  const mine = await as['sh.sup'].req('GET', V1 + '/directory/export');
  assert.equal(mine.status, 200, mine.text);
  for (const k of ['organizations', 'services', 'locations', 'service_at_locations'])
    assert.ok(Array.isArray(mine.json[k]), k);
  assert.deepEqual(mine.json.organizations.find((o) => o.id === 'shelter1'),
    { id: 'shelter1', name: 'Shelter Panoh (test)', type: 'NGO' });
  assert.ok(mine.json.services.some((x) => x.id === s.id && x.service_type === 'shelter'));
  assert.equal(mine.json.locations.find((l) => l.id === loc.id).address, SHELTER_ADDRESS);
  assert.ok(mine.json.service_at_locations.some((x) => x.service_id === s.id && x.location_id === loc.id));
  assert.equal(mine.text.includes(SAFEHOUSE_ADDRESS), false, 'another organisation\'s safe house');

  for (const who of ['admin', 'sup', 'ngo.sup']) {
    const r = await as[who].req('GET', V1 + '/directory/export');
    assert.equal(r.status, 200, r.text);
    assert.equal(r.text.includes(SHELTER_ADDRESS), false, who);
    const l = r.json.locations.find((x) => x.id === loc.id);
    assert.equal(l.location_type, 'redacted', who);
    assert.equal('address' in l || 'addresses' in l, false, who);
    assert.equal(r.text.includes(SAFEHOUSE_ADDRESS), who === 'ngo.sup', who);
    assert.ok(r.json.locations.some((x) => x.id === safeLoc.id));
    assert.ok(r.text.includes(OFFICE_ADDRESS), 'public addresses are exported');
  }
});

test('import: a bad document answers 422 with the item\'s index and stores nothing', async () => {
  const path = V1 + '/directory/import';
  const good = {
    organizations: [{ id: 'newngo', name: 'New NGO (test)', type: 'LegalService' }],
    services: [{ id: 'imp-svc-1', organization_id: 'newngo', name: 'Imported legal aid', service_type: 'legal' }],
  };
  const before = serviceCount();
  const orgs = () => Number(sqlite(db(), 'SELECT count(*) FROM orgs').trim());
  const orgsBefore = orgs();
  const auditBefore = Number(sqlite(db(), 'SELECT count(*) FROM audit_log WHERE action <> \'read\'').trim());

  for (const who of ['sup', 'sh.sup', 'cw'])
    assertProblem(await as[who].req('POST', path, good), 403, 'forbidden', who);

  const bad = async (doc, collection, index, what) => {
    const r = await as.admin.req('POST', path, doc);
    assertProblem(r, 422, undefined, what);
    if (collection !== undefined) {
      assert.equal(r.json.collection, collection, what);
      assert.equal(r.json.index, index, what);
      assert.match(r.json.detail, new RegExp(`^${collection}\\[${index}\\]: `), what);
    }
  };
  await bad({ ...good, services: [...good.services, { id: 'imp-svc-2', organization_id: 'newngo', service_type: 'legal' }] },
    'services', 1, 'a service without a name');
  await bad({ ...good, services: [good.services[0], { id: 'imp-svc-2', organization_id: 'newngo', name: 'x', service_type: 'haircut' }] },
    'services', 1, 'a bad type');
  await bad({ ...good, services: [{ ...good.services[0], organization_id: 'nowhere' }] },
    'services', 0, 'an unknown organisation');
  await bad({ ...good, services: [good.services[0], good.services[0]] }, 'services', 1, 'the same id twice');
  await bad({ ...good, services: [{ ...good.services[0], id: '../x' }] }, 'services', 0, 'a bad id');
  await bad({ ...good, services: [{ ...good.services[0], capacity: { available: 9, maximum: 2 } }] },
    'services', 0, 'capacity over its maximum');
  await bad({ ...good, organizations: [...good.organizations, { id: 'x2', name: 'X', type: 'Club' }] },
    'organizations', 1, 'a bad organisation type');
  await bad({ ...good, organizations: [{ id: 'y', name: 'Y' }] }, 'organizations', 0, 'a bad code');
  await bad({ ...good, locations: [{ id: 'imp-loc-1', location_type: 'physical', address: 'x' }] },
    'locations', 0, 'a location of no service');
  await bad({ ...good, locations: [{ id: 'imp-loc-1', location_type: 'moon' }],
    service_at_locations: [{ service_id: 'imp-svc-1', location_id: 'imp-loc-1' }] },
  'locations', 0, 'a bad location type');
  await bad({ ...good, locations: [{ id: 'imp-loc-1', location_type: 'physical' }],
    service_at_locations: [{ service_id: 'imp-svc-1', location_id: 'nowhere' }] },
  'service_at_locations', 0, 'a link to no location');
  await bad({ ...good, services: {} }, undefined, undefined, 'services not a list');
  await bad({ ...good, taxonomies: [] }, undefined, undefined, 'an unknown collection');

  assert.equal(serviceCount(), before, 'no service stored');
  assert.equal(orgs(), orgsBefore, 'no organisation made');
  assert.equal(Number(sqlite(db(), 'SELECT count(*) FROM audit_log WHERE action <> \'read\'').trim()), auditBefore,
    'nothing audited: nothing written');

  // The good document goes in; imported again, it updates.
  let r = await as.admin.req('POST', path, good);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.organizations_created, 1);
  assert.equal(r.json.services_created, 1);
  const s = await as.hot.req('GET', `${DIR}/imp-svc-1`);
  assert.equal(s.status, 200, s.text);
  assert.deepEqual(s.json.organization,
    { id: 'newngo', code: 'newngo', name: 'New NGO (test)', type: 'LegalService' });
  r = await as.admin.req('POST', path, { services: [{ ...good.services[0], name: 'Imported legal aid (2)' }] });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.services_updated, 1);
  const s2 = await as.hot.req('GET', `${DIR}/imp-svc-1`);
  assert.equal(s2.json.name, 'Imported legal aid (2)');
  assert.equal(s2.json.version, 2);
  // Audited: the organisation, the service twice, and each import.
  assert.equal(auditCount('directory/services/imp-svc-1', 'create'), 1);
  assert.equal(auditCount('directory/services/imp-svc-1', 'update'), 1);
  assert.equal(auditCount('directory', 'import'), 2);
  assert.equal(Number(sqlite(db(), `SELECT count(*) FROM audit a JOIN orgs o ON a.record = 'orgs/' || o.id
    WHERE o.code = 'newngo' AND a.action = 'create'`).trim()), 1);
});

test('an organisation type absent from an import is NGO', async () => {
  const r = await as.admin.req('POST', V1 + '/directory/import', {
    organizations: [{ id: 'typeless', name: 'Typeless (test)' }],
    services: [{ id: 'typeless-1', organization: { id: 'typeless' }, name: 'Typeless help', type: 'other' }],
  });
  assert.equal(r.status, 200, r.text);
  const s = await as.cw.req('GET', `${DIR}/typeless-1`);
  assert.equal(s.json.organization.type, 'NGO');
});

test('importing an export that redacted an address leaves the stored address alone', async () => {
  const { s, loc } = await shelter();
  const exp = await as.admin.req('GET', V1 + '/directory/export');
  assert.equal(exp.json.locations.find((l) => l.id === loc.id).location_type, 'redacted');
  const r = await as.admin.req('POST', V1 + '/directory/import', exp.json);
  assert.equal(r.status, 200, r.text);
  assert.ok(r.json.locations_kept >= 1);
  const mine = await as['sh.cw'].req('GET', `${DIR}/${s.id}`);
  const l = mine.json.locations.find((x) => x.id === loc.id);
  assert.equal(l.address, SHELTER_ADDRESS);
  assert.equal(l.location_type, 'physical');
});

test('export -> import into a fresh server gives the same directory', async () => {
  const { s, loc, office } = await shelter();
  await directory();
  const exp = await as['sh.sup'].req('GET', V1 + '/directory/export');
  assert.equal(exp.status, 200, exp.text);

  const other = await startServer({ users: [{ login: 'root', role: 'admin', password: PW }] });
  try {
    const root = new Client(other.url);
    assert.equal((await root.login('root', PW)).status, 200);
    const r = await root.req('POST', V1 + '/directory/import', exp.json);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.services_created, exp.json.services.length);
    assert.equal(r.json.locations_created, exp.json.locations.length);
    assert.ok(r.json.organizations_created >= 2, 'ngo1 and shelter1 made');

    const back = await root.req('GET', V1 + '/directory/export');
    assert.equal(back.status, 200, back.text);
    const pick = (svc) => ({
      id: svc.id, name: svc.name, description: svc.description, status: svc.status,
      service_type: svc.service_type, organization_id: svc.organization_id, languages: svc.languages,
      service_areas: svc.service_areas, capacity: svc.capacity, hours: svc.hours, phones: svc.phones,
      url: svc.url, email: svc.email, eligibility_description: svc.eligibility_description,
    });
    const byId = (a) => [...a].sort((x, y) => (x.id < y.id ? -1 : 1));
    assert.deepEqual(byId(back.json.services).map(pick), byId(exp.json.services).map(pick));
    assert.deepEqual(byId(back.json.service_at_locations), byId(exp.json.service_at_locations));
    const orgOf = (doc, code) => doc.organizations.find((o) => o.id === code);
    assert.deepEqual(orgOf(back.json, 'shelter1'), orgOf(exp.json, 'shelter1'));
    assert.deepEqual(orgOf(back.json, 'ngo1'), orgOf(exp.json, 'ngo1'));
    // The new server's administrator is not of the shelter: redacted.
    assert.equal(back.json.locations.find((l) => l.id === loc.id).location_type, 'redacted');
    assert.equal(back.text.includes(SHELTER_ADDRESS), false);
    // Found by the same searches.
    const found = await root.req('GET', `${DIR}?${q({ search: 'адолат', type: 'legal' })}`);
    assert.deepEqual(found.json.items.map((x) => x.name), ['Адолат Зарафшон ёрии ҳуқуқӣ']);
    const off = await root.req('GET', `${DIR}/${office.id}`);
    assert.equal(off.json.locations[0].address, OFFICE_ADDRESS);

    // A user of the shelter in the new server reads its address.
    const u = himoya(['user', 'add', '--data', other.data, '--org', 'shelter1', '--login', 'sh2',
      '--role', 'caseworker', '--password-stdin'], PW + '\n');
    assert.equal(u.code, 0, u.err);
    const sh2 = new Client(other.url);
    assert.equal((await sh2.login('sh2', PW)).status, 200);
    const mine = await sh2.req('GET', `${DIR}/${s.id}`);
    assert.equal(mine.json.locations.find((l) => l.id === loc.id).address, SHELTER_ADDRESS);
    await other.stop();
    assert.equal(run(['audit', 'verify', '--data', other.data]).code, 0);
  } finally {
    await other.stop();
    other.cleanup();
  }
});

// ---- the demo's directory ------------------------------------------------------

test('himoya demo fills the directory with the fictional referral partners', async () => {
  const dir = join(tempDir(), 'demo');
  const r = run(['demo', '--data', dir, ...initArgs(), '--persons', '0'], { timeout: 30000 });
  assert.equal(r.code, 0, r.err);
  const m = /Service directory: (\d+) services/.exec(r.out);
  assert.ok(m && Number(m[1]) >= 20, r.out);
  const tok = (login) => {
    const t = run(['token', 'create', '--data', dir, '--login', login]);
    assert.equal(t.code, 0, t.err);
    return t.out.trim().split('\n').pop();
  };
  const outsider = tok('ngo.worker');
  const insider = tok('shelter.worker');
  const s = await serveDir(dir);
  try {
    const all = await bearer(s.url, outsider, 'GET', DIR + '?per_page=100');
    assert.equal(all.status, 200, all.text);
    assert.equal(all.json.total_items, Number(m[1]));
    assert.ok(all.json.items.every((x) => x.name.includes('(fictional)')), 'every name is fictional');
    const types = new Set(all.json.items.map((x) => x.service_type));
    for (const t of ['shelter', 'legal', 'psychosocial', 'vocational_training', 'business_startup_grant',
      'medical', 'family_tracing_reintegration', 'documents'])
      assert.ok(types.has(t), t);
    const orgTypes = new Set(all.json.items.map((x) => x.organization.type));
    for (const t of ['IGO', 'NGO', 'LawEnforcement', 'ImmigrationService', 'HealthServiceOrganisation'])
      assert.ok(orgTypes.has(t), t);
    assert.ok(all.json.items.some((x) => x.locations.some((l) => l.location_type === 'virtual')), 'the hotline');

    const shelters = await bearer(s.url, outsider, 'GET', DIR + '?type=shelter');
    assert.ok(shelters.json.total_items >= 2, 'shelters for women and for men');
    for (const sh of shelters.json.items) {
      assert.ok(sh.capacity && sh.capacity.maximum > 0, sh.name + ': beds');
      for (const l of sh.locations) {
        assert.equal(l.location_type, 'redacted', sh.name);
        assert.equal('address' in l, false, sh.name);
      }
    }
    const panoh = shelters.json.items.find((x) => x.organization.id === 'shelter-panoh');
    const own = await bearer(s.url, insider, 'GET', `${DIR}/${panoh.id}`);
    assert.equal(own.status, 200, own.text);
    assert.ok(own.json.locations[0].address, 'the shelter\'s own worker sees its address');

    for (const [query, min] of [['language=uz', 5], ['region=TJ-SU', 4], ['region=TJ-KT', 4],
      ['type=legal&region=TJ-SU', 1], ['type=legal&region=TJ-KT', 1], ['type=legal&region=TJ-DU', 2]]) {
      const res = await bearer(s.url, outsider, 'GET', `${DIR}?${query}`);
      assert.ok(res.json.total_items >= min, `${query}: ${res.json.total_items}`);
    }
    const adolat = await bearer(s.url, outsider, 'GET', `${DIR}?search=adolat`);
    assert.equal(adolat.json.total_items, 1);
  } finally {
    await s.stop();
  }
  assert.equal(run(['audit', 'verify', '--data', dir]).code, 0);
  assert.equal(sqlite(join(dir, 'himoya.db'),
    "SELECT fields FROM audit WHERE record = 'directory/demo'").trim().startsWith('services='), true);
});

// Issue 10, finding 1: an administrator of another organisation moved a
// shelter to its own organisation by PATCH (or by import) and read its
// address, while the shelter's own staff were shut out of it.
test('no edit or import moves a shelter, or who reads its address', async () => {
  const { s, loc } = await shelter();
  const cur = await as['sh.sup'].req('GET', `${DIR}/${s.id}`);
  const v = cur.json.version;
  const owner = cur.json.organization.id;
  const adminOrg = (await as.admin.req('GET', V1 + '/me')).json.user.org.code;
  assert.notEqual(adminOrg, owner);
  assertProblem(await patch('admin', s.id, { org: adminOrg }, v), 409, 'transfer-required');
  const imp = await as.admin.req('POST', V1 + '/directory/import',
    { services: [{ id: s.id, organization_id: adminOrg, name: cur.json.name, service_type: 'shelter' }] });
  assertProblem(imp, 422, undefined, 'by import');
  assert.match(imp.json.detail, /transfer/);
  const after = await as['sh.sup'].req('GET', `${DIR}/${s.id}`);
  assert.equal(after.json.organization.id, owner);
  assert.equal(after.json.version, v, 'nothing changed');
  assert.equal(after.json.locations.find((l) => l.id === loc.id).address, SHELTER_ADDRESS, 'its staff still read it');
  for (const who of ['admin', 'sup', 'cw', 'ngo.sup']) {
    const r = await as[who].req('GET', `${DIR}/${s.id}`);
    assert.ok(!r.text.includes(SHELTER_ADDRESS), who);
  }
  // Nor does an import that hangs the shelter's location on a service of
  // the administrator's own organisation (its address would be dropped).
  const own = await as.admin.req('POST', V1 + '/directory/import', {
    services: [{ id: 'walk-own-svc-1', organization_id: adminOrg, name: 'Own legal aid', service_type: 'legal' }],
    locations: [{ id: loc.id, organization_id: adminOrg, location_type: 'physical', name: 'x', region: 'TJ-DU' }],
    service_at_locations: [{ id: 'walk-own-svc-1.' + loc.id, service_id: 'walk-own-svc-1', location_id: loc.id }],
  });
  assertProblem(own, 422, undefined, 'a location moved by import');
  assert.match(own.json.detail, /^locations\[0\]/);
  const still = await as['sh.sup'].req('GET', `${DIR}/${s.id}`);
  assert.equal(still.json.locations.find((l) => l.id === loc.id).address, SHELTER_ADDRESS, 'the address stays');
  assert.equal((await as.admin.req('GET', `${DIR}/walk-own-svc-1`)).status, 404, 'nothing of the import stays');
  // An offer that the owner has not accepted moves nothing either.
  const off = await as.admin.req('POST', `${DIR}/${s.id}/transfer`, { to_org: adminOrg }, { 'if-match': `"${v}"` });
  assert.equal(off.status, 200, off.text);
  assert.equal(off.json.organization.id, owner);
  assert.ok(!(await as.admin.req('GET', `${DIR}/${s.id}`)).text.includes(SHELTER_ADDRESS));
  const cancel = await as['sh.sup'].req('POST', `${DIR}/${s.id}/transfer/cancel`);
  assert.equal(cancel.status, 200, cancel.text);
  assert.equal('transfer_to' in cancel.json, false);
});

// Another organisation's administrator runs its own directory entries, not
// others': an outside review made the border police's hotline show an
// NGO's name and phone through the import.
test('an administrator of another organisation changes its own services only, by every road', async () => {
  const r = await as.admin.req('POST', DIR, { name: 'Shelter line', type: 'shelter', org: 'shelter1' });
  assert.equal(r.status, 201, r.text);
  const id = r.json.id;
  const hsds = (services) => ({ organizations: [], services, locations: [], service_at_locations: [] });
  const imp = await as['ngo.adm'].req('POST', V1 + '/directory/import',
    hsds([{ id, name: 'Shelter line: call +992 555 55 55', status: 'active', type: 'shelter', organization_id: 'shelter1' }]));
  assert.equal(imp.status, 403, imp.text);
  assert.equal((await as.admin.req('GET', `${DIR}/${id}`)).json.name, 'Shelter line', 'unchanged');
  const p = await as['ngo.adm'].req('PATCH', `${DIR}/${id}`, { name: 'Taken' }, { 'if-match': '"1"' });
  assert.equal(p.status, 403, p.text);
  const c = await as['ngo.adm'].req('POST', DIR, { name: 'Made for another', type: 'legal', org: 'shelter1' });
  assert.equal(c.status, 403, c.text);
  // Its own: added, imported and changed.
  const own = await as['ngo.adm'].req('POST', DIR, { name: 'NGO line', type: 'legal' });
  assert.equal(own.status, 201, own.text);
  const mine = await as['ngo.adm'].req('POST', V1 + '/directory/import',
    hsds([{ id: own.json.id, name: 'NGO legal line', status: 'active', type: 'legal', organization_id: 'ngo1' }]));
  assert.equal(mine.status, 200, mine.text);
});
