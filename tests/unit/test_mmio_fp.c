/* SPDX-License-Identifier: MIT */
/*
 * MMIO exits for the floating-point and vector loads and stores (through
 * the public API): single with the conversion, double, lfiwax/lfiwzx,
 * stfiwx, update and indexed forms, and lvx/stvx as two 8-byte accesses.
 * The exit carries the bytes in bus order; the completion converts.
 */
#include "harness.h"
#include "mmio_env.h"

#define FBASE	   (ME_MMIO + 0x200)
#define MSR_FP_VEC 0x8000000002003000ull /* SF, VEC, FP, ME */

struct fform {
	const char *name;
	uint32_t insn;
	bool x, upd, w;
	unsigned len;
	uint64_t bus; /* store: expected bytes (BE); load: the answer */
	uint64_t fpr; /* load: f1 after; store: f2 before */
};

#define FL(n, op, upd, len, bus, fpr)                                   \
	{                                                               \
		n, I_D(op, 1u, 4u, 8), false, upd, false, len, bus, fpr \
	}
#define FLX(n, xo, upd, len, bus, fpr)                                  \
	{                                                               \
		n, I_X(xo, 1u, 4u, 5u), true, upd, false, len, bus, fpr \
	}
#define FS(n, op, upd, len, bus, fpr)                                  \
	{                                                              \
		n, I_D(op, 2u, 4u, 8), false, upd, true, len, bus, fpr \
	}
#define FSX(n, xo, upd, len, bus, fpr)                                 \
	{                                                              \
		n, I_X(xo, 2u, 4u, 5u), true, upd, true, len, bus, fpr \
	}

static const struct fform fforms[] = {
	FL("lfs", 48u, false, 4, 0x3fc00000, 0x3ff8000000000000ull), /* 1.5 */
	FL("lfsu", 49u, true, 4, 0xc0490fdb, 0xc00921fb60000000ull), /* -pi (single) */
	FL("lfd", 50u, false, 8, 0x400921fb54442d18ull, 0x400921fb54442d18ull),
	FL("lfdu", 51u, true, 8, 0x7ff0000000000001ull, 0x7ff0000000000001ull),
	FLX("lfsx", 535u, false, 4, 0x00000001, 0x36a0000000000000ull), /* denormal */
	FLX("lfsux", 567u, true, 4, 0x3fc00000, 0x3ff8000000000000ull),
	FLX("lfdx", 599u, false, 8, 0x8000000000000000ull, 0x8000000000000000ull),
	FLX("lfdux", 631u, true, 8, 0x3ff0000000000000ull, 0x3ff0000000000000ull),
	FLX("lfiwax", 855u, false, 4, 0x80000001, 0xffffffff80000001ull),
	FLX("lfiwzx", 887u, false, 4, 0x80000001, 0x0000000080000001ull),
	FS("stfs", 52u, false, 4, 0x40200000, 0x4004000000000000ull), /* 2.5 */
	FS("stfsu", 53u, true, 4, 0x40200000, 0x4004000000000000ull),
	FS("stfd", 54u, false, 8, 0x400921fb54442d18ull, 0x400921fb54442d18ull),
	FS("stfdu", 55u, true, 8, 0xfff8000000000000ull, 0xfff8000000000000ull),
	FSX("stfsx", 663u, false, 4, 0x40200000, 0x4004000000000000ull),
	FSX("stfsux", 695u, true, 4, 0x40200000, 0x4004000000000000ull),
	FSX("stfdx", 727u, false, 8, 0x0123456789abcdefull, 0x0123456789abcdefull),
	FSX("stfdux", 759u, true, 8, 0x0123456789abcdefull, 0x0123456789abcdefull),
	FSX("stfiwx", 983u, false, 4, 0x89abcdef, 0x1234567889abcdefull),
};

static void set_msr(struct menv *e, uint64_t msr)
{
	ppcvm_vcpu_set_one_reg(e->vcpu, PPCVM_REG_MSR, &msr);
}

