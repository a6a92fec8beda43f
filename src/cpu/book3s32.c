/* SPDX-License-Identifier: MIT */
/*
 * The 32-bit Book3S CPU models: PowerPC 750 ("G3") and 7447A ("G4"),
 * selected by the PVR (docs/book3s32.md). Sources: "Programming
 * Environments Manual for 32-Bit Implementations of the PowerPC
 * Architecture" (PEM32), the PowerPC 750 user manual (750 UM), the MPC7450
 * reference manual (7450 RM); where they leave a choice, what QEMU's
 * POWERPC_FAMILY(750) / (7445) do (its 7447A is the 7445 family).
 *
 * The decode tables stay shared with POWER8: book3s32_decode_fixup() runs
 * after decode_insn() for these models only and swaps d->fn: instructions
 * the model lacks become illegal, the 32-bit system instructions (rfi,
 * mtsr..., tlbie, sc without LEV) and the 32-bit SPR file get their own
 * handlers here. Registers stay 64-bit with MSR[SF]=0, so each instruction
 * of the 32-bit category computes its low word from low words only.
 */
#include "cpu/book3s32.h"

#include "cpu/magic.h"
#include "mmu/mem.h"

/* ---- Model selection ------------------------------------------------ */

enum cpu_model cpu_model_from_pvr(uint32_t pvr)
{
	switch (pvr >> 16) {
	case 0x0008:
		return CPU_750;
	case 0x8003:
		return CPU_7447A;
	default:
		return CPU_POWER8;
	}
}

/*
 * A PVR write through the API (KVM PR's kvmppc_set_pvr_pr): the model
 * decides decoding, so decoded pages and translations made for the old
 * one are dropped. A 32-bit model runs with MSR[SF]=0 and 32-bit EAs.
 */
void cpu_set_model(struct ppc_cpu *cpu, uint32_t pvr)
{
	enum cpu_model m = cpu_model_from_pvr(pvr);
	bool was32 = cpu->book3s32;
	uint32_t dec = cpu_get_dec(cpu);

	cpu->pvr = pvr;
	if (m == cpu->model)
		return;
	cpu->model = (uint8_t)m;
	cpu->book3s32 = m != CPU_POWER8;

	cpu_flush_all(cpu);
	/* The DEC keeps its value; its trigger follows the new model */
	cpu->dec_edge_armed = false;
	__atomic_fetch_and(&cpu->pending, ~PEND_DEC, __ATOMIC_RELAXED);
	if (cpu->book3s32) {
		/* book3s32_set_msr keeps only the model's MSR bits */
		cpu_set_msr(cpu, cpu->msr);
		cpu->pc &= 0xffffffffull;
	} else if (was32) {
		cpu_set_msr(cpu, (cpu->msr & ~MSR_VEC) | MSR_SF | MSR_ME);
	}
	cpu_set_dec(cpu, dec);
}

static uint32_t msr_mask(const struct ppc_cpu *cpu)
{
	return cpu->model == CPU_7447A ? MSR32_MASK_7447A : MSR32_MASK_750;
}

/* ---- MSR and interrupts -------------------------------------------- */

/*
 * MSR write on a 32-bit model (PEM32 2.3.1): only the model's bits exist,
 * SF is 0, ME may be cleared, no "PR forces EE/IR/DR" rule.
 */
void book3s32_set_msr(struct ppc_cpu *cpu, uint64_t v)
{
	uint64_t old = cpu->msr;
	uint64_t msr = (uint32_t)v & msr_mask(cpu);

	cpu->msr = msr;
	cpu->ea_mask = 0xffffffffull;
	cpu->le = msr & MSR_LE;
	cpu->pr = (msr & MSR_PR) != 0;
	if ((old ^ msr) & (MSR_IR | MSR_DR | MSR_PR | MSR_LE | MSR_SF))
		cpu_tlb_flush(cpu);
	if (!(old & MSR_EE) && (msr & MSR_EE))
		cpu_check_timers(cpu);
}

/*
 * Interrupt on a 32-bit model (PEM32 6.1.3, 6.4; QEMU powerpc_excp_7xx /
 * _74xx): SRR0 = srr0, SRR1 = MSR with bits 1-4 and 10-15 cleared plus the
 * reason bits; the new MSR keeps ME (cleared for a machine check), IP and
 * ILE, sets LE = ILE, clears the rest; the vector is at 0xfff00000 when
 * MSR[IP] = 1. A machine check with MSR[ME] = 0 is a checkstop.
 */
