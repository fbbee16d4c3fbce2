// The reports dashboard and the trainings pages in the browser, on a real
// `himoya serve` over `himoya demo` data and Debian's headless chromium:
// the analyst opens Reports from the menu and sees SVG charts (caseload,
// months, victims by sex and age, services, referrals, hotline, overdue
// follow-ups), figures across organisations as multiples of 11 and the own
// organisation's hidden ones as "x", labels that follow the
// language, no organisation's name anywhere, filters that ask the server
// again; a trainer records a training and a participant through the forms,
// and the API confirms it.
//
// HIMOYA_SHOTS=DIR saves screenshots of the pages on the way.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readFileSync, rmSync } from 'node:fs';
import { Client } from '../lib/server.mjs';
import { run, tempDir, serveDir, sqlite } from '../lib/datadir.mjs';
import { launch, watchConsole, textOf, waitText, visible, noHorizontalScroll, cutSelects, WAIT, signIn } from './helpers.mjs';

const PW = 'himoya-demo-2026';
let dir, data, srv, browser;

before(async () => {
  dir = tempDir('himoya-dash-');
  data = join(dir, 'demo');
  const r = run(['demo', '--data', data, '--persons', '400', '--seed', '7'], { timeout: 120000 });
  assert.equal(r.code, 0, r.err);
  srv = await serveDir(data);
  browser = await launch();
});

