/* SPDX-License-Identifier: MIT */
/*
 * Floating-point and vector support shared by insn_fp.c, insn_fpmem.c,
 * insn_vmx.c and insn_vsx.c: the FPSCR (Power ISA 2.07 Book I 4.2.2), the
 * facility-unavailable checks, the arithmetic core that runs an operation on
 * the host FPU in the guest's rounding mode and turns the host's exception
 * flags into FPSCR bits, and the 128-bit register view.
 *
 * Register layout: cpu->vsr[n].d[0] is VSR doubleword 0 (the ISA's most
 * significant, leftmost doubleword), which is FPR n; VR n is VSR 32 + n.
 * struct vec128 is a VSR as a host-native little-endian 128-bit number:
 * element i of the ISA's numbering (0 = leftmost) is at index N-1-i of the
 * arrays (VB/VH/VW/VD below).
 */
#ifndef PPCVM_FPU_H
#define PPCVM_FPU_H

#include "cpu/cpu.h"

#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "struct vec128 assumes a little-endian host"
#endif

/* FPSCR bits (ISA bit 32 + k is mask 1 << (31 - k)) */
#define FPSCR_FX	 0x80000000u
#define FPSCR_FEX	 0x40000000u
#define FPSCR_VX	 0x20000000u
#define FPSCR_OX	 0x10000000u
#define FPSCR_UX	 0x08000000u
#define FPSCR_ZX	 0x04000000u
#define FPSCR_XX	 0x02000000u
#define FPSCR_VXSNAN	 0x01000000u
#define FPSCR_VXISI	 0x00800000u
#define FPSCR_VXIDI	 0x00400000u
#define FPSCR_VXZDZ	 0x00200000u
#define FPSCR_VXIMZ	 0x00100000u
#define FPSCR_VXVC	 0x00080000u
#define FPSCR_FR	 0x00040000u
#define FPSCR_FI	 0x00020000u
#define FPSCR_FPRF	 0x0001f000u
#define FPSCR_FPCC	 0x0000f000u
#define FPSCR_FPRF_SHIFT 12
#define FPSCR_VXSOFT	 0x00000400u
#define FPSCR_VXSQRT	 0x00000200u
#define FPSCR_VXCVI	 0x00000100u
#define FPSCR_VE	 0x00000080u
#define FPSCR_OE	 0x00000040u
#define FPSCR_UE	 0x00000020u
#define FPSCR_ZE	 0x00000010u
#define FPSCR_XE	 0x00000008u
#define FPSCR_NI	 0x00000004u
#define FPSCR_RN	 0x00000003u

#define FPSCR_VX_ALL                                                                         \
	(FPSCR_VXSNAN | FPSCR_VXISI | FPSCR_VXIDI | FPSCR_VXZDZ | FPSCR_VXIMZ | FPSCR_VXVC | \
	 FPSCR_VXSOFT | FPSCR_VXSQRT | FPSCR_VXCVI)
/* Exception bits whose 0 -> 1 transition sets FX */
#define FPSCR_EXC_ALL (FPSCR_OX | FPSCR_UX | FPSCR_ZX | FPSCR_XX | FPSCR_VX_ALL)

/* VSCR (ISA 2.07 Book I 6.3.1) */
#define VSCR_NJ	 0x00010000u
#define VSCR_SAT 0x00000001u

/* FPRF classes (ISA 2.07 table 4-2): C || FPCC */
#define FPRF_QNAN    0x11
#define FPRF_NINF    0x09
#define FPRF_NNORM   0x08
#define FPRF_NDENORM 0x18
#define FPRF_NZERO   0x12
#define FPRF_PZERO   0x02
#define FPRF_PDENORM 0x14
#define FPRF_PNORM   0x04
#define FPRF_PINF    0x05

#define DBL_SIGN	0x8000000000000000ull
#define DBL_EXP		0x7ff0000000000000ull
#define DBL_FRAC	0x000fffffffffffffull
#define DBL_QBIT	0x0008000000000000ull
#define DBL_DEFAULT_NAN 0x7ff8000000000000ull
#define SGL_DEFAULT_NAN 0x7fc00000u

typedef union {
	unsigned __int128 q;
	uint64_t d[2];
	uint32_t w[4];
	uint16_t h[8];
	uint8_t b[16];
	int64_t sd[2];
	int32_t sw[4];
	int16_t sh[8];
	int8_t sb[16];
	float f[4];
	double f64[2];
} vec128;

