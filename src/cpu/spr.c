/* SPDX-License-Identifier: MIT */
/*
 * The SPR file of a partition (ISA 2.07 Book III-S 4.4.4, mtspr/mfspr):
 * one table entry per SPR number with who may read it, who may write it
 * and how the value is stored. Hypervisor-privileged SPRs are what QEMU's
 * pseries (TCG) gives a partition: a privileged-instruction program
 * interrupt in every state.
 */
#include "cpu/cpu.h"
#include "cpu/book3s32.h"
#include "mmu/hash.h"

/* Who may access an SPR from the partition */
enum spr_acc {
	A_NONE = 0, /* nobody in the partition: program, privileged */
	A_SV,	    /* supervisor state only */
	A_USER,	    /* problem state too */
};

enum spr_kind {
	K_UNDEF = 0, /* not an SPR of this processor */
	K_PLAIN,     /* cpu->spr[alias] */
	K_PLAIN32,   /* cpu->spr[alias], low 32 bits */
	K_NOP,	     /* reserved no-op SPR (ISA 2.07: 808-811) */
	K_XER,
	K_LR,
	K_CTR,
	K_AMR,	/* problem-state writes masked by UAMOR */
	K_IAMR, /* instruction authority mask: drops fetch TLB */
	K_DEC,
	K_TBL,	 /* read TB, low 32 bits */
	K_TBU,	 /* read TB, high 32 bits */
	K_TBW_L, /* write TBL (hypervisor) */
	K_TBW_U, /* write TBU (hypervisor) */
	K_TBU40, /* write TB[0:39] (hypervisor) */
	K_PURR,	 /* PURR/SPURR: the timebase for a single thread */
	K_PVR,
	K_PIR,
	K_CTRL,	 /* RUN bit, mirrored into thread 0's TS bit */
	K_PPR32, /* high 32 bits of PPR */
};

/* FSCR facility bits and interrupt causes (ISA 2.07 Book III-S 4.2.9) */
#define FSCR_DSCR     (1ull << 2)
#define FSCR_TAR      (1ull << 8)
#define FSCR_IC_SHIFT 56
#define FSCR_IC_DSCR  2
#define FSCR_IC_TAR   8

struct spr_def {
	uint8_t kind;
	uint8_t rd, wr;
	uint8_t fscr_ic; /* problem state needs FSCR bit (cause) */
	uint16_t alias;	 /* storage index in cpu->spr */
};

#define SPR(n, k, r, w)		[n] = { K_##k, A_##r, A_##w, 0, n }
#define SPRA(n, k, r, w, a)	[n] = { K_##k, A_##r, A_##w, 0, a }
#define SPRF(n, k, r, w, a, ic) [n] = { K_##k, A_##r, A_##w, ic, a }

#define SPR_AMR_P  29
#define SPR_TEXASR 130
#define SPR_TFHAR  128
#define SPR_TFIAR  129
#define SPR_PSPB   159
#define SPR_HFSCR  190
#define SPR_SPURR  308
#define SPR_PURR   309
#define SPR_HMEER  337
#define SPR_PCR	   338
#define SPR_HEIR   339
#define SPR_AMOR   349
#define SPR_HID0   1008

