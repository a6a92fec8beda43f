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

#include "cpu/magic.h"
#include "mmu/hash.h"
#include "mmu/hash32.h"

/* Real mode as a partition sees it: EA bits 0:3 are ignored (ISA 5.7.3) */
#define REAL_MODE_MASK 0x0fffffffffffffffull

/* Flags of translate() */
#define TR_SET_RC 1u /* a real access: set R/C in the HPTE */

/*
 * Deliver the interrupt of a failed translation (ISA 2.07 6.5.3 - 6.5.6).
 * The 32-bit models' DSISR / SRR1 reason bits have the same values (PEM
 * 6.4.3, 6.4.4); they never raise the segment interrupts.
 */
static int deliver_fault(struct ppc_cpu *cpu, const struct dinsn *d, uint64_t ea,
			 enum mem_access acc, const struct hash_xlate *x)
{
	if (acc == ACC_FETCH) {
		/* ISEG: SRR1 33:36, 42:47 are 0; ISI: the reason bits */
		cpu_interrupt(cpu, x->vec, ea, x->vec == VEC_ISI ? x->bits : 0);
		return 1;
	}
	cpu->spr[SPR_DAR] = ea;
	/* DSISR is left unchanged by a data segment interrupt (as QEMU) */
	if (x->vec == VEC_DSI)
		cpu->spr[SPR_DSISR] = (uint32_t)x->bits;
	cpu_interrupt(cpu, x->vec, cpu_pc(cpu, d), 0);
	return 1;
}

/*
 * Effective to real address. *wimg gets the HPTE's WIMG bits (0 in real
 * mode). Translated accesses record the page's storage key so AMR/IAMR
 * writes know what the soft TLBs may hold.
 */
static int translate(struct ppc_cpu *cpu, const struct dinsn *d, uint64_t ea, enum mem_access acc,
		     unsigned flags, uint64_t *pa, uint64_t *wimg)
{
	struct hash_xlate x;
	enum hash_acc hacc;

	*wimg = 0;
	if (!(cpu->msr & (acc == ACC_FETCH ? MSR_IR : MSR_DR))) {
		uint64_t rma;

		/* 32-bit Book3S real mode: PA = EA, no RMA (PEM 7.2) */
		if (unlikely(cpu->book3s32)) {
			*pa = ea & 0xffffffffull;
			return 0;
		}
		rma = __atomic_load_n(&cpu->pm->rma_size, __ATOMIC_RELAXED);
		*pa = ea & REAL_MODE_MASK;
		/*
		 * Beyond the real mode area a partition's real-mode access finds
		 * no VRMA translation: the hypervisor reflects it as the DSI/ISI
		 * "no translation" (ISA 2.07 5.7.3.3; KVM HV does the same).
		 */
		if (unlikely(rma && *pa >= rma)) {
			x.vec = acc == ACC_FETCH ? VEC_ISI : VEC_DSI;
			x.bits = acc == ACC_FETCH
					 ? SRR1_ISI_NOPTE
					 : DSISR_NOPTE | (acc == ACC_WRITE ? DSISR_STORE : 0);
			return deliver_fault(cpu, d, ea, acc, &x);
		}
		return 0;
	}
	hacc = acc == ACC_FETCH ? HACC_FETCH : acc == ACC_WRITE ? HACC_WRITE : HACC_READ;
	if (unlikely(cpu->book3s32)) {
		if (hash32_translate(cpu, ea, hacc, flags & TR_SET_RC ? HX_SET_RC : 0, &x))
			return deliver_fault(cpu, d, ea, acc, &x);
	} else if (hash_translate(cpu, ea, hacc, flags & TR_SET_RC ? HX_SET_RC : 0, &x)) {
		return deliver_fault(cpu, d, ea, acc, &x);
	}
	if (acc == ACC_FETCH)
		cpu->tlb_keys_fetch |= 1u << x.key;
	else
		cpu->tlb_keys_data |= 1u << x.key;
	*pa = x.ra;
	*wimg = x.r & HPTE_R_WIMG;
	return 0;
}

int mmu_translate(struct ppc_cpu *cpu, const struct dinsn *d, uint64_t ea, enum mem_access acc,
		  uint64_t *pa)
{
	uint64_t wimg;

	return translate(cpu, d, ea, acc, TR_SET_RC, pa, &wimg);
}