const struct dinsn *book3s32_interrupt(struct ppc_cpu *cpu, uint64_t vector, uint64_t srr0,
				       uint64_t srr1_bits)
{
	uint32_t msr = (uint32_t)cpu->msr;
	uint32_t nmsr = msr & ((uint32_t)MSR_ME | MSR32_IP | MSR32_ILE);

	if (vector == VEC_MCHECK) {
		if (!(msr & MSR_ME)) {
			cpu->stop = STOP_CHECKSTOP;
			return NULL;
		}
		nmsr &= ~(uint32_t)MSR_ME;
	}
	/* The edge-triggered DEC exception is consumed by taking it */
	if (vector == VEC_DEC)
		__atomic_fetch_and(&cpu->pending, ~PEND_DEC, __ATOMIC_RELAXED);
	cpu->spr[SPR_SRR0] = (uint32_t)srr0;
	cpu->spr[SPR_SRR1] = (msr & ~SRR1_32_CLEAR) | (uint32_t)srr1_bits;
	if (msr & MSR32_ILE)
		nmsr |= (uint32_t)MSR_LE;
	book3s32_set_msr(cpu, nmsr);
	cpu->resv_valid = false;
	cpu->pc = ((msr & MSR32_IP) ? 0xfff00000u : 0) | (uint32_t)vector;
	return NULL;
}

/*
 * Alignment DSISR (750 UM 4.5.6, PEM32 6.4.6): bits 15-21 identify the
 * instruction (X form: instruction bits 29-30, 25, 21-24; D form: 00,
 * bit 5, bits 1-4), 22-26 RT/RS, 27-31 RA. QEMU sets only bits 22-31.
 */
uint32_t book3s32_align_dsisr(uint32_t raw)
{
	uint32_t v;

	if (INSN_OPCD(raw) == 31)
		v = (((raw >> 1) & 3) << 15) | (((raw >> 6) & 1) << 14) |
		    (((raw >> 7) & 0xf) << 10);
	else
		v = (((raw >> 26) & 1) << 14) | (((raw >> 27) & 0xf) << 10);
	return v | (INSN_RT(raw) << 5) | INSN_RA(raw);
}

static const struct dinsn *priv_fault(struct ppc_cpu *cpu, const struct dinsn *d)
{
	return cpu_program(cpu, d, SRR1_PROGPRIV);
}

/* ---- System instructions ------------------------------------------ */

/*
 * sc (PEM32 4.4.1): no LEV field. From supervisor state the core first
 * sees whether it is OSI or the KVM PV hypercall (r0 = KVM_SC_MAGIC_R0,
 * vcpu.c), else it delivers the system call; from problem state it is
 * always a system call interrupt. SRR0 is the next instruction.
 */
static const struct dinsn *op_sc32(struct ppc_cpu *cpu, const struct dinsn *d)
{
	uint64_t next = (cpu_pc(cpu, d) + 4) & 0xffffffffull;

	if (!cpu->pr) {
		cpu->pc = next;
		cpu->stop = STOP_SC_MAGIC;
		return NULL;
	}
	return cpu_interrupt(cpu, VEC_SC, next, 0);
}

/*
 * rfi (PEM32 8.2): MSR[0, 5-9, 16-31] from SRR1 within the model's bits,
 * except POW and ILE (not restored: 750 UM rfi); continue at SRR0 & ~3.
 */
static const struct dinsn *op_rfi(struct ppc_cpu *cpu, const struct dinsn *d)
{
	uint32_t keep = MSR32_POW | MSR32_ILE;
	uint32_t srr1 = (uint32_t)cpu->spr[SPR_SRR1];

	if (cpu->pr)
		return priv_fault(cpu, d);
	book3s32_set_msr(cpu, (cpu->msr & keep) | (srr1 & ~keep));
	cpu->pc = cpu->spr[SPR_SRR0] & 0xfffffffcull;
	return NULL;
}

static const struct dinsn *op_mfmsr32(struct ppc_cpu *cpu, const struct dinsn *d)
{
	if (cpu->pr)
		return priv_fault(cpu, d);
	cpu->gpr[d->rt] = (uint32_t)cpu->msr;
	return d + 1;
}

/*
 * mtmsr (PEM32 8.2): the whole 32-bit MSR, no L field. MSR[POW] with a
 * HID0 power-saving mode (DOZE/NAP/SLEEP) halts until an interrupt (as
 * QEMU's check_pow_hid0); only with EE=1, so a halted guest can wake.
 */
static const struct dinsn *op_mtmsr32(struct ppc_cpu *cpu, const struct dinsn *d)
{
	uint32_t v = (uint32_t)cpu->gpr[d->rt];

	if (cpu->pr)
		return priv_fault(cpu, d);
	book3s32_set_msr(cpu, v);
	cpu->pc = (cpu_pc(cpu, d) + 4) & 0xffffffffull;
	if ((v & MSR32_POW) && (cpu->msr & MSR_EE) &&
	    (cpu->spr[SPR_HID0_32] &
	     (cpu->model == CPU_7447A ? HID0_NAP_SLEEP : HID0_DOZE_NAP_SLEEP))) {
		/* Leaving power saving clears POW (interrupt MSR) */
		cpu->msr &= ~(uint64_t)MSR32_POW;
		cpu->stop = STOP_HALT;
	}
	return NULL;
}

/* A segment register changed: translations made with it are stale */
static void sr_write(struct ppc_cpu *cpu, unsigned n, uint32_t v)
{
	cpu->sr[n & 15] = v;
	cpu_tlb_flush(cpu);
}

