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

# ---- The epapr machine (--machine epapr, 32-bit guests; README) ----------
bad machine-unknown run --kernel "$GOOD" --machine chrp
bad cpu-unknown run --kernel "$GOOD" --cpu 601
bad machine-missing-value run --kernel "$GOOD" --machine
bad pseries-cpu-750 run --kernel "$GOOD" --cpu 750
bad pseries-cpu-g4 run --kernel "$GOOD" --machine pseries --cpu g4
bad epapr-cpu-power8 run --kernel "$GOOD" --machine epapr --cpu power8
bad epapr-cpus-2 run --kernel "$GOOD" --machine epapr -c 2
bad epapr-initrd run --kernel "$GOOD" --machine epapr --initrd "$GOOD"
bad epapr-disk run --kernel "$GOOD" --machine epapr --disk "$GOOD"
bad epapr-no-pv run --kernel "$GOOD" --machine epapr --no-pv
bad epapr-mem-over-mmio run --kernel "$GOOD" --machine epapr --mem 4G
bad epapr-random-bytes run --machine epapr --kernel "$tmp/random"
bad epapr-truncated-elf run --machine epapr --kernel "$tmp/trunc"
if "$P" help run | grep -q -- '--machine NAME' && "$P" help run | grep -q -- '--cpu NAME'; then
	echo "PASS cli/help-run-machine-cpu"
else
	echo "FAIL cli/help-run-machine-cpu (ppcvm help run does not list --machine/--cpu)"
fi

# A tiny 32-bit guest (tests/cli/epapr_guest.S): console, input echo, ROM,
# power-off and reboot through the syscon register
CC32=${CC32:-powerpc-linux-gnu-gcc}
G32=$tmp/epapr.elf
LDFLAGS32="-nostdlib -static -no-pie -Wl,--build-id=none -Wl,--section-start=.rom=0xfff00000"
# shellcheck disable=SC2086
if ! command -v "$CC32" >/dev/null 2>&1; then
	echo "FAIL cli/epapr-guest (no $CC32: run scripts/deps.sh test)"
elif ! "$CC32" -mcpu=750 $LDFLAGS32 -Wl,-Ttext=0x10000 -o "$G32" \
	tests/cli/epapr_guest.S 2>"$tmp/err"; then
	echo "FAIL cli/epapr-guest (cannot build tests/cli/epapr_guest.S)"
	sed 's/^/    /' "$tmp/err" | head -5
else
	# epapr NAME STATUS INPUT ARGS...: exit STATUS, stdout has each line of $want
	epapr() {
		name=$1 status=$2 input=$3
		shift 3
		printf '%b' "$input" | "$P" run --machine epapr --kernel "$G32" --timeout 20 "$@" \
			>"$tmp/out" 2>"$tmp/err"
		rc=$?
		miss=$(printf '%s\n' "$want" | while IFS= read -r w; do
			grep -qxF "$w" "$tmp/out" || printf ' [%s]' "$w"
		done)
		if [ $rc -eq "$status" ] && [ -z "$miss" ] && ! grep -q FAIL "$tmp/out"; then
			echo "PASS cli/$name"
		else
			echo "FAIL cli/$name (exit $rc, want $status; missing:${miss:- none})"
			sed 's/^/    /' "$tmp/out" "$tmp/err" | head -12
		fi
	}
	base='epapr hello!
magic ok
msr ok
fdt ok
einval ok
rom ok'
	want=$base
	epapr epapr-750-console-poweroff 0 "" --cpu 750
	epapr epapr-g3-alias 0 "" --cpu g3
	epapr epapr-default-cpu-750 0 ""
	epapr epapr-7447a-console-poweroff 0 "" --cpu 7447a
	epapr epapr-g4-alias 0 "" --cpu G4
	want="$base
ram 0x02000000"
	epapr epapr-ram-size-in-r7 0 "" --cpu 750 -m 32M
	want="$base
hi
bye"
	epapr epapr-750-input-echo 0 'hi\n' --cpu 750 -p "x ECHO"
	epapr epapr-7447a-input-echo 0 'hi\n' --cpu 7447a -p "ECHO"
	want="$base
a longer line of input
bye"
	epapr epapr-input-echo-long 0 'a longer line of input\n' --cpu 750 -p "ECHO"
	# Reboot through syscon-reboot: the guest boots again and again
	"$P" run --machine epapr --kernel "$G32" -p 'RBT!' --timeout 2 </dev/null \
		>"$tmp/out" 2>"$tmp/err"
	rc=$?
	n=$(grep -c '^epapr hello!$' "$tmp/out")
	if [ $rc -eq 124 ] && [ "$n" -ge 2 ]; then
		echo "PASS cli/epapr-reboot"
	else
		echo "FAIL cli/epapr-reboot (exit $rc, $n boots)"
	fi
	bad epapr-elf32-on-pseries run --kernel "$G32"
	# shellcheck disable=SC2086
	"$CC32" -mcpu=750 $LDFLAGS32 -Wl,-Ttext=0x2000000 -o "$tmp/high.elf" tests/cli/epapr_guest.S
	bad epapr-segment-outside-ram run --machine epapr --kernel "$tmp/high.elf" --mem 16M
fi
