// `himoya link` and `himoya pprl` (issue #16) on lists made by
// tools/linkdata.py in the FEBRL layout: F1 above the bar on English and
// Tajik lists, the output format (header, best first, one line per pair),
// deduplication of one list, and clear errors with a non-zero exit for bad
// input.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run as runBin, tempDir } from '../lib/datadir.mjs';

// A loaded machine is slow: the commands get a minute, not the default 15 s.
const run = (args) => runBin(args, { timeout: 60000 });

const root = tempDir('himoya-link-');
after(() => rmSync(root, { recursive: true, force: true }));
const p = (name) => join(root, name);
const N = 600;

function gen(args) {
  const r = spawnSync('python3', ['tools/linkdata.py', 'gen', ...args], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
}

// The pairs file: header, then [left, right, score] rows.
function readPairs(file) {
  const lines = readFileSync(file, 'utf8').split('\r\n');
  assert.equal(lines.at(-1), '', 'the file ends with a line end');
  assert.equal(lines[0], 'left_id,right_id,score');
  return lines.slice(1, -1).map((l) => {
    const cells = l.split(',');
    assert.equal(cells.length, 3, l);
    assert.match(cells[2], /^-?\d+\.\d+$/);
    return [cells[0], cells[1], Number(cells[2])];
  });
}

const entity = (id) => id.split('-')[1];

// Precision, recall and F1 against the entity number in FEBRL ids.
function f1(pairs, truth) {
  const tp = pairs.filter(([l, r]) => entity(l) === entity(r)).length;
  const precision = pairs.length ? tp / pairs.length : 0, recall = tp / truth;
  return { precision, recall, f1: precision + recall ? 2 * precision * recall / (precision + recall) : 0 };
}

function bestFirst(pairs) {
  for (let i = 1; i < pairs.length; i++)
    assert.ok(pairs[i - 1][2] >= pairs[i][2], `line ${i + 1} scores more than line ${i}`);
}

function oneToOne(pairs) {
  assert.equal(new Set(pairs.map((x) => x[0])).size, pairs.length);
  assert.equal(new Set(pairs.map((x) => x[1])).size, pairs.length);
}

for (const style of ['english', 'tajik']) {
  test(`link ${style}: F1 >= 0.99, best first, one pair per person`, () => {
    gen(['--style', style, '--n', String(N), '--seed', '11', '--a', p(`${style}-a.csv`), '--b', p(`${style}-b.csv`)]);
    const r = run(['link', '--left', p(`${style}-a.csv`), '--right', p(`${style}-b.csv`), '--out', p(`${style}-pairs.csv`)]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, /EM: \d+ iterations/);
    assert.equal(r.out, '', 'nothing on standard output');
    const pairs = readPairs(p(`${style}-pairs.csv`));
    bestFirst(pairs);
    oneToOne(pairs);
    const s = f1(pairs, N);
    assert.ok(s.f1 >= 0.99, JSON.stringify(s));
    // every left id comes from the left list
    assert.ok(pairs.every(([l, r]) => /-org$/.test(l) && /-dup-0$/.test(r)));
  });

  test(`pprl ${style}: encode both lists, link by Dice, F1 >= 0.98`, () => {
    const secret = p('secret');
    writeFileSync(secret, 'a secret the agencies share, made long enough\n');
    chmodSync(secret, 0o600);
    for (const side of ['a', 'b']) {
      const r = run(['pprl', 'encode', '--secret', secret, '--in', p(`${style}-${side}.csv`), '--out', p(`${style}-${side}.clk`)]);
      assert.equal(r.code, 0, r.err);
    }
    const clk = readFileSync(p(`${style}-a.clk`), 'utf8').split('\r\n');
    assert.equal(clk[0], 'id,clk');
    assert.equal(clk.length, N + 2);
    // no name leaves in an encoding
    assert.doesNotMatch(readFileSync(p(`${style}-a.clk`), 'utf8'), /smith|Ҷ|ов,/i);
    const r = run(['pprl', 'link', '--left', p(`${style}-a.clk`), '--right', p(`${style}-b.clk`), '--out', p(`${style}-ppairs.csv`)]);
    assert.equal(r.code, 0, r.err);
    const pairs = readPairs(p(`${style}-ppairs.csv`));
    bestFirst(pairs);
    oneToOne(pairs);
    const s = f1(pairs, N);
    assert.ok(s.f1 >= 0.98, JSON.stringify(s));
  });
}

test('pprl: encodings under another secret do not link', () => {
  const other = p('other-secret');
  writeFileSync(other, 'a different secret, also long enough');
  const r1 = run(['pprl', 'encode', '--secret', other, '--in', p('english-b.csv'), '--out', p('other.clk')]);
  assert.equal(r1.code, 0, r1.err);
  const r = run(['pprl', 'link', '--left', p('english-a.clk'), '--right', p('other.clk'), '--out', p('other-pairs.csv')]);
  assert.equal(r.code, 0, r.err);
  assert.ok(f1(readPairs(p('other-pairs.csv')), N).recall < 0.05);
});

test('link --dedup finds the duplicates within one list', () => {
  gen(['--style', 'tajik', '--n', '400', '--seed', '12', '--dedup', p('one.csv')]);
  const r = run(['link', '--dedup', p('one.csv'), '--out', p('dup.csv')]);
  assert.equal(r.code, 0, r.err);
  const pairs = readPairs(p('dup.csv'));
  bestFirst(pairs);
  assert.ok(pairs.every(([l, r]) => l !== r));
  assert.ok(f1(pairs, 200).f1 >= 0.98, JSON.stringify(f1(pairs, 200)));
});

test('link: a higher --threshold keeps fewer pairs, all of them at or over it', () => {
  const all = readPairs(p('english-pairs.csv'));
  const median = all[Math.floor(all.length / 2)][2];
  const r = run(['link', '--left', p('english-a.csv'), '--right', p('english-b.csv'), '--out', p('hi.csv'), '--threshold', String(median + 0.0005), '--quiet']);
  assert.equal(r.code, 0, r.err);
  const pairs = readPairs(p('hi.csv'));
  assert.ok(pairs.length < all.length, `${pairs.length} of ${all.length}`);
  assert.ok(pairs.length > 0);
  assert.ok(pairs.every((x) => x[2] >= median));
});

test('bad input: a clear message and a non-zero exit, no output file', () => {
  const good = p('english-a.csv');
  const cases = [
    ['missing.csv', null, /missing\.csv: No such file/],
    ['empty.csv', '', /empty file/],
    ['noid.csv', 'name,surname\nx,y\n', /no id column/],
    ['twice.csv', 'id,surname,family_name\n1,a,b\n', /given twice/],
    ['short.csv', 'rec_id,given_name,surname\nrec-1-org,anna\n', /short\.csv:2: 2 fields, the header has 3/],
    ['long.csv', 'rec_id,given_name,surname,address_1\nrec-1-org,anna,smith,12, main street\n', /long\.csv:2: 5 fields, the header has 4/],
    ['quote.csv', 'rec_id,given_name,surname\nrec-1-org,"anna,smith\n', /quoted field is not closed/],
    ['stray.csv', 'rec_id,given_name,surname\nrec-1-org,an"na,smith\n', /quote inside an unquoted field/],
    ['utf8.csv', Buffer.from('rec_id,given_name,surname\nrec-1-org,\xff\xfe,smith\n', 'latin1'), /utf8\.csv:2: not valid UTF-8/],
    ['noid2.csv', 'rec_id,given_name,surname\n,anna,smith\n', /empty id/],
    ['header.csv', 'rec_id,colour\n1,red\n', /nothing to link on/],
    ['rows.csv', 'rec_id,given_name,surname\n , , \n\n', /no records/],
  ];
  for (const [name, body, msg] of cases) {
    if (body !== null) writeFileSync(p(name), body);
    const out = p(name + '.out');
    const r = run(['link', '--left', good, '--right', p(name), '--out', out]);
    assert.notEqual(r.code, 0, name);
    assert.match(r.err, msg, name);
    assert.throws(() => readFileSync(out), /ENOENT/, `${name}: no output file`);
  }
  // usage errors exit 2
  for (const args of [['link', '--left', good, '--out', p('x')], ['link', '--dedup', good, '--right', good, '--out', p('x')],
    ['link', '--left', good, '--right', good, '--out', p('x'), '--threshold', 'high'], ['link', '--bogus', 'x'],
    ['pprl', 'link', '--left', good], ['pprl', 'encode', '--secret', p('secret'), '--in', good]]) {
    const r = run(args);
    assert.equal(r.code, 2, args.join(' '));
  }
  // pprl: short secret, a clk that is not one, a list with no clk column
  writeFileSync(p('short-secret'), 'too short');
  let r = run(['pprl', 'encode', '--secret', p('short-secret'), '--in', good, '--out', p('s.clk')]);
  assert.notEqual(r.code, 0);
  assert.match(r.err, /at least 16 bytes/);
  writeFileSync(p('bad.clk'), 'id,clk\nx,notbase64!\n');
  r = run(['pprl', 'link', '--left', p('english-a.clk'), '--right', p('bad.clk'), '--out', p('b.csv')]);
  assert.notEqual(r.code, 0);
  assert.match(r.err, /bad\.clk:2: the clk is not/);
  r = run(['pprl', 'link', '--left', p('english-a.clk'), '--right', good, '--out', p('b.csv')]);
  assert.notEqual(r.code, 0);
  assert.match(r.err, /no clk column/);
});

test('columns are found by name in any order and case, values trimmed, quoted cells read', () => {
  writeFileSync(p('l.csv'), ' Surname , GIVEN_NAME ,ID, Birth_Date\r\n'
    + '"Ҷумъаев", "Ҷамшед", L1, 1990-05-01\r\nНазарова,Мадина,L2,1985-11-23\r\n');
  writeFileSync(p('r.csv'), 'id,given_name,family_name,date_of_birth,gender\n'
    + 'R1,Jamshed,"Dzhumaev",01.05.1990,m\nR2,Madina,Nazarova,19852311,f\nR3,Zarina,Smith,2001-12-24,f\n');
  const r = run(['link', '--left', p('l.csv'), '--right', p('r.csv'), '--out', p('lr.csv'), '--quiet']);
  assert.equal(r.code, 0, r.err);
  const pairs = readPairs(p('lr.csv'));
  assert.deepEqual(pairs.map((x) => x[0] + '=' + x[1]).sort(), ['L1=R1', 'L2=R2']);
});
