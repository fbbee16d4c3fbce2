// The NRM as the agencies work it (issue 15), in the browser: a police
// focal point registers a person with consent, screens (the child flag
// from the dates, with its reason; the items behind each positive
// dimension) and refers to an NGO, which accepts; a minor's consent is
// given by a guardian, named with the relation; in en, ru and tg.
//
// HIMOYA_SHOTS=DIR saves screenshots of the pages on the way.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer, Client } from '../lib/server.mjs';
import { launch, watchConsole, textOf, waitText, visible, hidden, WAIT, signIn } from './helpers.mjs';

const PW = 'Боғи-Ирам 2024!';
const FP = { org: 'police', login: 'davron', role: 'focal_point', password: PW };
const CW = { org: 'ngo1', login: 'nilufar', role: 'caseworker', password: PW };
const SUP = { org: 'ngo1', login: 'nigora', role: 'supervisor', password: PW };

let srv;
let browser;
let fp; // API clients, to set the scene and to check the result
let cw;
let shelter;

before(async () => {
  srv = await startServer({
    orgs: [
      { code: 'police', name: 'Police', type: 'LawEnforcement', sector: 'police' },
      { code: 'ngo1', name: 'Hayot NGO', type: 'NGO', sector: 'ngo' },
    ],
    users: [FP, CW, SUP],
  });
  browser = await launch();
  fp = new Client(srv.url);
  assert.equal((await fp.login(FP.login, PW)).status, 200);
  cw = new Client(srv.url);
  assert.equal((await cw.login(CW.login, PW)).status, 200);
  const sup = new Client(srv.url);
  assert.equal((await sup.login(SUP.login, PW)).status, 200);
  const r = await sup.req('POST', '/api/v1/directory/services', {
    name: 'Hayot shelter and counselling', type: 'shelter', languages: ['tg', 'ru'],
    regions_served: ['TJ-DU'], description: 'Shelter, counselling and legal aid for survivors.',
  });
  assert.equal(r.status, 201, r.text);
  shelter = r.json;
});

after(async () => {
  await browser?.close();
  await srv?.stop();
  srv?.cleanup();
});

async function newPage() {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(20000);
  const page = await context.newPage();
  return { context, page, problems: watchConsole(page) };
}

function unexpected(problems, ...statuses) {
  const ok = new RegExp(`status of (${statuses.join('|')})\\b`);
  return problems.filter((p) => !ok.test(p));
}

async function shot(page, name) {
  if (!process.env.HIMOYA_SHOTS) return;
  await page.screenshot({ path: join(process.env.HIMOYA_SHOTS, `nrm-${name}.png`), fullPage: true });
}

// The date `years` years and `days` days before today, YYYY-MM-DD.
function ago(years, days = 0) {
  const d = new Date();
  d.setFullYear(d.getFullYear() - years);
  d.setDate(d.getDate() - days);
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}
const shown = (iso) => iso.split('-').reverse().join('.');

