// /public/: the pages without login for migrants and their families.  No
// login, no script, no external resource, small and cacheable (ETag and
// 304), every value escaped, the hotline number only from the
// configuration (else "to be confirmed by the programme", never invented),
// drafts unseen, and the call-back form with its anti-bot token and
// honeypot, which leaks nothing about other callers.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, Client } from '../lib/server.mjs';
import { serveDir, sleep, writeConf } from '../lib/datadir.mjs';

const PW = 'public pages test password';
const MAX_BYTES = 30 * 1024;
const TBC = {
  tg: 'аз ҷониби барнома тасдиқ карда мешавад',
  ru: 'будет подтверждено программой',
  en: 'to be confirmed by the programme',
};

let srv;
let sup;
let ids = [];

before(async () => {
  srv = await startServer({ users: [{ login: 'sup', role: 'supervisor', password: PW }] });
  sup = new Client(srv.url);
  assert.equal((await sup.login('sup', PW)).status, 200);
  const all = (await sup.req('GET', '/api/v1/kb?limit=200')).json.items;
  assert.equal(all.length, 25);
  // The public pages show published articles only (drafts are tested below).
  ids = all.filter((a) => a.status === 'published').map((a) => a.id);
  assert.ok(ids.length >= 15);
});

after(async () => {
  if (srv) {
    await srv.stop();
    srv.cleanup();
  }
});

const get = async (path, headers = {}, base = srv.url) => {
  const res = await fetch(base + path, { headers, redirect: 'manual' });
  return { status: res.status, headers: res.headers, text: await res.text() };
};

// Nothing the page makes the browser fetch from elsewhere, and no script.
function assertSelfContained(html, what) {
  assert.doesNotMatch(html, /<script\b/i, `${what}: a script`);
  assert.doesNotMatch(html, /<style\b|\sstyle=/i, `${what}: inline style`);
  // Attributes outside quoted values (escaped text inside a value is inert).
  const tags = html.replace(/"[^"]*"/g, '""');
  assert.doesNotMatch(tags, /<[^>]*\son[a-z]+=/i, `${what}: an event handler attribute`);
  for (const m of html.matchAll(/<(link|img|iframe|source|video|audio|embed|object)\b[^>]*>/gi)) {
    const url = /(?:href|src|data)="([^"]*)"/i.exec(m[0]);
    assert.ok(!url || url[1].startsWith('/'), `${what}: external resource ${m[0]}`);
  }
  assert.doesNotMatch(html, /@import|url\(/i, `${what}: CSS import`);
}

