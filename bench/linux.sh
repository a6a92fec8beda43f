#!/bin/sh
# Linux benchmarks (called by bench/run.sh when scripts/demo.sh has cached the kernel):
# the same Debian ppc64el kernel and busybox initramfs in ppcvm and in qemu-system-ppc64
# (TCG, -M pseries,x-vof=on -cpu POWER8). Prints
#   bench: linux_boot ppcvm=S qemu=S unit=s ratio=PPCVM/QEMU
#   bench: linux_sha256_64M ...   (in-guest sha256sum of 64 MiB of zeros in a RAM file)
#   bench: linux_gzip ...         (in-guest gzip -c | wc -c of `seq 1 500000`, 3.4 MB file)
# linux_boot is host time from starting the VM to the GUEST-READY line of /init; the
# workloads are timed in the guest with /proc/uptime (10 ms resolution). Each figure is
# the median of RUNS runs (default 1). Every boot is killed after LINUX_BENCH_TIMEOUT
# seconds (default 120); a failed run counts as "none".
# Environment: RUNS, PPCVM (binary, default build/ppcvm), PPCVM_CACHE, LINUX_BENCH_TIMEOUT,
# QEMU (binary, default qemu-system-ppc64), LINUX_BENCH_KEEP=DIR (keep the console logs).
cd "$(dirname "$0")/.." || exit 1
RUNS=${RUNS:-1}
PPCVM=${PPCVM:-build/ppcvm}
QEMU=${QEMU:-qemu-system-ppc64}
LIMIT=${LINUX_BENCH_TIMEOUT:-120}
cache=${PPCVM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ppcvm}
CMDLINE="console=hvc0 quiet"
# sha256 of 64 MiB of zeros: a wrong hash means a broken guest, not a figure
ZERO_SHA=3b6a07d0d404fab4e23b6d34bc6696a6a312dd92821332385e5af7c01c421351

vmlinux=$(ls "$cache"/kernel/boot/vmlinux-* 2>/dev/null | head -n 1)
if [ -z "$vmlinux" ] || [ ! -d "$cache/initramfs" ]; then
	echo "bench: linux skipped (run make demo once)"
	exit 0
fi
[ -x "$PPCVM" ] || { echo "bench: $PPCVM missing (run make)" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
cp -a "$cache/initramfs" "$tmp/root" || exit 1
cat >"$tmp/root/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null || mdev -s
echo GUEST-READY
# up: /proc/uptime in hundredths of a second
up() { read -r u _ </proc/uptime; echo "${u%.*}${u#*.}"; }
# the inputs go to the rootfs (RAM) untimed: the figures are sha256sum and gzip alone, as in
# the QEMU reference (dd's 1 MiB pipe copies and seq would double them)
dd if=/dev/zero of=/tmp/zero bs=1M count=64 2>/dev/null
seq 1 500000 >/tmp/seq
t0=$(up)
sha=$(sha256sum </tmp/zero)
t1=$(up)
gz=$(gzip -c </tmp/seq | wc -c)
t2=$(up)
echo "GUEST-RESULT sha256_cs=$((t1 - t0)) gzip_cs=$((t2 - t1)) sha=${sha%% *} gzbytes=$gz"
echo GUEST-DONE
poweroff -f
INIT
chmod 755 "$tmp/root/init"
(cd "$tmp/root" && find . | cpio -o -H newc --quiet | gzip) >"$tmp/initrd.gz" || exit 1
initrd=$tmp/initrd.gz

now_ns() { date +%s%N; }

# stamp START LOG READY: copies the console to LOG and writes the host time (ns since
# START) of the first GUEST-READY line to READY
stamp() {
	while IFS= read -r line; do
		printf '%s\n' "$line" >>"$2"
		case $line in
		*GUEST-READY*) [ -f "$3" ] || echo $(($(now_ns) - $1)) >"$3" ;;
		esac
	done
}

run_ppcvm() {
	timeout -k 5 "$LIMIT" "$PPCVM" run -k "$vmlinux" -i "$initrd" -m 1G -p "$CMDLINE" \
		--timeout "$LIMIT" </dev/null 2>&1
}

run_qemu() {
	timeout -k 5 "$LIMIT" "$QEMU" -M pseries,x-vof=on -cpu POWER8 -m 1G -nographic \
		-nodefaults -serial stdio -no-reboot -kernel "$vmlinux" -initrd "$initrd" \
		-append "$CMDLINE" </dev/null 2>&1
}

# collect RUNNER DIR: RUNS boots, one value per run in DIR/{boot,sha,gzip}.t
collect() {
	mkdir -p "$2"
	i=0
	while [ "$i" -lt "$RUNS" ]; do
		log=$2/console.$i.log ready=$2/ready.$i
		: >"$log"
		start=$(now_ns)
		$1 | stamp "$start" "$log" "$ready"
		tr -d '\r' <"$log" >"$log.c" && mv "$log.c" "$log"
		res=$(grep '^GUEST-RESULT ' "$log" | tail -n 1)
		if [ -f "$ready" ]; then
			awk '{ printf "%.2f\n", $1 / 1e9 }' "$ready" >>"$2/boot.t"
		else
			echo "bench: linux $1 run $i: no GUEST-READY (last: $(tail -n 2 "$log" |
				tr '\n' '|'))" >&2
		fi
		if [ -n "$res" ] && [ "$(field "$res" sha)" = "$ZERO_SHA" ]; then
			echo "$(field "$res" sha256_cs)" | awk '{ printf "%.2f\n", $1 / 100 }' \
				>>"$2/sha.t"
			echo "$(field "$res" gzip_cs)" | awk '{ printf "%.2f\n", $1 / 100 }' \
				>>"$2/gzip.t"
		else
			echo "bench: linux $1 run $i: no valid GUEST-RESULT" >&2
		fi
		i=$((i + 1))
	done
}

# field LINE NAME: the value after NAME= in LINE
field() { printf '%s\n' "$1" | sed -n "s/.* $2=\([^ ]*\).*/\1/p"; }

median() {
	[ -f "$1" ] || { echo none; return; }
	sort -n "$1" | awk '{v[NR]=$1} END {if (NR) print v[int((NR+1)/2)]; else print "none"}'
}

collect run_ppcvm "$tmp/p"
if command -v "$QEMU" >/dev/null 2>&1; then
	collect run_qemu "$tmp/q"
fi
if [ -n "${LINUX_BENCH_KEEP:-}" ]; then
	mkdir -p "$LINUX_BENCH_KEEP" && cp -r "$tmp/p" "$tmp/q" "$LINUX_BENCH_KEEP/" 2>/dev/null
fi

report() { # report NAME FILE
	p=$(median "$tmp/p/$2.t")
	q=$(median "$tmp/q/$2.t")
	ratio=$(awk -v a="$p" -v b="$q" 'BEGIN {
		if (a == "none" || b == "none" || b == 0) print "none"; else printf "%.2f", a / b }')
	echo "bench: $1 ppcvm=$p qemu=$q unit=s ratio=$ratio"
}
report linux_boot boot
report linux_sha256_64M sha
report linux_gzip gzip
