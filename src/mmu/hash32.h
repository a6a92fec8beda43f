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

/*
 * Translate the 32-bit ea with MSR[IR] (fetch) or MSR[DR] (data) = 1 in the
 * current MSR[PR]. 0 on success (x->ra, x->r holds WIMG in the HPTE_R_WIMG
 * bit positions, x->key = 0), else nonzero with x->vec = VEC_DSI/VEC_ISI
 * and x->bits = the DSISR (data) or SRR1 (fetch) reason bits. No CPU state
 * changes but R/C in the guest's PTE (HX_SET_RC).
 */
int hash32_translate(struct ppc_cpu *cpu, uint64_t ea, enum hash_acc acc,
		     unsigned flags, struct hash_xlate *x);

#endif