test('a police focal point registers, screens and refers to an NGO, which accepts', async () => {
  const police = await newPage();
  const ngo = await newPage();
  try {
    const { page } = police;
    await signIn(page, srv.url, FP, 'en');
    // The focal point's home offers registration: an authority is an entry point.
    await visible(page, '#home-register');
    await page.click('#home-register');
    await waitText(page, '#page-title', 'Register and open a case');
    await visible(page, '#reg-focal-lead');
    assert.match(await textOf(page, '#reg-focal-lead'), /You are an authority’s focal point/);
    await page.click('#reg-new-person');
    await visible(page, '#consent-form');
    // The police record the data themselves: the person is told so, not
    // that "we do not give it to the police".
    const said = await textOf(page, '#consent-explain');
    assert.match(said, /a state authority/);
    assert.doesNotMatch(said, /give it to the police|в милицию|ба милитсия/);
    // The guardian's fields only once a guardian gives the consent.
    await hidden(page, '#consent-guardian_name');
    await page.check('#consent-agree');
    await page.selectOption('#consent-method', 'written');
    await page.click('#consent-form-submit');
    await visible(page, '#person-form');
    await page.fill('#person-given_name', 'Шабнам');
    await page.fill('#person-family_name', 'Давлатова');
    await page.fill('#person-birth_date', ago(20, 30));
    await page.selectOption('#person-gender', 'Feminine');
    await page.click('#person-form-submit');
    await visible(page, '#case-form');
    await page.check('#case-exploitation_types-ForcedLabour');
    await page.click('#case-form-submit');
    await page.waitForURL(/#\/cases\/[a-z2-7]{26}$/, { timeout: WAIT });
    const caseId = new URL(page.url()).hash.split('/')[2];
    await waitText(page, '#page-title', 'Давлатова Шабнам');

    // The officer misspelt the name: the focal point corrects the person
    // its authority registered (with If-Match), and the case's title follows.
    await page.click('#tab-details');
    await page.click('#edit-person');
    await visible(page, '#person-edit-form');
    assert.equal(await page.inputValue('#pedit-family_name'), 'Давлатова');
    await page.fill('#pedit-family_name', 'Давлатзода');
    await page.click('#person-edit-form-submit');
    await waitText(page, '.view > .message.success', 'The person’s details are saved.');
    await waitText(page, '#page-title', 'Давлатзода Шабнам');
    await page.click('#tab-timeline');

    // The first screening.
    await page.click('#start-screening');
    await visible(page, '#screening-form');
    assert.match(await textOf(page, 'label[for="scr-child"]'), /only when neither the date of birth nor an estimated age is known/);
    for (const code of ['D5-S1', 'D5-S4', 'D4-S1']) await page.check(`#scr-${code}-yes`);
    await page.check('#scr-D1-S1-no');
    await page.click('#scr-submit');
    await visible(page, '#scr-result');
    await waitText(page, '#scr-child-reason', `An adult: age 20, today, ${shown(new Date().toISOString().slice(0, 10))} (from the date of birth)`);
    await visible(page, '#scr-dims li[data-dim="D5"] [data-because="D5"] li[data-code="D5-S1"]');
    assert.equal(await page.locator('#scr-dims [data-because] li').count(), 2, 'only the items of positive dimensions');
    assert.equal(await page.locator('#scr-dims li[data-dim="D4"] [data-because]').count(), 0, 'D4 is not positive');
    await shot(page, 'screening');
    await page.click('#scr-done');

    // The referral to the NGO's shelter, with the consent it needs.
    await page.click('#refer-case');
    await page.locator('#ref-dir-list > li').first().waitFor();
    await page.click(`#ref-dir-list > li[data-id="${shelter.id}"] [data-action="choose"]`);
    await visible(page, '#ref-share-form');
    for (const f of ['given_name', 'family_name']) await page.check(`#share-${f}`);
    await page.fill('#ref-reason', 'Needs a safe place tonight; met at the airport on return.');
    await page.click('#ref-share-next');
    await visible(page, '#ref-step-check');
    await page.waitForSelector('#consent-check[data-covered="no"]');
    await page.click('#ref-consent-add');
    await visible(page, '#ref-consent-form');
    await page.check('#ref-consent-agree');
    await page.selectOption('#ref-consent-method', 'written');
    await page.click('#ref-consent-form-submit');
    await page.waitForSelector('#consent-check[data-covered="yes"]');
    await page.click('#ref-send');
    await page.waitForURL(new RegExp(`#/cases/${caseId}$`));
    await waitText(page, '.view > .message.success', 'Referral sent.');
    await page.locator('#case-referrals-list li').first().waitFor();
    const referralId = await page.getAttribute('#case-referrals-list li', 'data-id');
    assert.match(await textOf(page, '#case-referrals-list li'), /To:\s*Hayot NGO.*Sent/s);
    assert.deepEqual(unexpected(police.problems, 409), []);

    // The NGO accepts.
    const np = ngo.page;
    await signIn(np, srv.url, CW, 'en');
    await np.goto(srv.url + '/#/referrals');
    await np.locator(`#ref-list li[data-id="${referralId}"]`).waitFor();
    assert.match(await textOf(np, `#ref-list li[data-id="${referralId}"]`), /From:\s*Police/);
    await np.click(`#ref-list li[data-id="${referralId}"] [data-action="accept"]`);
    await waitText(np, `#ref-list li[data-id="${referralId}"] .message.success`, 'Referral accepted.');
    assert.deepEqual(unexpected(ngo.problems), []);

    // What the server holds: the police's person, case, screening, and an accepted referral.
    const c = (await fp.req('GET', `/api/v1/cases/${caseId}`)).json;
    assert.equal(c.stage, 'referral');
    const s = (await fp.req('GET', `/api/v1/cases/${caseId}/screenings`)).json.items;
    assert.equal(s.length, 1);
    assert.deepEqual(s[0].because, { D5: ['D5-S1', 'D5-S4'] });
    assert.equal((await cw.req('GET', `/api/v1/referrals/${referralId}`)).json.status, 'accepted');
  } finally {
    await police.context.close();
    await ngo.context.close();
  }
});

test('a minor consents through a guardian; the screening says why the person is a child (ru, tg)', async () => {
  const { context, page, problems } = await newPage();
  try {
    await signIn(page, srv.url, CW, 'ru');
    await page.goto(srv.url + '/#/register');
    await page.click('#reg-new-person');
    await visible(page, '#consent-form');
    await visible(page, '#consent-minor-hint');
    // Said as a condition: the age is asked in the next step.
    assert.match(await textOf(page, '#consent-minor-hint'), /^Если человеку нет 18 лет/);
    await page.check('#consent-agree');
    await page.selectOption('#consent-method', 'guardian');
    await page.click('#consent-form-submit');
    await visible(page, '#person-form');
    await page.fill('#person-given_name', 'Фируза');
    await page.fill('#person-family_name', 'Сафарова');
    await page.fill('#person-birth_date', ago(12, 30));
    await page.click('#person-form-submit');
    // The server knows she is 12: back to the consent, with the reason.
    await visible(page, '#consent-form');
    await waitText(page, '#consent-form .message.error',
      'Согласие дал: Согласие несовершеннолетнего даёт опекун или законный представитель: заполните «Согласие дал», ФИО и кем приходится.');
    await page.selectOption('#consent-given_by', 'guardian');
    await visible(page, '#consent-guardian_name');
    await page.fill('#consent-guardian_name', 'Сафарова Гулчеҳра');
    await page.selectOption('#consent-guardian_relation', 'mother');
    await shot(page, 'guardian-consent');
    await page.click('#consent-form-submit');
    await visible(page, '#case-form');
    await page.click('#case-form-submit');
    await page.waitForURL(/#\/cases\/[a-z2-7]{26}$/, { timeout: WAIT });
    const caseId = new URL(page.url()).hash.split('/')[2];
    const personId = (await cw.req('GET', `/api/v1/cases/${caseId}`)).json.person_id;
    const consents = (await cw.req('GET', `/api/v1/persons/${personId}/consents`)).json.items;
    assert.deepEqual(consents.map((k) => [k.given_by, k.guardian_name, k.guardian_relation]),
      [['guardian', 'Сафарова Гулчеҳра', 'mother']]);

    await page.click('#start-screening');
    await visible(page, '#screening-form');
    await page.check('#scr-D4-S1-yes');
    await page.click('#scr-submit');
    await visible(page, '#scr-result');
    const todayShown = shown(new Date().toISOString().slice(0, 10));
    await waitText(page, '#scr-child-reason', `Ребёнок (младше 18 лет): возраст 12, на сегодня ${todayShown} (по дате рождения)`);
    await page.selectOption('#lang', 'tg');
    await waitText(page, '#scr-child-reason', `Кӯдак (то 18-сола): синну сол 12, имрӯз ${todayShown} (аз рӯи санаи таваллуд)`);
    // The case page's screenings say it too.
    await page.click('#scr-done');
    await page.click('#tab-screenings');
    await waitText(page, '#panel-screenings .child-reason', `Кӯдак (то 18-сола): синну сол 12, имрӯз ${todayShown} (аз рӯи санаи таваллуд)`);

    // A best-interests assessment of her case.
    await page.selectOption('#lang', 'en');
    await page.click('#tab-best_interests');
    await page.click('#best_interests-add');
    await visible(page, '#best_interests-form');
    await page.check('#best_interests-child_heard');
    await page.selectOption('#best_interests-outcome', 'family_reunification');
    await page.fill('#best_interests-findings', 'Her mother can care for her; school in September.');
    await page.click('#best_interests-form-submit');
    await waitText(page, '.view > .message.success', 'Assessment saved.');
    await page.locator('#best_interests-list li').first().waitFor();
    assert.match(await textOf(page, '#best_interests-list li'), /Family reunification.*The child was heard/s);
    const bia = (await cw.req('GET', `/api/v1/cases/${caseId}/best-interests`)).json.items;
    assert.deepEqual(bia.map((b) => [b.outcome, b.child_heard]), [['family_reunification', true]]);
    assert.deepEqual(unexpected(problems, 422), []);
  } finally {
    await context.close();
  }
});
