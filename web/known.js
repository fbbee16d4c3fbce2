// known.js - "Known to another organisation?" on a person's case page:
// asks the server (POST /persons/ID/known-elsewhere), which compares the
// person's encoding with the other organisations' and answers with
// organisations only; shows their names and contacts, or why it cannot
// ask (no referral or law enforcement consent, too many questions).

import { h, setMessage, busy } from './dom.js';
import { request, heading } from './page.js';
import { statusKey } from './forms.js';
import { showTime } from './referrals.js';

// The button, and the panel it fills (put both on the page).
export function knownElsewhere(ctx, personId) {
  const panel = h('section', { class: 'panel known-elsewhere', id: 'known-elsewhere', hidden: true, label: 'known.title' });
  const button = h('button', {
    type: 'button', class: 'button secondary', id: 'known-ask', text: 'known.ask',
    on: { click: (e) => busy(e.currentTarget, () => ask(ctx, personId, panel)) },
  });
  return { button, panel };
}

async function ask(ctx, personId, panel) {
  const res = await request(ctx, 'POST', `/persons/${encodeURIComponent(personId)}/known-elsewhere`);
  if (!ctx.alive()) return;
  const msg = h('div', { class: 'message', attrs: { role: 'status' }, hidden: true });
  panel.hidden = false;
  panel.replaceChildren(heading(2, 'known.title'), h('p', { class: 'hint', text: 'known.lead' }), msg);
  if (!res || res.status !== 200) {
    const type = res && res.body && res.body.type;
    const key = type === 'consent-required' ? 'known.consent_missing'
      : type === 'rate-limited' ? 'known.rate_limited'
        : type === 'not-enough-to-match' ? 'known.not_enough' : statusKey(res);
    setMessage(msg, key, 'error');
    return;
  }
  const known = res.body.known || [];
  if (!known.length) {
    setMessage(msg, 'known.none', 'info');
  } else {
    setMessage(msg, 'known.found', 'warning');
    panel.append(h('ul', { class: 'cards', id: 'known-list' }, known.map((k) => h('li', { class: 'card', attrs: { 'data-org': k.org } },
      h('p', { class: 'card-title' }, h('strong', { text: () => k.name })),
      h('p', { class: 'card-line' }, h('span', { class: 'muted', text: 'known.contact' }), ' ',
        k.contact ? h('span', { class: 'known-contact', text: () => [k.contact.phone, k.contact.email].filter(Boolean).join(' · ') })
          : h('span', { class: 'muted', text: 'known.no_contact' }))))));
  }
  panel.append(h('p', { class: 'hint' }, h('span', { text: 'known.asked_at' }), ' ', h('span', { text: () => showTime(res.body.asked_at) })));
}
