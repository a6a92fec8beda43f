/*
 * Split real mode helpers (MSR[IR] != MSR[DR], ISA 2.07 Book III 5.7.3 and 4.2.1: instruction
 * fetch is translated iff IR=1, data accesses iff DR=1, independently). Include from exactly
 * one file of a program: it defines the assembly helpers.
 *
 * The program image and the vectors are mapped 1:1 by mmu_setup(), so C code runs the same
 * under all four IR/DR combinations; only the EAs a test maps elsewhere differ by mode.
 */
#ifndef SPLIT_H
#define SPLIT_H
#include "mmu.h"

#define MODE_RR 0UL    /* IR=0 DR=0 */
#define MODE_IR MSR_IR /* fetch translated, data real */
#define MODE_DR MSR_DR /* fetch real, data translated */
#define MODE_TT (MSR_IR | MSR_DR)

/* The current MSR with IR/DR as in mode (mode: MODE_*) */
static inline u64 msr_mode(u64 mode)
{
	return (mfmsr() & ~(MSR_IR | MSR_DR | MSR_EE)) | mode;
}

/* mtmsrd + isync (isync: the new IR applies to the next fetch, ISA 2.07 III 12.4 table) */
static inline void set_mode(u64 mode)
{
	asm volatile("mtmsrd %0\n\tisync" : : "r"(msr_mode(mode)) : "memory");
}

/*
 * run_at(ea, msr, a0, a1, a2): rfid to ea with MSR = msr and r3..r5 = a0..a2, LR = a return
 * point in the (1:1 mapped) image; the snippet returns with blr, then the caller's MSR is
 * put back with mtmsrd; isync. Returns the snippet's r3; *r4out gets its r4 if not NULL.
 */
u64 run_at2(u64 ea, u64 msr, u64 a0, u64 a1, u64 a2, u64 *r4out);
static inline u64 run_at(u64 ea, u64 mode, u64 a0, u64 a1, u64 a2)
{
	return run_at2(ea, msr_mode(mode), a0, a1, a2, NULL);
}

asm(".text\n"
    "\t.globl run_at2\n"
    "\t.type run_at2,@function\n"
    "run_at2:\n"
    "\tmflr 0\n"
    "\tstd 0,16(1)\n"
    "\tstdu 1,-64(1)\n"
    "\tstd 8,40(1)\n" /* r4out */
    "\tstd 2,24(1)\n"
    "\tmfmsr 9\n"
    "\tstd 9,32(1)\n"
    "\tmtsrr0 3\n"
    "\tmtsrr1 4\n"
    "\tmr 3,5\n"
    "\tmr 4,6\n"
    "\tmr 5,7\n"
    "\tbcl 20,31,1f\n"
    "1:\tmflr 9\n"
    "\taddi 9,9,2f-1b\n"
    "\tmtlr 9\n"
    "\trfid\n"
    "2:\tld 9,32(1)\n"
    "\tmtmsrd 9\n"
    "\tisync\n"
    "\tld 2,24(1)\n"
    "\tld 8,40(1)\n"
    "\tcmpdi 8,0\n"
    "\tbeq 3f\n"
    "\tstd 4,0(8)\n"
    "3:\taddi 1,1,64\n"
    "\tld 0,16(1)\n"
    "\tmtlr 0\n"
    "\tblr\n"
    "\t.size run_at2,.-run_at2\n");

/*
 * Position-independent snippets, copied into the pages a test maps (copy_snip). They use
 * r3..r7, ctr and cr0 only.
 *   probe1/probe2: r3 = *(u64 *)(r3 + 0x800) + 1 (resp. + 2): the tag says which copy of
 *                  the code was fetched, the value which page the data access reached
 *   poke:          *(u64 *)(r3 + 0x810) = r4
 *   copy:          copy r5 doublewords from r4 to r3 (ldu/stdu loop); r3 = r5
 *   lwz_at:        r3 = *(u32 *)r3
 *   where_lr:      r3 = address of its own second instruction (bl; mflr), LR kept
 *   trap_then:     r3 = 5; trap; r3 += 1 (6 if the handler skips the trap)
 *   sw1/sw2:       mtmsrd r4; isync; r3 = *(u64 *)(r5 + 0x800) + 1 (resp. + 2): a mode
 *                  change in the middle of a page, the next instruction fetched in the new mode
 */
extern const char snip_probe1[], snip_probe1_end[];
extern const char snip_probe2[], snip_probe2_end[];
extern const char snip_poke[], snip_poke_end[];
extern const char snip_copy[], snip_copy_end[];
extern const char snip_lwz_at[], snip_lwz_at_end[];
extern const char snip_where_lr[], snip_where_lr_end[];
extern const char snip_trap_then[], snip_trap_then_end[];
extern const char snip_sw1[], snip_sw1_end[];
extern const char snip_sw2[], snip_sw2_end[];
#define SNIP(name) snip_##name, snip_##name##_end

asm(".text\n"
    "\t.balign 4\n"
    "snip_probe1:\n\tld 3,0x800(3)\n\taddi 3,3,1\n\tblr\nsnip_probe1_end:\n"
    "snip_probe2:\n\tld 3,0x800(3)\n\taddi 3,3,2\n\tblr\nsnip_probe2_end:\n"
    "snip_poke:\n\tstd 4,0x810(3)\n\tblr\nsnip_poke_end:\n"
    "snip_copy:\n\tmtctr 5\n\taddi 3,3,-8\n\taddi 4,4,-8\n"
    "1:\tldu 6,8(4)\n\tstdu 6,8(3)\n\tbdnz 1b\n\tmr 3,5\n\tblr\nsnip_copy_end:\n"
    "snip_lwz_at:\n\tlwz 3,0(3)\n\tblr\nsnip_lwz_at_end:\n"
    "snip_where_lr:\n\tmflr 7\n\tbl 1f\n1:\tmflr 3\n\tmtlr 7\n\tblr\nsnip_where_lr_end:\n"
    "snip_trap_then:\n\tli 3,5\n\ttrap\n\taddi 3,3,1\n\tblr\nsnip_trap_then_end:\n"
    "snip_sw1:\n\tmtmsrd 4\n\tisync\n\tld 3,0x800(5)\n\taddi 3,3,1\n\tblr\nsnip_sw1_end:\n"
    "snip_sw2:\n\tmtmsrd 4\n\tisync\n\tld 3,0x800(5)\n\taddi 3,3,2\n\tblr\nsnip_sw2_end:\n");

/* trap (tw 31,0,0) */
#define INSN_TRAP 0x7fe00008U

/* Copy a snippet to real address pa (call with IR=DR=0) and make it fetchable */
static inline void copy_snip(u64 pa, const char *start, const char *end)
{
	memcpy((void *)pa, start, (unsigned long)(end - start));
	flush_icache((void *)pa, (unsigned long)(end - start));
}

static inline u32 snip_word(const char *start, int i)
{
	return ((const u32 *)start)[i];
}

/* Fill a real page with a pattern: dword i = tag << 32 | i */
static inline void fill_page(u64 pa, u64 tag)
{
	int i;

	for (i = 0; i < 512; i++)
		phys_st(pa + 8 * (u64)i, tag << 32 | (u64)i);
}

/* Number of dwords of the real page that do not hold the pattern of fill_page(tag) */
static inline int page_mismatch(u64 pa, u64 tag)
{
	int i, bad = 0;

	for (i = 0; i < 512; i++)
		if (phys_ld(pa + 8 * (u64)i) != (tag << 32 | (u64)i))
			bad++;
	return bad;
}
#endif
