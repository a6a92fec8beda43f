/*
 * Benchmark guest for the KVM paravirtual interface (ppcvm only: it needs /hypervisor):
 *   pv_msr_insn:    mfmsr + mtmsrd L=1, the privileged pair a PV guest patches away
 *   pv_msr_patched: ld + std on the magic page's msr field, the patched form of the pair
 *   pv_hcall:       a KVM hypercall round trip (KVM_HC_FEATURES through lis/ori/sc)
 * Times come from the timebase (512 MHz); bench/run.sh turns them into ns per pair / call.
 * bootargs: pviters=N (pairs), pvhcalls=N.
 */
#include "guest.h"

static long kvm_sc(u64 tok, u64 a0, u64 a1)
{
	register u64 r0 asm("r0") = 0x4b564d21UL;
	register u64 r3 asm("r3") = a0;
	register u64 r4 asm("r4") = a1;
	register u64 r11 asm("r11") = tok;

	asm volatile("sc"
		     : "+r"(r0), "+r"(r3), "+r"(r4), "+r"(r11)
		     :
		     : "r5", "r6", "r7", "r8", "r9", "r10", "r12", "ctr", "xer", "cr0", "memory");
	return (long)r3;
}

int main(void)
{
	u64 n = bootarg("pviters", 10000000), nh = bootarg("pvhcalls", 200000), t0, t1;

	if (!fdt_getprop("/hypervisor", "compatible", NULL)) {
		puts("bench: no /hypervisor\n");
		return 0;
	}
	if (kvm_sc(0x2a0004, (u64)-4096L, (u64)-4096L | 1) != 0) {
		puts("bench: MAP_MAGIC_PAGE failed\n");
		return 0;
	}
	t0 = mftb();
	asm volatile("mtctr %0\n"
		     "1:\tmfmsr 5\n\tmtmsrd 5,1\n\tbdnz 1b\n"
		     :
		     : "r"(n)
		     : "r5", "ctr", "memory");
	t1 = mftb();
	printf("BENCH pv_msr_insn n=%lu ticks=%lu\n", n, t1 - t0);
	t0 = mftb();
	asm volatile("mtctr %0\n"
		     "1:\tld 5,-4096+88(0)\n\tstd 5,-4096+88(0)\n\tbdnz 1b\n"
		     :
		     : "r"(n)
		     : "r5", "ctr", "memory");
	t1 = mftb();
	printf("BENCH pv_msr_patched n=%lu ticks=%lu\n", n, t1 - t0);
	t0 = mftb();
	for (u64 i = 0; i < nh; i++)
		kvm_sc(0x2a0003, 0, 0);
	t1 = mftb();
	printf("BENCH pv_hcall n=%lu ticks=%lu\n", nh, t1 - t0);
	return 0;
}