/* mtsr SR,RS: SR number in instruction bits 12-15 */
static const struct dinsn *op_mtsr(struct ppc_cpu *cpu, const struct dinsn *d)
{
	if (cpu->pr)
		return priv_fault(cpu, d);
	sr_write(cpu, (d->raw >> 16) & 15, (uint32_t)cpu->gpr[d->rt]);
	return d + 1;
}

/* mtsrin RS,RB: SR number in RB[0-3] */
static const struct dinsn *op_mtsrin(struct ppc_cpu *cpu, const struct dinsn *d)
{
	if (cpu->pr)
		return priv_fault(cpu, d);
	sr_write(cpu, (uint32_t)cpu->gpr[d->rb] >> 28, (uint32_t)cpu->gpr[d->rt]);
	return d + 1;
}

static const struct dinsn *op_mfsr(struct ppc_cpu *cpu, const struct dinsn *d)
{
	if (cpu->pr)
		return priv_fault(cpu, d);
	cpu->gpr[d->rt] = cpu->sr[(d->raw >> 16) & 15];
	return d + 1;
}

static const struct dinsn *op_mfsrin(struct ppc_cpu *cpu, const struct dinsn *d)
{
	if (cpu->pr)
		return priv_fault(cpu, d);
	cpu->gpr[d->rt] = cpu->sr[(uint32_t)cpu->gpr[d->rb] >> 28];
	return d + 1;
}

/*
 * tlbie / tlbia (supervisor, PEM32 8.2): the soft TLB is all a vCPU caches
 * of the page table, so both drop all of it (a superset of one congruence
 * class), on every vCPU since tlbie is broadcast; the other vCPUs have done
 * it before this returns, so tlbsync has nothing left to wait for.
 */
static const struct dinsn *op_tlbie32(struct ppc_cpu *cpu, const struct dinsn *d)
{
	if (cpu->pr)
		return priv_fault(cpu, d);
	if (cpu->tlb_flush_others)
		cpu->tlb_flush_others(cpu);
	cpu_tlb_flush(cpu);
	return d + 1;
}

static const struct dinsn *op_tlbsync32(struct ppc_cpu *cpu, const struct dinsn *d)
{
	if (cpu->pr)
		return priv_fault(cpu, d);
	return d + 1;
}

/* sync has no L field here: lwsync/ptesync encodings are a full sync */
static const struct dinsn *op_sync32(struct ppc_cpu *cpu, const struct dinsn *d)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	return d + 1;
}

/* dcba (7447A): a hint, no architected effect (as QEMU) */
static const struct dinsn *op_nop32(struct ppc_cpu *cpu, const struct dinsn *d)
{
	return d + 1;
}

/* mcrxr (PEM32 8.2; gone from ISA 2.07): CR[BF] = SO OV CA 0, clear them */
static const struct dinsn *op_mcrxr(struct ppc_cpu *cpu, const struct dinsn *d)
{
	cr_set_field(cpu, d->rt >> 2, (cpu->xer_so << 3) | (cpu->xer_ov << 2) | (cpu->xer_ca << 1));
	cpu->xer_so = cpu->xer_ov = cpu->xer_ca = 0;
	cpu->xer_ov32 = cpu->xer_ca32 = 0;
	return d + 1;
}

/*
 * dcbz: the 750 and 7447A cache block is 32 bytes (750 UM 3.4.3). Stores
 * go through mem_store (code tracking, dirty log, MMIO, faults with the
 * address of the block).
 */
#define CACHE_BLOCK32 32

static const struct dinsn *op_dcbz32(struct ppc_cpu *cpu, const struct dinsn *d)
{
	uint64_t ea = ea_x(cpu, d->ra, d->rb) & ~(uint64_t)(CACHE_BLOCK32 - 1);
	const struct tlb_entry *e = &cpu->tlb_write[(ea >> 12) & (TLB_SIZE - 1)];

	uint64_t pa, wimg;

	if (e->tag == (ea & ~0xfffull)) {
		memset((void *)(uintptr_t)(ea + e->addend), 0, CACHE_BLOCK32);
		return d + 1;
	}
	/*
	 * dcbz to write-through or caching-inhibited storage is an alignment
	 * interrupt (750 UM 4.5.6, MPC7450 RM 4.6.6); a write-TLB hit above
	 * is never such a page (mem.c does not fill it).
	 */
	if (!magic_ea_hit(cpu, ea)) {
		if (mmu_translate_wimg(cpu, d, ea, ACC_WRITE, &pa, &wimg))
			return NULL;
		if (wimg & (HPTE_R_W | HPTE_R_I))
			return cpu_alignment(cpu, d, ea_x(cpu, d->ra, d->rb));
	}
	for (unsigned off = 0; off < CACHE_BLOCK32; off += 8)
		if (mem_store(cpu, d, ea + off, 8, 0))
			return NULL;
	return d + 1;
}

/* ---- The SPR file of the 32-bit models ----------------------------- */

enum acc32 { R_NONE, R_SV, R_USER };

