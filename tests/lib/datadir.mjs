// Helpers for tests that work on data folders directly: serving an
// existing folder, running the binary with a timeout, reading raw bytes,
// polling, and the sqlite3 command-line tool.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import net from 'node:net';
import { BIN, assertNoSanitizerReport, sanitizerReport, streamsEnded } from './server.mjs';

export { BIN };

// Run himoya with a hard timeout so that a hang fails the test instead of
// stalling the suite.  signal is set when the process had to be killed.
export function run(args, { input = '', timeout = 15000 } = {}) {
  const r = spawnSync(BIN, args, { input, encoding: 'utf8', timeout, killSignal: 'SIGKILL' });
  assertNoSanitizerReport(r.stderr, 'himoya ' + args[0]);
  return { code: r.status, signal: r.signal, out: r.stdout, err: r.stderr };
}

// The same without blocking the event loop (so that requests of the test
// can run meanwhile).
export function runAsync(args, { input = '', timeout = 15000 } = {}) {
  return new Promise((resolve, reject) => {
    const p = spawn(BIN, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '', err = '';
    p.stdout.on('data', (d) => { out += d; });
    p.stderr.on('data', (d) => { err += d; });
    const t = setTimeout(() => p.kill('SIGKILL'), timeout);
    p.on('close', (code, signal) => {
      clearTimeout(t);
      const rep = sanitizerReport(err);
      if (rep) reject(new Error(`himoya ${args[0]}: sanitizer report:\n${rep}`));
      else resolve({ code, signal, out, err });
    });
    p.stdin.end(input);
  });
}

export function tempDir(prefix = 'himoya-t-') {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); });
    s.on('error', reject);
  });
}

export const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));

// Serve an existing data folder on a free loopback port, or on port.
export async function serveDir(data, { port } = {}) {
  port ??= await freePort();
  const proc = spawn(BIN, ['serve', '--data', data, '--listen', `127.0.0.1:${port}`],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  proc.stdout.on('data', (d) => { log += d; });
  proc.stderr.on('data', (d) => { log += d; });
  // HIMOYA_SERVER_STDERR=1: the server's own messages on the test's stderr.
  if (process.env.HIMOYA_SERVER_STDERR) proc.stderr.on('data', (d) => process.stderr.write(d));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try { const res = await fetch(url + '/api/v1/health'); if (res.ok) break; } catch { /* not yet */ }
    if (i > 100 || proc.exitCode !== null) {
      proc.kill('SIGKILL');
      throw new Error('server did not start: ' + log);
    }
    await sleep(50);
  }
  return {
    url, data, proc,
    log: () => log,
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) {
        const done = new Promise((ok) => proc.once('exit', ok));
        proc.kill('SIGTERM');
        await done;
      }
      await streamsEnded(proc);
      assertNoSanitizerReport(log, 'himoya serve');
      return { code: proc.exitCode, signal: proc.signalCode };
    },
  };
}

// Poll fn until it returns a truthy value or the time runs out.
export async function poll(fn, { timeout = 2000, every = 10 } = {}) {
  const end = Date.now() + timeout;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) return v;
    await sleep(every);
  }
}

// Write a folder's himoya.conf, keeping the database it names (a test on
// PostgreSQL changes the settings it tests, never where the data is).
export function writeConf(data, text) {
  const url = pgUrlOf(data);
  writeFileSync(join(data, 'himoya.conf'), (url ? `database = ${url}\n` : '') + text);
}

// The PostgreSQL database a folder's himoya.conf names, or null (SQLite).
export function pgUrlOf(data) {
  const conf = join(data, 'himoya.conf');
  if (!existsSync(conf)) return null;
  const m = readFileSync(conf, 'utf8').match(/^database\s*=\s*(\S+)/m);
  return m ? m[1] : null;
}

// The tests' SQL is SQLite's; on PostgreSQL the little of it that differs
// is said the PostgreSQL way here: blob literals cast to text, and
// booleans printed as SQLite prints them (1 and 0, not t and f).  hex(),
// json_set() and json_remove() for tests are made in the test cluster's
// template (tests/pg/with-cluster.sh), never in the product's schema.
function pgSql(sql) {
  return sql.replace(/CAST\(X'([0-9A-Fa-f]*)' AS TEXT\)/g, "convert_from('\\x$1'::bytea, 'UTF8')")
    .replace(/PRAGMA busy_timeout\s*=\s*\d+;/gi, '').replace(/ AS BLOB\)/g, ' AS bytea)')
    .replace(/\bchar\((\d+)\)/g, 'chr($1)');
}

function pgOut(text) {
  return text.split('\n').map((line) => line.split('|')
    .map((v) => (v === 't' ? '1' : v === 'f' ? '0' : v)).join('|')).join('\n');
}

