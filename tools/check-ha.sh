#!/bin/sh
# `make check-ha`: failover on one machine.  A one-member etcd, two
# PostgreSQL 15 instances under Patroni (streaming replication, synchronous
# mode: a commit is acknowledged only once the standby has it), two
# `himoya serve` whose `database` lists both hosts with
# target_session_attrs=read-write.  A write load runs through both servers;
# the leader (its postgres and its patroni) is killed with SIGKILL; the
# load must resume within HA_LIMIT seconds and every acknowledged write must
# be found afterwards.  Everything lives in one temporary folder, removed on
# exit with every process started here.
set -eu
cd "$(dirname "$0")/.."
ROOT=$(pwd)
PGBIN=/usr/lib/postgresql/15/bin
HA_LIMIT=${HA_LIMIT:-30}
LOAD_BEFORE=${LOAD_BEFORE:-8}	# seconds of load before the kill
LOAD_AFTER=${LOAD_AFTER:-12}	# seconds of load once writes resumed

for tool in patroni etcd etcdctl "$PGBIN/postgres" node; do
	command -v "$tool" >/dev/null 2>&1 ||
		{ echo "check-ha: $tool is missing (sh tools/deps.sh --ha)"; exit 1; }
done
[ "$(id -u)" -eq 0 ] || { echo "check-ha: run as root (postgres runs as the postgres user)"; exit 1; }

T=$(mktemp -d /tmp/himoya-ha.XXXXXX)
chmod 0711 "$T"
PIDS=""	# processes to stop, newest first

log() { printf '%s check-ha: %s\n' "$(date -u +%H:%M:%S)" "$*"; }

# The postmaster of a data folder (first line of postmaster.pid).
postmaster_of() { [ -f "$1/postmaster.pid" ] && head -n 1 "$1/postmaster.pid" || true; }

