// Officially identified victims apart from presumed ones (issue 11, item
// 4): registered through the API only, counted by the summary's
// `identification` dimension and the indicator report's
// `identified_by_status`, exactly for the own organisation.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Client, initArgs } from '../lib/server.mjs';
import { run, tempDir, serveDir, sqlite, writeConf, pgUrlOf } from '../lib/datadir.mjs';

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
  assert.equal(run(['init', '--data', data, '--org-code', 'iom', '--org-name', 'IOM', '--org-type', 'IGO', ...initArgs()]).code, 0);
  // The authorities decide through referrals of IOM's cases (issue 15: the
  // deciding body is the deciding user's organisation, never chosen).
  for (const [code, type, sector] of [['police', 'LawEnforcement', 'police'],
    ['pros', 'CentralGovernmentOrganisation', 'prosecution']])
    assert.equal(run(['org', 'add', '--data', data, '--code', code, '--name', code, '--type', type,
      '--sector', sector]).code, 0);
  const users = [['iom', 'cw', 'caseworker'], ['iom', 'sup', 'supervisor'], ['police', 'pol', 'focal_point'],
    ['pros', 'pros', 'focal_point']];
  for (const [org, login, role] of users)
    assert.equal(run(['user', 'add', '--data', data, '--org', org, '--login', login, '--role', role,
      '--password-stdin'], { input: PW + '\n' }).code, 0);
  writeConf(data, 'report_k = 2\n');
  srv = await serveDir(data);
  const as = {};
  for (const [, login] of users) {
    as[login] = new Client(srv.url);
    assert.equal((await as[login].login(login, PW)).status, 200);
  }
  const today = new Date().toISOString().slice(0, 10);
  // [status, who] of each case's decisions, the last one counts.
  const plan = [
    [['ActualVictimOfTrafficking', 'pol']],
    [['ActualVictimOfTrafficking', 'pros']],
    [['PossibleVictimOfTrafficking', 'sup'], ['ActualVictimOfTrafficking', 'pol']],
    [['ActualVictimOfTrafficking', 'sup']],
    [['PossibleVictimOfTrafficking', 'sup']],
    [['PossibleVictimOfTrafficking', 'pol']],
    [['NotAVictimOfTrafficking', 'pol']],
    [],
    // Two of each kind at least: with k = 2 a single one would hide its
    // neighbours in the victims-only tables (victims=1 beside victims=0
    // would work it back).
    [['ActualVictimOfTrafficking', 'sup']],
  ];
  const cases = [];
  for (const [i, decisions] of plan.entries()) {
    const p = await as.cw.req('POST', V1 + '/persons', { given_name: 'Ident' + i, gender: 'Feminine' });
    assert.equal(p.status, 201, p.text);
    for (const purpose of ['assistance', 'law_enforcement'])
      assert.equal((await as.cw.req('POST', `${V1}/persons/${p.json.id}/consents`,
        { purpose, method: 'written' })).status, 201);
    const c = await as.cw.req('POST', V1 + '/cases', { person_id: p.json.id });
    assert.equal(c.status, 201, c.text);
    cases.push(c.json.id);
    const referred = new Set();
    for (const [status, who] of decisions) {
      const body = { status, date: today };
      if (who !== 'sup') {
        body.reference = 'REF-' + i;
        const org = who === 'pol' ? 'police' : 'pros';
        if (!referred.has(org)) {
          const f = await as.cw.req('POST', V1 + '/referrals',
            { case_id: c.json.id, to_org: org, reason: 'identification', share: ['gender'] });
          assert.equal(f.status, 201, f.text);
          assert.equal((await as[who].req('POST', `${V1}/referrals/${f.json.id}/accept`)).status, 200);
          referred.add(org);
        }
      }
      const d = await as[who].req('POST', `${V1}/cases/${c.json.id}/status-decisions`, body);
      assert.equal(d.status, 201, d.text);
      assert.equal(d.json.decided_by, { sup: 'Other', pol: 'Police', pros: 'CourtOrProsecution' }[who]);
    }
  }
  const counts = async () => {
    const sum = await as.sup.req('GET', V1 + '/reports/summary?by=identification');
    assert.equal(sum.status, 200, sum.text);
    const count = (v) => sum.json.rows.find((r) => r.identification === v)?.count;
    return [count('official'), count('presumed')];
  };
  assert.deepEqual(await counts(), [3, 4]);
  const ind = await as.sup.req('GET', V1 + '/reports/indicators');
  assert.equal(ind.status, 200, ind.text);
  const rows = ind.json.identified_by_status.rows;
  assert.equal(rows.find((r) => r.identification === 'official')?.count, 3, JSON.stringify(rows));
  assert.equal(rows.find((r) => r.identification === 'presumed')?.count, 4, JSON.stringify(rows));
  assert.equal(ind.json.identified.total, 7, 'identified: official and presumed together: ' + JSON.stringify(ind.json.identified));
  const csv = await as.sup.req('GET', V1 + '/reports/indicators?format=csv');
  assert.equal(csv.status, 200);
  assert.match(csv.text, /official/);

  // A decision recorded before the rule, whose user chose "Police": it
  // keeps its value (and counts as official) and says it came before.
  // (SQLite only: it winds the schema back to migration 15, and a
  // PostgreSQL database starts at the baseline of migration 23.)
  if (pgUrlOf(data)) return;
  await srv.stop();
  const db = join(data, 'himoya.db');
  sqlite(db, "UPDATE items SET coded = json_remove(json_set(coded, '$.decided_by', 'Police'), '$.decided_by_org')"
    + ` WHERE kind = 'status_decision' AND case_id = '${cases[3]}';`
    + "UPDATE meta SET value = '15' WHERE key = 'schema_version';"
    + 'DROP TRIGGER rp_org_upd; ALTER TABLE rp_cases DROP COLUMN sector;'
    // and what the migrations after 16 made, so that they run again
    + 'ALTER TABLE orgs DROP COLUMN contact_phone; ALTER TABLE orgs DROP COLUMN contact_email;'
    + 'DROP INDEX items_service; ALTER TABLE items DROP COLUMN service_id;'
    + 'DROP TABLE perpetrator_cases; DROP TABLE perpetrator_keys;'
    + 'DROP TABLE dup_merge_rows; DROP TABLE dup_merges; DROP TABLE dup_pairs;'
    + 'DROP INDEX persons_merged; ALTER TABLE persons DROP COLUMN merged_into;'
    + 'DROP TABLE orientations; DROP TABLE plan_reports; DROP TABLE plan_activities; DROP TABLE plans;'
    + 'DROP TABLE library_versions; DROP TABLE library_products; ALTER TABLE trainings DROP COLUMN kind;'
    + 'ALTER TABLE trainings DROP COLUMN country; ALTER TABLE trainings DROP COLUMN host;'
    + 'ALTER TABLE trainings DROP COLUMN purpose; ALTER TABLE training_participants DROP COLUMN sector;'

    + 'DROP TABLE pprl_questions; DROP TABLE pprl_encodings;'

    + 'DROP TABLE login_failures; DROP TABLE rate_counters; DROP TABLE once_used;'
    + 'DROP INDEX items_open_org; DROP INDEX items_open_assigned;'
    + 'DROP INDEX items_proceedings; CREATE INDEX items_due ON items(kind, assigned_to, due);'
    + 'DROP TABLE pprl_stamps; DROP TABLE idempotency; DROP TABLE referral_names;'
    + 'DROP INDEX callbacks_contact;'
    + 'DROP INDEX users_login_lower; ALTER TABLE users DROP COLUMN login_key;');
  srv = await serveDir(data);
  for (const c of Object.values(as)) c.url = srv.url;
  assert.equal((await as.sup.login('sup', PW)).status, 200);
  const old = await as.sup.req('GET', `${V1}/cases/${cases[3]}/status-decisions`);
  assert.equal(old.status, 200, old.text);
  assert.equal(old.json.items[0].decided_by, 'Police');
  assert.equal(old.json.items[0].before_rule, true);
  assert.deepEqual(await counts(), [4, 3]);
});
