// justice.js - two tabs of the case page (casepage.js): the criminal-
// justice track (perpetrators and criminal proceedings, moved stage by
// stage from the report to the verdict) and protection (risk assessments,
// safety plans, and the person's stays in the organisation's shelters:
// admission, discharge, free beds).  What a user may not read of the
// track arrives as {restricted: true} and shows as "recorded, for the
// authorities only".

import { t } from './i18n.js';
import { h, today, showDate, setMessage } from './dom.js';
import { buildForm, formShell, codeText, statusKey } from './forms.js';
import { request, badge, messageBox, heading } from './page.js';
import { problemType } from './api.js';

const SHELTER_WORKERS = ['caseworker', 'supervisor'];

const dateText = (key, v) => (v ? h('span', { text: () => `${t(key)} ${showDate(v)}` }) : null);
const line = (...parts) => h('p', { class: 'card-line' }, parts.filter(Boolean).map((p, i) => [i ? h('span', { class: 'sep', data: ' · ' }) : null, p]));
const prose = (v) => (v ? h('p', { class: 'prose', data: v }) : null);
const restricted = (key) => [h('p', { class: 'card-title restricted' }, h('span', { class: 'badge muted', text: 'jus.restricted' }), ' ', h('span', { text: key }))];

// ---- the criminal-justice track ---------------------------------------------------

export function justiceTab(ctx, panel, o) {
  const perpetrators = o.section({
    id: 'perpetrator', path: 'perpetrators', title: 'jus.perpetrators', empty: 'jus.perpetrators_empty',
    addKey: 'jus.add_perpetrator', saved: 'jus.saved_perpetrator', mayWrite: o.mayRecord,
    readOnlyNote: 'jus.who', forbidden: 'jus.forbidden',
    sort: (a, b) => (a.created_at < b.created_at ? -1 : 1),
    form: { resource: 'perpetrator', opts: { primary: ['given_name', 'family_name', 'role_in_process', 'role_details'] } },
    card: (p) => (p.restricted ? restricted('jus.perpetrator_restricted') : [
      h('p', { class: 'card-title' }, h('strong', { data: [p.given_name, p.patronymic, p.family_name].filter(Boolean).join(' ') || '—' })),
      h('p', { class: 'badges' }, (p.role_in_process || []).map((r) => badge('perpetrator_role', r, 'info'))),
      p.aliases && p.aliases.length ? line(h('span', { text: () => `${t('jus.aliases')}: ` }), h('span', { data: p.aliases.join(', ') })) : null,
      prose(p.role_details),
    ]),
  });
  const proceedings = o.section({
    id: 'proceeding', path: 'proceedings', title: 'jus.proceedings', empty: 'jus.proceedings_empty',
    addKey: 'jus.add_proceeding', saved: 'jus.saved_proceeding', mayWrite: o.mayRecord,
    forbidden: 'jus.forbidden',
    sort: (a, b) => ((a.reported_on || '') < (b.reported_on || '') ? 1 : -1),
    form: {
      resource: 'proceeding',
      opts: { include: ['article', 'case_number', 'reported_on', 'victim_role', 'protection_measures', 'notes'], values: { article: '130.1', reported_on: today() } },
    },
    card: (p) => (p.restricted ? restricted('jus.proceeding_restricted') : proceedingCard(ctx, p, o)),
  });
  panel.replaceChildren(perpetrators, proceedings);
}

function proceedingCard(ctx, p, o) {
  const parts = [
    h('p', { class: 'card-title' }, h('strong', { text: codeText('criminal_code_article', p.article) }), ' ',
      h('span', { class: `badge ${p.stage === 'conviction' ? 'ok' : p.stage === 'acquittal' ? 'muted' : 'info'}`, text: `jus.stage_${p.stage}`, attrs: { 'data-stage': p.stage } })),
    p.case_number ? line(h('span', { text: () => `${t('jus.case_number')} ${p.case_number}` })) : null,
    line(dateText('jus.reported', p.reported_on), dateText('jus.investigation', p.investigation_on),
      dateText('jus.court', p.court_on), p.verdict ? dateText(`jus.${p.verdict}`, p.verdict_on) : null),
    p.victim_role || (p.protection_measures || []).length ? line(
      p.victim_role ? h('span', { text: codeText('procedural_role', p.victim_role) }) : null,
      ...(p.protection_measures || []).map((m) => h('span', { text: codeText('protection_measure', m) }))) : null,
    p.sentence ? line(h('span', { text: () => `${t('jus.sentence')}: ${p.sentence}` })) : null,
    prose(p.notes),
  ];
  const next = o.stageNext[p.stage];
  if (o.mayRecord && next && !p.read_only) {
    const slot = h('div', { class: 'actions' });
    slot.append(h('button', {
      type: 'button', class: 'button secondary small', text: 'jus.next_stage', attrs: { 'data-action': 'next-stage' },
      on: { click: () => nextStageForm(ctx, p, next, slot, o) },
    }));
    parts.push(slot);
  }
  return parts;
}

