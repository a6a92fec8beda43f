/* SPDX-License-Identifier: MIT */
/*
 * Floating-point loads/stores and scalar arithmetic (src/cpu/insn_fpmem.c,
 * insn_fp.c, fpu.c): conversions of lfs/stfs, FP unavailable, FPSCR
 * exception bits, FR/FI/FPRF, rounding modes, fused multiply-add, integer
 * conversions, compares, the FPSCR instructions and the enabled-exception
 * program interrupt. Values checked with qemu-ppc64le -cpu power8.
 */
#include "cpu/fpu.h"
#include "cpu_fixture.h"
#include "harness.h"

#define D_FORM(op, rt, ra, d)                                                       \
	(((uint32_t)(op) << 26) | ((uint32_t)(rt) << 21) | ((uint32_t)(ra) << 16) | \
	 ((uint32_t)(d)&0xffff))
#define X_FORM(op, xo, rt, ra, rb, rc)                                              \
	(((uint32_t)(op) << 26) | ((uint32_t)(rt) << 21) | ((uint32_t)(ra) << 16) | \
	 ((uint32_t)(rb) << 11) | ((uint32_t)(xo) << 1) | (rc))
#define A_FORM(op, xo, t, a, b, c, rc)                                            \
	(((uint32_t)(op) << 26) | ((uint32_t)(t) << 21) | ((uint32_t)(a) << 16) | \
	 ((uint32_t)(b) << 11) | ((uint32_t)(c) << 6) | ((uint32_t)(xo) << 1) | (rc))

#define FADD(t, a, b)	   A_FORM(63, 21, t, a, b, 0, 0)
#define FADD_RC(t, a, b)   A_FORM(63, 21, t, a, b, 0, 1)
#define FDIV(t, a, b)	   A_FORM(63, 18, t, a, b, 0, 0)
#define FMUL(t, a, c)	   A_FORM(63, 25, t, a, 0, c, 0)
#define FMADD(t, a, c, b)  A_FORM(63, 29, t, a, b, c, 0)
#define FNMADD(t, a, c, b) A_FORM(63, 31, t, a, b, c, 0)
#define FSUB(t, a, b)	   A_FORM(63, 20, t, a, b, 0, 0)
#define FADDS(t, a, b)	   A_FORM(59, 21, t, a, b, 0, 0)
#define FSQRT(t, b)	   A_FORM(63, 22, t, 0, b, 0, 0)
#define MTFSFI(bf, u)	   (X_FORM(63, 134, (bf) << 2, 0, 0, 0) | ((u) << 12))

#define DATA  (FX_DATA + 0x100)
#define ONE   0x3ff0000000000000ull
#define TWO   0x4000000000000000ull
#define THREE 0x4008000000000000ull

static void setup(struct fx *f, bool le)
{
	fx_init(f, le);
	cpu_set_msr(f->cpu, f->cpu->msr | MSR_FP);
}

static bool took(struct fx *f, uint64_t vec)
{
	return f->cpu->stop == STOP_HCALL && f->cpu->pc == vec + 4;
}

#define FPR(f, n) ((f)->cpu->vsr[n].d[0])

static uint64_t run1(struct fx *f, uint32_t insn)
{
	fx_run(f, &insn, 1);
	CHECK(fx_ran_to_end(f, 1));
	return FPR(f, 1);
}

