// Each role's home, on a real `himoya serve` and Debian's headless
// chromium: after sign-in a case worker, a hotline operator, a focal
// point, a supervisor, an analyst and a trainer land on their own work,
// and every figure on the home page equals the length of the list its
// link opens (and, where the scene fixes it, the number the scene set).
// At 1280x800 and 390x844, in tg, ru and en.  Then the persons list: a
// search in another script, and "mine".
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client } from '../lib/server.mjs';
import { launch, watchConsole, waitText, visible, noHorizontalScroll, WAIT } from './helpers.mjs';

const PW = 'Хона-и Умед 2025!';
const U = {
  cw: { login: 'shahnoza', role: 'caseworker' },
  hot: { login: 'firuza', role: 'hotline' },
  sup: { login: 'rustam', role: 'supervisor' },
  an: { login: 'malika', role: 'analyst' },
  tr: { login: 'bahrom', role: 'trainer' },
  fp: { login: 'davron', role: 'focal_point', org: 'police' },
};
for (const u of Object.values(U)) u.password = PW;
const VIEWPORTS = [{ width: 1280, height: 800 }, { width: 390, height: 844 }];
const LANGS = ['tg', 'ru', 'en'];

let srv;
let browser;
const as = {};
// What the scene sets, for the figures that do not depend on the hour.
const want = {};

const day = (offset) => new Date(Date.now() + offset * 86400000).toISOString().slice(0, 10);
const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

async function ok(who, method, path, body, status = [200, 201], headers) {
  const r = await as[who].req(method, '/api/v1' + path, body, headers);
  assert.ok([].concat(status).includes(r.status), `${method} ${path}: ${r.status} ${r.text}`);
  return r.json;
}

async function openCase(given, family) {
  const p = await ok('cw', 'POST', '/persons', { given_name: given, family_name: family });
  await ok('cw', 'POST', `/persons/${p.id}/consents`, { purpose: 'assistance', method: 'written' });
  await ok('cw', 'POST', `/persons/${p.id}/consents`, { purpose: 'referral', method: 'written' });
  return ok('cw', 'POST', '/cases', { person_id: p.id });
}

before(async () => {
  srv = await startServer({
    users: Object.values(U),
    orgs: [{ code: 'police', name: 'Police of Dushanbe', type: 'LawEnforcement' }],
  });
  browser = await launch();
  for (const [k, u] of Object.entries(U)) {
    as[k] = new Client(srv.url);
    assert.equal((await as[k].login(u.login, PW)).status, 200);
  }
  // Three open cases of the case worker: two at two stages, one in follow-up.
  const a = await openCase('Ҷамшед', 'Ҳайдаров');
  const b = await openCase('Зарина', 'Қодирова');
  const c = await openCase('Парвина', 'Раҳимова');
  await ok('cw', 'PATCH', `/cases/${b.id}`, { stage: 'screening' }, 200, { 'if-match': `"${b.version}"` });
  await ok('cw', 'PATCH', `/cases/${c.id}`, { status: 'FollowUp' }, 200, { 'if-match': `"${c.version}"` });
  // A supervisor's own case, unassigned to the case worker.
  const p = await ok('sup', 'POST', '/persons', { given_name: 'Ойша', family_name: 'Сафарова' });
  await ok('sup', 'POST', `/persons/${p.id}/consents`, { purpose: 'assistance', method: 'written' });
  await ok('sup', 'POST', '/cases', { person_id: p.id });
  // Follow-ups: one overdue, one tomorrow.
  await ok('cw', 'POST', `/cases/${a.id}/followups`, { due: day(-2) });
  await ok('cw', 'POST', `/cases/${b.id}/followups`, { due: day(1) });
  // Referrals to the police: one waiting for an answer, one accepted.
  const share = ['gender'];
  await ok('cw', 'POST', '/referrals', { case_id: a.id, to_org: 'police', service_type: 'legal', reason: 'a statement', share });
  const r2 = await ok('cw', 'POST', '/referrals', { case_id: b.id, to_org: 'police', service_type: 'legal', reason: 'identification', share });
  await ok('fp', 'POST', `/referrals/${r2.id}/accept`, {});
  // Callbacks: one overdue, one later.
  await ok('hot', 'POST', '/callbacks', { phone: '+992 93 555 10 20', due: iso(Date.now() - 3600000) });
  await ok('hot', 'POST', '/callbacks', { phone: '+992 93 555 10 21', due: iso(Date.now() + 3 * 86400000) });
  // Trainings: one coming, one past.
  await ok('tr', 'POST', '/trainings', { topic: 'Шиносоии қурбониён', start: day(5), end: day(6), place: 'Хуҷанд', organiser_org: 'iom' });
  await ok('tr', 'POST', '/trainings', { topic: 'Old course', start: '2025-01-10', end: '2025-01-11', place: 'Бохтар', organiser_org: 'iom' });
  Object.assign(want, {
    'home-followups': 1, 'home-ref-waiting': 1, 'home-ref-in': 1, 'home-decisions': 1,
    'home-cb-overdue': 1, 'home-team-followups': 1, 'home-my-all': 2, 'home-team-all': 3,
  });
});

