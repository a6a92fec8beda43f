/* SPDX-License-Identifier: MIT */
/*
 * The 32-bit Book3S MMU of the 750 and 7447A (PowerPC OEA, "Programming
 * Environments Manual for 32-Bit Implementations" chapter 7): block address
 * translation (IBAT/DBAT), the 16 segment registers and the guest-owned
 * hashed page table found through SDR1, with its 32-bit PTE format and R/C
 * updates in guest memory. Only the translation: delivering the interrupt
 * and filling the soft TLB is mem.c's job, as for hash.c.
 */
#ifndef PPCVM_HASH32_H
#define PPCVM_HASH32_H

#include "mmu/hash.h"

/* Upper BAT (PEM 7.4.3): BEPI 0:14, BL 19:29, Vs 30, Vp 31 */
#define BATU_BEPI     0xfffe0000u
#define BATU_BL	      0x00001ffcu
#define BATU_BL_SHIFT 15 /* BL << 15 lines up with BEPI bits 4:14 */
#define BATU_VS	      0x00000002u
#define BATU_VP	      0x00000001u
/* Lower BAT: BRPN 0:14, WIMG 25:28, PP 30:31 */
#define BATL_BRPN 0xfffe0000u
#define BATL_WIMG 0x00000078u
#define BATL_G	  0x00000008u
#define BATL_PP	  0x00000003u

/* Segment register, T=0 form (PEM 2.3.4): T 0, Ks 1, Kp 2, N 3, VSID 8:31 */
#define SR32_T	  0x80000000u
#define SR32_KS	  0x40000000u
#define SR32_KP	  0x20000000u
#define SR32_N	  0x10000000u
#define SR32_VSID 0x00ffffffu

/* SDR1 (PEM 7.6.1.1): HTABORG 0:15, HTABMASK 23:31 */
#define SDR1_HTABORG  0xffff0000u
#define SDR1_HTABMASK 0x000001ffu

/* 32-bit PTE (PEM 7.6.1.2). Word 0: V 0, VSID 1:24, H 25, API 26:31 */
#define PTE32_V		 0x80000000u
#define PTE32_VSID	 0x7fffff80u
#define PTE32_VSID_SHIFT 7
#define PTE32_H		 0x00000040u
#define PTE32_API	 0x0000003fu
/* Word 1: RPN 0:19, R 23, C 24, WIMG 25:28, PP 30:31 */
#define PTE32_RPN  0xfffff000u
#define PTE32_R	   0x00000100u
#define PTE32_C	   0x00000080u
#define PTE32_WIMG 0x00000078u
#define PTE32_G	   0x00000008u
#define PTE32_PP   0x00000003u

#define PTEG32_SIZE 64 /* 8 PTEs of 8 bytes */

/* DSISR bit 5 (750 UM 4.5.3, 7450 RM 4.6.3): load/store to SR[T]=1 */
#define DSISR_DIRECT_STORE 0x04000000u

/*
 * Translate the 32-bit ea with MSR[IR] (fetch) or MSR[DR] (data) = 1 in the
 * current MSR[PR]. 0 on success (x->ra, x->r holds WIMG in the HPTE_R_WIMG
 * bit positions, x->key = 0), else nonzero with x->vec = VEC_DSI/VEC_ISI
 * and x->bits = the DSISR (data) or SRR1 (fetch) reason bits. No CPU state
 * changes but R/C in the guest's PTE (HX_SET_RC).
 */
int hash32_translate(struct ppc_cpu *cpu, uint64_t ea, enum hash_acc acc, unsigned flags,
		     struct hash_xlate *x);

#endif