static const struct spr_def spr_tab[1024] = {
	SPR(SPR_XER, XER, USER, USER),
	SPRF(SPR_DSCR_U, PLAIN, USER, USER, SPR_DSCR, FSCR_IC_DSCR),
	SPR(SPR_LR, LR, USER, USER),
	SPR(SPR_CTR, CTR, USER, USER),
	SPR(SPR_AMR, AMR, USER, USER),
	SPR(SPR_DSCR, PLAIN, SV, SV),
	SPR(SPR_DSISR, PLAIN32, SV, SV),
	SPR(SPR_DAR, PLAIN, SV, SV),
	SPR(SPR_DEC, DEC, SV, SV),
	SPR(SPR_SDR1, PLAIN, NONE, NONE),
	SPR(SPR_SRR0, PLAIN, SV, SV),
	SPR(SPR_SRR1, PLAIN, SV, SV),
	SPR(SPR_CFAR, PLAIN, SV, SV),
	SPRA(SPR_AMR_P, AMR, SV, SV, SPR_AMR),
	/*
	 * PIDR (radix, ISA 3.0) and UAMOR (only masks AMR writes) change no
	 * hash translation: their writes need no soft-TLB flush.
	 */
	SPR(SPR_PIDR, PLAIN32, SV, SV),
	SPR(SPR_IAMR, IAMR, SV, SV),
	/* Transactional memory SPRs: stored (TM itself is not emulated) */
	SPR(SPR_TFHAR, PLAIN, USER, USER),
	SPR(SPR_TFIAR, PLAIN, USER, USER),
	SPR(SPR_TEXASR, PLAIN, USER, USER),
	SPRA(SPR_CTRL_R, CTRL, USER, NONE, SPR_CTRL_W),
	SPR(SPR_CTRL_W, CTRL, NONE, SV),
	SPR(SPR_FSCR, PLAIN, SV, SV),
	SPR(SPR_UAMOR, PLAIN, SV, SV),
	SPR(SPR_PSPB, PLAIN32, SV, SV),
	SPR(SPR_HFSCR, PLAIN, NONE, NONE),
	SPR(SPR_VRSAVE, PLAIN32, USER, USER),
	SPRA(SPR_SPRG3_R, PLAIN, USER, NONE, SPR_SPRG3),
	SPR(SPR_TBL_R, TBL, USER, NONE),
	SPR(SPR_TBU_R, TBU, USER, NONE),
	SPR(SPR_SPRG0, PLAIN, SV, SV),
	SPR(SPR_SPRG1, PLAIN, SV, SV),
	SPR(SPR_SPRG2, PLAIN, SV, SV),
	SPR(SPR_SPRG3, PLAIN, SV, SV),
	SPR(SPR_TBL_W, TBW_L, NONE, NONE),
	SPR(SPR_TBU_W, TBW_U, NONE, NONE),
	SPR(SPR_TBU40, TBU40, NONE, NONE),
	SPR(SPR_PVR, PVR, SV, NONE),
	SPR(SPR_HSPRG0, PLAIN, NONE, NONE),
	SPR(SPR_HSPRG1, PLAIN, NONE, NONE),
	SPR(SPR_HDSISR, PLAIN32, NONE, NONE),
	SPR(SPR_HDAR, PLAIN, NONE, NONE),
	SPR(SPR_SPURR, PURR, SV, NONE),
	SPR(SPR_PURR, PURR, SV, NONE),
	SPR(SPR_HDEC, PLAIN32, NONE, NONE),
	SPR(SPR_HRMOR, PLAIN, NONE, NONE),
	SPR(SPR_HSRR0, PLAIN, NONE, NONE),
	SPR(SPR_HSRR1, PLAIN, NONE, NONE),
	/*
	 * LPCR: the partition may read the ILE/AIL bits the core set for it
	 * through H_SET_MODE (project choice; QEMU pseries makes the read
	 * hypervisor-only too); writing is the hypervisor's.
	 */
	SPR(SPR_LPCR, PLAIN, SV, NONE),
	SPR(SPR_LPIDR, PLAIN32, NONE, NONE),
	SPR(SPR_HMER, PLAIN, NONE, NONE),
	SPR(SPR_HMEER, PLAIN, NONE, NONE),
	SPR(SPR_PCR, PLAIN, NONE, NONE),
	SPR(SPR_HEIR, PLAIN32, NONE, NONE),
	SPR(SPR_AMOR, PLAIN, NONE, NONE),
	/*
	 * Performance monitor: problem-state read aliases 768-783 of the
	 * privileged 784-799 (values are stored, nothing counts; the
	 * MMCR0[PMCC] problem-state rules are not modelled).
	 */
	SPRA(768, PLAIN, USER, SV, 784),   /* SIER */
	SPRA(769, PLAIN, USER, SV, 785),   /* MMCR2 */
	SPRA(770, PLAIN, USER, SV, 786),   /* MMCRA */
	SPRA(771, PLAIN32, USER, SV, 787), /* PMC1..6 */
	SPRA(772, PLAIN32, USER, SV, 788),
	SPRA(773, PLAIN32, USER, SV, 789),
	SPRA(774, PLAIN32, USER, SV, 790),
	SPRA(775, PLAIN32, USER, SV, 791),
	SPRA(776, PLAIN32, USER, SV, 792),
	SPRA(779, PLAIN, USER, SV, 795), /* MMCR0 */
	SPRA(780, PLAIN, USER, SV, 796), /* SIAR */
	SPRA(781, PLAIN, USER, SV, 797), /* SDAR */
	SPRA(782, PLAIN, USER, SV, 798), /* MMCR1 */
	SPR(784, PLAIN, SV, SV),
	SPR(785, PLAIN, SV, SV),
	SPR(786, PLAIN, SV, SV),
	SPR(787, PLAIN32, SV, SV),
	SPR(788, PLAIN32, SV, SV),
	SPR(789, PLAIN32, SV, SV),
	SPR(790, PLAIN32, SV, SV),
	SPR(791, PLAIN32, SV, SV),
	SPR(792, PLAIN32, SV, SV),
	SPR(795, PLAIN, SV, SV),
	SPR(796, PLAIN, SV, SV),
	SPR(797, PLAIN, SV, SV),
	SPR(798, PLAIN, SV, SV),
	/* ISA 2.07 4.4.4: mtspr/mfspr 808-811 are no-ops in every state */
	SPR(808, NOP, USER, USER),
	SPR(809, NOP, USER, USER),
	SPR(810, NOP, USER, USER),
	SPR(811, NOP, USER, USER),
	SPRF(SPR_TAR, PLAIN, USER, USER, SPR_TAR, FSCR_IC_TAR),
	SPR(SPR_PPR, PLAIN, USER, USER),
	SPRA(SPR_PPR32, PPR32, USER, USER, SPR_PPR),
	SPR(SPR_HID0, PLAIN, NONE, NONE),
	SPR(SPR_DABR, PLAIN, SV, SV),
	SPR(SPR_DABRX, PLAIN, SV, SV),
	SPR(SPR_PIR, PIR, SV, NONE),
};

