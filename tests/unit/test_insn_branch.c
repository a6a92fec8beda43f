/* SPDX-License-Identifier: MIT */
/* Branch and CR instructions (insn_branch.c) */
#include "cpu_fixture.h"
#include "harness.h"

/* Encodings (ISA 2.07 Book I 2.4, 2.5.1) */
static uint32_t enc_b(int32_t off, int aa, int lk)
{
	return 0x48000000u | ((uint32_t)off & 0x03fffffcu) | (aa << 1) | lk;
}

static uint32_t enc_bc(unsigned bo, unsigned bi, int32_t off, int aa, int lk)
{
	return 0x40000000u | (bo << 21) | (bi << 16) | ((uint32_t)off & 0xfffcu) | (aa << 1) | lk;
}

static uint32_t enc_xl(unsigned bt, unsigned ba, unsigned bb, unsigned xo, int lk)
{
	return (19u << 26) | (bt << 21) | (ba << 16) | (bb << 11) | (xo << 1) | lk;
}

#define BCLR(bo, bi, lk)  enc_xl(bo, bi, 0, 16, lk)
#define BCCTR(bo, bi, lk) enc_xl(bo, bi, 0, 528, lk)
#define BCTAR(bo, bi, lk) enc_xl(bo, bi, 0, 560, lk)
/* crset 31: the "fell through" marker */
#define CRSET31 0x4ffffa42u
#define ILLEGAL 0x00000000u

static bool marker(struct fx *f)
{
	return f->cpu->cr & 1;
}

TEST(branch_b_forms)
{
	struct fx f;
	uint32_t p1[] = { enc_b(8, 0, 0), ILLEGAL, CRSET31 };
	uint32_t p2[] = { enc_b(8, 0, 1), ILLEGAL };
	uint32_t p3[] = { enc_b(FX_CODE + 8, 1, 0), ILLEGAL };
	uint32_t p4[] = { enc_b(FX_CODE + 12, 1, 1), ILLEGAL, ILLEGAL };
	/* backward: 0 -> 2 -> 1 -> 3 (end) */
	uint32_t p5[] = { enc_b(8, 0, 0), enc_b(8, 0, 0), enc_b(-4, 0, 0) };

	fx_init(&f, false);
	CHECK_EQ(fx_run(&f, p1, 3), STOP_HCALL);
	CHECK(fx_ran_to_end(&f, 3));
	CHECK(marker(&f));
	CHECK_EQ(f.cpu->spr[SPR_CFAR], FX_CODE);

	f.cpu->lr = 0;
	fx_run(&f, p2, 2);
	CHECK(fx_ran_to_end(&f, 2));
	CHECK_EQ(f.cpu->lr, FX_CODE + 4);

	fx_run(&f, p3, 2);
	CHECK(fx_ran_to_end(&f, 2));

	f.cpu->lr = 0;
	fx_run(&f, p4, 3);
	CHECK(fx_ran_to_end(&f, 3));
	CHECK_EQ(f.cpu->lr, FX_CODE + 4);

	fx_run(&f, p5, 3);
	CHECK(fx_ran_to_end(&f, 3));
	CHECK_EQ(f.cpu->spr[SPR_CFAR], FX_CODE + 4);
	fx_fini(&f);
}

/* The ISA 2.07 bc description, written out independently */
static bool model_bc(unsigned bo, unsigned crbit, uint64_t *ctr, bool sf)
{
	bool ctr_ok = true, cond_ok = true;

	if (!((bo >> 2) & 1)) {
		uint64_t c;

		*ctr -= 1;
		c = sf ? *ctr : (uint32_t)*ctr;
		ctr_ok = (c != 0) ^ ((bo >> 1) & 1);
	}
	if (!((bo >> 4) & 1))
		cond_ok = crbit == ((bo >> 3) & 1);
	return ctr_ok && cond_ok;
}

