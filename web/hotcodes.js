// hotcodes.js - the hotline's code lists (README, API section: contacts,
// callbacks), shared by the operator screen, the callback queue and the
// supervisor statistics.
//
// The codes and their labels in tg, ru and en come from the server's
// schema (GET /api/v1/schema), so every screen names a code the same way.

import { codeList, codeText } from './forms.js';

// The schema's code list behind each kind of hotline code.
const LISTS = {
  channel: 'hotline_channel',
  call_type: 'hotline_call_type', // data first, then the non-data kinds
  caller_kind: 'hotline_caller_kind',
  topic: 'contact_topic',
  action: 'contact_action',
  flag: 'caller_flag',
  outcome: 'callback_outcome',
};

// The codes of a kind, in the schema's order.
export function hotCodes(kind) {
  return codeList(LISTS[kind]).map((c) => c.code);
}

// The languages a call is held in, by their own names (not translated).
export const CALL_LANGS = [
  ['tg', 'Тоҷикӣ'], ['ru', 'Русский'], ['uz', 'Oʻzbekcha'], ['en', 'English'],
];

export function langName(code) {
  const e = CALL_LANGS.find(([c]) => c === code);
  return e ? e[1] : (code || '');
}

// A live text maker for code of kind: its label in the current language.
export function hotText(kind, code) {
  return codeText(LISTS[kind], code);
}

// An ISO 8601 UTC time without milliseconds, as the API writes them.
export function isoUtc(date) {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

// "DD.MM.YYYY HH:MM" in the browser's time zone.
export function showDateTime(value) {
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return '';
  const p = (n) => String(n).padStart(2, '0');
  return `${p(d.getDate())}.${p(d.getMonth() + 1)}.${d.getFullYear()} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

// A value for <input type="datetime-local"> (local time), and back.
export function localInput(date) {
  const p = (n) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${p(date.getMonth() + 1)}-${p(date.getDate())}T${p(date.getHours())}:${p(date.getMinutes())}`;
}

export function fromLocalInput(value) {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value || '')) return null;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d;
}
