/* SPDX-License-Identifier: MIT */
/*
 * The PAPR page-table hypercalls served in the core (src/core/hcall_mmu.c)
 * and the HPT the core owns (ppcvm_vm_allocate_htab): every hcall's results
 * and errors, called as the run loop calls them (core_hcall on a vCPU with
 * r3..r11 set) and, for the exit path, from a guest's sc 1; then a fuzz of
 * random hcalls with random arguments that must keep the table consistent.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <ppcvm/papr.h>
#include <ppcvm/ppcvm.h>

#include "core/core.h"
#include "harness.h"

#define RAM_SIZE    (4u << 20)
#define MMIO_PA	    0x80000000ull /* no slot: MMIO */
#define NOT_HANDLED 0x7eadbeefll  /* core_hcall returned false (exit) */

/* PAPR flags (IBM bit numbers) */
#define F_EXACT	    (1ull << (63 - 24))
#define F_READ_4    (1ull << (63 - 26))
#define F_AVPN	    (1ull << (63 - 32))
#define F_ANDCOND   (1ull << (63 - 33))
#define F_ZERO_PAGE (1ull << (63 - 48))

/* H_BULK_REMOVE specifier high word */
#define BULK_REQ(fl, ptex) ((1ull << 62) | ((uint64_t)(fl) << 56) | (ptex))
#define BULK_END	   (3ull << 62)
#define TSH_MASK	   ((1ull << 56) - 1)
#define BULK_RESP(code, fl, ptex) \
	((2ull << 62) | ((uint64_t)(code) << 60) | ((uint64_t)(fl) << 56) | (ptex))

struct env {
	struct ppcvm_vm *vm;
	struct ppcvm_vcpu *vcpu;
	uint8_t *ram;
};

static int env_init(struct env *e, int order)
{
	memset(e, 0, sizeof(*e));
	e->ram = aligned_alloc(4096, RAM_SIZE);
	if (!e->ram || ppcvm_vm_create(&e->vm))
		return -1;
	memset(e->ram, 0, RAM_SIZE);
	if (ppcvm_set_memslot(e->vm, 0, 0, RAM_SIZE, e->ram, 0))
		return -1;
	if (order && ppcvm_vm_allocate_htab(e->vm, order))
		return -1;
	return ppcvm_vcpu_create(e->vm, 0, &e->vcpu);
}

static void env_fini(struct env *e)
{
	ppcvm_vm_destroy(e->vm);
	free(e->ram);
}

/* An hcall as the run loop makes it: H_* in r3, or NOT_HANDLED on exit */
static int64_t hc(struct ppcvm_vcpu *v, uint64_t nr, uint64_t r4, uint64_t r5, uint64_t r6,
		  uint64_t r7)
{
	v->cpu.gpr[3] = nr;
	v->cpu.gpr[4] = r4;
	v->cpu.gpr[5] = r5;
	v->cpu.gpr[6] = r6;
	v->cpu.gpr[7] = r7;
	if (!core_hcall(v))
		return NOT_HANDLED;
	return (int64_t)v->cpu.gpr[3];
}

/* A 4K-page entry: AVPN from a tag, RAM page pa, M=1, PP=10 */
static uint64_t mkv(uint64_t tag)
{
	return (tag << HPTE_V_AVPN_SHIFT) | HPTE_V_VALID;
}

static uint64_t mkr(uint64_t pa)
{
	return pa | HPTE_R_M | 0x2;
}

static uint64_t tab_v(struct env *e, uint64_t ptex)
{
	return e->vcpu->cpu.hpt->base[2 * ptex];
}

static uint64_t tab_r(struct env *e, uint64_t ptex)
{
	return e->vcpu->cpu.hpt->base[2 * ptex + 1];
}

TEST(hmmu_allocate_htab)
{
	struct ppcvm_vm *vm;
	struct ppcvm_vcpu *a, *b;
	uint8_t *ram = aligned_alloc(4096, RAM_SIZE);
	struct hpt *old;

	CHECK_EQ(ppcvm_vm_allocate_htab(NULL, 24), -EINVAL);
	CHECK_EQ(ppcvm_vm_create(&vm), 0);
	CHECK_EQ(ppcvm_set_memslot(vm, 0, 0, RAM_SIZE, ram, 0), 0);
	CHECK_EQ(ppcvm_vm_allocate_htab(vm, 17), -EINVAL);
	CHECK_EQ(ppcvm_vm_allocate_htab(vm, 35), -EINVAL);
	CHECK_EQ(ppcvm_vm_allocate_htab(vm, 0xffffffffu), -EINVAL);
	/* no call: the first vCPU brings the default 16 MB table */
	CHECK_EQ(ppcvm_vcpu_create(vm, 0, &a), 0);
	CHECK(a->cpu.hpt != NULL);
	CHECK_EQ(a->cpu.hpt->order, 24);
	CHECK_EQ(a->cpu.hpt->nptegs, 1u << 17);
	CHECK_EQ(a->cpu.hpt->hash_mask, (1u << 17) - 1);
	CHECK_EQ(a->cpu.hpt->nptes, 1u << 20);
	CHECK_EQ(hc(a, H_ENTER, F_EXACT, (1u << 20) - 1, mkv(1), mkr(0x1000)), H_SUCCESS);
	CHECK_EQ(hc(a, H_READ, 0, (1u << 20) - 1, 0, 0), H_SUCCESS);
	CHECK_EQ(a->cpu.gpr[4], mkv(1));

	/* re-allocation: smaller, empty, every vCPU (and later ones) on it */
	CHECK_EQ(ppcvm_vcpu_create(vm, 3, &b), 0);
	CHECK(b->cpu.hpt == a->cpu.hpt);
	old = a->cpu.hpt;
	CHECK_EQ(ppcvm_vm_allocate_htab(vm, 18), 0);
	CHECK(a->cpu.hpt != old);
	CHECK(b->cpu.hpt == a->cpu.hpt);
	CHECK_EQ(a->cpu.hpt->order, 18);
	CHECK_EQ(a->cpu.hpt->nptegs, 1u << 11);
	CHECK_EQ(a->cpu.hpt->hash_mask, (1u << 11) - 1);
	CHECK_EQ(a->cpu.hpt->nptes, 1u << 14);
	CHECK_EQ(hc(a, H_READ, 0, (1u << 20) - 1, 0, 0), H_PARAMETER);
	CHECK_EQ(hc(a, H_READ, 0, (1u << 14) - 1, 0, 0), H_SUCCESS);
	CHECK_EQ(a->cpu.gpr[4], 0);
	CHECK_EQ(hc(b, H_ENTER, 0, 8, mkv(2), mkr(0x2000)), H_SUCCESS);
	/* same order again: a cleared table */
	CHECK_EQ(ppcvm_vm_allocate_htab(vm, 18), 0);
	CHECK_EQ(hc(a, H_READ, 0, 8, 0, 0), H_SUCCESS);
	CHECK_EQ(a->cpu.gpr[4], 0);
	{
		struct ppcvm_vcpu *c;

		CHECK_EQ(ppcvm_vcpu_create(vm, 7, &c), 0);
		CHECK(c->cpu.hpt == a->cpu.hpt);
	}
	/* a large order is allocated lazily (no 1 GB of host memory touched) */
	CHECK_EQ(ppcvm_vm_allocate_htab(vm, 30), 0);
	CHECK_EQ(a->cpu.hpt->nptes, 1u << 26);
	CHECK_EQ(hc(a, H_ENTER, F_EXACT, (1u << 26) - 1, mkv(3), mkr(0x3000)), H_SUCCESS);
	CHECK_EQ(hc(a, H_READ, 0, (1u << 26) - 1, 0, 0), H_SUCCESS);
	CHECK_EQ(a->cpu.gpr[5], mkr(0x3000));
	ppcvm_vm_destroy(vm);
	free(ram);
}

