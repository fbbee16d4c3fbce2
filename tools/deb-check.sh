#!/usr/bin/env bash
# deb-check.sh - `make deb-check`: the Debian package, installed for real.
#
# Builds himoya_VERSION_amd64.deb (tools/build-deb.sh) and a second one with
# a higher version, runs lintian (no error allowed), then in a copy of the
# minimal Debian 12 chroot of ../shared/tools/fresh-debian.sh
# ($FRESH_HOME/bookworm, made with debootstrap when missing; the copy is
# thrown away, the base never changed):
#   install with apt-get (Depends from Debian's archive): the user himoya,
#     the folders and their modes, the conffile, the first administrator;
#   serve as himoya with the installed config: /api/v1/health, the admin
#     signs in with the printed password; a backup like the timer's;
#   systemd-analyze verify (the host's) of the installed units;
#   upgrade to the newer package: the data and a changed conffile kept;
#   remove, purge: the data and the key stay; install again: untouched;
#   purge with HIMOYA_PURGE_DATA=yes: gone;
#   where systemd-nspawn boots it: the hardened service and the backup
#   under systemd.
# Needs root (chroot, mount) and the network (apt).  Ends with one line
# "deb-check: N passed, N failed"; exit 1 when any failed.
set -u
cd "$(dirname "$0")/.."
[ "$(id -u)" -eq 0 ] || { echo "deb-check: needs root (chroot, mount)"; exit 2; }

home=${FRESH_HOME:-${TMPDIR:-/tmp}/himoya-fresh}
base=$home/bookworm
passed=0
failed=0
ok() { echo "ok   $*"; passed=$((passed + 1)); }
bad() { echo "FAIL $*"; failed=$((failed + 1)); }
check() { # description, command...
	local what=$1
	shift
	if "$@" >/dev/null 2>&1; then ok "$what"; else bad "$what"; fi
}
finish() {
	echo "deb-check: $passed passed, $failed failed"
	[ "$failed" -eq 0 ]
	exit $?
}

# --- the packages -------------------------------------------------------
echo "== build"
version=$(meson introspect --projectinfo meson.build |
	python3 -c 'import json, sys; print(json.load(sys.stdin)["version"])')
newer=$version+check1
work=$(mktemp -d "${TMPDIR:-/tmp}/himoya-deb-check.XXXX")
sh tools/build-deb.sh || { bad "make deb"; finish; }
HIMOYA_DEB_VERSION=$newer sh tools/build-deb.sh >/dev/null &&
	mv "himoya_${newer}_amd64.deb" "$work/" || { bad "build the newer package"; finish; }
deb=himoya_${version}_amd64.deb
ok "built $deb and himoya_${newer}_amd64.deb"

echo "== lintian"
lintian -I "$deb" | tee "$work/lintian.txt"
if grep -q '^E:' "$work/lintian.txt"; then bad "lintian: errors"; else ok "lintian: no error"; fi

# --- the chroot ---------------------------------------------------------
if [ ! -x "$base/bin/bash" ]; then
	echo "making the base chroot (once): debootstrap --variant=minbase bookworm"
	mkdir -p "$home"
	debootstrap --variant=minbase bookworm "$base.tmp" >"$home/debootstrap.log" 2>&1 &&
		mv "$base.tmp" "$base" || { bad "debootstrap, see $home/debootstrap.log"; finish; }
fi
root=$(mktemp -d "$home/deb.XXXX")
cp -a "$base/." "$root/"
cp /etc/resolv.conf "$root/etc/" 2>/dev/null
cp "$deb" "$work/himoya_${newer}_amd64.deb" "$root/tmp/"
for m in proc dev; do mkdir -p "$root/$m"; done
mount -t proc proc "$root/proc" && mount --rbind /dev "$root/dev" || { bad "mount"; finish; }
stop_chroot() {
	for p in /proc/[0-9]*; do
		[ "$(readlink "$p/root" 2>/dev/null)" = "$root" ] && kill "${p#/proc/}" 2>/dev/null
	done
	sleep 1
	for m in proc dev; do umount -R -l "$root/$m" 2>/dev/null; done
	# only what this run made: unmounted first, so nothing of the host goes with it
	grep -q " $root/" /proc/mounts || rm -rf --one-file-system "$root"
	rm -rf "$work"
}
trap stop_chroot EXIT
ch() { chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
	DEBIAN_FRONTEND=noninteractive LC_ALL=C.UTF-8 "$@"; }
