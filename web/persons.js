// persons.js - the persons list (#/persons): a name search in any script
// or spelling (GET /persons?q=, best match first), and without a search
// the persons of my cases or of the cases changed last (GET /cases).
// Each person leads to their cases.

import { t } from './i18n.js';
import { h, showDate, setMessage } from './dom.js';
import { statusKey } from './forms.js';
import { request, prepare, personName, badge } from './page.js';

const SHOWS = ['mine', 'recent'];

// Outlives a visit to a case, so "back" finds the list as it was.
const state = { show: 'mine', q: '' };

export async function personsView(ctx) {
  ctx.title('nav.persons');
  if (!(await prepare(ctx))) return;

  const q = h('input', { type: 'search', id: 'persons-q', value: state.q, attrs: { autocomplete: 'off', spellcheck: 'false' } });
  const show = h('select', { id: 'persons-show' }, SHOWS.map((s) => h('option', { value: s, text: `persons.show_${s}` })));
  show.value = state.show;
  const form = h('form', { class: 'filters panel', id: 'persons-filters', attrs: { role: 'search' } },
    h('div', { class: 'filter search' },
      h('label', { for: 'persons-q', text: 'list.q' }),
      h('div', { class: 'inline' }, q, h('button', { type: 'submit', class: 'button secondary', id: 'persons-search', text: 'list.search' })),
      h('p', { class: 'hint', text: 'list.q_hint' })),
    h('div', { class: 'filter' }, h('label', { for: 'persons-show', text: 'persons.show' }), show));
  const msg = h('div', { class: 'message', attrs: { role: 'status' }, hidden: true });
  const list = h('ul', { class: 'cards wide', id: 'persons-list' });
  ctx.root.append(form, msg, list);
  if (['supervisor', 'caseworker'].includes(ctx.user?.role)) {
    form.append(h('p', { class: 'filter' }, h('a', { href: '#/duplicates', id: 'persons-duplicates', text: 'persons.duplicates' })));
  }

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    state.q = q.value.trim();
    load();
  });
  show.addEventListener('change', () => {
    state.show = show.value;
    state.q = '';
    q.value = '';
    load();
  });

  let seq = 0;
  async function load() {
    const mine = ++seq;
    list.setAttribute('aria-busy', 'true');
    const rows = state.q ? await searched(ctx, state.q) : await fromCases(ctx, state.show);
    if (!ctx.alive() || mine !== seq) return;
    list.removeAttribute('aria-busy');
    list.replaceChildren();
    if (!Array.isArray(rows)) {
      setMessage(msg, statusKey(rows), 'error');
      return;
    }
    if (!rows.length) setMessage(msg, state.q ? 'persons.none_found' : 'persons.empty', 'info');
    else setMessage(msg, null);
    for (const r of rows) list.append(card(r));
  }

  await load();
}

// [{person, cases}] for a search: the persons found, each with their cases.
async function searched(ctx, text) {
  const res = await request(ctx, 'GET', `/persons?${new URLSearchParams({ q: text })}`);
  if (!res || res.status !== 200) return res;
  const persons = res.body.items || [];
  return Promise.all(persons.map(async (p) => {
    const c = await request(ctx, 'GET', `/cases?${new URLSearchParams({ person_id: p.id, limit: '10' })}`);
    return { person: p, cases: c && c.status === 200 ? c.body.items || [] : [] };
  }));
}

// [{person, cases}] from the case list: my cases, or the last changed.
async function fromCases(ctx, show) {
  const params = new URLSearchParams({ limit: '50' });
  if (show === 'mine') params.set('assigned', 'me');
  const res = await request(ctx, 'GET', `/cases?${params}`);
  if (!res || res.status !== 200) return res;
  const byPerson = new Map();
  for (const c of res.body.items || []) {
    const id = c.person_id || (c.person && c.person.id) || c.id;
    if (!byPerson.has(id)) byPerson.set(id, { person: c.person || {}, cases: [] });
    byPerson.get(id).cases.push(c);
  }
  return [...byPerson.values()];
}

function card({ person, cases }) {
  return h('li', { class: 'card person-card', attrs: { 'data-id': person.id || '' } },
    h('p', { class: 'card-title' }, h('strong', { class: 'person-name', text: () => personName(person) }),
      person.birth_date ? h('span', { class: 'muted', text: () => ` · ${t('persons.born')} ${showDate(person.birth_date)}` }) : null),
    cases.length
      ? h('ul', { class: 'person-cases' }, cases.map((c) => h('li', {},
        h('a', { href: `#/cases/${encodeURIComponent(c.id)}`, attrs: { 'data-case': c.id } },
          c.opened_on ? h('span', { text: () => `${t('list.opened')} ${showDate(c.opened_on)}` }) : null, ' ',
          badge('case_status', c.status), ' ', badge('nrm_stage', c.stage)))))
      : h('p', { class: 'hint', text: 'persons.no_case' }),
    person.id ? h('p', { class: 'card-line' }, h('a', { href: `#/persons/${encodeURIComponent(person.id)}/prevention`,
      class: 'prevention-link', text: 'prev.open' })) : null);
}
