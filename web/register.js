// register.js - registering a person and opening a case (#/register).
//
// Consent comes first.  The case worker first looks for the person (so
// that nobody is registered twice), then:
//   a new person:       1 consent -> 2 the person -> 3 the case
//   a known person:     1 consent (unless an active consent to assistance
//                       is on file) -> 2 the case
// The server needs the person before it can hold a consent, so for a new
// person the consent form is read in step 1 and recorded right after the
// person is created, before the case (POST /persons, POST
// /persons/{id}/consents, POST /cases).  Then the new case opens.

import { t, catalogue, LANGS, getLang } from './i18n.js';
import { h, live, today, showDate, setMessage } from './dom.js';
import { buildForm, formShell, codeText, statusKey } from './forms.js';
import { request, prepare, personName, heading } from './page.js';
import { takeHandoff } from './handoff.js';

const LANG_NAMES = { tg: 'Тоҷикӣ', ru: 'Русский', en: 'English' };

const PERSON_PRIMARY = ['given_name', 'family_name', 'patronymic', 'birth_date', 'estimated_age', 'gender',
  'citizenship', 'phones', 'region_of_origin'];
const CASE_PRIMARY = ['opened_on', 'exploitation_types', 'countries_of_exploitation', 'labour_sector',
  'recruitment_method', 'summary'];

