/* SPDX-License-Identifier: MIT */
/*
 * A VM through the public API for the MMIO, slot and IO bus tests: RAM at
 * 0 (slot 0), big-endian 64-bit real mode, a snippet at ME_CODE, every
 * interrupt vector "sc 1" (an unexpected interrupt shows as an hcall exit
 * with the vector in SRR0/pc). Instruction encodings for the snippets.
 */
#ifndef PPCVM_TEST_MMIO_ENV_H
#define PPCVM_TEST_MMIO_ENV_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ppcvm/papr.h>
#include <ppcvm/ppcvm.h>

#define ME_RAM	(4u << 20)
#define ME_CODE 0x10000u
#define ME_MMIO 0x20000000ull /* no slot: MMIO */

#define I_D(op, rt, ra, d)	((op) << 26 | (rt) << 21 | (ra) << 16 | ((d)&0xffff))
#define I_DS(op, rt, ra, d, xo) ((op) << 26 | (rt) << 21 | (ra) << 16 | ((d)&0xfffc) | (xo))
#define I_X(xo, rt, ra, rb)	(31u << 26 | (rt) << 21 | (ra) << 16 | (rb) << 11 | (xo) << 1)
#define I_LI(rt, v)		I_D(14u, rt, 0, v)
#define I_ADDI(rt, ra, v)	I_D(14u, rt, ra, v)
#define I_ADDIS(rt, ra, v)	I_D(15u, rt, ra, v)
#define I_ORI(ra, rs, v)	(24u << 26 | (rs) << 21 | (ra) << 16 | ((v)&0xffff))
#define I_SC1			0x44000022u
#define I_B(off)		(0x48000000u | ((off)&0x3fffffc))
#define I_BDNZ(off)		(0x42000000u | 16u << 21 | ((off)&0xfffc))
#define I_MTCTR(rs)		(0x7c0903a6u | (rs) << 21)
#define I_NOP			0x60000000u

struct menv {
	struct ppcvm_vm *vm;
	struct ppcvm_vcpu *vcpu;
	struct ppcvm_run *run;
	uint8_t *ram;
};

static inline void me_put32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

static inline uint64_t me_getbe(const uint8_t *p, unsigned n)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < n; i++)
		v = v << 8 | p[i];
	return v;
}

static inline void me_putbe(uint8_t *p, unsigned n, uint64_t v)
{
	for (unsigned i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * (n - 1 - i)));
}

static inline int me_set_pc(struct menv *e, uint64_t pc)
{
	struct ppcvm_regs regs;

	ppcvm_vcpu_get_regs(e->vcpu, &regs);
	regs.pc = pc;
	regs.msr = 0x8000000000001000ull;
	return ppcvm_vcpu_set_regs(e->vcpu, &regs);
}

/* Through ppcvm_write_phys once the VM runs: decoded copies are dropped */
static inline void me_code(struct menv *e, uint64_t at, const uint32_t *code, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		uint8_t w[4];

		me_put32(w, code[i]);
		if (e->vcpu)
			ppcvm_write_phys(e->vm, at + 4 * i, w, 4);
		else
			memcpy(e->ram + at + 4 * i, w, 4);
	}
}

static inline int me_init(struct menv *e, const uint32_t *code, unsigned n)
{
	memset(e, 0, sizeof(*e));
	e->ram = aligned_alloc(4096, ME_RAM);
	if (!e->ram || ppcvm_vm_create(&e->vm))
		return -1;
	memset(e->ram, 0, ME_RAM);
	if (ppcvm_set_memslot(e->vm, 0, 0, ME_RAM, e->ram, 0) ||
	    ppcvm_vcpu_create(e->vm, 0, &e->vcpu))
		return -1;
	e->run = ppcvm_vcpu_run_data(e->vcpu);
	me_code(e, ME_CODE, code, n);
	for (unsigned v = 0x100; v < 0x1000; v += 0x20)
		me_put32(e->ram + v, I_SC1);
	return me_set_pc(e, ME_CODE);
}

static inline void me_fini(struct menv *e)
{
	ppcvm_vm_destroy(e->vm);
	free(e->ram);
}

static inline uint64_t me_gpr(struct menv *e, int n)
{
	uint64_t v = 0;

	ppcvm_vcpu_get_one_reg(e->vcpu, PPCVM_REG_GPR(n), &v);
	return v;
}

static inline void me_set_gpr(struct menv *e, int n, uint64_t v)
{
	ppcvm_vcpu_set_one_reg(e->vcpu, PPCVM_REG_GPR(n), &v);
}

static inline uint64_t me_pc(struct menv *e)
{
	uint64_t v = 0;

	ppcvm_vcpu_get_one_reg(e->vcpu, PPCVM_REG_PC, &v);
	return v;
}

#endif
