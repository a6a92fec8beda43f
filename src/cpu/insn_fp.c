/* SPDX-License-Identifier: MIT */
/*
 * Scalar floating-point instructions (Power ISA 2.07 Book I 4.6.5 - 4.6.10):
 * arithmetic, multiply-add, rounding and conversion, compare, select,
 * moves, estimates and the FPSCR instructions. The arithmetic itself and
 * the FPSCR exception rules are in fpu.c.
 *
 * Every instruction checks MSR[FP] first (FP unavailable, 0x800). Rc=1 sets
 * CR1 from FPSCR[FX FEX VX OX]. An enabled exception (FEX=1) with
 * MSR[FE0|FE1] != 0 gives the precise program interrupt after the FPSCR is
 * updated (ISA 6.5.9; this core treats every nonzero mode as precise).
 */
#include "cpu/fpu.h"

#define INLINE static inline __attribute__((always_inline))

#define H(name) static const struct dinsn *name(struct ppc_cpu *cpu, const struct dinsn *d)

#define FPR(n) (cpu->vsr[(n)].d[0])

INLINE const struct dinsn *fp_done(struct ppc_cpu *cpu, const struct dinsn *d, bool rc)
{
	if (rc)
		fp_set_cr1(cpu);
	return fp_finish(cpu, d);
}

/* ---- Arithmetic (A-form) ------------------------------------------- */

INLINE const struct dinsn *fp_arith(struct ppc_cpu *cpu, const struct dinsn *d, enum fpu_op op,
				    bool single, bool neg, bool rc)
{
	uint64_t r;

	FP_CHECK(cpu, d);
	if (fpu_arith(cpu, op, FPR(d->ra), FPR(d->rb), FPR(d->rc), single, neg, &r))
		FPR(d->rt) = r;
	return fp_done(cpu, d, rc);
}

