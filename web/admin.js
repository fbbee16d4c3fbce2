// admin.js - the administrator's pages (#/admin/users, /orgs, /tokens,
// /roles) and the page that forces a new password after a one-time one
// (passwordView).  Every action goes through the API, which decides what
// an administrator may do (own organisation only) and audits it; a secret
// the server answers once (a one-time password, an API token) is shown
// once here and kept nowhere.

import { t } from './i18n.js';
import { h, live, setMessage, showDate, busy, dateInput, parseDate } from './dom.js';
import { request, prepare, messageBox, heading } from './page.js';
import { codeList, codeText, statusKey } from './forms.js';
import { problemType } from './api.js';

const TABS = ['users', 'orgs', 'tokens', 'roles'];
const ROLES = ['admin', 'supervisor', 'caseworker', 'hotline', 'focal_point', 'analyst', 'trainer'];

// A refused password's rule, by the sentence the server gives for it
// (src/domain/pwrules.c, pwrules_reason); the length and the common list
// are adm.err_weak's.
const PASSWORD_RULES = [
  ['different characters', 'pw.err_distinct'],
  ['a sequence', 'pw.err_pattern'],
  ['contain the login', 'pw.err_login'],
  ["organisation's code or name", 'pw.err_org'],
  ["demo's published password", 'pw.err_demo'],
];

// The message of a refused change: the server's reason by its type.
function problemKey(res) {
  const type = res && res.body ? problemType(res.body) : '';
  if (type === 'weak-password') {
    const detail = typeof res.body.detail === 'string' ? res.body.detail : '';
    const rule = PASSWORD_RULES.find(([words]) => detail.includes(words));
    if (rule) return rule[1];
  }
  const known = {
    'login-taken': 'adm.err_login_taken',
    'own-account': 'adm.err_own',
    'weak-password': 'adm.err_weak',
    'wrong-password': 'adm.err_wrong_password',
    conflict: 'adm.err_conflict',
    'second-factor-required': 'adm.err_token_totp',
  };
  return known[type] || statusKey(res);
}

function field(id, key, input) {
  input.id = id;
  return h('div', { class: 'field' }, h('label', { for: id, text: key }), input);
}

function select(options, value) {
  const s = h('select');
  for (const [code, text] of options) s.append(h('option', { value: code, text }));
  if (value !== undefined) s.value = value;
  return s;
}

// Role names are the code list's (GET /schema, schema/labels.json).
const roleOptions = () => ROLES.map((r) => [r, codeText('roles', r)]);
const codeOptions = (list) => codeList(list).map((c) => [c.code, codeText(list, c.code)]);

// A secret shown once, with what to do with it.
function secretBox(id, key, secret) {
  return h('div', { class: 'message success', attrs: { role: 'status' } },
    live(h('p'), key),
    h('p', { class: 'secret', id, data: secret }));
}

// ---- #/admin ----------------------------------------------------------------

export async function adminView(ctx) {
  const tab = ctx.params[1] || 'users';
  if (!TABS.includes(tab) || ctx.params.length > 2) return null;
  run(ctx, tab);
  return true;
}

async function run(ctx, tab) {
  if (!(await prepare(ctx))) return;
  const tabs = h('div', { class: 'tabs', attrs: { role: 'tablist' } });
  for (const id of TABS) {
    tabs.append(h('button', {
      type: 'button', class: 'tab', id: `adm-tab-${id}`, text: `adm.tab_${id}`,
      attrs: { role: 'tab', 'aria-selected': String(id === tab) },
      on: { click: () => ctx.go(`#/admin/${id}`) },
    }));
  }
  const panel = h('div', { class: 'tab-panel', attrs: { role: 'tabpanel', 'aria-labelledby': `adm-tab-${tab}` } });
  ctx.root.append(tabs, panel);
  ctx.title(`adm.tab_${tab}`);
  const views = { users: usersTab, orgs: orgsTab, tokens: tokensTab, roles: rolesTab };
  await views[tab](ctx, panel);
}

// ---- users --------------------------------------------------------------------

