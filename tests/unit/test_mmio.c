/* SPDX-License-Identifier: MIT */
/*
 * MMIO exits through the public API for every integer access form: the exit
 * carries the exact guest physical address, length, direction and data in
 * bus (guest) byte order; the completion writes the right register with the
 * right extension; update forms write RA only once the access is done. Plus
 * multiple/string forms, larx/stcx. (architected DSI), dcbz, accesses that
 * cross from RAM into MMIO, and a VMM that answers with nonsense lengths or
 * never answers.
 */
#include <pthread.h>
#include <unistd.h>

#include "harness.h"
#include "mmio_env.h"

#define BASE  (ME_MMIO + 0x100)
#define STVAL 0x1122334455667788ull

struct form {
	const char *name;
	uint32_t insn;
	bool x;	  /* EA = r4 + r5 (0x10), else r4 + 8 */
	bool upd; /* RA gets EA */
	bool w;
	unsigned len;
	uint64_t bus; /* store: the bytes expected; load: the answer (BE) */
	uint64_t rt;  /* load: r7 afterwards */
};

#define LD(n, op, upd, len, bus, rt)                                   \
	{                                                              \
		n, I_D(op, 7u, 4u, 8), false, upd, false, len, bus, rt \
	}
#define LDS(n, op, xo, upd, len, bus, rt)                                   \
	{                                                                   \
		n, I_DS(op, 7u, 4u, 8, xo), false, upd, false, len, bus, rt \
	}
#define LX(n, xo, upd, len, bus, rt)                                   \
	{                                                              \
		n, I_X(xo, 7u, 4u, 5u), true, upd, false, len, bus, rt \
	}
#define ST(n, op, upd, len, bus)                                     \
	{                                                            \
		n, I_D(op, 6u, 4u, 8), false, upd, true, len, bus, 0 \
	}
#define STS(n, op, xo, upd, len, bus)                                     \
	{                                                                 \
		n, I_DS(op, 6u, 4u, 8, xo), false, upd, true, len, bus, 0 \
	}
#define SX(n, xo, upd, len, bus)                                     \
	{                                                            \
		n, I_X(xo, 6u, 4u, 5u), true, upd, true, len, bus, 0 \
	}

static const struct form forms[] = {
	LD("lbz", 34u, false, 1, 0x9a, 0x9a),
	LD("lbzu", 35u, true, 1, 0x9a, 0x9a),
	LD("lhz", 40u, false, 2, 0x8001, 0x8001),
	LD("lhzu", 41u, true, 2, 0x8001, 0x8001),
	LD("lha", 42u, false, 2, 0x8001, 0xffffffffffff8001ull),
	LD("lhau", 43u, true, 2, 0x8001, 0xffffffffffff8001ull),
	LD("lwz", 32u, false, 4, 0x80010203, 0x80010203),
	LD("lwzu", 33u, true, 4, 0x80010203, 0x80010203),
	LDS("lwa", 58u, 2u, false, 4, 0x80010203, 0xffffffff80010203ull),
	LDS("ld", 58u, 0u, false, 8, 0x8001020304050607ull, 0x8001020304050607ull),
	LDS("ldu", 58u, 1u, true, 8, 0x8001020304050607ull, 0x8001020304050607ull),
	LX("lbzx", 87u, false, 1, 0xfe, 0xfe),
	LX("lbzux", 119u, true, 1, 0xfe, 0xfe),
	LX("lhzx", 279u, false, 2, 0xfedc, 0xfedc),
	LX("lhzux", 311u, true, 2, 0xfedc, 0xfedc),
	LX("lhax", 343u, false, 2, 0xfedc, 0xfffffffffffffedcull),
	LX("lhaux", 375u, true, 2, 0xfedc, 0xfffffffffffffedcull),
	LX("lwzx", 23u, false, 4, 0xfedcba98, 0xfedcba98),
	LX("lwzux", 55u, true, 4, 0xfedcba98, 0xfedcba98),
	LX("lwax", 341u, false, 4, 0xfedcba98, 0xfffffffffedcba98ull),
	LX("lwaux", 373u, true, 4, 0xfedcba98, 0xfffffffffedcba98ull),
	LX("ldx", 21u, false, 8, 0x0123456789abcdefull, 0x0123456789abcdefull),
	LX("ldux", 53u, true, 8, 0x0123456789abcdefull, 0x0123456789abcdefull),
	LX("lhbrx", 790u, false, 2, 0x8001, 0x0180),
	LX("lwbrx", 534u, false, 4, 0x80010203, 0x03020180),
	LX("ldbrx", 532u, false, 8, 0x8001020304050607ull, 0x0706050403020180ull),
	ST("stb", 38u, false, 1, 0x88),
	ST("stbu", 39u, true, 1, 0x88),
	ST("sth", 44u, false, 2, 0x7788),
	ST("sthu", 45u, true, 2, 0x7788),
	ST("stw", 36u, false, 4, 0x55667788),
	ST("stwu", 37u, true, 4, 0x55667788),
	STS("std", 62u, 0u, false, 8, STVAL),
	STS("stdu", 62u, 1u, true, 8, STVAL),
	SX("stbx", 215u, false, 1, 0x88),
	SX("stbux", 247u, true, 1, 0x88),
	SX("sthx", 407u, false, 2, 0x7788),
	SX("sthux", 439u, true, 2, 0x7788),
	SX("stwx", 151u, false, 4, 0x55667788),
	SX("stwux", 183u, true, 4, 0x55667788),
	SX("stdx", 149u, false, 8, STVAL),
	SX("stdux", 181u, true, 8, STVAL),
	SX("sthbrx", 918u, false, 2, 0x8877),
	SX("stwbrx", 662u, false, 4, 0x88776655),
	SX("stdbrx", 660u, false, 8, 0x8877665544332211ull),
};

