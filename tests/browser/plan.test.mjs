// The Action Plan page (issue #18, item 3): the sample plan loaded by
// `himoya plan load`; a police focal point opens it from the menu, sees
// the activities late, reports progress on the police's own activity
// (which becomes done) and has no report button on the prosecutor's; the
// page and its statuses in Tajik, and the XLSX link in the page's
// language.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { startServer, himoya } from '../lib/server.mjs';
import { launch, watchConsole, textOf, visible } from './helpers.mjs';

const PW = 'Ғулом-Қодир 2025!';
const POLICE = { login: 'nodir', role: 'focal_point', org: 'police-du', password: PW };
let srv, browser;

before(async () => {
  srv = await startServer({
    users: [POLICE],
    orgs: [{ code: 'police-du', name: 'Police', type: 'LawEnforcement' }, { code: 'prosecutor', name: 'Prosecutor', type: 'LawEnforcement' },
      { code: 'migration-service', name: 'Migration Service', type: 'CentralGovernmentOrganisation' }, { code: 'ngo-ozod', name: 'Ozod', type: 'NGO' }],
  });
  const r = himoya(['plan', 'load', '--data', srv.data, '--file', join(process.cwd(), 'schema', 'plan-sample.json')]);
  assert.equal(r.code, 0, r.err);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await srv?.stop();
  srv?.cleanup();
});

test('a police focal point reports on the police\'s activity; the statuses follow, in English and Tajik', async () => {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  ctx.setDefaultTimeout(20000);
  const page = await ctx.newPage();
  const problems = watchConsole(page);
  await page.goto(srv.url + '/');
  await visible(page, '#login-view');
  await page.selectOption('#lang', 'en');
  await page.fill('#login', POLICE.login);
  await page.fill('#password', PW);
  await page.click('#login-submit');
  await visible(page, '#app-frame');
  await page.click('#nav-plan');
  await visible(page, '#plan-table');
  assert.match(await textOf(page, '#plan-heading'), /SAMPLE/);
  const row = (n) => page.locator(`#plan-table tr[data-number="${n}"]`);
  assert.equal(await row('1.1').getAttribute('data-status'), 'late');
  assert.match(await row('1.1').textContent(), /Sample activity 1\.1.*sample.*Late/s);
  assert.equal(await row('1.2').locator('[data-action="report"]').count(), 0, 'not the police\'s activity');
  await row('1.1').locator('[data-action="report"]').click();
  await row('1.1').locator('input[name="period"]').fill('2022-H2');
  await row('1.1').locator('input[name="value"]').fill('41');
  await row('1.1').locator('button[type="submit"]').click();
  await page.locator('#plan-table tr[data-number="1.1"][data-status="done"]').waitFor();
  assert.match(await row('1.1').textContent(), /41 \(2022-H2\).*Done/s);
  assert.match(await page.getAttribute('#plan-xlsx', 'href'), /lang=en/);

  await page.selectOption('#lang', 'tg');
  await page.locator('#plan-table tr[data-number="1.2"]', { hasText: 'Мӯҳлат гузашт' }).waitFor();
  assert.match(await row('1.2').textContent(), /Чорабинии намунавӣ 1\.2/);
  assert.match(await page.getAttribute('#plan-xlsx', 'href'), /lang=tg/);
  assert.deepEqual(problems.filter((p) => !/favicon/.test(p)), []);
  await ctx.close();
});
