/* SPDX-License-Identifier: MIT */
/*
 * The public API as a host program uses it: VM, memory slots, vCPU, run
 * with its exits and the completion protocol, kick, the interrupt line,
 * capabilities, register access.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <ppcvm/papr.h>
#include <ppcvm/ppcvm.h>

#include "harness.h"

#define RAM_SIZE (4u << 20)
#define CODE	 0x10000u

/* Instruction encodings used by the snippets */
#define LI(rt, v)	(0x38000000u | (rt) << 21 | ((v)&0xffff))
#define LIS(rt, v)	(0x3c000000u | (rt) << 21 | ((v)&0xffff))
#define ORI(ra, rs, v)	(0x60000000u | (rs) << 21 | (ra) << 16 | ((v)&0xffff))
#define ADDI(rt, ra, v) (0x38000000u | (rt) << 21 | (ra) << 16 | ((v)&0xffff))
#define LWZ(rt, ra, d)	(0x80000000u | (rt) << 21 | (ra) << 16 | ((d)&0xffff))
#define LWZU(rt, ra, d) (0x84000000u | (rt) << 21 | (ra) << 16 | ((d)&0xffff))
#define LHA(rt, ra, d)	(0xa8000000u | (rt) << 21 | (ra) << 16 | ((d)&0xffff))
#define STW(rs, ra, d)	(0x90000000u | (rs) << 21 | (ra) << 16 | ((d)&0xffff))
#define SC1		0x44000022u
#define SC0		0x44000002u
#define B_SELF		0x48000000u
#define MTMSRD_L1(rs)	(0x7c010164u | (rs) << 21)
#define MTDEC(rs)	(0x7c1603a6u | (rs) << 21)

struct env {
	struct ppcvm_vm *vm;
	struct ppcvm_vcpu *vcpu;
	struct ppcvm_run *run;
	uint8_t *ram;
};

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3];
}

/* A VM with RAM at 0, big-endian 64-bit real mode, code at CODE */
static int env_init(struct env *e, const uint32_t *code, unsigned n)
{
	struct ppcvm_regs regs;

	memset(e, 0, sizeof(*e));
	e->ram = aligned_alloc(4096, RAM_SIZE);
	if (!e->ram || ppcvm_vm_create(&e->vm))
		return -1;
	memset(e->ram, 0, RAM_SIZE);
	if (ppcvm_set_memslot(e->vm, 0, 0, RAM_SIZE, e->ram, 0) ||
	    ppcvm_vcpu_create(e->vm, 0, &e->vcpu))
		return -1;
	e->run = ppcvm_vcpu_run_data(e->vcpu);
	for (unsigned i = 0; i < n; i++)
		put32(e->ram + CODE + 4 * i, code[i]);
	/* every vector: sc 1, so an unexpected interrupt shows as an hcall */
	for (unsigned v = 0x100; v < 0x1000; v += 0x20)
		put32(e->ram + v, SC1);
	ppcvm_vcpu_get_regs(e->vcpu, &regs);
	regs.pc = CODE;
	regs.msr = 0x8000000000001000ull;
	return ppcvm_vcpu_set_regs(e->vcpu, &regs);
}

static void env_fini(struct env *e)
{
	ppcvm_vm_destroy(e->vm);
	free(e->ram);
}

static uint64_t gpr(struct env *e, int n)
{
	struct ppcvm_regs r;

	ppcvm_vcpu_get_regs(e->vcpu, &r);
	return r.gpr[n];
}

