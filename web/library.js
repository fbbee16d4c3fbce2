// library.js - the knowledge library (#/library): the programme's guides,
// brochures, SOPs and training manuals for the agencies, filtered by kind,
// audience and language, each with its current version to download; one
// product (#/library/ID) with its version history, every version
// downloadable, a form for the next version and, for its keepers, a way
// to withdraw it.  Everyone signed in reads; trainers and supervisors of
// the keeping organisation add and upload (the server decides: policy
// library.edit).  Not the hotline's knowledge base (kb.js).

import { getLang } from './i18n.js';
import { h, live, liveAttr, setMessage, showDate } from './dom.js';
import { buildForm, formShell, codeList, codeText, statusKey } from './forms.js';
import { request, prepare, failed, heading, messageBox } from './page.js';
import { upload } from './api.js';

const KEEPERS = ['trainer', 'supervisor'];
const TITLES = ['title_tg', 'title_ru', 'title_en'];
const ACCEPT = '.pdf,.docx,.xlsx,.odt,.png,.jpg,.jpeg';
const MAX_BYTES = 20 * 1024 * 1024;

const titleOf = (p) => () => p[`title_${getLang()}`] || p.title_en || p.title_ru || p.title_tg || '';
const fileHref = (id, n) => `/api/v1/library/${encodeURIComponent(id)}/versions/${n}`;
const sizeText = (n) => (n >= 1048576 ? `${(n / 1048576).toFixed(1)} MB` : `${Math.max(1, Math.round(n / 1024))} KB`);
const mayKeep = (ctx) => KEEPERS.includes(ctx.user.role);

// A cell that names its column on a phone, where the rows stack (style.css
// .stack-table).
const cell = (key, node) => liveAttr(node, 'data-label', key);

function codes(list, values) {
  return () => values.map((c) => codeText(list, c)()).join(', ');
}

// A file input and a change note; check() says what is wrong before sending.
function fileFields(prefix) {
  const file = h('input', { type: 'file', id: `${prefix}-file`, accept: ACCEPT, attrs: { 'aria-required': 'true' } });
  const note = h('input', { type: 'text', id: `${prefix}-note`, maxLength: 1000 });
  const node = h('div', { class: 'form-fields' },
    h('div', { class: 'field' }, h('label', { for: file.id, text: 'lib.file' }), file,
      h('p', { class: 'hint', text: 'lib.file_hint' })),
    h('div', { class: 'field' }, h('label', { for: note.id, text: 'lib.note' }), note));
  function check() {
    const f = file.files && file.files[0];
    if (!f) return 'lib.err_no_file';
    if (f.size === 0) return 'lib.err_empty';
    if (f.size > MAX_BYTES) return 'lib.err_too_large';
    return null;
  }
  return { node, file, note, check };
}

// The problem of an upload, as a text of the catalogue.
function uploadProblem(res) {
  const type = res && res.body ? res.body.type : '';
  if (res && res.status === 415) return 'lib.err_type';
  if (res && res.status === 413) return 'lib.err_too_large';
  if (type === 'empty-file') return 'lib.err_empty';
  if (type === 'version-conflict') return 'lib.err_stale';
  if (type === 'withdrawn') return 'lib.err_withdrawn';
  return statusKey(res);
}

function sendFile(id, after, ff) {
  const f = ff.file.files[0];
  const q = new URLSearchParams({ after: String(after), file_name: f.name });
  if (ff.note.value.trim()) q.set('note', ff.note.value.trim());
  return upload(`/library/${encodeURIComponent(id)}/versions?${q}`, f).catch(() => null);
}

