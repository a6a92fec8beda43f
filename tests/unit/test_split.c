/* SPDX-License-Identifier: MIT */
/*
 * Split real mode (ISA 2.07 Book III 4.2.1, 5.7.3): MSR[IR] governs
 * instruction fetch and MSR[DR] data accesses, independently. Each test
 * gives one EA two meanings (real page, translated page) and checks that
 * fetch and data each go through their own; the soft TLBs and decoded
 * pages made under one mode are never used under another. Every test runs
 * in both byte orders.
 */
#include "mmu_fixture.h"
#include "harness.h"

#define XF(xo, rt, ra, rb) (0x7c000000u | ((rt) << 21) | ((ra) << 16) | ((rb) << 11) | ((xo) << 1))
#define D(op, rt, ra, d)   (((op) << 26) | ((rt) << 21) | ((ra) << 16) | ((uint32_t)(d)&0xffffu))
#define LD(rt, ra, ds)	   D(58u, rt, ra, ds)
#define STD(rs, ra, ds)	   D(62u, rs, ra, ds)
#define ADDI(rt, ra, si)   D(14u, rt, ra, si)
#define LI(rt, si)	   ADDI(rt, 0, si)
#define CMPDI(ra, si)	   (0x2c200000u | ((ra) << 16) | ((uint32_t)(si)&0xffffu))
#define BNE(off)	   (0x40820000u | ((uint32_t)(off)&0xfffcu))
#define BL(off)		   (0x48000001u | ((uint32_t)(off)&0x03fffffcu))
#define ADD(rt, ra, rb)	   XF(266, rt, ra, rb)
#define MTMSRD(rs)	   XF(178, rs, 0, 0)
#define MTCTR(rs)	   (0x7c0903a6u | ((rs) << 21))
#define MFLR(rt)	   (0x7c0802a6u | ((rt) << 21))
#define ISYNC		   0x4c00012cu
#define BCTRL		   0x4e800421u
#define BLR		   0x4e800020u
#define SC1		   0x44000022u
#define TRAP		   0x7fe00008u

#define MSR_B (MSR_SF | MSR_ME)
#define PA_T  0x40000ull /* where the test EAs are translated to */

struct sx {
	struct fx f;
	struct hpt *h;
	struct ppc_cpu *c;
};

static void sx_init(struct sx *s, bool le)
{
	fx_init(&s->f, le);
	s->h = mx_attach(&s->f);
	s->c = s->f.cpu;
	mx_slb(&s->f, 0, 0, false, MX_VSID0, SLB_VSID_KP);
}

static void sx_fini(struct sx *s)
{
	s->c->hpt = NULL;
	mx_hpt_free(s->h);
	fx_fini(&s->f);
}

/* EA ea (segment 0) -> pa, 4 KB, PP=0b010 */
static void sx_map(struct sx *s, uint64_t ea, uint64_t pa)
{
	CHECK(mx_insert(s->h, MX_VSID0, false, ea, 12, pa | 2, false, -1) >= 0);
}

static void sx_code(struct sx *s, uint64_t pa, const uint32_t *w, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		fx_poke32(&s->f, pa + 4 * i, w[i]);
	cpu_code_written(s->c, pa);
}

/* Run from pc with msr; no cache flush in between (the point of these tests) */
static enum cpu_stop sx_run(struct sx *s, uint64_t pc, uint64_t msr)
{
	cpu_set_msr(s->c, msr | (s->f.le ? MSR_LE : 0));
	s->c->pc = pc;
	cpu_exec(s->c);
	return s->c->stop;
}

static uint64_t le_bit(struct sx *s)
{
	return s->f.le ? MSR_LE : 0;
}

/* IR=0 DR=1: the code at real 0x1000 loads and stores at EA 0x1000.. */
TEST(split_dr_fetch_real_data_translated)
{
	for (int le = 0; le < 2; le++) {
		struct sx s;
		/* the store hits EA 0x1008: the real address of the final sc 1 */
		const uint32_t code[] = { LD(3, 4, 0), STD(5, 4, 8) };

		sx_init(&s, le);
		sx_map(&s, 0x1000, PA_T);
		fx_poke64(&s.f, PA_T, 0x1122334455667788ull);
		s.c->gpr[4] = 0x1000;
		s.c->gpr[5] = 0xfeedfacecafebeefull;
		cpu_set_msr(s.c, MSR_B | MSR_DR | le_bit(&s));
		fx_run(&s.f, code, 2);
		CHECK(fx_ran_to_end(&s.f, 2));
		CHECK_EQ(s.c->gpr[3], 0x1122334455667788ull);
		CHECK_EQ(fx_peek(&s.f, PA_T + 8, 8), 0xfeedfacecafebeefull);
		CHECK_EQ(fx_peek(&s.f, 0x1008, 4), SC1);
		sx_fini(&s);
	}
}