TEST(mmio_every_integer_form_api)
{
	for (unsigned i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		const struct form *f = &forms[i];
		uint32_t code[] = { f->insn, I_SC1 };
		uint64_t ea = BASE + (f->x ? 0x10 : 8);
		struct menv e;
		int bad = harness_failures;

		CHECK_EQ(me_init(&e, code, 2), 0);
		me_set_gpr(&e, 4, BASE);
		me_set_gpr(&e, 5, 0x10);
		me_set_gpr(&e, 6, STVAL);
		me_set_gpr(&e, 7, 0x5555);
		CHECK_EQ(ppcvm_vcpu_run(e.vcpu), 0);
		CHECK_EQ(e.run->exit_reason, PPCVM_EXIT_MMIO);
		CHECK_EQ(e.run->mmio.phys_addr, ea);
		CHECK_EQ(e.run->mmio.len, f->len);
		CHECK_EQ(e.run->mmio.is_write, f->w);
		/* nothing is written before the access completes */
		CHECK_EQ(me_gpr(&e, 4), BASE);
		CHECK_EQ(me_gpr(&e, 7), 0x5555);
		if (f->w)
			CHECK_EQ(me_getbe(e.run->mmio.data, f->len), f->bus);
		else
			me_putbe(e.run->mmio.data, f->len, f->bus);
		CHECK_EQ(ppcvm_vcpu_run(e.vcpu), 0);
		CHECK_EQ(e.run->exit_reason, PPCVM_EXIT_PAPR_HCALL);
		CHECK_EQ(me_pc(&e), ME_CODE + 8);
		CHECK_EQ(me_gpr(&e, 4), f->upd ? ea : BASE);
		CHECK_EQ(me_gpr(&e, 7), f->w ? 0x5555 : f->rt);
		if (harness_failures != bad)
			printf("  form %s\n", f->name);
		me_fini(&e);
	}
}

