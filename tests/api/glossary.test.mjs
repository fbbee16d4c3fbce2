// One term per concept (schema/glossary.json): no text of the UI, the code
// labels, the public pages or the knowledge base uses a variant the
// glossary refuses instead of its chosen term.  No server: the files are
// read as they are in the tree.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = process.cwd();
const LANGS = ['tg', 'ru', 'en'];
const glossary = JSON.parse(readFileSync(join(ROOT, 'schema/glossary.json'), 'utf8'));

// A text's language when no key says it: a Tajik letter, else Cyrillic.
function guessLang(s) {
  if (/[ғӣқӯҳҷҒӢҚӮҲҶ]/u.test(s)) return 'tg';
  if (/[\u0400-\u04FF]/u.test(s)) return 'ru';
  return 'en';
}

// Every [where, lang, text] of a JSON document: under a key tg/ru/en the
// key is the language; elsewhere it is guessed.
function jsonTexts(file) {
  const out = [];
  const walk = (v, path, lang) => {
    if (typeof v === 'string') out.push([`${file}: ${path}`, lang || guessLang(v), v]);
    else if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${path}[${i}]`, lang));
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) walk(x, path ? `${path}.${k}` : k, LANGS.includes(k) ? k : lang);
    }
  };
  walk(JSON.parse(readFileSync(join(ROOT, file), 'utf8')), '', null);
  return out;
}

// Every string literal of a C or JavaScript file, with its line; comments
// are blanked first (keeping the line breaks).  A `tg:` / `.label_tg =` /
// `ru:` just before the literal gives its language.
function sourceTexts(file) {
  const src = readFileSync(join(ROOT, file), 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, ' '))
    .replace(/^\s*\/\/.*$/gm, '');
  const out = [];
  const re = /"((?:[^"\\\n]|\\.)*)"|'((?:[^'\\\n]|\\.)*)'|`((?:[^`\\]|\\.)*)`/g;
  for (let m; (m = re.exec(src));) {
    const text = m[1] ?? m[2] ?? m[3];
    const before = src.slice(Math.max(0, m.index - 16), m.index);
    const key = /(?:^|[^\w])(?:label_)?(tg|ru|en)\s*[:=]\s*$/.exec(before);
    const line = src.slice(0, m.index).split('\n').length;
    out.push([`${file}:${line}`, key ? key[1] : guessLang(text), text]);
  }
  return out;
}

function allTexts() {
  const files = [];
  for (const f of readdirSync(join(ROOT, 'web'))) if (f.endsWith('.js')) files.push(`web/${f}`);
  for (const f of readdirSync(join(ROOT, 'schema'))) if (f.endsWith('.c')) files.push(`schema/${f}`);
  files.push('src/api/public.c');
  return [
    ...files.flatMap(sourceTexts),
    ...jsonTexts('schema/labels.json'),
    ...jsonTexts('schema/kb-seed.json'),
  ];
}

const rx = (s) => new RegExp(s, 'giu');

// The uses of refused variants in texts: [where, concept, lang, found, chosen].
function findRefused(texts) {
  const found = [];
  for (const term of glossary.terms) {
    for (const [lang, pats] of Object.entries(term.refuse || {})) {
      const allow = (term.allow?.[lang] || []).map(rx);
      for (const [where, tl, text] of texts) {
        if (tl !== lang) continue;
        let t = text;
        for (const a of allow) t = t.replace(a, (x) => ' '.repeat(x.length));
        for (const p of pats) {
          for (const m of t.matchAll(rx(p))) found.push([where, term.concept, lang, m[0], term[lang]]);
        }
      }
    }
  }
  return found;
}

test('the glossary is well formed, and no chosen term is one it refuses', () => {
  assert.ok(glossary.terms.length >= 7);
  const concepts = new Set();
  for (const t of glossary.terms) {
    assert.ok(t.concept && !concepts.has(t.concept), `concept ${t.concept}`);
    concepts.add(t.concept);
    for (const l of LANGS) assert.ok(typeof t[l] === 'string' && t[l].length > 1, `${t.concept}: ${l}`);
    assert.ok(t.source && t.source.length > 5, `${t.concept}: a source`);
    assert.ok(t.refuse && Object.keys(t.refuse).length > 0, `${t.concept}: variants to refuse`);
    for (const [l, pats] of Object.entries(t.refuse)) {
      assert.ok(LANGS.includes(l), `${t.concept}: language ${l}`);
      for (const p of pats) assert.doesNotMatch(t[l], rx(p), `${t.concept}: the chosen ${l} term is refused by ${p}`);
    }
  }
});

test('the checker finds a refused variant, and spares an allowed phrase', () => {
  const hits = findRefused([
    ['x', 'tg', 'Аломатҳои хариду фурӯши одамон'],
    ['y', 'ru', 'Открыто дело'],
    ['z', 'ru', 'Министерство внутренних дел; возбуждено уголовное дело'],
    ['w', 'ru', 'Россия'],
    ['v', 'tg', 'Ба полис хабар диҳед'],
  ]);
  assert.deepEqual(hits.map((h) => h[0]).sort(), ['v', 'x', 'y']);
});

test('every UI string, code label, public page and knowledge-base text uses the chosen term', () => {
  const texts = allTexts();
  assert.ok(texts.length > 2000, `read ${texts.length} texts`);
  const hits = findRefused(texts);
  assert.equal(hits.length, 0, '\n' + hits.map(([w, c, l, f, chosen]) =>
    `${w}: ${l} «${f}» (${c}): write «${chosen}»`).join('\n'));
});

// Issue 14: the UI takes the labels of codes from GET /api/v1/schema
// (schema/labels.json), where the glossary test above reads them, and
// keeps no copy of them in web/i18n.js, where two copies could drift
// apart.  A key whose three texts are all those of one code's label is
// such a copy, unless it names something else that happens to read the
// same (listed here with what it is).
const NOT_CODE_LABELS = {
  'nav.kb': 'the menu entry of the knowledge base, which is about safe migration',
  'ref.sent_on': 'the date a referral was sent',
  'ref.page_title': 'the title of a referral page',
  'jus.stage_conviction': 'a proceeding\'s stage (the family jus.stage_*: reported, investigation, court, conviction, acquittal)',
  'jus.stage_acquittal': 'a proceeding\'s stage (the family jus.stage_*)',
  'prot.shelter': 'the label of the shelter chosen for a stay, not a best-interests outcome',
  'ref.urgency_low': 'a referral\'s urgency, which reads like a vulnerability rating',
  'ref.urgency_high': 'a referral\'s urgency, which reads like a vulnerability rating',
  'plan.status_done': 'an Action Plan activity\'s status (plan.status_*), not a follow-up\'s',
  'ref.preset_shelter': 'the share preset for a shelter referral (schema/share-presets.json), not a best-interests outcome',
  'item.phones': 'one entry of a person\'s list of phone numbers ("Phone 2"), not a hotline contact\'s channel',
};

test('web/i18n.js repeats no code label of schema/labels.json; roles and languages come from the schema', async () => {
  const { catalogue, LANGS: uiLangs } = await import(join(ROOT, 'web/i18n.js'));
  const labels = JSON.parse(readFileSync(join(ROOT, 'schema/labels.json'), 'utf8'));
  const byText = new Map();
  for (const [list, codes] of Object.entries(labels)) {
    if (list.startsWith('_') || list === 'report_terms') continue; // the report files' words, not codes of records
    for (const [code, l] of Object.entries(codes)) byText.set(LANGS.map((x) => l[x]).join('\u0000'), `${list}.${code}`);
  }
  const copies = Object.entries(catalogue)
    .filter(([key, e]) => byText.has(LANGS.map((x) => e[x]).join('\u0000')) && !NOT_CODE_LABELS[key])
    .map(([key, e]) => `${key} repeats ${byText.get(LANGS.map((x) => e[x]).join('\u0000'))}`);
  assert.deepEqual(copies, [], 'take these from the schema (codeText) instead');
  for (const key of Object.keys(NOT_CODE_LABELS)) assert.ok(catalogue[key], `${key} is still in the catalogue`);
  const families = Object.keys(catalogue).filter((k) => /^(role|kb\.lang)[._]/.test(k));
  assert.deepEqual(families, [], 'role and language names are code labels');
  // Every role and every language of the UI has its label in the schema.
  for (const role of ['admin', 'supervisor', 'caseworker', 'hotline', 'focal_point', 'analyst', 'trainer']) {
    for (const l of LANGS) assert.ok(labels.roles[role]?.[l], `roles.${role}.${l}`);
  }
  for (const lang of uiLangs) for (const l of LANGS) assert.ok(labels.languages[lang]?.[l], `languages.${lang}.${l}`);
  // The UI's code asks the schema for them.
  const src = (f) => readFileSync(join(ROOT, 'web', f), 'utf8');
  assert.match(src('app.js'), /codeText\('roles', /);
  assert.match(src('admin.js'), /codeText\('roles', /);
  assert.match(src('kb.js'), /codeText\('languages', /);
});
