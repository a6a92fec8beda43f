/*
 * More interrupts and SPRs (750 UM chapter 4, OEA chapter 6): alignment (lmw/stmw/lwarx and
 * FP loads not word-aligned, dcbz to a cache-inhibited block: 0x600, DAR, DSISR as OEA 6.4.6
 * encodes it), trace (MSR[SE]: 0xd00, SRR0 = the next instruction), lwarx/stwcx.
 * reservations, tlbia absent on the 750 (illegal), SPRG0-3 (and 4-7 on the 7447A), PVR,
 * TBL/TBU writes, the implementation SPRs Linux reads, the direct-store segment (T = 1) on a
 * CPU without direct-store.
 */
#include "mmu32.h"

static volatile u32 buf[8] __attribute__((aligned(32)));

/*
 * OEA 6.4.6 table 6-x, DSISR for an alignment interrupt: D-form: [17] = insn bit 5,
 * [18:21] = insn bits 1-4; X-form: [15:16] = insn bits 29-30, [17] = bit 25, [18:21] =
 * bits 21-24; [22:26] = rD/rS; [27:31] = rA (update forms, lmw/stmw/lswi/lswx).
 */
static u32 dsisr_dform(u32 insn)
{
	u32 op = insn >> 26;

	return (op & 1) << 14 | ((op >> 1) & 0xf) << 10 | ((insn >> 21) & 0x1f) << 5 |
	       ((insn >> 16) & 0x1f);
}

static void test_align(void)
{
	u32 a = (u32)&buf[2] + 2, insn;

	exc_expected = 1;
	/*
	 * lmw/stmw with an operand that is not word-aligned take the alignment interrupt on the
	 * 6xx cores (603e UM 4.5.6, 604 UM 4.5.6, 750 UM 4.5.6). QEMU 7.2 performs them
	 * (gen_lmw/gen_stmw check alignment only in little-endian mode).
	 */
	if (qemu_bad("align.lmw-stmw", "QEMU does not check lmw/stmw alignment"))
		goto lwarx;
	/* lmw r29,0(r9) at a non-word address */
	exc_reset();
	asm volatile("mr 9,%0\n\tlmw 29,0(9)" : : "r"(a) : "r9", "r29", "r30", "r31", "memory");
	check_eq(exc_last.vec, 0x600, "align.lmw.vec");
	check_eq(exc_last.dar, a, "align.lmw.dar");
	insn = 0xbba90000; /* lmw r29,0(r9) */
	check_eq(exc_last.dsisr & 0x3ff, dsisr_dform(insn) & 0x3ff, "align.lmw.dsisr-regs");
	check_eq(exc_last.dsisr, dsisr_dform(insn), "align.lmw.dsisr-opcode");
	/* stmw r30,0(r9) */
	exc_reset();
	asm volatile("mr 9,%0\n\tli 30,1\n\tli 31,2\n\tstmw 30,0(9)"
		     :
		     : "r"(a)
		     : "r9", "r30", "r31", "memory");
	check_eq(exc_last.vec, 0x600, "align.stmw.vec");
	check_eq(exc_last.dar, a, "align.stmw.dar");
	insn = 0xbfc90000;
	check_eq(exc_last.dsisr & 0x3ff, dsisr_dform(insn) & 0x3ff, "align.stmw.dsisr-regs");
	check_eq(exc_last.dsisr, dsisr_dform(insn), "align.stmw.dsisr-opcode");
lwarx:
	/* lwarx at a non-word address */
	exc_reset();
	asm volatile("mr 9,%0\n\tlwarx 8,0,9" : : "r"(a) : "r8", "r9", "memory");
	check_eq(exc_last.vec, 0x600, "align.lwarx.vec");
	check_eq(exc_last.dar, a, "align.lwarx.dar");
	check_eq((exc_last.dsisr >> 5) & 0x1f, 8, "align.lwarx.dsisr-rd");
	/* an aligned lwz at an odd halfword is fine (the 750 handles it in hardware) */
	exc_reset();
	buf[2] = 0x11223344;
	buf[3] = 0x55667788;
	{
		u32 v;

		asm volatile("lwz %0,0(%1)" : "=r"(v) : "b"(a) : "memory");
		check_eq(v, 0x33445566, "align.lwz-misaligned-ok");
	}
	check_eq(exc_count, 0, "align.lwz-no-interrupt");
	exc_expected = 0;
}