TEST(hmmu_enter_first_free_and_exact)
{
	struct env e;
	struct ppcvm_vcpu *v;

	CHECK_EQ(env_init(&e, 18), 0);
	v = e.vcpu;
	/* first free slot of the group of PTEX 42 (group 5: 40..47) */
	CHECK_EQ(hc(v, H_ENTER, 0, 42, mkv(10), mkr(0x10000)), H_SUCCESS);
	CHECK_EQ(v->cpu.gpr[4], 40);
	CHECK_EQ(hc(v, H_ENTER, 0, 47, mkv(11), mkr(0x11000)), H_SUCCESS);
	CHECK_EQ(v->cpu.gpr[4], 41);
	/* H_EXACT: that slot or H_PTEG_FULL, never another */
	CHECK_EQ(hc(v, H_ENTER, F_EXACT, 45, mkv(12), mkr(0x12000)), H_SUCCESS);
	CHECK_EQ(v->cpu.gpr[4], 45);
	CHECK_EQ(hc(v, H_ENTER, F_EXACT, 45, mkv(13), mkr(0x13000)), H_PTEG_FULL);
	CHECK_EQ(tab_v(&e, 45), mkv(12));
	CHECK_EQ(hc(v, H_ENTER, F_EXACT, 40, mkv(13), mkr(0x13000)), H_PTEG_FULL);
	/* fill the rest: 42, 43, 44, 46, 47, then the group is full */
	for (int i = 0; i < 5; i++) {
		static const uint64_t slots[] = { 42, 43, 44, 46, 47 };

		CHECK_EQ(hc(v, H_ENTER, 0, 40, mkv(20 + i), mkr(0x20000)), H_SUCCESS);
		CHECK_EQ(v->cpu.gpr[4], slots[i]);
	}
	CHECK_EQ(hc(v, H_ENTER, 0, 44, mkv(30), mkr(0x30000)), H_PTEG_FULL);
	/* the next group is untouched */
	CHECK_EQ(hc(v, H_ENTER, 0, 48, mkv(31), mkr(0x31000)), H_SUCCESS);
	CHECK_EQ(v->cpu.gpr[4], 48);
	/* stored as given, except the hypervisor's software bits 0x60 */
	CHECK_EQ(hc(v, H_ENTER, 0, 56, mkv(32) | 0x60 | HPTE_V_BOLTED | HPTE_V_SECONDARY,
		    mkr(0x32000) | HPTE_R_N),
		 H_SUCCESS);
	CHECK_EQ(hc(v, H_READ, 0, 56, 0, 0), H_SUCCESS);
	CHECK_EQ(v->cpu.gpr[4], mkv(32) | HPTE_V_BOLTED | HPTE_V_SECONDARY);
	CHECK_EQ(v->cpu.gpr[5], mkr(0x32000) | HPTE_R_N);
	/* flags Linux or others may pass, no effect here */
	CHECK_EQ(hc(v, H_ENTER, F_ANDCOND | (1ull << (63 - 42)), 64, mkv(33), mkr(0x33000)),
		 H_SUCCESS);
	env_fini(&e);
}

TEST(hmmu_enter_zero_page)
{
	struct env e;

	CHECK_EQ(env_init(&e, 18), 0);
	memset(e.ram + 0x50000, 0xa5, 0x11000);
	CHECK_EQ(hc(e.vcpu, H_ENTER, F_ZERO_PAGE, 0, mkv(1) | HPTE_V_LARGE, mkr(0x50000) | 0x1000),
		 H_SUCCESS); /* 64K page */
	CHECK_EQ(e.ram[0x50000], 0);
	CHECK_EQ(e.ram[0x5ffff], 0);
	CHECK_EQ(e.ram[0x60000], 0xa5);
	CHECK_EQ(e.ram[0x4ffff], 0); /* never written */
	CHECK_EQ(hc(e.vcpu, H_ENTER, 0, 8, mkv(2), mkr(0x60000)), H_SUCCESS);
	CHECK_EQ(e.ram[0x60000], 0xa5);
	env_fini(&e);
}

