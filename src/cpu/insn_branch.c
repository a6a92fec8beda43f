/* SPDX-License-Identifier: MIT */
/*
 * Branch and CR instructions (ISA 2.07 Book I 2.4 and 2.5.1, Book I 3.3.15
 * for mfcr/mtcrf). Taken branches go through insn_jump() so loops inside a
 * page chain without the dispatcher, and record CFAR (Book III-S 4.3.3).
 *
 * bc, bclr and bcctr are specialised when decoded: a selector looks at
 * BO/AA/LK and picks a handler for that exact form (bdnz, branch if CR bit
 * true/false, blr, bctr), so the common loops test nothing at run time.
 */
#include "cpu/cpu.h"

/* BO bits (IBM numbering of the 5-bit field: BO[0] is 0x10) */
#define BO_NOCOND 0x10 /* ignore the CR bit */
#define BO_TRUE	  0x08 /* branch if the CR bit is 1 */
#define BO_NOCTR  0x04 /* do not decrement CTR */
#define BO_CTRZ	  0x02 /* branch if CTR == 0 (else CTR != 0) */

#define INSN_AA(raw) ((raw)&2)
#define INSN_LK(raw) ((raw)&1)

/* Taken branch from d to target: CFAR, then chain or leave the page */
static inline const struct dinsn *branch_to(struct ppc_cpu *cpu, uint64_t pc, uint64_t target)
{
	cpu->spr[SPR_CFAR] = pc;
	return insn_jump(cpu, target);
}

/* CTR in the width the mode compares (low 32 bits in 32-bit mode) */
static inline uint64_t ctr_value(const struct ppc_cpu *cpu)
{
	return cpu->ctr & cpu->ea_mask;
}

/* The full BO test: decrements CTR when BO says so */
static inline bool bo_test(struct ppc_cpu *cpu, unsigned bo, unsigned bi)
{
	bool ok = true;

	if (!(bo & BO_NOCTR)) {
		cpu->ctr--;
		ok = (ctr_value(cpu) == 0) == !!(bo & BO_CTRZ);
	}
	if (!(bo & BO_NOCOND))
		ok = ok && cr_bit(cpu, bi) == !!(bo & BO_TRUE);
	return ok;
}

/* ---- b, ba, bl, bla ------------------------------------------------ */

static const struct dinsn *op_b(struct ppc_cpu *cpu, const struct dinsn *d)
{
	uint64_t pc = cpu_pc(cpu, d);

	return branch_to(cpu, pc, INSN_AA(d->raw) ? (uint64_t)d->imm : pc + (uint64_t)d->imm);
}

static const struct dinsn *op_bl(struct ppc_cpu *cpu, const struct dinsn *d)
{
	uint64_t pc = cpu_pc(cpu, d);

	cpu->lr = (pc + 4) & cpu->ea_mask;
	return branch_to(cpu, pc, INSN_AA(d->raw) ? (uint64_t)d->imm : pc + (uint64_t)d->imm);
}

/* ---- bc ------------------------------------------------------------- */

/* Any BO, AA and LK */
static const struct dinsn *op_bc_any(struct ppc_cpu *cpu, const struct dinsn *d)
{
	uint64_t pc = cpu_pc(cpu, d);

	if (INSN_LK(d->raw))
		cpu->lr = (pc + 4) & cpu->ea_mask;
	if (!bo_test(cpu, d->rt, d->ra))
		return d + 1;
	return branch_to(cpu, pc, INSN_AA(d->raw) ? (uint64_t)d->imm : pc + (uint64_t)d->imm);
}

/* BO = 1a00t: bdnz */
static const struct dinsn *op_bdnz(struct ppc_cpu *cpu, const struct dinsn *d)
{
	uint64_t pc;

	if ((--cpu->ctr & cpu->ea_mask) == 0)
		return insn_next(cpu, d);
	pc = cpu_pc(cpu, d);
	return branch_to(cpu, pc, pc + (uint64_t)d->imm);
}

/* BO = 1a01t: bdz */
static const struct dinsn *op_bdz(struct ppc_cpu *cpu, const struct dinsn *d)
{
	uint64_t pc;

	if ((--cpu->ctr & cpu->ea_mask) != 0)
		return insn_next(cpu, d);
	pc = cpu_pc(cpu, d);
	return branch_to(cpu, pc, pc + (uint64_t)d->imm);
}

/* BO = 011at: branch if CR[BI] = 1 */
static const struct dinsn *op_bc_t(struct ppc_cpu *cpu, const struct dinsn *d)
{
	uint64_t pc;

	if (!cr_bit(cpu, d->ra))
		return insn_next(cpu, d);
	pc = cpu_pc(cpu, d);
	return branch_to(cpu, pc, pc + (uint64_t)d->imm);
}

/* BO = 001at: branch if CR[BI] = 0 */
static const struct dinsn *op_bc_f(struct ppc_cpu *cpu, const struct dinsn *d)
{
	uint64_t pc;

	if (cr_bit(cpu, d->ra))
		return insn_next(cpu, d);
	pc = cpu_pc(cpu, d);
	return branch_to(cpu, pc, pc + (uint64_t)d->imm);
}

