/* SPDX-License-Identifier: MIT */
/*
 * The 32-bit Book3S CPU models (src/cpu/book3s32.c, docs/book3s32.md):
 * model selection by PVR, the instruction set of the 750 and 7447A, rfi,
 * the 32-bit MSR, segment registers, interrupt delivery (IP, SRR1, new
 * MSR), the edge-triggered decrementer, the SPR file (BATs, SDR1, SPRGs),
 * AltiVec, dcbz, sc, and the PV magic page's sr[] view.
 *
 * Snippets run big-endian in real mode (32-bit models have no forced
 * translation in problem state). A supervisor "sc" stops the loop with
 * STOP_SC_MAGIC, so the fixture's closing "sc 1" and the "sc 1" at every
 * vector both stop there.
 */
#include <errno.h>
#include <stdlib.h>
#include <time.h>

#include <ppcvm/ppcvm.h>

#include "cpu_fixture.h"
#include "cpu/book3s32.h"
#include "cpu/magic.h"
#include "harness.h"

#define PVR_750	  0x00080301u
#define PVR_7447A 0x80030102u
#define PVR_P8	  0x004d0200u

#define LI(rt, v)	    (0x38000000u | (rt) << 21 | ((v)&0xffff))
#define LIS(rt, v)	    (0x3c000000u | (rt) << 21 | ((v)&0xffff))
#define ORI(ra, rs, v)	    (0x60000000u | (rs) << 21 | (ra) << 16 | ((v)&0xffff))
#define MFSPR(rt, spr)	    (0x7c0002a6u | (rt) << 21 | ((spr)&31) << 16 | ((spr) >> 5) << 11)
#define MTSPR(spr, rs)	    (0x7c0003a6u | (rs) << 21 | ((spr)&31) << 16 | ((spr) >> 5) << 11)
#define MFMSR(rt)	    (0x7c0000a6u | (rt) << 21)
#define MTMSR(rs)	    (0x7c000124u | (rs) << 21)
#define MTSR(sr, rs)	    (0x7c0001a4u | (rs) << 21 | (sr) << 16)
#define MFSR(rt, sr)	    (0x7c0004a6u | (rt) << 21 | (sr) << 16)
#define MTSRIN(rs, rb)	    (0x7c0001e4u | (rs) << 21 | (rb) << 11)
#define MFSRIN(rt, rb)	    (0x7c000526u | (rt) << 21 | (rb) << 11)
#define DCBZ(ra, rb)	    (0x7c0007ecu | (ra) << 16 | (rb) << 11)
#define LWZ(rt, ra, d)	    (0x80000000u | (rt) << 21 | (ra) << 16 | ((d)&0xffff))
#define STW(rs, ra, d)	    (0x90000000u | (rs) << 21 | (ra) << 16 | ((d)&0xffff))
#define VADDUBM(vt, va, vb) (0x10000000u | (vt) << 21 | (va) << 16 | (vb) << 11)
#define LVX(vt, ra, rb)	    (0x7c0000ceu | (vt) << 21 | (ra) << 16 | (rb) << 11)
#define RFI		    0x4c000064u
#define SC		    0x44000002u
#define NOP		    0x60000000u

#define MSR32_VEC 0x02000000u
#define MSR32_EE  0x8000u
#define MSR32_PR  0x4000u
#define MSR32_FP  0x2000u
#define MSR32_ME  0x1000u
#define MSR32_LE  0x1u

static void b32_init(struct fx *f, uint32_t pvr)
{
	fx_init(f, false);
	cpu_set_model(f->cpu, pvr);
}

/* Ran to the closing sc (supervisor: STOP_SC_MAGIC past it)? */
static bool ran_to_end(struct fx *f, unsigned n)
{
	return f->cpu->stop == STOP_SC_MAGIC && f->cpu->pc == FX_CODE + 4 * n + 4;
}

/* Stopped at the sc of vector vec (i.e. the interrupt was taken) */
static bool took(struct fx *f, uint32_t vec)
{
	return f->cpu->stop == STOP_SC_MAGIC && f->cpu->pc == vec + 4;
}

/* Run one instruction in supervisor (pr = false) or problem state */
static void run1(struct fx *f, uint32_t insn, bool pr, uint32_t msr_extra)
{
	cpu_set_msr(f->cpu, MSR32_ME | (pr ? MSR32_PR : 0) | msr_extra);
	f->cpu->spr[SPR_SRR0] = f->cpu->spr[SPR_SRR1] = 0;
	fx_run(f, &insn, 1);
}

static bool is_program(struct fx *f, uint32_t reason)
{
	return took(f, VEC_PROGRAM) && f->cpu->spr[SPR_SRR0] == FX_CODE &&
	       (f->cpu->spr[SPR_SRR1] & 0x001f0000u) == reason;
}

