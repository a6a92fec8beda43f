/* SPDX-License-Identifier: MIT */
/*
 * Fixed-point rotate and shift instructions (Power ISA 2.07 Book I 3.3.14
 * and 3.3.15). Source register RS is the rt field, the target is RA.
 *
 * Word rotates rotate the low word duplicated into both halves (ROTL32 of
 * the ISA), so a mask that wraps (MB > ME) also selects high-word bits.
 * Algebraic shifts set CA (and CA32, as ISA 3.0 and QEMU do) when the
 * source is negative and 1 bits were shifted out.
 */
#include "cpu/cpu.h"

#define H(name) static const struct dinsn *name(struct ppc_cpu *cpu, const struct dinsn *d)

#define G(x) (cpu->gpr[d->x])

static inline uint64_t rotl64(uint64_t x, unsigned n)
{
	return (x << (n & 63)) | (x >> (-n & 63));
}

/* ROTL32(x, n): rotate of x[32:63] || x[32:63] */
static inline uint64_t rotl32(uint64_t x, unsigned n)
{
	uint64_t w = (uint32_t)x;

	return rotl64(w | (w << 32), n & 31);
}

/* Ones from bit mb to bit me (IBM numbering), wrapping if mb > me */
static inline uint64_t mask64(unsigned mb, unsigned me)
{
	uint64_t a = ~0ull >> mb;
	uint64_t b = ~0ull << (63 - me);

	return mb <= me ? a & b : a | b;
}

