/* SPDX-License-Identifier: MIT */
/* System instructions and the SPR file (insn_sys.c, spr.c) */
#include "cpu_fixture.h"
#include "mmu_fixture.h"
#include "harness.h"

static uint32_t enc_mfspr(unsigned rt, unsigned spr)
{
	return 0x7c0002a6u | (rt << 21) | ((spr & 31) << 16) | ((spr >> 5) << 11);
}

static uint32_t enc_mtspr(unsigned spr, unsigned rs)
{
	return 0x7c0003a6u | (rs << 21) | ((spr & 31) << 16) | ((spr >> 5) << 11);
}

#define MFMSR(rt)     (0x7c0000a6u | ((rt) << 21))
#define MTMSRD(rs, l) (0x7c000164u | ((rs) << 21) | ((l) << 16))
#define MTMSR(rs, l)  (0x7c000124u | ((rs) << 21) | ((l) << 16))
#define RFID	      0x4c000024u
#define SC0	      0x44000002u
#define CRSET31	      0x4ffffa42u

enum outcome { O_OK, O_PRIV, O_ILL, O_FAC, O_OTHER };

static const char *const oname[] = { "ok", "priv", "ill", "fac", "other" };

/*
 * Run one instruction in problem state (pr) or supervisor state and say
 * how it ended. In problem state the closing sc 1 is a system call
 * interrupt whose vector (sc 1 again, now supervisor) stops the loop.
 */
/*
 * Problem state runs with translation on (MSR[PR] forces IR/DR): map the
 * fixture's RAM 1:1 through an SLB entry and a page table for every test.
 */
static void sys_init(struct fx *f)
{
	fx_init(f, false);
	fx_map_identity(f);
}

static void sys_fini(struct fx *f)
{
	struct hpt *h = f->cpu->hpt;

	fx_fini(f);
	mx_hpt_free(h);
}

static enum outcome run1(struct fx *f, uint32_t insn, bool pr)
{
	struct ppc_cpu *c = f->cpu;

	cpu_set_msr(c, MSR_SF | MSR_ME | (pr ? MSR_PR : 0));
	/* segment 0 again: a tested slbie/slbia may have removed it */
	mx_slb(f, 0, 0, false, MX_VSID0, SLB_VSID_KP);
	c->spr[SPR_SRR1] = 0;
	fx_run(f, &insn, 1);
	if (c->stop != STOP_HCALL)
		return O_OTHER;
	if (pr && c->pc == VEC_SC + 4 && c->spr[SPR_SRR0] == FX_CODE + 8)
		return O_OK;
	if (!pr && c->pc == FX_CODE + 8)
		return O_OK;
	if (c->pc == VEC_PROGRAM + 4 && c->spr[SPR_SRR0] == FX_CODE) {
		if (c->spr[SPR_SRR1] & SRR1_PROGPRIV)
			return O_PRIV;
		if (c->spr[SPR_SRR1] & SRR1_PROGILL)
			return O_ILL;
	}
	if (c->pc == VEC_FAC + 4 && c->spr[SPR_SRR0] == FX_CODE)
		return O_FAC;
	return O_OTHER;
}

#define X O_OK
#define P O_PRIV
#define I O_ILL
#define F O_FAC