static uint64_t spr_read(struct ppc_cpu *cpu, const struct spr_def *e)
{
	switch (e->kind) {
	case K_PLAIN:
	case K_PLAIN32:
	case K_AMR:
	case K_IAMR:
		return cpu->spr[e->alias];
	case K_XER:
		return cpu_get_xer(cpu);
	case K_LR:
		return cpu->lr;
	case K_CTR:
		return cpu->ctr;
	case K_DEC:
		/* Without LPCR[LD] the decrementer is 32 bits, zero-extended */
		return cpu_get_dec(cpu);
	case K_TBL:
		/* 64-bit implementations return all of TB for mfspr 268 */
		return cpu_get_tb(cpu);
	case K_TBU:
		return cpu_get_tb(cpu) >> 32;
	case K_PURR:
	case K_TBW_L:
	case K_TBW_U:
	case K_TBU40:
		return cpu_get_tb(cpu); /* raw API reads of the write SPRs */
	case K_PVR:
		return cpu->pvr;
	case K_PIR:
		return cpu->pir;
	case K_CTRL:
		return cpu->spr[SPR_CTRL_W];
	case K_PPR32:
		return cpu->spr[SPR_PPR] >> 32;
	default:
		return 0;
	}
}

/* Returns true when the block must end (state the dispatcher checks) */
static bool spr_write(struct ppc_cpu *cpu, const struct spr_def *e, uint64_t val)
{
	uint64_t tb, m, old;

	switch (e->kind) {
	case K_PLAIN:
		cpu->spr[e->alias] = val;
		break;
	case K_PLAIN32:
		cpu->spr[e->alias] = (uint32_t)val;
		break;
	case K_AMR:
		/* Problem state changes only the bits UAMOR allows (ISA 5.7.13) */
		m = cpu->pr ? cpu->spr[SPR_UAMOR] : ~0ull;
		old = cpu->spr[SPR_AMR];
		cpu->spr[SPR_AMR] = (old & ~m) | (val & m);
		/* Soft-TLB entries of keys whose bits changed are stale */
		mmu_amr_changed(cpu, old, cpu->spr[SPR_AMR]);
		break;
	case K_IAMR:
		old = cpu->spr[SPR_IAMR];
		cpu->spr[SPR_IAMR] = val;
		mmu_iamr_changed(cpu, old, val);
		break;
	case K_XER:
		cpu_set_xer(cpu, val);
		break;
	case K_LR:
		cpu->lr = val;
		break;
	case K_CTR:
		cpu->ctr = val;
		break;
	case K_DEC:
		cpu_set_dec(cpu, (uint32_t)val);
		/* A negative DEC must interrupt now if EE=1 */
		return true;
	case K_TBW_L:
		tb = cpu_get_tb(cpu);
		cpu_set_tb(cpu, (tb & ~0xffffffffull) | (uint32_t)val);
		return true;
	case K_TBW_U:
		tb = cpu_get_tb(cpu);
		cpu_set_tb(cpu, (tb & 0xffffffffull) | (val << 32));
		return true;
	case K_TBU40:
		tb = cpu_get_tb(cpu);
		cpu_set_tb(cpu, (val & ~0xffffffull) | (tb & 0xffffffull));
		return true;
	case K_CTRL:
		/* Only RUN is writable; thread 0's TS bit mirrors it */
		cpu->spr[SPR_CTRL_W] = (val & 1) | ((val & 1) << 8);
		break;
	case K_PPR32:
		cpu->spr[SPR_PPR] = (cpu->spr[SPR_PPR] & 0xffffffffull) | (val << 32);
		break;
	case K_PVR:
	case K_PIR:
	case K_TBL:
	case K_TBU:
	case K_PURR:
	default:
		break;
	}
	return false;
}

