// Helpers shared by the hostile API tests (auth, input, http): problem
// assertions, RFC 6238 codes computed independently of the server, raw
// HTTP requests that fetch() cannot make, and the audit count.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import http from 'node:http';
import { himoya } from './server.mjs';

// An RFC 9457 answer with exactly this status and type slug.
export function assertProblem(res, status, type, what = '') {
  const where = what ? `${what}: ` : '';
  assert.equal(res.status, status, `${where}status (body: ${res.text})`);
  const ct = res.headers.get ? res.headers.get('content-type') : res.headers['content-type'];
  assert.match(ct || '', /^application\/problem\+json\b/, `${where}content type`);
  assert.ok(res.json && typeof res.json === 'object', `${where}a JSON problem body`);
  assert.equal(res.json.status, status, `${where}problem status member`);
  if (type !== undefined) assert.equal(res.json.type, type, `${where}problem type`);
  assert.equal(typeof res.json.title, 'string', `${where}problem title`);
}

// ---- TOTP (RFC 4648 base32, RFC 4226/6238) ---------------------------------

export function base32Decode(s) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const clean = s.replace(/[\s=]/g, '').toUpperCase();
  let bits = 0;
  let acc = 0;
  const out = [];
  for (const ch of clean) {
    const v = alphabet.indexOf(ch);
    if (v < 0) throw new Error(`not base32: ${ch}`);
    acc = (acc << 5) | v;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out.push((acc >>> bits) & 0xff);
    }
    acc &= (1 << bits) - 1;
  }
  return Buffer.from(out);
}

export function totpStep(ms = Date.now()) {
  return Math.floor(ms / 1000 / 30);
}

export function totpCode(secretB32, step) {
  const key = base32Decode(secretB32);
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', key).update(msg).digest();
  const off = mac[mac.length - 1] & 0x0f;
  const bin = ((mac[off] & 0x7f) << 24) | (mac[off + 1] << 16) | (mac[off + 2] << 8) | mac[off + 3];
  return String(bin % 1000000).padStart(6, '0');
}

// A six-digit code that matches none of the steps the server may accept.
export function wrongCode(secretB32) {
  const now = totpStep();
  const valid = new Set([-2, -1, 0, 1, 2].map((d) => totpCode(secretB32, now + d)));
  for (let i = 0; ; i++) {
    const c = String((123456 + i * 7919) % 1000000).padStart(6, '0');
    if (!valid.has(c)) return c;
  }
}

// Wait until at least `margin` seconds remain in the current 30 s step, so
// that a code computed now is still "now" when the server checks it.
export async function awaitFreshStep(margin = 5) {
  const left = 30 - ((Date.now() / 1000) % 30);
  if (left < margin) await new Promise((ok) => setTimeout(ok, left * 1000 + 200));
}

// ---- raw HTTP --------------------------------------------------------------

// One request through node:http: headers as sent, body a Buffer or string,
// optional `chunked` (no Content-Length).  Resolves with whatever answer
// arrived, even if the server closed the connection while we were still
// writing (which it should do for an oversized body).
export function rawRequest(url, { method = 'GET', path = '/', headers = {}, body, chunked = false,
  agent } = {}) {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const h = { ...headers };
    if (body !== undefined && !chunked) h['content-length'] = Buffer.byteLength(body);
    const req = http.request({ host: u.hostname, port: u.port, method, path, headers: h,
      agent: agent ?? false });
    let settled = false;
    let writeError = null;
    req.on('response', (res) => {
      const parts = [];
      res.on('data', (d) => parts.push(d));
      res.on('end', () => {
        settled = true;
        const text = Buffer.concat(parts).toString('utf8');
        let json = null;
        try { json = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
        resolve({ status: res.statusCode, headers: res.headers, text, json, socket: req.socket,
          writeError });
      });
      res.on('error', (e) => { if (!settled) { settled = true; reject(e); } });
    });
    req.on('error', (e) => {
      // EPIPE/ECONNRESET while uploading: the answer may still come.
      writeError = e;
      setTimeout(() => { if (!settled) { settled = true; reject(e); } }, 2000);
    });
    if (body === undefined) { req.end(); return; }
    if (chunked) {
      const buf = Buffer.isBuffer(body) ? body : Buffer.from(body);
      const step = 64 * 1024;
      let off = 0;
      const pump = () => {
        while (off < buf.length) {
          const ok = req.write(buf.subarray(off, off + step));
          off += step;
          if (!ok) { req.once('drain', pump); return; }
        }
        req.end();
      };
      pump();
    } else {
      req.end(body);
    }
  });
}

// Adapt a node:http answer to what assertProblem expects.
export function asFetchLike(r) {
  return { ...r, headers: { get: (n) => r.headers[n.toLowerCase()] } };
}

// ---- audit -----------------------------------------------------------------

// Number of entries in the audit chain, after the server's queue flushed.
export async function auditCount(data) {
  await new Promise((ok) => setTimeout(ok, 150));
  const r = himoya(['audit', 'verify', '--data', data]);
  assert.equal(r.code, 0, `audit verify: ${r.out} ${r.err}`);
  const m = /(\d+) entries/.exec(r.out);
  assert.ok(m, `audit verify output: ${r.out}`);
  return Number(m[1]);
}

// A bearer token for a login, made by the command line.
export function makeToken(data, login) {
  const r = himoya(['token', 'create', '--data', data, '--login', login]);
  assert.equal(r.code, 0, `token create: ${r.err}`);
  const token = r.out.trim();
  assert.ok(token.length >= 20, 'a token was printed');
  return token;
}
