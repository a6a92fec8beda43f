/* SPDX-License-Identifier: MIT */
/*
 * Book3S-64 hash MMU of a PAPR partition (ISA 2.07 Book III-S chapter 5):
 * the SLB, the search of the hashed page table the core owns (struct hpt),
 * page protection (PP with Ks/Kp, N, G, storage keys with AMR/IAMR) and
 * the R/C bits. Only the translation itself: delivering the interrupt and
 * filling the soft TLB is mem.c's job.
 */
#ifndef PPCVM_HASH_H
#define PPCVM_HASH_H

#include "cpu/cpu.h"

/* SLB ESID doubleword (slbmte RB, slbmfee RT), ISA 2.07 5.9.3.x */
#define SLB_ESID_ESID  0xfffffffff0000000ull /* bits 0:35 */
#define SLB_ESID_V     0x0000000008000000ull /* bit 36 */
#define SLB_ESID_INDEX 0xfffull		     /* slbmte/slbmf* RB 52:63 */

/* SLB VSID doubleword (slbmte RS, slbmfev RT) */
#define SLB_VSID_B_SHIFT  62 /* B, bits 0:1 */
#define SLB_VSID_B_256M	  0ull
#define SLB_VSID_B_1T	  1ull
#define SLB_VSID_VSID	  0x3ffffffffffff000ull /* bits 2:51 */
#define SLB_VSID_SHIFT	  12			/* 256 MB: VSID 0:49 */
#define SLB_VSID_SHIFT_1T 24			/* 1 TB: VSID 0:37 */
#define SLB_VSID_KS	  0x800ull		/* bit 52 */
#define SLB_VSID_KP	  0x400ull		/* bit 53 */
#define SLB_VSID_N	  0x200ull		/* bit 54: no execute */
#define SLB_VSID_L	  0x100ull		/* bit 55 */
#define SLB_VSID_C	  0x080ull		/* bit 56: class */
#define SLB_VSID_LP	  0x030ull		/* bits 58:59 */
#define SLB_VSID_LLP	  (SLB_VSID_L | SLB_VSID_LP)
#define SLB_VSID_DEFINED  0xffffffffffffffb0ull /* all but 57, 60:63 */

/* The segment base page sizes of ibm,segment-page-sizes (L||LP) */
#define SLB_LLP_4K  0x000ull
#define SLB_LLP_64K 0x110ull
#define SLB_LLP_16M 0x100ull

/* slbie RB: ESID 0:35, C 36, B 37:38 (ISA 2.07 5.9.3.2) */
#define SLBIE_C	      0x08000000ull
#define SLBIE_B_SHIFT 25

#define SEG_SHIFT_256M 28
#define SEG_SHIFT_1T   40

/* DSISR for a data storage interrupt (ISA 2.07 Book III-S 6.5.3) */
#define DSISR_NOPTE	0x40000000u /* bit 33: no translation */
#define DSISR_PROT	0x08000000u /* bit 36: PP forbids the access */
#define DSISR_ATOMIC_CI 0x04000000u /* bit 37: larx/stcx. to W=1/I=1 */
#define DSISR_STORE	0x02000000u /* bit 38: the access is a store */
#define DSISR_KEY	0x00200000u /* bit 42: virtual page class key */

/* SRR1 for an instruction storage interrupt (ISA 2.07 6.5.5) */
#define SRR1_ISI_NOPTE	0x40000000ull /* bit 33: no translation */
#define SRR1_ISI_NOEXEC 0x10000000ull /* bit 35: N=1 or G=1 */
#define SRR1_ISI_PROT	0x08000000ull /* bit 36: PP forbids the fetch */
#define SRR1_ISI_KEY	0x00200000ull /* bit 42: IAMR forbids the fetch */

/* AMR / IAMR: 2 bits per key, key 0 leftmost (ISA 2.07 5.7.13.1) */
#define AMR_STORE_DIS  0x2ull /* AMR bit 2n */
#define AMR_LOAD_DIS   0x1ull /* AMR bit 2n+1 */
#define IAMR_FETCH_DIS 0x1ull /* IAMR bit 2n+1 */

static inline unsigned amr_shift(unsigned key)
{
	return 62 - 2 * key;
}

enum hash_acc { HACC_READ, HACC_WRITE, HACC_FETCH };

/* Flags of hash_translate */
#define HX_SET_RC 1u /* set R (and C for a store) in the HPTE */

/* A translation: the real address or the fault */
struct hash_xlate {
	uint64_t ra;	 /* real address of the byte at ea */
	uint64_t ptex;	 /* index of the HPTE */
	uint64_t r;	 /* HPTE doubleword 1 as found (before R/C) */
	unsigned pshift; /* actual page shift */
	unsigned key;	 /* storage key of the page */
	/* On a fault: VEC_DSEG, VEC_ISEG, VEC_DSI or VEC_ISI, and the
	 * DSISR (data) or SRR1 (fetch) reason bits */
	unsigned vec;
	uint64_t bits;
};

/*
 * Translate ea with MSR[IR]/MSR[DR]=1 for the access kind, in the current
 * MSR[PR]. 0 on success (x->ra...), else nonzero with x->vec/x->bits. No
 * interrupt is delivered and no CPU state but R/C (HX_SET_RC) changes.
 */
int hash_translate(struct ppc_cpu *cpu, uint64_t ea, enum hash_acc acc, unsigned flags,
		   struct hash_xlate *x);

/* Index of the first valid SLB entry translating ea, or -1 */
int slb_lookup(struct ppc_cpu *cpu, uint64_t ea);

/* slbmte: write entry idx (idx < SLB_SIZE) */
void slb_write(struct ppc_cpu *cpu, unsigned idx, uint64_t esid, uint64_t vsid);
/* slbie with its RB operand */
void slb_invalidate(struct ppc_cpu *cpu, uint64_t rb);
/* slbia: every entry but entry 0 */
void slb_invalidate_all(struct ppc_cpu *cpu);
/* Clear the whole SLB (reset) */
void slb_reset(struct ppc_cpu *cpu);

/*
 * Search the HPT for the page of ea in segment s. Returns the HPTE index
 * or -1; *v, *r get the entry and *pshift its page size.
 */
int64_t hpt_search(const struct hpt *hpt, const struct slb_entry *s, uint64_t ea, uint64_t *v,
		   uint64_t *r, unsigned *pshift);

/* Drop soft-TLB entries whose EA page lies in [base, base + size) */
void tlb_flush_range(struct ppc_cpu *cpu, uint64_t base, uint64_t size);

/* AMR / IAMR changed from old to new: drop what they may affect */
void mmu_amr_changed(struct ppc_cpu *cpu, uint64_t old, uint64_t nval);
void mmu_iamr_changed(struct ppc_cpu *cpu, uint64_t old, uint64_t nval);

#endif
