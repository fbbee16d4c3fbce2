// directory.js - the service directory (#/directory): what the
// organisations of the referral network offer, where, in which languages
// and with how many free places.  A search box that finds a name written
// in any script, filters by type, region and language, and pages.
//
// directoryFinder() is the same list with a "Choose" button on each
// service; the referral wizard (refer.js) uses it for its first step.
// The server withholds the address of a shelter from other organisations:
// such a location reads as "redacted" and shows as "address withheld".

import { t } from './i18n.js';
import { h, setMessage } from './dom.js';
import { codeList, codeText, statusKey } from './forms.js';
import { request, prepare } from './page.js';

const PER_PAGE = 10;

// The filters outlive a visit elsewhere, as the case list's do.
const state = { search: '', type: '', region: '', language: '', page: 1 };

export async function directoryView(ctx) {
  ctx.title('nav.directory');
  if (!(await prepare(ctx))) return;
  ctx.root.append(h('p', { class: 'lead', text: 'dir.lead' }));
  const finder = directoryFinder(ctx, { prefix: 'dir', state });
  ctx.root.append(finder.node);
  await finder.load();
}

// The directory's search form and list.  opts.prefix names the ids;
// opts.onChoose(service) adds a "Choose" button to each card; opts.state
// keeps the filters between visits.  Returns {node, load()}.
export function directoryFinder(ctx, opts = {}) {
  const p = opts.prefix || 'dir';
  const st = opts.state || { search: '', type: '', region: '', language: '', page: 1 };

  const select = (id, list, value, anyKey) => {
    const s = h('select', { id, name: id });
    s.append(h('option', { value: '', text: anyKey }));
    for (const c of codeList(list)) s.append(h('option', { value: c.code, text: c }));
    s.value = value;
    return s;
  };
  const q = h('input', { type: 'search', id: `${p}-q`, value: st.search, attrs: { autocomplete: 'off', spellcheck: 'false' } });
  const type = select(`${p}-type`, 'assistance_service_types', st.type, 'list.any');
  const region = select(`${p}-region`, 'tj_regions_iso3166_2', st.region, 'list.any');
  const language = select(`${p}-language`, 'languages', st.language, 'list.any');
  const form = h('form', { class: 'filters panel dir-filters', id: `${p}-filters`, attrs: { role: 'search' } },
    h('div', { class: 'filter search' },
      h('label', { for: `${p}-q`, text: 'dir.search' }),
      h('div', { class: 'inline' }, q, h('button', { type: 'submit', class: 'button secondary', id: `${p}-search`, text: 'list.search' })),
      h('p', { class: 'hint', text: 'dir.search_hint' })),
    h('div', { class: 'filter' }, h('label', { for: `${p}-type`, text: 'dir.type' }), type),
    h('div', { class: 'filter' }, h('label', { for: `${p}-region`, text: 'dir.region' }), region),
    h('div', { class: 'filter' }, h('label', { for: `${p}-language`, text: 'dir.language' }), language));
  const msg = h('div', { class: 'message', attrs: { role: 'status' }, hidden: true });
  const count = h('p', { class: 'hint', id: `${p}-count`, hidden: true });
  const list = h('ul', { class: 'cards wide', id: `${p}-list` });
  const pager = h('nav', { class: 'pager', label: 'list.pages' });
  const node = h('div', { class: 'dir-finder' }, form, msg, count, list, pager);

  const restart = () => {
    st.search = q.value.trim();
    st.type = type.value;
    st.region = region.value;
    st.language = language.value;
    st.page = 1;
    load();
  };
  for (const s of [type, region, language]) s.addEventListener('change', restart);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    restart();
  });

  async function load() {
    const params = new URLSearchParams();
    if (st.search) params.set('search', st.search);
    if (st.type) params.set('type', st.type);
    if (st.region) params.set('region', st.region);
    if (st.language) params.set('language', st.language);
    params.set('page', String(st.page));
    params.set('per_page', String(PER_PAGE));
    list.setAttribute('aria-busy', 'true');
    const res = await request(ctx, 'GET', `/directory/services?${params}`);
    if (!ctx.alive()) return;
    list.removeAttribute('aria-busy');
    list.replaceChildren();
    pager.replaceChildren();
    count.hidden = true;
    if (!res || res.status !== 200 || !res.body) {
      setMessage(msg, statusKey(res), 'error');
      return;
    }
    const items = res.body.items || res.body.contents || [];
    const filtered = st.search || st.type || st.region || st.language;
    if (!items.length) setMessage(msg, filtered ? 'dir.none_found' : 'dir.empty', 'info');
    else setMessage(msg, null);
    const total = res.body.total_items;
    if (typeof total === 'number' && total > 0) {
      count.hidden = false;
      count.replaceChildren(h('span', { text: () => `${t('dir.found')}: ${total}` }));
    }
    for (const s of items) list.append(h('li', { class: 'card dir-card', attrs: { 'data-id': s.id } }, serviceCard(s, opts.onChoose, p)));
    const more = Boolean(res.body.next) || (typeof res.body.total_pages === 'number' && st.page < res.body.total_pages);
    pageButtons(more);
  }

  async function turn(delta) {
    st.page = Math.max(1, st.page + delta);
    await load();
    if (!ctx.alive()) return;
    list.tabIndex = -1;
    list.focus({ preventScroll: true });
    form.scrollIntoView({ block: 'start' });
  }

  function pageButtons(more) {
    if (st.page > 1) {
      pager.append(h('button', { type: 'button', class: 'button secondary', id: `${p}-prev`, text: 'list.prev', on: { click: () => turn(-1) } }));
    }
    if (st.page > 1 || more) pager.append(h('span', { class: 'page-no', text: () => `${t('list.page')} ${st.page}` }));
    if (more) {
      pager.append(h('button', { type: 'button', class: 'button secondary', id: `${p}-next`, text: 'list.next', on: { click: () => turn(1) } }));
    }
  }

  return { node, load };
}