/* IR=1 DR=0: the code at EA 0x1000 (PA_T) loads and stores at real 0x1000.. */
TEST(split_ir_fetch_translated_data_real)
{
	for (int le = 0; le < 2; le++) {
		struct sx s;
		const uint32_t code[] = { LD(3, 4, 0), STD(5, 4, 8), SC1 };

		sx_init(&s, le);
		sx_map(&s, 0x1000, PA_T);
		sx_code(&s, PA_T, code, 3);
		fx_poke64(&s.f, 0x1000, 0x0102030405060708ull);
		fx_poke64(&s.f, 0x1008, 0);
		s.c->gpr[4] = 0x1000;
		s.c->gpr[5] = 0xabcdull;
		CHECK_EQ(sx_run(&s, 0x1000, MSR_B | MSR_IR), STOP_HCALL);
		CHECK_EQ(s.c->pc, 0x100c);
		CHECK_EQ(s.c->gpr[3], 0x0102030405060708ull);
		CHECK_EQ(fx_peek(&s.f, 0x1008, 8), 0xabcd);
		CHECK_EQ(fx_peek(&s.f, PA_T + 8, 4), SC1);
		sx_fini(&s);
	}
}

/*
 * One EA fetched alternately under IR=1 and IR=0 with only cpu_set_msr in
 * between: each run must execute its own page's code, never the decoded
 * page or fetch TLB entry the other mode left behind.
 */
TEST(split_same_ea_fetch_alternating)
{
	for (int le = 0; le < 2; le++) {
		struct sx s;
		const uint32_t real_code[] = { LI(3, 1), SC1 };
		const uint32_t xlat_code[] = { LI(3, 2), SC1 };
		int bad = 0;

		sx_init(&s, le);
		sx_map(&s, 0x3000, PA_T + 0x2000);
		sx_code(&s, 0x3000, real_code, 2);
		sx_code(&s, PA_T + 0x2000, xlat_code, 2);
		for (int i = 0; i < 2000; i++) {
			uint64_t m = (i & 1 ? MSR_IR : 0) | (i & 2 ? MSR_DR : 0);

			s.c->gpr[3] = 0;
			if (sx_run(&s, 0x3000, MSR_B | m) != STOP_HCALL ||
			    s.c->gpr[3] != (m & MSR_IR ? 2u : 1u))
				bad++;
		}
		CHECK_EQ(bad, 0);
		sx_fini(&s);
	}
}

/*
 * A guest loop that switches among the four IR/DR combinations with
 * mtmsrd; isync thousands of times, loading, storing and calling the same
 * EAs each time. The loop's own page is mapped 1:1; EA 0x2000 (data) and
 * EA 0x3000 (code) are translated to pages other than their real ones.
 */