TEST(hmmu_enter_parameter_errors)
{
	struct env e;
	struct ppcvm_vcpu *v;
	uint64_t n;

	CHECK_EQ(env_init(&e, 18), 0);
	v = e.vcpu;
	n = v->cpu.hpt->nptes;
	/* PTEX outside the table, however large */
	CHECK_EQ(hc(v, H_ENTER, 0, n, mkv(1), mkr(0x1000)), H_PARAMETER);
	CHECK_EQ(hc(v, H_ENTER, F_EXACT, n + 3, mkv(1), mkr(0x1000)), H_PARAMETER);
	CHECK_EQ(hc(v, H_ENTER, 0, ~0ull, mkv(1), mkr(0x1000)), H_PARAMETER);
	CHECK_EQ(hc(v, H_ENTER, 0, 1ull << 60, mkv(1), mkr(0x1000)), H_PARAMETER);
	CHECK_EQ(hc(v, H_ENTER, F_EXACT, n - 1, mkv(1), mkr(0x1000)), H_SUCCESS);
	/* page sizes: 4K, 64K (LP 0x1), 16M (LP 0); anything else refused */
	CHECK_EQ(hc(v, H_ENTER, 0, 8, mkv(2) | HPTE_V_LARGE, mkr(0x10000) | 0x1000), H_SUCCESS);
	CHECK_EQ(hc(v, H_ENTER, 0, 8, mkv(2) | HPTE_V_LARGE, mkr(0x10000) | 0x2000), H_PARAMETER);
	CHECK_EQ(hc(v, H_ENTER, 0, 8, mkv(2) | HPTE_V_LARGE, mkr(0x10000) | 0xf000), H_PARAMETER);
	CHECK_EQ(hc(v, H_ENTER, 0, 8, mkv(2) | HPTE_V_LARGE, mkr(0) | 0x100000), H_PARAMETER);
	/* reserved segment sizes B = 0b10, 0b11 */
	CHECK_EQ(hc(v, H_ENTER, 0, 8, mkv(2) | 2ull << 62, mkr(0x1000)), H_PARAMETER);
	CHECK_EQ(hc(v, H_ENTER, 0, 8, mkv(2) | 3ull << 62, mkr(0x1000)), H_PARAMETER);
	CHECK_EQ(hc(v, H_ENTER, 0, 8, mkv(2) | HPTE_V_1TB_SEG, mkr(0x1000)), H_SUCCESS);
	/* key 31 is the hypervisor's; 30 and 24 are fine */
	CHECK_EQ(hc(v, H_ENTER, 0, 16, mkv(3), mkr(0x1000) | HPTE_R_KEY_HI | HPTE_R_KEY_LO),
		 H_PARAMETER);
	CHECK_EQ(hc(v, H_ENTER, 0, 16, mkv(3), mkr(0x1000) | HPTE_R_KEY_HI | 0xc00), H_SUCCESS);
	CHECK_EQ(hc(v, H_ENTER, 0, 16, mkv(3), mkr(0x1000) | HPTE_R_KEY_HI), H_SUCCESS);
	CHECK_EQ(hpte_key(tab_r(&e, 17)), 24);
	/* MMIO: cache-inhibited only; RAM: either */
	CHECK_EQ(hc(v, H_ENTER, 0, 24, mkv(4), MMIO_PA | HPTE_R_M | 2), H_PARAMETER);
	CHECK_EQ(hc(v, H_ENTER, 0, 24, mkv(4), MMIO_PA | HPTE_R_W | 2), H_PARAMETER);
	CHECK_EQ(hc(v, H_ENTER, 0, 24, mkv(4), MMIO_PA | HPTE_R_I | HPTE_R_G | 2), H_SUCCESS);
	CHECK_EQ(hc(v, H_ENTER, 0, 24, mkv(4), RAM_SIZE | HPTE_R_M | 2), H_PARAMETER);
	CHECK_EQ(hc(v, H_ENTER, 0, 24, mkv(4), (RAM_SIZE - 0x1000) | HPTE_R_M | 2), H_SUCCESS);
	CHECK_EQ(hc(v, H_ENTER, 0, 24, mkv(4), 0x3000 | HPTE_R_I | HPTE_R_M | 2), H_SUCCESS);
	/* a 16M page at 0 covers more than the 4 MB of RAM: MMIO rules */
	CHECK_EQ(hc(v, H_ENTER, 0, 32, mkv(5) | HPTE_V_LARGE, HPTE_R_M | 2), H_PARAMETER);
	CHECK_EQ(hc(v, H_ENTER, 0, 32, mkv(5) | HPTE_V_LARGE, HPTE_R_I | 2), H_SUCCESS);
	/* nothing was written by the refused calls: 1 + 1 + 1 + 2 + 3 + 1 valid */
	{
		unsigned valid = 0;

		for (uint64_t i = 0; i < n; i++)
			valid += tab_v(&e, i) & HPTE_V_VALID;
		CHECK_EQ(valid, 9);
	}
	env_fini(&e);
}

TEST(hmmu_remove_avpn_andcond)
{
	struct env e;
	struct ppcvm_vcpu *v;
	uint64_t gen;

	CHECK_EQ(env_init(&e, 18), 0);
	v = e.vcpu;
	CHECK_EQ(hc(v, H_ENTER, F_EXACT, 100, mkv(0x1234), mkr(0x5000)), H_SUCCESS);
	CHECK_EQ(hc(v, H_ENTER, F_EXACT, 101, mkv(0x1235) | HPTE_V_BOLTED, mkr(0x6000)), H_SUCCESS);
	/* the MMU set R and C meanwhile */
	__atomic_fetch_or(&v->cpu.hpt->base[2 * 100 + 1], HPTE_R_R | HPTE_R_C, __ATOMIC_RELAXED);
	CHECK_EQ(hc(v, H_REMOVE, 0, v->cpu.hpt->nptes, 0, 0), H_PARAMETER);
	CHECK_EQ(hc(v, H_REMOVE, 0, ~0ull, 0, 0), H_PARAMETER);
	CHECK_EQ(hc(v, H_REMOVE, 0, 102, 0, 0), H_NOT_FOUND);
	/* H_AVPN: v without its low 7 bits must equal r6 */
	CHECK_EQ(hc(v, H_REMOVE, F_AVPN, 100, 0x1235ull << 7, 0), H_NOT_FOUND);
	CHECK_EQ(hc(v, H_REMOVE, F_AVPN, 100, mkv(0x1234), 0), H_NOT_FOUND);
	CHECK_EQ(tab_v(&e, 100), mkv(0x1234));
	gen = v->cpu.tlb_flush_gen;
	CHECK_EQ(hc(v, H_REMOVE, F_AVPN, 100, 0x1234ull << 7, 0), H_SUCCESS);
	CHECK_EQ(v->cpu.gpr[4], mkv(0x1234));
	CHECK_EQ(v->cpu.gpr[5], mkr(0x5000) | HPTE_R_R | HPTE_R_C);
	CHECK(v->cpu.tlb_flush_gen > gen); /* the TLBs were flushed */
	CHECK_EQ(tab_v(&e, 100), 0);
	CHECK_EQ(hc(v, H_REMOVE, 0, 100, 0, 0), H_NOT_FOUND);
	/* H_ANDCOND (Linux: r6 = HPTE_V_BOLTED to spare bolted entries) */
	CHECK_EQ(hc(v, H_REMOVE, F_ANDCOND, 101, HPTE_V_BOLTED, 0), H_NOT_FOUND);
	CHECK_EQ(tab_v(&e, 101) & HPTE_V_VALID, 1);
	CHECK_EQ(hc(v, H_REMOVE, F_ANDCOND, 101, 0x8, 0), H_SUCCESS);
	CHECK_EQ(v->cpu.gpr[4], mkv(0x1235) | HPTE_V_BOLTED);
	CHECK_EQ(v->cpu.gpr[5], mkr(0x6000));
	/* the slot is free again */
	CHECK_EQ(hc(v, H_ENTER, F_EXACT, 101, mkv(7), mkr(0x7000)), H_SUCCESS);
	env_fini(&e);
}

