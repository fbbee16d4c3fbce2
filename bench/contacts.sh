#!/bin/bash
# The hotline benchmark of issue 6: logging a contact while the caller
# talks.
#
#   POST /api/v1/contacts   (a hotline user's bearer token; every request a
#      data contact with a new number, topics, indicators and a note: so
#      sealing, the number's blind index, the insert and its audit entry
#      in one transaction)     budget: p99 <= 20 ms at 64 connections
#
# on a demo folder (`himoya demo --persons $PERSONS`, which also logs
# 3 000 demo contacts).  wrk --latency prints the percentiles; the script
# prints one line "log a contact: p99 X ms (budget 20 ms) PASS/FAIL" and
# exits 1 on FAIL (also when any request did not answer 201).
#
#   bench/contacts.sh
#   DURATION=5 CONNS=16 bench/contacts.sh
#
# Builds himoya into build-release/ (--buildtype=release, as bench/run.sh;
# RELEASE=DIR builds elsewhere).  Everything listens on 127.0.0.1 only; the
# data folder is a temporary directory removed on exit.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
PERSONS=${PERSONS:-1000}
DURATION=${DURATION:-10}   # seconds of the wrk run
CONNS=${CONNS:-64}         # concurrent clients
release=${RELEASE:-$repo/build-release}
himoya=$release/himoya

. "$repo/bench/lib.sh"
bench_start contacts wrk curl node meson

# ---- build ---------------------------------------------------------------

bench_release

# ---- the demo folder -----------------------------------------------------

data=$scratch/data
say "himoya demo --persons $PERSONS"
"$himoya" demo --data "$data" $(bench_db) --persons "$PERSONS" --seed 1 >"$scratch/demo.out"
grep '^Hotline' "$scratch/demo.out" >&2 || true
token=$("$himoya" token create --data "$data" --login hotline --label bench)

port=$(free_port)
url=http://127.0.0.1:$port
"$himoya" serve --data "$data" --listen "127.0.0.1:$port" >"$scratch/himoya.log" 2>&1 &
server_pid=$!
pids+=($server_pid)
wait_http "$url/api/v1/health"

# ---- the wrk script ------------------------------------------------------

# Each request logs a different caller: a Tajik mobile number in one of the
# formats people type, one or two topics, sometimes indicators, a note.
cat >"$scratch/contacts.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("HIMOYA_TOKEN")
wrk.headers["Content-Type"] = "application/json"
local channels = {"phone", "phone", "phone", "whatsapp", "telegram", "imo", "viber"}
local topics = {"safe_migration", "job_offer_check", "exploitation_report", "legal",
  "missing_person", "other"}
local formats = {"+992 %s %03d %02d %02d", "%s-%03d-%02d-%02d", "992%s%03d%02d%02d",
  "0%s%03d%02d%02d"}
local ops = {"90", "91", "92", "93", "98", "99", "88", "55", "50"}
function init(args)
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
end
function request()
  local phone = string.format(formats[math.random(#formats)], ops[math.random(#ops)],
    math.random(0, 999), math.random(0, 99), math.random(0, 99))
  local t1 = topics[math.random(#topics)]
  local t2 = topics[math.random(#topics)]
  local tl = t1 == t2 and ('"' .. t1 .. '"') or ('"' .. t1 .. '","' .. t2 .. '"')
  local ind = ""
  if math.random(5) == 1 then ind = ',"indicators":["deception","withholding_of_wages"]' end
  local body = string.format('{"channel":"%s","call_type":"data","caller_kind":"self",' ..
    '"language":"tg","duration_s":%d,"topics":[%s]%s,"action":"info_given",' ..
    '"caller_phone":"%s","notes":"Савол дар бораи патент ва бақайдгирӣ, занги %d"}',
    channels[math.random(#channels)], math.random(30, 900), tl, ind, phone, math.random(1, 1e6))
  return wrk.format(nil, "/api/v1/contacts", nil, body)
end
LUA

to_ms() { # "1.23ms" | "850.00us" | "1.02s" -> milliseconds
	awk -v v="$1" 'BEGIN {
		n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
		if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000
		printf "%.2f", n }'
}

# One request first: it must answer 201.
export HIMOYA_TOKEN=$token
code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" \
	-H 'Content-Type: application/json' \
	-d '{"channel":"phone","call_type":"data","caller_phone":"+992 93 123 45 67"}' \
	"$url/api/v1/contacts")
[ "$code" = 201 ] || { echo "bench: POST /api/v1/contacts answered $code" >&2; exit 1; }

say "POST /api/v1/contacts, wrk -t2 -c$CONNS -d${DURATION}s"
out=$scratch/contacts.out
wrk -t2 -c"$CONNS" -d"${DURATION}s" --latency --timeout 5s -s "$scratch/contacts.lua" "$url" \
	>"$out" 2>&1
cat "$out" >&2
rps=$(awk '/^Requests\/sec:/ {print $2}' "$out")
p50=$(to_ms "$(awk '$1 == "50%" {print $2}' "$out")")
p99=$(to_ms "$(awk '$1 == "99%" {print $2}' "$out")")
bad=$(awk '/Non-2xx or 3xx responses:/ {n += $NF}
	/Socket errors:/ {gsub(/,/, ""); n += $4 + $6 + $8 + $10}
	END {print n + 0}' "$out")
stored=$(curl -fs -H "Authorization: Bearer $token" "$url/api/v1/contacts?limit=1" >/dev/null && echo ok)

verdict=PASS
awk -v a="$p99" 'BEGIN { exit !(a <= 20) }' || verdict=FAIL
[ "$bad" = 0 ] && [ "$stored" = ok ] || verdict=FAIL
echo
echo "himoya hotline benchmark: $rps contacts/s logged, p50 $p50 ms, $bad errors," \
	"wrk -t2 -c$CONNS -d${DURATION}s, $(nproc) cores"
echo "log a contact: p99 $p99 ms (budget 20 ms) $verdict"
[ "$verdict" = PASS ]