static void run_bc_matrix(struct fx *f, bool sf, int lk)
{
	static const uint64_t ctrs[] = { 1, 2, 0, 0x100000001ull };

	for (unsigned bo = 0; bo < 32; bo++)
		for (unsigned ci = 0; ci < 4; ci++)
			for (unsigned crb = 0; crb < 2; crb++) {
				/* bc bo, 5, +8 ; crset 31 ; (end) */
				uint32_t p[] = { enc_bc(bo, 5, 8, 0, lk), CRSET31 };
				uint64_t ctr = ctrs[ci];
				bool taken = model_bc(bo, crb, &ctr, sf);
				struct ppc_cpu *c = f->cpu;

				cpu_set_msr(c, sf ? MSR_SF | MSR_ME : MSR_ME);
				c->cr = crb ? 0x04000000u : 0; /* CR bit 5 */
				c->ctr = ctrs[ci];
				c->lr = 0x1234;
				fx_run(f, p, 2);
				if (!fx_ran_to_end(f, 2) || marker(f) == taken || c->ctr != ctr ||
				    c->lr != (lk ? FX_CODE + 4 : 0x1234)) {
					printf("  bc bo=%u ctr=%" PRIx64 " cr=%u sf=%d lk=%d\n", bo,
					       ctrs[ci], crb, sf, lk);
					CHECK(0);
				}
			}
}

TEST(branch_bc_every_bo)
{
	struct fx f;

	fx_init(&f, false);
	run_bc_matrix(&f, true, 0);
	run_bc_matrix(&f, true, 1);
	run_bc_matrix(&f, false, 0);
	fx_fini(&f);
}

TEST(branch_bc_absolute_and_backward)
{
	struct fx f;
	/* 0: b +12 -> 3: bdnz -8 (to 1, CTR 2->1) -> 1: b +12 -> 4: end */
	uint32_t p[] = { enc_b(12, 0, 0), enc_b(12, 0, 0), ILLEGAL, enc_bc(16, 0, -8, 0, 0) };
	/* bca always to FX_CODE + 8 */
	uint32_t pa[] = { enc_bc(20, 0, FX_CODE + 8, 1, 0), ILLEGAL };

	fx_init(&f, false);
	f.cpu->ctr = 2;
	fx_run(&f, p, 4);
	CHECK(fx_ran_to_end(&f, 4));
	CHECK_EQ(f.cpu->ctr, 1);
	fx_run(&f, pa, 2);
	CHECK(fx_ran_to_end(&f, 2));
	fx_fini(&f);
}

TEST(branch_bdnz_loop_long)
{
	struct fx f;
	/* bdnz . : spins until CTR = 0, many budget rounds */
	uint32_t p[] = { enc_bc(16, 0, 0, 0, 0) };

	fx_init(&f, false);
	f.cpu->ctr = 100000;
	fx_run(&f, p, 1);
	CHECK(fx_ran_to_end(&f, 1));
	CHECK_EQ(f.cpu->ctr, 0);
	fx_fini(&f);
}

