/* SPDX-License-Identifier: MIT */
/*
 * The execution loop (DESIGN.md section 4): find the decoded page for the
 * program counter, run its handlers until one leaves the page or the budget
 * ends, and between blocks check kicks, timers and pending interrupts.
 */
#include <stdlib.h>

#include "cpu/cpu.h"
#include "cpu/book3s32.h"
#include "cpu/magic.h"
#include "mmu/hash.h"
#include "mmu/mem.h"

/* In-page branches between checks of the world */
#define EXEC_BUDGET 4096
/* Blocks between two reads of the host clock for the decrementer */
#define TIMER_CHECK_BLOCKS 64

/*
 * Budget a jump to another page costs: bounds the work between two checks of
 * the world (kicks, timers, interrupts) as in-page loops do, ~64 blocks.
 */
#define CHAIN_COST 64

const struct dinsn *cpu_jump_page(struct ppc_cpu *cpu, uint64_t target)
{
	const struct tlb_entry *e = &cpu->tlb_fetch[(target >> 12) & (TLB_SIZE - 1)];

	cpu->pc = target;
	/* A miss, or budget 0 (e.g. code written, MSR[EE] set): the dispatcher decides */
	if (e->tag != (target & ~0xfffull) || (cpu->budget -= CHAIN_COST) <= 0)
		return NULL;
	cpu->cur_dpage = (struct dpage *)e->addend;
	cpu->cur_ea_page = target & ~0xfffull;
	return &cpu->cur_dpage->insns[(target & 0xfff) >> 2];
}

/* The sentinel after the last instruction of a page: continue on the next */
static const struct dinsn *op_page_end(struct ppc_cpu *cpu, const struct dinsn *d)
{
	(void)d;
	return cpu_jump_page(cpu, (cpu->cur_ea_page + 4096) & cpu->ea_mask);
}

/* Placed after a replayed instruction: stop with pc at the next one */
static const struct dinsn *op_replay_end(struct ppc_cpu *cpu, const struct dinsn *d)
{
	cpu->pc = cpu_pc(cpu, d) & cpu->ea_mask;
	return NULL;
}

void cpu_tlb_flush(struct ppc_cpu *cpu)
{
	for (int i = 0; i < TLB_SIZE; i++) {
		cpu->tlb_read[i].tag = ~0ull;
		cpu->tlb_write[i].tag = ~0ull;
		cpu->tlb_fetch[i].tag = ~0ull;
	}
}

static unsigned dcache_hash(uint64_t key)
{
	return (unsigned)((key >> 12) ^ (key >> 20)) & (DCACHE_HASH - 1);
}

static void dpage_retire(struct ppc_cpu *cpu, struct dpage *p)
{
	struct dpage **pp = &cpu->dcache[dcache_hash(p->key)];

	while (*pp && *pp != p)
		pp = &(*pp)->next;
	if (*pp)
		*pp = p->next;
	p->valid = false;
	p->next = cpu->graveyard;
	cpu->graveyard = p;
}

static void free_graveyard(struct ppc_cpu *cpu)
{
	while (cpu->graveyard) {
		struct dpage *p = cpu->graveyard;

		cpu->graveyard = p->next;
		free(p);
	}
}

static void clear_code_mark(struct ppc_cpu *cpu, uint64_t pa)
{
	struct memslot *s = physmap_find(cpu->pm, pa);

	if (s)
		s->code[(pa - s->gpa) >> 12] = 0;
}

void cpu_code_written(struct ppc_cpu *cpu, uint64_t pa)
{
	for (uint64_t le = 0; le < 2; le++) {
		uint64_t key = pa | le;
		struct dpage *p = cpu->dcache[dcache_hash(key)];

		while (p && p->key != key)
			p = p->next;
		if (p)
			dpage_retire(cpu, p);
	}
	clear_code_mark(cpu, pa);
	/* The fetch TLB maps to the retired pages: drop it */
	for (int i = 0; i < TLB_SIZE; i++)
		cpu->tlb_fetch[i].tag = ~0ull;
	/* Leave the current page at the next branch (ISA: isync needed) */
	cpu->budget = 0;
}

