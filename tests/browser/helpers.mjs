// Shared pieces of the browser tests: Debian's chromium driven by
// playwright-core (no browser download), and a watcher that turns console
// errors, CSP violations and uncaught exceptions into test failures.
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.HIMOYA_CHROMIUM || '/usr/bin/chromium';

// Generous: a login hashes with Argon2id, slow under the sanitizer build.
export const WAIT = 15000;

export function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

// Chromium logs every 4xx answer to fetch() as a console error. Those the
// UI expects (401 from /me when signed out, 401/429 from a refused login,
// the 409 with which a registration asks about a likely duplicate) are not
// faults; anything else is.
const EXPECTED_STATUS = /^Failed to load resource: the server responded with a status of (401|429)\b/;
const EXPECTED_URL = /\/api\/v1\/(me|session)$/;
const EXPECTED_409 = /^Failed to load resource: the server responded with a status of 409\b/;
const EXPECTED_409_URL = /\/api\/v1\/persons\?duplicates=check$/;

export function watchConsole(page) {
  const problems = [];
  page.on('console', (m) => {
    if (m.type() !== 'error' && m.type() !== 'warning') return;
    const url = m.location()?.url || '';
    if (EXPECTED_STATUS.test(m.text()) && EXPECTED_URL.test(url)) return;
    if (EXPECTED_409.test(m.text()) && EXPECTED_409_URL.test(url)) return;
    problems.push(`console ${m.type()}: ${m.text()} ${url}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  return problems;
}

export async function textOf(page, selector) {
  return ((await page.textContent(selector)) ?? '').trim();
}

// Wait until selector's trimmed text is `want`; on timeout fail with a diff.
export async function waitText(page, selector, want, timeout = WAIT) {
  try {
    await page.waitForFunction(([s, w]) => document.querySelector(s)?.textContent.trim() === w,
      [selector, want], { timeout });
  } catch {
    assert.equal(await textOf(page, selector), want, `text of ${selector}`);
  }
}

// Sign in through the login view of the server at url as user ({login,
// password}), in lang when given; back when the frame names the user.
export async function signIn(page, url, user, lang) {
  await page.goto(url + '/');
  await visible(page, '#login-view');
  if (lang) await page.selectOption('#lang', lang);
  await page.fill('#login', user.login);
  await page.fill('#password', user.password);
  await page.click('#login-submit');
  await visible(page, '#app-frame');
  await waitText(page, '#user-name', user.login);
}

export async function visible(page, selector) {
  await page.locator(selector).waitFor({ state: 'visible', timeout: WAIT });
}

export async function hidden(page, selector) {
  await page.locator(selector).waitFor({ state: 'hidden', timeout: WAIT });
}

// True when nothing on the page is wider than the viewport.
export function noHorizontalScroll(page) {
  return page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
}

// The selects under scope whose chosen option's words do not fit the box
// (a select cuts its text without any scroll bar): [id, text] of each.
export function cutSelects(page, scope) {
  return page.$$eval(`${scope} select`, (sels) => {
    const ctx = document.createElement('canvas').getContext('2d');
    return sels.filter((s) => {
      const cs = getComputedStyle(s);
      ctx.font = `${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
      const text = s.selectedOptions[0] ? s.selectedOptions[0].textContent : '';
      const room = s.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight) - 20; // the arrow
      return ctx.measureText(text).width > room;
    }).map((s) => [s.id, s.selectedOptions[0] ? s.selectedOptions[0].textContent : '']);
  });
}
