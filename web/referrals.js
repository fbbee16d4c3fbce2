// referrals.js - referrals between organisations: the inbox (#/referrals)
// with its incoming and outgoing tabs, a status filter, the overdue ones
// marked, and the figures; the answers (accept, decline with a reason,
// complete with feedback, withdraw); and one referral (#/referrals/ID).
//
// A recipient that accepted a referral sees the case through it: only
// the fields the sender chose to share (GET /cases/ID answers with
// shared_view), labelled as shared by the sending organisation, and
// beside them its own services and notes, and for an authority's focal
// point the official status decision.

import { t, catalogue, LANGS, getLang } from './i18n.js';
import { h, live, label, today, showDate, setMessage } from './dom.js';
import { buildForm, formShell, codeList, codeText, fieldsOf, valueText, statusKey } from './forms.js';
import { request, prepare, failed, personName, badge, messageBox, heading } from './page.js';

const OPEN = ['sent', 'accepted'];
const LANG_NAMES = { tg: 'Тоҷикӣ', ru: 'Русский', en: 'English' };

// Organisation types the server treats as authorities (domain/policy.c
// policy_org_is_authority): a referral to them may rest on a consent to
// law enforcement.
export const AUTHORITY_TYPES = ['LawEnforcement', 'CentralGovernmentOrganisation',
  'LocalGovernmentOrganisation', 'ImmigrationService'];

export function isAuthority(type) {
  return AUTHORITY_TYPES.includes(type);
}

// Whether consent c (as GET /persons/ID/consents gives it, with its state
// on the server's today) covers purpose towards org {code, type}.
function covers(c, purpose, org) {
  if (c.purpose !== purpose || c.state !== 'active') return false;
  if (c.recipient_org && c.recipient_org !== org.code) return false;
  if (c.recipient_type && c.recipient_type !== org.type) return false;
  return true;
}

// The consent that lets a case be referred to org, or null.
export function coveringConsent(consents, org) {
  return consents.find((c) => covers(c, 'referral', org) ||
    (isAuthority(org.type) && covers(c, 'law_enforcement', org))) || null;
}

// Case and person fields a referral may share: the declared ones, less
// the internal references (ids).
export function shareableFields(resource) {
  return fieldsOf(resource).filter((f) => f.type !== 'id');
}

// The label of a shared field name, from the case or the person schema.
export function shareLabel(name) {
  if (name === 'initials') return t('ref.share_initials');
  const f = fieldsOf('case').find((x) => x.name === name) || fieldsOf('person').find((x) => x.name === name);
  return f ? label(f.label) : name;
}

// Three paragraphs side by side, one for each language, the page's first.
export function explainAllLangs(key, id) {
  return h('div', { class: 'explain', id },
    [getLang(), ...LANGS.filter((l) => l !== getLang())].map((lang) => h('div', { class: 'explain-lang', attrs: { lang } },
      h('h3', { data: LANG_NAMES[lang] }),
      catalogue[key][lang].split('\n').map((para) => h('p', { data: para })))));
}

// replaceChildren() without the parts that are not there (null, false).
export function put(node, ...children) {
  node.replaceChildren(...children.flat().filter((c) => c !== null && c !== undefined && c !== false));
  return node;
}

// Left and right arrows move between the tabs of a tab list
// (buttons: {name: button}); select(name) shows one.
export function arrowKeys(buttons, select) {
  const names = Object.keys(buttons);
  names.forEach((name, i) => buttons[name].addEventListener('keydown', (e) => {
    const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
    if (!step) return;
    e.preventDefault();
    const next = names[(i + step + names.length) % names.length];
    select(next);
    buttons[next].focus();
  }));
}

// Remembered between visits: which box, which status, only overdue.
const state = { box: 'in', status: '', overdue: false };

// The box and filters the inbox opens with next (the home page's figures).
export function setReferralFilter({ box = 'in', status = '', overdue = false }) {
  Object.assign(state, { box, status, overdue });
}

export function isOverdue(f) {
  return Boolean(f.due) && f.due < today() && OPEN.includes(f.status);
}

function statusBadge(status) {
  const tone = status === 'accepted' ? 'info' : status === 'completed' ? 'ok' : status === 'sent' ? 'warn' : 'muted';
  return h('span', { class: `badge ${tone} ref-status`, attrs: { 'data-status': status }, text: codeText('referral_status', status) });
}

function urgencyBadge(u) {
  if (!u || u === 'normal') return null;
  return h('span', { class: `badge ${u === 'high' || u === 'emergency' ? 'warn' : 'neutral'}`, text: `ref.urgency_${u}` });
}