void cpu_flush_all(struct ppc_cpu *cpu)
{
	for (int i = 0; i < DCACHE_HASH; i++) {
		/*
		 * The code marks stay: another vCPU may hold the same page
		 * decoded; a stale mark only sends one store the slow way.
		 */
		while (cpu->dcache[i])
			dpage_retire(cpu, cpu->dcache[i]);
	}
	cpu_tlb_flush(cpu);
	cpu->budget = 0;
}

/* ---- Code written on one vCPU, decoded on another (SMP) ------------ */

void cpu_code_publish(struct ppc_cpu *cpu, uint64_t pa)
{
	struct code_ring *r = &cpu->pm->code_ring;
	uint64_t s = __atomic_fetch_add(&r->seq, 1, __ATOMIC_SEQ_CST);

	/* Seqlock-style slot: 0 while written, s + 1 once pa is valid */
	__atomic_store_n(&r->e[s % CODE_RING].seq, 0, __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_RELEASE);
	__atomic_store_n(&r->e[s % CODE_RING].pa, pa, __ATOMIC_RELAXED);
	__atomic_store_n(&r->e[s % CODE_RING].seq, s + 1, __ATOMIC_RELEASE);
}

/* Drop this vCPU's decodes (both byte orders) of page pa; marks untouched */
static void drop_decoded(struct ppc_cpu *cpu, uint64_t pa)
{
	for (uint64_t le = 0; le < 2; le++) {
		uint64_t key = pa | le;
		struct dpage *p = cpu->dcache[dcache_hash(key)];

		while (p && p->key != key)
			p = p->next;
		if (p)
			dpage_retire(cpu, p);
	}
}

/* Between blocks: drop what other vCPUs wrote since we last looked */
static void code_ring_sync(struct ppc_cpu *cpu)
{
	struct code_ring *r = &cpu->pm->code_ring;
	uint64_t end = __atomic_load_n(&r->seq, __ATOMIC_ACQUIRE);
	bool all = end - cpu->code_seq > CODE_RING;

	for (uint64_t s = cpu->code_seq; !all && s != end; s++) {
		uint64_t s1, s2, pa;

		s1 = __atomic_load_n(&r->e[s % CODE_RING].seq, __ATOMIC_ACQUIRE);
		pa = __atomic_load_n(&r->e[s % CODE_RING].pa, __ATOMIC_RELAXED);
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		s2 = __atomic_load_n(&r->e[s % CODE_RING].seq, __ATOMIC_RELAXED);
		if (s1 != s + 1 || s2 != s1)
			all = true; /* overrun or still being written */
		else
			drop_decoded(cpu, pa & ~0xfffull);
	}
	if (all) {
		for (int i = 0; i < DCACHE_HASH; i++)
			while (cpu->dcache[i])
				dpage_retire(cpu, cpu->dcache[i]);
	}
	for (int i = 0; i < TLB_SIZE; i++)
		cpu->tlb_fetch[i].tag = ~0ull;
	cpu->code_seq = end;
}

void cpu_ack_tlb_flush(struct ppc_cpu *cpu)
{
	uint64_t tgen = __atomic_load_n(&cpu->tlb_flush_gen, __ATOMIC_ACQUIRE);

	if (tgen != cpu->tlb_ack_gen) {
		cpu_tlb_flush(cpu);
		__atomic_store_n(&cpu->tlb_ack_gen, tgen, __ATOMIC_RELEASE);
	}
}

static struct dpage *decode_page(struct ppc_cpu *cpu, uint64_t key, struct memslot *s, uint64_t pa)
{
	struct dpage *p = malloc(sizeof(*p));
	const uint8_t *src = s->host + (pa - s->gpa);
	bool le = key & 1;