// ---- one service ----------------------------------------------------------------

// The organisation behind a service, as {code, name, type}.
export function serviceOrg(s) {
  const o = s.organization || s.org || {};
  return { id: o.id, code: o.code || '', name: o.name || '', type: o.type || '' };
}

function serviceType(s) {
  return s.service_type || s.type || '';
}

// {available, maximum} or null: HSDS capacity may be an object or a list.
function capacityOf(s) {
  let c = s.capacity;
  if (Array.isArray(c)) c = c[0];
  if (c && typeof c === 'object') {
    const available = c.available ?? c.value ?? null;
    const maximum = c.maximum ?? c.max ?? null;
    if (available !== null || maximum !== null) return { available, maximum, unit: c.unit };
  }
  if (s.capacity_available !== undefined || s.capacity_max !== undefined) {
    return { available: s.capacity_available ?? null, maximum: s.capacity_max ?? null };
  }
  return null;
}

// A region code, an HSDS service area ({name} or {code}), or text.
function areaText(a) {
  if (typeof a === 'string') return codeText('tj_regions_iso3166_2', a);
  if (a && typeof a === 'object') {
    const code = a.code || a.region || a.extent;
    if (code && codeList('tj_regions_iso3166_2').some((c) => c.code === code)) return codeText('tj_regions_iso3166_2', code);
    return () => a.name || a.description || '';
  }
  return () => '';
}

function languageCode(l) {
  return typeof l === 'string' ? l : (l && (l.code || l.language)) || '';
}

function isRedacted(loc) {
  return loc.redacted === true || loc.location_type === 'redacted' || loc.kind === 'redacted';
}

// The address of a location: a string, or HSDS addresses [{address_1, city}].
function addressOf(loc) {
  if (typeof loc.address === 'string' && loc.address) return loc.address;
  const a = Array.isArray(loc.addresses) ? loc.addresses[0] : loc.address;
  if (a && typeof a === 'object') return [a.address_1, a.address_2, a.city].filter(Boolean).join(', ');
  return '';
}

// The capacity line: "Beds free: 3 of 10" for a shelter, places otherwise.
export function capacityNode(s, id) {
  const c = capacityOf(s);
  if (!c) return null;
  const bed = c.unit ? c.unit === 'beds' : serviceType(s) === 'shelter';
  const full = c.available === 0;
  return h('p', { class: `capacity${full ? ' full' : ''}`, id },
    h('span', { class: 'fixed-label', text: bed ? 'dir.beds' : 'dir.places' }), ' ',
    h('strong', {
      class: 'capacity-value',
      text: () => (c.maximum !== null && c.maximum !== undefined
        ? `${c.available ?? '—'} ${t('dir.of')} ${c.maximum}`
        : String(c.available)),
    }),
    full ? h('span', { class: 'badge warn', text: 'dir.full' }) : null);
}

function serviceCard(s, onChoose, p) {
  const org = serviceOrg(s);
  const langs = (s.languages || []).map(languageCode).filter(Boolean);
  const areas = s.regions_served || s.service_areas || [];
  const locations = s.locations || [];
  const parts = [
    h('h3', { class: 'card-title dir-name', data: s.name || '' }),
    h('p', { class: 'card-line dir-org' },
      h('strong', { data: org.name || org.code }),
      org.type ? h('span', { text: () => ` · ${codeText('org_type', org.type)()}` }) : null),
    h('p', { class: 'badges' },
      serviceType(s) ? h('span', { class: 'badge info', text: codeText('assistance_service_types', serviceType(s)) }) : null,
      s.status && s.status !== 'active' ? h('span', { class: 'badge muted', text: codeText('hsds_service_status', s.status) }) : null),
    capacityNode(s),
    langs.length ? h('p', { class: 'card-line dir-langs' },
      h('span', { text: () => `${t('dir.languages')}: ` }),
      h('span', { text: () => langs.map((l) => codeText('languages', l)()).join(', ') })) : null,
    areas.length ? h('p', { class: 'card-line dir-areas' },
      h('span', { text: () => `${t('dir.areas')}: ` }),
      h('span', { text: () => areas.map((a) => areaText(a)()).filter(Boolean).join(', ') })) : null,
    s.description ? h('p', { class: 'prose dir-desc', data: s.description }) : null,
  ];
  if (locations.length) {
    parts.push(h('ul', { class: 'plain dir-locations' }, locations.map((loc) => {
      const region = loc.region ? codeText('tj_regions_iso3166_2', loc.region) : null;
      const place = [loc.name, loc.city].filter(Boolean).join(', ');
      const addr = isRedacted(loc) ? null : addressOf(loc);
      return h('li', { class: 'dir-location' },
        place ? h('span', { data: place }) : null,
        region ? h('span', { text: () => `${place ? ', ' : ''}${region()}` }) : null,
        isRedacted(loc)
          ? h('span', { class: 'badge muted withheld', text: 'dir.address_withheld' })
          : addr ? h('span', { class: 'muted', data: ` — ${addr}` }) : null);
    })));
  }
  if (onChoose) {
    parts.push(h('div', { class: 'actions' }, h('button', {
      type: 'button', class: 'button primary small', text: 'dir.choose',
      attrs: { 'data-action': 'choose' },
      on: { click: () => onChoose(s) },
    })));
  }
  return parts;
}
