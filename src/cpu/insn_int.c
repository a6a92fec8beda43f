/* SPDX-License-Identifier: MIT */
/*
 * Fixed-point computational instructions (Power ISA 2.07 Book I 3.3.8 to
 * 3.3.13, 3.3.16): arithmetic, compare, trap, logical, population count,
 * parity, BCD assist, isel.
 *
 * Results are computed on the 64-bit registers in both modes. XER: CA32 and
 * OV32 are tracked as ISA 3.0 defines them (carry out of / signed overflow
 * of the low word). With MSR[SF]=0, CA is the carry out of bit 32 and OV the
 * 32-bit overflow for the add/subtract class (ISA 2.07 3.3.9).
 *
 * Every handler variant (OE, Rc) is a separate function, generated from one
 * always-inline body with constant flags, so nothing tests the instruction
 * word at run time.
 */
#include "cpu/cpu.h"

#define INLINE static inline __attribute__((always_inline))

#define H(name) static const struct dinsn *name(struct ppc_cpu *cpu, const struct dinsn *d)

/* ---- XER helpers --------------------------------------------------- */

static inline bool mode64(const struct ppc_cpu *cpu)
{
	return (cpu->msr & MSR_SF) != 0;
}

/*
 * r = a + b + cin: the carry out of each bit is maj(a, b, cin_bit), i.e.
 * (a & b) | ((a | b) & ~r); bit 63 is CA, bit 31 is CA32 (ISA bit 32).
 */
INLINE void set_ca_add(struct ppc_cpu *cpu, uint64_t a, uint64_t b, uint64_t r)
{
	uint64_t c = (a & b) | ((a | b) & ~r);
	uint8_t ca32 = (c >> 31) & 1;

	cpu->xer_ca32 = ca32;
	cpu->xer_ca = mode64(cpu) ? (uint8_t)(c >> 63) : ca32;
}

/* Signed overflow of r = a + b + cin: the operands agree, the result not */
INLINE void set_ov_add(struct ppc_cpu *cpu, uint64_t a, uint64_t b, uint64_t r)
{
	uint64_t v = (a ^ r) & (b ^ r);
	uint8_t ov32 = (v >> 31) & 1;
	uint8_t ov = mode64(cpu) ? (uint8_t)(v >> 63) : ov32;

	cpu->xer_ov32 = ov32;
	cpu->xer_ov = ov;
	cpu->xer_so |= ov;
}

/* Multiply/divide OE=1: OV and OV32 both from the instruction's rule */
INLINE void set_ov(struct ppc_cpu *cpu, bool ov)
{
	cpu->xer_ov = ov;
	cpu->xer_ov32 = ov;
	cpu->xer_so |= ov;
}

/* ---- Add / subtract (XO form: four variants each) ------------------ */

