#!/bin/bash
# The read-path benchmark of DESIGN.md §7, measured against the shared
# baseline server (../shared/bench) in the same run:
#
#   1. baseline GET /row?id=N               (random N of 1..1000000)
#   2. himoya GET /api/v1/persons/{id}       (bearer token, audited read)
#   3. the same himoya read while a login storm runs beside it
#      (wrong passwords for ever-new logins, so every attempt is a full
#      Argon2id check and no login is ever locked out)
#
# and checks: himoya rps >= 50% of the baseline's, himoya p99 <= 20 ms at
# 64 connections, storm p99 <= 3x quiet p99.  Exits 1 when a line fails.
#
#   bench/run.sh                       # SHARED defaults to <repo>/../shared
#   PERSONS=1000 DURATION=10 bench/run.sh
#
# Builds: the baseline into build-bench/, himoya into build-release/
# (--buildtype=release).  Everything listens on 127.0.0.1 only; the data
# folder is a temporary directory removed on exit.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
SHARED=${SHARED:-$(dirname "$repo")/shared}
PERSONS=${PERSONS:-1000}
DURATION=${DURATION:-10}       # seconds per wrk run
CONNS=${CONNS:-64}
STORM_CONNS=${STORM_CONNS:-8}
bench_out=$repo/build-bench
release=$repo/build-release
himoya=$release/himoya

[ -f "$SHARED/bench/build.sh" ] || { echo "bench: no $SHARED/bench/build.sh (set SHARED)" >&2; exit 2; }

. "$repo/bench/lib.sh"
bench_start bench wrk curl node meson sqlite3

# ---- build ---------------------------------------------------------------

say "baseline -> $bench_out"
sh "$SHARED/bench/build.sh" "$bench_out" >&2
bench_release

# ---- a data folder with persons ------------------------------------------

data=$scratch/data
login=bench.caseworker
db_opt=$(bench_db)
"$himoya" init --data "$data" $db_opt --org-code bench --org-name "Bench org" --org-type NGO >/dev/null
[ -n "${HIMOYA_THREADS:-}" ] && echo "threads = $HIMOYA_THREADS" >"$data/himoya.conf"
echo "a timing passphrase of some length" |
	"$himoya" user add --data "$data" --org bench --login "$login" --role caseworker \
		--password-stdin >/dev/null
token=$("$himoya" token create --data "$data" --login "$login" --label bench)

port_base=$(free_port)
port_himoya=$(free_port)
while [ "$port_himoya" = "$port_base" ]; do port_himoya=$(free_port); done
base_url=http://127.0.0.1:$port_base
himoya_url=http://127.0.0.1:$port_himoya

"$himoya" serve --data "$data" --listen "127.0.0.1:$port_himoya" >"$scratch/himoya.log" 2>&1 &
pids+=($!)
wait_http "$himoya_url/api/v1/health"

say "creating $PERSONS persons through the API"
HIMOYA_URL=$himoya_url HIMOYA_TOKEN=$token PERSONS=$PERSONS node --input-type=module -e '
const url = process.env.HIMOYA_URL, token = process.env.HIMOYA_TOKEN;
const total = Number(process.env.PERSONS);
const given = ["Фаррух", "Мадина", "Ҷамшед", "Zarina", "Алишер", "Нилуфар", "Rustam", "Гулнора"];
const family = ["Ҷумъаев", "Раҳимова", "Qodirov", "Саидзода", "Абдуллоев", "Nazarova", "Шарипов"];
let next = 0;
const ids = [];
async function worker() {
  while (next < total) {
    const i = next++;
    const body = {
      given_name: given[i % given.length], family_name: family[(i * 7) % family.length],
      patronymic: "Азизович", aliases: [`Alias${i}`], birth_date: "1990-05-01",
      gender: i % 2 ? "Masculine" : "Feminine", citizenship: "TJ",
      phones: [`+992 93 ${String(1000000 + i).slice(1)}`],
    };
    const res = await fetch(url + "/api/v1/persons", { method: "POST",
      headers: { authorization: "Bearer " + token, "content-type": "application/json" },
      body: JSON.stringify(body) });
    const text = await res.text();
    if (res.status !== 201) throw new Error(`create: ${res.status} ${text}`);
    ids.push(JSON.parse(text).id);
  }
}
await Promise.all(Array.from({ length: 16 }, worker));
process.stdout.write(ids.join("\n") + "\n");
' >"$scratch/ids"
[ "$(wc -l <"$scratch/ids")" -eq "$PERSONS" ] || { echo "bench: person creation failed" >&2; exit 1; }

