/* SPDX-License-Identifier: MIT */
/*
 * System instructions (ISA 2.07 Book III-S): sc, MSR and SPR access, rfid,
 * synchronisation, cache and storage control.
 *
 * The guest is a partition (MSR[HV]=0): hypervisor-only instructions
 * (hrfid, doze, nap, sleep, rvwinkle, msgsnd, msgclr, tlbie, tlbsync) get
 * what QEMU's pseries gives a partition, a privileged-instruction program
 * interrupt in every state.
 */
#include "cpu/cpu.h"
#include "mmu/hash.h"

#define MSR_TM (1ull << 32)
/* MSR bits POWER8 implements (ISA 2.07 Book III-S 4.2.1); the rest read 0 */
#define MSR_IMPL                                                                                 \
	(MSR_SF | MSR_HV | MSR_TM | MSR_TS_MASK | MSR_VEC | MSR_VSX | MSR_EE | MSR_PR | MSR_FP | \
	 MSR_ME | MSR_FE0 | MSR_SE | MSR_BE | MSR_FE1 | MSR_IR | MSR_DR | MSR_PMM | MSR_RI |     \
	 MSR_LE)
/* MSR[29:31] (TS, TM) as a 3-bit value */
#define MSR_TSTM_SHIFT 32
#define MSR_TSTM_MASK  (7ull << MSR_TSTM_SHIFT)

/*
 * sc LEV: LEV=1 from supervisor state is a hypercall to the core; the core
 * gets it with pc already past the sc (SRR0 semantics of the interrupt it
 * replaces). sc 0, and sc 1 from problem state (as KVM reflects it), are a
 * system call interrupt to the partition (ISA 2.07 6.5.14).
 */
static const struct dinsn *op_sc(struct ppc_cpu *cpu, const struct dinsn *d)
{
	unsigned lev = (d->raw >> 5) & 0x7f;
	uint64_t next = (cpu_pc(cpu, d) + 4) & cpu->ea_mask;

	if (lev == 1 && !cpu->pr) {
		cpu->pc = next;
		cpu->stop = STOP_HCALL;
		return NULL;
	}
	if (lev == 0 && !cpu->pr) {
		/* r0 magic values may be the PV or OSI interface: ask the core */
		cpu->pc = next;
		cpu->stop = STOP_SC_MAGIC;
		return NULL;
	}
	return cpu_interrupt(cpu, VEC_SC, next, 0);
}

/* A privileged instruction in problem state, or hypervisor-only anywhere */
static const struct dinsn *priv_fault(struct ppc_cpu *cpu, const struct dinsn *d)
{
	return cpu_program(cpu, d, SRR1_PROGPRIV);
}

/* ---- MSR ------------------------------------------------------------ */

/*
 * The MSR[TS,TM] rule of mtmsrd and rfid (ISA 2.07 4.4.3, 4.4.1): the
 * new value is taken unless it would leave Suspended (TS=01, TM=0) for
 * 0b000.
 */
static uint64_t msr_merge_tstm(uint64_t old, uint64_t nmsr)
{
	if (((old & MSR_TSTM_MASK) >> MSR_TSTM_SHIFT) == 2 && !(nmsr & MSR_TSTM_MASK))
		return (nmsr & ~MSR_TSTM_MASK) | (old & MSR_TSTM_MASK);
	return nmsr;
}

static const struct dinsn *op_mfmsr(struct ppc_cpu *cpu, const struct dinsn *d)
{
	if (insn_is_priv_fault(cpu))
		return priv_fault(cpu, d);
	cpu->gpr[d->rt] = cpu->msr;
	return d + 1;
}

/*
 * mtmsrd: L=0 writes every bit (cpu_set_msr applies the partition rules:
 * HV stays 0, ME stays 1, PR forces EE/IR/DR); L=1 only EE and RI. Both
 * end the block: EE may unmask an interrupt, IR/DR/PR/LE/SF change the
 * way the next instruction is fetched.
 */