	if (!p)
		return NULL;
	p->key = key;
	p->valid = true;
	/*
	 * Stores to this page must now take the slow path (code tracking).
	 * A page that becomes code: other vCPUs drop their write TLBs (and
	 * finish any store in flight) before we read it (SMP; vm.c).
	 */
	if (!__atomic_exchange_n(&s->code[(pa - s->gpa) >> 12], 1, __ATOMIC_SEQ_CST) &&
	    cpu->code_page_new)
		cpu->code_page_new(cpu);
	for (int i = 0; i < DPAGE_INSNS; i++)
		decode_insn(&p->insns[i], (uint32_t)host_ld(src + i * 4, 4, le));
	/* The 750 / 7447A instruction set (docs/book3s32.md) */
	if (unlikely(cpu->book3s32))
		for (int i = 0; i < DPAGE_INSNS; i++)
			book3s32_decode_fixup(cpu, &p->insns[i]);
	memset(&p->insns[DPAGE_INSNS], 0, sizeof(p->insns[0]));
	p->insns[DPAGE_INSNS].fn = op_page_end;
	for (int i = 0; i < TLB_SIZE; i++)
		if (cpu->tlb_write[i].tag != ~0ull &&
		    ((cpu->tlb_write[i].tag + cpu->tlb_write[i].addend) ^
		     (uintptr_t)(s->host + (pa - s->gpa))) < 4096)
			cpu->tlb_write[i].tag = ~0ull;
	p->next = cpu->dcache[dcache_hash(key)];
	cpu->dcache[dcache_hash(key)] = p;
	return p;
}

/*
 * Find (or make) the decoded page for effective address pc. NULL when the
 * fetch faulted: the interrupt is delivered and cpu->pc moved.
 */
static struct dpage *fetch_page(struct ppc_cpu *cpu, uint64_t pc)
{
	struct tlb_entry *e = &cpu->tlb_fetch[(pc >> 12) & (TLB_SIZE - 1)];
	uint64_t pa, key;
	struct memslot *s;
	struct dpage *p;

	if (likely(e->tag == (pc & ~0xfffull)))
		return (struct dpage *)e->addend;
	if (mmu_translate(cpu, NULL, pc, ACC_FETCH, &pa))
		return NULL;
	pa &= ~0xfffull;
	s = physmap_find(cpu->pm, pa);
	if (!s) {
		/* Instruction fetch from no memory: machine check (as QEMU 10) */
		cpu_interrupt(cpu, VEC_MCHECK, pc, 0);
		return NULL;
	}
	key = pa | cpu->le;
	for (p = cpu->dcache[dcache_hash(key)]; p; p = p->next)
		if (p->key == key)
			break;
	if (!p)
		p = decode_page(cpu, key, s, pa);
	if (!p) {
		cpu->stop = STOP_INTERNAL;
		return NULL;
	}
	e->tag = pc & ~0xfffull;
	e->addend = (uintptr_t)p;
	return p;
}

/* Highest-priority deliverable interrupt (ISA 2.07 6.8: EXT before DEC) */
static bool deliver_pending(struct ppc_cpu *cpu)
{
	uint32_t pend = cpu->pending;

	if (!(cpu->msr & MSR_EE) || !pend)
		return false;
	/* A PV guest inside a patched template: not now (magic.h) */
	if (unlikely(cpu->magic.mapped) && magic_critical(cpu))
		return false;
	if (pend & PEND_EXT)
		cpu_interrupt(cpu, VEC_EXT, cpu->pc, 0);
	else if (pend & PEND_DEC)
		cpu_interrupt(cpu, VEC_DEC, cpu->pc, 0);
	else
		return false;
	return true;
}

/*
 * Re-execute the instruction that stopped for MMIO, with the answers so far
 * in the log. Runs in a scratch page so that cpu_pc() gives its address.
 */
/* Act on memory-map and translation changes requested by the core */
static void ack_flushes(struct ppc_cpu *cpu)
{
	uint64_t gen = __atomic_load_n(&cpu->flush_gen, __ATOMIC_ACQUIRE);
	uint64_t tgen = __atomic_load_n(&cpu->tlb_flush_gen, __ATOMIC_ACQUIRE);

	if (gen != cpu->ack_gen) {
		cpu_flush_all(cpu);
		free_graveyard(cpu);
		__atomic_store_n(&cpu->ack_gen, gen, __ATOMIC_RELEASE);
	}
	if (tgen != cpu->tlb_ack_gen) {
		cpu_tlb_flush(cpu);
		__atomic_store_n(&cpu->tlb_ack_gen, tgen, __ATOMIC_RELEASE);
	}
}

