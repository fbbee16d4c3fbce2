#!/bin/bash
# A national register's size (issue 17, item 7): every list and search a
# case worker and a supervisor use, on a folder of N synthetic persons made
# by `himoya demo`.
#
#   1. himoya demo --persons N: its wall time and the folder's size (with
#      BENCH_DRIVER=postgresql, the database's size as PostgreSQL counts it)
#   2. for each list below, wrk at CONNS connections for DURATION seconds:
#      requests/s, p50, p99; budget p99 <= 50 ms (PASS/FAIL)
#   3. the server's highest resident memory (VmRSS) over all the runs
#
# The lists: the case list unfiltered and with the common filters (status,
# stage, assigned=me, a name), the person search by name (random known
# names in Tajik, Russian, legacy-font and Latin spellings, given name +
# surname too), the due follow-ups (mine, and the whole organisation's),
# the referral inbox and outbox, the hotline's contacts and callbacks, the
# likely duplicates.  Each answers 200 once
# before it is measured.
#
#   bench/scale.sh 100000
#   BENCH_DRIVER=postgresql bench/scale.sh 100000
#   DATA=/tmp/d bench/scale.sh 100000   (measure a folder made before,
#                                        e.g. by `himoya demo`; kept)
#   DURATION=5 CONNS=8 bench/scale.sh 20000
#   ONLY=followups bench/scale.sh 100000  (the lists whose line matches)
#   HIMOYA=/tmp/himoya-old DATA=/tmp/d bench/scale.sh 100000  (another
#                                        binary, e.g. a before/after pair)
#
# Builds himoya into build-release/ (--buildtype=release, as bench/run.sh).
# Everything listens on 127.0.0.1 only; the demo folder is a temporary
# directory removed on exit (1+ GB at 100,000 persons).  Prints a table
# that can be pasted into README and exits 1 when a line fails.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
PERSONS=${1:-${PERSONS:-100000}}
DURATION=${DURATION:-10}   # seconds per wrk run
CONNS=${CONNS:-8}          # concurrent clients of each run
BUDGET_MS=${BUDGET_MS:-50} # p99 of every list
release=$repo/build-release
himoya=${HIMOYA:-$release/himoya}

. "$repo/bench/lib.sh"
bench_start scale wrk curl node meson

# ---- build ---------------------------------------------------------------

[ -n "${HIMOYA:-}" ] || bench_release

# ---- the demo folder -----------------------------------------------------

driver=${BENCH_DRIVER:-sqlite}
if [ -n "${DATA:-}" ]; then
	data=$DATA
	demo_s="(made before)"
else
	data=$scratch/data
	say "himoya demo --persons $PERSONS ($driver)"
	t0=$(now_ms)
	"$himoya" demo --data "$data" $(bench_db) --persons "$PERSONS" --seed 1 >"$scratch/demo.out"
	t1=$(now_ms)
	demo_s=$(awk -v ms=$((t1 - t0)) 'BEGIN { printf "%.1f s", ms / 1000 }')
	grep '^Demo data folder' "$scratch/demo.out" >&2
fi
size=$(du -sh "$data" | cut -f1)
dburl=$(sed -n 's/^database *= *//p' "$data/himoya.conf" 2>/dev/null || true)
if [ -n "$dburl" ]; then
	size="$size folder, $(psql "$dburl" -XAtc 'SELECT pg_size_pretty(pg_database_size(current_database()))') database"
fi

declare -A token
for login in caseworker supervisor hotline ngo.worker; do
	token[$login]=$("$himoya" token create --data "$data" --login "$login" --label bench 2>/dev/null)
done

port=$(free_port)
url=http://127.0.0.1:$port
bench_serve

# ---- what is measured ----------------------------------------------------

# login|path; NAME in a path is replaced, request by request, by a random
# one of the names below (URL-encoded).
lists=(
	"caseworker|/api/v1/cases?limit=50"
	"caseworker|/api/v1/cases?status=Active&limit=50"
	"caseworker|/api/v1/cases?stage=identification&limit=50"
	"caseworker|/api/v1/cases?assigned=me&limit=50"
	"caseworker|/api/v1/cases?q=NAME&limit=50"
	"caseworker|/api/v1/persons?q=NAME"
	"caseworker|/api/v1/followups"
	"caseworker|/api/v1/referrals?box=out"
	"ngo.worker|/api/v1/referrals"
	"supervisor|/api/v1/cases?status=Active&limit=50"
	"supervisor|/api/v1/persons?q=NAME"
	"supervisor|/api/v1/followups?assigned=all"
	"supervisor|/api/v1/duplicates"
	"supervisor|/api/v1/contacts?limit=50"
	"hotline|/api/v1/contacts?limit=50"
	"hotline|/api/v1/callbacks"
)

