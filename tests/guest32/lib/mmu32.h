/*
 * 32-bit Book3S MMU helpers (PowerPC OEA chapter 7; 750 UM chapter 5): BATs, segment
 * registers, the hashed page table at SDR1, and probes that access memory with a given MSR.
 */
#ifndef MMU32_H
#define MMU32_H
#include "guest32.h"

/* BAT fields (OEA 7.4.3): upper BEPI | BL | Vs | Vp, lower BRPN | WIMG | PP */
#define BAT_VS	     0x2u
#define BAT_VP	     0x1u
#define BAT_BL(size) ((((size) >> 17) - 1) << 2) /* size: 128K .. 256M, power of 2 */
#define BAT_PP_NONE  0x0u
#define BAT_PP_RO    0x1u
#define BAT_PP_RW    0x2u
#define BAT_PP_RO2   0x3u
#define WIMG_G	     0x1u
#define WIMG_M	     0x2u
#define WIMG_I	     0x4u
#define WIMG_W	     0x8u

/* Segment register (OEA 7.5.2.1): T=0 | Ks | Kp | N | VSID */
#define SR_KS 0x40000000u
#define SR_KP 0x20000000u
#define SR_N  0x10000000u

/* PTE (OEA 7.6.1): word 0 V | VSID | H | API, word 1 RPN | R | C | WIMG | PP */
#define PTE0_V 0x80000000u
#define PTE0_H 0x00000040u
#define PTE1_R 0x00000100u
#define PTE1_C 0x00000080u
#define PP_RW  0x2u /* key 0 or 1: read/write */
#define PP_RO  0x3u /* read-only */
#define PP_00  0x0u /* key 0: RW, key 1: none */
#define PP_01  0x1u /* key 0: RW, key 1: RO */

void bat_set(int data, int n, u32 upper, u32 lower);
void bat_get(int data, int n, u32 *upper, u32 *lower);
void bat_clear_all(void);
/* 0 .. 8 MB 1:1 by IBAT0 / DBAT0 (supervisor, RW), SRs VSID i | 0x100, Kp = 1, HTAB at
 * HTAB_ADDR (64 KB), everything else invalid. IR/DR stay off. */
void mmu_setup(void);
void mmu_flush(void);		   /* tlbie over every congruence class */
void htab_set(u32 base, u32 mask); /* SDR1 = base | mask, zero the table (if in RAM) */
extern u32 htab_base, htab_mask;
u32 pteg_addr(u32 hash);
u32 hash_primary(u32 vsid, u32 ea);
/* Put a PTE for ea (VSID from the current SR) in its primary (sec = 0) or secondary PTEG
 * slot 'slot' (-1: first free); returns the PTE's address or 0 */
u32 map_page_at(u32 ea, u32 pa, u32 pp, u32 wimg, int sec, int slot);
static inline u32 map_page(u32 ea, u32 pa, u32 pp)
{
	return map_page_at(ea, pa, pp, WIMG_M, 0, -1);
}
u32 find_pte(u32 ea);	 /* address of the valid PTE for ea or 0 */
void unmap_page(u32 ea); /* invalidate its PTE(s) and tlbie */

/* Accesses with MSR = msr; a DSI/ISI is recorded in exc_last and the access skipped */
#define PROBE_FAIL 0xdeadbeefu
u32 probe_ld(u32 ea, u32 msr);
void probe_st(u32 ea, u32 val, u32 msr);
/* rfi to ea with MSR = msr, r3..r5 = a0..a2, LR = a return point; returns the snippet's r3
 * (on an ISI the library resumes at LR with r3 = 0xdead0400) */
u32 run_at(u32 ea, u32 msr, u32 a0, u32 a1, u32 a2);
/* The current MSR with IR/DR replaced (and EE off) */
static inline u32 msr_mode(u32 mode)
{
	return (mfmsr() & ~(MSR_IR | MSR_DR | MSR_EE)) | mode;
}
static inline void set_mode(u32 mode)
{
	mtmsr(msr_mode(mode));
}
#endif
