/* SPDX-License-Identifier: MIT */
/* The hash MMU: SLB instructions, HPT search, protection, faults, R/C, TLB */
#include "mmu_fixture.h"
#include "harness.h"

#define XF(xo, rt, ra, rb, rc) \
	(0x7c000000u | ((rt) << 21) | ((ra) << 16) | ((rb) << 11) | ((xo) << 1) | (rc))
#define LD(rt, ra)	(0xe8000000u | ((rt) << 21) | ((ra) << 16))
#define STD(rs, ra)	(0xf8000000u | ((rs) << 21) | ((ra) << 16))
#define LWARX(rt, rb)	XF(20, rt, 0, rb, 0)
#define SLBMTE(rs, rb)	XF(402, rs, 0, rb, 0)
#define SLBIE(rb)	XF(434, 0, 0, rb, 0)
#define SLBIA		XF(498, 0, 0, 0, 0)
#define SLBMFEE(rt, rb) XF(915, rt, 0, rb, 0)
#define SLBMFEV(rt, rb) XF(851, rt, 0, rb, 0)
#define SLBFEE(rt, rb)	XF(979, rt, 0, rb, 1)
#define TLBIEL(rb)	XF(274, 0, 0, rb, 0)
#define MTMSRD(rs)	XF(178, rs, 0, 0, 0)
#define MTSPR(spr, rs)	(0x7c0003a6u | ((rs) << 21) | (((spr)&31) << 16) | (((spr) >> 5) << 11))

/* MSR of the data tests: code fetched real, data translated */
#define MSR_D (MSR_SF | MSR_ME | MSR_DR)

/* Test segments, their VSIDs and the real pages behind them */
#define SEG1  0x10000000ull
#define VSID1 0x2468aceull
#define PA1   0x20000ull

struct mx {
	struct fx f;
	struct hpt *h;
	struct ppc_cpu *c;
};

static void mx_init(struct mx *m)
{
	fx_init(&m->f, false);
	m->h = mx_attach(&m->f);
	m->c = m->f.cpu;
}

static void mx_fini(struct mx *m)
{
	m->c->hpt = NULL;
	mx_hpt_free(m->h);
	fx_fini(&m->f);
}

/* Run the snippet with this MSR (SRR0/1, DAR, DSISR cleared first) */
static void mrun(struct mx *m, uint64_t msr, const uint32_t *insns, unsigned n)
{
	m->c->spr[SPR_SRR0] = m->c->spr[SPR_SRR1] = 0;
	m->c->spr[SPR_DAR] = m->c->spr[SPR_DSISR] = 0;
	cpu_set_msr(m->c, msr);
	fx_run(&m->f, insns, n);
}

/* Stopped at the sc 1 of interrupt vector vec, raised by insn k */
static bool took(struct mx *m, uint64_t vec, unsigned k)
{
	return m->c->stop == STOP_HCALL && m->c->pc == vec + 4 &&
	       m->c->spr[SPR_SRR0] == FX_CODE + 4 * k;
}

/* SRR1 interrupt reason bits 33:36 and 42:47 */
static uint64_t srr1_reason(struct mx *m)
{
	return m->c->spr[SPR_SRR1] & 0x783f0000ull;
}

/* Load 8 bytes at ea with DR=1; returns r3 (or ~0 if it faulted) */
static uint64_t load_at(struct mx *m, uint64_t ea)
{
	static const uint32_t code[] = { LD(3, 4) };

	m->c->gpr[3] = ~0ull;
	m->c->gpr[4] = ea;
	mrun(m, MSR_D, code, 1);
	return fx_ran_to_end(&m->f, 1) ? m->c->gpr[3] : ~0ull;
}

static uint64_t hpte_r(struct mx *m, int64_t ix)
{
	return m->h->base[2 * ix + 1];
}

/* ---- SLB instructions ------------------------------------------------ */

TEST(mmu_slb_move_to_and_from)
{
	struct mx m;
	uint64_t vs = (VSID1 << 12) | SLB_VSID_KP | SLB_VSID_N | SLB_VSID_C | SLB_LLP_64K;
	const uint32_t code[] = {
		SLBMTE(5, 6), SLBMFEE(7, 8), SLBMFEV(9, 8), SLBFEE(10, 11), SLBFEE(12, 13),
	};

	mx_init(&m);
	m.c->gpr[5] = vs | 0xf;			      /* reserved low bits dropped */
	m.c->gpr[6] = 0x30000000ull | SLB_ESID_V | 7; /* index 7 */
	m.c->gpr[8] = 7;
	m.c->gpr[11] = 0x30001234ull;
	m.c->gpr[13] = 0x40000000ull;
	m.c->gpr[12] = 55;
	mrun(&m, MSR_SF | MSR_ME, code, 5);
	CHECK(fx_ran_to_end(&m.f, 5));
	CHECK_EQ(m.c->gpr[7], 0x30000000ull | SLB_ESID_V);
	CHECK_EQ(m.c->gpr[9], vs);
	CHECK_EQ(m.c->gpr[10], vs); /* slbfee. found */
	CHECK_EQ(m.c->gpr[12], 0);  /* slbfee. not found: 0 */
	CHECK_EQ(cr_get_field(m.c, 0), 0);
	CHECK_EQ(slb_lookup(m.c, 0x3fffffffull), 7);
	CHECK_EQ(slb_lookup(m.c, 0x40000000ull), -1);
	mx_fini(&m);
}

TEST(mmu_slbfee_cr0_eq_and_so)
{
	struct mx m;
	const uint32_t code[] = { SLBFEE(10, 11) };

	mx_init(&m);
	mx_slb(&m.f, 3, SEG1, false, VSID1, 0);
	m.c->gpr[11] = SEG1 + 0x123;
	m.c->xer_so = 1;
	mrun(&m, MSR_SF | MSR_ME, code, 1);
	CHECK_EQ(cr_get_field(m.c, 0), 3); /* EQ || SO */
	CHECK_EQ(m.c->gpr[10], VSID1 << 12);
	mx_fini(&m);
}