static const struct dinsn *op_mtmsrd(struct ppc_cpu *cpu, const struct dinsn *d)
{
	uint64_t rs = cpu->gpr[d->rt];
	uint64_t old = cpu->msr;

	if (insn_is_priv_fault(cpu))
		return priv_fault(cpu, d);
	if (d->raw & (1u << 16))
		cpu_set_msr(cpu, (old & ~(MSR_EE | MSR_RI)) | (rs & (MSR_EE | MSR_RI)));
	else
		cpu_set_msr(cpu, msr_merge_tstm(old, rs & MSR_IMPL));
	return insn_end_block(cpu, d);
}

/* mtmsr: like mtmsrd but L=0 changes only MSR bits 32:63 */
static const struct dinsn *op_mtmsr(struct ppc_cpu *cpu, const struct dinsn *d)
{
	uint64_t rs = cpu->gpr[d->rt];
	uint64_t old = cpu->msr;

	if (insn_is_priv_fault(cpu))
		return priv_fault(cpu, d);
	if (d->raw & (1u << 16))
		cpu_set_msr(cpu, (old & ~(MSR_EE | MSR_RI)) | (rs & (MSR_EE | MSR_RI)));
	else
		cpu_set_msr(cpu, (old & ~0xffffffffull) | (rs & 0xffffffffull & MSR_IMPL));
	return insn_end_block(cpu, d);
}

/*
 * rfid (ISA 2.07 4.4.1): MSR from SRR1 except bits 33:36 and 42:47 (the
 * interrupt's reason bits), HV/ME per the partition rules (cpu_set_msr),
 * the TS/TM rule; continue at SRR0 with the low 2 bits cleared, truncated
 * if the new MSR is 32-bit.
 */
#define SRR1_TO_MSR 0xffffffff87c0ffffull

static const struct dinsn *op_rfid(struct ppc_cpu *cpu, const struct dinsn *d)
{
	uint64_t srr1 = cpu->spr[SPR_SRR1];

	if (insn_is_priv_fault(cpu))
		return priv_fault(cpu, d);
	cpu->spr[SPR_CFAR] = cpu_pc(cpu, d);
	cpu_set_msr(cpu, msr_merge_tstm(cpu->msr, srr1 & SRR1_TO_MSR & MSR_IMPL));
	cpu->pc = cpu->spr[SPR_SRR0] & ~3ull & cpu->ea_mask;
	return NULL;
}

/* ---- SPR access ----------------------------------------------------- */

/* The SPR field has its two 5-bit halves swapped (ISA 2.07 Book I 3.3.17) */
static inline unsigned insn_spr(const struct dinsn *d)
{
	return d->ra | ((unsigned)d->rb << 5);
}

static const struct dinsn *op_mfspr(struct ppc_cpu *cpu, const struct dinsn *d)
{
	unsigned spr = insn_spr(d);

	/* The hot user-level SPRs first */
	if (spr == SPR_LR) {
		cpu->gpr[d->rt] = cpu->lr;
		return d + 1;
	}
	if (spr == SPR_CTR) {
		cpu->gpr[d->rt] = cpu->ctr;
		return d + 1;
	}
	return cpu_mfspr(cpu, d, spr, d->rt);
}

static const struct dinsn *op_mtspr(struct ppc_cpu *cpu, const struct dinsn *d)
{
	unsigned spr = insn_spr(d);

	if (spr == SPR_LR) {
		cpu->lr = cpu->gpr[d->rt];
		return d + 1;
	}
	if (spr == SPR_CTR) {
		cpu->ctr = cpu->gpr[d->rt];
		return d + 1;
	}
	return cpu_mtspr(cpu, d, spr, cpu->gpr[d->rt]);
}

/* mftb: same SPR numbers (268, 269) and rules as mfspr */
static const struct dinsn *op_mftb(struct ppc_cpu *cpu, const struct dinsn *d)
{
	return cpu_mfspr(cpu, d, insn_spr(d), d->rt);
}

