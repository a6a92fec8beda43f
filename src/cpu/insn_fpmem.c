/* SPDX-License-Identifier: MIT */
/*
 * Floating-point loads and stores (Power ISA 2.07 Book I 4.6.2 - 4.6.3):
 * lfs/lfd/stfs/stfd in D, update, X and update-X forms, lfiwax, lfiwzx,
 * stfiwx, lfdp/lfdpx/stfdp/stfdpx.
 *
 * MSR[FP]=0 gives the FP unavailable interrupt before any access. As in
 * insn_ldst.c, registers are written only after every access succeeded (the
 * MMIO replay rule of mem.c). Update forms with RA=0 are invalid: illegal
 * instruction (as QEMU). lfs converts single to double and stfs double to
 * single bit by bit as ISA 4.6.2/4.6.3 define it: no rounding, no FPSCR
 * change, signalling NaNs stay signalling. (The 750 / 7447A word-alignment
 * rule is book3s32.c's op_fpmem32, which wraps these handlers.)
 */
#include "cpu/fpu.h"
#include "mmu/mem.h"

#define H(name) static const struct dinsn *name(struct ppc_cpu *cpu, const struct dinsn *d)

#define FPR(n) (cpu->vsr[(n)].d[0])

#define EA_D ea_d(cpu, d->ra, d->imm)
#define EA_X ea_x(cpu, d->ra, d->rb)

#define CVT_LFS(v)   fp_sgl_to_dbl((uint32_t)(v))
#define CVT_LFD(v)   (v)
#define CVT_LFIWA(v) ((uint64_t)(int64_t)(int32_t)(v))
#define CVT_LFIWZ(v) ((uint64_t)(uint32_t)(v))
#define CVT_STFS(v)  ((uint64_t)fp_dbl_to_sgl(v))
#define CVT_STFD(v)  (v)
#define CVT_STFIW(v) ((v)&0xffffffffull)

#define FLOAD(name, size, cvt, EA, upd)                       \
	H(op_##name)                                          \
	{                                                     \
		uint64_t v, ea;                               \
                                                              \
		FP_CHECK(cpu, d);                             \
		if (upd && unlikely(d->ra == 0))              \
			return op_illegal(cpu, d);            \
		ea = (EA);                                    \
		if (unlikely(mem_load(cpu, d, ea, size, &v))) \
			return NULL;                          \
		FPR(d->rt) = cvt(v);                          \
		if (upd)                                      \
			cpu->gpr[d->ra] = ea;                 \
		return d + 1;                                 \
	}

#define FSTORE(name, size, cvt, EA, upd)                                    \
	H(op_##name)                                                        \
	{                                                                   \
		uint64_t ea;                                                \
                                                                            \
		FP_CHECK(cpu, d);                                           \
		if (upd && unlikely(d->ra == 0))                            \
			return op_illegal(cpu, d);                          \
		ea = (EA);                                                  \
		if (unlikely(mem_store(cpu, d, ea, size, cvt(FPR(d->rt))))) \
			return NULL;                                        \
		if (upd)                                                    \
			cpu->gpr[d->ra] = ea;                               \
		return d + 1;                                               \
	}

FLOAD(lfs, 4, CVT_LFS, EA_D, 0)
FLOAD(lfsu, 4, CVT_LFS, EA_D, 1)
FLOAD(lfsx, 4, CVT_LFS, EA_X, 0)
FLOAD(lfsux, 4, CVT_LFS, EA_X, 1)
FLOAD(lfd, 8, CVT_LFD, EA_D, 0)
FLOAD(lfdu, 8, CVT_LFD, EA_D, 1)
FLOAD(lfdx, 8, CVT_LFD, EA_X, 0)
FLOAD(lfdux, 8, CVT_LFD, EA_X, 1)
FLOAD(lfiwax, 4, CVT_LFIWA, EA_X, 0)
FLOAD(lfiwzx, 4, CVT_LFIWZ, EA_X, 0)

FSTORE(stfs, 4, CVT_STFS, EA_D, 0)
FSTORE(stfsu, 4, CVT_STFS, EA_D, 1)
FSTORE(stfsx, 4, CVT_STFS, EA_X, 0)
FSTORE(stfsux, 4, CVT_STFS, EA_X, 1)
FSTORE(stfd, 8, CVT_STFD, EA_D, 0)
FSTORE(stfdu, 8, CVT_STFD, EA_D, 1)
FSTORE(stfdx, 8, CVT_STFD, EA_X, 0)
FSTORE(stfdux, 8, CVT_STFD, EA_X, 1)
FSTORE(stfiwx, 4, CVT_STFIW, EA_X, 0)

/*
 * lfdp/stfdp (ISA 2.07 4.6.2): an even register pair; FRTp from EA and
 * FRTp+1 from EA+8 in big-endian mode, the other way round in little-endian
 * mode (as lq, and as QEMU). An odd register is an invalid form.
 */
static const struct dinsn *fp_pair(struct ppc_cpu *cpu, const struct dinsn *d, uint64_t ea,
				   bool store)
{
	unsigned hi = cpu->le ? 1 : 0;
	uint64_t v[2];

	FP_CHECK(cpu, d);
	if (d->rt & 1)
		return op_illegal(cpu, d);
	if (store) {
		if (mem_store(cpu, d, ea, 8, FPR(d->rt + hi)) ||
		    mem_store(cpu, d, (ea + 8) & cpu->ea_mask, 8, FPR(d->rt + (hi ^ 1))))
			return NULL;
		return d + 1;
	}
	if (mem_load(cpu, d, ea, 8, &v[0]) || mem_load(cpu, d, (ea + 8) & cpu->ea_mask, 8, &v[1]))
		return NULL;
	FPR(d->rt + hi) = v[0];
	FPR(d->rt + (hi ^ 1)) = v[1];
	return d + 1;
}

H(op_lfdp)
{
	return fp_pair(cpu, d, EA_D, false);
}
H(op_lfdpx)
{
	return fp_pair(cpu, d, EA_X, false);
}
H(op_stfdp)
{
	return fp_pair(cpu, d, EA_D, true);
}
H(op_stfdpx)
{
	return fp_pair(cpu, d, EA_X, true);
}

void insn_fpmem_register(void)
{
	static const struct {
		unsigned opcd;
		insn_fn fn;
	} dform[] = {
		{ 48, op_lfs },	 { 49, op_lfsu },  { 50, op_lfd },  { 51, op_lfdu },
		{ 52, op_stfs }, { 53, op_stfsu }, { 54, op_stfd }, { 55, op_stfdu },
	};
	static const struct {
		unsigned xo;
		insn_fn fn;
	} xform[] = {
		{ 535, op_lfsx },   { 567, op_lfsux },	{ 599, op_lfdx },   { 631, op_lfdux },
		{ 663, op_stfsx },  { 695, op_stfsux }, { 727, op_stfdx },  { 759, op_stfdux },
		{ 855, op_lfiwax }, { 887, op_lfiwzx }, { 983, op_stfiwx }, { 791, op_lfdpx },
		{ 919, op_stfdpx },
	};

	for (unsigned i = 0; i < sizeof(dform) / sizeof(dform[0]); i++)
		decode_register(dform[i].opcd, -1, FORM_D, dform[i].fn, NULL);
	for (unsigned i = 0; i < sizeof(xform) / sizeof(xform[0]); i++)
		decode_register(31, (int)xform[i].xo, FORM_X, xform[i].fn, NULL);
	decode_register(57, 0, FORM_DS, op_lfdp, NULL);
	decode_register(61, 0, FORM_DS, op_stfdp, NULL);
}
