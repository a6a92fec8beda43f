/* Interrupts in real mode (Power ISA 2.07 Book III 6): program (illegal, trap), system call,
 * alignment, decrementer; SRR0/SRR1/DAR and the MSR the handler runs with. */
#include "insn.h"

static u32 data[8] __attribute__((aligned(16)));

int main(void)
{
	u64 addr, msr = mfmsr(), r;
	int i;

	exc_expected = 1;
	/* illegal instruction: reported to a PAPR guest as a program interrupt (ILL) */
	exc_reset();
	asm volatile("bcl 20,31,1f\n1:\tmflr %0\n\t.long 0\n\tnop" : "=r"(addr) : : "lr");
	check_eq(exc_count, 1, "illegal.count");
	check_eq(exc_last.vec, 0x700, "illegal.vector");
	check_eq(exc_last.srr0, addr + 4, "illegal.srr0");
	check_eq(exc_last.srr1 & (SRR1_PROG_ILL | SRR1_PROG_PRIV | SRR1_PROG_TRAP), SRR1_PROG_ILL,
		 "illegal.srr1");
	check_eq(exc_last.srr1 & (MSR_SF | MSR_ME | MSR_LE), msr & (MSR_SF | MSR_ME | MSR_LE),
		 "illegal.srr1-msr");
	check_eq(exc_last.msr_handler & (MSR_SF | MSR_EE | MSR_PR | MSR_IR | MSR_DR | MSR_LE),
		 MSR_SF | (msr & MSR_LE), "handler.msr");
	/* unconditional trap */
	exc_reset();
	asm volatile("bcl 20,31,1f\n1:\tmflr %0\n\ttw 31,0,0" : "=r"(addr) : : "lr");
	check_eq(exc_count, 1, "trap.count");
	check_eq(exc_last.srr0, addr + 4, "trap.srr0");
	check_eq(exc_last.srr1 & (SRR1_PROG_ILL | SRR1_PROG_PRIV | SRR1_PROG_TRAP), SRR1_PROG_TRAP,
		 "trap.srr1");
	exc_reset();
	asm volatile("twi 4,%0,5\n\ttdi 16,%0,6\n\ttdi 8,%0,4\n\ttwi 2,%0,6\n\ttdi 1,%0,4"
		     :
		     : "r"(5UL));
	check_eq(exc_count, 5, "trap.conditions");
	exc_reset();
	asm volatile("twi 24,%0,5\n\ttd 3,%0,%0\n\ttdi 0,%0,0" : : "r"(5UL));
	check_eq(exc_count, 0, "trap.not-taken");
	exc_reset();
	asm volatile("tdi 16,%0,0" : : "r"(-1UL)); /* signed -1 < 0 */
	asm volatile("tdi 1,%0,1" : : "r"(-1UL));  /* unsigned 0xff..ff > 1 */
	check_eq(exc_count, 2, "trap.signed-unsigned");
	/* system call: SRR0 = next instruction */
	exc_reset();
	asm volatile("bcl 20,31,1f\n1:\tmflr %0\n\tsc" : "=r"(addr) : : "lr", "r0", "cr0");
	check_eq(exc_count, 1, "sc.count");
	check_eq(exc_last.vec, 0xc00, "sc.vector");
	check_eq(exc_last.srr0, addr + 8, "sc.srr0");
	check_eq(exc_last.srr1 & (MSR_SF | MSR_ME), MSR_SF | MSR_ME, "sc.srr1");
	/*
	 * Real mode beyond the real mode area (the first memory node): DSI "no
	 * translation" with DAR, as a partition with a VRMA gets it.
	 */
	if (!qemu_bad("rma.dsi", "QEMU's pseries has flat real mode, no RMA bound")) {
		int len;
		const u32 *reg = fdt_getprop("/memory@0", "reg", &len);
		u64 end = reg && len >= 16 ? ((u64)fdt_be32(reg + 2) << 32 | fdt_be32(reg + 3)) : 0;
		volatile u64 *p = (volatile u64 *)(end + 0x1000);

		check(end != 0, "rma.memory-node");
		exc_reset();
		r = *p;
		check_eq(exc_last.vec, 0x300, "rma.load.vector");
		check_eq(exc_last.dsisr, 0x40000000, "rma.load.dsisr");
		check_eq(exc_last.dar, (u64)p, "rma.load.dar");
		exc_reset();
		*p = 1;
		check_eq(exc_last.vec, 0x300, "rma.store.vector");
		check_eq(exc_last.dsisr, 0x42000000, "rma.store.dsisr");
	}
	/* alignment: lwarx needs a word-aligned EA */
	exc_reset();
	addr = (u64)data + 2;
	asm volatile("lwarx %0,0,%1" : "=&r"(r) : "r"(addr) : "memory");
	check_eq(exc_count, 1, "align.lwarx.count");
	check_eq(exc_last.vec, 0x600, "align.lwarx.vector");
	check_eq(exc_last.dar, addr, "align.lwarx.dar");
	/* stdcx. at a misaligned EA raises alignment whether or not a reservation exists */
	if (!qemu_bad("align.stdcx", "QEMU 7.2 fails stdcx. without a reservation before "
				     "checking alignment")) {
		exc_reset();
		asm volatile("stdcx. %0,0,%1" : : "r"(0UL), "r"((u64)data + 4) : "memory", "cr0");
		check_eq(exc_last.vec, 0x600, "align.stdcx.vector");
		check_eq(exc_last.dar, (u64)data + 4, "align.stdcx.dar");
	}
	exc_reset();
	asm volatile("lqarx 10,0,%0" : : "r"((u64)data + 8) : "r10", "r11", "memory");
	check_eq(exc_last.vec, 0x600, "align.lqarx.vector");
#ifdef __LITTLE_ENDIAN__
	/* load/store multiple in little-endian mode: alignment interrupt (ISA 3.3.6) */
	exc_reset();
	asm volatile("mr 9,%0\n\t.long 0xbbc90000" /* lmw 30,0(9) */
		     :
		     : "r"(data)
		     : "r9", "r30", "r31", "memory");
	check_eq(exc_last.vec, 0x600, "align.lmw-le.vector");
	if (!qemu_bad("align.lmw-le.dar", "QEMU 7.2 does not set DAR for LE lmw alignment"))
		check_eq(exc_last.dar, (u64)data, "align.lmw-le.dar");
#endif
	/* decrementer: goes negative, interrupt pending while EE=0, taken when EE=1 */
	exc_reset();
	mtspr(22, 1000);
	for (i = 0; i < 10000000 && !((mfspr(22) >> 31) & 1); i++)
		;
	check_eq((mfspr(22) >> 31) & 1, 1, "dec.negative");
	r = mfspr(22) & 0xffffffffUL;
	for (i = 0; i < 1000; i++)
		asm volatile("" : : : "memory");
	check((mfspr(22) & 0xffffffffUL) < r, "dec.keeps-counting");
	check_eq(exc_count, 0, "dec.masked-by-ee");
	asm volatile("mtmsrd %0,1\n\tnop\n\tnop" : : "r"(MSR_EE | MSR_RI) : "memory");
	for (i = 0; i < 100000000 && !exc_count; i++)
		asm volatile("" : : : "memory");
	asm volatile("mtmsrd %0,1" : : "r"(MSR_RI) : "memory");
	check_eq(exc_count, 1, "dec.taken");
	check_eq(exc_last.vec, 0x900, "dec.vector");
	check(!!(exc_last.srr1 & MSR_EE), "dec.srr1-ee");
	/* writing a positive value clears the pending exception */
	exc_reset();
	mtspr(22, 100);
	for (i = 0; i < 10000000 && !((mfspr(22) >> 31) & 1); i++)
		;
	mtspr(22, 0x7fffffffUL);
	asm volatile("mtmsrd %0,1\n\tnop\n\tnop" : : "r"(MSR_EE | MSR_RI) : "memory");
	for (i = 0; i < 3000000; i++)
		asm volatile("" : : : "memory");
	asm volatile("mtmsrd %0,1" : : "r"(MSR_RI) : "memory");
	check_eq(exc_count, 0, "dec.cleared-by-positive-write");
	/* small DEC with EE=1: fires by itself */
	exc_reset();
	asm volatile("mtmsrd %0,1" : : "r"(MSR_EE | MSR_RI) : "memory");
	mtspr(22, 10000);
	for (i = 0; i < 100000000 && !exc_count; i++)
		asm volatile("" : : : "memory");
	asm volatile("mtmsrd %0,1" : : "r"(MSR_RI) : "memory");
	check_eq(exc_count, 1, "dec.fires");
	mtspr(22, 0x7fffffffUL);
	exc_expected = 0;
	return 0;
}