enum kind32 {
	S_UNDEF = 0,
	S_PLAIN, /* cpu->spr[alias], 32 bits */
	S_XER,
	S_LR,
	S_CTR,
	S_DEC,
	S_SDR1,
	S_IBAT, /* alias = BAT index * 2 + (lower) */
	S_DBAT,
	S_TBL,	 /* read TB[32:63] */
	S_TBU,	 /* read TB[0:31] */
	S_TBW_L, /* 284: read TBL, write TBL */
	S_TBW_U, /* 285: read TBU, write TBU */
	S_PVR,
	S_WNOP, /* writes ignored (L2CR, as QEMU: no cache to flush) */
	S_PIR,	/* 7447A PIR: low 4 bits writable (QEMU spr_write_pir) */
};

struct spr32 {
	uint8_t kind, rd, wr;
	uint16_t alias;
};

static struct spr32 mk(enum kind32 k, enum acc32 r, enum acc32 w, unsigned a)
{
	struct spr32 e = { (uint8_t)k, (uint8_t)r, (uint8_t)w, (uint16_t)a };

	return e;
}

/*
 * The SPRs each model has, with QEMU's access rules (init_proc_750 /
 * init_proc_7445): everything not listed is undefined.
 */
static struct spr32 spr32_lookup(const struct ppc_cpu *cpu, unsigned spr)
{
	bool g4 = cpu->model == CPU_7447A;

	switch (spr) {
	case SPR_XER:
		return mk(S_XER, R_USER, R_USER, 0);
	case SPR_LR:
		return mk(S_LR, R_USER, R_USER, 0);
	case SPR_CTR:
		return mk(S_CTR, R_USER, R_USER, 0);
	case SPR_DSISR:
	case SPR_DAR:
	case SPR_SRR0:
	case SPR_SRR1:
	case SPR_SPRG0 ... SPR_SPRG3:
	case 282:  /* EAR */
	case 952:  /* MMCR0 */
	case 953:  /* PMC1 */
	case 954:  /* PMC2 */
	case 956:  /* MMCR1 */
	case 957:  /* PMC3 */
	case 958:  /* PMC4 */
	case 1008: /* HID0 */
	case 1009: /* HID1 */
	case 1010: /* IABR */
	case 1013: /* DABR */
	case 1019: /* ICTC */
		return mk(S_PLAIN, R_SV, R_SV, spr);
	case SPR_DEC:
		return mk(S_DEC, R_SV, R_SV, spr);
	case SPR_SDR1:
		return mk(S_SDR1, R_SV, R_SV, spr);
	case SPR_TBL_R:
		return mk(S_TBL, R_USER, R_NONE, 0);
	case SPR_TBU_R:
		return mk(S_TBU, R_USER, R_NONE, 0);
	/* QEMU register_tbl: 284/285 readable in problem state too */
	case SPR_TBL_W:
		return mk(S_TBW_L, R_USER, R_SV, 0);
	case SPR_TBU_W:
		return mk(S_TBW_U, R_USER, R_SV, 0);
	case SPR_PVR:
		return mk(S_PVR, R_SV, R_NONE, 0);
	case SPR_IBAT0U ... SPR_IBAT0U + 7:
		return mk(S_IBAT, R_SV, R_SV, spr - SPR_IBAT0U);
	case SPR_DBAT0U ... SPR_DBAT0U + 7:
		return mk(S_DBAT, R_SV, R_SV, spr - SPR_DBAT0U);
	/* Problem-state read-only views of the monitor (750 UM 2.1.2) */
	case 936 ... 942: /* UMMCR0 UPMC1 UPMC2 USIAR UMMCR1 UPMC3 UPMC4 */
		return mk(S_PLAIN, R_USER, R_NONE, spr + 16);
	case 955: /* SIAR */
		return mk(S_PLAIN, R_SV, R_NONE, spr);
	case 1017: /* L2CR */
		return mk(S_WNOP, R_SV, R_SV, spr);
	default:
		break;
	}
	if (!g4) {
		if (spr >= 1020 && spr <= 1022) /* THRM1-3 */
			return mk(S_PLAIN, R_SV, R_SV, spr);
		return mk(S_UNDEF, R_NONE, R_NONE, 0);
	}
	switch (spr) {
	case SPR_VRSAVE:
		return mk(S_PLAIN, R_USER, R_USER, spr);
	case 276 ... 279: /* SPRG4-7 */
	case 944:	  /* MMCR2 */
	case 945:	  /* PMC5 */
	case 946:	  /* PMC6 */
	case 951:	  /* BAMR */
	case 1011:	  /* ICTRL */
	case 1014:	  /* MSSCR0 */
	case 1015:	  /* MSSSR0 */
	case 1016:	  /* LDSTCR */
		return mk(S_PLAIN, R_SV, R_SV, spr);
	case 260 ... 263: /* USPRG4-7 */
	case 928 ... 930: /* UMMCR2 UPMC5 UPMC6 */
		return mk(S_PLAIN, R_USER, R_NONE, spr + 16);
	case 1023:
		return mk(S_PIR, R_SV, R_SV, spr);
	case SPR_IBAT4U ... SPR_IBAT4U + 7:
		return mk(S_IBAT, R_SV, R_SV, 8 + spr - SPR_IBAT4U);
	case SPR_DBAT4U ... SPR_DBAT4U + 7:
		return mk(S_DBAT, R_SV, R_SV, 8 + spr - SPR_DBAT4U);
	default:
		return mk(S_UNDEF, R_NONE, R_NONE, 0);
	}
}

