/* SPDX-License-Identifier: MIT */
/*
 * Random instruction sequence generator for the differential tests (see
 * gen.h). Registers: r3..r28 hold the random data and are the only
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

struct gen {
	uint64_t rng;
	bool le;
	uint32_t *w;
	size_t n, cap;
	uint64_t buf;			/* guest address of the buffer */
	uint8_t recent[4];		/* recently written registers */
	unsigned nrecent;
	bool oom;
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
	0, 1, 2, 3, 0xffffffffffffffffull, 0xfffffffffffffffeull,
	0x7fffffff, 0x80000000, 0x80000001, 0xffffffff, 0xfffffffe,
	0x100000000ull, 0xffffffff80000000ull, 0xffffffff7fffffffull,
	0x7fffffffffffffffull, 0x8000000000000000ull, 0x8000000000000001ull,
	0x00000000ffffffffull, 0xffffffff00000000ull, 0x7fffffff80000000ull,
	0x80000000ffffffffull, 0x0000000100000001ull, 0x7fff, 0x8000, 0xffff,
	0x10000, 0xffffffffffff8000ull, 0xffffffffffff7fffull, 31, 32, 33, 63,
	64, 127, 0x5555555555555555ull, 0xaaaaaaaaaaaaaaaaull,
	0x00ff00ff00ff00ffull, 0x0123456789abcdefull, 0xfedcba9876543210ull,
	0x8080808080808080ull, 0x7f7f7f7f7f7f7f7full,
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

static uint32_t f_xo(unsigned rt, unsigned ra, unsigned rb, unsigned oe,
		     unsigned xo, unsigned rc)
{
	return 31u << 26 | rt << 21 | ra << 16 | rb << 11 | oe << 10 | xo << 1 | rc;
}

/* MD/MDS 6-bit mb/me field: stored as mb[5] || mb[0:4] rotated */
static uint32_t mbe6(unsigned m)
{
	return ((m & 31) << 1 | m >> 5) << 5;
}

static uint32_t f_md(unsigned xo, unsigned ra, unsigned rs, unsigned sh,
		     unsigned mb, unsigned rc)
{
	return 30u << 26 | rs << 21 | ra << 16 | (sh & 31) << 11 | mbe6(mb) |
	       xo << 2 | (sh >> 5) << 1 | rc;
}

static uint32_t f_mds(unsigned xo, unsigned ra, unsigned rs, unsigned rb,
		      unsigned mb, unsigned rc)
{
	return 30u << 26 | rs << 21 | ra << 16 | rb << 11 | mbe6(mb) | xo << 1 | rc;
}

static uint32_t f_m(unsigned op, unsigned ra, unsigned rs, unsigned sh,
		    unsigned mb, unsigned me, unsigned rc)
{
	return op << 26 | rs << 21 | ra << 16 | sh << 11 | mb << 6 | me << 1 | rc;
}

static uint32_t spr_f(unsigned spr)
{
	return ((spr & 31) << 5 | spr >> 5) << 11;
}

#define I_LI(r, v) f_d(14, r, 0, (uint32_t)(v))
#define I_ADDI(rt, ra, v) f_d(14, rt, ra, (uint32_t)(v))
#define I_LIS(r, v) f_d(15, r, 0, (uint32_t)(v))
#define I_ORI(ra, rs, v) f_d(24, rs, ra, v)
#define I_ORIS(ra, rs, v) f_d(25, rs, ra, v)
#define I_XORI(ra, rs, v) f_d(26, rs, ra, v)
#define I_XORIS(ra, rs, v) f_d(27, rs, ra, v)
#define I_CLRLDI(ra, rs, n) f_md(0, ra, rs, 0, n, 0)
#define I_SRDI(ra, rs, n) f_md(0, ra, rs, 64 - (n), n, 0)
#define I_ROTLDI(ra, rs, n) f_md(0, ra, rs, n, 0, 0)
#define I_SLDI(ra, rs, n) f_md(1, ra, rs, n, 63 - (n), 0)
#define I_OR(ra, rs, rb) f_x(rs, ra, rb, 444, 0)
#define I_AND(ra, rs, rb) f_x(rs, ra, rb, 28, 0)
#define I_ANDC(ra, rs, rb) f_x(rs, ra, rb, 60, 0)
#define I_NOR(ra, rs, rb) f_x(rs, ra, rb, 124, 0)
#define I_EQV(ra, rs, rb) f_x(rs, ra, rb, 284, 0)
#define I_NEG(rt, ra) f_xo(rt, ra, 0, 0, 104, 0)
#define I_SUBF(rt, ra, rb) f_xo(rt, ra, rb, 0, 40, 0)
#define I_MTSPR(spr, rs) (f_x(rs, 0, 0, 467, 0) | spr_f(spr))
#define I_MFSPR(rt, spr) (f_x(rt, 0, 0, 339, 0) | spr_f(spr))
#define I_MFCR(rt) f_x(rt, 0, 0, 19, 0)
#define I_MTCRF(fxm, rs) (f_x(rs, 0, 0, 144, 0) | (fxm) << 12)
#define I_STD(rs, d, ra) f_d(62, rs, ra, (uint32_t)(d) & ~3u)
#define I_SC 0x44000002u
#define I_BDZ(off) (16u << 26 | 18u << 21 | ((off) & 0xfffc))

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
		{ 266, true }, { 10, true },   { 138, true },  { 234, false },
		{ 202, false }, { 40, true },  { 8, true },    { 136, true },
		{ 232, false }, { 200, false }, { 104, false },
	};
	unsigned i = rnd(g, sizeof(t) / sizeof(t[0]));
	unsigned rt = dst(g);

	emit(g, f_xo(rt, src(g), t[i].rb ? src(g) : 0, rnd(g, 2), t[i].xo,
		     rnd(g, 2)));
	wrote(g, rt);
}