static volatile u32 trace_srr0, trace_count;

static void trace_hook(struct exc_frame *f)
{
	if (f->vec == 0xd00) {
		trace_count++;
		if (trace_count == 1)
			trace_srr0 = f->srr0;
		f->srr1 &= ~MSR_SE;
	} else {
		f->srr0 += 4;
	}
}

static void test_trace(void)
{
	u32 l, r = 0;

	exc_expected = 1;
	exc_reset();
	trace_count = 0;
	exc_hook = trace_hook;
	/* rfi to L with SE = 1: L's addi completes, then the trace interrupt, SRR0 = L + 4 */
	asm volatile("lis 9,1f@ha\n\taddi 9,9,1f@l\n\tmr %0,9\n\tmtsrr0 9\n\tmtsrr1 %2\n\trfi\n"
		     "1:\taddi %1,%1,1\n\tnop\n\tnop"
		     : "=&r"(l), "+r"(r)
		     : "r"(mfmsr() | MSR_SE)
		     : "r9", "memory");
	exc_hook = NULL;
	exc_expected = 0;
	check_eq(trace_count, 1, "trace.count");
	check_eq(exc_last.vec, 0xd00, "trace.vec");
	check_eq(trace_srr0, l + 4, "trace.srr0-next");
	check_eq(r, 1, "trace.insn-completed");
	check_eq(mfmsr() & MSR_SE, 0, "trace.se-off");
}

static void test_reservation(void)
{
	u32 ok, v;

	buf[0] = 5;
	asm volatile("lwarx %0,0,%2\n\taddi %0,%0,1\n\tstwcx. %0,0,%2\n\tmfcr %1"
		     : "=&r"(v), "=r"(ok)
		     : "r"(&buf[0])
		     : "cr0", "memory");
	check_eq(buf[0], 6, "resv.stwcx-stores");
	check_eq(ok & 0x20000000, 0x20000000, "resv.stwcx-eq");
	/* a second stwcx. without a reservation fails */
	asm volatile("stwcx. %1,0,%2\n\tmfcr %0"
		     : "=r"(ok)
		     : "r"(9), "r"(&buf[0])
		     : "cr0", "memory");
	check_eq(ok & 0x20000000, 0, "resv.stwcx-no-reservation");
	check_eq(buf[0], 6, "resv.no-store");
	/* an interrupt (sc) between lwarx and stwcx. does not clear it on the 750 by itself;
	 * a stwcx. to another address with a reservation is implementation-defined: no check */
}

/* tlbia is optional (OEA) and not on the 750 (750 UM table A-x): illegal */
static void test_tlbia(void)
{
	if (is_7447a())
		return;
	exc_expected = 1;
	exc_reset();
	asm volatile(".long 0x7c0002e4"); /* tlbia: not on the 750 or 7447A */
	exc_expected = 0;
	check_eq(exc_last.vec, 0x700, "tlbia.illegal.vec");
	check_eq(exc_last.srr1 & SRR1_PROG_ILL, SRR1_PROG_ILL, "tlbia.illegal.srr1");
}