static uint32_t spr32_read(struct ppc_cpu *cpu, const struct spr32 *e)
{
	switch (e->kind) {
	case S_PLAIN:
	case S_WNOP:
	case S_PIR:
	case S_SDR1:
		return (uint32_t)cpu->spr[e->alias];
	case S_XER:
		return (uint32_t)cpu_get_xer(cpu);
	case S_LR:
		return (uint32_t)cpu->lr;
	case S_CTR:
		return (uint32_t)cpu->ctr;
	case S_DEC:
		return cpu_get_dec(cpu);
	case S_IBAT:
		return cpu->ibat[e->alias >> 1][e->alias & 1];
	case S_DBAT:
		return cpu->dbat[e->alias >> 1][e->alias & 1];
	case S_TBL:
	case S_TBW_L:
		return (uint32_t)cpu_get_tb(cpu);
	case S_TBU:
	case S_TBW_U:
		return (uint32_t)(cpu_get_tb(cpu) >> 32);
	case S_PVR:
		return cpu->pvr;
	default:
		return 0;
	}
}

/* Returns true when the block must end (DEC/TB: a timer check is due) */
static bool spr32_write(struct ppc_cpu *cpu, const struct spr32 *e, uint32_t v)
{
	uint64_t tb;

	switch (e->kind) {
	case S_PLAIN:
		/* HID0[HIGH_BAT_EN] turns BATs 4-7 on or off (7450 RM 2.1.5.1) */
		if (e->alias == SPR_HID0_32 && cpu->model == CPU_7447A &&
		    ((cpu->spr[e->alias] ^ v) & HID0_HIGH_BAT_EN))
			cpu_tlb_flush(cpu);
		cpu->spr[e->alias] = v;
		break;
	case S_PIR:
		cpu->spr[e->alias] = v & 0xf;
		break;
	case S_XER:
		cpu_set_xer(cpu, v);
		break;
	case S_LR:
		cpu->lr = v;
		break;
	case S_CTR:
		cpu->ctr = v;
		break;
	case S_DEC:
		cpu_set_dec(cpu, v);
		return true;
	/* A BAT or SDR1 change makes every cached translation suspect */
	case S_SDR1:
		cpu->spr[SPR_SDR1] = v;
		cpu_tlb_flush(cpu);
		break;
	case S_IBAT:
		cpu->ibat[e->alias >> 1][e->alias & 1] = v;
		cpu_tlb_flush(cpu);
		break;
	case S_DBAT:
		cpu->dbat[e->alias >> 1][e->alias & 1] = v;
		cpu_tlb_flush(cpu);
		break;
	case S_TBW_L:
		tb = cpu_get_tb(cpu);
		cpu_set_tb(cpu, (tb & ~0xffffffffull) | v);
		return true;
	case S_TBW_U:
		tb = cpu_get_tb(cpu);
		cpu_set_tb(cpu, (tb & 0xffffffffull) | ((uint64_t)v << 32));
		return true;
	default:
		break;
	}
	return false;
}

static bool acc_denied(const struct ppc_cpu *cpu, unsigned acc)
{
	return acc == R_NONE || (acc == R_SV && cpu->pr);
}

/*
 * An SPR the model does not have (QEMU gen_op_mfspr / gen_mtspr on these
 * CPUs): SPR number bit 0x10 set: privileged in problem state, no-op in
 * supervisor state; otherwise problem state (and SPR 0, 4, 5, 6 for mfspr,
 * 0 for mtspr, in any state) gets the emulation-assist program interrupt,
 * which these CPUs deliver as privileged; else a no-op.
 */
static const struct dinsn *spr32_undefined(struct ppc_cpu *cpu, const struct dinsn *d, unsigned spr,
					   bool write)
{
	bool zero = spr == 0 || (!write && (spr == 4 || spr == 5 || spr == 6));

	if (spr & 0x10) {
		if (cpu->pr)
			return priv_fault(cpu, d);
		return d + 1;
	}
	if (cpu->pr || zero)
		return priv_fault(cpu, d);
	return d + 1;
}

static inline unsigned insn_spr(const struct dinsn *d)
{
	return d->ra | ((unsigned)d->rb << 5);
}

