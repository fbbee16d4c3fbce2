// /api/v1/kb: the safe-migration knowledge base.  The seed every
// installation starts with (Russia, the UAE, Kazakhstan and Türkiye, five
// topics, three languages, every fact with a source), search in Tajik,
// Russian and Latin spelling, who may edit (supervisors only; drafts hidden
// from the others), versions kept whole in the history, If-Match, the gaps
// list of every [[to-be-confirmed]] marker, and hostile bodies.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, usersOf, signInAll } from '../lib/server.mjs';
import { assertProblem } from '../lib/hostile.mjs';
import { sqlite } from '../lib/datadir.mjs';
import { join } from 'node:path';

const PW = 'knowledge base test password';
const KB = '/api/v1/kb';
const ORGS = [{ code: 'police1', name: 'Police (test)', type: 'LawEnforcement' }];
const users = usersOf(PW, [
  ['sup', 'supervisor'], ['hot', 'hotline'], ['cw', 'caseworker'], ['an', 'analyst'], ['admin', 'admin'],
  ['fp', 'focal_point', 'police1'], ['sup2', 'supervisor', 'police1'],
]);

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

const search = async (who, q, extra = '') => {
  const r = await as[who].req('GET', `${KB}?q=${encodeURIComponent(q)}${extra}`);
  assert.equal(r.status, 200, r.text);
  return r.json.items;
};

const article = (over = {}) => ({
  country: 'RU',
  topic: 'workers_rights',
  status: 'published',
  title: { tg: 'Санҷиши Зарафшон', ru: 'Проверка Зарафшон', en: 'Zarafshon test' },
  body: {
    tg: 'Далел [[source:1]]. Телефон: [[to-be-confirmed: телефони санҷишӣ]].',
    ru: 'Факт [[source:1]]. Телефон: [[to-be-confirmed: тестовый телефон]].',
    en: 'Fact [[source:1]]. Phone: [[to-be-confirmed: the test phone]].',
  },
  sources: [{ title: 'Test source', publisher: 'Test publisher', accessed: '2026-01-15' }],
  ...over,
});

test('the seed: four countries, five topics, three languages, every article with sources', async () => {
  // Supervisors see drafts too; operators see only what is published.
  const all = (await as.sup.req('GET', `${KB}?limit=200`)).json.items;
  const r = await as.hot.req('GET', `${KB}?limit=200`);
  assert.equal(r.status, 200);
  const items = r.json.items;
  const topics = ['registration_permits', 'workers_rights', 'embassy_contacts', 'job_offer_red_flags', 'documents_taken'];
  for (const c of ['RU', 'AE', 'KZ', 'TR']) {
    for (const topic of topics) {
      const a = all.find((i) => i.country === c && i.topic === topic);
      assert.ok(a, `seed article ${c}/${topic}`);
      for (const l of ['tg', 'ru', 'en']) assert.ok(a.title[l].length > 5, `${c}/${topic} title.${l}`);
      // A list of contacts still to be confirmed is no advice to publish.
      if (topic === 'embassy_contacts') assert.equal(a.status, 'draft', `${c}/${topic}`);
    }
  }
  // The articles issue 14 added: Saudi Arabia, forced marriage (Afghanistan),
  // trafficking inside Tajikistan, domestic work and sexual exploitation, return.
  for (const [c, t] of [['SA', 'general'], ['AF', 'general'], ['TJ', 'general'], ['', 'general'], ['TJ', 'documents_taken']]) {
    assert.ok(all.find((i) => i.country === c && i.topic === t), `new article ${c || '(general)'}/${t}`);
  }
  assert.equal(all.length, 25);
  assert.ok(items.length >= 15 && items.length < all.length, `published ${items.length} of ${all.length}`);
  for (const i of items) assert.equal(i.status, 'published');
  const one = await as.hot.req('GET', `${KB}/${items[0].id}`);
  assert.equal(one.status, 200);
  assert.equal(one.headers.get('etag'), `"${one.json.version}"`);
  assert.ok(one.json.sources.length >= 1);
  for (const s of one.json.sources) {
    assert.ok(s.title && (s.url || s.publisher) && (s.accessed || s.published), JSON.stringify(s));
  }
  // Every [[source:N]] cites a listed source, in every seed article.
  for (const i of items) {
    const full = (await as.hot.req('GET', `${KB}/${i.id}`)).json;
    for (const l of ['tg', 'ru', 'en']) {
      for (const m of full.body[l].matchAll(/\[\[source:(\d+)\]\]/g)) {
        assert.ok(Number(m[1]) >= 1 && Number(m[1]) <= full.sources.length, `${i.id} ${l} cites ${m[1]}`);
      }
    }
  }
});