// The date of the next stage (and for a verdict, which and the sentence).
function nextStageForm(ctx, p, next, slot, o) {
  const id = `next-${p.id}`;
  const date = h('input', { type: 'date', id: `${id}-date`, value: today(), attrs: { max: today() } });
  const verdict = h('select', { id: `${id}-verdict` });
  for (const v of ['conviction', 'acquittal']) verdict.append(h('option', { value: v, text: codeText('proceeding_verdict', v) }));
  const sentence = h('input', { type: 'text', id: `${id}-sentence`, attrs: { maxlength: 500 } });
  const msg = messageBox();
  const save = h('button', { type: 'submit', class: 'button primary', text: 'common.save', attrs: { 'data-action': 'save-stage' } });
  const isVerdict = next === 'verdict_on';
  const form = h('form', { class: 'stage-form', attrs: { novalidate: true } },
    h('div', { class: 'field' }, h('label', { for: `${id}-date`, text: `jus.date_${next}` }), date),
    isVerdict ? h('div', { class: 'field' }, h('label', { for: `${id}-verdict`, text: 'jus.verdict' }), verdict) : null,
    isVerdict ? h('div', { class: 'field' }, h('label', { for: `${id}-sentence`, text: 'jus.sentence' }), sentence) : null,
    msg, h('div', { class: 'actions' }, save, h('button', {
      type: 'button', class: 'button secondary', text: 'common.cancel', on: { click: () => o.refresh() },
    })));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const body = { [next]: date.value };
    if (isVerdict) {
      body.verdict = verdict.value;
      if (verdict.value === 'conviction' && sentence.value.trim()) body.sentence = sentence.value.trim();
    }
    save.setAttribute('aria-disabled', 'true');
    const r = await request(ctx, 'PATCH', `/proceedings/${encodeURIComponent(p.id)}`, body, { 'If-Match': `"${p.version}"` });
    save.removeAttribute('aria-disabled');
    if (!ctx.alive()) return;
    if (!r || r.status !== 200) {
      if (r && r.status === 422 && r.body && r.body.type === 'stage-order') setMessage(msg, 'jus.stage_order');
      else setMessage(msg, r && r.status === 412 ? 'error.stale_item' : statusKey(r));
      return;
    }
    setMessage(o.headMsg, 'jus.stage_saved', 'success');
    o.refresh();
  });
  slot.replaceChildren(form);
  date.focus();
}

// ---- protection: risks, safety, shelter ---------------------------------------------

export function protectionTab(ctx, panel, o) {
  const overdue = (x) => x.status === 'due' && x.review_on < today();
  const reviewBadges = (x) => [badge('followup_status', x.status || 'due'),
    overdue(x) ? h('span', { class: 'badge warn', text: 'prot.review_overdue' }) : null];
  const risks = o.section({
    id: 'risk', path: 'risk-assessments', title: 'prot.risks', empty: 'prot.risks_empty',
    addKey: 'prot.add_risk', saved: 'prot.saved_risk', mayWrite: o.editor,
    form: { resource: 'risk_assessment', opts: { include: ['level', 'assessed_on', 'review_on', 'threats', 'notes'], values: { assessed_on: today() } } },
    card: (x) => [
      h('p', { class: 'card-title' }, badge('risk_level', x.level, x.level === 'high' ? 'warn' : 'info'), ' ', ...reviewBadges(x)),
      line(dateText('prot.assessed', x.assessed_on), dateText('case.review_on', x.review_on)),
      prose(x.threats), prose(x.notes),
    ],
  });
  const plans = o.section({
    id: 'safety', path: 'safety-plans', title: 'prot.safety', empty: 'prot.safety_empty',
    addKey: 'prot.add_safety', saved: 'prot.saved_safety', mayWrite: o.editor,
    form: { resource: 'safety_plan', opts: { include: ['agreed_on', 'review_on', 'measures', 'emergency_contacts'], values: { agreed_on: today() } } },
    card: (x) => [
      h('p', { class: 'card-title' }, h('strong', { text: codeText('timeline_event_type', 'safety_plan') }), ' ', ...reviewBadges(x)),
      line(dateText('prot.agreed', x.agreed_on), dateText('case.review_on', x.review_on)),
      prose(x.measures), prose(x.emergency_contacts),
    ],
  });
  panel.replaceChildren(risks, plans);
  if (SHELTER_WORKERS.includes(ctx.user.role)) panel.append(staysSection(ctx, o));
}

