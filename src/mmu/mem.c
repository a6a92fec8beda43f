/* SPDX-License-Identifier: MIT */
/*
 * Slow path of guest data accesses: translation, the memory slots, TLB
 * refill, code-page tracking, page-crossing accesses and MMIO.
 *
 * MMIO is done by replay: the first time an instruction touches an address
 * no slot covers, the loop stops with the access in cpu->mmio and the
 * instruction is not completed (no register written). The core returns the
 * access to the host as an MMIO exit; when run() is called again the answer
 * is appended to cpu->mmio_log and the same instruction word is executed
 * again, its earlier MMIO accesses now answered from the log. So every load
 * and store form (update, string, multiple, FP) completes exactly as on
 * hardware, with registers written only once every access is done.
 */
#include "mmu/mem.h"

#include <stdatomic.h>

/* Real mode as a partition sees it: EA bits 0:3 are ignored (ISA 5.7.3) */
#define REAL_MODE_MASK 0x0fffffffffffffffull

int mmu_translate(struct ppc_cpu *cpu, const struct dinsn *d, uint64_t ea,
		  enum mem_access acc, uint64_t *pa)
{
	(void)d;
	(void)acc;
	(void)cpu;
	/* Translation on is the hash MMU issue; until then treat it as real */
	*pa = ea & REAL_MODE_MASK;
	return 0;
}

static void tlb_fill(struct tlb_entry *tlb, uint64_t ea, uint8_t *host_page)
{
	struct tlb_entry *e = &tlb[(ea >> 12) & (TLB_SIZE - 1)];

	e->tag = ea & ~0xfffull;
	e->addend = (uintptr_t)host_page - (uintptr_t)(ea & ~0xfffull);
}

static void slot_mark_dirty(struct memslot *s, uint64_t pa)
{
	uint64_t pg = (pa - s->gpa) >> 12;

	if (s->dirty)
		atomic_fetch_or((_Atomic uint64_t *)&s->dirty[pg / 64],
				1ull << (pg % 64));
}

/* MMIO access: answered from the replay log, or stop the loop to ask */
static int mmio_access(struct ppc_cpu *cpu, const struct dinsn *d,
		       uint64_t pa, unsigned len, bool write, uint8_t *bytes)
{
	if (cpu->replaying && cpu->mmio_log_pos < cpu->mmio_log_count) {
		struct mmio_access *a = &cpu->mmio_log[cpu->mmio_log_pos++];

		if (a->pa != pa || a->len != len || a->is_write != write) {
			cpu->stop = STOP_INTERNAL;
			cpu->pc = cpu_pc(cpu, d);
			return 1;
		}
		if (!write)
			memcpy(bytes, a->data, len);
		return 0;
	}
	if (cpu->mmio_log_count >= MMIO_LOG_MAX) {
		cpu->stop = STOP_INTERNAL;
		cpu->pc = cpu_pc(cpu, d);
		return 1;
	}
	cpu->mmio.pa = pa;
	cpu->mmio.len = (uint8_t)len;
	cpu->mmio.is_write = write;
	memset(cpu->mmio.data, 0, sizeof(cpu->mmio.data));
	if (write)
		memcpy(cpu->mmio.data, bytes, len);
	cpu->stop = STOP_MMIO;
	cpu->pending_insn = d->raw;
	cpu->pc = cpu_pc(cpu, d);
	return 1;
}

/*
 * Access len bytes (within one page) at ea as raw bytes in memory order.
 * fill: allow a TLB refill for this page.
 */
static int access_bytes(struct ppc_cpu *cpu, const struct dinsn *d,
			uint64_t ea, unsigned len, bool write, uint8_t *bytes,
			bool fill)
{
	uint64_t pa;
	struct memslot *s;
	uint8_t *host;

	if (mmu_translate(cpu, d, ea, write ? ACC_WRITE : ACC_READ, &pa))
		return 1;
	s = physmap_find(cpu->pm, pa);
	if (!s || (write && (s->flags & SLOT_READONLY)))
		return mmio_access(cpu, d, pa, len, write, bytes);
	host = s->host + (pa - s->gpa);
	if (!write) {
		memcpy(bytes, host, len);
		if (fill)
			tlb_fill(cpu->tlb_read, ea,
				 (uint8_t *)((uintptr_t)host & ~0xfffull));
		return 0;
	}
	if (s->code[(pa - s->gpa) >> 12])
		cpu_code_written(cpu, pa & ~0xfffull);
	memcpy(host, bytes, len);
	if (s->flags & SLOT_LOG_DIRTY) {
		slot_mark_dirty(s, pa);
		return 0;	/* every store goes the slow way: exact log */
	}
	if (fill)
		tlb_fill(cpu->tlb_write, ea,
			 (uint8_t *)((uintptr_t)host & ~0xfffull));
	return 0;
}

/* Split an access that crosses a page into its two parts */
static int access_split(struct ppc_cpu *cpu, const struct dinsn *d,
			uint64_t ea, unsigned size, bool write, uint8_t *bytes)
{
	unsigned first = 4096 - (unsigned)(ea & 0xfff);
	uint64_t ea2 = (ea + first) & cpu->ea_mask;
	uint64_t pa;

	if (first >= size)
		return access_bytes(cpu, d, ea, size, write, bytes, true);
	/* Both pages must translate before either part is done (ISA 1.11) */
	if (mmu_translate(cpu, d, ea, write ? ACC_WRITE : ACC_READ, &pa) ||
	    mmu_translate(cpu, d, ea2, write ? ACC_WRITE : ACC_READ, &pa))
		return 1;
	if (access_bytes(cpu, d, ea, first, write, bytes, false))
		return 1;
	return access_bytes(cpu, d, ea2, size - first, write, bytes + first,
			    false);
}

int mem_load_slow(struct ppc_cpu *cpu, const struct dinsn *d, uint64_t ea,
		  unsigned size, uint64_t *val)
{
	uint8_t b[8];

	if (access_split(cpu, d, ea, size, false, b))
		return 1;
	*val = host_ld(b, size, cpu->le);
	return 0;
}

int mem_store_slow(struct ppc_cpu *cpu, const struct dinsn *d, uint64_t ea,
		   unsigned size, uint64_t val)
{
	uint8_t b[8];

	host_st(b, size, val, cpu->le);
	return access_split(cpu, d, ea, size, true, b);
}

void *mem_host_ptr(struct ppc_cpu *cpu, const struct dinsn *d, uint64_t ea,
		   unsigned size, bool write)
{
	uint64_t pa;
	struct memslot *s;

	(void)size;
	if (mmu_translate(cpu, d, ea, write ? ACC_WRITE : ACC_READ, &pa))
		return NULL;
	s = physmap_find(cpu->pm, pa);
	if (!s || (write && (s->flags & SLOT_READONLY))) {
		/*
		 * larx/stcx. to storage that is not memory: the ISA leaves it
		 * to the implementation; we give the data storage interrupt
		 * the hash MMU would give for caching-inhibited storage.
		 */
		cpu->spr[SPR_DAR] = ea;
		cpu->spr[SPR_DSISR] = 0x04000000 | (write ? 0x02000000 : 0);
		cpu_interrupt(cpu, VEC_DSI, cpu_pc(cpu, d), 0);
		return NULL;
	}
	if (write) {
		if (s->code[(pa - s->gpa) >> 12])
			cpu_code_written(cpu, pa & ~0xfffull);
		if (s->flags & SLOT_LOG_DIRTY)
			slot_mark_dirty(s, pa);
	}
	return s->host + (pa - s->gpa);
}
