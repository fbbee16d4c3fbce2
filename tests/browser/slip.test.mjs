// A hotline call survives a typing slip (issue 12, item 1), on a real
// `himoya serve` and Debian's headless chromium, at desktop width in
// English and at phone width in Russian.
//
// The operator has typed a number and ticked a topic, then starts typing
// the caller's words while the cursor is on the screen, not in the notes:
// once in Latin letters, once on a Russian layout (real key events with the
// physical key of a ЙЦУКЕН keyboard, through the DevTools protocol, as a
// Russian keyboard sends them).  Every shortcut letter is in both texts.
// The first call-type key asks first, naming what would be lost; the rest
// of the typing cannot answer; Enter or Esc keeps the call.  The same texts
// typed into the notes act as no shortcut at all.  Shortcuts work by
// physical key on the Russian layout.  Clear and leaving the page ask too.
// What the server holds at the end is exactly what was typed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client } from '../lib/server.mjs';
import { launch, watchConsole, textOf, waitText, visible, hidden, WAIT } from './helpers.mjs';

const PW = 'Боғи-Ирам 2024!';
const HOT = { login: 'zarina', role: 'hotline', password: PW };

// Every shortcut letter (d s h w t a p k c l n x i f b r) is in each.
const LATIN = 'Russia: boss kept the passport, he works six days, calls back via wife, no phone';
// On a Russian layout these letters sit on the shortcut keys: в=D ы=S р=H
// ц=W е=T ф=A з=P л=K с=C д=L т=N ч=X ш=I а=F и=B к=R.
const CYRILLIC = 'Работодатель в цеху забрал паспорт шеф ищет выход фирма часто звонит лично кричит';
const TAJIK = ' Ҳуҷҷатҳояшро гирифтанд, ӯ қарздор нест.';

// The physical keys of a Russian (ЙЦУКЕН) keyboard.
const RU_KEYS = {
  й: 'KeyQ', ц: 'KeyW', у: 'KeyE', к: 'KeyR', е: 'KeyT', н: 'KeyY', г: 'KeyU', ш: 'KeyI', щ: 'KeyO', з: 'KeyP',
  х: 'BracketLeft', ъ: 'BracketRight', ф: 'KeyA', ы: 'KeyS', в: 'KeyD', а: 'KeyF', п: 'KeyG', р: 'KeyH',
  о: 'KeyJ', л: 'KeyK', д: 'KeyL', ж: 'Semicolon', э: 'Quote', я: 'KeyZ', ч: 'KeyX', с: 'KeyC', м: 'KeyV',
  и: 'KeyB', т: 'KeyN', ь: 'KeyM', б: 'Comma', ю: 'Period', ё: 'Backquote', ' ': 'Space',
};

let srv;
let browser;
let hot;

before(async () => {
  srv = await startServer({ users: [HOT] });
  browser = await launch();
  hot = new Client(srv.url);
  assert.equal((await hot.login(HOT.login, PW)).status, 200);
});

after(async () => {
  await browser?.close();
  await srv?.stop();
  srv?.cleanup();
});

// Type text as a Russian keyboard would: keydown with the physical key's
// code and the Cyrillic letter; the browser inserts it unless a handler
// prevents it.
async function typeRussian(cdp, text) {
  for (const ch of text) {
    const lower = ch.toLowerCase();
    const code = RU_KEYS[lower];
    assert.ok(code, `no key for ${ch}`);
    const vk = code === 'Space' ? 32 : code.startsWith('Key') ? code.charCodeAt(3) : 0;
    const modifiers = ch !== lower ? 8 : 0;
    await cdp.send('Input.dispatchKeyEvent', { type: 'keyDown', key: ch, code, text: ch, unmodifiedText: ch, windowsVirtualKeyCode: vk, modifiers });
    await cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', key: ch, code, windowsVirtualKeyCode: vk, modifiers });
  }
}

const focused = (page) => page.evaluate(() => document.activeElement?.id || document.activeElement?.tagName);

async function contacts() {
  const r = await hot.req('GET', '/api/v1/contacts');
  assert.equal(r.status, 200, r.text);
  return r.json.items;
}

