/* Compare instructions (Power ISA 2.07 Book I 3.3.10): cmp/cmpl/cmpi/cmpli, L bit, CR fields,
 * XER[SO] copy. */
#include "insn.h"

#define CMP(ins, a, b, xin)                                                  \
	({                                                                   \
		u64 _c;                                                      \
		asm volatile("mtxer %3\n\t" ins "\n\tmfcr %0"                \
			     : "=&r"(_c)                                     \
			     : "r"((u64)(a)), "r"((u64)(b)), "r"((u64)(xin)) \
			     : "cr0", "cr3", "cr7", "xer");                  \
		_c;                                                          \
	})
#define F7(c) ((c)&0xf)
#define F3(c) (((c) >> 16) & 0xf)

int main(void)
{
	check_eq(F7(CMP("cmpd 7,%1,%2", -1, 1, 0)), LT, "cmpd.lt");
	check_eq(F7(CMP("cmpd 7,%1,%2", 1, -1, 0)), GT, "cmpd.gt");
	check_eq(F7(CMP("cmpd 7,%1,%2", 5, 5, 0)), EQ, "cmpd.eq");
	check_eq(F7(CMP("cmpd 7,%1,%2", 5, 5, XER_SO)), EQ | SO, "cmpd.so");
	check_eq(F7(CMP("cmpld 7,%1,%2", -1, 1, 0)), GT, "cmpld.gt");
	check_eq(F7(CMP("cmpld 7,%1,%2", 1, -1, 0)), LT, "cmpld.lt");
	check_eq(F7(CMP("cmpw 7,%1,%2", 0xffffffffUL, 0, 0)), LT, "cmpw.low-word-signed");
	check_eq(F7(CMP("cmpd 7,%1,%2", 0xffffffffUL, 0, 0)), GT, "cmpd.same-input");
	check_eq(F7(CMP("cmpw 7,%1,%2", 0x1234567800000005UL, 5, 0)), EQ, "cmpw.ignores-high");
	check_eq(F7(CMP("cmplw 7,%1,%2", 0xffffffff00000001UL, 1, 0)), EQ, "cmplw.ignores-high");
	check_eq(F7(CMP("cmplw 7,%1,%2", 0x80000000UL, 1, 0)), GT, "cmplw.gt");
	check_eq(F7(CMP("cmp 7,1,%1,%2", 0xffffffffUL, 0, 0)), GT, "cmp.L1");
	check_eq(F7(CMP("cmp 7,0,%1,%2", 0xffffffffUL, 0, 0)), LT, "cmp.L0");
	check_eq(F7(CMP("cmpl 7,1,%1,%2", 0x100000000UL, 1, 0)), GT, "cmpl.L1");
	check_eq(F7(CMP("cmpl 7,0,%1,%2", 0x100000000UL, 1, 0)), LT, "cmpl.L0");
	check_eq(F7(CMP("cmpdi 7,%1,-1", -2, 0, 0)), LT, "cmpdi.lt");
	check_eq(F7(CMP("cmpdi 7,%1,-1", -1, 0, 0)), EQ, "cmpdi.eq");
	check_eq(F7(CMP("cmpwi 7,%1,-1", 0xffffffffUL, 0, 0)), EQ, "cmpwi.eq-low-word");
	check_eq(F7(CMP("cmpldi 7,%1,0xffff", 0x10000, 0, 0)), GT, "cmpldi.gt");
	check_eq(F7(CMP("cmpldi 7,%1,0x8000", 0x8000, 0, XER_SO)), EQ | SO, "cmpldi.unsigned-imm");
	check_eq(F7(CMP("cmplwi 7,%1,0xffff", 0xffffffff0000ffffUL, 0, 0)), EQ, "cmplwi.eq");
	check_eq(F7(CMP("cmpi 7,1,%1,5", 4, 0, 0)), LT, "cmpi.L1");
	check_eq(F7(CMP("cmpli 7,0,%1,5", 0x100000006UL, 0, 0)), GT, "cmpli.L0");
	{
		u64 c = CMP("cmpd 3,%1,%2\n\tcmpd 7,%2,%1", 1, 2, 0);

		check_eq(F3(c), LT, "cmpd.crf3");
		check_eq(F7(c), GT, "cmpd.crf7");
	}
	{
		u64 c;

		/* other fields untouched */
		asm volatile("lis 0,0x1234\n\tori 0,0,0x5678\n\tmtcrf 0xff,0\n\tcmpdi 7,%1,0\n\t"
			     "mfcr %0"
			     : "=r"(c)
			     : "r"(0UL)
			     : "r0", "cr0", "cr1", "cr2", "cr3", "cr4", "cr5", "cr6", "cr7");
		check_eq(c, 0x12345672UL, "cmp.only-target-field");
	}
	return 0;
}
