// The programme's time zone (setting `timezone`): "today" for overdue
// follow-ups and the callback queue's "due today" are reckoned in it, not
// in UTC.  Two servers far apart (UTC+14 and UTC-12): at any moment the
// day in at least one of them differs from the UTC day, so a server that
// reckoned in UTC fails here whatever the hour.  An unknown zone stops
// `himoya serve`; without the setting the zone is Asia/Dushanbe.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, Client, usersOf, signInAll } from '../lib/server.mjs';
import { run, writeConf } from '../lib/datadir.mjs';

const PW = 'time zone test password';
const V1 = '/api/v1';
const users = usersOf(PW, [['cw', 'caseworker'], ['hot', 'hotline'], ['sup', 'supervisor']]);
const servers = [];

after(async () => {
  for (const s of servers) {
    await s.stop();
    s.cleanup();
  }
});

// YYYY-MM-DD of the instant ms in zone.
function dayIn(zone, ms = Date.now()) {
  // From the parts: how a locale orders them differs between ICU versions
  // (en-CA gives M/D/YYYY with the ICU of Debian 12's Node.js).
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' })
    .formatToParts(new Date(ms));
  const get = (type) => parts.find((p) => p.type === type).value;
  return `${get('year')}-${get('month')}-${get('day')}`;
}

function shiftDay(day, n) {
  return new Date(Date.parse(day + 'T00:00:00Z') + n * 86400000).toISOString().slice(0, 10);
}

// The UTC instant where the zone's day `day` begins (searched by the hour:
// these zones have whole-hour offsets and no summer time).
function dayStartUtc(zone, day) {
  for (let h = -15; h <= 15; h++) {
    const ms = Date.parse(day + 'T00:00:00Z') + h * 3600000;
    if (dayIn(zone, ms) === day && dayIn(zone, ms - 1000) !== day) return ms;
  }
  throw new Error('no day start');
}

async function serve(timezone) {
  const srv = await startServer({ users, timezone });
  servers.push(srv);
  const { as } = await signInAll(srv, users, PW);
  return { srv, as };
}

async function checkZone(zone) {
  const { srv, as } = await serve(zone);
  const today = dayIn(zone);
  // Follow-ups: due yesterday in the zone is overdue, due today is not.
  const p = await as.cw.req('POST', V1 + '/persons', { given_name: 'Зарина', family_name: 'Қодирова' });
  assert.equal(p.status, 201, p.text);
  assert.equal((await as.cw.req('POST', `${V1}/persons/${p.json.id}/consents`, { purpose: 'assistance', method: 'written' })).status, 201);
  const c = await as.cw.req('POST', V1 + '/cases', { person_id: p.json.id });
  assert.equal(c.status, 201, c.text);
  const fu = async (due) => {
    const r = await as.cw.req('POST', `${V1}/cases/${c.json.id}/followups`, { due });
    assert.equal(r.status, 201, r.text);
    return r.json.id;
  };
  const late = await fu(shiftDay(today, -1));
  const todays = await fu(today);
  const overdue = (await as.cw.req('GET', V1 + '/followups')).json.items.map((f) => f.id);
  assert.ok(overdue.includes(late), `${zone}: due on the zone's yesterday is overdue`);
  assert.ok(!overdue.includes(todays), `${zone}: due on the zone's today (${today}) is not overdue`);

  // "A past date" is one not after the zone's today: its today is taken,
  // its tomorrow refused, whatever day it is in UTC.
  const born = async (birth_date) => (await as.cw.req('POST', V1 + '/persons',
    { given_name: 'Нигора', family_name: 'Саидова', birth_date })).status;
  assert.equal(await born(today), 201, `${zone}: the zone's today (${today}) is not in the future`);
  assert.equal(await born(shiftDay(today, 1)), 422, `${zone}: the zone's tomorrow is`);

  // The command line reckons as the server: an imported consent is given
  // on the zone's today, its case opened on it, and the consent holds.
  const sheet = join(srv.data, '..', `import-${zone.replace(/\W/g, '')}.csv`);
  writeFileSync(sheet, 'prs_FirstName,prs_SecondName,con_Consent,prs_Birthdate,prs_Gender\r\n' +
    'Мадина,Шарифова,yes,1990-03-04,Feminine\r\n');
  const imp = run(['import', '--data', srv.data, '--org', 'iom', '--as', 'sup', sheet]);
  assert.equal(imp.code, 0, imp.out + imp.err);
  const found = await as.cw.req('GET', V1 + '/persons?q=' + encodeURIComponent('Шарифова'));
  assert.equal(found.status, 200, found.text);
  const pid = found.json.items[0].id;
  const consents = (await as.cw.req('GET', `${V1}/persons/${pid}/consents`)).json.items;
  assert.equal(consents[0].given_on, today, `${zone}: imported consent given on the zone's today`);
  assert.equal(consents[0].state, 'active', `${zone}: the imported consent holds`);
  const opened = (await as.cw.req('GET', `${V1}/cases?person_id=${pid}`)).json.items;
  assert.equal(opened[0].opened_on, today, `${zone}: imported case opened on the zone's today`);

  // Callbacks: "due" ends where the zone's tomorrow begins.
  const end = dayStartUtc(zone, shiftDay(today, 1));
  const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const book = async (ms) => {
    const r = await as.hot.req('POST', V1 + '/callbacks', { phone: '+992 93 111 22 33', due: iso(ms) });
    assert.equal(r.status, 201, r.text);
    return r.json;
  };
  const lastMinute = await book(end - 60000);
  const nextDay = await book(end + 60000);
  assert.equal(lastMinute.state, Date.now() > end - 60000 ? 'overdue' : 'due', `${zone}: the day's last minute is due today`);
  assert.equal(nextDay.state, 'open', `${zone}: the next day's first minute is not due today`);
  const due = (await as.hot.req('GET', V1 + '/callbacks?state=due')).json.items.map((x) => x.id);
  assert.ok(!due.includes(nextDay.id), `${zone}: the queue's "due" stops at the zone's midnight`);
  if (lastMinute.state === 'due') assert.ok(due.includes(lastMinute.id));
}

test('overdue follow-ups and callbacks due today follow the zone far east of UTC', () => checkZone('Pacific/Kiritimati'));

test('and far west of UTC', () => checkZone('Etc/GMT+12'));

test('the default zone is Asia/Dushanbe', async () => {
  const { as } = await serve(null);
  const end = dayStartUtc('Asia/Dushanbe', shiftDay(dayIn('Asia/Dushanbe'), 1));
  const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const r = await as.hot.req('POST', V1 + '/callbacks', { phone: '+992 93 111 22 44', due: iso(end + 60000) });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.state, 'open');
  const before = await as.hot.req('POST', V1 + '/callbacks', { phone: '+992 93 111 22 45', due: iso(end - 60000) });
  assert.equal(before.json.state, Date.now() > end - 60000 ? 'overdue' : 'due');
});

test('an unknown zone stops the server with a message that names it', async () => {
  const { srv } = await serve('UTC');
  for (const bad of ['Mars/Olympus_Mons', '../../etc/passwd', '/etc/localtime']) {
    writeConf(srv.data, `timezone = ${bad}\n`);
    const r = run(['serve', '--data', srv.data, '--listen', '127.0.0.1:1'], { timeout: 5000 });
    assert.equal(r.code, 2, `${bad}: ${r.err}`);
    assert.match(r.err, /timezone/);
  }
});