/* Little-endian guest: the bus carries the bytes in the guest's order */
TEST(mmio_le_guest_bus_order)
{
	uint32_t code[] = { I_D(36u, 6u, 4u, 0), I_D(32u, 7u, 4u, 4), I_SC1 };
	struct menv e;
	uint64_t msr = 0x8000000000001001ull, lpcr = 1ull << 25;
	struct ppcvm_sregs sr;

	CHECK_EQ(me_init(&e, NULL, 0), 0);
	for (unsigned i = 0; i < 3; i++) { /* LE code: byte-swapped words */
		e.ram[ME_CODE + 4 * i] = (uint8_t)code[i];
		e.ram[ME_CODE + 4 * i + 1] = (uint8_t)(code[i] >> 8);
		e.ram[ME_CODE + 4 * i + 2] = (uint8_t)(code[i] >> 16);
		e.ram[ME_CODE + 4 * i + 3] = (uint8_t)(code[i] >> 24);
	}
	ppcvm_vcpu_get_sregs(e.vcpu, &sr);
	sr.lpcr = lpcr;
	ppcvm_vcpu_set_sregs(e.vcpu, &sr);
	ppcvm_vcpu_set_one_reg(e.vcpu, PPCVM_REG_MSR, &msr);
	me_set_gpr(&e, 4, BASE);
	me_set_gpr(&e, 6, 0x11223344);
	CHECK_EQ(ppcvm_vcpu_run(e.vcpu), 0);
	CHECK_EQ(e.run->exit_reason, PPCVM_EXIT_MMIO);
	CHECK_EQ(e.run->mmio.is_write, 1);
	CHECK_EQ(me_getbe(e.run->mmio.data, 4), 0x44332211);
	CHECK_EQ(ppcvm_vcpu_run(e.vcpu), 0);
	CHECK_EQ(e.run->exit_reason, PPCVM_EXIT_MMIO);
	me_putbe(e.run->mmio.data, 4, 0x01020304);
	CHECK_EQ(ppcvm_vcpu_run(e.vcpu), 0);
	CHECK_EQ(e.run->exit_reason, PPCVM_EXIT_PAPR_HCALL);
	CHECK_EQ(me_gpr(&e, 7), 0x04030201);
	me_fini(&e);
}

/* stmw then lmw of r28..r31 on MMIO: one exit per word, registers at the end */
TEST(mmio_lmw_stmw_lswi_stswi_api)
{
	uint32_t code[] = {
		I_D(47u, 28u, 4u, 0),	 /* stmw r28,0(r4) */
		I_D(46u, 28u, 4u, 0x40), /* lmw r28,0x40(r4) */
		I_X(597u, 10u, 4u, 6u),	 /* lswi r10,r4,6 */
		I_X(725u, 28u, 4u, 3u),	 /* stswi r28,r4,3 */
		I_SC1,
	};
	struct menv e;

	CHECK_EQ(me_init(&e, code, 5), 0);
	me_set_gpr(&e, 4, BASE);
	for (int r = 28; r < 32; r++)
		me_set_gpr(&e, r, 0xabcd00000000ull | (uint64_t)(r * 0x01010101u));
	for (int i = 0; i < 4; i++) {
		CHECK_EQ(ppcvm_vcpu_run(e.vcpu), 0);
		CHECK_EQ(e.run->exit_reason, PPCVM_EXIT_MMIO);
		CHECK_EQ(e.run->mmio.phys_addr, BASE + 4 * i);
		CHECK_EQ(e.run->mmio.len, 4);
		CHECK_EQ(e.run->mmio.is_write, 1);
		CHECK_EQ(me_getbe(e.run->mmio.data, 4), (uint32_t)((28 + i) * 0x01010101u));
	}
	for (int i = 0; i < 4; i++) {
		CHECK_EQ(ppcvm_vcpu_run(e.vcpu), 0);
		CHECK_EQ(e.run->mmio.phys_addr, BASE + 0x40 + 4 * i);
		CHECK_EQ(e.run->mmio.is_write, 0);
		CHECK_EQ(me_gpr(&e, 28), 0xabcd00000000ull | 0x1c1c1c1c);
		me_putbe(e.run->mmio.data, 4, 0xa0a0a0a0u + (uint32_t)i);
	}
	/* lswi of 6 bytes: a word, then 2 bytes */
	CHECK_EQ(ppcvm_vcpu_run(e.vcpu), 0);
	CHECK_EQ(e.run->mmio.phys_addr, BASE);
	CHECK_EQ(e.run->mmio.len, 4);
	me_putbe(e.run->mmio.data, 4, 0x61626364);
	CHECK_EQ(ppcvm_vcpu_run(e.vcpu), 0);
	CHECK_EQ(e.run->mmio.phys_addr, BASE + 4);
	CHECK_EQ(e.run->mmio.len, 2);
	me_putbe(e.run->mmio.data, 2, 0x6566);
	/* stswi of 3 bytes of r28 (after lmw: 0xa0a0a0a0) */
	CHECK_EQ(ppcvm_vcpu_run(e.vcpu), 0);
	CHECK_EQ(e.run->exit_reason, PPCVM_EXIT_MMIO);
	CHECK_EQ(e.run->mmio.is_write, 1);
	{
		unsigned total = 0;

		while (e.run->exit_reason == PPCVM_EXIT_MMIO && total < 8) {
			CHECK_EQ(e.run->mmio.phys_addr, BASE + total);
			for (unsigned k = 0; k < e.run->mmio.len; k++)
				CHECK_EQ(e.run->mmio.data[k], 0xa0);
			total += e.run->mmio.len;
			CHECK_EQ(ppcvm_vcpu_run(e.vcpu), 0);
		}
		CHECK_EQ(total, 3);
	}
	CHECK_EQ(e.run->exit_reason, PPCVM_EXIT_PAPR_HCALL);
	for (int i = 0; i < 4; i++)
		CHECK_EQ(me_gpr(&e, 28 + i), 0xa0a0a0a0u + (uint32_t)i);
	CHECK_EQ(me_gpr(&e, 10), 0x61626364);
	CHECK_EQ(me_gpr(&e, 11), 0x65660000);
	me_fini(&e);
}

