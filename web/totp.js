// totp.js - setting up the second factor (#/security): ask the server for
// a new secret, show it to type into an authenticator app, and confirm
// with the app's first code.  When a role requires the second factor, a
// user without one sees only this page until it is done.

import { h, setMessage } from './dom.js';
import { request } from './page.js';

// Groups of four, easier to type from a screen into a phone.
function grouped(secret) {
  return secret.replace(/(.{4})/g, '$1 ').trim();
}

export async function totpView(ctx, onDone) {
  // No schema is needed here, and none is served before the set-up.
  ctx.title('totp.title');
  ctx.root.replaceChildren();
  const msg = h('div', { class: 'message', id: 'totp-message', attrs: { role: 'status' }, hidden: true });
  ctx.root.append(h('p', { class: 'lead', text: 'totp.lead' }), msg);
  if (ctx.user.totp_enabled) {
    setMessage(msg, 'totp.already', 'success');
    return;
  }
  const start = await request(ctx, 'POST', '/me/totp');
  if (!ctx.alive()) return;
  if (!start || start.status !== 200) {
    setMessage(msg, 'error.server', 'error');
    return;
  }
  const code = h('input', {
    id: 'totp-setup-code', attrs: { inputmode: 'numeric', autocomplete: 'one-time-code', maxlength: 6, pattern: '[0-9]{6}', required: true },
  });
  const submit = h('button', { id: 'totp-setup-submit', type: 'submit', class: 'primary', text: 'totp.confirm' });
  const form = h('form', { class: 'form', attrs: { novalidate: true } },
    h('p', { text: 'totp.step1' }),
    h('p', { class: 'secret', id: 'totp-secret', data: grouped(start.body.secret) }),
    h('p', { class: 'hint', text: 'totp.uri' }),
    h('p', { class: 'secret small', id: 'totp-uri', data: start.body.otpauth_uri }),
    h('label', { for: 'totp-setup-code', text: 'totp.step2' }),
    code,
    submit);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!/^[0-9]{6}$/.test(code.value.trim())) {
      setMessage(msg, 'totp.bad_code', 'error');
      return;
    }
    const res = await request(ctx, 'POST', '/me/totp/confirm', { code: code.value.trim() });
    if (!ctx.alive()) return;
    if (res && res.status === 200) {
      setMessage(msg, 'totp.done', 'success');
      form.hidden = true;
      if (onDone) onDone(res.body);
    } else {
      setMessage(msg, 'totp.bad_code', 'error');
    }
  });
  ctx.root.append(form);
}