TEST(hmmu_read_and_read4)
{
	struct env e;
	struct ppcvm_vcpu *v;
	uint64_t n;

	CHECK_EQ(env_init(&e, 18), 0);
	v = e.vcpu;
	n = v->cpu.hpt->nptes;
	for (unsigned i = 0; i < 4; i++)
		CHECK_EQ(hc(v, H_ENTER, F_EXACT, 8 + i, mkv(0x40 + i), mkr(0x1000 * (i + 1))),
			 H_SUCCESS);
	CHECK_EQ(hc(v, H_READ, 0, 10, 0, 0), H_SUCCESS);
	CHECK_EQ(v->cpu.gpr[4], mkv(0x42));
	CHECK_EQ(v->cpu.gpr[5], mkr(0x3000));
	/* H_READ_4 from PTEX & ~3 into r4..r11 */
	memset(&v->cpu.gpr[8], 0xee, 4 * 8);
	CHECK_EQ(hc(v, H_READ, F_READ_4, 11, 0, 0), H_SUCCESS);
	for (unsigned i = 0; i < 4; i++) {
		CHECK_EQ(v->cpu.gpr[4 + 2 * i], mkv(0x40 + i));
		CHECK_EQ(v->cpu.gpr[5 + 2 * i], mkr(0x1000 * (i + 1)));
	}
	/* empty entries read as zero; the last 4 of the table are in range */
	CHECK_EQ(hc(v, H_READ, F_READ_4, n - 1, 0, 0), H_SUCCESS);
	CHECK_EQ(v->cpu.gpr[4] | v->cpu.gpr[11], 0);
	CHECK_EQ(hc(v, H_READ, F_READ_4, n, 0, 0), H_PARAMETER);
	CHECK_EQ(hc(v, H_READ, 0, n, 0, 0), H_PARAMETER);
	CHECK_EQ(hc(v, H_READ, 0, ~0ull - 2, 0, 0), H_PARAMETER);
	env_fini(&e);
}

TEST(hmmu_protect)
{
	struct env e;
	struct ppcvm_vcpu *v;
	uint64_t r0, gen, flags;

	CHECK_EQ(env_init(&e, 18), 0);
	v = e.vcpu;
	CHECK_EQ(hc(v, H_ENTER, F_EXACT, 200, mkv(0x77), mkr(0x9000) | HPTE_R_N | 0xe00),
		 H_SUCCESS);
	__atomic_fetch_or(&v->cpu.hpt->base[2 * 200 + 1], HPTE_R_C, __ATOMIC_RELAXED);
	r0 = tab_r(&e, 200);
	CHECK_EQ(hc(v, H_PROTECT, 0, v->cpu.hpt->nptes, 0, 0), H_PARAMETER);
	CHECK_EQ(hc(v, H_PROTECT, 0, 201, 0, 0), H_NOT_FOUND);
	CHECK_EQ(hc(v, H_PROTECT, F_AVPN | 1, 200, 0x78ull << 7, 0), H_NOT_FOUND);
	CHECK_EQ(tab_r(&e, 200), r0);
	/* key 31 refused, entry unchanged */
	CHECK_EQ(hc(v, H_PROTECT, 0x3e00 | 1, 200, 0, 0), H_PARAMETER);
	CHECK_EQ(hc(v, H_PROTECT, F_AVPN | 0x3e00, 200, 0x77ull << 7, 0), H_PARAMETER);
	CHECK_EQ(tab_r(&e, 200), r0);
	/*
	 * PP=01, no N, key 0b10011 (19): key bits 0:1 from flags bits 12:13,
	 * key bits 2:4 in place (0x600), PP0 from flags bit 8
	 */
	flags = F_AVPN | 0x2000 | 0x600 | 0x100 | 0x1;
	gen = v->cpu.tlb_flush_gen;
	CHECK_EQ(hc(v, H_PROTECT, flags, 200, 0x77ull << 7, 0), H_SUCCESS);
	CHECK(v->cpu.tlb_flush_gen > gen);
	CHECK_EQ(tab_v(&e, 200), mkv(0x77));
	CHECK_EQ(tab_r(&e, 200),
		 0x9000 | HPTE_R_M | HPTE_R_C | 0x600 | 1 | HPTE_R_PP0 | (2ull << 60));
	CHECK_EQ(hpte_key(tab_r(&e, 200)), 19);
	/* and back to PP=10, N, key 0 */
	CHECK_EQ(hc(v, H_PROTECT, 0x4 | 0x2, 200, 0, 0), H_SUCCESS);
	CHECK_EQ(tab_r(&e, 200), 0x9000 | HPTE_R_M | HPTE_R_C | HPTE_R_N | 2);
	env_fini(&e);
}

