#!/bin/bash
# Run every libFuzzer harness for a while on a scratch copy of its seed
# corpus (fuzz/corpus/<name>/), so that new inputs never land in the repo.
# Builds nothing: set up the build first, e.g.
#
#   CC=clang meson setup build-fuzz -Dfuzz=true -Dbrowser_tests=false \
#       -Db_sanitize=address,undefined -Db_lundef=false
#   meson compile -C build-fuzz
#   fuzz/run.sh build-fuzz 60
#
# Prints one line per harness ("fuzz_body: ok (N runs)"); on a crash keeps
# the log and the crashing input in the scratch folder, prints where, and
# exits non-zero.
set -u

usage() { echo "usage: fuzz/run.sh BUILD_DIR SECONDS" >&2; exit 2; }
[ $# -eq 2 ] || usage
build=$1
secs=$2
case $secs in '' | *[!0-9]*) usage ;; esac
here=$(cd "$(dirname "$0")" && pwd)

scratch=$(mktemp -d "${TMPDIR:-/tmp}/himoya-fuzz.XXXXXX")
keep=0
cleanup() { [ "$keep" = 1 ] || rm -rf "$scratch"; }
trap cleanup EXIT

status=0
for name in body router import; do
	bin=$build/fuzz_$name
	if [ ! -x "$bin" ]; then
		echo "fuzz_$name: missing $bin (build with -Dfuzz=true)" >&2
		status=1
		continue
	fi
	work=$scratch/$name
	mkdir -p "$work/corpus" "$work/artifacts"
	cp -R "$here/corpus/$name/." "$work/corpus/"
	log=$work/log
	"$bin" "$work/corpus" -max_total_time="$secs" -print_final_stats=1 \
		-artifact_prefix="$work/artifacts/" -close_fd_mask=1 >"$log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *\([0-9]*\).*/\1/p' "$log" | tail -n 1)
	crash=$(find "$work/artifacts" -type f | head -n 1)
	if [ $rc -eq 0 ] && [ -z "$crash" ]; then
		echo "fuzz_$name: ok (${runs:-?} runs)"
	else
		keep=1
		status=1
		echo "fuzz_$name: FAILED (exit $rc after ${runs:-?} runs); log $log${crash:+, input $crash}"
		grep -m 5 -E 'ERROR|check failed|SUMMARY' "$log" | sed 's/^/  /'
	fi
done
exit $status