/* mfspr/mtspr outcome in problem state and supervisor state */
static const struct {
	unsigned spr;
	enum outcome rd_pr, rd_sv, wr_pr, wr_sv;
} matrix[] = {
	{ SPR_XER, X, X, X, X },
	{ SPR_LR, X, X, X, X },
	{ SPR_CTR, X, X, X, X },
	{ SPR_VRSAVE, X, X, X, X },
	{ SPR_PPR, X, X, X, X },
	{ SPR_PPR32, X, X, X, X },
	{ SPR_AMR, X, X, X, X },
	{ SPR_DSCR_U, F, X, F, X },
	{ SPR_TAR, F, X, F, X },
	{ SPR_DSCR, P, X, P, X },
	{ SPR_DSISR, P, X, P, X },
	{ SPR_DAR, P, X, P, X },
	{ SPR_DEC, P, X, P, X },
	{ SPR_SRR0, P, X, P, X },
	{ SPR_SRR1, P, X, P, X },
	{ SPR_CFAR, P, X, P, X },
	{ SPR_PIDR, P, X, P, X },
	{ SPR_IAMR, P, X, P, X },
	{ SPR_UAMOR, P, X, P, X },
	{ SPR_FSCR, P, X, P, X },
	{ SPR_SPRG0, P, X, P, X },
	{ SPR_SPRG3, P, X, P, X },
	{ SPR_DABR, P, X, P, X },
	{ 795 /* MMCR0 */, P, X, P, X },
	{ SPR_SPRG3_R, X, X, P, P },
	{ SPR_TBL_R, X, X, P, P },
	{ SPR_TBU_R, X, X, P, P },
	{ SPR_CTRL_R, X, X, P, P },
	{ SPR_CTRL_W, P, P, P, X },
	{ SPR_PVR, P, X, P, P },
	{ SPR_PIR, P, X, P, P },
	{ SPR_LPCR, P, X, P, P },
	{ SPR_HSPRG0, P, P, P, P },
	{ SPR_HSPRG1, P, P, P, P },
	{ SPR_HSRR0, P, P, P, P },
	{ SPR_HSRR1, P, P, P, P },
	{ SPR_HDEC, P, P, P, P },
	{ SPR_HRMOR, P, P, P, P },
	{ SPR_LPIDR, P, P, P, P },
	{ SPR_HMER, P, P, P, P },
	{ SPR_SDR1, P, P, P, P },
	{ SPR_TBL_W, P, P, P, P },
	{ SPR_TBU_W, P, P, P, P },
	{ SPR_TBU40, P, P, P, P },
	/* undefined: SPR 0, 4, 5, 6 illegal; else by SPR bit 0x10 */
	{ 0, I, I, I, I },
	{ 4, I, I, I, I },
	{ 5, I, I, I, I },
	{ 6, I, I, I, I },
	{ 2, I, X, I, X },
	{ 512, I, X, I, X },
	{ 496, P, X, P, X },
	{ 1020, P, X, P, X },
	{ 808, X, X, X, X },
};

TEST(sys_spr_privilege_matrix)
{
	struct fx f;

	sys_init(&f);
	for (unsigned i = 0; i < sizeof(matrix) / sizeof(matrix[0]); i++) {
		unsigned spr = matrix[i].spr;
		enum outcome o[4] = {
			run1(&f, enc_mfspr(3, spr), true),
			run1(&f, enc_mfspr(3, spr), false),
			0,
			0,
		};
		/* a harmless value to write (DEC stays positive) */
		f.cpu->gpr[3] = 0x7fffffff;
		o[2] = run1(&f, enc_mtspr(spr, 3), true);
		f.cpu->gpr[3] = 0x7fffffff;
		o[3] = run1(&f, enc_mtspr(spr, 3), false);
		enum outcome want[4] = { matrix[i].rd_pr, matrix[i].rd_sv, matrix[i].wr_pr,
					 matrix[i].wr_sv };

		for (int k = 0; k < 4; k++)
			if (o[k] != want[k]) {
				printf("  spr %u %s %s: %s, expected %s\n", spr,
				       k & 2 ? "mtspr" : "mfspr", k & 1 ? "sv" : "pr", oname[o[k]],
				       oname[want[k]]);
				CHECK(0);
			}
	}
	sys_fini(&f);
}

TEST(sys_spr_undefined_is_noop_in_supervisor)
{
	struct fx f;

	sys_init(&f);
	f.cpu->gpr[3] = 0x1234;
	CHECK_EQ(run1(&f, enc_mfspr(3, 496), false), O_OK);
	CHECK_EQ(f.cpu->gpr[3], 0x1234);
	CHECK_EQ(run1(&f, enc_mfspr(3, 808), true), O_OK);
	CHECK_EQ(f.cpu->gpr[3], 0x1234);
	sys_fini(&f);
}

