// The write load of `make check-ha` (tools/check-ha.sh): several clients
// write through two `himoya serve` at once, hotline contacts and persons,
// each remembering every write that was acknowledged (a 2xx with its id).
// After --before seconds it runs --kill (a shell command that kills the
// database leader and prints "killed-at MS", the time of the kill in ms
// since the epoch), waits until every server has acknowledged a write sent
// after the kill, writes --after seconds more, then reads every
// acknowledged record back through the API and checks it is the one
// written.  Prints
//   failover: writes resumed after X.X s; N writes acknowledged, N found, 0 lost
// and exits 1 when a server did not resume within --limit seconds or any
// acknowledged write is missing.
//
//   node tests/ha/load.mjs --urls http://127.0.0.1:A,http://127.0.0.1:B \
//     --hotline-token T1 --caseworker-token T2 --kill 'sh kill-leader.sh' \
//     [--clients 8] [--before 8] [--after 10] [--limit 30] [--out acked.jsonl]
import { exec } from 'node:child_process';
import { appendFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values: opt } = parseArgs({
  options: {
    urls: { type: 'string' },
    'hotline-token': { type: 'string' },
    'caseworker-token': { type: 'string' },
    kill: { type: 'string' },
    clients: { type: 'string', default: '8' },
    before: { type: 'string', default: '8' },
    after: { type: 'string', default: '10' },
    limit: { type: 'string', default: '30' },
    out: { type: 'string', default: '' },
  },
});
for (const k of ['urls', 'hotline-token', 'caseworker-token', 'kill']) {
  if (!opt[k]) { console.error(`load: --${k} is required`); process.exit(2); }
}
const urls = opt.urls.split(',');
const CLIENTS = Number(opt.clients);
const BEFORE_MS = Number(opt.before) * 1000;
const AFTER_MS = Number(opt.after) * 1000;
const LIMIT_MS = Number(opt.limit) * 1000;
const V1 = '/api/v1';
const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));
const run = Date.now().toString(36); // tells this run's records apart

