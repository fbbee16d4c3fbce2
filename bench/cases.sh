#!/bin/bash
# The case-register benchmark of DESIGN.md §7 on a folder of 100 000
# synthetic persons made by `himoya demo`:
#
#   1. himoya demo --persons 100000            budget: <= 30 s
#   2. GET /api/v1/cases?status=Active&limit=50  (a case worker's filtered
#      list page, bearer token)                  budget: p99 <= 50 ms
#   3. GET /api/v1/persons?q=NAME              (fuzzy name search, random
#      known surnames in Tajik, Russian, legacy-font and Latin spellings)
#                                               budget: p95 <= 50 ms
#      (and, for reading the figures, the same from a single connection)
#   4. the server's resident memory (VmRSS, sampled while wrk runs)
#                                               budget: <= 150 MB
#
# wrk --latency prints the 50/75/90/99th percentiles; the p95 comes from
# the Lua script's done() callback (latency:percentile(95)).  Prints a
# table with PASS/FAIL and exits 1 when a line fails.
#
#   bench/cases.sh
#   PERSONS=20000 DURATION=5 CONNS=16 bench/cases.sh
#
# Builds himoya into build-release/ (--buildtype=release, as bench/run.sh).
# Everything listens on 127.0.0.1 only; the data folder is a temporary
# directory removed on exit.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
PERSONS=${PERSONS:-100000}
DURATION=${DURATION:-10}   # seconds per wrk run
CONNS=${CONNS:-8}          # concurrent clients of each run
release=$repo/build-release
himoya=$release/himoya


. "$repo/bench/lib.sh"
bench_start cases wrk curl node meson


# ---- build ---------------------------------------------------------------

bench_release

# ---- the demo folder -----------------------------------------------------

data=$scratch/data
say "himoya demo --persons $PERSONS"
db_opt=$(bench_db)
t0=$(now_ms)
"$himoya" demo --data "$data" $db_opt --persons "$PERSONS" --seed 1 >"$scratch/demo.out"
t1=$(now_ms)
demo_s=$(awk -v ms=$((t1 - t0)) 'BEGIN { printf "%.1f", ms / 1000 }')
grep '^Demo data folder' "$scratch/demo.out" >&2
db_mb=$(bench_db_mb "$data" "$db_opt")
token=$("$himoya" token create --data "$data" --login caseworker --label bench)

port=$(free_port)
url=http://127.0.0.1:$port
bench_serve

# ---- wrk scripts ---------------------------------------------------------

# The p95 (and the rest) from wrk's own histogram, in microseconds.
done_lua='
function done(summary, latency, requests)
  io.write(string.format("P95_US %d\nP90_US %d\nP99_US %d\n", latency:percentile(95.0),
    latency:percentile(90.0), latency:percentile(99.0)))
end'

cat >"$scratch/cases.lua" <<LUA
wrk.headers["Authorization"] = "Bearer " .. os.getenv("HIMOYA_TOKEN")
wrk.path = "/api/v1/cases?status=Active&limit=50"
$done_lua
LUA

