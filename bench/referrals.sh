#!/bin/bash
# The referral-scope budget of the case list: "a case list for a user who
# sees 1,000 cases among 100,000, with the rules applied in the query, has
# p99 <= 50 ms".
#
#   1. himoya demo --persons 100000 (about 94 000 cases over the demo
#      organisations), then a small organisation ngo-small with one
#      case worker, added with the command line
#   2. through the API: 980 persons with an assistance consent and a case
#      in ngo-small; 20 IOM cases referred to ngo-small (a referral consent
#      for each person, POST /referrals sharing a few fields) by the demo
#      IOM case worker, and accepted by the ngo-small case worker
#   3. checks that the ngo-small case worker's list, paged to its end,
#      holds exactly those 1000 cases (980 own + 20 referred) and no other
#      IOM case
#   4. wrk on that case worker's list, after a WARMUP-second run of the
#      first page that is shown but not judged:
#        GET /api/v1/cases?limit=50
#        GET /api/v1/cases?status=Active&limit=50
#        GET /api/v1/cases?limit=50&cursor=C   (C: the next of page 10)
#      budget for each: p99 <= 50 ms
#
# The scope (own organisation OR an accepted referral with a live consent)
# is in the SQL of store/cases.c, so every page pays for it.  Prints a
# table with PASS/FAIL and exits 1 when a line fails.
#
#   bench/referrals.sh
#   PERSONS=20000 DURATION=5 WARMUP=0 bench/referrals.sh
#
# Builds himoya into build-release/ (--buildtype=release, as bench/run.sh).
# Everything listens on 127.0.0.1 only; the data folder is a temporary
# directory removed on exit.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
PERSONS=${PERSONS:-100000}
OWN=${OWN:-980}            # cases opened by ngo-small itself
REFERRED=${REFERRED:-20}   # IOM cases referred to it and accepted
DURATION=${DURATION:-10}   # seconds per wrk run
WARMUP=${WARMUP:-5}        # seconds of a first, unjudged run (0: none)
CONNS=${CONNS:-8}          # concurrent clients of each run
release=$repo/build-release
himoya=$release/himoya


. "$repo/bench/lib.sh"
bench_start referrals wrk curl node meson

secs() { awk -v ms="$1" 'BEGIN { printf "%.1f", ms / 1000 }'; }

t_start=$(now_ms)
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

# ---- build ---------------------------------------------------------------

bench_release

# ---- the demo folder and the small organisation --------------------------

data=$scratch/data
say "himoya demo --persons $PERSONS"
t0=$(now_ms)
"$himoya" demo --data "$data" $(bench_db) --persons "$PERSONS" --seed 1 >"$scratch/demo.out"
demo_s=$(secs $(( $(now_ms) - t0 )))
grep '^Demo data folder' "$scratch/demo.out" >&2 || true

"$himoya" org add --data "$data" --code ngo-small --name "Small NGO" --type NGO >/dev/null
echo "a timing passphrase of some length" |
	"$himoya" user add --data "$data" --org ngo-small --login small.worker --role caseworker \
		--password-stdin >/dev/null
small_token=$("$himoya" token create --data "$data" --login small.worker --label bench)
iom_token=$("$himoya" token create --data "$data" --login caseworker --label bench)

port=$(free_port)
url=http://127.0.0.1:$port
bench_serve

# ---- the small organisation's 1000 cases, through the API -----------------

cat >"$scratch/setup.mjs" <<'JS'
const url = process.env.HIMOYA_URL;
const small = process.env.SMALL_TOKEN, iom = process.env.IOM_TOKEN;
const own = Number(process.env.OWN), referred = Number(process.env.REFERRED);
const V1 = url + '/api/v1';