async function usersTab(ctx, panel) {
  const msg = messageBox();
  msg.id = 'adm-message';
  const shown = h('div', { id: 'adm-secret-slot' });
  const list = h('ul', { class: 'cards', id: 'user-list' });
  const login = h('input', { attrs: { autocomplete: 'off', autocapitalize: 'none', spellcheck: 'false', maxlength: 64 } });
  const role = select(roleOptions(), 'caseworker');
  const create = h('button', { type: 'submit', class: 'button primary', id: 'user-create', text: 'adm.user_create' });
  const form = h('form', { class: 'form', attrs: { novalidate: true } },
    heading(2, 'adm.user_new'),
    field('user-new-login', 'adm.login', login),
    field('user-new-role', 'adm.role', role),
    h('p', { class: 'hint', text: 'adm.onetime_hint' }),
    h('div', { class: 'actions' }, create));
  panel.append(msg, shown, heading(2, 'adm.users_list'), list, form);

  async function load() {
    const res = await request(ctx, 'GET', '/users');
    if (!ctx.alive()) return;
    if (!res || res.status !== 200) {
      setMessage(msg, statusKey(res), 'error');
      return;
    }
    list.replaceChildren(...res.body.items.map(userCard));
  }

  function showSecret(user, password) {
    shown.replaceChildren(secretBox('onetime-password', () => t('adm.onetime_shown').replace('{login}', user.login), password));
  }

  async function act(button, user, action, body) {
    await busy(button, async () => {
      const res = await request(ctx, 'POST', `/users/${encodeURIComponent(user.id)}/${action}`, body);
      if (!ctx.alive()) return;
      if (!res || res.status !== 200) {
        setMessage(msg, problemKey(res), 'error');
        return;
      }
      shown.replaceChildren();
      setMessage(msg, `adm.done_${action.replace('-', '_')}`, 'success');
      if (res.body.password) showSecret(res.body, res.body.password);
      await load();
    });
  }

  function userCard(u) {
    const badges = h('span', { class: 'badges' },
      h('span', { class: 'badge neutral', text: codeText('roles', u.role) }),
      u.disabled ? h('span', { class: 'badge muted', text: 'adm.disabled' }) : h('span', { class: 'badge ok', text: 'adm.active' }),
      u.locked ? h('span', { class: 'badge warn', text: 'adm.locked' }) : null,
      u.totp_enabled ? h('span', { class: 'badge info', text: 'adm.totp_on' }) : null,
      u.must_change_password ? h('span', { class: 'badge info', text: 'adm.must_change' }) : null);
    const roleSel = select(roleOptions(), u.role);
    roleSel.id = `role-of-${u.login}`;
    const btn = (action, key, onClick) => h('button', {
      type: 'button', class: 'button secondary', text: key, attrs: { 'data-action': action }, on: { click: onClick },
    });
    const setRole = btn('role', 'adm.role_set', (e) => act(e.currentTarget, u, 'role', { role: roleSel.value }));
    const actions = h('div', { class: 'actions' },
      h('span', { class: 'inline' }, h('label', { for: roleSel.id, class: 'visually-hidden', text: 'adm.role' }), roleSel, setRole),
      u.disabled
        ? btn('enable', 'adm.enable', (e) => act(e.currentTarget, u, 'enable'))
        : btn('disable', 'adm.disable', (e) => {
          if (window.confirm(t('adm.disable_confirm').replace('{login}', u.login))) act(e.currentTarget, u, 'disable');
        }),
      u.locked ? btn('unlock', 'adm.unlock', (e) => act(e.currentTarget, u, 'unlock')) : null,
      u.totp_enabled ? btn('reset-totp', 'adm.reset_totp', (e) => act(e.currentTarget, u, 'reset-totp')) : null,
      btn('reset-password', 'adm.reset_password', (e) => act(e.currentTarget, u, 'reset-password')));
    return h('li', { class: 'card', attrs: { 'data-login': u.login } },
      h('p', { class: 'card-title' }, h('strong', { data: u.login }), ' ', badges),
      h('p', { class: 'muted' }, live(h('span'), () => `${t('adm.created')}: ${showDate(u.created)}`)),
      actions);
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const value = login.value.trim();
    if (!/^[A-Za-z0-9._@-]{2,64}$/.test(value)) {
      login.setAttribute('aria-invalid', 'true');
      setMessage(msg, 'adm.err_login', 'error');
      login.focus();
      return;
    }
    login.removeAttribute('aria-invalid');
    await busy(create, async () => {
      const res = await request(ctx, 'POST', '/users', { login: value, role: role.value });
      if (!ctx.alive()) return;
      if (!res || res.status !== 201) {
        setMessage(msg, problemKey(res), 'error');
        return;
      }
      form.reset();
      role.value = 'caseworker';
      setMessage(msg, 'adm.done_create', 'success');
      showSecret(res.body, res.body.password);
      await load();
    });
  });
  await load();
}

