// trainings.js - capacity building (#/trainings): the organisation's
// training events, a form for a new one, and one event (#/trainings/ID)
// with its participants (agency type, sex, role, pre- and post-test
// scores; never a name), the mean score gain, and forms to add
// participants and change the event.  Trainers and supervisors only; the
// analyst sees these figures in the indicator report.  A study visit is a
// training of its own kind (POST /study-visits: destination country and
// city, host organisation, purpose); the list filters by kind.

import { h, live, liveAttr, showDate, setMessage } from './dom.js';
import { buildForm, formShell, codeList, codeText, statusKey } from './forms.js';
import { request, prepare, failed, heading, messageBox } from './page.js';

// The organisations, to choose an organiser (GET /orgs).
async function orgOptions(ctx) {
  const res = await request(ctx, 'GET', '/orgs');
  return res && res.status === 200 ? (res.body.items || []) : [];
}

// An organiser select in place of the form's free-text input.
function organiserSelect(fields, orgs, current) {
  const ctl = fields.controls.find((c) => c.field.name === 'organiser_org');
  if (!ctl) return;
  const input = ctl.node.querySelector('input');
  if (!input) return;
  const sel = h('select', { id: input.id },
    orgs.map((o) => h('option', { value: o.code, data: `${o.name} (${o.code})` })));
  if (current) sel.value = current;
  input.replaceWith(sel);
  ctl.get = () => sel.value || undefined;
}

const isVisit = (tr) => tr.kind === 'study_visit';
// A cell that names its column on a phone, where the rows stack
// (style.css .stack-table).
const cell = (key, node) => liveAttr(node, 'data-label', key);

function row(tr) {
  return h('tr', { class: 'training-row', attrs: { 'data-id': tr.id, 'data-kind': tr.kind } },
    h('td', { class: 'stack-head' }, h('a', { href: `#/trainings/${tr.id}`, data: tr.topic })),
    cell('tr.kind', live(h('td'), codeText('training_kind', tr.kind))),
    cell('tr.dates', h('td', { data: `${showDate(tr.start)} – ${showDate(tr.end)}` })),
    cell('tr.place', isVisit(tr) ? live(h('td'), () => `${tr.place}, ${codeText('countries', tr.country)()}`) : h('td', { data: tr.place })),
    cell('tr.organiser', h('td', { data: tr.organiser ? tr.organiser.name : tr.organiser_org })),
    cell('tr.participants', h('td', { class: 'num', data: String(tr.participants) })));
}

// A form for a new event of one kind: the schema, the route, the texts.
function newEventForm(ctx, orgs, { schema, prefix, path, title }) {
  const fields = buildForm(schema, { prefix });
  organiserSelect(fields, orgs, ctx.user.org && ctx.user.org.code);
  const { form } = formShell({
    id: `${prefix}-form`, title, fields, submitKey: 'tr.create',
    onSubmit: async () => {
      const { value, missing } = fields.read();
      if (missing.length) return;
      const r = await request(ctx, 'POST', path, value);
      if (!ctx.alive()) return;
      if (r && r.status === 201) ctx.go(`#/trainings/${r.body.id}`);
      else fields.showProblem(r);
    },
  });
  return form;
}

export async function trainingsView(ctx) {
  ctx.title('tr.title');
  if (!(await prepare(ctx))) return;
  const orgs = await orgOptions(ctx);
  if (!ctx.alive()) return;
  const kind = h('select', { id: 'tr-kind' },
    h('option', { value: '', text: 'tr.kind_all' }),
    codeList('training_kind').map((c) => h('option', { value: c.code, text: c })));
  const out = h('div', { id: 'tr-out' });

  async function show() {
    const res = await request(ctx, 'GET', kind.value ? `/trainings?kind=${kind.value}` : '/trainings');
    if (!ctx.alive()) return;
    if (!res || res.status !== 200) {
      failed(ctx, res);
      return;
    }
    const list = res.body.items;
    out.replaceChildren(list.length
      ? h('div', { class: 'table-wrap' }, h('table', { class: 'table stack-table', id: 'tr-list' },
        h('thead', {}, h('tr', {}, ...['tr.topic', 'tr.kind', 'tr.dates', 'tr.place', 'tr.organiser', 'tr.participants']
          .map((k) => h('th', { text: k })))),
        h('tbody', {}, list.map(row))))
      : h('p', { class: 'hint', id: 'tr-empty', text: 'tr.none' }));
  }
  kind.addEventListener('change', show);
  ctx.root.append(
    h('section', { class: 'panel' }, heading(2, 'tr.list'),
      h('div', { class: 'filters' }, h('div', { class: 'field' }, h('label', { for: 'tr-kind', text: 'tr.kind' }), kind)),
      out),
    newEventForm(ctx, orgs, { schema: 'training', prefix: 'tr-new', path: '/trainings', title: 'tr.new' }),
    newEventForm(ctx, orgs, { schema: 'study_visit', prefix: 'sv-new', path: '/study-visits', title: 'tr.new_visit' }));
  await show();
}