static const struct dinsn *op_mfspr32(struct ppc_cpu *cpu, const struct dinsn *d)
{
	unsigned spr = insn_spr(d);
	struct spr32 e;

	if (spr == SPR_LR) {
		cpu->gpr[d->rt] = (uint32_t)cpu->lr;
		return d + 1;
	}
	if (spr == SPR_CTR) {
		cpu->gpr[d->rt] = (uint32_t)cpu->ctr;
		return d + 1;
	}
	e = spr32_lookup(cpu, spr);
	if (e.kind == S_UNDEF)
		return spr32_undefined(cpu, d, spr, false);
	if (acc_denied(cpu, e.rd))
		return priv_fault(cpu, d);
	cpu->gpr[d->rt] = spr32_read(cpu, &e);
	/*
	 * A guest polling DEC or TB may be waiting for the DEC edge: look at
	 * the clock now and leave the block if the interrupt can be taken
	 * (otherwise it would wait for the next periodic timer check).
	 */
	if (e.kind == S_DEC || e.kind == S_TBL || e.kind == S_TBU || e.kind == S_TBW_L ||
	    e.kind == S_TBW_U) {
		cpu_check_timers(cpu);
		if ((cpu->msr & MSR_EE) &&
		    (__atomic_load_n(&cpu->pending, __ATOMIC_RELAXED) & PEND_DEC))
			return insn_end_block(cpu, d);
	}
	return d + 1;
}

static const struct dinsn *op_mtspr32(struct ppc_cpu *cpu, const struct dinsn *d)
{
	unsigned spr = insn_spr(d);
	uint32_t v = (uint32_t)cpu->gpr[d->rt];
	struct spr32 e;

	if (spr == SPR_LR) {
		cpu->lr = v;
		return d + 1;
	}
	if (spr == SPR_CTR) {
		cpu->ctr = v;
		return d + 1;
	}
	e = spr32_lookup(cpu, spr);
	if (e.kind == S_UNDEF)
		return spr32_undefined(cpu, d, spr, true);
	if (acc_denied(cpu, e.wr))
		return priv_fault(cpu, d);
	if (spr32_write(cpu, &e, v))
		return insn_end_block(cpu, d);
	return d + 1;
}

bool book3s32_spr_get(struct ppc_cpu *cpu, unsigned spr, uint64_t *val)
{
	struct spr32 e = spr32_lookup(cpu, spr);

	if (spr >= 1024 || e.kind == S_UNDEF)
		return false;
	*val = spr32_read(cpu, &e);
	return true;
}

/* The API writes as the hypervisor: every SPR, PVR included (KVM PR) */
bool book3s32_spr_set(struct ppc_cpu *cpu, unsigned spr, uint64_t val)
{
	struct spr32 e = spr32_lookup(cpu, spr);

	if (spr >= 1024 || e.kind == S_UNDEF)
		return false;
	switch (e.kind) {
	case S_PVR:
		cpu_set_model(cpu, (uint32_t)val);
		return true;
	case S_TBL:
	case S_TBU:
		return false; /* read-only views: set TB through 284/285 */
	case S_WNOP:
		cpu->spr[e.alias] = (uint32_t)val;
		return true;
	default:
		spr32_write(cpu, &e, (uint32_t)val);
		return true;
	}
}

/* ---- Decode fixup -------------------------------------------------- */

/* Primary 31 extended opcodes both models implement (PEM32 A.2) */
static bool ok31_common(unsigned xo)
{
	switch (xo) {
	case 0:
	case 4:
	case 8:
	case 10:
	case 11:
	case 19:
	case 20:
	case 23:
	case 24:
	case 26:
	case 28:
	case 32:
	case 40:
	case 54:
	case 55:
	case 60:
	case 75:
	case 83:
	case 86:
	case 87:
	case 104:
	case 119:
	case 124:
	case 136:
	case 138:
	case 144:
	case 146:
	case 150:
	case 151:
	case 183:
	case 200:
	case 202:
	case 210:
	case 215:
	case 232:
	case 234:
	case 235:
	case 242:
	case 246:
	case 247:
	case 266:
	case 278:
	case 279:
	case 284:
	case 306:
	case 310:
	case 311:
	case 316:
	case 339:
	case 343:
	case 371:
	case 375:
	case 407:
	case 412:
	case 438:
	case 439:
	case 444:
	case 459:
	case 467:
	case 470:
	case 476:
	case 491:
	case 512:
	case 533:
	case 534:
	case 535:
	case 536:
	case 566:
	case 567:
	case 595:
	case 597:
	case 598:
	case 599:
	case 631:
	case 659:
	case 661:
	case 662:
	case 663:
	case 695:
	case 725:
	case 727:
	case 759:
	case 790:
	case 792:
	case 824:
	case 854:
	case 918:
	case 922:
	case 954:
	case 982:
	case 983:
	case 1014:
	/* OE=1 forms of the XO-form arithmetic */
	case 520:
	case 522:
	case 552:
	case 616:
	case 648:
	case 650:
	case 712:
	case 714:
	case 744:
	case 746:
	case 747:
	case 778:
	case 971:
	case 1003:
		return true;
	default:
		return false;
	}
}

/* 7447A additions in primary 31: tlbia, dcba, the AltiVec storage forms */
static bool ok31_7447a(unsigned xo)
{
	switch (xo) {
	case 370:
	case 758:
	case 6:
	case 7:
	case 38:
	case 39:
	case 71:
	case 103:
	case 359:
	case 135:
	case 167:
	case 199:
	case 231:
	case 487:
	case 342:
	case 374:
	case 822:
		return true;
	default:
		return false;
	}
}