TEST(sys_spr_values)
{
	struct fx f;
	uint32_t p[] = {
		enc_mtspr(SPR_SPRG0, 3),   enc_mtspr(SPR_SPRG3, 4),    enc_mtspr(SPR_DSISR, 3),
		enc_mtspr(SPR_CTRL_W, 5),  enc_mtspr(SPR_PPR32, 6),    enc_mtspr(SPR_XER, 3),
		enc_mfspr(10, SPR_SPRG0),  enc_mfspr(11, SPR_SPRG3_R), enc_mfspr(12, SPR_DSISR),
		enc_mfspr(13, SPR_CTRL_R), enc_mfspr(14, SPR_PPR),     enc_mfspr(15, SPR_PVR),
		enc_mfspr(16, SPR_PIR),	   enc_mfspr(17, SPR_XER),     enc_mfspr(18, SPR_LPCR),
	};
	unsigned n = sizeof(p) / sizeof(p[0]);

	sys_init(&f);
	f.cpu->gpr[3] = 0xfedcba9876543210ull;
	f.cpu->gpr[4] = 0x1111222233334444ull;
	f.cpu->gpr[5] = 0xffffffffffffffffull;
	f.cpu->gpr[6] = 0x00000000000c0000ull;
	f.cpu->spr[SPR_PPR] = 0x0000000012345678ull;
	f.cpu->spr[SPR_LPCR] = LPCR_ILE;
	fx_run(&f, p, n);
	CHECK(fx_ran_to_end(&f, n));
	CHECK_EQ(f.cpu->gpr[10], 0xfedcba9876543210ull);
	CHECK_EQ(f.cpu->gpr[11], 0x1111222233334444ull);
	CHECK_EQ(f.cpu->gpr[12], 0x76543210u);
	CHECK_EQ(f.cpu->gpr[13], 0x101);
	CHECK_EQ(f.cpu->gpr[14], 0x000c000012345678ull);
	CHECK_EQ(f.cpu->gpr[15], 0x004d0200);
	CHECK_EQ(f.cpu->gpr[16], 0);
	/* XER keeps SO, OV, CA, OV32, CA32 and the byte count */
	CHECK_EQ(f.cpu->gpr[17], 0x76543210u & 0xe00c007fu);
	CHECK_EQ(f.cpu->gpr[18], LPCR_ILE);
	sys_fini(&f);
}

TEST(sys_spr_amr_uamor_and_fscr)
{
	struct fx f;

	sys_init(&f);
	/* Problem-state AMR writes change only the UAMOR bits */
	f.cpu->spr[SPR_AMR] = 0xf0f0f0f0f0f0f0f0ull;
	f.cpu->spr[SPR_UAMOR] = 0x00000000ffffffffull;
	f.cpu->gpr[3] = 0x123456789abcdef0ull;
	CHECK_EQ(run1(&f, enc_mtspr(SPR_AMR, 3), true), O_OK);
	CHECK_EQ(f.cpu->spr[SPR_AMR], 0xf0f0f0f09abcdef0ull);
	/* Supervisor writes all of it */
	CHECK_EQ(run1(&f, enc_mtspr(SPR_AMR, 3), false), O_OK);
	CHECK_EQ(f.cpu->spr[SPR_AMR], 0x123456789abcdef0ull);

	/* TAR in problem state: facility unavailable, FSCR[IC] = 8 */
	f.cpu->spr[SPR_FSCR] = 0;
	CHECK_EQ(run1(&f, enc_mfspr(3, SPR_TAR), true), O_FAC);
	CHECK_EQ(f.cpu->spr[SPR_FSCR] >> 56, 8);
	f.cpu->spr[SPR_FSCR] = 1ull << 8;
	f.cpu->spr[SPR_TAR] = 0xabc;
	CHECK_EQ(run1(&f, enc_mfspr(3, SPR_TAR), true), O_OK);
	CHECK_EQ(f.cpu->gpr[3], 0xabc);
	/* DSCR through SPR 3 needs FSCR[DSCR]; the value is SPR 17's */
	f.cpu->spr[SPR_FSCR] = 0;
	CHECK_EQ(run1(&f, enc_mtspr(SPR_DSCR_U, 3), true), O_FAC);
	CHECK_EQ(f.cpu->spr[SPR_FSCR] >> 56, 2);
	f.cpu->spr[SPR_FSCR] = 1ull << 2;
	f.cpu->gpr[3] = 0x15;
	CHECK_EQ(run1(&f, enc_mtspr(SPR_DSCR_U, 3), true), O_OK);
	CHECK_EQ(f.cpu->spr[SPR_DSCR], 0x15);
	sys_fini(&f);
}