/* Problem-state access to an SPR the FSCR controls (ISA 2.07 6.5.24) */
static bool fscr_denied(struct ppc_cpu *cpu, const struct spr_def *e)
{
	uint64_t bit;

	if (!e->fscr_ic || !cpu->pr)
		return false;
	bit = e->fscr_ic == FSCR_IC_TAR ? FSCR_TAR : FSCR_DSCR;
	if (cpu->spr[SPR_FSCR] & bit)
		return false;
	cpu->spr[SPR_FSCR] = (cpu->spr[SPR_FSCR] & ~(0xffull << FSCR_IC_SHIFT)) |
			     ((uint64_t)e->fscr_ic << FSCR_IC_SHIFT);
	return true;
}

/*
 * An SPR number this processor does not have (ISA 2.07 4.4.4): with
 * spr[4] (0x10) set it is privileged: problem state gets a privileged
 * program interrupt, supervisor state a no-op. Otherwise problem state,
 * and SPR 0, 4, 5, 6 in any state, get a Hypervisor Emulation Assistance
 * interrupt, which a PAPR hypervisor reflects as program/illegal.
 */
static const struct dinsn *spr_undefined(struct ppc_cpu *cpu, const struct dinsn *d, unsigned spr)
{
	if (spr & 0x10) {
		if (cpu->pr)
			return cpu_program(cpu, d, SRR1_PROGPRIV);
		return d + 1;
	}
	if (cpu->pr || spr == 0 || spr == 4 || spr == 5 || spr == 6)
		return cpu_program(cpu, d, SRR1_PROGILL);
	return d + 1;
}

static bool acc_denied(const struct ppc_cpu *cpu, unsigned acc)
{
	return acc == A_NONE || (acc == A_SV && cpu->pr);
}

const struct dinsn *cpu_mfspr(struct ppc_cpu *cpu, const struct dinsn *d, unsigned spr, unsigned rt)
{
	const struct spr_def *e = &spr_tab[spr & 0x3ff];

	if (unlikely(e->kind == K_UNDEF))
		return spr_undefined(cpu, d, spr & 0x3ff);
	if (unlikely(acc_denied(cpu, e->rd)))
		return cpu_program(cpu, d, SRR1_PROGPRIV);
	if (unlikely(fscr_denied(cpu, e)))
		return cpu_interrupt(cpu, VEC_FAC, cpu_pc(cpu, d), 0);
	if (e->kind != K_NOP)
		cpu->gpr[rt] = spr_read(cpu, e);
	return d + 1;
}

const struct dinsn *cpu_mtspr(struct ppc_cpu *cpu, const struct dinsn *d, unsigned spr,
			      uint64_t val)
{
	const struct spr_def *e = &spr_tab[spr & 0x3ff];

	if (unlikely(e->kind == K_UNDEF))
		return spr_undefined(cpu, d, spr & 0x3ff);
	if (unlikely(acc_denied(cpu, e->wr)))
		return cpu_program(cpu, d, SRR1_PROGPRIV);
	if (unlikely(fscr_denied(cpu, e)))
		return cpu_interrupt(cpu, VEC_FAC, cpu_pc(cpu, d), 0);
	if (spr_write(cpu, e, val))
		return insn_end_block(cpu, d);
	return d + 1;
}

bool cpu_spr_get(struct ppc_cpu *cpu, unsigned spr, uint64_t *val)
{
	const struct spr_def *e;

	if (spr >= 1024)
		return false;
	/* The 750 / 7447A have their own SPR file (book3s32.c) */
	if (unlikely(cpu->book3s32))
		return book3s32_spr_get(cpu, spr, val);
	e = &spr_tab[spr];
	if (e->kind == K_UNDEF)
		return false;
	*val = spr_read(cpu, e);
	return true;
}

bool cpu_spr_set(struct ppc_cpu *cpu, unsigned spr, uint64_t val)
{
	const struct spr_def *e;
	bool pr;

	if (spr >= 1024)
		return false;
	if (unlikely(cpu->book3s32))
		return book3s32_spr_set(cpu, spr, val);
	e = &spr_tab[spr];
	if (e->kind == K_UNDEF)
		return false;
	switch (e->kind) {
	case K_PVR:
		/* The PVR selects the CPU model (docs/book3s32.md) */
		cpu_set_model(cpu, (uint32_t)val);
		return true;
	case K_PIR:
		cpu->pir = (uint32_t)val;
		return true;
	case K_TBL:
	case K_TBU:
		return false; /* read-only views: set TB through 284/285 */
	default:
		break;
	}
	/* The API writes as the hypervisor would: no UAMOR masking */
	pr = cpu->pr;
	cpu->pr = false;
	spr_write(cpu, e, val);
	cpu->pr = pr;
	return true;
}