TEST(book3s32_model_from_pvr)
{
	struct fx f;
	/* ld r3,0(r1): valid on POWER8, illegal on the 750 */
	uint32_t ld = 0xe8610000u;

	CHECK_EQ(cpu_model_from_pvr(PVR_750), CPU_750);
	CHECK_EQ(cpu_model_from_pvr(0x00083214u), CPU_750);
	CHECK_EQ(cpu_model_from_pvr(PVR_7447A), CPU_7447A);
	CHECK_EQ(cpu_model_from_pvr(PVR_P8), CPU_POWER8);
	CHECK_EQ(cpu_model_from_pvr(0x80040000u), CPU_POWER8);

	fx_init(&f, false);
	f.cpu->gpr[1] = FX_DATA;
	fx_run(&f, &ld, 1);
	CHECK(fx_ran_to_end(&f, 1));
	cpu_set_model(f.cpu, PVR_750);
	CHECK(f.cpu->book3s32);
	CHECK_EQ(f.cpu->model, CPU_750);
	CHECK_EQ(f.cpu->pvr, PVR_750);
	CHECK_EQ(f.cpu->msr, MSR32_ME); /* SF gone */
	CHECK_EQ(f.cpu->ea_mask, 0xffffffffu);
	/* the page decoded for POWER8 is gone: ld is now illegal */
	f.cpu->pc = FX_CODE;
	cpu_exec(f.cpu);
	CHECK(is_program(&f, SRR1_PROGILL));
	/* back to POWER8: 64-bit again, ld legal */
	cpu_set_model(f.cpu, PVR_P8);
	CHECK(!f.cpu->book3s32);
	CHECK(f.cpu->msr & MSR_SF);
	f.cpu->pc = FX_CODE;
	cpu_exec(f.cpu);
	CHECK(fx_ran_to_end(&f, 1));
	fx_fini(&f);
}

TEST(book3s32_64bit_insns_illegal)
{
	static const uint32_t insns[] = {
		0xe8610000u, /* ld */
		0xf8610000u, /* std */
		0x78630020u, /* rldicl */
		0x7c6311d2u, /* mulld */
		0x7c6307b4u, /* extsw */
		0x7c630074u, /* cntlzd */
		0x7c841888u, /* td */
		0x08830000u, /* tdi */
		0x7c631836u, /* sld */
		0x7c600164u, /* mtmsrd */
		0x4c000024u, /* rfid */
		0x7c601b24u, /* slbmte */
		0xfc60269cu, /* fcfid */
		0x7c64295eu, /* isel */
		0x7c6300f4u, /* popcntb */
		0x7c6323f8u, /* cmpb */
		0xfc60202cu, /* fsqrt */
		0xec60202cu, /* fsqrts */
	};
	struct fx f;

	b32_init(&f, PVR_750);
	for (unsigned i = 0; i < sizeof(insns) / 4; i++) {
		run1(&f, insns[i], false, MSR32_FP);
		if (!is_program(&f, SRR1_PROGILL))
			printf("  insn %08x not illegal\n", insns[i]);
		CHECK(is_program(&f, SRR1_PROGILL));
		CHECK_EQ(f.cpu->spr[SPR_SRR1] & 0xffff, MSR32_ME | MSR32_FP);
	}
	/* the 32-bit forms still work: lwz, mullw, cntlzw, rlwinm */
	{
		static const uint32_t ok[] = {
			LI(3, 7),
			LI(4, 6),
			0x7ca419d6u /* mullw r5,r4,r3 */,
			0x7ca60034u /* cntlzw r6,r5 */,
			0x54a7103au /* rlwinm r7,r5,2,0,29 */,
		};

		cpu_set_msr(f.cpu, MSR32_ME);
		fx_run(&f, ok, 5);
		CHECK(ran_to_end(&f, 5));
		CHECK_EQ(f.cpu->gpr[5], 42);
		CHECK_EQ(f.cpu->gpr[6], 26);
		CHECK_EQ(f.cpu->gpr[7], 168);
	}
	fx_fini(&f);
}

TEST(book3s32_rfi)
{
	struct fx f;
	uint32_t code[] = { RFI };

	b32_init(&f, PVR_750);
	fx_poke32(&f, 0x3000, SC);
	f.cpu->spr[SPR_SRR0] = 0xffffffff00003003ull; /* low 2 bits, high word go */
	/* EE FP PMM RI, plus POW/ILE (not restored) and reason bits */
	f.cpu->spr[SPR_SRR1] = 0x400f0000u | MSR32_EE | MSR32_FP | 0x4 | 0x2;
	cpu_set_msr(f.cpu, MSR32_ME);
	fx_run(&f, code, 1);
	CHECK_EQ(f.cpu->stop, STOP_SC_MAGIC);
	CHECK_EQ(f.cpu->pc, 0x3004);
	CHECK_EQ(f.cpu->msr, MSR32_EE | MSR32_FP | 0x4 | 0x2);
	/* problem state: privileged */
	run1(&f, RFI, true, 0);
	CHECK(is_program(&f, SRR1_PROGPRIV));
	fx_fini(&f);
}

