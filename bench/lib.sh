# bench/lib.sh - what every benchmark script shares; sourced, not run.
#
#   bench_start NAME TOOL...   checks the tools, makes $scratch (removed on
#                              exit, with every process listed in $pids)
#   say TEXT                   a progress line on stderr
#   free_port                  a free TCP port on 127.0.0.1
#   wait_http URL              waits until URL answers (10 s at most)
#   now_ms                     the time in milliseconds
#   bench_release              builds himoya into $release (--buildtype=release)
#   bench_serve                starts $himoya on $data at $port (log in
#                              $scratch/himoya.log, pid in $server_pid), waits
#                              for it and for its matching pass at start
#   wait_catch_up LOG PID      waits for the server's network-matching pass at
#                              start (its log line catch_up=); its seconds in
#                              $catch_up_s
#   bench_db_mb DATA DBOPT     the database's size in MB (DBOPT: what bench_db gave)
#   bench_db                   the demo's database option: nothing (SQLite),
#                              or with BENCH_DRIVER=postgresql "--database URL"
#                              of a new database in a cluster of the run's own
#                              (tests/pg/cluster.sh, durable settings)

bench_cleanup() {
	local p
	for p in "${pids[@]}"; do
		kill "$p" 2>/dev/null || true
	done
	for p in "${pids[@]}"; do
		wait "$p" 2>/dev/null || true
	done
	[ -d "$scratch/pg" ] && sh "$(dirname "${BASH_SOURCE[0]}")/../tests/pg/cluster.sh" stop "$scratch/pg" >/dev/null 2>&1
	rm -rf "$scratch"
}

bench_start() { # name tool...
	local name=$1 tool
	shift
	for tool in "$@"; do
		command -v "$tool" >/dev/null || { echo "bench: $tool is needed" >&2; exit 2; }
	done
	scratch=$(mktemp -d "${TMPDIR:-/tmp}/himoya-$name.XXXXXX")
	pids=()
	trap bench_cleanup EXIT
	trap 'exit 130' INT TERM
}

say() { printf '== %s\n' "$*" >&2; }

free_port() {
	node -e 'const s = require("net").createServer(); s.listen(0, "127.0.0.1", () => {
		console.log(s.address().port); s.close(); });'
}

wait_http() { # url
	local i
	for i in $(seq 1 100); do
		curl -fs -o /dev/null "$1" && return 0
		sleep 0.1
	done
	echo "bench: $1 did not answer" >&2
	return 1
}

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# At each start the server re-encodes every consenting person for the
# network matching (api/pprlnet.c, 500 persons a transaction); its reads
# and writes would be measured with the requests, so benchmarks wait.
wait_catch_up() { # log pid
	local t0
	t0=$(now_ms)
	say "waiting for the network matching's pass at start"
	until grep -q 'catch_up=' "$1"; do
		kill -0 "$2" 2>/dev/null || { echo "bench: the server stopped" >&2; return 1; }
		sleep 1
	done
	catch_up_s=$(awk -v ms=$(($(now_ms) - t0)) 'BEGIN { printf "%.0f", ms / 1000 }')
}

bench_db() {
	local url
	[ "${BENCH_DRIVER:-sqlite}" = postgresql ] || return 0
	chmod 755 "$scratch"
	url=$(CLUSTER_DURABLE=1 sh "$(dirname "${BASH_SOURCE[0]}")/../tests/pg/cluster.sh" start "$scratch/pg") || return 1
	psql "$url" -qXc 'CREATE DATABASE bench' >&2 || return 1
	printf -- '--database %s\n' "$(printf '%s' "$url" | sed 's|@/postgres?|@/bench?|')"
}

bench_db_mb() { # data folder, the option bench_db gave
	if [ -n "$2" ]; then
		psql "${2#--database }" -XAtc 'SELECT pg_database_size(current_database()) / 1048576'
	else
		du -m "$1/himoya.db" | cut -f1
	fi
}

bench_release() {
	say "himoya release -> $release"
	if [ ! -f "$release/build.ninja" ]; then
		meson setup "$release" "$repo" --buildtype=release -Dbrowser_tests=false >/dev/null
	fi
	meson compile -C "$release" himoya >/dev/null
}

bench_serve() {
	"$himoya" serve --data "$data" --listen "127.0.0.1:$port" >"$scratch/himoya.log" 2>&1 &
	server_pid=$!
	pids+=($server_pid)
	wait_http "http://127.0.0.1:$port/api/v1/health"
	wait_catch_up "$scratch/himoya.log" "$server_pid"
}
