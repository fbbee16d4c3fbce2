// Errors where they happen (issue 12, item 2), on a real `himoya serve`
// and Debian's headless chromium, at 1280×800 in English and 390×844 in
// Tajik and Russian.
//
// Before anyone fails, the person form marks the names as needed (one of
// them); sent without a name, the given-name field is marked, its
// translated reason stands beside it and the cursor is in it, and nothing
// reaches the server.  A date the server refuses (31.02) is marked on its
// field, by the problem's "field".  Dates are typed and shown dd.mm.yyyy
// in every language, and stored as YYYY-MM-DD.  After a save the cursor is
// on the heading of the next step, or on the record saved; the "saved"
// message is gone when the next form opens.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client } from '../lib/server.mjs';
import { launch, watchConsole, textOf, waitText, visible, WAIT } from './helpers.mjs';

const PW = 'Боғи-Ирам 2024!';
const CW = { login: 'cw', role: 'caseworker', password: PW };

let srv;
let browser;
let cw;

before(async () => {
  srv = await startServer({ users: [CW] });
  browser = await launch();
  cw = new Client(srv.url);
  assert.equal((await cw.login(CW.login, PW)).status, 200);
});

after(async () => {
  await browser?.close();
  await srv?.stop();
  srv?.cleanup();
});

const focused = (page) => page.evaluate(() => document.activeElement?.id || document.activeElement?.tagName);

const TEXTS = {
  en: { oneName: 'Fill in at least one of these fields.', date: 'dd.mm.yyyy', saved: 'Note saved.',
    order: 'This date cannot be before the date it follows.', noDay: 'Enter a valid date.' },
  tg: { oneName: 'Ақаллан яке аз ин майдонҳоро пур кунед.', date: 'рр.мм.сссс',
    order: 'Ин сана наметавонад пеш аз санаи пешина бошад.', noDay: 'Санаи дурустро ворид кунед.' },
  ru: { oneName: 'Заполните хотя бы одно из этих полей.', date: 'дд.мм.гггг',
    order: 'Эта дата не может быть раньше предыдущей.', noDay: 'Укажите правильную дату.' },
};