TEST(book3s32_mtmsr_mfmsr)
{
	struct fx f;
	/*
	 * every bit but IR/DR (no MMU here), PR, LE and SE (single-step
	 * trace: the mfmsr would trap to 0xd00): the model keeps its own
	 */
	uint32_t code[] = { LIS(3, 0xffff), ORI(3, 3, 0xbbce), MTMSR(3), MFMSR(4) };

	b32_init(&f, PVR_750);
	fx_run(&f, code, 4);
	CHECK(ran_to_end(&f, 4));
	CHECK_EQ(f.cpu->gpr[4], 0xffffbbceu & MSR32_MASK_750);
	CHECK_EQ(f.cpu->msr, 0xffffbbceu & MSR32_MASK_750);
	/* ME can be cleared; high word of RS ignored */
	f.cpu->gpr[3] = 0xffffffff00000000ull | MSR32_FP;
	code[0] = MTMSR(3);
	code[1] = MFMSR(4);
	cpu_set_msr(f.cpu, MSR32_ME);
	fx_run(&f, code, 2);
	CHECK(ran_to_end(&f, 2));
	CHECK_EQ(f.cpu->msr, MSR32_FP);
	CHECK_EQ(f.cpu->gpr[4], MSR32_FP);
	/* VEC exists on the 7447A only */
	CHECK_EQ(MSR32_MASK_7447A & MSR32_VEC, MSR32_VEC);
	CHECK_EQ(MSR32_MASK_750 & MSR32_VEC, 0);
	/* privileged */
	run1(&f, MFMSR(4), true, 0);
	CHECK(is_program(&f, SRR1_PROGPRIV));
	run1(&f, MTMSR(3), true, 0);
	CHECK(is_program(&f, SRR1_PROGPRIV));
	fx_fini(&f);
}

TEST(book3s32_segment_registers)
{
	struct fx f;
	uint32_t code[] = {
		LIS(3, 0x1234), ORI(3, 3, 0x5678), MTSR(5, 3),	 MFSR(4, 5),   LIS(6, 0xa000),
		LIS(7, 0x2000), ORI(7, 7, 0xabc),  MTSRIN(7, 6), MFSRIN(8, 6), MFSR(9, 10),
	};

	b32_init(&f, PVR_7447A);
	f.cpu->tlb_read[3].tag = 0x3000; /* a stale entry the write drops */
	fx_run(&f, code, 10);
	CHECK(ran_to_end(&f, 10));
	CHECK_EQ(f.cpu->sr[5], 0x12345678u);
	CHECK_EQ(f.cpu->gpr[4], 0x12345678u);
	CHECK_EQ(f.cpu->sr[10], 0x20000abcu);
	CHECK_EQ(f.cpu->gpr[8], 0x20000abcu);
	CHECK_EQ(f.cpu->gpr[9], 0x20000abcu);
	CHECK_EQ(f.cpu->tlb_read[3].tag, ~0ull);
	run1(&f, MTSR(1, 3), true, 0);
	CHECK(is_program(&f, SRR1_PROGPRIV));
	run1(&f, MFSRIN(8, 6), true, 0);
	CHECK(is_program(&f, SRR1_PROGPRIV));
	/* tlbie / tlbsync: supervisor only */
	run1(&f, 0x7c003264u, true, 0);
	CHECK(is_program(&f, SRR1_PROGPRIV));
	run1(&f, 0x7c00046cu, false, 0);
	CHECK(ran_to_end(&f, 1));
	fx_fini(&f);
}

/* A second slot at 0xfff00000 holds the IP=1 vectors (sc at each) */
static uint8_t *add_high_vectors(struct fx *f, bool le)
{
	uint8_t *hi = aligned_alloc(4096, 1u << 20);

	memset(hi, 0, 1u << 20);
	for (unsigned v = 0x100; v < 0x1000; v += 0x20)
		host_st(hi + v, 4, 0x44000022, le);
	f->pm.slot[1].gpa = 0xfff00000u;
	f->pm.slot[1].size = 1u << 20;
	f->pm.slot[1].host = hi;
	f->pm.slot[1].code = calloc(256, 1);
	f->pm.slot[1].used = true;
	return hi;
}

