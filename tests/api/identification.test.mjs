// Officially identified victims apart from presumed ones (issue 11, item
// 4): registered through the API only, counted by the summary's
// `identification` dimension and the indicator report's
// `identified_by_status`, exactly for the own organisation.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '../lib/server.mjs';
import { run, tempDir, serveDir } from '../lib/datadir.mjs';

const V1 = '/api/v1';
const PW = 'identification test password';
let srv, root;
after(async () => {
  if (srv) await srv.stop();
  if (root) rmSync(root, { recursive: true, force: true });
});

test('official and presumed victims are counted apart', async () => {
  root = tempDir('himoya-ident-');
  const data = join(root, 'data');
  assert.equal(run(['init', '--data', data, '--org-code', 'iom', '--org-name', 'IOM', '--org-type', 'IGO']).code, 0);
  for (const [login, role] of [['cw', 'caseworker'], ['sup', 'supervisor']])
    assert.equal(run(['user', 'add', '--data', data, '--org', 'iom', '--login', login, '--role', role,
      '--password-stdin'], { input: PW + '\n' }).code, 0);
  writeFileSync(join(data, 'himoya.conf'), 'report_k = 2\n');
  srv = await serveDir(data);
  const cw = new Client(srv.url), sup = new Client(srv.url);
  assert.equal((await cw.login('cw', PW)).status, 200);
  assert.equal((await sup.login('sup', PW)).status, 200);
  const today = new Date().toISOString().slice(0, 10);
  // [status, decided_by] of each case's decisions, the last one counts.
  const plan = [
    [['ActualVictimOfTrafficking', 'Police']],
    [['ActualVictimOfTrafficking', 'CourtOrProsecution']],
    [['PossibleVictimOfTrafficking', 'NGO'], ['ActualVictimOfTrafficking', 'Police']],
    [['ActualVictimOfTrafficking', 'NGO']],
    // Two of each kind at least: with k = 2 a single one would hide its
    // neighbours (victims=1 beside victims=0 would work it back).
    [['ActualVictimOfTrafficking', 'NGO']],
    [['PossibleVictimOfTrafficking', 'NGO']],
    [['PossibleVictimOfTrafficking', 'Police']],
    [['NotAVictimOfTrafficking', 'Police']],
    [],
  ];
  for (const [i, decisions] of plan.entries()) {
    const p = await cw.req('POST', V1 + '/persons', { given_name: 'Ident' + i, gender: 'Feminine' });
    assert.equal(p.status, 201, p.text);
    assert.equal((await cw.req('POST', `${V1}/persons/${p.json.id}/consents`,
      { purpose: 'assistance', method: 'written' })).status, 201);
    const c = await cw.req('POST', V1 + '/cases', { person_id: p.json.id });
    assert.equal(c.status, 201, c.text);
    for (const [status, by] of decisions) {
      const d = await sup.req('POST', `${V1}/cases/${c.json.id}/status-decisions`, { status, decided_by: by, date: today });
      assert.equal(d.status, 201, d.text);
    }
  }
  const sum = await sup.req('GET', V1 + '/reports/summary?by=identification');
  assert.equal(sum.status, 200, sum.text);
  const count = (v) => sum.json.rows.find((r) => r.identification === v)?.count;
  assert.equal(count('official'), 3, JSON.stringify(sum.json.rows));
  assert.equal(count('presumed'), 4, JSON.stringify(sum.json.rows));
  const ind = await sup.req('GET', V1 + '/reports/indicators');
  assert.equal(ind.status, 200, ind.text);
  const rows = ind.json.identified_by_status.rows;
  assert.equal(rows.find((r) => r.identification === 'official')?.count, 3, JSON.stringify(rows));
  assert.equal(rows.find((r) => r.identification === 'presumed')?.count, 4, JSON.stringify(rows));
  assert.equal(ind.json.identified.total, 7, 'identified: official and presumed together: ' + JSON.stringify(ind.json.identified));
  const csv = await sup.req('GET', V1 + '/reports/indicators?format=csv');
  assert.equal(csv.status, 200);
  assert.match(csv.text, /official/);
});