TEST(fp_load_store_both_orders)
{
	for (int le = 0; le < 2; le++) {
		struct fx f;
		uint32_t p[] = {
			D_FORM(50, 1, 3, 0),	     /* lfd f1,0(r3) */
			D_FORM(48, 2, 3, 8),	     /* lfs f2,8(r3) */
			D_FORM(54, 1, 3, 16),	     /* stfd f1,16(r3) */
			D_FORM(52, 2, 3, 24),	     /* stfs f2,24(r3) */
			D_FORM(49, 4, 5, 12),	     /* lfsu f4,12(r5) */
			X_FORM(31, 855, 6, 0, 7, 0), /* lfiwax f6,0,r7 */
			X_FORM(31, 887, 8, 0, 7, 0), /* lfiwzx f8,0,r7 */
			X_FORM(31, 983, 6, 3, 9, 0), /* stfiwx f6,r3,r9 */
		};

		setup(&f, le);
		fx_poke64(&f, DATA, 0x400921fb54442d18ull); /* pi */
		fx_poke32(&f, DATA + 8, 0x3fc00000u);	    /* 1.5f */
		fx_poke32(&f, DATA + 12, 0x7f800001u);	    /* SNaN single */
		fx_poke32(&f, DATA + 32, 0xfffffffeu);
		f.cpu->gpr[3] = DATA;
		f.cpu->gpr[5] = DATA;
		f.cpu->gpr[7] = DATA + 32;
		f.cpu->gpr[9] = 40;
		fx_run(&f, p, 8);
		CHECK(fx_ran_to_end(&f, 8));
		CHECK_EQ(FPR(&f, 1), 0x400921fb54442d18ull);
		CHECK_EQ(FPR(&f, 2), 0x3ff8000000000000ull);
		CHECK_EQ(fx_peek(&f, DATA + 16, 8), 0x400921fb54442d18ull);
		CHECK_EQ(fx_peek(&f, DATA + 24, 4), 0x3fc00000u);
		/* lfs keeps a signalling NaN signalling (no quieting) */
		CHECK_EQ(FPR(&f, 4), 0x7ff0000020000000ull);
		CHECK_EQ(f.cpu->gpr[5], DATA + 12);
		CHECK_EQ(FPR(&f, 6), 0xfffffffffffffffeull);
		CHECK_EQ(FPR(&f, 8), 0x00000000fffffffeull);
		CHECK_EQ(fx_peek(&f, DATA + 40, 4), 0xfffffffeu);
		CHECK_EQ(f.cpu->fpscr, 0);
		fx_fini(&f);
	}
}

TEST(fp_stfs_truncates_and_denormalizes)
{
	struct fx f;
	uint32_t p[] = { D_FORM(52, 1, 3, 0), D_FORM(52, 2, 3, 4), D_FORM(48, 3, 3, 4) };

	setup(&f, true);
	FPR(&f, 1) = 0x3fb999999999999aull; /* 0.1: truncated, not rounded */
	FPR(&f, 2) = 0x3800000000000000ull; /* 2^-127: single denormal */
	f.cpu->gpr[3] = DATA;
	fx_run(&f, p, 3);
	CHECK(fx_ran_to_end(&f, 3));
	CHECK_EQ(fx_peek(&f, DATA, 4), 0x3dcccccc);
	CHECK_EQ(fx_peek(&f, DATA + 4, 4), 0x00400000);
	CHECK_EQ(FPR(&f, 3), 0x3800000000000000ull);
	fx_fini(&f);
}

TEST(fp_unavailable)
{
	struct fx f;
	uint32_t p[] = { D_FORM(50, 1, 3, 0) };
	uint32_t q[] = { FADD(1, 2, 3) };

	fx_init(&f, true);
	f.cpu->gpr[3] = DATA;
	FPR(&f, 1) = 5;
	fx_run(&f, p, 1);
	CHECK(took(&f, VEC_FPU));
	CHECK_EQ(f.cpu->spr[SPR_SRR0], FX_CODE);
	CHECK_EQ(FPR(&f, 1), 5);
	fx_run(&f, q, 1);
	CHECK(took(&f, VEC_FPU));
	fx_fini(&f);
}

TEST(fp_fadd_exact_and_inexact)
{
	struct fx f;

	setup(&f, true);
	FPR(&f, 2) = ONE;
	FPR(&f, 3) = TWO;
	CHECK_EQ(run1(&f, FADD(1, 2, 3)), THREE);
	CHECK_EQ(f.cpu->fpscr, FPRF_PNORM << 12);
	/* 0.1 + 0.2 = 0.30000000000000004: rounded up */
	FPR(&f, 2) = 0x3fb999999999999aull;
	FPR(&f, 3) = 0x3fc999999999999aull;
	CHECK_EQ(run1(&f, FADD_RC(1, 2, 3)), 0x3fd3333333333334ull);
	CHECK_EQ(f.cpu->fpscr, FPSCR_FX | FPSCR_XX | FPSCR_FR | FPSCR_FI | (FPRF_PNORM << 12));
	CHECK_EQ(cr_get_field(f.cpu, 1), 8); /* FX */
	/* toward zero: same sum truncated, FR=0 */
	f.cpu->fpscr = 1;
	CHECK_EQ(run1(&f, FADD(1, 2, 3)), 0x3fd3333333333333ull);
	CHECK_EQ(f.cpu->fpscr, 1 | FPSCR_FX | FPSCR_XX | FPSCR_FI | (FPRF_PNORM << 12));
	fx_fini(&f);
}