TEST(book3s32_interrupt_vectors)
{
	struct fx f;
	uint8_t *hi;
	uint32_t trap = 0x7fe00008u; /* tw 31,0,0: always traps */
	/* everything but PR/IR/DR/LE: SRR1 keeps the MSR except bits 1-4, 10-15 */
	uint32_t msr = 0x5ff77u & ~(MSR32_PR | 0x30u | MSR32_LE);

	b32_init(&f, PVR_750);
	hi = add_high_vectors(&f, true);
	/* IP=0: vector at 0x700 */
	run1(&f, trap, false, MSR32_FP | MSR32_EE);
	CHECK(is_program(&f, SRR1_PROGTRAP));
	CHECK_EQ(f.cpu->spr[SPR_SRR1], MSR32_ME | MSR32_FP | MSR32_EE | SRR1_PROGTRAP);
	CHECK_EQ(f.cpu->msr, MSR32_ME);
	/* IP=1: vector at 0xfff00700; new MSR keeps ME, IP and ILE */
	cpu_set_msr(f.cpu, msr);
	CHECK_EQ(f.cpu->msr, msr);
	f.cpu->gpr[3] = 0;
	fx_run(&f, &trap, 1);
	CHECK_EQ(f.cpu->stop, STOP_SC_MAGIC);
	CHECK_EQ(f.cpu->pc, 0xfff00704u);
	CHECK_EQ(f.cpu->spr[SPR_SRR0], FX_CODE);
	CHECK_EQ(f.cpu->spr[SPR_SRR1], (msr & ~0x783f0000u) | SRR1_PROGTRAP);
	/* ILE (0x10000) was set: the handler runs little-endian */
	CHECK_EQ(f.cpu->msr, MSR32_ME | MSR32_IP | MSR32_ILE | MSR32_LE);
	/* system call from problem state: SRR0 past the sc, vector 0xc00 */
	run1(&f, NOP, true, 0);
	CHECK(took(&f, VEC_SC));
	CHECK_EQ(f.cpu->spr[SPR_SRR0], FX_CODE + 8);
	CHECK_EQ(f.cpu->spr[SPR_SRR1], MSR32_ME | MSR32_PR);
	/* FP unavailable: 0x800 */
	run1(&f, 0xfc602090u /* fmr f3,f4 */, false, 0);
	CHECK(took(&f, VEC_FPU));
	CHECK_EQ(f.cpu->spr[SPR_SRR0], FX_CODE);
	/* machine check (fetch from no memory) with ME=1, then with ME=0 */
	cpu_set_msr(f.cpu, MSR32_ME);
	f.cpu->pc = 0x40000000u;
	cpu_exec(f.cpu);
	CHECK(took(&f, VEC_MCHECK));
	CHECK_EQ(f.cpu->spr[SPR_SRR0], 0x40000000u);
	CHECK_EQ(f.cpu->msr, 0); /* ME cleared by the machine check */
	cpu_set_msr(f.cpu, 0);
	f.cpu->pc = 0x40000000u;
	cpu_exec(f.cpu);
	CHECK_EQ(f.cpu->stop, STOP_CHECKSTOP);
	free(f.pm.slot[1].code);
	fx_fini(&f);
	free(hi);
}

TEST(book3s32_alignment_dsisr)
{
	/* lwz r5,0x10(r6): D form opcode 32 -> DSISR 18-21 = 0000, bit 17 = 0 */
	CHECK_EQ(book3s32_align_dsisr(0x80a60010u), (5u << 5) | 6);
	/* stwx r5,r6,r7 (31/151 = 0010010111): bits 29-30 11, 25 0, 21-24 0010 */
	CHECK_EQ(book3s32_align_dsisr(0x7ca6392eu),
		 (3u << 15) | (0u << 14) | (2u << 10) | (5u << 5) | 6);
	/* stmw r29,0(r1) (47): bit 5 = 1, bits 1-4 = 0111 */
	CHECK_EQ(book3s32_align_dsisr(0xbfa10000u), (1u << 14) | (7u << 10) | (29u << 5) | 1);
}

/* Spin until the host clock moved by more than ns */
static void spin_ns(uint64_t ns)
{
	struct timespec a, b;

	clock_gettime(CLOCK_MONOTONIC, &a);
	do
		clock_gettime(CLOCK_MONOTONIC, &b);
	while ((uint64_t)(b.tv_sec - a.tv_sec) * 1000000000ull + (uint64_t)(b.tv_nsec - a.tv_nsec) <
	       ns);
}

TEST(book3s32_dec_edge)
{
	struct fx f;
	uint32_t code[] = { NOP };
	uint32_t mtdec[] = { MTSPR(SPR_DEC, 3) };

	b32_init(&f, PVR_750);
	cpu_set_dec(f.cpu, 100);
	CHECK(!(f.cpu->pending & PEND_DEC));
	spin_ns(2000);
	cpu_check_timers(f.cpu);
	CHECK(f.cpu->pending & PEND_DEC);
	CHECK(cpu_get_dec(f.cpu) & 0x80000000u);
	/* taken with EE=1: SRR0 is the interrupted instruction */
	cpu_set_msr(f.cpu, MSR32_ME | MSR32_EE);
	fx_run(&f, code, 1);
	CHECK(took(&f, VEC_DEC));
	CHECK_EQ(f.cpu->spr[SPR_SRR0], FX_CODE);
	/* the edge is consumed: DEC still negative, nothing pending */
	CHECK(!(f.cpu->pending & PEND_DEC));
	cpu_check_timers(f.cpu);
	CHECK(!(f.cpu->pending & PEND_DEC));
	CHECK(cpu_dec_ns_left(f.cpu) > 1000000000ull);
	/* mtdec negative over non-negative: at once, and it stays pending */
	cpu_set_dec(f.cpu, 0x10000000u);
	f.cpu->gpr[3] = 0xfffff000u;
	cpu_set_msr(f.cpu, MSR32_ME);
	fx_run(&f, mtdec, 1);
	CHECK(ran_to_end(&f, 1));
	CHECK(f.cpu->pending & PEND_DEC);
	cpu_set_dec(f.cpu, 0x10000000u); /* a positive value does not clear it */
	CHECK(f.cpu->pending & PEND_DEC);
	/* negative over negative: no new edge */
	cpu_set_dec(f.cpu, 0xffff0000u);
	__atomic_fetch_and(&f.cpu->pending, ~PEND_DEC, __ATOMIC_RELAXED);
	cpu_set_dec(f.cpu, 0xfff00000u);
	CHECK(!(f.cpu->pending & PEND_DEC));
	/* POWER8 keeps the level behaviour: pending while negative */
	cpu_set_model(f.cpu, PVR_P8);
	cpu_set_dec(f.cpu, 0xfff00000u);
	CHECK(f.cpu->pending & PEND_DEC);
	__atomic_fetch_and(&f.cpu->pending, ~PEND_DEC, __ATOMIC_RELAXED);
	cpu_check_timers(f.cpu);
	CHECK(f.cpu->pending & PEND_DEC);
	fx_fini(&f);
}