// ---- organisations -------------------------------------------------------------

async function orgsTab(ctx, panel) {
  const msg = messageBox();
  msg.id = 'adm-message';
  const shown = h('div', { id: 'adm-secret-slot' });
  const list = h('ul', { class: 'cards', id: 'org-list' });
  const code = h('input', { attrs: { autocomplete: 'off', autocapitalize: 'none', spellcheck: 'false', maxlength: 64 } });
  const name = h('input', { attrs: { maxlength: 200 } });
  const type = select(codeOptions('org_type'), 'NGO');
  const sector = select(codeOptions('sector'), 'ngo');
  const admin = h('input', { attrs: { autocomplete: 'off', autocapitalize: 'none', spellcheck: 'false', maxlength: 64 } });
  const create = h('button', { type: 'submit', class: 'button primary', id: 'org-create', text: 'adm.org_create' });
  const form = h('form', { class: 'form', attrs: { novalidate: true } },
    heading(2, 'adm.org_new'),
    field('org-code', 'adm.org_code', code),
    field('org-name', 'adm.org_name', name),
    field('org-type', 'adm.org_type', type),
    field('org-sector', 'adm.org_sector', sector),
    field('org-admin', 'adm.org_admin', admin),
    h('p', { class: 'hint', text: 'adm.org_admin_hint' }),
    h('div', { class: 'actions' }, create));
  panel.append(msg, shown, heading(2, 'adm.orgs_list'), list, form);

  async function load() {
    const res = await request(ctx, 'GET', '/orgs');
    if (!ctx.alive()) return;
    if (!res || res.status !== 200) {
      setMessage(msg, statusKey(res), 'error');
      return;
    }
    list.replaceChildren(...res.body.items.map(orgCard));
    // Organisations are added by the installation's own organisation.
    form.hidden = !res.body.items.some((o) => o.settles);
  }

  function orgCard(o) {
    const facts = h('p', { class: 'muted' },
      live(h('span'), () => [o.code, codeText('org_type', o.type)(), o.sector ? codeText('sector', o.sector)() : ''].filter(Boolean).join(' · ')));
    const item = h('li', { class: 'card', attrs: { 'data-code': o.code } }, h('p', { class: 'card-title' }, h('strong', { data: o.name })), facts);
    if (!o.managed) return item;
    const eName = h('input', { value: o.name, attrs: { maxlength: 200 } });
    const eType = select(codeOptions('org_type'), o.type);
    const eSector = select(codeOptions('sector'), o.sector || 'other');
    // Name, type and sector are set by the installation's own
    // organisation; an organisation's own administrator edits its contact.
    for (const e of [eName, eType, eSector]) e.disabled = !o.settles;
    // The contact its referral partners see on every referral it sends.
    const ePhone = h('input', { type: 'tel', value: o.contact_phone || '', attrs: { maxlength: 40, autocomplete: 'off' } });
    const eEmail = h('input', { type: 'email', value: o.contact_email || '', attrs: { maxlength: 200, autocomplete: 'off' } });
    const save = h('button', { type: 'submit', class: 'button secondary', text: 'common.save' });
    const edit = h('form', { class: 'form', attrs: { novalidate: true } },
      field(`org-${o.code}-name`, 'adm.org_name', eName),
      field(`org-${o.code}-type`, 'adm.org_type', eType),
      field(`org-${o.code}-sector`, 'adm.org_sector', eSector),
      field(`org-${o.code}-contact_phone`, 'adm.org_contact_phone', ePhone),
      field(`org-${o.code}-contact_email`, 'adm.org_contact_email', eEmail),
      h('p', { class: 'hint', text: 'adm.org_contact_hint' }),
      h('div', { class: 'actions' }, save));
    // Only what was changed (an untouched sector stays unset, not "other").
    const changed = () => {
      if (!o.settles) return {};
      const out = {};
      if (eName.value.trim() !== o.name) out.name = eName.value.trim();
      if (eType.value !== o.type) out.type = eType.value;
      if (eSector.value !== (o.sector || 'other')) out.sector = eSector.value;
      return out;
    };
    edit.addEventListener('submit', async (event) => {
      event.preventDefault();
      await busy(save, async () => {
        const res = await request(ctx, 'PATCH', `/orgs/${encodeURIComponent(o.code)}`,
          { ...changed(), contact_phone: ePhone.value.trim(), contact_email: eEmail.value.trim() });
        if (!ctx.alive()) return;
        if (!res || res.status !== 200) {
          setMessage(msg, problemKey(res), 'error');
          return;
        }
        setMessage(msg, 'adm.done_org_saved', 'success');
        await load();
      });
    });
    item.append(h('details', {}, h('summary', { text: 'adm.org_edit' }), edit));
    return item;
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const body = { code: code.value.trim(), name: name.value.trim(), type: type.value, sector: sector.value };
    if (admin.value.trim() !== '') body.admin_login = admin.value.trim();
    if (!/^[A-Za-z0-9._@-]{2,64}$/.test(body.code) || body.name === '') {
      setMessage(msg, 'adm.err_org', 'error');
      return;
    }
    await busy(create, async () => {
      const res = await request(ctx, 'POST', '/orgs', body);
      if (!ctx.alive()) return;
      if (!res || res.status !== 201) {
        setMessage(msg, problemKey(res), 'error');
        return;
      }
      form.reset();
      setMessage(msg, 'adm.done_org_created', 'success');
      shown.replaceChildren();
      if (res.body.admin) {
        shown.append(secretBox('onetime-password',
          () => t('adm.onetime_shown').replace('{login}', res.body.admin.login), res.body.admin.password));
      }
      await load();
    });
  });
  await load();
}