TEST(api_vm_lifecycle_and_caps)
{
	struct ppcvm_vm *vm;
	uint64_t args[4] = { H_SET_MODE, 0, 0, 0 };

	CHECK_EQ(ppcvm_vm_create(&vm), 0);
	CHECK(ppcvm_check_cap(vm, PPCVM_CAP_PPC_PAPR) > 0);
	CHECK(ppcvm_check_cap(vm, PPCVM_CAP_NR_VCPUS) >= 1);
	CHECK_EQ(ppcvm_check_cap(vm, 12345), 0);
	CHECK_EQ(ppcvm_enable_cap(vm, PPCVM_CAP_PPC_ENABLE_HCALL, args), 0);
	args[0] = 0x3; /* not a multiple of 4 */
	CHECK_EQ(ppcvm_enable_cap(vm, PPCVM_CAP_PPC_ENABLE_HCALL, args), -EINVAL);
	args[0] = H_PUT_TERM_CHAR; /* not implemented in the core */
	CHECK_EQ(ppcvm_enable_cap(vm, PPCVM_CAP_PPC_ENABLE_HCALL, args), -EINVAL);
	CHECK_EQ(ppcvm_enable_cap(vm, 9999, args), -EINVAL);
	ppcvm_vm_destroy(vm);
	CHECK(ppcvm_version()[0] != 0);
}

TEST(api_memslots)
{
	struct ppcvm_vm *vm;
	uint8_t *a = aligned_alloc(4096, 1 << 20);
	uint8_t buf[8] = { 1, 2, 3, 4, 5, 6, 7, 8 }, back[8];

	ppcvm_vm_create(&vm);
	CHECK_EQ(ppcvm_set_memslot(vm, 0, 0, 1 << 20, a, 0), 0);
	/* overlap refused, unaligned refused, bad slot refused */
	CHECK_EQ(ppcvm_set_memslot(vm, 1, 0x80000, 1 << 20, a, 0), -EEXIST);
	CHECK_EQ(ppcvm_set_memslot(vm, 1, 0x100001, 4096, a, 0), -EINVAL);
	CHECK_EQ(ppcvm_set_memslot(vm, 99, 0x200000, 4096, a, 0), -EINVAL);
	CHECK_EQ(ppcvm_write_phys(vm, 0x1000, buf, 8), 0);
	CHECK_EQ(a[0x1000 + 7], 8);
	CHECK_EQ(ppcvm_read_phys(vm, 0x1000, back, 8), 0);
	CHECK(!memcmp(buf, back, 8));
	CHECK_EQ(ppcvm_read_phys(vm, 0x200000, back, 8), -EFAULT);
	/* move: the old address is gone, the new one works */
	CHECK_EQ(ppcvm_set_memslot(vm, 0, 0x400000, 1 << 20, a, 0), 0);
	CHECK_EQ(ppcvm_read_phys(vm, 0x1000, back, 8), -EFAULT);
	CHECK_EQ(ppcvm_read_phys(vm, 0x401000, back, 8), 0);
	CHECK(!memcmp(buf, back, 8));
	/* delete */
	CHECK_EQ(ppcvm_set_memslot(vm, 0, 0, 0, NULL, 0), 0);
	CHECK_EQ(ppcvm_read_phys(vm, 0x401000, back, 8), -EFAULT);
	ppcvm_vm_destroy(vm);
	free(a);
}

TEST(api_hcall_exit_and_completion)
{
	static const uint32_t code[] = {
		LI(3, 0x58),   LI(4, 7),      LI(12, 9),      SC1, /* exits: unknown to core */
		ADDI(5, 3, 1), ADDI(6, 4, 0), ADDI(7, 12, 0), SC1,
	};
	struct env e;

	CHECK_EQ(env_init(&e, code, 8), 0);
	CHECK_EQ(ppcvm_vcpu_run(e.vcpu), 0);
	CHECK_EQ(e.run->exit_reason, PPCVM_EXIT_PAPR_HCALL);
	CHECK_EQ(e.run->papr_hcall.nr, 0x58);
	CHECK_EQ(e.run->papr_hcall.args[0], 7);
	CHECK_EQ(e.run->papr_hcall.args[8], 9);
	e.run->papr_hcall.ret = 41;
	e.run->papr_hcall.args[0] = 0x1234;
	e.run->papr_hcall.args[8] = 0x99;
	CHECK_EQ(ppcvm_vcpu_run(e.vcpu), 0);
	CHECK_EQ(e.run->exit_reason, PPCVM_EXIT_PAPR_HCALL);
	CHECK_EQ(gpr(&e, 5), 42);
	CHECK_EQ(gpr(&e, 6), 0x1234);
	CHECK_EQ(gpr(&e, 7), 0x99);
	env_fini(&e);
}