TEST(hmmu_bulk_remove_mixed)
{
	struct env e;
	struct ppcvm_vcpu *v;
	struct ppc_cpu *c;

	CHECK_EQ(env_init(&e, 18), 0);
	v = e.vcpu;
	c = &v->cpu;
	CHECK_EQ(hc(v, H_ENTER, F_EXACT, 16, mkv(0x16), mkr(0x1000)), H_SUCCESS);
	CHECK_EQ(hc(v, H_ENTER, F_EXACT, 17, mkv(0x17), mkr(0x2000)), H_SUCCESS);
	CHECK_EQ(hc(v, H_ENTER, F_EXACT, 18, mkv(0x18) | HPTE_V_BOLTED, mkr(0x3000)), H_SUCCESS);
	CHECK_EQ(hc(v, H_ENTER, F_EXACT, 19, mkv(0x19), mkr(0x4000)), H_SUCCESS);
	__atomic_fetch_or(&c->hpt->base[2 * 16 + 1], HPTE_R_R, __ATOMIC_RELAXED);
	__atomic_fetch_or(&c->hpt->base[2 * 19 + 1], HPTE_R_R | HPTE_R_C, __ATOMIC_RELAXED);

	/* absolute ok, AVPN mismatch, ANDCOND on a bolted entry, AVPN ok */
	c->gpr[4] = BULK_REQ(0, 16);
	c->gpr[5] = 0;
	c->gpr[6] = BULK_REQ(2, 17);
	c->gpr[7] = 0x99ull << 7;
	c->gpr[8] = BULK_REQ(1, 18);
	c->gpr[9] = HPTE_V_BOLTED;
	c->gpr[10] = BULK_REQ(2, 19);
	c->gpr[11] = 0x19ull << 7;
	c->gpr[3] = H_BULK_REMOVE;
	CHECK(core_hcall(v));
	CHECK_EQ(c->gpr[3], H_SUCCESS);
	CHECK_EQ(c->gpr[4], BULK_RESP(0, 0, 16) | 1ull << 59); /* R */
	CHECK_EQ(c->gpr[6], BULK_RESP(1, 2, 17));
	CHECK_EQ(c->gpr[8], BULK_RESP(1, 1, 18));
	CHECK_EQ(c->gpr[10], BULK_RESP(0, 2, 19) | 3ull << 58); /* R, C */
	CHECK_EQ(c->gpr[5], 0);					/* low words kept */
	CHECK_EQ(tab_v(&e, 16), 0);
	CHECK_EQ(tab_v(&e, 17), mkv(0x17));
	CHECK_EQ(tab_v(&e, 18) & HPTE_V_VALID, 1);
	CHECK_EQ(tab_v(&e, 19), 0);

	/* an end marker stops the batch; entries after it are not looked at */
	c->gpr[4] = BULK_REQ(2, 17);
	c->gpr[5] = 0x17ull << 7;
	c->gpr[6] = BULK_END;
	c->gpr[8] = BULK_REQ(0, 18);
	c->gpr[3] = H_BULK_REMOVE;
	CHECK(core_hcall(v));
	CHECK_EQ(c->gpr[3], H_SUCCESS);
	CHECK_EQ(c->gpr[4], BULK_RESP(0, 2, 17));
	CHECK_EQ(c->gpr[6], BULK_END);
	CHECK_EQ(c->gpr[8], BULK_REQ(0, 18));
	CHECK_EQ(tab_v(&e, 17), 0);
	CHECK_EQ(tab_v(&e, 18) & HPTE_V_VALID, 1);

	/* parameter errors stop with H_PARAMETER; earlier entries are done */
	CHECK_EQ(hc(v, H_ENTER, F_EXACT, 20, mkv(0x20), mkr(0x1000)), H_SUCCESS);
	c->gpr[4] = BULK_REQ(0, 20);
	c->gpr[6] = BULK_REQ(3, 18); /* AVPN|ANDCOND */
	c->gpr[8] = BULK_REQ(0, 18);
	c->gpr[3] = H_BULK_REMOVE;
	CHECK(core_hcall(v));
	CHECK_EQ(c->gpr[3], (uint64_t)H_PARAMETER);
	CHECK_EQ(c->gpr[4], BULK_RESP(0, 0, 20));
	CHECK_EQ(c->gpr[6], BULK_RESP(2, 3, 18));
	CHECK_EQ(c->gpr[8], BULK_REQ(0, 18));
	CHECK_EQ(tab_v(&e, 20), 0);
	CHECK_EQ(tab_v(&e, 18) & HPTE_V_VALID, 1);

	c->gpr[4] = BULK_REQ(0, c->hpt->nptes); /* PTEX outside */
	c->gpr[3] = H_BULK_REMOVE;
	CHECK(core_hcall(v));
	CHECK_EQ(c->gpr[3], (uint64_t)H_PARAMETER);
	CHECK_EQ(c->gpr[4], BULK_RESP(2, 0, c->hpt->nptes));
	c->gpr[4] = 0; /* type 00 */
	c->gpr[3] = H_BULK_REMOVE;
	CHECK(core_hcall(v));
	CHECK_EQ(c->gpr[3], (uint64_t)H_PARAMETER);
	c->gpr[4] = 2ull << 62 | 18; /* a response */
	c->gpr[3] = H_BULK_REMOVE;
	CHECK(core_hcall(v));
	CHECK_EQ(c->gpr[3], (uint64_t)H_PARAMETER);
	CHECK_EQ(tab_v(&e, 18) & HPTE_V_VALID, 1);
	c->gpr[4] = BULK_END;
	c->gpr[3] = H_BULK_REMOVE;
	CHECK(core_hcall(v));
	CHECK_EQ(c->gpr[3], H_SUCCESS);
	env_fini(&e);
}