TEST(mmu_slbie_and_slbia)
{
	struct mx m;
	const uint32_t code[] = { SLBIE(6) };
	const uint32_t code_ia[] = { SLBIA };

	mx_init(&m);
	mx_slb(&m.f, 0, 0x00000000ull, false, 1, 0);
	mx_slb(&m.f, 1, SEG1, false, 2, 0);
	mx_slb(&m.f, 2, 0x20000000ull, false, 3, 0);
	mx_slb(&m.f, 3, 0x10000000000ull, true, 4, 0); /* 1 TB */
	/* slbie with the wrong B leaves the 256 MB entry alone */
	m.c->gpr[6] = SEG1 | (1ull << SLBIE_B_SHIFT);
	mrun(&m, MSR_SF | MSR_ME, code, 1);
	CHECK_EQ(slb_lookup(m.c, SEG1), 1);
	m.c->gpr[6] = SEG1 + 0x5000;
	mrun(&m, MSR_SF | MSR_ME, code, 1);
	CHECK_EQ(slb_lookup(m.c, SEG1), -1);
	CHECK_EQ(m.c->slb[1].esid & SLB_ESID_V, 0);
	CHECK_EQ(slb_lookup(m.c, 0x20000000ull), 2);
	/* 1 TB entry: found for any EA in the terabyte, slbie with B=1 */
	CHECK_EQ(slb_lookup(m.c, 0x1ff12345678ull), 3);
	m.c->gpr[6] = 0x1abc0000000ull | (1ull << SLBIE_B_SHIFT);
	mrun(&m, MSR_SF | MSR_ME, code, 1);
	CHECK_EQ(slb_lookup(m.c, 0x1ff12345678ull), -1);
	/* slbia: everything but entry 0 */
	mrun(&m, MSR_SF | MSR_ME, code_ia, 1);
	CHECK_EQ(slb_lookup(m.c, 0x20000000ull), -1);
	CHECK_EQ(slb_lookup(m.c, 0x123ull), 0);
	mx_fini(&m);
}

TEST(mmu_slb_overlap_first_wins_and_bad_index)
{
	struct mx m;
	const uint32_t code[] = { SLBMTE(5, 6) };

	mx_init(&m);
	mx_slb(&m.f, 9, SEG1, false, 9, 0);
	CHECK_EQ(slb_lookup(m.c, SEG1), 9);
	mx_slb(&m.f, 4, SEG1, false, 4, 0);
	CHECK_EQ(slb_lookup(m.c, SEG1), 4); /* cache was cleared */
	/* index 32 and above: ignored */
	m.c->gpr[5] = 0x777000;
	m.c->gpr[6] = 0x50000000ull | SLB_ESID_V | 32;
	mrun(&m, MSR_SF | MSR_ME, code, 1);
	CHECK(fx_ran_to_end(&m.f, 1));
	CHECK_EQ(slb_lookup(m.c, 0x50000000ull), -1);
	mx_fini(&m);
}

TEST(mmu_slb_insns_privileged)
{
	struct mx m;
	const uint32_t insns[] = {
		SLBMTE(5, 6),  SLBIE(6),     SLBIA,	SLBMFEE(7, 8),
		SLBMFEV(7, 8), SLBFEE(7, 8), TLBIEL(6),
	};

	mx_init(&m);
	fx_map_identity(&m.f);
	for (unsigned i = 0; i < sizeof(insns) / sizeof(insns[0]); i++) {
		mrun(&m, MSR_SF | MSR_ME | MSR_PR, &insns[i], 1);
		CHECK(took(&m, VEC_PROGRAM, 0));
		CHECK(m.c->spr[SPR_SRR1] & SRR1_PROGPRIV);
		/* the identity entry 0 survived */
		CHECK_EQ(slb_lookup(m.c, 0), 0);
	}
	mx_fini(&m);
}

/* ---- Segment faults -------------------------------------------------- */

TEST(mmu_dseg_and_iseg)
{
	struct mx m;
	const uint32_t code[] = { 0x60000000u, STD(3, 4) };

	mx_init(&m);
	m.c->gpr[4] = SEG1 + 0x10;
	mrun(&m, MSR_D, code, 2);
	CHECK(took(&m, VEC_DSEG, 1));
	CHECK_EQ(m.c->spr[SPR_DAR], SEG1 + 0x10);
	CHECK_EQ(srr1_reason(&m), 0);
	/* instruction fetch with IR=1 and no SLB entry */
	mrun(&m, MSR_SF | MSR_ME | MSR_IR, code, 2);
	CHECK(took(&m, VEC_ISEG, 0));
	CHECK_EQ(srr1_reason(&m), 0);
	/* the interrupt turned translation off */
	CHECK_EQ(m.c->msr & (MSR_IR | MSR_DR), 0);
	mx_fini(&m);
}

/* ---- Page table search and page sizes --------------------------------- */

TEST(mmu_4k_page_primary_and_secondary)
{
	struct mx m;
	int64_t ix;

	mx_init(&m);
	mx_slb(&m.f, 1, SEG1, false, VSID1, 0);
	fx_poke64(&m.f, PA1 + 0x18, 0x1122334455667788ull);
	fx_poke64(&m.f, PA1 + 0x1018, 0x99aabbccddeeff00ull);
	ix = mx_insert(m.h, VSID1, false, SEG1 + 0x5000, 12, PA1 | 2, false, 3);
	CHECK(ix >= 0);
	CHECK_EQ(load_at(&m, SEG1 + 0x5018), 0x1122334455667788ull);
	/* secondary group, H=1 */
	mx_insert(m.h, VSID1, false, SEG1 + 0x6000, 12, (PA1 + 0x1000) | 2, true, 5);
	CHECK_EQ(load_at(&m, SEG1 + 0x6018), 0x99aabbccddeeff00ull);
	/* an entry in the secondary group without H does not match */
	mx_insert(m.h, VSID1, false, SEG1 + 0x7000, 12, PA1 | 2, true, 6);
	m.h->base[2 *
		  (ix = ((~mx_hash(VSID1, false, SEG1 + 0x7000, 12) & m.h->hash_mask) * 8 + 6))] &=
		~HPTE_V_SECONDARY;
	CHECK_EQ(load_at(&m, SEG1 + 0x7018), ~0ull);
	CHECK(took(&m, VEC_DSI, 0));
	CHECK_EQ(m.c->spr[SPR_DSISR], DSISR_NOPTE);
	/* a full primary group of other pages, the page in the secondary */
	for (int i = 0; i < 8; i++)
		mx_insert(m.h, VSID1 + 1, false, SEG1 + 0x8000, 12, 2, false, i);
	CHECK_EQ(load_at(&m, SEG1 + 0x8018), ~0ull);
	m.h->base[2 * (mx_hash(VSID1, false, SEG1 + 0x8000, 12) & m.h->hash_mask) * 8 + 0] =
		0; /* clear to be safe */
	mx_insert(m.h, VSID1, false, SEG1 + 0x8000, 12, PA1 | 2, true, -1);
	CHECK_EQ(load_at(&m, SEG1 + 0x8018), 0x1122334455667788ull);
	mx_fini(&m);
}

