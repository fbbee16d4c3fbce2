// dashboard.js - the reports dashboard (#/reports) for analysts and
// supervisors: caseload by stage and status, new cases per month, victims
// by sex, age band, exploitation type and destination country, services
// delivered, referrals, hotline contacts and overdue follow-ups, for a
// period, a region and a kind of organisation.
//
// Every figure comes from the server already protected (GET
// /reports/summary, /reports/indicators), never guessed here.  An analyst
// counts every organisation (by type, never by name), every figure
// rounded at random to a multiple of k by its cell key; a supervisor only
// their own, exact, where a hidden cell arrives as null and is shown as
// "x".
// Charts are SVG drawn here; each has a table with the same figures.

import { t, getLang } from './i18n.js';
import { h, live, liveAttr, liveDraw, setMessage, today, dateInput, dayOf } from './dom.js';
import { codeText, codeList, statusKey } from './forms.js';
import { request, prepare, heading } from './page.js';

// The SVG namespace is a name, not an address (written in two parts so
// that no tool takes it for a link).
const SVG_NS = 'http:/' + '/www.w3.org/2000/svg';

const state = { from: null, to: null, region: '', org: '' };

function svg(tag, attrs = {}, ...children) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [a, v] of Object.entries(attrs)) node.setAttribute(a, String(v));
  for (const c of children) if (c) node.append(c);
  return node;
}

