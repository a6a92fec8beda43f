/* Special purpose registers (Power ISA 2.07 Book III 4.2-4.3, 7, 9; Book I 3.3.17). */
#include "insn.h"

int main(void)
{
	u64 v, t0, t1, d0, d1;

	mtspr(272, 0x1111111111111111UL);
	mtspr(273, 0x2222222222222222UL);
	mtspr(274, 0x3333333333333333UL);
	mtspr(275, 0x4444444444444444UL);
	check_eq(mfspr(272), 0x1111111111111111UL, "sprg0");
	check_eq(mfspr(273), 0x2222222222222222UL, "sprg1");
	check_eq(mfspr(274), 0x3333333333333333UL, "sprg2");
	check_eq(mfspr(275), 0x4444444444444444UL, "sprg3");
	/* SPRG3 is also readable at the user number 259 */
	check_eq(mfspr(259), 0x4444444444444444UL, "usprg3");
	mtspr(26, 0x123456789abcdef0UL);
	check_eq(mfspr(26), 0x123456789abcdef0UL, "srr0");
	mtspr(27, 0x8000000000001000UL);
	check_eq(mfspr(27), 0x8000000000001000UL, "srr1");
	mtspr(19, 0xfedcba9876543210UL);
	check_eq(mfspr(19), 0xfedcba9876543210UL, "dar");
	mtspr(18, 0x42000000UL);
	check_eq(mfspr(18), 0x42000000UL, "dsisr");
	mtspr(1, 0xe000007fUL);
	check_eq(mfspr(1) & 0xe000007fUL, 0xe000007fUL, "xer.mtspr");
	mtspr(1, 0);
	mtspr(8, 0x0123456789abcdefUL);
	check_eq(mfspr(8), 0x0123456789abcdefUL, "lr");
	mtspr(9, 0xfedcba9876543210UL);
	check_eq(mfspr(9), 0xfedcba9876543210UL, "ctr");
	mtspr(896, 0x0008000000000000UL); /* PPR[PRI] = 2, low */
	check_eq(mfspr(896) & 0x001c000000000000UL, 0x0008000000000000UL, "ppr.write");
	asm volatile("or 2,2,2" : : : "memory"); /* medium priority nop (Book II 3.2) */
	check_eq(mfspr(896) & 0x001c000000000000UL, 0x0010000000000000UL, "ppr.or-medium");
	asm volatile("or 31,31,31" : : : "memory"); /* very low */
	check_eq(mfspr(896) & 0x001c000000000000UL, 0x0004000000000000UL, "ppr.or-very-low");
	asm volatile("or 2,2,2" : : : "memory");
	mtspr(152, 1); /* CTRL[RUN] */
	check_eq(mfspr(136) & 1, 1, "ctrl.run");
	check_eq(mfspr(287), 0x004d0200UL, "pvr.power8");
	check_eq(mfspr(1023), 0, "pir.cpu0");
	t0 = mftb();
	for (v = 0; v < 100000; v++)
		asm volatile("" : : : "memory");
	t1 = mftb();
	check(t1 > t0, "tb.advances");
	check_eq(mfspr(268) - t1 < 1000000000UL, 1, "tb.spr268");
	mtspr(22, 0x7fffffffUL);
	d0 = mfspr(22) & 0xffffffffUL;
	for (v = 0; v < 100000; v++)
		asm volatile("" : : : "memory");
	d1 = mfspr(22) & 0xffffffffUL;
	check(d1 < d0 && d0 <= 0x7fffffffUL, "dec.counts-down");
	mtspr(22, 0x7fffffffUL);
	v = mfmsr();
	check(!!(v & MSR_SF), "msr.sf");
	check(!!(v & MSR_ME), "msr.me");
	check(!(v & (MSR_PR | MSR_IR | MSR_DR | MSR_EE)), "msr.real-supervisor");
	check(!(v & MSR_HV), "msr.no-hv");
	/* mtmsrd L=1 changes only EE and RI */
	asm volatile("mtmsrd %0,1" : : "r"(MSR_RI) : "memory");
	check_eq(mfmsr(), v | MSR_RI, "mtmsrd.l1-ri");
	asm volatile("mtmsrd %0,1" : : "r"(0UL) : "memory");
	check_eq(mfmsr(), v & ~MSR_RI, "mtmsrd.l1-clear");
	return 0;
}
