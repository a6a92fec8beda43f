/* SPDX-License-Identifier: MIT */
/*
 * Storage access instructions (src/cpu/insn_ldst.c): every load/store form
 * in both byte orders, update forms and their invalid forms, byte reverse,
 * multiple and string, larx/stcx., quadword, dcbz and the cache no-ops,
 * alignment interrupts, page crossing, 32-bit mode and MMIO replay.
 * Expected values for string, lq and invalid-form cases were checked
 * against qemu-ppc64 / qemu-ppc64le -cpu power8.
 */
#include "cpu_fixture.h"
#include "harness.h"

#define D_FORM(op, rt, ra, d)                                                       \
	(((uint32_t)(op) << 26) | ((uint32_t)(rt) << 21) | ((uint32_t)(ra) << 16) | \
	 ((uint32_t)(d)&0xffff))
#define X_FORM(xo, rt, ra, rb)                                                                    \
	((31u << 26) | ((uint32_t)(rt) << 21) | ((uint32_t)(ra) << 16) | ((uint32_t)(rb) << 11) | \
	 ((uint32_t)(xo) << 1))
#define DS_FORM(op, rt, ra, d, xo) D_FORM(op, rt, ra, ((d) & ~3) | (xo))

/* Test data: 128 bytes 0x80, 0x81, ... 0xff at DATA */
#define DATA	  (FX_DATA + 0x100)
#define MMIO_BASE 0x10000000ull

static void setup(struct fx *f, bool le)
{
	fx_init(f, le);
	/* Interrupts keep the byte order so the vectors' sc 1 decodes */
	if (le)
		f->cpu->spr[SPR_LPCR] |= LPCR_ILE;
	for (unsigned i = 0; i < 128; i++)
		f->ram[DATA + i] = (uint8_t)(0x80 + i);
}

/* Stopped in the sc 1 at vector vec (an interrupt was taken) */
static bool took(struct fx *f, uint64_t vec)
{
	return f->cpu->stop == STOP_HCALL && f->cpu->pc == vec + 4;
}

static bool took_illegal(struct fx *f)
{
	return took(f, VEC_PROGRAM) && (f->cpu->spr[SPR_SRR1] & SRR1_PROGILL) &&
	       f->cpu->spr[SPR_SRR0] == FX_CODE;
}

/* The n bytes at ram[pa] as a number in byte order le (independent of mem.h) */
static uint64_t bytes_val(const uint8_t *p, unsigned n, bool le)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < n; i++)
		v |= (uint64_t)p[i] << (8 * (le ? i : n - 1 - i));
	return v;
}

static uint64_t sext(uint64_t v, unsigned bytes)
{
	unsigned sh = 64 - 8 * bytes;

	return (uint64_t)((int64_t)(v << sh) >> sh);
}

static uint64_t brev(uint64_t v, unsigned bytes)
{
	uint64_t r = 0;

	for (unsigned i = 0; i < bytes; i++)
		r |= ((v >> (8 * i)) & 0xff) << (8 * (bytes - 1 - i));
	return r;
}

enum conv { ZERO, SIGN, BREV };
enum mode { M_D, M_DU, M_X, M_XU };

struct ld_case {
	const char *name;
	uint32_t insn; /* with RT=3, RA=4 and (X forms) RB=5 */
	unsigned size;
	enum conv conv;
	enum mode mode;
};

/* EA = r4 + 0x10 (D/DS forms: displacement, X forms: r5) = DATA */
static const struct ld_case loads[] = {
	{ "lbz", D_FORM(34, 3, 4, 0x10), 1, ZERO, M_D },
	{ "lbzu", D_FORM(35, 3, 4, 0x10), 1, ZERO, M_DU },
	{ "lbzx", X_FORM(87, 3, 4, 5), 1, ZERO, M_X },
	{ "lbzux", X_FORM(119, 3, 4, 5), 1, ZERO, M_XU },
	{ "lhz", D_FORM(40, 3, 4, 0x10), 2, ZERO, M_D },
	{ "lhzu", D_FORM(41, 3, 4, 0x10), 2, ZERO, M_DU },
	{ "lhzx", X_FORM(279, 3, 4, 5), 2, ZERO, M_X },
	{ "lhzux", X_FORM(311, 3, 4, 5), 2, ZERO, M_XU },
	{ "lha", D_FORM(42, 3, 4, 0x10), 2, SIGN, M_D },
	{ "lhau", D_FORM(43, 3, 4, 0x10), 2, SIGN, M_DU },
	{ "lhax", X_FORM(343, 3, 4, 5), 2, SIGN, M_X },
	{ "lhaux", X_FORM(375, 3, 4, 5), 2, SIGN, M_XU },
	{ "lwz", D_FORM(32, 3, 4, 0x10), 4, ZERO, M_D },
	{ "lwzu", D_FORM(33, 3, 4, 0x10), 4, ZERO, M_DU },
	{ "lwzx", X_FORM(23, 3, 4, 5), 4, ZERO, M_X },
	{ "lwzux", X_FORM(55, 3, 4, 5), 4, ZERO, M_XU },
	{ "lwa", DS_FORM(58, 3, 4, 0x10, 2), 4, SIGN, M_D },
	{ "lwax", X_FORM(341, 3, 4, 5), 4, SIGN, M_X },
	{ "lwaux", X_FORM(373, 3, 4, 5), 4, SIGN, M_XU },
	{ "ld", DS_FORM(58, 3, 4, 0x10, 0), 8, ZERO, M_D },
	{ "ldu", DS_FORM(58, 3, 4, 0x10, 1), 8, ZERO, M_DU },
	{ "ldx", X_FORM(21, 3, 4, 5), 8, ZERO, M_X },
	{ "ldux", X_FORM(53, 3, 4, 5), 8, ZERO, M_XU },
	{ "lhbrx", X_FORM(790, 3, 4, 5), 2, BREV, M_X },
	{ "lwbrx", X_FORM(534, 3, 4, 5), 4, BREV, M_X },
	{ "ldbrx", X_FORM(532, 3, 4, 5), 8, BREV, M_X },
};

static uint64_t expect_load(const uint8_t *p, unsigned size, enum conv c, bool le)
{
	uint64_t v = bytes_val(p, size, le);

	if (c == SIGN)
		return sext(v, size);
	if (c == BREV)
		return brev(v, size);
	return v;
}

TEST(ldst_every_load_form_be_le)
{
	for (int le = 0; le < 2; le++) {
		for (unsigned i = 0; i < sizeof(loads) / sizeof(loads[0]); i++) {
			const struct ld_case *c = &loads[i];
			bool upd = c->mode == M_DU || c->mode == M_XU;
			struct fx f;
			uint64_t want;
			int before = harness_failures;

			setup(&f, le);
			f.cpu->gpr[3] = 0xdeadbeefdeadbeefull;
			f.cpu->gpr[4] = DATA - 0x10;
			f.cpu->gpr[5] = 0x10;
			fx_run(&f, &c->insn, 1);
			want = expect_load(f.ram + DATA, c->size, c->conv, le);
			CHECK(fx_ran_to_end(&f, 1));
			CHECK_EQ(f.cpu->gpr[3], want);
			CHECK_EQ(f.cpu->gpr[4], upd ? DATA : DATA - 0x10);
			CHECK_EQ(f.cpu->gpr[5], 0x10);
			if (harness_failures != before)
				printf("  (%s, %s)\n", c->name, le ? "LE" : "BE");
			fx_fini(&f);
		}
	}
}

