// Referrals between organisations in the browser, on a real `himoya
// serve` and Debian's headless chromium: an NGO case worker refers a case
// to the police through the wizard (the consent is found missing as soon
// as the recipient is chosen, Send stays disabled, a consent to law
// enforcement is recorded in place, the referral goes); the police focal point
// accepts it in a second browser context, sees only the shared fields and
// records the identification decision; back at the NGO the referral reads
// accepted, the case carries the decision and "Who saw this case" lists
// the police's reads.  Then the directory (search across scripts, a
// shelter's address withheld), a decline with its reason, the overdue
// mark, the pages on a 360 px phone, and from a directory search to Send
// with a preset, at 1280x800 and 390x844 in tg, ru and en, with the
// recipient's inbox and the case timeline.  After each flow the API is asked
// whether the page really did what it showed.
//
// HIMOYA_SHOTS=DIR saves screenshots of the pages on the way.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer, Client } from '../lib/server.mjs';
import { sqlite } from '../lib/datadir.mjs';
import { launch, watchConsole, textOf, waitText, visible, hidden, noHorizontalScroll, WAIT, signIn } from './helpers.mjs';

const PW = 'Боғи-Ирам 2024!';
const CW = { org: 'ngo1', login: 'nilufar', role: 'caseworker', password: PW };
const FP = { org: 'police', login: 'davron', role: 'focal_point', password: PW };
const POLICE_SUP = { org: 'police', login: 'police-sup', role: 'supervisor', password: PW };
const SHELTER_SUP = { org: 'umed', login: 'umed-sup', role: 'supervisor', password: PW };

let srv;
let browser;
let cw; // API clients, to set the scene and to check the result
let fp;
let shelterSup;
let policeService;
let shelterService;

before(async () => {
  srv = await startServer({
    orgs: [
      { code: 'police', name: 'Police', type: 'LawEnforcement' },
      { code: 'ngo1', name: 'Hayot NGO', type: 'NGO' },
      { code: 'umed', name: 'Умед', type: 'NGO' },
    ],
    users: [CW, FP, POLICE_SUP, SHELTER_SUP],
  });
  browser = await launch();
  cw = new Client(srv.url);
  assert.equal((await cw.login(CW.login, PW)).status, 200);
  fp = new Client(srv.url);
  assert.equal((await fp.login(FP.login, PW)).status, 200);
  shelterSup = new Client(srv.url);
  assert.equal((await shelterSup.login(SHELTER_SUP.login, PW)).status, 200);
  const policeSup = new Client(srv.url);
  assert.equal((await policeSup.login(POLICE_SUP.login, PW)).status, 200);

  // The directory: the police's identification service, and a shelter
  // whose address nobody outside its organisation may see.
  let r = await policeSup.req('POST', '/api/v1/directory/services', {
    name: 'Identification of victims of trafficking', type: 'legal', languages: ['tg', 'ru'],
    regions_served: ['TJ-DU', 'TJ-SU'], description: 'The anti-trafficking unit hears and identifies victims.',
  });
  assert.equal(r.status, 201, r.text);
  policeService = r.json;
  r = await shelterSup.req('POST', '/api/v1/directory/services', {
    name: 'Паноҳгоҳи «Умед»', type: 'shelter', languages: ['tg', 'ru', 'uz'], regions_served: ['TJ-SU'],
    capacity_max: 12, description: 'Shelter for women and children.',
  });
  assert.equal(r.status, 201, r.text);
  shelterService = r.json;
  r = await shelterSup.req('POST', `/api/v1/directory/services/${shelterService.id}/locations`, {
    kind: 'physical', name: 'Main house', address: 'кӯчаи Сомонӣ 7', region: 'TJ-SU', city: 'Хуҷанд',
  });
  assert.equal(r.status, 201, r.text);
});

after(async () => {
  await browser?.close();
  await srv?.stop();
  srv?.cleanup();
});

async function newPage(options = { viewport: { width: 1280, height: 900 } }) {
  const context = await browser.newContext(options);
  context.setDefaultTimeout(20000);
  const page = await context.newPage();
  return { context, page, problems: watchConsole(page) };
}

const PHONE = { viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };

// Chromium reports every 4xx answer to fetch() as a console error; those a
// test provokes on purpose are not faults.
function unexpected(problems, ...statuses) {
  const ok = new RegExp(`status of (${statuses.join('|')})\\b`);
  return problems.filter((p) => !ok.test(p));
}

async function fitsPhone(page) {
  return (await noHorizontalScroll(page)) &&
    page.evaluate(() => document.documentElement.scrollWidth <= 360 && window.innerWidth <= 360);
}

async function shot(page, name) {
  if (!process.env.HIMOYA_SHOTS) return;
  const phone = page.viewportSize().width < 600;
  await page.screenshot({ path: join(process.env.HIMOYA_SHOTS, `referral-${name}.png`), fullPage: !phone });
}