TEST(sys_spr_raw_api)
{
	struct fx f;
	uint64_t v;

	sys_init(&f);
	CHECK(cpu_spr_set(f.cpu, SPR_LPCR, LPCR_ILE | (3ull << LPCR_AIL_SHIFT)));
	CHECK(cpu_spr_get(f.cpu, SPR_LPCR, &v));
	CHECK_EQ(v, LPCR_ILE | (3ull << LPCR_AIL_SHIFT));
	CHECK(cpu_spr_set(f.cpu, SPR_HSPRG0, 77));
	CHECK(cpu_spr_get(f.cpu, SPR_HSPRG0, &v));
	CHECK_EQ(v, 77);
	CHECK(cpu_spr_get(f.cpu, SPR_PVR, &v));
	CHECK_EQ(v, 0x004d0200);
	CHECK(!cpu_spr_get(f.cpu, 2, &v));
	CHECK(!cpu_spr_set(f.cpu, 512, 1));
	CHECK(!cpu_spr_get(f.cpu, 4096, &v));
	sys_fini(&f);
}

TEST(sys_dec_write_read)
{
	struct fx f;
	uint32_t p[] = { enc_mtspr(SPR_DEC, 3), enc_mfspr(4, SPR_DEC) };

	sys_init(&f);
	f.cpu->gpr[3] = 0xffffffff00100000ull; /* upper half ignored */
	fx_run(&f, p, 2);
	CHECK(fx_ran_to_end(&f, 2));
	CHECK(f.cpu->gpr[4] <= 0x100000 && f.cpu->gpr[4] > 0x100000 - 0x80000);
	CHECK(!(f.cpu->pending & PEND_DEC));

	/* A negative DEC with EE=0 is pending, not delivered */
	f.cpu->gpr[3] = 0xfff00000u;
	fx_run(&f, p, 2);
	CHECK(fx_ran_to_end(&f, 2));
	/* 32 bits, zero-extended (no large decrementer on POWER8) */
	CHECK(f.cpu->gpr[4] <= 0xfff00000u && f.cpu->gpr[4] > 0xffe80000u);
	CHECK(f.cpu->pending & PEND_DEC);
	sys_fini(&f);
}

TEST(sys_dec_negative_interrupts_at_once)
{
	struct fx f;
	uint32_t p[] = { MTMSRD(5, 1), enc_mtspr(SPR_DEC, 3), CRSET31 };

	sys_init(&f);
	f.cpu->gpr[5] = MSR_EE;
	f.cpu->gpr[3] = 0xffffffffu;
	f.cpu->cr = 0;
	fx_run(&f, p, 3);
	CHECK_EQ(f.cpu->pc, VEC_DEC + 4);
	CHECK_EQ(f.cpu->spr[SPR_SRR0], FX_CODE + 8);
	CHECK(!(f.cpu->cr & 1));
	sys_fini(&f);
}