TEST(split_mtmsrd_loop_all_modes)
{
	for (int le = 0; le < 2; le++) {
		struct sx s;
		const unsigned n = 2500;
		const uint32_t code[] = {
			/* 0 */ MTMSRD(11),
			ISYNC, /* IR=1 DR=1 */
			LD(5, 4, 0),
			ADD(20, 20, 5),
			STD(12, 4, 8),
			MTCTR(14),
			BCTRL,
			MTMSRD(8),
			ISYNC, /* IR=0 DR=0 */
			LD(5, 4, 0),
			ADD(21, 21, 5),
			STD(12, 4, 16),
			MTCTR(14),
			BCTRL,
			MTMSRD(9),
			ISYNC, /* IR=1 DR=0 */
			LD(5, 4, 0),
			ADD(22, 22, 5),
			MTCTR(14),
			BCTRL,
			MTMSRD(10),
			ISYNC, /* IR=0 DR=1 */
			LD(5, 4, 0),
			ADD(23, 23, 5),
			MTCTR(14),
			BCTRL,
			ADDI(12, 12, -1),
			CMPDI(12, 0),
			BNE(-4 * 28),
			MTMSRD(8),
			ISYNC,
		};
		const unsigned nw = sizeof(code) / sizeof(code[0]);
		const uint32_t real_fn[] = { ADDI(7, 7, 1), BLR };
		const uint32_t xlat_fn[] = { ADDI(6, 6, 1), BLR };

		sx_init(&s, le);
		sx_map(&s, 0x1000, 0x1000);
		sx_map(&s, 0x2000, PA_T + 0x1000);
		sx_map(&s, 0x3000, PA_T + 0x2000);
		sx_code(&s, 0x3000, real_fn, 2);
		sx_code(&s, PA_T + 0x2000, xlat_fn, 2);
		fx_poke64(&s.f, 0x2000, 3);
		fx_poke64(&s.f, 0x2008, 0x5151);
		fx_poke64(&s.f, 0x2010, 0x5252);
		fx_poke64(&s.f, PA_T + 0x1000, 1000);
		fx_poke64(&s.f, PA_T + 0x1008, 0x6161);
		fx_poke64(&s.f, PA_T + 0x1010, 0x6262);
		s.c->gpr[4] = 0x2000;
		s.c->gpr[14] = 0x3000;
		s.c->gpr[8] = MSR_B | le_bit(&s);
		s.c->gpr[9] = MSR_B | MSR_IR | le_bit(&s);
		s.c->gpr[10] = MSR_B | MSR_DR | le_bit(&s);
		s.c->gpr[11] = MSR_B | MSR_IR | MSR_DR | le_bit(&s);
		s.c->gpr[12] = n;
		cpu_set_msr(s.c, MSR_B | le_bit(&s));
		fx_run(&s.f, code, nw);
		CHECK(fx_ran_to_end(&s.f, nw));
		CHECK_EQ(s.c->gpr[12], 0);
		CHECK_EQ(s.c->gpr[20], 1000ull * n); /* IR=1 DR=1 */
		CHECK_EQ(s.c->gpr[21], 3ull * n);    /* IR=0 DR=0 */
		CHECK_EQ(s.c->gpr[22], 3ull * n);    /* IR=1 DR=0 */
		CHECK_EQ(s.c->gpr[23], 1000ull * n); /* IR=0 DR=1 */
		CHECK_EQ(s.c->gpr[6], 2ull * n);     /* translated function */
		CHECK_EQ(s.c->gpr[7], 2ull * n);     /* real function */
		CHECK_EQ(fx_peek(&s.f, PA_T + 0x1008, 8), 1);
		CHECK_EQ(fx_peek(&s.f, PA_T + 0x1010, 8), 0x6262);
		CHECK_EQ(fx_peek(&s.f, 0x2010, 8), 1);
		CHECK_EQ(fx_peek(&s.f, 0x2008, 8), 0x5151);
		sx_fini(&s);
	}
}

/* mtmsrd; isync in the middle of a page: the next instruction is the new mode's */
TEST(split_in_page_switch)
{
	for (int le = 0; le < 2; le++) {
		struct sx s;
		const uint32_t real_code[] = { MTMSRD(9), ISYNC, LI(3, 1), SC1 };
		const uint32_t xlat_code[] = { MTMSRD(9), ISYNC, LI(3, 2), SC1 };

		sx_init(&s, le);
		sx_map(&s, 0x3000, PA_T + 0x2000);
		sx_code(&s, 0x3000, real_code, 4);
		sx_code(&s, PA_T + 0x2000, xlat_code, 4);
		for (int i = 0; i < 16; i++) {
			uint64_t from = (i & 1 ? MSR_IR : 0) | (i & 2 ? MSR_DR : 0);
			uint64_t to = (i & 4 ? MSR_IR : 0) | (i & 8 ? MSR_DR : 0);

			s.c->gpr[3] = 0;
			s.c->gpr[9] = MSR_B | to | le_bit(&s);
			CHECK_EQ(sx_run(&s, 0x3000, MSR_B | from), STOP_HCALL);
			CHECK_EQ(s.c->pc, 0x3010);
			CHECK_EQ(s.c->gpr[3], to & MSR_IR ? 2 : 1);
			CHECK_EQ(s.c->msr & (MSR_IR | MSR_DR), to);
		}
		sx_fini(&s);
	}
}