test('a published seed article says more than it leaves to confirm, and sends nobody to the police first', async () => {
  const items = (await as.hot.req('GET', `${KB}?limit=200`)).json.items;
  for (const i of items) {
    const full = (await as.hot.req('GET', `${KB}/${i.id}`)).json;
    for (const l of ['tg', 'ru', 'en']) {
      const body = full.body[l];
      const tbc = (body.match(/\[\[to-be-confirmed:[^\]]*\]\]/g) || []).join('').length;
      const plain = body.replace(/\[\[[^\]]*\]\]/g, '').length;
      assert.ok(tbc / (tbc + plain) < 0.3, `${i.country}/${i.topic} ${l}: mostly to be confirmed`);
      assert.doesNotMatch(body, /Report it to the police|Сообщите в полицию|Ба (полис|милитсия) хабар диҳед/, `${i.country}/${i.topic} ${l}`);
    }
  }
});

test('the seed invents no phone number: numbers stand only beside their source', async () => {
  const items = (await as.sup.req('GET', `${KB}?limit=200`)).json.items;
  for (const i of items) {
    const full = (await as.sup.req('GET', `${KB}/${i.id}`)).json;
    for (const l of ['tg', 'ru', 'en']) {
      for (const line of full.body[l].split('\n')) {
        // A run of 7+ digits (a phone number) must not appear at all; short
        // emergency numbers (112, 102) only on a line that cites a source.
        assert.doesNotMatch(line.replace(/\[\[[^\]]*\]\]/g, ''), /\+?\d[\d\s-]{6,}\d/, `${i.id} ${l}: ${line}`);
        if (/\b1\d\d\b/.test(line.replace(/\[\[[^\]]*\]\]/g, '')) && /(112|10[1-4])/.test(line)) {
          assert.match(line, /\[\[source:\d+\]\]/, `${i.id} ${l}: an emergency number without a source`);
        }
      }
    }
  }
});

test('search finds the same article in Tajik, Russian and Latin spelling', async () => {
  const ru = await search('hot', 'патент', '&country=RU');
  const tg = await search('hot', 'Патенти', '&country=RU');
  const lat = await search('hot', 'patent', '&country=RU');
  assert.ok(ru.length > 0);
  assert.equal(ru[0].topic, 'registration_permits');
  assert.equal(tg[0].id, ru[0].id);
  assert.equal(lat[0].id, ru[0].id);
  // Countries by their names in any script and common spellings.
  for (const q of ['Россия', 'Rossiya', 'Russia', 'Русия']) {
    const items = await search('hot', q);
    assert.ok(items.length >= 4, q);
    for (const a of items.slice(0, 4)) assert.equal(a.country, 'RU', `${q}: ${a.country}`);
  }
  for (const q of ['ОАЭ', 'UAE', 'Дубай']) assert.equal((await search('hot', q))[0].country, 'AE', q);
  for (const q of ['Қазоқистон', 'Казахстан', 'Kazakhstan']) assert.equal((await search('hot', q))[0].country, 'KZ', q);
  for (const q of ['Туркия', 'Турция', 'Turkey']) assert.equal((await search('hot', q))[0].country, 'TR', q);
  // Two words: both count.
  const both = await search('hot', 'патент Россия');
  assert.equal(both[0].country, 'RU');
  assert.equal(both[0].topic, 'registration_permits');
  // Nothing searchable, nothing found; filters checked.
  assert.deepEqual(await search('hot', '!!!'), []);
  assertProblem(await as.hot.req('GET', `${KB}?country=XX`), 422, 'invalid-value');
  assertProblem(await as.hot.req('GET', `${KB}?topic=nope`), 422, 'invalid-value');
  assertProblem(await as.hot.req('GET', `${KB}?lang=fr`), 422, 'invalid-value');
  // A list excerpt is in the language asked for.
  const en = await search('hot', 'patent', '&country=RU&lang=en');
  assert.equal(en[0].lang, 'en');
  assert.match(en[0].excerpt, /Tajikistan/);
});