TEST(hmmu_clear_ref_mod)
{
	struct env e;
	struct ppcvm_vcpu *v;
	uint64_t gen;

	CHECK_EQ(env_init(&e, 18), 0);
	v = e.vcpu;
	CHECK_EQ(hc(v, H_CLEAR_REF, 0, v->cpu.hpt->nptes, 0, 0), H_PARAMETER);
	CHECK_EQ(hc(v, H_CLEAR_MOD, 0, ~0ull, 0, 0), H_PARAMETER);
	CHECK_EQ(hc(v, H_CLEAR_REF, 0, 300, 0, 0), H_NOT_FOUND);
	CHECK_EQ(hc(v, H_CLEAR_MOD, 0, 300, 0, 0), H_NOT_FOUND);
	CHECK_EQ(hc(v, H_ENTER, F_EXACT, 300, mkv(0x300), mkr(0x8000)), H_SUCCESS);
	__atomic_fetch_or(&v->cpu.hpt->base[2 * 300 + 1], HPTE_R_R | HPTE_R_C, __ATOMIC_RELAXED);
	gen = v->cpu.tlb_flush_gen;
	CHECK_EQ(hc(v, H_CLEAR_REF, 0, 300, 0, 0), H_SUCCESS);
	CHECK_EQ(v->cpu.gpr[4], mkr(0x8000) | HPTE_R_R | HPTE_R_C);
	CHECK_EQ(tab_r(&e, 300), mkr(0x8000) | HPTE_R_C);
	CHECK(v->cpu.tlb_flush_gen > gen);
	CHECK_EQ(hc(v, H_CLEAR_REF, 0, 300, 0, 0), H_SUCCESS);
	CHECK_EQ(v->cpu.gpr[4], mkr(0x8000) | HPTE_R_C);
	CHECK_EQ(hc(v, H_CLEAR_MOD, 0, 300, 0, 0), H_SUCCESS);
	CHECK_EQ(v->cpu.gpr[4], mkr(0x8000) | HPTE_R_C);
	CHECK_EQ(tab_r(&e, 300), mkr(0x8000));
	CHECK_EQ(tab_v(&e, 300), mkv(0x300));
	env_fini(&e);
}

/* Every change to a valid entry flushes every vCPU; filling a free slot not */
TEST(hmmu_invalidation_reaches_every_vcpu)
{
	struct env e;
	struct ppcvm_vcpu *b;
	uint64_t ga, gb;

	CHECK_EQ(env_init(&e, 18), 0);
	CHECK_EQ(ppcvm_vcpu_create(e.vm, 5, &b), 0);
	ga = e.vcpu->cpu.tlb_flush_gen;
	gb = b->cpu.tlb_flush_gen;
	CHECK_EQ(hc(e.vcpu, H_ENTER, 0, 0, mkv(1), mkr(0x1000)), H_SUCCESS);
	CHECK_EQ(hc(b, H_READ, 0, 0, 0, 0), H_SUCCESS);
	CHECK_EQ(e.vcpu->cpu.tlb_flush_gen, ga);
	CHECK_EQ(b->cpu.tlb_flush_gen, gb);
	CHECK_EQ(hc(b, H_PROTECT, 1, 0, 0, 0), H_SUCCESS);
	CHECK(e.vcpu->cpu.tlb_flush_gen > ga);
	CHECK(b->cpu.tlb_flush_gen > gb);
	ga = e.vcpu->cpu.tlb_flush_gen;
	gb = b->cpu.tlb_flush_gen;
	CHECK_EQ(hc(b, H_REMOVE, 0, 0, 0, 0), H_SUCCESS);
	CHECK(e.vcpu->cpu.tlb_flush_gen > ga);
	CHECK(b->cpu.tlb_flush_gen > gb);
	env_fini(&e);
}

TEST(hmmu_disabled_hcalls_exit_to_vmm)
{
	static const uint64_t nrs[] = { H_ENTER,       H_REMOVE,    H_READ,	H_PROTECT,
					H_BULK_REMOVE, H_CLEAR_REF, H_CLEAR_MOD };
	struct env e;

	CHECK_EQ(env_init(&e, 18), 0);
	for (unsigned i = 0; i < 7; i++) {
		uint64_t on[4] = { nrs[i], 1, 0, 0 }, off[4] = { nrs[i], 0, 0, 0 };

		CHECK(core_hcall_implemented(nrs[i]));
		/* on by default */
		CHECK(hc(e.vcpu, nrs[i], 0, e.vcpu->cpu.hpt->nptes, 0, 0) != NOT_HANDLED);
		CHECK_EQ(ppcvm_enable_cap(e.vm, PPCVM_CAP_PPC_ENABLE_HCALL, off), 0);
		CHECK_EQ(hc(e.vcpu, nrs[i], 0, 0, mkv(1), mkr(0x1000)), NOT_HANDLED);
		CHECK_EQ(ppcvm_enable_cap(e.vm, PPCVM_CAP_PPC_ENABLE_HCALL, on), 0);
		CHECK(hc(e.vcpu, nrs[i], 0, e.vcpu->cpu.hpt->nptes, 0, 0) != NOT_HANDLED);
	}
	env_fini(&e);
}

/* ---- Through the run loop: a guest's sc 1 ---- */

#define CODE	   0x10000u
#define SC1	   0x44000022u
#define LI(rt, v)  (0x38000000u | (rt) << 21 | ((v)&0xffff))
#define MR(ra, rs) (0x7c000378u | (rs) << 21 | (ra) << 16 | (rs) << 11)

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

static int guest_start(struct env *e, const uint32_t *code, unsigned n, const uint64_t gpr3_7[5])
{
	struct ppcvm_regs regs;

	for (unsigned i = 0; i < n; i++)
		put32(e->ram + CODE + 4 * i, code[i]);
	for (unsigned a = 0x100; a < 0x1000; a += 0x20)
		put32(e->ram + a, SC1);
	ppcvm_vcpu_get_regs(e->vcpu, &regs);
	regs.pc = CODE;
	regs.msr = 0x8000000000001000ull;
	for (int i = 0; i < 5; i++)
		regs.gpr[3 + i] = gpr3_7[i];
	return ppcvm_vcpu_set_regs(e->vcpu, &regs);
}

