#!/bin/sh
# Run the guest test programs (tests/guest/out/{be,le}/*.elf) under ppcvm and/or QEMU.
# Usage: scripts/run-guest-tests.sh [ppcvm|qemu|all] [PPCVM_BINARY]
#   PPCVM=path overrides the ppcvm binary (e.g. build/asan/ppcvm).
#   GUEST_FILTER=name runs only programs whose name contains it.
#   PPCVM_GUEST_XFAIL="name ..." programs whose ppcvm failure is expected (reported XFAIL).
# A program's source may say "guest-cpus: N": both VMs then get N CPUs (--cpus / -smp).
# Prints one line per run: "PASS guest/<vm>/<endian>/<name>", "SKIP ..." (a ppcvm-only program
# under QEMU) or "FAIL ... (reason)" followed by
# the failing lines of the guest output. No summary line (scripts/run-tests.sh counts).
cd "$(dirname "$0")/.." || exit 1

WHICH=${1:-all}
PPCVM_BIN=${2:-${PPCVM:-build/ppcvm}}
TIMEOUT=${GUEST_TIMEOUT:-60}
XFAIL=${PPCVM_GUEST_XFAIL-}
OUT=tests/guest/out
QEMU=${QEMU:-qemu-system-ppc64}
QEMU_ARGS="-M pseries,cap-hpt-max-page-size=16M,cap-cfpc=broken,cap-sbbc=broken,cap-ibs=broken,cap-ccf-assist=off
	-cpu POWER8 -m 256M -nographic -nodefaults -serial stdio -no-reboot
	-bios $OUT/rom.bin -append guest-skip-qemu-bad"
TMP=$(mktemp -d) || exit 1
trap 'rm -rf "$TMP"' EXIT INT TERM
status=0

case $WHICH in
ppcvm|qemu|all) ;;
*) echo "usage: $0 [ppcvm|qemu|all] [PPCVM_BINARY]" >&2; exit 2 ;;
esac

# judge VM ENDIAN NAME RC LOGFILE
judge() {
	id="guest/$1/$2/$3"
	log=$5
	reason=
	# A ppcvm-only program (e.g. the PV interface: QEMU TCG has no /hypervisor) says
	# "SKIP-PROGRAM: why" under QEMU: reported SKIP, counted neither PASS nor FAIL.
	if grep -q '^SKIP-PROGRAM' "$log"; then
		if [ "$1" = qemu ]; then
			echo "SKIP $id ($(grep -m1 '^SKIP-PROGRAM' "$log" | sed 's/^SKIP-PROGRAM: *//'))"
			return
		fi
		reason="SKIP-PROGRAM under ppcvm"
	fi
	if [ -n "$reason" ]; then
		:
	elif [ "$4" = 124 ] || [ "$4" = 137 ]; then
		reason="timeout"
	elif ! grep -q '^RESULT: [0-9]* passed, 0 failed' "$log"; then
		if grep -q '^RESULT: ' "$log"; then
			reason=$(grep '^RESULT: ' "$log" | tail -1 | sed 's/^RESULT: //')
		else
			reason="no RESULT line (exit $4)"
		fi
	elif grep -q '^FAIL' "$log"; then
		reason="FAIL lines after a clean RESULT"
	elif [ "$4" != 0 ]; then
		reason="exit status $4"
	fi
	if [ -z "$reason" ]; then
		echo "PASS $id"
		return
	fi
	word=FAIL
	if [ "$1" = ppcvm ]; then
		for x in $XFAIL; do
			[ "$x" = "$3" ] && word=XFAIL
		done
	fi
	echo "$word $id ($reason)"
	[ $word = FAIL ] && status=1
	grep -a -E '^(FAIL|SKIP)|unexpected|rror' "$log" | head -40 | sed 's/^/    /'
	if ! grep -q '^RESULT: ' "$log"; then
		tail -5 "$log" | sed 's/^/    | /'
	fi
}

run_one() {
	vm=$1 e=$2 elf=$3
	name=$(basename "$elf" .elf)
	log=$TMP/log
	# A program asks for more CPUs with a "guest-cpus: N" line in its source
	cpus=$(sed -n 's/.*guest-cpus: *\([0-9][0-9]*\).*/\1/p' \
		tests/guest/progs/"$name".c tests/guest/progs/"$name".S 2>/dev/null | head -1)
	cpus=${cpus:-1}
	if [ "$vm" = ppcvm ]; then
		timeout -k 5 "$TIMEOUT" "$PPCVM_BIN" run -k "$elf" --timeout 30 --cpus "$cpus" \
			</dev/null >"$log" 2>&1
	else
		# shellcheck disable=SC2086
		timeout -k 5 "$TIMEOUT" $QEMU $QEMU_ARGS -smp "$cpus" -kernel "$elf" \
			</dev/null >"$log" 2>&1
	fi
	judge "$vm" "$e" "$name" $? "$log"
}

if [ ! -f "$OUT/rom.bin" ]; then
	make -s -C tests/guest || { echo "FAIL guest/build (make -C tests/guest)"; exit 1; }
fi

for vm in ppcvm qemu; do
	[ "$WHICH" = all ] || [ "$WHICH" = "$vm" ] || continue
	if [ "$vm" = qemu ] && ! command -v "$QEMU" >/dev/null 2>&1; then
		echo "FAIL guest/qemu (no $QEMU)"
		status=1
		continue
	fi
	for e in be le; do
		for elf in "$OUT"/$e/*.elf; do
			[ -f "$elf" ] || continue
			name=$(basename "$elf" .elf)
			case $name in *"${GUEST_FILTER:-}"*) ;; *) continue ;; esac
			if [ "$vm" = ppcvm ] && [ ! -x "$PPCVM_BIN" ]; then
				echo "FAIL guest/ppcvm/$e/$name (no ppcvm binary)"
				status=1
				continue
			fi
			run_one "$vm" "$e" "$elf"
		done
	done
done
exit $status
