/* SPDX-License-Identifier: MIT */
/*
 * The floating-point arithmetic core (Power ISA 2.07 Book I 4.3 - 4.4).
 *
 * An operation runs on the host FPU in the guest's rounding mode; the host's
 * exception flags become FPSCR bits. Where the host differs from the Power
 * rules it is done here by hand:
 * - NaN operands: the result is the first NaN of FRA, FRB, FRC, quieted
 *   (4.3.2), never the host's choice; a generated NaN is 0x7ff8...
 *   (the x86 default NaN has the sign bit set).
 * - which invalid operation it was (VXISI, VXIMZ, ...): from the operands.
 * - single-precision results: computed in double with round-to-odd (round
 *   toward zero, then set the last bit if inexact) and then rounded once to
 *   single, so there is no double rounding (53 >= 24 + 2).
 * - tininess is detected before rounding (4.4.4), the host does it after:
 *   the result computed toward zero tells (also used for FR).
 * - FR (fraction rounded: the magnitude was increased) from the same
 *   toward-zero result.
 */
#include "cpu/fpu.h"

#include <fenv.h>
#include <math.h>

#define FLG_INVALID   1u
#define FLG_DIVZERO   2u
#define FLG_OVERFLOW  4u
#define FLG_UNDERFLOW 8u
#define FLG_INEXACT   16u

#if defined(__x86_64__) || defined(__i386__)
/* MXCSR: flags bits 0-5 (IE DE ZE OE UE PE), masks 7-12, RC 13-14 */
static const unsigned mxcsr_rc[4] = { 0u << 13, 3u << 13, 2u << 13, 1u << 13 };

static inline unsigned host_begin(unsigned rn)
{
	unsigned old, m;

	__asm__ volatile("stmxcsr %0" : "=m"(old));
	m = (old & ~(0x603fu)) | mxcsr_rc[rn & 3];
	__asm__ volatile("ldmxcsr %0" : : "m"(m));
	return old;
}

static inline unsigned host_end(unsigned old)
{
	unsigned m, f = 0;

	__asm__ volatile("stmxcsr %0" : "=m"(m));
	__asm__ volatile("ldmxcsr %0" : : "m"(old));
	if (m & 1)
		f |= FLG_INVALID;
	if (m & 4)
		f |= FLG_DIVZERO;
	if (m & 8)
		f |= FLG_OVERFLOW;
	if (m & 16)
		f |= FLG_UNDERFLOW;
	if (m & 32)
		f |= FLG_INEXACT;
	return f;
}
#else
static const int fe_rc[4] = { FE_TONEAREST, FE_TOWARDZERO, FE_UPWARD, FE_DOWNWARD };

static inline unsigned host_begin(unsigned rn)
{
	unsigned old = (unsigned)fegetround();

	fesetround(fe_rc[rn & 3]);
	feclearexcept(FE_ALL_EXCEPT);
	return old;
}

static inline unsigned host_end(unsigned old)
{
	unsigned f = 0;
	int e = fetestexcept(FE_ALL_EXCEPT);

	fesetround((int)old);
	if (e & FE_INVALID)
		f |= FLG_INVALID;
	if (e & FE_DIVBYZERO)
		f |= FLG_DIVZERO;
	if (e & FE_OVERFLOW)
		f |= FLG_OVERFLOW;
	if (e & FE_UNDERFLOW)
		f |= FLG_UNDERFLOW;
	if (e & FE_INEXACT)
		f |= FLG_INEXACT;
	return f;
}
#endif

/* Keep the compiler from moving FP operations across the mode switches */
#define FP_BARRIER(x) __asm__ volatile("" : "+m"(x))

unsigned fprf_class_dbl(uint64_t x)
{
	bool s = x >> 63;
	uint64_t m = x & ~DBL_SIGN;

	if (m > DBL_EXP)
		return FPRF_QNAN;
	if (m == DBL_EXP)
		return s ? FPRF_NINF : FPRF_PINF;
	if (m == 0)
		return s ? FPRF_NZERO : FPRF_PZERO;
	if (m < 0x0010000000000000ull)
		return s ? FPRF_NDENORM : FPRF_PDENORM;
	return s ? FPRF_NNORM : FPRF_PNORM;
}