// A date and time (RFC 3339) as DD.MM.YYYY HH:MM in the browser's zone.
export function showTime(at) {
  const d = new Date(at);
  if (Number.isNaN(d.getTime())) return showDate(at);
  const p = (n) => String(n).padStart(2, '0');
  return `${p(d.getDate())}.${p(d.getMonth() + 1)}.${d.getFullYear()} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

// ---- the answers -------------------------------------------------------------------

// A small form under a card for an answer with a text: decline (a
// reason, required), complete (feedback), withdraw (a reason).
function answerForm(ctx, f, slot, action, onDone) {
  const spec = {
    decline: { field: 'reason', label: 'ref.decline_reason', required: true, submit: 'ref.decline' },
    complete: { field: 'feedback', label: 'ref.feedback', required: false, submit: 'ref.complete' },
    withdraw: { field: 'reason', label: 'ref.withdraw_reason', required: false, submit: 'ref.withdraw' },
  }[action];
  const id = `${action}-${f.id}`;
  const text = h('textarea', { id: `${id}-text`, rows: 3, attrs: { maxlength: 5000, 'aria-required': spec.required ? 'true' : undefined } });
  const msg = messageBox();
  const save = h('button', { type: 'submit', class: 'button primary', text: spec.submit, attrs: { 'data-action': `confirm-${action}` } });
  const form = h('form', { class: 'done-form answer-form', id: `${id}-form`, attrs: { novalidate: true } },
    h('div', { class: 'field' }, h('label', { for: `${id}-text` }, live(h('span'), spec.label),
      spec.required ? h('span', { class: 'req', attrs: { 'aria-hidden': 'true' }, data: ' *' }) : null), text),
    msg, h('div', { class: 'actions' }, save, h('button', {
      type: 'button', class: 'button secondary', text: 'common.cancel', on: { click: () => { form.remove(); slot.hidden = false; } },
    })));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const v = text.value.replace(/\s+$/, '');
    if (spec.required && !v.trim()) {
      setMessage(msg, 'ref.decline_reason_needed');
      text.setAttribute('aria-invalid', 'true');
      text.focus();
      return;
    }
    const body = v.trim() ? { [spec.field]: v } : undefined;
    save.setAttribute('aria-disabled', 'true');
    const r = await request(ctx, 'POST', `/referrals/${encodeURIComponent(f.id)}/${action}`, body);
    save.removeAttribute('aria-disabled');
    if (!ctx.alive()) return;
    if (!r || r.status !== 200) {
      setMessage(msg, statusKey(r));
      return;
    }
    onDone(r.body, `ref.done_${action}`);
  });
  slot.hidden = true;
  slot.after(form);
  text.focus();
}

async function accept(ctx, f, button, msgBox, onDone) {
  if (button.getAttribute('aria-disabled') === 'true') return;
  button.setAttribute('aria-disabled', 'true');
  const r = await request(ctx, 'POST', `/referrals/${encodeURIComponent(f.id)}/accept`);
  button.removeAttribute('aria-disabled');
  if (!ctx.alive()) return;
  if (!r || r.status !== 200) {
    setMessage(msgBox, statusKey(r), 'error');
    return;
  }
  // A transfer accepted is done: the case is the organisation's now.
  onDone(r.body, f.kind === 'transfer' ? 'ref.done_accept_transfer' : 'ref.done_accept');
}

// The buttons for what the caller's organisation may do with f now.
function answerButtons(ctx, f, incoming, msgBox, onDone) {
  const slot = h('div', { class: 'actions' });
  const role = ctx.user.role;
  const answers = ['caseworker', 'supervisor', 'focal_point'].includes(role);
  if (incoming && answers && f.status === 'sent') {
    const ok = h('button', {
      type: 'button', class: 'button primary small', text: 'ref.accept', attrs: { 'data-action': 'accept' },
      on: { click: () => accept(ctx, f, ok, msgBox, onDone) },
    });
    slot.append(ok, h('button', {
      type: 'button', class: 'button secondary small', text: 'ref.decline', attrs: { 'data-action': 'decline' },
      on: { click: () => answerForm(ctx, f, slot, 'decline', onDone) },
    }));
  }
  if (incoming && answers && f.status === 'accepted') {
    slot.append(h('button', {
      type: 'button', class: 'button secondary small', text: 'ref.complete', attrs: { 'data-action': 'complete' },
      on: { click: () => answerForm(ctx, f, slot, 'complete', onDone) },
    }));
  }
  if (!incoming && ['caseworker', 'supervisor'].includes(role) && OPEN.includes(f.status)) {
    slot.append(h('button', {
      type: 'button', class: 'button secondary small', text: 'ref.withdraw', attrs: { 'data-action': 'withdraw' },
      on: { click: () => answerForm(ctx, f, slot, 'withdraw', onDone) },
    }));
  }
  return slot.childNodes.length ? slot : null;
}

// ---- a referral as a card ------------------------------------------------------------

// Who a referral is about, as the server lets this user read it: the
// names, else the initials the sender shared; a transfer still waiting
// for the recipient says when the person will be shown (the recipient is
// shown nobody before accepting, and a dash read as "nobody"); else a dash.
function aboutWhom(f, p, incoming) {
  if (p && (p.given_name || p.family_name)) return h('strong', { text: () => personName(p) });
  if (p && p.initials) return h('strong', { data: p.initials });
  if (incoming && f.kind === 'transfer' && f.status === 'sent') return h('span', { class: 'muted', text: 'ref.person_after_transfer' });
  return h('strong', { data: '—' });
}

// Whom the recipient asks at the sender: the user, the phone, the e-mail.
function senderLine(f) {
  const s = f.sender;
  const parts = [h('span', { text: () => `${t('ref.sender_contact')}: ` }),
    h('strong', { class: 'ref-sender-login', data: s.login || '—' }),
    h('span', { data: ` · ${f.from_org.name || f.from_org.code}` })];
  if (s.phone) parts.push(' · ', h('a', { class: 'ref-sender-phone', href: `tel:${s.phone.replace(/[^0-9+]/g, '')}`, data: s.phone }));
  if (s.email) parts.push(' · ', h('a', { class: 'ref-sender-email', href: `mailto:${s.email}`, data: s.email }));
  return h('p', { class: 'card-line ref-sender' }, ...parts);
}

// A completed transfer's case is its new owner's: no way to it from the
// sender's outbox (it led to "not found").
function gone(f) {
  return f.kind === 'transfer' && f.status === 'completed';
}

// One referral in a list.  opts: {incoming, names (case id -> person),
// onChange()} ; the card redraws itself after an answer.
export function referralCard(ctx, f, opts) {
  const li = h('li', { class: `card ref-card${isOverdue(f) ? ' overdue' : ''}`, attrs: { 'data-id': f.id, 'data-status': f.status } });
  const draw = (g, doneKey) => {
    f = g;
    li.className = `card ref-card${isOverdue(f) ? ' overdue' : ''}`;
    li.dataset.status = f.status;
    const msg = messageBox();
    const other = opts.incoming ? f.from_org : f.to_org;
    const person = f.person || (opts.names && opts.names.get(f.case_id));
    put(li, 
      h('p', { class: 'card-title' },
        h('span', { class: 'muted', text: opts.incoming ? 'ref.from' : 'ref.to' }),
        h('strong', { class: 'ref-org', data: (other && (other.name || other.code)) || '' }),
        f.kind === 'transfer' ? h('span', { class: 'badge info ref-transfer', text: 'ref.transfer' }) : null,
        statusBadge(f.status), urgencyBadge(f.urgency),
        isOverdue(f) ? h('span', { class: 'badge warn ref-overdue', text: 'ref.overdue' }) : null,
        f.handed_over ? h('span', { class: 'badge warn ref-handed-over', text: 'ref.handed_over' }) : null),
      h('p', { class: 'card-line ref-person' }, h('span', { text: () => `${t('ref.person')}: ` }),
        aboutWhom(f, person, opts.incoming)),
      f.service_type ? h('p', { class: 'card-line ref-service' }, h('span', { text: () => `${t('ref.service')} ` }),
        h('strong', { text: codeText('assistance_service_types', f.service_type) })) : null,
      opts.incoming && f.sender ? senderLine(f) : null,
      h('p', { class: 'card-line' },
        h('span', { text: () => `${t('ref.sent_on')} ${showDate(f.created_at)}` }),
        f.due ? h('span', { text: () => ` · ${t('ref.due')}: ${showDate(f.due)}` }) : null),
      f.reason ? h('p', { class: 'prose ref-reason', data: f.reason }) : null,
      f.decline_reason ? h('p', { class: 'prose' }, h('span', { class: 'muted', text: () => `${t('ref.decline_reason')}: ` }), f.decline_reason) : null,
      f.feedback ? h('p', { class: 'prose' }, h('span', { class: 'muted', text: () => `${t('ref.feedback')}: ` }), f.feedback) : null,
      msg,
      h('div', { class: 'actions' },
        h('a', { class: 'button link', href: `#/referrals/${encodeURIComponent(f.id)}`, text: 'ref.open', attrs: { 'data-action': 'open' } }),
        !opts.incoming && !opts.inCase && !gone(f) ? h('a', { class: 'button link', href: `#/cases/${encodeURIComponent(f.case_id)}`, text: 'ref.open_case' }) : null),
      answerButtons(ctx, f, opts.incoming, msg, (g2, key) => {
        draw(g2, key);
        if (opts.onChange) opts.onChange(g2);
      }));
    if (doneKey) setMessage(msg, doneKey, 'success');
  };
  draw(f);
  return li;
}