/* Generate op_<name>, op_<name>_rc, op_<name>o, op_<name>o_rc */
#define XO_VARIANTS(name)                               \
	H(op_##name)                                    \
	{                                               \
		return do_##name(cpu, d, false, false); \
	}                                               \
	H(op_##name##_rc)                               \
	{                                               \
		return do_##name(cpu, d, false, true);  \
	}                                               \
	H(op_##name##o)                                 \
	{                                               \
		return do_##name(cpu, d, true, false);  \
	}                                               \
	H(op_##name##o_rc)                              \
	{                                               \
		return do_##name(cpu, d, true, true);   \
	}

/*
 * One body for the whole add family: r = a + b + cin, where the callers
 * pass ~RA for the subtract-from forms (ISA: RT = ~(RA) + (RB) + 1).
 */
INLINE const struct dinsn *arith(struct ppc_cpu *cpu, const struct dinsn *d, uint64_t a, uint64_t b,
				 uint64_t cin, bool ca, bool oe, bool rc)
{
	uint64_t r = a + b + cin;

	if (ca)
		set_ca_add(cpu, a, b, r);
	if (oe)
		set_ov_add(cpu, a, b, r);
	cpu->gpr[d->rt] = r;
	if (rc)
		set_cr0(cpu, r);
	return insn_next(cpu, d);
}

#define G(x) (cpu->gpr[d->x])

INLINE const struct dinsn *do_add(struct ppc_cpu *cpu, const struct dinsn *d, bool oe, bool rc)
{
	return arith(cpu, d, G(ra), G(rb), 0, false, oe, rc);
}

INLINE const struct dinsn *do_addc(struct ppc_cpu *cpu, const struct dinsn *d, bool oe, bool rc)
{
	return arith(cpu, d, G(ra), G(rb), 0, true, oe, rc);
}

INLINE const struct dinsn *do_adde(struct ppc_cpu *cpu, const struct dinsn *d, bool oe, bool rc)
{
	return arith(cpu, d, G(ra), G(rb), cpu->xer_ca, true, oe, rc);
}

INLINE const struct dinsn *do_addme(struct ppc_cpu *cpu, const struct dinsn *d, bool oe, bool rc)
{
	return arith(cpu, d, G(ra), ~0ull, cpu->xer_ca, true, oe, rc);
}

INLINE const struct dinsn *do_addze(struct ppc_cpu *cpu, const struct dinsn *d, bool oe, bool rc)
{
	return arith(cpu, d, G(ra), 0, cpu->xer_ca, true, oe, rc);
}

INLINE const struct dinsn *do_subf(struct ppc_cpu *cpu, const struct dinsn *d, bool oe, bool rc)
{
	return arith(cpu, d, ~G(ra), G(rb), 1, false, oe, rc);
}

INLINE const struct dinsn *do_subfc(struct ppc_cpu *cpu, const struct dinsn *d, bool oe, bool rc)
{
	return arith(cpu, d, ~G(ra), G(rb), 1, true, oe, rc);
}

INLINE const struct dinsn *do_subfe(struct ppc_cpu *cpu, const struct dinsn *d, bool oe, bool rc)
{
	return arith(cpu, d, ~G(ra), G(rb), cpu->xer_ca, true, oe, rc);
}

INLINE const struct dinsn *do_subfme(struct ppc_cpu *cpu, const struct dinsn *d, bool oe, bool rc)
{
	return arith(cpu, d, ~G(ra), ~0ull, cpu->xer_ca, true, oe, rc);
}

INLINE const struct dinsn *do_subfze(struct ppc_cpu *cpu, const struct dinsn *d, bool oe, bool rc)
{
	return arith(cpu, d, ~G(ra), 0, cpu->xer_ca, true, oe, rc);
}

/* neg: ~RA + 1; OV when RA is the most negative number (per mode) */
INLINE const struct dinsn *do_neg(struct ppc_cpu *cpu, const struct dinsn *d, bool oe, bool rc)
{
	return arith(cpu, d, ~G(ra), 0, 1, false, oe, rc);
}

XO_VARIANTS(add)
XO_VARIANTS(addc)
XO_VARIANTS(adde)
XO_VARIANTS(addme)
XO_VARIANTS(addze)
XO_VARIANTS(subf)
XO_VARIANTS(subfc)
XO_VARIANTS(subfe)
XO_VARIANTS(subfme)
XO_VARIANTS(subfze)
XO_VARIANTS(neg)

/* ---- D-form arithmetic --------------------------------------------- */

H(op_addi)
{
	cpu->gpr[d->rt] = (d->ra ? G(ra) : 0) + (uint64_t)d->imm;
	return insn_next(cpu, d);
}

H(op_addis)
{
	cpu->gpr[d->rt] = (d->ra ? G(ra) : 0) + ((uint64_t)d->imm << 16);
	return insn_next(cpu, d);
}

H(op_addic)
{
	return arith(cpu, d, G(ra), (uint64_t)d->imm, 0, true, false, false);
}

H(op_addic_rc)
{
	return arith(cpu, d, G(ra), (uint64_t)d->imm, 0, true, false, true);
}

H(op_subfic)
{
	return arith(cpu, d, ~G(ra), (uint64_t)d->imm, 1, true, false, false);
}

H(op_mulli)
{
	cpu->gpr[d->rt] = G(ra) * (uint64_t)d->imm;
	return insn_next(cpu, d);
}

/* ---- Multiply ------------------------------------------------------ */

/* The 64-bit product of the signed low words (ISA 3.3.9 mullw) */
INLINE const struct dinsn *do_mullw(struct ppc_cpu *cpu, const struct dinsn *d, bool oe, bool rc)
{
	int64_t p = (int64_t)(int32_t)G(ra) * (int32_t)G(rb);

	if (oe)
		set_ov(cpu, p != (int32_t)p);
	cpu->gpr[d->rt] = (uint64_t)p;
	if (rc)
		set_cr0(cpu, (uint64_t)p);
	return insn_next(cpu, d);
}

/* OV and OV32 both mean "the product does not fit in 64 bits", as in QEMU */
INLINE const struct dinsn *do_mulld(struct ppc_cpu *cpu, const struct dinsn *d, bool oe, bool rc)
{
	int64_t p;
	bool ov = __builtin_mul_overflow((int64_t)G(ra), (int64_t)G(rb), &p);

	if (oe)
		set_ov(cpu, ov);
	cpu->gpr[d->rt] = (uint64_t)p;
	if (rc)
		set_cr0(cpu, (uint64_t)p);
	return insn_next(cpu, d);
}

XO_VARIANTS(mullw)
XO_VARIANTS(mulld)

/* mulhw[u]: RT[0:31] is undefined; zero, as QEMU (power9) produces */
H(op_mulhw)
{
	int64_t p = (int64_t)(int32_t)G(ra) * (int32_t)G(rb);

	cpu->gpr[d->rt] = (uint32_t)((uint64_t)p >> 32);
	return d + 1;
}

H(op_mulhw_rc)
{
	op_mulhw(cpu, d);
	set_cr0(cpu, G(rt));
	return d + 1;
}

H(op_mulhwu)
{
	uint64_t p = (uint64_t)(uint32_t)G(ra) * (uint32_t)G(rb);

	cpu->gpr[d->rt] = p >> 32;
	return d + 1;
}

H(op_mulhwu_rc)
{
	op_mulhwu(cpu, d);
	set_cr0(cpu, G(rt));
	return d + 1;
}

H(op_mulhd)
{
	__int128 p = (__int128)(int64_t)G(ra) * (int64_t)G(rb);

	cpu->gpr[d->rt] = (uint64_t)(p >> 64);
	return d + 1;
}

H(op_mulhd_rc)
{
	op_mulhd(cpu, d);
	set_cr0(cpu, G(rt));
	return d + 1;
}

H(op_mulhdu)
{
	unsigned __int128 p = (unsigned __int128)G(ra) * G(rb);

	cpu->gpr[d->rt] = (uint64_t)(p >> 64);
	return d + 1;
}

H(op_mulhdu_rc)
{
	op_mulhdu(cpu, d);
	set_cr0(cpu, G(rt));
	return d + 1;
}

/* ---- Divide -------------------------------------------------------- */

/*
 * Division by zero and the signed INT_MIN / -1 case leave RT undefined
 * (ISA 3.3.9); so do RT[0:31] of the word forms. We produce what QEMU
 * (qemu-ppc64le -cpu power9) produces: divw/divwu/divd/divdu return the
 * dividend (its low word zero-extended for the word forms, RT[0:31] = 0 for
 * every word result), divwe/divweu/divde/divdeu return 0. divwe's result
 * is sign-extended, divweu's zero-extended, as in QEMU.
 */
INLINE const struct dinsn *div_done(struct ppc_cpu *cpu, const struct dinsn *d, uint64_t r, bool ov,
				    bool oe, bool rc)
{
	if (oe)
		set_ov(cpu, ov);
	cpu->gpr[d->rt] = r;
	if (rc)
		set_cr0(cpu, r);
	return d + 1;
}

INLINE const struct dinsn *do_divw(struct ppc_cpu *cpu, const struct dinsn *d, bool oe, bool rc)
{
	int32_t a = (int32_t)G(ra), b = (int32_t)G(rb);
	bool ov = b == 0 || (a == INT32_MIN && b == -1);

	return div_done(cpu, d, (uint32_t)(ov ? a : a / b), ov, oe, rc);
}

INLINE const struct dinsn *do_divwu(struct ppc_cpu *cpu, const struct dinsn *d, bool oe, bool rc)
{
	uint32_t a = (uint32_t)G(ra), b = (uint32_t)G(rb);
	bool ov = b == 0;

	return div_done(cpu, d, ov ? a : a / b, ov, oe, rc);
}

INLINE const struct dinsn *do_divd(struct ppc_cpu *cpu, const struct dinsn *d, bool oe, bool rc)
{
	int64_t a = (int64_t)G(ra), b = (int64_t)G(rb);
	bool ov = b == 0 || (a == INT64_MIN && b == -1);

	return div_done(cpu, d, (uint64_t)(ov ? a : a / b), ov, oe, rc);
}

INLINE const struct dinsn *do_divdu(struct ppc_cpu *cpu, const struct dinsn *d, bool oe, bool rc)
{
	uint64_t a = G(ra), b = G(rb);
	bool ov = b == 0;

	return div_done(cpu, d, ov ? a : a / b, ov, oe, rc);
}

/* divwe: (RA[32:63] || 0x00000000) / RB[32:63], quotient must fit 32 bits */
INLINE const struct dinsn *do_divwe(struct ppc_cpu *cpu, const struct dinsn *d, bool oe, bool rc)
{
	int64_t a = (int64_t)((uint64_t)(uint32_t)G(ra) << 32);
	int64_t b = (int32_t)G(rb);
	int64_t q = 0;
	bool ov;

	/* b == -1 is handled apart: INT64_MIN / -1 would trap on the host */
	if (b == 0 || b == -1) {
		ov = a != 0 || b == 0;
	} else {
		q = a / b;
		ov = q != (int32_t)q;
	}
	return div_done(cpu, d, ov ? 0 : (uint64_t)q, ov, oe, rc);
}

INLINE const struct dinsn *do_divweu(struct ppc_cpu *cpu, const struct dinsn *d, bool oe, bool rc)
{
	uint32_t a = (uint32_t)G(ra), b = (uint32_t)G(rb);
	bool ov = a >= b; /* includes b == 0 */

	return div_done(cpu, d, ov ? 0 : ((uint64_t)a << 32) / b, ov, oe, rc);
}

INLINE const struct dinsn *do_divde(struct ppc_cpu *cpu, const struct dinsn *d, bool oe, bool rc)
{
	__int128 a = (__int128)((unsigned __int128)G(ra) << 64);
	int64_t b = (int64_t)G(rb);
	__int128 q = 0;
	bool ov;

	if (b == 0 || b == -1) {
		ov = a != 0 || b == 0;
	} else {
		q = a / b;
		ov = q != (int64_t)q;
	}
	return div_done(cpu, d, ov ? 0 : (uint64_t)q, ov, oe, rc);
}

INLINE const struct dinsn *do_divdeu(struct ppc_cpu *cpu, const struct dinsn *d, bool oe, bool rc)
{
	uint64_t a = G(ra), b = G(rb);
	bool ov = a >= b;

	return div_done(cpu, d, ov ? 0 : (uint64_t)(((unsigned __int128)a << 64) / b), ov, oe, rc);
}

XO_VARIANTS(divw)
XO_VARIANTS(divwu)
XO_VARIANTS(divd)
XO_VARIANTS(divdu)
XO_VARIANTS(divwe)
XO_VARIANTS(divweu)
XO_VARIANTS(divde)
XO_VARIANTS(divdeu)

/* ---- Compare ------------------------------------------------------- */

INLINE unsigned cmp_s(const struct ppc_cpu *cpu, int64_t a, int64_t b)
{
	return (a < b ? 8 : a > b ? 4 : 2) | cpu->xer_so;
}

INLINE unsigned cmp_u(const struct ppc_cpu *cpu, uint64_t a, uint64_t b)
{
	return (a < b ? 8 : a > b ? 4 : 2) | cpu->xer_so;
}

/* L (bit 10, rt & 1) selects 64-bit operands in either mode (ISA 3.3.10) */
H(op_cmp)
{
	int64_t a = (int64_t)G(ra), b = (int64_t)G(rb);

	if (!(d->rt & 1)) {
		a = (int32_t)a;
		b = (int32_t)b;
	}
	cr_set_field(cpu, d->rt >> 2, cmp_s(cpu, a, b));
	return insn_next(cpu, d);
}

H(op_cmpl)
{
	uint64_t a = G(ra), b = G(rb);

	if (!(d->rt & 1)) {
		a = (uint32_t)a;
		b = (uint32_t)b;
	}
	cr_set_field(cpu, d->rt >> 2, cmp_u(cpu, a, b));
	return insn_next(cpu, d);
}

H(op_cmpi)
{
	int64_t a = (int64_t)G(ra);

	if (!(d->rt & 1))
		a = (int32_t)a;
	cr_set_field(cpu, d->rt >> 2, cmp_s(cpu, a, d->imm));
	return insn_next(cpu, d);
}

/* cmpli: imm is the zero-extended UI (FORM_DU) */
H(op_cmpli)
{
	uint64_t a = G(ra);

	if (!(d->rt & 1))
		a = (uint32_t)a;
	cr_set_field(cpu, d->rt >> 2, cmp_u(cpu, a, (uint64_t)d->imm));
	return insn_next(cpu, d);
}

/* ---- Trap ---------------------------------------------------------- */

/* TO bits (rt field): 16 lt, 8 gt, 4 eq, 2 ltu, 1 gtu (ISA 3.3.11) */
INLINE bool trap_cond(unsigned to, int64_t a, int64_t b)
{
	return ((to & 16) && a < b) || ((to & 8) && a > b) || ((to & 4) && a == b) ||
	       ((to & 2) && (uint64_t)a < (uint64_t)b) || ((to & 1) && (uint64_t)a > (uint64_t)b);
}

H(op_tw)
{
	if (unlikely(trap_cond(d->rt, (int32_t)G(ra), (int32_t)G(rb))))
		return cpu_program(cpu, d, SRR1_PROGTRAP);
	return d + 1;
}

H(op_twi)
{
	if (unlikely(trap_cond(d->rt, (int32_t)G(ra), (int32_t)d->imm)))
		return cpu_program(cpu, d, SRR1_PROGTRAP);
	return d + 1;
}

H(op_td)
{
	if (unlikely(trap_cond(d->rt, (int64_t)G(ra), (int64_t)G(rb))))
		return cpu_program(cpu, d, SRR1_PROGTRAP);
	return d + 1;
}

H(op_tdi)
{
	if (unlikely(trap_cond(d->rt, (int64_t)G(ra), d->imm)))
		return cpu_program(cpu, d, SRR1_PROGTRAP);
	return d + 1;
}

/* ---- Logical (X form: RA = RS op RB; RS is the rt field) ------------ */

#define LOGIC(name, expr)                                  \
	H(op_##name)                                       \
	{                                                  \
		uint64_t s = G(rt), b = G(rb);             \
		cpu->gpr[d->ra] = (expr);                  \
		return insn_next(cpu, d);                  \
	}                                                  \
	H(op_##name##_rc)                                  \
	{                                                  \
		uint64_t s = G(rt), b = G(rb), r = (expr); \
		cpu->gpr[d->ra] = r;                       \
		set_cr0(cpu, r);                           \
		return insn_next(cpu, d);                  \
	}

LOGIC(and, s &b)
LOGIC(andc, s & ~b)
LOGIC(or, s | b)

/*
 * or Rx,Rx,Rx priority hints (ISA 2.07 Book II 3.2): set PPR[PRI] (bits
 * 11:13). Problem state may only pick very low to medium; medium high and
 * high need privilege; very high (or 7,7,7) is the hypervisor's: no-op.
 */
#define PPR_PRI_SHIFT 50
#define PPR_PRI_MASK  (7ull << PPR_PRI_SHIFT)

static const struct dinsn *op_or_prio(struct ppc_cpu *cpu, const struct dinsn *d)
{
	unsigned pri;

	switch (d->rt) {
	case 31:
		pri = 1;
		break;
	case 1:
		pri = 2;
		break;
	case 6:
		pri = 3;
		break;
	case 2:
		pri = 4;
		break;
	case 5:
		pri = cpu->pr ? 0 : 5;
		break;
	case 3:
		pri = cpu->pr ? 0 : 6;
		break;
	default:
		pri = 0;
		break;
	}
	if (pri)
		cpu->spr[SPR_PPR] =
			(cpu->spr[SPR_PPR] & ~PPR_PRI_MASK) | ((uint64_t)pri << PPR_PRI_SHIFT);
	return d + 1;
}

/* or: the priority hints above, else the plain (hot) move/or handlers */
static insn_fn select_or(const struct dinsn *d)
{
	if (INSN_RCBIT(d->raw))
		return op_or_rc;
	if (d->rt == d->ra && d->ra == d->rb &&
	    (d->rt == 1 || d->rt == 2 || d->rt == 3 || d->rt == 5 || d->rt == 6 || d->rt == 31))
		return op_or_prio;
	return op_or;
}

LOGIC(orc, s | ~b)
LOGIC(xor, s ^ b)
LOGIC(nand, ~(s &b))
LOGIC(nor, ~(s | b))
LOGIC(eqv, ~(s ^ b))

/* Unary X-form: RA = f(RS) */
#define UNARY(name, expr)                       \
	H(op_##name)                            \
	{                                       \
		uint64_t s = G(rt);             \
		cpu->gpr[d->ra] = (expr);       \
		return insn_next(cpu, d);       \
	}                                       \
	H(op_##name##_rc)                       \
	{                                       \
		uint64_t s = G(rt), r = (expr); \
		cpu->gpr[d->ra] = r;            \
		set_cr0(cpu, r);                \
		return insn_next(cpu, d);       \
	}

UNARY(extsb, (uint64_t)(int64_t)(int8_t)s)
UNARY(extsh, (uint64_t)(int64_t)(int16_t)s)
UNARY(extsw, (uint64_t)(int64_t)(int32_t)s)
UNARY(cntlzw, (uint32_t)s ? (uint64_t)__builtin_clz((uint32_t)s) : 32)
UNARY(cntlzd, s ? (uint64_t)__builtin_clzll(s) : 64)

/* D-form logical: andi./andis. always set CR0 (FORM_DU: imm = UI) */
H(op_andi_rc)
{
	uint64_t r = G(rt) & (uint64_t)d->imm;

	cpu->gpr[d->ra] = r;
	set_cr0(cpu, r);
	return insn_next(cpu, d);
}

H(op_andis_rc)
{
	uint64_t r = G(rt) & ((uint64_t)d->imm << 16);

	cpu->gpr[d->ra] = r;
	set_cr0(cpu, r);
	return insn_next(cpu, d);
}

H(op_ori)
{
	cpu->gpr[d->ra] = G(rt) | (uint64_t)d->imm;
	return insn_next(cpu, d);
}

H(op_oris)
{
	cpu->gpr[d->ra] = G(rt) | ((uint64_t)d->imm << 16);
	return insn_next(cpu, d);
}

H(op_xori)
{
	cpu->gpr[d->ra] = G(rt) ^ (uint64_t)d->imm;
	return insn_next(cpu, d);
}

H(op_xoris)
{
	cpu->gpr[d->ra] = G(rt) ^ ((uint64_t)d->imm << 16);
	return insn_next(cpu, d);
}

/* ---- Population count, parity, cmpb, bpermd ------------------------- */

#define M1 0x5555555555555555ull
#define M2 0x3333333333333333ull
#define M4 0x0f0f0f0f0f0f0f0full
#define B1 0x0101010101010101ull

/* Bit count of each byte, in that byte */
static inline uint64_t popcnt_bytes(uint64_t x)
{
	x = x - ((x >> 1) & M1);
	x = (x & M2) + ((x >> 2) & M2);
	return (x + (x >> 4)) & M4;
}

H(op_popcntb)
{
	cpu->gpr[d->ra] = popcnt_bytes(G(rt));
	return d + 1;
}

H(op_popcntw)
{
	uint64_t s = G(rt);

	cpu->gpr[d->ra] = ((uint64_t)__builtin_popcount((uint32_t)(s >> 32)) << 32) |
			  (uint64_t)__builtin_popcount((uint32_t)s);
	return d + 1;
}

H(op_popcntd)
{
	cpu->gpr[d->ra] = (uint64_t)__builtin_popcountll(G(rt));
	return d + 1;
}

/* prtyw/prtyd: parity of the least significant bit of each byte */
H(op_prtyw)
{
	uint64_t x = G(rt) & B1;

	x ^= x >> 16;
	x ^= x >> 8;
	cpu->gpr[d->ra] = x & 0x0000000100000001ull;
	return d + 1;
}

H(op_prtyd)
{
	cpu->gpr[d->ra] = (uint64_t)__builtin_parityll(G(rt) & B1);
	return d + 1;
}

H(op_cmpb)
{
	uint64_t x = G(rt) ^ G(rb), r = 0;

	for (unsigned i = 0; i < 64; i += 8)
		if (!((x >> i) & 0xff))
			r |= 0xffull << i;
	cpu->gpr[d->ra] = r;
	return d + 1;
}

/* bpermd: byte i of RS selects bit RS.byte[i] of RB (IBM order), or 0 */
H(op_bpermd)
{
	uint64_t s = G(rt), b = G(rb), r = 0;

	for (unsigned i = 0; i < 8; i++) {
		unsigned idx = (s >> (56 - 8 * i)) & 0xff;

		if (idx < 64)
			r |= ((b >> (63 - idx)) & 1) << (7 - i);
	}
	cpu->gpr[d->ra] = r;
	return d + 1;
}

/* isel: RT = CR[BC] ? (RA|0) : RB; BC is the rc field (bits 21:25) */
H(op_isel)
{
	cpu->gpr[d->rt] = cr_bit(cpu, d->rc) ? (d->ra ? G(ra) : 0) : G(rb);
	return insn_next(cpu, d);
}

/* ---- Decimal assist (ISA 2.07 3.3.14) ------------------------------- */

/*
 * addg6s: RT nibble i = 6 if adding RA and RB produced no carry out of
 * nibble i, else 0. The carry into bit 4k is bit 4k of a ^ b ^ sum.
 */
H(op_addg6s)
{
	uint64_t a = G(ra), b = G(rb), s = a + b;
	uint64_t cout = ((a ^ b ^ s) >> 4) | ((uint64_t)(s < a) << 60);

	cpu->gpr[d->rt] = (~cout & 0x1111111111111111ull) * 6;
	return d + 1;
}

/* Densely packed decimal declet (10 bits) to three BCD digits (12 bits) */
static uint32_t dpd_to_bcd(uint32_t x)
{
	unsigned p = (x >> 7) & 7, s = (x >> 4) & 7, w = x & 7; /* pqr stu wxy */
	unsigned r = (x >> 7) & 1, u = (x >> 4) & 1, y = x & 1;
	unsigned pq = (x >> 8) & 3, st = (x >> 5) & 3, wx = (x >> 1) & 3;
	unsigned d2, d1, d0;

	if (!(x & 8))
		return (p << 8) | (s << 4) | w;
	switch (wx) {
	case 0:
		d2 = p, d1 = s, d0 = 8 | y;
		break;
	case 1:
		d2 = p, d1 = 8 | u, d0 = (st << 1) | y;
		break;
	case 2:
		d2 = 8 | r, d1 = s, d0 = (pq << 1) | y;
		break;
	default:
		switch (st) {
		case 0:
			d2 = 8 | r, d1 = 8 | u, d0 = (pq << 1) | y;
			break;
		case 1:
			d2 = 8 | r, d1 = (pq << 1) | u, d0 = 8 | y;
			break;
		case 2:
			d2 = p, d1 = 8 | u, d0 = 8 | y;
			break;
		default:
			d2 = 8 | r, d1 = 8 | u, d0 = 8 | y;
			break;
		}
	}
	return (d2 << 8) | (d1 << 4) | d0;
}

/*
 * Three BCD digits to a declet. Digits above 9 give an undefined result;
 * like QEMU we take the 8 bit of a digit as "large" and use its low 3 bits.
 */
static uint32_t bcd_to_dpd(uint32_t x)
{
	unsigned a = (x >> 11) & 1, e = (x >> 7) & 1, i = (x >> 3) & 1;
	unsigned bcd = (x >> 8) & 7, fgh = (x >> 4) & 7, jkm = x & 7;
	unsigned d = (x >> 8) & 1, h = (x >> 4) & 1, m = x & 1;
	unsigned fg = (x >> 5) & 3, jk = (x >> 1) & 3;

	switch ((a << 2) | (e << 1) | i) {
	case 0:
		return (bcd << 7) | (fgh << 4) | jkm;
	case 1:
		return (bcd << 7) | (fgh << 4) | 8 | m;
	case 2:
		return (bcd << 7) | (jk << 5) | (h << 4) | 0xa | m;
	case 4:
		return (jk << 8) | (d << 7) | (fgh << 4) | 0xc | m;
	case 6:
		return (jk << 8) | (d << 7) | (h << 4) | 0xe | m;
	case 5:
		return (fg << 8) | (d << 7) | (1 << 5) | (h << 4) | 0xe | m;
	case 3:
		return (bcd << 7) | (2 << 5) | (h << 4) | 0xe | m;
	default:
		return (d << 7) | (3 << 5) | (h << 4) | 0xe | m;
	}
}

/* cdtbcd: per word, two declets (bits 44:63 of the word pair) -> 6 digits */
static uint32_t cdtbcd_word(uint32_t w)
{
	return (dpd_to_bcd((w >> 10) & 0x3ff) << 12) | dpd_to_bcd(w & 0x3ff);
}

static uint32_t cbcdtd_word(uint32_t w)
{
	return (bcd_to_dpd((w >> 12) & 0xfff) << 10) | bcd_to_dpd(w & 0xfff);
}

H(op_cdtbcd)
{
	uint64_t s = G(rt);

	cpu->gpr[d->ra] =
		((uint64_t)cdtbcd_word((uint32_t)(s >> 32)) << 32) | cdtbcd_word((uint32_t)s);
	return d + 1;
}

H(op_cbcdtd)
{
	uint64_t s = G(rt);

	cpu->gpr[d->ra] =
		((uint64_t)cbcdtd_word((uint32_t)(s >> 32)) << 32) | cbcdtd_word((uint32_t)s);
	return d + 1;
}

/* ---- Registration --------------------------------------------------- */

/* XO form: extended opcode in bits 22:30, OE in bit 21 (0x200 in xo10) */
static void reg_xo(unsigned xo, insn_fn fn, insn_fn fn_rc, insn_fn fn_o, insn_fn fn_o_rc)
{
	decode_register(31, (int)xo, FORM_X, fn, fn_rc);
	decode_register(31, (int)(xo | 0x200), FORM_X, fn_o, fn_o_rc);
}

#define REG_XO(xo, name)  reg_xo(xo, op_##name, op_##name##_rc, op_##name##o, op_##name##o_rc)
#define REG_X(xo, name)	  decode_register(31, xo, FORM_X, op_##name, NULL)
#define REG_XRC(xo, name) decode_register(31, xo, FORM_X, op_##name, op_##name##_rc)

void insn_int_register(void)
{
	decode_register(2, -1, FORM_D, op_tdi, NULL);
	decode_register(3, -1, FORM_D, op_twi, NULL);
	decode_register(7, -1, FORM_D, op_mulli, NULL);
	decode_register(8, -1, FORM_D, op_subfic, NULL);
	decode_register(10, -1, FORM_DU, op_cmpli, NULL);
	decode_register(11, -1, FORM_D, op_cmpi, NULL);
	decode_register(12, -1, FORM_D, op_addic, NULL);
	decode_register(13, -1, FORM_D, op_addic_rc, NULL);
	decode_register(14, -1, FORM_D, op_addi, NULL);
	decode_register(15, -1, FORM_D, op_addis, NULL);
	decode_register(24, -1, FORM_DU, op_ori, NULL);
	decode_register(25, -1, FORM_DU, op_oris, NULL);
	decode_register(26, -1, FORM_DU, op_xori, NULL);
	decode_register(27, -1, FORM_DU, op_xoris, NULL);
	decode_register(28, -1, FORM_DU, op_andi_rc, NULL);
	decode_register(29, -1, FORM_DU, op_andis_rc, NULL);

	REG_XO(266, add);
	REG_XO(10, addc);
	REG_XO(138, adde);
	REG_XO(234, addme);
	REG_XO(202, addze);
	REG_XO(40, subf);
	REG_XO(8, subfc);
	REG_XO(136, subfe);
	REG_XO(232, subfme);
	REG_XO(200, subfze);
	REG_XO(104, neg);
	REG_XO(235, mullw);
	REG_XO(233, mulld);
	REG_XO(491, divw);
	REG_XO(459, divwu);
	REG_XO(489, divd);
	REG_XO(457, divdu);
	REG_XO(427, divwe);
	REG_XO(395, divweu);
	REG_XO(425, divde);
	REG_XO(393, divdeu);
	/* mulh*: bit 21 is reserved, not OE: leave xo | 0x200 undefined */
	REG_XRC(75, mulhw);
	REG_XRC(11, mulhwu);
	REG_XRC(73, mulhd);
	REG_XRC(9, mulhdu);

	REG_X(0, cmp);
	REG_X(32, cmpl);
	REG_X(4, tw);
	REG_X(68, td);

	REG_XRC(28, and);
	REG_XRC(60, andc);
	decode_register_select(31, 444, FORM_X, select_or);
	REG_XRC(412, orc);
	REG_XRC(316, xor);
	REG_XRC(476, nand);
	REG_XRC(124, nor);
	REG_XRC(284, eqv);
	REG_XRC(954, extsb);
	REG_XRC(922, extsh);
	REG_XRC(986, extsw);
	REG_XRC(26, cntlzw);
	REG_XRC(58, cntlzd);
	REG_X(122, popcntb);
	REG_X(378, popcntw);
	REG_X(506, popcntd);
	REG_X(154, prtyw);
	REG_X(186, prtyd);
	REG_X(508, cmpb);
	REG_X(252, bpermd);
	REG_X(74, addg6s);
	REG_X(282, cdtbcd);
	REG_X(314, cbcdtd);

	/* isel: A form, xo 15 in bits 26:30 under any BC in bits 21:25 */
	for (unsigned bc = 0; bc < 32; bc++)
		decode_register(31, (int)((bc << 5) | 15), FORM_X, op_isel, NULL);
}