// The person's stays in the shelters of the user's organisation, with a
// form to admit (a shelter with free beds) and to discharge.
function staysSection(ctx, o) {
  const section = h('section', { class: 'items-section', id: 'stay-section' }, h('p', { class: 'loading', attrs: { role: 'status' }, text: 'app.loading' }));
  (async () => {
    const r = await request(ctx, 'GET', `/directory/services?type=shelter&org=${encodeURIComponent(ctx.user.org.code)}&per_page=100`);
    if (!ctx.alive()) return;
    const msg = h('div', { class: 'message', attrs: { role: 'status' }, hidden: true });
    const list = h('ul', { class: 'cards', id: 'stay-list' });
    const formSlot = h('div');
    section.replaceChildren(heading(2, 'prot.stays'), msg, formSlot, list);
    if (!r || r.status !== 200) {
      setMessage(msg, statusKey(r), 'error');
      return;
    }
    const own = (r.body.items || []).filter((s) => s.organization && s.organization.code === ctx.user.org.code);
    if (!own.length) {
      setMessage(msg, 'prot.no_shelter', 'info');
      return;
    }
    const stays = [];
    for (const s of own) {
      const sr = await request(ctx, 'GET', `/directory/services/${encodeURIComponent(s.id)}/stays?all=1`);
      if (!ctx.alive()) return;
      if (sr && sr.status === 200) {
        s.free = sr.body.free;
        for (const st of sr.body.items || []) if (st.case_id === o.c.id) stays.push({ ...st, shelter: s });
      }
    }
    if (!stays.length) setMessage(msg, 'prot.stays_empty', 'info');
    for (const st of stays) list.append(h('li', { class: 'card', attrs: { 'data-id': st.id, 'data-status': st.status } }, stayCard(ctx, st, o)));
    const open = stays.some((st) => st.status === 'open');
    if (!open && ['Active', 'FollowUp'].includes(o.c.status)) formSlot.append(admitForm(ctx, own, o));
  })();
  return section;
}

function stayCard(ctx, st, o) {
  const parts = [
    h('p', { class: 'card-title' }, h('strong', { data: st.shelter.name || '' }), ' ',
      h('span', { class: `badge ${st.status === 'open' ? 'ok' : 'muted'}`, text: `prot.stay_${st.status}` })),
    st.eligibility_override ? h('p', { class: 'card-line' }, h('span', { class: 'badge warn', text: 'prot.admitted_anyway' })) : null,
    line(dateText('prot.admitted', st.admitted_on), h('span', { text: codeText('stay_admission_reason', st.admission_reason) }),
      dateText('prot.discharged', st.discharged_on), st.discharge_reason ? h('span', { text: codeText('stay_discharge_reason', st.discharge_reason) }) : null),
  ];
  if (st.status === 'open') {
    const slot = h('div', { class: 'actions' });
    slot.append(h('button', {
      type: 'button', class: 'button secondary small', text: 'prot.discharge', attrs: { 'data-action': 'discharge' },
      on: { click: () => {
        const fields = buildForm('discharge', { prefix: `dis-${st.id}`, values: { discharged_on: today() } });
        const shell = formShell({
          id: 'discharge-form', fields, submitKey: 'prot.discharge',
          onSubmit: async () => {
            const { value, missing } = fields.read();
            if (missing.length) return;
            const r = await request(ctx, 'POST', `/stays/${encodeURIComponent(st.id)}/discharge`, value);
            if (!ctx.alive()) return;
            if (!r || r.status !== 200) {
              fields.showProblem(r);
              return;
            }
            setMessage(o.headMsg, 'prot.discharged_saved', 'success');
            o.refresh();
          },
        });
        slot.replaceChildren(shell.form);
        fields.focus();
      } },
    }));
    parts.push(slot);
  }
  return parts;
}

