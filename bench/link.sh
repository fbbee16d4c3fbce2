#!/bin/bash
# The record-linkage benchmark of issue #16: `himoya link` and `himoya
# pprl` on lists made by tools/linkdata.py (FEBRL layout; the number in
# each rec_id is the true person, so precision, recall and F1 are exact).
#
#   1. English FEBRL-like lists (Australian addresses) and Tajik lists
#      (Tajik Cyrillic against Russian Cyrillic and Latin spellings), SIZE
#      originals against SIZE corrupted duplicates: `link` and `pprl link`
#      (encoding timed apart); budget: link 5,000 x 5,000 <= 10 s.
#   2. BIG x BIG English with `link` only (pprl link compares every pair:
#      it is for lists of thousands); budget: 1,000,000 x 1,000,000 <= 5 min
#      with bounded memory.  BIG=0 skips it.
#
# Each line gives wall time, CPU time (user + system: on a shared machine
# the wall time grows, the CPU time does not), peak resident memory
# (GNU time's %M), pairs, precision, recall and F1.
#
#   bench/link.sh                 # SIZE=5000 BIG=1000000
#   SIZE=5000 BIG=0 bench/link.sh
#   LISTS=/tmp/lists bench/link.sh  # keep the big lists there, reuse them next time
#
# Builds himoya into build-release/ (--buildtype=release) or $RELEASE_DIR.
# The lists are made in a temporary directory removed on exit.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
SIZE=${SIZE:-5000}
BIG=${BIG:-1000000}
SEED=${SEED:-16}
release=${RELEASE_DIR:-$repo/build-release}
himoya=$release/himoya
gen=$repo/tools/linkdata.py

. "$repo/bench/lib.sh"
bench_start link python3 meson
[ -x /usr/bin/time ] || { echo "bench: /usr/bin/time (Debian package time) is needed" >&2; exit 2; }

bench_release

fail=0
row() { printf '%-34s %9s %9s %9s %8s %9s %7s %7s\n' "$@"; }
row "run" "wall s" "cpu s" "peak MB" "pairs" "precision" "recall" "F1"

# timed NAME CMD...: runs CMD under GNU time; sets t_wall, t_cpu, t_mb.
timed() {
	local name=$1
	shift
	/usr/bin/time -o "$scratch/$name.time" -f '%e %U %S %M' "$@" 2>"$scratch/$name.err" ||
		{ cat "$scratch/$name.err" >&2; echo "bench: $name failed" >&2; exit 1; }
	read -r t_wall t_user t_sys t_kb <"$scratch/$name.time"
	t_cpu=$(awk -v u="$t_user" -v s="$t_sys" 'BEGIN { printf "%.2f", u + s }')
	t_mb=$(awk -v k="$t_kb" 'BEGIN { printf "%.0f", k / 1024 }')
}

# report NAME PAIRS TRUTH [BUDGET_S]
report() {
	local name=$1 pairs=$2 truth=$3 budget=${4:-} s verdict=""
	s=$(python3 "$gen" score "$pairs" --truth "$truth")
	set -- $s # pairs N true N of N precision P recall R F1 F (12 words)
	if [ -n "$budget" ]; then
		if awk -v a="$t_wall" -v b="$budget" 'BEGIN { exit !(a <= b) }'; then
			verdict="  (<= ${budget} s: PASS)"
		else
			verdict="  (<= ${budget} s: FAIL)"
			fail=1
		fi
	fi
	row "$name" "$t_wall" "$t_cpu" "$t_mb" "$2" "$8" "${10}" "${12}"
	[ -z "$verdict" ] || echo "$verdict"
}

for style in english tajik; do
	d=$scratch/$style
	mkdir -p "$d"
	say "$style: $SIZE + $SIZE records"
	python3 "$gen" gen --style "$style" --n "$SIZE" --seed "$SEED" --a "$d/a.csv" --b "$d/b.csv"
	timed "$style-link" "$himoya" link --left "$d/a.csv" --right "$d/b.csv" --out "$d/pairs.csv" --quiet
	budget=
	[ "$SIZE" -le 5000 ] && budget=10
	report "link $style ${SIZE}x$SIZE" "$d/pairs.csv" "$SIZE" $budget
	head -c 32 /dev/urandom | base64 >"$d/secret"
	chmod 600 "$d/secret"
	timed "$style-enc" sh -c "'$himoya' pprl encode --secret '$d/secret' --in '$d/a.csv' --out '$d/a.clk' &&
		'$himoya' pprl encode --secret '$d/secret' --in '$d/b.csv' --out '$d/b.clk'"
	row "pprl encode $style 2x$SIZE" "$t_wall" "$t_cpu" "$t_mb" "-" "-" "-" "-"
	timed "$style-pprl" "$himoya" pprl link --left "$d/a.clk" --right "$d/b.clk" --out "$d/ppairs.csv" --quiet
	report "pprl link $style ${SIZE}x$SIZE" "$d/ppairs.csv" "$SIZE"
done

if [ "$BIG" -gt 0 ]; then
	d=${LISTS:-$scratch}/big-$BIG-$SEED
	mkdir -p "$d"
	if [ ! -s "$d/b.csv" ]; then
		say "english: $BIG + $BIG records (making them takes a while)"
		python3 "$gen" gen --style english --n "$BIG" --seed "$SEED" --a "$d/a.csv" --b "$d/b.csv.part"
		mv "$d/b.csv.part" "$d/b.csv"
	fi
	timed big-link "$himoya" link --left "$d/a.csv" --right "$d/b.csv" --out "$d/pairs.csv" --quiet
	budget=
	[ "$BIG" -le 1000000 ] && budget=300
	report "link english ${BIG}x$BIG" "$d/pairs.csv" "$BIG" $budget
	grep -h 'records' "$scratch/big-link.err" >&2 || true
fi
exit $fail
