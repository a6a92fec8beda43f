/* SPDX-License-Identifier: MIT */
/*
 * Vector-scalar facility (VSX, Power ISA 2.07 Book I chapter 7): loads and
 * stores, moves to/from GPRs, logical and permute instructions, scalar
 * double (and 2.07 single) arithmetic with the FPSCR, compares, conversions
 * and the common vector double/single arithmetic.
 *
 * Register numbers are 6 bits (decode FORM_XX / FORM_XX1). MSR[VSX]=0 gives
 * the VSX unavailable interrupt (0xf40), except for the GPR moves, which
 * check MSR[FP] for VSR 0-31 and MSR[VEC] for VSR 32-63 (ISA 7.6).
 * Scalar results go to doubleword 0; doubleword 1 is set to 0 (ISA 2.07
 * leaves it undefined; ISA 3.0 and QEMU zero it). Vector arithmetic updates
 * the exception bits but not FR, FI and FPRF (ISA 7.6).
 */
#include <fenv.h>
#include <math.h>

#include "cpu/fpu.h"
#include "mmu/mem.h"

#define INLINE static inline __attribute__((always_inline))

#define H(name) static const struct dinsn *name(struct ppc_cpu *cpu, const struct dinsn *d)

#define DW0(n) (cpu->vsr[(n)].d[0])
#define DW1(n) (cpu->vsr[(n)].d[1])

/* ---- Loads and stores (ISA 7.6, X-form with TX/SX in bit 31) -------- */

#define EA_X ea_x(cpu, d->ra, d->rb)

H(op_lxsdx)
{
	uint64_t v;

	VSX_CHECK(cpu, d);
	if (mem_load(cpu, d, EA_X, 8, &v))
		return NULL;
	DW0(d->rt) = v;
	return d + 1;
}

H(op_lxsiwax)
{
	uint64_t v;

	VSX_CHECK(cpu, d);
	if (mem_load(cpu, d, EA_X, 4, &v))
		return NULL;
	DW0(d->rt) = (uint64_t)(int64_t)(int32_t)v;
	return d + 1;
}

H(op_lxsiwzx)
{
	uint64_t v;

	VSX_CHECK(cpu, d);
	if (mem_load(cpu, d, EA_X, 4, &v))
		return NULL;
	DW0(d->rt) = (uint32_t)v;
	return d + 1;
}

H(op_lxsspx)
{
	uint64_t v;

	VSX_CHECK(cpu, d);
	if (mem_load(cpu, d, EA_X, 4, &v))
		return NULL;
	DW0(d->rt) = fp_sgl_to_dbl((uint32_t)v);
	return d + 1;
}

H(op_lxvd2x)
{
	uint64_t ea, a, b;

	VSX_CHECK(cpu, d);
	ea = EA_X;
	if (mem_load(cpu, d, ea, 8, &a) || mem_load(cpu, d, (ea + 8) & cpu->ea_mask, 8, &b))
		return NULL;
	DW0(d->rt) = a;
	DW1(d->rt) = b;
	return d + 1;
}

H(op_lxvdsx)
{
	uint64_t a;

	VSX_CHECK(cpu, d);
	if (mem_load(cpu, d, EA_X, 8, &a))
		return NULL;
	DW0(d->rt) = a;
	DW1(d->rt) = a;
	return d + 1;
}

H(op_lxvw4x)
{
	uint64_t ea, w[4];

	VSX_CHECK(cpu, d);
	ea = EA_X;
	for (unsigned i = 0; i < 4; i++)
		if (mem_load(cpu, d, (ea + 4 * i) & cpu->ea_mask, 4, &w[i]))
			return NULL;
	DW0(d->rt) = (w[0] << 32) | w[1];
	DW1(d->rt) = (w[2] << 32) | w[3];
	return d + 1;
}

H(op_stxsdx)
{
	VSX_CHECK(cpu, d);
	if (mem_store(cpu, d, EA_X, 8, DW0(d->rt)))
		return NULL;
	return d + 1;
}

H(op_stxsiwx)
{
	VSX_CHECK(cpu, d);
	if (mem_store(cpu, d, EA_X, 4, DW0(d->rt) & 0xffffffffull))
		return NULL;
	return d + 1;
}

H(op_stxsspx)
{
	VSX_CHECK(cpu, d);
	if (mem_store(cpu, d, EA_X, 4, fp_dbl_to_sgl(DW0(d->rt))))
		return NULL;
	return d + 1;
}

H(op_stxvd2x)
{
	uint64_t ea;

	VSX_CHECK(cpu, d);
	ea = EA_X;
	if (mem_store(cpu, d, ea, 8, DW0(d->rt)) ||
	    mem_store(cpu, d, (ea + 8) & cpu->ea_mask, 8, DW1(d->rt)))
		return NULL;
	return d + 1;
}

H(op_stxvw4x)
{
	uint64_t ea, w[4];

	VSX_CHECK(cpu, d);
	ea = EA_X;
	w[0] = DW0(d->rt) >> 32;
	w[1] = DW0(d->rt) & 0xffffffffull;
	w[2] = DW1(d->rt) >> 32;
	w[3] = DW1(d->rt) & 0xffffffffull;
	for (unsigned i = 0; i < 4; i++)
		if (mem_store(cpu, d, (ea + 4 * i) & cpu->ea_mask, 4, w[i]))
			return NULL;
	return d + 1;
}

/* ---- Moves to / from GPRs ------------------------------------------ */

#define MV_CHECK(cpu, d, n)                \
	do {                               \
		if ((n) < 32)              \
			FP_CHECK(cpu, d);  \
		else                       \
			VMX_CHECK(cpu, d); \
	} while (0)

H(op_mfvsrd)
{
	MV_CHECK(cpu, d, d->rt);
	cpu->gpr[d->ra] = DW0(d->rt);
	return d + 1;
}

H(op_mfvsrwz)
{
	MV_CHECK(cpu, d, d->rt);
	cpu->gpr[d->ra] = DW0(d->rt) & 0xffffffffull;
	return d + 1;
}

