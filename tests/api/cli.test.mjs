// The command line: init, org add, user add, token create, serve --listen,
// backup/restore and demo, each against fresh data folders.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, linkSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { Client, initArgs, assertNoSanitizerReport, streamsEnded } from '../lib/server.mjs';
import { spawn, spawnSync } from 'node:child_process';
import { run, runAsync, tempDir, serveDir, bearer, sqlite, freePort, sleep, poll, pgUrlOf, BIN } from '../lib/datadir.mjs';

const root = tempDir('himoya-cli-');
const servers = [];
after(async () => {
  for (const s of servers) await s.stop();
  rmSync(root, { recursive: true, force: true });
});

let n = 0;
const fresh = () => join(root, 'd' + (++n));

function init(dir, extra = []) {
  const r = run(['init', '--data', dir, ...extra]);
  assert.equal(r.code, 0, r.err);
  return r;
}

function addUser(dir, login, role, password, org = 'iom') {
  const r = run(['user', 'add', '--data', dir, '--org', org, '--login', login, '--role', role,
    '--password-stdin'], { input: password + '\n' });
  assert.equal(r.code, 0, r.err);
}

function token(dir, login) {
  const r = run(['token', 'create', '--data', dir, '--login', login]);
  assert.equal(r.code, 0, r.err);
  const t = r.out.trim();
  assert.match(t, /^\S{20,}$/);
  return t;
}

async function serve(dir) {
  const s = await serveDir(dir);
  servers.push(s);
  return s;
}

const mode = (p) => statSync(p).mode & 0o777;

test('init creates the folder 0700 with himoya.db and himoya.key 0600', () => {
  const dir = fresh();
  const r = init(dir);
  assert.match(r.out, /Created/);
  assert.equal(mode(dir), 0o700);
  assert.equal(mode(join(dir, 'himoya.db')), 0o600);
  assert.equal(mode(join(dir, 'himoya.key')), 0o600);
  assert.ok(statSync(join(dir, 'himoya.key')).size > 0);
  const v = run(['audit', 'verify', '--data', dir]);
  assert.equal(v.code, 0, v.out + v.err);
});

test('init refuses an existing folder and changes nothing', () => {
  const dir = fresh();
  init(dir);
  const before = readdirSync(dir).sort();
  const db = readFileSync(join(dir, 'himoya.db'));
  const key = readFileSync(join(dir, 'himoya.key'));
  const r = run(['init', '--data', dir]);
  assert.equal(r.code, 1);
  assert.match(r.err, /already exists/);
  assert.deepEqual(readdirSync(dir).sort(), before);
  assert.ok(readFileSync(join(dir, 'himoya.db')).equals(db));
  assert.ok(readFileSync(join(dir, 'himoya.key')).equals(key));

  const empty = fresh();
  mkdirSync(empty, { mode: 0o755 });
  const r2 = run(['init', '--data', empty]);
  assert.equal(r2.code, 1);
  assert.match(r2.err, /already exists/);
  assert.deepEqual(readdirSync(empty), []);
  assert.equal(mode(empty), 0o755);
});

test('init with a bad organisation type creates nothing', () => {
  const dir = fresh();
  const r = run(['init', '--data', dir, '--org-type', 'Charity']);
  assert.equal(r.code, 2);
  assert.match(r.err, /unknown organisation type 'Charity'/);
  assert.equal(existsSync(dir), false);
});

test('commands on a missing folder or a folder without himoya.db fail clearly', () => {
  const missing = join(root, 'no-such-folder');
  const empty = fresh();
  mkdirSync(empty);
  const cmds = (d) => [
    ['user', 'add', '--data', d, '--org', 'iom', '--login', 'someone', '--role', 'caseworker'],
    ['org', 'add', '--data', d, '--code', 'ngo1', '--name', 'NGO One', '--type', 'NGO'],
    ['token', 'create', '--data', d, '--login', 'someone'],
    ['role', 'set', '--data', d, '--role', 'admin', '--require-totp', 'yes'],
    ['audit', 'verify', '--data', d],
    ['backup', '--data', d, '--to', join(root, 'never-' + (++n) + '.bak')],
    ['serve', '--data', d, '--listen', '127.0.0.1:1'],
  ];
  for (const args of cmds(missing)) {
    const r = run(args, { timeout: 5000 });
    assert.equal(r.signal, null, args.join(' ') + ' hung');
    assert.notEqual(r.code, 0, args.join(' '));
    assert.match(r.err, /no-such-folder: no such data folder/, args.join(' '));
  }
  assert.equal(existsSync(missing), false);
  for (const args of cmds(empty)) {
    const r = run(args, { timeout: 5000 });
    assert.equal(r.signal, null, args.join(' ') + ' hung');
    assert.notEqual(r.code, 0, args.join(' '));
    assert.match(r.err, /not a himoya data folder \(no himoya\.db\)/, args.join(' '));
  }
  assert.deepEqual(readdirSync(empty), []);
});

test('user add: unknown role lists the roles; unknown org; duplicate login', () => {
  const dir = fresh();
  init(dir);
  let r = run(['user', 'add', '--data', dir, '--org', 'iom', '--login', 'x.user', '--role', 'boss']);
  assert.equal(r.code, 2);
  assert.match(r.err, /unknown role 'boss'/);
  for (const role of ['admin', 'supervisor', 'caseworker', 'hotline', 'focal_point', 'analyst', 'trainer'])
    assert.ok(r.err.includes(' ' + role), 'role list names ' + role + ': ' + r.err);

  r = run(['user', 'add', '--data', dir, '--org', 'unicef', '--login', 'x.user', '--role', 'admin',
    '--password-stdin'], { input: 'a long enough password\n' });
  assert.equal(r.code, 1);
  assert.match(r.err, /no organisation with code 'unicef'/);

  addUser(dir, 'x.user', 'admin', 'a long enough password');
  r = run(['user', 'add', '--data', dir, '--org', 'iom', '--login', 'x.user', '--role', 'caseworker',
    '--password-stdin'], { input: 'another long password\n' });
  assert.equal(r.code, 1);
  assert.match(r.err, /login is taken/);
});

test('user add refuses a short password from stdin and adds nobody', async () => {
  const dir = fresh();
  init(dir);
  let r = run(['user', 'add', '--data', dir, '--org', 'iom', '--login', 'shorty', '--role', 'caseworker',
    '--password-stdin'], { input: 'short123\n' });
  assert.equal(r.code, 2);
  assert.match(r.err, /at least 12 characters/);
  // Eleven Cyrillic letters are 22 bytes but still too short: characters count.
  r = run(['user', 'add', '--data', dir, '--org', 'iom', '--login', 'shorty', '--role', 'caseworker',
    '--password-stdin'], { input: 'ҷҷҷҷҷҷҷҷҷҷҷ\n' });
  assert.equal(r.code, 2);
  assert.match(r.err, /at least 12 characters/);
  r = run(['user', 'add', '--data', dir, '--org', 'iom', '--login', 'shorty', '--role', 'caseworker',
    '--password-stdin'], { input: '' });
  assert.equal(r.code, 2);
  assert.match(r.err, /no password/);
  // The login is still free.
  addUser(dir, 'shorty', 'caseworker', 'ҷӯғҳқӣзаминӣ');
  const s = await serve(dir);
  const c = new Client(s.url);
  assert.equal((await c.login('shorty', 'ҷӯғҳқӣзаминӣ')).status, 200);
  await s.stop();
});

test('user add without --password-stdin prints a generated password once, and it works', async () => {
  const dir = fresh();
  init(dir);
  const r = run(['user', 'add', '--data', dir, '--org', 'iom', '--login', 'gen.user', '--role', 'supervisor']);
  assert.equal(r.code, 0, r.err);
  const m = /One-time password \(shown once[^)]*\): (\S+)/.exec(r.out);
  assert.ok(m, r.out);
  const pw = m[1];
  assert.ok(pw.length >= 16, pw);
  assert.equal(r.out.split(pw).length - 1, 1, 'printed exactly once');
  assert.equal(r.err.includes(pw), false);
  // Stored hashed only.
  assert.equal(readFileSync(join(dir, 'himoya.db')).includes(Buffer.from(pw)), false);

  const s = await serve(dir);
  const c = new Client(s.url);
  const ok = await c.login('gen.user', pw);
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.json.user.login, 'gen.user');
  assert.equal(ok.json.user.role, 'supervisor');
  assert.equal(ok.json.password_change_required, true, 'a generated password is a one-time password');
  assert.equal((await new Client(s.url).login('gen.user', pw + 'x')).status, 401);
  await s.stop();
});