TEST(mmu_64k_and_16m_pages)
{
	struct mx m;

	mx_init(&m);
	/* 64 KB segment, 64 KB page at real 0x30000 */
	mx_slb(&m.f, 1, SEG1, false, VSID1, SLB_LLP_64K);
	mx_insert(m.h, VSID1, false, SEG1 + 0x20000, 16, 0x30000 | 2, false, -1);
	fx_poke64(&m.f, 0x3fff8, 0xabcdull);
	fx_poke64(&m.f, 0x30000, 0x1234ull);
	CHECK_EQ(load_at(&m, SEG1 + 0x2fff8), 0xabcdull);
	CHECK_EQ(load_at(&m, SEG1 + 0x20000), 0x1234ull);
	/* next 64 KB page not mapped */
	CHECK_EQ(load_at(&m, SEG1 + 0x30000), ~0ull);
	CHECK(took(&m, VEC_DSI, 0));
	/* a 4 KB HPTE (L=0) does not match in a 64 KB segment */
	mx_insert(m.h, VSID1, false, SEG1 + 0x40000, 16, 0x30000 | 2, false, -1);
	m.h->base[2 * (mx_hash(VSID1, false, SEG1 + 0x40000, 16) & m.h->hash_mask) * 8] &=
		~HPTE_V_LARGE;
	CHECK_EQ(load_at(&m, SEG1 + 0x40000), ~0ull);

	/* 16 MB segment (L=1, LP=00), 16 MB page at real 0 */
	mx_slb(&m.f, 2, 0x20000000ull, false, VSID1 + 7, SLB_LLP_16M);
	mx_insert(m.h, VSID1 + 7, false, 0x21000000ull, 24, 0 | 2, false, -1);
	fx_poke64(&m.f, 0x9ff8, 0x5151ull);
	CHECK_EQ(load_at(&m, 0x21009ff8ull), 0x5151ull);
	CHECK_EQ(load_at(&m, 0x20009ff8ull), ~0ull); /* other 16 MB page */
	/* the AVA bit inside the 16 MB page offset is ignored */
	mx_insert(m.h, VSID1 + 7, false, 0x22000000ull, 24, 0 | 2, false, -1);
	{
		uint64_t g = mx_hash(VSID1 + 7, false, 0x22000000ull, 24) & m.h->hash_mask;

		for (int i = 0; i < 8; i++)
			if (m.h->base[2 * (g * 8 + i)] & HPTE_V_VALID)
				m.h->base[2 * (g * 8 + i)] |= 1ull << 7;
	}
	CHECK_EQ(load_at(&m, 0x22009ff8ull), 0x5151ull);
	/* EA bit 40 (AVA's last bit, in the page offset) set: same page;
	 * real 0x800008 is beyond the 1 MB of RAM, so an MMIO access */
	load_at(&m, 0x21800008ull);
	CHECK_EQ(m.c->stop, STOP_MMIO);
	CHECK_EQ(m.c->mmio.pa, 0x800008ull);
	m.c->mmio_log_count = 0;
	/* a 64 KB encoding does not match in the 16 MB segment */
	mx_insert(m.h, VSID1 + 7, false, 0x23000000ull, 24, 0x1000 | 2, false, -1);
	CHECK_EQ(load_at(&m, 0x23009ff8ull), ~0ull);
	/* unsupported segment encoding (L=1, LP=10): nothing matches */
	mx_slb(&m.f, 3, 0x30000000ull, false, VSID1 + 9, SLB_VSID_L | 0x20);
	mx_insert(m.h, VSID1 + 9, false, 0x30000000ull, 12, 0 | 2, false, -1);
	CHECK_EQ(load_at(&m, 0x30000000ull), ~0ull);
	CHECK(took(&m, VEC_DSI, 0));
	mx_fini(&m);
}

TEST(mmu_1t_segment)
{
	struct mx m;
	uint64_t ea = 0x0000123456789000ull; /* 1 TB segment 0x12 */

	mx_init(&m);
	mx_slb(&m.f, 5, ea, true, 0x3456789ull, 0);
	mx_insert(m.h, 0x3456789ull, true, ea, 12, PA1 | 2, false, -1);
	fx_poke64(&m.f, PA1 + 0x40, 0x7777ull);
	CHECK_EQ(load_at(&m, ea + 0x40), 0x7777ull);
	/* same low 28 bits in another 256 MB of the terabyte: other page */
	CHECK_EQ(load_at(&m, ea + 0x40 - 0x10000000ull), ~0ull);
	CHECK(took(&m, VEC_DSI, 0));
	/* a 256 MB HPTE (B=0) does not match */
	mx_insert(m.h, 0x3456789ull, true, ea + 0x1000, 12, PA1 | 2, false, -1);
	m.h->base[2 * (mx_hash(0x3456789ull, true, ea + 0x1000, 12) & m.h->hash_mask) * 8] &=
		~(3ull << 62);
	CHECK_EQ(load_at(&m, ea + 0x1040), ~0ull);
	/* 1 TB segment with 64 KB pages */
	mx_slb(&m.f, 6, 0x0000200000000000ull, true, 0x11ull, SLB_LLP_64K);
	mx_insert(m.h, 0x11ull, true, 0x0000200abcd50000ull, 16, 0x40000 | 2, false, -1);
	fx_poke64(&m.f, 0x4f000, 0x6464ull);
	CHECK_EQ(load_at(&m, 0x0000200abcd5f000ull), 0x6464ull);
	mx_fini(&m);
}

/* ---- Protection -------------------------------------------------------- */