/* ISA element i (0 = leftmost) of a vec128 */
#define VB(v, i) ((v).b[15 - (i)])
#define VH(v, i) ((v).h[7 - (i)])
#define VW(v, i) ((v).w[3 - (i)])
#define VD(v, i) ((v).d[1 - (i)])

static inline vec128 vsr_get(const struct ppc_cpu *cpu, unsigned n)
{
	vec128 v;

	v.d[1] = cpu->vsr[n].d[0];
	v.d[0] = cpu->vsr[n].d[1];
	return v;
}

static inline void vsr_set(struct ppc_cpu *cpu, unsigned n, vec128 v)
{
	cpu->vsr[n].d[0] = v.d[1];
	cpu->vsr[n].d[1] = v.d[0];
}

static inline uint64_t d2u(double x)
{
	uint64_t u;

	memcpy(&u, &x, 8);
	return u;
}

static inline double u2d(uint64_t u)
{
	double x;

	memcpy(&x, &u, 8);
	return x;
}

static inline uint32_t f2u(float x)
{
	uint32_t u;

	memcpy(&u, &x, 4);
	return u;
}

static inline float u2f(uint32_t u)
{
	float x;

	memcpy(&x, &u, 4);
	return x;
}

static inline bool dbl_is_nan(uint64_t x)
{
	return (x & ~DBL_SIGN) > DBL_EXP;
}

static inline bool dbl_is_snan(uint64_t x)
{
	return dbl_is_nan(x) && !(x & DBL_QBIT);
}

static inline bool dbl_is_inf(uint64_t x)
{
	return (x & ~DBL_SIGN) == DBL_EXP;
}

static inline bool dbl_is_zero(uint64_t x)
{
	return (x & ~DBL_SIGN) == 0;
}

static inline bool sgl_is_nan(uint32_t x)
{
	return (x & 0x7fffffffu) > 0x7f800000u;
}

static inline bool sgl_is_snan(uint32_t x)
{
	return sgl_is_nan(x) && !(x & 0x00400000u);
}

/* ---- Facility checks (ISA 2.07 Book III-S 6.5.11, 6.5.17, 6.5.18) --- */

#define FP_CHECK(cpu, d)                                                       \
	do {                                                                   \
		if (unlikely(!((cpu)->msr & MSR_FP)))                          \
			return cpu_interrupt(cpu, VEC_FPU, cpu_pc(cpu, d), 0); \
	} while (0)

#define VMX_CHECK(cpu, d)                                                      \
	do {                                                                   \
		if (unlikely(!((cpu)->msr & MSR_VEC)))                         \
			return cpu_interrupt(cpu, VEC_VMX, cpu_pc(cpu, d), 0); \
	} while (0)

#define VSX_CHECK(cpu, d)                                                      \
	do {                                                                   \
		if (unlikely(!((cpu)->msr & MSR_VSX)))                         \
			return cpu_interrupt(cpu, VEC_VSX, cpu_pc(cpu, d), 0); \
	} while (0)

/* ---- FPSCR ---------------------------------------------------------- */

/* Recompute the summary bits VX and FEX from the detail bits */
static inline uint32_t fpscr_summary(uint32_t f)
{
	f &= ~(FPSCR_VX | FPSCR_FEX);
	if (f & FPSCR_VX_ALL)
		f |= FPSCR_VX;
	if (((f >> 22) & (f & 0xf8)) & 0xf8 || /* OX UX ZX XX vs OE UE ZE XE */
	    ((f & FPSCR_VX) && (f & FPSCR_VE)))
		f |= FPSCR_FEX;
	return f;
}

/* Set exception bits exc (sticky): FX on any 0 -> 1 transition */
static inline void fpscr_raise(struct ppc_cpu *cpu, uint32_t exc)
{
	uint32_t f = cpu->fpscr;

	if (exc & ~f & FPSCR_EXC_ALL)
		f |= FPSCR_FX;
	cpu->fpscr = fpscr_summary(f | exc);
}

static inline void fpscr_set_fprf(struct ppc_cpu *cpu, unsigned c)
{
	cpu->fpscr = (cpu->fpscr & ~FPSCR_FPRF) | (c << FPSCR_FPRF_SHIFT);
}

/* FPRF class of a double / of a single held as a double */
unsigned fprf_class_dbl(uint64_t x);
unsigned fprf_class_sgl(uint64_t x);