apt() { ch "$@" >>"$work/apt.log" 2>&1; }
mode() { ch stat -c '%a %U %G' "$1" 2>/dev/null; }
sum() { ch sha256sum "$@" 2>/dev/null; }

echo "== install into a copy of $base"
apt apt-get update -q
# A real Debian 12 runs systemd; minbase has none (systemd-analyze below).
apt apt-get install -y -q --no-install-recommends systemd || bad "apt-get install systemd"
if ch apt-get install -y -q "/tmp/$deb" >"$work/install.log" 2>&1; then
	ok "apt-get install ./$deb (Depends from Debian's archive)"
else
	bad "apt-get install ./$deb"
	tail -20 "$work/install.log"
	finish
fi
sed -n 's/^himoya: /  postinst: /p' "$work/install.log"
check "the package is installed" ch dpkg-query -W -f='${Status}' himoya
uid=$(ch id -u himoya 2>/dev/null)
if [ -n "$uid" ] && [ "$uid" -lt 1000 ]; then ok "a system user himoya (uid $uid)"; else bad "system user himoya"; fi
check "himoya has no login shell" test "$(ch getent passwd himoya | cut -d: -f7)" = /usr/sbin/nologin
check "/var/lib/himoya 0700 himoya" test "$(mode /var/lib/himoya)" = "700 himoya himoya"
check "himoya.db 0600 himoya" test "$(mode /var/lib/himoya/himoya.db)" = "600 himoya himoya"
check "himoya.key 0600 himoya" test "$(mode /var/lib/himoya/himoya.key)" = "600 himoya himoya"
check "/var/backups/himoya 0700 himoya" test "$(mode /var/backups/himoya)" = "700 himoya himoya"
check "/etc/himoya/himoya.conf 0644 root" test "$(mode /etc/himoya/himoya.conf)" = "644 root root"
check "himoya.conf is a conffile" grep -q /etc/himoya/himoya.conf \
	<(ch dpkg-query -W -f='${Conffiles}' himoya)
check "the man pages himoya(1), himoya.conf(5)" ch test -s /usr/share/man/man1/himoya.1.gz \
	-a -s /usr/share/man/man5/himoya.conf.5.gz
check "the units are installed" ch test -f /lib/systemd/system/himoya.service \
	-a -f /lib/systemd/system/himoya-backup.service -a -f /lib/systemd/system/himoya-backup.timer
check "the service and the timer are enabled" ch test -L \
	/etc/systemd/system/multi-user.target.wants/himoya.service -a -L \
	/etc/systemd/system/timers.target.wants/himoya-backup.timer
check "initial-admin-password 0600 root" test "$(mode /etc/himoya/initial-admin-password)" = "600 root root"
password=$(ch sed -n 's/^password: //p' /etc/himoya/initial-admin-password 2>/dev/null)
check "the password was printed at install" grep -qF "password: $password" "$work/install.log"
check "the password is not in the data folder" test -z "$(ch grep -rlF "$password" /var/lib/himoya)"

echo "== systemd-analyze verify (the host's, on the installed system)"
if MANPATH=$root/usr/share/man systemd-analyze verify --root="$root" \
	"$root/lib/systemd/system/himoya.service" "$root/lib/systemd/system/himoya-backup.service" \
	"$root/lib/systemd/system/himoya-backup.timer" >"$work/verify.log" 2>&1; then
	ok "systemd-analyze verify: the three units"
else
	bad "systemd-analyze verify"
	cat "$work/verify.log"
fi
exposure=$(systemd-analyze security --offline=yes --root="$root" himoya.service 2>/dev/null |
	sed -n 's/.*Overall exposure level for himoya.service: //p')
[ -n "$exposure" ] && echo "  systemd-analyze security: $exposure"