function productRow(p) {
  const cur = p.current;
  return h('tr', { class: 'library-row', attrs: { 'data-id': p.id } },
    h('td', { class: 'stack-head' }, h('a', { href: `#/library/${p.id}`, text: titleOf(p) })),
    cell('lib.kind', live(h('td'), codeText('knowledge_kind', p.kind))),
    cell('lib.audience', live(h('td'), codes('knowledge_audience', p.audience))),
    cell('lib.language', live(h('td'), codes('languages', p.languages))),
    cell('lib.current', h('td', {}, cur
      ? h('a', { href: fileHref(p.id, cur.n), class: 'library-download', attrs: { download: '' },
        data: `v${cur.n} · ${showDate(cur.uploaded_at.slice(0, 10))} · ${sizeText(cur.size)}` })
      : h('span', { class: 'hint', text: 'lib.no_file' }))));
}

function filterSelect(id, list, labelKey) {
  const sel = h('select', { id },
    h('option', { value: '', text: 'lib.any' }),
    codeList(list).map((c) => h('option', { value: c.code, text: c })));
  return { sel, node: h('div', { class: 'field' }, h('label', { for: id, text: labelKey }), sel) };
}

export async function libraryView(ctx) {
  ctx.title('lib.title');
  if (!(await prepare(ctx))) return;
  const kind = filterSelect('lib-f-kind', 'knowledge_kind', 'lib.kind');
  const audience = filterSelect('lib-f-audience', 'knowledge_audience', 'lib.audience');
  const lang = filterSelect('lib-f-language', 'languages', 'lib.language');
  const out = h('div', { id: 'lib-out' });
  const msg = messageBox();

  async function show() {
    const q = new URLSearchParams();
    if (kind.sel.value) q.set('kind', kind.sel.value);
    if (audience.sel.value) q.set('audience', audience.sel.value);
    if (lang.sel.value) q.set('language', lang.sel.value);
    q.set('limit', '200');
    const res = await request(ctx, 'GET', `/library?${q}`);
    if (!ctx.alive()) return;
    if (!res || res.status !== 200) {
      failed(ctx, res);
      return;
    }
    const items = res.body.items;
    out.replaceChildren(items.length
      ? h('div', { class: 'table-wrap' }, h('table', { class: 'table stack-table', id: 'lib-list' },
        h('thead', {}, h('tr', {}, ['lib.product', 'lib.kind', 'lib.audience', 'lib.language', 'lib.current']
          .map((k) => h('th', { text: k })))),
        h('tbody', {}, items.map(productRow))))
      : h('p', { class: 'hint', id: 'lib-empty', text: 'lib.none' }));
  }
  for (const f of [kind, audience, lang]) f.sel.addEventListener('change', show);

  ctx.root.append(
    h('p', { class: 'hint', text: 'lib.intro' }),
    h('section', { class: 'panel' }, heading(2, 'lib.list'),
      h('div', { class: 'filters', id: 'lib-filters' }, kind.node, audience.node, lang.node), out));
  if (mayKeep(ctx)) ctx.root.append(newProductForm(ctx, msg));
  await show();
}

// A new product and its first version, in one form.
function newProductForm(ctx, msg) {
  const fields = buildForm('library_product', { prefix: 'lib-new', needOne: TITLES });
  const ff = fileFields('lib-new');
  let made = null; // the product made by an earlier try whose file was refused
  const { form } = formShell({
    id: 'lib-new-form', title: 'lib.new', fields, submitKey: 'lib.upload',
    extra: msg,
    onSubmit: async () => {
      const { value, missing } = fields.read();
      if (missing.length) return;
      const bad = ff.check();
      if (bad) {
        setMessage(msg, bad);
        return;
      }
      if (!made) {
        const r = await request(ctx, 'POST', '/library', value);
        if (!ctx.alive()) return;
        if (!r || r.status !== 201) {
          fields.showProblem(r);
          return;
        }
        made = r.body.id;
      }
      // A refused file (not a PDF, DOCX, ... by its bytes; too large)
      // is said here, and the next try sends the file to the same product.
      const up = await sendFile(made, 0, ff);
      if (!ctx.alive()) return;
      if (!up || up.status !== 201) {
        setMessage(msg, uploadProblem(up), 'error');
        return;
      }
      ctx.go(`#/library/${made}`);
    },
  });
  form.querySelector('.actions').before(ff.node);
  return form;
}