/* larx/stcx. to storage that is not memory: the architected DSI, no exit */
TEST(mmio_larx_stcx_dsi)
{
	/* lwarx ldarx stwcx. stdcx. */
	static const uint32_t xo[] = { 20u, 84u, 150u, 214u };

	for (unsigned i = 0; i < 4; i++) {
		uint32_t code[] = { I_X(xo[i], 7u, 0u, 4u) | (i >= 2), I_SC1 };
		struct menv e;
		struct ppcvm_sregs sr;
		uint64_t srr0;

		CHECK_EQ(me_init(&e, code, 2), 0);
		me_set_gpr(&e, 4, BASE);
		CHECK_EQ(ppcvm_vcpu_run(e.vcpu), 0);
		CHECK_EQ(e.run->exit_reason, PPCVM_EXIT_PAPR_HCALL);
		if (i >= 2) {
			uint64_t cr = 0;

			/* no reservation: stcx. fails without storage access */
			ppcvm_vcpu_get_one_reg(e.vcpu, PPCVM_REG_CR, &cr);
			CHECK_EQ(me_pc(&e), ME_CODE + 8);
			CHECK_EQ((cr >> 28) & 2, 0);
			me_fini(&e);
			continue;
		}
		CHECK_EQ(me_pc(&e), 0x304); /* the DSI vector's sc 1 */
		ppcvm_vcpu_get_sregs(e.vcpu, &sr);
		ppcvm_vcpu_get_one_reg(e.vcpu, PPCVM_REG_SPR(26), &srr0);
		CHECK_EQ(srr0, ME_CODE);
		CHECK_EQ(sr.dar, BASE);
		CHECK_EQ(sr.dsisr, 0x04000000u | (i >= 2 ? 0x02000000u : 0));
		me_fini(&e);
	}
}

/* dcbz of an MMIO block: sixteen 8-byte zero stores, all of the block */
TEST(mmio_dcbz_api)
{
	uint32_t code[] = { I_X(1014u, 0u, 0u, 4u), I_SC1 };
	struct menv e;
	unsigned n = 0;

	CHECK_EQ(me_init(&e, code, 2), 0);
	me_set_gpr(&e, 4, BASE + 0x47);
	CHECK_EQ(ppcvm_vcpu_run(e.vcpu), 0);
	while (e.run->exit_reason == PPCVM_EXIT_MMIO && n < 20) {
		CHECK_EQ(e.run->mmio.phys_addr, BASE + 8 * n);
		CHECK_EQ(e.run->mmio.len, 8);
		CHECK_EQ(me_getbe(e.run->mmio.data, 8), 0);
		n++;
		CHECK_EQ(ppcvm_vcpu_run(e.vcpu), 0);
	}
	CHECK_EQ(n, 16);
	CHECK_EQ(e.run->exit_reason, PPCVM_EXIT_PAPR_HCALL);
	me_fini(&e);
}

