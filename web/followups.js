// followups.js - my overdue follow-ups (#/followups): the open follow-ups
// assigned to me that were due before today, oldest first, each with the
// person's name and a way into the case; a page at a time (GET /followups
// pages as the other lists), with "show more" for the next.

import { t } from './i18n.js';
import { h, showDate, today, setMessage } from './dom.js';
import { statusKey } from './forms.js';
import { request, prepare, personName, badge } from './page.js';

// Whose follow-ups: 'me', or 'all' of the organisation (a supervisor).
let scope = 'me';

export function setFollowupScope(s) {
  scope = s === 'all' ? 'all' : 'me';
}

export async function followupsView(ctx) {
  ctx.title('nav.followups');
  if (!(await prepare(ctx))) return;
  const msg = h('div', { class: 'message', attrs: { role: 'status' }, hidden: true });
  const list = h('ul', { class: 'cards', id: 'followups-list' });
  const team = scope === 'all' && ctx.user.role === 'supervisor';
  const all = h('input', { type: 'checkbox', id: 'fu-all', checked: team,
    on: { change: (e) => { setFollowupScope(e.currentTarget.checked ? 'all' : 'me'); ctx.go(location.hash); } } });
  ctx.root.append(h('p', { class: 'lead', text: team ? 'home.fu_lead_all' : 'fu.lead' }));
  if (ctx.user.role === 'supervisor') {
    ctx.root.append(h('div', { class: 'filter check single' }, all, h('label', { for: 'fu-all', text: 'home.fu_all' })));
  }
  const more = h('div', { class: 'page-actions', id: 'fu-pager' });
  ctx.root.append(msg, list, more);
  const cases = new Map();

  // A page at a time, oldest due first (the server's order: due date,
  // then id); "show more" appends the next page after the last one shown.
  async function load(cursor) {
    const params = new URLSearchParams();
    if (team) params.set('assigned', 'all');
    if (cursor) params.set('cursor', cursor);
    list.setAttribute('aria-busy', 'true');
    const qs = params.toString();
    const res = await request(ctx, 'GET', `/followups${qs ? `?${qs}` : ''}`);
    if (!ctx.alive()) return;
    list.removeAttribute('aria-busy');
    more.replaceChildren();
    if (!res || res.status !== 200 || !res.body) {
      setMessage(msg, statusKey(res), 'error');
      return;
    }
    const items = res.body.items || [];
    if (!cursor && !items.length) {
      setMessage(msg, 'fu.none', 'success');
      return;
    }
    // The cases they belong to, for the names (at most a page's worth).
    const ids = [...new Set(items.map((f) => f.case_id))].filter((id) => !cases.has(id));
    await Promise.all(ids.map(async (id) => {
      const r = await request(ctx, 'GET', `/cases/${encodeURIComponent(id)}`);
      if (r && r.status === 200) cases.set(id, r.body);
    }));
    if (!ctx.alive()) return;
    const now = today();
    for (const f of items) list.append(card(f, cases.get(f.case_id), now));
    if (res.body.next) {
      more.append(h('button', {
        type: 'button', class: 'button secondary', id: 'fu-more', text: 'fu.more',
        on: { click: () => load(res.body.next) },
      }));
    }
  }
  await load(null);
}

function card(f, c, now) {
  const days = Math.round((Date.parse(now) - Date.parse(f.due)) / 86400000);
  return h('li', { class: 'card overdue', attrs: { 'data-id': f.id } },
    h('a', { class: 'card-link', href: `#/cases/${encodeURIComponent(f.case_id)}` },
      h('span', { class: 'card-title' }, h('strong', { text: () => (c ? personName(c.person) : t('fu.case')) })),
      h('span', { class: 'card-line' },
        h('span', { text: () => `${t('case.due')} ${showDate(f.due)}` }), ' ',
        h('span', { class: 'badge warn', text: () => `${t('fu.days_late')}: ${days}` }), ' ',
        badge('followup_status', f.status || 'due'),
        f.reintegration ? h('span', { class: 'badge neutral', text: 'fu.reintegration' }) : null)));
}
