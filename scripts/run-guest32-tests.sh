#!/bin/sh
# Run the 32-bit Book3S guest test programs (tests/guest32/out/NAME.elf) under ppcvm
# (--machine epapr --cpu 750|7447a) and/or bare under QEMU (qemu-system-ppc -M g3beige -cpu 750
# / -M mac99 -cpu 7447a_v1.2, -bios out/rom-NAME.elf: our ROM, no OpenBIOS).
# Usage: scripts/run-guest32-tests.sh [ppcvm|qemu|all] [PPCVM_BINARY]
#   PPCVM=path overrides the ppcvm binary; GUEST_FILTER=name runs only matching programs;
#   GUEST32_CPUS="750 7447a" the CPUs; PPCVM_GUEST32_XFAIL="name ..." expected ppcvm failures;
#   GUEST32_LOGS=dir keeps every guest's output there (log-VM-CPU-NAME).
# A program's source may say "guest32-cpus: 7447a" (the CPUs it is for).
# Under QEMU the program writes its output to a RAM buffer (tests/guest32/lib/guest32.h
# OUTBUF: magic, length, done marker, text) that this script reads with the monitor's
# pmemsave until the done marker appears.
# Prints one line per run: "PASS guest32/<vm>/<cpu>/<name>", "SKIP ..." or "FAIL ... (reason)"
# followed by the failing lines; the fuzz program's logs are also compared between ppcvm and
# QEMU ("guest32/fuzz-cmp/<cpu>/seed-N"). No summary line (scripts/run-tests.sh counts).
cd "$(dirname "$0")/.." || exit 1

WHICH=${1:-all}
PPCVM_BIN=${2:-${PPCVM:-build/ppcvm}}
TIMEOUT=${GUEST_TIMEOUT:-30}
XFAIL=${PPCVM_GUEST32_XFAIL-}
CPUS=${GUEST32_CPUS:-750 7447a}
DIR=tests/guest32
OUT=$DIR/out
QEMU=${QEMU:-qemu-system-ppc}
OUTBUF=0x700000
OUTLEN=65552
TMP=$(mktemp -d) || exit 1
trap 'rm -rf "$TMP"' EXIT INT TERM
status=0

case $WHICH in
ppcvm|qemu|all) ;;
*) echo "usage: $0 [ppcvm|qemu|all] [PPCVM_BINARY]" >&2; exit 2 ;;
esac

# judge VM CPU NAME RC LOGFILE
judge() {
	id="guest32/$1/$2/$3"
	log=$5
	reason=
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

# be32 FILE OFFSET: the big-endian word at OFFSET
be32() {
	od -An -tu4 --endian=big -j "$2" -N4 "$1" 2>/dev/null | tr -d ' '
}

# qemu_run CPU ROM LOG: boot the ROM, poll the output buffer until "DONE" or the timeout
qemu_run() {
	case $1 in
	750) mach="-M g3beige -cpu 750" ;;
	7447a) mach="-M mac99 -cpu 7447a_v1.2" ;;
	esac
	mem=$TMP/mem
	rm -f "$mem" "$mem.final"
	(
		i=0
		done=
		while [ $i -lt $((TIMEOUT * 10)) ]; do
			sleep 0.1
			if [ -f "$mem" ] && [ "$(be32 "$mem" 8)" = 1146048069 ]; then
				done=1
				break
			fi
			echo "pmemsave $OUTBUF $OUTLEN \"$mem\""
			i=$((i + 1))
		done
		echo "pmemsave $OUTBUF $OUTLEN \"$mem.final\""
		echo quit
		[ -n "$done" ] || echo timeout >"$TMP/qemu-timeout"
	) | {
		# shellcheck disable=SC2086
		timeout -k 5 $((TIMEOUT + 10)) $QEMU $mach -m 256M -display none -nodefaults \
			-no-reboot -monitor stdio -bios "$2" >"$TMP/qemu-out" 2>&1
		echo $? >"$TMP/qemu-rc"
	}
	rc=$(cat "$TMP/qemu-rc")
	if [ -f "$mem.final" ]; then
		len=$(be32 "$mem.final" 4)
		[ "$(be32 "$mem.final" 0)" = 1330992161 ] || len=0
		tail -c +17 "$mem.final" | head -c "${len:-0}" >"$3"
	else
		: >"$3"
	fi
	if [ -f "$TMP/qemu-timeout" ]; then
		rm -f "$TMP/qemu-timeout"
		return 124
	fi
	if [ "$rc" != 0 ]; then
		cat "$TMP/qemu-out" >>"$3"
		return "$rc"
	fi
	return 0
}

