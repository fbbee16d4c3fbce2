#!/bin/bash
# The reporting benchmark of DESIGN.md §7 and issue #5 on a folder of
# 100 000 synthetic persons made by `himoya demo`:
#
#   1. GET /api/v1/reports/summary?by=sex,age_band,exploitation,country
#      (the analyst, every organisation)        budget: <= 500 ms
#   2. GET /api/v1/exports/ctdc.csv             (the analyst: every case,
#      k-anonymised)                            budget: <= 5 s
#
# Each is timed RUNS times with curl (one request at a time: these are
# single heavy requests, not a load); the median run is the figure, shown
# with the best and worst and with the server's CPU time per request (on
# a machine shared with other work the wall time grows, the CPU time does
# not).  A missing summary endpoint (404/405) is reported as skipped, not
# failed.
#
#   bench/reports.sh
#   PERSONS=20000 RUNS=3 bench/reports.sh
#
# Builds himoya into build-release/ (--buildtype=release, as bench/run.sh),
# or into $RELEASE_DIR.
# Everything listens on 127.0.0.1 only; the data folder is a temporary
# directory removed on exit.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
PERSONS=${PERSONS:-100000}
RUNS=${RUNS:-5}
release=${RELEASE_DIR:-$repo/build-release}   # RELEASE_DIR: another build folder
himoya=$release/himoya

. "$repo/bench/lib.sh"
bench_start reports curl node meson

# ---- build ---------------------------------------------------------------

bench_release

# ---- the demo folder -----------------------------------------------------

data=$scratch/data
say "himoya demo --persons $PERSONS"
"$himoya" demo --data "$data" $(bench_db) --persons "$PERSONS" --seed 1 >"$scratch/demo.out"
grep '^Demo data folder' "$scratch/demo.out" >&2 || true
db_mb=$(du -m "$data/himoya.db" | cut -f1)
token=$("$himoya" token create --data "$data" --login analyst --label bench)

port=$(free_port)
url=http://127.0.0.1:$port
bench_serve

# The server's CPU time (user + system) in milliseconds.
server_cpu_ms() {
	awk -v hz="$(getconf CLK_TCK)" '{ printf "%.0f", ($14 + $15) * 1000 / hz }' \
		"/proc/$server_pid/stat"
}

# time_get NAME PATH: RUNS requests one after the other; sets NAME_ms (the
# median wall time, ms), NAME_best, NAME_worst, NAME_cpu (the server's
# median CPU time per request, ms: what a busy machine does not inflate),
# NAME_status (the last HTTP status) and NAME_bytes.
time_get() {
	local name=$1 path=$2 i out status secs ms c0 c1 walls=() cpus=()
	for i in $(seq 1 "$RUNS"); do
		c0=$(server_cpu_ms)
		out=$(curl -s -o "$scratch/$name.body" -w '%{http_code} %{time_total}' \
			-H "Authorization: Bearer $token" "$url$path")
		c1=$(server_cpu_ms)
		status=${out%% *}
		secs=${out#* }
		ms=$(awk -v s="$secs" 'BEGIN { printf "%.0f", s * 1000 }')
		say "$path: run $i: HTTP $status, $ms ms (server CPU $((c1 - c0)) ms)"
		walls+=("$ms")
		cpus+=("$((c1 - c0))")
		[ "$status" = 200 ] || break
	done
	median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
	printf -v "${name}_ms" '%s' "$(median "${walls[@]}")"
	printf -v "${name}_best" '%s' "$(printf '%s\n' "${walls[@]}" | sort -n | head -1)"
	printf -v "${name}_worst" '%s' "$(printf '%s\n' "${walls[@]}" | sort -n | tail -1)"
	printf -v "${name}_cpu" '%s' "$(median "${cpus[@]}")"
	printf -v "${name}_status" '%s' "$status"
	printf -v "${name}_bytes" '%s' "$(wc -c <"$scratch/$name.body")"
}

say "GET /api/v1/reports/summary?by=sex,age_band,exploitation,country"
time_get summary "/api/v1/reports/summary?by=sex,age_band,exploitation,country"
say "GET /api/v1/exports/ctdc.csv"
time_get ctdc "/api/v1/exports/ctdc.csv"
ctdc_rows=$(($(wc -l <"$scratch/ctdc.body") - 1))

# ---- report --------------------------------------------------------------

fail=0
echo
echo "himoya reporting benchmark: $PERSONS persons (database ${db_mb} MB), $RUNS runs each," \
	"the median counted, $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
case $summary_status in
200)
	v=PASS
	[ "$summary_ms" -le 500 ] || { v=FAIL; fail=1; }
	echo "summary report: $summary_ms ms (budget 500 ms) $v   [best $summary_best ms, worst $summary_worst ms, server CPU $summary_cpu ms, $summary_bytes bytes]"
	;;
404 | 405)
	echo "summary report: skipped (GET /api/v1/reports/summary answered $summary_status: not built yet)"
	;;
*)
	fail=1
	echo "summary report: HTTP $summary_status (budget 500 ms) FAIL"
	;;
esac
if [ "$ctdc_status" = 200 ]; then
	secs=$(awk -v ms="$ctdc_ms" 'BEGIN { printf "%.2f", ms / 1000 }')
	v=PASS
	[ "$ctdc_ms" -le 5000 ] || { v=FAIL; fail=1; }
	echo "CTDC export: $secs s (budget 5 s) $v   [best $ctdc_best ms, worst $ctdc_worst ms, server CPU $ctdc_cpu ms, $ctdc_rows rows, $ctdc_bytes bytes]"
else
	fail=1
	echo "CTDC export: HTTP $ctdc_status (budget 5 s) FAIL"
fi
exit $fail
