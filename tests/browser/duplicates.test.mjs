// Likely duplicates in the browser: registering a person already in the
// register (in another script) asks first and offers the one found; the
// review screen shows both persons side by side with the comparisons, in
// tg, ru and en; "same person" merges, "undo" puts it back, "not the
// same" takes the pair off the list for good.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client } from '../lib/server.mjs';
import { launch, watchConsole, waitText, visible, textOf, WAIT, signIn } from './helpers.mjs';

const PW = 'Дубликат-и санҷиш 2026!';
const CW = { login: 'nigora', role: 'caseworker', password: PW };

let srv;
let browser;
let cw;
let first;

before(async () => {
  srv = await startServer({ users: [CW] });
  browser = await launch();
  cw = new Client(srv.url);
  assert.equal((await cw.login(CW.login, PW)).status, 200);
  const p = await cw.req('POST', '/api/v1/persons',
    { given_name: 'Фаррух', family_name: 'Ҷумъаев', birth_date: '1990-03-04', gender: 'Masculine' });
  assert.equal(p.status, 201, p.text);
  first = p.json.id;
});

after(async () => {
  if (browser) await browser.close();
  if (srv) {
    await srv.stop();
    srv.cleanup();
  }
});

test('registration asks before registering a likely duplicate, then the pair is reviewed', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  context.setDefaultTimeout(20000);
  const page = await context.newPage();
  const problems = watchConsole(page);
  try {
    await signIn(page, srv.url, CW, 'en');
    await page.evaluate(() => { location.hash = '#/register'; });
    await visible(page, '#reg-q');
    await page.fill('#reg-q', 'Zzyzx');
    await page.click('#reg-find-submit');
    await visible(page, '#reg-new-person');
    await page.click('#reg-new-person');
    await visible(page, '#consent-form');
    await page.check('#consent-agree');
    await page.selectOption('#consent-method', 'verbal_witnessed');
    await page.click('#consent-form-submit');
    await visible(page, '#person-form');
    await page.fill('#person-given_name', 'Фаррух');
    await page.fill('#person-family_name', 'Джумаев');
    await page.fill('#person-birth_date', '04.03.1990');
    await page.click('#person-form-submit');
    await visible(page, '#reg-duplicate');
    assert.match(await textOf(page, '#reg-duplicate'), /may already be registered.*Ҷумъаев Фаррух.*04\.03\.1990/s);
    await visible(page, `[data-candidate="${first}"]`);
    // Registered anyway: the case form follows, and the pair waits for review.
    await page.click('#reg-dup-register');
    await visible(page, '#case-form');

    await page.evaluate(() => { location.hash = '#/duplicates'; });
    await page.locator('.dup-card').first().waitFor({ timeout: WAIT });
    assert.equal(await page.locator('.dup-card').count(), 1);
    const card = await textOf(page, '.dup-card');
    assert.match(card, /Ҷумъаев Фаррух/);
    assert.match(card, /Джумаев Фаррух/);
    assert.match(card, /Family name\s*equal/);
    for (const [lang, title, keep] of [['tg', 'Сабтҳои эҳтимолан такрорӣ', 'Як нафар: ҳамин сабтро нигоҳ доштан'],
      ['ru', 'Возможные повторные регистрации', 'Один человек: оставить эту запись'],
      ['en', 'Likely duplicates', 'Same person: keep this record']]) {
      await page.selectOption('#lang', lang);
      await waitText(page, '#page-title', title);
      assert.equal(await textOf(page, `[data-keep="${first}"]`), keep);
    }

    // Same person, keep the first: asked first (dismissed, nothing merges;
    // accepted, merged); then undone.
    let asked = '';
    page.once('dialog', (d) => { asked = d.message(); d.dismiss(); });
    await page.click(`[data-keep="${first}"]`);
    assert.match(asked, /Merge these two records, keeping “Ҷумъаев Фаррух”/);
    assert.equal((await cw.req('GET', '/api/v1/duplicates')).json.items.length, 1, 'nothing merged');
    page.once('dialog', (d) => d.accept());
    await page.click(`[data-keep="${first}"]`);
    await waitText(page, '#view .message.info', 'Merged: cases and consents moved to the record kept.');
    assert.equal(await page.locator('.dup-card').count(), 0);
    await page.selectOption('#dup-show', 'merged');
    await page.locator('[data-undo]').waitFor({ timeout: WAIT });
    await page.click('[data-undo]');
    await waitText(page, '#view .message.info', 'The merge is undone.');
    await page.selectOption('#dup-show', 'open');
    await page.locator('.dup-card').first().waitFor({ timeout: WAIT });

    // Not the same: off the list, and a new look does not bring it back.
    await page.click('[data-distinct]');
    await waitText(page, '#view .message.info', 'Remembered: not the same person.');
    await page.click('#dup-scan');
    await waitText(page, '#view .message.info', 'No likely duplicates.');
    assert.equal(await page.locator('.dup-card').count(), 0);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('a long list comes a page at a time: "Show more" brings the rest, each pair once', async () => {
  // One woman registered twelve ways: 66 pairs, more than a page of 50.
  const ways = ['Раҳимова', 'Рахимова', 'Rahimova', 'Rakhimova', 'Раҳимова ', 'Рахимовa', 'Rahimowa',
    'Rachimova', 'Раҳимава', 'Рахимава', 'Rahimava', 'Rakhimava'];
  for (const f of ways) {
    const r = await cw.req('POST', '/api/v1/persons?duplicates=register', { given_name: 'Нилуфар',
      family_name: f, birth_date: '2001-05-17', gender: 'Feminine' });
    assert.equal(r.status, 201, r.text);
  }
  assert.equal((await cw.req('POST', '/api/v1/duplicates/scan', {})).status, 200);
  const all = (await cw.req('GET', '/api/v1/duplicates?limit=200')).json.items;
  assert.ok(all.length > 50, `pairs: ${all.length}`);
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  context.setDefaultTimeout(20000);
  const page = await context.newPage();
  const problems = watchConsole(page);
  try {
    await signIn(page, srv.url, CW, 'ru');
    await page.evaluate(() => { location.hash = '#/duplicates'; });
    await visible(page, '#dup-more');
    assert.equal(await page.locator('.dup-card').count(), 50);
    assert.equal(await textOf(page, '#dup-more'), 'Показать ещё');
    await page.click('#dup-more');
    await page.locator('#dup-more').waitFor({ state: 'detached', timeout: WAIT });
    const shown = await page.locator('.dup-card').evaluateAll((cards) => cards.map((c) => c.dataset.id));
    assert.deepEqual(shown, all.map((p) => p.id));
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