/* Interrupts from split mode: SRR1 keeps IR/DR, the handler runs real */
TEST(split_interrupts_save_mode)
{
	for (int le = 0; le < 2; le++) {
		struct sx s;
		const uint32_t ld[] = { LD(3, 4, 0) };
		const uint32_t trap[] = { LI(3, 5), TRAP, SC1 };
		const uint32_t rd[] = { D(32u, 3, 4, 0) /* lwz r3,0(r4) */ };

		sx_init(&s, le);
		/* IR=0 DR=1: data EA 0x5000 has no HPTE; real 0x5000 is RAM */
		s.c->gpr[4] = 0x5000;
		cpu_set_msr(s.c, MSR_B | MSR_DR | le_bit(&s));
		fx_run(&s.f, ld, 1);
		CHECK_EQ(s.c->stop, STOP_HCALL);
		CHECK_EQ(s.c->pc, 0x304);
		CHECK_EQ(s.c->spr[SPR_SRR0], FX_CODE);
		CHECK_EQ(s.c->spr[SPR_SRR1] & (MSR_IR | MSR_DR), MSR_DR);
		CHECK_EQ(s.c->spr[SPR_DAR], 0x5000);
		CHECK_EQ(s.c->spr[SPR_DSISR], DSISR_NOPTE);
		CHECK_EQ(s.c->msr & (MSR_IR | MSR_DR), 0);
		/* IR=1 DR=0: the same load of real 0x5000 works; fetching EA 0x5000 faults */
		fx_poke64(&s.f, 0x5000, 0x77);
		s.c->gpr[3] = 0;
		sx_map(&s, FX_CODE, FX_CODE);
		cpu_set_msr(s.c, MSR_B | MSR_IR | le_bit(&s));
		fx_run(&s.f, ld, 1);
		CHECK(fx_ran_to_end(&s.f, 1));
		CHECK_EQ(s.c->gpr[3], 0x77);
		CHECK_EQ(sx_run(&s, 0x5000, MSR_B | MSR_IR), STOP_HCALL);
		CHECK_EQ(s.c->pc, 0x404);
		CHECK_EQ(s.c->spr[SPR_SRR0], 0x5000);
		CHECK_EQ(s.c->spr[SPR_SRR1] & (MSR_IR | MSR_DR), MSR_IR);
		CHECK_EQ(s.c->spr[SPR_SRR1] & SRR1_ISI_NOPTE, SRR1_ISI_NOPTE);
		/* IR=0 DR=1: the same fetch is real and runs */
		sx_code(&s, 0x5000, (const uint32_t[]){ LI(3, 9), SC1 }, 2);
		CHECK_EQ(sx_run(&s, 0x5000, MSR_B | MSR_DR), STOP_HCALL);
		CHECK_EQ(s.c->pc, 0x5008);
		CHECK_EQ(s.c->gpr[3], 9);
		/* a trap in translated code (IR=1 DR=0) at EA 0x3000 */
		sx_map(&s, 0x3000, PA_T + 0x2000);
		sx_code(&s, PA_T + 0x2000, trap, 3);
		CHECK_EQ(sx_run(&s, 0x3000, MSR_B | MSR_IR), STOP_HCALL);
		CHECK_EQ(s.c->pc, VEC_PROGRAM + 4);
		CHECK_EQ(s.c->spr[SPR_SRR0], 0x3004);
		CHECK_EQ(s.c->spr[SPR_SRR1] & (MSR_IR | MSR_DR), MSR_IR);
		CHECK_EQ(s.c->spr[SPR_SRR1] & SRR1_PROGTRAP, SRR1_PROGTRAP);
		/* the handler reads the last instruction with DR=1 at SRR0: the trap */
		s.c->gpr[4] = s.c->spr[SPR_SRR0];
		cpu_set_msr(s.c, MSR_B | MSR_DR | le_bit(&s));
		fx_run(&s.f, rd, 1);
		CHECK(fx_ran_to_end(&s.f, 1));
		CHECK_EQ(s.c->gpr[3], TRAP);
		sx_fini(&s);
	}
}

/*
 * KVM PR's window: code at real 0x1000 (IR=0), data at EA 0xfb001000 (DR=1)
 * in its own page; LR keeps real addresses.
 */
TEST(split_fb000000_window)
{
	for (int le = 0; le < 2; le++) {
		struct sx s;
		const uint32_t code[] = { LD(3, 4, 0), STD(5, 4, 8), BL(4), MFLR(6) };

		sx_init(&s, le);
		mx_slb(&s.f, 1, 0xf0000000ull, false, 0x777777ull, SLB_VSID_KP);
		CHECK(mx_insert(s.h, 0x777777ull, false, 0xfb001000ull, 12, (PA_T + 0x3000) | 2,
				false, -1) >= 0);
		fx_poke64(&s.f, PA_T + 0x3000, 0xfbfbfbfb12345678ull);
		s.c->gpr[4] = 0xfb001000ull;
		s.c->gpr[5] = 0x5a5a;
		cpu_set_msr(s.c, MSR_B | MSR_DR | le_bit(&s));
		fx_run(&s.f, code, 4);
		CHECK(fx_ran_to_end(&s.f, 4));
		CHECK_EQ(s.c->gpr[3], 0xfbfbfbfb12345678ull);
		CHECK_EQ(fx_peek(&s.f, PA_T + 0x3008, 8), 0x5a5a);
		CHECK_EQ(fx_peek(&s.f, FX_CODE + 4, 4), STD(5, 4, 8));
		CHECK_EQ(s.c->gpr[6], FX_CODE + 12);
		sx_fini(&s);
	}
}