static bool ok19(unsigned xo)
{
	switch (xo) {
	case 0:
	case 16:
	case 33:
	case 50:
	case 129:
	case 150:
	case 193:
	case 225:
	case 257:
	case 289:
	case 417:
	case 449:
	case 528:
		return true;
	default:
		return false;
	}
}

/*
 * Floating point: the A forms by their 5-bit XO (fsqrt/fsqrts 22 absent
 * as on both manuals' lists; fre 24 in 63 and frsqrtes are ISA 2.05),
 * the X forms of primary 63 by their 10-bit XO. fcfid/fctid* are 64-bit.
 */
static bool ok_fp(unsigned opcd, unsigned xo)
{
	unsigned a = xo & 31;

	if (opcd == 59)
		return a == 18 || a == 20 || a == 21 || a == 24 || a == 25 || a >= 28;
	if (a >= 16)
		return a == 18 || a == 20 || a == 21 || a == 23 || a == 25 || a == 26 || a >= 28;
	switch (xo) {
	case 0:
	case 12:
	case 14:
	case 15:
	case 32:
	case 38:
	case 40:
	case 64:
	case 70:
	case 72:
	case 134:
	case 136:
	case 264:
	case 583:
	case 711:
		return true;
	default:
		return false;
	}
}

/*
 * The original AltiVec instruction set (AltiVec PEM; the 7447A's, QEMU
 * PPC_ALTIVEC): VA forms by their 6-bit XO, VC compares (Rc in bit 21),
 * VX forms by their 11-bit XO. Later VMX additions (ISA 2.07: doubleword,
 * quadword, crypto, vpermxor...) are illegal.
 */
static bool ok4(uint32_t raw)
{
	unsigned vx = raw & 0x7ff, va = raw & 0x3f;

	if (va >= 32)
		/* 35 is vmsumudm (ISA 3.0), 45 vpermxor (2.07): not AltiVec */
		return (va <= 44 && va != 35) || va == 46 || va == 47;
	if (va == 6) {
		switch (vx & 0x3ff) {
		case 6:
		case 70:
		case 134:
		case 198:
		case 454:
		case 518:
		case 582:
		case 646:
		case 710:
		case 774:
		case 838:
		case 902:
		case 966:
			return true;
		default:
			return false;
		}
	}
	switch (vx) {
	case 0:
	case 64:
	case 128:
	case 384:
	case 512:
	case 576:
	case 640:
	case 768:
	case 832:
	case 896:
	case 1024:
	case 1088:
	case 1152:
	case 1408:
	case 1536:
	case 1600:
	case 1664:
	case 1792:
	case 1856:
	case 1920:
	case 2:
	case 66:
	case 130:
	case 258:
	case 322:
	case 386:
	case 514:
	case 578:
	case 642:
	case 770:
	case 834:
	case 898:
	case 1026:
	case 1090:
	case 1154:
	case 1282:
	case 1346:
	case 1410:
	case 4:
	case 68:
	case 132:
	case 260:
	case 324:
	case 388:
	case 452:
	case 516:
	case 580:
	case 644:
	case 708:
	case 772:
	case 836:
	case 900:
	case 1028:
	case 1092:
	case 1156:
	case 1220:
	case 1284:
	case 1540:
	case 1604:
	case 8:
	case 72:
	case 264:
	case 328:
	case 520:
	case 584:
	case 776:
	case 840:
	case 1544:
	case 1608:
	case 1672:
	case 1800:
	case 1928:
	case 10:
	case 74:
	case 266:
	case 330:
	case 394:
	case 458:
	case 522:
	case 586:
	case 650:
	case 714:
	case 778:
	case 842:
	case 906:
	case 970:
	case 1034:
	case 1098:
	case 12:
	case 76:
	case 140:
	case 268:
	case 332:
	case 396:
	case 524:
	case 588:
	case 652:
	case 780:
	case 844:
	case 908:
	case 1036:
	case 1100:
	case 14:
	case 78:
	case 142:
	case 206:
	case 270:
	case 334:
	case 398:
	case 462:
	case 782:
	case 526:
	case 590:
	case 654:
	case 718:
	case 846:
	case 974:
		return true;
	default:
		return false;
	}
}

/*
 * Does the model implement this instruction word? Primary opcodes 2 (tdi),
 * 30 (rld*), 56-58, 60-62 (lq, ld/std, VSX...) are 64-bit or later ISA;
 * 4 (VMX) only on the 7447A.
 */
static bool implemented(const struct ppc_cpu *cpu, uint32_t raw)
{
	unsigned opcd = INSN_OPCD(raw), xo = INSN_XO10(raw);
	bool g4 = cpu->model == CPU_7447A;

	switch (opcd) {
	case 3:
	case 7:
	case 8:
	case 10:
	case 11:
	case 12:
	case 13:
	case 14:
	case 15:
	case 16:
	case 17:
	case 18:
	case 20:
	case 21:
	case 23:
	case 24 ... 29:
	case 32 ... 55:
		return true;
	case 4:
		return g4 && ok4(raw);
	case 19:
		return ok19(xo);
	case 31:
		return ok31_common(xo) || (g4 && ok31_7447a(xo));
	case 59:
	case 63:
		return ok_fp(opcd, xo);
	default:
		return false;
	}
}

