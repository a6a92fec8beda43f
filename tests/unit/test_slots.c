/* SPDX-License-Identifier: MIT */
/*
 * Memory slots through the public API: add, delete, move, resize, overlap
 * refused; READONLY (reads from memory, writes exit as MMIO with is_write);
 * LOG_DIRTY with ppcvm_get_dirty_log(), exact with the soft TLB and the
 * decoded-code cache warm.
 */
#include <errno.h>

#include "harness.h"
#include "mmio_env.h"

#define S1	0x800000ull /* slot 1 (above slot 0's 4 MB of RAM) */
#define S1_SIZE 0x40000ull  /* 64 pages */

/* lwz r7,0(r4); sc 1 at ME_CODE: run with r4 = addr */
static void load_at(struct menv *e, uint64_t addr)
{
	uint32_t code[] = { I_D(32u, 7u, 4u, 0), I_SC1 };

	me_code(e, ME_CODE, code, 2);
	me_set_pc(e, ME_CODE);
	me_set_gpr(e, 4, addr);
	me_set_gpr(e, 7, 0);
	ppcvm_vcpu_run(e->vcpu);
}

TEST(slots_add_delete_move_resize)
{
	struct menv e;
	uint8_t *b = aligned_alloc(4096, S1_SIZE);

	CHECK_EQ(me_init(&e, NULL, 0), 0);
	memset(b, 0, S1_SIZE);
	me_putbe(b + 0x3000, 4, 0xfeedf00d);
	CHECK_EQ(ppcvm_set_memslot(e.vm, 1, S1, S1_SIZE, b, 0), 0);
	load_at(&e, S1 + 0x3000);
	CHECK_EQ(e.run->exit_reason, PPCVM_EXIT_PAPR_HCALL);
	CHECK_EQ(me_gpr(&e, 7), 0xfeedf00d);
	/* overlaps are refused, from either side; bad arguments too */
	CHECK_EQ(ppcvm_set_memslot(e.vm, 2, S1 + S1_SIZE - 0x1000, 0x2000, b, 0), -EEXIST);
	CHECK_EQ(ppcvm_set_memslot(e.vm, 2, S1 - 0x1000, 0x2000, b, 0), -EEXIST);
	CHECK_EQ(ppcvm_set_memslot(e.vm, 2, 0, 0x1000, b, 0), -EEXIST);
	CHECK_EQ(ppcvm_set_memslot(e.vm, 2, S1 + 1, 0x1000, b, 0), -EINVAL);
	CHECK_EQ(ppcvm_set_memslot(e.vm, 2, S1 * 4, 0x1000, b, 0x80), -EINVAL);
	CHECK_EQ(ppcvm_set_memslot(e.vm, PPCVM_MAX_MEMSLOTS, S1 * 4, 0x1000, b, 0), -EINVAL);
	/* move: the old address is MMIO now (the TLB entry is gone), the new RAM */
	CHECK_EQ(ppcvm_set_memslot(e.vm, 1, 2 * S1, S1_SIZE, b, 0), 0);
	load_at(&e, S1 + 0x3000);
	CHECK_EQ(e.run->exit_reason, PPCVM_EXIT_MMIO);
	CHECK_EQ(e.run->mmio.phys_addr, S1 + 0x3000);
	load_at(&e, 2 * S1 + 0x3000);
	CHECK_EQ(e.run->exit_reason, PPCVM_EXIT_PAPR_HCALL);
	CHECK_EQ(me_gpr(&e, 7), 0xfeedf00d);
	/* resize below the page: it becomes MMIO */
	CHECK_EQ(ppcvm_set_memslot(e.vm, 1, 2 * S1, 0x3000, b, 0), 0);
	load_at(&e, 2 * S1 + 0x3000);
	CHECK_EQ(e.run->exit_reason, PPCVM_EXIT_MMIO);
	/* and back up */
	CHECK_EQ(ppcvm_set_memslot(e.vm, 1, 2 * S1, 0x4000, b, 0), 0);
	load_at(&e, 2 * S1 + 0x3000);
	CHECK_EQ(e.run->exit_reason, PPCVM_EXIT_PAPR_HCALL);
	/* delete; deleting again is fine */
	CHECK_EQ(ppcvm_set_memslot(e.vm, 1, 0, 0, NULL, 0), 0);
	CHECK_EQ(ppcvm_set_memslot(e.vm, 1, 0, 0, NULL, 0), 0);
	load_at(&e, 2 * S1 + 0x3000);
	CHECK_EQ(e.run->exit_reason, PPCVM_EXIT_MMIO);
	/* the freed range can be taken by another slot */
	CHECK_EQ(ppcvm_set_memslot(e.vm, 2, 2 * S1, 0x4000, b, 0), 0);
	me_fini(&e);
	free(b);
}

