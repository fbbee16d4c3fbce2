// screening.js - the Delphi screening questionnaire (#/cases/ID/screening):
// the ILO/EC operational indicators grouped by dimension, each answered
// yes, no, unknown or declined.  Whether the person was a child when
// recruited comes from the dates (birth date or estimated age, date of
// recruitment): the screener ticks it only when no age is known.  The
// server applies the published combination rule and answers with each
// dimension's result, the items that made it positive, the child flag
// with its reason, and a suggested classification, shown here as what it
// is: a suggestion, never the official status.

import { t } from './i18n.js';
import { h, live, setMessage, showDate } from './dom.js';
import { schema, statusKey } from './forms.js';
import { request, prepare, failed, personName, heading } from './page.js';

const SET = 'delphi-adult-labour';
const ANSWERS = ['yes', 'no', 'unknown', 'declined'];

export async function screeningView(ctx, id) {
  ctx.title('scr.title');
  if (!(await prepare(ctx))) return;
  const casePath = `/cases/${encodeURIComponent(id)}`;
  const res = await request(ctx, 'GET', casePath);
  if (!ctx.alive()) return;
  if (!res || res.status !== 200) {
    failed(ctx, res);
    return;
  }
  const c = res.body;
  const set = schema().indicators?.[SET];
  if (!set) {
    failed(ctx, { status: 500 });
    return;
  }
  ctx.title(() => `${t('scr.title')}: ${personName(c.person)}`);

  const back = h('a', { class: 'button secondary', href: `#${casePath}`, text: 'scr.back' });
  const child = h('input', { type: 'checkbox', id: 'scr-child' });
  const msg = h('div', { class: 'message error', attrs: { role: 'alert' }, hidden: true });
  const submit = h('button', { type: 'submit', class: 'button primary', id: 'scr-submit', text: 'scr.submit' });
  const counter = h('p', { class: 'hint', id: 'scr-count', attrs: { 'aria-live': 'polite' } });
  const form = h('form', { class: 'screening', id: 'screening-form', attrs: { novalidate: true } },
    h('div', { class: 'panel intro' },
      h('p', { text: 'scr.lead' }),
      h('p', { class: 'hint', text: 'scr.unanswered_hint' }),
      h('div', { class: 'field check single' }, child, h('label', { for: 'scr-child', text: 'scr.child_stated' }))));

  for (const dim of set.dimensions) {
    const items = set.items.filter((it) => it.dimension === dim.code);
    const fs = h('fieldset', { class: 'panel dimension', id: `scr-${dim.code}` },
      h('legend', {}, h('span', { class: 'dim-code', data: dim.code }), ' ', h('span', { text: dim })));
    for (const it of items) fs.append(itemRow(it));
    form.append(fs);
  }
  const result = h('section', { class: 'panel result', id: 'scr-result', hidden: true, attrs: { tabindex: '-1' } });
  form.append(msg, h('div', { class: 'actions sticky-actions' }, submit, back), counter);
  ctx.root.append(form, result);

  const count = () => live(counter, () => {
    const n = form.querySelectorAll('input[type=radio]:checked').length;
    return `${t('scr.answered')}: ${n} / ${set.items.length}`;
  });
  form.addEventListener('change', count);
  count();

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (submit.getAttribute('aria-disabled') === 'true') return;
    const answers = {};
    for (const r of form.querySelectorAll('input[type=radio]:checked')) answers[r.name] = r.value;
    if (Object.keys(answers).length === 0) {
      setMessage(msg, 'scr.none_answered');
      return;
    }
    setMessage(msg, null);
    submit.setAttribute('aria-disabled', 'true');
    // Sent only when ticked: the dates decide whenever an age is known.
    const body = { instrument: SET, answers };
    if (child.checked) body.child = true;
    const r = await request(ctx, 'POST', `${casePath}/screenings`, body);
    submit.removeAttribute('aria-disabled');
    if (!ctx.alive()) return;
    if (r && r.status === 422 && /^child:/.test(r.body?.detail || '')) {
      setMessage(msg, 'scr.child_conflict');
      return;
    }
    if (!r || r.status !== 201) {
      setMessage(msg, statusKey(r));
      return;
    }
    form.hidden = true;
    showResult(r.body);
  });

  function showResult(s) {
    const dims = h('ul', { class: 'dim-results', id: 'scr-dims' });
    for (const dim of set.dimensions) {
      const on = Boolean(s.dimensions && s.dimensions[dim.code]);
      dims.append(h('li', { class: on ? 'on' : 'off', attrs: { 'data-dim': dim.code } },
        h('span', { class: 'dim-mark', attrs: { 'aria-hidden': 'true' }, data: on ? '●' : '○' }),
        h('span', {}, h('span', { class: 'dim-code', data: dim.code }), ' ', h('span', { text: dim })),
        h('strong', { class: 'dim-verdict', text: on ? 'scr.dim_on' : 'scr.dim_off' }),
        on ? becauseList(set, s.because, dim.code) : null));
    }
    result.replaceChildren(
      heading(2, 'scr.result_title'),
      h('p', { class: `child-flag ${s.child ? 'is-child' : ''}`, id: 'scr-child-reason', text: childReasonText(s) }),
      h('div', { class: `suggestion sugg-${s.suggestion}`, id: 'scr-suggestion' },
        h('p', { class: 'sugg-label', text: 'scr.suggestion_label' }),
        h('p', { class: 'sugg-value', text: `scr.sugg_${s.suggestion}` }),
        h('p', { class: 'sugg-note', text: 'scr.not_official' })),
      heading(3, 'scr.by_dimension'),
      dims,
      h('div', { class: 'actions' }, h('a', { class: 'button primary', href: `#${casePath}`, id: 'scr-done', text: 'scr.back' })));
    result.hidden = false;
    result.focus();
  }
}