int mmu_translate_wimg(struct ppc_cpu *cpu, const struct dinsn *d, uint64_t ea, enum mem_access acc,
		       uint64_t *pa, uint64_t *wimg)
{
	return translate(cpu, d, ea, acc, TR_SET_RC, pa, wimg);
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
		atomic_fetch_or((_Atomic uint64_t *)&s->dirty[pg / 64], 1ull << (pg % 64));
}

/*
 * MMIO access: answered from the replay log, or stop the loop to ask. The
 * core serves the stop from the IO bus without an exit when a device takes
 * it (vcpu.c), else exits to the VMM. An access straddling the edge of an
 * IO bus device is split there (the ISA lets a caching-inhibited access
 * that is not naturally aligned be done as several smaller ones); on replay
 * the parts come from the log, so a bus change meanwhile cannot mismatch.
 */
static int mmio_access(struct ppc_cpu *cpu, const struct dinsn *d, uint64_t pa, unsigned len,
		       bool write, uint8_t *bytes)
{
	while (len) {
		unsigned n;

		if (cpu->replaying && cpu->mmio_log_pos < cpu->mmio_log_count) {
			struct mmio_access *a = &cpu->mmio_log[cpu->mmio_log_pos++];

			if (a->pa != pa || a->len > len || !a->len || a->is_write != write) {
				cpu->stop = STOP_INTERNAL;
				cpu->pc = cpu_pc(cpu, d);
				return 1;
			}
			if (!write)
				memcpy(bytes, a->data, a->len);
			n = a->len;
			pa += n;
			bytes += n;
			len -= n;
			continue;
		}
		if (cpu->mmio_log_count >= MMIO_LOG_MAX) {
			cpu->stop = STOP_INTERNAL;
			cpu->pc = cpu_pc(cpu, d);
			return 1;
		}
		n = cpu->pm->mmio_piece ? cpu->pm->mmio_piece(cpu->pm, pa, len) : len;
		if (!n || n > len)
			n = len;
		if (n > sizeof(cpu->mmio.data))
			n = sizeof(cpu->mmio.data);
		cpu->mmio.pa = pa;
		cpu->mmio.len = (uint8_t)n;
		cpu->mmio.is_write = write;
		memset(cpu->mmio.data, 0, sizeof(cpu->mmio.data));
		if (write)
			memcpy(cpu->mmio.data, bytes, n);
		cpu->stop = STOP_MMIO;
		cpu->pending_insn = d->raw;
		cpu->pc = cpu_pc(cpu, d);
		return 1;
	}
	return 0;
}

/*
 * Access len bytes (within one page) at ea as raw bytes in memory order.
 * fill: allow a TLB refill for this page. Translation has set R (and C for
 * a store) before the read (write) entry is filled, so a TLB hit never
 * skips an R/C update: a page with C=0 is only ever in the read TLB.
 */
static int access_bytes(struct ppc_cpu *cpu, const struct dinsn *d, uint64_t ea, unsigned len,
			bool write, uint8_t *bytes, bool fill)
{
	uint64_t pa, wimg;
	struct memslot *s;
	uint8_t *host;

	/* The PV magic page, ahead of the page table (never in a soft TLB) */
	if (unlikely(magic_ea_hit(cpu, ea)))
		return magic_access(cpu, (unsigned)(ea & 0xfff), len, write, bytes);
	if (translate(cpu, d, ea, write ? ACC_WRITE : ACC_READ, TR_SET_RC, &pa, &wimg))
		return 1;
	/*
	 * 32-bit models: a write-TLB hit must mean W = I = 0, so that dcbz's
	 * fast path never clears a block the 750 / 7447A would refuse.
	 */
	if (unlikely(cpu->book3s32) && (wimg & (HPTE_R_W | HPTE_R_I)))
		fill = fill && !write;
	if (magic_pa_hit_sv(cpu, pa))
		return magic_access(cpu, (unsigned)(pa & 0xfff), len, write, bytes);
	s = physmap_find(cpu->pm, pa);
	if (!s || (write && (s->flags & SLOT_READONLY)))
		return mmio_access(cpu, d, pa, len, write, bytes);
	host = s->host + (pa - s->gpa);
	if (!write) {
		memcpy(bytes, host, len);
		if (fill)
			tlb_fill(cpu->tlb_read, ea, (uint8_t *)((uintptr_t)host & ~0xfffull));
		return 0;
	}
	if (s->code[(pa - s->gpa) >> 12]) {
		cpu_code_written(cpu, pa & ~0xfffull);
		memcpy(host, bytes, len);
		/* After the store: other vCPUs re-decode the new bytes (SMP) */
		cpu_code_publish(cpu, pa & ~0xfffull);
	} else {
		memcpy(host, bytes, len);
	}
	if (s->flags & SLOT_LOG_DIRTY) {
		slot_mark_dirty(s, pa);
		return 0; /* every store goes the slow way: exact log */
	}
	if (fill)
		tlb_fill(cpu->tlb_write, ea, (uint8_t *)((uintptr_t)host & ~0xfffull));
	return 0;
}