test('only supervisors create and change articles; others are refused', async () => {
  for (const who of ['hot', 'cw', 'an', 'admin', 'fp']) {
    assertProblem(await as[who].req('POST', KB, article()), 403, 'forbidden', who);
  }
  assert.equal((await as.hot.req('POST', KB, article(), { authorization: '' })).status, 403);
  const anon = new Client(srv.url);
  assertProblem(await anon.req('GET', KB), 401, 'unauthenticated');
  assertProblem(await anon.req('POST', KB, article()), 401, 'unauthenticated');

  const r = await as.sup.req('POST', KB, article());
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.version, 1);
  assert.equal(r.json.gaps, 3, 'one gap in each language');
  assert.equal(r.headers.get('location'), `${KB}/${r.json.id}`);
  for (const who of ['hot', 'cw']) {
    const p = await as[who].req('PATCH', `${KB}/${r.json.id}`, { status: 'archived' }, { 'if-match': '"1"' });
    assertProblem(p, 403, 'forbidden', who);
  }
  // A supervisor of another organisation edits too: the base is the programme's.
  const p2 = await as.sup2.req('PATCH', `${KB}/${r.json.id}`, { reviewed_on: '2026-02-01' }, { 'if-match': '"1"' });
  assert.equal(p2.status, 200, p2.text);
  assert.equal(p2.json.version, 2);
});

test('drafts are seen by editors only', async () => {
  const r = await as.sup.req('POST', KB, article({ status: 'draft', title: { tg: 'Лоиҳаи Ёвар', ru: 'Черновик Ёвар', en: 'Draft Yovar' } }));
  assert.equal(r.status, 201, r.text);
  assertProblem(await as.hot.req('GET', `${KB}/${r.json.id}`), 404, 'not-found');
  assert.equal((await search('hot', 'Yovar')).length, 0);
  assert.equal((await search('sup', 'Yovar'))[0].id, r.json.id);
  assertProblem(await as.hot.req('GET', `${KB}/${r.json.id}/history`), 404, 'not-found');
  // A published article needs sources; a draft may have none.
  assertProblem(await as.sup.req('POST', KB, article({ sources: [], body: { tg: 'а', ru: 'б', en: 'c' } })), 422, 'invalid-value');
  const d = await as.sup.req('POST', KB, article({ status: 'draft', sources: [], body: { tg: 'а', ru: 'б', en: 'c' } }));
  assert.equal(d.status, 201, d.text);
});

