// Administration through the pages, in Tajik, Russian and English, on a
// desktop and a phone: an administrator creates a user (the one-time
// password is shown once), the user signs in in a second browser and must
// change it first, the administrator disables the user, and the user's
// open session gets 401 at its next request.  Then organisations, API
// tokens and role policies.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { catalogue } from '../../web/i18n.js';
import { launch, watchConsole, visible, waitText, noHorizontalScroll, WAIT } from './helpers.mjs';

const ADMIN = { login: 'admin1', role: 'admin', password: 'Маъмури-асосӣ 2025' };

let srv;
let browser;

before(async () => {
  srv = await startServer({ users: [ADMIN] });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await srv?.stop();
  srv?.cleanup();
});

async function open(viewport, lang) {
  const context = await browser.newContext({ viewport });
  context.setDefaultTimeout(WAIT);
  const page = await context.newPage();
  const problems = watchConsole(page);
  page.on('dialog', (d) => d.accept());
  await page.goto(srv.url + '/');
  await visible(page, '#login-view');
  await page.selectOption('#lang', lang);
  return { context, page, problems };
}

async function signIn(page, login, password) {
  await page.fill('#login', login);
  await page.fill('#password', password);
  await page.click('#login-submit');
}

// Problems other than the answers the scenario expects (401 of the ended
// session, 4xx of refused inputs).
const unexpected = (problems) => problems.filter((p) => !/status of (401|403|409|422)\b/.test(p));

const CASES = [
  { lang: 'tg', viewport: { width: 1280, height: 800 } },
  { lang: 'ru', viewport: { width: 390, height: 844 } },
  { lang: 'en', viewport: { width: 1280, height: 800 } },
  { lang: 'tg', viewport: { width: 390, height: 844 } },
];

for (const { lang, viewport } of CASES) {
  test(`${lang} ${viewport.width}px: create a user, forced password change, disable ends the open session`, async () => {
    const login = `user-${lang}-${viewport.width}`;
    const admin = await open(viewport, lang);
    const user = await open(viewport, lang);
    try {
      const a = admin.page;
      await signIn(a, ADMIN.login, ADMIN.password);
      await visible(a, '#app-frame');
      await a.goto(srv.url + '/#/admin/users');
      await waitText(a, '#page-title', catalogue['adm.tab_users'][lang]);
      await visible(a, '#user-new-login');
      await a.fill('#user-new-login', login);
      await a.selectOption('#user-new-role', 'caseworker');
      await a.click('#user-create');
      await visible(a, '#onetime-password');
      const once = (await a.textContent('#onetime-password')).trim();
      assert.match(once, /^[A-Za-z0-9]{20}$/);
      await visible(a, `#user-list [data-login="${login}"]`);
      assert.ok(await noHorizontalScroll(a), 'the users page fits the screen');
      // Shown once: a reload does not show it again.
      await a.reload();
      await visible(a, `#user-list [data-login="${login}"]`);
      assert.equal(await a.locator('#onetime-password').count(), 0);

      // The user signs in elsewhere and must change the password first.
      const u = user.page;
      await signIn(u, login, once);
      await visible(u, '#pw-current');
      await waitText(u, '#page-title', catalogue['pw.title'][lang]);
      assert.equal(await u.evaluate(async () => (await fetch('/api/v1/cases')).status), 403);
      await u.fill('#pw-current', once);
      await u.fill('#pw-new', 'qwerty123456');
      await u.fill('#pw-new2', 'qwerty123456');
      await u.click('#pw-submit');
      await waitText(u, '#pw-message', catalogue['adm.err_weak'][lang]);
      const mine = `Боғи нав дар ${lang} ${viewport.width}`;
      await u.fill('#pw-new', mine);
      await u.fill('#pw-new2', mine);
      await u.click('#pw-submit');
      await waitText(u, '#page-title', catalogue['nav.home'][lang]);
      assert.equal(await u.evaluate(async () => (await fetch('/api/v1/cases')).status), 200);
      assert.ok(await noHorizontalScroll(u));

      // The administrator disables the user: the open session ends at once.
      const card = a.locator(`#user-list [data-login="${login}"]`);
      await card.locator('button[data-action="disable"]').click();
      await waitText(a, '#adm-message', catalogue['adm.done_disable'][lang]);
      await visible(a, `#user-list [data-login="${login}"] button[data-action="enable"]`);
      assert.equal(await u.evaluate(async () => (await fetch('/api/v1/cases')).status), 401);
      // And the page shows the login form at its next request.
      await u.evaluate(() => { location.hash = '#/cases'; });
      await visible(u, '#login-view');
      assert.deepEqual(unexpected(admin.problems), []);
      assert.deepEqual(unexpected(user.problems).filter((p) => !/cases|me/.test(p)), []);
    } finally {
      await admin.context.close();
      await user.context.close();
    }
  });
}