for (const [lang, viewport] of [['en', { width: 1280, height: 800 }], ['ru', { width: 390, height: 844 }]]) {
  test(`a typing slip does not lose a call (${lang}, ${viewport.width}×${viewport.height})`, async () => {
    const context = await browser.newContext({ viewport });
    context.setDefaultTimeout(20000);
    const page = await context.newPage();
    const problems = watchConsole(page);
    const cdp = await context.newCDPSession(page);
    try {
      await page.goto(srv.url + '/');
      await visible(page, '#login-view');
      await page.selectOption('#lang', lang);
      await page.fill('#login', HOT.login);
      await page.fill('#password', HOT.password);
      await page.press('#password', 'Enter');
      await visible(page, '#app-frame');
      await page.evaluate(() => { location.hash = '#/hotline'; });
      await visible(page, '#hl-form');
      await page.waitForFunction(() => document.activeElement?.id === 'hl-type-data', null, { timeout: WAIT });
      const phoneLabel = await textOf(page, 'label[for="hl-phone"] span');
      const topicsLabel = await textOf(page, '#hl-topics legend');
      const before = new Set((await contacts()).map((c) => c.id));

      // A number (letters typed into it are not taken) and a topic.
      await page.keyboard.press('d');
      assert.equal(await focused(page), 'hl-phone');
      await page.keyboard.type('+992 93 555x 44 33');
      assert.equal(await page.inputValue('#hl-phone'), '+992 93 555 44 33');
      await page.keyboard.press('Escape');
      await page.keyboard.press('2');
      const topic = await page.evaluate(() => document.activeElement.value);
      assert.equal(await page.isChecked(`#hl-topic-${topic}`), true);

      // The slip, in Latin letters: the first type key (the s of
      // "Russia") asks; nothing else the text holds acts.
      const state = async () => ({
        type: await page.evaluate(() => document.querySelector('input[name="hl-call-type"]:checked').value),
        phone: await page.inputValue('#hl-phone'),
        topics: await page.evaluate(() => [...document.querySelectorAll('#hl-topics input:checked')].map((b) => b.value)),
        indicators: await page.evaluate(() => [...document.querySelectorAll('#hl-indicators input:checked')].map((b) => b.value)),
        notes: await page.inputValue('#hl-notes'),
        channel: await page.inputValue('#hl-channel'),
        language: await page.inputValue('#hl-language'),
        booked: await page.isChecked('#hl-cb-book'),
      });
      const kept = await state();
      assert.deepEqual(kept.topics, [topic]);
      await page.keyboard.type(LATIN);
      await visible(page, '#hl-confirm');
      const asked = await textOf(page, '#hl-confirm-text');
      assert.ok(asked.includes(phoneLabel), `the question names the number: ${asked}`);
      assert.ok(asked.includes(`${topicsLabel} (1)`), `the question names the topics: ${asked}`);
      assert.equal(await focused(page), 'hl-confirm-keep', 'keep is the answer under the cursor');
      assert.deepEqual(await state(), kept, 'nothing changed while asking');
      await page.keyboard.press('Enter');
      await hidden(page, '#hl-confirm');
      assert.deepEqual(await state(), kept, 'Enter kept the call');
      assert.equal(await page.isVisible('#hl-data'), true);

      // The slip on a Russian layout: р (the H key, hang-up) asks; Esc keeps.
      await typeRussian(cdp, CYRILLIC);
      await visible(page, '#hl-confirm');
      assert.equal(await focused(page), 'hl-confirm-keep');
      assert.deepEqual(await state(), kept, 'nothing changed while asking');
      await page.keyboard.press('Escape');
      await hidden(page, '#hl-confirm');
      assert.deepEqual(await state(), kept, 'Esc kept the call');

      // Shortcuts by physical key on the Russian layout: з (P) goes to the
      // number, т (N) to the notes, where all three texts are just text.
      await typeRussian(cdp, 'з');
      assert.equal(await focused(page), 'hl-phone');
      await page.keyboard.press('Escape');
      await typeRussian(cdp, 'т');
      assert.equal(await focused(page), 'hl-notes');
      await page.keyboard.type(`${LATIN}. `);
      await typeRussian(cdp, CYRILLIC);
      await page.keyboard.insertText(TAJIK);
      const note = `${LATIN}. ${CYRILLIC}${TAJIK}`;
      assert.equal(await page.inputValue('#hl-notes'), note);
      assert.deepEqual(await state(), { ...kept, notes: note });
      assert.equal(await page.isHidden('#hl-confirm'), true);

      // Clear asks too, and names the notes now; Esc keeps.
      await page.keyboard.press('Escape');
      await page.click('#hl-clear');
      await visible(page, '#hl-confirm');
      assert.ok((await textOf(page, '#hl-confirm-text')).includes(await textOf(page, 'label[for="hl-notes"] span')));
      await page.keyboard.press('Escape');
      assert.equal(await page.inputValue('#hl-notes'), note);

      // Leaving the page asks, naming what would be lost; "stay" stays.
      let dialog = '';
      page.once('dialog', (d) => { dialog = d.message(); d.dismiss(); });
      await page.evaluate(() => { location.hash = '#/callbacks'; });
      await page.waitForFunction(() => location.hash === '#/hotline', null, { timeout: WAIT });
      assert.ok(dialog.includes(phoneLabel), `leaving names the number: ${dialog}`);
      assert.equal(await page.inputValue('#hl-notes'), note);
      assert.equal(await page.isVisible('#hl-form'), true);

      // Saved: the server holds what was typed, as a data call.
      await page.focus('#hl-screen');
      await page.keyboard.press('Control+Enter');
      await visible(page, '#hl-last');
      const added = (await contacts()).filter((c) => !before.has(c.id));
      assert.equal(added.length, 1);
      const one = await hot.req('GET', `/api/v1/contacts/${added[0].id}`);
      assert.equal(one.json.call_type, 'data');
      assert.equal(one.json.notes, note);
      assert.deepEqual(one.json.topics, [topic]);
      assert.ok(one.json.caller_phone_masked || one.json.caller_phone, 'the number is kept');

      // The clock runs from the moment the screen is ready for the next
      // call: a silent call picked up and saved a second later lasts 1 s or more.
      assert.match(await textOf(page, '#hl-clock'), /^00:0[0-2]$/);
      await page.waitForTimeout(1200);
      await page.keyboard.press('s'); // nothing entered: no question
      assert.equal(await page.isHidden('#hl-confirm'), true);
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => document.activeElement?.id === 'hl-type-data', null, { timeout: WAIT });
      const silent = (await contacts()).find((c) => !before.has(c.id) && c.call_type === 'silent');
      assert.ok(silent, 'the silent call is saved');
      assert.ok(silent.duration_s >= 1, `a silent call lasts: ${silent.duration_s}`);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
}

// A note typed before any call-type key may begin with the key of a
// dropdown: k (who calls), x (action), c (channel), l (language).  The
// first letter jumps there; the letters after it, at typing pace, are the
// note: they land in the notes, the jump's letter first, and no dropdown
// changes.  In Latin letters and on a Russian layout (by physical key:
// л=K ч=X с=C д=L), in each language, at desktop and phone width.
const DROPDOWN_NOTES = [
  ['latin', 'kept the passport, wants help'],
  ['latin', 'x-ray done, calls back later'],
  ['latin', 'called from Moscow via wife'],
  ['latin', 'lost the job, no phone'],
  ['russian', 'лично звонит паспорт забрали'],
  ['russian', 'часто кричит шеф'],
  ['russian', 'сказала что долг растёт'],
  ['russian', 'долг за дорогу'],
];

for (const [lang, viewport] of [['tg', { width: 1280, height: 800 }], ['ru', { width: 1280, height: 800 }], ['en', { width: 1280, height: 800 }],
  ['tg', { width: 390, height: 844 }], ['ru', { width: 390, height: 844 }], ['en', { width: 390, height: 844 }]]) {
  test(`a note beginning with a dropdown's key stays a note (${lang}, ${viewport.width}×${viewport.height})`, async () => {
    const context = await browser.newContext({ viewport });
    context.setDefaultTimeout(20000);
    const page = await context.newPage();
    const problems = watchConsole(page);
    const cdp = await context.newCDPSession(page);
    try {
      await page.goto(srv.url + '/');
      await visible(page, '#login-view');
      await page.selectOption('#lang', lang);
      await page.fill('#login', HOT.login);
      await page.fill('#password', HOT.password);
      await page.press('#password', 'Enter');
      await visible(page, '#app-frame');
      await page.evaluate(() => { location.hash = '#/hotline'; });
      await visible(page, '#hl-form');
      await page.waitForFunction(() => document.activeElement?.id === 'hl-type-data', null, { timeout: WAIT });
      const selects = () => page.evaluate(() => ['hl-kind', 'hl-action', 'hl-channel', 'hl-language', 'hl-country']
        .map((id) => document.getElementById(id).value));
      const kept = await selects();
      for (const [layout, text] of DROPDOWN_NOTES) {
        if (layout === 'latin') await page.keyboard.type(text);
        else await typeRussian(cdp, text);
        assert.equal(await focused(page), 'hl-notes', `${text}: the cursor is in the notes`);
        assert.equal(await page.inputValue('#hl-notes'), text, `${layout}: the whole note is kept`);
        assert.deepEqual(await selects(), kept, `${text}: no dropdown changed`);
        assert.equal(await page.isChecked('#hl-type-data'), true, `${text}: still a data call`);
        assert.equal(await page.isHidden('#hl-confirm'), true);
        await page.fill('#hl-notes', '');
        await page.focus('#hl-type-data');
      }
      // A jump with a pause after it is a choice: the dropdown keeps the cursor.
      await page.keyboard.press('c');
      assert.equal(await focused(page), 'hl-channel');
      await page.waitForTimeout(1100);
      await page.keyboard.press('Escape');
      assert.equal(await focused(page), 'hl-screen');
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
}

// A number pasted from a messenger carries marks a number is not typed
// with (direction marks, a non-breaking, thin or narrow no-break space,
// an en-dash, an extension written "доб.", "вн." or "ext"): the number is
// kept, cleaned, never refused whole; a space of any kind stays a space
// (a thin one was dropped, joining the groups), and an extension leaves
// nothing behind.  The same number comes of the same text however it is
// put in: pasted, dropped, inserted whole (an input method, an on-screen
// keyboard), or filled in by the browser with only an input event.
const NUMBER = '+992 93 123 45 67';
const PUT_IN = [
  ['\u202a+992\u00a093\u2013123\u201345\u201367\u202c', '+992 93-123-45-67'],
  ['+992 93 123 45 67 доб. 2\n', NUMBER],
  ['Тел.: +7 (916) 555-01-02', '+7 (916) 555-01-02'],
  ['+992931234567', '+992931234567'],
  ['+992\u200993\u2009123\u200945\u200967', NUMBER],
  ['+992\u202f93\u202f123\u202f45\u202f67', NUMBER],
  ['+992 93 123 45 67 доб. 5', NUMBER],
  ['+992 93 123 45 67 доб.5', NUMBER],
  ['+992 93 123 45 67 вн. 5', NUMBER],
  ['+992 93 123 45 67 ext. 5', NUMBER],
  ['+992 93 123 45 67 ext 5', NUMBER],
  ['+992 93 123 45 67 (доб. 5)', NUMBER],
  ['+992\u202f93\u2009123\u00a045\u202f67, доб. 5', NUMBER],
];

test('a number pasted with a messenger\'s marks is kept, cleaned, however it is put in', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  context.setDefaultTimeout(20000);
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const page = await context.newPage();
  const problems = watchConsole(page);
  const cdp = await context.newCDPSession(page);
  const expectValue = async (kept, how, text) => {
    try {
      await page.waitForFunction((k) => document.getElementById('hl-phone').value === k, kept, { timeout: WAIT });
    } catch {
      assert.equal(await page.inputValue('#hl-phone'), kept, `${how}: ${JSON.stringify(text)}`);
    }
  };
  const empty = async () => {
    await page.fill('#hl-phone', '');
    assert.equal(await page.inputValue('#hl-phone'), '');
  };
  try {
    await page.goto(srv.url + '/');
    await visible(page, '#login-view');
    await page.selectOption('#lang', 'ru');
    await page.fill('#login', HOT.login);
    await page.fill('#password', HOT.password);
    await page.press('#password', 'Enter');
    await visible(page, '#app-frame');
    await page.evaluate(() => { location.hash = '#/hotline'; });
    await visible(page, '#hl-form');
    const box = await page.locator('#hl-phone').boundingBox();
    const at = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
    for (const [text, kept] of PUT_IN) {
      // Pasted from the clipboard.
      await empty();
      await page.evaluate((t) => navigator.clipboard.writeText(t), text);
      await page.focus('#hl-phone');
      await page.keyboard.press('Control+V');
      await expectValue(kept, 'pasted', text);

      // Dropped, dragged from another window (a real drop, through the
      // DevTools protocol: the browser's own insertFromDrop).
      await empty();
      const drag = { items: [{ mimeType: 'text/plain', data: text }], dragOperationsMask: 1 };
      for (const type of ['dragEnter', 'dragOver', 'drop']) {
        await cdp.send('Input.dispatchDragEvent', { type, x: at.x, y: at.y, data: drag });
      }
      await expectValue(kept, 'dropped', text);

      // Inserted whole, as an input method or an on-screen keyboard does.
      await empty();
      await page.focus('#hl-phone');
      await page.keyboard.insertText(text);
      await expectValue(kept, 'inserted', text);

      // Filled in with no beforeinput, as the browser's autofill does: the
      // value set, then an input event (insertReplacementText, and none).
      for (const inputType of ['insertReplacementText', 'insertFromDrop', null]) {
        await empty();
        await page.evaluate(([t, type]) => {
          const el = document.getElementById('hl-phone');
          el.value = t;
          el.dispatchEvent(type ? new InputEvent('input', { bubbles: true, inputType: type }) : new Event('input', { bubbles: true }));
        }, [text, inputType]);
        await expectValue(kept, `filled (${inputType})`, text);
      }
    }
    // A letter typed is still a slip, not taken; the digits after it are.
    await empty();
    await page.focus('#hl-phone');
    await page.keyboard.type('+992 93 1d23');
    await expectValue('+992 93 123', 'typed', '+992 93 1d23');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
