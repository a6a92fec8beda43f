/* SPDX-License-Identifier: MIT */
/*
 * Run a few instructions on a bare struct ppc_cpu with 1 MB of RAM at
 * guest physical 0, in real mode. The snippet is placed at 0x1000 and an
 * "sc 1" is appended; fx_run() executes until that sc 1 (STOP_HCALL) or any
 * other stop. Data area: FX_DATA (0x8000, 64 KB).
 */
#ifndef PPCVM_CPU_FIXTURE_H
#define PPCVM_CPU_FIXTURE_H

#include <stdlib.h>

#include "cpu/cpu.h"
#include "mmu/mem.h"

#define FX_RAM	(1u << 20)
#define FX_CODE 0x1000u
#define FX_DATA 0x8000u

struct fx {
	struct physmap pm;
	struct ppc_cpu *cpu;
	uint8_t *ram;
	bool le;
};

static inline void fx_init(struct fx *f, bool le)
{
	memset(&f->pm, 0, sizeof(f->pm));
	f->ram = aligned_alloc(4096, FX_RAM);
	memset(f->ram, 0, FX_RAM);
	f->pm.slot[0].used = true;
	f->pm.slot[0].gpa = 0;
	f->pm.slot[0].size = FX_RAM;
	f->pm.slot[0].host = f->ram;
	f->pm.slot[0].code = calloc(FX_RAM >> 12, 1);
	f->cpu = aligned_alloc(64, (sizeof(struct ppc_cpu) + 63) & ~63ul);
	decode_init();
	cpu_init(f->cpu, &f->pm, 0x004d0200, 0);
	f->le = le;
	cpu_set_msr(f->cpu, MSR_SF | MSR_ME | (le ? MSR_LE : 0));
	/* interrupts are taken in the snippet's byte order (LPCR[ILE]) */
	if (le)
		f->cpu->spr[SPR_LPCR] |= LPCR_ILE;
	/* interrupt vectors: each holds "sc 1" so an interrupt also stops */
	for (unsigned v = 0x100; v < 0x1000; v += 0x20)
		host_st(f->ram + v, 4, 0x44000022, le);
}

static inline void fx_fini(struct fx *f)
{
	cpu_fini(f->cpu);
	free(f->cpu);
	free(f->pm.slot[0].code);
	free(f->ram);
}

/* Write 32-bit words into guest memory in the guest's byte order */
static inline void fx_poke32(struct fx *f, uint64_t pa, uint32_t v)
{
	host_st(f->ram + pa, 4, v, f->le);
}

static inline void fx_poke64(struct fx *f, uint64_t pa, uint64_t v)
{
	host_st(f->ram + pa, 8, v, f->le);
}

static inline uint64_t fx_peek(struct fx *f, uint64_t pa, unsigned n)
{
	return host_ld(f->ram + pa, n, f->le);
}

/*
 * Load n instructions at FX_CODE followed by sc 1, run, return the stop
 * reason. Afterwards cpu->pc is the address after the stopping sc 1.
 */
static inline enum cpu_stop fx_run(struct fx *f, const uint32_t *insns, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		fx_poke32(f, FX_CODE + 4 * i, insns[i]);
	fx_poke32(f, FX_CODE + 4 * n, 0x44000022);
	cpu_flush_all(f->cpu);
	f->cpu->pc = FX_CODE;
	cpu_exec(f->cpu);
	return f->cpu->stop;
}

/* Did the snippet run to its final sc 1 (no interrupt on the way)? */
static inline bool fx_ran_to_end(struct fx *f, unsigned n)
{
	return f->cpu->stop == STOP_HCALL && f->cpu->pc == FX_CODE + 4 * n + 4;
}

#endif