#define ARITH(name, op, single, neg)                             \
	H(op_##name)                                             \
	{                                                        \
		return fp_arith(cpu, d, op, single, neg, false); \
	}                                                        \
	H(op_##name##_rc)                                        \
	{                                                        \
		return fp_arith(cpu, d, op, single, neg, true);  \
	}

ARITH(fadd, FOP_ADD, false, false)
ARITH(fsub, FOP_SUB, false, false)
ARITH(fmul, FOP_MUL, false, false)
ARITH(fdiv, FOP_DIV, false, false)
ARITH(fsqrt, FOP_SQRT, false, false)
ARITH(fmadd, FOP_MADD, false, false)
ARITH(fmsub, FOP_MSUB, false, false)
ARITH(fnmadd, FOP_MADD, false, true)
ARITH(fnmsub, FOP_MSUB, false, true)
ARITH(fre, FOP_RE, false, false)
ARITH(frsqrte, FOP_RSQRTE, false, false)
ARITH(fadds, FOP_ADD, true, false)
ARITH(fsubs, FOP_SUB, true, false)
ARITH(fmuls, FOP_MUL, true, false)
ARITH(fdivs, FOP_DIV, true, false)
ARITH(fsqrts, FOP_SQRT, true, false)
ARITH(fmadds, FOP_MADD, true, false)
ARITH(fmsubs, FOP_MSUB, true, false)
ARITH(fnmadds, FOP_MADD, true, true)
ARITH(fnmsubs, FOP_MSUB, true, true)
ARITH(fres, FOP_RE, true, false)
ARITH(frsqrtes, FOP_RSQRTE, true, false)

/* fsel: FRA >= 0 (-0 included, NaN excluded) ? FRC : FRB; no FPSCR change */
INLINE const struct dinsn *fp_fsel(struct ppc_cpu *cpu, const struct dinsn *d, bool rc)
{
	uint64_t a = FPR(d->ra);

	FP_CHECK(cpu, d);
	if (!dbl_is_nan(a) && (!(a >> 63) || dbl_is_zero(a)))
		FPR(d->rt) = FPR(d->rc);
	else
		FPR(d->rt) = FPR(d->rb);
	if (rc)
		fp_set_cr1(cpu);
	return d + 1;
}

H(op_fsel)
{
	return fp_fsel(cpu, d, false);
}
H(op_fsel_rc)
{
	return fp_fsel(cpu, d, true);
}

/* ---- Moves (no FPSCR change) --------------------------------------- */

#define MOVE(name, expr)                                                                          \
	INLINE const struct dinsn *fp_##name(struct ppc_cpu *cpu, const struct dinsn *d, bool rc) \
	{                                                                                         \
		uint64_t b;                                                                       \
                                                                                                  \
		FP_CHECK(cpu, d);                                                                 \
		b = FPR(d->rb);                                                                   \
		FPR(d->rt) = (expr);                                                              \
		if (rc)                                                                           \
			fp_set_cr1(cpu);                                                          \
		return d + 1;                                                                     \
	}                                                                                         \
	H(op_##name)                                                                              \
	{                                                                                         \
		return fp_##name(cpu, d, false);                                                  \
	}                                                                                         \
	H(op_##name##_rc)                                                                         \
	{                                                                                         \
		return fp_##name(cpu, d, true);                                                   \
	}

MOVE(fmr, b)
MOVE(fneg, b ^ DBL_SIGN)
MOVE(fabs, b & ~DBL_SIGN)
MOVE(fnabs, b | DBL_SIGN)
MOVE(fcpsgn, (b & ~DBL_SIGN) | (FPR(d->ra) & DBL_SIGN))

/* fmrgew / fmrgow (ISA 2.07 4.6.4): merge the even / odd words */
H(op_fmrgew)
{
	FP_CHECK(cpu, d);
	FPR(d->rt) = (FPR(d->ra) & 0xffffffff00000000ull) | (FPR(d->rb) >> 32);
	return d + 1;
}

H(op_fmrgow)
{
	FP_CHECK(cpu, d);
	FPR(d->rt) = (FPR(d->ra) << 32) | (FPR(d->rb) & 0xffffffffull);
	return d + 1;
}

/* ---- Rounding and conversion --------------------------------------- */

INLINE const struct dinsn *fp_frsp(struct ppc_cpu *cpu, const struct dinsn *d, bool rc)
{
	uint64_t r;

	FP_CHECK(cpu, d);
	if (fpu_round_single(cpu, FPR(d->rb), &r))
		FPR(d->rt) = r;
	return fp_done(cpu, d, rc);
}

H(op_frsp)
{
	return fp_frsp(cpu, d, false);
}
H(op_frsp_rc)
{
	return fp_frsp(cpu, d, true);
}

/* fcti[w|d][u][z]: rz forces round toward zero (mode 1) */
INLINE const struct dinsn *fp_fcti(struct ppc_cpu *cpu, const struct dinsn *d, unsigned bits,
				   bool sgn, bool rz, bool rc)
{
	uint64_t r;

	FP_CHECK(cpu, d);
	if (fpu_to_int(cpu, FPR(d->rb), bits, sgn, rz ? 1 : (cpu->fpscr & FPSCR_RN), &r))
		FPR(d->rt) = r;
	return fp_done(cpu, d, rc);
}

#define FCTI(name, bits, sgn, rz)                             \
	H(op_##name)                                          \
	{                                                     \
		return fp_fcti(cpu, d, bits, sgn, rz, false); \
	}                                                     \
	H(op_##name##_rc)                                     \
	{                                                     \
		return fp_fcti(cpu, d, bits, sgn, rz, true);  \
	}

FCTI(fctiw, 32, true, false)
FCTI(fctiwz, 32, true, true)
FCTI(fctiwu, 32, false, false)
FCTI(fctiwuz, 32, false, true)
FCTI(fctid, 64, true, false)
FCTI(fctidz, 64, true, true)
FCTI(fctidu, 64, false, false)
FCTI(fctiduz, 64, false, true)

INLINE const struct dinsn *fp_fcfid(struct ppc_cpu *cpu, const struct dinsn *d, bool sgn,
				    bool single, bool rc)
{
	FP_CHECK(cpu, d);
	FPR(d->rt) = fpu_from_int(cpu, FPR(d->rb), sgn, single);
	return fp_done(cpu, d, rc);
}

#define FCFID(name, sgn, single)                             \
	H(op_##name)                                         \
	{                                                    \
		return fp_fcfid(cpu, d, sgn, single, false); \
	}                                                    \
	H(op_##name##_rc)                                    \
	{                                                    \
		return fp_fcfid(cpu, d, sgn, single, true);  \
	}

FCFID(fcfid, true, false)
FCFID(fcfids, true, true)
FCFID(fcfidu, false, false)
FCFID(fcfidus, false, true)

INLINE const struct dinsn *fp_fri(struct ppc_cpu *cpu, const struct dinsn *d, unsigned mode,
				  bool rc)
{
	uint64_t r;

	FP_CHECK(cpu, d);
	if (fpu_round_int(cpu, FPR(d->rb), mode, &r))
		FPR(d->rt) = r;
	return fp_done(cpu, d, rc);
}

#define FRI(name, mode)                             \
	H(op_##name)                                \
	{                                           \
		return fp_fri(cpu, d, mode, false); \
	}                                           \
	H(op_##name##_rc)                           \
	{                                           \
		return fp_fri(cpu, d, mode, true);  \
	}

FRI(frin, 0)
FRI(friz, 1)
FRI(frip, 2)
FRI(frim, 3)

/* ---- Compare and test ---------------------------------------------- */

H(op_fcmpu)
{
	FP_CHECK(cpu, d);
	cr_set_field(cpu, d->rt >> 2, fpu_compare(cpu, FPR(d->ra), FPR(d->rb), false));
	return fp_finish(cpu, d);
}

H(op_fcmpo)
{
	FP_CHECK(cpu, d);
	cr_set_field(cpu, d->rt >> 2, fpu_compare(cpu, FPR(d->ra), FPR(d->rb), true));
	return fp_finish(cpu, d);
}

/* Unbiased exponent as the ISA's ftdiv/ftsqrt pseudo-code uses it */
static int fp_exp(uint64_t x)
{
	return (int)((x >> 52) & 0x7ff) - 1023;
}

static bool fp_is_denorm(uint64_t x)
{
	return (x & DBL_EXP) == 0 && (x & DBL_FRAC) != 0;
}

/* ftdiv (ISA 2.07 4.6.8): CR[BF] = 0b1 || fg_flag || fe_flag || 0b0 */
H(op_ftdiv)
{
	uint64_t a = FPR(d->ra), b = FPR(d->rb);
	bool fe = false, fg = false;

	FP_CHECK(cpu, d);
	if (dbl_is_nan(a) || dbl_is_inf(a) || dbl_is_nan(b) || dbl_is_inf(b) || dbl_is_zero(b)) {
		fe = true;
	} else {
		int ea = fp_exp(a), eb = fp_exp(b);

		if (eb <= -1022 || eb >= 1021)
			fe = true;
		else if (!dbl_is_zero(a) && (ea - eb >= 1023 || ea - eb <= -1021 || ea <= -970))
			fe = true;
	}
	if (dbl_is_inf(a) || dbl_is_inf(b) || dbl_is_zero(b) || fp_is_denorm(b))
		fg = true;
	cr_set_field(cpu, d->rt >> 2, 8 | (fg << 2) | (fe << 1));
	return d + 1;
}

H(op_ftsqrt)
{
	uint64_t b = FPR(d->rb);
	bool fe = false, fg = false;

	FP_CHECK(cpu, d);
	if (dbl_is_nan(b) || dbl_is_inf(b) || dbl_is_zero(b) || (b >> 63) || fp_exp(b) <= -970)
		fe = true;
	if (dbl_is_inf(b) || dbl_is_zero(b) || fp_is_denorm(b))
		fg = true;
	cr_set_field(cpu, d->rt >> 2, 8 | (fg << 2) | (fe << 1));
	return d + 1;
}

/* ---- FPSCR instructions (ISA 2.07 4.6.10) -------------------------- */

INLINE const struct dinsn *fp_mffs(struct ppc_cpu *cpu, const struct dinsn *d, bool rc)
{
	FP_CHECK(cpu, d);
	FPR(d->rt) = cpu->fpscr;
	if (rc)
		fp_set_cr1(cpu);
	return d + 1;
}

H(op_mffs)
{
	return fp_mffs(cpu, d, false);
}
H(op_mffs_rc)
{
	return fp_mffs(cpu, d, true);
}

/* Exception bits a mcrfs clears (FEX and VX are summaries) */
#define FPSCR_MCRFS_CLEAR (FPSCR_FX | FPSCR_EXC_ALL)

H(op_mcrfs)
{
	unsigned bfa = d->ra >> 2, sh = 28 - 4 * bfa;

	FP_CHECK(cpu, d);
	cr_set_field(cpu, d->rt >> 2, (cpu->fpscr >> sh) & 0xf);
	cpu->fpscr = fpscr_summary(cpu->fpscr & ~(FPSCR_MCRFS_CLEAR & (0xfu << sh)));
	return d + 1;
}

/* Write FPSCR under mask m (FEX, VX computed); FX set as the value says */
static void fpscr_write(struct ppc_cpu *cpu, uint32_t v, uint32_t m)
{
	cpu->fpscr = fpscr_summary((cpu->fpscr & ~m) | (v & m));
}

INLINE const struct dinsn *fp_mtfsf(struct ppc_cpu *cpu, const struct dinsn *d, bool rc)
{
	unsigned flm = (d->raw >> 17) & 0xff;
	bool l = (d->raw >> 25) & 1, w = (d->raw >> 16) & 1;
	uint32_t m = 0;

	FP_CHECK(cpu, d);
	if (l) {
		m = ~0u;
	} else if (!w) { /* W=1 addresses FPSCR 0:31 (DRN): not kept */
		for (unsigned i = 0; i < 8; i++)
			if (flm & (0x80u >> i))
				m |= 0xf0000000u >> (4 * i);
	}
	fpscr_write(cpu, (uint32_t)FPR(d->rb), m);
	return fp_done(cpu, d, rc);
}

H(op_mtfsf)
{
	return fp_mtfsf(cpu, d, false);
}
H(op_mtfsf_rc)
{
	return fp_mtfsf(cpu, d, true);
}

INLINE const struct dinsn *fp_mtfsfi(struct ppc_cpu *cpu, const struct dinsn *d, bool rc)
{
	unsigned bf = d->rt >> 2, u = (d->raw >> 12) & 0xf;
	bool w = (d->raw >> 16) & 1;

	FP_CHECK(cpu, d);
	if (!w)
		fpscr_write(cpu, u << (28 - 4 * bf), 0xf0000000u >> (4 * bf));
	return fp_done(cpu, d, rc);
}

H(op_mtfsfi)
{
	return fp_mtfsfi(cpu, d, false);
}
H(op_mtfsfi_rc)
{
	return fp_mtfsfi(cpu, d, true);
}

INLINE const struct dinsn *fp_mtfsb(struct ppc_cpu *cpu, const struct dinsn *d, bool set, bool rc)
{
	uint32_t bit = 0x80000000u >> d->rt;

	FP_CHECK(cpu, d);
	if (bit & (FPSCR_FEX | FPSCR_VX)) {
		/* cannot be set or cleared explicitly */
	} else if (!set) {
		cpu->fpscr = fpscr_summary(cpu->fpscr & ~bit);
	} else if (bit & FPSCR_EXC_ALL) {
		fpscr_raise(cpu, bit);
	} else {
		cpu->fpscr = fpscr_summary(cpu->fpscr | bit);
	}
	return fp_done(cpu, d, rc);
}

H(op_mtfsb0)
{
	return fp_mtfsb(cpu, d, false, false);
}
H(op_mtfsb0_rc)
{
	return fp_mtfsb(cpu, d, false, true);
}
H(op_mtfsb1)
{
	return fp_mtfsb(cpu, d, true, false);
}
H(op_mtfsb1_rc)
{
	return fp_mtfsb(cpu, d, true, true);
}

/* ---- Registration -------------------------------------------------- */

static void reg_a(unsigned opcd, unsigned xo, insn_fn fn, insn_fn fn_rc)
{
	/* A-form: 5-bit XO in bits 26:30, FRC in 21:25 */
	for (unsigned c = 0; c < 32; c++)
		decode_register(opcd, (int)((c << 5) | xo), FORM_X, fn, fn_rc);
}

#define A63(xo, name) reg_a(63, xo, op_##name, op_##name##_rc)
#define A59(xo, name) reg_a(59, xo, op_##name, op_##name##_rc)
#define X63(xo, name) decode_register(63, xo, FORM_X, op_##name, op_##name##_rc)
#define X59(xo, name) decode_register(59, xo, FORM_X, op_##name, op_##name##_rc)

void insn_fp_register(void)
{
	A63(18, fdiv);
	A63(20, fsub);
	A63(21, fadd);
	A63(22, fsqrt);
	A63(23, fsel);
	A63(24, fre);
	A63(25, fmul);
	A63(26, frsqrte);
	A63(28, fmsub);
	A63(29, fmadd);
	A63(30, fnmsub);
	A63(31, fnmadd);
	A59(18, fdivs);
	A59(20, fsubs);
	A59(21, fadds);
	A59(22, fsqrts);
	A59(24, fres);
	A59(25, fmuls);
	A59(26, frsqrtes);
	A59(28, fmsubs);
	A59(29, fmadds);
	A59(30, fnmsubs);
	A59(31, fnmadds);

	X63(72, fmr);
	X63(40, fneg);
	X63(264, fabs);
	X63(136, fnabs);
	X63(8, fcpsgn);
	decode_register(63, 966, FORM_X, op_fmrgew, NULL);
	decode_register(63, 838, FORM_X, op_fmrgow, NULL);
	X63(12, frsp);
	X63(14, fctiw);
	X63(15, fctiwz);
	X63(142, fctiwu);
	X63(143, fctiwuz);
	X63(814, fctid);
	X63(815, fctidz);
	X63(942, fctidu);
	X63(943, fctiduz);
	X63(846, fcfid);
	X63(974, fcfidu);
	X59(846, fcfids);
	X59(974, fcfidus);
	X63(392, frin);
	X63(424, friz);
	X63(456, frip);
	X63(488, frim);
	decode_register(63, 0, FORM_X, op_fcmpu, NULL);
	decode_register(63, 32, FORM_X, op_fcmpo, NULL);
	decode_register(63, 128, FORM_X, op_ftdiv, NULL);
	decode_register(63, 160, FORM_X, op_ftsqrt, NULL);
	X63(583, mffs);
	decode_register(63, 64, FORM_X, op_mcrfs, NULL);
	X63(711, mtfsf);
	X63(134, mtfsfi);
	X63(70, mtfsb0);
	X63(38, mtfsb1);
}