TEST(sys_mtmsrd_l0_l1)
{
	struct fx f;
	uint32_t p[] = { MTMSRD(3, 0), MFMSR(4), MTMSRD(5, 1), MFMSR(6), MTMSR(7, 0), MFMSR(8) };

	sys_init(&f);
	/* L=0: HV cannot be set, ME cannot be cleared */
	f.cpu->gpr[3] = MSR_SF | MSR_HV | MSR_RI | MSR_FP;
	/* L=1: only EE and RI move */
	f.cpu->gpr[5] = MSR_EE | MSR_LE | MSR_IR;
	/* mtmsr: only the low word (SF stays) */
	f.cpu->gpr[7] = MSR_ME | MSR_RI;
	fx_run(&f, p, 6);
	CHECK(fx_ran_to_end(&f, 6));
	CHECK_EQ(f.cpu->gpr[4], MSR_SF | MSR_ME | MSR_RI | MSR_FP);
	CHECK_EQ(f.cpu->gpr[6], MSR_SF | MSR_ME | MSR_EE | MSR_FP);
	CHECK_EQ(f.cpu->gpr[8], MSR_SF | MSR_ME | MSR_RI);
	CHECK_EQ(f.cpu->msr, MSR_SF | MSR_ME | MSR_RI);
	sys_fini(&f);
}

TEST(sys_mtmsrd_ee_ends_block)
{
	struct fx f;
	uint32_t p[] = { MTMSRD(3, 1), CRSET31 };

	sys_init(&f);
	f.cpu->gpr[3] = MSR_EE;
	f.cpu->cr = 0;
	f.cpu->pending = PEND_EXT;
	fx_run(&f, p, 2);
	CHECK_EQ(f.cpu->pc, VEC_EXT + 4);
	CHECK_EQ(f.cpu->spr[SPR_SRR0], FX_CODE + 4);
	CHECK(!(f.cpu->cr & 1));
	sys_fini(&f);
}

TEST(sys_mtmsrd_pr_forces_ee_ir_dr)
{
	struct fx f;
	uint32_t p[] = { MTMSRD(3, 0), SC0 };

	sys_init(&f);
	f.cpu->gpr[3] = MSR_SF | MSR_PR;
	fx_run(&f, p, 2);
	/* now in problem state: sc 0 is a system call interrupt */
	CHECK_EQ(f.cpu->pc, VEC_SC + 4);
	CHECK_EQ(f.cpu->spr[SPR_SRR0], FX_CODE + 8);
	CHECK_EQ(f.cpu->spr[SPR_SRR1] & (MSR_PR | MSR_EE | MSR_IR | MSR_DR | MSR_ME | MSR_SF),
		 MSR_PR | MSR_EE | MSR_IR | MSR_DR | MSR_ME | MSR_SF);
	sys_fini(&f);
}

TEST(sys_rfid_to_problem_state_and_back)
{
	struct fx f;
	uint32_t p[] = { RFID };

	sys_init(&f);
	/* user code at FX_CODE + 0x100: sc 0 */
	fx_poke32(&f, FX_CODE + 0x100, SC0);
	f.cpu->spr[SPR_SRR0] = FX_CODE + 0x100 + 3; /* low bits ignored */
	/* HV, and the interrupt reason bits, must not reach the MSR */
	f.cpu->spr[SPR_SRR1] = MSR_SF | MSR_HV | MSR_PR | MSR_RI | SRR1_PROGPRIV | (1ull << 30);
	fx_run(&f, p, 1);
	CHECK_EQ(f.cpu->stop, STOP_HCALL);
	CHECK_EQ(f.cpu->pc, VEC_SC + 4);
	CHECK_EQ(f.cpu->spr[SPR_SRR0], FX_CODE + 0x104);
	CHECK_EQ(f.cpu->spr[SPR_SRR1],
		 MSR_SF | MSR_ME | MSR_PR | MSR_EE | MSR_IR | MSR_DR | MSR_RI);
	CHECK_EQ(f.cpu->spr[SPR_CFAR], FX_CODE);
	CHECK(!f.cpu->pr);
	CHECK_EQ(f.cpu->msr, MSR_SF | MSR_ME);
	sys_fini(&f);
}

