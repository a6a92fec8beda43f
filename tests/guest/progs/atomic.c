/* Load and reserve / store conditional (Power ISA 2.07 Book II 4.4.2). */
#include "insn.h"

static u64 mem[4] __attribute__((aligned(16)));

/* larx; stcx. of newv; returns CR0 of the stcx. and the loaded value */
#define LS(l, s, p, newv, old)                                        \
	({                                                            \
		u64 _c;                                               \
		asm volatile(l " %1,0,%2\n\t" s " %3,0,%2\n\tmfcr %0" \
			     : "=&r"(_c), "=&r"(old)                  \
			     : "r"(p), "r"((u64)(newv))               \
			     : "cr0", "memory");                      \
		(_c >> 28) & 0xf;                                     \
	})

int main(void)
{
	u64 old, c, i, r;
	u32 *w = (u32 *)mem;
	u16 *h = (u16 *)mem;
	u8 *b = (u8 *)mem;

	mem[0] = 0x1122334455667788UL;
	c = LS("ldarx", "stdcx.", mem, 0x99UL, old);
	check_eq(c, EQ, "stdcx.success-cr0");
	check_eq(old, 0x1122334455667788UL, "ldarx.value");
	check_eq(mem[0], 0x99, "stdcx.stored");
	/* a second stcx. without a new reservation fails and does not store */
	asm volatile("stdcx. %1,0,%2\n\tmfcr %0"
		     : "=r"(c)
		     : "r"(0x55UL), "r"(mem)
		     : "cr0", "memory");
	check_eq((c >> 28) & 0xf, 0, "stdcx.no-reservation-fails");
	check_eq(mem[0], 0x99, "stdcx.no-reservation-no-store");
	/* XER[SO] is copied into CR0 */
	asm volatile("lis 0,0x8000\n\tmtxer 0\n\tldarx %1,0,%2\n\tstdcx. %1,0,%2\n\tmfcr %0\n\t"
		     "li 0,0\n\tmtxer 0"
		     : "=&r"(c), "=&r"(old)
		     : "r"(mem)
		     : "r0", "cr0", "xer", "memory");
	check_eq((c >> 28) & 0xf, EQ | SO, "stdcx.so");
	w[2] = 0xaabbccdd;
	c = LS("lwarx", "stwcx.", &w[2], 0x12345678UL, old);
	check_eq(c, EQ, "stwcx.success-cr0");
	check_eq(old, 0xaabbccdd, "lwarx.zero-extends");
	check_eq(w[2], 0x12345678, "stwcx.stored");
	h[8] = 0xfedc;
	c = LS("lharx", "sthcx.", &h[8], 0x1234UL, old);
	check_eq(c, EQ, "sthcx.success-cr0");
	check_eq(old, 0xfedc, "lharx.value");
	check_eq(h[8], 0x1234, "sthcx.stored");
	b[20] = 0xfe;
	c = LS("lbarx", "stbcx.", &b[20], 0x12UL, old);
	check_eq(c, EQ, "stbcx.success-cr0");
	check_eq(old, 0xfe, "lbarx.value");
	check_eq(b[20], 0x12, "stbcx.stored");
	check_eq(b[21], 0, "stbcx.one-byte");
	/* lqarx/stqcx. on an aligned quadword */
	mem[0] = 1;
	mem[1] = 2;
	asm volatile("lqarx 10,0,%2\n\taddi 10,10,10\n\taddi 11,11,10\n\tstqcx. 10,0,%2\n\t"
		     "mfcr %0\n\tmr %1,10"
		     : "=&r"(c), "=&r"(r)
		     : "r"(mem)
		     : "r10", "r11", "cr0", "memory");
	if (!qemu_bad("stqcx", "QEMU 7.2 TCG stqcx. fails after lqarx (serial path)")) {
		check_eq((c >> 28) & 0xf, EQ, "stqcx.success-cr0");
		check(mem[0] == 11 && mem[1] == 12, "stqcx.stored");
	}
	/* reservation lost by a stcx. in between */
	asm volatile("lwarx %1,0,%2\n\tstwcx. %1,0,%2\n\tstwcx. %1,0,%2\n\tmfcr %0"
		     : "=&r"(c), "=&r"(old)
		     : "r"(&w[2])
		     : "cr0", "memory");
	check_eq((c >> 28) & 0xf, 0, "stwcx.second-fails");
	/* atomic increment loop */
	mem[2] = 0;
	for (i = 0; i < 1000; i++)
		asm volatile("1: ldarx %0,0,%1\n\taddi %0,%0,1\n\tstdcx. %0,0,%1\n\tbne- 1b"
			     : "=&r"(r)
			     : "r"(&mem[2])
			     : "cr0", "memory");
	check_eq(mem[2], 1000, "atomic-increment-loop");
	/* EH hint form assembles and behaves the same */
	asm volatile("ldarx %1,0,%2,1\n\tstdcx. %1,0,%2\n\tmfcr %0"
		     : "=&r"(c), "=&r"(old)
		     : "r"(&mem[2])
		     : "cr0", "memory");
	check_eq((c >> 28) & 0xf, EQ, "ldarx.eh1");
	return 0;
}
