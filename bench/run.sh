#!/bin/sh
# make bench: run the benchmark guests in ppcvm and in qemu-system-ppc64
# (TCG) in the same run and print one line per figure:
#   bench: NAME ppcvm=VALUE qemu=VALUE unit=UNIT ratio=PPCVM/QEMU
# Each figure is the median of RUNS runs (default 3). Times are measured by
# the guest with the timebase (512 MHz on both).
cd "$(dirname "$0")/.." || exit 1
RUNS=${RUNS:-3}
PPCVM=${PPCVM:-build/ppcvm}
ELF=bench/out/be/loop.elf
ROM=tests/guest/out/rom.bin
ITERS=${ITERS:-100000000}
HCALLS=${HCALLS:-200000}
ARGS="iters=$ITERS hcalls=$HCALLS"
# hash MMU guests: 4096 pages x TLBROUNDS loads; REMAPS H_REMOVE+H_ENTER pairs
TLB_ELF=bench/out/be/tlb_walk.elf
REMAP_ELF=bench/out/be/remap.elf
TLBROUNDS=${TLBROUNDS:-100}
REMAPS=${REMAPS:-100000}
MMU_ARGS="tlbpages=4096 tlbrounds=$TLBROUNDS remaps=$REMAPS"
# KVM PV interface (ppcvm only: QEMU TCG has no /hypervisor): mfmsr+mtmsrd pairs, the
# patched ld+std pairs, KVM hypercall round trips
PV_ELF=bench/out/be/pv.elf
PVITERS=${PVITERS:-10000000}
PVHCALLS=${PVHCALLS:-200000}
PV_ARGS="pviters=$PVITERS pvhcalls=$PVHCALLS"

# H_LOGICAL_CI_STORE/LOAD round trips to an address no device claims (both machines)
MMIO_ELF=bench/out/be/mmio.elf
CIOPS=${CIOPS:-100000}

[ -x "$PPCVM" ] || { echo "bench: $PPCVM missing (run make)" >&2; exit 1; }
[ -f "$ELF" ] && [ -f "$ROM" ] || { echo "bench: guests missing" >&2; exit 1; }

# run_ppcvm / run_qemu [ELF ARGS]: the loop guest by default
run_ppcvm() {
	timeout -k 5 320 "$PPCVM" run -k "${1:-$ELF}" -p "${2:-$ARGS}" --timeout 300 </dev/null
}

run_qemu() {
	qemu-system-ppc64 -M pseries,cap-cfpc=broken,cap-sbbc=broken,cap-ibs=broken,cap-ccf-assist=off \
		-cpu POWER8 -m 256M -nographic -nodefaults -serial stdio -no-reboot \
		-bios "$ROM" -append "${2:-$ARGS}" -kernel "${1:-$ELF}" </dev/null 2>/dev/null
}

# value OUTPUT NAME FIELD: the number after FIELD= on the "BENCH NAME" line
value() {
	printf '%s\n' "$1" | sed -n "s/.*BENCH $2 .*$3=\([0-9]*\).*/\1/p" | tr -d '\r'
}

median() {
	sort -n | awk '{v[NR]=$1} END {if (NR) print v[int((NR+1)/2)]}'
}

collect() { # collect RUNNER -> files loop.t hcall_core.t hcall_exit.t tlb_walk.t remap.t in $2
	i=0
	while [ $i -lt "$RUNS" ]; do
		out=$($1)
		for n in loop hcall_core hcall_exit; do
			value "$out" $n ticks >>"$2/$n.t"
		done
		if [ -f "$TLB_ELF" ]; then
			out=$($1 "$TLB_ELF" "$MMU_ARGS")
			value "$out" tlb_walk ticks >>"$2/tlb_walk.t"
		fi
		if [ -f "$REMAP_ELF" ]; then
			out=$($1 "$REMAP_ELF" "$MMU_ARGS")
			value "$out" remap ticks >>"$2/remap.t"
		fi
		if [ -f "$MMIO_ELF" ]; then
			out=$($1 "$MMIO_ELF" "ciops=$CIOPS")
			for n in ci_store ci_load; do
				value "$out" $n ticks >>"$2/$n.t"
			done
		fi
		if [ -f "$PV_ELF" ] && [ "$1" = run_ppcvm ]; then
			out=$($1 "$PV_ELF" "$PV_ARGS")
			for n in pv_msr_insn pv_msr_patched pv_hcall; do
				value "$out" $n ticks >>"$2/$n.t"
			done
		fi
		i=$((i + 1))
	done
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/p" "$tmp/q"
collect run_ppcvm "$tmp/p"
if command -v qemu-system-ppc64 >/dev/null 2>&1; then
	collect run_qemu "$tmp/q"
fi

# report NAME UNIT AWK-EXPR(ticks): converts median ticks to the unit
report() {
	p=$(median <"$tmp/p/$1.t")
	q=""
	[ -f "$tmp/q/$1.t" ] && q=$(median <"$tmp/q/$1.t")
	pv=$(awk -v t="$p" "BEGIN { if (t == \"\") print \"none\"; else printf \"%.1f\", $3 }")
	qv=$(awk -v t="$q" "BEGIN { if (t == \"\") print \"none\"; else printf \"%.1f\", $3 }")
	ratio=$(awk -v a="$pv" -v b="$qv" 'BEGIN { if (a == "none" || b == "none" || b == 0) print "none"; else printf "%.2f", a / b }')
	echo "bench: $1 ppcvm=$pv qemu=$qv unit=$2 ratio=$ratio"
}

report loop MIPS "$ITERS * 12 / (t / 512.0)"
report hcall_core ns "t / 0.512 / $HCALLS"
report hcall_exit ns "t / 0.512 / $HCALLS"
# ns per load (4096 pages round robin, translation on) and per H_REMOVE+H_ENTER pair
report tlb_walk ns "t / 0.512 / (4096 * $TLBROUNDS)"
report remap ns "t / 0.512 / $REMAPS"
# ns per mfmsr+mtmsrd pair, per patched ld+std pair, per KVM hypercall (no QEMU equivalent)
report pv_msr_insn ns "t / 0.512 / $PVITERS"
report pv_msr_patched ns "t / 0.512 / $PVITERS"
report pv_hcall ns "t / 0.512 / $PVHCALLS"
# ns per H_LOGICAL_CI_STORE / _LOAD to an unclaimed address (ppcvm: exit to the VMM)
report ci_store ns "t / 0.512 / $CIOPS"
report ci_load ns "t / 0.512 / $CIOPS"
# Host-side, through the public API (bench/iobus.c): MMIO exit round trip, IO bus
# device, ioeventfd, H_LOGICAL_CI_STORE in the core against the exit (ns, no QEMU)
[ -x build/bench/iobus ] && build/bench/iobus "${MMIOOPS:-1000000}" "$RUNS"
if ls "${PPCVM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ppcvm}"/kernel/boot/vmlinux-* >/dev/null 2>&1; then PPCVM="$PPCVM" sh bench/linux.sh; else echo "bench: linux skipped (run make demo once)"; fi