after(async () => {
  await browser?.close();
  await srv?.stop();
  srv?.cleanup();
});

async function signIn(viewport, user) {
  const context = await browser.newContext({ viewport });
  context.setDefaultTimeout(20000);
  const page = await context.newPage();
  const problems = watchConsole(page);
  await page.goto(srv.url + '/');
  await visible(page, '#login-view');
  await page.fill('#login', user.login);
  await page.fill('#password', user.password);
  await page.click('#login-submit');
  await visible(page, '#app-frame');
  await waitText(page, '#user-name', user.login);
  return { context, page, problems };
}

async function goHome(page, lang) {
  await page.selectOption('#lang', lang);
  await page.evaluate(() => { location.hash = '#/cases'; });
  await page.evaluate(() => { location.hash = '#/'; });
}

// The rows of a list once it has loaded (no aria-busy, and n rows or a
// message); the count as it is after at most a few seconds.
async function rows(page, list, selector, n) {
  try {
    await page.waitForFunction(([l, s, k]) => {
      const node = document.querySelector(l);
      return node && !node.hasAttribute('aria-busy') && document.querySelectorAll(s).length === k;
    }, [list, selector, n], { timeout: 5000 });
  } catch { /* the assertion below says what was there */ }
  return page.locator(selector).count();
}

// The elements that stick out to the right, for the failure message.
function wideOnes(page) {
  return page.evaluate(() => [...document.querySelectorAll('body *')]
    .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 0.5)
    .slice(-5).map((e) => `${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''}.${e.className} (${Math.round(e.getBoundingClientRect().right)})`).join(', '));
}

const LISTS = {
  '#/cases': ['#case-list', '#case-list > li'],
  '#/followups': ['#followups-list', '#followups-list > li'],
  '#/referrals': ['#ref-list', '#ref-list > li'],
  '#/callbacks': ['#cb-list', '#cb-list > li'],
  '#/focal': ['#decisions-due', '#decisions-due > li'],
};

// Every figure on the home page: follow its link, count the list, come back.
async function checkFigures(page, lang, ids) {
  const what = `${lang} ${page.viewportSize().width}px`;
  for (const id of ids) await visible(page, `#${id}`);
  const figures = await page.$$eval('#home a[data-count]', (as) => as.map((a) => ({
    id: a.id, count: Number(a.dataset.count), href: a.getAttribute('href'),
    status: a.dataset.status || '', stage: a.dataset.stage || '',
  })));
  assert.ok(figures.length >= ids.length, `${what}: figures on the home page`);
  for (const id of ids) assert.ok(figures.some((f) => f.id === id), `${what}: #${id} on the home page`);
  for (const [id, n] of Object.entries(want)) {
    const f = figures.find((x) => x.id === id);
    if (f) assert.equal(f.count, n, `${what}: #${id} shows what the scene set`);
  }
  for (let i = 0; i < figures.length; i++) {
    const f = figures[i];
    await page.locator('#home a[data-count]').nth(i).click();
    // The list's own page, not the home page it came from: a focal point's
    // home holds a #decisions-due of its own, whose rows were counted once
    // the click had been made but before the next page was drawn.
    await page.waitForFunction(() => !document.getElementById('home'), null, { timeout: WAIT });
    const [list, sel] = LISTS[f.href];
    assert.ok(list, `${what}: a list for ${f.href}`);
    const got = await rows(page, list, sel, f.count);
    assert.equal(got, f.count, `${what}: ${f.id || `${f.status}/${f.stage}`} says ${f.count}, its list ${f.href} has ${got}`);
    if (f.href === '#/cases' && f.stage) {
      const stages = await page.$$eval('#case-list > li', (lis) => lis.length);
      assert.equal(stages, f.count);
    }
    await page.evaluate(() => { location.hash = '#/'; });
    await visible(page, `#${ids[0]}`);
  }
  assert.ok(await noHorizontalScroll(page), `${what}: home no wider than the screen: ${await wideOnes(page)}`);
}

