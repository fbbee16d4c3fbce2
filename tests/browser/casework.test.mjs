// The case worker's pages end to end, on a real `himoya serve` and
// Debian's headless chromium: registration with consent first, the case
// page and its records, the screening questionnaire and its suggestion,
// follow-ups, closing; the supervisor's status decision; a stale edit;
// the case list on a phone.  After each flow the API is asked whether the
// page really did what it showed.
//
// HIMOYA_SHOTS=DIR saves screenshots of the pages on the way.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer, Client } from '../lib/server.mjs';
import { launch, watchConsole, textOf, waitText, visible, hidden, noHorizontalScroll, WAIT, signIn } from './helpers.mjs';

const PW = 'Боғи-Ирам 2024!';
const CW = { login: 'shahnoza', role: 'caseworker', password: PW };
const SUP = { login: 'rustam', role: 'supervisor', password: PW };

let srv;
let browser;
let cw; // API clients, to set the scene and to check the result
let sup;

before(async () => {
  srv = await startServer({ users: [CW, SUP] });
  browser = await launch();
  cw = new Client(srv.url);
  assert.equal((await cw.login(CW.login, PW)).status, 200);
  sup = new Client(srv.url);
  assert.equal((await sup.login(SUP.login, PW)).status, 200);
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

// Chromium reports every 4xx answer to fetch() as a console error; those a
// test provokes on purpose are not faults.
function unexpected(problems, ...statuses) {
  const ok = new RegExp(`status of (${statuses.join('|')})\\b`);
  return problems.filter((p) => !ok.test(p));
}

// A full-page capture resizes the viewport for a moment, which upsets
// taps on an emulated phone afterwards: phones get the screen only.
// On an emulated phone the layout viewport grows to fit a page that is
// too wide, so compare with the screen's own width as well.
async function fitsPhone(page) {
  return (await noHorizontalScroll(page)) &&
    page.evaluate(() => document.documentElement.scrollWidth <= 360 && window.innerWidth <= 360);
}

async function shot(page, name) {
  if (!process.env.HIMOYA_SHOTS) return;
  const phone = page.viewportSize().width < 600;
  await page.screenshot({ path: join(process.env.HIMOYA_SHOTS, `${name}.png`), fullPage: !phone });
}

function isoDay(offset = 0) {
  const d = new Date();
  d.setDate(d.getDate() + offset);
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

// A person with consent and a case, made through the API.
async function seedCase(client, person, extra = {}) {
  const p = await client.req('POST', '/api/v1/persons', person);
  assert.equal(p.status, 201, p.text);
  const k = await client.req('POST', `/api/v1/persons/${p.json.id}/consents`, { purpose: 'assistance', method: 'written' });
  assert.equal(k.status, 201, k.text);
  const c = await client.req('POST', '/api/v1/cases', { person_id: p.json.id, ...extra });
  assert.equal(c.status, 201, c.text);
  return { person: p.json, case: c.json };
}

test('GET /schema carries the screening indicator sets with their labels', async () => {
  const r = await cw.req('GET', '/api/v1/schema');
  assert.equal(r.status, 200);
  const delphi = r.json.indicators['delphi-adult-labour'];
  assert.deepEqual(delphi.dimensions.map((d) => d.code), ['D1', 'D2', 'D3', 'D4', 'D5', 'D6']);
  assert.equal(delphi.dimensions[0].en, 'Deceptive recruitment');
  assert.match(delphi.dimensions[0].tg, /фиреб/);
  assert.equal(delphi.items.length, 67);
  assert.deepEqual(delphi.items[0], {
    code: 'D1-S1', dimension: 'D1', strength: 'strong',
    tg: 'Фиреб дар бораи хусусияти кор, ҷойи кор ё корфармо',
    ru: 'Обман относительно характера работы, места работы или работодателя',
    en: 'Deceived about the nature of the job, its location or the employer',
  });
  for (const it of delphi.items) {
    assert.match(it.dimension, /^D[1-6]$/);
    assert.ok(['strong', 'medium', 'weak'].includes(it.strength), it.code);
    assert.ok(it.tg && it.ru && it.en, it.code);
  }
  const ilo = r.json.indicators['ilo-forced-labour'];
  assert.equal(ilo.dimensions, undefined, 'the ILO 11 list is not weighted');
  assert.equal(ilo.items.length, 11);
  assert.equal(ilo.items[0].strength, 'unweighted');
});

test('case worker: consent first, person, case, screening, service, follow-ups, note, close', async () => {
  const { context, page, problems } = await newPage();
  const posts = []; // the writes the server accepted, in order
  page.on('response', (res) => {
    if (res.request().method() === 'POST' && res.status() < 300 && res.url().includes('/api/v1/')) posts.push(new URL(res.url()).pathname);
  });
  try {
    await signIn(page, srv.url, CW, 'en');
    posts.length = 0;
    await page.click('#nav-cases');
    await waitText(page, '#page-title', 'Cases');
    await visible(page, '#case-filters');
    await page.click('#register-link');
    await waitText(page, '#page-title', 'Register and open a case');

    // Look for the person first: nobody yet.
    await page.fill('#reg-q', 'Dzhumaeva');
    await page.click('#reg-find-submit');
    await waitText(page, '#reg-find .message', 'Nobody found with this name.');
    await page.click('#reg-new-person');

    // Step 1, consent: explained in the three languages, not skipped.
    await visible(page, '#consent-form');
    assert.equal(await textOf(page, '#reg-steps [aria-current="step"]'), '1. Consent');
    for (const lang of ['tg', 'ru', 'en']) {
      assert.ok((await textOf(page, `#consent-explain [lang="${lang}"]`)).length > 100, `explained in ${lang}`);
    }
    assert.match(await textOf(page, '#consent-explain [lang="tg"]'), /розигии худро дар ҳар вақт бозпас гиред/);
    assert.match(await textOf(page, '#consent-form'), /Purpose:\s*Assistance/);
    await shot(page, 'register-consent');
    await page.click('#consent-form-submit');
    await waitText(page, '#consent-form .message.error', 'Registration needs the person’s consent. Tick the box once they agree.');
    await page.check('#consent-agree');
    await page.click('#consent-form-submit');
    await waitText(page, '#consent-form .message.error', 'Please fill in: Method');
    assert.equal(await page.getAttribute('#consent-method', 'aria-invalid'), 'true');
    await page.selectOption('#consent-method', 'verbal_witnessed');
    await page.click('#consent-form-submit');
    assert.deepEqual(posts, [], 'nothing is written before the person is registered');

    // Step 2, the person, from the schema.
    await visible(page, '#person-form');
    assert.equal(await textOf(page, '#reg-steps [aria-current="step"]'), '2. The person');
    assert.equal(await textOf(page, 'label[for="person-given_name"] span'), 'Given name');
    await page.fill('#person-given_name', 'Мадина');
    await page.fill('#person-family_name', 'Ҷумъаева');
    await page.fill('#person-birth_date', '1994-03-12');
    await page.selectOption('#person-gender', 'Feminine');
    await page.selectOption('#person-citizenship', 'TJ');
    await page.fill('#person-phones-0', '+992 93 555 12 34');
    // A date in the future is refused by the server: the message sits at the field.
    await page.fill('#person-birth_date', isoDay(30));
    await page.click('#person-form-submit');
    await waitText(page, '#person-form .message.error', 'Date of birth: The date cannot be in the future.');
    assert.equal(await page.getAttribute('#person-birth_date', 'aria-invalid'), 'true');
    // Labels follow the language, and what was typed stays.
    await page.selectOption('#lang', 'ru');
    await waitText(page, 'label[for="person-given_name"] span', 'Имя');
    assert.equal(await page.inputValue('#person-given_name'), 'Мадина');
    assert.equal(await textOf(page, '#person-form .message.error'), 'Дата рождения: Будущая дата не допускается.');
    await page.selectOption('#lang', 'en');
    await waitText(page, 'label[for="person-given_name"] span', 'Given name');
    await page.fill('#person-birth_date', '1994-03-12');
    await shot(page, 'register-person');
    await page.click('#person-form-submit');

    // Step 3, the case.
    await visible(page, '#case-form');
    assert.equal(await textOf(page, '#reg-steps [aria-current="step"]'), '3. The case');
    await waitText(page, '#reg-case .who', 'Person: Ҷумъаева Мадина');
    await page.check('#case-exploitation_types-ForcedLabour');
    await page.check('#case-countries_of_exploitation-RU');
    await page.selectOption('#case-recruitment_method', { index: 1 });
    await page.fill('#case-summary', 'Worked on a building site near Moscow.\nThe employer kept her passport.');
    await shot(page, 'register-case');
    await page.click('#case-form-submit');

    // The new case opens.
    await page.waitForURL(/#\/cases\/[a-z2-7]{26}$/, { timeout: WAIT });
    const caseId = new URL(page.url()).hash.split('/')[2];
    await waitText(page, '#page-title', 'Ҷумъаева Мадина');
    await waitText(page, '#head-status dd', 'Active');
    assert.equal(await textOf(page, '#head-trafficking dd'), 'Not decided yet');
    assert.deepEqual(posts.slice(0, 3), ['/api/v1/persons', `/api/v1/persons/${(await cw.req('GET', `/api/v1/cases/${caseId}`)).json.person_id}/consents`, '/api/v1/cases'],
      'the person, then the consent, then the case');

    // Screening: grouped by dimension, answers, the child box, a suggestion.
    await page.click('#start-screening');
    await waitText(page, '#page-title', 'Screening: Ҷумъаева Мадина');
    assert.equal(await page.locator('#screening-form fieldset.dimension').count(), 6);
    assert.equal(await page.locator('#screening-form .question').count(), 67);
    assert.match(await textOf(page, '#scr-D1 legend'), /D1\s+Deceptive recruitment/);
    for (const code of ['D1-S1', 'D1-M1', 'D4-S1', 'D4-M1', 'D5-S1', 'D5-S2']) await page.click(`label[for="scr-${code}-yes"]`);
    await page.click('label[for="scr-D2-S1-no"]');
    await page.click('label[for="scr-D3-M1-declined"]');
    await page.click('label[for="scr-D6-M1-unknown"]');
    await waitText(page, '#scr-count', 'Answered: 9 / 67');
    await shot(page, 'screening');
    await page.click('#scr-submit');
    await visible(page, '#scr-result');
    assert.equal(await textOf(page, '#scr-suggestion .sugg-label'), 'Suggestion (not the official status)');
    assert.equal(await textOf(page, '#scr-suggestion .sugg-value'), 'Indicators of trafficking in human beings');
    assert.match(await textOf(page, '#scr-suggestion .sugg-note'), /does not change the person’s official status/);
    assert.equal(await textOf(page, '#scr-dims [data-dim="D1"] .dim-verdict'), 'indicated');
    assert.equal(await textOf(page, '#scr-dims [data-dim="D2"] .dim-verdict'), 'not indicated');
    assert.equal(await textOf(page, '#scr-dims [data-dim="D5"] .dim-verdict'), 'indicated');
    await shot(page, 'screening-result');
    await page.click('#scr-done');
    await waitText(page, '#head-stage dd', 'Screening');
    assert.equal(await textOf(page, '#head-trafficking dd'), 'Not decided yet', 'a suggestion is not a decision');

    // A service.
    await page.click('#tab-services');
    await visible(page, '#service-add');
    await page.click('#service-add');
    await page.selectOption('#service-type', 'shelter');
    assert.equal(await page.inputValue('#service-status'), 'planned');
    // The provider is chosen from the directory's organisations (here
    // only the own one: this test's directory is empty).
    await page.selectOption('#service-provider_org', 'iom');
    await page.click('#service-form-submit');
    await waitText(page, '.view > .message.success', 'Service saved.');
    await waitText(page, '#service-list li .card-title strong', 'Shelter');
    assert.equal(await textOf(page, '#service-list li .svc-provider'), 'IOM Tajikistan', 'the provider by its name');
    await waitText(page, '#head-stage dd', 'Assistance');

    // Two follow-ups: one overdue, one ahead, marked done.
    await page.click('#tab-followups');
    for (const due of [isoDay(-3), isoDay(14)]) {
      await page.click('#followup-add');
      await page.fill('#followup-due', due);
      if (due > isoDay()) await page.check('#followup-reintegration');
      await page.click('#followup-form-submit');
      await waitText(page, '.view > .message.success', 'Follow-up planned.');
      await hidden(page, '#followup-form');
    }
    await page.locator('#followup-list li').nth(1).waitFor();
    assert.match(await textOf(page, '#followup-list li:first-child'), /Overdue/);
    await page.locator('#followup-list li:nth-child(2) [data-action="done"]').click();
    await page.fill('#followup-list li:nth-child(2) textarea', 'Visited at home. Working at a bakery.');
    await page.locator('#followup-list li:nth-child(2) [data-action="save-done"]').click();
    await waitText(page, '.view > .message.success', 'Follow-up marked as done.');
    await page.locator('#followup-list li:nth-child(2) .badge.ok').waitFor();
    assert.match(await textOf(page, '#followup-list li:nth-child(2)'), /Done.*Visited at home/s);
    await shot(page, 'case-followups');

    // A note over two lines.
    await page.click('#tab-notes');
    await page.click('#note-add');
    assert.equal(await page.inputValue('#note-type'), 'note');
    await page.fill('#note-text', 'Called her sister in Khujand.\nShe can stay there after the shelter.');
    await page.click('#note-form-submit');
    await waitText(page, '.view > .message.success', 'Note saved.');
    await waitText(page, '#note-list .prose', 'Called her sister in Khujand.\nShe can stay there after the shelter.');

    // The timeline holds them all, typed and translated.
    await page.click('#tab-timeline');
    await page.locator('#timeline-list [data-type="note"]').waitFor();
    const types = await page.$$eval('#timeline-list .tl-type', (n) => n.map((x) => x.textContent));
    for (const want of ['Case opened', 'Screening', 'Service', 'Follow-up', 'Note']) assert.ok(types.includes(want), `${want} in ${types}`);
    await shot(page, 'case-timeline');

    // The overdue follow-up is on my list.
    await page.click('#nav-followups');
    await waitText(page, '#page-title', 'Overdue follow-ups');
    await page.locator('#followups-list li').first().waitFor();
    assert.equal(await page.locator('#followups-list li').count(), 1);
    assert.match(await textOf(page, '#followups-list li'), /Ҷумъаева Мадина.*Days late: 3/s);
    await page.click('#followups-list a');
    await waitText(page, '#page-title', 'Ҷумъаева Мадина');

    // Close with a reason.
    await page.click('#close-case');
    await page.click('#close-confirm');
    await waitText(page, '#close-form .message', 'Choose a reason.');
    await page.selectOption('#close-reason', 'assistance_completed');
    await page.click('#close-confirm');
    await waitText(page, '.view > .message.success', 'The case is closed.');
    await waitText(page, '#head-status dd', 'Closed');
    assert.match(await textOf(page, '#head-closed dd'), /Assistance completed/);
    assert.equal(await page.isVisible('#reopen-case'), true);
    await shot(page, 'case-closed');

    // What the API says now.
    const c = (await cw.req('GET', `/api/v1/cases/${caseId}`)).json;
    assert.equal(c.status, 'Closed');
    assert.equal(c.closure_reason, 'assistance_completed');
    assert.equal(c.trafficking_status, undefined);
    assert.deepEqual(c.exploitation_types, ['ForcedLabour']);
    assert.deepEqual(c.countries_of_exploitation, ['RU']);
    assert.equal(c.summary, 'Worked on a building site near Moscow.\nThe employer kept her passport.');
    const p = (await cw.req('GET', `/api/v1/persons/${c.person_id}`)).json;
    assert.equal(p.family_name, 'Ҷумъаева');
    assert.equal(p.birth_date, '1994-03-12');
    assert.deepEqual(p.phones, ['+992 93 555 12 34']);
    const consents = (await cw.req('GET', `/api/v1/persons/${c.person_id}/consents`)).json.items;
    assert.equal(consents.length, 1);
    assert.equal(consents[0].purpose, 'assistance');
    assert.equal(consents[0].method, 'verbal_witnessed');
    assert.equal(consents[0].state, 'active');
    assert.ok(consents[0].created_at <= c.created_at, 'consent before the case');
    const scr = (await cw.req('GET', `/api/v1/cases/${caseId}/screenings`)).json.items;
    assert.equal(scr.length, 1);
    assert.equal(scr[0].suggestion, 'trafficking');
    assert.equal(scr[0].answers['D2-S1'], 'no');
    assert.equal(scr[0].answers['D3-M1'], 'declined');
    const svc = (await cw.req('GET', `/api/v1/cases/${caseId}/services`)).json.items;
    assert.deepEqual(svc.map((s) => [s.type, s.status, s.provider_org]), [['shelter', 'planned', 'iom']]);
    const fus = (await cw.req('GET', `/api/v1/cases/${caseId}/followups`)).json.items;
    assert.equal(fus.length, 2);
    const done = fus.find((f) => f.status === 'done');
    assert.equal(done.outcome, 'Visited at home. Working at a bakery.');
    assert.equal(done.reintegration, true);
    assert.equal(done.version, 2);
    const notes = (await cw.req('GET', `/api/v1/cases/${caseId}/notes`)).json.items;
    assert.equal(notes[0].text, 'Called her sister in Khujand.\nShe can stay there after the shelter.');

    // And reopened.
    await page.click('#reopen-case');
    await waitText(page, '.view > .message.success', 'The case is open again.');
    await waitText(page, '#head-status dd', 'Active');
    assert.equal((await cw.req('GET', `/api/v1/cases/${caseId}`)).json.status, 'Active');

    assert.deepEqual(unexpected(problems, 422), []);
  } finally {
    await context.close();
  }
});

test('a known person: found across scripts, a new case without asking consent twice', async () => {
  const seeded = await seedCase(cw, { given_name: 'Фарҳод', family_name: 'Қодиров', birth_date: '1988-01-20' });
  const closed = await cw.req('POST', `/api/v1/cases/${seeded.case.id}/close`, { reason: 'lost_contact' });
  assert.equal(closed.status, 200, closed.text);
  const { context, page, problems } = await newPage();
  try {
    await signIn(page, srv.url, CW, 'en');
    await page.goto(srv.url + '/#/register');
    await visible(page, '#reg-q');
    await page.fill('#reg-q', 'Kodirov');
    await page.click('#reg-find-submit');
    await page.locator('#reg-found li').first().waitFor();
    assert.match(await textOf(page, '#reg-found li'), /Қодиров Фарҳод.*Born 20\.01\.1988/s);
    await page.click(`#reg-found button[data-id="${seeded.person.id}"]`);
    // An active consent to assistance is on file: straight to the case.
    await visible(page, '#case-form');
    assert.equal(await textOf(page, '#reg-steps'), '1. The case');
    assert.equal(await page.isVisible('#reg-case .message.info'), true);
    await page.click('#case-form-submit');
    await page.waitForURL(/#\/cases\/[a-z2-7]{26}$/);
    await waitText(page, '#page-title', 'Қодиров Фарҳод');
    const list = (await cw.req('GET', `/api/v1/cases?person_id=${seeded.person.id}`)).json.items;
    assert.equal(list.length, 2);
    assert.equal((await cw.req('GET', `/api/v1/persons/${seeded.person.id}/consents`)).json.items.length, 1);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('supervisor records the official status decision; the case worker cannot', async () => {
  const seeded = await seedCase(cw, { given_name: 'Зарина', family_name: 'Назарова' });
  const id = seeded.case.id;

  // The case worker sees the history and who decides, but no form.
  let { context, page, problems } = await newPage();
  try {
    await signIn(page, srv.url, CW, 'en');
    await page.goto(`${srv.url}/#/cases/${id}`);
    await waitText(page, '#page-title', 'Назарова Зарина');
    await page.click('#tab-decisions');
    await waitText(page, '#panel-decisions .hint', 'A supervisor or an NRM focal point records the official decision.');
    assert.equal(await page.isVisible('#decision-add'), false);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }

  ({ context, page, problems } = await newPage());
  try {
    await signIn(page, srv.url, SUP, 'en');
    await page.goto(`${srv.url}/#/cases/${id}`);
    await waitText(page, '#page-title', 'Назарова Зарина');
    await page.click('#tab-decisions');
    await page.click('#decision-add');
    assert.equal(await page.inputValue('#decision-date'), isoDay().split('-').reverse().join('.'), 'dates are typed dd.mm.yyyy');
    await page.selectOption('#decision-status', 'PossibleVictimOfTrafficking');
    // The deciding body is the organisation's, never chosen (issue 15).
    assert.equal(await page.locator('#decision-decided_by').count(), 0);
    assert.match(await textOf(page, '#decision-as'), /^Recorded as your organisation’s own assessment .*: IOM Tajikistan$/);
    await page.fill('#decision-reference', 'NRM-2024-117');
    await shot(page, 'decision-form');
    await page.click('#decision-form-submit');
    await waitText(page, '.view > .message.success', 'Decision recorded.');
    await waitText(page, '#head-trafficking dd', 'Possible victim of trafficking');
    await waitText(page, '#decision-list li .card-title', 'Possible victim of trafficking');
    const c = (await sup.req('GET', `/api/v1/cases/${id}`)).json;
    assert.equal(c.trafficking_status, 'PossibleVictimOfTrafficking');
    const ds = (await sup.req('GET', `/api/v1/cases/${id}/status-decisions`)).json.items;
    assert.deepEqual(ds.map((d) => [d.status, d.decided_by, d.reference]), [['PossibleVictimOfTrafficking', 'Other', 'NRM-2024-117']]);

    // Should the server refuse (a role changed meanwhile), the page says why.
    await page.route('**/status-decisions', (route) => (route.request().method() === 'POST'
      ? route.fulfill({ status: 403, contentType: 'application/problem+json', body: JSON.stringify({ type: 'forbidden', title: 'Forbidden', status: 403 }) })
      : route.continue()));
    await page.click('#decision-add');
    await page.selectOption('#decision-status', 'ActualVictimOfTrafficking');
    await page.selectOption('#lang', 'tg');
    await page.click('#decision-form-submit');
    await waitText(page, '#decision-form .message.error',
      'Қарори расмиро дар бораи мақоми шахс танҳо нозир ё шахси масъули мақомоти ваколатдор сабт мекунад.');
    assert.equal((await sup.req('GET', `/api/v1/cases/${id}`)).json.trafficking_status, 'PossibleVictimOfTrafficking');

    // Recorded for real, IOM's "identified victim" says what it counts
    // as: the organisation's own assessment, a presumed victim in every
    // report (not an official identification).
    await page.unroute('**/status-decisions');
    await page.selectOption('#lang', 'en');
    await page.click('#decision-form-submit');
    await waitText(page, '.view > .message.success', 'Decision recorded.');
    await waitText(page, '#head-ident', '· the organisation’s own assessment: counted as a presumed victim until an authority identifies');
    assert.match(await textOf(page, '#head-trafficking dd'), /^Identified victim of trafficking · the organisation’s own/);
    await page.locator('#decision-list li .ident[data-ident="case.ident_assessment"]').first().waitFor();
    assert.deepEqual(unexpected(problems, 403), []);
  } finally {
    await context.close();
  }
});

test('a stale edit of the case says someone else changed it; reload and save', async () => {
  const seeded = await seedCase(cw, { given_name: 'Нигора', family_name: 'Алиева' }, { summary: 'First words.' });
  const id = seeded.case.id;
  const { context, page, problems } = await newPage();
  try {
    await signIn(page, srv.url, CW, 'en');
    await page.goto(`${srv.url}/#/cases/${id}`);
    await waitText(page, '#page-title', 'Алиева Нигора');
    await page.click('#tab-details');
    await page.click('#edit-case');
    assert.equal(await page.inputValue('#edit-summary'), 'First words.');
    // Someone else saves first.
    const other = await cw.req('PATCH', `/api/v1/cases/${id}`, { summary: 'Their words.' }, { 'if-match': '"1"' });
    assert.equal(other.status, 200, other.text);
    await page.fill('#edit-summary', 'My words.');
    await page.click('#edit-form-submit');
    await waitText(page, '#edit-conflict > span',
      'Someone else changed this case while you were editing. Reload to see their changes, then edit again.');
    await shot(page, 'edit-conflict');
    assert.equal((await cw.req('GET', `/api/v1/cases/${id}`)).json.summary, 'Their words.', 'nothing overwritten');

    await page.click('#reload-case');
    await page.click('#tab-details');
    await page.click('#edit-case');
    assert.equal(await page.inputValue('#edit-summary'), 'Their words.');
    await page.fill('#edit-summary', 'Their words. And mine.');
    await page.selectOption('#edit-status', 'FollowUp');
    await page.click('#edit-form-submit');
    await waitText(page, '.view > .message.success', 'Case details saved.');
    await waitText(page, '#head-status dd', 'Follow-up');
    const c = (await cw.req('GET', `/api/v1/cases/${id}`)).json;
    assert.equal(c.summary, 'Their words. And mine.');
    assert.equal(c.status, 'FollowUp');
    assert.equal(c.version, 3);
    assert.deepEqual(unexpected(problems, 412), []);
  } finally {
    await context.close();
  }
});

test('phone 360x740: the case list fits, filters, pages, search across scripts', async () => {
  // Enough cases for two pages (25 a page), a few of them someone else's.
  const other = new Client(srv.url);
  assert.equal((await other.login(SUP.login, PW)).status, 200);
  for (let i = 0; i < 27; i++) {
    await seedCase(i < 3 ? other : cw, { given_name: `Саидҷон ${i + 1}`, family_name: i === 0 ? 'Тӯраев' : 'Шарипов' });
  }
  const { context, page, problems } = await newPage({
    viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true,
  });
  try {
    await signIn(page, srv.url, CW, 'tg');
    await page.goto(srv.url + '/#/cases');
    await waitText(page, '#page-title', 'Парвандаҳо');
    await page.locator('#case-list li').nth(24).waitFor();
    assert.equal(await page.locator('#case-list li').count(), 25);
    assert.equal(await fitsPhone(page), true, 'the list is wider than the phone');
    for (const sel of ['#filter-q', '#filter-status', '#filter-stage', '#filter-mine', '#register-link', '#case-list li:first-child a']) {
      const box = await page.locator(sel).boundingBox();
      assert.ok(box && box.x >= 0 && box.x + box.width <= 360, `${sel} outside the screen`);
    }
    const row = await page.locator('#case-list li:first-child a').boundingBox();
    assert.ok(row.height >= 44, 'a row is easy to tap');
    await shot(page, 'phone-list');

    // The next page, and back.
    await page.tap('#page-next');
    await waitText(page, '.pager .page-no', 'Саҳифаи 2');
    const second = await page.locator('#case-list li').count();
    assert.ok(second >= 2, `page 2 has ${second}`);
    await page.tap('#page-prev');
    await waitText(page, '.pager .page-no', 'Саҳифаи 1');

    // Only mine: the supervisor's three are gone.
    const all = (await cw.req('GET', '/api/v1/cases?limit=200')).json.items.length;
    const mine = (await cw.req('GET', '/api/v1/cases?assigned=me&limit=200')).json.items.length;
    await page.check('#filter-mine');
    await page.waitForFunction((n) => document.querySelectorAll('#case-list li').length === Math.min(n, 25) &&
      !document.querySelector('#case-list[aria-busy]'), mine);
    assert.ok(mine < all);

    // A name typed in Latin finds the Cyrillic one.
    await page.uncheck('#filter-mine');
    await page.fill('#filter-q', 'Turaev');
    await page.tap('#filter-search');
    await page.waitForFunction(() => document.querySelectorAll('#case-list li').length === 1);
    assert.match(await textOf(page, '#case-list li'), /Тӯраев Саидҷон 1/);
    await page.selectOption('#filter-status', 'Closed');
    await waitText(page, '.view > .message', 'Бо ин ном парванда ёфт нашуд.');
    await page.selectOption('#filter-status', '');
    await page.locator('#case-list li').first().waitFor();

    // A tap opens the case, which fits the phone too.
    await page.tap('#case-list li a');
    await waitText(page, '#page-title', 'Тӯраев Саидҷон 1');
    await visible(page, '#case-head');
    assert.equal(await fitsPhone(page), true, 'the case page is wider than the phone');
    await shot(page, 'phone-case');
    await page.tap('#tab-services');
    await page.tap('#service-add');
    await visible(page, '#service-form');
    assert.equal(await fitsPhone(page), true, 'the service form is wider than the phone');
    await shot(page, 'phone-service-form');
    await page.goto(`${srv.url}/#/register`);
    await page.tap('#reg-new-person');
    await visible(page, '#consent-form');
    assert.equal(await fitsPhone(page), true, 'the consent step is wider than the phone');
    await shot(page, 'phone-consent');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('a note saved as the line drops is kept once when saved again, and the screen shows it saved', async () => {
  const seeded = await seedCase(cw, { given_name: 'Мадина', family_name: 'Раҳимова' }, { summary: 'Weak link.' });
  const id = seeded.case.id;
  const { context, page, problems } = await newPage();
  try {
    await signIn(page, srv.url, CW, 'en');
    await page.goto(`${srv.url}/#/cases/${id}`);
    await waitText(page, '#page-title', 'Раҳимова Мадина');
    await page.click('#tab-notes');
    await page.click('#note-add');
    await page.fill('#note-text', 'Spoke with her on a bad line.');
    // The save reaches the server and is made; its answer is lost.
    let drops = 1;
    await page.route(`**/api/v1/cases/${id}/notes`, async (route) => {
      if (route.request().method() !== 'POST' || drops === 0) return route.fallback();
      drops -= 1;
      await route.fetch();
      await route.abort('connectionreset');
    });
    await page.click('#note-form-submit');
    const count = async () => (await cw.req('GET', `/api/v1/cases/${id}/notes`)).json.items.length;
    for (let i = 0; i < 50 && (await count()) === 0; i++) await page.waitForTimeout(100);
    assert.equal(await count(), 1, 'the first save was made');
    await page.locator('#note-form-submit').waitFor({ state: 'visible' });
    await page.click('#note-form-submit');
    await waitText(page, '#note-list .prose', 'Spoke with her on a bad line.');
    assert.equal(await count(), 1, 'saved again: one note, not two');
    assert.equal(await page.locator('#note-list .prose').count(), 1);
    assert.deepEqual(problems.filter((p) => !/ERR_CONNECTION_RESET|Failed to fetch|net::/.test(p)), []);
  } finally {
    await context.close();
  }
});

// A list field's items are named in the singular with their number ("Goal
// 2", not "Goals 2"), numbered anew after a removal, and its button says
// what it adds ("Add a goal", not "Add: Goals"), in every language; every
// list field of the schema has its singular name in the catalogue.
test('a list\'s items: "Goal 1" and "Add a goal", in the three languages; every list has a singular name', async () => {
  const { catalogue } = await import('../../web/i18n.js');
  const schemaRes = await cw.req('GET', '/api/v1/schema');
  const lists = [];
  const walk = (resource, fields) => {
    for (const f of fields) {
      if (['object_list', 'text_list', 'phone_list'].includes(f.type) && !f.read_only) lists.push([resource, f.name, f.type]);
      if (f.fields) walk(resource, f.fields);
    }
  };
  for (const [resource, fields] of Object.entries(schemaRes.json.resources)) walk(resource, fields);
  assert.ok(lists.some(([r, n]) => r === 'plan' && n === 'goals'), JSON.stringify(lists));
  const missing = lists.filter(([, name, type]) => !catalogue[`item.${name}`] || (type === 'object_list' && !catalogue[`item.add_${name}`]));
  assert.deepEqual(missing, [], 'list fields without a singular item name (item.NAME) or an add button (item.add_NAME)');

  const seeded = await seedCase(cw, { given_name: 'Шоира', family_name: 'Назарова' });
  const { context, page, problems } = await newPage();
  try {
    await signIn(page, srv.url, CW, 'en');
    await page.goto(`${srv.url}/#/cases/${seeded.case.id}`);
    await page.click('#tab-plans');
    await page.click('#plan-add');
    await visible(page, '#plan-goals-add');
    const legends = () => page.$$eval('#plan-goals-group .sub-form > legend', (ls) => ls.map((l) => l.textContent));
    await waitText(page, '#plan-goals-add', 'Add a goal');
    for (let i = 0; i < 3; i++) await page.click('#plan-goals-add');
    assert.deepEqual(await legends(), ['Goal 1', 'Goal 2', 'Goal 3']);
    await page.fill('#plan-goals-1-goal', 'Find work near home');
    await page.fill('#plan-goals-2-goal', 'Get a new passport');
    assert.equal(await page.locator('#plan-goals-group .sub-form').first().locator('button.link').getAttribute('aria-label'),
      'Remove: Goal 1', 'which item a Remove removes');
    await page.locator('#plan-goals-group .sub-form').first().locator('button.link').click();
    // The cursor goes to the item now in its place, not to the page.
    assert.equal(await page.evaluate(() => !!document.activeElement.closest('#plan-goals-group .sub-form')), true);
    assert.deepEqual(await legends(), ['Goal 1', 'Goal 2'], 'numbered anew after a removal');
    await page.selectOption('#lang', 'ru');
    await waitText(page, '#plan-goals-add', 'Добавить цель');
    assert.deepEqual(await legends(), ['Цель 1', 'Цель 2']);
    await page.selectOption('#lang', 'tg');
    await waitText(page, '#plan-goals-add', 'Илова кардани мақсад');
    assert.deepEqual(await legends(), ['Мақсад 1', 'Мақсад 2']);
    await page.selectOption('#lang', 'en');
    await waitText(page, '#plan-goals-add', 'Add a goal');
    await page.selectOption('#plan-type', { index: 1 });
    await page.click('#plan-form-submit');
    await page.locator('#plan-list > li', { hasText: 'Get a new passport' }).waitFor();
    const plans = (await cw.req('GET', `/api/v1/cases/${seeded.case.id}/plans`)).json.items;
    assert.deepEqual(plans[0].goals.map((g) => g.goal), ['Find work near home', 'Get a new passport']);
    assert.deepEqual(unexpected(problems), []);
  } finally {
    await context.close();
  }
});

// A service's amounts carry their currency, the programme's (somoni, TJS)
// when the record names none, and are written as the language writes
// numbers.
test('a service\'s cost and grant show their currency, in the language\'s way of writing numbers', async () => {
  const seeded = await seedCase(cw, { given_name: 'Нигина', family_name: 'Саидова' });
  const svc = async (body) => {
    const r = await cw.req('POST', `/api/v1/cases/${seeded.case.id}/services`, body);
    assert.equal(r.status, 201, r.text);
  };
  await svc({ type: 'medical', status: 'planned', start: isoDay(-3), cost: 12500 });
  await svc({ type: 'business_startup_grant', status: 'completed', start: '2025-01-05', end: '2025-02-10', trade: 'Пекарня',
    grant_amount: 1800, currency: 'USD', completion: 'completed' });
  const { context, page, problems } = await newPage();
  try {
    await signIn(page, srv.url, CW, 'en');
    await page.goto(`${srv.url}/#/cases/${seeded.case.id}`);
    await page.click('#tab-services');
    const card = (text) => page.locator('#service-list li', { hasText: text });
    await card('Пекарня').waitFor();
    const medical = await card('Medical').textContent();
    assert.match(medical, /Cost: TJS\s12,500/, medical);
    assert.match(await card('Пекарня').textContent(), /Grant: USD\s1,800/);
    await page.selectOption('#lang', 'ru');
    await page.locator('#service-list li', { hasText: 'Грант:' }).waitFor();
    assert.match(await card('Пекарня').textContent(), /Грант: 1\s800\sUSD/);
    assert.match(await card('Стоимость').textContent(), /Стоимость: 12\s500\sTJS/);
    await page.selectOption('#lang', 'tg');
    await page.locator('#service-list li', { hasText: 'Арзиш:' }).waitFor();
    assert.match(await card('Арзиш:').textContent(), /Арзиш: 12\s500\sTJS/);
    assert.match(await card('Пекарня').textContent(), /Грант: 1\s800\sUSD/);
    assert.deepEqual(unexpected(problems), []);
  } finally {
    await context.close();
  }
});