export async function registerView(ctx) {
  ctx.title('reg.title');
  // A hotline contact being escalated: its number and notes prefill the
  // forms, and the new case is linked to it (POST /contacts/{id}/attach).
  const fromContact = takeHandoff('contact');
  if (!(await prepare(ctx))) return;

  const st = { person: null, known: false, consentValue: null, steps: ['consent', 'person', 'case'], step: null };

  const steps = h('ol', { class: 'steps', id: 'reg-steps' });
  const panels = {
    find: h('section', { class: 'step-panel', id: 'reg-find' }),
    consent: h('section', { class: 'step-panel', id: 'reg-consent', hidden: true }),
    person: h('section', { class: 'step-panel', id: 'reg-person', hidden: true }),
    case: h('section', { class: 'step-panel', id: 'reg-case', hidden: true }),
  };
  ctx.root.append(steps, ...Object.values(panels));

  function show(step) {
    st.step = step;
    for (const [name, panel] of Object.entries(panels)) panel.hidden = name !== step;
    steps.replaceChildren();
    steps.hidden = step === 'find';
    st.steps.forEach((s, i) => {
      const li = h('li', { text: () => `${i + 1}. ${t(`reg.step_${s}`)}` });
      if (s === step) li.setAttribute('aria-current', 'step');
      else if (st.steps.indexOf(step) > i) li.className = 'done';
      steps.append(li);
    });
    const first = panels[step].querySelector('h2');
    if (first) {
      first.tabIndex = -1;
      first.focus();
    }
  }

  // ---- 0: find the person first ----------------------------------------------
  const q = h('input', { type: 'search', id: 'reg-q', value: fromContact?.phone || '', attrs: { autocomplete: 'off', spellcheck: 'false' } });
  const found = h('ul', { class: 'person-list', id: 'reg-found' });
  const findMsg = h('div', { class: 'message', attrs: { role: 'status' }, hidden: true });
  const findForm = h('form', { class: 'panel', id: 'reg-find-form', attrs: { role: 'search' } },
    heading(2, 'reg.find_title'),
    h('p', { class: 'hint', text: 'reg.find_hint' }),
    h('div', { class: 'field' }, h('label', { for: 'reg-q', text: 'reg.find_label' }),
      h('div', { class: 'inline' }, q, h('button', { type: 'submit', class: 'button secondary', id: 'reg-find-submit', text: 'list.search' }))),
    findMsg, found);
  const newPerson = h('button', {
    type: 'button', class: 'button primary', id: 'reg-new-person', text: 'reg.new_person',
    on: { click: () => { st.person = null; st.known = false; st.steps = ['consent', 'person', 'case']; show('consent'); } },
  });
  if (fromContact) panels.find.append(h('p', { class: 'message info', id: 'reg-from-contact', text: 'reg.from_contact' }));
  if (ctx.user.role === 'focal_point') panels.find.append(h('p', { class: 'message info', id: 'reg-focal-lead', text: 'reg.focal_lead' }));
  panels.find.append(findForm, h('div', { class: 'panel quiet' }, h('p', { text: 'reg.not_found_hint' }), h('div', { class: 'actions' }, newPerson)));

  findForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    const text = q.value.trim();
    found.replaceChildren();
    if (text === '') {
      setMessage(findMsg, 'reg.find_empty', 'info');
      return;
    }
    const res = await request(ctx, 'GET', `/persons?q=${encodeURIComponent(text)}`);
    if (!ctx.alive()) return;
    if (!res || res.status !== 200) {
      setMessage(findMsg, statusKey(res), 'error');
      return;
    }
    const items = res.body.items || [];
    setMessage(findMsg, items.length ? () => `${t('reg.found')}: ${items.length}` : 'reg.found_none', 'info');
    for (const p of items) found.append(personRow(p));
  });

  function personRow(p) {
    const details = [];
    if (p.birth_date) details.push(h('span', { text: () => `${t('reg.born')} ${showDate(p.birth_date)}` }));
    if (p.gender) details.push(h('span', { text: codeText('gender', p.gender) }));
    if (p.citizenship) details.push(h('span', { text: codeText('countries', p.citizenship) }));
    const open = h('button', {
      type: 'button', class: 'button secondary', text: 'reg.use_person', attrs: { 'data-id': p.id },
      on: { click: () => useKnown(p, open) },
    });
    return h('li', { class: 'person-row' },
      h('div', {}, h('strong', { data: personName(p) }), h('div', { class: 'case-meta' }, details)),
      open);
  }

  async function useKnown(p, button) {
    button.setAttribute('aria-disabled', 'true');
    const res = await request(ctx, 'GET', `/persons/${encodeURIComponent(p.id)}/consents`);
    button.removeAttribute('aria-disabled');
    if (!ctx.alive()) return;
    if (!res || res.status !== 200) {
      setMessage(findMsg, statusKey(res), 'error');
      return;
    }
    const active = (res.body.items || []).some((c) => c.purpose === 'assistance' && c.state === 'active' &&
      !c.recipient_org && !c.recipient_type);
    st.person = p;
    st.known = true;
    st.steps = active ? ['case'] : ['consent', 'case'];
    caseWho.replaceChildren(live(h('span'), () => `${t('reg.for_person')}: ${personName(p)}`));
    consentWho.replaceChildren(live(h('span'), () => `${t('reg.for_person')}: ${personName(p)}`));
    caseConsentNote.hidden = !active;
    show(active ? 'case' : 'consent');
  }

  // ---- 1: consent --------------------------------------------------------------
  // A minor's consent is given by a guardian or legal representative,
  // named with the relation (the server knows the age and refuses
  // otherwise): those fields show when "given by" is not the person.
  const consentForm = buildForm('consent', {
    include: ['method', 'given_by', 'guardian_name', 'guardian_relation', 'given_on', 'expires', 'notes'],
    values: { given_on: today() }, prefix: 'consent',
  });
  const givenBy = consentForm.node.querySelector('#consent-given_by');
  const guardianFields = ['guardian_name', 'guardian_relation']
    .map((n) => consentForm.node.querySelector(`#consent-${n}`)?.closest('.field'));
  const syncGuardian = () => {
    const byGuardian = !!givenBy && givenBy.value !== '' && givenBy.value !== 'person';
    for (const f of guardianFields) {
      if (!f) continue;
      f.hidden = !byGuardian;
      if (!byGuardian) for (const i of f.querySelectorAll('input, select')) i.value = '';
    }
  };
  if (givenBy) {
    givenBy.addEventListener('change', syncGuardian);
    // Said as a condition: the person's age is not known yet here (for a
    // new person it is asked in the next step).
    givenBy.closest('.field').before(h('p', { class: 'hint', id: 'consent-minor-hint', text: 'consent.minor_if' }));
  }
  syncGuardian();
  // In the three languages at once, the page's own first.  An authority
  // that registers the person is itself the police (or the border,
  // customs...): its text says who records and who else may see.
  const explainKey = ctx.user.org && ctx.user.org.authority ? 'reg.consent_explain_authority' : 'reg.consent_explain';
  const explain = h('div', { class: 'explain', id: 'consent-explain' },
    [getLang(), ...LANGS.filter((l) => l !== getLang())].map((lang) => h('div', { class: 'explain-lang', attrs: { lang } },
      h('h3', { data: LANG_NAMES[lang] }),
      catalogue[explainKey][lang].split('\n').map((para) => h('p', { data: para })))));
  const agree = h('input', { type: 'checkbox', id: 'consent-agree', attrs: { 'aria-describedby': 'consent-explain' } });
  const consentWho = h('p', { class: 'who' });
  const purpose = h('p', { class: 'fixed-value' },
    h('span', { class: 'fixed-label', text: 'reg.purpose' }), ' ',
    h('strong', { text: codeText('consent_purpose', 'assistance') }));
  const consentShell = formShell({
    id: 'consent-form',
    title: 'reg.consent_title',
    fields: consentForm,
    submitKey: 'reg.continue',
    extra: h('div', {}, consentWho, h('p', { class: 'hint', text: 'reg.consent_lead' }), explain, purpose,
      h('div', { class: 'field check single agree' }, agree, h('label', { for: 'consent-agree', text: 'reg.consent_agree' }))),
    onSubmit: submitConsent,
  });
  const backToFind = h('button', { type: 'button', class: 'button secondary', text: 'reg.back', on: { click: () => show('find') } });
  consentShell.form.querySelector('.actions').append(backToFind);
  panels.consent.append(consentShell.form);

  async function submitConsent() {
    consentForm.clear();
    if (!agree.checked) {
      setMessage(consentForm.errorBox, 'reg.consent_needed');
      agree.setAttribute('aria-invalid', 'true');
      agree.focus();
      return;
    }
    agree.removeAttribute('aria-invalid');
    const { value, missing } = consentForm.read();
    if (missing.length) return;
    st.consentValue = { purpose: 'assistance', ...value };
    if (!st.person) {
      show('person');
      return;
    }
    // The person exists (a known one, or one created before a refused consent).
    if (await recordConsent(consentForm)) show('case');
  }

  async function recordConsent(form) {
    const res = await request(ctx, 'POST', `/persons/${encodeURIComponent(st.person.id)}/consents`, st.consentValue);
    if (!ctx.alive()) return false;
    if (res && res.status === 201) return true;
    show('consent');
    consentForm.showProblem(res);
    if (form !== consentForm) consentForm.focus();
    return false;
  }

  // ---- 2: the person -------------------------------------------------------------
  const personForm = buildForm('person', {
    primary: PERSON_PRIMARY, prefix: 'person', needOne: ['given_name', 'family_name', 'aliases'], values: fromContact?.phone ? { phones: [fromContact.phone] } : {},
  });
  const personShell = formShell({
    id: 'person-form', title: 'reg.person_title', fields: personForm, submitKey: 'reg.save_person', onSubmit: submitPerson,
  });
  const personBack = h('button', { type: 'button', class: 'button secondary', text: 'reg.back', on: { click: () => show('consent') } });
  personShell.form.querySelector('.actions').append(personBack);
  panels.person.append(personShell.form);

  // The server is asked to check for a likely duplicate first; when it
  // names candidates, the case worker picks one of them or registers anyway.
  const dupBox = h('div', { class: 'message', id: 'reg-duplicate', attrs: { role: 'alert' }, hidden: true });
  personShell.form.querySelector('.actions').before(dupBox);
  let registerAnyway = false;

  async function showCandidates(candidates) {
    const rows = [];
    for (const c of candidates) {
      const res = await request(ctx, 'GET', `/persons/${encodeURIComponent(c.id)}`);
      if (!ctx.alive()) return;
      if (!res || res.status !== 200) continue;
      const p = res.body;
      const use = h('button', { type: 'button', class: 'button secondary', attrs: { 'data-candidate': p.id }, text: 'reg.dup_use' });
      use.addEventListener('click', async () => {
        st.person = p;
        st.known = true;
        setMessage(dupBox, null);
        caseWho.replaceChildren(live(h('span'), () => `${t('reg.for_person')}: ${personName(st.person)}`));
        if (await recordConsent(personForm)) show('case');
      });
      rows.push(h('li', {},
        h('strong', { text: () => personName(p) }),
        p.birth_date ? h('span', { text: () => ` · ${t('persons.born')} ${showDate(p.birth_date)}` }) : null,
        h('span', { class: 'muted', text: () => ` · ${t('dup.score')}: ${Math.round(c.score * 100)}%` }), ' ', use));
    }
    const anyway = h('button', { type: 'button', class: 'button secondary', id: 'reg-dup-register', text: 'reg.dup_register' });
    anyway.addEventListener('click', () => {
      registerAnyway = true;
      setMessage(dupBox, null);
      submitPerson();
    });
    setMessage(dupBox, 'reg.dup_title', 'error', h('ul', { class: 'plain' }, rows), h('div', { class: 'actions' }, anyway));
  }

  async function submitPerson() {
    const { value, missing } = personForm.read();
    if (missing.length) return;
    if (!st.person) {
      const res = await request(ctx, 'POST', `/persons?duplicates=${registerAnyway ? 'register' : 'check'}`, value);
      if (!ctx.alive()) return;
      if (res && res.status === 409 && res.body && res.body.type === 'likely-duplicate') {
        await showCandidates(res.body.candidates || []);
        return;
      }
      if (!res || res.status !== 201) {
        personForm.showProblem(res);
        return;
      }
      st.person = res.body;
      personBack.hidden = true; // the person is registered: from here on, forward only
    }
    caseWho.replaceChildren(live(h('span'), () => `${t('reg.for_person')}: ${personName(st.person)}`));
    if (await recordConsent(personForm)) show('case');
  }

  // ---- 3: the case ------------------------------------------------------------------
  const caseForm = buildForm('case', {
    exclude: ['status', 'stage', 'person_id', 'assigned_to', 'previous_case_id'],
    primary: CASE_PRIMARY, values: { opened_on: today(), summary: fromContact?.notes || undefined }, prefix: 'case',
  });
  const caseWho = h('p', { class: 'who' });
  const caseConsentNote = h('p', { class: 'message info', text: 'reg.consent_on_file', hidden: true });
  const caseShell = formShell({
    id: 'case-form', title: 'reg.case_title', fields: caseForm, submitKey: 'reg.open_case',
    extra: h('div', {}, caseWho, caseConsentNote), onSubmit: submitCase,
  });
  panels.case.append(caseShell.form);

  async function submitCase() {
    const { value, missing } = caseForm.read();
    if (missing.length) return;
    const res = await request(ctx, 'POST', '/cases', { person_id: st.person.id, ...value });
    if (!ctx.alive()) return;
    if (!res || res.status !== 201) {
      caseForm.showProblem(res);
      return;
    }
    if (fromContact?.contact_id) {
      // The case exists whatever this answers; the contact can be attached later.
      await request(ctx, 'POST', `/contacts/${encodeURIComponent(fromContact.contact_id)}/attach`, { case_id: res.body.id });
      if (!ctx.alive()) return;
    }
    ctx.go(`#/cases/${encodeURIComponent(res.body.id)}`);
  }

  show('find');
  q.focus();
}