function participantRow(p) {
  return h('tr', { class: 'participant-row' },
    live(h('td'), codeText('org_type', p.agency_type)),
    live(h('td'), p.sector ? codeText('sector', p.sector) : () => '—'),
    live(h('td'), codeText('gender', p.sex)),
    live(h('td'), codeText('training_role', p.role)),
    h('td', { class: 'num', data: p.pre_score === null ? '—' : String(p.pre_score) }),
    h('td', { class: 'num', data: p.post_score === null ? '—' : String(p.post_score) }),
    h('td', { class: 'num', data: p.gain === null ? '—' : (p.gain > 0 ? `+${p.gain}` : String(p.gain)) }));
}

function meanGain(items) {
  const scored = items.filter((p) => p.gain !== null);
  if (!scored.length) return null;
  return scored.reduce((s, p) => s + p.gain, 0) / scored.length;
}

export async function trainingPageView(ctx, id) {
  ctx.title('tr.event');
  if (!(await prepare(ctx))) return;
  const [tr, parts, orgs] = await Promise.all([
    request(ctx, 'GET', `/trainings/${encodeURIComponent(id)}`),
    request(ctx, 'GET', `/trainings/${encodeURIComponent(id)}/participants`),
    orgOptions(ctx)]);
  if (!ctx.alive()) return;
  if (!tr || tr.status !== 200 || !parts || parts.status !== 200) {
    failed(ctx, tr && tr.status !== 200 ? tr : parts);
    return;
  }
  const ev = tr.body;
  const version = ev.version;
  ctx.title(() => ev.topic);
  const items = parts.body.items;
  const mean = meanGain(items);
  const visit = isVisit(ev);
  const summary = h('dl', { class: 'facts', id: 'tr-facts' },
    h('dt', { text: 'tr.kind' }), live(h('dd'), codeText('training_kind', ev.kind)),
    h('dt', { text: 'tr.dates' }), h('dd', { data: `${showDate(ev.start)} – ${showDate(ev.end)}` }),
    visit ? [h('dt', { text: 'tr.country' }), live(h('dd', { id: 'tr-country' }), codeText('countries', ev.country)),
      h('dt', { text: 'tr.host' }), h('dd', { id: 'tr-host', data: ev.host }),
      h('dt', { text: 'tr.purpose' }), h('dd', { data: ev.purpose || '—' })] : null,
    h('dt', { text: visit ? 'tr.city' : 'tr.place' }), h('dd', { data: ev.place }),
    h('dt', { text: 'tr.organiser' }), h('dd', { data: ev.organiser ? ev.organiser.name : ev.organiser_org }),
    h('dt', { text: 'tr.participants' }), h('dd', { id: 'tr-count', data: String(items.length) }),
    h('dt', { text: 'tr.mean_gain' }), h('dd', { id: 'tr-mean', data: mean === null ? '—' : mean.toFixed(1) }));
  const table = items.length
    ? h('table', { class: 'table', id: 'tr-participants' },
      h('thead', {}, h('tr', {}, ...['tr.agency', 'tr.sector', 'tr.sex', 'tr.role', 'tr.pre', 'tr.post', 'tr.gain']
        .map((k) => h('th', { text: k })))),
      h('tbody', {}, items.map(participantRow)))
    : h('p', { class: 'hint', text: 'tr.no_participants' });
  const pf = buildForm('participant', { prefix: 'tr-p' });
  const { form: addForm } = formShell({
    id: 'tr-p-form', title: 'tr.add_participant', fields: pf, submitKey: 'tr.add',
    onSubmit: async () => {
      const { value, missing } = pf.read();
      if (missing.length) return;
      const r = await request(ctx, 'POST', `/trainings/${encodeURIComponent(id)}/participants`, value);
      if (!ctx.alive()) return;
      if (r && r.status === 201) ctx.go(location.hash);
      else pf.showProblem(r);
    },
  });
  const ef = buildForm(visit ? 'study_visit' : 'training', { prefix: 'tr-edit', values: { ...ev, organiser_org: ev.organiser_org } });
  organiserSelect(ef, orgs, ev.organiser_org);
  const msg = messageBox();
  const { form: editForm } = formShell({
    id: 'tr-edit-form', title: 'tr.edit', fields: ef, submitKey: 'common.save',
    onSubmit: async () => {
      const { value, missing } = ef.read();
      if (missing.length) return;
      const r = await request(ctx, 'PATCH', `/trainings/${encodeURIComponent(id)}`, value,
        { 'If-Match': `"${version}"` });
      if (!ctx.alive()) return;
      if (r && r.status === 200) ctx.go(location.hash);
      else if (r && r.status === 412) setMessage(msg, 'tr.stale');
      else if (r && r.status === 403) setMessage(msg, statusKey(r));
      else ef.showProblem(r);
    },
  });
  ctx.root.append(
    h('p', {}, h('a', { href: '#/trainings', text: 'tr.back' })),
    h('section', { class: 'panel' }, summary),
    h('section', { class: 'panel' }, heading(2, 'tr.participants'), h('p', { class: 'hint', text: 'tr.no_names' }), table),
    addForm,
    h('details', { class: 'panel' }, h('summary', { text: 'tr.edit' }), msg, editForm));
}
