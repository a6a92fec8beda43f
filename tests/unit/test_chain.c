/* SPDX-License-Identifier: MIT */
/*
 * The execution loop's fast paths (exec.c, cpu.h): handlers running their
 * straight-line successor themselves, jumps to another decoded page and the
 * page-end fall-through chaining through the fetch TLB without the
 * dispatcher.
 */
#include "cpu_fixture.h"
#include "harness.h"

#define SC1 0x44000022u

static uint32_t enc_addi(unsigned rt, unsigned ra, int16_t si)
{
	return (14u << 26) | (rt << 21) | (ra << 16) | (uint16_t)si;
}

static uint32_t enc_b(int32_t off)
{
	return 0x48000000u | ((uint32_t)off & 0x03fffffcu);
}

/* bdnz off (BO = 16, BI = 0) */
static uint32_t enc_bdnz(int32_t off)
{
	return 0x42000000u | ((uint32_t)off & 0xfffcu);
}

/* mtctr rs */
static uint32_t enc_mtctr(unsigned rs)
{
	return 0x7c0903a6u | (rs << 21);
}

/*
 * A loop whose body starts 8 bytes before a page end, falls through into the
 * next page and branches back: from the second iteration on both pages are in
 * the fetch TLB, so every crossing is chained. The counts must still be exact.
 */
TEST(chain_loop_across_pages)
{
	for (int le = 0; le < 2; le++) {
		struct fx f;

		fx_init(&f, le);
		fx_poke32(&f, 0x1000, enc_addi(3, 0, 0));
		fx_poke32(&f, 0x1004, enc_addi(4, 0, 1000));
		fx_poke32(&f, 0x1008, enc_mtctr(4));
		fx_poke32(&f, 0x100c, enc_b(0x1ff8 - 0x100c));
		fx_poke32(&f, 0x1ff8, enc_addi(3, 3, 1));
		fx_poke32(&f, 0x1ffc, enc_addi(3, 3, 2));
		fx_poke32(&f, 0x2000, enc_addi(3, 3, 3));
		fx_poke32(&f, 0x2004, enc_bdnz(0x1ff8 - 0x2004));
		fx_poke32(&f, 0x2008, SC1);
		cpu_flush_all(f.cpu);
		f.cpu->pc = 0x1000;
		cpu_exec(f.cpu);
		CHECK_EQ(f.cpu->stop, STOP_HCALL);
		CHECK_EQ(f.cpu->pc, 0x200c);
		CHECK_EQ(f.cpu->gpr[3], 6000);
		CHECK_EQ(f.cpu->ctr, 0);
		/* the last taken bdnz, at 0x2004 */
		CHECK_EQ(f.cpu->spr[SPR_CFAR], 0x2004);
		fx_fini(&f);
	}
}

/*
 * A whole page of straight-line instructions, each handler running the next:
 * all 1024 execute, then the page-end sentinel continues on the next page.
 * Run twice so that the second pass chains into the (decoded) next page.
 */
TEST(chain_straight_line_page)
{
	struct fx f;

	fx_init(&f, false);
	for (unsigned i = 0; i < 1024; i++)
		fx_poke32(&f, 0x3000 + 4 * i, enc_addi(3, 3, (int16_t)(i & 7)));
	fx_poke32(&f, 0x4000, SC1);
	cpu_flush_all(f.cpu);
	for (int pass = 1; pass <= 2; pass++) {
		f.cpu->pc = 0x3000;
		cpu_exec(f.cpu);
		CHECK_EQ(f.cpu->stop, STOP_HCALL);
		CHECK_EQ(f.cpu->pc, 0x4004);
		/* 128 groups of 0 + 1 + ... + 7 per pass */
		CHECK_EQ(f.cpu->gpr[3], 128 * 28 * pass);
	}
	fx_fini(&f);
}
