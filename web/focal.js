// focal.js - the NRM focal point's page (#/focal): the cases referred to
// this authority and accepted on which it has not yet recorded its
// identification decision (GET /referrals/decisions-due), each with the
// status-decision form of the case page; and below them the inbox.

import { t } from './i18n.js';
import { h, showDate, setMessage } from './dom.js';
import { codeText, statusKey } from './forms.js';
import { request, prepare, heading } from './page.js';
import { decisionButton, inboxSection, isOverdue, shareLabel } from './referrals.js';

export async function focalView(ctx) {
  ctx.title('focal.title');
  if (!(await prepare(ctx))) return;
  const msg = h('div', { class: 'message', attrs: { role: 'status' }, hidden: true });
  const list = h('ul', { class: 'cards wide', id: 'decisions-due' });
  const due = h('section', { class: 'panel', id: 'focal-due' }, heading(2, 'focal.due_title'),
    h('p', { class: 'hint', text: 'focal.due_hint' }), msg, list);
  const inbox = h('section', { id: 'focal-inbox' }, heading(2, 'ref.inbox_title'));
  ctx.root.append(due, inbox);

  async function load(savedKey) {
    const r = await request(ctx, 'GET', '/referrals/decisions-due');
    if (!ctx.alive()) return;
    list.replaceChildren();
    if (!r || r.status !== 200) {
      setMessage(msg, statusKey(r), 'error');
      return;
    }
    const items = r.body.items || [];
    if (savedKey) setMessage(msg, savedKey, 'success');
    else if (!items.length) setMessage(msg, 'focal.none_due', 'info');
    else setMessage(msg, null);
    for (const f of items) {
      list.append(h('li', { class: `card${isOverdue(f) ? ' overdue' : ''}`, attrs: { 'data-id': f.id, 'data-case': f.case_id } },
        h('p', { class: 'card-title' },
          h('span', { class: 'muted', text: 'ref.from' }), h('strong', { data: f.from_org.name }),
          f.due ? h('span', { class: 'badge neutral', text: () => `${t('ref.due')}: ${showDate(f.due)}` }) : null),
        h('p', { class: 'card-line' },
          h('span', { text: () => `${t('ref.sent_on')} ${showDate(f.created_at)}` }),
          f.service_type ? h('span', { text: () => ` · ${codeText('assistance_service_types', f.service_type)()}` }) : null),
        h('p', { class: 'card-line', text: () => `${t('ref.shared_fields')} ${(f.share || []).map(shareLabel).join(', ')}` }),
        h('div', { class: 'actions' },
          h('a', { class: 'button link', href: `#/referrals/${encodeURIComponent(f.id)}`, text: 'focal.open_shared' })),
        decisionButton(ctx, f.case_id, () => load('case.saved_decision'), `decide-${f.id}`)));
    }
  }

  await load();
  if (!ctx.alive()) return;
  inbox.append(inboxSection(ctx));
}
