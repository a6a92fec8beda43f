// SPDX-License-Identifier: MIT
/*
 * The smaller hypercalls and RTAS services of a normal pseries Linux boot
 * that belong in the VMM (PAPR 14.5.4, 7.3; QEMU's spapr_hcall.c and
 * spapr_rtas.c answer the same way): H_RANDOM, H_GET_CPU_CHARACTERISTICS,
 * H_SET_DABR, H_SET_XDABR; event-scan, check-exception,
 * ibm,get-system-parameter, ibm,os-term. The SPLPAR hcalls (H_CEDE, H_PROD,
 * H_CONFER, H_REGISTER_VPA, H_SET_SPRG0, H_PAGE_INIT) are served in the
 * core; their hypertas strings are published here.
 */
#include <errno.h>
#include <libfdt.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

#include "vmm/machine.h"

#define H_SET_XDABR_NR 0x134
#define H_RANDOM_NR    0x300

#define RTAS_IBM_GET_SYSTEM_PARAMETER 0x2008
#define RTAS_CHECK_EXCEPTION	      0x200e
#define RTAS_EVENT_SCAN		      0x200f
#define RTAS_IBM_OS_TERM	      0x201f

/* RTAS status of event-scan / check-exception: nothing to report */
#define RTAS_OUT_NO_ERRORS_FOUND 1
#define RTAS_ERROR_LOG_MAX	 2048
#define RTAS_EVENT_SCAN_RATE	 1
#define OS_TERM_MAX		 256

/* DABRX (ISA 2.07 Book III 9.3): BTI 0x8, HYP 0x4, PRIVILEGED 0x2, USER 0x1 */
#define DABRX_USER   0x1ull
#define DABRX_KERNEL 0x2ull
#define DABRX_HYP    0x4ull
#define DABRX_BTI    0x8ull

#define SPR_DABR  1013
#define SPR_DABRX 1015

/* H_RANDOM: 64 bits from the host's random source (PAPR 14.15.1) */
static int64_t h_random(struct machine *m, struct ppcvm_vcpu *vcpu, uint64_t opcode, uint64_t *args)
{
	uint64_t v;
	size_t got = 0;

	while (got < sizeof(v)) {
		ssize_t n = getrandom((uint8_t *)&v + got, sizeof(v) - got, 0);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return H_HARDWARE;
		}
		got += (size_t)n;
	}
	args[0] = v;
	return H_SUCCESS;
}

/*
 * H_GET_CPU_CHARACTERISTICS: an emulated CPU does not speculate, so no
 * mitigation is needed and none is advertised: characteristics 0 and
 * behaviour 0 (not even "favour security"), which Linux reports as
 * "Not affected" and then skips the L1D and count-cache flushes.
 */
static int64_t h_get_cpu_characteristics(struct machine *m, struct ppcvm_vcpu *vcpu,
					 uint64_t opcode, uint64_t *args)
{
	args[0] = 0;
	args[1] = 0;
	return H_SUCCESS;
}

/*
 * H_SET_DABR / H_SET_XDABR: the registers are kept (QEMU does the same)
 * but no data address breakpoint fires: the CPU does not match DABR.
 */
static int64_t h_set_dabr(struct machine *m, struct ppcvm_vcpu *vcpu, uint64_t opcode,
			  uint64_t *args)
{
	uint64_t dabr = args[0], dabrx = DABRX_USER | DABRX_KERNEL;

	if (opcode == H_SET_XDABR_NR) {
		dabrx = args[1];
		if ((dabrx & ~0xfull) || (dabrx & DABRX_HYP) ||
		    !(dabrx & (DABRX_USER | DABRX_KERNEL)))
			return H_PARAMETER;
	}
	if (ppcvm_vcpu_set_one_reg(vcpu, PPCVM_REG_SPR(SPR_DABRX), &dabrx) ||
	    ppcvm_vcpu_set_one_reg(vcpu, PPCVM_REG_SPR(SPR_DABR), &dabr))
		return H_HARDWARE;
	return H_SUCCESS;
}