function itemRow(it) {
  const name = it.code;
  const group = h('div', { class: 'answers', attrs: { role: 'radiogroup', 'aria-labelledby': `q-${name}` } });
  for (const a of ANSWERS) {
    const rid = `scr-${name}-${a}`;
    group.append(h('span', { class: 'answer' },
      h('input', { type: 'radio', id: rid, name, value: a }),
      h('label', { for: rid, text: `scr.ans_${a}` })));
  }
  return h('div', { class: 'question', attrs: { 'data-code': it.code } },
    h('p', { class: 'q-text', id: `q-${name}` },
      h('span', { text: it }),
      h('span', { class: `strength ${it.strength}`, text: `scr.strength_${it.strength}` })),
    group);
}

// The child flag of a screening with its reason, as a text function:
// "A child (under 18): age 15, when recruited, 12.01.2021 (from the date
// of birth)".
export function childReasonText(s) {
  return () => {
    const head = t(s.child ? 'scr.child_yes' : 'scr.child_no');
    const r = s.child_reason;
    if (!r) return head;
    if (r.basis === 'stated' || r.basis === 'unknown') return `${head} (${t(`scr.reason_${r.basis}`)})`;
    return `${head}: ${t('scr.reason_age')} ${r.age}, ${t(`scr.reason_at_${r.at}`)} ${showDate(r.on)}`
      + ` (${t(`scr.reason_basis_${r.basis}`)})`;
  };
}

// The items answered yes that made dimension `dim` positive, by their
// text in the indicator set; null when the answer has none.
export function becauseList(set, because, dim) {
  const codes = (because && because[dim]) || [];
  if (!codes.length) return null;
  const items = codes.map((code) => set.items.find((it) => it.code === code) || { code, unknown: true });
  return h('div', { class: 'because', attrs: { 'data-because': dim } },
    h('span', { class: 'hint', text: 'scr.because' }),
    h('ul', {}, items.map((it) => h('li', { attrs: { 'data-code': it.code } },
      h('span', { class: 'dim-code', data: it.code }), ' ', it.unknown ? null : h('span', { text: it })))));
}
