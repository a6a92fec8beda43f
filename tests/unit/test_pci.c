// SPDX-License-Identifier: MIT
/*
 * The PAPR PCI host bridge and virtio-pci: config space through the RTAS
 * config calls, BAR sizing and decoding, the virtio-pci common configuration
 * driven the way Linux's virtio_pci_modern does it, the TCE hcalls and the
 * device-tree node Linux's pseries scans.
 */
#include <libfdt.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "vmm/machine.h"
#include "vmm/pci.h"
#include "vmm/virtio.h"

#define PT_RAM	 (1u << 20)
#define PT_DESC	 0x1000
#define PT_AVAIL 0x2000
#define PT_USED	 0x3000
#define PT_DATA	 0x10000
#define PT_BAR4	 0x20
/* virtio_pci.c's layout of BAR 4 */
#define PT_COMMON 0x0000
#define PT_ISR	  0x1000
#define PT_NOTIFY 0x3000

/* A machine with the default devices (console, rng) on the PHB */
static struct machine *pt_machine(void)
{
	struct machine_config cfg = { .ram_size = 64u << 20, .ncpus = 1 };
	struct machine *m = calloc(1, sizeof(*m));
	char err[200];

	CHECK_EQ(machine_init_tables(m, &cfg, err, sizeof(err)), 0);
	m->ram = aligned_alloc(4096, PT_RAM);
	memset(m->ram, 0, PT_RAM);
	m->ram_size = PT_RAM;
	CHECK_EQ(virtio_machine_init(m, err, sizeof(err)), 0);
	return m;
}

static void pt_free(struct machine *m)
{
	virtio_destroy_all(m);
	pci_destroy(m);
	free(m->ram);
	free(m);
}

/* Linux's rtas_config_addr() for bus 0 */
static uint32_t cfg_addr(unsigned int slot, uint32_t reg)
{
	return ((reg & 0xf00) << 20) | (slot << 11) | (reg & 0xff);
}

static uint32_t cfg_rd(struct machine *m, unsigned int slot, uint32_t reg, uint32_t size)
{
	uint32_t v = 0;

	CHECK_EQ(pci_rtas_config(m, cfg_addr(slot, reg), size, &v, false), RTAS_OUT_SUCCESS);
	return v;
}

static void cfg_wr(struct machine *m, unsigned int slot, uint32_t reg, uint32_t size, uint32_t v)
{
	CHECK_EQ(pci_rtas_config(m, cfg_addr(slot, reg), size, &v, true), RTAS_OUT_SUCCESS);
}

static uint64_t bar_rd(struct machine *m, uint64_t gpa, uint32_t len)
{
	uint8_t b[8];
	uint64_t v = 0;
	uint32_t i;

	CHECK(pci_mmio_access(m, gpa, b, len, false));
	for (i = 0; i < len; i++)
		v |= (uint64_t)b[i] << (8 * i);
	return v;
}

static void bar_wr(struct machine *m, uint64_t gpa, uint32_t len, uint64_t v)
{
	uint8_t b[8];
	uint32_t i;

	for (i = 0; i < len; i++)
		b[i] = v >> (8 * i);
	CHECK(pci_mmio_access(m, gpa, b, len, true));
}

static void put16(struct machine *m, uint64_t a, uint16_t v)
{
	m->ram[a] = v;
	m->ram[a + 1] = v >> 8;
}

static void put32(struct machine *m, uint64_t a, uint32_t v)
{
	put16(m, a, v);
	put16(m, a + 2, v >> 16);
}

static uint16_t get16(struct machine *m, uint64_t a)
{
	return m->ram[a] | m->ram[a + 1] << 8;
}