/*
 * After an instruction that may have set an enabled exception: program
 * interrupt (floating-point enabled, precise) if FEX=1 and MSR[FE0|FE1].
 * Returns the next dinsn or NULL.
 */
const struct dinsn *fp_finish(struct ppc_cpu *cpu, const struct dinsn *d);

/* CR1 <- FX FEX VX OX (Rc=1 of the floating-point instructions) */
static inline void fp_set_cr1(struct ppc_cpu *cpu)
{
	cr_set_field(cpu, 1, cpu->fpscr >> 28);
}

/* ---- Arithmetic core (fpu.c) ---------------------------------------- */

enum fpu_op {
	FOP_ADD,    /* a + b */
	FOP_SUB,    /* a - b */
	FOP_MUL,    /* a * c */
	FOP_DIV,    /* a / b */
	FOP_SQRT,   /* sqrt(b) */
	FOP_MADD,   /* a * c + b */
	FOP_MSUB,   /* a * c - b */
	FOP_RE,	    /* 1 / b (estimate computed exactly, as QEMU) */
	FOP_RSQRTE, /* 1 / sqrt(b) */
};

/*
 * Run op on operands (double bit patterns), rounding to double or (single)
 * to single precision in the FPSCR rounding mode, updating FPSCR (exception
 * bits, FR, FI, FPRF). Returns false when an enabled invalid-operation or
 * zero-divide exception suppresses the write of the target (*res unset).
 * neg: negate a non-NaN result (fnmadd, fnmsub).
 */
bool fpu_arith(struct ppc_cpu *cpu, enum fpu_op op, uint64_t a, uint64_t b, uint64_t c, bool single,
	       bool neg, uint64_t *res);

/* Round a double to single precision (frsp, xscvdpsp): result as double */
bool fpu_round_single(struct ppc_cpu *cpu, uint64_t b, uint64_t *res);

/*
 * Convert a double to an integer (fcti*, xscvdp*x*): bits 32 or 64, signed
 * or not, rounding mode rn (0-3 as FPSCR[RN]). Sets VXCVI/VXSNAN, XX, FI,
 * FR; FPRF undefined (left as is). Returns false when VE=1 suppresses the
 * write.
 */
bool fpu_to_int(struct ppc_cpu *cpu, uint64_t b, unsigned bits, bool sgn, unsigned rn,
		uint64_t *res);

/* Integer (signed or not) to double or single (fcfid*) */
uint64_t fpu_from_int(struct ppc_cpu *cpu, uint64_t v, bool sgn, bool single);

/* Round to integral (frin/friz/frip/frim): mode 0 nearest-away, 1 zero, 2 +inf, 3 -inf */
bool fpu_round_int(struct ppc_cpu *cpu, uint64_t b, unsigned mode, uint64_t *res);

/*
 * Compare (fcmpu/fcmpo, xscmp*dp): returns the 4-bit FL FG FE FU field,
 * sets FPCC and the invalid bits (ordered: VXVC as well).
 */
unsigned fpu_compare(struct ppc_cpu *cpu, uint64_t a, uint64_t b, bool ordered);

/* Single (word in memory) <-> double bit conversions of lfs / stfs (ISA 4.6) */
static inline uint64_t fp_sgl_to_dbl(uint32_t w)
{
	if ((w & 0x7f800000u) == 0x7f800000u) /* inf / NaN: keep the payload */
		return ((uint64_t)(w & 0x80000000u) << 32) | DBL_EXP |
		       ((uint64_t)(w & 0x007fffffu) << 29);
	return d2u((double)u2f(w)); /* exact */
}

static inline uint32_t fp_dbl_to_sgl(uint64_t x)
{
	unsigned e = (x >> 52) & 0x7ff;

	if (e > 896 || (x & ~DBL_SIGN) == 0)
		return (uint32_t)(((x >> 32) & 0xc0000000u) | ((x >> 29) & 0x3fffffffu));
	if (e >= 874) {
		/* denormalize: the fraction with its implicit bit shifted */
		uint64_t frac = (1ull << 52) | (x & DBL_FRAC);
		unsigned sh = 897 - e; /* 1 .. 23 */

		frac >>= sh;
		return (uint32_t)((x >> 32) & 0x80000000u) | (uint32_t)((frac >> 29) & 0x007fffffu);
	}
	return (uint32_t)((x >> 32) & 0x80000000u); /* undefined: zero */
}

/* Host rounding for the vector (VMX) float ops: round to nearest, no flags */
float vmx_flush(const struct ppc_cpu *cpu, float x);

#endif