test('every saved version is kept: who, when, what', async () => {
  const r = await as.sup.req('POST', KB, article({ title: { tg: 'Таърихи Навбаҳор', ru: 'История Навбахор', en: 'History Navbahor' } }));
  const id = r.json.id;
  const p = await as.sup.req('PATCH', `${KB}/${id}`, { title: { en: 'History Navbahor, second' } }, { 'if-match': '"1"' });
  assert.equal(p.status, 200, p.text);
  assert.equal(p.json.title.en, 'History Navbahor, second');
  assert.equal(p.json.title.ru, 'История Навбахор', 'other languages stay');
  assert.equal(p.headers.get('etag'), '"2"');
  const p3 = await as.sup.req('PATCH', `${KB}/${id}`, { status: 'archived' }, { 'if-match': '2' });
  assert.equal(p3.status, 200, p3.text);
  const h = await as.sup.req('GET', `${KB}/${id}/history`);
  assert.equal(h.status, 200);
  assert.deepEqual(h.json.items.map((v) => v.version), [3, 2, 1]);
  assert.deepEqual(h.json.items.map((v) => v.action), ['update', 'update', 'create']);
  assert.deepEqual(h.json.items[1].fields, ['title']);
  assert.deepEqual(h.json.items[0].fields, ['status']);
  assert.equal(h.json.items[0].by_login, 'sup');
  assert.equal(h.json.items[2].article.title.en, 'History Navbahor');
  assert.equal(h.json.items[1].article.title.en, 'History Navbahor, second');
  assert.equal(h.json.items[0].article.status, 'archived');
  assert.ok(h.json.items.every((v) => /^\d{4}-\d\d-\d\dT/.test(v.at)));
  for (const who of ['hot', 'cw']) {
    // The article is archived: unseen by them.
    assertProblem(await as[who].req('GET', `${KB}/${id}/history`), 404, 'not-found', who);
  }
  // Seed articles have their first version, made by the system.
  const seed = (await search('sup', 'patent', '&country=RU'))[0];
  const sh = await as.sup.req('GET', `${KB}/${seed.id}/history`);
  assert.equal(sh.json.items.at(-1).by, null);
  assert.equal(sh.json.items.at(-1).action, 'create');
  // Operators are refused the history of a published article (403).
  assertProblem(await as.hot.req('GET', `${KB}/${seed.id}/history`), 403, 'forbidden');
});

test('If-Match: 428 without, 412 stale or malformed', async () => {
  const r = await as.sup.req('POST', KB, article());
  const id = r.json.id;
  assertProblem(await as.sup.req('PATCH', `${KB}/${id}`, { status: 'draft' }), 428, 'precondition-required');
  assertProblem(await as.sup.req('PATCH', `${KB}/${id}`, { status: 'draft' }, { 'if-match': '"7"' }), 412, 'version-conflict');
  assertProblem(await as.sup.req('PATCH', `${KB}/${id}`, { status: 'draft' }, { 'if-match': 'abc' }), 412, 'version-conflict');
  assert.equal((await as.sup.req('PATCH', `${KB}/${id}`, { status: 'draft' }, { 'if-match': '"1"' })).status, 200);
  assertProblem(await as.sup.req('PATCH', `${KB}/${id}`, { status: 'published' }, { 'if-match': '"1"' }), 412, 'version-conflict');
  assertProblem(await as.sup.req('PATCH', `${KB}/nosuchid`, { status: 'draft' }, { 'if-match': '"1"' }), 404, 'not-found');
});