/* Spot values, so the table test is not only checked against itself */
TEST(ldst_load_values)
{
	struct fx f;
	uint32_t lha = D_FORM(42, 3, 4, 0), lwa = DS_FORM(58, 3, 4, 0, 2);
	uint32_t lwbrx = X_FORM(534, 3, 0, 4), lhz = D_FORM(40, 3, 4, 2);

	setup(&f, false);
	f.cpu->gpr[4] = DATA;
	fx_run(&f, &lha, 1);
	CHECK_EQ(f.cpu->gpr[3], 0xffffffffffff8081ull);
	fx_run(&f, &lwa, 1);
	CHECK_EQ(f.cpu->gpr[3], 0xffffffff80818283ull);
	fx_run(&f, &lwbrx, 1);
	CHECK_EQ(f.cpu->gpr[3], 0x83828180);
	f.ram[DATA + 2] = 0x12;
	f.ram[DATA + 3] = 0x34;
	fx_run(&f, &lhz, 1);
	CHECK_EQ(f.cpu->gpr[3], 0x1234);
	fx_fini(&f);

	setup(&f, true);
	f.cpu->gpr[4] = DATA;
	fx_run(&f, &lha, 1);
	CHECK_EQ(f.cpu->gpr[3], 0xffffffffffff8180ull);
	fx_run(&f, &lwbrx, 1);
	CHECK_EQ(f.cpu->gpr[3], 0x80818283);
	f.ram[DATA] = 0x00;
	f.ram[DATA + 1] = 0x70;
	fx_run(&f, &lha, 1);
	CHECK_EQ(f.cpu->gpr[3], 0x7000);
	fx_fini(&f);
}

struct st_case {
	const char *name;
	uint32_t insn; /* RS=6, RA=4, RB=5 */
	unsigned size;
	bool brev;
	enum mode mode;
};

static const struct st_case stores[] = {
	{ "stb", D_FORM(38, 6, 4, 0x10), 1, false, M_D },
	{ "stbu", D_FORM(39, 6, 4, 0x10), 1, false, M_DU },
	{ "stbx", X_FORM(215, 6, 4, 5), 1, false, M_X },
	{ "stbux", X_FORM(247, 6, 4, 5), 1, false, M_XU },
	{ "sth", D_FORM(44, 6, 4, 0x10), 2, false, M_D },
	{ "sthu", D_FORM(45, 6, 4, 0x10), 2, false, M_DU },
	{ "sthx", X_FORM(407, 6, 4, 5), 2, false, M_X },
	{ "sthux", X_FORM(439, 6, 4, 5), 2, false, M_XU },
	{ "stw", D_FORM(36, 6, 4, 0x10), 4, false, M_D },
	{ "stwu", D_FORM(37, 6, 4, 0x10), 4, false, M_DU },
	{ "stwx", X_FORM(151, 6, 4, 5), 4, false, M_X },
	{ "stwux", X_FORM(183, 6, 4, 5), 4, false, M_XU },
	{ "std", DS_FORM(62, 6, 4, 0x10, 0), 8, false, M_D },
	{ "stdu", DS_FORM(62, 6, 4, 0x10, 1), 8, false, M_DU },
	{ "stdx", X_FORM(149, 6, 4, 5), 8, false, M_X },
	{ "stdux", X_FORM(181, 6, 4, 5), 8, false, M_XU },
	{ "sthbrx", X_FORM(918, 6, 4, 5), 2, true, M_X },
	{ "stwbrx", X_FORM(662, 6, 4, 5), 4, true, M_X },
	{ "stdbrx", X_FORM(660, 6, 4, 5), 8, true, M_X },
};

TEST(ldst_every_store_form_be_le)
{
	const uint64_t val = 0x1122334455667788ull;

	for (int le = 0; le < 2; le++) {
		for (unsigned i = 0; i < sizeof(stores) / sizeof(stores[0]); i++) {
			const struct st_case *c = &stores[i];
			bool upd = c->mode == M_DU || c->mode == M_XU;
			struct fx f;
			uint64_t v = val & (~0ull >> (64 - 8 * c->size));
			int before = harness_failures;

			setup(&f, le);
			f.cpu->gpr[4] = DATA - 0x10;
			f.cpu->gpr[5] = 0x10;
			f.cpu->gpr[6] = val;
			fx_run(&f, &c->insn, 1);
			CHECK(fx_ran_to_end(&f, 1));
			if (c->brev)
				v = brev(v, c->size);
			CHECK_EQ(bytes_val(f.ram + DATA, c->size, le), v);
			/* the byte after is untouched */
			CHECK_EQ(f.ram[DATA + c->size], 0x80 + c->size);
			CHECK_EQ(f.cpu->gpr[4], upd ? DATA : DATA - 0x10);
			CHECK_EQ(f.cpu->gpr[6], val);
			if (harness_failures != before)
				printf("  (%s, %s)\n", c->name, le ? "LE" : "BE");
			fx_fini(&f);
		}
	}
}

TEST(ldst_store_bytes)
{
	struct fx f;
	uint32_t stw = D_FORM(36, 6, 4, 0), sthbrx = X_FORM(918, 6, 0, 4);

	setup(&f, false);
	f.cpu->gpr[4] = DATA;
	f.cpu->gpr[6] = 0xa1b2c3d4;
	fx_run(&f, &stw, 1);
	CHECK_EQ(f.ram[DATA], 0xa1);
	CHECK_EQ(f.ram[DATA + 3], 0xd4);
	fx_run(&f, &sthbrx, 1);
	CHECK_EQ(f.ram[DATA], 0xd4);
	CHECK_EQ(f.ram[DATA + 1], 0xc3);
	fx_fini(&f);

	setup(&f, true);
	f.cpu->gpr[4] = DATA;
	f.cpu->gpr[6] = 0xa1b2c3d4;
	fx_run(&f, &stw, 1);
	CHECK_EQ(f.ram[DATA], 0xd4);
	CHECK_EQ(f.ram[DATA + 3], 0xa1);
	fx_run(&f, &sthbrx, 1);
	CHECK_EQ(f.ram[DATA], 0xc3);
	CHECK_EQ(f.ram[DATA + 1], 0xd4);
	fx_fini(&f);
}

/* Store with update where RS = RA stores the old value (valid form) */
TEST(ldst_stwu_rs_equals_ra)
{
	struct fx f;
	uint32_t insn = D_FORM(37, 4, 4, 8);

	setup(&f, false);
	f.cpu->gpr[4] = DATA;
	fx_run(&f, &insn, 1);
	CHECK(fx_ran_to_end(&f, 1));
	CHECK_EQ(bytes_val(f.ram + DATA + 8, 4, false), (uint32_t)DATA);
	CHECK_EQ(f.cpu->gpr[4], DATA + 8);
	fx_fini(&f);
}

