/* 32-bit mode, MSR[SF]=0 (Power ISA 2.07 Book I 1.10.3, 2.4, 3.3.9): EA truncated to 32 bits,
 * CR0 and CA/OV from the low word, branch targets and LR/CTR tests in 32 bits. */
#include "insn.h"

static u64 word[2] __attribute__((aligned(16))) = { 0x1122334455667788UL, 0 };

int main(void)
{
	u64 out[8], msr = mfmsr();

	/*
	 * Everything in 32-bit mode happens inside one asm block (the code and data sit below
	 * 4 GiB, so 32-bit addresses reach them). r9 holds the output array.
	 */
	asm volatile(
		"mr 9,%0\n\t"
		"mr 10,%1\n\t"
		"mtmsrd %2\n\t" /* SF=0 */
		"mfmsr 0\n\tstd 0,0(9)\n\t"
		/* CR0 from the low word: 0x1_0000_0000 is zero */
		"li 0,1\n\tsldi 0,0,32\n\taddic. 0,0,0\n\tmfcr 0\n\tstd 0,8(9)\n\t"
		/* CA from bit 32: 0xffffffff + 1 carries in 32-bit mode */
		"li 0,0\n\tmtxer 0\n\tli 0,-1\n\tclrldi 0,0,32\n\taddic 0,0,1\n\tmfxer 0\n\t"
		"std 0,16(9)\n\t"
		/* EA wraps: rA has high bits set */
		"li 0,-1\n\tsldi 0,0,32\n\tor 11,10,0\n\tld 0,0(11)\n\tstd 0,24(9)\n\t"
		/* bdnz tests only the low 32 bits of CTR: 0x1_0000_0001 -> 0x1_0000_0000 = 0 */
		"li 0,1\n\tsldi 0,0,32\n\taddi 0,0,1\n\tmtctr 0\n\tli 0,0\n\tbdnz 1f\n\tli 0,1\n"
		"1:\tstd 0,32(9)\n\t"
		/* LR high bits are 0 after bl in 32-bit mode */
		"bl 2f\n2:\tmflr 0\n\tstd 0,40(9)\n\t"
		/* OV from 32-bit signed overflow */
		"li 0,0\n\tmtxer 0\n\tlis 0,0x7fff\n\tori 0,0,0xffff\n\taddo 0,0,0\n\tmfxer 0\n\t"
		"std 0,48(9)\n\t"
		"mtmsrd %3\n\t" /* back to 64-bit */
		"li 0,1\n\tsldi 0,0,32\n\taddic. 0,0,0\n\tmfcr 0\n\tstd 0,56(9)\n\t"
		:
		: "r"(out), "r"(word), "r"(msr & ~MSR_SF), "r"(msr)
		: "r0", "r9", "r10", "r11", "cr0", "xer", "ctr", "lr", "memory");
	check_eq(out[0] & MSR_SF, 0, "mode32.msr-sf0");
	check_eq((out[1] >> 28) & 0xf, EQ, "mode32.cr0-low-word");
	check_eq(out[2] & XER_CA, XER_CA, "mode32.ca-32bit");
	check_eq(out[3], 0x1122334455667788UL, "mode32.ea-wrap");
	check_eq(out[4], 1, "mode32.bdnz-low-ctr");
	check_eq(out[5] >> 32, 0, "mode32.lr-32bit");
	check_eq(out[6] & (XER_OV | XER_SO), XER_OV | XER_SO, "mode32.ov-32bit");
	check_eq((out[7] >> 28) & 0xf, GT | SO, "mode64.cr0-restored"); /* SO sticky from addo */
	check_eq(mfmsr(), msr, "mode64.msr");
	return 0;
}