function versionRow(p, v) {
  return h('tr', { class: 'version-row', attrs: { 'data-n': String(v.n) } },
    h('td', { class: 'stack-head', data: `v${v.n}` }),
    cell('lib.file', h('td', {}, h('a', { href: fileHref(p.id, v.n), attrs: { download: '' }, class: 'version-download', data: v.file_name }))),
    cell('lib.date', h('td', { data: showDate(v.uploaded_at.slice(0, 10)) })),
    cell('lib.by', h('td', { data: v.uploaded_by || '—' })),
    cell('lib.size', h('td', { data: sizeText(v.size) })),
    cell('lib.note', h('td', { data: v.note || '—' })));
}

export async function libraryPageView(ctx, id) {
  ctx.title('lib.title');
  if (!(await prepare(ctx))) return;
  const res = await request(ctx, 'GET', `/library/${encodeURIComponent(id)}`);
  if (!ctx.alive()) return;
  if (!res || res.status !== 200) {
    failed(ctx, res);
    return;
  }
  const p = res.body;
  const keeper = mayKeep(ctx) && ctx.user.org && ctx.user.org.code === p.org && !p.withdrawn;
  const msg = messageBox();
  const facts = h('dl', { class: 'facts', id: 'lib-facts' },
    h('dt', { text: 'lib.kind' }), live(h('dd'), codeText('knowledge_kind', p.kind)),
    h('dt', { text: 'lib.audience' }), live(h('dd'), codes('knowledge_audience', p.audience)),
    h('dt', { text: 'lib.language' }), live(h('dd'), codes('languages', p.languages)),
    h('dt', { text: 'lib.kept_by' }), h('dd', { data: p.org }),
    h('dt', { text: 'lib.current' }), h('dd', { id: 'lib-current', data: p.current ? `v${p.current.n}` : '—' }));
  const history = p.versions.length
    ? h('div', { class: 'table-wrap' }, h('table', { class: 'table stack-table', id: 'lib-versions' },
      h('thead', {}, h('tr', {}, ['lib.version', 'lib.file', 'lib.date', 'lib.by', 'lib.size', 'lib.note']
        .map((k) => h('th', { text: k })))),
      h('tbody', {}, p.versions.map((v) => versionRow(p, v)))))
    : h('p', { class: 'hint', text: 'lib.no_file' });
  ctx.root.append(...[
    h('p', {}, h('a', { href: '#/library', text: 'lib.back' })),
    p.withdrawn ? h('p', { class: 'message info', id: 'lib-withdrawn', text: 'lib.withdrawn' }) : null,
    h('h2', { id: 'lib-heading', text: titleOf(p) }),
    h('section', { class: 'panel' }, facts),
    h('section', { class: 'panel' }, heading(2, 'lib.history'), history)].filter(Boolean));
  if (!keeper) return;

  const ff = fileFields('lib-next');
  const { form } = formShell({
    id: 'lib-next-form', title: 'lib.new_version', fields: ff, submitKey: 'lib.upload', extra: msg,
    onSubmit: async () => {
      const bad = ff.check();
      if (bad) {
        setMessage(msg, bad);
        return;
      }
      const up = await sendFile(p.id, p.version, ff);
      if (!ctx.alive()) return;
      if (up && up.status === 201) ctx.go(location.hash);
      else setMessage(msg, uploadProblem(up));
    },
  });
  const withdraw = h('button', {
    type: 'button', class: 'button secondary', id: 'lib-withdraw', text: 'lib.withdraw',
    on: {
      click: async () => {
        const r = await request(ctx, 'POST', `/library/${encodeURIComponent(p.id)}/withdraw`);
        if (!ctx.alive()) return;
        if (r && r.status === 200) ctx.go('#/library');
        else setMessage(msg, uploadProblem(r));
      },
    },
  });
  ctx.root.append(form,
    h('details', { class: 'panel' }, h('summary', { text: 'lib.withdraw' }),
      h('p', { class: 'hint', text: 'lib.withdraw_hint' }), h('div', { class: 'actions' }, withdraw)));
}