/* mfspr/mtspr one SPR in a state; returns the GPR read (r4) */
static uint64_t spr_rw(struct fx *f, unsigned spr, uint32_t v, bool pr)
{
	uint32_t code[] = { MTSPR(spr, 3), MFSPR(4, spr) };

	cpu_set_msr(f->cpu, MSR32_ME | (pr ? MSR32_PR : 0));
	f->cpu->gpr[3] = v;
	f->cpu->gpr[4] = 0xdead;
	f->cpu->spr[SPR_SRR1] = 0;
	fx_run(f, code, 2);
	return f->cpu->gpr[4];
}

TEST(book3s32_bat_sprs)
{
	struct fx f;

	b32_init(&f, PVR_750);
	f.cpu->tlb_write[1].tag = 0x1000;
	CHECK_EQ(spr_rw(&f, 528, 0x80001ffeu, false), 0x80001ffeu); /* IBAT0U */
	CHECK(ran_to_end(&f, 2));
	CHECK_EQ(f.cpu->ibat[0][0], 0x80001ffeu);
	CHECK_EQ(f.cpu->tlb_write[1].tag, ~0ull);
	CHECK_EQ(spr_rw(&f, 543, 0x12, false), 0x12); /* DBAT3L */
	CHECK_EQ(f.cpu->dbat[3][1], 0x12);
	CHECK_EQ(spr_rw(&f, 25, 0x0fe00003u, false), 0x0fe00003u); /* SDR1 */
	CHECK_EQ(f.cpu->spr[SPR_SDR1], 0x0fe00003u);
	/* BATs 4-7 are not 750 SPRs: 560 has bit 0x10 -> no-op in supervisor */
	CHECK_EQ(spr_rw(&f, 560, 0x55, false), 0xdead);
	CHECK(ran_to_end(&f, 2));
	CHECK_EQ(f.cpu->ibat[4][0], 0);
	spr_rw(&f, 560, 0x55, true);
	CHECK(is_program(&f, SRR1_PROGPRIV));
	/* SPRG4 (276) is 7447A-only too */
	CHECK_EQ(spr_rw(&f, 276, 0x66, false), 0xdead);
	/* supervisor-only */
	spr_rw(&f, 528, 1, true);
	CHECK(is_program(&f, SRR1_PROGPRIV));
	spr_rw(&f, 25, 1, true);
	CHECK(is_program(&f, SRR1_PROGPRIV));
	/* PVR: read-only even in supervisor state; mfpvr gives the model */
	spr_rw(&f, SPR_PVR, 1, false);
	CHECK(is_program(&f, SRR1_PROGPRIV));
	{
		uint32_t mfpvr = MFSPR(5, SPR_PVR);

		cpu_set_msr(f.cpu, MSR32_ME);
		fx_run(&f, &mfpvr, 1);
		CHECK_EQ(f.cpu->gpr[5], PVR_750);
	}
	/* L2CR writes are ignored (QEMU), HID0 is storage */
	CHECK_EQ(spr_rw(&f, 1017, 0x00200000u, false), 0);
	CHECK_EQ(spr_rw(&f, 1008, 0x8000c0a4u, false), 0x8000c0a4u);
	/* an undefined SPR without bit 0x10: privileged in problem state */
	spr_rw(&f, 800, 1, true);
	CHECK(is_program(&f, SRR1_PROGPRIV));
	fx_fini(&f);

	b32_init(&f, PVR_7447A);
	CHECK_EQ(spr_rw(&f, 560, 0xfff0001fu, false), 0xfff0001fu); /* IBAT4U */
	CHECK_EQ(f.cpu->ibat[4][0], 0xfff0001fu);
	CHECK_EQ(spr_rw(&f, 575, 0x77, false), 0x77); /* DBAT7L */
	CHECK_EQ(f.cpu->dbat[7][1], 0x77);
	CHECK_EQ(spr_rw(&f, 279, 0x99, false), 0x99);		/* SPRG7 */
	CHECK_EQ(spr_rw(&f, SPR_VRSAVE, 0xabcd, true), 0xabcd); /* user */
	/* API access goes through the same file */
	{
		uint64_t v = 0;

		CHECK(cpu_spr_get(f.cpu, 575, &v));
		CHECK_EQ(v, 0x77);
		CHECK(cpu_spr_set(f.cpu, 568, 0x1234));
		CHECK_EQ(f.cpu->dbat[4][0], 0x1234);
		CHECK(!cpu_spr_get(f.cpu, SPR_LPCR, &v));
	}
	fx_fini(&f);
}