/* BO = 1z1zz: always (a relative "b" written as bc) */
static const struct dinsn *op_bc_a(struct ppc_cpu *cpu, const struct dinsn *d)
{
	uint64_t pc = cpu_pc(cpu, d);

	return branch_to(cpu, pc, pc + (uint64_t)d->imm);
}

/* First execution of a bc: pick the handler for its form, then run it */
static insn_fn select_bc(const struct dinsn *d)
{
	unsigned bo = d->rt;
	insn_fn fn = op_bc_any;

	if (!INSN_AA(d->raw) && !INSN_LK(d->raw)) {
		if ((bo & (BO_NOCOND | BO_NOCTR)) == (BO_NOCOND | BO_NOCTR))
			fn = op_bc_a;
		else if ((bo & (BO_NOCOND | BO_NOCTR)) == BO_NOCOND)
			fn = (bo & BO_CTRZ) ? op_bdz : op_bdnz;
		else if ((bo & (BO_NOCOND | BO_NOCTR)) == BO_NOCTR)
			fn = (bo & BO_TRUE) ? op_bc_t : op_bc_f;
	}
	return fn;
}

/* ---- bclr, bcctr, bctar ------------------------------------------- */

static const struct dinsn *op_bclr_any(struct ppc_cpu *cpu, const struct dinsn *d)
{
	uint64_t pc = cpu_pc(cpu, d);
	uint64_t target = cpu->lr & ~3ull;

	if (INSN_LK(d->raw))
		cpu->lr = (pc + 4) & cpu->ea_mask;
	if (!bo_test(cpu, d->rt, d->ra))
		return d + 1;
	return branch_to(cpu, pc, target);
}

/* blr */
static const struct dinsn *op_blr(struct ppc_cpu *cpu, const struct dinsn *d)
{
	return branch_to(cpu, cpu_pc(cpu, d), cpu->lr & ~3ull);
}

/* beqlr and friends: BO = 011at / 001at */
static const struct dinsn *op_bclr_t(struct ppc_cpu *cpu, const struct dinsn *d)
{
	if (!cr_bit(cpu, d->ra))
		return insn_next(cpu, d);
	return branch_to(cpu, cpu_pc(cpu, d), cpu->lr & ~3ull);
}

static const struct dinsn *op_bclr_f(struct ppc_cpu *cpu, const struct dinsn *d)
{
	if (cr_bit(cpu, d->ra))
		return insn_next(cpu, d);
	return branch_to(cpu, cpu_pc(cpu, d), cpu->lr & ~3ull);
}

static insn_fn select_bclr(const struct dinsn *d)
{
	unsigned bo = d->rt;
	insn_fn fn = op_bclr_any;

	if (!INSN_LK(d->raw)) {
		if ((bo & (BO_NOCOND | BO_NOCTR)) == (BO_NOCOND | BO_NOCTR))
			fn = op_blr;
		else if ((bo & (BO_NOCOND | BO_NOCTR)) == BO_NOCTR)
			fn = (bo & BO_TRUE) ? op_bclr_t : op_bclr_f;
	}
	return fn;
}

/*
 * bcctr. BO[2]=0 is an invalid form; POWER8 (ISA 2.x servers, as QEMU
 * models them) does "test and decrement": the CTR value before the
 * decrement is both the target and the tested count.
 */
static const struct dinsn *op_bcctr_any(struct ppc_cpu *cpu, const struct dinsn *d)
{
	uint64_t pc = cpu_pc(cpu, d);
	uint64_t target = cpu->ctr & ~3ull;
	unsigned bo = d->rt;
	bool ok = true;

	if (INSN_LK(d->raw))
		cpu->lr = (pc + 4) & cpu->ea_mask;
	if (!(bo & BO_NOCTR)) {
		ok = (ctr_value(cpu) == 0) == !!(bo & BO_CTRZ);
		cpu->ctr--;
	}
	if (!(bo & BO_NOCOND))
		ok = ok && cr_bit(cpu, d->ra) == !!(bo & BO_TRUE);
	if (!ok)
		return d + 1;
	return branch_to(cpu, pc, target);
}

/* bctr */
static const struct dinsn *op_bctr(struct ppc_cpu *cpu, const struct dinsn *d)
{
	return branch_to(cpu, cpu_pc(cpu, d), cpu->ctr & ~3ull);
}

/* bctrl: indirect calls */
static const struct dinsn *op_bctrl(struct ppc_cpu *cpu, const struct dinsn *d)
{
	uint64_t pc = cpu_pc(cpu, d);
	uint64_t target = cpu->ctr & ~3ull;

	cpu->lr = (pc + 4) & cpu->ea_mask;
	return branch_to(cpu, pc, target);
}

static insn_fn select_bcctr(const struct dinsn *d)
{
	unsigned bo = d->rt;
	insn_fn fn = op_bcctr_any;

	if ((bo & (BO_NOCOND | BO_NOCTR)) == (BO_NOCOND | BO_NOCTR))
		fn = INSN_LK(d->raw) ? op_bctrl : op_bctr;
	return fn;
}