# The read must be the audited one: one GET, then its "read" entry.
first=$(head -n 1 "$scratch/ids")
curl -fs -o /dev/null -H "Authorization: Bearer $token" "$himoya_url/api/v1/persons/$first"
# Reads are chained in batches (entries of action "reads", a line per read
# beginning with its action: src/store/audit.c); single "read" entries are
# those of older logs.
audit_reads() {
	local ch=char sql
	[ -n "$db_opt" ] && ch=chr # PostgreSQL's name of it
	sql="SELECT (SELECT count(*) FROM audit WHERE action = 'read')
		+ coalesce((SELECT sum((length($ch(10) || fields)
			- length(replace($ch(10) || fields, $ch(10) || 'read' || $ch(9), ''))) / 6)
			FROM audit WHERE action = 'reads'), 0)"
	if [ -n "$db_opt" ]; then
		psql "${db_opt#--database }" -qXtAc "$sql"
	else
		sqlite3 "file:$data/himoya.db?mode=ro" "$sql"
	fi
}
sleep 0.2 # the flusher commits every 20 ms
[ "$(audit_reads)" -ge 1 ] || { echo "bench: GET of a person wrote no audit entry" >&2; exit 1; }

"$bench_out/baseline" "$port_base" "$bench_out/baseline.db" 2 >"$scratch/baseline.log" 2>&1 &
base_pid=$!
pids+=($base_pid)
wait_http "$base_url/hello"

# ---- wrk scripts ---------------------------------------------------------

cat >"$scratch/row.lua" <<'LUA'
function init(args)
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
end
function request()
  return wrk.format("GET", "/row?id=" .. math.random(1, 1000000))
end
LUA

cat >"$scratch/person.lua" <<'LUA'
local ids = {}
for line in io.lines(os.getenv("IDS_FILE")) do ids[#ids + 1] = line end
wrk.headers["Authorization"] = "Bearer " .. os.getenv("HIMOYA_TOKEN")
local i = 0
function init(args)
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
  i = math.random(1, #ids)
end
function request()
  i = i % #ids + 1
  return wrk.format("GET", "/api/v1/persons/" .. ids[i])
end
LUA

cat >"$scratch/storm.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local tag, n = 0, 0
function init(args)
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
  tag = math.random(1, 1000000000)
end
function request()
  n = n + 1
  -- a new login every time: lockout counts per login, so none is locked
  local body = string.format('{"login":"storm-%d-%d","password":"wrong password"}', tag, n)
  return wrk.format(nil, "/api/v1/session", nil, body)
end
LUA

# ---- runs ----------------------------------------------------------------

to_ms() { # "1.23ms" | "850.00us" | "1.02s" -> milliseconds
	awk -v v="$1" 'BEGIN {
		n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
		if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000
		printf "%.3f", n }'
}

# run NAME wrk-args...: shows wrk's output; sets NAME_rps, NAME_p50, NAME_p99
# (ms), NAME_n (requests), NAME_bad (non-2xx answers + socket errors).
run() {
	local name=$1 out
	shift
	out=$scratch/$name.out
	wrk "$@" >"$out" 2>&1
	cat "$out" >&2
	printf -v "${name}_rps" '%s' "$(awk '/^Requests\/sec:/ {print $2}' "$out")"
	printf -v "${name}_p50" '%s' "$(to_ms "$(awk '$1 == "50%" {print $2}' "$out")")"
	printf -v "${name}_p99" '%s' "$(to_ms "$(awk '$1 == "99%" {print $2}' "$out")")"
	printf -v "${name}_n" '%s' "$(awk '/ requests in / {print $1}' "$out")"
	printf -v "${name}_bad" '%s' "$(awk '
		/Non-2xx or 3xx responses:/ {n += $NF}
		/Socket errors:/ {gsub(/,/, ""); n += $4 + $6 + $8 + $10}
		END {print n + 0}' "$out")"
}

export IDS_FILE=$scratch/ids HIMOYA_TOKEN=$token
wrk_args=(-t2 -c"$CONNS" -d"${DURATION}s" --latency --timeout 5s)

say "baseline GET /row"
run base "${wrk_args[@]}" -s "$scratch/row.lua" "$base_url"

say "himoya GET /api/v1/persons/{id}"
reads_before=$(audit_reads)
run quiet "${wrk_args[@]}" -s "$scratch/person.lua" "$himoya_url"
# The flusher may lag behind the reads: wait for the queue to drain (the
# count stops growing) and note how long that took after the run ended.
drain_start=$(date +%s.%N)
reads_after=$(audit_reads)
still=0
while [ "$still" -lt 5 ] && [ $((reads_after - reads_before)) -lt "$quiet_n" ]; do
	sleep 0.2
	now=$(audit_reads)
	if [ "$now" = "$reads_after" ]; then still=$((still + 1)); else still=0; fi
	reads_after=$now
done
drain_secs=$(awk -v a="$drain_start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')

# The ratio again in ROUNDS short pairs, baseline then himoya back to back,
# so that a machine whose speed drifts (shared cores, other guests) weighs
# on both sides alike.  An idle server takes no CPU from the other.
ROUNDS=${ROUNDS:-4}
pair_base=0
pair_himoya=0
pair_args=(-t2 -c"$CONNS" -d"${PAIR_SECS:-5}s" --timeout 5s)
for round in $(seq 1 "$ROUNDS"); do
	say "pair $round of $ROUNDS"
	run pb "${pair_args[@]}" -s "$scratch/row.lua" "$base_url" 2>/dev/null
	run ph "${pair_args[@]}" -s "$scratch/person.lua" "$himoya_url" 2>/dev/null
	pair_base=$((pair_base + pb_n))
	pair_himoya=$((pair_himoya + ph_n))
done
pair_ratio=$(awk -v a="$pair_himoya" -v b="$pair_base" 'BEGIN { printf "%.3f", a / b }')
# The baseline stays up no longer: it would share the cores with the storm.
kill "$base_pid" && wait "$base_pid" 2>/dev/null || true
pids=("${pids[@]/$base_pid/}")

say "himoya GET /api/v1/persons/{id} with a login storm ($STORM_CONNS connections)"
(run logins -t1 -c"$STORM_CONNS" -d"$((DURATION + 2))s" --latency --timeout 10s \
	-s "$scratch/storm.lua" "$himoya_url" 2>/dev/null
 declare -p logins_rps logins_n logins_p50 logins_p99 >"$scratch/logins.vars") &
storm_pid=$!
pids+=($storm_pid)
sleep 1
run storm "${wrk_args[@]}" -s "$scratch/person.lua" "$himoya_url"
wait "$storm_pid" || true
say "the storm's logins"
cat "$scratch/logins.out" >&2
# shellcheck disable=SC1091
. "$scratch/logins.vars"

# ---- report --------------------------------------------------------------

fail=0
check() { # "budget" "measured" condition...
	local what=$1 measured=$2 v=PASS
	shift 2
	"$@" || { v=FAIL; fail=1; }
	printf '%-50s %-20s %s\n' "$what" "$measured" "$v"
}
ge() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a >= b) }'; }
le() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a <= b) }'; }
ratio=$(awk -v a="$quiet_rps" -v b="$base_rps" 'BEGIN { printf "%.3f", a / b }')
storm_ratio=$(awk -v a="$storm_p99" -v b="$quiet_p99" 'BEGIN { printf "%.2f", a / b }')
audited=$((reads_after - reads_before))
row() { printf '%-34s %12s %10s %10s %10s %8s\n' "$@"; }