// psql's output as sqlite3's: unaligned, tuples only, '|' between columns.
const PSQL_ARGS = ['-AtqX', '-v', 'ON_ERROR_STOP=1', '-F', '|'];

function psql(url, sql) {
  const r = spawnSync('psql', [url, ...PSQL_ARGS, '-c', pgSql(sql)],
    { encoding: 'utf8', timeout: 10000 });
  if (r.status !== 0) throw new Error('psql failed: ' + r.stderr);
  return pgOut(r.stdout);
}

// One connection for many queries, for a test that asks after each of
// hundreds of requests: a psql started for each costs 50-100 ms (the
// sealed walk took 180 s on PostgreSQL, 40 s on SQLite).  query() answers
// as sqlite() does; close() when done.  On SQLite, sqlite() itself.
export function sqlSession(db) {
  const url = pgUrlOf(dirname(db));
  if (!url) return { query: async (sql) => sqlite(db, sql), close() {} };
  const proc = spawn('psql', [url, ...PSQL_ARGS],
    { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  let waiting = null;
  let n = 0;
  const settle = () => {
    if (!waiting) return;
    const at = out.indexOf(waiting.marker + '\n');
    if (at >= 0) {
      const w = waiting;
      waiting = null;
      const text = out.slice(0, at);
      out = out.slice(at + w.marker.length + 1);
      w.ok(pgOut(text));
    } else if (proc.exitCode !== null || err) {
      const w = waiting;
      waiting = null;
      w.fail(new Error('psql failed: ' + err));
    }
  };
  proc.stdout.on('data', (d) => { out += d; settle(); });
  proc.stderr.on('data', (d) => { err += d; settle(); });
  proc.on('exit', settle);
  let queue = Promise.resolve();
  return {
    query(sql) {
      const run = () => new Promise((ok, fail) => {
        const marker = `--end of query ${++n}--`;
        waiting = { marker, ok, fail };
        proc.stdin.write(pgSql(sql).replace(/;?\s*$/, ';') + `\n\\echo '${marker}'\n`);
        settle();
      });
      const p = queue.then(run);
      queue = p.catch(() => {});
      return p;
    },
    close() { proc.stdin.end(); },
  };
}

// The raw bytes of the database files of a folder (db, and -wal if any).
// On PostgreSQL (tests/pg/with-cluster.sh), after a checkpoint: the files
// of the folder's database as "himoya.db", the cluster's WAL as
// "himoya.db-wal".
export function rawFiles(data) {
  const out = {};
  const url = pgUrlOf(data);
  if (url) {
    const pgdata = process.env.HIMOYA_TEST_PGDATA;
    if (!pgdata) throw new Error('rawFiles on PostgreSQL needs HIMOYA_TEST_PGDATA');
    const oid = psql(url, 'CHECKPOINT; SELECT oid FROM pg_database WHERE datname = current_database()').trim();
    const cat = (dir) => Buffer.concat(readdirSync(dir).map((f) => join(dir, f))
      .filter((f) => statSync(f).isFile()).map((f) => readFileSync(f)));
    out['himoya.db'] = cat(join(pgdata, 'base', oid));
    out['himoya.db-wal'] = cat(join(pgdata, 'pg_wal'));
    return out;
  }
  for (const name of ['himoya.db', 'himoya.db-wal']) {
    const p = join(data, name);
    if (existsSync(p)) out[name] = readFileSync(p);
  }
  return out;
}

// SQL on a folder's database (DATA/himoya.db): sqlite3, or psql when the
// folder's himoya.conf names a PostgreSQL database (same output format).
export function sqlite(db, sql) {
  const url = pgUrlOf(dirname(db));
  if (url) return psql(url, sql);
  // A test's write waits for the server's (its checkpointer, a write in
  // flight) as the server's own connections do, instead of failing with
  // "database is locked" now and then.
  const r = spawnSync('sqlite3', ['-cmd', '.timeout 8000', db, sql], { encoding: 'utf8', timeout: 10000 });
  if (r.status !== 0) throw new Error('sqlite3 failed: ' + r.stderr);
  return r.stdout;
}

// Authenticated JSON requests with a bearer token.
export async function bearer(url, token, method, path, body, headers = {}) {
  const h = { authorization: 'Bearer ' + token, ...headers };
  let payload;
  if (body !== undefined) {
    payload = typeof body === 'string' ? body : JSON.stringify(body);
    h['content-type'] = 'application/json';
  }
  const res = await fetch(url + path, { method, headers: h, body: payload });
  const text = await res.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
  return { status: res.status, headers: res.headers, json, text };
}
