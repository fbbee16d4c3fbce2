// kb.js - the safe-migration knowledge base (#/kb): operators search it in
// any script (патент = patent) and read articles in their language, with
// the sources of each fact; supervisors edit articles in the three
// languages, see every saved version and the list of facts still "to be
// confirmed by the programme".
//
//   #/kb                 search and list
//   #/kb/gaps            every [[to-be-confirmed: ...]] marker (supervisor)
//   #/kb/new             a new article (supervisor)
//   #/kb/ID              one article (and, for a supervisor, its history)
//   #/kb/ID/edit         the editor (supervisor)
//
// kbPicker() is the search as a small chooser that other pages (the
// hotline's contact form: kb_articles) reuse to mark what was told.
//
// Article text is plain text with two markers (src/domain/kbtext.h):
// [[source:N]] cites the article's source N, and [[to-be-confirmed: WHAT]]
// stands for a fact no source confirms. It is drawn with DOM nodes only.

import { t, getLang } from './i18n.js';
import { h, live, setMessage, showDate, today, busy, dateInput, parseDate } from './dom.js';
import { codeList, codeText, statusKey } from './forms.js';
import { request, prepare, failed, messageBox, heading } from './page.js';

const LANGS = ['tg', 'ru', 'en'];
const COUNTRIES = ['RU', 'AE', 'KZ', 'TR'];
const EDITORS = ['supervisor'];
const state = { q: '', country: '', topic: '' };

const isEditor = (ctx) => EDITORS.includes(ctx.user && ctx.user.role);

export function kbRoute(ctx) {
  const p = ctx.params;
  if (p.length === 1) return kbListView(ctx);
  if (p.length === 2 && p[1] === 'gaps') return kbGapsView(ctx);
  if (p.length === 2 && p[1] === 'new') return kbEditView(ctx, null);
  if (p.length === 2) return kbArticleView(ctx, p[1]);
  if (p.length === 3 && p[2] === 'edit') return kbEditView(ctx, p[1]);
  return null;
}

// The label of {tg, ru, en} in the reading language.
const inLang = (obj) => (obj && (obj[getLang()] || obj.en || obj.tg)) || '';

function countryText(code) {
  if (!code) return () => t('kb.general');
  return codeText('countries', code);
}

function select(id, options, value) {
  const s = h('select', { id, name: id });
  for (const [v, text] of options) s.append(h('option', { value: v, text }));
  s.value = value;
  return s;
}

function countryOptions(anyKey) {
  return [['', anyKey], ...COUNTRIES.map((c) => [c, countryText(c)]), ['-', 'kb.general']];
}

function topicOptions(anyKey) {
  const opts = codeList('kb_topic').map((c) => [c.code, c]);
  return anyKey ? [['', anyKey], ...opts] : opts;
}

// ---- the search, as a page and as a chooser ---------------------------------