test('pages answer without login, in three languages, small and self-contained', async () => {
  const pages = ['/public/', '/public', '/public/kb', '/public/callback', `/public/kb/${ids[0]}`];
  for (const p of pages) {
    for (const lang of ['', '?lang=tg', '?lang=ru', '?lang=en']) {
      const sep = lang && p.includes('?') ? lang.replace('?', '&') : lang;
      const r = await get(p + sep);
      assert.equal(r.status, 200, `${p}${sep}`);
      assert.match(r.headers.get('content-type'), /^text\/html; charset=utf-8/);
      assert.match(r.headers.get('content-security-policy'), /default-src 'self'/);
      assert.match(r.headers.get('content-security-policy'), /script-src 'self'/);
      assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
      assert.ok(Buffer.byteLength(r.text) < MAX_BYTES, `${p}${sep}: ${Buffer.byteLength(r.text)} bytes`);
      assertSelfContained(r.text, p + sep);
      const want = (lang.slice(6) || 'tg');
      assert.match(r.text, new RegExp(`<html lang="${want}">`), `${p}${sep}`);
      // The switch is plain links to the other two languages.
      for (const other of ['tg', 'ru', 'en'].filter((l) => l !== want)) {
        assert.match(r.text, new RegExp(`hreflang="${other}" href="[^"]*lang=${other}"`), `${p}${sep} -> ${other}`);
      }
    }
  }
  // Every article, in every language, stays small.
  for (const id of ids) {
    for (const lang of ['tg', 'ru', 'en']) {
      const r = await get(`/public/kb/${id}?lang=${lang}`);
      assert.equal(r.status, 200);
      assert.ok(Buffer.byteLength(r.text) < MAX_BYTES, `${id} ${lang}: ${Buffer.byteLength(r.text)}`);
      assertSelfContained(r.text, `${id} ${lang}`);
      assert.match(r.text, /<ol class="sources">/);
    }
  }
  const css = await get('/public/style.css');
  assert.equal(css.status, 200);
  assert.match(css.headers.get('content-type'), /^text\/css/);
  assert.ok(css.headers.get('etag'));
  assert.ok(Buffer.byteLength(css.text) < 8 * 1024);
  assert.doesNotMatch(css.text, /@import|url\(/);
});

test('cacheable: Cache-Control public, ETag, 304 on If-None-Match', async () => {
  for (const p of ['/public/?lang=ru', '/public/kb?lang=en', `/public/kb/${ids[1]}?lang=tg`]) {
    const r = await get(p);
    assert.match(r.headers.get('cache-control'), /^public, max-age=\d+$/, p);
    const etag = r.headers.get('etag');
    assert.match(etag, /^"[0-9a-f]{16}"$/, p);
    const again = await get(p, { 'if-none-match': etag });
    assert.equal(again.status, 304, p);
    assert.equal(again.text, '', p);
    const stale = await get(p, { 'if-none-match': '"0000000000000000"' });
    assert.equal(stale.status, 200, p);
  }
  const tg = await get(`/public/kb/${ids[1]}?lang=tg`);
  const ru = await get(`/public/kb/${ids[1]}?lang=ru`);
  assert.notEqual(tg.headers.get('etag'), ru.headers.get('etag'));
  // The article changes: its ETag changes.
  const before = tg.headers.get('etag');
  const art = (await sup.req('GET', `/api/v1/kb/${ids[1]}`)).json;
  const p = await sup.req('PATCH', `/api/v1/kb/${ids[1]}`, { reviewed_on: '2026-03-03' }, { 'if-match': `"${art.version}"` });
  assert.equal(p.status, 200, p.text);
  const after = await get(`/public/kb/${ids[1]}?lang=tg`, { 'if-none-match': before });
  assert.equal(after.status, 200);
  assert.notEqual(after.headers.get('etag'), before);
  // The form is never cached: it carries a fresh token.
  const form = await get('/public/callback');
  assert.equal(form.headers.get('cache-control'), 'no-store');
  assert.equal(form.headers.get('etag'), null);
});

test('no hotline number is invented: without configuration it is to be confirmed', async () => {
  for (const lang of ['tg', 'ru', 'en']) {
    const r = await get(`/public/?lang=${lang}`);
    assert.ok(r.text.includes(TBC[lang]), lang);
    assert.doesNotMatch(r.text, /href="tel:/, lang);
    // No run of digits that could be read as a phone number anywhere.
    assert.doesNotMatch(r.text.replace(/<[^>]*>/g, ' '), /\+?\d[\d\s()-]{6,}\d/, lang);
  }
  // Article pages show a gap as "to be confirmed", never the raw marker.
  const gaps = (await sup.req('GET', '/api/v1/kb/gaps')).json.items;
  const g = gaps.find((x) => x.lang === 'ru');
  const page = await get(`/public/kb/${g.article_id}?lang=ru`);
  assert.ok(page.text.includes(TBC.ru));
  assert.doesNotMatch(page.text, /\[\[/);
});

test('everything is escaped', async () => {
  const evil = '<img src=x onerror=alert(1)>"\'&';
  const r = await get(`/public/kb?q=${encodeURIComponent(evil)}&lang=en`);
  assert.equal(r.status, 200);
  assert.doesNotMatch(r.text, /<img src=x/);
  assert.ok(r.text.includes('&lt;img src=x onerror=alert(1)&gt;&quot;&#39;&amp;'), 'the query shown escaped');
  assertSelfContained(r.text, 'search page');
  // An article whose text and sources try markup.
  const made = await sup.req('POST', '/api/v1/kb', {
    country: 'TR', topic: 'general', status: 'published',
    title: { tg: `Санҷиш ${evil}`, ru: `Проверка ${evil}`, en: `Check ${evil}` },
    body: { tg: `<script>alert(1)</script> [[source:1]]`, ru: `<b>жирный</b> [[to-be-confirmed: <i>курсив</i>]]`, en: `a & b < c [[source:1]]` },
    sources: [{ title: '<svg onload=alert(1)>', url: 'https://example.org/?a=b&c=d\'e', accessed: '2026-01-01' }],
  });
  assert.equal(made.status, 201, made.text);
  for (const lang of ['tg', 'ru', 'en']) {
    const a = await get(`/public/kb/${made.json.id}?lang=${lang}`);
    assert.equal(a.status, 200);
    assertSelfContained(a.text, `evil article ${lang}`);
    assert.doesNotMatch(a.text, /<img src=x|<svg|<b>|<i>|c=d'e/, lang);
  }
  const en = await get(`/public/kb/${made.json.id}?lang=en`);
  assert.ok(en.text.includes('a &amp; b &lt; c'));
  assert.ok(en.text.includes('href="https://example.org/?a=b&amp;c=d&#39;e"'));
  const list = await get('/public/kb?country=TR&topic=general&lang=ru');
  assert.ok(list.text.includes('Проверка &lt;img src=x onerror=alert(1)&gt;'));
});

test('drafts and unknown articles are not found; filters that make no sense are ignored', async () => {
  const d = await sup.req('POST', '/api/v1/kb', {
    country: 'RU', topic: 'general', status: 'draft',
    title: { tg: 'Лоиҳа', ru: 'Черновик Самарканд', en: 'Draft Samarkand' },
    body: { tg: 'а', ru: 'б', en: 'в' },
  });
  assert.equal(d.status, 201, d.text);
  assert.equal((await get(`/public/kb/${d.json.id}`)).status, 404);
  assert.equal((await get('/public/kb/no-such-article')).status, 404);
  const s = await get('/public/kb?q=Samarkand&lang=en');
  assert.doesNotMatch(s.text, /Draft Samarkand/);
  assert.equal((await get('/public/kb?country=<x>&topic=x&lang=zz')).status, 200);
  // An encoded NUL is refused before any route sees it (issue 10 #15).
  const nul = await get('/public/kb?country=<x>&topic=%00&lang=zz');
  assert.equal(nul.status, 400);
  assert.match(nul.headers.get('content-type'), /^application\/problem\+json/);
  // Search works in any script here too.
  const ru = await get('/public/kb?q=%D0%BF%D0%B0%D1%82%D0%B5%D0%BD%D1%82&country=RU');
  const lat = await get('/public/kb?q=patent&country=RU');
  const first = (html) => /href="\/public\/kb\/([^?"]+)/.exec(html)?.[1];
  assert.ok(first(ru.text));
  assert.equal(first(lat.text), first(ru.text));
  // No other method, and no way into the API from here.
  assert.equal((await fetch(srv.url + '/public/kb', { method: 'POST' })).status, 405);
});

test('the call-back form: token, honeypot, limits; it leaks nothing about callers', async () => {
  const a = await get('/public/callback?lang=en');
  const b = await get('/public/callback?lang=en');
  const form = /<form class="callback" method="post" action="\/api\/v1\/public\/callback-requests" enctype="application\/x-www-form-urlencoded"/;
  assert.match(a.text, form);
  const token = (html) => /name="token" value="([^"]+)"/.exec(html)?.[1];
  assert.ok(token(a.text) && token(a.text).length >= 20);
  assert.notEqual(token(a.text), token(b.text));
  for (const name of ['phone', 'preferred_time', 'language', 'message']) assert.match(a.text, new RegExp(`name="${name}"`));
  assert.match(a.text, /name="phone" type="tel" required maxlength="32"/);
  assert.match(a.text, /name="message" rows="3" maxlength="500"/);
  // The honeypot is in a block hidden from people (CSS), out of the tab order.
  assert.match(a.text, /<p class="hp" aria-hidden="true"><label>[^<]*<input name="website" tabindex="-1"/);
  // A caller sends a request; the next visitor's page shows nothing of it.
  const phone = '+992 93 555 44 33';
  await sleep(3100);
  const sent = await fetch(srv.url + '/api/v1/public/callback-requests', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token: token(a.text), phone, preferred_time: 'after 18:00', language: 'en', message: 'secret words', website: '' }).toString(),
  });
  assert.equal(sent.status, 202);
  const answer = await sent.text();
  assert.ok(!answer.includes('555') && !answer.includes('secret words'), 'the answer echoes nothing');
  const next = await get('/public/callback?lang=en');
  for (const leak of ['555 44 33', '5554433', 'secret words', 'after 18:00']) {
    assert.ok(!next.text.includes(leak), leak);
  }
  assert.ok(!(await get('/public/?lang=en')).text.includes('555'));
});

test('with hotline_number configured, every page shows it as a tel: link', async () => {
  await srv.stop();
  writeConf(srv.data, 'hotline_number = +992 (00) 000-00-00\n');
  const s2 = await serveDir(srv.data);
  try {
    for (const p of ['/public/?lang=tg', '/public/kb?lang=ru', `/public/kb/${ids[2]}?lang=en`, '/public/callback']) {
      const r = await get(p, {}, s2.url);
      assert.ok(r.text.includes('<a href="tel:+992000000000"><strong>+992 (00) 000-00-00</strong></a>'), p);
    }
    const r = await get('/public/?lang=en', {}, s2.url);
    assert.ok(!r.text.includes('<p class="hotline">Hotline: <span class="tbc">'), 'no longer to be confirmed');
  } finally {
    await s2.stop();
  }
  // A bad number is refused at start, never shown.
  writeConf(srv.data, 'hotline_number = call <b>us</b>\n');
  await assert.rejects(serveDir(srv.data));
  writeConf(srv.data, '');
});
