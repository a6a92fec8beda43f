/* SPDX-License-Identifier: MIT */
/*
 * Vector facility (VMX / AltiVec, Power ISA 2.07 Book I chapter 6): the
 * vector loads and stores, VSCR moves, integer, logical, permute, pack and
 * unpack, compare, the single-precision float instructions and the POWER8
 * additions (doubleword integer ops, population count, count leading zeros,
 * vbpermq, polynomial multiply-sum, AES and SHA-2 sigma).
 *
 * VR n is VSR 32 + n. Elements are handled in the host-native vec128 view
 * (fpu.h); cross-element instructions use the ISA numbering through
 * VB/VH/VW/VD. Only the loads and stores depend on MSR[LE]: lvx/stvx move
 * the quadword as one 128-bit number in the current byte order, the
 * element forms put the element where that numbering puts it.
 *
 * MSR[VEC]=0 gives the vector unavailable interrupt (0xf20) first.
 * Float: round to nearest, no exceptions, VSCR[NJ] flushes denormal inputs
 * and results to zero; a NaN result is the first NaN operand, quieted, or
 * 0x7fc00000 (ISA 6.10.1).
 */
#include <math.h>
#include <pthread.h>

#include "cpu/fpu.h"
#include "mmu/mem.h"

#define INLINE static inline __attribute__((always_inline))

#define H(name) static const struct dinsn *name(struct ppc_cpu *cpu, const struct dinsn *d)

#define VR(n) (32 + (n))

/* ---- Loads and stores (ISA 6.7) ------------------------------------ */

/* Read / write the quadword at ea (aligned) as a 128-bit number */
static int vmx_ld16(struct ppc_cpu *cpu, const struct dinsn *d, uint64_t ea, vec128 *v)
{
	uint64_t a, b;

	if (mem_load(cpu, d, ea, 8, &a) || mem_load(cpu, d, (ea + 8) & cpu->ea_mask, 8, &b))
		return 1;
	if (cpu->le) {
		v->d[0] = a;
		v->d[1] = b;
	} else {
		v->d[1] = a;
		v->d[0] = b;
	}
	return 0;
}

static int vmx_st16(struct ppc_cpu *cpu, const struct dinsn *d, uint64_t ea, vec128 v)
{
	uint64_t a = cpu->le ? v.d[0] : v.d[1], b = cpu->le ? v.d[1] : v.d[0];

	/* both pages are checked by the first store only if in one page */
	if (mem_store(cpu, d, ea, 8, a) || mem_store(cpu, d, (ea + 8) & cpu->ea_mask, 8, b))
		return 1;
	return 0;
}

H(op_lvx)
{
	vec128 v;
	uint64_t ea;

	VMX_CHECK(cpu, d);
	ea = ea_x(cpu, d->ra, d->rb) & ~15ull;
	if (vmx_ld16(cpu, d, ea, &v))
		return NULL;
	vsr_set(cpu, VR(d->rt), v);
	return d + 1;
}

H(op_stvx)
{
	uint64_t ea;

	VMX_CHECK(cpu, d);
	ea = ea_x(cpu, d->ra, d->rb) & ~15ull;
	if (vmx_st16(cpu, d, ea, vsr_get(cpu, VR(d->rt))))
		return NULL;
	return d + 1;
}

/*
 * lve*x / stve*x: the element whose byte offset in the quadword is EA & 15
 * (big-endian numbering), mirrored in little-endian mode. The other
 * elements of the target are left unchanged (ISA: undefined).
 */
static const struct dinsn *vmx_lve(struct ppc_cpu *cpu, const struct dinsn *d, unsigned size)
{
	uint64_t ea, v;
	unsigned off;
	vec128 r;

	VMX_CHECK(cpu, d);
	ea = ea_x(cpu, d->ra, d->rb) & ~(uint64_t)(size - 1);
	if (mem_load(cpu, d, ea, size, &v))
		return NULL;
	off = ea & 15;
	r = vsr_get(cpu, VR(d->rt));
	/* native index of the element's lowest byte */
	off = cpu->le ? off : 16 - off - size;
	memcpy(&r.b[off], &v, size);
	vsr_set(cpu, VR(d->rt), r);
	return d + 1;
}

static const struct dinsn *vmx_stve(struct ppc_cpu *cpu, const struct dinsn *d, unsigned size)
{
	uint64_t ea, v = 0;
	unsigned off;
	vec128 r;

	VMX_CHECK(cpu, d);
	ea = ea_x(cpu, d->ra, d->rb) & ~(uint64_t)(size - 1);
	off = ea & 15;
	r = vsr_get(cpu, VR(d->rt));
	off = cpu->le ? off : 16 - off - size;
	memcpy(&v, &r.b[off], size);
	if (mem_store(cpu, d, ea, size, v))
		return NULL;
	return d + 1;
}

H(op_lvebx)
{
	return vmx_lve(cpu, d, 1);
}
H(op_lvehx)
{
	return vmx_lve(cpu, d, 2);
}
H(op_lvewx)
{
	return vmx_lve(cpu, d, 4);
}
H(op_stvebx)
{
	return vmx_stve(cpu, d, 1);
}
H(op_stvehx)
{
	return vmx_stve(cpu, d, 2);
}
H(op_stvewx)
{
	return vmx_stve(cpu, d, 4);
}

/* lvsl / lvsr (ISA 6.7.3): independent of the byte order */
static const struct dinsn *vmx_lvs(struct ppc_cpu *cpu, const struct dinsn *d, bool right)
{
	unsigned sh = ea_x(cpu, d->ra, d->rb) & 15;
	vec128 r;

	VMX_CHECK(cpu, d);
	for (unsigned i = 0; i < 16; i++)
		VB(r, i) = (uint8_t)((right ? 16 - sh : sh) + i);
	vsr_set(cpu, VR(d->rt), r);
	return d + 1;
}

H(op_lvsl)
{
	return vmx_lvs(cpu, d, false);
}
H(op_lvsr)
{
	return vmx_lvs(cpu, d, true);
}

/* Data stream touch / stop: hints */
H(op_vmx_nop)
{
	return d + 1;
}

H(op_mfvscr)
{
	vec128 r = { 0 };

	VMX_CHECK(cpu, d);
	VW(r, 3) = cpu->vscr;
	vsr_set(cpu, VR(d->rt), r);
	return d + 1;
}

H(op_mtvscr)
{
	VMX_CHECK(cpu, d);
	cpu->vscr = VW(vsr_get(cpu, VR(d->rb)), 3) & (VSCR_NJ | VSCR_SAT);
	return d + 1;
}

/* ---- Generic element-wise ops -------------------------------------- */

/*
 * VX2(name, T, n, expr): r[i] = expr over a = VRA[i], b = VRB[i] (T the
 * element array: b, h, w, d, sb, ...). sat is set by saturating exprs.
 */
