/* SPDX-License-Identifier: MIT */
/*
 * OSI, the Mac-on-Linux hypercall ABI (Documentation/virt/kvm/ppc-pv.rst
 * "OSI hypercalls"): with PPCVM_CAP_PPC_OSI, "sc" with r3 = 0x113724FA and
 * r4 = 0x77810F9B exits with all 32 GPRs; what we put in run->osi.gprs is
 * the guest's GPRs when it resumes after the sc.
 *
 * This machine is no Mac: it answers a small service of its own, selector
 * in r5 (MOL's own selectors are not implemented):
 *   0  available: r3 = 0, r4 = 1
 *   1  sum: r3 = 0, r4 = the sum of r6..r31 (shows every GPR arrives)
 *   else r3 = -1 (unknown selector), nothing else changes.
 */
#include "vmm/machine.h"

#define OSI_AVAILABLE 0
#define OSI_SUM_GPRS  1

void machine_osi(struct machine *m, struct ppcvm_run *run)
{
	uint64_t *g = run->osi.gprs;
	uint64_t sum = 0;

	(void)m;
	switch (g[5]) {
	case OSI_AVAILABLE:
		g[3] = 0;
		g[4] = 1;
		break;
	case OSI_SUM_GPRS:
		for (int i = 6; i < 32; i++)
			sum += g[i];
		g[3] = 0;
		g[4] = sum;
		break;
	default:
		g[3] = (uint64_t)-1;
		break;
	}
}
