// Static checks of web/ that need no server or browser: the catalogue is
// complete in the three languages, every key the markup and the code ask
// for exists, and nothing would be refused by the strict CSP or reach out
// of the origin.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { catalogue, LANGS, t, setLang, getLang } from '../../web/i18n.js';

const WEB = fileURLToPath(new URL('../../web/', import.meta.url));
const read = (name) => readFileSync(join(WEB, name), 'utf8');
// Every file, in subfolders too (web/public/ holds the public pages' stylesheet).
const files = readdirSync(WEB, { recursive: true }).filter((f) => /\.[a-z0-9]+$/i.test(f));

test('every key has a text in tg, ru and en; tg and ru are Cyrillic', () => {
  assert.deepEqual(LANGS, ['tg', 'ru', 'en']);
  for (const [key, entry] of Object.entries(catalogue)) {
    for (const lang of LANGS) {
      assert.equal(typeof entry[lang], 'string', `${key} has no ${lang}`);
      assert.notEqual(entry[lang].trim(), '', `${key} is empty in ${lang}`);
    }
    assert.deepEqual(Object.keys(entry).sort(), [...LANGS].sort(), `${key} has extra languages`);
    for (const lang of ['tg', 'ru']) {
      assert.match(entry[lang], /[\u0400-\u04FF]/, `${key}.${lang} is not Cyrillic`);
    }
    // Letters that are Russian-only have no place in Tajik text.
    assert.doesNotMatch(entry.tg, /[щыьцЩЫЬЦ]/, `${key}.tg uses a Russian-only letter`);
  }
});

// A label put before its value ("Stage: date") is punctuated alike: the
// Tajik text like its Russian twin everywhere (English may write "Opened
// 12.03.2025" without one), and a proceeding's stage dates in all three.
test('a label\'s colon: Tajik as Russian; a proceeding\'s stage dates in the three languages', () => {
  const colon = (s) => /:\s*$/.test(s);
  const differ = Object.entries(catalogue).filter(([, e]) => colon(e.tg) !== colon(e.ru)).map(([k]) => k);
  assert.deepEqual(differ, [], 'a colon at the end in one of tg and ru only');
  for (const key of ['jus.case_number', 'jus.reported', 'jus.investigation', 'jus.court', 'jus.conviction', 'jus.acquittal']) {
    assert.ok(catalogue[key], key);
    for (const lang of LANGS) assert.ok(colon(catalogue[key][lang]), `${key}.${lang} ends without a colon: ${catalogue[key][lang]}`);
  }
});

// A shelter stay's admission and discharge are each one word, as the
// stay's own fields name them (schema/justice.c: "Дата поступления",
// "Дата выбытия"; "Санаи қабул", "Санаи рафтан"): the screens mixed in
// "Дата приёма", "выписка" and "выписать", and in Tajik "баровардан".
test('a shelter stay\'s admission and discharge are one term each in ru and tg', () => {
  const stay = Object.entries(catalogue).filter(([k]) => k.startsWith('prot.'));
  for (const [key, e] of stay) {
    assert.doesNotMatch(e.ru, /при[её]м[а-яё]*|выпис[а-яё]*/i, `${key}.ru: admission is "поступление", discharge "выбытие"`);
    assert.doesNotMatch(e.tg, /барова|баромад|баро(?:ред|мад)/i, `${key}.tg: discharge is "рафтан"`);
  }
  assert.equal(catalogue['prot.admitted'].ru, 'Поступление:');
  assert.equal(catalogue['prot.discharged'].ru, 'Выбытие:');
  assert.match(catalogue['prot.stay_overlap'].ru, /^Дата поступления .* последнего выбытия\.$/);
  assert.match(catalogue['prot.discharge'].ru, /выбыти/);
  assert.equal(catalogue['prot.admitted'].tg, 'Қабул:');
  assert.equal(catalogue['prot.discharged'].tg, 'Рафтан:');
});

test('t() and setLang(): default Tajik, unknown keys and languages', () => {
  assert.equal(getLang(), 'tg');
  assert.equal(t('app.name'), 'Ҳимоя');
  assert.equal(t('no.such.key'), 'no.such.key');
  assert.equal(setLang('xx'), 'tg');
  assert.equal(setLang('ru'), 'ru');
  assert.equal(t('app.name'), 'Химоя');
  assert.equal(setLang('en'), 'en');
  assert.equal(t('app.name'), 'Himoya');
  setLang('tg');
});

