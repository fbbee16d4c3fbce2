#!/bin/sh
# `make check`: build with warnings as errors and run every test three
# ways: the normal build (unit, API and browser tests), an AddressSanitizer
# + UndefinedBehaviorSanitizer build (unit and API tests), the store's
# conformance suite and the API suite on PostgreSQL, and the libFuzzer
# harnesses for a short while.  Ends with one line "N passed, N failed".
set -u
cd "$(dirname "$0")/.."
FUZZ_SECONDS=${FUZZ_SECONDS:-20}
status=0

setup() { # dir, then meson options
	dir=$1
	shift
	if [ ! -f "$dir/build.ninja" ]; then
		meson setup "$dir" "$@" >"$dir.setup.log" 2>&1 || { cat "$dir.setup.log"; return 1; }
	fi
}

run_suite() { # label, build dir, meson test args
	label=$1
	dir=$2
	shift 2
	echo "== $label"
	meson test -C "$dir" --print-errorlogs "$@" || status=1
}

rm -f build*.setup.log
rm -f build/meson-logs/pglog.json
if setup build && meson compile -C build; then
	run_suite "tests" build --no-suite pg
	# The store's conformance suite and the API suite again on PostgreSQL,
	# each test with a throwaway cluster: they mostly wait on the database,
	# so more of them run at once than there are cores.
	run_suite "tests on PostgreSQL" build --suite pg --num-processes 4 --logbase pglog
else
	echo "build failed"
	status=1
fi

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
if setup build-asan -Db_sanitize=address,undefined -Db_lundef=false -Dbrowser_tests=false &&
	meson compile -C build-asan; then
	run_suite "tests under ASan+UBSan" build-asan --suite unit --suite api
else
	echo "sanitizer build failed"
	status=1
fi
unset ASAN_OPTIONS UBSAN_OPTIONS

fuzz_log=build-fuzz.results
: >"$fuzz_log"
if CC=clang setup build-fuzz -Dfuzz=true -Dbrowser_tests=false -Db_sanitize=address,undefined \
	-Db_lundef=false && meson compile -C build-fuzz; then
	echo "== fuzzing ($FUZZ_SECONDS s per harness)"
	sh fuzz/run.sh build-fuzz "$FUZZ_SECONDS" | tee "$fuzz_log" || status=1
else
	echo "fuzz build failed"
	echo "fuzz: FAIL (build)" >"$fuzz_log"
	status=1
fi

python3 tools/summary.py build build-asan "$fuzz_log" || status=1
exit $status