after(async () => {
  if (browser) await browser.close();
  if (srv) await srv.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function shot(page, name) {
  if (process.env.HIMOYA_SHOTS) await page.screenshot({ path: join(process.env.HIMOYA_SHOTS, `${name}.png`), fullPage: true });
}

test('the analyst sees the dashboard: SVG charts, figures rounded to multiples of k, labels in three languages', async () => {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await ctx.newPage();
  const problems = watchConsole(page);
  await signIn(page, srv.url, { login: 'analyst', password: PW }, 'en');
  await page.click('#nav-reports');
  await waitText(page, '#page-title', 'Reports');
  await visible(page, '#dash-filters');
  // Everything since the first demo case.
  await page.fill('#dash-from', '01.01.2015');
  await page.click('#dash-show');
  for (const id of ['dash-stage-chart', 'dash-status-chart', 'dash-month-chart', 'dash-sex-chart', 'dash-age-chart',
    'dash-expl-chart', 'dash-country-chart', 'dash-service-chart'])
    await visible(page, `svg#${id}`);
  await visible(page, '#dash-referrals');
  await visible(page, '#dash-hotline');
  await visible(page, '#dash-overdue');
  await shot(page, 'dashboard-analyst');

  // Bars carry the published counts: across organisations each a
  // multiple of 11 (the cell-key method), none suppressed.
  const bars = await page.$$eval('svg.chart rect.bar', (rs) => rs.map((r) => r.getAttribute('data-count')));
  assert.ok(bars.length > 20, 'bars drawn: ' + bars.length);
  for (const c of bars) assert.ok(Number(c) >= 11 && Number(c) % 11 === 0, 'a bar not a multiple of k: ' + c);
  assert.match(await textOf(page, '#dash-note'), /every organisation.*multiple of 11/);

  // The sex chart's labels are the code list's, and follow the language.
  const sexLabels = async () => page.$$eval('#dash-sex-chart text.chart-label', (ts) => ts.map((t) => t.textContent));
  assert.ok((await sexLabels()).includes('Male') || (await sexLabels()).some((l) => /mascul|male/i.test(l)),
    'English labels: ' + (await sexLabels()).join(', '));
  const en = await sexLabels();
  await page.selectOption('#lang', 'ru');
  await waitText(page, '#page-title', 'Отчёты');
  const ru = await sexLabels();
  assert.notDeepEqual(ru, en);
  assert.ok(ru.every((l) => /[А-Яа-яЁё]/.test(l)), 'Russian labels: ' + ru.join(', '));
  await page.selectOption('#lang', 'tg');
  await waitText(page, '#page-title', 'Ҳисоботҳо');

  // No agency is named anywhere on the page.
  const names = sqlite(join(data, 'himoya.db'), 'SELECT name FROM orgs').trim().split('\n');
  const text = await page.textContent('#view');
  for (const name of names) assert.ok(!text.includes(name), 'names ' + name);

  // A filter asks again: one kind of organisation only.
  const before = await page.$$eval('#dash-status-chart rect.bar', (rs) => rs.length);
  assert.ok(before > 0);
  await page.selectOption('#dash-org', 'LawEnforcement');
  await page.click('#dash-show');
  await page.waitForFunction(() => !document.querySelector('#dash-status-chart'), null, { timeout: WAIT });
  await page.selectOption('#dash-org', '');
  await page.click('#dash-show');
  await visible(page, 'svg#dash-status-chart');

  // Downloads: the analyst is offered the anonymised CTDC export and the
  // indicator report, never row exports; the CTDC link really downloads.
  assert.equal(await page.$('#dl-htcds'), null);
  assert.equal(await page.$('#dl-cases'), null);
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#dl-ctdc')]);
  const lines = readFileSync(await dl.path(), 'utf8').split('\n');
  assert.match(lines[0], /gender/i);
  assert.ok(lines.length > 1);

  // A phone screen: nothing wider than the viewport.
  await page.setViewportSize({ width: 360, height: 740 });
  assert.equal(await noHorizontalScroll(page), true);
  await shot(page, 'dashboard-phone');
  assert.deepEqual(problems, []);
  await ctx.close();
});

test('a supervisor\'s dashboard counts the own organisation', async () => {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await ctx.newPage();
  const problems = watchConsole(page);
  await signIn(page, srv.url, { login: 'supervisor', password: PW }, 'en');
  await page.goto(srv.url + '/#/reports');
  await visible(page, 'svg#dash-stage-chart');
  assert.match(await textOf(page, '#dash-note'), /your organisation/);
  // The own organisation's figures are exact; hidden ones read "x".
  const bars = await page.$$eval('svg.chart rect.bar', (rs) => rs.map((r) => r.getAttribute('data-count')));
  for (const c of bars) assert.ok(c === 'suppressed' || Number(c) >= 11, 'a bar under k: ' + c);
  const values = await page.$$eval('svg.chart text.chart-value', (ts) => ts.map((t) => t.textContent));
  assert.ok(values.includes('x'), 'some figure is hidden on demo data');
  assert.ok(!values.some((v) => v.startsWith('<')), 'no hidden figure claims to be under k');
  assert.equal(await page.isDisabled('#dash-org'), true);
  assert.ok(await page.$('#dl-htcds'), 'a supervisor is offered the HTCDS export');
  assert.ok(await page.$('#dl-cases'), 'and the cases workbook');
  assert.deepEqual(problems.filter((p) => !/status of 404/.test(p)), []);
  await ctx.close();
});

test('a trainer records a training and a participant', async () => {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await ctx.newPage();
  const problems = watchConsole(page);
  await signIn(page, srv.url, { login: 'trainer', password: PW }, 'en');
  await page.click('#nav-trainings');
  await visible(page, '#tr-new-form');
  await visible(page, '#tr-list');
  await page.fill('#tr-new-topic', 'Интервью бо қурбониён');
  await page.fill('#tr-new-start', '2026-02-02');
  await page.fill('#tr-new-end', '2026-02-03');
  await page.fill('#tr-new-place', 'Kulob');
  await page.selectOption('#tr-new-organiser_org', 'ngo-umed');
  await page.click('#tr-new-form-submit');
  await visible(page, '#tr-p-form');
  await waitText(page, '#tr-count', '0');
  await page.selectOption('#tr-p-agency_type', 'LawEnforcement');
  await page.selectOption('#tr-p-sex', 'Feminine');
  await page.selectOption('#tr-p-role', 'police_officer');
  await page.fill('#tr-p-pre_score', '35');
  await page.fill('#tr-p-post_score', '80');
  await page.click('#tr-p-form-submit');
  await waitText(page, '#tr-count', '1');
  await waitText(page, '#tr-mean', '45.0');
  await shot(page, 'training');
  // The API agrees.
  const api = new Client(srv.url);
  assert.equal((await api.login('trainer', PW)).status, 200);
  const list = await api.req('GET', '/api/v1/trainings?limit=200');
  const ev = list.json.items.find((x) => x.topic === 'Интервью бо қурбониён');
  assert.ok(ev, 'the training is stored');
  assert.equal(ev.organiser_org, 'ngo-umed');
  assert.equal(ev.participants, 1);
  const parts = await api.req('GET', `/api/v1/trainings/${ev.id}/participants`);
  assert.deepEqual(parts.json.items.map((p) => [p.agency_type, p.sex, p.role, p.gain]),
    [['LawEnforcement', 'Feminine', 'police_officer', 45]]);
  assert.deepEqual(problems, []);
  await ctx.close();
});

// Issue 12, items 2 and 5, in each language at desktop and phone width:
// the period is typed and shown dd.mm.yyyy (not the browser's mm/dd/yyyy),
// a date that is none is refused on its box; the downloads come first, the
// indicator report in the page's language; every chart text is at least
// 12 px on the screen and inside its chart, every bar has its count, and
// destination countries are named in the language, not by ISO code.  The
// supervisor's hotline statistics take the same date boxes.
const LANG_TEXT = {
  tg: { date: 'рр.мм.сссс', russia: 'Русия', badDate: 'Санаро ба шакли рр.мм.сссс нависед.' },
  ru: { date: 'дд.мм.гггг', russia: 'Россия', badDate: 'Введите дату в виде дд.мм.гггг.' },
  en: { date: 'dd.mm.yyyy', russia: 'Russia', badDate: 'Write the date as dd.mm.yyyy.' },
};

async function chartProblems(page) {
  return page.evaluate(() => {
    const out = [];
    for (const svg of document.querySelectorAll('#dash-out svg.chart')) {
      const box = svg.getBoundingClientRect();
      const scale = box.width / svg.viewBox.baseVal.width;
      for (const text of svg.querySelectorAll('text')) {
        const px = parseFloat(getComputedStyle(text).fontSize) * scale;
        const r = text.getBoundingClientRect();
        if (px < 11.99) out.push(`${svg.id}: «${text.textContent}» at ${px.toFixed(1)} px`);
        if (r.left < box.left - 0.5 || r.right > box.right + 0.5 || r.top < box.top - 0.5 || r.bottom > box.bottom + 0.5) {
          out.push(`${svg.id}: «${text.textContent}» cut (${Math.round(r.left)}–${Math.round(r.right)} in ${Math.round(box.left)}–${Math.round(box.right)})`);
        }
      }
      const bars = svg.querySelectorAll('rect.bar').length;
      const values = svg.querySelectorAll('text.chart-value').length;
      if (bars !== values) out.push(`${svg.id}: ${bars} bars, ${values} counts`);
    }
    return out;
  });
}

for (const [lang, viewport] of [['tg', { width: 1280, height: 800 }], ['ru', { width: 1280, height: 800 }], ['en', { width: 1280, height: 800 }],
  ['tg', { width: 390, height: 844 }], ['ru', { width: 390, height: 844 }], ['en', { width: 390, height: 844 }]]) {
  test(`dates dd.mm.yyyy, downloads first, readable charts, countries by name (${lang}, ${viewport.width}×${viewport.height})`, async () => {
    const L = LANG_TEXT[lang];
    const ctx = await browser.newContext({ viewport });
    const page = await ctx.newPage();
    const problems = watchConsole(page);
    try {
      await signIn(page, srv.url, { login: 'analyst', password: PW }, lang);
      await page.evaluate(() => { location.hash = '#/reports'; });
      await visible(page, '#dash-filters');
      await visible(page, 'svg#dash-stage-chart');
      for (const id of ['dash-from', 'dash-to']) {
        assert.match(await page.inputValue(`#${id}`), /^\d{2}\.\d{2}\.\d{4}$/, `${id} shows dd.mm.yyyy`);
        assert.equal(await page.getAttribute(`#${id}`, 'placeholder'), L.date);
        assert.notEqual(await page.getAttribute(`#${id}`, 'type'), 'date', 'not the browser\'s own date box');
      }
      // A date that is none: refused on its box, nothing asked.
      await page.fill('#dash-from', '31.02.2015');
      await page.click('#dash-show');
      await waitText(page, '#dash-msg', L.badDate);
      assert.equal(await page.getAttribute('#dash-from', 'aria-invalid'), 'true');
      // Typed dd.mm.yyyy, asked as YYYY-MM-DD.
      const asked = page.waitForRequest((r) => r.url().includes('/reports/summary?') && r.url().includes('from=2015-01-01'));
      await page.fill('#dash-from', '01.01.2015');
      await page.click('#dash-show');
      await asked;
      await visible(page, 'svg#dash-country-chart');
      assert.equal(await page.getAttribute('#dash-from', 'aria-invalid'), null);
      assert.equal(await page.isHidden('#dash-msg'), true);

      // The downloads come before the first chart; the report in the language.
      const top = async (sel) => page.$eval(sel, (e) => e.getBoundingClientRect().top + window.scrollY);
      assert.ok(await top('#dash-downloads') < await top('#dash-stage'), 'downloads at the top');
      assert.ok(await top('#dash-downloads') < viewport.height, 'downloads on the first screen');
      for (const id of ['dl-ind-xlsx', 'dl-ind-csv']) {
        const href = new URL(await page.getAttribute(`#${id}`, 'href'), srv.url);
        assert.equal(href.searchParams.get('lang'), lang);
        assert.equal(href.searchParams.get('from'), '2015-01-01');
      }
      const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#dl-ind-csv')]);
      assert.match(dl.suggestedFilename(), /^indicators_2015-01-01_\d{4}-\d{2}-\d{2}\.csv$/);

      // Charts: 12 px and more, nothing cut, a count on every bar.
      await page.waitForTimeout(200); // charts are drawn again at their width
      assert.deepEqual(await chartProblems(page), []);
      // Countries by name, in the language.
      const countries = await page.$$eval('#dash-country-chart text.chart-label', (ts) => ts.map((t) => t.textContent));
      assert.ok(countries.length > 0);
      assert.ok(countries.every((c) => !/^[A-Z]{2}$/.test(c)), 'no ISO code: ' + countries.join(', '));
      assert.ok(countries.includes(L.russia), `Russia in ${lang}: ${countries.join(', ')}`);
      assert.equal(await noHorizontalScroll(page), true);
      assert.deepEqual(await cutSelects(page, '#dash-filters'), [], 'every filter reads whole');
      assert.deepEqual(problems, []);
    } finally {
      await ctx.close();
    }

    // The supervisor's hotline statistics: the same date boxes.
    const ctx2 = await browser.newContext({ viewport });
    const page2 = await ctx2.newPage();
    const problems2 = watchConsole(page2);
    try {
      await signIn(page2, srv.url, { login: 'supervisor', password: PW }, lang);
      await page2.evaluate(() => { location.hash = '#/hotstats'; });
      await visible(page2, '#hs-total');
      for (const id of ['hs-from', 'hs-to']) {
        assert.match(await page2.inputValue(`#${id}`), /^\d{2}\.\d{2}\.\d{4}$/, `${id} shows dd.mm.yyyy`);
        assert.equal(await page2.getAttribute(`#${id}`, 'placeholder'), L.date);
        assert.notEqual(await page2.getAttribute(`#${id}`, 'type'), 'date');
      }
      const asked = page2.waitForRequest((r) => r.url().includes('/contacts/stats?') && r.url().includes('from=2020-01-01&to=2020-01-31'));
      await page2.fill('#hs-from', '01.01.2020');
      await page2.fill('#hs-to', '31.01.2020');
      await page2.click('#hs-show');
      await asked;
      await waitText(page2, '#hs-total dd', '0');
      await page2.fill('#hs-to', '2020-13-45');
      await page2.click('#hs-show');
      await waitText(page2, '#hs-msg', L.badDate);
      assert.equal(await page2.getAttribute('#hs-to', 'aria-invalid'), 'true');
      assert.equal(await noHorizontalScroll(page2), true);
      assert.deepEqual(problems2, []);
    } finally {
      await ctx2.close();
    }
  });
}
