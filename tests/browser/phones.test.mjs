// Phones: at 390x844 every screen of every role fits the screen
// (document.documentElement.scrollWidth <= window.innerWidth): each menu
// section, home, and a case page.  The failure names what sticks out.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client } from '../lib/server.mjs';
import { launch, watchConsole, waitText, visible } from './helpers.mjs';

const PW = 'Телефон ва экран 2025!';
const ROLES = ['admin', 'supervisor', 'caseworker', 'hotline', 'focal_point', 'analyst', 'trainer'];
const users = ROLES.map((role) => ({ login: `p-${role}`, role, password: PW,
  ...(role === 'focal_point' ? { org: 'police' } : {}) }));

let srv;
let browser;
let caseId;

before(async () => {
  srv = await startServer({ users, orgs: [{ code: 'police', name: 'Police', type: 'LawEnforcement' }] });
  browser = await launch();
  const cw = new Client(srv.url);
  assert.equal((await cw.login('p-caseworker', PW)).status, 200);
  const p = await cw.req('POST', '/api/v1/persons', { given_name: 'Абдуллоҷони Муҳаммадҷонзода', family_name: 'Ҳайдаровҳоиҷовидонзода' });
  await cw.req('POST', `/api/v1/persons/${p.json.id}/consents`, { purpose: 'assistance', method: 'written' });
  caseId = (await cw.req('POST', '/api/v1/cases', { person_id: p.json.id })).json.id;
});

after(async () => {
  await browser?.close();
  await srv?.stop();
  srv?.cleanup();
});

function wideOnes(page) {
  return page.evaluate(() => [...document.querySelectorAll('body *')]
    .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 0.5)
    .slice(-4).map((e) => `${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''}.${String(e.className).split(' ')[0]} (${Math.round(e.getBoundingClientRect().right)})`).join(', '));
}

for (const u of users) {
  test(`every screen of the ${u.role} fits a 390 px phone`, async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    const problems = watchConsole(page);
    try {
      await page.goto(srv.url + '/');
      await visible(page, '#login-view');
      await page.fill('#login', u.login);
      await page.fill('#password', PW);
      await page.click('#login-submit');
      await visible(page, '#app-frame');
      await waitText(page, '#user-name', u.login);
      const hrefs = await page.$$eval('#nav-list a', (as) => as.map((a) => a.getAttribute('href')));
      if (['supervisor', 'caseworker', 'hotline'].includes(u.role)) hrefs.push(`#/cases/${caseId}`);
      const wide = [];
      for (const href of hrefs) {
        await page.evaluate((h) => { location.hash = h; }, href);
        await page.waitForFunction(() => !document.querySelector('#view .loading, [aria-busy="true"]'), null, { timeout: 15000 }).catch(() => {});
        await page.waitForTimeout(300);
        const fits = await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth && window.innerWidth <= 390);
        if (!fits) wide.push(`${href}: ${await wideOnes(page)}`);
      }
      assert.deepEqual(wide, [], 'screens wider than the phone');
      assert.deepEqual(problems.filter((p) => !/status of 40[34]\b/.test(p)), []);
    } finally {
      await context.close();
    }
  });
}

// Issue 12, item 5, in each language at desktop and phone width: every
// tab of the case page is on the screen (the tabs wrap, none scrolls out
// of sight), and the last one works; on the hotline form, taller than
// the screen, Save is on the screen wherever the form is scrolled to.
for (const [lang, viewport] of [['tg', { width: 1280, height: 800 }], ['ru', { width: 1280, height: 800 }], ['en', { width: 1280, height: 800 }],
  ['tg', { width: 390, height: 844 }], ['ru', { width: 390, height: 844 }], ['en', { width: 390, height: 844 }]]) {
  test(`case tabs all in sight, Save in reach on the hotline form (${lang}, ${viewport.width}×${viewport.height})`, async () => {
    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    const problems = watchConsole(page);
    const signIn = async (login) => {
      await page.goto(srv.url + '/');
      await visible(page, '#login-view');
      await page.selectOption('#lang', lang);
      await page.fill('#login', login);
      await page.fill('#password', PW);
      await page.click('#login-submit');
      await visible(page, '#app-frame');
      await waitText(page, '#user-name', login);
    };
    try {
      await signIn('p-supervisor');
      await page.evaluate((id) => { location.hash = `#/cases/${id}`; }, caseId);
      await visible(page, '#tab-timeline');
      const tabs = await page.$$eval('[role="tab"]', (bs) => bs.map((b) => {
        const r = b.getBoundingClientRect();
        return { id: b.id, left: r.left, right: r.right, width: r.width };
      }));
      assert.ok(tabs.length >= 10, `${tabs.length} tabs`);
      const out = tabs.filter((b) => b.width === 0 || b.left < 0 || b.right > viewport.width + 0.5).map((b) => b.id);
      assert.deepEqual(out, [], 'tabs out of sight');
      assert.equal(await page.$eval('[role="tablist"]', (l) => l.scrollWidth <= l.clientWidth), true, 'the tab list does not scroll');
      const lastTab = tabs.at(-1).id;
      await page.click(`#${lastTab}`);
      assert.equal(await page.getAttribute(`#${lastTab}`, 'aria-selected'), 'true');
      await visible(page, `#${lastTab.replace('tab-', 'panel-')}`);

      await context.clearCookies(); // signed out: the next sign-in is the operator's
      await signIn('p-hotline');
      await page.evaluate(() => { location.hash = '#/hotline'; });
      await visible(page, '#hl-form');
      const formHeight = await page.$eval('#hl-form', (f) => f.getBoundingClientRect().height);
      const inView = () => page.$eval('#hl-save', (b) => {
        const r = b.getBoundingClientRect();
        return r.top >= 0 && r.bottom <= window.innerHeight && r.height > 0;
      });
      if (formHeight > viewport.height) {
        for (const y of [0, Math.round(formHeight / 3), Math.round(formHeight / 2)]) {
          await page.evaluate((top) => window.scrollTo(0, top), y);
          await page.waitForTimeout(50);
          assert.equal(await inView(), true, `Save on the screen, scrolled to ${y} of ${Math.round(formHeight)} px`);
        }
      }
      assert.ok(viewport.width > 400 || formHeight > viewport.height, `the hotline form is long on a phone (${formHeight} px)`);
      assert.deepEqual(problems.filter((p) => !/status of 40[134]\b/.test(p)), []);
    } finally {
      await context.close();
    }
  });
}