// ---- the figures -------------------------------------------------------------------

function statsPanel(ctx, box) {
  const panel = h('section', { class: 'panel stats', id: 'ref-stats', label: 'ref.stats_title', hidden: true });
  (async () => {
    const r = await request(ctx, 'GET', `/referrals/stats?box=${box}`);
    if (!ctx.alive() || !r || r.status !== 200 || !r.body) return; // a role without figures sees none
    const s = r.body;
    const med = s.median_days_to_response;
    const fig = (key, value, id) => h('div', { class: 'figure', id },
      h('dt', { text: key }), h('dd', { data: value }));
    put(panel, heading(2, box === 'in' ? 'ref.stats_in' : 'ref.stats_out'),
      h('dl', { class: 'figures' },
        fig(box === 'in' ? 'ref.stat_received' : codeText('referral_status', 'sent'), String(s.total ?? 0), 'stat-total'),
        fig(codeText('referral_status', 'accepted'), String(s.accepted ?? 0), 'stat-accepted'),
        fig(codeText('referral_status', 'completed'), String(s.completed ?? 0), 'stat-completed'),
        h('div', { class: 'figure', id: 'stat-median' }, h('dt', { text: 'ref.stat_median' }),
          h('dd', { text: () => (med === null || med === undefined ? '—' : Number(med).toLocaleString(getLang() === 'en' ? 'en' : 'ru', { maximumFractionDigits: 1 })) }))));
    panel.hidden = false;
  })();
  return panel;
}

