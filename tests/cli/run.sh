#!/bin/sh
# Host-side bad input for the ppcvm command: each case must exit non-zero with
# exactly one line on stderr (and never crash); --help/--version exit 0.
# Prints one PASS/FAIL line per case. Usage: tests/cli/run.sh [PPCVM]
cd "$(dirname "$0")/../.." || exit 1
P=${1:-${PPCVM:-build/ppcvm}}
GOOD=tests/guest/out/be/hello.elf
LOOP=bench/out/be/loop.elf
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if [ ! -x "$P" ]; then
	echo "FAIL cli/all (no ppcvm binary at $P)"
	exit 0
fi

# bad NAME ARGS...: non-zero exit, one stderr line, no signal death
bad() {
	name=$1
	shift
	"$P" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
	rc=$?
	lines=$(wc -l <"$tmp/err")
	if [ $rc -ne 0 ] && [ $rc -lt 128 ] && [ "$lines" -eq 1 ]; then
		echo "PASS cli/$name"
	else
		echo "FAIL cli/$name (exit $rc, $lines stderr lines)"
		sed 's/^/    /' "$tmp/err" | head -5
	fi
}

# good NAME ARGS...: exit 0 and something on stdout
good() {
	name=$1
	shift
	"$P" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
	rc=$?
	if [ $rc -eq 0 ] && [ -s "$tmp/out" ]; then
		echo "PASS cli/$name"
	else
		echo "FAIL cli/$name (exit $rc)"
		sed 's/^/    /' "$tmp/err" | head -5
	fi
}

# usage NAME ARGS...: non-zero exit with a usage text, no signal death
usage() {
	name=$1
	shift
	"$P" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
	rc=$?
	if [ $rc -ne 0 ] && [ $rc -lt 128 ] && grep -q Usage "$tmp/err"; then
		echo "PASS cli/$name"
	else
		echo "FAIL cli/$name (exit $rc)"
	fi
}

good help --help
good version --version
good run-hello run --kernel "$GOOD" --timeout 30
usage no-arguments
bad unknown-command frobnicate
bad unknown-option run --kernel "$GOOD" --frob
bad missing-kernel-option run
bad missing-file run --kernel "$tmp/does-not-exist"
mkdir "$tmp/dir"
bad kernel-is-directory run --kernel "$tmp/dir"
: >"$tmp/empty"
bad empty-file run --kernel "$tmp/empty"
head -c 4096 /dev/urandom >"$tmp/random"
bad random-bytes run --kernel "$tmp/random"
head -c 100 "$GOOD" >"$tmp/trunc"
bad truncated-elf run --kernel "$tmp/trunc"
head -c 2000 "$GOOD" >"$tmp/trunc2"
bad truncated-segments run --kernel "$tmp/trunc2"
bad not-powerpc run --kernel "$(command -v sh)"
bad mem-zero run --kernel "$GOOD" --mem 0
bad mem-too-big run --kernel "$GOOD" --mem 1T
bad mem-garbage run --kernel "$GOOD" --mem lots
bad cpus-zero run --kernel "$GOOD" --cpus 0
bad cpus-too-many run --kernel "$GOOD" --cpus 100000
bad timeout-garbage run --kernel "$GOOD" --timeout soon
bad timeout-expires run --kernel "$LOOP" -p "iters=100000000000" --timeout 1