async function req(token, method, path, body, want) {
  const res = await fetch(V1 + path, {
    method,
    headers: { authorization: 'Bearer ' + token,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (want && res.status !== want) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

async function pool(n, conc, fn) {
  let next = 0;
  const out = new Array(n);
  async function worker() {
    while (next < n) { const i = next++; out[i] = await fn(i); }
  }
  await Promise.all(Array.from({ length: conc }, worker));
  return out;
}

const given = ['Фаррух', 'Мадина', 'Ҷамшед', 'Zarina', 'Алишер', 'Нилуфар', 'Rustam', 'Гулнора'];
const family = ['Ҷумъаев', 'Раҳимова', 'Qodirov', 'Саидзода', 'Абдуллоев', 'Nazarova', 'Шарипов'];

// 980 persons, each with an assistance consent and a case, in ngo-small.
let t = Date.now();
const ownCases = await pool(own, 16, async (i) => {
  const p = await req(small, 'POST', '/persons', {
    given_name: given[i % given.length], family_name: family[(i * 7) % family.length],
    birth_date: '1990-05-01', gender: i % 2 ? 'Masculine' : 'Feminine', citizenship: 'TJ',
  }, 201);
  await req(small, 'POST', `/persons/${p.id}/consents`,
    { purpose: 'assistance', method: 'written' }, 201);
  const c = await req(small, 'POST', '/cases', { person_id: p.id }, 201);
  return c.id;
});
console.error(`   ${own} persons + consents + cases in ngo-small: ${Date.now() - t} ms`);

// 20 open IOM cases referred to ngo-small, each under a referral consent,
// and accepted there.
t = Date.now();
const iomPage = await req(iom, 'GET', `/cases?status=Active&limit=${referred}`, undefined, 200);
if (iomPage.items.length !== referred) throw new Error(`IOM has ${iomPage.items.length} open cases`);
const refCases = iomPage.items.map((c) => c.id);
await pool(referred, 8, async (i) => {
  const c = iomPage.items[i];
  await req(iom, 'POST', `/persons/${c.person_id}/consents`,
    { purpose: 'referral', method: 'written', recipient_org: 'ngo-small' }, 201);
  const f = await req(iom, 'POST', '/referrals', {
    case_id: c.id, to_org: 'ngo-small', reason: 'Shelter and legal aid (bench)',
    share: ['status', 'stage', 'given_name', 'family_name'],
  }, 201);
  await req(small, 'POST', `/referrals/${f.id}/accept`, undefined, 200);
});
console.error(`   ${referred} referrals sent by IOM and accepted: ${Date.now() - t} ms`);

// The whole list, paged once: exactly the own and the referred cases.
t = Date.now();
const seen = new Set();
let cursor = null, pages = 0, deep = null, sharedViews = 0;
for (;;) {
  const page = await req(small, 'GET',
    '/cases?limit=50' + (cursor ? '&cursor=' + encodeURIComponent(cursor) : ''), undefined, 200);
  pages++;
  for (const c of page.items) {
    if (seen.has(c.id)) throw new Error(`case ${c.id} listed twice`);
    seen.add(c.id);
    if (c.shared_view) sharedViews++;
  }
  if (pages === 10) deep = page.next;
  if (!page.next) break;
  cursor = page.next;
}
const want = new Set([...ownCases, ...refCases]);
const missing = [...want].filter((id) => !seen.has(id));
const extra = [...seen].filter((id) => !want.has(id));
// IOM cases that were not referred must not show (the next 200 of IOM's list).
const iomMore = await req(iom, 'GET', '/cases?limit=200', undefined, 200);
const leaked = iomMore.items.filter((c) => !refCases.includes(c.id) && seen.has(c.id)).length;
console.error(`   paged the list: ${pages} pages, ${seen.size} cases (${sharedViews} shared views),` +
  ` missing ${missing.length}, unexpected ${extra.length}, unreferred IOM cases seen ${leaked}` +
  ` of ${iomMore.items.length} checked: ${Date.now() - t} ms`);
if (seen.size !== own + referred || missing.length || extra.length || leaked ||
    sharedViews !== referred)
  throw new Error('the list is not exactly the own and the referred cases');
if (!deep) throw new Error('the list has fewer than 11 pages');
process.stdout.write(JSON.stringify({ seen: seen.size, pages, deep }) + '\n');
JS

say "creating $OWN cases in ngo-small and $REFERRED referrals from IOM"
t0=$(now_ms)
HIMOYA_URL=$url SMALL_TOKEN=$small_token IOM_TOKEN=$iom_token OWN=$OWN REFERRED=$REFERRED \
	node "$scratch/setup.mjs" >"$scratch/setup.json"
setup_s=$(secs $(( $(now_ms) - t0 )))
visible=$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1])).seen)' \
	"$scratch/setup.json")
deep=$(node -e 'console.log(encodeURIComponent(JSON.parse(require("fs").readFileSync(process.argv[1])).deep))' \
	"$scratch/setup.json")
total_cases=$(sqlite3 "file:$data/himoya.db?mode=ro" "SELECT count(*) FROM cases" 2>/dev/null || echo "?")

# ---- wrk -----------------------------------------------------------------

cat >"$scratch/list.lua" <<'LUA'
wrk.headers["Authorization"] = "Bearer " .. os.getenv("HIMOYA_TOKEN")
wrk.path = os.getenv("BENCH_PATH")
function done(summary, latency, requests)
  io.write(string.format("P95_US %d\nP99_US %d\n", latency:percentile(95.0),
    latency:percentile(99.0)))
end
LUA

to_ms() { # "1.23ms" | "850.00us" | "1.02s" -> milliseconds
	awk -v v="$1" 'BEGIN {
		n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
		if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000
		printf "%.2f", n }'
}

