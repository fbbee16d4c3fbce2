#!/bin/sh
# A throwaway PostgreSQL 15 cluster for the tests.
#
#   sh tests/pg/cluster.sh start DIR        make and start a cluster in DIR (new or
#                                           empty); print its libpq URL
#   sh tests/pg/cluster.sh stop DIR         stop it at once and remove DIR
#   sh tests/pg/cluster.sh createdb URL NAME  make database NAME; print its URL
#   sh tests/pg/cluster.sh pause DIR        stop its server (fast), keeping its files
#   sh tests/pg/cluster.sh resume DIR       start it again as it was (an outage's end)
#
# The cluster listens on no TCP port, only on a unix socket in DIR, and
# trusts every local connection: it must never hold anything real.  Its
# superuser is "postgres".  The port only names the socket
# (DIR/.s.PGSQL.PORT), so clusters in different directories never meet
# whatever their ports; each still gets its own (from the script's pid)
# to tell them apart in `ps` and in logs.  initdb and postgres refuse to
# run as root: as root they run as the "postgres" system user (Debian's
# postgresql package makes it), which then owns DIR.
set -eu
bin=${PG_BIN:-/usr/lib/postgresql/15/bin}

usage() {
	echo "usage: $0 start DIR | stop DIR | createdb URL NAME | pause DIR | resume DIR" >&2
	exit 2
}

as_owner() { # run a server binary as the owner of the cluster
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

absdir() {
	case $1 in
	/*) printf '%s\n' "$1" ;;
	*) printf '%s/%s\n' "$(pwd)" "$1" ;;
	esac
}

start() {
	dir=$(absdir "$1")
	case $dir in
	*[!A-Za-z0-9/._-]*) echo "cluster.sh: DIR must be a plain path (letters, digits, / . _ -): $dir" >&2
		exit 2 ;;
	esac
	mkdir -p "$dir"
	if [ -n "$(ls -A "$dir")" ]; then
		echo "cluster.sh: $dir is not empty" >&2
		exit 1
	fi
	if [ "$(id -u)" -eq 0 ]; then
		chown postgres: "$dir"
		# The postgres user must reach DIR through its parents.
		if ! runuser -u postgres -- test -w "$dir"; then
			echo "cluster.sh: user postgres cannot reach $dir (a parent is not searchable)" >&2
			exit 1
		fi
	fi
	chmod 700 "$dir"
	# A unix socket path is at most 107 bytes.
	if [ ${#dir} -gt 80 ]; then
		echo "cluster.sh: $dir is too long for a unix socket path" >&2
		exit 1
	fi
	as_owner "$bin/initdb" -D "$dir/data" -U postgres --no-locale -E UTF8 --auth=trust \
		>"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
	port=$(( 20000 + $$ % 20000 ))
	# Tests need no durability; benchmarks (CLUSTER_DURABLE=1) keep
	# PostgreSQL's defaults, as SQLite keeps synchronous=FULL.
	fast="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
	[ "${CLUSTER_DURABLE:-0}" = 1 ] && fast=""
	as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
		-o "-c listen_addresses= -c unix_socket_directories=$dir -c port=$port $fast" \
		start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
	printf 'postgresql://postgres@/postgres?host=%s&port=%s\n' "$dir" "$port"
}

stop() {
	dir=$(absdir "$1")
	if [ -f "$dir/data/postmaster.pid" ]; then
		as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
	fi
	# Only remove what looks like one of ours.
	if [ -d "$dir/data" ] || [ -f "$dir/initdb.log" ]; then
		rm -rf "$dir"
	elif [ -d "$dir" ]; then
		echo "cluster.sh: $dir holds no cluster; left in place" >&2
		exit 1
	fi
}

createdb() {
	url=$1 name=$2
	case $name in
	*[!a-z0-9_]*|'') echo "cluster.sh: a database name is [a-z0-9_]+" >&2; exit 2 ;;
	esac
	"$bin/psql" -X -q -v ON_ERROR_STOP=1 "$url" -c "CREATE DATABASE $name" >/dev/null
	printf '%s\n' "$url" | sed "s|^\(postgresql://[^/]*/\)[^?]*|\1$name|"
}

pause() {
	dir=$(absdir "$1")
	as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
}

# pg_ctl restart starts a stopped server with the options it last ran
# with (postmaster.opts): its socket and port, so the same URL.
resume() {
	dir=$(absdir "$1")
	as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 restart >/dev/null 2>&1
}

[ $# -ge 2 ] || usage
case $1 in
start) [ $# -eq 2 ] || usage; start "$2" ;;
stop) [ $# -eq 2 ] || usage; stop "$2" ;;
createdb) [ $# -eq 3 ] || usage; createdb "$2" "$3" ;;
pause) [ $# -eq 2 ] || usage; pause "$2" ;;
resume) [ $# -eq 2 ] || usage; resume "$2" ;;
*) usage ;;
esac