TEST(fp_rounding_modes_div)
{
	static const uint64_t third[4] = {
		0x3fd5555555555555ull,
		0x3fd5555555555555ull,
		0x3fd5555555555556ull,
		0x3fd5555555555555ull,
	};
	struct fx f;

	setup(&f, false);
	for (unsigned rn = 0; rn < 4; rn++) {
		f.cpu->fpscr = rn;
		FPR(&f, 2) = ONE;
		FPR(&f, 3) = THREE;
		CHECK_EQ(run1(&f, FDIV(1, 2, 3)), third[rn]);
		CHECK_EQ(f.cpu->fpscr & FPSCR_RN, rn);
	}
	fx_fini(&f);
}

TEST(fp_invalid_and_zero_divide)
{
	struct fx f;

	setup(&f, true);
	/* inf - inf: VXISI, the default QNaN (sign 0) */
	FPR(&f, 2) = DBL_EXP;
	FPR(&f, 3) = DBL_EXP;
	CHECK_EQ(run1(&f, FSUB(1, 2, 3)), DBL_DEFAULT_NAN);
	CHECK_EQ(f.cpu->fpscr, FPSCR_FX | FPSCR_VX | FPSCR_VXISI | (FPRF_QNAN << 12));
	/* 1 / 0: ZX, +inf */
	f.cpu->fpscr = 0;
	FPR(&f, 2) = ONE;
	FPR(&f, 3) = 0;
	CHECK_EQ(run1(&f, FDIV(1, 2, 3)), DBL_EXP);
	CHECK_EQ(f.cpu->fpscr, FPSCR_FX | FPSCR_ZX | (FPRF_PINF << 12));
	/* sqrt(-1): VXSQRT */
	f.cpu->fpscr = 0;
	FPR(&f, 3) = ONE | DBL_SIGN;
	CHECK_EQ(run1(&f, FSQRT(1, 3)), DBL_DEFAULT_NAN);
	CHECK_EQ(f.cpu->fpscr, FPSCR_FX | FPSCR_VX | FPSCR_VXSQRT | (FPRF_QNAN << 12));
	/* SNaN operand: VXSNAN, the quieted SNaN; FRA's NaN wins over FRB's */
	f.cpu->fpscr = 0;
	FPR(&f, 2) = 0x7ff0000000000001ull;
	FPR(&f, 3) = 0xfff8000000000002ull;
	CHECK_EQ(run1(&f, FADD(1, 2, 3)), 0x7ff8000000000001ull);
	CHECK_EQ(f.cpu->fpscr, FPSCR_FX | FPSCR_VX | FPSCR_VXSNAN | (FPRF_QNAN << 12));
	/* 0 * inf: VXIMZ */
	f.cpu->fpscr = 0;
	FPR(&f, 2) = 0;
	FPR(&f, 4) = DBL_EXP;
	CHECK_EQ(run1(&f, FMUL(1, 2, 4)), DBL_DEFAULT_NAN);
	CHECK(f.cpu->fpscr & FPSCR_VXIMZ);
	fx_fini(&f);
}

TEST(fp_overflow_underflow)
{
	struct fx f;

	setup(&f, true);
	FPR(&f, 2) = 0x7fefffffffffffffull; /* DBL_MAX */
	CHECK_EQ(run1(&f, FADD(1, 2, 2)), DBL_EXP);
	CHECK_EQ(f.cpu->fpscr & ~(FPSCR_FR | FPSCR_FPRF),
		 FPSCR_FX | FPSCR_OX | FPSCR_XX | FPSCR_FI);
	CHECK_EQ(f.cpu->fpscr & FPSCR_FPRF, FPRF_PINF << 12);
	f.cpu->fpscr = 0;
	FPR(&f, 2) = 0x0010000000000001ull; /* min normal + ulp */
	FPR(&f, 3) = 0x3fe0000000000000ull; /* 0.5 */
	run1(&f, FMUL(1, 2, 3));
	CHECK_EQ(FPR(&f, 1), 0x0008000000000000ull);
	CHECK(f.cpu->fpscr & FPSCR_UX);
	CHECK(f.cpu->fpscr & FPSCR_XX);
	CHECK_EQ(f.cpu->fpscr & FPSCR_FPRF, FPRF_PDENORM << 12);
	fx_fini(&f);
}

