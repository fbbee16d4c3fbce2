// plan.js - the national Action Plan on counter-trafficking (#/plan): every
// activity with its agencies, deadline, target, the value last reported
// and its status (done, on track, late, not started, as the server
// computes it); an agency reports progress on its own activities; the
// XLSX for the interagency meeting in the language of the page.  The plan
// itself is loaded from a file (`himoya plan load`, POST /plan).

import { t, getLang } from './i18n.js';
import { h, liveAttr, setMessage, showDate } from './dom.js';
import { buildForm, formShell, statusKey } from './forms.js';
import { request, prepare, heading } from './page.js';

const TONE = { done: 'ok', on_track: 'info', late: 'warn', not_started: 'neutral' };
const REPORTERS = ['supervisor', 'caseworker', 'focal_point'];

export async function planView(ctx) {
  ctx.title('plan.title');
  if (!(await prepare(ctx))) return;
  const msg = h('div', { class: 'message', id: 'plan-msg', attrs: { role: 'status' }, hidden: true });
  const out = h('div', { id: 'plan-out' });
  ctx.root.append(msg, out);

  async function show() {
    const r = await request(ctx, 'GET', '/plan');
    if (!ctx.alive()) return;
    if (!r || r.status !== 200) {
      out.replaceChildren();
      setMessage(msg, r && r.status === 404 ? 'plan.none' : statusKey(r), r && r.status === 404 ? 'info' : 'error');
      return;
    }
    const p = r.body;
    const coordinator = p.coordinator === ctx.user.org?.code;
    const title = () => p[`title_${getLang()}`] || p.title_en || p.plan;
    const rows = p.activities.map((a) => {
      const mayReport = REPORTERS.includes(ctx.user.role) && (a.own || (coordinator && ctx.user.role === 'supervisor'));
      const slot = h('div', { class: 'plan-report-slot' });
      const button = mayReport ? h('button', {
        type: 'button', class: 'button secondary small', text: 'plan.report', attrs: { 'data-action': 'report' },
        on: { click: () => reportForm(a, slot, button) },
      }) : null;
      return h('tr', { attrs: { 'data-number': a.number, 'data-status': a.status } },
        h('td', { data: a.number }),
        h('td', {}, h('span', { text: () => a[`text_${getLang()}`] || a.text_en }),
          a.sample ? h('span', { class: 'badge neutral', text: 'plan.sample' }) : null, slot),
        h('td', { data: [a.responsible, ...(a.partners || [])].join(', ') }),
        h('td', { text: () => showDate(a.deadline) }),
        h('td', { data: a.indicator ? `${a.indicator}: ${a.baseline ?? 0} → ${a.target}` : String(a.target) }),
        h('td', { data: a.last_report ? `${a.last_report.value} (${a.last_report.period})` : '—' }),
        h('td', {}, h('span', { class: `badge ${TONE[a.status]}`, text: `plan.status_${a.status}` }), ' ', button));
    });
    out.replaceChildren(
      h('h2', { id: 'plan-heading', text: title }),
      p.sample ? h('p', { class: 'hint', text: 'plan.sample_note' }) : null,
      h('p', {}, liveAttr(h('a', { id: 'plan-xlsx', attrs: { download: '' }, text: 'plan.xlsx' }), 'href',
        () => `/api/v1/plan/report.xlsx?lang=${getLang()}`)),
      h('table', { class: 'table', id: 'plan-table' },
        h('thead', {}, h('tr', {}, ['plan.number', 'plan.activity', 'plan.agencies', 'plan.deadline', 'plan.target', 'plan.reached', 'plan.status']
          .map((k) => h('th', { text: k })))),
        h('tbody', {}, rows)));
  }

  function reportForm(a, slot, button) {
    button.hidden = true;
    const fields = buildForm('plan_report', { prefix: `plan-${a.id}` });
    const { form } = formShell({
      id: `plan-form-${a.id}`, fields, submitKey: 'common.save',
      onSubmit: async () => {
        const { value, missing } = fields.read();
        if (missing.length) return;
        const res = await request(ctx, 'POST', `/plan/activities/${encodeURIComponent(a.id)}/reports`, value);
        if (!ctx.alive()) return;
        if (!res || res.status !== 201) {
          fields.showProblem(res);
          return;
        }
        setMessage(msg, 'plan.saved', 'success');
        show();
      },
    });
    slot.replaceChildren(form);
    fields.focus();
  }

  await show();
}