test('every key asked for in index.html and the scripts exists', () => {
  const html = read('index.html');
  const asked = new Set();
  for (const m of html.matchAll(/data-i18n(?:-[a-z-]+)?="([^"]+)"/g)) asked.add(m[1]);
  for (const name of files.filter((f) => f.endsWith('.js'))) {
    const js = read(name);
    for (const m of js.matchAll(/\b(?:t|setText|showError|showLogin)\([^'`)]*'([a-z_]+\.[a-z_.]+)'/g)) asked.add(m[1]);
    for (const m of js.matchAll(/'([a-z_]+\.[a-z_]+)'/g)) {
      if (/^(login|error|frame|nav|role|app|lang|common|form|list|reg|case|scr|fu|ref|dir|acc|focal|hl|cb|hs)\./.test(m[1])) asked.add(m[1]);
    }
  }
  // Role names are code labels: from GET /api/v1/schema (api-glossary checks).
  for (const section of ['home', 'cases', 'persons', 'hotline', 'callbacks', 'hotstats', 'followups', 'referrals', 'directory', 'focal', 'reports', 'trainings', 'admin']) {
    asked.add(`nav.${section}`);
  }
  // Keys the case work builds from a code: registration steps, case tabs,
  // screening answers, strengths and suggestions.
  for (const s of ['consent', 'person', 'case']) asked.add(`reg.step_${s}`);
  for (const tab of ['timeline', 'details', 'screenings', 'services', 'plans', 'followups', 'notes', 'decisions']) asked.add(`case.tab_${tab}`);
  for (const a of ['yes', 'no', 'unknown', 'declined']) asked.add(`scr.ans_${a}`);
  for (const s of ['strong', 'medium', 'weak']) asked.add(`scr.strength_${s}`);
  for (const s of ['trafficking', 'exploitation', 'none']) asked.add(`scr.sugg_${s}`);
  // ... and the referrals: wizard steps, urgencies, answers, boxes, tabs.
  for (const tab of ['referrals', 'access']) asked.add(`case.tab_${tab}`);
  for (const s of ['to', 'share', 'check']) asked.add(`ref.step_${s}`);
  for (const u of ['low', 'normal', 'high', 'emergency']) asked.add(`ref.urgency_${u}`);
  for (const a of ['accept', 'decline', 'complete', 'withdraw']) asked.add(`ref.done_${a}`);
  for (const b of ['in', 'out']) asked.add(`ref.box_${b}`);
  // ... and the hotline: queue filters and sources.
  for (const s of ['open', 'due', 'overdue', 'done', 'all']) asked.add(`cb.state_${s}`);
  for (const s of ['public', 'operator']) asked.add(`cb.source_${s}`);
  for (const m of ['service', 'org']) asked.add(`ref.by_${m}`);
  assert.ok(asked.size > 30, 'the key scan found too little: has the markup changed?');
  const missing = [...asked].filter((k) => !(k in catalogue));
  assert.deepEqual(missing, []);
});

test('markup and code keep to the CSP and stay on the origin', () => {
  const html = read('index.html');
  assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/i, 'inline <script>');
  assert.doesNotMatch(html, /\sstyle\s*=/i, 'style="" attribute');
  assert.doesNotMatch(html, /<style[\s>]/i, '<style> element');
  assert.doesNotMatch(html, /\son[a-z]+\s*=/i, 'inline event handler');
  assert.doesNotMatch(html, /\bjavascript:/i, 'javascript: URL');
  for (const name of files) {
    const text = read(name);
    assert.doesNotMatch(text.replace(/xmlns="http:\/\/www\.w3\.org\/2000\/svg"/g, ''),
      /\b(?:https?:)?\/\/[a-z0-9.-]+\.[a-z]{2,}/i, `${name} refers to another origin`);
    if (name.endsWith('.js')) {
      assert.doesNotMatch(text, /\beval\s*\(|new\s+Function\s*\(|\.innerHTML\s*=|insertAdjacentHTML|document\.write/,
        `${name} builds code or markup from strings`);
      assert.doesNotMatch(text, /\.style\.[a-zA-Z]+\s*=|setAttribute\(\s*'style'/, `${name} sets inline styles`);
    }
    if (name.endsWith('.css')) assert.doesNotMatch(text, /@import|url\(\s*['"]?(?:https?:)?\/\//i, `${name} loads from elsewhere`);
  }
});

test('the required ids are in the markup', () => {
  const html = read('index.html');
  for (const id of ['login', 'password', 'totp', 'login-submit', 'lang', 'logout', 'user-name',
    'app-frame', 'login-view', 'login-error', 'nav-toggle', 'nav', 'main']) {
    assert.match(html, new RegExp(`\\sid="${id}"`), `#${id} missing`);
  }
  for (const lang of LANGS) assert.match(html, new RegExp(`<option value="${lang}"`), `language ${lang} missing`);
  for (const id of ['login', 'password', 'totp', 'lang']) {
    assert.match(html, new RegExp(`<label for="${id}"`), `#${id} has no label`);
  }
});