TEST(fp_fmadd_single_rounding)
{
	struct fx f;

	setup(&f, true);
	FPR(&f, 2) = 0x3ff0000000000001ull; /* 1 + 2^-52 */
	FPR(&f, 3) = 0x3fefffffffffffffull; /* 1 - 2^-53 */
	FPR(&f, 4) = ONE | DBL_SIGN;	    /* -1 */
	/* (1 + 2^-52)(1 - 2^-53) - 1 = 2^-53 - 2^-105 exactly (0 if rounded twice) */
	CHECK_EQ(run1(&f, FMADD(1, 2, 3, 4)), 0x3c9ffffffffffffeull);
	CHECK_EQ(run1(&f, FNMADD(1, 2, 3, 4)), 0xbc9ffffffffffffeull);
	fx_fini(&f);
}

TEST(fp_single_precision)
{
	struct fx f;

	setup(&f, true);
	/* 1 + 2^-30: rounds to 1.0 in single (inexact) */
	FPR(&f, 2) = ONE;
	FPR(&f, 3) = 0x3e10000000000000ull;
	CHECK_EQ(run1(&f, FADDS(1, 2, 3)), ONE);
	CHECK(f.cpu->fpscr & FPSCR_FI);
	/* fres of 3 */
	FPR(&f, 3) = THREE;
	CHECK_EQ(run1(&f, A_FORM(59, 24, 1, 0, 3, 0, 0)), 0x3fd5555560000000ull);
	fx_fini(&f);
}

TEST(fp_convert_to_int)
{
	struct fx f;

	setup(&f, true);
	FPR(&f, 2) = 0x400e000000000000ull;		   /* 3.75 */
	CHECK_EQ(run1(&f, X_FORM(63, 15, 1, 0, 2, 0)), 3); /* fctiwz */
	CHECK_EQ(run1(&f, X_FORM(63, 14, 1, 0, 2, 0)), 4); /* fctiw */
	FPR(&f, 2) = 0xc004000000000000ull;		   /* -2.5: nearest even -> -2 */
	CHECK_EQ(run1(&f, X_FORM(63, 14, 1, 0, 2, 0)), (uint64_t)-2);
	CHECK_EQ(run1(&f, X_FORM(63, 814, 1, 0, 2, 0)), (uint64_t)-2);
	f.cpu->fpscr = 0;
	FPR(&f, 2) = 0x41f0000000000000ull; /* 2^32: too big for a word */
	CHECK_EQ(run1(&f, X_FORM(63, 15, 1, 0, 2, 0)), 0x7fffffff);
	CHECK(f.cpu->fpscr & FPSCR_VXCVI);
	CHECK_EQ(run1(&f, X_FORM(63, 143, 1, 0, 2, 0)), 0xffffffff);
	/* fcfid of -3 and fcfidu of 2^64-1 */
	FPR(&f, 2) = (uint64_t)-3;
	CHECK_EQ(run1(&f, X_FORM(63, 846, 1, 0, 2, 0)), THREE | DBL_SIGN);
	FPR(&f, 2) = ~0ull;
	CHECK_EQ(run1(&f, X_FORM(63, 974, 1, 0, 2, 0)), 0x43f0000000000000ull);
	/* frim / frip / friz / frin of -2.5 */
	FPR(&f, 2) = 0xc004000000000000ull;
	CHECK_EQ(run1(&f, X_FORM(63, 488, 1, 0, 2, 0)), 0xc008000000000000ull);
	CHECK_EQ(run1(&f, X_FORM(63, 456, 1, 0, 2, 0)), TWO | DBL_SIGN);
	CHECK_EQ(run1(&f, X_FORM(63, 424, 1, 0, 2, 0)), TWO | DBL_SIGN);
	CHECK_EQ(run1(&f, X_FORM(63, 392, 1, 0, 2, 0)), 0xc008000000000000ull);
	fx_fini(&f);
}

TEST(fp_compare_select_moves)
{
	struct fx f;
	uint32_t p[] = {
		X_FORM(63, 0, 3 << 2, 2, 3, 0),	 /* fcmpu cr3,f2,f3 */
		X_FORM(63, 32, 4 << 2, 2, 4, 0), /* fcmpo cr4,f2,f4(NaN) */
		A_FORM(63, 23, 5, 3, 2, 4, 0),	 /* fsel f5,f3,f4,f2 */
		X_FORM(63, 8, 6, 3, 2, 0),	 /* fcpsgn f6,f3,f2 */
		X_FORM(63, 136, 7, 0, 2, 0),	 /* fnabs f7,f2 */
	};

	setup(&f, true);
	FPR(&f, 2) = ONE;
	FPR(&f, 3) = TWO | DBL_SIGN;
	FPR(&f, 4) = DBL_DEFAULT_NAN;
	fx_run(&f, p, 5);
	CHECK(fx_ran_to_end(&f, 5));
	CHECK_EQ(cr_get_field(f.cpu, 3), 4); /* 1 > -2 */
	CHECK_EQ(cr_get_field(f.cpu, 4), 1); /* unordered */
	CHECK_EQ(f.cpu->fpscr, FPSCR_FX | FPSCR_VX | FPSCR_VXVC | (1u << 12));
	CHECK_EQ(FPR(&f, 5), ONE); /* -2 < 0: FRB */
	CHECK_EQ(FPR(&f, 6), ONE | DBL_SIGN);
	CHECK_EQ(FPR(&f, 7), ONE | DBL_SIGN);
	fx_fini(&f);
}