#define ROT_VARIANTS(name, expr)          \
	H(op_##name)                      \
	{                                 \
		cpu->gpr[d->ra] = (expr); \
		return insn_next(cpu, d); \
	}                                 \
	H(op_##name##_rc)                 \
	{                                 \
		uint64_t r = (expr);      \
		cpu->gpr[d->ra] = r;      \
		set_cr0(cpu, r);          \
		return insn_next(cpu, d); \
	}

/* ---- M form: imm = MASK(MB+32, ME+32), precomputed by the decoder --- */

ROT_VARIANTS(rlwinm, rotl32(G(rt), d->rb) & (uint64_t)d->imm)
ROT_VARIANTS(rlwnm, rotl32(G(rt), (unsigned)G(rb)) & (uint64_t)d->imm)
ROT_VARIANTS(rlwimi, (rotl32(G(rt), d->rb) & (uint64_t)d->imm) | (G(ra) & ~(uint64_t)d->imm))

/* ---- MD / MDS forms: imm = sh, imm2 = mb or me (6 bits) ------------- */

ROT_VARIANTS(rldicl, rotl64(G(rt), (unsigned)d->imm) & (~0ull >> d->imm2))
ROT_VARIANTS(rldicr, rotl64(G(rt), (unsigned)d->imm) & (~0ull << (63 - d->imm2)))
ROT_VARIANTS(rldic,
	     rotl64(G(rt), (unsigned)d->imm) & mask64((unsigned)d->imm2, 63 - (unsigned)d->imm))
ROT_VARIANTS(rldimi,
	     (rotl64(G(rt), (unsigned)d->imm) & mask64((unsigned)d->imm2, 63 - (unsigned)d->imm)) |
		     (G(ra) & ~mask64((unsigned)d->imm2, 63 - (unsigned)d->imm)))
/* rldcl/rldcr: rotate count is RB[58:63]; the mb/me field is in imm2 */
ROT_VARIANTS(rldcl, rotl64(G(rt), (unsigned)G(rb)) & (~0ull >> d->imm2))
ROT_VARIANTS(rldcr, rotl64(G(rt), (unsigned)G(rb)) & (~0ull << (63 - d->imm2)))

/* ---- Logical shifts: amounts of 32 (64) and up give 0 ---------------- */

static inline uint64_t slw(uint64_t s, uint64_t b)
{
	unsigned n = b & 63;

	return n < 32 ? (uint32_t)(s << n) : 0;
}

static inline uint64_t srw(uint64_t s, uint64_t b)
{
	unsigned n = b & 63;

	return n < 32 ? (uint32_t)s >> n : 0;
}

static inline uint64_t sld(uint64_t s, uint64_t b)
{
	unsigned n = b & 127;

	return n < 64 ? s << n : 0;
}

static inline uint64_t srd(uint64_t s, uint64_t b)
{
	unsigned n = b & 127;

	return n < 64 ? s >> n : 0;
}

ROT_VARIANTS(slw, slw(G(rt), G(rb)))
ROT_VARIANTS(srw, srw(G(rt), G(rb)))
ROT_VARIANTS(sld, sld(G(rt), G(rb)))
ROT_VARIANTS(srd, srd(G(rt), G(rb)))

/* ---- Algebraic shifts ---------------------------------------------- */

static inline void set_ca_sh(struct ppc_cpu *cpu, bool ca)
{
	cpu->xer_ca = ca;
	cpu->xer_ca32 = ca;
}

/* Shift the sign-extended low word right by n (0..63, >= 32 all sign) */
static inline uint64_t sraw_ca(struct ppc_cpu *cpu, uint64_t s, unsigned n)
{
	int64_t w = (int32_t)s;

	if (n > 31)
		n = 63; /* every bit of the word is shifted out */
	set_ca_sh(cpu, w < 0 && ((uint64_t)w & ((1ull << n) - 1)) != 0);
	return (uint64_t)(w >> n);
}

/* Shift RS right by n (0..127, >= 64 all sign) */
static inline uint64_t srad_ca(struct ppc_cpu *cpu, uint64_t s, unsigned n)
{
	int64_t v = (int64_t)s;

	if (n > 63) {
		set_ca_sh(cpu, v < 0);
		return (uint64_t)(v >> 63);
	}
	set_ca_sh(cpu, v < 0 && (s & ((1ull << n) - 1)) != 0);
	return (uint64_t)(v >> n);
}

ROT_VARIANTS(sraw, sraw_ca(cpu, G(rt), (unsigned)G(rb) & 63))
ROT_VARIANTS(srawi, sraw_ca(cpu, G(rt), d->rb))
ROT_VARIANTS(srad, srad_ca(cpu, G(rt), (unsigned)G(rb) & 127))
/* sradi: XS form, sh[5] is instruction bit 30 */
ROT_VARIANTS(sradi, srad_ca(cpu, G(rt), d->rb | ((d->raw & 2) << 4)))

/* ---- Registration --------------------------------------------------- */

#define REG_RC(opcd, xo, form, name) decode_register(opcd, xo, form, op_##name, op_##name##_rc)

void insn_rot_register(void)
{
	REG_RC(20, -1, FORM_M, rlwimi);
	REG_RC(21, -1, FORM_M, rlwinm);
	REG_RC(23, -1, FORM_M, rlwnm);

	/* Opcode 30, xo = bits 27:30: MD forms use 27:29 (sh5 in bit 30) */
	for (int sh5 = 0; sh5 < 2; sh5++) {
		REG_RC(30, (0 << 1) | sh5, FORM_MD, rldicl);
		REG_RC(30, (1 << 1) | sh5, FORM_MD, rldicr);
		REG_RC(30, (2 << 1) | sh5, FORM_MD, rldic);
		REG_RC(30, (3 << 1) | sh5, FORM_MD, rldimi);
	}
	REG_RC(30, 8, FORM_MD, rldcl);
	REG_RC(30, 9, FORM_MD, rldcr);

	REG_RC(31, 24, FORM_X, slw);
	REG_RC(31, 536, FORM_X, srw);
	REG_RC(31, 27, FORM_X, sld);
	REG_RC(31, 539, FORM_X, srd);
	REG_RC(31, 792, FORM_X, sraw);
	REG_RC(31, 824, FORM_X, srawi);
	REG_RC(31, 794, FORM_X, srad);
	REG_RC(31, 826, FORM_X, sradi);
	REG_RC(31, 827, FORM_X, sradi);
}
