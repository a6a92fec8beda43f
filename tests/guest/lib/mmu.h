/*
 * Guest helpers for the Book3S-64 hash MMU as a PAPR partition sees it: the HPT geometry from
 * the device tree, the architected hash (ISA 2.07 Book III 5.7.7), the page-table hcalls
 * (PAPR 14.5.4.1) and SLB set-up, plus a 1:1 mapping of the program so a test body can run
 * with MSR[IR]=MSR[DR]=1.
 */
#ifndef MMU_H
#define MMU_H
#include "guest.h"

/* hcall numbers (PAPR 14.5.4.1) */
#define H_REMOVE      0x04
#define H_ENTER	      0x08
#define H_READ	      0x0c
#define H_CLEAR_MOD   0x10
#define H_CLEAR_REF   0x14
#define H_PROTECT     0x18
#define H_BULK_REMOVE 0x124

/* return codes */
#define H_HARDWARE  (-1L)
#define H_FUNCTION  (-2L)
#define H_PRIVILEGE (-3L)
#define H_PARAMETER (-4L)
#define H_PTEG_FULL (-6L)
#define H_NOT_FOUND (-7L)

/* flags (IBM bit numbers: 1 << (63 - n)) */
#define H_EXACT	  (1UL << (63 - 24))
#define H_R_XLATE (1UL << (63 - 25))
#define H_READ_4  (1UL << (63 - 26))
#define H_AVPN	  (1UL << (63 - 32))
#define H_ANDCOND (1UL << (63 - 33))

/* H_BULK_REMOVE translation specifier high byte (PAPR 14.5.4.1.9) */
#define HBR_TYPE      0xc000000000000000UL
#define HBR_REQUEST   0x4000000000000000UL
#define HBR_RESPONSE  0x8000000000000000UL
#define HBR_END	      0xc000000000000000UL
#define HBR_CODE      0x3000000000000000UL
#define HBR_CODE_OK   0x0000000000000000UL
#define HBR_CODE_NF   0x1000000000000000UL
#define HBR_CODE_PARM 0x2000000000000000UL
#define HBR_RC	      0x0c00000000000000UL
#define HBR_R	      0x0800000000000000UL
#define HBR_C	      0x0400000000000000UL
#define HBR_ABSOLUTE  0x0000000000000000UL
#define HBR_ANDCOND   0x0100000000000000UL
#define HBR_AVPN      0x0200000000000000UL
#define HBR_PTEX      0x00ffffffffffffffUL

/* HPTE doubleword 0 (ISA 2.07 Book III 5.7.7.1) */
#define HPTE_V_1TB    (1UL << 62)
#define HPTE_V_LARGE  0x4UL
#define HPTE_V_SECOND 0x2UL
#define HPTE_V_VALID  0x1UL
/* doubleword 1 */
#define HPTE_R_PP0    (1UL << 63)
#define HPTE_R_KEY_HI 0x3000000000000000UL
#define HPTE_R_KEY_LO 0x0000000000000e00UL
#define HPTE_R_R      0x100UL
#define HPTE_R_C      0x080UL
#define HPTE_R_W      0x040UL
#define HPTE_R_I      0x020UL
#define HPTE_R_M      0x010UL
#define HPTE_R_G      0x008UL
#define HPTE_R_N      0x004UL
#define HPTE_R_PP     0x003UL
#define HPTE_R_KEY(k) ((((u64)(k)&0x18) << 57) | (((u64)(k)&7) << 9))

/* PP values used here (PP0 = 0): 00 no access with key 1, 10 read/write, 11 read-only */
#define PP_RW  0x2UL
#define PP_RO  0x3UL
#define PP_SUP 0x0UL /* read/write with key 0 (Ks=0), no access with key 1 (Kp=1) */

/* SLB (slbmte RS) */
#define SLB_VSID_B_1T (1UL << 62)
#define SLB_VSID_KS   0x800UL
#define SLB_VSID_KP   0x400UL
#define SLB_VSID_N    0x200UL
#define SLB_VSID_L    0x100UL
#define SLB_PS_4K     0x000UL
#define SLB_PS_64K    0x110UL
#define SLB_PS_16M    0x100UL
#define SLB_ESID_V    0x8000000UL

/* DSISR / SRR1 fault bits (ISA 2.07 Book III 6.5.3, 6.5.4) */
#define DSISR_NOPTE	0x40000000UL
#define DSISR_PROT	0x08000000UL
#define DSISR_STORE	0x02000000UL
#define DSISR_KEY	0x00200000UL
#define SRR1_ISI_NOPTE	0x40000000UL
#define SRR1_ISI_NOEXEC 0x10000000UL /* N, G, or N segment */
#define SRR1_ISI_PROT	0x08000000UL
#define SRR1_ISI_KEY	0x00200000UL