// ---- API tokens ------------------------------------------------------------------

async function tokensTab(ctx, panel) {
  const msg = messageBox();
  msg.id = 'adm-message';
  const shown = h('div', { id: 'adm-secret-slot' });
  const list = h('ul', { class: 'cards', id: 'token-list' });
  const login = h('select');
  const label = h('input', { attrs: { maxlength: 100 } });
  const expires = dateInput();
  const create = h('button', { type: 'submit', class: 'button primary', id: 'token-create', text: 'adm.token_create' });
  const form = h('form', { class: 'form', attrs: { novalidate: true } },
    heading(2, 'adm.token_new'),
    field('token-login', 'adm.login', login),
    field('token-label', 'adm.token_label', label),
    field('token-expires', 'adm.token_expires', expires),
    h('p', { class: 'hint', text: 'adm.token_hint' }),
    h('div', { class: 'actions' }, create));
  panel.append(msg, shown, heading(2, 'adm.tokens_list'), list, form);

  const users = await request(ctx, 'GET', '/users');
  if (!ctx.alive()) return;
  if (users && users.status === 200) {
    for (const u of users.body.items.filter((x) => !x.disabled)) login.append(h('option', { value: u.login, data: u.login }));
  }

  async function load() {
    const res = await request(ctx, 'GET', '/tokens');
    if (!ctx.alive()) return;
    if (!res || res.status !== 200) {
      setMessage(msg, statusKey(res), 'error');
      return;
    }
    list.replaceChildren(...res.body.items.map(tokenCard));
  }

  function tokenCard(tk) {
    const state = tk.revoked ? 'adm.token_revoked' : tk.expired ? 'adm.token_expired' : 'adm.active';
    const item = h('li', { class: 'card', attrs: { 'data-token': tk.id } },
      h('p', { class: 'card-title' }, h('strong', { data: tk.label || '—' }), ' ',
        h('span', { class: `badge ${tk.revoked || tk.expired ? 'muted' : 'ok'}`, text: state })),
      h('p', { class: 'muted' }, live(h('span'), () =>
        `${tk.login} · ${t('adm.token_expires')}: ${showDate(tk.expires)} · ${t('adm.token_last_used')}: ${tk.last_used ? showDate(tk.last_used) : '—'}`)));
    if (!tk.revoked && !tk.expired) {
      const revoke = h('button', { type: 'button', class: 'button secondary', text: 'adm.token_revoke', attrs: { 'data-action': 'revoke' } });
      revoke.addEventListener('click', () => busy(revoke, async () => {
        const res = await request(ctx, 'POST', `/tokens/${encodeURIComponent(tk.id)}/revoke`);
        if (!ctx.alive()) return;
        if (!res || res.status !== 200) {
          setMessage(msg, problemKey(res), 'error');
          return;
        }
        setMessage(msg, 'adm.done_token_revoked', 'success');
        await load();
      }));
      item.append(h('div', { class: 'actions' }, revoke));
    }
    return item;
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const body = { login: login.value };
    if (label.value.trim() !== '') body.label = label.value.trim();
    if (expires.value.trim() !== '') body.expires = parseDate(expires.value) || expires.value.trim(); // not a date: the server says so
    await busy(create, async () => {
      const res = await request(ctx, 'POST', '/tokens', body);
      if (!ctx.alive()) return;
      if (!res || res.status !== 201) {
        setMessage(msg, problemKey(res), 'error');
        return;
      }
      form.reset();
      setMessage(msg, 'adm.done_token_created', 'success');
      shown.replaceChildren(secretBox('token-secret', 'adm.token_shown', res.body.token));
      await load();
    });
  });
  await load();
}