if [ -n "${ONLY:-}" ]; then
	mapfile -t lists < <(printf '%s\n' "${lists[@]}" | grep -E -- "$ONLY")
fi

# Surnames the demo spells in every script, and given name + surname.
cat >"$scratch/names.lua" <<'LUA'
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
function init(args)
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
end
function request()
  local path = PATH:gsub("NAME", function() return enc(names[math.random(1, #names)]) end)
  return wrk.format("GET", path)
end
LUA

script() { # login path -> a wrk script for it
	local f=$scratch/run-$RANDOM.lua
	{
		printf 'wrk.headers["Authorization"] = "Bearer %s"\n' "${token[$1]}"
		printf 'PATH = "%s"\n' "$2"
		cat "$scratch/names.lua"
	} >"$f"
	echo "$f"
}

to_ms() { # "1.23ms" | "850.00us" | "1.02s" -> milliseconds
	awk -v v="$1" 'BEGIN {
		n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
		if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000
		printf "%.1f", n }'
}

# The server's resident memory in kB, sampled every 0.2 s; the highest kept.
rss_sampler() { # out-file
	local max=0 v
	while kill -0 "$server_pid" 2>/dev/null; do
		v=$(awk '/^VmRSS:/ {print $2}' "/proc/$server_pid/status" 2>/dev/null || echo 0)
		[ "${v:-0}" -gt "$max" ] && max=$v && echo "$max" >"$1"
		sleep 0.2
	done
}

# Each list once first: it must answer 200.
for l in "${lists[@]}"; do
	login=${l%%|*} path=${l#*|}
	code=$(curl -s -o "$scratch/first.json" -w '%{http_code}' -H "Authorization: Bearer ${token[$login]}" \
		"$url${path//NAME/Rakhimov}")
	[ "$code" = 200 ] || { echo "bench: $login $path answered $code" >&2; cat "$scratch/first.json" >&2; exit 1; }
done

echo 0 >"$scratch/rss"
rss_sampler "$scratch/rss" &
sampler_pid=$!
pids+=($sampler_pid)

row() { printf '| %-10s | %-40s | %10s | %8s | %8s | %7s | %-4s |\n' "$@"; }
table=$scratch/table
{
	echo "himoya at $PERSONS persons ($driver): demo $demo_s, $size;" \
		"catch-up at start ${catch_up_s} s; wrk -t2 -c$CONNS -d${DURATION}s, $(nproc) cores"
	echo
	row "user" "GET" "requests/s" "p50 ms" "p99 ms" "errors" "p99"
	row "---" "---" "---:" "---:" "---:" "---:" "---"
} >"$table"

fail=0
for l in "${lists[@]}"; do
	login=${l%%|*} path=${l#*|}
	say "$login GET $path"
	out=$scratch/wrk.out
	wrk -t2 -c"$CONNS" -d"${DURATION}s" --latency --timeout 5s -s "$(script "$login" "$path")" \
		"$url" >"$out" 2>&1 || true
	grep -v '^ *[0-9]*%' "$out" >&2 || true
	rps=$(awk '/^Requests\/sec:/ {printf "%.0f", $2}' "$out")
	p50=$(to_ms "$(awk '$1 == "50%" {print $2}' "$out")")
	p99=$(to_ms "$(awk '$1 == "99%" {print $2}' "$out")")
	bad=$(awk '/Non-2xx or 3xx responses:/ {n += $NF}
		/Socket errors:/ {gsub(/,/, ""); n += $4 + $6 + $8 + $10}
		END {print n + 0}' "$out")
	v=PASS
	awk -v a="$p99" -v b="$BUDGET_MS" 'BEGIN { exit !(a <= b) }' && [ "$bad" -eq 0 ] || { v=FAIL; fail=1; }
	row "$login" "${path#/api/v1}" "$rps" "$p50" "$p99" "$bad" "$v" >>"$table"
done
kill "$sampler_pid" 2>/dev/null || true
wait "$sampler_pid" 2>/dev/null || true
rss_mb=$(awk '{printf "%.1f", $1 / 1024}' "$scratch/rss")

echo
cat "$table"
echo
echo "server resident memory, highest over the runs: $rss_mb MB;" \
	"NAME: one of 48 known names at random, Cyrillic, legacy-font and Latin spellings"
exit $fail
