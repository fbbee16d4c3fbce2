// hotline.js - the operator screen (#/hotline), keyboard first.
//
// One call is logged while it is going on: a running timer, the call type
// as one key, channel and language, and for a data call the caller's
// phone (the earlier contacts of that number and any caller flags show at
// once), topics, the ILO 11 indicators, notes, the action taken and a
// callback.  A non-data call (silent, hang-up, wrong number, test,
// abusive) takes no personal detail at all: those fields disappear and
// Enter saves it.  Ctrl+Enter saves and clears the screen for the next
// call.  The last saved data contact can be escalated: a new case
// (the registration page, prefilled, with its consent step) or an
// existing case's timeline.
//
// Keys work when the cursor is not in a text box (Esc leaves one); the
// key map is on the screen.  They are read by physical key
// (KeyboardEvent.code), so they work on a Russian or Tajik layout too
// (the S key is "s" whatever letter it sends).  A slip must not lose a
// call: once anything is entered, a call-type key or Clear asks first,
// naming what would be lost, and every key but Tab, Enter and Esc is held
// until the question is answered (Enter on the focused "keep" answers it
// safely).  Leaving the page with something entered asks too.  The clock
// starts when the screen is ready for a call; r (pick-up) restarts it at
// 0:00 while nothing is entered yet.

import { t } from './i18n.js';
import { h, live, setMessage, showDate } from './dom.js';
import { codeList, statusKey, schema, problemField, reasonKey } from './forms.js';
import { request, prepare, personName } from './page.js';
import { newIdempotencyKey, problemType } from './api.js';
import { hotCodes, CALL_LANGS, hotText, isoUtc, localInput, fromLocalInput, showDateTime, langName } from './hotcodes.js';
import { handOff } from './handoff.js';
import { kbPicker } from './kb.js';

// Keys by the Latin letter of their physical key (KeyboardEvent.code).
const TYPE_KEYS = { d: 'data', s: 'silent', h: 'hang_up', w: 'wrong_number', t: 'test', a: 'abusive' };
const KEY_OF_TYPE = Object.fromEntries(Object.entries(TYPE_KEYS).map(([k, v]) => [v, k]));
const INDICATOR_KEYS = 'abcdefghijk';
const CASE_OPENERS = ['supervisor', 'caseworker', 'hotline'];
const LOOKUP_DELAY = 350; // ms of quiet typing before the number is looked up
const PHONE_CHARS = /^[0-9+\-() .]*$/; // what a phone number is typed with

