// cases.js - the case list (#/cases): filters by status, stage and "mine",
// a search by the person's name in any script, and paging with the
// server's cursor.  A row opens the case.

import { t } from './i18n.js';
import { h, showDate, setMessage } from './dom.js';
import { codeList, statusKey } from './forms.js';
import { request, prepare, personName, badge, mayRegister } from './page.js';


// The filters outlive a visit to a case, so "back" finds the list as it was.
const state = { status: '', stage: '', mine: false, q: '', cursors: [''] };

// The filters the list opens with next (the home page's figures).
export function setCaseFilter({ status = '', stage = '', mine = false, q = '' }) {
  Object.assign(state, { status, stage, mine, q, cursors: [''] });
}

export async function caseListView(ctx) {
  ctx.title('nav.cases');
  if (!(await prepare(ctx))) return;

  const top = h('div', { class: 'page-actions' });
  if (mayRegister(ctx.user)) {
    top.append(h('a', { class: 'button primary', href: '#/register', id: 'register-link', text: 'list.register' }));
  }

  const select = (id, list, value) => {
    const s = h('select', { id, name: id });
    s.append(h('option', { value: '', text: 'list.any' }));
    for (const c of codeList(list)) s.append(h('option', { value: c.code, text: c }));
    s.value = value;
    return s;
  };
  const status = select('filter-status', 'case_status', state.status);
  const stage = select('filter-stage', 'nrm_stage', state.stage);
  const mine = h('input', { type: 'checkbox', id: 'filter-mine', checked: state.mine });
  const q = h('input', { type: 'search', id: 'filter-q', value: state.q, attrs: { autocomplete: 'off', spellcheck: 'false' } });
  const searchButton = h('button', { type: 'submit', class: 'button secondary', id: 'filter-search', text: 'list.search' });
  const filters = h('form', { class: 'filters panel', id: 'case-filters', attrs: { role: 'search' } },
    h('div', { class: 'filter search' },
      h('label', { for: 'filter-q', text: 'list.q' }),
      h('div', { class: 'inline' }, q, searchButton),
      h('p', { class: 'hint', text: 'list.q_hint' })),
    h('div', { class: 'filter' }, h('label', { for: 'filter-status', text: 'list.status' }), status),
    h('div', { class: 'filter' }, h('label', { for: 'filter-stage', text: 'list.stage' }), stage),
    h('div', { class: 'filter check single' }, mine, h('label', { for: 'filter-mine', text: 'list.mine' })));

  const message = h('div', { class: 'message', attrs: { role: 'status' }, hidden: true });
  const list = h('ul', { class: 'case-list', id: 'case-list' });
  const pager = h('nav', { class: 'pager', label: 'list.pages' });
  ctx.root.append(top, filters, message, list, pager);

  const restart = () => {
    state.status = status.value;
    state.stage = stage.value;
    state.mine = mine.checked;
    state.q = q.value.trim();
    state.cursors = [''];
    load();
  };
  status.addEventListener('change', restart);
  stage.addEventListener('change', restart);
  mine.addEventListener('change', restart);
  filters.addEventListener('submit', (e) => {
    e.preventDefault();
    restart();
  });

  async function load() {
    const params = new URLSearchParams();
    if (state.status) params.set('status', state.status);
    if (state.stage) params.set('stage', state.stage);
    if (state.mine) params.set('assigned', 'me');
    if (state.q) params.set('q', state.q);
    const cursor = state.cursors[state.cursors.length - 1];
    if (cursor) params.set('cursor', cursor);
    params.set('limit', '25');
    list.setAttribute('aria-busy', 'true');
    const res = await request(ctx, 'GET', `/cases?${params}`);
    if (!ctx.alive()) return;
    list.removeAttribute('aria-busy');
    list.replaceChildren();
    pager.replaceChildren();
    if (!res || res.status !== 200) {
      setMessage(message, statusKey(res), 'error');
      return;
    }
    const items = res.body.items || [];
    if (items.length === 0) setMessage(message, state.q ? 'list.none_found' : 'list.empty', 'info');
    else setMessage(message, null);
    for (const c of items) list.append(row(c, ctx.user));
    pageButtons(res.body.next);
  }

  // Another page: its first row at the top of the screen, focus on the list.
  async function turn(move) {
    move();
    await load();
    if (!ctx.alive()) return;
    list.tabIndex = -1;
    list.focus({ preventScroll: true });
    filters.scrollIntoView({ block: 'start' });
  }

  function pageButtons(next) {
    const page = state.cursors.length;
    if (page > 1) {
      pager.append(h('button', {
        type: 'button', class: 'button secondary', id: 'page-prev', text: 'list.prev',
        on: { click: () => turn(() => state.cursors.pop()) },
      }));
    }
    if (page > 1 || next) pager.append(h('span', { class: 'page-no', text: () => `${t('list.page')} ${page}` }));
    if (next) {
      pager.append(h('button', {
        type: 'button', class: 'button secondary', id: 'page-next', text: 'list.next',
        on: { click: () => turn(() => state.cursors.push(next)) },
      }));
    }
  }

  await load();
}

function row(c, user) {
  const mine = c.assigned_to && c.assigned_to === user.id;
  return h('li', {},
    h('a', { class: 'case-row', href: `#/cases/${encodeURIComponent(c.id)}`, attrs: { 'data-id': c.id } },
      h('span', { class: 'case-name', text: () => personName(c.person) }),
      h('span', { class: 'badges' },
        badge('case_status', c.status),
        badge('nrm_stage', c.stage),
        badge('trafficking_status', c.trafficking_status)),
      h('span', { class: 'case-meta' },
        c.opened_on ? h('span', { text: () => `${t('list.opened')} ${showDate(c.opened_on)}` }) : null,
        mine ? h('span', { class: 'mine', text: 'list.is_mine' }) : null)));
}
