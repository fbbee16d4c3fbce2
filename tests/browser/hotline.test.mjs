// The hotline desk in the browser, on a real `himoya serve` and Debian's
// headless chromium: an operator signs in and logs a data contact and a
// non-data contact with the keyboard only (page.keyboard, no clicks); the
// earlier-contacts banner finds a number that called before when it is
// typed in another format, with the caller's flag; a callback booked on
// the screen shows in the queue with its safe-to-call note, is assigned,
// opened (full number) and closed with an outcome; a saved contact is
// attached to a case and handed to the registration page; the supervisor
// reads the statistics; another organisation's operator sees nothing of
// the number; the screen fits a phone.  After each flow the API is asked
// whether the page really did what it showed.
//
// HIMOYA_SHOTS=DIR saves screenshots of the pages on the way.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer, Client } from '../lib/server.mjs';
import { sqlite } from '../lib/datadir.mjs';
import { launch, watchConsole, textOf, waitText, visible, hidden, noHorizontalScroll, WAIT } from './helpers.mjs';

const PW = 'Боғи-Ирам 2024!';
const HOT = { login: 'zarina', role: 'hotline', password: PW };
const SUP = { login: 'farhod', role: 'supervisor', password: PW };
const OTHER = { org: 'ngo2', login: 'other-hot', role: 'hotline', password: PW };

// The number that called before, as the first call wrote it, and as the
// operator types it now.
const EARLIER = '+992 93 123 45 67';
const TYPED = '0931234567';

let srv;
let browser;
let hot; // API clients, to set the scene and to check the result
let sup;
let other;
let seededCase;
let earlierContact;

before(async () => {
  srv = await startServer({
    orgs: [{ code: 'ngo2', name: 'Another NGO', type: 'NGO' }],
    users: [HOT, SUP, OTHER],
  });
  browser = await launch();
  hot = new Client(srv.url);
  assert.equal((await hot.login(HOT.login, PW)).status, 200);
  sup = new Client(srv.url);
  assert.equal((await sup.login(SUP.login, PW)).status, 200);
  other = new Client(srv.url);
  assert.equal((await other.login(OTHER.login, PW)).status, 200);

  // The earlier call of the number, and a flag on the caller.
  let r = await hot.req('POST', '/api/v1/contacts', {
    channel: 'whatsapp', call_type: 'data', caller_phone: EARLIER, topics: ['job_offer_check'],
    action: 'info_given', notes: 'Asked about a job offer in Kazan.',
  });
  assert.equal(r.status, 201, r.text);
  earlierContact = r.json;
  r = await sup.req('POST', '/api/v1/caller-flags', { phone: EARLIER, flag: 'at_risk', until: isoDay(30), note: 'husband checks the phone' });
  assert.equal(r.status, 201, r.text);

  // A case to attach a contact to.
  const p = await sup.req('POST', '/api/v1/persons', { given_name: 'Гулнора', family_name: 'Раҳимова' });
  assert.equal(p.status, 201, p.text);
  const k = await sup.req('POST', `/api/v1/persons/${p.json.id}/consents`, { purpose: 'assistance', method: 'written' });
  assert.equal(k.status, 201, k.text);
  const c = await sup.req('POST', '/api/v1/cases', { person_id: p.json.id });
  assert.equal(c.status, 201, c.text);
  seededCase = c.json;
});

after(async () => {
  await browser?.close();
  await srv?.stop();
  srv?.cleanup();
});