/* Invalid forms: illegal instruction, as qemu-ppc64 -cpu power8 (SIGILL) */
TEST(ldst_invalid_forms)
{
	static const uint32_t bad[] = {
		D_FORM(33, 3, 0, 8),	  /* lwzu RA=0 */
		D_FORM(33, 4, 4, 8),	  /* lwzu RA=RT */
		D_FORM(35, 3, 0, 8),	  /* lbzu RA=0 */
		D_FORM(43, 4, 4, 8),	  /* lhau RA=RT */
		D_FORM(41, 4, 4, 8),	  /* lhzu RA=RT */
		X_FORM(55, 4, 4, 5),	  /* lwzux RA=RT */
		X_FORM(373, 4, 4, 5),	  /* lwaux RA=RT */
		X_FORM(119, 3, 0, 5),	  /* lbzux RA=0 */
		DS_FORM(58, 4, 4, 8, 1),  /* ldu RA=RT */
		X_FORM(53, 4, 4, 5),	  /* ldux RA=RT */
		D_FORM(37, 3, 0, 8),	  /* stwu RA=0 */
		D_FORM(39, 3, 0, 8),	  /* stbu RA=0 */
		X_FORM(183, 3, 0, 5),	  /* stwux RA=0 */
		DS_FORM(62, 3, 0, 8, 1),  /* stdu RA=0 */
		DS_FORM(58, 3, 4, 8, 3),  /* opcode 58 xo 3 */
		DS_FORM(62, 3, 4, 8, 3),  /* opcode 62 xo 3 */
		D_FORM(56, 5, 4, 16),	  /* lq odd RTp */
		D_FORM(56, 4, 4, 16),	  /* lq RTp = RA */
		DS_FORM(62, 5, 4, 16, 2), /* stq odd RSp */
		X_FORM(276, 5, 4, 6),	  /* lqarx odd */
		X_FORM(276, 4, 4, 6),	  /* lqarx RTp = RA */
		X_FORM(276, 6, 4, 6),	  /* lqarx RTp = RB */
		X_FORM(182, 5, 4, 6) | 1, /* stqcx. odd */
		X_FORM(166, 0, 4, 5),	  /* dcbtls: not on POWER8 */
		X_FORM(22, 0, 4, 5),	  /* icbt: not on POWER8 */
		X_FORM(758, 0, 4, 5),	  /* dcba: not on POWER8 */
	};

	for (int le = 0; le < 2; le++) {
		for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			struct fx f;
			uint64_t regs[32];

			setup(&f, le);
			for (int r = 0; r < 32; r++)
				f.cpu->gpr[r] = DATA;
			memcpy(regs, f.cpu->gpr, sizeof(regs));
			fx_run(&f, &bad[i], 1);
			if (!took_illegal(&f))
				printf("  insn %08x %s not illegal\n", bad[i], le ? "LE" : "BE");
			CHECK(took_illegal(&f));
			CHECK(!memcmp(regs, f.cpu->gpr, sizeof(regs)));
			fx_fini(&f);
		}
	}
}

/*
 * lswi/lswx: RA (lswi: even RA=0) or RB among the target registers is
 * invalid. (In LE mode the alignment interrupt comes first, as in QEMU.)
 */
TEST(ldst_lswi_lswx_invalid)
{
	static const uint32_t bad_lswi[] = {
		X_FORM(597, 5, 5, 8),	    /* RA = RT */
		X_FORM(597, 5, 6, 8),	    /* RA = RT + 1 */
		X_FORM(597, 30, 0, 12),	    /* r30, r31, r0 and RA = 0 */
		X_FORM(597, 30, 1, 12 + 1), /* r30, r31, r0, r1 */
	};
	uint32_t rb_in = X_FORM(533, 5, 3, 6), ra_in = X_FORM(533, 5, 6, 3);
	uint32_t ok = X_FORM(533, 5, 3, 6);
	struct fx f;

	setup(&f, false);
	for (unsigned i = 0; i < 4; i++) {
		for (int r = 0; r < 32; r++)
			f.cpu->gpr[r] = DATA;
		fx_run(&f, &bad_lswi[i], 1);
		CHECK(took_illegal(&f));
		CHECK_EQ(f.cpu->gpr[5], DATA);
		CHECK_EQ(f.cpu->gpr[30], DATA);
		CHECK_EQ(f.cpu->gpr[0], DATA);
	}
	f.cpu->gpr[3] = DATA;
	f.cpu->gpr[6] = 0;
	f.cpu->xer_bc = 5; /* r5, r6 */
	fx_run(&f, &rb_in, 1);
	CHECK(took_illegal(&f));
	fx_run(&f, &ra_in, 1);
	CHECK(took_illegal(&f));
	/* 4 bytes: only r5 is loaded, RB=r6 is fine (as QEMU) */
	f.cpu->xer_bc = 4;
	fx_run(&f, &ok, 1);
	CHECK(fx_ran_to_end(&f, 1));
	CHECK_EQ(f.cpu->gpr[5], 0x80818283);
	fx_fini(&f);
}

/* Reserved bit 31 of an X-form load is ignored (ISA 1.3.3) */
TEST(ldst_reserved_rc_bit_ignored)
{
	uint32_t insn = X_FORM(23, 3, 4, 5) | 1;
	struct fx f;

	setup(&f, false);
	f.cpu->gpr[4] = DATA;
	f.cpu->gpr[5] = 0;
	f.cpu->cr = 0x12345678;
	fx_run(&f, &insn, 1);
	CHECK(fx_ran_to_end(&f, 1));
	CHECK_EQ(f.cpu->gpr[3], 0x80818283);
	CHECK_EQ(f.cpu->cr, 0x12345678);
	fx_fini(&f);
}

TEST(ldst_lmw_stmw)
{
	uint32_t lmw = D_FORM(46, 28, 4, 0), stmw = D_FORM(47, 29, 4, 0x42);
	struct fx f;

	setup(&f, false);
	f.cpu->gpr[4] = DATA;
	f.cpu->gpr[28] = ~0ull;
	fx_run(&f, &lmw, 1);
	CHECK(fx_ran_to_end(&f, 1));
	CHECK_EQ(f.cpu->gpr[28], 0x80818283); /* high word cleared */
	CHECK_EQ(f.cpu->gpr[29], 0x84858687);
	CHECK_EQ(f.cpu->gpr[30], 0x88898a8b);
	CHECK_EQ(f.cpu->gpr[31], 0x8c8d8e8f);
	CHECK_EQ(f.cpu->gpr[27], 0);

	/* stmw at a misaligned EA works in BE; only low words are stored */
	f.cpu->gpr[29] = 0xffffffff11223344ull;
	f.cpu->gpr[30] = 0x55667788;
	f.cpu->gpr[31] = 0x99aabbcc;
	fx_run(&f, &stmw, 1);
	CHECK(fx_ran_to_end(&f, 1));
	CHECK_EQ(f.ram[DATA + 0x41], 0xc1);
	CHECK_EQ(bytes_val(f.ram + DATA + 0x42, 4, false), 0x11223344);
	CHECK_EQ(bytes_val(f.ram + DATA + 0x46, 4, false), 0x55667788);
	CHECK_EQ(bytes_val(f.ram + DATA + 0x4a, 4, false), 0x99aabbcc);
	CHECK_EQ(f.ram[DATA + 0x4e], 0xce);
	fx_fini(&f);
}