// ---- the inbox -----------------------------------------------------------------------

export async function inboxView(ctx) {
  ctx.title('ref.inbox_title');
  if (!(await prepare(ctx))) return;
  ctx.root.append(inboxSection(ctx));
}

// The inbox with its tabs, filter, figures and list (also on #/focal).
export function inboxSection(ctx) {
  const node = h('section', { class: 'inbox', id: 'inbox' });
  const tablist = h('div', { class: 'tabs', attrs: { role: 'tablist' }, label: 'ref.inbox_title' });
  const buttons = {};
  for (const box of ['in', 'out']) {
    buttons[box] = h('button', {
      type: 'button', class: 'tab', id: `ref-tab-${box}`, text: `ref.box_${box}`,
      attrs: { role: 'tab', 'aria-controls': 'ref-panel', 'aria-selected': String(state.box === box) },
      on: { click: () => { state.box = box; selectBox(); } },
    });
    tablist.append(buttons[box]);
  }
  arrowKeys(buttons, (box) => { state.box = box; selectBox(); });
  const status = h('select', { id: 'ref-status' });
  status.append(h('option', { value: '', text: 'list.any' }));
  for (const c of codeList('referral_status')) status.append(h('option', { value: c.code, text: c }));
  status.value = state.status;
  const overdue = h('input', { type: 'checkbox', id: 'ref-overdue', checked: state.overdue });
  const filters = h('div', { class: 'filters panel ref-filters' },
    h('div', { class: 'filter' }, h('label', { for: 'ref-status', text: 'ref.status' }), status),
    h('div', { class: 'filter check single' }, overdue, h('label', { for: 'ref-overdue', text: 'ref.only_overdue' })));
  const statsSlot = h('div');
  const msg = h('div', { class: 'message', attrs: { role: 'status' }, hidden: true });
  const list = h('ul', { class: 'cards wide', id: 'ref-list' });
  const panel = h('div', { id: 'ref-panel', attrs: { role: 'tabpanel', 'aria-labelledby': 'ref-tab-in' } }, filters, statsSlot, msg, list);
  node.append(tablist, panel);
  status.addEventListener('change', () => { state.status = status.value; load(); });
  overdue.addEventListener('change', () => { state.overdue = overdue.checked; load(); });

  function selectBox() {
    for (const box of ['in', 'out']) {
      buttons[box].setAttribute('aria-selected', String(state.box === box));
      buttons[box].tabIndex = state.box === box ? 0 : -1;
    }
    panel.setAttribute('aria-labelledby', `ref-tab-${state.box}`);
    statsSlot.replaceChildren(statsPanel(ctx, state.box));
    load();
  }

  let seq = 0;
  async function load() {
    const mine = ++seq;
    const params = new URLSearchParams({ box: state.box });
    if (state.status) params.set('status', state.status);
    if (state.overdue) params.set('overdue', '1');
    list.setAttribute('aria-busy', 'true');
    const r = await request(ctx, 'GET', `/referrals?${params}`);
    if (!ctx.alive() || mine !== seq) return;
    list.removeAttribute('aria-busy');
    list.replaceChildren();
    if (!r || r.status !== 200) {
      setMessage(msg, statusKey(r), 'error');
      return;
    }
    const items = r.body.items || [];
    const incoming = state.box === 'in';
    if (!items.length) setMessage(msg, state.status || state.overdue ? 'ref.none_found' : incoming ? 'ref.empty_in' : 'ref.empty_out', 'info');
    else setMessage(msg, null);
    // The sender knows its own persons (a referral names them: the case
    // is read only for one that does not); a recipient learns names only
    // through an accepted referral's shared view.  A case transferred
    // away is no longer the sender's to read.
    const names = new Map();
    if (!incoming) {
      const ids = [...new Set(items.filter((f) => !f.person && !(f.kind === 'transfer' && f.status === 'completed'))
        .map((f) => f.case_id))].slice(0, 50);
      await Promise.all(ids.map(async (id) => {
        const c = await request(ctx, 'GET', `/cases/${encodeURIComponent(id)}`);
        if (c && c.status === 200 && c.body.person) names.set(id, c.body.person);
      }));
      if (!ctx.alive() || mine !== seq) return;
    }
    const onChange = () => statsSlot.replaceChildren(statsPanel(ctx, state.box));
    for (const f of items) list.append(referralCard(ctx, f, { incoming, names, onChange }));
  }

  selectBox();
  return node;
}

