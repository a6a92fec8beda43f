#!/bin/sh
# make demo: boot Debian's ppc64el Linux kernel with a busybox initramfs on ppcvm.
#
#   1. installs what is missing (scripts/deps.sh, cpio);
#   2. once, into a cache outside the repository ($PPCVM_CACHE, default
#      ~/.cache/ppcvm): dpkg --add-architecture ppc64el, apt-get update,
#      apt-get download of the current linux-image-*-powerpc64le and
#      busybox-static (ppc64el), extraction of vmlinux and the virtio modules;
#   3. builds the initramfs (cpio newc + gzip) and a small raw disk image;
#   4. boots: build/ppcvm run -k vmlinux -i initramfs -m 1G --disk disk.img.
#
# Environment: PPCVM_CACHE (cache directory), DEMO_TIMEOUT (seconds, default
# none), DEMO_CMDLINE (kernel command line), DEMO_PREPARE_ONLY=1 (stop before
# booting), PPCVM (the ppcvm binary, default build/ppcvm).
set -eu
cd "$(dirname "$0")/.."
top=$(pwd)
cache=${PPCVM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ppcvm}
ppcvm=${PPCVM:-$top/build/ppcvm}
cmdline=${DEMO_CMDLINE:-console=hvc0 loglevel=7}
timeout=${DEMO_TIMEOUT:-}

say() { printf 'demo: %s\n' "$*" >&2; }
die() { printf 'demo: error: %s\n' "$*" >&2; exit 1; }

SUDO=""
[ "$(id -u)" = 0 ] || SUDO=sudo

# ---- 1. host tools -------------------------------------------------------
scripts/deps.sh build
need=""
for tool in cpio:cpio gzip:gzip dpkg-deb:dpkg apt-get:apt; do
	command -v "${tool%%:*}" >/dev/null 2>&1 || need="$need ${tool#*:}"
done
if [ -n "$need" ]; then
	say "installing:$need"
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends \
		$need >/dev/null || die "cannot install$need"
fi
[ -x "$ppcvm" ] || make -s all

mkdir -p "$cache/debs"
stamp="$cache/.prepared"

# ---- 2. Debian's ppc64el kernel and busybox, downloaded once -------------
if [ ! -f "$stamp" ]; then
	if ! dpkg --print-foreign-architectures | grep -qx ppc64el; then
		say "adding the ppc64el architecture to dpkg (needed for apt-get download)"
		$SUDO dpkg --add-architecture ppc64el
	fi
	if ! apt-cache show busybox-static:ppc64el >/dev/null 2>&1 ||
	   [ -z "${DEMO_NO_UPDATE:-}" ]; then
		say "apt-get update (a failed index for one source is fine)"
		$SUDO apt-get update -q >"$cache/apt-update.log" 2>&1 ||
			say "apt-get update reported errors (see $cache/apt-update.log), going on"
	fi
	# The metapackage names the current ABI: linux-image-6.1.0-NN-powerpc64le
	kpkg=$(apt-cache depends linux-image-powerpc64le:ppc64el 2>/dev/null |
		sed -n 's/^ *Depends: \(linux-image-[0-9][^:]*-powerpc64le\).*/\1/p' | head -n 1)
	if [ -z "$kpkg" ]; then
		kpkg=$(apt-cache search --names-only '^linux-image-[0-9].*-powerpc64le$' 2>/dev/null |
			awk '{print $1}' | grep -v -- '-dbg' | sort -V | tail -n 1)
	fi
	[ -n "$kpkg" ] || die "no linux-image-*-powerpc64le package found for ppc64el (did apt-get update work?)"
	say "kernel package: $kpkg"
	(
		cd "$cache/debs"
		for p in "$kpkg" busybox-static; do
			if ls "${p}"_*_ppc64el.deb >/dev/null 2>&1; then
				say "have $(ls "${p}"_*_ppc64el.deb | head -n 1)"
			else
				say "downloading $p:ppc64el"
				apt-get download -q "$p:ppc64el" >/dev/null ||
					die "apt-get download $p:ppc64el failed"
			fi
		done
	)
	rm -rf "$cache/kernel" "$cache/busybox"
	kdeb=$(ls "$cache/debs/${kpkg}"_*_ppc64el.deb | head -n 1)
	bdeb=$(ls "$cache/debs"/busybox-static_*_ppc64el.deb | head -n 1)
	say "extracting $(basename "$kdeb")"
	dpkg-deb -x "$kdeb" "$cache/kernel"
	dpkg-deb -x "$bdeb" "$cache/busybox"
	echo "$kpkg" >"$cache/kernel-package"
	touch "$stamp"
fi

