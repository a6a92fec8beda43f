/* Helpers to run one instruction with chosen inputs and capture result, XER and CR. */
#ifndef INSN_H
#define INSN_H
#include "guest.h"

struct res {
	u64 r, xer, cr;
};

#define XMASK 0xe0000000UL /* XER SO OV CA */

/* "ins rt,ra,rb" with XER preset to xin */
#define X2(ins, a, b, xin)                                                         \
	({                                                                         \
		u64 _r, _x, _c;                                                    \
		asm volatile("mtxer %3\n\t" ins " %0,%4,%5\n\tmfxer %1\n\tmfcr %2" \
			     : "=&r"(_r), "=&r"(_x), "=&r"(_c)                     \
			     : "r"((u64)(xin)), "b"((u64)(a)), "r"((u64)(b))       \
			     : "cr0", "xer");                                      \
		(struct res){ _r, _x, _c };                                        \
	})
/* full operand list given in ins: %0 = rt, %4 = ra, %5 = rb */
#define X2F(ins, a, b, xin)                                                  \
	({                                                                   \
		u64 _r, _x, _c;                                              \
		asm volatile("mtxer %3\n\t" ins "\n\tmfxer %1\n\tmfcr %2"    \
			     : "=&r"(_r), "=&r"(_x), "=&r"(_c)               \
			     : "r"((u64)(xin)), "b"((u64)(a)), "r"((u64)(b)) \
			     : "cr0", "xer");                                \
		(struct res){ _r, _x, _c };                                  \
	})
/* "ins rt,ra" or "ins rt,ra,IMM..." (ins carries any immediate after %4) */
#define X1(ins, a, xin)                                                   \
	({                                                                \
		u64 _r, _x, _c;                                           \
		asm volatile("mtxer %3\n\t" ins "\n\tmfxer %1\n\tmfcr %2" \
			     : "=&r"(_r), "=&r"(_x), "=&r"(_c)            \
			     : "r"((u64)(xin)), "b"((u64)(a))             \
			     : "cr0", "xer");                             \
		(struct res){ _r, _x, _c };                               \
	})
/* read-modify: rt is also an input (rlwimi, isel target...) */
#define XT(ins, t, a, b)                                    \
	({                                                  \
		u64 _r = (t), _c;                           \
		asm volatile(ins "\n\tmfcr %1"              \
			     : "+&r"(_r), "=&r"(_c)         \
			     : "b"((u64)(a)), "r"((u64)(b)) \
			     : "cr0", "xer");               \
		(struct res){ _r, 0, _c };                  \
	})

#define CR0(rr) (((rr).cr >> 28) & 0xf)
#define LT	8
#define GT	4
#define EQ	2
#define SO	1

/* check result and XER[SO,OV,CA] */
#define T(rr, er, ex, name)                                 \
	do {                                                \
		struct res _o = (rr);                       \
		check_eq(_o.r, (er), name);                 \
		check_eq(_o.xer &XMASK, (ex), name ".xer"); \
	} while (0)
/* also CR0 */
#define TC(rr, er, ex, ecr, name)                           \
	do {                                                \
		struct res _o = (rr);                       \
		check_eq(_o.r, (er), name);                 \
		check_eq(_o.xer &XMASK, (ex), name ".xer"); \
		check_eq(CR0(_o), (ecr), name ".cr0");      \
	} while (0)
/* result only */
#define TR(rr, er, name) check_eq((rr).r, (er), name)
/* low word only (the high word is undefined for the instruction) */
#define TW(rr, er, name) check_eq((rr).r & 0xffffffffUL, (er)&0xffffffffUL, name)

#define M1   0xffffffffffffffffUL
#define SMAX 0x7fffffffffffffffUL
#define SMIN 0x8000000000000000UL
#endif
