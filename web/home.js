// home.js - each role's home (#/): the work waiting for the one signed in.
// A case worker: their open cases by stage, overdue follow-ups, referrals
// sent and not yet answered; a hotline operator: callbacks due and the
// call screen; a focal point: incoming referrals to answer, decisions
// waiting, and the focal page; a supervisor: what is overdue and the
// team's open cases; an analyst: the dashboard; a trainer: coming events.
//
// Every count is the length of the list its link opens, read from the same
// list API with the same filters (all pages), so the two always agree.

import { t } from './i18n.js';
import { h, showDate, today, setMessage } from './dom.js';
import { codeList, codeText, statusKey } from './forms.js';
import { request, prepare, heading, mayRegister } from './page.js';
import { setCaseFilter } from './cases.js';
import { setCallbackFilter } from './callbacks.js';
import { setReferralFilter } from './referrals.js';
import { setFollowupScope } from './followups.js';
import { hotlineView } from './hotline.js';
import { focalView } from './focal.js';
import { dashboardView } from './dashboard.js';

const OPEN_STATUSES = ['Active', 'FollowUp'];

// Every item of a paged list (`next` cursors), or null on a failure.
async function allItems(ctx, path) {
  const items = [];
  let cursor = null;
  for (let page = 0; page < 50; page++) {
    const sep = path.includes('?') ? '&' : '?';
    const res = await request(ctx, 'GET', `${path}${cursor ? `${sep}cursor=${encodeURIComponent(cursor)}` : ''}`);
    if (!res || res.status !== 200 || !res.body) return null;
    items.push(...(res.body.items || []));
    cursor = res.body.next;
    if (!cursor) break;
  }
  return items;
}

// A figure that opens its list: before going there, `prime` sets the
// list's filters to those the figure was counted with.
function tile(id, labelKey, count, href, prime, tone) {
  const link = h('a', {
    class: `home-tile${count > 0 && tone ? ` ${tone}` : ''}`, id, href,
    attrs: { 'data-count': String(count) },
    on: { click: () => prime && prime() },
  },
  h('span', { class: 'home-count', data: String(count) }),
  h('span', { class: 'home-label', text: labelKey }));
  return h('li', {}, link);
}

function failedBox(res) {
  const box = h('div', { class: 'message', attrs: { role: 'alert' } });
  setMessage(box, statusKey(res), 'error');
  return box;
}

// Open cases by stage (rows) and status (columns), each cell a link to the
// case list filtered the same way.  mine: only the user's.
async function casesByStage(ctx, mine, idPrefix) {
  const lists = await Promise.all(OPEN_STATUSES.map((s) =>
    allItems(ctx, `/cases?status=${s}&limit=200${mine ? '&assigned=me' : ''}`)));
  if (lists.some((l) => l === null)) return failedBox(null);
  const stages = codeList('nrm_stage').map((c) => c.code);
  const count = (status, stage) => lists[OPEN_STATUSES.indexOf(status)].filter((c) => c.stage === stage).length;
  const total = lists.reduce((n, l) => n + l.length, 0);
  const shown = stages.filter((st) => OPEN_STATUSES.some((s) => count(s, st) > 0));
  const table = h('table', { class: 'table home-stages', id: `${idPrefix}-stages` },
    h('thead', {}, h('tr', {}, h('th', { text: 'list.stage' }),
      OPEN_STATUSES.map((s) => h('th', { class: 'num', text: codeText('case_status', s) })))),
    h('tbody', {}, shown.map((st) => h('tr', {},
      h('th', { attrs: { scope: 'row' }, text: codeText('nrm_stage', st) }),
      OPEN_STATUSES.map((s) => {
        const n = count(s, st);
        return h('td', { class: 'num' }, n === 0 ? h('span', { class: 'muted', data: '0' }) : h('a', {
          class: 'home-cell', href: '#/cases', attrs: { 'data-count': String(n), 'data-status': s, 'data-stage': st },
          data: String(n),
          on: { click: () => setCaseFilter({ status: s, stage: st, mine }) },
        }));
      })))));
  return h('div', { class: 'home-cases' },
    h('p', {}, h('a', {
      href: '#/cases', id: `${idPrefix}-all`, attrs: { 'data-count': String(lists[0].length) },
      text: () => `${codeText('case_status', 'Active')()}: ${lists[0].length}`,
      on: { click: () => setCaseFilter({ status: 'Active', stage: '', mine }) },
    }), ' · ', h('span', { text: () => `${t('home.open_total')}: ${total}` })),
    shown.length ? table : h('p', { class: 'hint', text: 'home.no_open_cases' }));
}

async function caseworkerHome(ctx, root) {
  const [fus, waiting] = await Promise.all([
    allItems(ctx, '/followups?limit=200'),
    allItems(ctx, '/referrals?box=out&status=sent'),
  ]);
  if (!ctx.alive()) return;
  const tiles = h('ul', { class: 'home-tiles' });
  if (fus) tiles.append(tile('home-followups', 'home.followups_overdue', fus.length, '#/followups', () => setFollowupScope('me'), 'warn'));
  if (waiting) tiles.append(tile('home-ref-waiting', 'home.referrals_waiting', waiting.length, '#/referrals',
    () => setReferralFilter({ box: 'out', status: 'sent', overdue: false })));
  const cases = await casesByStage(ctx, true, 'home-my');
  if (!ctx.alive()) return;
  root.append(tiles, h('section', { class: 'panel' }, heading(2, 'home.my_open_cases'), cases));
  if (!fus || !waiting) root.append(failedBox(null));
}

