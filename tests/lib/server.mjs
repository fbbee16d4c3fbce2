// Start a real himoya server on loopback for a test file: a fresh data
// folder made with the command line, users added, then `himoya serve`.
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import net from 'node:net';

export const BIN = process.env.HIMOYA_BIN || join(process.cwd(), 'build', 'himoya');

// A sanitizer's report in a process's output (the ASan+UBSan build of
// make check), or null.  A server's report comes from its own thread and
// ends the process only after printing its stack, often after the test
// has had its answers: so a test passed beside a server that had just
// found undefined behaviour (a bsearch on a null array, 2026-12-07).
// Every helper that runs the binary checks its output with this.
const SANITIZER = /runtime error:|ERROR: (?:Address|Leak|Thread)Sanitizer|SUMMARY: \w+Sanitizer/;
export function sanitizerReport(text) {
  const m = SANITIZER.exec(text || '');
  return m ? text.slice(Math.max(0, m.index - 200), m.index + 3000) : null;
}

// Throws when a process's output has a sanitizer's report.
export function assertNoSanitizerReport(text, what) {
  const rep = sanitizerReport(text);
  if (rep) throw new Error(`${what}: sanitizer report:\n${rep}`);
}

export function himoya(args, input) {
  const r = spawnSync(BIN, args, { input: input ?? '', encoding: 'utf8' });
  assertNoSanitizerReport(r.stderr, 'himoya ' + args[0]);
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); });
    s.on('error', reject);
  });
}

// HIMOYA_TEST_PG: the URL of a PostgreSQL cluster's postgres database
// (tests/pg/cluster.sh): every server then gets a database of its own
// there, named in its himoya.conf, instead of DATA/himoya.db.
export const PG = process.env.HIMOYA_TEST_PG || '';
let pgSerial = 0;

// A new empty database in the test cluster; its URL.
export function pgDatabase() {
  const name = `t${process.pid}_${++pgSerial}_${Math.random().toString(36).slice(2, 8)}`;
  const r = spawnSync('psql', [PG, '-qXc', `CREATE DATABASE ${name}`], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error('createdb failed: ' + r.stderr);
  // libpq's URLs may have no host part (a unix socket in ?host=), which
  // node's URL does not take: replace the path by hand.
  return PG.replace(/^(postgres(?:ql)?:\/\/[^/?]*)(\/[^?]*)?/, `$1/${name}`);
}

// init's arguments for a new folder: on PostgreSQL, a database of its own.
export function initArgs(data) {
  return PG ? ['--database', pgDatabase()] : [];
}

// users: [{org, login, role, password}] ; orgs: [{code, name, type, sector?}]
// timezone: the programme's zone (written to DATA/himoya.conf); UTC unless
// told, so that a test's "today" (new Date().toISOString()) is the server's;
// null writes no file (the default, Asia/Dushanbe).
// conf: more lines of himoya.conf ("report_k = 2\n").
export async function startServer({ users = [], orgs = [], env = {}, timezone = 'UTC', conf = '' } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'himoya-test-'));
  const data = join(dir, 'data');
  let r = himoya(['init', '--data', data, '--org-code', 'iom', '--org-name', 'IOM Tajikistan', '--org-type', 'IGO',
    ...initArgs(data)]);
  if (r.code !== 0) throw new Error('init failed: ' + r.err);
  for (const o of orgs) {
    r = himoya(['org', 'add', '--data', data, '--code', o.code, '--name', o.name, '--type', o.type,
      ...(o.sector ? ['--sector', o.sector] : [])]);
    if (r.code !== 0) throw new Error('org add failed: ' + r.err);
  }
  for (const u of users) {
    r = himoya(['user', 'add', '--data', data, '--org', u.org || 'iom', '--login', u.login, '--role', u.role,
      '--password-stdin'], u.password + '\n');
    if (r.code !== 0) throw new Error('user add failed: ' + r.err);
  }
  if (timezone !== null || conf) appendFileSync(join(data, 'himoya.conf'), (timezone !== null ? `timezone = ${timezone}\n` : '') + conf);
  const port = await freePort();
  const proc = spawn(BIN, ['serve', '--data', data, '--listen', `127.0.0.1:${port}`],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let log = '';
  proc.stdout.on('data', (d) => { log += d; });
  proc.stderr.on('data', (d) => { log += d; });
  // HIMOYA_SERVER_STDERR=1: the server's own messages (sanitizer reports) on the test's stderr.
  if (process.env.HIMOYA_SERVER_STDERR) proc.stderr.on('data', (d) => process.stderr.write(d));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try { const res = await fetch(url + '/api/v1/health'); if (res.ok) break; } catch { /* not yet */ }
    if (i > 100 || proc.exitCode !== null) throw new Error('server did not start: ' + log);
    await new Promise((ok) => setTimeout(ok, 50));
  }
  return {
    url, data, dir, proc,
    log: () => log,
    async stop() {
      // Once ended (by a signal too: exitCode stays null), 'exit' has fired.
      if (proc.exitCode === null && proc.signalCode === null) {
        const done = new Promise((ok) => proc.once('exit', ok));
        proc.kill('SIGTERM');
        await done;
      }
      await streamsEnded(proc);
      assertNoSanitizerReport(log, 'himoya serve');
    },
    cleanup() { rmSync(dir, { recursive: true, force: true }); },
  };
}