/* ld/std across the end of RAM: the RAM part from memory, the rest MMIO */
TEST(mmio_ram_to_mmio_crossing)
{
	uint32_t code[] = { I_DS(58u, 7u, 4u, 0, 0u), I_DS(62u, 6u, 4u, 0, 0u), I_SC1 };
	struct menv e;

	CHECK_EQ(me_init(&e, code, 3), 0);
	me_putbe(e.ram + ME_RAM - 3, 3, 0xa1a2a3);
	me_set_gpr(&e, 4, ME_RAM - 3);
	me_set_gpr(&e, 6, STVAL);
	CHECK_EQ(ppcvm_vcpu_run(e.vcpu), 0);
	CHECK_EQ(e.run->exit_reason, PPCVM_EXIT_MMIO);
	CHECK_EQ(e.run->mmio.phys_addr, ME_RAM);
	CHECK_EQ(e.run->mmio.len, 5);
	CHECK_EQ(e.run->mmio.is_write, 0);
	me_putbe(e.run->mmio.data, 5, 0xb1b2b3b4b5ull);
	CHECK_EQ(ppcvm_vcpu_run(e.vcpu), 0);
	CHECK_EQ(e.run->exit_reason, PPCVM_EXIT_MMIO);
	CHECK_EQ(e.run->mmio.is_write, 1);
	CHECK_EQ(e.run->mmio.phys_addr, ME_RAM);
	CHECK_EQ(e.run->mmio.len, 5);
	CHECK_EQ(me_getbe(e.run->mmio.data, 5), STVAL & 0xffffffffffull);
	CHECK_EQ(ppcvm_vcpu_run(e.vcpu), 0);
	CHECK_EQ(e.run->exit_reason, PPCVM_EXIT_PAPR_HCALL);
	CHECK_EQ(me_gpr(&e, 7), 0xa1a2a3b1b2b3b4b5ull);
	CHECK_EQ(me_getbe(e.ram + ME_RAM - 3, 3), STVAL >> 40);
	me_fini(&e);
}

/* The core uses its own recorded length, whatever the VMM writes back */
TEST(mmio_vmm_nonsense_length)
{
	uint32_t code[] = { I_D(40u, 7u, 4u, 0), I_D(36u, 6u, 4u, 0), I_SC1 };
	struct menv e;

	CHECK_EQ(me_init(&e, code, 3), 0);
	me_set_gpr(&e, 4, BASE);
	me_set_gpr(&e, 6, 0x12345678);
	CHECK_EQ(ppcvm_vcpu_run(e.vcpu), 0);
	CHECK_EQ(e.run->exit_reason, PPCVM_EXIT_MMIO);
	memset(e.run->mmio.data, 0x77, 8);
	e.run->mmio.len = 0xffffffffu;
	e.run->mmio.phys_addr = 0xdead;
	e.run->mmio.is_write = 1;
	CHECK_EQ(ppcvm_vcpu_run(e.vcpu), 0);
	CHECK_EQ(e.run->exit_reason, PPCVM_EXIT_MMIO);
	CHECK_EQ(e.run->mmio.len, 4);
	e.run->mmio.len = 0;
	CHECK_EQ(ppcvm_vcpu_run(e.vcpu), 0);
	CHECK_EQ(e.run->exit_reason, PPCVM_EXIT_PAPR_HCALL);
	CHECK_EQ(me_gpr(&e, 7), 0x7777); /* lhz: 2 bytes, zero-extended */
	me_fini(&e);
}

static void *kick_later(void *arg)
{
	usleep(10000);
	ppcvm_vcpu_kick(arg);
	return NULL;
}

/*
 * A VMM that never answers: the exit stays pending; a kick still ends the
 * next run with EXIT_INTR and destroying the VM with the exit pending
 * frees everything (ASan build).
 */
