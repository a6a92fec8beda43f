/* SPDX-License-Identifier: MIT */
/*
 * The KVM magic page as a view of the vCPU's registers (see magic.h).
 * Byte order: the fields are in shared_big_endian order; switching it
 * (at MAP_MAGIC_PAGE, from LPCR[ILE]) is KVM's kvmppc_swab_shared: the
 * register fields keep their values, the plain-storage fields keep their
 * bytes.
 */
#include "cpu/magic.h"

#include "mmu/mem.h"

/* The register-backed part of the page: [MAGIC_SPRG0, MAGIC_SR) */
#define REG_FIRST MAGIC_SPRG0
#define REG_END	  MAGIC_SR

static uint64_t field_get(const uint8_t *p, unsigned n, bool le)
{
	return host_ld(p, n, le);
}

static void field_put(uint8_t *p, unsigned n, uint64_t v, bool le)
{
	host_st(p, n, v, le);
}

static bool overlaps(unsigned off, unsigned len, unsigned f, unsigned n)
{
	return off < f + n && f < off + len;
}

/* The 8-byte register fields, by page offset */
static const struct {
	uint16_t off, spr;
} plain[] = {
	{ MAGIC_SPRG0, SPR_SPRG0 }, { MAGIC_SPRG1, SPR_SPRG1 }, { MAGIC_SPRG2, SPR_SPRG2 },
	{ MAGIC_SPRG3, SPR_SPRG3 }, { MAGIC_SRR0, SPR_SRR0 },	{ MAGIC_SRR1, SPR_SRR1 },
	{ MAGIC_DAR, SPR_DAR },
};

#define NPLAIN (sizeof(plain) / sizeof(plain[0]))

/* Render the register fields that [off, off + len) touches into buf */
static void render_regs(struct ppc_cpu *cpu, uint8_t *buf, unsigned off, unsigned len)
{
	bool le = cpu->magic.little_endian;

	for (unsigned i = 0; i < NPLAIN; i++)
		if (overlaps(off, len, plain[i].off, 8))
			field_put(buf + plain[i].off, 8, cpu->spr[plain[i].spr], le);
	if (overlaps(off, len, MAGIC_MSR, 8))
		field_put(buf + MAGIC_MSR, 8, cpu->msr, le);
	if (overlaps(off, len, MAGIC_DSISR, 4))
		field_put(buf + MAGIC_DSISR, 4, (uint32_t)cpu->spr[SPR_DSISR], le);
	if (overlaps(off, len, MAGIC_INT_PENDING, 4)) {
		/* The decrementer may have gone negative since the last check */
		cpu_check_timers(cpu);
		field_put(buf + MAGIC_INT_PENDING, 4,
			  __atomic_load_n(&cpu->pending, __ATOMIC_RELAXED) != 0, le);
	}
}

/*
 * The 32-bit models (KVM_MAGIC_FEAT_SR): sr[16] is a view of the segment
 * registers, kept in the page's storage in its byte order around an access.
 */
#define MAGIC_SR_SIZE 64

static void render_sr(struct ppc_cpu *cpu)
{
	for (unsigned i = 0; i < 16; i++)
		field_put(cpu->magic.page + MAGIC_SR + 4 * i, 4, cpu->sr[i],
			  cpu->magic.little_endian);
}

/* A segment register written through the page: as mtsr, drop the TLB */
static void parse_sr(struct ppc_cpu *cpu)
{
	bool changed = false;

	for (unsigned i = 0; i < 16; i++) {
		uint32_t v = (uint32_t)field_get(cpu->magic.page + MAGIC_SR + 4 * i, 4,
						 cpu->magic.little_endian);

		changed |= v != cpu->sr[i];
		cpu->sr[i] = v;
	}
	if (changed)
		cpu_tlb_flush(cpu);
}