TEST(hmmu_guest_enter_read_in_core)
{
	/* H_ENTER; save r3/r4; H_READ of that slot; exit with hcall 0x100 */
	static const uint32_t code[] = {
		SC1,	   MR(20, 3), MR(21, 4), LI(3, H_READ), LI(4, 0),
		MR(5, 21), SC1,	      MR(22, 3), LI(3, 0x100),	SC1,
	};
	const uint64_t args[5] = { H_ENTER, 0, 77, mkv(0xabc), mkr(0x4000) };
	struct ppcvm_run *run;
	struct ppcvm_regs r;
	struct env e;

	CHECK_EQ(env_init(&e, 0), 0);
	run = ppcvm_vcpu_run_data(e.vcpu);
	CHECK_EQ(guest_start(&e, code, 10, args), 0);
	CHECK_EQ(ppcvm_vcpu_run(e.vcpu), 0);
	CHECK_EQ(run->exit_reason, PPCVM_EXIT_PAPR_HCALL);
	CHECK_EQ(run->papr_hcall.nr, 0x100);
	ppcvm_vcpu_get_regs(e.vcpu, &r);
	CHECK_EQ(r.gpr[20], H_SUCCESS);
	CHECK_EQ(r.gpr[21], 72); /* first free slot of group 9 */
	CHECK_EQ(r.gpr[22], H_SUCCESS);
	CHECK_EQ(r.gpr[4], mkv(0xabc));
	CHECK_EQ(r.gpr[5], mkr(0x4000));
	env_fini(&e);
}

TEST(hmmu_guest_disabled_enter_exits)
{
	static const uint32_t code[] = { SC1, MR(20, 3), LI(3, 0x100), SC1 };
	const uint64_t args[5] = { H_ENTER, 0, 77, mkv(0xabc), mkr(0x4000) };
	uint64_t off[4] = { H_ENTER, 0, 0, 0 };
	struct ppcvm_run *run;
	struct ppcvm_regs r;
	struct env e;

	CHECK_EQ(env_init(&e, 0), 0);
	run = ppcvm_vcpu_run_data(e.vcpu);
	CHECK_EQ(ppcvm_enable_cap(e.vm, PPCVM_CAP_PPC_ENABLE_HCALL, off), 0);
	CHECK_EQ(guest_start(&e, code, 4, args), 0);
	CHECK_EQ(ppcvm_vcpu_run(e.vcpu), 0);
	CHECK_EQ(run->exit_reason, PPCVM_EXIT_PAPR_HCALL);
	CHECK_EQ(run->papr_hcall.nr, H_ENTER);
	CHECK_EQ(run->papr_hcall.args[1], 77);
	CHECK_EQ(run->papr_hcall.args[2], mkv(0xabc));
	CHECK_EQ(tab_v(&e, 72), 0); /* the core did not enter it */
	run->papr_hcall.ret = (uint64_t)H_FUNCTION;
	CHECK_EQ(ppcvm_vcpu_run(e.vcpu), 0);
	CHECK_EQ(run->papr_hcall.nr, 0x100);
	ppcvm_vcpu_get_regs(e.vcpu, &r);
	CHECK_EQ(r.gpr[20], (uint64_t)H_FUNCTION);
	env_fini(&e);
}

/* ---- Fuzz ---- */

static uint64_t rnd(uint64_t *s)
{
	/* xorshift64* */
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dull;
}

static uint64_t fuzz_ptex(uint64_t *s, uint64_t n)
{
	switch (rnd(s) % 8) {
	case 0:
		return rnd(s); /* anything */
	case 1:
		return n + rnd(s) % 16; /* just past the end */
	case 2:
		return n - 1 - rnd(s) % 16; /* the last groups */
	case 3:
		return (rnd(s) % 4) * 8 + rnd(s) % 8; /* a few crowded groups */
	default:
		return rnd(s) % n;
	}
}

static uint64_t fuzz_flags(uint64_t *s)
{
	static const uint64_t f[] = { F_EXACT,	   F_READ_4,	      F_AVPN,		F_ANDCOND,
				      F_ZERO_PAGE, 1ull << (63 - 25), 1ull << (63 - 40) };
	uint64_t x = 0;

	if (rnd(s) % 8 == 0)
		return rnd(s);
	for (unsigned i = 0; i < 7; i++)
		if (rnd(s) % 4 == 0)
			x |= f[i];
	return x | (rnd(s) % 2 ? rnd(s) & 0x3f07 : 0); /* protect bits */
}

static uint64_t fuzz_v(uint64_t *s)
{
	uint64_t v;

	if (rnd(s) % 8 == 0)
		return rnd(s);
	v = (rnd(s) & 0x3fffffffffffff80ull) | (rnd(s) & 0x7f) | HPTE_V_VALID;
	if (rnd(s) % 2)
		v &= ~(3ull << 62);
	return v;
}

static uint64_t fuzz_r(uint64_t *s)
{
	uint64_t r;

	switch (rnd(s) % 4) {
	case 0:
		return rnd(s);
	case 1: /* MMIO, maybe cache-inhibited */
		r = MMIO_PA + (rnd(s) % 256) * 0x1000;
		break;
	default: /* RAM, some 64K/16M encodings */
		r = (rnd(s) % (RAM_SIZE / 0x1000)) * 0x1000;
		if (rnd(s) % 4 == 0)
			r = (r & ~0xffffull) | 0x1000;
		break;
	}
	return r | (rnd(s) & 0xfff) | (rnd(s) % 2 ? 0 : rnd(s) & 0xb000000000000000ull);
}

/* What must hold for every valid entry, whatever the guest asked */
static unsigned check_table(struct env *e)
{
	struct hpt *h = e->vcpu->cpu.hpt;
	unsigned bad = 0;

	for (uint64_t i = 0; i < h->nptes; i++) {
		uint64_t v = h->base[2 * i], r = h->base[2 * i + 1];
		uint64_t size, pa;

		if (!(v & HPTE_V_VALID)) {
			bad += (v | r) != 0 && (v & 0x60);
			continue;
		}
		bad += hpte_key(r) == HPTE_KEY_HYPERVISOR;
		bad += (v & 0x60) != 0;
		bad += (v >> 62) > 1;
		if (!(v & HPTE_V_LARGE))
			size = 0x1000;
		else if ((r & 0xf000) == 0x1000)
			size = 0x10000;
		else if ((r & 0xfff000) == 0)
			size = 0x1000000;
		else {
			bad++;
			continue;
		}
		pa = r & HPTE_R_RPN & ~(size - 1);
		if (!(r & HPTE_R_I))
			bad += pa + size > RAM_SIZE;
	}
	return bad;
}