cleanup() {
	status=$?
	trap - EXIT INT TERM
	for pid in $PIDS; do kill -TERM "$pid" 2>/dev/null || true; done
	sleep 1
	for dir in "$T/pg1" "$T/pg2"; do
		pm=$(postmaster_of "$dir")
		[ -n "$pm" ] && kill -QUIT "$pm" 2>/dev/null || true
	done
	for pid in $PIDS; do kill -KILL "$pid" 2>/dev/null || true; done
	for dir in "$T/pg1" "$T/pg2"; do
		pm=$(postmaster_of "$dir")
		[ -n "$pm" ] && kill -KILL "$pm" 2>/dev/null || true
	done
	if [ "$status" -ne 0 ] && [ -z "${HA_KEEP:-}" ]; then
		for f in "$T"/*.log; do
			[ -f "$f" ] || continue
			echo "---- tail of $(basename "$f")"
			tail -n 25 "$f"
		done
	fi
	if [ -n "${HA_KEEP:-}" ]; then echo "check-ha: kept $T"; else rm -rf "$T"; fi
	exit "$status"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# Free loopback ports, all distinct.
set -- $(python3 -c '
import socket
socks = [socket.socket() for _ in range(8)]
for s in socks: s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in socks))')
ETCD_CLIENT=$1 ETCD_PEER=$2 PG1=$3 PG2=$4 REST1=$5 REST2=$6 HTTP1=$7 HTTP2=$8

secret() { head -c 18 /dev/urandom | base64 | tr '+/' '-_'; }
SUPER_PW=$(secret) REPL_PW=$(secret) REWIND_PW=$(secret) APP_PW=$(secret)

# HIMOYA_BIN: another himoya binary to test (else the build here, made first).
H=${HIMOYA_BIN:-}
if [ -z "$H" ]; then
	log "building himoya"
	[ -f build/build.ninja ] || meson setup build >/dev/null
	meson compile -C build >/dev/null
	H=$ROOT/build/himoya
fi

# ---- etcd: one member on loopback (a real set-up has three, on three machines)
etcd --name ha --data-dir "$T/etcd" \
	--listen-client-urls "http://127.0.0.1:$ETCD_CLIENT" \
	--advertise-client-urls "http://127.0.0.1:$ETCD_CLIENT" \
	--listen-peer-urls "http://127.0.0.1:$ETCD_PEER" \
	--initial-advertise-peer-urls "http://127.0.0.1:$ETCD_PEER" \
	--initial-cluster "ha=http://127.0.0.1:$ETCD_PEER" >"$T/etcd.log" 2>&1 &
PIDS="$! $PIDS"
i=0
until ETCDCTL_API=3 etcdctl --endpoints "127.0.0.1:$ETCD_CLIENT" endpoint health >/dev/null 2>&1; do
	i=$((i + 1))
	[ $i -lt 50 ] || { log "etcd did not start"; exit 1; }
	sleep 0.2
done
log "etcd on 127.0.0.1:$ETCD_CLIENT"

# ---- two Patroni members
mkdir -m 0700 "$T/pg" "$T/sock"
chown postgres:postgres "$T/pg" "$T/sock"
member() { # name, postgres port, REST port
	cat >"$T/pg/$1.yml" <<EOF
scope: himoya-ha
name: $1
log:
  level: INFO
restapi:
  listen: 127.0.0.1:$3
  connect_address: 127.0.0.1:$3
etcd3:
  hosts: 127.0.0.1:$ETCD_CLIENT
bootstrap:
  dcs:
    # The leader key lives ttl seconds after its holder stopped renewing it:
    # the bound on detecting a dead leader.  loop_wait + 2 * retry_timeout
    # must not exceed it.
    ttl: 10
    loop_wait: 1
    retry_timeout: 4
    maximum_lag_on_failover: 1048576
    # Only the synchronous standby may be promoted, and a commit returns
    # only once it has the WAL: an acknowledged write survives the leader.
    # Not strict: alone, the survivor accepts writes (until the other
    # rejoins, they are on one machine only).
    synchronous_mode: true
    synchronous_mode_strict: false
    postgresql:
      use_pg_rewind: true
      use_slots: true
      parameters:
        wal_level: replica
        hot_standby: "on"
        wal_log_hints: "on"
        max_wal_senders: 5
        max_replication_slots: 5
        synchronous_commit: "on"
  initdb:
    - encoding: UTF8
    - no-locale
  pg_hba:
    - local all all trust
    - host replication replicator 127.0.0.1/32 scram-sha-256
    - host all all 127.0.0.1/32 scram-sha-256
postgresql:
  listen: 127.0.0.1:$2
  connect_address: 127.0.0.1:$2
  data_dir: $T/$1
  bin_dir: $PGBIN
  pgpass: $T/pg/$1.pgpass
  authentication:
    superuser:
      username: postgres
      password: $SUPER_PW
    replication:
      username: replicator
      password: $REPL_PW
    rewind:
      username: rewinder
      password: $REWIND_PW
  parameters:
    unix_socket_directories: $T/sock/$1
    fsync: "on"
EOF
	mkdir -m 0700 "$T/sock/$1"
	chown postgres:postgres "$T/pg/$1.yml" "$T/sock/$1"
	chmod 0600 "$T/pg/$1.yml"
}
member pg1 "$PG1" "$REST1"
member pg2 "$PG2" "$REST2"
# The data folders are made by Patroni (initdb, pg_basebackup) as postgres.
chown postgres:postgres "$T"
chmod 0711 "$T"

start_member() { # name; the pid written is patroni's own
	runuser -u postgres -- sh -c 'echo $$ >"$1"; exec patroni "$2"' sh \
		"$T/pg/$1.pid" "$T/pg/$1.yml" >>"$T/$1.log" 2>&1 &
	i=0
	until [ -s "$T/pg/$1.pid" ]; do
		i=$((i + 1)); [ $i -lt 50 ] || { log "patroni $1 did not start"; exit 1; }
		sleep 0.1
	done
	PIDS="$(cat "$T/pg/$1.pid") $PIDS"
}
patroni_pid() { cat "$T/pg/$1.pid"; }

# The member's role as its REST API says it (primary, replica or nothing).
role_of() { # REST port
	curl -s --max-time 2 "http://127.0.0.1:$1/patroni" |
		python3 -c 'import json,sys; print(json.load(sys.stdin).get("role",""))' 2>/dev/null || true
}
# Is the replica on that REST port the synchronous standby, streaming?
is_sync() { # REST port
	curl -s --max-time 2 "http://127.0.0.1:$1/sync" -o /dev/null -w '%{http_code}' 2>/dev/null | grep -q 200
}

start_member pg1
log "patroni pg1 (postgres 127.0.0.1:$PG1) bootstrapping"
i=0
until [ "$(role_of "$REST1")" = primary ] || [ "$(role_of "$REST1")" = master ]; do
	i=$((i + 1)); [ $i -lt 120 ] || { log "pg1 did not become the leader"; exit 1; }
	sleep 0.5
done
start_member pg2
log "patroni pg2 (postgres 127.0.0.1:$PG2) cloning the leader"
i=0
until is_sync "$REST2"; do
	i=$((i + 1)); [ $i -lt 120 ] || { log "pg2 did not become the synchronous standby"; exit 1; }
	sleep 0.5
done
log "pg1 leads, pg2 is the synchronous standby"

# ---- the database and its owner
PGPASSWORD=$SUPER_PW psql -X -q -v ON_ERROR_STOP=1 \
	"postgresql://postgres@127.0.0.1:$PG1/postgres" <<EOF
CREATE ROLE himoya LOGIN PASSWORD '$APP_PW';
CREATE DATABASE himoya OWNER himoya ENCODING 'UTF8' TEMPLATE template0;
EOF
DBURL="postgresql://himoya:$APP_PW@127.0.0.1:$PG1,127.0.0.1:$PG2/himoya?target_session_attrs=read-write&connect_timeout=3"

# ---- the data folder: key and configuration here, the database in PostgreSQL
DATA=$T/data
"$H" init --data "$DATA" --org-code iom --org-name "IOM Tajikistan" --org-type IGO \
	--database "$DBURL" >"$T/init.log" 2>&1 || { cat "$T/init.log"; exit 1; }
PW="Zarafshon-daryo-$(secret)"
printf '%s\n' "$PW" | "$H" user add --data "$DATA" --org iom --login hot --role hotline --password-stdin >/dev/null
printf '%s\n' "$PW" | "$H" user add --data "$DATA" --org iom --login cw --role caseworker --password-stdin >/dev/null
HOT=$("$H" token create --data "$DATA" --login hot 2>/dev/null)
CW=$("$H" token create --data "$DATA" --login cw 2>/dev/null)

for n in 1 2; do
	eval port=\$HTTP$n
	"$H" serve --data "$DATA" --listen "127.0.0.1:$port" >"$T/himoya$n.log" 2>&1 &
	PIDS="$! $PIDS"
done
for port in "$HTTP1" "$HTTP2"; do
	i=0
	until curl -sf "http://127.0.0.1:$port/api/v1/health" >/dev/null; do
		i=$((i + 1)); [ $i -lt 100 ] || { log "himoya on :$port did not start"; exit 1; }
		sleep 0.1
	done
done
log "himoya serving on 127.0.0.1:$HTTP1 and 127.0.0.1:$HTTP2"

# ---- the kill: the leader's patroni and postgres (postmaster and every
# backend), with SIGKILL, as if its machine had gone
cat >"$T/kill-leader.sh" <<EOF
#!/bin/sh
set -eu
for m in pg1:$REST1 pg2:$REST2; do
	role=\$(curl -s --max-time 2 "http://127.0.0.1:\${m#*:}/patroni" |
		python3 -c 'import json,sys; print(json.load(sys.stdin).get("role",""))' 2>/dev/null || true)
	if [ "\$role" = primary ] || [ "\$role" = master ]; then
		name=\${m%%:*}
		pm=\$(head -n 1 "$T/\$name/postmaster.pid")
		pat=\$(cat "$T/pg/\$name.pid")
		kids=\$(pgrep -P "\$pm" || true)
		at=\$(date +%s%3N)
		kill -KILL "\$pat" "\$pm" \$kids
		echo "\$name" >"$T/killed"
		echo "killed-at \$at"
		echo "load: killed the leader \$name (patroni and postgres \$pm) with SIGKILL"
		exit 0
	fi
done
echo "load: no leader to kill" >&2
exit 1
EOF

rc=0
node tests/ha/load.mjs --urls "http://127.0.0.1:$HTTP1,http://127.0.0.1:$HTTP2" \
	--hotline-token "$HOT" --caseworker-token "$CW" --kill "sh $T/kill-leader.sh" \
	--before "$LOAD_BEFORE" --after "$LOAD_AFTER" --limit "$HA_LIMIT" --out "$T/acked.jsonl" || rc=1
[ -s "$T/killed" ] || { log "the leader was not killed"; exit 1; }
killed=$(cat "$T/killed")
if [ "$killed" = pg1 ]; then survivor=pg2 rest_killed=$REST1; else survivor=pg1 rest_killed=$REST2; fi

# ---- the old leader rejoins as the synchronous standby (pg_rewind)
rm -f "$T/pg/$killed.pid"
start_member "$killed"
t0=$(date +%s)
i=0
until is_sync "$rest_killed"; do
	i=$((i + 1))
	[ $i -lt 240 ] || { log "the old leader $killed did not rejoin as the synchronous standby within 120 s"; exit 1; }
	sleep 0.5
done
log "the old leader $killed rejoined as the synchronous standby of $survivor after $(($(date +%s) - t0)) s"

# ---- the audit chain written through both servers, across the failover
if "$H" audit verify --data "$DATA" >"$T/verify.log" 2>&1; then
	log "audit verify: $(tail -n 1 "$T/verify.log")"
else
	cat "$T/verify.log"
	rc=1
fi
[ $rc -eq 0 ] && log "passed" || log "FAILED"
exit $rc
