/* SPDX-License-Identifier: MIT */
/*
 * NVRAM as PAPR offers it to a partition (PAPR 7.3.11): a byte array the OS
 * reads and writes with the RTAS calls nvram-fetch and nvram-store, sized by
 * the "#bytes" property of a device_type "nvram" node. Linux keeps its
 * rtas-log and oops partitions there. Kept in host memory for the life of
 * the ppcvm process (a guest reboot keeps it; nothing is written to disk).
 */
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include "machine.h"

#define NVRAM_SIZE	 0x10000u /* 64 KB, as QEMU's pseries */
#define RTAS_NVRAM_FETCH 0x2018
#define RTAS_NVRAM_STORE 0x2019

static uint8_t *nvram_get(struct machine *m);

/*
 * nvram-fetch / nvram-store (index, real buffer address, length) -> (status,
 * bytes transferred); -3 for a range outside the NVRAM or the guest's RAM.
 */
static void rtas_nvram_io(struct machine *m, struct ppcvm_vcpu *vcpu, uint32_t token,
			  uint32_t nargs, const uint32_t *args, uint32_t nret, uint32_t *rets)
{
	uint32_t index, len;
	uint64_t buf;
	uint8_t *nv;
	int ret;

	if (nargs != 3 || nret != 2) {
		if (nret >= 1)
			rets[0] = RTAS_OUT_PARAM_ERROR;
		return;
	}
	index = args[0];
	buf = args[1];
	len = args[2];
	rets[1] = 0;
	nv = nvram_get(m);
	if (!nv) {
		rets[0] = RTAS_OUT_HW_ERROR;
		return;
	}
	if (index > NVRAM_SIZE || len > NVRAM_SIZE - index) {
		rets[0] = RTAS_OUT_PARAM_ERROR;
		return;
	}
	if (token == RTAS_NVRAM_FETCH)
		ret = ppcvm_write_phys(m->vm, buf, nv + index, len);
	else
		ret = ppcvm_read_phys(m->vm, buf, nv + index, len);
	if (ret) {
		rets[0] = RTAS_OUT_PARAM_ERROR;
		return;
	}
	rets[0] = RTAS_OUT_SUCCESS;
	rets[1] = len;
}

/*
 * A fresh NVRAM holds one free-space partition over all of it, as firmware
 * formats it (CHRP NVRAM layout: signature 0x7f, checksum, length in 16-byte
 * blocks big-endian, name "wwwwwwwwwwww"); all zeros reads as corrupt.
 */
#define NVRAM_SIG_FREE 0x7f

static uint8_t nvram_header_checksum(const uint8_t *h)
{
	/* signature + length + the six 16-bit words of the name, folded */
	unsigned sum = h[0] + ((unsigned)h[2] << 8 | h[3]), sum2;

	for (int i = 4; i < 16; i += 2)
		sum += (unsigned)h[i] << 8 | h[i + 1];
	sum = ((sum & 0xffff) + (sum >> 16)) & 0xffff;
	sum2 = (sum >> 8) + (sum << 8);
	return (uint8_t)(((sum + sum2) >> 8) & 0xff);
}

static void nvram_format(uint8_t *nv)
{
	uint32_t blocks = NVRAM_SIZE / 16;

	nv[0] = NVRAM_SIG_FREE;
	nv[2] = (uint8_t)(blocks >> 8);
	nv[3] = (uint8_t)blocks;
	memset(nv + 4, 'w', 12);
	nv[1] = nvram_header_checksum(nv);
}

/* The NVRAM, made on first use (vCPUs may call RTAS at once: publish by CAS) */
static uint8_t *nvram_get(struct machine *m)
{
	uint8_t *nv = __atomic_load_n(&m->nvram, __ATOMIC_ACQUIRE), *expected = NULL;

	if (nv)
		return nv;
	nv = calloc(1, NVRAM_SIZE);
	if (!nv)
		return NULL;
	nvram_format(nv);
	if (!__atomic_compare_exchange_n(&m->nvram, &expected, nv, false, __ATOMIC_ACQ_REL,
					 __ATOMIC_ACQUIRE)) {
		free(nv);
		return expected;
	}
	return nv;
}

static int nvram_fdt(struct machine *m, void *fdt)
{
	int node = fdt_add_subnode(fdt, 0, "nvram"), ret;

	if (node < 0)
		return node;
	if ((ret = fdt_setprop_string(fdt, node, "device_type", "nvram")) ||
	    (ret = fdt_setprop_u32(fdt, node, "#bytes", NVRAM_SIZE)))
		return ret;
	return 0;
}

int nvram_init(struct machine *m)
{
	int ret;

	if ((ret = rtas_register(m, RTAS_NVRAM_FETCH, "nvram-fetch", rtas_nvram_io)) ||
	    (ret = rtas_register(m, RTAS_NVRAM_STORE, "nvram-store", rtas_nvram_io)) ||
	    (ret = machine_add_fdt_fn(m, nvram_fdt)))
		return ret;
	return 0;
}
