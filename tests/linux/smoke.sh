#!/bin/sh
# Boot Debian's ppc64el kernel (as cached by `make demo`) with 2 vCPUs to the
# busybox shell, run commands through the hvterm console (a pipe), power off.
# Part of `make test` when the kernel is cached; otherwise one SKIP line
# (not counted as a pass): run `make demo` once to enable it.
cd "$(dirname "$0")/../.." || exit 1
P=${PPCVM:-build/ppcvm}
cache=${PPCVM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ppcvm}
vmlinux=$(ls "$cache"/kernel/boot/vmlinux-* 2>/dev/null | head -n 1)
initrd=$(ls "$cache"/initramfs-*.cpio.gz 2>/dev/null | head -n 1)
if [ -z "$vmlinux" ] || [ -z "$initrd" ]; then
	echo "SKIP linux/boot-to-shell (no cached Debian kernel: run make demo once)"
	exit 0
fi
out=$(mktemp)
trap 'rm -f "$out"' EXIT
# Input waits in the console until the shell reads it; end of input is not
# the end of the guest (the console just has no more characters).
printf '%s\n' 'echo CPUS=$(grep -c ^processor /proc/cpuinfo)' \
	'echo SUM=$((40+2)) $(uname -m)' 'poweroff -f' | timeout 120 "$P" run -k "$vmlinux" -i "$initrd" -m 1G -c 2 \
	-p "console=hvc0 quiet" --timeout 100 >"$out" 2>&1
rc=$?
ok=1
grep -q "^CPUS=2" "$out" || ok=0
grep -q "^SUM=42 ppc64le" "$out" || ok=0
if [ $ok -eq 1 ] && [ $rc -eq 0 ]; then
	echo "PASS linux/boot-to-shell (2 vCPUs, commands, poweroff status 0)"
else
	echo "FAIL linux/boot-to-shell (exit $rc)"
	tail -15 "$out" | sed 's/^/    /'
fi
