// followups.js - my overdue follow-ups (#/followups): the open follow-ups
// assigned to me that were due before today, oldest first, each with the
// person's name and a way into the case.

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
  ctx.root.append(msg, list);

  const res = await request(ctx, 'GET', team ? '/followups?assigned=all' : '/followups');
  if (!ctx.alive()) return;
  if (!res || res.status !== 200) {
    setMessage(msg, statusKey(res), 'error');
    return;
  }
  const items = (res.body.items || []).slice().sort((a, b) => (a.due < b.due ? -1 : a.due > b.due ? 1 : 0));
  if (!items.length) {
    setMessage(msg, 'fu.none', 'success');
    return;
  }
  // The cases they belong to, for the names (a handful: read them at once).
  const ids = [...new Set(items.map((f) => f.case_id))].slice(0, 50);
  const cases = new Map();
  await Promise.all(ids.map(async (id) => {
    const r = await request(ctx, 'GET', `/cases/${encodeURIComponent(id)}`);
    if (r && r.status === 200) cases.set(id, r.body);
  }));
  if (!ctx.alive()) return;
  const now = today();
  for (const f of items) {
    const c = cases.get(f.case_id);
    const days = Math.round((Date.parse(now) - Date.parse(f.due)) / 86400000);
    list.append(h('li', { class: 'card overdue', attrs: { 'data-id': f.id } },
      h('a', { class: 'card-link', href: `#/cases/${encodeURIComponent(f.case_id)}` },
        h('span', { class: 'card-title' }, h('strong', { text: () => (c ? personName(c.person) : t('fu.case')) })),
        h('span', { class: 'card-line' },
          h('span', { text: () => `${t('case.due')} ${showDate(f.due)}` }), ' ',
          h('span', { class: 'badge warn', text: () => `${t('fu.days_late')}: ${days}` }), ' ',
          badge('followup_status', f.status || 'due'),
          f.reintegration ? h('span', { class: 'badge neutral', text: 'fu.reintegration' }) : null))));
  }
}
