// SPDX-License-Identifier: MIT
/*
 * RTAS (PAPR 7): the guest calls a 20-byte stub in its RAM that turns the
 * call into the H_RTAS hypercall (0xf000) with r4 = the argument buffer, as
 * QEMU and kvmtool do. Tokens are QEMU's numbers so guests and tests made for
 * QEMU agree; only implemented services are published in /rtas.
 */
#include <errno.h>
#include <libfdt.h>
#include <time.h>

#include "vmm/console.h"
#include "vmm/machine.h"

/* QEMU's token numbers (include/hw/ppc/spapr.h: RTAS_TOKEN_BASE + n) */
#define RTAS_DISPLAY_CHARACTER 0x2000
#define RTAS_GET_TIME_OF_DAY   0x2001
#define RTAS_SET_TIME_OF_DAY   0x2002
#define RTAS_POWER_OFF	       0x2003
#define RTAS_SYSTEM_REBOOT     0x2004

#define RTAS_HDR 3 /* token, nargs, nret */

static const uint32_t rtas_insns[RTAS_BLOB_SIZE / 4] = {
	0x7c641b78, /* mr r4,r3: the argument buffer */
	0x3c600000, /* lis r3,0 */
	0x6063f000, /* ori r3,r3,0xf000: H_RTAS */
	0x44000022, /* sc 1 */
	0x4e800020, /* blr */
};

void rtas_blob(uint8_t out[RTAS_BLOB_SIZE])
{
	unsigned int i;

	for (i = 0; i < RTAS_BLOB_SIZE; i++)
		out[i] = rtas_insns[i / 4] >> (24 - 8 * (i % 4));
}

