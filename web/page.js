// page.js - what every page of the case work shares: asking the server
// on behalf of a view, the loading and failure states, a person's name,
// and the small coloured labels for codes.

import { t } from './i18n.js';
import { api } from './api.js';
import { h, live, setMessage } from './dom.js';
import { loadSchema, codeText, statusKey, buildForm, formShell } from './forms.js';

// api() for a view: null when the server cannot be reached; a 401 ends
// the session in the UI too (the login form shows why).
export async function request(ctx, method, path, body, headers) {
  let res;
  try {
    res = await api(method, path, body, headers);
  } catch {
    return null;
  }
  if (res.status === 401 && ctx.alive()) ctx.signedOut();
  return res;
}

// What the policy lets a user do in the own organisation (mirrors
// src/domain/policy.c; the server decides): register a person, record a
// consent and open a case; screen and refer an open case.  A focal point
// does both in an authority's organisation (issue 15: the NRM's entry
// points), and neither elsewhere.
const ENTRY_STAFF = ['supervisor', 'caseworker', 'hotline'];
const CASE_WORKERS = ['supervisor', 'caseworker'];
const authorityFocal = (user) => !!user && user.role === 'focal_point' && !!(user.org && user.org.authority);
export const mayRegister = (user) => !!user && (ENTRY_STAFF.includes(user.role) || authorityFocal(user));
export const mayScreenRefer = (user) => !!user && (CASE_WORKERS.includes(user.role) || authorityFocal(user));

// The first thing every view does: the schema (once), with a loading
// line meanwhile.  False when the view should stop.
export async function prepare(ctx) {
  const wait = h('p', { class: 'loading', attrs: { role: 'status' }, text: 'app.loading' });
  ctx.root.replaceChildren(wait);
  try {
    await loadSchema();
  } catch (e) {
    if (!ctx.alive()) return false;
    if (e && e.status === 401) {
      ctx.signedOut();
      return false;
    }
    failed(ctx, e && e.status ? { status: e.status } : null);
    return false;
  }
  if (!ctx.alive()) return false;
  wait.remove();
  return true;
}

// Replace the view with the reason an answer failed and a way to retry.
export function failed(ctx, res) {
  const box = h('div', { class: 'message error', attrs: { role: 'alert' } });
  setMessage(box, statusKey(res), 'error');
  const again = h('button', { type: 'button', class: 'button secondary', text: 'common.retry', on: { click: () => ctx.go(location.hash) } });
  ctx.root.replaceChildren(box, h('div', { class: 'actions' }, again));
}

// "Family Given Patronymic", or a placeholder for a person without names.
export function personName(p) {
  const parts = p ? [p.family_name, p.given_name, p.patronymic].filter((s) => typeof s === 'string' && s !== '') : [];
  return parts.length ? parts.join(' ') : t('common.no_name');
}

// A small label showing a code of a list: badge('case_status', 'Active').
export function badge(list, code, tone) {
  if (!code) return null;
  return h('span', { class: `badge ${tone || toneOf(list, code)}`, text: codeText(list, code) });
}

function toneOf(list, code) {
  if (list === 'case_status') return code === 'Active' ? 'ok' : code === 'FollowUp' ? 'info' : 'muted';
  if (list === 'trafficking_status') return code === 'NotAVictimOfTrafficking' ? 'muted' : 'warn';
  if (list === 'followup_status') return code === 'done' ? 'ok' : code === 'due' ? 'info' : 'muted';
  return 'neutral';
}

// A message line (role=alert) to put next to a form or a list.
export function messageBox() {
  return h('div', { class: 'message', attrs: { role: 'alert' }, hidden: true });
}

// A heading with a live text.
export function heading(level, text, props = {}) {
  return live(h(`h${level}`, props), text);
}

// The form that changes a record: its declared fields with the record's
// values, the changed ones sent as a PATCH with If-Match; "nothing
// changed" when none is; a stale version says so with a Reload button
// (id reloadId); else the server's problem on its fields.  saved(body)
// on 200, cancel() on Cancel.  The form is returned, not placed.
export function patchForm(ctx, { id, title, resource, opts, record, path, reloadId, conflictId, saved, cancel, stale }) {
  const fields = buildForm(resource, { ...opts, values: record });
  const shell = formShell({
    id, title, fields, submitKey: 'common.save',
    onSubmit: async () => {
      const { patch, missing } = fields.changes(record);
      if (missing.length) return;
      if (!Object.keys(patch).length) {
        setMessage(fields.errorBox, 'case.no_changes', 'info');
        return;
      }
      const r = await request(ctx, 'PATCH', path, patch, { 'If-Match': `"${record.version}"` });
      if (!ctx.alive()) return;
      if (r && r.status === 200) {
        saved(r.body);
        return;
      }
      if (r && (r.status === 412 || r.status === 428)) {
        setMessage(fields.errorBox, stale || 'error.stale', 'error', h('button', {
          type: 'button', class: 'button secondary small', id: reloadId, text: 'common.reload',
          on: { click: () => ctx.go(location.hash) },
        }));
        if (conflictId) fields.errorBox.id = conflictId;
        return;
      }
      fields.showProblem(r);
    },
  });
  shell.form.querySelector('.actions').append(h('button', {
    type: 'button', class: 'button secondary', text: 'common.cancel', on: { click: cancel },
  }));
  return { form: shell.form, fields };
}