test('unknown options and commands exit 2', () => {
  const dir = fresh();
  init(dir);
  const cases = [
    ['init', '--data', fresh(), '--colour', 'blue'],
    ['user', 'add', '--data', dir, '--org', 'iom', '--login', 'u1', '--role', 'admin', '--bogus', 'x'],
    ['org', 'add', '--data', dir, '--code', 'c1', '--name', 'N', '--type', 'NGO', '--extra', 'y'],
    ['token', 'create', '--data', dir, '--login', 'u1', '--forever'],
    ['token', 'list', '--data', dir, '--secrets', 'yes'],
    ['token', 'revoke', '--data', dir, '--id', 'x', '--all', 'yes'],
    ['serve', '--data', dir, '--port', '8080'],
    ['audit', 'verify', '--data', dir, '--fix'],
    ['backup', '--data', dir, '--to', join(root, 'x.bak'), '--zip'],
    ['restore', '--from', join(root, 'x.bak'), '--data', fresh(), '--force'],
    ['demo', '--data', fresh(), '--size', '3'],
  ];
  for (const args of cases) {
    const r = run(args, { timeout: 5000 });
    assert.equal(r.code, 2, args.join(' ') + ': ' + r.err);
    assert.match(r.err, /unknown option '--[a-z]+'/, args.join(' '));
  }
  let r = run(['frobnicate']);
  assert.equal(r.code, 2);
  assert.match(r.err, /unknown command 'frobnicate'/);
  r = run(['user', 'delete', '--data', dir]);
  assert.equal(r.code, 2);
  assert.match(r.err, /unknown command 'user delete'/);
  r = run([]);
  assert.equal(r.code, 2);
  assert.match(r.err, /usage:/);
  // An option without its value.
  r = run(['user', 'add', '--data', dir, '--org', 'iom', '--login', '--role', 'admin']);
  assert.equal(r.code, 2);
  assert.match(r.err, /option --login needs a value/);
  assert.equal(existsSync(join(root, 'x.bak')), false);
});

test('serve refuses bad --listen addresses quickly', () => {
  const dir = fresh();
  init(dir);
  for (const addr of ['nonsense', '127.0.0.1:99999', '127.0.0.1:', '[::1]', '127.0.0.1:0', ':8080',
    '999.1.1.1:80', '[::1:80', 'localhost:8080']) {
    const t0 = Date.now();
    const r = run(['serve', '--data', dir, '--listen', addr], { timeout: 5000 });
    assert.equal(r.signal, null, `--listen ${addr} hung`);
    assert.notEqual(r.code, 0, addr);
    assert.ok(r.err.includes(`bad listen address '${addr}'`), addr + ': ' + r.err);
    assert.ok(Date.now() - t0 < 4000);
  }
});

test('serve refuses a TLS set-up that cannot work, saying why', async () => {
  const dir = fresh();
  init(dir);
  const cert = join(dir, 'tls.crt');
  const key = join(dir, 'tls.key');
  writeFileSync(cert, '-----BEGIN CERTIFICATE-----\nnot one\n-----END CERTIFICATE-----\n', { mode: 0o644 });
  writeFileSync(key, '-----BEGIN PRIVATE KEY-----\nnot one\n-----END PRIVATE KEY-----\n', { mode: 0o600 });
  const port = await freePort();
  const serveWith = (text) => {
    writeFileSync(join(dir, 'himoya.conf'), text);
    return run(['serve', '--data', dir, '--listen', `127.0.0.1:${port}`], { timeout: 5000 });
  };
  // One without the other: named (it said ": No such file or directory").
  let r = serveWith(`tls_key = ${key}\n`);
  assert.notEqual(r.code, 0);
  assert.match(r.err, /tls_cert and tls_key go together/);
  // A private key others may read: refused, as the folder's key is.
  rmSync(key);
  writeFileSync(key, '-----BEGIN PRIVATE KEY-----\nnot one\n-----END PRIVATE KEY-----\n', { mode: 0o644 });
  r = serveWith(`tls_cert = ${cert}\ntls_key = ${key}\n`);
  assert.notEqual(r.code, 0);
  assert.match(r.err, /readable by other users: chmod 600/);
  // A pair that does not load, on a free address: not "address in use".
  rmSync(key);
  writeFileSync(key, '-----BEGIN PRIVATE KEY-----\nnot one\n-----END PRIVATE KEY-----\n', { mode: 0o600 });
  r = serveWith(`tls_cert = ${cert}\ntls_key = ${key}\n`);
  assert.notEqual(r.code, 0);
  assert.match(r.err, /do not load as a PEM certificate and its own private key/);
  assert.doesNotMatch(r.err, /address in use/);
});