// ---- role policies -------------------------------------------------------------------

async function rolesTab(ctx, panel) {
  const msg = messageBox();
  msg.id = 'adm-message';
  const list = h('ul', { class: 'cards', id: 'role-list' });
  const hint = h('p', { class: 'hint', text: 'adm.roles_hint' });
  panel.append(msg, hint, list);
  const res = await request(ctx, 'GET', '/roles');
  if (!ctx.alive()) return;
  if (!res || res.status !== 200) {
    setMessage(msg, statusKey(res), 'error');
    return;
  }
  if (res.body.items.length && !res.body.items[0].settles) {
    hint.after(h('p', { class: 'hint', id: 'role-home-only', text: 'adm.roles_home_only' }));
  }
  for (const p of res.body.items) {
    // Installation-wide: set by the own organisation's administrators only.
    const box = h('input', { type: 'checkbox', id: `role-totp-${p.role}`, checked: p.require_totp, disabled: !p.settles });
    box.addEventListener('change', async () => {
      box.disabled = true;
      const r = await request(ctx, 'PUT', `/roles/${encodeURIComponent(p.role)}`, { require_totp: box.checked });
      if (!ctx.alive()) return;
      box.disabled = false;
      if (!r || r.status !== 200) {
        box.checked = !box.checked;
        setMessage(msg, problemKey(r), 'error');
        return;
      }
      setMessage(msg, 'adm.done_role_policy', 'success');
    });
    list.append(h('li', { class: 'card' },
      h('p', { class: 'card-title' }, h('strong', { text: codeText('roles', p.role) })),
      h('label', { class: 'check', for: box.id }, box, ' ', live(h('span'), 'adm.require_totp'))));
  }
}

// ---- the forced change of a one-time password ------------------------------------------

// Shown alone after signing in with a one-time password; onDone(me) when
// the server took the new one.
export function passwordView(ctx, onDone) {
  ctx.title('pw.title');
  const msg = h('div', { class: 'message', id: 'pw-message', attrs: { role: 'alert' }, hidden: true });
  const current = h('input', { type: 'password', attrs: { autocomplete: 'current-password', required: true } });
  const next = h('input', { type: 'password', attrs: { autocomplete: 'new-password', required: true, minlength: 12 } });
  const again = h('input', { type: 'password', attrs: { autocomplete: 'new-password', required: true, minlength: 12 } });
  const submit = h('button', { type: 'submit', class: 'button primary', id: 'pw-submit', text: 'pw.submit' });
  const form = h('form', { class: 'form', attrs: { novalidate: true } },
    field('pw-current', 'pw.current', current),
    field('pw-new', 'pw.new', next),
    field('pw-new2', 'pw.again', again),
    h('p', { class: 'hint', id: 'pw-rules', text: 'pw.rules' }),
    h('div', { class: 'actions' }, submit));
  next.setAttribute('aria-describedby', 'pw-rules');
  ctx.root.replaceChildren(h('p', { class: 'lead', text: 'pw.lead' }), msg, form);
  current.focus();
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (current.value === '' || next.value === '') {
      setMessage(msg, 'error.required', 'error');
      return;
    }
    if ([...next.value].length < 12) {
      setMessage(msg, 'pw.too_short', 'error');
      next.focus();
      return;
    }
    if (next.value !== again.value) {
      setMessage(msg, 'pw.mismatch', 'error');
      again.focus();
      return;
    }
    await busy(submit, async () => {
      const res = await request(ctx, 'POST', '/me/password', { current: current.value, new: next.value });
      if (!ctx.alive()) return;
      if (res && res.status === 200) {
        form.reset();
        onDone(res.body);
        return;
      }
      setMessage(msg, problemKey(res), 'error');
    });
  });
}
