/* SPDX-License-Identifier: MIT */
/*
 * H_LOGICAL_CI_LOAD / H_LOGICAL_CI_STORE in the core (seeds/003: KVM's
 * kvmppc_h_logical_ci_load/store). Real-mode firmware (SLOF) does its
 * device IO with these because it cannot make a real-mode access
 * caching-inhibited. Served here by the IO bus, so in-process devices and
 * ioeventfds see them with no exit; anything the bus does not take (an
 * address nobody claims, a size other than 1, 2, 4, 8) returns H_TOO_HARD
 * and exits as PAPR_HCALL for the VMM, which answers with its own devices
 * (and H_PARAMETER for a bad size, as QEMU). Off by default: the VMM turns
 * each on with ENABLE_HCALL, as KVM_CAP_PPC_ENABLE_HCALL.
 *
 * r4 = size in bytes, r5 = logical (guest real) address, r6 = value
 * (store). The load's value is returned in r4. Data is big-endian on the
 * bus (PAPR 14.5.4.9.x; KVM converts with be16/32/64).
 */
#include "core/core.h"

static bool ci_size_ok(uint64_t size)
{
	return size == 1 || size == 2 || size == 4 || size == 8;
}

int64_t h_logical_ci_load(struct ppcvm_vcpu *v)
{
	struct ppc_cpu *cpu = &v->cpu;
	uint64_t size = cpu->gpr[4], addr = cpu->gpr[5], val = 0;
	uint8_t data[8];

	if (!ci_size_ok(size))
		return H_TOO_HARD;
	if (!iobus_access(v->vm, addr, (uint32_t)size, false, data))
		return H_TOO_HARD;
	for (unsigned i = 0; i < size; i++)
		val = val << 8 | data[i];
	cpu->gpr[4] = val;
	return H_SUCCESS;
}

int64_t h_logical_ci_store(struct ppcvm_vcpu *v)
{
	struct ppc_cpu *cpu = &v->cpu;
	uint64_t size = cpu->gpr[4], addr = cpu->gpr[5], val = cpu->gpr[6];
	uint8_t data[8];

	if (!ci_size_ok(size))
		return H_TOO_HARD;
	/* The low size bytes of r6, most significant first */
	for (unsigned i = 0; i < size; i++)
		data[i] = (uint8_t)(val >> (8 * (size - 1 - i)));
	if (!iobus_access(v->vm, addr, (uint32_t)size, true, data))
		return H_TOO_HARD;
	return H_SUCCESS;
}