test('serve --config FILE reads that file instead of DATA/himoya.conf; a missing one is refused', async () => {
  const dir = fresh();
  init(dir);
  // DATA/himoya.conf is read without --config: its error shows it was read.
  writeFileSync(join(dir, 'himoya.conf'), 'colour = blue\n');
  let r = run(['serve', '--data', dir, '--listen', '127.0.0.1:1'], { timeout: 5000 });
  assert.equal(r.code, 2);
  assert.match(r.err, /himoya\.conf:1: unknown setting 'colour'/);
  r = run(['serve', '--data', dir, '--config', join(root, 'none.conf')], { timeout: 5000 });
  assert.equal(r.code, 2);
  assert.match(r.err, /--config .*none\.conf: no such file/);
  const conf = join(root, 'etc-himoya.conf');
  writeFileSync(conf, 'bogus = 1\n');
  r = run(['serve', '--data', dir, '--config', conf], { timeout: 5000 });
  assert.equal(r.code, 2);
  assert.match(r.err, /etc-himoya\.conf:1: unknown setting 'bogus'/);
  // A good file: its listen address is served (DATA/himoya.conf, broken, is not read).
  const port = await freePort();
  writeFileSync(conf, `# the Debian package's file\nlisten = 127.0.0.1:${port}\nbackup_keep = 3\n`);
  const proc = spawn(BIN, ['serve', '--data', dir, '--config', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  proc.stderr.on('data', (d) => { log += d; });
  let ok = false;
  for (let i = 0; i < 100 && !ok; i++) {
    try { ok = (await fetch(`http://127.0.0.1:${port}/api/v1/health`)).ok; } catch { await sleep(50); }
  }
  const done = new Promise((res) => proc.once('exit', res));
  proc.kill('SIGTERM');
  await done;
  await streamsEnded(proc);
  assertNoSanitizerReport(log, 'himoya serve --config');
  assert.ok(ok, 'serve --config did not listen where the file says');
});

test('backup without --to writes into backup_dir and keeps backup_keep generations', () => {
  const dir = fresh();
  init(dir);
  const bdir = join(root, 'backups');
  mkdirSync(bdir, { mode: 0o700 });
  // Three backups of this folder, made on 1, 2 and 3 January 2000 (their
  // files' times; the oldest is removed by that, not by its name), and
  // files that are none of its backups: never removed.
  const old = ['himoya-20000103-000000.db', 'himoya-20000101-000000.db', 'himoya-20000102-000000.db'];
  old.forEach((f, i) => {
    assert.equal(run(['backup', '--data', dir, '--to', join(bdir, f)]).code, 0);
    utimesSync(join(bdir, f), 946684800 + i * 86400, 946684800 + i * 86400);
  });
  const others = ['notes.txt', 'himoya-x.db', 'himoya-20000101-000000.db.keep', 'himoya-19990101-000000.db'];
  for (const f of others) writeFileSync(join(bdir, f), 'x');
  utimesSync(join(bdir, 'himoya-19990101-000000.db'), 915148800, 915148800);
  const conf = join(root, 'backup.conf');
  // Neither --to nor backup_dir: refused.
  writeFileSync(conf, 'backup_keep = 2\n');
  let r = run(['backup', '--data', dir, '--config', conf]);
  assert.equal(r.code, 2);
  assert.match(r.err, /--to FILE is required \(or backup_dir/);
  writeFileSync(conf, 'backup_dir = relative/path\n');
  r = run(['backup', '--data', dir, '--config', conf]);
  assert.equal(r.code, 2);
  assert.match(r.err, /bad value for backup_dir/);
  writeFileSync(conf, `backup_dir = ${bdir}\nbackup_keep = 2\n`);
  r = run(['backup', '--data', dir, '--config', conf]);
  assert.equal(r.code, 0, r.err);
  const made = /Backup written to (\S+)/.exec(r.out)[1];
  assert.match(made, /\/himoya-\d{8}-\d{6}\.db$/);
  assert.equal(mode(made), 0o600);
  const left = readdirSync(bdir).sort();
  assert.deepEqual(left, [...others, 'himoya-20000102-000000.db', made.split('/').pop()].sort());
  assert.match(r.out, /Removed the old backup .*himoya-20000103-000000\.db/);
  assert.match(r.out, /Removed the old backup .*himoya-20000101-000000\.db/);
  // The backup holds no key, and restores with the folder's key.
  const nd = fresh();
  mkdirSync(nd, { mode: 0o700 });
  copyFileSync(join(dir, 'himoya.key'), join(nd, 'himoya.key'));
  r = run(['restore', '--from', made, '--data', nd]);
  assert.equal(r.code, 0, r.err);
  // DATA/himoya.conf gives backup_dir too when --config is not given.
  writeFileSync(join(dir, 'himoya.conf'), `backup_dir = ${bdir}\nbackup_keep = 1\n`);
  // (names are by the second: wait for the next one)
  const sec = Math.floor(Date.now() / 1000);
  while (Math.floor(Date.now() / 1000) === sec) { /* spin, under a second */ }
  r = run(['backup', '--data', dir]);
  assert.equal(r.code, 0, r.err);
  assert.deepEqual(readdirSync(bdir).filter((f) => /^himoya-\d{8}-\d{6}\.db$/.test(f)),
    ['himoya-19990101-000000.db', /Backup written to \S+\/(\S+)/.exec(r.out)[1]]);
});

test('backup rotation never removes the backup just written: files dated in the future are kept and not counted', () => {
  const dir = fresh();
  init(dir);
  const bdir = join(root, 'backups-future');
  writeFileSync(join(dir, 'himoya.conf'), `backup_dir = ${bdir}\nbackup_keep = 2\n`);
  const made = [];
  for (let i = 0; i < 2; i++) {
    const r = run(['backup', '--data', dir]);
    assert.equal(r.code, 0, r.err);
    made.push(/Backup written to (\S+)/.exec(r.out)[1]);
    const sec = Math.floor(Date.now() / 1000);
    while (Math.floor(Date.now() / 1000) === sec) { /* names are by the second */ }
  }
  // A clock that was ahead when they were made, then set right: their
  // names and times in the future.  And a file put there by hand.
  const future = ['himoya-20991231-235958.db', 'himoya-20991231-235959.db'];
  made.forEach((f, i) => {
    renameSync(f, join(bdir, future[i]));
    utimesSync(join(bdir, future[i]), 4102444790 + i, 4102444790 + i);
  });
  writeFileSync(join(bdir, 'himoya-20000101-000000.db'), 'planted');
  let r = run(['backup', '--data', dir]);
  assert.equal(r.code, 0, r.err);
  const now = /Backup written to (\S+)/.exec(r.out)[1];
  assert.ok(existsSync(now), r.out);
  assert.doesNotMatch(r.out, /Removed/);
  assert.match(r.err, /himoya-20991231-235959\.db is dated in the future/);
  assert.deepEqual(readdirSync(bdir).sort(),
    ['himoya-20000101-000000.db', ...future, now.split('/').pop()].sort());
  // Named in the past but written in the future (its time): kept as well.
  const sec = Math.floor(Date.now() / 1000);
  while (Math.floor(Date.now() / 1000) === sec) { /* names are by the second */ }
  renameSync(join(bdir, future[0]), join(bdir, 'himoya-20010101-000000.db'));
  r = run(['backup', '--data', dir]);
  assert.equal(r.code, 0, r.err);
  assert.ok(existsSync(/Backup written to (\S+)/.exec(r.out)[1]));
  assert.ok(existsSync(join(bdir, 'himoya-20010101-000000.db')));
  assert.ok(existsSync(now)); // two kept: this and the one before
  assert.doesNotMatch(r.out, /Removed/);
  const last = /Backup written to (\S+)/.exec(r.out)[1];
  // doctor names the last backup, and finds it gone when it is.
  let d = run(['doctor', '--data', dir]);
  assert.match(d.out, new RegExp(`ok: the last backup is there: ${last}`), d.out);
  rmSync(last);
  d = run(['doctor', '--data', dir]);
  assert.equal(d.code, 1);
  assert.match(d.out, new RegExp(`problem: the last backup, ${last}, is not there`), d.out);
  // Replaced by a file that is no copy of this database.
  writeFileSync(last, 'x');
  d = run(['doctor', '--data', dir]);
  assert.match(d.out, /problem: the last backup, .*, is no backup of this database/, d.out);
});

test('a backup that fails half-way (the disk full) leaves no file behind, and none readable by others', () => {
  const dir = fresh();
  init(dir);
  const bdir = join(root, 'backups-full');
  mkdirSync(bdir, { mode: 0o755 });
  const to = join(bdir, 'full.db');
  // Files of at most 100 KiB (EFBIG, the signal ignored), under a umask of
  // 022: the copy of the 2 MiB database fails part-way, as on a full disk.
  const r = spawnSync('sh', ['-c', 'trap "" XFSZ; ulimit -f 200; umask 022; exec "$0" "$@"',
    BIN, 'backup', '--data', dir, '--to', to], { encoding: 'utf8', timeout: 15000 });
  assertNoSanitizerReport(r.stderr, 'himoya backup');
  assert.equal(r.status, 1, r.stdout + r.stderr);
  assert.match(r.stderr, /backup: /);
  // Neither the copy nor its journal (it was left 0644).
  assert.deepEqual(readdirSync(bdir), []);
  // A backup that succeeds under that umask is 0600, as its journal was
  // while it was written (SQLite gives a journal its file's mode).
  const ok = spawnSync('sh', ['-c', 'umask 022; exec "$0" "$@"', BIN, 'backup', '--data', dir,
    '--to', to], { encoding: 'utf8', timeout: 15000 });
  assert.equal(ok.status, 0, ok.stderr);
  assert.equal(mode(to), 0o600);
  assert.deepEqual(readdirSync(bdir), ['full.db']);
});

test('org add: unknown type lists the types; duplicate code refused; users join it', () => {
  const dir = fresh();
  init(dir);
  let r = run(['org', 'add', '--data', dir, '--code', 'ngo-x', '--name', 'NGO X', '--type', 'Charity']);
  assert.equal(r.code, 2);
  assert.match(r.err, /unknown organisation type 'Charity'/);
  for (const t of ['NGO', 'LawEnforcement', 'CentralGovernmentOrganisation', 'IGO'])
    assert.ok(r.err.includes(' ' + t), t);
  r = run(['user', 'add', '--data', dir, '--org', 'ngo-x', '--login', 'ngo.user', '--role', 'caseworker']);
  assert.equal(r.code, 1, 'the org was not added');
  assert.match(r.err, /no organisation with code 'ngo-x'/);

  r = run(['org', 'add', '--data', dir, '--code', 'ngo-x', '--name', 'NGO Ҳимоя', '--type', 'NGO']);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /Added organisation ngo-x/);
  r = run(['org', 'add', '--data', dir, '--code', 'ngo-x', '--name', 'Other', '--type', 'NGO']);
  assert.equal(r.code, 1);
  assert.match(r.err, /organisation with this code exists/);
  r = run(['org', 'add', '--data', dir, '--code', 'x', '--name', 'Too short a code', '--type', 'NGO']);
  assert.equal(r.code, 2);
  r = run(['org', 'add', '--data', dir, '--code', 'ngo-y', '--type', 'NGO']);
  assert.equal(r.code, 2);
  assert.match(r.err, /--code, --name and --type are required/);
  addUser(dir, 'ngo.user', 'caseworker', 'ngo user password');
});

test('token create prints a token that authenticates as that user', async () => {
  const dir = fresh();
  init(dir);
  addUser(dir, 'api.client', 'caseworker', 'client password 1');
  let r = run(['token', 'create', '--data', dir, '--login', 'nobody']);
  assert.equal(r.code, 1);
  assert.match(r.err, /no user 'nobody'/);
  r = run(['token', 'create', '--data', dir]);
  assert.equal(r.code, 2);
  assert.match(r.err, /--login is required/);

  const t1 = token(dir, 'api.client');
  const t2 = token(dir, 'api.client');
  assert.notEqual(t1, t2);
  // The token itself is not stored.
  assert.equal(readFileSync(join(dir, 'himoya.db')).includes(Buffer.from(t1)), false);
  const s = await serve(dir);
  for (const t of [t1, t2]) {
    const me = await bearer(s.url, t, 'GET', '/api/v1/me');
    assert.equal(me.status, 200, me.text);
    assert.equal(me.json.user.login, 'api.client');
    assert.equal(me.json.user.role, 'caseworker');
    assert.equal(me.json.user.org.code, 'iom');
  }
  // No CSRF token needed with a bearer token.
  const p = await bearer(s.url, t1, 'POST', '/api/v1/persons', { given_name: 'Токен' });
  assert.equal(p.status, 201, p.text);
  assert.equal((await bearer(s.url, t1.slice(0, -1) + (t1.endsWith('A') ? 'B' : 'A'), 'GET', '/api/v1/me')).status, 401);
  assert.equal((await bearer(s.url, '', 'GET', '/api/v1/me')).status, 401);
  assert.equal((await fetch(s.url + '/api/v1/me')).status, 401);
  await s.stop();
});

test('token create --label --expires-days, token list (no secrets), token revoke', async () => {
  const dir = fresh();
  init(dir);
  addUser(dir, 'etl', 'caseworker', 'extract load password 12');
  addUser(dir, 'other', 'hotline', 'second password 12');
  for (const bad of ['0', '367', '-1', '1.5', 'abc', '']) {
    const r = run(['token', 'create', '--data', dir, '--login', 'etl', '--expires-days', bad]);
    assert.equal(r.code, 2, `--expires-days ${bad}: ${r.err}`);
  }
  let r = run(['token', 'create', '--data', dir, '--login', 'etl', '--label', 'x'.repeat(101)]);
  assert.equal(r.code, 2, r.err);
  assert.equal(sqlite(join(dir, 'himoya.db'), 'SELECT count(*) FROM tokens').trim(), '0', 'refused: nothing made');

  r = run(['token', 'create', '--data', dir, '--login', 'etl', '--label', 'nightly export', '--expires-days', '7']);
  assert.equal(r.code, 0, r.err);
  const secret = r.out.trim();
  assert.match(secret, /^\S{40,}$/, 'the secret alone on standard output');
  const id = /Token (\S+) for etl, expires (\S+)/.exec(r.err);
  assert.ok(id, r.err);
  const days = (Date.parse(id[2]) - Date.now()) / 86400e3;
  assert.ok(days > 6.9 && days <= 7, `expires in 7 days: ${id[2]}`);
  const t90 = token(dir, 'etl');
  const t3 = token(dir, 'other');

  r = run(['token', 'list', '--data', dir]);
  assert.equal(r.code, 0, r.err);
  for (const s of [secret, t90, t3]) assert.ok(!r.out.includes(s), 'list never prints a secret');
  assert.match(r.out, /^ID\s+LOGIN\s+CREATED\s+EXPIRES\s+LAST USED\s+STATE\s+LABEL$/m);
  const line = r.out.split('\n').find((l) => l.startsWith(id[1]));
  assert.ok(line, r.out);
  assert.match(line, /\setl\s.*\snever\s+active\s+nightly export$/);
  assert.equal(r.out.trim().split('\n').length, 4, 'a header and three tokens');
  r = run(['token', 'list', '--data', dir, '--login', 'other']);
  assert.equal(r.out.trim().split('\n').length, 2, 'one token of login other');

  const s = await serve(dir);
  assert.equal((await bearer(s.url, secret, 'GET', '/api/v1/me')).status, 200);
  r = run(['token', 'revoke', '--data', dir]);
  assert.equal(r.code, 2);
  r = run(['token', 'revoke', '--data', dir, '--id', 'no-such-token']);
  assert.equal(r.code, 1);
  assert.match(r.err, /no token 'no-such-token'/);
  r = run(['token', 'revoke', '--data', dir, '--id', id[1]]);
  assert.equal(r.code, 0, r.err);
  r = run(['token', 'revoke', '--data', dir, '--id', id[1]]);
  assert.equal(r.code, 1);
  assert.match(r.err, /already revoked/);
  // The server's sign-in cache lives 5 s at most.
  let status = 0;
  for (let i = 0; i < 30 && status !== 401; i++) {
    status = (await bearer(s.url, secret, 'GET', '/api/v1/me')).status;
    if (status !== 401) await new Promise((ok) => setTimeout(ok, 250));
  }
  assert.equal(status, 401, 'a revoked token is refused');
  assert.equal((await bearer(s.url, t90, 'GET', '/api/v1/me')).status, 200, 'other tokens go on');
  r = run(['token', 'list', '--data', dir, '--login', 'etl']);
  assert.match(r.out.split('\n').find((l) => l.startsWith(id[1])), /\srevoked\s/);
  assert.match(r.out.split('\n').find((l) => l.startsWith(id[1])), /T\d\d:\d\d:\d\dZ\s+revoked/, 'last use noted');
  await s.stop();
  const audit = sqlite(join(dir, 'himoya.db'), "SELECT action FROM audit WHERE action LIKE 'token-%' ORDER BY seq");
  assert.deepEqual(audit.trim().split('\n'), ['token-create', 'token-create', 'token-create', 'token-revoke']);
});

test('token create refuses a disabled user, and makes none that would work once enabled again', async () => {
  const dir = fresh();
  init(dir);
  addUser(dir, 'leaver', 'caseworker', 'a long enough password');
  sqlite(join(dir, 'himoya.db'), "UPDATE users SET disabled = 1 WHERE login = 'leaver'");
  const r = run(['token', 'create', '--data', dir, '--login', 'leaver']);
  assert.equal(r.code, 1);
  assert.match(r.err, /user 'leaver' is disabled/);
  assert.equal(r.out, '', 'no secret printed');
  assert.equal(sqlite(join(dir, 'himoya.db'), 'SELECT count(*) FROM tokens').trim(), '0');
});

test('user disable, enable, unlock and reset-password recover an account on the command line, audited as the API does', async () => {
  const dir = fresh();
  init(dir);
  const db = join(dir, 'himoya.db');
  addUser(dir, 'farida', 'caseworker', 'Боғи нав дар Хуҷанд');
  const id = sqlite(db, "SELECT id FROM users WHERE login = 'farida'").trim();
  const tok = token(dir, 'farida');
  const s = await serve(dir);
  const c = new Client(s.url);
  assert.equal((await c.login('farida', 'Боғи нав дар Хуҷанд')).status, 200);
  const status = async (who) => (await who.req('GET', '/api/v1/cases')).status;
  const b = new Client(s.url);
  b.token = tok;
  assert.equal(await status(c), 200);
  assert.equal(await status(b), 200);

  // disable: the session and the token end; the sign-in is refused
  let r = run(['user', 'disable', '--data', dir, '--login', 'FARIDA']);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /Disabled farida/);
  assert.equal(await poll(async () => (await status(c)) === 401 && (await status(b)) === 401, { timeout: 3000 }), true);
  assert.equal((await new Client(s.url).login('farida', 'Боғи нав дар Хуҷанд')).status, 401);
  assert.equal(sqlite(db, `SELECT disabled || revoked FROM users u JOIN tokens t ON t.user_id = u.id WHERE u.id = '${id}'`).trim(), '11');

  // enable: the password works again, the token stays revoked
  r = run(['user', 'enable', '--data', dir, '--login', 'farida']);
  assert.equal(r.code, 0, r.err);
  const c2 = new Client(s.url);
  assert.equal(await poll(async () => (await c2.login('farida', 'Боғи нав дар Хуҷанд')).status === 200, { timeout: 3000 }), true);
  assert.equal(await status(b), 401);

  // unlock: ten failures lock the login; the command line frees it
  for (let i = 0; i < 10; i++) await new Client(s.url).login('farida', 'wrong-password-' + i);
  assert.equal((await new Client(s.url).login('farida', 'Боғи нав дар Хуҷанд')).status, 429);
  r = run(['user', 'unlock', '--data', dir, '--login', 'farida']);
  assert.equal(r.code, 0, r.err);
  assert.equal((await new Client(s.url).login('farida', 'Боғи нав дар Хуҷанд')).status, 200);

  // reset-password: the rules apply; then every way in ends
  const tok2 = token(dir, 'farida');
  const b2 = new Client(s.url);
  b2.token = tok2;
  assert.equal(await status(b2), 200);
  r = run(['user', 'reset-password', '--data', dir, '--login', 'farida', '--password-stdin'], { input: 'farida-farida-1\n' });
  assert.equal(r.code, 2);
  assert.match(r.err, /must not contain the login/);
  r = run(['user', 'reset-password', '--data', dir, '--login', 'farida', '--password-stdin'], { input: 'Кӯҳи Варзоб баланд\n' });
  assert.equal(r.code, 0, r.err);
  assert.equal(await poll(async () => (await status(c2)) === 401 && (await status(b2)) === 401, { timeout: 3000 }), true);
  assert.equal((await new Client(s.url).login('farida', 'Боғи нав дар Хуҷанд')).status, 401);
  const li = await new Client(s.url).login('farida', 'Кӯҳи Варзоб баланд');
  assert.equal(li.status, 200, li.text);
  assert.equal(li.json.password_change_required, true, 'a password someone else set is a one-time password');
  r = run(['user', 'reset-password', '--data', dir, '--login', 'farida']);
  assert.equal(r.code, 0, r.err);
  const once = /One-time password \(shown once\): (\S+)/.exec(r.out);
  assert.ok(once, r.out);
  assert.equal(await poll(async () => (await new Client(s.url).login('farida', once[1])).status === 200, { timeout: 3000 }), true);

  // errors
  for (const cmd of ['disable', 'enable', 'unlock', 'reset-password']) {
    r = run(['user', cmd, '--data', dir, '--login', 'nobody']);
    assert.equal(r.code, 1, cmd);
    assert.match(r.err, /no user 'nobody'/);
    r = run(['user', cmd, '--data', dir]);
    assert.equal(r.code, 2, cmd);
  }
  await s.stop();
  assert.deepEqual(sqlite(db, `SELECT action || '|' || fields || '|' || addr FROM audit WHERE record = 'users/${id}' ORDER BY seq`)
    .trim().split('\n'), ['create|login,role,org|cli', 'disable|disabled,sessions,tokens|cli', 'enable|disabled|cli',
    'unlock|lockout|cli', 'password-reset|password,sessions,tokens|cli', 'password-reset|password,sessions,tokens|cli']);
  const v = run(['audit', 'verify', '--data', dir]);
  assert.equal(v.code, 0, v.out + v.err);
});

test('backup while serving, restore into a new folder, read the person back', async () => {
  const dir = fresh();
  init(dir);
  addUser(dir, 'cw', 'caseworker', 'caseworker password');
  const tok = token(dir, 'cw');
  const s = await serve(dir);
  const person = {
    given_name: 'Зарина', family_name: 'Ҳақназарова', patronymic: 'Ғуломовна',
    aliases: ['Zarina H.'], birth_date: '1998-03-14', gender: 'Feminine', citizenship: 'TJ',
    phones: ['+992 93 111 22 33'],
  };
  const c = await bearer(s.url, tok, 'POST', '/api/v1/persons', person);
  assert.equal(c.status, 201, c.text);
  const id = c.json.id;
  const orig = await bearer(s.url, tok, 'GET', '/api/v1/persons/' + id);
  assert.equal(orig.status, 200);

  // Files beside the database while serving are private too.
  for (const f of readdirSync(dir)) assert.equal(mode(join(dir, f)), 0o600, f);

  // Back up while other writes go on: the copy must still be consistent.
  const bak = join(root, 'live.bak');
  const busy = Array.from({ length: 20 }, (_, i) =>
    bearer(s.url, tok, 'POST', '/api/v1/persons', { given_name: 'Параллел' + i }));
  const b = await runAsync(['backup', '--data', dir, '--to', bak]);
  for (const x of await Promise.all(busy)) assert.equal(x.status, 201, x.text);
  assert.equal(b.code, 0, b.err);
  assert.match(b.out, /Backup written/);
  // Its audit head, to keep apart from the backup and check it against.
  const head = /^audit head (\d+:[0-9a-f]{32})$/m.exec(b.out);
  assert.ok(head, b.out);
  assert.equal(mode(bak), 0o600);
  // The server still works after the backup.
  assert.equal((await bearer(s.url, tok, 'GET', '/api/v1/persons/' + id)).status, 200);
  // A second backup onto the same file is refused.
  const b2 = run(['backup', '--data', dir, '--to', bak]);
  assert.equal(b2.code, 1);
  assert.match(b2.err, /exists/);
  await s.stop();

  const nd = fresh();
  mkdirSync(nd, { mode: 0o700 });
  copyFileSync(join(dir, 'himoya.key'), join(nd, 'himoya.key'));
  const r = run(['restore', '--from', bak, '--data', nd, '--expect-head', head[1]]);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /Restored .* audit entries verified/);
  assert.match(r.out, new RegExp(`audit head ${head[1]}`));
  const s2 = await serve(nd);
  const back = await bearer(s2.url, tok, 'GET', '/api/v1/persons/' + id);
  assert.equal(back.status, 200, back.text);
  assert.deepEqual(back.json, orig.json);
  for (const [k, v] of Object.entries(person)) assert.deepEqual(back.json[k], v, k);
  assert.equal(back.headers.get('etag'), '"1"');
  await s2.stop();
  const v = run(['audit', 'verify', '--data', nd]);
  assert.equal(v.code, 0, v.out);
});