static uint32_t be32_get(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void be32_put(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

static void rtas_display_character(struct machine *m, struct ppcvm_vcpu *vcpu, uint32_t token,
				   uint32_t nargs, const uint32_t *args, uint32_t nret,
				   uint32_t *rets)
{
	uint8_t c;

	if (nargs != 1 || nret != 1) {
		rets[0] = RTAS_OUT_PARAM_ERROR;
		return;
	}
	c = args[0];
	console_write(m->con, &c, 1);
	rets[0] = RTAS_OUT_SUCCESS;
}

/* PAPR 7.3.10.1: year, month, day, hour, minute, second, nanoseconds (UTC) */
static void rtas_get_time_of_day(struct machine *m, struct ppcvm_vcpu *vcpu, uint32_t token,
				 uint32_t nargs, const uint32_t *args, uint32_t nret,
				 uint32_t *rets)
{
	struct timespec ts;
	struct tm tm;
	time_t t;

	if (nargs != 0 || nret != 8) {
		rets[0] = RTAS_OUT_PARAM_ERROR;
		return;
	}
	clock_gettime(CLOCK_REALTIME, &ts);
	t = ts.tv_sec + m->rtc_offset;
	if (!gmtime_r(&t, &tm)) {
		rets[0] = RTAS_OUT_HW_ERROR;
		return;
	}
	rets[0] = RTAS_OUT_SUCCESS;
	rets[1] = tm.tm_year + 1900;
	rets[2] = tm.tm_mon + 1;
	rets[3] = tm.tm_mday;
	rets[4] = tm.tm_hour;
	rets[5] = tm.tm_min;
	rets[6] = tm.tm_sec;
	rets[7] = ts.tv_nsec;
}

/* The guest's clock is kept as an offset from the host's; the host is untouched */
static void rtas_set_time_of_day(struct machine *m, struct ppcvm_vcpu *vcpu, uint32_t token,
				 uint32_t nargs, const uint32_t *args, uint32_t nret,
				 uint32_t *rets)
{
	struct timespec ts;
	struct tm tm = { 0 };
	time_t t;

	if (nargs != 7 || nret != 1) {
		rets[0] = RTAS_OUT_PARAM_ERROR;
		return;
	}
	if (args[0] < 1970 || args[0] > 9999 || args[1] < 1 || args[1] > 12 || args[2] < 1 ||
	    args[2] > 31 || args[3] > 23 || args[4] > 59 || args[5] > 60 || args[6] > 999999999) {
		rets[0] = RTAS_OUT_PARAM_ERROR;
		return;
	}
	tm.tm_year = args[0] - 1900;
	tm.tm_mon = args[1] - 1;
	tm.tm_mday = args[2];
	tm.tm_hour = args[3];
	tm.tm_min = args[4];
	tm.tm_sec = args[5];
	t = timegm(&tm);
	clock_gettime(CLOCK_REALTIME, &ts);
	m->rtc_offset = (int64_t)t - ts.tv_sec;
	rets[0] = RTAS_OUT_SUCCESS;
}

static void rtas_power_off(struct machine *m, struct ppcvm_vcpu *vcpu, uint32_t token,
			   uint32_t nargs, const uint32_t *args, uint32_t nret, uint32_t *rets)
{
	/* args: power-on mask (two cells), ignored: nothing wakes us up again */
	if (nargs != 2 || nret != 1) {
		rets[0] = RTAS_OUT_PARAM_ERROR;
		return;
	}
	rets[0] = RTAS_OUT_SUCCESS;
	machine_request_stop(m, MACHINE_POWER_OFF);
}

static void rtas_system_reboot(struct machine *m, struct ppcvm_vcpu *vcpu, uint32_t token,
			       uint32_t nargs, const uint32_t *args, uint32_t nret, uint32_t *rets)
{
	if (nargs != 0 || nret != 1) {
		rets[0] = RTAS_OUT_PARAM_ERROR;
		return;
	}
	rets[0] = RTAS_OUT_SUCCESS;
	machine_request_stop(m, MACHINE_RESET);
}

/*
 * H_RTAS: r4 = guest physical address of the buffer (big-endian u32):
 * token, nargs, nret, args[nargs], rets[nret]. A buffer outside RAM or with
 * absurd counts is refused with H_PARAMETER; an unknown token gets status -3.
 */
static int64_t h_rtas(struct machine *m, struct ppcvm_vcpu *vcpu, uint64_t opcode, uint64_t *hargs)
{
	uint8_t raw[4 * (RTAS_HDR + 2 * RTAS_MAX_ARGS)];
	uint32_t args[RTAS_MAX_ARGS], rets[RTAS_MAX_ARGS] = { 0 };
	uint64_t gpa = hargs[0];
	uint32_t token, nargs, nret, i;

	if (ppcvm_read_phys(m->vm, gpa, raw, 4 * RTAS_HDR) < 0)
		return H_PARAMETER;
	token = be32_get(raw);
	nargs = be32_get(raw + 4);
	nret = be32_get(raw + 8);
	if (nargs > RTAS_MAX_ARGS || nret > RTAS_MAX_ARGS)
		return H_PARAMETER;
	if (ppcvm_read_phys(m->vm, gpa, raw, 4 * (RTAS_HDR + nargs + nret)) < 0)
		return H_PARAMETER;
	for (i = 0; i < nargs; i++)
		args[i] = be32_get(raw + 4 * (RTAS_HDR + i));
	if (nret == 0)
		return H_SUCCESS; /* nowhere to put a status: do nothing */
	rets[0] = RTAS_OUT_PARAM_ERROR;
	for (i = 0; i < m->nr_rtas; i++) {
		if (m->rtas[i].token == token) {
			m->rtas[i].fn(m, vcpu, token, nargs, args, nret, rets);
			break;
		}
	}
	for (i = 0; i < nret; i++)
		be32_put(raw + 4 * i, rets[i]);
	if (ppcvm_write_phys(m->vm, gpa + 4 * (RTAS_HDR + nargs), raw, 4 * nret) < 0)
		return H_PARAMETER;
	return H_SUCCESS;
}

int rtas_register(struct machine *m, uint32_t token, const char *name, rtas_fn fn)
{
	unsigned int i;

	for (i = 0; i < m->nr_rtas; i++)
		if (m->rtas[i].token == token)
			return -EEXIST;
	if (m->nr_rtas == RTAS_MAX_SERVICES)
		return -ENOSPC;
	m->rtas[m->nr_rtas++] = (struct rtas_service){ token, name, fn };
	return 0;
}

/* /rtas: where the stub is, what hcalls we offer, and name = token */
static int rtas_fdt(struct machine *m, void *fdt)
{
	unsigned int i;
	int node, ret;

	node = fdt_add_subnode(fdt, 0, "rtas");
	if (node < 0)
		return node;
	if ((ret = fdt_setprop_u32(fdt, node, "linux,rtas-base", m->rtas_addr)) ||
	    (ret = fdt_setprop_u32(fdt, node, "linux,rtas-entry", m->rtas_addr)) ||
	    (ret = fdt_setprop_u32(fdt, node, "rtas-size", RTAS_BLOB_SIZE)))
		return ret;
	for (i = 0; i < m->nr_hypertas; i++) {
		ret = fdt_appendprop_string(fdt, node, "ibm,hypertas-functions", m->hypertas[i]);
		if (ret)
			return ret;
	}
	for (i = 0; i < m->nr_rtas; i++) {
		ret = fdt_setprop_u32(fdt, node, m->rtas[i].name, m->rtas[i].token);
		if (ret)
			return ret;
	}
	return 0;
}

int rtas_init(struct machine *m)
{
	int ret;

	if ((ret = hcall_register(m, H_RTAS, h_rtas)) ||
	    (ret = rtas_register(m, RTAS_DISPLAY_CHARACTER, "display-character",
				 rtas_display_character)) ||
	    (ret = rtas_register(m, RTAS_GET_TIME_OF_DAY, "get-time-of-day",
				 rtas_get_time_of_day)) ||
	    (ret = rtas_register(m, RTAS_SET_TIME_OF_DAY, "set-time-of-day",
				 rtas_set_time_of_day)) ||
	    (ret = rtas_register(m, RTAS_POWER_OFF, "power-off", rtas_power_off)) ||
	    (ret = rtas_register(m, RTAS_SYSTEM_REBOOT, "system-reboot", rtas_system_reboot)) ||
	    (ret = machine_add_fdt_fn(m, rtas_fdt)))
		return ret;
	return 0;
}
