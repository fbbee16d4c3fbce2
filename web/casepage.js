// casepage.js - one case (#/cases/ID): a header with the person's name,
// status, NRM stage and trafficking status, the actions that move the
// case (screening, close with a reason, reopen), and tabs for the
// timeline, the case details (edited with If-Match), screenings,
// services, support plans, follow-ups, notes, status decisions, the
// case's referrals to other organisations (and a way to send one), and
// who outside the organisation read or changed it; the criminal-justice
// track (perpetrators and proceedings, in full for an authority's focal
// point and the supervisor, only their existence for others) and
// protection (risk assessments, safety plans, shelter stays).

import { t } from './i18n.js';
import { h, label, today, showDate, setMessage, showMoney } from './dom.js';
import { buildForm, formShell, codeText, codeList, recordView, statusKey, schema, fieldOf } from './forms.js';
import { request, prepare, failed, personName, badge, messageBox, heading, mayScreenRefer, patchForm } from './page.js';
import { referralCard, shareLabel, showTime, decisionNote, identificationKey, decisionAddKey } from './referrals.js';
import { childReasonText, becauseList } from './screening.js';
import { justiceTab, protectionTab } from './justice.js';
import { knownElsewhere } from './known.js';

const EDITORS = ['caseworker', 'supervisor'];
const DECIDERS = ['supervisor', 'focal_point'];
const TABS = ['timeline', 'details', 'screenings', 'services', 'plans', 'followups', 'notes', 'decisions', 'referrals',
  'best_interests', 'justice', 'protection'];
const JUSTICE = ['supervisor', 'focal_point']; // may record (the server decides on the case)
const STAGE_NEXT = { reported: 'investigation_on', investigation: 'court_on', court: 'verdict_on' };
const OPEN = ['Active', 'FollowUp'];

let lastTab = { id: null, tab: 'timeline' };
let flash = null; // {id, key}: a message to show when case id opens next

// Open case id on a tab next time, with a message (after a referral is sent).
export function openCaseTab(id, tab, key) {
  lastTab = { id, tab };
  flash = key ? { id, key } : null;
}