async function call(url, token, method, path, body) {
  const res = await fetch(url + path, {
    method,
    headers: { authorization: 'Bearer ' + token, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
    signal: AbortSignal.timeout(15000),
  });
  const text = await res.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  return { status: res.status, json, text };
}

// Each kind of write: the request, and how to recognise it when read back.
const kinds = {
  contact: {
    token: opt['hotline-token'],
    body: (key) => ({ channel: 'phone', call_type: 'data', caller_kind: 'self', notes: key }),
    path: (id) => `${V1}/contacts/${id}`,
    create: `${V1}/contacts`,
    matches: (rec, key) => rec.notes === key,
  },
  person: {
    token: opt['caseworker-token'],
    body: (key) => ({ given_name: 'Нигора', family_name: key }),
    path: (id) => `${V1}/persons/${id}`,
    create: `${V1}/persons`,
    matches: (rec, key) => rec.family_name === key,
  },
};

const acked = []; // {key, kind, id, server, sent, at}
const failures = new Map(); // "server: what" -> count
let killedAt = null;
let stopping = false;
const resumedAt = urls.map(() => null); // per server: first ack of a write sent after the kill

function fail(server, what) {
  const k = `${urls[server]}: ${what}`;
  failures.set(k, (failures.get(k) || 0) + 1);
}

async function client(n) {
  const server = n % urls.length;
  const kind = n % 4 < 2 ? 'contact' : 'person';
  const K = kinds[kind];
  for (let i = 0; !stopping; i++) {
    const key = `HA-${run}-${n}-${i}`;
    const sent = Date.now();
    try {
      const r = await call(urls[server], K.token, 'POST', K.create, K.body(key));
      if (r.status >= 200 && r.status < 300 && r.json && r.json.id) {
        const at = Date.now();
        const w = { key, kind, id: r.json.id, server, sent, at };
        acked.push(w);
        if (opt.out) appendFileSync(opt.out, JSON.stringify(w) + '\n');
        if (killedAt !== null && sent >= killedAt && resumedAt[server] === null) resumedAt[server] = at;
      } else {
        fail(server, `${r.status} ${r.json?.type || r.text.slice(0, 60)}`);
        await sleep(100);
      }
    } catch (e) {
      fail(server, e.cause?.code || e.name);
      await sleep(100);
    }
  }
}

const t0 = Date.now();
if (opt.out) writeFileSync(opt.out, '');
const workers = Array.from({ length: CLIENTS }, (_, n) => client(n));
await sleep(BEFORE_MS);
// The writes go on while the command finds the leader and kills it.
const killOut = await new Promise((ok, no) => exec(opt.kill, (e, out, err) => {
  process.stderr.write(err);
  if (e) no(e); else ok(out);
}));
process.stdout.write(killOut.replace(/^killed-at .*\n?/m, ''));
killedAt = Number(/^killed-at (\d+)$/m.exec(killOut)?.[1]);
if (!killedAt) { console.error('load: the kill command did not print "killed-at MS"'); process.exit(1); }
const beforeKill = acked.filter((w) => w.at <= killedAt).length;
for (const w of acked) {
  if (w.sent >= killedAt && (resumedAt[w.server] === null || w.at < resumedAt[w.server])) resumedAt[w.server] = w.at;
}
console.log(`load: ${beforeKill} writes acknowledged in ${((killedAt - t0) / 1000).toFixed(1)} s before the kill`);
while (resumedAt.some((t) => t === null) && Date.now() - killedAt < LIMIT_MS) await sleep(50);
const resumed = resumedAt.every((t) => t !== null);
const lastResume = resumed ? Math.max(...resumedAt) : null;
for (const [s, t] of resumedAt.entries()) {
  console.log(`load: server ${urls[s]}: ${t === null ? `no write acknowledged within ${LIMIT_MS / 1000} s`
    : `writes resumed ${((t - killedAt) / 1000).toFixed(1)} s after the kill`}`);
}
if (resumed) await sleep(AFTER_MS);
stopping = true;
await Promise.all(workers);
for (const [what, count] of failures) console.log(`load: refused or failed (${count}x): ${what}`);

// Read every acknowledged write back, spread over both servers: lost
// when the server answers that it is not there (404) or is another;
// unreadable when it answers nothing better than an error (both fail).
let found = 0;
const lost = [];
const unreadable = [];
let next = 0;
async function reader(n) {
  for (let i; (i = next++) < acked.length;) {
    const w = acked[i];
    const K = kinds[w.kind];
    let r;
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        r = await call(urls[(n + attempt) % urls.length], K.token, 'GET', K.path(w.id));
        break;
      } catch (e) { r = { status: 0, text: String(e) }; await sleep(200); }
    }
    const what = `${w.kind} ${w.id} (${w.key}, acknowledged by ${urls[w.server]}): ${r.status} ${r.text.slice(0, 80)}`;
    if (r.status === 200 && K.matches(r.json, w.key)) found++;
    else if (r.status === 200 || r.status === 404) lost.push(what);
    else unreadable.push(what);
  }
}
await Promise.all(Array.from({ length: 8 }, (_, n) => reader(n)));
for (const l of lost.slice(0, 20)) console.log('load: LOST ' + l);
for (const l of unreadable.slice(0, 5)) console.log('load: UNREADABLE ' + l);
const secs = lastResume === null ? `did not resume within ${LIMIT_MS / 1000} s` : `resumed after ${((lastResume - killedAt) / 1000).toFixed(1)} s`;
console.log(`failover: writes ${secs}; ${acked.length} writes acknowledged, ${found} found, ${lost.length} lost`
  + (unreadable.length ? `, ${unreadable.length} could not be read` : ''));
process.exit(resumed && found === acked.length && acked.length > beforeKill ? 0 : 1);
