// "Known to another organisation?" in the browser (issue 16 item 4): a case
// worker of IOM opens the case of Фаррух Ҷумъаев and asks; NGO Two, where
// he is registered as Farrukh Dzhumaev (birth date day and month swapped),
// is named with its contact, and nothing about the person there.  A person
// without a referral or law enforcement consent gets the reason, in Tajik.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client } from '../lib/server.mjs';
import { launch, watchConsole, textOf, visible, noHorizontalScroll, signIn } from './helpers.mjs';

const PW = 'Шабака-Ҳимоя 2026!';
const CW = { login: 'manija', role: 'caseworker', password: PW };
const B = { login: 'b.worker', org: 'ngo2', role: 'caseworker', password: PW };
const ADM = { login: 'b.admin', org: 'ngo2', role: 'admin', password: PW };
const V1 = '/api/v1';
let srv, browser, caseId, bareCase, nocase;

async function registered(client, person, purposes) {
  const p = await client.req('POST', V1 + '/persons', person);
  assert.equal(p.status, 201, p.text);
  for (const purpose of purposes) {
    const c = await client.req('POST', `${V1}/persons/${p.json.id}/consents`, { purpose, method: 'written' });
    assert.equal(c.status, 201, c.text);
  }
  return p.json.id;
}

before(async () => {
  srv = await startServer({ users: [CW, B, ADM], orgs: [{ code: 'ngo2', name: 'NGO Two, Khujand', type: 'NGO' }] });
  browser = await launch();
  const cw = new Client(srv.url);
  const b = new Client(srv.url);
  const adm = new Client(srv.url);
  assert.equal((await cw.login(CW.login, PW)).status, 200);
  assert.equal((await b.login(B.login, PW)).status, 200);
  assert.equal((await adm.login(ADM.login, PW)).status, 200);
  const o = await adm.req('PATCH', `${V1}/orgs/ngo2`, { contact_phone: '+992 92 777 11 22', contact_email: 'nrm@ngo2.example' });
  assert.equal(o.status, 200, o.text);
  const pid = await registered(cw, { given_name: 'Фаррух', family_name: 'Ҷумъаев', birth_date: '1994-03-07', gender: 'Masculine' },
    ['assistance', 'referral']);
  await registered(b, { given_name: 'Farrukh', family_name: 'Dzhumaev', birth_date: '1994-07-03', gender: 'Masculine' }, ['referral']);
  const c = await cw.req('POST', V1 + '/cases', { person_id: pid, exploitation_types: ['ForcedLabour'] });
  assert.equal(c.status, 201, c.text);
  caseId = c.json.id;
  const bare = await registered(cw, { given_name: 'Носир', family_name: 'Давлатов', gender: 'Masculine' }, ['assistance']);
  const c2 = await cw.req('POST', V1 + '/cases', { person_id: bare });
  assert.equal(c2.status, 201, c2.text);
  bareCase = c2.json.id;
  nocase = await registered(cw, { given_name: 'Мавҷуда', family_name: 'Сафарова', birth_date: '1991-05-14', gender: 'Feminine', beneficiary_group: 'returnee' },
    ['assistance', 'referral']);
});

after(async () => {
  await browser?.close();
  await srv?.stop();
  srv?.cleanup();
});

test('the case page asks the network and names NGO Two with its contact, at 1280x800', async () => {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  ctx.setDefaultTimeout(20000);
  const page = await ctx.newPage();
  const problems = watchConsole(page);
  await signIn(page, srv.url, CW, 'en');
  await page.goto(`${srv.url}/#/cases/${caseId}`);
  await visible(page, '#known-ask');
  assert.equal((await textOf(page, '#known-ask')).trim(), 'Known to another organisation?');
  await page.click('#known-ask');
  await page.locator('#known-list li[data-org="ngo2"]').waitFor();
  const panel = await textOf(page, '#known-elsewhere');
  assert.match(panel, /probably known to these organisations. It is a likely match, not an identification: confirm it with them through a referral/);
  assert.match(panel, /NGO Two, Khujand/);
  assert.match(panel, /\+992 92 777 11 22 · nrm@ngo2\.example/);
  assert.doesNotMatch(panel, /Dzhumaev|Farrukh|score/i);
  assert.equal(await page.locator('#known-list li').count(), 1);
  assert.ok(await noHorizontalScroll(page));
  assert.deepEqual(problems, []);
  await ctx.close();
});

test('a person without a case asks from her prevention page', async () => {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  ctx.setDefaultTimeout(20000);
  const page = await ctx.newPage();
  const problems = watchConsole(page);
  await signIn(page, srv.url, CW, 'ru');
  await page.goto(`${srv.url}/#/persons/${nocase}/prevention`);
  await visible(page, '#known-ask');
  assert.equal((await textOf(page, '#known-ask')).trim(), 'Известен другой организации?');
  await page.click('#known-ask');
  await page.locator('#known-elsewhere .message').waitFor();
  assert.match(await textOf(page, '#known-elsewhere'), /[Нн]е известен ни одной другой организации сети/);
  assert.deepEqual(problems, []);
  await ctx.close();
});

test('without a referral or law enforcement consent the page says what is missing, in Tajik', async () => {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  ctx.setDefaultTimeout(20000);
  const page = await ctx.newPage();
  const problems = watchConsole(page);
  await signIn(page, srv.url, CW, 'tg');
  await page.goto(`${srv.url}/#/cases/${bareCase}`);
  await visible(page, '#known-ask');
  assert.equal((await textOf(page, '#known-ask')).trim(), 'Ба ташкилоти дигар маълум аст?');
  await page.click('#known-ask');
  await page.locator('#known-elsewhere .message.error').waitFor();
  assert.match(await textOf(page, '#known-elsewhere .message.error'), /Розигии шахс барои равонасозӣ ё барои додан ба мақомоти ҳифзи ҳуқуқ нест/);
  assert.equal(await page.locator('#known-list').count(), 0);
  // The 409 is the answer shown; nothing else went wrong.
  assert.deepEqual(problems.filter((p) => !/status of 409 .*\/known-elsewhere$/.test(p)), []);
  await ctx.close();
});