static void replay_pending(struct ppc_cpu *cpu)
{
	struct dpage *p = cpu->replay_page;
	unsigned idx = (unsigned)(cpu->pc & 0xfff) >> 2;
	const struct dinsn *d;
	uint64_t nint;

	decode_insn(&p->insns[idx], cpu->pending_insn);
	if (unlikely(cpu->book3s32))
		book3s32_decode_fixup(cpu, &p->insns[idx]);
	p->insns[idx + 1].fn = op_replay_end;
	cpu->cur_dpage = p;
	cpu->cur_ea_page = cpu->pc & ~0xfffull;
	cpu->budget = 0;
	cpu->replaying = true;
	cpu->mmio_log_pos = 0;
	nint = cpu->n_interrupts;
	d = &p->insns[idx];
	while (d)
		d = d->fn(cpu, d);
	cpu->replaying = false;
	if (cpu->stop != STOP_MMIO)
		cpu->mmio_log_count = 0;
	/* A traced MMIO instruction is traced once it completes (step_traced) */
	if (unlikely(cpu->book3s32) && (cpu->msr & MSR_SE) && !cpu->stop &&
	    cpu->n_interrupts == nint)
		cpu_interrupt(cpu, VEC_TRACE, cpu->pc, 0);
}

/*
 * MSR[SE] on the 32-bit models: run the one instruction at pc (from page p)
 * alone, then take the trace interrupt with SRR0 = the next instruction if
 * it completed (no interrupt, no stop) with SE on before and after, so the
 * mtmsr that sets or clears SE is not traced (PEM 6.4.11; 750 UM 4.5.11).
 * MSR[BE] (branch trace) is kept but not acted on. Runs in the replay
 * scratch page so that cpu_pc() is right.
 */
static void step_traced(struct ppc_cpu *cpu, struct dpage *p)
{
	struct dpage *s = cpu->replay_page;
	unsigned idx = (unsigned)(cpu->pc & 0xfff) >> 2;
	uint64_t nint = cpu->n_interrupts;
	uint32_t raw = p->insns[idx].raw;
	/* rfi and isync are never traced (750 UM 4.5.11, MPC7400 RM 4.6.11) */
	bool untraced = INSN_OPCD(raw) == 19 && (INSN_XO10(raw) == 50 || INSN_XO10(raw) == 150);
	const struct dinsn *d;

	s->insns[idx] = p->insns[idx];
	s->insns[idx + 1].fn = op_replay_end;
	cpu->cur_dpage = s;
	cpu->cur_ea_page = cpu->pc & ~0xfffull;
	cpu->budget = 0;
	d = &s->insns[idx];
	while (d)
		d = d->fn(cpu, d);
	if (!cpu->stop && cpu->n_interrupts == nint && (cpu->msr & MSR_SE) && !untraced)
		cpu_interrupt(cpu, VEC_TRACE, cpu->pc, 0);
}

