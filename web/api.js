// api.js - the one way the UI talks to the server.
//
// The session lives in an HttpOnly cookie the page never sees; the CSRF
// token that goes with it is kept here, in memory only (never in storage),
// and sent as X-CSRF-Token on every state-changing request.

let csrfToken = null;

export function setCsrfToken(token) {
  csrfToken = typeof token === 'string' && token !== '' ? token : null;
}

export function hasCsrfToken() {
  return csrfToken !== null;
}

// The short slug of a problem+json "type" ("totp-required"), whether the
// server sends the slug itself or a URI ending in it.
export function problemType(body) {
  const type = body && typeof body.type === 'string' ? body.type : '';
  return type.split(/[/#]/).pop();
}

// fetch() with the house rules. Resolves to {status, body} where body is
// the parsed JSON (or problem+json) answer, or null. Rejects only when the
// server cannot be reached. extra: more headers, such as If-Match.
export async function api(method, path, body, extra = {}) {
  const headers = { Accept: 'application/json, application/problem+json', ...extra };
  const init = { method, headers, credentials: 'same-origin', cache: 'no-store' };
  if (method !== 'GET' && method !== 'HEAD') {
    headers['Content-Type'] = 'application/json';
    if (csrfToken !== null) headers['X-CSRF-Token'] = csrfToken;
    if (body !== undefined) init.body = JSON.stringify(body);
  }
  const res = await fetch('/api/v1' + path, init);
  let parsed = null;
  const type = res.headers.get('Content-Type') || '';
  if (/json/i.test(type)) {
    try {
      parsed = await res.json();
    } catch {
      parsed = null;
    }
  }
  return { status: res.status, body: parsed };
}

// POST a file itself as the body (the knowledge library's versions): the
// server reads its type from its bytes, so the declared one is only a hint.
// Resolves like api().
export async function upload(path, file) {
  const headers = { Accept: 'application/json, application/problem+json',
    'Content-Type': 'application/octet-stream' };
  if (csrfToken !== null) headers['X-CSRF-Token'] = csrfToken;
  const res = await fetch('/api/v1' + path, { method: 'POST', headers, body: file,
    credentials: 'same-origin', cache: 'no-store' });
  let parsed = null;
  if (/json/i.test(res.headers.get('Content-Type') || '')) {
    try {
      parsed = await res.json();
    } catch {
      parsed = null;
    }
  }
  return { status: res.status, body: parsed };
}
