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

// Every POST and PATCH goes with an Idempotency-Key.  When its answer is lost (no
// answer at all, a 5xx, or "still being made"), the change may have been
// made all the same: the same change sent again (the user presses Save
// once more) goes with the same key, so the server answers it as the
// first instead of making it twice (a call logged twice on a weak link).
// Any other answer forgets the key.  In memory only, like the CSRF token.
const unanswered = new Map(); // method, path and body -> the key they went with
const UNANSWERED_MAX = 50;
const REMEMBERED_BODY_MAX = 256 * 1024;

export function newIdempotencyKey() {
  const b = new Uint8Array(16);
  crypto.getRandomValues(b); // crypto.randomUUID needs https; a field office may serve plain http
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

function unansweredKey(what) {
  return what.length <= REMEMBERED_BODY_MAX ? unanswered.get(what) : undefined;
}

function remember(what, key, answered) {
  unanswered.delete(what);
  if (answered || what.length > REMEMBERED_BODY_MAX) return;
  if (unanswered.size >= UNANSWERED_MAX) unanswered.delete(unanswered.keys().next().value);
  unanswered.set(what, key);
}

// fetch() with the house rules. Resolves to {status, body} where body is
// the parsed JSON (or problem+json) answer, or null. Rejects only when the
// server cannot be reached. extra: more headers, such as If-Match.
export async function api(method, path, body, extra = {}) {
  const headers = { Accept: 'application/json, application/problem+json', ...extra };
  const init = { method, headers, credentials: 'same-origin', cache: 'no-store' };
  let what = null;
  let key = null;
  if (method !== 'GET' && method !== 'HEAD') {
    headers['Content-Type'] = 'application/json';
    if (csrfToken !== null) headers['X-CSRF-Token'] = csrfToken;
    if (body !== undefined) init.body = JSON.stringify(body);
    // DELETE and PUT are the same when sent again: they take no key.  A
    // key of the caller's own (a screen that knows when a change is the
    // same one sent again, api.js's rule aside) is the caller's to keep.
    if (method === 'POST' || method === 'PATCH') {
      if (extra['Idempotency-Key']) {
        key = extra['Idempotency-Key'];
      } else {
        what = `${method} ${path} ${extra['If-Match'] || ''}\n${init.body || ''}`;
        key = unansweredKey(what) || newIdempotencyKey();
      }
      headers['Idempotency-Key'] = key;
    }
  }
  let res;
  try {
    res = await fetch('/api/v1' + path, init);
  } catch (e) {
    if (what) remember(what, key, false);
    throw e;
  }
  if (what) {
    remember(what, key, !(res.status >= 500 || (res.status === 409 && res.headers.get('Retry-After'))));
  }
  let parsed = null;
  const type = res.headers.get('Content-Type') || '';
  if (/json/i.test(type)) {
    try {
      parsed = await res.json();
    } catch {
      parsed = null;
    }
  }
  return { status: res.status, body: parsed, retryAfter: res.headers.get('Retry-After') };
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
