/* SPDX-License-Identifier: MIT */
/*
 * VMX and VSX (src/cpu/insn_vmx.c, insn_vsx.c): element order of lvx and
 * lxvd2x in both byte orders, the unavailable interrupts, vperm/lvsl,
 * compares with CR6, saturation, splats, VSX logical/permute, scalar
 * double arithmetic and GPR moves.
 */
#include "cpu/fpu.h"
#include "cpu_fixture.h"
#include "harness.h"

#define X_FORM(op, xo, rt, ra, rb, rc)                                              \
	(((uint32_t)(op) << 26) | ((uint32_t)(rt) << 21) | ((uint32_t)(ra) << 16) | \
	 ((uint32_t)(rb) << 11) | ((uint32_t)(xo) << 1) | (rc))
#define VX(xo, t, a, b)                                                                       \
	((4u << 26) | ((uint32_t)(t) << 21) | ((uint32_t)(a) << 16) | ((uint32_t)(b) << 11) | \
	 (uint32_t)(xo))
#define VA(xo, t, a, b, c) (VX(xo, t, a, b) | ((uint32_t)(c) << 6))
#define XX3(xo, t, a, b)                                                                    \
	((60u << 26) | (((uint32_t)(t)&31) << 21) | (((uint32_t)(a)&31) << 16) |            \
	 (((uint32_t)(b)&31) << 11) | ((uint32_t)(xo) << 3) | (((uint32_t)(a) >> 5) << 2) | \
	 (((uint32_t)(b) >> 5) << 1) | ((uint32_t)(t) >> 5))
#define XX1(xo, t, a, b) (X_FORM(31, xo, (t)&31, a, b, 0) | ((t) >> 5))

#define DATA (FX_DATA + 0x100)

static void setup(struct fx *f, bool le)
{
	fx_init(f, le);
	cpu_set_msr(f->cpu, f->cpu->msr | MSR_FP | MSR_VEC | MSR_VSX);
	for (unsigned i = 0; i < 64; i++)
		f->ram[DATA + i] = (uint8_t)i;
}

static bool took(struct fx *f, uint64_t vec)
{
	return f->cpu->stop == STOP_HCALL && f->cpu->pc == vec + 4;
}

#define VSR0(f, n) ((f)->cpu->vsr[n].d[0])
#define VSR1(f, n) ((f)->cpu->vsr[n].d[1])

TEST(vmx_lvx_element_order)
{
	for (int le = 0; le < 2; le++) {
		struct fx f;
		uint32_t p[] = {
			X_FORM(31, 103, 1, 0, 3, 0), /* lvx v1,0,r3 */
			XX1(844, 34, 0, 3),	     /* lxvd2x vs34,0,r3 */
			X_FORM(31, 231, 1, 0, 4, 0), /* stvx v1,0,r4 */
			XX1(780, 5, 0, 3),	     /* lxvw4x vs5,0,r3 */
			XX1(972, 34, 0, 5),	     /* stxvd2x vs34,0,r5 */
		};

		setup(&f, le);
		f.cpu->gpr[3] = DATA + 3; /* lvx ignores the low 4 bits */
		f.cpu->gpr[4] = DATA + 32;
		f.cpu->gpr[5] = DATA + 48;
		p[1] = XX1(844, 34, 0, 6);
		f.cpu->gpr[6] = DATA;
		p[3] = XX1(780, 5, 0, 6);
		fx_run(&f, p, 5);
		CHECK(fx_ran_to_end(&f, 5));
		if (le) {
			/* LE: byte 0 of memory is the least significant */
			CHECK_EQ(VSR0(&f, 33), 0x0f0e0d0c0b0a0908ull);
			CHECK_EQ(VSR1(&f, 33), 0x0706050403020100ull);
			/* lxvd2x: doubleword 0 from EA, each LE */
			CHECK_EQ(VSR0(&f, 34), 0x0706050403020100ull);
			CHECK_EQ(VSR1(&f, 34), 0x0f0e0d0c0b0a0908ull);
			CHECK_EQ(VSR0(&f, 5), 0x0302010007060504ull);
		} else {
			CHECK_EQ(VSR0(&f, 33), 0x0001020304050607ull);
			CHECK_EQ(VSR1(&f, 33), 0x08090a0b0c0d0e0full);
			CHECK_EQ(VSR0(&f, 34), 0x0001020304050607ull);
			CHECK_EQ(VSR1(&f, 34), 0x08090a0b0c0d0e0full);
			CHECK_EQ(VSR0(&f, 5), 0x0001020304050607ull);
		}
		for (unsigned i = 0; i < 16; i++) {
			CHECK_EQ(f.ram[DATA + 32 + i], i);
			CHECK_EQ(f.ram[DATA + 48 + i], i);
		}
		fx_fini(&f);
	}
}