test('restore refuses: no key, an existing db, a different key, a missing file', () => {
  const dir = fresh();
  init(dir);
  const bak = join(root, 'r.bak');
  assert.equal(run(['backup', '--data', dir, '--to', bak]).code, 0);

  const nokey = fresh();
  mkdirSync(nokey);
  let r = run(['restore', '--from', bak, '--data', nokey]);
  assert.equal(r.code, 1);
  assert.match(r.err, /has no himoya\.key/);
  assert.deepEqual(readdirSync(nokey), []);

  const missing = join(root, 'restore-missing');
  r = run(['restore', '--from', bak, '--data', missing]);
  assert.equal(r.code, 1);
  assert.match(r.err, /has no himoya\.key/);
  assert.equal(existsSync(missing), false);

  // A folder that already has a database: untouched.
  const other = fresh();
  init(other);
  const before = readFileSync(join(other, 'himoya.db'));
  r = run(['restore', '--from', bak, '--data', other]);
  assert.equal(r.code, 1);
  assert.match(r.err, /already holds a database/);
  assert.ok(readFileSync(join(other, 'himoya.db')).equals(before));

  // The key of another installation.
  const wrong = fresh();
  mkdirSync(wrong, { mode: 0o700 });
  copyFileSync(join(other, 'himoya.key'), join(wrong, 'himoya.key'));
  r = run(['restore', '--from', bak, '--data', wrong]);
  assert.equal(r.code, 1);
  assert.match(r.err, /does not match this key/);
  assert.deepEqual(readdirSync(wrong), ['himoya.key']);

  r = run(['restore', '--from', join(root, 'nothing.bak'), '--data', wrong]);
  assert.equal(r.code, 1);
  assert.match(r.err, /no such backup file/);
  r = run(['restore', '--data', wrong]);
  assert.equal(r.code, 2);
});

