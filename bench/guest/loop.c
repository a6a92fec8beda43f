/*
 * Benchmark guest: the 12-instruction loop of the foundation issue (ld, add,
 * rlwinm, xor, addi, std, lwz, add, stw, addi, cmpdi, bne), then hypercall
 * round trips: one the core serves (H_SET_MODE) and one that exits to the
 * VMM (H_PUT_TERM_CHAR of zero bytes). Times come from the timebase
 * (512 MHz); the host script turns them into MIPS and ns.
 * bootargs: iters=N (loop iterations), hcalls=N.
 */
#include "guest.h"

static u64 buf[8] __attribute__((aligned(64)));

static void bench_loop(u64 iters)
{
	u64 t0, t1;

	t0 = mftb();
	asm volatile("mr 3,%0\n"
		     "mr 9,%1\n"
		     "li 7,0\n"
		     "1:\n"
		     "ld 5,0(9)\n"
		     "add 6,5,7\n"
		     "rlwinm 8,6,3,0,28\n"
		     "xor 10,8,5\n"
		     "addi 11,10,1\n"
		     "std 11,8(9)\n"
		     "lwz 12,16(9)\n"
		     "add 7,7,12\n"
		     "stw 7,24(9)\n"
		     "addi 3,3,-1\n"
		     "cmpdi 3,0\n"
		     "bne 1b\n"
		     :
		     : "r"(iters), "r"(buf)
		     : "r3", "r5", "r6", "r7", "r8", "r9", "r10", "r11", "r12", "cr0", "memory");
	t1 = mftb();
	printf("BENCH loop iters=%lu ticks=%lu\n", iters, t1 - t0);
}

static void bench_hcalls(u64 n)
{
	u64 out[8], t0, t1;
	u64 le = (mfmsr() & MSR_LE) ? 1 : 0;

	t0 = mftb();
	for (u64 i = 0; i < n; i++)
		hcall(H_SET_MODE, out, le, 4, 0, 0, 0, 0);
	t1 = mftb();
	printf("BENCH hcall_core n=%lu ticks=%lu\n", n, t1 - t0);
	t0 = mftb();
	for (u64 i = 0; i < n; i++)
		hcall(H_PUT_TERM_CHAR, out, VTERM_UNIT, 0, 0, 0, 0, 0);
	t1 = mftb();
	printf("BENCH hcall_exit n=%lu ticks=%lu\n", n, t1 - t0);
}

int main(void)
{
	bench_loop(bootarg("iters", 10000000));
	bench_hcalls(bootarg("hcalls", 100000));
	return 0;
}