TEST(slots_readonly)
{
	uint32_t code[] = {
		I_D(32u, 7u, 4u, 0x10), /* lwz: from memory */
		I_D(36u, 6u, 4u, 0x10), /* stw: MMIO exit, is_write */
		I_X(1014u, 0u, 0u, 4u), /* dcbz: 16 store exits */
		I_SC1,
	};
	struct menv e;
	uint8_t *b = aligned_alloc(4096, S1_SIZE);
	unsigned n = 0;

	memset(b, 0x5a, S1_SIZE);
	CHECK_EQ(me_init(&e, code, 4), 0);
	CHECK_EQ(ppcvm_set_memslot(e.vm, 1, S1, S1_SIZE, b, PPCVM_MEM_READONLY), 0);
	me_set_gpr(&e, 4, S1 + 0x100);
	me_set_gpr(&e, 6, 0x01020304);
	CHECK_EQ(ppcvm_vcpu_run(e.vcpu), 0);
	CHECK_EQ(e.run->exit_reason, PPCVM_EXIT_MMIO);
	CHECK_EQ(me_gpr(&e, 7), 0x5a5a5a5a);
	CHECK_EQ(e.run->mmio.phys_addr, S1 + 0x110);
	CHECK_EQ(e.run->mmio.is_write, 1);
	CHECK_EQ(e.run->mmio.len, 4);
	CHECK_EQ(me_getbe(e.run->mmio.data, 4), 0x01020304);
	CHECK_EQ(ppcvm_vcpu_run(e.vcpu), 0);
	while (e.run->exit_reason == PPCVM_EXIT_MMIO && n < 20) {
		CHECK_EQ(e.run->mmio.is_write, 1);
		CHECK_EQ(e.run->mmio.phys_addr, S1 + 0x100 + 8 * n);
		n++;
		CHECK_EQ(ppcvm_vcpu_run(e.vcpu), 0);
	}
	CHECK_EQ(n, 16);
	CHECK_EQ(e.run->exit_reason, PPCVM_EXIT_PAPR_HCALL);
	for (unsigned i = 0; i < S1_SIZE; i++)
		if (b[i] != 0x5a) {
			CHECK_EQ(i, ~0u);
			break;
		}
	/* writable again: the store goes to memory, no exit */
	CHECK_EQ(ppcvm_set_memslot(e.vm, 1, S1, S1_SIZE, b, 0), 0);
	me_set_pc(&e, ME_CODE);
	CHECK_EQ(ppcvm_vcpu_run(e.vcpu), 0);
	CHECK_EQ(e.run->exit_reason, PPCVM_EXIT_PAPR_HCALL);
	CHECK_EQ(me_getbe(b + 0x110, 4), 0); /* stw, then dcbz of the block */
	me_fini(&e);
	free(b);
}

static unsigned dirty_pages(const uint64_t *bm, unsigned npages, unsigned *list, unsigned max)
{
	unsigned n = 0;

	for (unsigned p = 0; p < npages; p++)
		if (bm[p / 64] >> (p % 64) & 1) {
			if (n < max)
				list[n] = p;
			n++;
		}
	return n;
}