test('restore refuses a backup whose audit log was emptied or cut, with any key, leaving nothing', () => {
  const dir = fresh();
  init(dir);
  addUser(dir, 'cw', 'caseworker', 'caseworker password');
  const good = join(root, 'cut-good.bak');
  const b = run(['backup', '--data', dir, '--to', good]);
  assert.equal(b.code, 0, b.err);
  const head = /^audit head (\d+):([0-9a-f]{32})$/m.exec(b.out);
  assert.ok(head, b.out);
  const other = fresh();
  init(other);
  const attempts = [
    ['emptied', "DELETE FROM audit; DELETE FROM meta WHERE key = 'audit_head'"],
    ['emptied with its anchor', "DELETE FROM audit; DELETE FROM meta WHERE key IN ('audit_head', 'audit_anchor')"],
    ['cut at the end', `DELETE FROM audit WHERE seq = ${head[1]}`],
  ];
  for (const [what, sql] of attempts) {
    const bak = join(root, 'cut-' + (++n) + '.bak');
    copyFileSync(good, bak);
    sqlite(bak, sql);
    for (const keyFrom of [dir, other]) { // the right key, and another installation's
      const nd = fresh();
      mkdirSync(nd, { mode: 0o700 });
      copyFileSync(join(keyFrom, 'himoya.key'), join(nd, 'himoya.key'));
      const r = run(['restore', '--from', bak, '--data', nd]);
      assert.equal(r.code, 1, `${what}: ${r.out}`);
      assert.match(r.err, /does not match this key, or was altered/, what);
      assert.deepEqual(readdirSync(nd), ['himoya.key'], what);
    }
  }
  // A random key file of the right form.
  const rnd = fresh();
  mkdirSync(rnd, { mode: 0o700 });
  writeFileSync(join(rnd, 'himoya.key'), randomBytes(statSync(join(dir, 'himoya.key')).size), { mode: 0o600 });
  let r = run(['restore', '--from', good, '--data', rnd]);
  assert.equal(r.code, 1, r.out + r.err);
  assert.deepEqual(readdirSync(rnd), ['himoya.key']);
  // An empty file is no backup.
  const empty = join(root, 'empty.bak');
  writeFileSync(empty, '');
  const ne = fresh();
  mkdirSync(ne, { mode: 0o700 });
  copyFileSync(join(dir, 'himoya.key'), join(ne, 'himoya.key'));
  r = run(['restore', '--from', empty, '--data', ne]);
  assert.equal(r.code, 1, r.out);
  assert.deepEqual(readdirSync(ne), ['himoya.key']);
  // A later anchor than the backup holds: refused.
  r = run(['restore', '--from', good, '--data', ne, '--expect-head', `${Number(head[1]) + 5}:${head[2]}`]);
  assert.equal(r.code, 1, r.out);
  assert.match(r.err, /ends at entry/);
  assert.deepEqual(readdirSync(ne), ['himoya.key']);
  // The untouched backup restores.
  r = run(['restore', '--from', good, '--data', ne, '--expect-head', `${head[1]}:${head[2]}`]);
  assert.equal(r.code, 0, r.err);
});