/* lmw with RA in the range: RA gets the loaded word (as POWER8 / QEMU) */
TEST(ldst_lmw_ra_in_range)
{
	uint32_t lmw = D_FORM(46, 30, 31, 0);
	struct fx f;

	setup(&f, false);
	f.cpu->gpr[31] = DATA + 8;
	fx_run(&f, &lmw, 1);
	CHECK(fx_ran_to_end(&f, 1));
	CHECK_EQ(f.cpu->gpr[30], 0x88898a8b);
	CHECK_EQ(f.cpu->gpr[31], 0x8c8d8e8f);
	fx_fini(&f);
}

TEST(ldst_lswi_stswi)
{
	uint32_t lswi7 = X_FORM(597, 5, 3, 7), lswi32 = X_FORM(597, 8, 3, 0);
	uint32_t lswi_wrap = X_FORM(597, 30, 3, 11);
	uint32_t stswi7 = X_FORM(725, 5, 3, 7), stswi32 = X_FORM(725, 8, 3, 0);
	struct fx f;

	setup(&f, false);
	f.cpu->gpr[3] = DATA;
	f.cpu->gpr[5] = f.cpu->gpr[6] = f.cpu->gpr[7] = ~0ull;
	fx_run(&f, &lswi7, 1);
	CHECK(fx_ran_to_end(&f, 1));
	CHECK_EQ(f.cpu->gpr[5], 0x80818283);
	CHECK_EQ(f.cpu->gpr[6], 0x84858600);
	CHECK_EQ(f.cpu->gpr[7], ~0ull);

	/* NB = 0 means 32 bytes: r8..r15 */
	fx_run(&f, &lswi32, 1);
	CHECK(fx_ran_to_end(&f, 1));
	CHECK_EQ(f.cpu->gpr[8], 0x80818283);
	CHECK_EQ(f.cpu->gpr[15], 0x9c9d9e9f);
	CHECK_EQ(f.cpu->gpr[16], 0);

	/* 11 bytes from r30 wrap to r0 (qemu-ppc64: r0 = 0x8090a00 pattern) */
	fx_run(&f, &lswi_wrap, 1);
	CHECK(fx_ran_to_end(&f, 1));
	CHECK_EQ(f.cpu->gpr[30], 0x80818283);
	CHECK_EQ(f.cpu->gpr[31], 0x84858687);
	CHECK_EQ(f.cpu->gpr[0], 0x88898a00);
	CHECK_EQ(f.cpu->gpr[1], 0);

	/* stswi: leftmost bytes of the low words */
	f.cpu->gpr[5] = 0x11111111aabbccddull;
	f.cpu->gpr[6] = 0x22222222eeff0011ull;
	fx_run(&f, &stswi7, 1);
	CHECK(fx_ran_to_end(&f, 1));
	CHECK_EQ(bytes_val(f.ram + DATA, 8, false), 0xaabbccddeeff0087ull);

	for (int r = 8; r < 16; r++)
		f.cpu->gpr[r] = 0x01010101u * (unsigned)r;
	fx_run(&f, &stswi32, 1);
	CHECK_EQ(bytes_val(f.ram + DATA, 4, false), 0x08080808);
	CHECK_EQ(bytes_val(f.ram + DATA + 28, 4, false), 0x0f0f0f0f);
	CHECK_EQ(f.ram[DATA + 32], 0xa0);
	fx_fini(&f);
}

TEST(ldst_lswx_stswx_odd_counts)
{
	uint32_t lswx = X_FORM(533, 5, 3, 10), stswx = X_FORM(661, 5, 3, 10);
	struct fx f;

	setup(&f, false);
	f.cpu->gpr[3] = DATA;
	f.cpu->gpr[10] = 1;
	for (unsigned n = 1; n <= 9; n++) {
		for (int r = 5; r < 10; r++)
			f.cpu->gpr[r] = ~0ull;
		f.cpu->xer_bc = (uint8_t)n;
		fx_run(&f, &lswx, 1);
		CHECK(fx_ran_to_end(&f, 1));
		for (unsigned r = 0; r < (n + 3) / 4; r++) {
			uint32_t want = 0;

			for (unsigned b = 0; b < 4 && r * 4 + b < n; b++)
				want |= (uint32_t)(0x81 + r * 4 + b) << (24 - 8 * b);
			CHECK_EQ(f.cpu->gpr[5 + r], want);
		}
		CHECK_EQ(f.cpu->gpr[5 + (n + 3) / 4], ~0ull);
	}
	/* n = 5 exactly as qemu-ppc64: 0x81828384, 0x85000000 */
	f.cpu->xer_bc = 5;
	fx_run(&f, &lswx, 1);
	CHECK_EQ(f.cpu->gpr[5], 0x81828384);
	CHECK_EQ(f.cpu->gpr[6], 0x85000000);

	/* n = 0: nothing loaded */
	f.cpu->gpr[5] = 0x5555;
	f.cpu->xer_bc = 0;
	fx_run(&f, &lswx, 1);
	CHECK(fx_ran_to_end(&f, 1));
	CHECK_EQ(f.cpu->gpr[5], 0x5555);

	/* stswx: 6 bytes at DATA+1, 3 bytes, 0 bytes */
	f.cpu->gpr[5] = 0x11111111aabbccddull;
	f.cpu->gpr[6] = 0x22222222eeff0011ull;
	f.cpu->xer_bc = 6;
	fx_run(&f, &stswx, 1);
	CHECK_EQ(bytes_val(f.ram + DATA, 8, false), 0x80aabbccddeeff87ull);
	f.cpu->xer_bc = 3;
	f.cpu->gpr[5] = 0x01020304;
	fx_run(&f, &stswx, 1);
	CHECK_EQ(bytes_val(f.ram + DATA, 8, false), 0x80010203ddeeff87ull);
	f.cpu->xer_bc = 0;
	f.cpu->gpr[5] = 0;
	fx_run(&f, &stswx, 1);
	CHECK(fx_ran_to_end(&f, 1));
	CHECK_EQ(bytes_val(f.ram + DATA, 8, false), 0x80010203ddeeff87ull);
	fx_fini(&f);
}