TEST(pci_rtas_config_space)
{
	struct machine *m = pt_machine();
	uint32_t v;

	CHECK_EQ(m->pci->ndevs, 2u);
	/* The console (id 3) in slot 0, the rng (id 4) in slot 1 */
	CHECK_EQ(cfg_rd(m, 0, 0, 4), 0x10431af4u);
	CHECK_EQ(cfg_rd(m, 1, 0, 2), 0x1af4u);
	CHECK_EQ(cfg_rd(m, 1, 2, 2), 0x1044u);
	CHECK_EQ(cfg_rd(m, 0, 8, 1), 1u);    /* revision 1: modern */
	CHECK_EQ(cfg_rd(m, 0, 0x3d, 1), 1u); /* INTA */
	CHECK(cfg_rd(m, 0, 6, 2) & PCI_STATUS_CAP_LIST);
	/* The capability chain: four vendor capabilities, types 1, 3, 4, 2 */
	v = cfg_rd(m, 0, 0x34, 1);
	CHECK_EQ(v, 0x40u);
	CHECK_EQ(cfg_rd(m, 0, v, 1), 0x09u);
	CHECK_EQ(cfg_rd(m, 0, v + 3, 1), 1u);
	CHECK_EQ(cfg_rd(m, 0, v + 4, 1), 4u); /* in BAR 4 */
	CHECK_EQ(cfg_rd(m, 0, 0x73, 1), 2u);  /* notify */
	CHECK_EQ(cfg_rd(m, 0, 0x80, 4), 4u);  /* notify_off_multiplier */
	CHECK_EQ(cfg_rd(m, 0, 0x71, 1), 0u);  /* end of the list */
	/* No function in slot 5; bad size / alignment; another bus */
	CHECK_EQ(pci_rtas_config(m, cfg_addr(5, 0), 4, &v, false), RTAS_OUT_HW_ERROR);
	CHECK_EQ(v, 0xffffffffu);
	CHECK_EQ(pci_rtas_config(m, cfg_addr(0, 2), 4, &v, false), RTAS_OUT_PARAM_ERROR);
	CHECK_EQ(pci_rtas_config(m, cfg_addr(0, 0), 3, &v, false), RTAS_OUT_PARAM_ERROR);
	CHECK_EQ(pci_rtas_config(m, cfg_addr(0, 0) | 1 << 16, 4, &v, false), RTAS_OUT_HW_ERROR);
	CHECK_EQ(pci_rtas_config(m, cfg_addr(0, 0x100), 4, &v, false), RTAS_OUT_HW_ERROR);
	/* Read-only fields stay: vendor id */
	cfg_wr(m, 0, 0, 2, 0x1234);
	CHECK_EQ(cfg_rd(m, 0, 0, 2), 0x1af4u);
	pt_free(m);
}

TEST(pci_bar_sizing_and_decode)
{
	struct machine *m = pt_machine();
	uint64_t base = PCI_MEM_BASE + PCI_SLOT_MEM; /* slot 1 */
	uint32_t lo, hi;
	uint8_t b[4];

	lo = cfg_rd(m, 1, PT_BAR4, 4);
	hi = cfg_rd(m, 1, PT_BAR4 + 4, 4);
	CHECK_EQ(lo, (uint32_t)base | PCI_BAR_MEM_TYPE_64);
	CHECK_EQ(hi, (uint32_t)(base >> 32));
	/* Memory decoding is off until the command register enables it */
	CHECK(!pci_mmio_access(m, base, b, 4, false));
	/* Sizing: all ones reads back the size mask and the type bits */
	cfg_wr(m, 1, PT_BAR4, 4, 0xffffffff);
	CHECK_EQ(cfg_rd(m, 1, PT_BAR4, 4), 0xffffc004u);
	cfg_wr(m, 1, PT_BAR4, 4, lo);
	cfg_wr(m, 1, PCI_COMMAND, 2, PCI_COMMAND_MEMORY);
	CHECK_EQ(cfg_rd(m, 1, PCI_COMMAND, 2), (uint32_t)PCI_COMMAND_MEMORY);
	/* num_queues of the rng is 1 */
	CHECK_EQ(bar_rd(m, base + PT_COMMON + 0x12, 2), 1u);
	/* Past the BAR, and slot 0 still off: nobody answers */
	CHECK(!pci_mmio_access(m, base + 0x4000, b, 4, false));
	CHECK(!pci_mmio_access(m, PCI_MEM_BASE, b, 4, false));
	CHECK(!pci_mmio_access(m, base + 0x3ffe, b, 4, false));
	pt_free(m);
}

