/* SPDX-License-Identifier: MIT */
/*
 * The 32-bit Book3S MMU (750 / 7447A): BATs, segment registers, the hashed
 * page table in guest memory, R/C, fault bits; the mem.c hook (real mode,
 * DSI delivery, soft TLB and C); and a fuzz test against a reference that
 * follows the PEM flowcharts bit by bit (PowerPC numbering, bit 0 = MSB).
 */
#include "cpu_fixture.h"
#include "harness.h"
#include "mmu/hash32.h"

/* Page table of the tests: 64 KB at 0x80000 (HTABMASK 0) */
#define HTAB 0x80000u

struct h32 {
	struct fx f;
	struct ppc_cpu *c;
};

static void h32_init(struct h32 *t, enum cpu_model model)
{
	fx_init(&t->f, false);
	t->c = t->f.cpu;
	t->c->model = (uint8_t)model;
	t->c->book3s32 = true;
	cpu_set_msr(t->c, MSR_ME | MSR_IR | MSR_DR);
	memset(t->c->sr, 0, sizeof(t->c->sr));
	memset(t->c->ibat, 0, sizeof(t->c->ibat));
	memset(t->c->dbat, 0, sizeof(t->c->dbat));
	t->c->spr[SPR_SDR1] = HTAB;
	t->c->spr[SPR_HID0_32] = 0;
}

static void h32_fini(struct h32 *t)
{
	fx_fini(&t->f);
}

static void set_pr(struct h32 *t, bool pr)
{
	cpu_set_msr(t->c, MSR_ME | MSR_IR | MSR_DR | (pr ? MSR_PR : 0));
}