/* In LE mode multiple and string instructions take an alignment interrupt */
TEST(ldst_multiple_string_le_alignment)
{
	static const uint32_t insns[] = {
		D_FORM(46, 28, 3, 4), /* lmw */
		D_FORM(47, 28, 3, 4), /* stmw */
		X_FORM(597, 5, 3, 7), /* lswi */
		X_FORM(533, 5, 3, 7), /* lswx */
		X_FORM(725, 5, 3, 7), /* stswi */
		X_FORM(661, 5, 3, 7), /* stswx */
	};
	static const uint64_t ea[] = { DATA + 4, DATA + 4, DATA, DATA + 4, DATA, DATA + 4 };

	for (unsigned i = 0; i < 6; i++) {
		struct fx f;
		uint64_t regs[32];

		setup(&f, true);
		f.cpu->gpr[3] = DATA;
		f.cpu->gpr[7] = 4;
		f.cpu->xer_bc = 8;
		for (int r = 28; r < 32; r++)
			f.cpu->gpr[r] = 0x1111 * (uint64_t)r;
		memcpy(regs, f.cpu->gpr, sizeof(regs));
		fx_run(&f, &insns[i], 1);
		CHECK(took(&f, VEC_ALIGN));
		CHECK_EQ(f.cpu->spr[SPR_DAR], ea[i]);
		CHECK_EQ(f.cpu->spr[SPR_SRR0], FX_CODE);
		CHECK(!memcmp(regs, f.cpu->gpr, sizeof(regs)));
		CHECK_EQ(f.ram[DATA + 4], 0x84);
		fx_fini(&f);
	}
}

/* lq/stq: register order per ISA 2.07 (checked with qemu -cpu power8) */
TEST(ldst_lq_stq)
{
	uint32_t lq = D_FORM(56, 6, 3, 0x20), stq = DS_FORM(62, 6, 3, 0x30, 2);
	uint32_t lq_dqlow = D_FORM(56, 6, 3, 0x2f);
	struct fx f;

	for (int le = 0; le < 2; le++) {
		setup(&f, le);
		for (unsigned i = 0; i < 16; i++)
			f.ram[DATA + 0x20 + i] = (uint8_t)(0x10 + i);
		f.cpu->gpr[3] = DATA;
		fx_run(&f, &lq, 1);
		CHECK(fx_ran_to_end(&f, 1));
		CHECK_EQ(f.cpu->gpr[6], le ? 0x1f1e1d1c1b1a1918ull : 0x1011121314151617ull);
		CHECK_EQ(f.cpu->gpr[7], le ? 0x1716151413121110ull : 0x18191a1b1c1d1e1full);
		/* reserved low DQ bits are ignored */
		f.cpu->gpr[6] = f.cpu->gpr[7] = 0;
		fx_run(&f, &lq_dqlow, 1);
		CHECK(fx_ran_to_end(&f, 1));
		CHECK_EQ(f.cpu->gpr[6] >> 56, le ? 0x1f : 0x10);

		f.cpu->gpr[6] = 0x1011121314151617ull;
		f.cpu->gpr[7] = 0x18191a1b1c1d1e1full;
		fx_run(&f, &stq, 1);
		CHECK(fx_ran_to_end(&f, 1));
		for (unsigned i = 0; i < 16; i++)
			CHECK_EQ(f.ram[DATA + 0x30 + i], le ? 0x1f - i : 0x10 + i);
		fx_fini(&f);
	}
}

TEST(ldst_lq_stq_misaligned)
{
	uint32_t lq = D_FORM(56, 6, 3, 0x20), stq = DS_FORM(62, 6, 3, 0x28, 2);
	struct fx f;

	for (int le = 0; le < 2; le++) {
		setup(&f, le);
		f.cpu->gpr[3] = DATA + 8;
		f.cpu->gpr[6] = 0x66;
		f.cpu->gpr[7] = 0x77;
		fx_run(&f, &lq, 1);
		CHECK(took(&f, VEC_ALIGN));
		CHECK_EQ(f.cpu->spr[SPR_DAR], DATA + 0x28);
		CHECK_EQ(f.cpu->gpr[6], 0x66);
		CHECK_EQ(f.cpu->gpr[7], 0x77);
		f.cpu->gpr[3] = DATA;
		fx_run(&f, &stq, 1);
		CHECK(took(&f, VEC_ALIGN));
		CHECK_EQ(f.cpu->spr[SPR_DAR], DATA + 0x28);
		CHECK_EQ(f.ram[DATA + 0x28], 0x80 + 0x28);
		fx_fini(&f);
	}
}

/* ---- larx / stcx. ---------------------------------------------------- */

#define LWARX(rt, ra, rb) X_FORM(20, rt, ra, rb)
#define STWCX(rs, ra, rb) (X_FORM(150, rs, ra, rb) | 1)

TEST(ldst_lwarx_stwcx_success)
{
	for (int le = 0; le < 2; le++) {
		uint32_t prog[] = { LWARX(5, 0, 3), STWCX(6, 0, 3) };
		struct fx f;

		setup(&f, le);
		f.cpu->gpr[3] = DATA + 4;
		f.cpu->gpr[6] = 0xcafef00d;
		f.cpu->cr = 0xf0000000;
		fx_run(&f, prog, 2);
		CHECK(fx_ran_to_end(&f, 2));
		CHECK_EQ(f.cpu->gpr[5], le ? 0x87868584 : 0x84858687);
		CHECK_EQ(cr_get_field(f.cpu, 0), 2); /* EQ: stored */
		CHECK_EQ(bytes_val(f.ram + DATA + 4, 4, le), 0xcafef00d);
		CHECK(!f.cpu->resv_valid);
		/* SO is copied into CR0 */
		f.cpu->xer_so = 1;
		fx_run(&f, prog, 2);
		CHECK_EQ(cr_get_field(f.cpu, 0), 3);
		fx_fini(&f);
	}
}

TEST(ldst_stcx_failures)
{
	struct fx f;
	uint32_t no_resv[] = { STWCX(6, 0, 3) };
	uint32_t other_addr[] = { LWARX(5, 0, 3), STWCX(6, 3, 4), STWCX(6, 0, 3) };
	uint32_t other_len[] = { X_FORM(84, 5, 0, 3), X_FORM(150, 6, 0, 3) | 1 };
	/* a store of a different value in between: the CAS fails */
	uint32_t changed[] = { LWARX(5, 0, 3), D_FORM(36, 7, 3, 0), STWCX(6, 0, 3) };

	setup(&f, false);
	f.cpu->gpr[3] = DATA + 8;
	f.cpu->gpr[4] = 4;
	f.cpu->gpr[6] = 0x66666666;
	f.cpu->gpr[7] = 0x77777777;
	f.cpu->cr = 0xf0000000;
	fx_run(&f, no_resv, 1);
	CHECK(fx_ran_to_end(&f, 1));
	CHECK_EQ(cr_get_field(f.cpu, 0), 0);
	CHECK_EQ(bytes_val(f.ram + DATA + 8, 4, false), 0x88898a8b);

	/* stwcx. to another address fails and kills the reservation */
	f.cpu->cr = 0xf0000000;
	fx_run(&f, other_addr, 3);
	CHECK(fx_ran_to_end(&f, 3));
	CHECK_EQ(cr_get_field(f.cpu, 0), 0);
	CHECK_EQ(bytes_val(f.ram + DATA + 8, 8, false), 0x88898a8b8c8d8e8full);

	f.cpu->cr = 0xf0000000;
	fx_run(&f, other_len, 2);
	CHECK(fx_ran_to_end(&f, 2));
	CHECK_EQ(cr_get_field(f.cpu, 0), 0);
	CHECK_EQ(bytes_val(f.ram + DATA + 8, 4, false), 0x88898a8b);

	f.cpu->cr = 0xf0000000;
	fx_run(&f, changed, 3);
	CHECK(fx_ran_to_end(&f, 3));
	CHECK_EQ(cr_get_field(f.cpu, 0), 0);
	CHECK_EQ(bytes_val(f.ram + DATA + 8, 4, false), 0x77777777);
	fx_fini(&f);
}