for (const [lang, viewport, family] of [
  ['en', { width: 1280, height: 800 }, 'Saidova'],
  ['tg', { width: 390, height: 844 }, 'Саидова'],
  ['ru', { width: 390, height: 844 }, 'Саидова-Ру'],
]) {
  test(`a required-field error is marked on its field (${lang}, ${viewport.width}×${viewport.height})`, async () => {
    const context = await browser.newContext({ viewport });
    context.setDefaultTimeout(20000);
    const page = await context.newPage();
    const problems = watchConsole(page);
    const posts = [];
    const isCreate = (r) => r.method() === 'POST' && new URL(r.url()).pathname === '/api/v1/persons';
    page.on('request', (r) => { if (isCreate(r)) posts.push(r.url()); });
    try {
      await page.goto(srv.url + '/');
      await visible(page, '#login-view');
      await page.selectOption('#lang', lang);
      await page.fill('#login', CW.login);
      await page.fill('#password', CW.password);
      await page.press('#password', 'Enter');
      await visible(page, '#app-frame');
      await page.evaluate(() => { location.hash = '#/register'; });
      await visible(page, '#reg-q');
      await page.fill('#reg-q', family);
      await page.click('#reg-find-submit');
      await visible(page, '#reg-new-person');
      await page.click('#reg-new-person');
      await visible(page, '#consent-form');
      await page.check('#consent-agree');
      await page.selectOption('#consent-method', 'verbal_witnessed');
      // The consent date is shown dd.mm.yyyy, whatever the language.
      assert.match(await page.inputValue('#consent-given_on'), /^\d{2}\.\d{2}\.\d{4}$/);
      assert.equal(await page.getAttribute('#consent-given_on', 'placeholder'), TEXTS[lang].date);
      // An expiry before the consent was given stops here, before the person
      // is saved (saved first, the person was left with no consent).
      await page.fill('#consent-expires', '07.12.2025');
      await page.click('#consent-form-submit');
      await waitText(page, '#consent-expires-error', TEXTS[lang].order);
      assert.equal(await page.isVisible('#person-form'), false);
      assert.deepEqual(posts, [], 'no person sent');
      await page.fill('#consent-expires', '');
      await page.click('#consent-form-submit');
      await visible(page, '#person-form');
      assert.equal(await focused(page), 'H2', 'the cursor is on the next step’s heading');

      // Marked before anyone fails: the names, one of which is needed, as
      // a group (none of them is required by itself: no *).
      for (const f of ['given_name', 'family_name']) {
        assert.equal(await page.locator(`label[for="person-${f}"] .need-one-mark`).count(), 1, `${f} is marked`);
        assert.equal(await page.locator(`label[for="person-${f}"] .req`).count(), 0, `${f} is not marked required`);
      }
      await visible(page, '#person-need-one');
      assert.equal(await page.isVisible('#person-given_name-error'), false, 'no error before sending');

      // Sent without a name: marked on the field, reason beside it, cursor in it.
      await page.click('#person-form-submit');
      await waitText(page, '#person-given_name-error', TEXTS[lang].oneName);
      assert.equal(await page.getAttribute('#person-given_name', 'aria-invalid'), 'true');
      assert.equal(await focused(page), 'person-given_name');
      assert.match(await page.getAttribute('#person-given_name', 'aria-describedby'), /person-given_name-error/);
      assert.deepEqual(posts, [], 'nothing was sent');

      // A date the server refuses: marked on its own field, by the problem's field.
      await page.fill('#person-given_name', 'Нилуфар');
      await page.fill('#person-family_name', family);
      assert.equal(await page.getAttribute('#person-birth_date', 'placeholder'), TEXTS[lang].date);
      await page.fill('#person-birth_date', '31.02.1990');
      const refused = page.waitForResponse((r) => isCreate(r.request()));
      await page.click('#person-form-submit');
      const answer = await (await refused).json();
      assert.equal(answer.field, 'birth_date', JSON.stringify(answer));
      await page.waitForFunction(() => document.getElementById('person-birth_date')?.getAttribute('aria-invalid') === 'true', null, { timeout: WAIT });
      assert.equal(await page.isVisible('#person-birth_date-error'), true);
      await waitText(page, '#person-birth_date-error', TEXTS[lang].noDay);
      assert.equal(await page.getAttribute('#person-given_name', 'aria-invalid'), null, 'the earlier mark is gone');
      assert.equal(await focused(page), 'person-birth_date');

      // dd.mm.yyyy is what the server gets as YYYY-MM-DD.
      await page.fill('#person-birth_date', '12.03.1994');
      await page.click('#person-form-submit');
      // After the first language, the same Нилуфар (in another script) is
      // registered already: the form asks before registering her again.
      await page.locator('#case-form:visible, #reg-dup-register').first().waitFor({ timeout: WAIT });
      if (await page.isVisible('#reg-dup-register')) await page.click('#reg-dup-register');
      await visible(page, '#case-form');
      const found = await cw.req('GET', `/api/v1/persons?q=${encodeURIComponent(family)}`);
      assert.equal(found.status, 200, found.text);
      const person = found.json.items.find((p) => p.family_name === family);
      assert.ok(person, 'the person is registered');
      assert.equal(person.birth_date, '1994-03-12');
      await page.click('#case-form-submit');
      await page.waitForURL(/#\/cases\/[a-z2-7]{26}$/, { timeout: WAIT });

      // A note saved: the cursor on the saved note; the message gone when
      // the next form opens.
      await page.click('#tab-notes');
      await visible(page, '#note-add');
      await page.click('#note-add');
      assert.match(await page.inputValue('#note-date'), /^\d{2}\.\d{2}\.\d{4}$/);
      await page.fill('#note-text', 'Первая встреча. Ҳуҷҷатҳо нестанд.');
      await page.click('#note-form-submit');
      await page.locator('.view > .message.success').waitFor({ state: 'visible', timeout: WAIT });
      if (TEXTS[lang].saved) assert.equal(await textOf(page, '.view > .message.success'), TEXTS[lang].saved);
      await page.waitForFunction(() => document.activeElement?.closest?.('#note-list li.card'), null, { timeout: WAIT });
      await page.click('#note-add');
      assert.equal(await page.locator('.view > .message.success').isVisible(), false, 'the message went with its form');
      assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'no sideways scrolling');
      assert.deepEqual(problems.filter((p) => !/status of 422\b/.test(p)), []);
    } finally {
      await context.close();
    }
  });
}

