// The knowledge library and study visits in the browser (issue 18): a
// trainer adds a product with its first file (a PDF) on the Library page,
// uploads a second version (a DOCX) on the product's page, and downloads
// the first version again, byte for byte; the list shows the current
// version.  Then records a study visit and finds it under the trainings'
// kind filter.  The library on a 390 px phone screen in Tajik.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startServer } from '../lib/server.mjs';
import { launch, watchConsole, textOf, visible, waitText, noHorizontalScroll, signIn } from './helpers.mjs';

const PW = 'Китобхона 2026 ҳимоя!';
const TRAINER = { login: 'zarina', role: 'trainer', password: PW };
let srv, browser;

const V1 = Buffer.from('%PDF-1.4\n% first edition of the referral SOP\n%%EOF\n', 'latin1');
const V2 = Buffer.concat([Buffer.from('PK\x03\x04\x14\x00\x00\x00\x08\x00', 'latin1'), Buffer.alloc(20),
  Buffer.from('[Content_Types].xml second edition PK\x01\x02word/document.xml', 'latin1')]);

before(async () => {
  srv = await startServer({ users: [TRAINER] });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await srv?.stop();
  srv?.cleanup();
});

test('a trainer uploads a product and a new version, downloads the old one, records a study visit', async () => {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  ctx.setDefaultTimeout(20000);
  const page = await ctx.newPage();
  const problems = watchConsole(page);
  await signIn(page, srv.url, TRAINER, 'en');
  await page.click('#nav-library');
  await visible(page, '#lib-new-form');
  await visible(page, '#lib-empty');

  await page.selectOption('#lib-new-kind', 'sop');
  await page.fill('#lib-new-title_en', 'Referral SOP for police');
  await page.fill('#lib-new-title_tg', 'Тартиби равонасозӣ барои милитсия');
  await page.check('#lib-new-audience-law_enforcement');
  await page.check('#lib-new-languages-tg');
  await page.check('#lib-new-languages-en');
  // A program renamed .pdf: refused by its bytes, said in the form, and
  // the next try sends the right file to the same product (no empty one left).
  await page.setInputFiles('#lib-new-file', { name: 'referral-sop.pdf', mimeType: 'application/pdf', buffer: Buffer.from('MZ\x90\x00not a pdf at all') });
  await page.click('#lib-new-form-submit');
  await page.locator('#lib-new-form .message.error', { hasText: 'PDF, DOCX' }).waitFor();
  await page.setInputFiles('#lib-new-file', { name: 'referral-sop.pdf', mimeType: 'application/pdf', buffer: V1 });
  await page.fill('#lib-new-note', 'first edition');
  await page.click('#lib-new-form-submit');
  await visible(page, '#lib-versions');
  await waitText(page, '#lib-current', 'v1');
  assert.match(await textOf(page, '#lib-heading'), /Referral SOP for police/);
  const sops = (await page.evaluate(async () => (await fetch('/api/v1/library?kind=sop')).json())).items
    .filter((p) => p.title_en === 'Referral SOP for police');
  assert.equal(sops.length, 1, 'one product, not an empty one beside it');

  await page.setInputFiles('#lib-next-file', { name: 'referral-sop-2.docx', mimeType: 'application/octet-stream', buffer: V2 });
  await page.fill('#lib-next-note', 'second edition');
  await page.click('#lib-next-form-submit');
  await waitText(page, '#lib-current', 'v2');
  assert.equal(await page.locator('#lib-versions tr.version-row').count(), 2);
  assert.match(await page.locator('#lib-versions tr[data-n="2"]').textContent(), /referral-sop-2\.docx.*zarina.*second edition/s);

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.click('#lib-versions tr[data-n="1"] a.version-download'),
  ]);
  assert.equal(download.suggestedFilename(), 'referral-sop.pdf');
  assert.ok(readFileSync(await download.path()).equals(V1), 'the first version, byte for byte');

  await page.click('text=Back to the library');
  await visible(page, '#lib-list');
  assert.match(await page.locator('#lib-list tr.library-row').first().textContent(), /Referral SOP for police.*Standard operating procedure.*v2/s);
  await page.selectOption('#lib-f-audience', 'migrants');
  await visible(page, '#lib-empty');
  await page.selectOption('#lib-f-audience', 'law_enforcement');
  await visible(page, '#lib-list');

  // A study visit, a training of its own kind.
  await page.click('#nav-trainings');
  await visible(page, '#sv-new-form');
  await page.fill('#sv-new-topic', 'Study visit to the NRM of Kazakhstan');
  await page.fill('#sv-new-start', '2026-05-11');
  await page.fill('#sv-new-end', '2026-05-15');
  await page.selectOption('#sv-new-country', 'KZ');
  await page.fill('#sv-new-place', 'Almaty');
  await page.fill('#sv-new-host', 'Interagency Commission on Trafficking');
  await page.fill('#sv-new-purpose', 'How referrals reach shelters');
  await page.click('#sv-new-form-submit');
  await visible(page, '#tr-p-form');
  await waitText(page, '#tr-host', 'Interagency Commission on Trafficking');
  await page.selectOption('#tr-p-agency_type', 'LawEnforcement');
  await page.selectOption('#tr-p-sex', 'Feminine');
  await page.selectOption('#tr-p-role', 'police_officer');
  await page.click('#tr-p-form-submit');
  await waitText(page, '#tr-count', '1');
  await page.click('text=Back to the trainings');
  await visible(page, '#tr-kind');
  await page.selectOption('#tr-kind', 'study_visit');
  await page.locator('#tr-list tr.training-row[data-kind="study_visit"]').waitFor();
  assert.equal(await page.locator('#tr-list tr.training-row').count(), 1);
  assert.match(await page.locator('#tr-list tr.training-row').textContent(), /Study visit.*Almaty/s);
  assert.deepEqual(problems.filter((p) => !/favicon|status of 415/.test(p)), []); // the refused .exe
  await ctx.close();
});

test('the library on a phone, in Tajik', async () => {
  const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  ctx.setDefaultTimeout(20000);
  const page = await ctx.newPage();
  const problems = watchConsole(page);
  await signIn(page, srv.url, TRAINER, 'tg');
  await page.goto(srv.url + '/#/library');
  await visible(page, '#lib-list');
  assert.match(await textOf(page, '#lib-list'), /Тартиби равонасозӣ барои милитсия/);
  assert.match(await textOf(page, '#lib-list'), /Тартиби стандартии амалиёт/);
  assert.ok(await noHorizontalScroll(page), 'no sideways scrolling at 390 px');
  await page.click('#lib-list a[href^="#/library/"]');
  await visible(page, '#lib-versions');
  assert.ok(await noHorizontalScroll(page), 'the version history fits at 390 px');
  assert.match(await textOf(page, '#lib-heading'), /Тартиби равонасозӣ/);
  assert.deepEqual(problems.filter((p) => !/favicon/.test(p)), []);
  await ctx.close();
});