TEST(book3s32_altivec)
{
	struct fx f;
	uint32_t vadd = VADDUBM(3, 1, 2);

	/* 750: no AltiVec at all */
	b32_init(&f, PVR_750);
	run1(&f, vadd, false, 0);
	CHECK(is_program(&f, SRR1_PROGILL));
	run1(&f, LVX(3, 0, 4), false, 0);
	CHECK(is_program(&f, SRR1_PROGILL));
	run1(&f, MFSPR(3, SPR_VRSAVE), false, 0); /* undefined: no-op */
	CHECK(ran_to_end(&f, 1));
	fx_fini(&f);

	/* 7447A: unavailable with MSR[VEC]=0, executes with VEC=1 */
	b32_init(&f, PVR_7447A);
	run1(&f, vadd, false, 0);
	CHECK(took(&f, VEC_VMX));
	CHECK_EQ(f.cpu->spr[SPR_SRR0], FX_CODE);
	for (int i = 0; i < 16; i++) {
		f.cpu->vsr[32 + 1].b[i] = (uint8_t)i;
		f.cpu->vsr[32 + 2].b[i] = 0x10;
	}
	run1(&f, vadd, false, MSR32_VEC);
	CHECK(ran_to_end(&f, 1));
	CHECK_EQ(f.cpu->vsr[32 + 3].b[5], 0x15);
	CHECK(f.cpu->msr & MSR32_VEC);
	/* VMX additions of ISA 2.07 (vaddudm, vpermxor) are not AltiVec */
	run1(&f, VADDUBM(3, 1, 2) | 192, false, MSR32_VEC);
	CHECK(is_program(&f, SRR1_PROGILL));
	run1(&f, VADDUBM(3, 1, 2) | (4u << 6) | 45, false, MSR32_VEC);
	CHECK(is_program(&f, SRR1_PROGILL));
	/* vperm (VA form) is */
	run1(&f, VADDUBM(3, 1, 2) | (4u << 6) | 43, false, MSR32_VEC);
	CHECK(ran_to_end(&f, 1));
	/* VSX (xxlor, opcode 60) is illegal on both */
	run1(&f, 0xf0622490u, false, MSR32_VEC | MSR32_FP);
	CHECK(is_program(&f, SRR1_PROGILL));
	fx_fini(&f);
}

TEST(book3s32_dcbz_32_bytes)
{
	struct fx f;
	uint32_t code[] = { DCBZ(3, 4) };

	b32_init(&f, PVR_750);
	memset(f.ram + FX_DATA, 0xff, 256);
	f.cpu->gpr[3] = FX_DATA;
	f.cpu->gpr[4] = 0x45;
	fx_run(&f, code, 1);
	CHECK(ran_to_end(&f, 1));
	CHECK_EQ(f.ram[FX_DATA + 0x3f], 0xff);
	CHECK_EQ(f.ram[FX_DATA + 0x40], 0);
	CHECK_EQ(f.ram[FX_DATA + 0x5f], 0);
	CHECK_EQ(f.ram[FX_DATA + 0x60], 0xff);
	fx_fini(&f);
}

/* The CPU side of sc: supervisor -> the core decides; problem -> 0xc00 */
TEST(book3s32_sc)
{
	struct fx f;
	uint32_t code[] = { LI(0, 5), SC, NOP };

	b32_init(&f, PVR_750);
	fx_run(&f, code, 3);
	CHECK_EQ(f.cpu->stop, STOP_SC_MAGIC);
	CHECK_EQ(f.cpu->pc, FX_CODE + 8);
	/* sc 1 (LEV=1) is the same instruction here: not a PAPR hcall */
	code[1] = 0x44000022u;
	fx_run(&f, code, 3);
	CHECK_EQ(f.cpu->stop, STOP_SC_MAGIC);
	CHECK_EQ(f.cpu->pc, FX_CODE + 8);
	cpu_set_msr(f.cpu, MSR32_ME | MSR32_PR);
	fx_run(&f, code, 3);
	CHECK(took(&f, VEC_SC));
	CHECK_EQ(f.cpu->spr[SPR_SRR0], FX_CODE + 8);
	fx_fini(&f);
}

/* ---- Through the public API: PV hypercall and the magic page ------- */

#define RAM_SIZE (4u << 20)
#define CODE	 0x10000u

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