/* ---- Synchronisation ------------------------------------------------ */

/* sync L=0 (hwsync), 1 (lwsync), 2 (ptesync): order against other vCPUs */
static const struct dinsn *op_sync(struct ppc_cpu *cpu, const struct dinsn *d)
{
	if (((d->raw >> 21) & 3) == 1)
		__atomic_thread_fence(__ATOMIC_ACQ_REL);
	else
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
	return d + 1;
}

static const struct dinsn *op_eieio(struct ppc_cpu *cpu, const struct dinsn *d)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	return d + 1;
}

/* isync: context synchronising; leave the block so the loop re-checks */
static const struct dinsn *op_isync(struct ppc_cpu *cpu, const struct dinsn *d)
{
	return insn_end_block(cpu, d);
}

/* ---- Storage control ------------------------------------------------ */

/*
 * tlbiel belongs to the partition (supervisor): the soft TLB is this
 * vCPU's whole lookaside, so any tlbiel drops all of it (a superset of
 * what RB names, ISA 2.07 5.9.3.4).
 */
static const struct dinsn *op_tlbiel(struct ppc_cpu *cpu, const struct dinsn *d)
{
	if (insn_is_priv_fault(cpu))
		return priv_fault(cpu, d);
	cpu_tlb_flush(cpu);
	return d + 1;
}

/*
 * The SLB instructions (ISA 2.07 5.9.3): supervisor only. An index beyond
 * the 32 entries (ibm,slb-size) is undefined by the ISA: slbmte ignores
 * it, slbmfee/slbmfev read 0.
 */
static const struct dinsn *op_slbmte(struct ppc_cpu *cpu, const struct dinsn *d)
{
	uint64_t rb = cpu->gpr[d->rb];
	uint64_t idx = rb & SLB_ESID_INDEX;

	if (insn_is_priv_fault(cpu))
		return priv_fault(cpu, d);
	if (idx < SLB_SIZE)
		slb_write(cpu, (unsigned)idx, rb & ~SLB_ESID_INDEX, cpu->gpr[d->rt]);
	return d + 1;
}

static const struct dinsn *op_slbie(struct ppc_cpu *cpu, const struct dinsn *d)
{
	if (insn_is_priv_fault(cpu))
		return priv_fault(cpu, d);
	slb_invalidate(cpu, cpu->gpr[d->rb]);
	return d + 1;
}

/* slbia IH: every IH value is treated as 0 (a superset, ISA 5.9.3.3) */
static const struct dinsn *op_slbia(struct ppc_cpu *cpu, const struct dinsn *d)
{
	if (insn_is_priv_fault(cpu))
		return priv_fault(cpu, d);
	slb_invalidate_all(cpu);
	return d + 1;
}

static const struct dinsn *op_slbmfee(struct ppc_cpu *cpu, const struct dinsn *d)
{
	uint64_t idx = cpu->gpr[d->rb] & SLB_ESID_INDEX;

	if (insn_is_priv_fault(cpu))
		return priv_fault(cpu, d);
	cpu->gpr[d->rt] = idx < SLB_SIZE ? cpu->slb[idx].esid : 0;
	return d + 1;
}

static const struct dinsn *op_slbmfev(struct ppc_cpu *cpu, const struct dinsn *d)
{
	uint64_t idx = cpu->gpr[d->rb] & SLB_ESID_INDEX;

	if (insn_is_priv_fault(cpu))
		return priv_fault(cpu, d);
	cpu->gpr[d->rt] = idx < SLB_SIZE ? cpu->slb[idx].vsid : 0;
	return d + 1;
}

/*
 * slbfee. RT,RB: the VSID doubleword of the entry translating EA = RB, CR0
 * EQ set; none: RT = 0, CR0 = 0b000 || SO (ISA 2.07 5.9.3.7).
 */