TEST(api_mmio_load_store_completion)
{
	static const uint32_t code[] = {
		LIS(9, 0x1000), /* r9 = 0x10000000: no slot there */
		LI(8, 0x1ff),
		STW(8, 9, 0x10),   /* MMIO store */
		LWZU(10, 9, 0x20), /* MMIO load with update */
		LHA(11, 9, 2),	   /* algebraic, 0x10000022 */
		SC1,
	};
	struct env e;
	struct ppcvm_regs r;

	CHECK_EQ(env_init(&e, code, 6), 0);
	CHECK_EQ(ppcvm_vcpu_run(e.vcpu), 0);
	CHECK_EQ(e.run->exit_reason, PPCVM_EXIT_MMIO);
	CHECK_EQ(e.run->mmio.phys_addr, 0x10000010);
	CHECK_EQ(e.run->mmio.len, 4);
	CHECK_EQ(e.run->mmio.is_write, 1);
	CHECK_EQ(get32(e.run->mmio.data), 0x1ff); /* big-endian on the bus */
	CHECK_EQ(ppcvm_vcpu_run(e.vcpu), 0);
	CHECK_EQ(e.run->exit_reason, PPCVM_EXIT_MMIO);
	CHECK_EQ(e.run->mmio.phys_addr, 0x10000020);
	CHECK_EQ(e.run->mmio.is_write, 0);
	/* RA is not updated before the access completes */
	CHECK_EQ(gpr(&e, 9), 0x10000000);
	put32(e.run->mmio.data, 0xcafef00d);
	CHECK_EQ(ppcvm_vcpu_run(e.vcpu), 0);
	CHECK_EQ(e.run->exit_reason, PPCVM_EXIT_MMIO);
	CHECK_EQ(e.run->mmio.phys_addr, 0x10000022);
	CHECK_EQ(e.run->mmio.len, 2);
	e.run->mmio.data[0] = 0x80;
	e.run->mmio.data[1] = 0x01;
	CHECK_EQ(ppcvm_vcpu_run(e.vcpu), 0);
	CHECK_EQ(e.run->exit_reason, PPCVM_EXIT_PAPR_HCALL);
	ppcvm_vcpu_get_regs(e.vcpu, &r);
	CHECK_EQ(r.gpr[10], 0xcafef00d);
	CHECK_EQ(r.gpr[9], 0x10000020);
	CHECK_EQ(r.gpr[11], 0xffffffffffff8001ull);
	CHECK_EQ(r.pc, CODE + 6 * 4);
	env_fini(&e);
}

static void *kicker(void *arg)
{
	usleep(20000);
	ppcvm_vcpu_kick(arg);
	return NULL;
}

TEST(api_kick_from_another_thread)
{
	static const uint32_t code[] = { B_SELF };
	struct env e;
	pthread_t t;

	CHECK_EQ(env_init(&e, code, 1), 0);
	pthread_create(&t, NULL, kicker, e.vcpu);
	CHECK_EQ(ppcvm_vcpu_run(e.vcpu), 0);
	CHECK_EQ(e.run->exit_reason, PPCVM_EXIT_INTR);
	pthread_join(t, NULL);
	/* immediate_exit returns at once */
	e.run->immediate_exit = 1;
	CHECK_EQ(ppcvm_vcpu_run(e.vcpu), 0);
	CHECK_EQ(e.run->exit_reason, PPCVM_EXIT_INTR);
	env_fini(&e);
}