/*
 * A VM with RAM at 0 and PV on (pv), one 750 vCPU in real mode at CODE.
 * Each snippet ends with a load from 0x80000000 (no memory: an MMIO exit).
 */
static int api_init(struct ppcvm_vm **vm, struct ppcvm_vcpu **vcpu, uint8_t **ram,
		    const uint32_t *code, unsigned n, int pv)
{
	struct ppcvm_regs regs;
	struct ppcvm_sregs sregs;
	uint64_t args[4] = { (uint64_t)pv, 0, 0, 0 };
	uint32_t end[] = { LIS(31, 0x8000), LWZ(0, 31, 0) };

	*ram = aligned_alloc(4096, RAM_SIZE);
	if (!*ram || ppcvm_vm_create(vm))
		return -1;
	memset(*ram, 0, RAM_SIZE);
	if (ppcvm_set_memslot(*vm, 0, 0, RAM_SIZE, *ram, 0) || ppcvm_vcpu_create(*vm, 0, vcpu) ||
	    ppcvm_enable_cap(*vm, PPCVM_CAP_PPC_PV, args))
		return -1;
	for (unsigned i = 0; i < n; i++)
		put32(*ram + CODE + 4 * i, code[i]);
	put32(*ram + CODE + 4 * n, end[0]);
	put32(*ram + CODE + 4 * n + 4, end[1]);
	/* the system call vector also ends the run */
	put32(*ram + 0xc00, end[0]);
	put32(*ram + 0xc04, end[1]);
	ppcvm_vcpu_get_sregs(*vcpu, &sregs);
	sregs.pvr = PPCVM_PVR_750;
	if (ppcvm_vcpu_set_sregs(*vcpu, &sregs))
		return -1;
	ppcvm_vcpu_get_regs(*vcpu, &regs);
	regs.pc = CODE;
	regs.msr = MSR32_ME;
	return ppcvm_vcpu_set_regs(*vcpu, &regs);
}

TEST(book3s32_pv_hypercall_and_magic_sr)
{
	static const uint32_t code[] = {
		/* KVM_HC_FEATURES */
		LIS(0, 0x4b56),
		ORI(0, 0, 0x4d21),
		LIS(11, 0x2a),
		ORI(11, 11, 3),
		SC,
		ORI(20, 3, 0),
		ORI(21, 4, 0),
		/* KVM_HC_PPC_MAP_MAGIC_PAGE at real and effective -4096 */
		LIS(0, 0x4b56),
		ORI(0, 0, 0x4d21),
		LIS(11, 0x2a),
		ORI(11, 11, 4),
		LI(3, -4096),
		LI(4, -4095),
		SC,
		ORI(22, 3, 0),
		ORI(23, 4, 0),
		/* mtsr 3 then read sr[3] from the page; store sr[7], mfsr it */
		LIS(5, 0x7777),
		ORI(5, 5, 0x1234),
		MTSR(3, 5),
		LI(6, -4096),
		LWZ(24, 6, MAGIC_SR + 12),
		LIS(7, 0x0bad),
		ORI(7, 7, 0xcafe),
		STW(7, 6, MAGIC_SR + 28),
		MFSR(25, 7),
		/* without r0 = "KVM!", sc is a system call */
		LI(0, 0),
		SC,
	};
	struct ppcvm_vm *vm;
	struct ppcvm_vcpu *vcpu;
	struct ppcvm_regs r;
	struct ppcvm_run *run;
	uint8_t *ram;
	uint64_t msr = 0;
	unsigned n = sizeof(code) / 4;

	CHECK_EQ(api_init(&vm, &vcpu, &ram, code, n, 1), 0);
	run = ppcvm_vcpu_run_data(vcpu);
	CHECK_EQ(ppcvm_vcpu_run(vcpu), 0);
	CHECK_EQ(run->exit_reason, PPCVM_EXIT_MMIO);
	CHECK_EQ(run->mmio.phys_addr, 0x80000000u);
	ppcvm_vcpu_get_regs(vcpu, &r);
	CHECK_EQ(r.gpr[20], 0); /* EV_SUCCESS */
	CHECK_EQ(r.gpr[21], 2); /* KVM_FEATURE_MAGIC_PAGE */
	CHECK_EQ(r.gpr[22], 0);
	CHECK_EQ(r.gpr[23], 1); /* KVM_MAGIC_FEAT_SR */
	CHECK_EQ(r.gpr[24], 0x77771234u);
	CHECK_EQ(r.gpr[25], 0x0badcafeu);
	/* the final sc went to the system call vector */
	CHECK_EQ(r.srr0, CODE + 4 * n);
	CHECK_EQ(r.pc, 0xc04);
	CHECK_EQ(ppcvm_vcpu_get_one_reg(vcpu, PPCVM_REG_MSR, &msr), 0);
	CHECK_EQ(msr, MSR32_ME);
	/* RAM under the page (its real address is beyond RAM) untouched */
	CHECK_EQ(ram[CODE - 4], 0);
	ppcvm_vm_destroy(vm);
	free(ram);
}

