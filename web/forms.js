// forms.js - forms built from the server's field declarations.
//
// GET /api/v1/schema is read once and kept in memory: the fields of each
// record (name, type, code list, required, labels in three languages),
// the code lists with their labels, and the screening indicator sets.
// buildForm() turns a record's fields into inputs, one kind per type,
// reads them back into the JSON the API takes, and places the server's
// problem+json answer next to the form and the field it names.

import { t, catalogue } from './i18n.js';
import { api } from './api.js';
import { h, live, liveAttr, label, setMessage, parseDate, dateInput, refreshLive, showMoney } from './dom.js';

const hasText = (key) => Object.prototype.hasOwnProperty.call(catalogue, key);

let schemaPromise = null;
let schemaData = null;

export function loadSchema() {
  if (!schemaPromise) {
    schemaPromise = api('GET', '/schema').then((res) => {
      if (res.status !== 200 || !res.body || !res.body.resources) {
        schemaPromise = null;
        const err = new Error('schema');
        err.status = res.status;
        throw err;
      }
      schemaData = res.body;
      return schemaData;
    }, (e) => {
      schemaPromise = null;
      throw e;
    });
  }
  return schemaPromise;
}

export function schema() {
  return schemaData;
}

// Forget the schema (after signing out: the next user loads it again).
export function forgetSchema() {
  schemaPromise = null;
  schemaData = null;
}

export function codeList(list) {
  return (schemaData && schemaData.codes[list]) || [];
}

// A live text maker for a code of a list: the code itself when unknown.
export function codeText(list, code) {
  return () => {
    const entry = codeList(list).find((c) => c.code === code);
    return entry ? label(entry) : (code ?? '');
  };
}

export function fieldsOf(resource) {
  return (schemaData && schemaData.resources[resource]) || [];
}

export function fieldOf(resource, name) {
  return fieldsOf(resource).find((f) => f.name === name);
}

// The code list behind a field; countries have one of their own.
function listOf(field) {
  if (field.codes) return field.codes;
  if (field.type === 'country' || field.type === 'country_list') return 'countries';
  return null;
}

// A node showing one value of a field, in the current language.
export function valueText(field, value) {
  if (value === undefined || value === null || value === '') return '';
  const list = listOf(field);
  if (Array.isArray(value)) {
    if (list) return () => value.map((v) => codeText(list, v)()).join(', ');
    if (field.type === 'object_list') return String(value.length);
    return value.join(', ');
  }
  if (list) return codeText(list, value);
  if (field.type === 'date') return showDateText(value);
  if (field.type === 'boolean') return value ? 'common.yes' : 'common.no';
  return String(value);
}

function showDateText(value) {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(value || '');
  return m ? `${m[3]}.${m[2]}.${m[1]}` : value;
}

// The fields that are amounts of money, in the record's currency (its
// "currency" field; the programme's when it has none).
const MONEY = { service: ['cost', 'grant_amount'], household: ['remittance_monthly'] };

// A definition list of the filled fields of a record.
export function recordView(resource, record, names) {
  const dl = h('dl', { class: 'record' });
  for (const f of fieldsOf(resource)) {
    if (names && !names.includes(f.name)) continue;
    const v = record[f.name];
    if (v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0)) continue;
    if (f.type === 'id') continue;
    let dd;
    if (f.type === 'object_list') {
      dd = h('dd', {}, h('ul', { class: 'plain' }, v.map((item) => h('li', {},
        f.fields.filter((s) => item[s.name] !== undefined).map((s, i) => [i ? ' · ' : '', h('span', { text: textOrData(valueText(s, item[s.name])) })])))));
    } else if (MONEY[resource]?.includes(f.name) && typeof v === 'number') {
      dd = h('dd', { class: 'money', text: () => showMoney(v, record.currency) });
    } else {
      dd = h('dd', { class: f.type === 'text' && f.max_length >= 1000 ? 'prose' : '', text: textOrData(valueText(f, v)) });
    }
    dl.append(h('div', { class: 'record-row' }, h('dt', { text: f.label }), dd));
  }
  return dl;
}

// valueText gives a key, a maker or a plain string; plain strings are
// data and must not be looked up in the catalogue.
function textOrData(v) {
  if (typeof v === 'function') return v;
  if (v === 'common.yes' || v === 'common.no') return v;
  return () => v;
}

// ---- problems ----------------------------------------------------------------