/* SPRs */
#define SPR_AMR	  13
#define SPR_IAMR  61
#define SPR_UAMOR 157

/* page sizes */
#define PS_4K  12
#define PS_64K 16
#define PS_16M 24

/* segment 0 of the 1:1 map */
#define ID_VSID 0x5a5a5UL

extern int hpt_order;	/* log2 of the HPT size in bytes (ibm,pft-size) */
extern u64 hpt_groups;	/* number of 128-byte PTEGs */
extern u64 hpt_entries; /* number of HPTEs */

/* hcalls with up to 8 arguments and 8 results (r4..r11) */
long hcall8(u64 nr, u64 *out, const u64 *in);
long h_enter(u64 flags, u64 ptex, u64 v, u64 r, u64 *slot);
long h_remove(u64 flags, u64 ptex, u64 avpn, u64 *oldv, u64 *oldr);
long h_read(u64 flags, u64 ptex, u64 *out); /* out[2] or out[8] with H_READ_4 */
long h_protect(u64 flags, u64 ptex, u64 avpn);
long h_clear_ref(u64 flags, u64 ptex, u64 *oldr);
long h_clear_mod(u64 flags, u64 ptex, u64 *oldr);
long h_bulk_remove(u64 *tsp, int n); /* tsp[2n]: in and out */

/* device tree: first property called name anywhere in the tree (for /cpus/<cpu>/...) */
int hpt_init(void); /* reads ibm,pft-size; 0 on success */
/* is (base page, page) listed in ibm,segment-page-sizes? */
int page_size_advertised(int base_shift, int shift);

/* hash and HPTE words */
u64 hpt_hash(u64 vsid, u64 ea, int pshift, int seg1t);
u64 hpt_group(u64 vsid, u64 ea, int pshift, int seg1t, int secondary);
u64 hpte_v(u64 vsid, u64 ea, int pshift, int seg1t); /* without H and V */
u64 hpte_r(u64 ra, int pshift, u64 flags);

/* SLB */
void slb_set(int index, u64 esid_ea, u64 vsid, u64 flags); /* flags: Ks, Kp, N, L|LP, B */
void slb_clear(u64 ea);					   /* slbie */
void slb_clear_all(void);				   /* slbia */

/*
 * map_page: insert a translation ea -> ra of page size 1 << pshift in a segment set up with
 * slb_set(vsid), flags = PP/N/WIMG/key bits of doubleword 1 (M is added). Returns the PTEX or
 * a negative hcall status. secondary selects the secondary group.
 */
struct mapping {
	u64 ea, ra, vsid, v, r, ptex;
	int pshift, seg1t;
};
long map_page_in(struct mapping *m, u64 ea, u64 ra, u64 vsid, int pshift, int seg1t, u64 flags,
		 int secondary);
long map_page(u64 ea, u64 ra, int pshift, u64 flags); /* segment 0..15 with VSID vsid_of() */
long unmap(struct mapping *m);
u64 vsid_of(u64 ea); /* VSID the library uses for a 256MB segment */

/* 1:1 map of the vectors and the program image; mmu_on sets IR and DR, mmu_off clears them */
int mmu_setup(void);	 /* hpt_init, SLB entry 0, HPTEs; 0 on success */
void mmu_teardown(void); /* removes everything mmu_setup and map_page inserted */
void mmu_on(void);
void mmu_off(void);

/* exception hook: ISI/ISEG return to LR (targets are entered with bctrl); leave_user below */
void mexc_reset(void);
/* call code at ea with bctrl; returns its r3, or -1 if it faulted (ISI/ISEG) */
u64 call_at(u64 ea);
/* drop to problem state (translation on) and come back with sc 0 + magic */
#define USER_MAGIC 0x7573657265786974UL
void enter_user(void);
void leave_user(void);

/* a load/store that faults resumes at the next instruction (exc_dispatch skips it) */
static inline u64 ld64(u64 ea)
{
	u64 v;

	asm volatile("ld %0,0(%1)" : "=r"(v) : "b"(ea) : "memory");
	return v;
}
static inline void st64(u64 ea, u64 v)
{
	asm volatile("std %0,0(%1)" : : "r"(v), "b"(ea) : "memory");
}
/* real-mode physical access helpers are plain pointers while translation is off */
static inline u64 phys_ld(u64 pa)
{
	return *(volatile u64 *)pa;
}
static inline void phys_st(u64 pa, u64 v)
{
	*(volatile u64 *)pa = v;
}
#endif