/* event-scan (PAPR 7.3.3) and check-exception (7.3.4): no event, status 1 */
static void rtas_no_event(struct machine *m, struct ppcvm_vcpu *vcpu, uint32_t token,
			  uint32_t nargs, const uint32_t *args, uint32_t nret, uint32_t *rets)
{
	if (nret < 1)
		return;
	rets[0] = RTAS_OUT_NO_ERRORS_FOUND;
}

/* ibm,get-system-parameter (7.3.16): no parameter is offered: -3 */
static void rtas_get_system_parameter(struct machine *m, struct ppcvm_vcpu *vcpu, uint32_t token,
				      uint32_t nargs, const uint32_t *args, uint32_t nret,
				      uint32_t *rets)
{
	rets[0] = RTAS_OUT_NOT_SUPPORTED;
}

/* ibm,os-term (7.3.9): the OS gives up (a panic); its message, then stop */
static void rtas_os_term(struct machine *m, struct ppcvm_vcpu *vcpu, uint32_t token, uint32_t nargs,
			 const uint32_t *args, uint32_t nret, uint32_t *rets)
{
	char msg[OS_TERM_MAX];
	size_t i;

	if (nargs != 1 || nret != 1) {
		rets[0] = RTAS_OUT_PARAM_ERROR;
		return;
	}
	memset(msg, 0, sizeof(msg));
	/* The string may end anywhere: read what RAM has, byte by byte */
	for (i = 0; i + 1 < sizeof(msg); i++) {
		if (ppcvm_read_phys(m->vm, (uint64_t)args[0] + i, &msg[i], 1) || !msg[i])
			break;
		if (msg[i] < 0x20 || msg[i] > 0x7e)
			msg[i] = '?';
	}
	msg[i] = 0;
	rets[0] = RTAS_OUT_SUCCESS;
	machine_error(m, "guest terminated (ibm,os-term): %s", msg);
}

static int misc_fdt(struct machine *m, void *fdt)
{
	int node = fdt_path_offset(fdt, "/rtas"), ret;

	if (node < 0)
		return node;
	/*
	 * ibm,extended-os-term: Linux calls ibm,os-term on a panic only when
	 * this is present (arch/powerpc/kernel/rtas.c); then a panicking guest
	 * ends ppcvm with its message and a non-zero status.
	 */
	if ((ret = fdt_setprop_u32(fdt, node, "rtas-error-log-max", RTAS_ERROR_LOG_MAX)) ||
	    (ret = fdt_setprop_u32(fdt, node, "rtas-event-scan-rate", RTAS_EVENT_SCAN_RATE)) ||
	    (ret = fdt_setprop(fdt, node, "ibm,extended-os-term", NULL, 0)))
		return ret;
	return 0;
}

int hcall_misc_init(struct machine *m)
{
	int ret;

	if ((ret = hcall_register(m, H_RANDOM_NR, h_random)) ||
	    (ret = hcall_register(m, H_GET_CPU_CHARACTERISTICS, h_get_cpu_characteristics)) ||
	    (ret = hcall_register(m, H_SET_DABR, h_set_dabr)) ||
	    (ret = hcall_register(m, H_SET_XDABR_NR, h_set_dabr)) ||
	    (ret = rtas_register(m, RTAS_IBM_GET_SYSTEM_PARAMETER, "ibm,get-system-parameter",
				 rtas_get_system_parameter)) ||
	    (ret = rtas_register(m, RTAS_CHECK_EXCEPTION, "check-exception", rtas_no_event)) ||
	    (ret = rtas_register(m, RTAS_EVENT_SCAN, "event-scan", rtas_no_event)) ||
	    (ret = rtas_register(m, RTAS_IBM_OS_TERM, "ibm,os-term", rtas_os_term)) ||
	    (ret = machine_add_fdt_fn(m, misc_fdt)))
		return ret;
	/*
	 * Linux's platforms/pseries/firmware.c names: hcall-splpar (VPA, CEDE,
	 * CONFER, PROD), hcall-sprg0, hcall-copy (H_PAGE_INIT), all in the core.
	 * Not hcall-dabr / hcall-xdabr: no breakpoint would ever fire.
	 */
	machine_add_hypertas(m, "hcall-splpar");
	machine_add_hypertas(m, "hcall-sprg0");
	machine_add_hypertas(m, "hcall-copy");
	return 0;
}