static void test_spr(void)
{
	u32 t;

	mtspr(272, 0x11111111);
	mtspr(273, 0x22222222);
	mtspr(274, 0x33333333);
	mtspr(275, 0x44444444);
	check_eq(mfspr(272) ^ mfspr(273) ^ mfspr(274) ^ mfspr(275),
		 0x11111111 ^ 0x22222222 ^ 0x33333333 ^ 0x44444444, "spr.sprg0-3");
	check_eq(mfspr(275), 0x44444444, "spr.sprg3");
	if (is_7447a()) {
		mtspr(276, 0x55);
		mtspr(279, 0x77);
		check_eq(mfspr(276) << 8 | mfspr(279), 0x5577, "spr.7447a-sprg4-7");
	}
	check_eq(mfspr(287), cpu_pvr, "spr.pvr");
	check_eq(cpu_pvr, is_7447a() ? 0x80030102 : 0x00080301, "spr.pvr-model");
	/* TBU/TBL writes (SPR 284/285) and reads (mftb/mftbu) */
	mtspr(284, 0);
	mtspr(285, 0x12345678);
	mtspr(284, 0x00000000);
	asm volatile("mftbu %0" : "=r"(t));
	check_eq(t, 0x12345678, "spr.tbu-write");
	mtspr(284, 0xfffffff0);
	for (volatile int i = 0; i < 20000; i++)
		;
	asm volatile("mftbu %0" : "=r"(t));
	check_eq(t, 0x12345679, "spr.tbl-carry-into-tbu");
	/* the DEC keeps its own value */
	mtspr(22, 0x40000000);
	check(mfdec() <= 0x40000000 && mfdec() > 0x3f000000, "spr.dec-independent");
	mtspr(22, 0x7fffffff);
}

static void test_direct_store(void)
{
	/* 750 UM 5.1.x / 7450 RM: no direct-store; a T = 1 access is a DSI with DSISR[5] */
	mmu_setup();
	mtsrin(0x80000000u | 0x123, 0x60000000);
	exc_expected = 1;
	/*
	 * QEMU 7.2 (ppc_hash32_direct_store) performs integer loads/stores to a T = 1 segment
	 * as real accesses at the EA (a 601-style direct-store bus) unless the key forbids them.
	 */
	if (!qemu_bad("dstore.data", "QEMU performs integer accesses to T = 1 segments")) {
		exc_reset();
		check_eq(probe_ld(0x60000010, msr_mode(MSR_DR)), PROBE_FAIL, "dstore.load");
		check_eq(exc_last.vec, 0x300, "dstore.load.vec");
		check_eq(exc_last.dar, 0x60000010, "dstore.load.dar");
		check_eq(exc_last.dsisr, DSISR_DS, "dstore.load.dsisr");
		exc_reset();
		probe_st(0x60000020, 1, msr_mode(MSR_DR));
		check_eq(exc_last.dsisr, DSISR_DS | DSISR_STORE, "dstore.store.dsisr");
	}
	exc_reset();
	check_eq(run_at(0x60000000, msr_mode(MSR_IR), 0, 0, 0), ISI_RESUMED, "dstore.fetch");
	check_eq(exc_last.srr1 & 0x58000000, ISI_GUARD, "dstore.fetch.srr1");
	exc_expected = 0;
	mtsrin(SR_KP | 0x106, 0x60000000);
}

/* dcbz to a cache-inhibited block (DBAT I = 1): alignment (603e UM 4.5.6, 7400 UM table 4-2) */
static void test_dcbz_inhibited(void)
{
	u32 ea = 0x50000000 + 0x40, r;

	mmu_setup();
	st32(0x900040, 0x12345678);
	bat_set(1, 1, 0x50000000 | BAT_BL(0x20000) | BAT_VS, 0x900000 | WIMG_I << 3 | BAT_PP_RW);
	exc_expected = 1;
	exc_reset();
	set_mode(MSR_DR);
	asm volatile("dcbz 0,%0" : : "r"(ea) : "memory");
	set_mode(0);
	exc_expected = 0;
	r = ld32(0x900040);
	if (!qemu_bad("dcbz.inhibited", "QEMU's dcbz ignores WIMG")) {
		check_eq(exc_last.vec, 0x600, "dcbz.inhibited.vec");
		check_eq(exc_last.dar, ea, "dcbz.inhibited.dar");
		check_eq(r, 0x12345678, "dcbz.inhibited.not-cleared");
	}
	bat_set(1, 1, 0, 0);
}