/* Big-endian guest words, assembled byte by byte */
static uint32_t rd32(struct fx *f, uint64_t pa)
{
	const uint8_t *p = f->ram + pa;

	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void wr32(struct fx *f, uint64_t pa, uint32_t v)
{
	uint8_t *p = f->ram + pa;

	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* PowerPC bit n of a 32-bit word, and field [a, b] */
#define B(n) (1u << (31 - (n)))
static uint32_t fld(uint32_t v, unsigned a, unsigned b)
{
	return (v >> (31 - b)) & ((1u << (b - a + 1)) - 1);
}

/* BATU / BATL from fields */
static uint32_t batu(uint32_t bepi_ea, uint32_t bl, bool vs, bool vp)
{
	return (bepi_ea & 0xfffe0000u) | (bl << 2) | (vs ? 2u : 0) | (vp ? 1u : 0);
}

static uint32_t batl(uint32_t brpn_pa, uint32_t wimg, uint32_t pp)
{
	return (brpn_pa & 0xfffe0000u) | (wimg << 3) | pp;
}

/* Segment register: Ks, Kp, N, VSID */
static uint32_t sreg(bool ks, bool kp, bool n, uint32_t vsid)
{
	return (ks ? B(1) : 0) | (kp ? B(2) : 0) | (n ? B(3) : 0) | (vsid & 0xffffff);
}

/* Hash of (vsid, ea) per PEM 7.6.1.3: low 19 VSID bits XOR page index */
static uint32_t ref_hash(uint32_t vsid, uint32_t ea)
{
	return (fld(vsid, 13, 31) ^ fld(ea, 4, 19)) & 0x7ffff;
}

/* PTEG of hash h: HTABORG + ((h[0:8] & HTABMASK) << 16) + (h[9:18] << 6) */
static uint64_t ref_pteg(uint32_t sdr1, uint32_t h)
{
	uint64_t hi = (h >> 10) & 0x1ff & fld(sdr1, 23, 31);

	return ((uint64_t)fld(sdr1, 0, 15) << 16) + (hi << 16) + ((uint64_t)(h & 0x3ff) << 6);
}

/* Write PTE slot of the PTEG for (vsid, ea): word 0 then word 1 */
static uint64_t put_pte(struct h32 *t, uint32_t vsid, uint32_t ea, bool sec, unsigned slot,
			uint32_t w1)
{
	uint32_t h = ref_hash(vsid, ea);
	uint64_t pa = ref_pteg((uint32_t)t->c->spr[SPR_SDR1], sec ? ~h : h) + 8 * slot;

	wr32(&t->f, pa, B(0) | (vsid & 0xffffff) << 7 | (sec ? B(25) : 0) | fld(ea, 4, 9));
	wr32(&t->f, pa + 4, w1);
	return pa;
}

static int xl(struct h32 *t, uint32_t ea, enum hash_acc acc, struct hash_xlate *x)
{
	memset(x, 0x5a, sizeof(*x));
	return hash32_translate(t->c, ea, acc, HX_SET_RC, x);
}

/* ---- BATs ------------------------------------------------------------ */

TEST(hash32_bat_hit_size)
{
	struct h32 t;
	struct hash_xlate x;

	h32_init(&t, CPU_750);
	/* 256 KB block (BL = 1) at EA 0x20000000 -> PA 0x40000, WIMG = 0b0101 */
	t.c->dbat[1][0] = batu(0x20000000, 1, true, true);
	t.c->dbat[1][1] = batl(0x40000, 0x5, 2);
	CHECK_EQ(xl(&t, 0x20000123, HACC_READ, &x), 0);
	CHECK_EQ(x.ra, 0x40123);
	CHECK_EQ(x.r & HPTE_R_WIMG, HPTE_R_I | HPTE_R_G);
	CHECK_EQ(xl(&t, 0x2003fffc, HACC_WRITE, &x), 0);
	CHECK_EQ(x.ra, 0x7fffc);
	/* just past the 256 KB: the segment (no PTE) */
	CHECK(xl(&t, 0x20040000, HACC_READ, &x) != 0);
	CHECK_EQ(x.vec, VEC_DSI);
	CHECK_EQ(x.bits, DSISR_NOPTE);
	/* 128 KB (BL = 0): 0x20020000 misses */
	t.c->dbat[1][0] = batu(0x20000000, 0, true, true);
	CHECK(xl(&t, 0x20020000, HACC_READ, &x) != 0);
	CHECK_EQ(xl(&t, 0x2001fff0, HACC_READ, &x), 0);
	CHECK_EQ(x.ra, 0x5fff0);
	/* 256 MB (BL = 0x7ff): EA bits 4:31 pass through, BRPN 0:3 kept */
	t.c->dbat[1][0] = batu(0x20000000, 0x7ff, true, true);
	t.c->dbat[1][1] = batl(0x30000000, 0, 2);
	CHECK_EQ(xl(&t, 0x2abcdef0, HACC_READ, &x), 0);
	CHECK_EQ(x.ra, 0x3abcdef0);
	/* the IBAT array is not used for data */
	t.c->dbat[1][0] = 0;
	t.c->ibat[1][0] = batu(0x20000000, 0, true, true);
	t.c->ibat[1][1] = batl(0x40000, 0, 2);
	CHECK(xl(&t, 0x20000000, HACC_READ, &x) != 0);
	CHECK_EQ(xl(&t, 0x20000000, HACC_FETCH, &x), 0);
	CHECK_EQ(x.ra, 0x40000);
	h32_fini(&t);
}

TEST(hash32_bat_pp_and_valid)
{
	struct h32 t;
	struct hash_xlate x;

	h32_init(&t, CPU_750);
	t.c->dbat[0][0] = batu(0x10000000, 0, true, false);
	for (unsigned pp = 0; pp < 4; pp++) {
		t.c->dbat[0][1] = batl(0x20000, 0, pp);
		if (pp == 0) {
			CHECK(xl(&t, 0x10000010, HACC_READ, &x) != 0);
			CHECK_EQ(x.vec, VEC_DSI);
			CHECK_EQ(x.bits, DSISR_PROT);
		} else {
			CHECK_EQ(xl(&t, 0x10000010, HACC_READ, &x), 0);
			CHECK_EQ(x.ra, 0x20010);
		}
		if (pp == 2) {
			CHECK_EQ(xl(&t, 0x10000010, HACC_WRITE, &x), 0);
		} else {
			CHECK(xl(&t, 0x10000010, HACC_WRITE, &x) != 0);
			CHECK_EQ(x.vec, VEC_DSI);
			CHECK_EQ(x.bits, DSISR_PROT | DSISR_STORE);
		}
	}
	/* Vs only: problem state misses the BAT (falls to a missing PTE) */
	set_pr(&t, true);
	CHECK(xl(&t, 0x10000010, HACC_READ, &x) != 0);
	CHECK_EQ(x.bits, DSISR_NOPTE);
	/* Vp only: problem state hits, supervisor misses */
	t.c->dbat[0][0] = batu(0x10000000, 0, false, true);
	CHECK_EQ(xl(&t, 0x10000010, HACC_READ, &x), 0);
	set_pr(&t, false);
	CHECK(xl(&t, 0x10000010, HACC_READ, &x) != 0);
	CHECK_EQ(x.bits, DSISR_NOPTE);
	/* IBAT: PP 00 -> ISI SRR1[4]; G -> ISI SRR1[3] */
	t.c->ibat[0][0] = batu(0x10000000, 0, true, true);
	t.c->ibat[0][1] = batl(0x20000, 0, 0);
	CHECK(xl(&t, 0x10000010, HACC_FETCH, &x) != 0);
	CHECK_EQ(x.vec, VEC_ISI);
	CHECK_EQ(x.bits, SRR1_ISI_PROT);
	t.c->ibat[0][1] = batl(0x20000, 0x1, 3);
	CHECK(xl(&t, 0x10000010, HACC_FETCH, &x) != 0);
	CHECK_EQ(x.vec, VEC_ISI);
	CHECK_EQ(x.bits, SRR1_ISI_NOEXEC);
	t.c->ibat[0][1] = batl(0x20000, 0x2, 3); /* M only: fetch ok */
	CHECK_EQ(xl(&t, 0x10000010, HACC_FETCH, &x), 0);
	CHECK_EQ(x.r & HPTE_R_WIMG, HPTE_R_M);
	h32_fini(&t);
}

TEST(hash32_high_bats)
{
	struct h32 t;
	struct hash_xlate x;

	h32_init(&t, CPU_750);
	t.c->dbat[5][0] = batu(0x30000000, 0, true, true);
	t.c->dbat[5][1] = batl(0x60000, 0, 2);
	t.c->ibat[6][0] = batu(0x30000000, 0, true, true);
	t.c->ibat[6][1] = batl(0xa0000, 0, 2);
	t.c->spr[SPR_HID0_32] = HID0_HIGH_BAT_EN;
	/* 750: BATs 4-7 do not exist, HID0 or not */
	CHECK(xl(&t, 0x30000000, HACC_READ, &x) != 0);
	CHECK(xl(&t, 0x30000000, HACC_FETCH, &x) != 0);
	t.c->model = CPU_7447A;
	CHECK_EQ(xl(&t, 0x30000004, HACC_READ, &x), 0);
	CHECK_EQ(x.ra, 0x60004);
	CHECK_EQ(xl(&t, 0x30000004, HACC_FETCH, &x), 0);
	CHECK_EQ(x.ra, 0xa0004);
	/* 7447A with HIGH_BAT_EN = 0: disabled */
	t.c->spr[SPR_HID0_32] = 0;
	CHECK(xl(&t, 0x30000004, HACC_READ, &x) != 0);
	CHECK(xl(&t, 0x30000004, HACC_FETCH, &x) != 0);
	h32_fini(&t);
}

/* ---- Segments and page table ------------------------------------------ */

TEST(hash32_segment_t_n)
{
	struct h32 t;
	struct hash_xlate x;

	h32_init(&t, CPU_7447A);
	t.c->sr[3] = B(0) | 0x123; /* T = 1 */
	CHECK(xl(&t, 0x30001000, HACC_FETCH, &x) != 0);
	CHECK_EQ(x.vec, VEC_ISI);
	CHECK_EQ(x.bits, SRR1_ISI_NOEXEC);
	CHECK(xl(&t, 0x30001000, HACC_READ, &x) != 0);
	CHECK_EQ(x.vec, VEC_DSI);
	CHECK_EQ(x.bits, DSISR_DIRECT_STORE);
	CHECK(xl(&t, 0x30001000, HACC_WRITE, &x) != 0);
	CHECK_EQ(x.bits, DSISR_DIRECT_STORE | DSISR_STORE);
	/* N = 1 with a valid PTE: fetch ISI SRR1[3], data fine */
	t.c->sr[4] = sreg(false, false, true, 0xabcde);
	put_pte(&t, 0xabcde, 0x40005000, false, 3, 0x33000 | 2);
	CHECK(xl(&t, 0x40005000, HACC_FETCH, &x) != 0);
	CHECK_EQ(x.vec, VEC_ISI);
	CHECK_EQ(x.bits, SRR1_ISI_NOEXEC);
	CHECK_EQ(xl(&t, 0x40005008, HACC_READ, &x), 0);
	CHECK_EQ(x.ra, 0x33008);
	t.c->sr[4] = sreg(false, false, false, 0xabcde);
	CHECK_EQ(xl(&t, 0x40005008, HACC_FETCH, &x), 0);
	/* a BAT takes precedence over T = 1 */
	t.c->dbat[2][0] = batu(0x30000000, 0, true, true);
	t.c->dbat[2][1] = batl(0x20000, 0, 2);
	CHECK_EQ(xl(&t, 0x30001000, HACC_WRITE, &x), 0);
	CHECK_EQ(x.ra, 0x21000);
	h32_fini(&t);
}

TEST(hash32_pteg_primary_secondary)
{
	struct h32 t;
	struct hash_xlate x;
	uint64_t p;

	h32_init(&t, CPU_750);
	t.c->sr[1] = sreg(false, true, false, 0x5a5a5);
	p = put_pte(&t, 0x5a5a5, 0x1234f000, false, 7, 0x44000 | 0x10 | 2);
	CHECK_EQ(xl(&t, 0x1234f00c, HACC_READ, &x), 0);
	CHECK_EQ(x.ra, 0x4400c);
	CHECK_EQ(x.r & HPTE_R_WIMG, HPTE_R_M);
	CHECK_EQ(x.ptex, p);
	/* the same word 0 in the secondary group (H = 0) does not match */
	wr32(&t.f, p, 0);
	p = put_pte(&t, 0x5a5a5, 0x1234f000, true, 0, 0x45000 | 2);
	CHECK_EQ(rd32(&t.f, p) & B(25), B(25));
	CHECK_EQ(xl(&t, 0x1234f00c, HACC_READ, &x), 0);
	CHECK_EQ(x.ra, 0x4500c);
	wr32(&t.f, p, rd32(&t.f, p) & ~B(25));
	CHECK(xl(&t, 0x1234f00c, HACC_READ, &x) != 0);
	CHECK_EQ(x.bits, DSISR_NOPTE);
	/* primary wins over secondary; API must match (EA 4:9) */
	wr32(&t.f, p, rd32(&t.f, p) | B(25));
	put_pte(&t, 0x5a5a5, 0x1234f000, false, 2, 0x46000 | 2);
	CHECK_EQ(xl(&t, 0x1234f000, HACC_READ, &x), 0);
	CHECK_EQ(x.ra, 0x46000);
	/* other VSID (segment 2): nothing */
	t.c->sr[2] = sreg(false, true, false, 0x5a5a4);
	CHECK(xl(&t, 0x2234f000, HACC_FETCH, &x) != 0);
	CHECK_EQ(x.vec, VEC_ISI);
	CHECK_EQ(x.bits, SRR1_ISI_NOPTE);
	CHECK(xl(&t, 0x2234f000, HACC_WRITE, &x) != 0);
	CHECK_EQ(x.bits, DSISR_NOPTE | DSISR_STORE);
	h32_fini(&t);
}

TEST(hash32_htabmask)
{
	struct h32 t;
	struct hash_xlate x;
	uint32_t vsid = 0x400, ea = 0x10000000; /* hash = 0x400: h[0:8] = 1 */
	uint64_t masked = HTAB + 0x10000, unmasked = HTAB;

	h32_init(&t, CPU_750);
	t.c->sr[1] = sreg(false, false, false, vsid);
	CHECK_EQ(ref_hash(vsid, ea), 0x400);
	/* HTABMASK 1: group 0x400 is at HTAB + 0x10000 */
	t.c->spr[SPR_SDR1] = HTAB | 1;
	wr32(&t.f, masked, B(0) | vsid << 7);
	wr32(&t.f, masked + 4, 0x50000 | 2);
	CHECK_EQ(xl(&t, ea, HACC_READ, &x), 0);
	CHECK_EQ(x.ra, 0x50000);
	/* HTABMASK 0: the same hash wraps to group 0 */
	t.c->spr[SPR_SDR1] = HTAB;
	CHECK(xl(&t, ea, HACC_READ, &x) != 0);
	wr32(&t.f, unmasked, B(0) | vsid << 7);
	wr32(&t.f, unmasked + 4, 0x51000 | 2);
	CHECK_EQ(xl(&t, ea, HACC_READ, &x), 0);
	CHECK_EQ(x.ra, 0x51000);
	/* SDR1 outside guest RAM: no PTE, no crash */
	t.c->spr[SPR_SDR1] = 0xfe000000u | 0x1ff;
	CHECK(xl(&t, ea, HACC_READ, &x) != 0);
	CHECK_EQ(x.bits, DSISR_NOPTE);
	t.c->spr[SPR_SDR1] = 0xffff01ffu; /* PTEG offset carries past 4 GB */
	CHECK(xl(&t, 0xf0000000, HACC_FETCH, &x) != 0);
	CHECK_EQ(x.bits, SRR1_ISI_NOPTE);
	h32_fini(&t);
}

/* PTE with this PP at 0x50003000 (VSID 0x777): w = 1 read, 2 write allowed */
static void check_pp(struct h32 *t, unsigned pp, unsigned w)
{
	struct hash_xlate x;

	put_pte(t, 0x777, 0x50003000, false, 1, 0x60000 | pp);
	CHECK_EQ(xl(t, 0x50003000, HACC_READ, &x) == 0, (w & 1) != 0);
	CHECK_EQ(xl(t, 0x50003000, HACC_FETCH, &x) == 0, (w & 1) != 0);
	if (!(w & 1))
		CHECK_EQ(x.bits, SRR1_ISI_PROT);
	CHECK_EQ(xl(t, 0x50003000, HACC_WRITE, &x) == 0, (w & 2) != 0);
	if (!(w & 2))
		CHECK_EQ(x.bits, DSISR_PROT | DSISR_STORE);
}

TEST(hash32_keys_pp)
{
	/* PEM Table 7-10: [key][pp] -> 0 none, 1 read, 3 read/write */
	static const unsigned want[2][4] = { { 3, 3, 3, 1 }, { 0, 1, 3, 1 } };
	struct h32 t;
	struct hash_xlate x;

	h32_init(&t, CPU_750);
	for (unsigned pr = 0; pr < 2; pr++) {
		for (unsigned ks = 0; ks < 2; ks++) {
			for (unsigned kp = 0; kp < 2; kp++) {
				unsigned key = pr ? kp : ks;

				set_pr(&t, pr);
				t.c->sr[5] = sreg(ks, kp, false, 0x777);
				for (unsigned pp = 0; pp < 4; pp++)
					check_pp(&t, pp, want[key][pp]);
			}
		}
	}
	/* G = 1 on a fetch: ISI SRR1[3]; with PP also failing both bits */
	set_pr(&t, true);
	t.c->sr[5] = sreg(false, true, false, 0x777);
	put_pte(&t, 0x777, 0x50003000, false, 1, 0x60000 | 0x8 | 2);
	CHECK(xl(&t, 0x50003000, HACC_FETCH, &x) != 0);
	CHECK_EQ(x.bits, SRR1_ISI_NOEXEC);
	CHECK_EQ(xl(&t, 0x50003000, HACC_READ, &x), 0);
	put_pte(&t, 0x777, 0x50003000, false, 1, 0x60000 | 0x8 | 0);
	CHECK(xl(&t, 0x50003000, HACC_FETCH, &x) != 0);
	CHECK_EQ(x.bits, SRR1_ISI_NOEXEC | SRR1_ISI_PROT);
	h32_fini(&t);
}

TEST(hash32_rc_writeback)
{
	struct h32 t;
	struct hash_xlate x;
	uint64_t p;

	h32_init(&t, CPU_750);
	t.c->sr[6] = sreg(false, false, false, 0x31415);
	p = put_pte(&t, 0x31415, 0x6000a000, true, 4, 0x70000 | 2);
	/* no HX_SET_RC (a probe): nothing written */
	CHECK_EQ(hash32_translate(t.c, 0x6000a000, HACC_WRITE, 0, &x), 0);
	CHECK_EQ(rd32(&t.f, p + 4), 0x70002);
	/* a read sets R only, and reports the word as found */
	CHECK_EQ(xl(&t, 0x6000a000, HACC_READ, &x), 0);
	CHECK_EQ(x.r & (PTE32_R | PTE32_C), 0);
	CHECK_EQ(rd32(&t.f, p + 4), 0x70002 | PTE32_R);
	/* a fetch too */
	wr32(&t.f, p + 4, 0x70002);
	CHECK_EQ(xl(&t, 0x6000a000, HACC_FETCH, &x), 0);
	CHECK_EQ(rd32(&t.f, p + 4), 0x70002 | PTE32_R);
	/* a store sets C (and R) */
	CHECK_EQ(xl(&t, 0x6000a000, HACC_WRITE, &x), 0);
	CHECK_EQ(rd32(&t.f, p + 4), 0x70002 | PTE32_R | PTE32_C);
	/* word 0 untouched; a failing access writes nothing */
	CHECK_EQ(rd32(&t.f, p), B(0) | 0x31415u << 7 | B(25) | fld(0x6000a000, 4, 9));
	wr32(&t.f, p + 4, 0x70000 | 3);
	CHECK(xl(&t, 0x6000a000, HACC_WRITE, &x) != 0);
	CHECK_EQ(rd32(&t.f, p + 4), 0x70003);
	/* BAT translations touch no PTE */
	t.c->dbat[0][0] = batu(0x60000000, 0, true, true);
	t.c->dbat[0][1] = batl(0x20000, 0, 2);
	CHECK_EQ(xl(&t, 0x6000a000, HACC_WRITE, &x), 0);
	CHECK_EQ(rd32(&t.f, p + 4), 0x70003);
	/* a table page also decoded as code: the R/C write drops the decode */
	t.c->dbat[0][0] = 0;
	wr32(&t.f, p + 4, 0x70002);
	t.f.pm.slot[0].code[p >> 12] = 1;
	{
		uint64_t seq = t.f.pm.code_ring.seq;

		CHECK_EQ(xl(&t, 0x6000a000, HACC_READ, &x), 0);
		CHECK_EQ(rd32(&t.f, p + 4), 0x70002 | PTE32_R);
		CHECK_EQ(t.f.pm.slot[0].code[p >> 12], 0);
		CHECK_EQ(t.f.pm.code_ring.seq, seq + 1);
	}
	h32_fini(&t);
}

TEST(hash32_table_in_readonly_slot)
{
	struct h32 t;
	struct hash_xlate x;
	uint8_t *rom = aligned_alloc(4096, 0x10000);
	struct memslot *s;

	h32_init(&t, CPU_750);
	memset(rom, 0, 0x10000);
	s = &t.f.pm.slot[1];
	s->gpa = 0xfff00000u;
	s->size = 0x10000;
	s->host = rom;
	s->flags = SLOT_READONLY;
	s->used = true;
	t.c->spr[SPR_SDR1] = 0xfff00000u;
	t.c->sr[0] = 0x42;
	/* group 0x42 ^ 0 = 0x42 -> 0xfff00000 + 0x1080 */
	rom[0x1080] = 0x80;
	rom[0x1080 + 2] = 0x21; /* VSID 0x42 << 7 = 0x2100 */
	rom[0x1086] = 0x90;
	rom[0x1087] = 0x02; /* RPN 0x9000, PP 2 */
	CHECK_EQ(xl(&t, 0x00000010, HACC_WRITE, &x), 0);
	CHECK_EQ(x.ra, 0x9010);
	CHECK_EQ(rom[0x1086], 0x90); /* R/C not written into ROM */
	CHECK_EQ(rom[0x1087], 0x02);
	s->used = false;
	free(rom);
	h32_fini(&t);
}

/* A 32 MB table (HTABMASK 0x1ff): hash bit 0 selects PA bit 7 (0x1000000) */
TEST(hash32_big_htab)
{
	struct h32 t;
	struct hash_xlate x;
	uint8_t *ram2 = aligned_alloc(4096, 0x10000);
	struct memslot *s;
	uint8_t *p;

	h32_init(&t, CPU_750);
	memset(ram2, 0, 0x10000);
	s = &t.f.pm.slot[1];
	s->gpa = 0x01000000u;
	s->size = 0x10000;
	s->host = ram2;
	s->used = true;
	t.c->spr[SPR_SDR1] = 0x000001ff;
	t.c->sr[0] = 0x40003; /* hash of page 1 = 0x40002: group at 0x1000080 */
	p = ram2 + 0x80 + 8 * 6;
	p[0] = 0x82; /* V, VSID 0x40003 << 7 = 0x02000180 */
	p[2] = 0x01;
	p[3] = 0x80;
	p[5] = 0x07; /* RPN 0x7e000, PP 2 */
	p[6] = 0xe0;
	p[7] = 0x02;
	CHECK_EQ(xl(&t, 0x00001008, HACC_WRITE, &x), 0);
	CHECK_EQ(x.ra, 0x7e008);
	CHECK_EQ(p[6], 0xe1); /* R */
	CHECK_EQ(p[7], 0x82); /* C */
	/* secondary of the same page: ~0x40002 -> group 0x3fffd, 0xffff40 */
	t.c->spr[SPR_SDR1] = 0x000000ff; /* 16 MB: hash bit 0 dropped */
	CHECK(xl(&t, 0x00001008, HACC_READ, &x) != 0);
	s->used = false;
	free(ram2);
	h32_fini(&t);
}

/* ---- The mem.c hook ------------------------------------------------- */

#define LWZ(rt, ra) (0x80000000u | ((rt) << 21) | ((ra) << 16))
#define STW(rs, ra) (0x90000000u | ((rs) << 21) | ((ra) << 16))
/* Stops: data translated through DBAT3 to PA 0xf0000000 (no memory) */
#define STOP_EA 0xf0000000u
/* and real-mode loads at the DSI / ISI vectors from 0xe0000300 / 0xe0000400 */

static void hook_init(struct h32 *t)
{
	h32_init(t, CPU_750);
	t->c->dbat[3][0] = batu(STOP_EA, 0, true, true);
	t->c->dbat[3][1] = batl(STOP_EA, 0x5, 2);
	fx_poke32(&t->f, 0x300, LWZ(31, 29));
	fx_poke32(&t->f, 0x400, LWZ(31, 28));
}

/* Run with this MSR; the snippet ends with a load from STOP_EA */
static uint64_t hook_run(struct h32 *t, uint64_t msr, const uint32_t *insns, unsigned n)
{
	uint32_t code[16];

	memcpy(code, insns, n * 4);
	code[n] = LWZ(31, 30);
	t->c->gpr[30] = STOP_EA;
	t->c->gpr[29] = 0xe0000300u;
	t->c->gpr[28] = 0xe0000400u;
	t->c->spr[SPR_DAR] = t->c->spr[SPR_DSISR] = 0;
	cpu_set_msr(t->c, msr);
	fx_run(&t->f, code, n + 1);
	return t->c->stop == STOP_MMIO ? t->c->mmio.pa : ~0ull;
}

TEST(hash32_mem_real_mode)
{
	struct h32 t;
	static const uint32_t code[] = { LWZ(3, 4) };

	hook_init(&t);
	/* an RMA bound applies to the 64-bit partition only */
	t.f.pm.rma_size = 0x80000;
	wr32(&t.f, 0x90000, 0xcafef00d);
	t.c->gpr[4] = 0x90000;
	/* real-mode load, then the translated stop load */
	cpu_set_msr(t.c, MSR_ME);
	t.c->gpr[3] = 0;
	{
		static const uint32_t c2[] = { LWZ(3, 4), LWZ(31, 29) };

		t.c->gpr[29] = 0xe0000000u;
		fx_run(&t.f, c2, 2);
	}
	CHECK_EQ(t.c->stop, STOP_MMIO);
	CHECK_EQ(t.c->mmio.pa, 0xe0000000u);
	CHECK_EQ(t.c->gpr[3], 0xcafef00d);
	/* and the same with DR = 1 through a DBAT */
	t.c->dbat[0][0] = batu(0x0, 0x7ff, true, true);
	t.c->dbat[0][1] = batl(0x0, 0, 2);
	t.c->gpr[3] = 0;
	CHECK_EQ(hook_run(&t, MSR_ME | MSR_DR, code, 1), STOP_EA);
	CHECK_EQ(t.c->gpr[3], 0xcafef00d);
	h32_fini(&t);
}

TEST(hash32_mem_dsi)
{
	struct h32 t;
	static const uint32_t ld[] = { LWZ(3, 4) }, st[] = { STW(3, 4) };

	hook_init(&t);
	t.c->sr[2] = sreg(false, false, false, 0x999);
	t.c->gpr[4] = 0x20000ff0;
	CHECK_EQ(hook_run(&t, MSR_ME | MSR_DR, ld, 1), 0xe0000300u);
	CHECK_EQ(t.c->spr[SPR_DAR], 0x20000ff0);
	CHECK_EQ(t.c->spr[SPR_DSISR], DSISR_NOPTE);
	CHECK_EQ(t.c->spr[SPR_SRR0], FX_CODE);
	put_pte(&t, 0x999, 0x20000000, false, 0, 0x30000 | 3);
	CHECK_EQ(hook_run(&t, MSR_ME | MSR_DR, st, 1), 0xe0000300u);
	CHECK_EQ(t.c->spr[SPR_DSISR], DSISR_PROT | DSISR_STORE);
	t.c->sr[2] |= SR32_T;
	CHECK_EQ(hook_run(&t, MSR_ME | MSR_DR, st, 1), 0xe0000300u);
	CHECK_EQ(t.c->spr[SPR_DSISR], DSISR_DIRECT_STORE | DSISR_STORE);
	h32_fini(&t);
}

TEST(hash32_mem_rc_tlb)
{
	struct h32 t;
	/* read the page (fills the read TLB, R set), then store to it */
	static const uint32_t code[] = { LWZ(3, 4), STW(5, 4), LWZ(6, 4) };
	uint64_t p;

	hook_init(&t);
	t.c->sr[7] = sreg(false, false, false, 0x2222);
	p = put_pte(&t, 0x2222, 0x70004000, false, 5, 0x40000 | 2);
	wr32(&t.f, 0x40010, 0x11111111);
	t.c->gpr[4] = 0x70004010;
	t.c->gpr[5] = 0x22222222;
	CHECK_EQ(hook_run(&t, MSR_ME | MSR_DR, code, 3), STOP_EA);
	CHECK_EQ(t.c->gpr[3], 0x11111111);
	CHECK_EQ(t.c->gpr[6], 0x22222222);
	CHECK_EQ(rd32(&t.f, 0x40010), 0x22222222);
	/* the store was not a write-TLB hit left by the read: C is set */
	CHECK_EQ(rd32(&t.f, p + 4), 0x40002 | PTE32_R | PTE32_C);
	/* reads only: C stays clear */
	wr32(&t.f, p + 4, 0x40002);
	{
		static const uint32_t rd[] = { LWZ(3, 4), LWZ(6, 4) };

		CHECK_EQ(hook_run(&t, MSR_ME | MSR_DR, rd, 2), STOP_EA);
	}
	CHECK_EQ(rd32(&t.f, p + 4), 0x40002 | PTE32_R);
	h32_fini(&t);
}

/* ---- Fuzz against a reference ----------------------------------------- */

static uint64_t rng_state;

static uint32_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t)(rng_state >> 16);
}