/* Another vCPU's store between larx and stcx. (simulated): stcx. fails */
TEST(ldst_stcx_fails_after_foreign_store)
{
	uint32_t larx[] = { X_FORM(84, 5, 0, 3) };
	uint32_t stcx[] = { X_FORM(214, 6, 0, 3) | 1 };
	struct fx f;

	setup(&f, true);
	f.cpu->gpr[3] = DATA + 8;
	f.cpu->gpr[6] = 0x6666;
	fx_run(&f, larx, 1);
	CHECK(f.cpu->resv_valid);
	CHECK_EQ(f.cpu->gpr[5], 0x8f8e8d8c8b8a8988ull);
	f.ram[DATA + 9] = 0; /* the "other CPU" */
	fx_run(&f, stcx, 1);
	CHECK(fx_ran_to_end(&f, 1));
	CHECK_EQ(cr_get_field(f.cpu, 0), 0);
	CHECK_EQ(f.ram[DATA + 8], 0x88);
	/* a fresh reservation succeeds */
	fx_run(&f, larx, 1);
	fx_run(&f, stcx, 1);
	CHECK_EQ(cr_get_field(f.cpu, 0), 2);
	CHECK_EQ(bytes_val(f.ram + DATA + 8, 8, true), 0x6666);
	fx_fini(&f);
}

TEST(ldst_larx_stcx_sizes)
{
	static const struct {
		unsigned larx, stcx, size;
	} k[] = { { 52, 694, 1 }, { 116, 726, 2 }, { 20, 150, 4 }, { 84, 214, 8 } };

	for (int le = 0; le < 2; le++) {
		for (unsigned i = 0; i < 4; i++) {
			uint32_t prog[] = { X_FORM(k[i].larx, 5, 3, 4),
					    X_FORM(k[i].stcx, 6, 3, 4) | 1 };
			uint64_t mask = ~0ull >> (64 - 8 * k[i].size);
			struct fx f;
			uint8_t orig[8];

			setup(&f, le);
			memcpy(orig, f.ram + DATA + 16, 8);
			f.cpu->gpr[3] = DATA;
			f.cpu->gpr[4] = 16;
			f.cpu->gpr[6] = 0x0102030405060708ull;
			fx_run(&f, prog, 2);
			CHECK(fx_ran_to_end(&f, 2));
			CHECK_EQ(f.cpu->gpr[5], expect_load(orig, k[i].size, ZERO, le));
			CHECK_EQ(cr_get_field(f.cpu, 0), 2);
			CHECK_EQ(bytes_val(f.ram + DATA + 16, k[i].size, le),
				 0x0102030405060708ull & mask);
			CHECK_EQ(f.ram[DATA + 16 + k[i].size], 0x90 + k[i].size);
			fx_fini(&f);
		}
	}
}

TEST(ldst_larx_stcx_misaligned)
{
	static const uint32_t insns[] = {
		X_FORM(116, 5, 3, 4),	  /* lharx */
		X_FORM(20, 5, 3, 4),	  /* lwarx */
		X_FORM(84, 5, 3, 4),	  /* ldarx */
		X_FORM(726, 5, 3, 4) | 1, /* sthcx. */
		X_FORM(150, 5, 3, 4) | 1, /* stwcx. */
		X_FORM(214, 5, 3, 4) | 1, /* stdcx. */
		X_FORM(276, 6, 3, 4),	  /* lqarx */
		X_FORM(182, 6, 3, 4) | 1, /* stqcx. */
	};
	static const uint64_t off[] = { 1, 2, 4, 1, 2, 4, 8, 8 };

	for (unsigned i = 0; i < sizeof(insns) / sizeof(insns[0]); i++) {
		struct fx f;

		setup(&f, false);
		f.cpu->gpr[3] = DATA;
		f.cpu->gpr[4] = off[i];
		f.cpu->gpr[5] = 0x5555;
		f.cpu->cr = 0xf0000000;
		fx_run(&f, &insns[i], 1);
		CHECK(took(&f, VEC_ALIGN));
		CHECK_EQ(f.cpu->spr[SPR_DAR], DATA + off[i]);
		CHECK_EQ(f.cpu->gpr[5], 0x5555);
		CHECK_EQ(f.cpu->cr, 0xf0000000);
		CHECK_EQ(f.ram[DATA + off[i]], 0x80 + off[i]);
		fx_fini(&f);
	}
}

TEST(ldst_lqarx_stqcx)
{
	for (int le = 0; le < 2; le++) {
		uint32_t prog[] = { X_FORM(276, 6, 0, 3), X_FORM(182, 8, 0, 3) | 1 };
		struct fx f;

		setup(&f, le);
		f.cpu->gpr[3] = DATA + 0x20;
		f.cpu->gpr[8] = 0x1011121314151617ull;
		f.cpu->gpr[9] = 0x18191a1b1c1d1e1full;
		fx_run(&f, prog, 2);
		CHECK(fx_ran_to_end(&f, 2));
		CHECK_EQ(f.cpu->gpr[6], le ? 0xafaeadacabaaa9a8ull : 0xa0a1a2a3a4a5a6a7ull);
		CHECK_EQ(f.cpu->gpr[7], le ? 0xa7a6a5a4a3a2a1a0ull : 0xa8a9aaabacadaeafull);
		CHECK_EQ(cr_get_field(f.cpu, 0), 2);
		for (unsigned i = 0; i < 16; i++)
			CHECK_EQ(f.ram[DATA + 0x20 + i], le ? 0x1f - i : 0x10 + i);
		/* the second half changed behind our back: stqcx. fails */
		fx_run(&f, prog, 1);
		f.ram[DATA + 0x2f] ^= 1;
		f.cpu->gpr[8] = f.cpu->gpr[9] = 0;
		fx_run(&f, prog + 1, 1);
		CHECK_EQ(cr_get_field(f.cpu, 0), 0);
		CHECK_EQ(f.ram[DATA + 0x20], le ? 0x1f : 0x10);
		fx_fini(&f);
	}
}

/* larx to storage that is not memory: data storage interrupt (mem.c) */
TEST(ldst_larx_mmio_dsi)
{
	uint32_t insn = X_FORM(20, 5, 0, 3);
	struct fx f;

	setup(&f, false);
	f.cpu->gpr[3] = MMIO_BASE;
	f.cpu->gpr[5] = 0x5555;
	fx_run(&f, &insn, 1);
	CHECK(took(&f, VEC_DSI));
	CHECK_EQ(f.cpu->gpr[5], 0x5555);
	CHECK(!f.cpu->resv_valid);
	fx_fini(&f);
}

/* ---- Cache management ------------------------------------------------ */