TEST(mmu_pp_key_table)
{
	/* ISA 2.07 5.7.9.1: rows PP 0..7, columns: key 0 R W, key 1 R W */
	static const uint8_t tab[8][4] = {
		{ 1, 1, 0, 0 }, { 1, 1, 1, 0 }, { 1, 1, 1, 1 }, { 1, 0, 1, 0 },
		{ 0, 0, 0, 0 }, { 0, 0, 0, 0 }, { 1, 0, 0, 0 }, { 0, 0, 0, 0 },
	};
	struct mx m;
	struct hash_xlate x;

	mx_init(&m);
	for (unsigned pp = 0; pp < 8; pp++) {
		uint64_t r = PA1 | (pp & 3) | ((uint64_t)(pp >> 2) << 63);

		memset(m.h->base, 0, (size_t)m.h->nptes * 16);
		mx_insert(m.h, VSID1, false, SEG1, 12, r, false, -1);
		for (unsigned pr = 0; pr < 2; pr++) {
			for (unsigned k = 0; k < 2; k++) {
				/* key from Ks (PR=0) or Kp (PR=1) */
				uint64_t kf = k ? (pr ? SLB_VSID_KP : SLB_VSID_KS)
						: (pr ? SLB_VSID_KS : SLB_VSID_KP);

				mx_slb(&m.f, 1, SEG1, false, VSID1, kf);
				m.c->pr = pr;
				CHECK_EQ(!hash_translate(m.c, SEG1, HACC_READ, 0, &x),
					 tab[pp][2 * k]);
				CHECK_EQ(!hash_translate(m.c, SEG1, HACC_WRITE, 0, &x),
					 tab[pp][2 * k + 1]);
				if (!tab[pp][2 * k + 1])
					CHECK_EQ(x.bits, DSISR_PROT | DSISR_STORE);
				/* fetch needs read authority */
				CHECK_EQ(!hash_translate(m.c, SEG1, HACC_FETCH, 0, &x),
					 tab[pp][2 * k]);
				if (!tab[pp][2 * k])
					CHECK_EQ(x.bits, SRR1_ISI_PROT);
			}
		}
	}
	m.c->pr = false;
	mx_fini(&m);
}

TEST(mmu_dsi_protection_bits_delivered)
{
	struct mx m;
	const uint32_t st[] = { STD(3, 4) };
	const uint32_t ld[] = { LD(3, 4) };

	mx_init(&m);
	mx_slb(&m.f, 1, SEG1, false, VSID1, SLB_VSID_KS);
	mx_insert(m.h, VSID1, false, SEG1, 12, PA1 | 3, false, -1); /* RO */
	m.c->gpr[4] = SEG1 + 0x88;
	mrun(&m, MSR_D, st, 1);
	CHECK(took(&m, VEC_DSI, 0));
	CHECK_EQ(m.c->spr[SPR_DAR], SEG1 + 0x88);
	CHECK_EQ(m.c->spr[SPR_DSISR], DSISR_PROT | DSISR_STORE);
	CHECK_EQ(srr1_reason(&m), 0);
	mrun(&m, MSR_D, ld, 1);
	CHECK(fx_ran_to_end(&m.f, 1));
	/* no translation, store */
	m.c->gpr[4] = SEG1 + 0x3000;
	mrun(&m, MSR_D, st, 1);
	CHECK(took(&m, VEC_DSI, 0));
	CHECK_EQ(m.c->spr[SPR_DSISR], DSISR_NOPTE | DSISR_STORE);
	mx_fini(&m);
}

TEST(mmu_isi_noexec_guarded_pp)
{
	struct mx m;
	const uint32_t code[] = { 0x60000000u };
	uint64_t g;
	int64_t ix;

	mx_init(&m);
	/* segment 0 maps the code page 0x1000 1:1 */
	mx_slb(&m.f, 0, 0, false, MX_VSID0, 0);
	ix = mx_insert(m.h, MX_VSID0, false, FX_CODE, 12, FX_CODE | 2, false, -1);
	mrun(&m, MSR_SF | MSR_ME | MSR_IR, code, 1);
	CHECK(fx_ran_to_end(&m.f, 1));
	CHECK(hpte_r(&m, ix) & HPTE_R_R);
	CHECK(!(hpte_r(&m, ix) & HPTE_R_C));
	/* HPTE N */
	m.h->base[2 * ix + 1] |= HPTE_R_N;
	mrun(&m, MSR_SF | MSR_ME | MSR_IR, code, 1);
	CHECK(took(&m, VEC_ISI, 0));
	CHECK_EQ(srr1_reason(&m), SRR1_ISI_NOEXEC);
	/* HPTE G */
	m.h->base[2 * ix + 1] ^= HPTE_R_N | HPTE_R_G;
	mrun(&m, MSR_SF | MSR_ME | MSR_IR, code, 1);
	CHECK(took(&m, VEC_ISI, 0));
	CHECK_EQ(srr1_reason(&m), SRR1_ISI_NOEXEC);
	/* PP no access for key 1 */
	m.h->base[2 * ix + 1] = FX_CODE | 0;
	mx_slb(&m.f, 0, 0, false, MX_VSID0, SLB_VSID_KS);
	mrun(&m, MSR_SF | MSR_ME | MSR_IR, code, 1);
	CHECK(took(&m, VEC_ISI, 0));
	CHECK_EQ(srr1_reason(&m), SRR1_ISI_PROT);
	/* SLB N */
	m.h->base[2 * ix + 1] = FX_CODE | 2;
	mx_slb(&m.f, 0, 0, false, MX_VSID0, SLB_VSID_N);
	mrun(&m, MSR_SF | MSR_ME | MSR_IR, code, 1);
	CHECK(took(&m, VEC_ISI, 0));
	CHECK_EQ(srr1_reason(&m), SRR1_ISI_NOEXEC);
	/* no translation */
	mx_slb(&m.f, 0, 0, false, MX_VSID0, 0);
	m.h->base[2 * ix] = 0;
	mrun(&m, MSR_SF | MSR_ME | MSR_IR, code, 1);
	CHECK(took(&m, VEC_ISI, 0));
	CHECK_EQ(srr1_reason(&m), SRR1_ISI_NOPTE);
	/* G does not matter for data */
	g = (uint64_t)mx_insert(m.h, VSID1, false, SEG1, 12, PA1 | 2 | HPTE_R_G | HPTE_R_N, false,
				-1);
	mx_slb(&m.f, 1, SEG1, false, VSID1, 0);
	fx_poke64(&m.f, PA1, 0x4242);
	CHECK_EQ(load_at(&m, SEG1), 0x4242);
	(void)g;
	mx_fini(&m);
}