void cpu_exec(struct ppc_cpu *cpu)
{
	cpu->stop = STOP_NONE;
	ack_flushes(cpu);
	if (cpu->mmio_log_count) {
		replay_pending(cpu);
		if (cpu->stop)
			return;
	}
	for (;;) {
		struct dpage *p;
		const struct dinsn *d;

		free_graveyard(cpu);
		/* relaxed loads: other threads bump these (no data race, TSan) */
		if (unlikely(__atomic_load_n(&cpu->flush_gen, __ATOMIC_RELAXED) != cpu->ack_gen ||
			     __atomic_load_n(&cpu->tlb_flush_gen, __ATOMIC_RELAXED) !=
				     cpu->tlb_ack_gen))
			ack_flushes(cpu);
		if (unlikely(__atomic_load_n(&cpu->pm->code_ring.seq, __ATOMIC_ACQUIRE) !=
			     cpu->code_seq))
			code_ring_sync(cpu);
		if (unlikely(__atomic_load_n(&cpu->exit_request, __ATOMIC_RELAXED))) {
			cpu->stop = STOP_BUDGET;
			return;
		}
		if (unlikely(--cpu->check_count == 0)) {
			cpu->check_count = TIMER_CHECK_BLOCKS;
			cpu_check_timers(cpu);
		}
		if (unlikely(cpu->pending))
			deliver_pending(cpu);
		p = fetch_page(cpu, cpu->pc);
		if (unlikely(!p)) {
			if (cpu->stop)
				return;
			continue;
		}
		if (unlikely(cpu->msr & MSR_SE) && cpu->book3s32) {
			step_traced(cpu, p);
			if (unlikely(cpu->stop))
				return;
			continue;
		}
		cpu->cur_dpage = p;
		cpu->cur_ea_page = cpu->pc & ~0xfffull;
		cpu->budget = EXEC_BUDGET;
		d = &p->insns[(cpu->pc & 0xfff) >> 2];
		while (likely(d != NULL))
			d = d->fn(cpu, d);
		if (unlikely(cpu->stop))
			return;
	}
}

uint64_t cpu_get_xer(const struct ppc_cpu *cpu)
{
	/* SO 32, OV 33, CA 34, OV32 44, CA32 45, byte count 57:63 */
	return ((uint64_t)cpu->xer_so << 31) | ((uint64_t)cpu->xer_ov << 30) |
	       ((uint64_t)cpu->xer_ca << 29) | ((uint64_t)cpu->xer_ov32 << 19) |
	       ((uint64_t)cpu->xer_ca32 << 18) | cpu->xer_bc;
}

void cpu_set_xer(struct ppc_cpu *cpu, uint64_t v)
{
	cpu->xer_so = (v >> 31) & 1;
	cpu->xer_ov = (v >> 30) & 1;
	cpu->xer_ca = (v >> 29) & 1;
	cpu->xer_ov32 = (v >> 19) & 1;
	cpu->xer_ca32 = (v >> 18) & 1;
	cpu->xer_bc = v & 0x7f;
}

void cpu_init(struct ppc_cpu *cpu, struct physmap *pm, uint32_t pvr, uint32_t pir)
{
	memset(cpu, 0, sizeof(*cpu));
	cpu->pm = pm;
	cpu->pvr = pvr;
	cpu->pir = pir;
	cpu->replay_page = calloc(1, sizeof(*cpu->replay_page));
	if (pm)
		cpu->code_seq = __atomic_load_n(&pm->code_ring.seq, __ATOMIC_ACQUIRE);
	cpu_reset(cpu);
}

void cpu_reset(struct ppc_cpu *cpu)
{
	cpu_flush_all(cpu);
	free_graveyard(cpu);
	memset(cpu->gpr, 0, sizeof(cpu->gpr));
	cpu->cr = 0;
	cpu_set_xer(cpu, 0);
	cpu->lr = cpu->ctr = 0;
	cpu->pc = 0;
	memset(cpu->spr, 0, sizeof(cpu->spr));
	/* 32-bit models: segment registers, BATs, the DEC edge tracking */
	memset(cpu->sr, 0, sizeof(cpu->sr));
	memset(cpu->ibat, 0, sizeof(cpu->ibat));
	memset(cpu->dbat, 0, sizeof(cpu->dbat));
	cpu->dec_edge_armed = false;
	cpu->resv_valid = false;
	cpu->mmio_log_count = 0;
	cpu->replaying = false;
	cpu->pending = 0;
	cpu->check_count = 1;
	cpu->fpscr = 0;
	slb_reset(cpu);
	cpu_set_msr(cpu, MSR_SF | MSR_ME);
	cpu_set_tb(cpu, 0);
	cpu_set_dec(cpu, 0x7fffffff);
}

void cpu_fini(struct ppc_cpu *cpu)
{
	cpu_flush_all(cpu);
	free_graveyard(cpu);
	free(cpu->replay_page);
	cpu->replay_page = NULL;
}