TEST(ldst_dcbz)
{
	uint32_t dcbz = X_FORM(1014, 0, 3, 4);
	struct fx f;

	for (int le = 0; le < 2; le++) {
		setup(&f, le);
		memset(f.ram + FX_DATA, 0xff, 0x400);
		f.cpu->gpr[3] = FX_DATA + 0x100;
		f.cpu->gpr[4] = 0x85;
		fx_run(&f, &dcbz, 1);
		CHECK(fx_ran_to_end(&f, 1));
		for (unsigned i = 0x180; i < 0x200; i++)
			if (f.ram[FX_DATA + i])
				CHECK_EQ(i, ~0u);
		CHECK_EQ(f.ram[FX_DATA + 0x17f], 0xff);
		CHECK_EQ(f.ram[FX_DATA + 0x200], 0xff);
		/* again, now with the write TLB warm (the fast path) */
		memset(f.ram + FX_DATA + 0x100, 0xff, 0x100);
		{
			uint32_t prog[] = { D_FORM(38, 0, 3, 0), dcbz };

			fx_run(&f, prog, 2);
		}
		CHECK(fx_ran_to_end(&f, 2));
		CHECK_EQ(f.ram[FX_DATA + 0x180], 0);
		CHECK_EQ(f.ram[FX_DATA + 0x1ff], 0);
		CHECK_EQ(f.ram[FX_DATA + 0x17f], 0xff);
		CHECK_EQ(f.ram[FX_DATA + 0x200], 0xff);
		fx_fini(&f);
	}
}

/* dcbz on a page that holds decoded code: slow path, memory is cleared */
TEST(ldst_dcbz_code_page)
{
	uint32_t dcbz = X_FORM(1014, 0, 0, 3);
	struct fx f;

	setup(&f, false);
	memset(f.ram + FX_CODE + 0x100, 0xee, 0x80);
	f.cpu->gpr[3] = FX_CODE + 0x100;
	fx_run(&f, &dcbz, 1);
	CHECK(fx_ran_to_end(&f, 1));
	CHECK_EQ(f.ram[FX_CODE + 0x100], 0);
	CHECK_EQ(f.ram[FX_CODE + 0x17f], 0);
	fx_fini(&f);
}

TEST(ldst_cache_nops)
{
	static const uint32_t prog[] = {
		X_FORM(278, 0, 3, 4),  /* dcbt */
		X_FORM(246, 0, 3, 4),  /* dcbtst */
		X_FORM(86, 0, 3, 4),   /* dcbf */
		X_FORM(86, 1, 3, 4),   /* dcbf L=1 */
		X_FORM(54, 0, 3, 4),   /* dcbst */
		X_FORM(982, 0, 3, 4),  /* icbi */
		X_FORM(278, 16, 3, 4), /* dcbt TH=0b10000 (stream) */
	};
	struct fx f;
	uint64_t regs[32];

	setup(&f, false);
	f.cpu->gpr[3] = MMIO_BASE; /* not even memory */
	f.cpu->gpr[4] = 0x40;
	memcpy(regs, f.cpu->gpr, sizeof(regs));
	fx_run(&f, prog, 7);
	CHECK(fx_ran_to_end(&f, 7));
	CHECK(!memcmp(regs, f.cpu->gpr, sizeof(regs)));
	fx_fini(&f);
}

/* ---- Page crossing, 32-bit mode -------------------------------------- */

TEST(ldst_page_crossing)
{
	for (int le = 0; le < 2; le++) {
		uint32_t ld = DS_FORM(58, 5, 3, 0, 0), lwz = D_FORM(32, 6, 3, 2);
		uint32_t std = X_FORM(149, 7, 3, 8), lhz = D_FORM(40, 9, 3, 4);
		uint32_t prog[] = { ld, lwz, lhz, std };
		struct fx f;
		uint8_t *p;

		setup(&f, le);
		p = f.ram + 0x9000 - 5;
		for (unsigned i = 0; i < 16; i++)
			p[i] = (uint8_t)(0x40 + i);
		f.cpu->gpr[3] = 0x9000 - 5;
		f.cpu->gpr[7] = 0x0102030405060708ull;
		f.cpu->gpr[8] = 0x1000; /* std at 0x9ffb..0xa002 */
		fx_run(&f, prog, 4);
		CHECK(fx_ran_to_end(&f, 4));
		CHECK_EQ(f.cpu->gpr[5], bytes_val(p, 8, le));
		CHECK_EQ(f.cpu->gpr[6], bytes_val(p + 2, 4, le));
		CHECK_EQ(f.cpu->gpr[9], bytes_val(p + 4, 2, le));
		CHECK_EQ(bytes_val(f.ram + 0xa000 - 5, 8, le), 0x0102030405060708ull);
		fx_fini(&f);
	}
}

TEST(ldst_32bit_mode)
{
	uint32_t lwzu = D_FORM(33, 5, 4, 0x10), stw = X_FORM(151, 6, 4, 7);
	uint32_t prog[] = { lwzu, stw };
	struct fx f;

	setup(&f, false);
	cpu_set_msr(f.cpu, MSR_ME);
	/* high EA bits are ignored, and RA receives the 32-bit EA */
	f.cpu->gpr[4] = 0x12345678ull << 32 | (DATA - 0x10);
	f.cpu->gpr[6] = 0xabcdef01;
	f.cpu->gpr[7] = 0xffffffff00000008ull;
	fx_run(&f, prog, 2);
	CHECK(fx_ran_to_end(&f, 2));
	CHECK_EQ(f.cpu->gpr[5], 0x80818283);
	CHECK_EQ(f.cpu->gpr[4], DATA);
	CHECK_EQ(bytes_val(f.ram + DATA + 8, 4, false), 0xabcdef01);
	fx_fini(&f);
}

/* ---- MMIO: stop, complete, replay ------------------------------------ */

/* Answer the pending MMIO access (load data in memory order) and resume */
static void mmio_complete(struct fx *f, const uint8_t *data)
{
	struct ppc_cpu *cpu = f->cpu;

	if (!cpu->mmio.is_write)
		memcpy(cpu->mmio.data, data, cpu->mmio.len);
	cpu->mmio_log[cpu->mmio_log_count++] = cpu->mmio;
	cpu_exec(cpu);
}

TEST(ldst_mmio_lwzu)
{
	static const uint8_t ans[4] = { 0x11, 0x22, 0x33, 0x44 };

	for (int le = 0; le < 2; le++) {
		uint32_t insn = D_FORM(33, 5, 4, 0x10);
		struct fx f;
		uint64_t regs[32];

		setup(&f, le);
		f.cpu->gpr[4] = MMIO_BASE + 0x100 - 0x10;
		f.cpu->gpr[5] = 0x5555;
		memcpy(regs, f.cpu->gpr, sizeof(regs));
		CHECK_EQ(fx_run(&f, &insn, 1), STOP_MMIO);
		CHECK_EQ(f.cpu->mmio.pa, MMIO_BASE + 0x100);
		CHECK_EQ(f.cpu->mmio.len, 4);
		CHECK(!f.cpu->mmio.is_write);
		CHECK_EQ(f.cpu->pc, FX_CODE);
		CHECK(!memcmp(regs, f.cpu->gpr, sizeof(regs)));
		mmio_complete(&f, ans);
		CHECK(fx_ran_to_end(&f, 1));
		CHECK_EQ(f.cpu->gpr[5], le ? 0x44332211 : 0x11223344);
		CHECK_EQ(f.cpu->gpr[4], MMIO_BASE + 0x100);
		CHECK_EQ(f.cpu->mmio_log_count, 0);
		fx_fini(&f);
	}
}