export async function casePageView(ctx, id) {
  ctx.title('case.title');
  if (!(await prepare(ctx))) return;
  const path = `/cases/${encodeURIComponent(id)}`;
  const editor = EDITORS.includes(ctx.user.role);
  // Screens and refers: the case workers, and an authority's focal point.
  const worker = mayScreenRefer(ctx.user);
  let c = null;

  const res = await request(ctx, 'GET', path);
  if (!ctx.alive()) return;
  if (!res || res.status !== 200) {
    failed(ctx, res);
    return;
  }
  c = res.body;
  if (c.shared_view) {
    // Reached through a referral: the referral's page shows what is shared.
    ctx.go(`#/referrals/${encodeURIComponent(c.referral_id)}`);
    return;
  }
  if (lastTab.id !== id) lastTab = { id, tab: 'timeline' };
  // The owner's organisation sees who outside it read the case.
  const tabs = editor ? [...TABS, 'access'] : TABS;

  const head = h('section', { class: 'case-head panel', id: 'case-head', label: 'case.summary' });
  const headMsg = messageBox();
  const tablist = h('div', { class: 'tabs', attrs: { role: 'tablist' }, label: 'case.sections' });
  const panels = {};
  const buttons = {};
  for (const name of tabs) {
    const b = h('button', {
      type: 'button', class: 'tab', id: `tab-${name}`, text: `case.tab_${name}`,
      attrs: { role: 'tab', 'aria-controls': `panel-${name}`, 'aria-selected': 'false' },
      on: { click: () => select(name, true) },
    });
    b.addEventListener('keydown', (e) => {
      const i = tabs.indexOf(name);
      const next = e.key === 'ArrowRight' ? tabs[(i + 1) % tabs.length] : e.key === 'ArrowLeft' ? tabs[(i + tabs.length - 1) % tabs.length] : null;
      if (next) {
        e.preventDefault();
        select(next, true);
        buttons[next].focus();
      }
    });
    buttons[name] = b;
    tablist.append(b);
    panels[name] = h('section', { class: 'tab-panel', id: `panel-${name}`, hidden: true, attrs: { role: 'tabpanel', 'aria-labelledby': `tab-${name}`, tabindex: '-1' } });
  }
  // Known to another organisation of the network? (the person's own
  // organisation's case workers and supervisors; the server decides)
  const known = editor && c.person_id ? knownElsewhere(ctx, c.person_id) : null;
  ctx.root.append(head, headMsg, ...(known ? [known.panel] : []), tablist, ...Object.values(panels));

  // ---- the header and its actions -----------------------------------------------

  async function reloadCase() {
    const r = await request(ctx, 'GET', path);
    if (!ctx.alive()) return false;
    if (r && r.status === 200) {
      c = r.body;
      drawHead();
      return true;
    }
    return false;
  }

  function drawHead() {
    ctx.title(() => personName(c.person));
    const open = OPEN.includes(c.status);
    const facts = h('dl', { class: 'facts' },
      fact('case.status', badge('case_status', c.status), 'head-status'),
      fact('case.stage', badge('nrm_stage', c.stage), 'head-stage'),
      fact('case.trafficking_status', c.trafficking_status ? badge('trafficking_status', c.trafficking_status) : h('span', { class: 'muted', text: 'case.not_decided' }), 'head-trafficking'),
      fact('case.opened', h('span', { data: showDate(c.opened_on) }), 'head-opened'),
      c.closed_on ? fact('case.closed', h('span', { text: () => `${showDate(c.closed_on)} · ${codeText('case_closure_reason', c.closure_reason)()}` }), 'head-closed') : null);
    const actions = h('div', { class: 'actions' });
    if (worker && open) {
      actions.append(
        h('a', { class: 'button primary', href: `#/cases/${encodeURIComponent(c.id)}/screening`, id: 'start-screening', text: 'case.screen' }),
        h('a', { class: 'button secondary', href: `#/cases/${encodeURIComponent(c.id)}/refer`, id: 'refer-case', text: 'case.refer' }));
      if (!c.shared_view) {
        actions.append(h('button', { type: 'button', class: 'button secondary', id: 'transfer-case', text: 'case.transfer',
          on: { click: () => transferPanel(actions) } }));
      }
    }
    if (editor && open) {
      actions.append(
        h('button', { type: 'button', class: 'button secondary', id: 'close-case', text: 'case.close', on: { click: () => closePanel(actions) } }));
    } else if (editor) {
      actions.append(h('button', { type: 'button', class: 'button secondary', id: 'reopen-case', text: 'case.reopen', on: { click: (e) => reopen(e.currentTarget) } }));
    }
    if (known) actions.append(known.button);
    head.replaceChildren(facts, actions);
    if (c.trafficking_status === 'ActualVictimOfTrafficking') identifiedBy(facts.querySelector('#head-trafficking dd'));
  }

  // "Identified victim" says who decided it: an authority's official
  // identification, or the organisation's own assessment (a presumed
  // victim in every report), from the newest decision.
  async function identifiedBy(dd) {
    const r = await request(ctx, 'GET', `${path}/status-decisions`);
    if (!ctx.alive() || !r || r.status !== 200 || !dd.isConnected) return;
    // The decision the case carries: of those with the case's status,
    // the latest (as the reports pick it, src/store/reports.c).
    const key = (d) => `${d.at || ''} ${d.created_at || ''}`;
    const newest = (r.body.items || []).filter((d) => d.status === c.trafficking_status && !d.case_status_kept)
      .reduce((a, d) => (!a || key(d) > key(a) ? d : a), null);
    const k = identificationKey(newest);
    if (k) dd.append(h('span', { class: 'ident-note', id: 'head-ident', attrs: { 'data-ident': k }, text: () => ` · ${t(k)}` }));
  }

  function fact(key, value, id) {
    return h('div', { class: 'fact', id }, h('dt', { text: key }), h('dd', {}, value));
  }

  // A short form below the case's actions: its fields, of which `choice`
  // must be chosen (else `needed` is said), a message, the submit button
  // and Cancel.  send() makes the request and answers the key of what
  // went wrong, or null when done (the form then goes).
  function actionForm(actions, spec) {
    const msg = messageBox();
    const submit = h('button', { type: 'submit', class: 'button primary', id: spec.submitId, text: spec.submitText });
    const form = h('form', { class: 'close-form', id: spec.id, attrs: { novalidate: true } },
      heading(3, spec.title), h('p', { class: 'hint', text: spec.hint }), ...spec.fields, msg,
      h('div', { class: 'actions' }, submit,
        h('button', { type: 'button', class: 'button secondary', text: 'common.cancel', on: { click: () => form.remove() } })));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      if (!spec.choice.value) {
        setMessage(msg, spec.needed);
        spec.choice.setAttribute('aria-invalid', 'true');
        spec.choice.focus();
        return;
      }
      submit.setAttribute('aria-disabled', 'true');
      const failed = await spec.send();
      submit.removeAttribute('aria-disabled');
      if (!ctx.alive()) return;
      if (failed) setMessage(msg, failed);
      else form.remove();
    });
    actions.after(form);
    spec.choice.focus();
  }

  function closePanel(actions) {
    if (head.querySelector('#close-form')) return;
    const reason = h('select', { id: 'close-reason', attrs: { 'aria-required': 'true' } });
    reason.append(h('option', { value: '', text: 'form.choose' }));
    for (const code of codeList('case_closure_reason')) reason.append(h('option', { value: code.code, text: code }));
    actionForm(actions, {
      id: 'close-form', title: 'case.close_title', hint: 'case.close_hint', submitId: 'close-confirm',
      submitText: 'case.close_confirm', choice: reason, needed: 'case.close_reason_needed',
      fields: [h('div', { class: 'field' }, h('label', { for: 'close-reason', text: 'case.close_reason' }), reason)],
      async send() {
        const body = { reason: reason.value };
        if (reason.value === 'referred_elsewhere') body.status = 'ClosedReferred';
        const r = await request(ctx, 'POST', `${path}/close`, body);
        if (!ctx.alive()) return null;
        if (!r || r.status !== 200) return statusKey(r);
        c = r.body;
        drawHead();
        setMessage(headMsg, 'case.closed_done', 'success');
        refreshTab();
        return null;
      },
    });
  }

  // Another organisation is asked to take the case over (POST
  // /cases/{id}/transfer); the case, its person and its records move when
  // it accepts.  A consent of the person to a referral covering it is
  // needed, as for a referral.
  async function transferPanel(actions) {
    if (head.querySelector('#transfer-form')) return;
    const to = h('select', { id: 'transfer-to', attrs: { 'aria-required': 'true' } }, h('option', { value: '', text: 'form.choose' }));
    const o = await request(ctx, 'GET', '/orgs');
    if (!ctx.alive()) return;
    for (const x of (o && o.status === 200 && o.body.items) || []) {
      if (!ctx.user.org || x.code !== ctx.user.org.code) to.append(h('option', { value: x.code, data: x.name || x.code }));
    }
    const reason = h('textarea', { id: 'transfer-reason', rows: 3, attrs: { maxlength: 2000 } });
    actionForm(actions, {
      id: 'transfer-form', title: 'case.transfer_title', hint: 'case.transfer_hint', submitId: 'transfer-send',
      submitText: 'case.transfer_send', choice: to, needed: 'case.transfer_to_needed',
      fields: [h('div', { class: 'field' }, h('label', { for: 'transfer-to', text: 'case.transfer_to' }), to),
        h('div', { class: 'field' }, h('label', { for: 'transfer-reason', text: 'case.transfer_reason' }), reason)],
      async send() {
        const body = { to_org: to.value };
        if (reason.value.trim()) body.reason = reason.value.trim();
        const r = await request(ctx, 'POST', `${path}/transfer`, body);
        if (!ctx.alive()) return null;
        if (!r || r.status !== 201)
          return r && r.status === 409 && /consent-required$/.test(r.body?.type || '') ? 'case.transfer_consent' : statusKey(r);
        setMessage(headMsg, 'case.transfer_sent', 'success');
        return null;
      },
    });
  }

  async function reopen(button) {
    button.setAttribute('aria-disabled', 'true');
    const r = await request(ctx, 'POST', `${path}/reopen`);
    if (!ctx.alive()) return;
    button.removeAttribute('aria-disabled');
    if (!r || r.status !== 200) {
      setMessage(headMsg, statusKey(r), 'error');
      return;
    }
    c = r.body;
    drawHead();
    setMessage(headMsg, 'case.reopened_done', 'success');
    refreshTab();
  }

  // ---- tabs ------------------------------------------------------------------------

  function select(name, focusPanel) {
    lastTab.tab = name;
    for (const tname of tabs) {
      const on = tname === name;
      buttons[tname].setAttribute('aria-selected', String(on));
      buttons[tname].tabIndex = on ? 0 : -1;
      panels[tname].hidden = !on;
    }
    if (focusPanel) setMessage(headMsg, null); // another tab: the last one's "saved" is done with
    draw[name](panels[name]);
    if (focusPanel) buttons[name].scrollIntoView({ block: 'nearest', inline: 'nearest' });
  }

  let savedId = null; // the record just saved, to move the cursor to

  function refreshTab() {
    draw[lastTab.tab](panels[lastTab.tab]);
  }

  // A tab of records of the case: a list (newest first) and, for those
  // who may write, a form that opens with a button.
  function itemsTab(panel, spec) {
    panel.replaceChildren(itemsSection(spec));
  }

  // The same as a section, to put several in one tab.
  function itemsSection(spec) {
    const section = h('section', { class: 'items-section', id: `${spec.id}-section` });
    section.append(h('p', { class: 'loading', attrs: { role: 'status' }, text: 'app.loading' }));
    const list = h('ul', { class: 'cards', id: `${spec.id}-list` });
    const msg = h('div', { class: 'message', attrs: { role: 'status' }, hidden: true });
    const formSlot = h('div');
    (async () => {
      const r = await request(ctx, 'GET', `${path}/${spec.path}`);
      if (!ctx.alive()) return;
      section.replaceChildren(heading(spec.level || 2, spec.title), spec.top || '', msg, formSlot, list);
      if (!r || r.status !== 200) {
        setMessage(msg, statusKey(r), 'error');
        return;
      }
      const items = (r.body.items || []).slice();
      if (spec.sort) items.sort(spec.sort);
      else items.reverse();
      if (!items.length) setMessage(msg, spec.empty, 'info');
      // Another organisation's record (a recipient's, on the owner's page)
      // says whose it is: it offers no change, and should not look broken.
      const names = items.some((it) => it.read_only) ? await orgNamesOf() : new Map();
      if (!ctx.alive()) return;
      for (const it of items) {
        list.append(h('li', { class: 'card', attrs: { 'data-id': it.id } }, spec.card(it),
          it.read_only ? h('p', { class: 'card-line muted record-org' },
            h('span', { text: () => `${t('case.recorded_by')} ${names.get(it.org) || it.org || ''}` })) : null));
      }
      // After a save, the cursor goes to what was saved (or the tab's heading).
      if (savedId) {
        const target = list.querySelector(`li[data-id="${CSS.escape(savedId)}"]`) || section.querySelector('h2, h3');
        savedId = null;
        if (target) {
          target.tabIndex = -1;
          target.focus();
        }
      }
      if (spec.form && spec.mayWrite) formSlot.append(addButton(spec));
      else if (spec.readOnlyNote) formSlot.append(h('p', { class: 'hint', text: spec.readOnlyNote }));
    })();
    return section;
  }

  // The organisations' names by code (GET /orgs), read once a page.
  let orgNamesP = null;
  function orgNamesOf() {
    orgNamesP = orgNamesP || request(ctx, 'GET', '/orgs').then((o) =>
      new Map(((o && o.status === 200 && o.body.items) || []).map((x) => [x.code, x.name])));
    return orgNamesP;
  }

  // The providers a service is chosen from: the organisations of the
  // directory's services, and the own organisation (GET /directory).
  let providerList = null;
  async function providers() {
    if (providerList) return providerList;
    const byCode = new Map();
    if (ctx.user.org && ctx.user.org.code) byCode.set(ctx.user.org.code, ctx.user.org.name || ctx.user.org.code);
    const r = await request(ctx, 'GET', '/directory/services?per_page=100');
    for (const sv of (r && r.status === 200 && r.body.items) || []) {
      const o = sv.organization || sv.org || {};
      if (o.code && !byCode.has(o.code)) byCode.set(o.code, o.name || o.code);
    }
    providerList = [...byCode].map(([code, name]) => ({ code, name })).sort((a, b) => a.name.localeCompare(b.name));
    return providerList;
  }
  // A provider's name: a directory organisation's code, or older free text.
  function providerName(v) {
    const o = providerList && providerList.find((x) => x.code === v);
    return o ? o.name : v;
  }

  function addButton(spec) {
    const slot = h('div', { class: 'add-slot' });
    const open = h('button', {
      type: 'button', class: 'button secondary', id: `${spec.id}-add`, text: spec.addKey,
      on: {
        click: async () => {
          open.hidden = true;
          setMessage(headMsg, null); // "saved" belongs to the last form, not this one
          const more = spec.form.prepare ? await spec.form.prepare() : {};
          if (!ctx.alive()) return;
          const fields = buildForm(spec.form.resource, { ...spec.form.opts, ...more, prefix: spec.id });
          const shell = formShell({
            id: `${spec.id}-form`, title: spec.addKey, fields, submitKey: 'common.save',
            extra: spec.formExtra ? spec.formExtra() : undefined,
            onSubmit: async () => {
              const { value, missing } = fields.read();
              if (missing.length) return;
              const r = await request(ctx, 'POST', `${path}/${spec.path}`, value);
              if (!ctx.alive()) return;
              if (!r || r.status !== 201) {
                if (r && r.status === 403 && spec.forbidden) setMessage(fields.errorBox, spec.forbidden);
                else if (r && r.status === 409 && spec.conflict?.[r.body?.type]) setMessage(fields.errorBox, spec.conflict[r.body.type]);
                else fields.showProblem(r);
                return;
              }
              setMessage(headMsg, spec.saved, 'success');
              savedId = r.body && r.body.id;
              if (spec.onSaved) await spec.onSaved(r.body);
              await reloadCase();
              refreshTab();
            },
          });
          shell.form.querySelector('.actions').append(h('button', {
            type: 'button', class: 'button secondary', text: 'common.cancel',
            on: { click: () => { shell.form.remove(); open.hidden = false; open.focus(); } },
          }));
          slot.append(shell.form);
          fields.focus();
        },
      },
    });
    slot.append(open);
    return slot;
  }

  const line = (...parts) => h('p', { class: 'card-line' }, parts.filter(Boolean).map((p, i) => [i ? h('span', { class: 'sep', data: ' · ' }) : null, p]));
  const dateText = (key, v) => (v ? h('span', { text: () => `${t(key)} ${showDate(v)}` }) : null);
  const prose = (v) => (v ? h('p', { class: 'prose', data: v }) : null);

  const draw = {
    referrals: referralsTab,
    access: accessTab,
    justice: (panel) => justiceTab(ctx, panel, { c, path, section: itemsSection, headMsg, mayRecord: JUSTICE.includes(ctx.user.role), stageNext: STAGE_NEXT, refresh: () => refreshTab() }),
    protection: (panel) => protectionTab(ctx, panel, { c, path, section: itemsSection, headMsg, editor, refresh: () => refreshTab() }),
    timeline(panel) {
      panel.replaceChildren(h('p', { class: 'loading', attrs: { role: 'status' }, text: 'app.loading' }));
      (async () => {
        const r = await request(ctx, 'GET', `${path}/timeline`);
        if (!ctx.alive()) return;
        const msg = h('div', { class: 'message', attrs: { role: 'status' }, hidden: true });
        const list = h('ol', { class: 'timeline', id: 'timeline-list' });
        panel.replaceChildren(heading(2, 'case.tab_timeline'), msg, list);
        if (!r || r.status !== 200) {
          setMessage(msg, statusKey(r), 'error');
          return;
        }
        const items = (r.body.items || []).slice().sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
        if (!items.length) setMessage(msg, 'case.timeline_empty', 'info');
        // A referral's row names its recipient: the organisations' names.
        const orgNames = new Map();
        if (items.some((ev) => ev.type === 'referral')) {
          const o = await request(ctx, 'GET', '/orgs');
          if (!ctx.alive()) return;
          for (const x of (o && o.status === 200 && o.body.items) || []) orgNames.set(x.code, x.name);
        }
        for (const ev of items) list.append(timelineItem(ev, orgNames));
      })();
    },
    details(panel) {
      panel.replaceChildren(heading(2, 'case.tab_details'), recordView('case', c));
      // The case workers, and an authority's focal point on a case its
      // authority opened: they correct the case and the person (a
      // misspelt name, a wrong date); a reader through a referral does not.
      if (!worker || c.shared_view) return;
      const msg = messageBox();
      const edit = h('button', {
        type: 'button', class: 'button secondary', id: 'edit-case', text: 'case.edit',
        on: { click: () => editForm(panel) },
      });
      const editPerson = h('button', {
        type: 'button', class: 'button secondary', id: 'edit-person', text: 'case.edit_person',
        on: { click: (e) => personForm(panel, msg, e.currentTarget) },
      });
      panel.append(msg, h('div', { class: 'actions' }, edit, editPerson));
    },
    screenings(panel) {
      itemsTab(panel, {
        id: 'screenings', path: 'screenings', title: 'case.tab_screenings', empty: 'case.screenings_empty',
        top: worker && OPEN.includes(c.status) ? h('div', { class: 'actions' }, h('a', {
          class: 'button primary', href: `#/cases/${encodeURIComponent(c.id)}/screening`, text: 'case.screen',
        })) : null,
        card: (s) => [
          h('p', { class: 'card-title' }, h('span', { text: () => `${t('scr.suggestion')}: ` }), h('strong', { text: `scr.sugg_${s.suggestion}` })),
          line(dateText('case.on', s.created_at), h('span', { class: 'child-reason', text: childReasonText(s) })),
          h('p', { class: 'card-line muted', text: () => positiveDims(s.dimensions) }),
          ...Object.keys(s.because || {}).sort().map((d) => becauseList(schema().indicators?.['delphi-adult-labour'] || { items: [] }, s.because, d)),
        ],
      });
    },
    async services(panel) {
      await providers(); // the cards name the providers
      if (!ctx.alive()) return;
      itemsTab(panel, {
        id: 'service', path: 'services', title: 'case.tab_services', empty: 'case.services_empty',
        addKey: 'case.add_service', saved: 'case.saved_service', mayWrite: editor,
        form: {
          resource: 'service', opts: { values: { status: 'planned', start: today() }, primary: ['type', 'status', 'provider_org', 'start', 'end', 'notes'] },
          prepare: async () => ({ choices: { provider_org: (await providers()).map((o) => ({ value: o.code, text: o.name })) } }),
        },
        card: (s) => [
          h('p', { class: 'card-title' }, h('strong', { text: codeText('assistance_service_types', s.type) }), ' ', badge('service_status', s.status, 'info')),
          line(dateText('case.from', s.start), dateText('case.until', s.end), s.provider_org ? h('span', { class: 'svc-provider', data: providerName(s.provider_org) }) : null,
            s.cost !== undefined && s.cost !== null ? h('span', { class: 'svc-cost', text: () => `${t('case.cost')} ${showMoney(s.cost, s.currency)}` }) : null),
          s.trade || s.completion || s.grant_amount !== undefined ? line(s.trade ? h('span', { data: s.trade }) : null,
            s.completion ? badge('livelihood_completion', s.completion, s.completion === 'completed' ? 'ok' : 'neutral') : null,
            s.grant_amount !== undefined && s.grant_amount !== null ? h('span', { class: 'svc-grant', text: () => `${t('case.grant_amount')} ${showMoney(s.grant_amount, s.currency)}` }) : null) : null,
          prose(s.notes),
        ],
      });
    },
    plans(panel) {
      itemsTab(panel, {
        id: 'plan', path: 'plans', title: 'case.tab_plans', empty: 'case.plans_empty',
        addKey: 'case.add_plan', saved: 'case.saved_plan', mayWrite: editor,
        form: { resource: 'plan', opts: { values: { start: today() } } },
        card: (p) => [
          h('p', { class: 'card-title' }, h('strong', { text: codeText('support_plan_type', p.type) })),
          line(dateText('case.from', p.start), dateText('case.review_on', p.review_on)),
          p.goals && p.goals.length ? h('ul', { class: 'goals' }, p.goals.map((g) => h('li', {},
            h('span', { data: g.goal }), g.due ? h('span', { class: 'muted', text: () => ` · ${t('case.due')} ${showDate(g.due)}` }) : null,
            ' ', badge('goal_status', g.status || 'open', g.status === 'achieved' ? 'ok' : 'neutral')))) : null,
          prose(p.notes),
        ],
      });
    },
    // A child's case (issue 15): the server refuses it for an adult.
    best_interests(panel) {
      itemsTab(panel, {
        id: 'best_interests', path: 'best-interests', title: 'case.tab_best_interests', empty: 'case.best_interests_empty',
        addKey: 'case.add_best_interests', saved: 'case.saved_best_interests', mayWrite: editor,
        conflict: { 'not-a-child': 'case.not_a_child' }, // a 409 of its type; any other as it is
        form: { resource: 'best_interests', opts: { values: { date: today() } } },
        card: (b) => [
          h('p', { class: 'card-title' }, h('strong', { text: codeText('best_interests_outcome', b.outcome) }), ' ', dateText('case.on', b.date)),
          line(h('span', { text: b.child_heard ? 'case.child_heard' : 'case.child_not_heard' }),
            b.review_on ? dateText('case.review_on', b.review_on) : null),
          prose(b.findings),
        ],
      });
    },
    followups(panel) {
      itemsTab(panel, {
        id: 'followup', path: 'followups', title: 'case.tab_followups', empty: 'case.followups_empty',
        addKey: 'case.add_followup', saved: 'case.saved_followup', mayWrite: editor,
        sort: (a, b) => (a.due < b.due ? -1 : a.due > b.due ? 1 : 0),
        form: { resource: 'followup', opts: { include: ['due', 'reintegration', 'outcome'] } },
        card: (f) => followupCard(f),
      });
    },
    notes(panel) {
      itemsTab(panel, {
        id: 'note', path: 'notes', title: 'case.tab_notes', empty: 'case.notes_empty',
        addKey: 'case.add_note', saved: 'case.saved_note', mayWrite: editor,
        form: { resource: 'note', opts: { values: { type: 'note', date: today() } } },
        card: (n) => [
          h('p', { class: 'card-title' }, h('strong', { text: codeText('note_type', n.type) }), ' ', dateText('case.on', n.date || n.created_at)),
          prose(n.text),
        ],
      });
    },
    decisions(panel) {
      itemsTab(panel, {
        id: 'decision', path: 'status-decisions', title: 'case.tab_decisions', empty: 'case.decisions_empty',
        addKey: decisionAddKey(ctx), saved: 'case.saved_decision', mayWrite: DECIDERS.includes(ctx.user.role),
        readOnlyNote: 'case.decision_who', forbidden: 'error.decision_forbidden',
        sort: (a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0),
        form: { resource: 'status_decision', opts: { values: { date: today() } } },
        formExtra: () => decisionNote(ctx, 'decision'),
        card: (d) => [
          h('p', { class: 'card-title' }, badge('trafficking_status', d.status)),
          line(h('span', { text: codeText('trafficking_status_decider', d.decided_by) }), dateText('case.on', d.date),
            d.reference ? h('span', { text: () => `${t('case.reference')} ${d.reference}` }) : null,
            d.before_rule ? h('span', { class: 'badge neutral', text: 'case.before_rule' }) : null),
          identificationKey(d) && !d.case_status_kept ? h('p', { class: 'card-line ident', attrs: { 'data-ident': identificationKey(d) }, text: identificationKey(d) }) : null,
          d.case_status_kept ? h('p', { class: 'card-line ident', attrs: { 'data-kept': 'yes' }, text: 'case.status_kept' }) : null,
        ],
      });
    },
  };

  // ---- referrals of the case, and who outside saw it ---------------------------------

  function referralsTab(panel) {
    panel.replaceChildren(h('p', { class: 'loading', attrs: { role: 'status' }, text: 'app.loading' }));
    (async () => {
      const r = await request(ctx, 'GET', '/referrals?box=out');
      if (!ctx.alive()) return;
      const msg = h('div', { class: 'message', attrs: { role: 'status' }, hidden: true });
      const list = h('ul', { class: 'cards wide', id: 'case-referrals-list' });
      const top = worker && OPEN.includes(c.status) ? h('div', { class: 'actions' }, h('a', {
        class: 'button primary', href: `#/cases/${encodeURIComponent(c.id)}/refer`, text: 'case.refer',
      })) : null;
      panel.replaceChildren(heading(2, 'case.tab_referrals'), top || '', msg, list);
      if (!r || r.status !== 200) {
        setMessage(msg, statusKey(r), 'error');
        return;
      }
      const items = (r.body.items || []).filter((f) => f.case_id === c.id);
      if (!items.length) setMessage(msg, 'case.referrals_empty', 'info');
      for (const f of items) list.append(referralCard(ctx, f, { incoming: false, inCase: true, onChange: () => reloadCase() }));
    })();
  }

  function accessTab(panel) {
    panel.replaceChildren(h('p', { class: 'loading', attrs: { role: 'status' }, text: 'app.loading' }));
    (async () => {
      const r = await request(ctx, 'GET', `${path}/access-log`);
      if (!ctx.alive()) return;
      const msg = h('div', { class: 'message', attrs: { role: 'status' }, hidden: true });
      const list = h('ol', { class: 'timeline access-list', id: 'access-list' });
      panel.replaceChildren(heading(2, 'case.tab_access'), h('p', { class: 'hint', text: 'acc.lead' }), msg, list);
      if (!r || r.status !== 200) {
        setMessage(msg, statusKey(r), 'error');
        return;
      }
      const items = r.body.items || [];
      if (!items.length) setMessage(msg, 'acc.empty', 'info');
      for (const a of items) list.append(accessItem(a));
    })();
  }

  function accessItem(a) {
    const kind = (a.record || '').split('/')[0];
    const known = ['cases', 'persons', 'referrals', 'services', 'notes', 'status_decisions', 'plans', 'followups', 'screenings'];
    // A question of another organisation matched this person's encoding
    // (api/pprlnet.c): that organisation is named, nobody of it and no field.
    const matched = a.action === 'known-elsewhere-matched';
    const fields = matched ? [] : (a.fields || '').split(',').filter(Boolean);
    return h('li', { class: 'tl-item acc-item', attrs: { 'data-org': a.org, 'data-action': a.action } },
      h('span', { class: 'tl-date', data: showTime(a.at) }),
      h('div', { class: 'tl-body' },
        h('strong', { class: 'acc-who', data: a.user ? `${a.user} · ${a.org}` : a.org }),
        h('p', { class: 'tl-detail' },
          h('span', { class: 'acc-action', text: () => (matched ? t('acc.action_known_matched') : ['read', 'create', 'update'].includes(a.action) ? t(`acc.action_${a.action}`) : a.action) }),
          h('span', { text: () => `: ${known.includes(kind) ? t(`acc.record_${kind}`) : kind}` })),
        fields.length ? h('p', { class: 'tl-detail muted acc-fields', text: () => fields.map((n) => fieldName(kind, n)).join(', ') }) : null));
  }

  // A field of the record kind read ("notes": a note's), of the case or
  // the person, or a list of records ("services").
  function fieldName(kind, n) {
    const resource = { notes: 'note', services: 'service', plans: 'plan', followups: 'followup', status_decisions: 'status_decision' }[kind];
    const own = resource && fieldOf(resource, n);
    if (own) return label(own.label);
    const known = shareLabel(n);
    if (known !== n) return known;
    const tab = `case.tab_${n}`;
    return t(tab) !== tab ? t(tab) : n;
  }

  function positiveDims(dims) {
    const ind = schema()?.indicators?.['delphi-adult-labour'] || {};
    const on = Object.entries(dims || {}).filter(([, v]) => v).map(([k]) => {
      const d = (ind.dimensions || []).find((x) => x.code === k);
      return d ? label(d) : k;
    });
    return on.length ? `${t('scr.dims_found')}: ${on.join('; ')}` : t('scr.dims_none');
  }

  function followupCard(f) {
    const overdue = f.status === 'due' && f.due < today();
    const parts = [
      h('p', { class: 'card-title' },
        h('strong', { text: () => `${t('case.due')} ${showDate(f.due)}` }), ' ',
        badge('followup_status', f.status || 'due'),
        overdue ? h('span', { class: 'badge warn', text: 'fu.overdue' }) : null,
        f.reintegration ? h('span', { class: 'badge neutral', text: 'fu.reintegration' }) : null),
      f.months_after ? h('p', { class: 'card-line', text: () => t('fu.livelihood_after').split('{n}').join(String(f.months_after)) }) : null,
      f.done_on ? line(dateText('fu.done_on', f.done_on)) : null,
      f.employment || f.income_band || f.remittance_dependence || f.business_running !== undefined
        ? recordView('followup', f, ['employment', 'income_band', 'business_running', 'remittance_dependence']) : null,
      prose(f.outcome),
    ];
    if (editor && f.status === 'due' && !f.read_only) { // a recipient's is its own to close
      const slot = h('div', { class: 'actions' });
      const done = h('button', {
        type: 'button', class: 'button secondary small', text: 'fu.mark_done', attrs: { 'data-action': 'done' },
        on: { click: () => doneForm(f, slot) },
      });
      slot.append(done);
      parts.push(slot);
    }
    return parts;
  }

  function doneForm(f, slot) {
    const id = `done-${f.id}`;
    const outcome = h('textarea', { id: `${id}-outcome`, rows: 3, value: f.outcome || '', attrs: { maxlength: 5000 } });
    const msg = messageBox();
    // A livelihood follow-up asks what the person lives on now.
    const lv = f.months_after ? buildForm('followup', { include: ['employment', 'income_band', 'business_running', 'remittance_dependence'], prefix: `${id}-lv` }) : null;
    const save = h('button', { type: 'submit', class: 'button primary', text: 'fu.save_done', attrs: { 'data-action': 'save-done' } });
    const form = h('form', { class: 'done-form', attrs: { novalidate: true } },
      lv ? lv.node : null,
      h('div', { class: 'field' }, h('label', { for: `${id}-outcome`, text: 'fu.outcome' }), outcome),
      msg, h('div', { class: 'actions' }, save, h('button', {
        type: 'button', class: 'button secondary', text: 'common.cancel', on: { click: () => refreshTab() },
      })));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const body = { status: 'done', done_on: today(), ...(lv ? lv.read().value : {}) };
      if (lv) body.business_running = body.business_running === true; // unticked: it closed
      if (outcome.value.trim()) body.outcome = outcome.value.replace(/\s+$/, '');
      save.setAttribute('aria-disabled', 'true');
      const r = await request(ctx, 'PATCH', `/followups/${encodeURIComponent(f.id)}`, body, { 'If-Match': `"${f.version}"` });
      save.removeAttribute('aria-disabled');
      if (!ctx.alive()) return;
      if (!r || r.status !== 200) {
        if (lv && r && r.status === 422) lv.showProblem(r);
        setMessage(msg, r && r.status === 412 ? 'error.stale_item' : statusKey(r));
        return;
      }
      setMessage(headMsg, 'fu.done_saved', 'success');
      refreshTab();
    });
    slot.replaceChildren(form);
    if (lv) lv.focus(); else outcome.focus();
  }

  // The person's own record (an audited read), corrected with If-Match.
  async function personForm(panel, msg, button) {
    button.disabled = true;
    const ppath = `/persons/${encodeURIComponent(c.person.id)}`;
    const got = await request(ctx, 'GET', ppath);
    if (!ctx.alive()) return;
    button.disabled = false;
    if (!got || got.status !== 200) {
      msg.replaceChildren();
      setMessage(msg, !got ? 'error.network' : got.status === 403 ? 'error.forbidden'
        : got.status === 404 ? 'error.not_found' : 'error.server', 'error');
      return;
    }
    const { form, fields } = patchForm(ctx, {
      id: 'person-edit-form', title: 'case.edit_person', resource: 'person', record: got.body, path: ppath,
      opts: { primary: ['given_name', 'family_name', 'patronymic', 'birth_date', 'estimated_age', 'gender'], prefix: 'pedit',
        needOne: ['given_name', 'family_name', 'aliases'] },
      reloadId: 'reload-person',
      saved: (body) => {
        for (const k of ['given_name', 'family_name', 'birth_date']) c.person[k] = body[k];
        drawHead();
        setMessage(headMsg, 'case.saved_person', 'success');
        draw.details(panel);
      },
      cancel: () => draw.details(panel),
    });
    panel.replaceChildren(form);
    fields.focus();
  }

  function editForm(panel) {
    const open = OPEN.includes(c.status);
    const { form, fields } = patchForm(ctx, {
      id: 'edit-form', title: 'case.edit', resource: 'case', record: { ...c }, path,
      opts: {
        exclude: ['person_id', 'assigned_to', 'previous_case_id', 'opened_on', ...(open ? [] : ['status'])],
        primary: ['status', 'stage', 'exploitation_types', 'labour_sector', 'recruitment_method', 'summary'],
        prefix: 'edit', only: { status: OPEN },
      },
      reloadId: 'reload-case', conflictId: 'edit-conflict',
      saved: (body) => {
        c = body;
        drawHead();
        setMessage(headMsg, 'case.saved_details', 'success');
        draw.details(panel);
      },
      cancel: () => draw.details(panel),
    });
    panel.replaceChildren(form);
    fields.focus();
  }

  function timelineItem(ev, orgNames = new Map()) {
    const d = ev.data || {};
    let detail = null;
    switch (ev.type) {
    case 'stage_changed':
      detail = () => `${codeText('nrm_stage', d.from)()} → ${codeText('nrm_stage', d.to)()}`;
      break;
    case 'assigned':
      detail = () => (d.to === ctx.user.id ? t('case.assigned_me') : t('case.assigned_other'));
      break;
    case 'closure':
      detail = codeText('case_closure_reason', d.reason);
      break;
    case 'screening':
      detail = () => `${t('scr.suggestion')}: ${t(`scr.sugg_${d.suggestion}`)}`;
      break;
    case 'best_interests':
      detail = codeText('best_interests_outcome', d.outcome);
      break;
    case 'service':
      detail = () => `${codeText('assistance_service_types', d.type)()} · ${codeText('service_status', d.status)()}`;
      break;
    case 'plan':
      detail = codeText('support_plan_type', d.type);
      break;
    case 'follow_up':
      detail = () => `${t('case.due')} ${showDate(d.due)} · ${codeText('followup_status', d.status || 'due')()}`;
      break;
    case 'referral':
      // "→ Police · Accepted": to whom, and the state it reached then.
      if (d.to) detail = () => [`${t('ref.to')} ${orgNames.get(d.to) || d.to}`,
        d.status ? codeText('referral_status', d.status)() : null].filter(Boolean).join(' · ');
      break;
    case 'status_decision':
      detail = () => [codeText('trafficking_status', d.status)(), codeText('trafficking_status_decider', d.decided_by)(),
        identificationKey(d) ? t(identificationKey(d)) : null].filter(Boolean).join(' · ');
      break;
    case 'legal_step':
      detail = d.article ? () => `${codeText('criminal_code_article', d.article)()} · ${t(`jus.stage_${d.stage}`)}` : () => t('jus.restricted_proceeding');
      break;
    case 'shelter_stay':
      detail = () => `${showDate(d.admitted_on)}${d.discharged_on ? ` – ${showDate(d.discharged_on)}` : ''} · ${codeText('stay_admission_reason', d.admission_reason)()}`;
      break;
    case 'assessment':
      detail = () => `${codeText('risk_level', d.level)()} · ${t('case.review_on')} ${showDate(d.review_on)}`;
      break;
    case 'safety_plan':
      detail = () => `${t('case.review_on')} ${showDate(d.review_on)}`;
      break;
    default:
      if (typeof d.text === 'string') detail = () => (d.text.length > 240 ? `${d.text.slice(0, 240)}…` : d.text);
    }
    return h('li', { class: `tl-item tl-${ev.kind}`, attrs: { 'data-type': ev.type } },
      h('span', { class: 'tl-date', data: showDate(ev.at) }),
      h('div', { class: 'tl-body' },
        h('strong', { class: 'tl-type', text: codeText('timeline_event_type', ev.type) }),
        detail ? h('p', { class: 'tl-detail', text: detail }) : null));
  }

  drawHead();
  if (flash && flash.id === id) setMessage(headMsg, flash.key, 'success');
  flash = null;
  select(tabs.includes(lastTab.tab) ? lastTab.tab : 'timeline', false);
}