TEST(virtio_pci_rng_request)
{
	struct machine *m = pt_machine();
	uint64_t base = PCI_MEM_BASE + PCI_SLOT_MEM, c = base + PT_COMMON;
	unsigned int i, nonzero = 0;

	cfg_wr(m, 1, PCI_COMMAND, 2, PCI_COMMAND_MEMORY);
	/* 3.1.1: reset, ACKNOWLEDGE, DRIVER, features, FEATURES_OK */
	bar_wr(m, c + 0x14, 1, 0);
	bar_wr(m, c + 0x14, 1, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);
	bar_wr(m, c + 0x00, 4, 1);
	CHECK_EQ(bar_rd(m, c + 0x04, 4) & 1, 1u); /* VERSION_1 */
	/* Without VERSION_1 FEATURES_OK does not stick */
	bar_wr(m, c + 0x14, 1, 0x0b);
	CHECK_EQ(bar_rd(m, c + 0x14, 1), 3u);
	bar_wr(m, c + 0x08, 4, 1);
	bar_wr(m, c + 0x0c, 4, 1);
	bar_wr(m, c + 0x14, 1, 0x0b);
	CHECK_EQ(bar_rd(m, c + 0x14, 1), 0x0bu);
	/* Queue 0: the device offers 256; queue 1 does not exist */
	bar_wr(m, c + 0x16, 2, 1);
	CHECK_EQ(bar_rd(m, c + 0x18, 2), 0u);
	bar_wr(m, c + 0x16, 2, 0);
	CHECK_EQ(bar_rd(m, c + 0x18, 2), (uint64_t)VIRTQ_MAX_SIZE);
	CHECK_EQ(bar_rd(m, c + 0x1a, 2), 0xffffu); /* no MSI-X */
	bar_wr(m, c + 0x18, 2, 8);
	bar_wr(m, c + 0x20, 4, PT_DESC);
	bar_wr(m, c + 0x24, 4, 0);
	bar_wr(m, c + 0x28, 8, PT_AVAIL);
	bar_wr(m, c + 0x30, 4, PT_USED);
	bar_wr(m, c + 0x34, 4, 0);
	CHECK_EQ(bar_rd(m, c + 0x28, 4), (uint64_t)PT_AVAIL);
	bar_wr(m, c + 0x1c, 2, 1);
	CHECK_EQ(bar_rd(m, c + 0x1c, 2), 1u);
	CHECK_EQ(bar_rd(m, c + 0x1e, 2), 0u); /* queue_notify_off */
	bar_wr(m, c + 0x14, 1, 0x0f);
	/* One 64-byte writable buffer */
	put32(m, PT_DESC, PT_DATA);
	put32(m, PT_DESC + 8, 64);
	put16(m, PT_DESC + 12, VIRTQ_DESC_F_WRITE);
	put16(m, PT_AVAIL + 4, 0);
	put16(m, PT_AVAIL + 2, 1);
	bar_wr(m, base + PT_NOTIFY, 2, 0);
	CHECK_EQ(get16(m, PT_USED + 2), 1u);
	CHECK_EQ(m->ram[PT_USED + 8], 64u); /* bytes written */
	for (i = 0; i < 64; i++)
		nonzero += m->ram[PT_DATA + i] != 0;
	CHECK(nonzero > 32);
	/* The ISR says "used buffer" once, then reads 0 (read-to-clear) */
	CHECK_EQ(bar_rd(m, base + PT_ISR, 1), (uint64_t)VIRTIO_INT_USED);
	CHECK_EQ(bar_rd(m, base + PT_ISR, 1), 0u);
	/* A reset reads back 0 and disables the queue */
	bar_wr(m, c + 0x14, 1, 0);
	CHECK_EQ(bar_rd(m, c + 0x14, 1), 0u);
	CHECK_EQ(bar_rd(m, c + 0x1c, 2), 0u);
	pt_free(m);
}

TEST(virtio_pci_bad_ring_not_enabled)
{
	struct machine *m = pt_machine();
	uint64_t c = PCI_MEM_BASE + PCI_SLOT_MEM + PT_COMMON;

	cfg_wr(m, 1, PCI_COMMAND, 2, PCI_COMMAND_MEMORY);
	bar_wr(m, c + 0x14, 1, 3);
	bar_wr(m, c + 0x18, 2, 8);
	/* Rings outside guest RAM: the queue never becomes enabled */
	bar_wr(m, c + 0x20, 8, 0x7ffffffff000ull);
	bar_wr(m, c + 0x28, 8, PT_AVAIL);
	bar_wr(m, c + 0x30, 8, PT_USED);
	bar_wr(m, c + 0x1c, 2, 1);
	CHECK_EQ(bar_rd(m, c + 0x1c, 2), 0u);
	pt_free(m);
}