async function hotlineHome(ctx, root) {
  const [due, over] = await Promise.all([
    allItems(ctx, '/callbacks?state=due&limit=200'),
    allItems(ctx, '/callbacks?state=overdue&limit=200'),
  ]);
  if (!ctx.alive()) return;
  const tiles = h('ul', { class: 'home-tiles' });
  if (over) tiles.append(tile('home-cb-overdue', 'home.callbacks_overdue', over.length, '#/callbacks',
    () => setCallbackFilter({ state: 'overdue', mine: false }), 'warn'));
  if (due) tiles.append(tile('home-cb-due', 'home.callbacks_due', due.length, '#/callbacks',
    () => setCallbackFilter({ state: 'due', mine: false })));
  const call = h('div', { class: 'home-embed', id: 'home-hotline' });
  root.append(tiles, call);
  hotlineView({ ...ctx, root: call, title() {} });
}

async function focalHome(ctx, root) {
  const [incoming, decisions] = await Promise.all([
    allItems(ctx, '/referrals?box=in&status=sent'),
    allItems(ctx, '/referrals/decisions-due'),
  ]);
  if (!ctx.alive()) return;
  const tiles = h('ul', { class: 'home-tiles' });
  if (incoming) tiles.append(tile('home-ref-in', 'home.referrals_to_answer', incoming.length, '#/referrals',
    () => setReferralFilter({ box: 'in', status: 'sent', overdue: false }), 'warn'));
  if (decisions) tiles.append(tile('home-decisions', 'home.decisions_due', decisions.length, '#/focal', null, 'warn'));
  const page = h('div', { class: 'home-embed', id: 'home-focal' });
  // An authority's focal point is an entry point of the NRM (issue 15).
  const entry = mayRegister(ctx.user) ? h('div', { class: 'page-actions' },
    h('a', { class: 'button primary', href: '#/register', id: 'home-register', text: 'list.register' })) : null;
  root.append(...(entry ? [entry] : []), tiles, page);
  focalView({ ...ctx, root: page, title() {} });
}

async function supervisorHome(ctx, root) {
  const [fus, refs, cbs] = await Promise.all([
    allItems(ctx, '/followups?assigned=all&limit=200'),
    allItems(ctx, '/referrals?box=out&overdue=1'),
    allItems(ctx, '/callbacks?state=overdue&limit=200'),
  ]);
  if (!ctx.alive()) return;
  const tiles = h('ul', { class: 'home-tiles' });
  if (fus) tiles.append(tile('home-team-followups', 'home.team_followups_overdue', fus.length, '#/followups',
    () => setFollowupScope('all'), 'warn'));
  if (refs) tiles.append(tile('home-ref-overdue', 'home.referrals_overdue', refs.length, '#/referrals',
    () => setReferralFilter({ box: 'out', status: '', overdue: true }), 'warn'));
  if (cbs) tiles.append(tile('home-cb-overdue', 'home.callbacks_overdue', cbs.length, '#/callbacks',
    () => setCallbackFilter({ state: 'overdue', mine: false }), 'warn'));
  const cases = await casesByStage(ctx, false, 'home-team');
  if (!ctx.alive()) return;
  root.append(heading(2, 'home.overdue'), tiles,
    h('section', { class: 'panel' }, heading(2, 'home.team_load'), h('p', { class: 'hint', text: 'home.team_load_hint' }), cases));
  if (!fus || !refs || !cbs) root.append(failedBox(null));
}

async function trainerHome(ctx, root) {
  const res = await request(ctx, 'GET', '/trainings');
  if (!ctx.alive()) return;
  if (!res || res.status !== 200) {
    root.append(failedBox(res));
    return;
  }
  const now = today();
  const coming = (res.body.items || []).filter((e) => (e.end || e.start) >= now)
    .sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  const list = h('ul', { class: 'cards', id: 'home-coming' }, coming.map((e) => h('li', { class: 'card', attrs: { 'data-id': e.id } },
    h('a', { class: 'card-link', href: `#/trainings/${encodeURIComponent(e.id)}` },
      h('span', { class: 'card-title' }, h('strong', { data: e.topic })),
      h('span', { class: 'card-line', data: `${showDate(e.start)} – ${showDate(e.end)} · ${e.place || ''}` })))));
  root.append(h('section', { class: 'panel' }, heading(2, 'home.coming_events'),
    coming.length ? list : h('p', { class: 'hint', id: 'home-no-events', text: 'home.no_events' }),
    h('p', {}, h('a', { class: 'button secondary', href: '#/trainings', text: 'home.all_trainings' }))));
}

const HOMES = {
  caseworker: caseworkerHome,
  hotline: hotlineHome,
  focal_point: focalHome,
  supervisor: supervisorHome,
  trainer: trainerHome,
};

// Null when the role has no home of its own (the welcome text stays).
export function homeView(ctx) {
  if (ctx.user.role === 'analyst') {
    return dashboardView(ctx);
  }
  const home = HOMES[ctx.user.role];
  if (!home) return null;
  return (async () => {
    ctx.title('nav.home');
    if (!(await prepare(ctx))) return;
    const root = h('div', { class: 'home', id: 'home' });
    ctx.root.append(root);
    await home(ctx, root);
  })();
}