struct ref_out {
	int fault;
	unsigned vec;
	uint32_t bits;
	uint32_t ra, wimg;
	int64_t pte_pa; /* word 0 of the PTE used, -1 if none */
	uint32_t w1_after;
};

/* Read a guest word if the 4 bytes are in the fixture's RAM */
static bool ref_rd(struct fx *f, uint64_t pa, uint32_t *v)
{
	if (pa + 4 > FX_RAM)
		return false;
	*v = rd32(f, pa);
	return true;
}

/* The PEM flowcharts (Figures 7-4, 7-10, 7-15), one bit at a time */
static void ref_translate(struct h32 *t, uint32_t ea, enum hash_acc acc, struct ref_out *o)
{
	struct ppc_cpu *c = t->c;
	bool fetch = acc == HACC_FETCH, store = acc == HACC_WRITE, pr = c->pr;
	unsigned nbat = 4;

	memset(o, 0, sizeof(*o));
	o->pte_pa = -1;
	if (c->model == CPU_7447A && (c->spr[SPR_HID0_32] & B(8)))
		nbat = 8;
	for (unsigned i = 0; i < nbat; i++) {
		uint32_t u = fetch ? c->ibat[i][0] : c->dbat[i][0];
		uint32_t l = fetch ? c->ibat[i][1] : c->dbat[i][1];
		bool hit = true;
		uint32_t ra = 0;

		if (!(pr ? (u & B(31)) : (u & B(30))))
			continue;
		for (unsigned j = 0; j < 15; j++) {
			/* BL bit k (BATU bit 19 + k) masks EA / BEPI bit 4 + k */
			bool masked = j >= 4 && (u & B(19 + (j - 4)));
			bool eab = (ea & B(j)) != 0, bepi = (u & B(j)) != 0;

			if ((masked ? false : eab) != bepi)
				hit = false;
			if (masked ? eab : (l & B(j)) != 0)
				ra |= B(j);
		}
		if (!hit)
			continue;
		ra |= ea & 0x1ffff;
		if (fetch) {
			o->bits = (l & B(28) ? B(3) : 0) | (fld(l, 30, 31) == 0 ? B(4) : 0);
		} else {
			unsigned pp = fld(l, 30, 31);

			if (pp == 0 || (store && pp != 2))
				o->bits = B(4) | (store ? B(6) : 0);
		}
		if (o->bits) {
			o->fault = 1;
			o->vec = fetch ? VEC_ISI : VEC_DSI;
			return;
		}
		o->ra = ra;
		o->wimg = fld(l, 25, 28);
		return;
	}

	uint32_t sr = c->sr[fld(ea, 0, 3)];

	o->vec = fetch ? VEC_ISI : VEC_DSI;
	if (sr & B(0)) {
		o->fault = 1;
		o->bits = fetch ? B(3) : B(5) | (store ? B(6) : 0);
		return;
	}
	if (fetch && (sr & B(3))) {
		o->fault = 1;
		o->bits = B(3);
		return;
	}

	uint32_t vsid = fld(sr, 8, 31), sdr1 = (uint32_t)c->spr[SPR_SDR1];
	uint32_t h = ref_hash(vsid, ea);

	for (unsigned hh = 0; hh < 2 && o->pte_pa < 0; hh++) {
		uint64_t g = ref_pteg(sdr1, hh ? ~h : h);

		for (unsigned i = 0; i < 8; i++) {
			uint32_t w0, w1;

			if (!ref_rd(&t->f, g + 8 * i, &w0) || !ref_rd(&t->f, g + 8 * i + 4, &w1))
				continue;
			if (!(w0 & B(0)) || fld(w0, 1, 24) != vsid || ((w0 & B(25)) != 0) != hh ||
			    fld(w0, 26, 31) != fld(ea, 4, 9))
				continue;
			o->pte_pa = (int64_t)(g + 8 * i);
			o->w1_after = w1;
			break;
		}
	}
	if (o->pte_pa < 0) {
		o->fault = 1;
		o->bits = B(1) | (store ? B(6) : 0);
		return;
	}

	uint32_t w1 = o->w1_after;
	bool key = pr ? (sr & B(2)) : (sr & B(1));
	unsigned pp = fld(w1, 30, 31);
	bool can_r = key ? pp != 0 : true;
	bool can_w = key ? pp == 2 : pp != 3;

	if (fetch) {
		o->bits = (w1 & B(28) ? B(3) : 0) | (can_r ? 0 : B(4));
	} else if (!(store ? can_w : can_r)) {
		o->bits = B(4) | (store ? B(6) : 0);
	}
	if (o->bits) {
		o->fault = 1;
		return;
	}
	o->w1_after = w1 | B(23) | (store ? B(24) : 0);
	o->ra = (fld(w1, 0, 19) << 12) | fld(ea, 20, 31);
	o->wimg = fld(w1, 25, 28);
}