unsigned fprf_class_sgl(uint64_t x)
{
	uint64_t m = x & ~DBL_SIGN;

	/* nonzero and below 2^-126: a single denormal */
	if (m != 0 && m < 0x3810000000000000ull)
		return (x >> 63) ? FPRF_NDENORM : FPRF_PDENORM;
	return fprf_class_dbl(x);
}

const struct dinsn *fp_finish(struct ppc_cpu *cpu, const struct dinsn *d)
{
	if (unlikely((cpu->fpscr & FPSCR_FEX) && (cpu->msr & (MSR_FE0 | MSR_FE1))))
		return cpu_program(cpu, d, SRR1_PROGFPE);
	return d + 1;
}

/* Quiet NaN x, rounded to single format if single (fraction truncated) */
static uint64_t nan_result(uint64_t x, bool single)
{
	x |= DBL_QBIT;
	if (single)
		x &= ~0x1fffffffull;
	return x;
}

/* The operation itself, in the host's current rounding mode */
static inline double host_calc(enum fpu_op op, double a, double b, double c)
{
	switch (op) {
	case FOP_ADD:
		return a + b;
	case FOP_SUB:
		return a - b;
	case FOP_MUL:
		return a * c;
	case FOP_DIV:
		return a / b;
	case FOP_SQRT:
		return sqrt(b);
	case FOP_MADD:
		return fma(a, c, b);
	case FOP_MSUB:
		return fma(a, c, -b);
	case FOP_RE:
		return 1.0 / b;
	case FOP_RSQRTE:
	default:
		return 1.0 / sqrt(b);
	}
}

/* One host computation in rounding mode rn; flags in *flg */
static double host_op(enum fpu_op op, double a, double b, double c, bool single, unsigned rn,
		      unsigned *flg)
{
	unsigned old;
	double r;

	FP_BARRIER(a);
	FP_BARRIER(b);
	FP_BARRIER(c);
	old = host_begin(single ? 1 : rn);
	FP_BARRIER(a);
	r = host_calc(op, a, b, c);
	FP_BARRIER(r);
	if (single) {
		/* round to odd, then one rounding to single in mode rn */
		unsigned f1 = host_end(old), f2;
		float s;

		if ((f1 & FLG_INEXACT) && !isinf(r) && !isnan(r))
			r = u2d(d2u(r) | 1);
		/*
		 * An exact zero sum of opposite signs is -0 when rounding
		 * toward -inf (IEEE 754 6.3, ISA 2.07 4.3.6), +0 toward zero:
		 * take its sign from the operation in mode rn.
		 */
		if (r == 0 && !(f1 & FLG_INEXACT) && rn == 3) {
			host_begin(rn);
			FP_BARRIER(a);
			FP_BARRIER(b);
			FP_BARRIER(c);
			r = host_calc(op, a, b, c);
			FP_BARRIER(r);
			host_end(old);
		}
		old = host_begin(rn);
		FP_BARRIER(r);
		s = (float)r;
		FP_BARRIER(s);
		f2 = host_end(old);
		*flg = (f1 & (FLG_INVALID | FLG_DIVZERO | FLG_INEXACT)) | f2;
		return (double)s;
	}
	*flg = host_end(old);
	return r;
}

static bool uses(enum fpu_op op, char which)
{
	switch (op) {
	case FOP_ADD:
	case FOP_SUB:
	case FOP_DIV:
		return which == 'a' || which == 'b';
	case FOP_MUL:
		return which == 'a' || which == 'c';
	case FOP_SQRT:
	case FOP_RE:
	case FOP_RSQRTE:
		return which == 'b';
	default:
		return true;
	}
}