TEST(mmio_fp_every_form_api)
{
	for (unsigned i = 0; i < sizeof(fforms) / sizeof(fforms[0]); i++) {
		const struct fform *f = &fforms[i];
		uint32_t code[] = { f->insn, I_SC1 };
		uint64_t ea = FBASE + (f->x ? 0x10 : 8), junk = 0x5555, v = 0;
		struct menv e;
		int bad = harness_failures;

		CHECK_EQ(me_init(&e, code, 2), 0);
		set_msr(&e, MSR_FP_VEC);
		me_set_gpr(&e, 4, FBASE);
		me_set_gpr(&e, 5, 0x10);
		ppcvm_vcpu_set_one_reg(e.vcpu, PPCVM_REG_FPR(1), &junk);
		ppcvm_vcpu_set_one_reg(e.vcpu, PPCVM_REG_FPR(2), &f->fpr);
		CHECK_EQ(ppcvm_vcpu_run(e.vcpu), 0);
		CHECK_EQ(e.run->exit_reason, PPCVM_EXIT_MMIO);
		CHECK_EQ(e.run->mmio.phys_addr, ea);
		CHECK_EQ(e.run->mmio.len, f->len);
		CHECK_EQ(e.run->mmio.is_write, f->w);
		CHECK_EQ(me_gpr(&e, 4), FBASE);
		if (f->w)
			CHECK_EQ(me_getbe(e.run->mmio.data, f->len), f->bus);
		else
			me_putbe(e.run->mmio.data, f->len, f->bus);
		CHECK_EQ(ppcvm_vcpu_run(e.vcpu), 0);
		CHECK_EQ(e.run->exit_reason, PPCVM_EXIT_PAPR_HCALL);
		CHECK_EQ(me_pc(&e), ME_CODE + 8);
		CHECK_EQ(me_gpr(&e, 4), f->upd ? ea : FBASE);
		ppcvm_vcpu_get_one_reg(e.vcpu, PPCVM_REG_FPR(1), &v);
		CHECK_EQ(v, f->w ? junk : f->fpr);
		if (harness_failures != bad)
			printf("  form %s\n", f->name);
		me_fini(&e);
	}
}

/* lvx/stvx of an MMIO quadword: two 8-byte accesses, VR written at the end */
TEST(mmio_vmx_lvx_stvx_api)
{
	uint32_t code[] = { I_X(103u, 3u, 0u, 4u), I_X(231u, 3u, 0u, 5u), I_SC1 };
	struct menv e;

	CHECK_EQ(me_init(&e, code, 3), 0);
	set_msr(&e, MSR_FP_VEC);
	me_set_gpr(&e, 4, FBASE + 0x20);
	me_set_gpr(&e, 5, FBASE + 0x40);
	CHECK_EQ(ppcvm_vcpu_run(e.vcpu), 0);
	CHECK_EQ(e.run->exit_reason, PPCVM_EXIT_MMIO);
	CHECK_EQ(e.run->mmio.phys_addr, FBASE + 0x20);
	CHECK_EQ(e.run->mmio.len, 8);
	me_putbe(e.run->mmio.data, 8, 0x0001020304050607ull);
	CHECK_EQ(ppcvm_vcpu_run(e.vcpu), 0);
	CHECK_EQ(e.run->exit_reason, PPCVM_EXIT_MMIO);
	CHECK_EQ(e.run->mmio.phys_addr, FBASE + 0x28);
	me_putbe(e.run->mmio.data, 8, 0x08090a0b0c0d0e0full);
	/* stvx of the same register: the same 16 bytes back, in order */
	CHECK_EQ(ppcvm_vcpu_run(e.vcpu), 0);
	CHECK_EQ(e.run->exit_reason, PPCVM_EXIT_MMIO);
	CHECK_EQ(e.run->mmio.is_write, 1);
	CHECK_EQ(e.run->mmio.phys_addr, FBASE + 0x40);
	CHECK_EQ(me_getbe(e.run->mmio.data, 8), 0x0001020304050607ull);
	CHECK_EQ(ppcvm_vcpu_run(e.vcpu), 0);
	CHECK_EQ(e.run->mmio.phys_addr, FBASE + 0x48);
	CHECK_EQ(me_getbe(e.run->mmio.data, 8), 0x08090a0b0c0d0e0full);
	CHECK_EQ(ppcvm_vcpu_run(e.vcpu), 0);
	CHECK_EQ(e.run->exit_reason, PPCVM_EXIT_PAPR_HCALL);
	me_fini(&e);
}