function admitForm(ctx, shelters, o) {
  const slot = h('div', { class: 'add-slot' });
  const open = h('button', {
    type: 'button', class: 'button secondary', id: 'stay-add', text: 'prot.admit',
    on: { click: () => {
      open.hidden = true;
      const shelter = h('select', { id: 'stay-shelter', attrs: { 'aria-required': 'true' } });
      for (const s of shelters) {
        shelter.append(h('option', {
          value: s.id,
          text: () => `${s.name} — ${t('prot.free_beds')}: ${s.free ?? '—'}`,
          attrs: s.free === 0 ? { disabled: true } : {},
        }));
      }
      const fields = buildForm('stay', { prefix: 'stay', include: ['admitted_on', 'admission_reason', 'notes'], values: { admitted_on: today() } });
      const shell = formShell({
        id: 'stay-form', title: 'prot.admit', fields, submitKey: 'prot.admit',
        extra: h('div', { class: 'field' }, h('label', { for: 'stay-shelter', text: 'prot.shelter' }), shelter),
        onSubmit: async () => {
          const { value, missing } = fields.read();
          if (missing.length) return;
          const admit = (body) => request(ctx, 'POST', `/directory/services/${encodeURIComponent(shelter.value)}/stays`, body);
          let r = await admit({ ...value, case_id: o.c.id });
          if (!ctx.alive()) return;
          // The shelter does not take the person's gender or age: say so,
          // and admit only when the worker confirms (kept with the stay).
          if (r && r.status === 409 && r.body && r.body.type === 'eligibility-mismatch') {
            // What does not fit (gender or age), and why admit all the same.
            const why = h('textarea', { id: 'stay-eligibility-reason', attrs: { rows: '2', maxlength: '1000', 'aria-label': t('prot.anyway_reason') } });
            const anyway = h('button', { type: 'button', class: 'button secondary small', id: 'stay-anyway', text: 'prot.admit_anyway' });
            anyway.disabled = true;
            why.addEventListener('input', () => { anyway.disabled = !why.value.trim(); });
            setMessage(fields.errorBox, r.body.field === 'genders_served' ? 'prot.outside_gender' : 'prot.outside_age', 'warning',
              h('label', { class: 'block', for: 'stay-eligibility-reason', text: 'prot.anyway_reason' }), why, anyway);
            fields.errorBox.id = 'stay-eligibility';
            anyway.addEventListener('click', async () => {
              anyway.disabled = true;
              r = await admit({ ...value, case_id: o.c.id, eligibility_override: true, eligibility_reason: why.value.trim() });
              if (!ctx.alive()) return;
              anyway.disabled = false;
              if (!r || r.status !== 201) { fields.showProblem(r); return; }
              setMessage(o.headMsg, 'prot.admitted_saved', 'success');
              o.refresh();
            });
            return;
          }
          if (!r || r.status !== 201) {
            const said = { 'beds-full': 'prot.beds_full', 'already-admitted': 'prot.already_admitted', 'stay-overlap': 'prot.stay_overlap' };
            const type = r && r.status === 409 ? said[problemType(r.body)] : null;
            if (type === 'prot.already_admitted') {
              // Admitted meanwhile (by a colleague): the list shows the stay now.
              setMessage(o.headMsg, type, 'error');
              o.refresh();
            } else if (type) setMessage(fields.errorBox, type);
            else fields.showProblem(r);
            return;
          }
          setMessage(o.headMsg, 'prot.admitted_saved', 'success');
          o.refresh();
        },
      });
      shell.form.querySelector('.actions').append(h('button', {
        type: 'button', class: 'button secondary', text: 'common.cancel',
        on: { click: () => { shell.form.remove(); open.hidden = false; open.focus(); } },
      }));
      slot.append(shell.form);
      shelter.focus();
    } },
  });
  slot.append(open);
  return slot;
}
