#!/bin/bash
# The public-page benchmark of issue 6: a page a migrant's phone asks for,
# without login, against the shared baseline server (../shared/bench) in
# the same run:
#
#   1. baseline GET /hello
#   2. himoya GET /public/?lang=tg           (the home page, rendered)
#   3. himoya GET /public/kb/{id}?lang=ru     (a seed article, rendered)
#   4. the same article revalidated (If-None-Match: 304, as a phone does)
#
# and checks: each himoya figure >= 50% of the baseline's requests/s at
# 64 connections, with no error answers.  Exits 1 when a line fails.
#
#   bench/public.sh                     # SHARED defaults to <repo>/../shared
#   DURATION=10 CONNS=64 bench/public.sh
#   RELEASE=build-kb bench/public.sh    # an existing build instead of build-release
#
# Builds: the baseline into build-bench/, himoya into build-release/
# (--buildtype=release) unless RELEASE names another build directory.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
SHARED=${SHARED:-$(dirname "$repo")/shared}
DURATION=${DURATION:-10}
CONNS=${CONNS:-64}
bench_out=$repo/build-bench
release=${RELEASE:-$repo/build-release}
case $release in /*) ;; *) release=$repo/$release ;; esac
himoya=$release/himoya

[ -f "$SHARED/bench/build.sh" ] || { echo "bench: no $SHARED/bench/build.sh (set SHARED)" >&2; exit 2; }

. "$repo/bench/lib.sh"
bench_start public wrk curl node meson sqlite3

# ---- build ---------------------------------------------------------------

say "baseline -> $bench_out"
sh "$SHARED/bench/build.sh" "$bench_out" >&2
if [ -z "${RELEASE:-}" ]; then
	say "himoya release -> $release"
	if [ ! -f "$release/build.ninja" ]; then
		meson setup "$release" "$repo" --buildtype=release -Dbrowser_tests=false >/dev/null
	fi
	meson compile -C "$release" himoya >/dev/null
fi
[ -x "$himoya" ] || { echo "bench: no $himoya" >&2; exit 2; }

# ---- a fresh installation: the seed articles are there -------------------

data=$scratch/data
"$himoya" init --data "$data" --org-code bench --org-name "Bench org" --org-type NGO >/dev/null
[ -n "${HIMOYA_THREADS:-}" ] && echo "threads = $HIMOYA_THREADS" >"$data/himoya.conf"
article=$(sqlite3 "file:$data/himoya.db?mode=ro" \
	"SELECT id FROM kb_articles WHERE country = 'RU' AND topic = 'registration_permits'")
[ -n "$article" ] || { echo "bench: no seed article" >&2; exit 1; }

port_base=$(free_port)
port_himoya=$(free_port)
while [ "$port_himoya" = "$port_base" ]; do port_himoya=$(free_port); done
base_url=http://127.0.0.1:$port_base
himoya_url=http://127.0.0.1:$port_himoya

"$himoya" serve --data "$data" --listen "127.0.0.1:$port_himoya" >"$scratch/himoya.log" 2>&1 &
pids+=($!)
wait_http "$himoya_url/api/v1/health"
"$bench_out/baseline" "$port_base" "$bench_out/baseline.db" 2 >"$scratch/baseline.log" 2>&1 &
pids+=($!)
wait_http "$base_url/hello"

home_bytes=$(curl -fs "$himoya_url/public/?lang=tg" | wc -c)
page_bytes=$(curl -fs "$himoya_url/public/kb/$article?lang=ru" | wc -c)
etag=$(curl -fsI "$himoya_url/public/kb/$article?lang=ru" | awk -F': ' 'tolower($1) == "etag" {print $2}' | tr -d '\r')
[ "$(curl -s -o /dev/null -w '%{http_code}' -H "If-None-Match: $etag" "$himoya_url/public/kb/$article?lang=ru")" = 304 ] ||
	{ echo "bench: the article page does not answer 304 to its ETag" >&2; exit 1; }

cat >"$scratch/revalidate.lua" <<LUA
wrk.headers["If-None-Match"] = '$etag'
LUA

# ---- runs ----------------------------------------------------------------

# run NAME wrk-args...: shows wrk's output; sets NAME_rps, NAME_p99 (ms),
# NAME_bad (non-2xx/3xx answers + socket errors).
to_ms() {
	awk -v v="$1" 'BEGIN {
		n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
		if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000
		printf "%.3f", n }'
}
run() {
	local name=$1 out
	shift
	out=$scratch/$name.out
	wrk "$@" >"$out" 2>&1
	cat "$out" >&2
	printf -v "${name}_rps" '%s' "$(awk '/^Requests\/sec:/ {print $2}' "$out")"
	printf -v "${name}_p99" '%s' "$(to_ms "$(awk '$1 == "99%" {print $2}' "$out")")"
	printf -v "${name}_bad" '%s' "$(awk '
		/Non-2xx or 3xx responses:/ {n += $NF}
		/Socket errors:/ {gsub(/,/, ""); n += $4 + $6 + $8 + $10}
		END {print n + 0}' "$out")"
}

wrk_args=(-t2 -c"$CONNS" -d"${DURATION}s" --latency --timeout 5s)

say "baseline GET /hello"
run base "${wrk_args[@]}" "$base_url/hello"
say "himoya GET /public/?lang=tg ($home_bytes bytes)"
run home "${wrk_args[@]}" "$himoya_url/public/?lang=tg"
say "himoya GET /public/kb/{id}?lang=ru ($page_bytes bytes)"
run page "${wrk_args[@]}" "$himoya_url/public/kb/$article?lang=ru"
say "himoya GET /public/kb/{id}?lang=ru with If-None-Match (304)"
run reval "${wrk_args[@]}" -s "$scratch/revalidate.lua" "$himoya_url/public/kb/$article?lang=ru"

# ---- verdict -------------------------------------------------------------

fail=0
line() { # label rps bad
	local ratio verdict
	ratio=$(awk -v a="$2" -v b="$base_rps" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
	verdict=PASS
	if awk -v r="$ratio" 'BEGIN { exit !(r < 0.5) }' || [ "$3" != 0 ]; then verdict=FAIL; fail=1; fi
	printf '%-44s %10s req/s  ratio %s (>= 0.50)  errors %s  %s\n' "$1" "$2" "$ratio" "$3" "$verdict"
}
echo
printf '%-44s %10s req/s  p99 %s ms\n' "baseline GET /hello" "$base_rps" "$base_p99"
line "himoya GET /public/ (home, $home_bytes B)" "$home_rps" "$home_bad"
line "himoya GET /public/kb/{id} ($page_bytes B)" "$page_rps" "$page_bad"
line "himoya GET /public/kb/{id} revalidated (304)" "$reval_rps" "$reval_bad"
exit $fail
