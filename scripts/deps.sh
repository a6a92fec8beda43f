#!/bin/sh
# Install what ppcvm needs from Debian, only what is missing.
# Usage: scripts/deps.sh [build|test|all]   (default: all)
set -e
want=${1:-all}
pkgs="gcc make pkg-config libfdt-dev device-tree-compiler"
case "$want" in
test|all)
	pkgs="$pkgs gcc-powerpc64le-linux-gnu gcc-powerpc64-linux-gnu \
gcc-powerpc-linux-gnu qemu-system-ppc qemu-user"
	;;
esac
missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "deps: installing:$missing" >&2
SUDO=""
[ "$(id -u)" = 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q >/dev/null 2>&1 || echo "deps: apt-get update reported errors, going on" >&2
# shellcheck disable=SC2086
$SUDO apt-get install -y -q --no-install-recommends $missing >/dev/null