/* Which invalid operation an op without NaN operands raised */
static uint32_t invalid_kind(enum fpu_op op, uint64_t a, uint64_t b, uint64_t c)
{
	switch (op) {
	case FOP_ADD:
	case FOP_SUB:
		return FPSCR_VXISI;
	case FOP_MUL:
		return FPSCR_VXIMZ;
	case FOP_DIV:
		return dbl_is_zero(a) ? FPSCR_VXZDZ : FPSCR_VXIDI;
	case FOP_SQRT:
	case FOP_RSQRTE:
		return FPSCR_VXSQRT;
	case FOP_MADD:
	case FOP_MSUB:
		if ((dbl_is_inf(a) && dbl_is_zero(c)) || (dbl_is_zero(a) && dbl_is_inf(c)))
			return FPSCR_VXIMZ;
		return FPSCR_VXISI;
	default:
		return 0;
	}
}

/*
 * Common tail: exception flags of a computed (non-NaN-operand) result r,
 * with rz the same operation rounded toward zero (valid if inexact).
 */
static bool finish_result(struct ppc_cpu *cpu, uint64_t r, uint64_t rz, unsigned flg, bool single,
			  bool neg, uint64_t *res)
{
	uint32_t exc = 0, f = cpu->fpscr;
	uint64_t minnorm = single ? 0x3810000000000000ull : 0x0010000000000000ull;
	uint64_t m = r & ~DBL_SIGN;
	bool tiny;

	f &= ~(FPSCR_FR | FPSCR_FI);
	if (flg & FLG_OVERFLOW)
		exc |= FPSCR_OX;
	/* tiny before rounding: a nonzero exact denormal, or rz below 2^emin */
	tiny = (m != 0 && m < minnorm && !(flg & FLG_INEXACT)) ||
	       ((flg & FLG_INEXACT) && (rz & ~DBL_SIGN) < minnorm);
	if (tiny && ((flg & FLG_INEXACT) || (f & FPSCR_UE)))
		exc |= FPSCR_UX;
	if (flg & FLG_INEXACT) {
		exc |= FPSCR_XX;
		f |= FPSCR_FI;
		if ((rz & ~DBL_SIGN) != m)
			f |= FPSCR_FR;
	}
	if (neg)
		r ^= DBL_SIGN;
	cpu->fpscr = f;
	fpscr_raise(cpu, exc);
	fpscr_set_fprf(cpu, single ? fprf_class_sgl(r) : fprf_class_dbl(r));
	*res = r;
	return true;
}

bool fpu_arith(struct ppc_cpu *cpu, enum fpu_op op, uint64_t a, uint64_t b, uint64_t c, bool single,
	       bool neg, uint64_t *res)
{
	unsigned rn = cpu->fpscr & FPSCR_RN, flg, flz;
	bool an = uses(op, 'a') && dbl_is_nan(a);
	bool bn = uses(op, 'b') && dbl_is_nan(b);
	bool cn = uses(op, 'c') && dbl_is_nan(c);
	double r, rz;

	if (unlikely(an || bn || cn)) {
		uint32_t exc = 0;
		uint64_t n = an ? a : bn ? b : c;

		if ((an && dbl_is_snan(a)) || (bn && dbl_is_snan(b)) || (cn && dbl_is_snan(c)))
			exc = FPSCR_VXSNAN;
		/* inf * 0 with a QNaN addend also signals VXIMZ (4.4.1) */
		if ((op == FOP_MADD || op == FOP_MSUB) && !an && !cn &&
		    invalid_kind(op, a, b, c) == FPSCR_VXIMZ)
			exc |= FPSCR_VXIMZ;
		if (exc) {
			fpscr_raise(cpu, exc);
			if (cpu->fpscr & FPSCR_VE) {
				cpu->fpscr &= ~(FPSCR_FR | FPSCR_FI);
				return false;
			}
		}
		cpu->fpscr &= ~(FPSCR_FR | FPSCR_FI);
		fpscr_set_fprf(cpu, FPRF_QNAN);
		*res = nan_result(n, single);
		return true;
	}
	r = host_op(op, u2d(a), u2d(b), u2d(c), single, rn, &flg);
	if (unlikely(flg & FLG_INVALID)) {
		fpscr_raise(cpu, invalid_kind(op, a, b, c));
		cpu->fpscr &= ~(FPSCR_FR | FPSCR_FI);
		if (cpu->fpscr & FPSCR_VE)
			return false;
		fpscr_set_fprf(cpu, FPRF_QNAN);
		*res = DBL_DEFAULT_NAN;
		return true;
	}
	if (unlikely(flg & FLG_DIVZERO)) {
		fpscr_raise(cpu, FPSCR_ZX);
		cpu->fpscr &= ~(FPSCR_FR | FPSCR_FI);
		if (cpu->fpscr & FPSCR_ZE)
			return false;
		*res = d2u(r) ^ (neg ? DBL_SIGN : 0);
		fpscr_set_fprf(cpu, fprf_class_dbl(*res));
		return true;
	}
	rz = r;
	if (flg & FLG_INEXACT) {
		if (rn != 1)
			rz = host_op(op, u2d(a), u2d(b), u2d(c), single, 1, &flz);
	}
	return finish_result(cpu, d2u(r), d2u(rz), flg, single, neg, res);
}