// A search form and its results.  opts.onPick(article) adds a button to
// each result; opts.picked is a Set of chosen ids (shown as pressed).
function kbSearch(ctx, opts = {}) {
  const p = opts.prefix || 'kb';
  const st = opts.state || { q: '', country: '', topic: '' };
  const q = h('input', { type: 'search', id: `${p}-q`, value: st.q, attrs: { autocomplete: 'off', spellcheck: 'false' } });
  const country = select(`${p}-country`, countryOptions('list.any'), st.country);
  const topic = select(`${p}-topic`, topicOptions('list.any'), st.topic);
  const form = h('form', { class: 'filters panel', id: `${p}-filters`, attrs: { role: 'search' } },
    h('div', { class: 'filter search' },
      h('label', { for: `${p}-q`, text: 'kb.search' }),
      h('div', { class: 'inline' }, q, h('button', { type: 'submit', class: 'button secondary', id: `${p}-search`, text: 'list.search' })),
      h('p', { class: 'hint', text: 'kb.search_hint' })),
    h('div', { class: 'filter' }, h('label', { for: `${p}-country`, text: 'kb.country' }), country),
    h('div', { class: 'filter' }, h('label', { for: `${p}-topic`, text: 'kb.topic' }), topic));
  const msg = messageBox();
  const list = h('ul', { class: 'cards wide kb-list', id: `${p}-list` });
  const node = h('div', { class: 'kb-search' }, form, msg, list);
  let seq = 0;

  async function load() {
    st.q = q.value.trim();
    st.country = country.value;
    st.topic = topic.value;
    const params = new URLSearchParams({ lang: getLang() });
    if (st.q) params.set('q', st.q);
    if (st.country) params.set('country', st.country);
    if (st.topic) params.set('topic', st.topic);
    seq += 1;
    const mine = seq;
    const res = await request(ctx, 'GET', `/kb?${params}`);
    if (mine !== seq || !ctx.alive()) return;
    list.replaceChildren();
    if (!res || res.status !== 200) {
      setMessage(msg, statusKey(res));
      return;
    }
    setMessage(msg, res.body.items.length ? null : 'kb.none', 'info');
    for (const a of res.body.items) list.append(card(a));
  }

  function card(a) {
    const title = opts.onPick
      ? h('strong', { class: 'kb-title', text: () => inLang(a.title) })
      : h('a', { href: `#/kb/${encodeURIComponent(a.id)}`, class: 'kb-title', text: () => inLang(a.title) });
    const meta = h('p', { class: 'hint' },
      live(h('span'), countryText(a.country)), ' · ', live(h('span'), codeText('kb_topic', a.topic)),
      a.status !== 'published' ? [' · ', live(h('span', { class: 'badge warn' }), codeText('kb_status', a.status))] : null,
      a.gaps ? [' · ', live(h('span', { class: 'badge warn' }), () => `${t('kb.gaps_n')}: ${a.gaps}`)] : null);
    const li = h('li', { class: 'card', attrs: { 'data-id': a.id } }, h('h3', {}, title), meta,
      a.excerpt ? h('p', { data: a.excerpt }) : null);
    if (opts.onPick) {
      const b = h('button', { type: 'button', class: 'button secondary kb-pick', text: 'kb.pick' });
      const sync = () => b.setAttribute('aria-pressed', String(!!(opts.picked && opts.picked.has(a.id))));
      sync();
      b.addEventListener('click', () => {
        opts.onPick(a);
        sync();
      });
      li.append(h('div', { class: 'actions' }, b));
    }
    return li;
  }

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    load();
  });
  for (const s of [country, topic]) s.addEventListener('change', load);
  return { node, load };
}

// For other pages: a chooser of articles told to a caller.  Returns
// {node, load(), ids()}: ids() is the list of chosen article ids (the
// contact's kb_articles); onChange(ids) is called after each change.
export function kbPicker(ctx, { prefix = 'kbp', selected = [], onChange } = {}) {
  const picked = new Set(selected);
  const chosen = h('ul', { class: 'plain kb-picked', id: `${prefix}-picked`, attrs: { 'aria-live': 'polite' } });
  const titles = new Map();
  const drawChosen = () => {
    chosen.replaceChildren();
    for (const id of picked) {
      const remove = h('button', { type: 'button', class: 'button link', text: 'kb.unpick', label: 'kb.unpick' });
      remove.addEventListener('click', () => {
        picked.delete(id);
        drawChosen();
        if (onChange) onChange([...picked]);
      });
      chosen.append(h('li', {}, h('span', { text: () => inLang(titles.get(id)) || id }), ' ', remove));
    }
  };
  const search = kbSearch(ctx, {
    prefix,
    picked,
    onPick(a) {
      titles.set(a.id, a.title);
      if (picked.has(a.id)) picked.delete(a.id);
      else picked.add(a.id);
      drawChosen();
      if (onChange) onChange([...picked]);
    },
  });
  drawChosen();
  const node = h('div', { class: 'kb-picker' }, h('p', { class: 'hint', text: 'kb.picker_hint' }), chosen, search.node);
  return { node, load: search.load, ids: () => [...picked] };
}