/* Split an access that crosses a page into its two parts */
static int access_split(struct ppc_cpu *cpu, const struct dinsn *d, uint64_t ea, unsigned size,
			bool write, uint8_t *bytes)
{
	unsigned first = 4096 - (unsigned)(ea & 0xfff);
	uint64_t ea2 = (ea + first) & cpu->ea_mask;
	uint64_t pa, wimg;

	if (first >= size)
		return access_bytes(cpu, d, ea, size, write, bytes, true);
	/*
	 * Both pages must translate before either part is done (ISA 1.11);
	 * R/C are set only by the accesses themselves below.
	 */
	if ((!magic_ea_hit(cpu, ea) &&
	     translate(cpu, d, ea, write ? ACC_WRITE : ACC_READ, 0, &pa, &wimg)) ||
	    (!magic_ea_hit(cpu, ea2) &&
	     translate(cpu, d, ea2, write ? ACC_WRITE : ACC_READ, 0, &pa, &wimg)))
		return 1;
	if (access_bytes(cpu, d, ea, first, write, bytes, false))
		return 1;
	return access_bytes(cpu, d, ea2, size - first, write, bytes + first, false);
}

int mem_load_slow(struct ppc_cpu *cpu, const struct dinsn *d, uint64_t ea, unsigned size,
		  uint64_t *val)
{
	uint8_t b[8];

	if (access_split(cpu, d, ea, size, false, b))
		return 1;
	*val = host_ld(b, size, cpu->le);
	return 0;
}

int mem_store_slow(struct ppc_cpu *cpu, const struct dinsn *d, uint64_t ea, unsigned size,
		   uint64_t val)
{
	uint8_t b[8];

	host_st(b, size, val, cpu->le);
	return access_split(cpu, d, ea, size, true, b);
}

void *mem_host_ptr(struct ppc_cpu *cpu, const struct dinsn *d, uint64_t ea, unsigned size,
		   bool write)
{
	uint64_t pa, wimg;
	struct memslot *s;

	(void)size;
	/*
	 * larx/stcx. on the PV magic page (a view of registers, not memory):
	 * the data storage interrupt of the not-memory case below.
	 */
	if (unlikely(magic_ea_hit(cpu, ea)))
		wimg = HPTE_R_I;
	else if (translate(cpu, d, ea, write ? ACC_WRITE : ACC_READ, TR_SET_RC, &pa, &wimg))
		return NULL;
	else if (magic_pa_hit_sv(cpu, pa))
		wimg = HPTE_R_I;
	/*
	 * larx/stcx. to Write Through Required or Caching Inhibited storage:
	 * data storage interrupt, DSISR bit 37 (ISA 2.07 6.5.3)
	 */
	if (wimg & (HPTE_R_W | HPTE_R_I)) {
		cpu->spr[SPR_DAR] = ea;
		cpu->spr[SPR_DSISR] = DSISR_ATOMIC_CI | (write ? DSISR_STORE : 0);
		cpu_interrupt(cpu, VEC_DSI, cpu_pc(cpu, d), 0);
		return NULL;
	}
	s = physmap_find(cpu->pm, pa);
	if (!s || (write && (s->flags & SLOT_READONLY))) {
		/*
		 * larx/stcx. to storage that is not memory: the ISA leaves it
		 * to the implementation; we give the data storage interrupt
		 * the hash MMU would give for caching-inhibited storage.
		 */
		cpu->spr[SPR_DAR] = ea;
		cpu->spr[SPR_DSISR] = DSISR_ATOMIC_CI | (write ? DSISR_STORE : 0);
		cpu_interrupt(cpu, VEC_DSI, cpu_pc(cpu, d), 0);
		return NULL;
	}
	if (write) {
		if (s->code[(pa - s->gpa) >> 12]) {
			cpu_code_written(cpu, pa & ~0xfffull);
			/* before the caller's atomic store: larx/stcx on code is rare */
			cpu_code_publish(cpu, pa & ~0xfffull);
		}
		if (s->flags & SLOT_LOG_DIRTY)
			slot_mark_dirty(s, pa);
	}
	return s->host + (pa - s->gpa);
}