TEST(mmio_vmm_never_answers)
{
	uint32_t code[] = { I_D(32u, 7u, 4u, 0), I_B(0) };
	struct menv e;
	pthread_t t;

	CHECK_EQ(me_init(&e, code, 2), 0);
	me_set_gpr(&e, 4, BASE);
	CHECK_EQ(ppcvm_vcpu_run(e.vcpu), 0);
	CHECK_EQ(e.run->exit_reason, PPCVM_EXIT_MMIO);
	/* kicked while the VMM sits on the exit: the next run is an INTR */
	ppcvm_vcpu_kick(e.vcpu);
	CHECK_EQ(ppcvm_vcpu_run(e.vcpu), 0);
	CHECK_EQ(e.run->exit_reason, PPCVM_EXIT_INTR);
	/* and a vCPU spinning afterwards is kicked from another thread */
	pthread_create(&t, NULL, kick_later, e.vcpu);
	CHECK_EQ(ppcvm_vcpu_run(e.vcpu), 0);
	CHECK_EQ(e.run->exit_reason, PPCVM_EXIT_INTR);
	pthread_join(t, NULL);
	CHECK_EQ(me_pc(&e), ME_CODE + 4);
	/* a second exit left pending at destroy */
	me_set_pc(&e, ME_CODE);
	CHECK_EQ(ppcvm_vcpu_run(e.vcpu), 0);
	CHECK_EQ(e.run->exit_reason, PPCVM_EXIT_MMIO);
	me_fini(&e);
}

/*
 * A guest hammering MMIO with random forms, addresses and sizes, and a VMM
 * answering random data and garbage lengths: every exit is a well-formed
 * access (len 1..8, inside the MMIO window, not RAM), and the run ends at
 * the final sc 1 every time.
 */
TEST(mmio_random_hammer)
{
	static const uint32_t ops[] = { 32u, 33u, 34u, 35u, 36u, 37u, 38u, 39u,
					40u, 41u, 42u, 43u, 44u, 45u, 46u, 47u };
	static const uint32_t xops[] = { 23u,  55u,  87u,  119u, 151u, 183u, 215u, 247u, 279u, 311u,
					 343u, 375u, 407u, 439u, 534u, 662u, 790u, 918u, 21u,  53u,
					 149u, 181u, 532u, 660u, 597u, 725u, 533u, 661u, 1014u };
	unsigned seed = 12345;
	unsigned exits = 0, bad = 0;

	for (int round = 0; round < 200; round++) {
		uint32_t code[4];
		struct menv e;
		int r = 0;

		seed = seed * 1103515245u + 12345u;
		if (seed & 0x10000)
			code[0] = I_D(ops[(seed >> 8) % 16], 8u + (seed >> 20) % 20, 4u,
				      (seed >> 3) & 0x3ff);
		else
			code[0] = I_X(xops[(seed >> 8) % 29], 8u + (seed >> 20) % 20, 4u, 5u);
		code[1] = I_SC1;
		CHECK_EQ(me_init(&e, code, 2), 0);
		me_set_gpr(&e, 4, ME_MMIO + ((seed >> 4) & 0xfff));
		me_set_gpr(&e, 5, (seed >> 12) & 0xff);
		ppcvm_vcpu_set_one_reg(e.vcpu, PPCVM_REG_XER, &(uint64_t){ (seed >> 5) & 0x7f });
		for (r = 0; r < 300; r++) {
			if (ppcvm_vcpu_run(e.vcpu))
				break;
			if (e.run->exit_reason != PPCVM_EXIT_MMIO)
				break;
			exits++;
			if (e.run->mmio.len < 1 || e.run->mmio.len > 8 ||
			    e.run->mmio.phys_addr < ME_RAM)
				bad++;
			for (int k = 0; k < 8; k++)
				e.run->mmio.data[k] = (uint8_t)(seed >> k);
			e.run->mmio.len = seed; /* nonsense */
		}
		/* the final sc 1, or an architected interrupt (the vectors' sc 1) */
		CHECK_EQ(e.run->exit_reason, PPCVM_EXIT_PAPR_HCALL);
		me_fini(&e);
	}
	CHECK_EQ(bad, 0);
	CHECK(exits > 200);
}
