#!/bin/sh
# Install what building, running and testing Himoya needs, when missing:
# Debian 12 packages, and from npm playwright-core (it drives Debian's
# chromium; no browser is ever downloaded) and the OpenAPI 3.1 and JSON
# Schema validators of tests/api/openapi.test.mjs.
set -eu
cd "$(dirname "$0")/.."

# Every library on the link line and every tool the tests call must come
# from one of these (tools/check-deps.sh, run by `make check`, says which
# does not).  zlib1g-dev: libxlsxwriter's link line names -lz.  liboath-dev:
# the TOTP codes (OATH Toolkit).  libpq-dev and postgresql-15: the
# PostgreSQL driver (src/store/pg.c) and the throwaway clusters of the
# tests (tests/pg/cluster.sh runs initdb, pg_ctl and psql itself, never the
# packaged service).  dash: the sh that tests/api/cli.test.mjs runs to cap
# a backup's file size (ulimit -f), as a full disk would.
pkgs="meson ninja-build pkg-config python3 gcc libc6-dev clang libclang-rt-14-dev dash
libmicrohttpd-dev libsqlite3-dev sqlite3 libsodium-dev liboath-dev libjansson-dev libutf8proc-dev
libcmocka-dev libxlsxwriter-dev zlib1g-dev tzdata chromium curl wrk
libpq-dev postgresql-15 postgresql-client-common"
# Node.js and npm: Debian's own (18) or any newer one already installed.
node_pkgs="nodejs npm"
# `make deb` and `make deb-check` (tools/build-deb.sh, tools/deb-check.sh):
# dpkg-shlibdeps, lintian, systemd-analyze, debootstrap for the chroot and
# systemd-nspawn to boot it.
deb_pkgs="dpkg-dev binutils lintian systemd systemd-container debootstrap curl"
# `make check-ha` (tools/check-ha.sh): a one-member etcd and two PostgreSQL 15
# instances under Patroni on this machine.
ha_pkgs="patroni etcd-server etcd-client postgresql-15"
if [ "${1:-}" = "--list" ]; then
	echo $pkgs $node_pkgs
	exit 0
fi
if [ "${1:-}" = "--deb" ]; then
	pkgs="$pkgs $deb_pkgs"
fi
if [ "${1:-}" = "--ha" ]; then
	pkgs="$pkgs $ha_pkgs"
fi
command -v node >/dev/null 2>&1 || pkgs="$pkgs nodejs"
command -v npm >/dev/null 2>&1 || pkgs="$pkgs npm"

missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $p"
done
if [ -n "$missing" ]; then
	echo "Installing Debian packages:$missing"
	sudo=""
	[ "$(id -u)" -eq 0 ] || sudo="sudo"
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq $missing >/dev/null
fi

# Packaging needs no npm package.
[ "${1:-}" = "--deb" ] && exit 0

# node_modules must hold exactly the versions package-lock.json pins (an
# older checkout's playwright-core may not run on this Node.js).
if ! node -e '
const fs = require("fs");
const lock = JSON.parse(fs.readFileSync("package-lock.json", "utf8")).packages;
for (const [path, want] of Object.entries(lock)) {
	if (!path) continue;
	const got = JSON.parse(fs.readFileSync(path + "/package.json", "utf8")).version;
	if (got !== want.version) process.exit(1);
}' 2>/dev/null; then
	echo "Installing npm packages (playwright-core, the OpenAPI validator, ajv)"
	PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --silent
fi