TEST(api_external_interrupt_line)
{
	static const uint32_t code[] = {
		LI(3, 0),
		ORI(3, 3, 0x8000),
		MTMSRD_L1(3),
		B_SELF,
	};
	struct env e;
	struct ppcvm_regs r;

	CHECK_EQ(env_init(&e, code, 4), 0);
	/* asserted before EE is on: taken as soon as mtmsrd sets EE */
	CHECK_EQ(ppcvm_vcpu_set_irq(e.vcpu, 1), 0);
	CHECK_EQ(ppcvm_vcpu_run(e.vcpu), 0);
	CHECK_EQ(e.run->exit_reason, PPCVM_EXIT_PAPR_HCALL);
	ppcvm_vcpu_get_regs(e.vcpu, &r);
	CHECK_EQ(r.pc, 0x504);	     /* after the sc 1 at vector 0x500 */
	CHECK_EQ(r.srr0, CODE + 12); /* the instruction after mtmsrd */
	CHECK(r.srr1 & 0x8000);	     /* EE was on */
	CHECK(!(r.msr & 0x8000));    /* and is off in the handler */
	env_fini(&e);
}

TEST(api_hcall_set_mode_le_in_core)
{
	static const uint32_t code[] = {
		LI(3, 0),
		ORI(3, 3, H_SET_MODE),
		LI(4, 1),
		LI(5, 4),
		LI(6, 0),
		LI(7, 0),
		SC1, /* handled in the core */
		ADDI(20, 3, 0),
		LI(3, 0x100),
		SC1, /* exits */
	};
	struct env e;
	struct ppcvm_sregs s;

	CHECK_EQ(env_init(&e, code, 10), 0);
	CHECK_EQ(ppcvm_vcpu_run(e.vcpu), 0);
	CHECK_EQ(e.run->exit_reason, PPCVM_EXIT_PAPR_HCALL);
	CHECK_EQ(e.run->papr_hcall.nr, 0x100);
	CHECK_EQ(gpr(&e, 20), H_SUCCESS);
	ppcvm_vcpu_get_sregs(e.vcpu, &s);
	CHECK(s.lpcr & (1ull << 25)); /* LPCR[ILE] */
	env_fini(&e);
}

TEST(api_hcall_disabled_goes_to_vmm)
{
	static const uint32_t code[] = {
		LI(3, 0), ORI(3, 3, H_SET_MODE), LI(4, 1), LI(5, 4), SC1,
	};
	uint64_t args[4] = { H_SET_MODE, 0, 0, 0 };
	struct env e;

	CHECK_EQ(env_init(&e, code, 5), 0);
	CHECK_EQ(ppcvm_enable_cap(e.vm, PPCVM_CAP_PPC_ENABLE_HCALL, args), 0);
	CHECK_EQ(ppcvm_vcpu_run(e.vcpu), 0);
	CHECK_EQ(e.run->exit_reason, PPCVM_EXIT_PAPR_HCALL);
	CHECK_EQ(e.run->papr_hcall.nr, H_SET_MODE);
	env_fini(&e);
}

TEST(api_osi_exit)
{
	static const uint32_t code[] = {
		LIS(3, 0x1137),	 ORI(3, 3, 0x24fa),
		LIS(4, 0x7781),	 ORI(4, 4, 0x0f9b),
		LI(31, 77),	 SC0,
		ADDI(30, 31, 1), SC1,
	};
	struct env e;

	CHECK_EQ(env_init(&e, code, 8), 0);
	CHECK_EQ(ppcvm_enable_cap(e.vm, PPCVM_CAP_PPC_OSI, NULL), 0);
	CHECK_EQ(ppcvm_vcpu_run(e.vcpu), 0);
	CHECK_EQ(e.run->exit_reason, PPCVM_EXIT_OSI);
	CHECK_EQ(e.run->osi.gprs[31], 77);
	e.run->osi.gprs[31] = 100;
	CHECK_EQ(ppcvm_vcpu_run(e.vcpu), 0);
	CHECK_EQ(e.run->exit_reason, PPCVM_EXIT_PAPR_HCALL);
	CHECK_EQ(gpr(&e, 30), 101);
	env_fini(&e);
}

