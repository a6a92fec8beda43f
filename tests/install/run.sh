#!/bin/sh
# make install into a temporary prefix, then build and run a program that
# embeds libppcvm through pkg-config, against the shared and static library.
cd "$(dirname "$0")/../.." || exit 1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if ! make -s install PREFIX="$tmp/p" >"$tmp/log" 2>&1; then
	echo "FAIL install/make-install"
	sed 's/^/    /' "$tmp/log" | tail -5
	exit 0
fi
echo "PASS install/make-install"
cat >"$tmp/embed.c" <<'C'
#include <ppcvm/ppcvm.h>
#include <stdio.h>
#include <stdlib.h>

int main(void)
{
	struct ppcvm_vm *vm;
	struct ppcvm_vcpu *vcpu;
	void *ram = aligned_alloc(4096, 1 << 20);
	/* li r3,0x58 (H_PUT_TERM_CHAR); sc 1: big-endian at 0 */
	static const unsigned char code[] = { 0x38, 0x60, 0x00, 0x58, 0x44, 0x00, 0x00, 0x22 };
	struct ppcvm_regs regs = { .pc = 0, .msr = 0x8000000000001000ull };
	struct ppcvm_run *run;

	if (ppcvm_vm_create(&vm) || ppcvm_set_memslot(vm, 0, 0, 1 << 20, ram, 0) ||
	    ppcvm_write_phys(vm, 0, code, sizeof(code)) || ppcvm_vcpu_create(vm, 0, &vcpu) ||
	    ppcvm_vcpu_set_regs(vcpu, &regs) || ppcvm_vcpu_run(vcpu))
		return 1;
	run = ppcvm_vcpu_run_data(vcpu);
	printf("%u %llu\n", run->exit_reason, (unsigned long long)run->papr_hcall.nr);
	ppcvm_vm_destroy(vm);
	return !(run->exit_reason == PPCVM_EXIT_PAPR_HCALL && run->papr_hcall.nr == 0x58);
}
C
export PKG_CONFIG_PATH="$tmp/p/lib/pkgconfig"
flags=$(pkg-config --cflags --libs ppcvm 2>/dev/null)
if [ -z "$flags" ]; then
	echo "FAIL install/pkg-config (no ppcvm.pc or no pkg-config)"
	exit 0
fi
if cc "$tmp/embed.c" $flags -o "$tmp/embed-shared" 2>"$tmp/log" &&
	LD_LIBRARY_PATH="$tmp/p/lib" "$tmp/embed-shared" >/dev/null; then
	echo "PASS install/embed-shared"
else
	echo "FAIL install/embed-shared"
	sed 's/^/    /' "$tmp/log" | tail -5
fi
if cc "$tmp/embed.c" -I"$tmp/p/include" "$tmp/p/lib/libppcvm.a" -pthread -lm -o "$tmp/embed-static" \
	2>"$tmp/log" && "$tmp/embed-static" >/dev/null; then
	echo "PASS install/embed-static"
else
	echo "FAIL install/embed-static"
	sed 's/^/    /' "$tmp/log" | tail -5
fi
# only the public API is exported from the shared library
if nm -D --defined-only "$tmp/p/lib/libppcvm.so" | awk '$2 ~ /^[TD]$/ {print $3}' |
	grep -v '^ppcvm_' | grep -q .; then
	echo "FAIL install/exports-only-api"
	nm -D --defined-only "$tmp/p/lib/libppcvm.so" | awk '$2 ~ /^[TD]$/ {print $3}' |
		grep -v '^ppcvm_' | head -5 | sed 's/^/    /'
else
	echo "PASS install/exports-only-api"
fi