const ROLES = [
  ['cw', ['home-followups', 'home-ref-waiting', 'home-my-all'], async (page) => {
    assert.equal(await page.locator('#home-my-stages tbody tr').count(), 2, 'two stages with open cases');
  }],
  ['hot', ['home-cb-overdue', 'home-cb-due'], async (page) => {
    await visible(page, '#home-hotline form >> nth=0');
  }],
  ['fp', ['home-ref-in', 'home-decisions'], async (page) => {
    await visible(page, '#home-focal #decisions-due');
  }],
  ['sup', ['home-team-followups', 'home-ref-overdue', 'home-cb-overdue', 'home-team-all'], async () => {}],
];

for (const viewport of VIEWPORTS) {
  for (const [who, ids, extra] of ROLES) {
    test(`${U[who].role} lands on their work and its figures equal their lists, ${viewport.width}px`, async () => {
      const { context, page, problems } = await signIn(viewport, U[who]);
      try {
        for (const lang of LANGS) {
          await goHome(page, lang);
          await checkFigures(page, lang, ids);
          await extra(page);
          assert.equal(await page.evaluate(() => document.documentElement.lang), lang);
          const text = await page.textContent('#home');
          assert.doesNotMatch(text, /\bhome\.[a-z_]+/, `${lang}: no catalogue key shows`);
        }
        assert.deepEqual(problems, []);
      } finally {
        await context.close();
      }
    });
  }

  test(`the analyst lands on the dashboard, the trainer on coming events, ${viewport.width}px`, async () => {
    const a = await signIn(viewport, U.an);
    try {
      for (const lang of LANGS) {
        await goHome(a.page, lang);
        // The dashboard's first figure (a chart, or "nothing to show": the
        // analyst's counts are rounded to 0 or multiples of k by the
        // installation's random record keys, so a small test set may draw none).
        await a.page.locator('#dash-stage').waitFor({ state: 'visible', timeout: WAIT });
        assert.ok(await noHorizontalScroll(a.page), `${lang}: dashboard fits`);
      }
      assert.deepEqual(a.problems, []);
    } finally {
      await a.context.close();
    }
    const t = await signIn(viewport, U.tr);
    try {
      for (const lang of LANGS) {
        await goHome(t.page, lang);
        await visible(t.page, '#home-coming');
        assert.equal(await t.page.locator('#home-coming > li').count(), 1, `${lang}: one coming event, the past one not`);
        assert.ok(await noHorizontalScroll(t.page), `${lang}: fits`);
      }
      assert.deepEqual(t.problems, []);
    } finally {
      await t.context.close();
    }
  });
}

test('the persons list: mine, recent, and a search in another script', async () => {
  const { context, page, problems } = await signIn(VIEWPORTS[1], U.cw);
  try {
    await page.selectOption('#lang', 'ru');
    await page.click('#nav-toggle');
    await page.click('#nav-persons');
    await visible(page, '#persons-list');
    assert.equal(await rows(page, '#persons-list', '#persons-list > li', 3), 3, 'the persons of my three cases');
    assert.doesNotMatch(await page.textContent('#view'), /готовится/);
    await page.fill('#persons-q', 'Хайдаров Джамшед');
    await page.click('#persons-search');
    await page.waitForFunction(() => document.querySelector('#persons-list .person-name')?.textContent.includes('Ҳайдаров'), null, { timeout: WAIT });
    await page.click('#persons-list a[data-case]');
    await page.waitForFunction(() => /^#\/cases\/[^/]+$/.test(location.hash));
    assert.ok(await noHorizontalScroll(page));
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
