#!/bin/sh
# Differential instruction tests: random sequences of user-mode fixed-point,
# FP, VMX and VSX instructions run in ppcvm and in qemu-ppc64le / qemu-ppc64
# user mode; GPRs, CR, XER, LR, CTR, a memory buffer and (FP/vector
# sequences) FPRs/VSRs, FPSCR and VSCR must be identical (tests/diff/).
#
#   scripts/run-diff-tests.sh [COUNT]
#
# COUNT sequences per byte order (default 20000; PPCVM_LONG=1: 1000000), in
# batches, one "PASS diff/<le|be>/batchN (...)" or "FAIL ..." line per batch
# (followed by a reproducer on failure), then the ppcvm-only robustness runs
# ("PASS diff/robust/<le|be> ..."): random instruction words under ASan+UBSan,
# which must not crash, hang or report an emulation error, and one more
# differential batch per byte order with ppcvm built with ASan+UBSan
# ("diff/<le|be>/asan"). Odd batches run in
# problem state in ppcvm, even ones in supervisor state.
# Environment: PPCVM_DIFF_SEED (default 1), PPCVM_LONG, CC.
# Exit status 1 if anything failed.
cd "$(dirname "$0")/.." || exit 1

if [ -n "$PPCVM_LONG" ]; then
	count=${1:-1000000}
	batch=20000
	robust=200000
	asan_batch=20000
else
	count=${1:-20000}
	batch=5000
	robust=20000
	asan_batch=2000
fi
seed=${PPCVM_DIFF_SEED:-1}
cc=${CC:-cc}
out=build/diff
mkdir -p "$out"
failed=0

fail() {
	echo "FAIL $1"
	shift
	for l in "$@"; do
		printf '  %s\n' "$l"
	done
	failed=1
}

# ---- build -----------------------------------------------------------
build_log=$(mktemp)
trap 'rm -f "$build_log"' EXIT

build_ok=1
if ! make -s build/libppcvm.a >"$build_log" 2>&1; then
	fail "diff/build (make build/libppcvm.a failed)" "$(tail -n 20 "$build_log")"
	build_ok=0
fi
if [ $build_ok = 1 ] && ! $cc -O2 -g -std=gnu11 -Wall -Wextra -Iinclude \
	-o "$out/ppcvm_diff" tests/diff/ppcvm_diff.c tests/diff/gen.c \
	build/libppcvm.a -pthread -lm >"$build_log" 2>&1; then
	fail "diff/build (ppcvm_diff does not build)" "$(tail -n 20 "$build_log")"
	build_ok=0
fi
for e in le be; do
	if [ $e = le ]; then xcc=powerpc64le-linux-gnu-gcc; else xcc=powerpc64-linux-gnu-gcc; fi
	if ! $xcc -O2 -static -nostdlib -ffreestanding -fno-stack-protector \
		-Wall -o "$out/runner-$e" tests/diff/runner.c >"$build_log" 2>&1; then
		fail "diff/build (runner-$e does not build with $xcc)" "$(tail -n 20 "$build_log")"
		build_ok=0
	fi
done
asan_ok=1
if [ $build_ok = 1 ] && ! $cc -O1 -g -std=gnu11 -Iinclude -Isrc -DPPCVM_VERSION=\"diff\" \
	-fsanitize=address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=undefined -o "$out/ppcvm_diff_asan" \
	tests/diff/ppcvm_diff.c tests/diff/gen.c src/cpu/*.c src/mmu/*.c \
	src/core/*.c -pthread -lm >"$build_log" 2>&1; then
	fail "diff/build (ASan build of ppcvm_diff failed)" "$(tail -n 20 "$build_log")"
	asan_ok=0
fi
[ $build_ok = 1 ] || exit 1
for q in qemu-ppc64le qemu-ppc64; do
	if ! command -v $q >/dev/null 2>&1; then
		fail "diff/setup (missing: $q)"
		exit 1
	fi
done

# ---- differential batches ------------------------------------------
# run_batch NAME ARGS...: one line from ppcvm_diff, or a FAIL if it died
run_batch() {
	bname=$1
	shift
	res=$(timeout 600 "$@" 2>&1)
	rc=$?
	if printf '%s\n' "$res" | grep -q '^PASS '; then
		[ $rc -eq 0 ] && { printf '%s\n' "$res"; return; }
	fi
	if printf '%s\n' "$res" | grep -q '^FAIL '; then
		printf '%s\n' "$res"
		failed=1
		return
	fi
	echo "FAIL $bname (exit status $rc)"
	printf '%s\n' "$res" | tail -n 30 | sed 's/^/  /'
	failed=1
}

# The two byte orders run in parallel (2 cores); their lines are printed
# in order afterwards.
run_order() {
	e=$1
	q=
	[ $e = le ] && q=le
	first=0
	i=0
	while [ $first -lt "$count" ]; do
		n=$batch
		[ $((first + n)) -gt "$count" ] && n=$((count - first))
		pr=
		[ $((i % 2)) = 1 ] && pr=--pr
		run_batch "diff/$e/batch$i" "$out/ppcvm_diff" --$e $pr --seed "$seed" \
			--first $first --count $n --name "diff/$e/batch$i" \
			--runner "$out/runner-$e" --qemu "$(command -v qemu-ppc64$q)"
		first=$((first + n))
		i=$((i + 1))
	done
}

le_log=$(mktemp)
be_log=$(mktemp)
trap 'rm -f "$build_log" "$le_log" "$be_log"' EXIT
run_order le >"$le_log" 2>&1 &
le_pid=$!
run_order be >"$be_log" 2>&1
wait $le_pid
cat "$le_log" "$be_log"
grep -q '^FAIL ' "$le_log" "$be_log" && failed=1

# ---- robustness: random words, ppcvm only, under ASan+UBSan ---------
# A sanitizer error aborts, so ppcvm_diff can name the word (or batch).
if [ $asan_ok = 1 ]; then
	export UBSAN_OPTIONS=print_stacktrace=1:abort_on_error=1
	export ASAN_OPTIONS=abort_on_error=1
	for e in le be; do
		q=
		[ $e = le ] && q=le
		run_batch "diff/$e/asan" "$out/ppcvm_diff_asan" --$e --seed "$seed" \
			--first "$count" --count $asan_batch --name "diff/$e/asan" \
			--runner "$out/runner-$e" --qemu "$(command -v qemu-ppc64$q)"
		run_batch "diff/robust/$e" "$out/ppcvm_diff_asan" --robust --$e \
			--seed "$seed" --count $robust --name "diff/robust/$e"
	done
fi

[ $failed = 0 ]
