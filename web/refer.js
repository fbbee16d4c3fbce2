// refer.js - the referral wizard (#/cases/ID/refer): send a case to
// another organisation of the referral network.
//
//   1 the recipient: a service from the directory, or an organisation
//   2 what to share: a preset by purpose (shelter, legal aid, police
//     investigation, medical; GET /referrals/share-presets), chosen for
//     the service's type or an authority, whose ticks the user changes
//     (the recipient sees exactly these); the reason, the urgency and the
//     date by which an answer is needed
//   3 the summary, and Send.
//
// The consent is checked as soon as the recipient is chosen (GET
// /cases/ID/consent-check asks the server's own rule): the answer shows
// on steps 2 and 3, a missing consent is recorded in place, and Send
// stays disabled until a consent covers the referral.  The server
// decides in the end: a refused send (409 consent-required) is explained.

import { t } from './i18n.js';
import { h, live, today, showDate, setMessage, dateInput, dayOf } from './dom.js';
import { buildForm, formShell, codeList, codeText, statusKey } from './forms.js';
import { request, prepare, failed, personName, heading, messageBox, mayScreenRefer } from './page.js';
import { directoryFinder, serviceOrg, capacityNode } from './directory.js';
import { openCaseTab } from './casepage.js';
import { isAuthority, shareLabel, shareableFields, explainAllLangs, put, arrowKeys } from './referrals.js';

const URGENCIES = ['low', 'normal', 'high', 'emergency'];

// The organisations one may refer to (GET /orgs: code, name, type).
async function loadOrgs(ctx) {
  const res = await request(ctx, 'GET', '/orgs');
  if (!res || res.status !== 200 || !res.body) return null;
  return (res.body.items || []).map((o) => ({ code: o.code, name: o.name, type: o.type }));
}

// The person's age in whole years today: from birth_date, else the
// estimated age; null when neither is known.
function ageOf(p) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec((p && p.birth_date) || '');
  if (!m) return p && Number.isInteger(p.estimated_age) ? p.estimated_age : null;
  const now = new Date();
  const month = now.getMonth() + 1;
  const before = month < +m[2] || (month === +m[2] && now.getDate() < +m[3]);
  return now.getFullYear() - +m[1] - (before ? 1 : 0);
}

// Whether service s says whom it takes (gender or age).
function limitsWhom(s) {
  return !!s && ((Array.isArray(s.genders_served) && s.genders_served.length > 0) ||
    Number.isInteger(s.minimum_age) || Number.isInteger(s.maximum_age));
}

// The field of service s (genders_served, minimum_age, maximum_age) that
// person p does not fit, as the server's admission rule reads them
// (domain/justice.c justice_shelter_takes), or null.
export function outsideEligibility(s, p) {
  if (!s || !p) return null;
  const genders = Array.isArray(s.genders_served) ? s.genders_served : [];
  if (p.gender && genders.length && !genders.includes(p.gender)) return 'genders_served';
  const age = ageOf(p);
  if (age === null) return null;
  if (Number.isInteger(s.minimum_age) && age < s.minimum_age) return 'minimum_age';
  if (Number.isInteger(s.maximum_age) && age > s.maximum_age) return 'maximum_age';
  return null;
}

