// prevention.js - prevention without a case (#/persons/ID/prevention): a
// woman migrant, a returnee or a family member left behind, registered
// with consent, gets TVET, counselling or information sessions; her
// household (members, who is abroad and where, remittances) is recorded
// and assessed on IOM's Determinants of Migrant Vulnerability.  Forms come
// from the declared fields (GET /schema); every sealed field the server
// sends is audited there.

import { t } from './i18n.js';
import { h, setMessage, today, showDate } from './dom.js';
import { buildForm, formShell, codeText, recordView, statusKey } from './forms.js';
import { request, prepare, failed, personName, badge, heading, patchForm } from './page.js';
import { knownElsewhere } from './known.js';

const WRITERS = ['caseworker', 'supervisor'];

export async function preventionView(ctx, personId) {
  ctx.title('prev.title');
  if (!(await prepare(ctx))) return;
  const pid = encodeURIComponent(personId);
  const person = await request(ctx, 'GET', `/persons/${pid}`);
  if (!ctx.alive()) return;
  if (!person || person.status !== 200) {
    failed(ctx, person);
    return;
  }
  const p = person.body;
  // A record merged into another takes nothing more (409 merged): its
  // records are read here, new ones go to the record kept.
  const mayWrite = WRITERS.includes(ctx.user.role) && !p.merged_into;
  const msg = h('div', { class: 'message', id: 'prev-msg', attrs: { role: 'status' }, hidden: true });
  const services = h('section', { class: 'panel', id: 'prev-services' });
  const households = h('section', { class: 'panel', id: 'prev-households' });
  // Known to another organisation of the network? (as on the case page)
  const known = mayWrite && !p.shared_view ? knownElsewhere(ctx, p.id) : null;
  ctx.root.append(
    h('p', { class: 'card-title' }, h('strong', { id: 'prev-person', text: () => personName(p) }), ' ',
      p.beneficiary_group ? badge('beneficiary_group', p.beneficiary_group, 'info') : null),
    ...(known ? [h('div', { class: 'actions' }, known.button), known.panel] : []),
    ...(p.merged_into ? [h('div', { class: 'message info', id: 'prev-merged', attrs: { role: 'status' } },
      h('span', { text: 'dup.merged_away' }), ' ',
      h('a', { href: `#/persons/${encodeURIComponent(p.merged_into)}/prevention`, id: 'prev-kept', text: 'dup.open_kept' }))] : []),
    msg, services, households);

  // "Edit" on a card: the record's form with its values, sent as the
  // changed fields with If-Match; a stale version says so.
  function editButton(li, it, spec) {
    const edit = h('button', { type: 'button', class: 'button secondary small', attrs: { 'data-action': 'edit' }, text: 'prev.edit' });
    edit.addEventListener('click', () => {
      const { form, fields } = patchForm(ctx, {
        id: `${spec.id}-edit-form`, resource: spec.resource, record: it, path: `${spec.patch}/${encodeURIComponent(it.id)}`,
        opts: { prefix: `${spec.id}-edit`, exclude: spec.exclude }, reloadId: `${spec.id}-reload`,
        saved: () => {
          setMessage(msg, 'prev.saved_change', 'success');
          section(spec.node, spec);
        },
        cancel: () => section(spec.node, spec),
      });
      li.replaceChildren(form);
      fields.focus();
    });
    return h('div', { class: 'actions' }, edit);
  }

  // A list with, for those who write, a form that opens with a button.
  function section(node, spec) {
    spec.node = node;
    (async () => {
      const r = await request(ctx, 'GET', spec.path);
      if (!ctx.alive()) return;
      const list = h('ul', { class: 'cards', id: `${spec.id}-list` });
      const slot = h('div', { class: 'add-slot' });
      node.replaceChildren(heading(spec.level || 2, spec.title), slot, list);
      if (!r || r.status !== 200) {
        setMessage(msg, statusKey(r), 'error');
        return;
      }
      const items = r.body.items || [];
      if (!items.length) list.append(h('li', { class: 'hint', text: spec.empty }));
      for (const it of items) {
        const li = h('li', { class: 'card', attrs: { 'data-id': it.id } }, spec.card(it));
        if (mayWrite && spec.patch) li.append(editButton(li, it, spec));
        list.append(li);
      }
      if (!mayWrite) return;
      const open = h('button', { type: 'button', class: 'button secondary', id: `${spec.id}-add`, text: spec.addKey });
      open.addEventListener('click', () => {
        open.hidden = true;
        const fields = buildForm(spec.resource, { prefix: spec.id, values: spec.values || {}, exclude: spec.exclude });
        const { form } = formShell({
          id: `${spec.id}-form`, fields, submitKey: 'common.save',
          onSubmit: async () => {
            const { value, missing } = fields.read();
            if (missing.length) return;
            const res = await request(ctx, 'POST', spec.path, value);
            if (!ctx.alive()) return;
            if (!res || res.status !== 201) {
              if (res && res.status === 409 && res.body?.type === 'consent-required') setMessage(fields.errorBox, 'prev.consent_needed', 'error');
              else fields.showProblem(res);
              return;
            }
            setMessage(msg, spec.saved, 'success');
            section(node, spec);
          },
        });
        slot.append(form);
        fields.focus();
      });
      slot.append(open);
    })();
  }

  section(services, {
    id: 'prevservice', path: `/persons/${pid}/prevention-services`, resource: 'prevention_service', patch: '/prevention-services',
    title: 'prev.services', empty: 'prev.services_empty', addKey: 'prev.add_service', saved: 'prev.saved_service',
    values: { status: 'planned', start: today() },
    card: (s) => [
      h('p', { class: 'card-title' }, h('strong', { text: codeText('prevention_service_type', s.type) }), ' ',
        badge('service_status', s.status, 'info')),
      recordView('prevention_service', s, ['start', 'end', 'provider_org', 'trade', 'notes']),
    ],
  });

  section(households, {
    id: 'household', path: `/persons/${pid}/households`, resource: 'household', patch: '/households',
    title: 'prev.households', empty: 'prev.households_empty', addKey: 'prev.add_household', saved: 'prev.saved_household',
    card: (hh) => {
      const assess = h('section', { class: 'assessments', id: `assess-${hh.id}` });
      section(assess, {
        id: `assess-${hh.id}`, level: 3, path: `/households/${encodeURIComponent(hh.id)}/assessments`,
        resource: 'vulnerability_assessment', exclude: ['household_id'], patch: '/domv-assessments',
        title: 'prev.assessments', empty: 'prev.assessments_empty', addKey: 'prev.add_assessment', saved: 'prev.saved_assessment',
        values: { date: today() },
        card: (a) => [
          h('p', { class: 'card-title' }, h('strong', { text: () => `${t('prev.vulnerability')} ` }),
            badge('vulnerability_rating', a.rating, a.rating === 'high' ? 'warn' : 'info'), ' ',
            h('span', { class: 'muted', text: () => showDate(a.date) })),
          h('ul', { class: 'plain domv' }, (a.factors || []).map((f) => h('li', { attrs: { 'data-level': f.level, 'data-kind': f.kind } },
            badge('vulnerability_level_domv', f.level, 'neutral'), ' ', badge('vulnerability_factor_kind', f.kind, f.kind === 'risk' ? 'warn' : 'ok'),
            ' ', h('span', { data: f.factor })))),
          recordView('vulnerability_assessment', a, ['notes']),
        ],
      });
      return [
        h('p', { class: 'card-title' }, h('strong', { text: codeText('tj_regions_iso3166_2', hh.region) }), ' ',
          hh.remittance_dependence ? badge('remittance_dependence', hh.remittance_dependence, 'info') : null),
        recordView('household', hh, ['district', 'members', 'remittance_monthly', 'notes']),
        assess,
      ];
    },
  });
}