TEST(branch_bclr_bcctr_bctar)
{
	struct fx f;
	uint32_t blr[] = { BCLR(20, 0, 0), ILLEGAL };
	uint32_t blrl[] = { BCLR(20, 0, 1), ILLEGAL };
	uint32_t beqlr[] = { BCLR(12, 2, 0), CRSET31 };
	uint32_t bdnzlr[] = { BCLR(16, 0, 0), CRSET31 };
	uint32_t bctr[] = { BCCTR(20, 0, 0), ILLEGAL };
	uint32_t bctrl[] = { BCCTR(20, 0, 1), ILLEGAL };
	uint32_t bnectr[] = { BCCTR(4, 2, 0), CRSET31 };
	uint32_t bcctr_dec[] = { BCCTR(16, 0, 0), CRSET31 };
	uint32_t bcctr_decz[] = { BCCTR(18, 0, 0), CRSET31 };
	uint32_t btar[] = { BCTAR(20, 0, 1), ILLEGAL };
	uint32_t bdnztar[] = { BCTAR(16, 0, 0), CRSET31 };

	fx_init(&f, false);
	/* blr: low two bits of LR are ignored */
	f.cpu->lr = FX_CODE + 8 + 3;
	fx_run(&f, blr, 2);
	CHECK(fx_ran_to_end(&f, 2));
	CHECK_EQ(f.cpu->spr[SPR_CFAR], FX_CODE);

	/* blrl: target is the old LR, LR = next */
	f.cpu->lr = FX_CODE + 8;
	fx_run(&f, blrl, 2);
	CHECK(fx_ran_to_end(&f, 2));
	CHECK_EQ(f.cpu->lr, FX_CODE + 4);

	/* beqlr, EQ set and clear */
	f.cpu->lr = FX_CODE + 8;
	f.cpu->cr = 0x20000000u;
	fx_run(&f, beqlr, 2);
	CHECK(fx_ran_to_end(&f, 2) && !marker(&f));
	f.cpu->cr = 0;
	fx_run(&f, beqlr, 2);
	CHECK(fx_ran_to_end(&f, 2) && marker(&f));

	/* bdnzlr: CTR 1 -> 0, not taken */
	f.cpu->cr = 0;
	f.cpu->ctr = 1;
	fx_run(&f, bdnzlr, 2);
	CHECK(fx_ran_to_end(&f, 2) && marker(&f));
	CHECK_EQ(f.cpu->ctr, 0);

	f.cpu->ctr = FX_CODE + 8 + 2;
	fx_run(&f, bctr, 2);
	CHECK(fx_ran_to_end(&f, 2));

	f.cpu->ctr = FX_CODE + 8;
	f.cpu->lr = 0;
	fx_run(&f, bctrl, 2);
	CHECK(fx_ran_to_end(&f, 2));
	CHECK_EQ(f.cpu->lr, FX_CODE + 4);

	/* bnectr: taken with EQ = 0, not with EQ = 1 */
	f.cpu->cr = 0;
	fx_run(&f, bnectr, 2);
	CHECK(fx_ran_to_end(&f, 2) && !marker(&f));
	f.cpu->cr = 0x20000000u;
	fx_run(&f, bnectr, 2);
	CHECK(fx_ran_to_end(&f, 2) && marker(&f));

	/* bcctr BO=16 (invalid form), POWER8: test old CTR != 0, decrement */
	f.cpu->cr = 0;
	f.cpu->ctr = FX_CODE + 8;
	fx_run(&f, bcctr_dec, 2);
	CHECK(fx_ran_to_end(&f, 2) && !marker(&f));
	CHECK_EQ(f.cpu->ctr, FX_CODE + 7);
	/* BO=18: branch if old CTR == 0: not taken here */
	f.cpu->cr = 0;
	f.cpu->ctr = FX_CODE + 8;
	fx_run(&f, bcctr_decz, 2);
	CHECK(fx_ran_to_end(&f, 2) && marker(&f));
	CHECK_EQ(f.cpu->ctr, FX_CODE + 7);

	/* bctarl */
	f.cpu->spr[SPR_TAR] = FX_CODE + 8 + 1;
	f.cpu->lr = 0;
	fx_run(&f, btar, 2);
	CHECK(fx_ran_to_end(&f, 2));
	CHECK_EQ(f.cpu->lr, FX_CODE + 4);

	/* bctar may decrement CTR (unlike bcctr) */
	f.cpu->cr = 0;
	f.cpu->ctr = 3;
	f.cpu->spr[SPR_TAR] = FX_CODE + 8;
	fx_run(&f, bdnztar, 2);
	CHECK(fx_ran_to_end(&f, 2) && !marker(&f));
	CHECK_EQ(f.cpu->ctr, 2);
	fx_fini(&f);
}

TEST(branch_32bit_mode)
{
	struct fx f;
	uint32_t blr[] = { BCLR(20, 0, 0), ILLEGAL };
	uint32_t bdnz[] = { enc_bc(16, 0, 8, 0, 0), CRSET31 };
	uint32_t bl[] = { enc_b(8, 0, 1), ILLEGAL };

	fx_init(&f, false);
	cpu_set_msr(f.cpu, MSR_ME);
	/* The target is truncated to 32 bits */
	f.cpu->lr = 0xffffffff00000000ull | (FX_CODE + 8);
	fx_run(&f, blr, 2);
	CHECK(fx_ran_to_end(&f, 2));

	/* CTR compare uses the low 32 bits: 0x100000001 - 1 counts as 0 */
	f.cpu->cr = 0;
	f.cpu->ctr = 0x100000001ull;
	fx_run(&f, bdnz, 2);
	CHECK(fx_ran_to_end(&f, 2) && marker(&f));
	CHECK_EQ(f.cpu->ctr, 0x100000000ull);

	f.cpu->lr = ~0ull;
	fx_run(&f, bl, 2);
	CHECK(fx_ran_to_end(&f, 2));
	CHECK_EQ(f.cpu->lr, FX_CODE + 4);

	/* The same bdnz in 64-bit mode is taken */
	cpu_set_msr(f.cpu, MSR_SF | MSR_ME);
	f.cpu->cr = 0;
	f.cpu->ctr = 0x100000001ull;
	fx_run(&f, bdnz, 2);
	CHECK(fx_ran_to_end(&f, 2) && !marker(&f));
	fx_fini(&f);
}

