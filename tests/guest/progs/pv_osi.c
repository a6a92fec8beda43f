/*
 * OSI, the Mac-on-Linux hypercall ABI (ppc-pv.rst): sc with r3 = 0x113724FA, r4 = 0x77810F9B
 * exits to the VMM with all 32 GPRs, and the VMM's answer is in the registers after the sc.
 * The ppcvm VMM's small OSI service (src/vmm/osi.c): selector r5 = 0 "available" (r3 = 0,
 * r4 = 1), 1 "sum of r6..r31" in r4, anything else r3 = -1.
 * ppcvm only: under QEMU, sc is a system call (the program says SKIP-PROGRAM there).
 */
#include "guest.h"

#define OSI_R3 0x113724faUL
#define OSI_R4 0x77810f9bUL

/* r6..r31 = base + n (r12 = the save area), r5 = selector; gives r3, r4, r31 after the sc */
static u64 area[24];

static void osi_call(u64 sel, u64 base, u64 out[3])
{
	asm volatile("std 13,0(%0)\n\tstd 14,8(%0)\n\tstd 15,16(%0)\n\tstd 16,24(%0)\n\t"
		     "std 17,32(%0)\n\tstd 18,40(%0)\n\tstd 19,48(%0)\n\tstd 20,56(%0)\n\t"
		     "std 21,64(%0)\n\tstd 22,72(%0)\n\tstd 23,80(%0)\n\tstd 24,88(%0)\n\t"
		     "std 25,96(%0)\n\tstd 26,104(%0)\n\tstd 27,112(%0)\n\tstd 28,120(%0)\n\t"
		     "std 29,128(%0)\n\tstd 30,136(%0)\n\tstd 31,144(%0)\n\t"
		     "mr 12,%0\n\tmr 5,%1\n\tmr 11,%2\n\t"
		     "addi 6,11,6\n\taddi 7,11,7\n\taddi 8,11,8\n\taddi 9,11,9\n\t"
		     "addi 10,11,10\n\taddi 13,11,13\n\taddi 14,11,14\n\taddi 15,11,15\n\t"
		     "addi 16,11,16\n\taddi 17,11,17\n\taddi 18,11,18\n\taddi 19,11,19\n\t"
		     "addi 20,11,20\n\taddi 21,11,21\n\taddi 22,11,22\n\taddi 23,11,23\n\t"
		     "addi 24,11,24\n\taddi 25,11,25\n\taddi 26,11,26\n\taddi 27,11,27\n\t"
		     "addi 28,11,28\n\taddi 29,11,29\n\taddi 30,11,30\n\taddi 31,11,31\n\t"
		     "addi 11,11,11\n\t"
		     "lis 3,0x1137\n\tori 3,3,0x24fa\n\tlis 4,0x7781\n\tori 4,4,0x0f9b\n\t"
		     "sc\n\t"
		     "std 3,160(12)\n\tstd 4,168(12)\n\tstd 31,176(12)\n\t"
		     "ld 13,0(12)\n\tld 14,8(12)\n\tld 15,16(12)\n\tld 16,24(12)\n\t"
		     "ld 17,32(12)\n\tld 18,40(12)\n\tld 19,48(12)\n\tld 20,56(12)\n\t"
		     "ld 21,64(12)\n\tld 22,72(12)\n\tld 23,80(12)\n\tld 24,88(12)\n\t"
		     "ld 25,96(12)\n\tld 26,104(12)\n\tld 27,112(12)\n\tld 28,120(12)\n\t"
		     "ld 29,128(12)\n\tld 30,136(12)\n\tld 31,144(12)\n\t"
		     :
		     : "b"(area), "r"(sel), "r"(base)
		     : "r0", "r3", "r4", "r5", "r6", "r7", "r8", "r9", "r10", "r11", "r12", "ctr",
		       "xer", "cr0", "memory");
	out[0] = area[20];
	out[1] = area[21];
	out[2] = area[22];
}

static u64 res[3];

int main(void)
{
	u64 sum = 0, base = 0x1000;
	int i;

	if (qemu_bad_skip) {
		puts("SKIP-PROGRAM: OSI needs the ppcvm VMM's handler\n");
		return 0;
	}
	exc_expected = 1;
	exc_reset();
	osi_call(0, base, res);
	check_eq(exc_count, 0, "osi.no-interrupt");
	check_eq(res[0], 0, "osi.available.r3");
	check_eq(res[1], 1, "osi.available.r4");
	check_eq(res[2], base + 31, "osi.r31-kept");
	/* every GPR r6..r31 went to the VMM: r12 = the save area, the others base + n */
	osi_call(1, base, res);
	for (i = 6; i < 32; i++)
		sum += i == 12 ? (u64)area : base + i;
	check_eq(res[0], 0, "osi.sum.r3");
	check_eq(res[1], sum, "osi.sum.r4");
	osi_call(99, base, res);
	check_eq(res[0], (u64)-1, "osi.unknown.r3");
	check_eq(exc_count, 0, "osi.still-no-interrupt");
	exc_expected = 0;
	return 0;
}
