/* SPDX-License-Identifier: MIT */
/*
 * Random instruction sequence generator for the differential tests (see
 * gen.h). Half of the sequences also use FP, VMX and VSX instructions (see
 * the FP section below for their registers and normalisations).
 * Registers: r3..r28 hold the random data and are the only
 * destinations of the random instructions; r29 points at the sequence's
 * memory buffer; r30, r31, r0 and CTR are scratch of the generator's helper
 * code (division guards, CR normalisation); r2 is the record pointer of the
 * epilogue. r0/r1/r2 are zeroed once at the start so that string stores that
 * wrap round to them store the same bytes on both sides.
 *
 * Results the ISA leaves undefined are normalised right after the
 * instruction, so that a compliant implementation and QEMU must agree:
 * - mulhw[u], divw[u], divwe[u]: RT[0:31] undefined -> clrldi RT,RT,32;
 *   with Rc=1, CR0[LT,GT,EQ] undefined in 64-bit mode -> cleared;
 * - every division whose quotient is undefined (x/0, overflow): RT -> 0 and
 *   CR0[LT,GT,EQ] cleared (OV/SO stay: they are defined). The guard that
 *   detects it is computed before the division without touching CR or XER;
 *   divwe/divde use operands the generator loads itself, so their validity is
 *   decided here;
 * - mfocrf: bits outside the selected field undefined -> masked.
 * Invalid forms (update with RA=0 or RA=RT, lmw/lswi/lswx with RA or RB in
 * the loaded range, stcx. to an address other than the reservation's) are
 * never generated. lmw/stmw and the string instructions are BE only: in LE
 * mode they take an alignment interrupt (ISA 2.07 Book I 3.3.6, 3.3.7).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen.h"

unsigned gen_unit_limit;

struct gen {
	uint64_t rng;
	bool le;
	uint32_t *w;
	size_t n, cap;
	uint64_t buf;	   /* guest address of the buffer */
	uint8_t recent[4]; /* recently written registers */
	unsigned nrecent;
	bool oom;
	bool sp[64];	    /* VSR dw 0 single-representable */
	unsigned rn;	    /* FPSCR[RN] at this point */
	uint8_t vrecent[4]; /* recently written VSRs */
	unsigned nvrecent;
};

/* ---- PRNG (splitmix64) --------------------------------------------- */