TEST(mmu_fetch_translated_to_other_page)
{
	struct mx m;
	/* EA 0x1000 runs the code that sits at real 0x40000 */
	const uint32_t code[] = { 0x38600007u /* li r3,7 */ };

	mx_init(&m);
	mx_slb(&m.f, 0, 0, false, MX_VSID0, 0);
	mx_insert(m.h, MX_VSID0, false, FX_CODE, 12, 0x40000 | 2, false, -1);
	fx_poke32(&m.f, 0x40000, 0x38600009u); /* li r3,9 */
	fx_poke32(&m.f, 0x40004, 0x44000022u); /* sc 1 */
	mrun(&m, MSR_SF | MSR_ME | MSR_IR, code, 1);
	CHECK_EQ(m.c->stop, STOP_HCALL);
	CHECK_EQ(m.c->pc, FX_CODE + 8);
	CHECK_EQ(m.c->gpr[3], 9);
	mx_fini(&m);
}

/* ---- Storage keys ------------------------------------------------------ */

TEST(mmu_keys_amr_iamr)
{
	struct mx m;
	const uint32_t st[] = { STD(3, 4) };
	const uint32_t ld[] = { LD(3, 4) };
	const uint32_t nop[] = { 0x60000000u };
	const unsigned key = 5;
	uint64_t keybits = ((uint64_t)(key >> 3) << 60) | ((uint64_t)(key & 7) << 9);
	struct hash_xlate x;
	int64_t ix;

	mx_init(&m);
	mx_slb(&m.f, 1, SEG1, false, VSID1, 0);
	ix = mx_insert(m.h, VSID1, false, SEG1, 12, PA1 | 2 | keybits, false, -1);
	CHECK_EQ(hpte_key(hpte_r(&m, ix)), key);
	m.c->gpr[4] = SEG1;
	for (int pr = 0; pr < 2; pr++) {
		uint64_t msr = MSR_D | (pr ? MSR_PR : 0);

		if (pr)
			fx_map_identity(&m.f);
		/* store disable: AMR bit 2n */
		m.c->spr[SPR_AMR] = AMR_STORE_DIS << amr_shift(key);
		mrun(&m, msr, st, 1);
		CHECK(took(&m, VEC_DSI, 0));
		CHECK_EQ(m.c->spr[SPR_DSISR], DSISR_KEY | DSISR_STORE);
		mrun(&m, msr, ld, 1);
		CHECK(pr ? took(&m, VEC_SC, 2) : fx_ran_to_end(&m.f, 1));
		/* load disable: AMR bit 2n+1 */
		m.c->spr[SPR_AMR] = AMR_LOAD_DIS << amr_shift(key);
		mrun(&m, msr, ld, 1);
		CHECK(took(&m, VEC_DSI, 0));
		CHECK_EQ(m.c->spr[SPR_DSISR], DSISR_KEY);
		/* other keys' bits do not matter */
		m.c->spr[SPR_AMR] = ~(3ull << amr_shift(key));
		mrun(&m, msr, st, 1);
		CHECK(pr ? took(&m, VEC_SC, 2) : fx_ran_to_end(&m.f, 1));
		m.c->spr[SPR_AMR] = 0;
	}
	/* key fault and PP fault together */
	m.h->base[2 * ix + 1] = PA1 | 3 | keybits;
	m.c->spr[SPR_AMR] = AMR_STORE_DIS << amr_shift(key);
	CHECK(hash_translate(m.c, SEG1, HACC_WRITE, 0, &x));
	CHECK_EQ(x.bits, DSISR_KEY | DSISR_PROT | DSISR_STORE);
	m.c->spr[SPR_AMR] = 0;
	/* IAMR: fetch disable for the code page's key */
	mx_slb(&m.f, 0, 0, false, MX_VSID0, 0);
	memset(m.h->base, 0, (size_t)m.h->nptes * 16);
	mx_insert(m.h, MX_VSID0, false, FX_CODE, 12, FX_CODE | 2 | keybits, false, -1);
	m.c->spr[SPR_IAMR] = IAMR_FETCH_DIS << amr_shift(key);
	mrun(&m, MSR_SF | MSR_ME | MSR_IR, nop, 1);
	CHECK(took(&m, VEC_ISI, 0));
	CHECK_EQ(srr1_reason(&m), SRR1_ISI_KEY);
	/* the AMR does not govern fetch, the IAMR's bit 2n does nothing */
	m.c->spr[SPR_IAMR] = 2ull << amr_shift(key);
	m.c->spr[SPR_AMR] = ~0ull;
	mrun(&m, MSR_SF | MSR_ME | MSR_IR, nop, 1);
	CHECK(fx_ran_to_end(&m.f, 1));
	mx_fini(&m);
}

TEST(mmu_amr_write_drops_tlb)
{
	struct mx m;
	const unsigned key = 9;
	uint64_t keybits = ((uint64_t)(key >> 3) << 60) | ((uint64_t)(key & 7) << 9);
	/* load (fills the TLB), mtspr AMR, load again */
	const uint32_t code[] = { LD(3, 4), MTSPR(SPR_AMR, 5), LD(6, 4) };

	mx_init(&m);
	mx_slb(&m.f, 1, SEG1, false, VSID1, 0);
	mx_insert(m.h, VSID1, false, SEG1, 12, PA1 | 2 | keybits, false, -1);
	m.c->gpr[4] = SEG1 + 8;
	m.c->gpr[5] = AMR_LOAD_DIS << amr_shift(key);
	mrun(&m, MSR_D, code, 3);
	CHECK(took(&m, VEC_DSI, 2));
	CHECK_EQ(m.c->spr[SPR_DSISR], DSISR_KEY);
	/* a change of another key's bits keeps the entries */
	m.c->spr[SPR_AMR] = 0;
	CHECK_EQ(load_at(&m, SEG1 + 8), 0);
	cpu_set_msr(m.c, MSR_D);
	CHECK(m.c->tlb_read[((SEG1 + 8) >> 12) & (TLB_SIZE - 1)].tag == SEG1);
	cpu_spr_set(m.c, SPR_AMR, 3ull << amr_shift(key + 1));
	CHECK(m.c->tlb_read[((SEG1 + 8) >> 12) & (TLB_SIZE - 1)].tag == SEG1);
	cpu_spr_set(m.c, SPR_AMR, 1ull << amr_shift(key));
	CHECK(m.c->tlb_read[((SEG1 + 8) >> 12) & (TLB_SIZE - 1)].tag != SEG1);
	mx_fini(&m);
}

/* ---- R and C ----------------------------------------------------------- */

