// SPDX-License-Identifier: MIT
/*
 * The machine's hypercall table (PAPR 14.5): one slot per opcode/4 from 0 to
 * MAX_HCALL_OPCODE, plus the private range from H_RTAS (0xf000) as QEMU and
 * kvmtool have it. Modules register their own handlers. An unknown hcall
 * returns H_FUNCTION and is logged once per number; the guest goes on.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "vmm/machine.h"

void hcall_init(struct machine *m)
{
	memset(m->hcalls, 0, sizeof(m->hcalls));
	memset(m->hcalls_priv, 0, sizeof(m->hcalls_priv));
	memset(m->hcall_logged, 0, sizeof(m->hcall_logged));
	memset(m->hcall_priv_logged, 0, sizeof(m->hcall_priv_logged));
	m->nr_hcall_other_logged = 0;
}

static hcall_fn *hcall_slot(struct machine *m, uint64_t opcode, uint8_t **logged)
{
	if ((opcode & 3) == 0 && opcode <= MAX_HCALL_OPCODE) {
		*logged = &m->hcall_logged[opcode / 4];
		return &m->hcalls[opcode / 4];
	}
	if (opcode >= H_RTAS && opcode <= KVMPPC_HCALL_MAX) {
		*logged = &m->hcall_priv_logged[opcode - H_RTAS];
		return &m->hcalls_priv[opcode - H_RTAS];
	}
	*logged = NULL;
	return NULL;
}

int hcall_register(struct machine *m, uint64_t opcode, hcall_fn fn)
{
	uint8_t *logged;
	hcall_fn *slot = hcall_slot(m, opcode, &logged);

	if (!slot || !fn)
		return -EINVAL;
	if (*slot && *slot != fn)
		return -EEXIST;
	*slot = fn;
	return 0;
}

/* One line per unimplemented hcall number, so a looping guest cannot flood. */
static void hcall_log_unknown(struct machine *m, uint64_t opcode, uint8_t *logged)
{
	unsigned int i;

	if (logged) {
		if (*logged)
			return;
		*logged = 1;
	} else {
		for (i = 0; i < m->nr_hcall_other_logged; i++)
			if (m->hcall_other_logged[i] == opcode)
				return;
		if (m->nr_hcall_other_logged == HCALL_LOG_OTHER)
			return;
		m->hcall_other_logged[m->nr_hcall_other_logged++] = opcode;
	}
	fprintf(stderr, "ppcvm: unimplemented hcall 0x%" PRIx64 "\n", opcode);
}

/*
 * PowerVM's performance-counter hcalls (H_GET_24X7_CATALOG_PAGE 0xf078,
 * H_GET_24X7_DATA 0xf07c, H_GET_PERF_COUNTER_INFO 0xf080): Linux's hv-24x7
 * and hv-gpci PMU drivers probe them at every boot and take H_FUNCTION as
 * "not here" (as under QEMU and KVM), so they are absent without a log line.
 */
static bool hcall_known_absent(uint64_t opcode)
{
	return opcode == 0xf078 || opcode == 0xf07c || opcode == 0xf080;
}

int64_t hcall_dispatch(struct machine *m, struct ppcvm_vcpu *vcpu, uint64_t opcode, uint64_t *args)
{
	uint8_t *logged;
	hcall_fn *slot = hcall_slot(m, opcode, &logged);

	if (slot && *slot)
		return (*slot)(m, vcpu, opcode, args);
	if (hcall_known_absent(opcode))
		return H_FUNCTION;
	hcall_log_unknown(m, opcode, logged);
	return H_FUNCTION;
}
