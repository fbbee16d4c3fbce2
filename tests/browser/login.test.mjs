// The login page and the frame, end to end: a real `himoya serve` on
// loopback (tests/lib/server.mjs) and Debian's headless chromium.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { launch, watchConsole, textOf, waitText, visible, hidden, noHorizontalScroll } from './helpers.mjs';

// An analyst sees aggregates only, so no server policy asks it for a TOTP.
const USER = { login: 'dilnoza', role: 'analyst', password: 'Kӯҳи-Варзоб 2024!' };

let srv;
let browser;

before(async () => {
  srv = await startServer({ users: [USER] });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await srv?.stop();
  srv?.cleanup();
});

async function newPage(options = {}) {
  const context = await browser.newContext(options);
  context.setDefaultTimeout(20000);
  const page = await context.newPage();
  return { context, page, problems: watchConsole(page) };
}

async function signIn(page, login, password) {
  await page.fill('#login', login);
  await page.fill('#password', password);
  await page.click('#login-submit');
}

test('login: wrong password, three languages, sign in, frame, sign out', async () => {
  const { context, page, problems } = await newPage({ viewport: { width: 1280, height: 800 } });
  try {
    await page.goto(srv.url + '/');
    await visible(page, '#login-view');
    assert.equal(await page.isHidden('#app-frame'), true);
    assert.equal(await page.getAttribute('html', 'lang'), 'tg', 'Tajik is the default');
    assert.equal(await page.inputValue('#lang'), 'tg');
    assert.equal(await textOf(page, 'label[for="login"]'), 'Номи корбар');

    // A wrong password: a translated error in an alert, nothing else.
    await signIn(page, USER.login, 'not the password');
    await waitText(page, '#login-error', 'Номи корбар ё парол нодуруст аст.');
    assert.equal(await page.getAttribute('#login-error', 'role'), 'alert');
    assert.equal(await page.isVisible('#login-view'), true);
    assert.equal(await page.inputValue('#password'), '', 'the refused password is cleared');

    // Russian, then English: labels, the shown error and <html lang> follow.
    await page.selectOption('#lang', 'ru');
    await waitText(page, 'label[for="login"]', 'Логин');
    assert.equal(await textOf(page, 'label[for="password"]'), 'Пароль');
    assert.equal(await textOf(page, '#login-error'), 'Неверный логин или пароль.');
    assert.equal(await textOf(page, '#login-submit'), 'Войти');
    assert.equal(await page.getAttribute('html', 'lang'), 'ru');
    await page.selectOption('#lang', 'en');
    await waitText(page, 'label[for="login"]', 'Login');
    assert.equal(await textOf(page, '#login-error'), 'Wrong login or password.');
    assert.equal(await page.getAttribute('html', 'lang'), 'en');

    // The choice is remembered.
    await page.reload();
    await visible(page, '#login-view');
    assert.equal(await page.inputValue('#lang'), 'en');
    assert.equal(await textOf(page, 'label[for="login"]'), 'Login');

    // The right password: the frame, with who is signed in.
    await signIn(page, USER.login, USER.password);
    await visible(page, '#app-frame');
    assert.equal(await page.isHidden('#login-view'), true);
    await waitText(page, '#user-name', USER.login);
    // The role's name is the code list's label (GET /api/v1/schema).
    await waitText(page, '#user-role', 'M&E / data officer');
    assert.equal(await textOf(page, '#user-org'), 'IOM Tajikistan');
    assert.equal(await textOf(page, '#page-title'), 'Reports', 'an analyst lands on the dashboard');
    assert.equal(await page.isVisible('#lang'), true, 'the language switch is in the frame too');

    // A section through the menu and its hash route.
    await page.click('#nav-reports');
    await waitText(page, '#page-title', 'Reports');
    await visible(page, '#dash-filters');
    assert.equal(new URL(page.url()).hash, '#/reports');
    assert.equal(await page.getAttribute('#nav-reports', 'aria-current'), 'page');

    // Back to Tajik inside the frame.
    await page.selectOption('#lang', 'tg');
    await waitText(page, '#page-title', 'Ҳисоботҳо');
    await waitText(page, '#user-role', 'Мутахассиси мониторинг ва арзёбӣ');

    // A reload keeps the session (GET /api/v1/me answers 200).
    await page.reload();
    await visible(page, '#app-frame');
    await waitText(page, '#user-name', USER.login);
    await waitText(page, '#page-title', 'Ҳисоботҳо');

    // Sign out: back to the login view, and the server's session is gone.
    await page.click('#logout');
    await visible(page, '#login-view');
    assert.equal(await page.isHidden('#app-frame'), true);
    const status = await page.evaluate(async () => (await fetch('/api/v1/me')).status);
    assert.equal(status, 401);

    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('phone screen 360x740: login fits, menu collapses behind a button', async () => {
  const { context, page, problems } = await newPage({
    viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true,
  });
  try {
    await page.goto(srv.url + '/');
    await visible(page, '#login-view');
    assert.equal(await noHorizontalScroll(page), true, 'login view wider than the screen');
    for (const sel of ['#login', '#password', '#login-submit', '#lang']) {
      const box = await page.locator(sel).boundingBox();
      assert.ok(box && box.x >= 0 && box.x + box.width <= 360, `${sel} outside the screen`);
      assert.ok(box.height >= 32, `${sel} too small to tap`);
    }

    await signIn(page, USER.login, USER.password);
    await visible(page, '#app-frame');
    await waitText(page, '#user-name', USER.login);
    assert.equal(await noHorizontalScroll(page), true, 'frame wider than the screen');
    for (const sel of ['#nav-toggle', '#logout', '#lang', '#user-name']) {
      const box = await page.locator(sel).boundingBox();
      assert.ok(box && box.x >= 0 && box.x + box.width <= 360, `${sel} outside the screen`);
    }

    // The menu is closed until the button opens it; choosing closes it.
    assert.equal(await page.isHidden('#nav'), true);
    assert.equal(await page.getAttribute('#nav-toggle', 'aria-expanded'), 'false');
    await page.tap('#nav-toggle');
    await visible(page, '#nav');
    assert.equal(await page.getAttribute('#nav-toggle', 'aria-expanded'), 'true');
    await page.tap('#nav-reports');
    await waitText(page, '#page-title', 'Ҳисоботҳо');
    await hidden(page, '#nav');
    assert.equal(await page.getAttribute('#nav-toggle', 'aria-expanded'), 'false');

    await page.tap('#logout');
    await visible(page, '#login-view');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

// The second factor and the rate limit, with the server's answers stubbed
// in the browser (the static files still come from the real server): the
// UI's handling of each documented answer, and the headers it sends.
test('login: TOTP step, wrong code, rate limit, CSRF header on sign out', async () => {
  const { context, page, problems } = await newPage({ viewport: { width: 1024, height: 768 } });
  const seen = [];
  let limited = false;
  const problem = (status, type) => ({
    status, contentType: 'application/problem+json', body: JSON.stringify({ type, title: type, status }),
  });
  try {
    await page.route('**/api/v1/me', (route) => route.fulfill(problem(401, 'not-signed-in')));
    // The session is played here, so the schema (where the role's name is) too.
    await page.route('**/api/v1/schema', (route) => route.fulfill({
      status: 200, contentType: 'application/json',
      body: JSON.stringify({ resources: {}, indicators: {}, codes: { roles: [{ code: 'admin', tg: 'Маъмур', ru: 'Администратор', en: 'Administrator' }] } }),
    }));
    await page.route('**/api/v1/session', (route) => {
      const req = route.request();
      seen.push({ method: req.method(), headers: req.headers(), body: req.postDataJSON?.() ?? null });
      if (req.method() === 'DELETE') return route.fulfill({ status: 204 });
      if (limited) return route.fulfill(problem(429, 'rate-limited'));
      const body = req.postDataJSON();
      if (body.password !== 'pw') return route.fulfill(problem(401, 'invalid-credentials'));
      if (!body.totp) return route.fulfill(problem(401, 'totp-required'));
      if (body.totp !== '123456') return route.fulfill(problem(401, 'totp-invalid'));
      return route.fulfill({
        status: 200, contentType: 'application/json',
        body: JSON.stringify({
          user: { id: 'u1', login: 'farrukh', role: 'admin', org: { code: 'ngo1', name: 'Ҷамъияти «Ҳамроҳ»', type: 'NGO' } },
          csrf_token: 'csrf-abc',
        }),
      });
    });

    await page.goto(srv.url + '/');
    await visible(page, '#login-view');
    await page.selectOption('#lang', 'tg');

    await signIn(page, 'farrukh', 'pw');
    await visible(page, '#totp');
    assert.equal(await page.getAttribute('#totp', 'inputmode'), 'numeric');
    assert.equal(await page.getAttribute('#totp', 'autocomplete'), 'one-time-code');
    assert.equal(await page.isHidden('#password'), true);
    assert.equal(await textOf(page, '#login-error'), '', 'asking for the code is not an error');
    assert.deepEqual(seen[0].body, { login: 'farrukh', password: 'pw' });
    assert.match(seen[0].headers['content-type'], /^application\/json/);

    await page.fill('#totp', '12');
    await page.click('#login-submit');
    await waitText(page, '#login-error', 'Рамз бояд аз 6 рақам иборат бошад.');
    assert.equal(seen.length, 1, 'a malformed code is not sent');

    await page.fill('#totp', '000000');
    await page.click('#login-submit');
    await waitText(page, '#login-error', 'Рамз нодуруст аст. Бори дигар кӯшиш кунед.');
    assert.deepEqual(seen[1].body, { login: 'farrukh', password: 'pw', totp: '000000' });

    await page.fill('#totp', '123456');
    await page.press('#totp', 'Enter');
    await visible(page, '#app-frame');
    await waitText(page, '#user-name', 'farrukh');
    await waitText(page, '#user-role', 'Маъмур');
    assert.equal(await textOf(page, '#user-org'), 'Ҷамъияти «Ҳамроҳ»');

    await page.click('#logout');
    await visible(page, '#login-view');
    const del = seen.find((r) => r.method === 'DELETE');
    assert.ok(del, 'DELETE /api/v1/session was sent');
    assert.equal(del.headers['x-csrf-token'], 'csrf-abc');
    assert.match(del.headers['content-type'], /^application\/json/);
    assert.equal(await page.isHidden('#totp'), true, 'the form starts over at the password step');

    limited = true;
    await signIn(page, 'farrukh', 'pw');
    await waitText(page, '#login-error', 'Кӯшишҳо аз ҳад зиёд шуданд. Баъдтар боз кӯшиш кунед.');

    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
