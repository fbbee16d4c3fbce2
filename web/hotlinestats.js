// hotlinestats.js - the supervisor's hotline statistics (#/hotstats):
// contacts per day, by channel, topic, call type and action, and the
// callbacks due and overdue, for a period (GET /contacts/stats).
// Charts are small inline SVG drawn here, each with the same figures
// as a table beside it for screen readers and for copying.

import { t } from './i18n.js';
import { h, setMessage, today, showDate, dateInput, dateText, dayOf } from './dom.js';
import { statusKey } from './forms.js';
import { request, prepare } from './page.js';
import { hotText } from './hotcodes.js';

// The SVG namespace is a name, not an address; written in two parts so
// that no tool mistakes it for a link to another site.
const SVG_NS = 'http:/' + '/www.w3.org/2000/svg';

const state = { from: null, to: null };

function svg(tag, attrs = {}, ...children) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [a, v] of Object.entries(attrs)) node.setAttribute(a, String(v));
  for (const c of children) if (c) node.append(c);
  return node;
}

function dayOffset(offset) {
  const d = new Date();
  d.setDate(d.getDate() + offset);
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

export async function hotlineStatsView(ctx) {
  ctx.title('hs.title');
  if (!(await prepare(ctx))) return;
  if (!state.from) {
    state.from = dayOffset(-29);
    state.to = today();
  }

  const from = dateInput({ id: 'hs-from' }, state.from);
  const to = dateInput({ id: 'hs-to' }, state.to);
  const quick = (days, key) => h('button', {
    type: 'button', class: 'button secondary small', id: `hs-last-${days}`, text: key,
    on: {
      click: () => {
        from.value = dateText(dayOffset(-(days - 1)));
        to.value = dateText(today());
        show();
      },
    },
  });
  const filters = h('form', { class: 'filters panel', id: 'hs-filters' },
    h('div', { class: 'filter' }, h('label', { for: 'hs-from', text: 'hs.from' }), from),
    h('div', { class: 'filter' }, h('label', { for: 'hs-to', text: 'hs.to' }), to),
    h('div', { class: 'filter' }, h('button', { type: 'submit', class: 'button primary', id: 'hs-show', text: 'hs.show' })),
    h('div', { class: 'filter hs-quick' }, quick(7, 'hs.last_7'), quick(30, 'hs.last_30'), quick(90, 'hs.last_90')));
  const message = h('div', { class: 'message', id: 'hs-msg', attrs: { role: 'alert' }, hidden: true });
  const out = h('div', { class: 'hs-out', id: 'hs-out', attrs: { 'aria-live': 'polite' } });
  ctx.root.append(filters, message, out);

  filters.addEventListener('submit', (e) => {
    e.preventDefault();
    show();
  });

  async function show() {
    const [fromDay, toDay] = [dayOf(from), dayOf(to)];
    for (const [box, day] of [[from, fromDay], [to, toDay]]) {
      if (day === null) box.setAttribute('aria-invalid', 'true');
      else box.removeAttribute('aria-invalid');
    }
    if (fromDay === null || toDay === null) {
      setMessage(message, 'dash.bad_date');
      (fromDay === null ? from : to).focus();
      return;
    }
    if (fromDay && toDay && fromDay > toDay) {
      setMessage(message, 'hs.bad_period');
      from.focus();
      return;
    }
    state.from = fromDay;
    state.to = toDay;
    const params = new URLSearchParams();
    if (state.from) params.set('from', state.from);
    if (state.to) params.set('to', state.to);
    out.setAttribute('aria-busy', 'true');
    const res = await request(ctx, 'GET', `/contacts/stats?${params}`);
    if (!ctx.alive()) return;
    out.removeAttribute('aria-busy');
    out.replaceChildren();
    if (!res || res.status !== 200 || !res.body) {
      setMessage(message, statusKey(res));
      return;
    }
    setMessage(message, null);
    draw(res.body);
  }

  function draw(s) {
    const cb = s.callbacks || {};
    out.append(
      h('section', { class: 'panel stats', attrs: { 'aria-labelledby': 'hs-totals' } },
        h('h2', { id: 'hs-totals', text: () => `${t('hs.period')}: ${showDate(s.from || state.from)} – ${showDate(s.to || state.to)}` }),
        h('dl', { class: 'figures' },
          figure('hs-total', 'hs.total', s.total),
          figure('hs-cb-due', 'hs.cb_due', cb.due),
          figure('hs-cb-overdue', 'hs.cb_overdue', cb.overdue, (cb.overdue || 0) > 0 ? 'warn' : ''),
          figure('hs-cb-open', 'hs.cb_open', cb.open))),
      dayChart(Array.isArray(s.by_day) ? s.by_day : []),
      breakdown('hs-channel', 'hs.by_channel', 'channel', s.by_channel),
      breakdown('hs-call-type', 'hs.by_call_type', 'call_type', s.by_call_type),
      breakdown('hs-topic', 'hs.by_topic', 'topic', s.by_topic),
      breakdown('hs-action', 'hs.by_action', 'action', s.by_action));
  }

  await show();
}

function figure(id, key, value, tone) {
  return h('div', { class: `figure ${tone || ''}`, id },
    h('dt', { text: key }), h('dd', { data: String(Number(value) || 0) }));
}

// Contacts per day: one column a day, every day of the period (a day
// without contacts is a gap, not a missing column).
function dayChart(days) {
  const counts = new Map(days.map((d) => [d.day, Number(d.count) || 0]));
  const all = [];
  if (days.length) {
    const first = new Date(`${days[0].day}T00:00:00Z`);
    const lastDay = new Date(`${days[days.length - 1].day}T00:00:00Z`);
    for (let d = first; d <= lastDay && all.length < 400; d = new Date(d.getTime() + 86400000)) {
      const key = d.toISOString().slice(0, 10);
      all.push({ day: key, count: counts.get(key) || 0 });
    }
  }
  const max = Math.max(1, ...all.map((d) => d.count));
  const W = 600;
  const H = 160;
  const bw = all.length ? W / all.length : W;
  const chart = svg('svg', {
    viewBox: `0 0 ${W} ${H}`, class: 'hs-chart hs-days', role: 'img', preserveAspectRatio: 'none',
  });
  const title = svg('title');
  title.textContent = t('hs.by_day');
  chart.append(title);
  chart.append(svg('line', { x1: 0, y1: H, x2: W, y2: H, class: 'hs-axis' }));
  all.forEach((d, i) => {
    const bh = Math.round((d.count / max) * (H - 10));
    const bar = svg('rect', {
      x: (i * bw + bw * 0.1).toFixed(1), y: H - bh, width: Math.max(1, bw * 0.8).toFixed(1), height: bh, class: 'hs-bar',
    });
    const tip = svg('title');
    tip.textContent = `${showDate(d.day)}: ${d.count}`;
    bar.append(tip);
    chart.append(bar);
  });
  chart.setAttribute('aria-label', `${t('hs.by_day')}: ${all.filter((d) => d.count).map((d) => `${showDate(d.day)} ${d.count}`).join(', ')}`);
  const table = h('table', { class: 'hs-table', id: 'hs-days-table' },
    h('thead', {}, h('tr', {}, h('th', { attrs: { scope: 'col' }, text: 'hs.day' }), h('th', { attrs: { scope: 'col' }, text: 'hs.count' }))),
    h('tbody', {}, all.filter((d) => d.count).map((d) => h('tr', {}, h('td', { data: showDate(d.day) }), h('td', { class: 'num', data: String(d.count) })))));
  return h('section', { class: 'panel hs-section', id: 'hs-days', attrs: { 'aria-labelledby': 'hs-days-title' } },
    h('h2', { id: 'hs-days-title', text: 'hs.by_day' }),
    all.length ? chart : h('p', { class: 'muted', text: 'hs.nothing' }),
    all.length ? h('p', { class: 'hs-ticks', attrs: { 'aria-hidden': 'true' } },
      h('span', { data: showDate(all[0].day) }), h('span', { data: showDate(all[all.length - 1].day) })) : null,
    all.length ? h('details', { class: 'more' }, h('summary', { text: 'hs.as_table' }), table) : null);
}

// One breakdown ({CODE: N}) as a table whose last column is a bar.
function breakdown(id, key, kind, counts) {
  const rows = Object.entries(counts && typeof counts === 'object' ? counts : {})
    .map(([code, n]) => [code, Number(n) || 0])
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1]);
  const max = Math.max(1, ...rows.map(([, n]) => n));
  const total = rows.reduce((s, [, n]) => s + n, 0);
  const section = h('section', { class: 'panel hs-section', id, attrs: { 'aria-labelledby': `${id}-title` } },
    h('h2', { id: `${id}-title`, text: key }));
  if (!rows.length) {
    section.append(h('p', { class: 'muted', text: 'hs.nothing' }));
    return section;
  }
  section.append(h('table', { class: 'hs-table hs-breakdown' },
    h('thead', {}, h('tr', {},
      h('th', { attrs: { scope: 'col' }, text: key }),
      h('th', { attrs: { scope: 'col' }, text: 'hs.count' }),
      h('th', { attrs: { scope: 'col' }, text: 'hs.share' }))),
    h('tbody', {}, rows.map(([code, n]) => {
      const bar = svg('svg', { viewBox: '0 0 100 10', class: 'hs-chart hs-hbar', 'aria-hidden': 'true', focusable: 'false', preserveAspectRatio: 'none' },
        svg('rect', { x: 0, y: 0, width: ((n / max) * 100).toFixed(1), height: 10, class: 'hs-bar' }));
      return h('tr', { attrs: { 'data-code': code } },
        h('th', { attrs: { scope: 'row' }, text: hotText(kind, code) }),
        h('td', { class: 'num', data: String(n) }),
        h('td', {}, h('div', { class: 'hs-bar-cell' }, bar, h('span', { class: 'hs-pct', data: `${Math.round((n / total) * 100)}%` }))));
    }))));
  return section;
}