TEST(mmu_reference_and_change_bits)
{
	struct mx m;
	const uint32_t ld2[] = { LD(3, 4), LD(3, 4) };
	const uint32_t ldst[] = { LD(3, 4), STD(3, 4), STD(3, 4) };
	int64_t ix;

	mx_init(&m);
	mx_slb(&m.f, 1, SEG1, false, VSID1, 0);
	ix = mx_insert(m.h, VSID1, false, SEG1, 12, PA1 | 2, false, -1);
	m.c->gpr[4] = SEG1 + 0x10;
	mrun(&m, MSR_D, ld2, 2);
	CHECK(fx_ran_to_end(&m.f, 2));
	CHECK_EQ(hpte_r(&m, ix) & (HPTE_R_R | HPTE_R_C), HPTE_R_R);
	/* the read entry is filled; no write entry for a clean page */
	CHECK_EQ(m.c->tlb_read[(SEG1 >> 12) & (TLB_SIZE - 1)].tag, SEG1);
	CHECK(m.c->tlb_write[(SEG1 >> 12) & (TLB_SIZE - 1)].tag != SEG1);
	/* the guest (H_CLEAR_REF) clears R; the hcall flushes the TLBs */
	m.h->base[2 * ix + 1] &= ~HPTE_R_R;
	cpu_tlb_flush(m.c);
	mrun(&m, MSR_D, ldst, 3);
	CHECK(fx_ran_to_end(&m.f, 3));
	CHECK_EQ(hpte_r(&m, ix) & (HPTE_R_R | HPTE_R_C), HPTE_R_R | HPTE_R_C);
	/* H_CLEAR_MOD: the next store sets C again */
	m.h->base[2 * ix + 1] &= ~HPTE_R_C;
	cpu_tlb_flush(m.c);
	mrun(&m, MSR_D, &ldst[1], 1);
	CHECK(hpte_r(&m, ix) & HPTE_R_C);
	/* a store that faults does not set C */
	m.h->base[2 * ix + 1] = PA1 | 3;
	cpu_tlb_flush(m.c);
	mrun(&m, MSR_D, &ldst[1], 1);
	CHECK(took(&m, VEC_DSI, 0));
	CHECK_EQ(hpte_r(&m, ix) & (HPTE_R_R | HPTE_R_C), 0);
	mx_fini(&m);
}

TEST(mmu_page_crossing_second_page_faults)
{
	struct mx m;
	const uint32_t st[] = { STD(3, 4) };
	int64_t ix;

	mx_init(&m);
	mx_slb(&m.f, 1, SEG1, false, VSID1, 0);
	ix = mx_insert(m.h, VSID1, false, SEG1, 12, PA1 | 2, false, -1);
	m.c->gpr[4] = SEG1 + 0xffc;
	m.c->gpr[3] = 0x0102030405060708ull;
	mrun(&m, MSR_D, st, 1);
	CHECK(took(&m, VEC_DSI, 0));
	CHECK_EQ(m.c->spr[SPR_DAR], SEG1 + 0x1000);
	CHECK_EQ(m.c->spr[SPR_DSISR], DSISR_NOPTE | DSISR_STORE);
	/* nothing stored, C and R untouched in the first page */
	CHECK_EQ(fx_peek(&m.f, PA1 + 0xffc, 4), 0);
	CHECK_EQ(hpte_r(&m, ix) & (HPTE_R_R | HPTE_R_C), 0);
	/* map the second page elsewhere: the store is split */
	mx_insert(m.h, VSID1, false, SEG1 + 0x1000, 12, 0x50000 | 2, false, -1);
	mrun(&m, MSR_D, st, 1);
	CHECK(fx_ran_to_end(&m.f, 1));
	CHECK_EQ(fx_peek(&m.f, PA1 + 0xffc, 4), 0x01020304);
	CHECK_EQ(fx_peek(&m.f, 0x50000, 4), 0x05060708);
	mx_fini(&m);
}

/* ---- Soft TLB consistency ------------------------------------------------ */

TEST(mmu_tlb_not_stale_after_slb_changes)
{
	struct mx m;
	/* load, slbie, load: the second one must take a segment fault */
	const uint32_t c1[] = { LD(3, 4), SLBIE(4), LD(6, 4) };
	/* load, slbmte (same ESID, other VSID), load: other page */
	const uint32_t c2[] = { LD(3, 4), SLBMTE(5, 7), LD(6, 4) };
	/* load, slbia, load */
	const uint32_t c3[] = { LD(3, 4), SLBIA, LD(6, 4) };
	/* load, mtmsrd DR=0, load: real address */
	const uint32_t c4[] = { LD(3, 4), MTMSRD(5), LD(6, 4) };

	mx_init(&m);
	mx_slb(&m.f, 1, SEG1, false, VSID1, 0);
	mx_insert(m.h, VSID1, false, SEG1, 12, PA1 | 2, false, -1);
	mx_insert(m.h, VSID1 + 1, false, SEG1, 12, (PA1 + 0x1000) | 2, false, -1);
	fx_poke64(&m.f, PA1, 0xaaaa);
	fx_poke64(&m.f, PA1 + 0x1000, 0xbbbb);
	fx_poke64(&m.f, SEG1 & 0xfffff, 0xcccc);
	m.c->gpr[4] = SEG1;
	mrun(&m, MSR_D, c1, 3);
	CHECK_EQ(m.c->gpr[3], 0xaaaa);
	CHECK(took(&m, VEC_DSEG, 2));

	mx_slb(&m.f, 1, SEG1, false, VSID1, 0);
	m.c->gpr[5] = (VSID1 + 1) << 12;
	m.c->gpr[7] = SEG1 | SLB_ESID_V | 1;
	mrun(&m, MSR_D, c2, 3);
	CHECK(fx_ran_to_end(&m.f, 3));
	CHECK_EQ(m.c->gpr[3], 0xaaaa);
	CHECK_EQ(m.c->gpr[6], 0xbbbb);

	mrun(&m, MSR_D, c3, 3);
	CHECK(took(&m, VEC_DSEG, 2));

	mx_slb(&m.f, 1, SEG1, false, VSID1, 0);
	m.c->gpr[4] = SEG1;
	m.c->gpr[5] = MSR_SF | MSR_ME;
	mrun(&m, MSR_D, c4, 3);
	CHECK_EQ(m.c->gpr[3], 0xaaaa);
	/* real mode: 0x10000000 is beyond the 1 MB of RAM, so MMIO */
	CHECK_EQ(m.c->stop, STOP_MMIO);
	CHECK_EQ(m.c->mmio.pa, SEG1);
	m.c->mmio_log_count = 0;
	mx_fini(&m);
}