TEST(api_cede_wakes_on_decrementer)
{
	static const uint32_t code[] = {
		LIS(3, 0x10),  MTDEC(3), /* DEC = 1M ticks (~2 ms) */
		LI(3, H_CEDE), SC1,	 /* sleep; EE set by H_CEDE */
		B_SELF,
	};
	struct env e;
	struct ppcvm_regs r;

	CHECK_EQ(env_init(&e, code, 5), 0);
	CHECK_EQ(ppcvm_vcpu_run(e.vcpu), 0);
	CHECK_EQ(e.run->exit_reason, PPCVM_EXIT_PAPR_HCALL);
	ppcvm_vcpu_get_regs(e.vcpu, &r);
	CHECK_EQ(r.pc, 0x904);	     /* decrementer vector's sc 1 */
	CHECK_EQ(r.srr0, CODE + 16); /* after the H_CEDE sc 1 */
	env_fini(&e);
}

TEST(api_one_reg)
{
	struct ppcvm_vm *vm;
	struct ppcvm_vcpu *v;
	uint64_t val = 0x1234, got = 0;

	ppcvm_vm_create(&vm);
	CHECK_EQ(ppcvm_vcpu_create(vm, 0, &v), 0);
	CHECK_EQ(ppcvm_vcpu_create(vm, 0, &v), -EEXIST);
	CHECK_EQ(ppcvm_vcpu_set_one_reg(v, PPCVM_REG_GPR(5), &val), 0);
	CHECK_EQ(ppcvm_vcpu_get_one_reg(v, PPCVM_REG_GPR(5), &got), 0);
	CHECK_EQ(got, 0x1234);
	CHECK_EQ(ppcvm_vcpu_set_one_reg(v, PPCVM_REG_SPR(272), &val), 0);
	CHECK_EQ(ppcvm_vcpu_get_one_reg(v, PPCVM_REG_SPR(272), &got), 0);
	CHECK_EQ(got, 0x1234);
	CHECK_EQ(ppcvm_vcpu_get_one_reg(v, PPCVM_REG_PVR, &got), 0);
	CHECK_EQ(got, PPCVM_PVR_POWER8);
	CHECK_EQ(ppcvm_vcpu_get_one_reg(v, PPCVM_REG_PPC | 0x77, &got), -ENOENT);
	val = 1;
	CHECK_EQ(ppcvm_vcpu_set_one_reg(v, PPCVM_REG_HIOR, &val), -EINVAL);
	ppcvm_vm_destroy(vm);
}

TEST(api_rma_bound_real_mode)
{
	static const uint32_t code[] = {
		LIS(9, 0x40),	  /* r9 = 4 MB: just beyond RAM */
		LWZ(10, 9, 0x10), /* DSI: beyond the RMA */
		SC1,
	};
	struct env e;
	struct ppcvm_regs r;
	struct ppcvm_sregs s;

	CHECK_EQ(env_init(&e, code, 3), 0);
	CHECK_EQ(ppcvm_vm_set_rma(e.vm, 123), -EINVAL);
	CHECK_EQ(ppcvm_vm_set_rma(e.vm, RAM_SIZE), 0);
	CHECK_EQ(ppcvm_vcpu_run(e.vcpu), 0);
	CHECK_EQ(e.run->exit_reason, PPCVM_EXIT_PAPR_HCALL);
	ppcvm_vcpu_get_regs(e.vcpu, &r);
	ppcvm_vcpu_get_sregs(e.vcpu, &s);
	CHECK_EQ(r.pc, 0x304); /* DSI vector's sc 1 */
	CHECK_EQ(r.srr0, CODE + 4);
	CHECK_EQ(s.dar, 0x400010);
	CHECK_EQ(s.dsisr, 0x40000000);
	/* back to flat: the same access is MMIO */
	CHECK_EQ(ppcvm_vm_set_rma(e.vm, 0), 0);
	r.pc = CODE + 4;
	r.msr = 0x8000000000001000ull;
	ppcvm_vcpu_set_regs(e.vcpu, &r);
	CHECK_EQ(ppcvm_vcpu_run(e.vcpu), 0);
	CHECK_EQ(e.run->exit_reason, PPCVM_EXIT_MMIO);
	CHECK_EQ(e.run->mmio.phys_addr, 0x400010);
	env_fini(&e);
}
