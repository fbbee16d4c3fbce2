// Prevention without a case in the browser (issue #18, item 2): from the
// persons list a case worker opens a family member's prevention page, sees
// her household (members, who is abroad) and its DoMV assessment, records a
// TVET course through the form, in English and in Tajik; without consent
// the form says what is missing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client } from '../lib/server.mjs';
import { launch, watchConsole, textOf, visible, signIn } from './helpers.mjs';

const PW = 'Ғулом-Қодир 2025!';
const CW = { login: 'sitora', role: 'caseworker', password: PW };
const V1 = '/api/v1';
let srv, browser, cw, pid, bare;

before(async () => {
  srv = await startServer({ users: [CW] });
  browser = await launch();
  cw = new Client(srv.url);
  assert.equal((await cw.login(CW.login, PW)).status, 200);
  const p = await cw.req('POST', V1 + '/persons', { given_name: 'Гулчеҳра', family_name: 'Раҷабова', gender: 'Feminine', beneficiary_group: 'family_left_behind' });
  pid = p.json.id;
  assert.equal((await cw.req('POST', `${V1}/persons/${pid}/consents`, { purpose: 'assistance', method: 'written' })).status, 201);
  const hh = await cw.req('POST', `${V1}/persons/${pid}/households`, {
    region: 'TJ-KT', remittance_dependence: 'main_income', remittance_monthly: 2500, // no currency: somoni
    members: [{ name: 'Ҷамшед Раҷабов', relation: 'spouse', abroad: true, country: 'RU', sends_remittances: true },
      { name: 'Зарина Раҷабова', relation: 'child', birth_year: 2014 }] });
  assert.equal(hh.status, 201, hh.text);
  const a = await cw.req('POST', `${V1}/households/${hh.json.id}/assessments`, { date: '2026-11-02', rating: 'high',
    factors: [{ level: 'Household', kind: 'risk', factor: 'One income, from abroad' }, { level: 'Community', kind: 'protective', factor: 'Mahalla support group' }] });
  assert.equal(a.status, 201, a.text);
  bare = (await cw.req('POST', V1 + '/persons', { given_name: 'Бе', family_name: 'Розигӣ', beneficiary_group: 'returnee' })).json.id;
});

after(async () => {
  await browser?.close();
  await srv?.stop();
  srv?.cleanup();
});

test('a family member left behind: household, DoMV assessment and a TVET course on her prevention page', async () => {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  ctx.setDefaultTimeout(20000);
  const page = await ctx.newPage();
  const problems = watchConsole(page);
  await signIn(page, srv.url, CW, 'en');
  await page.goto(`${srv.url}/#/persons`);
  // She has no case: found by name.
  await page.fill('#persons-q', 'Раҷабова');
  await page.click('#persons-search');
  await page.locator(`.person-card[data-id="${pid}"] a.prevention-link`).click();
  await page.locator('#household-list > li.card', { hasText: 'Ҷамшед Раҷабов' }).waitFor();
  await page.locator('#household-list ul.domv li').first().waitFor();
  const hh = await textOf(page, '#household-list > li.card');
  assert.match(hh, /Main income/);
  assert.match(hh, /Spouse/);
  const domv = page.locator('#household-list ul.domv li');
  assert.equal(await domv.count(), 2);
  assert.match(await domv.nth(0).textContent(), /Household.*Risk factor.*One income/s);
  assert.match(hh, /Vulnerability:\s*High/);
  // The remittances in the programme's currency, written the English way.
  assert.match(hh, /Remittances a month\s*TJS\s2,500/);

  await page.click('#prevservice-add');
  await page.selectOption('#prevservice-type', 'tvet');
  await page.fill('#prevservice-trade', 'Швейное дело');
  await page.click('#prevservice-form-submit');
  await page.locator('#prevservice-list li', { hasText: 'Vocational training (TVET)' }).waitFor();
  const listed = await cw.req('GET', `${V1}/persons/${pid}/prevention-services`);
  assert.equal(listed.json.items.length, 1);
  assert.equal(listed.json.items[0].trade, 'Швейное дело');

  // The course ends: Edit on its card, status completed, saved with If-Match.
  await page.click('#prevservice-list li [data-action="edit"]');
  await page.selectOption('#prevservice-edit-status', 'completed');
  await page.click('#prevservice-edit-form-submit');
  await page.locator('#prev-msg', { hasText: 'The change is saved.' }).waitFor();
  await page.locator('#prevservice-list li', { hasText: 'Completed' }).waitFor();
  const changed = (await cw.req('GET', `${V1}/persons/${pid}/prevention-services`)).json.items[0];
  assert.equal(changed.status, 'completed');
  assert.equal(changed.version, 2);
  assert.equal(changed.trade, 'Швейное дело');

  await page.selectOption('#lang', 'tg');
  await page.locator('#prev-households h2', { hasText: 'Хонавода' }).waitFor();
  assert.match(await textOf(page, '#household-list'), /Омили хатар/);
  assert.match(await textOf(page, '#household-list'), /2\s500\sTJS/);

  // No consent: the form says so and nothing is recorded.
  await page.goto(`${srv.url}/#/persons/${bare}/prevention`);
  await page.click('#prevservice-add');
  await page.selectOption('#prevservice-type', 'counselling');
  await page.click('#prevservice-form-submit');
  await page.locator('#prevservice-form .message.error', { hasText: 'розигии' }).waitFor();
  assert.equal((await cw.req('GET', `${V1}/persons/${bare}/prevention-services`)).json.items.length, 0);
  assert.deepEqual(problems.filter((p) => !/favicon|status of 409/.test(p)), []);
  await ctx.close();
});

