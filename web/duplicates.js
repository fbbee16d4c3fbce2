// duplicates.js - likely duplicates in the register (#/duplicates): the
// pairs of persons of my organisation that may be one person (GET
// /duplicates), side by side with the comparisons that drove the score,
// and the decisions: same person (keep one record: POST
// /duplicates/{id}/merge), not the same (POST /duplicates/{id}/distinct),
// and, for a merge, undo (POST /merges/{id}/undo).

import { t } from './i18n.js';
import { h, setMessage, showDate, busy, label } from './dom.js';
import { recordView, fieldOf, statusKey } from './forms.js';
import { request, prepare, personName } from './page.js';

const SHOWS = ['open', 'merged', 'distinct'];
const COMPARED = ['family_name', 'given_name', 'patronymic', 'birth_date', 'gender', 'estimated_age',
  'citizenship', 'region_of_origin'];

const state = { show: 'open' };

export async function duplicatesView(ctx) {
  ctx.title('dup.title');
  if (!(await prepare(ctx))) return;

  const show = h('select', { id: 'dup-show' }, SHOWS.map((s) => h('option', { value: s, text: `dup.show_${s}` })));
  show.value = state.show;
  const scan = h('button', { type: 'button', class: 'button secondary', id: 'dup-scan', text: 'dup.scan' });
  const bar = h('div', { class: 'filters panel' },
    h('p', { class: 'hint', text: 'dup.lead' }),
    h('div', { class: 'filter' }, h('label', { for: 'dup-show', text: 'dup.show' }), show),
    h('div', { class: 'actions' }, scan));
  const msg = h('div', { class: 'message', attrs: { role: 'status' }, hidden: true });
  const list = h('ul', { class: 'cards wide', id: 'dup-list' });
  const more = h('div', { class: 'page-actions', id: 'dup-pager' });
  ctx.root.append(bar, msg, list, more);

  show.addEventListener('change', () => {
    state.show = show.value;
    load();
  });
  scan.addEventListener('click', () => busy(scan, async () => {
    const res = await request(ctx, 'POST', '/duplicates/scan', {});
    if (!ctx.alive()) return;
    if (!res || res.status !== 200) setMessage(msg, statusKey(res), 'error');
    else await load();
  }));

  // A page at a time, best score first; "show more" appends the next
  // page after the last pair shown (a decision loads the first again).
  let seq = 0;
  async function load(note, cursor) {
    const mine = ++seq;
    const params = new URLSearchParams({ status: state.show });
    if (cursor) params.set('cursor', cursor);
    list.setAttribute('aria-busy', 'true');
    const res = await request(ctx, 'GET', `/duplicates?${params}`);
    if (!ctx.alive() || mine !== seq) return;
    list.removeAttribute('aria-busy');
    if (!cursor) list.replaceChildren();
    more.replaceChildren();
    if (!res || res.status !== 200) {
      setMessage(msg, statusKey(res), 'error');
      return;
    }
    const items = res.body.items || [];
    if (note) setMessage(msg, note, 'info');
    else if (!cursor && !items.length) setMessage(msg, 'dup.none', 'info');
    else setMessage(msg, null);
    for (const p of items) list.append(card(p));
    if (res.body.next) {
      more.append(h('button', {
        type: 'button', class: 'button secondary', id: 'dup-more', text: 'dup.more',
        on: { click: () => load(null, res.body.next) },
      }));
    }
  }

  // One pair: both persons side by side, the reasons, the decisions.
  function card(pair) {
    const box = h('div', { class: 'message', attrs: { role: 'alert' }, hidden: true });
    const act = (button, method, path, body, note) => busy(button, async () => {
      const res = await request(ctx, method, path, body);
      if (!ctx.alive()) return;
      if (!res || res.status !== 200) setMessage(box, statusKey(res), 'error');
      else await load(note);
    });
    const sides = pair.persons.map((p) => {
      const keep = pair.status === 'open'
        ? h('button', { type: 'button', class: 'button', attrs: { 'data-keep': p.id }, text: 'dup.keep' })
        : null;
      // One click moved a person's cases and consents: asked first, naming
      // the record kept (an undo is there, but a wrong merge shows a
      // stranger's phone to the case's recipients until then).
      if (keep) keep.addEventListener('click', () => {
        if (!window.confirm(t('dup.merge_confirm').replace('{name}', personName(p)))) return;
        act(keep, 'POST', `/duplicates/${encodeURIComponent(pair.id)}/merge`, { survivor: p.id }, 'dup.merged_done');
      });
      return h('div', { class: 'dup-side', attrs: { 'data-person': p.id } },
        h('p', { class: 'card-title' }, h('strong', { text: () => personName(p) })),
        recordView('person', p, COMPARED),
        h('p', { class: 'muted', text: () => `${t('dup.registered')} ${showDate(p.created_at)}` }),
        keep);
    });
    const reasons = h('table', { class: 'dup-reasons' },
      h('caption', { text: 'dup.why' }),
      h('tbody', {}, (pair.reasons || []).map((r) => h('tr', { class: r.weight >= 0 ? 'agree' : 'disagree' },
        h('th', { attrs: { scope: 'row' }, text: () => fieldText(r.field) }),
        h('td', { text: `dup.level_${r.level}` }),
        h('td', { class: 'num', text: () => (r.weight > 0 ? '+' : '') + r.weight.toFixed(1) })))));
    const actions = h('div', { class: 'actions' });
    if (pair.status === 'open') {
      const distinct = h('button', { type: 'button', class: 'button secondary', attrs: { 'data-distinct': pair.id }, text: 'dup.distinct' });
      distinct.addEventListener('click', () => act(distinct, 'POST', `/duplicates/${encodeURIComponent(pair.id)}/distinct`,
        {}, 'dup.distinct_done'));
      actions.append(distinct);
    } else if (pair.status === 'merged' && pair.merge_id) {
      const undo = h('button', { type: 'button', class: 'button secondary', attrs: { 'data-undo': pair.merge_id }, text: 'dup.undo' });
      undo.addEventListener('click', () => act(undo, 'POST', `/merges/${encodeURIComponent(pair.merge_id)}/undo`, {}, 'dup.undone'));
      actions.append(undo);
    }
    return h('li', { class: 'card dup-card', attrs: { 'data-id': pair.id } },
      h('p', { class: 'card-title', text: () => `${t('dup.score')}: ${Math.round(pair.score * 100)}%` }),
      h('div', { class: 'dup-sides' }, ...sides),
      reasons, box, actions);
  }

  await load();
}

// The label of a compared field: the person schema's, or ours for the
// district and postcode compared together.
function fieldText(name) {
  const f = fieldOf('person', name);
  if (f && f.label) return label(f.label);
  return t(name === 'locality' ? 'dup.field_locality' : name);
}