bool fpu_round_single(struct ppc_cpu *cpu, uint64_t b, uint64_t *res)
{
	unsigned rn = cpu->fpscr & FPSCR_RN, flg, old;
	double x = u2d(b);
	float s, sz;

	if (dbl_is_nan(b)) {
		if (dbl_is_snan(b)) {
			fpscr_raise(cpu, FPSCR_VXSNAN);
			if (cpu->fpscr & FPSCR_VE) {
				cpu->fpscr &= ~(FPSCR_FR | FPSCR_FI);
				return false;
			}
		}
		cpu->fpscr &= ~(FPSCR_FR | FPSCR_FI);
		fpscr_set_fprf(cpu, FPRF_QNAN);
		*res = nan_result(b, true);
		return true;
	}
	FP_BARRIER(x);
	old = host_begin(rn);
	FP_BARRIER(x);
	s = (float)x;
	FP_BARRIER(s);
	flg = host_end(old);
	sz = s;
	if ((flg & FLG_INEXACT) && rn != 1) {
		old = host_begin(1);
		FP_BARRIER(x);
		sz = (float)x;
		FP_BARRIER(sz);
		host_end(old);
	}
	return finish_result(cpu, d2u((double)s), d2u((double)sz), flg, true, false, res);
}

bool fpu_to_int(struct ppc_cpu *cpu, uint64_t b, unsigned bits, bool sgn, unsigned rn,
		uint64_t *res)
{
	double x = u2d(b), t;
	uint64_t r;
	uint32_t exc = 0;
	bool invalid = false;

	cpu->fpscr &= ~(FPSCR_FR | FPSCR_FI);
	if (dbl_is_nan(b)) {
		exc = FPSCR_VXCVI | (dbl_is_snan(b) ? FPSCR_VXSNAN : 0);
		invalid = true;
		/* as QEMU: the word forms leave the high word 0 for a NaN */
		r = sgn ? (bits == 64 ? 0x8000000000000000ull : 0x80000000ull) : 0;
	} else {
		unsigned old;
		double lo, hi;

		old = host_begin(rn);
		FP_BARRIER(x);
		t = nearbyint(x);
		FP_BARRIER(t);
		host_end(old);
		if (sgn) {
			lo = bits == 64 ? -0x1p63 : -0x1p31;
			hi = bits == 64 ? 0x1p63 : 0x1p31;
		} else {
			lo = 0;
			hi = bits == 64 ? 0x1p64 : 0x1p32;
		}
		if (t < lo) {
			invalid = true;
			exc = FPSCR_VXCVI;
			r = sgn ? (bits == 64 ? 0x8000000000000000ull : 0xffffffff80000000ull) : 0;
		} else if (t >= hi) {
			invalid = true;
			exc = FPSCR_VXCVI;
			r = sgn ? (bits == 64 ? 0x7fffffffffffffffull : 0x7fffffffull)
				: (bits == 64 ? ~0ull : 0xffffffffull);
		} else {
			if (sgn)
				r = (uint64_t)(int64_t)t;
			else
				r = (uint64_t)t;
			if (bits == 32)
				r = sgn ? (uint64_t)(int64_t)(int32_t)r : (r & 0xffffffffull);
			if (t != x) {
				exc = FPSCR_XX;
				cpu->fpscr |= FPSCR_FI;
				if (fabs(t) > fabs(x))
					cpu->fpscr |= FPSCR_FR;
			}
		}
	}
	fpscr_raise(cpu, exc);
	if (invalid && (cpu->fpscr & FPSCR_VE))
		return false;
	*res = r;
	return true;
}

