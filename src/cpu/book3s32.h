/* SPDX-License-Identifier: MIT */
/*
 * The 32-bit Book3S CPU models (PowerPC 750 "G3", 7447A "G4"; docs/
 * book3s32.md): the hooks the shared CPU code calls when cpu->book3s32.
 * Everything here runs on cold paths only (decode, interrupts, MSR writes,
 * SPR access of the 32-bit models, timer checks).
 */
#ifndef PPCVM_CPU_BOOK3S32_H
#define PPCVM_CPU_BOOK3S32_H

#include "cpu/cpu.h"

/* MSR bits of the 32-bit models (PowerPC OEA 2.3.1, as the low word) */
#define MSR32_POW (1u << 18)
#define MSR32_ILE (1u << 16)
#define MSR32_IP  (1u << 6)
/* What mtmsr/rfi can set: QEMU msr_mask of POWERPC_FAMILY(750) / (7445) */
#define MSR32_MASK_750	 0x0005ff77u
#define MSR32_MASK_7447A (MSR32_MASK_750 | (uint32_t)MSR_VEC)

/* SRR1 bits an interrupt clears (OEA 6.1.3: SRR1[1-4, 10-15]) */
#define SRR1_32_CLEAR 0x783f0000u

/* HID0 power-saving modes that MSR[POW] enters (750 UM 10.2) */
#define HID0_DOZE_NAP_SLEEP 0x00e00000u
#define HID0_NAP_SLEEP	    0x00600000u /* 7447A: no doze; bit 8 is HIGH_BAT_EN */

/* Replace d->fn for the model (called right after decode_insn) */
void book3s32_decode_fixup(struct ppc_cpu *cpu, struct dinsn *d);

/* The 32-bit versions of cpu_set_msr / cpu_interrupt (excp.c branches) */
void book3s32_set_msr(struct ppc_cpu *cpu, uint64_t msr);
const struct dinsn *book3s32_interrupt(struct ppc_cpu *cpu, uint64_t vector, uint64_t srr0,
				       uint64_t srr1_bits);
/* DSISR of an alignment interrupt for instruction word raw (750 UM 4.5.6) */
uint32_t book3s32_align_dsisr(uint32_t raw);

/* API access to the SPRs of the 32-bit models (spr.c branches) */
bool book3s32_spr_get(struct ppc_cpu *cpu, unsigned spr, uint64_t *val);
bool book3s32_spr_set(struct ppc_cpu *cpu, unsigned spr, uint64_t val);

#endif