static uint64_t rnd64(struct gen *g)
{
	uint64_t z = (g->rng += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static unsigned rnd(struct gen *g, unsigned n)
{
	return (unsigned)(rnd64(g) % n);
}

static bool chance(struct gen *g, unsigned pct)
{
	return rnd(g, 100) < pct;
}

static const uint64_t edge_vals[] = {
	0,
	1,
	2,
	3,
	0xffffffffffffffffull,
	0xfffffffffffffffeull,
	0x7fffffff,
	0x80000000,
	0x80000001,
	0xffffffff,
	0xfffffffe,
	0x100000000ull,
	0xffffffff80000000ull,
	0xffffffff7fffffffull,
	0x7fffffffffffffffull,
	0x8000000000000000ull,
	0x8000000000000001ull,
	0x00000000ffffffffull,
	0xffffffff00000000ull,
	0x7fffffff80000000ull,
	0x80000000ffffffffull,
	0x0000000100000001ull,
	0x7fff,
	0x8000,
	0xffff,
	0x10000,
	0xffffffffffff8000ull,
	0xffffffffffff7fffull,
	31,
	32,
	33,
	63,
	64,
	127,
	0x5555555555555555ull,
	0xaaaaaaaaaaaaaaaaull,
	0x00ff00ff00ff00ffull,
	0x0123456789abcdefull,
	0xfedcba9876543210ull,
	0x8080808080808080ull,
	0x7f7f7f7f7f7f7f7full,
};

#define NEDGE (sizeof(edge_vals) / sizeof(edge_vals[0]))

static uint64_t rand_val(struct gen *g)
{
	uint64_t v;

	switch (rnd(g, 9)) {
	case 0:
	case 1:
	case 2:
		return edge_vals[rnd(g, NEDGE)];
	case 3:
		return rnd64(g);
	case 4:
		return (uint64_t)(int64_t)((int)rnd(g, 601) - 300);
	case 5:
		return (uint64_t)(int64_t)(int32_t)rnd64(g);
	case 6:
		return (uint32_t)rnd64(g);
	case 7: /* edge value nudged by a small amount */
		return edge_vals[rnd(g, NEDGE)] + (uint64_t)(int64_t)((int)rnd(g, 9) - 4);
	default: { /* bytes from a small alphabet */
		static const uint8_t b[] = { 0, 0xff, 0x80, 0x7f, 1, 0xfe };

		v = 0;
		for (int i = 0; i < 8; i++)
			v = v << 8 | b[rnd(g, sizeof(b))];
		return v;
	}
	}
}

/* ---- Emission and encoders ------------------------------------------ */

static void emit(struct gen *g, uint32_t w)
{
	if (g->n == g->cap) {
		size_t nc = g->cap ? g->cap * 2 : 65536;
		uint32_t *p = realloc(g->w, nc * sizeof(*p));

		if (!p) {
			g->oom = true;
			g->n = 0;
			return;
		}
		g->w = p;
		g->cap = nc;
	}
	g->w[g->n++] = w;
}

static uint32_t f_d(unsigned op, unsigned a, unsigned b, uint32_t imm)
{
	return op << 26 | a << 21 | b << 16 | (imm & 0xffff);
}

static uint32_t f_x(unsigned a, unsigned b, unsigned c, unsigned xo, unsigned rc)
{
	return 31u << 26 | a << 21 | b << 16 | c << 11 | xo << 1 | rc;
}

static uint32_t f_xo(unsigned rt, unsigned ra, unsigned rb, unsigned oe, unsigned xo, unsigned rc)
{
	return 31u << 26 | rt << 21 | ra << 16 | rb << 11 | oe << 10 | xo << 1 | rc;
}

/* MD/MDS 6-bit mb/me field: stored as mb[5] || mb[0:4] rotated */
static uint32_t mbe6(unsigned m)
{
	return ((m & 31) << 1 | m >> 5) << 5;
}

static uint32_t f_md(unsigned xo, unsigned ra, unsigned rs, unsigned sh, unsigned mb, unsigned rc)
{
	return 30u << 26 | rs << 21 | ra << 16 | (sh & 31) << 11 | mbe6(mb) | xo << 2 |
	       (sh >> 5) << 1 | rc;
}

static uint32_t f_mds(unsigned xo, unsigned ra, unsigned rs, unsigned rb, unsigned mb, unsigned rc)
{
	return 30u << 26 | rs << 21 | ra << 16 | rb << 11 | mbe6(mb) | xo << 1 | rc;
}

static uint32_t f_m(unsigned op, unsigned ra, unsigned rs, unsigned sh, unsigned mb, unsigned me,
		    unsigned rc)
{
	return op << 26 | rs << 21 | ra << 16 | sh << 11 | mb << 6 | me << 1 | rc;
}

static uint32_t spr_f(unsigned spr)
{
	return ((spr & 31) << 5 | spr >> 5) << 11;
}

#define I_LI(r, v)	    f_d(14, r, 0, (uint32_t)(v))
#define I_ADDI(rt, ra, v)   f_d(14, rt, ra, (uint32_t)(v))
#define I_LIS(r, v)	    f_d(15, r, 0, (uint32_t)(v))
#define I_ORI(ra, rs, v)    f_d(24, rs, ra, v)
#define I_ORIS(ra, rs, v)   f_d(25, rs, ra, v)
#define I_XORI(ra, rs, v)   f_d(26, rs, ra, v)
#define I_XORIS(ra, rs, v)  f_d(27, rs, ra, v)
#define I_CLRLDI(ra, rs, n) f_md(0, ra, rs, 0, n, 0)
#define I_SRDI(ra, rs, n)   f_md(0, ra, rs, 64 - (n), n, 0)
#define I_ROTLDI(ra, rs, n) f_md(0, ra, rs, n, 0, 0)
#define I_SLDI(ra, rs, n)   f_md(1, ra, rs, n, 63 - (n), 0)
#define I_OR(ra, rs, rb)    f_x(rs, ra, rb, 444, 0)
#define I_AND(ra, rs, rb)   f_x(rs, ra, rb, 28, 0)
#define I_ANDC(ra, rs, rb)  f_x(rs, ra, rb, 60, 0)
#define I_NOR(ra, rs, rb)   f_x(rs, ra, rb, 124, 0)
#define I_EQV(ra, rs, rb)   f_x(rs, ra, rb, 284, 0)
#define I_NEG(rt, ra)	    f_xo(rt, ra, 0, 0, 104, 0)
#define I_SUBF(rt, ra, rb)  f_xo(rt, ra, rb, 0, 40, 0)
#define I_MTSPR(spr, rs)    (f_x(rs, 0, 0, 467, 0) | spr_f(spr))
#define I_MFSPR(rt, spr)    (f_x(rt, 0, 0, 339, 0) | spr_f(spr))
#define I_MFCR(rt)	    f_x(rt, 0, 0, 19, 0)
#define I_MTCRF(fxm, rs)    (f_x(rs, 0, 0, 144, 0) | (fxm) << 12)
#define I_STD(rs, d, ra)    f_d(62, rs, ra, (uint32_t)(d) & ~3u)
#define I_SC		    0x44000002u
#define I_BDZ(off)	    (16u << 26 | 18u << 21 | ((off)&0xfffc))

static void emit_li64(struct gen *g, unsigned r, uint64_t v)
{
	int64_t s = (int64_t)v;
	uint32_t hi = (uint32_t)(v >> 32), lo = (uint32_t)v;

	if (s >= -32768 && s <= 32767) {
		emit(g, I_LI(r, v));
	} else if (s >= INT32_MIN && s <= INT32_MAX) {
		emit(g, I_LIS(r, lo >> 16));
		if (lo & 0xffff)
			emit(g, I_ORI(r, r, lo & 0xffff));
	} else if (hi == 0) {
		emit(g, I_LI(r, 0));
		emit(g, I_ORIS(r, r, lo >> 16));
		if (lo & 0xffff)
			emit(g, I_ORI(r, r, lo & 0xffff));
	} else {
		emit_li64(g, r, (uint64_t)(int64_t)(int32_t)hi);
		emit(g, I_SLDI(r, r, 32));
		if (lo >> 16)
			emit(g, I_ORIS(r, r, lo >> 16));
		if (lo & 0xffff)
			emit(g, I_ORI(r, r, lo & 0xffff));
	}
}

/* ---- Register choice ------------------------------------------------ */

static void wrote(struct gen *g, unsigned r)
{
	g->recent[g->nrecent++ & 3] = (uint8_t)r;
}

static unsigned dst(struct gen *g)
{
	return 3 + rnd(g, 26);
}

static unsigned src(struct gen *g)
{
	if (g->nrecent && chance(g, 35))
		return g->recent[rnd(g, g->nrecent < 4 ? g->nrecent : 4)];
	return 3 + rnd(g, 26);
}

/* A shift/rotate amount register: sometimes a small known value */
static unsigned src_sh(struct gen *g)
{
	unsigned r = src(g);

	if (chance(g, 50)) {
		r = dst(g);
		emit(g, I_LI(r, rnd(g, 2) ? rnd(g, 66) : rnd(g, 256)));
	}
	return r;
}

/* CR0[LT,GT,EQ] <- 0 (where the ISA leaves them undefined) */
static void norm_cr0(struct gen *g)
{
	emit(g, I_MFCR(30));
	emit(g, f_m(21, 30, 30, 0, 3, 31, 0));
	emit(g, I_MTCRF(0x80, 30));
}

/* ---- Arithmetic ----------------------------------------------------- */

static void u_addsub(struct gen *g)
{
	static const struct {
		unsigned xo;
		bool rb;
	} t[] = {
		{ 266, true },	{ 10, true },	{ 138, true },	{ 234, false },
		{ 202, false }, { 40, true },	{ 8, true },	{ 136, true },
		{ 232, false }, { 200, false }, { 104, false },
	};
	unsigned i = rnd(g, sizeof(t) / sizeof(t[0]));
	unsigned rt = dst(g);

	emit(g, f_xo(rt, src(g), t[i].rb ? src(g) : 0, rnd(g, 2), t[i].xo, rnd(g, 2)));
	wrote(g, rt);
}

static void u_addimm(struct gen *g)
{
	static const unsigned ops[] = { 14, 15, 12, 13, 8, 7 };
	unsigned op = ops[rnd(g, 6)];
	unsigned rt = dst(g), ra = src(g);
	uint32_t imm = chance(g, 40) ? (uint32_t)edge_vals[rnd(g, NEDGE)] : (uint32_t)rnd64(g);

	if ((op == 14 || op == 15) && chance(g, 15))
		ra = 0;
	emit(g, f_d(op, rt, ra, imm));
	wrote(g, rt);
}

static void u_mul(struct gen *g)
{
	unsigned rt = dst(g), ra = src(g), rb = src(g), rc = rnd(g, 2);

	switch (rnd(g, 6)) {
	case 0: /* mullw[o][.] */
		emit(g, f_xo(rt, ra, rb, rnd(g, 2), 235, rc));
		break;
	case 1: /* mulld[o][.] */
		emit(g, f_xo(rt, ra, rb, rnd(g, 2), 233, rc));
		break;
	case 2: /* mulhd[.] */
		emit(g, f_xo(rt, ra, rb, 0, 73, rc));
		break;
	case 3: /* mulhdu[.] */
		emit(g, f_xo(rt, ra, rb, 0, 9, rc));
		break;
	default: /* mulhw[.], mulhwu[.]: RT[0:31] undefined */
		emit(g, f_xo(rt, ra, rb, 0, rnd(g, 2) ? 75 : 11, rc));
		emit(g, I_CLRLDI(rt, rt, 32));
		if (rc)
			norm_cr0(g);
		break;
	}
	wrote(g, rt);
}

/* r30 <- (rs != 0), using tmp */
static void flag_nz(struct gen *g, unsigned rd, unsigned rs, unsigned tmp)
{
	emit(g, I_NEG(tmp, rs));
	emit(g, I_OR(rd, rs, tmp));
	emit(g, I_SRDI(rd, rd, 63));
}

enum { DIVW, DIVWU, DIVD, DIVDU, DIVWE, DIVWEU, DIVDE, DIVDEU };

static const unsigned div_xo[] = { 491, 459, 489, 457, 427, 395, 425, 393 };

static bool div_valid(unsigned k, uint64_t a, uint64_t b)
{
	int32_t a32 = (int32_t)a, b32 = (int32_t)b;
	uint32_t au = (uint32_t)a, bu = (uint32_t)b;

	switch (k) {
	case DIVW:
		return b32 != 0 && !(a32 == INT32_MIN && b32 == -1);
	case DIVWU:
		return bu != 0;
	case DIVD:
		return b != 0 && !((int64_t)a == INT64_MIN && (int64_t)b == -1);
	case DIVDU:
		return b != 0;
	case DIVWE: {
		int64_t q;

		if (b32 == 0)
			return false;
		if (b32 == -1)
			return a32 == 0;
		q = (int64_t)a32 * 4294967296ll / b32;
		return q == (int32_t)q;
	}
	case DIVWEU:
		return bu != 0 && au < bu;
	case DIVDE: {
		__int128 q;

		if (b == 0)
			return false;
		if ((int64_t)b == -1)
			return a == 0;
		q = (__int128)(int64_t)a * ((__int128)1 << 64) / (int64_t)b;
		return q == (int64_t)q;
	}
	default:
		return a < b;
	}
}

static uint64_t uabs64(uint64_t v)
{
	return (int64_t)v < 0 ? -v : v;
}

/*
 * QEMU 7.2 (target/ppc/int_helper.c helper_divde) only reports overflow when
 * |RA| >= |RB|; a quotient in [2^63, 2^64) (e.g. RA=-0x30905bd9,
 * RB=0x4482a8cb) leaves OV clear. The ISA (3.3.9) sets OV there; ppcvm does.
 * Such divdeo operands are run without OE so QEMU can be the reference.
 */
static bool qemu_divde_ov_bug(uint64_t a, uint64_t b)
{
	return !div_valid(DIVDE, a, b) && b != 0 && uabs64(a) < uabs64(b);
}

/*
 * Guard: r30 <- 1 if the division of ra by rb is defined, else 0. Only
 * instructions that touch neither CR nor XER.
 */
static void div_guard(struct gen *g, unsigned k, unsigned a, unsigned b)
{
	switch (k) {
	case DIVW:
		emit(g, I_XORIS(30, a, 0x8000));
		emit(g, I_NOR(31, b, b));
		emit(g, I_OR(30, 30, 31));
		emit(g, I_CLRLDI(30, 30, 32));
		flag_nz(g, 30, 30, 31);
		emit(g, I_CLRLDI(31, b, 32));
		flag_nz(g, 31, 31, 0);
		emit(g, I_AND(30, 30, 31));
		break;
	case DIVWU:
		emit(g, I_CLRLDI(30, b, 32));
		flag_nz(g, 30, 30, 31);
		break;
	case DIVD:
		emit(g, I_ROTLDI(30, a, 1));
		emit(g, I_XORI(30, 30, 1));
		emit(g, I_NOR(31, b, b));
		emit(g, I_OR(30, 30, 31));
		flag_nz(g, 30, 30, 31);
		flag_nz(g, 31, b, 0);
		emit(g, I_AND(30, 30, 31));
		break;
	case DIVDU:
		flag_nz(g, 30, b, 31);
		break;
	case DIVWEU:
		emit(g, I_CLRLDI(30, a, 32));
		emit(g, I_CLRLDI(31, b, 32));
		emit(g, I_SUBF(30, 31, 30));
		emit(g, I_SRDI(30, 30, 63));
		break;
	case DIVDEU: /* borrow out of a - b */
		emit(g, I_ANDC(30, b, a));
		emit(g, I_EQV(31, a, b));
		emit(g, I_SUBF(0, b, a));
		emit(g, I_AND(31, 31, 0));
		emit(g, I_OR(30, 30, 31));
		emit(g, I_SRDI(30, 30, 63));
		break;
	}
}

static void u_div(struct gen *g)
{
	unsigned k = rnd(g, 8);
	unsigned rt = dst(g), a, b, oe = rnd(g, 2), rc = rnd(g, 2);
	bool word = k == DIVW || k == DIVWU || k == DIVWE || k == DIVWEU;
	uint32_t insn;

	if (k == DIVWE || k == DIVDE || chance(g, 30)) {
		/* Operands loaded here: validity known now */
		uint64_t va = rand_val(g), vb = rand_val(g);

		a = dst(g);
		b = dst(g);
		if (a == b)
			vb = va;
		if (chance(g, 20))
			vb = edge_vals[rnd(g, 6)]; /* 0, 1, 2, 3, -1, -2 */
		if (a == b)
			va = vb;
		if (k == DIVDE && oe && qemu_divde_ov_bug(va, vb))
			oe = 0;
		emit_li64(g, a, va);
		if (a != b)
			emit_li64(g, b, vb);
		emit(g, f_xo(rt, a, b, oe, div_xo[k], rc));
		if (!div_valid(k, va, vb)) {
			emit(g, I_LI(rt, 0));
			if (rc)
				norm_cr0(g);
		}
	} else {
		a = src(g);
		b = src(g);
		div_guard(g, k, a, b);
		insn = f_xo(rt, a, b, oe, div_xo[k], rc);
		emit(g, I_MTSPR(9, 30));
		emit(g, insn);
		emit(g, I_BDZ(rc ? 20 : 8));
		emit(g, I_LI(rt, 0));
		if (rc)
			norm_cr0(g);
	}
	if (word) {
		emit(g, I_CLRLDI(rt, rt, 32));
		if (rc)
			norm_cr0(g);
	}
	wrote(g, rt);
}

/* ---- Logical, extend, count ---------------------------------------- */

static void u_logic(struct gen *g)
{
	static const unsigned xo[] = { 28, 60, 444, 412, 316, 476, 124, 284 };
	static const unsigned dop[] = { 28, 29, 24, 25, 26, 27 };
	unsigned ra = dst(g);

	if (chance(g, 65)) {
		emit(g, f_x(src(g), ra, src(g), xo[rnd(g, 8)], rnd(g, 2)));
	} else {
		uint32_t imm =
			chance(g, 40) ? (uint32_t)edge_vals[rnd(g, NEDGE)] : (uint32_t)rnd64(g);
		emit(g, f_d(dop[rnd(g, 6)], src(g), ra, imm));
	}
	wrote(g, ra);
}

static void u_misc(struct gen *g)
{
	unsigned ra = dst(g);

	switch (rnd(g, 12)) {
	case 0: /* extsb extsh extsw */
		emit(g, f_x(src(g), ra, 0, (unsigned[]){ 954, 922, 986 }[rnd(g, 3)], rnd(g, 2)));
		break;
	case 1: /* cntlzw cntlzd */
		emit(g, f_x(src(g), ra, 0, rnd(g, 2) ? 26 : 58, rnd(g, 2)));
		break;
	case 2: /* popcntb popcntw popcntd */
		emit(g, f_x(src(g), ra, 0, (unsigned[]){ 122, 378, 506 }[rnd(g, 3)], 0));
		break;
	case 3: /* prtyw prtyd */
		emit(g, f_x(src(g), ra, 0, rnd(g, 2) ? 154 : 186, 0));
		break;
	case 4:
	case 5: /* cmpb */
		emit(g, f_x(src(g), ra, src(g), 508, 0));
		break;
	case 6:
	case 7: { /* bpermd: RS holds 8 bit indexes, often < 64 */
		unsigned rs = src(g);

		if (chance(g, 60)) {
			uint64_t v = 0;

			rs = dst(g);
			for (int i = 0; i < 8; i++)
				v = v << 8 | rnd(g, chance(g, 80) ? 64 : 256);
			emit_li64(g, rs, v);
			if (rs == ra)
				ra = dst(g);
		}
		emit(g, f_x(rs, ra, src(g), 252, 0));
		break;
	}
	default: { /* isel RT,RA|0,RB,BC */
		unsigned rb = src(g), rsa = chance(g, 15) ? 0 : src(g);

		emit(g, 31u << 26 | ra << 21 | rsa << 16 | rb << 11 | rnd(g, 32) << 6 | 15u << 1);
		break;
	}
	}
	wrote(g, ra);
}

/* ---- Rotate and shift ----------------------------------------------- */

static void u_rot(struct gen *g)
{
	unsigned ra = dst(g), rs = src(g), rc = rnd(g, 2);

	switch (rnd(g, 9)) {
	case 0: /* rlwinm */
		emit(g, f_m(21, ra, rs, rnd(g, 32), rnd(g, 32), rnd(g, 32), rc));
		break;
	case 1: /* rlwnm */
		emit(g, f_m(23, ra, rs, src_sh(g), rnd(g, 32), rnd(g, 32), rc));
		break;
	case 2: /* rlwimi */
		emit(g, f_m(20, ra, rs, rnd(g, 32), rnd(g, 32), rnd(g, 32), rc));
		break;
	case 3: /* rldicl */
	case 4: /* rldicr */
	case 5: /* rldic */
	case 6: /* rldimi */
		emit(g, f_md(rnd(g, 4), ra, rs, rnd(g, 64), rnd(g, 64), rc));
		break;
	default: /* rldcl rldcr */
		emit(g, f_mds(8 + rnd(g, 2), ra, rs, src_sh(g), rnd(g, 64), rc));
		break;
	}
	wrote(g, ra);
}

static void u_shift(struct gen *g)
{
	static const unsigned xo[] = { 24, 536, 792, 27, 539, 794 };
	unsigned ra = dst(g), rs = src(g), rc = rnd(g, 2);

	switch (rnd(g, 4)) {
	case 0:
	case 1:
		emit(g, f_x(rs, ra, src_sh(g), xo[rnd(g, 6)], rc));
		break;
	case 2: /* srawi */
		emit(g, f_x(rs, ra, rnd(g, 32), 824, rc));
		break;
	default: { /* sradi */
		unsigned sh = rnd(g, 64);

		emit(g, 31u << 26 | rs << 21 | ra << 16 | (sh & 31) << 11 | 413u << 2 |
				(sh >> 5) << 1 | rc);
		break;
	}
	}
	wrote(g, ra);
}

/* ---- Compare, CR, XER, LR/CTR --------------------------------------- */

static void u_cmp(struct gen *g)
{
	unsigned bf = rnd(g, 8), l = rnd(g, 2), ra = src(g);
	uint32_t imm = chance(g, 40) ? (uint32_t)edge_vals[rnd(g, NEDGE)] : (uint32_t)rnd64(g);

	switch (rnd(g, 4)) {
	case 0:
		emit(g, f_x(bf << 2 | l, ra, src(g), 0, 0));
		break;
	case 1:
		emit(g, f_x(bf << 2 | l, ra, src(g), 32, 0));
		break;
	case 2:
		emit(g, f_d(11, bf << 2 | l, ra, imm));
		break;
	default:
		emit(g, f_d(10, bf << 2 | l, ra, imm));
		break;
	}
}

static void u_cr(struct gen *g)
{
	static const unsigned xo[] = { 257, 449, 193, 225, 33, 289, 129, 417 };
	unsigned rt;

	switch (rnd(g, 7)) {
	case 0:
	case 1:
		emit(g, 19u << 26 | rnd(g, 32) << 21 | rnd(g, 32) << 16 | rnd(g, 32) << 11 |
				xo[rnd(g, 8)] << 1);
		break;
	case 2: /* mcrf */
		emit(g, 19u << 26 | rnd(g, 8) << 23 | rnd(g, 8) << 18);
		break;
	case 3: /* mtcrf any mask */
		emit(g, I_MTCRF(rnd(g, 256), src(g)));
		break;
	case 4: /* mtocrf: one field */
		emit(g, I_MTCRF(0x80u >> rnd(g, 8), src(g)) | 1u << 20);
		break;
	case 5:
		rt = dst(g);
		emit(g, I_MFCR(rt));
		wrote(g, rt);
		break;
	default: { /* mfocrf: other bits undefined, keep the field only */
		unsigned n = rnd(g, 8);

		rt = dst(g);
		emit(g, I_MFCR(rt) | 1u << 20 | (0x80u >> n) << 12);
		emit(g, f_m(21, rt, rt, 0, 4 * n, 4 * n + 3, 0));
		wrote(g, rt);
		break;
	}
	}
}

static void u_spr(struct gen *g)
{
	unsigned r;

	switch (rnd(g, 4)) {
	case 0: /* mtxer with the architected bits of a register */
		r = src(g);
		emit(g, f_m(21, 0, r, 0, 0, 2, 0));   /* SO OV CA */
		emit(g, f_m(20, 0, r, 0, 12, 13, 0)); /* OV32 CA32 */
		emit(g, f_m(20, 0, r, 0, 25, 31, 0)); /* byte count */
		emit(g, I_MTSPR(1, 0));
		break;
	case 1:
		r = dst(g);
		emit(g, I_MFSPR(r, 1));
		wrote(g, r);
		break;
	case 2:
		emit(g, I_MTSPR(rnd(g, 2) ? 8 : 9, src(g)));
		break;
	default:
		r = dst(g);
		emit(g, I_MFSPR(r, rnd(g, 2) ? 8 : 9));
		wrote(g, r);
		break;
	}
}

/* ---- Loads and stores ----------------------------------------------- */

struct ldst {
	unsigned size;
	int d, ds, x, du, dsu, xu; /* opcodes / xo, -1 if none */
	bool store;
};

static const struct ldst ldst_tab[] = {
	{ 1, 34, -1, 87, 35, -1, 119, false },	/* lbz */
	{ 2, 40, -1, 279, 41, -1, 311, false }, /* lhz */
	{ 2, 42, -1, 343, 43, -1, 375, false }, /* lha */
	{ 4, 32, -1, 23, 33, -1, 55, false },	/* lwz */
	{ 4, -1, 2, 341, -1, -1, 373, false },	/* lwa */
	{ 8, -1, 0, 21, -1, 1, 53, false },	/* ld */
	{ 1, 38, -1, 215, 39, -1, 247, true },	/* stb */
	{ 2, 44, -1, 407, 45, -1, 439, true },	/* sth */
	{ 4, 36, -1, 151, 37, -1, 183, true },	/* stw */
	{ 8, -1, 0, 149, -1, 1, 181, true },	/* std */
	{ 2, -1, -1, 790, -1, -1, -1, false },	/* lhbrx */
	{ 4, -1, -1, 534, -1, -1, -1, false },	/* lwbrx */
	{ 8, -1, -1, 532, -1, -1, -1, false },	/* ldbrx */
	{ 2, -1, -1, 918, -1, -1, -1, true },	/* sthbrx */
	{ 4, -1, -1, 662, -1, -1, -1, true },	/* stwbrx */
	{ 8, -1, -1, 660, -1, -1, -1, true },	/* stdbrx */
};

static uint32_t ds_insn(const struct ldst *t, bool upd, unsigned rt, unsigned ra, int32_t d)
{
	return f_d(t->store ? 62 : 58, rt, ra, (uint32_t)d & ~3u) |
	       (unsigned)(upd ? t->dsu : t->ds);
}

static void u_ldst(struct gen *g)
{
	const struct ldst *t = &ldst_tab[rnd(g, sizeof(ldst_tab) / sizeof(ldst_tab[0]))];
	unsigned rt = t->store ? src(g) : dst(g);
	unsigned off = rnd(g, GEN_BUF - t->size + 1);
	unsigned mode = rnd(g, 6), ra, rb;
	int32_t k;

	/* D forms: 0 base r29, 1 other base; X: 2 r29+rb, 3 0+rb; 4 D-update, 5 X-update */
	if (mode <= 1 && t->d < 0 && t->ds < 0)
		mode = 2 + rnd(g, 2);
	if (mode == 4 && t->du < 0 && t->dsu < 0)
		mode = 5;
	if (mode == 5 && t->xu < 0)
		mode = rnd(g, 2) + 2;
	if ((t->ds >= 0 || t->dsu >= 0) && (mode <= 1 || mode == 4))
		off &= ~3u;
	switch (mode) {
	case 0:
		if (t->d >= 0)
			emit(g, f_d((unsigned)t->d, rt, 29, off));
		else
			emit(g, ds_insn(t, false, rt, 29, (int32_t)off));
		break;
	case 1:
	case 4:
		ra = dst(g);
		if (mode == 4 && !t->store)
			while (ra == rt)
				ra = dst(g);
		k = ((int32_t)rnd(g, 4096) - 2048) & ~3;
		emit(g, I_ADDI(ra, 29, (uint32_t)k));
		if (mode == 1 && t->d >= 0)
			emit(g, f_d((unsigned)t->d, rt, ra, (uint32_t)((int32_t)off - k)));
		else if (mode == 1)
			emit(g, ds_insn(t, false, rt, ra, (int32_t)off - k));
		else if (t->du >= 0)
			emit(g, f_d((unsigned)t->du, rt, ra, (uint32_t)((int32_t)off - k)));
		else
			emit(g, ds_insn(t, true, rt, ra, (int32_t)off - k));
		if (mode == 4)
			wrote(g, ra);
		break;
	case 2:
		rb = dst(g);
		emit(g, I_LI(rb, off));
		if (rnd(g, 2))
			emit(g, f_x(rt, 29, rb, (unsigned)t->x, 0));
		else
			emit(g, f_x(rt, rb, 29, (unsigned)t->x, 0));
		break;
	case 3:
		rb = dst(g);
		emit(g, I_ADDI(rb, 29, off));
		emit(g, f_x(rt, 0, rb, (unsigned)t->x, 0));
		break;
	default:
		ra = dst(g);
		while ((!t->store && ra == rt))
			ra = dst(g);
		do
			rb = dst(g);
		while (rb == ra);
		k = (int32_t)rnd(g, 4096) - 2048;
		emit(g, I_ADDI(ra, 29, (uint32_t)k));
		emit(g, I_LI(rb, (uint32_t)((int32_t)off - k)));
		emit(g, f_x(rt, ra, rb, (unsigned)t->xu, 0));
		wrote(g, ra);
		break;
	}
	if (!t->store)
		wrote(g, rt);
}

/* lXarx / stXcx. pairs (and lone stXcx. that must fail) */
static void u_atomic(struct gen *g)
{
	static const unsigned lx[] = { 52, 116, 20, 84 };
	static const unsigned sx[] = { 694, 726, 150, 214 };
	unsigned i = rnd(g, 4), size = 1u << i;
	unsigned off = rnd(g, GEN_BUF / size) * size, rt = dst(g);

	emit(g, I_ADDI(30, 29, off));
	if (chance(g, 80)) {
		emit(g, f_x(rt, 0, 30, lx[i], 0));
		wrote(g, rt);
		if (chance(g, 40))
			u_addsub(g);
	}
	emit(g, f_x(src(g), 0, 30, sx[i], 1));
}

static bool in_range(unsigned r, unsigned first, unsigned nregs)
{
	return ((r - first) & 31) < nregs;
}

static void remat_r29(struct gen *g)
{
	emit_li64(g, 29, g->buf);
}

/* lmw/stmw and string loads/stores: big-endian only */
static void u_multi(struct gen *g)
{
	unsigned ra, rb, rt, n, nregs, off;

	switch (rnd(g, 6)) {
	case 0: /* lmw: RA below RT */
		rt = 4 + rnd(g, 25);
		if (chance(g, 50) && rt < 20)
			rt += 8;
		ra = 3 + rnd(g, rt - 3);
		off = rnd(g, (GEN_BUF - (32 - rt) * 4) / 4 + 1) * 4;
		emit(g, I_ADDI(ra, 29, off - 16));
		emit(g, f_d(46, rt, ra, 16));
		remat_r29(g);
		break;
	case 1: /* stmw */
		rt = 3 + rnd(g, 29);
		off = rnd(g, (GEN_BUF - (32 - rt) * 4) / 4 + 1) * 4;
		emit(g, f_d(47, rt, 29, off));
		break;
	case 2: /* lswi */
	case 3: /* lswx */
		n = 1 + rnd(g, 32);
		nregs = (n + 3) / 4;
		rt = dst(g);
		do
			ra = dst(g);
		while (in_range(ra, rt, nregs));
		do
			rb = dst(g);
		while (in_range(rb, rt, nregs) || rb == ra);
		off = rnd(g, GEN_BUF - n + 1);
		if (rnd(g, 2) == 0) {
			emit(g, I_ADDI(ra, 29, off));
			emit(g, f_x(rt, ra, n & 31, 597, 0));
		} else {
			emit(g, I_MFSPR(0, 1));
			emit(g, f_md(1, 0, 0, 0, 56, 0)); /* clear byte count */
			emit(g, I_ORI(0, 0, n));
			emit(g, I_MTSPR(1, 0));
			if (chance(g, 25)) {
				emit(g, I_ADDI(rb, 29, off));
				emit(g, f_x(rt, 0, rb, 533, 0));
			} else {
				emit(g, I_ADDI(ra, 29, 0));
				emit(g, I_LI(rb, off));
				emit(g, f_x(rt, ra, rb, 533, 0));
			}
		}
		if (in_range(29, rt, nregs))
			remat_r29(g);
		for (unsigned i = 0; i < nregs; i++)
			if (((rt + i) & 31) >= 3 && ((rt + i) & 31) <= 28)
				wrote(g, (rt + i) & 31);
		break;
	default: /* stswi / stswx */
		n = rnd(g, 33);
		rt = 3 + rnd(g, 29);
		ra = dst(g);
		off = rnd(g, GEN_BUF - n + 1);
		emit(g, I_ADDI(ra, 29, off));
		if (rnd(g, 2) && n) {
			emit(g, f_x(rt, ra, n & 31, 725, 0));
		} else {
			emit(g, I_MFSPR(0, 1));
			emit(g, f_md(1, 0, 0, 0, 56, 0));
			emit(g, I_ORI(0, 0, n));
			emit(g, I_MTSPR(1, 0));
			emit(g, f_x(rt, 0, ra, 661, 0));
		}
		break;
	}
}

/* ---- Floating point, VMX, VSX (ISA 2.07 Book I ch. 4, 5, 6, 7) ------- */

/*
 * FP/vector sequences use FPR/VSR 0..11 and VR 0..11 (VSR 32..43). g->sp[n]
 * tracks whether doubleword 0 of VSR n surely holds a double that is
 * representable in single format: single-precision arithmetic, frsp, stfs
 * and stxsspx are only given such operands (otherwise their results are
 * undefined, ISA 2.07 4.3.5.1 / 4.6.3). Further normalisation of results the
 * ISA leaves undefined (the code marks each):
 * - doubleword 1 of a VSR written by a scalar VSX instruction, mtvsrd or
 *   lxsdx/lxsspx/lxsiwax (7.6): copied from doubleword 0 (xxpermdi T,T,T,0);
 * - fctiw[u][z] (and xscvdp[su]xws, xscvdpsp[n]) words outside the result:
 *   cleared / splatted from the result word;
 * - mffs: FRT[0:31] (undefined in 2.07) cleared;
 * - FPRF after fctiw[u][z] / fctid[u][z] (undefined, 4.6.7): cleared.
 * Known QEMU 7.2 deviations kept out (the FPSCR comparison in ppcvm_diff.c
 * masks FR and FX; their copies are cleared here):
 * - QEMU never sets FPSCR[FR] (ISA 2.07 4.2.2: set when the fraction was
 *   incremented in rounding): cleared in the mffs result and in the CR
 *   field mcrfs copies field 3 to;
 * - QEMU sets FPSCR[FX] on every exception, also when the exception bit was
 *   already 1 (4.2.2: FX is set only when an exception bit changes from 0
 *   to 1): cleared in the mffs result, in CR1 of Rc=1 FP instructions and
 *   in the CR field mcrfs copies field 0 to;
 * - QEMU's fcmpu / fcmpo clear FPSCR[FI] (4.6.8: they alter only FPCC, FX,
 *   VXSNAN, VXVC): FI is cleared (mtfsb0 14) after them; QEMU's fcmpo with
 *   a NaN operand sets FPSCR[C] as well as FU (4.6.8: FPCC = 0b0001, C is not
 *   altered): C is cleared after fcmpo;
 * - QEMU's negative multiply-adds (fnmadd[s], fnmsub[s], xsnm*, xvnm*)
 *   negate before rounding; the ISA (4.6.5.2, 7.6) rounds the multiply-add
 *   and then negates, which differs when rounding toward +inf / -inf. The
 *   generator tracks FPSCR[RN] and uses them only with RN = 0 or 1;
 * - QEMU's fre[s] of +-0 returns +-0.5 (with ZX); the ISA (4.6.5.1) gives
 *   +-infinity: fre[s] get a fresh nonzero operand;
 * - QEMU's fcfids / fcfidus leave FPRF unchanged and its fcfidu sets FPRF
 *   from the operand, not the result (4.6.7.2: set to the class of the
 *   result): FPRF cleared after those three;
 * - QEMU sets FPRF of single-precision results by their double format class
 *   (a single denormal is "normal"); ppcvm by the single format (4.3.5.1):
 *   FPRF[C], the bit that tells them apart, is cleared after instructions
 *   with a single-precision result;
 * - vector FP instructions (xv*): QEMU clears FI on an invalid operation or
 *   zero divide (7.6: vector instructions do not alter FR, FI) and drops UX
 *   when another element overflowed (7.4.3: each element's exceptions are
 *   recorded): FI and UX are cleared after them.
 * - xvcvdpsp, xvcvdpsxws: words 1 and 3 undefined -> converted back with
 *   xvcvspdp / xvcvsxwdp, which read words 0 and 2 only;
 * - FPSCR enables stay 0 (VE OE UE ZE XE), and NI: QEMU user mode would
 *   deliver the enabled-exception program interrupt as SIGFPE.
 */
#define NFPR 12

static const uint64_t fp_edge[] = {
	0,
	0x8000000000000000ull,
	0x7ff0000000000000ull,
	0xfff0000000000000ull,
	0x7ff8000000000000ull,
	0xfff8000000000000ull,
	0x7ff8000012345678ull,
	0x7ff0000000000001ull,
	0x7ff4000000000000ull,
	0xfff0000020000000ull,
	0x7ffc0000e0000000ull,
	0x3ff0000000000000ull,
	0xbff0000000000000ull,
	0x4000000000000000ull,
	0x3fe0000000000000ull,
	0x3ff8000000000000ull,
	0x0000000000000001ull,
	0x800fffffffffffffull,
	0x0010000000000000ull,
	0x7fefffffffffffffull,
	0xffefffffffffffffull,
	0x3ff0000000000001ull,
	0x3fefffffffffffffull,
	0x41e0000000000000ull,
	0x41dfffffffe00000ull,
	0xc1e0000000000000ull,
	0xc1e0000000200000ull,
	0x41f0000000000000ull,
	0x43e0000000000000ull,
	0xc3e0000000000000ull,
	0x43f0000000000000ull,
	0x4330000000000000ull,
	0x3fe0000000000001ull,
	0x47efffffe0000000ull,
	0x47effffff0000000ull,
	0xc7f0000000000000ull,
	0x3810000000000000ull,
	0x380fffffe0000000ull,
	0x36a0000000000000ull,
	0x3690000000000000ull,
	0x3680000000000001ull,
	0x3ff0000010000000ull,
	0x3ff0000010000001ull,
	0x3ff0000030000000ull,
	0xbff0000030000000ull,
	0x4008000000000000ull,
	0x4024000000000000ull,
	0x3fb999999999999aull,
	0x400921fb54442d18ull,
	0x0008000000000000ull,
	0x8000000000000001ull,
	0x3ca0000000000000ull,
};

static const uint32_t sp_edge[] = {
	0,	    0x80000000, 0x7f800000, 0xff800000, 0x7fc00000, 0xffc00000, 0x7fa00000,
	0x7f800001, 0xffc00001, 0x00000001, 0x807fffff, 0x00800000, 0x7f7fffff, 0xff7fffff,
	0x3f800000, 0xbf800000, 0x4f000000, 0xcf000000, 0x4f800000, 0x4effffff, 0x3f000000,
	0x3fc00000, 0x3f800001, 0x3f7fffff, 0x4b000000, 0x4b400000, 0x00400000, 0x34000000,
	0x40490fdb, 0xcf000001, 0x5f000000,
};

#define NFPEDGE (sizeof(fp_edge) / sizeof(fp_edge[0]))
#define NSPEDGE (sizeof(sp_edge) / sizeof(sp_edge[0]))

static uint64_t f32_to_f64_bits(uint32_t w)
{
	float f;
	double d;
	uint64_t r;

	if ((w & 0x7f800000) == 0x7f800000) /* inf, NaN: keep the payload */
		return (uint64_t)(w >> 31) << 63 | 0x7ff0000000000000ull |
		       (uint64_t)(w & 0x7fffff) << 29;
	memcpy(&f, &w, 4);
	d = f;
	memcpy(&r, &d, 8);
	return r;
}

static bool f64_is_single(uint64_t x)
{
	double d;
	float f;

	if ((x & 0x7ff0000000000000ull) == 0x7ff0000000000000ull)
		return (x & 0x1fffffff) == 0;
	memcpy(&d, &x, 8);
	f = (float)d;
	return (double)f == d;
}

static uint32_t rand_f32(struct gen *g)
{
	switch (rnd(g, 7)) {
	case 0:
	case 1:
		return sp_edge[rnd(g, NSPEDGE)];
	case 2:
	case 3: /* moderate exponents, so that operations interact */
		return (uint32_t)rnd(g, 2) << 31 | (107 + rnd(g, 41)) << 23 |
		       ((uint32_t)rnd64(g) & 0x7fffff);
	case 4:
		return sp_edge[rnd(g, NSPEDGE)] + rnd(g, 5) - 2;
	case 5: { /* small integers and halves */
		float f = (float)((int)rnd(g, 401) - 200) / 2;
		uint32_t w;

		memcpy(&w, &f, 4);
		return w;
	}
	default:
		return (uint32_t)rnd64(g);
	}
}

static uint64_t rand_f64(struct gen *g)
{
	switch (rnd(g, 9)) {
	case 0:
	case 1:
	case 2:
		return fp_edge[rnd(g, NFPEDGE)];
	case 3:
	case 4:
		return (uint64_t)rnd(g, 2) << 63 | (uint64_t)(993 + rnd(g, 61)) << 52 |
		       (rnd64(g) & 0xfffffffffffffull);
	case 5:
		return f32_to_f64_bits(rand_f32(g));
	case 6:
		return fp_edge[rnd(g, NFPEDGE)] + rnd(g, 5) - 2;
	case 7: {
		double d = (double)((int)rnd(g, 401) - 200) / 4;
		uint64_t r;

		memcpy(&r, &d, 8);
		return r;
	}
	default:
		return rnd64(g);
	}
}

/* Initial value of one VSR (FPR-backed ones: mostly doubles) */
static void rand_vsr(struct gen *g, bool vr, uint64_t v[2])
{
	unsigned k = rnd(g, 20);

	if (!vr)
		k = k < 12 ? 0 : k < 15 ? 1 : k < 18 ? 2 : 3;
	else
		k = k < 3 ? 0 : k < 10 ? 1 : k < 16 ? 2 : 3;
	for (int i = 0; i < 2; i++) {
		switch (k) {
		case 0:
			v[i] = rand_f64(g);
			break;
		case 1:
			v[i] = (uint64_t)rand_f32(g) << 32 | rand_f32(g);
			break;
		case 2:
			v[i] = rand_val(g);
			break;
		default: {
			static const uint8_t b[] = { 0, 0xff, 0x80, 0x7f, 1, 0xfe, 0x10, 0x1f };

			v[i] = 0;
			for (int j = 0; j < 8; j++)
				v[i] = v[i] << 8 |
				       (rnd(g, 3) ? b[rnd(g, sizeof(b))] : (uint8_t)rnd64(g));
			break;
		}
		}
	}
}

static uint32_t f_a(unsigned op, unsigned t, unsigned a, unsigned b, unsigned c, unsigned xo,
		    unsigned rc)
{
	return op << 26 | t << 21 | a << 16 | b << 11 | c << 6 | xo << 1 | rc;
}

static uint32_t f_fx(unsigned op, unsigned t, unsigned a, unsigned b, unsigned xo, unsigned rc)
{
	return op << 26 | t << 21 | a << 16 | b << 11 | xo << 1 | rc;
}

static uint32_t f_vx(unsigned t, unsigned a, unsigned b, unsigned xo)
{
	return 4u << 26 | t << 21 | a << 16 | b << 11 | xo;
}

static uint32_t f_va(unsigned t, unsigned a, unsigned b, unsigned c, unsigned xo)
{
	return 4u << 26 | t << 21 | a << 16 | b << 11 | c << 6 | xo;
}

/* XX3 (8-bit xo), XX2 (9-bit xo), XX4; VSR numbers 0..63 */
static uint32_t f_xx3(unsigned t, unsigned a, unsigned b, unsigned xo)
{
	return 60u << 26 | (t & 31) << 21 | (a & 31) << 16 | (b & 31) << 11 | xo << 3 |
	       (a >> 5) << 2 | (b >> 5) << 1 | t >> 5;
}

static uint32_t f_xx2(unsigned t, unsigned b, unsigned xo)
{
	return 60u << 26 | (t & 31) << 21 | (b & 31) << 11 | xo << 2 | (b >> 5) << 1 | t >> 5;
}

/* X-form VSX load/store and mfvsr/mtvsr: TX/SX in bit 31 */
static uint32_t f_xvs(unsigned t, unsigned a, unsigned b, unsigned xo)
{
	return 31u << 26 | (t & 31) << 21 | a << 16 | b << 11 | xo << 1 | t >> 5;
}

#define I_XXPERMDI(t, a, b, dm) f_xx3(t, a, b, (dm) << 5 | 10)
#define I_XXSPLTW(t, b, u)	(f_xx2(t, b, 164) | (u) << 16)
#define I_MFVSRD(ra, s)		f_xvs(s, ra, 0, 51)
#define I_MTVSRD(t, ra)		f_xvs(t, ra, 0, 179)
#define I_LXVD2X(t, ra, rb)	f_xvs(t, ra, rb, 844)
#define I_STXVD2X(s, ra, rb)	f_xvs(s, ra, rb, 972)
#define I_MFFS(t)		f_fx(63, t, 0, 0, 583, 0)
#define I_MTFSF(flm, b)		(f_fx(63, 0, 0, b, 711, 0) | (flm) << 17)
#define I_MFVSCR(t)		f_vx(t, 0, 0, 1540)
#define I_MTVSCR(b)		f_vx(0, 0, b, 1604)

static void vwrote(struct gen *g, unsigned n, bool sp)
{
	g->sp[n] = sp;
	g->vrecent[g->nvrecent++ & 3] = (uint8_t)n;
}

/* Undefined doubleword 1 -> copy of doubleword 0 */
static void norm_dw1(struct gen *g, unsigned n)
{
	emit(g, I_XXPERMDI(n, n, n, 0));
}

#define I_CRCLR(b)  (19u << 26 | (b) << 21 | (b) << 16 | (b) << 11 | 193u << 1)
#define I_MTFSB0(b) f_fx(63, b, 0, 0, 70, 0)

/* Rc=1 FP instruction: CR1[FX] as QEMU has it is not comparable (above) */
static void fp_rc(struct gen *g, unsigned rc)
{
	if (rc)
		emit(g, I_CRCLR(4));
}

/* fcmpu / fcmpo: QEMU clears FI (above) */
static void fcmp_fi(struct gen *g)
{
	emit(g, I_MTFSB0(14));
}

/* Single-precision result: FPSCR[FPRF] C bit cleared (QEMU, above) */
static void sp_fprf(struct gen *g)
{
	emit(g, I_MTFSB0(15));
}

/* Vector FP instruction: FI, UX cleared (QEMU, above) */
static void xv_fpscr(struct gen *g)
{
	emit(g, I_MTFSB0(14));
	emit(g, I_MTFSB0(4));
}

/* An FP instruction wrote FPR f: doubleword 1 of its VSR is undefined */
static void fwrote(struct gen *g, unsigned f, bool sp)
{
	norm_dw1(g, f);
	vwrote(g, f, sp);
}

static unsigned vsr_pick(struct gen *g, bool fpr_only, bool vr_only)
{
	if (g->nvrecent && chance(g, 35)) {
		unsigned n = g->vrecent[rnd(g, g->nvrecent < 4 ? g->nvrecent : 4)];

		if ((!fpr_only || n < 32) && (!vr_only || n >= 32))
			return n;
	}
	if (fpr_only || (!vr_only && rnd(g, 2)))
		return rnd(g, NFPR);
	return 32 + rnd(g, NFPR);
}

static unsigned fsrc(struct gen *g)
{
	return vsr_pick(g, true, false);
}

static unsigned fdst(struct gen *g)
{
	return rnd(g, NFPR);
}

/* a VSR whose doubleword 0 is single-representable (made so by frsp/xsrsp) */
static unsigned src_sp(struct gen *g, bool fpr_only)
{
	unsigned n = vsr_pick(g, fpr_only, false);

	if (g->sp[n] || (chance(g, 60) && (n = vsr_pick(g, fpr_only, false), g->sp[n])))
		return n;
	for (unsigned i = 0; i < 4; i++) {
		unsigned m = vsr_pick(g, fpr_only, false);

		if (g->sp[m])
			return m;
	}
	if (n < 32)
		emit(g, f_fx(63, n, 0, n, 12, 0)); /* frsp */
	else
		emit(g, f_xx2(n, n, 281)); /* xsrsp */
	emit(g, I_MTFSB0(15));		   /* sp_fprf() */
	norm_dw1(g, n);
	g->sp[n] = true;
	return n;
}

static void u_fp_arith(struct gen *g)
{
	static const struct {
		unsigned xo;
		const char *use;
	} t[] = {
		{ 18, "ab" },  { 20, "ab" }, { 21, "ab" },  { 22, "b" },   { 24, "b" },
		{ 25, "ac" },  { 26, "b" },  { 28, "abc" }, { 29, "abc" }, { 30, "abc" },
		{ 31, "abc" }, { 21, "ab" }, { 25, "ac" },  { 29, "abc" },
	};
	unsigned i = rnd(g, sizeof(t) / sizeof(t[0])), sgl = rnd(g, 2);
	unsigned rc = chance(g, 25), ft = fdst(g), fa = 0, fb = 0, fc = 0;
	unsigned xo = t[i].xo;
	const char *u = t[i].use;

	if (xo >= 30 && g->rn >= 2) /* fnmadd, fnmsub: QEMU (above) */
		xo -= 2;
	if (xo == 24) { /* fre[s]: nonzero operand (QEMU, above) */
		uint64_t v;

		do
			v = sgl ? f32_to_f64_bits(rand_f32(g)) : rand_f64(g);
		while (!(v << 1));
		fb = fdst(g);
		emit_li64(g, 30, v);
		emit(g, I_MTVSRD(fb, 30));
		norm_dw1(g, fb);
		vwrote(g, fb, f64_is_single(v));
		emit(g, f_a(sgl ? 59 : 63, ft, 0, fb, 0, xo, rc));
		fp_rc(g, rc);
		if (sgl)
			sp_fprf(g);
		fwrote(g, ft, sgl);
		return;
	}
	if (strchr(u, 'a'))
		fa = sgl ? src_sp(g, true) : fsrc(g);
	if (strchr(u, 'b'))
		fb = sgl ? src_sp(g, true) : fsrc(g);
	if (strchr(u, 'c'))
		fc = sgl ? src_sp(g, true) : fsrc(g);
	emit(g, f_a(sgl ? 59 : 63, ft, fa, fb, fc, xo, rc));
	fp_rc(g, rc);
	if (sgl)
		sp_fprf(g);
	fwrote(g, ft, sgl);
}

/* FPSCR[FPRF] undefined: cleared (mtfsfi 4,0; mtfsb0 15) */
static void norm_fprf(struct gen *g)
{
	emit(g, 63u << 26 | 4u << 23 | 134u << 1);
	emit(g, I_MTFSB0(15));
}

/* FRT[0:31] undefined: keep the low word only */
static void norm_low_word(struct gen *g, unsigned f)
{
	emit(g, I_MFVSRD(30, f));
	emit(g, I_CLRLDI(30, 30, 32));
	emit(g, I_MTVSRD(f, 30));
	norm_dw1(g, f);
}

static void u_fp_misc(struct gen *g)
{
	unsigned ft = fdst(g), fb = fsrc(g), rc = chance(g, 25), fa, x;
	bool sp = false;

	switch (rnd(g, 16)) {
	case 0: /* fcmpu, fcmpo */
		x = rnd(g, 2) ? 32 : 0;
		emit(g, f_fx(63, rnd(g, 8) << 2, fsrc(g), fb, x, 0));
		fcmp_fi(g);
		if (x)
			emit(g, I_MTFSB0(15)); /* QEMU: fcmpo C (above) */
		return;
	case 1: /* frsp */
		emit(g, f_fx(63, ft, 0, fb, 12, rc));
		sp_fprf(g);
		sp = true;
		break;
	case 2:
	case 3: /* fctiw fctiwz fctiwu fctiwuz */
		x = (unsigned[]){ 14, 15, 142, 143 }[rnd(g, 4)];
		emit(g, f_fx(63, ft, 0, fb, x, rc));
		norm_fprf(g);
		norm_low_word(g, ft);
		break;
	case 4:
	case 5: /* fctid fctidz fctidu fctiduz */
		x = (unsigned[]){ 814, 815, 942, 943 }[rnd(g, 4)];
		emit(g, f_fx(63, ft, 0, fb, x, rc));
		norm_fprf(g);
		break;
	case 6: /* fcfid fcfidu fcfids fcfidus */
		x = rnd(g, 4);
		emit(g, f_fx(x & 2 ? 59 : 63, ft, 0, fb, x & 1 ? 974 : 846, rc));
		sp = x & 2;
		if (x) /* not fcfid (QEMU, above) */
			norm_fprf(g);
		break;
	case 7:
	case 8: /* fneg fmr fnabs fabs */
		emit(g, f_fx(63, ft, 0, fb, (unsigned[]){ 40, 72, 136, 264 }[rnd(g, 4)], rc));
		sp = g->sp[fb];
		break;
	case 9: /* frin friz frip frim */
		emit(g, f_fx(63, ft, 0, fb, 392 + 32 * rnd(g, 4), rc));
		sp = g->sp[fb];
		break;
	case 10: /* fcpsgn */
		emit(g, f_fx(63, ft, fsrc(g), fb, 8, rc));
		sp = g->sp[fb];
		break;
	case 11: /* fsel */
		fa = fsrc(g);
		x = fsrc(g);
		emit(g, f_a(63, ft, fa, fb, x, 23, rc));
		sp = g->sp[fb] && g->sp[x];
		break;
	case 12: /* fmrgew fmrgow */
		emit(g, f_fx(63, ft, fsrc(g), fb, rnd(g, 2) ? 966 : 838, 0));
		break;
	case 13: /* ftdiv ftsqrt */
		if (rnd(g, 2))
			emit(g, f_fx(63, rnd(g, 8) << 2, fsrc(g), fb, 128, 0));
		else
			emit(g, f_fx(63, rnd(g, 8) << 2, 0, fb, 160, 0));
		return;
	default: /* fabs / fneg of a recent result, then a compare */
		emit(g, f_fx(63, ft, 0, fb, rnd(g, 2) ? 264 : 40, 0));
		norm_dw1(g, ft);
		emit(g, f_fx(63, rnd(g, 8) << 2, ft, fsrc(g), 0, 0));
		fcmp_fi(g);
		vwrote(g, ft, g->sp[fb]);
		return;
	}
	fp_rc(g, rc);
	fwrote(g, ft, sp);
}

static void u_fpscr(struct gen *g)
{
	unsigned ft, rc = chance(g, 25), bt, bf, u;
	uint32_t v;

	switch (rnd(g, 7)) {
	case 0: /* mffs; FRT[0:31] undefined (2.07); FR, FX: QEMU */
		ft = fdst(g);
		emit(g, I_MFFS(ft) | rc);
		fp_rc(g, rc);
		emit(g, I_MFVSRD(30, ft));
		emit(g, f_m(21, 30, 30, 0, 14, 12, 0)); /* clear bit 13 (FR) */
		emit(g, f_m(21, 30, 30, 0, 1, 31, 0));	/* clear bit 0 (FX), 0:31 */
		emit(g, I_MTVSRD(ft, 30));
		norm_dw1(g, ft);
		vwrote(g, ft, false);
		break;
	case 1:
	case 2: /* mtfsf: enables, NI and the reserved bit 20 stay 0 */
		ft = fdst(g);
		v = (uint32_t)rnd64(g) & (uint32_t)rnd64(g) & ~0x8fcu;
		v |= rnd(g, 4);
		emit_li64(g, 30, v);
		emit(g, I_MTVSRD(ft, 30));
		norm_dw1(g, ft);
		u = rnd(g, 256);
		if (u & 1) /* field 7 */
			g->rn = v & 3;
		emit(g, I_MTFSF(u, ft) | rc);
		fp_rc(g, rc);
		vwrote(g, ft, false);
		break;
	case 3: /* mtfsfi */
		bf = rnd(g, 8);
		u = rnd(g, 16);
		if (bf == 5)
			u &= 7;
		else if (bf == 6)
			u = 0;
		else if (bf == 7)
			g->rn = u &= 3;
		emit(g, 63u << 26 | bf << 23 | u << 12 | 134u << 1 | rc);
		fp_rc(g, rc);
		break;
	case 4:
	case 5: /* mtfsb0, mtfsb1 (not the enables, NI, reserved bit 20) */
		do
			bt = rnd(g, 32);
		while (bt == 20 || (bt >= 24 && bt <= 29));
		u = rnd(g, 2);
		emit(g, f_fx(63, bt, 0, 0, u ? 70 : 38, rc));
		if (bt >= 30)
			g->rn = u ? g->rn & ~(1u << (31 - bt)) : g->rn | 1u << (31 - bt);
		fp_rc(g, rc);
		break;
	default: /* mcrfs; the copies of FR (field 3), FX (field 0) cleared */
		bf = rnd(g, 8);
		u = rnd(g, 8);
		emit(g, 63u << 26 | bf << 23 | u << 18 | 64u << 1);
		if (u == 3)
			emit(g, I_CRCLR(4 * bf + 1));
		else if (u == 0)
			emit(g, I_CRCLR(4 * bf));
		break;
	}
}

static void u_fpmem(struct gen *g)
{
	unsigned k = rnd(g, 20), n, off;

	switch (k) {
	case 0:
	case 1: /* lfd lfs */
		n = fdst(g);
		off = rnd(g, GEN_BUF - (k ? 3 : 7));
		emit(g, f_d(k ? 48 : 50, n, 29, off));
		fwrote(g, n, k == 1);
		break;
	case 2:
	case 3: /* stfd stfs */
		n = k == 3 ? src_sp(g, true) : fsrc(g);
		off = rnd(g, GEN_BUF - (k == 3 ? 3 : 7));
		emit(g, f_d(k == 3 ? 52 : 54, n, 29, off));
		break;
	case 4:
	case 5: /* lfiwax lfiwzx, stfiwx */
		off = rnd(g, GEN_BUF - 3);
		emit(g, I_LI(30, off));
		if (k == 4) {
			n = fdst(g);
			emit(g, f_fx(31, n, 29, 30, rnd(g, 2) ? 855 : 887, 0));
			fwrote(g, n, false);
		} else {
			emit(g, f_fx(31, fsrc(g), 29, 30, 983, 0));
		}
		break;
	case 6:
	case 7:
	case 8: /* lxvd2x lxvw4x lxvdsx */
		n = vsr_pick(g, false, false);
		off = rnd(g, GEN_BUF - 15);
		emit(g, I_LI(30, off));
		emit(g, f_xvs(n, 29, 30, (unsigned[]){ 844, 780, 332 }[k - 6]));
		vwrote(g, n, false);
		break;
	case 9:
	case 10: /* stxvd2x stxvw4x */
		off = rnd(g, GEN_BUF - 15);
		emit(g, I_LI(30, off));
		emit(g, f_xvs(vsr_pick(g, false, false), 29, 30, k == 9 ? 972 : 908));
		break;
	case 11: /* lxsdx lxsspx lxsiwax lxsiwzx: doubleword 1 undefined */
		n = vsr_pick(g, false, false);
		k = rnd(g, 4);
		off = rnd(g, GEN_BUF - 7);
		emit(g, I_LI(30, off));
		emit(g, f_xvs(n, 29, 30, (unsigned[]){ 588, 524, 76, 12 }[k]));
		norm_dw1(g, n);
		vwrote(g, n, k == 1);
		break;
	case 12: /* stxsdx stxsiwx stxsspx */
		off = rnd(g, GEN_BUF - 7);
		emit(g, I_LI(30, off));
		switch (rnd(g, 3)) {
		case 0:
			emit(g, f_xvs(vsr_pick(g, false, false), 29, 30, 716));
			break;
		case 1:
			emit(g, f_xvs(vsr_pick(g, false, false), 29, 30, 140));
			break;
		default:
			n = src_sp(g, false);
			emit(g, f_xvs(n, 29, 30, 652));
			break;
		}
		break;
	case 13:
	case 14: /* lvx stvx (quadword aligned) */
		off = rnd(g, GEN_BUF);
		emit(g, I_LI(30, off));
		n = vsr_pick(g, false, true);
		emit(g, f_fx(31, n - 32, 29, 30, k == 13 ? 103 : 231, 0));
		if (k == 13)
			vwrote(g, n, false);
		break;
	case 15: /* lvsl lvsr */
		off = rnd(g, GEN_BUF);
		emit(g, I_LI(30, off));
		n = 32 + rnd(g, NFPR);
		emit(g, f_fx(31, n - 32, 29, 30, rnd(g, 2) ? 6 : 38, 0));
		vwrote(g, n, false);
		break;
	default: /* mfvsrd mfvsrwz mtvsrd mtvsrwa mtvsrwz */
		n = vsr_pick(g, false, false);
		if (rnd(g, 2)) {
			unsigned r = dst(g);

			emit(g, f_xvs(n, r, 0, rnd(g, 2) ? 51 : 115));
			wrote(g, r);
		} else {
			emit(g, f_xvs(n, src(g), 0, (unsigned[]){ 179, 211, 243 }[rnd(g, 3)]));
			norm_dw1(g, n);
			vwrote(g, n, false);
		}
		break;
	}
}

/* ---- VMX ------------------------------------------------------------- */

static unsigned vr(struct gen *g)
{
	return vsr_pick(g, false, true) - 32;
}

static unsigned vrd(struct gen *g)
{
	return rnd(g, NFPR);
}

/* VX-form ops with VRA and VRB (integer, logical, permute, float) */
static const unsigned vx3[] = {
	0,    64,   128,  192,	384,  512,  576,  640,	768,  832,  896,	/* add */
	1024, 1088, 1152, 1216, 1408, 1536, 1600, 1664, 1792, 1856, 1920,	/* sub */
	2,    66,   130,  194,	258,  322,  386,  450,				/* max */
	514,  578,  642,  706,	770,  834,  898,  962,				/* min */
	1026, 1090, 1154, 1282, 1346, 1410,					/* avg */
	1028, 1092, 1156, 1220, 1284, 1348, 1412, 1668,				/* logical */
	4,    68,   132,  196,	260,  324,  388,  1476, 516,  580,  644,  1732, /* rot, shift */
	772,  836,  900,  964,	1036, 1100,					/* sra, slo sro */
	8,    72,   136,  264,	328,  392,  520,  584,	648,  776,  840,  904,	137, /* mul */
	1544, 1800, 1608, 1672, 1928,						     /* sum */
	12,   76,   140,  268,	332,  396,  1932, 1676,				     /* merge */
	14,   78,   142,  206,	270,  334,  398,  462,	1102, 1230, 1358, 1486, 782, /* pack */
	10,   74,   1034, 1098,							     /* vaddfp.. */
};

/* VX-form with VRB only */
static const unsigned vx1[] = {
	526,  590,  654,  718,	846,  974,  1614, 1742, /* unpack */
	1794, 1858, 1922, 1986, 1795, 1859, 1923, 1987, /* vclz, vpopcnt */
	1292,						/* vgbbd */
	266,  330,  522,  586,	650,  714,		/* vrefp vrsqrtefp vrfi* */
};

static void u_vmx(struct gen *g)
{
	unsigned t = vrd(g), x;

	switch (rnd(g, 12)) {
	case 0:
	case 1:
	case 2:
	case 3:
		emit(g, f_vx(t, vr(g), vr(g), vx3[rnd(g, sizeof(vx3) / sizeof(vx3[0]))]));
		break;
	case 4:
		emit(g, f_vx(t, 0, vr(g), vx1[rnd(g, sizeof(vx1) / sizeof(vx1[0]))]));
		break;
	case 5: /* vsl vsr: the shift count must be the same in every byte */
		x = vrd(g);
		emit(g, f_vx(x, rnd(g, 16), vr(g), 524)); /* vspltb */
		emit(g, f_vx(t, vr(g), x, rnd(g, 2) ? 452 : 708));
		break;
	case 6: /* vspltb vsplth vspltw, vspltis[bhw] */
		switch (rnd(g, 6)) {
		case 0:
			emit(g, f_vx(t, rnd(g, 16), vr(g), 524));
			break;
		case 1:
			emit(g, f_vx(t, rnd(g, 8), vr(g), 588));
			break;
		case 2:
			emit(g, f_vx(t, rnd(g, 4), vr(g), 652));
			break;
		default:
			emit(g, f_vx(t, rnd(g, 32), 0, 780 + 64 * rnd(g, 3)));
			break;
		}
		break;
	case 7: /* vcfux vcfsx vctuxs vctsxs */
		emit(g, f_vx(t, rnd(g, 32), vr(g), 778 + 64 * rnd(g, 4)));
		break;
	case 8: /* vperm vsel vsldoi */
		x = rnd(g, 3);
		emit(g, f_va(t, vr(g), vr(g), x == 2 ? rnd(g, 16) : vr(g), 42 + x));
		break;
	case 9: /* vmhaddshs vmhraddshs vmladduhm vmsum*, vmaddfp vnmsubfp */
		x = (unsigned[]){ 32, 33, 34, 36, 37, 38, 39, 40, 41, 46, 47, 46, 47 }[rnd(g, 13)];
		emit(g, f_va(t, vr(g), vr(g), vr(g), x));
		break;
	case 10: /* compares, Rc sets CR6 */
		x = (unsigned[]){ 6,   70,  134, 199, 518, 582, 646, 711, 774, 838,
				  902, 967, 198, 454, 710, 966, 198, 710, 966 }[rnd(g, 19)];
		emit(g, f_vx(t, vr(g), vr(g), x | rnd(g, 2) << 10));
		break;
	default: /* mfvscr, mtvscr (NJ and SAT only) */
		if (rnd(g, 2)) {
			emit(g, I_MFVSCR(t));
		} else {
			emit_li64(g, 30, (rnd(g, 2) ? 0x10000u : 0) | rnd(g, 2));
			emit(g, I_MTVSRD(32 + t, 30));
			norm_dw1(g, 32 + t);
			emit(g, I_MTVSCR(t));
		}
		break;
	}
	vwrote(g, 32 + t, false);
}

/* ---- VSX -------------------------------------------------------------- */

static unsigned vs(struct gen *g)
{
	return vsr_pick(g, false, false);
}

static unsigned vsd(struct gen *g)
{
	return rnd(g, 2) ? rnd(g, NFPR) : 32 + rnd(g, NFPR);
}

/* Load VSR b with doublewords v0, v1 (b2: another VSR, clobbered) */
static void load_vsr(struct gen *g, unsigned b, unsigned b2, uint64_t v0, uint64_t v1)
{
	emit_li64(g, 30, v0);
	emit_li64(g, 31, v1);
	emit(g, I_MTVSRD(b, 30));
	emit(g, I_MTVSRD(b2, 31));
	emit(g, I_XXPERMDI(b, b, b2, 0));
	norm_dw1(g, b2);
	vwrote(g, b2, false);
	vwrote(g, b, f64_is_single(v0));
}

/*
 * Operand of xsmaxdp/xsmindp/xvmax*p/xvmin*p without SNaN elements: QEMU 7.2
 * returns the default NaN or the other NaN for an SNaN operand (7.6 xsmaxdp:
 * the SNaN, quieted). Also, QEMU's max/min do not reset the softfloat flags
 * first, so an inexact or overflow of an earlier instruction whose FPSCR bit
 * mtfsf/mtfsfi cleared is raised again (7.6: max/min raise only VXSNAN): a
 * "mtfsb0 1" (architecturally no effect, FEX cannot be cleared) before them
 * makes QEMU reset its flags.
 */
static unsigned fresh_nosnan(struct gen *g, bool sp)
{
	unsigned b = vsd(g), b2 = vsd(g);
	uint64_t v[2];

	while (b2 == b)
		b2 = vsd(g);
	for (unsigned i = 0; i < 2; i++) {
		if (sp) {
			uint32_t w[2];

			for (unsigned j = 0; j < 2; j++) {
				w[j] = rand_f32(g);
				if ((w[j] & 0x7fc00000) == 0x7f800000 && (w[j] & 0x3fffff))
					w[j] |= 0x400000;
			}
			v[i] = (uint64_t)w[0] << 32 | w[1];
		} else {
			v[i] = rand_f64(g);
			if ((v[i] & 0x7ff8000000000000ull) == 0x7ff0000000000000ull &&
			    (v[i] & 0xfffffffffffffull))
				v[i] |= 0x8000000000000ull;
		}
	}
	load_vsr(g, b, b2, v[0], v[1]);
	return b;
}

/*
 * A fresh source for xscvsxdsp / xscvuxdsp: QEMU 7.2 converts the integer to
 * double and then rounds that to single (two roundings; ISA 2.07 7.6 says
 * one, from the integer), which differs when the first rounding lands on a
 * single-precision tie. With at most 53 significant bits the first rounding
 * is exact, so both agree (seed 1, sequence 425370 of make test-long).
 */
static unsigned fresh_int53(struct gen *g, bool sgn)
{
	unsigned b = vsd(g), b2 = vsd(g);
	uint64_t v[2];

	while (b2 == b)
		b2 = vsd(g);
	for (unsigned i = 0; i < 2; i++) {
		v[i] = rand_val(g);
		if (rnd(g, 2))
			v[i] &= ~0x7ffull; /* keep the high bits, drop 11 */
		else
			v[i] = sgn ? (uint64_t)((int64_t)v[i] >> 11) : v[i] >> 11;
	}
	load_vsr(g, b, b2, v[0], v[1]);
	return b;
}

static void u_vsx_scalar(struct gen *g)
{
	/* XX3 scalar double: add sub mul div max min cpsgn, fma a/m forms */
	static const unsigned dp[] = { 32, 40, 48, 56, 160, 168, 176, 32, 48 };
	static const unsigned fma[] = { 33, 41, 49, 57, 161, 169, 177, 185 };
	static const unsigned sp[] = { 0, 8, 16, 24 };
	unsigned t = vsd(g), x;
	bool tsp = false;

	switch (rnd(g, 8)) {
	case 0:
	case 1:
		x = dp[rnd(g, sizeof(dp) / sizeof(dp[0]))];
		if (x == 160 || x == 168) { /* xsmaxdp, xsmindp: no SNaN */
			unsigned a = fresh_nosnan(g, false), b = fresh_nosnan(g, false);

			emit(g, I_MTFSB0(1)); /* QEMU stale flags (above) */
			emit(g, f_xx3(t, a, b, x));
		} else {
			emit(g, f_xx3(t, vs(g), vs(g), x));
		}
		break;
	case 2: /* fma: T is an operand too; nm forms only in RN 0, 1 */
		t = vs(g);
		emit(g, f_xx3(t, vs(g), vs(g), fma[rnd(g, g->rn >= 2 ? 4 : 8)]));
		break;
	case 3: { /* single: operands single-representable */
		unsigned a = src_sp(g, false), b = src_sp(g, false);

		emit(g, f_xx3(t, a, b, sp[rnd(g, 4)]));
		sp_fprf(g);
		tsp = true;
		break;
	}
	case 4: { /* single fma */
		unsigned a = src_sp(g, false), b = src_sp(g, false);

		t = src_sp(g, false);
		emit(g, f_xx3(t, a, b, fma[rnd(g, g->rn >= 2 ? 4 : 8)] - 32));
		sp_fprf(g);
		tsp = true;
		break;
	}
	case 5: /* xscmpudp xscmpodp */
		emit(g, f_xx3(rnd(g, 8) << 2, vs(g), vs(g), rnd(g, 2) ? 43 : 35));
		return;
	case 6: /* XX2 double -> double / int */
		x = (unsigned[]){ 344, 328, 376, 360, 345, 361, 377, 75,
				  73,  89,  105, 121, 107, 281, 312, 296 }[rnd(g, 16)];
		if (x == 312 || x == 296)
			emit(g, f_xx2(t, fresh_int53(g, x == 312), x));
		else
			emit(g, f_xx2(t, vs(g), x));
		tsp = x == 281 || x == 312 || x == 296;
		if (tsp)
			sp_fprf(g);
		break;
	default: /* conversions with a single-precision word */
		x = rnd(g, 5);
		if (x == 0) { /* xscvdpsp: word 0, words 1..3 undefined */
			emit(g, f_xx2(t, vs(g), 265));
			emit(g, I_XXSPLTW(t, t, 0));
		} else if (x == 1) { /* xscvdpspn */
			emit(g, f_xx2(t, vs(g), 267));
			emit(g, I_XXSPLTW(t, t, 0));
		} else if (x == 2) { /* xscvspdp xscvspdpn: from word 0 */
			emit(g, f_xx2(t, vs(g), rnd(g, 2) ? 331 : 329));
			tsp = true;
		} else { /* xscvdpsxws xscvdpuxws: word 1 */
			emit(g, f_xx2(t, vs(g), rnd(g, 2) ? 88 : 72));
			emit(g, I_XXSPLTW(t, t, 1));
			vwrote(g, t, false);
			return;
		}
		if (x < 2) {
			vwrote(g, t, false);
			return;
		}
		break;
	}
	norm_dw1(g, t);
	vwrote(g, t, tsp);
}

/* Is the conversion of x (double bits) to a 32/64-bit [un]signed integer
 * invalid (NaN, or out of range after truncation)? */
static bool cvt_invalid(uint64_t x, unsigned bits, bool sgn)
{
	double d, lo, hi;

	if ((x & 0x7ff0000000000000ull) == 0x7ff0000000000000ull)
		return true; /* NaN, infinity */
	memcpy(&d, &x, 8);
	d = d < 0 ? -__builtin_floor(-d) : __builtin_floor(d);
	lo = sgn ? (bits == 64 ? -0x1p63 : -0x1p31) : 0;
	hi = bits == 64 ? (sgn ? 0x1p63 : 0x1p64) : (sgn ? 0x1p31 : 0x1p32);
	return d < lo || d >= hi;
}

/*
 * xvcvdp[su]xds, xvcvdp[su]xws, xvcvsp[su]xws on a fresh operand: QEMU 7.2
 * gives every element after an invalid one (NaN, out of range) the invalid
 * result too (7.6: elements are converted independently), so only the last
 * element may be invalid. xvcvdp[su]xws results are in words 0 and 2 (1, 3
 * undefined): converted back with xvcv[su]xwdp, which reads words 0 and 2.
 */
static void xv_cvt_int(struct gen *g, unsigned t)
{
	static const struct {
		unsigned xo, back, bits;
		bool sp, sgn;
	} c[] = {
		{ 472, 0, 64, false, true },   { 456, 0, 64, false, false },
		{ 216, 248, 32, false, true }, { 200, 232, 32, false, false },
		{ 152, 0, 32, true, true },    { 136, 0, 32, true, false },
	};
	unsigned k = rnd(g, 6), b = vsd(g), b2 = vsd(g);
	uint64_t v[2];

	for (unsigned i = 0; i < 2; i++) {
		if (c[k].sp) {
			uint32_t w[2];

			for (unsigned j = 0; j < 2; j++) {
				w[j] = rand_f32(g);
				if ((i < 1 || j < 1) &&
				    cvt_invalid(f32_to_f64_bits(w[j]), 32, c[k].sgn))
					w[j] = 0x3fc00000; /* 1.5 */
			}
			v[i] = (uint64_t)w[0] << 32 | w[1];
		} else {
			v[i] = rand_f64(g);
			if (i == 0 && cvt_invalid(v[0], c[k].bits, c[k].sgn))
				v[0] = 0xc004000000000000ull; /* -2.5 */
			if (i == 0 && !c[k].sgn && (v[0] >> 63))
				v[0] = 0x4004000000000000ull;
		}
	}
	while (b2 == b)
		b2 = vsd(g);
	load_vsr(g, b, b2, v[0], v[1]);
	emit(g, f_xx2(t, b, c[k].xo));
	if (c[k].back)
		emit(g, f_xx2(t, t, c[k].back));
	xv_fpscr(g);
}

static void u_vsx_vector(struct gen *g)
{
	static const unsigned ar[] = {
		96,  104, 112, 120, 224, 232, 240, 64, 72, 80, 88, 192, 200, 208, 97,
		105, 113, 121, 225, 233, 241, 249, 65, 73, 81, 89, 193, 201, 209, 217,
	};
	static const unsigned un[] = {
		473, 489, 505, 203, 201, 217, 233, 249, 235, 457,
		504, 488, 248, 409, 441, 139, 137, 153, 184, 168,
	};
	unsigned t = vsd(g), x;

	switch (rnd(g, 8)) {
	case 0:
	case 1:
	case 2:
		x = ar[rnd(g, sizeof(ar) / sizeof(ar[0]))];
		if (x & 1) /* fma: T is an operand too */
			t = vs(g);
		if ((x & 129) == 129 && g->rn >= 2) /* xvnm*: RN 0, 1 only */
			x &= ~128u;
		if ((x & ~8u) == 224 || (x & ~8u) == 192) { /* xvmax, xvmin */
			unsigned a = fresh_nosnan(g, x < 224), b = fresh_nosnan(g, x < 224);

			emit(g, I_MTFSB0(1)); /* QEMU stale flags (above) */
			emit(g, f_xx3(t, a, b, x));
		} else {
			emit(g, f_xx3(t, vs(g), vs(g), x));
		}
		xv_fpscr(g);
		break;
	case 3:
		emit(g, f_xx2(t, vs(g), un[rnd(g, sizeof(un) / sizeof(un[0]))]));
		xv_fpscr(g);
		break;
	case 4: /* xvcvdpsp: words 1, 3 undefined: convert back */
		if (rnd(g, 2)) {
			emit(g, f_xx2(t, vs(g), 393));
			emit(g, f_xx2(t, t, 457));
			xv_fpscr(g);
		} else {
			xv_cvt_int(g, t);
		}
		break;
	case 5: /* compares, Rc sets CR6 */
		x = (unsigned[]){ 99, 107, 115, 67, 75, 83 }[rnd(g, 6)];
		emit(g, f_xx3(t, vs(g), vs(g), rnd(g, 2) << 7 | x));
		xv_fpscr(g);
		break;
	default: /* logical, merge, permute, select, splat */
		switch (rnd(g, 6)) {
		case 0:
		case 1:
			emit(g, f_xx3(t, vs(g), vs(g), 130 + 8 * rnd(g, 8)));
			break;
		case 2:
			emit(g, f_xx3(t, vs(g), vs(g), rnd(g, 2) ? 18 : 50));
			break;
		case 3: /* xxpermdi xxsldwi */
			emit(g, f_xx3(t, vs(g), vs(g), rnd(g, 4) << 5 | (rnd(g, 2) ? 10 : 2)));
			break;
		case 4: { /* xxsel */
			unsigned a = vs(g), b = vs(g), c = vs(g);

			emit(g, 60u << 26 | (t & 31) << 21 | (a & 31) << 16 | (b & 31) << 11 |
					(c & 31) << 6 | 3u << 4 | (c >> 5) << 3 | (a >> 5) << 2 |
					(b >> 5) << 1 | t >> 5);
			break;
		}
		default:
			emit(g, I_XXSPLTW(t, vs(g), rnd(g, 4)));
			break;
		}
		break;
	}
	vwrote(g, t, false);
}

/* ---- Sequences ------------------------------------------------------- */

struct unit {
	void (*fn)(struct gen *g);
	unsigned weight;
	bool be_only;
};

static const struct unit units[] = {
	{ u_addsub, 14, false }, { u_addimm, 6, false }, { u_mul, 7, false },
	{ u_div, 8, false },	 { u_logic, 8, false },	 { u_misc, 8, false },
	{ u_rot, 10, false },	 { u_shift, 8, false },	 { u_cmp, 5, false },
	{ u_cr, 6, false },	 { u_spr, 5, false },	 { u_ldst, 14, false },
	{ u_atomic, 3, false },	 { u_multi, 5, true },
};

/* FP/vector sequences: mostly these, the rest from units[] */
static const struct unit fp_units[] = {
	{ u_fp_arith, 16, false },   { u_fp_misc, 10, false }, { u_fpscr, 5, false },
	{ u_fpmem, 6, false },	     { u_vmx, 18, false },     { u_vsx_scalar, 10, false },
	{ u_vsx_vector, 12, false },
};

static void gen_unit(struct gen *g, bool fp)
{
	unsigned total = 0, r;
	size_t i;

	if (fp && chance(g, 85)) {
		for (i = 0; i < sizeof(fp_units) / sizeof(fp_units[0]); i++)
			total += fp_units[i].weight;
		r = rnd(g, total);
		for (i = 0; r >= fp_units[i].weight; i++)
			r -= fp_units[i].weight;
		fp_units[i].fn(g);
		return;
	}
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (!units[i].be_only || !g->le)
			total += units[i].weight;
	r = rnd(g, total);
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (units[i].be_only && g->le)
			continue;
		if (r < units[i].weight) {
			units[i].fn(g);
			return;
		}
		r -= units[i].weight;
	}
}

/*
 * Initial FP state of an FP/vector sequence, loaded from its record (which
 * gen_build fills with these values): FPSCR (random rounding mode, some
 * sticky and status bits, enables off), VSCR (NJ, SAT), the VSRs.
 */
static void fp_setup(struct gen *g, struct gen_seq *s, uint64_t rec)
{
	s->init_fpscr = rnd(g, 4);
	if (chance(g, 35)) /* not FR (see above), FEX, VX, enables, NI */
		s->init_fpscr |= (uint32_t)rnd64(g) & (uint32_t)rnd64(g) & 0x9ffbf700u;
	s->init_vscr = (chance(g, 50) ? 0x10000u : 0) | (chance(g, 30) ? 1u : 0);
	g->rn = s->init_fpscr & 3;
	for (unsigned k = 0; k < GEN_NVSR; k++) {
		rand_vsr(g, k >= GEN_NVSR / 2, s->init_vsr[k]);
		g->sp[gen_vsr_num(k)] = f64_is_single(s->init_vsr[k][0]);
	}
	emit_li64(g, 30, rec + GEN_REC_FPSCR * 8);
	emit(g, f_d(50, 0, 30, 0)); /* lfd f0 */
	emit(g, I_MTFSF(0xff, 0));
	emit(g, I_LI(31, (GEN_REC_VSCR - GEN_REC_FPSCR) * 8));
	emit(g, I_LXVD2X(32, 30, 31));
	emit(g, I_MTVSCR(0));
	for (unsigned k = 0; k < GEN_NVSR; k++) {
		emit(g, I_LI(31, (GEN_REC_VSR - GEN_REC_FPSCR + 2 * k) * 8));
		emit(g, I_LXVD2X(gen_vsr_num(k), 30, 31));
	}
}

static void gen_seq(struct gen *g, struct gen_seq *s, uint64_t seed, unsigned idx,
		    uint64_t data_addr)
{
	uint64_t rec = data_addr + GEN_BUF;
	unsigned n;

	g->rng = seed * 0x100000001b3ull ^ (uint64_t)idx * 0x9e3779b97f4a7c15ull ^
		 (g->le ? 0x5bd1e995ull << 32 : 0);
	rnd64(g);
	g->nrecent = 0;
	g->buf = data_addr;
	s->code_off = (uint32_t)g->n;
	for (unsigned i = 0; i < GEN_BUF; i++) {
		switch (i % 64 == 0 ? rnd(g, 4) : 0) {
		default:
			s->init_buf[i] = (uint8_t)rnd64(g);
			break;
		case 3:
			memset(&s->init_buf[i], rnd(g, 2) ? 0xff : 0x80, 8);
			i += 7;
			break;
		}
	}
	s->fp = chance(g, 50);
	g->nvrecent = 0;
	if (s->fp)
		fp_setup(g, s, rec);
	memset(s->init_gpr, 0, sizeof(s->init_gpr));
	s->init_gpr[29] = data_addr;
	emit(g, I_LI(1, 0));
	emit(g, I_LI(2, 0));
	remat_r29(g);
	for (unsigned r = 3; r <= 28; r++) {
		s->init_gpr[r] = rand_val(g);
		emit_li64(g, r, s->init_gpr[r]);
	}
	s->init_gpr[30] = rnd(g, 100);
	s->init_gpr[31] = rnd(g, 100);
	emit(g, I_LI(30, s->init_gpr[30]));
	emit(g, I_LI(31, s->init_gpr[31]));
	s->init_cr = chance(g, 20) ? 0 : (uint32_t)rnd64(g);
	emit_li64(g, 0, s->init_cr);
	emit(g, I_MTCRF(0xff, 0));
	s->init_xer = (chance(g, 30) ? 1ull << 31 : 0) | (chance(g, 25) ? 1ull << 30 : 0) |
		      (chance(g, 50) ? 1ull << 29 : 0) | (chance(g, 25) ? 1ull << 19 : 0) |
		      (chance(g, 50) ? 1ull << 18 : 0) | (chance(g, 50) ? rnd(g, 128) : 0);
	emit_li64(g, 0, s->init_xer);
	emit(g, I_MTSPR(1, 0));
	s->init_lr = rand_val(g);
	emit_li64(g, 0, s->init_lr);
	emit(g, I_MTSPR(8, 0));
	s->init_ctr = rand_val(g);
	emit_li64(g, 0, s->init_ctr);
	emit(g, I_MTSPR(9, 0));

	s->body_off = (uint32_t)g->n;
	n = 1 + rnd(g, 12);
	if (gen_unit_limit && n > gen_unit_limit)
		n = gen_unit_limit;
	for (unsigned i = 0; i < n; i++)
		gen_unit(g, s->fp);
	s->body_len = (uint32_t)(g->n - s->body_off);

	emit_li64(g, 2, rec);
	for (unsigned r = 3; r <= 31; r++)
		emit(g, I_STD(r, r * 8, 2));
	emit(g, I_MFCR(0));
	emit(g, I_STD(0, GEN_REC_CR * 8, 2));
	emit(g, I_MFSPR(0, 1));
	emit(g, I_STD(0, GEN_REC_XER * 8, 2));
	emit(g, I_MFSPR(0, 8));
	emit(g, I_STD(0, GEN_REC_LR * 8, 2));
	emit(g, I_MFSPR(0, 9));
	emit(g, I_STD(0, GEN_REC_CTR * 8, 2));
	if (s->fp) {
		for (unsigned k = 0; k < GEN_NVSR; k++) {
			emit(g, I_LI(0, (GEN_REC_VSR + 2 * k) * 8));
			emit(g, I_STXVD2X(gen_vsr_num(k), 2, 0));
		}
		emit(g, I_MFFS(0));
		emit(g, f_d(54, 0, 2, GEN_REC_FPSCR * 8)); /* stfd */
		emit(g, I_MFVSCR(0));
		emit(g, I_LI(0, GEN_REC_VSCR * 8));
		emit(g, I_STXVD2X(32, 2, 0));
	}
	s->end_off = (uint32_t)g->n;
}

static void st32(uint8_t *p, uint32_t v, bool le)
{
	for (int i = 0; i < 4; i++)
		p[le ? i : 3 - i] = (uint8_t)(v >> (8 * i));
}

static void st64(uint8_t *p, uint64_t v, bool le)
{
	for (int i = 0; i < 8; i++)
		p[le ? i : 7 - i] = (uint8_t)(v >> (8 * i));
}

uint32_t gen_ld32(const uint8_t *p, bool le)
{
	uint32_t v = 0;

	for (int i = 0; i < 4; i++)
		v |= (uint32_t)p[le ? i : 3 - i] << (8 * i);
	return v;
}

uint64_t gen_ld64(const uint8_t *p, bool le)
{
	uint64_t v = 0;

	for (int i = 0; i < 8; i++)
		v |= (uint64_t)p[le ? i : 7 - i] << (8 * i);
	return v;
}

int gen_build(struct gen_blob *b, uint64_t seed, unsigned first, unsigned n, bool le)
{
	struct gen g = { .le = le };
	size_t code_off, tail;

	memset(b, 0, sizeof(*b));
	b->le = le;
	b->seed = seed;
	b->first = first;
	b->n = n;
	b->data_size = (size_t)n * GEN_STRIDE;
	b->seq = calloc(n ? n : 1, sizeof(*b->seq));
	if (!b->seq)
		return -1;
	code_off = (GEN_DATA_OFF + b->data_size + 4095) & ~(size_t)4095;
	b->code_off = code_off;

	/* zero r0..r2 once (string stores may wrap round to them) */
	emit(&g, I_LI(0, 0));
	emit(&g, I_LI(1, 0));
	emit(&g, I_LI(2, 0));
	for (unsigned i = 0; i < n; i++) {
		b->seq[i].data_off = GEN_DATA_OFF + i * GEN_STRIDE;
		gen_seq(&g, &b->seq[i], seed, first + i, GEN_BASE + b->seq[i].data_off);
	}
	tail = g.n;
	emit(&g, I_LI(0, 4)); /* write(1, data, size) */
	emit(&g, I_LI(3, 1));
	emit_li64(&g, 4, GEN_BASE + GEN_DATA_OFF);
	emit_li64(&g, 5, b->data_size);
	b->tail_sc_off = code_off + g.n * 4;
	emit(&g, I_SC);
	emit(&g, I_LI(0, 1)); /* exit(0) */
	emit(&g, I_LI(3, 0));
	emit(&g, I_SC);
	emit(&g, 0); /* not reached */
	if (g.oom) {
		free(g.w);
		free(b->seq);
		return -1;
	}
	b->tail_off = code_off + tail * 4;
	b->size = (code_off + g.n * 4 + 4095) & ~(size_t)4095;
	b->mem = calloc(1, b->size);
	if (!b->mem) {
		free(g.w);
		free(b->seq);
		return -1;
	}
	/* entry: b code */
	st32(b->mem, 0x48000000u | (uint32_t)code_off, le);
	for (unsigned i = 0; i < n; i++) {
		const struct gen_seq *s = &b->seq[i];
		uint8_t *rec = b->mem + s->data_off + GEN_BUF;

		memcpy(b->mem + s->data_off, s->init_buf, GEN_BUF);
		if (!s->fp)
			continue;
		st64(rec + GEN_REC_FPSCR * 8, s->init_fpscr, le);
		st64(rec + (GEN_REC_VSCR + 1) * 8, s->init_vscr, le);
		for (unsigned k = 0; k < GEN_NVSR; k++) {
			st64(rec + (GEN_REC_VSR + 2 * k) * 8, s->init_vsr[k][0], le);
			st64(rec + (GEN_REC_VSR + 2 * k + 1) * 8, s->init_vsr[k][1], le);
		}
	}
	for (size_t i = 0; i < g.n; i++)
		st32(b->mem + code_off + i * 4, g.w[i], le);
	for (unsigned i = 0; i < n; i++) {
		struct gen_seq *s = &b->seq[i];

		s->code_off = (uint32_t)(code_off + s->code_off * 4);
		s->body_off = (uint32_t)(code_off + s->body_off * 4);
		s->end_off = (uint32_t)(code_off + s->end_off * 4);
	}
	free(g.w);
	return 0;
}

void gen_free(struct gen_blob *b)
{
	free(b->mem);
	free(b->seq);
	memset(b, 0, sizeof(*b));
}
