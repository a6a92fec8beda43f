/* SPDX-License-Identifier: MIT */
/*
 * Interrupt delivery for a partition (ISA 2.07 Book III-S 6.5 and 6.7):
 * SRR0/SRR1, the new MSR (LE from LPCR[ILE], AIL relocation) and the MSR
 * write rules that a partition cannot escape (HV stays 0, ME stays 1).
 */
#include "cpu/cpu.h"
#include "cpu/book3s32.h"

/* MSR bits copied into SRR1: 0:32, 37:41, 48:63 (ISA 6.5) */
#define SRR1_MSR_BITS 0xffffffff87c0ffffull

void cpu_set_msr(struct ppc_cpu *cpu, uint64_t msr)
{
	uint64_t old = cpu->msr;

	/* The 750 / 7447A MSR: docs/book3s32.md, book3s32.c */
	if (unlikely(cpu->book3s32)) {
		book3s32_set_msr(cpu, msr);
		return;
	}
	/* A partition can neither enter hypervisor state nor clear ME */
	msr = (msr & ~MSR_HV) | MSR_ME;
	/* Problem state always runs with EE, IR and DR on (ISA 4.4.3 mtmsrd) */
	if (msr & MSR_PR)
		msr |= MSR_EE | MSR_IR | MSR_DR;
	cpu->msr = msr;
	cpu->ea_mask = (msr & MSR_SF) ? ~0ull : 0xffffffffull;
	cpu->le = msr & MSR_LE;
	cpu->pr = (msr & MSR_PR) != 0;
	if ((old ^ msr) & (MSR_IR | MSR_DR | MSR_PR | MSR_LE))
		cpu_tlb_flush(cpu);
	/* The PV magic page is at -4096 in either mode: a 32-bit EA tag changes meaning */
	else if (unlikely(cpu->magic.mapped) && ((old ^ msr) & MSR_SF))
		cpu_tlb_flush(cpu);
	/*
	 * EE 0 -> 1: a decrementer that went negative since the last timer
	 * check must be taken before the next instruction (ISA 2.07 6.4.2),
	 * not up to TIMER_CHECK_BLOCKS later.
	 */
	if (!(old & MSR_EE) && (msr & MSR_EE))
		cpu_check_timers(cpu);
}

/* AIL vector offset for an interrupt taken with IR=DR=1 (ISA 2.07 6.5) */
static uint64_t ail_offset(const struct ppc_cpu *cpu, uint64_t vector)
{
	uint64_t ail = (cpu->spr[SPR_LPCR] & LPCR_AIL_MASK) >> LPCR_AIL_SHIFT;

	if ((cpu->msr & (MSR_IR | MSR_DR)) != (MSR_IR | MSR_DR))
		return 0;
	if (vector == VEC_MCHECK || vector == 0x100)
		return 0;
	if (ail == 2)
		return 0x18000;
	if (ail == 3)
		return 0xc000000000004000ull;
	return 0;
}

const struct dinsn *cpu_interrupt(struct ppc_cpu *cpu, uint64_t vector, uint64_t srr0,
				  uint64_t srr1_bits)
{
	uint64_t msr = cpu->msr;
	uint64_t off, nmsr = MSR_SF | MSR_ME;

	cpu->n_interrupts++;
	if (unlikely(cpu->book3s32))
		return book3s32_interrupt(cpu, vector, srr0, srr1_bits);
	off = ail_offset(cpu, vector);
	cpu->spr[SPR_SRR0] = srr0;
	cpu->spr[SPR_SRR1] = (msr & SRR1_MSR_BITS) | srr1_bits;
	if (cpu->spr[SPR_LPCR] & LPCR_ILE)
		nmsr |= MSR_LE;
	if (off)
		nmsr |= msr & (MSR_IR | MSR_DR);
	cpu_set_msr(cpu, nmsr);
	cpu->resv_valid = false;
	cpu->pc = vector + off;
	return NULL;
}

const struct dinsn *cpu_program(struct ppc_cpu *cpu, const struct dinsn *d, uint64_t reason)
{
	return cpu_interrupt(cpu, VEC_PROGRAM, cpu_pc(cpu, d), reason);
}

const struct dinsn *cpu_alignment(struct ppc_cpu *cpu, const struct dinsn *d, uint64_t ea)
{
	/* DSISR for alignment is not set on POWER8 (ISA 2.07 6.5.8) */
	cpu->spr[SPR_DAR] = ea;
	/* The 32-bit models identify the access in DSISR (750 UM 4.5.6) */
	if (unlikely(cpu->book3s32))
		cpu->spr[SPR_DSISR] = book3s32_align_dsisr(d->raw);
	return cpu_interrupt(cpu, VEC_ALIGN, cpu_pc(cpu, d), 0);
}

const struct dinsn *op_illegal(struct ppc_cpu *cpu, const struct dinsn *d)
{
	/*
	 * On POWER8 an illegal instruction is a Hypervisor Emulation
	 * Assistance interrupt; a PAPR hypervisor reflects it to the
	 * partition as a program interrupt, illegal instruction.
	 */
	return cpu_program(cpu, d, SRR1_PROGILL);
}