test('restore refuses a damaged backup (8 bytes changed in a table page, the file cut), naming it, leaving nothing', () => {
  const dir = fresh();
  init(dir);
  addUser(dir, 'cw', 'caseworker', 'caseworker password');
  const good = join(root, 'damaged-good.bak');
  assert.equal(run(['backup', '--data', dir, '--to', good]).code, 0);
  // The page of the users table, its header changed (the audit chain,
  // in pages of its own, still verifies).
  const [pageSize, rootPage] = sqlite(good, "SELECT (SELECT page_size FROM pragma_page_size),"
    + " (SELECT rootpage FROM sqlite_master WHERE name = 'users')").trim().split('|').map(Number);
  const bytes = readFileSync(good);
  const flipped = Buffer.from(bytes);
  for (let i = 1; i <= 8; i++) flipped[(rootPage - 1) * pageSize + i] ^= 0x5a;
  const damaged = join(root, 'damaged-flipped.bak');
  writeFileSync(damaged, flipped);
  const cut = join(root, 'damaged-cut.bak');
  writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length / pageSize / 2) * pageSize));
  for (const bak of [damaged, cut]) {
    const nd = fresh();
    mkdirSync(nd, { mode: 0o700 });
    copyFileSync(join(dir, 'himoya.key'), join(nd, 'himoya.key'));
    const r = run(['restore', '--from', bak, '--data', nd]);
    assert.equal(r.code, 1, bak + ': ' + r.out);
    assert.match(r.err, new RegExp(`^himoya: ${bak.replace(/[.]/g, '\\.')} is damaged, not a whole himoya backup \\(integrity_check: .+\\): nothing was restored`), r.err);
    assert.doesNotMatch(r.err, new RegExp(nd), r.err);
    assert.deepEqual(readdirSync(nd), ['himoya.key']);
  }
  // The backup itself is left as it was (opened read-only).
  assert.ok(readFileSync(damaged).equals(flipped));
});

test('demo creates a folder whose users can sign in with the printed password', async () => {
  const dir = fresh();
  const r = run(['demo', '--data', dir], { timeout: 30000 });
  assert.equal(r.code, 0, r.err);
  const m = /password for all: (\S+?)\)/.exec(r.out);
  assert.ok(m, r.out);
  const pw = m[1];
  assert.equal(mode(dir), 0o700);
  assert.equal(mode(join(dir, 'himoya.key')), 0o600);
  const users = [...r.out.matchAll(/^\s+(\S+)\s+(admin|supervisor|caseworker|hotline|focal_point|analyst|trainer)\s+(\S+)$/gm)]
    .map((x) => ({ login: x[1], role: x[2], org: x[3] }));
  const roles = new Set(users.map((u) => u.role));
  for (const role of ['admin', 'supervisor', 'caseworker', 'hotline', 'focal_point', 'analyst', 'trainer'])
    assert.ok(roles.has(role), 'a demo user with role ' + role);
  const s = await serve(dir);
  for (const u of users) {
    const c = new Client(s.url);
    const res = await c.login(u.login, pw);
    assert.equal(res.status, 200, u.login + ': ' + res.text);
    assert.equal(res.json.user.role, u.role);
    assert.equal(res.json.user.org.code, u.org);
  }
  assert.equal((await new Client(s.url).login(users[0].login, pw + '!')).status, 401);
  // In a demo folder, and there only, the published password is a password.
  const c = new Client(s.url);
  assert.equal((await c.login(users[0].login, pw)).status, 200);
  assert.equal((await c.req('POST', '/api/v1/me/password', { current: pw, new: 'a demo passphrase 1' })).status, 200);
  const back = await c.req('POST', '/api/v1/me/password', { current: 'a demo passphrase 1', new: pw });
  assert.equal(back.status, 200, back.text);
  await s.stop();
  const extra = run(['user', 'add', '--data', dir, '--org', users[0].org, '--login', 'demo.extra', '--role', 'analyst',
    '--password-stdin'], { input: pw + '\n' });
  assert.equal(extra.code, 0, extra.err);
  const v = run(['audit', 'verify', '--data', dir]);
  assert.equal(v.code, 0, v.out);
  // The accounts it made are in the audit log, like those of `user add`.
  const created = sqlite(join(dir, 'himoya.db'),
    "SELECT substr(record, 1, instr(record, '/') - 1) FROM audit WHERE action = 'create' AND addr = 'cli'")
    .trim().split('\n');
  assert.equal(created.filter((k) => k === 'users').length, users.length + 1, 'and demo.extra');
  assert.equal(created.filter((k) => k === 'orgs').length, new Set(users.map((u) => u.org)).size);
});

test('demo fills the folder with persons and cases the server reads back, and refuses a real folder', async () => {
  const dir = fresh();
  const r = run(['demo', '--data', dir, '--persons', '60', '--seed', '3'], { timeout: 30000 });
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /60 persons, \d+ cases/);
  const db = join(dir, 'himoya.db');
  // One summary entry for the bulk load, not one per row.
  assert.equal(sqlite(db, "SELECT fields FROM audit WHERE action = 'demo-load'").trim(), 'persons=60');
  // Beside creates, only the organisation `init` made gets its sector and
  // its contact (as PATCH /orgs sets them), audited once (issues 12, 15).
  assert.equal(Number(sqlite(db, "SELECT count(*) FROM audit WHERE action NOT IN ('genesis', 'create', 'demo-load')" +
    " AND NOT (action = 'update' AND fields = 'sector,contact_phone,contact_email' AND record LIKE 'orgs/%')")), 0);
  assert.equal(Number(sqlite(db, "SELECT count(*) FROM audit WHERE action = 'update'")), 1);
  // 60, and the woman registered at two organisations for network matching (demo.c).
  assert.equal(Number(sqlite(db, 'SELECT count(*) FROM persons')), 62);
  // The indexes dropped for the load are back, and so is the write-ahead
  // log the load left (it keeps a rollback journal, holding the file alone).
  assert.match(sqlite(db, "SELECT group_concat(name) FROM sqlite_master WHERE type = 'index'"), /items_case/);
  assert.equal(sqlite(db, 'PRAGMA journal_mode').trim(), 'wal');
  const t = token(dir, 'caseworker');
  const s = await serve(dir);
  const list = await bearer(s.url, t, 'GET', '/api/v1/cases?status=Active&limit=5');
  assert.equal(list.status, 200, list.text);
  assert.ok(list.json.items.length > 0, 'Active cases of the caseworker\'s organisation');
  const c = list.json.items[0];
  assert.equal(c.status, 'Active');
  assert.ok(c.person.given_name, 'the person\'s names open');
  const one = await bearer(s.url, t, 'GET', '/api/v1/cases/' + c.id);
  assert.equal(one.status, 200, one.text);
  const tl = await bearer(s.url, t, 'GET', '/api/v1/cases/' + c.id + '/timeline');
  assert.equal(tl.status, 200, tl.text);
  assert.ok(tl.json.items.some((e) => e.type === 'opened'), 'the timeline holds the opening');
  const p = await bearer(s.url, t, 'GET', '/api/v1/persons/' + c.person_id);
  assert.equal(p.status, 200, p.text);
  const found = await bearer(s.url, t, 'GET', '/api/v1/persons?q=' + encodeURIComponent(p.json.family_name));
  assert.equal(found.status, 200, found.text);
  assert.ok(found.json.items.some((x) => x.id === p.json.id), 'found by its family name');
  await s.stop();
  assert.equal(run(['audit', 'verify', '--data', dir]).code, 0);

  // Run again on the same folder: refused, with the reason, and nothing doubled.
  const counts = () => ['persons', 'cases', 'users', 'orgs', 'contacts']
    .map((t) => `${t}=${sqlite(db, `SELECT count(*) FROM ${t}`).trim()}`).join(' ');
  const had = counts();
  const again = run(['demo', '--data', dir, '--persons', '60', '--seed', '3'], { timeout: 30000 });
  assert.equal(again.code, 1, again.out);
  assert.match(again.err, /already holds the demo data \(created by himoya demo, seed 3\)/);
  assert.match(again.err, /give a new folder/);
  assert.equal(counts(), had, 'nothing was added');
  assert.equal(run(['audit', 'verify', '--data', dir]).code, 0);

  // A folder demo did not make never gets the published password.
  const real = fresh();
  init(real);
  const r2 = run(['demo', '--data', real], { timeout: 30000 });
  assert.equal(r2.code, 1);
  assert.match(r2.err, /not created by `himoya demo`/);
  assert.equal(sqlite(join(real, 'himoya.db'), 'SELECT count(*) FROM users').trim(), '0');
  for (const bad of [['--persons', '-1'], ['--persons', 'x'], ['--seed', '1.5']]) {
    const r3 = run(['demo', '--data', fresh(), ...bad]);
    assert.equal(r3.code, 2, bad.join(' ') + ': ' + r3.err);
  }
});

