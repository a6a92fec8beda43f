/* SPDX-License-Identifier: MIT */
/*
 * Tables of instruction results recorded from qemu-ppc64le -cpu power9 (user
 * mode, 64-bit mode): the instruction word runs with r4 = a, r5 = b,
 * r3 = init, XER = xin, CR = 0; rt is r3 afterwards, xer the SO/OV/CA/OV32/
 * CA32 bits, cr the whole CR. Shared by the integer and rotate tests.
 */
#ifndef PPCVM_TEST_QROW_H
#define PPCVM_TEST_QROW_H

#include "cpu_fixture.h"
#include "harness.h"

struct qrow {
	uint32_t insn;
	uint64_t a, b, init;
	uint32_t xin;
	uint64_t rt;
	uint32_t xer, cr;
};

/* The XER bits the rows record: SO, OV, CA, OV32, CA32 */
#define QROW_XER_BITS 0xe00c0000u

static inline uint32_t xer_pack(const struct ppc_cpu *cpu)
{
	return (uint32_t)cpu_get_xer(cpu) & QROW_XER_BITS;
}

static inline void xer_unpack(struct ppc_cpu *cpu, uint32_t x)
{
	cpu_set_xer(cpu, x & QROW_XER_BITS);
}

/* Run one instruction with r4 = a, r5 = b, r3 = 0x1111..., in 64- or 32-bit mode */
static inline void qrow_run1(struct fx *f, uint32_t insn, uint64_t a, uint64_t b, bool sf)
{
	struct ppc_cpu *cpu = f->cpu;

	cpu_set_msr(cpu, MSR_ME | (f->le ? MSR_LE : 0) | (sf ? MSR_SF : 0));
	cpu->gpr[3] = 0x1111111111111111ull;
	cpu->gpr[4] = a;
	cpu->gpr[5] = b;
	xer_unpack(cpu, 0);
	cpu->cr = 0;
	fx_run(f, &insn, 1);
}

/* Run every row in a CPU of the given byte order; return the mismatches */
static inline int run_qrows(const struct qrow *rows, size_t n, bool le)
{
	struct fx f;
	int bad = 0;

	fx_init(&f, le);
	for (size_t i = 0; i < n; i++) {
		const struct qrow *r = &rows[i];
		struct ppc_cpu *cpu = f.cpu;
		uint32_t xer;

		cpu->gpr[3] = r->init;
		cpu->gpr[4] = r->a;
		cpu->gpr[5] = r->b;
		xer_unpack(cpu, r->xin);
		cpu->cr = 0;
		fx_run(&f, &r->insn, 1);
		xer = xer_pack(cpu);
		if (!fx_ran_to_end(&f, 1) || cpu->gpr[3] != r->rt || xer != r->xer ||
		    cpu->cr != r->cr) {
			printf("  row %zu insn %08x a %016" PRIx64 " b %016" PRIx64
			       ": rt %016" PRIx64 " xer %08x cr %08x, want %016" PRIx64
			       " %08x %08x\n",
			       i, r->insn, r->a, r->b, cpu->gpr[3], xer, cpu->cr, r->rt, r->xer,
			       r->cr);
			if (++bad > 20)
				break;
		}
	}
	fx_fini(&f);
	return bad;
}

#endif
