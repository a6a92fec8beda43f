/* Branches and CR instructions (Power ISA 2.07 Book I 2.4, 2.5): bc BO forms, CTR, LR,
 * bclr/bcctr, CR logical, mtcrf/mtocrf/mfocrf/mcrf. */
#include "insn.h"

/* run "setup; bc..., 1f; li r,0; b 2f; 1: li r,1; 2:" -> 1 if taken */
#define TAKEN(setup, br)                                                               \
	({                                                                             \
		u64 _t;                                                                \
		asm volatile(setup "\n\t" br ",1f\n\tli %0,0\n\tb 2f\n1:\tli %0,1\n2:" \
			     : "=&r"(_t)                                               \
			     :                                                         \
			     : "r0", "cr0", "cr1", "cr7", "ctr");                      \
		_t;                                                                    \
	})

int main(void)
{
	u64 r, lr, ctr, cr;

	check_eq(TAKEN("li 0,-1\n\tcmpdi 0,0", "blt 0"), 1, "blt.taken");
	check_eq(TAKEN("li 0,1\n\tcmpdi 0,0", "blt 0"), 0, "blt.not-taken");
	check_eq(TAKEN("li 0,0\n\tcmpdi 7,0,0", "beq 7"), 1, "beq.cr7");
	check_eq(TAKEN("li 0,0\n\tcmpdi 0,0", "bc 4,2"), 0, "bc.bo4-false");
	check_eq(TAKEN("li 0,0\n\tcmpdi 0,0", "bc 12,2"), 1, "bc.bo12-true");
	check_eq(TAKEN("li 0,0\n\tcmpdi 0,1", "bc 20,0"), 1, "bc.bo20-always");
	check_eq(TAKEN("li 0,2\n\tmtctr 0", "bc 16,0"), 1, "bdnz.taken");
	check_eq(TAKEN("li 0,1\n\tmtctr 0", "bc 16,0"), 0, "bdnz.not-taken");
	check_eq(TAKEN("li 0,1\n\tmtctr 0", "bc 18,0"), 1, "bdz.taken");
	check_eq(TAKEN("li 0,0\n\tmtctr 0", "bc 18,0"), 0, "bdz.ctr0-wraps");
	check_eq(TAKEN("li 0,0\n\tcmpdi 0,0\n\tli 0,2\n\tmtctr 0", "bc 8,2"), 1, "bdnzt.taken");
	check_eq(TAKEN("li 0,0\n\tcmpdi 0,0\n\tli 0,1\n\tmtctr 0", "bc 8,2"), 0, "bdnzt.ctr");
	check_eq(TAKEN("li 0,0\n\tcmpdi 0,0\n\tli 0,2\n\tmtctr 0", "bc 0,2"), 0, "bdnzf.cond");
	check_eq(TAKEN("li 0,0\n\tcmpdi 0,1\n\tli 0,1\n\tmtctr 0", "bc 2,2"), 1, "bdzf.taken");
	check_eq(TAKEN("li 0,0\n\tcmpdi 0,0\n\tli 0,1\n\tmtctr 0", "bc 10,2"), 1, "bdzt.taken");
	/* bdnz loop count and CTR value after */
	asm volatile("li 0,100\n\tmtctr 0\n\tli %0,0\n1:\taddi %0,%0,1\n\tbdnz 1b\n\tmfctr %1"
		     : "=&r"(r), "=&r"(ctr)
		     :
		     : "r0", "ctr");
	check_eq(r, 100, "bdnz.loop");
	check_eq(ctr, 0, "bdnz.ctr-after");
	/* CTR decrements even when the condition makes it fall through */
	asm volatile("li 0,5\n\tmtctr 0\n\tcmpdi 0,1\n\tbc 8,2,1f\n1:\tmfctr %0"
		     : "=r"(ctr)
		     :
		     : "r0", "ctr", "cr0");
	check_eq(ctr, 4, "bdnzt.decrements");
	/* bl / bcl set LR to the next instruction */
	asm volatile("bl 1f\n1:\tmflr %0\n\tbcl 20,31,2f\n2:\tmflr %1"
		     : "=r"(r), "=r"(lr)
		     :
		     : "lr");
	check_eq(lr - r, 8, "bcl.lr");
	/* bcctr, bcctrl */
	asm volatile("bcl 20,31,1f\n1:\tmflr 9\n\taddi 9,9,24\n\tmtctr 9\n\tli %0,0\n\tbctr\n\t"
		     "li %0,7\n\tmflr %1\n\tsub %1,%1,9\n\tb 3f\n3:"
		     : "=&r"(r), "=&r"(lr)
		     :
		     : "r9", "lr", "ctr");
	check_eq(r, 0, "bctr.skips");
	asm volatile("bcl 20,31,1f\n1:\tmflr 9\n\taddi 9,9,16\n\tmtctr 9\n\tbctrl\n\t"
		     "mflr %0\n\tsub %0,%0,9"
		     : "=&r"(r)
		     :
		     : "r9", "lr", "ctr");
	check_eq(r, 0, "bctrl.lr");
	/* conditional bclr: beqlr not taken / taken */
	asm volatile("bcl 20,31,1f\n1:\tmflr 9\n\taddi 9,9,32\n\tmtlr 9\n\tli 0,1\n\t"
		     "cmpdi 0,0\n\tbeqlr\n\tli %0,5\n\tb 2f\n\tli %0,6\n2:"
		     : "=&r"(r)
		     :
		     : "r0", "r9", "lr", "cr0");
	check_eq(r, 5, "beqlr.not-taken");
	asm volatile("bcl 20,31,1f\n1:\tmflr 9\n\taddi 9,9,32\n\tmtlr 9\n\tli 0,0\n\t"
		     "cmpdi 0,0\n\tbeqlr\n\tli %0,5\n\tb 2f\n\tli %0,6\n2:"
		     : "=&r"(r)
		     :
		     : "r0", "r9", "lr", "cr0");
	check_eq(r, 6, "beqlr.taken");
	/* bdnzlr: BO=16 with LR target */
	asm volatile("li 0,2\n\tmtctr 0\n\tbcl 20,31,1f\n1:\tmflr 9\n\taddi 9,9,24\n\tmtlr 9\n\t"
		     "bdnzlr\n\tli %0,1\n\tb 2f\n\tli %0,2\n2:\tmfctr %1"
		     : "=&r"(r), "=&r"(ctr)
		     :
		     : "r0", "r9", "lr", "ctr");
	check_eq(r, 2, "bdnzlr.taken");
	check_eq(ctr, 1, "bdnzlr.ctr");
	/* bcctrl with a condition and LR update even when not taken */
	asm volatile("bcl 20,31,1f\n1:\tmflr 9\n\tli 0,1\n\tcmpdi 0,0\n\tbeqctrl\n2:\tmflr %0\n\t"
		     "sub %0,%0,9"
		     : "=&r"(r)
		     :
		     : "r0", "r9", "lr", "cr0", "ctr");
	check_eq(r, 16, "beqctrl.not-taken-sets-lr");
	/* CR logical */
#define CRL(op, init)                                                                         \
	({                                                                                    \
		u64 _c;                                                                       \
		asm volatile("lis 0," #init "\n\tmtcrf 0xff,0\n\t" op "\n\tmfcr %0"           \
			     : "=r"(_c)                                                       \
			     :                                                                \
			     : "r0", "cr0", "cr1", "cr2", "cr3", "cr4", "cr5", "cr6", "cr7"); \
		_c;                                                                           \
	})
	check_eq(CRL("crand 4,0,1", 0xc000), 0xc8000000UL, "crand");
	check_eq(CRL("crand 4,0,2", 0xc000), 0xc0000000UL, "crand.false");
	check_eq(CRL("cror 5,2,3", 0x1000), 0x14000000UL, "cror");
	check_eq(CRL("crxor 6,0,1", 0xc000), 0xc0000000UL, "crxor");
	check_eq(CRL("crxor 0,0,0", 0xc000), 0x40000000UL, "crclr");
	check_eq(CRL("crnand 7,0,1", 0xc000), 0xc0000000UL, "crnand");
	check_eq(CRL("crnor 7,2,3", 0x0000), 0x01000000UL, "crnor");
	check_eq(CRL("creqv 31,0,1", 0x0000), 0x00000001UL, "creqv");
	check_eq(CRL("crandc 8,0,2", 0x8000), 0x80800000UL, "crandc");
	check_eq(CRL("crorc 9,2,3", 0x0000), 0x00400000UL, "crorc");
	check_eq(CRL("mcrf 7,0", 0xa000), 0xa000000aUL, "mcrf");
	asm volatile("li 0,0\n\tmtcrf 0xff,0\n\tlis 9,0x1234\n\tori 9,9,0x5678\n\t"
		     "mtcrf 0x21,9\n\tmfcr %0"
		     : "=r"(cr)
		     :
		     : "r0", "r9", "cr0", "cr1", "cr2", "cr3", "cr4", "cr5", "cr6", "cr7");
	check_eq(cr, 0x00300008UL, "mtcrf.fields");
	asm volatile("li 0,0\n\tmtcrf 0xff,0\n\tli 9,-1\n\tmtocrf 0x08,9\n\tmfcr %0"
		     : "=r"(cr)
		     :
		     : "r0", "r9", "cr0", "cr1", "cr2", "cr3", "cr4", "cr5", "cr6", "cr7");
	check_eq(cr, 0x0000f000UL, "mtocrf");
	asm volatile("lis 0,0x1234\n\tori 0,0,0x5678\n\tmtcrf 0xff,0\n\tmfocrf %0,0x02"
		     : "=r"(cr)
		     :
		     : "r0", "cr0", "cr1", "cr2", "cr3", "cr4", "cr5", "cr6", "cr7");
	check_eq(cr & 0xf0, 0x70, "mfocrf.field");
	return 0;
}