// One name is enough (the server takes given_name, family_name or aliases):
// the person form, in the registration and when the person is corrected,
// marks the names as a group of which one is needed, not each as
// required; it sends a person with a family name only, and stops only
// when no name at all is left.  All the names are in sight with the note
// that names them, Aliases too (not folded under "More details").
test('the names are marked as "one of these", and one name is enough (registration and correction)', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  context.setDefaultTimeout(20000);
  const page = await context.newPage();
  const problems = watchConsole(page);
  const writes = [];
  page.on('request', (r) => { if (['POST', 'PATCH'].includes(r.method()) && /\/api\/v1\/persons(\/[a-z2-7]{26})?$/.test(new URL(r.url()).pathname)) writes.push(r.method()); });
  const family = 'Қурбонова-Якта';
  const marks = async (prefix) => {
    const out = {};
    for (const f of ['given_name', 'family_name', 'patronymic']) {
      out[f] = {
        req: await page.locator(`label[for="${prefix}-${f}"] .req`).count(),
        one: await page.locator(`label[for="${prefix}-${f}"] .need-one-mark`).count(),
        required: await page.getAttribute(`#${prefix}-${f}`, 'aria-required'),
        describedBy: await page.getAttribute(`#${prefix}-${f}`, 'aria-describedby'),
      };
    }
    out.aliases = {
      visible: await page.isVisible(`#${prefix}-aliases-0`),
      folded: await page.locator(`#${prefix}-aliases-group`).evaluate((n) => n.closest('details') !== null),
      one: await page.locator(`#${prefix}-aliases-group legend .need-one-mark`).count(),
    };
    return out;
  };
  const checkMarks = (m, prefix, form) => {
    for (const f of ['given_name', 'family_name']) {
      assert.equal(m[f].req, 0, `${form}: ${f} is not marked required (*)`);
      assert.equal(m[f].required, null, `${form}: ${f} is not aria-required`);
      assert.equal(m[f].one, 1, `${form}: ${f} is marked as one of the names`);
      assert.match(m[f].describedBy, new RegExp(`\\b${prefix}-need-one\\b`), `${form}: ${f} is described by the group's note`);
    }
    assert.deepEqual([m.patronymic.req, m.patronymic.one], [0, 0], `${form}: the patronymic is not marked`);
    // Every name the note names is in sight beside it, Aliases too (it was
    // folded under "More details", closed).
    assert.equal(m.aliases.visible, true, `${form}: Aliases is in sight`);
    assert.equal(m.aliases.folded, false, `${form}: Aliases is not under "More details"`);
    assert.equal(m.aliases.one, 1, `${form}: Aliases is marked as one of the names`);
  };
  try {
    await page.goto(srv.url + '/');
    await visible(page, '#login-view');
    await page.selectOption('#lang', 'en');
    await page.fill('#login', CW.login);
    await page.fill('#password', CW.password);
    await page.press('#password', 'Enter');
    await visible(page, '#app-frame');
    await page.evaluate(() => { location.hash = '#/register'; });
    await visible(page, '#reg-q');
    await page.fill('#reg-q', family);
    await page.click('#reg-find-submit');
    await visible(page, '#reg-new-person');
    await page.click('#reg-new-person');
    await visible(page, '#consent-form');
    await page.check('#consent-agree');
    await page.selectOption('#consent-method', 'written');
    await page.click('#consent-form-submit');
    await visible(page, '#person-form');

    checkMarks(await marks('person'), 'person', 'registration');
    // No field of the person is required: no "Fields marked * are required".
    assert.equal(await page.locator('#person-form .required-note').count(), 0, 'no note about required fields');
    assert.equal(await textOf(page, '#person-need-one'), '¹ At least one of these is needed: Given name, Family name, Aliases');

    // The family name alone is taken.
    await page.fill('#person-family_name', family);
    await page.click('#person-form-submit');
    await page.locator('#case-form:visible, #reg-dup-register').first().waitFor({ timeout: WAIT });
    if (await page.isVisible('#reg-dup-register')) await page.click('#reg-dup-register');
    await visible(page, '#case-form');
    const found = await cw.req('GET', `/api/v1/persons?q=${encodeURIComponent(family)}`);
    const person = found.json.items.find((p) => p.family_name === family);
    assert.ok(person, 'registered with a family name only');
    assert.equal(person.given_name, undefined);
    await page.click('#case-form-submit');
    await page.waitForURL(/#\/cases\/[a-z2-7]{26}$/, { timeout: WAIT });

    // Corrected on the case page: the same marks; the last name emptied
    // is stopped before sending, naming the group; another name is taken.
    await page.click('#tab-details');
    await page.click('#edit-person');
    await visible(page, '#person-edit-form');
    checkMarks(await marks('pedit'), 'pedit', 'correction');
    writes.length = 0;
    await page.fill('#pedit-family_name', '');
    await page.click('#person-edit-form-submit');
    await waitText(page, '#pedit-given_name-error', TEXTS.en.oneName);
    await waitText(page, '#person-edit-form .message.error', 'At least one of these is needed: Given name, Family name, Aliases');
    assert.equal(await focused(page), 'pedit-given_name');
    assert.deepEqual(writes, [], 'nothing was sent');
    await page.fill('#pedit-given_name', 'Гулнора');
    await page.click('#person-edit-form-submit');
    await waitText(page, '.view > .message.success', 'The person’s details are saved.');
    assert.deepEqual(writes, ['PATCH']);
    const now = (await cw.req('GET', `/api/v1/persons/${person.id}`)).json;
    assert.equal(now.given_name, 'Гулнора');
    assert.equal(now.family_name, undefined, 'the family name was emptied');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

// A case's "More details", opened on a desktop, uses the form's width like
// the fields above it: its lists span the form, its single fields stand
// side by side.  (The <details> was itself the grid, and chromium put its
// whole content in the first of three columns.)
test('a case\'s "More details" uses the width of the form (1280×800)', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  context.setDefaultTimeout(20000);
  const page = await context.newPage();
  const problems = watchConsole(page);
  try {
    const p = await cw.req('POST', '/api/v1/persons', { given_name: 'Шабнам', family_name: 'Васеъ' });
    assert.equal(p.status, 201, p.text);
    const k = await cw.req('POST', `/api/v1/persons/${p.json.id}/consents`, { purpose: 'assistance', method: 'written' });
    assert.equal(k.status, 201, k.text);
    const c = await cw.req('POST', '/api/v1/cases', { person_id: p.json.id });
    assert.equal(c.status, 201, c.text);
    await page.goto(srv.url + '/');
    await visible(page, '#login-view');
    await page.selectOption('#lang', 'en');
    await page.fill('#login', CW.login);
    await page.fill('#password', CW.password);
    await page.press('#password', 'Enter');
    await visible(page, '#app-frame');
    await page.evaluate((id) => { location.hash = `#/cases/${id}`; }, c.json.id);
    await visible(page, '#tab-details');
    await page.click('#tab-details');
    await visible(page, '#edit-case');
    await page.click('#edit-case');
    await visible(page, '#edit-form details.more > summary');
    assert.equal(await page.isVisible('#edit-exploitation_start'), false, 'folded at first');
    await page.click('#edit-form details.more > summary');
    await visible(page, '#edit-exploitation_start');
    const box = async (sel) => page.locator(sel).boundingBox();
    const form = await box('#edit-form .form-fields');
    const above = await box('#edit-exploitation_types'); // a list above, not folded
    const list = await box('#edit-countries_of_exploitation');
    const start = await box('#edit-exploitation_start');
    const end = await box('#edit-exploitation_end');
    assert.ok(form.width > 800, `the form is desktop-wide (${form.width})`);
    assert.ok(Math.abs(list.width - above.width) < 2, `a folded list is as wide as one above it (${list.width} vs ${above.width})`);
    assert.ok(Math.abs(start.y - end.y) < 2 && end.x > start.x + start.width,
      `two dates stand side by side (${JSON.stringify([start, end])})`);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

// The wizard's case step names the event whose type is missing ("Event 2:
// Type"), on that event's own field, whether the form finds it before
// sending or the server answers "item N: type: is required" (counting the
// items sent, not an empty one left in the list); it named only the
// whole list of events.
test('an event left without its type is named by its place (wizard, case step)', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  context.setDefaultTimeout(20000);
  const page = await context.newPage();
  const problems = watchConsole(page);
  const posts = [];
  page.on('request', (r) => { if (r.method() === 'POST' && new URL(r.url()).pathname === '/api/v1/cases') posts.push(r.postDataJSON()); });
  const family = 'Раҳимова-Рӯйдод';
  try {
    await page.goto(srv.url + '/');
    await visible(page, '#login-view');
    await page.selectOption('#lang', 'en');
    await page.fill('#login', CW.login);
    await page.fill('#password', CW.password);
    await page.press('#password', 'Enter');
    await visible(page, '#app-frame');
    await page.evaluate(() => { location.hash = '#/register'; });
    await visible(page, '#reg-q');
    await page.fill('#reg-q', family);
    await page.click('#reg-find-submit');
    await visible(page, '#reg-new-person');
    await page.click('#reg-new-person');
    await visible(page, '#consent-form');
    await page.check('#consent-agree');
    await page.selectOption('#consent-method', 'written');
    await page.click('#consent-form-submit');
    await visible(page, '#person-form');
    await page.fill('#person-family_name', family);
    await page.click('#person-form-submit');
    await page.locator('#case-form:visible, #reg-dup-register').first().waitFor({ timeout: WAIT });
    if (await page.isVisible('#reg-dup-register')) await page.click('#reg-dup-register');
    await visible(page, '#case-form');

    const ev = (n, part) => `#case-trafficking_events-${n}-${part}`;
    await page.click('#case-form details.more > summary');
    await page.click('#case-trafficking_events-add');
    await page.click('#case-trafficking_events-add');
    await page.selectOption(ev(0, 'type'), { index: 1 });
    await page.fill(ev(1, 'place'), 'Екатеринбург');
    await page.click('#case-form-submit');
    await waitText(page, `${ev(1, 'type')}-error`, 'This field is required.');
    await waitText(page, '#case-form .message.error', 'Please fill in: Event 2: Type');
    assert.equal(await page.getAttribute(ev(1, 'type'), 'aria-invalid'), 'true');
    assert.equal(await page.isVisible(`${ev(0, 'type')}-error`), false, 'the first event is whole');
    assert.equal(await page.isVisible('#case-trafficking_events-error'), false, 'not marked on the whole list');
    assert.equal(await focused(page), 'case-trafficking_events-1-type');
    assert.deepEqual(posts, [], 'nothing was sent');

    // The server's word for it: the first event emptied is not sent, so
    // its "item 1" is the second event of the list.
    await page.selectOption(ev(1, 'type'), { index: 1 });
    await page.selectOption(ev(0, 'type'), '');
    await page.route('**/api/v1/cases', async (route) => {
      const body = route.request().postDataJSON();
      delete body.trafficking_events[0].type;
      await route.continue({ postData: JSON.stringify(body) });
    });
    const refused = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/v1/cases');
    await page.click('#case-form-submit');
    const answer = await refused;
    assert.equal(answer.status(), 422);
    assert.match((await answer.json()).detail, /^trafficking_events: item 1: type: /);
    await waitText(page, `${ev(1, 'type')}-error`, 'This field is required.');
    await waitText(page, '#case-form .message.error', 'Event 2: Type: This field is required.');
    assert.equal(await focused(page), 'case-trafficking_events-1-type');
    await page.unroute('**/api/v1/cases');

    await page.click('#case-form-submit');
    await page.waitForURL(/#\/cases\/[a-z2-7]{26}$/, { timeout: WAIT });
    assert.equal(posts.at(-1).trafficking_events.length, 1, 'the empty event is not sent');
    assert.deepEqual(problems.filter((p) => !/status of 422\b/.test(p)), []);
  } finally {
    await context.close();
  }
});