/* A BAT pair: mostly plausible (near ea, small blocks), sometimes garbage */
static void fuzz_bat(uint32_t *u, uint32_t *l, uint32_t ea)
{
	uint32_t bl = (rnd() & 1) ? (1u << (rnd() % 12)) - 1 : rnd() & 0x7ff;

	switch (rnd() % 4) {
	case 0:
		*u = rnd();
		break;
	case 1:
		*u = 0;
		break;
	default:
		*u = (ea & ~((bl << 17) | 0x1ffff)) | (bl << 2) | (rnd() & 3);
		if (rnd() % 8 == 0)
			*u ^= B(rnd() % 15);
		break;
	}
	*l = (rnd() & 1) ? rnd() : ((rnd() % FX_RAM) & 0xfffe0000u) | (rnd() & 0x7b);
}

static void fuzz_pteg(struct h32 *t, uint64_t g, uint32_t vsid, uint32_t ea, bool sec)
{
	if (g + 64 > FX_RAM)
		return;
	for (unsigned i = 0; i < 8; i++) {
		uint32_t w0 = rnd(), w1;

		if (rnd() % 3 == 0) {
			w0 = B(0) | vsid << 7 | (sec ? B(25) : 0) | fld(ea, 4, 9);
			if (rnd() % 4 == 0)
				w0 ^= 1u << (rnd() % 32);
		}
		w1 = (rnd() & 1) ? rnd() : (rnd() % FX_RAM & 0xfffff000u) | (rnd() & 0x1fb);
		wr32(&t->f, g + 8 * i, w0);
		wr32(&t->f, g + 8 * i + 4, w1);
	}
}