/*
 * Implementation SPRs that Linux (arch/powerpc/kernel/cpu_setup_6xx.S, l2cr_6xx.S, the
 * performance monitor) and Mac OS X read: no program interrupt for mfspr (750 UM table 2-x,
 * MPC7450 RM table 2-x).
 */
#define MFSPR_CHECK(n, name)                              \
	do {                                              \
		exc_reset();                              \
		(void)mfspr(n);                           \
		check_eq(exc_count, 0, "spr.read." name); \
	} while (0)

static void test_impl_spr(void)
{
	exc_expected = 1;
	MFSPR_CHECK(1008, "hid0");
	MFSPR_CHECK(1009, "hid1");
	MFSPR_CHECK(1010, "iabr");
	MFSPR_CHECK(1013, "dabr");
	MFSPR_CHECK(1017, "l2cr");
	MFSPR_CHECK(1019, "ictc");
	MFSPR_CHECK(952, "mmcr0");
	MFSPR_CHECK(953, "pmc1");
	MFSPR_CHECK(954, "pmc2");
	MFSPR_CHECK(956, "mmcr1");
	MFSPR_CHECK(957, "pmc3");
	MFSPR_CHECK(958, "pmc4");
	MFSPR_CHECK(955, "sia");
	MFSPR_CHECK(282, "ear");
	if (!is_7447a()) {
		MFSPR_CHECK(1020, "thrm1");
		MFSPR_CHECK(1021, "thrm2");
		MFSPR_CHECK(1022, "thrm3");
	} else {
		MFSPR_CHECK(1011, "ictrl");
		MFSPR_CHECK(1012, "ldstdb");
		MFSPR_CHECK(1014, "msscr0");
		MFSPR_CHECK(1015, "msssr0");
		MFSPR_CHECK(1016, "ldstcr");
		MFSPR_CHECK(1018, "l3cr");
		MFSPR_CHECK(944, "mmcr2");
		MFSPR_CHECK(945, "pmc5");
		MFSPR_CHECK(946, "pmc6");
		MFSPR_CHECK(951, "bamr");
		MFSPR_CHECK(1023, "pir");
		MFSPR_CHECK(256, "vrsave");
	}
	exc_expected = 0;
	/* plain read/write registers keep what is written */
	mtspr(1013, 0x12345670); /* DABR: EA | BT | DW | DR = 0: no breakpoint enabled */
	check_eq(mfspr(1013) & 0xfffffff8, 0x12345670, "spr.dabr-readback");
	mtspr(1013, 0);
}

/*
 * Floating-point loads/stores that are not word-aligned: alignment (604 UM 4.5.6, 7400 UM
 * table 4-2; the 750 lists the same causes); a word-aligned lfd is done in hardware.
 */
static void test_fp_align(void)
{
	u32 a = (u32)&buf[4] + 2, m = mfmsr();

	mtmsr(m | MSR_FP);
	exc_expected = 1;
	exc_reset();
	asm volatile("lfd 1,0(%0)" : : "b"((u32)&buf[1]) : "fr1", "memory");
	check_eq(exc_count, 0, "align.lfd-word-aligned-ok");
	exc_reset();
	asm volatile("lfd 1,0(%0)" : : "b"(a) : "fr1", "memory");
	if (!qemu_bad("align.lfd-halfword", "QEMU performs misaligned lfd")) {
		check_eq(exc_last.vec, 0x600, "align.lfd-halfword.vec");
		check_eq(exc_last.dar, a, "align.lfd-halfword.dar");
	}
	exc_expected = 0;
	mtmsr(m);
}

int main(void)
{
	test_impl_spr();
	test_fp_align();
	test_align();
	test_dcbz_inhibited();
	test_trace();
	test_reservation();
	test_tlbia();
	test_spr();
	test_direct_store();
	return 0;
}