echo
echo "himoya read benchmark: $PERSONS persons, wrk -t2 -c$CONNS -d${DURATION}s, $(nproc) cores"
row "run" "requests/s" "requests" "p50 ms" "p99 ms" "errors"
row "baseline GET /row" "$base_rps" "$base_n" "$base_p50" "$base_p99" "$base_bad"
row "himoya GET person (audited)" "$quiet_rps" "$quiet_n" "$quiet_p50" "$quiet_p99" "$quiet_bad"
row "himoya GET person + login storm" "$storm_rps" "$storm_n" "$storm_p50" "$storm_p99" "$storm_bad"
row "  beside it: failed logins" "${logins_rps:-?}" "${logins_n:-?}" "${logins_p50:-?}" \
	"${logins_p99:-?}" "-"
echo "audit read entries for the quiet run: $audited (requests: $quiet_n); the queue drained" \
	"${drain_secs}s after the run ended"
if grep -q 'audit' "$scratch/himoya.log"; then
	echo "himoya's log about the audit:"
	grep 'audit' "$scratch/himoya.log" | sort | uniq -c | head -n 5
fi
echo
printf '%-50s %-20s %s\n' "budget (DESIGN.md §7)" "measured" "verdict"
printf '%-50s %-20s %s\n' "himoya rps / baseline rps, the 10 s runs" "$ratio" "(shown)"
check "the same, $ROUNDS paired runs of ${PAIR_SECS:-5} s" "$pair_ratio" ge "$pair_ratio" 0.5
check "himoya p99 <= 20 ms at $CONNS connections" "$quiet_p99 ms" le "$quiet_p99" 20
check "storm p99 <= 3x quiet p99" "${storm_ratio}x" le "$storm_ratio" 3
check "every read answered 200 (quiet, storm)" "$quiet_bad, $storm_bad errors" \
	test $((quiet_bad + storm_bad)) -eq 0
check "every quiet read audited" "$audited of $quiet_n" test "$audited" -ge "$quiet_n"
exit $fail