make -s -C "$DIR" >"$TMP/build" 2>&1 || {
	echo "FAIL guest32/build (make -C $DIR)"
	sed 's/^/    /' "$TMP/build" | head -20
	exit 1
}

ppcvm_ok=1
if [ ! -x "$PPCVM_BIN" ] || ! "$PPCVM_BIN" run --help 2>&1 | grep -q -- '--machine'; then
	ppcvm_ok=
fi

for vm in ppcvm qemu; do
	[ "$WHICH" = all ] || [ "$WHICH" = "$vm" ] || continue
	if [ "$vm" = qemu ] && ! command -v "$QEMU" >/dev/null 2>&1; then
		echo "FAIL guest32/qemu (no $QEMU)"
		status=1
		continue
	fi
	for cpu in $CPUS; do
		for elf in "$OUT"/*.elf; do
			name=$(basename "$elf" .elf)
			case $name in rom-*) continue ;; esac
			case $name in *"${GUEST_FILTER:-}"*) ;; *) continue ;; esac
			want=$(sed -n 's/.*guest32-cpus: *\([0-9a-z ]*\).*/\1/p' \
				"$DIR/progs/$name.c" "$DIR/progs/$name.S" 2>/dev/null | head -1)
			if [ -n "$want" ]; then
				case " $want " in *" $cpu "*) ;; *) continue ;; esac
			fi
			log=$TMP/log-$vm-$cpu-$name
			if [ "$vm" = ppcvm ]; then
				if [ -z "$ppcvm_ok" ]; then
					echo "SKIP guest32/ppcvm/$cpu/$name ($PPCVM_BIN has no --machine epapr yet)"
					continue
				fi
				timeout -k 5 "$TIMEOUT" "$PPCVM_BIN" run --machine epapr --cpu "$cpu" \
					-m 256M -k "$elf" -t "$TIMEOUT" </dev/null >"$log" 2>&1
				rc=$?
			else
				qemu_run "$cpu" "$OUT/rom-$name.elf" "$log"
				rc=$?
			fi
			judge "$vm" "$cpu" "$name" "$rc" "$log"
		done
	done
done

# The fuzz program's outcome logs: ppcvm against QEMU, seed by seed
if [ "$WHICH" = all ]; then
	for cpu in $CPUS; do
		p=$TMP/log-ppcvm-$cpu-fuzz q=$TMP/log-qemu-$cpu-fuzz
		if [ ! -f "$p" ] || [ ! -f "$q" ]; then
			continue
		fi
		if ! grep -q '^FUZZ seed=' "$q"; then
			echo "FAIL guest32/fuzz-cmp/$cpu (no FUZZ lines from QEMU)"
			status=1
			continue
		fi
		for seed in $(sed -n 's/^FUZZ seed=\([0-9]*\) .*/\1/p' "$q"); do
			a=$(grep "^FUZZ seed=$seed " "$q")
			b=$(grep "^FUZZ seed=$seed " "$p")
			if [ "$a" = "$b" ]; then
				echo "PASS guest32/fuzz-cmp/$cpu/seed-$seed"
			else
				echo "FAIL guest32/fuzz-cmp/$cpu/seed-$seed"
				echo "    qemu:  $a"
				echo "    ppcvm: ${b:-(none)}"
				# the first differing outcome line, if the program printed them
				grep "^F$seed " "$q" >"$TMP/fq"
				grep "^F$seed " "$p" >"$TMP/fp"
				diff "$TMP/fq" "$TMP/fp" | grep '^[<>]' | head -4 | sed 's/^/    /'
				status=1
			fi
		done
	done
fi
if [ -n "${GUEST32_LOGS:-}" ]; then
	mkdir -p "$GUEST32_LOGS" && cp "$TMP"/log-* "$GUEST32_LOGS"/ 2>/dev/null
fi
exit $status