// The registration wizard's sticky Continue/Back bar on a 360×640 phone:
// one row of buttons, at most 64 px of the screen's height (two rows took
// 120-145 px), each button still at least 44 px high to be tapped; the
// hotline form's Save/Clear bar likewise.
for (const lang of ['tg', 'ru', 'en']) {
  test(`the wizard's Continue/Back bar is one compact row on a 360×640 phone (${lang})`, async () => {
    const context = await browser.newContext({ viewport: { width: 360, height: 640 }, isMobile: true, hasTouch: true });
    context.setDefaultTimeout(20000);
    const page = await context.newPage();
    const problems = watchConsole(page);
    const bar = (form) => page.$eval(`${form} .sticky-actions`, (b) => {
      const r = b.getBoundingClientRect();
      const buttons = [...b.querySelectorAll('.button')].filter((x) => x.offsetParent).map((x) => x.getBoundingClientRect());
      return { height: r.height, right: r.right, tops: buttons.map((x) => Math.round(x.top)), heights: buttons.map((x) => x.height),
        rights: buttons.map((x) => x.right) };
    });
    const check = async (form, buttons) => {
      const b = await bar(form);
      assert.equal(b.tops.length, buttons, `${form}: ${buttons} buttons`);
      assert.ok(b.height <= 64, `${form}: the bar takes ${b.height} px`);
      assert.equal(new Set(b.tops).size, 1, `${form}: the buttons are in one row: ${b.tops}`);
      for (const hgt of b.heights) assert.ok(hgt >= 44, `${form}: a button of ${hgt} px is too small to tap`);
      for (const r of b.rights) assert.ok(r <= 360, `${form}: a button runs off the screen (${r})`);
    };
    try {
      await page.goto(srv.url + '/');
      await visible(page, '#login-view');
      await page.selectOption('#lang', lang);
      await page.fill('#login', 'p-caseworker');
      await page.fill('#password', PW);
      await page.click('#login-submit');
      await visible(page, '#app-frame');
      await page.evaluate(() => { location.hash = '#/register'; });
      await visible(page, '#reg-new-person');
      await page.click('#reg-new-person');
      await visible(page, '#consent-form');
      await check('#consent-form', 2);
      await page.check('#consent-agree');
      await page.selectOption('#consent-method', 'written');
      await page.click('#consent-form-submit');
      await visible(page, '#person-form');
      await check('#person-form', 2);
      await page.fill('#person-family_name', `Бар-${lang}`);
      await page.click('#person-form-submit');
      await page.locator('#case-form:visible, #reg-dup-register').first().waitFor();
      if (await page.isVisible('#reg-dup-register')) await page.click('#reg-dup-register');
      await visible(page, '#case-form');
      await check('#case-form', 1);

      await context.clearCookies();
      await page.goto(srv.url + '/');
      await visible(page, '#login-view');
      await page.fill('#login', 'p-hotline');
      await page.fill('#password', PW);
      await page.click('#login-submit');
      await visible(page, '#app-frame');
      await page.evaluate(() => { location.hash = '#/hotline'; });
      await visible(page, '#hl-form');
      await check('#hl-form', 2);
      assert.deepEqual(problems.filter((p) => !/status of (401|409)\b/.test(p)), []);
    } finally {
      await context.close();
    }
  });
}