async function kbListView(ctx) {
  ctx.title('nav.kb');
  if (!(await prepare(ctx))) return;
  const bar = h('div', { class: 'actions' });
  if (isEditor(ctx)) {
    bar.append(h('a', { class: 'button', href: '#/kb/new', id: 'kb-new', text: 'kb.new' }),
      h('a', { class: 'button secondary', href: '#/kb/gaps', id: 'kb-gaps-link', text: 'kb.gaps' }));
  }
  bar.append(h('a', { class: 'button secondary', href: '/public/kb', attrs: { target: '_blank', rel: 'noopener' }, text: 'kb.public_link' }));
  const search = kbSearch(ctx, { state });
  ctx.root.append(h('p', { class: 'lead', text: 'kb.lead' }), bar, search.node);
  await search.load();
}

// ---- reading ------------------------------------------------------------------

// The article text as nodes: paragraphs, "- " list items, and markers.
export function renderText(text) {
  const out = [];
  let para = null;
  let list = null;
  for (const raw of (text || '').split('\n')) {
    const line = raw.replace(/\s+$/, '');
    if (line === '') {
      para = null;
      list = null;
      continue;
    }
    if (line.startsWith('- ')) {
      para = null;
      if (!list) {
        list = h('ul');
        out.push(list);
      }
      list.append(h('li', {}, inline(line.slice(2))));
      continue;
    }
    list = null;
    if (!para) {
      para = h('p');
      out.push(para);
    } else {
      para.append(h('br'));
    }
    para.append(...inline(line));
  }
  return out;
}

function inline(line) {
  const nodes = [];
  const re = /\[\[(source:\s*(\d+)|to-be-confirmed:\s*([^\]]*?))\s*\]\]/g;
  let last = 0;
  let m;
  while ((m = re.exec(line)) !== null) {
    if (m.index > last) nodes.push(document.createTextNode(line.slice(last, m.index)));
    if (m[2]) {
      // Not a hash link: the hash is the page's route.
      const n = m[2];
      const jump = (e) => {
        e.preventDefault();
        document.getElementById(`kb-src-${n}`)?.scrollIntoView({ block: 'center' });
      };
      nodes.push(h('sup', {}, h('a', { href: '', data: `[${n}]`, attrs: { 'data-source': n }, on: { click: jump } })));
    } else {
      nodes.push(h('span', { class: 'tbc', text: 'kb.tbc' }), ' ', h('small', { class: 'hint', data: `(${m[3]})` }));
    }
    last = re.lastIndex;
  }
  if (last < line.length) nodes.push(document.createTextNode(line.slice(last)));
  return nodes;
}

function sourcesList(sources) {
  const ol = h('ol', { class: 'kb-sources' });
  sources.forEach((s, i) => {
    const li = h('li', { id: `kb-src-${i + 1}` }, h('span', { data: s.title }));
    if (s.publisher) li.append('. ', h('span', { data: s.publisher }));
    if (s.published) li.append('; ', live(h('span'), () => `${t('kb.published')} ${showDate(s.published)}`));
    if (s.accessed) li.append('; ', live(h('span'), () => `${t('kb.accessed')} ${showDate(s.accessed)}`));
    if (s.url) li.append('. ', h('a', { href: s.url, data: s.url, attrs: { rel: 'noreferrer noopener', target: '_blank' } }));
    ol.append(li);
  });
  return ol;
}

async function kbArticleView(ctx, id) {
  ctx.title('nav.kb');
  if (!(await prepare(ctx))) return;
  const res = await request(ctx, 'GET', `/kb/${encodeURIComponent(id)}`);
  if (!ctx.alive()) return;
  if (!res || res.status !== 200) {
    failed(ctx, res);
    return;
  }
  const a = res.body;
  ctx.title(() => inLang(a.title));
  const body = h('div', { class: 'kb-body', id: 'kb-body' });
  const draw = () => body.replaceChildren(...renderText(inLang(a.body)));
  draw();
  // Texts follow the language: redraw the body when it changes.
  const watcher = live(h('span', { hidden: true }), () => {
    queueMicrotask(draw);
    return getLang();
  });
  const meta = h('p', { class: 'hint' }, live(h('span'), countryText(a.country)), ' · ',
    live(h('span'), codeText('kb_topic', a.topic)), ' · ', live(h('span'), codeText('kb_status', a.status)),
    a.reviewed_on ? [' · ', live(h('span'), () => `${t('kb.reviewed')} ${showDate(a.reviewed_on)}`)] : null);
  const bar = h('div', { class: 'actions' }, h('a', { class: 'button secondary', href: '#/kb', text: 'kb.back' }));
  if (isEditor(ctx)) bar.append(h('a', { class: 'button', id: 'kb-edit', href: `#/kb/${encodeURIComponent(a.id)}/edit`, text: 'kb.edit' }));
  ctx.root.append(h('article', { class: 'kb-article panel' }, meta, body, watcher,
    heading(2, 'kb.sources'), sourcesList(a.sources || [])), bar);
  if (isEditor(ctx)) await historySection(ctx, a.id);
}

