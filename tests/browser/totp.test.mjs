// The second factor through the page: a role that requires it sends a
// user without one to the set-up page and nowhere else; the set-up takes
// the code of an authenticator app (computed here from the key the page
// shows); the next sign-in asks for a code in the login form's TOTP step.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, himoya } from '../lib/server.mjs';
import { totpCode, totpStep, awaitFreshStep } from '../lib/hostile.mjs';
import { launch, watchConsole, visible, hidden } from './helpers.mjs';

const USER = { login: 'farrukh', role: 'caseworker', password: 'Ҳисор-қалъа 2025!' };

let srv;
let browser;

before(async () => {
  srv = await startServer({ users: [USER] });
  const r = himoya(['role', 'set', '--data', srv.data, '--role', 'caseworker', '--require-totp', 'yes']);
  assert.equal(r.code, 0, r.err);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await srv?.stop();
  srv?.cleanup();
});

test('a required second factor is set up through the page, then asked at sign-in', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  context.setDefaultTimeout(20000);
  const page = await context.newPage();
  const problems = watchConsole(page);
  try {
    await page.goto(srv.url + '/#/cases');
    await page.fill('#login', USER.login);
    await page.fill('#password', USER.password);
    await page.click('#login-submit');

    // Only the set-up page, whatever the address asked for.
    await page.waitForSelector('#totp-secret');
    const secret = (await page.textContent('#totp-secret')).replace(/\s+/g, '');
    assert.match(secret, /^[A-Z2-7]{32}$/);
    assert.match(await page.textContent('#totp-uri'), /^otpauth:\/\/totp\/Himoya:farrukh\?secret=/);
    // The API refuses the case list until then.
    const refused = await page.evaluate(async () => (await fetch('/api/v1/cases')).status);
    assert.equal(refused, 403);

    await page.fill('#totp-setup-code', '000000' === totpCode(secret, totpStep()) ? '111111' : '000000');
    await page.click('#totp-setup-submit');
    await page.waitForFunction(() => (document.querySelector('#totp-message')?.textContent || '').trim().length > 0);
    await awaitFreshStep(3);
    const step = totpStep();
    await page.fill('#totp-setup-code', totpCode(secret, step));
    await page.click('#totp-setup-submit');
    // The address was #/cases all along: wait for the set-up page to go
    // and the list to come (the hash alone let the check below run before
    // the code was taken: 403 once in make check).
    await page.waitForFunction(() => !document.querySelector('#totp-secret')?.offsetParent
      && document.querySelector('#case-list, .case-list, #cases-list'));
    const ok = await page.evaluate(async () => (await fetch('/api/v1/cases')).status);
    assert.equal(ok, 200);

    // Sign out, sign in again: the login form asks for the code.
    await page.click('#logout');
    await visible(page, '#login-view');
    await page.fill('#login', USER.login);
    await page.fill('#password', USER.password);
    await page.click('#login-submit');
    await visible(page, '#totp');
    // The code that confirmed the set-up is not taken twice: wait for the next one.
    while (totpStep() === step) await new Promise((ok2) => setTimeout(ok2, 500));
    await page.fill('#totp', totpCode(secret, totpStep()));
    await page.click('#login-submit');
    await visible(page, '#app-frame');
    await hidden(page, '#login-view');
    assert.deepEqual(problems.filter((p) => !/401|403|Failed to load resource/.test(p)), []);
  } finally {
    await context.close();
  }
});