TEST(hash32_fuzz)
{
	/* 0x00090001: HTABORG bit 15 under HTABMASK (the offset is added) */
	static const uint32_t sdr1s[] = { HTAB, HTAB | 1, 0x00000003, 0x00090001 };
	struct h32 t;
	unsigned hits = 0, bat_hits = 0, pte_hits = 0, faults = 0, mism = 0;

	h32_init(&t, CPU_750);
	rng_state = 0x9e3779b97f4a7c15ull;
	for (unsigned it = 0; it < 20000; it++) {
		uint32_t ea = rnd(), vsid;
		enum hash_acc acc = (enum hash_acc)(rnd() % 3);
		struct hash_xlate x;
		struct ref_out o;
		uint8_t before[2][64];
		uint64_t g[2];
		int rc;

		if (rnd() & 1)
			ea &= 0xf00fffffu; /* fewer distinct pages */
		t.c->model = (rnd() & 1) ? CPU_7447A : CPU_750;
		t.c->spr[SPR_HID0_32] = (rnd() & 1) ? HID0_HIGH_BAT_EN : 0;
		set_pr(&t, rnd() & 1);
		for (unsigned i = 0; i < 8; i++) {
			bool on = rnd() % 4 == 0;

			if (on) {
				fuzz_bat(&t.c->ibat[i][0], &t.c->ibat[i][1], ea);
				fuzz_bat(&t.c->dbat[i][0], &t.c->dbat[i][1], ea);
			} else {
				t.c->ibat[i][0] = t.c->dbat[i][0] = 0;
				t.c->ibat[i][1] = rnd();
				t.c->dbat[i][1] = rnd();
			}
		}
		for (unsigned i = 0; i < 16; i++)
			t.c->sr[i] =
				rnd() % 8 == 0 ? rnd() : (rnd() & 0x70000000u) | (rnd() & 0xfff);
		t.c->spr[SPR_SDR1] = rnd() % 8 == 0 ? rnd() : sdr1s[rnd() % 4];
		vsid = t.c->sr[ea >> 28] & 0xffffff;
		g[0] = ref_pteg((uint32_t)t.c->spr[SPR_SDR1], ref_hash(vsid, ea));
		g[1] = ref_pteg((uint32_t)t.c->spr[SPR_SDR1], ~ref_hash(vsid, ea));
		fuzz_pteg(&t, g[0], vsid, ea, false);
		fuzz_pteg(&t, g[1], vsid, ea, true);
		for (unsigned k = 0; k < 2; k++)
			if (g[k] + 64 <= FX_RAM)
				memcpy(before[k], t.f.ram + g[k], 64);

		ref_translate(&t, ea, acc, &o);
		rc = hash32_translate(t.c, ea, acc, HX_SET_RC, &x);

		bool ok = (rc != 0) == (o.fault != 0);

		if (ok && rc) {
			uint64_t allowed = acc == HACC_FETCH ? 0x58000000u : 0x4e000000u;

			ok = x.vec == o.vec && x.bits == o.bits && x.bits && !(x.bits & ~allowed);
			faults++;
		} else if (ok) {
			ok = x.ra == o.ra && x.ra <= 0xffffffffull &&
			     (x.r & HPTE_R_WIMG) == (uint64_t)o.wimg << 3;
			hits++;
			if (o.pte_pa >= 0)
				pte_hits++;
			else
				bat_hits++;
		}
		/* memory: only the expected R/C word may have changed */
		for (unsigned k = 0; ok && k < 2; k++) {
			if (g[k] + 64 > FX_RAM)
				continue;
			for (unsigned b = 0; b < 64; b += 4) {
				uint64_t pa = g[k] + b;
				uint32_t was = (uint32_t)before[k][b] << 24 |
					       (uint32_t)before[k][b + 1] << 16 |
					       (uint32_t)before[k][b + 2] << 8 | before[k][b + 3];
				uint32_t want = was;

				if (!o.fault && o.pte_pa >= 0 && pa == (uint64_t)o.pte_pa + 4)
					want = o.w1_after;
				if (rd32(&t.f, pa) != want)
					ok = false;
			}
		}
		if (!ok && mism++ < 5)
			printf("  fuzz %u: ea %08x acc %d pr %d rc %d vec %x bits %" PRIx64
			       " ra %" PRIx64 " / ref %d %x %x %x\n",
			       it, ea, acc, t.c->pr, rc, x.vec, x.bits, x.ra, o.fault, o.vec,
			       o.bits, o.ra);
	}
	CHECK_EQ(mism, 0);
	/* the generator reaches every outcome often enough to mean something */
	CHECK(bat_hits > 500);
	CHECK(pte_hits > 500);
	CHECK(faults > 2000);
	printf("  fuzz: %u bat hits, %u pte hits, %u faults\n", bat_hits, pte_hits, faults);
	h32_fini(&t);
}