# --- serving ------------------------------------------------------------
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# An admin's change to the conffile (it must survive the upgrade).
ch sed -i "s/^listen = .*/listen = 127.0.0.1:$port/" /etc/himoya/himoya.conf
url=http://127.0.0.1:$port
serve() { # as the service does: the user himoya, the installed config
	chroot "$root" /usr/bin/env -i PATH=/usr/bin:/bin setpriv --reuid=himoya --regid=himoya \
		--init-groups --inh-caps=-all himoya serve --data /var/lib/himoya \
		--config /etc/himoya/himoya.conf >>"$work/serve.log" 2>&1 &
	server=$!
	for _ in $(seq 1 100); do
		curl -fsS -m 2 "$url/api/v1/health" >/dev/null 2>&1 && return 0
		kill -0 "$server" 2>/dev/null || return 1
		sleep 0.2
	done
	return 1
}
stop() { kill -TERM "$server" 2>/dev/null; wait "$server" 2>/dev/null; }

echo "== serve as himoya with /etc/himoya/himoya.conf"
if serve; then
	ok "himoya serve as himoya answers $url/api/v1/health: $(curl -fsS "$url/api/v1/health")"
	code=$(curl -s -o /dev/null -w '%{http_code}' -H 'content-type: application/json' \
		-d "{\"login\":\"admin\",\"password\":\"$password\"}" "$url/api/v1/session")
	check "admin signs in with the printed password (HTTP $code)" test "$code" = 200
	if ch setpriv --reuid=himoya --regid=himoya --init-groups himoya backup --data /var/lib/himoya \
		--config /etc/himoya/himoya.conf >"$work/backup.log" 2>&1; then
		ok "the timer's backup, while serving"
	else
		bad "the timer's backup"
		cat "$work/backup.log"
	fi
	b=$(ch sh -c 'ls /var/backups/himoya/himoya-*.db' 2>/dev/null | head -n 1)
	check "the backup is 0600 himoya" test "$(mode "$b")" = "600 himoya himoya"
	check "the backup does not hold the key" python3 -c '
import sys
key = open(sys.argv[1], "rb").read()
sys.exit(key in open(sys.argv[2], "rb").read())' "$root/var/lib/himoya/himoya.key" "$root$b"
	stop
else
	bad "himoya serve as himoya with the installed config"
	tail -5 "$work/serve.log"
fi

# --- upgrade, remove, purge ---------------------------------------------
before=$(sum /var/lib/himoya/himoya.db /var/lib/himoya/himoya.key /etc/himoya/initial-admin-password)
echo "== upgrade to $newer"
if ch apt-get install -y -q "/tmp/himoya_${newer}_amd64.deb" >"$work/upgrade.log" 2>&1; then
	ok "apt-get install ./himoya_${newer}_amd64.deb"
else
	bad "upgrade"
	tail -20 "$work/upgrade.log"
fi
check "the newer version is installed" test "$(ch dpkg-query -W -f='${Version}' himoya)" = "$newer"
check "the upgrade kept the data, the key and the password file" test \
	"$(sum /var/lib/himoya/himoya.db /var/lib/himoya/himoya.key /etc/himoya/initial-admin-password)" = "$before"
check "the upgrade kept the admin's change to himoya.conf" ch grep -qx "listen = 127.0.0.1:$port" \
	/etc/himoya/himoya.conf
check "the user himoya kept its uid" test "$(ch id -u himoya)" = "$uid"
if serve; then ok "serves after the upgrade"; stop; else bad "serve after the upgrade"; fi

echo "== remove"
apt apt-get remove -y -q himoya || bad "apt-get remove"
check "remove: the binary is gone" ch test ! -e /usr/bin/himoya
check "remove: the conffile stays" ch test -f /etc/himoya/himoya.conf
check "remove: the data and the key stay" test \
	"$(sum /var/lib/himoya/himoya.db /var/lib/himoya/himoya.key /etc/himoya/initial-admin-password)" = "$before"

echo "== purge"
ch apt-get purge -y -q himoya >"$work/purge.log" 2>&1 || bad "apt-get purge"
sed -n 's/^himoya: /  postrm: /p' "$work/purge.log"
check "purge: the package is gone" test -z "$(ch dpkg-query -W -f='${Status}' himoya 2>/dev/null)"
check "purge: the conffile is gone" ch test ! -e /etc/himoya/himoya.conf
check "purge: the data and the key survive" test \
	"$(sum /var/lib/himoya/himoya.db /var/lib/himoya/himoya.key /etc/himoya/initial-admin-password)" = "$before"
check "purge: the backups survive" test -n "$(ch sh -c 'ls /var/backups/himoya/himoya-*.db' 2>/dev/null)"