uint64_t fpu_from_int(struct ppc_cpu *cpu, uint64_t v, bool sgn, bool single)
{
	unsigned rn = cpu->fpscr & FPSCR_RN, old, flg;
	double r;
	uint64_t rz, res;

	/* one rounding, straight from the integer to the target format */
	old = host_begin(rn);
	if (single)
		r = sgn ? (double)(float)(int64_t)v : (double)(float)v;
	else
		r = sgn ? (double)(int64_t)v : (double)v;
	FP_BARRIER(r);
	flg = host_end(old);
	rz = d2u(r);
	if ((flg & FLG_INEXACT) && rn != 1) {
		double z;

		old = host_begin(1);
		if (single)
			z = sgn ? (double)(float)(int64_t)v : (double)(float)v;
		else
			z = sgn ? (double)(int64_t)v : (double)v;
		FP_BARRIER(z);
		host_end(old);
		rz = d2u(z);
	}
	finish_result(cpu, d2u(r), rz, flg & FLG_INEXACT, single, false, &res);
	return res;
}

bool fpu_round_int(struct ppc_cpu *cpu, uint64_t b, unsigned mode, uint64_t *res)
{
	double x = u2d(b), t;

	if (dbl_is_nan(b)) {
		if (dbl_is_snan(b)) {
			fpscr_raise(cpu, FPSCR_VXSNAN);
			if (cpu->fpscr & FPSCR_VE) {
				cpu->fpscr &= ~(FPSCR_FR | FPSCR_FI);
				return false;
			}
		}
		fpscr_set_fprf(cpu, FPRF_QNAN);
		*res = b | DBL_QBIT;
		cpu->fpscr &= ~(FPSCR_FR | FPSCR_FI);
		return true;
	}
	switch (mode) {
	case 0:
		t = round(x);
		break;
	case 1:
		t = trunc(x);
		break;
	case 2:
		t = ceil(x);
		break;
	default:
		t = floor(x);
		break;
	}
	/* ISA 2.07: fri* do not set XX/FI/FR (POWER8, as QEMU 7.2 too) */
	*res = d2u(t);
	cpu->fpscr &= ~(FPSCR_FR | FPSCR_FI);
	fpscr_set_fprf(cpu, fprf_class_dbl(*res));
	return true;
}

unsigned fpu_compare(struct ppc_cpu *cpu, uint64_t a, uint64_t b, bool ordered)
{
	unsigned c;

	if (dbl_is_nan(a) || dbl_is_nan(b)) {
		uint32_t exc = 0;

		c = 1;
		if (dbl_is_snan(a) || dbl_is_snan(b)) {
			exc = FPSCR_VXSNAN;
			/* fcmpo: VXVC too unless VE=1 stops it (4.6.8) */
			if (ordered && !(cpu->fpscr & FPSCR_VE))
				exc |= FPSCR_VXVC;
		} else if (ordered) {
			exc = FPSCR_VXVC;
		}
		if (exc)
			fpscr_raise(cpu, exc);
	} else {
		double x = u2d(a), y = u2d(b);

		c = x < y ? 8 : x > y ? 4 : 2;
	}
	cpu->fpscr = (cpu->fpscr & ~FPSCR_FPCC) | (c << FPSCR_FPRF_SHIFT);
	return c;
}

float vmx_flush(const struct ppc_cpu *cpu, float x)
{
	if ((cpu->vscr & VSCR_NJ) && fpclassify(x) == FP_SUBNORMAL)
		return copysignf(0.0f, x);
	return x;
}
