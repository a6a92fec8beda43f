#!/bin/sh
# Hostile-guest runs of the 32-bit Book3S models under ASan+UBSan
# (tests/robust32/robust32.c): one "PASS robust32/<model>" or "FAIL ..." line
# per model. The two models run in parallel (2 cores).
#
#   tests/robust32/run.sh [COUNT]
#
# COUNT cases per model (default 1500; PPCVM_LONG=1: 30000).
# Environment: PPCVM_ROBUST32_SEED (default 1), ROBUST32 (the binary,
# default build/asan/robust32).
cd "$(dirname "$0")/../.." || exit 1

if [ -n "$PPCVM_LONG" ]; then
	count=${1:-30000}
else
	count=${1:-1500}
fi
seed=${PPCVM_ROBUST32_SEED:-1}
bin=${ROBUST32:-build/asan/robust32}
if [ ! -x "$bin" ]; then
	echo "FAIL robust32/build (missing: $bin; make asan)"
	exit 1
fi
export UBSAN_OPTIONS=print_stacktrace=1:abort_on_error=1
export ASAN_OPTIONS=abort_on_error=1

# one MODEL SEED: the run's PASS/FAIL line, or a FAIL with its last output
one() {
	res=$(timeout 600 "$bin" --pvr "$1" --seed "$2" --count "$count" \
		--name "robust32/$1" 2>&1)
	rc=$?
	if [ $rc -eq 0 ] && printf '%s\n' "$res" | grep -q '^PASS '; then
		printf '%s\n' "$res" | grep '^PASS '
		return 0
	fi
	if printf '%s\n' "$res" | grep -q '^FAIL '; then
		printf '%s\n' "$res" | grep '^FAIL '
	else
		echo "FAIL robust32/$1 (exit status $rc)"
	fi
	printf '%s\n' "$res" | grep -v '^FAIL ' | tail -n 30 | sed 's/^/  /'
	return 1
}

log=$(mktemp)
trap 'rm -f "$log"' EXIT
# odd seeds turn the PV interface on (magic page, ePAPR hypercalls)
one 750 "$seed" >"$log" 2>&1 &
pid=$!
one 7447a $((seed + 1))
rc=$?
wait $pid || rc=1
cat "$log"
exit $rc