TEST(slots_dirty_log_exact)
{
	/* r4 = S1; pages: 0 stw, 3 stb, 5/6 std across, 9 dcbz, 12 stwcx., 20 read */
	uint32_t code[] = {
		I_D(36u, 6u, 4u, 0x10), /* stw page 0 */
		I_ADDIS(8, 4, 0),
		I_ADDI(8, 8, 0x3000),
		I_D(38u, 6u, 8u, 1), /* stb page 3 */
		I_ADDI(8, 4, 0x6000 - 4),
		I_DS(62u, 6u, 8u, 0, 0u), /* std across 5/6 */
		I_ADDI(8, 4, 0x7000),
		I_ADDI(8, 8, 0x2000),
		I_X(1014u, 0u, 0u, 8u), /* dcbz page 9 */
		I_ADDI(8, 4, 0x6000),
		I_ADDI(8, 8, 0x6000),
		I_X(20u, 9u, 0u, 8u),	   /* lwarx page 12 */
		I_X(150u, 9u, 0u, 8u) | 1, /* stwcx. page 12 */
		I_ADDIS(8, 4, 1),
		I_ADDI(8, 8, 0x4000), /* page 20 */
		I_D(32u, 9u, 8u, 0),  /* lwz: not dirty */
		I_LI(10, 3),
		I_MTCTR(10),
		I_ADDI(8, 4, 0x7000),
		I_ADDIS(8, 8, 1),
		I_ADDI(8, 8, 0x7000), /* page 30 */
		I_D(36u, 6u, 8u, 0),  /* loop: stw page 30 x3 */
		I_BDNZ(-4),
		I_SC1,
	};
	static const unsigned want[] = { 0, 3, 5, 6, 9, 12, 30 };
	struct menv e;
	uint8_t *b = aligned_alloc(4096, S1_SIZE);
	uint64_t bm[1];
	unsigned list[16], n;

	memset(b, 0, S1_SIZE);
	CHECK_EQ(me_init(&e, code, sizeof(code) / 4), 0);
	CHECK_EQ(ppcvm_get_dirty_log(e.vm, 0, bm), -EINVAL); /* no LOG_DIRTY */
	CHECK_EQ(ppcvm_get_dirty_log(e.vm, 5, bm), -ENOENT);
	CHECK_EQ(ppcvm_set_memslot(e.vm, 1, S1, S1_SIZE, b, PPCVM_MEM_LOG_DIRTY), 0);
	me_set_gpr(&e, 4, S1);
	me_set_gpr(&e, 6, 0x0102030405060708ull);
	CHECK_EQ(ppcvm_vcpu_run(e.vcpu), 0);
	CHECK_EQ(e.run->exit_reason, PPCVM_EXIT_PAPR_HCALL);
	CHECK_EQ(me_pc(&e), ME_CODE + 4 * sizeof(code) / 4);
	CHECK_EQ(ppcvm_get_dirty_log(e.vm, 1, bm), 0);
	n = dirty_pages(bm, 64, list, 16);
	CHECK_EQ(n, 7);
	for (unsigned i = 0; i < 7 && i < n; i++)
		CHECK_EQ(list[i], want[i]);
	/* cleared on read */
	CHECK_EQ(ppcvm_get_dirty_log(e.vm, 1, bm), 0);
	CHECK_EQ(bm[0], 0);
	/* the host's own writes are not logged */
	CHECK_EQ(ppcvm_write_phys(e.vm, S1 + 0x8000, "x", 1), 0);
	CHECK_EQ(ppcvm_get_dirty_log(e.vm, 1, bm), 0);
	CHECK_EQ(bm[0], 0);
	/* again, with the TLBs warm: the same pages, each store counted */
	me_set_pc(&e, ME_CODE);
	CHECK_EQ(ppcvm_vcpu_run(e.vcpu), 0);
	CHECK_EQ(ppcvm_get_dirty_log(e.vm, 1, bm), 0);
	CHECK_EQ(dirty_pages(bm, 64, list, 16), 7);
	me_fini(&e);
	free(b);
}

/* Code in a LOG_DIRTY slot that stores into its own page (decode cache on) */
TEST(slots_dirty_log_code_page)
{
	uint32_t code[] = {
		I_D(36u, 6u, 4u, 0x100),  /* stw into this code page */
		I_D(36u, 6u, 4u, 0x1100), /* stw into the next page */
		I_SC1,
	};
	struct menv e;
	uint8_t *b = aligned_alloc(4096, S1_SIZE);
	uint64_t bm[1];

	memset(b, 0, S1_SIZE);
	for (unsigned i = 0; i < 3; i++)
		me_put32(b + 4 * i, code[i]);
	CHECK_EQ(me_init(&e, NULL, 0), 0);
	CHECK_EQ(ppcvm_set_memslot(e.vm, 1, S1, S1_SIZE, b, PPCVM_MEM_LOG_DIRTY), 0);
	for (int round = 0; round < 3; round++) {
		me_set_pc(&e, S1);
		me_set_gpr(&e, 4, S1);
		me_set_gpr(&e, 6, 0x60000000); /* a nop */
		CHECK_EQ(ppcvm_vcpu_run(e.vcpu), 0);
		CHECK_EQ(e.run->exit_reason, PPCVM_EXIT_PAPR_HCALL);
		CHECK_EQ(ppcvm_get_dirty_log(e.vm, 1, bm), 0);
		CHECK_EQ(bm[0], 3);
	}
	me_fini(&e);
	free(b);
}
