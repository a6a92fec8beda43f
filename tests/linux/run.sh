#!/bin/sh
# Boot Debian's ppc64el kernel with a busybox initramfs whose /init runs a few
# checks (virtio-blk read/write, virtio-rng) and powers off. make test-linux;
# also part of make test when the kernel is cached (about 5 s).
# Uses the kernel, modules and busybox scripts/demo.sh caches. One
# "PASS name" / "FAIL name" line per check, then "N passed, N failed".
# Environment: PPCVM (binary, default build/ppcvm), LINUX_TIMEOUT (seconds,
# default 600), LINUX_CPUS (default 1), LINUX_EXTRA (more ppcvm options),
# LINUX_IF_CACHED=1 (make test: one SKIP line instead of downloading when
# `make demo` has not cached the kernel yet).
cd "$(dirname "$0")/../.." || exit 1
top=$(pwd)
ppcvm=${PPCVM:-$top/build/ppcvm}
cache=${PPCVM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ppcvm}
timeout=${LINUX_TIMEOUT:-600}
cpus=${LINUX_CPUS:-1}
pass=0 fail=0
ok() { echo "PASS linux/$1"; pass=$((pass + 1)); }
ko() { echo "FAIL linux/$1${2:+ ($2)}"; fail=$((fail + 1)); }
check() { if eval "$2"; then ok "$1"; else ko "$1" "$3"; fi; }

if [ -n "$LINUX_IF_CACHED" ] && ! ls "$cache"/kernel/boot/vmlinux-* >/dev/null 2>&1; then
	echo "SKIP linux/virtio (no cached Debian kernel: run make demo once)"
	exit 0
fi
if ! DEMO_PREPARE_ONLY=1 scripts/demo.sh >/dev/null 2>"${TMPDIR:-/tmp}/ppcvm-linux-prep.log"; then
	ko prepare "scripts/demo.sh failed: see ${TMPDIR:-/tmp}/ppcvm-linux-prep.log"
	echo "$pass passed, $fail failed"
	exit 1
fi
vmlinux=$(ls "$cache"/kernel/boot/vmlinux-* | head -n 1)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -a "$cache/initramfs" "$work/root"

# The disk: 1 MiB of random data (the guest hashes it), then room for a write
head -c 1048576 /dev/urandom >"$work/disk.img"
truncate -s 8M "$work/disk.img"
want_sha=$(head -c 1048576 "$work/disk.img" | sha256sum | cut -d' ' -f1)

cat >"$work/root/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null || mdev -s
echo "T:init"
for m in $(cat /lib/modules/load-order); do
	insmod /lib/modules/$m 2>/dev/null || echo "T:insmod-failed $m"
done
sleep 1
mdev -s 2>/dev/null
echo "T:uname $(uname -a)"
echo "T:cpus $(grep -c ^processor /proc/cpuinfo)"
echo "T:virtio $(ls /sys/bus/virtio/devices 2>/dev/null | tr '\n' ' ')"
if [ -b /dev/vda ]; then
	echo "T:sha $(head -c 1048576 /dev/vda | sha256sum | cut -d' ' -f1)"
	echo "written-by-the-guest" | dd of=/dev/vda bs=512 seek=4096 conv=fsync 2>/dev/null
	sync
	echo "T:wrote"
fi
[ -c /dev/hwrng ] && echo "T:rng $(head -c 16 /dev/hwrng | od -An -tx1 | tr -d ' \n')"
echo "T:msix $(grep -c 'PCI-MSI.*virtio' /proc/interrupts) $(dmesg | grep -c 'failed to find MSIs')"
echo "T:done"
poweroff -f
INIT
chmod 755 "$work/root/init"
(cd "$work/root" && find . | cpio -o -H newc --quiet | gzip) >"$work/initrd.gz"

# shellcheck disable=SC2086
"$ppcvm" run -k "$vmlinux" -i "$work/initrd.gz" -m 1G -c "$cpus" --disk "$work/disk.img" \
	-p "console=hvc0" --timeout "$timeout" ${LINUX_EXTRA:-} \
	</dev/null >"$work/console.log" 2>&1
rc=$?
log="$work/console.log"
tr -d '\r' <"$log" >"$work/c" && mv "$work/c" "$log"
check boot-to-init 'grep -q "^T:init" "$log"' "no /init output; last lines: $(tail -n 3 "$log" | tr '\n' '|')"
check uname 'grep -q "^T:uname Linux .*ppc64le" "$log"'
check cpus 'grep -q "^T:cpus $cpus\$" "$log"'
check virtio-blk-read 'grep -q "^T:sha $want_sha" "$log"'
check virtio-blk-write \
	'dd if="$work/disk.img" bs=512 skip=4096 count=1 2>/dev/null | grep -q written-by-the-guest'
check virtio-rng 'grep -q "^T:rng [0-9a-f]\{32\}" "$log"'
# virtio-pci on MSI-X vectors through ibm,change-msi (no "failed to find MSIs")
check virtio-msix 'grep -q "^T:msix [1-9][0-9]* 0\$" "$log"'
check poweroff '[ $rc -eq 0 ] && grep -q "^T:done" "$log"' "exit status $rc"
if [ "$fail" -ne 0 ]; then
	cp "$log" "${TMPDIR:-/tmp}/ppcvm-linux-console.log"
	echo "console log: ${TMPDIR:-/tmp}/ppcvm-linux-console.log" >&2
fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