// ---- one referral --------------------------------------------------------------------

export async function referralPageView(ctx, id) {
  ctx.title('ref.page_title');
  if (!(await prepare(ctx))) return;
  const res = await request(ctx, 'GET', `/referrals/${encodeURIComponent(id)}`);
  if (!ctx.alive()) return;
  if (!res || res.status !== 200) {
    failed(ctx, res);
    return;
  }
  let f = res.body;
  const incoming = ctx.user.org && f.to_org.code === ctx.user.org.code;
  const head = h('section', { class: 'panel ref-head', id: 'ref-head' });
  const sharedSlot = h('div', { id: 'shared-slot' });
  ctx.root.append(head, sharedSlot);

  const fact = (key, value, fid) => h('div', { class: 'fact', id: fid }, h('dt', { text: key }), h('dd', {}, value));
  function drawHead(doneKey) {
    const transfer = f.kind === 'transfer';
    ctx.title(() => `${t(transfer ? (incoming ? 'ref.page_transfer_in' : 'ref.page_transfer_out') : (incoming ? 'ref.page_in' : 'ref.page_out'))}: ${(incoming ? f.from_org : f.to_org).name}`);
    const msg = messageBox();
    put(head, 
      h('dl', { class: 'facts' },
        fact('ref.status', h('span', {}, statusBadge(f.status), isOverdue(f) ? [' ', h('span', { class: 'badge warn', text: 'ref.overdue' })] : null), 'ref-head-status'),
        fact('ref.from', h('span', { data: f.from_org.name }), 'ref-head-from'),
        fact('ref.to', h('span', { data: f.to_org.name }), 'ref-head-to'),
        fact('ref.urgency', h('span', { text: `ref.urgency_${f.urgency}` }), 'ref-head-urgency'),
        fact('ref.sent_on', h('span', { data: showDate(f.created_at) }), 'ref-head-sent'),
        f.due ? fact('ref.due', h('span', { data: showDate(f.due) }), 'ref-head-due') : null,
        f.responded_at ? fact('ref.answered_on', h('span', { data: showDate(f.responded_at) }), 'ref-head-answered') : null,
        f.service_type ? fact('ref.service', h('span', { text: codeText('assistance_service_types', f.service_type) }), 'ref-head-service') : null),
      f.reason ? h('div', { class: 'ref-text' }, h('h3', { text: 'ref.reason' }), h('p', { class: 'prose', id: 'ref-head-reason', data: f.reason })) : null,
      f.decline_reason ? h('div', { class: 'ref-text' }, h('h3', { text: 'ref.decline_reason' }), h('p', { class: 'prose', data: f.decline_reason })) : null,
      f.feedback ? h('div', { class: 'ref-text' }, h('h3', { text: 'ref.feedback' }), h('p', { class: 'prose', data: f.feedback })) : null,
      f.withdraw_reason ? h('div', { class: 'ref-text' }, h('h3', { text: 'ref.withdraw_reason' }), h('p', { class: 'prose', data: f.withdraw_reason })) : null,
      h('p', { class: 'fixed-value' }, h('span', { class: 'fixed-label', text: 'ref.shared_fields' }), ' ',
        h('span', { id: 'ref-head-share', text: () => (f.share || []).map(shareLabel).join(', ') })),
      // A transfer says what accepting it does, and once done leads its
      // new owner to the case.
      transfer && incoming && f.status === 'sent' ? h('p', { class: 'message warning', id: 'ref-head-transfer', text: 'ref.transfer_note' }) : null,
      transfer && incoming && f.status === 'completed' ? h('div', { class: 'actions' },
        h('a', { class: 'button primary', id: 'ref-head-transferred', href: `#/cases/${encodeURIComponent(f.case_id)}`, text: 'ref.open_case' })) : null,
      // Taken over with the case: it goes on sharing what this
      // organisation now records, which it never chose to share.
      f.handed_over ? h('p', { class: 'message warning', id: 'ref-head-handed-over', text: 'ref.handed_over_review' }) : null,
      msg,
      !incoming && !gone(f) ? h('div', { class: 'actions' }, h('a', { class: 'button link', href: `#/cases/${encodeURIComponent(f.case_id)}`, text: 'ref.open_case' })) : null,
      answerButtons(ctx, f, incoming, msg, (g, key) => {
        f = g;
        drawHead(key);
        drawShared();
      }));
    if (doneKey) setMessage(msg, doneKey, 'success');
  }

  function drawShared() {
    sharedSlot.replaceChildren();
    if (!incoming) return;
    if (f.status === 'sent') {
      sharedSlot.append(h('p', { class: 'message info', id: 'shared-after-accept', text: 'ref.shared_after_accept' }));
      return;
    }
    if (f.status !== 'accepted') return;
    sharedView(ctx, f, sharedSlot);
  }

  drawHead();
  drawShared();
}