TEST(vmx_vsx_unavailable)
{
	struct fx f;
	uint32_t p[] = { VX(1028, 1, 2, 3) }; /* vand */
	uint32_t q[] = { XX3(146, 1, 2, 3) }; /* xxlor */
	uint32_t r[] = { XX1(51, 33, 4, 0) }; /* mfvsrd r4,vs33 */

	fx_init(&f, true);
	fx_run(&f, p, 1);
	CHECK(took(&f, VEC_VMX));
	fx_run(&f, q, 1);
	CHECK(took(&f, VEC_VSX));
	cpu_set_msr(&*f.cpu, MSR_SF | MSR_ME | MSR_LE | MSR_VSX | MSR_FP);
	fx_run(&f, r, 1);
	CHECK(took(&f, VEC_VMX)); /* a VR needs MSR[VEC] */
	fx_fini(&f);
}

TEST(vmx_lvsl_vperm_vcmp)
{
	struct fx f;
	uint32_t p[] = {
		X_FORM(31, 6, 1, 0, 3, 0), /* lvsl v1,0,r3 */
		VA(43, 2, 4, 5, 1),	   /* vperm v2,v4,v5,v1 */
		VX(6 | 0x400, 3, 2, 2),	   /* vcmpequb. v3,v2,v2 */
		VX(6 | 0x400, 6, 4, 5),	   /* vcmpequb. v6,v4,v5 */
		VX(908, 7, 0x1d, 0),	   /* vspltisw v7,-3 */
		VX(512, 8, 9, 9),	   /* vaddubs v8,v9,v9 */
		VX(524, 10, 4, 2),	   /* vspltb v10,v2,4 */
	};
	vec128 a, b;

	setup(&f, true);
	f.cpu->gpr[3] = 0x1005;
	for (unsigned i = 0; i < 16; i++) {
		VB(a, i) = (uint8_t)i;
		VB(b, i) = (uint8_t)(0x10 + i);
	}
	vsr_set(f.cpu, 36, a);
	vsr_set(f.cpu, 37, b);
	VSR0(&f, 41) = 0x80ff000000000000ull;
	VSR1(&f, 41) = 0;
	fx_run(&f, p, 7);
	CHECK(fx_ran_to_end(&f, 7));
	CHECK_EQ(VSR0(&f, 33), 0x05060708090a0b0cull);
	/* vperm with lvsl(5): bytes 5..20 of a||b */
	CHECK_EQ(VSR0(&f, 34), 0x05060708090a0b0cull);
	CHECK_EQ(VSR1(&f, 34), 0x0d0e0f1011121314ull);
	CHECK_EQ(VSR0(&f, 35), ~0ull);
	CHECK_EQ(VSR0(&f, 38), 0);
	CHECK_EQ(VSR0(&f, 39), 0xfffffffdfffffffdull);
	CHECK_EQ(VSR0(&f, 40), 0xffff000000000000ull);
	CHECK(f.cpu->vscr & VSCR_SAT);
	CHECK_EQ(VSR1(&f, 42), 0x0909090909090909ull);
	/* cr6 after the last vcmpequb.: all false (bit 2) */
	CHECK_EQ(cr_get_field(f.cpu, 6), 2);
	fx_fini(&f);
}

TEST(vsx_logical_permute_scalar)
{
	struct fx f;
	uint32_t p[] = {
		XX3(154, 40, 40, 40),	     /* xxlxor vs40,vs40,vs40 */
		XX3(10 | (2 << 5), 3, 1, 2), /* xxpermdi vs3,vs1,vs2,2 */
		XX3(32, 4, 1, 2),	     /* xsadddp vs4,vs1,vs2 */
		XX1(51, 4, 5, 0),	     /* mfvsrd r5,vs4 */
		XX1(179, 45, 6, 0),	     /* mtvsrd vs45,r6 */
		XX3(18, 7, 1, 2),	     /* xxmrghw vs7,vs1,vs2 */
	};

	setup(&f, true);
	VSR0(&f, 40) = 0x1234;
	VSR1(&f, 40) = 0x5678;
	VSR0(&f, 1) = 0x3ff0000000000000ull;
	VSR1(&f, 1) = 0x1111111122222222ull;
	VSR0(&f, 2) = 0x4000000000000000ull;
	VSR1(&f, 2) = 0x3333333344444444ull;
	f.cpu->gpr[6] = 0xabcdef;
	fx_run(&f, p, 6);
	CHECK(fx_ran_to_end(&f, 6));
	CHECK_EQ(VSR0(&f, 40), 0);
	CHECK_EQ(VSR1(&f, 40), 0);
	CHECK_EQ(VSR0(&f, 3), 0x1111111122222222ull);
	CHECK_EQ(VSR1(&f, 3), 0x4000000000000000ull);
	CHECK_EQ(VSR0(&f, 4), 0x4008000000000000ull);
	CHECK_EQ(f.cpu->gpr[5], 0x4008000000000000ull);
	CHECK_EQ(VSR0(&f, 45), 0xabcdef);
	CHECK_EQ(VSR0(&f, 7), 0x3ff0000040000000ull);
	CHECK_EQ(VSR1(&f, 7), 0);
	CHECK_EQ(f.cpu->fpscr, FPRF_PNORM << 12);
	fx_fini(&f);
}