// The catalogue key for a 422 detail's reason ("given_name: is too long").
export function reasonKey(detail) {
  const rules = [
    [/give at least one name|keeps at least one name/, 'form.err_one_name'],
    [/give the caller_phone|has no number|give a number/, 'form.err_phone_needed'],
    [/is required|must not be empty/, 'form.err_required'],
    [/past date/, 'form.err_past_date'],
    [/before the person's date of birth/, 'form.err_before_birth'],
    [/is before /, 'form.err_order'],
    [/in the past/, 'form.err_in_past'],
    [/date written/, 'form.err_date'],
    [/phone numbers/, 'form.err_phone'],
    [/too long|too many/, 'form.err_too_long'],
    [/integer in range/, 'form.err_range'],
    [/code list|country code|alpha-2/, 'form.err_choice'],
    [/control characters/, 'form.err_characters'],
    [/minor's consent|legal representative is named|relation to the person is recorded/, 'consent.guardian_required'],
  ];
  for (const [re, key] of rules) if (re.test(detail)) return key;
  return 'form.err_invalid';
}

// The catalogue key for an answer that is not a success.
export function statusKey(res) {
  if (!res) return 'error.network';
  switch (res.status) {
  case 401: return 'error.session';
  case 403: return 'error.forbidden';
  case 404: return 'error.not_found';
  case 409:
    if (res.body && res.body.type === 'consent-required') return 'error.consent_required';
    // Sent again after its answer was lost (api.js): it was made.
    if (res.body && res.body.type === 'already-made') return 'error.already_made';
    if (res.body && res.body.type === 'in-progress') return 'error.in_progress';
    if (res.body && res.body.type === 'merged') return 'error.merged';
    // The case was transferred while this was being saved: nothing was.
    if (res.body && res.body.type === 'moved') return 'error.moved';
    return 'error.conflict_state';
  case 412: return 'error.stale';
  case 413: return 'error.too_large';
  case 422: return 'form.err_invalid';
  case 429: return 'error.rate';
  // The audit log cannot be written (the disk full): nothing is read meanwhile.
  case 503: return res.body && res.body.type === 'audit-unavailable' ? 'error.audit_unavailable' : 'error.server';
  default: return 'error.server';
  }
}

// The field a 422 problem is about: its "field" member, or the detail's
// "name: " (servers before the member).
export function problemField(body) {
  if (body && typeof body.field === 'string' && body.field) return body.field;
  const m = /^([a-z_][a-z0-9_.]*):\s/.exec((body && body.detail) || '');
  return m ? m[1] : null;
}

// ---- the builder ---------------------------------------------------------------

// The mark of the fields of which at least one is needed (a person's
// names), told apart from the required fields' *: each of them may stay
// empty.  The form's note starts with it.
const NEED_ONE_MARK = '¹';

// buildForm(resource, {include, exclude, primary, values, only, prefix})
//   include: the fields to show, in schema order (default: every field
//            that a person types: not read-only, not an id)
//   primary: the fields shown at once; the others fold under "More details"
//            (never one of needOne: the note names them all, so all of
//            them are in sight beside it)
//   values:  the record to start from
//   only:    {field: [codes]} narrows a field's choices
//   choices: {field: [{value, text}]} makes a text field a choice among
//            these (a provider from the directory); a value already
//            held that is not among them stays, as it is
//   prefix:  the inputs' ids are PREFIX-FIELD
//   needOne: fields of which at least one must be filled (a person's
//            names): marked as a group (not each as required, which no
//            one of them is), the group named in a note, checked before
//            sending
// Returns {node, read(), changes(original), showProblem(res), clear(), focus()}.
export function buildForm(resource, opts = {}) {
  const prefix = opts.prefix || resource;
  const values = opts.values || {};
  const fields = fieldsOf(resource).filter((f) => {
    if (opts.include && !opts.include.includes(f.name)) return false;
    if (opts.exclude && opts.exclude.includes(f.name)) return false;
    if (!opts.include && (f.read_only || f.type === 'id')) return false;
    return true;
  });
  const controls = fields.map((f) => control(f, `${prefix}-${f.name}`, values[f.name], opts.only?.[f.name], opts.choices?.[f.name]));
  const errorBox = h('div', { class: 'message error', attrs: { role: 'alert' }, hidden: true });
  const node = h('div', { class: 'form-fields' });
  const needOne = controls.filter((c) => opts.needOne?.includes(c.field.name));
  const needOneId = `${prefix}-need-one`;
  for (const c of needOne) c.markNeeded(needOneId);
  if (fields.some((f) => f.required)) node.append(h('p', { class: 'hint required-note', text: 'form.required_note' }));
  if (needOne.length) {
    node.append(h('p', { class: 'hint need-one-note', id: needOneId },
      h('span', { class: 'need-one-mark', attrs: { 'aria-hidden': 'true' }, data: `${NEED_ONE_MARK} ` }),
      live(h('span'), () => `${t('form.need_one')} ${needOne.map((c) => label(c.field.label)).join(', ')}`)));
  }
  // A name of the group folded away was named by the note but not in
  // sight (Aliases, under "More details"): an operator who has only the
  // name a person goes by could not find where to write it.
  const folded = opts.primary ? controls.filter((c) => !opts.primary.includes(c.field.name) && !needOne.includes(c)) : [];
  for (const c of controls) if (!folded.includes(c)) node.append(c.node);
  if (folded.length) {
    node.append(h('details', { class: 'more' }, h('summary', { text: 'form.more' }),
      h('div', { class: 'more-fields' }, folded.map((c) => c.node))));
  }
  node.append(errorBox);

  function clear() {
    setMessage(errorBox, null);
    for (const c of controls) c.invalid(null);
  }

  return {
    node,
    errorBox,
    controls,
    // {value, missing}: value has the filled fields only.
    read() {
      clear();
      const value = {};
      const missing = [];
      for (const c of controls) {
        const v = c.get();
        if (v === undefined) {
          if (c.field.required) missing.push(c);
        } else {
          value[c.field.name] = v;
        }
      }
      // One of the group is enough; none at all is marked on the first.
      const noneOfGroup = needOne.length > 0 && !needOne.some((c) => value[c.field.name] !== undefined);
      // An item begun and left without a required part (an event with no
      // type): marked on that part, and named by its item ("Event 2:
      // Type"), not on the whole list, which did not say which item.
      const gaps = controls.flatMap((c) => c.unfinished().map((g) => ({ c, ...g })));
      if (missing.length || noneOfGroup || gaps.length) {
        for (const c of missing) c.invalid('form.err_required');
        for (const g of gaps) g.part.invalid('form.err_required');
        if (noneOfGroup) needOne[0].invalid('form.err_need_one');
        const names = () => [...missing.map((c) => label(c.field.label)),
          ...gaps.map((g) => `${itemName(g.c.field, g.place)}: ${label(g.part.field.label)}`)];
        setMessage(errorBox, () => [
          missing.length || gaps.length ? `${t('form.check')} ${names().join(', ')}` : null,
          noneOfGroup ? `${t('form.need_one')} ${needOne.map((c) => label(c.field.label)).join(', ')}` : null,
        ].filter(Boolean).join(' '));
        const first = controls.find((c) => missing.includes(c) || (noneOfGroup && c === needOne[0]) || gaps.some((g) => g.c === c));
        const gap = gaps.find((g) => g.c === first);
        (gap ? gap.part : first).focus();
        if (noneOfGroup && !missing.includes(needOne[0])) missing.push(needOne[0]);
        for (const g of gaps) if (!missing.includes(g.c)) missing.push(g.c);
        return { value, missing };
      }
      // A date before the one it follows (an expiry before the consent was
      // given): the server refuses it too, but a wizard that had saved the
      // person first left the person with no consent.
      const early = controls.filter((c) => c.field.not_before && typeof value[c.field.name] === 'string' &&
        typeof value[c.field.not_before] === 'string' && value[c.field.name] < value[c.field.not_before]);
      if (early.length) {
        for (const c of early) c.invalid('form.err_order');
        setMessage(errorBox, () => `${label(early[0].field.label)}: ${t('form.err_order')}`);
        early[0].focus();
      }
      return { value, missing: early };
    },
    // The fields that differ from original, emptied ones as null (a PATCH).
    changes(original) {
      const { value, missing } = this.read();
      const patch = {};
      for (const c of controls) {
        const name = c.field.name;
        const now = value[name];
        const was = original[name];
        if (JSON.stringify(now) === JSON.stringify(was)) continue;
        if (now === undefined && (was === undefined || was === null)) continue;
        patch[name] = now === undefined ? null : now;
      }
      return { patch, missing };
    },
    clear,
    focus() {
      controls[0]?.focus();
    },
    // Show a refused answer; 422 points at its field (the problem's
    // "field", or the detail's "name: "), with the reason beside it.
    showProblem(res) {
      clear();
      if (res && res.status === 422 && res.body && typeof res.body.detail === 'string') {
        const name = problemField(res.body);
        const c = name && controls.find((x) => x.field.name === name.split('.')[0]);
        const reason = res.body.type === 'missing-field' && reasonKey(res.body.detail) === 'form.err_invalid'
          ? 'form.err_required' : reasonKey(res.body.detail);
        // "item 2: type: is required": marked on that part of that item.
        const item = c && /^[a-z_]+:\s*item (\d+): ([a-z_]+): /.exec(res.body.detail);
        const at = item && c.sentPart(Number(item[1]), item[2]);
        if (at) {
          at.part.invalid(reason);
          setMessage(errorBox, () => `${itemName(c.field, at.place)}: ${label(at.part.field.label)}: ${t(reason)}`);
          at.part.focus();
          return;
        }
        if (c) {
          c.invalid(reason);
          setMessage(errorBox, () => `${label(c.field.label)}: ${t(reason)}`);
          c.focus();
          return;
        }
        setMessage(errorBox, reason);
        return;
      }
      setMessage(errorBox, statusKey(res));
    },
  };
}

// One item of a list field, numbered: "Goal 2", by the item's name in
// the singular (the catalogue's item.NAME), not the list's plural
// label ("Goals 2").  A list without one there is "Item 2" under its
// legend.
function itemName(field, n) {
  const key = `item.${field.name}`;
  return hasText(key) ? `${t(key)} ${n}` : `${t('form.item_number')} ${n}`;
}

// One field: {field, node, get(), focus(), invalid(key|null)}.
function control(field, id, initial, only, choices) {
  const errId = `${id}-error`;
  const err = h('p', { class: 'field-error', id: errId, hidden: true });
  const mark = field.required ? h('span', { class: 'req', attrs: { 'aria-hidden': 'true' }, data: ' *' }) : null;
  let input; // the element focus() goes to
  let get;
  let node;
  let described = null; // the element that aria-describedby is on
  // A list of items (object_list) answers for its items' parts too.
  let unfinished = () => [];
  let sentPart = () => null;
  let clearParts = () => {};
  const describe = (el) => {
    el.setAttribute('aria-describedby', errId);
    if (field.required) el.setAttribute('aria-required', 'true');
    described = el;
    return el;
  };

  switch (choices ? 'choice' : field.type) {
  case 'choice': {
    input = describe(h('select', { id, name: field.name }));
    input.append(h('option', { value: '', text: 'form.choose' }));
    for (const c of choices) input.append(h('option', { value: c.value, data: c.text }));
    if (initial !== undefined && initial !== null && initial !== '') {
      if (![...input.options].some((o) => o.value === initial)) input.append(h('option', { value: initial, data: initial }));
      input.value = initial;
    }
    get = () => input.value || undefined;
    node = h('div', { class: 'field' }, h('label', { for: id }, live(h('span'), field.label), mark), input, err);
    break;
  }
  case 'code':
  case 'country': {
    input = describe(h('select', { id, name: field.name }));
    input.append(h('option', { value: '', text: 'form.choose' }));
    for (const c of codeList(listOf(field))) {
      if (only && !only.includes(c.code)) continue;
      input.append(h('option', { value: c.code, text: c }));
    }
    if (initial !== undefined && initial !== null) {
      if (![...input.options].some((o) => o.value === initial)) input.append(h('option', { value: initial, data: initial }));
      input.value = initial;
    }
    get = () => input.value || undefined;
    node = h('div', { class: 'field' }, h('label', { for: id }, live(h('span'), field.label), mark), input, err);
    break;
  }
  case 'code_list':
  case 'country_list': {
    const boxes = [];
    const chosen = new Set(Array.isArray(initial) ? initial : []);
    const grid = h('div', { class: 'check-grid' });
    for (const c of codeList(listOf(field))) {
      const cid = `${id}-${c.code}`;
      const box = h('input', { type: 'checkbox', id: cid, value: c.code, checked: chosen.has(c.code) });
      boxes.push(box);
      grid.append(h('div', { class: 'check' }, box, h('label', { for: cid, text: c })));
    }
    input = boxes[0];
    get = () => {
      const v = boxes.filter((b) => b.checked).map((b) => b.value);
      return v.length ? v : undefined;
    };
    node = describe(h('fieldset', { class: 'field group', id }, h('legend', {}, live(h('span'), field.label), mark), grid, err));
    break;
  }
  case 'boolean': {
    input = describe(h('input', { type: 'checkbox', id, name: field.name, checked: initial === true }));
    get = () => (input.checked ? true : initial === true ? false : undefined);
    node = h('div', { class: 'field check single' }, input, h('label', { for: id }, live(h('span'), field.label), mark), err);
    break;
  }
  case 'text_list':
  case 'phone_list': {
    const list = h('div', { class: 'repeat-list' });
    const rows = [];
    let count = 0; // ids stay unique after a removal
    const add = (value) => {
      const n = count++;
      const box = h('input', {
        id: `${id}-${n}`, type: field.type === 'phone_list' ? 'tel' : 'text', value: value ?? '',
        attrs: { inputmode: field.type === 'phone_list' ? 'tel' : undefined, maxlength: field.max_length, autocomplete: 'off' },
      });
      // Its place in the list now (a new one is not in rows yet: the last).
      liveAttr(box, 'aria-label', () => itemName(field, (rows.includes(box) ? rows.indexOf(box) : rows.length) + 1));
      // Removed, the cursor goes to the item now in its place (or the one
      // before, or Add): not lost to the page.
      const remove = h('button', {
        type: 'button', class: 'button link', text: 'form.remove',
        on: { click: () => {
          const i = rows.indexOf(box);
          row.remove();
          rows.splice(i, 1);
          refreshLive(list);
          (rows[i] || rows[i - 1] || more).focus();
        } },
      });
      liveAttr(remove, 'aria-label', () => `${t('form.remove')}: ${itemName(field, (rows.includes(box) ? rows.indexOf(box) : rows.length) + 1)}`);
      const row = h('div', { class: 'repeat-row' }, box, remove);
      rows.push(box);
      list.append(row);
      return box;
    };
    for (const v of Array.isArray(initial) && initial.length ? initial : ['']) add(v);
    input = rows[0];
    const more = h('button', { type: 'button', class: 'button secondary small', text: 'form.add_another', on: { click: () => add('').focus() } });
    get = () => {
      const v = rows.map((r) => r.value.trim()).filter((s) => s !== '');
      return v.length ? v : undefined;
    };
    node = describe(h('fieldset', { class: 'field group', id: `${id}-group` }, h('legend', {}, live(h('span'), field.label), mark), list, more, err));
    break;
  }
  case 'object_list': {
    const list = h('div', { class: 'repeat-list' });
    const items = [];
    let count = 0;
    const add = (value) => {
      const n = count++;
      const subs = field.fields.map((s) => control(s, `${id}-${n}-${s.name}`, value?.[s.name]));
      // Numbered by its place now (after a removal too, and after a change
      // of language), named in the singular: "Goal 2", not "Goals 2".
      let box = null;
      const place = () => {
        const i = items.findIndex((x) => x.box === box);
        return (i < 0 ? items.length : i) + 1; // a new one is not in items yet: the last
      };
      // Removed, the cursor goes to the item now in its place (or the one
      // before, or Add): not lost to the page.
      const remove = h('button', {
        type: 'button', class: 'button link', text: 'form.remove',
        on: { click: () => {
          const i = items.findIndex((x) => x.box === box);
          box.remove();
          items.splice(i, 1);
          refreshLive(list);
          const next = items[i] || items[i - 1];
          if (next && next.subs[0]) next.subs[0].focus();
          else more.focus();
        } },
      });
      liveAttr(remove, 'aria-label', () => `${t('form.remove')}: ${itemName(field, place())}`);
      box = h('fieldset', { class: 'sub-form' },
        h('legend', { text: () => itemName(field, place()) }),
        subs.map((s) => s.node), remove);
      items.push({ box, subs });
      list.append(box);
      return subs;
    };
    if (Array.isArray(initial)) for (const v of initial) add(v);
    const more = h('button', {
      type: 'button', class: 'button secondary small', id: `${id}-add`,
      text: () => (hasText(`item.add_${field.name}`) ? t(`item.add_${field.name}`) : t('form.add')),
      on: { click: () => add()[0]?.focus() },
    });
    input = more;
    let sent = []; // the items get() gave, in order (an empty one is not sent)
    get = () => {
      const v = [];
      sent = [];
      for (const it of items) {
        const obj = {};
        for (const s of it.subs) {
          const sv = s.get();
          if (sv !== undefined) obj[s.field.name] = sv;
        }
        if (Object.keys(obj).length) {
          v.push(obj);
          sent.push(it);
        }
      }
      return v.length ? v : undefined;
    };
    // The items begun with a required part left empty: each item's place
    // in the list (as its legend numbers it) and that part.
    unfinished = () => items.flatMap((it, i) => {
      if (!it.subs.some((s) => s.get() !== undefined)) return [];
      const gap = it.subs.find((s) => s.field.required && s.get() === undefined);
      return gap ? [{ place: i + 1, part: gap }] : [];
    });
    // The part `name` of the n-th item sent (as the server counts them,
    // from 1), with the item's place in the list.
    sentPart = (n, name) => {
      const it = sent[n - 1];
      const part = it && it.subs.find((s) => s.field.name === name);
      return part ? { place: items.indexOf(it) + 1, part } : null;
    };
    clearParts = () => {
      for (const it of items) for (const s of it.subs) s.invalid(null);
    };
    node = describe(h('fieldset', { class: 'field group objects', id: `${id}-group` }, h('legend', {}, live(h('span'), field.label), mark), list, more, err));
    break;
  }
  default: { // text, date, integer, and anything new shown as text
    const long = field.type === 'text' && field.max_length >= 1000;
    if (long) {
      input = h('textarea', { id, name: field.name, rows: 4, value: initial ?? '', attrs: { maxlength: field.max_length } });
    } else {
      const attrs = { maxlength: field.max_length, autocomplete: 'off' };
      let type = 'text';
      if (field.type === 'integer') {
        type = 'number';
        attrs.inputmode = 'numeric';
        attrs.min = field.minimum;
        attrs.max = field.maximum;
        attrs.step = 1;
      }
      input = field.type === 'date' ? dateInput({ id, name: field.name }, initial ?? '')
        : h('input', { id, name: field.name, type, value: initial ?? '', attrs });
    }
    describe(input);
    get = () => {
      const v = input.value.trim();
      if (v === '') return undefined;
      if (field.type === 'integer') {
        const n = Number(v);
        return Number.isInteger(n) ? n : v;
      }
      if (field.type === 'date') return parseDate(v) || v; // what is not a date: the server says so
      return long ? input.value.replace(/\s+$/, '') : v;
    };
    node = h('div', { class: `field${long ? ' wide' : ''}` }, h('label', { for: id }, live(h('span'), field.label), mark), input, err);
  }
  }
  if (field.required && input && input.tagName !== 'BUTTON') input.required = true;

  return {
    field,
    node,
    get,
    focus() {
      // Folded under a closed "More details", it is opened first.
      const fold = input?.closest('details');
      if (fold && !fold.open) fold.open = true;
      input?.focus();
    },
    unfinished: () => unfinished(),
    sentPart: (n, name) => sentPart(n, name),
    // One of a group of which at least one is needed: not required by
    // itself, so not marked *; the group's mark, and its note (noteId)
    // read out with the field.
    markNeeded(noteId) {
      if (mark) return;
      const where = node.querySelector('label, legend');
      where?.append(h('span', { class: 'need-one-mark', attrs: { 'aria-hidden': 'true' }, data: ` ${NEED_ONE_MARK}` }));
      if (described) described.setAttribute('aria-describedby', `${errId} ${noteId}`);
    },
    invalid(key) {
      const target = input && input.tagName !== 'BUTTON' ? input : null;
      if (key === null) {
        clearParts();
        err.hidden = true;
        err.replaceChildren();
        target?.removeAttribute('aria-invalid');
        node.classList.remove('invalid');
        return;
      }
      live(err, key);
      err.hidden = false;
      target?.setAttribute('aria-invalid', 'true');
      node.classList.add('invalid');
    },
  };
}

// A form with its submit button: the fields, then the actions, which
// stay at the bottom of the screen while the form runs past it.
export function formShell({ id, title, fields, submitKey, onSubmit, extra }) {
  const submit = h('button', { type: 'submit', class: 'button primary', text: submitKey, id: id ? `${id}-submit` : undefined });
  const form = h('form', { class: 'panel form', id, attrs: { novalidate: true } },
    title ? h('h2', { text: title }) : null,
    extra || null,
    fields.node,
    h('div', { class: 'actions sticky-actions' }, submit));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (submit.getAttribute('aria-disabled') === 'true') return;
    submit.setAttribute('aria-disabled', 'true');
    Promise.resolve(onSubmit()).finally(() => submit.removeAttribute('aria-disabled'));
  });
  return { form, submit };
}