TEST(pci_tce_hcalls)
{
	struct machine *m = pt_machine();
	uint64_t args[9] = { PCI_PHB_LIOBN, 0x3000, 0x5000 | 3 };

	CHECK_EQ(hcall_dispatch(m, NULL, H_PUT_TCE, args), H_SUCCESS);
	args[0] = PCI_PHB_LIOBN;
	args[1] = 0x3000;
	CHECK_EQ(hcall_dispatch(m, NULL, H_GET_TCE, args), H_SUCCESS);
	CHECK_EQ(args[0], 0x5003u);
	/* Wrong LIOBN, ioba past the window, a page outside RAM */
	args[0] = 1, args[1] = 0, args[2] = 0;
	CHECK_EQ(hcall_dispatch(m, NULL, H_PUT_TCE, args), H_PARAMETER);
	args[0] = PCI_PHB_LIOBN, args[1] = PCI_DMA_SIZE, args[2] = 0;
	CHECK_EQ(hcall_dispatch(m, NULL, H_PUT_TCE, args), H_PARAMETER);
	args[0] = PCI_PHB_LIOBN, args[1] = 0, args[2] = PT_RAM | 1;
	CHECK_EQ(hcall_dispatch(m, NULL, H_PUT_TCE, args), H_PARAMETER);
	pt_free(m);
}

TEST(pci_fdt_phb_node)
{
	struct machine *m = pt_machine();
	static uint8_t fdt[FDT_MAX_SIZE];
	const fdt32_t *p;
	int phb, node, len;

	CHECK_EQ(machine_build_fdt(m, fdt, sizeof(fdt)), 0);
	phb = fdt_path_offset(fdt, "/pci@800000020000000");
	CHECK(phb >= 0);
	if (phb >= 0) {
		CHECK(!strcmp(fdt_getprop(fdt, phb, "device_type", NULL), "pci"));
		CHECK(!strcmp(fdt_getprop(fdt, phb, "compatible", NULL), "IBM,Logical_PHB"));
		p = fdt_getprop(fdt, phb, "interrupt-map", &len);
		CHECK_EQ(len, 2 * 7 * 4);
		if (p && len == 56) {
			CHECK_EQ(fdt32_to_cpu(p[7]), 1u << 11); /* slot 1 */
			CHECK_EQ(fdt32_to_cpu(p[11]), 0x1111u); /* XICS */
			CHECK_EQ(fdt32_to_cpu(p[12]), m->virtio->devs[1]->irq);
		}
		p = fdt_getprop(fdt, phb, "ibm,dma-window", &len);
		CHECK_EQ(len, 20);
		if (p)
			CHECK_EQ(fdt32_to_cpu(p[0]), PCI_PHB_LIOBN);
		node = fdt_subnode_offset(fdt, phb, "virtio@1");
		CHECK(node >= 0);
		p = fdt_getprop(fdt, node, "device-id", &len);
		CHECK(p && fdt32_to_cpu(p[0]) == 0x1044);
		p = fdt_getprop(fdt, node, "assigned-addresses", &len);
		CHECK_EQ(len, 20);
		if (p && len == 20) {
			CHECK_EQ(fdt32_to_cpu(p[0]), 0x03000000u | 1 << 11 | PT_BAR4);
			CHECK_EQ(((uint64_t)fdt32_to_cpu(p[1]) << 32 | fdt32_to_cpu(p[2])),
				 PCI_MEM_BASE + PCI_SLOT_MEM);
			CHECK_EQ(fdt32_to_cpu(p[4]), 0x4000u);
		}
	}
	/* The rtas calls are published; no virtio,mmio node is left */
	node = fdt_path_offset(fdt, "/rtas");
	CHECK(node >= 0 && fdt_getprop(fdt, node, "ibm,read-pci-config", NULL));
	CHECK(fdt_node_offset_by_compatible(fdt, -1, "virtio,mmio") < 0);
	pt_free(m);
}
