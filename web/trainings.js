// trainings.js - capacity building (#/trainings): the organisation's
// training events, a form for a new one, and one event (#/trainings/ID)
// with its participants (agency type, sex, role, pre- and post-test
// scores; never a name), the mean score gain, and forms to add
// participants and change the event.  Trainers and supervisors only; the
// analyst sees these figures in the indicator report.

import { h, live, showDate, setMessage } from './dom.js';
import { buildForm, formShell, codeText, statusKey } from './forms.js';
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

function row(tr) {
  return h('tr', { class: 'training-row', attrs: { 'data-id': tr.id } },
    h('td', {}, h('a', { href: `#/trainings/${tr.id}`, data: tr.topic })),
    h('td', { data: `${showDate(tr.start)} – ${showDate(tr.end)}` }),
    h('td', { data: tr.place }),
    h('td', { data: tr.organiser ? tr.organiser.name : tr.organiser_org }),
    h('td', { class: 'num', data: String(tr.participants) }));
}

export async function trainingsView(ctx) {
  ctx.title('tr.title');
  if (!(await prepare(ctx))) return;
  const [res, orgs] = await Promise.all([request(ctx, 'GET', '/trainings'), orgOptions(ctx)]);
  if (!ctx.alive()) return;
  if (!res || res.status !== 200) {
    failed(ctx, res);
    return;
  }
  const list = res.body.items;
  const table = list.length
    ? h('table', { class: 'table', id: 'tr-list' },
      h('thead', {}, h('tr', {}, ...['tr.topic', 'tr.dates', 'tr.place', 'tr.organiser', 'tr.participants']
        .map((k) => h('th', { text: k })))),
      h('tbody', {}, list.map(row)))
    : h('p', { class: 'hint', id: 'tr-empty', text: 'tr.none' });
  const fields = buildForm('training', { prefix: 'tr-new' });
  organiserSelect(fields, orgs, ctx.user.org && ctx.user.org.code);
  const { form } = formShell({
    id: 'tr-new-form', title: 'tr.new', fields, submitKey: 'tr.create',
    onSubmit: async () => {
      const { value, missing } = fields.read();
      if (missing.length) return;
      const r = await request(ctx, 'POST', '/trainings', value);
      if (!ctx.alive()) return;
      if (r && r.status === 201) ctx.go(`#/trainings/${r.body.id}`);
      else fields.showProblem(r);
    },
  });
  ctx.root.append(h('section', { class: 'panel' }, heading(2, 'tr.list'), table), form);
}

function participantRow(p) {
  return h('tr', { class: 'participant-row' },
    live(h('td'), codeText('org_type', p.agency_type)),
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
  const summary = h('dl', { class: 'facts', id: 'tr-facts' },
    h('dt', { text: 'tr.dates' }), h('dd', { data: `${showDate(ev.start)} – ${showDate(ev.end)}` }),
    h('dt', { text: 'tr.place' }), h('dd', { data: ev.place }),
    h('dt', { text: 'tr.organiser' }), h('dd', { data: ev.organiser ? ev.organiser.name : ev.organiser_org }),
    h('dt', { text: 'tr.participants' }), h('dd', { id: 'tr-count', data: String(items.length) }),
    h('dt', { text: 'tr.mean_gain' }), h('dd', { id: 'tr-mean', data: mean === null ? '—' : mean.toFixed(1) }));
  const table = items.length
    ? h('table', { class: 'table', id: 'tr-participants' },
      h('thead', {}, h('tr', {}, ...['tr.agency', 'tr.sex', 'tr.role', 'tr.pre', 'tr.post', 'tr.gain']
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
  const ef = buildForm('training', { prefix: 'tr-edit', values: { ...ev, organiser_org: ev.organiser_org } });
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