TEST(mmu_tlb_overwritten_slb_entry_drops_old_segment)
{
	struct mx m;
	/* load via entry 1 (SEG1), overwrite entry 1 with another ESID */
	const uint32_t code[] = { LD(3, 4), SLBMTE(5, 7), LD(6, 4) };

	mx_init(&m);
	mx_slb(&m.f, 1, SEG1, false, VSID1, 0);
	mx_insert(m.h, VSID1, false, SEG1, 12, PA1 | 2, false, -1);
	m.c->gpr[4] = SEG1;
	m.c->gpr[5] = VSID1 << 12;
	m.c->gpr[7] = 0x70000000ull | SLB_ESID_V | 1;
	mrun(&m, MSR_D, code, 3);
	CHECK(took(&m, VEC_DSEG, 2));
	CHECK_EQ(m.c->spr[SPR_DAR], SEG1);
	mx_fini(&m);
}

TEST(mmu_tlb_flush_after_hpte_change)
{
	struct mx m;
	int64_t ix;

	mx_init(&m);
	mx_slb(&m.f, 1, SEG1, false, VSID1, 0);
	ix = mx_insert(m.h, VSID1, false, SEG1, 12, PA1 | 2, false, -1);
	fx_poke64(&m.f, PA1, 0x1111);
	fx_poke64(&m.f, PA1 + 0x2000, 0x2222);
	CHECK_EQ(load_at(&m, SEG1), 0x1111);
	/* H_ENTER/H_REMOVE-style change followed by the flush they do */
	m.h->base[2 * ix + 1] = (PA1 + 0x2000) | 2;
	cpu_tlb_flush(m.c);
	CHECK_EQ(load_at(&m, SEG1), 0x2222);
	m.h->base[2 * ix] = 0;
	cpu_tlb_flush(m.c);
	CHECK_EQ(load_at(&m, SEG1), ~0ull);
	CHECK(took(&m, VEC_DSI, 0));
	mx_fini(&m);
}

/* ---- MMIO, atomics and problem state ------------------------------------- */

TEST(mmu_mmio_through_translation)
{
	struct mx m;
	const uint32_t st[] = { STD(3, 4) };

	mx_init(&m);
	mx_slb(&m.f, 1, SEG1, false, VSID1, 0);
	mx_insert(m.h, VSID1, false, SEG1 + 0x4000, 12, 0x80000000ull | HPTE_R_I | HPTE_R_G | 2,
		  false, -1);
	m.c->gpr[4] = SEG1 + 0x4010;
	m.c->gpr[3] = 0x55;
	mrun(&m, MSR_D, st, 1);
	CHECK_EQ(m.c->stop, STOP_MMIO);
	CHECK_EQ(m.c->mmio.pa, 0x80000010ull);
	CHECK_EQ(m.c->mmio.len, 8);
	CHECK(m.c->mmio.is_write);
	m.c->mmio_log_count = 0;
	mx_fini(&m);
}

TEST(mmu_larx_to_caching_inhibited)
{
	struct mx m;
	const uint32_t code[] = { LWARX(3, 4) };

	mx_init(&m);
	mx_slb(&m.f, 1, SEG1, false, VSID1, 0);
	mx_insert(m.h, VSID1, false, SEG1, 12, PA1 | HPTE_R_I | 2, false, -1);
	mx_insert(m.h, VSID1, false, SEG1 + 0x1000, 12, PA1 | HPTE_R_M | 2, false, -1);
	m.c->gpr[4] = SEG1 + 4;
	mrun(&m, MSR_D, code, 1);
	CHECK(took(&m, VEC_DSI, 0));
	CHECK_EQ(m.c->spr[SPR_DSISR], DSISR_ATOMIC_CI);
	CHECK_EQ(m.c->spr[SPR_DAR], SEG1 + 4);
	m.c->gpr[4] = SEG1 + 0x1004;
	mrun(&m, MSR_D, code, 1);
	CHECK(fx_ran_to_end(&m.f, 1));
	mx_fini(&m);
}

TEST(mmu_problem_state_translates)
{
	struct mx m;
	const uint32_t code[] = { LD(3, 4), STD(3, 5) };

	mx_init(&m);
	/* cpu_set_msr with PR forces IR and DR */
	cpu_set_msr(m.c, MSR_SF | MSR_ME | MSR_PR);
	CHECK_EQ(m.c->msr & (MSR_IR | MSR_DR | MSR_EE), MSR_IR | MSR_DR | MSR_EE);
	/* no SLB: the first fetch is a segment fault */
	mrun(&m, MSR_SF | MSR_ME | MSR_PR, code, 2);
	CHECK(took(&m, VEC_ISEG, 0));
	CHECK(m.c->spr[SPR_SRR1] & MSR_PR);
	fx_map_identity(&m.f);
	/* a Kp=1 page with PP=01 is read-only in problem state */
	mx_slb(&m.f, 1, SEG1, false, VSID1, SLB_VSID_KP);
	mx_insert(m.h, VSID1, false, SEG1, 12, PA1 | 1, false, -1);
	fx_poke64(&m.f, PA1 + 0x20, 0x3333);
	m.c->gpr[4] = SEG1 + 0x20;
	m.c->gpr[5] = SEG1 + 0x28;
	mrun(&m, MSR_SF | MSR_ME | MSR_PR, code, 2);
	CHECK(took(&m, VEC_DSI, 1));
	CHECK_EQ(m.c->gpr[3], 0x3333);
	CHECK_EQ(m.c->spr[SPR_DSISR], DSISR_PROT | DSISR_STORE);
	/* the same in supervisor state (Ks=0): writable */
	mrun(&m, MSR_D, code, 2);
	CHECK(fx_ran_to_end(&m.f, 2));
	CHECK_EQ(fx_peek(&m.f, PA1 + 0x28, 8), 0x3333);
	mx_fini(&m);
}

TEST(mmu_no_hpt_is_no_translation)
{
	struct mx m;

	mx_init(&m);
	mx_slb(&m.f, 1, SEG1, false, VSID1, 0);
	m.c->hpt = NULL;
	CHECK_EQ(load_at(&m, SEG1), ~0ull);
	CHECK(took(&m, VEC_DSI, 0));
	CHECK_EQ(m.c->spr[SPR_DSISR], DSISR_NOPTE);
	m.c->hpt = m.h;
	mx_fini(&m);
}

/* ---- Robustness ------------------------------------------------------------ */

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/* EAs the fuzz gave an HPTE, so that loads find translations */
static uint64_t mapped_ea[64];