export async function referView(ctx, caseId) {
  ctx.title('ref.wizard_title');
  if (!(await prepare(ctx))) return;
  const path = `/cases/${encodeURIComponent(caseId)}`;
  const res = await request(ctx, 'GET', path);
  if (!ctx.alive()) return;
  if (!res || res.status !== 200 || res.body.shared_view) {
    failed(ctx, res && res.status === 200 ? { status: 403 } : res);
    return;
  }
  const c = res.body;
  ctx.title(() => `${t('ref.wizard_title')}: ${personName(c.person)}`);
  if (!mayScreenRefer(ctx.user)) {
    failed(ctx, { status: 403 });
    return;
  }
  if (!['Active', 'FollowUp'].includes(c.status)) {
    failed(ctx, { status: 409 }); // a closed case is reopened before it is referred
    return;
  }

  const st = { org: null, service: null, share: new Set(), covered: false, step: 'to', presets: [], preset: '', person: undefined };
  const STEPS = ['to', 'share', 'check'];
  const steps = h('ol', { class: 'steps', id: 'ref-steps' });
  const panels = {
    to: h('section', { class: 'step-panel', id: 'ref-step-to' }),
    share: h('section', { class: 'step-panel', id: 'ref-step-share', hidden: true }),
    check: h('section', { class: 'step-panel', id: 'ref-step-check', hidden: true }),
  };
  const back = h('p', {}, h('a', { href: `#${path}`, class: 'button link', id: 'ref-back-case', text: 'ref.back_to_case' }));
  ctx.root.append(back, steps, ...Object.values(panels));

  function show(step) {
    st.step = step;
    for (const [name, panel] of Object.entries(panels)) panel.hidden = name !== step;
    // The one consent block goes with the page: under the recipient.
    if (step === 'share') shareConsent.append(consentBlock);
    if (step === 'check') checkConsent.append(consentBlock);
    steps.replaceChildren();
    STEPS.forEach((s, i) => {
      const li = h('li', { text: () => `${i + 1}. ${t(`ref.step_${s}`)}` });
      if (s === step) li.setAttribute('aria-current', 'step');
      else if (STEPS.indexOf(step) > i) li.className = 'done';
      steps.append(li);
    });
    const first = panels[step].querySelector('h2');
    if (first) {
      first.tabIndex = -1;
      first.focus();
    }
  }

  // ---- 1: the recipient ----------------------------------------------------------
  const modeTabs = h('div', { class: 'tabs', attrs: { role: 'tablist' }, label: 'ref.step_to' });
  const modePanels = {
    service: h('div', { id: 'ref-mode-service', attrs: { role: 'tabpanel', 'aria-labelledby': 'ref-mode-tab-service' } }),
    org: h('div', { id: 'ref-mode-org', hidden: true, attrs: { role: 'tabpanel', 'aria-labelledby': 'ref-mode-tab-org' } }),
  };
  const modeButtons = {};
  for (const mode of ['service', 'org']) {
    modeButtons[mode] = h('button', {
      type: 'button', class: 'tab', id: `ref-mode-tab-${mode}`, text: `ref.by_${mode}`,
      attrs: { role: 'tab', 'aria-controls': `ref-mode-${mode}`, 'aria-selected': String(mode === 'service') },
      on: { click: () => selectMode(mode) },
    });
    modeTabs.append(modeButtons[mode]);
  }
  arrowKeys(modeButtons, (mode) => selectMode(mode));
  let orgsLoaded = false;
  function selectMode(mode) {
    for (const m of Object.keys(modePanels)) {
      modePanels[m].hidden = m !== mode;
      modeButtons[m].setAttribute('aria-selected', String(m === mode));
    }
    if (mode === 'org' && !orgsLoaded) {
      orgsLoaded = true;
      drawOrgs();
    }
  }
  const finder = directoryFinder(ctx, { prefix: 'ref-dir', onChoose: (s) => chooseService(s) });
  modePanels.service.append(finder.node);
  panels.to.append(heading(2, 'ref.to_title'), h('p', { class: 'hint', text: 'ref.to_hint' }), modeTabs,
    modePanels.service, modePanels.org);

  async function drawOrgs() {
    const box = modePanels.org;
    box.replaceChildren(h('p', { class: 'loading', attrs: { role: 'status' }, text: 'app.loading' }));
    const orgs = await loadOrgs(ctx);
    if (!ctx.alive()) return;
    box.replaceChildren();
    const mine = ctx.user.org && ctx.user.org.code;
    const list = (orgs || []).filter((o) => o.code !== mine).sort((a, b) => a.name.localeCompare(b.name));
    if (!orgs) {
      box.append(h('div', { class: 'message error', attrs: { role: 'alert' }, text: 'error.server' }));
      return;
    }
    if (!list.length) {
      box.append(h('div', { class: 'message info', text: 'ref.no_orgs' }));
      return;
    }
    const ul = h('ul', { class: 'person-list org-list', id: 'ref-org-list' });
    for (const o of list) {
      ul.append(h('li', { class: 'person-row', attrs: { 'data-code': o.code } },
        h('div', {}, h('strong', { data: o.name }),
          h('div', { class: 'case-meta' }, o.type ? h('span', { text: codeText('org_type', o.type) }) : null,
            isAuthority(o.type) ? h('span', { class: 'badge info', text: 'ref.authority' }) : null)),
        h('button', {
          type: 'button', class: 'button secondary', text: 'dir.choose', attrs: { 'data-action': 'choose-org', 'data-code': o.code },
          on: { click: () => chooseOrg(o) },
        })));
    }
    box.append(h('div', { class: 'panel' }, ul));
  }

  function chooseService(s) {
    const o = serviceOrg(s);
    if (o.code && ctx.user.org && o.code === ctx.user.org.code) {
      setMessage(toMsg, 'ref.own_org', 'error');
      return;
    }
    if (!o.code) {
      setMessage(toMsg, 'ref.no_code', 'error');
      return;
    }
    st.service = s;
    st.org = o;
    chosen();
    if (limitsWhom(s)) loadPerson();
  }

  // The person's gender and age, for a service that limits whom it takes:
  // read once (GET /persons/ID, audited like any read of the person).
  async function loadPerson() {
    if (st.person !== undefined) return;
    st.person = null;
    const r = await request(ctx, 'GET', `/persons/${encodeURIComponent(c.person_id)}`);
    if (!ctx.alive()) return;
    st.person = r && r.status === 200 ? r.body : null;
    recipientBoxes.forEach((b) => drawRecipient(b));
  }

  function chooseOrg(o) {
    st.service = null;
    st.org = o;
    chosen();
  }

  const toMsg = messageBox();
  panels.to.insertBefore(toMsg, modeTabs);

  function chosen() {
    setMessage(toMsg, null);
    recipientBoxes.forEach((b) => drawRecipient(b));
    suggestPreset();
    show('share');
    drawCheck();
  }

  // The recipient, as a short summary on the later steps.
  const recipientBoxes = [];
  function recipientBox(id) {
    const box = h('div', { class: 'recipient panel quiet', id });
    recipientBoxes.push(box);
    return box;
  }
  function drawRecipient(box) {
    if (!st.org) return;
    const s = st.service;
    put(box, 
      h('p', { class: 'fixed-value' }, h('span', { class: 'fixed-label', text: 'ref.recipient' }), ' ',
        h('strong', { class: 'recipient-name', data: st.org.name || st.org.code }),
        st.org.type ? h('span', { text: () => ` · ${codeText('org_type', st.org.type)()}` }) : null),
      s ? h('p', { class: 'fixed-value' }, h('span', { class: 'fixed-label', text: 'ref.service' }), ' ',
        h('strong', { data: s.name || '' }),
        s.service_type ? h('span', { text: () => ` · ${codeText('assistance_service_types', s.service_type)()}` }) : null) : null,
      s ? capacityNode(s) : null,
      eligibilityNode(s),
      h('button', { type: 'button', class: 'button link', text: 'ref.change_recipient', on: { click: () => show('to') } }));
  }

  // A service that does not take the person, said before sending; the
  // referral may go all the same (the receiving shelter decides, and the
  // server's answer carries the same warning).
  function eligibilityNode(s) {
    const field = outsideEligibility(s, st.person);
    if (!field) return null;
    return h('p', {
      class: 'message warning ref-eligibility', attrs: { role: 'note', 'data-field': field },
      text: field === 'genders_served' ? 'ref.outside_gender' : 'ref.outside_age',
    });
  }

  // ---- the consent: checked when the recipient is chosen -------------------------------
  const checkBox = h('div', { id: 'consent-check', attrs: { role: 'status' } });
  const consentSlot = h('div', { id: 'ref-consent-slot' });
  const consentBlock = h('section', { class: 'consent-block', id: 'ref-consent', label: 'ref.consent_title' },
    heading(3, 'ref.consent_title'), checkBox, consentSlot);
  const shareConsent = h('div', { id: 'ref-consent-share' });
  const checkConsent = h('div', { id: 'ref-consent-checkstep' });

  // ---- 2: what to share, why, how urgent -------------------------------------------------
  const shareMsg = messageBox();
  const shareCount = h('p', { class: 'hint', id: 'ref-share-count', attrs: { 'aria-live': 'polite' } });
  const boxes = [];
  const group = (resource, legendKey) => {
    const grid = h('div', { class: 'check-grid' });
    // The initials: enough for the recipient's inbox to tell who it is
    // about before it accepts (api/referrals.c shareable()).
    const extra = resource === 'person' ? [{ name: 'initials', label: () => t('ref.share_initials') }] : [];
    for (const f of [...extra, ...shareableFields(resource)]) {
      const id = `share-${f.name}`;
      const box = h('input', { type: 'checkbox', id, value: f.name, attrs: { 'data-resource': resource } });
      box.addEventListener('change', countShared);
      boxes.push(box);
      grid.append(h('div', { class: 'check' }, box, h('label', { for: id, text: f.label })));
    }
    return h('fieldset', { class: 'field group share-group', id: `share-${resource}` },
      h('legend', { text: legendKey }), grid);
  };
  // ---- presets by purpose: tick a purpose's fields, then adjust ----
  const presetName = 'ref-preset';
  const presetBox = h('fieldset', { class: 'field group preset-group', id: 'ref-presets' },
    h('legend', { text: 'ref.preset_legend' }));
  const presetNote = h('p', { class: 'hint', id: 'ref-preset-note', attrs: { 'aria-live': 'polite' } });
  function drawPresets() {
    const choices = [...st.presets.map((p) => p.purpose), ''];
    presetBox.replaceChildren(h('legend', { text: 'ref.preset_legend' }));
    const row = h('div', { class: 'preset-row' });
    for (const purpose of choices) {
      const id = `${presetName}-${purpose || 'none'}`;
      const input = h('input', { type: 'radio', name: presetName, id, value: purpose, checked: purpose === st.preset });
      input.addEventListener('change', () => applyPreset(purpose, true));
      row.append(h('div', { class: 'check preset' }, input, h('label', { for: id, text: `ref.preset_${purpose || 'none'}` })));
    }
    presetBox.append(row, presetNote);
  }
  function presetFields(purpose) {
    const p = st.presets.find((x) => x.purpose === purpose);
    return p ? new Set(p.fields) : null;
  }
  function applyPreset(purpose, byHand) {
    st.preset = purpose;
    const fields = presetFields(purpose);
    for (const b of boxes) b.checked = fields ? fields.has(b.value) : byHand ? false : b.checked;
    const radio = presetBox.querySelector(`#${presetName}-${purpose || 'none'}`);
    if (radio) radio.checked = true;
    presetNote.replaceChildren(live(h('span'), () => (purpose ? t('ref.preset_note') : '')));
    countShared();
  }
  // The preset the recipient suggests: the police investigation for an
  // authority, else its service's kind; none otherwise (nothing ticked).
  function suggestPreset() {
    const type = st.service && (st.service.service_type || st.service.type);
    const byType = st.presets.find((p) => type && p.service_types.includes(type));
    const purpose = isAuthority(st.org.type) ? 'police_investigation' : byType ? byType.purpose : '';
    applyPreset(purpose && presetFields(purpose) ? purpose : '', true);
  }
  function countShared() {
    const n = boxes.filter((b) => b.checked).length;
    shareCount.replaceChildren(live(h('span'), () => (n ? `${t('ref.share_count')}: ${n}` : t('ref.share_none'))));
  }
  countShared();

  const reason = h('textarea', { id: 'ref-reason', rows: 4, attrs: { maxlength: 5000, 'aria-required': 'true' } });
  reason.addEventListener('input', () => reason.removeAttribute('aria-invalid'));
  const urgency = h('select', { id: 'ref-urgency' });
  for (const u of URGENCIES) urgency.append(h('option', { value: u, text: `ref.urgency_${u}` }));
  urgency.value = 'normal';
  const due = dateInput({ id: 'ref-due' });
  const shareForm = h('form', { class: 'panel form', id: 'ref-share-form', attrs: { novalidate: true } },
    heading(2, 'ref.share_title'),
    recipientBox('ref-recipient-share'),
    shareConsent,
    explainAllLangs('ref.share_explain', 'ref-share-explain'),
    presetBox,
    h('div', { class: 'form-fields' },
      group('person', 'ref.share_person'),
      group('case', 'ref.share_case')),
    shareCount,
    h('div', { class: 'form-fields' },
      h('div', { class: 'field wide' }, h('label', { for: 'ref-reason' }, live(h('span'), 'ref.reason'),
        h('span', { class: 'req', attrs: { 'aria-hidden': 'true' }, data: ' *' })), reason),
      h('div', { class: 'field' }, h('label', { for: 'ref-urgency', text: 'ref.urgency' }), urgency),
      h('div', { class: 'field' }, h('label', { for: 'ref-due', text: 'ref.due' }), due,
        h('p', { class: 'hint', text: 'ref.due_hint' }))),
    shareMsg,
    h('div', { class: 'actions' },
      h('button', { type: 'submit', class: 'button primary', id: 'ref-share-next', text: 'ref.to_check' }),
      h('button', { type: 'button', class: 'button secondary', text: 'reg.back', on: { click: () => show('to') } })));
  panels.share.append(shareForm);

  shareForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    setMessage(shareMsg, null);
    reason.removeAttribute('aria-invalid');
    st.share = new Set(boxes.filter((b) => b.checked).map((b) => b.value));
    if (!st.share.size) {
      setMessage(shareMsg, 'ref.share_needed');
      boxes[0]?.focus();
      return;
    }
    if (!reason.value.trim()) {
      setMessage(shareMsg, 'ref.reason_needed');
      reason.setAttribute('aria-invalid', 'true');
      reason.focus();
      return;
    }
    const dueDay = dayOf(due);
    if (dueDay === null) {
      setMessage(shareMsg, 'dash.bad_date');
      due.focus();
      return;
    }
    if (dueDay && dueDay < today()) {
      setMessage(shareMsg, 'ref.due_past');
      due.focus();
      return;
    }
    drawSummary();
    setMessage(sendMsg, null);
    show('check');
  });

  // ---- 3: the consent check, then send ----------------------------------------------------
  const summary = h('div', { class: 'ref-summary', id: 'ref-summary' });
  const sendMsg = h('div', { class: 'message', id: 'ref-send-message', attrs: { role: 'alert' }, hidden: true });
  const send = h('button', { type: 'button', class: 'button primary', id: 'ref-send', text: 'ref.send', disabled: true,
    attrs: { 'aria-describedby': 'ref-send-why' }, on: { click: () => sendReferral() } });
  const sendWhy = h('p', { class: 'hint', id: 'ref-send-why', text: 'ref.send_needs_consent' });
  panels.check.append(h('div', { class: 'panel' },
    heading(2, 'ref.check_title'),
    recipientBox('ref-recipient-check'),
    summary,
    checkConsent, sendMsg,
    h('div', { class: 'actions' }, send,
      h('button', { type: 'button', class: 'button secondary', text: 'reg.back', on: { click: () => show('share') } })),
    sendWhy));

  function drawSummary() {
    const names = [...st.share];
    put(summary, 
      h('p', { class: 'fixed-value' }, h('span', { class: 'fixed-label', text: 'ref.shared_fields' }), ' ',
        h('strong', { id: 'ref-summary-fields', text: () => names.map(shareLabel).join(', ') })),
      h('p', { class: 'fixed-value' }, h('span', { class: 'fixed-label', text: () => `${t('ref.urgency')}:` }), ' ',
        h('strong', { text: `ref.urgency_${urgency.value}` }),
        dayOf(due) ? h('span', { text: () => ` · ${t('ref.due')}: ${showDate(dayOf(due))}` }) : null));
  }

  // Ask the server whether a consent covers this recipient; Send waits.
  let checkSeq = 0;
  async function drawCheck() {
    const org = st.org;
    const mine = ++checkSeq;
    st.covered = false;
    send.disabled = true;
    sendWhy.hidden = false;
    checkBox.className = 'consent-check';
    delete checkBox.dataset.covered;
    checkBox.replaceChildren(h('p', { class: 'loading', text: 'app.loading' }));
    const r = await request(ctx, 'GET', `${path}/consent-check?to_org=${encodeURIComponent(org.code)}`);
    if (!ctx.alive() || mine !== checkSeq) return;
    if (!r || r.status !== 200) {
      checkBox.replaceChildren(h('p', { class: 'message error', text: statusKey(r) }));
      return;
    }
    const found = r.body.covered ? r.body.consent : null;
    st.covered = !!r.body.covered;
    st.purposes = r.body.purposes || ['referral'];
    send.disabled = !st.covered;
    sendWhy.hidden = st.covered;
    checkBox.className = `consent-check ${found ? 'ok' : 'missing'}`;
    checkBox.dataset.covered = found ? 'yes' : 'no';
    if (found) {
      checkBox.replaceChildren(
        h('p', { class: 'check-verdict', text: 'ref.consent_ok' }),
        h('p', { class: 'card-line', text: () => consentText(found) }));
      consentSlot.replaceChildren();
    } else {
      checkBox.replaceChildren(
        h('p', { class: 'check-verdict', text: () => t(isAuthority(org.type) ? 'ref.consent_missing_authority' : 'ref.consent_missing') }),
        h('p', { class: 'card-line', text: () => `${t('ref.recipient')} ${org.name || org.code} · ${codeText('org_type', org.type)()}` }));
      consentSlot.replaceChildren(h('div', { class: 'actions' }, h('button', {
        type: 'button', class: 'button secondary', id: 'ref-consent-add', text: 'ref.consent_record',
        on: { click: () => consentForm() },
      })));
    }
  }

  function consentText(k) {
    const named = k.recipient_org && k.recipient_org === st.org.code ? st.org.name || k.recipient_org : k.recipient_org;
    const to = named ? named : k.recipient_type ? codeText('org_type', k.recipient_type)() : t('ref.any_recipient');
    const parts = [`${codeText('consent_purpose', k.purpose)()} → ${to}`];
    if (k.given_on) parts.push(`${t('ref.given_on')} ${showDate(k.given_on)}`);
    if (k.expires) parts.push(`${t('ref.expires')} ${showDate(k.expires)}`);
    return parts.join(' · ');
  }

  // A new consent of the person for this referral.
  function consentForm() {
    const org = st.org;
    const purposes = st.purposes || (isAuthority(org.type) ? ['law_enforcement', 'referral'] : ['referral']);
    const purpose = h('select', { id: 'ref-consent-purpose' });
    for (const p of purposes) purpose.append(h('option', { value: p, text: codeText('consent_purpose', p) }));
    const scopeName = 'ref-consent-scope';
    const scope = (value, text, checked) => {
      const id = `${scopeName}-${value}`;
      return h('div', { class: 'check' },
        h('input', { type: 'radio', name: scopeName, id, value, checked }),
        h('label', { for: id, text }));
    };
    const fields = buildForm('consent', { include: ['method', 'given_on', 'expires', 'notes'], values: { given_on: today() }, prefix: 'ref-consent' });
    const agree = h('input', { type: 'checkbox', id: 'ref-consent-agree' });
    const shell = formShell({
      id: 'ref-consent-form', title: 'ref.consent_record', fields, submitKey: 'ref.consent_save',
      extra: h('div', {},
        h('p', { class: 'hint', text: 'ref.consent_lead' }),
        explainAllLangs('ref.consent_explain', 'ref-consent-explain'),
        h('div', { class: 'field' }, h('label', { for: 'ref-consent-purpose', text: 'reg.purpose' }), purpose),
        h('fieldset', { class: 'field group' }, h('legend', { text: 'ref.consent_scope' }),
          scope('org', () => `${t('ref.scope_org')}: ${org.name || org.code}`, true),
          org.type ? scope('type', () => `${t('ref.scope_type')}: ${codeText('org_type', org.type)()}`, false) : null,
          scope('any', 'ref.scope_any', false)),
        h('div', { class: 'field check single agree' }, agree, h('label', { for: 'ref-consent-agree', text: 'ref.consent_agree' }))),
      onSubmit: async () => {
        fields.clear();
        if (!agree.checked) {
          setMessage(fields.errorBox, 'ref.consent_needed');
          agree.setAttribute('aria-invalid', 'true');
          agree.focus();
          return;
        }
        agree.removeAttribute('aria-invalid');
        const { value, missing } = fields.read();
        if (missing.length) return;
        const body = { purpose: purpose.value, ...value };
        const which = shell.form.querySelector(`input[name="${scopeName}"]:checked`)?.value;
        if (which === 'org') body.recipient_org = org.code;
        if (which === 'type') body.recipient_type = org.type;
        const r = await request(ctx, 'POST', `/persons/${encodeURIComponent(c.person_id)}/consents`, body);
        if (!ctx.alive()) return;
        if (!r || r.status !== 201) {
          fields.showProblem(r);
          return;
        }
        consentSlot.replaceChildren();
        await drawCheck();
        setMessage(consentMsg, 'ref.consent_saved', 'success');
      },
    });
    shell.form.querySelector('.actions').append(h('button', {
      type: 'button', class: 'button secondary', text: 'common.cancel', on: { click: () => drawCheck() },
    }));
    consentSlot.replaceChildren(shell.form);
    purpose.focus();
  }

  async function sendReferral() {
    if (send.getAttribute('aria-disabled') === 'true') return;
    const body = {
      case_id: c.id,
      to_org: st.org.code,
      reason: reason.value.replace(/\s+$/, ''),
      urgency: urgency.value,
      share: [...st.share],
    };
    if (dayOf(due)) body.due = dayOf(due);
    if (st.service) {
      if (st.service.id) body.service_id = String(st.service.id);
      const type = st.service.service_type || st.service.type;
      if (type && codeList('assistance_service_types').some((x) => x.code === type)) body.service_type = type;
    }
    send.setAttribute('aria-disabled', 'true');
    const r = await request(ctx, 'POST', '/referrals', body);
    send.removeAttribute('aria-disabled');
    if (!ctx.alive()) return;
    if (r && r.status === 201) {
      openCaseTab(c.id, 'referrals', 'ref.sent_done');
      ctx.go(`#${path}`);
      return;
    }
    if (r && r.status === 409 && r.body && /consent-required$/.test(r.body.type || '')) {
      setMessage(sendMsg, () => t(isAuthority(st.org.type) ? 'ref.refused_consent_authority' : 'ref.refused_consent'), 'error');
      await drawCheckKeepMessage();
      return;
    }
    if (r && r.status === 422 && r.body && typeof r.body.detail === 'string') {
      setMessage(sendMsg, () => `${t('form.err_invalid')} (${r.body.detail})`, 'error');
      return;
    }
    setMessage(sendMsg, statusKey(r), 'error');
  }

  // Check again after a refusal, and keep the refusal's explanation.
  async function drawCheckKeepMessage() {
    const kept = [...sendMsg.childNodes];
    const cls = sendMsg.className;
    await drawCheck();
    sendMsg.replaceChildren(...kept);
    sendMsg.className = cls;
    sendMsg.hidden = false;
  }

  const consentMsg = h('div', { class: 'message', id: 'ref-consent-message', attrs: { role: 'status' }, hidden: true });
  consentBlock.append(consentMsg);

  // The presets (data of the server), then the recipient.
  const pr = await request(ctx, 'GET', '/referrals/share-presets');
  if (!ctx.alive()) return;
  st.presets = (pr && pr.status === 200 && pr.body.items) || [];
  drawPresets();
  show('to');
  await finder.load();
}
