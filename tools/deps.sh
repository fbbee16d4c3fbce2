#!/bin/sh
# Install what building, running and testing Himoya needs, when missing:
# Debian 12 packages, and from npm playwright-core (it drives Debian's
# chromium; no browser is ever downloaded) and the OpenAPI 3.1 and JSON
# Schema validators of tests/api/openapi.test.mjs.
set -eu
cd "$(dirname "$0")/.."

pkgs="meson ninja-build pkg-config gcc clang libclang-rt-14-dev
libmicrohttpd-dev libsqlite3-dev sqlite3 libsodium-dev libjansson-dev libutf8proc-dev
libcmocka-dev libxlsxwriter-dev chromium curl wrk"
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

if [ ! -f node_modules/playwright-core/package.json ] ||
   [ ! -f node_modules/@seriousme/openapi-schema-validator/package.json ] ||
   [ ! -f node_modules/ajv/package.json ] || [ ! -f node_modules/ajv-formats/package.json ]; then
	echo "Installing npm packages (playwright-core, the OpenAPI validator, ajv)"
	PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --silent
fi