/* Take back the register fields a write of [off, off + len) touched */
static void parse_regs(struct ppc_cpu *cpu, const uint8_t *buf, unsigned off, unsigned len)
{
	bool le = cpu->magic.little_endian;

	for (unsigned i = 0; i < NPLAIN; i++)
		if (overlaps(off, len, plain[i].off, 8))
			cpu->spr[plain[i].spr] = field_get(buf + plain[i].off, 8, le);
	if (overlaps(off, len, MAGIC_DSISR, 4))
		cpu->spr[SPR_DSISR] = (uint32_t)field_get(buf + MAGIC_DSISR, 4, le);
	if (overlaps(off, len, MAGIC_MSR, 8)) {
		uint64_t v = field_get(buf + MAGIC_MSR, 8, le);
		uint64_t old = cpu->msr;

		/* Only EE and RI change without a trap (ppc-pv.rst "MSR bits") */
		cpu_set_msr(cpu, (old & ~MAGIC_MSR_SAFE) | (v & MAGIC_MSR_SAFE));
		/*
		 * EE 0 -> 1: leave the block at the next branch so a pending
		 * interrupt is delivered (KVM relies on the guest's int_pending
		 * check only; we notice it ourselves too).
		 */
		if (!(old & MSR_EE) && (cpu->msr & MSR_EE))
			cpu->budget = 0;
	}
	/* int_pending is the host's: a guest store to it is dropped */
}

int magic_access(struct ppc_cpu *cpu, unsigned off, unsigned len, bool write, uint8_t *bytes)
{
	uint8_t regs[REG_END];
	bool touches_regs = overlaps(off, len, REG_FIRST, REG_END - REG_FIRST);
	bool sr_view = unlikely(cpu->book3s32) && overlaps(off, len, MAGIC_SR, MAGIC_SR_SIZE);

	if (off >= 4096 || len > 4096 - off)
		return 0; /* callers split at the page end: cannot happen */
	if (sr_view)
		render_sr(cpu);
	/* Fast path: a whole aligned SPRG/SRR/DAR field (the patched ld/std) */
	if (len == 8 && !(off & 7) && off >= MAGIC_SPRG0 && off < MAGIC_MSR) {
		uint64_t *reg = &cpu->spr[plain[(off - MAGIC_SPRG0) / 8].spr];

		if (write)
			*reg = field_get(bytes, 8, cpu->magic.little_endian);
		else
			field_put(bytes, 8, *reg, cpu->magic.little_endian);
		return 0;
	}
	if (touches_regs)
		render_regs(cpu, regs, off, len);
	if (!touches_regs || (off >= REG_FIRST && off + len <= REG_END)) {
		/* the common case: all plain storage or all register fields */
		uint8_t *p = touches_regs ? regs + off : cpu->magic.page + off;

		if (write)
			memcpy(p, bytes, len);
		else
			memcpy(bytes, p, len);
	} else {
		for (unsigned i = 0; i < len; i++) {
			unsigned o = off + i;
			uint8_t *p = o >= REG_FIRST && o < REG_END ? &regs[o] : &cpu->magic.page[o];

			if (write)
				*p = bytes[i];
			else
				bytes[i] = *p;
		}
	}
	if (write && touches_regs)
		parse_regs(cpu, regs, off, len);
	if (write && sr_view)
		parse_sr(cpu);
	/* Leaving a critical section may let a pending interrupt in */
	if (write && overlaps(off, len, MAGIC_CRITICAL, 8))
		cpu->budget = 0;
	return 0;
}

bool magic_critical(const struct ppc_cpu *cpu)
{
	uint64_t crit, r1 = cpu->gpr[1];

	if (!cpu->magic.mapped || cpu->pr)
		return false;
	crit = field_get(cpu->magic.page + MAGIC_CRITICAL, 8, cpu->magic.little_endian);
	/* Compared in 32 bits in 32-bit mode (kvmppc_critical_section) */
	if (!(cpu->msr & MSR_SF)) {
		crit = (uint32_t)crit;
		r1 = (uint32_t)r1;
	}
	return crit == r1;
}

void magic_map(struct ppc_cpu *cpu, uint64_t pa, uint64_t ea, bool le, bool nx_relaxed)
{
	struct ppc_magic *m = &cpu->magic;

	/*
	 * kvmppc_swab_shared: the register fields are views (their values
	 * stay); sr[] is the only other field KVM swaps.
	 */
	if (m->little_endian != le)
		for (unsigned i = 0; i < 16; i++) {
			uint8_t *p = m->page + MAGIC_SR + 4 * i;

			field_put(p, 4, field_get(p, 4, m->little_endian), le);
		}
	m->little_endian = le;
	m->nx_relaxed = nx_relaxed;
	m->pa = pa & ~0xfffull & 0x0fffffffffffffffull;
	m->ea = ea & ~0xfffull;
	m->mapped = true;
	/*
	 * Soft-TLB entries made before the mapping may point at the memory
	 * under the page, and fetch entries may carry the old NX decision.
	 */
	cpu_tlb_flush(cpu);
	cpu->budget = 0;
}