/*
 * Encodings the 750/7447A treat differently from POWER8: cmpi L=1 is a
 * 32-bit compare (QEMU do_cmp_X), mfocrf acts as mfcr (bit 11 reserved),
 * mcrxr exists, lwsync is a sync.
 */
TEST(book3s32_reserved_fields_and_mcrxr)
{
	struct fx f;
	static const uint32_t code[] = {
		0x2c230005u, /* cmpi cr0,1,r3,5 (cmpdi on POWER8) */
		0x7c980026u, /* mfocrf r4,0x80 */
		0x7c800400u, /* mcrxr cr1 */
		0x7c2004acu, /* lwsync */
	};

	b32_init(&f, PVR_750);
	f.cpu->gpr[3] = 0x100000005ull;
	f.cpu->cr = 0x00000012u;
	cpu_set_xer(f.cpu, 0xa0000000u); /* SO, CA */
	fx_run(&f, code, 4);
	CHECK(ran_to_end(&f, 4));
	CHECK_EQ(f.cpu->gpr[4], 0x30000012u); /* whole CR, CR0 = EQ, SO */
	CHECK_EQ(cr_get_field(f.cpu, 1), 0xa);
	CHECK_EQ(f.cpu->xer_so | f.cpu->xer_ca | f.cpu->xer_ov, 0);
	fx_fini(&f);
}

/*
 * sregs carry the 32-bit MMU state (as KVM's ppc32 sregs): SRs, BATs and
 * SDR1 set through the API are what mfsr/mfspr see and what translation
 * uses (a DBAT maps EA 0x40000000 onto RAM), and a guest mtsr shows in
 * get_sregs.
 */
TEST(book3s32_sregs_mmu_state)
{
	static const uint32_t code[] = {
		MFSR(20, 5),
		MFSPR(21, 25),
		MFSPR(22, 536),
		MFSPR(23, 537),
		LIS(5, 0x1234),
		ORI(5, 5, 0x5678),
		MTSR(9, 5),
		/* DR on through mtmsr, then a load through DBAT0 */
		LI(6, 0x1010),
		MTMSR(6),
		LIS(7, 0x4000),
		LWZ(24, 7, 0x100),
		LI(6, 0x1000),
		MTMSR(6),
	};
	struct ppcvm_vm *vm;
	struct ppcvm_vcpu *vcpu;
	struct ppcvm_sregs s;
	struct ppcvm_regs r;
	uint8_t *ram;

	CHECK_EQ(api_init(&vm, &vcpu, &ram, code, sizeof(code) / 4, 0), 0);
	put32(ram + 0x100, 0xfeedf00du);
	CHECK_EQ(ppcvm_vcpu_get_sregs(vcpu, &s), 0);
	CHECK_EQ(s.pvr, PPCVM_PVR_750);
	s.sr[5] = 0x20000abcu;
	s.sdr1 = 0x00300001u;
	/* DBAT0: BEPI 0x4000_0000, 128 KB, Vs; BRPN 0, PP read/write */
	s.dbat[0] = (uint64_t)0x40000002u << 32 | 0x00000002u;
	CHECK_EQ(ppcvm_vcpu_set_sregs(vcpu, &s), 0);
	CHECK_EQ(ppcvm_vcpu_run(vcpu), 0);
	CHECK_EQ(ppcvm_vcpu_run_data(vcpu)->exit_reason, PPCVM_EXIT_MMIO);
	ppcvm_vcpu_get_regs(vcpu, &r);
	CHECK_EQ(r.gpr[20], 0x20000abcu);
	CHECK_EQ(r.gpr[21], 0x00300001u);
	CHECK_EQ(r.gpr[22], 0x40000002u);
	CHECK_EQ(r.gpr[23], 0x00000002u);
	CHECK_EQ(r.gpr[24], 0xfeedf00du);
	CHECK_EQ(ppcvm_vcpu_get_sregs(vcpu, &s), 0);
	CHECK_EQ(s.sr[9], 0x12345678u);
	CHECK_EQ(s.sr[5], 0x20000abcu);
	CHECK_EQ(s.dbat[0], (uint64_t)0x40000002u << 32 | 0x00000002u);
	ppcvm_vm_destroy(vm);
	free(ram);
}

/* mftb takes TBR 268 (TBL) and 269 (TBU) only; any other TBR is illegal */
TEST(book3s32_mftb_tbr)
{
	struct fx f;
	const uint32_t mftb = 0x7c0002e6u | 3u << 21; /* mftb r3, TBR in bits 11-20 */

	b32_init(&f, PVR_750);
	run1(&f, mftb | (268 & 31) << 16 | (268 >> 5) << 11, false, 0);
	CHECK(!took(&f, VEC_PROGRAM));
	run1(&f, mftb | (270 & 31) << 16 | (270 >> 5) << 11, false, 0);
	CHECK(is_program(&f, SRR1_PROGILL));
	fx_fini(&f);
}