static const uint64_t fuzz_nrs[] = {
	H_ENTER,     H_ENTER,	  H_ENTER, H_REMOVE, H_READ,	  H_PROTECT, H_BULK_REMOVE,
	H_CLEAR_REF, H_CLEAR_MOD, 0,	   0x1c,     H_SET_XDABR, H_RANDOM,
};

/* Successes per hcall (nr / 4), to see the fuzz reach past the checks */
static unsigned fuzz_ok[MAX_HCALL_OPCODE / 4 + 1];

/* The page-table hcalls whose results the fuzz checks */
static bool is_mmu_hcall(uint64_t nr)
{
	return nr == H_ENTER || nr == H_REMOVE || nr == H_READ || nr == H_PROTECT ||
	       nr == H_BULK_REMOVE || nr == H_CLEAR_REF || nr == H_CLEAR_MOD;
}

/*
 * n random hcalls on vCPU v; returns the number of unexpected results. Any
 * other hcall number the dice pick (the core serves more than the page
 * table) only has to come back without harm: its result is not checked.
 */
static unsigned fuzz_run(struct env *e, struct ppcvm_vcpu *v, uint64_t seed, unsigned n)
{
	uint64_t s = seed, nptes = v->cpu.hpt->nptes;
	unsigned bad = 0;

	for (unsigned i = 0; i < n; i++) {
		uint64_t nr = fuzz_nrs[rnd(&s) % (sizeof(fuzz_nrs) / 8)];
		uint64_t ptex = fuzz_ptex(&s, nptes), pv = fuzz_v(&s), pr = fuzz_r(&s);
		uint64_t flags = fuzz_flags(&s);
		int64_t ret;

		if (rnd(&s) % 64 == 0)
			nr = rnd(&s) % (MAX_HCALL_OPCODE + 8) & ~3ull;
		if (nr == H_CEDE || nr == H_SET_MODE)
			continue;
		for (int k = 4; k <= 12; k++)
			v->cpu.gpr[k] = rnd(&s);
		if (nr == H_BULK_REMOVE) {
			for (int k = 0; k < 4; k++) {
				uint64_t t = rnd(&s) % 8 ? 1 : rnd(&s) % 4;

				v->cpu.gpr[4 + 2 * k] = t << 62 | (rnd(&s) % 4) << 56 |
							(fuzz_ptex(&s, nptes) & TSH_MASK);
				v->cpu.gpr[5 + 2 * k] = rnd(&s) % 2 ? pv & ~0x7full : rnd(&s);
			}
			v->cpu.gpr[3] = nr;
			ret = core_hcall(v) ? (int64_t)v->cpu.gpr[3] : NOT_HANDLED;
		} else {
			ret = hc(v, nr, flags, ptex, pv, pr);
		}
		if (ret == NOT_HANDLED) {
			bad += is_mmu_hcall(nr);
			continue;
		}
		if (!is_mmu_hcall(nr))
			continue;
		bad += ret != H_SUCCESS && ret != H_PARAMETER && ret != H_PTEG_FULL &&
		       ret != H_NOT_FOUND;
		bad += ret == H_PTEG_FULL && nr != H_ENTER;
		if (e && ret == H_SUCCESS)
			fuzz_ok[nr / 4]++;
		bad += ptex >= nptes && nr != H_BULK_REMOVE && ret != H_PARAMETER;
		if (nr == H_ENTER && ret == H_SUCCESS) {
			uint64_t slot = v->cpu.gpr[4];

			bad += slot >= nptes || (slot & ~7ull) != (ptex & ~7ull);
			bad += (flags & F_EXACT) && slot != ptex;
			/* another thread may change it at once: only when alone */
			if (e)
				bad += tab_v(e, slot) != (pv & ~0x60ull) || tab_r(e, slot) != pr;
		}
		if (e && nr == H_REMOVE && ret == H_SUCCESS)
			bad += tab_v(e, ptex) != 0;
		if (e && i % 5000 == 0)
			bad += check_table(e);
	}
	return bad;
}

TEST(hmmu_fuzz_100k)
{
	struct env e;
	unsigned bad, valid = 0;

	CHECK_EQ(env_init(&e, 18), 0);
	bad = fuzz_run(&e, e.vcpu, 0x9e3779b97f4a7c15ull, 120000);
	CHECK_EQ(bad, 0);
	CHECK_EQ(check_table(&e), 0);
	for (uint64_t i = 0; i < e.vcpu->cpu.hpt->nptes; i++)
		valid += tab_v(&e, i) & HPTE_V_VALID;
	CHECK(valid > 0); /* the fuzz did reach the table */
	for (unsigned i = 0; i < 9; i++) {
		if (fuzz_nrs[i] != H_ENTER || i == 0)
			CHECK(fuzz_ok[fuzz_nrs[i] / 4] > 100);
	}
	env_fini(&e);
}

struct fuzz_thread {
	struct ppcvm_vcpu *v;
	uint64_t seed;
	unsigned bad;
};

static void *fuzz_thread_fn(void *arg)
{
	struct fuzz_thread *t = arg;

	t->bad = fuzz_run(NULL, t->v, t->seed, 30000);
	return NULL;
}

/* Two vCPUs' hcalls at once: serialised, nothing lost or torn */
TEST(hmmu_fuzz_two_vcpus_concurrently)
{
	struct fuzz_thread t[2];
	pthread_t th[2];
	struct env e;

	CHECK_EQ(env_init(&e, 18), 0);
	t[0].v = e.vcpu;
	CHECK_EQ(ppcvm_vcpu_create(e.vm, 1, &t[1].v), 0);
	for (int i = 0; i < 2; i++) {
		t[i].seed = 0x1234567ull * (i + 3);
		CHECK_EQ(pthread_create(&th[i], NULL, fuzz_thread_fn, &t[i]), 0);
	}
	for (int i = 0; i < 2; i++) {
		pthread_join(th[i], NULL);
		CHECK_EQ(t[i].bad, 0);
	}
	CHECK_EQ(check_table(&e), 0);
	env_fini(&e);
}