/* A random EA among a few segments, so that SLB and HPT hits happen */
static uint64_t rnd_ea(void)
{
	if (rnd() % 2)
		return mapped_ea[rnd() % 64] + (rnd() & 0xff8);
	static const uint64_t segs[] = {
		0,
		SEG1,
		0x20000000ull,
		0xc000000000000000ull,
		0x0000123450000000ull,
		0xfffffffff0000000ull,
	};
	uint64_t ea = segs[rnd() % 6] | (rnd() & 0xfffffff);

	return rnd() % 8 ? ea : rnd();
}

/*
 * 20,000 random slbmte / slbie / slbia / HPTE / AMR / MSR operations and
 * accesses. Besides not crashing, every load must agree with a fresh
 * translation (the oracle): the soft TLB is never stale.
 */
TEST(mmu_fuzz_random_slb_hpte_access)
{
	struct mx m;
	struct dpage *pg;
	const struct dinsn *d;
	unsigned mism = 0, hits = 0, faults[16] = { 0 };

	mx_init(&m);
	pg = m.c->replay_page;
	pg->insns[0].raw = LD(3, 4);
	for (int it = 0; it < 20000; it++) {
		struct ppc_cpu *c = m.c;
		uint64_t op = rnd() % 32, ea = rnd_ea(), val, pa, wimg;
		uint64_t msr = MSR_SF | MSR_ME | (rnd() & (MSR_PR | MSR_DR | MSR_IR | MSR_LE));
		struct hash_xlate x;
		int rc, exp;

		cpu_set_msr(c, msr);
		c->cur_dpage = pg;
		c->cur_ea_page = 0x1000;
		d = &pg->insns[0];
		switch (op) {
		case 0:
		case 1: {
			/* random SLB entry, biased to useful encodings */
			uint64_t vs = rnd();
			static const uint64_t llp[] = { 0, 0x110, 0x100, 0x30 };

			if (rnd() % 4)
				vs = (vs & ~(SLB_VSID_LLP | (3ull << 62))) | llp[rnd() % 4] |
				     ((rnd() % 3 == 0) ? 1ull << 62 : 0);
			slb_write(c, (unsigned)(rnd() % SLB_SIZE),
				  (ea & SLB_ESID_ESID) | (rnd() % 8 ? SLB_ESID_V : 0),
				  vs & (rnd() % 2 ? 0x3fffull << 12 | 0xfff : ~0ull));
			break;
		}
		case 3:
		case 4:
		case 5:
		case 2:
		case 13:
		case 14: {
			/* an HPTE for a random EA of a random SLB entry */
			/* mostly the entry that translates a random EA */
			int si = slb_lookup(c, ea);
			const struct slb_entry *s =
				&c->slb[si >= 0 && rnd() % 4 ? (unsigned)si : rnd() % SLB_SIZE];
			unsigned p = s->pshift ? s->pshift : 12;
			uint64_t r = rnd();

			if (rnd() % 2)
				r = (r & ~HPTE_R_RPN) | ((rnd() % (2 * FX_RAM)) & ~0xfffull);
			if (rnd() % 4 == 0)
				r &= ~(HPTE_R_KEY_HI | HPTE_R_KEY_LO);
			if (rnd() % 2) /* a plain read/write page in RAM */
				r = (p == 24 ? 0 : (rnd() % FX_RAM) & ~((1ull << p) - 1)) | 2;
			if (s->valid && rnd() % 4) {
				uint64_t mea = s->ea_base | (rnd() & ~s->seg_mask & ~0xfffull);

				mx_insert(m.h, s->vsid_num, s->seg_mask == ~((1ull << 40) - 1), mea,
					  p, r, rnd() % 2, (int)(rnd() % 8));
				mapped_ea[rnd() % 64] = mea;
			} else {
				uint64_t ix = rnd() % m.h->nptes;

				m.h->base[2 * ix] = rnd();
				m.h->base[2 * ix + 1] = r;
			}
			/* what every HPTE hcall does before it returns */
			cpu_tlb_flush(c);
			break;
		}
		case 6:
			slb_invalidate(c, rnd());
			break;
		case 7:
			if (rnd() % 8 == 0)
				slb_invalidate_all(c);
			break;
		case 8:
			cpu_spr_set(c, SPR_AMR, rnd() % 4 ? 0 : rnd());
			cpu_spr_set(c, SPR_IAMR, rnd() % 4 ? 0 : rnd());
			break;
		case 9:
			c->stop = STOP_NONE;
			if (mem_host_ptr(c, d, ea & ~7ull, 8, rnd() % 2) == NULL)
				CHECK(c->stop == STOP_NONE);
			break;
		case 10:
			mmu_translate(c, NULL, ea, ACC_FETCH, &pa);
			break;
		case 11:
			c->stop = STOP_NONE;
			mem_store(c, d, ea, 1u << (rnd() % 4), rnd());
			break;
		default: {
			/* aligned 8-byte load against the oracle */
			bool tr = msr & (MSR_DR | MSR_PR);

			ea &= ~7ull;
			c->stop = STOP_NONE;
			c->spr[SPR_DSISR] = 0xdead;
			exp = tr ? hash_translate(c, ea, HACC_READ, 0, &x) : 0;
			pa = tr ? x.ra : ea & 0x0fffffffffffffffull;
			(void)wimg;
			rc = mem_load(c, d, ea, 8, &val);
			if (exp) {
				faults[x.vec >> 7 & 15]++;
				if (!rc || c->pc != x.vec || c->spr[SPR_DAR] != ea ||
				    (x.vec == VEC_DSI && c->spr[SPR_DSISR] != x.bits))
					mism++;
			} else if (pa < FX_RAM) {
				hits++;
				if (rc || val != host_ld(m.f.ram + pa, 8, c->le))
					mism++;
			} else if (!rc || c->stop != STOP_MMIO || c->mmio.pa != pa) {
				mism++;
			}
			break;
		}
		}
		c->stop = STOP_NONE;
		c->mmio_log_count = 0;
	}
	printf("  fuzz: %u loads translated to RAM, %u mismatches\n", hits, mism);
	printf("  faults: dsi %u dseg %u\n", faults[VEC_DSI >> 7 & 15], faults[VEC_DSEG >> 7 & 15]);
	CHECK_EQ(mism, 0);
	CHECK(hits > 100); /* the oracle did see real translations */
	mx_fini(&m);
}