// Where the number ends in text that goes on: a letter (an extension,
// "доб. 5", "вн. 5", "ext. 5", "x5", and words), "#" (an extension too),
// or a comma or semicolon (a second number, a dialling pause, ";ext=").
const NUMBER_END = /[\p{L}#,;]/u;

// What a number keeps of text put in whole (pasted, dropped, filled in by
// the browser or an on-screen keyboard): from its first digit or "+" to
// where the number ends, its digits and the marks a number is written
// with, and no mark left dangling at the end ("(" of "(доб. 5)").  Every
// kind of space (no-break, thin, narrow no-break: a messenger's and a
// spreadsheet's thousands separators) becomes a plain one, not nothing,
// and every dash a hyphen; the direction marks a messenger adds go.  (A
// paste with any of these was refused whole, and the number was lost
// without a word; a thin space was dropped, joining the groups.)
export function cleanPhone(text) {
  const s = String(text).replace(/[\p{Zs}\t\r\n]/gu, ' ').replace(/[\u2010-\u2015\u2212\ufe58\ufe63\uff0d]/g, '-');
  const start = s.search(/[+\d]/);
  if (start < 0) return '';
  let rest = s.slice(start);
  const stop = rest.search(NUMBER_END);
  if (stop >= 0) rest = rest.slice(0, stop);
  return [...rest].filter((ch) => PHONE_CHARS.test(ch)).join('').replace(/ {2,}/g, ' ').replace(/[ +\-(.]+$/, '');
}
// A letter that follows a jump into a dropdown this soon is typing, not a
// choice: people type a few keys a second, and read a list before picking.
const TYPING_GAP = 1000; // ms

// The physical key of a keydown as the Latin letter or digit printed on
// it ('s' for the key that sends «ы» on a Russian layout); null for any
// other key.  Without a code (some on-screen keyboards), the key itself.
export function physicalKey(e) {
  const m = /^(?:Key([A-Z])|Digit([0-9])|Numpad([0-9]))$/.exec(e.code || '');
  if (m) return (m[1] || m[2] || m[3]).toLowerCase();
  return /^[a-z0-9]$/i.test(e.key || '') ? e.key.toLowerCase() : null;
}

// The channel stays from one call to the next: an operator's line rarely
// changes between two calls.
const sticky = { channel: 'phone' };

// The call's language is the caller's, not the operator's screen's nor
// the call before's: each call starts with none noted (an outside review:
// a language kept from the call before was recorded of the next caller
// unless the operator looked).

export async function hotlineView(ctx) {
  ctx.title('hl.title');
  if (!(await prepare(ctx))) return;
  const codes = Object.fromEntries(['channel', 'call_type', 'caller_kind', 'topic', 'action'].map((k) => [k, hotCodes(k)]));

  // ---- the timer ------------------------------------------------------------
  const timer = { start: null, stopped: null };
  const clock = h('span', { class: 'hl-clock', id: 'hl-clock', data: '00:00' });
  const clockState = h('span', { class: 'hl-clock-state', id: 'hl-clock-state' });
  const timerButton = h('button', { type: 'button', class: 'button secondary small', id: 'hl-timer' });
  const elapsed = () => (timer.start ? Math.max(0, Math.round(((timer.stopped || Date.now()) - timer.start) / 1000)) : 0);
  function drawClock() {
    const s = elapsed();
    const mm = String(Math.floor(s / 60)).padStart(2, '0');
    const ss = String(s % 60).padStart(2, '0');
    clock.textContent = `${mm}:${ss}`;
    const running = timer.start && !timer.stopped;
    live(clockState, running ? 'hl.timer_running' : timer.start ? 'hl.timer_stopped' : 'hl.timer_waiting');
    live(timerButton, running ? 'hl.timer_stop' : 'hl.timer_start');
    screen.classList.toggle('hl-waiting', !timer.start);
  }
  // Pick-up: the clock from 0:00, unless a call is already being logged
  // (its duration would be lost).
  function pickUp() {
    if (timer.start && !timer.stopped && entered().length) return;
    startTimer();
  }
  function startTimer() {
    timer.start = Date.now();
    timer.stopped = null;
    drawClock();
  }
  function toggleTimer() {
    if (!timer.start || timer.stopped) startTimer();
    else {
      timer.stopped = Date.now();
      drawClock();
    }
  }
  timerButton.addEventListener('click', toggleTimer);
  const tick = setInterval(() => {
    if (!ctx.alive()) {
      clearInterval(tick);
      return;
    }
    if (timer.start && !timer.stopped) drawClock();
  }, 1000);

  // ---- the call: type, channel, language ---------------------------------------
  const typeRadios = codes.call_type.map((code) => h('input', {
    type: 'radio', name: 'hl-call-type', id: `hl-type-${code}`, value: code, checked: code === 'data',
  }));
  const dataRadio = typeRadios.find((r) => r.value === 'data');
  const typeGroup = h('fieldset', { class: 'field group hl-types', id: 'hl-type' },
    h('legend', { text: 'hl.call_type' }),
    h('div', { class: 'hl-choices' }, codes.call_type.map((code, i) => h('div', { class: 'hl-choice' },
      typeRadios[i],
      h('label', { for: `hl-type-${code}` }, KEY_OF_TYPE[code] ? [h('kbd', { data: KEY_OF_TYPE[code] }), ' '] : null, live(h('span'), hotText('call_type', code)))))));
  const typeShown = h('p', { class: 'hl-type-shown', id: 'hl-type-shown', attrs: { 'aria-live': 'polite' } });

  const channel = h('select', { id: 'hl-channel', name: 'channel' },
    codes.channel.map((code) => h('option', { value: code, text: hotText('channel', code) })));
  channel.value = sticky.channel;
  const language = h('select', { id: 'hl-language', name: 'language' }, h('option', { value: '', text: 'hl.language_none' }),
    CALL_LANGS.map(([code, name]) => h('option', { value: code, data: name, attrs: { lang: code } })));
  language.value = '';
  channel.addEventListener('change', () => { sticky.channel = channel.value; });

  const nonDataNote = h('p', { class: 'message info hl-nondata', id: 'hl-nondata', text: 'hl.nondata_note', hidden: true });

  // ---- the caller (data calls only) ------------------------------------------------
  const kind = h('select', { id: 'hl-kind', name: 'caller_kind' },
    codes.caller_kind.map((code) => h('option', { value: code, text: hotText('caller_kind', code) })));
  kind.value = 'anonymous'; // no name is asked, and nobody has to say who they are
  const phone = h('input', {
    id: 'hl-phone', name: 'caller_phone', type: 'tel',
    attrs: { inputmode: 'tel', autocomplete: 'off', maxlength: 40, 'aria-describedby': 'hl-banner' },
  });
  // A letter typed into the number is a slip (a shortcut meant for the
  // screen), not part of a number: it is not taken.  Text put in whole
  // (a paste, a drop, a word from an on-screen keyboard or an input
  // method) is cleaned where it goes in.
  phone.addEventListener('beforeinput', (e) => {
    const whole = ['insertFromPaste', 'insertFromDrop', 'insertReplacementText'].includes(e.inputType) ||
      (e.inputType === 'insertText' && typeof e.data === 'string' && [...e.data].length > 1);
    if (whole) {
      const text = e.dataTransfer ? e.dataTransfer.getData('text/plain') : e.data;
      if (typeof text !== 'string' || PHONE_CHARS.test(text)) return; // else cleaned on input, below
      e.preventDefault();
      phone.setRangeText(cleanPhone(text), phone.selectionStart, phone.selectionEnd, 'end');
      phone.dispatchEvent(new Event('input', { bubbles: true }));
      return;
    }
    if (typeof e.data === 'string' && !PHONE_CHARS.test(e.data)) e.preventDefault();
  });
  // What came in with no beforeinput to clean it (the browser's autofill,
  // a drop or a replacement whose text the event did not carry, a value
  // set by a script that says so with an input event) is cleaned whole.
  phone.addEventListener('input', () => {
    if (PHONE_CHARS.test(phone.value)) return;
    phone.value = cleanPhone(phone.value);
    phone.setSelectionRange(phone.value.length, phone.value.length);
  });
  const banner = h('div', { class: 'hl-banner', id: 'hl-banner', attrs: { role: 'status', 'aria-live': 'polite' }, hidden: true });
  const country = h('select', { id: 'hl-country', name: 'caller_country' }, h('option', { value: '', text: 'form.choose' }),
    codeList('countries').map((c) => h('option', { value: c.code, text: c })));
  const region = h('input', { id: 'hl-region', name: 'caller_region', type: 'text', attrs: { maxlength: 200, autocomplete: 'off' } });

  const topicBoxes = codes.topic.map((code) => h('input', { type: 'checkbox', id: `hl-topic-${code}`, value: code }));
  const topicGroup = h('fieldset', { class: 'field group hl-topics', id: 'hl-topics' },
    h('legend', { text: 'hl.topics' }),
    h('div', { class: 'check-grid' }, codes.topic.map((code, i) => h('div', { class: 'check' },
      topicBoxes[i],
      h('label', { for: `hl-topic-${code}` }, h('kbd', { data: String(i + 1) }), ' ', live(h('span'), hotText('topic', code)))))));

  const ilo = (schema()?.indicators?.['ilo-forced-labour']?.items) || [];
  const indicatorBoxes = ilo.map((it) => h('input', { type: 'checkbox', id: `hl-ind-${it.code}`, value: it.code }));
  const indicatorGroup = h('fieldset', { class: 'field group hl-indicators', id: 'hl-indicators' },
    h('legend', { text: 'hl.indicators' }),
    h('p', { class: 'hint', text: 'hl.indicators_hint' }),
    h('div', { class: 'check-grid' }, ilo.map((it, i) => h('div', { class: 'check' },
      indicatorBoxes[i],
      h('label', { for: `hl-ind-${it.code}` }, h('kbd', { data: INDICATOR_KEYS[i] || '' }), ' ', live(h('span'), it))))));

  const notes = h('textarea', { id: 'hl-notes', name: 'notes', rows: 3, attrs: { maxlength: 4000 } });
  const action = h('select', { id: 'hl-action', name: 'action' }, h('option', { value: '', text: 'form.choose' }),
    codes.action.filter((c) => c !== 'case_opened' && c !== 'attached_to_case')
      .map((code) => h('option', { value: code, text: hotText('action', code) })));

  const cbBook = h('input', { type: 'checkbox', id: 'hl-cb-book' });
  const cbDue = h('input', { type: 'datetime-local', id: 'hl-cb-due', attrs: { step: 60 } });
  const cbNote = h('input', { type: 'text', id: 'hl-cb-note', attrs: { maxlength: 500, autocomplete: 'off', 'aria-describedby': 'hl-cb-note-hint' } });
  const cbFields = h('div', { class: 'hl-cb-fields', hidden: true },
    h('div', { class: 'field' }, h('label', { for: 'hl-cb-due', text: 'hl.cb_due' }), cbDue),
    h('div', { class: 'field' }, h('label', { for: 'hl-cb-note', text: 'hl.cb_note' }), cbNote,
      h('p', { class: 'hint', id: 'hl-cb-note-hint', text: 'hl.cb_note_hint' })));
  const cbGroup = h('fieldset', { class: 'field group hl-callback', id: 'hl-callback' },
    h('legend', { text: 'hl.callback' }),
    h('div', { class: 'field check single' }, cbBook, h('label', { for: 'hl-cb-book' }, h('kbd', { data: 'b' }), ' ', live(h('span'), 'hl.cb_book'))),
    cbFields);
  function setBooking(on) {
    cbBook.checked = on;
    cbFields.hidden = !on;
    if (on && !cbDue.value) cbDue.value = localInput(new Date(Date.now() + 3600 * 1000));
  }
  cbBook.addEventListener('change', () => setBooking(cbBook.checked));

  // The knowledge base: the operator looks up what to tell, and marks
  // the articles told (kb_articles).  Folded until wanted.
  let kbPick = null;
  const kbBody = h('div', { class: 'hl-kb-body' });
  const kbNode = h('details', { class: 'more hl-kb', id: 'hl-kb' },
    h('summary', {}, h('kbd', { data: 'f' }), ' ', live(h('span'), 'hl.kb')), kbBody);
  function newPicker() {
    kbPick = kbPicker(ctx, { prefix: 'hl-kb' });
    kbBody.replaceChildren(kbPick.node);
    kbNode.open = false;
  }
  newPicker();
  kbNode.addEventListener('toggle', () => {
    if (kbNode.open && !kbNode.dataset.loaded) {
      kbNode.dataset.loaded = '1';
      kbPick.load();
    }
  });
  function openKb() {
    kbNode.open = true;
    kbNode.querySelector('input[type="search"]')?.focus();
  }

  const field = (id, key, input, keyHint) => h('div', { class: 'field' },
    h('label', { for: id }, keyHint ? [h('kbd', { data: keyHint }), ' '] : null, live(h('span'), key)), input);

  const dataPart = h('div', { class: 'hl-data', id: 'hl-data' },
    h('div', { class: 'hl-row' },
      field('hl-phone', 'hl.phone', phone, 'p'),
      field('hl-kind', 'hl.caller_kind', kind, 'k')),
    banner,
    h('div', { class: 'hl-row' },
      field('hl-country', 'hl.country', country),
      field('hl-region', 'hl.region', region)),
    topicGroup,
    indicatorGroup,
    h('div', { class: 'field wide' }, h('label', { for: 'hl-notes' }, h('kbd', { data: 'n' }), ' ', live(h('span'), 'hl.notes')), notes,
      h('p', { class: 'hint', text: 'hl.notes_hint' })),
    kbNode,
    field('hl-action', 'hl.action', action, 'x'),
    cbGroup);

  const msg = h('div', { class: 'message', id: 'hl-msg', attrs: { role: 'alert' }, hidden: true });
  // The key's hint is for a keyboard: a phone's narrow bar goes without it.
  const save = h('button', { type: 'submit', class: 'button primary', id: 'hl-save', attrs: { 'aria-keyshortcuts': 'Control+Enter' } },
    live(h('span'), 'hl.save_next'), h('span', { class: 'key-hint', data: '(Ctrl+Enter)' }));
  const clear = h('button', { type: 'button', class: 'button secondary', id: 'hl-clear', text: 'hl.clear', on: { click: () => askClear(clear) } });
  const confirmText = h('p', { id: 'hl-confirm-text' });
  const confirmKeep = h('button', { type: 'button', class: 'button primary', id: 'hl-confirm-keep', text: 'hl.confirm_keep' });
  const confirmGo = h('button', { type: 'button', class: 'button danger', id: 'hl-confirm-go' });
  const confirmBox = h('div', {
    class: 'message warn hl-confirm', id: 'hl-confirm', hidden: true,
    attrs: { role: 'alertdialog', 'aria-modal': 'false', 'aria-labelledby': 'hl-confirm-text' },
  }, confirmText, h('p', { class: 'hint', text: 'hl.confirm_hint' }), h('div', { class: 'actions' }, confirmKeep, confirmGo));
  const form = h('form', { class: 'panel hl-form', id: 'hl-form', attrs: { novalidate: true } },
    h('div', { class: 'hl-bar' },
      h('div', { class: 'hl-timer', attrs: { role: 'group' }, label: 'hl.timer' },
        h('span', { class: 'visually-hidden', text: 'hl.timer' }), clock, clockState, timerButton),
      typeShown),
    confirmBox,
    typeGroup,
    h('div', { class: 'hl-row' },
      field('hl-channel', 'hl.channel', channel, 'c'),
      field('hl-language', 'hl.language', language, 'l')),
    nonDataNote,
    dataPart,
    msg,
    // Save stays in reach on a long form (3,000 px on a phone).
    h('div', { class: 'actions sticky-actions' }, save, clear));

  // ---- the last saved contact, and its escalation -------------------------------------
  const last = h('section', { class: 'panel hl-last', id: 'hl-last', hidden: true, attrs: { 'aria-labelledby': 'hl-last-title' } });

  // ---- the key map -----------------------------------------------------------------------
  const keyRow = (keys, key) => h('div', { class: 'hl-key' }, h('dt', {}, keys.map((k, i) => [i ? ' ' : '', h('kbd', { data: k })])), h('dd', { text: key }));
  const keymap = h('details', { class: 'panel hl-keys', id: 'hl-keys', open: window.matchMedia('(min-width: 761px)').matches },
    h('summary', { text: 'hl.keys_title' }),
    h('p', { class: 'hint', text: 'hl.keys_hint' }),
    h('dl', {},
      keyRow(['d', 's', 'h', 'w', 't', 'a'], 'hl.key_type'),
      keyRow(['Enter'], 'hl.key_enter'),
      keyRow(['Ctrl+Enter'], 'hl.key_save'),
      keyRow(['Esc'], 'hl.key_esc'),
      keyRow(['p'], 'hl.phone'),
      keyRow(['k'], 'hl.caller_kind'),
      keyRow(['c'], 'hl.channel'),
      keyRow(['l'], 'hl.language'),
      keyRow(['1', '…', '7'], 'hl.key_topics'),
      keyRow(['i'], 'hl.key_indicators'),
      keyRow(['n'], 'hl.notes'),
      keyRow(['x'], 'hl.action'),
      keyRow(['b'], 'hl.cb_book'),
      keyRow(['f'], 'hl.key_kb'),
      keyRow(['r'], 'hl.key_timer')));

  const screen = h('div', { class: 'hotline', id: 'hl-screen', tabIndex: -1 },
    h('div', { class: 'hl-main' }, last, form), keymap);
  const links = h('div', { class: 'page-actions' },
    h('a', { class: 'button secondary', href: '#/callbacks', id: 'hl-to-callbacks', text: 'nav.callbacks' }));
  ctx.root.append(links, screen);
  if (ctx.guard) ctx.guard(() => (entered().length ? `${t('hl.leave_ask')} ${lostText()}` : null));

  // ---- behaviour ---------------------------------------------------------------------------
  const callType = () => typeRadios.find((r) => r.checked)?.value || 'data';

  function showType() {
    const type = callType();
    shownType = type;
    const data = type === 'data';
    dataPart.hidden = !data;
    nonDataNote.hidden = data;
    live(typeShown, () => `${t('hl.call_type')}: ${hotText('call_type', type)()}${KEY_OF_TYPE[type] ? ` (${KEY_OF_TYPE[type]})` : ''}`);
    typeShown.className = `hl-type-shown ${data ? '' : 'nondata'}`;
  }
  // A click on a type is a type key too: asked first when it would lose
  // what was entered (the radio goes back until the answer).
  let shownType = 'data';
  for (const r of typeRadios) {
    r.addEventListener('change', () => {
      const want = r.value;
      typeRadios.find((x) => x.value === shownType).checked = true;
      chooseType(want, false, r);
    });
  }

  // What was entered for this call, as the labels of the fields that hold
  // it: what a change of type or Clear would throw away.
  function entered() {
    const lost = [];
    const count = (boxes) => boxes.filter((b) => b.checked).length;
    if (phone.value.trim()) lost.push('hl.phone');
    if (kind.value !== 'anonymous') lost.push('hl.caller_kind');
    if (country.value) lost.push('hl.country');
    if (region.value.trim()) lost.push('hl.region');
    if (count(topicBoxes)) lost.push(['hl.topics', count(topicBoxes)]);
    if (count(indicatorBoxes)) lost.push(['hl.indicators', count(indicatorBoxes)]);
    if (notes.value.trim()) lost.push('hl.notes');
    if (kbPick.ids().length) lost.push(['hl.lost_kb', kbPick.ids().length]);
    if (action.value) lost.push('hl.action');
    if (cbBook.checked) lost.push('hl.callback');
    return lost;
  }
  const lostText = () => `${entered().map((x) => (Array.isArray(x) ? `${t(x[0])} (${x[1]})` : t(x))).join(', ')}.`;

  // ---- asking first -------------------------------------------------------------------
  let asking = null; // { onGo, back } while a question is open
  function ask(question, goLabel, onGo, back) {
    asking = { onGo, back };
    live(confirmText, () => `${question()} ${t('hl.confirm_lost')} ${lostText()}`);
    live(confirmGo, goLabel);
    confirmBox.hidden = false;
    confirmKeep.focus();
  }
  function answer(go) {
    const a = asking;
    asking = null;
    confirmBox.hidden = true;
    if (go) a.onGo();
    else (a.back && a.back.isConnected && !a.back.hidden ? a.back : screen).focus();
  }
  confirmKeep.addEventListener('click', () => answer(false));
  confirmGo.addEventListener('click', () => answer(true));

  // A call-type key: at once while nothing would be lost, else asked.
  function chooseType(type, moveFocus, back) {
    if (type === callType()) {
      setType(type, moveFocus);
      return;
    }
    if (type === 'data' || callType() !== 'data' || !entered().length) {
      setType(type, moveFocus);
      return;
    }
    const name = hotText('call_type', type);
    ask(() => t('hl.confirm_type').replace('{type}', name()), () => t('hl.confirm_type_go').replace('{type}', name()), () => {
      clearData();
      setType(type, true);
    }, back);
  }

  function askClear(back) {
    if (!entered().length) {
      reset(true);
      return;
    }
    ask(() => t('hl.confirm_clear'), 'hl.confirm_clear_go', () => reset(true), back);
  }

  function setType(type, moveFocus) {
    const r = typeRadios.find((x) => x.value === type);
    r.checked = true;
    showType();
    if (moveFocus) {
      if (type === 'data') phone.focus();
      else r.focus();
    }
  }

  // The earlier contacts of the number typed, and the caller's flags.
  let lookupTimer = null;
  let lookupSeq = 0;
  phone.addEventListener('input', () => {
    clearTimeout(lookupTimer);
    lookupTimer = setTimeout(lookup, LOOKUP_DELAY);
  });

  async function lookup() {
    const number = phone.value.trim();
    const seq = ++lookupSeq;
    if (number.replace(/\D/g, '').length < 6) {
      banner.hidden = true;
      banner.replaceChildren();
      return;
    }
    const res = await request(ctx, 'GET', `/contacts?phone=${encodeURIComponent(number)}`);
    if (!ctx.alive() || seq !== lookupSeq) return;
    if (!res || res.status !== 200 || !res.body) {
      banner.hidden = true; // nothing the operator may see, or no answer: the call goes on
      banner.replaceChildren();
      return;
    }
    drawBanner(res.body);
  }

  function drawBanner(body) {
    const sum = body.summary || {};
    const count = Number(sum.count) || 0;
    const flags = Array.isArray(body.flags) ? body.flags : [];
    banner.replaceChildren();
    banner.hidden = false;
    banner.classList.toggle('known', count > 0);
    banner.classList.toggle('flagged', flags.length > 0);
    if (flags.length) {
      banner.append(h('ul', { class: 'hl-flags', id: 'hl-flags' }, flags.map((f) => {
        const code = typeof f === 'string' ? f : f.flag;
        const until = typeof f === 'object' && f.until ? f.until : null;
        return h('li', { class: `badge warn hl-flag flag-${code}`, attrs: { 'data-flag': code } },
          live(h('strong'), hotText('flag', code)),
          until ? live(h('span'), () => ` ${t('hl.flag_until')} ${showDate(until)}`) : null,
          typeof f === 'object' && f.note ? h('span', { data: ` — ${f.note}` }) : null);
      })));
    }
    if (count === 0) {
      banner.append(h('p', { class: 'hl-earlier', id: 'hl-earlier', text: 'hl.earlier_none' }));
      return;
    }
    const topics = Array.isArray(sum.topics) ? sum.topics : [];
    banner.append(h('p', { class: 'hl-earlier', id: 'hl-earlier' },
      h('strong', { text: () => `${t('hl.earlier')}: ${count}` }),
      sum.first ? h('span', { text: () => ` · ${t('hl.earlier_first')} ${showDate(sum.first)}` }) : null,
      sum.last ? h('span', { text: () => ` · ${t('hl.earlier_last')} ${showDate(sum.last)}` }) : null),
    topics.length ? h('p', { class: 'hl-earlier-topics', text: () => `${t('hl.topics')}: ${topics.map((c) => hotText('topic', c)()).join(', ')}` }) : null,
    sum.last_action ? h('p', { class: 'hl-earlier-action', text: () => `${t('hl.earlier_action')}: ${hotText('action', sum.last_action)()}` }) : null);
    const items = Array.isArray(body.items) ? body.items.slice(0, 5) : [];
    if (items.length) {
      banner.append(h('ul', { class: 'plain hl-earlier-list' }, items.map((c) => h('li', {
        text: () => [showDateTime(c.started_at), hotText('channel', c.channel)(),
          (c.topics || []).map((x) => hotText('topic', x)()).join(', '),
          c.action ? hotText('action', c.action)() : ''].filter((s) => s).join(' · '),
      }))));
    }
  }

  function collect() {
    const type = callType();
    const body = { channel: channel.value, call_type: type };
    if (language.value) body.language = language.value; // not asked: none
    if (timer.start) {
      body.started_at = isoUtc(new Date(timer.start));
      body.duration_s = elapsed();
    }
    if (type !== 'data') return body;
    body.caller_kind = kind.value;
    const ph = phone.value.trim();
    if (ph) body.caller_phone = ph;
    if (country.value) body.caller_country = country.value;
    const reg = region.value.trim();
    if (reg) body.caller_region = reg;
    const tops = topicBoxes.filter((b) => b.checked).map((b) => b.value);
    if (tops.length) body.topics = tops;
    const inds = indicatorBoxes.filter((b) => b.checked).map((b) => b.value);
    if (inds.length) body.indicators = inds;
    const n = notes.value.replace(/\s+$/, '');
    if (n.trim()) body.notes = n;
    const told = kbPick.ids();
    if (told.length) body.kb_articles = told;
    // A data call of which nothing is noted: a save pressed twice (the
    // second logged an empty call, an outside review), or a call type not
    // chosen.
    if (!ph && !country.value && !reg && !tops.length && !inds.length && !n.trim() && !told.length &&
        !cbBook.checked && !action.value && kind.value === 'anonymous')
      return { invalid: topicBoxes[0] || notes, key: 'hl.nothing_noted' };
    if (cbBook.checked) {
      const due = fromLocalInput(cbDue.value);
      if (!due) return { invalid: cbDue, key: 'hl.cb_due_needed' };
      if (!ph) return { invalid: phone, key: 'form.err_phone_needed' };
      body.callback = { due: isoUtc(due) };
      const note = cbNote.value.trim();
      if (note) body.callback.safe_note = note;
      if (!action.value) body.action = 'callback_booked';
    }
    if (action.value) body.action = action.value;
    return body;
  }

  // A save whose answer was lost (no answer, a 5xx, "still being made")
  // may have logged the call all the same.  Its Idempotency-Key and body
  // are kept until the call is done: saving again sends them again (the
  // clock's duration aside, it is the same call), and the server answers
  // as it did the first time instead of logging the call twice.
  let unanswered = null; // { key, body }
  const sameCall = (a, b) => JSON.stringify({ ...a, duration_s: 0 }) === JSON.stringify({ ...b, duration_s: 0 });

  let saving = false;
  async function saveContact() {
    if (saving) return;
    setMessage(msg, null);
    clearMarks();
    const body = collect();
    if (body.invalid) {
      setMessage(msg, body.key);
      markField(body.invalid, body.key);
      return;
    }
    cbDue.removeAttribute('aria-invalid');
    if (timer.start && !timer.stopped) timer.stopped = Date.now();
    drawClock();
    saving = true;
    save.setAttribute('aria-disabled', 'true');
    const key = unanswered ? unanswered.key : newIdempotencyKey();
    const sent = unanswered && sameCall(unanswered.body, body) ? unanswered.body : body;
    const res = await request(ctx, 'POST', '/contacts', sent, { 'Idempotency-Key': key });
    saving = false;
    save.removeAttribute('aria-disabled');
    if (!ctx.alive()) return;
    const inProgress = res && res.status === 409 && problemType(res.body) === 'in-progress';
    // Still being made (Retry-After): the same save may be sent again.
    // Without it, the first never finished: no one can say whether the
    // call was logged, and the operator is asked to look.
    const lost = !res || res.status >= 500 || (inProgress && !!res.retryAfter);
    unanswered = lost ? { key, body: sent } : null;
    if (inProgress && !res.retryAfter) {
      msg.setAttribute('role', 'alert');
      setMessage(msg, 'hl.save_unknown');
      return;
    }
    if (res && res.status === 422 && problemType(res.body) === 'idempotency-key-reused') {
      // Changed after a save whose answer was lost, and that save had
      // logged the call: the changes are not in it.  Saving again now
      // logs a new contact.
      msg.setAttribute('role', 'alert');
      setMessage(msg, 'hl.saved_before_drop');
      return;
    }
    if (!res || res.status !== 201 || !res.body) {
      timer.stopped = null; // the call is not logged yet: the clock goes on
      drawClock();
      showProblem(res);
      return;
    }
    showLast(res.body, { phone: body.caller_phone || '', notes: body.notes || '' });
    reset(false);
    setMessage(msg, () => `${t('hl.saved')} ${showDateTime(res.body.started_at || new Date())}`, 'success');
    msg.setAttribute('role', 'status');
  }

  // A refused contact: the field at fault is marked, its reason shown
  // beside it and under Save, and the cursor goes there.
  function showProblem(res) {
    msg.setAttribute('role', 'alert');
    if (res && res.status === 422 && res.body && typeof res.body.detail === 'string') {
      const name = problemField(res.body);
      const target = {
        caller_phone: phone, notes, caller_region: region, caller_country: country, caller_kind: kind, channel, language,
        'callback.due': cbDue, 'callback.safe_note': cbNote, callback: cbDue, action,
      }[name || ''];
      const reason = res.body.type === 'missing-field' && reasonKey(res.body.detail) === 'form.err_invalid'
        ? 'form.err_required' : reasonKey(res.body.detail);
      const labelOf = target && form.querySelector(`label[for="${target.id}"] span`);
      setMessage(msg, () => (labelOf ? `${labelOf.textContent}: ${t(reason)}` : t(reason)));
      if (target) markField(target, reason);
      return;
    }
    setMessage(msg, statusKey(res));
  }

  function markField(target, reason) {
    const errId = `${target.id}-error`;
    let err = document.getElementById(errId);
    if (!err) {
      err = h('p', { class: 'field-error', id: errId });
      target.after(err);
    }
    live(err, reason);
    err.hidden = false;
    target.setAttribute('aria-invalid', 'true');
    const described = (target.getAttribute('aria-describedby') || '').split(' ').filter(Boolean);
    if (!described.includes(errId)) target.setAttribute('aria-describedby', [...described, errId].join(' '));
    target.focus();
  }

  // Empty the screen for the next call; channel and language stay.
  function reset(clearMessage) {
    unanswered = null; // the next call
    setType('data', false);
    clearData();
    if (clearMessage) setMessage(msg, null);
    startTimer(); // the screen is ready for the next call: its clock runs
    dataRadio.focus();
  }

  function clearData() {
    language.value = '';
    kind.value = 'anonymous';
    phone.value = '';
    country.value = '';
    region.value = '';
    notes.value = '';
    action.value = '';
    for (const b of [...topicBoxes, ...indicatorBoxes]) b.checked = false;
    cbDue.value = '';
    cbNote.value = '';
    setBooking(false);
    delete kbNode.dataset.loaded;
    newPicker();
    clearTimeout(lookupTimer);
    lookupSeq += 1;
    banner.hidden = true;
    banner.replaceChildren();
    clearMarks();
  }

  function clearMarks() {
    for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
    for (const el of form.querySelectorAll('.field-error')) el.remove();
  }

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    if (e.target === form) saveContact(); // not the knowledge-base search inside it
  });

  // ---- keys ----------------------------------------------------------------------------------
  const typing = (el) => el && (el.tagName === 'TEXTAREA' || el.tagName === 'SELECT' ||
    (el.tagName === 'INPUT' && !['checkbox', 'radio', 'button', 'submit'].includes(el.type)));

  // While a question is open, only its answers act: Tab between them,
  // Enter on the focused one, Esc (keep).  Every other key is held, so a
  // note typed into the screen by mistake cannot answer it.
  function keyWhileAsking(e) {
    if (e.key === 'Escape') {
      e.preventDefault();
      answer(false);
    } else if (e.key === 'Tab') {
      e.preventDefault();
      (document.activeElement === confirmKeep ? confirmGo : confirmKeep).focus();
    } else if (!(e.key === 'Enter' && (e.target === confirmKeep || e.target === confirmGo) && !e.ctrlKey && !e.metaKey)) {
      e.preventDefault();
    }
  }
  screen.addEventListener('keyup', (e) => {
    if (asking && e.key === ' ') e.preventDefault(); // a space is not an answer
  });

  // A note typed while the cursor is on the screen may begin with the key
  // of a dropdown (k, x, c, l): the first letter jumps there, and the next
  // ones would pick options by their first letters.  A letter that comes
  // at typing pace after such a jump is text: the dropdown keeps its value
  // and the letters, the jump's included, go to the notes (on a data call;
  // on another call, which has no notes, they are dropped).
  let jumped = null;
  function typedAfterJump(e) {
    const soon = e.timeStamp - jumped.at < TYPING_GAP;
    if (!soon || e.key.length !== 1) return false;
    e.preventDefault();
    jumped.to.value = jumped.value;
    jumped.at = e.timeStamp;
    if (callType() !== 'data') {
      jumped.typing = true;
      return true;
    }
    const text = `${jumped.typing ? '' : jumped.text}${e.key}`;
    jumped = null;
    notes.focus();
    notes.setRangeText(text, notes.value.length, notes.value.length, 'end');
    notes.dispatchEvent(new Event('input', { bubbles: true }));
    return true;
  }

  screen.addEventListener('keydown', (e) => {
    const target = e.target;
    if (asking) {
      keyWhileAsking(e);
      return;
    }
    if (last.contains(target) && e.key === 'Escape' && !e.defaultPrevented) {
      e.preventDefault(); // from the last contact back to the next call
      dataRadio.focus();
      return;
    }
    if (!form.contains(target) && target !== screen) return; // the escalation panel and the key map keep their keys
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      saveContact();
      return;
    }
    if (kbNode.contains(target)) {
      // The knowledge-base search keeps its own keys but Esc.
      if (e.key === 'Escape') {
        e.preventDefault();
        kbNode.open = false;
        screen.focus();
      }
      return;
    }
    if (e.key === 'Escape') {
      e.preventDefault();
      screen.focus();
      return;
    }
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    if (jumped && target === jumped.to && (e.key === 'Shift' || e.key === 'CapsLock' || typedAfterJump(e))) return;
    jumped = null;
    if (typing(target)) {
      // Enter in a one-line box would send the form: only a non-data call
      // (which has no box of its own) is saved with a bare Enter.
      if (e.key === 'Enter' && target.tagName === 'INPUT') e.preventDefault();
      return;
    }
    if (target.tagName === 'BUTTON' || target.tagName === 'SUMMARY') {
      if (e.key === 'Enter' || e.key === ' ') return; // a button does what it says
    }
    if (e.key === 'Enter') {
      e.preventDefault();
      if (callType() !== 'data') saveContact();
      return;
    }
    const key = physicalKey(e);
    if (!key) return;
    // Inside the indicator checklist, a-k tick the indicators.
    if (indicatorGroup.contains(target) && INDICATOR_KEYS.includes(key)) {
      const box = indicatorBoxes[INDICATOR_KEYS.indexOf(key)];
      if (box) {
        e.preventDefault();
        box.checked = !box.checked;
        box.focus();
      }
      return;
    }
    if (/^[1-9]$/.test(key)) {
      const box = topicBoxes[Number(key) - 1];
      if (box && callType() === 'data') {
        e.preventDefault();
        box.checked = !box.checked;
        box.focus();
      }
      return;
    }
    if (TYPE_KEYS[key]) {
      e.preventDefault();
      chooseType(TYPE_KEYS[key], true, target);
      return;
    }
    const data = callType() === 'data';
    const jump = {
      c: channel, l: language,
      p: data ? phone : null, k: data ? kind : null, n: data ? notes : null, x: data ? action : null,
      i: data ? indicatorBoxes[0] : null, f: data ? { focus: openKb } : null,
    }[key];
    if (jump) {
      e.preventDefault();
      jump.focus();
      if (jump.tagName === 'SELECT') jumped = { to: jump, value: jump.value, text: e.key.length === 1 ? e.key : '', at: e.timeStamp };
      return;
    }
    if (key === 'b' && data) {
      e.preventDefault();
      // The time is offered (in an hour); the safe-to-call note is what
      // must be asked, so the cursor goes there (Shift+Tab: the time).
      setBooking(!cbBook.checked);
      if (cbBook.checked) cbNote.focus();
      else cbBook.focus();
      return;
    }
    if (key === 'r') {
      e.preventDefault();
      pickUp();
    }
  });

  // ---- escalation ---------------------------------------------------------------------------------
  function showLast(contact, typed) {
    last.hidden = false;
    const data = contact.call_type === 'data';
    const canOpen = data && CASE_OPENERS.includes(ctx.user.role);
    const head = h('h2', { id: 'hl-last-title', text: 'hl.last_title' });
    const facts = h('p', {
      class: 'hl-last-facts', id: 'hl-last-facts',
      text: () => [showDateTime(contact.started_at), hotText('call_type', contact.call_type)(), hotText('channel', contact.channel)(),
        langName(contact.language), contact.duration_s !== undefined && contact.duration_s !== null ? `${Math.floor(contact.duration_s / 60)}:${String(contact.duration_s % 60).padStart(2, '0')}` : '']
        .filter((s) => s).join(' · '),
    });
    const extra = [];
    if (contact.callback) {
      extra.push(h('p', { class: 'hl-last-cb', text: () => `${t('hl.cb_booked')} ${showDateTime(contact.callback.due)}` }));
    }
    const status = h('div', { class: 'message', id: 'hl-last-msg', attrs: { role: 'status' }, hidden: true });
    const buttons = h('div', { class: 'actions' });
    const attachBox = h('div', { class: 'hl-attach', id: 'hl-attach-box', hidden: true });
    if (canOpen) {
      buttons.append(h('button', {
        type: 'button', class: 'button secondary', id: 'hl-open-case', text: 'hl.open_case',
        on: {
          click: () => {
            handOff('contact', { contact_id: contact.id, phone: typed.phone, notes: typed.notes });
            ctx.go('#/register');
          },
        },
      }));
    }
    if (data) {
      buttons.append(h('button', {
        type: 'button', class: 'button secondary', id: 'hl-attach', text: 'hl.attach',
        attrs: { 'aria-expanded': 'false', 'aria-controls': 'hl-attach-box' },
        on: {
          click: (e) => {
            const open = attachBox.hidden;
            attachBox.hidden = !open;
            e.currentTarget.setAttribute('aria-expanded', String(open));
            if (open) attachBox.querySelector('input')?.focus();
          },
        },
      }));
      attachBox.append(attachForm(contact, status, attachBox));
    }
    last.replaceChildren(head, facts, ...extra, status, buttons, attachBox);
  }

  function attachForm(contact, status, box) {
    const q = h('input', { type: 'search', id: 'hl-attach-q', attrs: { autocomplete: 'off', spellcheck: 'false' } });
    const list = h('ul', { class: 'person-list', id: 'hl-attach-list' });
    const note = h('div', { class: 'message', attrs: { role: 'status' }, hidden: true });
    const f = h('form', { class: 'hl-attach-form', attrs: { role: 'search' } },
      h('div', { class: 'field' }, h('label', { for: 'hl-attach-q', text: 'hl.attach_q' }),
        h('div', { class: 'inline' }, q, h('button', { type: 'submit', class: 'button secondary', id: 'hl-attach-search', text: 'list.search' }))),
      note, list);
    f.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') {
        e.preventDefault();
        box.hidden = true;
        document.getElementById('hl-attach')?.setAttribute('aria-expanded', 'false');
        document.getElementById('hl-attach')?.focus();
      }
    });
    f.addEventListener('submit', async (e) => {
      e.preventDefault();
      const params = new URLSearchParams({ limit: '10' });
      if (q.value.trim()) params.set('q', q.value.trim());
      const res = await request(ctx, 'GET', `/cases?${params}`);
      if (!ctx.alive()) return;
      list.replaceChildren();
      if (!res || res.status !== 200) {
        setMessage(note, statusKey(res), 'error');
        return;
      }
      const items = res.body.items || [];
      setMessage(note, items.length ? null : 'list.none_found', 'info');
      for (const c of items) {
        const pick = h('button', {
          type: 'button', class: 'button secondary', text: 'hl.attach_here', attrs: { 'data-id': c.id },
          on: { click: () => attach(contact, c, status, box, pick) },
        });
        list.append(h('li', { class: 'person-row' },
          h('div', {}, h('strong', { data: personName(c.person) }),
            h('div', { class: 'case-meta' }, c.reference ? h('span', { data: c.reference }) : null,
              c.opened_on ? h('span', { text: () => `${t('list.opened')} ${showDate(c.opened_on)}` }) : null)),
          pick));
      }
      list.querySelector('button')?.focus();
    });
    return f;
  }

  async function attach(contact, c, status, box, button) {
    if (button.getAttribute('aria-disabled') === 'true') return;
    button.setAttribute('aria-disabled', 'true');
    const res = await request(ctx, 'POST', `/contacts/${encodeURIComponent(contact.id)}/attach`, { case_id: c.id });
    button.removeAttribute('aria-disabled');
    if (!ctx.alive()) return;
    if (!res || res.status !== 200) {
      setMessage(status, statusKey(res), 'error');
      return;
    }
    box.hidden = true;
    setMessage(status, () => `${t('hl.attached')}: ${personName(c.person)}`, 'success',
      h('a', { href: `#/cases/${encodeURIComponent(c.id)}`, id: 'hl-attached-case', text: 'hl.to_case' }));
    status.querySelector('a')?.focus();
  }

  showType();
  drawClock();
  startTimer(); // the screen opens when the phone rings
  dataRadio.focus();
}