// What the sender shares, read through the referral: the case's and the
// person's shared fields, each named, empty ones said so.
async function sharedView(ctx, f, slot) {
  slot.append(h('p', { class: 'loading', attrs: { role: 'status' }, text: 'app.loading' }));
  const path = `/cases/${encodeURIComponent(f.case_id)}`;
  const r = await request(ctx, 'GET', path);
  if (!ctx.alive()) return;
  slot.replaceChildren();
  if (!r || r.status !== 200) {
    slot.append(h('div', { class: 'message error', attrs: { role: 'alert' }, text: statusKey(r) }));
    return;
  }
  const c = r.body;
  const person = c.person || {};
  const share = f.share || [];
  const section = h('section', { class: 'panel shared', id: 'shared-view' },
    h('h2', { id: 'shared-title', text: () => `${t('ref.shared_by')} ${f.from_org.name}` }),
    h('p', { class: 'hint', text: 'ref.shared_hint' }),
    sharedList('person', person, share, 'shared-person'),
    sharedList('case', c, share, 'shared-case'));
  slot.append(section);

  // The recipient's own work on the case.
  const own = h('section', { class: 'panel', id: 'own-records' }, heading(2, 'ref.own_title'), h('p', { class: 'hint', text: 'ref.own_hint' }));
  slot.append(own);
  ownItems(ctx, own, path, {
    owner: f.from_org.name,
    id: 'own-service', path: 'services', title: 'case.tab_services', empty: 'case.services_empty', addKey: 'case.add_service',
    saved: 'case.saved_service', resource: 'service',
    opts: { values: { status: 'planned', start: today(), provider_org: ctx.user.org ? ctx.user.org.code : undefined }, primary: ['type', 'status', 'start', 'end', 'notes'] },
    card: (s) => [h('p', { class: 'card-title' }, h('strong', { text: codeText('assistance_service_types', s.type) }), ' ', badge('service_status', s.status, 'info')),
      s.start ? h('p', { class: 'card-line', text: () => `${t('case.from')} ${showDate(s.start)}` }) : null,
      s.notes ? h('p', { class: 'prose', data: s.notes }) : null],
  });
  ownItems(ctx, own, path, {
    owner: f.from_org.name,
    id: 'own-note', path: 'notes', title: 'case.tab_notes', empty: 'case.notes_empty', addKey: 'case.add_note',
    saved: 'case.saved_note', resource: 'note', opts: { values: { type: 'note', date: today() } },
    card: (n) => [h('p', { class: 'card-title' }, h('strong', { text: codeText('note_type', n.type) }), ' ',
      h('span', { class: 'muted', data: showDate(n.date || n.created_at) })), h('p', { class: 'prose', data: n.text || '' })],
  });
  // Its own follow-ups of the case (the shelter's visits): listed here,
  // where it works on the case, as its notes and services are.
  ownItems(ctx, own, path, {
    owner: f.from_org.name,
    id: 'own-followup', path: 'followups', title: 'case.tab_followups', empty: 'case.followups_empty',
    addKey: 'case.add_followup', saved: 'case.saved_followup', resource: 'followup',
    opts: { include: ['due', 'reintegration', 'outcome'], values: { due: today() } },
    card: (u) => [h('p', { class: 'card-title' }, h('strong', { text: () => `${t('case.due')} ${showDate(u.due)}` }), ' ',
      badge('followup_status', u.status || 'due')), u.outcome ? h('p', { class: 'prose', data: u.outcome }) : null],
  });
  if (ctx.user.role === 'focal_point' && ctx.user.org && isAuthority(ctx.user.org.type)) {
    // An authority's own criminal proceeding of the case (its stages are
    // moved on the case's justice tab by whom the case is).
    ownItems(ctx, own, path, {
      owner: f.from_org.name,
      id: 'own-proceeding', path: 'proceedings', title: 'jus.proceedings', empty: 'jus.proceedings_empty',
      addKey: 'jus.add_proceeding', saved: 'jus.saved_proceeding', resource: 'proceeding',
      opts: { include: ['article', 'case_number', 'reported_on', 'victim_role', 'protection_measures', 'notes'],
        values: { article: '130.1', reported_on: today() } },
      card: (p) => [h('p', { class: 'card-title' }, h('strong', { text: codeText('criminal_code_article', p.article) }), ' ',
        h('span', { class: 'badge info', text: `jus.stage_${p.stage}` })),
      p.case_number ? h('p', { class: 'card-line', text: () => `${t('jus.case_number')} ${p.case_number}` }) : null],
    });
    const dec = h('section', { class: 'panel', id: 'own-decision' });
    slot.append(dec);
    decisionSection(ctx, dec, f.case_id);
  }
}