TEST(sys_rfid_to_32bit_mode)
{
	struct fx f;
	uint32_t p[] = { RFID };

	sys_init(&f);
	fx_poke32(&f, FX_CODE + 0x100, 0x44000022u); /* sc 1 */
	f.cpu->spr[SPR_SRR0] = 0xffffffff00000000ull | (FX_CODE + 0x100);
	f.cpu->spr[SPR_SRR1] = MSR_ME;
	fx_run(&f, p, 1);
	CHECK_EQ(f.cpu->stop, STOP_HCALL);
	CHECK_EQ(f.cpu->pc, FX_CODE + 0x104);
	CHECK(!(f.cpu->msr & MSR_SF));
	sys_fini(&f);
}

TEST(sys_privileged_in_problem_state)
{
	static const uint32_t insns[] = {
		MFMSR(3),
		MTMSRD(3, 0),
		MTMSRD(3, 1),
		MTMSR(3, 0),
		RFID,
		0x7c000224u /* tlbiel */,
		0x7c000364u /* slbie */,
		0x7c0003e4u /* slbia */,
		0x7c000324u /* slbmte */,
		0x7c602726u /* slbmfee */,
		0x7c0003acu /* dcbi */,
		0x7c00191cu /* msgsndp */,
		0x7c00195cu /* msgclrp */,
	};
	struct fx f;

	sys_init(&f);
	for (unsigned i = 0; i < sizeof(insns) / sizeof(insns[0]); i++) {
		if (run1(&f, insns[i], true) != O_PRIV) {
			printf("  insn %08x in problem state\n", insns[i]);
			CHECK(0);
		}
		/* in supervisor state the storage-control ones are fine */
		if (i >= 5 && run1(&f, insns[i], false) != O_OK) {
			printf("  insn %08x in supervisor state\n", insns[i]);
			CHECK(0);
		}
	}
	sys_fini(&f);
}

TEST(sys_hypervisor_only_and_illegal)
{
	static const uint32_t hv[] = {
		0x4c000224u /* hrfid */,   0x4c000364u /* nap */,      0x4c000324u /* doze */,
		0x4c0003a4u /* sleep */,   0x4c0003e4u /* rvwinkle */, 0x7c000264u /* tlbie */,
		0x7c00046cu /* tlbsync */, 0x7c00019cu /* msgsnd */,   0x7c0001dcu /* msgclr */,
	};
	struct fx f;

	sys_init(&f);
	for (unsigned i = 0; i < sizeof(hv) / sizeof(hv[0]); i++)
		if (run1(&f, hv[i], false) != O_PRIV || run1(&f, hv[i], true) != O_PRIV) {
			printf("  insn %08x\n", hv[i]);
			CHECK(0);
		}
	/* wait is ISA 3.0 on Book III-S */
	CHECK_EQ(run1(&f, 0x7c00007cu, false), O_ILL);
	sys_fini(&f);
}

TEST(sys_sync_isync_mftb)
{
	struct fx f;
	uint32_t p[] = { 0x7c0004acu /* sync */,    0x7c2004acu /* lwsync */,
			 0x7c4004acu /* ptesync */, 0x7c0006acu /* eieio */,
			 0x7c6c42a6u /* mftb r3 */, 0x4c00012cu /* isync */,
			 enc_mfspr(4, SPR_TBL_R),   0x7cad42e6u /* mftbu r5 */ };

	sys_init(&f);
	cpu_set_tb(f.cpu, 0x100000000ull);
	fx_run(&f, p, 8);
	CHECK(fx_ran_to_end(&f, 8));
	CHECK(f.cpu->gpr[3] >= 0x100000000ull);
	CHECK(f.cpu->gpr[4] >= f.cpu->gpr[3]);
	CHECK(f.cpu->gpr[4] - f.cpu->gpr[3] < 512000000ull);
	CHECK_EQ(f.cpu->gpr[5], 1);
	/* mftb works in problem state */
	CHECK_EQ(run1(&f, 0x7c6c42e6u, true), O_OK);
	sys_fini(&f);
}