vmlinux=$(ls "$cache"/kernel/boot/vmlinux-* 2>/dev/null | head -n 1)
[ -n "$vmlinux" ] || die "no /boot/vmlinux-* in the kernel package (remove $stamp to retry)"
kver=${vmlinux##*/vmlinux-}
moddir="$cache/kernel/lib/modules/$kver"
[ -d "$moddir" ] || die "no modules for $kver in the kernel package"
busybox="$cache/busybox/bin/busybox"
[ -x "$busybox" ] || die "no bin/busybox in busybox-static (remove $stamp to retry)"

# ---- 3. initramfs and disk ----------------------------------------------
# The virtio modules (Debian builds them as modules) and what they depend on,
# in load order. The package has no modules.dep (depmod makes it at install
# time): the dependencies are read from each module's "depends=" modinfo.
wanted="virtio_pci virtio_blk virtio_console virtio-rng"
initrd="$cache/initramfs-$kver.cpio.gz"
if [ ! -f "$initrd" ] || [ "$0" -nt "$initrd" ]; then
	say "building the initramfs for $kver"
	root="$cache/initramfs"
	rm -rf "$root"
	mkdir -p "$root/bin" "$root/sbin" "$root/dev" "$root/proc" "$root/sys" "$root/tmp" \
		"$root/mnt" "$root/lib/modules"
	cp "$busybox" "$root/bin/busybox"
	find "$moddir/kernel" -name '*.ko*' >"$cache/modules.list"
	unpack_mod() {	# unpack_mod PATH DEST: an uncompressed copy
		case "$1" in
		*.ko.xz) xz -dc "$1" >"$2" ;;
		*.ko.zst) zstd -qdc "$1" >"$2" ;;
		*.ko.gz) gzip -dc "$1" >"$2" ;;
		*) cp "$1" "$2" ;;
		esac
	}
	order=""
	add_mod() {	# add_mod NAME: its dependencies first, then itself
		case " $order " in *" $1 "*) return 0 ;; esac
		# module names use _ and - interchangeably
		pat=$(printf '%s' "$1" | sed 's/[-_]/[-_]/g')
		src=$(grep -E "/$pat\.ko(\.[a-z]+)?\$" "$cache/modules.list" | head -n 1)
		if [ -z "$src" ]; then
			if grep -qE "/$pat\.ko\$" "$moddir/modules.builtin" 2>/dev/null; then
				say "$1 is built into the kernel"
			else
				say "note: $1 is neither a module nor built in ($kver)"
			fi
			return 0
		fi
		unpack_mod "$src" "$root/lib/modules/$1.ko"
		deps=$(tr '\0' '\n' <"$root/lib/modules/$1.ko" | sed -n 's/^depends=//p' |
			head -n 1 | tr ',' ' ')
		for d in $deps; do add_mod "$d"; done
		order="$order $1"
	}
	for w in $wanted; do add_mod "$w"; done
	: >"$root/lib/modules/load-order"
	for name in $order; do echo "$name.ko" >>"$root/lib/modules/load-order"; done
	say "modules:$order"
	cat >"$root/init" <<'EOF'
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null || mdev -s
for m in $(cat /lib/modules/load-order); do
	insmod /lib/modules/$m 2>/dev/null || echo "init: insmod $m failed"
done
sleep 1
mdev -s 2>/dev/null
echo
echo "=== ppcvm demo: Debian $(uname -r) on $(uname -m), $(grep -c ^processor /proc/cpuinfo) CPU(s) ==="
ls /sys/bus/virtio/devices 2>/dev/null | sed 's/^/virtio device: /'
[ -b /dev/vda ] && echo "disk /dev/vda: $(head -c 64 /dev/vda | tr -d '\0')"
echo "Type 'poweroff -f' to leave."
export PS1='ppcvm# '
while :; do
	setsid cttyhack sh -l 2>/dev/null || sh
done
EOF
	chmod 755 "$root/init"
	(cd "$root" && find . | cpio -o -H newc --quiet | gzip -9) >"$initrd.tmp"
	mv "$initrd.tmp" "$initrd"
fi
disk="$cache/disk.img"
if [ ! -f "$disk" ]; then
	printf 'Hello from a ppcvm virtio-blk disk\n' >"$disk"
	truncate -s 16M "$disk"
fi

# ---- 4. boot -------------------------------------------------------------
if [ -n "${DEMO_PREPARE_ONLY:-}" ]; then
	say "prepared: $vmlinux $initrd $disk"
	exit 0
fi
say "booting $vmlinux ($(du -h "$initrd" | cut -f1) initramfs); Ctrl-A x quits"
set -- run -k "$vmlinux" -i "$initrd" -m 1G --disk "$disk" -p "$cmdline"
[ -n "$timeout" ] && set -- "$@" --timeout "$timeout"
exec "$ppcvm" "$@"
