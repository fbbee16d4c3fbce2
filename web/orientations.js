// orientations.js - pre-departure orientation sessions (#/orientations):
// when, where, for which destination, and how many women and men came,
// never who.  The form comes from the declared fields (GET /schema).

import { h, setMessage, showDate } from './dom.js';
import { buildForm, formShell, codeText, statusKey } from './forms.js';
import { request, prepare, heading } from './page.js';

export async function orientationsView(ctx) {
  ctx.title('ori.title');
  if (!(await prepare(ctx))) return;
  const msg = h('div', { class: 'message', id: 'ori-msg', attrs: { role: 'status' }, hidden: true });
  const slot = h('div', { class: 'add-slot' });
  const list = h('tbody', { id: 'ori-list' });
  ctx.root.append(msg, slot, h('table', { class: 'table', id: 'ori-table' },
    h('thead', {}, h('tr', {}, ['ori.date', 'ori.place', 'ori.destination', 'ori.women', 'ori.men'].map((k) => h('th', { text: k })))),
    list));

  async function load() {
    const r = await request(ctx, 'GET', '/orientations');
    if (!ctx.alive()) return;
    if (!r || r.status !== 200) {
      setMessage(msg, statusKey(r), 'error');
      return;
    }
    list.replaceChildren(...r.body.items.map((o) => h('tr', { attrs: { 'data-id': o.id } },
      h('td', { text: () => showDate(o.date) }),
      h('td', { data: [o.place, o.region ? codeText('tj_regions_iso3166_2', o.region)() : ''].filter(Boolean).join(', ') }),
      h('td', { text: o.destination ? codeText('countries', o.destination) : () => '—' }),
      h('td', { data: String(o.women) }), h('td', { data: String(o.men) }))));
  }

  const open = h('button', { type: 'button', class: 'button secondary', id: 'ori-add', text: 'ori.add' });
  open.addEventListener('click', () => {
    open.hidden = true;
    const fields = buildForm('orientation', { prefix: 'ori' });
    const { form } = formShell({
      id: 'ori-form', title: 'ori.add', fields, submitKey: 'common.save',
      onSubmit: async () => {
        const { value, missing } = fields.read();
        if (missing.length) return;
        const res = await request(ctx, 'POST', '/orientations', value);
        if (!ctx.alive()) return;
        if (!res || res.status !== 201) {
          fields.showProblem(res);
          return;
        }
        setMessage(msg, 'ori.saved', 'success');
        form.remove();
        open.hidden = false;
        load();
      },
    });
    slot.append(form);
    fields.focus();
  });
  slot.append(open);
  ctx.root.prepend(heading(2, 'ori.title'));
  await load();
}