async function historySection(ctx, id) {
  const res = await request(ctx, 'GET', `/kb/${encodeURIComponent(id)}/history`);
  if (!ctx.alive() || !res || res.status !== 200) return;
  const list = h('ol', { class: 'timeline kb-history', id: 'kb-history' });
  for (const v of res.body.items) {
    list.append(h('li', {},
      h('strong', { data: `v${v.version}` }), ' ',
      live(h('span'), () => (v.action === 'create' ? t('kb.created') : t('kb.updated'))), ' ',
      h('span', { data: showDate(v.at) + ' ' + (v.at || '').slice(11, 16) }), ' · ',
      live(h('span'), () => v.by_login || t('kb.system')), ' · ',
      h('span', { class: 'hint', data: (v.fields || []).join(', ') })));
  }
  ctx.root.append(h('section', { class: 'panel' }, heading(2, 'kb.history'), list));
}

// ---- the gaps -----------------------------------------------------------------

async function kbGapsView(ctx) {
  ctx.title('kb.gaps');
  if (!(await prepare(ctx))) return;
  const res = await request(ctx, 'GET', '/kb/gaps');
  if (!ctx.alive()) return;
  if (!res || res.status !== 200) {
    failed(ctx, res);
    return;
  }
  const items = res.body.items;
  const table = h('table', { class: 'data kb-gaps', id: 'kb-gaps' },
    h('thead', {}, h('tr', {},
      h('th', { text: 'kb.country' }), h('th', { text: 'kb.topic' }), h('th', { text: 'kb.lang' }),
      h('th', { text: 'kb.article' }), h('th', { text: 'kb.missing' }))),
    h('tbody', {}, items.map((g) => h('tr', {},
      h('td', { text: countryText(g.country) }), h('td', { text: codeText('kb_topic', g.topic) }),
      h('td', { data: g.lang }),
      h('td', {}, h('a', { href: `#/kb/${encodeURIComponent(g.article_id)}/edit`, data: g.title })),
      h('td', { data: g.missing })))));
  ctx.root.append(h('p', { class: 'lead', text: () => `${t('kb.gaps_lead')} ${items.length}` }),
    h('div', { class: 'kb-table-wrap' }, table),
    h('div', { class: 'actions' }, h('a', { class: 'button secondary', href: '#/kb', text: 'kb.back' })));
}

// ---- the editor ---------------------------------------------------------------

