/* SPDX-License-Identifier: MIT */
/*
 * H_LOGICAL_CI_LOAD / H_LOGICAL_CI_STORE in the VMM: what the core hands
 * back (PAPR_HCALL exit) because no IO bus device or ioeventfd took the
 * address, or because the in-core version is off. Served by the same device
 * model as the MMIO exits (machine_mmio), so the guest sees the same result
 * whichever path answers. A size other than 1, 2, 4, 8 is H_PARAMETER (as
 * QEMU's h_logical_load/store). Data is big-endian on the bus.
 */
#include <string.h>

#include "vmm/machine.h"

static bool ci_size_ok(uint64_t size)
{
	return size == 1 || size == 2 || size == 4 || size == 8;
}

static int64_t h_logical_ci_load(struct machine *m, struct ppcvm_vcpu *vcpu, uint64_t opcode,
				 uint64_t *args)
{
	struct ppcvm_run run;
	uint64_t size = args[0], val = 0;

	(void)vcpu;
	(void)opcode;
	if (!ci_size_ok(size))
		return H_PARAMETER;
	memset(&run, 0, sizeof(run));
	run.exit_reason = PPCVM_EXIT_MMIO;
	run.mmio.phys_addr = args[1];
	run.mmio.len = (uint32_t)size;
	run.mmio.is_write = 0;
	machine_mmio(m, &run);
	for (unsigned i = 0; i < size; i++)
		val = val << 8 | run.mmio.data[i];
	args[0] = val;
	return H_SUCCESS;
}

static int64_t h_logical_ci_store(struct machine *m, struct ppcvm_vcpu *vcpu, uint64_t opcode,
				  uint64_t *args)
{
	struct ppcvm_run run;
	uint64_t size = args[0], val = args[2];

	(void)vcpu;
	(void)opcode;
	if (!ci_size_ok(size))
		return H_PARAMETER;
	memset(&run, 0, sizeof(run));
	run.exit_reason = PPCVM_EXIT_MMIO;
	run.mmio.phys_addr = args[1];
	run.mmio.len = (uint32_t)size;
	run.mmio.is_write = 1;
	for (unsigned i = 0; i < size; i++)
		run.mmio.data[i] = (uint8_t)(val >> (8 * (size - 1 - i)));
	machine_mmio(m, &run);
	return H_SUCCESS;
}

int ci_init(struct machine *m)
{
	int ret;

	if ((ret = hcall_register(m, H_LOGICAL_CI_LOAD, h_logical_ci_load)) ||
	    (ret = hcall_register(m, H_LOGICAL_CI_STORE, h_logical_ci_store)))
		return ret;
	return 0;
}

/*
 * Turn on the core's versions (QEMU's kvmppc_enable_logical_ci_hcalls), so
 * ioeventfds and in-process devices see real-mode firmware's IO. A library
 * that does not have them (-EINVAL) leaves everything to the handlers above.
 */
void ci_enable_in_core(struct machine *m)
{
	static const uint64_t nrs[] = { H_LOGICAL_CI_LOAD, H_LOGICAL_CI_STORE };

	for (unsigned i = 0; i < 2; i++) {
		uint64_t args[4] = { nrs[i], 1, 0, 0 };

		(void)ppcvm_enable_cap(m->vm, PPCVM_CAP_PPC_ENABLE_HCALL, args);
	}
}