function sharedList(resource, record, share, id) {
  const names = fieldsOf(resource).filter((x) => share.includes(x.name));
  if (!names.length) return null;
  const dl = h('dl', { class: 'record', id });
  for (const field of names) {
    const v = record[field.name];
    const empty = v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);
    let dd;
    if (empty) dd = h('dd', { class: 'muted', text: 'ref.not_filled' });
    else if (field.type === 'object_list') {
      // Documents, events: one line each, its filled parts in a row.
      dd = h('dd', {}, h('ul', { class: 'plain' }, v.map((item) => h('li', {
        text: () => field.fields.filter((sub) => item[sub.name] !== undefined)
          .map((sub) => textOf(valueText(sub, item[sub.name]))).join(' · '),
      }))));
    } else {
      dd = h('dd', { text: () => textOf(valueText(field, v)) });
    }
    dl.append(h('div', { class: 'record-row', attrs: { 'data-field': field.name } }, h('dt', { text: field.label }), dd));
  }
  return h('div', { class: 'shared-group' }, heading(3, resource === 'person' ? 'ref.share_person' : 'ref.share_case'), dl);
}

// What valueText() gives (a key, a maker or a plain string) as text now.
function textOf(v) {
  if (typeof v === 'function') return v();
  if (v === 'common.yes' || v === 'common.no') return t(v);
  return String(v);
}

// A list of the caller's own records of a case and a form to add one.
function ownItems(ctx, parent, path, spec) {
  const box = h('div', { class: 'own-items', id: `${spec.id}-box` });
  parent.append(box);
  const draw = async (savedKey) => {
    const r = await request(ctx, 'GET', `${path}/${spec.path}`);
    if (!ctx.alive()) return;
    const msg = h('div', { class: 'message', attrs: { role: 'status' }, hidden: true });
    const list = h('ul', { class: 'cards wide', id: `${spec.id}-list` });
    const slot = h('div', { class: 'add-slot' });
    box.replaceChildren(heading(3, spec.title), msg, slot, list);
    if (!r || r.status !== 200) {
      setMessage(msg, statusKey(r), 'error');
      return;
    }
    const items = (r.body.items || []).slice().reverse();
    if (savedKey) setMessage(msg, savedKey, 'success');
    else if (!items.length) setMessage(msg, spec.empty, 'info');
    for (const it of items) list.append(h('li', { class: 'card', attrs: { 'data-id': it.id } }, spec.card(it)));
    const open = h('button', {
      type: 'button', class: 'button secondary', id: `${spec.id}-add`, text: spec.addKey,
      on: {
        click: () => {
          open.hidden = true;
          const fields = buildForm(spec.resource, { ...spec.opts, prefix: spec.id });
          // Said in the form, where it is written: the case is the
          // sender's, and the sender's case workers read every word.
          const readBy = h('p', { class: 'message warning', id: `${spec.id}-read-by`,
            text: () => t('ref.own_read_by').split('{org}').join(spec.owner || '') });
          const shell = formShell({
            id: `${spec.id}-form`, title: spec.addKey, fields, submitKey: 'common.save', extra: readBy,
            onSubmit: async () => {
              const { value, missing } = fields.read();
              if (missing.length) return;
              const w = await request(ctx, 'POST', `${path}/${spec.path}`, value);
              if (!ctx.alive()) return;
              if (!w || w.status !== 201) {
                fields.showProblem(w);
                return;
              }
              draw(spec.saved);
            },
          });
          shell.form.querySelector('.actions').append(h('button', {
            type: 'button', class: 'button secondary', text: 'common.cancel',
            on: { click: () => { shell.form.remove(); open.hidden = false; open.focus(); } },
          }));
          slot.append(shell.form);
          fields.focus();
        },
      },
    });
    slot.append(open);
  };
  draw();
}