TEST(ldst_mmio_lha_lwbrx_ld)
{
	static const uint8_t ans[8] = { 0x80, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07 };

	for (int le = 0; le < 2; le++) {
		static const struct {
			uint32_t insn;
			unsigned len;
			uint64_t be, le;
		} k[] = {
			{ D_FORM(42, 5, 4, 0), 2, 0xffffffffffff8001ull, 0x0180 },
			{ X_FORM(534, 5, 0, 4), 4, 0x03020180, 0x80010203 },
			{ DS_FORM(58, 5, 4, 0, 0), 8, 0x8001020304050607ull,
			  0x0706050403020180ull },
		};

		for (unsigned i = 0; i < 3; i++) {
			struct fx f;

			setup(&f, le);
			f.cpu->gpr[4] = MMIO_BASE + 8;
			f.cpu->gpr[5] = 0x5555;
			CHECK_EQ(fx_run(&f, &k[i].insn, 1), STOP_MMIO);
			CHECK_EQ(f.cpu->mmio.len, k[i].len);
			CHECK_EQ(f.cpu->mmio.pa, MMIO_BASE + 8);
			CHECK_EQ(f.cpu->gpr[5], 0x5555);
			mmio_complete(&f, ans);
			CHECK(fx_ran_to_end(&f, 1));
			CHECK_EQ(f.cpu->gpr[5], le ? k[i].le : k[i].be);
			fx_fini(&f);
		}
	}
}

TEST(ldst_mmio_stores)
{
	for (int le = 0; le < 2; le++) {
		uint32_t stw = D_FORM(36, 6, 4, 4), stwu = D_FORM(37, 6, 4, 4);
		struct fx f;

		setup(&f, le);
		f.cpu->gpr[4] = MMIO_BASE;
		f.cpu->gpr[6] = 0x11223344;
		CHECK_EQ(fx_run(&f, &stw, 1), STOP_MMIO);
		CHECK(f.cpu->mmio.is_write);
		CHECK_EQ(f.cpu->mmio.len, 4);
		CHECK_EQ(f.cpu->mmio.pa, MMIO_BASE + 4);
		CHECK_EQ(f.cpu->mmio.data[0], le ? 0x44 : 0x11);
		CHECK_EQ(f.cpu->mmio.data[3], le ? 0x11 : 0x44);
		mmio_complete(&f, NULL);
		CHECK(fx_ran_to_end(&f, 1));

		/* stwu updates RA only once the store is done */
		CHECK_EQ(fx_run(&f, &stwu, 1), STOP_MMIO);
		CHECK_EQ(f.cpu->gpr[4], MMIO_BASE);
		mmio_complete(&f, NULL);
		CHECK(fx_ran_to_end(&f, 1));
		CHECK_EQ(f.cpu->gpr[4], MMIO_BASE + 4);
		fx_fini(&f);
	}
}

/* lmw from the end of RAM into MMIO: two MMIO words, registers at the end */
TEST(ldst_mmio_lmw_partial)
{
	static const uint8_t a1[4] = { 0xa0, 0xa1, 0xa2, 0xa3 };
	static const uint8_t a2[4] = { 0xb0, 0xb1, 0xb2, 0xb3 };
	uint32_t lmw = D_FORM(46, 28, 4, 0);
	struct fx f;
	uint64_t regs[32];

	setup(&f, false);
	host_st(f.ram + FX_RAM - 8, 4, 0x01020304, false);
	host_st(f.ram + FX_RAM - 4, 4, 0x05060708, false);
	f.cpu->gpr[4] = FX_RAM - 8;
	for (int r = 28; r < 32; r++)
		f.cpu->gpr[r] = 0x1111 * (uint64_t)r;
	memcpy(regs, f.cpu->gpr, sizeof(regs));
	CHECK_EQ(fx_run(&f, &lmw, 1), STOP_MMIO);
	CHECK_EQ(f.cpu->mmio.pa, FX_RAM);
	CHECK(!memcmp(regs, f.cpu->gpr, sizeof(regs)));
	mmio_complete(&f, a1);
	CHECK_EQ(f.cpu->stop, STOP_MMIO);
	CHECK_EQ(f.cpu->mmio.pa, FX_RAM + 4);
	CHECK(!memcmp(regs, f.cpu->gpr, sizeof(regs)));
	mmio_complete(&f, a2);
	CHECK(fx_ran_to_end(&f, 1));
	CHECK_EQ(f.cpu->gpr[28], 0x01020304);
	CHECK_EQ(f.cpu->gpr[29], 0x05060708);
	CHECK_EQ(f.cpu->gpr[30], 0xa0a1a2a3);
	CHECK_EQ(f.cpu->gpr[31], 0xb0b1b2b3);
	fx_fini(&f);
}

/* lswx of 7 bytes from MMIO: one word and a 2 + 1 byte tail */
TEST(ldst_mmio_lswx)
{
	static const uint8_t ans[4] = { 0xc0, 0xc1, 0xc2, 0xc3 };
	uint32_t lswx = X_FORM(533, 5, 0, 4);
	static const unsigned lens[] = { 4, 2, 1 };
	struct fx f;

	setup(&f, false);
	f.cpu->gpr[4] = MMIO_BASE;
	f.cpu->xer_bc = 7;
	CHECK_EQ(fx_run(&f, &lswx, 1), STOP_MMIO);
	for (unsigned i = 0; i < 3; i++) {
		CHECK_EQ(f.cpu->stop, STOP_MMIO);
		CHECK_EQ(f.cpu->mmio.len, lens[i]);
		CHECK_EQ(f.cpu->mmio.pa, MMIO_BASE + 4 * (i > 0) + 2 * (i > 1));
		CHECK_EQ(f.cpu->gpr[5], 0);
		mmio_complete(&f, ans);
	}
	CHECK(fx_ran_to_end(&f, 1));
	CHECK_EQ(f.cpu->gpr[5], 0xc0c1c2c3);
	CHECK_EQ(f.cpu->gpr[6], 0xc0c1c000);
	fx_fini(&f);
}

/* dcbz of an MMIO block: sixteen 8-byte zero stores */
TEST(ldst_mmio_dcbz)
{
	uint32_t dcbz = X_FORM(1014, 0, 0, 4);
	struct fx f;
	unsigned n = 0;

	setup(&f, false);
	f.cpu->gpr[4] = MMIO_BASE + 0x1f0;
	fx_run(&f, &dcbz, 1);
	while (f.cpu->stop == STOP_MMIO && n < 20) {
		static const uint8_t zero[8];

		CHECK(f.cpu->mmio.is_write);
		CHECK_EQ(f.cpu->mmio.pa, MMIO_BASE + 0x180 + 8 * n);
		CHECK(!memcmp(f.cpu->mmio.data, zero, 8));
		n++;
		mmio_complete(&f, NULL);
	}
	CHECK_EQ(n, 16);
	CHECK(fx_ran_to_end(&f, 1));
	fx_fini(&f);
}