test('gaps list every to-be-confirmed marker with its article and language', async () => {
  const g = await as.sup.req('GET', `${KB}/gaps`);
  assert.equal(g.status, 200, g.text);
  const items = await as.sup.req('GET', `${KB}?limit=200`);
  let expected = 0;
  for (const i of items.json.items) {
    const full = (await as.sup.req('GET', `${KB}/${i.id}`)).json;
    for (const l of ['tg', 'ru', 'en']) expected += (full.body[l].match(/\[\[to-be-confirmed:/g) || []).length;
    assert.equal(g.json.items.filter((x) => x.article_id === i.id).length,
      ['tg', 'ru', 'en'].reduce((n, l) => n + (full.body[l].match(/\[\[to-be-confirmed:/g) || []).length, 0), i.id);
  }
  assert.equal(g.json.items.length, expected);
  assert.ok(expected > 20, 'the seed has gaps to confirm');
  const mine = await as.sup.req('POST', KB, article({ title: { tg: 'Холигӣ', ru: 'Пробел', en: 'Gap check' } }));
  const g2 = await as.sup.req('GET', `${KB}/gaps`);
  const ours = g2.json.items.filter((x) => x.article_id === mine.json.id);
  assert.deepEqual(ours.map((x) => x.lang).sort(), ['en', 'ru', 'tg']);
  assert.equal(ours.find((x) => x.lang === 'en').missing, 'the test phone');
  assert.equal(ours.find((x) => x.lang === 'ru').title, 'Пробел');
  // Confirming the fact removes the gap.
  const body = { en: 'Fact [[source:1]]. Phone: +992 00 000 00 00 [[source:1]].' };
  assert.equal((await as.sup.req('PATCH', `${KB}/${mine.json.id}`, { body }, { 'if-match': '"1"' })).status, 200);
  const g3 = await as.sup.req('GET', `${KB}/gaps`);
  assert.deepEqual(g3.json.items.filter((x) => x.article_id === mine.json.id).map((x) => x.lang).sort(), ['ru', 'tg']);
  for (const who of ['hot', 'cw', 'an']) assertProblem(await as[who].req('GET', `${KB}/gaps`), 403, 'forbidden', who);
});

test('hostile bodies: unknown fields, bad markers, bad values, big fields', async () => {
  const bad = async (body, status, type, what) => assertProblem(await as.sup.req('POST', KB, body), status, type, what);
  await bad({ ...article(), color: 'red' }, 422, 'unknown-field', 'unknown top-level field');
  await bad({ ...article(), title: { tg: 'a', ru: 'b', en: 'c', fr: 'd' } }, 422, 'unknown-field', 'unknown language');
  await bad({ ...article(), sources: [{ title: 't', publisher: 'p', accessed: '2026-01-01', secret: 1 }] }, 422, 'unknown-field', 'unknown source field');
  await bad({ ...article(), id: 'mine' }, 422, 'read-only-field', 'id');
  await bad({ ...article(), version: 9 }, 422, 'read-only-field', 'version');
  await bad({ ...article(), topic: 'weather' }, 422, 'invalid-value', 'topic');
  await bad({ ...article(), country: 'ZZ' }, 422, 'invalid-value', 'country');
  await bad({ ...article(), status: 'live' }, 422, 'invalid-value', 'status');
  await bad({ ...article(), reviewed_on: '2999-01-01' }, 422, 'invalid-value', 'future review');
  await bad({ ...article(), title: { tg: 'a', ru: 'b' } }, 422, 'missing-field', 'a language missing');
  await bad({ ...article(), title: { tg: '', ru: 'b', en: 'c' } }, 422, 'invalid-value', 'empty title');
  await bad({ ...article(), body: { tg: 'x [[source:2]]', ru: 'y', en: 'z' } }, 422, 'invalid-value', 'cites a missing source');
  await bad({ ...article(), body: { tg: 'x [[sorce:1]]', ru: 'y', en: 'z' } }, 422, 'invalid-value', 'mistyped marker');
  await bad({ ...article(), body: { tg: 'x [[to-be-confirmed: ]]', ru: 'y', en: 'z' } }, 422, 'invalid-value', 'empty gap');
  await bad({ ...article(), body: { tg: 'x [[to-be-confirmed: a', ru: 'y', en: 'z' } }, 422, 'invalid-value', 'unclosed marker');
  await bad({ ...article(), title: { tg: 'a [[source:1]]', ru: 'b', en: 'c' } }, 422, 'invalid-value', 'marker in a title');
  await bad({ ...article(), sources: [{ title: 't', url: 'javascript:alert(1)', accessed: '2026-01-01' }] }, 422, 'invalid-value', 'script url');
  await bad({ ...article(), sources: [{ title: 't', accessed: '2026-01-01' }] }, 422, 'invalid-value', 'no url nor publisher');
  await bad({ ...article(), sources: [{ title: 't', publisher: 'p' }] }, 422, 'invalid-value', 'no date');
  await bad({ ...article(), sources: 'none' }, 422, 'invalid-value', 'sources not a list');
  await bad({ ...article(), body: { tg: 'ж'.repeat(20001), ru: 'y', en: 'z' } }, 422, 'invalid-value', '20001 characters');
  const huge = await as.sup.req('POST', KB, JSON.stringify({ ...article(), body: { tg: 'x'.repeat(10 << 20), ru: 'y', en: 'z' } }));
  assertProblem(huge, 413, 'body-too-large', '10 MB field');
  assertProblem(await as.sup.req('POST', KB, '{"topic":"general",'), 400, 'invalid-json');
  assertProblem(await as.sup.req('POST', KB, JSON.stringify(article()), { 'content-type': 'text/plain' }), 415, 'unsupported-media-type');
  assertProblem(await as.sup.req('POST', KB, '{"topic":"general","topic":"general"}'), 400, 'invalid-json');
  // A patch is checked the same way, and a refused one changes nothing.
  const ok = await as.sup.req('POST', KB, article());
  assertProblem(await as.sup.req('PATCH', `${KB}/${ok.json.id}`, { body: { en: '[[source:5]]' } }, { 'if-match': '"1"' }), 422, 'invalid-value');
  assertProblem(await as.sup.req('PATCH', `${KB}/${ok.json.id}`, {}, { 'if-match': '"1"' }), 422, 'invalid-value');
  assert.equal((await as.sup.req('GET', `${KB}/${ok.json.id}`)).json.version, 1);
  // Text comes back exactly as sent, escaped as JSON.
  const odd = await as.sup.req('POST', KB, article({ title: { tg: '<script>x</script>', ru: '"кавычки" & \\', en: 'a\u2028b' } }));
  assert.equal(odd.status, 201, odd.text);
  assert.doesNotMatch(odd.text, /<script>/);
  assert.equal(odd.json.title.tg, '<script>x</script>');
  assert.equal(odd.json.title.ru, '"кавычки" & \\');
});

test('every write is audited, and the seed too', async () => {
  const r = await as.sup.req('POST', KB, article());
  await as.sup.req('PATCH', `${KB}/${r.json.id}`, { status: 'draft' }, { 'if-match': '"1"' });
  const db = join(srv.data, 'himoya.db');
  const rows = sqlite(db, `SELECT action || ' ' || coalesce(fields, '') FROM audit WHERE record = 'kb/${r.json.id}' ORDER BY seq`);
  assert.deepEqual(rows.trim().split('\n'), ['create country,topic,status,title,body,sources', 'update status']);
  const seeded = Number(sqlite(db, "SELECT count(*) FROM audit WHERE record LIKE 'kb/%' AND user_id IS NULL AND action = 'create'"));
  assert.equal(seeded, 25);
  // Articles are public text: clear in the database, searchable keys too.
  assert.match(sqlite(db, "SELECT title_ru FROM kb_articles WHERE country = 'RU' AND topic = 'registration_permits'"), /патент/);
});

test('the list pages with a sealed cursor, which is its user\'s and filter\'s only', async () => {
  const all = [];
  let r = await as.cw.req('GET', `${KB}?limit=200`);
  assert.equal(r.status, 200, r.text);
  const whole = r.json.items.map((a) => a.id);
  assert.ok(whole.length > 3, 'the seed has articles');
  r = await as.cw.req('GET', `${KB}?limit=2`);
  for (;;) {
    assert.equal(r.status, 200, r.text);
    all.push(...r.json.items.map((a) => a.id));
    if (!r.json.next) break;
    assert.doesNotMatch(r.json.next, /^\d+$/, 'no bare offset');
    r = await as.cw.req('GET', `${KB}?limit=2&cursor=${encodeURIComponent(r.json.next)}`);
  }
  assert.deepEqual(all, whole, 'every article once, in order');
  const first = (await as.cw.req('GET', `${KB}?limit=2`)).json.next;
  assertProblem(await as.sup2.req('GET', `${KB}?limit=2&cursor=${encodeURIComponent(first)}`), 422, 'invalid-value');
  assertProblem(await as.cw.req('GET', `${KB}?limit=2&country=RU&cursor=${encodeURIComponent(first)}`), 422, 'invalid-value');
  assertProblem(await as.cw.req('GET', `${KB}?limit=2&cursor=2`), 422, 'invalid-value');
});