# run NAME PATH [SECONDS]: wrk on PATH; sets NAME_rps, NAME_p50, NAME_p90, NAME_p95,
# NAME_p99 (ms), NAME_n (requests), NAME_bad (non-2xx + socket errors).
run() {
	local name=$1 path=$2 seconds=${3:-$DURATION} out=$scratch/$1.out
	curl -fs -o "$out" -H "Authorization: Bearer $small_token" "$url$path" &&
		grep -q '"items":\[{' "$out" || { echo "bench: $path is empty or failing" >&2; exit 1; }
	say "GET $path (${seconds} s)"
	BENCH_PATH=$path HIMOYA_TOKEN=$small_token \
		wrk -t2 -c"$CONNS" -d"${seconds}s" --latency --timeout 5s -s "$scratch/list.lua" "$url" \
		>"$out" 2>&1
	grep -v '_US ' "$out" >&2
	printf -v "${name}_rps" '%s' "$(awk '/^Requests\/sec:/ {print $2}' "$out")"
	printf -v "${name}_p50" '%s' "$(to_ms "$(awk '$1 == "50%" {print $2}' "$out")")"
	printf -v "${name}_p90" '%s' "$(to_ms "$(awk '$1 == "90%" {print $2}' "$out")")"
	printf -v "${name}_p99" '%s' "$(awk '$1 == "P99_US" {printf "%.2f", $2 / 1000}' "$out")"
	printf -v "${name}_p95" '%s' "$(awk '$1 == "P95_US" {printf "%.2f", $2 / 1000}' "$out")"
	printf -v "${name}_n" '%s' "$(awk '/ requests in / {print $1}' "$out")"
	printf -v "${name}_bad" '%s' "$(awk '
		/Non-2xx or 3xx responses:/ {n += $NF}
		/Socket errors:/ {gsub(/,/, ""); n += $4 + $6 + $8 + $10}
		END {print n + 0}' "$out")"
}

# The server has just started on a freshly loaded 1 GB database: its
# first seconds (cold caches, a write-ahead log that still grows under the
# audit entries of every page) are shown but not judged.
[ "$WARMUP" -gt 0 ] && run warm "/api/v1/cases?limit=50" "$WARMUP"
run all "/api/v1/cases?limit=50"
run active "/api/v1/cases?status=Active&limit=50"
run deep "/api/v1/cases?limit=50&cursor=$deep"

# ---- report --------------------------------------------------------------

fail=0
check() { # "budget" "measured" condition...
	local what=$1 measured=$2 v=PASS
	shift 2
	"$@" || { v=FAIL; fail=1; }
	printf '%-46s %-22s %s\n' "$what" "$measured" "$v"
}
le() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a <= b) }'; }
row() { printf '%-34s %10s %9s %8s %8s %8s %8s %7s\n' "$@"; }

echo
echo "himoya referral-scope case list benchmark: $PERSONS demo persons, $total_cases cases;" \
	"ngo-small sees $visible ($OWN own + $REFERRED referred);" \
	"wrk -t2 -c$CONNS -d${DURATION}s, $(nproc) cores"
echo "demo ${demo_s} s, setup through the API ${setup_s} s; load average $load_before at the start," \
	"$(cut -d' ' -f1-3 /proc/loadavg) at the end"
row "run (as the ngo-small case worker)" "requests/s" "requests" "p50 ms" "p90 ms" "p95 ms" \
	"p99 ms" "errors"
[ "$WARMUP" -gt 0 ] && row "warm-up ${WARMUP} s, cases?limit=50" "$warm_rps" "$warm_n" "$warm_p50" \
	"$warm_p90" "$warm_p95" "$warm_p99" "$warm_bad"
row "GET cases?limit=50" "$all_rps" "$all_n" "$all_p50" "$all_p90" "$all_p95" "$all_p99" "$all_bad"
row "GET cases?status=Active&limit=50" "$active_rps" "$active_n" "$active_p50" "$active_p90" \
	"$active_p95" "$active_p99" "$active_bad"
row "GET cases?limit=50&cursor=(page 11)" "$deep_rps" "$deep_n" "$deep_p50" "$deep_p90" \
	"$deep_p95" "$deep_p99" "$deep_bad"
echo
printf '%-46s %-22s %s\n' "budget" "measured" "verdict"
check "the list holds exactly $((OWN + REFERRED)) cases" "$visible" test "$visible" -eq $((OWN + REFERRED))
check "case list, first page: p99 <= 50 ms" "$all_p99 ms" le "$all_p99" 50
check "case list, status=Active: p99 <= 50 ms" "$active_p99 ms" le "$active_p99" 50
check "case list, page 11 by cursor: p99 <= 50 ms" "$deep_p99 ms" le "$deep_p99" 50
check "every request answered 200" "$all_bad, $active_bad, $deep_bad errors" \
	test $((all_bad + active_bad + deep_bad)) -eq 0
echo "total time $(secs $(( $(now_ms) - t_start ))) s"
exit $fail
