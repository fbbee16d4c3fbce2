// dom.js - building the page from nodes, never from markup strings.
//
// h() makes an element; texts go in through textContent only, so data
// from the server can never become markup.  A text that depends on the
// language is "live": the node remembers the function that makes it, and
// refreshLive() runs them all again after a change of language, without
// rebuilding the page (what was typed into a form stays).

import { t, getLang } from './i18n.js';

const liveTexts = new WeakMap(); // node -> () => string
const liveAttrs = new WeakMap(); // node -> {attr: () => string}
const liveDraws = new WeakMap(); // node -> () => void

// A text maker: a catalogue key ('case.title'), a label object from the
// server ({tg, ru, en}), or a function returning a string.
function maker(text) {
  if (typeof text === 'function') return text;
  if (text && typeof text === 'object') return () => label(text);
  return () => t(text);
}

// The label of {tg, ru, en} in the current language.
export function label(obj) {
  if (!obj) return '';
  return obj[getLang()] || obj.en || obj.tg || '';
}

// Give node a text that follows the language.
export function live(node, text) {
  const fn = maker(text);
  liveTexts.set(node, fn);
  node.setAttribute('data-live', '');
  node.textContent = fn();
  return node;
}

export function liveAttr(node, attr, text) {
  const fn = maker(text);
  const attrs = liveAttrs.get(node) || {};
  attrs[attr] = fn;
  liveAttrs.set(node, attrs);
  node.setAttribute('data-live', '');
  node.setAttribute(attr, fn());
  return node;
}

export function refreshLive(root = document) {
  for (const node of root.querySelectorAll('[data-live]')) {
    const fn = liveTexts.get(node);
    if (fn) node.textContent = fn();
    const attrs = liveAttrs.get(node);
    if (attrs) for (const [attr, f] of Object.entries(attrs)) node.setAttribute(attr, f());
    liveDraws.get(node)?.();
  }
}

// A node whose whole content follows the language (a chart whose labels
// are laid out by their width): draw() fills it now and again after every
// change of language.
export function liveDraw(node, draw) {
  liveDraws.set(node, draw);
  node.setAttribute('data-live', '');
  draw();
  return node;
}

// h('button', {class: 'button', type: 'button', text: 'common.save', on: {click}}, ...children)
//   text:  a live text (key, label object or function); data: plain text
//   attrs: other attributes; any other key is set as a property.
export function h(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    switch (key) {
    case 'class': node.className = value; break;
    case 'text': live(node, value); break;
    case 'data': node.textContent = String(value); break;
    case 'on': for (const [ev, fn] of Object.entries(value)) node.addEventListener(ev, fn); break;
    case 'attrs': for (const [a, v] of Object.entries(value)) if (v !== undefined && v !== null && v !== false) node.setAttribute(a, v === true ? '' : String(v)); break;
    case 'label': liveAttr(node, 'aria-label', value); break;
    case 'for': node.htmlFor = value; break;
    default: node[key] = value;
    }
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

let uid = 0;
export function newId(prefix = 'f') {
  uid += 1;
  return `${prefix}-${uid}`;
}

// Today as YYYY-MM-DD in the browser's time zone.
export function today() {
  const d = new Date();
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

// A date (YYYY-MM-DD or an RFC 3339 time) as DD.MM.YYYY, the way dates
// are written in Tajikistan whatever the language.
export function showDate(value) {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(value || '');
  return m ? `${m[3]}.${m[2]}.${m[1]}` : '';
}

// A date as typed (DD.MM.YYYY, the one written form in every language;
// MM.YYYY or YYYY for a date known in part; YYYY-MM-DD is taken too) as
// the API writes it, YYYY-MM-DD (or YYYY-MM, YYYY); null if it is none.
export function parseDate(text) {
  const v = String(text || '').trim();
  const p = (n) => String(n).padStart(2, '0');
  let m = /^(\d{1,2})[./-](\d{1,2})[./-](\d{4})$/.exec(v);
  if (m) return `${m[3]}-${p(m[2])}-${p(m[1])}`;
  m = /^(\d{1,2})[./](\d{4})$/.exec(v);
  if (m) return `${m[2]}-${p(m[1])}`;
  if (/^\d{4}(-\d{2}(-\d{2})?)?$/.test(v)) return v;
  return null;
}

// The API's YYYY-MM-DD, YYYY-MM or YYYY as it is typed and shown.
export function dateText(value) {
  const v = String(value || '');
  if (/^\d{4}-\d{2}-\d{2}/.test(v)) return showDate(v);
  const m = /^(\d{4})-(\d{2})$/.exec(v);
  return m ? `${m[2]}.${m[1]}` : v;
}

// A date box, typed and shown DD.MM.YYYY in every language, not in the
// browser's own order (mm/dd/yyyy in an English browser): a text input
// with the dd.mm.yyyy placeholder, holding value (YYYY-MM-DD, YYYY-MM or
// YYYY) as dateText writes it.  Read it back with parseDate, or dayOf.
export function dateInput(props = {}, value = '') {
  const input = h('input', {
    ...props, type: 'text', value: dateText(value),
    attrs: { inputmode: 'numeric', maxlength: 10, autocomplete: 'off', ...(props.attrs || {}) },
  });
  input.classList.add('date');
  liveAttr(input, 'placeholder', 'form.date_placeholder');
  return input;
}

// The whole day typed in a date box as YYYY-MM-DD: '' when the box is
// empty, null when what it holds is not a day of the calendar.
export function dayOf(input) {
  const v = input.value.trim();
  if (!v) return '';
  const d = parseDate(v);
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(d || '');
  if (!m) return null;
  const day = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  return day.getUTCMonth() === +m[2] - 1 && day.getUTCDate() === +m[3] ? d : null;
}

// Numbers as the current language writes them: 12 500,5 in Tajik and
// Russian, 12,500.5 in English.  Browsers carry no Tajik number data
// (Chromium's Intl falls back to English for "tg"); Tajik groups and
// separates as Russian does.
function numberLocale() {
  return getLang() === 'en' ? 'en' : 'ru';
}

export function showNumber(n, options = {}) {
  return Number(n).toLocaleString(numberLocale(), { maximumFractionDigits: 2, ...options });
}

// The programme's currency: an amount recorded without one is in somoni.
export const HOME_CURRENCY = 'TJS';

// An amount with its currency (an ISO 4217 code; the programme's when the
// record has none), written as the current language writes money:
// "12 500 TJS", "USD 1,800".
export function showMoney(amount, currency) {
  const code = typeof currency === 'string' && /^[A-Z]{3}$/.test(currency) ? currency : HOME_CURRENCY;
  try {
    return new Intl.NumberFormat(numberLocale(), {
      style: 'currency', currency: code, currencyDisplay: 'code', minimumFractionDigits: 0, maximumFractionDigits: 2,
    }).format(Number(amount));
  } catch {
    return `${showNumber(amount)} ${code}`;
  }
}

// A message box: role=alert, a live text, optional extra nodes; empty
// and unseen when text is null.
export function setMessage(box, text, kind = 'error', ...extra) {
  box.replaceChildren();
  box.className = `message ${kind}`;
  if (text === null) {
    box.hidden = true;
    return;
  }
  box.hidden = false;
  box.append(live(h('span'), text), ...extra);
}

// Run fn once at a time for a button: a second press while the first is
// on its way does nothing.
export async function busy(button, fn) {
  if (button.getAttribute('aria-disabled') === 'true') return;
  button.setAttribute('aria-disabled', 'true');
  try {
    await fn();
  } finally {
    button.removeAttribute('aria-disabled');
  }
}