# Surnames the demo spells in every script, and given name + surname.
cat >"$scratch/search.lua" <<LUA
wrk.headers["Authorization"] = "Bearer " .. os.getenv("HIMOYA_TOKEN")
local names = {
  "Ҷумъаев", "Джумаев", "Jumaev", "Dzhumaev", "Djumaev", "Љумъаева", "Jum'azoda",
  "Раҳимов", "Рахимова", "Rahimov", "Rakhimov", "Рањимзода", "Rahimi",
  "Қодиров", "Кодиров", "Qodirov", "Kodirova", "Ќодирзода",
  "Саидзода", "Саидова", "Saidov", "Ғафуров", "Гафурова", "Ghafurov", "Gafurzoda",
  "Назарова", "Nazarov", "Шарифзода", "Sharifov", "Юсуфов", "Yusufzoda",
  "Мирзоев", "Mirzoyev", "Усмонов", "Usmonova", "Ҳасанов", "Хасанов", "Khasanov",
  "Давлатзода", "Davlatov", "Содиқов", "Sodiqov", "Сафарова", "Safarzoda",
  "Фаррух Раҳимов", "Madina Nazarova", "Ҷамшед Қодиров", "Zarina Saidova",
}
local function enc(s)
  return (s:gsub("[^%w%-_%.~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end
local i = 0
function init(args)
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
end
function request()
  i = math.random(1, #names)
  return wrk.format("GET", "/api/v1/persons?q=" .. enc(names[i]))
end
$done_lua
LUA

# ---- runs ----------------------------------------------------------------

to_ms() { # "1.23ms" | "850.00us" | "1.02s" -> milliseconds
	awk -v v="$1" 'BEGIN {
		n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
		if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000
		printf "%.2f", n }'
}

# The server's resident memory in kB, sampled every 0.2 s into a file
# until stopped; the highest sample is kept.
rss_sampler() { # out-file
	local max=0 v
	while kill -0 "$server_pid" 2>/dev/null; do
		v=$(awk '/^VmRSS:/ {print $2}' "/proc/$server_pid/status" 2>/dev/null || echo 0)
		[ "${v:-0}" -gt "$max" ] && max=$v && echo "$max" >"$1"
		sleep 0.2
	done
}

# run NAME wrk-args...: shows wrk's output; sets NAME_rps, NAME_p50, NAME_p90,
# NAME_p95, NAME_p99 (ms), NAME_n (requests), NAME_bad (non-2xx + socket errors).
run() {
	local name=$1 out
	shift
	out=$scratch/$name.out
	wrk "$@" >"$out" 2>&1
	grep -v '_US ' "$out" >&2
	printf -v "${name}_rps" '%s' "$(awk '/^Requests\/sec:/ {print $2}' "$out")"
	printf -v "${name}_p50" '%s' "$(to_ms "$(awk '$1 == "50%" {print $2}' "$out")")"
	printf -v "${name}_p90" '%s' "$(to_ms "$(awk '$1 == "90%" {print $2}' "$out")")"
	printf -v "${name}_p99" '%s' "$(to_ms "$(awk '$1 == "99%" {print $2}' "$out")")"
	printf -v "${name}_p95" '%s' "$(awk '$1 == "P95_US" {printf "%.2f", $2 / 1000}' "$out")"
	printf -v "${name}_n" '%s' "$(awk '/ requests in / {print $1}' "$out")"
	printf -v "${name}_bad" '%s' "$(awk '
		/Non-2xx or 3xx responses:/ {n += $NF}
		/Socket errors:/ {gsub(/,/, ""); n += $4 + $6 + $8 + $10}
		END {print n + 0}' "$out")"
}

export HIMOYA_TOKEN=$token
wrk_args=(-t2 -c"$CONNS" -d"${DURATION}s" --latency --timeout 5s)

# One request of each first: both must answer 200 with items.
curl -fs -H "Authorization: Bearer $token" "$url/api/v1/cases?status=Active&limit=50" |
	grep -q '"items":\[{' || { echo "bench: the case list is empty or failing" >&2; exit 1; }
curl -fs -G -H "Authorization: Bearer $token" "$url/api/v1/persons" --data-urlencode "q=Rakhimov" |
	grep -q '"items":\[{' || { echo "bench: the name search finds nothing" >&2; exit 1; }

echo 0 >"$scratch/rss"
rss_sampler "$scratch/rss" &
sampler_pid=$!
pids+=($sampler_pid)

say "GET /api/v1/cases?status=Active&limit=50"
run cases "${wrk_args[@]}" -s "$scratch/cases.lua" "$url"
say "GET /api/v1/persons?q=NAME"
run search "${wrk_args[@]}" -s "$scratch/search.lua" "$url"
# For reading the figures: the same search from one client at a time.
say "GET /api/v1/persons?q=NAME, one connection"
run search1 -t1 -c1 -d"$(( (DURATION + 1) / 2 ))s" --latency --timeout 5s \
	-s "$scratch/search.lua" "$url"
kill "$sampler_pid" 2>/dev/null || true
wait "$sampler_pid" 2>/dev/null || true
rss_mb=$(awk '{printf "%.1f", $1 / 1024}' "$scratch/rss")

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
echo "himoya case register benchmark: $PERSONS persons (${BENCH_DRIVER:-sqlite}, database ${db_mb} MB; matching pass at start ${catch_up_s} s)," \
	"wrk -t2 -c$CONNS -d${DURATION}s, $(nproc) cores"
row "run" "requests/s" "requests" "p50 ms" "p90 ms" "p95 ms" "p99 ms" "errors"
row "GET cases?status=Active&limit=50" "$cases_rps" "$cases_n" "$cases_p50" "$cases_p90" \
	"$cases_p95" "$cases_p99" "$cases_bad"
row "GET persons?q=NAME" "$search_rps" "$search_n" "$search_p50" "$search_p90" \
	"$search_p95" "$search_p99" "$search_bad"
row "  the same, 1 connection" "$search1_rps" "$search1_n" "$search1_p50" "$search1_p90" \
	"$search1_p95" "$search1_p99" "$search1_bad"
echo
printf '%-46s %-22s %s\n' "budget (DESIGN.md §7)" "measured" "verdict"
check "himoya demo --persons $PERSONS <= 30 s" "$demo_s s" le "$demo_s" 30
check "case list page p99 <= 50 ms" "$cases_p99 ms" le "$cases_p99" 50
check "name search p95 <= 50 ms" "$search_p95 ms (p99 $search_p99)" le "$search_p95" 50
check "server resident memory <= 150 MB" "$rss_mb MB" le "$rss_mb" 150
check "every request answered 200" "$cases_bad, $search_bad errors" \
	test $((cases_bad + search_bad)) -eq 0
exit $fail