// After 'exit', a child's pipes may still hold the end of its output.
export function streamsEnded(proc) {
  const ended = (st) => !st || st.readableEnded || st.destroyed
    ? Promise.resolve() : new Promise((ok) => { st.once('close', ok); st.once('end', ok); });
  return Promise.all([ended(proc.stdout), ended(proc.stderr)]);
}

// A tiny cookie-keeping client for the session API.
export class Client {
  constructor(url) { this.url = url; this.cookie = null; this.csrf = null; this.token = null; }
  async req(method, path, body, headers = {}) {
    const h = { ...headers };
    if (this.cookie) h.cookie = this.cookie;
    if (this.token) h.authorization = 'Bearer ' + this.token;
    if (this.csrf && method !== 'GET' && !('x-csrf-token' in h)) h['x-csrf-token'] = this.csrf;
    let payload;
    if (body !== undefined) {
      payload = typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body);
      if (!('content-type' in h)) h['content-type'] = 'application/json';
    }
    const res = await fetch(this.url + path, { method, headers: h, body: payload });
    // Every test checks this of the server: a 429 or a 503 says when to
    // try again (a client, or the offline queue of the screens, waits that
    // long instead of hammering a locked login or a busy server).
    if ((res.status === 429 || res.status === 503) && !/^\d+$/.test(res.headers.get('retry-after') ?? '')) {
      throw new Error(`${method} ${path}: ${res.status} without a Retry-After of seconds`);
    }
    const sc = res.headers.get('set-cookie');
    if (sc) { const m = /^(himoya_session=[^;]*)/.exec(sc); if (m) this.cookie = m[1]; }
    const text = await res.text();
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
    return { status: res.status, headers: res.headers, json, text };
  }
  async login(login, password, totp) {
    const body = { login, password };
    if (totp) body.totp = totp;
    const r = await this.req('POST', '/api/v1/session', body);
    if (r.status === 200) this.csrf = r.json.csrf_token;
    return r;
  }
}

// The users of a test, all with one password: rows of [login, role] or
// [login, role, org] (the org's code; the default organisation without).
export function usersOf(password, rows) {
  return rows.map(([login, role, org]) => (org ? { org, login, role, password } : { login, role, password }));
}

// Sign every user in (each with u.password, else password) on a client of
// its own: as[login] is the client, uid[login] the user's id.  Fails the
// test with the server's answer when a sign-in does not succeed.
export async function signInAll(srv, users, password, as = {}, uid = {}) {
  for (const u of users) {
    const c = new Client(srv.url);
    const r = await c.login(u.login, u.password ?? password);
    if (r.status !== 200) throw new Error(`sign-in of ${u.login}: ${r.status} ${r.text}`);
    as[u.login] = c;
    uid[u.login] = r.json.user.id;
  }
  return { as, uid };
}