function isoDay(offset = 0) {
  const d = new Date();
  d.setDate(d.getDate() + offset);
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

async function newPage(options = { viewport: { width: 1280, height: 900 } }) {
  const context = await browser.newContext(options);
  context.setDefaultTimeout(20000);
  const page = await context.newPage();
  return { context, page, problems: watchConsole(page) };
}

async function shot(page, name) {
  if (!process.env.HIMOYA_SHOTS) return;
  const phone = page.viewportSize().width < 600;
  await page.screenshot({ path: join(process.env.HIMOYA_SHOTS, `${name}.png`), fullPage: !phone });
}

// Signing in with the keyboard: the login box has the focus.
async function signIn(page, user, lang = 'en') {
  await page.goto(srv.url + '/');
  await visible(page, '#login-view');
  await page.selectOption('#lang', lang);
  await page.focus('#login');
  await page.keyboard.type(user.login);
  await page.keyboard.press('Tab');
  await page.keyboard.type(user.password);
  await page.keyboard.press('Enter');
  await visible(page, '#app-frame');
  await waitText(page, '#user-name', user.login);
}

async function openHotline(page) {
  await page.evaluate(() => { location.hash = '#/hotline'; });
  await visible(page, '#hl-form');
  await page.waitForFunction(() => document.activeElement?.id === 'hl-type-data', null, { timeout: WAIT });
}

// Chromium reports every 4xx answer to fetch() as a console error; those a
// test provokes on purpose are not faults.
function unexpected(problems, ...statuses) {
  const ok = new RegExp(`status of (${statuses.join('|')})\\b`);
  return problems.filter((p) => !ok.test(p));
}

const focused = (page) => page.evaluate(() => document.activeElement?.id || document.activeElement?.tagName);

// The newest contacts of the organisation, through the API.
async function newest(client) {
  const r = await client.req('GET', '/api/v1/contacts');
  assert.equal(r.status, 200, r.text);
  return r.json.items;
}

test('an operator logs a data contact by keyboard only: banner, topics, indicators, notes, callback', async () => {
  const { context, page, problems } = await newPage();
  try {
    await signIn(page, HOT);
    assert.equal(await page.isVisible('#nav-hotline'), true, 'the hotline is in the menu');
    assert.equal(await page.isVisible('#nav-callbacks'), true, 'the callback queue is in the menu');
    assert.equal(await page.isVisible('#nav-hotstats'), false, 'the statistics are the supervisor’s');
    await openHotline(page);
    await waitText(page, '#page-title', 'Take a call');
    // The clock runs from the moment the screen opens.
    await page.waitForFunction(() => document.getElementById('hl-clock').textContent !== '00:00', null, { timeout: 4000 });
    assert.equal(await textOf(page, '#hl-clock-state'), 'running');
    // The key map is on the screen.
    assert.match(await textOf(page, '#hl-keys'), /Ctrl\+Enter\s*save and next/);
    assert.equal(await page.inputValue('#hl-kind'), 'anonymous', 'anonymous is the default; no name is asked');
    assert.equal(await page.locator('#hl-form input[name*="name"]').count(), 0);

    // d: a data call, the cursor goes to the number.
    await page.keyboard.press('d');
    assert.equal(await focused(page), 'hl-phone');
    await page.keyboard.type(TYPED);
    await visible(page, '#hl-earlier');
    await waitText(page, '#hl-earlier strong', 'Earlier contacts from this number: 1');
    assert.match(await textOf(page, '#hl-banner'), /Job offer check/);
    assert.match(await textOf(page, '#hl-banner'), /Last action: Information given/);
    assert.match(await textOf(page, '#hl-flags'), /At risk\s*until/);
    assert.match(await textOf(page, '#hl-flags'), new RegExp(isoDay(30).split('-').reverse().join('\\.')));

    // Esc leaves the box; digits tick topics, i goes to the indicators, a-k tick them.
    await page.keyboard.press('Escape');
    assert.equal(await focused(page), 'hl-screen');
    await page.keyboard.press('2');
    await page.keyboard.press('3');
    assert.equal(await page.isChecked('#hl-topic-job_offer_check'), true);
    assert.equal(await page.isChecked('#hl-topic-exploitation_report'), true);
    await page.keyboard.press('i');
    assert.equal(await focused(page), 'hl-ind-abuse_of_vulnerability');
    await page.keyboard.press('g');
    await page.keyboard.press('h');
    assert.equal(await page.isChecked('#hl-ind-retention_of_identity_documents'), true);
    assert.equal(await page.isChecked('#hl-ind-withholding_of_wages'), true);
    assert.equal(await page.isChecked('#hl-type-data'), true, 'letters inside the checklist are not call types');
    await page.keyboard.press('Escape');
    await page.keyboard.press('n');
    assert.equal(await focused(page), 'hl-notes');
    await page.keyboard.type('Работодатель забрал паспорт. Просит перезвонить.');
    await page.keyboard.press('Escape');
    // f: the knowledge base; an article found in Cyrillic is marked as told.
    await page.keyboard.press('f');
    assert.equal(await focused(page), 'hl-kb-q');
    await page.keyboard.type('патент');
    await page.keyboard.press('Enter');
    await page.locator('#hl-kb-list .kb-pick').first().waitFor({ state: 'visible', timeout: WAIT });
    for (let i = 0; i < 12 && !(await page.evaluate(() => document.activeElement?.classList.contains('kb-pick'))); i++) {
      await page.keyboard.press('Tab');
    }
    await page.keyboard.press('Enter');
    // The article marked is the one the cursor was on (read after the
    // mark: the list of the first letters typed may still have been
    // redrawn by the whole word's when the first row was read before).
    await page.locator('#hl-kb-list .kb-pick[aria-pressed="true"]').waitFor({ timeout: WAIT });
    const article = await page.evaluate(() =>
      document.querySelector('#hl-kb-list .kb-pick[aria-pressed="true"]').closest('li.card').dataset.id);
    assert.ok(article, 'an article is marked as told');
    await page.keyboard.press('Escape');
    assert.equal(await focused(page), 'hl-screen');
    assert.equal(await page.isChecked('#hl-type-data'), true, 'typing in the knowledge base is not a call type');
    await page.keyboard.press('x');
    assert.equal(await focused(page), 'hl-action');
    await page.keyboard.press('Escape');
    // b: book a callback; the time is offered, the safe-to-call note typed.
    await page.keyboard.press('b');
    assert.equal(await focused(page), 'hl-cb-note');
    const due = await page.inputValue('#hl-cb-due');
    assert.match(due, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
    const dueAt = new Date(due).getTime();
    assert.ok(dueAt > Date.now() + 50 * 60000 && dueAt < Date.now() + 70 * 60000, 'in an hour');
    await page.keyboard.type('only after 18:00, not the husband');
    await shot(page, 'hotline-data');

    // Ctrl+Enter: saved, and the screen is ready for the next call.
    await page.keyboard.press('Control+Enter');
    await visible(page, '#hl-last');
    await page.waitForFunction(() => /^Contact saved:/.test(document.getElementById('hl-msg').textContent), null, { timeout: WAIT });
    assert.match(await textOf(page, '#hl-last'), /Callback booked for/);
    assert.equal(await focused(page), 'hl-type-data', 'focus is back in the first field');
    assert.equal(await page.inputValue('#hl-phone'), '');
    assert.equal(await page.inputValue('#hl-notes'), '');
    assert.equal(await page.isChecked('#hl-topic-job_offer_check'), false);
    assert.equal(await page.isChecked('#hl-cb-book'), false);
    // The screen is ready for the next call: its clock runs from 0:00.
    assert.match(await textOf(page, '#hl-clock'), /^00:0[0-2]$/);
    assert.equal(await textOf(page, '#hl-clock-state'), 'running');
    assert.equal(await page.isHidden('#hl-banner'), true);

    // What the server holds.
    const r = await hot.req('GET', `/api/v1/contacts?phone=${encodeURIComponent('992931234567')}`);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.summary.count, 2);
    const mine = r.json.items.filter((x) => x.id !== earlierContact.id);
    assert.equal(mine.length, 1);
    const one = await hot.req('GET', `/api/v1/contacts/${mine[0].id}`);
    assert.equal(one.status, 200, one.text);
    const c = one.json;
    assert.equal(c.call_type, 'data');
    assert.equal(c.channel, 'phone');
    assert.equal(c.caller_kind, 'anonymous');
    assert.deepEqual([...c.topics].sort(), ['exploitation_report', 'job_offer_check']);
    assert.deepEqual([...c.indicators].sort(), ['retention_of_identity_documents', 'withholding_of_wages']);
    assert.equal(c.notes, 'Работодатель забрал паспорт. Просит перезвонить.');
    assert.equal(c.action, 'callback_booked');
    assert.deepEqual(c.kb_articles, [article]);
    assert.ok(Number.isInteger(c.duration_s) && c.duration_s >= 1, `duration_s ${c.duration_s}`);
    const cbs = await hot.req('GET', '/api/v1/callbacks?state=all');
    assert.equal(cbs.status, 200, cbs.text);
    const cb = cbs.json.items.find((x) => x.contact_id === c.id);
    assert.ok(cb, 'the callback is in the queue');
    assert.equal(cb.safe_note, 'only after 18:00, not the husband');
    assert.ok(Math.abs(new Date(cb.due).getTime() - dueAt) < 60000, `due ${cb.due}`);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('a non-data contact by keyboard only: one key, Enter, no personal field even when one was typed', async () => {
  const { context, page, problems } = await newPage();
  try {
    await signIn(page, HOT);
    await openHotline(page);
    const before = (await newest(hot)).length;
    // The operator starts typing a number, then the line goes silent.
    await page.keyboard.press('d');
    await page.keyboard.type('+992 90 000 00 01');
    await page.keyboard.press('Escape');
    await page.keyboard.press('s');
    // A number was typed: the type key asks first, naming what is lost,
    // with "keep" focused; Tab, Enter discards it.
    await visible(page, '#hl-confirm');
    assert.match(await textOf(page, '#hl-confirm-text'), /Change the call type to “Silent call”\? This discards what was entered: Caller's number\./);
    assert.equal(await focused(page), 'hl-confirm-keep');
    assert.equal(await page.isChecked('#hl-type-data'), true, 'nothing changes before the answer');
    await page.keyboard.press('Tab');
    assert.equal(await focused(page), 'hl-confirm-go');
    await page.keyboard.press('Enter');
    await hidden(page, '#hl-confirm');
    await hidden(page, '#hl-data');
    await visible(page, '#hl-nondata');
    await page.waitForFunction(() => /^Call type: Silent.*\(s\)$/.test(document.getElementById('hl-type-shown').textContent), null, { timeout: WAIT });
    assert.equal(await page.isChecked('#hl-type-silent'), true);
    // c: the channel select; a letter picks an option; Esc goes back.
    await page.keyboard.press('c');
    assert.equal(await focused(page), 'hl-channel');
    await page.keyboard.press('Escape');
    await page.keyboard.press('Enter');
    await visible(page, '#hl-last');
    await page.waitForFunction(() => /^Contact saved:/.test(document.getElementById('hl-msg').textContent), null, { timeout: WAIT });
    assert.equal(await focused(page), 'hl-type-data');
    await visible(page, '#hl-data');
    assert.equal(await page.locator('#hl-open-case').count(), 0, 'a non-data contact is not escalated');

    const items = await newest(hot);
    assert.equal(items.length, before + 1);
    const c = items[0];
    assert.equal(c.call_type, 'silent');
    for (const f of ['caller_phone', 'notes', 'caller_kind', 'caller_region', 'topics', 'indicators', 'callback', 'case_id']) {
      const v = c[f];
      assert.ok(v === undefined || v === null || (Array.isArray(v) && v.length === 0), `${f} is not kept: ${JSON.stringify(v)}`);
    }
    // Nobody can find that number: it was never stored.
    const r = await hot.req('GET', `/api/v1/contacts?phone=${encodeURIComponent('+992900000001')}`);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.summary.count, 0);

    // Hang-up, wrong number, test and abusive are one key each too.
    for (const [key, type] of [['h', 'hang_up'], ['w', 'wrong_number'], ['t', 'test'], ['a', 'abusive']]) {
      await page.keyboard.press(key);
      assert.equal(await page.isChecked(`#hl-type-${type}`), true, type);
      await hidden(page, '#hl-data');
    }
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.activeElement?.id === 'hl-type-data', null, { timeout: WAIT });
    const seen = new Set(items.map((x) => x.id));
    const fresh = (await newest(hot)).filter((x) => !seen.has(x.id));
    assert.deepEqual(fresh.map((x) => x.call_type), ['abusive']);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

async function notesOf(contact) {
  const r = await hot.req('GET', `/api/v1/contacts/${contact.id}`);
  assert.equal(r.status, 200, r.text);
  return r.json.notes;
}

test('a call saved as the line drops is logged once when saved again; changed after, the operator is told', async () => {
  const { context, page, problems } = await newPage();
  try {
    await signIn(page, HOT);
    await openHotline(page);
    const before = (await newest(hot)).length;
    // The save reaches the server and is made, but its answer is lost.
    let drops = 1;
    await page.route('**/api/v1/contacts', async (route) => {
      if (route.request().method() !== 'POST' || drops === 0) return route.fallback();
      drops -= 1;
      await route.fetch();
      await route.abort('connectionreset');
    });
    await page.keyboard.press('d');
    await page.keyboard.type('+992 93 765 43 21');
    await page.fill('#hl-notes', 'The line dropped while saving: one call, not two.');
    await page.click('#hl-save');
    await page.waitForFunction(() => document.getElementById('hl-msg').textContent.trim() !== '' && !/^Contact saved/.test(document.getElementById('hl-msg').textContent), null, { timeout: WAIT });
    assert.equal((await newest(hot)).length, before + 1, 'the first save was made');
    await page.waitForTimeout(1100); // the clock moves on: the duration sent differs
    await page.click('#hl-save');
    await page.waitForFunction(() => /^Contact saved:/.test(document.getElementById('hl-msg').textContent), null, { timeout: WAIT });
    const items = await newest(hot);
    assert.equal(items.length, before + 1, 'saved again, logged once');
    assert.equal(await notesOf(items[0]), 'The line dropped while saving: one call, not two.');

    // Again, but the operator corrects the notes before saving again: the
    // call was logged without the correction, and the screen says so
    // instead of logging it twice.
    drops = 1;
    await page.keyboard.press('d');
    await page.keyboard.type('+992 93 765 43 22');
    await page.fill('#hl-notes', 'First words.');
    await page.click('#hl-save');
    await page.waitForFunction(() => document.getElementById('hl-msg').textContent.trim() !== '' && !/^Contact saved/.test(document.getElementById('hl-msg').textContent), null, { timeout: WAIT });
    await page.fill('#hl-notes', 'First words, corrected.');
    await page.click('#hl-save');
    await waitText(page, '#hl-msg', 'This contact was saved before the connection dropped; the changes made after are not in it. Find it in the contacts list. Saving again now logs a new contact.');
    const after = await newest(hot);
    assert.equal(after.length, before + 2);
    assert.ok((await Promise.all(after.map(notesOf))).includes('First words.'));
    await page.click('#hl-save');
    await page.waitForFunction(() => /^Contact saved:/.test(document.getElementById('hl-msg').textContent), null, { timeout: WAIT });
    const known = new Set(after.map((x) => x.id));
    const fresh = (await newest(hot)).filter((x) => !known.has(x.id));
    assert.equal(fresh.length, 1, 'saved again on purpose: a new contact');
    assert.equal(await notesOf(fresh[0]), 'First words, corrected.');

    // A save whose server stopped before it finished (the key's row left
    // running for over a minute): the screen cannot say whether the call
    // was logged, and says so; the next save logs it anew.
    drops = 1;
    await page.keyboard.press('d');
    await page.keyboard.type('+992 93 765 43 23');
    await page.fill('#hl-notes', 'Server stopped.');
    await page.click('#hl-save');
    await page.waitForFunction(() => document.getElementById('hl-msg').textContent.trim() !== '' && !/^Contact saved/.test(document.getElementById('hl-msg').textContent), null, { timeout: WAIT });
    sqlite(join(srv.data, 'himoya.db'), 'UPDATE idempotency SET status = 0, answer = NULL, started = started - 3600 WHERE started = (SELECT max(started) FROM idempotency)');
    await page.click('#hl-save');
    await waitText(page, '#hl-msg', 'The earlier save of this contact did not finish. Before saving again, look in the contacts list whether it was logged; saving again now logs a new contact.');
    const count = (await newest(hot)).length;
    await page.click('#hl-save');
    await page.waitForFunction(() => /^Contact saved:/.test(document.getElementById('hl-msg').textContent), null, { timeout: WAIT });
    assert.equal((await newest(hot)).length, count + 1);
    assert.deepEqual(problems.filter((p) => !/Failed to load resource|ERR_CONNECTION_RESET|net::/.test(p)), []);
  } finally {
    await context.close();
  }
});

test('the callback queue: safe-to-call note in sight, number masked, assign, open, outcome, done', async () => {
  const { context, page, problems } = await newPage();
  try {
    await signIn(page, HOT);
    await page.evaluate(() => { location.hash = '#/callbacks'; });
    await waitText(page, '#page-title', 'Callback queue');
    const card = page.locator('.cb-card', { hasText: 'only after 18:00, not the husband' });
    await card.waitFor({ state: 'visible', timeout: WAIT });
    assert.match(await card.locator('.cb-safe').textContent(), /Safe to call:\s*only after 18:00, not the husband/);
    const masked = (await card.locator('.cb-phone').textContent()).trim();
    assert.match(masked, /45\s*67$/);
    assert.doesNotMatch(masked, /93\s*123/, 'the number is masked in the list');
    assert.match(await card.textContent(), /not assigned/);
    await shot(page, 'callbacks');

    await card.locator('.cb-assign').click();
    await page.waitForFunction(() => [...document.querySelectorAll('.cb-card')].some((c) => /assigned to me/.test(c.textContent)), null, { timeout: WAIT });
    await card.locator('.cb-open').click();
    await visible(page, '.cb-detail');
    assert.match(await card.locator('.cb-full-phone').textContent(), /93\D*123\D*45\D*67/);
    await card.locator('.cb-outcome').selectOption('reached');
    await card.locator('.cb-save').click();
    await card.locator('.badge.ok').waitFor({ state: 'visible', timeout: WAIT });
    assert.match(await card.textContent(), /Outcome: Reached/);

    const r = await hot.req('GET', '/api/v1/callbacks?state=done');
    assert.equal(r.status, 200, r.text);
    const cb = r.json.items.find((x) => x.safe_note === 'only after 18:00, not the husband');
    assert.ok(cb, 'the callback is done');
    assert.equal(cb.outcome, 'reached');
    const me = await hot.req('GET', '/api/v1/me');
    assert.equal(cb.assigned_to, me.json.user.id);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('the queue: a stale callback is not overwritten; another organisation’s callback is not listed', async () => {
  const { context, page, problems } = await newPage();
  const due = new Date(Date.now() + 2 * 3600 * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const mine = await hot.req('POST', '/api/v1/callbacks', { phone: '+992 98 111 22 33', due, safe_note: 'stale test' });
  assert.equal(mine.status, 201, mine.text);
  const theirs = await other.req('POST', '/api/v1/callbacks', { phone: '+992 98 999 88 77', due, safe_note: 'other organisation' });
  assert.equal(theirs.status, 201, theirs.text);
  try {
    await signIn(page, HOT);
    await page.evaluate(() => { location.hash = '#/callbacks'; });
    const card = page.locator(`.cb-card[data-id="${mine.json.id}"]`);
    await card.waitFor({ state: 'visible', timeout: WAIT });
    assert.equal(await page.locator(`.cb-card[data-id="${theirs.json.id}"]`).count(), 0);
    assert.doesNotMatch(await textOf(page, '#cb-list'), /other organisation/);
    // The supervisor takes it meanwhile: the page's version is stale.
    const supMe = await sup.req('GET', '/api/v1/me');
    const r = await sup.req('PATCH', `/api/v1/callbacks/${mine.json.id}`, { assigned_to: supMe.json.user.id }, { 'if-match': `"${mine.json.version}"` });
    assert.equal(r.status, 200, r.text);
    await card.locator('.cb-assign').click();
    await card.locator('.message.error').waitFor({ state: 'visible', timeout: WAIT });
    const now = await hot.req('GET', `/api/v1/callbacks/${mine.json.id}`);
    assert.equal(now.json.assigned_to, supMe.json.user.id, 'the later change stands');
    // Reloading shows who has it now.
    await card.locator('.message.error button').click();
    await page.waitForFunction((id) => /assigned to a colleague/.test(document.querySelector(`.cb-card[data-id="${id}"]`)?.textContent || ''),
      mine.json.id, { timeout: WAIT });
    assert.deepEqual(unexpected(problems, 412), []);
  } finally {
    await context.close();
  }
});

test('escalation: a saved contact is attached to a case, and handed to the registration page', async () => {
  const { context, page, problems } = await newPage();
  try {
    const before = new Set((await newest(hot)).map((x) => x.id));
    await signIn(page, HOT);
    await openHotline(page);
    await page.keyboard.press('d');
    await page.keyboard.type('+992 92 777 66 55');
    await page.keyboard.press('Escape');
    await page.keyboard.press('n');
    await page.keyboard.type('Sister works in Dubai, passport taken.');
    await page.keyboard.press('Control+Enter');
    await visible(page, '#hl-attach');
    const added = (await newest(hot)).filter((x) => !before.has(x.id));
    assert.equal(added.length, 1);
    const saved = added[0];
    const one = await hot.req('GET', `/api/v1/contacts/${saved.id}`);
    assert.equal(one.status, 200, one.text);
    assert.equal(one.json.notes, 'Sister works in Dubai, passport taken.');

    await page.click('#hl-attach');
    await page.fill('#hl-attach-q', 'Раҳимова');
    await page.press('#hl-attach-q', 'Enter');
    await page.click(`#hl-attach-list button[data-id="${seededCase.id}"]`);
    await visible(page, '#hl-attached-case');
    const c = await hot.req('GET', `/api/v1/contacts/${saved.id}`);
    assert.equal(c.status, 200, c.text);
    assert.equal(c.json.case_id, seededCase.id);
    const tl = await sup.req('GET', `/api/v1/cases/${seededCase.id}/timeline`);
    assert.equal(tl.status, 200, tl.text);
    assert.ok(JSON.stringify(tl.json).includes('contact'), 'the contact is on the case timeline');

    // "Open a case" for the next caller: the registration page, prefilled,
    // consent first; the new case is linked to the contact.
    assert.equal(await focused(page), 'hl-attached-case');
    await page.keyboard.press('Escape'); // back to the call
    assert.equal(await focused(page), 'hl-type-data');
    const seen = new Set((await newest(hot)).map((x) => x.id));
    const lastBefore = await page.evaluate(() => document.getElementById('hl-last')?.textContent ?? '');
    await page.keyboard.press('d');
    await page.keyboard.type('+992 93 888 77 66');
    await page.keyboard.press('Escape');
    await page.keyboard.press('n');
    await page.keyboard.type('Brother held at a farm, wants to come home.');
    await page.keyboard.press('Control+Enter');
    // The panel of the call before is still in sight until this save's
    // answer replaces it.
    await page.waitForFunction((before) => (document.getElementById('hl-last')?.textContent ?? '') !== before, lastBefore, { timeout: WAIT });
    await visible(page, '#hl-open-case');
    const fresh = (await newest(hot)).filter((x) => !seen.has(x.id));
    assert.equal(fresh.length, 1);
    const second = fresh[0];
    await page.click('#hl-open-case');
    await waitText(page, '#page-title', 'Register and open a case');
    await visible(page, '#reg-from-contact');
    assert.equal(await page.inputValue('#reg-q'), '+992 93 888 77 66');
    await page.click('#reg-new-person');
    await visible(page, '#consent-form');
    await page.check('#consent-agree');
    await page.selectOption('#consent-method', 'verbal_witnessed');
    await page.click('#consent-form-submit');
    await visible(page, '#person-form');
    assert.equal(await page.inputValue('#person-phones-0'), '+992 93 888 77 66');
    await page.fill('#person-given_name', 'Сомон');
    await page.click('#person-form-submit');
    await visible(page, '#case-form');
    assert.equal(await page.inputValue('#case-summary'), 'Brother held at a farm, wants to come home.');
    await page.click('#case-form-submit');
    await page.waitForURL(/#\/cases\/[a-z2-7]{26}$/, { timeout: WAIT });
    const newCase = decodeURIComponent(page.url().split('/').pop());
    const linked = await hot.req('GET', `/api/v1/contacts/${second.id}`);
    assert.equal(linked.status, 200, linked.text);
    assert.equal(linked.json.case_id, newCase, 'the new case is linked to the contact');
    // The handoff is taken once: the registration page is empty next time.
    await page.evaluate(() => { location.hash = '#/register'; });
    await visible(page, '#reg-q');
    assert.equal(await page.inputValue('#reg-q'), '');
    assert.equal(await page.locator('#reg-from-contact').count(), 0);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('another organisation’s operator sees nothing of the number', async () => {
  const { context, page, problems } = await newPage();
  try {
    await signIn(page, OTHER);
    await openHotline(page);
    await page.keyboard.press('d');
    await page.keyboard.type(EARLIER);
    await waitText(page, '#hl-earlier', 'No earlier contacts from this number.');
    assert.equal(await page.locator('#hl-flags').count(), 0, 'the other organisation’s flag is not shown');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('the supervisor’s statistics: per day, channel, topic, call type, action; callbacks; period', async () => {
  const { context, page, problems } = await newPage();
  try {
    await signIn(page, SUP);
    assert.equal(await page.isVisible('#nav-hotstats'), true);
    await page.click('#nav-hotstats');
    await waitText(page, '#page-title', 'Hotline statistics');
    await visible(page, '#hs-total');
    const api = await sup.req('GET', `/api/v1/contacts/stats?from=${isoDay(-29)}&to=${isoDay(0)}`);
    assert.equal(api.status, 200, api.text);
    assert.ok(api.json.total >= 4, `total ${api.json.total}`);
    await waitText(page, '#hs-total dd', String(api.json.total));
    assert.equal(await textOf(page, '#hs-cb-open dd'), String(api.json.callbacks.open));
    assert.equal(await textOf(page, '#hs-channel tr[data-code="whatsapp"] td.num'), String(api.json.by_channel.whatsapp));
    assert.match(await textOf(page, '#hs-call-type tr[data-code="silent"] th'), /^Silent/);
    assert.equal(await textOf(page, '#hs-topic tr[data-code="job_offer_check"] td.num'), String(api.json.by_topic.job_offer_check));
    assert.ok(await page.locator('#hs-days svg rect.hs-bar').count() >= 1, 'a bar per day');
    await shot(page, 'hotline-stats');
    // A period before anything happened.
    await page.fill('#hs-from', '01.01.2020');
    await page.fill('#hs-to', '31.01.2020');
    await page.click('#hs-show');
    await waitText(page, '#hs-total dd', '0');
    // A period the wrong way round is refused on the page.
    await page.fill('#hs-from', '01.02.2020');
    await page.click('#hs-show');
    await waitText(page, '#hs-msg', 'The start must come before the end.');
    // The operator may not read them.
    const r = await hot.req('GET', '/api/v1/contacts/stats');
    assert.ok([403, 404].includes(r.status), `hotline reads stats: ${r.status}`);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('the operator screen and the queue fit a phone, and work in Tajik', async () => {
  const { context, page, problems } = await newPage({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
  const due = new Date(Date.now() - 3600 * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const booked = await hot.req('POST', '/api/v1/callbacks', { phone: '+992 91 444 33 22', due, safe_note: 'Звонить только утром' });
  assert.equal(booked.status, 201, booked.text);
  try {
    await signIn(page, HOT, 'tg');
    await openHotline(page);
    await waitText(page, '#page-title', 'Қабули занг');
    assert.ok(await noHorizontalScroll(page), 'no sideways scrolling on the operator screen');
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 360));
    await shot(page, 'hotline-phone');
    await page.evaluate(() => { location.hash = '#/callbacks'; });
    await visible(page, '#cb-filters');
    const card = page.locator(`.cb-card[data-id="${booked.json.id}"]`);
    await card.waitFor({ state: 'visible', timeout: WAIT });
    assert.match(await card.getAttribute('class'), /\boverdue\b/, 'an overdue callback is marked');
    assert.match(await card.locator('.cb-safe').textContent(), /Звонить только утром/);
    assert.ok(await noHorizontalScroll(page), 'no sideways scrolling in the queue');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

// The call's language is the caller's, not the operator's screen's nor the
// call before's: each call starts empty (not asked) whatever language the
// screen is in; left empty the contact is saved without one.
test('the call\'s language starts empty, not in the screen\'s language; saved empty, none is recorded', async () => {
  const { context, page, problems } = await newPage();
  // The contact a save made (two may start in the same second: by id).
  const saveSilent = async () => {
    const before = new Set((await newest(hot)).map((x) => x.id));
    await page.check('#hl-type-silent');
    await page.click('#hl-save');
    let made = [];
    for (let i = 0; i < 100 && !made.length; i++) {
      made = (await newest(hot)).filter((x) => !before.has(x.id));
      if (!made.length) await page.waitForTimeout(100);
    }
    assert.equal(made.length, 1, 'one contact saved');
    return made[0];
  };
  try {
    await signIn(page, HOT, 'ru');
    await openHotline(page);
    assert.equal(await page.inputValue('#hl-language'), '', 'not the screen\'s language');
    assert.equal(await page.$eval('#hl-language', (s) => s.selectedOptions[0].textContent), '— не указан —');
    let c = await saveSilent();
    assert.equal(c.call_type, 'silent');
    assert.equal(c.language, undefined, 'no language recorded');

    await page.selectOption('#hl-language', 'uz');
    await page.selectOption('#lang', 'en');
    await waitText(page, '#page-title', 'Take a call');
    assert.equal(await page.inputValue('#hl-language'), 'uz', 'the screen\'s language does not change it');
    c = await saveSilent();
    assert.equal(c.language, 'uz');
    // The screen is made ready for the next call once the answer is read
    // (the contact is in the list a moment before).
    await page.waitForFunction(() => document.getElementById('hl-msg').textContent.startsWith('Contact saved'), null, { timeout: WAIT });
    assert.equal(await page.inputValue('#hl-language'), '', 'the next call starts with none, not the call before\'s');
    // A data call of which nothing is noted is not saved (a save pressed
    // twice logged an empty call): the form says what to note.
    const before = new Set((await newest(hot)).map((x) => x.id));
    await page.check('#hl-type-data');
    await page.keyboard.press('Control+Enter');
    await page.keyboard.press('Control+Enter');
    await waitText(page, '#hl-msg', 'Nothing is noted of this call yet: tick a topic or write a note, or choose the kind of call (silent, hang-up…).');
    assert.equal((await newest(hot)).filter((x) => !before.has(x.id)).length, 0, 'nothing saved');
    assert.deepEqual(unexpected(problems), []);
  } finally {
    await context.close();
  }
  // A new browser session starts empty again, in any screen language.
  const next = await newPage();
  try {
    await signIn(next.page, HOT, 'tg');
    await openHotline(next.page);
    assert.equal(await next.page.inputValue('#hl-language'), '');
    assert.deepEqual(unexpected(next.problems), []);
  } finally {
    await next.context.close();
  }
});