function isoDay(offset = 0) {
  const d = new Date();
  d.setDate(d.getDate() + offset);
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

// A person with consent to assistance and a case, made through the API.
async function seedCase(client, person, extra = {}) {
  const p = await client.req('POST', '/api/v1/persons', person);
  assert.equal(p.status, 201, p.text);
  const k = await client.req('POST', `/api/v1/persons/${p.json.id}/consents`, { purpose: 'assistance', method: 'written' });
  assert.equal(k.status, 201, k.text);
  const c = await client.req('POST', '/api/v1/cases', { person_id: p.json.id, ...extra });
  assert.equal(c.status, 201, c.text);
  return { person: p.json, case: c.json };
}

test('NGO refers to the police with consent; the focal point accepts, sees only the shared fields, decides', async () => {
  const ngo = await newPage();
  const police = await newPage();
  let caseId;
  let personId;
  let referralId;
  try {
    // ---- the NGO case worker: a person with consent, and a case ----
    const { page } = ngo;
    await signIn(page, srv.url, CW, 'en');
    await page.goto(srv.url + '/#/register');
    await page.click('#reg-new-person');
    await visible(page, '#consent-form');
    await page.check('#consent-agree');
    await page.selectOption('#consent-method', 'written');
    await page.click('#consent-form-submit');
    await visible(page, '#person-form');
    await page.fill('#person-given_name', 'Гулноза');
    await page.fill('#person-family_name', 'Раҳимова');
    await page.fill('#person-birth_date', '1997-05-02');
    await page.click('#person-form-submit');
    await visible(page, '#case-form');
    await page.check('#case-exploitation_types-ForcedLabour');
    await page.check('#case-countries_of_exploitation-RU');
    await page.fill('#case-summary', 'Recruited for a construction site in Moscow; passport taken.');
    await page.click('#case-form-submit');
    await page.waitForURL(/#\/cases\/[a-z2-7]{26}$/, { timeout: WAIT });
    caseId = new URL(page.url()).hash.split('/')[2];
    await waitText(page, '#page-title', 'Раҳимова Гулноза');
    personId = (await cw.req('GET', `/api/v1/cases/${caseId}`)).json.person_id;

    // ---- the wizard, step 1: the police's service from the directory ----
    await page.click('#refer-case');
    await waitText(page, '#page-title', 'Refer the case: Раҳимова Гулноза');
    assert.equal(await textOf(page, '#ref-steps [aria-current="step"]'), '1. Recipient');
    await page.locator('#ref-dir-list > li').first().waitFor();
    await page.fill('#ref-dir-q', 'police');
    await page.click('#ref-dir-search');
    await page.waitForFunction(() => document.querySelectorAll('#ref-dir-list > li').length === 1);
    assert.match(await textOf(page, '#ref-dir-list > li'), /Identification of victims of trafficking.*Police.*Law enforcement/s);
    await shot(page, 'wizard-recipient');
    await page.click(`#ref-dir-list > li[data-id="${policeService.id}"] [data-action="choose"]`);

    // ---- step 2: the consent is checked at once; the police preset ticked ----
    await visible(page, '#ref-share-form');
    assert.equal(await textOf(page, '#ref-steps [aria-current="step"]'), '2. What to share');
    assert.match(await textOf(page, '#ref-recipient-share'), /Recipient:\s*Police/);
    await page.waitForSelector('#ref-share-form #consent-check[data-covered="no"]');
    assert.match(await textOf(page, '#consent-check'), /No current consent of the person covers passing their details to this authority/);
    assert.equal(await page.isChecked('#ref-preset-police_investigation'), true, 'an authority: the police preset');
    assert.equal(await page.isChecked('#share-summary'), true);
    assert.ok(await page.locator('#ref-share-form input[type="checkbox"]').count() > 20);
    for (const lang of ['tg', 'ru', 'en']) {
      assert.ok((await textOf(page, `#ref-share-explain [lang="${lang}"]`)).length > 100, `explained in ${lang}`);
    }
    assert.match(await textOf(page, '#ref-share-explain [lang="en"]'), /sees exactly the fields you tick/);
    assert.equal(await textOf(page, 'label[for="share-given_name"]'), 'Given name');
    // "I choose myself" unticks everything; nothing ticked is refused.
    await page.check('#ref-preset-none');
    assert.equal(await page.locator('#ref-share-form .share-group input[type="checkbox"]:checked').count(), 0);
    await page.click('#ref-share-next');
    await waitText(page, '#ref-share-form .message.error', 'Tick at least one field for the recipient to see.');
    for (const f of ['given_name', 'family_name', 'exploitation_types']) await page.check(`#share-${f}`);
    await waitText(page, '#ref-share-count', 'Fields ticked: 3');
    await page.click('#ref-share-next');
    await waitText(page, '#ref-share-form .message.error', 'Say why you refer and what help is needed.');
    await page.fill('#ref-reason', 'Please hear her as a victim: the recruiter is still active.');
    await page.selectOption('#ref-urgency', 'high');
    await page.fill('#ref-due', isoDay(7));
    await shot(page, 'wizard-share');
    await page.click('#ref-share-next');

    // ---- step 3: Send waits for a consent; the consent is recorded in place ----
    await visible(page, '#ref-step-check');
    await page.waitForSelector('#ref-step-check #consent-check[data-covered="no"]');
    assert.equal(await page.isDisabled('#ref-send'), true, 'no Send without a consent');
    assert.equal(await textOf(page, '#ref-send-why'), 'Send becomes possible once a consent of the person covers this referral.');
    assert.equal(await textOf(page, '#ref-summary-fields'), 'Given name, Family name, Types of exploitation');
    await shot(page, 'wizard-consent-missing');
    assert.equal((await cw.req('GET', '/api/v1/referrals?box=out')).json.items.length, 0, 'nothing sent');

    // Record the consent: to law enforcement, for the police only.
    await page.click('#ref-consent-add');
    await visible(page, '#ref-consent-form');
    assert.equal(await page.inputValue('#ref-consent-purpose'), 'law_enforcement');
    assert.equal(await page.isChecked('#ref-consent-scope-org'), true);
    for (const lang of ['tg', 'ru', 'en']) {
      assert.ok((await textOf(page, `#ref-consent-explain [lang="${lang}"]`)).length > 100, `consent explained in ${lang}`);
    }
    await page.click('#ref-consent-form-submit');
    await waitText(page, '#ref-consent-form .message.error', 'Tick the box once the person agrees.');
    await page.check('#ref-consent-agree');
    await page.selectOption('#ref-consent-method', 'written');
    await page.click('#ref-consent-form-submit');
    await page.waitForSelector('#consent-check[data-covered="yes"]');
    assert.match(await textOf(page, '#consent-check'), /A current consent of the person covers this referral\..*Law enforcement → Police/s);
    await waitText(page, '#ref-consent-message > span', 'Consent recorded. The referral can be sent now.');
    assert.equal(await page.isDisabled('#ref-send'), false, 'Send once covered');
    await shot(page, 'wizard-consent-ok');
    await page.click('#ref-send');

    // Back on the case: the Referrals tab shows it as sent.
    await page.waitForURL(new RegExp(`#/cases/${caseId}$`));
    await waitText(page, '.view > .message.success', 'Referral sent.');
    await page.locator('#case-referrals-list li').first().waitFor();
    referralId = await page.getAttribute('#case-referrals-list li', 'data-id');
    assert.match(await textOf(page, '#case-referrals-list li'), /To:\s*Police.*Sent.*High/s);
    await waitText(page, '#head-stage dd', 'Referral');
    await shot(page, 'case-referrals-sent');

    const sent = (await cw.req('GET', `/api/v1/referrals/${referralId}`)).json;
    assert.deepEqual(sent.share.slice().sort(), ['exploitation_types', 'family_name', 'given_name']);
    assert.equal(sent.to_org.code, 'police');
    assert.equal(sent.urgency, 'high');
    assert.equal(sent.due, isoDay(7));
    assert.equal(sent.service_id, policeService.id);
    assert.equal(sent.service_type, 'legal');
    assert.equal(sent.reason, 'Please hear her as a victim: the recruiter is still active.');
    const consents = (await cw.req('GET', `/api/v1/persons/${personId}/consents`)).json.items;
    assert.deepEqual(consents.map((k) => [k.purpose, k.recipient_org ?? null, k.method]).sort(),
      [['assistance', null, 'written'], ['law_enforcement', 'police', 'written']]);
    assert.deepEqual(unexpected(ngo.problems), []);

    // ---- the police focal point, in a browser of its own ----
    const pp = police.page;
    await signIn(pp, srv.url, FP, 'en');
    await pp.click('#nav-focal');
    await waitText(pp, '#page-title', 'Decisions and referrals');
    await waitText(pp, '#focal-due .message', 'No decision is due.');
    await pp.locator(`#ref-list li[data-id="${referralId}"]`).waitFor();
    assert.match(await textOf(pp, `#ref-list li[data-id="${referralId}"]`), /From:\s*Hayot NGO.*Sent.*High.*Please hear her/s);
    assert.doesNotMatch(await textOf(pp, '#ref-list'), /Раҳимова/, 'no name before accepting');
    await shot(pp, 'focal-inbox');
    await pp.click(`#ref-list li[data-id="${referralId}"] [data-action="accept"]`);
    await waitText(pp, `#ref-list li[data-id="${referralId}"] .message.success`, 'Referral accepted.');
    assert.equal(await textOf(pp, `#ref-list li[data-id="${referralId}"] .ref-status`), 'Accepted');

    // Opened: exactly the shared fields, labelled with who shared them.
    await pp.click(`#ref-list li[data-id="${referralId}"] [data-action="open"]`);
    await visible(pp, '#shared-view');
    await waitText(pp, '#shared-title', 'Shared with your organisation by Hayot NGO');
    const shown = await pp.$$eval('#shared-view [data-field]', (n) => n.map((x) => x.dataset.field));
    assert.deepEqual(shown.sort(), ['exploitation_types', 'family_name', 'given_name']);
    assert.equal(await textOf(pp, '#shared-person [data-field="given_name"] dd'), 'Гулноза');
    assert.equal(await textOf(pp, '#shared-case [data-field="exploitation_types"] dd'), 'Forced labour');
    const whole = await textOf(pp, '#view');
    assert.doesNotMatch(whole, /1997|02\.05\.1997|Moscow|passport|Russia/, 'nothing unshared on the page');
    await shot(pp, 'shared-view');

    // Its own note on the case.
    await pp.click('#own-note-add');
    // The form says whose case it is and that they read it.
    await visible(pp, '#own-note-read-by');
    assert.match(await textOf(pp, '#own-note-read-by'), /^(This is .+’s case: its case workers read everything you write here|Это случай организации .+: её сотрудники прочтут всё|Ин парвандаи .+ аст)/);
    await pp.fill('#own-note-text', 'Statement taken on arrival.');
    await pp.click('#own-note-form-submit');
    await waitText(pp, '#own-note-box .message.success', 'Note saved.');
    await waitText(pp, '#own-note-list .prose', 'Statement taken on arrival.');

    // Its own criminal proceeding, from the same page.
    await pp.click('#own-proceeding-add');
    await pp.fill('#own-proceeding-case_number', 'UD-2026-118');
    await pp.click('#own-proceeding-form-submit');
    await pp.locator('#own-proceeding-list li', { hasText: 'UD-2026-118' }).waitFor();
    // And its own follow-up, listed where it works on the case.
    await pp.click('#own-followup-add');
    await pp.click('#own-followup-form-submit');
    await pp.locator('#own-followup-list li').first().waitFor();

    // The identification decision, from the focal point's page.
    await pp.click('#nav-focal');
    await pp.locator(`#decisions-due li[data-id="${referralId}"]`).waitFor();
    await pp.click(`#decisions-due li[data-id="${referralId}"] [data-action="decide"]`);
    const prefix = `#decide-${referralId}`;
    assert.match(await textOf(pp, `${prefix}-as`), /^Recorded as your authority’s decision \(official identification\)/);
    assert.equal(await pp.inputValue(`${prefix}-date`), isoDay().split('-').reverse().join('.'), 'dates are typed dd.mm.yyyy');
    await pp.selectOption(`${prefix}-status`, 'ActualVictimOfTrafficking');
    await pp.fill(`${prefix}-reference`, 'MVD-2026-041');
    await shot(pp, 'focal-decision');
    await pp.click(`${prefix}-form-submit`);
    await waitText(pp, '#focal-due .message.success', 'Decision recorded.');
    assert.equal(await pp.locator('#decisions-due li').count(), 0);
    assert.deepEqual(unexpected(police.problems), []);
    const ds = (await fp.req('GET', `/api/v1/cases/${caseId}/status-decisions`)).json.items;
    assert.deepEqual(ds.map((d) => [d.status, d.decided_by, d.reference]), [['ActualVictimOfTrafficking', 'Police', 'MVD-2026-041']]);

    // ---- back to the NGO case worker ----
    await page.goto(srv.url + '/#/referrals');
    await page.click('#ref-tab-out');
    await page.locator(`#ref-list li[data-id="${referralId}"][data-status="accepted"]`).waitFor();
    assert.match(await textOf(page, `#ref-list li[data-id="${referralId}"]`), /To:\s*Police.*Accepted.*Person:\s*Раҳимова Гулноза/s);
    await waitText(page, '#stat-total dd', '1');
    assert.equal(await textOf(page, '#stat-accepted dd'), '1');
    assert.equal(await textOf(page, '#stat-completed dd'), '0');
    assert.match(await textOf(page, '#stat-median dd'), /^\d+([.,]\d)?$/);
    await shot(page, 'inbox-outgoing');

    await page.goto(`${srv.url}/#/cases/${caseId}`);
    await waitText(page, '#head-trafficking dd', 'Identified victim of trafficking · an official identification');
    await page.click('#tab-referrals');
    await page.locator('#case-referrals-list li[data-status="accepted"]').waitFor();
    await page.click('#tab-access');
    await page.locator('#access-list li[data-org="police"]').first().waitFor();
    const log = await page.$$eval('#access-list li', (n) => n.map((x) => x.textContent));
    assert.ok(log.some((l) => /davron · police/.test(l) && /Read: the person/.test(l) && /Given name, Family name/.test(l)), log.join('\n'));
    assert.ok(log.some((l) => /davron · police/.test(l) && /Read: the case/.test(l)), log.join('\n'));
    assert.ok(log.some((l) => /Added: a status decision/.test(l)), log.join('\n'));
    assert.ok(!log.some((l) => /birth/i.test(l)), 'the police never read the date of birth');
    await shot(page, 'case-who-saw');
    const acc = (await cw.req('GET', `/api/v1/cases/${caseId}/access-log`)).json.items;
    assert.ok(acc.every((a) => a.org === 'police'));
    assert.deepEqual(unexpected(ngo.problems), []);
  } finally {
    await ngo.context.close();
    await police.context.close();
  }
});

test('the directory: search across scripts, filters, capacity, a shelter’s address withheld', async () => {
  const { context, page, problems } = await newPage();
  try {
    await signIn(page, srv.url, CW, 'en');
    await page.click('#nav-directory');
    await waitText(page, '#page-title', 'Directory');
    await page.locator('#dir-list > li').nth(1).waitFor();
    await page.fill('#dir-q', 'Panohgohi umed');
    await page.click('#dir-search');
    await page.waitForFunction(() => document.querySelectorAll('#dir-list > li').length === 1);
    const card = `#dir-list > li[data-id="${shelterService.id}"]`;
    assert.match(await textOf(page, card), /Паноҳгоҳи «Умед».*Умед/s);
    assert.match(await textOf(page, `${card} .capacity`), /Beds free:\s*12 of 12/);
    assert.match(await textOf(page, `${card} .dir-langs`), /Tajik.*Russian.*Uzbek/);
    assert.match(await textOf(page, `${card} .dir-location`), /Хуҷанд.*Address withheld/s);
    assert.doesNotMatch(await textOf(page, card), /Сомонӣ/, 'the address stays with its organisation');
    await shot(page, 'directory');

    await page.fill('#dir-q', '');
    await page.click('#dir-search');
    await page.locator('#dir-list > li').nth(1).waitFor();
    await page.selectOption('#dir-type', 'legal');
    await page.waitForFunction(() => document.querySelectorAll('#dir-list > li').length === 1 &&
      document.querySelector('#dir-list > li .dir-name')?.textContent === 'Identification of victims of trafficking');
    await page.selectOption('#dir-type', '');
    await page.selectOption('#dir-language', 'uz');
    await page.waitForFunction((id) => document.querySelectorAll('#dir-list > li').length === 1 &&
      document.querySelector(`#dir-list > li[data-id="${id}"]`), shelterService.id);
    await page.selectOption('#dir-region', 'TJ-DU');
    await waitText(page, '#dir-filters + .message', 'No service matches.');
    await page.selectOption('#dir-language', '');
    await page.selectOption('#dir-region', '');

    // The shelter's own organisation sees its address.
    const own = (await shelterSup.req('GET', `/api/v1/directory/services/${shelterService.id}`)).json;
    assert.equal(own.locations[0].address, 'кӯчаи Сомонӣ 7');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('declined with a reason; an overdue referral is marked; withdrawn by the sender', async () => {
  const { person, case: c } = await seedCase(cw, { given_name: 'Фирӯза', family_name: 'Алиева' });
  const k = await cw.req('POST', `/api/v1/persons/${person.id}/consents`, { purpose: 'referral', method: 'written', recipient_type: 'NGO' });
  assert.equal(k.status, 201, k.text);
  const r1 = await cw.req('POST', '/api/v1/referrals', { case_id: c.id, to_org: 'umed', reason: 'Needs a shelter tonight.', urgency: 'emergency', share: ['given_name'] });
  assert.equal(r1.status, 201, r1.text);
  const r2 = await cw.req('POST', '/api/v1/referrals', { case_id: c.id, to_org: 'umed', reason: 'Psychological help.', urgency: 'low', due: isoDay(-2), share: ['given_name', 'gender'] });
  assert.equal(r2.status, 201, r2.text);

  let { context, page, problems } = await newPage();
  try {
    await signIn(page, srv.url, SHELTER_SUP, 'en');
    await page.goto(srv.url + '/#/referrals');
    await page.click('#ref-tab-in');
    await page.locator(`#ref-list li[data-id="${r2.json.id}"]`).waitFor();
    assert.match(await textOf(page, `#ref-list li[data-id="${r2.json.id}"]`), /Overdue/);
    assert.doesNotMatch(await textOf(page, `#ref-list li[data-id="${r1.json.id}"]`), /Overdue/);
    await page.check('#ref-overdue');
    await page.waitForFunction(() => document.querySelectorAll('#ref-list li').length === 1);
    await page.uncheck('#ref-overdue');
    await page.locator('#ref-list li').nth(1).waitFor();
    const card = `#ref-list li[data-id="${r1.json.id}"]`;
    await page.click(`${card} [data-action="decline"]`);
    await page.click(`${card} [data-action="confirm-decline"]`);
    await waitText(page, `${card} .answer-form .message`, 'Say why you decline: the sender needs to know.');
    await page.fill(`${card} textarea`, 'No free bed for a family with a boy of 15.');
    await page.click(`${card} [data-action="confirm-decline"]`);
    await waitText(page, `${card} .ref-status`, 'Declined');
    assert.match(await textOf(page, card), /Reason for declining: No free bed/);
    await shot(page, 'inbox-incoming');
    await page.selectOption('#ref-status', 'declined');
    await page.waitForFunction(() => document.querySelectorAll('#ref-list li').length === 1);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
  assert.equal((await cw.req('GET', `/api/v1/referrals/${r1.json.id}`)).json.decline_reason, 'No free bed for a family with a boy of 15.');

  ({ context, page, problems } = await newPage());
  try {
    await signIn(page, srv.url, CW, 'tg');
    await page.goto(`${srv.url}/#/cases/${c.id}`);
    await page.click('#tab-referrals');
    const card = `#case-referrals-list li[data-id="${r2.json.id}"]`;
    await page.locator(card).waitFor();
    assert.match(await textOf(page, card), /Мӯҳлат гузашт/);
    assert.match(await textOf(page, `#case-referrals-list li[data-id="${r1.json.id}"]`), /Рад карда шуд.*No free bed/s);
    await page.click(`${card} [data-action="withdraw"]`);
    await page.fill(`${card} textarea`, 'Found help closer to home.');
    await page.click(`${card} [data-action="confirm-withdraw"]`);
    await waitText(page, `${card} .ref-status`, 'Бозхонда шуд');
    assert.equal((await cw.req('GET', `/api/v1/referrals/${r2.json.id}`)).json.status, 'withdrawn');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('the owner\'s case page offers no change to a recipient\'s follow-up, only to its own', async () => {
  const { person, case: c } = await seedCase(cw, { given_name: 'Мунира', family_name: 'Ёдгорова' });
  const k = await cw.req('POST', `/api/v1/persons/${person.id}/consents`, { purpose: 'referral', method: 'written', recipient_type: 'NGO' });
  assert.equal(k.status, 201, k.text);
  const f = await cw.req('POST', '/api/v1/referrals', { case_id: c.id, to_org: 'umed', reason: 'Shelter.', share: ['given_name'] });
  assert.equal(f.status, 201, f.text);
  assert.equal((await shelterSup.req('POST', `/api/v1/referrals/${f.json.id}/accept`)).status, 200);
  const theirs = await shelterSup.req('POST', `/api/v1/cases/${c.id}/followups`, { due: isoDay(-1) });
  assert.equal(theirs.status, 201, theirs.text);
  const mine = await cw.req('POST', `/api/v1/cases/${c.id}/followups`, { due: isoDay(-2) });
  assert.equal(mine.status, 201, mine.text);

  const { context, page, problems } = await newPage();
  try {
    await signIn(page, srv.url, CW, 'en');
    await page.goto(`${srv.url}/#/cases/${c.id}`);
    await page.click('#tab-followups');
    await page.locator(`#followup-list li[data-id="${mine.json.id}"] [data-action="done"]`).waitFor();
    await page.locator(`#followup-list li[data-id="${theirs.json.id}"]`).waitFor();
    assert.equal(await page.locator(`#followup-list li[data-id="${theirs.json.id}"] [data-action="done"]`).count(), 0,
      'the shelter\'s follow-up is the shelter\'s to close');
    await waitText(page, `#followup-list li[data-id="${theirs.json.id}"] .record-org`, 'Recorded by Умед');
    assert.equal(await page.locator(`#followup-list li[data-id="${mine.json.id}"] .record-org`).count(), 0);
    assert.deepEqual(unexpected(problems), []);
  } finally {
    await context.close();
  }
});

test('a referral taken over with a transferred case is marked in the new owner\'s outbox, to be reviewed', async () => {
  const { person, case: c } = await seedCase(cw, { given_name: 'Дилором', family_name: 'Ашурова' });
  for (const body of [{ purpose: 'law_enforcement', method: 'written', recipient_org: 'police' },
    { purpose: 'referral', method: 'written', recipient_type: 'NGO' }])
    assert.equal((await cw.req('POST', `/api/v1/persons/${person.id}/consents`, body)).status, 201);
  const f = await cw.req('POST', '/api/v1/referrals', { case_id: c.id, to_org: 'police', reason: 'Identification.', share: ['given_name'] });
  assert.equal(f.status, 201, f.text);

  // Asked on the case page; taken over from the inbox, saying what that does.
  let { context, page, problems } = await newPage();
  try {
    await signIn(page, srv.url, CW, 'en');
    await page.goto(`${srv.url}/#/cases/${c.id}`);
    await page.click('#transfer-case');
    await page.click('#transfer-send');
    await waitText(page, '#transfer-form .message', 'Choose the organisation.');
    await page.selectOption('#transfer-to', 'umed');
    await page.fill('#transfer-reason', 'The shelter takes her on.');
    await page.click('#transfer-send');
    await waitText(page, '#view .message.success', 'Asked: the case moves when the organisation accepts.');
    assert.deepEqual(unexpected(problems), []);
  } finally {
    await context.close();
  }
  const t = { json: (await cw.req('GET', '/api/v1/referrals?box=out')).json.items.find((x) => x.kind === 'transfer' && x.case_id === c.id) };
  assert.ok(t.json, 'the transfer was sent');
  ({ context, page, problems } = await newPage());
  try {
    await signIn(page, srv.url, SHELTER_SUP, 'en');
    // In the inbox, the person not shown before the transfer is accepted
    // is said so, not a dash.
    await page.goto(`${srv.url}/#/referrals`);
    await waitText(page, `#ref-list li[data-id="${t.json.id}"] .ref-person`, 'Person: shown once the transfer is accepted');
    await page.goto(`${srv.url}/#/referrals/${t.json.id}`);
    await waitText(page, '#ref-head-transfer', 'This is a case transfer: accepting it takes the case over; the person, the case and its records become your organisation’s, and you work on it.');
    await page.click('#ref-head [data-action="accept"]');
    await page.locator('#ref-head-transferred').waitFor();
    assert.match(await page.textContent('#ref-head'), /Transfer accepted: the case is your organisation’s now\./);
    await page.click('#ref-head-transferred');
    await page.waitForURL(new RegExp(`#/cases/${c.id}$`));
    await page.locator('#head-status').waitFor();
    assert.deepEqual(unexpected(problems), []);
  } finally {
    await context.close();
  }
  assert.equal((await shelterSup.req('GET', `/api/v1/cases/${c.id}`)).status, 200, 'the shelter\'s case now');

  ({ context, page, problems } = await newPage());
  try {
    await signIn(page, srv.url, SHELTER_SUP, 'ru');
    await page.goto(srv.url + '/#/referrals');
    await page.click('#ref-tab-out');
    const card = `#ref-list li[data-id="${f.json.id}"]`;
    await page.locator(`${card} .ref-handed-over`).waitFor();
    assert.equal(await textOf(page, `${card} .ref-handed-over`), 'Получено вместе со случаем');
    await page.click(`${card} [data-action="open"]`);
    await page.locator('#ref-head-handed-over').waitFor();
    assert.match(await textOf(page, '#ref-head-handed-over'), /прежняя организация.*отзовите/s);
    assert.deepEqual(unexpected(problems), []);
  } finally {
    await context.close();
  }
  // The old owner's outbox: the completed transfer leads to no case page
  // (it is the new owner's), and nothing fails on the way.
  ({ context, page, problems } = await newPage());
  try {
    await signIn(page, srv.url, CW, 'en');
    await page.goto(srv.url + '/#/referrals');
    await page.click('#ref-tab-out');
    await page.locator(`#ref-list li[data-id="${t.json.id}"]`).waitFor();
    assert.equal(await page.locator(`#ref-list li[data-id="${t.json.id}"] a[href^="#/cases/"]`).count(), 0);
    assert.deepEqual(unexpected(problems), []);
  } finally {
    await context.close();
  }
});

test('phone 360x740: the wizard, the inbox and the directory fit', async () => {
  const { case: c } = await seedCase(cw, { given_name: 'Шаҳло', family_name: 'Назарова' });
  const { context, page, problems } = await newPage(PHONE);
  try {
    await signIn(page, srv.url, CW, 'ru');
    await page.goto(`${srv.url}/#/cases/${c.id}/refer`);
    await page.locator('#ref-dir-list > li').first().waitFor();
    assert.equal(await fitsPhone(page), true, 'step 1 is wider than the phone');
    await shot(page, 'phone-wizard-recipient');
    await page.tap('#ref-mode-tab-org');
    await page.locator('#ref-org-list li[data-code="umed"]').waitFor();
    assert.equal(await page.locator('#ref-org-list li[data-code="ngo1"]').count(), 0, 'not one’s own organisation');
    await page.tap('#ref-org-list li[data-code="umed"] [data-action="choose-org"]');
    await visible(page, '#ref-share-form');
    assert.equal(await fitsPhone(page), true, 'step 2 is wider than the phone');
    await shot(page, 'phone-wizard-share');
    await page.check('#share-given_name');
    await page.fill('#ref-reason', 'Нужен приют.');
    await page.tap('#ref-share-next');
    await page.waitForSelector('#consent-check[data-covered="no"]');
    await page.tap('#ref-consent-add');
    await visible(page, '#ref-consent-form');
    assert.equal(await page.inputValue('#ref-consent-purpose'), 'referral', 'an NGO: a consent to referral');
    assert.equal(await fitsPhone(page), true, 'step 3 is wider than the phone');
    await shot(page, 'phone-wizard-consent');

    await page.goto(`${srv.url}/#/referrals`);
    await page.tap('#ref-tab-out');
    await page.locator('#ref-list li').first().waitFor();
    await visible(page, '#ref-stats');
    assert.equal(await fitsPhone(page), true, 'the inbox is wider than the phone');
    await shot(page, 'phone-inbox');
    await page.locator('#ref-list li').first().scrollIntoViewIfNeeded();
    await shot(page, 'phone-inbox-card');

    await page.goto(`${srv.url}/#/directory`);
    await page.locator('#dir-list > li').nth(1).waitFor();
    assert.equal(await fitsPhone(page), true, 'the directory is wider than the phone');
    await shot(page, 'phone-directory');
    await page.locator(`#dir-list > li[data-id="${shelterService.id}"]`).scrollIntoViewIfNeeded();
    await shot(page, 'phone-directory-card');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

// Issue #12 item 4: from a directory search to Send, in each language and
// at desktop and phone sizes.  The search uses the generic word for a
// shelter in the page's language; the shelter preset is ticked and then
// adjusted; the consent is found missing as soon as the recipient is
// chosen and recorded in place, and Send waits for it.  The shelter's
// inbox then says who it is about (the shared initials), the service and
// whom to call at the sender; the case's timeline names the recipient and
// the state.  No page is wider than the viewport.
const SIZES = {
  desktop: { viewport: { width: 1280, height: 800 } },
  phone: { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true },
};
const SHELTER_WORD = { tg: 'Паноҳгоҳ', ru: 'приют', en: 'shelter' };
const TEXTS = {
  tg: { person: 'Шахс', service: 'Хизмат:', shelter: 'Паноҳгоҳ', contact: 'Тамос бо фиристанда', sent: 'Фиристода шуд' },
  ru: { person: 'Лицо', service: 'Услуга:', shelter: 'Приют', contact: 'Контакт отправителя', sent: 'Отправлено' },
  en: { person: 'Person', service: 'Service:', shelter: 'Shelter', contact: 'Contact at the sender', sent: 'Sent' },
};

async function fits(page, where) {
  const width = page.viewportSize().width;
  const ok = await page.evaluate((w) => document.documentElement.scrollWidth <= w && window.innerWidth <= w, width);
  assert.equal(ok, true, `${where} is wider than the ${width} px viewport`);
}

for (const [size, options] of Object.entries(SIZES)) {
  for (const lang of ['tg', 'ru', 'en']) {
    test(`${size} ${options.viewport.width}x${options.viewport.height}, ${lang}: search, preset, consent in place, send; the inbox and the timeline say who and what`, async () => {
      sqlite(join(srv.data, 'himoya.db'),
        "UPDATE orgs SET contact_phone = '+992 44 610 20 30', contact_email = 'nrm@hayot.example' WHERE code = 'ngo1'");
      const { case: c } = await seedCase(cw, { given_name: 'Нилуфар', family_name: `Шарифова-${size}-${lang}` });
      const { context, page, problems } = await newPage(options);
      const click = (sel) => (size === 'phone' ? page.tap(sel) : page.click(sel));
      let referralId;
      try {
        await signIn(page, srv.url, CW, lang);
        await page.goto(`${srv.url}/#/cases/${c.id}/refer`);
        await page.locator('#ref-dir-list > li').first().waitFor();
        // The generic word of the page's language finds the shelter.
        await page.fill('#ref-dir-q', SHELTER_WORD[lang]);
        await click('#ref-dir-search');
        await page.waitForFunction((id) => document.querySelectorAll('#ref-dir-list > li').length === 1 &&
          document.querySelector(`#ref-dir-list > li[data-id="${id}"]`), shelterService.id);
        await fits(page, 'step 1');
        await shot(page, `${size}-${lang}-1-search`);
        await click(`#ref-dir-list > li[data-id="${shelterService.id}"] [data-action="choose"]`);

        // Step 2: the consent is missing, said at once; the shelter preset.
        await visible(page, '#ref-share-form');
        await page.waitForSelector('#ref-share-form #consent-check[data-covered="no"]');
        assert.equal(await page.isChecked('#ref-preset-shelter'), true, 'the shelter preset for a shelter');
        for (const f of ['initials', 'given_name', 'family_name', 'phones']) assert.equal(await page.isChecked(`#share-${f}`), true, f);
        assert.equal(await page.isChecked('#share-summary'), false, 'a shelter is not told the case');
        await fits(page, 'step 2');
        await shot(page, `${size}-${lang}-2-share`);
        // Adjusted: the phone numbers stay home.
        await page.uncheck('#share-phones');
        // The consent, recorded in place.
        await click('#ref-consent-add');
        await visible(page, '#ref-consent-form');
        assert.equal(await page.inputValue('#ref-consent-purpose'), 'referral');
        await page.check('#ref-consent-agree');
        await page.selectOption('#ref-consent-method', 'written');
        await fits(page, 'the consent form');
        await click('#ref-consent-form-submit');
        await page.waitForSelector('#ref-share-form #consent-check[data-covered="yes"]');
        await page.fill('#ref-reason', 'Needs a safe place tonight.');
        await click('#ref-share-next');

        // Step 3: Send is open, and sends.
        await visible(page, '#ref-step-check');
        await page.waitForSelector('#ref-step-check #consent-check[data-covered="yes"]');
        assert.equal(await page.isDisabled('#ref-send'), false);
        assert.equal(await page.isHidden('#ref-send-why'), true);
        await fits(page, 'step 3');
        await shot(page, `${size}-${lang}-3-send`);
        await click('#ref-send');
        await page.waitForURL(new RegExp(`#/cases/${c.id}$`));
        await page.locator('#case-referrals-list li').first().waitFor();
        referralId = await page.getAttribute('#case-referrals-list li', 'data-id');

        // The timeline: the recipient and the state.
        await click('#tab-timeline');
        await page.locator('#timeline-list li[data-type="referral"]').first().waitFor();
        await page.waitForFunction((want) => new RegExp(want).test(
          document.querySelector('#timeline-list li[data-type="referral"] .tl-detail')?.textContent || ''),
        `Умед · ${TEXTS[lang].sent}$`).catch(async () => assert.fail(
          `timeline: ${await textOf(page, '#timeline-list li[data-type="referral"]')}`));
        await fits(page, 'the case timeline');
        assert.deepEqual(problems, []);
      } finally {
        await context.close();
      }
      const sent = (await cw.req('GET', `/api/v1/referrals/${referralId}`)).json;
      const presets = (await cw.req('GET', '/api/v1/referrals/share-presets')).json.items;
      const shelter = presets.find((p) => p.purpose === 'shelter').fields.filter((f) => f !== 'phones');
      assert.deepEqual(sent.share.slice().sort(), shelter.slice().sort(), 'the preset, less what was unticked');
      assert.equal(sent.service_id, shelterService.id);

      // The shelter's inbox: initials, the service, the sender's contact.
      const inbox = await newPage(options);
      try {
        const pg = inbox.page;
        await signIn(pg, srv.url, SHELTER_SUP, lang);
        await pg.goto(srv.url + '/#/referrals');
        const card = `#ref-list li[data-id="${referralId}"]`;
        await pg.locator(card).waitFor();
        await waitText(pg, `${card} .ref-person`, `${TEXTS[lang].person}: Ш. Н.`);
        await waitText(pg, `${card} .ref-service`, `${TEXTS[lang].service} ${TEXTS[lang].shelter}`);
        assert.match(await textOf(pg, `${card} .ref-sender`),
          new RegExp(`${TEXTS[lang].contact}: nilufar · Hayot NGO · \\+992 44 610 20 30 · nrm@hayot\\.example`));
        assert.doesNotMatch(await textOf(pg, card), /Нилуфар|Шарифова/, 'no name before it is accepted');
        await fits(pg, 'the inbox');
        await shot(pg, `${size}-${lang}-4-inbox`);
        assert.deepEqual(inbox.problems, []);
      } finally {
        await inbox.context.close();
      }
    });
  }
}

test('a shelter that does not take the person: the wizard says so before sending, and the referral goes all the same', async () => {
  let r = await shelterSup.req('POST', '/api/v1/directory/services', {
    name: 'Women only shelter (eligibility)', type: 'shelter', languages: ['tg'], regions_served: ['TJ-SU'],
    capacity_max: 6, genders_served: ['Feminine'], minimum_age: 18,
  });
  assert.equal(r.status, 201, r.text);
  const women = r.json;
  const { person, case: c } = await seedCase(cw, { given_name: 'Фарҳод', family_name: 'Сафаров', gender: 'Masculine', estimated_age: 34 });
  const k = await cw.req('POST', `/api/v1/persons/${person.id}/consents`, { purpose: 'referral', method: 'written', recipient_type: 'NGO' });
  assert.equal(k.status, 201, k.text);

  const { context, page, problems } = await newPage();
  try {
    await signIn(page, srv.url, CW, 'tg');
    await page.goto(`${srv.url}/#/cases/${c.id}`);
    await page.click('#refer-case');
    await page.locator('#ref-dir-list > li').first().waitFor();
    await page.fill('#ref-dir-q', 'Women only');
    await page.click('#ref-dir-search');
    await page.waitForFunction(() => document.querySelectorAll('#ref-dir-list > li').length === 1);
    await page.click(`#ref-dir-list > li[data-id="${women.id}"] [data-action="choose"]`);

    // Step 2 already says it, in the user's language, naming what does not fit.
    await visible(page, '#ref-share-form');
    const warn = '#ref-recipient-share .ref-eligibility';
    await visible(page, warn);
    assert.equal(await page.getAttribute(warn, 'data-field'), 'genders_served');
    assert.match(await textOf(page, warn), /паноҳгоҳ.*ҷинс.*қарор медиҳад/s);
    await page.fill('#ref-reason', 'Ба ҷои бехатар ниёз дорад.');
    await page.click('#ref-share-next');

    // Step 3 repeats it beside Send, which stays possible.
    await visible(page, '#ref-step-check');
    await visible(page, '#ref-recipient-check .ref-eligibility');
    await page.waitForSelector('#ref-step-check #consent-check[data-covered="yes"]');
    assert.equal(await page.isDisabled('#ref-send'), false, 'a warning, not a refusal');
    await page.click('#ref-send');
    await page.waitForURL(new RegExp(`#/cases/${c.id}$`));
    const out = (await cw.req('GET', '/api/v1/referrals?box=out')).json.items.filter((x) => x.case_id === c.id);
    assert.equal(out.length, 1, 'sent');
    assert.equal(out[0].service_id, women.id);
    assert.equal(out[0].status, 'sent');

    // A shelter that takes him shows nothing.
    await page.goto(`${srv.url}/#/cases/${c.id}`);
    await page.click('#refer-case');
    await page.locator('#ref-dir-list > li').first().waitFor();
    await page.fill('#ref-dir-q', 'Умед');
    await page.click('#ref-dir-search');
    await page.click(`#ref-dir-list > li[data-id="${shelterService.id}"] [data-action="choose"]`);
    await visible(page, '#ref-share-form');
    assert.equal(await page.locator('.ref-eligibility').count(), 0);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