test('a demo of more batches than are built ahead stores every person, with the report facts of every case', () => {
  // 2,000 persons a batch, three built ahead of the one stored
  // (cli/demo.c): 6,500 persons are four batches, the last one short.
  const dir = fresh();
  const r = run(['demo', '--data', dir, '--persons', '6500', '--seed', '5'], { timeout: 120000 });
  assert.equal(r.code, 0, r.err);
  const db = join(dir, 'himoya.db');
  assert.equal(Number(sqlite(db, 'SELECT count(*) FROM persons')), 6502);
  assert.equal(Number(sqlite(db, 'SELECT count(*) FROM cases c WHERE NOT EXISTS' +
    ' (SELECT 1 FROM rp_cases f WHERE f.case_id = c.id)')), 0);
  assert.equal(Number(sqlite(db, 'SELECT count(*) FROM rp_dirty')), 0);
  assert.equal(sqlite(db, 'PRAGMA journal_mode').trim(), 'wal');
  assert.equal(sqlite(db, 'PRAGMA integrity_check').trim(), 'ok');
  assert.equal(run(['audit', 'verify', '--data', dir]).code, 0);
});

test('the demo encodes its persons for the network matching as the server does: the catch-up at start rewrites the same rows', async () => {
  // The demo builds each consenting person's encoding beside the person
  // (cli/demo_records.c, the refresh's own functions); the server's pass at
  // start encodes every consenting person again from the store.  The two
  // must agree: the same persons, encodings and end dates.
  const dir = fresh();
  const r = run(['demo', '--data', dir, '--persons', '800', '--seed', '11'], { timeout: 60000 });
  assert.equal(r.code, 0, r.err);
  const db = join(dir, 'himoya.db');
  const hex = (c) => (pgUrlOf(dir) ? `encode(${c}, 'hex')` : `hex(${c})`);
  const dump = () => sqlite(db, `SELECT org_id, ${hex('handle')}, ${hex('clk')}, audience, expires FROM pprl_encodings ORDER BY 2`);
  const built = dump();
  const rows = built.trim().split('\n');
  const n = Number(r.out.match(/Network matching: (\d+) encodings/)[1]);
  assert.equal(rows.length, n, 'the count printed is the rows written');
  // The persons consenting to referral or to law enforcement (about a
  // third: statistics alone is no consent to be named to another
  // organisation), with and without an end date.
  assert.ok(n > 150 && n < 500, `${n} encodings of 802 persons`);
  assert.ok(rows.some((l) => /\|\d{4}-\d\d-\d\d$/.test(l)) && rows.some((l) => /\|$/.test(l)), 'ends and no end');
  // Every row has an audience (the consents' recipients; none: no one matches it).
  // (org, handle, clk, then CODE|TYPE|UNTIL at least once, then the end: 7 parts or more)
  assert.ok(rows.every((l) => l.split('|').length >= 7), rows.slice(0, 3).join('\n'));
  sqlite(db, 'DELETE FROM pprl_encodings');
  const s = await serve(dir);
  const done = await poll(() => /catch_up=done encoded=(\d+)/.exec(s.log()), { timeout: 30000, every: 50 });
  await s.stop();
  assert.ok(done, 'the catch-up did not end: ' + s.log());
  assert.equal(Number(done[1]), n);
  assert.equal(dump(), built);
});

test('another installation\'s key opens nothing: serve and every writing command refuse, the chain stays intact', async () => {
  const root = tempDir();
  const a = join(root, 'a'), b = join(root, 'b');
  assert.equal(run(['init', '--data', a, ...initArgs()]).code, 0);
  assert.equal(run(['init', '--data', b, '--org-code', 'ngo', '--org-name', 'N', '--org-type', 'NGO']).code, 0);
  const good = readFileSync(join(a, 'himoya.key'));
  copyFileSync(join(b, 'himoya.key'), join(a, 'himoya.key'));
  const port = await freePort();
  const s = run(['serve', '--data', a, '--listen', `127.0.0.1:${port}`], { timeout: 10000 });
  assert.equal(s.code, 1, 'serve must not start: ' + s.err);
  assert.match(s.err, /does not open this database/);
  const u = run(['user', 'add', '--data', a, '--org', 'iom', '--login', 'eve', '--role', 'admin', '--password-stdin'],
    { input: 'a-long-enough-password-1\n' });
  assert.equal(u.code === 0, false, u.out);
  // audit verify and doctor still say what is wrong.
  assert.match(run(['audit', 'verify', '--data', a]).out, /BROKEN/);
  assert.match(run(['doctor', '--data', a]).out, /problem: audit chain broken/);
  // With its own key back, the installation is whole: nothing was written.
  writeFileSync(join(a, 'himoya.key'), good);
  const v = run(['audit', 'verify', '--data', a]);
  assert.equal(v.code, 0, v.out + v.err);
  rmSync(root, { recursive: true, force: true });
});

test('a SQLite database copied to PostgreSQL by migrate: every command refuses it as serve does, naming the configuration in force', () => {
  const dir = fresh();
  init(dir);
  addUser(dir, 'admin1', 'admin', 'admin password one');
  const tok = token(dir, 'admin1');
  assert.ok(tok);
  // The mark migrate leaves once the copy is checked (tests/pg/migrate.test.mjs).
  sqlite(join(dir, 'himoya.db'), "INSERT INTO meta(key, value) VALUES('migrated_to_postgresql', '2026-12-01T10:00:00Z')");
  const rows = () => sqlite(join(dir, 'himoya.db'), 'SELECT (SELECT count(*) FROM audit) || (SELECT count(*) FROM users)'
    + ' || (SELECT count(*) FROM tokens) || (SELECT count(*) FROM orgs) || (SELECT value FROM meta WHERE key = \'schema_version\')');
  const before = rows();
  const commands = [
    ['user', 'add', '--data', dir, '--org', 'iom', '--login', 'late', '--role', 'caseworker'],
    ['role', 'set', '--data', dir, '--role', 'caseworker', '--require-totp', 'yes'],
    ['token', 'create', '--data', dir, '--login', 'admin1'],
    ['token', 'list', '--data', dir],
    ['org', 'add', '--data', dir, '--code', 'late', '--name', 'Late NGO', '--type', 'NGO'],
    ['org', 'home', '--data', dir, '--code', 'iom'],
    ['audit', 'reindex', '--data', dir],
    ['serve', '--data', dir, '--listen', '127.0.0.1:1'],
  ];
  for (const args of commands) {
    const r = run(args);
    assert.notEqual(r.code, 0, args.join(' ') + ': ' + r.out);
    assert.match(r.err, /was copied to PostgreSQL by himoya migrate at 2026-12-01T10:00:00Z: add the database line migrate printed to \S+\/himoya\.conf \(writes made here would never reach PostgreSQL\)/, args.join(' '));
  }
  // With --config FILE, that file is the one to edit.
  const conf = join(root, 'migrated.conf');
  writeFileSync(conf, 'timezone = Asia/Dushanbe\n');
  for (const args of [['user', 'add', '--data', dir, '--org', 'iom', '--login', 'late', '--role', 'caseworker'],
    ['serve', '--data', dir, '--listen', '127.0.0.1:1']]) {
    const r = run([...args, '--config', conf]);
    assert.notEqual(r.code, 0, args.join(' '));
    assert.match(r.err, new RegExp(`add the database line migrate printed to ${conf.replace(/[.]/g, '\\.')} \\(`), r.err);
    assert.doesNotMatch(r.err, /\/himoya\.conf/, r.err);
  }
  assert.equal(rows(), before);
});