static const struct dinsn *op_slbfee(struct ppc_cpu *cpu, const struct dinsn *d)
{
	int idx;

	if (insn_is_priv_fault(cpu))
		return priv_fault(cpu, d);
	idx = slb_lookup(cpu, cpu->gpr[d->rb] & cpu->ea_mask);
	cpu->gpr[d->rt] = idx >= 0 ? cpu->slb[idx].vsid : 0;
	cr_set_field(cpu, 0, (idx >= 0 ? 2 : 0) | cpu->xer_so);
	return d + 1;
}

/* Privileged, no effect here: dcbi, msgsndp/msgclrp (single thread) */
static const struct dinsn *op_priv_nop(struct ppc_cpu *cpu, const struct dinsn *d)
{
	if (insn_is_priv_fault(cpu))
		return priv_fault(cpu, d);
	return d + 1;
}

/*
 * Hypervisor-only: hrfid, doze, nap, sleep, rvwinkle, msgsnd, msgclr,
 * tlbie and tlbsync (no LPCR[GTSE] on POWER8): a partition gets a
 * privileged program interrupt (QEMU pseries; PAPR partitions use
 * H_CEDE, H_REMOVE and friends instead).
 */
static const struct dinsn *op_hv_only(struct ppc_cpu *cpu, const struct dinsn *d)
{
	return priv_fault(cpu, d);
}

void insn_sys_register(void)
{
	decode_register(17, -1, FORM_X, op_sc, NULL);

	decode_register(19, 18, FORM_X, op_rfid, NULL);
	decode_register(19, 150, FORM_X, op_isync, NULL);
	decode_register(19, 274, FORM_X, op_hv_only, NULL); /* hrfid */
	decode_register(19, 402, FORM_X, op_hv_only, NULL); /* doze */
	decode_register(19, 434, FORM_X, op_hv_only, NULL); /* nap */
	decode_register(19, 466, FORM_X, op_hv_only, NULL); /* sleep */
	decode_register(19, 498, FORM_X, op_hv_only, NULL); /* rvwinkle */

	decode_register(31, 83, FORM_X, op_mfmsr, NULL);
	decode_register(31, 146, FORM_X, op_mtmsr, NULL);
	decode_register(31, 178, FORM_X, op_mtmsrd, NULL);
	decode_register(31, 339, FORM_X, op_mfspr, NULL);
	decode_register(31, 467, FORM_X, op_mtspr, NULL);
	decode_register(31, 371, FORM_X, op_mftb, NULL);

	decode_register(31, 598, FORM_X, op_sync, NULL);
	decode_register(31, 854, FORM_X, op_eieio, NULL);
	/* wait (31/62) is ISA 3.0 on Book III-S: illegal on POWER8 */

	decode_register(31, 306, FORM_X, op_hv_only, NULL); /* tlbie */
	decode_register(31, 566, FORM_X, op_hv_only, NULL); /* tlbsync */
	decode_register(31, 274, FORM_X, op_tlbiel, NULL);
	decode_register(31, 434, FORM_X, op_slbie, NULL);
	decode_register(31, 498, FORM_X, op_slbia, NULL);
	decode_register(31, 402, FORM_X, op_slbmte, NULL);
	decode_register(31, 915, FORM_X, op_slbmfee, NULL);
	decode_register(31, 851, FORM_X, op_slbmfev, NULL);
	/* slbfee. exists only with Rc=1 */
	decode_register(31, 979, FORM_X, op_illegal, op_slbfee);
	decode_register(31, 206, FORM_X, op_hv_only, NULL);  /* msgsnd */
	decode_register(31, 238, FORM_X, op_hv_only, NULL);  /* msgclr */
	decode_register(31, 142, FORM_X, op_priv_nop, NULL); /* msgsndp */
	decode_register(31, 174, FORM_X, op_priv_nop, NULL); /* msgclrp */
	decode_register(31, 470, FORM_X, op_priv_nop, NULL); /* dcbi */
}