// The official status decision on a case reached through a referral:
// the decisions this organisation recorded, and the form (the case
// page's status-decision form).  onSaved() after a decision is recorded.
export function decisionSection(ctx, box, caseId, onSaved) {
  const path = `/cases/${encodeURIComponent(caseId)}/status-decisions`;
  const draw = async (savedKey) => {
    const r = await request(ctx, 'GET', path);
    if (!ctx.alive()) return;
    const msg = h('div', { class: 'message', attrs: { role: 'status' }, hidden: true });
    const list = h('ul', { class: 'cards wide', id: 'own-decision-list' });
    const slot = h('div', { class: 'add-slot' });
    put(box, heading(2, 'ref.decision_title'), h('p', { class: 'hint', text: 'ref.decision_hint' }), msg, slot, list);
    const items = r && r.status === 200 ? (r.body.items || []).slice().reverse() : [];
    if (savedKey) setMessage(msg, savedKey, 'success');
    for (const d of items) {
      list.append(h('li', { class: 'card', attrs: { 'data-id': d.id } },
        h('p', { class: 'card-title' }, badge('trafficking_status', d.status)),
        h('p', { class: 'card-line', text: decisionLine(d) })));
    }
    slot.append(decisionButton(ctx, caseId, () => {
      draw('case.saved_decision');
      if (onSaved) onSaved();
    }, 'own-decision'));
  };
  draw();
}

// Who a decision form records the decision as: the deciding body is the
// user's organisation, never chosen (issue 15).  An authority's decision
// is an official identification and carries its reference; anyone else's
// is the organisation's own assessment, a presumed status.
export function decisionNote(ctx, prefix) {
  const org = ctx.user.org || {};
  const authority = org.authority ?? isAuthority(org.type);
  return h('p', { class: 'message info decision-as', id: `${prefix}-as`,
    text: () => `${t(authority ? 'case.decision_as_authority' : 'case.decision_as_assessment')} ${org.name || ''}` });
}

// What a decision that a person is a victim counts as (mirrors
// casework_identification in src/domain/casework.c, which the reports
// use): an authority's is an official identification, anyone else's the
// organisation's own assessment, counted as a presumed victim.  Null for
// other statuses.
const OFFICIAL_DECIDERS = ['Police', 'CourtOrProsecution', 'NonPoliceGovernmentalOrganization'];
// The words of the decision button: an authority records its decision,
// anyone else the organisation's assessment.
export function decisionAddKey(ctx) {
  const org = ctx.user.org || {};
  return (org.authority ?? isAuthority(org.type)) ? 'case.add_decision' : 'case.add_assessment';
}

export function identificationKey(d) {
  if (!d || d.status !== 'ActualVictimOfTrafficking') return null;
  return OFFICIAL_DECIDERS.includes(d.decided_by) ? 'case.ident_official' : 'case.ident_assessment';
}

// "NGO · 01.02.2026 · Reference M-1 · the organisation's own assessment ...".
export function decisionLine(d) {
  const k = identificationKey(d);
  return () => [codeText('trafficking_status_decider', d.decided_by)(), d.date ? showDate(d.date) : null,
    d.reference ? `${t('case.reference')} ${d.reference}` : null, k ? t(k) : null].filter(Boolean).join(' · ');
}

// A button that opens the status-decision form for a case.
export function decisionButton(ctx, caseId, onSaved, prefix = 'decision') {
  const slot = h('div', { class: 'decision-slot' });
  const open = h('button', {
    type: 'button', class: 'button primary small', id: `${prefix}-add`, text: decisionAddKey(ctx), attrs: { 'data-action': 'decide' },
    on: {
      click: () => {
        open.hidden = true;
        const fields = buildForm('status_decision', { values: { date: today() }, prefix });
        const shell = formShell({
          id: `${prefix}-form`, title: decisionAddKey(ctx), fields, submitKey: 'common.save',
          extra: decisionNote(ctx, prefix),
          onSubmit: async () => {
            const { value, missing } = fields.read();
            if (missing.length) return;
            const r = await request(ctx, 'POST', `/cases/${encodeURIComponent(caseId)}/status-decisions`, value);
            if (!ctx.alive()) return;
            if (!r || r.status !== 201) {
              if (r && r.status === 403) setMessage(fields.errorBox, 'error.decision_forbidden');
              else fields.showProblem(r);
              return;
            }
            onSaved(r.body);
          },
        });
        shell.form.querySelector('.actions').append(h('button', {
          type: 'button', class: 'button secondary', text: 'common.cancel',
          on: { click: () => { shell.form.remove(); open.hidden = false; open.focus(); } },
        }));
        slot.append(shell.form);
        fields.focus();
      },
    },
  });
  slot.append(open);
  return slot;
}