function monthsBack(n) {
  const d = new Date();
  d.setMonth(d.getMonth() - n, 1);
  const p = (x) => String(x).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-01`;
}

// How a value of a dimension reads: a code list's label, an age band with
// a dash, a month as MM.YYYY, "own organisation", or "unknown".
const LISTS = {
  sex: 'gender', status: 'case_status', stage: 'nrm_stage', exploitation: 'type_of_exploitation',
  service_type: 'assistance_service_types', region: 'tj_regions_iso3166_2', org: 'org_type',
  agency_type: 'org_type', channel: 'hotline_channel', call_type: 'hotline_call_type',
  topic: 'contact_topic', sector: 'sector', country: 'countries', completion: 'livelihood_completion', employment: 'employment_status',
};

function valueText(dim, v) {
  if (v === null || v === undefined) return () => t('dash.unknown');
  if (dim === 'org' && v === 'own') return () => t('dash.own_org');
  if (dim === 'identification') return () => t(`dash.ident_${v}`);
  if (dim === 'age_band') return () => v.replace('--', '–');
  if (dim === 'month') return () => `${v.slice(5, 7)}.${v.slice(0, 4)}`;
  if (dim === 'months_after') return () => t('dash.months_n').split('{n}').join(v);
  if (dim === 'business_running') return () => t(v === 'yes' ? 'dash.yes' : 'dash.no');
  const list = LISTS[dim];
  if (list && codeList(list).length) return codeText(list, v);
  return () => v;
}

// A hidden count reads "x" whatever hid it: a count under k, or a larger
// one hidden so that a small one cannot be worked out from the totals
// ("<k" would be false for the second kind).
const HIDDEN = 'x';

function countText(n, k) {
  return n === null ? HIDDEN : String(n);
}

// Charts are drawn at the width their box has on the screen, one unit a
// pixel, so their 12 px texts (svg.chart text in style.css) stay 12 px on
// a phone; labels too long for their column wrap onto more lines, never
// cut.  Drawn again when the width or the language changes.
const FONT_PX = 12, LINE_H = 15;
let measurer = null;

function textWidth(s) {
  if (!measurer) measurer = document.createElement('canvas').getContext('2d');
  measurer.font = `${FONT_PX}px ${getComputedStyle(document.body).fontFamily}`;
  return measurer.measureText(s).width;
}

// A label as lines no wider than width (a word wider than that is broken).
function wrapText(s, width) {
  const lines = [];
  let line = '';
  for (const word of String(s).split(/\s+/).filter(Boolean)) {
    const next = line ? `${line} ${word}` : word;
    if (textWidth(next) <= width) {
      line = next;
      continue;
    }
    if (line) lines.push(line);
    line = word;
    while (line.length > 1 && textWidth(line) > width) {
      let n = line.length - 1;
      while (n > 1 && textWidth(line.slice(0, n)) > width) n -= 1;
      lines.push(line.slice(0, n));
      line = line.slice(n);
    }
  }
  if (line || !lines.length) lines.push(line);
  return lines;
}

// A text of several lines; the words stay apart in its textContent.
function textLines(attrs, lines) {
  const node = svg('text', attrs);
  lines.forEach((l, i) => node.append(svg('tspan', { x: attrs.x, dy: i ? LINE_H : 0 },
    document.createTextNode(i < lines.length - 1 ? `${l} ` : l))));
  return node;
}

function chart(id, cls, draw) {
  const node = svg('svg', { id, class: `chart ${cls}`, role: 'img' });
  let drawnAt = 0;
  const redraw = () => {
    const width = Math.floor(node.getBoundingClientRect().width) || 560;
    drawnAt = width;
    node.replaceChildren();
    const height = draw(node, width);
    node.setAttribute('viewBox', `0 0 ${width} ${height}`);
  };
  liveDraw(node, redraw);
  const watch = new ResizeObserver(() => {
    if (!node.isConnected) return;
    const width = Math.floor(node.getBoundingClientRect().width);
    if (width && width !== drawnAt) redraw();
  });
  watch.observe(node);
  return node;
}

// Horizontal bars: one row per value, its label beside the bar (under
// 480 px above it), its count after it; a suppressed one is drawn as a
// short hatched bar labelled "x".
function barChart(id, items, k) {
  return chart(id, 'bars', (node, W) => drawBars(node, W, items, k));
}

function drawBars(node, W, items, k) {
  const valueW = Math.ceil(Math.max(...items.map((it) => textWidth(countText(it.count, k))))) + 10;
  const narrow = W < 480;
  const labelW = narrow ? W : Math.min(Math.round(W * 0.4), 220);
  const barX = narrow ? 0 : labelW;
  const chartW = Math.max(20, W - barX - valueW);
  const max = Math.max(1, ...items.map((i) => i.count ?? 0));
  let y = 4;
  for (const it of items) {
    const lines = wrapText(it.text(), labelW - 10);
    const labelH = lines.length * LINE_H;
    const rowH = narrow ? labelH + 22 : Math.max(24, labelH + 8);
    const barY = narrow ? y + labelH + 3 : y + rowH / 2 - 8;
    const labelY = narrow ? y + FONT_PX : y + (rowH - labelH) / 2 + FONT_PX - 1;
    const w = it.count === null ? 8 : Math.max(1, Math.round((it.count / max) * chartW));
    node.append(textLines({ x: 2, y: labelY, class: 'chart-label' }, lines), // 2: room for a glyph's overhang
      svg('rect', {
        x: barX, y: barY, width: w, height: 16, rx: 2,
        class: it.count === null ? 'bar suppressed' : 'bar', 'data-count': it.count === null ? 'suppressed' : it.count,
      }),
      svg('text', { x: barX + w + 6, y: barY + 12, class: 'chart-value' }, document.createTextNode(countText(it.count, k))));
    y += rowH;
  }
  return y + 4;
}

// Vertical bars for a time series (months), each with its count above it,
// the months under the bars as many as fit side by side; where the counts
// do not fit above their columns (many months on a phone), a row per
// month as in barChart.
function columnChart(id, items, k) {
  return chart(id, 'columns', (node, W) => {
    const H = 160, top = 18, base = top + H;
    const colW = Math.min(48, (W - 4) / Math.max(1, items.length));
    if (Math.max(...items.map((it) => textWidth(countText(it.count, k)))) + 4 > colW) return drawBars(node, W, items, k);
    const max = Math.max(1, ...items.map((i) => i.count ?? 0));
    const labelW = Math.max(...items.map((it) => textWidth(it.text()))) + 8;
    const every = Math.max(1, Math.ceil(labelW / colW));
    let lastRight = -Infinity;
    items.forEach((it, i) => {
      const x = 2 + i * colW;
      const hgt = it.count === null ? 6 : Math.max(1, Math.round((it.count / max) * (H - 4)));
      const value = countText(it.count, k);
      node.append(svg('rect', {
        x: x + 2, y: base - hgt, width: colW - 4, height: hgt,
        class: it.count === null ? 'bar suppressed' : 'bar', 'data-count': it.count === null ? 'suppressed' : it.count,
      }, svg('title', {}, document.createTextNode(`${it.text()}: ${value}`))));
      node.append(svg('text', { x: x + colW / 2, y: base - hgt - 4, 'text-anchor': 'middle', class: 'chart-value' },
        document.createTextNode(value)));
      const centre = Math.min(Math.max(x + colW / 2, labelW / 2), W - labelW / 2);
      if (i % every === 0 && centre - labelW / 2 >= lastRight) {
        lastRight = centre + labelW / 2;
        node.append(svg('text', { x: centre, y: base + 16, 'text-anchor': 'middle', class: 'chart-label' },
          document.createTextNode(it.text())));
      }
    });
    return base + 24;
  });
}

// The same figures as a table (for screen readers and copying).
function figureTable(dimKey, items, k) {
  return h('details', { class: 'chart-table' }, h('summary', { text: 'dash.as_table' }),
    h('table', { class: 'table' },
      h('thead', {}, h('tr', {}, h('th', { text: dimKey }), h('th', { text: 'dash.count' }))),
      h('tbody', {}, items.map((it) => h('tr', {}, live(h('td'), it.text), h('td', { data: countText(it.count, k) }))))));
}

// A titled figure: chart, total and table; or a line saying there is
// nothing to show.
function figure(id, titleKey, dimKey, items, k, { columns = false, total } = {}) {
  const body = items.length
    ? [columns ? columnChart(`${id}-chart`, items, k) : barChart(`${id}-chart`, items, k),
      total !== undefined ? h('p', { class: 'chart-total' }, live(h('span'), 'dash.total'), h('span', { data: `: ${countText(total, k)}` })) : null,
      figureTable(dimKey, items, k)]
    : [h('p', { class: 'hint', text: 'dash.nothing' })];
  return h('section', { class: 'panel figure', id }, heading(3, titleKey), ...body.filter(Boolean));
}

function itemsOf(dim, rows) {
  return rows.map((r) => ({ value: r[dim], count: r.count, text: valueText(dim, r[dim]) }));
}

function query(params) {
  const q = new URLSearchParams();
  for (const [key, v] of Object.entries(params)) if (v) q.set(key, v);
  return q.toString();
}

export async function dashboardView(ctx) {
  ctx.title('dash.title');
  if (!(await prepare(ctx))) return;
  const role = ctx.user.role;
  if (!state.from) {
    state.from = monthsBack(11);
    state.to = today();
  }
  const from = dateInput({ id: 'dash-from' }, state.from);
  const to = dateInput({ id: 'dash-to' }, state.to);
  const region = h('select', { id: 'dash-region' },
    h('option', { value: '', text: 'dash.all_regions' }),
    codeList('tj_regions_iso3166_2').map((c) => live(h('option', { value: c.code }), codeText('tj_regions_iso3166_2', c.code))));
  region.value = state.region;
  // An analyst may narrow to the own organisation or a kind of
  // organisation; a supervisor's figures are the own organisation's.
  const org = h('select', { id: 'dash-org' },
    h('option', { value: '', text: role === 'analyst' ? 'dash.all_orgs' : 'dash.own_org' }),
    role === 'analyst' ? [h('option', { value: 'own', text: 'dash.own_org' }),
      ...codeList('org_type').map((c) => live(h('option', { value: c.code }), codeText('org_type', c.code)))] : []);
  org.value = state.org;
  if (role !== 'analyst') org.disabled = true;
  const filters = h('form', { class: 'filters panel', id: 'dash-filters' },
    h('div', { class: 'filter' }, h('label', { for: 'dash-from', text: 'dash.from' }), from),
    h('div', { class: 'filter' }, h('label', { for: 'dash-to', text: 'dash.to' }), to),
    h('div', { class: 'filter' }, h('label', { for: 'dash-region', text: 'dash.region' }), region),
    h('div', { class: 'filter' }, h('label', { for: 'dash-org', text: 'dash.org' }), org),
    h('div', { class: 'filter' }, h('button', { type: 'submit', class: 'button primary', id: 'dash-show', text: 'dash.show' })));
  const message = h('div', { class: 'message', id: 'dash-msg', attrs: { role: 'alert' }, hidden: true });
  const note = h('p', { class: 'hint', id: 'dash-note' });
  const out = h('div', { class: 'dash-out', id: 'dash-out', attrs: { 'aria-live': 'polite' } });
  const downloads = h('section', { class: 'panel', id: 'dash-downloads' });
  ctx.root.append(filters, note, message, downloads, out);
  filters.addEventListener('submit', (e) => { e.preventDefault(); show(); });

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
      setMessage(message, 'dash.bad_period');
      return;
    }
    Object.assign(state, { from: fromDay, to: toDay, region: region.value, org: org.value });
    setMessage(message, null);
    out.replaceChildren(h('p', { class: 'loading', attrs: { role: 'status' }, text: 'app.loading' }));
    const base = { from: state.from, to: state.to, region: state.region, org: state.org };
    downloads.replaceChildren(...downloadLinks(role, base));
    const summary = (by, extra = {}) => request(ctx, 'GET', `/reports/summary?${query({ ...base, by, ...extra })}`);
    const [stage, status, month, sex, age, expl, country, service, ind, refStats, hot, sector] = await Promise.all([
      summary('stage'), summary('status'), summary('month'),
      summary('sex', { victims: '1' }), summary('age_band', { victims: '1' }),
      summary('exploitation', { victims: '1' }), summary('country', { victims: '1' }),
      summary('service_type'),
      request(ctx, 'GET', `/reports/indicators?${query(base)}`),
      role === 'supervisor' ? request(ctx, 'GET', '/referrals/stats?box=out') : null,
      role === 'supervisor' ? request(ctx, 'GET', `/contacts/stats?${query({ from: state.from, to: state.to })}`) : null,
      summary('sector'),
    ]);
    // Livelihoods by sex and by region (region is their dimension, not a filter).
    const lv = (by) => request(ctx, 'GET', `/reports/livelihood?${query({ from: state.from, to: state.to, org: state.org, by })}`);
    const [lvSex, lvRegion] = await Promise.all([lv('sex'), lv('region')]);
    if (!ctx.alive()) return;
    const bad = [stage, status, month, sex, age, expl, country, service, ind, sector].find((r) => !r || r.status !== 200);
    if (bad) {
      out.replaceChildren();
      setMessage(message, statusKey(bad), 'error');
      return;
    }
    const k = stage.body.k;
    live(note, () => t(stage.body.scope === 'all' ? 'dash.scope_all' : 'dash.scope_own').split('{k}').join(String(k)));
    const fig = (id, key, dim, res, opts = {}) => figure(id, key, `dash.dim_${dim}`, itemsOf(dim, res.body.rows), k,
      { total: res.body.total, ...opts });
    const sections = [
      h('h2', { class: 'dash-group', text: 'dash.caseload' }),
      h('div', { class: 'dash-grid' },
        fig('dash-stage', 'dash.by_stage', 'stage', stage),
        fig('dash-status', 'dash.by_status', 'status', status)),
      fig('dash-month', 'dash.per_month', 'month', month, { columns: true }),
      fig('dash-sector', 'dash.by_sector', 'sector', sector),
      h('h2', { class: 'dash-group', text: 'dash.victims' }),
      figure('dash-ident', 'dash.by_identification', 'dash.dim_identification',
        itemsOf('identification', ind.body.identified_by_status.rows), k,
        { total: ind.body.identified_by_status.total }),
      h('div', { class: 'dash-grid' },
        fig('dash-sex', 'dash.by_sex', 'sex', sex),
        fig('dash-age', 'dash.by_age', 'age_band', age),
        fig('dash-expl', 'dash.by_exploitation', 'exploitation', expl),
        fig('dash-country', 'dash.by_country', 'country', country)),
      h('h2', { class: 'dash-group', text: 'dash.assistance' }),
      fig('dash-service', 'dash.by_service', 'service_type', service),
      referralsSection(ind.body, refStats, k),
      hotlineSection(ind.body, hot, k),
      overdueSection(ind.body, k),
      justiceSection(ind.body, k),
      livelihoodSection(lvSex, lvRegion, k),
    ];
    out.replaceChildren(...sections);
  }
  show();
}

// Referrals: sent, accepted, completed by status from the indicator
// report (suppressed); for a supervisor also the median days to an answer
// of the own organisation's referrals.
function referralsSection(ind, refStats, k) {
  const byStatus = (ind.referrals.margins && ind.referrals.margins.status) || [];
  const count = (st) => {
    const m = byStatus.find((r) => r.status === st);
    return m ? m.count : 0;
  };
  const items = ['sent', 'accepted', 'completed'].map((st) => ({
    value: st, count: st === 'sent' ? ind.referrals.total : count(st), text: st === 'sent' ? () => t('dash.ref_sent') : codeText('referral_status', st),
  }));
  const agency = ((ind.referrals.margins && ind.referrals.margins.agency_type) || [])
    .map((r) => ({ value: r.agency_type, count: r.count, text: valueText('agency_type', r.agency_type) }));
  const median = refStats && refStats.status === 200 ? refStats.body.median_days_to_response : undefined;
  return h('section', { class: 'panel figure', id: 'dash-referrals' }, heading(3, 'dash.referrals'),
    ind.referrals.total === 0 ? h('p', { class: 'hint', text: 'dash.nothing' }) : [
      barChart('dash-referrals-chart', items, k), figureTable('dash.dim_status', items, k),
      agency.length ? [heading(4, 'dash.ref_by_agency'), barChart('dash-ref-agency-chart', agency, k)] : null,
    ],
    median !== undefined ? h('p', { class: 'chart-total', id: 'dash-median' }, live(h('span'), 'dash.median_days'),
      h('span', { data: `: ${median === null ? '—' : median}` })) : null);
}

// Hotline contacts by channel and topic: the supervisor's own figures
// (GET /contacts/stats) when there are any; else the indicator report's
// contacts by channel (suppressed).
function hotlineSection(ind, hot, k) {
  const sect = h('section', { class: 'panel figure', id: 'dash-hotline' }, heading(3, 'dash.hotline'));
  if (hot && hot.status === 200 && hot.body.total > 0) {
    const toItems = (dim, obj) => Object.entries(obj || {}).filter(([, n]) => n > 0)
      .map(([code, n]) => ({ value: code, count: n >= k ? n : null, text: valueText(dim, code) }));
    const channel = toItems('channel', hot.body.by_channel);
    const topic = toItems('topic', hot.body.by_topic);
    sect.append(heading(4, 'dash.by_channel'), barChart('dash-hot-channel-chart', channel, k),
      heading(4, 'dash.by_topic'), topic.length ? barChart('dash-hot-topic-chart', topic, k) : h('p', { class: 'hint', text: 'dash.nothing' }));
    return sect;
  }
  const channel = ((ind.hotline.margins && ind.hotline.margins.channel) || [])
    .map((r) => ({ value: r.channel, count: r.count, text: valueText('channel', r.channel) }));
  if (!channel.length) {
    sect.append(h('p', { class: 'hint', text: 'dash.nothing' }));
    return sect;
  }
  sect.append(heading(4, 'dash.by_channel'), barChart('dash-hot-channel-chart', channel, k),
    figureTable('dash.dim_channel', channel, k));
  return sect;
}

// Investigations, prosecutions and convictions in the period (the
// indicator report's criminal_justice table, suppressed like the others).
function justiceSection(ind, k) {
  const cj = ind.criminal_justice;
  const sect = h('section', { class: 'panel figure', id: 'dash-justice' }, heading(3, 'dash.justice'));
  const measures = (cj && cj.margins && cj.margins.measure) || [];
  if (!measures.length) {
    sect.append(h('p', { class: 'hint', text: 'dash.nothing' }));
    return sect;
  }
  const items = ['investigation', 'prosecution', 'conviction'].map((m) => {
    const row = measures.find((r) => r.measure === m);
    return { value: m, count: row ? row.count : 0, text: () => t(`dash.cj_${m}`) };
  });
  sect.append(barChart('dash-justice-chart', items, k), figureTable('dash.cj_measure', items, k));
  return sect;
}

function overdueSection(ind, k) {
  const n = ind.followups_overdue;
  return h('section', { class: 'panel figure', id: 'dash-overdue' }, heading(3, 'dash.overdue'),
    h('p', { class: 'big-number', id: 'dash-overdue-count', data: countText(n, k) }),
    h('p', { class: 'hint', text: 'dash.overdue_hint' }));
}

// Files to take away, at the top of the page: the indicator report for
// the period (its sheets, headers and labels in the language of the page,
// the codes kept beside them), and the exports the role may take (the
// server decides; a refused one answers problem+json).  Plain links: the
// session cookie goes with them.
function downloadLinks(role, base) {
  const q = query({ from: base.from, to: base.to });
  const link = (id, key, href) => h('li', {}, h('a', { id, href: `/api/v1${href}`, attrs: { download: '' }, text: key }));
  const report = (id, key, format) => {
    const a = h('a', { id, attrs: { download: '' }, text: key });
    liveAttr(a, 'href', () => `/api/v1/reports/indicators?${query({ ...base, format, lang: getLang() })}`);
    return h('li', {}, a);
  };
  const items = [
    report('dl-ind-xlsx', 'dash.dl_indicators_xlsx', 'xlsx'),
    report('dl-ind-csv', 'dash.dl_indicators_csv', 'csv'),
    link('dl-ctdc', 'dash.dl_ctdc', `/exports/ctdc.csv?${q}`),
  ];
  if (role === 'supervisor') {
    items.push(link('dl-htcds', 'dash.dl_htcds', `/exports/htcds.csv?${q}`),
      link('dl-cases', 'dash.dl_cases', `/exports/cases.xlsx?${q}`));
  }
  return [
    h('h2', { class: 'dash-group', text: 'dash.downloads' }),
    h('p', { class: 'hint', text: 'dash.downloads_hint' }),
    h('ul', { class: 'downloads' }, items),
  ];
}

// Livelihoods: completion of courses and grants, employment and business
// survival at the follow-ups 3, 6 and 12 months after, each by sex and by
// region; tables of the protected cells as the server sends them.
function livelihoodTable(id, titleKey, tables, k) {
  const [bySex, byRegion] = tables;
  const rowsOf = (tbl) => (tbl ? tbl.rows : []);
  const block = (tbl, suffix) => {
    if (!tbl || !tbl.rows.length) return h('p', { class: 'hint', text: 'dash.nothing' });
    return h('table', { class: 'table', id: `${id}-${suffix}` },
      h('thead', {}, h('tr', {}, tbl.by.map((d) => h('th', { text: `dash.dim_${d}` })), h('th', { text: 'dash.count' }))),
      h('tbody', {}, rowsOf(tbl).map((r) => h('tr', { attrs: { 'data-count': r.count === null ? 'suppressed' : String(r.count) } },
        tbl.by.map((d) => live(h('td'), valueText(d, r[d]))), h('td', { data: countText(r.count, k) })))));
  };
  return h('section', { class: 'panel figure', id }, heading(3, titleKey), block(bySex, 'sex'), block(byRegion, 'region'));
}

function livelihoodSection(bySex, byRegion, k) {
  if (!bySex || bySex.status !== 200 || !byRegion || byRegion.status !== 200) return null;
  const part = (key) => [bySex.body[key], byRegion.body[key]];
  return h('div', { id: 'dash-livelihood' },
    h('h2', { class: 'dash-group', text: 'dash.livelihood' }),
    h('p', { class: 'hint', text: 'dash.lv_note' }),
    livelihoodTable('dash-lv-completion', 'dash.lv_completion', part('completion'), k),
    livelihoodTable('dash-lv-employment', 'dash.lv_employment', part('employment'), k),
    livelihoodTable('dash-lv-business', 'dash.lv_business', part('business'), k));
}