test('a pre-departure orientation session is recorded with counts of who came, never names', async () => {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  ctx.setDefaultTimeout(20000);
  const page = await ctx.newPage();
  const problems = watchConsole(page);
  await signIn(page, srv.url, CW, 'en');
  await page.click('#nav-orientations');
  await page.click('#ori-add');
  await page.fill('#ori-date', '2026-11-15');
  await page.fill('#ori-place', 'Jamoat centre, Vose');
  await page.fill('#ori-women', '18');
  await page.fill('#ori-men', '27');
  await page.click('#ori-form-submit');
  await page.locator('#ori-list tr', { hasText: 'Jamoat centre, Vose' }).waitFor();
  assert.match(await textOf(page, '#ori-list tr'), /15\.11\.2026.*18.*27/s);
  const listed = (await cw.req('GET', V1 + '/orientations')).json.items;
  assert.deepEqual(listed.map((o) => [o.place, o.women, o.men]), [['Jamoat centre, Vose', 18, 27]]);
  await page.selectOption('#lang', 'ru');
  await page.locator('#ori-table th', { hasText: 'Женщины' }).waitFor();
  assert.deepEqual(problems.filter((p) => !/favicon/.test(p)), []);
  await ctx.close();
});

test('a record merged into another: the page says so, leads to the record kept, and a form left open is told why it cannot save', async () => {
  const who = { given_name: 'Мавзуна', family_name: 'Қодирова', birth_date: '1991-02-17', gender: 'Feminine', beneficiary_group: 'returnee' };
  const away = (await cw.req('POST', V1 + '/persons', who)).json.id;
  const kept = (await cw.req('POST', V1 + '/persons', { ...who, family_name: 'Кодирова' })).json.id;
  assert.equal((await cw.req('POST', `${V1}/persons/${away}/consents`, { purpose: 'assistance', method: 'written' })).status, 201);
  const pair = (await cw.req('GET', `${V1}/duplicates`)).json.items
    .find((x) => x.persons.some((p) => p.id === away) && x.persons.some((p) => p.id === kept));
  assert.ok(pair, 'the two registrations are a likely pair');

  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  ctx.setDefaultTimeout(20000);
  const page = await ctx.newPage();
  const problems = watchConsole(page);
  await signIn(page, srv.url, CW, 'ru');
  await page.goto(`${srv.url}/#/persons/${away}/prevention`);
  await page.click('#prevservice-add');
  await page.selectOption('#prevservice-type', 'counselling');
  // Merged meanwhile, at another desk.
  const m = await cw.req('POST', `${V1}/duplicates/${pair.id}/merge`, { survivor: kept });
  assert.equal(m.status, 200, m.text);
  await page.click('#prevservice-form-submit');
  await page.locator('#prevservice-form .message.error', { hasText: 'объединена с другой записью' }).waitFor();
  assert.equal((await cw.req('GET', `${V1}/persons/${away}/prevention-services`)).json.items.length, 0);

  // Opened again: no form to fill, a way to the record kept.
  await page.goto(`${srv.url}/#/persons`);
  await page.goto(`${srv.url}/#/persons/${away}/prevention`);
  await page.locator('#prev-merged').waitFor();
  assert.match(await textOf(page, '#prev-merged'), /объединена.*Открыть оставленную запись/s);
  assert.equal(await page.locator('#prevservice-add').count(), 0, 'nothing is added to a merged-away record');
  await page.click('#prev-kept');
  await page.locator('#prevservice-add').waitFor();
  assert.equal(await page.locator('#prev-merged').count(), 0);
  assert.ok(page.url().endsWith(`#/persons/${kept}/prevention`), page.url());

  // The persons search finds her as the record kept.
  await page.goto(`${srv.url}/#/persons`);
  await page.fill('#persons-q', 'Қодирова Мавзуна');
  await page.click('#persons-search');
  await page.locator(`.person-card[data-id="${kept}"]`).waitFor();
  assert.equal(await page.locator(`.person-card[data-id="${away}"]`).count(), 0);
  assert.deepEqual(problems.filter((p) => !/favicon|status of 409/.test(p)), []);
  await ctx.close();
});