/* bctar (ISA 2.07): like bclr with TAR, CTR decrement allowed */
static const struct dinsn *op_bctar(struct ppc_cpu *cpu, const struct dinsn *d)
{
	uint64_t pc = cpu_pc(cpu, d);
	uint64_t target = cpu->spr[SPR_TAR] & ~3ull;

	if (INSN_LK(d->raw))
		cpu->lr = (pc + 4) & cpu->ea_mask;
	if (!bo_test(cpu, d->rt, d->ra))
		return d + 1;
	return branch_to(cpu, pc, target);
}

/* ---- CR logical ----------------------------------------------------- */

static inline const struct dinsn *cr_logical(struct ppc_cpu *cpu, const struct dinsn *d, unsigned v)
{
	uint32_t m = 0x80000000u >> d->rt;

	cpu->cr = (cpu->cr & ~m) | ((v & 1) ? m : 0);
	return insn_next(cpu, d);
}

#define CR_OP(name, expr)                                                                \
	static const struct dinsn *op_##name(struct ppc_cpu *cpu, const struct dinsn *d) \
	{                                                                                \
		unsigned a = cr_bit(cpu, d->ra), b = cr_bit(cpu, d->rb);                 \
		return cr_logical(cpu, d, (expr));                                       \
	}

CR_OP(crand, a &b)
CR_OP(cror, a | b)
CR_OP(crxor, a ^ b)
CR_OP(crnand, ~(a &b))
CR_OP(crnor, ~(a | b))
CR_OP(creqv, ~(a ^ b))
CR_OP(crandc, a & ~b)
CR_OP(crorc, a | ~b)

static const struct dinsn *op_mcrf(struct ppc_cpu *cpu, const struct dinsn *d)
{
	cr_set_field(cpu, d->rt >> 2, cr_get_field(cpu, d->ra >> 2));
	return d + 1;
}

/* ---- mfcr/mfocrf, mtcrf/mtocrf ------------------------------------ */

#define INSN_FXM(raw)	   (((raw) >> 12) & 0xff)
#define INSN_ONEFIELD(raw) ((raw) & (1u << 20))

/* 4-bit FXM field mask to a 32-bit CR mask (FXM bit 0x80 is CR0) */
static uint32_t fxm_mask(unsigned fxm)
{
	uint32_t m = 0;

	for (unsigned i = 0; i < 8; i++)
		if (fxm & (0x80u >> i))
			m |= 0xf0000000u >> (4 * i);
	return m;
}

static const struct dinsn *op_mfcr(struct ppc_cpu *cpu, const struct dinsn *d)
{
	unsigned fxm;

	if (!INSN_ONEFIELD(d->raw)) {
		cpu->gpr[d->rt] = cpu->cr;
		return insn_next(cpu, d);
	}
	/*
	 * mfocrf: the one field selected, other bits 0. With FXM not one
	 * bit the result is undefined; POWER8 as QEMU models it leaves RT.
	 */
	fxm = INSN_FXM(d->raw);
	if (fxm && !(fxm & (fxm - 1)))
		cpu->gpr[d->rt] = cpu->cr & fxm_mask(fxm);
	return insn_next(cpu, d);
}

static const struct dinsn *op_mtcrf(struct ppc_cpu *cpu, const struct dinsn *d)
{
	unsigned fxm = INSN_FXM(d->raw);
	uint32_t m;

	/* mtocrf with FXM not one bit: undefined, no change (as QEMU) */
	if (INSN_ONEFIELD(d->raw) && (!fxm || (fxm & (fxm - 1))))
		return insn_next(cpu, d);
	m = fxm_mask(fxm);
	cpu->cr = (cpu->cr & ~m) | ((uint32_t)cpu->gpr[d->rt] & m);
	return insn_next(cpu, d);
}

void insn_branch_register(void)
{
	decode_register(18, -1, FORM_I, op_b, op_bl);
	decode_register_select(16, -1, FORM_B, select_bc);
	decode_register_select(19, 16, FORM_X, select_bclr);
	decode_register_select(19, 528, FORM_X, select_bcctr);
	decode_register(19, 560, FORM_X, op_bctar, NULL);

	decode_register(19, 257, FORM_X, op_crand, NULL);
	decode_register(19, 449, FORM_X, op_cror, NULL);
	decode_register(19, 193, FORM_X, op_crxor, NULL);
	decode_register(19, 225, FORM_X, op_crnand, NULL);
	decode_register(19, 33, FORM_X, op_crnor, NULL);
	decode_register(19, 289, FORM_X, op_creqv, NULL);
	decode_register(19, 129, FORM_X, op_crandc, NULL);
	decode_register(19, 417, FORM_X, op_crorc, NULL);
	decode_register(19, 0, FORM_X, op_mcrf, NULL);

	decode_register(31, 19, FORM_X, op_mfcr, NULL);
	decode_register(31, 144, FORM_X, op_mtcrf, NULL);
	/* mcrxrx (31/576) is ISA 3.0: left unregistered, so illegal */
}