echo "== install again over the kept data"
ch apt-get install -y -q "/tmp/$deb" >"$work/reinstall.log" 2>&1 && ok "install again" || bad "install again"
check "the kept database and key are untouched" test \
	"$(sum /var/lib/himoya/himoya.db /var/lib/himoya/himoya.key /etc/himoya/initial-admin-password)" = "$before"
check "no new administrator password" bash -c "! grep -q 'password:' '$work/reinstall.log'"
check "a fresh himoya.conf (the purge removed the changed one)" ch grep -qx \
	"listen = 127.0.0.1:8080" /etc/himoya/himoya.conf
ch sed -i "s/^listen = .*/listen = 127.0.0.1:$port/" /etc/himoya/himoya.conf
if serve; then
	code=$(curl -s -o /dev/null -w '%{http_code}' -H 'content-type: application/json' \
		-d "{\"login\":\"admin\",\"password\":\"$password\"}" "$url/api/v1/session")
	check "the kept admin still signs in (HTTP $code)" test "$code" = 200
	stop
else
	bad "serve the kept data"
fi

echo "== purge with HIMOYA_PURGE_DATA=yes"
ch env HIMOYA_PURGE_DATA=yes apt-get purge -y -q himoya >"$work/purge2.log" 2>&1 || bad "purge"
sed -n 's/^himoya: /  postrm: /p' "$work/purge2.log"
check "asked: the data and the key are gone" ch test ! -e /var/lib/himoya
check "asked: the backups are gone" ch test ! -e /var/backups/himoya
check "asked: /etc/himoya is gone" ch test ! -e /etc/himoya

# --- under systemd --------------------------------------------------------
# Where systemd-nspawn can boot the chroot (systemd-container), install the
# package once more and check the hardened units for real.
echo "== boot the chroot with systemd-nspawn: the service and the backup under systemd"
ch apt-get install -y -q --no-install-recommends systemd-sysv dbus >>"$work/apt.log" 2>&1 &&
	ch apt-get install -y -q "/tmp/$deb" >"$work/install3.log" 2>&1 || bad "install for systemd"
ch sed -i "s/^listen = .*/listen = 127.0.0.1:$port/" /etc/himoya/himoya.conf
for m in proc dev; do umount -R -l "$root/$m" 2>/dev/null; done
setsid systemd-nspawn -q -D "$root" -b --register=no --keep-unit -M himoya-deb-check \
	</dev/null >"$work/nspawn.log" 2>&1 &
nspawn=$!
up=0
for _ in $(seq 1 120); do
	curl -fsS -m 2 "$url/api/v1/health" >/dev/null 2>&1 && { up=1; break; }
	kill -0 "$nspawn" 2>/dev/null || break
	sleep 0.5
done
if [ $up -eq 1 ]; then
	ok "himoya.service under systemd answers $url/api/v1/health"
	leader=$(pgrep -P "$nspawn" | head -n 1)
	sys() { nsenter -t "$leader" -a "$@"; }
	pid=$(sys systemctl show himoya.service -p MainPID --value)
	check "the service runs as himoya, no capability, NoNewPrivs, seccomp" test \
		"$(sys stat -c %U "/proc/$pid")|$(sys grep -E '^(CapEff|NoNewPrivs|Seccomp):' "/proc/$pid/status" | tr -s '\t\n' ' ')" = \
		"himoya|CapEff: 0000000000000000 NoNewPrivs: 1 Seccomp: 2 "
	code=$(curl -s -o /dev/null -w '%{http_code}' -H 'content-type: application/json' \
		-d "{\"login\":\"admin\",\"password\":\"$(ch sed -n 's/^password: //p' /etc/himoya/initial-admin-password)\"}" \
		"$url/api/v1/session")
	check "admin signs in under the hardened service (HTTP $code)" test "$code" = 200
	check "himoya-backup.service succeeds under systemd" sys systemctl start himoya-backup.service
	check "its backup is in /var/backups/himoya" test -n "$(ls "$root"/var/backups/himoya/himoya-*.db 2>/dev/null)"
	check "himoya-backup.timer is waiting" sys systemctl is-active himoya-backup.timer
else
	echo "  systemd-nspawn could not boot the chroot here: the units are checked by systemd-analyze only"
	tail -5 "$work/nspawn.log"
fi
kill "$nspawn" 2>/dev/null
wait "$nspawn" 2>/dev/null

finish
