/* SPDX-License-Identifier: MIT */
/*
 * Hypercalls served inside the core without an exit (the in-kernel subset
 * of KVM). Each is gated by the VM's enabled-hcall bitmap, as
 * KVM_CAP_PPC_ENABLE_HCALL; a disabled or unknown hcall exits to the VMM as
 * PAPR_HCALL. A handler returning H_TOO_HARD also punts to the VMM.
 */
#include "core/core.h"

typedef int64_t (*core_hcall_fn)(struct ppcvm_vcpu *v);

/* H_SET_MODE (PAPR 14.5.4.3.x): interrupt endianness and AIL, all vCPUs */
static int64_t h_set_mode(struct ppcvm_vcpu *v)
{
	struct ppc_cpu *cpu = &v->cpu;
	uint64_t mflags = cpu->gpr[4], resource = cpu->gpr[5];
	uint64_t clear, set;

	switch (resource) {
	case H_SET_MODE_RESOURCE_LE:
		if (mflags > 1)
			return H_UNSUPPORTED_FLAG;
		clear = LPCR_ILE;
		set = mflags ? LPCR_ILE : 0;
		break;
	case H_SET_MODE_RESOURCE_ADDR_TRANS_MODE:
		if (mflags == 1 || mflags > 3)
			return H_UNSUPPORTED_FLAG;
		clear = LPCR_AIL_MASK;
		set = mflags << LPCR_AIL_SHIFT;
		break;
	default:
		return H_TOO_HARD; /* CIABR, DAWR: the VMM decides */
	}
	if (cpu->gpr[6])
		return H_P3;
	if (cpu->gpr[7])
		return H_P4;
	for (int i = 0; i < PPCVM_MAX_VCPUS; i++) {
		struct ppcvm_vcpu *o = v->vm->vcpu[i];

		if (o)
			o->cpu.spr[SPR_LPCR] = (o->cpu.spr[SPR_LPCR] & ~clear) | set;
	}
	return H_SUCCESS;
}

static const struct {
	uint64_t nr;
	core_hcall_fn fn;
	bool on_by_default;
} core_hcalls[] = {
	{ H_SET_MODE, h_set_mode, true },
	/* SPLPAR / SMP (hcall_smp.c): cheap, in-core as in KVM HV */
	{ H_CEDE, h_cede, true },
	{ H_PROD, h_prod, true },
	{ H_CONFER, h_confer, true },
	{ H_SET_SPRG0, h_set_sprg0, true },
	{ H_REGISTER_VPA, h_register_vpa, true },
	{ H_PAGE_INIT, h_page_init, true },
	/*
	 * The page-table hcalls (hcall_mmu.c). KVM HV's default list has
	 * H_ENTER, H_REMOVE, H_READ, H_PROTECT and H_BULK_REMOVE; we also turn
	 * on H_CLEAR_REF and H_CLEAR_MOD, as QEMU does when KVM offers them.
	 */
	{ H_ENTER, h_enter, true },
	{ H_REMOVE, h_remove, true },
	{ H_READ, h_read, true },
	{ H_PROTECT, h_protect, true },
	{ H_BULK_REMOVE, h_bulk_remove, true },
	{ H_CLEAR_REF, h_clear_ref, true },
	{ H_CLEAR_MOD, h_clear_mod, true },
	{ H_LOGICAL_CI_LOAD, h_logical_ci_load, false }, /* hcall_ci.c */
	{ H_LOGICAL_CI_STORE, h_logical_ci_store, false },
};

#define N_CORE_HCALLS (sizeof(core_hcalls) / sizeof(core_hcalls[0]))

bool core_hcall_implemented(uint64_t nr)
{
	for (unsigned i = 0; i < N_CORE_HCALLS; i++)
		if (core_hcalls[i].nr == nr)
			return true;
	return false;
}

void core_hcall_defaults(struct ppcvm_vm *vm)
{
	for (unsigned i = 0; i < N_CORE_HCALLS; i++)
		if (core_hcalls[i].on_by_default)
			vm->hcall_enabled[core_hcalls[i].nr / 4 / 64] |=
				1ull << (core_hcalls[i].nr / 4 % 64);
}

static bool hcall_enabled(struct ppcvm_vm *vm, uint64_t nr)
{
	return nr <= MAX_HCALL_OPCODE && !(nr & 3) &&
	       (__atomic_load_n(&vm->hcall_enabled[nr / 4 / 64], __ATOMIC_RELAXED) >>
		(nr / 4 % 64)) &
		       1;
}

bool core_hcall(struct ppcvm_vcpu *v)
{
	uint64_t nr = v->cpu.gpr[3];

	if (!hcall_enabled(v->vm, nr))
		return false;
	for (unsigned i = 0; i < N_CORE_HCALLS; i++) {
		if (core_hcalls[i].nr == nr) {
			int64_t ret = core_hcalls[i].fn(v);

			if (ret == H_TOO_HARD)
				return false;
			v->cpu.gpr[3] = (uint64_t)ret;
			return true;
		}
	}
	return false;
}