async function kbEditView(ctx, id) {
  ctx.title(id ? 'kb.edit' : 'kb.new');
  if (!(await prepare(ctx))) return;
  if (!isEditor(ctx)) {
    failed(ctx, { status: 403 });
    return;
  }
  let a = { country: '', topic: 'registration_permits', status: 'draft', reviewed_on: null,
    title: { tg: '', ru: '', en: '' }, body: { tg: '', ru: '', en: '' }, sources: [], version: 0 };
  if (id) {
    const res = await request(ctx, 'GET', `/kb/${encodeURIComponent(id)}`);
    if (!ctx.alive()) return;
    if (!res || res.status !== 200) {
      failed(ctx, res);
      return;
    }
    a = res.body;
  }
  const field = (label, input) => h('div', { class: 'field' }, h('label', { for: input.id, text: label }), input);
  const country = select('kb-e-country', [['', 'kb.general'], ...COUNTRIES.map((c) => [c, countryText(c)])], a.country);
  const topic = select('kb-e-topic', topicOptions(null), a.topic);
  const status = select('kb-e-status', codeList('kb_status').map((c) => [c.code, c]), a.status);
  const reviewed = dateInput({ id: 'kb-e-reviewed' }, a.reviewed_on || '');
  const titles = {};
  const bodies = {};
  const langBlocks = LANGS.map((l) => {
    titles[l] = h('input', { id: `kb-e-title-${l}`, value: a.title[l] || '', attrs: { maxlength: 300, lang: l } });
    bodies[l] = h('textarea', { id: `kb-e-body-${l}`, rows: 12, value: a.body[l] || '', attrs: { lang: l } });
    return h('fieldset', { class: 'panel' }, h('legend', { text: codeText('languages', l) }),
      field('kb.title', titles[l]), field('kb.body', bodies[l]));
  });
  const sourceRows = h('ol', { class: 'kb-source-rows', id: 'kb-e-sources' });
  const addSource = (s = {}) => {
    const n = sourceRows.children.length + 1;
    const input = (name, type = 'text') => h('input', { type, id: `kb-e-s${n}-${name}`, value: s[name] || '', attrs: { 'data-name': name } });
    const remove = h('button', { type: 'button', class: 'button link', text: 'kb.remove_source' });
    const li = h('li', { class: 'panel' },
      field('kb.s_title', input('title')), field('kb.s_url', input('url', 'url')),
      field('kb.s_publisher', input('publisher')), field('kb.s_published', input('published', 'date')),
      field('kb.s_accessed', input('accessed', 'date')), remove);
    remove.addEventListener('click', () => li.remove());
    sourceRows.append(li);
  };
  (a.sources || []).forEach(addSource);
  const add = h('button', { type: 'button', class: 'button secondary', id: 'kb-e-add-source', text: 'kb.add_source', on: { click: () => addSource({ accessed: today() }) } });
  const msg = messageBox();
  msg.id = 'kb-e-msg';
  const save = h('button', { type: 'submit', class: 'button', id: 'kb-e-save', text: 'common.save' });
  const form = h('form', { class: 'kb-editor', id: 'kb-editor', attrs: { novalidate: true } },
    h('p', { class: 'hint', text: 'kb.markers_hint' }),
    h('div', { class: 'kb-grid' }, field('kb.country', country), field('kb.topic', topic), field('kb.status', status),
      field('kb.reviewed', reviewed)),
    ...langBlocks,
    h('fieldset', { class: 'panel' }, h('legend', { text: 'kb.sources' }), sourceRows, add),
    msg, h('div', { class: 'actions' }, save,
      h('a', { class: 'button secondary', href: id ? `#/kb/${encodeURIComponent(id)}` : '#/kb', text: 'common.cancel' })));
  ctx.root.append(form);

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(save, async () => {
      const sources = [...sourceRows.children].map((li) => {
        const s = {};
        for (const inp of li.querySelectorAll('input')) if (inp.value.trim() !== '') s[inp.dataset.name] = inp.value.trim();
        return s;
      });
      const doc = {
        country: country.value,
        topic: topic.value,
        status: status.value,
        reviewed_on: reviewed.value.trim() ? parseDate(reviewed.value) || reviewed.value.trim() : null,
        title: Object.fromEntries(LANGS.map((l) => [l, titles[l].value.trim()])),
        body: Object.fromEntries(LANGS.map((l) => [l, bodies[l].value.replace(/\r\n/g, '\n').trim()])),
        sources,
      };
      if (!id && doc.reviewed_on === null) delete doc.reviewed_on;
      const res = id
        ? await request(ctx, 'PATCH', `/kb/${encodeURIComponent(id)}`, doc, { 'If-Match': `"${a.version}"` })
        : await request(ctx, 'POST', '/kb', doc);
      if (!ctx.alive()) return;
      if (res && (res.status === 200 || res.status === 201)) {
        ctx.go(`#/kb/${encodeURIComponent(res.body.id)}`);
        return;
      }
      const detail = res && res.body && res.body.detail;
      setMessage(msg, statusKey(res), 'error', detail ? h('span', { class: 'hint', data: ` ${detail}` }) : null);
    });
  });
}