/* Decode again with some instruction bits changed (fields ignored here) */
static void redecode(struct dinsn *d, uint32_t raw)
{
	decode_insn(d, raw);
}

/* FP load/store: primary 48-55, or 31 with these extended opcodes */
static bool is_fpmem(unsigned opcd, unsigned xo)
{
	if (opcd >= 48 && opcd <= 55)
		return true;
	return opcd == 31 && (xo == 535 || xo == 567 || xo == 599 || xo == 631 || xo == 663 ||
			      xo == 695 || xo == 727 || xo == 759 || xo == 983);
}

static bool is_update(unsigned opcd, unsigned xo)
{
	return opcd == 31 ? (xo == 567 || xo == 631 || xo == 695 || xo == 759) : (opcd & 1);
}

/*
 * FP loads and stores on the 750 / 7447A: an operand that is not word-aligned
 * is an alignment interrupt (750 UM 4.5.6). The POWER8 handler, kept in
 * imm2 (unused by D/X forms), does the rest, so the POWER8 path pays nothing;
 * FP unavailable and the invalid update form keep their priority over it.
 */
static const struct dinsn *op_fpmem32(struct ppc_cpu *cpu, const struct dinsn *d)
{
	insn_fn fn = (insn_fn)(uintptr_t)d->imm2;
	unsigned opcd = INSN_OPCD(d->raw);
	uint64_t ea;

	if (!(cpu->msr & MSR_FP) || (d->ra == 0 && is_update(opcd, INSN_XO10(d->raw))))
		return fn(cpu, d);
	ea = opcd == 31 ? ea_x(cpu, d->ra, d->rb) : ea_d(cpu, d->ra, d->imm);
	if (ea & 3)
		return cpu_alignment(cpu, d, ea);
	return fn(cpu, d);
}

void book3s32_decode_fixup(struct ppc_cpu *cpu, struct dinsn *d)
{
	uint32_t raw = d->raw;
	unsigned opcd = INSN_OPCD(raw), xo = INSN_XO10(raw);

	if (!implemented(cpu, raw)) {
		d->fn = op_illegal;
		return;
	}
	if (is_fpmem(opcd, xo) && d->fn != op_illegal) {
		d->imm2 = (uint64_t)(uintptr_t)d->fn;
		d->fn = op_fpmem32;
		return;
	}
	switch (opcd) {
	case 10:
	case 11:
		/* cmpi/cmpli L=1: the 750/74xx ignore L (QEMU do_cmp_X) */
		if (raw & (1u << 21))
			redecode(d, raw & ~(1u << 21));
		return;
	case 17:
		d->fn = op_sc32;
		return;
	case 19:
		if (xo == 50)
			d->fn = op_rfi;
		return;
	case 31:
		break;
	default:
		return;
	}
	switch (xo) {
	case 0:
	case 32:
		if (raw & (1u << 21))
			redecode(d, raw & ~(1u << 21));
		break;
	case 19:  /* mfcr: bit 11 (mfocrf) is reserved here */
	case 144: /* mtcrf: likewise for mtocrf */
		if (raw & (1u << 20))
			redecode(d, raw & ~(1u << 20));
		break;
	case 83:
		d->fn = op_mfmsr32;
		break;
	case 146:
		d->fn = op_mtmsr32;
		break;
	case 210:
		d->fn = op_mtsr;
		break;
	case 242:
		d->fn = op_mtsrin;
		break;
	case 595:
		d->fn = op_mfsr;
		break;
	case 659:
		d->fn = op_mfsrin;
		break;
	case 306: /* tlbie */
	case 370: /* tlbia (7447A only: implemented() said so) */
		d->fn = op_tlbie32;
		break;
	case 566:
		d->fn = op_tlbsync32;
		break;
	case 339:
		d->fn = op_mfspr32;
		break;
	case 371: /* mftb: TBR 268 / 269 only, through the SPR file (PEM32 8.2) */
	{
		unsigned tbr = ((raw >> 16) & 31) | ((raw >> 6) & 0x3e0);

		d->fn = (tbr == 268 || tbr == 269) ? op_mfspr32 : op_illegal;
	} break;
	case 467:
		d->fn = op_mtspr32;
		break;
	case 598:
		d->fn = op_sync32;
		break;
	case 758:
		d->fn = op_nop32;
		break;
	case 512:
		d->fn = op_mcrxr;
		break;
	case 1014:
		d->fn = op_dcbz32;
		break;
	/*
	 * eciwx/ecowx: no external control device; as QEMU, a word load /
	 * store at (RA|0)+RB (EAR is not checked).
	 */
	case 310:
		redecode(d, (raw & ~(0x3ffu << 1)) | (23u << 1));
		break;
	case 438:
		redecode(d, (raw & ~(0x3ffu << 1)) | (151u << 1));
		break;
	default:
		break;
	}
}