test('upgrades: version prints the versions; backup, doctor, audit verify and restore leave an older schema as it is; serve upgrades it and says so', async () => {
  for (const args of [['version'], ['--version']]) {
    const r = run(args);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^himoya \d+\.\d+\.\d+ \(database schema \d+\)\n$/);
  }
  const latest = Number(/database schema (\d+)/.exec(run(['version']).out)[1]);
  const dir = fresh();
  init(dir);
  const db = join(dir, 'himoya.db');
  const schema = (file) => Number(sqlite(file, "SELECT value FROM meta WHERE key = 'schema_version'").trim());
  let r = run(['version', '--data', dir]);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, new RegExp(`^${dir}: database schema ${latest}, this program's$`, 'm'));
  // The folder as the release before left it (migrations 31 to 34 make
  // no table, and run again on these rows; 35's column is taken out).
  sqlite(db, "UPDATE meta SET value = '30' WHERE key = 'schema_version';"
    + 'DROP INDEX users_login_lower; ALTER TABLE users DROP COLUMN login_key;');
  r = run(['version', '--data', dir]);
  assert.match(r.out, new RegExp(`^${dir}: database schema 30, older than this program's ${latest}: himoya serve upgrades it`, 'm'));
  assert.equal(schema(db), 30);
  const bak = join(root, 'before-upgrade.bak');
  r = run(['backup', '--data', dir, '--to', bak]);
  assert.equal(r.code, 0, r.err);
  assert.doesNotMatch(r.err, /upgraded/);
  assert.equal(schema(db), 30, 'backup upgraded the database');
  assert.equal(schema(bak), 30, 'the backup is of an upgraded database');
  r = run(['doctor', '--data', dir]);
  assert.match(r.out, new RegExp(`^ok: database schema 30, older than this program's ${latest}: himoya serve upgrades it at its next start`, 'm'), r.out);
  r = run(['audit', 'verify', '--data', dir]);
  assert.equal(r.code, 0, r.out + r.err);
  assert.equal(schema(db), 30, 'doctor or audit verify upgraded the database');
  const nd = fresh();
  mkdirSync(nd, { mode: 0o700 });
  copyFileSync(join(dir, 'himoya.key'), join(nd, 'himoya.key'));
  r = run(['restore', '--from', bak, '--data', nd]);
  assert.equal(r.code, 0, r.err);
  assert.equal(schema(join(nd, 'himoya.db')), 30, 'restore upgraded the database');
  // serve upgrades it, in one line of its log.
  const s = await serveDir(dir);
  await s.stop();
  assert.match(s.log(), new RegExp(`himoya: upgraded the database schema of ${dir} from 30 to ${latest}\n`));
  assert.equal(s.log().match(/upgraded the database schema/g).length, 1);
  assert.equal(schema(db), latest);
  r = run(['doctor', '--data', dir]);
  assert.match(r.out, new RegExp(`^ok: database schema ${latest}, this program's$`, 'm'), r.out);
  // A command that writes upgrades as well, and says so.
  r = run(['user', 'add', '--data', nd, '--org', 'iom', '--login', 'cw', '--role', 'caseworker', '--password-stdin'],
    { input: 'caseworker password\n' });
  assert.equal(r.code, 0, r.err);
  assert.match(r.err, new RegExp(`upgraded the database schema of ${nd} from 30 to ${latest}`));
  // A schema newer than the program: refused as it is, the version named.
  sqlite(db, `UPDATE meta SET value = '${latest + 1}' WHERE key = 'schema_version'`);
  r = run(['version', '--data', dir]);
  assert.match(r.out, new RegExp(`database schema ${latest + 1}, newer than this program's ${latest}`));
  r = run(['backup', '--data', dir, '--to', join(root, 'newer.bak')]);
  assert.equal(r.code, 1);
  assert.match(r.err, new RegExp(`database schema ${latest + 1} is newer than this program \\(${latest}\\)`));
});

test('a database password given on the command line is masked in the process list while the command runs', async () => {
  // A "database" that accepts the connection and never answers: the
  // command waits for it (connect_timeout) while ps is read.
  const silent = createServer(() => {});
  await new Promise((ok) => silent.listen(0, '127.0.0.1', ok));
  const port = silent.address().port;
  try {
    for (const url of [`postgresql://himoya:s3cret-pw@127.0.0.1:${port}/x?connect_timeout=20`,
      `postgresql://127.0.0.1:${port}/x?user=himoya&password=s3cret-pw&connect_timeout=20`,
      // libpq decodes a parameter's name too: this is its password.
      `postgresql://127.0.0.1:${port}/x?connect_timeout=20&user=himoya&pass%77ord=s3cret-pw`]) {
      const p = spawn(BIN, ['init', '--data', fresh(), ...initArgs(), '--database', url],
        { stdio: ['ignore', 'pipe', 'pipe'] });
      let err = '';
      p.stderr.on('data', (d) => { err += d; });
      let shown = '';
      for (let i = 0; i < 50 && !/x{9}/.test(shown); i++) {
        await sleep(100);
        try { shown = readFileSync(`/proc/${p.pid}/cmdline`, 'utf8').split('\0').join(' '); } catch { shown = ''; }
      }
      p.kill('SIGKILL');
      await new Promise((ok) => p.once('exit', ok));
      assert.match(shown, /--database postgresql:\/\//, 'the command line was read: ' + shown);
      assert.doesNotMatch(shown, /s3cret-pw/, shown);
      assert.match(shown, /x{9}/, 'masked in place: ' + shown);
      assert.doesNotMatch(err, /s3cret-pw/);
    }
  } finally {
    silent.close();
  }
  // An option written --to=VALUE is refused without echoing the value.
  const r = run(['migrate', '--from', fresh(), '--to=postgresql://himoya:s3cret-pw@127.0.0.1:1/x']);
  assert.equal(r.code, 2);
  assert.match(r.err, /unknown option '--to' \(give its value after a space\)/);
  assert.doesNotMatch(r.err, /s3cret/);
  const r2 = run(['migrate', '--from', fresh(), 'postgresql://himoya:s3cret-pw@127.0.0.1:1/x']);
  assert.equal(r2.code, 2);
  assert.doesNotMatch(r2.err, /s3cret/);
});

test('migrate refuses a database another process has open, whatever folder that process serves', async () => {
  // The folder's lock keeps out the servers of this folder only: a server
  // of a second folder holding a hard link to the same database writes
  // to it all the same, and its writes would stay behind.
  const a = fresh(), b = fresh();
  init(a);
  mkdirSync(b, { mode: 0o700 });
  linkSync(join(a, 'himoya.db'), join(b, 'himoya.db'));
  copyFileSync(join(a, 'himoya.key'), join(b, 'himoya.key'));
  const target = 'postgresql://nobody@127.0.0.1:1/none?connect_timeout=2';
  const s = await serve(b);
  const r = run(['migrate', '--from', a, '--to', target]);
  await s.stop();
  assert.equal(r.code, 2, r.out + r.err);
  assert.match(r.err, /another process \(\d+\) has .*himoya\.db open: stop every server of it first/);
  // Once it stops, migrate goes on to the target (unreachable here).
  const again = run(['migrate', '--from', a, '--to', target]);
  assert.doesNotMatch(again.err, /another process/);
  assert.match(again.out, /Copying/);
  assert.equal(again.code, 1, again.out + again.err);
});

test('a demo killed half-way leaves a folder that is whole, and that serve and demo refuse by name', async () => {
  const dir = fresh();
  const db = join(dir, 'himoya.db');
  const p = spawn(BIN, ['demo', '--data', dir, '--persons', '20000', '--seed', '7'], { stdio: 'ignore' });
  // Killed once it has begun to fill the folder (its organisations are in).
  let orgs = 0;
  for (let i = 0; i < 600 && orgs < 3 && p.exitCode === null; i++) {
    await sleep(50);
    try { orgs = Number(sqlite(db, 'SELECT count(*) FROM orgs')); } catch { orgs = 0; }
  }
  p.kill('SIGKILL');
  await new Promise((ok) => p.once('exit', ok));
  assert.ok(orgs >= 3, 'the demo had begun');
  assert.equal(sqlite(db, 'PRAGMA integrity_check').trim(), 'ok');
  const port = await freePort();
  const s = run(['serve', '--data', dir, '--listen', `127.0.0.1:${port}`], { timeout: 20000 });
  assert.equal(s.code, 1, s.out + s.err);
  assert.match(s.err, /holds a demo that was stopped before it ended .*delete the folder and run himoya demo again/);
  const again = run(['demo', '--data', dir, '--persons', '60'], { timeout: 30000 });
  assert.equal(again.code, 1, again.out + again.err);
  assert.match(again.err, /stopped before it ended/);
  assert.equal(run(['audit', 'verify', '--data', dir]).code, 0);
});