#define VX2(name, F, n, expr)                                         \
	H(op_##name)                                                  \
	{                                                             \
		vec128 va, vb, r;                                     \
		bool sat = false;                                     \
                                                                      \
		VMX_CHECK(cpu, d);                                    \
		va = vsr_get(cpu, VR(d->ra));                         \
		vb = vsr_get(cpu, VR(d->rb));                         \
		for (unsigned i = 0; i < (n); i++) {                  \
			__typeof__(va.F[0]) a = va.F[i], b = vb.F[i]; \
			(void)a;                                      \
			(void)b;                                      \
			r.F[i] = (expr);                              \
		}                                                     \
		if (sat)                                              \
			cpu->vscr |= VSCR_SAT;                        \
		vsr_set(cpu, VR(d->rt), r);                           \
		return d + 1;                                         \
	}

static inline int64_t satv(int64_t v, int64_t lo, int64_t hi, bool *sat)
{
	if (v < lo) {
		*sat = true;
		return lo;
	}
	if (v > hi) {
		*sat = true;
		return hi;
	}
	return v;
}

VX2(vaddubm, b, 16, a + b)
VX2(vadduhm, h, 8, a + b)
VX2(vadduwm, w, 4, a + b)
VX2(vaddudm, d, 2, a + b)
VX2(vsububm, b, 16, a - b)
VX2(vsubuhm, h, 8, a - b)
VX2(vsubuwm, w, 4, a - b)
VX2(vsubudm, d, 2, a - b)
VX2(vaddcuw, w, 4, (uint32_t)(a + b) < a)
VX2(vsubcuw, w, 4, a >= b)
VX2(vaddubs, b, 16, satv((int64_t)a + b, 0, 0xff, &sat))
VX2(vadduhs, h, 8, satv((int64_t)a + b, 0, 0xffff, &sat))
VX2(vadduws, w, 4, satv((int64_t)a + b, 0, 0xffffffffll, &sat))
VX2(vaddsbs, sb, 16, satv((int64_t)a + b, INT8_MIN, INT8_MAX, &sat))
VX2(vaddshs, sh, 8, satv((int64_t)a + b, INT16_MIN, INT16_MAX, &sat))
VX2(vaddsws, sw, 4, satv((int64_t)a + b, INT32_MIN, INT32_MAX, &sat))
VX2(vsububs, b, 16, satv((int64_t)a - b, 0, 0xff, &sat))
VX2(vsubuhs, h, 8, satv((int64_t)a - b, 0, 0xffff, &sat))
VX2(vsubuws, w, 4, satv((int64_t)a - b, 0, 0xffffffffll, &sat))
VX2(vsubsbs, sb, 16, satv((int64_t)a - b, INT8_MIN, INT8_MAX, &sat))
VX2(vsubshs, sh, 8, satv((int64_t)a - b, INT16_MIN, INT16_MAX, &sat))
VX2(vsubsws, sw, 4, satv((int64_t)a - b, INT32_MIN, INT32_MAX, &sat))

#define MAX(a, b) ((a) > (b) ? (a) : (b))
#define MIN(a, b) ((a) < (b) ? (a) : (b))
VX2(vmaxub, b, 16, MAX(a, b))
VX2(vmaxuh, h, 8, MAX(a, b))
VX2(vmaxuw, w, 4, MAX(a, b))
VX2(vmaxud, d, 2, MAX(a, b))
VX2(vmaxsb, sb, 16, MAX(a, b))
VX2(vmaxsh, sh, 8, MAX(a, b))
VX2(vmaxsw, sw, 4, MAX(a, b))
VX2(vmaxsd, sd, 2, MAX(a, b))
VX2(vminub, b, 16, MIN(a, b))
VX2(vminuh, h, 8, MIN(a, b))
VX2(vminuw, w, 4, MIN(a, b))
VX2(vminud, d, 2, MIN(a, b))
VX2(vminsb, sb, 16, MIN(a, b))
VX2(vminsh, sh, 8, MIN(a, b))
VX2(vminsw, sw, 4, MIN(a, b))
VX2(vminsd, sd, 2, MIN(a, b))
VX2(vavgub, b, 16, ((uint64_t)a + b + 1) >> 1)
VX2(vavguh, h, 8, ((uint64_t)a + b + 1) >> 1)
VX2(vavguw, w, 4, ((uint64_t)a + b + 1) >> 1)
VX2(vavgsb, sb, 16, ((int64_t)a + b + 1) >> 1)
VX2(vavgsh, sh, 8, ((int64_t)a + b + 1) >> 1)
VX2(vavgsw, sw, 4, ((int64_t)a + b + 1) >> 1)

VX2(vrlb, b, 16, (uint8_t)((a << (b & 7)) | (a >> ((8 - (b & 7)) & 7))))
VX2(vrlh, h, 8, (uint16_t)((a << (b & 15)) | (a >> ((16 - (b & 15)) & 15))))
VX2(vrlw, w, 4, (uint32_t)((a << (b & 31)) | (a >> ((32 - (b & 31)) & 31))))
VX2(vrld, d, 2, (a << (b & 63)) | (a >> ((64 - (b & 63)) & 63)))
VX2(vslb, b, 16, (uint8_t)(a << (b & 7)))
VX2(vslh, h, 8, (uint16_t)(a << (b & 15)))
VX2(vslw, w, 4, a << (b & 31))
VX2(vsld, d, 2, a << (b & 63))
VX2(vsrb, b, 16, a >> (b & 7))
VX2(vsrh, h, 8, a >> (b & 15))
VX2(vsrw, w, 4, a >> (b & 31))
VX2(vsrd, d, 2, a >> (b & 63))
VX2(vsrab, sb, 16, a >> (b & 7))
VX2(vsrah, sh, 8, a >> (b & 15))
VX2(vsraw, sw, 4, a >> (b & 31))
VX2(vsrad, sd, 2, a >> (b & 63))

VX2(vand, d, 2, a &b)
VX2(vandc, d, 2, a & ~b)
VX2(vor, d, 2, a | b)
VX2(vxor, d, 2, a ^ b)
VX2(vnor, d, 2, ~(a | b))
VX2(vorc, d, 2, a | ~b)
VX2(vnand, d, 2, ~(a &b))
VX2(veqv, d, 2, ~(a ^ b))

VX2(vmuluwm, w, 4, a *b)

/* Unary on VRB */
#define VX1(name, F, n, expr)                            \
	H(op_##name)                                     \
	{                                                \
		vec128 vb, r;                            \
                                                         \
		VMX_CHECK(cpu, d);                       \
		vb = vsr_get(cpu, VR(d->rb));            \
		for (unsigned i = 0; i < (n); i++) {     \
			__typeof__(vb.F[0]) b = vb.F[i]; \
			r.F[i] = (expr);                 \
		}                                        \
		vsr_set(cpu, VR(d->rt), r);              \
		return d + 1;                            \
	}

VX1(vpopcntb, b, 16, __builtin_popcount(b))
VX1(vpopcnth, h, 8, __builtin_popcount(b))
VX1(vpopcntw, w, 4, __builtin_popcount(b))
VX1(vpopcntd, d, 2, __builtin_popcountll(b))
VX1(vclzb, b, 16, b ? __builtin_clz(b) - 24 : 8)
VX1(vclzh, h, 8, b ? __builtin_clz(b) - 16 : 16)
VX1(vclzw, w, 4, b ? __builtin_clz(b) : 32)
VX1(vclzd, d, 2, b ? __builtin_clzll(b) : 64)

/* 128-bit add/sub (ISA 2.07 6.9.1) */
#define VQ(name, expr)                        \
	H(op_##name)                          \
	{                                     \
		vec128 va, vb, vc, r;         \
                                              \
		VMX_CHECK(cpu, d);            \
		va = vsr_get(cpu, VR(d->ra)); \
		vb = vsr_get(cpu, VR(d->rb)); \
		vc = vsr_get(cpu, VR(d->rc)); \
		(void)vc;                     \
		r.q = (expr);                 \
		vsr_set(cpu, VR(d->rt), r);   \
		return d + 1;                 \
	}

VQ(vadduqm, va.q + vb.q)
VQ(vsubuqm, va.q - vb.q)
VQ(vaddcuq, (unsigned __int128)(va.q + vb.q < va.q))
VQ(vsubcuq, (unsigned __int128)(va.q >= vb.q))
VQ(vaddeuqm, va.q + vb.q + (vc.q & 1))
VQ(vsubeuqm, va.q + ~vb.q + (vc.q & 1))
VQ(vaddecuq, (unsigned __int128)((vc.q & 1) ? va.q + vb.q + 1 <= va.q : va.q + vb.q < va.q))
VQ(vsubecuq, (unsigned __int128)((vc.q & 1) ? va.q + ~vb.q + 1 <= va.q : va.q + ~vb.q < va.q))

/* ---- Multiply even/odd: ISA even elements are the left ones -------- */

#define VMUL(name, SF, DF, n, odd)                                          \
	H(op_##name)                                                        \
	{                                                                   \
		vec128 va, vb, r;                                           \
                                                                            \
		VMX_CHECK(cpu, d);                                          \
		va = vsr_get(cpu, VR(d->ra));                               \
		vb = vsr_get(cpu, VR(d->rb));                               \
		for (unsigned i = 0; i < (n); i++) {                        \
			/* ISA element 2i(+1) is native 2n-1-(2i+odd) */    \
			unsigned k = 2 * (n)-1 - (2 * (n - 1 - i) + odd);   \
			r.DF[i] = (__typeof__(r.DF[0]))va.SF[k] * vb.SF[k]; \
		}                                                           \
		vsr_set(cpu, VR(d->rt), r);                                 \
		return d + 1;                                               \
	}

VMUL(vmuleub, b, h, 8, 0)
VMUL(vmuleuh, h, w, 4, 0)
VMUL(vmuleuw, w, d, 2, 0)
VMUL(vmulesb, sb, sh, 8, 0)
VMUL(vmulesh, sh, sw, 4, 0)
VMUL(vmulesw, sw, sd, 2, 0)
VMUL(vmuloub, b, h, 8, 1)
VMUL(vmulouh, h, w, 4, 1)
VMUL(vmulouw, w, d, 2, 1)
VMUL(vmulosb, sb, sh, 8, 1)
VMUL(vmulosh, sh, sw, 4, 1)
VMUL(vmulosw, sw, sd, 2, 1)

/* ---- Permute, merge, splat, shift ---------------------------------- */

static inline vec128 va_of(struct ppc_cpu *cpu, const struct dinsn *d)
{
	return vsr_get(cpu, VR(d->ra));
}

static inline vec128 vb_of(struct ppc_cpu *cpu, const struct dinsn *d)
{
	return vsr_get(cpu, VR(d->rb));
}

static inline vec128 vc_of(struct ppc_cpu *cpu, const struct dinsn *d)
{
	return vsr_get(cpu, VR(d->rc));
}

H(op_vperm)
{
	vec128 a, b, c, r;

	VMX_CHECK(cpu, d);
	a = va_of(cpu, d);
	b = vb_of(cpu, d);
	c = vc_of(cpu, d);
	for (unsigned i = 0; i < 16; i++) {
		unsigned s = VB(c, i) & 31;

		VB(r, i) = s < 16 ? VB(a, s) : VB(b, s - 16);
	}
	vsr_set(cpu, VR(d->rt), r);
	return d + 1;
}

/* vpermxor (ISA 2.07 6.9.2) */
H(op_vpermxor)
{
	vec128 a, b, c, r;

	VMX_CHECK(cpu, d);
	a = va_of(cpu, d);
	b = vb_of(cpu, d);
	c = vc_of(cpu, d);
	for (unsigned i = 0; i < 16; i++)
		VB(r, i) = VB(a, VB(c, i) >> 4) ^ VB(b, VB(c, i) & 15);
	vsr_set(cpu, VR(d->rt), r);
	return d + 1;
}

H(op_vsel)
{
	vec128 a, b, c, r;

	VMX_CHECK(cpu, d);
	a = va_of(cpu, d);
	b = vb_of(cpu, d);
	c = vc_of(cpu, d);
	r.q = (a.q & ~c.q) | (b.q & c.q);
	vsr_set(cpu, VR(d->rt), r);
	return d + 1;
}

H(op_vsldoi)
{
	unsigned sh = (d->raw >> 6) & 15;
	vec128 a, b, r;

	VMX_CHECK(cpu, d);
	a = va_of(cpu, d);
	b = vb_of(cpu, d);
	for (unsigned i = 0; i < 16; i++)
		VB(r, i) = i + sh < 16 ? VB(a, i + sh) : VB(b, i + sh - 16);
	vsr_set(cpu, VR(d->rt), r);
	return d + 1;
}

/* vsl / vsr: shift the whole register by VRB[125:127] bits */
H(op_vsl)
{
	vec128 a, r;
	unsigned sh;

	VMX_CHECK(cpu, d);
	a = va_of(cpu, d);
	sh = VB(vb_of(cpu, d), 15) & 7;
	r.q = a.q << sh;
	vsr_set(cpu, VR(d->rt), r);
	return d + 1;
}

H(op_vsr)
{
	vec128 a, r;
	unsigned sh;

	VMX_CHECK(cpu, d);
	a = va_of(cpu, d);
	sh = VB(vb_of(cpu, d), 15) & 7;
	r.q = a.q >> sh;
	vsr_set(cpu, VR(d->rt), r);
	return d + 1;
}

/* vslo / vsro: shift by VRB[121:124] octets */
H(op_vslo)
{
	vec128 a, r;
	unsigned sh;

	VMX_CHECK(cpu, d);
	a = va_of(cpu, d);
	sh = (VB(vb_of(cpu, d), 15) >> 3) & 15;
	r.q = sh ? a.q << (8 * sh) : a.q;
	vsr_set(cpu, VR(d->rt), r);
	return d + 1;
}

H(op_vsro)
{
	vec128 a, r;
	unsigned sh;

	VMX_CHECK(cpu, d);
	a = va_of(cpu, d);
	sh = (VB(vb_of(cpu, d), 15) >> 3) & 15;
	r.q = sh ? a.q >> (8 * sh) : a.q;
	vsr_set(cpu, VR(d->rt), r);
	return d + 1;
}

/* Merge high (ISA elements 0..n/2-1) or low, interleaving A and B */
#define VMRG(name, F, n, lo)                                   \
	H(op_##name)                                           \
	{                                                      \
		vec128 a, b, r;                                \
                                                               \
		VMX_CHECK(cpu, d);                             \
		a = va_of(cpu, d);                             \
		b = vb_of(cpu, d);                             \
		for (unsigned i = 0; i < (n) / 2; i++) {       \
			unsigned s = i + ((lo) ? (n) / 2 : 0); \
			r.F[(n)-1 - 2 * i] = a.F[(n)-1 - s];   \
			r.F[(n)-2 - 2 * i] = b.F[(n)-1 - s];   \
		}                                              \
		vsr_set(cpu, VR(d->rt), r);                    \
		return d + 1;                                  \
	}

VMRG(vmrghb, b, 16, 0)
VMRG(vmrghh, h, 8, 0)
VMRG(vmrghw, w, 4, 0)
VMRG(vmrglb, b, 16, 1)
VMRG(vmrglh, h, 8, 1)
VMRG(vmrglw, w, 4, 1)

/* vmrgew / vmrgow (2.07): even words 0, 2 or odd words 1, 3 */
static const struct dinsn *vmx_mrgeo(struct ppc_cpu *cpu, const struct dinsn *d, unsigned odd)
{
	vec128 a, b, r;

	VMX_CHECK(cpu, d);
	a = va_of(cpu, d);
	b = vb_of(cpu, d);
	VW(r, 0) = VW(a, odd);
	VW(r, 1) = VW(b, odd);
	VW(r, 2) = VW(a, 2 + odd);
	VW(r, 3) = VW(b, 2 + odd);
	vsr_set(cpu, VR(d->rt), r);
	return d + 1;
}

H(op_vmrgew)
{
	return vmx_mrgeo(cpu, d, 0);
}
H(op_vmrgow)
{
	return vmx_mrgeo(cpu, d, 1);
}

#define VSPLT(name, F, n)                          \
	H(op_##name)                               \
	{                                          \
		vec128 b, r;                       \
		unsigned u = d->ra & ((n)-1);      \
                                                   \
		VMX_CHECK(cpu, d);                 \
		b = vb_of(cpu, d);                 \
		for (unsigned i = 0; i < (n); i++) \
			r.F[i] = b.F[(n)-1 - u];   \
		vsr_set(cpu, VR(d->rt), r);        \
		return d + 1;                      \
	}

VSPLT(vspltb, b, 16)
VSPLT(vsplth, h, 8)
VSPLT(vspltw, w, 4)

#define VSPLTIS(name, F, n)                                          \
	H(op_##name)                                                 \
	{                                                            \
		vec128 r;                                            \
		int v = (int)((d->ra ^ 16) - 16); /* SIMM, 5 bits */ \
                                                                     \
		VMX_CHECK(cpu, d);                                   \
		for (unsigned i = 0; i < (n); i++)                   \
			r.F[i] = (__typeof__(r.F[0]))v;              \
		vsr_set(cpu, VR(d->rt), r);                          \
		return d + 1;                                        \
	}

VSPLTIS(vspltisb, sb, 16)
VSPLTIS(vspltish, sh, 8)
VSPLTIS(vspltisw, sw, 4)

/* ---- Pack and unpack ----------------------------------------------- */

/*
 * Pack: the n source elements of A then B (ISA order) become the 2n
 * result elements, converted by expr from the source value x.
 */
#define VPK(name, SF, DF, n, expr)                                   \
	H(op_##name)                                                 \
	{                                                            \
		vec128 a, b, r;                                      \
		bool sat = false;                                    \
                                                                     \
		VMX_CHECK(cpu, d);                                   \
		a = va_of(cpu, d);                                   \
		b = vb_of(cpu, d);                                   \
		for (unsigned i = 0; i < (n); i++) {                 \
			__typeof__(a.SF[0]) x = b.SF[i];             \
			r.DF[i] = (__typeof__(r.DF[0]))(expr);       \
			x = a.SF[i];                                 \
			r.DF[i + (n)] = (__typeof__(r.DF[0]))(expr); \
		}                                                    \
		if (sat)                                             \
			cpu->vscr |= VSCR_SAT;                       \
		vsr_set(cpu, VR(d->rt), r);                          \
		return d + 1;                                        \
	}

VPK(vpkuhum, h, b, 8, x)
VPK(vpkuwum, w, h, 4, x)
VPK(vpkudum, d, w, 2, x)
VPK(vpkuhus, h, b, 8, satv(x, 0, 0xff, &sat))
VPK(vpkuwus, w, h, 4, satv(x, 0, 0xffff, &sat))
VPK(vpkudus, d, w, 2, x > 0xffffffffull ? (sat = true, 0xffffffffull) : x)
VPK(vpkshus, sh, b, 8, satv(x, 0, 0xff, &sat))
VPK(vpkswus, sw, h, 4, satv(x, 0, 0xffff, &sat))
VPK(vpksdus, sd, w, 2, satv(x, 0, 0xffffffffll, &sat))
VPK(vpkshss, sh, b, 8, satv(x, INT8_MIN, INT8_MAX, &sat))
VPK(vpkswss, sw, h, 4, satv(x, INT16_MIN, INT16_MAX, &sat))
VPK(vpksdss, sd, w, 2, satv(x, INT32_MIN, INT32_MAX, &sat))
VPK(vpkpx, w, h, 4, ((x >> 9) & 0xfc00) | ((x >> 6) & 0x3e0) | ((x >> 3) & 0x1f))

/* Unpack high (ISA elements 0..n-1) or low half, sign-extended */
#define VUPK(name, SF, DF, n, lo)                             \
	H(op_##name)                                          \
	{                                                     \
		vec128 b, r;                                  \
                                                              \
		VMX_CHECK(cpu, d);                            \
		b = vb_of(cpu, d);                            \
		for (unsigned i = 0; i < (n); i++)            \
			r.DF[i] = b.SF[i + ((lo) ? 0 : (n))]; \
		vsr_set(cpu, VR(d->rt), r);                   \
		return d + 1;                                 \
	}

VUPK(vupkhsb, sb, sh, 8, 0)
VUPK(vupkhsh, sh, sw, 4, 0)
VUPK(vupkhsw, sw, sd, 2, 0)
VUPK(vupklsb, sb, sh, 8, 1)
VUPK(vupklsh, sh, sw, 4, 1)
VUPK(vupklsw, sw, sd, 2, 1)

static uint32_t upk_px(uint16_t p)
{
	uint32_t a = (p & 0x8000) ? 0xff : 0;

	return (a << 24) | ((uint32_t)((p >> 10) & 31) << 16) | ((uint32_t)((p >> 5) & 31) << 8) |
	       (p & 31);
}

#define VUPKPX(name, lo)                                          \
	H(op_##name)                                              \
	{                                                         \
		vec128 b, r;                                      \
                                                                  \
		VMX_CHECK(cpu, d);                                \
		b = vb_of(cpu, d);                                \
		for (unsigned i = 0; i < 4; i++)                  \
			r.w[i] = upk_px(b.h[i + ((lo) ? 0 : 4)]); \
		vsr_set(cpu, VR(d->rt), r);                       \
		return d + 1;                                     \
	}

VUPKPX(vupkhpx, 0)
VUPKPX(vupklpx, 1)

/* ---- Sums and multiply-sums ---------------------------------------- */

H(op_vsum4ubs)
{
	vec128 a, b, r;
	bool sat = false;

	VMX_CHECK(cpu, d);
	a = va_of(cpu, d);
	b = vb_of(cpu, d);
	for (unsigned i = 0; i < 4; i++) {
		int64_t s = b.w[i];

		for (unsigned j = 0; j < 4; j++)
			s += a.b[4 * i + j];
		r.w[i] = (uint32_t)satv(s, 0, 0xffffffffll, &sat);
	}
	if (sat)
		cpu->vscr |= VSCR_SAT;
	vsr_set(cpu, VR(d->rt), r);
	return d + 1;
}

H(op_vsum4sbs)
{
	vec128 a, b, r;
	bool sat = false;

	VMX_CHECK(cpu, d);
	a = va_of(cpu, d);
	b = vb_of(cpu, d);
	for (unsigned i = 0; i < 4; i++) {
		int64_t s = b.sw[i];

		for (unsigned j = 0; j < 4; j++)
			s += a.sb[4 * i + j];
		r.sw[i] = (int32_t)satv(s, INT32_MIN, INT32_MAX, &sat);
	}
	if (sat)
		cpu->vscr |= VSCR_SAT;
	vsr_set(cpu, VR(d->rt), r);
	return d + 1;
}

H(op_vsum4shs)
{
	vec128 a, b, r;
	bool sat = false;

	VMX_CHECK(cpu, d);
	a = va_of(cpu, d);
	b = vb_of(cpu, d);
	for (unsigned i = 0; i < 4; i++) {
		int64_t s = (int64_t)b.sw[i] + a.sh[2 * i] + a.sh[2 * i + 1];

		r.sw[i] = (int32_t)satv(s, INT32_MIN, INT32_MAX, &sat);
	}
	if (sat)
		cpu->vscr |= VSCR_SAT;
	vsr_set(cpu, VR(d->rt), r);
	return d + 1;
}

H(op_vsum2sws)
{
	vec128 a, b, r;
	bool sat = false;

	VMX_CHECK(cpu, d);
	a = va_of(cpu, d);
	b = vb_of(cpu, d);
	for (unsigned i = 0; i < 2; i++) {
		/* ISA word 2i+1 of the result is native word 2 - 2i... */
		int64_t s = (int64_t)b.sw[2 * i] + a.sw[2 * i] + a.sw[2 * i + 1];

		r.sw[2 * i] = (int32_t)satv(s, INT32_MIN, INT32_MAX, &sat);
		r.sw[2 * i + 1] = 0;
	}
	if (sat)
		cpu->vscr |= VSCR_SAT;
	vsr_set(cpu, VR(d->rt), r);
	return d + 1;
}

H(op_vsumsws)
{
	vec128 a, b, r = { 0 };
	bool sat = false;
	int64_t s;

	VMX_CHECK(cpu, d);
	a = va_of(cpu, d);
	b = vb_of(cpu, d);
	s = (int64_t)b.sw[0] + a.sw[0] + a.sw[1] + a.sw[2] + a.sw[3];
	r.sw[0] = (int32_t)satv(s, INT32_MIN, INT32_MAX, &sat);
	if (sat)
		cpu->vscr |= VSCR_SAT;
	vsr_set(cpu, VR(d->rt), r);
	return d + 1;
}

/* VA-form multiply-sum / multiply-add (ISA 6.9.1) */
#define VMSUM(name, SF, k, sat_lo, sat_hi, dosat)                                               \
	H(op_##name)                                                                            \
	{                                                                                       \
		vec128 a, b, c, r;                                                              \
		bool sat = false;                                                               \
                                                                                                \
		VMX_CHECK(cpu, d);                                                              \
		a = va_of(cpu, d);                                                              \
		b = vb_of(cpu, d);                                                              \
		c = vc_of(cpu, d);                                                              \
		for (unsigned i = 0; i < 4; i++) {                                              \
			int64_t s = (dosat || sat_lo < 0) ? (int64_t)c.sw[i] : (int64_t)c.w[i]; \
			if (sat_lo == 0)                                                        \
				s = c.w[i];                                                     \
			for (unsigned j = 0; j < (k); j++)                                      \
				s += (int64_t)a.SF[(k)*i + j] * (int64_t)b.SF[(k)*i + j];       \
			r.w[i] = dosat ? (uint32_t)satv(s, sat_lo, sat_hi, &sat) : (uint32_t)s; \
		}                                                                               \
		if (sat)                                                                        \
			cpu->vscr |= VSCR_SAT;                                                  \
		vsr_set(cpu, VR(d->rt), r);                                                     \
		return d + 1;                                                                   \
	}

VMSUM(vmsumubm, b, 4, 0, 0, false)
VMSUM(vmsumuhm, h, 2, 0, 0, false)
VMSUM(vmsumuhs, h, 2, 0, 0xffffffffll, true)
VMSUM(vmsumshm, sh, 2, -1, 0, false)
VMSUM(vmsumshs, sh, 2, INT32_MIN, INT32_MAX, true)

H(op_vmsummbm)
{
	vec128 a, b, c, r;

	VMX_CHECK(cpu, d);
	a = va_of(cpu, d);
	b = vb_of(cpu, d);
	c = vc_of(cpu, d);
	for (unsigned i = 0; i < 4; i++) {
		int64_t s = c.sw[i];

		for (unsigned j = 0; j < 4; j++)
			s += (int64_t)a.sb[4 * i + j] * b.b[4 * i + j];
		r.w[i] = (uint32_t)s;
	}
	vsr_set(cpu, VR(d->rt), r);
	return d + 1;
}

H(op_vmhaddshs)
{
	vec128 a, b, c, r;
	bool sat = false;

	VMX_CHECK(cpu, d);
	a = va_of(cpu, d);
	b = vb_of(cpu, d);
	c = vc_of(cpu, d);
	for (unsigned i = 0; i < 8; i++) {
		int64_t p = ((int64_t)a.sh[i] * b.sh[i]) >> 15;

		r.sh[i] = (int16_t)satv(p + c.sh[i], INT16_MIN, INT16_MAX, &sat);
	}
	if (sat)
		cpu->vscr |= VSCR_SAT;
	vsr_set(cpu, VR(d->rt), r);
	return d + 1;
}

H(op_vmhraddshs)
{
	vec128 a, b, c, r;
	bool sat = false;

	VMX_CHECK(cpu, d);
	a = va_of(cpu, d);
	b = vb_of(cpu, d);
	c = vc_of(cpu, d);
	for (unsigned i = 0; i < 8; i++) {
		int64_t p = ((int64_t)a.sh[i] * b.sh[i] + 0x4000) >> 15;

		r.sh[i] = (int16_t)satv(p + c.sh[i], INT16_MIN, INT16_MAX, &sat);
	}
	if (sat)
		cpu->vscr |= VSCR_SAT;
	vsr_set(cpu, VR(d->rt), r);
	return d + 1;
}

H(op_vmladduhm)
{
	vec128 a, b, c, r;

	VMX_CHECK(cpu, d);
	a = va_of(cpu, d);
	b = vb_of(cpu, d);
	c = vc_of(cpu, d);
	for (unsigned i = 0; i < 8; i++)
		r.h[i] = (uint16_t)(a.h[i] * b.h[i] + c.h[i]);
	vsr_set(cpu, VR(d->rt), r);
	return d + 1;
}

/* ---- Compare (VC form: Rc in bit 21 sets CR6) ---------------------- */

static void vcmp_cr6(struct ppc_cpu *cpu, vec128 r)
{
	unsigned f = 0;

	if (r.q == ~(unsigned __int128)0)
		f = 8;
	else if (r.q == 0)
		f = 2;
	cr_set_field(cpu, 6, f);
}

#define VCMP(name, F, RF, n, expr)                                                                \
	INLINE const struct dinsn *vc_##name(struct ppc_cpu *cpu, const struct dinsn *d, bool rc) \
	{                                                                                         \
		vec128 va, vb, r;                                                                 \
                                                                                                  \
		VMX_CHECK(cpu, d);                                                                \
		va = va_of(cpu, d);                                                               \
		vb = vb_of(cpu, d);                                                               \
		for (unsigned i = 0; i < (n); i++) {                                              \
			__typeof__(va.F[0]) a = va.F[i], b = vb.F[i];                             \
			r.RF[i] = (expr) ? (__typeof__(r.RF[0]))~0ull : 0;                        \
		}                                                                                 \
		vsr_set(cpu, VR(d->rt), r);                                                       \
		if (rc)                                                                           \
			vcmp_cr6(cpu, r);                                                         \
		return d + 1;                                                                     \
	}                                                                                         \
	H(op_##name)                                                                              \
	{                                                                                         \
		return vc_##name(cpu, d, false);                                                  \
	}                                                                                         \
	H(op_##name##_rc)                                                                         \
	{                                                                                         \
		return vc_##name(cpu, d, true);                                                   \
	}

VCMP(vcmpequb, b, b, 16, a == b)
VCMP(vcmpequh, h, h, 8, a == b)
VCMP(vcmpequw, w, w, 4, a == b)
VCMP(vcmpequd, d, d, 2, a == b)
VCMP(vcmpgtub, b, b, 16, a > b)
VCMP(vcmpgtuh, h, h, 8, a > b)
VCMP(vcmpgtuw, w, w, 4, a > b)
VCMP(vcmpgtud, d, d, 2, a > b)
VCMP(vcmpgtsb, sb, b, 16, a > b)
VCMP(vcmpgtsh, sh, h, 8, a > b)
VCMP(vcmpgtsw, sw, w, 4, a > b)
VCMP(vcmpgtsd, sd, d, 2, a > b)

/* Float compares: operands with NJ flushing (NaN compares false) */
VCMP(vcmpeqfp, f, w, 4, vmx_flush(cpu, a) == vmx_flush(cpu, b))
VCMP(vcmpgefp, f, w, 4, vmx_flush(cpu, a) >= vmx_flush(cpu, b))
VCMP(vcmpgtfp, f, w, 4, vmx_flush(cpu, a) > vmx_flush(cpu, b))

/* vcmpbfp: bit 0 "not <= b", bit 1 "not >= -b"; CR6 bit 2 if all in bounds */
INLINE const struct dinsn *vc_vcmpbfp(struct ppc_cpu *cpu, const struct dinsn *d, bool rc)
{
	vec128 va, vb, r;

	VMX_CHECK(cpu, d);
	va = va_of(cpu, d);
	vb = vb_of(cpu, d);
	for (unsigned i = 0; i < 4; i++) {
		float a = vmx_flush(cpu, va.f[i]), b = vmx_flush(cpu, vb.f[i]);

		if (isnan(a) || isnan(b))
			r.w[i] = 0xc0000000u;
		else
			r.w[i] = (a <= b ? 0 : 0x80000000u) | (a >= -b ? 0 : 0x40000000u);
	}
	vsr_set(cpu, VR(d->rt), r);
	if (rc)
		cr_set_field(cpu, 6, r.q == 0 ? 2 : 0);
	return d + 1;
}

H(op_vcmpbfp)
{
	return vc_vcmpbfp(cpu, d, false);
}
H(op_vcmpbfp_rc)
{
	return vc_vcmpbfp(cpu, d, true);
}

/* ---- Single-precision float (ISA 6.10) ----------------------------- */

/* NaN result of a vector float op: first NaN operand quieted */
static inline float vnan(float a, float b, float c, int n)
{
	if (isnan(a))
		return u2f(f2u(a) | 0x00400000u);
	if (n > 1 && isnan(b))
		return u2f(f2u(b) | 0x00400000u);
	if (n > 2 && isnan(c))
		return u2f(f2u(c) | 0x00400000u);
	return u2f(SGL_DEFAULT_NAN);
}

/* Result in round-to-nearest, with the Power NaN and NJ rules */
static inline float vres(const struct ppc_cpu *cpu, float r, float a, float b, float c, int n)
{
	if (isnan(r))
		return vnan(a, b, c, n);
	return vmx_flush(cpu, r);
}

/*
 * NJ=1: an element whose exact result is tiny (nonzero, below 2^-126 before
 * rounding: an Underflow Exception) is set to 0 of its sign (ISA 2.07 6.3,
 * VSCR[NJ]), also when it rounds up to the smallest normal. p + q is the
 * exact result (a float sum, or an exact float product plus a float);
 * TwoSum gives its rounded value s and the rounding error e exactly.
 */
static inline float vnj(const struct ppc_cpu *cpu, float r, double p, double q, bool neg)
{
	double s, bb, e;

	if (!(cpu->vscr & VSCR_NJ) || isnan(r) || isinf(r))
		return r;
	s = p + q;
	bb = s - p;
	e = (p - (s - bb)) + (q - bb);
	if (fabs(s) > 0x1p-126 || (s == 0 && e == 0))
		return r;
	if (fabs(s) == 0x1p-126 && (e == 0 || signbit(e) == signbit(s)))
		return r;
	return copysignf(0.0f, (signbit(s != 0 ? s : e) != 0) != neg ? -1.0f : 1.0f);
}

#define VFP(name, nops, expr)                                      \
	H(op_##name)                                               \
	{                                                          \
		vec128 va, vb, vc, r;                              \
                                                                   \
		VMX_CHECK(cpu, d);                                 \
		va = va_of(cpu, d);                                \
		vb = vb_of(cpu, d);                                \
		vc = vc_of(cpu, d);                                \
		for (unsigned i = 0; i < 4; i++) {                 \
			float a = vmx_flush(cpu, va.f[i]);         \
			float b = vmx_flush(cpu, vb.f[i]);         \
			float c = vmx_flush(cpu, vc.f[i]);         \
			(void)c;                                   \
			r.f[i] = vres(cpu, (expr), a, b, c, nops); \
		}                                                  \
		vsr_set(cpu, VR(d->rt), r);                        \
		return d + 1;                                      \
	}

#define VFP_B(name, expr)                                       \
	H(op_##name)                                            \
	{                                                       \
		vec128 vb, r;                                   \
                                                                \
		VMX_CHECK(cpu, d);                              \
		vb = vb_of(cpu, d);                             \
		for (unsigned i = 0; i < 4; i++) {              \
			float b = vmx_flush(cpu, vb.f[i]);      \
			r.f[i] = vres(cpu, (expr), b, 0, 0, 1); \
		}                                               \
		vsr_set(cpu, VR(d->rt), r);                     \
		return d + 1;                                   \
	}

VFP(vaddfp, 2, vnj(cpu, a + b, a, b, false))
VFP(vsubfp, 2, vnj(cpu, a - b, a, -(double)b, false))
VFP(vmaddfp, 3, vnj(cpu, fmaf(a, c, b), (double)a *c, b, false))
VFP(vnmsubfp, 3,
    vnj(cpu, isnan(fmaf(a, c, -b)) ? fmaf(a, c, -b) : -fmaf(a, c, -b), (double)a *c, -(double)b,
	true))
VFP(vmaxfp, 2, isnan(a) || isnan(b) ? NAN : (a > b || (a == b && !signbit(a))) ? a : b)
VFP(vminfp, 2, isnan(a) || isnan(b) ? NAN : (a < b || (a == b && signbit(a))) ? a : b)
VFP_B(vrefp, 1.0f / b)
VFP_B(vrsqrtefp, 1.0f / sqrtf(b))
VFP_B(vexptefp, exp2f(b))
VFP_B(vlogefp, log2f(b))
VFP_B(vrfin, rintf(b))
VFP_B(vrfiz, truncf(b))
VFP_B(vrfip, ceilf(b))
VFP_B(vrfim, floorf(b))

/* vcfux / vcfsx: integer / 2^UIM */
#define VCF(name, F)                                     \
	H(op_##name)                                     \
	{                                                \
		vec128 vb, r;                            \
		float scale = ldexpf(1.0f, -(int)d->ra); \
                                                         \
		VMX_CHECK(cpu, d);                       \
		vb = vb_of(cpu, d);                      \
		for (unsigned i = 0; i < 4; i++)         \
			r.f[i] = (float)vb.F[i] * scale; \
		vsr_set(cpu, VR(d->rt), r);              \
		return d + 1;                            \
	}

VCF(vcfux, w)
VCF(vcfsx, sw)

/* vctuxs / vctsxs: x * 2^UIM toward zero, saturated (NaN gives 0) */
#define VCT(name, lo, hi)                                                     \
	H(op_##name)                                                          \
	{                                                                     \
		vec128 vb, r;                                                 \
		bool sat = false;                                             \
                                                                              \
		VMX_CHECK(cpu, d);                                            \
		vb = vb_of(cpu, d);                                           \
		for (unsigned i = 0; i < 4; i++) {                            \
			double x = trunc(ldexp((double)vb.f[i], (int)d->ra)); \
                                                                              \
			if (isnan(x))                                         \
				r.w[i] = 0;                                   \
			else if (x < (double)(lo))                            \
				r.w[i] = (uint32_t)(int64_t)(lo), sat = true; \
			else if (x > (double)(hi))                            \
				r.w[i] = (uint32_t)(int64_t)(hi), sat = true; \
			else                                                  \
				r.w[i] = (uint32_t)(int64_t)x;                \
		}                                                             \
		if (sat)                                                      \
			cpu->vscr |= VSCR_SAT;                                \
		vsr_set(cpu, VR(d->rt), r);                                   \
		return d + 1;                                                 \
	}

VCT(vctuxs, 0, 0xffffffffll)
VCT(vctsxs, INT32_MIN, INT32_MAX)

/* ---- POWER8 bit manipulation, carry-less multiply ------------------ */

/* vbpermq (ISA 2.07 6.9.3): bit k of result dw0 bits 48:63 */
H(op_vbpermq)
{
	vec128 a, b, r = { 0 };
	unsigned bits = 0;

	VMX_CHECK(cpu, d);
	a = va_of(cpu, d);
	b = vb_of(cpu, d);
	for (unsigned i = 0; i < 16; i++) {
		unsigned idx = VB(b, i);
		unsigned bit = 0;

		if (idx < 128)
			bit = (unsigned)(a.q >> (127 - idx)) & 1;
		bits |= bit << (15 - i);
	}
	VD(r, 0) = bits;
	vsr_set(cpu, VR(d->rt), r);
	return d + 1;
}

/* vgbbd: transpose the 8x8 bit matrix of each doubleword */
H(op_vgbbd)
{
	vec128 b, r;

	VMX_CHECK(cpu, d);
	b = vb_of(cpu, d);
	for (unsigned k = 0; k < 2; k++) {
		uint64_t x = b.d[k], y = 0;

		for (unsigned i = 0; i < 8; i++)
			for (unsigned j = 0; j < 8; j++)
				if (x & (1ull << (63 - (8 * i + j))))
					y |= 1ull << (63 - (8 * j + i));
		r.d[k] = y;
	}
	vsr_set(cpu, VR(d->rt), r);
	return d + 1;
}

static unsigned __int128 clmul(uint64_t a, uint64_t b)
{
	unsigned __int128 r = 0;

	for (unsigned i = 0; i < 64; i++)
		if (b & (1ull << i))
			r ^= (unsigned __int128)a << i;
	return r;
}

/* vpmsum[bhwd]: XOR of the carry-less products of adjacent element pairs */
#define VPMSUM(name, F, n, DF)                                                                  \
	H(op_##name)                                                                            \
	{                                                                                       \
		vec128 a, b, r;                                                                 \
                                                                                                \
		VMX_CHECK(cpu, d);                                                              \
		a = va_of(cpu, d);                                                              \
		b = vb_of(cpu, d);                                                              \
		for (unsigned i = 0; i < (n) / 2; i++)                                          \
			r.DF[i] = (__typeof__(r.DF[0]))(clmul(a.F[2 * i], b.F[2 * i]) ^         \
							clmul(a.F[2 * i + 1], b.F[2 * i + 1])); \
		vsr_set(cpu, VR(d->rt), r);                                                     \
		return d + 1;                                                                   \
	}

VPMSUM(vpmsumb, b, 16, h)
VPMSUM(vpmsumh, h, 8, w)
VPMSUM(vpmsumw, w, 4, d)

H(op_vpmsumd)
{
	vec128 a, b, r;

	VMX_CHECK(cpu, d);
	a = va_of(cpu, d);
	b = vb_of(cpu, d);
	r.q = clmul(a.d[0], b.d[0]) ^ clmul(a.d[1], b.d[1]);
	vsr_set(cpu, VR(d->rt), r);
	return d + 1;
}

/* ---- AES (ISA 2.07 6.11.1) ----------------------------------------- */

static uint8_t aes_sbox[256], aes_isbox[256];

static uint8_t gf_mul(uint8_t a, uint8_t b)
{
	uint8_t p = 0;

	while (b) {
		if (b & 1)
			p ^= a;
		a = (uint8_t)((a << 1) ^ ((a & 0x80) ? 0x1b : 0));
		b >>= 1;
	}
	return p;
}

static void aes_init(void)
{
	/* S-box from the multiplicative inverse and the affine transform */
	for (unsigned x = 0; x < 256; x++) {
		uint8_t inv = 0, s;

		for (unsigned y = 1; y < 256 && x; y++)
			if (gf_mul((uint8_t)x, (uint8_t)y) == 1) {
				inv = (uint8_t)y;
				break;
			}
		s = inv;
		for (unsigned k = 1; k < 5; k++)
			s ^= (uint8_t)((inv << k) | (inv >> (8 - k)));
		s ^= 0x63;
		aes_sbox[x] = s;
		aes_isbox[s] = (uint8_t)x;
	}
}

/* state byte i = ISA byte i; AES column c is bytes 4c..4c+3 */
static void aes_subshift(vec128 *s, bool inv)
{
	vec128 t = *s;

	for (unsigned c = 0; c < 4; c++)
		for (unsigned r = 0; r < 4; r++) {
			unsigned src = inv ? 4 * ((c + 4 - r) % 4) + r : 4 * ((c + r) % 4) + r;
			uint8_t v = VB(t, src);

			VB(*s, 4 * c + r) = inv ? aes_isbox[v] : aes_sbox[v];
		}
}

static void aes_mix(vec128 *s, bool inv)
{
	static const uint8_t fwd[4] = { 2, 3, 1, 1 }, bwd[4] = { 14, 11, 13, 9 };
	const uint8_t *m = inv ? bwd : fwd;
	vec128 t = *s;

	for (unsigned c = 0; c < 4; c++)
		for (unsigned r = 0; r < 4; r++) {
			uint8_t v = 0;

			for (unsigned k = 0; k < 4; k++)
				v ^= gf_mul(VB(t, 4 * c + k), m[(k + 4 - r) % 4]);
			VB(*s, 4 * c + r) = v;
		}
}

static const struct dinsn *vmx_aes(struct ppc_cpu *cpu, const struct dinsn *d, bool inv, bool last)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	vec128 s, k;

	VMX_CHECK(cpu, d);
	pthread_once(&once, aes_init);
	s = va_of(cpu, d);
	k = vb_of(cpu, d);
	aes_subshift(&s, inv);
	if (!inv) {
		if (!last)
			aes_mix(&s, false);
		s.q ^= k.q;
	} else {
		/* vncipher: InvShiftRows, InvSubBytes, AddRoundKey, InvMix */
		s.q ^= k.q;
		if (!last)
			aes_mix(&s, true);
	}
	vsr_set(cpu, VR(d->rt), s);
	return d + 1;
}

H(op_vcipher)
{
	return vmx_aes(cpu, d, false, false);
}
H(op_vcipherlast)
{
	return vmx_aes(cpu, d, false, true);
}
H(op_vncipher)
{
	return vmx_aes(cpu, d, true, false);
}
H(op_vncipherlast)
{
	return vmx_aes(cpu, d, true, true);
}

H(op_vsbox)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	vec128 s;

	VMX_CHECK(cpu, d);
	pthread_once(&once, aes_init);
	s = va_of(cpu, d);
	for (unsigned i = 0; i < 16; i++)
		s.b[i] = aes_sbox[s.b[i]];
	vsr_set(cpu, VR(d->rt), s);
	return d + 1;
}

/* vshasigmaw / vshasigmad (ISA 2.07 6.11.2): ST = bit 16, SIX = 17:20 */
static inline uint32_t ror32(uint32_t x, unsigned n)
{
	return (x >> n) | (x << (32 - n));
}

static inline uint64_t ror64(uint64_t x, unsigned n)
{
	return (x >> n) | (x << (64 - n));
}

H(op_vshasigmaw)
{
	unsigned st = (d->raw >> 15) & 1, six = (d->raw >> 11) & 15;
	vec128 a, r;

	VMX_CHECK(cpu, d);
	a = va_of(cpu, d);
	for (unsigned i = 0; i < 4; i++) {
		uint32_t x = VW(a, i);
		bool f = (six >> (3 - i)) & 1;

		if (!st)
			VW(r, i) = !f ? ror32(x, 7) ^ ror32(x, 18) ^ (x >> 3)
				      : ror32(x, 17) ^ ror32(x, 19) ^ (x >> 10);
		else
			VW(r, i) = !f ? ror32(x, 2) ^ ror32(x, 13) ^ ror32(x, 22)
				      : ror32(x, 6) ^ ror32(x, 11) ^ ror32(x, 25);
	}
	vsr_set(cpu, VR(d->rt), r);
	return d + 1;
}

H(op_vshasigmad)
{
	unsigned st = (d->raw >> 15) & 1, six = (d->raw >> 11) & 15;
	vec128 a, r;

	VMX_CHECK(cpu, d);
	a = va_of(cpu, d);
	for (unsigned i = 0; i < 2; i++) {
		uint64_t x = VD(a, i);
		bool f = (six >> (3 - 2 * i)) & 1;

		if (!st)
			VD(r, i) = !f ? ror64(x, 1) ^ ror64(x, 8) ^ (x >> 7)
				      : ror64(x, 19) ^ ror64(x, 61) ^ (x >> 6);
		else
			VD(r, i) = !f ? ror64(x, 28) ^ ror64(x, 34) ^ ror64(x, 39)
				      : ror64(x, 14) ^ ror64(x, 18) ^ ror64(x, 41);
	}
	vsr_set(cpu, VR(d->rt), r);
	return d + 1;
}

/* ---- Registration -------------------------------------------------- */

void insn_vmx_register(void)
{
	static const struct {
		unsigned xo;
		insn_fn fn;
	} vx[] = {
#define E(xo, name) { xo, op_##name }
		E(0, vaddubm),	      E(64, vadduhm),	   E(128, vadduwm),
		E(192, vaddudm),      E(256, vadduqm),	   E(384, vaddcuw),
		E(320, vaddcuq),      E(512, vaddubs),	   E(576, vadduhs),
		E(640, vadduws),      E(768, vaddsbs),	   E(832, vaddshs),
		E(896, vaddsws),      E(1024, vsububm),	   E(1088, vsubuhm),
		E(1152, vsubuwm),     E(1216, vsubudm),	   E(1280, vsubuqm),
		E(1408, vsubcuw),     E(1344, vsubcuq),	   E(1536, vsububs),
		E(1600, vsubuhs),     E(1664, vsubuws),	   E(1792, vsubsbs),
		E(1856, vsubshs),     E(1920, vsubsws),	   E(2, vmaxub),
		E(66, vmaxuh),	      E(130, vmaxuw),	   E(194, vmaxud),
		E(258, vmaxsb),	      E(322, vmaxsh),	   E(386, vmaxsw),
		E(450, vmaxsd),	      E(514, vminub),	   E(578, vminuh),
		E(642, vminuw),	      E(706, vminud),	   E(770, vminsb),
		E(834, vminsh),	      E(898, vminsw),	   E(962, vminsd),
		E(1026, vavgub),      E(1090, vavguh),	   E(1154, vavguw),
		E(1282, vavgsb),      E(1346, vavgsh),	   E(1410, vavgsw),
		E(4, vrlb),	      E(68, vrlh),	   E(132, vrlw),
		E(196, vrld),	      E(260, vslb),	   E(324, vslh),
		E(388, vslw),	      E(452, vsl),	   E(1476, vsld),
		E(516, vsrb),	      E(580, vsrh),	   E(644, vsrw),
		E(708, vsr),	      E(1732, vsrd),	   E(772, vsrab),
		E(836, vsrah),	      E(900, vsraw),	   E(964, vsrad),
		E(1036, vslo),	      E(1100, vsro),	   E(1028, vand),
		E(1092, vandc),	      E(1156, vor),	   E(1220, vxor),
		E(1284, vnor),	      E(1348, vorc),	   E(1412, vnand),
		E(1668, veqv),	      E(8, vmuloub),	   E(72, vmulouh),
		E(136, vmulouw),      E(264, vmulosb),	   E(328, vmulosh),
		E(392, vmulosw),      E(520, vmuleub),	   E(584, vmuleuh),
		E(648, vmuleuw),      E(776, vmulesb),	   E(840, vmulesh),
		E(904, vmulesw),      E(137, vmuluwm),	   E(12, vmrghb),
		E(76, vmrghh),	      E(140, vmrghw),	   E(268, vmrglb),
		E(332, vmrglh),	      E(396, vmrglw),	   E(1932, vmrgew),
		E(1676, vmrgow),      E(524, vspltb),	   E(588, vsplth),
		E(652, vspltw),	      E(780, vspltisb),	   E(844, vspltish),
		E(908, vspltisw),     E(14, vpkuhum),	   E(78, vpkuwum),
		E(142, vpkuhus),      E(206, vpkuwus),	   E(270, vpkshus),
		E(334, vpkswus),      E(398, vpkshss),	   E(462, vpkswss),
		E(1102, vpkudum),     E(1230, vpkudus),	   E(1358, vpksdus),
		E(1486, vpksdss),     E(782, vpkpx),	   E(526, vupkhsb),
		E(590, vupkhsh),      E(654, vupklsb),	   E(718, vupklsh),
		E(846, vupkhpx),      E(974, vupklpx),	   E(1614, vupkhsw),
		E(1742, vupklsw),     E(1544, vsum4ubs),   E(1800, vsum4sbs),
		E(1608, vsum4shs),    E(1672, vsum2sws),   E(1928, vsumsws),
		E(1540, mfvscr),      E(1604, mtvscr),	   E(10, vaddfp),
		E(74, vsubfp),	      E(266, vrefp),	   E(330, vrsqrtefp),
		E(394, vexptefp),     E(458, vlogefp),	   E(522, vrfin),
		E(586, vrfiz),	      E(650, vrfip),	   E(714, vrfim),
		E(778, vcfux),	      E(842, vcfsx),	   E(906, vctuxs),
		E(970, vctsxs),	      E(1034, vmaxfp),	   E(1098, vminfp),
		E(1795, vpopcntb),    E(1859, vpopcnth),   E(1923, vpopcntw),
		E(1987, vpopcntd),    E(1794, vclzb),	   E(1858, vclzh),
		E(1922, vclzw),	      E(1986, vclzd),	   E(1356, vbpermq),
		E(1292, vgbbd),	      E(1032, vpmsumb),	   E(1096, vpmsumh),
		E(1160, vpmsumw),     E(1224, vpmsumd),	   E(1288, vcipher),
		E(1289, vcipherlast), E(1352, vncipher),   E(1353, vncipherlast),
		E(1480, vsbox),	      E(1666, vshasigmaw), E(1730, vshasigmad),
	};
	static const struct {
		unsigned xo;
		insn_fn fn, fn_rc;
	} vc[] = {
#define C(xo, name) { xo, op_##name, op_##name##_rc }
		C(6, vcmpequb),	  C(70, vcmpequh),  C(134, vcmpequw), C(199, vcmpequd),
		C(518, vcmpgtub), C(582, vcmpgtuh), C(646, vcmpgtuw), C(711, vcmpgtud),
		C(774, vcmpgtsb), C(838, vcmpgtsh), C(902, vcmpgtsw), C(967, vcmpgtsd),
		C(198, vcmpeqfp), C(454, vcmpgefp), C(710, vcmpgtfp), C(966, vcmpbfp),
	};
	static const struct {
		unsigned xo;
		insn_fn fn;
	} va[] = {
		E(32, vmhaddshs), E(33, vmhraddshs), E(34, vmladduhm), E(36, vmsumubm),
		E(37, vmsummbm),  E(38, vmsumuhm),   E(39, vmsumuhs),  E(40, vmsumshm),
		E(41, vmsumshs),  E(42, vsel),	     E(43, vperm),     E(44, vsldoi),
		E(45, vpermxor),  E(46, vmaddfp),    E(47, vnmsubfp),  E(60, vaddeuqm),
		E(61, vaddecuq),  E(62, vsubeuqm),   E(63, vsubecuq),
	};
	static const struct {
		unsigned xo;
		insn_fn fn;
	} x31[] = {
		E(6, lvsl),   E(38, lvsr),  E(7, lvebx),     E(39, lvehx),    E(71, lvewx),
		E(103, lvx),  E(359, lvx),  E(135, stvebx),  E(167, stvehx),  E(199, stvewx),
		E(231, stvx), E(487, stvx), E(342, vmx_nop), E(374, vmx_nop), E(822, vmx_nop),
	};
#undef E
#undef C

	for (unsigned i = 0; i < sizeof(vx) / sizeof(vx[0]); i++)
		decode_register(4, (int)vx[i].xo, FORM_X, vx[i].fn, NULL);
	for (unsigned i = 0; i < sizeof(vc) / sizeof(vc[0]); i++) {
		decode_register(4, (int)vc[i].xo, FORM_X, vc[i].fn, NULL);
		decode_register(4, (int)(vc[i].xo | 0x400), FORM_X, vc[i].fn_rc, NULL);
	}
	for (unsigned i = 0; i < sizeof(va) / sizeof(va[0]); i++)
		for (unsigned c = 0; c < 32; c++)
			decode_register(4, (int)((c << 6) | va[i].xo), FORM_X, va[i].fn, NULL);
	for (unsigned i = 0; i < sizeof(x31) / sizeof(x31[0]); i++)
		decode_register(31, (int)x31[i].xo, FORM_X, x31[i].fn, NULL);
}