static void u_addimm(struct gen *g)
{
	static const unsigned ops[] = { 14, 15, 12, 13, 8, 7 };
	unsigned op = ops[rnd(g, 6)];
	unsigned rt = dst(g), ra = src(g);
	uint32_t imm = chance(g, 40) ? (uint32_t)edge_vals[rnd(g, NEDGE)]
				     : (uint32_t)rnd64(g);

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
			vb = edge_vals[rnd(g, 6)];	/* 0, 1, 2, 3, -1, -2 */
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
		uint32_t imm = chance(g, 40) ? (uint32_t)edge_vals[rnd(g, NEDGE)]
					     : (uint32_t)rnd64(g);
		emit(g, f_d(dop[rnd(g, 6)], src(g), ra, imm));
	}
	wrote(g, ra);
}

static void u_misc(struct gen *g)
{
	unsigned ra = dst(g);

	switch (rnd(g, 12)) {
	case 0: /* extsb extsh extsw */
		emit(g, f_x(src(g), ra, 0, (unsigned[]){ 954, 922, 986 }[rnd(g, 3)],
			    rnd(g, 2)));
		break;
	case 1: /* cntlzw cntlzd */
		emit(g, f_x(src(g), ra, 0, rnd(g, 2) ? 26 : 58, rnd(g, 2)));
		break;
	case 2: /* popcntb popcntw popcntd */
		emit(g, f_x(src(g), ra, 0, (unsigned[]){ 122, 378, 506 }[rnd(g, 3)],
			    0));
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

		emit(g, 31u << 26 | ra << 21 | rsa << 16 | rb << 11 | rnd(g, 32) << 6 |
			    15u << 1);
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

		emit(g, 31u << 26 | rs << 21 | ra << 16 | (sh & 31) << 11 |
			    413u << 2 | (sh >> 5) << 1 | rc);
		break;
	}
	}
	wrote(g, ra);
}

/* ---- Compare, CR, XER, LR/CTR --------------------------------------- */

static void u_cmp(struct gen *g)
{
	unsigned bf = rnd(g, 8), l = rnd(g, 2), ra = src(g);
	uint32_t imm = chance(g, 40) ? (uint32_t)edge_vals[rnd(g, NEDGE)]
				     : (uint32_t)rnd64(g);

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
		emit(g, 19u << 26 | rnd(g, 32) << 21 | rnd(g, 32) << 16 |
			    rnd(g, 32) << 11 | xo[rnd(g, 8)] << 1);
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
		emit(g, f_m(21, 0, r, 0, 0, 2, 0));	/* SO OV CA */
		emit(g, f_m(20, 0, r, 0, 12, 13, 0));	/* OV32 CA32 */
		emit(g, f_m(20, 0, r, 0, 25, 31, 0));	/* byte count */
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
	int d, ds, x, du, dsu, xu;	/* opcodes / xo, -1 if none */
	bool store;
};

static const struct ldst ldst_tab[] = {
	{ 1, 34, -1, 87, 35, -1, 119, false },	/* lbz */
	{ 2, 40, -1, 279, 41, -1, 311, false },	/* lhz */
	{ 2, 42, -1, 343, 43, -1, 375, false },	/* lha */
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

static uint32_t ds_insn(const struct ldst *t, bool upd, unsigned rt,
			unsigned ra, int32_t d)
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
			emit(g, f_md(1, 0, 0, 0, 56, 0));	/* clear byte count */
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

static void gen_unit(struct gen *g)
{
	unsigned total = 0, r;
	size_t i;

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

static void gen_seq(struct gen *g, struct gen_seq *s, uint64_t seed,
		    unsigned idx, uint64_t data_addr)
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
	for (unsigned i = 0; i < n; i++)
		gen_unit(g);
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
	s->end_off = (uint32_t)g->n;
}

static void st32(uint8_t *p, uint32_t v, bool le)
{
	for (int i = 0; i < 4; i++)
		p[le ? i : 3 - i] = (uint8_t)(v >> (8 * i));
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

int gen_build(struct gen_blob *b, uint64_t seed, unsigned first, unsigned n,
	      bool le)
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
		gen_seq(&g, &b->seq[i], seed, first + i,
			GEN_BASE + b->seq[i].data_off);
	}
	tail = g.n;
	emit(&g, I_LI(0, 4));			/* write(1, data, size) */
	emit(&g, I_LI(3, 1));
	emit_li64(&g, 4, GEN_BASE + GEN_DATA_OFF);
	emit_li64(&g, 5, b->data_size);
	b->tail_sc_off = code_off + g.n * 4;
	emit(&g, I_SC);
	emit(&g, I_LI(0, 1));			/* exit(0) */
	emit(&g, I_LI(3, 0));
	emit(&g, I_SC);
	emit(&g, 0);				/* not reached */
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
	for (unsigned i = 0; i < n; i++)
		memcpy(b->mem + b->seq[i].data_off, b->seq[i].init_buf, GEN_BUF);
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