H(op_mtvsrd)
{
	MV_CHECK(cpu, d, d->rt);
	DW0(d->rt) = cpu->gpr[d->ra];
	return d + 1;
}

H(op_mtvsrwa)
{
	MV_CHECK(cpu, d, d->rt);
	DW0(d->rt) = (uint64_t)(int64_t)(int32_t)cpu->gpr[d->ra];
	return d + 1;
}

H(op_mtvsrwz)
{
	MV_CHECK(cpu, d, d->rt);
	DW0(d->rt) = cpu->gpr[d->ra] & 0xffffffffull;
	return d + 1;
}

/* ---- Logical and permute (XX3 / XX4 / XX2) ------------------------- */

#define XXL(name, expr)                  \
	H(op_##name)                     \
	{                                \
		vec128 a, b, r;          \
                                         \
		VSX_CHECK(cpu, d);       \
		a = vsr_get(cpu, d->ra); \
		b = vsr_get(cpu, d->rb); \
		r.q = (expr);            \
		vsr_set(cpu, d->rt, r);  \
		return d + 1;            \
	}

XXL(xxland, a.q &b.q)
XXL(xxlandc, a.q & ~b.q)
XXL(xxlor, a.q | b.q)
XXL(xxlxor, a.q ^ b.q)
XXL(xxlnor, ~(a.q | b.q))
XXL(xxlorc, a.q | ~b.q)
XXL(xxlnand, ~(a.q &b.q))
XXL(xxleqv, ~(a.q ^ b.q))

H(op_xxsel)
{
	vec128 a, b, c, r;

	VSX_CHECK(cpu, d);
	a = vsr_get(cpu, d->ra);
	b = vsr_get(cpu, d->rb);
	c = vsr_get(cpu, d->rc);
	r.q = (a.q & ~c.q) | (b.q & c.q);
	vsr_set(cpu, d->rt, r);
	return d + 1;
}

/* xxpermdi: DM bit 0 picks the doubleword of A, bit 1 that of B */
H(op_xxpermdi)
{
	unsigned dm = (d->raw >> 8) & 3;
	uint64_t a, b;

	VSX_CHECK(cpu, d);
	a = cpu->vsr[d->ra].d[dm >> 1];
	b = cpu->vsr[d->rb].d[dm & 1];
	DW0(d->rt) = a;
	DW1(d->rt) = b;
	return d + 1;
}

H(op_xxsldwi)
{
	unsigned shw = (d->raw >> 8) & 3;
	vec128 a, b, r;

	VSX_CHECK(cpu, d);
	a = vsr_get(cpu, d->ra);
	b = vsr_get(cpu, d->rb);
	for (unsigned i = 0; i < 4; i++)
		VW(r, i) = i + shw < 4 ? VW(a, i + shw) : VW(b, i + shw - 4);
	vsr_set(cpu, d->rt, r);
	return d + 1;
}

static const struct dinsn *xx_mrg(struct ppc_cpu *cpu, const struct dinsn *d, unsigned lo)
{
	vec128 a, b, r;

	VSX_CHECK(cpu, d);
	a = vsr_get(cpu, d->ra);
	b = vsr_get(cpu, d->rb);
	VW(r, 0) = VW(a, lo);
	VW(r, 1) = VW(b, lo);
	VW(r, 2) = VW(a, lo + 1);
	VW(r, 3) = VW(b, lo + 1);
	vsr_set(cpu, d->rt, r);
	return d + 1;
}

H(op_xxmrghw)
{
	return xx_mrg(cpu, d, 0);
}
H(op_xxmrglw)
{
	return xx_mrg(cpu, d, 2);
}

H(op_xxspltw)
{
	unsigned uim = (d->raw >> 16) & 3;
	vec128 b, r;

	VSX_CHECK(cpu, d);
	b = vsr_get(cpu, d->rb);
	for (unsigned i = 0; i < 4; i++)
		VW(r, i) = VW(b, uim);
	vsr_set(cpu, d->rt, r);
	return d + 1;
}

/* ---- Scalar arithmetic --------------------------------------------- */

static inline void xs_write(struct ppc_cpu *cpu, unsigned t, uint64_t v)
{
	DW0(t) = v;
	DW1(t) = 0;
}

/* form: 0 = A op B; 1 = "a" (A * B + T); 2 = "m" (A * T + B) (ISA 2.07 7.6) */
INLINE const struct dinsn *xs_arith(struct ppc_cpu *cpu, const struct dinsn *d, enum fpu_op op,
				    int form, bool single, bool neg)
{
	uint64_t r, a = DW0(d->ra), b = DW0(d->rb), t = DW0(d->rt);
	bool ok;

	VSX_CHECK(cpu, d);
	if (form == 2)
		ok = fpu_arith(cpu, op, a, b, t, single, neg, &r);
	else if (form == 1)
		ok = fpu_arith(cpu, op, a, t, b, single, neg, &r);
	else if (op == FOP_MUL)
		ok = fpu_arith(cpu, op, a, 0, b, single, neg, &r);
	else
		ok = fpu_arith(cpu, op, a, b, 0, single, neg, &r);
	if (ok)
		xs_write(cpu, d->rt, r);
	return fp_finish(cpu, d);
}

#define XS(name, op, form, single, neg)                         \
	H(op_##name)                                            \
	{                                                       \
		return xs_arith(cpu, d, op, form, single, neg); \
	}

XS(xsadddp, FOP_ADD, 0, false, false)
XS(xssubdp, FOP_SUB, 0, false, false)
XS(xsmuldp, FOP_MUL, 0, false, false)
XS(xsdivdp, FOP_DIV, 0, false, false)
XS(xssqrtdp, FOP_SQRT, 0, false, false)
XS(xsredp, FOP_RE, 0, false, false)
XS(xsrsqrtedp, FOP_RSQRTE, 0, false, false)
XS(xsmaddadp, FOP_MADD, 1, false, false)
XS(xsmaddmdp, FOP_MADD, 2, false, false)
XS(xsmsubadp, FOP_MSUB, 1, false, false)
XS(xsmsubmdp, FOP_MSUB, 2, false, false)
XS(xsnmaddadp, FOP_MADD, 1, false, true)
XS(xsnmaddmdp, FOP_MADD, 2, false, true)
XS(xsnmsubadp, FOP_MSUB, 1, false, true)
XS(xsnmsubmdp, FOP_MSUB, 2, false, true)
XS(xsaddsp, FOP_ADD, 0, true, false)
XS(xssubsp, FOP_SUB, 0, true, false)
XS(xsmulsp, FOP_MUL, 0, true, false)
XS(xsdivsp, FOP_DIV, 0, true, false)
XS(xssqrtsp, FOP_SQRT, 0, true, false)
XS(xsresp, FOP_RE, 0, true, false)
XS(xsrsqrtesp, FOP_RSQRTE, 0, true, false)
XS(xsmaddasp, FOP_MADD, 1, true, false)
XS(xsmaddmsp, FOP_MADD, 2, true, false)
XS(xsmsubasp, FOP_MSUB, 1, true, false)
XS(xsmsubmsp, FOP_MSUB, 2, true, false)
XS(xsnmaddasp, FOP_MADD, 1, true, true)
XS(xsnmaddmsp, FOP_MADD, 2, true, true)
XS(xsnmsubasp, FOP_MSUB, 1, true, true)
XS(xsnmsubmsp, FOP_MSUB, 2, true, true)

#define XSMOVE(name, expr)                    \
	H(op_##name)                          \
	{                                     \
		uint64_t b;                   \
                                              \
		VSX_CHECK(cpu, d);            \
		b = DW0(d->rb);               \
		xs_write(cpu, d->rt, (expr)); \
		return d + 1;                 \
	}

XSMOVE(xsabsdp, b & ~DBL_SIGN)
XSMOVE(xsnabsdp, b | DBL_SIGN)
XSMOVE(xsnegdp, b ^ DBL_SIGN)
XSMOVE(xscpsgndp, (b & ~DBL_SIGN) | (DW0(d->ra) & DBL_SIGN))

H(op_xscmpudp)
{
	VSX_CHECK(cpu, d);
	cr_set_field(cpu, d->rt >> 2 & 7, fpu_compare(cpu, DW0(d->ra), DW0(d->rb), false));
	return fp_finish(cpu, d);
}

H(op_xscmpodp)
{
	VSX_CHECK(cpu, d);
	cr_set_field(cpu, d->rt >> 2 & 7, fpu_compare(cpu, DW0(d->ra), DW0(d->rb), true));
	return fp_finish(cpu, d);
}

/* xsmaxdp / xsmindp: a QNaN operand loses to a number (maxNum) */
static uint64_t xs_maxmin(struct ppc_cpu *cpu, uint64_t a, uint64_t b, bool max)
{
	if (dbl_is_snan(a) || dbl_is_snan(b))
		fpscr_raise(cpu, FPSCR_VXSNAN);
	if (dbl_is_nan(a))
		return dbl_is_nan(b) ? a | DBL_QBIT : b;
	if (dbl_is_nan(b))
		return a;
	if (dbl_is_zero(a) && dbl_is_zero(b))
		return max ? (a & b) : (a | b);
	return (u2d(a) > u2d(b)) == max ? a : b;
}

H(op_xsmaxdp)
{
	VSX_CHECK(cpu, d);
	xs_write(cpu, d->rt, xs_maxmin(cpu, DW0(d->ra), DW0(d->rb), true));
	return fp_finish(cpu, d);
}

H(op_xsmindp)
{
	VSX_CHECK(cpu, d);
	xs_write(cpu, d->rt, xs_maxmin(cpu, DW0(d->ra), DW0(d->rb), false));
	return fp_finish(cpu, d);
}

/* ---- Scalar conversions -------------------------------------------- */

/* xscvdpsp: round to single, the single in words 0 and 1 */
H(op_xscvdpsp)
{
	uint64_t r;

	VSX_CHECK(cpu, d);
	if (fpu_round_single(cpu, DW0(d->rb), &r)) {
		uint64_t w = fp_dbl_to_sgl(r);

		DW0(d->rt) = (w << 32) | w;
		DW1(d->rt) = 0;
	}
	return fp_finish(cpu, d);
}

/*
 * xscvdpspn: no exceptions, no rounding: the single-format bits are selected
 * as stfs does (ISA 2.07 7.6 xscvdpspn, 4.6.3), e.g. 0x7fe800000000051b ->
 * 0x7f400000 as POWER8 gives, not a rounded value.
 */
H(op_xscvdpspn)
{
	uint64_t b;
	uint32_t w;

	VSX_CHECK(cpu, d);
	b = DW0(d->rb);
	w = fp_dbl_to_sgl(b);
	DW0(d->rt) = ((uint64_t)w << 32) | w;
	DW1(d->rt) = 0;
	return d + 1;
}

H(op_xscvspdp)
{
	uint64_t r;
	uint32_t w;

	VSX_CHECK(cpu, d);
	/* the conversion is exact: FR, FI <- 0 (ISA 2.07 7.6 xscvspdp) */
	cpu->fpscr &= ~(FPSCR_FR | FPSCR_FI);
	w = (uint32_t)(DW0(d->rb) >> 32);
	r = fp_sgl_to_dbl(w);
	if (sgl_is_nan(w)) {
		if (sgl_is_snan(w))
			fpscr_raise(cpu, FPSCR_VXSNAN);
		r |= DBL_QBIT;
	}
	if (!(dbl_is_snan(fp_sgl_to_dbl(w)) && (cpu->fpscr & FPSCR_VE))) {
		fpscr_set_fprf(cpu, fprf_class_dbl(r));
		xs_write(cpu, d->rt, r);
	}
	return fp_finish(cpu, d);
}

H(op_xscvspdpn)
{
	VSX_CHECK(cpu, d);
	xs_write(cpu, d->rt, fp_sgl_to_dbl((uint32_t)(DW0(d->rb) >> 32)));
	return d + 1;
}

H(op_xsrsp)
{
	uint64_t r;

	VSX_CHECK(cpu, d);
	if (fpu_round_single(cpu, DW0(d->rb), &r))
		xs_write(cpu, d->rt, r);
	return fp_finish(cpu, d);
}

/* xscvdp[su]x[dw]s: toward zero; the word forms fill word 1 of dw0 */
INLINE const struct dinsn *xs_cvt(struct ppc_cpu *cpu, const struct dinsn *d, unsigned bits,
				  bool sgn)
{
	uint64_t r;

	VSX_CHECK(cpu, d);
	if (fpu_to_int(cpu, DW0(d->rb), bits, sgn, 1, &r))
		xs_write(cpu, d->rt, bits == 32 ? (r & 0xffffffffull) : r);
	return fp_finish(cpu, d);
}

H(op_xscvdpsxds)
{
	return xs_cvt(cpu, d, 64, true);
}
H(op_xscvdpuxds)
{
	return xs_cvt(cpu, d, 64, false);
}
H(op_xscvdpsxws)
{
	return xs_cvt(cpu, d, 32, true);
}
H(op_xscvdpuxws)
{
	return xs_cvt(cpu, d, 32, false);
}

INLINE const struct dinsn *xs_cvfrom(struct ppc_cpu *cpu, const struct dinsn *d, bool sgn,
				     bool single)
{
	VSX_CHECK(cpu, d);
	xs_write(cpu, d->rt, fpu_from_int(cpu, DW0(d->rb), sgn, single));
	return fp_finish(cpu, d);
}

H(op_xscvsxddp)
{
	return xs_cvfrom(cpu, d, true, false);
}
H(op_xscvuxddp)
{
	return xs_cvfrom(cpu, d, false, false);
}
H(op_xscvsxdsp)
{
	return xs_cvfrom(cpu, d, true, true);
}
H(op_xscvuxdsp)
{
	return xs_cvfrom(cpu, d, false, true);
}

/* xsrdpi (nearest away), xsrdpiz, xsrdpip, xsrdpim */
INLINE const struct dinsn *xs_rdpi(struct ppc_cpu *cpu, const struct dinsn *d, unsigned mode)
{
	uint64_t r;

	VSX_CHECK(cpu, d);
	if (fpu_round_int(cpu, DW0(d->rb), mode, &r))
		xs_write(cpu, d->rt, r);
	return fp_finish(cpu, d);
}

H(op_xsrdpi)
{
	return xs_rdpi(cpu, d, 0);
}
H(op_xsrdpiz)
{
	return xs_rdpi(cpu, d, 1);
}
H(op_xsrdpip)
{
	return xs_rdpi(cpu, d, 2);
}
H(op_xsrdpim)
{
	return xs_rdpi(cpu, d, 3);
}

/* ---- Vector double / single arithmetic ----------------------------- */

/* Per element through fpu_arith, keeping FR, FI and FPRF */
static uint64_t xv_elem(struct ppc_cpu *cpu, enum fpu_op op, uint64_t a, uint64_t b, uint64_t c,
			bool single, bool neg, uint64_t old)
{
	uint32_t keep = cpu->fpscr & (FPSCR_FR | FPSCR_FI | FPSCR_FPRF);
	uint64_t r;

	if (!fpu_arith(cpu, op, a, b, c, single, neg, &r))
		r = old;
	cpu->fpscr = (cpu->fpscr & ~(FPSCR_FR | FPSCR_FI | FPSCR_FPRF)) | keep;
	return r;
}

INLINE const struct dinsn *xv_dp(struct ppc_cpu *cpu, const struct dinsn *d, enum fpu_op op,
				 int form, bool neg)
{
	vec128 a, b, t, r;

	VSX_CHECK(cpu, d);
	a = vsr_get(cpu, d->ra);
	b = vsr_get(cpu, d->rb);
	t = vsr_get(cpu, d->rt);
	for (unsigned i = 0; i < 2; i++) {
		uint64_t x = a.d[i], y = b.d[i], z = t.d[i];

		if (form == 2)
			r.d[i] = xv_elem(cpu, op, x, y, z, false, neg, z);
		else if (form == 1)
			r.d[i] = xv_elem(cpu, op, x, z, y, false, neg, z);
		else
			r.d[i] = xv_elem(cpu, op, x, y, y, false, neg, z);
	}
	vsr_set(cpu, d->rt, r);
	return fp_finish(cpu, d);
}

INLINE const struct dinsn *xv_sp(struct ppc_cpu *cpu, const struct dinsn *d, enum fpu_op op,
				 int form, bool neg)
{
	vec128 a, b, t, r;

	VSX_CHECK(cpu, d);
	a = vsr_get(cpu, d->ra);
	b = vsr_get(cpu, d->rb);
	t = vsr_get(cpu, d->rt);
	for (unsigned i = 0; i < 4; i++) {
		uint64_t x = fp_sgl_to_dbl(a.w[i]), y = fp_sgl_to_dbl(b.w[i]);
		uint64_t z = fp_sgl_to_dbl(t.w[i]), v;

		if (form == 2)
			v = xv_elem(cpu, op, x, y, z, true, neg, z);
		else if (form == 1)
			v = xv_elem(cpu, op, x, z, y, true, neg, z);
		else
			v = xv_elem(cpu, op, x, y, y, true, neg, z);
		r.w[i] = fp_dbl_to_sgl(v);
	}
	vsr_set(cpu, d->rt, r);
	return fp_finish(cpu, d);
}

#define XVD(name, op, form, neg)                     \
	H(op_##name)                                 \
	{                                            \
		return xv_dp(cpu, d, op, form, neg); \
	}
#define XVS(name, op, form, neg)                     \
	H(op_##name)                                 \
	{                                            \
		return xv_sp(cpu, d, op, form, neg); \
	}

XVD(xvadddp, FOP_ADD, 0, false)
XVD(xvsubdp, FOP_SUB, 0, false)
XVD(xvmuldp, FOP_MUL, 0, false)
XVD(xvdivdp, FOP_DIV, 0, false)
XVD(xvsqrtdp, FOP_SQRT, 0, false)
XVD(xvmaddadp, FOP_MADD, 1, false)
XVD(xvmaddmdp, FOP_MADD, 2, false)
XVD(xvmsubadp, FOP_MSUB, 1, false)
XVD(xvmsubmdp, FOP_MSUB, 2, false)
XVD(xvnmaddadp, FOP_MADD, 1, true)
XVD(xvnmaddmdp, FOP_MADD, 2, true)
XVD(xvnmsubadp, FOP_MSUB, 1, true)
XVD(xvnmsubmdp, FOP_MSUB, 2, true)
XVS(xvaddsp, FOP_ADD, 0, false)
XVS(xvsubsp, FOP_SUB, 0, false)
XVS(xvmulsp, FOP_MUL, 0, false)
XVS(xvdivsp, FOP_DIV, 0, false)
XVS(xvsqrtsp, FOP_SQRT, 0, false)
XVS(xvmaddasp, FOP_MADD, 1, false)
XVS(xvmaddmsp, FOP_MADD, 2, false)
XVS(xvmsubasp, FOP_MSUB, 1, false)
XVS(xvmsubmsp, FOP_MSUB, 2, false)
XVS(xvnmaddasp, FOP_MADD, 1, true)
XVS(xvnmaddmsp, FOP_MADD, 2, true)
XVS(xvnmsubasp, FOP_MSUB, 1, true)
XVS(xvnmsubmsp, FOP_MSUB, 2, true)

#define XVMOVE(name, F, n, expr)                                      \
	H(op_##name)                                                  \
	{                                                             \
		vec128 va, vb, r;                                     \
                                                                      \
		VSX_CHECK(cpu, d);                                    \
		va = vsr_get(cpu, d->ra);                             \
		vb = vsr_get(cpu, d->rb);                             \
		for (unsigned i = 0; i < (n); i++) {                  \
			__typeof__(vb.F[0]) a = va.F[i], b = vb.F[i]; \
			(void)a;                                      \
			r.F[i] = (expr);                              \
		}                                                     \
		vsr_set(cpu, d->rt, r);                               \
		return d + 1;                                         \
	}

XVMOVE(xvabsdp, d, 2, b & ~DBL_SIGN)
XVMOVE(xvnabsdp, d, 2, b | DBL_SIGN)
XVMOVE(xvnegdp, d, 2, b ^ DBL_SIGN)
XVMOVE(xvcpsgndp, d, 2, (b & ~DBL_SIGN) | (a & DBL_SIGN))
XVMOVE(xvabssp, w, 4, b & 0x7fffffffu)
XVMOVE(xvnabssp, w, 4, b | 0x80000000u)
XVMOVE(xvnegsp, w, 4, b ^ 0x80000000u)
XVMOVE(xvcpsgnsp, w, 4, (b & 0x7fffffffu) | (a & 0x80000000u))

/* Vector compares: Rc (bit 21) sets CR6 all-true (8) / all-false (2) */
INLINE const struct dinsn *xv_cmp(struct ppc_cpu *cpu, const struct dinsn *d, int kind, bool single,
				  bool rc)
{
	vec128 a, b, r;
	unsigned n = single ? 4 : 2;
	bool all = true, none = true;

	VSX_CHECK(cpu, d);
	a = vsr_get(cpu, d->ra);
	b = vsr_get(cpu, d->rb);
	for (unsigned i = 0; i < n; i++) {
		uint64_t x = single ? fp_sgl_to_dbl(a.w[i]) : a.d[i];
		uint64_t y = single ? fp_sgl_to_dbl(b.w[i]) : b.d[i];
		bool t = false;

		if (dbl_is_nan(x) || dbl_is_nan(y)) {
			uint32_t exc = 0;

			if (dbl_is_snan(x) || dbl_is_snan(y))
				exc = FPSCR_VXSNAN;
			if (kind != 0) /* gt, ge are ordered: VXVC */
				exc |= FPSCR_VXVC;
			if (exc)
				fpscr_raise(cpu, exc);
		} else if (kind == 0) {
			t = u2d(x) == u2d(y);
		} else if (kind == 1) {
			t = u2d(x) > u2d(y);
		} else {
			t = u2d(x) >= u2d(y);
		}
		all &= t;
		none &= !t;
		if (single)
			r.w[i] = t ? ~0u : 0;
		else
			r.d[i] = t ? ~0ull : 0;
	}
	vsr_set(cpu, d->rt, r);
	if (rc)
		cr_set_field(cpu, 6, all ? 8 : none ? 2 : 0);
	return fp_finish(cpu, d);
}

#define XVCMP(name, kind, single)                           \
	H(op_##name)                                        \
	{                                                   \
		return xv_cmp(cpu, d, kind, single, false); \
	}                                                   \
	H(op_##name##_rc)                                   \
	{                                                   \
		return xv_cmp(cpu, d, kind, single, true);  \
	}

XVCMP(xvcmpeqdp, 0, false)
XVCMP(xvcmpgtdp, 1, false)
XVCMP(xvcmpgedp, 2, false)
XVCMP(xvcmpeqsp, 0, true)
XVCMP(xvcmpgtsp, 1, true)
XVCMP(xvcmpgesp, 2, true)

/* Vector conversions (words 0 and 2 <-> doublewords 0 and 1) */
H(op_xvcvsxwdp)
{
	vec128 b, r;

	VSX_CHECK(cpu, d);
	b = vsr_get(cpu, d->rb);
	for (unsigned i = 0; i < 2; i++)
		VD(r, i) = d2u((double)(int32_t)VW(b, 2 * i));
	vsr_set(cpu, d->rt, r);
	return d + 1;
}

H(op_xvcvuxwdp)
{
	vec128 b, r;

	VSX_CHECK(cpu, d);
	b = vsr_get(cpu, d->rb);
	for (unsigned i = 0; i < 2; i++)
		VD(r, i) = d2u((double)VW(b, 2 * i));
	vsr_set(cpu, d->rt, r);
	return d + 1;
}

H(op_xvcvspdp)
{
	vec128 b, r;

	VSX_CHECK(cpu, d);
	b = vsr_get(cpu, d->rb);
	for (unsigned i = 0; i < 2; i++) {
		uint32_t w = VW(b, 2 * i);
		uint64_t x = fp_sgl_to_dbl(w);

		if (sgl_is_nan(w)) {
			if (sgl_is_snan(w))
				fpscr_raise(cpu, FPSCR_VXSNAN);
			x |= DBL_QBIT;
		}
		VD(r, i) = x;
	}
	vsr_set(cpu, d->rt, r);
	return fp_finish(cpu, d);
}

H(op_xvcvdpsp)
{
	vec128 b, r = { 0 };
	uint32_t keep;

	VSX_CHECK(cpu, d);
	b = vsr_get(cpu, d->rb);
	keep = cpu->fpscr & (FPSCR_FR | FPSCR_FI | FPSCR_FPRF);
	for (unsigned i = 0; i < 2; i++) {
		uint64_t x;

		if (!fpu_round_single(cpu, VD(b, i), &x))
			x = 0;
		VW(r, 2 * i) = fp_dbl_to_sgl(x);
		VW(r, 2 * i + 1) = VW(r, 2 * i);
	}
	cpu->fpscr = (cpu->fpscr & ~(FPSCR_FR | FPSCR_FI | FPSCR_FPRF)) | keep;
	vsr_set(cpu, d->rt, r);
	return fp_finish(cpu, d);
}

/*
 * Vector conversions, rounding, max/min (ISA 2.07 7.6), element by element
 * through the scalar helpers. Vector instructions leave FR, FI and FPRF
 * alone; with an enabled exception (VE=1) VSR[XT] is not written.
 */
#define XV_KEEP (FPSCR_FR | FPSCR_FI | FPSCR_FPRF)

/* xvcvdp[su]xds, xvcvdp[su]xws (words 0, 2; copied to 1, 3), xvcvsp[su]xws */
INLINE const struct dinsn *xv_cvt(struct ppc_cpu *cpu, const struct dinsn *d, bool from_sp,
				  unsigned bits, bool sgn)
{
	uint32_t keep = cpu->fpscr & XV_KEEP;
	vec128 b, r;
	uint64_t v;
	bool ok = true;

	VSX_CHECK(cpu, d);
	b = vsr_get(cpu, d->rb);
	for (unsigned i = 0; i < (from_sp ? 4u : 2u); i++) {
		if (from_sp) {
			ok &= fpu_to_int(cpu, fp_sgl_to_dbl(VW(b, i)), 32, sgn, 1, &v);
			VW(r, i) = (uint32_t)v;
		} else if (bits == 64) {
			ok &= fpu_to_int(cpu, VD(b, i), 64, sgn, 1, &v);
			VD(r, i) = v;
		} else {
			ok &= fpu_to_int(cpu, VD(b, i), 32, sgn, 1, &v);
			VW(r, 2 * i) = (uint32_t)v;
			VW(r, 2 * i + 1) = (uint32_t)v;
		}
	}
	cpu->fpscr = (cpu->fpscr & ~XV_KEEP) | keep;
	if (ok)
		vsr_set(cpu, d->rt, r);
	return fp_finish(cpu, d);
}

H(op_xvcvdpsxds)
{
	return xv_cvt(cpu, d, false, 64, true);
}
H(op_xvcvdpuxds)
{
	return xv_cvt(cpu, d, false, 64, false);
}
H(op_xvcvdpsxws)
{
	return xv_cvt(cpu, d, false, 32, true);
}
H(op_xvcvdpuxws)
{
	return xv_cvt(cpu, d, false, 32, false);
}
H(op_xvcvspsxws)
{
	return xv_cvt(cpu, d, true, 32, true);
}
H(op_xvcvspuxws)
{
	return xv_cvt(cpu, d, true, 32, false);
}

/* xvcv[su]xddp, xvcv[su]xwsp: in the FPSCR rounding mode */
INLINE const struct dinsn *xv_cvfrom(struct ppc_cpu *cpu, const struct dinsn *d, bool words,
				     bool sgn)
{
	uint32_t keep = cpu->fpscr & XV_KEEP;
	vec128 b, r;

	VSX_CHECK(cpu, d);
	b = vsr_get(cpu, d->rb);
	if (!words) {
		for (unsigned i = 0; i < 2; i++)
			VD(r, i) = fpu_from_int(cpu, VD(b, i), sgn, false);
	} else {
		for (unsigned i = 0; i < 4; i++) {
			uint64_t v = sgn ? (uint64_t)(int64_t)(int32_t)VW(b, i) : VW(b, i);

			VW(r, i) = fp_dbl_to_sgl(fpu_from_int(cpu, v, sgn, true));
		}
	}
	cpu->fpscr = (cpu->fpscr & ~XV_KEEP) | keep;
	vsr_set(cpu, d->rt, r);
	return fp_finish(cpu, d);
}

H(op_xvcvsxddp)
{
	return xv_cvfrom(cpu, d, false, true);
}
H(op_xvcvuxddp)
{
	return xv_cvfrom(cpu, d, false, false);
}
H(op_xvcvsxwsp)
{
	return xv_cvfrom(cpu, d, true, true);
}
H(op_xvcvuxwsp)
{
	return xv_cvfrom(cpu, d, true, false);
}

/* xvrdpi[zpm], xvrspi[zpm]: mode as fpu_round_int (0 = nearest away) */
INLINE const struct dinsn *xv_rnd(struct ppc_cpu *cpu, const struct dinsn *d, bool sp,
				  unsigned mode)
{
	uint32_t keep = cpu->fpscr & XV_KEEP;
	vec128 b, r;
	uint64_t v;
	bool ok = true;

	VSX_CHECK(cpu, d);
	b = vsr_get(cpu, d->rb);
	for (unsigned i = 0; i < (sp ? 4u : 2u); i++) {
		if (sp) {
			/* an integral single is exact in single format */
			ok &= fpu_round_int(cpu, fp_sgl_to_dbl(VW(b, i)), mode, &v);
			VW(r, i) = fp_dbl_to_sgl(v);
		} else {
			ok &= fpu_round_int(cpu, VD(b, i), mode, &v);
			VD(r, i) = v;
		}
	}
	cpu->fpscr = (cpu->fpscr & ~XV_KEEP) | keep;
	if (ok)
		vsr_set(cpu, d->rt, r);
	return fp_finish(cpu, d);
}

H(op_xvrdpi)
{
	return xv_rnd(cpu, d, false, 0);
}
H(op_xvrdpiz)
{
	return xv_rnd(cpu, d, false, 1);
}
H(op_xvrdpip)
{
	return xv_rnd(cpu, d, false, 2);
}
H(op_xvrdpim)
{
	return xv_rnd(cpu, d, false, 3);
}
H(op_xvrspi)
{
	return xv_rnd(cpu, d, true, 0);
}
H(op_xvrspiz)
{
	return xv_rnd(cpu, d, true, 1);
}
H(op_xvrspip)
{
	return xv_rnd(cpu, d, true, 2);
}
H(op_xvrspim)
{
	return xv_rnd(cpu, d, true, 3);
}

/* xvmaxdp xvmindp xvmaxsp xvminsp: as xsmaxdp / xsmindp per element */
INLINE const struct dinsn *xv_maxmin(struct ppc_cpu *cpu, const struct dinsn *d, bool sp, bool max)
{
	vec128 a, b, r;

	VSX_CHECK(cpu, d);
	a = vsr_get(cpu, d->ra);
	b = vsr_get(cpu, d->rb);
	for (unsigned i = 0; i < (sp ? 4u : 2u); i++) {
		if (sp)
			VW(r, i) = fp_dbl_to_sgl(xs_maxmin(cpu, fp_sgl_to_dbl(VW(a, i)),
							   fp_sgl_to_dbl(VW(b, i)), max));
		else
			VD(r, i) = xs_maxmin(cpu, VD(a, i), VD(b, i), max);
	}
	vsr_set(cpu, d->rt, r);
	return fp_finish(cpu, d);
}

H(op_xvmaxdp)
{
	return xv_maxmin(cpu, d, false, true);
}
H(op_xvmindp)
{
	return xv_maxmin(cpu, d, false, false);
}
H(op_xvmaxsp)
{
	return xv_maxmin(cpu, d, true, true);
}
H(op_xvminsp)
{
	return xv_maxmin(cpu, d, true, false);
}

/*
 * xsrdpic, xvrdpic: round to an integral value in the FPSCR rounding mode;
 * an inexact result raises XX (ISA 2.07 7.6). *inexact tells the caller.
 */
static bool rdpic_elem(struct ppc_cpu *cpu, uint64_t b, uint64_t *res, bool *inexact)
{
	static const int mode[4] = { FE_TONEAREST, FE_TOWARDZERO, FE_UPWARD, FE_DOWNWARD };
	volatile double x = u2d(b), t;
	int old;

	*inexact = false;
	if (dbl_is_nan(b)) {
		if (dbl_is_snan(b)) {
			fpscr_raise(cpu, FPSCR_VXSNAN);
			if (cpu->fpscr & FPSCR_VE)
				return false;
		}
		*res = b | DBL_QBIT;
		return true;
	}
	old = fegetround();
	fesetround(mode[cpu->fpscr & FPSCR_RN]);
	t = nearbyint(x);
	fesetround(old);
	if (t != x) {
		*inexact = true;
		fpscr_raise(cpu, FPSCR_XX);
	}
	*res = d2u(t);
	return true;
}

H(op_xsrdpic)
{
	uint64_t b, r;
	bool inexact;

	VSX_CHECK(cpu, d);
	b = DW0(d->rb);
	cpu->fpscr &= ~(FPSCR_FR | FPSCR_FI);
	if (rdpic_elem(cpu, b, &r, &inexact)) {
		if (inexact) {
			cpu->fpscr |= FPSCR_FI;
			if (fabs(u2d(r)) > fabs(u2d(b)))
				cpu->fpscr |= FPSCR_FR;
		}
		fpscr_set_fprf(cpu, fprf_class_dbl(r));
		xs_write(cpu, d->rt, r);
	}
	return fp_finish(cpu, d);
}

H(op_xvrdpic)
{
	vec128 b, r;
	uint64_t v;
	bool ok = true, inexact;

	VSX_CHECK(cpu, d);
	b = vsr_get(cpu, d->rb);
	for (unsigned i = 0; i < 2; i++) {
		ok &= rdpic_elem(cpu, VD(b, i), &v, &inexact);
		VD(r, i) = v;
	}
	if (ok)
		vsr_set(cpu, d->rt, r);
	return fp_finish(cpu, d);
}

/* ---- Registration -------------------------------------------------- */

void insn_vsx_register(void)
{
	static const struct {
		unsigned xo;
		insn_fn fn;
	} x31[] = {
#define E(xo, name) { xo, op_##name }
		E(12, lxsiwzx), E(76, lxsiwax), E(524, lxsspx), E(588, lxsdx),
		E(844, lxvd2x), E(332, lxvdsx), E(780, lxvw4x),
		E(140, stxsiwx), E(652, stxsspx), E(716, stxsdx),
		E(972, stxvd2x), E(908, stxvw4x), E(51, mfvsrd),
		E(115, mfvsrwz), E(179, mtvsrd), E(211, mtvsrwa),
		E(243, mtvsrwz),
	}, xx3[] = {
		E(32, xsadddp), E(40, xssubdp), E(48, xsmuldp), E(56, xsdivdp),
		E(33, xsmaddadp), E(41, xsmaddmdp), E(49, xsmsubadp),
		E(57, xsmsubmdp), E(161, xsnmaddadp), E(169, xsnmaddmdp),
		E(177, xsnmsubadp), E(185, xsnmsubmdp), E(35, xscmpudp),
		E(43, xscmpodp), E(176, xscpsgndp), E(160, xsmaxdp),
		E(168, xsmindp), E(0, xsaddsp), E(8, xssubsp), E(16, xsmulsp),
		E(24, xsdivsp), E(1, xsmaddasp), E(9, xsmaddmsp),
		E(17, xsmsubasp), E(25, xsmsubmsp), E(129, xsnmaddasp),
		E(137, xsnmaddmsp), E(145, xsnmsubasp), E(153, xsnmsubmsp),
		E(130, xxland), E(138, xxlandc), E(146, xxlor), E(154, xxlxor),
		E(162, xxlnor), E(170, xxlorc), E(178, xxlnand), E(186, xxleqv),
		E(18, xxmrghw), E(50, xxmrglw), E(10, xxpermdi),
		E(42, xxpermdi), E(74, xxpermdi), E(106, xxpermdi),
		E(2, xxsldwi), E(34, xxsldwi), E(66, xxsldwi), E(98, xxsldwi),
		E(96, xvadddp), E(104, xvsubdp), E(112, xvmuldp),
		E(120, xvdivdp), E(97, xvmaddadp), E(105, xvmaddmdp),
		E(113, xvmsubadp), E(121, xvmsubmdp), E(225, xvnmaddadp),
		E(233, xvnmaddmdp), E(241, xvnmsubadp), E(249, xvnmsubmdp),
		E(240, xvcpsgndp), E(64, xvaddsp), E(72, xvsubsp),
		E(80, xvmulsp), E(88, xvdivsp), E(65, xvmaddasp),
		E(73, xvmaddmsp), E(81, xvmsubasp), E(89, xvmsubmsp),
		E(193, xvnmaddasp), E(201, xvnmaddmsp), E(209, xvnmsubasp),
		E(217, xvnmsubmsp), E(208, xvcpsgnsp), E(224, xvmaxdp),
		E(232, xvmindp), E(192, xvmaxsp), E(200, xvminsp),
	}, xx2[] = {
		E(345, xsabsdp), E(361, xsnabsdp), E(377, xsnegdp),
		E(265, xscvdpsp), E(267, xscvdpspn), E(329, xscvspdp),
		E(331, xscvspdpn), E(344, xscvdpsxds), E(88, xscvdpsxws),
		E(328, xscvdpuxds), E(72, xscvdpuxws), E(376, xscvsxddp),
		E(360, xscvuxddp), E(312, xscvsxdsp), E(296, xscvuxdsp),
		E(75, xssqrtdp), E(90, xsredp), E(74, xsrsqrtedp),
		E(11, xssqrtsp), E(26, xsresp), E(10, xsrsqrtesp),
		E(73, xsrdpi), E(89, xsrdpiz), E(105, xsrdpip),
		E(121, xsrdpim), E(281, xsrsp), E(164, xxspltw),
		E(473, xvabsdp), E(489, xvnabsdp), E(505, xvnegdp),
		E(409, xvabssp), E(425, xvnabssp), E(441, xvnegsp),
		E(203, xvsqrtdp), E(139, xvsqrtsp), E(248, xvcvsxwdp),
		E(232, xvcvuxwdp), E(457, xvcvspdp), E(393, xvcvdpsp),
		E(472, xvcvdpsxds), E(456, xvcvdpuxds), E(216, xvcvdpsxws),
		E(200, xvcvdpuxws), E(152, xvcvspsxws), E(136, xvcvspuxws),
		E(504, xvcvsxddp), E(488, xvcvuxddp), E(184, xvcvsxwsp),
		E(168, xvcvuxwsp), E(201, xvrdpi), E(217, xvrdpiz),
		E(233, xvrdpip), E(249, xvrdpim), E(137, xvrspi),
		E(153, xvrspiz), E(169, xvrspip), E(185, xvrspim),
		E(107, xsrdpic), E(235, xvrdpic),
	};
	static const struct {
		unsigned xo;
		insn_fn fn, fn_rc;
	} xcmp[] = {
#define C(xo, name) { xo, op_##name, op_##name##_rc }
		C(99, xvcmpeqdp), C(107, xvcmpgtdp), C(115, xvcmpgedp),
		C(67, xvcmpeqsp), C(75, xvcmpgtsp),  C(83, xvcmpgesp),
	};
#undef E
#undef C

	for (unsigned i = 0; i < sizeof(x31) / sizeof(x31[0]); i++)
		decode_register(31, (int)x31[i].xo, FORM_XX1, x31[i].fn, NULL);
	for (unsigned i = 0; i < sizeof(xx3) / sizeof(xx3[0]); i++)
		for (unsigned k = 0; k < 4; k++)
			decode_register(60, (int)((xx3[i].xo << 2) | k), FORM_XX, xx3[i].fn, NULL);
	for (unsigned i = 0; i < sizeof(xcmp) / sizeof(xcmp[0]); i++)
		for (unsigned k = 0; k < 4; k++) {
			decode_register(60, (int)((xcmp[i].xo << 2) | k), FORM_XX, xcmp[i].fn,
					NULL);
			decode_register(60, (int)(((xcmp[i].xo | 0x80) << 2) | k), FORM_XX,
					xcmp[i].fn_rc, NULL);
		}
	for (unsigned i = 0; i < sizeof(xx2) / sizeof(xx2[0]); i++)
		for (unsigned k = 0; k < 2; k++)
			decode_register(60, (int)((xx2[i].xo << 1) | k), FORM_XX, xx2[i].fn, NULL);
	/* XX4 xxsel: bits 26:27 = 0b11 */
	for (unsigned x = 0; x < 1024; x++)
		if (((x >> 3) & 3) == 3)
			decode_register(60, (int)x, FORM_XX, op_xxsel, NULL);
}
