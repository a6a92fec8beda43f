/* Logical instructions (Power ISA 2.07 Book I 3.3.13): and/or/xor families, extend,
 * count leading zeros, population count, parity, cmpb, bpermd, isel. */
#include "insn.h"

#define ISEL(bc, cmpa, a, b)                                                  \
	({                                                                    \
		u64 _r;                                                       \
		asm volatile("cmpdi %1,0\n\tisel %0,%2,%3," #bc               \
			     : "=&r"(_r)                                      \
			     : "r"((u64)(cmpa)), "b"((u64)(a)), "r"((u64)(b)) \
			     : "cr0");                                        \
		_r;                                                           \
	})

int main(void)
{
	u64 a = 0xf0f0ff00123489abUL, b = 0x0ff0f0f0fedc5555UL;

	TC(X2("and.", a, b, 0), a & b, 0, GT, "and.");
	TC(X2("and.", a, ~a, XER_SO), 0, XER_SO, EQ | SO, "and.zero-so");
	TR(X2("andc", a, b, 0), a & ~b, "andc");
	TC(X2("or.", a, b, 0), a | b, 0, LT, "or.");
	TR(X2("orc", a, b, 0), a | ~b, "orc");
	TR(X2("xor", a, b, 0), a ^ b, "xor");
	TC(X2("xor.", a, a, 0), 0, 0, EQ, "xor.zero");
	TR(X2("nand", a, b, 0), ~(a & b), "nand");
	TR(X2("nor", a, b, 0), ~(a | b), "nor");
	TC(X2("nor.", 0, 0, 0), M1, 0, LT, "nor.not");
	TR(X2("eqv", a, b, 0), ~(a ^ b), "eqv");
	TC(X1("andi. %0,%4,0x8001", a, 0), 0x8001UL & a, 0, GT, "andi.");
	TC(X1("andi. %0,%4,0x0400", a, 0), 0, 0, EQ, "andi.zero");
	TC(X1("andis. %0,%4,0x8000", 0x80000000UL, 0), 0x80000000UL, 0, GT, "andis.");
	TC(X1("andis. %0,%4,0xffff", M1, 0), 0xffff0000UL, 0, GT, "andis.high-cleared");
	TR(X1("ori %0,%4,0xffff", a, 0), a | 0xffff, "ori");
	TR(X1("oris %0,%4,0xffff", a, 0), a | 0xffff0000UL, "oris");
	TR(X1("xori %0,%4,0xffff", a, 0), a ^ 0xffff, "xori");
	TR(X1("xoris %0,%4,0xffff", a, 0), a ^ 0xffff0000UL, "xoris");
	TR(X1("extsb %0,%4", 0x1234567890abcd80UL, 0), 0xffffffffffffff80UL, "extsb.neg");
	TR(X1("extsb %0,%4", 0xff7fUL, 0), 0x7f, "extsb.pos");
	TC(X1("extsh. %0,%4", 0x8000, 0), 0xffffffffffff8000UL, 0, LT, "extsh.");
	TR(X1("extsh %0,%4", 0x18001, 0), 0x8001 - 0x10000UL, "extsh.neg");
	TC(X1("extsw. %0,%4", 0xffffffff00000000UL, 0), 0, 0, EQ, "extsw.zero");
	TR(X1("extsw %0,%4", 0x80000000UL, 0), 0xffffffff80000000UL, "extsw.neg");
	TR(X1("cntlzw %0,%4", 0, 0), 32, "cntlzw.zero");
	TR(X1("cntlzw %0,%4", 0x00010000UL, 0), 15, "cntlzw");
	TR(X1("cntlzw %0,%4", 0xffffffff00000001UL, 0), 31, "cntlzw.ignores-high");
	TC(X1("cntlzw. %0,%4", 0x80000000UL, 0), 0, 0, EQ, "cntlzw.rc");
	TR(X1("cntlzd %0,%4", 0, 0), 64, "cntlzd.zero");
	TR(X1("cntlzd %0,%4", 1, 0), 63, "cntlzd.one");
	TR(X1("cntlzd %0,%4", SMIN, 0), 0, "cntlzd.msb");
	TC(X1("cntlzd. %0,%4", 0x100000000UL, 0), 31, 0, GT, "cntlzd.rc");
	TR(X1("popcntb %0,%4", 0xff01030700000000UL, 0), 0x0801020300000000UL, "popcntb");
	TR(X1("popcntw %0,%4", 0xffffffff00000001UL, 0), 0x0000002000000001UL, "popcntw");
	TR(X1("popcntd %0,%4", M1, 0), 64, "popcntd.all");
	TR(X1("popcntd %0,%4", a, 0), 29, "popcntd");
	TR(X1("prtyw %0,%4", 0x0000000100000101UL, 0), 0x0000000100000000UL, "prtyw");
	TR(X1("prtyw %0,%4", 0xfefefefe01fefefeUL, 0), 1, "prtyw.lsb-only");
	TR(X1("prtyd %0,%4", 0x0101010100000000UL, 0), 0, "prtyd.even");
	TR(X1("prtyd %0,%4", 0x0101010100000001UL, 0), 1, "prtyd.odd");
	TR(X2("cmpb", 0x1122334455667788UL, 0x1100330055007700UL, 0), 0xff00ff00ff00ff00UL, "cmpb");
	TR(X2("cmpb", 0, 0, 0), M1, "cmpb.equal");
	TR(X2("bpermd", 0x0001020304050607UL, 0xa500000000000000UL, 0), 0xa5, "bpermd");
	TR(X2("bpermd", 0x403f000000000000UL, 1, 0), 0x40, "bpermd.out-of-range");
	TR(X2("bpermd", 0x3f3e3d3c3b3a3938UL, 0x00000000000000f0UL, 0), 0x0f, "bpermd.reverse");
	check_eq(ISEL(0, -5, 11, 22), 11, "isel.lt-true");
	check_eq(ISEL(0, 5, 11, 22), 22, "isel.lt-false");
	check_eq(ISEL(1, 5, 11, 22), 11, "isel.gt");
	check_eq(ISEL(2, 0, 11, 22), 11, "isel.eq");
	{
		u64 r;

		asm volatile("li 0,99\n\tcmpdi %1,0\n\tisel %0,0,%2,2"
			     : "=r"(r)
			     : "r"(0UL), "r"(22UL)
			     : "r0", "cr0");
		check_eq(r, 0, "isel.ra0-is-zero");
	}
	return 0;
}
