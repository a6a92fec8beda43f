/* SPDX-License-Identifier: MIT */
/*
 * NVRAM: RTAS nvram-fetch / nvram-store through the H_RTAS hypercall, the
 * fresh free-space partition, range checks, and the /nvram node.
 */
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>
#include <ppcvm/papr.h>
#include <ppcvm/ppcvm.h>

#include "harness.h"
#include "vmm/machine.h"

#define NV_RAM	(1u << 20)
#define NV_ARGS 0x1000u /* RTAS argument buffer */
#define NV_BUF	0x2000u /* data buffer */

static struct machine *nv_machine(void)
{
	struct machine_config cfg = { .ram_size = 64u << 20, .ncpus = 1 };
	struct machine *m = calloc(1, sizeof(*m));
	char err[200];

	CHECK_EQ(machine_init_tables(m, &cfg, err, sizeof(err)), 0);
	m->ram = aligned_alloc(4096, NV_RAM);
	memset(m->ram, 0, NV_RAM);
	CHECK_EQ(ppcvm_vm_create(&m->vm), 0);
	CHECK_EQ(ppcvm_set_memslot(m->vm, 0, 0, NV_RAM, m->ram, 0), 0);
	return m;
}

static void nv_free(struct machine *m)
{
	ppcvm_vm_destroy(m->vm);
	free(m->nvram);
	free(m->ram);
	free(m);
}

static void be32_put(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

static uint32_t be32_get(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3];
}

/* One RTAS call (token from the device tree) with 3 args, 2 rets */
static int32_t nv_call(struct machine *m, const void *fdt, const char *name, uint32_t a0,
		       uint32_t a1, uint32_t a2, uint32_t *done)
{
	uint8_t *b = m->ram + NV_ARGS;
	uint64_t args[9] = { NV_ARGS };
	int node = fdt_path_offset(fdt, "/rtas");
	const fdt32_t *tok = fdt_getprop(fdt, node, name, NULL);

	CHECK(tok != NULL);
	if (!tok)
		return -99;
	be32_put(b, fdt32_to_cpu(*tok));
	be32_put(b + 4, 3);
	be32_put(b + 8, 2);
	be32_put(b + 12, a0);
	be32_put(b + 16, a1);
	be32_put(b + 20, a2);
	CHECK_EQ(hcall_dispatch(m, NULL, H_RTAS, args), H_SUCCESS);
	*done = be32_get(b + 28);
	return (int32_t)be32_get(b + 24);
}

TEST(vmm_nvram_fetch_store)
{
	struct machine *m = nv_machine();
	static uint8_t fdt[1 << 16];
	uint32_t done, n;
	int node;

	CHECK_EQ(machine_build_fdt(m, fdt, sizeof(fdt)), 0);
	node = fdt_path_offset(fdt, "/nvram");
	CHECK(node >= 0);
	CHECK(!strcmp(fdt_getprop(fdt, node, "device_type", NULL), "nvram"));
	n = fdt32_to_cpu(*(const fdt32_t *)fdt_getprop(fdt, node, "#bytes", NULL));
	CHECK_EQ(n, 65536);

	/* a fresh NVRAM is one free-space partition ("wwww...") over all of it */
	CHECK_EQ(nv_call(m, fdt, "nvram-fetch", 0, NV_BUF, 16, &done), RTAS_OUT_SUCCESS);
	CHECK_EQ(done, 16);
	CHECK_EQ(m->ram[NV_BUF], 0x7f);
	CHECK_EQ(m->ram[NV_BUF + 2] << 8 | m->ram[NV_BUF + 3], n / 16);
	CHECK(!memcmp(m->ram + NV_BUF + 4, "wwwwwwwwwwww", 12));
	/* Linux's header checksum of that header (nvram_64.c rules) */
	CHECK_EQ(m->ram[NV_BUF + 1], 0x29);

	/* store, then fetch back elsewhere */
	memcpy(m->ram + NV_BUF, "hello, nvram", 12);
	CHECK_EQ(nv_call(m, fdt, "nvram-store", 0x100, NV_BUF, 12, &done), RTAS_OUT_SUCCESS);
	CHECK_EQ(done, 12);
	CHECK_EQ(nv_call(m, fdt, "nvram-fetch", 0x100, NV_BUF + 0x100, 12, &done),
		 RTAS_OUT_SUCCESS);
	CHECK(!memcmp(m->ram + NV_BUF + 0x100, "hello, nvram", 12));

	/* ranges outside the NVRAM or guest RAM: parameter error, nothing done */
	CHECK_EQ(nv_call(m, fdt, "nvram-fetch", n - 4, NV_BUF, 8, &done), RTAS_OUT_PARAM_ERROR);
	CHECK_EQ(done, 0);
	CHECK_EQ(nv_call(m, fdt, "nvram-store", 0xffffffff, NV_BUF, 2, &done),
		 RTAS_OUT_PARAM_ERROR);
	CHECK_EQ(nv_call(m, fdt, "nvram-fetch", 0, NV_RAM - 4, 64, &done), RTAS_OUT_PARAM_ERROR);
	CHECK_EQ(nv_call(m, fdt, "nvram-store", 0, 0xfffff000, 64, &done), RTAS_OUT_PARAM_ERROR);
	nv_free(m);
}