TEST(fp_fpscr_instructions)
{
	struct fx f;
	uint32_t p[] = {
		MTFSFI(7, 3),				    /* RN = 3 */
		X_FORM(63, 38, 24, 0, 0, 0),		    /* mtfsb1 24 (VE) */
		X_FORM(63, 38, 3, 0, 0, 1),		    /* mtfsb1. 3 (OX) */
		X_FORM(63, 583, 1, 0, 0, 0),		    /* mffs f1 */
		X_FORM(63, 64, 2 << 2, 0 << 2, 0, 0),	    /* mcrfs cr2,0 */
		X_FORM(63, 711, 0, 0, 3, 0) | (0x01 << 17), /* mtfsf 0x01,f3 */
		X_FORM(63, 583, 4, 0, 0, 0),		    /* mffs f4 */
	};

	setup(&f, true);
	FPR(&f, 3) = 0x5; /* field 7: NI=1, RN=1 */
	fx_run(&f, p, 7);
	CHECK(fx_ran_to_end(&f, 7));
	CHECK_EQ(FPR(&f, 1), FPSCR_FX | FPSCR_OX | FPSCR_VE | 3);
	CHECK_EQ(cr_get_field(f.cpu, 1), 9); /* FX, OX */
	CHECK_EQ(cr_get_field(f.cpu, 2), 9);
	/* mcrfs cleared FX and OX; mtfsf replaced field 7 */
	CHECK_EQ(FPR(&f, 4), FPSCR_VE | FPSCR_NI | 1);
	fx_fini(&f);
}

TEST(fp_enabled_exception_interrupt)
{
	struct fx f;
	uint32_t p[] = { FDIV(1, 2, 3) };

	setup(&f, true);
	cpu_set_msr(f.cpu, f.cpu->msr | MSR_FE0 | MSR_FE1);
	f.cpu->fpscr = FPSCR_ZE;
	FPR(&f, 1) = 77;
	FPR(&f, 2) = ONE;
	FPR(&f, 3) = 0;
	fx_run(&f, p, 1);
	CHECK(took(&f, VEC_PROGRAM));
	CHECK(f.cpu->spr[SPR_SRR1] & SRR1_PROGFPE);
	CHECK_EQ(f.cpu->spr[SPR_SRR0], FX_CODE);
	CHECK_EQ(FPR(&f, 1), 77); /* ZE=1: target unchanged */
	CHECK_EQ(f.cpu->fpscr, FPSCR_FX | FPSCR_FEX | FPSCR_ZX | FPSCR_ZE);
	/* with MSR[FE0|FE1] = 0 the instruction just completes */
	cpu_set_msr(f.cpu, MSR_SF | MSR_ME | MSR_LE | MSR_FP);
	f.cpu->fpscr = FPSCR_ZE;
	fx_run(&f, p, 1);
	CHECK(fx_ran_to_end(&f, 1));
	CHECK_EQ(FPR(&f, 1), 77);
	fx_fini(&f);
}

TEST(fp_lfdp_stfdp)
{
	for (int le = 0; le < 2; le++) {
		struct fx f;
		uint32_t p[] = { D_FORM(57, 4, 3, 0), D_FORM(61, 4, 3, 16) };

		setup(&f, le);
		fx_poke64(&f, DATA, 0x1111);
		fx_poke64(&f, DATA + 8, 0x2222);
		f.cpu->gpr[3] = DATA;
		fx_run(&f, p, 2);
		CHECK(fx_ran_to_end(&f, 2));
		CHECK_EQ(FPR(&f, 4), le ? 0x2222 : 0x1111);
		CHECK_EQ(FPR(&f, 5), le ? 0x1111 : 0x2222);
		CHECK_EQ(fx_peek(&f, DATA + 16, 8), 0x1111);
		CHECK_EQ(fx_peek(&f, DATA + 24, 8), 0x2222);
		fx_fini(&f);
	}
}
