// The overdue follow-ups screen (#/followups) pages as its list does: on a
// real `himoya serve` and Debian's headless chromium, a case worker with
// more overdue follow-ups than a page holds sees the first page, presses
// "show more" (in tg, ru and en) and reaches the follow-up past the first
// page, the one due last, and opens its case.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client } from '../lib/server.mjs';
import { launch, watchConsole, waitText, visible, signIn, WAIT } from './helpers.mjs';
import { catalogue } from '../../web/i18n.js';

const PW = 'Пайгирии дароз 2026!';
const CW = { login: 'nilufar', role: 'caseworker', password: PW };
const PAGE = 50; // the server's default page

let srv;
let browser;
let cw;
let last; // the follow-up due last: on the second page
let lastCase;

const day = (offset) => new Date(Date.now() + offset * 86400000).toISOString().slice(0, 10);

async function ok(method, path, body, headers) {
  const r = await cw.req(method, '/api/v1' + path, body, headers);
  assert.ok([200, 201].includes(r.status), `${method} ${path}: ${r.status} ${r.text}`);
  return r.json;
}

async function openCase(given, family) {
  const p = await ok('POST', '/persons', { given_name: given, family_name: family });
  await ok('POST', `/persons/${p.id}/consents`, { purpose: 'assistance', method: 'written' });
  return ok('POST', '/cases', { person_id: p.id });
}

before(async () => {
  srv = await startServer({ users: [CW] });
  browser = await launch();
  cw = new Client(srv.url);
  assert.equal((await cw.login(CW.login, PW)).status, 200);
  // A page's worth of follow-ups long overdue on one case, then one more,
  // due yesterday, on a case of its own.
  const early = await openCase('Фарҳод', 'Назаров');
  for (let i = 0; i < PAGE; i++) await ok('POST', `/cases/${early.id}/followups`, { due: day(-60 + (i % 30)) });
  lastCase = await openCase('Зебо', 'Охирова');
  last = await ok('POST', `/cases/${lastCase.id}/followups`, { due: day(-1) });
});

after(async () => {
  await browser?.close();
  await srv?.stop();
  srv?.cleanup();
});

test('a case worker reaches an overdue follow-up past the first page, in tg, ru and en', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  context.setDefaultTimeout(WAIT);
  const page = await context.newPage();
  const problems = watchConsole(page);
  try {
    await signIn(page, srv.url, CW);
    for (const lang of ['tg', 'ru', 'en']) {
      await page.selectOption('#lang', lang);
      await page.evaluate(() => { location.hash = '#/cases'; });
      await page.evaluate(() => { location.hash = '#/followups'; });
      await visible(page, '#fu-more');
      assert.equal(await page.locator('#followups-list > li').count(), PAGE, `${lang}: one page first`);
      assert.equal(await page.locator(`#followups-list > li[data-id="${last.id}"]`).count(), 0,
        `${lang}: the last one is not on the first page`);
      await waitText(page, '#fu-more', catalogue['fu.more'][lang]);
      await page.click('#fu-more');
      const card = page.locator(`#followups-list > li[data-id="${last.id}"]`);
      await card.waitFor({ state: 'visible' });
      assert.equal(await page.locator('#followups-list > li').count(), PAGE + 1, `${lang}: the next page appended`);
      assert.equal(await page.locator('#fu-more').count(), 0, `${lang}: no more after the last page`);
      assert.match(await card.textContent(), /Охирова Зебо/);
    }
    await page.locator(`#followups-list > li[data-id="${last.id}"] a`).click();
    await page.waitForFunction((id) => location.hash === `#/cases/${encodeURIComponent(id)}`, lastCase.id);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
