// callbacks.js - the callback queue (#/callbacks): the callbacks due
// today and overdue ones first, each with its safe-to-call note in plain
// sight and the number masked.  An operator takes one ("assign to me"),
// opens it to see the full number (an audited read on the server),
// records the outcome and marks it done.

import { t } from './i18n.js';
import { h, live, setMessage } from './dom.js';
import { statusKey } from './forms.js';
import { request, prepare } from './page.js';
import { hotCodes, hotText, showDateTime, langName } from './hotcodes.js';

const STATES = ['open', 'due', 'overdue', 'done', 'all'];

// The filter outlives a visit elsewhere.
const state = { state: 'open', mine: false };

// The filter the queue opens with next (the home page's figures).
export function setCallbackFilter({ state: which = 'open', mine = false }) {
  Object.assign(state, { state: which, mine });
}

export async function callbacksView(ctx) {
  ctx.title('cb.title');
  if (!(await prepare(ctx))) return;

  const which = h('select', { id: 'cb-state', name: 'state' },
    STATES.map((s) => h('option', { value: s, text: `cb.state_${s}` })));
  which.value = state.state;
  const mine = h('input', { type: 'checkbox', id: 'cb-mine', checked: state.mine });
  const filters = h('form', { class: 'filters panel', id: 'cb-filters' },
    h('div', { class: 'filter' }, h('label', { for: 'cb-state', text: 'cb.show' }), which),
    h('div', { class: 'filter check single' }, mine, h('label', { for: 'cb-mine', text: 'cb.mine' })),
    h('div', { class: 'filter' }, h('button', { type: 'submit', class: 'button secondary', id: 'cb-refresh', text: 'common.reload' })));
  const message = h('div', { class: 'message', id: 'cb-msg', attrs: { role: 'status' }, hidden: true });
  const list = h('ul', { class: 'cards wide cb-list', id: 'cb-list' });
  const more = h('div', { class: 'pager' });
  ctx.root.append(
    h('div', { class: 'page-actions' }, h('a', { class: 'button secondary', href: '#/hotline', id: 'cb-to-hotline', text: 'cb.to_hotline' })),
    filters, message, list, more);

  const restart = () => {
    state.state = which.value;
    state.mine = mine.checked;
    load(null);
  };
  which.addEventListener('change', restart);
  mine.addEventListener('change', restart);
  filters.addEventListener('submit', (e) => {
    e.preventDefault();
    restart();
  });

  async function load(cursor) {
    const params = new URLSearchParams({ state: state.state });
    if (state.mine) params.set('assigned', 'me');
    if (cursor) params.set('cursor', cursor);
    list.setAttribute('aria-busy', 'true');
    const res = await request(ctx, 'GET', `/callbacks?${params}`);
    if (!ctx.alive()) return;
    list.removeAttribute('aria-busy');
    if (!cursor) list.replaceChildren();
    more.replaceChildren();
    if (!res || res.status !== 200 || !res.body) {
      setMessage(message, statusKey(res), 'error');
      return;
    }
    const items = res.body.items || [];
    if (!cursor && items.length === 0) setMessage(message, 'cb.empty', 'info');
    else setMessage(message, null);
    for (const cb of items) list.append(card(cb));
    if (res.body.next) {
      more.append(h('button', {
        type: 'button', class: 'button secondary', id: 'cb-more', text: 'cb.more',
        on: { click: () => load(res.body.next) },
      }));
    }
  }

  function isOverdue(cb) {
    if (cb.state === 'overdue') return true;
    if (cb.state === 'done' || cb.done) return false;
    const due = new Date(cb.due);
    return !Number.isNaN(due.getTime()) && due.getTime() < Date.now();
  }

  function card(initial) {
    let cb = initial;
    const li = h('li', { class: 'card cb-card', attrs: { 'data-id': cb.id } });
    const draw = (focusSel) => {
      const over = isOverdue(cb);
      const done = cb.state === 'done' || cb.done === true;
      li.className = `card cb-card${over ? ' overdue' : ''}${done ? ' done' : ''}`;
      const who = cb.assigned_to
        ? (cb.assigned_to === ctx.user.id ? 'cb.assigned_me' : 'cb.assigned_other')
        : 'cb.assigned_none';
      const status = h('div', { class: 'message', attrs: { role: 'status' }, hidden: true });
      const actions = h('div', { class: 'actions' });
      if (!done) {
        if (cb.assigned_to !== ctx.user.id) {
          actions.append(h('button', {
            type: 'button', class: 'button secondary cb-assign', text: 'cb.assign_me',
            on: { click: (e) => change(e.currentTarget, { assigned_to: ctx.user.id }, status, '.cb-open') },
          }));
        }
        actions.append(h('button', {
          type: 'button', class: 'button primary cb-open', text: 'cb.open',
          attrs: { 'aria-expanded': 'false' },
          on: { click: (e) => openOne(e.currentTarget, status) },
        }));
      }
      li.replaceChildren(
        h('h3', { class: 'card-title' },
          h('span', { class: 'cb-due', data: showDateTime(cb.due) }), ' ',
          over && !done ? h('span', { class: 'badge warn cb-overdue', text: 'cb.overdue' }) : null,
          done ? h('span', { class: 'badge ok', text: 'cb.done' }) : null, ' ',
          h('span', { class: 'badge neutral', text: `cb.source_${cb.source === 'public' ? 'public' : 'operator'}` })),
        cb.safe_note
          ? h('p', { class: 'cb-safe' }, h('strong', { text: 'cb.safe_note' }), ' ', h('span', { class: 'cb-safe-text', data: cb.safe_note }))
          : h('p', { class: 'cb-safe none', text: 'cb.safe_none' }),
        h('p', { class: 'card-line' },
          h('span', { class: 'cb-phone', data: cb.phone_masked || '' }),
          cb.language ? h('span', { data: ` · ${langName(cb.language)}` }) : null,
          h('span', { text: () => ` · ${t(who)}` }),
          cb.outcome ? h('span', { text: () => ` · ${t('cb.outcome')}: ${hotText('outcome', cb.outcome)()}` }) : null),
        status, actions);
      if (focusSel) li.querySelector(focusSel)?.focus();
    };

    async function change(button, patch, status, focusSel) {
      if (button.getAttribute('aria-disabled') === 'true') return false;
      button.setAttribute('aria-disabled', 'true');
      const res = await request(ctx, 'PATCH', `/callbacks/${encodeURIComponent(cb.id)}`, patch, { 'If-Match': `"${cb.version}"` });
      button.removeAttribute('aria-disabled');
      if (!ctx.alive()) return false;
      if (!res || res.status !== 200 || !res.body) {
        setMessage(status, statusKey(res), 'error');
        if (res && res.status === 412) {
          status.append(' ', h('button', { type: 'button', class: 'button link', text: 'common.reload', on: { click: () => load(null) } }));
        }
        return false;
      }
      cb = { ...cb, ...res.body };
      draw(focusSel);
      return true;
    }

    // The full number and the outcome form.
    async function openOne(button, status) {
      const existing = li.querySelector('.cb-detail');
      if (existing) {
        existing.remove();
        button.setAttribute('aria-expanded', 'false');
        return;
      }
      button.setAttribute('aria-disabled', 'true');
      const res = await request(ctx, 'GET', `/callbacks/${encodeURIComponent(cb.id)}`);
      button.removeAttribute('aria-disabled');
      if (!ctx.alive()) return;
      if (!res || res.status !== 200 || !res.body) {
        setMessage(status, statusKey(res), 'error');
        return;
      }
      cb = { ...cb, ...res.body };
      button.setAttribute('aria-expanded', 'true');
      const n = cb.id;
      const outcome = h('select', { id: `cb-outcome-${n}`, class: 'cb-outcome' }, h('option', { value: '', text: 'form.choose' }),
        hotCodes('outcome').map((code) => h('option', { value: code, text: hotText('outcome', code) })));
      if (cb.outcome) outcome.value = cb.outcome;
      const done = h('input', { type: 'checkbox', id: `cb-done-${n}`, class: 'cb-done', checked: true });
      const save = h('button', { type: 'submit', class: 'button primary cb-save', text: 'common.save' });
      const err = h('div', { class: 'message', attrs: { role: 'alert' }, hidden: true });
      const phone = h('a', { class: 'cb-full-phone', href: `tel:${String(cb.phone || '').replace(/[^+0-9]/g, '')}`, data: cb.phone || '' });
      const form = h('form', { class: 'cb-detail', attrs: { novalidate: true } },
        h('p', { class: 'cb-number' }, live(h('span'), 'cb.number'), ' ', phone),
        cb.safe_note ? h('p', { class: 'cb-safe big' }, h('strong', { text: 'cb.safe_note' }), ' ', h('span', { data: cb.safe_note })) : null,
        h('div', { class: 'field' }, h('label', { for: `cb-outcome-${n}`, text: 'cb.outcome' }), outcome),
        h('div', { class: 'field check single' }, done, h('label', { for: `cb-done-${n}`, text: 'cb.mark_done' })),
        err,
        h('div', { class: 'actions' }, save));
      form.addEventListener('submit', async (e) => {
        e.preventDefault();
        const patch = {};
        if (outcome.value) patch.outcome = outcome.value;
        if (done.checked) patch.done = true;
        if (!Object.keys(patch).length) {
          setMessage(err, 'cb.nothing');
          outcome.focus();
          return;
        }
        if (await change(save, patch, err, '.card-title')) {
          const title = li.querySelector('.card-title');
          title.tabIndex = -1;
          title.focus();
        }
      });
      li.append(form);
      outcome.focus();
    }

    draw();
    return li;
  }

  await load(null);
}