test('organisations, API tokens and role policies through the pages (ru)', async () => {
  const { context, page, problems } = await open({ width: 1280, height: 800 }, 'ru');
  try {
    await signIn(page, ADMIN.login, ADMIN.password);
    await visible(page, '#app-frame');

    await page.goto(srv.url + '/#/admin/orgs');
    await visible(page, '#org-code');
    await page.fill('#org-code', 'umed');
    await page.fill('#org-name', 'Умед');
    await page.selectOption('#org-type', 'NGO');
    await page.selectOption('#org-sector', 'shelter');
    await page.fill('#org-admin', 'umed.admin');
    await page.click('#org-create');
    await visible(page, '#onetime-password');
    await visible(page, '#org-list [data-code="umed"]');
    assert.match(await page.textContent('#org-list [data-code="umed"]'), /Приют/);
    await page.click('#org-list [data-code="umed"] summary');
    await page.fill('#org-umed-name', 'Умед-2');
    await page.selectOption('#org-umed-sector', 'legal_aid');
    await page.fill('#org-umed-contact_phone', '+992 44 600 77 88');
    await page.fill('#org-umed-contact_email', 'nrm@umed.example');
    await page.click('#org-list [data-code="umed"] button[type="submit"]');
    await waitText(page, '#adm-message', catalogue['adm.done_org_saved'].ru);
    await waitText(page, '#org-list [data-code="umed"] strong', 'Умед-2');
    assert.match(await page.textContent('#org-list [data-code="umed"] .muted'), /Юридическая помощь/);
    await page.click('#org-list [data-code="umed"] summary');
    assert.equal(await page.inputValue('#org-umed-contact_phone'), '+992 44 600 77 88', 'the contact for partners is kept');
    assert.equal(await page.inputValue('#org-umed-contact_email'), 'nrm@umed.example');

    await page.click('#adm-tab-tokens');
    await visible(page, '#token-login');
    await page.selectOption('#token-login', ADMIN.login);
    await page.fill('#token-label', 'отчёты');
    const soon = new Date(Date.now() + 10 * 86400000).toISOString().slice(0, 10);
    await page.fill('#token-expires', soon);
    await page.click('#token-create');
    await visible(page, '#token-secret');
    const secret = (await page.textContent('#token-secret')).trim();
    assert.ok(secret.length >= 40);
    const ok = await fetch(srv.url + '/api/v1/me', { headers: { authorization: 'Bearer ' + secret } });
    assert.equal(ok.status, 200);
    const item = page.locator('#token-list li', { hasText: 'отчёты' });
    await item.locator('button[data-action="revoke"]').click();
    await waitText(page, '#adm-message', catalogue['adm.done_token_revoked'].ru);
    const gone = await fetch(srv.url + '/api/v1/me', { headers: { authorization: 'Bearer ' + secret } });
    assert.equal(gone.status, 401);

    await page.click('#adm-tab-roles');
    await visible(page, '#role-totp-trainer');
    await page.check('#role-totp-trainer');
    await waitText(page, '#adm-message', catalogue['adm.done_role_policy'].ru);
    const roles = await page.evaluate(async () => (await (await fetch('/api/v1/roles')).json()).items);
    assert.equal(roles.find((r) => r.role === 'trainer').require_totp, true);
    assert.deepEqual(unexpected(problems), []);
  } finally {
    await context.close();
  }
});