TEST(branch_cr_logical)
{
	static const unsigned xo[8] = { 257, 449, 193, 225, 33, 289, 129, 417 };
	struct fx f;
	uint32_t p[8];

	fx_init(&f, false);
	/* CR bit 8 + i = op_i(CR bit 0, CR bit 1) */
	for (unsigned i = 0; i < 8; i++)
		p[i] = enc_xl(8 + i, 0, 1, xo[i], 0);
	for (unsigned ab = 0; ab < 4; ab++) {
		unsigned a = ab >> 1, b = ab & 1;
		unsigned want[8] = { a & b,    a | b,	 a ^ b,	 !(a & b),
				     !(a | b), !(a ^ b), a & !b, a | !b };

		/* Bits 8..15 start as the opposite of the result */
		f.cpu->cr = (a << 31) | (b << 30);
		for (unsigned i = 0; i < 8; i++)
			if (!want[i])
				f.cpu->cr |= 0x80000000u >> (8 + i);
		fx_run(&f, p, 8);
		CHECK(fx_ran_to_end(&f, 8));
		for (unsigned i = 0; i < 8; i++)
			CHECK_EQ(cr_bit(f.cpu, 8 + i), want[i]);
		CHECK_EQ(f.cpu->cr >> 30, ab);
	}
	fx_fini(&f);
}

TEST(branch_mcrf)
{
	struct fx f;
	uint32_t p[] = { enc_xl(7 << 2, 2 << 2, 0, 0, 0) }; /* mcrf 7, 2 */

	fx_init(&f, false);
	f.cpu->cr = 0x12345678u;
	fx_run(&f, p, 1);
	CHECK_EQ(f.cpu->cr, 0x12345673u);
	fx_fini(&f);
}

TEST(branch_mfcr_mtcrf)
{
	struct fx f;
	uint32_t p[] = {
		0x7c600026u,		  /* mfcr r3 */
		0x7c908026u,		  /* mfocrf r4, 0x08 */
		0x7ca81120u,		  /* mtcrf 0x81, r5 */
		0x7c000026u | (7u << 21), /* mfcr r7 */
		0x7cd20120u,		  /* mtocrf 0x20, r6 */
		0x7c000026u | (8u << 21), /* mfcr r8 */
		0x7cd30120u,		  /* mtocrf 0x30, r6 (two fields: no-op) */
		/* mfocrf r9 with FXM = 0x03 (two bits): RT unchanged */
		0x7c000026u | (9u << 21) | (1u << 20) | (0x03u << 12),
	};

	fx_init(&f, false);
	f.cpu->cr = 0x12345678u;
	f.cpu->gpr[4] = ~0ull;
	f.cpu->gpr[5] = 0xffffffffabcdef09ull;
	f.cpu->gpr[6] = 0x00f00000u;
	f.cpu->gpr[9] = 0x5555;
	fx_run(&f, p, 8);
	CHECK(fx_ran_to_end(&f, 8));
	CHECK_EQ(f.cpu->gpr[3], 0x12345678u);
	CHECK_EQ(f.cpu->gpr[4], 0x00005000u);
	CHECK_EQ(f.cpu->gpr[7], 0xa2345679u);
	CHECK_EQ(f.cpu->gpr[8], 0xa2f45679u);
	CHECK_EQ(f.cpu->cr, 0xa2f45679u);
	CHECK_EQ(f.cpu->gpr[9], 0x5555);
	fx_fini(&f);
}

TEST(branch_mcrxrx_illegal_on_power8)
{
	struct fx f;
	uint32_t p[] = { 0x7c000480u }; /* mcrxrx cr0 (ISA 3.0) */

	fx_init(&f, false);
	fx_run(&f, p, 1);
	CHECK_EQ(f.cpu->pc, VEC_PROGRAM + 4);
	CHECK(f.cpu->spr[SPR_SRR1] & SRR1_PROGILL);
	CHECK_EQ(f.cpu->spr[SPR_SRR0], FX_CODE);
	fx_fini(&f);
}

TEST(branch_little_endian)
{
	struct fx f;
	uint32_t p[] = { enc_bc(16, 0, 0, 0, 0), enc_b(8, 0, 1), ILLEGAL };

	fx_init(&f, true);
	f.cpu->ctr = 10;
	fx_run(&f, p, 3);
	CHECK(fx_ran_to_end(&f, 3));
	CHECK_EQ(f.cpu->ctr, 0);
	CHECK_EQ(f.cpu->lr, FX_CODE + 8);
	fx_fini(&f);
}
