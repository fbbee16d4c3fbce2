#!/bin/sh
# Every library on himoya's link line and every tool the tests call must
# belong to a Debian package that tools/deps.sh installs; otherwise a fresh
# Debian 12 machine fails where this one, with something installed by hand,
# passes.  Usage: tools/check-deps.sh BUILD_DIR.  One line per problem;
# exit 1 when there is any.
set -u
cd "$(dirname "$0")/.."
build=${1:-build}
listed=" $(sh tools/deps.sh --list) "
# A listed package installs what it depends on too (gcc: gcc-12; python3:
# python3-minimal).
for p in $listed; do
	listed="$listed $(dpkg-query -W -f='${Pre-Depends},${Depends}' "$p" 2>/dev/null |
		tr ',|' '\n\n' | sed -E 's/^ *//; s/[ :].*//' | tr '\n' ' ') "
done
bad=0

# path -> Debian package owning it (also under /usr merged paths).  One
# grep over dpkg's file lists: dpkg-query -S reads them all at every call.
owner() {
	f=$(realpath -s "$1")
	for p in "$f" "${f#/usr}" "/usr$f" "$(readlink -f "$1")"; do
		l=$(grep -lFx -- "$p" /var/lib/dpkg/info/*.list 2>/dev/null | head -n 1)
		[ -n "$l" ] && { basename "$l" .list | cut -d: -f1; return; }
	done
}

check() { # what, path, [node: may be a hand-installed Node.js]
	o=$(owner "$2")
	if [ -z "$o" ]; then
		if [ "${3:-}" = node ]; then return; fi # deps.sh installs nodejs/npm only when missing
		echo "check-deps: $1 ($2) belongs to no Debian package"
		bad=1
		return
	fi
	case $listed in
	*" $o "*) ;;
	*) echo "check-deps: $1 ($2) comes from '$o', which tools/deps.sh does not install"; bad=1 ;;
	esac
}

# The libraries: the link line of himoya in build.ninja (meson writes
# them as paths, or as -l flags for what pkg-config gives that way).
[ -f "$build/build.ninja" ] || { echo "check-deps: no $build/build.ninja"; exit 1; }
args=$(awk '/^build himoya:/ { on = 1 } on && /LINK_ARGS/ { print; exit }' "$build/build.ninja" |
	tr ' ' '\n')
n=0
for a in $args; do
	case $a in
	-l*)
		f=$(cc -print-file-name="lib${a#-l}.so")
		[ "$f" = "lib${a#-l}.so" ] && f=$(cc -print-file-name="lib${a#-l}.a")
		case $f in /*) check "$a" "$f" ;; *) echo "check-deps: $a: no library file"; bad=1 ;; esac
		n=$((n + 1)) ;;
	/*.so | /*.so.* | /*.a) check "$(basename "$a")" "$a"; n=$((n + 1)) ;;
	esac
done
[ $n -gt 0 ] || { echo "check-deps: no libraries found for himoya in $build/build.ninja"; exit 1; }

# The tools: those of the build and test scripts, and every program the
# tests start (spawnSync('name', ...) in tests/).
tools="meson ninja python3 cc clang sqlite3 curl"
tools="$tools $(grep -rhoE "spawn(Sync)?\\('[a-z0-9_.-]+'" tests | sed -E "s/.*\\('//; s/'$//" | sort -u)"
for t in $(echo "$tools" | tr ' ' '\n' | sort -u); do
	p=$(command -v "$t") || { echo "check-deps: tool '$t' is not installed"; bad=1; continue; }
	# installed by hand here (pyenv, say): the Debian one is what a fresh machine runs
	[ -z "$(owner "$p")" ] && [ -e "/usr/bin/$t" ] && p=/usr/bin/$t
	check "tool $t" "$p"
done
check "chromium" "${HIMOYA_CHROMIUM:-/usr/bin/chromium}"
for t in node npm; do
	p=$(command -v "$t") || { echo "check-deps: tool '$t' is not installed"; bad=1; continue; }
	check "tool $t" "$p" node
done
[ $bad -eq 0 ] && echo "check-deps: every library and tool comes from a package deps.sh installs"
exit $bad
